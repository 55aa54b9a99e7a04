/* Unit tests for the I/O port bus (src/hw/iobus.c): dispatch with offsets,
 * splitting of wide accesses into byte cycles, unassigned ports, overlap
 * refusal, unregistering. */
#include "test.h"
#include "mem/iobus.h"
#include "util/log.h"

struct dev {
    uint8_t regs[16];
    unsigned reads, writes, last_size;
    uint64_t last_off;
};

static uint64_t rd(void *s, uint64_t off, unsigned size)
{
    struct dev *d = s;
    uint64_t v = 0;
    d->reads++;
    d->last_off = off;
    d->last_size = size;
    for (unsigned k = 0; k < size; k++)
        v |= (uint64_t)d->regs[(off + k) & 15] << (8 * k);
    return v | 0xdead00000000ull;       /* junk above the size must be masked */
}

static void wr(void *s, uint64_t off, uint64_t val, unsigned size)
{
    struct dev *d = s;
    d->writes++;
    d->last_off = off;
    d->last_size = size;
    for (unsigned k = 0; k < size; k++)
        d->regs[(off + k) & 15] = (uint8_t)(val >> (8 * k));
}

int main(void)
{
    struct iobus b;
    struct dev a = { 0 }, c = { 0 }, w = { 0 };
    struct io_handler ha = { rd, wr, &a, 1 };
    struct io_handler hc = { rd, wr, &c, 0 };
    struct io_handler hw = { rd, wr, &w, 1 | 2 | 4 };
    struct io_handler hro = { rd, NULL, &w, 1 };

    log_mask = 0;
    CHECK(iobus_init(&b) == 0, "init");
    CHECK(iobus_register(&b, 0x3F8, 8, &ha, "uart") == 0, "register byte device at 0x3f8");
    CHECK(iobus_register(&b, 0x400, 2, &hc, "next") == 0, "register a second device");
    CHECK(iobus_register(&b, 0x3FF, 2, &hc, "bad") != 0, "overlap refused");
    CHECK(iobus_register(&b, 0xFFFF, 2, &hc, "bad") != 0, "range past 0xffff refused");
    CHECK(iobus_register(&b, 0xCF8, 8, &hw, "pci") == 0, "register a 32-bit capable device");

    iobus_out(&b, 0x3F9, 0x5a, 1);
    CHECK(a.last_off == 1 && a.last_size == 1 && a.regs[1] == 0x5a, "byte write gets offset 1");
    CHECK_EQ(iobus_in(&b, 0x3F9, 1), 0x5a, "byte read back, junk above masked");

    a.writes = 0;
    iobus_out(&b, 0x3FA, 0x1234, 2);
    CHECK(a.writes == 2 && a.regs[2] == 0x34 && a.regs[3] == 0x12, "word to byte device: two byte writes");
    a.reads = 0;
    CHECK_EQ(iobus_in(&b, 0x3FA, 4), 0x1234 | ((uint32_t)a.regs[4] << 16) | ((uint32_t)a.regs[5] << 24),
             "dword from byte device assembled from four bytes");
    CHECK_EQ(a.reads, 4, "four byte reads");

    /* A word access across two devices: low byte to one, high byte to the other. */
    a.writes = c.writes = 0;
    iobus_out(&b, 0x3FF, 0xBBAA, 2);
    CHECK(a.writes == 1 && a.regs[7] == 0xAA, "split word: low byte to the first device");
    CHECK(c.writes == 1 && c.regs[0] == 0xBB && c.last_off == 0, "split word: high byte to the next device at offset 0");
    CHECK_EQ(iobus_in(&b, 0x3FF, 2), 0xBBAA, "split word read");

    /* Word access half unassigned. */
    CHECK_EQ(iobus_in(&b, 0x401, 2), 0xff00u | c.regs[1], "word straddling the end of a range: high half all ones");

    w.reads = 0;
    iobus_out(&b, 0xCFC, 0x80001234u, 4);
    CHECK(w.last_size == 4 && w.last_off == 4, "dword to 32-bit device passed whole");
    CHECK_EQ(iobus_in(&b, 0xCFC, 4), 0x80001234u, "dword read whole");
    CHECK_EQ(w.reads, 1, "one device read");
    w.reads = 0;
    CHECK_EQ(iobus_in(&b, 0xCFD, 2), 0x0012, "misaligned word split into bytes");
    CHECK_EQ(w.reads, 2, "two byte reads for the misaligned word");

    CHECK_EQ(iobus_in(&b, 0x80, 1), 0xff, "unassigned byte reads 0xff");
    CHECK_EQ(iobus_in(&b, 0x80, 2), 0xffff, "unassigned word reads 0xffff");
    CHECK_EQ(iobus_in(&b, 0x80, 4), 0xffffffffu, "unassigned dword reads all ones");
    iobus_out(&b, 0x80, 1, 1);
    CHECK(1, "unassigned write is dropped");
    CHECK_EQ(iobus_in(&b, 0xFFFF, 2), 0xffff, "word at 0xffff wraps to port 0 without crashing");

    iobus_unregister(&b, 0x3F8);
    CHECK_EQ(iobus_in(&b, 0x3F9, 1), 0xff, "unregistered range reads all ones");
    CHECK(iobus_register(&b, 0x3F8, 8, &hro, "ro") == 0, "slot reused after unregister");
    iobus_out(&b, 0x3F8, 0x77, 1);
    CHECK(1, "write to a device without a write handler is dropped");
    CHECK(iobus_register(&b, 0x2F8, 8, &ha, "uart2") == 0, "register after reuse");
    iobus_free(&b);
    return test_summary();
}
