#!/usr/bin/env python3
"""Check a bench/raw program's layout for raw mode (bench/raw.sh).

    pagecheck.py PROGRAM

The program's own code lies between the page-aligned symbols
rawbench_code_begin and rawbench_code_end (common.h). Raw mode interprets
every code page holding the byte pair 0F A2 (CPUID), so none of those
pages may hold it, and main must lie between the two. Prints nothing and
exits 0 when all is well; otherwise says what is wrong and exits 1."""
import struct
import sys


def main():
    path = sys.argv[1]
    data = open(path, "rb").read()
    is64 = data[4] == 2
    if is64:
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    else:
        shoff, = struct.unpack_from("<I", data, 0x20)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x2e)

    def section(i):
        o = shoff + i * shentsize
        if is64:
            name, typ, _, addr, off, size, link = struct.unpack_from("<IIQQQQI", data, o)
        else:
            name, typ, _, addr, off, size, link = struct.unpack_from("<IIIIIII", data, o)
        return name, typ, addr, off, size, link

    secs = [section(i) for i in range(shnum)]
    strtab = secs[shstrndx]

    def name_at(tab, idx):
        start = tab[3] + idx
        return data[start:data.index(b"\0", start)].decode()

    syms = {}
    for s in secs:
        if s[1] != 2:           # SHT_SYMTAB
            continue
        names = secs[s[5]]
        esz = 24 if is64 else 16
        for o in range(s[3], s[3] + s[4], esz):
            if is64:
                nm, _, _, _, value, _ = struct.unpack_from("<IBBHQQ", data, o)
            else:
                nm, value, _, _, _, _ = struct.unpack_from("<IIIBBH", data, o)
            syms[name_at(names, nm)] = value
    try:
        lo, hi, entry = syms["rawbench_code_begin"], syms["rawbench_code_end"], syms["main"]
    except KeyError as e:
        print(f"{path}: no symbol {e}")
        return 1
    if not lo <= entry < hi:
        print(f"{path}: main ({entry:#x}) lies outside its guarded pages {lo:#x}-{hi:#x}")
        return 1
    text = next((s for s in secs if name_at(strtab, s[0]) == ".text"), None)
    if text is None or not text[2] <= lo < hi <= text[2] + text[4]:
        print(f"{path}: the guarded pages are not inside .text")
        return 1
    # One byte either side: a pair may straddle a page edge.
    body = data[text[3] + lo - text[2] - 1:text[3] + hi - text[2] + 1]
    at = body.find(b"\x0f\xa2")
    if at >= 0:
        print(f"{path}: a 0F A2 byte pair at {lo - 1 + at:#x} lies on its own code's pages: "
              "raw mode would interpret them")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
