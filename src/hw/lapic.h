/* The local APIC (xAPIC) of the one vCPU (src/hw/lapic.c).
 *
 * The board places the LAPIC between the interrupt sources and the CPU:
 * the 8259's INT output goes to LINT0 (lapic_set_lint), the I/O APIC's
 * messages arrive through lapic_deliver(), and the LAPIC drives the CPU's
 * INTR through ops.set_intr and answers the INTA cycle with lapic_intr_ack
 * (which runs the 8259's own INTA through ops.extint_ack for ExtINT).
 * IA32_APIC_BASE writes reach it through lapic_set_base(), which moves or
 * hides the 4 KiB register page. */
#ifndef RAWBOX_HW_LAPIC_H
#define RAWBOX_HW_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "vm/clock.h"

struct physmem;
struct savestate;

#define LAPIC_DEFAULT_BASE 0xFEE00000u
#define LAPIC_BASE_BSP     0x100u      /* IA32_APIC_BASE bit 8 */
#define LAPIC_BASE_ENABLE  0x800u      /* bit 11: global enable */
#define LAPIC_VERSION      0x00050014u /* xAPIC version 0x14, max LVT entry 5 */
/* Timer: the bus clock is 1 GHz (one tick per virtual nanosecond), then
 * divided by the divide configuration register (1..128). */
#define LAPIC_BUS_HZ       1000000000ull

enum { LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR, LVT_COUNT };

/* Delivery modes (ICR, LVT, I/O APIC redirection entries). */
enum {
    APIC_DM_FIXED = 0, APIC_DM_LOWEST = 1, APIC_DM_SMI = 2, APIC_DM_NMI = 4,
    APIC_DM_INIT = 5, APIC_DM_STARTUP = 6, APIC_DM_EXTINT = 7,
};

struct lapic_ops {
    void (*set_intr)(void *opaque, int level);  /* CPU INTR input */
    void (*nmi)(void *opaque);                  /* CPU NMI */
    void (*init)(void *opaque);                 /* INIT delivered to this CPU */
    int (*extint_ack)(void *opaque);            /* 8259 INTA: returns the vector */
    void (*eoi)(void *opaque, uint8_t vector);  /* EOI broadcast to the I/O APIC */
    void *opaque;
};

struct lapic {
    struct clock *clk;
    struct physmem *mem;
    struct lapic_ops ops;
    struct timer timer;
    uint64_t base;              /* IA32_APIC_BASE value */
    uint64_t mapped;            /* page mapped now, when is_mapped */
    bool is_mapped;
    uint8_t id;
    uint32_t tpr, ldr, dfr, svr;
    uint32_t esr, esr_pending;
    uint32_t icr_lo, icr_hi;
    uint32_t isr[8], tmr[8], irr[8];
    uint32_t lvt[LVT_COUNT];
    uint32_t tmict, tdcr;
    uint64_t timer_start;       /* virtual ns when the count was (re)loaded */
    bool timer_on;              /* counting (tmict != 0, not expired one-shot) */
    uint8_t lint[2];            /* input levels */
    bool extint_req;            /* ExtINT message from the I/O APIC */
    int intr_level;             /* last level given to ops.set_intr */
};

/* Registers nothing by itself until lapic_reset() maps the page. */
int lapic_init(struct lapic *s, struct clock *clk, struct physmem *mem,
               const struct lapic_ops *ops) __attribute__((warn_unused_result));
/* Power-on/RESET: base 0xFEE00900 (BSP, enabled), software-disabled,
 * LINT0 in ExtINT mode (virtual wire, as QEMU does so a PIC-only OS works). */
void lapic_reset(struct lapic *s);
/* INIT: registers as at reset except ID and the base MSR. */
void lapic_init_ipi(struct lapic *s);
/* A WRMSR to IA32_APIC_BASE (already checked for reserved bits). Returns
 * false when the page cannot be placed there (overlap): the caller #GPs. */
bool lapic_set_base(struct lapic *s, uint64_t v);
bool lapic_enabled(const struct lapic *s);      /* globally (MSR bit 11) */

/* LINT0/LINT1 pin levels (LINT0 = 8259 INT). */
void lapic_set_lint(struct lapic *s, int pin, int level);
/* An interrupt message (I/O APIC or IPI): returns true when this LAPIC is
 * a destination and accepted it. trig_level: level-triggered (fixed). */
bool lapic_deliver(struct lapic *s, uint8_t dest, bool logical, unsigned mode,
                   uint8_t vector, bool trig_level);
/* INTA: the vector for the CPU (highest acceptable IRR, an ExtINT vector
 * from the 8259, or the spurious vector). */
int lapic_intr_ack(void *lapic);

/* Register access at offset `off` of the page (for tests and the MMIO
 * handler): 32-bit registers at 16-byte steps. */
uint32_t lapic_read(struct lapic *s, uint32_t off);
void lapic_write(struct lapic *s, uint32_t off, uint32_t v);
uint32_t lapic_ppr(const struct lapic *s);

void lapic_save(const struct lapic *s, struct savestate *ss);
int lapic_load(struct lapic *s, struct savestate *ss);

#endif
