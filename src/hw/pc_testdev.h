/* QEMU's pc-testdev (`-device pc-testdev`), the ISA test device that
 * kvm-unit-tests' x86 tests talk to. See pc_testdev.c for the ports. */
#ifndef RAWBOX_HW_PC_TESTDEV_H
#define RAWBOX_HW_PC_TESTDEV_H

#include <stdint.h>
#include "hw/irq.h"
#include "mem/iobus.h"
#include "mem/physmem.h"

#define PC_TESTDEV_DATA_PORT   0xE0     /* 4 bytes: data register */
#define PC_TESTDEV_FLUSH_PORT  0xE4     /* 4 bytes: "flush page" */
#define PC_TESTDEV_BYTE_PORT   0xE8     /* 4 bytes: data register, byte-wide */
#define PC_TESTDEV_IRQ_PORT    0x2000   /* one port per interrupt line */
#define PC_TESTDEV_IRQ_LINES   24
#define PC_TESTDEV_IOMEM_BASE  0xFF000000u
#define PC_TESTDEV_IOMEM_SIZE  0x10000u

struct pc_testdev {
    uint32_t data;              /* the register behind 0xE0 and 0xE8 */
    struct irq_line irq[PC_TESTDEV_IRQ_LINES];
    uint8_t iomem[PC_TESTDEV_IOMEM_SIZE];
};

/* Register the ports and the MMIO window. irq[n] is the board's
 * interrupt line n (ISA IRQ n below 16, I/O APIC pin n above). */
int pc_testdev_init(struct pc_testdev *d, struct iobus *io, struct physmem *mem,
                    const struct irq_line irq[PC_TESTDEV_IRQ_LINES])
    __attribute__((warn_unused_result));
/* Contents are power-on state: zero (QEMU's device has no reset). */
void pc_testdev_reset(struct pc_testdev *d);

#endif
