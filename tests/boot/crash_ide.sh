#!/bin/bash
# Crash test: rawbox SIGKILLed while a guest writes through IDE leaves an
# image that `rawbox disk check` and `qemu-img check` accept (leaked
# clusters at worst) and that holds every write the guest saw flushed.
#
# The guest (tests/boot/crash_writer.asm, nasm) is an MBR boot sector on
# a small raw boot disk (IDE primary master, booted by SeaBIOS). It writes
# 4-sector numbered blocks, one per 64 KiB (fresh qcow2 clusters, partial
# and some crossing clusters), to the disk under test (primary slave)
# with WRITE SECTORS and WRITE SECTORS EXT, sends FLUSH CACHE (E7h/EAh)
# after every 32 and prints "flushed up to N" on port 0xE9 once the flush
# has completed. Each round starts rawbox, waits for such a line with a
# random N (tests/boot/crash_kill.py), sleeps 0-8 ms more and kills rawbox
# with SIGKILL, then:
#   - `rawbox disk check` and `qemu-img check` must exit 0 or 3 (leaks);
#   - the image, read back as raw (qemu-img convert, or rawbox disk
#     convert in every other round), must hold blocks 1..N (N the last
#     line printed) and, everywhere else, either a block's content or
#     what was there before (zeros, or the backing file's bytes: this
#     checks copy-on-write around partial clusters), sector by sector
#     (tests/boot/crash_verify.py).
# Kinds of image (CRASH_ROUNDS rounds each, default 3):
#   raw, qcow2 (fresh, 64 KiB clusters), qcow2-4k (4 KiB clusters: L2
#   tables and refcount blocks allocated as it goes), qcow2-backing
#   (fresh overlay of a raw backing file full of a pattern), vdi (dynamic).
# First a complete run (no kill): under QEMU when installed (a failure
# there means the guest or the checker is broken), then under rawbox.
# Environment: RAWBOX (default build/release/rawbox), CRASH_ROUNDS,
# CRASH_SEED (the kill delays; default random, printed), CRASH_KINDS (a
# list of the kinds above, default all).
# Exit 0 = pass, 1 = fail, 77 = skipped (SeaBIOS, nasm or qemu-img missing).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
RAWBOX=${RAWBOX:-build/release/rawbox}
ROM=/usr/share/seabios/bios-256k.bin
ROUNDS=${CRASH_ROUNDS:-3}
SEED=${CRASH_SEED:-$$}
D=build/boot/crash_ide
SIZE=256M

[ -f "$ROM" ] || { echo "SKIP: $ROM not installed (apt-get install seabios)"; exit 77; }
command -v nasm >/dev/null || { echo "SKIP: nasm not installed"; exit 77; }
command -v qemu-img >/dev/null || { echo "SKIP: qemu-img not installed"; exit 77; }
[ -x "$RAWBOX" ] || { echo "FAIL: $RAWBOX is not built"; exit 1; }
RANDOM=$SEED
echo "seed $SEED (CRASH_SEED=$SEED repeats the kill delays)"

rm -rf "$D" && mkdir -p "$D"
. tests/boot/crash_lib.bash
nasm -f bin -o "$D/writer.bin" tests/boot/crash_writer.asm || { echo "FAIL: nasm"; exit 1; }
truncate -s 1M "$D/boot.img" && dd if="$D/writer.bin" of="$D/boot.img" conv=notrunc status=none ||
    { echo "FAIL: cannot build the boot disk"; exit 1; }
make_backing || { echo "FAIL: cannot build the backing file"; exit 1; }

# vm_cmd IMG FMT E9 -> the rawbox command line in array `cmd`.
vm_cmd() {
    cmd=("$RAWBOX" run -m 64M --timeout 60 --hda "$D/boot.img"
         --drive "file=$1,format=$2,if=ide,index=1" --debugcon "file:$3" --serial none)
}

status=0

# Complete runs: the guest writes all 4000 blocks and exits (status 1).
if command -v qemu-system-i386 >/dev/null; then
    truncate -s "$SIZE" "$D/qemu.raw"
    timeout 120 qemu-system-i386 -m 64 -display none -nodefaults -monitor none \
        -device isa-debug-exit,iobase=0xf4,iosize=4 -bios "$ROM" \
        -drive "file=$D/boot.img,format=raw,if=ide,index=0" \
        -drive "file=$D/qemu.raw,format=raw,if=ide,index=1" -debugcon "file:$D/qemu.e9" \
        > "$D/qemu.out" 2>&1
    rc=$?
    echo "== qemu complete: exit status $rc, $(tail -n1 "$D/qemu.e9")"
    if [ $rc -ne 1 ] || ! grep -q '^done 4000$' "$D/qemu.e9" ||
            ! python3 tests/boot/crash_verify.py "$D/qemu.raw" 4000; then
        echo "FAIL: the complete run fails under QEMU: the test is broken"
        exit 1
    fi
    rm -f "$D/qemu.raw"
else
    echo "(qemu-system-i386 not installed: the guest is not cross-checked)"
fi
fmt=$(make_image qcow2 "$D/complete.qcow2")
vm_cmd "$D/complete.qcow2" "$fmt" "$D/complete.e9"
"${cmd[@]}" > "$D/complete.out" 2>&1
rc=$?
echo "== rawbox complete (qcow2): exit status $rc, $(tail -n1 "$D/complete.e9")"
if [ $rc -ne 1 ] || ! grep -q '^done 4000$' "$D/complete.e9" ||
        ! check_image complete qcow2 qcow2 "$D/complete.qcow2" 4000 0; then
    echo "  FAIL the complete run (expected exit status 1 and 'done 4000')"
    tail -n 3 "$D/complete.out" | sed 's/^/  | /'
    status=1
fi
rm -f "$D/complete.qcow2"

for kind in ${CRASH_KINDS:-raw qcow2 qcow2-4k qcow2-backing vdi}; do
    for round in $(seq 1 "$ROUNDS"); do
        name=$kind.$round
        img=$D/$name.img
        fmt=$(make_image "$kind" "$img") || { echo "FAIL $name: cannot create the image"; status=1; continue; }
        e9=$D/$name.e9
        : > "$e9"
        vm_cmd "$img" "$fmt" "$e9"
        # Kill at a random point of the run: up to 8 ms after the guest
        # reports block T flushed, so that the kill lands among the next
        # batch's writes or in its FLUSH, whatever the format's speed.
        target=$(( (RANDOM % 120 + 1) * 32 ))
        delay_us=$((RANDOM % 8000))
        python3 tests/boot/crash_kill.py "$e9" "flushed up to $target" $delay_us "$D/$name.out" \
            -- "${cmd[@]}"
        rc=$?
        n=$(last_flushed "$e9")
        echo "== $name: killed $delay_us us after \"flushed up to $target\" (exit status $rc), flushed up to $n"
        if [ "$n" -eq 0 ]; then
            echo "  FAIL no flush reported: $(tail -n1 "$D/$name.out")"
            status=1
            continue
        fi
        [ $rc -eq 137 ] || echo "  (not killed: the guest had ended; exit status $rc)"
        if check_image "$name" "$kind" "$fmt" "$img" "$n" "$round"; then
            rm -f "$img"
        else
            echo "  FAIL $name (image kept: $img)"
            status=1
        fi
    done
done

[ $status -eq 0 ] && echo "PASS: crash_ide ($ROUNDS SIGKILL rounds each: ${CRASH_KINDS:-raw qcow2 qcow2-4k qcow2-backing vdi})"
exit $status
