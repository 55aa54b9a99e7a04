#!/usr/bin/env python3
"""Drive a VM's serial console over pipes: wait for text, type commands.

    serial_drive.py [--timeout S] [--log FILE] [--step KIND:ARG]... -- CMD ARGS...

CMD runs with its stdin and stdout on pipes (the VM's serial port on
stdio). Steps run in order:
    expect:REGEX   wait until REGEX matches output not yet consumed
    expect@S:REGEX the same, waiting at most S seconds instead of --timeout
    send:TEXT      type TEXT and a newline
    mark:NAME      print "MARK NAME <seconds since launch>" to stderr
    cpu:NAME       print "CPU NAME <seconds since launch> <CMD's user+system
                   CPU seconds>" to stderr (from /proc; for bench/idle)
    sleep:S        keep reading output for S seconds, consuming nothing
    wait           wait for CMD to exit (then its status is ours)
    kill:US        keep reading output for US microseconds, then SIGKILL
                   CMD (not its session: a crash test's VM dies alone);
                   the exit status is then 137
Each expect waits at most --timeout seconds. The whole transcript goes to
--log (or is dropped). Exit status: CMD's status after `wait`, 0 if the
steps ended without `wait` (CMD is then killed), 124 on a timeout, 125 if
CMD exited while a step still expected output.
"""
import argparse
import os
import re
import select
import signal
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--log")
    ap.add_argument("--step", action="append", default=[])
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    if not cmd:
        ap.error("no command")

    log = open(a.log, "wb") if a.log else None
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    fd = p.stdout.fileno()
    os.set_blocking(fd, False)
    buf = b""        # output not yet consumed by an expect
    eof = False

    def pump(deadline):
        nonlocal buf, eof
        left = deadline - time.monotonic()
        if left <= 0 or eof:
            return False
        r, _, _ = select.select([fd], [], [], min(left, 0.5))
        if r:
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                return True
            if not data:
                eof = True
                return False
            buf += data
            if log:
                log.write(data)
                log.flush()
        return True

    def finish(status):
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        if log:
            log.close()
        sys.exit(status)

    for step in a.step:
        kind, _, arg = step.partition(":")
        limit = a.timeout
        if kind.startswith("expect@"):
            kind, _, secs = kind.partition("@")
            limit = float(secs)
        if kind == "expect":
            rx = re.compile(arg.encode())
            deadline = time.monotonic() + limit
            while True:
                m = rx.search(buf)
                if m:
                    buf = buf[m.end():]
                    break
                if eof:
                    print(f"serial_drive: output ended while expecting {arg!r}", file=sys.stderr)
                    finish(125)
                if time.monotonic() >= deadline:
                    print(f"serial_drive: timeout after {limit:.0f}s expecting {arg!r}",
                          file=sys.stderr)
                    finish(124)
                pump(deadline)
        elif kind == "send":
            try:
                # Type at a human pace: a guest UART without flow control
                # may drop bytes that arrive faster than it drains them.
                for ch in (arg + "\n").encode():
                    p.stdin.write(bytes([ch]))
                    p.stdin.flush()
                    time.sleep(0.002)
            except BrokenPipeError:
                print("serial_drive: VM closed its input", file=sys.stderr)
                finish(125)
        elif kind == "mark":
            print(f"MARK {arg} {time.monotonic() - t0:.3f}", file=sys.stderr, flush=True)
        elif kind == "cpu":
            with open(f"/proc/{p.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks = int(fields[11]) + int(fields[12])   # utime + stime
            secs = ticks / os.sysconf("SC_CLK_TCK")
            print(f"CPU {arg} {time.monotonic() - t0:.3f} {secs:.3f}", file=sys.stderr, flush=True)
        elif kind == "sleep":
            deadline = time.monotonic() + float(arg)
            while time.monotonic() < deadline:
                if not pump(deadline):
                    time.sleep(0.05)
        elif kind == "kill":
            deadline = time.monotonic() + int(arg) / 1e6
            while time.monotonic() < deadline:
                if not pump(deadline):
                    time.sleep(0.0005)
            try:
                os.kill(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
            while pump(time.monotonic() + 0.2):
                pass
            finish(128 - p.returncode if p.returncode < 0 else p.returncode)
        elif kind == "wait":
            deadline = time.monotonic() + a.timeout
            while p.poll() is None and time.monotonic() < deadline:
                if not pump(deadline):
                    time.sleep(0.05)
            if p.poll() is None:
                print(f"serial_drive: timeout after {a.timeout:.0f}s waiting for exit",
                      file=sys.stderr)
                finish(124)
            while pump(time.monotonic() + 0.2):
                pass
            finish(p.returncode)
        else:
            print(f"serial_drive: unknown step {step!r}", file=sys.stderr)
            finish(2)
    finish(0)


if __name__ == "__main__":
    main()
