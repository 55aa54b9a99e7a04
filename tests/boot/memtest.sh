#!/bin/bash
# Boot test: Debian's memtest86+ (6.x, its 32-bit image, a Linux
# boot-protocol bzImage that sets up PAE paging with large pages, probes the
# CPU, caches and memory map, and runs memory tests) on COM1.
#
#   tests/boot/memtest.sh            QEMU first (validates the test, when
#                                    qemu-system-i386 exists), then rawbox
#   tests/boot/memtest.sh --qemu     QEMU only
#   tests/boot/memtest.sh --rawbox   rawbox only
#
# Passes when memtest86+ prints its banner, names rawbox's CPU and RAM size,
# gets through its first tests to test #3 and reports no error. memtest86+
# redraws the serial screen at intervals, so a short test can run between
# two redraws and never be shown: any later test number on the screen
# (memtest runs them in order) counts as "reached test #3" (seen: #0, then
# #4, in one run of three with identical code).
# The image comes from Debian's memtest86+ package, fetched by
# `RAWBOX_GUEST_FLAVOUR=memtest scripts/fetch-guest.sh` into the cache
# (nothing goes into the tree). Environment: RAWBOX (default
# build/release/rawbox). Logs: build/boot/memtest.<vm>.log.
# Exit status 0 = pass, 1 = fail.
set -uo pipefail
cd "$(dirname "$0")/../.."

. tests/boot/lib.bash
boot_args "$0" "$@"
out=$(RAWBOX_GUEST_FLAVOUR=memtest scripts/fetch-guest.sh 2>"$LOGDIR/fetch-memtest.log") || {
    echo "FAIL: scripts/fetch-guest.sh could not fetch memtest86+: $(tail -n1 "$LOGDIR/fetch-memtest.log")"
    exit 1
}
eval "$(echo "$out" | tail -n 2)"
echo "image: $KERNEL"
APPEND="console=ttyS0,115200"

# run NAME CMD... -> 0 if memtest86+ reached test #3 with no error
run() {
    local name=$1 log=$LOGDIR/memtest.$1.log
    shift
    echo "== $name: $*"
    local t0=$SECONDS
    python3 tests/boot/serial_drive.py --timeout 150 --log "$log" \
        --step 'expect:Memtest86\+ v[0-9]' --step mark:banner \
        --step 'expect:#([3-9]|1[0-9]) +\[' --step mark:test3 -- "$@" 2>"$log.driver"
    local rc=$? bad=0
    echo "   $(grep -v '^MARK' "$log.driver" | tail -n1)$(awk '$1 == "MARK" {printf " %s at %s s;", $2, $3}' "$log.driver") $((SECONDS - t0)) s in all"
    [ $rc -eq 0 ] || { echo "  FAIL did not reach test #3 or a later one (status $rc)"; bad=1; }
    # The screen is drawn with cursor moves: split it at escapes first.
    local text
    text=$(sed 's/\x1b\[[0-9;?]*[A-Za-z]/\n/g' "$log" | tr -d '\r')
    local -a want=(
        'banner|Memtest86\+ v[0-9]'
        'CPU named|rawbox virtual CPU|QEMU Virtual CPU|Intel|AMD'
        'memory size|Memory *: *2[45][0-9]MB'
        'test #0 ran|#0 +\[Address test, walking ones'
        'error count shown|Errors: *0'
    )
    local item
    for item in "${want[@]}"; do
        if echo "$text" | grep -a -E "${item#*|}" >/dev/null; then
            echo "  ok   ${item%%|*}"
        else
            echo "  FAIL ${item%%|*} (no line matching /${item#*|}/)"
            bad=1
        fi
    done
    if echo "$text" | grep -a -E 'Errors: *[1-9]' >/dev/null; then
        echo "  FAIL memtest86+ reports memory errors: $(echo "$text" | grep -a -E -m1 'Errors: *[1-9]')"
        bad=1
    else
        echo "  ok   no memory error reported"
    fi
    return $bad
}

status=0
if [ $which != rawbox ]; then
    if command -v qemu-system-i386 >/dev/null 2>&1; then
        if ! run qemu qemu-system-i386 -accel tcg -m 256 -kernel "$KERNEL" -append "$APPEND" \
                -display none -serial stdio -monitor none -no-reboot; then
            echo "FAIL: memtest86+ fails under QEMU: the test or the image is broken"
            exit 1
        fi
    elif [ $which = qemu ]; then
        echo "FAIL: qemu-system-i386 is not installed"
        exit 1
    fi
fi
if [ $which != qemu ]; then
    run rawbox "$RAWBOX" run -m 256M --kernel "$KERNEL" --append "$APPEND" --serial stdio \
        --timeout 200 || status=1
fi
if [ $status -eq 0 ]; then
    echo "PASS: memtest ($which)"
else
    echo "FAIL: memtest: rawbox did not run memtest86+ to test #3 cleanly"
fi
exit $status
