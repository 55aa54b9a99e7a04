/* Unit tests for the i8042 keyboard controller (src/hw/i8042.c) and port
 * 0x92 (src/hw/port92.c), driven through their ports: controller self-test
 * and interface tests, command byte, keyboard and mouse replies, IRQ1/IRQ12,
 * port enable/disable, A20 and reset callbacks, save/restore, and the
 * mouse's packets from i8042_mouse_event (movement, long moves split,
 * a full queue, buttons, 2:1 scaling and overflow, the IntelliMouse knock
 * and wheel, remote mode, reporting disabled). */
#include "test.h"
#include "hw/i8042.h"
#include "mem/iobus.h"
#include "hw/port92.h"
#include "util/savestate.h"

#define DISPLAY_TEST_LEFT 1

static struct iobus bus;
static struct i8042 kbc;
static struct port92 p92;
static int irq1, irq12, irq1_edges, irq12_edges;
static int a20_kbc = -1, a20_p92 = -1, resets_kbc, resets_p92;

static void irq_fn(void *o, int n, int level)
{
    int *l = n == 1 ? &irq1 : &irq12;
    if (level && !*l)
        (*(n == 1 ? &irq1_edges : &irq12_edges))++;
    *l = level;
}
static void kbc_a20(void *o, bool on) { a20_kbc = on; }
static void kbc_reset(void *o) { resets_kbc++; }
static void p92_a20(void *o, bool on) { a20_p92 = on; }
static void p92_reset(void *o) { resets_p92++; }

static void out(uint16_t port, uint8_t v) { iobus_out(&bus, port, v, 1); }
static uint8_t in(uint16_t port) { return (uint8_t)iobus_in(&bus, port, 1); }

/* Read the next output byte, as a driver does: wait for OBF. -1 if none. */
static int next(void)
{
    if (!(in(0x64) & 1))
        return -1;
    return in(0x60);
}

static int drain(void)
{
    int n = 0;
    while (next() >= 0)
        n++;
    return n;
}

/* ---- mouse packets (i8042_mouse_event) ---- */

static void aux(uint8_t v)
{
    out(0x64, 0xd4);
    out(0x60, v);
}

/* Read n bytes of mouse data into b; returns how many came. */
static int packet(uint8_t *b, int n)
{
    int i = 0;
    for (; i < n; i++) {
        int v = next();
        if (v < 0)
            break;
        b[i] = (uint8_t)v;
    }
    return i;
}

/* Sign-extended 9-bit X and Y of a packet. */
static int px(const uint8_t *p) { return p[1] - (p[0] & 0x10 ? 256 : 0); }
static int py(const uint8_t *p) { return p[2] - (p[0] & 0x20 ? 256 : 0); }

static void test_mouse(void)
{
    uint8_t p[8];
    i8042_reset(&kbc);
    out(0x64, 0xa8);
    out(0x64, 0x60); out(0x60, 0x47);   /* KBDINT|AUXINT|SYS|XLATE */
    aux(0xff); drain();

    i8042_mouse_event(&kbc, 5, 5, 0, DISPLAY_TEST_LEFT);
    CHECK_EQ(next(), -1, "mouse: reporting disabled (no 0xF4): no packet");
    aux(0xf4);
    CHECK_EQ(next(), 0xfa, "mouse: 0xF4 ACK");
    CHECK_EQ(next(), -1, "mouse: motion from before 0xF4 is not sent");

    i8042_mouse_event(&kbc, 10, -3, 0, 0);
    CHECK_EQ(packet(p, 4), 3, "mouse: a move gives a 3-byte packet");
    CHECK_EQ(p[0], 0x08, "move right, up: byte 0 has bit 3 only");
    CHECK_EQ(p[1], 10, "move: X count");
    CHECK_EQ(p[2], 3, "move: Y count (up is positive)");

    i8042_mouse_event(&kbc, -7, 4, 0, 0);
    packet(p, 3);
    CHECK_EQ(p[0], 0x38, "move left, down: X and Y sign bits");
    CHECK_EQ(px(p), -7, "move left: X -7");
    CHECK_EQ(py(p), -4, "move down: Y -4");

    i8042_mouse_event(&kbc, 0, 0, 0, 1 | 2);
    CHECK_EQ(packet(p, 4), 3, "buttons alone give a packet");
    CHECK_EQ(p[0], 0x0b, "left and right held: bits 0 and 1");
    i8042_mouse_event(&kbc, 0, 0, 0, 4);
    packet(p, 3);
    CHECK_EQ(p[0], 0x0c, "middle held: bit 2");
    i8042_mouse_event(&kbc, 0, 0, 0, 4);
    CHECK_EQ(next(), -1, "nothing changed: no packet");
    i8042_mouse_event(&kbc, 0, 0, 0, 0);
    drain();

    /* A long move goes out in packets of at most 255/-256 that add up. */
    i8042_mouse_event(&kbc, 600, -300, 0, 0);
    int sx = 0, sy = 0, packets = 0, ovf = 0, bad = 0;
    while (packet(p, 3) == 3) {
        sx += px(p); sy += py(p); packets++;
        ovf |= p[0] & 0xc0;
        bad |= !(p[0] & 0x08);
    }
    CHECK_EQ(packets, 3, "600 right: three packets");
    CHECK_EQ(sx, 600, "they add up to 600 right");
    CHECK_EQ(sy, 300, "and 300 up");
    CHECK_EQ(ovf, 0, "no overflow bits at 1:1 (the move is split)");
    CHECK_EQ(bad, 0, "every packet has bit 3 (in sync)");

    /* More than the queue holds: whole packets only, the rest follows. */
    for (int i = 0; i < 20; i++)
        i8042_mouse_event(&kbc, 1, 0, 0, 0);
    CHECK_EQ((kbc.mouse.count + kbc.obf) % 3, 0, "a full queue holds whole packets (one byte in the output buffer)");
    sx = 0; bad = 0; packets = 0;
    while (packet(p, 3) == 3) {
        sx += px(p); bad |= !(p[0] & 0x08); packets++;
    }
    CHECK_EQ(sx, 20, "motion that waited for room arrives (20 counts)");
    CHECK_EQ(bad, 0, "no torn packets after the queue was full");

    /* 2:1 scaling and overflow. */
    aux(0xe7); next();
    i8042_mouse_event(&kbc, 3, 0, 0, 0);
    packet(p, 3);
    CHECK_EQ(px(p), 3, "2:1 scaling: 3 counts report 3");
    i8042_mouse_event(&kbc, 10, -5, 0, 0);
    packet(p, 3);
    CHECK_EQ(px(p), 20, "2:1 scaling: 10 counts report 20");
    CHECK_EQ(py(p), 9, "2:1 scaling: 5 counts report 9");
    i8042_mouse_event(&kbc, 200, 0, 0, 0);
    packet(p, 3);
    CHECK_EQ(p[0] & 0xc0, 0x40, "2:1 scaling: 200 counts overflow X (bit 6)");
    CHECK_EQ(px(p), 255, "overflowed X is clamped to 255");
    aux(0xe6); next();

    /* No wheel byte until the knock; then ID 3 and 4-byte packets. */
    i8042_mouse_event(&kbc, 0, 0, 3, 0);
    CHECK_EQ(next(), -1, "wheel on a plain PS/2 mouse: nothing");
    aux(0xf3); next(); aux(200); next();
    aux(0xf3); next(); aux(100); next();
    aux(0xf3); next(); aux(60); next();
    aux(0xf2); next();
    CHECK_EQ(next(), 0x00, "wrong knock (200, 100, 60): still ID 0");
    aux(0xf3); next(); aux(200); next();
    aux(0xf3); next(); aux(100); next();
    aux(0xf3); next(); aux(80); next();
    aux(0xf2);
    CHECK_EQ(next(), 0xfa, "identify ACK");
    CHECK_EQ(next(), 0x03, "after 200, 100, 80: IntelliMouse ID 3");
    i8042_mouse_event(&kbc, 1, 0, 2, 0);
    CHECK_EQ(packet(p, 5), 4, "wheel mouse: 4-byte packets");
    CHECK_EQ(p[3], 2, "wheel towards the user: +2");
    i8042_mouse_event(&kbc, 0, 0, -1, 0);
    packet(p, 4);
    CHECK_EQ(p[3], 0xff, "wheel away: -1");
    i8042_mouse_event(&kbc, 0, 0, 20, 0);
    int sz = 0;
    while (packet(p, 4) == 4)
        sz += (int8_t)p[3];
    CHECK_EQ(sz, 20, "a big wheel turn is split into counts of at most 7");

    /* Remote mode: nothing streams; 0xEB reads the pending motion. */
    aux(0xf0); next();
    i8042_mouse_event(&kbc, 4, 0, 0, 1);
    CHECK_EQ(next(), -1, "remote mode: no packet without 0xEB");
    aux(0xeb);
    CHECK_EQ(packet(p, 6), 5, "0xEB: ACK and a 4-byte packet");
    CHECK_EQ(p[1], 0x09, "0xEB packet: left button");
    CHECK_EQ(p[2], 4, "0xEB packet: the motion");
    aux(0xea); next();

    /* Disabled again: motion dropped; reset: back to a plain mouse. */
    aux(0xf5); next();
    i8042_mouse_event(&kbc, 9, 9, 0, 0);
    CHECK_EQ(next(), -1, "0xF5: reporting off, nothing sent");
    aux(0xff); drain();
    aux(0xf2); next();
    CHECK_EQ(next(), 0x00, "reset: ID back to 0");
}

int main(void)
{
    struct irq_line l1 = { irq_fn, NULL, 1 }, l12 = { irq_fn, NULL, 12 };
    struct sysctl_ops kops = { kbc_a20, kbc_reset, NULL }, pops = { p92_a20, p92_reset, NULL };
    CHECK(iobus_init(&bus) == 0, "iobus_init");
    CHECK(i8042_init(&kbc, &bus, l1, l12, &kops) == 0, "i8042_init registers 0x60 and 0x64");
    CHECK(port92_init(&p92, &bus, &pops) == 0, "port92_init registers 0x92");

    CHECK_EQ(in(0x64) & 0x01, 0, "status: output buffer empty at reset");
    CHECK_EQ(in(0x64) & 0x10, 0x10, "status: keyboard not inhibited");

    /* Self-test and interface tests. */
    out(0x64, 0xaa);
    CHECK_EQ(in(0x64) & 0x0d, 0x0d, "after 0xAA: OBF, SYS and A2 (command) set");
    CHECK_EQ(next(), 0x55, "self-test 0xAA answers 0x55");
    out(0x64, 0xab);
    CHECK_EQ(next(), 0x00, "keyboard interface test answers 0x00");
    out(0x64, 0xa9);
    CHECK_EQ(next(), 0x00, "aux interface test answers 0x00");

    /* Command byte. */
    out(0x64, 0x20);
    CHECK_EQ(next(), 0x65, "command byte at reset: KBDINT|SYS|AUXDIS|XLATE");
    out(0x64, 0x60); out(0x60, 0x47);
    CHECK_EQ(in(0x64) & 0x08, 0, "data write clears A2");
    out(0x64, 0x20);
    CHECK_EQ(next(), 0x47, "command byte written with 0x60 reads back");
    out(0x64, 0x75); out(0x60, 0x99);
    out(0x64, 0x35);
    CHECK_EQ(next(), 0x99, "controller RAM byte 0x15 via 0x75/0x35");
    irq1_edges = 0;
    out(0x64, 0xaa);
    CHECK_EQ(irq1, 1, "controller reply raises IRQ1 when KBDINT is set");
    CHECK_EQ(next(), 0x55, "reply read");
    CHECK_EQ(irq1, 0, "IRQ1 low once the buffer is read");

    /* Keyboard replies. */
    out(0x60, 0xff);
    CHECK_EQ(next(), 0xfa, "keyboard reset: ACK 0xFA");
    CHECK_EQ(next(), 0xaa, "keyboard reset: BAT 0xAA");
    CHECK_EQ(next(), -1, "nothing more");
    CHECK_EQ(irq1_edges, 3, "each byte gives its own IRQ1 edge");
    out(0x60, 0xf2);
    CHECK_EQ(next(), 0xfa, "identify: ACK");
    CHECK_EQ(next(), 0xab, "identify: 0xAB");
    CHECK_EQ(next(), 0x41, "identify: 0x41 (translated 0x83)");
    out(0x64, 0x60); out(0x60, 0x07);   /* translation off */
    out(0x60, 0xf2);
    next(); next();
    CHECK_EQ(next(), 0x83, "identify untranslated: 0x83");
    /* Keys from the board (the monitor's sendkey) in set 2, untranslated. */
    i8042_kbd_key(&kbc, 0x1e, false, true);
    CHECK_EQ(next(), 0x1c, "key A down, set 2: 0x1C");
    i8042_kbd_key(&kbc, 0x1e, false, false);
    CHECK(next() == 0xf0 && next() == 0x1c, "key A up, set 2: F0 1C");
    i8042_kbd_key(&kbc, 0x53, true, true);
    CHECK(next() == 0xe0 && next() == 0x71, "Delete down, set 2: E0 71");
    i8042_kbd_key(&kbc, 0x5b, true, false);
    CHECK(next() == 0xe0 && next() == 0xf0 && next() == 0x1f, "left Windows up, set 2: E0 F0 1F");
    i8042_kbd_key(&kbc, 0x41, false, true);
    CHECK_EQ(next(), 0x83, "F7 down, set 2: 0x83");
    out(0x64, 0x60); out(0x60, 0x47);   /* translation on: set 1 codes */
    i8042_kbd_key(&kbc, 0x1e, false, true);
    i8042_kbd_key(&kbc, 0x1e, false, false);
    CHECK(next() == 0x1e && next() == 0x9e, "key A, translated: 1E 9E");
    i8042_kbd_key(&kbc, 0x53, true, false);
    CHECK(next() == 0xe0 && next() == 0xd3, "Delete up, translated: E0 D3");
    out(0x64, 0x60); out(0x60, 0x07);
    out(0x60, 0xed);
    CHECK_EQ(next(), 0xfa, "set LEDs: ACK command");
    out(0x60, 0x05);
    CHECK_EQ(next(), 0xfa, "set LEDs: ACK value");
    CHECK_EQ(kbc.kbd_leds, 5, "LEDs stored");
    out(0x60, 0xf0); next(); out(0x60, 0x00);
    CHECK_EQ(next(), 0xfa, "get scancode set: ACK");
    CHECK_EQ(next(), 0x02, "current set is 2");
    out(0x60, 0xf0); next(); out(0x60, 0x03); next();
    out(0x60, 0xf0); next(); out(0x60, 0x00); next();
    CHECK_EQ(next(), 0x03, "scancode set 3 selected");
    out(0x60, 0xee);
    CHECK_EQ(next(), 0xee, "echo");
    out(0x60, 0x12);
    CHECK_EQ(next(), 0xfe, "unknown keyboard command: resend 0xFE");

    /* Keyboard port disable holds keyboard bytes. */
    out(0x64, 0xad);
    out(0x60, 0xf4);
    CHECK_EQ(next(), -1, "keyboard disabled (0xAD): reply held");
    out(0x64, 0xae);
    CHECK_EQ(next(), 0xfa, "0xAE enables: reply delivered");

    /* Mouse through 0xD4. */
    out(0x64, 0xa8);                    /* enable aux */
    out(0x64, 0x60); out(0x60, 0x07);   /* KBDINT|AUXINT|SYS */
    irq12_edges = 0;
    out(0x64, 0xd4); out(0x60, 0xff);
    CHECK_EQ(in(0x64) & 0x21, 0x21, "mouse reply: OBF and AUX_OBF");
    CHECK_EQ(irq12, 1, "mouse reply raises IRQ12");
    CHECK_EQ(irq1, 0, "not IRQ1");
    CHECK_EQ(next(), 0xfa, "mouse reset: ACK");
    CHECK_EQ(next(), 0xaa, "mouse reset: BAT 0xAA");
    CHECK_EQ(next(), 0x00, "mouse reset: ID 0x00");
    CHECK_EQ(irq12_edges, 3, "three IRQ12 edges");
    out(0x64, 0xd4); out(0x60, 0xf2);
    next();
    CHECK_EQ(next(), 0x00, "mouse identify: 0x00");
    out(0x64, 0xd4); out(0x60, 0xf3); next();
    out(0x64, 0xd4); out(0x60, 40); next();
    out(0x64, 0xd4); out(0x60, 0xe9);
    CHECK_EQ(next(), 0xfa, "status request ACK");
    CHECK_EQ(next(), 0x00, "status: stream, disabled, 1:1");
    CHECK_EQ(next(), 0x02, "status: resolution 2");
    CHECK_EQ(next(), 40, "status: sample rate set to 40");
    out(0x64, 0xd3); out(0x60, 0x5a);
    CHECK_EQ(in(0x64) & 0x20, 0x20, "0xD3 loop-back appears as mouse data");
    CHECK_EQ(next(), 0x5a, "0xD3 byte");
    out(0x64, 0xd2); out(0x60, 0xa5);
    CHECK_EQ(in(0x64) & 0x20, 0x00, "0xD2 loop-back appears as keyboard data");
    CHECK_EQ(next(), 0xa5, "0xD2 byte");
    out(0x64, 0xa7);
    out(0x64, 0xd4); out(0x60, 0xf4);
    CHECK_EQ(next(), -1, "aux disabled (0xA7): mouse reply held");
    out(0x64, 0x20);
    CHECK_EQ(next(), 0x27, "0xA7 set AUXDIS in the command byte");
    out(0x64, 0xa8);
    CHECK_EQ(next(), 0xfa, "0xA8: held mouse reply delivered");

    /* A20 and reset through the output port. */
    out(0x64, 0xd0);
    CHECK_EQ(next() & 0x03, 0x03, "output port: reset inactive, A20 on");
    out(0x64, 0xd1); out(0x60, 0xcd);   /* A20 off */
    CHECK_EQ(a20_kbc, 0, "0xD1 with bit 1 clear: A20 callback off");
    CHECK(!i8042_a20(&kbc), "i8042_a20 reports off");
    out(0x64, 0xdf);
    CHECK_EQ(a20_kbc, 1, "0xDF: A20 on");
    out(0x64, 0xdd);
    CHECK_EQ(a20_kbc, 0, "0xDD: A20 off");
    out(0x64, 0xd1); out(0x60, 0xcf);
    CHECK_EQ(a20_kbc, 1, "0xD1 with bit 1 set: A20 on");
    CHECK_EQ(resets_kbc, 0, "no reset so far");
    out(0x64, 0xfe);
    CHECK_EQ(resets_kbc, 1, "0xFE pulses reset");
    out(0x64, 0xff);
    CHECK_EQ(resets_kbc, 1, "0xFF pulses nothing");
    out(0x64, 0xd1); out(0x60, 0xce);
    CHECK_EQ(resets_kbc, 2, "output port write with bit 0 clear resets");
    out(0x64, 0xd0);
    CHECK_EQ(next() & 0x01, 0x01, "reset bit reads 1 after the pulse");

    /* Port 0x92. */
    CHECK_EQ(in(0x92), 0x00, "port 0x92 at reset");
    out(0x92, 0x02);
    CHECK_EQ(a20_p92, 1, "port 0x92 bit 1: fast A20 on");
    CHECK_EQ(in(0x92), 0x02, "port 0x92 reads back");
    out(0x92, 0x03);
    CHECK_EQ(resets_p92, 1, "port 0x92 bit 0: fast reset");
    CHECK_EQ(in(0x92), 0x02, "reset bit reads back 0");
    out(0x92, 0x00);
    CHECK_EQ(a20_p92, 0, "port 0x92 A20 off");

    /* Save, restore, compare. */
    out(0x64, 0x60); out(0x60, 0x45);
    out(0x60, 0xf2);                    /* three bytes queued */
    next();
    struct savestate ss;
    ss_init_write(&ss);
    i8042_save(&kbc, &ss);
    port92_save(&p92, &ss);
    CHECK(ss_error(&ss) == NULL, "save ok");
    drain();
    out(0x64, 0x60); out(0x60, 0x00);
    out(0x92, 0x02);
    struct savestate rd;
    ss_init_read(&rd, ss.buf, ss.len);
    CHECK_EQ(i8042_load(&kbc, &rd), 0, "i8042 load ok");
    CHECK_EQ(port92_load(&p92, &rd), 0, "port92 load ok");
    CHECK_EQ(next(), 0xab, "restored output buffer");
    CHECK_EQ(next(), 0x41, "restored queue");
    out(0x64, 0x20);
    CHECK_EQ(next(), 0x45, "restored command byte");
    CHECK_EQ(in(0x92), 0x00, "restored port 0x92");
    ss_free(&ss);
    ss_init_write(&ss);
    i8042_save(&kbc, &ss);
    for (size_t i = 0; i + 8 < ss.len; i++)
        if (memcmp(ss.buf + i, "kbd_set", 8) == 0)
            ss.buf[i + 8 + 4] = 7;
    ss_init_read(&rd, ss.buf, ss.len);
    CHECK(i8042_load(&kbc, &rd) != 0 && strstr(ss_error(&rd), "kbd_set"),
          "load names a bad field: %s", ss_error(&rd));
    ss_free(&ss);
    test_mouse();
    iobus_free(&bus);
    return test_summary();
}
