#!/bin/bash
# Boot test: the std VGA (--vga std, the default for firmware boots) and the
# monitor's screendump, checked by what the pictures hold.
#   1. SeaBIOS with no boot device: when COM1 (its sercon) says "No
#      bootable device", `screendump` through --monitor. The PNG must be the
#      720x400 text screen SeaVGABIOS drew; under QEMU (-vga std, its
#      screendump of the same moment) every text row QEMU shows must be on
#      ours pixel for pixel (font from plane 2, 9-dot cells, DAC colours),
#      the banner row in the same place.
#   2. tests/boot/vga_boot.asm on a --disk: mode 12h (write mode 2, read
#      modes 0/1, BIOS read pixel), mode 13h (window, BIOS read pixel, DAC
#      ports and INT 10h AX=1015h) must print "ok", then a 640x480x32 VBE
#      mode with LFB gets a pattern drawn in unreal mode, and the
#      screendump must hold it pixel for pixel. Under QEMU the same disk
#      must print the same lines (the test itself is right) and its
#      screendump must equal ours.
#   3. --vga none: screendump answers with a one-line error; so does a
#      file that cannot be written; --vga cga is refused.
# Environment: RAWBOX (default build/release/rawbox), VGA_TIME_LIMIT
# (seconds, default 60). Exit 0 = pass, 1 = fail, 77 = skipped.
set -uo pipefail
cd "$(dirname "$0")/../.."
RAWBOX=${RAWBOX:-build/release/rawbox}
LIMIT=${VGA_TIME_LIMIT:-60}
BIOS=/usr/share/seabios/bios-256k.bin
for f in "$BIOS" /usr/share/seabios/vgabios-stdvga.bin; do
    [ -f "$f" ] || { echo "SKIP: $f not installed (apt-get install seabios)"; exit 77; }
done
command -v nasm >/dev/null || { echo "SKIP: nasm not installed"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
T=build/boot/vga_screen          # kept after a failure, for a look
rm -rf "$T" && mkdir -p "$T"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done' EXIT
have_qemu=0
command -v qemu-system-i386 >/dev/null && have_qemu=1
status=0
fail() { echo "FAIL: $*"; status=1; }

# wait_for FILE PATTERN PID: until FILE matches, PID ends or LIMIT passes
# (then PID is killed).
wait_for() {
    local start=$SECONDS
    while ! tr '\r' '\n' 2>/dev/null <"$1" | grep -a -q -- "$2"; do
        if ! kill -0 "$3" 2>/dev/null || [ $((SECONDS - start)) -ge "$LIMIT" ]; then
            kill "$3" 2>/dev/null
            return 1
        fi
        sleep 0.2
    done
}

# monitor SOCKET COMMAND...: send each command, print the replies, then
# quit (QEMU's and rawbox's monitors both take these).
monitor() {
    python3 - "$@" <<'PY'
import socket, sys, time
path, cmds = sys.argv[1], sys.argv[2:]
for _ in range(100):
    try:
        s = socket.socket(socket.AF_UNIX); s.connect(path); break
    except OSError:
        time.sleep(0.05)
else:
    print("cannot connect to " + path); sys.exit(1)
s.settimeout(20)
buf = b""
def until_prompt():
    global buf
    while b"(qemu) " not in buf:
        d = s.recv(4096)
        if not d:
            break
        buf += d
    text, _, buf = buf.partition(b"(qemu) ")
    return text.decode(errors="replace")
until_prompt()
for c in cmds:
    s.sendall(c.encode() + b"\n")
    reply = until_prompt()
    # QEMU echoes the line with terminal escapes; keep what follows it.
    print(reply.split("\r\n", 1)[-1].strip() if "\x1b" in reply else reply.strip())
s.sendall(b"quit\n")
try:                        # until the VM has read it and closed the socket
    while s.recv(4096):
        pass
except OSError:
    pass
PY
}

# ---- 1. the SeaBIOS screen ----
"$RAWBOX" run --bios "$BIOS" -m 128M --serial "file:$T/bios.serial" \
    --monitor "unix:$T/r1.sock" --timeout "$LIMIT" </dev/null >"$T/r1.out" 2>&1 &
pids+=($!)
if wait_for "$T/bios.serial" "No bootable device" "${pids[-1]}"; then
    sleep 0.3
    reply=$(monitor "$T/r1.sock" "screendump $T/bios.png" "screendump $T/no/such/dir/x.png")
    # The first screendump answers nothing, the second one line.
    if [ "$reply" = $'\n'"screendump: $T/no/such/dir/x.png: No such file or directory" ]; then
        echo "ok an unwritable file: $(tail -n1 <<<"$reply")"
    else
        fail "screendump said: $reply"
    fi
else
    fail "rawbox: no 'No bootable device' on COM1: $(head -c 300 "$T/r1.out")"
fi
wait "${pids[-1]}"
if [ -f "$T/bios.png" ]; then
    if [ $have_qemu = 1 ]; then
        qemu-system-i386 -nodefaults -vga std -display none -m 128 -bios "$BIOS" \
            -chardev "file,id=fw,path=$T/q1.fw" -device isa-debugcon,iobase=0x402,chardev=fw \
            -monitor "unix:$T/q1.sock,server,nowait" >"$T/q1.out" 2>&1 &
        pids+=($!)
        if wait_for "$T/q1.fw" "No bootable device" "${pids[-1]}"; then
            sleep 0.3
            monitor "$T/q1.sock" "screendump $T/bios.qemu.ppm" >/dev/null
        fi
        wait "${pids[-1]}"
        if [ -f "$T/bios.qemu.ppm" ]; then
            python3 tests/boot/vga_png.py text "$T/bios.png" "$T/bios.qemu.ppm" || status=1
        else
            fail "QEMU gave no screendump: the test is broken"
        fi
    else
        python3 - "$T/bios.png" <<'PY' || status=1
import sys
sys.path.insert(0, "tests/boot")
import vga_png
w, h, rows = vga_png.read_png(sys.argv[1])
grey = sum(r[x:x + 3] == b"\xaa\xaa\xaa" for r in rows[:16] for x in range(0, len(r), 3))
vga_png.check((w, h) == (720, 400) and grey > 200, "720x400 with grey banner text (%d px); "
              "QEMU not installed, no pixel comparison" % grey)
sys.exit(vga_png.failed)
PY
    fi
fi

# ---- 2. modes 12h and 13h, and a VBE picture ----
nasm -f bin -o "$T/boot.bin" tests/boot/vga_boot.asm || { echo "FAIL: nasm"; exit 1; }
cp "$T/boot.bin" "$T/disk.img" && truncate -s 1M "$T/disk.img"
"$RAWBOX" run --disk "$T/disk.img,format=raw" -m 128M --serial none --debugcon "file:$T/r2.e9" \
    --monitor "unix:$T/r2.sock" --timeout "$LIMIT" </dev/null >"$T/r2.out" 2>&1 &
pids+=($!)
if wait_for "$T/r2.e9" "vbe drawn\| bad \|load failed" "${pids[-1]}"; then
    reply=$(monitor "$T/r2.sock" "screendump $T/vbe.png")
    [ -z "$reply" ] || fail "screendump said: $reply"
else
    fail "rawbox: the boot disk did not finish: $(head -c 300 "$T/r2.out")"
fi
wait "${pids[-1]}"
for part in "planar ok" "13h ok" "vbe drawn"; do
    if grep -q "^$part" "$T/r2.e9" 2>/dev/null; then
        echo "ok rawbox: $(grep -m1 "^$part" "$T/r2.e9")"
    else
        fail "rawbox: no '$part' on port 0xE9: $(tr '\n' '|' <"$T/r2.e9" 2>/dev/null)"
    fi
done
[ -f "$T/vbe.png" ] && { python3 tests/boot/vga_png.py pattern "$T/vbe.png" || status=1; }
if [ $have_qemu = 1 ]; then
    qemu-system-i386 -nodefaults -vga std -display none -m 128 -bios "$BIOS" \
        -drive "file=$T/disk.img,format=raw,if=ide" -debugcon "file:$T/q2.e9" \
        -monitor "unix:$T/q2.sock,server,nowait" >"$T/q2.out" 2>&1 &
    pids+=($!)
    if wait_for "$T/q2.e9" "vbe drawn\| bad \|load failed" "${pids[-1]}"; then
        monitor "$T/q2.sock" "screendump $T/vbe.qemu.ppm" >/dev/null
    fi
    wait "${pids[-1]}"
    if diff <(grep -v '^$' "$T/q2.e9" 2>/dev/null) <(grep -v '^$' "$T/r2.e9" 2>/dev/null) >/dev/null; then
        echo "ok QEMU prints the same lines: $(tr '\n' '|' <"$T/q2.e9")"
    else
        fail "QEMU: $(tr '\n' '|' <"$T/q2.e9" 2>/dev/null), rawbox: $(tr '\n' '|' <"$T/r2.e9" 2>/dev/null)"
    fi
    [ -f "$T/vbe.qemu.ppm" ] && [ -f "$T/vbe.png" ] &&
        { python3 tests/boot/vga_png.py same "$T/vbe.png" "$T/vbe.qemu.ppm" || status=1; }
fi

# ---- 3. no VGA: a clear error ----
"$RAWBOX" run --bios "$BIOS" --vga none -m 128M --serial "file:$T/r3.serial" \
    --monitor "unix:$T/r3.sock" --timeout "$LIMIT" </dev/null >"$T/r3.out" 2>&1 &
pids+=($!)
reply=$(monitor "$T/r3.sock" "screendump $T/none.png")
wait "${pids[-1]}"
if [[ $reply == "screendump: "*"no display adapter"* ]] && [ ! -e "$T/none.png" ]; then
    echo "ok --vga none: $reply"
else
    fail "--vga none: screendump said '$reply'"
fi

"$RAWBOX" run --bios "$BIOS" --vga cga --timeout 5 </dev/null >/dev/null 2>"$T/r4.err"
rc=$?
if [ $rc != 0 ] && [ "$(wc -l <"$T/r4.err")" = 1 ] && grep -q '^rawbox: --vga cga: ' "$T/r4.err"; then
    echo "ok --vga cga refused: $(cat "$T/r4.err")"
else
    fail "--vga cga: status $rc, $(head -c 200 "$T/r4.err")"
fi

[ $status = 0 ] && echo "PASS: SeaBIOS's text screen, modes 12h/13h and a VBE LFB picture, dumped by the monitor"
exit $status
