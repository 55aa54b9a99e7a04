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
# Types `uname -a`, `cat /proc/cpuinfo`, `cat /proc/interrupts`, `ls /` and
# `poweroff` at the shell, checks each command's output and that the VM
# exits with status 0 after poweroff. Environment: RAWBOX (binary, default
# build/release/rawbox), BOOT_PROMPT_TIMEOUT (seconds to the prompt, default
# 600 for rawbox, 120 for QEMU), BOOT_FIRST_OUTPUT_TIMEOUT (seconds to the
# kernel's "Linux version" line, default 300), RAWBOX_BOOT_ARGS (extra
# rawbox options, e.g. --kernel-unpack). Logs: build/boot/linux_boot.<vm>.log.
# Exit status 0 = pass, 1 = fail. There is no skip: a guest that cannot be
# fetched or a rawbox that cannot boot it is a failure.
set -uo pipefail
cd "$(dirname "$0")/../.."

which=both
case "${1:-}" in
--qemu) which=qemu ;;
--rawbox) which=rawbox ;;
"") ;;
-h|--help) sed -n '2,17p' "$0"; exit 0 ;;
*) echo "linux_boot.sh: unknown option $1" >&2; exit 2 ;;
esac

RAWBOX=${RAWBOX:-build/release/rawbox}
APPEND="console=ttyS0"
LOGDIR=build/boot
mkdir -p "$LOGDIR"
# The kernel's first line must arrive within this many seconds (a VM that
# prints nothing fails early rather than at the prompt timeout).
FIRST_TIMEOUT=${BOOT_FIRST_OUTPUT_TIMEOUT:-300}

out=$(scripts/fetch-guest.sh 2>"$LOGDIR/fetch-guest.log") || {
    echo "FAIL: scripts/fetch-guest.sh could not build the guest: $(tail -n1 "$LOGDIR/fetch-guest.log")"
    exit 1
}
eval "$(echo "$out" | tail -n 2)"
echo "guest: $KERNEL $INITRD"

# The shell flow, the same for every VM. Each command is followed by a
# marker the shell prints after it; the quotes keep the echoed command line
# from matching the marker.
steps=(--step "expect@$((FIRST_TIMEOUT)):Linux version" --step 'expect:rawbox:[^\n]*# '
       --step mark:prompt)
cmds=("uname -a" "cat /proc/cpuinfo" "cat /proc/interrupts" "ls /")
for i in "${!cmds[@]}"; do
    steps+=(--step "send:${cmds[$i]}; echo __DO\"\"NE_$i" --step "expect:__DONE_$i")
done
steps+=(--step 'send:poweroff' --step wait)

# check_output LOG -> prints failures, returns non-zero if any
check_output() {
    local log=$1 bad=0 re
    local -a want=(
        'uname -a|^Linux rawbox 6\.1\.[0-9]+-[0-9]+-686 .* i[3-6]86 GNU/Linux'
        'cpuinfo: processor 0|^processor[[:space:]]*: 0'
        'cpuinfo: vendor|^vendor_id[[:space:]]*: [A-Za-z]+'
        'cpuinfo: flags with fpu|^flags[[:space:]]*:.* fpu'
        'interrupts: IRQ 0 timer|^ +0: +[0-9]+ .*timer'
        'interrupts: ttyS0 IRQ 4|^ +4: +[0-9]+ .*ttyS0'
        'ls /: bin proc init|^bin .*init|init .*proc'
        'poweroff reached the kernel|reboot: Power down'
    )
    for item in "${want[@]}"; do
        re=${item#*|}
        if tr -d '\r' < "$log" | grep -a -E "$re" >/dev/null; then
            echo "  ok   ${item%%|*}"
        else
            echo "  FAIL ${item%%|*} (no line matching /$re/)"
            bad=1
        fi
    done
    return $bad
}

# run_vm NAME PROMPT_TIMEOUT CMD... -> 0 if the flow and checks pass
run_vm() {
    local name=$1 tmo=$2
    shift 2
    local log=$LOGDIR/linux_boot.$name.log
    echo "== $name: $*"
    local t0=$SECONDS
    python3 tests/boot/serial_drive.py --timeout "$tmo" --log "$log" "${steps[@]}" -- "$@" \
        2>"$log.driver"
    local rc=$?
    echo "   exit status $rc after $((SECONDS - t0)) s; $(grep -a '^MARK prompt' "$log.driver" |
         awk '{print "shell prompt at " $3 " s"}')"
    local bad=0
    if [ $rc -ne 0 ]; then
        echo "  FAIL exit status $rc, expected 0 after poweroff ($(grep -v '^MARK' "$log.driver" | tail -n1))"
        bad=1
    else
        echo "  ok   exit status 0 after poweroff"
    fi
    check_output "$log" || bad=1
    if [ $bad -ne 0 ]; then
        echo "   last lines of $log:"
        tail -n 15 "$log" | tr -d '\r' | sed 's/^/   | /'
    fi
    return $bad
}

status=0
if [ $which != rawbox ]; then
    if command -v qemu-system-i386 >/dev/null 2>&1; then
        if ! run_vm qemu "${BOOT_PROMPT_TIMEOUT:-120}" qemu-system-i386 -accel tcg -m 256 \
                -kernel "$KERNEL" -initrd "$INITRD" -append "$APPEND" \
                -display none -serial stdio -monitor none -no-reboot; then
            echo "FAIL: the boot flow fails under QEMU: the test or the guest is broken"
            exit 1
        fi
    elif [ $which = qemu ]; then
        echo "FAIL: qemu-system-i386 is not installed"
        exit 1
    else
        echo "(qemu-system-i386 not installed: flow not cross-checked)"
    fi
fi
if [ $which != qemu ]; then
    if [ ! -x "$RAWBOX" ]; then
        echo "FAIL: $RAWBOX is not built"
        exit 1
    fi
    extra=()
    # COM1 on stdio, where this rawbox has the option (else its default).
    "$RAWBOX" run --help 2>/dev/null | grep -- '--serial' >/dev/null && extra+=(--serial stdio)
    tmo=${BOOT_PROMPT_TIMEOUT:-600}
    # RAWBOX_BOOT_ARGS: extra options, e.g. --kernel-unpack.
    run_vm rawbox "$tmo" "$RAWBOX" run -m 256M --kernel "$KERNEL" --initrd "$INITRD" \
        --append "$APPEND" --timeout $((tmo + 120)) "${extra[@]}" ${RAWBOX_BOOT_ARGS:-} || status=1
fi
if [ $status -eq 0 ]; then
    echo "PASS: linux_boot ($which)"
else
    echo "FAIL: linux_boot: rawbox did not complete the boot flow"
fi
exit $status
