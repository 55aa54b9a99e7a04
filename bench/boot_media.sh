#!/bin/bash
# Boot-media benchmark: seconds from launch to isolinux's "boot:" prompt on
# a CD, on to the shell from that CD, and to the shell from a hard disk,
# with SeaBIOS as the firmware, under rawbox's engines and QEMU TCG in one
# run. See bench/README.md ("bench/boot_media.sh") for how to read it.
#
#   bench/boot_media.sh [--runs N] [--engines LIST] [--rawbox-only | --qemu-only]
#
# The media are the tests' (tests/boot/media.bash), built here each run
# from the i386 demo guest (scripts/fetch-guest.sh): the isolinux CD of
# tests/boot/isolinux_cdrom.sh with a "boot:" prompt (the script types
# "linux" there), and the MBR disk of tests/boot/hd_boot_ide.sh (SYSLINUX
# on FAT, booting at once) on IDE. Each boot ends after the shell prompt
# with poweroff; the VM is stopped at the kernel's last line (rawbox has no
# ACPI power-off under SeaBIOS yet). --engines: comma list of rawbox
# engines (raw = the default, jit, interp); default raw,jit. Runs
# alternate between the VMs; each cell is the median, with the spread.
# Columns: launch to "boot: ", to the shell from the CD (the time typing
# "linux" included), to the kernel's first console line from the disk and
# to the shell from the disk.
#
# Environment: RAWBOX (default build/release/rawbox), BOOT_TIMEOUT
# (seconds allowed per step, default 600). Logs: build/bench/media.*.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

runs=3
engines=raw,jit
do_rawbox=1
do_qemu=1
while [ $# -gt 0 ]; do
    case "$1" in
    --runs) runs=$2; shift ;;
    --engines) engines=$2; shift ;;
    --rawbox-only) do_qemu=0 ;;
    --qemu-only) do_rawbox=0 ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    *) echo "bench/boot_media.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
IFS=, read -r -a vms <<<"$engines"
for e in "${vms[@]}"; do
    case $e in
    raw|jit|interp) ;;
    *) echo "bench/boot_media.sh: unknown engine $e (raw, jit, interp)" >&2; exit 2 ;;
    esac
done
[ $do_rawbox = 1 ] || vms=()
if [ $do_qemu = 1 ]; then
    if command -v qemu-system-i386 >/dev/null 2>&1; then
        vms+=(qemu)
    else
        echo "qemu-tcg: not installed (apt-get install qemu-system-x86)"
    fi
fi

. tests/boot/media.bash
for m in cd hd; do
    why=$(media_missing $m)
    [ -z "$why" ] || { echo "bench/boot_media.sh: $why not installed" >&2; exit 1; }
done
RAWBOX=${RAWBOX:-build/release/rawbox}
TIMEOUT=${BOOT_TIMEOUT:-600}
LOGDIR=build/bench
mkdir -p "$LOGDIR"
out=$(scripts/fetch-guest.sh 2>"$LOGDIR/fetch-guest.log") || {
    echo "bench/boot_media.sh: cannot build the guest: $(tail -n1 "$LOGDIR/fetch-guest.log")" >&2
    exit 1
}
eval "$(echo "$out" | tail -n 2)"
RUN=$(mktemp -d "$LOGDIR/media.run.XXXXXX") || exit 1
trap 'rm -rf "$RUN"' EXIT
why=$(isolinux_iso "$RUN" "$KERNEL" "$INITRD" 1) || { echo "bench/boot_media.sh: $why" >&2; exit 1; }
why=$(hd_image "$RUN" "$KERNEL" "$INITRD") || { echo "bench/boot_media.sh: $why" >&2; exit 1; }

# vm_cmd VM MEDIUM -> sets `cmd`.
vm_cmd() {
    if [ "$1" = qemu ]; then
        cmd=(qemu-system-i386 -accel tcg -m 256 -display none -serial stdio -monitor none -no-reboot)
        case $2 in
        cd) cmd+=(-cdrom "$RUN/debian.iso" -boot d) ;;
        hd) cmd+=(-drive "file=$RUN/disk.img,format=raw,if=ide") ;;
        esac
    else
        cmd=(env -u RAWBOX_JIT "$RAWBOX" run --engine "$1" -m 256M --timeout $((3 * TIMEOUT)))
        case $2 in
        cd) cmd+=(--cdrom "$RUN/debian.iso") ;;
        hd) cmd+=(--disk "$RUN/disk.img,format=raw,readonly=on") ;;
        esac
    fi
}

# boot_once VM MEDIUM RUN -> prints the marks' seconds: "isolinux shell"
# for the CD, "kernel shell" for the disk (kernel: the kernel's first line
# on the console, printed early in start_kernel; the time before it is
# SeaBIOS, SYSLINUX and its INT 13h reads of the kernel and initrd);
# fails with a message on stderr.
boot_once() {
    local vm=$1 medium=$2 i=$3 log=$LOGDIR/media.$2.$1.$3.log
    local -a steps=(--step mark:launch)
    [ "$medium" = cd ] && steps+=(--step 'expect:boot: ' --step mark:isolinux --step send:linux)
    [ "$medium" = hd ] && steps+=(--step 'expect:Linux version' --step mark:kernel)
    steps+=(--step 'expect:rawbox:[^\n]*# ' --step mark:shell --step send:poweroff
            --step 'expect:reboot: (Power down|System halted)')
    vm_cmd "$vm" "$medium"
    if ! python3 tests/boot/serial_drive.py --timeout "$TIMEOUT" --log "$log" "${steps[@]}" \
            -- "${cmd[@]}" 2>"$log.driver"; then
        echo "bench/boot_media.sh: $vm $medium run $i failed: $(grep -v '^MARK' "$log.driver" | tail -n1) (log: $log)" >&2
        return 1
    fi
    awk '$1 == "MARK" && $2 != "launch" {printf "%s ", $3} END {print ""}' "$log.driver"
}

# cell LIST -> "median (min-max)" of the numbers, one per line.
cell() {
    sort -n | awk '{a[NR] = $1} END {if (!NR) {print "-"; exit}
        if (NR == 1) printf "%.1f\n", a[1]; else printf "%.1f (%.1f-%.1f)\n", a[int((NR + 1) / 2)], a[1], a[NR]}'
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A iso cdsh hdk hdsh
for ((i = 1; i <= runs; i++)); do
    for vm in "${vms[@]}"; do
        echo "run $i/$runs: $vm cd..." >&2
        if r=$(boot_once "$vm" cd "$i"); then
            read -r a b <<<"$r"
            iso[$vm]+="$a"$'\n'
            cdsh[$vm]+="$b"$'\n'
        fi
        echo "run $i/$runs: $vm hd..." >&2
        if r=$(boot_once "$vm" hd "$i"); then
            read -r a b <<<"$r"
            hdk[$vm]+="$a"$'\n'
            hdsh[$vm]+="$b"$'\n'
        fi
    done
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)

echo "guest: $(cut -d' ' -f1 "$(dirname "$KERNEL")/kernel-version") (i386), 256 MiB, SeaBIOS, $runs run(s) each"
echo "host: $(nproc) cpu(s), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'); load average before -> after: $load0 -> $load1"
[ $do_rawbox = 1 ] && echo "rawbox: $(git rev-parse --short HEAD 2>/dev/null)"
echo "seconds from launch, median (min-max):"
row='| %-14s | %-18s | %-18s | %-18s | %-18s |\n'
# shellcheck disable=SC2059  # the format is $row
printf "$row" VM "CD: isolinux boot:" "CD: shell" "disk (IDE): Linux" "disk (IDE): shell"
# shellcheck disable=SC2059
printf "$row" --- --- --- --- ---
for vm in "${vms[@]}"; do
    case $vm in
    qemu) label="QEMU TCG" ;;
    raw) label="rawbox (raw)" ;;
    *) label="rawbox ($vm)" ;;
    esac
    # shellcheck disable=SC2059
    printf "$row" "$label" \
        "$(printf '%s' "${iso[$vm]:-}" | cell)" "$(printf '%s' "${cdsh[$vm]:-}" | cell)" \
        "$(printf '%s' "${hdk[$vm]:-}" | cell)" "$(printf '%s' "${hdsh[$vm]:-}" | cell)"
done
