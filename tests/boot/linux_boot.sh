#!/bin/bash
# Boot test: Debian 12's i386 kernel with the busybox initramfs from
# scripts/fetch-guest.sh, driven over the serial console on pipes.
#
#   tests/boot/linux_boot.sh            QEMU first (validates the test and the
#                                       guest, when qemu-system-i386 exists),
#                                       then rawbox; passes only if rawbox does
#   tests/boot/linux_boot.sh --qemu     QEMU only
#   tests/boot/linux_boot.sh --rawbox   rawbox only
#
# The guest's initramfs gets the boot tests' programs on top
# (tests/boot/progs/build.sh i386: /usr/bin/sse2, a static program whose
# SSE/SSE2 results are checked against the host CPU's).
# Types `uname -a`, `cat /proc/cpuinfo`, `sse2`, `cat /proc/interrupts`,
# `ls /` and `poweroff` at the shell, checks each command's output and that the VM
# exits with status 0 after poweroff. Environment: RAWBOX (binary, default
# build/release/rawbox), BOOT_PROMPT_TIMEOUT (seconds to the prompt, default
# 600 for rawbox, 120 for QEMU), BOOT_FIRST_OUTPUT_TIMEOUT (seconds to the
# kernel's "Linux version" line, default 300), RAWBOX_BOOT_ARGS (extra
# rawbox options, e.g. --kernel-unpack). Logs: build/boot/linux_boot.<vm>.log
# (the flow and checks are in tests/boot/lib.bash).
# Exit status 0 = pass, 1 = fail. There is no skip: a guest that cannot be
# fetched or a rawbox that cannot boot it is a failure.
set -uo pipefail
cd "$(dirname "$0")/../.."

. tests/boot/lib.bash
boot_args "$0" "$@"
APPEND="console=ttyS0"
# The kernel's first line must arrive within this many seconds (a VM that
# prints nothing fails early rather than at the prompt timeout).
FIRST_TIMEOUT=${BOOT_FIRST_OUTPUT_TIMEOUT:-300}

out=$(scripts/fetch-guest.sh 2>"$LOGDIR/fetch-guest.log") || {
    echo "FAIL: scripts/fetch-guest.sh could not build the guest: $(tail -n1 "$LOGDIR/fetch-guest.log")"
    exit 1
}
eval "$(echo "$out" | tail -n 2)"
echo "guest: $KERNEL $INITRD"

RUN=$(mktemp -d "$LOGDIR/linux_boot.run.XXXXXX") || { echo "FAIL: mktemp"; exit 1; }
trap 'rm -rf "$RUN"' EXIT

# The initramfs format allows concatenated compressed archives: the
# programs' archive unpacks on top of the guest's.
if ! tests/boot/progs/build.sh i386 "$RUN/progs.cpio.gz" 2>"$RUN/progs.err"; then
    echo "FAIL: tests/boot/progs/build.sh i386: $(tail -n1 "$RUN/progs.err")"
    exit 1
fi
cat "$INITRD" "$RUN/progs.cpio.gz" > "$RUN/initrd.gz"

boot_flow "$FIRST_TIMEOUT" "uname -a" "cat /proc/cpuinfo" "sse2" "cat /proc/interrupts" "ls /"

# check_output LOG -> prints failures, returns non-zero if any
check_output() {
    check_lines "$1" \
        'uname -a|^Linux rawbox 6\.1\.[0-9]+-[0-9]+-686 .* i[3-6]86 GNU/Linux' \
        'cpuinfo: processor 0|^processor[[:space:]]*: 0' \
        'cpuinfo: vendor|^vendor_id[[:space:]]*: [A-Za-z]+' \
        'cpuinfo: flags with fpu, fxsr, sse2|^flags[[:space:]]*:.* fpu .* fxsr .*sse2' \
        'sse2: the SSE2 program agrees with the host CPU|^sse2: ok [0-9a-f]{8}$' \
        'interrupts: IRQ 0 timer|^ +0: +[0-9]+ .*timer' \
        'interrupts: timer through the I/O APIC|^ +0: +[0-9]+ +IO-APIC +2-edge +timer' \
        'interrupts: local APIC timer ticks|^ *LOC: +[1-9][0-9]* +Local timer interrupts' \
        'interrupts: ttyS0 IRQ 4|^ +4: +[0-9]+ .*ttyS0' \
        'ls /: bin proc init|^bin .*init|init .*proc' \
        'poweroff reached the kernel|reboot: Power down'
}

tmo=${BOOT_PROMPT_TIMEOUT:-600}
# RAWBOX_BOOT_ARGS: extra options, e.g. --kernel-unpack.
# shellcheck disable=SC2086  # RAWBOX_BOOT_ARGS is a list of options
boot_both linux_boot \
    qemu-system-i386 -accel tcg -m 256 -kernel "$KERNEL" -initrd "$RUN/initrd.gz" -append "$APPEND" \
        -display none -serial stdio -monitor none -no-reboot -- \
    "$RAWBOX" run -m 256M --kernel "$KERNEL" --initrd "$RUN/initrd.gz" --append "$APPEND" \
        --serial stdio --timeout $((tmo + 120)) ${RAWBOX_BOOT_ARGS:-}
