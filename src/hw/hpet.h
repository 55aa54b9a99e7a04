/* The HPET of QEMU's pc board (src/hw/hpet.c): IA-PC HPET 1.0a event timer
 * block at 0xFED00000 (1 KiB), a 64-bit main counter at 100 MHz (period
 * 10 ns) on the virtual clock, and 3 comparators.
 *
 * Interrupt outputs: the board passes HPET_ROUTES lines, out[r] being
 * "interrupt route r" as Tn_INT_ROUTE numbers it (r < 16: the ISA IRQ line,
 * 8259 input and I/O APIC pin; r >= 16: the I/O APIC pin). The PIT's IRQ0
 * and the RTC's IRQ8 outputs reach their ISA lines through the HPET
 * (hpet_legacy_line): passed through normally, cut off while the guest has
 * LEG_RT_CNF set, when timers 0 and 1 own IRQ0 and IRQ8 instead. */
#ifndef RAWBOX_HW_HPET_H
#define RAWBOX_HW_HPET_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/irq.h"
#include "vm/clock.h"

struct physmem;
struct savestate;

#define HPET_DEFAULT_BASE 0xFED00000u
#define HPET_MMIO_SIZE    0x400u
#define HPET_TIMERS       3
#define HPET_ROUTES       24            /* output lines the board provides */
#define HPET_PERIOD_FS    10000000u     /* 10 ns: a 100 MHz counter */
#define HPET_NS_PER_TICK  10u
/* General capabilities, low half: revision 1, 3 timers (NUM_TIM_CAP 2),
 * 64-bit counter, legacy replacement capable, vendor 0x8086 (as QEMU). */
#define HPET_CAP_ID       (0x80860001u | (HPET_TIMERS - 1) << 8 | 1u << 13 | 1u << 15)
/* Tn_INT_ROUTE_CAP as QEMU's pc (i440FX) board reports it: IRQ2 only. */
#define HPET_ROUTE_CAP    0x00000004u

/* Legacy inputs (hpet_legacy_line). */
enum { HPET_LEGACY_PIT, HPET_LEGACY_RTC };

struct hpet;

struct hpet_timer {
    struct hpet *hpet;
    struct timer timer;
    int n;
    uint64_t config;            /* Tn_CONFIG writable bits (capabilities added on read) */
    uint64_t cmp;               /* comparator (accumulator in periodic mode) */
    uint64_t period;            /* periodic increment */
    bool wrap;                  /* 32-bit one-shot: the armed event is the counter wrap */
    bool far;                   /* armed short of the match (a very distant match) */
};

struct hpet {
    struct clock *clk;
    struct irq_line out[HPET_ROUTES];
    struct hpet_timer t[HPET_TIMERS];
    uint64_t config;            /* ENABLE_CNF, LEG_RT_CNF */
    uint64_t isr;               /* general interrupt status (level-triggered timers) */
    uint64_t counter;           /* main counter while halted; value at ns_base while running */
    uint64_t ns_base;           /* virtual ns when the counter was last started */
    uint8_t legacy_in;          /* levels of the PIT (bit 0) and RTC (bit 1) outputs */
    uint32_t out_level;         /* levels driven on out[] */
};

/* Maps the registers at `base` (mem may be NULL in tests). `out` has
 * HPET_ROUTES lines (entries with no set function are unconnected). */
int hpet_init(struct hpet *s, struct clock *clk, struct physmem *mem, uint64_t base,
              const struct irq_line *out) __attribute__((warn_unused_result));
void hpet_reset(struct hpet *s);

/* The line a legacy source (HPET_LEGACY_PIT, HPET_LEGACY_RTC) drives. */
struct irq_line hpet_legacy_line(struct hpet *s, int which);

/* Register access (offset in the 1 KiB block, size 1, 2, 4 or 8; any
 * offset and size is harmless). */
uint64_t hpet_read(struct hpet *s, uint64_t off, unsigned size);
void hpet_write(struct hpet *s, uint64_t off, uint64_t v, unsigned size);
uint64_t hpet_counter(struct hpet *s);

void hpet_save(struct hpet *s, struct savestate *ss);
int hpet_load(struct hpet *s, struct savestate *ss);

#endif
