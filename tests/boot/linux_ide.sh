#!/bin/bash
# Boot test: Linux's own IDE driver on rawbox's controller. Debian 12's
# i386 kernel (scripts/fetch-guest.sh) boots with --kernel while a raw disk
# and an ISO are attached (--disk, --cdrom: a kernel boot keeps working with
# disks); the initramfs gets the kernel's ata_piix, libata, sd_mod, sr_mod,
# isofs (and what they need) on top, taken from the same Debian kernel
# package (downloaded once with the guest's private apt setup, kept in the
# guest cache as ide-modules-KVER.cpio.gz).
# In the guest: load the modules, mount the CD (ISO 9660) and read a file,
# write a sector of the disk and read it back past the page cache, read
# the whole disk, show the interrupt counts; libata uses bus master DMA
# (MWDMA2 on the PIIX3) for the disk and the CD. After the VM ends, the
# written sector is checked in the image on the host.
#
#   tests/boot/linux_ide.sh [--qemu|--rawbox]   (QEMU first when installed)
#
# Environment: RAWBOX, BOOT_PROMPT_TIMEOUT, BOOT_FIRST_OUTPUT_TIMEOUT (as
# linux_boot.sh). Exit 0 = pass, 1 = fail, 77 = skipped (no xorriso, or the
# kernel package cannot be downloaded).
set -uo pipefail
cd "$(dirname "$0")/../.."

. tests/boot/lib.bash
boot_args "$0" "$@"
FIRST_TIMEOUT=${BOOT_FIRST_OUTPUT_TIMEOUT:-300}
command -v xorriso >/dev/null || { echo "SKIP: xorriso not installed"; exit 77; }

out=$(scripts/fetch-guest.sh 2>"$LOGDIR/fetch-guest.log") || {
    echo "FAIL: scripts/fetch-guest.sh could not build the guest: $(tail -n1 "$LOGDIR/fetch-guest.log")"
    exit 1
}
eval "$(echo "$out" | tail -n 2)"
GUEST=$(dirname "$KERNEL")
KVER=$(awk '{print $1; exit}' "$GUEST/kernel-version")
MODS=$GUEST/ide-modules-$KVER.cpio.gz
echo "guest: $KERNEL $INITRD ($KVER)"

RUN=$(mktemp -d "$LOGDIR/linux_ide.run.XXXXXX") || { echo "FAIL: mktemp"; exit 1; }
trap 'rm -rf "$RUN"' EXIT

# Load order = dependency order (each module's "depends=").
MODLIST="drivers/scsi/scsi_common drivers/scsi/scsi_mod drivers/ata/libata drivers/ata/ata_piix
 drivers/cdrom/cdrom drivers/scsi/sr_mod lib/crc64 crypto/crct10dif_common
 crypto/crct10dif_generic lib/crc-t10dif crypto/crc64_rocksoft_generic lib/crc64-rocksoft
 block/t10-pi drivers/scsi/sd_mod fs/isofs/isofs"
# shellcheck disable=SC2086  # $MODLIST is a list of module paths
why=$(guest_modules i386 "$KVER" "$MODS" $MODLIST)
case $? in
0) ;;
77) echo "SKIP: $why"; exit 77 ;;
*) echo "FAIL: $why"; exit 1 ;;
esac
cat "$INITRD" "$MODS" > "$RUN/initrd.gz"

mkdir -p "$RUN/iso"
echo "rawbox IDE test file" > "$RUN/iso/readme.txt"
xorriso -as mkisofs -quiet -o "$RUN/test.iso" "$RUN/iso" 2>"$RUN/xorriso.err" ||
    { echo "FAIL: xorriso: $(tail -n1 "$RUN/xorriso.err")"; exit 1; }

names=$(for m in $MODLIST; do printf '%s ' "${m##*/}"; done)
boot_flow "$FIRST_TIMEOUT" \
    "cd /mods; for m in $names; do insmod \$m.ko || echo INSMOD_FAIL \$m; done; cd /; sleep 1" \
    "dmesg | grep -E 'ata[12]|sr0|sda'" \
    "mkdir -p /mnt; mount -t iso9660 -o ro /dev/sr0 /mnt && cat /mnt/readme.txt" \
    "echo rawbox-disk-write-test > /tmp/p; dd if=/tmp/p of=/dev/sda bs=512 seek=2048 conv=sync,fsync 2>/dev/null; echo 3 > /proc/sys/vm/drop_caches; dd if=/dev/sda bs=512 skip=2048 count=1 2>/dev/null | head -c 22; echo" \
    "dd if=/dev/sda of=/dev/null bs=65536 2>&1 | tail -n 1" \
    "grep ata_piix /proc/interrupts" \
    "echo libata-errors=\$(dmesg | grep -c -E 'exception Emask|failed command|timeout')"

check_output() {
    check_lines "$1" \
        'every module loaded|__DONE_0' \
        'ata_piix found the disk|ata1\.00: ATA-[0-9]+: [A-Z]+ HARDDISK' \
        'ata_piix found the CD-ROM|ata2\.00: ATAPI: [A-Z]+ (CD|DVD)-ROM' \
        'the disk attached|sd 0:0:0:0: \[sda\] 16384 512-byte logical blocks' \
        'the CD-ROM attached|Attached scsi CD-ROM sr0' \
        'mount the CD and read a file|^rawbox IDE test file' \
        'write a sector, read it back from the disk|^rawbox-disk-write-test' \
        'read the whole disk (busybox dd: 128 x 64 KiB)|^128\+0 records out' \
        'IRQ 14 and 15 counted|^ *14: +[1-9][0-9]* .*ata_piix' \
        'no libata errors|^libata-errors=0' \
        'poweroff reached the kernel|reboot: Power down'
    local bad=$?
    if tr -d '\r' < "$1" | grep -a -q '^INSMOD_FAIL'; then
        echo "  FAIL a module did not load: $(tr -d '\r' < "$1" | grep -a -m1 '^INSMOD_FAIL')"
        bad=1
    fi
    # The write reached the image on the host.
    if [ "$(dd if="$RUN/disk.img" bs=512 skip=2048 count=1 2>/dev/null | head -c 22)" = rawbox-disk-write-test ]; then
        echo "  ok   the sector is in the image file"
    else
        echo "  FAIL the written sector is not in the image file"
        bad=1
    fi
    rm -f "$RUN/disk.img"
    truncate -s 8M "$RUN/disk.img"
    return $bad
}

truncate -s 8M "$RUN/disk.img"
tmo=${BOOT_PROMPT_TIMEOUT:-600}
boot_both linux_ide \
    qemu-system-i386 -accel tcg -m 256 -kernel "$KERNEL" -initrd "$RUN/initrd.gz" -append console=ttyS0 \
        -drive "file=$RUN/disk.img,format=raw,if=ide,index=0" -cdrom "$RUN/test.iso" \
        -display none -serial stdio -monitor none -no-reboot -- \
    "$RAWBOX" run -m 256M --kernel "$KERNEL" --initrd "$RUN/initrd.gz" --append console=ttyS0 \
        --disk "$RUN/disk.img,format=raw" --cdrom "$RUN/test.iso" --timeout $((tmo + 120))
