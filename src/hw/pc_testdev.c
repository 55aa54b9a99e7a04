/* pc-testdev: QEMU's ISA test device (QEMU hw/misc/pc-testdev.c), which
 * kvm-unit-tests' x86 tests expect next to isa-debug-exit. What it is,
 * port by port, as QEMU defines it:
 *
 *   0xE0-0xE3     a 32-bit data register. An access of N bytes at 0xE0+k
 *                 reads or writes bytes k..k+N-1 of it (emulator's
 *                 in/out and string I/O tests: write, read back).
 *   0xE4-0xE7     "flush page": a 32-bit write names a guest page that KVM
 *                 should make fault again (QEMU mprotects the host page).
 *                 An interpreter keeps no host protection to drop, so the
 *                 write is accepted and does nothing; reads are 0.
 *   0xE8-0xEB     the same data register, taken a byte at a time (wider
 *                 accesses are split by the bus).
 *   0x2000-0x2017 interrupt line n at 0x2000+n: a write sets the line to
 *                 (value != 0); reads are 0. QEMU takes only byte accesses
 *                 here and drops wider ones; rawbox's port bus splits a
 *                 wider access into bytes at consecutive ports, as the ISA
 *                 bus does (so realmode's `outl` to 0x200B sets IRQ 11 and
 *                 clears 12-14, which were clear).
 *   0xFF000000    64 KiB of device memory (MMIO, not RAM): plain storage,
 *     -0xFF00FFFF little-endian, any access size (emulator maps it twice
 *                 to test instructions whose operand is MMIO).
 *
 * There is no reset: QEMU's device keeps its contents over a system reset;
 * pc_testdev_reset() is the power-on state for a new machine. */
#include "hw/pc_testdev.h"

#include <string.h>

/* Bytes [k, k+size) of the data register. */
static uint32_t data_mask(uint64_t k, unsigned size)
{
    uint32_t m = size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
    return m << (8 * k);
}

static uint64_t data_read(void *s, uint64_t off, unsigned size)
{
    struct pc_testdev *d = s;
    return (d->data & data_mask(off, size)) >> (8 * off);
}

static void data_write(void *s, uint64_t off, uint64_t v, unsigned size)
{
    struct pc_testdev *d = s;
    uint32_t m = data_mask(off, size);
    d->data = (d->data & ~m) | (((uint32_t)v << (8 * off)) & m);
}

static uint64_t zero_read(void *s, uint64_t off, unsigned size)
{
    return 0;
}

static void flush_write(void *s, uint64_t off, uint64_t v, unsigned size)
{
    /* Nothing to flush: see the header. */
}

static void irq_write(void *s, uint64_t off, uint64_t v, unsigned size)
{
    struct pc_testdev *d = s;
    irq_set(&d->irq[off], v != 0);
}

static uint64_t iomem_read(void *s, uint64_t off, unsigned size)
{
    struct pc_testdev *d = s;
    uint64_t v = 0;
    if (off + size <= PC_TESTDEV_IOMEM_SIZE)
        memcpy(&v, d->iomem + off, size);   /* little-endian host */
    return v;
}

static void iomem_write(void *s, uint64_t off, uint64_t v, unsigned size)
{
    struct pc_testdev *d = s;
    if (off + size <= PC_TESTDEV_IOMEM_SIZE)
        memcpy(d->iomem + off, &v, size);
}

void pc_testdev_reset(struct pc_testdev *d)
{
    d->data = 0;
    memset(d->iomem, 0, sizeof d->iomem);
}

int pc_testdev_init(struct pc_testdev *d, struct iobus *io, struct physmem *mem,
                    const struct irq_line irq[PC_TESTDEV_IRQ_LINES])
{
    /* The data port's offsets are relative to 0xE0/0xE8 and always < 4;
     * a 2- or 4-byte access that would cross the range end is split by
     * the bus (sizes taken whole: only aligned ones reach the handler). */
    const struct io_handler data_h = { data_read, data_write, d, 1 | 2 | 4 };
    const struct io_handler byte_h = { data_read, data_write, d, 1 };
    const struct io_handler flush_h = { zero_read, flush_write, d, 1 | 2 | 4 };
    const struct io_handler irq_h = { zero_read, irq_write, d, 1 };
    const struct io_handler mem_h = { iomem_read, iomem_write, d, 1 | 2 | 4 | 8 };

    memcpy(d->irq, irq, sizeof d->irq);
    pc_testdev_reset(d);
    if (iobus_register(io, PC_TESTDEV_DATA_PORT, 4, &data_h, "pc-testdev") ||
        iobus_register(io, PC_TESTDEV_FLUSH_PORT, 4, &flush_h, "pc-testdev flush") ||
        iobus_register(io, PC_TESTDEV_BYTE_PORT, 4, &byte_h, "pc-testdev byte") ||
        iobus_register(io, PC_TESTDEV_IRQ_PORT, PC_TESTDEV_IRQ_LINES, &irq_h, "pc-testdev irq"))
        return -1;
    return physmem_map_mmio(mem, PC_TESTDEV_IOMEM_BASE, PC_TESTDEV_IOMEM_SIZE, &mem_h,
                            "pc-testdev iomem");
}
