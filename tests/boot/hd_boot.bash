# The hard-disk boot test's flow (sourced by tests/boot/hd_boot_ide.sh and
# hd_boot_virtio.sh, which set the mode): SeaBIOS boots an MBR disk built
# at test time (tests/boot/media.bash: syslinux's MBR, a FAT partition
# with SYSLINUX, the Debian guest's kernel and initrd, an ext4 root
# partition), Linux comes up on the serial console, the test mounts the
# root partition read-write and writes a file holding a value chosen here,
# syncs and reboots with `reboot -f` (the VM resets, SeaBIOS boots the disk
# again); on the second boot it mounts the partition again, finds the file
# with its value, unmounts and powers off. After the VM ends, the host
# reads the file out of the image with debugfs and checks the filesystem
# with e2fsck -fn.
#
# hd_boot_main MODE SCRIPT ARG...: MODE ide (the i386 guest, PIIX3 IDE:
# ata_piix and sd_mod, /dev/sda) or virtio (the amd64 guest, virtio-blk
# through SeaBIOS and virtio_blk, /dev/vda). The ext4 stack (and for IDE
# the libata and SCSI disk modules) comes from the guest kernel's Debian
# package, appended to the initrd as /mods (cached in the guest directory
# as hd-modules-KVER.cpio.gz).
#
# End of the run: poweroff must end the VM by itself (ACPI S5 through the
# tables rawbox hands SeaBIOS), with status 0 (`--step wait`).

# Modules in load order (each one's "depends=" first).
HD_EXT4_MODS="lib/crc16 fs/mbcache fs/jbd2/jbd2 crypto/crc32c_generic fs/ext4/ext4"
HD_IDE_MODS=$GUEST_IDE_DISK_MODS   # tests/boot/lib.bash

# hd_guest MODE DIR -> sets KERNEL, HD_INITRD (DIR/initrd.gz: the guest's
# initrd with the modules appended), HD_DEV (sda or vda) and HD_LOAD (the
# guest command that loads the modules, printing INSMOD_FAIL NAME on a
# failure). Prints a reason and returns 1 (fail) or 77 (skip) otherwise.
hd_guest() {
    local mode=$1 dir=$2 flavour arch list out kver names m rc
    case $mode in
    ide) flavour=686; arch=i386; list="$HD_IDE_MODS $HD_EXT4_MODS"; HD_DEV=sda ;;
    virtio) flavour=amd64; arch=amd64; list=$HD_EXT4_MODS; HD_DEV=vda ;;
    esac
    out=$(RAWBOX_GUEST_FLAVOUR=$flavour scripts/fetch-guest.sh 2>"$LOGDIR/fetch-guest-$flavour.log") ||
        { echo "scripts/fetch-guest.sh could not build the guest: $(tail -n1 "$LOGDIR/fetch-guest-$flavour.log")"; return 1; }
    eval "$(echo "$out" | tail -n 2)"
    kver=$(awk '{print $1; exit}' "$(dirname "$KERNEL")/kernel-version")
    local mods
    mods=$(dirname "$KERNEL")/hd-modules-$kver.cpio.gz
    # shellcheck disable=SC2086  # $list is a list of module paths
    guest_modules $arch "$kver" "$mods" $list
    rc=$?
    [ $rc -eq 0 ] || return $rc
    cat "$INITRD" "$mods" > "$dir/initrd.gz" || { echo "cannot write $dir/initrd.gz"; return 1; }
    HD_INITRD=$dir/initrd.gz
    names=$(for m in $list; do printf '%s ' "${m##*/}"; done)
    HD_LOAD="cd /mods; for m in $names; do insmod \$m.ko || echo INSMOD_FA\"\"IL \$m; done; cd /"
    if [ "$mode" = virtio ]; then
        HD_LOAD="for m in \$(cat /lib/modules/virtio/order); do insmod /lib/modules/virtio/\$m.ko || echo INSMOD_FA\"\"IL \$m; done; $HD_LOAD"
    fi
}

# hd_boot_steps FIRST_TIMEOUT VALUE -> `steps` for serial_drive.py: the
# two boots. Markers the shell echoes are split by "" so that the echoed
# command line does not match them.
hd_boot_steps() {
    local first=$1 value=$2 part=/dev/${HD_DEV}2 i=0 c
    local wait_dev="for i in 1 2 3 4 5 6 7 8 9 10; do [ -b $part ] && break; sleep 1; done"
    local mount="mkdir -p /mnt; mount -t ext4 -o rw $part /mnt; sed -n 's|^$part /mnt ext4 \\([^,]*\\).*|MNT=\\1|p' /proc/mounts"
    local -a boot1=("$HD_LOAD; $wait_dev" "$mount; cat /mnt/etc/rawbox-root"
                    "echo $value > /mnt/rawbox-hd-test; sync")
    local -a boot2=("$HD_LOAD; $wait_dev" "$mount; echo FOU\"\"ND=\$(cat /mnt/rawbox-hd-test)"
                    "echo FS_ERR\"\"ORS=\$(dmesg | grep -c -E 'EXT4-fs (error|warning)|Can.t find ext4|I/O error')"
                    "umount /mnt && echo UMOUNT_\"\"OK")
    steps=(--step "expect@$first:Linux version" --step 'expect:rawbox:[^\n]*# ' --step mark:prompt)
    for c in "${boot1[@]}"; do
        steps+=(--step "send:$c; echo __DO\"\"NE_$i" --step "expect:__DONE_$i")
        i=$((i + 1))
    done
    steps+=(--step 'send:reboot -f' --step "expect@$first:Linux version" --step 'expect:rawbox:[^\n]*# '
            --step mark:reboot_prompt)
    for c in "${boot2[@]}"; do
        steps+=(--step "send:$c; echo __DO\"\"NE_$i" --step "expect:__DONE_$i")
        i=$((i + 1))
    done
    steps+=(--step 'send:poweroff' --step 'expect:reboot: Power down' --step wait)
}

# hd_check LOG: the transcript, then the image on the host (the root
# partition's file and its fsck); rebuilds the image for the next VM.
hd_check() {
    local log=$1 bad=0 boots
    grep -a '^MARK reboot_prompt' "$log.driver" | awk '{print "   shell prompt after the reboot at " $3 " s"}'
    check_lines "$log" \
        'it holds the files mke2fs put there|^rawbox hard disk root' \
        'the second boot found the file|^FOUND='"$HD_VALUE"'$' \
        'no ext4 or I/O errors|^FS_ERRORS=0' \
        'the root partition unmounted|^UMOUNT_OK' \
        'poweroff reached the kernel|reboot: Power down' || bad=1
    # SYSLINUX's command line, once per boot (SeaBIOS's own "Booting from
    # Hard Disk" reaches COM1 under rawbox only, QEMU shows it on VGA).
    boots=$(tr -d '\r' < "$log" | grep -a -c 'Kernel command line: BOOT_IMAGE=/vmlinuz initrd=/initrd.gz console=ttyS0')
    if [ "$boots" -eq 2 ]; then
        echo "  ok   SYSLINUX booted the kernel from the disk twice"
    else
        echo "  FAIL SYSLINUX booted the kernel $boots times, expected 2 (reboot -f, then the disk again)"
        bad=1
    fi
    if [ "$(tr -d '\r' < "$log" | grep -a -c '^MNT=rw$')" -eq 2 ]; then
        echo "  ok   mounted read-write on both boots"
    else
        echo "  FAIL the root partition was not mounted read-write on both boots"
        bad=1
    fi
    if tr -d '\r' < "$log" | grep -a -q '^INSMOD_FAIL'; then
        echo "  FAIL a module did not load: $(tr -d '\r' < "$log" | grep -a -m1 '^INSMOD_FAIL')"
        bad=1
    fi
    local part=$RUN/root.check got
    hd_root_part "$RUN/disk.img" "$part"
    got=$(PATH=$PATH:/sbin:/usr/sbin debugfs -R 'cat /rawbox-hd-test' "$part" 2>/dev/null)
    if [ "$got" = "$HD_VALUE" ]; then
        echo "  ok   the file is in the image's root partition (debugfs)"
    else
        echo "  FAIL the image's root partition has '${got:0:60}' in /rawbox-hd-test, expected $HD_VALUE"
        bad=1
    fi
    if PATH=$PATH:/sbin:/usr/sbin e2fsck -fn "$part" >"$RUN/e2fsck.log" 2>&1; then
        echo "  ok   e2fsck -fn finds the root partition clean"
    else
        echo "  FAIL e2fsck -fn: $(grep -v '^e2fsck' "$RUN/e2fsck.log" | head -n 3 | tr '\n' ' ')"
        bad=1
    fi
    rm -f "$part"
    hd_image "$RUN" "$KERNEL" "$HD_INITRD" >/dev/null || bad=1
    return $bad
}

hd_boot_main() {
    local mode=$1 script=$2
    shift 2
    boot_args "$script" "$@"
    local test=hd_boot_$mode why rc
    why=$(media_missing hd)
    [ -z "$why" ] || { echo "SKIP: $why not installed"; exit 77; }
    RUN=$(mktemp -d "$LOGDIR/$test.run.XXXXXX") || { echo "FAIL: mktemp"; exit 1; }
    trap 'rm -rf "$RUN"' EXIT
    hd_guest "$mode" "$RUN" >"$RUN/why"
    rc=$?
    why=$(cat "$RUN/why")
    case $rc in
    0) ;;
    77) echo "SKIP: $why"; exit 77 ;;
    *) echo "FAIL: $why"; exit 1 ;;
    esac
    echo "guest: $KERNEL $HD_INITRD (/dev/$HD_DEV)"
    why=$(hd_image "$RUN" "$KERNEL" "$HD_INITRD") || { echo "FAIL: $why"; exit 1; }
    HD_VALUE=hd-$mode-$$-$RANDOM-$(date +%s)
    echo "value: $HD_VALUE"
    hd_boot_steps "${BOOT_FIRST_OUTPUT_TIMEOUT:-300}" "$HD_VALUE"
    check_output() { hd_check "$@"; }
    local tmo=${BOOT_PROMPT_TIMEOUT:-600} qemu if=ide
    if [ "$mode" = ide ]; then
        qemu=(qemu-system-i386 -accel tcg -m 256)
    else
        qemu=(qemu-system-x86_64 -accel tcg -cpu qemu64 -m 256)
        if=virtio
    fi
    # No -no-reboot for QEMU: the flow reboots once.
    # shellcheck disable=SC2086  # RAWBOX_BOOT_ARGS is a list of options
    boot_both "$test" \
        "${qemu[@]}" -drive "file=$RUN/disk.img,format=raw,if=$if" \
            -display none -serial stdio -monitor none -- \
        "$RAWBOX" run -m 256M --disk "$RUN/disk.img,format=raw,if=$if" --timeout $((2 * tmo + 120)) \
            ${RAWBOX_BOOT_ARGS:-}
}
