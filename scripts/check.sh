#!/bin/bash
# The rawbox test suite. `make check` runs it after installing the test
# dependencies; run it directly for quicker loops.
#
#   scripts/check.sh [--fast] [--no-build] [--jobs N] [PATTERN...]
#
#   --fast      skip the ASan+UBSan and clang builds and runs
#   --no-build  use what is already built
#   PATTERN     run only tests whose name contains one of the patterns
#
# Steps: the include-graph check (scripts/layers.sh), builds (release,
# asan, clang compile check), unit tests (build/<mode>/unit/**), guest
# tests (tests/guest/*.asm booted as a BIOS ROM by build/<mode>/rawbox,
# exit status 1 = pass, 3 = fail), command-line tests (tests/cli/*.sh, run
# once per build with RAWBOX=build/<mode>/rawbox, exit 0 = pass) and boot
# tests (tests/boot/*.sh, exit 0 = pass, 77 = skipped).
#
# Each guest ROM also runs in rows compared line by line with the
# interpreter's run: [raw] (raw mode), [jit] (the recompiler with every
# block translated at its first visit: RAWBOX_JIT_THRESHOLD=1), [jit-flush]
# (as [jit], with a 64 KiB code cache also flushed after every second
# translation: RAWBOX_JIT_FLUSH=2 RAWBOX_JIT_CACHE_KB=64; its --stats must
# show cache flushes) and [qemu] (qemu-system-i386 when installed; any
# disagreement with rawbox is a failure unless the .asm has a line
# "; qemu-differs: REASON", then it is a note). A line
# "; jit-flush-skip: REASON" in the .asm skips its [jit-flush] row.
#
# Output: one line per test, "PASS name" or "FAIL name: why", then exactly
# "N passed, N failed". Exit status 1 if anything failed. Logs of every
# test are in build/check/latest/.
set -uo pipefail
cd "$(dirname "$0")/.."

# The whole script is one { } block, which bash reads completely before
# running it, so editing this file while the suite runs cannot break it.
{

fast=0
build=1
jobs=$(nproc 2>/dev/null || echo 2)
patterns=()
while [ $# -gt 0 ]; do
    case "$1" in
    --fast) fast=1 ;;
    --no-build) build=0 ;;
    --jobs) jobs=$2; shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0"; exit 0 ;;
    -*) echo "check.sh: unknown option $1" >&2; exit 2 ;;
    *) patterns+=("$1") ;;
    esac
    shift
done

GUEST_TIMEOUT=${GUEST_TIMEOUT:-20}
UNIT_TIMEOUT=${UNIT_TIMEOUT:-300}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-900}
# Each run logs into its own directory (several people may run the suite
# in one tree at once); build/check/latest points at the newest, and only
# the last five runs are kept.
mkdir -p build/check
LOGS=$(mktemp -d build/check/run.XXXXXX)
ln -sfn "$(basename "$LOGS")" build/check/latest
ls -dt build/check/run.* 2>/dev/null | tail -n +6 | xargs -r rm -rf

passed=0
failed=0
skipped=0
failures=()

pass() { echo "PASS $1"; passed=$((passed + 1)); }
failed_logs=()
# fail NAME WHY: WHY names the test's log as "(log: PATH)" or "(logs: A B)".
fail() {
    echo "FAIL $1: $2"
    failed=$((failed + 1))
    failures+=("$1")
    [[ "$2" =~ \(logs?:\ ([^\)]*)\) ]] && failed_logs+=(${BASH_REMATCH[1]})
}
skip() { echo "SKIP $1: $2"; skipped=$((skipped + 1)); }

# wanted NAME: true when no pattern was given or one matches.
wanted() {
    [ ${#patterns[@]} -eq 0 ] && return 0
    local p
    for p in "${patterns[@]}"; do
        [[ "$1" == *"$p"* ]] && return 0
    done
    return 1
}

logname() { echo "$LOGS/$(echo "$1" | tr '/ []' '_-__').log"; }

phase_start=$SECONDS
phases=()
# end_phase NAME: note how long the phase that just ended took.
end_phase() { phases+=("$1 $((SECONDS - phase_start))s"); phase_start=$SECONDS; }

modes=(release)
[ $fast = 1 ] || modes+=(asan)

# ---------------------------------------------------------------- layers
# The include graph first (scripts/layers.sh): it takes a second and names
# the file and line of any include that crosses a layer.
if wanted layers; then
    log=$(logname layers)
    if scripts/layers.sh >"$log" 2>&1 && scripts/layers.sh --self-test >>"$log" 2>&1; then
        pass layers
    else
        fail layers "$(head -n1 "$log") (log: $log)"
    fi
fi

# ---------------------------------------------------------------- builds
if [ $build = 1 ]; then
    for mode in "${modes[@]}"; do
        log=$(logname "build $mode")
        if make -j"$jobs" MODE="$mode" all >"$log" 2>&1; then
            pass "build $mode"
        else
            fail "build $mode" "$(grep -m1 -E 'error|Error' "$log" || tail -n1 "$log") (log: $log)"
        fi
    done
    if [ $fast = 0 ] && command -v clang >/dev/null 2>&1; then
        # clang must stay warning-free too; compile and link, run nothing.
        log=$(logname "build clang")
        if make -j"$jobs" CC=clang MODE=clang rawbox unit >"$log" 2>&1; then
            pass "build clang"
        else
            fail "build clang" "$(grep -m1 -E 'error|Error' "$log" || tail -n1 "$log") (log: $log)"
        fi
    fi
fi

end_phase builds

# ---------------------------------------------------------------- unit tests
for mode in "${modes[@]}"; do
    for src in $(find tests/unit -name '*_test.c' 2>/dev/null | sort); do
        rel=${src#tests/unit/}
        rel=${rel%.c}
        name="unit/$rel [$mode]"
        wanted "$name" || continue
        bin=build/$mode/unit/$rel
        log=$(logname "$name")
        if [ ! -x "$bin" ]; then
            fail "$name" "not built ($bin missing)"
            continue
        fi
        ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} TEST_QUIET=1 \
            timeout -k 5 "$UNIT_TIMEOUT" "$bin" >"$log" 2>&1
        rc=$?
        last=$(tail -n1 "$log")
        if [ $rc -eq 0 ] && [[ "$last" =~ ^[0-9]+\ passed,\ 0\ failed$ ]]; then
            pass "$name ($last)"
        elif [ $rc -eq 124 ]; then
            fail "$name" "timed out after ${UNIT_TIMEOUT}s (log: $log)"
        else
            why=$(grep -m1 -E '^FAIL|ERROR|runtime error' "$log")
            fail "$name" "exit $rc, ${last:-no summary line}${why:+; first: $why} (log: $log)"
        fi
    done
done

end_phase unit

# ---------------------------------------------------------------- guest tests
# run_rawbox MODE BIN LOG -> exit status
# A test's own lines (see tests/guest/include/rom.inc): "; rawbox-args: OPTS"
# adds rawbox options, "; qemu-cmd: CMD" picks the QEMU binary and CPU for
# the cross-check (default qemu-system-i386), "; jit-flush-skip: REASON"
# skips the [jit-flush] row.
# shellcheck disable=SC2046,SC2086  # the option lists are word lists
test_line() { grep -m1 -E "^[[:space:]]*;[[:space:]]*$2:" "$1" | sed "s/.*$2:[[:space:]]*//"; }
# run_rawbox MODE BIN LOG [OPTS...] -> exit status
run_rawbox() {
    local mode=$1 bin=$2 log=$3
    shift 3
    timeout -k 5 $((GUEST_TIMEOUT + 10)) "build/$mode/rawbox" run --bios "$bin" --debugcon stdio \
        --timeout "$GUEST_TIMEOUT" "$@" </dev/null >"$log" 2>&1
}
# run_qemu BIN LOG QEMU [QEMU OPTS...] -> exit status
run_qemu() {
    local bin=$1 log=$2
    shift 2
    # In a subshell with stderr closed, so that a QEMU killed by a signal
    # (it dies of SIGFPE on some guest divides) does not make bash print a
    # job message into the suite's output; the exit status says it all.
    ( timeout -k 5 "$GUEST_TIMEOUT" "$@" -bios "$bin" -display none -nodefaults \
        -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4 -debugcon stdio \
        </dev/null >"$log" 2>&1; exit $? ) 2>/dev/null
}
checklines() { grep -a -E '^(ok|FAIL) ' "$1" || true; }
verdict() {     # exit status -> text
    case $1 in
    1) echo "pass" ;; 3) echo "fail" ;; 5) echo "skip" ;; 124) echo "timeout" ;; *) echo "exit $1" ;;
    esac
}

declare -A release_rc

# engine_row ROW: the ROM of the loop below ($t, $asm, $bin, $rargs) once
# more, under another engine; its verdict and every check line must match
# the interpreter's (the [release] row's log), and its --stats must show
# the engine did its work:
#  [raw]        raw mode, user code native at once (RAWBOX_RAW_PROBE=0, not
#               after the interpreted probe each return to user mode gets);
#               a test with a "; raw-native: WHY" line must have run code
#               natively
#  [jit]        the recompiler, every block translated at its first visit
#               (RAWBOX_JIT_THRESHOLD=1); blocks must have run
#  [jit-flush]  the same with a 64 KiB code cache also flushed after every
#               second translation (RAWBOX_JIT_FLUSH=2 RAWBOX_JIT_CACHE_KB=64):
#               nothing may outlive the code it belongs to; the cache must
#               have been flushed. "; jit-flush-skip: REASON" skips it.
engine_row() {
    local row=$1 name="guest/$t [$1]" log rlog rc d n need what
    wanted "$name" && [ -f "$bin" ] || return 0
    if [ "$row" = jit-flush ] && [ -n "$(test_line "$asm" jit-flush-skip)" ]; then
        skip "$name" "$(test_line "$asm" jit-flush-skip)"
        return 0
    fi
    log=$(logname "$name")
    rlog=$(logname "guest/$t [release]")
    if [ -z "${release_rc[$t]:-}" ]; then
        run_rawbox release "$bin" "$rlog" $rargs --engine interp
        release_rc[$t]=$?
    fi
    case $row in
    raw) RAWBOX_RAW_PROBE=0 run_rawbox release "$bin" "$log" $rargs --engine raw --stats ;;
    jit) RAWBOX_JIT_THRESHOLD=1 run_rawbox release "$bin" "$log" $rargs --engine jit --stats ;;
    # Retranslating after every flush costs the host tens of times the
    # guest's time (jit_sti: ~13 s of CPU): three times the limit, so a
    # loaded CI host does not time it out.
    jit-flush) GUEST_TIMEOUT=$((GUEST_TIMEOUT * 3)) RAWBOX_JIT_THRESHOLD=1 RAWBOX_JIT_FLUSH=2 \
                   RAWBOX_JIT_CACHE_KB=64 run_rawbox release "$bin" "$log" $rargs --engine jit --stats ;;
    esac
    rc=$?
    d=$(diff <(checklines "$rlog") <(checklines "$log") | grep -m2 -E '^[<>]' | tr '\n' ' ')
    case $row in
    raw) n=$(grep -a -m1 -E '^  entries [0-9]+' "$log" | awk '{print $2}' | tr -d ,)
         what="native entries"
         need=$(test_line "$asm" raw-native) ;;
    jit) n=$(grep -a -m1 -E '^  block runs [0-9]+' "$log" | awk '{print $3}' | tr -d ',;')
         what="block runs"
         # A translation the translator gives up on is its bug (the
         # block then runs in the interpreter, unseen).
         gu=$(grep -a -m1 -o -E 'translations given up [0-9]+' "$log" | awk '{print $4}')
         [ "${gu:-0}" -ne 0 ] && d="translations given up: $gu $d"
         [ "${release_rc[$t]}" -ne 5 ] && need="no translated block ran" ;;
    jit-flush) n=$(grep -a -m1 -o -E 'cache flushes [0-9]+' "$log" | awk '{print $3}')
         what="cache flushes"
         [ "${release_rc[$t]}" -ne 5 ] && need="the code cache was never flushed" ;;
    esac
    if [ "$(verdict $rc)" != "$(verdict "${release_rc[$t]}")" ]; then
        fail "$name" "$row: $(verdict $rc), interpreter: $(verdict "${release_rc[$t]}") (log: $log)"
    elif [ -n "$need" ] && [ "${n:-0}" -eq 0 ]; then
        fail "$name" "no $what ($need) (log: $log)"
    elif [ -n "$d" ]; then
        fail "$name" "check lines differ (< interpreter, > $row): $d (log: $log)"
    else
        pass "$name (agrees with the interpreter; ${n:-0} $what)"
    fi
}

for asm in $(ls tests/guest/*.asm 2>/dev/null | sort); do
    t=$(basename "$asm" .asm)
    bin=build/guest/$t.bin
    rargs=$(test_line "$asm" rawbox-args)
    qcmd=$(test_line "$asm" qemu-cmd)
    qcmd=${qcmd:-qemu-system-i386}
    for mode in "${modes[@]}"; do
        name="guest/$t [$mode]"
        wanted "$name" || continue
        log=$(logname "$name")
        if [ ! -f "$bin" ]; then
            fail "$name" "$bin not built"
            continue
        fi
        # The release build runs the reference engine (the interpreter);
        # the other builds run the default (raw mode), and the [raw] row
        # below compares the two.
        eng=
        [ "$mode" = release ] && eng="--engine interp"
        run_rawbox "$mode" "$bin" "$log" $rargs $eng
        rc=$?
        [ "$mode" = release ] && release_rc[$t]=$rc
        if [ $rc -eq 1 ]; then
            pass "$name ($(checklines "$log" | grep -c '^ok ') checks)"
        elif [ $rc -eq 5 ]; then
            skip "$name" "$(grep -a -m1 '^skip ' "$log" | sed 's/^skip //')"
        else
            why=$(grep -a -m1 -E '^FAIL |^rawbox: |runtime error|AddressSanitizer' "$log")
            fail "$name" "$(verdict $rc)${why:+: $why} (log: $log)"
        fi
    done

    # The same ROM under the other engines, each compared with the
    # interpreter (engine_row above): raw mode, the recompiler, and the
    # recompiler with its cache flushed all the time.
    engine_row raw
    engine_row jit
    engine_row jit-flush

    name="guest/$t [qemu]"
    wanted "$name" || continue
    [ -f "$bin" ] || continue
    if ! command -v "${qcmd%% *}" >/dev/null 2>&1; then
        skip "$name" "${qcmd%% *} not installed"
        continue
    fi
    qlog=$(logname "$name")
    rlog=$(logname "guest/$t [release]")
    if [ -z "${release_rc[$t]:-}" ]; then
        run_rawbox release "$bin" "$rlog" $rargs --engine interp
        release_rc[$t]=$?
    fi
    rrc=${release_rc[$t]}
    run_qemu "$bin" "$qlog" $qcmd
    qrc=$?
    differs=$(grep -m1 -E '^[[:space:]]*;[[:space:]]*qemu-differs:' "$asm" | sed 's/.*qemu-differs:[[:space:]]*//')
    if [ "$rrc" -eq 5 ]; then
        # rawbox skipped (its CPU lacks a feature): QEMU must still pass,
        # which shows the test itself is sound. A test that documents where
        # QEMU departs from the manuals may fail those checks under QEMU,
        # but QEMU must still run it to its summary line.
        if [ $qrc -eq 1 ]; then
            pass "$name (rawbox skipped it; passes under ${qcmd%% *})"
        elif [ $qrc -eq 3 ] && [ -n "$differs" ] && grep -a -q '^checks ' "$qlog"; then
            pass "$name (rawbox skipped it; NOTE: $(grep -a -c '^FAIL ' "$qlog") checks fail under ${qcmd%% *} as documented: $differs)"
        else
            fail "$name" "fails under QEMU: $(verdict $qrc) (log: $qlog)"
        fi
        continue
    fi
    problem=
    if [ "$(verdict $qrc)" != "$(verdict $rrc)" ]; then
        problem="rawbox: $(verdict $rrc), qemu: $(verdict $qrc)"
    fi
    d=$(diff <(checklines "$rlog") <(checklines "$qlog") | grep -m2 -E '^[<>]' | tr '\n' ' ')
    if [ -n "$d" ]; then
        problem="${problem:+$problem; }check lines differ (< rawbox, > qemu): $d"
    fi
    if [ -z "$problem" ]; then
        if [ $qrc -ne 1 ]; then
            fail "$name" "fails under QEMU too: $(verdict $qrc) (log: $qlog)"
        else
            pass "$name (agrees with rawbox)"
        fi
    elif [ -n "$differs" ]; then
        pass "$name (NOTE: differs from QEMU as documented: $differs; $problem)"
    else
        fail "$name" "disagrees with rawbox: $problem (logs: $rlog $qlog)"
    fi
done

end_phase guest

# ---------------------------------------------------------------- CLI tests
for mode in "${modes[@]}"; do
    for sh in $(ls tests/cli/*.sh 2>/dev/null | sort); do
        name="cli/$(basename "$sh" .sh) [$mode]"
        wanted "$name" || continue
        log=$(logname "$name")
        RAWBOX=build/$mode/rawbox timeout -k 10 300 bash "$sh" </dev/null >"$log" 2>&1
        rc=$?
        if [ $rc -eq 0 ]; then
            pass "$name ($(tail -n1 "$log"))"
        else
            why=$(grep -a -m1 '^FAIL' "$log")
            fail "$name" "exit $rc${why:+: $why} (log: $log)"
        fi
    done
done

end_phase cli

# ---------------------------------------------------------------- boot tests
for sh in $(ls tests/boot/*.sh 2>/dev/null | sort); do
    name="boot/$(basename "$sh" .sh)"
    wanted "$name" || continue
    log=$(logname "$name")
    RAWBOX=build/release/rawbox timeout -k 10 "$BOOT_TIMEOUT" bash "$sh" </dev/null >"$log" 2>&1
    rc=$?
    case $rc in
    0) pass "$name" ;;
    77) skip "$name" "$(tail -n1 "$log")" ;;
    124) fail "$name" "timed out after ${BOOT_TIMEOUT}s (log: $log)" ;;
    *) fail "$name" "exit $rc: $(tail -n1 "$log") (log: $log)" ;;
    esac
done

end_phase boot
echo "time: ${phases[*]} (total ${SECONDS}s)"
if [ $failed -gt 0 ]; then
    # CI keeps only this output, not build/check: show why each test failed.
    for f in "${failed_logs[@]}"; do
        echo "---- last lines of $f:"
        tail -n 40 "$f" 2>/dev/null | cut -c1-300 | sed 's/^/  | /'
    done
    echo "failed: ${failures[*]}"
fi
[ $skipped -eq 0 ] || echo "($skipped skipped)"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
exit $?
}
