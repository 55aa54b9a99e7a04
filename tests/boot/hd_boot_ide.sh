#!/bin/bash
# Boot test: a hard disk with an MBR, SYSLINUX on a FAT partition and an
# ext4 root partition, booted by SeaBIOS over IDE (the i386 guest,
# ata_piix): the guest writes a file to its root partition, reboots and
# finds it on the next boot.
# The flow and checks are in tests/boot/hd_boot.bash, the disk's recipe
# in tests/boot/media.bash.
#
#   tests/boot/hd_boot_ide.sh [--qemu|--rawbox]   (QEMU first when installed)
#
# Environment: RAWBOX, RAWBOX_BOOT_ARGS (more rawbox options, e.g.
# --engine jit), BOOT_PROMPT_TIMEOUT, BOOT_FIRST_OUTPUT_TIMEOUT (as
# linux_boot.sh). Logs: build/boot/hd_boot_ide.{qemu,rawbox}.log. Exit 0 =
# pass, 1 = fail, 77 = skipped (a tool missing: syslinux, mtools,
# dosfstools, fdisk, e2fsprogs; or the kernel package cannot be fetched).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

. tests/boot/lib.bash
. tests/boot/media.bash
. tests/boot/hd_boot.bash
hd_boot_main ide "$0" "$@"
