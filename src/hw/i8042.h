/* The 8042 keyboard controller (src/hw/i8042.c): data port 0x60, status and
 * command port 0x64, a keyboard on IRQ1 and a PS/2 mouse (aux port) on
 * IRQ12. The output port's A20 bit and the reset pulse (command 0xFE, or an
 * output port write with bit 0 clear) go to the board through sysctl_ops.
 *
 * The keyboard and mouse are minimal devices: they answer the commands a
 * BIOS and Linux's atkbd/psmouse send (reset, identify, LEDs, scancode set,
 * typematic, enable/disable, status) but produce no input unless the board
 * pushes bytes with i8042_kbd_input / i8042_aux_input. */
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

void i8042_save(const struct i8042 *s, struct savestate *ss);
int i8042_load(struct i8042 *s, struct savestate *ss);

#endif
