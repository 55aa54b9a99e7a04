/* Key names as QEMU's monitor spells them (sendkey, QKeyCode: "ctrl",
 * "alt", "delete", "f1", "a", "kp_enter", ...) and their PC scancodes in
 * set 1, the XT codes an i8042 with translation hands the OS
 * (src/ui/keymap.c). The keyboard device turns them into what the guest
 * asked for (hw/i8042.c i8042_kbd_key). */
#ifndef RAWBOX_UI_KEYMAP_H
#define RAWBOX_UI_KEYMAP_H

#include <stdbool.h>
#include <stdint.h>

struct keymap_key {
    uint8_t code;               /* set 1 make code, 0x01..0x7f */
    bool e0;                    /* sent after an E0 prefix */
};

/* The key called `name` (case-insensitive; also "0x1d"-style raw set 1
 * codes, as QEMU accepts). False for an unknown name. */
bool keymap_find(const char *name, struct keymap_key *out);

#endif
