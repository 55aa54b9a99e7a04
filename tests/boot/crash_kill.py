#!/usr/bin/env python3
"""Run a command and SIGKILL it a moment after a line shows up in a file.

usage: crash_kill.py FILE LINE DELAY_US LOG -- CMD...

Starts CMD (stdout and stderr to LOG; started from here because Python
itself may take a second to start on a busy host), polls FILE every
0.5 ms until it holds LINE (a whole line), sleeps DELAY_US microseconds
and sends SIGKILL. If CMD ends first, nothing is killed. Exits with CMD's
status as a shell reports it (137 when killed). Used by
tests/boot/crash_ide.sh."""
import os
import signal
import subprocess
import sys
import time


def main():
    args = sys.argv[1:]
    if len(args) < 6 or args[4] != "--":
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    path, line, delay, log = args[0], args[1].encode() + b"\n", int(args[2]) / 1e6, args[3]
    with open(log, "wb") as out:
        child = subprocess.Popen(args[5:], stdout=out, stderr=subprocess.STDOUT)
    while child.poll() is None:
        try:
            with open(path, "rb") as f:
                text = f.read()
        except FileNotFoundError:
            text = b""
        if text.startswith(line) or b"\n" + line in text:
            time.sleep(delay)
            try:
                os.kill(child.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            break
        time.sleep(0.0005)
    rc = child.wait()
    return 128 - rc if rc < 0 else rc


if __name__ == "__main__":
    sys.exit(main())
