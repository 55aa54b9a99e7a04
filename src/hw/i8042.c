/* 8042 keyboard controller with keyboard and PS/2 mouse (IBM PC/AT and PS/2
 * technical references, "Keyboard/auxiliary device controller"; the
 * commands Linux's drivers/input/serio/i8042.c and atkbd/psmouse use).
 *
 * Controller: command byte (CTR) and its 32-byte RAM (0x20-0x3F read,
 * 0x60-0x7F write), self-test 0xAA -> 0x55, interface tests 0xA9/0xAB ->
 * 0x00, enable/disable of each port (0xA7/0xA8/0xAD/0xAE, gating its
 * output), output port read/write (0xD0/0xD1: bit 1 A20, bit 0 clear =
 * reset), 0xD2/0xD3 loop a byte back as keyboard/mouse data, 0xD4 sends a
 * byte to the mouse, 0xDD/0xDF A20 off/on, 0xF0-0xFF pulse output bits
 * (bit 0 = reset, so 0xFE reboots), 0xC0 input port, 0xE0 test inputs.
 * One output buffer; controller replies come first, then keyboard bytes,
 * then mouse bytes; IRQ1/IRQ12 are high while the buffer holds a byte of
 * that source and the CTR enables its interrupt.
 *
 * Mouse input (i8042_mouse_event): host motion is added up and sent as
 * 3-byte packets (buttons, sign and overflow bits, 9-bit X and Y, Y up) in
 * stream mode once the guest enabled reporting (0xF4); 4-byte packets with
 * the wheel after the IntelliMouse knock (sample rates 200, 100, 80, then
 * the mouse identifies as 0x03). Motion larger than one packet holds goes
 * out in several packets, as QEMU does, and waits while the queue lacks
 * room for a whole packet, so a slow guest never sees a torn packet. 2:1
 * scaling (0xE7) follows the PS/2 table (1,1,3,6,9 then double); the
 * overflow bits are set when the scaled count no longer fits. The
 * resolution (0xE8) is stored but not applied: a host pixel is one count
 * at any resolution (QEMU does the same; the guest scales the pointer).
 *
 * Left out: scancode set 2 -> 1 translation of key input (CTR bit 6; only
 * the identify reply is translated) TODO(i8042): translation table for
 * i8042_kbd_input; keyboard/mouse timing, parity and timeout errors; the
 * 5-button IntelliMouse Explorer (id 0x04). */
#include "hw/i8042.h"

#include <stdio.h>
#include <string.h>
#include "mem/iobus.h"
#include "util/log.h"
#include "util/savestate.h"

#define ST_OBF     0x01
#define ST_SYS     0x04
#define ST_A2      0x08             /* last write was to the command port */
#define ST_INH     0x10             /* keyboard not inhibited */
#define ST_AUX_OBF 0x20

#define CTR_KBDINT 0x01
#define CTR_AUXINT 0x02
#define CTR_SYS    0x04
#define CTR_KBDDIS 0x10
#define CTR_AUXDIS 0x20
#define CTR_XLATE  0x40

#define OUT_RESET  0x01             /* 1 = CPU running (reset not asserted) */
#define OUT_A20    0x02
#define OUT_OBF    0x10
#define OUT_AUXOBF 0x20

static void q_clear(struct i8042_queue *q) { q->head = q->count = 0; }

static void q_push(struct i8042_queue *q, uint8_t v, bool aux)
{
    if (q->count >= I8042_QUEUE)
        return;                         /* the device's buffer overflows: drop */
    unsigned i = (q->head + q->count) % I8042_QUEUE;
    q->d[i] = v;
    q->aux[i] = aux;
    q->count++;
}

static uint8_t q_pop(struct i8042_queue *q, bool *aux)
{
    uint8_t v = q->d[q->head];
    if (aux)
        *aux = q->aux[q->head];
    q->head = (uint8_t)((q->head + 1) % I8042_QUEUE);
    q->count--;
    return v;
}

static void update_irq(struct i8042 *s)
{
    uint8_t ctr = s->ram[0];
    int l1 = s->obf && !s->out_aux && (ctr & CTR_KBDINT);
    int l12 = s->obf && s->out_aux && (ctr & CTR_AUXINT);
    if (l1 != s->irq1_level) {
        s->irq1_level = l1;
        irq_set(&s->irq1, l1);
    }
    if (l12 != s->irq12_level) {
        s->irq12_level = l12;
        irq_set(&s->irq12, l12);
    }
}

static void mouse_flush(struct i8042 *s);

/* Fill the output buffer from the queues when it is empty. */
static void kick(struct i8042 *s)
{
    mouse_flush(s);             /* motion that waited for queue room */
    if (!s->obf) {
        bool aux = false;
        if (s->ctl.count) {
            s->out = q_pop(&s->ctl, &aux);
            s->out_aux = aux;
            s->obf = true;
        } else if (s->kbd.count && !(s->ram[0] & CTR_KBDDIS)) {
            s->out = q_pop(&s->kbd, NULL);
            s->out_aux = false;
            s->obf = true;
        } else if (s->mouse.count && !(s->ram[0] & CTR_AUXDIS)) {
            s->out = q_pop(&s->mouse, NULL);
            s->out_aux = true;
            s->obf = true;
        }
    }
    update_irq(s);
}

static void reply(struct i8042 *s, uint8_t v) { q_push(&s->ctl, v, false); }
static void kbd_reply(struct i8042 *s, uint8_t v) { q_push(&s->kbd, v, false); }
static void aux_reply(struct i8042 *s, uint8_t v) { q_push(&s->mouse, v, true); }

static void set_outport(struct i8042 *s, uint8_t v)
{
    uint8_t old = s->outport;
    s->outport = v;
    if ((old ^ v) & OUT_A20)
        sysctl_set_a20(&s->ops, (v & OUT_A20) != 0);
    if (!(v & OUT_RESET)) {
        s->outport |= OUT_RESET;        /* the pulse ends; the CPU restarts */
        sysctl_reset(&s->ops);
    }
}

bool i8042_a20(const struct i8042 *s)
{
    return (s->outport & OUT_A20) != 0;
}

/* ---- keyboard ---- */

static void kbd_defaults(struct i8042 *s)
{
    s->kbd_set = 2;
    s->kbd_typematic = 0x2b;
    s->kbd_enabled = true;
}

static void kbd_command(struct i8042 *s, uint8_t v)
{
    bool xlate = s->ram[0] & CTR_XLATE;
    if (s->kbd_pending) {
        uint8_t cmd = s->kbd_pending;
        s->kbd_pending = 0;
        switch (cmd) {
        case 0xed:
            s->kbd_leds = v & 7;
            kbd_reply(s, 0xfa);
            return;
        case 0xf3:
            s->kbd_typematic = v & 0x7f;
            kbd_reply(s, 0xfa);
            return;
        case 0xf0:
            if (v == 0) {
                static const uint8_t xlated[4] = { 0, 0x43, 0x41, 0x3f };
                kbd_reply(s, 0xfa);
                kbd_reply(s, xlate ? xlated[s->kbd_set] : s->kbd_set);
            } else if (v <= 3) {
                s->kbd_set = v;
                kbd_reply(s, 0xfa);
            } else {
                kbd_reply(s, 0xfe);
            }
            return;
        }
    }
    switch (v) {
    case 0xff:                          /* reset: ACK, then BAT passed */
        q_clear(&s->kbd);
        kbd_defaults(s);
        s->kbd_leds = 0;
        kbd_reply(s, 0xfa);
        kbd_reply(s, 0xaa);
        break;
    case 0xf2:                          /* identify: MF2 keyboard */
        kbd_reply(s, 0xfa);
        kbd_reply(s, 0xab);
        kbd_reply(s, xlate ? 0x41 : 0x83);
        break;
    case 0xee:
        kbd_reply(s, 0xee);             /* echo */
        break;
    case 0xed: case 0xf0: case 0xf3:
        s->kbd_pending = v;
        kbd_reply(s, 0xfa);
        break;
    case 0xf4:
        s->kbd_enabled = true;
        kbd_reply(s, 0xfa);
        break;
    case 0xf5:
        kbd_defaults(s);
        s->kbd_enabled = false;
        kbd_reply(s, 0xfa);
        break;
    case 0xf6:
        kbd_defaults(s);
        kbd_reply(s, 0xfa);
        break;
    case 0xf7: case 0xf8: case 0xf9: case 0xfa: case 0xfb: case 0xfc: case 0xfd:
    case 0xfe:
        kbd_reply(s, 0xfa);
        break;
    default:
        kbd_reply(s, 0xfe);             /* resend: unknown command */
        break;
    }
}

/* ---- mouse ---- */

static void aux_defaults(struct i8042 *s)
{
    s->aux_rate = 100;
    s->aux_res = 2;
    s->aux_enabled = false;
    s->aux_remote = false;
    s->aux_scale21 = false;
    s->aux_dx = s->aux_dy = s->aux_dz = 0;
    s->aux_sent_buttons = s->aux_buttons;
}

static int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

/* 2:1 scaling of one count (PS/2 mouse technical reference). */
static int scale21(int v)
{
    static const int small[6] = { 0, 1, 1, 3, 6, 9 };
    int a = v < 0 ? -v : v;
    a = a < 6 ? small[a] : 2 * a;
    return v < 0 ? -a : a;
}

static size_t packet_size(const struct i8042 *s) { return s->aux_type == 3 ? 4 : 3; }

/* Take one packet's worth of the pending motion into p; returns its size. */
static size_t mouse_packet(struct i8042 *s, uint8_t *p, bool scaling)
{
    int dx = clamp(s->aux_dx, -256, 255), dy = clamp(s->aux_dy, -256, 255);
    int dz = clamp(s->aux_dz, -8, 7);
    s->aux_dx -= dx;
    s->aux_dy -= dy;
    s->aux_dz = s->aux_type == 3 ? s->aux_dz - dz : 0;
    if (scaling) {
        dx = scale21(dx);
        dy = scale21(dy);
    }
    uint8_t b0 = (uint8_t)(0x08 | (s->aux_buttons & 7));
    if (dx < -256 || dx > 255)
        b0 |= 0x40;
    if (dy < -256 || dy > 255)
        b0 |= 0x80;
    dx = clamp(dx, -256, 255);
    dy = clamp(dy, -256, 255);
    if (dx < 0)
        b0 |= 0x10;
    if (dy < 0)
        b0 |= 0x20;
    p[0] = b0;
    p[1] = (uint8_t)dx;
    p[2] = (uint8_t)dy;
    p[3] = (uint8_t)(dz & 0xff);
    s->aux_sent_buttons = s->aux_buttons;
    return packet_size(s);
}

/* Stream mode: send what is pending while whole packets fit. */
static void mouse_flush(struct i8042 *s)
{
    if (!s->aux_enabled || s->aux_remote || s->aux_wrap)
        return;
    while ((s->aux_dx || s->aux_dy || s->aux_dz || s->aux_buttons != s->aux_sent_buttons) &&
           (size_t)(I8042_QUEUE - s->mouse.count) >= packet_size(s)) {
        uint8_t p[4];
        size_t n = mouse_packet(s, p, s->aux_scale21);
        for (size_t i = 0; i < n; i++)
            aux_reply(s, p[i]);
    }
}

void i8042_mouse_event(struct i8042 *s, int dx, int dy, int dz, unsigned buttons)
{
    s->aux_buttons = (uint8_t)(buttons & 7);
    if (!s->aux_enabled && !s->aux_remote) {
        s->aux_sent_buttons = s->aux_buttons;   /* reporting off: nothing is kept */
        return;
    }
    /* Keep the sums bounded: a guest that never reads loses old motion. */
    s->aux_dx = clamp(s->aux_dx + clamp(dx, -65536, 65536), -65536, 65536);
    s->aux_dy = clamp(s->aux_dy - clamp(dy, -65536, 65536), -65536, 65536);    /* PS/2: Y up */
    s->aux_dz = s->aux_type == 3 ? clamp(s->aux_dz + clamp(dz, -256, 256), -256, 256) : 0;
    kick(s);
}

/* A sample rate was set: the IntelliMouse knock is 200, 100, 80 in a row. */
static void aux_rate_set(struct i8042 *s, uint8_t rate)
{
    s->aux_rate = rate;
    s->aux_knock[0] = s->aux_knock[1];
    s->aux_knock[1] = s->aux_knock[2];
    s->aux_knock[2] = rate;
    if (s->aux_knock[0] == 200 && s->aux_knock[1] == 100 && s->aux_knock[2] == 80)
        s->aux_type = 3;
}

static void aux_command(struct i8042 *s, uint8_t v)
{
    if (s->aux_wrap && v != 0xec && v != 0xff) {
        aux_reply(s, v);                /* wrap mode echoes */
        return;
    }
    if (s->aux_pending) {
        if (s->aux_pending == 0xf3)
            aux_rate_set(s, v);
        else
            s->aux_res = v & 3;
        s->aux_pending = 0;
        aux_reply(s, 0xfa);
        return;
    }
    switch (v) {
    case 0xff:
        q_clear(&s->mouse);
        aux_defaults(s);
        s->aux_type = 0;
        memset(s->aux_knock, 0, sizeof s->aux_knock);
        s->aux_wrap = false;
        aux_reply(s, 0xfa);
        aux_reply(s, 0xaa);
        aux_reply(s, 0x00);
        break;
    case 0xf2:
        aux_reply(s, 0xfa);
        aux_reply(s, s->aux_type);      /* 0 standard PS/2, 3 wheel */
        break;
    case 0xf3: case 0xe8:
        s->aux_pending = v;
        aux_reply(s, 0xfa);
        break;
    case 0xe6: s->aux_scale21 = false; aux_reply(s, 0xfa); break;
    case 0xe7: s->aux_scale21 = true; aux_reply(s, 0xfa); break;
    case 0xe9:
        aux_reply(s, 0xfa);
        aux_reply(s, (uint8_t)(s->aux_remote << 6 | s->aux_enabled << 5 | s->aux_scale21 << 4));
        aux_reply(s, s->aux_res);
        aux_reply(s, s->aux_rate);
        break;
    case 0xea: s->aux_remote = false; aux_reply(s, 0xfa); break;
    case 0xf0: s->aux_remote = true; aux_reply(s, 0xfa); break;
    case 0xee: s->aux_wrap = true; aux_reply(s, 0xfa); break;
    case 0xec: s->aux_wrap = false; aux_reply(s, 0xfa); break;
    case 0xeb: {                        /* read data: one packet of what is pending */
        uint8_t p[4];
        size_t n = mouse_packet(s, p, false);
        aux_reply(s, 0xfa);
        for (size_t i = 0; i < n; i++)
            aux_reply(s, p[i]);
        break;
    }
    case 0xf4: case 0xf5:               /* enable/disable reporting; old motion is void */
        s->aux_enabled = v == 0xf4;
        s->aux_dx = s->aux_dy = s->aux_dz = 0;
        aux_reply(s, 0xfa);
        break;
    case 0xf6: aux_defaults(s); aux_reply(s, 0xfa); break;
    case 0xfe: aux_reply(s, 0xfa); break;
    default: aux_reply(s, 0xfe); break;
    }
}

/* ---- controller ---- */

static void command(struct i8042 *s, uint8_t v)
{
    if (v >= 0x20 && v <= 0x3f) {
        reply(s, s->ram[v & 0x1f]);
        return;
    }
    if (v >= 0x60 && v <= 0x7f) {
        s->pending = v;
        return;
    }
    if (v >= 0xf0) {
        if (!(v & 1))
            set_outport(s, s->outport & ~OUT_RESET);    /* pulse reset */
        return;
    }
    switch (v) {
    case 0xa7: s->ram[0] |= CTR_AUXDIS; break;
    case 0xa8: s->ram[0] &= ~CTR_AUXDIS; break;
    case 0xa9: reply(s, 0x00); break;                    /* aux interface OK */
    case 0xaa:                                          /* self-test */
        s->status |= ST_SYS;
        reply(s, 0x55);
        break;
    case 0xab: reply(s, 0x00); break;                    /* kbd interface OK */
    case 0xad: s->ram[0] |= CTR_KBDDIS; break;
    case 0xae: s->ram[0] &= ~CTR_KBDDIS; break;
    case 0xc0: reply(s, 0x80); break;                    /* input port: not inhibited */
    case 0xd0: {
        uint8_t o = s->outport & ~(OUT_OBF | OUT_AUXOBF);
        if (s->obf)
            o |= s->out_aux ? OUT_AUXOBF : OUT_OBF;
        reply(s, o);
        break;
    }
    case 0xd1: case 0xd2: case 0xd3: case 0xd4:
        s->pending = v;
        break;
    case 0xdd: set_outport(s, s->outport & ~OUT_A20); break;
    case 0xdf: set_outport(s, s->outport | OUT_A20); break;
    case 0xe0: reply(s, 0x00); break;                    /* test inputs */
    default:
        LOG_ONCE(LOG_HW, "i8042: unhandled controller command 0x%02x", v);
        break;
    }
}

static void data_write(struct i8042 *s, uint8_t v)
{
    uint8_t cmd = s->pending;
    s->pending = 0;
    if (cmd >= 0x60 && cmd <= 0x7f) {
        s->ram[cmd & 0x1f] = v;
        if (cmd == 0x60) {
            if (v & CTR_SYS)
                s->status |= ST_SYS;
            else
                s->status &= ~ST_SYS;
        }
        return;
    }
    switch (cmd) {
    case 0xd1: set_outport(s, v); break;
    case 0xd2: q_push(&s->ctl, v, false); break;
    case 0xd3: q_push(&s->ctl, v, true); break;
    case 0xd4: aux_command(s, v); break;
    default: kbd_command(s, v); break;
    }
}

static uint64_t i8042_read(void *o, uint64_t off, unsigned size)
{
    struct i8042 *s = o;
    if (off == 0) {                     /* port 0x60 */
        uint8_t v = s->out;
        s->obf = false;
        update_irq(s);                  /* drop the line: each byte is an edge */
        kick(s);
        return v;
    }
    return (uint8_t)(s->status | ST_INH | (s->obf ? ST_OBF : 0) |
                     (s->obf && s->out_aux ? ST_AUX_OBF : 0));
}

static void data_port_write(void *o, uint64_t off, uint64_t v, unsigned size)
{
    struct i8042 *s = o;
    s->status &= ~ST_A2;
    data_write(s, (uint8_t)v);
    kick(s);
}

static void cmd_port_write(void *o, uint64_t off, uint64_t v, unsigned size)
{
    struct i8042 *s = o;
    s->status |= ST_A2;
    command(s, (uint8_t)v);
    kick(s);
}

static uint64_t cmd_port_read(void *o, uint64_t off, unsigned size)
{
    return i8042_read(o, 1, size);
}

void i8042_kbd_input(struct i8042 *s, const uint8_t *b, size_t n)
{
    if (!s->kbd_enabled)
        return;
    for (size_t i = 0; i < n; i++)
        kbd_reply(s, b[i]);
    kick(s);
}

/* Set 1 make codes 0x01-0x58 to set 2 (IBM PC/AT keyboard technical
 * reference; the E0 keys share their base key's code but for the three
 * Windows keys). 0: no such key. */
static const uint8_t set1_to_set2[0x59] = {
    0x00, 0x76, 0x16, 0x1e, 0x26, 0x25, 0x2e, 0x36, 0x3d, 0x3e, 0x46, 0x45, 0x4e, 0x55, 0x66, 0x0d,
    0x15, 0x1d, 0x24, 0x2d, 0x2c, 0x35, 0x3c, 0x43, 0x44, 0x4d, 0x54, 0x5b, 0x5a, 0x14, 0x1c, 0x1b,
    0x23, 0x2b, 0x34, 0x33, 0x3b, 0x42, 0x4b, 0x4c, 0x52, 0x0e, 0x12, 0x5d, 0x1a, 0x22, 0x21, 0x2a,
    0x32, 0x31, 0x3a, 0x41, 0x49, 0x4a, 0x59, 0x7c, 0x11, 0x29, 0x58, 0x05, 0x06, 0x04, 0x0c, 0x03,
    0x0b, 0x83, 0x0a, 0x01, 0x09, 0x77, 0x7e, 0x6c, 0x75, 0x7d, 0x7b, 0x6b, 0x73, 0x74, 0x79, 0x69,
    0x72, 0x7a, 0x70, 0x71, 0x00, 0x00, 0x61, 0x78, 0x07,
};

void i8042_kbd_key(struct i8042 *s, uint8_t set1, bool e0, bool down)
{
    uint8_t b[3];
    size_t n = 0;
    if (e0)
        b[n++] = 0xe0;
    if ((s->ram[0] & CTR_XLATE) || s->kbd_set == 1) {
        b[n++] = (uint8_t)(set1 | (down ? 0 : 0x80));
    } else {
        uint8_t c = set1 < sizeof set1_to_set2 ? set1_to_set2[set1] : 0;
        if (e0 && set1 >= 0x5b && set1 <= 0x5d)
            c = (uint8_t[]){ 0x1f, 0x27, 0x2f }[set1 - 0x5b];
        if (!c)
            return;
        if (!down)
            b[n++] = 0xf0;
        b[n++] = c;
    }
    i8042_kbd_input(s, b, n);
}

void i8042_aux_input(struct i8042 *s, const uint8_t *b, size_t n)
{
    if (!s->aux_enabled || s->aux_remote)
        return;
    for (size_t i = 0; i < n; i++)
        aux_reply(s, b[i]);
    kick(s);
}

void i8042_reset(struct i8042 *s)
{
    memset(s->ram, 0, sizeof s->ram);
    /* The command byte a BIOS leaves: keyboard interrupt, system flag,
     * translation, mouse disabled. */
    s->ram[0] = CTR_KBDINT | CTR_SYS | CTR_XLATE | CTR_AUXDIS;
    s->status = ST_SYS;
    s->obf = false;
    s->out = 0;
    s->out_aux = false;
    s->outport = 0xcc | OUT_RESET | OUT_A20;
    s->pending = 0;
    q_clear(&s->ctl);
    q_clear(&s->kbd);
    q_clear(&s->mouse);
    s->kbd_pending = 0;
    s->kbd_leds = 0;
    kbd_defaults(s);
    s->aux_pending = 0;
    s->aux_wrap = false;
    s->aux_type = 0;
    memset(s->aux_knock, 0, sizeof s->aux_knock);
    aux_defaults(s);
    update_irq(s);
}

int i8042_init(struct i8042 *s, struct iobus *bus, struct irq_line irq1, struct irq_line irq12,
               const struct sysctl_ops *ops)
{
    memset(s, 0, sizeof *s);
    s->irq1 = irq1;
    s->irq12 = irq12;
    if (ops)
        s->ops = *ops;
    i8042_reset(s);
    const struct io_handler d = { i8042_read, data_port_write, s, 1 };
    const struct io_handler c = { cmd_port_read, cmd_port_write, s, 1 };
    if (iobus_register(bus, 0x60, 1, &d, "i8042-data") ||
        iobus_register(bus, 0x64, 1, &c, "i8042-cmd"))
        return -1;
    return 0;
}

/* ---- save state ---- */

#define I8042_SS_VERSION 2        /* 2: the IntelliMouse mode and knock */

static void save_queue(struct savestate *ss, const char *name, const struct i8042_queue *q)
{
    uint8_t d[I8042_QUEUE] = { 0 }, a[I8042_QUEUE] = { 0 };
    char f[32];
    for (unsigned i = 0; i < q->count; i++) {
        d[i] = q->d[(q->head + i) % I8042_QUEUE];
        a[i] = q->aux[(q->head + i) % I8042_QUEUE];
    }
    snprintf(f, sizeof f, "%s.data", name); ss_put_bytes(ss, f, d, sizeof d);
    snprintf(f, sizeof f, "%s.aux", name); ss_put_bytes(ss, f, a, sizeof a);
    snprintf(f, sizeof f, "%s.count", name); ss_put(ss, f, q->count);
}

static void load_queue(struct savestate *ss, const char *name, struct i8042_queue *q)
{
    char f[32];
    snprintf(f, sizeof f, "%s.data", name); ss_get_bytes(ss, f, q->d, sizeof q->d);
    snprintf(f, sizeof f, "%s.aux", name); ss_get_bytes(ss, f, q->aux, sizeof q->aux);
    snprintf(f, sizeof f, "%s.count", name); ss_get_u8(ss, f, I8042_QUEUE, &q->count);
    q->head = 0;
    for (unsigned i = 0; i < I8042_QUEUE; i++)
        q->aux[i] = q->aux[i] != 0;
}

void i8042_save(const struct i8042 *s, struct savestate *ss)
{
    ss_section_begin(ss, "i8042", I8042_SS_VERSION);
    ss_put_bytes(ss, "ram", s->ram, sizeof s->ram);
    ss_put(ss, "status", s->status);
    ss_put(ss, "out", s->out);
    ss_put(ss, "obf", s->obf);
    ss_put(ss, "out_aux", s->out_aux);
    ss_put(ss, "outport", s->outport);
    ss_put(ss, "pending", s->pending);
    save_queue(ss, "ctl", &s->ctl);
    save_queue(ss, "kbd", &s->kbd);
    save_queue(ss, "mouse", &s->mouse);
    ss_put(ss, "kbd_pending", s->kbd_pending);
    ss_put(ss, "kbd_set", s->kbd_set);
    ss_put(ss, "kbd_leds", s->kbd_leds);
    ss_put(ss, "kbd_typematic", s->kbd_typematic);
    ss_put(ss, "kbd_enabled", s->kbd_enabled);
    ss_put(ss, "aux_pending", s->aux_pending);
    ss_put(ss, "aux_rate", s->aux_rate);
    ss_put(ss, "aux_res", s->aux_res);
    ss_put(ss, "aux_enabled", s->aux_enabled);
    ss_put(ss, "aux_remote", s->aux_remote);
    ss_put(ss, "aux_wrap", s->aux_wrap);
    ss_put(ss, "aux_scale21", s->aux_scale21);
    ss_put(ss, "aux_type", s->aux_type);
    ss_put_bytes(ss, "aux_knock", s->aux_knock, sizeof s->aux_knock);
    ss_section_end(ss);
}

int i8042_load(struct i8042 *s, struct savestate *ss)
{
    struct i8042 t = *s;
    uint32_t ver;
    if (ss_section_open(ss, "i8042", 1, I8042_SS_VERSION, &ver))
        return -1;
    ss_get_bytes(ss, "ram", t.ram, sizeof t.ram);
    ss_get_u8(ss, "status", 0xff, &t.status);
    ss_get_u8(ss, "out", 0xff, &t.out);
    ss_get_bool(ss, "obf", &t.obf);
    ss_get_bool(ss, "out_aux", &t.out_aux);
    ss_get_u8(ss, "outport", 0xff, &t.outport);
    ss_get_u8(ss, "pending", 0xff, &t.pending);
    load_queue(ss, "ctl", &t.ctl);
    load_queue(ss, "kbd", &t.kbd);
    load_queue(ss, "mouse", &t.mouse);
    ss_get_u8(ss, "kbd_pending", 0xff, &t.kbd_pending);
    ss_get_u8(ss, "kbd_set", 3, &t.kbd_set);
    ss_get_u8(ss, "kbd_leds", 7, &t.kbd_leds);
    ss_get_u8(ss, "kbd_typematic", 0x7f, &t.kbd_typematic);
    ss_get_bool(ss, "kbd_enabled", &t.kbd_enabled);
    ss_get_u8(ss, "aux_pending", 0xff, &t.aux_pending);
    ss_get_u8(ss, "aux_rate", 0xff, &t.aux_rate);
    ss_get_u8(ss, "aux_res", 3, &t.aux_res);
    ss_get_bool(ss, "aux_enabled", &t.aux_enabled);
    ss_get_bool(ss, "aux_remote", &t.aux_remote);
    ss_get_bool(ss, "aux_wrap", &t.aux_wrap);
    ss_get_bool(ss, "aux_scale21", &t.aux_scale21);
    t.aux_type = 0;
    memset(t.aux_knock, 0, sizeof t.aux_knock);
    if (ver >= 2) {
        ss_get_u8(ss, "aux_type", 3, &t.aux_type);
        ss_get_bytes(ss, "aux_knock", t.aux_knock, sizeof t.aux_knock);
    }
    t.aux_dx = t.aux_dy = t.aux_dz = 0;     /* host motion is not guest state */
    if (ss->err)
        return -1;
    if (t.kbd_set == 0)
        return ss_fail(ss, "kbd_set", "is 0 (sets are 1-3)");
    if (t.aux_type != 0 && t.aux_type != 3)
        return ss_fail(ss, "aux_type", "is neither 0 (PS/2) nor 3 (IntelliMouse)");
    if (!(t.outport & OUT_RESET))
        return ss_fail(ss, "outport", "holds the CPU in reset");
    bool a20_changed = (t.outport ^ s->outport) & OUT_A20;
    *s = t;
    if (a20_changed)
        sysctl_set_a20(&s->ops, i8042_a20(s));
    update_irq(s);
    return 0;
}
