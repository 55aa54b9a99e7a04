#!/usr/bin/env python3
"""Check a disk written by tests/boot/crash_writer.asm (see its header for
the layout), read back as a raw file.

usage: crash_verify.py IMAGE.raw FLUSHED [--base BASE.raw]

Every sector of IMAGE must hold one of:
  - its block's content, if a block covers it: this is required of every
    block up to FLUSHED (the guest saw them flushed);
  - the base content (BASE's sector, or zeros without --base), for
    sectors no flushed block covers (blocks past FLUSHED may or may not
    have reached the disk, sector by sector).
Prints one line per problem (at most 10) and exits 1 if any, else prints
a summary and exits 0."""
import struct
import sys

STRIDE, SECTS, NMAX, SECTOR = 128, 4, 4000, 512


def block_of(lba):
    """(N, k0) when block N's sector k0 is at lba, else None."""
    for n in (lba // STRIDE, lba // STRIDE - 1):
        if 1 <= n <= NMAX:
            first = n * STRIDE + (n * 37) % STRIDE
            if first <= lba < first + SECTS:
                return n, lba - first
    return None


def sector_content(n, k):
    base = 0x5A000000 | n << 9 | k * 128
    return struct.pack("<128I", *range(base, base + 128))


def main():
    args = sys.argv[1:]
    base_path = None
    if "--base" in args:
        i = args.index("--base")
        base_path = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    path, flushed = args[0], int(args[1])
    problems = []
    written = 0
    chunk = 1 << 20
    zeros = bytes(chunk)
    with open(path, "rb") as img:
        base = open(base_path, "rb") if base_path else None
        off = 0
        while True:
            data = img.read(chunk)
            if not data:
                break
            old = base.read(len(data)) if base else zeros[:len(data)]
            old = old.ljust(len(data), b"\0")
            first_lba = off // SECTOR
            # The chunk can be skipped when it holds the base bytes and no
            # flushed block (a block is never the base: dword 0x5A......).
            top = min(flushed, (first_lba + len(data) // SECTOR) // STRIDE)
            if data == old and top < first_lba // STRIDE - 1:
                off += len(data)
                continue
            for s in range(len(data) // SECTOR):
                lba = first_lba + s
                got = data[s * SECTOR:(s + 1) * SECTOR]
                was = old[s * SECTOR:(s + 1) * SECTOR]
                owner = block_of(lba)
                if owner:
                    new = sector_content(*owner)
                    if got == new:
                        written += 1
                        continue
                    if owner[0] <= flushed:
                        what = "the base content" if got == was else "other bytes"
                        problems.append(f"block {owner[0]} sector {owner[1]} (LBA {lba}): "
                                        f"flushed but holds {what}")
                        continue
                if got != was:
                    problems.append(f"LBA {lba}: neither a block's content nor the base's"
                                    f" (first bytes {got[:8].hex()})")
            off += len(data)
    if off < (flushed + 1) * STRIDE * SECTOR:
        problems.append(f"image only {off} bytes long")
    for p in problems[:10]:
        print("  " + p)
    if problems:
        print(f"  {len(problems)} bad sectors")
        return 1
    print(f"  image holds blocks 1..{flushed} (and {written} block sectors in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
