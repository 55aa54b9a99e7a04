#!/bin/bash
# CLI test for --display vnc (and the option's parsing): bad --display
# values are refused with one line; a taken port is refused with one line;
# a VNC client (Python, stdlib only: RFB 3.8, security None) connects to
# `rawbox run --display vnc=127.0.0.1:N` running roms/monitor.asm (which
# prints the keyboard controller's bytes on port 0xE9): a key pressed over
# VNC reaches the guest as set 1 make/break codes ('a', shift-'A', Up with
# its E0 prefix), a full framebuffer update arrives with the size
# ServerInit gave (the blank 640x400 screen while the board has no display
# adapter: all black), an incremental request is answered only when the
# screen changes (not at all here), and SIGTERM ends rawbox.
# The pixels of a real display adapter: tests/boot/display_pixels.sh.
# Environment: RAWBOX (default build/release/rawbox). Exit 0 = pass,
# 1 = fail, 77 = skipped.
set -uo pipefail
cd "$(dirname "$0")/../.."
RAWBOX=${RAWBOX:-build/release/rawbox}
T=$(mktemp -d)
pid=
trap 'kill $pid 2>/dev/null; rm -rf "$T"' EXIT
command -v nasm >/dev/null || { echo "SKIP: nasm not installed"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
nasm -f bin -o "$T/mon.bin" tests/cli/roms/monitor.asm || { echo "FAIL nasm"; exit 1; }
fails=0

for bad in "" gtk vnc vnc= vnc=: vnc=:x vnc=:-1 vnc=:70000 "sdl,gl=on"; do
    "$RAWBOX" run --bios "$T/mon.bin" --display "$bad" --timeout 5 </dev/null >/dev/null 2>"$T/err"
    rc=$?
    if [ $rc != 2 ] || [ "$(wc -l <"$T/err")" != 1 ] || ! grep -q '^rawbox: --display' "$T/err"; then
        echo "FAIL --display '$bad': status $rc, $(head -c 200 "$T/err")"; fails=$((fails + 1))
    else
        echo "ok --display '$bad' refused: $(cat "$T/err")"
    fi
done
grep -q -- '--display TYPE' <("$RAWBOX" run --help) && echo "ok run --help lists --display" ||
    { echo "FAIL run --help does not list --display"; fails=$((fails + 1)); }

# A free display number: port 5900+N not listening.
free_display() {
    python3 - <<'PY'
import random, socket
for _ in range(200):
    n = random.randint(100, 4000)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", 5900 + n)); s.close(); print(n); break
    except OSError:
        s.close()
PY
}
N=$(free_display)
[ -n "$N" ] || { echo "SKIP: no free VNC port"; exit 77; }

# A port someone else holds: one line, non-zero status.
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 5900 + int(sys.argv[1]))); s.listen(1)
open(sys.argv[2], "w").close()
time.sleep(8)' "$N" "$T/held" &
holder=$!
for _ in $(seq 100); do [ -e "$T/held" ] && break; sleep 0.05; done
"$RAWBOX" run --bios "$T/mon.bin" --display "vnc=127.0.0.1:$N" --timeout 5 </dev/null >/dev/null 2>"$T/err"
rc=$?
kill $holder 2>/dev/null; wait $holder 2>/dev/null
if [ $rc = 0 ] || [ $rc = 124 ] || [ "$(wc -l <"$T/err")" != 1 ] || ! grep -q "^rawbox: --display vnc=127.0.0.1:$N: cannot listen" "$T/err"; then
    echo "FAIL port in use: status $rc, $(head -c 200 "$T/err")"; fails=$((fails + 1))
else
    echo "ok port in use refused: $(cat "$T/err")"
fi

# The blank screen of a board without a display adapter (once rawbox has
# --vga, ask for none).
novga=()
"$RAWBOX" run --help | grep -q -- '--vga' && novga=(--vga none)
N=$(free_display)
"$RAWBOX" run --bios "$T/mon.bin" "${novga[@]}" --display "vnc=127.0.0.1:$N" --debugcon "file:$T/con" \
    --timeout 60 </dev/null >"$T/out" 2>"$T/err" &
pid=$!
python3 - "$N" "$T/con" <<'PY'
import socket, struct, sys, time
port, con = 5900 + int(sys.argv[1]), sys.argv[2]
fails = 0
def check(ok, name, detail=""):
    global fails
    print(("ok " if ok else "FAIL ") + name + ("" if ok else ": " + str(detail)))
    fails += 0 if ok else 1
for _ in range(100):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=10); break
    except OSError:
        time.sleep(0.05)
else:
    print("FAIL cannot connect to the VNC server"); sys.exit(1)
def recv(n):
    b = b""
    while len(b) < n:
        d = s.recv(n - len(b))
        if not d: raise EOFError("server closed the connection")
        b += d
    return b
check(recv(12) == b"RFB 003.008\n", "server speaks RFB 3.8")
s.sendall(b"RFB 003.008\n")
types = recv(recv(1)[0])
check(1 in types, "security type None offered", types)
s.sendall(b"\x01")
check(recv(4) == b"\0\0\0\0", "security result OK")
s.sendall(b"\x01")                                  # ClientInit: shared
w, h = struct.unpack(">HH", recv(4))
fmt = recv(16)
name = recv(struct.unpack(">I", recv(4))[0])
check(name == b"rawbox", "desktop name rawbox", name)
bpp, depth, big, true_colour = fmt[0], fmt[1], fmt[2], fmt[3]
check(bpp == 32 and true_colour != 0, "32-bit true colour", fmt.hex())
check(w > 0 and h > 0, "a screen size: %dx%d" % (w, h))

def update(incremental, timeout=5):
    s.sendall(struct.pack(">BBHHHH", 3, incremental, 0, 0, w, h))
    s.settimeout(timeout)
    try:
        t = recv(1)[0]
    except socket.timeout:
        return None
    s.settimeout(10)
    assert t == 0, "message type %d" % t
    recv(1)
    rects, pixels = [], b""
    for _ in range(struct.unpack(">H", recv(2))[0]):
        x, y, rw, rh, enc = struct.unpack(">HHHHi", recv(12))
        rects.append((x, y, rw, rh, enc))
        if enc == 0:
            pixels += recv(rw * rh * bpp // 8)
    return rects, pixels

r = update(0)
check(r is not None, "full update request answered")
rects, pixels = r
covered = sum(rw * rh for x, y, rw, rh, enc in rects)
check(all(enc == 0 for *_, enc in rects) and covered == w * h,
      "raw rectangles cover the %dx%d screen" % (w, h), rects)
check(pixels == bytes(len(pixels)), "no display adapter: the screen is black",
      "%d of %d bytes not 0" % (sum(1 for b in pixels if b), len(pixels)))
check(update(1, timeout=1.0) is None, "incremental request: no update while nothing changes")

def key(sym, down):
    s.sendall(struct.pack(">BBHI", 4, 1 if down else 0, 0, sym))
def console():
    return open(con).read().replace("t\n", "")
key(0x61, 1); key(0x61, 0); time.sleep(0.4)
check("1e 9e " in console(), "key 'a' over VNC: set 1 make 1e, break 9e", console()[-80:])
key(0xffe1, 1); key(0x41, 1); key(0x41, 0); key(0xffe1, 0); time.sleep(0.4)
check("2a 1e 9e aa " in console(), "shift-'A': 2a 1e 9e aa", console()[-80:])
key(0xff52, 1); key(0xff52, 0); time.sleep(0.4)
check("e0 48 e0 c8 " in console(), "Up: e0 48 e0 c8", console()[-80:])
key(0x1008ff13, 1); key(0x1008ff13, 0)             # no PC key: ignored
s.sendall(struct.pack(">BBHH", 5, 1, 10, 10) + struct.pack(">BBHH", 5, 0, 20, 5))
time.sleep(0.3)
before = console()
key(0x62, 1); key(0x62, 0); time.sleep(0.4)
check(console().endswith("30 b0 "), "after an unmapped keysym and pointer events (mouse off): "
      "only 'b' arrives", console()[-80:])
sys.exit(1 if fails else 0)
PY
[ $? = 0 ] || fails=$((fails + 1))
kill -TERM $pid
for _ in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then
    echo "FAIL rawbox still running 5 s after SIGTERM"; fails=$((fails + 1))
else
    wait $pid; echo "ok SIGTERM ends rawbox (status $?)"
fi
pid=
[ $fails = 0 ] && echo "display_vnc: all passed" || echo "display_vnc: $fails failed"
[ $fails = 0 ]
