# Boot media built at test time, without root or loop mounts (sourced, not
# run): the isolinux CD of tests/boot/isolinux_cdrom.sh and the MBR hard
# disk of tests/boot/hd_boot_*.sh, shared with bench/boot_media.sh. Each
# function prints a one-line reason on stdout and returns non-zero on a
# failure; media_missing prints what is not installed (77 for the caller).

ISOLINUX_BIN=/usr/lib/ISOLINUX/isolinux.bin
SYSLINUX_DIR=/usr/lib/syslinux
LDLINUX_C32=$SYSLINUX_DIR/modules/bios/ldlinux.c32
SYSLINUX_MBR=$SYSLINUX_DIR/mbr/mbr.bin

# media_missing cd|hd -> prints the first missing tool or file for that
# medium (with the package to install); nothing when all are there.
media_missing() {
    local f t
    case $1 in
    cd)
        for f in "$ISOLINUX_BIN" "$LDLINUX_C32" /usr/share/seabios/bios-256k.bin; do
            [ -f "$f" ] || { echo "$f (apt-get install isolinux syslinux-common seabios)"; return; }
        done
        command -v xorriso >/dev/null || echo "xorriso (apt-get install xorriso)" ;;
    hd)
        for f in "$SYSLINUX_MBR" /usr/share/seabios/bios-256k.bin; do
            [ -f "$f" ] || { echo "$f (apt-get install syslinux-common seabios)"; return; }
        done
        for t in sfdisk:fdisk mkfs.fat:dosfstools mcopy:mtools syslinux:syslinux \
                 mke2fs:e2fsprogs debugfs:e2fsprogs e2fsck:e2fsprogs; do
            PATH=$PATH:/sbin:/usr/sbin command -v "${t%%:*}" >/dev/null ||
                { echo "${t%%:*} (apt-get install ${t#*:})"; return; }
        done ;;
    esac
}

# isolinux_iso DIR KERNEL INITRD [PROMPT] -> DIR/debian.iso: El Torito
# no-emulation, boot info table, isolinux.bin and ldlinux.c32 from the
# isolinux and syslinux-common packages, an isolinux.cfg that boots
# /vmlinuz with initrd=/initrd.gz console=ttyS0 (label "linux") with COM1
# as isolinux's console too: at once, or with PROMPT=1 after "boot: ",
# waiting for a line with no time-out (bench/boot_media.sh times it).
isolinux_iso() {
    local dir=$1 kernel=$2 initrd=$3 prompt=${4:-0}
    mkdir -p "$dir/iso/isolinux"
    cp "$ISOLINUX_BIN" "$LDLINUX_C32" "$dir/iso/isolinux/" && cp "$kernel" "$dir/iso/vmlinuz" &&
        cp "$initrd" "$dir/iso/initrd.gz" || { echo "cannot copy the ISO's files"; return 1; }
    cat > "$dir/iso/isolinux/isolinux.cfg" <<EOF
SERIAL 0 115200
DEFAULT linux
PROMPT $prompt
TIMEOUT 0
LABEL linux
  KERNEL /vmlinuz
  APPEND initrd=/initrd.gz console=ttyS0
EOF
    xorriso -as mkisofs -quiet -R -J -o "$dir/debian.iso" -b isolinux/isolinux.bin \
        -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table "$dir/iso" \
        2>"$dir/xorriso.err" || { echo "xorriso: $(tail -n1 "$dir/xorriso.err")"; return 1; }
    rm -rf "$dir/iso"
}

# The hard disk's layout, in 512-byte sectors: partition 1 (FAT16, type 6,
# active) holds SYSLINUX, the kernel and the initrd; partition 2 (ext4,
# type 83) is the root the tests write to.
HD_BOOT_START=2048
HD_BOOT_SECTORS=49152      # 24 MiB
HD_ROOT_START=$((HD_BOOT_START + HD_BOOT_SECTORS))
HD_ROOT_SECTORS=32768      # 16 MiB
HD_SECTORS=$((HD_ROOT_START + HD_ROOT_SECTORS))

# hd_image DIR KERNEL INITRD [APPEND] -> DIR/disk.img (raw, 40 MiB):
# syslinux's MBR code in sector 0 with an sfdisk partition table; the boot
# partition made as its own file (mkfs.fat, mcopy, the mtools-based
# `syslinux --install`) and copied in; the root partition an ext4 made by
# `mke2fs -d` from DIR/root.d (created with /etc/rawbox-root holding
# "rawbox hard disk root"). syslinux.cfg boots /vmlinuz with
# initrd=/initrd.gz console=ttyS0 APPEND, at once, with COM1 as its console.
hd_image() {
    local dir=$1 kernel=$2 initrd=$3 append=${4:-} img=$1/disk.img
    local PATH=$PATH:/sbin:/usr/sbin
    rm -f "$img" "$dir/boot.part" "$dir/root.part"
    truncate -s $((HD_SECTORS * 512)) "$img" || { echo "cannot create $img"; return 1; }
    dd if="$SYSLINUX_MBR" of="$img" bs=440 count=1 conv=notrunc status=none ||
        { echo "cannot write the MBR code"; return 1; }
    printf 'label: dos\nstart=%d, size=%d, type=6, bootable\nstart=%d, size=%d, type=83\n' \
        $HD_BOOT_START $HD_BOOT_SECTORS $HD_ROOT_START $HD_ROOT_SECTORS |
        sfdisk --no-reread --no-tell-kernel -q "$img" >"$dir/sfdisk.log" 2>&1 ||
        { echo "sfdisk: $(tail -n1 "$dir/sfdisk.log")"; return 1; }

    # -h: the hidden sectors in the BPB, the partition's offset on the disk.
    mkfs.fat -F 16 -n RAWBOXBOOT -h $HD_BOOT_START -C "$dir/boot.part" $((HD_BOOT_SECTORS / 2)) \
        >"$dir/mkfs.log" 2>&1 || { echo "mkfs.fat: $(tail -n1 "$dir/mkfs.log")"; return 1; }
    cat > "$dir/syslinux.cfg" <<EOF
SERIAL 0 115200
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  KERNEL /vmlinuz
  APPEND initrd=/initrd.gz console=ttyS0 $append
EOF
    local mt=(-i "$dir/boot.part")
    MTOOLS_SKIP_CHECK=1 mcopy "${mt[@]}" "$kernel" ::/vmlinuz >"$dir/mcopy.log" 2>&1 &&
        MTOOLS_SKIP_CHECK=1 mcopy "${mt[@]}" "$initrd" ::/initrd.gz >>"$dir/mcopy.log" 2>&1 &&
        MTOOLS_SKIP_CHECK=1 mcopy "${mt[@]}" "$dir/syslinux.cfg" ::/syslinux.cfg >>"$dir/mcopy.log" 2>&1 ||
        { echo "mcopy: $(tail -n1 "$dir/mcopy.log")"; return 1; }
    syslinux --install "$dir/boot.part" >"$dir/syslinux.log" 2>&1 ||
        { echo "syslinux --install: $(tail -n1 "$dir/syslinux.log")"; return 1; }

    mkdir -p "$dir/root.d/etc"
    echo "rawbox hard disk root" > "$dir/root.d/etc/rawbox-root"
    mke2fs -q -F -t ext4 -L rawbox-root -d "$dir/root.d" "$dir/root.part" \
        $((HD_ROOT_SECTORS / 2))k >"$dir/mke2fs.log" 2>&1 ||
        { echo "mke2fs: $(tail -n1 "$dir/mke2fs.log")"; return 1; }

    dd if="$dir/boot.part" of="$img" bs=512 seek=$HD_BOOT_START conv=notrunc status=none &&
        dd if="$dir/root.part" of="$img" bs=512 seek=$HD_ROOT_START conv=notrunc status=none ||
        { echo "cannot copy the partitions into $img"; return 1; }
    rm -f "$dir/boot.part" "$dir/root.part"
}

# hd_root_part IMG OUT -> OUT: a copy of IMG's root partition (for debugfs
# and e2fsck, which want the filesystem at offset 0).
hd_root_part() {
    dd if="$1" of="$2" bs=512 skip=$HD_ROOT_START count=$HD_ROOT_SECTORS status=none
}
