/* The 82093AA-style I/O APIC (src/hw/ioapic.c): IOREGSEL at base + 0x00,
 * IOWIN at base + 0x10, 24 redirection entries. Devices reach its pins
 * through irq_lines made by ioapic_line(); it sends interrupt messages
 * through ops.deliver (the board passes them to the local APIC) and learns
 * of EOIs for level-triggered vectors through ioapic_eoi(). */
#ifndef RAWBOX_HW_IOAPIC_H
#define RAWBOX_HW_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/irq.h"

struct physmem;
struct savestate;

#define IOAPIC_DEFAULT_BASE 0xFEC00000u
#define IOAPIC_PINS 24
#define IOAPIC_VERSION 0x00170011u      /* version 0x11, max redirection entry 23 */

struct ioapic_ops {
    /* An interrupt message; returns true when some local APIC accepted it. */
    bool (*deliver)(void *opaque, uint8_t dest, bool logical, unsigned mode,
                    uint8_t vector, bool trig_level);
    void *opaque;
};

struct ioapic {
    struct ioapic_ops ops;
    uint8_t id;                 /* bits 27:24 of the ID register */
    uint8_t sel;                /* IOREGSEL */
    uint64_t redir[IOAPIC_PINS];
    uint32_t level;             /* pin input levels as driven */
};

/* Maps the register window at `base` (mem may be NULL in tests). */
int ioapic_init(struct ioapic *s, struct physmem *mem, uint64_t base,
                const struct ioapic_ops *ops) __attribute__((warn_unused_result));
void ioapic_reset(struct ioapic *s);        /* all entries masked, ID 0 */

struct irq_line ioapic_line(struct ioapic *s, int pin);
void ioapic_set_irq(void *ioapic, int pin, int level);
/* EOI broadcast from a local APIC for `vector`. */
void ioapic_eoi(struct ioapic *s, uint8_t vector);

/* Register window access (offset 0x00 IOREGSEL, 0x10 IOWIN). */
uint32_t ioapic_read(struct ioapic *s, uint32_t off);
void ioapic_write(struct ioapic *s, uint32_t off, uint32_t v);

void ioapic_save(const struct ioapic *s, struct savestate *ss);
int ioapic_load(struct ioapic *s, struct savestate *ss);

#endif
