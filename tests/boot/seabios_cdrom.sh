#!/bin/bash
# Boot test: SeaBIOS boots from the IDE CD-ROM and from an IDE disk.
# Builds at test time, in build/boot/seabios_cdrom/:
#   - boot.bin from tests/boot/bootsect.asm (nasm): prints on port 0xE9,
#     reads one sector through INT 13h AH=42h (the ISO's volume descriptor
#     at LBA 16 of the CD, or the same bytes at LBA 1 of the disk), checks
#     "CD001" and exits through port 0xF4 (status 1 = pass, 3 = fail);
#   - test.iso, an El Torito no-emulation CD with boot.bin (xorriso, or
#     genisoimage);
#   - disk.img, a 2 MiB raw MBR disk: boot.bin in sector 0.
# Rounds (the boot sector prints the BIOS drive: E0 for the CD, 80 disk):
#   cdrom      --cdrom ISO (no --bios: SeaBIOS is the default firmware)
#   disk       --disk IMG,format=raw
#   order-dc   -hda IMG -cdrom ISO -boot order=dc  -> the CD boots
#   order-cd   -drive file=ISO,media=cdrom --disk IMG --boot order=cd,menu=off
#              -> the disk boots (fw_cfg bootorder and CMOS bytes)
# Each round runs under QEMU first when installed (the expectations must
# hold there, else the test is broken), then under rawbox.
# Environment: RAWBOX (default build/release/rawbox), SEABIOS_TIME_LIMIT
# (seconds per boot, default 60). Exit 0 = pass, 1 = fail, 77 = skipped
# (SeaBIOS, nasm or an ISO tool missing).
set -uo pipefail
cd "$(dirname "$0")/../.."
RAWBOX=${RAWBOX:-build/release/rawbox}
ROM=/usr/share/seabios/bios-256k.bin
LIMIT=${SEABIOS_TIME_LIMIT:-60}
D=build/boot/seabios_cdrom
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

nasm -f bin -o "$D/boot.bin" tests/boot/bootsect.asm || { echo "FAIL: nasm"; exit 1; }
rm -rf "$D/iso" && mkdir -p "$D/iso" && cp "$D/boot.bin" "$D/iso/" &&
    echo "rawbox El Torito test" > "$D/iso/readme.txt" &&
    "${mkiso[@]}" -o "$D/test.iso" -b boot.bin -no-emul-boot -boot-load-size 4 "$D/iso" ||
    { echo "FAIL: cannot build the ISO"; exit 1; }
rm -f "$D/disk.img"
dd if=/dev/zero of="$D/disk.img" bs=1M count=2 status=none &&
    dd if="$D/boot.bin" of="$D/disk.img" conv=notrunc status=none &&
    printf '\001CD001' | dd of="$D/disk.img" bs=1 seek=512 conv=notrunc status=none ||
    { echo "FAIL: cannot build the disk image"; exit 1; }

status=0
# run VM ROUND DRIVE CMD...: the boot must print "drive DRIVE", read the
# sector and exit with status 1.
run() {
    local vm=$1 round=$2 drive=$3 out=$D/$1.$2.e9 ser=$D/$1.$2.serial
    shift 3
    rm -f "$out"
    : > "$out"
    timeout $((LIMIT + 10)) "$@" > "$D/$vm.$round.out" 2>&1
    local rc=$?
    local bad=0
    if [ $rc -ne 1 ]; then
        echo "FAIL $vm $round: exit status $rc, expected 1 (the boot sector's pass)"
        bad=1
    fi
    if ! grep -a -q "rawbox boot sector: drive $drive" "$out"; then
        echo "FAIL $vm $round: no 'rawbox boot sector: drive $drive' on port 0xE9"
        bad=1
    fi
    if ! grep -a -q "read the volume descriptor: ok" "$out"; then
        echo "FAIL $vm $round: the INT 13h read did not return the sector"
        bad=1
    fi
    if [ $bad -ne 0 ]; then
        status=1
        sed "s/^/  $vm $round 0xE9| /" "$out" | head -5
        tail -n 5 "$D/$vm.$round.out" | sed "s/^/  $vm $round| /"
        [ -f "$ser" ] && tr -d '\r' < "$ser" | tail -n 5 | sed "s/^/  $vm $round COM1| /"
        return 1
    fi
    echo "ok $vm $round: booted from drive $drive, read the sector, exit status 1"
}

ISO=$D/test.iso IMG=$D/disk.img
Q=(qemu-system-i386 -m 128 -display none -nodefaults -monitor none
   -device isa-debug-exit,iobase=0xf4,iosize=4)
R=("$RAWBOX" run -m 128M --timeout "$LIMIT")
have_qemu=0
command -v qemu-system-i386 >/dev/null && have_qemu=1

round() {
    local name=$1 drive=$2 qargs=$3 rargs=$4
    if [ $have_qemu = 1 ]; then
        # shellcheck disable=SC2086  # the argument lists are word lists
        if ! run qemu "$name" "$drive" "${Q[@]}" -bios "$ROM" -debugcon "file:$D/qemu.$name.e9" \
                -serial "file:$D/qemu.$name.serial" $qargs; then
            echo "FAIL: round $name does not pass under QEMU: the test is broken"
            exit 1
        fi
    fi
    # shellcheck disable=SC2086
    run rawbox "$name" "$drive" "${R[@]}" --debugcon "file:$D/rawbox.$name.e9" \
        --serial "file:$D/rawbox.$name.serial" $rargs
}

round cdrom E0 "-cdrom $ISO -boot d" "--cdrom $ISO"
round disk 80 "-drive file=$IMG,format=raw,if=ide" "--disk $IMG,format=raw"
round order-dc E0 "-drive file=$IMG,format=raw,index=0 -cdrom $ISO -boot order=dc" \
    "-hda $IMG -cdrom $ISO -boot order=dc"
round order-cd 80 "-drive file=$ISO,media=cdrom -drive file=$IMG,format=raw -boot order=cd,menu=off" \
    "-drive file=$ISO,media=cdrom --disk $IMG --boot order=cd,menu=off"

# The order reached SeaBIOS as fw_cfg "bootorder" paths, not only CMOS.
"${R[@]}" --debugcon "file:$D/rawbox.fwlog.e9" --serial none --firmware-log "file:$D/rawbox.fwlog" \
    --cdrom "$ISO" --disk "$IMG" --boot order=cd > /dev/null 2>&1
if grep -a -A2 '^boot order:' "$D/rawbox.fwlog" | grep -q '/pci@i0cf8/ide@1,1/drive@0/disk@0'; then
    echo "ok rawbox bootorder: SeaBIOS read /pci@i0cf8/ide@1,1/drive@0/disk@0 from fw_cfg"
else
    echo "FAIL rawbox bootorder: no IDE path in SeaBIOS's 'boot order:' list"
    status=1
fi

[ $status -eq 0 ] && echo "PASS: SeaBIOS boots the El Torito CD and the MBR disk over IDE (rounds: cdrom disk order-dc order-cd)"
exit $status
