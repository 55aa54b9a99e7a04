#!/bin/bash
# Boot test: tests/boot/dmesg_warnings.sh for the amd64 guest (Debian 12's
# amd64 kernel under rawbox's default x86-64 CPU model; QEMU comparison with
# qemu-system-x86_64 -cpu qemu64). Expected lines: docs/boot-warnings.md,
# section "amd64 guest". Exit status 0 = pass, 1 = fail.
exec "$(dirname "$0")/dmesg_warnings.sh" --arch amd64 "$@"
