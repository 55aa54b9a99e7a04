#!/usr/bin/env python3
"""Print bench/raw.sh's tables from the files it left in --dir:
native.out (the host's RESULT lines) and, per guest session, NAME.log (the
serial transcript, with rawbox's --stats blocks at its end) and NAME.driver
(serial_drive.py's MARK lines: host seconds at each BEGIN and RESULT).
A session's engine is its name up to the first '-': raw (raw mode with
RAWBOX_JIT=0), rawjit (raw mode with the recompiler, the default), jit,
interp, qemu."""
import argparse
import glob
import os
import re

ENGINES = ["raw", "rawjit", "jit", "interp", "qemu"]
LABEL = {"raw": "raw (JIT=0)", "rawjit": "raw+jit"}    # table headers
SHORT = {"rawjit": "raw+jit"}                           # narrow ones
PTI = ["rawpti", "interppti"]     # section 2 with the stock command line
COMPUTE = ["int", "mem-stream", "mem-random", "calls", "x87", "sse"]
ROUND_TRIPS = ["getpid", "syscall-insn", "pagefault", "spawn"]
PER = {"getpid": 1000, "syscall-insn": 1000, "pagefault": 256, "spawn": 1}   # operations a unit
RESULT = re.compile(r"^RESULT (\S+) (\d+) (\d+) ([0-9.]+) (\S+)")


def read_results(text):
    """(name, bits) -> [(units, seconds, check)], in order."""
    out = {}
    for line in text.splitlines():
        m = RESULT.match(line.strip("\r"))
        if m:
            out.setdefault((m[1], int(m[2])), []).append((int(m[3]), float(m[4]), m[5]))
    return out


def read_marks(path):
    marks = {}
    for line in open(path, errors="replace"):
        f = line.split()
        if len(f) == 3 and f[0] == "MARK":
            marks[f[1]] = float(f[2])
    return marks


def read_stats(text):
    """The --stats blocks at the end of a transcript: raw mode's, then the
    recompiler's (either may be missing)."""
    lines, on = [], False
    for line in text.splitlines():
        line = line.rstrip("\r")
        if line.startswith("raw mode:") or (line.startswith("jit: ") and not on):
            on, lines = True, [line]
        elif on and (line.startswith("  ") or line.startswith("jit: ")):
            lines.append(line)
        elif on:
            on = False
    return lines


def stat_times(stats):
    for line in stats:
        m = re.search(r"entries (\d+), native ([0-9.]+) s, (?:recompiler and )?interpreter "
                      r"([0-9.]+) s", line)
        if m:
            return int(m[1]), float(m[2]), float(m[3])
    return None


def fmt(x, width=8, prec=3):
    return f"{x:{width}.{prec}f}" if x is not None else f"{'-':>{width}}"


def main():
    ap = argparse.ArgumentParser()
    for k in ["dir", "load", "guest", "host", "qemu", "commit", "append"]:
        ap.add_argument("--" + k, default="")
    for k in ["units", "sys", "faults", "mix", "spawn", "cpuid", "host32", "seconds"]:
        ap.add_argument("--" + k, type=int, default=0)
    a = ap.parse_args()

    native = read_results(open(os.path.join(a.dir, "native.out")).read())
    res = {e: {} for e in ENGINES + PTI}     # engine -> (name, bits) -> [(units, s, check)]
    wall = {e: {} for e in ENGINES + PTI}    # engine -> (name, bits) -> host seconds
    stats, clocks, problems = {}, {}, []
    for log in sorted(glob.glob(os.path.join(a.dir, "*.log"))):
        session = os.path.basename(log)[:-4]
        eng = session.split("-")[0]
        if eng not in res:
            continue
        text = open(log, errors="replace").read()
        res[eng].update(read_results(text))
        drv = log[:-4] + ".driver"
        if os.path.exists(drv):
            marks = read_marks(drv)
            for k, t in marks.items():
                if k.startswith("b:") and "e:" + k[2:] in marks:
                    name, bits = k[2:].rsplit("/", 1)
                    wall[eng][(name, int(bits))] = marks["e:" + k[2:]] - t
            errs = [ln.strip() for ln in open(drv, errors="replace") if not ln.startswith("MARK")]
            if errs:
                problems.append(f"{session}: {errs[-1]}")
        st = read_stats(text)
        if st:
            stats[session] = st
        for line in text.splitlines():
            if line.startswith("CLOCK "):
                clocks[eng] = line.strip("\r")[6:]

    def nat(key, units):
        """Mean native seconds for `key` at `units` (runs before and after)."""
        rows = [r[1] for r in native.get(key, []) if r[0] == units]
        return sum(rows) / len(rows) if rows else None

    def one(table, key, units=None):
        """The result for `key` (at `units` if given; else the last)."""
        rows = table.get(key, [])
        if units is not None:
            rows = [r for r in rows if r[0] == units]
        return rows[-1] if rows else None

    print(f"rawbox {a.commit}; guest {a.guest} (amd64), 512 MiB, \"{a.append}\"")
    print(f"host: {a.host}; load average (1/5/15 min) before -> after: {a.load}")
    print(f"QEMU: {a.qemu or 'not installed'}; guest sessions took {a.seconds} s")
    for p in problems:
        print(f"PROBLEM {p}")

    # 1. compute
    print(f"\n1. Guest user compute: seconds for {a.units} units by the guest's clock; "
          "x = time / native time")
    print("   ~ = measured over fewer units and scaled up;  ! = the guest's clock and the "
          "host's disagree (see the cross-check)")
    if not a.host32:
        print("   32-bit rows: the host runs no 32-bit code, so x is against the 64-bit build")
    print("   raw (JIT=0) = raw mode with RAWBOX_JIT=0 (the old default); raw+jit = raw mode with "
          "the recompiler (the default); jit = --engine jit")
    hdr = f"   {'program':<12}{'bits':>4} {'native':>8}"
    for e in ENGINES:
        hdr += f" {LABEL.get(e, e):>17}"
    print(hdr)
    scaled = {e: set() for e in ENGINES}
    skew = []
    for name in COMPUTE:
        for bits in (64, 32):
            nat_s = nat((name, bits), a.units)
            if nat_s is None and not a.host32:
                nat_s = nat((name, 64), a.units)
            shown = "n/a" if (bits == 32 and not a.host32) else fmt(nat_s)
            row = f"   {name:<12}{bits:>4} {shown:>8}"
            for e in ENGINES:
                r = one(res[e], (name, bits))
                if not r:
                    row += f" {'-':>17}"
                    continue
                t = r[1] * a.units / r[0]
                flag = "~" if r[0] != a.units else " "
                if r[0] != a.units:
                    scaled[e].add((name, r[0]))
                w = wall[e].get((name, bits))
                bad = w is not None and abs(w - r[1]) > max(0.03, 0.05 * w)
                if bad:
                    skew.append((e, name, bits, r[1], w))
                x = f"{t / nat_s:6.1f}x" if nat_s else f"{'':7}"
                row += f" {t:7.2f}{flag}{'!' if bad else ' '}{x}"
            print(row)
    why = {"qemu": "to keep the run short",
           "raw": "32-bit code is interpreted on this host",
           "rawjit": "32-bit code goes through the recompiler on this host",
           "jit": "code the recompiler leaves to handlers would take too long",
           "interp": "interpreted code would take too long"}
    for e in ENGINES:
        if scaled[e]:
            units = sorted({u for _, u in scaled[e]})
            print(f"   {LABEL.get(e, e)}: ~ rows ran {' or '.join(map(str, units))} units instead of "
                  f"{a.units} ({why[e]})")

    cp = {e: one(res[e], ("cpuid-page", 64)) for e in ENGINES}
    cpn = nat(("cpuid-page", 64), 100)
    line = (f"   cpuid-page    64 (a {a.cpuid} Mi-turn loop on a code page holding CPUID): native "
            f"{fmt(cpn * a.cpuid / 100 if cpn else None, 0, 4)} s")
    for e in ENGINES:
        if cp[e]:
            line += f", {LABEL.get(e, e)} {cp[e][1] * a.cpuid / cp[e][0]:.3f} s"
    print(line)
    spread = []
    for name in COMPUTE:
        rows = [r[1] for r in native.get((name, 64), []) if r[0] == a.units]
        if len(rows) > 1:
            spread.append(f"{name} " + "/".join(f"{t:.2f}" for t in rows))
    if spread:
        print("   native 64-bit runs before/after the guests (the table shows their mean): " +
              ", ".join(spread))

    print("\n   Clock cross-check (unscaled): seconds by the guest's clock / host seconds "
          "between the BEGIN and RESULT lines on the serial console")
    hdr = f"   {'program':<12}{'bits':>4}"
    for e in ENGINES:
        hdr += f" {LABEL.get(e, e):>18}"
    print(hdr)
    for name in COMPUTE + ["cpuid-page", "spawn", "mixed"]:
        for bits in (64, 32):
            if not any((name, bits) in res[e] for e in ENGINES):
                continue
            row = f"   {name:<12}{bits:>4}"
            for e in ENGINES:
                r, w = one(res[e], (name, bits)), wall[e].get((name, bits))
                row += f" {fmt(r[1] if r else None, 8, 2)} /{fmt(w, 8, 2)}"
            print(row)
    if skew:
        print("   disagreeing by more than 5 % (or 30 ms): " +
              "; ".join(f"{e} {n}/{b} {g:.2f} vs {w:.2f} s" for e, n, b, g, w in skew))

    # Check values: equal work must give equal results everywhere.
    checks = {}
    for src, table in [("native", native)] + [(e, res[e]) for e in ENGINES]:
        for (name, bits), rows in table.items():
            if name not in COMPUTE:
                continue
            for units, _, check in rows:
                checks.setdefault((name, bits, units), {})[src] = check
    diff = [(k, v) for k, v in sorted(checks.items()) if len(set(v.values())) > 1]
    if diff:
        print("   CHECK VALUES DIFFER (same program, same units, different results):")
        for (name, bits, units), v in diff:
            print(f"     {name}/{bits} x {units}: " + ", ".join(f"{s} {c}" for s, c in v.items()))
    else:
        n = sum(1 for v in checks.values() if len(v) > 1)
        print(f"   check values: equal wherever the same program ran the same units "
              f"({n} comparisons)")

    # 2. system calls and page faults
    print(f"\n2. Round trips, microseconds per operation by the guest's clock: "
          f"{a.sys}000 of each system call, {a.faults * 256} fresh pages, "
          f"{a.spawn} fork+exec+wait")
    hdr = f"   {'operation':<22}{'bits':>4} {'native':>8}"
    for e in ENGINES:
        hdr += f" {SHORT.get(e, e):>8}"
    hdr += f" {'raw st.':>8} {'int. st.':>8}"
    print(hdr)
    for bits in (64, 32):
        for name in ROUND_TRIPS:
            lab = {"getpid": "getpid() via libc",
                   "syscall-insn": "getppid, " + ("syscall" if bits == 64 else "int $0x80"),
                   "pagefault": "page fault (write)",
                   "spawn": "fork+exec+wait"}[name]
            per = PER[name]

            def us(r):
                return r[1] / (r[0] * per) * 1e6 if r else None
            nus = [us(r) for r in native.get((name, bits), [])]
            row = f"   {lab:<22}{bits:>4} {fmt(sum(nus) / len(nus) if nus else None, 8, 2)}"
            for e in ENGINES + PTI:
                row += f" {fmt(us(one(res[e], (name, bits))), 8, 2)}"
            print(row)
    print("   raw columns: raw mode with RAWBOX_JIT=0 (the kernel interpreted); raw+jit: the "
          "default (the kernel through the recompiler); fork+exec+wait runs the guest's "
          "/bin/true (static busybox), natively the same binary")
    print("   st. columns: the stock command line (no mitigations=off), a quarter of the "
          "operations: the guest kernel's Spectre mitigations on (retpolines, RSB filling); "
          "no page-table isolation, the CPU model reports RDCL_NO")
    bad = [f"{e} {bits}-bit: {int(r[2], 16)} of {r[0]}"
           for e in ENGINES + PTI for bits in (64, 32)
           for r in res[e].get(("spawn", bits), []) if int(r[2], 16) != r[0]] + \
          [f"native {bits}-bit: {int(r[2], 16)} of {r[0]}"
           for bits in (64, 32) for r in native.get(("spawn", bits), []) if int(r[2], 16) != r[0]]
    if bad:
        print("   FORK+EXEC: children that did not exit with status 0 (exited cleanly / ran): " +
              "; ".join(bad))
    for e in ENGINES + PTI:
        if e in clocks:
            print(f"   clock check ({e}), one second of nanosleep: {clocks[e]}")
    print("   Raw mode's host time (from --stats), native vs interpreter (raw+jit: recompiler "
          "and interpreter):")
    for s in ["raw-boot", "raw-sys", "rawjit-boot", "rawjit-sys", "rawpti-sys"]:
        t = stat_times(stats.get(s, []))
        if not t:
            continue
        line = (f"     {s:<11} {t[0]:7d} entries, native {t[1]:6.2f} s, "
                f"{'jit+interp' if s.startswith('rawjit') else 'interpreter'} "
                f"{t[2]:6.2f} s: {100 * t[1] / (t[1] + t[2]):5.1f} % native")
        base = stat_times(stats.get(s.split("-")[0] + "-boot", []))
        if base and s.endswith("-sys") and s != "rawpti-sys":
            dn, di = t[1] - base[1], t[2] - base[2]
            if dn > 0 and di > 0:
                line += (f"; less the boot: native {dn:.2f} s, the rest {di:.2f} s, "
                         f"{100 * dn / (dn + di):.1f} % native")
            else:
                line += "; less the boot: not measurable (the boot varies more than the section)"
        print(line)

    # 3. mixed
    print(f"\n3. Mixed shell loop, {a.mix} iterations (each: mix64 = 256 KiB hashing, 500 "
          "system calls, 64 fresh pages; echo | cat; ls | wc)")
    base = one(res["qemu"], ("mixed", 64))
    for e in ENGINES:
        r = one(res[e], ("mixed", 64))
        if not r:
            print(f"   {LABEL.get(e, e):<12} -")
            continue
        w = wall[e].get(("mixed", 64))
        x = f", {r[1] / base[1]:.2f}x QEMU's time" if base and e != "qemu" else ""
        print(f"   {LABEL.get(e, e):<12} {r[1]:8.2f} s by the guest's clock, {fmt(w, 0, 2)} s host "
              f"({1000 * r[1] / r[0]:.0f} ms per iteration{x})")

    # 4. raw stats
    print("\n4. Raw mode's and the recompiler's --stats for each of their sessions (the whole VM "
          "run, boot included)")
    worst = None
    for s in ["raw-boot", "raw-compute", "raw-sys", "raw-mixed", "rawjit-boot", "rawjit-compute",
              "rawjit-sys", "rawjit-mixed", "jit", "rawpti-sys"]:
        if s not in stats:
            print(f"   {s}: no --stats block")
            continue
        print(f"   {s}:")
        for line in stats[s]:
            print("     " + line)
            m = re.search(r"worst ([0-9.]+) us", line)
            if m and (worst is None or float(m[1]) > worst[0]):
                worst = (float(m[1]), s)
    if worst:
        print(f"   worst timer-kick latency: {worst[0]:.1f} us ({worst[1]})")
    for s in ["rawjit-boot", "jit"]:
        if not any(ln.startswith("jit: ") for ln in stats.get(s, [])):
            print(f"   {s}: NO jit --stats block (was the recompiler attached?)")

    targets(a, res, nat, one, {(e, n, b) for e, n, b, _, _ in skew})


def targets(a, res, nat, one, skewed):
    """5. Issue 10's targets for the recompiler, read off the tables above;
    * marks a figure that meets its target, ! one whose guest clock
    disagreed with the host's (not counted as met)."""
    print("\n5. The recompiler's targets (issue 10), from the tables above; * = met, ! = the "
          "guest's clock disagreed with the host's (boot time: bench/boot)")
    print("   user compute under --engine jit: time / native (target <= 2.5), QEMU's time / "
          "jit's (target >= 2; x87 and sse >= 5)")
    print(f"   {'program':<12}{'bits':>4} {'jit/native':>11} {'qemu/jit':>9}")
    for name in COMPUTE:
        for bits in (64, 32):
            nat_s = nat((name, bits), a.units)
            if nat_s is None and not a.host32:
                nat_s = nat((name, 64), a.units)
            j, q = one(res["jit"], (name, bits)), one(res["qemu"], (name, bits))
            jt = j[1] / j[0] if j else None          # seconds per unit
            qt = q[1] / q[0] if q else None
            row = f"   {name:<12}{bits:>4}"

            def mark(ok, *engines):
                if any((e, name, bits) in skewed for e in engines):
                    return "!"
                return "*" if ok else " "
            if jt and nat_s:
                x = jt * a.units / nat_s
                row += f" {x:10.1f}{mark(x <= 2.5, 'jit')}"
            else:
                row += f" {'-':>11}"
            if jt and qt:
                x = qt / jt
                row += f" {x:8.1f}{mark(x >= (5 if name in ('x87', 'sse') else 2), 'jit', 'qemu')}"
            else:
                row += f" {'-':>9}"
            print(row)
    print("   kernel-heavy work: QEMU's time / rawbox's (target >= 2)")
    hdr = f"   {'operation':<22}{'bits':>4}"
    for e in ["rawjit", "jit", "interp", "raw"]:
        hdr += f" {LABEL.get(e, e):>12}"
    print(hdr)
    rows = [(n, b) for b in (64, 32) for n in ROUND_TRIPS] + [("mixed", 64)]
    for name, bits in rows:
        lab = {"getpid": "getpid() via libc",
               "syscall-insn": "getppid, " + ("syscall" if bits == 64 else "int $0x80"),
               "pagefault": "page fault (write)", "spawn": "fork+exec+wait",
               "mixed": "mixed shell loop"}[name]
        q = one(res["qemu"], (name, bits))
        row = f"   {lab:<22}{bits:>4}"
        for e in ["rawjit", "jit", "interp", "raw"]:
            r = one(res[e], (name, bits))
            if q and r and r[1] > 0:
                x = (q[1] / q[0]) / (r[1] / r[0])
                row += f" {x:11.2f}{'*' if x >= 2 else ' '}"
            else:
                row += f" {'-':>12}"
        print(row)


if __name__ == "__main__":
    main()
