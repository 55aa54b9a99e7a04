/* Unit tests for the HPET (src/hw/hpet.c), driven through its register
 * handler and a fake clock: capabilities, the main counter at 100 MHz,
 * halted counter writes, one-shot and periodic timers (VAL_SET, catch-up),
 * 32-bit mode and its wrap, level status and write-1-to-clear, the route
 * capability mask, legacy replacement routing with the PIT/RTC cut off,
 * save/restore, harmless bad accesses, and the ACPI HPET table and
 * \_SB.HPE0 device that src/boot/acpi.c writes for it. */
#include "test.h"
#include "boot/acpi.h"
#include "hw/hpet.h"
#include "util/savestate.h"

static struct clock clk;
static struct hpet hp;
static int level[HPET_ROUTES], edges[HPET_ROUTES];

static void line_set(void *o, int n, int l)
{
    if (n < 0 || n >= HPET_ROUTES)
        return;
    if (l && !level[n])
        edges[n]++;
    level[n] = l;
}

static void clear_edges(void) { memset(edges, 0, sizeof edges); }

static uint64_t rd(uint64_t off) { return hpet_read(&hp, off, 8); }
static uint32_t rd32(uint64_t off) { return (uint32_t)hpet_read(&hp, off, 4); }
static void wr(uint64_t off, uint64_t v) { hpet_write(&hp, off, v, 8); }
static void wr32(uint64_t off, uint32_t v) { hpet_write(&hp, off, v, 4); }

#define GCAP 0x000
#define GCFG 0x010
#define GISR 0x020
#define MCNT 0x0f0
#define TCFG(n) (0x100 + 0x20 * (n))
#define TCMP(n) (0x108 + 0x20 * (n))

#define ENABLE 1u
#define LEGACY 2u
#define T_LEVEL (1u << 1)
#define T_ENB (1u << 2)
#define T_PER (1u << 3)
#define T_VALSET (1u << 6)
#define T_32 (1u << 8)
#define T_ROUTE(r) ((uint32_t)(r) << 9)

static void setup(void)
{
    struct irq_line out[HPET_ROUTES];
    for (int i = 0; i < HPET_ROUTES; i++)
        out[i] = (struct irq_line){ line_set, NULL, i };
    clock_init_fake(&clk);
    memset(level, 0, sizeof level);
    clear_edges();
    if (hpet_init(&hp, &clk, NULL, HPET_DEFAULT_BASE, out))
        abort();
}

static void test_caps(void)
{
    setup();
    CHECK_EQ(rd32(GCAP), 0x8086a201u, "capabilities low: vendor 8086, 3 timers, 64-bit, legacy");
    CHECK_EQ(rd32(GCAP + 4), 10000000u, "period 10 000 000 fs (100 MHz)");
    CHECK_EQ(rd(GCAP), 0x009896808086a201ull, "capabilities as one 64-bit read");
    CHECK_EQ(ACPI_HPET_BLOCK_ID, rd32(GCAP), "ACPI HPET table block ID matches the register");
    CHECK_EQ(hpet_read(&hp, GCAP + 1, 1), 0xa2u, "byte read of the capabilities");
    CHECK_EQ(hpet_read(&hp, GCAP + 2, 2), 0x8086u, "word read: vendor");
    wr(GCAP, 0);
    CHECK_EQ(rd32(GCAP), 0x8086a201u, "capabilities are read-only");
    uint64_t tc = rd(TCFG(0));
    CHECK_EQ(tc, 0x0000000400000030ull, "Tn_CONFIG at reset: PER_INT_CAP, SIZE_CAP, route cap IRQ2");
    CHECK_EQ(rd(TCFG(2)), 0x0000000400000030ull, "timer 2 has the same capabilities");
    CHECK_EQ(rd(TCMP(0)), ~0ull, "comparator resets to all ones");
    CHECK_EQ(rd(GCFG), 0, "general config 0 at reset");
}

static void test_counter(void)
{
    setup();
    clock_advance(&clk, 1000000);
    CHECK_EQ(rd(MCNT), 0, "halted counter does not move");
    wr(MCNT, 0x123456789ull);
    CHECK_EQ(rd(MCNT), 0x123456789ull, "64-bit write while halted");
    wr32(MCNT + 4, 0xabcd);
    CHECK_EQ(rd(MCNT), 0x0000abcd23456789ull, "32-bit write of the high half");
    wr32(MCNT, 0);
    CHECK_EQ(rd(MCNT), 0x0000abcd00000000ull, "32-bit write of the low half");
    wr(MCNT, 0);
    wr32(GCFG, ENABLE);
    clock_advance(&clk, 1000000);               /* 1 ms */
    CHECK_EQ(rd(MCNT), 100000u, "1 ms of virtual time = 100 000 ticks (100 MHz)");
    clock_advance(&clk, 15);
    CHECK_EQ(rd32(MCNT), 100001u, "15 ns more: one more tick (10 ns each)");
    clock_advance(&clk, 5);
    CHECK_EQ(rd32(MCNT), 100002u, "20 ns in all: two ticks, no drift from rounding");
    wr(MCNT, 5);
    CHECK_EQ(rd(MCNT), 100002u, "write while running is ignored");
    clock_advance(&clk, 43ull * NS_PER_SEC);
    CHECK_EQ(rd32(MCNT + 4), 1u, "43 s: the high half counts (64-bit counter)");
    CHECK_EQ(rd(MCNT), 100002u + 4300000000ull, "and the whole count is exact");
    wr32(GCFG, 0);
    uint64_t held = rd(MCNT);
    clock_advance(&clk, 1000000);
    CHECK_EQ(rd(MCNT), held, "halting keeps the count");
    wr32(GCFG, ENABLE);
    clock_advance(&clk, 100);
    CHECK_EQ(rd(MCNT), held + 10, "restarts from the held count");
}

static void test_oneshot(void)
{
    setup();
    wr32(TCFG(0), T_ENB | T_ROUTE(2));
    CHECK_EQ(rd32(TCFG(0)) & 0x3e06, T_ENB | T_ROUTE(2), "route 2 taken (in the cap mask)");
    wr(TCMP(0), 1000);
    wr32(GCFG, ENABLE);
    clock_advance(&clk, 9990);
    CHECK_EQ(edges[2], 0, "one-shot: nothing before the match (tick 999)");
    clock_advance(&clk, 10);
    CHECK_EQ(edges[2], 1, "one-shot: edge on route 2 at tick 1000");
    CHECK_EQ(level[2], 0, "edge mode leaves the line low");
    CHECK_EQ(rd32(GISR), 0, "edge mode leaves the status bit clear");
    clock_advance(&clk, 1000000);
    CHECK_EQ(edges[2], 1, "one-shot fires once");
    wr(TCMP(0), rd32(MCNT) + 50);
    clock_advance(&clk, 500);
    CHECK_EQ(edges[2], 2, "rewriting the comparator arms it again");
    wr(TCMP(0), rd(MCNT) - 10);
    clock_advance(&clk, 10);
    CHECK_EQ(edges[2], 3, "a comparator just behind the counter fires at once (as QEMU)");
    wr32(TCFG(0), T_ROUTE(2));
    wr(TCMP(0), rd(MCNT) + 5);
    clock_advance(&clk, 100);
    CHECK_EQ(edges[2], 3, "INT_ENB clear: no interrupt");
    wr32(TCFG(0), T_ROUTE(5) | T_ENB);
    CHECK_EQ((rd32(TCFG(0)) >> 9) & 31, 2u, "route 5 is outside the cap mask: not taken");
}

static void test_periodic(void)
{
    setup();
    wr32(TCFG(0), T_ENB | T_PER | T_VALSET | T_ROUTE(2));
    wr(TCMP(0), 1000);                        /* accumulator (and period) */
    CHECK_EQ(rd32(TCFG(0)) & T_VALSET, 0, "VAL_SET clears after the comparator write");
    wr(TCMP(0), 500);                         /* period only */
    CHECK_EQ(rd32(TCMP(0)), 1000u, "second write sets the period, not the accumulator");
    wr32(GCFG, ENABLE);
    clock_advance(&clk, 10000);                 /* tick 1000 */
    CHECK_EQ(edges[2], 1, "periodic: first at the accumulator");
    CHECK_EQ(rd32(TCMP(0)), 1500u, "accumulator moves on by the period");
    for (int i = 0; i < 10; i++)
        clock_advance(&clk, 5000);
    CHECK_EQ(edges[2], 11, "ten more periods, ten more interrupts");
    CHECK_EQ(rd32(TCMP(0)), 6500u, "accumulator after 11 matches");
    clk.fake_now += 5000 * 100 + 10;            /* a late host: 100 periods at once */
    clock_run_timers(&clk);
    CHECK_EQ(edges[2], 12, "missed periods collapse into one interrupt");
    CHECK_EQ(rd32(TCMP(0)), 56500u, "accumulator is past the counter, on the period grid");
    /* Without INT_ENB the accumulator still moves (read catches up). */
    wr32(TCFG(0), T_PER | T_ROUTE(2));
    clock_advance(&clk, 50000);
    CHECK_EQ(rd32(TCMP(0)), 61500u, "INT_ENB off: accumulator still advances");
    CHECK_EQ(edges[2], 12, "INT_ENB off: no interrupt");
    /* Period 0 fires once and stops (no storm). */
    setup();
    wr32(TCFG(1), T_ENB | T_PER | T_VALSET | T_ROUTE(2));
    wr(TCMP(1), 10);
    wr(TCMP(1), 0);
    wr32(GCFG, ENABLE);
    clock_advance(&clk, 1000000);
    CHECK_EQ(edges[2], 1, "period 0: one interrupt, no storm");
}

static void test_32bit(void)
{
    setup();
    wr(TCMP(0), 0x123456789ull);
    wr32(TCFG(0), T_32 | T_ROUTE(2) | T_ENB);
    CHECK_EQ(rd(TCMP(0)), 0x23456789ull, "32-bit mode drops the comparator's upper half");
    wr32(TCMP(0) + 4, 0xffff);
    CHECK_EQ(rd(TCMP(0)), 0x23456789ull, "upper-half writes are ignored in 32-bit mode");
    wr(MCNT, 0x5ffffff00ull);                   /* 256 ticks before a 32-bit wrap */
    wr32(TCMP(0), 0x100);
    wr32(GCFG, ENABLE);
    clock_advance(&clk, 2540);                  /* counter 0x5fffffffe */
    CHECK_EQ(edges[2], 0, "nothing before the wrap");
    clock_advance(&clk, 10);
    CHECK_EQ(edges[2], 1, "32-bit one-shot: the wrap fires (QEMU)");
    clock_advance(&clk, 2570);
    CHECK_EQ(edges[2], 2, "then the match on the low 32 bits (0x600000100)");
    clock_advance(&clk, 50ull * NS_PER_SEC);
    CHECK_EQ(edges[2], 2, "and nothing more");
    /* Periodic 32-bit: the accumulator wraps with the counter. */
    setup();
    wr(MCNT, 0xffffff00ull);
    wr32(TCFG(0), T_32 | T_PER | T_VALSET | T_ENB | T_ROUTE(2));
    wr32(TCMP(0), 0xffffff80u);
    wr32(TCMP(0), 0x100);
    wr32(GCFG, ENABLE);
    clock_advance(&clk, 1280);
    CHECK_EQ(edges[2], 1, "32-bit periodic: first match");
    CHECK_EQ(rd32(TCMP(0)), 0x80u, "accumulator wraps to 0x80");
    clock_advance(&clk, 2560);
    CHECK_EQ(edges[2], 2, "32-bit periodic: fires across the counter wrap");
    CHECK_EQ(rd(MCNT), 0x100000080ull, "counter carries into bit 32");
}

static void test_level(void)
{
    setup();
    wr32(TCFG(1), T_LEVEL | T_ENB | T_ROUTE(2));
    wr(TCMP(1), 100);
    wr32(GCFG, ENABLE);
    clock_advance(&clk, 1000);
    CHECK_EQ(rd32(GISR), 2u, "level timer 1 sets status bit 1");
    CHECK_EQ(level[2], 1, "level timer holds its line high");
    wr32(GISR, 1);
    CHECK_EQ(rd32(GISR), 2u, "writing 1 to another bit does not clear it");
    wr32(GISR, 0);
    CHECK_EQ(level[2], 1, "writing 0 does nothing");
    wr32(GISR, 2);
    CHECK_EQ(rd32(GISR), 0, "write 1 clears the status");
    CHECK_EQ(level[2], 0, "and lowers the line");
    /* Two level timers on one line: the line is their OR. */
    wr32(TCFG(0), T_LEVEL | T_ENB | T_ROUTE(2));
    wr(TCMP(0), rd32(MCNT) + 10);
    wr(TCMP(1), rd32(MCNT) + 10);
    clock_advance(&clk, 200);
    CHECK_EQ(rd32(GISR), 3u, "both statuses set");
    wr32(GISR, 1);
    CHECK_EQ(level[2], 1, "line stays high while timer 1 still asserts it");
    wr32(GISR, 2);
    CHECK_EQ(level[2], 0, "line low once both are clear");
    /* Halting the counter drops the line; restarting re-asserts it. */
    wr(TCMP(1), rd32(MCNT) + 10);
    clock_advance(&clk, 200);
    wr32(GCFG, 0);
    CHECK_EQ(level[2], 0, "ENABLE_CNF clear: no interrupt output");
    CHECK_EQ(rd32(GISR), 2u, "status kept while halted");
    wr32(GCFG, ENABLE);
    CHECK_EQ(level[2], 1, "re-enabled: the pending level comes back");
    wr32(TCFG(1), T_ENB | T_ROUTE(2));
    CHECK_EQ(rd32(GISR), 0, "switching to edge clears the status");
    CHECK_EQ(level[2], 0, "and the line");
}

static void test_legacy(void)
{
    setup();
    struct irq_line pit = hpet_legacy_line(&hp, HPET_LEGACY_PIT);
    struct irq_line rtc = hpet_legacy_line(&hp, HPET_LEGACY_RTC);
    irq_raise(&pit);
    CHECK_EQ(level[0], 1, "PIT output passes through to IRQ0");
    irq_raise(&rtc);
    CHECK_EQ(level[8], 1, "RTC output passes through to IRQ8");
    wr32(GCFG, LEGACY);
    CHECK_EQ(level[0], 1, "LEG_RT_CNF alone (counter halted): still passed through");
    wr32(GCFG, LEGACY | ENABLE);
    CHECK_EQ(level[0], 0, "legacy replacement: PIT cut off from IRQ0");
    CHECK_EQ(level[8], 0, "legacy replacement: RTC cut off from IRQ8");
    irq_lower(&pit);
    irq_raise(&pit);
    CHECK_EQ(edges[0], 1, "PIT edges do not reach IRQ0");
    wr32(TCFG(0), T_ENB | T_PER | T_VALSET);
    wr(TCMP(0), rd32(MCNT) + 1000);
    wr(TCMP(0), 1000);
    wr32(TCFG(1), T_ENB);
    wr(TCMP(1), rd32(MCNT) + 500);
    clear_edges();
    clock_advance(&clk, 10000 * 5);
    CHECK_EQ(edges[0], 5, "timer 0 periodic on IRQ0, 5 periods");
    CHECK_EQ(edges[8], 1, "timer 1 on IRQ8");
    CHECK_EQ(edges[2], 0, "Tn_INT_ROUTE unused for timers 0 and 1");
    wr32(GCFG, ENABLE);
    CHECK_EQ(level[0], 1, "legacy off: PIT level back on IRQ0");
    CHECK_EQ(level[8], 1, "legacy off: RTC level back on IRQ8");
    irq_lower(&rtc);
    CHECK_EQ(level[8], 0, "RTC passes through again");
}

static void test_save_restore(void)
{
    setup();
    wr32(TCFG(0), T_ENB | T_PER | T_VALSET | T_32);
    wr(TCMP(0), 1000);
    wr(TCMP(0), 1000);
    wr32(TCFG(2), T_LEVEL | T_ROUTE(2));
    wr(TCMP(2), 77);
    wr32(GCFG, ENABLE | LEGACY);
    clock_advance(&clk, 25000);                 /* 2 periods */
    CHECK_EQ(edges[0], 2, "before save: 2 interrupts");
    struct savestate ss;
    ss_init_write(&ss);
    hpet_save(&hp, &ss);
    CHECK(!ss.err, "save writes the section");
    uint64_t cnt = rd(MCNT), c0 = rd(TCMP(0)), cfg0 = rd(TCFG(0)), cfg2 = rd(TCFG(2));

    setup();
    struct savestate rs;
    ss_init_read(&rs, ss.buf, ss.len);
    CHECK_EQ(hpet_load(&hp, &rs), 0, "load accepts the saved section");
    CHECK_EQ(rd(MCNT), cnt, "counter restored");
    CHECK_EQ(rd(TCMP(0)), c0, "comparator restored");
    CHECK_EQ(rd(TCFG(0)), cfg0, "timer 0 config restored");
    CHECK_EQ(rd(TCFG(2)), cfg2, "timer 2 config restored");
    CHECK_EQ(rd32(TCMP(2)), 77u, "timer 2 comparator restored");
    CHECK_EQ(rd(GCFG), (uint64_t)(ENABLE | LEGACY), "general config restored");
    clock_advance(&clk, 10000);
    CHECK_EQ(edges[0], 1, "restored periodic timer keeps firing on IRQ0");
    CHECK_EQ(rd(MCNT), cnt + 1000, "counter runs on from the saved value");
    ss_free(&ss);

    /* A section with a read-only bit set in a timer config is refused. */
    ss_init_write(&ss);
    ss_section_begin(&ss, "hpet", 1);
    ss_put(&ss, "config", 1);
    ss_put(&ss, "isr", 0);
    ss_put(&ss, "counter", 0);
    ss_put(&ss, "legacy_in", 0);
    for (int i = 0; i < HPET_TIMERS; i++) {
        char f[24];
        snprintf(f, sizeof f, "t%d.config", i);
        ss_put(&ss, f, i == 1 ? (1u << 4) : 0);
        snprintf(f, sizeof f, "t%d.cmp", i);
        ss_put(&ss, f, 0);
        snprintf(f, sizeof f, "t%d.period", i);
        ss_put(&ss, f, 0);
        snprintf(f, sizeof f, "t%d.armed", i);
        ss_put(&ss, f, 0);
    }
    ss_section_end(&ss);
    setup();
    ss_init_read(&rs, ss.buf, ss.len);
    CHECK(hpet_load(&hp, &rs) != 0, "load refuses a read-only bit in t1.config: %s",
          ss_error(&rs));
    CHECK_EQ(rd(GCFG), 0, "refused load leaves the device as it was");
    ss_free(&ss);

    ss_init_write(&ss);
    ss_section_begin(&ss, "hpet", 1);
    ss_put(&ss, "config", 4);
    ss_section_end(&ss);
    ss_init_read(&rs, ss.buf, ss.len);
    CHECK(hpet_load(&hp, &rs) != 0, "load refuses a reserved general config bit");
    ss_free(&ss);
}

static void test_bad_accesses(void)
{
    setup();
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int round = 0; round < 4; round++) {
        for (uint64_t off = 0; off < HPET_MMIO_SIZE + 16; off++) {
            for (unsigned size = 0; size <= 9; size++) {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17;
                (void)hpet_read(&hp, off, size);
                if (off != GCFG || round == 3)
                    hpet_write(&hp, off, x, size);
                clock_advance(&clk, x & 0xfff);
            }
        }
    }
    CHECK(1, "random accesses of every size at every offset (and past the end) are harmless");
    CHECK_EQ(hpet_read(&hp, 0x400, 4), 0, "read past the block reads 0");
    CHECK_EQ(hpet_read(&hp, 0x3fe, 4), 0, "read straddling the end reads 0");
    CHECK_EQ(rd32(GCAP), 0x8086a201u, "capabilities unchanged after the storm");
    CHECK_EQ(rd(TCFG(1)) & ~0x7f4eull, 0x0000000400000030ull, "read-only config bits unchanged");
    setup();
    wr32(TCFG(0), T_ENB | T_PER | T_VALSET | T_ROUTE(2));
    wr(TCMP(0), 1);
    wr(TCMP(0), 1);
    wr32(GCFG, ENABLE);
    clock_advance(&clk, 1000000);
    CHECK(edges[2] >= 1 && edges[2] <= 100000, "a 1-tick period does not hang the host (%d)",
          edges[2]);
    hpet_write(&hp, GCFG, ENABLE, 2);
    hpet_write(&hp, MCNT + 2, 0, 4);
    CHECK_EQ(rd(GCFG), ENABLE, "narrow and misaligned writes are ignored");
    hpet_reset(&hp);
    CHECK_EQ(rd(GCFG), 0, "reset: halted");
    CHECK_EQ(rd(MCNT), 0, "reset: counter 0");
    CHECK_EQ(rd(TCFG(0)), 0x0000000400000030ull, "reset: timer config");
}

/* The ACPI side (src/boot/acpi.c): the HPET table and \_SB.HPE0. */
static void test_acpi(void)
{
    static uint8_t buf[ACPI_TABLES_SIZE];
    struct acpi_params p = { .pm_base = 0xb000, .sci_irq = 9, .apic = true, .hpet = true };
    uint32_t base = 0x9fc00;
    uint32_t rsdp = acpi_build(buf, base, &p);
    const uint8_t *r = buf + (rsdp - base);
    uint32_t rsdt = r[16] | r[17] << 8 | r[18] << 16 | (uint32_t)r[19] << 24;
    const uint8_t *t = buf + (rsdt - base);
    uint32_t len = t[4] | t[5] << 8;
    const uint8_t *h = NULL;
    for (uint32_t k = 36; k + 4 <= len; k += 4) {
        uint32_t a = t[k] | t[k + 1] << 8 | t[k + 2] << 16 | (uint32_t)t[k + 3] << 24;
        if (a >= base && a - base + 56 <= ACPI_TABLES_SIZE && !memcmp(buf + (a - base), "HPET", 4))
            h = buf + (a - base);
    }
    CHECK(h != NULL, "RSDT lists an HPET table");
    if (!h)
        return;
    uint8_t sum = 0;
    for (int k = 0; k < 56; k++)
        sum = (uint8_t)(sum + h[k]);
    CHECK_EQ(h[4] | h[5] << 8, 56, "HPET table is 56 bytes");
    CHECK_EQ(sum, 0, "HPET table checksum");
    CHECK_EQ(h[36] | h[37] << 8 | h[38] << 16 | (uint32_t)h[39] << 24, 0x8086a201u,
             "event timer block ID = capabilities low half");
    CHECK_EQ(h[40], 0, "base address in system memory");
    uint64_t a = 0;
    for (int k = 7; k >= 0; k--)
        a = a << 8 | h[44 + k];
    CHECK_EQ(a, 0xfed00000ull, "base address 0xFED00000");
    CHECK_EQ(h[52], 0, "HPET number 0");
    CHECK_EQ(h[53] | h[54] << 8, 128, "minimum periodic tick 128");
    bool hid = false, mem = false;
    static const uint8_t pnp0103[] = { 0x41, 0xd0, 0x01, 0x03 };
    static const uint8_t m32[] = { 0x86, 0x09, 0x00, 0x00, 0x00, 0x00, 0xd0, 0xfe,
                                   0x00, 0x04, 0x00, 0x00 };
    for (size_t k = 0; k + sizeof m32 <= sizeof buf; k++) {
        hid |= !memcmp(buf + k, "HPE0", 4) && !memcmp(buf + k + 10, pnp0103, 4);
        mem |= !memcmp(buf + k, m32, sizeof m32);
    }
    CHECK(hid, "DSDT: Device (HPE0) with _HID PNP0103");
    CHECK(mem, "DSDT: _CRS Memory32Fixed (read-only, 0xFED00000, 0x400)");
    p.hpet = false;
    memset(buf, 0, sizeof buf);
    acpi_build(buf, base, &p);
    bool any = false;
    for (size_t k = 0; k + 4 <= sizeof buf; k++)
        any |= !memcmp(buf + k, "HPET", 4) || !memcmp(buf + k, "HPE0", 4);
    CHECK(!any, "without the HPET: no table, no device");
}

int main(void)
{
    test_acpi();
    test_caps();
    test_counter();
    test_oneshot();
    test_periodic();
    test_32bit();
    test_level();
    test_legacy();
    test_save_restore();
    test_bad_accesses();
    return test_summary();
}
