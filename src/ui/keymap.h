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

/* Host keys to set 1, for the display frontends (src/ui/keymap_host.c). */

/* Modifiers a character needs on a US keyboard. */
#define KEYMAP_SHIFT 1u
#define KEYMAP_CTRL  2u

/* The key that types ASCII character ch (US layout) and the modifiers to
 * hold: 'a' is a, 'A' shift-a, '!' shift-1, 0x01-0x1a Ctrl-letter (but
 * Tab, Enter on CR and LF, Backspace on 0x08 and 0x7f, Esc on 0x1b). False
 * for a character no key types. */
bool keymap_from_ascii(int ch, struct keymap_key *out, unsigned *mods);
/* A USB HID keyboard usage (page 7), which is what SDL2's scancodes are:
 * 4 = a, 0x28 = Enter, 0xE0-0xE7 the modifiers. False if unmapped. */
bool keymap_from_usb(unsigned usage, struct keymap_key *out);
/* An X11 keysym, which is what VNC clients send (RFB KeyEvent): Latin-1
 * characters by the key that types them whatever the shift state (the
 * client sends its Shift key itself), XK_Return, XK_F1, XK_Shift_L, ...
 * False if unmapped. */
bool keymap_from_keysym(uint32_t keysym, struct keymap_key *out);

#endif
