/* Host keys to PC set 1 codes (keymap.h): ASCII characters for the curses
 * frontend, USB HID usages for SDL2 (its SDL_Scancode values are the HID
 * keyboard page, USB HID Usage Tables 1.12 chapter 10), X11 keysyms for
 * VNC (RFB, RFC 6143 section 7.5.4; keysym values from X11's keysymdef.h).
 * The set 1 codes are the IBM PC/AT keyboard's XT codes, as in keymap.c.
 * Only the US layout: a character maps to the key that types it there.
 * Left out: Pause/Break (an E1 sequence, not one make code). */
#include "ui/keymap.h"

#include <string.h>

/* The four rows of printable keys: set 1 code of the first key, the
 * characters unshifted and shifted. */
static const struct { uint8_t first; const char *plain, *shifted; } rows[] = {
    { 0x02, "1234567890-=", "!@#$%^&*()_+" },
    { 0x10, "qwertyuiop[]", "QWERTYUIOP{}" },
    { 0x1e, "asdfghjkl;'`", "ASDFGHJKL:\"~" },
    { 0x2b, "\\zxcvbnm,./", "|ZXCVBNM<>?" },
};

static bool set(struct keymap_key *out, unsigned code)
{
    if (!code)
        return false;
    out->code = (uint8_t)(code & 0x7f);
    out->e0 = code > 0xff;
    return true;
}

bool keymap_from_ascii(int ch, struct keymap_key *out, unsigned *mods)
{
    *mods = 0;
    switch (ch) {
    case ' ': return set(out, 0x39);
    case '\t': return set(out, 0x0f);
    case '\r': case '\n': return set(out, 0x1c);
    case 0x1b: return set(out, 0x01);
    case 0x08: case 0x7f: return set(out, 0x0e);
    }
    if (ch >= 1 && ch <= 26) {          /* Ctrl-A .. Ctrl-Z */
        *mods = KEYMAP_CTRL;
        return keymap_from_ascii('a' + ch - 1, out, &(unsigned){ 0 });
    }
    if (ch <= ' ' || ch >= 0x7f)
        return false;
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        const char *p = strchr(rows[r].plain, ch);
        if (p)
            return set(out, rows[r].first + (unsigned)(p - rows[r].plain));
        p = strchr(rows[r].shifted, ch);
        if (p) {
            *mods = KEYMAP_SHIFT;
            return set(out, rows[r].first + (unsigned)(p - rows[r].shifted));
        }
    }
    return false;
}

/* HID usage 0x00-0xE7 -> set 1 code, 0xe0NN for the E0 keys, 0 none. */
static const uint16_t usb_to_set1[0xe8] = {
    [0x04] = 0x1e, 0x30, 0x2e, 0x20, 0x12, 0x21, 0x22, 0x23, 0x17, 0x24, 0x25, 0x26, /* a-l */
    0x32, 0x31, 0x18, 0x19, 0x10, 0x13, 0x1f, 0x14, 0x16, 0x2f, 0x11, 0x2d, 0x15, 0x2c, /* m-z */
    [0x1e] = 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,     /* 1-0 */
    [0x28] = 0x1c, 0x01, 0x0e, 0x0f, 0x39,      /* Enter Esc Backspace Tab Space */
    0x0c, 0x0d, 0x1a, 0x1b, 0x2b, 0x2b,         /* - = [ ] \ non-US # */
    0x27, 0x28, 0x29, 0x33, 0x34, 0x35, 0x3a,   /* ; ' ` , . / CapsLock */
    [0x3a] = 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x41, 0x42, 0x43, 0x44, 0x57, 0x58, /* F1-F12 */
    [0x46] = 0xe037, 0x46, 0x00,                /* PrintScreen ScrollLock (Pause) */
    0xe052, 0xe047, 0xe049, 0xe053, 0xe04f, 0xe051,     /* Ins Home PgUp Del End PgDn */
    0xe04d, 0xe04b, 0xe050, 0xe048,             /* Right Left Down Up */
    0x45, 0xe035, 0x37, 0x4a, 0x4e, 0xe01c,     /* NumLock KP/ KP* KP- KP+ KPEnter */
    0x4f, 0x50, 0x51, 0x4b, 0x4c, 0x4d, 0x47, 0x48, 0x49, 0x52, 0x53,  /* KP1-9 KP0 KP. */
    0x56, 0xe05d,                               /* non-US \ (102nd key), Application */
    [0xe0] = 0x1d, 0x2a, 0x38, 0xe05b, 0xe01d, 0x36, 0xe038, 0xe05c,  /* LCtrl .. RGUI */
};

bool keymap_from_usb(unsigned usage, struct keymap_key *out)
{
    return usage < sizeof usb_to_set1 / sizeof usb_to_set1[0] && set(out, usb_to_set1[usage]);
}

/* Keysyms 0xFF00-0xFFFF (function, cursor, keypad, modifier keys). */
static const struct { uint16_t sym, code; } x11_keys[] = {
    { 0xff08, 0x0e }, { 0xff09, 0x0f }, { 0xff0d, 0x1c }, { 0xff1b, 0x01 },
    { 0xffff, 0xe053 }, { 0xff50, 0xe047 }, { 0xff51, 0xe04b }, { 0xff52, 0xe048 },
    { 0xff53, 0xe04d }, { 0xff54, 0xe050 }, { 0xff55, 0xe049 }, { 0xff56, 0xe051 },
    { 0xff57, 0xe04f }, { 0xff63, 0xe052 }, { 0xff67, 0xe05d }, { 0xff61, 0xe037 },
    { 0xff14, 0x46 }, { 0xff7f, 0x45 }, { 0xffe5, 0x3a },
    { 0xffbe, 0x3b }, { 0xffbf, 0x3c }, { 0xffc0, 0x3d }, { 0xffc1, 0x3e },
    { 0xffc2, 0x3f }, { 0xffc3, 0x40 }, { 0xffc4, 0x41 }, { 0xffc5, 0x42 },
    { 0xffc6, 0x43 }, { 0xffc7, 0x44 }, { 0xffc8, 0x57 }, { 0xffc9, 0x58 },
    { 0xffe1, 0x2a }, { 0xffe2, 0x36 }, { 0xffe3, 0x1d }, { 0xffe4, 0xe01d },
    { 0xffe7, 0x38 }, { 0xffe8, 0xe038 }, { 0xffe9, 0x38 }, { 0xffea, 0xe038 },
    { 0xffeb, 0xe05b }, { 0xffec, 0xe05c },
    { 0xff8d, 0xe01c }, { 0xffaa, 0x37 }, { 0xffab, 0x4e }, { 0xffad, 0x4a },
    { 0xffae, 0x53 }, { 0xffaf, 0xe035 },
    { 0xffb0, 0x52 }, { 0xffb1, 0x4f }, { 0xffb2, 0x50 }, { 0xffb3, 0x51 }, { 0xffb4, 0x4b },
    { 0xffb5, 0x4c }, { 0xffb6, 0x4d }, { 0xffb7, 0x47 }, { 0xffb8, 0x48 }, { 0xffb9, 0x49 },
    { 0xff95, 0x47 }, { 0xff96, 0x4b }, { 0xff97, 0x48 }, { 0xff98, 0x4d }, { 0xff99, 0x50 },
    { 0xff9a, 0x49 }, { 0xff9b, 0x51 }, { 0xff9c, 0x4f }, { 0xff9d, 0x4c }, { 0xff9e, 0x52 },
    { 0xff9f, 0x53 },
};

bool keymap_from_keysym(uint32_t keysym, struct keymap_key *out)
{
    if (keysym >= 0x20 && keysym < 0x7f) {
        unsigned mods;
        return keymap_from_ascii((int)keysym, out, &mods);
    }
    if (keysym == 0xfe20)               /* ISO_Left_Tab: shift-tab */
        return set(out, 0x0f);
    if (keysym == 0xfe03)               /* ISO_Level3_Shift: AltGr */
        return set(out, 0xe038);
    for (size_t i = 0; i < sizeof x11_keys / sizeof x11_keys[0]; i++)
        if (x11_keys[i].sym == keysym)
            return set(out, x11_keys[i].code);
    return false;
}
