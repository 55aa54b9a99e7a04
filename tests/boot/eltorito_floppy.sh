#!/bin/bash
# Boot test: El Torito floppy emulation. SeaBIOS boots a CD whose boot
# image is a 1.44 MB floppy image (no -no-emul-boot) and maps it as BIOS
# drive 00h, reading it through rawbox's ATAPI CD-ROM.
# Builds at test time, in build/boot/eltorito_floppy/:
#   - floppy.img, 1,474,560 bytes: tests/boot/floppy_emul.asm (nasm) in
#     sector 0, "rawbox floppy sector N" at the start of sectors 1, 2, 58;
#   - test.iso with it as the El Torito boot image (xorriso, or
#     genisoimage).
# The boot sector prints on port 0xE9 the drive it was booted from and the
# geometry INT 13h AH=08h gives (must be 80 cylinders, 18 sectors, 2 heads:
# "geometry 4F/12/01"), reads cylinder 1 head 1 sector 5 (LBA 58) and two
# sectors from cylinder 0 sector 2 (LBA 1-2) with AH=02h, checks their
# bytes and exits through port 0xF4 (status 1 = pass, 3 = fail).
# Rounds: cdrom (--cdrom ISO alone), with-disk (a raw disk on the primary
# master too, -boot order=d: the emulated floppy is still drive 00h).
# Each round runs under QEMU first when installed (a failure there means
# the test is broken), then under rawbox.
# Environment: RAWBOX (default build/release/rawbox), SEABIOS_TIME_LIMIT
# (seconds per boot, default 60). Exit 0 = pass, 1 = fail, 77 = skipped
# (SeaBIOS, nasm or an ISO tool missing).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
RAWBOX=${RAWBOX:-build/release/rawbox}
ROM=/usr/share/seabios/bios-256k.bin
LIMIT=${SEABIOS_TIME_LIMIT:-60}
D=build/boot/eltorito_floppy
mkdir -p "$D"

[ -f "$ROM" ] || { echo "SKIP: $ROM not installed (apt-get install seabios)"; exit 77; }
command -v nasm >/dev/null || { echo "SKIP: nasm not installed"; exit 77; }
if command -v xorriso >/dev/null; then
    mkiso=(xorriso -as mkisofs -quiet)
elif command -v genisoimage >/dev/null; then
    mkiso=(genisoimage -quiet)
else
    echo "SKIP: neither xorriso nor genisoimage is installed"
    exit 77
fi

nasm -f bin -o "$D/boot.bin" tests/boot/floppy_emul.asm || { echo "FAIL: nasm"; exit 1; }
rm -rf "$D/iso" "$D/floppy.img" && mkdir -p "$D/iso" &&
    truncate -s 1474560 "$D/floppy.img" &&
    dd if="$D/boot.bin" of="$D/floppy.img" conv=notrunc status=none || { echo "FAIL: floppy image"; exit 1; }
for s in 1 2 58; do
    printf 'rawbox floppy sector %d' $s | dd of="$D/floppy.img" bs=512 seek=$s conv=notrunc status=none
done
cp "$D/floppy.img" "$D/iso/" && echo "rawbox El Torito floppy test" > "$D/iso/readme.txt" &&
    "${mkiso[@]}" -o "$D/test.iso" -b floppy.img "$D/iso" 2>"$D/mkiso.err" ||
    { echo "FAIL: cannot build the ISO: $(tail -n1 "$D/mkiso.err")"; exit 1; }
rm -f "$D/disk.img" && truncate -s 2M "$D/disk.img"

status=0
# run VM ROUND CMD...: the boot must print drive 00, the geometry, pass its
# reads and exit with status 1.
run() {
    local vm=$1 round=$2 out=$D/$1.$2.e9
    shift 2
    rm -f "$out"
    : > "$out"
    timeout $((LIMIT + 10)) "$@" > "$D/$vm.$round.out" 2>&1
    local rc=$? bad=0 want
    if [ $rc -ne 1 ]; then
        echo "FAIL $vm $round: exit status $rc, expected 1 (the boot sector's pass)"
        bad=1
    fi
    for want in "rawbox floppy: drive 00" "geometry 4F/12/01" "CHS reads ok"; do
        if ! grep -a -q "^$want" "$out"; then
            echo "FAIL $vm $round: no '$want' on port 0xE9"
            bad=1
        fi
    done
    if [ $bad -ne 0 ]; then
        status=1
        sed "s/^/  $vm $round 0xE9| /" "$out" | head -5
        tail -n 5 "$D/$vm.$round.out" | sed "s/^/  $vm $round| /"
        return 1
    fi
    echo "ok $vm $round: booted the emulated floppy (drive 00, 80/18/2), CHS reads matched"
}

ISO=$D/test.iso IMG=$D/disk.img
Q=(qemu-system-i386 -m 64 -display none -nodefaults -monitor none
   -device isa-debug-exit,iobase=0xf4,iosize=4)
R=("$RAWBOX" run -m 64M --timeout "$LIMIT" --serial none)
have_qemu=0
command -v qemu-system-i386 >/dev/null && have_qemu=1

round() {
    local name=$1 qargs=$2 rargs=$3
    if [ $have_qemu = 1 ]; then
        # shellcheck disable=SC2086  # the argument lists are word lists
        if ! run qemu "$name" "${Q[@]}" -bios "$ROM" -debugcon "file:$D/qemu.$name.e9" $qargs; then
            echo "FAIL: round $name does not pass under QEMU: the test is broken"
            exit 1
        fi
    fi
    # shellcheck disable=SC2086
    run rawbox "$name" "${R[@]}" --debugcon "file:$D/rawbox.$name.e9" $rargs
}

round cdrom "-cdrom $ISO -boot d" "--cdrom $ISO"
round with-disk "-drive file=$IMG,format=raw,if=ide,index=0 -cdrom $ISO -boot order=d" \
    "-hda $IMG -cdrom $ISO -boot order=d"

[ $status -eq 0 ] && echo "PASS: SeaBIOS boots an El Torito floppy-emulation CD on rawbox (rounds: cdrom with-disk)"
exit $status
