/* 8259A PIC pair with the PIIX ELCR (Intel 8259A datasheet, order 231468;
 * PIIX3 datasheet section 2.3 for ELCR1/ELCR2 at 0x4D0/0x4D1).
 *
 * Modelled: ICW1-ICW4 initialisation sequence (single/cascade, LTIM, ICW4),
 * OCW1 mask, OCW2 EOI (non-specific, specific, rotate on EOI, set priority,
 * rotate in automatic EOI mode), OCW3 (read IRR/ISR, poll, special mask
 * mode), automatic EOI, special fully nested mode on the master, edge or
 * level sensing per input (ELCR, or all inputs when ICW1.LTIM), cascade of
 * the slave on master IR2, and spurious interrupts: an INTA with no request
 * left returns IR7 of the chip concerned without setting its ISR bit.
 *
 * Edge inputs latch IRR on a rising edge and keep it until acknowledged (a
 * real 8259A drops a request whose line falls before INTA; devices here
 * signal edges with irq_pulse, so the latch must hold). Left out: buffered
 * mode and 8080/8085 mode bits (stored in nothing, ignored), microprocessor
 * mode other than 8086. */
#include "hw/pic.h"

#include <stdio.h>
#include <string.h>
#include "mem/iobus.h"
#include "util/log.h"
#include "util/savestate.h"

/* Priority (0 highest) of the highest-priority bit in mask, 8 if none. */
static int chip_priority(const struct pic_chip *c, uint8_t mask)
{
    if (!mask)
        return 8;
    for (int p = 0; p < 8; p++)
        if (mask & (1u << ((c->lowest + 1 + p) & 7)))
            return p;
    return 8;
}

static int prio_to_irq(const struct pic_chip *c, int p)
{
    return (c->lowest + 1 + p) & 7;
}

/* The IR input this chip would request the CPU for, or -1. */
static int chip_pending(const struct pic_chip *c, bool master)
{
    int p = chip_priority(c, c->irr & ~c->imr);
    if (p == 8)
        return -1;
    uint8_t in_service = c->isr;
    /* Special mask mode: masked levels do not inhibit lower priorities. */
    if (c->special_mask)
        in_service &= ~c->imr;
    int cur = chip_priority(c, in_service);
    if (p < cur)
        return prio_to_irq(c, p);
    /* Special fully nested mode: while IR2 (the slave) is the highest level
     * in service, a new request from the slave is still let through. */
    if (master && c->sfnm && p == cur && prio_to_irq(c, p) == 2)
        return 2;
    return -1;
}

static bool chip_level(const struct pic_chip *c, int irq)
{
    return c->ltim || (c->elcr & (1u << irq));
}

static void chip_input(struct pic_chip *c, int irq, int level)
{
    uint8_t m = (uint8_t)(1u << irq);
    if (chip_level(c, irq)) {
        if (level)
            c->irr |= m;
        else
            c->irr &= ~m;
    } else if (level && !(c->line & m)) {
        c->irr |= m;
    }
    if (level)
        c->line |= m;
    else
        c->line &= ~m;
}

static void update(struct pic *s)
{
    struct pic_chip *m = &s->c[0];
    /* Slave INT output drives master IR2. */
    if (!m->single)
        chip_input(m, 2, chip_pending(&s->c[1], false) >= 0);
    int level = chip_pending(m, true) >= 0;
    if (level != s->intr_level) {
        s->intr_level = level;
        irq_set(&s->intr, level);
    }
}

void pic_set_irq(void *opaque, int n, int level)
{
    struct pic *s = opaque;
    if (n < 0 || n > 15)
        return;
    chip_input(&s->c[n >> 3], n & 7, level);
    update(s);
}

struct irq_line pic_line(struct pic *s, int n)
{
    struct irq_line l = { pic_set_irq, s, n };
    return l;
}

bool pic_intr_pending(const struct pic *s)
{
    return s->intr_level != 0;
}

/* INTA on one chip for input irq: ISR set (or AEOI), edge request consumed. */
static void chip_ack(struct pic_chip *c, int irq)
{
    uint8_t m = (uint8_t)(1u << irq);
    if (c->auto_eoi) {
        if (c->rotate_aeoi)
            c->lowest = (uint8_t)irq;
    } else {
        c->isr |= m;
    }
    if (!chip_level(c, irq))
        c->irr &= ~m;
}

int pic_intr_ack(void *opaque)
{
    struct pic *s = opaque;
    struct pic_chip *m = &s->c[0], *sl = &s->c[1];
    int vec;
    int irq = chip_pending(m, true);
    if (irq < 0) {
        vec = m->base | 7;              /* spurious IRQ7 */
    } else if (irq == 2 && !m->single) {
        int irq2 = chip_pending(sl, false);
        chip_ack(m, 2);
        if (irq2 < 0) {
            vec = sl->base | 7;         /* spurious IRQ15 */
        } else {
            chip_ack(sl, irq2);
            vec = sl->base | irq2;
        }
    } else {
        chip_ack(m, irq);
        vec = m->base | irq;
    }
    update(s);
    return vec;
}

/* Poll command: the next read returns 0x80|level of the highest request and
 * acknowledges it, or 0 when none. */
static uint8_t chip_poll(struct pic *s, int idx)
{
    struct pic_chip *c = &s->c[idx];
    c->poll = false;
    int irq = chip_pending(c, idx == 0);
    if (irq < 0)
        return 0;
    /* Polling the master for a cascaded request (2) leaves the slave's
     * request for the program to poll on the slave. */
    chip_ack(c, irq);
    update(s);
    return (uint8_t)(0x80 | irq);
}

static void chip_icw1(struct pic_chip *c, uint8_t v)
{
    c->irr = 0;
    c->isr = 0;
    c->imr = 0;
    c->lowest = 7;
    c->special_mask = false;
    c->read_isr = false;
    c->poll = false;
    c->auto_eoi = false;
    c->rotate_aeoi = false;
    c->sfnm = false;
    c->icw4_needed = v & 1;
    c->single = (v >> 1) & 1;
    c->ltim = (v >> 3) & 1;
    if (c->ltim)
        c->irr = c->line;
    c->init_step = 1;
    if (v & 0x04)
        LOG_ONCE(LOG_HW, "pic: ICW1 call address interval 4 ignored (8086 mode only)");
}

static void chip_ocw2(struct pic_chip *c, uint8_t v)
{
    int irq;
    switch (v >> 5) {
    case 0: c->rotate_aeoi = false; break;      /* clear rotate in AEOI */
    case 4: c->rotate_aeoi = true; break;       /* set rotate in AEOI */
    case 1: case 5: {                           /* non-specific EOI (+rotate) */
        uint8_t in_service = c->isr;
        if (c->special_mask)
            in_service &= ~c->imr;
        int p = chip_priority(c, in_service);
        if (p == 8)
            break;
        irq = prio_to_irq(c, p);
        c->isr &= ~(1u << irq);
        if (v >> 5 == 5)
            c->lowest = (uint8_t)irq;
        break;
    }
    case 3:                                     /* specific EOI */
        c->isr &= ~(1u << (v & 7));
        break;
    case 7:                                     /* rotate on specific EOI */
        c->isr &= ~(1u << (v & 7));
        c->lowest = v & 7;
        break;
    case 6:                                     /* set priority */
        c->lowest = v & 7;
        break;
    case 2:                                     /* no operation */
        break;
    }
}

static void chip_write(struct pic *s, int idx, unsigned a0, uint8_t v)
{
    struct pic_chip *c = &s->c[idx];
    if (a0 == 0) {
        if (v & 0x10)
            chip_icw1(c, v);
        else if (v & 0x08) {                    /* OCW3 */
            if (v & 0x02)
                c->read_isr = v & 1;
            if (v & 0x04)
                c->poll = true;
            if (v & 0x40)
                c->special_mask = (v >> 5) & 1;
        } else {
            chip_ocw2(c, v);
        }
    } else {
        switch (c->init_step) {
        case 0:
            c->imr = v;                         /* OCW1 */
            break;
        case 1:                                 /* ICW2 */
            c->base = v & 0xf8;
            c->init_step = c->single ? (c->icw4_needed ? 3 : 0) : 2;
            break;
        case 2:                                 /* ICW3 */
            c->icw3 = v;
            c->init_step = c->icw4_needed ? 3 : 0;
            break;
        case 3:                                 /* ICW4 */
            if (!(v & 1))
                LOG_ONCE(LOG_HW, "pic: ICW4 8080/8085 mode not supported");
            c->auto_eoi = (v >> 1) & 1;
            c->sfnm = (v >> 4) & 1;
            c->init_step = 0;
            break;
        }
    }
    update(s);
}

static uint8_t chip_read(struct pic *s, int idx, unsigned a0)
{
    struct pic_chip *c = &s->c[idx];
    if (c->poll)
        return chip_poll(s, idx);
    if (a0 == 0)
        return c->read_isr ? c->isr : c->irr;
    return c->imr;
}

static uint64_t master_read(void *o, uint64_t off, unsigned size) { return chip_read(o, 0, off & 1); }
static uint64_t slave_read(void *o, uint64_t off, unsigned size) { return chip_read(o, 1, off & 1); }
static void master_write(void *o, uint64_t off, uint64_t v, unsigned size) { chip_write(o, 0, off & 1, (uint8_t)v); }
static void slave_write(void *o, uint64_t off, uint64_t v, unsigned size) { chip_write(o, 1, off & 1, (uint8_t)v); }

static uint64_t elcr_read(void *o, uint64_t off, unsigned size)
{
    struct pic *s = o;
    return s->c[off & 1].elcr;
}

static void elcr_write(void *o, uint64_t off, uint64_t v, unsigned size)
{
    struct pic *s = o;
    struct pic_chip *c = &s->c[off & 1];
    c->elcr = (uint8_t)v & c->elcr_mask;
    /* Level inputs follow their line from now on. */
    c->irr = (uint8_t)((c->irr & ~c->elcr) | (c->line & c->elcr));
    update(s);
}

void pic_reset(struct pic *s)
{
    for (int i = 0; i < 2; i++) {
        struct pic_chip *c = &s->c[i];
        uint8_t line = c->line;
        memset(c, 0, sizeof *c);
        c->line = line;
        c->lowest = 7;
        /* IRQ0, 1, 2, 8 and 13 are edge-only on the PIIX. */
        c->elcr_mask = i ? 0xde : 0xf8;
    }
    s->c[0].icw3 = 0x04;
    s->c[1].icw3 = 0x02;
    update(s);
}

int pic_init(struct pic *s, struct iobus *bus, struct irq_line intr)
{
    memset(s, 0, sizeof *s);
    s->intr = intr;
    pic_reset(s);
    const struct io_handler m = { master_read, master_write, s, 1 };
    const struct io_handler sl = { slave_read, slave_write, s, 1 };
    const struct io_handler e = { elcr_read, elcr_write, s, 1 };
    if (iobus_register(bus, 0x20, 2, &m, "pic-master") ||
        iobus_register(bus, 0xa0, 2, &sl, "pic-slave") ||
        iobus_register(bus, 0x4d0, 2, &e, "elcr"))
        return -1;
    return 0;
}

/* ---- save state ---- */

#define PIC_SS_VERSION 1

static const char *const chip_names[2] = { "master", "slave" };

void pic_save(const struct pic *s, struct savestate *ss)
{
    char f[32];
    ss_section_begin(ss, "pic", PIC_SS_VERSION);
    for (int i = 0; i < 2; i++) {
        const struct pic_chip *c = &s->c[i];
#define PUT(name, val) do { snprintf(f, sizeof f, "%s.%s", chip_names[i], name); \
                            ss_put(ss, f, val); } while (0)
        PUT("irr", c->irr); PUT("isr", c->isr); PUT("imr", c->imr);
        PUT("line", c->line); PUT("elcr", c->elcr); PUT("base", c->base);
        PUT("icw3", c->icw3); PUT("lowest", c->lowest); PUT("init_step", c->init_step);
        PUT("icw4_needed", c->icw4_needed); PUT("single", c->single); PUT("ltim", c->ltim);
        PUT("auto_eoi", c->auto_eoi); PUT("rotate_aeoi", c->rotate_aeoi);
        PUT("sfnm", c->sfnm); PUT("read_isr", c->read_isr); PUT("poll", c->poll);
        PUT("special_mask", c->special_mask);
#undef PUT
    }
    ss_put(ss, "intr_level", (uint64_t)s->intr_level);
    ss_section_end(ss);
}

int pic_load(struct pic *s, struct savestate *ss)
{
    struct pic t = *s;
    char f[32];
    if (ss_section_open(ss, "pic", 1, PIC_SS_VERSION, NULL))
        return -1;
    for (int i = 0; i < 2; i++) {
        struct pic_chip *c = &t.c[i];
#define GET8(name, field, max) do { snprintf(f, sizeof f, "%s.%s", chip_names[i], name); \
                                    ss_get_u8(ss, f, max, &c->field); } while (0)
#define GETB(name, field) do { snprintf(f, sizeof f, "%s.%s", chip_names[i], name); \
                               ss_get_bool(ss, f, &c->field); } while (0)
        GET8("irr", irr, 0xff); GET8("isr", isr, 0xff); GET8("imr", imr, 0xff);
        GET8("line", line, 0xff); GET8("elcr", elcr, 0xff); GET8("base", base, 0xff);
        GET8("icw3", icw3, 0xff); GET8("lowest", lowest, 7); GET8("init_step", init_step, 3);
        GETB("icw4_needed", icw4_needed); GETB("single", single); GETB("ltim", ltim);
        GETB("auto_eoi", auto_eoi); GETB("rotate_aeoi", rotate_aeoi);
        GETB("sfnm", sfnm); GETB("read_isr", read_isr); GETB("poll", poll);
        GETB("special_mask", special_mask);
#undef GET8
#undef GETB
        if (!ss->err && (c->elcr & ~c->elcr_mask)) {
            snprintf(f, sizeof f, "%s.elcr", chip_names[i]);
            return ss_fail(ss, f, "sets an edge-only input to level");
        }
        if (!ss->err && (c->base & 7)) {
            snprintf(f, sizeof f, "%s.base", chip_names[i]);
            return ss_fail(ss, f, "is not a multiple of 8");
        }
    }
    uint64_t lvl;
    if (ss_get(ss, "intr_level", 1, &lvl))
        return -1;
    if (ss->err)
        return -1;
    t.intr_level = (int)lvl;
    *s = t;
    /* Re-drive the CPU line from the restored state. */
    s->intr_level = -1;
    update(s);
    return 0;
}
