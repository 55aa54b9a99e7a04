#!/bin/bash
# Boot test: the kernel log of a demo guest under rawbox holds no warning
# that docs/boot-warnings.md does not explain.
#
#   tests/boot/dmesg_warnings.sh [--arch i386|amd64]
#       i386 (default): Debian 12's 686 kernel (scripts/fetch-guest.sh);
#       amd64: Debian 12's amd64 kernel (RAWBOX_GUEST_FLAVOUR=amd64
#       scripts/fetch-guest.sh; tests/boot/dmesg_warnings_amd64.sh).
#       rawbox runs the default CPU model (x86-64) for both. QEMU
#       (qemu-system-i386 / qemu-system-x86_64 -cpu qemu64) boots the same
#       kernel for comparison when it is installed.
#
# Boots the kernel with --kernel-unpack and cryptomgr.notests, runs `dmesg`
# and reads /sys/devices/system/cpu/vulnerabilities at the shell and checks:
#  - none of the warnings rawbox fixed comes back (TSC calibration and
#    stability, perfctr MSRs, MCE init, DMI, blank MTRRs, PAT, unstable
#    clock, no local APIC / PIC mode / boot CPU not listed, page-table
#    isolation and the speculation lines);
#  - the lines that show those fixes are there (TSC calibrated by the PIT,
#    clocksource tsc, PAT on, the PMU verdict of the CPU model, SMBIOS, PM
#    timer, the PCI bus enumerated through the ACPI host bridge, the MADT's
#    I/O APIC and IRQ0 override, symmetric I/O mode with the timer on I/O
#    APIC pin 2, the HPET from the ACPI HPET table with its legacy IRQs 2
#    and 8 and its clocksource, the PCI interrupt links LNKA-LNKD);
#  - the flaws the CPU model's IA32_ARCH_CAPABILITIES rules out read "Not
#    affected" in the vulnerabilities directory;
#  - every line that looks like a warning (bug, fail, error, unable, lost,
#    spurious, weird, unstable, not supported, vulnerable, ...) is one the
#    document lists as expected for that architecture.
# With QEMU installed it also boots the same kernel there and writes the
# two logs (timestamps removed) and their diff to build/boot/ for reading
# (i386: dmesg.rawbox.txt, dmesg.qemu.txt, dmesg.diff; amd64: the same
# names with .amd64 before .txt/.diff); the QEMU side does not decide the
# result. Environment: RAWBOX (binary, default build/release/rawbox),
# BOOT_PROMPT_TIMEOUT (default 300 s).
# Exit status 0 = pass, 1 = fail.
set -uo pipefail
cd "$(dirname "$0")/../.."

ARCH=i386
while [ $# -gt 0 ]; do
    case $1 in
        --arch) ARCH=${2:-}; shift 2 || { echo "FAIL: --arch needs a value"; exit 1; } ;;
        --arch=*) ARCH=${1#--arch=}; shift ;;
        *) echo "usage: $0 [--arch i386|amd64]"; exit 1 ;;
    esac
done
case $ARCH in
    i386) SFX= FLAVOUR=686 QEMU=qemu-system-i386 QEMU_CPU=() ;;
    amd64) SFX=.amd64 FLAVOUR=amd64 QEMU=qemu-system-x86_64 QEMU_CPU=(-cpu qemu64) ;;
    *) echo "FAIL: unknown --arch '$ARCH' (i386 or amd64)"; exit 1 ;;
esac

RAWBOX=${RAWBOX:-build/release/rawbox}
APPEND="console=ttyS0 cryptomgr.notests"
LOGDIR=build/boot
TMO=${BOOT_PROMPT_TIMEOUT:-300}
mkdir -p "$LOGDIR"

out=$(RAWBOX_GUEST_FLAVOUR=$FLAVOUR scripts/fetch-guest.sh 2>"$LOGDIR/fetch-guest$SFX.log") || {
    echo "FAIL: scripts/fetch-guest.sh could not build the $ARCH guest: $(tail -n1 "$LOGDIR/fetch-guest$SFX.log")"
    exit 1
}
eval "$(echo "$out" | tail -n 2)"

# The vulnerabilities directory as a glob: the typed line stays below 80
# columns, where the guest's line editor would wrap its echo.
VULN=/sys/devices/system/cpu/vulnerabilities
# `dmesg -n 1` first: a kernel message printed on the console while a
# command is typed splits the command's echo and would land in the
# captured text (a CI run once captured nothing that way). The captured
# text lies between markers the shell prints, not the echoed commands.
# `sleep 2` before dmesg: the kernel refines the TSC calibration in delayed
# work about a second after it starts the TSC (guest time), and a fast
# engine reaches the prompt before that ("tsc: Refined TSC clocksource
# calibration" was missing under the recompiler now and then).
steps=(--step 'expect:rawbox:[^\n]*# ' --step 'send:dmesg -n 1; echo __QU""IET'
       --step 'expect:__QUIET\r?\n'
       --step 'send:sleep 2; echo __DM""ESG_BEGIN; dmesg; echo __DM""ESG_END'
       --step 'expect:__DMESG_END\r?\n'
       --step 'send:echo __VU""LN_BEGIN' --step 'expect:__VULN_BEGIN\r?\n'
       --step 'send:grep . /sys/devices/system/cpu/vu*/*; echo __VU""LN_END'
       --step 'expect:__VULN_END\r?\n' --step 'send:poweroff' --step wait)

# boot_dmesg NAME CMD... -> writes $LOGDIR/dmesg.NAME$SFX.txt (no timestamps)
# and $LOGDIR/vulnerabilities.NAME$SFX.txt ("meltdown:Not affected", ...)
boot_dmesg() {
    local name=$1 log=$LOGDIR/dmesg_warnings.$1$SFX.log
    shift
    python3 tests/boot/serial_drive.py --timeout "$TMO" --log "$log" "${steps[@]}" -- "$@" \
        2>"$log.driver" || { echo "FAIL: $name did not boot and power off ($(tail -n1 "$log.driver"))"; return 1; }
    tr -d '\r' < "$log" | awk '/__DMESG_BEGIN/{on=1; next} /__DMESG_END/{on=0} on' |
        sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' > "$LOGDIR/dmesg.$name$SFX.txt"
    [ -s "$LOGDIR/dmesg.$name$SFX.txt" ] || { echo "FAIL: $name: no dmesg output captured"; return 1; }
    tr -d '\r' < "$log" | awk '/__VULN_BEGIN/{on=1; next} /__VULN_END/{on=0} on' |
        sed "s|^$VULN/||" > "$LOGDIR/vulnerabilities.$name$SFX.txt"
}

if [ ! -x "$RAWBOX" ]; then
    echo "FAIL: $RAWBOX is not built"
    exit 1
fi
boot_dmesg rawbox "$RAWBOX" run -m 256M --kernel "$KERNEL" --kernel-unpack --initrd "$INITRD" \
    --append "$APPEND" --timeout $((TMO + 60)) || exit 1
D=$LOGDIR/dmesg.rawbox$SFX.txt
bad=0

# Fixed in rawbox: must not come back.
gone=(
    'tsc: Fast TSC calibration failed'
    'tsc: Unable to calibrate against PIT'
    'Marking TSC unstable'
    'Unstable clock detected'
    'Failed to access perfctr msr'
    'Broken PMU hardware detected'
    'mce: Unable to init MCE device'
    'DMI not present or invalid'
    'CPU MTRRs all blank'
    'clocksource: Switched to clocksource pit'
    'timekeeping watchdog'
    'Local APIC disabled by BIOS'
    'APIC: Keep in PIC mode(8259)'
    'ACPI: Using PIC for interrupt routing'
    'smpboot: weird, boot CPU (#0) not listed by the BIOS'
    'x86/PAT: PAT not supported by the CPU.'
    'Disabled fast string operations'
    # The x86-64 model reports IA32_ARCH_CAPABILITIES with the *_NO bits.
    'Kernel/User page tables isolation: enabled'
    'MDS: Vulnerable'
    'MMIO Stale Data: Unknown'
    'L1TF: Kernel not compiled for PAE'
)
for re in "${gone[@]}"; do
    if grep -q -F "$re" "$D"; then
        echo "  FAIL fixed warning is back: $(grep -m1 -F "$re" "$D")"
        bad=1
    else
        echo "  ok   no \"$re\""
    fi
done

# The fixes, seen from the guest.
want=(
    'tsc: Fast TSC calibration using PIT'
    'tsc: Refined TSC clocksource calibration'
    'clocksource: Switched to clocksource tsc'
    'clocksource: acpi_pm:'
    'ACPI: PM-Timer IO Port:'
    'x86/PAT: Configuration [0-7]: WB  WC  UC- UC  WB  WP  UC- WT'
    'SMBIOS 2.4 present.'
    'DMI: rawbox'
    'ACPI: PCI Root Bridge [PCI0]'
    'pci 0000:00:00.0: [8086:1237]'
    'pci 0000:00:01.0: [8086:7000]'
    'IOAPIC[0]: apic_id 0, version 17, address 0xfec00000, GSI 0-23'
    'ACPI: INT_SRC_OVR (bus 0 bus_irq 0 global_irq 2 dfl dfl)'
    'ACPI: INT_SRC_OVR (bus 0 bus_irq 9 global_irq 9 high level)'
    '..TIMER: vector=0x30 apic1=0 pin1=2'
    'ACPI: Using IOAPIC for interrupt routing'
    'ACPI: HPET id: 0x8086a201 base: 0xfed00000'
    'hpet0: at MMIO 0xfed00000, IRQs 2, 8, 0'
    'hpet0: 3 comparators, 64-bit 100.000000 MHz counter'
    'clocksource: hpet: mask: 0xffffffff'
    # PCI interrupts through the DSDT's links on the PIIX3 PIRQ registers
    # (routed to 10, 10, 11, 11 as SeaBIOS leaves them) and its _PRT.
    'ACPI: PCI: Interrupt link LNKA configured for IRQ 10'
    'ACPI: PCI: Interrupt link LNKD configured for IRQ 11'
    'PCI: Using ACPI for IRQ routing'
    # The x86-64 model (family 6 model 15) has no architectural perfmon
    # (CPUID leaf 0xA), so Linux offers no PMU driver; p6 gets "p6 PMU driver."
    'Performance Events: unsupported p6 CPU model 15 no PMU driver, software events only.'
)
case $ARCH in
    i386) want+=('Enabling APIC mode:  Flat.  Using 1 I/O APICs') ;;
    amd64) want+=('APIC: Switch to symmetric I/O mode setup' 'NX (Execute Disable) protection: active') ;;
esac
for re in "${want[@]}"; do
    if grep -q -F "$re" "$D"; then
        echo "  ok   \"$re\""
    else
        echo "  FAIL missing \"$re\""
        bad=1
    fi
done

# The flaws IA32_ARCH_CAPABILITIES rules out (RDCL_NO: Meltdown, so no PTI,
# and L1TF; MDS_NO; TAA_NO; PSCHANGE_MC_NO: iTLB multihit; the MMIO
# stale data, GDS and RFDS *_NO bits), as the guest kernel reports them.
V=$LOGDIR/vulnerabilities.rawbox$SFX.txt
for f in meltdown l1tf mds tsx_async_abort itlb_multihit \
         mmio_stale_data gather_data_sampling reg_file_data_sampling; do
    if grep -qx "$f:Not affected" "$V"; then
        echo "  ok   $f: Not affected"
    else
        echo "  FAIL $f: $(grep -m1 "^$f:" "$V" || echo "not in $V")"
        bad=1
    fi
done

# Anything that looks like a warning must be one of the explained ones
# (docs/boot-warnings.md).
suspect='warn|bug|fail|error|unable|unstable|lost|spurious|weird|broken|invalid\b|not present|blank|timed out|call trace|lockup|hung|firmware bug|taint|not supported|unsupported|vulnerable|no mitigation|not available|missing|cannot|can.t'
explained=(
    'PCI: Using host bridge windows from ACPI; if necessary, use "pci=nocrs" and report a bug'
    'alg: self-tests for .* passed'
    'acpi PNP0A03:00: fail to add MMCONFIG information, can.t access extended PCI configuration space under this bridge.'
    '^Performance Events: unsupported p6 CPU model 15 no PMU driver, software events only.$'
    '^intel_pstate: CPU model not supported$'
    # No SSB_NO: raw mode runs user code on the host CPU, which may bypass.
    '^Speculative Store Bypass: Vulnerable$'
)
case $ARCH in
    i386) explained+=(
        '^Notice: NX \(Execute Disable\) protection cannot be enabled: non-PAE kernel!$'
    ) ;;
    amd64) explained+=(
        '^AMD-Vi: AMD IOMMUv2 functionality not available on this system - This is not a bug.$'
    ) ;;
esac
while IFS= read -r line; do
    ok=0
    for re in "${explained[@]}"; do
        if [[ $line =~ $re ]]; then ok=1; break; fi
    done
    if [ $ok -eq 1 ]; then
        echo "  ok   explained: $line"
    else
        echo "  FAIL unexplained warning: $line"
        bad=1
    fi
done < <(grep -i -E "$suspect" "$D")

if command -v "$QEMU" >/dev/null 2>&1; then
    if boot_dmesg qemu "$QEMU" -accel tcg "${QEMU_CPU[@]}" -m 256 -kernel "$KERNEL" -initrd "$INITRD" \
            -append "$APPEND" -display none -serial stdio -monitor none -no-reboot; then
        diff "$LOGDIR/dmesg.qemu$SFX.txt" "$D" > "$LOGDIR/dmesg$SFX.diff"
        echo "   (comparison: $LOGDIR/dmesg$SFX.diff, $(grep -c '^>' "$LOGDIR/dmesg$SFX.diff") lines only under rawbox)"
    fi
fi

if [ $bad -eq 0 ]; then
    echo "PASS: dmesg_warnings ($ARCH)"
    exit 0
fi
echo "FAIL: dmesg_warnings ($ARCH, log: $D)"
exit 1
