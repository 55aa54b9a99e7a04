/* The 8259A programmable interrupt controller pair of the PC (src/hw/pic.c):
 * master at 0x20-0x21 (IRQ0-7), slave at 0xA0-0xA1 (IRQ8-15) cascaded on
 * master IR2, and the PIIX edge/level control registers (ELCR) at
 * 0x4D0-0x4D1.
 *
 * Devices reach an input through an irq_line made by pic_line(); the pair's
 * INT output goes to `intr` (the board wires it to cpu_set_intr), and the
 * CPU acknowledges with pic_intr_ack(), which has the cpu->intr_ack
 * signature and returns the vector of the INTA cycle. */
#ifndef RAWBOX_HW_PIC_H
#define RAWBOX_HW_PIC_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/irq.h"

struct iobus;
struct savestate;

struct pic_chip {
    uint8_t irr, isr, imr;
    uint8_t line;               /* input levels as last driven */
    uint8_t elcr, elcr_mask;    /* level-triggered inputs; writable bits */
    uint8_t base;               /* ICW2 vector base */
    uint8_t icw3;
    uint8_t lowest;             /* priority rotation: IR(lowest+1) is highest */
    uint8_t init_step;          /* 0: ready; 1..3: expecting ICW2..ICW4 */
    bool icw4_needed, single, ltim;
    bool auto_eoi, rotate_aeoi, sfnm;
    bool read_isr, poll, special_mask;
};

struct pic {
    struct pic_chip c[2];       /* 0 master, 1 slave */
    struct irq_line intr;       /* to the CPU INTR input */
    int intr_level;
};

/* Registers 0x20, 0xA0 (2 ports each) and 0x4D0 (2 ports). */
int pic_init(struct pic *s, struct iobus *bus, struct irq_line intr)
    __attribute__((warn_unused_result));
void pic_reset(struct pic *s);

/* The irq_line for input n (0-15). */
struct irq_line pic_line(struct pic *s, int n);
/* irq_set_fn: drive input n to level. */
void pic_set_irq(void *pic, int n, int level);
/* INTA cycle: returns the vector (a spurious IRQ7/IRQ15 when nothing is
 * pending any more) and updates ISR/IRR. */
int pic_intr_ack(void *pic);
bool pic_intr_pending(const struct pic *s);

void pic_save(const struct pic *s, struct savestate *ss);
int pic_load(struct pic *s, struct savestate *ss);

#endif
