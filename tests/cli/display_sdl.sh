#!/bin/bash
# CLI test for --display sdl without a screen (SDL_VIDEODRIVER=dummy, then
# offscreen): rawbox opens its window, the guest (roms/monitor.asm) runs,
# the monitor's sendkey still reaches it, `quit` ends rawbox with status 0
# within seconds, and so does SIGTERM; a video driver SDL does not have is
# refused with one line. (Key and mouse events from a real window need a
# display server: not tested here.)
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

SDL_VIDEODRIVER=no-such-driver "$RAWBOX" run --bios "$T/mon.bin" --display sdl --timeout 5 \
    </dev/null >/dev/null 2>"$T/err"
rc=$?
if grep -q 'built without SDL2' "$T/err"; then
    echo "SKIP: rawbox built without SDL2"; exit 77
fi
if [ $rc != 2 ] || [ "$(wc -l <"$T/err")" != 1 ] || ! grep -q '^rawbox: --display sdl: SDL: ' "$T/err"; then
    echo "FAIL unknown video driver: status $rc, $(head -c 200 "$T/err")"; fails=$((fails + 1))
else
    echo "ok unknown video driver refused: $(cat "$T/err")"
fi

for drv in dummy offscreen; do
    rm -f "$T/con" "$T/mon.sock"
    # The offscreen driver loads the host's EGL (Mesa), which leaks at exit
    # in unnamed modules: an ASan build checks leaks under dummy only.
    leaks=1
    [ $drv = offscreen ] && leaks=0
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=$leaks \
    SDL_VIDEODRIVER=$drv "$RAWBOX" run --bios "$T/mon.bin" --display sdl --monitor "unix:$T/mon.sock" \
        --debugcon "file:$T/con" --timeout 60 </dev/null >"$T/out" 2>"$T/err" &
    pid=$!
    python3 - "$T/mon.sock" "$T/con" "$drv" <<'PY'
import socket, sys, time
sock_path, con, drv = sys.argv[1], sys.argv[2], sys.argv[3]
for _ in range(200):
    try:
        s = socket.socket(socket.AF_UNIX); s.connect(sock_path); break
    except OSError:
        time.sleep(0.05)
else:
    print("FAIL %s: rawbox did not come up (no monitor socket)" % drv); sys.exit(1)
s.settimeout(10)
buf = b""
def cmd(c):
    global buf
    if c: s.sendall(c.encode() + b"\n")
    while b"(qemu) " not in buf:
        d = s.recv(4096)
        if not d: break
        buf += d
    text, _, buf = buf.partition(b"(qemu) ")
    return text.decode()
cmd("")
ok = cmd("info status").strip() == "VM status: running"
print(("ok " if ok else "FAIL ") + drv + ": the guest runs with the window open")
cmd("sendkey a"); time.sleep(0.3)
ok2 = "1e 9e " in open(con).read().replace("t\n", "")
print(("ok " if ok2 else "FAIL ") + drv + ": sendkey reaches the guest")
s.sendall(b"quit\n")
sys.exit(0 if ok and ok2 else 1)
PY
    [ $? = 0 ] || fails=$((fails + 1))
    for _ in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
    if kill -0 $pid 2>/dev/null; then
        echo "FAIL $drv: rawbox still running 5 s after quit"; fails=$((fails + 1))
    else
        wait $pid; rc=$?
        if [ $rc = 0 ] && [ ! -s "$T/err" ]; then
            echo "ok $drv: quit ends rawbox with status 0, nothing on stderr"
        else
            echo "FAIL $drv: status $rc after quit, stderr: $(head -c 300 "$T/err")"; fails=$((fails + 1))
        fi
    fi
    pid=
done

SDL_VIDEODRIVER=dummy "$RAWBOX" run --bios "$T/mon.bin" --display sdl --timeout 60 </dev/null \
    >/dev/null 2>"$T/err" &
pid=$!
sleep 1
kill -TERM $pid
for _ in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then
    echo "FAIL SIGTERM: rawbox still running"; fails=$((fails + 1))
else
    wait $pid; echo "ok SIGTERM ends rawbox with the window open (status $?)"
fi
pid=
[ $fails = 0 ] && echo "display_sdl: all passed" || echo "display_sdl: $fails failed"
[ $fails = 0 ]
