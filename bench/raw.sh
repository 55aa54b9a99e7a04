#!/bin/bash
# Raw-mode and recompiler benchmark: guest user code natively on the host
# (rawbox --engine raw, with and without the recompiler) beside the
# recompiler alone (--engine jit), the interpreter (--engine interp), QEMU
# TCG and the host itself, on Debian 12's amd64 kernel with the busybox
# initramfs (scripts/fetch-guest.sh, RAWBOX_GUEST_FLAVOUR=amd64) and the
# static programs of bench/raw/ (64-bit and 32-bit builds) appended to it.
#
#   bench/raw.sh
#
# Engines: raw = --engine raw with RAWBOX_JIT=0 (raw mode, the rest
# interpreted: the old default), rawjit = --engine raw (raw mode, the rest
# through the recompiler: the default), jit, interp, qemu.
# 1. compute: integer, memory (stream, random), calls, x87, SSE2; each
#    program times its own loop with the guest's CLOCK_MONOTONIC
# 2. system call, page fault and fork+exec+wait round trips, in us per
#    operation
# 3. a mixed shell loop (fork/exec, compute, system calls, page faults)
# 4. raw mode's and the recompiler's --stats for each of their VMs
# 5. the recompiler's targets (issue 10), from the tables. See bench/README.md.
#
# Environment (the defaults take about 8 minutes on a busy 2-core host):
#   RAWBENCH_UNITS    compute units per program (~10-20 ms natively each), 100
#   RAWBENCH_SLOW_DIV interpreted runs (interp, and raw's 32-bit code on a
#                     host without IA-32 emulation) do UNITS / this, 25
#                     (not mem-random: the interpreter walks memory about as
#                     fast as the host, so it runs UNITS everywhere)
#   RAWBENCH_JIT_DIV  runs through the recompiler (jit, and rawjit's 32-bit
#                     code on such a host) do UNITS / this, 10 (not
#                     mem-random, as above)
#   RAWBENCH_QEMU_DIV QEMU runs do UNITS / this, 4
#   RAWBENCH_SYS      thousands of each system call, 20
#   RAWBENCH_FAULTS   page faults, in units of 256 pages, 32
#   RAWBENCH_SPAWN    fork + exec of /bin/true + wait, 200
#   RAWBENCH_MIX      iterations of the mixed shell loop, 20
#   RAWBENCH_CPUID    units of bench/raw/cpuidpage.c in the guests, 2
#   RAWBENCH_TIMEOUT  seconds any one step may wait for the guest, 240
#   RAWBOX            the binary, build/release/rawbox
# Logs, the programs and the initrd: build/bench/raw/.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

UNITS=${RAWBENCH_UNITS:-100}
SLOW_DIV=${RAWBENCH_SLOW_DIV:-25}
JIT_DIV=${RAWBENCH_JIT_DIV:-10}
QEMU_DIV=${RAWBENCH_QEMU_DIV:-4}
SYS=${RAWBENCH_SYS:-20}
FAULTS=${RAWBENCH_FAULTS:-32}
SPAWN=${RAWBENCH_SPAWN:-200}
MIX=${RAWBENCH_MIX:-20}
CPUID=${RAWBENCH_CPUID:-2}
TIMEOUT=${RAWBENCH_TIMEOUT:-240}
RAWBOX=${RAWBOX:-build/release/rawbox}
# mitigations=off: the kernel mitigates differently on rawbox's CPU model
# (Intel; IA32_ARCH_CAPABILITIES rules out Meltdown, MDS..., not Spectre or
# SSB) and on QEMU's (AMD), so the guests would do different work.
# Section 2 runs once more with the stock command line.
APPEND_STOCK="console=ttyS0 cryptomgr.notests"
APPEND="$APPEND_STOCK mitigations=off"
OUT=build/bench/raw
# Compute jobs: program, its mode argument (or -), the RESULT name.
JOBS=("int - int" "mem stream mem-stream" "mem random mem-random" "calls - calls"
      "x87 - x87" "sse - sse")
PROGS=(int mem calls x87 sse cpuidpage sys spawn clk mix)

die() { echo "bench/raw.sh: $*" >&2; exit 1; }
div() { local n=$(($1 / $2)); echo $((n > 0 ? n : 1)); }

mkdir -p "$OUT/root/usr/bin"
rm -f "$OUT"/*.log "$OUT"/*.driver "$OUT"/native.out
[ -x "$RAWBOX" ] || die "$RAWBOX is not built (make)"
command -v python3 >/dev/null || die "python3 is missing (scripts/deps.sh check)"

# --- the programs: static, -O2, each file's code on pages of its own
# (bench/raw/common.h), 32-bit ones with SSE2 maths like the 64-bit ones.
CFLAGS=(-O2 -static -Wall -Wextra -Werror -fno-toplevel-reorder -fno-reorder-functions
        -fno-tree-loop-distribute-patterns)
for p in "${PROGS[@]}"; do
    for bits in 64 32; do
        extra=()
        [ $bits = 32 ] && extra=(-m32 -msse2 -mfpmath=sse)
        gcc "${CFLAGS[@]}" "${extra[@]}" -o "$OUT/root/usr/bin/$p$bits" "bench/raw/$p.c" \
            2>"$OUT/cc.err" ||
            die "cannot build $p$bits: $(grep -m1 -E 'error|fatal' "$OUT/cc.err") (-m32 needs gcc-multilib: scripts/deps.sh check)"
        case $p in
        clk) ;;
        cpuidpage)  # the one program whose loop must share a page with CPUID
            python3 bench/raw/pagecheck.py "$OUT/root/usr/bin/$p$bits" >/dev/null &&
                die "cpuidpage$bits: its loop no longer shares a page with CPUID" ;;
        *) python3 bench/raw/pagecheck.py "$OUT/root/usr/bin/$p$bits" || die "layout check failed" ;;
        esac
    done
done
(cd "$OUT/root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -1 > "$OUT/progs.cpio.gz"
guest=$(RAWBOX_GUEST_FLAVOUR=amd64 scripts/fetch-guest.sh 2>"$OUT/fetch-guest.log") ||
    die "cannot build the amd64 guest: $(tail -n1 "$OUT/fetch-guest.log")"
eval "$(echo "$guest" | tail -n 2)"
cat "$INITRD" "$OUT/progs.cpio.gz" > "$OUT/initrd.gz"
# The guest's /bin/true is its static busybox: the native fork+exec runs
# the same binary (as "true").
rm -f "$OUT/busybox"
(cd "$OUT" && gzip -dc "$INITRD" | cpio -i --quiet --to-stdout bin/busybox > busybox.tmp) &&
    [ -s "$OUT/busybox.tmp" ] && chmod +x "$OUT/busybox.tmp" && mv "$OUT/busybox.tmp" "$OUT/busybox"
rm -f "$OUT/busybox.tmp"

# Does this host run 32-bit code? If not, raw mode interprets 32-bit guest
# user code too (it needs the host's compatibility mode), and the 32-bit
# rows compare with the 64-bit build's native time.
host32=0
"$OUT/root/usr/bin/clk32" >/dev/null 2>&1 && host32=1

u_slow=$(div "$UNITS" "$SLOW_DIV")
u_qemu=$(div "$UNITS" "$QEMU_DIV")
u_jit=$(div "$UNITS" "$JIT_DIV")
slow_units() { [ "$1" = mem-random ] && echo "$UNITS" || echo "$u_slow"; }
jit_units() { [ "$1" = mem-random ] && echo "$UNITS" || echo "$u_jit"; }

# --- native: the full count, and the counts the guests run, whose check
# values the report compares with the guests'. Run before and after the
# guests (the report takes the mean): a shared host's load drifts.
native_bits=(64)
[ $host32 = 1 ] && native_bits+=(32)
native_runs() {
    local job p mode name bits u
    for job in "${JOBS[@]}"; do
        read -r p mode name <<<"$job"
        [ "$mode" = - ] && mode=
        for bits in "${native_bits[@]}"; do
            for u in $(printf '%s\n' "$UNITS" "$(slow_units "$name")" "$(jit_units "$name")" \
                           "$u_qemu" | sort -un); do
                # shellcheck disable=SC2086  # mode is empty or one word
                "$OUT/root/usr/bin/$p$bits" $mode "$u" >>"$OUT/native.out"
            done
        done
    done
    "$OUT/root/usr/bin/cpuidpage64" 100 >>"$OUT/native.out"
    for bits in "${native_bits[@]}"; do
        "$OUT/root/usr/bin/sys$bits" calls "$SYS" >>"$OUT/native.out"
        "$OUT/root/usr/bin/sys$bits" faults "$FAULTS" >>"$OUT/native.out"
        [ -x "$OUT/busybox" ] &&
            "$OUT/root/usr/bin/spawn$bits" "$SPAWN" "$OUT/busybox" >>"$OUT/native.out"
    done
}
echo "native runs..." >&2
native_runs

# --- the guest sessions. Each command is typed with a marker echoed after
# it; each "BEGIN name" / "RESULT name" line the guest prints is timestamped
# on the host (MARK b:name/bits, e:name/bits) as a check of the guest's clock.
steps=()
n_cmd=0
add_cmd() {     # add_cmd BITS "COMMAND" NAME... -> steps for one command
    local bits=$1 cmd=$2 name
    shift 2
    steps+=(--step "send:$cmd; echo __D\"\"ONE_$n_cmd")
    for name in "$@"; do
        steps+=(--step "expect:BEGIN $name\r?\n" --step "mark:b:$name/$bits"
                --step "expect:RESULT $name [^\n]*\n" --step "mark:e:$name/$bits")
    done
    steps+=(--step "expect:__DONE_$n_cmd")
    n_cmd=$((n_cmd + 1))
}
# compute_cmds ENGINE: units by engine and bits as described above
compute_cmds() {
    local job p mode name bits u
    for job in "${JOBS[@]}"; do
        read -r p mode name <<<"$job"
        [ "$mode" = - ] && mode= || mode="$mode "
        for bits in 64 32; do
            case "$1/$bits" in
            raw/64|rawjit/64) u=$UNITS ;;
            raw/32) if [ $host32 = 1 ]; then u=$UNITS; else u=$(slow_units "$name"); fi ;;
            rawjit/32) if [ $host32 = 1 ]; then u=$UNITS; else u=$(jit_units "$name"); fi ;;
            jit/*) u=$(jit_units "$name") ;;
            interp/*) u=$(slow_units "$name") ;;
            qemu/*) u=$u_qemu ;;
            esac
            add_cmd $bits "$p$bits $mode$u" "$name"
        done
    done
    add_cmd 64 "cpuidpage64 $CPUID" cpuid-page
}
sys_cmds() {    # sys_cmds [DIVISOR]
    local bits d=${1:-1}
    for bits in 64 32; do
        add_cmd $bits "sys$bits calls $(div "$SYS" "$d")" getpid syscall-insn
        add_cmd $bits "sys$bits faults $(div "$FAULTS" "$d")" pagefault
        add_cmd $bits "spawn$bits $(div "$SPAWN" "$d")" spawn
    done
    add_cmd 64 "clk64 vdso"
}
mix_cmds() {
    add_cmd 64 "t0=\$(clk64); echo BEG\"\"IN mixed; i=0; while [ \$i -lt $MIX ]; do mix64 \$i >/dev/null; echo \$i | cat >/dev/null; ls /usr/bin | wc -l >/dev/null; i=\$((i + 1)); done; clk64 result mixed $MIX \$t0" mixed
}

# session NAME CMD... : boot, run $steps, power off; logs in $OUT/NAME.*
session() {
    local name=$1 t0=$SECONDS
    shift
    local -a all=(--step 'expect:rawbox:[^\n]*# ' --step mark:prompt "${steps[@]}"
                  --step 'send:poweroff' --step wait)
    python3 tests/boot/serial_drive.py --timeout "$TIMEOUT" --log "$OUT/$name.log" "${all[@]}" \
        -- "$@" 2>"$OUT/$name.driver"
    local rc=$?
    echo "  $name: $((SECONDS - t0)) s (status $rc)" >&2
    [ $rc = 0 ] || echo "bench/raw.sh: $name did not finish: $(grep -v '^MARK' "$OUT/$name.driver" | tail -n1) (log: $OUT/$name.log)" >&2
    steps=()
}
# vm KIND [APPEND]: sets `cmd` to the VM's command line: rawbox with that
# engine (raw: RAWBOX_JIT=0; rawjit: raw mode with the recompiler, the
# default), or qemu. rawbox's --stats (stderr, at exit) end the transcript.
vm() {
    local append=${2:-$APPEND}
    case $1 in
    qemu)
        cmd=(qemu-system-x86_64 -accel tcg -cpu max -m 512 -kernel "$KERNEL"
             -initrd "$OUT/initrd.gz" -append "$append" -display none -serial stdio
             -monitor none -no-reboot)
        return ;;
    raw) cmd=(env RAWBOX_JIT=0 "$RAWBOX" run --engine raw) ;;
    rawjit) cmd=(env -u RAWBOX_JIT "$RAWBOX" run --engine raw) ;;
    *) cmd=(env -u RAWBOX_JIT "$RAWBOX" run --engine "$1") ;;
    esac
    cmd+=(--stats --cpu max -m 512M --kernel "$KERNEL" --kernel-unpack --initrd "$OUT/initrd.gz"
          --append "$append" --serial stdio --timeout 4000)
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
start=$SECONDS
echo "guest sessions:" >&2
# raw and rawjit: one VM per section, so that each --stats block covers one
# section; NAME-boot boots and powers off (what the others spend outside
# their section)
for e in raw rawjit; do
    vm $e
    session $e-boot "${cmd[@]}"
    compute_cmds $e; session $e-compute "${cmd[@]}"
    sys_cmds; session $e-sys "${cmd[@]}"
    mix_cmds; session $e-mixed "${cmd[@]}"
done
vm jit
compute_cmds jit; sys_cmds; mix_cmds; session jit "${cmd[@]}"
vm interp
compute_cmds interp; sys_cmds; mix_cmds; session interp "${cmd[@]}"
if command -v qemu-system-x86_64 >/dev/null 2>&1; then
    vm qemu
    compute_cmds qemu; sys_cmds; mix_cmds; session qemu "${cmd[@]}"
fi
# Section 2 with the stock command line (Spectre mitigations on), a
# quarter of the operations.
vm raw "$APPEND_STOCK"
sys_cmds 4; session rawpti-sys "${cmd[@]}"
vm interp "$APPEND_STOCK"
sys_cmds 4; session interppti-sys "${cmd[@]}"
load1=$(cut -d' ' -f1-3 /proc/loadavg)
echo "native runs..." >&2
native_runs

python3 bench/raw/report.py --dir "$OUT" --units "$UNITS" --sys "$SYS" --faults "$FAULTS" \
    --mix "$MIX" --spawn "$SPAWN" --cpuid "$CPUID" --host32 "$host32" --load "$load0 -> $load1" --append "$APPEND" \
    --guest "$(cut -d' ' -f1 "$(dirname "$KERNEL")/kernel-version")" \
    --host "$(nproc) cpu(s), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')" \
    --qemu "$(qemu-system-x86_64 --version 2>/dev/null | head -n1)" \
    --commit "$(git rev-parse --short HEAD 2>/dev/null)" --seconds $((SECONDS - start))
