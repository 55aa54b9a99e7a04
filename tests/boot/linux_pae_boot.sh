#!/bin/bash
# Boot test: Debian 12's linux-image-686-pae kernel (PAE paging, 3-level
# tables, no NX needed) with the demo busybox initramfs, driven over the
# serial console on pipes.
#
#   tests/boot/linux_pae_boot.sh            QEMU first (validates the test and
#                                           the guest, when qemu-system-i386
#                                           exists), then rawbox; passes only
#                                           if rawbox does
#   tests/boot/linux_pae_boot.sh --qemu     QEMU only
#   tests/boot/linux_pae_boot.sh --rawbox   rawbox only
#
# The guest is NOT downloaded here (make check must not fetch a second
# kernel): build it once with
#   RAWBOX_GUEST_FLAVOUR=686-pae scripts/fetch-guest.sh
# Without it in the cache the test is skipped (exit status 77).
#
# The VM has 1 GiB, so the kernel has high memory (page tables in it too:
# CONFIG_HIGHPTE) and transparent huge pages. Types `uname -a`,
# `cat /proc/cpuinfo` (must show pae), `cat /proc/meminfo`, runs pae_mm
# (tests/boot/pae_mm.c: huge pages, copy-on-write, mprotect/munmap/mremap;
# appended to the initramfs when `cc -m32` can build it, else left out with
# a note) and `poweroff`; checks each output, that the kernel printed no
# oops/BUG/bad-pagetable line, and that the VM exits with status 0.
# Both VMs run without a local APIC or HPET (rawbox --no-apic --no-hpet,
# QEMU -cpu qemu32,-apic -machine hpet=off), so this test covers the legacy
# 8259 path (`cat /proc/interrupts` must show XT-PIC) while linux_boot.sh
# covers the default APIC path.
# Environment: RAWBOX (binary, default build/release/rawbox), RAWBOX_CACHE
# (as fetch-guest.sh), BOOT_PROMPT_TIMEOUT (seconds to the prompt, default
# 600 for rawbox, 120 for QEMU), PAE_RAWBOX_ARGS (rawbox boot options,
# default --kernel-unpack --no-apic --no-hpet), PAE_APPEND (rawbox command line, default
# "console=ttyS0 cryptomgr.notests"). Logs: build/boot/linux_pae_boot.<vm>.log
# (copied there at the end of each VM's run: the work happens in a private
# directory, so that test suites run at once in one tree do not mix logs).
# Exit status 0 = pass, 1 = fail, 77 = skipped (guest not in the cache).
set -uo pipefail
cd "$(dirname "$0")/../.."

. tests/boot/lib.bash
boot_args "$0" "$@"
FIRST_TIMEOUT=${BOOT_FIRST_OUTPUT_TIMEOUT:-300}

CACHE=${RAWBOX_CACHE:-${HOME:-/root}/.cache/rawbox}
GUEST=$CACHE/guest/debian12-i386-pae
KERNEL=$GUEST/bzImage
INITRD=$GUEST/initrd.gz
if [ ! -s "$KERNEL" ] || [ ! -s "$INITRD" ]; then
    echo "SKIP: the 686-pae guest is not in $GUEST (build it with: RAWBOX_GUEST_FLAVOUR=686-pae scripts/fetch-guest.sh)"
    exit 77
fi
echo "guest: $KERNEL ($(cat "$GUEST/kernel-version" 2>/dev/null || echo '?'))"
RUN=$(mktemp -d "$LOGDIR/linux_pae_boot.run.XXXXXX") || { echo "FAIL: mktemp"; exit 1; }
trap 'rm -rf "$RUN"' EXIT

# pae_mm goes into a second cpio archive appended to the initramfs (the
# kernel unpacks concatenated archives).
have_mm=0
if cc -m32 -O2 -ffreestanding -fno-pic -no-pie -fno-stack-protector -fno-builtin -nostdlib \
        -static -o "$RUN/pae_mm" tests/boot/pae_mm.c >"$RUN/pae_mm.build.log" 2>&1 &&
   command -v cpio >/dev/null 2>&1; then
    mkdir -p "$RUN/root/bin"
    cp "$RUN/pae_mm" "$RUN/root/bin/pae_mm"
    if (cd "$RUN/root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
            gzip > "$RUN/pae_mm.cpio.gz" &&
       cat "$INITRD" "$RUN/pae_mm.cpio.gz" > "$RUN/initrd.gz"; then
        INITRD=$RUN/initrd.gz
        have_mm=1
    fi
fi
if [ $have_mm = 0 ]; then
    echo "note: cannot build tests/boot/pae_mm.c with cc -m32: its checks are left out"
    sed 's/^/   | /' "$RUN/pae_mm.build.log" 2>/dev/null | head -n 5
fi

cmds=("uname -a" "cat /proc/cpuinfo" "cat /proc/meminfo" "cat /proc/interrupts")
[ $have_mm = 1 ] && cmds+=("echo 4 > /proc/sys/vm/nr_hugepages; /bin/pae_mm; echo pae_mm status \$?")
boot_flow "$FIRST_TIMEOUT" "${cmds[@]}"

# check_output LOG -> prints failures, returns non-zero if any
check_output() {
    local log=$1 bad=0
    local -a want=(
        'uname -a: the 686-pae kernel|^Linux rawbox 6\.1\.[0-9]+-[0-9]+-686-pae .* i686 GNU/Linux'
        # rawbox's default model has NX, QEMU's qemu32 has not
        'NX as the CPU offers it|NX \(Execute Disable\) protection: active|NX \(Execute Disable\) protection missing in CPU'
        'cpuinfo: processor 0|^processor[[:space:]]*: 0'
        'cpuinfo: flags with pae|^flags[[:space:]]*:.* pae( |$)'
        'meminfo: MemTotal|^MemTotal: +[0-9]+ kB'
        'meminfo: high memory in use by PAE|^HighTotal: +[1-9][0-9]* kB'
        'interrupts: timer on the 8259 (no APIC)|^ +0: +[0-9]+ +XT-PIC +timer'
        'poweroff reached the kernel|reboot: Power down'
    )
    [ $have_mm = 1 ] && want+=('pae_mm: every check passed|^pae_mm status 0')
    check_lines "$log" "${want[@]}" || bad=1
    local oops
    oops=$(tr -d '\r' < "$log" | grep -a -E 'Oops|BUG:|Bad pagetable|Kernel panic|WARNING: CPU|general protection fault' | head -n 3)
    if [ -n "$oops" ]; then
        echo "  FAIL the kernel reported a fault:"
        echo "$oops" | sed 's/^/   | /'
        bad=1
    else
        echo "  ok   no oops, BUG or bad page table in the kernel log"
    fi
    tr -d '\r' < "$log" | grep -a -E '^FAIL ' | head -n 5 | sed 's/^/   pae_mm: /'
    return $bad
}

tmo=${BOOT_PROMPT_TIMEOUT:-600}
# shellcheck disable=SC2086  # PAE_RAWBOX_ARGS is a list of options
boot_both linux_pae_boot \
    qemu-system-i386 -accel tcg -m 1024 -cpu qemu32,-apic -machine pc,hpet=off -kernel "$KERNEL" -initrd "$INITRD" -append "console=ttyS0" \
        -display none -serial stdio -monitor none -no-reboot -- \
    "$RAWBOX" run -m 1G --kernel "$KERNEL" ${PAE_RAWBOX_ARGS---kernel-unpack --no-apic --no-hpet} \
        --initrd "$INITRD" --append "${PAE_APPEND:-console=ttyS0 cryptomgr.notests}" \
        --serial stdio --timeout $((tmo + 120))
