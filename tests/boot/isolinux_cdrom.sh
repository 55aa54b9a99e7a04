#!/bin/bash
# Boot test: Debian's isolinux from an IDE CD-ROM, through SeaBIOS, loads
# Debian 12's i386 kernel and busybox initramfs (scripts/fetch-guest.sh)
# from the ISO and boots them to the shell on the serial console.
#
#   tests/boot/isolinux_cdrom.sh            QEMU first (when installed), then rawbox
#   tests/boot/isolinux_cdrom.sh --qemu     QEMU only
#   tests/boot/isolinux_cdrom.sh --rawbox   rawbox only
#
# The ISO (built at test time by isolinux_iso in tests/boot/media.bash:
# xorriso, El Torito no-emulation, boot info table) holds isolinux.bin and
# ldlinux.c32 from the isolinux and syslinux-common packages, an isolinux.cfg that boots /vmlinuz with
# initrd=/initrd.gz console=ttyS0, and the guest's kernel and initrd.
# rawbox runs with --cdrom alone: SeaBIOS is the default firmware, COM1
# the terminal. Every byte of the kernel and initrd comes through SeaBIOS's
# INT 13h and the ATAPI READ(10) path, in 2048-byte sectors.
# Checks: isolinux's command line reached the kernel (BOOT_IMAGE=/vmlinuz),
# uname, and that the guest sees the board as a --kernel boot does, through
# the ACPI tables rawbox hands SeaBIOS over fw_cfg ("etc/table-loader"):
# interrupts through the I/O APIC (/proc/interrupts has IO-APIC lines), the
# HPET (an available clocksource), PCI interrupt links from the DSDT (Linux
# reports "ACPI: PCI: Interrupt link LNKA configured for IRQ 10", LNKD for
# IRQ 11, as SeaBIOS routes them), a virtio disk in slot 4 whose sector 1
# reads back through its PCI interrupt (INTA, LNKD: IRQ 11 through the I/O
# APIC, or MSI-X under QEMU), the SMBIOS system
# information (the "DMI:" line names rawbox's board; SeaBIOS adds the
# BIOS part), and `poweroff` ends the VM
# with exit status 0 (the ACPI S5 power-off). Environment: RAWBOX,
# BOOT_PROMPT_TIMEOUT, BOOT_FIRST_OUTPUT_TIMEOUT (as linux_boot.sh).
# Exit 0 = pass, 1 = fail, 77 = skipped (isolinux, xorriso or SeaBIOS
# not installed).
set -uo pipefail
cd "$(dirname "$0")/../.."

. tests/boot/lib.bash
. tests/boot/media.bash
boot_args "$0" "$@"
FIRST_TIMEOUT=${BOOT_FIRST_OUTPUT_TIMEOUT:-300}
why=$(media_missing cd)
[ -z "$why" ] || { echo "SKIP: $why not installed"; exit 77; }

out=$(scripts/fetch-guest.sh 2>"$LOGDIR/fetch-guest.log") || {
    echo "FAIL: scripts/fetch-guest.sh could not build the guest: $(tail -n1 "$LOGDIR/fetch-guest.log")"
    exit 1
}
eval "$(echo "$out" | tail -n 2)"
echo "guest: $KERNEL $INITRD"

RUN=$(mktemp -d "$LOGDIR/isolinux_cdrom.run.XXXXXX") || { echo "FAIL: mktemp"; exit 1; }
trap 'rm -rf "$RUN"' EXIT
why=$(isolinux_iso "$RUN" "$KERNEL" "$INITRD") || { echo "FAIL: $why"; exit 1; }

# A virtio disk in slot 4 (INTA -> PIRQD -> LNKD): its requests complete
# only if the interrupt SeaBIOS routed and the DSDT describes arrives.
PATTERN=isolinux-virtio-pattern
for vm in qemu rawbox; do
    truncate -s 1M "$RUN/$vm.img" &&
        printf '%s' "$PATTERN" | dd of="$RUN/$vm.img" bs=512 seek=1 conv=notrunc status=none ||
        { echo "FAIL: cannot write $RUN/$vm.img"; exit 1; }
done
mods='for m in $(cat /lib/modules/virtio/order); do insmod /lib/modules/virtio/$m.ko || echo insmod-failed-$m; done; sleep 1'
vread='echo read=$(dd if=/dev/vda bs=512 skip=1 count=1 2>/dev/null | head -c 23)'
boot_flow "$FIRST_TIMEOUT" "uname -a" "cat /proc/cmdline" "$mods" "$vread" \
    "grep -E 'IO-APIC|PCI-MSI' /proc/interrupts" \
    "echo clocksources: \$(cat /sys/devices/system/clocksource/clocksource0/available_clocksource)" \
    "dmesg | grep -E 'Interrupt link|_PRT|ACPI: PM:|DMI:'"

check_output() {
    check_lines "$1" \
        'isolinux: the kernel came from the CD|BOOT_IMAGE=/vmlinuz initrd=/initrd.gz console=ttyS0' \
        'uname -a|^Linux rawbox 6\.1\.[0-9]+-[0-9]+-686 .* GNU/Linux' \
        'I/O APIC: /proc/interrupts has IO-APIC lines|^ *[0-9]+: +[0-9]+ +IO-APIC ' \
        'HPET: an available clocksource|^clocksources: .*\bhpet\b' \
        'ACPI PCI interrupt links as SeaBIOS routes them|ACPI: PCI: Interrupt link LNKA configured for IRQ 10$' \
        'LNKD|ACPI: PCI: Interrupt link LNKD configured for IRQ 11$' \
        "virtio disk read through its interrupt|^read=$PATTERN" \
        'the virtio interrupt in /proc/interrupts|^ *[0-9]+: +[0-9]+ +(IO-APIC +11-fasteoi|PCI-MSI.*) +virtio' \
        'ACPI S5: the tables define poweroff|ACPI: PM: \(supports S0 .*S5\)' \
        'SMBIOS from fw_cfg|DMI: (rawbox|QEMU) Standard PC \(i440FX \+ PIIX(3|, 1996)\)' \
        'poweroff reached the kernel|reboot: Power down'
}

tmo=${BOOT_PROMPT_TIMEOUT:-600}
boot_both isolinux_cdrom \
    qemu-system-i386 -accel tcg -m 256 -cdrom "$RUN/debian.iso" -boot d \
        -drive "file=$RUN/qemu.img,format=raw,if=virtio" \
        -display none -serial stdio -monitor none -no-reboot -- \
    "$RAWBOX" run -m 256M --cdrom "$RUN/debian.iso" --virtio-disk "$RUN/rawbox.img,format=raw" \
        --timeout $((tmo + 120))
