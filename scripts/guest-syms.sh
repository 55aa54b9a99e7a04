#!/bin/bash
# Map guest kernel addresses to symbols, for finding where the demo guest's
# kernel is when rawbox stops ("rawbox: at CS:EIP 0060:c10014bd").
#
#   scripts/guest-syms.sh ADDR...     print "ADDR: SYMBOL+OFFSET" per address
#   scripts/guest-syms.sh --table     just build the table, print its path
#
# Debian ships no System.map for its kernel (it is in the -dbg package), so
# the table is made once by booting the guest under qemu-system-i386 with
# `nokaslr` and reading /proc/kallsyms over the serial console; it is kept
# beside the guest in the cache. Addresses are only meaningful for a rawbox
# boot with `nokaslr` on the command line too (KASLR moves the kernel on
# every boot): rawbox run --kernel ... --append "console=ttyS0 nokaslr".
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(scripts/fetch-guest.sh 2>/dev/null)
eval "$(echo "$out" | tail -n 2)"
TABLE=$(dirname "$KERNEL")/kallsyms.txt

if [ ! -s "$TABLE" ]; then
    command -v qemu-system-i386 >/dev/null || { echo "guest-syms: needs qemu-system-i386" >&2; exit 1; }
    echo "guest-syms: booting the guest under QEMU to read /proc/kallsyms (once)" >&2
    log=$(mktemp)
    python3 tests/boot/serial_drive.py --timeout 300 --log "$log" \
        --step 'expect:rawbox:[^\n]*# ' \
        --step 'send:grep -i " [tT] " /proc/kallsyms; echo __DO""NE' \
        --step 'expect:__DONE\r?\n' --step 'send:poweroff' --step wait -- \
        qemu-system-i386 -accel tcg -m 256 -kernel "$KERNEL" -initrd "$INITRD" \
        -append "console=ttyS0 nokaslr" -display none -serial stdio -monitor none -no-reboot \
        >/dev/null
    tr -d '\r' < "$log" | grep -a -E '^[0-9a-f]{8} [tT] ' | sort > "$TABLE.tmp"
    rm -f "$log"
    [ -s "$TABLE.tmp" ] || { echo "guest-syms: no symbols read" >&2; rm -f "$TABLE.tmp"; exit 1; }
    mv "$TABLE.tmp" "$TABLE"
fi
if [ "${1:-}" = --table ] || [ $# -eq 0 ]; then
    echo "$TABLE"
    exit 0
fi
for a in "$@"; do
    a=${a##*:}                          # accept CS:EIP
    a=${a%%[!0-9a-fA-Fx]*}
    a=$(printf '%08x' "0x${a#0x}")
    line=$(awk -v a="$a" '$1 <= a { l = $1 " " $3 } END { print l }' "$TABLE")
    if [ -z "$line" ]; then
        echo "$a: (below the kernel text)"
    else
        printf '%s: %s+0x%x\n' "$a" "${line#* }" $((0x$a - 0x${line%% *}))
    fi
done
