/* The 8042 keyboard controller (src/hw/i8042.c): data port 0x60, status and
 * command port 0x64, a keyboard on IRQ1 and a PS/2 mouse (aux port) on
 * IRQ12. The output port's A20 bit and the reset pulse (command 0xFE, or an
 * output port write with bit 0 clear) go to the board through sysctl_ops.
 *
 * The keyboard and mouse answer the commands a BIOS and Linux's
 * atkbd/psmouse send (reset, identify, LEDs, scancode set, typematic,
 * enable/disable, status, the IntelliMouse knock); their input comes from
 * the board: keys with i8042_kbd_key, pointer motion with
 * i8042_mouse_event (a display frontend), raw bytes with i8042_kbd_input /
 * i8042_aux_input. */
#ifndef RAWBOX_HW_I8042_H
#define RAWBOX_HW_I8042_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hw/irq.h"
#include "hw/sysctl.h"

struct iobus;
struct savestate;

#define I8042_QUEUE 32

struct i8042_queue {
    uint8_t d[I8042_QUEUE];
    uint8_t aux[I8042_QUEUE];   /* controller queue: byte is for the aux port */
    uint8_t head, count;
};

struct i8042 {
    uint8_t ram[32];            /* ram[0] is the command byte (CTR) */
    uint8_t status;             /* SYS and A2 bits; OBF/AUX_OBF are derived */
    uint8_t out;                /* output buffer */
    bool obf, out_aux;
    uint8_t outport;
    uint8_t pending;            /* controller command waiting for its data byte */
    struct i8042_queue ctl, kbd, mouse;
    /* keyboard */
    uint8_t kbd_pending, kbd_set, kbd_leds, kbd_typematic;
    bool kbd_enabled;
    /* mouse */
    uint8_t aux_pending, aux_rate, aux_res;
    bool aux_enabled, aux_remote, aux_wrap, aux_scale21;
    uint8_t aux_type;           /* identify reply: 0 PS/2, 3 IntelliMouse (wheel) */
    uint8_t aux_knock[3];       /* the last three sample rates set, newest last */
    /* Host motion not yet sent (the queue was full, or remote mode waits
     * for 0xEB), and the buttons held now / last reported. */
    int aux_dx, aux_dy, aux_dz;
    uint8_t aux_buttons, aux_sent_buttons;
    int irq1_level, irq12_level;
    struct irq_line irq1, irq12;
    struct sysctl_ops ops;
};

/* Registers ports 0x60 and 0x64. */
int i8042_init(struct i8042 *s, struct iobus *bus, struct irq_line irq1, struct irq_line irq12,
               const struct sysctl_ops *ops) __attribute__((warn_unused_result));
void i8042_reset(struct i8042 *s);
/* A20 as the output port drives it. */
bool i8042_a20(const struct i8042 *s);
/* Bytes from the keyboard (scancodes as the guest selected) or the mouse. */
void i8042_kbd_input(struct i8042 *s, const uint8_t *b, size_t n);
void i8042_aux_input(struct i8042 *s, const uint8_t *b, size_t n);
/* A key pressed (down) or released, given by its set 1 make code (and
 * whether it is an E0 key): the keyboard sends it in the set the guest
 * selected, or in set 1 when the controller translates (CTR bit 6). */
void i8042_kbd_key(struct i8042 *s, uint8_t set1, bool e0, bool down);
/* The host pointer moved by dx right, dy down, the wheel by dz towards the
 * user; buttons as held now (bit 0 left, 1 right, 2 middle). In stream
 * mode with reporting enabled (0xF4) the mouse sends 3-byte packets, or
 * 4-byte ones with the wheel once the guest knocked (rates 200, 100, 80);
 * otherwise the motion waits for a 0xEB read (remote mode) or is dropped
 * (reporting disabled). */
void i8042_mouse_event(struct i8042 *s, int dx, int dy, int dz, unsigned buttons);

void i8042_save(const struct i8042 *s, struct savestate *ss);
int i8042_load(struct i8042 *s, struct savestate *ss);

#endif
