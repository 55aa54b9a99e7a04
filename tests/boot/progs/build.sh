#!/bin/bash
# Build the boot tests' extra guest programs (tests/boot/progs/*.asm) for one
# guest architecture and pack them as a gzip'd cpio archive that the kernel
# unpacks on top of the guest's initramfs (the initramfs buffer format
# allows concatenated archives). The programs land in /usr/bin/ of the guest.
#
#   tests/boot/progs/build.sh i386|amd64 OUT.cpio.gz
#
# Each program is run on the host first (it checks its own result against
# the host CPU's) when the host can execute it, so a broken program fails
# here, not as a guest fault. Needs nasm, ld (binutils), cpio, gzip.
set -euo pipefail
cd "$(dirname "$0")/../../.."
arch=${1:?usage: build.sh i386|amd64 OUT.cpio.gz}
out=${2:?usage: build.sh i386|amd64 OUT.cpio.gz}
case "$arch" in
i386)  fmt=elf32; emu=elf_i386 ;;
amd64) fmt=elf64; emu=elf_x86_64 ;;
*) echo "progs/build.sh: unknown architecture '$arch' (i386 or amd64)" >&2; exit 2 ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/usr/bin"
for asm in tests/boot/progs/*.asm; do
    name=$(basename "$asm" .asm)
    nasm -f "$fmt" -o "$work/$name.o" "$asm"
    ld -m "$emu" -static -o "$work/root/usr/bin/$name" "$work/$name.o"
    if "$work/root/usr/bin/$name" >"$work/$name.out" 2>&1; then
        :
    elif [ $? -ne 126 ] && ! grep -q 'Exec format error' "$work/$name.out"; then
        echo "progs/build.sh: $name fails on the host CPU: $(cat "$work/$name.out")" >&2
        exit 1
    fi
done
mkdir -p "$(dirname "$out")"
(cd "$work/root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -9 > "$out.tmp"
mv "$out.tmp" "$out"
