#!/usr/bin/env python3
"""Screen checks for tests/boot/vga_screen.sh, standard library only.

  vga_png.py pattern FILE.png          the VBE test picture: 640x480, pixel
                                       (x, y) = R x&255, G y&255, B (x^y)&255
  vga_png.py same A B                  A and B (PNG or PPM) hold the same pixels
  vga_png.py text OURS THEIRS          text screens (9x16 cells): every text
                                       row of THEIRS (QEMU) shows up, pixel for
                                       pixel up to its last lit column, as a
                                       row of OURS; the first rows are equal
Prints "ok ..." or "FAIL ..." lines; exit status 1 on any failure.
"""
import struct
import sys
import zlib


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(path + ": not a PNG")
    pos, idat, w = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            if depth != 8 or ctype != 2:
                raise ValueError(path + ": not 8-bit RGB")
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride, rows, prev = w * 3, [], bytearray(w * 3)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - 3] if i >= 3 else 0
            b = prev[i]
            c = prev[i - 3] if i >= 3 else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, rows


def read_ppm(path):
    data = open(path, "rb").read()
    parts = data.split(None, 4)
    if parts[0] != b"P6":
        raise ValueError(path + ": not a P6 PPM")
    w, h = int(parts[1]), int(parts[2])
    px = parts[4] if len(parts[4]) == w * h * 3 else data[len(data) - w * h * 3:]
    return w, h, [px[y * w * 3:(y + 1) * w * 3] for y in range(h)]


def read_any(path):
    return read_ppm(path) if path.endswith(".ppm") else read_png(path)


failed = 0


def check(ok, what):
    global failed
    print(("ok " if ok else "FAIL ") + what)
    failed += 0 if ok else 1


def pattern(path):
    w, h, rows = read_png(path)
    check((w, h) == (640, 480), "%s is 640x480 (%dx%d)" % (path, w, h))
    if (w, h) != (640, 480):
        return
    bad = 0
    for y in range(h):
        want = bytearray()
        for x in range(w):
            want += bytes((x & 255, y & 255, (x ^ y) & 255))
        if rows[y] != bytes(want):
            if bad == 0:
                x = next(i // 3 for i in range(len(want)) if rows[y][i] != want[i])
                print("  first difference at (%d, %d): %s, want %s" %
                      (x, y, rows[y][3 * x:3 * x + 3].hex(), bytes(want[3 * x:3 * x + 3]).hex()))
            bad += 1
    check(bad == 0, "every pixel of the VBE pattern (%d bad rows)" % bad)


def same(a, b):
    wa, ha, ra = read_any(a)
    wb, hb, rb = read_any(b)
    check((wa, ha) == (wb, hb), "same size (%dx%d, %dx%d)" % (wa, ha, wb, hb))
    if (wa, ha) == (wb, hb):
        diff = sum(1 for y in range(ha) if ra[y] != rb[y])
        check(diff == 0, "same pixels as %s (%d rows differ)" % (b, diff))


def text(ours, theirs):
    wo, ho, ro = read_any(ours)
    wt, ht, rt = read_any(theirs)
    check((wo, ho) == (720, 400), "text screen is 720x400 (%dx%d)" % (wo, ho))
    check((wt, ht) == (720, 400), "QEMU's is 720x400 (%dx%d)" % (wt, ht))
    if (wo, ho) != (720, 400) or (wt, ht) != (720, 400):
        return
    bg = rt[0][0:3]

    def band(rows, i):
        return rows[16 * i:16 * i + 16]

    def lit(rows, i):
        # last lit byte column in the band, and the number of lit pixels
        last, count = -1, 0
        for r in band(rows, i):
            for x in range(0, 720 * 3, 3):
                if r[x:x + 3] != bg:
                    count += 1
                    last = max(last, x + 3)
        return last, count

    check(band(ro, 0) == band(rt, 0), "first text row (the SeaBIOS banner) pixel for pixel")
    found = 0
    for i in range(25):
        last, count = lit(rt, i)
        if count < 40:           # empty, or only the cursor
            continue
        want = [r[:last] for r in band(rt, i)]
        hit = [j for j in range(25) if [r[:last] for r in band(ro, j)] == want]
        check(bool(hit), "QEMU's text row %d (%d lit pixels) is on our screen%s" %
              (i, count, " as row %d" % hit[0] if hit else ""))
        found += 1
    check(found >= 2, "QEMU's screen had text to compare (%d rows)" % found)


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    try:
        if cmd == "pattern" and len(sys.argv) == 3:
            pattern(sys.argv[2])
        elif cmd == "same" and len(sys.argv) == 4:
            same(sys.argv[2], sys.argv[3])
        elif cmd == "text" and len(sys.argv) == 4:
            text(sys.argv[2], sys.argv[3])
        else:
            print(__doc__)
            sys.exit(2)
    except (OSError, ValueError, zlib.error) as e:
        check(False, str(e))
    sys.exit(1 if failed else 0)
