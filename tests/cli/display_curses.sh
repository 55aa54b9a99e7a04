#!/bin/bash
# CLI test for --display curses, in a tmux pane (100x30): roms/monitor.asm
# prints the keyboard controller's bytes on port 0xE9 (a file here), so
# typed characters must arrive as set 1 make/break codes with the
# modifiers they need ('a', 'A' with shift, Ctrl-C with ctrl, Up and F1
# from curses' key codes); Ctrl-A C opens the monitor on the bottom lines
# and shows a command's reply; Ctrl-A X ends rawbox with status 0.
# Refused with one line: --serial stdio or --debugcon stdio beside curses
# (the terminal is the screen), and curses without a terminal.
# The drawing of a text mode needs a display adapter:
# tests/boot/display_pixels.sh.
# Environment: RAWBOX (default build/release/rawbox). Exit 0 = pass,
# 1 = fail, 77 = skipped.
set -uo pipefail
cd "$(dirname "$0")/../.."
RAWBOX=${RAWBOX:-build/release/rawbox}
RAWBOX=$(realpath "$RAWBOX")
T=$(mktemp -d)
SOCK="rawbox-curses-$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$T"' EXIT
command -v nasm >/dev/null || { echo "SKIP: nasm not installed"; exit 77; }
command -v tmux >/dev/null || { echo "SKIP: tmux not installed"; exit 77; }
nasm -f bin -o "$T/mon.bin" tests/cli/roms/monitor.asm || { echo "FAIL nasm"; exit 1; }
fails=0

refused() {     # refused WHAT ARGS...: one line "rawbox: ...", status 2
    local what=$1; shift
    "$RAWBOX" run --bios "$T/mon.bin" --timeout 5 "$@" </dev/null >/dev/null 2>"$T/err"
    local rc=$?
    if [ $rc != 2 ] || [ "$(wc -l <"$T/err")" != 1 ] || ! grep -q '^rawbox: --display curses' "$T/err"; then
        echo "FAIL $what: status $rc, $(head -c 200 "$T/err")"; fails=$((fails + 1))
    else
        echo "ok $what refused: $(cat "$T/err")"
    fi
}
"$RAWBOX" run --bios "$T/mon.bin" --display curses --timeout 5 </dev/null >/dev/null 2>"$T/err"
grep -q 'built without ncurses' "$T/err" && { echo "SKIP: rawbox built without ncurses"; exit 77; }
refused "curses without a terminal" --display curses
refused "curses beside --serial stdio" --display curses --serial stdio
refused "curses beside --debugcon stdio" --display curses --debugcon stdio

tmux -L "$SOCK" new-session -d -x 100 -y 30 \
    "TERM=xterm-256color '$RAWBOX' run --bios '$T/mon.bin' --display curses --debugcon 'file:$T/con' --timeout 60; echo \$? >'$T/rc'; sleep 30"
keys() { tmux -L "$SOCK" send-keys -t 0 "$@"; }
screen() { tmux -L "$SOCK" capture-pane -p -t 0; }
console() { tr -d '\n' <"$T/con" 2>/dev/null | sed 's/t//g'; }
for _ in $(seq 50); do grep -q boot "$T/con" 2>/dev/null && break; sleep 0.1; done
expect() {      # expect NAME BYTES: the guest printed BYTES
    for _ in $(seq 30); do console | grep -qF "$2" && break; sleep 0.1; done
    if console | grep -qF "$2"; then echo "ok $1: $2"
    else echo "FAIL $1: expected '$2', guest saw '$(console | tail -c 80)'"; fails=$((fails + 1)); fi
}
keys a; expect "'a'" "1e 9e "
keys A; expect "'A' with shift" "2a 1e 9e aa "
keys C-c; expect "Ctrl-C with ctrl" "1d 2e ae 9d "
keys Up; expect "Up (E0)" "e0 48 e0 c8 "
keys F1; expect "F1" "3b bb "
keys C-a c; sleep 0.3; keys "info status" Enter
for _ in $(seq 30); do screen | grep -q 'VM status: running' && break; sleep 0.1; done
if screen | grep -q 'VM status: running'; then echo "ok Ctrl-A C: the monitor answers on screen"
else echo "FAIL Ctrl-A C: no reply on screen:"; screen | tail -5; fails=$((fails + 1)); fi
n=$(console | wc -c)
keys b; sleep 0.4
[ "$(console | wc -c)" = "$n" ] && echo "ok monitor mode: keys do not reach the guest" ||
    { echo "FAIL monitor mode: a key reached the guest"; fails=$((fails + 1)); }
keys C-a c; keys z; expect "Ctrl-A C again: keys go to the guest" "2c ac "
keys C-a x
for _ in $(seq 50); do [ -s "$T/rc" ] && break; sleep 0.1; done
if [ "$(cat "$T/rc" 2>/dev/null)" = 0 ]; then echo "ok Ctrl-A X ends rawbox with status 0"
else echo "FAIL Ctrl-A X: status '$(cat "$T/rc" 2>/dev/null)'"; fails=$((fails + 1)); fi
[ $fails = 0 ] && echo "display_curses: all passed" || echo "display_curses: $fails failed"
[ $fails = 0 ]
