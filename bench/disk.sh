#!/bin/bash
# Disk benchmark (issue 11's target: guest disk throughput at least
# QEMU's on the same image format). The Debian 12 amd64 demo guest
# (scripts/fetch-guest.sh) boots with one disk, either virtio-blk (the
# virtio modules of its initramfs, /dev/vda) or IDE on the PIIX3 (Linux's
# ata_piix with bus master DMA, /dev/sda: libata, ata_piix, sd_mod and
# what they need are taken from the guest kernel's Debian package,
# downloaded once with the guest's private apt setup and kept beside the
# guest as ide-modules-KVER.cpio.gz, as tests/boot/linux_ide.sh does for
# the i386 guest), and runs bench/raw/diskio.c on the disk with O_DIRECT:
# sequential 1 MiB writes (then fsync) and reads, random 4 KiB reads and
# writes. Each VM gets a fresh image of each format; rawbox (--engine jit
# and the default engine) and QEMU TCG (-drive if=virtio or if=ide, its
# default cache mode) run the same program in one run, alternating.
#
#   bench/disk.sh
#
# Environment: DISKBENCH_MIB (sequential MiB and the random span, 256),
# DISKBENCH_OPS (random requests each way, 4000), DISKBENCH_FORMATS
# ("raw qcow2"), DISKBENCH_BUSES ("virtio ide"), DISKBENCH_RUNS (2),
# RAWBOX (build/release/rawbox).
# Logs and images: build/bench/disk/.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
MIB=${DISKBENCH_MIB:-256}
OPS=${DISKBENCH_OPS:-4000}
FORMATS=${DISKBENCH_FORMATS:-raw qcow2}
RUNS=${DISKBENCH_RUNS:-2}
BUSES=${DISKBENCH_BUSES:-virtio ide}
RAWBOX=${RAWBOX:-build/release/rawbox}
OUT=build/bench/disk
die() { echo "bench/disk.sh: $*" >&2; exit 1; }

[ -x "$RAWBOX" ] || die "$RAWBOX is not built (make)"
command -v python3 >/dev/null || die "python3 is missing (scripts/deps.sh check)"
mkdir -p "$OUT/root/usr/bin"
gcc -O2 -static -Wall -Wextra -Werror -o "$OUT/root/usr/bin/diskio64" bench/raw/diskio.c ||
    die "cannot build diskio64"
(cd "$OUT/root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -1 > "$OUT/progs.cpio.gz"
guest=$(RAWBOX_GUEST_FLAVOUR=amd64 scripts/fetch-guest.sh 2>"$OUT/fetch-guest.log") ||
    die "cannot build the amd64 guest: $(tail -n1 "$OUT/fetch-guest.log")"
eval "$(echo "$guest" | tail -n 2)"
zcat "$INITRD" | cpio -t 2>/dev/null | grep -q '^lib/modules/virtio/order$' ||
    die "$INITRD has no virtio modules (scripts/fetch-guest.sh too old?)"

# The IDE stack from the guest kernel's Debian package (tests/boot/lib.bash).
. tests/boot/lib.bash
IDE_MODS=$GUEST_IDE_DISK_MODS
KVER=$(awk '{print $1; exit}' "$(dirname "$KERNEL")/kernel-version")
IDE_CPIO=$(dirname "$KERNEL")/ide-modules-$KVER.cpio.gz
if [[ " $BUSES " == *" ide "* ]]; then
    # shellcheck disable=SC2086  # a word list
    why=$(RUN=$OUT guest_modules amd64 "$KVER" "$IDE_CPIO" $IDE_MODS) ||
        die "the IDE modules: $why"
fi
cat "$INITRD" "$OUT/progs.cpio.gz" > "$OUT/initrd.gz"
[ -s "$IDE_CPIO" ] && cat "$IDE_CPIO" >> "$OUT/initrd.gz"
APPEND="console=ttyS0 mitigations=off"
virtio_mods='for m in $(cat /lib/modules/virtio/order); do insmod /lib/modules/virtio/$m.ko; done; sleep 1'
ide_mods="cd /mods; for m in $(for m in $IDE_MODS; do printf '%s ' "${m##*/}"; done); do insmod \$m.ko; done; cd /"
ide_mods="$ide_mods; for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/sda ] && break; sleep 1; done"

# run VM FORMAT BUS N: one boot; RESULT lines to $OUT/VM-FORMAT-BUS-N.log
run() {
    local vm=$1 fmt=$2 bus=$3 n=$4 img=$OUT/disk.$fmt cmd mods=$virtio_mods dev=/dev/vda
    local log=$OUT/$vm-$fmt-$bus-$n
    [ "$bus" = ide ] && mods=$ide_mods dev=/dev/sda
    rm -f "$img"
    "$RAWBOX" disk create -f "$fmt" "$img" "$((MIB + 64))M" >/dev/null || die "cannot create $img"
    case $vm in
    qemu) cmd=(qemu-system-x86_64 -accel tcg -cpu max -m 512 -kernel "$KERNEL" -initrd "$OUT/initrd.gz"
               -append "$APPEND" -display none -serial stdio -monitor none -no-reboot
               -drive "file=$img,format=$fmt,if=$bus") ;;
    jit|raw) cmd=("$RAWBOX" run --engine "$vm" --cpu max -m 512M --kernel "$KERNEL" --kernel-unpack
                  --initrd "$OUT/initrd.gz" --append "$APPEND" --serial stdio --timeout 900
                  --disk "$img,format=$fmt,if=$bus") ;;
    esac
    python3 tests/boot/serial_drive.py --timeout 900 --log "$log.log" \
        --step 'expect:rawbox:[^\n]*# ' --step "send:$mods; echo __MO\"\"DS" --step 'expect:__MODS' \
        --step "send:diskio64 $dev $MIB $OPS; echo __DI\"\"SK" --step 'expect:__DISK' \
        --step 'send:poweroff' --step wait -- "${cmd[@]}" >/dev/null 2>"$log.driver" ||
        echo "bench/disk.sh: $vm $fmt $bus run $n did not finish (log: $log.log)" >&2
}

vms="jit raw"
command -v qemu-system-x86_64 >/dev/null && vms="$vms qemu"
for n in $(seq 1 "$RUNS"); do
    for bus in $BUSES; do
        for fmt in $FORMATS; do
            for vm in $vms; do
                echo "  $vm $fmt $bus run $n" >&2
                run "$vm" "$fmt" "$bus" "$n"
            done
        done
    done
done
rm -f "$OUT"/disk.*

python3 - "$OUT" "$RUNS" "$FORMATS" "$vms" "$MIB" "$OPS" "$BUSES" <<'PY'
import re, sys, statistics
out, runs, formats, vms, mib, ops = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4].split(), sys.argv[5], sys.argv[6]
buses = sys.argv[7].split()
rows = [("disk-seq-write", "MB/s"), ("disk-seq-read", "MB/s"), ("disk-rand-read", "IOPS"), ("disk-rand-write", "IOPS")]
def val(vm, fmt, bus, name):
    v = []
    for n in range(1, runs + 1):
        try:
            t = open("%s/%s-%s-%s-%d.log" % (out, vm, fmt, bus, n), errors="replace").read()
        except OSError:
            continue
        m = re.search(r"RESULT %s \S+ ([0-9.]+)" % name, t)
        if m: v.append(float(m.group(1)))
    return statistics.median(v) if v else None
print("guest disk throughput, O_DIRECT (%s MiB sequential, %s random 4 KiB requests; median of %d runs)" % (mib, ops, runs))
hdr = "%-22s %-6s %-6s" % ("", "bus", "format") + "".join("%12s" % v for v in vms)
if "qemu" in vms: hdr += "%14s" % "jit/QEMU"
print(hdr)
for bus in buses:
    for fmt in formats:
        for name, unit in rows:
            line = "%-22s %-6s %-6s" % (name + " " + unit, bus, fmt)
            vals = {vm: val(vm, fmt, bus, name) for vm in vms}
            line += "".join("%12s" % ("-" if vals[vm] is None else "%.0f" % vals[vm]) for vm in vms)
            if "qemu" in vms and vals.get("qemu") and vals.get("jit"):
                line += "%13.2fx" % (vals["jit"] / vals["qemu"])
            print(line)
# every VM must have reported its data check
for bus in buses:
    for fmt in formats:
        bad = [vm for vm in vms if val(vm, fmt, bus, "disk-check") is None]
        if bad: print("missing results for %s (%s, %s): see %s/*.log" % (", ".join(bad), bus, fmt, out))
PY
