#!/bin/bash
# Boot test: a virtio-blk disk (src/hw/virtio_blk.c) under Debian 12's amd64
# kernel with the busybox initramfs from scripts/fetch-guest.sh
# (RAWBOX_GUEST_FLAVOUR=amd64), driven over the serial console.
#
#   tests/boot/virtio_blk.sh            QEMU first (-drive if=virtio: checks
#                                       the test and the guest), then rawbox
#   tests/boot/virtio_blk.sh --qemu     QEMU only
#   tests/boot/virtio_blk.sh --rawbox   rawbox only (--virtio-disk)
#
# Each VM gets its own 64 MiB raw image with a pattern written by the host
# at sector 100. In the guest: insmod the virtio modules the initramfs
# carries (/lib/modules/virtio, in the order of its `order` file), check
# /sys/block/vda/size (131072 sectors), read the host's pattern, write a
# text pattern at sector 200 and 4 MiB of random bytes at 8 MiB with
# conv=fsync (FLUSH), drop the page cache and read the 4 MiB back (md5),
# show /proc/interrupts, poweroff. Then on the host: the image holds the
# guest's pattern and bytes whose md5 is the one the guest printed.
# Environment as tests/boot/linux_amd64_boot.sh (RAWBOX, BOOT_PROMPT_TIMEOUT,
# BOOT_FIRST_OUTPUT_TIMEOUT, RAWBOX_BOOT_ARGS, RAWBOX_AMD64_CPU).
# Logs: build/boot/virtio_blk.<vm>.log. Exit status 0 = pass, 1 = fail,
# 77 = skipped (rawbox's CPU models cannot run an amd64 kernel yet).
set -uo pipefail
cd "$(dirname "$0")/../.."

. tests/boot/lib.bash
boot_args "$0" "$@"
probe=$("$RAWBOX" run --cpu "${RAWBOX_AMD64_CPU:-max},+lm,+sse2" --bios /nonexistent 2>&1)
if [ "$which" != qemu ] && [ -x "$RAWBOX" ] && [[ $probe == *"unknown feature"* ]]; then
    echo "SKIP: rawbox's CPU models do not claim long mode and SSE2 yet"
    exit 77
fi
APPEND="console=ttyS0"
FIRST_TIMEOUT=${BOOT_FIRST_OUTPUT_TIMEOUT:-300}

out=$(RAWBOX_GUEST_FLAVOUR=amd64 scripts/fetch-guest.sh 2>"$LOGDIR/fetch-guest-amd64.log") || {
    echo "FAIL: scripts/fetch-guest.sh could not build the amd64 guest: $(tail -n1 "$LOGDIR/fetch-guest-amd64.log")"
    exit 1
}
eval "$(echo "$out" | tail -n 2)"
echo "guest: $KERNEL $INITRD"
if ! zcat "$INITRD" | cpio -t 2>/dev/null | grep -q '^lib/modules/virtio/order$'; then
    echo "FAIL: $INITRD has no lib/modules/virtio/order (scripts/fetch-guest.sh too old?)"
    exit 1
fi

RUN=$(mktemp -d "$LOGDIR/virtio_blk.run.XXXXXX") || { echo "FAIL: mktemp"; exit 1; }
trap 'rm -rf "$RUN"' EXIT

HOST_PATTERN=host-wrote-this-7d1c
GUEST_PATTERN=guest-wrote-this-4b9e
for vm in qemu rawbox; do
    truncate -s 64M "$RUN/$vm.img"
    printf '%s' "$HOST_PATTERN" | dd of="$RUN/$vm.img" bs=512 seek=100 conv=notrunc status=none
done

# Typed on one line each (the shell's echo of them must not match the
# checks: the patterns the checks look for are printed, not typed).
mods='for m in $(cat /lib/modules/virtio/order); do insmod /lib/modules/virtio/$m.ko || echo insmod-failed-$m; done; sleep 1'
size='echo size=$(cat /sys/block/vda/size) block=$([ -b /dev/vda ] && echo yes)'
hostread='echo read=$(dd if=/dev/vda bs=512 skip=100 count=1 2>/dev/null | head -c 20)'
guestwrite="echo $GUEST_PATTERN | dd of=/dev/vda bs=512 seek=200 conv=sync,notrunc,fsync 2>/dev/null; echo wrote=\$?"
bigwrite='dd if=/dev/urandom of=/tmp/r bs=1M count=4 2>/dev/null; dd if=/tmp/r of=/dev/vda bs=1M seek=8 conv=fsync 2>/dev/null; echo md5w=$(md5sum < /tmp/r)'
bigread='sync; echo 3 > /proc/sys/vm/drop_caches; echo md5r=$(dd if=/dev/vda bs=1M skip=8 count=4 2>/dev/null | md5sum)'
boot_flow "$FIRST_TIMEOUT" "$mods" "$size" "$hostread" "$guestwrite" "$bigwrite" "$bigread" \
    "grep -i virtio /proc/interrupts" "sync"

check_output() {
    local log=$1 vm img bad=0
    vm=${log##*/}
    vm=${vm%.log}
    img=$RUN/$vm.img
    check_lines "$log" \
        'module loading finished|^__DONE_0' \
        'size: 131072 sectors, /dev/vda a block device|^size=131072 block=yes' \
        "read: the host's pattern|^read=$HOST_PATTERN" \
        'dd to /dev/vda succeeded|^wrote=0' \
        'md5 of the 4 MiB written|^md5w=[0-9a-f]{32}' \
        'md5 of the 4 MiB read back|^md5r=[0-9a-f]{32}' \
        'virtio interrupt line in /proc/interrupts|^ *[0-9]+: .*virtio' \
        'poweroff reached the kernel|reboot: Power down' || bad=1
    if tr -d '\r' < "$log" | grep -a -q '^insmod-failed'; then
        echo "  FAIL an insmod failed: $(tr -d '\r' < "$log" | grep -a '^insmod-failed' | head -n 3 | tr '\n' ' ')"
        bad=1
    fi
    local w r
    w=$(tr -d '\r' < "$log" | sed -n 's/^md5w=\([0-9a-f]\{32\}\).*/\1/p' | tail -n 1)
    r=$(tr -d '\r' < "$log" | sed -n 's/^md5r=\([0-9a-f]\{32\}\).*/\1/p' | tail -n 1)
    if [ -n "$w" ] && [ "$w" = "$r" ]; then
        echo "  ok   the guest reads back what it wrote ($w)"
    else
        echo "  FAIL guest md5 written '$w' != read back '$r'"
        bad=1
    fi
    local got host
    got=$(dd if="$img" bs=512 skip=200 count=1 status=none | head -c ${#GUEST_PATTERN})
    if [ "$got" = "$GUEST_PATTERN" ]; then
        echo "  ok   host image holds the guest's pattern at sector 200"
    else
        echo "  FAIL host image at sector 200: '$got', expected '$GUEST_PATTERN'"
        bad=1
    fi
    host=$(dd if="$img" bs=1M skip=8 count=4 status=none | md5sum | cut -d' ' -f1)
    if [ -n "$w" ] && [ "$host" = "$w" ]; then
        echo "  ok   host image holds the guest's 4 MiB at 8 MiB"
    else
        echo "  FAIL host image md5 at 8 MiB $host, guest wrote $w"
        bad=1
    fi
    return $bad
}

tmo=${BOOT_PROMPT_TIMEOUT:-900}
# shellcheck disable=SC2086  # RAWBOX_BOOT_ARGS is a list of options
boot_both virtio_blk \
    qemu-system-x86_64 -accel tcg -cpu qemu64 -m 256 -kernel "$KERNEL" -initrd "$INITRD" \
        -append "$APPEND" -display none -serial stdio -monitor none -no-reboot \
        -drive "file=$RUN/qemu.img,format=raw,if=virtio" -- \
    "$RAWBOX" run --cpu "${RAWBOX_AMD64_CPU:-max}" -m 256M --kernel "$KERNEL" \
        --initrd "$INITRD" --append "$APPEND" --serial stdio --timeout $((tmo + 120)) \
        --virtio-disk "$RUN/rawbox.img,format=raw" ${RAWBOX_BOOT_ARGS:-}
