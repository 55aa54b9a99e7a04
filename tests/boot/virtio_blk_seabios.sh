#!/bin/bash
# Boot test: SeaBIOS (/usr/share/seabios/bios-256k.bin) boots from a
# virtio-blk disk. The image's first sector is a 28-byte boot program
# (below, as bytes) that prints "virtio-boot-ok" through INT 10h, which
# SeaBIOS's serial console sends to COM1, then writes 0x2A to the test-exit
# port 0xF4 (exit status 0x2A*2+1 = 85). SeaBIOS finds the function by its
# ID (1AF4:1042), uses the modern capabilities in BAR 4, sets up a queue
# and reads the boot sector by polling the used ring. Runs under QEMU first
# when installed (-drive if=virtio, -nographic for the serial console,
# isa-debug-exit at 0xF4: checks the
# test), then rawbox (--virtio-disk). Environment: RAWBOX (default
# build/release/rawbox), SEABIOS_ROM. Exit 0 = pass, 1 = fail, 77 = skipped
# (no SeaBIOS ROM).
set -uo pipefail
cd "$(dirname "$0")/../.."
RAWBOX=${RAWBOX:-build/release/rawbox}
ROM=${SEABIOS_ROM:-/usr/share/seabios/bios-256k.bin}
[ -f "$ROM" ] || { echo "SKIP: $ROM not installed (package seabios)"; exit 77; }
[ -x "$RAWBOX" ] || { echo "FAIL: $RAWBOX is not built"; exit 1; }
mkdir -p build/boot
T=$(mktemp -d build/boot/virtio_blk_seabios.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT

# xor ax,ax; mov ds,ax; mov si,0x7c1c; l: lodsb; test al,al; jz d;
# mov ah,0x0e; mov bx,7; int 0x10; jmp l; d: mov al,0x2a; out 0xf4,al;
# h: hlt; jmp h; then the message at offset 28.
boot_sector() {
    truncate -s 16M "$1"
    printf '\x31\xc0\x8e\xd8\xbe\x1c\x7c\xac\x84\xc0\x74\x09\xb4\x0e\xbb\x07\x00\xcd\x10\xeb\xf2\xb0\x2a\xe6\xf4\xf4\xeb\xfdvirtio-boot-ok\r\n\x00' |
        dd of="$1" conv=notrunc status=none
    printf '\x55\xaa' | dd of="$1" bs=1 seek=510 conv=notrunc status=none
}

status=0
check() {
    local vm=$1 rc=$2 out=$3
    if [ "$rc" -eq 85 ]; then
        echo "  ok   $vm: the boot sector ran and exited with 85"
    else
        echo "  FAIL $vm: exit status $rc, expected 85 (the boot sector's exit)"
        status=1
    fi
    # The UART may not have sent the last bytes when the VM exits.
    if tr -d '\r' < "$out" | grep -a -q 'virtio-boot-o'; then
        echo "  ok   $vm: its message reached COM1"
    else
        echo "  FAIL $vm: no 'virtio-boot-o' on COM1 ($(tr -d '\r' < "$out" | tail -c 200))"
        status=1
    fi
}

if command -v qemu-system-x86_64 >/dev/null 2>&1; then
    boot_sector "$T/qemu.img"
    timeout 60 qemu-system-x86_64 -accel tcg -bios "$ROM" -m 128 -nographic -monitor none \
        -serial "file:$T/qemu.com1" -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4 \
        -drive "file=$T/qemu.img,format=raw,if=virtio" >/dev/null 2>&1
    check qemu $? "$T/qemu.com1"
    [ $status -eq 0 ] || { echo "FAIL: the test fails under QEMU"; exit 1; }
fi
boot_sector "$T/rawbox.img"
"$RAWBOX" run --bios "$ROM" -m 128M --serial "file:$T/rawbox.com1" --reboot-timeout -1 \
    --timeout 60 --virtio-disk "$T/rawbox.img,format=raw" </dev/null >/dev/null 2>"$T/err"
check rawbox $? "$T/rawbox.com1"
[ $status -eq 0 ] && echo "PASS: virtio_blk_seabios" || echo "FAIL: virtio_blk_seabios"
exit $status
