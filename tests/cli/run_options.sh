#!/bin/bash
# CLI test for `rawbox run`: help and version, every documented error path
# (one line "rawbox: <what>: <why>" on stderr, exit status 2), the guards
# (--timeout/--max-insns exit 124), --debugcon file:, --log post, --trace,
# and the smoke ROM's exit status. Environment: RAWBOX (default
# build/release/rawbox). Exit 0 = pass, 1 = fail; one line per check.
set -uo pipefail
cd "$(dirname "$0")/../.."
RAWBOX=${RAWBOX:-build/release/rawbox}
ROM=build/guest/smoke.bin
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0 n=0

ok() { n=$((n + 1)); echo "ok $1"; }
bad() { n=$((n + 1)); fails=$((fails + 1)); echo "FAIL $1"; }

# expect STATUS NAME -- ARGS...: exit status, and for status 2 exactly one
# stderr line starting "rawbox: ".
expect() {
    local want=$1 name=$2
    shift 3
    "$RAWBOX" "$@" </dev/null >"$T/out" 2>"$T/err"
    local rc=$?
    if [ $rc -ne "$want" ]; then
        bad "$name: exit $rc, expected $want ($(head -c 200 "$T/err"))"
    elif [ "$want" = 2 ] && { [ "$(wc -l <"$T/err")" != 1 ] || ! grep -q '^rawbox: ' "$T/err"; }; then
        bad "$name: expected one 'rawbox: ' line on stderr, got: $(head -c 300 "$T/err")"
    else
        ok "$name"
    fi
}

[ -x "$RAWBOX" ] || { echo "FAIL $RAWBOX not built"; exit 1; }
[ -f "$ROM" ] || make -s "$ROM" || { echo "FAIL cannot build $ROM"; exit 1; }

expect 0 "rawbox --help" -- --help
grep -q '^  run ' "$T/out" && ok "--help lists the run command" || bad "--help lists the run command"
expect 0 "rawbox --version" -- --version
grep -qE '^rawbox [0-9]' "$T/out" && ok "--version prints a version" || bad "--version prints a version"
expect 0 "rawbox run --help" -- run --help
for o in --memory --bios --debugcon --log --trace --timeout --max-insns --help; do
    grep -q -- "$o" "$T/out" && ok "run --help lists $o" || bad "run --help lists $o"
done
expect 0 "run --log help" -- run --log help
grep -q 'post' "$T/out" && ok "--log help lists post" || bad "--log help lists post"

expect 2 "no command" --
expect 2 "unknown command" -- frobnicate
expect 2 "run without anything to boot" -- run
expect 2 "unknown option" -- run --frob
expect 2 "stray argument" -- run foo
expect 2 "missing option value" -- run --bios
expect 2 "missing BIOS file" -- run --bios "$T/nope.bin"
head -c 1000 /dev/zero >"$T/small.bin"
expect 2 "BIOS too small" -- run --bios "$T/small.bin"
expect 2 "BIOS is a directory" -- run --bios "$T"
expect 2 "bad memory size" -- run -m 12Q --bios "$ROM"
expect 2 "memory too large" -- run -m 64G --bios "$ROM"
expect 2 "memory too small" -- run -m 64K --bios "$ROM"
expect 2 "bad debugcon" -- run --debugcon tty --bios "$ROM"
expect 2 "unwritable debugcon file" -- run --debugcon "file:$T/no/such/dir" --bios "$ROM"
expect 2 "unknown log category" -- run --log bogus --bios "$ROM"
expect 2 "bad timeout" -- run --timeout soon --bios "$ROM"
expect 2 "bad max-insns" -- run --max-insns 0 --bios "$ROM"
expect 2 "flag given a value" -- run --help=yes
expect 2 "unwritable trace file" -- run --trace "$T/no/such/dir" --bios "$ROM"

expect 1 "smoke ROM passes (status 1)" -- run --bios "$ROM" --debugcon stdio
grep -q '^ok add ax imm16' "$T/out" && ok "debugcon stdio shows the checks" || bad "debugcon stdio shows the checks"
expect 1 "QEMU spellings -bios and -m 64" -- run -bios "$ROM" -m 64
expect 1 "--memory=32M and -m32M" -- run --memory=32M -m32M --bios "$ROM"
expect 1 "debugcon to a file" -- run --bios "$ROM" --debugcon "file:$T/dc.txt"
grep -q '^checks 0003 failures 0000' "$T/dc.txt" && ok "debugcon file has the summary" || bad "debugcon file has the summary"
expect 1 "trace to a file" -- run --bios "$ROM" --trace "$T/trace.txt"
[ -s "$T/trace.txt" ] && ok "trace file is not empty ($(wc -l <"$T/trace.txt") lines)" || bad "trace file is not empty"
expect 124 "--max-insns stops with 124" -- run --bios "$ROM" --max-insns 5
grep -q 'instruction limit' "$T/err" && ok "--max-insns says why" || bad "--max-insns says why"

# A ROM that spins forever: jmp $ at the reset vector.
python3 - "$T/spin.bin" <<'PY'
import sys
rom = bytearray(b'\xff' * 65536)
rom[0xfff0:0xfff2] = b'\xeb\xfe'        # jmp $
open(sys.argv[1], 'wb').write(rom)
PY
expect 124 "--timeout stops a spinning guest with 124" -- run --bios "$T/spin.bin" --timeout 0.5
grep -q 'timeout' "$T/err" && ok "--timeout says why" || bad "--timeout says why"

# cli; hlt at the reset vector: stuck guest.
python3 - "$T/hlt.bin" <<'PY'
import sys
rom = bytearray(b'\xff' * 65536)
rom[0xfff0:0xfff2] = b'\xfa\xf4'        # cli; hlt
open(sys.argv[1], 'wb').write(rom)
PY
expect 4 "HLT with IF=0 ends the run with status 4 (never a test-exit status)" -- run --bios "$T/hlt.bin" --timeout 10
grep -q 'guest halted with interrupts disabled' "$T/err" && ok "stuck guest message" || bad "stuck guest message: $(cat "$T/err")"

# out 0x80 with --log post
python3 - "$T/post.bin" <<'PY'
import sys
rom = bytearray(b'\xff' * 65536)
# mov al,0x42; out 0x80,al; mov al,0; out 0xf4,al; hlt
rom[0xfff0:0xfff9] = b'\xb0\x42\xe6\x80\xb0\x00\xe6\xf4\xf4'
open(sys.argv[1], 'wb').write(rom[:65536])
PY
expect 1 "POST ROM exits through test-exit" -- run --bios "$T/post.bin" --log post
grep -q 'POST code 0x42' "$T/err" && ok "--log post shows the code" || bad "--log post shows the code"

# --device: QEMU's test devices.
expect 0 "run --device help" -- run --device help
grep -q '^  isa-debug-exit' "$T/out" && grep -q '^  pc-testdev' "$T/out" &&
    ok "--device help lists isa-debug-exit and pc-testdev" || bad "--device help lists the devices"
expect 2 "unknown device" -- run --device e1000 --bios "$ROM"
grep -q 'isa-debug-exit pc-testdev' "$T/err" && ok "unknown device lists what exists" ||
    bad "unknown device lists what exists: $(cat "$T/err")"
expect 2 "isa-debug-exit unknown property" -- run --device isa-debug-exit,port=1 --bios "$ROM"
expect 2 "isa-debug-exit bad iobase" -- run --device isa-debug-exit,iobase=0x1ffff --bios "$ROM"
expect 2 "isa-debug-exit range past 0xffff" -- run --device isa-debug-exit,iobase=0xfffe,iosize=4 --bios "$ROM"
expect 2 "pc-testdev takes no property" -- run --device pc-testdev,x=1 --bios "$ROM"
expect 1 "QEMU spelling -device isa-debug-exit,iobase=0xf4,iosize=0x4 -device pc-testdev" -- \
    run -device isa-debug-exit,iobase=0xf4,iosize=0x4 -device pc-testdev --bios "$T/post.bin"
# The POST ROM's exit write goes to 0xF4, which is no exit port once the
# exit is placed at QEMU's default 0x501: the CPU then halts with IF=0.
expect 4 "--device isa-debug-exit (0x501) replaces the exit at 0xF4" -- \
    run --device isa-debug-exit --bios "$T/post.bin" --timeout 10

# --engine and --stats.
expect 2 "unknown engine" -- run --engine tcg --bios "$T/post.bin"
grep -q 'interp, raw or jit' "$T/err" && ok "unknown engine names the choices" ||
    bad "unknown engine names the choices: $(cat "$T/err")"
expect 1 "--engine interp" -- run --engine interp --bios "$T/post.bin"
expect 1 "--engine raw --stats" -- run --engine raw --stats --bios "$T/post.bin"
grep -q '^raw mode: never entered user mode' "$T/err" && grep -q '^  entries 0,' "$T/err" &&
    ok "--stats reports raw mode (firmware only: no native entries)" ||
    bad "--stats reports raw mode: $(cat "$T/err")"
grep -q '^jit: [0-9]* blocks translated' "$T/err" &&
    ok "--stats reports the recompiler under raw mode (the default pairs them)" ||
    bad "--stats reports the recompiler under raw mode: $(cat "$T/err")"
RAWBOX_JIT=0 expect 1 "RAWBOX_JIT=0 --engine raw --stats" -- run --engine raw --stats --bios "$T/post.bin"
grep -q '^jit:' "$T/err" && bad "RAWBOX_JIT=0: no recompiler" || ok "RAWBOX_JIT=0: no recompiler"
expect 1 "--engine jit --stats" -- run --engine jit --stats --bios "$T/post.bin"
grep -q '^jit: [0-9]* blocks translated' "$T/err" && ! grep -q '^raw mode' "$T/err" &&
    ok "--engine jit --stats reports the recompiler alone" ||
    bad "--engine jit --stats: $(cat "$T/err")"
expect 1 "--engine interp --stats prints nothing for raw mode" -- run --engine interp --stats --bios "$T/post.bin"
grep -q '^raw mode\|^jit:' "$T/err" && bad "--engine interp --stats: no raw or jit block" ||
    ok "--engine interp --stats: no raw or jit block"

echo "$((n - fails)) passed, $fails failed"
[ $fails -eq 0 ]
