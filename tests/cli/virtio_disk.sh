#!/bin/bash
# CLI test for `rawbox run --virtio-disk FILE[,format=F][,readonly=on]`:
# each bad value gives one line "rawbox: <what>: <why>" and exit status 2
# (missing file, unknown property, empty path, unknown format, a fifth
# disk, one image twice: already open), and good ones build the board (the smoke
# ROM still passes with two disks, one read-only). Environment: RAWBOX
# (default build/release/rawbox). Exit 0 = pass, 1 = fail.
set -uo pipefail
cd "$(dirname "$0")/../.."
RAWBOX=${RAWBOX:-build/release/rawbox}
ROM=build/guest/smoke.bin
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0 n=0

ok() { n=$((n + 1)); echo "ok $1"; }
bad() { n=$((n + 1)); fails=$((fails + 1)); echo "FAIL $1"; }

# expect STATUS NAME -- ARGS... [| REGEX the stderr line must match]
expect() {
    local want=$1 name=$2 re=$3
    shift 4
    "$RAWBOX" "$@" </dev/null >"$T/out" 2>"$T/err"
    local rc=$?
    if [ $rc -ne "$want" ]; then
        bad "$name: exit $rc, expected $want ($(head -c 200 "$T/err"))"
    elif [ "$want" = 2 ] && { [ "$(wc -l <"$T/err")" != 1 ] || ! grep -qE "^rawbox: .*$re" "$T/err"; }; then
        bad "$name: expected one 'rawbox: ...$re' line on stderr, got: $(head -c 300 "$T/err")"
    else
        ok "$name"
    fi
}

[ -x "$RAWBOX" ] || { echo "FAIL $RAWBOX not built"; exit 1; }
[ -f "$ROM" ] || make -s "$ROM" || { echo "FAIL cannot build $ROM"; exit 1; }
truncate -s 1M "$T/a.img" "$T/b.img" "$T/c.img" "$T/d.img" "$T/e.img"
run=(run --bios "$ROM" --debugcon stdio)

expect 2 "missing image" "$T/none.img" -- "${run[@]}" --virtio-disk "$T/none.img"
expect 2 "unknown property" "unknown property" -- "${run[@]}" --virtio-disk "$T/a.img,cache=none"
expect 2 "empty path" "expected FILE" -- "${run[@]}" --virtio-disk ",format=raw"
expect 2 "unknown format" "unknown format" -- "${run[@]}" --virtio-disk "$T/a.img,format=nope"
expect 2 "five disks" "more than 4" -- "${run[@]}" --virtio-disk "$T/a.img" --virtio-disk "$T/b.img" \
    --virtio-disk "$T/c.img" --virtio-disk "$T/d.img" --virtio-disk "$T/e.img"
expect 2 "one image twice, writable" "already open in this VM" -- "${run[@]}" --virtio-disk "$T/a.img" --virtio-disk "$T/a.img"
expect 1 "smoke ROM passes with two virtio disks" "" -- "${run[@]}" --virtio-disk "$T/a.img,format=raw" \
    --virtio-disk "$T/b.img,readonly=on"
expect 1 "one image twice, both read-only" "" -- "${run[@]}" --virtio-disk "$T/a.img,readonly=on" \
    --virtio-disk "$T/a.img,readonly=on"

echo "$((n - fails)) passed, $fails failed"
[ $fails -eq 0 ]
