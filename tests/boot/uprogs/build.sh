#!/bin/bash
# Build the boot tests' C programs (tests/boot/uprogs/*.c) for one guest
# architecture, each twice: /usr/bin/NAME.static (-static) and
# /usr/bin/NAME.dyn (dynamically linked, PIE), and pack them as a gzip'd cpio
# archive that the kernel unpacks on top of the guest's initramfs. The
# dynamic programs' shared libraries and loader are copied from the host
# (Debian 12, as the guest) to the paths the loader looks at: amd64
# /lib64/ld-linux-x86-64.so.2 and /lib/x86_64-linux-gnu/, i386
# /lib/ld-linux.so.2 and /lib32/ (Debian's multilib libc6-i386 loader
# searches /lib32 and /usr/lib32).
#
#   tests/boot/uprogs/build.sh i386|amd64 OUT.cpio.gz
#
# Each program is run on the host first when the host can execute it (all
# amd64 ones here; i386 only with IA-32 emulation) and must end with
# "NAME: ok <checksum>", so a broken program fails here, not in a guest.
# A program's own code is linked into a page-aligned section (.utext) that
# must hold no CPUID bytes, so that raw mode runs it natively (see below).
# Needs gcc, for i386 gcc-multilib and libc6-dev-i386 (scripts/deps.sh
# check), readelf and objcopy (binutils), python3, cpio, gzip.
set -euo pipefail
cd "$(dirname "$0")/../../.."
usage="usage: build.sh i386|amd64 OUT.cpio.gz"
arch=${1:?$usage}
out=${2:?$usage}
case "$arch" in
i386)  m=-m32; libdirs=(/lib32 /usr/lib32) ;;
amd64) m=-m64; libdirs=(/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu) ;;
*) echo "uprogs/build.sh: unknown architecture '$arch' (i386 or amd64)" >&2; exit 2 ;;
esac
CC=${CC:-gcc}
CFLAGS=(-std=gnu11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -pthread "$m")
src=tests/boot/uprogs
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=$work/root/usr/bin
mkdir -p "$bin"

# Compile each program once and link it both ways, two at a time. The
# program's own code goes to a page-aligned section of its own (.utext):
# static glibc has CPUID instructions next to the first program code in
# .text, and raw mode interprets any page holding one, so without this a
# static program's code would never run natively.
mkdir -p "$work/obj"
for c in "$src"/*.c; do
    name=$(basename "$c" .c)
    extra=
    # The SSE program needs SSE2 code generation, which i386's baseline lacks.
    [ "$name" = sse ] && [ "$arch" = i386 ] && extra=-msse2
    o=$work/obj/$name.o
    echo "$CC ${CFLAGS[*]} $extra -fno-reorder-blocks-and-partition -c -o $o.tmp $c &&" \
         "objcopy --rename-section .text=.utext --rename-section .text.startup=.utext" \
         "--rename-section .text.unlikely=.utext --rename-section .text.hot=.utext $o.tmp $o.tmp2 &&" \
         "objcopy --set-section-alignment .utext=4096 $o.tmp2 $o &&" \
         "$CC ${CFLAGS[*]} -static -o $bin/$name.static $o -lm &&" \
         "$CC ${CFLAGS[*]} -o $bin/$name.dyn $o -lm"
done > "$work/cmds"
if ! xargs -P 2 -I{} sh -c '{} 2>&1' < "$work/cmds" > "$work/cc.log"; then
    cat "$work/cc.log" >&2
    echo "uprogs/build.sh: compiling for $arch failed" >&2
    exit 1
fi
# No page of a program's own code may hold a CPUID byte pair (0F A2).
python3 - "$bin"/*.static <<'PY' || exit 1
import subprocess, sys
bad = 0
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    pages = b""
    for line in subprocess.check_output(["readelf", "-SW", path], text=True).splitlines():
        f = line.replace("[ ", "[").split()
        if len(f) > 5 and f[1] == ".utext":
            addr, off, size = int(f[3], 16), int(f[4], 16), int(f[5], 16)
            pages = data[off - addr % 4096:off + size + (-(addr + size)) % 4096]
    if not pages or b"\x0f\xa2" in pages:
        print(f"uprogs/build.sh: {path}: no .utext section, or CPUID bytes in its pages", file=sys.stderr)
        bad = 1
sys.exit(bad)
PY

# Run them on the host when it can execute this architecture.
if "$bin/tiny.static" >/dev/null 2>&1; then
    for p in "$bin"/*; do
        name=$(basename "$p")
        [ "${name%%.*}" = tiny ] && continue
        (rc=0; cd "$work" && timeout 60 "$p" > "$work/$name.out" 2>&1 || rc=$?; echo $rc > "$work/$name.rc") &
    done
    wait
    for p in "$bin"/*; do
        name=$(basename "$p")
        base=${name%%.*}
        [ "$base" = tiny ] && continue
        if [ "$(cat "$work/$name.rc")" != 0 ] ||
           ! tail -n1 "$work/$name.out" | grep -q -E "^$base: ok [0-9a-f]{16}\$"; then
            echo "uprogs/build.sh: $name fails on the host:" >&2
            tail -n 5 "$work/$name.out" >&2
            exit 1
        fi
    done
    [ "$("$bin/tiny.dyn" 12)" = "tiny 12 1011" ] || { echo "uprogs/build.sh: tiny.dyn fails on the host" >&2; exit 1; }
fi

# The loader and the shared libraries the dynamic programs need, recursively.
copy_file() {   # host path -> the same path in the archive, as a plain file
    mkdir -p "$work/root$(dirname "$1")"
    cp -L "$1" "$work/root$1"
}
needed() {
    readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
}
declare -A seen=()
queue=()
for p in "$bin"/*.dyn; do
    interp=$(readelf -l "$p" | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
    if [ -z "${seen[$interp]:-}" ]; then
        seen[$interp]=1
        # libc names the loader by its soname, which is the loader itself.
        seen[$(basename "$interp")]=1
        copy_file "$interp"
    fi
    mapfile -t -O "${#queue[@]}" queue < <(needed "$p")
done
while [ ${#queue[@]} -gt 0 ]; do
    lib=${queue[0]}
    queue=("${queue[@]:1}")
    [ -n "${seen[$lib]:-}" ] && continue
    seen[$lib]=1
    found=
    for d in "${libdirs[@]}"; do
        if [ -e "$d/$lib" ]; then
            found=$d/$lib
            break
        fi
    done
    [ -n "$found" ] || { echo "uprogs/build.sh: $lib not found in ${libdirs[*]}" >&2; exit 1; }
    copy_file "$found"
    mapfile -t -O "${#queue[@]}" queue < <(needed "$found")
done

mkdir -p "$(dirname "$out")"
(cd "$work/root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -6 > "$out.tmp"
mv "$out.tmp" "$out"
