#!/bin/bash
# Boot test: tests/boot/linux_boot.sh (Debian 12's i386 kernel) under the
# recompiler: rawbox only (--rawbox), with `--engine jit --stats` added to
# RAWBOX_BOOT_ARGS and the default translation threshold, so hot code runs
# translated and cold code interpreted. The same commands and checks; the
# transcript must also end with the jit's --stats, with block runs > 0.
#
#   tests/boot/linux_boot_jit.sh               the i386 guest
#   tests/boot/linux_boot_jit.sh --arch amd64  tests/boot/linux_amd64_boot.sh
#                                              instead (the amd64 guest)
#
# Environment: as the wrapped test (RAWBOX, BOOT_PROMPT_TIMEOUT, ...);
# RAWBOX_BOOT_ARGS is kept and comes first. Logs: the wrapped test's
# build/boot/<test>.rawbox.log, copied to build/boot/<test>_jit.rawbox.log
# (the wrapped test's own run would overwrite the first).
# Exit status 0 = pass, 1 = fail, 77 = the wrapped test skipped.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

test=linux_boot
while [ $# -gt 0 ]; do
    case "$1" in
    --arch)
        [ "${2:-}" = amd64 ] || { echo "linux_boot_jit.sh: --arch takes amd64" >&2; exit 2; }
        test=linux_amd64_boot
        shift ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    *) echo "linux_boot_jit.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

export RAWBOX_BOOT_ARGS="${RAWBOX_BOOT_ARGS:+$RAWBOX_BOOT_ARGS }--engine jit --stats"
bash "tests/boot/$test.sh" --rawbox
rc=$?
[ $rc -eq 77 ] && exit 77
log=build/boot/$test.rawbox.log
cp "$log" "build/boot/${test}_jit.rawbox.log" 2>/dev/null

echo "   --stats of the jit run:"
tr -d '\r' < "$log" 2>/dev/null | sed -n '/^jit: /,/^[^ ]/{/^jit: \|^  /p}' | sed 's/^/   | /'
runs=$(tr -d '\r' < "$log" 2>/dev/null | sed -n 's/^  block runs \([0-9]*\);.*/\1/p' | head -n 1)
if [ "${runs:-0}" -gt 0 ]; then
    echo "  ok   translated blocks ran: $runs block runs"
else
    echo "  FAIL no translated block ran (${runs:-no jit --stats in $log})"
    rc=1
fi
if [ $rc -eq 0 ]; then
    echo "PASS: ${test}_jit"
else
    echo "FAIL: ${test}_jit: see the lines above and $log"
fi
exit $rc
