/* Unit tests for the 8254 PIT and port 0x61 (src/hw/pit.c), driven through
 * the ports and the fake clock: counting, each mode's output waveform,
 * gates, counter latch, read-back, access modes, BCD, the Linux channel 2
 * calibration sequence, IRQ0 edges, save/restore. */
#include "test.h"
#include "mem/iobus.h"
#include "hw/pit.h"
#include "util/savestate.h"

static struct iobus bus;
static struct clock clk;
static struct pit pit;
static int irq_level, irq_edges;

static void irq_set_fn_(void *o, int n, int level)
{
    if (level && !irq_level)
        irq_edges++;
    irq_level = level;
}

static void out(uint16_t port, uint8_t v) { iobus_out(&bus, port, v, 1); }
static uint8_t in(uint16_t port) { return (uint8_t)iobus_in(&bus, port, 1); }

/* Virtual ns from counting start at which tick t has been reached. */
static uint64_t tick_ns(uint64_t t) { return (t * NS_PER_SEC + PIT_FREQ - 1) / PIT_FREQ; }

static uint64_t t0;
static void mark(void) { t0 = clock_now(&clk); }
/* Advance the fake clock to `t` ticks after mark(). */
static void to_tick(uint64_t t)
{
    uint64_t target = t0 + tick_ns(t);
    uint64_t now = clock_now(&clk);
    if (target > now)
        clock_advance(&clk, target - now);
}

static unsigned latch_read(int ch)
{
    out(0x43, (uint8_t)(ch << 6));      /* counter latch */
    unsigned lo = in(0x40 + ch);
    return lo | (unsigned)in(0x40 + ch) << 8;
}

int main(void)
{
    struct irq_line irq0 = { irq_set_fn_, NULL, 0 };
    clock_init_fake(&clk);
    clock_advance(&clk, 12345);         /* start away from zero */
    CHECK(iobus_init(&bus) == 0, "iobus_init");
    CHECK(pit_init(&pit, &clk, &bus, irq0) == 0, "pit_init registers 0x40-0x43 and 0x61");

    /* Mode 0: counting and the terminal-count edge. */
    out(0x43, 0x30);                    /* ch0, LSB then MSB, mode 0 */
    CHECK_EQ(irq_level, 0, "mode 0: OUT low after the control word");
    out(0x40, 0xe8); out(0x40, 0x03);   /* 1000 */
    mark();
    to_tick(1);
    CHECK_EQ(latch_read(0), 999, "mode 0: one tick later the count is 999");
    to_tick(100);
    CHECK_EQ(latch_read(0), 900, "mode 0: 100 ticks later it is 900");
    to_tick(999);
    CHECK_EQ(irq_level, 0, "mode 0: OUT still low at count 1");
    irq_edges = 0;
    to_tick(1000);
    CHECK_EQ(irq_level, 1, "mode 0: OUT high at terminal count");
    CHECK_EQ(irq_edges, 1, "mode 0: one IRQ0 edge");
    to_tick(1010);
    CHECK_EQ(latch_read(0), 65526, "mode 0: counter wraps through 0xffff and keeps counting");
    to_tick(70000);
    CHECK_EQ(irq_edges, 1, "mode 0: OUT stays high, no further edges");

    /* Word reads without latch alternate low/high. */
    out(0x43, 0x30); out(0x40, 0x34); out(0x40, 0x12);
    mark();
    unsigned lo = in(0x40), hi = in(0x40);
    CHECK_EQ(lo | hi << 8, 0x1234, "unlatched word read: low then high byte");

    /* Latch holds the value while time passes; a second latch is ignored. */
    out(0x43, 0x00);
    to_tick(0x200);
    out(0x43, 0x00);
    lo = in(0x40); hi = in(0x40);
    CHECK_EQ(lo | hi << 8, 0x1234, "latched value survives time and a second latch command");
    CHECK_EQ(latch_read(0), 0x1234 - 0x200, "a new latch after reading sees the current count");

    /* Mode 2 (rate generator): one IRQ0 edge per period. */
    out(0x43, 0x34); out(0x40, 0xa9); out(0x40, 0x04);  /* 1193: ~1 kHz */
    mark();
    irq_edges = 0;
    CHECK_EQ(irq_level, 1, "mode 2: OUT high after loading");
    to_tick(1191);
    CHECK_EQ(irq_edges, 0, "mode 2: no edge inside the first period");
    CHECK_EQ(pit_get_out(&pit, 0), 1, "mode 2: OUT high at count 2");
    to_tick(1192);
    CHECK_EQ(pit_get_out(&pit, 0), 0, "mode 2: OUT low for the tick at count 1");
    CHECK_EQ(latch_read(0), 1, "mode 2: count is 1 then");
    to_tick(1193);
    CHECK_EQ(pit_get_out(&pit, 0), 1, "mode 2: OUT high again on reload");
    CHECK_EQ(latch_read(0), 1193, "mode 2: reloaded to 1193");
    CHECK_EQ(irq_edges, 1, "mode 2: one rising edge per period");
    to_tick(1193 * 10);
    CHECK_EQ(irq_edges, 10, "mode 2: ten periods, ten edges");
    /* Mode 6 is mode 2. */
    out(0x43, 0xe2);                    /* read-back status ch0 */
    CHECK_EQ(in(0x40), 0xb4, "read-back status: OUT=1, count loaded, LSB/MSB, mode 2, binary");

    /* Mode 3 (square wave) on IRQ0. */
    irq_edges = 0;
    out(0x43, 0x36); out(0x40, 100); out(0x40, 0);
    mark();
    to_tick(49);
    CHECK_EQ(irq_level, 1, "mode 3: OUT high in the first half");
    CHECK_EQ(latch_read(0), 2, "mode 3: counts by two (100-2*49)");
    to_tick(50);
    CHECK_EQ(irq_level, 0, "mode 3: OUT low in the second half");
    to_tick(99);
    CHECK_EQ(irq_level, 0, "mode 3: still low at tick 99");
    to_tick(100);
    CHECK_EQ(irq_level, 1, "mode 3: high again after a full period");
    CHECK_EQ(irq_edges, 1, "mode 3: one edge per period");
    to_tick(1000);
    CHECK_EQ(irq_edges, 10, "mode 3: ten edges in ten periods");
    /* Odd count: high (N+1)/2, low (N-1)/2. */
    out(0x43, 0x36); out(0x40, 5); out(0x40, 0);
    mark();
    to_tick(2);
    CHECK_EQ(pit_get_out(&pit, 0), 1, "mode 3 odd: high for 3 ticks (tick 2)");
    to_tick(3);
    CHECK_EQ(pit_get_out(&pit, 0), 0, "mode 3 odd: low from tick 3");
    to_tick(5);
    CHECK_EQ(pit_get_out(&pit, 0), 1, "mode 3 odd: high again at tick 5");

    /* Mode 4 (software strobe): one-tick low pulse at terminal count. */
    irq_edges = 0;
    out(0x43, 0x38); out(0x40, 50); out(0x40, 0);
    mark();
    CHECK_EQ(irq_level, 1, "mode 4: OUT high after load");
    to_tick(49);
    CHECK_EQ(pit_get_out(&pit, 0), 1, "mode 4: high before terminal count");
    to_tick(50);
    CHECK_EQ(pit_get_out(&pit, 0), 0, "mode 4: low at terminal count");
    CHECK_EQ(irq_level, 0, "mode 4: IRQ0 line low during the strobe");
    to_tick(51);
    CHECK_EQ(irq_level, 1, "mode 4: high one tick later");
    CHECK_EQ(irq_edges, 1, "mode 4: one rising edge");
    to_tick(200000);
    CHECK_EQ(irq_edges, 1, "mode 4: strobes only once");

    /* Channel 2 through port 0x61: Linux's PIT calibration sequence. */
    out(0x61, (in(0x61) & ~0x02) | 0x01);   /* gate high, speaker off */
    out(0x43, 0xb0);                    /* ch2, LSB/MSB, mode 0 */
    out(0x42, 0xff); out(0x42, 0xff);
    mark();
    CHECK_EQ(in(0x61) & 0x20, 0, "calibration: OUT2 low while counting");
    CHECK_EQ(in(0x61) & 0x01, 0x01, "port 0x61 bit 0 reads back the gate");
    to_tick(0x100);
    CHECK_EQ(in(0x42), 0xff, "calibration: unlatched read low byte");
    CHECK_EQ(in(0x42), 0xfe, "calibration: MSB 0xfe after 256 ticks");
    to_tick(0xffff);
    CHECK_EQ(in(0x61) & 0x20, 0x20, "calibration: OUT2 high at terminal count");
    /* Gate low pauses mode 0. */
    out(0x43, 0xb0); out(0x42, 100); out(0x42, 0);
    mark();
    to_tick(10);
    out(0x61, 0x00);
    to_tick(500);
    CHECK_EQ(latch_read(2), 90, "mode 0: gate low pauses counting");
    out(0x61, 0x01);
    mark();
    to_tick(10);
    CHECK_EQ(latch_read(2), 80, "mode 0: gate high resumes");

    /* Mode 1 (retriggerable one-shot) on channel 2. */
    out(0x61, 0x00);
    out(0x43, 0xb2); out(0x42, 100); out(0x42, 0);
    CHECK_EQ(pit_get_out(&pit, 2), 1, "mode 1: OUT high before trigger");
    out(0x43, 0xe8);                    /* read-back status ch2 */
    CHECK_EQ(in(0x42) & 0x40, 0x40, "mode 1: NULL COUNT until the trigger");
    out(0x61, 0x01);
    mark();
    CHECK_EQ(pit_get_out(&pit, 2), 0, "mode 1: OUT low after gate rising edge");
    to_tick(60);
    out(0x61, 0x00); out(0x61, 0x01);   /* retrigger */
    mark();
    to_tick(99);
    CHECK_EQ(pit_get_out(&pit, 2), 0, "mode 1: retrigger restarts the one-shot");
    to_tick(100);
    CHECK_EQ(pit_get_out(&pit, 2), 1, "mode 1: OUT high after count ticks");
    CHECK_EQ(in(0x61) & 0x20, 0x20, "mode 1: OUT2 on port 0x61");

    /* Mode 5 (hardware strobe). */
    out(0x61, 0x00);
    out(0x43, 0xba); out(0x42, 20); out(0x42, 0);
    out(0x61, 0x01);
    mark();
    to_tick(19);
    CHECK_EQ(pit_get_out(&pit, 2), 1, "mode 5: high before terminal count");
    to_tick(20);
    CHECK_EQ(pit_get_out(&pit, 2), 0, "mode 5: strobe low at terminal count");
    to_tick(21);
    CHECK_EQ(pit_get_out(&pit, 2), 1, "mode 5: high after the strobe");

    /* Mode 2 gate low forces OUT high and stops; rising edge reloads. */
    out(0x43, 0xb4); out(0x42, 10); out(0x42, 0);
    mark();
    to_tick(9);
    CHECK_EQ(pit_get_out(&pit, 2), 0, "mode 2 ch2: low at count 1");
    out(0x61, 0x00);
    CHECK_EQ(pit_get_out(&pit, 2), 1, "mode 2: gate low forces OUT high");
    out(0x61, 0x01);
    mark();
    to_tick(3);
    CHECK_EQ(latch_read(2), 7, "mode 2: gate rising edge reloads the count");

    /* LSB-only and MSB-only access. */
    out(0x43, 0x90); out(0x42, 0x40);   /* ch2, LSB only, mode 0 */
    mark();
    to_tick(0x10);
    out(0x43, 0x80);
    CHECK_EQ(in(0x42), 0x30, "LSB-only access: one byte written and read");
    out(0x43, 0xa0); out(0x42, 0x02);   /* MSB only: 0x200 */
    mark();
    to_tick(0x100);
    CHECK_EQ(in(0x42), 0x01, "MSB-only access: reads the high byte");

    /* BCD counting. */
    out(0x43, 0xb1); out(0x42, 0x00); out(0x42, 0x10);    /* 1000 BCD */
    mark();
    to_tick(1);
    CHECK_EQ(latch_read(2), 0x0999, "BCD: 1000 - 1 reads 0x0999");
    to_tick(1001);
    CHECK_EQ(latch_read(2), 0x9999, "BCD: wraps to 9999");
    out(0x43, 0xb1); out(0x42, 0x00); out(0x42, 0x00);    /* 0 = 10000 BCD */
    mark();
    to_tick(1);
    CHECK_EQ(latch_read(2), 0x9999, "BCD: count 0 means 10000");

    /* Read-back: count and status of two channels at once. */
    out(0x43, 0x34); out(0x40, 0x00); out(0x40, 0x10);    /* ch0 mode 2, 0x1000 */
    out(0x43, 0xb0); out(0x42, 0x00); out(0x42, 0x20);    /* ch2 mode 0, 0x2000 */
    mark();
    to_tick(0x10);
    out(0x43, 0xc2 | 0x08);             /* latch count+status of ch0 and ch2 */
    to_tick(0x80);
    CHECK_EQ(in(0x40), 0xb4, "read-back ch0: status first");
    lo = in(0x40); hi = in(0x40);
    CHECK_EQ(lo | hi << 8, 0x1000 - 0x10, "read-back ch0: then the latched count");
    CHECK_EQ(in(0x42), 0x30, "read-back ch2: status mode 0, OUT low");
    lo = in(0x42); hi = in(0x42);
    CHECK_EQ(lo | hi << 8, 0x2000 - 0x10, "read-back ch2: latched count");
    out(0x43, 0xd2);                    /* count only, ch0 */
    CHECK_EQ(latch_read(0) , 0x1000 - 0x80, "read-back count-only latch of ch0");
    out(0x43, 0x30);
    out(0x43, 0xe2);
    CHECK_EQ(in(0x40), 0x70, "status after control word: NULL COUNT, OUT low (mode 0)");

    /* Port 0x61 refresh toggle. */
    uint8_t r1 = in(0x61) & 0x10;
    clock_advance(&clk, 15085);
    uint8_t r2 = in(0x61) & 0x10;
    CHECK(r1 != r2, "port 0x61 bit 4 toggles every 15.085 us");

    /* Save, restore, compare. */
    out(0x43, 0x34); out(0x40, 0xa9); out(0x40, 0x04);
    mark();
    to_tick(500);
    struct savestate ss;
    ss_init_write(&ss);
    pit_save(&pit, &ss);
    CHECK(ss_error(&ss) == NULL, "save ok");
    unsigned before = latch_read(0);
    out(0x43, 0x30); out(0x40, 5); out(0x40, 0);        /* scramble */
    struct savestate rd;
    ss_init_read(&rd, ss.buf, ss.len);
    CHECK_EQ(pit_load(&pit, &rd), 0, "load ok");
    CHECK_EQ(latch_read(0), before, "restored count equals the saved one");
    CHECK_EQ(pit.ch[0].mode, 2, "restored mode");
    irq_edges = 0;
    to_tick(1193 * 3);
    CHECK_EQ(irq_edges, 3, "restored channel keeps generating IRQ0 edges");
    ss_free(&ss);
    ss_init_write(&ss);
    ss_section_begin(&ss, "pit", 99);
    ss_section_end(&ss);
    ss_init_read(&rd, ss.buf, ss.len);
    CHECK(pit_load(&pit, &rd) != 0 && strstr(ss_error(&rd), "version 99"),
          "load refuses an unknown version: %s", ss_error(&rd));
    ss_free(&ss);
    iobus_free(&bus);
    return test_summary();
}
