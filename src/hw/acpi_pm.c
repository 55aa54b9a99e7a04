/* ACPI PM1 event/control registers and the PM timer, the fixed hardware an
 * ACPI OS needs to power the machine off and to keep time (ACPI 6.5
 * s4.8.3: PM1 event grouping, PM1 control grouping, power-management
 * timer; register placement as in the PIIX4 datasheet s7.2 "Power
 * management I/O space": PMSTS 00h, PMEN 02h, PMCNTRL 04h, PMTMR 08h).
 *
 * PM1_STS bits are write-1-to-clear. TMR_STS is set whenever bit 23 of the
 * timer changes; it is computed from the virtual clock when read, and a
 * timer is armed for the next change only while TMR_EN asks for an SCI.
 * The SCI is the OR of the enabled status bits, gated by SCI_EN. Writing
 * SLP_EN hands SLP_TYP to the board (ops.sleep); SLP_EN reads back 0.
 *
 * Left out: PM1b blocks, GPE blocks, the 32-bit timer (TMR_VAL_EXT), the
 * PIIX4's device monitors and SMI generation, wake events (a sleep type
 * the board does not act on is just logged). */
#include "hw/acpi_pm.h"

#include <string.h>
#include "mem/iobus.h"
#include "util/log.h"
#include "util/savestate.h"

#define STS_MASK (ACPI_PM1_TMR | ACPI_PM1_GBL | ACPI_PM1_PWRBTN | ACPI_PM1_SLPBTN | \
                  ACPI_PM1_RTC | ACPI_PM1_WAK)
#define EN_MASK  (ACPI_PM1_TMR | ACPI_PM1_GBL | ACPI_PM1_PWRBTN | ACPI_PM1_SLPBTN | \
                  ACPI_PM1_RTC)
/* SCI_EN, BM_RLD, GBL_RLS (write-only, reads 0), SLP_TYP; SLP_EN not kept. */
#define CNT_MASK (ACPI_PM1_SCI_EN | 0x0002 | (7u << ACPI_PM1_SLP_TYP_SHIFT))

static uint64_t ticks_at(uint64_t ns)
{
    return (uint64_t)((unsigned __int128)ns * ACPI_PM_TMR_HZ / NS_PER_SEC);
}

/* First virtual ns at which the tick count reaches `ticks`. */
static uint64_t ns_of_tick(uint64_t ticks)
{
    return (uint64_t)(((unsigned __int128)ticks * NS_PER_SEC + ACPI_PM_TMR_HZ - 1) /
                      ACPI_PM_TMR_HZ);
}

uint32_t acpi_pm_timer(struct acpi_pm *s)
{
    return (uint32_t)(ticks_at(clock_now(s->clock)) & 0xFFFFFF);
}

static uint16_t status(struct acpi_pm *s)
{
    uint16_t v = s->sts;
    if ((ticks_at(clock_now(s->clock)) >> 23) != s->tmr_epoch)
        v |= ACPI_PM1_TMR;
    return v;
}

static void update(struct acpi_pm *s)
{
    int level = (s->cnt & ACPI_PM1_SCI_EN) && (status(s) & s->en & EN_MASK);
    if (level != s->sci_level) {
        s->sci_level = level;
        irq_set(&s->sci, level);
    }
    /* While TMR_EN is set and TMR_STS still clear, wake at the next edge. */
    if ((s->en & ACPI_PM1_TMR) && !(status(s) & ACPI_PM1_TMR))
        timer_mod(&s->timer, ns_of_tick((s->tmr_epoch + 1) << 23));
    else
        timer_del(&s->timer);
}

static void pm_timer_fired(void *opaque)
{
    update(opaque);
}

static uint8_t read_byte(struct acpi_pm *s, unsigned off, uint32_t tmr)
{
    switch (off) {
    case 0: case 1: return (uint8_t)(status(s) >> (8 * (off & 1)));
    case 2: case 3: return (uint8_t)(s->en >> (8 * (off & 1)));
    case 4: case 5: return (uint8_t)((s->cnt & ~0x0006u) >> (8 * (off & 1)));
    case 8: case 9: case 10: case 11: return (uint8_t)(tmr >> (8 * (off - 8)));
    default: return 0xFF;
    }
}

static uint64_t pm_read(void *o, uint64_t off, unsigned size)
{
    struct acpi_pm *s = o;
    uint32_t tmr = acpi_pm_timer(s);    /* one sample per access */
    uint64_t v = 0;
    for (unsigned i = 0; i < size && off + i < ACPI_PM_SIZE; i++)
        v |= (uint64_t)read_byte(s, (unsigned)off + i, tmr) << (8 * i);
    return v;
}

static void write_byte(struct acpi_pm *s, unsigned off, uint8_t b)
{
    unsigned sh = 8 * (off & 1);
    uint16_t v = (uint16_t)(b << sh);

    switch (off) {
    case 0: case 1:
        if (v & ACPI_PM1_TMR)
            s->tmr_epoch = ticks_at(clock_now(s->clock)) >> 23;
        s->sts &= (uint16_t)~(v & STS_MASK);
        break;
    case 2: case 3:
        s->en = (uint16_t)((s->en & ~(0xFFu << sh)) | (v & EN_MASK));
        break;
    case 4: case 5:
        s->cnt = (uint16_t)((s->cnt & ~(0xFFu << sh)) | (v & CNT_MASK));
        if (v & ACPI_PM1_SLP_EN) {
            unsigned typ = (s->cnt >> ACPI_PM1_SLP_TYP_SHIFT) & 7;
            LOG(LOG_HW, "acpi-pm: sleep, SLP_TYP %u", typ);
            if (s->ops.sleep)
                s->ops.sleep(s->ops.opaque, typ);
        }
        break;
    default:
        break;          /* 6-7 unused, 8-11 timer is read-only */
    }
}

static void pm_write(void *o, uint64_t off, uint64_t val, unsigned size)
{
    struct acpi_pm *s = o;
    for (unsigned i = 0; i < size && off + i < ACPI_PM_SIZE; i++)
        write_byte(s, (unsigned)off + i, (uint8_t)(val >> (8 * i)));
    update(s);
}

void acpi_pm_power_button(struct acpi_pm *s)
{
    s->sts |= ACPI_PM1_PWRBTN;
    update(s);
}

void acpi_pm_reset(struct acpi_pm *s)
{
    s->sts = 0;
    s->en = 0;
    s->cnt = ACPI_PM1_SCI_EN;
    s->tmr_epoch = ticks_at(clock_now(s->clock)) >> 23;
    update(s);
}

int acpi_pm_init(struct acpi_pm *s, struct clock *clock, struct iobus *bus, uint16_t base,
                 struct irq_line sci, const struct acpi_pm_ops *ops)
{
    memset(s, 0, sizeof *s);
    s->clock = clock;
    s->sci = sci;
    if (ops)
        s->ops = *ops;
    timer_init(&s->timer, clock, pm_timer_fired, s);
    acpi_pm_reset(s);
    const struct io_handler h = { pm_read, pm_write, s, 1 | 2 | 4 };
    return iobus_register(bus, base, ACPI_PM_SIZE, &h, "acpi-pm") ? -1 : 0;
}

#define ACPI_PM_SS_VERSION 1

void acpi_pm_save(const struct acpi_pm *s, struct savestate *ss)
{
    ss_section_begin(ss, "acpi-pm", ACPI_PM_SS_VERSION);
    ss_put(ss, "sts", s->sts);
    ss_put(ss, "en", s->en);
    ss_put(ss, "cnt", s->cnt);
    ss_put(ss, "tmr_epoch", s->tmr_epoch);
    ss_section_end(ss);
}

int acpi_pm_load(struct acpi_pm *s, struct savestate *ss)
{
    uint16_t sts, en, cnt;
    uint64_t epoch;
    if (ss_section_open(ss, "acpi-pm", 1, ACPI_PM_SS_VERSION, NULL) ||
        ss_get_u16(ss, "sts", 0xFFFF, &sts) || ss_get_u16(ss, "en", 0xFFFF, &en) ||
        ss_get_u16(ss, "cnt", 0xFFFF, &cnt) || ss_get(ss, "tmr_epoch", UINT64_MAX >> 23, &epoch))
        return -1;
    if (sts & ~STS_MASK)
        return ss_fail(ss, "sts", "has reserved bits set");
    if (en & ~EN_MASK)
        return ss_fail(ss, "en", "has reserved bits set");
    if (cnt & ~CNT_MASK)
        return ss_fail(ss, "cnt", "has reserved bits set");
    s->sts = sts;
    s->en = en;
    s->cnt = cnt;
    s->tmr_epoch = epoch;
    update(s);
    return 0;
}
