#!/bin/bash
# Boot test: tests/boot/linux_amd64_boot.sh (Debian 12's amd64 kernel) under
# the recompiler, through tests/boot/linux_boot_jit.sh: rawbox only, with
# `--engine jit --stats`, the same checks, and block runs > 0 in the jit's
# --stats. Exit status 0 = pass, 1 = fail, 77 = skipped.
exec "$(dirname "$0")/linux_boot_jit.sh" --arch amd64 "$@"
