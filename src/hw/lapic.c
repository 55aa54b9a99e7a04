/* The local APIC of a P6-class CPU in xAPIC form (Intel SDM vol. 3A ch. 11,
 * "Advanced Programmable Interrupt Controller", formerly ch. 10), for one
 * CPU: the 4 KiB register page at IA32_APIC_BASE, ID (8 bits), version
 * 0x00050014 (integrated xAPIC, six LVT entries: max LVT entry 5, as QEMU
 * reports), TPR, APR, PPR, EOI, LDR, DFR (flat and cluster models), SVR
 * (software enable, focus bit, spurious vector), the 256-bit ISR, TMR and
 * IRR, ESR with its write-then-read rule (a write latches the errors seen
 * since the previous write), ICR low/high, the LVT (timer, thermal,
 * performance counter, LINT0, LINT1, error), and the timer (one-shot and
 * periodic; initial/current count, divide configuration).
 *
 * Timer clock: the bus runs at LAPIC_BUS_HZ = 1 GHz, one tick per virtual
 * nanosecond of the board clock (src/vm/clock.h), divided by 1..128, as
 * QEMU's APIC does. A late periodic timer collapses missed periods into one
 * interrupt. TSC-deadline mode is not offered (CPUID does not report it),
 * so LVT timer bit 18 is reserved.
 *
 * Interrupt acceptance: fixed interrupts set IRR (and TMR for level
 * triggered ones); the CPU is interrupted when the highest IRR vector's
 * priority class is above PPR's (SDM 11.8.3.1); INTA moves it to ISR; EOI
 * clears the highest ISR bit and, when its TMR bit is set, broadcasts the
 * vector to the I/O APIC (ops.eoi). Vectors 0-15 are illegal (ESR bits 5
 * and 6). When nothing is acceptable any more at INTA, the spurious vector
 * is returned without touching ISR.
 *
 * LINT0 carries the 8259's INT: in ExtINT mode (the reset value here, as
 * on QEMU, so a PIC-only OS keeps working: virtual-wire mode, MP spec
 * 3.6.2.2) the level passes straight to the CPU and INTA goes to the 8259.
 * LINT1 in NMI mode raises an NMI on a rising edge; fixed mode LINTs
 * accept their vector on a rising edge (edge-triggered only). With the
 * APIC globally disabled (IA32_APIC_BASE bit 11 clear) the page is
 * unmapped, no messages are accepted, LINT0 is the CPU's INTR and LINT1
 * its NMI (SDM 11.4.3); re-enabling it finds the registers as after INIT
 * (the P6 needed a reset for that; later CPUs and QEMU allow it, so do
 * we). Software-disabled (SVR bit 8 clear): LVT masks are forced set,
 * fixed interrupts are neither accepted nor presented; NMI, INIT and
 * start-up messages still work (SDM 11.4.7.2).
 *
 * IPIs (ICR): fixed, lowest priority, NMI, INIT and start-up to this CPU
 * (destination field, self, all-including-self shorthands); there are no
 * other CPUs, so messages for other destinations are dropped. INIT runs
 * ops.init and resets the APIC as INIT does; start-up and SMI are logged
 * and ignored (a BSP does not wait for SIPI; no SMM). Delivery status
 * always reads idle: delivery is instant.
 *
 * Left out: x2APIC, TSC-deadline timer, thermal and performance-counter
 * sources (their LVT entries are registers only), remote read, level
 * triggered LINT inputs (remote IRR of LVT LINT0/1), arbitration between
 * CPUs (lowest priority goes to the only CPU), SMI.
 */
#include "hw/lapic.h"

#include <stdio.h>
#include <string.h>

#include "mem/physmem.h"
#include "util/log.h"
#include "util/savestate.h"

#define PAGE 0x1000u

#define LVT_MASKED   0x10000u
#define LVT_PERIODIC 0x20000u
#define SVR_ENABLE   0x100u

#define ESR_SEND_ILLEGAL    0x20u
#define ESR_RECV_ILLEGAL    0x40u
#define ESR_ILLEGAL_ADDRESS 0x80u

#define ICR_LOGICAL  0x800u
#define ICR_LEVEL    0x4000u
#define ICR_TRIGGER  0x8000u
#define ICR_WRITABLE 0x000ccfffu

/* Writable bits of each LVT entry (timer, thermal, perf, LINT0, LINT1, error). */
static const uint32_t lvt_writable[LVT_COUNT] = {
    0x000300ffu, 0x000107ffu, 0x000107ffu, 0x0001a7ffu, 0x0001a7ffu, 0x000100ffu,
};

static bool hw_on(const struct lapic *s) { return (s->base & LAPIC_BASE_ENABLE) != 0; }
static bool sw_on(const struct lapic *s) { return hw_on(s) && (s->svr & SVR_ENABLE); }
static unsigned lvt_mode(uint32_t lvt) { return (lvt >> 8) & 7; }

static int highest(const uint32_t *v)
{
    for (int i = 7; i >= 0; i--)
        if (v[i])
            return i * 32 + 31 - __builtin_clz(v[i]);
    return -1;
}

static bool bit(const uint32_t *v, unsigned n) { return (v[n >> 5] >> (n & 31)) & 1; }
static void bit_set(uint32_t *v, unsigned n) { v[n >> 5] |= 1u << (n & 31); }
static void bit_clr(uint32_t *v, unsigned n) { v[n >> 5] &= ~(1u << (n & 31)); }

uint32_t lapic_ppr(const struct lapic *s)
{
    int isrv = highest(s->isr);
    uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;
    return (s->tpr & 0xf0) >= isr_class ? s->tpr & 0xff : isr_class;
}

static uint32_t apr(const struct lapic *s)
{
    int isrv = highest(s->isr), irrv = highest(s->irr);
    uint32_t isr_c = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;
    uint32_t irr_c = irrv < 0 ? 0 : (uint32_t)irrv & 0xf0;
    uint32_t tpr_c = s->tpr & 0xf0;
    if (tpr_c >= irr_c && tpr_c > isr_c)
        return s->tpr & 0xff;
    uint32_t m = tpr_c > isr_c ? tpr_c : isr_c;
    return m > irr_c ? m : irr_c;
}

/* The vector INTA would take from IRR, or -1. */
static int acceptable(const struct lapic *s)
{
    if (!sw_on(s))
        return -1;
    int v = highest(s->irr);
    if (v < 0 || ((uint32_t)v & 0xf0) <= (lapic_ppr(s) & 0xf0))
        return -1;
    return v;
}

/* The 8259's INT reaches the CPU (virtual wire through LINT0, or an
 * ExtINT message). */
static bool extint_active(const struct lapic *s)
{
    if (!hw_on(s))
        return s->lint[0];
    uint32_t l0 = s->lvt[LVT_LINT0];
    if (!(l0 & LVT_MASKED) && lvt_mode(l0) == APIC_DM_EXTINT && s->lint[0])
        return true;
    return s->extint_req;
}

static void update(struct lapic *s)
{
    int level = acceptable(s) >= 0 || extint_active(s);
    if (level != s->intr_level) {
        s->intr_level = level;
        if (s->ops.set_intr)
            s->ops.set_intr(s->ops.opaque, level);
    }
}

static void accept(struct lapic *s, uint8_t vector, bool level);

static void error(struct lapic *s, uint32_t bits)
{
    s->esr_pending |= bits;
    uint32_t e = s->lvt[LVT_ERROR];
    if (!(e & LVT_MASKED) && (e & 0xff) >= 16)
        accept(s, (uint8_t)e, false);
}

static void accept(struct lapic *s, uint8_t vector, bool level)
{
    if (vector < 16) {
        error(s, ESR_RECV_ILLEGAL);
        return;
    }
    bit_set(s->irr, vector);
    if (level)
        bit_set(s->tmr, vector);
    else
        bit_clr(s->tmr, vector);
    update(s);
}

/* ---- timer ---- */

static uint64_t divisor(const struct lapic *s)
{
    unsigned v = (s->tdcr & 3) | ((s->tdcr >> 1) & 4);
    return v == 7 ? 1 : 2ull << v;
}

static uint64_t period_ns(const struct lapic *s)
{
    return (uint64_t)s->tmict * divisor(s) * (NS_PER_SEC / LAPIC_BUS_HZ);
}

static bool periodic(const struct lapic *s) { return (s->lvt[LVT_TIMER] & LVT_PERIODIC) != 0; }

static void timer_arm(struct lapic *s)
{
    if (!s->timer_on || !s->tmict) {
        s->timer_on = false;
        timer_del(&s->timer);
        return;
    }
    /* timer_start may lie before time 0 after a restore: differences are
     * taken modulo 2^64. */
    uint64_t p = period_ns(s), now = clock_now(s->clk), el = now - s->timer_start;
    uint64_t due;
    if (periodic(s))
        due = now + (p - el % p);
    else
        due = el >= p ? now : now + (p - el);
    timer_mod(&s->timer, due);
}

static void timer_fire(void *opaque)
{
    struct lapic *s = opaque;
    if (!s->timer_on || !s->tmict)
        return;
    uint64_t p = period_ns(s), now = clock_now(s->clk), el = now - s->timer_start;
    if (el < p) {                           /* re-armed meanwhile */
        timer_arm(s);
        return;
    }
    uint32_t lvt = s->lvt[LVT_TIMER];
    if (!(lvt & LVT_MASKED))
        accept(s, (uint8_t)lvt, false);
    if (periodic(s)) {
        s->timer_start += el / p * p;
        timer_arm(s);
    } else {
        s->timer_on = false;
    }
}

static uint32_t current_count(const struct lapic *s)
{
    if (!s->timer_on || !s->tmict)
        return 0;
    uint64_t now = clock_now(s->clk);
    uint64_t ticks = (now - s->timer_start) / (divisor(s) * (NS_PER_SEC / LAPIC_BUS_HZ));
    if (periodic(s))
        return s->tmict - (uint32_t)(ticks % s->tmict);
    return ticks >= s->tmict ? 0 : s->tmict - (uint32_t)ticks;
}

/* ---- delivery ---- */

static bool dest_match(const struct lapic *s, uint8_t dest, bool logical)
{
    if (dest == 0xff)
        return true;
    if (!logical)
        return dest == s->id;
    uint8_t ldr = (uint8_t)(s->ldr >> 24);
    if ((s->dfr >> 28) == 0xf)                      /* flat model */
        return (ldr & dest) != 0;
    if ((s->dfr >> 28) == 0x0)                      /* cluster model */
        return ((dest >> 4) == (ldr >> 4) || (dest >> 4) == 0xf) && (dest & ldr & 0x0f);
    return false;
}

static bool deliver_local(struct lapic *s, unsigned mode, uint8_t vector, bool level)
{
    switch (mode) {
    case APIC_DM_FIXED:
    case APIC_DM_LOWEST:
        if (!sw_on(s))
            return false;
        accept(s, vector, level);
        return true;
    case APIC_DM_NMI:
        if (s->ops.nmi)
            s->ops.nmi(s->ops.opaque);
        return true;
    case APIC_DM_INIT:
        lapic_init_ipi(s);
        if (s->ops.init)
            s->ops.init(s->ops.opaque);
        return true;
    case APIC_DM_EXTINT:
        s->extint_req = true;
        update(s);
        return true;
    case APIC_DM_STARTUP:
        LOG_ONCE(LOG_HW, "lapic: start-up IPI to the BSP ignored (it does not wait for SIPI)");
        return true;
    default:
        LOG_ONCE(LOG_HW, "lapic: delivery mode %u (SMI or reserved) ignored", mode);
        return false;
    }
}

bool lapic_deliver(struct lapic *s, uint8_t dest, bool logical, unsigned mode,
                   uint8_t vector, bool trig_level)
{
    if (!hw_on(s) || !dest_match(s, dest, logical))
        return false;
    return deliver_local(s, mode & 7, vector, trig_level);
}

static void send_ipi(struct lapic *s)
{
    uint32_t lo = s->icr_lo;
    uint8_t vector = (uint8_t)lo, dest = (uint8_t)(s->icr_hi >> 24);
    unsigned mode = (lo >> 8) & 7, shorthand = (lo >> 18) & 3;
    bool level = (lo & ICR_TRIGGER) != 0;
    bool to_self;

    if (mode == APIC_DM_INIT && level && !(lo & ICR_LEVEL))
        return;                                     /* INIT level de-assert: no-op */
    if ((mode == APIC_DM_FIXED || mode == APIC_DM_LOWEST) && vector < 16) {
        error(s, ESR_SEND_ILLEGAL);
        return;
    }
    switch (shorthand) {
    case 0: to_self = dest_match(s, dest, (lo & ICR_LOGICAL) != 0); break;
    case 1: to_self = mode == APIC_DM_FIXED; break;    /* self: fixed only */
    case 2: to_self = mode != APIC_DM_LOWEST && mode != APIC_DM_STARTUP; break;
    default: to_self = false; break;                     /* all excluding self */
    }
    if (to_self)
        deliver_local(s, mode, vector, level);
}

static void eoi(struct lapic *s)
{
    int v = highest(s->isr);
    if (v < 0)
        return;
    bit_clr(s->isr, (unsigned)v);
    if (bit(s->tmr, (unsigned)v) && s->ops.eoi)
        s->ops.eoi(s->ops.opaque, (uint8_t)v);
    update(s);
}

int lapic_intr_ack(void *opaque)
{
    struct lapic *s = opaque;
    int v = acceptable(s);
    if (v >= 0) {
        bit_clr(s->irr, (unsigned)v);
        bit_set(s->isr, (unsigned)v);
        update(s);
        return v;
    }
    if (extint_active(s) || !sw_on(s)) {
        s->extint_req = false;
        v = s->ops.extint_ack ? s->ops.extint_ack(s->ops.opaque) : -1;
        update(s);
        return v;
    }
    update(s);
    return (int)(s->svr & 0xff);                    /* spurious: ISR untouched */
}

void lapic_set_lint(struct lapic *s, int pin, int level)
{
    if (pin < 0 || pin > 1)
        return;
    bool rising = level && !s->lint[pin];
    s->lint[pin] = level ? 1 : 0;
    if (!hw_on(s)) {
        if (pin == 1 && rising && s->ops.nmi)
            s->ops.nmi(s->ops.opaque);
        update(s);
        return;
    }
    uint32_t lvt = s->lvt[LVT_LINT0 + pin];
    if (rising && !(lvt & LVT_MASKED)) {
        unsigned mode = lvt_mode(lvt);
        if (mode == APIC_DM_NMI && s->ops.nmi)
            s->ops.nmi(s->ops.opaque);
        else if (mode == APIC_DM_FIXED && sw_on(s))
            accept(s, (uint8_t)lvt, false);
    }
    update(s);
}

/* ---- registers ---- */

uint32_t lapic_read(struct lapic *s, uint32_t off)
{
    unsigned r = (off >> 4) & 0xff;
    if (r >= 0x10 && r < 0x18) return s->isr[r - 0x10];
    if (r >= 0x18 && r < 0x20) return s->tmr[r - 0x18];
    if (r >= 0x20 && r < 0x28) return s->irr[r - 0x20];
    if (r >= 0x32 && r < 0x38) return s->lvt[r - 0x32];
    switch (r) {
    case 0x02: return (uint32_t)s->id << 24;
    case 0x03: return LAPIC_VERSION;
    case 0x08: return s->tpr;
    case 0x09: return apr(s);
    case 0x0a: return lapic_ppr(s);
    case 0x0b: return 0;                            /* EOI: write-only */
    case 0x0c: return 0;                            /* remote read: unused */
    case 0x0d: return s->ldr;
    case 0x0e: return s->dfr;
    case 0x0f: return s->svr;
    case 0x28: return s->esr;
    case 0x30: return s->icr_lo;                    /* delivery status: idle */
    case 0x31: return s->icr_hi;
    case 0x38: return s->tmict;
    case 0x39: return current_count(s);
    case 0x3e: return s->tdcr;
    }
    error(s, ESR_ILLEGAL_ADDRESS);
    return 0;
}

void lapic_write(struct lapic *s, uint32_t off, uint32_t v)
{
    unsigned r = (off >> 4) & 0xff;
    if (r >= 0x32 && r < 0x38) {
        unsigned n = r - 0x32;
        uint32_t w = lvt_writable[n];
        s->lvt[n] = (s->lvt[n] & ~w) | (v & w);
        if (!(s->svr & SVR_ENABLE))
            s->lvt[n] |= LVT_MASKED;
        if (n == LVT_TIMER)
            timer_arm(s);
        update(s);
        return;
    }
    if ((r >= 0x10 && r < 0x28) || r == 0x03 || r == 0x09 || r == 0x0a || r == 0x0c ||
        r == 0x39)
        return;                                     /* read-only */
    switch (r) {
    case 0x02: s->id = (uint8_t)(v >> 24); return;
    case 0x08: s->tpr = v & 0xff; update(s); return;
    case 0x0b: eoi(s); return;
    case 0x0d: s->ldr = v & 0xff000000u; return;
    case 0x0e: s->dfr = (v & 0xf0000000u) | 0x0fffffffu; return;
    case 0x0f:
        s->svr = v & 0x3ffu;
        if (!(s->svr & SVR_ENABLE))
            for (int i = 0; i < LVT_COUNT; i++)
                s->lvt[i] |= LVT_MASKED;
        update(s);
        return;
    case 0x28:
        s->esr = s->esr_pending;
        s->esr_pending = 0;
        return;
    case 0x30:
        s->icr_lo = v & ICR_WRITABLE;
        send_ipi(s);
        return;
    case 0x31: s->icr_hi = v & 0xff000000u; return;
    case 0x38:
        s->tmict = v;
        s->timer_start = clock_now(s->clk);
        s->timer_on = v != 0;
        timer_arm(s);
        return;
    case 0x3e: {
        uint32_t cur = current_count(s);
        s->tdcr = v & 0xbu;
        if (s->timer_on) {
            /* Keep the count where it is; it goes on at the new rate. */
            uint64_t done = s->tmict - (uint64_t)cur;
            uint64_t now = clock_now(s->clk), back = done * divisor(s);
            s->timer_start = now - back;
            timer_arm(s);
        }
        return;
    }
    }
    error(s, ESR_ILLEGAL_ADDRESS);
}

/* MMIO: registers are 32 bits at 16-byte steps; narrower reads see their
 * bytes, other bytes of a slot read 0; only aligned 32/64-bit writes act. */
static uint64_t mmio_read(void *opaque, uint64_t off, unsigned size)
{
    struct lapic *s = opaque;
    unsigned in = (unsigned)(off & 0xf);
    if (in >= 4)
        return 0;
    uint32_t v = lapic_read(s, (uint32_t)off & 0xff0u) >> (8 * in);
    return size >= 4 ? v : v & ((1u << (8 * size)) - 1);
}

static void mmio_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    struct lapic *s = opaque;
    if ((off & 0xf) || size < 4) {
        LOG_ONCE(LOG_HW, "lapic: %u-byte write at offset 0x%llx ignored (registers take "
                 "aligned 32-bit writes)", size, (unsigned long long)off);
        return;
    }
    lapic_write(s, (uint32_t)off & 0xff0u, (uint32_t)v);
}

static int map_page(struct lapic *s, uint64_t page)
{
    const struct io_handler h = { mmio_read, mmio_write, s, 1 | 2 | 4 | 8 };
    if (!s->mem)
        return 0;
    /* Refuse an overlap here, quietly: the guest chose the address, and
     * physmem would log every refused attempt. */
    for (int i = 0; i < s->mem->nr; i++) {
        const struct mem_region *r = &s->mem->r[i];
        if (page < r->base + r->size && r->base < page + PAGE)
            return -1;
    }
    return physmem_map_mmio(s->mem, page, PAGE, &h, "lapic");
}

/* Put the page where s->base says (nowhere when disabled). */
static int remap(struct lapic *s)
{
    bool on = hw_on(s);
    uint64_t want = s->base & ~(uint64_t)(PAGE - 1);
    if (on == s->is_mapped && (!on || want == s->mapped))
        return 0;
    if (s->is_mapped && s->mem)
        physmem_unmap(s->mem, s->mapped);
    s->is_mapped = false;
    if (on && map_page(s, want))
        return -1;
    s->is_mapped = on;
    s->mapped = want;
    return 0;
}

/* ---- lifecycle ---- */

static void regs_reset(struct lapic *s)
{
    s->tpr = s->ldr = 0;
    s->dfr = 0xffffffffu;
    s->svr = 0xff;
    s->esr = s->esr_pending = 0;
    s->icr_lo = s->icr_hi = 0;
    memset(s->isr, 0, sizeof s->isr);
    memset(s->tmr, 0, sizeof s->tmr);
    memset(s->irr, 0, sizeof s->irr);
    for (int i = 0; i < LVT_COUNT; i++)
        s->lvt[i] = LVT_MASKED;
    s->lvt[LVT_LINT0] = APIC_DM_EXTINT << 8;       /* virtual wire, as QEMU's BSP */
    s->tmict = s->tdcr = 0;
    s->timer_on = false;
    s->extint_req = false;
    timer_del(&s->timer);
}

int lapic_init(struct lapic *s, struct clock *clk, struct physmem *mem,
               const struct lapic_ops *ops)
{
    memset(s, 0, sizeof *s);
    s->clk = clk;
    s->mem = mem;
    if (ops)
        s->ops = *ops;
    timer_init(&s->timer, clk, timer_fire, s);
    s->intr_level = -1;
    return 0;
}

void lapic_reset(struct lapic *s)
{
    s->id = 0;
    regs_reset(s);
    s->base = LAPIC_DEFAULT_BASE | LAPIC_BASE_BSP | LAPIC_BASE_ENABLE;
    if (remap(s))
        log_warn("lapic: cannot map the register page at 0x%x", LAPIC_DEFAULT_BASE);
    update(s);
}

void lapic_init_ipi(struct lapic *s)
{
    regs_reset(s);
    update(s);
}

bool lapic_enabled(const struct lapic *s) { return hw_on(s); }

bool lapic_set_base(struct lapic *s, uint64_t v)
{
    uint64_t old = s->base;
    bool was_on = hw_on(s);
    s->base = (v & ~(uint64_t)LAPIC_BASE_BSP) | (old & LAPIC_BASE_BSP);
    if (remap(s)) {
        s->base = old;
        if (remap(s))
            log_warn("lapic: cannot map the register page back");
        return false;
    }
    if (was_on && !hw_on(s))
        regs_reset(s);                  /* its state is lost (SDM 11.4.3) */
    update(s);
    return true;
}

/* ---- save state ---- */

#define LAPIC_SS_VERSION 1

void lapic_save(const struct lapic *s, struct savestate *ss)
{
    char f[24];
    ss_section_begin(ss, "lapic", LAPIC_SS_VERSION);
    ss_put(ss, "base", s->base);
    ss_put(ss, "id", s->id);
    ss_put(ss, "tpr", s->tpr);
    ss_put(ss, "ldr", s->ldr);
    ss_put(ss, "dfr", s->dfr);
    ss_put(ss, "svr", s->svr);
    ss_put(ss, "esr", s->esr);
    ss_put(ss, "esr_pending", s->esr_pending);
    ss_put(ss, "icr_lo", s->icr_lo);
    ss_put(ss, "icr_hi", s->icr_hi);
    ss_put_bytes(ss, "isr", s->isr, sizeof s->isr);
    ss_put_bytes(ss, "tmr", s->tmr, sizeof s->tmr);
    ss_put_bytes(ss, "irr", s->irr, sizeof s->irr);
    for (int i = 0; i < LVT_COUNT; i++) {
        snprintf(f, sizeof f, "lvt%d", i);
        ss_put(ss, f, s->lvt[i]);
    }
    ss_put(ss, "tmict", s->tmict);
    ss_put(ss, "tdcr", s->tdcr);
    ss_put(ss, "timer_on", s->timer_on);
    uint64_t now = clock_now(s->clk);
    ss_put(ss, "timer_elapsed", now - s->timer_start);
    ss_put(ss, "lint0", s->lint[0]);
    ss_put(ss, "lint1", s->lint[1]);
    ss_put(ss, "extint_req", s->extint_req);
    ss_section_end(ss);
}

int lapic_load(struct lapic *s, struct savestate *ss)
{
    struct lapic t = *s;
    uint64_t base, elapsed;
    char f[24];
    if (ss_section_open(ss, "lapic", 1, LAPIC_SS_VERSION, NULL))
        return -1;
    ss_get(ss, "base", 0xfffffffffull, &base);
    ss_get_u8(ss, "id", 0xff, &t.id);
    ss_get_u32(ss, "tpr", 0xff, &t.tpr);
    ss_get_u32(ss, "ldr", 0xffffffffu, &t.ldr);
    ss_get_u32(ss, "dfr", 0xffffffffu, &t.dfr);
    ss_get_u32(ss, "svr", 0x3ff, &t.svr);
    ss_get_u32(ss, "esr", 0xff, &t.esr);
    ss_get_u32(ss, "esr_pending", 0xff, &t.esr_pending);
    ss_get_u32(ss, "icr_lo", 0xffffffffu, &t.icr_lo);
    ss_get_u32(ss, "icr_hi", 0xffffffffu, &t.icr_hi);
    ss_get_bytes(ss, "isr", t.isr, sizeof t.isr);
    ss_get_bytes(ss, "tmr", t.tmr, sizeof t.tmr);
    ss_get_bytes(ss, "irr", t.irr, sizeof t.irr);
    for (int i = 0; i < LVT_COUNT; i++) {
        snprintf(f, sizeof f, "lvt%d", i);
        ss_get_u32(ss, f, 0xffffffffu, &t.lvt[i]);
    }
    ss_get_u32(ss, "tmict", 0xffffffffu, &t.tmict);
    ss_get_u32(ss, "tdcr", 0xb, &t.tdcr);
    ss_get_bool(ss, "timer_on", &t.timer_on);
    ss_get(ss, "timer_elapsed", UINT64_MAX, &elapsed);
    ss_get_u8(ss, "lint0", 1, &t.lint[0]);
    ss_get_u8(ss, "lint1", 1, &t.lint[1]);
    ss_get_bool(ss, "extint_req", &t.extint_req);
    if (ss->err)
        return -1;
    if (base & 0x6ffu)
        return ss_fail(ss, "base", "sets reserved bits");
    if (t.tdcr & 4)
        return ss_fail(ss, "tdcr", "sets reserved bit 2");
    for (int i = 0; i < LVT_COUNT; i++)
        t.lvt[i] &= lvt_writable[i] | 0x5000u;      /* status bits read back as saved */
    t.icr_lo &= ICR_WRITABLE;
    t.icr_hi &= 0xff000000u;
    t.ldr &= 0xff000000u;
    t.dfr |= 0x0fffffffu;

    timer_del(&s->timer);
    t.timer = s->timer;
    t.mapped = s->mapped;
    t.is_mapped = s->is_mapped;
    t.base = base;
    uint64_t now = clock_now(s->clk);
    t.timer_start = now - elapsed;
    *s = t;
    if (remap(s))
        return ss_fail(ss, "base", "page overlaps another region");
    timer_arm(s);
    s->intr_level = -1;
    update(s);
    return 0;
}
