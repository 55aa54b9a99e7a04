# Shared by the boot tests (sourced, not run): the command line, the
# serial-console flow, the output checks and the per-VM driver. The caller
# sets `set -uo pipefail` and cds to the top of the tree first.

# boot_args SCRIPT ARG... -> sets `which` (both, qemu or rawbox) from the
# test's option (--qemu, --rawbox, none); --help prints the script's header
# comment; anything else is a usage error (exit 2). Also sets RAWBOX and
# LOGDIR (created).
boot_args() {
    local script=$1
    which=both
    case "${2:-}" in
    --qemu) which=qemu ;;
    --rawbox) which=rawbox ;;
    "") ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$script"; exit 0 ;;
    *) echo "$(basename "$script"): unknown option $2" >&2; exit 2 ;;
    esac
    RAWBOX=${RAWBOX:-build/release/rawbox}
    LOGDIR=build/boot
    mkdir -p "$LOGDIR"
}

# boot_flow FIRST_TIMEOUT CMD... -> sets the array `steps` for
# serial_drive.py: wait for the kernel's first line (at most FIRST_TIMEOUT
# seconds) and the shell prompt, type each CMD followed by a marker the
# shell echoes after it (the quotes keep the echoed command line from
# matching the marker), then poweroff and wait for the VM to exit.
boot_flow() {
    local first=$1 i
    shift
    local -a cmds=("$@")
    steps=(--step "expect@$first:Linux version" --step 'expect:rawbox:[^\n]*# '
           --step mark:prompt)
    for i in "${!cmds[@]}"; do
        steps+=(--step "send:${cmds[$i]}; echo __DO\"\"NE_$i" --step "expect:__DONE_$i")
    done
    steps+=(--step 'send:poweroff' --step wait)
}

# check_lines LOG 'LABEL|REGEX'... -> one ok/FAIL line per item (REGEX must
# match a line of LOG, carriage returns removed); non-zero if any failed.
check_lines() {
    local log=$1 bad=0 item re
    shift
    for item in "$@"; do
        re=${item#*|}
        # Not grep -q: under pipefail an early match would kill tr (SIGPIPE).
        if tr -d '\r' < "$log" | grep -a -E "$re" >/dev/null; then
            echo "  ok   ${item%%|*}"
        else
            echo "  FAIL ${item%%|*} (no line matching /$re/)"
            bad=1
        fi
    done
    return $bad
}

# run_vm TEST NAME PROMPT_TIMEOUT CHECK CMD... -> 0 if the flow and checks
# pass. Drives CMD through `steps` in the private directory $RUN, then calls
# CHECK LOG and copies the transcript to build/boot/TEST.NAME.log (and
# .driver), so that suites running at once in one tree do not mix logs.
run_vm() {
    local test=$1 name=$2 tmo=$3 check=$4
    shift 4
    local log=$RUN/$name.log kept=build/boot/$test.$name.log
    echo "== $name: $*"
    local t0=$SECONDS
    python3 tests/boot/serial_drive.py --timeout "$tmo" --log "$log" "${steps[@]}" -- "$@" \
        2>"$log.driver"
    local rc=$?
    echo "   exit status $rc after $((SECONDS - t0)) s; $(grep -a '^MARK prompt' "$log.driver" |
         awk '{print "shell prompt at " $3 " s"}')"
    local bad=0
    if [ $rc -ne 0 ]; then
        echo "  FAIL exit status $rc, expected 0 after poweroff ($(grep -v '^MARK' "$log.driver" | tail -n1))"
        bad=1
    else
        echo "  ok   exit status 0 after poweroff"
    fi
    "$check" "$log" || bad=1
    mkdir -p build/boot
    cp "$log" "$kept"
    cp "$log.driver" "$kept.driver"
    if [ $bad -ne 0 ]; then
        echo "   last lines of $kept:"
        tail -n 15 "$log" | tr -d '\r' | sed 's/^/   | /'
    fi
    return $bad
}

# boot_both TEST QEMU_CMD... -- RAWBOX_CMD... -> QEMU first when installed
# and $which allows (a failure there means the test or the guest is broken),
# then rawbox; prints the verdict and exits with the test's status.
boot_both() {
    local test=$1
    shift
    local -a qemu=() rawbox=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do qemu+=("$1"); shift; done
    shift
    rawbox=("$@")
    local status=0
    if [ "$which" != rawbox ]; then
        if command -v "${qemu[0]}" >/dev/null 2>&1; then
            if ! run_vm "$test" qemu "${BOOT_PROMPT_TIMEOUT:-120}" check_output "${qemu[@]}"; then
                echo "FAIL: the boot flow fails under QEMU: the test or the guest is broken"
                exit 1
            fi
        elif [ "$which" = qemu ]; then
            echo "FAIL: ${qemu[0]} is not installed"
            exit 1
        else
            echo "(${qemu[0]} not installed: flow not cross-checked)"
        fi
    fi
    if [ "$which" != qemu ]; then
        if [ ! -x "$RAWBOX" ]; then
            echo "FAIL: $RAWBOX is not built"
            exit 1
        fi
        run_vm "$test" rawbox "${BOOT_PROMPT_TIMEOUT:-600}" check_output "${rawbox[@]}" || status=1
    fi
    if [ $status -eq 0 ]; then
        echo "PASS: $test ($which)"
    else
        echo "FAIL: $test: rawbox did not complete the boot flow"
    fi
    exit $status
}

# Linux's PIIX IDE disk stack (ata_piix, sd_mod and what they need) as
# guest_modules takes it, dependencies first: the modules are not built
# into Debian's kernels (the disk tests and bench/disk.sh load them).
GUEST_IDE_DISK_MODS="drivers/scsi/scsi_common drivers/scsi/scsi_mod drivers/ata/libata drivers/ata/ata_piix
 lib/crc64 crypto/crct10dif_common crypto/crct10dif_generic lib/crc-t10dif
 crypto/crc64_rocksoft_generic lib/crc64-rocksoft block/t10-pi drivers/scsi/sd_mod"

# guest_modules ARCH KVER OUT MODPATH... -> writes OUT, a gzip'd cpio
# (newc) holding /mods/NAME.ko for each MODPATH (relative to the kernel
# package's lib/modules/KVER/kernel, no .ko), taken from Debian's
# linux-image-KVER for ARCH (i386 or amd64) through the guest's private
# apt setup (scripts/fetch-guest.sh made it). Appended to the guest's
# initrd, the modules appear in /mods. Kept when OUT already exists; the
# caller names OUT after KVER and the list. Needs $RUN (a scratch
# directory). Returns 77 when the package cannot be downloaded, 1 on
# another failure (a message on stdout in both cases).
guest_modules() {
    local arch=$1 kver=$2 out=$3 m
    shift 3
    [ -s "$out" ] && return 0
    local aptdir=${RAWBOX_CACHE:-$HOME/.cache/rawbox}/apt-$arch tmp=$RUN/modules.$$
    rm -rf "$tmp"
    mkdir -p "$tmp/deb" "$tmp/cpio/mods"
    if ! (cd "$tmp/deb" && apt-get -q -o Dir::State="$aptdir" -o Dir::State::Lists="$aptdir/lists" \
            -o Dir::State::status="$aptdir/status" -o Dir::Cache="$aptdir" \
            -o Dir::Cache::archives="$aptdir/archives" \
            -o Dir::Etc::sourcelist="$aptdir/etc/sources.list" \
            -o Dir::Etc::sourceparts="$aptdir/etc/sources.list.d" \
            -o Dir::Etc::preferencesparts="$aptdir/etc/preferences.d" \
            -o APT::Architecture="$arch" -o APT::Architectures::="$arch" \
            -o APT::Sandbox::User=root -o Debug::NoLocking=1 \
            download "linux-image-$kver") > "$tmp/apt.log" 2>&1; then
        echo "cannot download linux-image-$kver for its modules ($(tail -n1 "$tmp/apt.log"))"
        rm -rf "$tmp"
        return 77
    fi
    dpkg-deb -x "$tmp"/deb/linux-image-*.deb "$tmp/x" || { echo "dpkg-deb failed"; rm -rf "$tmp"; return 1; }
    for m in "$@"; do
        cp "$tmp/x/lib/modules/$kver/kernel/$m.ko" "$tmp/cpio/mods/" ||
            { echo "linux-image-$kver has no $m.ko"; rm -rf "$tmp"; return 1; }
    done
    (cd "$tmp/cpio" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -9 > "$out.tmp" &&
        mv "$out.tmp" "$out" || { echo "cannot write $out"; rm -rf "$tmp"; return 1; }
    rm -rf "$tmp"
}
