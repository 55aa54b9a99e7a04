#!/bin/bash
# Install the Debian packages rawbox needs, only those missing.
#
#   scripts/deps.sh build    compiler, make, nasm, pkg-config
#   scripts/deps.sh check    build + clang, QEMU (cross-check of guest tests),
#                            capstone (decoder cross-check), python3 (boot tests),
#                            seabios (real-firmware boot test)
#   scripts/deps.sh demo     build + what scripts/fetch-guest.sh needs to
#                            assemble the Debian guest (cpio, gzip, ...)
#
# Checks each package with dpkg-query; runs `apt-get update` once and
# `apt-get install` only when something is missing. Needs root (or sudo)
# only in that case. Set RAWBOX_NO_INSTALL=1 to just report what is missing.
set -euo pipefail

BUILD_PKGS=(gcc make nasm pkg-config)
CHECK_PKGS=(clang qemu-system-x86 libcapstone-dev python3 cpio gzip  # cpio, gzip: tests/boot (fetch-guest.sh)
            seabios)    # tests/boot/seabios.sh: /usr/share/seabios/bios-256k.bin
# fetch-guest.sh: apt-get/dpkg-deb come with the base system.
DEMO_PKGS=(cpio gzip ca-certificates)

mode=${1:-build}
case "$mode" in
build) want=("${BUILD_PKGS[@]}") ;;
check) want=("${BUILD_PKGS[@]}" "${CHECK_PKGS[@]}") ;;
demo)  want=("${BUILD_PKGS[@]}" "${DEMO_PKGS[@]}") ;;
-h|--help) sed -n '2,13p' "$0"; exit 0 ;;
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
