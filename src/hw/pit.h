/* The 8254 programmable interval timer (src/hw/pit.c) at 0x40-0x43, and
 * system control port B at 0x61 (speaker gate = channel 2 gate, OUT2,
 * refresh toggle) as on the PC/AT and the PIIX.
 *
 * Channel 0 drives IRQ0 through `irq0`; channel 1 (DRAM refresh) counts but
 * drives nothing; channel 2's gate and output are bits 0 and 5 of port
 * 0x61. Counters are computed from the virtual clock when read, and a timer
 * is armed only for the next output change of channel 0. */
#ifndef RAWBOX_HW_PIT_H
#define RAWBOX_HW_PIT_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/irq.h"
#include "vm/clock.h"

struct iobus;
struct savestate;

#define PIT_FREQ 1193182u       /* input clock, Hz */

struct pit_channel {
    uint32_t count;             /* reload value, binary, 1..65536 */
    uint16_t latch;             /* latched count (raw, BCD if bcd) */
    uint8_t latch_state;        /* 0 none, 1 low byte, 2 high byte, 3 word, 4 word high */
    uint8_t status;
    bool status_latched;
    uint8_t rw;                 /* 1 LSB, 2 MSB, 3 LSB then MSB */
    uint8_t mode;               /* 0-5 */
    bool bcd;
    bool read_hi, write_hi;     /* word access: next byte is the high one */
    uint8_t write_lsb;
    bool gate;
    bool loaded;                /* a count was written since the control word */
    bool running;               /* counting (modes 1/5: triggered) */
    bool null_count;
    bool strobed;               /* modes 4/5: strobe pulse already given */
    uint64_t start;             /* virtual ns when counting (re)started */
    uint64_t base;              /* ticks counted before `start` */
    uint64_t periods;           /* modes 2/3: periods already signalled */
    int out_line;               /* level driven on irq */
    struct irq_line irq;
    bool has_irq;
    struct timer timer;
    struct pit *pit;
};

struct pit {
    struct pit_channel ch[3];
    struct clock *clock;
    uint8_t port61;             /* bits 0-3 as written */
};

/* Registers 0x40 (4 ports) and 0x61. */
int pit_init(struct pit *s, struct clock *clock, struct iobus *bus, struct irq_line irq0)
    __attribute__((warn_unused_result));
void pit_reset(struct pit *s);
/* Output level of channel n now (for tests and the speaker). */
int pit_get_out(struct pit *s, int n);

void pit_save(const struct pit *s, struct savestate *ss);
int pit_load(struct pit *s, struct savestate *ss);

#endif
