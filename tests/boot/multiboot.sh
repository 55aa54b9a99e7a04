#!/bin/bash
# Boot test: tests/boot/multiboot.asm, a Multiboot v1 kernel (a.out kludge)
# that checks its entry state and information structure, booted with one
# module and a command line under QEMU (-kernel, when installed: validates
# the test) and rawbox (--kernel). Both must pass (exit status 1 from the
# test-exit port) and print the same check lines.
# Environment: RAWBOX (default build/release/rawbox). Exit 0 = pass, 1 = fail.
set -uo pipefail
cd "$(dirname "$0")/../.."
RAWBOX=${RAWBOX:-build/release/rawbox}
D=build/boot
mkdir -p "$D"
nasm -f bin -o "$D/multiboot.bin" tests/boot/multiboot.asm || { echo "FAIL: nasm"; exit 1; }
printf 'MODULE1 contents' > "$D/mbmod.bin"      # 16 bytes, as the kernel expects

status=0
lines() { grep -a -E '^(ok|FAIL) ' "$1" || true; }
if command -v qemu-system-i386 >/dev/null 2>&1; then
    timeout 30 qemu-system-i386 -kernel "$D/multiboot.bin" -initrd "$D/mbmod.bin modarg" \
        -append mbtest-arg -m 256 -display none -nodefaults -no-reboot \
        -device isa-debug-exit,iobase=0xf4,iosize=4 -debugcon stdio </dev/null >"$D/multiboot.qemu.log" 2>&1
    rc=$?
    cat "$D/multiboot.qemu.log" | sed 's/^/qemu:   /'
    if [ $rc -ne 1 ]; then
        echo "FAIL: the test kernel fails under QEMU (exit $rc): the test is broken"
        exit 1
    fi
fi
timeout 40 "$RAWBOX" run -m 256M --kernel "$D/multiboot.bin" --initrd "$D/mbmod.bin modarg" \
    --append mbtest-arg --debugcon stdio --timeout 30 </dev/null >"$D/multiboot.rawbox.log" 2>&1
rc=$?
sed 's/^/rawbox: /' "$D/multiboot.rawbox.log"
if [ $rc -ne 1 ]; then
    echo "FAIL: rawbox exit status $rc, expected 1 (all checks passed)"
    status=1
fi
if [ -f "$D/multiboot.qemu.log" ] && ! diff <(lines "$D/multiboot.qemu.log") <(lines "$D/multiboot.rawbox.log") >/dev/null; then
    echo "FAIL: check lines differ between QEMU and rawbox"
    status=1
fi
[ $status -eq 0 ] && echo "PASS: multiboot ($(lines "$D/multiboot.rawbox.log" | grep -c '^ok ') checks)"
exit $status
