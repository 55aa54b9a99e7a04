#!/bin/bash
# Boot test: user programs give the same output under every engine. For
# each Debian 12 guest (amd64 and i386, from scripts/fetch-guest.sh) the
# programs of tests/boot/uprogs/ (integer work, memory, x87, SSE, threads,
# signals, processes, system calls; each built -static and dynamic, see
# tests/boot/uprogs/build.sh) are added to the initramfs, and the guest is
# booted three times, with `--engine interp`, `--engine raw --stats` and
# `--engine jit --stats` (the recompiler at its default threshold).
# Over the serial console it runs every program and a fork/exec stress
# loop (a shell loop running tiny.static and tiny.dyn, STRESS_RUNS times
# in all, checking each one's output against the shell's own arithmetic).
#
#   tests/boot/raw_progs.sh          both guests
#   tests/boot/raw_progs.sh amd64    one guest (or i386)
#
# Passes only if (a) every program ends with "NAME: ok <checksum>" and the
# stress loop with "stress: ok N of N" under every engine, (b) the
# programs' output under raw and under jit is identical to the output under
# interp (the diff is printed otherwise), (c) under raw mode the amd64
# guest's --stats show native entries > 0 (on hosts without IA-32
# emulation 32-bit user code is interpreted, so the i386 guest has none),
# (d) under jit both guests' --stats show block runs > 0. The --stats block
# of each raw and jit run is printed, and how long each boot took to the
# shell prompt, for the programs and for the stress loop. All six boots
# run at once.
# Environment: RAWBOX (binary, default build/release/rawbox), STRESS_RUNS
# (default 300), BOOT_PROMPT_TIMEOUT (seconds any one step may take,
# default 600), BOOT_FIRST_OUTPUT_TIMEOUT (default 300), RAWBOX_AMD64_CPU
# (--cpu for the amd64 guest, default max, as linux_amd64_boot.sh).
# Logs: build/boot/raw_progs.<guest>-<engine>.log (the serial transcript,
# with --stats at its end) and .out (each command's output, as diffed).
# Exit status 0 = pass, 1 = fail, 77 = skipped (said why): rawbox's CPU
# models cannot claim long mode yet, or gcc cannot build 32-bit programs
# (scripts/deps.sh check installs gcc-multilib).
set -uo pipefail
cd "$(dirname "$0")/../.."

. tests/boot/lib.bash
RAWBOX=${RAWBOX:-build/release/rawbox}
LOGDIR=build/boot
mkdir -p "$LOGDIR"
case "${1:-}" in
-h|--help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
amd64|i386) guests=("$1") ;;
"") guests=(amd64 i386) ;;
*) echo "raw_progs.sh: unknown argument $1 (amd64 or i386)" >&2; exit 2 ;;
esac
[ -x "$RAWBOX" ] || { echo "FAIL: $RAWBOX is not built"; exit 1; }
probe=$("$RAWBOX" run --cpu "${RAWBOX_AMD64_CPU:-max},+lm,+sse2" --bios /nonexistent 2>&1)
if [[ $probe == *"unknown feature"* ]]; then
    echo "SKIP: rawbox's CPU models do not claim long mode and SSE2 yet"
    exit 77
fi
if ! echo 'int main(void){return 0;}' | gcc -m32 -x c -o /dev/null - 2>/dev/null; then
    echo "SKIP: gcc -m32 cannot link (scripts/deps.sh check installs gcc-multilib, libc6-dev-i386)"
    exit 77
fi
STRESS_RUNS=${STRESS_RUNS:-300}
FIRST_TIMEOUT=${BOOT_FIRST_OUTPUT_TIMEOUT:-300}
tmo=${BOOT_PROMPT_TIMEOUT:-600}
RUN=$(mktemp -d "$LOGDIR/raw_progs.run.XXXXXX") || { echo "FAIL: mktemp"; exit 1; }
trap 'rm -rf "$RUN"' EXIT

progs=()
for c in tests/boot/uprogs/*.c; do
    p=$(basename "$c" .c)
    [ "$p" = tiny ] && continue
    progs+=("$p.static" "$p.dyn")
done
# Odd runs take the dynamic build: exec of the loader and libc as well.
stress="i=0; ok=0; while [ \$i -lt $STRESS_RUNS ]; do k=static; [ \$((i % 2)) = 1 ] && k=dyn;"
stress+=" if r=\$(/usr/bin/tiny.\$k \$i) && [ \"\$r\" = \"tiny \$i \$(((i * i * 7 + 3) % 1000003))\" ];"
stress+=" then ok=\$((ok + 1)); else echo \"stress: FAIL \$i \$k '\$r'\"; fi; i=\$((i + 1)); done;"
stress+=" echo \"stress: ok \$ok of \$i\""
# Kernel messages (a segfault report, say) must not land in the programs'
# output on the console.
cmds=("dmesg -n 1")
for p in "${progs[@]}"; do
    cmds+=("/usr/bin/$p")
done
cmds+=("$stress")
boot_flow "$FIRST_TIMEOUT" "${cmds[@]}"
# Each command's end marker is awaited with its line end, so the next
# command is not typed (and echoed by the tty) into the marker's line; a
# mark after it puts how long each command took into the driver log
# ("MARK done_I SECONDS").
marked=()
for s in "${steps[@]}"; do
    if [[ $s == expect:__DONE_* ]]; then
        marked+=("$s\\r?\\n" --step "mark:done_${s#expect:__DONE_}")
    else
        marked+=("$s")
    fi
done
steps=("${marked[@]}")

# transcript LOG -> each command's output as "PROGRAM| LINE" (the stress
# loop's as "stress| LINE"), from the echoed command to its end marker.
transcript() {
    tr -d '\r' < "$1" | awk '
        /; echo __DO""NE_[0-9]+$/ {
            cur = ""
            if (match($0, /\/usr\/bin\/[a-z0-9]+\.(static|dyn); echo __DO/))
                cur = substr($0, RSTART + 9, RLENGTH - 9 - 11)
            else if (index($0, "stress: ok"))
                cur = "stress"
            next
        }
        /^__DONE_[0-9]+/ { cur = ""; next }
        cur != "" { print cur "| " $0 }'
}

# check_output LOG -> the ok lines of every program and the stress loop.
check_output() {
    local out=${1%.log}.out items=() p
    transcript "$1" > "$out"
    for p in "${progs[@]}"; do
        items+=("$p|^$p\\| ${p%.*}: ok [0-9a-f]{16}\$")
    done
    items+=("stress loop, $STRESS_RUNS programs|^stress\\| stress: ok $STRESS_RUNS of $STRESS_RUNS\$")
    check_lines "$out" "${items[@]}"
}

# stats LOG ENGINE -> the --stats block rawbox printed after the VM stopped
# (raw mode's starts with "raw mode: ", the recompiler's with "jit: ").
stats() {
    local head="raw mode: "
    [ "$2" = jit ] && head="jit: "
    tr -d '\r' < "$1" | sed -n "/^$head/,/^[^ ]/{/^$head\|^  /p}"
}

# timings DRIVER_LOG -> seconds to the prompt, for the programs, for the stress loop.
timings() {
    awk -v n=$((${#cmds[@]} - 1)) '
        $1 == "MARK" && $2 == "prompt" { p = $3 }
        $1 == "MARK" && $2 == "done_0" { d0 = $3 }
        $1 == "MARK" && $2 == "done_" (n - 1) { dp = $3 }
        $1 == "MARK" && $2 == "done_" n { ds = $3 }
        END { if (ds) printf "   times: shell prompt at %.0f s, programs %.0f s, stress loop %.0f s\n", p, dp - d0, ds - dp }' "$1"
}

# Fetch the guests and build their programs (both architectures at once).
declare -A kernel initrd cpu_opt
t0=$SECONDS
for g in "${guests[@]}"; do
    if [ "$g" = amd64 ]; then
        out=$(RAWBOX_GUEST_FLAVOUR=amd64 scripts/fetch-guest.sh 2>"$LOGDIR/fetch-guest-amd64.log") || {
            echo "FAIL: scripts/fetch-guest.sh could not build the amd64 guest"; exit 1; }
        cpu_opt[$g]="--cpu ${RAWBOX_AMD64_CPU:-max}"
    else
        out=$(scripts/fetch-guest.sh 2>"$LOGDIR/fetch-guest.log") || {
            echo "FAIL: scripts/fetch-guest.sh could not build the i386 guest"; exit 1; }
        cpu_opt[$g]=""
    fi
    eval "$(echo "$out" | tail -n 2)"
    kernel[$g]=$KERNEL
    initrd[$g]=$INITRD
    tests/boot/uprogs/build.sh "$g" "$RUN/uprogs-$g.cpio.gz" 2>"$RUN/build-$g.err" &
done
wait
for g in "${guests[@]}"; do
    if [ ! -s "$RUN/uprogs-$g.cpio.gz" ]; then
        echo "FAIL: tests/boot/uprogs/build.sh $g:"
        sed 's/^/   | /' "$RUN/build-$g.err"
        exit 1
    fi
    cat "${initrd[$g]}" "$RUN/uprogs-$g.cpio.gz" > "$RUN/initrd-$g.gz"
    echo "guest $g: ${kernel[$g]} ${initrd[$g]}"
done
echo "programs built in $((SECONDS - t0)) s"

# Every boot at once: the host's two cores are shared, and the longest run
# (amd64 under raw) starts first.
for g in "${guests[@]}"; do
    for e in raw jit interp; do
        extra=(--engine "$e")
        [ "$e" != interp ] && extra+=(--stats)
        rm -f "build/boot/raw_progs.$g-$e".*
        # shellcheck disable=SC2086  # cpu_opt is empty or "--cpu MODEL"
        run_vm raw_progs "$g-$e" "$tmo" check_output \
            "$RAWBOX" run ${cpu_opt[$g]} -m 256M --kernel "${kernel[$g]}" \
            --initrd "$RUN/initrd-$g.gz" --append console=ttyS0 --serial stdio \
            --timeout $((tmo * 2)) "${extra[@]}" > "$RUN/$g-$e.report" 2>&1 &
    done
done
wait

status=0
for g in "${guests[@]}"; do
    for e in interp raw jit; do
        cat "$RUN/$g-$e.report"
        grep -q '^  FAIL' "$RUN/$g-$e.report" && status=1
        timings "build/boot/raw_progs.$g-$e.log.driver"
        cp "$RUN/$g-$e.out" "build/boot/raw_progs.$g-$e.out" 2>/dev/null
    done
    a=build/boot/raw_progs.$g-interp.out
    for e in raw jit; do
        b=build/boot/raw_progs.$g-$e.out
        if [ -s "$a" ] && cmp -s "$a" "$b"; then
            echo "  ok   $g: output identical under interp and $e ($(wc -l < "$a") lines)"
        else
            echo "  FAIL $g: output differs between interp and $e (diff $a $b):"
            diff "$a" "$b" | head -n 40 | sed 's/^/   | /'
            status=1
        fi
    done
    echo "   --stats of the raw run:"
    stats "build/boot/raw_progs.$g-raw.log" raw | sed 's/^/   | /'
    entries=$(stats "build/boot/raw_progs.$g-raw.log" raw | sed -n 's/^  entries \([0-9]*\),.*/\1/p')
    if [ "$g" = amd64 ]; then
        if [ "${entries:-0}" -gt 0 ]; then
            echo "  ok   amd64 under raw: $entries native entries"
        else
            echo "  FAIL amd64 under raw: no native entries (${entries:-no --stats line})"
            status=1
        fi
    fi
    echo "   --stats of the jit run:"
    stats "build/boot/raw_progs.$g-jit.log" jit | sed 's/^/   | /'
    runs=$(stats "build/boot/raw_progs.$g-jit.log" jit | sed -n 's/^  block runs \([0-9]*\);.*/\1/p')
    if [ "${runs:-0}" -gt 0 ]; then
        echo "  ok   $g under jit: $runs block runs"
    else
        echo "  FAIL $g under jit: no translated block ran (${runs:-no --stats line})"
        status=1
    fi
done
if [ $status -eq 0 ]; then
    echo "PASS: raw_progs (${guests[*]}; ${#progs[@]} programs and $STRESS_RUNS stress runs per boot, ${SECONDS} s)"
else
    echo "FAIL: raw_progs (${SECONDS} s)"
fi
exit $status
