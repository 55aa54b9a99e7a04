/* The High Precision Event Timer of QEMU's pc board, following the IA-PC
 * HPET specification 1.0a (s2.3 register set) and matching what QEMU's
 * hw/timer/hpet.c presents to guests:
 *
 *   0x000 general capabilities and ID: revision 1, 3 timers, 64-bit
 *         counter, legacy replacement capable, vendor 0x8086, period
 *         10 000 000 fs (100 MHz) in bits 63:32
 *   0x010 general configuration: ENABLE_CNF (bit 0), LEG_RT_CNF (bit 1)
 *   0x020 general interrupt status: one bit per level-triggered timer that
 *         fired, write 1 to clear (edge-triggered timers leave it 0, as QEMU)
 *   0x0F0 main counter: counts 10 ns ticks of the virtual clock while
 *         ENABLE_CNF is set; writes only take while it is halted
 *   0x100 + 0x20 n   Tn_CONFIG: INT_TYPE (1), INT_ENB (2), TYPE periodic
 *         (3), PER_INT_CAP (4), SIZE_CAP (5), VAL_SET (6), 32MODE (8),
 *         INT_ROUTE (13:9), FSB off; INT_ROUTE_CAP (63:32) = IRQ2 only, as
 *         QEMU's i440FX board (a route outside the mask is not taken: the
 *         spec says the read-back then differs from the write)
 *   0x108 + 0x20 n   Tn_COMPARATOR: in periodic mode a write sets the
 *         period, and also the accumulator when VAL_SET was written first
 *         (VAL_SET then clears itself); each match adds the period
 *   0x110 + 0x20 n   Tn_FSB_ROUTE: reads 0 (no FSB delivery)
 *
 * 32- and 64-bit accesses act; narrower reads return the bytes of the
 * register, narrower or misaligned writes are ignored (logged once).
 *
 * Timers: a comparator matches when the counter (its low 32 bits in 32-bit
 * mode) reaches it; a comparator written in the recent past (less than
 * half the counter range behind) fires on the next tick, as in QEMU. A
 * one-shot timer fires once per comparator write or INT_ENB rising edge; in
 * 32-bit one-shot mode the counter wrap fires too (QEMU's reading of the
 * spec). A periodic timer that is late collapses the missed periods into
 * one interrupt and moves the accumulator past the counter. Host timers are
 * armed only while the counter runs and INT_ENB is set; the accumulator of
 * a periodic timer without INT_ENB catches up when read.
 *
 * Interrupts: a timer goes to route Tn_INT_ROUTE, or with ENABLE_CNF and
 * LEG_RT_CNF both set (spec s2.3.5) timer 0 to IRQ0 (I/O APIC pin 2 on the
 * board) and timer 1 to IRQ8, and then the PIT's and RTC's own outputs,
 * which pass through the HPET (hpet_legacy_line), are cut off. Edge
 * timers pulse their line; level timers hold it while their status bit is
 * set. Lines shared by several sources carry the OR of their levels.
 *
 * Left out: FSB (MSI) delivery, 32-bit-only counters, the per-timer
 * Tn_INT_ROUTE_CAP of q35 (IRQ 16-23 and 8). */
#include "hw/hpet.h"

#include <stdio.h>
#include <string.h>

#include "mem/physmem.h"
#include "util/log.h"
#include "util/savestate.h"

#define CFG_ENABLE    0x1ull
#define CFG_LEGACY    0x2ull

#define TN_INT_LEVEL  (1ull << 1)
#define TN_INT_ENB    (1ull << 2)
#define TN_PERIODIC   (1ull << 3)
#define TN_PER_CAP    (1ull << 4)
#define TN_SIZE_CAP   (1ull << 5)
#define TN_VAL_SET    (1ull << 6)
#define TN_32BIT      (1ull << 8)
#define TN_ROUTE_SHIFT 9
#define TN_ROUTE_MASK (31ull << TN_ROUTE_SHIFT)
#define TN_WRITABLE   (TN_INT_LEVEL | TN_INT_ENB | TN_PERIODIC | TN_VAL_SET | TN_32BIT | \
                       TN_ROUTE_MASK)

/* A comparator further ahead than this many ticks (about 3 hours) is
 * waited for in steps, so deadlines in ns cannot overflow. */
#define FAR_TICKS (1ull << 40)

static bool running(const struct hpet *s)
{
    return (s->config & CFG_ENABLE) != 0;
}

static bool legacy(const struct hpet *s)
{
    return (s->config & (CFG_ENABLE | CFG_LEGACY)) == (CFG_ENABLE | CFG_LEGACY);
}

uint64_t hpet_counter(struct hpet *s)
{
    if (!running(s))
        return s->counter;
    uint64_t now = clock_now(s->clk);
    uint64_t el = now > s->ns_base ? now - s->ns_base : 0;
    return s->counter + el / HPET_NS_PER_TICK;
}

/* Route of timer t now, or -1 when it has none on the board. */
static int route_of(const struct hpet_timer *t)
{
    if (legacy(t->hpet) && t->n < 2)
        return t->n == 0 ? 0 : 8;
    int r = (int)((t->config & TN_ROUTE_MASK) >> TN_ROUTE_SHIFT);
    return r < HPET_ROUTES ? r : -1;
}

/* Drive every output line with the OR of its sources. */
static void update_lines(struct hpet *s)
{
    uint32_t lv = 0;
    if (!legacy(s)) {
        if (s->legacy_in & 1)
            lv |= 1u << 0;
        if (s->legacy_in & 2)
            lv |= 1u << 8;
    }
    if (running(s)) {
        for (int i = 0; i < HPET_TIMERS; i++) {
            const struct hpet_timer *t = &s->t[i];
            int r = route_of(t);
            if (r >= 0 && (s->isr >> i & 1) && (t->config & TN_INT_ENB) &&
                (t->config & TN_INT_LEVEL))
                lv |= 1u << r;
        }
    }
    uint32_t chg = lv ^ s->out_level;
    s->out_level = lv;
    for (int r = 0; r < HPET_ROUTES; r++)
        if (chg >> r & 1)
            irq_set(&s->out[r], (int)(lv >> r & 1));
}

/* The timer's comparator matched (or its counter wrapped). */
static void assert_irq(struct hpet_timer *t)
{
    struct hpet *s = t->hpet;
    if (!running(s) || !(t->config & TN_INT_ENB))
        return;
    if (t->config & TN_INT_LEVEL) {
        s->isr |= 1ull << t->n;
        update_lines(s);
        return;
    }
    int r = route_of(t);
    if (r >= 0 && !(s->out_level >> r & 1))
        irq_pulse(&s->out[r]);      /* an edge on a line held high is not seen */
}

/* Ticks from `cur` to the comparator match; 1 when it is behind. */
static uint64_t ticks_to_match(const struct hpet_timer *t, uint64_t cur)
{
    if (t->config & TN_32BIT) {
        uint32_t d = (uint32_t)t->cmp - (uint32_t)cur;
        return (int32_t)d > 0 ? d : 1;
    }
    uint64_t d = t->cmp - cur;
    return (int64_t)d > 0 ? d : 1;
}

static void arm_at(struct hpet_timer *t, uint64_t cur, uint64_t diff)
{
    struct hpet *s = t->hpet;
    if (diff > FAR_TICKS) {
        diff = FAR_TICKS;
        t->far = true;
    }
    uint64_t el = cur + diff - s->counter;         /* ticks since ns_base */
    timer_mod(&t->timer, s->ns_base + el * HPET_NS_PER_TICK);
}

/* (Re)arm the host timer for the timer's next event, or stop it. */
static void arm(struct hpet_timer *t)
{
    struct hpet *s = t->hpet;
    timer_del(&t->timer);
    t->wrap = t->far = false;
    if (!running(s) || !(t->config & TN_INT_ENB))
        return;
    uint64_t cur = hpet_counter(s);
    uint64_t diff = ticks_to_match(t, cur);
    if ((t->config & TN_32BIT) && !(t->config & TN_PERIODIC)) {
        uint32_t wrap = 0xffffffffu - (uint32_t)cur;
        if (wrap < diff) {
            diff = wrap;
            t->wrap = true;
        }
    }
    arm_at(t, cur, diff);
}

/* Periodic mode: move the accumulator past `cur`, whole periods at a time.
 * Returns true when it was due. */
static bool catch_up(struct hpet_timer *t, uint64_t cur)
{
    if (t->config & TN_32BIT) {
        uint32_t m = (uint32_t)t->cmp, p = (uint32_t)t->period, d = (uint32_t)cur - m;
        if ((int32_t)d < 0)
            return false;
        if (p)
            m += (d / p + 1) * p;
        t->cmp = m;
        return true;
    }
    uint64_t d = cur - t->cmp;
    if ((int64_t)d < 0)
        return false;
    if (t->period)
        t->cmp += (d / t->period + 1) * t->period;
    return true;
}

static void timer_fired(void *opaque)
{
    struct hpet_timer *t = opaque;
    struct hpet *s = t->hpet;
    if (!running(s) || !(t->config & TN_INT_ENB))
        return;
    uint64_t cur = hpet_counter(s);
    if (t->far) {
        arm(t);
        return;
    }
    if (t->config & TN_PERIODIC) {
        if (!catch_up(t, cur)) {
            arm(t);
            return;
        }
        if (t->period)
            arm(t);                 /* period 0: fires once, like one-shot */
    } else if (t->wrap) {
        t->wrap = false;
        arm_at(t, cur, ticks_to_match(t, cur));
    }
    assert_irq(t);
}

static void legacy_in(void *opaque, int n, int level)
{
    struct hpet *s = opaque;
    if (n < 0 || n > 1)
        return;
    if (level)
        s->legacy_in |= (uint8_t)(1u << n);
    else
        s->legacy_in &= (uint8_t)~(1u << n);
    update_lines(s);
}

struct irq_line hpet_legacy_line(struct hpet *s, int which)
{
    return (struct irq_line){ legacy_in, s, which };
}

/* ---- registers ---- */

static uint64_t timer_cfg_read(const struct hpet_timer *t)
{
    return (t->config & TN_WRITABLE) | TN_PER_CAP | TN_SIZE_CAP |
           (uint64_t)HPET_ROUTE_CAP << 32;
}

/* The 64-bit register at 8-byte aligned offset `off`. */
static uint64_t reg_read(struct hpet *s, uint64_t off)
{
    switch (off) {
    case 0x000:
        return HPET_CAP_ID | (uint64_t)HPET_PERIOD_FS << 32;
    case 0x010:
        return s->config;
    case 0x020:
        return s->isr;
    case 0x0f0:
        return hpet_counter(s);
    }
    if (off < 0x100 || off >= 0x100 + 0x20 * HPET_TIMERS)
        return 0;
    struct hpet_timer *t = &s->t[(off - 0x100) / 0x20];
    switch ((off - 0x100) % 0x20) {
    case 0x00:
        return timer_cfg_read(t);
    case 0x08:
        if ((t->config & TN_PERIODIC) && !(t->config & TN_INT_ENB) && running(s))
            catch_up(t, hpet_counter(s));       /* no host timer keeps it moving */
        return (t->config & TN_32BIT) ? (uint32_t)t->cmp : t->cmp;
    }
    return 0;                                   /* FSB route, reserved */
}

static void write_gen_config(struct hpet *s, uint64_t v)
{
    uint64_t old = s->config;
    v &= CFG_ENABLE | CFG_LEGACY;
    if ((old & CFG_ENABLE) && !(v & CFG_ENABLE))
        s->counter = hpet_counter(s);           /* halt: keep the count */
    s->config = v;
    if (!(old & CFG_ENABLE) && (v & CFG_ENABLE))
        s->ns_base = clock_now(s->clk);
    if ((old ^ v) & CFG_ENABLE)
        for (int i = 0; i < HPET_TIMERS; i++)
            arm(&s->t[i]);
    update_lines(s);
}

static void write_timer_config(struct hpet_timer *t, uint64_t v)
{
    struct hpet *s = t->hpet;
    uint64_t old = t->config;
    v &= TN_WRITABLE;
    unsigned r = (unsigned)((v & TN_ROUTE_MASK) >> TN_ROUTE_SHIFT);
    if (!(HPET_ROUTE_CAP >> r & 1))
        v = (v & ~TN_ROUTE_MASK) | (old & TN_ROUTE_MASK);
    if ((old & TN_INT_LEVEL) && !(v & TN_INT_LEVEL))
        s->isr &= ~(1ull << t->n);
    t->config = v;
    if (v & TN_32BIT) {
        t->cmp = (uint32_t)t->cmp;
        t->period = (uint32_t)t->period;
    }
    if ((v ^ old) & TN_INT_ENB)
        arm(t);
    update_lines(s);
}

/* mask: the bytes of the register this access writes. */
static void write_timer_cmp(struct hpet_timer *t, uint64_t v, uint64_t mask)
{
    if (t->config & TN_32BIT) {
        if (!(mask & 0xffffffffu))
            return;                             /* upper half: ignored in 32-bit mode */
        mask = 0xffffffffu;
        v = (uint32_t)v;
    }
    if (!(t->config & TN_PERIODIC) || (t->config & TN_VAL_SET))
        t->cmp = (t->cmp & ~mask) | (v & mask);
    if (t->config & TN_PERIODIC)
        t->period = (t->period & ~mask) | (v & mask);
    t->config &= ~TN_VAL_SET;
    arm(t);
}

static void reg_write(struct hpet *s, uint64_t off, uint64_t v, uint64_t mask)
{
    uint64_t merged = (reg_read(s, off) & ~mask) | (v & mask);
    switch (off) {
    case 0x010:
        write_gen_config(s, merged);
        return;
    case 0x020:
        s->isr &= ~(v & mask);
        update_lines(s);
        return;
    case 0x0f0:
        if (running(s)) {
            LOG_ONCE(LOG_HW, "hpet: main counter write while it runs ignored");
            return;
        }
        s->counter = (s->counter & ~mask) | (v & mask);
        return;
    }
    if (off < 0x100 || off >= 0x100 + 0x20 * HPET_TIMERS)
        return;                                 /* capabilities, reserved */
    struct hpet_timer *t = &s->t[(off - 0x100) / 0x20];
    switch ((off - 0x100) % 0x20) {
    case 0x00:
        write_timer_config(t, merged);
        return;
    case 0x08:
        write_timer_cmp(t, v, mask);
        return;
    }
}

uint64_t hpet_read(struct hpet *s, uint64_t off, unsigned size)
{
    if (size == 0 || size > 8 || off >= HPET_MMIO_SIZE || off + size > HPET_MMIO_SIZE)
        return 0;
    uint64_t r = reg_read(s, off & ~7ull);
    unsigned sh = (unsigned)(off & 7);
    if (sh + size > 8) {                        /* straddles two registers */
        uint64_t hi = reg_read(s, (off & ~7ull) + 8);
        r = (r >> sh * 8) | (hi << (64 - sh * 8));
    } else {
        r >>= sh * 8;
    }
    return size == 8 ? r : r & ((1ull << size * 8) - 1);
}

void hpet_write(struct hpet *s, uint64_t off, uint64_t v, unsigned size)
{
    if (off >= HPET_MMIO_SIZE || (size != 4 && size != 8) || (off & (size - 1))) {
        LOG_ONCE(LOG_HW, "hpet: %u-byte write at offset 0x%llx ignored", size,
                 (unsigned long long)off);
        return;
    }
    if (size == 8)
        reg_write(s, off, v, ~0ull);
    else if (off & 4)
        reg_write(s, off & ~7ull, (uint64_t)(uint32_t)v << 32, 0xffffffff00000000ull);
    else
        reg_write(s, off, (uint32_t)v, 0xffffffffull);
}

static uint64_t mmio_read(void *opaque, uint64_t off, unsigned size)
{
    return hpet_read(opaque, off, size);
}

static void mmio_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    hpet_write(opaque, off, v, size);
}

void hpet_reset(struct hpet *s)
{
    s->config = 0;
    s->isr = 0;
    s->counter = 0;
    s->ns_base = 0;
    for (int i = 0; i < HPET_TIMERS; i++) {
        struct hpet_timer *t = &s->t[i];
        timer_del(&t->timer);
        t->config = 0;
        t->cmp = ~0ull;
        t->period = 0;
        t->wrap = t->far = false;
    }
    update_lines(s);                            /* the PIT and RTC pass through again */
}

int hpet_init(struct hpet *s, struct clock *clk, struct physmem *mem, uint64_t base,
              const struct irq_line *out)
{
    memset(s, 0, sizeof *s);
    s->clk = clk;
    if (out)
        memcpy(s->out, out, sizeof s->out);
    for (int i = 0; i < HPET_TIMERS; i++) {
        s->t[i].hpet = s;
        s->t[i].n = i;
        timer_init(&s->t[i].timer, clk, timer_fired, &s->t[i]);
    }
    hpet_reset(s);
    if (mem) {
        const struct io_handler h = { mmio_read, mmio_write, s, 1 | 2 | 4 | 8 };
        if (physmem_map_mmio(mem, base, HPET_MMIO_SIZE, &h, "hpet"))
            return -1;
    }
    return 0;
}

/* ---- save state ---- */

#define HPET_SS_VERSION 1

void hpet_save(struct hpet *s, struct savestate *ss)
{
    char f[24];
    ss_section_begin(ss, "hpet", HPET_SS_VERSION);
    ss_put(ss, "config", s->config);
    ss_put(ss, "isr", s->isr);
    ss_put(ss, "counter", hpet_counter(s));    /* the count now; restarts from it */
    ss_put(ss, "legacy_in", s->legacy_in);
    for (int i = 0; i < HPET_TIMERS; i++) {
        const struct hpet_timer *t = &s->t[i];
        snprintf(f, sizeof f, "t%d.config", i);
        ss_put(ss, f, t->config);
        snprintf(f, sizeof f, "t%d.cmp", i);
        ss_put(ss, f, t->cmp);
        snprintf(f, sizeof f, "t%d.period", i);
        ss_put(ss, f, t->period);
        snprintf(f, sizeof f, "t%d.armed", i);
        ss_put(ss, f, t->timer.armed);
    }
    ss_section_end(ss);
}

int hpet_load(struct hpet *s, struct savestate *ss)
{
    uint64_t config, isr, counter, tcfg[HPET_TIMERS], cmp[HPET_TIMERS], per[HPET_TIMERS];
    uint8_t lin;
    bool armed[HPET_TIMERS];
    char f[24];

    if (ss_section_open(ss, "hpet", 1, HPET_SS_VERSION, NULL))
        return -1;
    ss_get(ss, "config", CFG_ENABLE | CFG_LEGACY, &config);
    ss_get(ss, "isr", (1u << HPET_TIMERS) - 1, &isr);
    ss_get(ss, "counter", UINT64_MAX, &counter);
    ss_get_u8(ss, "legacy_in", 3, &lin);
    for (int i = 0; i < HPET_TIMERS; i++) {
        snprintf(f, sizeof f, "t%d.config", i);
        ss_get(ss, f, UINT64_MAX, &tcfg[i]);
        if (!ss->err && (tcfg[i] & ~TN_WRITABLE))
            return ss_fail(ss, f, "sets read-only or reserved bits");
        unsigned r = (unsigned)((tcfg[i] & TN_ROUTE_MASK) >> TN_ROUTE_SHIFT);
        if (!ss->err && r && !(HPET_ROUTE_CAP >> r & 1))
            return ss_fail(ss, f, "routes to an IRQ the timer cannot use");
        uint64_t max = (tcfg[i] & TN_32BIT) ? 0xffffffffu : UINT64_MAX;
        snprintf(f, sizeof f, "t%d.cmp", i);
        ss_get(ss, f, max, &cmp[i]);
        snprintf(f, sizeof f, "t%d.period", i);
        ss_get(ss, f, max, &per[i]);
        snprintf(f, sizeof f, "t%d.armed", i);
        ss_get_bool(ss, f, &armed[i]);
    }
    if (ss->err)
        return -1;

    s->config = config;
    s->isr = isr;
    s->counter = counter;
    s->ns_base = clock_now(s->clk);
    s->legacy_in = lin;
    for (int i = 0; i < HPET_TIMERS; i++) {
        struct hpet_timer *t = &s->t[i];
        t->config = tcfg[i];
        t->cmp = cmp[i];
        t->period = per[i];
        timer_del(&t->timer);
        t->wrap = t->far = false;
        if (armed[i])
            arm(t);
    }
    update_lines(s);
    return 0;
}
