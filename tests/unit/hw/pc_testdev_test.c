/* Unit tests for pc-testdev (src/hw/pc_testdev.c) through the port bus and
 * the physical address space: the data register at 0xE0 by every access
 * size and byte offset, the byte-wide view at 0xE8 of the same register,
 * the flush port, the 24 interrupt lines (byte writes and a 32-bit write
 * split across four lines), the 64 KiB MMIO window, the ports left free. */
#include "test.h"
#include "hw/pc_testdev.h"
#include "mem/iobus.h"
#include "mem/physmem.h"

static struct iobus bus;
static struct physmem mem;
static struct pc_testdev dev;
static int level[PC_TESTDEV_IRQ_LINES], sets[PC_TESTDEV_IRQ_LINES];

static void line_set(void *o, int n, int l)
{
    level[n] = l;
    sets[n]++;
}

static uint32_t in(uint16_t port, unsigned size) { return iobus_in(&bus, port, size); }
static void out(uint16_t port, uint32_t v, unsigned size) { iobus_out(&bus, port, v, size); }

int main(void)
{
    struct irq_line lines[PC_TESTDEV_IRQ_LINES];
    for (int i = 0; i < PC_TESTDEV_IRQ_LINES; i++)
        lines[i] = (struct irq_line){ line_set, NULL, i };

    CHECK(iobus_init(&bus) == 0, "iobus_init");
    CHECK(physmem_init(&mem, 1 << 20) == 0, "physmem_init 1 MiB");
    CHECK(pc_testdev_init(&dev, &bus, &mem, lines) == 0, "pc_testdev_init");

    /* Data register: what emulator.c's in/out tests do. */
    out(0xE0, 0x12345678, 4);
    CHECK_EQ(in(0xE0, 4), 0x12345678, "0xE0 dword write, dword read");
    CHECK_EQ(in(0xE0, 1), 0x78, "0xE0 byte read is byte 0");
    CHECK_EQ(in(0xE1, 1), 0x56, "0xE1 byte read is byte 1");
    CHECK_EQ(in(0xE2, 2), 0x1234, "0xE2 word read is bytes 2-3");
    CHECK_EQ(in(0xE0, 2), 0x5678, "0xE0 word read is bytes 0-1");
    out(0xE0, 0x99, 1);
    CHECK_EQ(in(0xE0, 4), 0x12345699, "0xE0 byte write changes byte 0 only");
    out(0xE3, 0xAB, 1);
    CHECK_EQ(in(0xE0, 4), 0xAB345699, "0xE3 byte write changes byte 3 only");
    out(0xE2, 0xCDEF, 2);
    CHECK_EQ(in(0xE0, 4), 0xCDEF5699, "0xE2 word write changes bytes 2-3");
    out(0xE1, 0x4321, 2);
    CHECK_EQ(in(0xE0, 4), 0xCD432199, "misaligned word at 0xE1 (split by the bus) writes bytes 1-2");
    out(0xE0, 0x9999, 2);
    CHECK_EQ(in(0xE0, 2), 0x9999, "emulator's outw 0x9999 reads back (string I/O test)");

    /* 0xE8: the same register, byte-wide. */
    out(0xE0, 0x11223344, 4);
    CHECK_EQ(in(0xE8, 4), 0x11223344, "0xE8 dword read sees the 0xE0 register");
    CHECK_EQ(in(0xEA, 1), 0x22, "0xEA byte read is byte 2");
    out(0xE8, 0xA1B2C3D4, 4);
    CHECK_EQ(in(0xE0, 4), 0xA1B2C3D4, "0xE8 dword write (as four bytes) lands in the register");
    out(0xE9, 0x77, 1);
    CHECK_EQ(in(0xE0, 4), 0xA1B277D4, "0xE9 byte write changes byte 1");

    /* Flush port: takes the write, reads 0, leaves the data alone. */
    out(0xE4, 0x12345000, 4);
    CHECK_EQ(in(0xE4, 4), 0, "0xE4 reads 0");
    CHECK_EQ(in(0xE0, 4), 0xA1B277D4, "0xE4 write leaves the data register");

    /* Interrupt lines. */
    out(0x2000 + 11, 1, 1);
    CHECK_EQ(level[11], 1, "0x200B byte 1 raises line 11");
    out(0x2000 + 11, 0, 1);
    CHECK_EQ(level[11], 0, "0x200B byte 0 lowers line 11");
    out(0x2000 + 4, 0x80, 1);
    CHECK_EQ(level[4], 1, "any non-zero value raises the line (0x80 on line 4)");
    out(0x2000 + 23, 5, 1);
    CHECK_EQ(level[23], 1, "line 23 (I/O APIC pin) at 0x2017");
    memset(sets, 0, sizeof sets);
    out(0x2000 + 11, 1, 4);     /* realmode.c test_sti_inhibit: outl to 0x200B */
    CHECK_EQ(level[11], 1, "dword 1 at 0x200B raises line 11");
    CHECK(sets[12] == 1 && sets[13] == 1 && sets[14] == 1 && !level[12] && !level[13] && !level[14],
          "dword 1 at 0x200B writes 0 to lines 12-14");
    CHECK(sets[10] == 0 && sets[15] == 0, "dword at 0x200B touches lines 11-14 only");
    CHECK_EQ(in(0x2000 + 11, 1), 0, "line ports read 0");
    CHECK_EQ(in(0x2018, 1), 0xff, "0x2018 is past the 24 lines (unassigned)");

    /* MMIO window. */
    physmem_write(&mem, PC_TESTDEV_IOMEM_BASE, 0x1122334455667788ull, 8);
    CHECK_EQ(physmem_read(&mem, PC_TESTDEV_IOMEM_BASE, 8), 0x1122334455667788ull,
             "iomem qword write/read");
    CHECK_EQ(physmem_read(&mem, PC_TESTDEV_IOMEM_BASE + 1, 1), 0x77, "iomem is little-endian");
    CHECK_EQ(physmem_read(&mem, PC_TESTDEV_IOMEM_BASE + 2, 4), 0x33445566u, "iomem misaligned dword");
    physmem_write(&mem, PC_TESTDEV_IOMEM_BASE + 0xFFFF, 0x5A, 1);
    CHECK_EQ(physmem_read(&mem, PC_TESTDEV_IOMEM_BASE + 0xFFFF, 1), 0x5A, "iomem last byte");
    CHECK_EQ(physmem_read(&mem, PC_TESTDEV_IOMEM_BASE + 0x10000, 1), 0xff,
             "0xFF010000 is past the window (unassigned)");
    CHECK_EQ(dev.iomem[0xFFFF], 0x5A, "the write reached the device's storage");

    /* Ports around the device stay free. */
    CHECK_EQ(in(0xDF, 1), 0xff, "0xDF unassigned");
    CHECK_EQ(in(0xEC, 1), 0xff, "0xEC unassigned");

    pc_testdev_reset(&dev);
    CHECK_EQ(in(0xE0, 4), 0, "reset clears the data register");
    CHECK_EQ(physmem_read(&mem, PC_TESTDEV_IOMEM_BASE, 8), 0, "reset clears the iomem");

    physmem_free(&mem);
    iobus_free(&bus);
    return test_summary();
}
