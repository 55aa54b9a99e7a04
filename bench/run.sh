#!/bin/bash
# Benchmarks: guest MIPS of the interpreter on bench/mips.asm (32-bit code)
# and bench/mips64.asm (64-bit code), beside QEMU TCG running the same ROMs
# when qemu-system-i386 / qemu-system-x86_64 are installed. See README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ITER=${ITER:-25000000}
mkdir -p build/bench
nasm -f bin -I tests/guest/include/ -DITER=$ITER -o build/bench/mips.bin bench/mips.asm
nasm -f bin -I tests/guest/include/ -DITER=$ITER -o build/bench/mips64.bin bench/mips64.asm
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

# bench ROM LABEL RAWBOX-OPTS -- QEMU-CMD...
bench() {
    local rom=$1 label=$2 ropts=$3 r q
    shift 4
    # shellcheck disable=SC2086  # ropts is a word list
    r=$(run_timed build/release/rawbox run $ropts --bios "$rom")
    printf 'rawbox interpreter, %s: %d guest instructions in %.2f s = %.1f MIPS\n' \
        "$label" "$insns" "$r" "$(echo "$insns / $r / 1000000" | bc -l)"
    if command -v "$1" >/dev/null; then
        q=$(run_timed "$@" -accel tcg -bios "$rom" -display none \
            -nodefaults -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4)
        printf '%s TCG, %s: %.2f s = %.1f MIPS (rawbox/qemu time ratio %.2f)\n' \
            "$1" "$label" "$q" "$(echo "$insns / $q / 1000000" | bc -l)" "$(echo "$r / $q" | bc -l)"
    fi
}

bench build/bench/mips.bin "32-bit" "" -- qemu-system-i386
bench build/bench/mips64.bin "64-bit" "--cpu max" -- qemu-system-x86_64 -cpu max
