#!/bin/bash
# Install the Debian packages rawbox needs, only those missing.
#
#   scripts/deps.sh build    what `make` needs: compiler and C library headers,
#                            make, pkg-config, the decompression libraries of
#                            --kernel-unpack (zlib, liblzma, libbz2, liblzo2,
#                            liblz4, libzstd)
#   scripts/deps.sh check    build + nasm (guest ROMs), clang, QEMU (cross-check
#                            of guest tests), capstone (decoder cross-check),
#                            python3 (boot tests), xorriso, isolinux,
#                            syslinux, mtools, dosfstools, fdisk and
#                            e2fsprogs (the boot tests' CD and hard disk
#                            images), qemu-utils (qemu-img and
#                            qemu-io: the disk image tests cross-check
#                            with them), seabios (real-firmware boot
#                            test), gcc-multilib and libc6-dev-i386 (the boot
#                            tests' and bench/raw.sh's 32-bit C programs)
#   scripts/deps.sh demo     build + what scripts/fetch-guest.sh needs to
#                            assemble the Debian guest (cpio, gzip, ...)
#
# The lists are checked on a fresh Debian 12 minbase root with only git,
# make and sudo (.ci/run does that with ../shared/tools/fresh-debian.sh):
# gcc without its recommends has no libc6-dev, so it is listed.
#
# Checks each package with dpkg-query; runs `apt-get update` once and
# `apt-get install` only when something is missing. Needs root (or sudo)
# only in that case. Set RAWBOX_NO_INSTALL=1 to just report what is missing.
set -euo pipefail

BUILD_PKGS=(gcc libc6-dev make pkg-config
            zlib1g-dev liblzma-dev libbz2-dev liblzo2-dev liblz4-dev libzstd-dev
            libpng-dev    # the monitor's screendump
            # --display sdl, vnc, curses (without them rawbox builds and
            # the frontend refuses to open, saying what to install)
            libsdl2-dev libvncserver-dev libncurses-dev)
CHECK_PKGS=(nasm clang qemu-system-x86 libcapstone-dev python3
            cpio gzip ca-certificates   # tests/boot: fetch-guest.sh, as for demo
            seabios     # tests/boot/seabios.sh: /usr/share/seabios/bios-256k.bin
            xorriso isolinux syslinux-common  # tests/boot/seabios_cdrom.sh, isolinux_cdrom.sh: ISOs
            syslinux mtools dosfstools fdisk e2fsprogs  # tests/boot/hd_boot_*.sh: the MBR disk
            gcc-multilib libc6-dev-i386   # tests/boot/uprogs, bench/raw.sh: gcc -m32
            qemu-utils    # tests/unit/block/qemu_img_test, tests/cli/disk_cmd.sh: qemu-img, qemu-io
            tmux)         # tests/cli/display_curses.sh: a terminal to draw on
# fetch-guest.sh: apt-get, apt-cache and dpkg-deb come with the base system;
# ca-certificates for an https mirror.
DEMO_PKGS=(cpio gzip ca-certificates)

mode=${1:-build}
case "$mode" in
build) want=("${BUILD_PKGS[@]}") ;;
check) want=("${BUILD_PKGS[@]}" "${CHECK_PKGS[@]}") ;;
demo)  want=("${BUILD_PKGS[@]}" "${DEMO_PKGS[@]}") ;;
-h|--help) sed -n '2,27p' "$0"; exit 0 ;;
*) echo "deps.sh: unknown mode '$mode' (build, check or demo)" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ "$status" == *"install ok installed"* ]] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "deps.sh: missing packages: ${missing[*]}" >&2
if [ "${RAWBOX_NO_INSTALL:-0}" = 1 ]; then
    exit 1
fi

SUDO=
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=sudo
    else
        echo "deps.sh: not root and no sudo: install ${missing[*]} by hand" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
