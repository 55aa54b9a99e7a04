#!/bin/bash
# Boot test: real firmware. Debian's SeaBIOS (package seabios,
# /usr/share/seabios/bios-256k.bin) runs its whole POST on a machine with no
# boot device: banner, fw_cfg, shadow RAM, PCI, timers, keyboard, serial
# console, then "No bootable device" and its retry, which reboots the
# machine (--reboot-timeout 1000 = fw_cfg etc/boot-fail-wait) and POSTs
# again. Runs under QEMU first when installed (validates the expectations),
# then under rawbox; each must, within the time limit:
#   - print SeaBIOS's banner and "No bootable device" on COM1 (SeaBIOS's
#     serial console, enabled by fw_cfg NOGRAPHIC),
#   - log on port 0x402 that it found fw_cfg with DMA, read etc/e820 as
#     the -m size, relocated its init code (shadow RAM and malloc work),
#     and built an e820 map,
#   - come back after the retry with a second banner (reset path, PAM
#     reset to ROM, firmware copied into shadow RAM again).
# A second round boots the 128 KiB bios.bin with SeaVGABIOS handed over as
# fw_cfg file vgaroms/vgabios-stdvga.bin (--fw-cfg, QEMU -fw_cfg): the VGA
# BIOS must start and set mode 3 (there is no VGA hardware behind it; the
# point is the CPU running a second real ROM) and POST must still end in
# "No bootable device".
# Environment: RAWBOX (default build/release/rawbox), SEABIOS_ROM,
# SEABIOS_TIME_LIMIT (seconds, default 30). Exit 0 = pass, 1 = fail,
# 77 = skipped (ROM not installed).
set -uo pipefail
cd "$(dirname "$0")/../.."
RAWBOX=${RAWBOX:-build/release/rawbox}
ROM=${SEABIOS_ROM:-/usr/share/seabios/bios-256k.bin}
LIMIT=${SEABIOS_TIME_LIMIT:-30}
D=build/boot
mkdir -p "$D"
if [ ! -f "$ROM" ]; then
    echo "SKIP: $ROM not installed (apt-get install seabios)"
    exit 77
fi

# wait_for PID FILE PATTERN COUNT: until FILE holds COUNT lines matching
# PATTERN, the process ends, or LIMIT seconds pass. Prints the seconds taken.
wait_for() {
    local pid=$1 file=$2 pat=$3 count=$4 start=$SECONDS n
    while :; do
        n=$(tr '\r' '\n' <"$file" 2>/dev/null | grep -a -c -- "$pat")
        if [ "${n:-0}" -ge "$count" ]; then
            echo $((SECONDS - start))
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null || [ $((SECONDS - start)) -ge "$LIMIT" ]; then
            return 1
        fi
        sleep 0.2
    done
}

status=0
fail() { echo "FAIL: $*"; status=1; }

# check VM SERIAL FWLOG [PATTERN...]: the expectations common to both VMs,
# plus extra firmware-log patterns.
check() {
    local vm=$1 ser=$2 fw=$3
    shift 3
    local -a want_fw=("$@"
        'Found QEMU fw_cfg'
        'QEMU fw_cfg DMA interface supported'
        'qemu/e820: addr 0x0000000000000000 len 0x0000000008000000 \[RAM\]'
        'Relocating init from'
        'e820 map has [0-9]* items'
        'No bootable device'
    )
    for p in "$vm SeaBIOS (version" "$vm No bootable device"; do
        pat=${p#"$vm "}
        if tr '\r' '\n' <"$ser" | grep -a -- "$pat" >/dev/null; then
            echo "ok $vm serial: $pat"
        else
            fail "$vm: no '$pat' on COM1"
        fi
    done
    for pat in "${want_fw[@]}"; do
        if grep -a -q -- "$pat" "$fw"; then
            echo "ok $vm port 0x402: $(grep -a -m1 -- "$pat" "$fw")"
        else
            fail "$vm: no '$pat' in the firmware log"
        fi
    done
}

# run VM EXTRA CMD...: start it, wait for two banners (POST, retry, POST
# again); EXTRA is one more firmware-log pattern to require (or '').
run() {
    local vm=$1 extra=$2 ser=$D/seabios.$1.serial fw=$D/seabios.$1.fwlog t
    shift 2
    rm -f "$ser" "$fw"
    : >"$ser"
    "$@" </dev/null >"$D/seabios.$vm.out" 2>&1 &
    local pid=$!
    if t=$(wait_for "$pid" "$ser" 'No bootable device' 1); then
        echo "ok $vm: 'No bootable device' after ${t}s"
    else
        fail "$vm: no 'No bootable device' on COM1 within ${LIMIT}s"
    fi
    if t=$(wait_for "$pid" "$ser" 'SeaBIOS (version' 2); then
        echo "ok $vm: rebooted after the retry and printed the banner again (${t}s more)"
    else
        fail "$vm: no second banner after the boot retry within ${LIMIT}s"
    fi
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    check "$vm" "$ser" "$fw" ${extra:+"$extra"}
    echo "--- $vm COM1:"
    tr -d '\r' <"$ser" | sed -e 's/\x1b[^a-zA-Z]*[a-zA-Z]//g' -e "s/^/$vm| /" | head -20
    echo
}

VGAROM=$(dirname "$ROM")/vgabios-stdvga.bin
ROM128=$(dirname "$ROM")/bios.bin
rounds=(256k)
[ -f "$VGAROM" ] && [ -f "$ROM128" ] && rounds+=(128k-vga)
for r in "${rounds[@]}"; do
    echo "=== round $r"
    if [ "$r" = 256k ]; then
        rom=$ROM extra='' qfw=() rfw=()
    else
        rom=$ROM128 extra='set VGA mode 3'
        qfw=(-fw_cfg "name=vgaroms/vgabios-stdvga.bin,file=$VGAROM")
        rfw=(--fw-cfg "name=vgaroms/vgabios-stdvga.bin,file=$VGAROM")
    fi
    if command -v qemu-system-i386 >/dev/null 2>&1; then
        run qemu "$extra" qemu-system-i386 -bios "$rom" -m 128 -nographic -nodefaults -monitor none \
            -serial "file:$D/seabios.qemu.serial" \
            -chardev "file,id=fw,path=$D/seabios.qemu.fwlog" -device isa-debugcon,iobase=0x402,chardev=fw \
            -boot reboot-timeout=1000 "${qfw[@]}"
        if [ $status -ne 0 ]; then
            echo "FAIL: the expectations do not hold under QEMU: the test is broken"
            exit 1
        fi
    fi
    run rawbox "$extra" "$RAWBOX" run --bios "$rom" -m 128M --serial "file:$D/seabios.rawbox.serial" \
        --firmware-log "file:$D/seabios.rawbox.fwlog" --reboot-timeout 1000 --timeout $((LIMIT * 3)) \
        "${rfw[@]}"
done

[ $status -eq 0 ] && echo "PASS: SeaBIOS POSTs to 'No bootable device' and reboots (rounds: ${rounds[*]})"
exit $status
