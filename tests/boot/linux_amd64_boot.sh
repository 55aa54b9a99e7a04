#!/bin/bash
# Boot test: Debian 12's stock amd64 kernel (linux-image-amd64) with the
# amd64 busybox initramfs from scripts/fetch-guest.sh
# (RAWBOX_GUEST_FLAVOUR=amd64), driven over the serial console on pipes.
#
#   tests/boot/linux_amd64_boot.sh            QEMU first (qemu-system-x86_64,
#                                             validates the test and the guest),
#                                             then rawbox; passes only if rawbox does
#   tests/boot/linux_amd64_boot.sh --qemu     QEMU only
#   tests/boot/linux_amd64_boot.sh --rawbox   rawbox only
#
# The guest's initramfs gets the boot tests' programs on top
# (tests/boot/progs/build.sh amd64: /usr/bin/sse2, a static program whose
# SSE/SSE2 results are checked against the host CPU's). Types `uname -m`,
# `cat /proc/cpuinfo`, `sse2`, `cat /proc/interrupts` and `poweroff`, checks
# each output and that the VM exits with status 0 after poweroff.
# Environment: RAWBOX (binary, default build/release/rawbox),
# BOOT_PROMPT_TIMEOUT (seconds to the prompt, default 900 for rawbox, 120 for
# QEMU), BOOT_FIRST_OUTPUT_TIMEOUT (seconds to "Linux version", default
# 300), RAWBOX_BOOT_ARGS (extra rawbox options, e.g. --kernel-unpack),
# RAWBOX_AMD64_CPU (rawbox's --cpu for this guest, default max).
# Logs: build/boot/linux_amd64_boot.<vm>.log. Exit status 0 = pass, 1 = fail,
# 77 = skipped: only while rawbox's CPU model cannot claim long mode and SSE2
# (issue 8 in progress), said in the output.
set -uo pipefail
cd "$(dirname "$0")/../.."

. tests/boot/lib.bash
boot_args "$0" "$@"
probe=$("$RAWBOX" run --cpu "${RAWBOX_AMD64_CPU:-max},+lm,+sse2" --bios /nonexistent 2>&1)
if [ "$which" != qemu ] && [ -x "$RAWBOX" ] && [[ $probe == *"unknown feature"* ]]; then
    echo "SKIP: rawbox's CPU models do not claim long mode and SSE2 yet"
    exit 77
fi
APPEND="console=ttyS0"
FIRST_TIMEOUT=${BOOT_FIRST_OUTPUT_TIMEOUT:-300}

out=$(RAWBOX_GUEST_FLAVOUR=amd64 scripts/fetch-guest.sh 2>"$LOGDIR/fetch-guest-amd64.log") || {
    echo "FAIL: scripts/fetch-guest.sh could not build the amd64 guest: $(tail -n1 "$LOGDIR/fetch-guest-amd64.log")"
    exit 1
}
eval "$(echo "$out" | tail -n 2)"
echo "guest: $KERNEL $INITRD"

RUN=$(mktemp -d "$LOGDIR/linux_amd64_boot.run.XXXXXX") || { echo "FAIL: mktemp"; exit 1; }
trap 'rm -rf "$RUN"' EXIT
# The initramfs format allows concatenated compressed archives: the
# programs' archive unpacks on top of the guest's.
if ! tests/boot/progs/build.sh amd64 "$RUN/progs.cpio.gz" 2>"$RUN/progs.err"; then
    echo "FAIL: tests/boot/progs/build.sh amd64: $(tail -n1 "$RUN/progs.err")"
    exit 1
fi
cat "$INITRD" "$RUN/progs.cpio.gz" > "$RUN/initrd.gz"

boot_flow "$FIRST_TIMEOUT" "uname -m" "cat /proc/cpuinfo" "sse2" "cat /proc/interrupts"

check_output() {
    check_lines "$1" \
        'uname -m: x86_64|^x86_64$' \
        'cpuinfo: processor 0|^processor[[:space:]]*: 0' \
        'cpuinfo: flags with lm, sse2, fxsr|^flags[[:space:]]*:.* fxsr .*sse2 .* lm ' \
        'sse2: the SSE2 program agrees with the host CPU|^sse2: ok [0-9a-f]{8}$' \
        'interrupts: IRQ 0 timer|^ +0: +[0-9]+ .*timer' \
        'interrupts: local APIC timer ticks|^ *LOC: +[1-9][0-9]* +Local timer interrupts' \
        'interrupts: ttyS0 IRQ 4|^ +4: +[0-9]+ .*ttyS0' \
        'poweroff reached the kernel|reboot: Power down'
}

tmo=${BOOT_PROMPT_TIMEOUT:-900}
# shellcheck disable=SC2086  # RAWBOX_BOOT_ARGS is a list of options
boot_both linux_amd64_boot \
    qemu-system-x86_64 -accel tcg -cpu qemu64 -m 256 -kernel "$KERNEL" -initrd "$RUN/initrd.gz" \
        -append "$APPEND" -display none -serial stdio -monitor none -no-reboot -- \
    "$RAWBOX" run --cpu "${RAWBOX_AMD64_CPU:-max}" -m 256M --kernel "$KERNEL" \
        --initrd "$RUN/initrd.gz" --append "$APPEND" --serial stdio --timeout $((tmo + 120)) \
        ${RAWBOX_BOOT_ARGS:-}
