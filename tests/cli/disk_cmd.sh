#!/bin/bash
# CLI test for `rawbox disk`: help texts; create (formats from the file
# name, --fixed, sizes good and bad, overwrite refusal and --force); info
# (text and --json); convert raw <-> vdi (<-> qcow2 once the qcow2 driver
# can create images; skipped with a note before), sparse output, -p, the
# partial output removed on SIGINT; check's exit codes (0 clean, 2
# corruptions, 3 leaks) and -r; resize; corrupt and missing files
# give one line "rawbox disk: ..." and a non-zero exit. With qemu-img and
# qemu-io installed (Debian qemu-utils) the images are cross-checked:
# qemu-img info/check/compare on what rawbox wrote, and rawbox reading
# what qemu-img made. Environment: RAWBOX (default build/release/rawbox).
# Exit 0 = pass, 1 = fail; one line per check.
set -uo pipefail
cd "$(dirname "$0")/../.."
RAWBOX=$(realpath "${RAWBOX:-build/release/rawbox}")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
fails=0 n=0
MiB=1048576

ok() { n=$((n + 1)); echo "ok $1"; }
bad() { n=$((n + 1)); fails=$((fails + 1)); echo "FAIL $1"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }

# expect STATUS NAME -- ARGS...: `rawbox disk ARGS` exits with STATUS; a
# failing one (other than check's findings, given as "2r"/"3r") prints
# exactly one stderr line "rawbox disk: ...".
expect() {
    local want=$1 name=$2
    shift 3
    "$RAWBOX" disk "$@" </dev/null >out 2>err
    local rc=$?
    local report=0
    case $want in *r) want=${want%r}; report=1 ;; esac
    if [ $rc -ne "$want" ]; then
        bad "$name: exit $rc, expected $want ($(head -c 300 err))"
    elif [ "$want" != 0 ] && [ $report = 0 ] &&
         { [ "$(wc -l <err)" != 1 ] || ! grep -q '^rawbox disk: ' err; }; then
        bad "$name: expected one 'rawbox disk: ' line on stderr, got: $(head -c 300 err)"
    else
        ok "$name"
    fi
}

# pattern FILE OFFSET LEN BYTE: write LEN bytes of BYTE (octal) at OFFSET.
pattern() {
    head -c "$3" /dev/zero | tr '\0' "\\$4" |
        dd of="$1" bs=4096 seek="$2" oflag=seek_bytes conv=notrunc status=none
}

used_kib() { du -k "$1" | cut -f1; }

[ -x "$RAWBOX" ] || { echo "FAIL $RAWBOX not built"; exit 1; }

# ---- help ----
"$RAWBOX" --help | grep -q '^  disk ' && ok "rawbox --help lists disk" || bad "rawbox --help lists disk"
expect 0 "disk --help" -- --help
cp out help.txt
for c in create info convert check resize; do
    grep -q "^  $c " help.txt && ok "disk --help lists $c" || bad "disk --help lists $c"
    expect 0 "disk $c --help" -- $c --help
    grep -q "^usage: rawbox disk $c" out && ok "$c --help shows its usage" || bad "$c --help shows its usage"
done
"$RAWBOX" disk create --help | grep -q -- '--fixed' && ok "create --help lists --fixed" || bad "create --help lists --fixed"
expect 2 "disk without a command" --
expect 2 "disk with an unknown command" -- frob
expect 2 "unknown option" -- create --frob a.img 1M
expect 2 "unknown short option" -- info -Z a.img
expect 2 "option without its value" -- create a.img 1M -f
expect 2 "option of another command" -- info --fixed a.img

# ---- create ----
expect 0 "create raw (default for .img)" -- create a.img 20G
grep -q '^created a.img: raw, 20 GiB (21474836480 bytes)' out && ok "create says what it made" || bad "create says what it made: $(cat out)"
[ "$(stat -c %s a.img)" = 21474836480 ] && [ "$(used_kib a.img)" -lt 1024 ] &&
    ok "raw image is 20 GiB and sparse" || bad "raw image is 20 GiB and sparse"
expect 0 "create vdi from the .vdi name" -- create d.vdi 64M
"$RAWBOX" disk info d.vdi >out 2>&1
grep -q '^file format: vdi' out && grep -q '^vdi type: dynamic' out && ok "info: a dynamic vdi" || bad "info: a dynamic vdi: $(cat out)"
expect 0 "create fixed vdi" -- create --fixed f.vdi 8M
"$RAWBOX" disk info f.vdi >out 2>&1
grep -q '^vdi type: fixed' out && grep -q '^blocks allocated: 8 of 8' out && ok "info: a fixed vdi, every block" || bad "info: fixed vdi: $(cat out)"
[ "$(stat -c %s f.vdi)" -ge $((9 * MiB)) ] && ok "fixed vdi holds its data area" || bad "fixed vdi holds its data area"
expect 0 "create -f vdi with another name" -- create -f vdi other.bin 1M
"$RAWBOX" disk info other.bin | grep -q '^file format: vdi' && ok "probed as vdi" || bad "probed as vdi"
expect 0 "create size with a fraction" -- create half.img 1.5M
[ "$(stat -c %s half.img)" = $((3 * MiB / 2)) ] && ok "1.5M is 1572864 bytes" || bad "1.5M is 1572864 bytes"
expect 2 "create refuses an existing file" -- create d.vdi 64M
grep -q 'already exists' err && ok "and says why" || bad "and says why: $(cat err)"
expect 0 "create --force overwrites" -- create --force d.vdi 32M
"$RAWBOX" disk info d.vdi | grep -q 'virtual size: 32 MiB' && ok "overwritten at 32M" || bad "overwritten at 32M"
expect 2 "bad size 12Q" -- create b1.img 12Q
expect 2 "size not a multiple of 512" -- create b2.img 1000
expect 2 "negative size" -- create b3.img -5
expect 2 "missing size" -- create b4.img
expect 2 "too many arguments" -- create b5.img 1M extra
expect 2 "unknown format" -- create -f vmdk b6.img 1M
expect 2 "--fixed on raw" -- create --fixed b7.img 1M
expect 2 "backing file on vdi" -- create -b a.img b8.vdi 1M
expect 2 "-o on vdi" -- create -o cluster_size=64K b9.vdi 1M
expect 2 "bad -o" -- create -f qcow2 -o compat=2 b10.qcow2 1M
expect 2 "create in a missing directory" -- create nodir/x.vdi 1M
expect 2 "vdi too large" -- create huge.vdi 2000T
ls b*.img b*.vdi b*.qcow2 huge.vdi nodir 2>/dev/null | grep -q . && bad "failed creates leave no file" || ok "failed creates leave no file"

# ---- info ----
expect 0 "info --json" -- info --json d.vdi
if command -v python3 >/dev/null; then
    python3 -c 'import json,sys; j=json.load(open("out")); assert j["format"]=="vdi" and j["virtual-size"]==32<<20 and j["format-specific"]["vdi-type"]=="dynamic", j' 2>err &&
        ok "info --json parses, with the vdi fields" || bad "info --json: $(cat out err)"
fi
expect 0 "info of a raw image" -- info a.img
grep -q '^virtual size: 20 GiB (21474836480 bytes)' out && grep -q '^disk size: ' out && ok "info: sizes" || bad "info: sizes: $(cat out)"
expect 2 "info of a missing file" -- info missing.vdi
grep -q 'missing.vdi' err && ok "the error names the file" || bad "the error names the file: $(cat err)"
expect 2 "info of a directory" -- info .
cp f.vdi corrupt.vdi
printf '\x02\x00\x01\x00' | dd of=corrupt.vdi bs=1 seek=$((0x44)) conv=notrunc status=none
expect 2 "info of a vdi with version 1.2" -- info corrupt.vdi
grep -q 'version 1.2' err && ok "says which version" || bad "says which version: $(cat err)"
cp f.vdi corrupt2.vdi
printf '\x00\x00\x20\x00' | dd of=corrupt2.vdi bs=1 seek=$((0x178)) conv=notrunc status=none
expect 2 "a vdi with 2 MiB blocks" -- info corrupt2.vdi
grep -q 'block size 2097152 is not supported' err && ok "says the block size" || bad "says the block size: $(cat err)"
cp f.vdi diff.vdi
printf '\x04' | dd of=diff.vdi bs=1 seek=$((0x4c)) conv=notrunc status=none
expect 2 "a differencing vdi" -- info diff.vdi
grep -q 'differencing' err && ok "says differencing" || bad "says differencing: $(cat err)"
expect 1 "check of a corrupt header" -- check corrupt.vdi
expect 2 "convert of a corrupt header" -- convert -O raw corrupt.vdi never.raw
[ -e never.raw ] && bad "no output for a corrupt source" || ok "no output for a corrupt source"

# ---- convert raw <-> vdi ----
expect 0 "create src.img" -- create src.img 10M
pattern src.img 0 1000 132               # 'Z' at the start, a partial sector
pattern src.img $((MiB - 512)) 4096 101  # across the first block boundary
pattern src.img $((7 * MiB + 3)) 5 377   # odd place
expect 0 "convert raw -> vdi" -- convert -O vdi src.img s.vdi
"$RAWBOX" disk info s.vdi | grep -q '^blocks allocated: 3 of 10' && ok "zero chunks stay unallocated (3 blocks)" || bad "zero chunks unallocated: $("$RAWBOX" disk info s.vdi)"
expect 0 "convert vdi -> raw" -- convert -O raw s.vdi back.img
cmp -s src.img back.img && ok "raw -> vdi -> raw is identical" || bad "raw -> vdi -> raw is identical"
[ "$(used_kib back.img)" -le 24 ] && ok "the raw output is sparse (4 KiB pieces)" || bad "the raw output is sparse ($(used_kib back.img) KiB)"
expect 0 "convert vdi -> fixed vdi" -- convert -O vdi --fixed s.vdi fixed.vdi
expect 0 "convert fixed vdi -> raw" -- convert -f vdi -O raw fixed.vdi back2.img
cmp -s src.img back2.img && ok "through a fixed vdi, identical" || bad "through a fixed vdi, identical"
expect 0 "check the converted vdi" -- check s.vdi
expect 0 "convert -p" -- convert -p -O raw s.vdi p.img
grep -q '^convert: 100% (10 MiB of 10 MiB)' err && ok "-p prints progress lines" || bad "-p prints progress lines: $(cat err)"
if command -v script >/dev/null; then
    script -qec "$RAWBOX disk convert -p -O raw s.vdi tty.img" /dev/null >tty.out 2>&1
    grep -q $'\rconvert: 100%' tty.out && ok "-p on a terminal updates one line" || bad "-p on a terminal: $(od -c tty.out | head -3)"
fi
expect 2 "convert without -O" -- convert src.img x.vdi
expect 2 "convert onto itself" -- convert -O raw --force src.img src.img
expect 2 "convert onto an existing file" -- convert -O raw s.vdi back.img
expect 0 "convert --force" -- convert -O raw --force s.vdi back.img
expect 2 "convert a missing source" -- convert -O vdi none.img x.vdi
expect 2 "convert to an unknown format" -- convert -O vmdk src.img x.vmdk
expect 2 "convert --fixed to raw" -- convert -O raw --fixed src.img x.img
[ -e x.vdi ] || [ -e x.img ] && bad "refused converts leave no output" || ok "refused converts leave no output"
# A raw source's holes are skipped, data after them found.
"$RAWBOX" disk create hole.img 3G >/dev/null
pattern hole.img $((1024 * MiB + 5)) 10 141
pattern hole.img $((3072 * MiB - 4096)) 4096 142
expect 0 "convert a sparse 3 GiB raw -> vdi" -- convert -O vdi hole.img hole.vdi
"$RAWBOX" disk info hole.vdi | grep -q '^blocks allocated: 2 of 3072' && ok "two blocks of data found past the holes" || bad "hole.vdi: $("$RAWBOX" disk info hole.vdi)"
expect 0 "convert it back to raw" -- convert -O raw hole.vdi hole2.img
for at in $((1024 * MiB)) $((3072 * MiB - 8192)); do
    cmp -s <(dd if=hole.img bs=4096 skip=$((at / 4096)) count=2 status=none) \
           <(dd if=hole2.img bs=4096 skip=$((at / 4096)) count=2 status=none) &&
        ok "the data at $at made it through" || bad "the data at $at made it through"
done
# Interrupted: the partial output is removed. An empty 200 GiB vdi takes
# long to read (every chunk is zeros made in memory and compared).
"$RAWBOX" disk create big.vdi 200G >/dev/null
"$RAWBOX" disk convert -O raw big.vdi big.img </dev/null >out 2>err &
pid=$!
sleep 0.7
kill -INT $pid 2>/dev/null
wait $pid
rc=$?
[ $rc = 1 ] && [ ! -e big.img ] && grep -q 'interrupted' err &&
    ok "SIGINT stops convert and removes the output" || bad "SIGINT: exit $rc, $(ls big.img 2>&1), $(cat err)"

# ---- check ----
expect 0 "check of raw: nothing to find" -- check src.img
expect 1 "check of a missing file" -- check missing.vdi
expect 1 "check with a bad option" -- check --frob s.vdi
cp s.vdi leak.vdi
# Forget block 1's map entry (the second entry): its data block leaks.
printf '\xff\xff\xff\xff' | dd of=leak.vdi bs=1 seek=$((0x204)) conv=notrunc status=none
expect 3r "check finds a leak (exit 3)" -- check leak.vdi
grep -q '^leaks: 1' out && ok "reports one leak" || bad "reports one leak: $(cat out)"
expect 0 "check -r repairs it" -- check -r leak.vdi
grep -q '^leaks fixed: 1' out && ok "says it fixed one" || bad "says it fixed one: $(cat out)"
expect 0 "check after repair is clean" -- check leak.vdi
cp s.vdi dup.vdi
# Block 7's entry (data block 2) repointed at data block 0: shared.
printf '\x00\x00\x00\x00' | dd of=dup.vdi bs=1 seek=$((0x200 + 7 * 4)) conv=notrunc status=none
expect 2r "check finds a corruption (exit 2)" -- check dup.vdi
grep -q '^corruptions: 1' out && ok "reports one corruption" || bad "reports one corruption: $(cat out)"

# ---- resize ----
expect 0 "resize vdi +16M" -- resize s.vdi +16M
"$RAWBOX" disk info s.vdi | grep -q 'virtual size: 26 MiB' && ok "now 26 MiB" || bad "now 26 MiB"
expect 0 "resize vdi to 64M" -- resize s.vdi 64M
expect 0 "check after growing" -- check s.vdi
expect 0 "vdi -> raw after growing" -- convert -O raw s.vdi grown.img
cmp -s -n $((10 * MiB)) src.img grown.img && [ "$(stat -c %s grown.img)" = $((64 * MiB)) ] &&
    ok "the data survives growing" || bad "the data survives growing"
expect 2 "resize shrink without --shrink" -- resize s.vdi 1M
expect 1 "vdi cannot shrink" -- resize --shrink s.vdi 1M
grep -q 'shrinking a vdi image is not supported' err && ok "says vdi cannot shrink" || bad "says vdi cannot shrink: $(cat err)"
expect 1 "fixed vdi cannot grow" -- resize f.vdi +1G
expect 1 "vdi past its map's room" -- resize s.vdi 1T
expect 2 "resize bad size" -- resize s.vdi +12Q
expect 2 "resize -SIZE past zero" -- resize --shrink s.vdi -2G
expect 0 "resize raw +1M" -- resize half.img +1M
[ "$(stat -c %s half.img)" = $((5 * MiB / 2)) ] && ok "raw is 2.5M" || bad "raw is 2.5M"
expect 0 "resize raw --shrink -1M" -- resize --shrink half.img -1M
[ "$(stat -c %s half.img)" = $((3 * MiB / 2)) ] && ok "raw is 1.5M again" || bad "raw is 1.5M again"
expect 2 "resize a missing file" -- resize missing.vdi +1M

# ---- qcow2 (once its driver creates images) ----
if "$RAWBOX" disk create -f qcow2 q.qcow2 64M >out 2>err; then
    expect 0 "convert raw -> qcow2" -- convert -O qcow2 src.img s.qcow2
    expect 0 "convert qcow2 -> vdi" -- convert -O vdi s.qcow2 q.vdi
    expect 0 "convert vdi -> qcow2" -- convert -O qcow2 q.vdi q2.qcow2
    expect 0 "convert qcow2 -> raw" -- convert -O raw q2.qcow2 q.img
    cmp -s src.img q.img && ok "raw -> qcow2 -> vdi -> qcow2 -> raw is identical" || bad "through qcow2 and vdi: not identical"
    expect 0 "check the qcow2" -- check q2.qcow2
    expect 0 "create qcow2 with -o" -- create -o cluster_size=4K,compat=0.10 o.qcow2 1M
    expect 0 "create qcow2 over a backing file, size from it" -- create -b src.img -F raw ov.qcow2
    expect 2 "create qcow2 over a missing backing file" -- create -b nothere.img ov2.qcow2
    [ -e ov2.qcow2 ] && bad "no overlay left for a missing backing file" || ok "no overlay left for a missing backing file"
    "$RAWBOX" disk info ov.qcow2 | grep -q 'virtual size: 10 MiB' && ok "the overlay has the backing's size" || bad "the overlay's size: $("$RAWBOX" disk info ov.qcow2)"
    expect 0 "resize qcow2 +1M" -- resize q2.qcow2 +1M
    QCOW2=1
else
    echo "note: qcow2 skipped: rawbox cannot create qcow2 images yet ($(cat err))"
    QCOW2=0
fi

# ---- against QEMU ----
if command -v qemu-img >/dev/null && command -v qemu-io >/dev/null; then
    qemu-img info f.vdi >out 2>&1 && grep -q '^file format: vdi' out && grep -q 'virtual size: 8 MiB' out &&
        ok "qemu-img info reads rawbox's fixed vdi" || bad "qemu-img info f.vdi: $(cat out)"
    qemu-img check fixed.vdi >out 2>&1 && ok "qemu-img check: rawbox's fixed vdi is clean" || bad "qemu-img check fixed.vdi: $(cat out)"
    qemu-img check grown.img -f raw >/dev/null 2>&1   # raw: nothing to check, only must not hang
    "$RAWBOX" disk convert -O vdi src.img s2.vdi >/dev/null
    qemu-img check s2.vdi >out 2>&1 && ok "qemu-img check: rawbox's dynamic vdi is clean" || bad "qemu-img check s2.vdi: $(cat out)"
    qemu-img info s2.vdi 2>&1 | grep -q 'virtual size: 10 MiB' && ok "qemu-img info: size of rawbox's vdi" || bad "qemu-img info s2.vdi"
    qemu-img compare -f raw -F vdi src.img s2.vdi >out 2>&1 && ok "qemu-img compare: raw -> vdi by rawbox" || bad "qemu-img compare src.img s2.vdi: $(cat out)"
    qemu-img check s.vdi >out 2>&1 && ok "qemu-img check: the resized vdi" || bad "qemu-img check resized s.vdi: $(cat out)"
    qemu-img compare -f vdi -F raw s.vdi grown.img >out 2>&1 && ok "qemu-img compare: the resized vdi" || bad "qemu-img compare s.vdi: $(cat out)"
    qemu-img check leak.vdi >out 2>&1 && ok "qemu-img check: the repaired vdi" || bad "qemu-img check leak.vdi: $(cat out)"
    # Images QEMU wrote, read by rawbox.
    head -c $((3 * MiB)) /dev/zero | tr '\0' '\132' >want.img
    truncate -s 8M want.img
    for kind in dynamic static; do
        opt=; [ $kind = static ] && opt="-o static=on"
        qemu-img create -q -f vdi $opt qemu-$kind.vdi 8M &&
            qemu-io -f vdi -c "write -P 0x5a 0 3M" qemu-$kind.vdi >/dev/null 2>&1 ||
            { bad "qemu-img makes a $kind vdi"; continue; }
        expect 0 "rawbox check: QEMU's $kind vdi" -- check qemu-$kind.vdi
        expect 0 "rawbox convert -O raw: QEMU's $kind vdi" -- convert -O raw qemu-$kind.vdi qemu-$kind.img
        cmp -s want.img qemu-$kind.img && ok "QEMU's $kind vdi reads 3 MiB of 0x5a, then zeros" || bad "QEMU's $kind vdi reads back wrong"
        if [ $kind = dynamic ]; then
            # QEMU's map ends at 0x400: room for 128 blocks.
            expect 0 "rawbox grows QEMU's dynamic vdi" -- resize qemu-$kind.vdi 100M
            qemu-img info qemu-$kind.vdi 2>&1 | grep -q 'virtual size: 100 MiB' && qemu-img check qemu-$kind.vdi >out 2>&1 &&
                ok "QEMU sees it grown, clean" || bad "QEMU on the grown vdi: $(cat out)"
            expect 1 "QEMU's vdi has no room past 128 MiB" -- resize qemu-$kind.vdi 129M
        fi
        expect 0 "rawbox re-creates QEMU's $kind vdi (--force)" -- convert -O vdi --force src.img qemu-$kind.vdi
        qemu-img compare -f raw -F vdi src.img qemu-$kind.vdi >out 2>&1 && qemu-img check qemu-$kind.vdi >/dev/null 2>&1 &&
            ok "QEMU reads it back, clean" || bad "QEMU reads back qemu-$kind.vdi: $(cat out)"
    done
    qemu-img create -q -f vdi qemu-w.vdi 8M
    cp src.img w.img; truncate -s 8M w.img   # src.img is 10M; compare what fits
    "$RAWBOX" disk convert -O raw --force qemu-w.vdi w0.img >/dev/null 2>&1
    qemu-io -f vdi -c "write -P 0x33 1M 2M" -c "write -P 0x44 6M 4k" qemu-w.vdi >/dev/null 2>&1
    "$RAWBOX" disk convert -O vdi src.img rw.vdi >/dev/null 2>&1
    qemu-io -f vdi -c "write -P 0x61 9M 64k" rw.vdi >/dev/null 2>&1
    "$RAWBOX" disk check rw.vdi >out 2>&1 && "$RAWBOX" disk convert -O raw rw.vdi rw.img >/dev/null 2>&1 &&
        qemu-img compare -f vdi -F raw rw.vdi rw.img >/dev/null 2>&1 &&
        ok "a vdi written by rawbox then QEMU: both agree, clean" || bad "rawbox then QEMU writes: $(cat out)"
    if [ $QCOW2 = 1 ]; then
        qemu-img check s.qcow2 >out 2>&1 && ok "qemu-img check: rawbox's qcow2" || bad "qemu-img check s.qcow2: $(cat out)"
        qemu-img compare -f raw -F qcow2 src.img s.qcow2 >out 2>&1 && ok "qemu-img compare: raw -> qcow2 by rawbox" || bad "qemu-img compare s.qcow2: $(cat out)"
        qemu-img convert -f raw -O qcow2 src.img qemu.qcow2
        expect 0 "rawbox convert: QEMU's qcow2 -> vdi" -- convert -O vdi qemu.qcow2 fromq.vdi
        qemu-img compare -f raw -F vdi src.img fromq.vdi >out 2>&1 && ok "qemu-img compare: QEMU's qcow2 via rawbox to vdi" || bad "qemu-img compare fromq.vdi: $(cat out)"
        qemu-img compare -f qcow2 -F vdi qemu.qcow2 fromq.vdi >/dev/null 2>&1 && ok "qemu-img compare qcow2 vs vdi" || bad "qemu-img compare qcow2 vs vdi"
    fi
else
    echo "note: qemu-img/qemu-io not installed (Debian qemu-utils): no QEMU cross-check"
fi

echo "$((n - fails)) passed, $fails failed"
[ $fails -eq 0 ]
