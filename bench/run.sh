#!/bin/bash
# Benchmarks: guest MIPS of the interpreter on bench/mips.asm, beside QEMU
# TCG running the same ROM when qemu-system-i386 is installed. See README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ITER=${ITER:-25000000}
mkdir -p build/bench
nasm -f bin -I tests/guest/include/ -DITER=$ITER -o build/bench/mips.bin bench/mips.asm
insns=$((ITER * 12))

now() { date +%s.%N; }
run_timed() {   # prints seconds
    local t0 t1 rc
    t0=$(now)
    set +e
    "$@" >/dev/null 2>&1
    rc=$?
    set -e
    t1=$(now)
    if [ "$rc" -ne 1 ]; then
        echo "bench: $1 exited with status $rc (expected 1)" >&2
        return 1
    fi
    echo "$t1 - $t0" | bc -l
}

r=$(run_timed build/release/rawbox run --bios build/bench/mips.bin)
printf 'rawbox interpreter: %d guest instructions in %.2f s = %.1f MIPS\n' \
    "$insns" "$r" "$(echo "$insns / $r / 1000000" | bc -l)"
if command -v qemu-system-i386 >/dev/null; then
    q=$(run_timed qemu-system-i386 -accel tcg -bios build/bench/mips.bin -display none \
        -nodefaults -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4)
    printf 'qemu-system-i386 TCG: %.2f s = %.1f MIPS (rawbox/qemu time ratio %.2f)\n' \
        "$q" "$(echo "$insns / $q / 1000000" | bc -l)" "$(echo "$r / $q" | bc -l)"
fi
