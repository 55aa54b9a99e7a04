#!/usr/bin/env python3
"""Print bench/raw.sh's tables from the files it left in --dir:
native.out (the host's RESULT lines) and, per guest session, NAME.log (the
serial transcript, with rawbox's --stats block at its end) and NAME.driver
(serial_drive.py's MARK lines: host seconds at each BEGIN and RESULT).
A session's engine is its name up to the first '-'."""
import argparse
import glob
import os
import re

ENGINES = ["raw", "interp", "qemu"]
PTI = ["rawpti", "interppti"]     # section 2 with the stock command line
COMPUTE = ["int", "mem-stream", "mem-random", "calls", "x87", "sse"]
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
    lines, on = [], False
    for line in text.splitlines():
        line = line.rstrip("\r")
        if line.startswith("raw mode:"):
            on, lines = True, [line]
        elif on and line.startswith("  "):
            lines.append(line)
        elif on:
            on = False
    return lines


def stat_times(stats):
    for line in stats:
        m = re.search(r"entries (\d+), native ([0-9.]+) s, interpreter ([0-9.]+) s", line)
        if m:
            return int(m[1]), float(m[2]), float(m[3])
    return None


def fmt(x, width=8, prec=3):
    return f"{x:{width}.{prec}f}" if x is not None else f"{'-':>{width}}"


def main():
    ap = argparse.ArgumentParser()
    for k in ["dir", "load", "guest", "host", "qemu", "commit", "append"]:
        ap.add_argument("--" + k, default="")
    for k in ["units", "sys", "faults", "mix", "cpuid", "host32", "seconds"]:
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
    hdr = f"   {'program':<12}{'bits':>4} {'native':>8}"
    for e in ENGINES:
        hdr += f" {e:>17}"
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
    for e in ENGINES:
        if scaled[e]:
            units = sorted({u for _, u in scaled[e]})
            why = "to keep the run short" if e == "qemu" else "interpreted code would take too long"
            print(f"   {e}: ~ rows ran {' or '.join(map(str, units))} units instead of "
                  f"{a.units} ({why})")

    cp = {e: one(res[e], ("cpuid-page", 64)) for e in ENGINES}
    cpn = nat(("cpuid-page", 64), 100)
    line = (f"   cpuid-page    64 (a {a.cpuid} Mi-turn loop on a code page holding CPUID): native "
            f"{fmt(cpn * a.cpuid / 100 if cpn else None, 0, 4)} s")
    for e in ENGINES:
        if cp[e]:
            line += f", {e} {cp[e][1] * a.cpuid / cp[e][0]:.3f} s"
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
        hdr += f" {e:>18}"
    print(hdr)
    for name in COMPUTE + ["cpuid-page", "mixed"]:
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
          f"{a.sys}000 of each system call, {a.faults * 256} fresh pages")
    hdr = f"   {'operation':<22}{'bits':>4} {'native':>8}"
    for e in ENGINES:
        hdr += f" {e:>8}"
    hdr += f" {'raw st.':>8} {'int. st.':>8}"
    print(hdr)
    for bits in (64, 32):
        for name in ["getpid", "syscall-insn", "pagefault"]:
            lab = {"getpid": "getpid() via libc",
                   "syscall-insn": "getppid, " + ("syscall" if bits == 64 else "int $0x80"),
                   "pagefault": "page fault (write)"}[name]
            per = 256 if name == "pagefault" else 1000

            def us(r):
                return r[1] / (r[0] * per) * 1e6 if r else None
            nus = [us(r) for r in native.get((name, bits), [])]
            row = f"   {lab:<22}{bits:>4} {fmt(sum(nus) / len(nus) if nus else None, 8, 2)}"
            for e in ENGINES + PTI:
                row += f" {fmt(us(one(res[e], (name, bits))), 8, 2)}"
            print(row)
    print("   st. columns: the stock command line (no mitigations=off), a quarter of the "
          "operations: the guest kernel's Spectre mitigations on (retpolines, RSB filling); "
          "no page-table isolation, the CPU model reports RDCL_NO")
    for e in ENGINES + PTI:
        if e in clocks:
            print(f"   clock check ({e}), one second of nanosleep: {clocks[e]}")
    print("   Raw mode's host time (from --stats), native vs interpreter:")
    base = stat_times(stats.get("raw-boot", []))
    for s in ["raw-boot", "raw-sys", "rawpti-sys"]:
        t = stat_times(stats.get(s, []))
        if not t:
            continue
        line = (f"     {s:<11} {t[0]:7d} entries, native {t[1]:6.2f} s, interpreter "
                f"{t[2]:6.2f} s: {100 * t[1] / (t[1] + t[2]):5.1f} % native")
        if base and s == "raw-sys":
            dn, di = t[1] - base[1], t[2] - base[2]
            if dn > 0 and di > 0:
                line += (f"; less raw-boot: native {dn:.2f} s, interpreter {di:.2f} s, "
                         f"{100 * dn / (dn + di):.1f} % native")
            else:
                line += "; less raw-boot: not measurable (the boot varies more than the section)"
        print(line)

    # 3. mixed
    print(f"\n3. Mixed shell loop, {a.mix} iterations (each: mix64 = 256 KiB hashing, 500 "
          "system calls, 64 fresh pages; echo | cat; ls | wc)")
    base = one(res["raw"], ("mixed", 64))
    for e in ENGINES:
        r = one(res[e], ("mixed", 64))
        if not r:
            print(f"   {e:<8} -")
            continue
        w = wall[e].get(("mixed", 64))
        x = f", {r[1] / base[1]:.2f}x raw's time" if base and e != "raw" else ""
        print(f"   {e:<8} {r[1]:8.2f} s by the guest's clock, {fmt(w, 0, 2)} s host "
              f"({1000 * r[1] / r[0]:.0f} ms per iteration{x})")

    # 4. raw stats
    print("\n4. Raw mode's --stats for each raw session (the whole VM run, boot included)")
    worst = None
    for s in ["raw-boot", "raw-compute", "raw-sys", "raw-mixed", "rawpti-sys"]:
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


if __name__ == "__main__":
    main()
