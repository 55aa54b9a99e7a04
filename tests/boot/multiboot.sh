#!/bin/bash
# Boot test: tests/boot/multiboot.asm, a Multiboot v1 kernel that checks its
# entry state and information structure, built twice — as a flat a.out
# kludge image and as an ELF32 executable linked at 1 MiB — and booted with
# one module and a command line under QEMU (-kernel, when installed: this
# validates the test) and rawbox (--kernel). Each must pass (exit status 1
# from the test-exit port) and print the same check lines under both VMs.
# Environment: RAWBOX (default build/release/rawbox). Exit 0 = pass, 1 = fail.
set -uo pipefail
cd "$(dirname "$0")/../.."
RAWBOX=${RAWBOX:-build/release/rawbox}
D=build/boot
mkdir -p "$D"
nasm -f bin -o "$D/multiboot.bin" tests/boot/multiboot.asm &&
nasm -f elf32 -DELF -o "$D/multiboot_elf.o" tests/boot/multiboot.asm &&
ld -m elf_i386 -n -Ttext=0x100000 -e start --no-warn-rwx-segments \
    -o "$D/multiboot_elf.elf" "$D/multiboot_elf.o" || { echo "FAIL: cannot build the test kernels"; exit 1; }
printf 'MODULE1 contents' > "$D/mbmod.bin"      # 16 bytes, as the kernel expects

status=0
lines() { grep -a -E '^(ok|FAIL) ' "$1" || true; }
for k in multiboot.bin multiboot_elf.elf; do
    qlog=$D/$k.qemu.log rlog=$D/$k.rawbox.log
    rm -f "$qlog"
    if command -v qemu-system-i386 >/dev/null 2>&1; then
        timeout 30 qemu-system-i386 -kernel "$D/$k" -initrd "$D/mbmod.bin modarg" \
            -append mbtest-arg -m 256 -display none -nodefaults -no-reboot \
            -device isa-debug-exit,iobase=0xf4,iosize=4 -debugcon stdio </dev/null >"$qlog" 2>&1
        rc=$?
        sed "s/^/qemu   $k: /" "$qlog"
        if [ $rc -ne 1 ]; then
            echo "FAIL: $k fails under QEMU (exit $rc): the test is broken"
            status=1
            continue
        fi
    fi
    timeout 40 "$RAWBOX" run -m 256M --kernel "$D/$k" --initrd "$D/mbmod.bin modarg" \
        --append mbtest-arg --debugcon stdio --timeout 30 </dev/null >"$rlog" 2>&1
    rc=$?
    sed "s/^/rawbox $k: /" "$rlog"
    if [ $rc -ne 1 ]; then
        echo "FAIL: $k: rawbox exit status $rc, expected 1 (all checks passed)"
        status=1
    elif [ -f "$qlog" ] && ! diff <(lines "$qlog") <(lines "$rlog") >/dev/null; then
        echo "FAIL: $k: check lines differ between QEMU and rawbox"
        status=1
    else
        echo "ok $k ($(lines "$rlog" | grep -c '^ok ') checks)"
    fi
done
[ $status -eq 0 ] && echo "PASS: multiboot (a.out kludge and ELF)"
exit $status
