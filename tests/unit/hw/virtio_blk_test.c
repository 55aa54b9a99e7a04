/* Unit tests for the virtio PCI transport (src/hw/virtio_pci.c) and the
 * virtio block device (src/hw/virtio_blk.c), driven as a driver would:
 * PCI config space and capabilities, BAR 4 mapping, feature negotiation,
 * a split queue in fake guest RAM, read/write/flush/get-id requests
 * checked against the raw image file, interrupts through the ISR, and
 * malformed rings (outside RAM, chain loops, bad indices, bad indirect
 * tables) that must set DEVICE_NEEDS_RESET without crashing. */
#include "test.h"
#include "block/block.h"
#include "hw/pci.h"
#include "hw/virtio_blk.h"
#include "mem/iobus.h"
#include "mem/physmem.h"
#include "util/savestate.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#define RAM_SIZE    (1u << 20)
#define DISK_SIZE   (1u << 20)
#define DESC        0x10000u
#define AVAIL       0x11000u
#define USED        0x12000u
#define HDR         0x20000u
#define STATUS      0x20800u
#define DATA        0x30000u
#define INDIRECT    0x40000u
#define QSIZE       16
#define DEVFN       PCI_DEVFN(4, 0)
#define BAR_ADDR    0xFEB00000u

/* Offsets in BAR 4 (virtio_pci.c's layout). */
#define C_DF        0x04
#define C_DFSEL     0x00
#define C_GFSEL     0x08
#define C_GF        0x0c
#define C_NUMQ      0x12
#define C_STATUS    0x14
#define C_QSEL      0x16
#define C_QSIZE     0x18
#define C_QMSIX     0x1a
#define C_QENABLE   0x1c
#define C_QNOFF     0x1e
#define C_QDESC     0x20
#define C_QDRIVER   0x28
#define C_QDEVICE   0x30
#define ISR         0x1000
#define DEVCFG      0x2000
#define NOTIFY      0x3000

#define F_INDIRECT  (1ull << 28)
#define F_EVENT_IDX (1ull << 29)
#define F_VERSION_1 (1ull << 32)
#define F_FLUSH     (1ull << 9)
#define F_RO        (1ull << 5)

static struct physmem mem;
static struct iobus io;
static struct pci_bus bus;
static struct virtio_blk dev, rodev;
static struct virtio_blk *cur = &dev;  /* the device the helpers drive */
static struct block *img;
static char dir[] = "/tmp/rawbox-vblk-XXXXXX";
static char path[256], ro_path[256];
static int irq_level, irq_changes;
static uint16_t avail_idx, used_seen;

static void irq_cb(void *o, int n, int level)
{
    irq_level = level;
    irq_changes++;
}

static uint32_t rd(unsigned off, unsigned size) { return (uint32_t)virtio_pci_mmio_read(&cur->vp, off, size); }
static void wr(unsigned off, uint32_t v, unsigned size) { virtio_pci_mmio_write(&cur->vp, off, v, size); }
static void wr64(unsigned off, uint64_t v) { wr(off, (uint32_t)v, 4); wr(off + 4, (uint32_t)(v >> 32), 4); }
static uint64_t ram(uint64_t pa, unsigned size) { return physmem_read(&mem, pa, size); }
static void ram_w(uint64_t pa, uint64_t v, unsigned size) { physmem_write(&mem, pa, v, size); }

static uint32_t cfg(unsigned off, unsigned size)
{
    iobus_out(&io, 0xcf8, 0x80000000u | DEVFN << 8 | (off & 0xfc), 4);
    return iobus_in(&io, (uint16_t)(0xcfc + (off & 3)), size);
}

static void cfg_w(unsigned off, uint32_t v, unsigned size)
{
    iobus_out(&io, 0xcf8, 0x80000000u | DEVFN << 8 | (off & 0xfc), 4);
    iobus_out(&io, (uint16_t)(0xcfc + (off & 3)), v, size);
}

static uint64_t device_features(void)
{
    wr(C_DFSEL, 0, 4);
    uint64_t f = rd(C_DF, 4);
    wr(C_DFSEL, 1, 4);
    return f | (uint64_t)rd(C_DF, 4) << 32;
}

/* Reset, negotiate `features`, set up queue 0 at d/a/u, DRIVER_OK.
 * Returns the status byte read back after FEATURES_OK. */
static uint8_t driver_init_at(uint64_t features, uint64_t d, uint64_t a, uint64_t u)
{
    wr(C_STATUS, 0, 1);
    wr(C_STATUS, 1, 1);
    wr(C_STATUS, 3, 1);
    wr(C_GFSEL, 0, 4);
    wr(C_GF, (uint32_t)features, 4);
    wr(C_GFSEL, 1, 4);
    wr(C_GF, (uint32_t)(features >> 32), 4);
    wr(C_STATUS, 3 | 8, 1);
    uint8_t st = (uint8_t)rd(C_STATUS, 1);
    if (!(st & 8))
        return st;
    for (unsigned a = DESC; a < USED + 0x1000; a += 4)
        ram_w(a, 0, 4);
    wr(C_QSEL, 0, 2);
    wr(C_QSIZE, QSIZE, 2);
    wr64(C_QDESC, d);
    wr64(C_QDRIVER, a);
    wr64(C_QDEVICE, u);
    wr(C_QENABLE, 1, 2);
    wr(C_STATUS, 3 | 8 | 4, 1);
    avail_idx = used_seen = 0;
    (void)rd(ISR, 1);
    return st;
}

static uint8_t driver_init(uint64_t features)
{
    return driver_init_at(features, DESC, AVAIL, USED);
}

static void desc(unsigned table, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                 uint16_t next)
{
    uint64_t d = table + 16ull * i;
    ram_w(d, addr, 8);
    ram_w(d + 8, len, 4);
    ram_w(d + 12, flags, 2);
    ram_w(d + 14, next, 2);
}

/* Make chain `head` available and kick. */
static void kick(uint16_t head)
{
    ram_w(AVAIL + 4 + 2u * (avail_idx % QSIZE), head, 2);
    avail_idx++;
    ram_w(AVAIL + 2, avail_idx, 2);
    wr(NOTIFY, 0, 2);
}

/* Run completions until the used index reaches `want` (5 s at most). */
static bool wait_used(uint16_t want)
{
    for (int i = 0; i < 500 && (uint16_t)ram(USED + 2, 2) != want; i++) {
        struct pollfd p = { virtio_blk_fd(cur), POLLIN, 0 };
        poll(&p, 1, 10);
        virtio_blk_poll(cur);
    }
    return (uint16_t)ram(USED + 2, 2) == want;
}

/* A three-part request: header at HDR, data at DATA (len bytes, `in`
 * = device writes it), status at STATUS. Returns the status byte, or
 * -1 when it did not complete; *used_len gets the used entry's len. */
static int request(uint32_t type, uint64_t sector, uint32_t len, bool in, uint32_t *used_len)
{
    ram_w(HDR, type, 4);
    ram_w(HDR + 4, 0, 4);
    ram_w(HDR + 8, sector, 8);
    ram_w(STATUS, 0xee, 1);
    desc(DESC, 0, HDR, 16, 1, 1);
    if (len) {
        desc(DESC, 1, DATA, len, (uint16_t)(1 | (in ? 2 : 0)), 2);
        desc(DESC, 2, STATUS, 1, 2, 0);
    } else {
        desc(DESC, 1, STATUS, 1, 2, 0);
    }
    kick(0);
    if (!wait_used(++used_seen))
        return -1;
    unsigned slot = (used_seen - 1) % QSIZE;
    if (used_len)
        *used_len = (uint32_t)ram(USED + 4 + 8 * slot + 4, 4);
    return (int)ram(STATUS, 1);
}

static bool needs_reset(void) { return rd(C_STATUS, 1) & 0x40; }

static void test_pci_header(void)
{
    CHECK_EQ(cfg(0x00, 2), 0x1af4, "vendor 0x1AF4");
    CHECK_EQ(cfg(0x02, 2), 0x1042, "device 0x1042 (0x1040 + block)");
    CHECK_EQ(cfg(0x08, 1), 1, "revision 1 (non-transitional)");
    CHECK_EQ(cfg(0x0a, 2), 0x0100, "class mass storage");
    CHECK_EQ(cfg(0x2c, 2), 0x1af4, "subsystem vendor");
    CHECK(cfg(0x2e, 2) >= 0x40, "subsystem id >= 0x40");
    CHECK_EQ(cfg(0x3d, 1), 1, "interrupt pin INTA#");
    CHECK(cfg(0x06, 2) & 0x10, "status: capabilities list");

    /* Walk the capabilities: one of each type, all in BAR 4. */
    unsigned seen = 0, guard = 0, notify_mult = 0;
    for (unsigned p = cfg(0x34, 1); p && guard < 16; p = cfg(p + 1, 1), guard++) {
        if (cfg(p, 1) != 0x09)
            continue;
        unsigned type = cfg(p + 3, 1);
        CHECK_EQ(cfg(p + 4, 1), 4, "cap type %u in BAR 4", type);
        seen |= 1u << type;
        if (type == 2) {
            CHECK_EQ(cfg(p + 2, 1), 20, "notify cap is 20 bytes");
            notify_mult = cfg(p + 16, 4);
            CHECK_EQ(cfg(p + 8, 4), NOTIFY, "notify at BAR4+0x3000");
        }
        if (type == 1)
            CHECK(cfg(p + 12, 4) >= 0x38, "common cfg length covers the structure");
    }
    CHECK_EQ(seen, 0x1e, "common, notify, ISR and device caps present");
    CHECK_EQ(notify_mult, 4, "notify_off_multiplier 4");
}

static void test_bar(void)
{
    cfg_w(0x20, 0xffffffffu, 4);
    cfg_w(0x24, 0xffffffffu, 4);
    CHECK_EQ(cfg(0x20, 4), 0xffffc00cu, "BAR4 sizing: 16 KiB, 64-bit prefetchable");
    CHECK_EQ(cfg(0x24, 4), 0xffffffffu, "BAR5: the high half");
    cfg_w(0x20, BAR_ADDR, 4);
    cfg_w(0x24, 0, 4);
    CHECK_EQ(physmem_read(&mem, BAR_ADDR + C_NUMQ, 2), 0xffff, "not mapped while decoding is off");
    cfg_w(0x04, 0x0006, 2);
    CHECK_EQ(physmem_read(&mem, BAR_ADDR + C_NUMQ, 2), 1, "mapped: num_queues 1 through memory");
    cfg_w(0x20, BAR_ADDR + 0x10000, 4);
    CHECK_EQ(physmem_read(&mem, BAR_ADDR + C_NUMQ, 2), 0xffff, "moved: old place unmapped");
    CHECK_EQ(physmem_read(&mem, BAR_ADDR + 0x10000 + C_NUMQ, 2), 1, "moved: new place mapped");
    cfg_w(0x20, 0x1000, 4);             /* over RAM: refused, no crash */
    CHECK_EQ(physmem_read(&mem, 0x1000 + C_NUMQ, 2), 0, "a BAR over RAM does not replace RAM");
    cfg_w(0x20, BAR_ADDR, 4);
}

static void test_features(void)
{
    uint64_t f = device_features();
    CHECK(f & F_VERSION_1, "offers VERSION_1");
    CHECK(f & F_FLUSH, "offers FLUSH");
    CHECK(f & F_INDIRECT, "offers INDIRECT_DESC");
    CHECK(!(f & F_RO), "no RO on a writable image");
    CHECK(!(driver_init(F_FLUSH) & 8), "FEATURES_OK refused without VERSION_1");
    CHECK(!(driver_init(F_VERSION_1 | (1ull << 40)) & 8), "FEATURES_OK refused for an unoffered bit");
    CHECK(driver_init(F_VERSION_1 | F_FLUSH) & 8, "FEATURES_OK with VERSION_1 | FLUSH");
    CHECK_EQ(rd(C_QMSIX, 2), 0xffff, "queue_msix_vector: NO_VECTOR");
    CHECK_EQ(rd(C_QNOFF, 2), 0, "queue_notify_off 0");
    wr(C_QSEL, 1, 2);
    CHECK_EQ(rd(C_QSIZE, 2), 0, "queue 1 does not exist (size 0)");
    wr(C_QSEL, 0, 2);
    CHECK_EQ(rd(DEVCFG, 4) | (uint64_t)rd(DEVCFG + 4, 4) << 32, DISK_SIZE / 512, "capacity in sectors");
    CHECK_EQ(rd(DEVCFG + 20, 4), 512, "blk_size 512");
    CHECK_EQ(rd(DEVCFG + 12, 4), VIRTIO_BLK_QUEUE_SIZE - 2, "seg_max");
}

static void test_rw(void)
{
    uint8_t pat[1024], back[1024], got[1024];
    uint32_t ulen = 0;

    driver_init(F_VERSION_1 | F_FLUSH);
    for (unsigned i = 0; i < sizeof pat; i++)
        pat[i] = (uint8_t)(i * 7 + 3);
    physmem_write_buf(&mem, DATA, pat, sizeof pat);
    irq_changes = 0;
    CHECK_EQ(request(1, 3, 1024, false, &ulen), 0, "OUT 2 sectors at sector 3: OK");
    CHECK_EQ(ulen, 1, "OUT: used len is the status byte");
    CHECK_EQ(irq_level, 1, "completion raises INTA#");
    CHECK_EQ(rd(ISR, 1), 1, "ISR bit 0 (queue)");
    CHECK_EQ(irq_level, 0, "reading the ISR lowers INTA#");
    CHECK_EQ(rd(ISR, 1), 0, "ISR cleared by the read");
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0 && pread(fd, back, sizeof back, 3 * 512) == (ssize_t)sizeof back &&
          memcmp(back, pat, sizeof pat) == 0, "the image holds the written bytes");
    close(fd);

    memset(got, 0, sizeof got);
    physmem_write_buf(&mem, DATA, got, sizeof got);
    CHECK_EQ(request(0, 3, 1024, true, &ulen), 0, "IN 2 sectors: OK");
    CHECK_EQ(ulen, 1025, "IN: used len is data + status");
    physmem_read_buf(&mem, DATA, got, sizeof got);
    CHECK(memcmp(got, pat, sizeof pat) == 0, "IN returns what OUT wrote");

    CHECK_EQ(request(4, 0, 0, false, &ulen), 0, "FLUSH: OK");
    CHECK_EQ(request(8, 0, 20, true, &ulen), 0, "GET_ID: OK");
    char id[21] = { 0 };
    physmem_read_buf(&mem, DATA, id, 20);
    CHECK_STR(id, "test-serial", "GET_ID returns the serial");
    CHECK_EQ(ulen, 21, "GET_ID: used len 20 + 1");
    CHECK_EQ(request(11, 0, 0, false, NULL), 2, "DISCARD (not offered): UNSUPP");
    CHECK_EQ(request(0, DISK_SIZE / 512 - 1, 1024, true, NULL), 1, "IN past the end: IOERR");
    CHECK_EQ(request(0, UINT64_MAX, 512, true, NULL), 1, "IN at sector 2^64-1: IOERR");
    CHECK_EQ(request(1, 0, 100, false, NULL), 1, "OUT of 100 bytes: IOERR");
    CHECK_EQ(request(0, 0, 0x5000000, true, NULL), 1, "IN of 80 MiB: IOERR, nothing allocated");
    CHECK_EQ(request(0, DISK_SIZE / 512 - 2, 1024, true, NULL), 0, "IN of the last two sectors: OK");
    CHECK(!needs_reset(), "request errors do not break the device");
}

/* Header split over two descriptors, data over three, to a scattered
 * destination. */
static void test_scatter(void)
{
    uint8_t pat[1536], got[1536];
    driver_init(F_VERSION_1);
    for (unsigned i = 0; i < sizeof pat; i++)
        pat[i] = (uint8_t)(i ^ 0x5a);
    physmem_write_buf(&mem, DATA, pat, sizeof pat);
    CHECK_EQ(request(1, 10, 1536, false, NULL), 0, "OUT 3 sectors");

    ram_w(HDR, 0, 4);
    ram_w(HDR + 4, 0, 4);
    ram_w(HDR + 8, 10, 8);
    desc(DESC, 5, HDR, 6, 1, 6);
    desc(DESC, 6, HDR + 6, 10, 1, 7);
    desc(DESC, 7, DATA + 0x4000, 100, 3, 8);
    desc(DESC, 8, DATA + 0x8000, 1000, 3, 9);
    desc(DESC, 9, DATA + 0xc000, 436, 3, 10);
    desc(DESC, 10, STATUS, 1, 2, 0);
    ram_w(STATUS, 0xee, 1);
    kick(5);
    CHECK(wait_used(++used_seen), "scattered IN completes");
    CHECK_EQ(ram(STATUS, 1), 0, "scattered IN: OK");
    CHECK_EQ(ram(USED + 4 + 8 * ((used_seen - 1) % QSIZE), 4), 5, "used id is the head (5)");
    physmem_read_buf(&mem, DATA + 0x4000, got, 100);
    physmem_read_buf(&mem, DATA + 0x8000, got + 100, 1000);
    physmem_read_buf(&mem, DATA + 0xc000, got + 1100, 436);
    CHECK(memcmp(got, pat, sizeof pat) == 0, "scattered IN: bytes in order across segments");
}

static void test_indirect(void)
{
    uint8_t got[512];
    driver_init(F_VERSION_1 | F_INDIRECT);
    ram_w(HDR, 0, 4);
    ram_w(HDR + 8, 10, 8);
    desc(INDIRECT, 0, HDR, 16, 1, 1);
    desc(INDIRECT, 1, DATA + 0x10000, 512, 3, 2);
    desc(INDIRECT, 2, STATUS, 1, 2, 0);
    desc(DESC, 3, INDIRECT, 48, 4, 0);
    ram_w(STATUS, 0xee, 1);
    kick(3);
    CHECK(wait_used(++used_seen), "indirect IN completes");
    CHECK_EQ(ram(STATUS, 1), 0, "indirect IN: OK");
    physmem_read_buf(&mem, DATA + 0x10000, got, 512);
    CHECK_EQ(got[0], 0x5a, "indirect IN: data");
    CHECK(!needs_reset(), "indirect table accepted");
}

static void test_interrupt_suppression(void)
{
    driver_init(F_VERSION_1);
    ram_w(AVAIL, 1, 2);                 /* VIRTQ_AVAIL_F_NO_INTERRUPT */
    CHECK_EQ(request(4, 0, 0, false, NULL), 0, "FLUSH with interrupts suppressed");
    CHECK_EQ(irq_level, 0, "NO_INTERRUPT: no INTA#");
    CHECK_EQ(rd(ISR, 1), 0, "NO_INTERRUPT: ISR clear");
    ram_w(AVAIL, 0, 2);

    driver_init(F_VERSION_1 | F_EVENT_IDX);
    ram_w(AVAIL + 4 + 2 * QSIZE, 5, 2); /* used_event: after the 6th */
    CHECK_EQ(request(4, 0, 0, false, NULL), 0, "EVENT_IDX: first FLUSH");
    CHECK_EQ(rd(ISR, 1), 1, "EVENT_IDX: the first completion interrupts");
    CHECK_EQ(request(4, 0, 0, false, NULL), 0, "EVENT_IDX: second FLUSH");
    CHECK_EQ(rd(ISR, 1), 0, "EVENT_IDX: used_event 5 not reached: no interrupt");
    CHECK_EQ(ram(USED + 4 + 8 * QSIZE, 2), 2, "EVENT_IDX: avail_event follows the ring");
    for (int i = 0; i < 4; i++)
        request(4, 0, 0, false, NULL);
    CHECK_EQ(rd(ISR, 1), 1, "EVENT_IDX: interrupt when used passes used_event");
}

static void test_bad_rings(void)
{
    /* Data outside RAM: the request fails, the device lives on. */
    driver_init(F_VERSION_1);
    ram_w(HDR, 0, 4);
    ram_w(HDR + 8, 0, 8);
    desc(DESC, 0, HDR, 16, 1, 1);
    desc(DESC, 1, 0x7fff0000u, 512, 3, 2);
    desc(DESC, 2, STATUS, 1, 2, 0);
    ram_w(STATUS, 0xee, 1);
    kick(0);
    CHECK(wait_used(++used_seen), "IN to memory outside RAM completes");
    CHECK_EQ(ram(STATUS, 1), 1, "IN to memory outside RAM: IOERR");
    ram_w(HDR, 1, 4);
    desc(DESC, 1, 0xfffffffffffffe00ull, 0x400, 1, 2);    /* wraps */
    kick(0);
    CHECK(wait_used(++used_seen), "OUT from a wrapping address completes");
    CHECK_EQ(ram(STATUS, 1), 1, "OUT from a wrapping address: IOERR");
    CHECK(!needs_reset(), "bad buffers do not break the device");

    /* A loop: 0 -> 1 -> 0. */
    (void)rd(ISR, 1);
    desc(DESC, 0, HDR, 16, 1, 1);
    desc(DESC, 1, HDR, 16, 1, 0);
    kick(0);
    CHECK(needs_reset(), "descriptor loop: DEVICE_NEEDS_RESET");
    CHECK_EQ(rd(ISR, 1), 2, "descriptor loop: config change interrupt");
    uint16_t used_before = (uint16_t)ram(USED + 2, 2);
    desc(DESC, 1, STATUS, 1, 2, 0);
    kick(0);
    CHECK_EQ(ram(USED + 2, 2), used_before, "a broken device ignores kicks");

    driver_init(F_VERSION_1);
    CHECK(!needs_reset(), "reset clears DEVICE_NEEDS_RESET");
    CHECK_EQ(request(4, 0, 0, false, NULL), 0, "works again after reset");

    /* Self loop through one descriptor. */
    desc(DESC, 0, HDR, 16, 1, 0);
    kick(0);
    CHECK(needs_reset(), "descriptor pointing at itself: DEVICE_NEEDS_RESET");

    /* Well-formed descriptors lie just past the table: only the index
     * check can refuse these. */
    driver_init(F_VERSION_1);
    ram_w(HDR, 4, 4);
    desc(DESC, 0, HDR, 16, 1, QSIZE);
    desc(DESC, QSIZE, STATUS, 1, 2, 0);
    kick(0);
    CHECK(needs_reset(), "next index past the table: DEVICE_NEEDS_RESET");

    driver_init(F_VERSION_1);
    desc(DESC, QSIZE + 3, HDR, 16, 1, QSIZE + 4);
    desc(DESC, QSIZE + 4, STATUS, 1, 2, 0);
    kick(QSIZE + 3);
    CHECK(needs_reset(), "head index past the table: DEVICE_NEEDS_RESET");

    driver_init(F_VERSION_1);
    ram_w(AVAIL + 2, 1000, 2);
    wr(NOTIFY, 0, 2);
    CHECK(needs_reset(), "avail index 1000 ahead: DEVICE_NEEDS_RESET");

    driver_init(F_VERSION_1);
    desc(DESC, 0, HDR, 16, 1, 1);
    desc(DESC, 1, STATUS, 1, 3, 2);
    desc(DESC, 2, DATA, 512, 0, 0);     /* readable after writable */
    kick(0);
    CHECK(needs_reset(), "readable after writable: DEVICE_NEEDS_RESET");

    driver_init(F_VERSION_1);
    desc(DESC, 0, HDR, 8, 1, 1);        /* header cut short */
    desc(DESC, 1, STATUS, 1, 2, 0);
    kick(0);
    CHECK(needs_reset(), "8-byte header: DEVICE_NEEDS_RESET");

    driver_init(F_VERSION_1);
    desc(DESC, 0, INDIRECT, 48, 4, 0);
    kick(0);
    CHECK(needs_reset(), "indirect without the feature: DEVICE_NEEDS_RESET");

    driver_init(F_VERSION_1 | F_INDIRECT);
    desc(DESC, 0, INDIRECT, 40, 4, 0);
    kick(0);
    CHECK(needs_reset(), "indirect table of 40 bytes: DEVICE_NEEDS_RESET");

    driver_init(F_VERSION_1 | F_INDIRECT);
    desc(INDIRECT, 0, INDIRECT, 16, 4, 0);
    desc(DESC, 0, INDIRECT, 16, 4, 0);
    kick(0);
    CHECK(needs_reset(), "indirect inside indirect: DEVICE_NEEDS_RESET");

    driver_init(F_VERSION_1 | F_INDIRECT);
    desc(INDIRECT, 0, HDR, 16, 1, 1);
    desc(INDIRECT, 1, HDR, 16, 1, 0);
    desc(DESC, 0, INDIRECT, 32, 4, 0);
    kick(0);
    CHECK(needs_reset(), "loop inside an indirect table: DEVICE_NEEDS_RESET");

    driver_init(F_VERSION_1 | F_INDIRECT);
    desc(DESC, 0, 0x7fff0000u, 64, 4, 0);
    kick(0);
    CHECK(needs_reset(), "indirect table outside RAM: DEVICE_NEEDS_RESET");

    /* Rings outside RAM. */
    driver_init_at(F_VERSION_1, 0x7fff0000u, AVAIL, USED);
    kick(0);
    CHECK(needs_reset(), "descriptor table outside RAM: DEVICE_NEEDS_RESET");

    driver_init_at(F_VERSION_1, DESC, 0x7fff0000u, USED);
    wr(NOTIFY, 0, 2);
    CHECK(needs_reset(), "available ring outside RAM: DEVICE_NEEDS_RESET");

    driver_init_at(F_VERSION_1, DESC, AVAIL, 0xfffffffffffff000ull);
    desc(DESC, 0, HDR, 16, 1, 1);
    desc(DESC, 1, STATUS, 1, 2, 0);
    ram_w(HDR, 4, 4);
    kick(0);
    for (int i = 0; i < 100 && !needs_reset(); i++) {
        struct pollfd p = { virtio_blk_fd(&dev), POLLIN, 0 };
        poll(&p, 1, 10);
        virtio_blk_poll(&dev);
    }
    CHECK(needs_reset(), "used ring at the top of the address space: DEVICE_NEEDS_RESET");

    driver_init_at(F_VERSION_1, DESC + 8, AVAIL, USED);
    CHECK(needs_reset(), "misaligned descriptor table: DEVICE_NEEDS_RESET");

    driver_init(F_VERSION_1);
    CHECK_EQ(request(4, 0, 0, false, NULL), 0, "after all that, a reset device works");
}

/* Requests in flight at a reset are finished but not answered. */
static void test_reset_in_flight(void)
{
    driver_init(F_VERSION_1);
    for (unsigned i = 0; i < 8; i++) {
        desc(DESC, 2 * i, HDR, 16, 1, (uint16_t)(2 * i + 1));
        desc(DESC, 2 * i + 1, STATUS, 1, 2, 0);
    }
    ram_w(HDR, 4, 4);
    for (unsigned i = 0; i < 8; i++) {
        ram_w(AVAIL + 4 + 2u * i, (uint16_t)(2 * i), 2);
    }
    ram_w(AVAIL + 2, 8, 2);
    wr(NOTIFY, 0, 2);
    wr(C_STATUS, 0, 1);                 /* reset with 8 flushes queued */
    CHECK_EQ(ram(USED + 2, 2), 0, "reset: requests in flight are not answered");
    CHECK_EQ(dev.inflight, 0, "reset: nothing left in flight");
    driver_init(F_VERSION_1);
    CHECK_EQ(request(4, 0, 0, false, NULL), 0, "after a reset in flight: works");
}

/* With room for 2 KiB of buffers, five 1 KiB reads in one kick (15 of the 16 descriptors): the
 * third waits until the first completes, and so on; all complete, in
 * order. A 4 KiB read fails. */
static void test_parking(void)
{
    driver_init(F_VERSION_1);
    dev.max_inflight = 2048;
    for (unsigned i = 0; i < 5; i++) {
        unsigned hdr = HDR + 32 * i;
        ram_w(hdr, 0, 4);
        ram_w(hdr + 4, 0, 4);
        ram_w(hdr + 8, 2 * i, 8);
        ram_w(STATUS + i, 0xee, 1);
        desc(DESC, 3 * i, hdr, 16, 1, (uint16_t)(3 * i + 1));
        desc(DESC, 3 * i + 1, DATA + 1024 * i, 1024, 3, (uint16_t)(3 * i + 2));
        desc(DESC, 3 * i + 2, STATUS + i, 1, 2, 0);
        ram_w(AVAIL + 4 + 2u * ((avail_idx + i) % QSIZE), 3 * i, 2);
    }
    avail_idx += 5;
    ram_w(AVAIL + 2, avail_idx, 2);
    wr(NOTIFY, 0, 2);
    CHECK_EQ(dev.inflight, 2, "parking: two requests fill the 2 KiB budget");
    CHECK(dev.waiting && dev.parked, "parking: the third is parked");
    CHECK(wait_used(5), "parking: all five complete");
    unsigned ok = 0, order = 0;
    for (unsigned i = 0; i < 5; i++) {
        ok += ram(STATUS + i, 1) == 0;
        order += ram(USED + 4 + 8 * i, 4) == 3 * i;
    }
    CHECK_EQ(ok, 5, "parking: five OK statuses");
    CHECK_EQ(order, 5, "parking: used in submission order");
    used_seen = 5;
    CHECK_EQ(request(0, 0, 4096, true, NULL), 1, "a request over the budget: IOERR");
    dev.max_inflight = VIRTIO_BLK_MAX_INFLIGHT;
}

/* Random rings: descriptor tables, indirect tables, avail entries and
 * headers of random bytes (addresses mostly inside RAM). Nothing may
 * crash or hang (run under ASan); the device may break and is reset. */
static uint64_t rnd(void)
{
    static uint64_t seed = 0x9e3779b97f4a7c15ull;    /* xorshift64 */
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

static void test_fuzz(void)
{
    unsigned breaks = 0, done = 0;

    for (int round = 0; round < 3000; round++) {
        if (round % 50 == 0 || needs_reset()) {
            breaks += needs_reset();
            driver_init(F_VERSION_1 | F_INDIRECT | ((round / 50) & 1 ? F_EVENT_IDX : 0));
        }
        for (unsigned i = 0; i < QSIZE; i++) {
            uint64_t r = rnd();
            uint64_t addr = (r & 7) == 0 ? rnd() : (r & 7) == 1 ? INDIRECT + (rnd() & 0x3f0)
                          : HDR + (rnd() & 0x1fff0);
            uint32_t len = (r >> 8) % 8 == 0 ? (uint32_t)rnd() : (uint32_t)(rnd() & 0x7ff);
            /* Mostly short chains of plausible flags, sometimes anything. */
            uint16_t flags = (uint16_t)((rnd() % 3 == 0) | (rnd() & 2) | (rnd() % 16 == 0) << 2);
            uint16_t next = (uint16_t)(rnd() % 16 == 0 ? rnd() % (QSIZE + 2) : rnd() % QSIZE);
            desc(DESC, i, addr, len, flags, next);
            desc(INDIRECT, i, HDR + (rnd() & 0x1fff0), (uint32_t)(rnd() & 0x3ff),
                 (uint16_t)((rnd() % 3 == 0) | (rnd() & 2) | (rnd() % 32 == 0) << 2),
                 (uint16_t)(rnd() % 20));
        }
        ram_w(HDR, rnd() % 12, 4);
        ram_w(HDR + 8, rnd() & ((rnd() & 1) ? 0x7ff : UINT64_MAX), 8);
        unsigned n = 1 + (unsigned)(rnd() % 4);
        for (unsigned k = 0; k < n; k++)
            kick((uint16_t)(rnd() % 32 == 0 ? QSIZE : rnd() % QSIZE));
        struct pollfd p = { virtio_blk_fd(cur), POLLIN, 0 };
        poll(&p, 1, 1);
        virtio_blk_poll(cur);
        done = (unsigned)dev.reqs_done;
    }
    wr(C_STATUS, 0, 1);
    CHECK(breaks > 0 && done > 0, "fuzz: 3000 rounds, %u broken rings, %u requests answered",
          breaks, done);
    CHECK_EQ(dev.inflight, 0, "fuzz: nothing in flight after the reset");
}

/* Save with a live queue, reset everything, restore: the driver carries
 * on where it was. */
static void test_save_restore(void)
{
    struct savestate ss, in;

    driver_init(F_VERSION_1 | F_FLUSH);
    CHECK_EQ(request(4, 0, 0, false, NULL), 0, "before save: FLUSH");
    CHECK_EQ(request(4, 0, 0, false, NULL), 0, "before save: second FLUSH");
    uint8_t status = (uint8_t)rd(C_STATUS, 1);
    ss_init_write(&ss);
    pci_bus_save(&bus, &ss);
    virtio_blk_save(&dev, &ss);
    CHECK(ss_error(&ss) == NULL, "save ok");

    virtio_blk_reset(&dev);
    CHECK_EQ(rd(C_STATUS, 1), 0, "after a machine reset: status 0");
    CHECK_EQ(physmem_read(&mem, BAR_ADDR + C_NUMQ, 2), 0xffff, "after a machine reset: BAR unmapped");
    ss_init_read(&in, ss.buf, ss.len);
    CHECK_EQ(pci_bus_load(&bus, &in), 0, "PCI config restored");
    CHECK_EQ(virtio_blk_load(&dev, &in), 0, "virtio state restored");
    CHECK_EQ(rd(C_STATUS, 1), status, "status restored");
    CHECK_EQ(physmem_read(&mem, BAR_ADDR + C_NUMQ, 2), 1, "BAR mapped again");
    wr(C_QSEL, 0, 2);
    CHECK_EQ(rd(C_QENABLE, 2), 1, "queue 0 enabled");
    CHECK_EQ(rd(C_QDESC, 4), DESC, "queue_desc restored");
    CHECK_EQ(rd(C_QSIZE, 2), QSIZE, "queue_size restored");
    CHECK_EQ(request(4, 0, 0, false, NULL), 0, "after restore: FLUSH goes on the same rings");
    CHECK_EQ(ram(USED + 2, 2), 3, "used index continues at 3");

    /* A section that claims features the device does not offer. */
    ss_free(&ss);
    uint64_t saved = dev.vp.guest_features;
    dev.vp.guest_features |= 1ull << 50;
    ss_init_write(&ss);
    virtio_blk_save(&dev, &ss);
    dev.vp.guest_features = saved;
    wr(C_STATUS, 0, 1);
    ss_init_read(&in, ss.buf, ss.len);
    CHECK(virtio_blk_load(&dev, &in) < 0, "load refuses unoffered features");
    CHECK(ss_error(&in) && strstr(ss_error(&in), "guest_features"), "the error names the field");
    CHECK_EQ(rd(C_STATUS, 1), 0, "a refused load changes nothing");
    ss_free(&ss);
}

static void test_readonly(void)
{
    struct virtio_blk other;
    struct block *b;
    char err[BLOCK_ERR_LEN + 64];
    struct irq_line none = { NULL, NULL, 0 };

    b = block_open(ro_path, "raw", BLOCK_RDONLY, err, sizeof err);
    CHECK(b != NULL, "open the read-only image");
    if (!b)
        return;
    CHECK(virtio_blk_init(&other, &bus, DEVFN, &mem, none, b, true, "x", err, sizeof err) < 0,
          "a taken slot is refused");
    CHECK_EQ(virtio_blk_init(&rodev, &bus, PCI_DEVFN(5, 0), &mem, none, b, true, "ro", err,
                             sizeof err), 0, "read-only device at 00:05.0");
    cur = &rodev;
    CHECK(device_features() & F_RO, "read-only: RO offered");
    driver_init(F_VERSION_1 | F_RO);
    CHECK_EQ(request(1, 0, 512, false, NULL), 1, "read-only: OUT fails with IOERR");
    CHECK_EQ(request(0, 0, 512, true, NULL), 0, "read-only: IN works");
    cur = &dev;
    virtio_blk_free(&rodev);
    block_close(b);
}

int main(void)
{
    char err[BLOCK_ERR_LEN + 64];
    struct irq_line irq = { irq_cb, NULL, 0 };

    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(path, sizeof path, "%s/disk.raw", dir);
    snprintf(ro_path, sizeof ro_path, "%s/ro.raw", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    int fd2 = open(ro_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || fd2 < 0 || ftruncate(fd, DISK_SIZE) || ftruncate(fd2, DISK_SIZE)) {
        perror("image");
        return 1;
    }
    close(fd);
    close(fd2);

    CHECK(iobus_init(&io) == 0, "iobus_init");
    CHECK(pci_bus_init(&bus, &io) == 0, "pci_bus_init");
    CHECK(physmem_init(&mem, RAM_SIZE) == 0, "physmem_init");
    CHECK(physmem_map_ram(&mem, 0, RAM_SIZE, 0, "ram") == 0, "map RAM");
    img = block_open(path, "raw", 0, err, sizeof err);
    CHECK(img != NULL, "open the image");
    if (!img)
        return test_summary();
    CHECK_EQ(virtio_blk_init(&dev, &bus, DEVFN, &mem, irq, img, false, "test-serial", err,
                             sizeof err), 0, "virtio_blk_init at 00:04.0");

    test_pci_header();
    test_bar();
    test_features();
    test_rw();
    test_scatter();
    test_indirect();
    test_interrupt_suppression();
    test_bad_rings();
    test_reset_in_flight();
    test_save_restore();
    test_parking();
    test_fuzz();
    test_readonly();

    virtio_blk_reset(&dev);
    CHECK_EQ(cfg(0x04, 2) & 2, 0, "machine reset: memory decoding off");
    virtio_blk_free(&dev);
    block_close(img);
    physmem_free(&mem);
    iobus_free(&io);
    unlink(path);
    unlink(ro_path);
    rmdir(dir);
    return test_summary();
}
