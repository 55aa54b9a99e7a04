/* The I/O APIC of a PC chipset, modelled on the Intel 82093AA datasheet
 * (as QEMU's pc board has one): an indirect register window (IOREGSEL at
 * base + 0x00, IOWIN at base + 0x10), the ID (bits 27:24), version
 * 0x00170011 (version 0x11, 24 entries), arbitration ID (reads as the ID),
 * and 24 64-bit redirection entries: vector, delivery mode (fixed, lowest
 * priority, SMI, NMI, INIT, ExtINT), destination mode (physical/logical),
 * delivery status (always idle: delivery is instant), input polarity,
 * remote IRR, trigger mode, mask and the 8-bit destination.
 *
 * Pins: the board drives each pin's electrical level through an irq_line;
 * a pin is asserted when its level differs from the polarity bit (active
 * low entries are asserted at level 0). Edge-triggered entries send one
 * message when the pin becomes asserted; an edge on a masked pin is lost
 * (82093AA s3.2.4: not held pending). Level-triggered entries send a
 * message whenever the pin is asserted, unmasked and remote IRR is clear;
 * remote IRR is set when a local APIC accepts the message and cleared by
 * the EOI broadcast for the entry's vector (ioapic_eoi), after which a
 * still-asserted pin sends again. Rewriting an entry as edge-triggered
 * clears its remote IRR (what Linux relies on for I/O APICs without an EOI
 * register). Only aligned 32-bit accesses to IOWIN act; IOREGSEL takes
 * byte or dword writes.
 *
 * Left out: the PCI IRQ assertion register and EOI register of later
 * versions (0x20), real bus arbitration, SMI delivery.
 */
#include "hw/ioapic.h"

#include <stdio.h>
#include <string.h>

#include "hw/lapic.h"
#include "mem/physmem.h"
#include "util/log.h"
#include "util/savestate.h"

#define RE_DM_SHIFT   8
#define RE_LOGICAL    (1ull << 11)
#define RE_ACTIVE_LOW (1ull << 13)
#define RE_REMOTE_IRR (1ull << 14)
#define RE_LEVEL      (1ull << 15)
#define RE_MASKED     (1ull << 16)
#define RE_WRITABLE   (0xff0000000001afffull)

static bool asserted(const struct ioapic *s, int pin)
{
    bool lvl = (s->level >> pin) & 1;
    return lvl != ((s->redir[pin] & RE_ACTIVE_LOW) != 0);
}

static bool send(struct ioapic *s, int pin)
{
    uint64_t e = s->redir[pin];
    if (!s->ops.deliver)
        return false;
    return s->ops.deliver(s->ops.opaque, (uint8_t)(e >> 56), (e & RE_LOGICAL) != 0,
                          (unsigned)(e >> RE_DM_SHIFT) & 7, (uint8_t)e, (e & RE_LEVEL) != 0);
}

/* A level-triggered pin: send while asserted, unmasked, remote IRR clear. */
static void service_level(struct ioapic *s, int pin)
{
    uint64_t e = s->redir[pin];
    if (!(e & RE_LEVEL) || (e & (RE_MASKED | RE_REMOTE_IRR)) || !asserted(s, pin))
        return;
    unsigned mode = (unsigned)(e >> RE_DM_SHIFT) & 7;
    if (send(s, pin) && (mode == APIC_DM_FIXED || mode == APIC_DM_LOWEST))
        s->redir[pin] |= RE_REMOTE_IRR;
}

void ioapic_set_irq(void *opaque, int pin, int level)
{
    struct ioapic *s = opaque;
    if (pin < 0 || pin >= IOAPIC_PINS)
        return;
    bool was = asserted(s, pin);
    if (level)
        s->level |= 1u << pin;
    else
        s->level &= ~(1u << pin);
    uint64_t e = s->redir[pin];
    if (e & RE_LEVEL)
        service_level(s, pin);
    else if (!was && asserted(s, pin) && !(e & RE_MASKED))
        send(s, pin);
}

struct irq_line ioapic_line(struct ioapic *s, int pin)
{
    return (struct irq_line){ ioapic_set_irq, s, pin };
}

void ioapic_eoi(struct ioapic *s, uint8_t vector)
{
    for (int pin = 0; pin < IOAPIC_PINS; pin++) {
        uint64_t e = s->redir[pin];
        if ((uint8_t)e == vector && (e & RE_LEVEL) && (e & RE_REMOTE_IRR)) {
            s->redir[pin] &= ~RE_REMOTE_IRR;
            service_level(s, pin);
        }
    }
}

static uint32_t reg_read(struct ioapic *s)
{
    unsigned r = s->sel;
    if (r == 0x00) return (uint32_t)(s->id & 0x0f) << 24;
    if (r == 0x01) return IOAPIC_VERSION;
    if (r == 0x02) return (uint32_t)(s->id & 0x0f) << 24;
    if (r >= 0x10 && r < 0x10 + 2 * IOAPIC_PINS) {
        uint64_t e = s->redir[(r - 0x10) / 2];
        return (r & 1) ? (uint32_t)(e >> 32) : (uint32_t)e;
    }
    return 0xffffffffu;                                 /* unimplemented register */
}

static void reg_write(struct ioapic *s, uint32_t v)
{
    unsigned r = s->sel;
    if (r == 0x00) {
        s->id = (uint8_t)((v >> 24) & 0x0f);
        return;
    }
    if (r < 0x10 || r >= 0x10 + 2 * IOAPIC_PINS)
        return;                                         /* version, arbitration: read-only */
    int pin = (int)(r - 0x10) / 2;
    uint64_t old = s->redir[pin], e;
    if (r & 1)
        e = (old & 0x00000000ffffffffull) | ((uint64_t)v << 32);
    else
        e = (old & 0xffffffff00000000ull) | v;
    e = (e & RE_WRITABLE) | (old & RE_REMOTE_IRR);
    if (!(e & RE_LEVEL))
        e &= ~RE_REMOTE_IRR;
    s->redir[pin] = e;
    service_level(s, pin);          /* unmasked with the line already asserted */
}

uint32_t ioapic_read(struct ioapic *s, uint32_t off)
{
    if (off == 0x00)
        return s->sel;
    if (off == 0x10)
        return reg_read(s);
    return 0;
}

void ioapic_write(struct ioapic *s, uint32_t off, uint32_t v)
{
    if (off == 0x00)
        s->sel = (uint8_t)v;
    else if (off == 0x10)
        reg_write(s, v);
}

static uint64_t mmio_read(void *opaque, uint64_t off, unsigned size)
{
    struct ioapic *s = opaque;
    if (off == 0x00)
        return s->sel;
    if (off == 0x10 && size >= 4)
        return ioapic_read(s, 0x10);
    return 0;
}

static void mmio_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    struct ioapic *s = opaque;
    if (off == 0x00 || (off == 0x10 && size >= 4))
        ioapic_write(s, (uint32_t)off, (uint32_t)v);
    else
        LOG_ONCE(LOG_HW, "ioapic: %u-byte write at offset 0x%llx ignored", size,
                 (unsigned long long)off);
}

void ioapic_reset(struct ioapic *s)
{
    s->id = 0;
    s->sel = 0;
    for (int i = 0; i < IOAPIC_PINS; i++)
        s->redir[i] = RE_MASKED;
}

int ioapic_init(struct ioapic *s, struct physmem *mem, uint64_t base,
                const struct ioapic_ops *ops)
{
    memset(s, 0, sizeof *s);
    if (ops)
        s->ops = *ops;
    ioapic_reset(s);
    if (mem) {
        const struct io_handler h = { mmio_read, mmio_write, s, 1 | 2 | 4 | 8 };
        if (physmem_map_mmio(mem, base, 0x1000, &h, "ioapic"))
            return -1;
    }
    return 0;
}

/* ---- save state ---- */

#define IOAPIC_SS_VERSION 1

void ioapic_save(const struct ioapic *s, struct savestate *ss)
{
    char f[24];     /* "redir" + any int: no truncation warning at -O1 */
    ss_section_begin(ss, "ioapic", IOAPIC_SS_VERSION);
    ss_put(ss, "id", s->id);
    ss_put(ss, "sel", s->sel);
    ss_put(ss, "level", s->level);
    for (int i = 0; i < IOAPIC_PINS; i++) {
        snprintf(f, sizeof f, "redir%d", i);
        ss_put(ss, f, s->redir[i]);
    }
    ss_section_end(ss);
}

int ioapic_load(struct ioapic *s, struct savestate *ss)
{
    struct ioapic t = *s;
    char f[24];
    if (ss_section_open(ss, "ioapic", 1, IOAPIC_SS_VERSION, NULL))
        return -1;
    ss_get_u8(ss, "id", 0x0f, &t.id);
    ss_get_u8(ss, "sel", 0xff, &t.sel);
    ss_get_u32(ss, "level", (1u << IOAPIC_PINS) - 1, &t.level);
    for (int i = 0; i < IOAPIC_PINS; i++) {
        snprintf(f, sizeof f, "redir%d", i);
        ss_get(ss, f, UINT64_MAX, &t.redir[i]);
        if (!ss->err && (t.redir[i] & ~(RE_WRITABLE | RE_REMOTE_IRR)))
            return ss_fail(ss, f, "sets reserved or read-only bits");
    }
    if (ss->err)
        return -1;
    *s = t;
    return 0;
}
