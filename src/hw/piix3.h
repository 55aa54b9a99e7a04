/* Intel 82371SB PIIX3 PCI-to-ISA bridge, function 0 (src/hw/piix3.c):
 * PCI 00:01.0, 8086:7000, multi-function (the IDE and USB functions are
 * separate devices at 00:01.1 and 00:01.2).
 *
 * PCI interrupts: a PCI device's INTx pin reaches one of PIRQA-D (board
 * swizzle: piix3_pirq_of), and PIRQRC[A-D] at 0x60-0x63 route each PIRQ to
 * an ISA IRQ line given at init (normally the PIC inputs). Several PIRQs on
 * one IRQ are ORed; an ISA device should not share an IRQ with a PIRQ.
 * Also the reset control register at I/O 0xCF9 (through the PCI bus).
 * The ELCR (0x4D0/0x4D1) lives in pic.c. */
#ifndef RAWBOX_HW_PIIX3_H
#define RAWBOX_HW_PIIX3_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/irq.h"
#include "hw/pci.h"
#include "hw/sysctl.h"

struct savestate;

struct piix3 {
    struct pci_device pci;
    struct irq_line isa[16];
    uint8_t pirq_level;         /* bit n: PIRQ n input level */
    uint16_t isa_level;         /* ISA lines we currently drive high */
    uint8_t rc;                 /* reset control (0xCF9) */
    struct sysctl_ops ops;
};

int piix3_init(struct piix3 *s, struct pci_bus *bus, const struct irq_line isa_irq[16],
               const struct sysctl_ops *ops) __attribute__((warn_unused_result));
void piix3_reset(struct piix3 *s);
/* irq_set_fn for PIRQ n (0-3 = A-D). */
void piix3_set_pirq(void *piix3, int n, int level);
struct irq_line piix3_pirq_line(struct piix3 *s, int n);
/* The PIRQ a device in `slot` reaches with pin (1 = INTA .. 4 = INTD). */
int piix3_pirq_of(unsigned slot, unsigned pin);
/* ISA IRQ PIRQ n is routed to, or -1 when disabled. */
int piix3_pirq_route(const struct piix3 *s, int n);

void piix3_save(const struct piix3 *s, struct savestate *ss);
int piix3_load(struct piix3 *s, struct savestate *ss);

#endif
