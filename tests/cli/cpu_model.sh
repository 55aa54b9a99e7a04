#!/bin/bash
# CLI test for `rawbox run --cpu`: `--cpu help` lists the models and
# features, a feature toggle reaches CPUID in the guest (a ROM prints
# CPUID.1:EDX and leaf 0's vendor on port 0xE9), --no-apic and -apic hide the
# APIC bit, and bad models and features give one "rawbox: " line and exit
# status 2. Environment: RAWBOX (default build/release/rawbox). Exit 0 =
# pass, 1 = fail; one line per check.
set -uo pipefail
cd "$(dirname "$0")/../.."
RAWBOX=${RAWBOX:-build/release/rawbox}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0 n=0

ok() { n=$((n + 1)); echo "ok $1"; }
bad() { n=$((n + 1)); fails=$((fails + 1)); echo "FAIL $1"; }

[ -x "$RAWBOX" ] || { echo "FAIL $RAWBOX not built"; exit 1; }

# The ROM: "edx=XXXXXXXX max=XXXX" then a pass exit.
cat >"$T/cpuid.asm" <<'ASM'
%include "rom.inc"
start:
    ROM_INIT
    mov eax, 1
    cpuid
    PUTS "edx="
    mov eax, edx
    shr eax, 16
    PUTHEX16 ax
    PUTHEX16 dx
    xor eax, eax
    cpuid
    PUTS " max="
    PUTHEX16 ax
    PUTS `\n`
    FINISH
ROM_END
ASM
nasm -f bin -I tests/guest/include/ -o "$T/cpuid.bin" "$T/cpuid.asm" ||
    { echo "FAIL cannot assemble the CPUID ROM"; exit 1; }

# edx ARGS...: CPUID.1:EDX the guest sees, as 8 hex digits.
edx() {
    "$RAWBOX" run --bios "$T/cpuid.bin" --debugcon stdio --timeout 10 "$@" </dev/null 2>"$T/err" |
        tr -d '\r' | sed -n 's/.*edx=\([0-9a-fA-F]*\).*/\1/p' | tr 'a-f' 'A-F'
}
# is NAME GOT WANT
is() { [ "$2" = "$3" ] && ok "$1 ($2)" || bad "$1: got '$2', expected '$3' ($(head -c 200 "$T/err"))"; }

"$RAWBOX" run --cpu help >"$T/help" 2>&1
rc=$?
[ $rc = 0 ] && ok "--cpu help exits 0" || bad "--cpu help exits $rc"
for w in p6 x86-64 max; do
    grep -qE "^  $w " "$T/help" && ok "--cpu help lists model $w" || bad "--cpu help lists model $w"
done
for w in cmov apic pae sep nx; do
    grep -qw "$w" "$T/help" && ok "--cpu help lists feature $w" || bad "--cpu help lists feature $w"
done
for w in sse sse2 sse4.2 fxsr xsave; do
    grep -A1 "^Features" "$T/help" | grep -qw -- "$w" && ok "--cpu help lists feature $w" ||
        bad "--cpu help lists feature $w"
done
grep -A1 "^Features" "$T/help" | grep -qiw "avx" && bad "--cpu help claims AVX, which rawbox lacks" ||
    ok "--cpu help claims no AVX"

# P6 features rawbox implements: FPU DE PSE TSC MSR PAE MCE CX8 APIC SEP
# MTRR PGE MCA CMOV PAT PSE36 = 0x0003FBFD (no VME, MMX, FXSR, SSE).
is "default model (x86-64): CPUID.1:EDX" "$(edx)" 078BFBFD
is "--cpu p6" "$(edx --cpu p6)" 0003FBFD
# max adds CLFSH (19), MMX (23), FXSR (24), SSE (25), SSE2 (26).
is "--cpu max adds CLFSH, MMX, FXSR, SSE, SSE2" "$(edx --cpu max)" 078BFBFD
is "--cpu p6,+mmx" "$(edx --cpu p6,+mmx)" 0083FBFD
is "--cpu max,-mmx" "$(edx --cpu max,-mmx)" 070BFBFD
is "--cpu p6,+sse2,+fxsr" "$(edx --cpu p6,+sse2,+fxsr)" 0503FBFD
is "--cpu p6,-cmov clears CMOV (bit 15)" "$(edx --cpu p6,-cmov)" 00037BFD
is "--cpu p6,cmov=off,+cmov sets it again" "$(edx --cpu p6,cmov=off,+cmov)" 0003FBFD
is "--cpu p6,-pae,-pse36" "$(edx --cpu p6,-pae,-pse36)" 0001FBBD
is "--no-apic hides the APIC (bit 9)" "$(edx --no-apic)" 078BF9FD
is "--cpu p6,-apic hides it too" "$(edx --cpu p6,-apic)" 0003F9FD
out=$("$RAWBOX" run --bios "$T/cpuid.bin" --debugcon stdio --timeout 10 --cpu max </dev/null 2>/dev/null)
[[ "${out,,}" == *"max=000d"* ]] && ok "max basic leaf 0DH (XSAVE's leaf)" || bad "max basic leaf: $out"

# expect2 NAME ARGS...: exit status 2 and exactly one "rawbox: " line.
expect2() {
    local name=$1
    shift
    "$RAWBOX" "$@" </dev/null >/dev/null 2>"$T/err"
    local rc=$?
    if [ $rc -ne 2 ]; then
        bad "$name: exit $rc, expected 2"
    elif [ "$(wc -l <"$T/err")" != 1 ] || ! grep -q '^rawbox: --cpu ' "$T/err"; then
        bad "$name: expected one 'rawbox: --cpu' line, got: $(head -c 300 "$T/err")"
    else
        ok "$name: $(cat "$T/err")"
    fi
}
expect2 "unknown model" run --cpu pentium9 --bios "$T/cpuid.bin"
expect2 "a model rawbox lacks" run --cpu qemu64 --bios "$T/cpuid.bin"
expect2 "unimplemented feature" run --cpu p6,+avx --bios "$T/cpuid.bin"
expect2 "a feature rawbox lacks (PCID)" run --cpu max,+pcid --bios "$T/cpuid.bin"
is "--cpu x86-64: CPUID.1:EDX" "$(edx --cpu x86-64)" 078BFBFD
expect2 "unknown feature" run --cpu max,-frob --bios "$T/cpuid.bin"
expect2 "bad on/off value" run --cpu p6,cmov=maybe --bios "$T/cpuid.bin"
expect2 "empty model" run --cpu ,+cmov --bios "$T/cpuid.bin"

echo "$((n - fails)) passed, $fails failed"
[ $fails -eq 0 ]
