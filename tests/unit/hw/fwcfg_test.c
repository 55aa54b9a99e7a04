/* Unit tests for fw_cfg (src/hw/fwcfg.c) through its ports only: the
 * signature and feature bits, selector/data reads with rewind and past-end
 * zeros, ignored widths, the file directory (sorted, big endian), file
 * replacement, arch-local keys, DMA read/skip/select/write with the
 * descriptor's control word written back, DMA errors (read-only item,
 * target outside RAM), the "QEMU CFG" DMA signature, reset and save/load. */
#include "test.h"
#include "hw/fwcfg.h"
#include "mem/iobus.h"
#include "mem/physmem.h"
#include "util/savestate.h"

static struct iobus bus;
static struct physmem mem;
static struct fwcfg cfg;

static void sel(uint16_t key) { iobus_out(&bus, 0x510, key, 2); }
static uint8_t data(void) { return (uint8_t)iobus_in(&bus, 0x511, 1); }

static void read_n(void *buf, unsigned n)
{
    uint8_t *p = buf;
    for (unsigned i = 0; i < n; i++)
        p[i] = data();
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* Write a descriptor at desc, start the transfer as SeaBIOS does (one
 * 32-bit big-endian write of the low half at 0x518), return the control
 * word the device stored back. */
static uint32_t dma(uint32_t desc, uint32_t control, uint32_t len, uint64_t addr)
{
    uint8_t d[16];
    put_be32(d, control);
    put_be32(d + 4, len);
    put_be32(d + 8, (uint32_t)(addr >> 32));
    put_be32(d + 12, (uint32_t)addr);
    physmem_write_buf(&mem, desc, d, sizeof d);
    uint32_t be = (desc >> 24) | ((desc >> 8) & 0xff00) | ((desc << 8) & 0xff0000) | (desc << 24);
    iobus_out(&bus, 0x518, be, 4);
    physmem_read_buf(&mem, desc, d, 4);
    return be32(d);
}

/* Find `name` in the directory read through the ports; its key or -1. */
static int dir_find(const char *name, uint32_t *size, unsigned *index)
{
    uint8_t cnt[4], e[64];
    sel(FWCFG_FILE_DIR);
    read_n(cnt, 4);
    for (uint32_t i = 0; i < be32(cnt); i++) {
        read_n(e, 64);
        if (strcmp((char *)e + 8, name) == 0) {
            *size = be32(e);
            *index = i;
            return e[4] << 8 | e[5];
        }
    }
    return -1;
}

int main(void)
{
    uint8_t buf[64];
    uint32_t size;
    unsigned index;

    CHECK(iobus_init(&bus) == 0, "iobus_init");
    CHECK(physmem_init(&mem, 1 << 20) == 0, "physmem_init 1 MiB");
    CHECK(physmem_map_ram(&mem, 0, 1 << 20, 0, "ram") == 0, "map RAM");
    CHECK(fwcfg_init(&cfg, &bus, FWCFG_PORT, &mem) == 0, "fwcfg_init at 0x510 with DMA");

    /* Signature and ID. */
    read_n(buf, 4);
    CHECK(memcmp(buf, "QEMU", 4) == 0, "after reset the data port reads the signature");
    CHECK_EQ(data(), 0, "past the signature's end reads 0");
    sel(FWCFG_SIGNATURE);
    read_n(buf, 4);
    CHECK(memcmp(buf, "QEMU", 4) == 0, "selecting again rewinds to offset 0");
    sel(FWCFG_ID);
    read_n(buf, 4);
    CHECK_EQ(buf[0] | buf[1] << 8 | buf[2] << 16 | (uint32_t)buf[3] << 24,
             FWCFG_ID_TRADITIONAL | FWCFG_ID_DMA, "ID: traditional and DMA interfaces");
    sel(FWCFG_ID | FWCFG_WRITE_CHANNEL);
    CHECK_EQ(data(), 3, "the write-channel bit is ignored in a selector");
    sel(0x0018);
    CHECK_EQ(data(), 0, "an unset key reads 0");
    sel(0x3fff);
    CHECK_EQ(data(), 0, "a key beyond the table reads 0");

    /* Widths QEMU's x86 port block does not take. */
    sel(FWCFG_ID);
    iobus_out(&bus, 0x510, FWCFG_SIGNATURE, 1);
    CHECK_EQ(data(), 3, "a byte write to the selector is ignored");
    CHECK_EQ(iobus_in(&bus, 0x510, 1), 0xff, "the selector does not read back");

    /* Integer items. */
    CHECK(fwcfg_add_u16(&cfg, FWCFG_NB_CPUS, 1) == 0, "add NB_CPUS");
    CHECK(fwcfg_add_u64(&cfg, FWCFG_RAM_SIZE, 0x123456789ull) == 0, "add RAM_SIZE");
    CHECK(fwcfg_add_u32(&cfg, FWCFG_E820_TABLE, 0) == 0, "add arch-local E820_TABLE");
    CHECK(fwcfg_add_bytes(&cfg, 0x0021, "x", 1) != 0, "file keys are refused by add_bytes");
    sel(FWCFG_RAM_SIZE);
    read_n(buf, 8);
    CHECK_EQ(buf[0] | buf[1] << 8 | buf[2] << 16 | (uint64_t)buf[3] << 24 | (uint64_t)buf[4] << 32,
             0x123456789ull, "RAM_SIZE is a little-endian u64");
    sel(FWCFG_E820_TABLE);
    read_n(buf, 4);
    CHECK_EQ(buf[0] | buf[1] | buf[2] | buf[3], 0, "arch-local key 0x8003 reads its item");
    CHECK(fwcfg_add_bytes(&cfg, FWCFG_IRQ0_OVERRIDE, "\x01", 1) == 0, "add IRQ0_OVERRIDE");
    sel(FWCFG_IRQ0_OVERRIDE);
    CHECK_EQ(data(), 1, "arch-local key 0x8002 reads its item");
    sel(FWCFG_IRQ0_OVERRIDE & 0x3fff);
    CHECK_EQ(data(), 0, "key 0x0002 (unset) is not the arch-local 0x8002");

    /* Files and the directory. */
    int kb = fwcfg_add_file(&cfg, "zeta", "ZZZ", 3, false);
    int ka = fwcfg_add_file(&cfg, "etc/e820", "0123456789", 10, false);
    int kw = fwcfg_add_file(&cfg, "etc/writable", "wwww", 4, true);
    CHECK_EQ(kb, 0x20, "first file gets key 0x0020");
    CHECK_EQ(ka, 0x21, "second file gets key 0x0021");
    CHECK_EQ(dir_find("etc/e820", &size, &index), 0x21, "directory lists etc/e820 at 0x0021");
    CHECK_EQ(size, 10, "directory size is big endian");
    CHECK_EQ(index, 0, "directory sorted by name: etc/e820 first");
    CHECK_EQ(dir_find("zeta", &size, &index), 0x20, "directory lists zeta");
    CHECK_EQ(index, 2, "directory sorted by name: zeta last");
    sel((uint16_t)ka);
    read_n(buf, 10);
    CHECK(memcmp(buf, "0123456789", 10) == 0, "file read through the data port");
    CHECK(fwcfg_add_file(&cfg, "zeta", "YY", 2, false) == kb, "replacing a file keeps its key");
    CHECK_EQ(dir_find("zeta", &size, &index), kb, "replaced file still listed");
    CHECK_EQ(size, 2, "directory shows the new size");
    CHECK(fwcfg_add_file(&cfg, "", "x", 1, false) < 0, "an empty name is refused");
    CHECK(fwcfg_add_file(&cfg, "0123456789012345678901234567890123456789012345678901234567",
                         "x", 1, false) < 0, "a name of 56+ characters is refused");

    /* DMA signature and reads. */
    CHECK_EQ(iobus_in(&bus, 0x514, 4), 0x554d4551, "DMA register reads 'QEMU' (bytes in order)");
    CHECK_EQ(iobus_in(&bus, 0x518, 4), 0x47464320, "... then ' CFG'");
    CHECK_EQ(iobus_in(&bus, 0x514, 1), 'Q', "byte read of the DMA register");

    memset(buf, 0xee, sizeof buf);
    physmem_write_buf(&mem, 0x2000, buf, 32);
    CHECK_EQ(dma(0x1000, (uint32_t)ka << 16 | FWCFG_DMA_SELECT | FWCFG_DMA_READ, 4, 0x2000), 0,
             "DMA select+read completes with control 0");
    physmem_read_buf(&mem, 0x2000, buf, 8);
    CHECK(memcmp(buf, "0123\xee", 5) == 0, "DMA read copied 4 bytes");
    CHECK_EQ(dma(0x1000, FWCFG_DMA_SKIP, 2, 0), 0, "DMA skip of 2 bytes");
    CHECK_EQ(data(), '6', "the data port continues after the DMA skip");
    CHECK_EQ(dma(0x1000, FWCFG_DMA_READ, 8, 0x2000), 0, "DMA read past the end");
    physmem_read_buf(&mem, 0x2000, buf, 9);
    CHECK(memcmp(buf, "789\0\0\0\0\0\xee", 9) == 0, "... gives the rest, then zeros");
    CHECK_EQ(dma(0x1000, (uint32_t)ka << 16 | FWCFG_DMA_SELECT | FWCFG_DMA_READ, 10,
                 0xFFFFF000ull), FWCFG_DMA_ERROR, "DMA read to a non-RAM address sets the error bit");
    CHECK_EQ(dma(0x1000, FWCFG_DMA_SELECT | (uint32_t)FWCFG_ID << 16, 0, 0), 0,
             "DMA select alone (length ignored)");
    CHECK_EQ(data(), 3, "... and the data port reads the newly selected item");

    /* DMA writes. */
    physmem_write_buf(&mem, 0x3000, "ABCD", 4);
    CHECK_EQ(dma(0x1000, (uint32_t)kw << 16 | FWCFG_DMA_SELECT | FWCFG_DMA_WRITE, 2, 0x3000), 0,
             "DMA write to a writable file");
    sel((uint16_t)kw);
    read_n(buf, 4);
    CHECK(memcmp(buf, "ABww", 4) == 0, "the file holds the written bytes");
    CHECK_EQ(dma(0x1000, (uint32_t)kw << 16 | FWCFG_DMA_SELECT | FWCFG_DMA_WRITE, 5, 0x3000),
             FWCFG_DMA_ERROR, "DMA write past a file's end is an error");
    CHECK_EQ(dma(0x1000, (uint32_t)ka << 16 | FWCFG_DMA_SELECT | FWCFG_DMA_WRITE, 2, 0x3000),
             FWCFG_DMA_ERROR, "DMA write to a read-only file is an error");
    sel((uint16_t)ka);
    CHECK_EQ(data(), '0', "the read-only file is unchanged");

    /* High half of the address latches; a descriptor outside RAM is
     * dropped without a write-back (nowhere to write). */
    iobus_out(&bus, 0x514, 0x01000000, 4);      /* high = 1 */
    CHECK_EQ(cfg.dma_addr, 1ull << 32, "a write at 0x514 latches the high half (big endian)");
    uint64_t errs = cfg.dma_errors;
    iobus_out(&bus, 0x518, 0, 4);
    CHECK_EQ(cfg.dma_errors, errs + 1, "descriptor at 4 GiB (not RAM) counted as an error");
    CHECK_EQ(cfg.dma_addr, 0, "the address clears after a transfer");

    /* Save/load and reset. */
    sel((uint16_t)ka);
    data();
    data();
    struct savestate ss;
    ss_init_write(&ss);
    fwcfg_save(&cfg, &ss);
    CHECK_EQ(ss.err, 0, "save");
    fwcfg_reset(&cfg);
    CHECK_EQ(data(), 'Q', "reset selects the signature");
    physmem_write_buf(&mem, 0x3000, "XY", 2);
    CHECK_EQ(dma(0x1000, (uint32_t)kw << 16 | FWCFG_DMA_SELECT | FWCFG_DMA_WRITE, 2, 0x3000), 0,
             "DMA write after the save");
    struct savestate rd;
    ss_init_read(&rd, ss.buf, ss.len);
    CHECK(fwcfg_load(&cfg, &rd) == 0, "load: %s", ss_error(&rd));
    CHECK_EQ(data(), '2', "after load the data port continues at offset 2 of etc/e820");
    sel((uint16_t)kw);
    CHECK_EQ(data(), 'A', "writable file contents restored");
    ss_free(&ss);

    fwcfg_free(&cfg);
    iobus_free(&bus);
    physmem_free(&mem);
    return test_summary();
}
