/* Unit tests for the PIIX3 IDE controller (src/hw/ide.c, ide_bm.c,
 * atapi.c), driven through its ports only, with a small raw disk image on
 * the primary master and an ISO-sized CD image on the secondary master:
 * the PCI function, signatures, IDENTIFY DEVICE fields, PIO reads and
 * writes (LBA28, LBA48, multiple mode), bus master DMA with a PRD table,
 * errors (out of range, PRD outside RAM, unknown command, multiple mode
 * off), soft reset, save/load of a transfer half done, and ATAPI:
 * IDENTIFY PACKET, INQUIRY, READ CAPACITY, READ(10), READ TOC, unknown
 * opcodes and the sense after them, no medium and unit attention. Image
 * requests complete through ide_drain(), as the board's poll would. */
#include "test.h"

#include <stdlib.h>
#include <unistd.h>

#include "block/block.h"
#include "hw/ide.h"
#include "hw/pci.h"
#include "mem/iobus.h"
#include "mem/physmem.h"
#include "util/savestate.h"

#define DISK_SECTORS 2048u      /* 1 MiB */
#define CD_SECTORS 64u
#define RAM (4u << 20)
#define BM 0xc000
#define P 0x1f0                 /* primary */
#define S 0x170                 /* secondary */

static struct iobus io;
static struct physmem mem;
static struct pci_bus bus;
static struct ide_ctrl ide;
static int irq_level[2], irq_rises[2];
static char disk_path[64] = "/tmp/ide_test_disk.XXXXXX", cd_path[64] = "/tmp/ide_test_cd.XXXXXX";
static int disk_fd;

static void irq_set_cb(void *o, int n, int level)
{
    if (level && !irq_level[n])
        irq_rises[n]++;
    irq_level[n] = level;
}

static uint8_t inb(uint16_t p) { return (uint8_t)iobus_in(&io, p, 1); }
static uint16_t inw(uint16_t p) { return (uint16_t)iobus_in(&io, p, 2); }
static void outb(uint16_t p, uint8_t v) { iobus_out(&io, p, v, 1); }
static void outw(uint16_t p, uint16_t v) { iobus_out(&io, p, v, 2); }
static void outl(uint16_t p, uint32_t v) { iobus_out(&io, p, v, 4); }

/* The byte the test images hold at `off`. */
static uint8_t pattern(uint64_t off) { return (uint8_t)(off * 7 + (off >> 9) * 13 + (off >> 11)); }

static int make_image(char *path, uint64_t size)
{
    int fd = mkstemp(path);
    uint8_t *b = malloc(size);
    for (uint64_t i = 0; i < size; i++)
        b[i] = pattern(i);
    if (fd < 0 || write(fd, b, size) != (ssize_t)size) {
        free(b);
        return -1;
    }
    free(b);
    return fd;
}

static void cfg_write(unsigned off, uint32_t v, unsigned size)
{
    iobus_out(&io, 0xcf8, 0x80000000u | PCI_DEVFN(1, 1) << 8 | (off & 0xfc), 4);
    iobus_out(&io, (uint16_t)(0xcfc + (off & 3)), v, size);
}

static uint32_t cfg_read(unsigned off, unsigned size)
{
    iobus_out(&io, 0xcf8, 0x80000000u | PCI_DEVFN(1, 1) << 8 | (off & 0xfc), 4);
    return iobus_in(&io, (uint16_t)(0xcfc + (off & 3)), size);
}

/* Issue an LBA28 command on the primary master. */
static void cmd28(uint8_t cmd, uint32_t lba, uint8_t count)
{
    outb(P + 6, (uint8_t)(0xe0 | ((lba >> 24) & 15)));
    outb(P + 2, count);
    outb(P + 3, (uint8_t)lba);
    outb(P + 4, (uint8_t)(lba >> 8));
    outb(P + 5, (uint8_t)(lba >> 16));
    outb(P + 7, cmd);
}

static void cmd48(uint8_t cmd, uint64_t lba, uint16_t count)
{
    outb(P + 6, 0xe0);
    outb(P + 2, (uint8_t)(count >> 8));
    outb(P + 3, (uint8_t)(lba >> 24));
    outb(P + 4, (uint8_t)(lba >> 32));
    outb(P + 5, (uint8_t)(lba >> 40));
    outb(P + 2, (uint8_t)count);
    outb(P + 3, (uint8_t)lba);
    outb(P + 4, (uint8_t)(lba >> 8));
    outb(P + 5, (uint8_t)(lba >> 16));
    outb(P + 7, cmd);
}

/* Let image requests complete, then the status (clears the interrupt). */
static uint8_t settle(uint16_t base)
{
    ide_drain(&ide);
    return inb(base + 7);
}

static bool read_block(uint16_t base, uint8_t *dst, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i += 2) {
        uint16_t w = inw(base);
        dst[i] = (uint8_t)w;
        dst[i + 1] = (uint8_t)(w >> 8);
    }
    return true;
}

static bool matches(const uint8_t *b, uint64_t off, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (b[i] != pattern(off + i))
            return false;
    return true;
}

static void test_pci(void)
{
    CHECK_EQ(cfg_read(0, 4), 0x70108086u, "pci: 8086:7010 at 00:01.1");
    CHECK_EQ(cfg_read(0x08, 4) >> 8, 0x010180u, "pci: class IDE, prog-if 80h (legacy, bus master)");
    CHECK_EQ(cfg_read(0x40, 2), 0x8000u, "pci: IDETIM primary decode enabled");
    cfg_write(0x20, 0xffffffffu, 4);
    CHECK_EQ(cfg_read(0x20, 4), 0xfffffff1u, "pci: BAR4 is 16 bytes of I/O");
    cfg_write(0x20, BM, 4);
    CHECK_EQ(inb(BM + 2), 0xffu, "bus master: not decoded before the command register enables I/O");
    cfg_write(0x04, 0x05, 2);
    CHECK_EQ(inb(BM + 2), 0x00u, "bus master: status at BAR4+2 once I/O is on");
}

static void test_signatures(void)
{
    CHECK_EQ(inb(P + 2), 1u, "disk signature: count 1");
    CHECK_EQ(inb(P + 3), 1u, "disk signature: LBA low 1");
    CHECK_EQ(inb(P + 4) | inb(P + 5) << 8, 0u, "disk signature: LBA mid/high 00h/00h");
    CHECK_EQ(inb(P + 7), 0x50u, "disk: DRDY|DSC after reset");
    CHECK_EQ(inb(S + 4), 0x14u, "ATAPI signature: LBA mid 14h");
    CHECK_EQ(inb(S + 5), 0xebu, "ATAPI signature: LBA high EBh");
    CHECK_EQ(inb(S + 7), 0x00u, "ATAPI: status 0 after reset (no DRDY)");
    outb(P + 6, 0xb0);
    CHECK_EQ(inb(P + 7), 0x00u, "absent slave: status reads 0");
    outb(P + 2, 0x55);
    CHECK_EQ(inb(P + 2), 0x00u, "absent slave: registers read 0");
    outb(P + 6, 0xa0);
    CHECK_EQ(inb(P + 2), 0x55u, "task-file writes reach the master while the slave is selected");
}

static void test_identify(void)
{
    uint8_t id[512];
    irq_rises[0] = 0;
    outb(P + 6, 0xa0);
    outb(P + 7, 0xec);
    CHECK_EQ(inb(0x3f6) & 0x89, 0x08u, "IDENTIFY: DRQ, no BSY, no ERR (alt status)");
    CHECK_EQ(irq_rises[0], 1, "IDENTIFY: IRQ 14 before the data");
    CHECK_EQ(irq_level[0], 1, "IDENTIFY: alt status leaves the IRQ raised");
    inb(P + 7);
    CHECK_EQ(irq_level[0], 0, "IDENTIFY: status read clears the IRQ");
    read_block(P, id, 512);
    CHECK_EQ(inb(P + 7), 0x50u, "IDENTIFY: DRQ gone after 256 words");
    uint16_t w[256];
    for (int i = 0; i < 256; i++)
        w[i] = (uint16_t)(id[2 * i] | id[2 * i + 1] << 8);
    char model[41];
    for (int i = 0; i < 20; i++) {
        model[2 * i] = (char)(w[27 + i] >> 8);
        model[2 * i + 1] = (char)w[27 + i];
    }
    model[40] = 0;
    CHECK(strncmp(model, "RAWBOX HARDDISK ", 16) == 0, "IDENTIFY: model 'RAWBOX HARDDISK' (%s)", model);
    CHECK_EQ(w[0], 0x0040u, "IDENTIFY: word 0 fixed device");
    CHECK_EQ(w[49] & 0x0300, 0x0300u, "IDENTIFY: LBA and DMA supported");
    CHECK_EQ(w[60] | (uint32_t)w[61] << 16, DISK_SECTORS, "IDENTIFY: LBA28 sectors");
    CHECK_EQ(w[100] | (uint64_t)w[101] << 16 | (uint64_t)w[102] << 32, DISK_SECTORS,
             "IDENTIFY: LBA48 sectors");
    CHECK_EQ(w[83] & 0x3400, 0x3400u, "IDENTIFY: 48-bit, FLUSH CACHE, FLUSH CACHE EXT supported");
    CHECK_EQ(w[86] & 0x3400, 0x3400u, "IDENTIFY: ... and enabled");
    CHECK_EQ(w[85] & 0x0020, 0x0020u, "IDENTIFY: write cache enabled");
    CHECK_EQ(w[88], 0x203fu, "IDENTIFY: UDMA 0-5, UDMA5 selected");
    CHECK_EQ(w[63] & 7, 7u, "IDENTIFY: multiword DMA 0-2");
    CHECK_EQ(w[47] & 0xff, (unsigned)IDE_MAX_MULT, "IDENTIFY: multiple count limit");
    CHECK(w[10] != 0x2020 && w[23] != 0x2020, "IDENTIFY: serial and firmware filled");
    /* SET FEATURES: write cache off shows in word 85, MWDMA2 in 63. */
    outb(P + 1, 0x82);
    outb(P + 7, 0xef);
    CHECK_EQ(settle(P), 0x50u, "SET FEATURES 82h: write cache off");
    outb(P + 1, 0x03);
    outb(P + 2, 0x22);
    outb(P + 7, 0xef);
    CHECK_EQ(settle(P), 0x50u, "SET FEATURES 03h: MWDMA2");
    outb(P + 7, 0xec);
    read_block(P, id, 512);
    CHECK_EQ(id[85 * 2] & 0x20, 0u, "IDENTIFY after: write cache disabled");
    CHECK_EQ(id[63 * 2 + 1], 0x04u, "IDENTIFY after: MWDMA2 selected");
    CHECK_EQ(id[88 * 2 + 1], 0x00u, "IDENTIFY after: no UDMA mode selected");
    outb(P + 1, 0x03);
    outb(P + 2, 0x99);
    outb(P + 7, 0xef);
    CHECK_EQ(settle(P), 0x51u, "SET FEATURES: a bad transfer mode aborts");
    CHECK_EQ(inb(P + 1), 0x04u, "... with ABRT");
}

static void test_pio_read28(void)
{
    uint8_t b[512 * 3];
    irq_rises[0] = 0;
    cmd28(0x20, 5, 3);
    CHECK_EQ(inb(0x3f6) & 0x80, 0x80u, "READ SECTORS: BSY while the image request is out");
    CHECK_EQ(settle(P), 0x58u, "READ SECTORS: DRQ when the data is in");
    for (int s = 0; s < 3; s++) {
        read_block(P, b + 512 * s, 512);
        if (s < 2)
            CHECK_EQ(inb(P + 7), 0x58u, "READ SECTORS: DRQ again for sector %d", s + 1);
    }
    CHECK_EQ(inb(P + 7), 0x50u, "READ SECTORS: done, DRQ clear");
    CHECK_EQ(irq_rises[0], 3, "READ SECTORS: an interrupt per sector");
    CHECK(matches(b, 5 * 512, sizeof b), "READ SECTORS: LBA 5-7 data");
    CHECK_EQ(inb(P + 3), 8u, "READ SECTORS: LBA low advanced past the sectors read");
}

static void test_pio_write48(void)
{
    uint8_t b[1024];
    cmd48(0x34, 100, 2);
    CHECK_EQ(inb(P + 7), 0x58u, "WRITE SECTORS EXT: DRQ for the first sector at once");
    for (int i = 0; i < 256; i++)
        outw(P, (uint16_t)(0xa500 + i));
    CHECK_EQ(inb(P + 7), 0x58u, "WRITE SECTORS EXT: DRQ for the second sector");
    for (int i = 0; i < 256; i++)
        outw(P, (uint16_t)(0x5a00 + i));
    CHECK_EQ(settle(P), 0x50u, "WRITE SECTORS EXT: done");
    CHECK(pread(disk_fd, b, sizeof b, 100 * 512) == (ssize_t)sizeof b, "read the image back");
    CHECK(b[0] == 0x00 && b[1] == 0xa5 && b[510] == 0xff && b[511] == 0xa5 && b[512] == 0x00 &&
          b[513] == 0x5a && b[1022] == 0xff, "WRITE SECTORS EXT: the words landed at LBA 100-101");
    /* HOB: the high bytes of the LBA read back with HOB set. */
    outb(0x3f6, 0x80);
    CHECK_EQ(inb(P + 3), 0u, "HOB: LBA bits 24-31 read back (0)");
    outb(0x3f6, 0x00);
    CHECK_EQ(inb(P + 3), 102u, "WRITE SECTORS EXT: LBA low advanced to 102");
    /* Far LBA48 read of the last two sectors. */
    cmd48(0x24, DISK_SECTORS - 2, 2);
    CHECK_EQ(settle(P), 0x58u, "READ SECTORS EXT: DRQ");
    read_block(P, b, 1024);
    CHECK(matches(b, (DISK_SECTORS - 2) * 512ull, 1024), "READ SECTORS EXT: the last two sectors");
}

static void test_multiple(void)
{
    uint8_t b[512 * 8];
    cmd28(0xc4, 0, 8);
    CHECK_EQ(settle(P) & 1, 1u, "READ MULTIPLE before SET MULTIPLE MODE aborts");
    outb(P + 2, 3);
    outb(P + 7, 0xc6);
    CHECK_EQ(settle(P) & 1, 1u, "SET MULTIPLE MODE 3 (not a power of two) aborts");
    outb(P + 2, 4);
    outb(P + 7, 0xc6);
    CHECK_EQ(settle(P), 0x50u, "SET MULTIPLE MODE 4");
    irq_rises[0] = 0;
    cmd28(0xc4, 40, 8);
    CHECK_EQ(settle(P), 0x58u, "READ MULTIPLE: DRQ");
    read_block(P, b, 2048);
    CHECK_EQ(inb(P + 7), 0x58u, "READ MULTIPLE: second block of 4 sectors");
    read_block(P, b + 2048, 2048);
    CHECK_EQ(inb(P + 7), 0x50u, "READ MULTIPLE: done");
    CHECK_EQ(irq_rises[0], 2, "READ MULTIPLE: one interrupt per 4-sector block");
    CHECK(matches(b, 40 * 512, sizeof b), "READ MULTIPLE: LBA 40-47 data");
    /* WRITE MULTIPLE of 6 sectors: blocks of 4 and 2. */
    cmd28(0xc5, 300, 6);
    for (int i = 0; i < 4 * 256; i++)
        outw(P, 0x1111);
    CHECK_EQ(inb(P + 7), 0x58u, "WRITE MULTIPLE: DRQ for the last (short) block");
    for (int i = 0; i < 2 * 256; i++)
        outw(P, 0x2222);
    CHECK_EQ(settle(P), 0x50u, "WRITE MULTIPLE: done");
    CHECK(pread(disk_fd, b, 3072, 300 * 512) == 3072 && b[0] == 0x11 && b[2047] == 0x11 &&
          b[2048] == 0x22 && b[3071] == 0x22, "WRITE MULTIPLE: 6 sectors at LBA 300");
}

/* PRD entries at `table`: {addr, bytes, last}. */
static void prd(uint32_t table, int i, uint32_t addr, uint32_t bytes, bool last)
{
    physmem_write(&mem, table + 8u * (unsigned)i, addr, 4);
    physmem_write(&mem, table + 8u * (unsigned)i + 4, (bytes & 0xffff) | (last ? 0x80000000u : 0), 4);
}

static void test_dma(void)
{
    uint8_t b[1536];
    cfg_write(0x04, 0x05, 2);           /* I/O + bus master */
    memset(mem.ram + 0x10000, 0, 0x20000);
    prd(0x1000, 0, 0x10000, 512, false);
    prd(0x1000, 1, 0x20000, 1024, true);
    outl(BM + 4, 0x1000);
    outb(BM + 2, 0x06);                 /* clear error and interrupt */
    irq_rises[0] = 0;
    cmd28(0xc8, 10, 3);
    outb(BM, 0x09);                     /* start, to memory */
    uint8_t st = settle(P);
    CHECK_EQ(st, 0x50u, "READ DMA: device done");
    CHECK_EQ(inb(BM + 2) & 7, 0x04u, "READ DMA: BM interrupt set, active clear (table used)");
    CHECK_EQ(irq_rises[0], 1, "READ DMA: one interrupt");
    physmem_read_buf(&mem, 0x10000, b, 512);
    physmem_read_buf(&mem, 0x20000, b + 512, 1024);
    CHECK(matches(b, 10 * 512, 1536), "READ DMA: LBA 10-12 scattered over both PRDs");
    outb(BM, 0x00);

    /* A table larger than the transfer: active stays set. */
    prd(0x1000, 0, 0x30000, 0, true);   /* 64 KiB */
    outb(BM + 2, 0x06);
    cmd28(0xc8, 0, 1);
    outb(BM, 0x09);
    CHECK_EQ(settle(P), 0x50u, "READ DMA into a larger table: done");
    CHECK_EQ(inb(BM + 2) & 7, 0x05u, "READ DMA into a larger table: interrupt, active stays");
    outb(BM, 0x00);
    CHECK_EQ(inb(BM + 2) & 1, 0u, "BM stop clears active");

    /* WRITE DMA, the BM started before the command. */
    memset(mem.ram + 0x40000, 0xc3, 512);
    prd(0x1000, 0, 0x40000, 512, true);
    outb(BM + 2, 0x06);
    outb(BM, 0x01);                     /* start, from memory */
    cmd28(0xca, 400, 1);
    CHECK_EQ(settle(P), 0x50u, "WRITE DMA: done");
    CHECK_EQ(inb(BM + 2) & 7, 0x04u, "WRITE DMA: BM interrupt, active clear");
    CHECK(pread(disk_fd, b, 512, 400 * 512) == 512 && b[0] == 0xc3 && b[511] == 0xc3,
          "WRITE DMA: memory written to LBA 400");
    outb(BM, 0x00);

    /* A PRD entry outside RAM. */
    prd(0x1000, 0, 0xf0000000u, 512, true);
    outb(BM + 2, 0x06);
    cmd28(0xc8, 0, 1);
    outb(BM, 0x09);
    st = settle(P);
    CHECK_EQ(st & 0x89, 0x01u, "READ DMA to a PRD outside RAM: ERR, no BSY/DRQ");
    CHECK_EQ(inb(P + 1), 0x04u, "... ABRT");
    CHECK_EQ(inb(BM + 2) & 7, 0x06u, "... BM error and interrupt bits, active clear");
    outb(BM, 0x00);

    /* A table shorter than the transfer: no interrupt, active clear. */
    prd(0x1000, 0, 0x10000, 512, true);
    outb(BM + 2, 0x06);
    irq_rises[0] = 0;
    cmd28(0xc8, 0, 2);
    outb(BM, 0x09);
    st = settle(P);
    CHECK_EQ(inb(BM + 2) & 7, 0x00u, "short PRD table: active clear, no interrupt bit");
    CHECK_EQ(irq_rises[0], 0, "short PRD table: the device does not interrupt");
    CHECK_EQ(st & 0x88, 0x00u, "short PRD table: device not busy afterwards");
    outb(BM, 0x00);

    /* The guest stops the bus master while the image read is out: no
     * byte reaches memory, and a soft reset brings the device back. */
    memset(mem.ram + 0x10000, 0, 512);
    prd(0x1000, 0, 0x10000, 512, true);
    outb(BM + 2, 0x06);
    cmd28(0xc8, 3, 1);
    outb(BM, 0x09);
    outb(BM, 0x08);
    ide_drain(&ide);
    CHECK(mem.ram[0x10000] == 0 && mem.ram[0x101ff] == 0, "BM stopped mid-command: no DMA into memory");
    outb(0x3f6, 0x04);
    outb(0x3f6, 0x00);
    CHECK_EQ(inb(P + 7), 0x50u, "BM stopped mid-command: SRST recovers the device");

    /* The table itself outside RAM. */
    outl(BM + 4, 0xf0000000u);
    outb(BM + 2, 0x06);
    cmd28(0xc8, 0, 1);
    outb(BM, 0x09);
    st = settle(P);
    CHECK_EQ(inb(BM + 2) & 2, 2u, "PRD table outside RAM: BM error bit");
    CHECK_EQ(st & 1, 1u, "PRD table outside RAM: the command fails");
    outb(BM, 0x00);
}

static void test_errors(void)
{
    cmd28(0x20, DISK_SECTORS - 1, 2);
    uint8_t st = settle(P);
    CHECK_EQ(st & 0x89, 0x01u, "READ past the end: ERR, no data");
    CHECK_EQ(inb(P + 1) & 0x10, 0x10u, "READ past the end: IDNF");
    cmd48(0x25, 1ull << 40, 1);
    CHECK_EQ(settle(P) & 1, 1u, "READ DMA EXT at LBA 2^40: ERR");
    CHECK_EQ(inb(P + 1) & 0x10, 0x10u, "READ DMA EXT at LBA 2^40: IDNF");
    outb(P + 7, 0xb0);                  /* SMART: not implemented */
    CHECK_EQ(settle(P), 0x51u, "unknown command: DRDY|ERR");
    CHECK_EQ(inb(P + 1), 0x04u, "unknown command: ABRT");
    outb(P + 7, 0x00);
    CHECK_EQ(settle(P), 0x51u, "NOP aborts");
    outb(P + 7, 0xa0);
    CHECK_EQ(settle(P), 0x51u, "PACKET to a disk aborts");
    outb(P + 7, 0xe7);
    CHECK_EQ(settle(P), 0x50u, "FLUSH CACHE");
    outb(P + 7, 0xe5);
    CHECK_EQ(settle(P), 0x50u, "CHECK POWER MODE");
    CHECK_EQ(inb(P + 2), 0xffu, "CHECK POWER MODE: active");
    cmd28(0x40, 0, 16);
    CHECK_EQ(settle(P), 0x50u, "READ VERIFY SECTORS");
}

static void test_soft_reset(void)
{
    cmd28(0x20, 0, 2);
    settle(P);                          /* DRQ, data not read */
    outb(0x3f6, 0x04);
    CHECK_EQ(inb(P + 7) & 0x80, 0x80u, "SRST: BSY while asserted");
    outb(0x3f6, 0x00);
    CHECK_EQ(inb(P + 7), 0x50u, "SRST released: ready, the command is gone");
    CHECK_EQ(inb(P + 1), 0x01u, "SRST: diagnostic code 01h");
    CHECK_EQ(inb(P + 2) | inb(P + 3) << 8, 0x0101u, "SRST: signature again");
}

static void test_save_load(void)
{
    struct savestate ss;
    uint16_t before[8], after[8];
    cmd28(0x20, 77, 1);
    settle(P);
    for (int i = 0; i < 4; i++)
        inw(P);
    ss_init_write(&ss);
    ide_save(&ide, &ss);
    CHECK(!ss.err, "save: %s", ss_error(&ss));
    for (int i = 0; i < 8; i++)
        before[i] = inw(P);
    struct savestate rd;
    ss_init_read(&rd, ss.buf, ss.len);
    CHECK_EQ(ide_load(&ide, &rd), 0, "load: %s", ss_error(&rd));
    for (int i = 0; i < 8; i++)
        after[i] = inw(P);
    CHECK(memcmp(before, after, sizeof before) == 0, "load: the transfer resumes at the saved word");
    for (int i = 12; i < 256; i++)
        inw(P);
    CHECK_EQ(inb(P + 7), 0x50u, "load: the rest of the sector reads out");
    /* A cut buffer is refused, naming what is missing. */
    ss_init_read(&rd, ss.buf, ss.len / 2);
    CHECK(ide_load(&ide, &rd) < 0, "load of a cut buffer fails: %s", ss_error(&rd));
    ss_free(&ss);
    outb(0x3f6, 0x04);
    outb(0x3f6, 0x00);
}

/* ---- ATAPI ---- */

/* Send a 12-byte packet on the secondary master with byte limit `lim`. */
static uint8_t packet(const uint8_t *cdb, uint16_t lim, bool dma)
{
    outb(S + 6, 0xa0);
    outb(S + 1, dma ? 1 : 0);
    outb(S + 4, (uint8_t)lim);
    outb(S + 5, (uint8_t)(lim >> 8));
    outb(S + 7, 0xa0);
    CHECK_EQ(inb(S + 7) & 0x88, 0x08u, "PACKET 0x%02x: DRQ for the command bytes", cdb[0]);
    CHECK_EQ(inb(S + 2) & 3, 1u, "PACKET 0x%02x: interrupt reason C/D", cdb[0]);
    for (int i = 0; i < 12; i += 2)
        outw(S, (uint16_t)(cdb[i] | cdb[i + 1] << 8));
    return settle(S);
}

/* Read a data-in reply; returns its length. */
static unsigned reply(uint8_t *b, unsigned max)
{
    unsigned n = 0;
    while ((inb(0x376) & 0x88) == 0x08) {
        unsigned bc = inb(S + 4) | inb(S + 5) << 8;
        for (unsigned i = 0; i < bc; i += 2) {
            uint16_t w = inw(S);
            if (n + 1 < max) {
                b[n] = (uint8_t)w;
                b[n + 1] = (uint8_t)(w >> 8);
            }
            n += 2;
        }
        settle(S);
    }
    return n;
}

static void test_atapi(void)
{
    uint8_t b[8192];
    struct ide_drive *cd = &ide.ch[1].drive[0];

    outb(S + 6, 0xa0);
    outb(S + 7, 0xec);
    CHECK_EQ(settle(S), 0x51u, "ATAPI: IDENTIFY DEVICE aborts");
    CHECK_EQ(inb(S + 4) | inb(S + 5) << 8, 0xeb14u, "ATAPI: ... leaving the signature");
    outb(S + 7, 0xa1);
    CHECK_EQ(settle(S) & 0x88, 0x08u, "IDENTIFY PACKET DEVICE: DRQ");
    read_block(S, b, 512);
    CHECK_EQ(b[0] | b[1] << 8, 0x85c0u, "IDENTIFY PACKET: ATAPI CD-ROM, removable, 12-byte packets");
    CHECK_EQ(inb(S + 7) & 0x08, 0u, "IDENTIFY PACKET: done");

    uint8_t inq[12] = { 0x12, 0, 0, 0, 96, 0 };
    CHECK_EQ(packet(inq, 0xfffe, false) & 0x89, 0x08u, "INQUIRY: data ready");
    CHECK_EQ(inb(S + 2) & 3, 2u, "INQUIRY: interrupt reason I/O (data to host)");
    CHECK_EQ(inb(S + 4), 36u, "INQUIRY: byte count 36");
    unsigned n = reply(b, sizeof b);
    CHECK_EQ(n, 36u, "INQUIRY: 36 bytes");
    CHECK(b[0] == 0x05 && (b[1] & 0x80) && memcmp(b + 8, "RAWBOX", 6) == 0,
          "INQUIRY: CD/DVD device, removable, vendor RAWBOX");
    CHECK_EQ(inb(S + 7), 0x50u, "INQUIRY: completion status");
    CHECK_EQ(inb(S + 2) & 3, 3u, "INQUIRY: interrupt reason I/O|C/D at the end");

    uint8_t cap[12] = { 0x25 };
    packet(cap, 8, false);
    n = reply(b, sizeof b);
    CHECK(n == 8 && (b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]) == CD_SECTORS - 1 &&
          b[6] == 0x08 && b[7] == 0, "READ CAPACITY: last LBA %u, 2048-byte blocks", CD_SECTORS - 1);

    uint8_t rd[12] = { 0x28, 0, 0, 0, 0, 2, 0, 0, 3 };
    packet(rd, 0xfffe, false);
    CHECK_EQ(inb(S + 4) | inb(S + 5) << 8, 6144u, "READ(10): byte count, all three sectors");
    n = reply(b, sizeof b);
    CHECK(n == 6144 && matches(b, 2 * 2048, 6144), "READ(10): LBA 2-4 data");
    /* A byte count limit below the data: several DRQ blocks of whole sectors. */
    packet(rd, 5000, false);
    CHECK_EQ(inb(S + 4) | inb(S + 5) << 8, 4096u, "READ(10) limit 5000: blocks of 4096");
    n = reply(b, sizeof b);
    CHECK(n == 6144 && matches(b, 2 * 2048, 6144), "READ(10) limit 5000: same data");

    /* READ(10) by DMA. */
    prd(0x1000, 0, 0x50000, 4096, true);
    outl(BM + 8 + 4, 0x1000);
    outb(BM + 8 + 2, 0x06);
    uint8_t rd2[12] = { 0x28, 0, 0, 0, 0, 10, 0, 0, 2 };
    outb(BM + 8, 0x09);
    CHECK_EQ(packet(rd2, 0xfffe, true), 0x50u, "READ(10) by DMA: done");
    CHECK_EQ(inb(BM + 8 + 2) & 7, 4u, "READ(10) by DMA: BM interrupt");
    CHECK(matches(mem.ram + 0x50000, 10 * 2048, 4096), "READ(10) by DMA: LBA 10-11 in memory");
    outb(BM + 8, 0x00);

    uint8_t toc[12] = { 0x43, 0, 0, 0, 0, 0, 0, 0, 100 };
    packet(toc, 0xfffe, false);
    n = reply(b, sizeof b);
    CHECK(n == 20 && b[1] == 18 && b[2] == 1 && b[3] == 1 && b[6] == 1 && b[14] == 0xaa &&
          (b[16] << 24 | b[17] << 16 | b[18] << 8 | b[19]) == CD_SECTORS,
          "READ TOC format 0 (LBA): track 1 and the lead-out at %u", CD_SECTORS);
    toc[1] = 2;                         /* MSF */
    packet(toc, 0xfffe, false);
    n = reply(b, sizeof b);
    CHECK(n == 20 && b[9] == 0 && b[10] == 2 && b[11] == 0 && b[17] == 0 &&
          b[18] == (CD_SECTORS + 150) / 75 % 60 && b[19] == (CD_SECTORS + 150) % 75,
          "READ TOC format 0 (MSF): track 1 at 00:02:00, lead-out");
    toc[2] = 1;
    packet(toc, 0xfffe, false);
    CHECK_EQ(reply(b, sizeof b), 12u, "READ TOC format 1: 12 bytes");
    toc[2] = 2;
    packet(toc, 0xfffe, false);
    n = reply(b, sizeof b);
    CHECK(n == 48 && b[7] == 0xa0 && b[29] == 0xa2, "READ TOC format 2: points A0..A2, 1");

    uint8_t gc[12] = { 0x46, 0, 0, 0, 0, 0, 0, 0, 64 };
    packet(gc, 0xfffe, false);
    n = reply(b, sizeof b);
    CHECK(n >= 8 && b[6] == 0x00 && b[7] == 0x08, "GET CONFIGURATION: current profile CD-ROM");

    uint8_t bad[12] = { 0xff };
    uint8_t st = packet(bad, 0xfffe, false);
    CHECK_EQ(st & 0x89, 0x01u, "unknown packet command: CHECK CONDITION (ERR)");
    CHECK_EQ(inb(S + 1) >> 4, 5u, "unknown packet command: sense key ILLEGAL REQUEST in error");
    uint8_t rs[12] = { 0x03, 0, 0, 0, 18 };
    packet(rs, 0xfffe, false);
    n = reply(b, sizeof b);
    CHECK(n == 18 && b[0] == 0x70 && b[2] == 5 && b[12] == 0x20,
          "REQUEST SENSE: ILLEGAL REQUEST / INVALID COMMAND OPERATION CODE");
    packet(rs, 0xfffe, false);
    n = reply(b, sizeof b);
    CHECK(n == 18 && b[2] == 0, "REQUEST SENSE again: no sense");

    uint8_t oor[12] = { 0x28, 0, 0, 0, 0, CD_SECTORS - 1, 0, 0, 2 };
    CHECK_EQ(packet(oor, 0xfffe, false) & 1, 1u, "READ(10) past the end: CHECK CONDITION");
    packet(rs, 0xfffe, false);
    reply(b, sizeof b);
    CHECK(b[2] == 5 && b[12] == 0x21, "READ(10) past the end: LBA OUT OF RANGE");

    /* Eject: no medium; UNIT ATTENTION once, then NOT READY. */
    uint8_t lock[12] = { 0x1e, 0, 0, 0, 1 };
    packet(lock, 0xfffe, false);
    uint8_t ej[12] = { 0x1b, 0, 0, 0, 2 };
    CHECK_EQ(packet(ej, 0xfffe, false) & 1, 1u, "eject while locked fails");
    lock[4] = 0;
    packet(lock, 0xfffe, false);
    CHECK_EQ(packet(ej, 0xfffe, false) & 1, 0u, "eject");
    uint8_t tur[12] = { 0x00 };
    CHECK_EQ(packet(tur, 0xfffe, false) & 1, 1u, "TEST UNIT READY without medium fails");
    packet(rs, 0xfffe, false);
    reply(b, sizeof b);
    CHECK(b[2] == 2 && b[12] == 0x3a, "sense: NOT READY / MEDIUM NOT PRESENT");
    uint8_t ld[12] = { 0x1b, 0, 0, 0, 3 };
    packet(ld, 0xfffe, false);
    CHECK_EQ(packet(tur, 0xfffe, false) & 1, 1u, "after loading: TEST UNIT READY reports...");
    packet(rs, 0xfffe, false);
    reply(b, sizeof b);
    CHECK(b[2] == 6 && b[12] == 0x28, "... UNIT ATTENTION / MEDIUM MAY HAVE CHANGED");
    CHECK_EQ(packet(tur, 0xfffe, false) & 1, 0u, "then TEST UNIT READY passes");
    uint8_t ev[12] = { 0x4a, 1, 0, 0, 0x10, 0, 0, 0, 8 };
    packet(ev, 0xfffe, false);
    n = reply(b, sizeof b);
    CHECK(n == 8 && b[2] == 4 && b[4] == 2 && (b[5] & 2), "GET EVENT STATUS: new media, present");

    ide_change_medium(cd, NULL);
    CHECK_EQ(packet(tur, 0xfffe, false) & 1, 1u, "medium removed: UNIT ATTENTION first");
    packet(tur, 0xfffe, false);
    packet(rs, 0xfffe, false);
    reply(b, sizeof b);
    CHECK(b[2] == 2 && b[12] == 0x3a, "medium removed: then NOT READY / MEDIUM NOT PRESENT");
    CHECK_EQ(packet(rd, 0xfffe, false) & 1, 1u, "READ(10) without medium fails");

    /* Soft reset of the channel: ATAPI signature, status 0. */
    outb(0x376, 0x04);
    outb(0x376, 0x00);
    CHECK_EQ(inb(S + 4) | inb(S + 5) << 8, 0xeb14u, "SRST: ATAPI signature");
    CHECK_EQ(inb(S + 7), 0u, "SRST: ATAPI status 0");
}

/* Random register traffic on both channels and the bus master, with PRD
 * tables of random words in RAM: whatever the guest does, the device
 * stays inside its buffers (run under ASan) and a reset brings it back. */
static void test_random_traffic(void)
{
    static const uint16_t ports[] = { P, P + 1, P + 2, P + 3, P + 4, P + 5, P + 6, P + 7, 0x3f6,
                                      S, S + 1, S + 2, S + 3, S + 4, S + 5, S + 6, S + 7, 0x376,
                                      BM, BM + 2, BM + 4, BM + 8, BM + 10, BM + 12 };
    static const uint8_t cmds[] = { 0x20, 0x24, 0x25, 0x29, 0x30, 0x34, 0x35, 0x39, 0xc4, 0xc5,
                                    0xc6, 0xc8, 0xca, 0xec, 0xa1, 0xa0, 0x08, 0x90, 0xe7, 0xef,
                                    0x91, 0x40, 0x00, 0xff };
    uint32_t x = 12345;
    for (uint32_t a = 0x1000; a < 0x3000; a += 4)
        physmem_write(&mem, a, (x = x * 1103515245 + 12345) & 0x003ffffe, 4);
    for (int i = 0; i < 200000; i++) {
        x = x * 1103515245 + 12345;
        uint16_t port = ports[(x >> 8) % (sizeof ports / sizeof ports[0])];
        uint32_t v = x >> 16;
        unsigned kind = (x >> 4) & 7;
        if ((port == P + 7 || port == S + 7) && kind < 4)
            v = cmds[v % sizeof cmds];
        if (port == BM + 4 || port == BM + 12)
            v = 0x1000 + (v & 0x1ff8);
        if (kind == 0 || kind == 1)
            outb(port, (uint8_t)v);
        else if (kind == 2 && (port == P || port == S))
            outw(port, (uint16_t)v);
        else if (kind == 3 && (port == P || port == S || port == BM + 4 || port == BM + 12))
            outl(port, v);
        else if (kind == 4)
            (void)inw(port);
        else
            (void)inb(port);
        if ((i & 255) == 0)
            ide_drain(&ide);
    }
    ide_drain(&ide);
    outb(BM, 0);
    outb(BM + 8, 0);
    outb(0x3f6, 0x04);
    outb(0x3f6, 0x00);
    outb(0x376, 0x04);
    outb(0x376, 0x00);
    outb(P + 6, 0xa0);
    CHECK_EQ(inb(P + 7), 0x50u, "random traffic: the disk is ready after a soft reset");
    cmd28(0x20, 9, 1);
    settle(P);
    uint8_t b[512], f[512];
    read_block(P, b, 512);
    CHECK(pread(disk_fd, f, 512, 9 * 512) == 512 && memcmp(b, f, 512) == 0,
          "random traffic: a read still returns the image's sector");
    CHECK_EQ(inb(P + 7), 0x50u, "random traffic: the read completes");
}

int main(void)
{
    char err[BLOCK_ERR_LEN];
    struct irq_line irq[2] = { { irq_set_cb, NULL, 0 }, { irq_set_cb, NULL, 1 } };

    if (iobus_init(&io) || physmem_init(&mem, RAM) || physmem_map_ram(&mem, 0, RAM, 0, "ram") ||
        pci_bus_init(&bus, &io) || ide_init(&ide, &bus, &io, &mem, irq)) {
        printf("FAIL setup\n");
        return 1;
    }
    disk_fd = make_image(disk_path, DISK_SECTORS * 512ull);
    int cd_fd = make_image(cd_path, CD_SECTORS * 2048ull);
    CHECK(disk_fd >= 0 && cd_fd >= 0, "test images");
    close(cd_fd);
    struct block *disk = block_open(disk_path, "raw", 0, err, sizeof err);
    CHECK(disk != NULL, "open the disk image: %s", disk ? "" : err);
    struct block *cd = block_open(cd_path, "raw", BLOCK_RDONLY, err, sizeof err);
    CHECK(cd != NULL, "open the CD image: %s", cd ? "" : err);
    if (!disk || !cd)
        return test_summary();
    CHECK_EQ(ide_attach(&ide, 0, 0, IDE_DISK, disk, err, sizeof err), 0, "attach the disk");
    CHECK_EQ(ide_attach(&ide, 1, 0, IDE_CDROM, cd, err, sizeof err), 0, "attach the CD-ROM");
    CHECK(ide_attach(&ide, 1, 0, IDE_DISK, disk, err, sizeof err) < 0, "a taken position is refused");
    ide_reset(&ide);

    test_pci();
    test_signatures();
    test_identify();
    test_pio_read28();
    test_pio_write48();
    test_multiple();
    test_dma();
    test_errors();
    test_soft_reset();
    test_save_load();
    test_atapi();
    test_random_traffic();

    ide_free(&ide);
    close(disk_fd);
    unlink(disk_path);
    unlink(cd_path);
    iobus_free(&io);
    physmem_free(&mem);
    return test_summary();
}
