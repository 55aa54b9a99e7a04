/* Unit tests for the MC146818 RTC/CMOS (src/hw/rtc.c), driven through ports
 * 0x70/0x71 and the fake clock: host time at start, BCD/binary, 12/24 h,
 * calendar roll-over, UIP timing, update-ended, periodic and alarm
 * interrupts, SET and divider reset, memory-size bytes, NMI mask,
 * save/restore. */
#include "test.h"
#include "mem/iobus.h"
#include "hw/rtc.h"
#include "util/savestate.h"

static struct iobus bus;
static struct clock clk;
static struct rtc rtc;
static int irq_level, irq_edges;

static void irq_fn(void *o, int n, int level)
{
    if (level && !irq_level)
        irq_edges++;
    irq_level = level;
}

static uint8_t rd(uint8_t reg)
{
    iobus_out(&bus, 0x70, reg, 1);
    return (uint8_t)iobus_in(&bus, 0x71, 1);
}

static void wr(uint8_t reg, uint8_t v)
{
    iobus_out(&bus, 0x70, reg, 1);
    iobus_out(&bus, 0x71, v, 1);
}

static void at(uint64_t ns)             /* advance the fake clock to ns */
{
    uint64_t now = clock_now(&clk);
    if (ns > now)
        clock_advance(&clk, ns - now);
}

#define SEC NS_PER_SEC
#define UIP_START (SEC - RTC_UIP_LEAD_NS - RTC_UPDATE_NS)

int main(void)
{
    struct irq_line irq8 = { irq_fn, NULL, 8 };
    clock_init_fake(&clk);
    CHECK(iobus_init(&bus) == 0, "iobus_init");
    /* 2024-02-28 23:59:58 UTC, a Wednesday. */
    CHECK(rtc_init(&rtc, &clk, &bus, irq8, 1709164798) == 0, "rtc_init registers 0x70-0x71");

    CHECK_EQ(rd(0x00), 0x58, "host time: seconds 58 (BCD)");
    CHECK_EQ(rd(0x02), 0x59, "host time: minutes 59");
    CHECK_EQ(rd(0x04), 0x23, "host time: hours 23");
    CHECK_EQ(rd(0x06), 0x04, "host time: Wednesday = 4");
    CHECK_EQ(rd(0x07), 0x28, "host time: day 28");
    CHECK_EQ(rd(0x08), 0x02, "host time: February");
    CHECK_EQ(rd(0x09), 0x24, "host time: year 24");
    CHECK_EQ(rd(0x32), 0x20, "host time: century 20");
    CHECK_EQ(rd(0x0a), 0x26, "register A: divider on, 1024 Hz");
    CHECK_EQ(rd(0x0b), 0x02, "register B: BCD, 24 hour");
    CHECK_EQ(rd(0x0d), 0x80, "register D: VRT");
    CHECK_EQ(rd(0x0c), 0x00, "register C: nothing pending");

    /* Update cycle and UIP timing. */
    at(UIP_START - 1);
    CHECK_EQ(rd(0x0a) & 0x80, 0, "UIP clear 2228 us before the update plus 1 ns");
    at(UIP_START);
    CHECK_EQ(rd(0x0a) & 0x80, 0x80, "UIP set 244 us + 1984 us before the boundary");
    at(SEC - 1);
    CHECK_EQ(rd(0x0a) & 0x80, 0x80, "UIP still set just before the boundary");
    CHECK_EQ(rd(0x00), 0x58, "old second readable during the update");
    at(SEC);
    CHECK_EQ(rd(0x0a) & 0x80, 0, "UIP falls at the boundary");
    CHECK_EQ(rd(0x00), 0x59, "new second shows when UIP falls");
    CHECK_EQ(rd(0x0c), 0x50, "UF (and PF: 1024 Hz runs) set, IRQF clear with interrupts off");
    CHECK_EQ(rd(0x0c), 0x00, "reading C clears it");
    CHECK_EQ(irq_edges, 0, "no IRQ8 with interrupts disabled");

    /* Roll over midnight into a leap day. */
    at(2 * SEC);
    CHECK_EQ(rd(0x00), 0x00, "midnight: seconds 0");
    CHECK_EQ(rd(0x04), 0x00, "midnight: hours 0");
    CHECK_EQ(rd(0x07), 0x29, "leap year: February 29");
    CHECK_EQ(rd(0x06), 0x05, "day of week advances to Thursday");

    /* Update-ended interrupt. */
    rd(0x0c);
    wr(0x0b, 0x12);                     /* UIE, 24 h, BCD */
    at(3 * SEC - 1);
    CHECK_EQ(irq_level, 0, "UIE: no IRQ before the update");
    at(3 * SEC);
    CHECK_EQ(irq_level, 1, "UIE: IRQ8 raised at update end");
    CHECK_EQ(rd(0x0c) & 0x90, 0x90, "C = IRQF|UF");
    CHECK_EQ(irq_level, 0, "reading C lowers IRQ8");
    at(4 * SEC);
    CHECK_EQ(irq_edges, 2, "UIE: one interrupt per second");
    rd(0x0c);

    /* SET stops updates and clears UIE. */
    wr(0x0b, 0x82);
    CHECK_EQ(rd(0x0b), 0x82, "SET clears UIE");
    uint8_t sec = rd(0x00);
    at(6 * SEC + SEC / 2);
    CHECK_EQ(rd(0x00), sec, "SET: time frozen");
    CHECK_EQ(rd(0x0a) & 0x80, 0, "SET: UIP reads 0");
    /* Binary mode, 12 hour: set 11:59:59 PM. */
    wr(0x0b, 0x84);                     /* SET, binary, 12 h */
    wr(0x00, 59); wr(0x02, 59); wr(0x04, 0x80 | 11);
    wr(0x07, 31); wr(0x08, 12); wr(0x09, 99); wr(0x32, 19); wr(0x06, 6);
    wr(0x0b, 0x04);                     /* run */
    at(7 * SEC);
    CHECK_EQ(rd(0x00), 0, "binary: seconds wrap to 0");
    CHECK_EQ(rd(0x04), 0x0c, "12 h: midnight reads 12 AM (0x0c)");
    CHECK_EQ(rd(0x07), 1, "binary: day 1");
    CHECK_EQ(rd(0x08), 1, "binary: January");
    CHECK_EQ(rd(0x09), 0, "binary: year 00");
    CHECK_EQ(rd(0x32), 20, "century increments to 20");
    CHECK_EQ(rd(0x06), 7, "Friday -> Saturday");
    wr(0x0b, 0x84);
    wr(0x04, 11);                       /* 11 AM */
    wr(0x02, 59); wr(0x00, 59);
    wr(0x0b, 0x04);
    at(8 * SEC);
    CHECK_EQ(rd(0x04), 0x8c, "12 h: noon reads 12 PM (0x8c)");
    at(8 * SEC + 3600 * SEC);
    CHECK_EQ(rd(0x04), 0x81, "12 h: one hour later 1 PM (0x81)");
    wr(0x0b, 0x02);                     /* back to BCD 24 h (no conversion) */

    /* Alarm. */
    rd(0x0c);
    uint64_t base = clock_now(&clk) - clock_now(&clk) % SEC;
    wr(0x0b, 0x82);
    wr(0x00, 0x10); wr(0x02, 0x20); wr(0x04, 0x08);
    wr(0x01, 0x12); wr(0x03, 0x20); wr(0x05, 0x08);         /* alarm 08:20:12 */
    wr(0x0b, 0x22);                     /* AIE, 24 h, BCD */
    rd(0x0c);
    irq_edges = 0;
    at(base + 2 * SEC - 1);             /* 08:20:11 */
    CHECK_EQ(irq_level, 0, "alarm: not yet at 08:20:11");
    at(base + 2 * SEC);
    CHECK_EQ(irq_level, 1, "alarm: IRQ8 when the time reaches 08:20:12");
    CHECK_EQ(rd(0x0c) & 0xa0, 0xa0, "C = IRQF|AF");
    at(base + 3 * SEC);
    CHECK_EQ(irq_level, 0, "alarm: no repeat the next second");
    wr(0x01, 0xc0); wr(0x03, 0xc0); wr(0x05, 0xc0);         /* don't care */
    at(base + 4 * SEC);
    CHECK_EQ(irq_level, 1, "don't-care alarm fires every second");
    rd(0x0c);
    at(base + 5 * SEC);
    CHECK_EQ(irq_level, 1, "and again one second later");
    wr(0x0b, 0x02);
    rd(0x0c);

    /* Periodic interrupt at 1024 Hz. */
    irq_edges = 0;
    uint64_t p0 = clock_now(&clk);
    wr(0x0a, 0x26);
    wr(0x0b, 0x42);                     /* PIE */
    rd(0x0c);
    int ok = 1;
    for (int i = 0; i < 100; i++) {
        /* 1024 Hz period = 976562.5 ns */
        at(p0 + (uint64_t)(i + 1) * 976563 + 1000);
        if (!irq_level || (rd(0x0c) & 0xc0) != 0xc0 || irq_level)
            ok = 0;
    }
    CHECK(ok, "PIE 1024 Hz: IRQ8 with IRQF|PF every period, lowered by reading C");
    CHECK(irq_edges >= 99 && irq_edges <= 101, "100 periods give 100 interrupts (%d)", irq_edges);
    wr(0x0a, 0x2f);                     /* 2 Hz */
    rd(0x0c);
    irq_edges = 0;
    p0 = clock_now(&clk);
    at(p0 + 2 * SEC);
    CHECK_EQ(irq_edges, 1, "RS=15 (2 Hz): interrupt not re-raised until C is read");
    CHECK_EQ(rd(0x0c) & 0xc0, 0xc0, "RS=15: PF set");
    at(p0 + 3 * SEC);
    CHECK_EQ(irq_edges, 2, "RS=15: next interrupt after C read");
    wr(0x0b, 0x02);
    rd(0x0c);
    at(clock_now(&clk) + SEC);
    CHECK_EQ(rd(0x0c) & 0x40, 0x40, "PF is set even with PIE off");
    CHECK_EQ(irq_level, 0, "but no IRQ8");

    /* Divider reset: time frozen; leaving reset puts the update 500 ms on. */
    wr(0x0a, 0x70);
    sec = rd(0x00);
    at(clock_now(&clk) + 5 * SEC);
    CHECK_EQ(rd(0x00), sec, "divider in reset: time frozen");
    uint64_t r0 = clock_now(&clk);
    wr(0x0a, 0x26);
    at(r0 + SEC / 2 - 1);
    CHECK_EQ(rd(0x00), sec, "divider restart: no update before 500 ms");
    at(r0 + SEC / 2);
    CHECK(rd(0x00) != sec, "divider restart: first update 500 ms later");

    /* NMI mask and index. */
    iobus_out(&bus, 0x70, 0x8a, 1);
    CHECK(rtc_nmi_masked(&rtc), "port 0x70 bit 7 masks NMI");
    CHECK_EQ(iobus_in(&bus, 0x71, 1) & 0x7f, 0x26, "index 0x0a selected with bit 7 set");
    iobus_out(&bus, 0x70, 0x0a, 1);
    CHECK(!rtc_nmi_masked(&rtc), "bit 7 clear unmasks NMI");

    /* CMOS RAM and memory-size bytes. */
    wr(0x40, 0xa5);
    CHECK_EQ(rd(0x40), 0xa5, "CMOS RAM byte 0x40 reads back");
    wr(0x7f, 0x5a);
    CHECK_EQ(rd(0x7f), 0x5a, "CMOS RAM byte 0x7f reads back");
    rtc_set_memory(&rtc, 32u << 20, 1ull << 30);
    CHECK_EQ(rd(0x15) | rd(0x16) << 8, 640, "base memory 640 KiB");
    CHECK_EQ(rd(0x17) | rd(0x18) << 8, 31 * 1024, "extended memory 31 MiB in KiB (0x17)");
    CHECK_EQ(rd(0x30) | rd(0x31) << 8, 31 * 1024, "extended memory mirrored at 0x30");
    CHECK_EQ(rd(0x34) | rd(0x35) << 8, 256, "memory above 16 MiB in 64 KiB units");
    CHECK_EQ(rd(0x5b) | rd(0x5c) << 8 | rd(0x5d) << 16, 16384, "memory above 4 GiB in 64 KiB units");
    unsigned sum = 0;
    for (int i = 0x10; i <= 0x2d; i++)
        sum += rd((uint8_t)i);
    CHECK_EQ(rd(0x2e) << 8 | rd(0x2f), sum, "checksum 0x2e-0x2f over 0x10-0x2d");
    rtc_set_memory(&rtc, 3ull << 30, 0);
    CHECK_EQ(rd(0x17) | rd(0x18) << 8, 0xffff, "extended memory capped at 0xffff KiB");

    /* Save, restore, compare. */
    wr(0x0b, 0x12);
    wr(0x0a, 0x26);
    rd(0x0c);
    struct savestate ss;
    ss_init_write(&ss);
    rtc_save(&rtc, &ss);
    CHECK(ss_error(&ss) == NULL, "save ok");
    uint8_t saved[128];
    memcpy(saved, rtc.cmos, 128);
    wr(0x0b, 0x86); wr(0x00, 0); wr(0x40, 0);
    struct savestate in;
    ss_init_read(&in, ss.buf, ss.len);
    CHECK_EQ(rtc_load(&rtc, &in), 0, "load ok");
    CHECK(memcmp(saved, rtc.cmos, 128) == 0, "restored CMOS equals the saved one");
    irq_edges = 0;
    at(clock_now(&clk) + SEC);
    CHECK_EQ(irq_edges, 1, "restored UIE keeps interrupting");
    ss_free(&ss);
    ss_init_write(&ss);
    ss_section_begin(&ss, "rtc", 1);
    ss_put(&ss, "index", 0x80);
    ss_section_end(&ss);
    ss_init_read(&in, ss.buf, ss.len);
    CHECK(rtc_load(&rtc, &in) != 0, "load refuses a truncated section: %s", ss_error(&in));
    ss_free(&ss);
    iobus_free(&bus);
    return test_summary();
}
