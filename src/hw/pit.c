/* 8254 PIT (Intel 8254 datasheet, order 231164: "Modes of operation",
 * "Read-Back Command", "Counter Latch Command") and port 0x61 (IBM PC/AT
 * technical reference, "System control port B"; PIIX3 datasheet NMISC).
 *
 * A channel does not tick: its count is derived from the virtual time since
 * counting started (`start`, plus `base` ticks counted before a pause). All
 * six modes are modelled, with binary or BCD counting, the gate (level for
 * modes 0/2/3/4, rising edge for 1/5), counter latch, read-back of count and
 * status (OUT, NULL COUNT), LSB/MSB/word access. Port 0x61 bit 4 toggles
 * every 15.085 us like the refresh request from channel 1.
 *
 * Simplifications: a count is loaded at the write, not on the next CLK
 * pulse; a new count written to a running mode 2/3 counter restarts it at
 * once instead of at the end of the period (TODO(pit): defer the reload);
 * mode 3 odd counts give the right waveform but approximate count values.
 * When the host runs timers late, missed IRQ0 periods collapse into one
 * edge (the guest sees a lost tick, as it would under load on QEMU). */
#include "hw/pit.h"

#include <stdio.h>
#include <string.h>
#include "mem/iobus.h"
#include "util/log.h"
#include "util/savestate.h"

#define REFRESH_NS 15085u       /* port 0x61 bit 4 half period */

static uint64_t ticks(const struct pit_channel *c, uint64_t now)
{
    if (!c->running || now < c->start)
        return c->base;
    return c->base + (uint64_t)((unsigned __int128)(now - c->start) * PIT_FREQ / NS_PER_SEC);
}

/* Virtual time at which the tick count reaches t (t >= base). */
static uint64_t time_at(const struct pit_channel *c, uint64_t t)
{
    unsigned __int128 ns = (unsigned __int128)(t - c->base) * NS_PER_SEC + PIT_FREQ - 1;
    return c->start + (uint64_t)(ns / PIT_FREQ);
}

static uint32_t modulus(const struct pit_channel *c)
{
    return c->bcd ? 10000 : 65536;
}

/* Periodic modes need at least 2 ticks per period. */
static uint64_t period(const struct pit_channel *c)
{
    return c->count < 2 ? 2 : c->count;
}

static uint16_t to_bcd(uint32_t v)
{
    return (uint16_t)((v % 10) | (v / 10 % 10) << 4 | (v / 100 % 10) << 8 | (v / 1000 % 10) << 12);
}

static uint32_t from_bcd(uint16_t v)
{
    uint32_t r = (v & 15) + ((v >> 4) & 15) * 10 + ((v >> 8) & 15) * 100 + ((v >> 12) & 15) * 1000;
    return r % 10000;
}

/* Current counting element value (binary, 0..modulus-1). */
static uint32_t counter_value(const struct pit_channel *c, uint64_t now)
{
    uint32_t mod = modulus(c);
    if (!c->loaded)
        return c->count % mod;
    uint64_t d = ticks(c, now), n = c->count, k, v;
    switch (c->mode) {
    case 2:
        n = period(c);
        v = n - d % n;
        break;
    case 3: {
        n = period(c);
        uint64_t hi = (n + 1) / 2;
        k = d % n;
        uint64_t top = n & ~1ull;
        v = k < hi ? top - 2 * k : top - 2 * (k - hi);
        if (v == 0 || v > n)
            v = n;
        break;
    }
    default:                            /* 0, 1, 4, 5: count down and wrap */
        v = (n + mod - d % mod) % mod;
        break;
    }
    return (uint32_t)(v % mod);
}

static int out_level(const struct pit_channel *c, uint64_t now)
{
    if (!c->loaded)
        return c->mode != 0;
    uint64_t d = ticks(c, now), n = c->count;
    switch (c->mode) {
    case 0: return d >= n;
    case 1: return !c->running || d >= n;
    case 2: if (!c->running) return 1; n = period(c); return d % n != n - 1;
    case 3: if (!c->running) return 1; n = period(c); return d % n < (n + 1) / 2;
    case 4: return d != n;
    case 5: return !c->running || d != n;
    }
    return 1;
}

int pit_get_out(struct pit *s, int n)
{
    return out_level(&s->ch[n], clock_now(s->clock));
}

/* Drive IRQ0 from the channel state and arm the timer for the next change. */
static void update_irq(struct pit_channel *c)
{
    if (!c->has_irq)
        return;
    uint64_t now = clock_now(c->pit->clock);
    uint64_t d = ticks(c, now), n = c->count, next = UINT64_MAX;
    int o = out_level(c, now);
    if (c->loaded && c->running && (c->mode == 2 || c->mode == 3)) {
        n = period(c);
        uint64_t p = d / n;
        if (p != c->periods) {
            /* A rising edge at each period boundary, even if the low part of
             * the waveform fell between two timer runs. */
            if (c->out_line)
                irq_lower(&c->irq);
            irq_raise(&c->irq);
            c->out_line = 1;
            c->periods = p;
        }
        if (c->mode == 2)
            next = time_at(c, (p + 1) * n);
        else
            next = time_at(c, d % n < (n + 1) / 2 ? p * n + (n + 1) / 2 : (p + 1) * n);
    } else if (c->loaded && c->running && (c->mode == 4 || c->mode == 5) && !c->strobed) {
        if (d > n) {
            if (c->out_line)
                irq_lower(&c->irq);
            irq_raise(&c->irq);
            c->out_line = 1;
            c->strobed = true;
        } else {
            next = time_at(c, d < n ? n : n + 1);
        }
    } else if (c->loaded && c->running && (c->mode == 0 || c->mode == 1) && d < n) {
        next = time_at(c, n);
    }
    if (o != c->out_line) {
        c->out_line = o;
        irq_set(&c->irq, o);
    }
    if (next != UINT64_MAX)
        timer_mod(&c->timer, next);
    else
        timer_del(&c->timer);
}

static void channel_timer(void *opaque)
{
    update_irq(opaque);
}

static void restart(struct pit_channel *c, uint64_t now)
{
    c->base = 0;
    c->start = now;
    c->periods = 0;
    c->strobed = false;
}

/* The count register was written completely. */
static void load_count(struct pit_channel *c, uint16_t raw)
{
    uint64_t now = clock_now(c->pit->clock);
    uint32_t n = c->bcd ? from_bcd(raw) : raw;
    c->count = n ? n : modulus(c);
    c->loaded = true;
    switch (c->mode) {
    case 1: case 5:
        /* Takes effect at the next gate trigger. */
        c->null_count = true;
        break;
    default:
        restart(c, now);
        c->running = c->gate;
        c->null_count = false;
        break;
    }
    update_irq(c);
}

static void set_gate(struct pit_channel *c, bool gate)
{
    uint64_t now = clock_now(c->pit->clock);
    bool rising = gate && !c->gate;
    if (gate == c->gate)
        return;
    c->gate = gate;
    if (c->loaded) {
        switch (c->mode) {
        case 0: case 4:
            if (!gate && c->running) {
                c->base = ticks(c, now);
                c->running = false;
            } else if (gate && !c->running) {
                c->start = now;
                c->running = true;
            }
            break;
        case 1: case 5:
            if (rising) {
                restart(c, now);
                c->running = true;
                c->null_count = false;
            }
            break;
        case 2: case 3:
            if (!gate)
                c->running = false;
            else {
                restart(c, now);
                c->running = true;
            }
            break;
        }
    }
    update_irq(c);
}

static void latch_count(struct pit_channel *c, uint64_t now)
{
    if (c->latch_state)
        return;
    uint32_t v = counter_value(c, now);
    c->latch = c->bcd ? to_bcd(v) : (uint16_t)v;
    c->latch_state = c->rw == 3 ? 3 : c->rw;
}

static void latch_status(struct pit_channel *c, uint64_t now)
{
    if (c->status_latched)
        return;
    c->status = (uint8_t)(out_level(c, now) << 7 | c->null_count << 6 | c->rw << 4 |
                          c->mode << 1 | c->bcd);
    c->status_latched = true;
}

static void control_write(struct pit *s, uint8_t v)
{
    uint64_t now = clock_now(s->clock);
    unsigned sc = v >> 6;
    if (sc == 3) {                      /* read-back */
        for (int i = 0; i < 3; i++) {
            if (!(v & (2u << i)))
                continue;
            if (!(v & 0x10))
                latch_status(&s->ch[i], now);
            if (!(v & 0x20))
                latch_count(&s->ch[i], now);
        }
        return;
    }
    struct pit_channel *c = &s->ch[sc];
    unsigned rw = (v >> 4) & 3;
    if (rw == 0) {
        latch_count(c, now);
        return;
    }
    c->rw = (uint8_t)rw;
    c->mode = (v >> 1) & 7;
    if (c->mode > 5)
        c->mode -= 4;
    c->bcd = v & 1;
    c->loaded = false;
    c->running = false;
    c->null_count = true;
    c->read_hi = c->write_hi = false;
    c->latch_state = 0;
    c->status_latched = false;
    restart(c, now);
    update_irq(c);
}

static uint8_t data_read(struct pit_channel *c)
{
    uint64_t now = clock_now(c->pit->clock);
    if (c->status_latched) {
        c->status_latched = false;
        return c->status;
    }
    if (c->latch_state) {
        uint8_t r;
        switch (c->latch_state) {
        case 1: r = (uint8_t)c->latch; c->latch_state = 0; break;
        case 2: r = (uint8_t)(c->latch >> 8); c->latch_state = 0; break;
        case 3: r = (uint8_t)c->latch; c->latch_state = 4; break;
        default: r = (uint8_t)(c->latch >> 8); c->latch_state = 0; break;
        }
        return r;
    }
    uint32_t v = counter_value(c, now);
    uint16_t raw = c->bcd ? to_bcd(v) : (uint16_t)v;
    switch (c->rw) {
    case 1: return (uint8_t)raw;
    case 2: return (uint8_t)(raw >> 8);
    default:
        c->read_hi = !c->read_hi;
        return c->read_hi ? (uint8_t)raw : (uint8_t)(raw >> 8);
    }
}

static void data_write(struct pit_channel *c, uint8_t v)
{
    switch (c->rw) {
    case 1: load_count(c, v); break;
    case 2: load_count(c, (uint16_t)(v << 8)); break;
    case 3:
        if (!c->write_hi) {
            c->write_lsb = v;
            c->write_hi = true;
            if (c->mode == 0 && c->loaded) {
                /* Mode 0: the first byte stops counting, OUT goes low. */
                c->base = 0;
                c->running = false;
                c->null_count = true;
                update_irq(c);
            }
        } else {
            c->write_hi = false;
            load_count(c, (uint16_t)(c->write_lsb | v << 8));
        }
        break;
    default:
        LOG_ONCE(LOG_HW, "pit: count written before a control word");
        break;
    }
}

static uint64_t pit_read(void *o, uint64_t off, unsigned size)
{
    struct pit *s = o;
    if (off == 3)
        return 0xff;                    /* the control register is write-only */
    return data_read(&s->ch[off]);
}

static void pit_write(void *o, uint64_t off, uint64_t v, unsigned size)
{
    struct pit *s = o;
    if (off == 3)
        control_write(s, (uint8_t)v);
    else
        data_write(&s->ch[off], (uint8_t)v);
}

static uint64_t port61_read(void *o, uint64_t off, unsigned size)
{
    struct pit *s = o;
    uint64_t now = clock_now(s->clock);
    uint8_t v = s->port61 & 0x0f;
    if ((now / REFRESH_NS) & 1)
        v |= 0x10;
    if (out_level(&s->ch[2], now))
        v |= 0x20;
    return v;
}

static void port61_write(void *o, uint64_t off, uint64_t v, unsigned size)
{
    struct pit *s = o;
    s->port61 = (uint8_t)(v & 0x0f);
    set_gate(&s->ch[2], v & 1);
}

void pit_reset(struct pit *s)
{
    for (int i = 0; i < 3; i++) {
        struct pit_channel *c = &s->ch[i];
        timer_del(&c->timer);
        c->count = 65536;
        c->latch = 0;
        c->latch_state = 0;
        c->status_latched = false;
        c->rw = 3;
        c->mode = 3;
        c->bcd = false;
        c->read_hi = c->write_hi = false;
        c->gate = i != 2;
        c->loaded = false;
        c->running = false;
        c->null_count = true;
        restart(c, clock_now(s->clock));
        if (c->has_irq && c->out_line == 0) {
            c->out_line = 1;
            irq_raise(&c->irq);
        }
    }
    s->port61 = 0;
}

int pit_init(struct pit *s, struct clock *clock, struct iobus *bus, struct irq_line irq0)
{
    memset(s, 0, sizeof *s);
    s->clock = clock;
    for (int i = 0; i < 3; i++) {
        s->ch[i].pit = s;
        timer_init(&s->ch[i].timer, clock, channel_timer, &s->ch[i]);
    }
    s->ch[0].irq = irq0;
    s->ch[0].has_irq = true;
    pit_reset(s);
    const struct io_handler h = { pit_read, pit_write, s, 1 };
    const struct io_handler p = { port61_read, port61_write, s, 1 };
    if (iobus_register(bus, 0x40, 4, &h, "pit") ||
        iobus_register(bus, 0x61, 1, &p, "port61"))
        return -1;
    return 0;
}

/* ---- save state ---- */

#define PIT_SS_VERSION 1

void pit_save(const struct pit *s, struct savestate *ss)
{
    uint64_t now = clock_now(s->clock);
    char f[32];
    ss_section_begin(ss, "pit", PIT_SS_VERSION);
    for (int i = 0; i < 3; i++) {
        const struct pit_channel *c = &s->ch[i];
#define PUT(name, val) do { snprintf(f, sizeof f, "ch%d.%s", i, name); ss_put(ss, f, val); } while (0)
        PUT("count", c->count); PUT("latch", c->latch); PUT("latch_state", c->latch_state);
        PUT("status", c->status); PUT("status_latched", c->status_latched);
        PUT("rw", c->rw); PUT("mode", c->mode); PUT("bcd", c->bcd);
        PUT("read_hi", c->read_hi); PUT("write_hi", c->write_hi); PUT("write_lsb", c->write_lsb);
        PUT("gate", c->gate); PUT("loaded", c->loaded); PUT("running", c->running);
        PUT("null_count", c->null_count); PUT("strobed", c->strobed);
        PUT("elapsed", now >= c->start ? now - c->start : 0);
        PUT("base", c->base); PUT("periods", c->periods); PUT("out_line", (uint64_t)c->out_line);
#undef PUT
    }
    ss_put(ss, "port61", s->port61);
    ss_section_end(ss);
}

int pit_load(struct pit *s, struct savestate *ss)
{
    uint64_t now = clock_now(s->clock);
    struct pit_channel t[3];
    uint8_t port61;
    char f[32];
    memcpy(t, s->ch, sizeof t);
    if (ss_section_open(ss, "pit", 1, PIT_SS_VERSION, NULL))
        return -1;
    for (int i = 0; i < 3; i++) {
        struct pit_channel *c = &t[i];
        uint64_t elapsed, out_line;
#define F(name) (snprintf(f, sizeof f, "ch%d.%s", i, name), f)
        ss_get_u32(ss, F("count"), 65536, &c->count);
        ss_get_u16(ss, F("latch"), 0xffff, &c->latch);
        ss_get_u8(ss, F("latch_state"), 4, &c->latch_state);
        ss_get_u8(ss, F("status"), 0xff, &c->status);
        ss_get_bool(ss, F("status_latched"), &c->status_latched);
        ss_get_u8(ss, F("rw"), 3, &c->rw);
        ss_get_u8(ss, F("mode"), 5, &c->mode);
        ss_get_bool(ss, F("bcd"), &c->bcd);
        ss_get_bool(ss, F("read_hi"), &c->read_hi);
        ss_get_bool(ss, F("write_hi"), &c->write_hi);
        ss_get_u8(ss, F("write_lsb"), 0xff, &c->write_lsb);
        ss_get_bool(ss, F("gate"), &c->gate);
        ss_get_bool(ss, F("loaded"), &c->loaded);
        ss_get_bool(ss, F("running"), &c->running);
        ss_get_bool(ss, F("null_count"), &c->null_count);
        ss_get_bool(ss, F("strobed"), &c->strobed);
        ss_get(ss, F("elapsed"), now, &elapsed);
        ss_get(ss, F("base"), UINT64_MAX, &c->base);
        ss_get(ss, F("periods"), UINT64_MAX, &c->periods);
        ss_get(ss, F("out_line"), 1, &out_line);
        if (ss->err)
            return -1;
        if (c->count == 0 || (c->bcd && c->count > 10000))
            return ss_fail(ss, F("count"), "is out of range for the counting mode");
#undef F
        c->start = now - elapsed;
        c->out_line = (int)out_line;
    }
    if (ss_get_u8(ss, "port61", 0x0f, &port61))
        return -1;
    for (int i = 0; i < 3; i++) {
        struct pit_channel *c = &s->ch[i];
        struct timer tm = c->timer;
        struct irq_line irq = c->irq;
        bool has_irq = c->has_irq;
        int line = c->out_line;
        *c = t[i];
        c->timer = tm;
        c->irq = irq;
        c->has_irq = has_irq;
        c->pit = s;
        /* Re-drive the line to the restored level, then re-arm. */
        if (has_irq && line != c->out_line)
            irq_set(&c->irq, c->out_line);
        update_irq(c);
    }
    s->port61 = port61;
    return 0;
}
