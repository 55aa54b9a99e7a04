#!/bin/bash
# Crash test under Linux: rawbox SIGKILLed while Linux writes to a virtio
# or IDE disk leaves an image that `rawbox disk check` and `qemu-img check`
# accept (leaks at worst) and that holds every write the guest saw flushed.
#
# The Debian 12 amd64 guest (scripts/fetch-guest.sh) boots with the disk
# under test on virtio-blk (the virtio modules of its initramfs, /dev/vda)
# or on IDE (ata_piix with bus master DMA, /dev/sda; its modules come from
# ide-modules-KVER.cpio.gz beside the guest, made from the kernel's
# Debian package when missing as bench/disk.sh does; if that download
# fails the IDE rounds are left out, with a note) and runs
# tests/boot/crash_write.c (built static, added to the initramfs) on the
# disk: the block layout of tests/boot/crash_writer.asm written with
# O_DIRECT, fdatasync (virtio FLUSH, ATA FLUSH CACHE EXT) after every 32 blocks, "flushed
# up to N" on the console once it returned. serial_drive.py waits for
# such a line with a random N and kills rawbox 0-8 ms later (kill step);
# then the checks of tests/boot/crash_lib.bash (check_image) as in
# tests/boot/crash_ide.sh. One round per bus and kind (a boot each):
# raw, qcow2, qcow2-backing, vdi (CRASH_KINDS to choose; CRASH_BUSES,
# default "virtio ide"). First a complete run under QEMU (-drive
# if=virtio) when installed: the program and the checker must pass there.
# Environment: RAWBOX, CRASH_KINDS, CRASH_BUSES, CRASH_SEED, BOOT_PROMPT_TIMEOUT
# (seconds to the shell, default 600). Exit 0 = pass, 1 = fail, 77 =
# skipped (qemu-img or gcc missing).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
RAWBOX=${RAWBOX:-build/release/rawbox}
SEED=${CRASH_SEED:-$$}
TMO=${BOOT_PROMPT_TIMEOUT:-600}
D=build/boot/crash_linux
SIZE=256M

command -v qemu-img >/dev/null || { echo "SKIP: qemu-img not installed"; exit 77; }
command -v gcc >/dev/null || { echo "SKIP: gcc not installed"; exit 77; }
[ -x "$RAWBOX" ] || { echo "FAIL: $RAWBOX is not built"; exit 1; }
RANDOM=$SEED
echo "seed $SEED (CRASH_SEED=$SEED repeats the kill points)"
rm -rf "$D" && mkdir -p "$D/root/usr/bin"
. tests/boot/crash_lib.bash
. tests/boot/lib.bash
make_backing || { echo "FAIL: cannot build the backing file"; exit 1; }

gcc -O2 -static -Wall -Wextra -Werror -o "$D/root/usr/bin/crash_write" tests/boot/crash_write.c ||
    { echo "FAIL: cannot build crash_write"; exit 1; }
out=$(RAWBOX_GUEST_FLAVOUR=amd64 scripts/fetch-guest.sh 2>"$D/fetch-guest.log") ||
    { echo "FAIL: scripts/fetch-guest.sh could not build the amd64 guest: $(tail -n1 "$D/fetch-guest.log")"; exit 1; }
eval "$(echo "$out" | tail -n 2)"
(cd "$D/root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -1 > "$D/progs.cpio.gz"
cat "$INITRD" "$D/progs.cpio.gz" > "$D/initrd.gz"
BUSES=${CRASH_BUSES:-virtio ide}
KVER=$(awk '{print $1; exit}' "$(dirname "$KERNEL")/kernel-version")
IDE_CPIO=$(dirname "$KERNEL")/ide-modules-$KVER.cpio.gz
# The IDE stack from the guest kernel's Debian package (lib.bash's
# guest_modules; the same cache file bench/disk.sh uses).
if [[ " $BUSES " == *" ide "* ]] && [ ! -s "$IDE_CPIO" ]; then
    # shellcheck disable=SC2086  # a word list
    why=$(RUN=$D guest_modules amd64 "$KVER" "$IDE_CPIO" $GUEST_IDE_DISK_MODS) ||
        echo "(no IDE modules: $why; IDE rounds left out)"
fi
if [ -s "$IDE_CPIO" ]; then
    cat "$IDE_CPIO" >> "$D/initrd.gz"
elif [[ " $BUSES " == *" ide "* ]]; then
    BUSES=${BUSES//ide/}
fi
virtio_mods='for m in $(cat /lib/modules/virtio/order); do insmod /lib/modules/virtio/$m.ko; done; sleep 1'
# The order bench/disk.sh uses (dependencies first).
ide_mods='cd /mods; for m in scsi_common scsi_mod libata ata_piix crc64 crct10dif_common crct10dif_generic crc-t10dif crc64_rocksoft_generic crc64-rocksoft t10-pi sd_mod; do insmod $m.ko; done; cd /; for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/sda ] && break; sleep 1; done'

# steps BUS -> `steps` for serial_drive.py: to the shell, load the
# modules, start the writer (then poweroff); the caller adds how it ends.
steps() {
    local mods=$virtio_mods dev=/dev/vda
    [ "$1" = ide ] && mods=$ide_mods dev=/dev/sda
    steps=(--step 'expect:rawbox:[^\n]*# ' --step "send:$mods; echo __MO\"\"DS" --step 'expect:__MODS'
           --step "send:crash_write $dev; echo __WR\"\"ITTEN; poweroff")
}

status=0
if command -v qemu-system-x86_64 >/dev/null; then
    truncate -s "$SIZE" "$D/qemu.raw"
    steps virtio
    python3 tests/boot/serial_drive.py --timeout "$TMO" --log "$D/qemu.log" "${steps[@]}" \
        --step 'expect:__WRITTEN' --step wait -- \
        qemu-system-x86_64 -accel tcg -cpu max -m 512 -kernel "$KERNEL" -initrd "$D/initrd.gz" \
        -append console=ttyS0 -display none -serial stdio -monitor none -no-reboot \
        -drive "file=$D/qemu.raw,format=raw,if=virtio" 2> "$D/qemu.driver"
    rc=$?
    echo "== qemu complete: exit status $rc, $(tr -d '\r' < "$D/qemu.log" | grep -a -E '^(done|flushed)' | tail -n1)"
    if [ $rc -ne 0 ] || ! tr -d '\r' < "$D/qemu.log" | grep -a -q '^done 4000' ||
            ! python3 tests/boot/crash_verify.py "$D/qemu.raw" 4000; then
        echo "FAIL: the complete run fails under QEMU: the test is broken ($(tail -n1 "$D/qemu.driver"))"
        exit 1
    fi
    rm -f "$D/qemu.raw"
else
    echo "(qemu-system-x86_64 not installed: the program is not cross-checked)"
fi

round=0
for bus in $BUSES; do
for kind in ${CRASH_KINDS:-raw qcow2 qcow2-backing vdi}; do
    round=$((round + 1))
    name=$bus.$kind
    img=$D/$name.img
    fmt=$(make_image "$kind" "$img") || { echo "FAIL $name: cannot create the image"; status=1; continue; }
    target=$(( (RANDOM % 120 + 1) * 32 ))
    delay_us=$((RANDOM % 8000))
    steps "$bus"
    python3 tests/boot/serial_drive.py --timeout "$TMO" --log "$D/$name.log" "${steps[@]}" \
        --step "expect:flushed up to $target\r?\n" --step "kill:$delay_us" -- \
        "$RAWBOX" run --cpu max -m 512M --kernel "$KERNEL" --kernel-unpack --initrd "$D/initrd.gz" \
        --append console=ttyS0 --serial stdio --timeout $((TMO + 300)) \
        --disk "$img,format=$fmt,if=$bus" 2> "$D/$name.driver"
    rc=$?
    n=$(last_flushed "$D/$name.log")
    echo "== $name: killed $delay_us us after \"flushed up to $target\" (exit status $rc), flushed up to $n"
    if [ $rc -ne 137 ] || [ "$n" -eq 0 ]; then
        echo "  FAIL the run did not reach the kill: $(tail -n1 "$D/$name.driver")"
        tr -d '\r' < "$D/$name.log" | tail -n 5 | sed 's/^/  | /'
        status=1
        continue
    fi
    if check_image "$name" "$kind" "$fmt" "$img" "$n" "$round"; then
        rm -f "$img"
    else
        echo "  FAIL $name (image kept: $img)"
        status=1
    fi
done
done

[ $status -eq 0 ] && echo "PASS: crash_linux (a SIGKILL each, buses: $BUSES; kinds: ${CRASH_KINDS:-raw qcow2 qcow2-backing vdi})"
exit $status
