/* Unit tests for the ACPI PM block (src/hw/acpi_pm.c) through its ports on
 * a fake clock: PM timer rate and wrap, TMR_STS edges and write-1-to-clear,
 * the SCI (enable bits, SCI_EN gate, the armed timer), the power button,
 * SLP_EN with each access width, save/restore. */
#include "test.h"
#include "hw/acpi_pm.h"
#include "mem/iobus.h"
#include "util/savestate.h"

#define BASE 0xB000

static struct iobus bus;
static struct clock clk;
static struct acpi_pm pm;
static int sci_level, sleeps;
static unsigned last_typ = 99;

static void sci_set(void *o, int n, int level) { sci_level = level; }
static void on_sleep(void *o, unsigned typ) { sleeps++; last_typ = typ; }

static uint32_t in(unsigned off, unsigned size) { return iobus_in(&bus, BASE + off, size); }
static void out(unsigned off, uint32_t v, unsigned size) { iobus_out(&bus, BASE + off, v, size); }

/* Advance the fake clock so the PM timer reaches tick t (from 0). */
static void to_tick(uint64_t t)
{
    uint64_t target = (t * NS_PER_SEC + ACPI_PM_TMR_HZ - 1) / ACPI_PM_TMR_HZ;
    uint64_t now = clock_now(&clk);
    if (target > now)
        clock_advance(&clk, target - now);
}

int main(void)
{
    const struct irq_line sci = { sci_set, NULL, 9 };
    const struct acpi_pm_ops ops = { on_sleep, NULL };

    clock_init_fake(&clk);
    CHECK(iobus_init(&bus) == 0, "iobus_init");
    CHECK(acpi_pm_init(&pm, &clk, &bus, BASE, sci, &ops) == 0, "acpi_pm_init at 0xB000");

    /* Reset state. */
    CHECK_EQ(in(0, 2), 0, "PM1_STS is 0 after reset");
    CHECK_EQ(in(2, 2), 0, "PM1_EN is 0 after reset");
    CHECK_EQ(in(4, 2), ACPI_PM1_SCI_EN, "PM1_CNT has SCI_EN (always in ACPI mode)");
    CHECK_EQ(sci_level, 0, "SCI low after reset");
    CHECK_EQ(in(6, 2), 0xFFFF, "offsets 6-7 are unused (all ones)");

    /* Timer: 3.579545 MHz from the virtual clock, 24 bits. */
    CHECK_EQ(in(8, 4), 0, "PM timer starts at 0 with the clock");
    clock_advance(&clk, NS_PER_SEC);
    CHECK_EQ(in(8, 4), ACPI_PM_TMR_HZ, "one virtual second = 3579545 ticks");
    CHECK_EQ(in(8, 1), ACPI_PM_TMR_HZ & 0xFF, "byte read of the timer's low byte");
    CHECK_EQ(in(10, 1), (ACPI_PM_TMR_HZ >> 16) & 0xFF, "byte read of the timer's third byte");
    CHECK_EQ(in(11, 1), 0, "the top byte of the 24-bit timer reads 0");
    out(8, 0x12345678, 4);
    CHECK_EQ(in(8, 4), ACPI_PM_TMR_HZ, "the timer is read-only");

    /* TMR_STS: set when bit 23 changes (every 2^23 ticks). */
    to_tick((1u << 23) - 1);
    CHECK_EQ(in(0, 2) & ACPI_PM1_TMR, 0, "TMR_STS clear just before bit 23 sets");
    to_tick(1u << 23);
    CHECK_EQ(in(0, 2) & ACPI_PM1_TMR, ACPI_PM1_TMR, "TMR_STS set when bit 23 sets");
    CHECK_EQ(in(8, 4), 1u << 23, "timer reads 0x800000");
    out(0, ACPI_PM1_GBL, 2);
    CHECK_EQ(in(0, 2) & ACPI_PM1_TMR, ACPI_PM1_TMR, "writing another bit leaves TMR_STS");
    out(0, ACPI_PM1_TMR, 2);
    CHECK_EQ(in(0, 2) & ACPI_PM1_TMR, 0, "writing 1 clears TMR_STS");
    to_tick(1u << 24);
    CHECK_EQ(in(8, 4), 0, "timer wraps at 2^24");
    CHECK_EQ(in(0, 2) & ACPI_PM1_TMR, ACPI_PM1_TMR, "TMR_STS set again when bit 23 clears");
    CHECK_EQ(sci_level, 0, "no SCI while TMR_EN is clear");

    /* SCI from the timer: TMR_EN arms a timer for the next edge. */
    out(0, ACPI_PM1_TMR, 2);
    out(2, ACPI_PM1_TMR, 2);
    CHECK_EQ(in(2, 2), ACPI_PM1_TMR, "PM1_EN holds TMR_EN");
    CHECK_EQ(sci_level, 0, "SCI still low before the edge");
    to_tick((1u << 24) + (1u << 23) - 1);
    CHECK_EQ(sci_level, 0, "SCI low one tick before the edge");
    to_tick((1u << 24) + (1u << 23));
    CHECK_EQ(sci_level, 1, "SCI raised at the edge by the armed timer (no register read)");
    out(0, ACPI_PM1_TMR, 2);
    CHECK_EQ(sci_level, 0, "clearing TMR_STS lowers the SCI");
    out(4, 0, 2);
    to_tick(2u << 24);
    CHECK_EQ(in(0, 2) & ACPI_PM1_TMR, ACPI_PM1_TMR, "status still set with SCI_EN clear");
    CHECK_EQ(sci_level, 0, "SCI_EN clear: no SCI");
    out(4, ACPI_PM1_SCI_EN, 2);
    CHECK_EQ(sci_level, 1, "setting SCI_EN raises the pending SCI");
    out(2, 0, 2);
    CHECK_EQ(sci_level, 0, "clearing TMR_EN lowers it");
    out(0, 0xFFFF, 2);

    /* Power button. */
    acpi_pm_power_button(&pm);
    CHECK_EQ(in(0, 2) & ACPI_PM1_PWRBTN, ACPI_PM1_PWRBTN, "power button sets PWRBTN_STS");
    CHECK_EQ(sci_level, 0, "no SCI while PWRBTN_EN is clear");
    out(2, ACPI_PM1_PWRBTN, 2);
    CHECK_EQ(sci_level, 1, "PWRBTN_EN: SCI");
    out(1, ACPI_PM1_PWRBTN >> 8, 1);
    CHECK_EQ(sci_level, 0, "byte write-1-to-clear of PWRBTN_STS (high byte)");
    out(2, 0xFFFF, 2);
    CHECK_EQ(in(2, 2), ACPI_PM1_TMR | ACPI_PM1_GBL | ACPI_PM1_PWRBTN | ACPI_PM1_SLPBTN |
             ACPI_PM1_RTC, "PM1_EN keeps only the defined enable bits");
    out(2, 0, 2);

    /* Sleep requests. */
    out(4, ACPI_PM1_SCI_EN | (5u << ACPI_PM1_SLP_TYP_SHIFT), 2);
    CHECK_EQ(sleeps, 0, "SLP_TYP without SLP_EN does nothing");
    CHECK_EQ(in(4, 2), ACPI_PM1_SCI_EN | (5u << ACPI_PM1_SLP_TYP_SHIFT), "SLP_TYP reads back");
    out(4, ACPI_PM1_SCI_EN | (5u << ACPI_PM1_SLP_TYP_SHIFT) | ACPI_PM1_SLP_EN, 2);
    CHECK_EQ(sleeps, 1, "SLP_EN calls the board");
    CHECK_EQ(last_typ, 5, "with the SLP_TYP written");
    CHECK_EQ(in(4, 2) & ACPI_PM1_SLP_EN, 0, "SLP_EN reads 0");
    out(5, (ACPI_PM1_SLP_EN | (0u << ACPI_PM1_SLP_TYP_SHIFT)) >> 8, 1);
    CHECK_EQ(sleeps, 2, "byte write of the high byte with SLP_EN");
    CHECK_EQ(last_typ, 0, "SLP_TYP 0 (S5 on this board)");
    iobus_out(&bus, BASE + 4, (uint32_t)(ACPI_PM1_SCI_EN | (7u << 10) | ACPI_PM1_SLP_EN), 4);
    CHECK_EQ(sleeps, 3, "dword write covering PM1_CNT");
    CHECK_EQ(last_typ, 7, "SLP_TYP 7");

    /* Save / restore. */
    out(4, ACPI_PM1_SCI_EN | (3u << 10), 2);
    out(2, ACPI_PM1_PWRBTN | ACPI_PM1_RTC, 2);
    acpi_pm_power_button(&pm);
    struct savestate ss;
    ss_init_write(&ss);
    acpi_pm_save(&pm, &ss);
    struct acpi_pm copy;
    int dummy_level = sci_level;
    CHECK(acpi_pm_init(&copy, &clk, &bus, 0xC000, sci, &ops) == 0, "second block at 0xC000");
    struct savestate rd;
    ss_init_read(&rd, ss.buf, ss.len);
    CHECK(acpi_pm_load(&copy, &rd) == 0, "load: %s", ss_error(&rd));
    CHECK_EQ(copy.sts, pm.sts, "restored PM1_STS");
    CHECK_EQ(copy.en, pm.en, "restored PM1_EN");
    CHECK_EQ(copy.cnt, pm.cnt, "restored PM1_CNT");
    CHECK_EQ(copy.tmr_epoch, pm.tmr_epoch, "restored timer epoch");
    CHECK_EQ(copy.sci_level, 1, "restored SCI level recomputed");
    CHECK_EQ(dummy_level, 1, "original SCI was high");
    ss_free(&ss);

    /* A corrupt image is refused with the field's name. */
    struct acpi_pm bad_src = pm;
    bad_src.en = 0x4000;
    ss_init_write(&ss);
    acpi_pm_save(&bad_src, &ss);
    ss_init_read(&rd, ss.buf, ss.len);
    CHECK(acpi_pm_load(&copy, &rd) < 0, "reserved PM1_EN bits refused");
    CHECK(strstr(ss_error(&rd), "en") != NULL, "error names the field: %s", ss_error(&rd));
    ss_free(&ss);

    iobus_free(&bus);
    return test_summary();
}
