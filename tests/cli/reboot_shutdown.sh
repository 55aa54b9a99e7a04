#!/bin/bash
# CLI test for -no-reboot and -no-shutdown (QEMU's flags): a ROM that
# prints "boot" and then resets the machine (i8042 reset pulse, triple
# fault) or powers it off (ACPI S5). Without the flags a reset boots again
# (so "boot" repeats until --timeout) and a power-off ends the run with
# status 0; -no-reboot ends the run at the first reset with status 0;
# -no-shutdown keeps rawbox running after the power-off (until --timeout:
# status 124) and says so. Environment: RAWBOX (default
# build/release/rawbox). Exit 0 = pass, 1 = fail, 77 = skipped.
set -uo pipefail
cd "$(dirname "$0")/../.."
RAWBOX=${RAWBOX:-build/release/rawbox}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0

command -v nasm >/dev/null || { echo "SKIP: nasm not installed"; exit 77; }
for k in KBD TRIPLE S5; do
    nasm -f bin -D$k -o "$T/$k.bin" tests/cli/roms/reset.asm || { echo "FAIL nasm $k"; exit 1; }
done

ok() { echo "ok $1"; }
bad() { fails=$((fails + 1)); echo "FAIL $1"; }

# run NAME WANT_STATUS WANT_BOOTS(=N or >N) ARGS...
run() {
    local name=$1 want=$2 boots=$3
    shift 3
    "$RAWBOX" run --debugcon "file:$T/con" "$@" </dev/null >"$T/out" 2>"$T/err"
    local rc=$? n
    n=$(grep -c '^boot$' "$T/con" 2>/dev/null)
    if [ "$rc" != "$want" ]; then
        bad "$name: exit $rc, expected $want ($(head -c 200 "$T/err"))"
    elif [[ $boots == ">"* ]] && [ "$n" -le "${boots#>}" ]; then
        bad "$name: booted $n times, expected more than ${boots#>}"
    elif [[ $boots != ">"* ]] && [ "$n" != "$boots" ]; then
        bad "$name: booted $n times, expected $boots"
    else
        ok "$name (status $rc, $n boots)"
    fi
}

for k in KBD TRIPLE; do
    run "$k reset reboots" 124 ">1" --bios "$T/$k.bin" --timeout 1
    run "$k reset with -no-reboot ends the run" 0 1 --bios "$T/$k.bin" -no-reboot --timeout 20
    run "$k reset with --no-reboot ends the run" 0 1 --bios "$T/$k.bin" --no-reboot --timeout 20
done
run "power-off ends the run" 0 1 --bios "$T/S5.bin" --timeout 20
run "power-off with -no-shutdown keeps rawbox" 124 1 --bios "$T/S5.bin" -no-shutdown --timeout 1
grep -q 'no-shutdown keeps the VM' "$T/err" && ok "-no-shutdown says why rawbox stays" ||
    bad "-no-shutdown message missing: $(head -c 200 "$T/err")"
run "power-off with -no-reboot still ends the run" 0 1 --bios "$T/S5.bin" -no-reboot --timeout 20
[ $fails = 0 ] && exit 0 || exit 1
