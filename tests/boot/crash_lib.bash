# Shared by tests/boot/crash_ide.sh and crash_virtio.sh (sourced, not
# run): fresh images of each kind, the checks after a kill, the last
# flush a guest reported. The caller sets RAWBOX, D (its build directory,
# holding backing.raw: make_backing) and SIZE, and cds to the top of the
# tree first.

# make_backing: D/backing.raw, SIZE bytes, "BACK" and the sector number
# in each sector of the first 32 MiB.
make_backing() {
    python3 - "$D/backing.raw" "$SIZE" <<'EOF'
import struct, sys
size = int(sys.argv[2][:-1]) << 20      # SIZE in MiB, "256M"
with open(sys.argv[1], "wb") as f:
    for s in range(65536):
        f.write((b"BACK" + struct.pack("<I", s)) * 64)
    f.truncate(size)
EOF
}

# make KIND IMG: a fresh image under test; prints its format.
make_image() {
    local kind=$1 img=$2
    rm -f "$img"
    case $kind in
    raw) truncate -s "$SIZE" "$img" && echo raw ;;
    qcow2) "$RAWBOX" disk create -f qcow2 "$img" "$SIZE" >/dev/null && echo qcow2 ;;
    qcow2-4k) "$RAWBOX" disk create -f qcow2 -o cluster_size=4K "$img" "$SIZE" >/dev/null &&
        echo qcow2 ;;
    qcow2-backing) "$RAWBOX" disk create -f qcow2 -b "$(basename "$D/backing.raw")" -F raw \
        "$img" >/dev/null && echo qcow2 ;;
    vdi) "$RAWBOX" disk create -f vdi "$img" "$SIZE" >/dev/null && echo vdi ;;
    *) return 1 ;;
    esac
}

# check_image NAME KIND FMT IMG N ROUND: both checks (exit 0 or 3; 63 for
# raw) and the content (tests/boot/crash_verify.py), the image read back
# by qemu-img convert in even rounds and rawbox disk convert in odd ones.
check_image() {
    local name=$1 kind=$2 fmt=$3 img=$4 n=$5 round=$6 rc bad=0
    "$RAWBOX" disk check -f "$fmt" "$img" > "$D/$name.check" 2>&1
    rc=$?
    case $rc in
    0|3) ;;
    63) [ "$fmt" = raw ] || { echo "  FAIL rawbox disk check: exit status 63"; bad=1; } ;;
    *) echo "  FAIL rawbox disk check: exit status $rc"; sed 's/^/  | /' "$D/$name.check" | head -5
       bad=1 ;;
    esac
    qemu-img check -f "$fmt" "$img" > "$D/$name.qcheck" 2>&1
    rc=$?
    case $rc in
    0|3) ;;
    63) [ "$fmt" = raw ] || { echo "  FAIL qemu-img check: exit status 63"; bad=1; } ;;
    *) echo "  FAIL qemu-img check: exit status $rc"; sed 's/^/  | /' "$D/$name.qcheck" | head -5
       bad=1 ;;
    esac
    local leaks
    leaks=$(grep -o -E '[0-9]+ leaked clusters' "$D/$name.qcheck" | head -1)
    rm -f "$D/$name.out.raw"
    if [ $((round % 2)) -eq 0 ]; then
        qemu-img convert -f "$fmt" -O raw "$img" "$D/$name.out.raw" 2> "$D/$name.convert"
    else
        "$RAWBOX" disk convert -f "$fmt" -O raw "$img" "$D/$name.out.raw" > "$D/$name.convert" 2>&1
    fi || { echo "  FAIL converting to raw: $(tail -n1 "$D/$name.convert")"; return 1; }
    local base=()
    [ "$kind" = qcow2-backing ] && base=(--base "$D/backing.raw")
    python3 tests/boot/crash_verify.py "$D/$name.out.raw" "$n" "${base[@]}" || bad=1
    rm -f "$D/$name.out.raw"
    [ -n "$leaks" ] && echo "  ($leaks)"
    return $bad
}

# last_flushed FILE: the N of the last "flushed up to N" line (0: none).
last_flushed() {
    local n
    n=$(tr -d '\r' < "$1" | grep -a -o -E '^flushed up to [0-9]+$' | tail -n1 | awk '{print $4}')
    echo "${n:-0}"
}

