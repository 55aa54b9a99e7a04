#!/bin/bash
# CPU conformance runs of rawbox against independent suites THE USER HAS
# BUILT, each beside QEMU TCG when qemu-system-i386 (qemu-system-x86_64 for
# an x86_64 kvm-unit-tests tree) is installed. Not part
# of `make check`. This script downloads, builds and edits none of them; it
# runs what it is pointed at, unchanged:
#
#   TEST386_ROM=/path/to/test386.bin   a test386.asm ROM (github.com/barotto/
#                  test386.asm), assembled with the suite's own `make` after
#                  setting, in its src/configuration.asm as its README says,
#                  POST_PORT equ 0x80 (where rawbox's --log post sees POST
#                  codes) and OUT_PORT equ 0xE9 (rawbox's --debugcon, QEMU's
#                  -debugcon), nothing else changed. 64 or 128 KiB (ROM128).
#   KUT_DIR=/path/to/kvm-unit-tests    a kvm-unit-tests tree (gitlab.com/kvm-
#                  unit-tests/kvm-unit-tests) built with `./configure
#                  --arch=i386 && make` or `./configure --arch=x86_64 &&
#                  make` (its x86/*.flat; the arch is read from the tree's
#                  config.mak).
#   SST_DIR=/path/to/80286             a SingleStepTests/80286 checkout; the
#                  runner is rawbox's own tests/conformance/sst_run.c.
#
#   TEST386_ROM=... KUT_DIR=... SST_DIR=... scripts/conformance.sh
#
# Environment: RAWBOX (default build/release/rawbox, built with `make
# rawbox` if missing); QEMU_I386 (default qemu-system-i386 on PATH; "none"
# leaves QEMU out) for test386 and an i386 KUT_DIR; QEMU_X86_64 (default
# qemu-system-x86_64 on PATH; "none" likewise) for an x86_64 KUT_DIR;
# TEST386_TIMEOUT (rawbox, default 300 s),
# TEST386_QEMU_TIMEOUT (default 60 s; QEMU 7.2 never finishes this suite);
# TEST386_REF (default test386-EE-reference.txt beside the ROM or one
# directory up, as in the suite's tree); KUT_TESTS (names of unittests.cfg
# entries to run, default all); KUT_TIMEOUT (seconds for each rawbox run,
# default three times the entry's own timeout, 90 s when it names none;
# QEMU gets the entry's own); SST_VERBOSE.
#
# test386 checks:
#   test386 final POST code   the run ends after POST 0xFF (testing completed)
#   test386 EE flags/results  the text written to OUT_PORT during POST 0xEE
#                             equals the suite's reference
# QEMU's result follows on the same line: the same ROM under qemu-system-i386
# -bios with -debugcon on port 0xE9, its POST codes read from QEMU's
# memory_region_ops_write trace of port 0x80 (when the QEMU build has that
# trace event).
#
# kvm-unit-tests: every entry of KUT_DIR/x86/unittests.cfg runs as the
# suite's x86/run starts it under QEMU (`-kernel x86/FILE.flat -device
# pc-testdev -device isa-debug-exit,iobase=0xf4,iosize=0x4 -serial stdio`,
# smp, test_args as -append, qemu_params), mapped to rawbox's options:
#   -device pc-testdev / isa-debug-exit,...   --device (the same devices)
#   -cpu MODEL                                --cpu MODEL when rawbox has
#                    --cpu; without it the entry runs on rawbox's one CPU
#                    model and the line says so
#   -m SIZE                                   -m SIZE
#   smp = N > 1, -machine/-M, -global, -overcommit, -enable-kvm, other
#   -device        SKIP for rawbox, with the reason (one CPU; no such option)
# QEMU's pci-testdev (x86/run adds it when QEMU has it) has no rawbox twin:
# rawbox runs without it. A --cpu that rawbox refuses (a model it lacks, such
# as qemu64, or a feature it does not implement, such as x2apic or vmx) is a
# SKIP for rawbox with rawbox's reason. The -cpu is mapped first (kut_cpu):
# qemu64 runs as max; vendor=GenuineIntel, host-phys-bits and phys-bits=N
# are dropped (rawbox is Intel, its address width the model's); the line
# says so. A QEMU that refuses the command line (-cpu host, -enable-kvm,
# KVM-only properties under TCG) is "qemu: SKIP (QEMU did not start: ...)".
# An x86_64 tree: QEMU is qemu-system-x86_64 (whose default -cpu is qemu64,
# which has long mode). Its .flat files are ELF32 images with a Multiboot
# header, like the i386 ones: rawbox loads them with the same --kernel
# Multiboot loader, and the test's own start-up code (x86/cstart64.S) enters
# long mode. An entry of an x86_64 tree without -cpu runs with --cpu max
# (rawbox has no qemu64; its default x86-64 model would do as well); an
# i386 tree's entries run on rawbox's default model when the entry has no
# -cpu. Entries are skipped (for both) as the suite's own
# runner skips them: arch other than the tree's, accel = kvm, groups
# nodefault, unmet `check` files, x86/FILE.flat not built. The result is
# the test-exit status (1: report_summary() found no failure -> PASS, 77:
# everything skipped -> SKIP, else FAIL) with the suite's SUMMARY line.
# Logs: build/conformance/kut-logs/ARCH/NAME.rawbox and NAME.qemu.
#
# SingleStepTests (80286 real mode): SST_DIR's v1_real_mode/*.MOO.gz (or a
# directory of .MOO/.MOO.gz files) through tests/conformance/sst_run.c,
# which runs every test of every file on a 16 MiB real-mode CPU and prints
# one PASS/FAIL line per file with its counts; undefined-flag differences
# (masked) and known 286-vs-P6 model differences are counted apart, never
# failures. SST_VERBOSE=N prints the first N failures of each file. The
# runner is built here with cc (zlib needed): it is rawbox's own code.
#
# Output: one line per check, "PASS name ...", "FAIL name: why ..." or
# "SKIP name: why", QEMU's result on the same line after "| qemu:", NOTE
# lines, then exactly "N passed, N failed" (rawbox's). Exit status 1 if a
# check failed, 0 otherwise (also when everything was skipped), 2 for bad
# usage.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

while [ $# -gt 0 ]; do
    case "$1" in
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "conformance.sh: unknown option $1 (the suites are chosen by TEST386_ROM, KUT_DIR, SST_DIR; see --help)" >&2; exit 2 ;;
    esac
done

RAWBOX=${RAWBOX:-build/release/rawbox}
if [ ! -x "$RAWBOX" ]; then
    make rawbox >/dev/null || { echo "conformance.sh: cannot build $RAWBOX" >&2; exit 2; }
fi
QEMU=${QEMU_I386:-$(command -v qemu-system-i386 || true)}
[ "$QEMU" = none ] && QEMU=''
QEMU64=${QEMU_X86_64:-$(command -v qemu-system-x86_64 || true)}
[ "$QEMU64" = none ] && QEMU64=''
LOGS=build/conformance
mkdir -p "$LOGS"

passed=0
failed=0
# report STATUS NAME TEXT [QEMU-TEXT]: one line, counted when PASS or FAIL.
report() {
    local line="$1 $2${3:+ $3}"
    [ -n "${4:-}" ] && line="$line | qemu: $4"
    echo "$line"
    case $1 in
    PASS) passed=$((passed + 1)) ;;
    FAIL) failed=$((failed + 1)) ;;
    esac
}

# ======== test386 ========
post_name() {
    case "$1" in
    00) echo "real mode initialisation" ;;   01) echo "conditional jumps and loops" ;;
    02) echo "32-bit MUL/DIV quick tests" ;; 03) echo "segment register moves, real mode" ;;
    04) echo "string instructions, real mode" ;; 05) echo "calls, real mode" ;;
    06) echo "load full pointer, real mode" ;; 08) echo "GDT/LDT/paging setup, protected mode entry" ;;
    09) echo "stack" ;; 0b) echo "segment register moves, protected mode" ;;
    0c) echo "zero and sign extension" ;; 0d) echo "16-bit addressing (LEA)" ;;
    0e) echo "32-bit addressing (LEA)" ;; 0f) echo "memory access with addressing modes" ;;
    10) echo "string instructions, protected mode" ;; 11) echo "page faults and PTE bits" ;;
    12) echo "other memory access faults" ;; 13) echo "BSF/BSR" ;; 14) echo "BT/BTS/BTR/BTC" ;;
    15) echo "SETcc" ;; 16) echo "calls, protected mode" ;; 17) echo "ARPL" ;; 18) echo "BOUND" ;;
    19) echo "XCHG" ;; 1a) echo "ENTER" ;; 1b) echo "LEAVE" ;; 1c) echo "VERR/VERW" ;;
    20) echo "ring 3 switching" ;; 21) echo "virtual-8086 mode" ;; 22) echo "TSS task switching" ;;
    e0) echo "undefined behaviours" ;; ee) echo "arithmetic/logic result log" ;;
    ff) echo "testing completed" ;; *) echo "unknown test" ;;
    esac
}

# ee_compare FILE REF -> "equal (N lines)", "N lines differ, first: ..." or
# "no output"; status 0 only when equal.
ee_compare() {
    local out=$1 ref=$2 n
    if [ ! -s "$out" ]; then
        echo "no output on port 0xE9"
        return 1
    fi
    tr -d '\r' <"$ref" >"$out.ref"
    tr -d '\r' <"$out" >"$out.txt"
    if cmp -s "$out.ref" "$out.txt"; then
        echo "equal to the reference ($(wc -l <"$out.ref") lines)"
        return 0
    fi
    diff "$out.txt" "$out.ref" >"$out.diff"
    n=$(grep -c '^<' "$out.diff")
    echo "$n lines differ from the reference, first: $(grep -m1 '^<' "$out.diff" | cut -c3-) (diff: $out.diff)"
    return 1
}

run_test386() {
    if [ -z "${TEST386_ROM:-}" ]; then
        echo "SKIP test386: TEST386_ROM is not set (a test386.bin built with POST_PORT 0x80, OUT_PORT 0xE9; see --help)"
        return
    fi
    if [ ! -f "$TEST386_ROM" ]; then
        echo "SKIP test386: $TEST386_ROM: no such file"
        return
    fi
    local size dir ref w=$LOGS/test386
    size=$(($(stat -c %s "$TEST386_ROM") / 1024))
    dir=$(dirname "$TEST386_ROM")
    ref=${TEST386_REF:-}
    if [ -z "$ref" ]; then
        for ref in "$dir/test386-EE-reference.txt" "$dir/../test386-EE-reference.txt" ''; do
            [ -z "$ref" ] || [ -f "$ref" ] && break
        done
    fi
    rm -rf "$w"
    mkdir -p "$w"

    # ---- QEMU first, so its result can go on rawbox's lines ----
    local q_post='' q_ee=''
    if [ -n "$QEMU" ]; then
        timeout -k 5 "${TEST386_QEMU_TIMEOUT:-60}" "$QEMU" -bios "$TEST386_ROM" -display none \
            -nodefaults -debugcon "file:$w/qemu-ee" -trace "memory_region_ops_write,file=$w/qemu-trace" \
            </dev/null >"$w/qemu.out" 2>&1
        local qrc=$? qcodes qlast
        qcodes=$(grep -a "name 'ioport80'" "$w/qemu-trace" 2>/dev/null |
                 sed -n 's/.* value 0x\([0-9a-f]*\) .*/\1/p' | while read -r v; do printf '%02x ' "$((16#$v))"; done)
        qlast=$(echo "$qcodes" | awk '{ print $NF }')
        if [ ! -s "$w/qemu-trace" ]; then
            q_post="POST codes not visible (this QEMU has no memory_region_ops_write trace)"
        elif [ "$qlast" = ff ]; then
            q_post="PASS (0xFF)"
        else
            q_post="FAIL: last POST 0x${qlast:-??} ($(post_name "${qlast:-??}"))"
        fi
        [ $qrc = 124 ] && q_post="$q_post, still running after ${TEST386_QEMU_TIMEOUT:-60}s"
        if [ -n "$ref" ]; then
            if q_ee=$(ee_compare "$w/qemu-ee" "$ref"); then q_ee="PASS ($q_ee)"; else q_ee="FAIL ($q_ee)"; fi
        fi
    fi

    # ---- rawbox ----
    local to=${TEST386_TIMEOUT:-300} start rc secs codes last where why
    start=$SECONDS
    timeout -k 5 $((to + 10)) "$RAWBOX" run --bios "$TEST386_ROM" --debugcon "file:$w/rawbox-ee" \
        --log post --log-file "$w/post.log" --timeout "$to" </dev/null >"$w/rawbox.out" 2>&1
    rc=$?
    secs=$((SECONDS - start))
    codes=$(grep -o 'POST code 0x[0-9a-f]*' "$w/post.log" 2>/dev/null | sed 's/.*0x//' | tr '\n' ' ')
    last=$(echo "$codes" | awk '{ print $NF }')
    where=$(grep -m1 'at CS:EIP' "$w/rawbox.out" | sed 's/^rawbox: //')
    if [ "$last" = ff ]; then
        report PASS "test386 final POST code [$size KiB ROM]" "(0xFF, testing completed, ${secs}s)" "$q_post"
    else
        why="stopped at POST 0x${last:-??} ($(post_name "${last:-??}"))"
        [ $rc = 124 ] && why="$why, timed out after ${to}s"
        [ -z "$codes" ] && why="$why; no POST code on port 0x80 (was the ROM built with POST_PORT 0x80?)"
        # A known difference, said beside the failure (it still counts).
        [ "$last" = 11 ] && why="$why; known: test 0x11 wants the PDE accessed bit clear after a #PF, as on the 80386; rawbox sets it during the walk as the SDM (vol. 3A 4.8) describes"
        report FAIL "test386 final POST code [$size KiB ROM]:" "$why; $where; POST codes: $codes" "$q_post"
    fi

    local ee
    if [ -z "$ref" ]; then
        echo "SKIP test386 EE flags/results: no test386-EE-reference.txt beside the ROM (set TEST386_REF)"
    elif [ "$last" != ff ]; then
        echo "SKIP test386 EE flags/results: the rawbox run did not reach POST 0xFF${q_ee:+ | qemu: $q_ee}"
    elif ee=$(ee_compare "$w/rawbox-ee" "$ref"); then
        report PASS "test386 EE flags/results" "($ee)" "$q_ee"
    else
        report FAIL "test386 EE flags/results:" "$ee (was the ROM built with OUT_PORT 0xE9?)" "$q_ee"
    fi
}

# ======== kvm-unit-tests ========
# kut_entries: KUT_DIR/x86/unittests.cfg as lines "name file smp test_args
# qemu_params arch groups accel check timeout", fields separated by the
# ASCII unit separator (0x1F: not white space, so empty fields stay).
kut_entries() {
    awk -v OFS='\037' '
        function flush() { if (name != "") print name, file, smp, args, qp, arch, groups, accel, check, to }
        /^[ \t]*#/ { next }
        /^\[.*\]/ { flush(); name = substr($0, 2, index($0, "]") - 2)
                    file = ""; smp = 1; args = ""; qp = ""; arch = ""; groups = ""; accel = ""; check = ""; to = ""; next }
        match($0, /^[a-z_]+[ \t]*=[ \t]*/) {
            key = $0; sub(/[ \t]*=.*/, "", key); val = substr($0, RLENGTH + 1)
            if (key == "file") file = val; else if (key == "smp") smp = val
            else if (key == "test_args") args = val
            else if (key == "extra_params" || key == "qemu_params") qp = val
            else if (key == "arch") arch = val; else if (key == "groups") groups = val
            else if (key == "accel") accel = val; else if (key == "check") check = val
            else if (key == "timeout") to = val
        }
        END { flush() }' "$KUT_DIR/x86/unittests.cfg"
}

# kut_result FILE STATUS -> "PASS|FAIL|SKIP<TAB>why": the test-exit status
# (1 = report_summary() returned 0, 3 = failures, 77 = all skipped) and
# the suite's SUMMARY line.
kut_result() {
    local out=$1 rc=$2 summary first
    summary=$(tr -d '\r' <"$out" | grep -a -m1 '^SUMMARY:' || true)
    if [ -z "$summary" ]; then
        # realmode and taskswitch print no SUMMARY: count their lines.
        summary="no SUMMARY line; $(grep -a -c '^PASS' "$out") PASS, $(grep -a -c '^FAIL' "$out") FAIL lines"
    fi
    case $rc in
    1) printf 'PASS\t%s\n' "$summary" ;;
    77) printf 'SKIP\t%s\n' "$summary (exit 77)" ;;
    124) printf 'FAIL\t%s\n' "timed out; last line: $(tr -d '\r' <"$out" | grep -a -v '^rawbox:' | tail -n1 | cut -c1-100)" ;;
    *)
        first=$(tr -d '\r' <"$out" | grep -a -m1 -E '^FAIL|Unhandled exception|assert failed|^rawbox:' | cut -c1-120)
        printf 'FAIL\t%s\n' "exit status $rc; $summary${first:+; first: $first}" ;;
    esac
}

# kut_cpu QEMU-CPU -> the --cpu given to rawbox. QEMU's qemu64 (the
# x86_64 default) becomes max, rawbox's model with long mode; properties
# that only choose what rawbox's models already are, or only concern the
# host, are left out: vendor=GenuineIntel (every rawbox model is Intel),
# host-phys-bits[=on|off] and phys-bits=N (rawbox's width is the model's:
# 36 bits). Anything else is passed as it is, for rawbox to accept or
# refuse.
kut_cpu() {
    local item out=''
    local IFS=,
    # shellcheck disable=SC2086
    set -- $1
    for item; do
        case $item in
        qemu64) [ -z "$out" ] && item=max ;;
        vendor=GenuineIntel|host-phys-bits|host-phys-bits=*|phys-bits=*) continue ;;
        esac
        out=${out:+$out,}$item
    done
    echo "$out"
}

# seconds VALUE -> whole seconds ("90", "90s", "2m").
seconds() {
    case $1 in
    *m) echo $((${1%m} * 60)) ;;
    *s) echo "${1%s}" ;;
    *) echo "$1" ;;
    esac
}

run_kut() {
    if [ -z "${KUT_DIR:-}" ]; then
        echo "SKIP kvm-unit-tests: KUT_DIR is not set (a kvm-unit-tests tree built with ./configure --arch=i386 or --arch=x86_64, then make)"
        return
    fi
    local arch
    arch=$(sed -n 's/^ARCH=//p' "$KUT_DIR/config.mak" 2>/dev/null)
    if [ -z "$arch" ] || [ ! -f "$KUT_DIR/x86/unittests.cfg" ]; then
        echo "SKIP kvm-unit-tests: $KUT_DIR has no config.mak and x86/unittests.cfg (./configure --arch=i386 && make)"
        return
    fi
    local out=$LOGS/kut-logs/$arch has_cpu=0 qemu=$QEMU rcpu=''
    mkdir -p "$out"
    "$RAWBOX" run --help 2>&1 | grep -q -e '--cpu' && has_cpu=1
    case $arch in
    i386) ;;
    x86_64)
        qemu=$QEMU64
        [ $has_cpu = 1 ] && rcpu=max
        echo "NOTE kvm-unit-tests: $KUT_DIR is an x86_64 build: entries without -cpu run with --cpu max (QEMU: its default qemu64); QEMU is ${qemu:-not installed}"
        ;;
    *)
        echo "SKIP kvm-unit-tests: $KUT_DIR is an $arch build (i386 and x86_64 only)"
        return ;;
    esac

    local name file smp args qp tarch groups accel check to
    while IFS=$'\037' read -r name file smp args qp tarch groups accel check to; do
        if [ -n "${KUT_TESTS:-}" ] && [[ " $KUT_TESTS " != *" $name "* ]]; then
            continue
        fi
        local kname="kut $name" skip='' flat=$KUT_DIR/x86/$file
        # Skipped for both, as the suite's scripts/runtime.bash skips them.
        if [ -n "$tarch" ] && [ "$tarch" != "$arch" ]; then
            skip="$tarch only"
        elif [[ " $groups " == *" nodefault "* ]]; then
            skip="group nodefault (manual runs only)"
        elif [ -n "$accel" ] && [ "$accel" != tcg ]; then
            skip="$accel only"
        elif [ ! -f "$flat" ]; then
            skip="x86/$file not built"
        else
            local c
            for c in $check; do
                if [ ! -f "${c%%=*}" ] || [ "$(cat "${c%%=*}")" != "${c#*=}" ]; then
                    skip="${c%%=*} not equal to ${c#*=}"
                    break
                fi
            done
        fi
        if [ -n "$skip" ]; then
            echo "SKIP $kname: $skip"
            continue
        fi
        args=${args#[\'\"]}
        args=${args%[\'\"]}
        local tsec rto
        tsec=$(seconds "${to:-90}")
        rto=${KUT_TIMEOUT:-$((tsec * 3))}

        # ---- QEMU TCG, as x86/run starts it ----
        local qres=''
        if [ -n "$qemu" ]; then
            local qa=() pci=()
            [ -n "$args" ] && qa=(-append "$args")
            "$qemu" -device help 2>/dev/null | grep -q '"pci-testdev"' && pci=(-device pci-testdev)
            # shellcheck disable=SC2086
            timeout -k 5 "$tsec" "$qemu" --no-reboot -nodefaults -device pc-testdev \
                -device isa-debug-exit,iobase=0xf4,iosize=0x4 -display none -serial stdio "${pci[@]}" \
                -machine accel=tcg -kernel "$flat" -smp "$smp" $qp "${qa[@]}" \
                </dev/null >"$out/$name.qemu" 2>&1
            local qrc=$? qerr
            # QEMU refusing the command line (a -cpu host or KVM-only
            # option under TCG, an unknown property) exits 1, the status of
            # a passing test: a log of nothing but QEMU's own messages (no
            # guest output) tells them apart; its last line says why.
            qerr=$(tr -d '\0' <"$out/$name.qemu" | grep -a -v -e '^$' -e "^${qemu##*/}: warning:" | tail -n1)
            if [ $qrc != 124 ] && [ -n "$qerr" ] &&
               ! grep -a -q -v -e '^$' -e "^${qemu##*/}:" -e '^Could not access KVM' "$out/$name.qemu"; then
                qres="SKIP (QEMU did not start: ${qerr#"${qemu##*/}": })"
            else
                qres=$(kut_result "$out/$name.qemu" $qrc)
                qres="${qres%%$'\t'*} (${qres#*$'\t'})"
            fi
        fi

        # ---- rawbox, the same flags mapped ----
        # shellcheck disable=SC2054  # the commas belong to the device spec
        local ra=(--device pc-testdev --device isa-debug-exit,iobase=0xf4,iosize=0x4) note='' rskip='' cpu=$rcpu
        [ "$smp" -gt 1 ] 2>/dev/null && rskip="smp = $smp (rawbox has one CPU)"
        # shellcheck disable=SC2086
        set -- $qp
        while [ $# -gt 0 ] && [ -z "$rskip" ]; do
            case $1 in
            -cpu)
                if [ $has_cpu = 1 ]; then
                    cpu=$(kut_cpu "$2")
                    [ "$cpu" != "$2" ] && note=" [-cpu $2 as --cpu $cpu]"
                else
                    note=" [-cpu $2 not applied: rawbox has no --cpu]"
                fi
                shift ;;
            -m) ra+=(-m "$2"); shift ;;
            -device)
                case $2 in
                pc-testdev|isa-debug-exit*) ra+=(--device "$2") ;;
                *) rskip="rawbox has no device ${2%%,*}" ;;
                esac
                shift ;;
            *) rskip="rawbox has no equivalent of $1 ${2:-}" ;;
            esac
            shift
        done
        if [ -n "$rskip" ]; then
            report SKIP "$kname:" "$rskip" "$qres"
            continue
        fi
        [ -n "$cpu" ] && ra+=(--cpu "$cpu")
        [ -n "$args" ] && ra+=(--append "$args")
        timeout -k 5 $((rto + 10)) "$RAWBOX" run "${ra[@]}" --kernel "$flat" \
            --serial stdio --timeout "$rto" </dev/null >"$out/$name.rawbox" 2>&1
        local rrc=$? res
        # rawbox refusing the --cpu (exit 2 before the guest starts): a
        # model or feature it does not have, not a test failure.
        if [ $rrc = 2 ] && [ -n "$cpu" ] && grep -q "^rawbox: --cpu " "$out/$name.rawbox"; then
            report SKIP "$kname:" "$(grep -m1 '^rawbox: --cpu ' "$out/$name.rawbox" | sed 's/^rawbox: //')" "$qres"
            continue
        fi
        res=$(kut_result "$out/$name.rawbox" $rrc)
        case ${res%%$'\t'*} in
        PASS) report PASS "$kname" "(${res#*$'\t'})$note" "$qres" ;;
        SKIP) report SKIP "$kname:" "${res#*$'\t'}$note" "$qres" ;;
        *) report FAIL "$kname:" "${res#*$'\t'}$note (log: $out/$name.rawbox)" "$qres" ;;
        esac
    done < <(kut_entries)
}

# ======== SingleStepTests (80286 real mode) ========
run_sst() {
    if [ -z "${SST_DIR:-}" ]; then
        echo "SKIP sst: SST_DIR is not set (point it at a SingleStepTests/80286 checkout)"
        return
    fi
    local dir=$SST_DIR
    [ -d "$dir/v1_real_mode" ] && dir=$dir/v1_real_mode
    local files
    files=$(find "$dir" -maxdepth 1 \( -name '*.MOO' -o -name '*.MOO.gz' \) | sort)
    if [ -z "$files" ]; then
        echo "SKIP sst: no .MOO or .MOO.gz files in $dir"
        return
    fi
    local lib=build/release/librawbox.a bin=build/release/sst_run
    if [ ! -f "$lib" ]; then
        make "$lib" >/dev/null || { report FAIL "sst build:" "cannot build $lib"; return; }
    fi
    if ! cc -std=gnu11 -D_GNU_SOURCE -O2 -Isrc -Itests/unit -Wall -Wextra -Werror \
            -Wno-unused-parameter -o "$bin" tests/conformance/sst_run.c \
            -Wl,--whole-archive "$lib" -Wl,--no-whole-archive -lm -lz >build/sst_run.log 2>&1; then
        report FAIL "sst build:" "cc failed: $(head -n1 build/sst_run.log)"
        return
    fi
    local rev=() log=$LOGS/sst.log
    [ -f "$SST_DIR/revocation_list.txt" ] && rev=(-r "$SST_DIR/revocation_list.txt")
    # shellcheck disable=SC2086
    "$bin" -v "${SST_VERBOSE:-0}" "${rev[@]}" $files >"$log" 2>&1
    while IFS= read -r line; do
        case "$line" in
        "PASS "*) report PASS "sst ${line#PASS }" ;;
        "FAIL "*) report FAIL "sst ${line#FAIL }" ;;
        "info "*) echo "NOTE sst ${line#info }" ;;
        "  "*) echo "$line" ;;
        esac
    done <"$log"
}

run_test386
run_kut
run_sst

echo "$passed passed, $failed failed"
[ $failed = 0 ]
