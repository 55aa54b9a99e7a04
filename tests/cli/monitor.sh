#!/bin/bash
# CLI test for the monitor (--monitor unix:PATH): a ROM (roms/monitor.asm)
# that prints "boot", the bytes the keyboard delivers, "pwrbtn" for the
# ACPI power button and a "t" line now and then. Through the socket:
# help, info status (running/paused), stop (no more "t" lines), cont,
# sendkey ctrl-alt-delete (set 1 codes, the i8042 translating),
# system_powerdown, system_reset ("boot" again), an unknown command, a
# bad sendkey key, quit (rawbox exits 0). Bad --monitor values are refused.
# Environment: RAWBOX (default build/release/rawbox). Exit 0 = pass,
# 1 = fail, 77 = skipped.
set -uo pipefail
cd "$(dirname "$0")/../.."
RAWBOX=${RAWBOX:-build/release/rawbox}
T=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$T"' EXIT
pid=
command -v nasm >/dev/null || { echo "SKIP: nasm not installed"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
nasm -f bin -o "$T/mon.bin" tests/cli/roms/monitor.asm || { echo "FAIL nasm"; exit 1; }
fails=0

for bad in "tcp:1234" "unix:" "unix:$T/x,wait" "unix:$T/no/such/dir/sock"; do
    "$RAWBOX" run --bios "$T/mon.bin" --monitor "$bad" --timeout 5 </dev/null >/dev/null 2>"$T/err"
    rc=$?
    if [ $rc = 0 ] || [ $rc = 124 ] || [ "$(wc -l <"$T/err")" != 1 ] || ! grep -q '^rawbox: ' "$T/err"; then
        echo "FAIL --monitor $bad: status $rc, $(head -c 200 "$T/err")"; fails=$((fails + 1))
    else
        echo "ok --monitor $bad refused: $(cat "$T/err")"
    fi
done

"$RAWBOX" run --bios "$T/mon.bin" --monitor "unix:$T/mon.sock" --debugcon "file:$T/con" \
    --timeout 60 </dev/null >"$T/out" 2>"$T/err" &
pid=$!
python3 - "$T/mon.sock" "$T/con" <<'PY'
import socket, sys, time
sock_path, con = sys.argv[1], sys.argv[2]
fails = 0
def check(ok, name, detail=""):
    global fails
    print(("ok " if ok else "FAIL ") + name + ("" if ok else ": " + detail))
    fails += 0 if ok else 1
for _ in range(100):
    try:
        s = socket.socket(socket.AF_UNIX); s.connect(sock_path); break
    except OSError:
        time.sleep(0.05)
else:
    print("FAIL cannot connect to the monitor"); sys.exit(1)
s.settimeout(10)
buf = b""
def until_prompt():
    global buf
    while b"(qemu) " not in buf:
        d = s.recv(4096)
        if not d: break
        buf += d
    text, _, buf = buf.partition(b"(qemu) ")
    return text.decode()
def cmd(c):
    s.sendall(c.encode() + b"\n"); return until_prompt()
def console(): return open(con).read()
check("monitor" in until_prompt(), "greeting and prompt")
check("system_powerdown" in cmd("help") , "help lists the commands")
check(cmd("info status").strip() == "VM status: running", "info status: running")
time.sleep(0.3)
cmd("stop")
check(cmd("info status").strip() == "VM status: paused", "info status after stop: paused")
time.sleep(0.2); n1 = console().count("t\n"); time.sleep(0.5); n2 = console().count("t\n")
check(n1 == n2, "stop: the vCPU does not run", "%d then %d t lines" % (n1, n2))
cmd("cont"); time.sleep(0.5); n3 = console().count("t\n")
check(n3 > n2, "cont: the vCPU runs again", "%d then %d" % (n2, n3))
cmd("sendkey ctrl-alt-delete"); time.sleep(0.3)
check("1d 38 e0 53 e0 d3 b8 9d " in console(), "sendkey ctrl-alt-delete: set 1 make and break codes", console()[-200:])
cmd("sendkey a 100"); time.sleep(0.3)
check("1e 9e " in console(), "sendkey with a hold time", console()[-100:])
check("unknown key" in cmd("sendkey ctrl-frob"), "sendkey: unknown key refused")
cmd("system_powerdown"); time.sleep(0.3)
check("pwrbtn" in console(), "system_powerdown presses the power button")
cmd("system_reset"); time.sleep(0.3)
check(console().count("boot\n") == 2, "system_reset: the ROM boots again", "%d boots" % console().count("boot\n"))
check("unknown command" in cmd("frobnicate"), "unknown command")
check("info registers" not in cmd("info registers") and "RIP=" in cmd("info registers"), "info registers")
s.sendall(b"quit\n")
sys.exit(1 if fails else 0)
PY
py=$?
wait $pid
rc=$?
pid=
[ $py = 0 ] || fails=$((fails + 1))
if [ $rc = 0 ]; then echo "ok quit: rawbox exits 0"; else echo "FAIL quit: status $rc ($(head -c 200 "$T/err"))"; fails=$((fails + 1)); fi
[ -e "$T/mon.sock" ] && { echo "FAIL the socket is left behind"; fails=$((fails + 1)); } || echo "ok the socket is removed"
[ $fails = 0 ]
