/* Unit tests for the guest-physical map (src/mem/physmem.c): RAM in a memfd,
 * ROM, MMIO splitting, unassigned reads, overlap refusal, A20, code pages. */
#include "test.h"
#include "mem/physmem.h"
#include "util/log.h"

struct fake_dev {
    uint64_t last_off, last_val;
    unsigned last_size, nreads, nwrites;
    uint8_t regs[64];
};

static uint64_t dev_read(void *s, uint64_t off, unsigned size)
{
    struct fake_dev *d = s;
    uint64_t v = 0;
    d->nreads++;
    d->last_off = off;
    d->last_size = size;
    for (unsigned k = 0; k < size && off + k < sizeof d->regs; k++)
        v |= (uint64_t)d->regs[off + k] << (8 * k);
    return v;
}

static void dev_write(void *s, uint64_t off, uint64_t val, unsigned size)
{
    struct fake_dev *d = s;
    d->nwrites++;
    d->last_off = off;
    d->last_size = size;
    d->last_val = val;
    for (unsigned k = 0; k < size && off + k < sizeof d->regs; k++)
        d->regs[off + k] = (uint8_t)(val >> (8 * k));
}

struct code_log { int calls; uint64_t last; unsigned len; struct physmem *m; };

static void on_code_write(void *opaque, uint64_t pa, unsigned len)
{
    struct code_log *c = opaque;
    c->calls++;
    c->last = pa;
    c->len = len;
    physmem_unmark(c->m, pa, PHYSMEM_MARK_CODE);
}

static void on_map_changed(void *opaque)
{
    (*(int *)opaque)++;
}

int main(void)
{
    struct physmem m;
    static uint8_t rom[8192];
    struct fake_dev dev = { 0 };
    struct io_handler h = { dev_read, dev_write, &dev, 4 };
    struct io_handler hb = { dev_read, dev_write, &dev, 1 };
    struct code_log cl = { 0, 0, 0, &m };
    int map_changes = 0;
    bool wr;

    log_mask = 0;
    CHECK(physmem_init(&m, 2 << 20) == 0, "init 2 MiB of RAM");
    CHECK(m.ram_fd >= 0, "RAM lives in a memfd");
    CHECK_EQ(m.ram_size, 2 << 20, "RAM size");
    m.map_changed = on_map_changed;
    m.map_opaque = &map_changes;

    CHECK(physmem_map_ram(&m, 0, 0xA0000, 0, "low") == 0, "map low RAM");
    CHECK(physmem_map_ram(&m, 0x100000, 0x100000, 0x100000, "high") == 0, "map high RAM");
    CHECK(physmem_map_ram(&m, 0x1000, 0x1000, 0x1000, "dup") != 0, "overlapping RAM refused");
    CHECK(physmem_map_ram(&m, 0x300000, 0x1000, 0x1ff000 + 0x2000, "past") != 0,
          "RAM window past the memfd refused");
    CHECK(physmem_map_ram(&m, 0x300001, 0x1000, 0, "odd") != 0, "unaligned RAM refused");
    for (unsigned k = 0; k < sizeof rom; k++)
        rom[k] = (uint8_t)k;
    CHECK(physmem_map_rom(&m, 0xFFFFE000ull, sizeof rom, rom, "bios") == 0, "map ROM at top of 4G");
    CHECK(physmem_map_mmio(&m, 0xFEC00000ull, 0x40, &h, "dev") == 0, "map MMIO");
    CHECK(physmem_map_mmio(&m, 0xFEC00020ull, 0x10, &h, "dev2") != 0, "overlapping MMIO refused");
    CHECK(map_changes == 4, "map_changed called for each successful map (%d)", map_changes);

    /* RAM */
    physmem_write(&m, 0x1234, 0x11223344, 4);
    CHECK_EQ(physmem_read(&m, 0x1234, 4), 0x11223344, "RAM dword round trip");
    CHECK_EQ(physmem_read(&m, 0x1235, 1), 0x33, "RAM is little-endian");
    CHECK_EQ(m.ram[0x1234], 0x44, "RAM write lands in the memfd mapping");
    physmem_write(&m, 0x100ffc, 0x0102030405060708ull, 8);
    CHECK_EQ(physmem_read(&m, 0x100ffc, 8), 0x0102030405060708ull, "RAM qword across a page");
    CHECK_EQ(m.ram[0x101003], 0x01, "high RAM maps memfd offset 1 MiB");

    /* Unassigned */
    CHECK_EQ(physmem_read(&m, 0xB8000, 1), 0xff, "unassigned byte reads 0xff");
    CHECK_EQ(physmem_read(&m, 0xB8000, 4), 0xffffffffu, "unassigned dword reads all ones");
    CHECK_EQ(physmem_read(&m, 0x80000000ull, 8), ~0ull, "unassigned qword reads all ones");
    physmem_write(&m, 0xB8000, 0x12, 1);
    CHECK_EQ(physmem_read(&m, 0xB8000, 1), 0xff, "unassigned write dropped");
    CHECK_EQ(physmem_read(&m, 0x9fffe, 4), 0xffff0000u, "read straddling RAM end: RAM bytes then ones");

    /* ROM */
    CHECK_EQ(physmem_read(&m, 0xFFFFFFF0ull, 1), 0xf0, "ROM readable at top of 4G");
    physmem_write(&m, 0xFFFFE010ull, 0xAA, 1);
    CHECK_EQ(physmem_read(&m, 0xFFFFE010ull, 1), 0x10, "ROM write dropped");
    CHECK(physmem_page(&m, 0xFFFFF123ull, &wr) == rom + 0x1000 && !wr,
          "physmem_page of ROM: host page, not writable");

    /* MMIO */
    physmem_write(&m, 0xFEC00004ull, 0xdeadbeef, 4);
    CHECK(dev.last_off == 4 && dev.last_size == 4 && dev.last_val == 0xdeadbeef,
          "aligned dword MMIO write passed whole with offset");
    dev.nreads = 0;
    CHECK_EQ(physmem_read(&m, 0xFEC00004ull, 8), 0xdeadbeefull, "qword MMIO read split into two dwords");
    CHECK_EQ(dev.nreads, 2, "two device reads for the qword");
    CHECK(physmem_page(&m, 0xFEC00000ull, &wr) == NULL, "physmem_page of MMIO is NULL");
    physmem_unmap(&m, 0xFEC00000ull);
    CHECK(physmem_map_mmio(&m, 0xFEC00000ull, 0x40, &hb, "bytes") == 0, "remap as byte device");
    dev.nwrites = 0;
    physmem_write(&m, 0xFEC00010ull, 0x0a0b0c0d, 4);
    CHECK(dev.nwrites == 4 && dev.last_size == 1 && dev.last_off == 0x13 && dev.last_val == 0x0a,
          "dword write to a byte device becomes four byte writes");
    CHECK_EQ(physmem_read(&m, 0xFEC00010ull, 4), 0x0a0b0c0d, "and reads back as four bytes");

    /* Bulk */
    uint8_t buf[6000], back[6000];
    for (unsigned k = 0; k < sizeof buf; k++)
        buf[k] = (uint8_t)(k * 7);
    CHECK(physmem_write_buf(&m, 0x100800, buf, sizeof buf), "write_buf across pages");
    CHECK(physmem_read_buf(&m, 0x100800, back, sizeof back) && memcmp(buf, back, sizeof buf) == 0,
          "read_buf returns the same bytes");
    CHECK(!physmem_write_buf(&m, 0x9f000, buf, 0x2000), "write_buf into a hole fails");
    CHECK(!physmem_write_buf(&m, 0xFFFFE000ull, buf, 16), "write_buf into ROM fails");

    /* A20 */
    physmem_write(&m, 0x0, 0x55, 1);
    physmem_write(&m, 0x100000, 0x66, 1);
    map_changes = 0;
    physmem_set_a20(&m, false);
    CHECK(map_changes == 1, "A20 change calls map_changed");
    CHECK_EQ(physmem_read(&m, physmem_a20(&m, 0x100000), 1), 0x55, "A20 off: 1 MiB wraps to 0");
    physmem_set_a20(&m, true);
    CHECK_EQ(physmem_read(&m, physmem_a20(&m, 0x100000), 1), 0x66, "A20 on: 1 MiB is 1 MiB");

    /* Code pages */
    CHECK(physmem_add_code_writer(&m, on_code_write, &cl) == 0, "a code-write subscriber");
    CHECK(physmem_page(&m, 0x7000, &wr) == m.ram + 0x7000 && wr, "plain RAM page is writable");
    CHECK(physmem_mark(&m, 0x7123, PHYSMEM_MARK_CODE), "marking a clean page sets its bit");
    CHECK(!physmem_mark(&m, 0x7000, PHYSMEM_MARK_CODE), "marking it again sets nothing new");
    CHECK(physmem_page(&m, 0x7000, &wr) != NULL && !wr, "code page is not writable through the fast path");
    physmem_write(&m, 0x7fff, 0x1234, 2);
    CHECK(cl.calls == 1 && cl.last == 0x7fff && cl.len == 1,
          "a write straddling out of a code page calls code_write for its part (len %u)", cl.len);
    CHECK(physmem_page(&m, 0x7000, &wr) != NULL && wr, "callback unmarked the page");
    physmem_write(&m, 0x7010, 1, 1);
    CHECK(cl.calls == 1, "no callback once unmarked");
    physmem_mark(&m, 0x101000, PHYSMEM_MARK_CODE);
    CHECK(physmem_write_buf(&m, 0x100ff0, buf, 0x20) && cl.calls == 2 && cl.last == 0x101000 &&
          cl.len == 0x10, "write_buf (DMA) into a code page calls code_write for its bytes");
    /* Each watcher clears only its own bit: the page stays watched for
     * the other. */
    physmem_mark(&m, 0x9000, PHYSMEM_MARK_CODE | PHYSMEM_MARK_RAW);
    physmem_write(&m, 0x9008, 7, 8);
    CHECK(cl.calls == 3 && cl.last == 0x9008 && cl.len == 8, "an 8-byte write reports 8 bytes");
    physmem_write(&m, 0x9010, 7, 4);
    CHECK(cl.calls == 4, "still watched through the other bit");
    physmem_unmark(&m, 0x9000, PHYSMEM_MARK_RAW);
    physmem_write(&m, 0x9010, 7, 4);
    CHECK(cl.calls == 4 && physmem_page(&m, 0x9000, &wr) && wr, "no bits left: plain RAM again");

    /* Several subscribers (an engine's cache per vCPU, a JIT): each hears
     * every code write, in the order they subscribed. */
    struct code_log cl2 = { 0, 0, 0, &m };
    CHECK(physmem_add_code_writer(&m, on_code_write, &cl2) == 0, "a second subscriber");
    physmem_mark(&m, 0x7000, PHYSMEM_MARK_CODE);
    physmem_write(&m, 0x7004, 5, 1);
    CHECK(cl.calls == 5 && cl2.calls == 1 && cl2.last == 0x7004,
          "a code write reaches both subscribers (%d, %d)", cl.calls, cl2.calls);
    struct code_log spare = { 0, 0, 0, &m };
    int added = 2;
    while (physmem_add_code_writer(&m, on_code_write, &spare) == 0)
        added++;
    CHECK_EQ(added, PHYSMEM_MAX_CODE_SUBS, "the list takes PHYSMEM_MAX_CODE_SUBS, then refuses");
    physmem_remove_code_writer(&m, on_code_write, &cl);
    CHECK(m.ncode_sub == PHYSMEM_MAX_CODE_SUBS - 1 && m.code_sub[0].opaque == &cl2,
          "removing the first subscriber keeps the others in order");

    physmem_free(&m);
    return test_summary();
}
