#!/bin/sh
# `make demo`: build (or reuse) the default guest, then boot it in rawbox
# with COM1 on this terminal. Ctrl-A X quits, Ctrl-A H lists the keys;
# `poweroff` in the guest ends rawbox with status 0.
#
#   scripts/demo.sh [extra rawbox run options...]
#
# Environment: RAWBOX (binary, default build/release/rawbox), RAWBOX_APPEND
# (added to the kernel command line), RAWBOX_CACHE (guest cache directory),
# RAWBOX_DEMO_UNPACK=0 (run the kernel's own decompressor in the guest),
# ARCH=i386|amd64 (the guest: Debian 12 i386 or amd64; `make demo ARCH=...`).
set -eu
cd "$(dirname "$0")/.."
# amd64 by default (rawbox's default CPU model, x86-64, has long mode).
ARCH=${ARCH:-amd64}
case "$ARCH" in
i386) flavour=${RAWBOX_GUEST_FLAVOUR:-686} ;;
amd64) flavour=amd64 ;;
*) echo "demo: ARCH=$ARCH: expected i386 or amd64" >&2; exit 2 ;;
esac

RAWBOX=${RAWBOX:-build/release/rawbox}
out=$(RAWBOX_GUEST_FLAVOUR=$flavour scripts/fetch-guest.sh)
eval "$(echo "$out" | tail -n 2)"
[ -x "$RAWBOX" ] || make "$RAWBOX"

# cryptomgr.notests: skip the kernel's boot-time crypto self-tests (RSA
# test vectors: ~2 G instructions, 30+ s in the interpreter, 0.3 s under
# QEMU TCG); nothing in the demo depends on them.
set -- -m 256M --kernel "$KERNEL" --initrd "$INITRD" \
    --append "console=ttyS0 cryptomgr.notests${RAWBOX_APPEND:+ $RAWBOX_APPEND}" "$@"
# Decompress the kernel on the host (saves ~20 s of interpreted XZ
# decompression); RAWBOX_DEMO_UNPACK=0 boots through the kernel's own
# decompressor instead, exactly as the boot protocol describes.
if [ "${RAWBOX_DEMO_UNPACK:-1}" = 1 ] && "$RAWBOX" run --help 2>/dev/null | grep -- '--kernel-unpack' >/dev/null; then
    set -- "$@" --kernel-unpack
fi
# COM1 on the terminal, where this rawbox has the option (else its default).
if "$RAWBOX" run --help 2>/dev/null | grep -- '--serial' >/dev/null; then
    set -- "$@" --serial stdio
fi
echo "rawbox demo: booting Debian 12 $ARCH ($(cat "$(dirname "$KERNEL")/kernel-version" 2>/dev/null | cut -d' ' -f1)); Ctrl-A X quits" >&2
exec "$RAWBOX" run "$@"
