#!/bin/bash
# CLI test for the drive options of `rawbox run` (--disk, --cdrom, -hda..-hdd,
# -cdrom, -drive, --boot): every error path gives one line
# "rawbox: <option> <value>: <why>" on stderr and exit status 2 (missing
# file, unknown format, if=virtio with media=cdrom, bad items, a locked image, too many
# drives, a taken index, a bad boot order); good spellings reach the guest
# (the smoke ROM runs with disks attached, and --kernel keeps working with
# a disk). Environment: RAWBOX (default build/release/rawbox). Exit 0 =
# pass, 1 = fail; one line per check.
set -uo pipefail
cd "$(dirname "$0")/../.."
RAWBOX=${RAWBOX:-build/release/rawbox}
ROM=build/guest/smoke.bin
T=$(mktemp -d)
trap 'rm -rf "$T"; [ -n "${holder:-}" ] && kill "$holder" 2>/dev/null' EXIT
fails=0 n=0

ok() { n=$((n + 1)); echo "ok $1"; }
bad() { n=$((n + 1)); fails=$((fails + 1)); echo "FAIL $1"; }

# expect STATUS NAME [PATTERN] -- ARGS...: exit status; for status 2 one
# stderr line starting "rawbox: " (and matching PATTERN when given).
expect() {
    local want=$1 name=$2 pat=
    shift 2
    if [ "$1" != -- ]; then pat=$1; shift; fi
    shift
    "$RAWBOX" "$@" </dev/null >"$T/out" 2>"$T/err"
    local rc=$?
    if [ $rc -ne "$want" ]; then
        bad "$name: exit $rc, expected $want ($(head -c 200 "$T/err"))"
    elif [ "$want" = 2 ] && { [ "$(wc -l <"$T/err")" != 1 ] || ! grep -q '^rawbox: ' "$T/err"; }; then
        bad "$name: expected one 'rawbox: ' line on stderr, got: $(head -c 300 "$T/err")"
    elif [ -n "$pat" ] && ! grep -qE -- "$pat" "$T/err"; then
        bad "$name: stderr does not match /$pat/: $(head -c 300 "$T/err")"
    else
        ok "$name${pat:+ ($(head -c 120 "$T/err"))}"
    fi
}

[ -x "$RAWBOX" ] || { echo "FAIL $RAWBOX not built"; exit 1; }
[ -f "$ROM" ] || make -s "$ROM" || { echo "FAIL cannot build $ROM"; exit 1; }
D=$T/disk.img
truncate -s 1M "$D"
truncate -s 2M "$T/cd.iso"
R=(run --bios "$ROM" --timeout 20)

expect 2 "--disk missing file" '^rawbox: --disk .*nope.img: No such file' -- "${R[@]}" --disk "$T/nope.img"
expect 2 "--cdrom missing file" '^rawbox: --cdrom .*nope.iso' -- "${R[@]}" --cdrom "$T/nope.iso"
expect 2 "-hda missing file" '^rawbox: -hda ' -- "${R[@]}" -hda "$T/nope.img"
expect 2 "--disk unknown format" "unknown format 'vmdk'" -- "${R[@]}" --disk "$D,format=vmdk"
expect 2 "--disk if=virtio,media=cdrom" "neither media=cdrom" -- "${R[@]}" -drive "file=$D,if=virtio,media=cdrom"
expect 2 "--disk if=scsi" 'unknown interface' -- "${R[@]}" --disk "$D,if=scsi"
expect 2 "--disk readonly=maybe" 'readonly=' -- "${R[@]}" --disk "$D,readonly=maybe"
expect 2 "--disk cache=fast" 'cache=' -- "${R[@]}" --disk "$D,cache=fast"
expect 2 "--disk unknown item" "unknown item 'speed=9'" -- "${R[@]}" --disk "$D,speed=9"
expect 2 "--disk empty" 'expected a file' -- "${R[@]}" --disk ""
expect 2 "-drive without file" 'file=' -- "${R[@]}" -drive format=raw
expect 2 "-drive index=7" 'index=' -- "${R[@]}" -drive "file=$D,index=7"
expect 2 "-drive media=tape" 'media=' -- "${R[@]}" -drive "file=$D,media=tape"
expect 2 "five drives" 'too many drives' -- "${R[@]}" --disk "$D" --disk "$D" --disk "$D" --disk "$D" --disk "$D"
expect 2 "index taken" 'index 0 is taken' -- "${R[@]}" -hda "$D" -drive "file=$T/cd.iso,index=0,media=cdrom"
expect 2 "--boot order=x" 'order=' -- "${R[@]}" --boot order=x
expect 2 "--boot menu=maybe" 'menu=' -- "${R[@]}" --boot order=c,menu=maybe
expect 2 "--boot unknown item" "unknown item" -- "${R[@]}" --boot splash=yes
expect 2 "the same image twice" "already open in this VM" -- "${R[@]}" --disk "$D" --disk "$D"

# Another process holds the image: refused, the message says so.
python3 -c 'import fcntl,sys,time,struct
f=open(sys.argv[1],"r+b")
fcntl.fcntl(f, fcntl.F_OFD_SETLK if hasattr(fcntl,"F_OFD_SETLK") else 37, struct.pack("hhqqi",fcntl.F_WRLCK,0,0,0,0))
print("locked", flush=True); time.sleep(30)' "$D" > "$T/lock.out" 2>&1 &
holder=$!
for _ in $(seq 50); do grep -q locked "$T/lock.out" 2>/dev/null && break; sleep 0.1; done
expect 2 "image locked by another process" 'locked by another process' -- "${R[@]}" --disk "$D"
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null; holder=

# Good spellings: the smoke ROM still runs to its pass (status 1).
expect 1 "--disk FILE,format=raw,cache=writeback" -- "${R[@]}" --disk "$D,format=raw,cache=writeback"
for mode in writethrough unsafe; do
    expect 1 "--disk cache=$mode" -- "${R[@]}" --disk "$D,format=raw,cache=$mode"
done
# cache=none/directsync need O_DIRECT from the file system holding $T.
if python3 -c 'import os,sys; os.close(os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECT))' "$D" 2>/dev/null; then
    expect 1 "--disk cache=none" -- "${R[@]}" --disk "$D,format=raw,cache=none"
    expect 1 "-drive if=virtio,cache=directsync" -- "${R[@]}" -drive "file=$D,if=virtio,format=raw,cache=directsync"
else
    expect 2 "--disk cache=none without O_DIRECT" 'O_DIRECT' -- "${R[@]}" --disk "$D,format=raw,cache=none"
fi
truncate -s 1M "$T/b.img" "$T/c.img"
expect 1 "-hda -hdb -hdd -cdrom" -- "${R[@]}" -hda "$D" -hdb "$T/b.img" -hdd "$T/c.img" -cdrom "$T/cd.iso"
expect 1 "-drive media=cdrom without a file (empty drive)" -- "${R[@]}" -drive media=cdrom,index=2
expect 1 "--disk readonly=on" -- "${R[@]}" --disk "$D,readonly=on"
expect 1 "--disk if=virtio (a virtio-blk disk)" -- "${R[@]}" --disk "$D,if=virtio,format=raw"
expect 1 "-drive if=virtio" -- "${R[@]}" -drive "file=$D,if=virtio"
expect 2 "--disk if=virtio and --virtio-disk on one image" "already open in this VM" -- "${R[@]}" --disk "$D,if=virtio" --virtio-disk "$D"
expect 1 "--boot order=dc,menu=on and -boot d" -- "${R[@]}" --cdrom "$T/cd.iso" --boot order=dc,menu=on
expect 1 "-boot d" -- "${R[@]}" --cdrom "$T/cd.iso" -boot d
expect 0 "run --help lists --disk" -- run --help
grep -q -- '--cdrom' "$T/out" && ok "run --help lists --cdrom" || bad "run --help lists --cdrom"

echo "$((n - fails)) passed, $fails failed"
[ $fails -eq 0 ]
