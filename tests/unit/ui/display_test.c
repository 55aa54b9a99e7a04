/* Unit tests for --display parsing (src/ui/display.c) and the host key
 * tables (src/ui/keymap_host.c): ASCII for curses, USB HID usages for SDL,
 * X11 keysyms for VNC, each checked against the set 1 codes keymap_find
 * gives for QEMU's key names, and display_tap's press/release order. */
#include "test.h"

#include "ui/frontend.h"
#include "ui/keymap.h"

static void test_parse(void)
{
    struct display_spec s;
    char err[160];

    CHECK(display_parse("none", &s, err, sizeof err) == 0 && s.kind == DISPLAY_NONE, "none");
    CHECK(display_parse("sdl", &s, err, sizeof err) == 0 && s.kind == DISPLAY_SDL, "sdl");
    CHECK(display_parse("curses", &s, err, sizeof err) == 0 && s.kind == DISPLAY_CURSES, "curses");
    CHECK(display_parse("vnc=:1", &s, err, sizeof err) == 0 && s.kind == DISPLAY_VNC &&
          s.vnc_display == 1 && s.host[0] == 0, "vnc=:1: every interface, display 1");
    CHECK(display_parse("vnc=127.0.0.1:42", &s, err, sizeof err) == 0 &&
          !strcmp(s.host, "127.0.0.1") && s.vnc_display == 42, "vnc=127.0.0.1:42");
    CHECK(display_parse("vnc=localhost:0", &s, err, sizeof err) == 0 &&
          !strcmp(s.host, "localhost") && s.vnc_display == 0, "vnc=localhost:0");
    CHECK(display_parse("vnc=:59635", &s, err, sizeof err) == 0 && s.vnc_display == 59635,
          "vnc=:59635 (port 65535) accepted");
    static const char *const bad[] = {
        "", "gtk", "vnc", "vnc=", "vnc=:", "vnc=1", "vnc=:x", "vnc=:1x", "vnc=:-1", "vnc=:+1",
        "vnc=:59636", "vnc=:99999999999999999999", "SDL", "sdl,gl=on", "none ",
        "vnc=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = 0;
        CHECK(display_parse(bad[i], &s, err, sizeof err) < 0 && err[0],
              "'%s' refused: %s", bad[i], err);
    }
}

/* The set 1 code keymap_find gives for a QEMU key name, 0xe0NN for E0. */
static unsigned named(const char *name)
{
    struct keymap_key k;
    if (!keymap_find(name, &k))
        return 0xffff;
    return k.code | (k.e0 ? 0xe000u : 0);
}

static unsigned code_of(struct keymap_key k) { return k.code | (k.e0 ? 0xe000u : 0); }

static void test_ascii(void)
{
    static const struct { int ch; const char *name; unsigned mods; } cases[] = {
        { 'a', "a", 0 }, { 'z', "z", 0 }, { 'A', "a", KEYMAP_SHIFT }, { 'Q', "q", KEYMAP_SHIFT },
        { '1', "1", 0 }, { '0', "0", 0 }, { '!', "1", KEYMAP_SHIFT }, { ')', "0", KEYMAP_SHIFT },
        { '-', "minus", 0 }, { '_', "minus", KEYMAP_SHIFT }, { '=', "equal", 0 },
        { '+', "equal", KEYMAP_SHIFT }, { '[', "bracket_left", 0 }, { '}', "bracket_right", KEYMAP_SHIFT },
        { '\\', "backslash", 0 }, { '|', "backslash", KEYMAP_SHIFT }, { ';', "semicolon", 0 },
        { ':', "semicolon", KEYMAP_SHIFT }, { '\'', "apostrophe", 0 }, { '"', "apostrophe", KEYMAP_SHIFT },
        { '`', "grave_accent", 0 }, { '~', "grave_accent", KEYMAP_SHIFT }, { ',', "comma", 0 },
        { '<', "comma", KEYMAP_SHIFT }, { '.', "dot", 0 }, { '>', "dot", KEYMAP_SHIFT },
        { '/', "slash", 0 }, { '?', "slash", KEYMAP_SHIFT }, { ' ', "spc", 0 },
        { '\r', "ret", 0 }, { '\n', "ret", 0 }, { '\t', "tab", 0 }, { 0x1b, "esc", 0 },
        { 0x7f, "backspace", 0 }, { 0x08, "backspace", 0 },
        { 0x03, "c", KEYMAP_CTRL }, { 0x01, "a", KEYMAP_CTRL }, { 0x1a, "z", KEYMAP_CTRL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct keymap_key k;
        unsigned mods = 99;
        bool ok = keymap_from_ascii(cases[i].ch, &k, &mods);
        CHECK(ok && code_of(k) == named(cases[i].name) && mods == cases[i].mods,
              "ascii 0x%02x is %s%s%s", cases[i].ch, cases[i].mods & KEYMAP_CTRL ? "ctrl-" : "",
              cases[i].mods & KEYMAP_SHIFT ? "shift-" : "", cases[i].name);
    }
    struct keymap_key k;
    unsigned mods;
    CHECK(!keymap_from_ascii(0x80, &k, &mods), "ascii 0x80: no key");
    CHECK(!keymap_from_ascii(0, &k, &mods), "ascii 0: no key");
    CHECK(!keymap_from_ascii(0x1c, &k, &mods), "ascii 0x1c: no key");
}

static void test_usb(void)
{
    static const struct { unsigned usage; const char *name; } cases[] = {
        { 0x04, "a" }, { 0x1d, "z" }, { 0x10, "m" }, { 0x1e, "1" }, { 0x27, "0" },
        { 0x28, "ret" }, { 0x29, "esc" }, { 0x2a, "backspace" }, { 0x2b, "tab" }, { 0x2c, "spc" },
        { 0x2d, "minus" }, { 0x31, "backslash" }, { 0x35, "grave_accent" }, { 0x38, "slash" },
        { 0x39, "caps_lock" }, { 0x3a, "f1" }, { 0x43, "f10" }, { 0x44, "f11" }, { 0x45, "f12" },
        { 0x46, "print" }, { 0x47, "scroll_lock" }, { 0x49, "insert" }, { 0x4a, "home" },
        { 0x4b, "pgup" }, { 0x4c, "delete" }, { 0x4d, "end" }, { 0x4e, "pgdn" },
        { 0x4f, "right" }, { 0x50, "left" }, { 0x51, "down" }, { 0x52, "up" },
        { 0x53, "num_lock" }, { 0x54, "kp_divide" }, { 0x55, "kp_multiply" },
        { 0x56, "kp_subtract" }, { 0x57, "kp_add" }, { 0x58, "kp_enter" }, { 0x59, "kp_1" },
        { 0x61, "kp_9" }, { 0x62, "kp_0" }, { 0x63, "kp_decimal" }, { 0x64, "less" },
        { 0x65, "menu" }, { 0xe0, "ctrl" }, { 0xe1, "shift" }, { 0xe2, "alt" },
        { 0xe3, "meta_l" }, { 0xe4, "ctrl_r" }, { 0xe5, "shift_r" }, { 0xe6, "alt_r" },
        { 0xe7, "meta_r" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct keymap_key k;
        CHECK(keymap_from_usb(cases[i].usage, &k) && code_of(k) == named(cases[i].name),
              "USB usage 0x%02x (SDL scancode) is %s", cases[i].usage, cases[i].name);
    }
    struct keymap_key k;
    CHECK(!keymap_from_usb(0, &k) && !keymap_from_usb(0x48, &k) && !keymap_from_usb(0xe8, &k) &&
          !keymap_from_usb(100000, &k), "USB: no key for 0, Pause, 0xE8, out of range");
}

static void test_keysym(void)
{
    static const struct { uint32_t sym; const char *name; } cases[] = {
        { 'a', "a" }, { 'A', "a" }, { '!', "1" }, { '@', "2" }, { ' ', "spc" }, { '~', "grave_accent" },
        { 0xff0d, "ret" }, { 0xff1b, "esc" }, { 0xff08, "backspace" }, { 0xff09, "tab" },
        { 0xfe20, "tab" }, { 0xffff, "delete" }, { 0xff50, "home" }, { 0xff51, "left" },
        { 0xff52, "up" }, { 0xff53, "right" }, { 0xff54, "down" }, { 0xff55, "pgup" },
        { 0xff56, "pgdn" }, { 0xff57, "end" }, { 0xff63, "insert" }, { 0xffbe, "f1" },
        { 0xffc7, "f10" }, { 0xffc8, "f11" }, { 0xffc9, "f12" }, { 0xffe1, "shift" },
        { 0xffe2, "shift_r" }, { 0xffe3, "ctrl" }, { 0xffe4, "ctrl_r" }, { 0xffe9, "alt" },
        { 0xffea, "alt_r" }, { 0xfe03, "alt_r" }, { 0xffeb, "meta_l" }, { 0xff8d, "kp_enter" },
        { 0xffaf, "kp_divide" }, { 0xffb0, "kp_0" }, { 0xffb9, "kp_9" }, { 0xff95, "kp_7" },
        { 0xff7f, "num_lock" }, { 0xffe5, "caps_lock" }, { 0xff67, "menu" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct keymap_key k;
        CHECK(keymap_from_keysym(cases[i].sym, &k) && code_of(k) == named(cases[i].name),
              "keysym 0x%04x is %s", (unsigned)cases[i].sym, cases[i].name);
    }
    struct keymap_key k;
    CHECK(!keymap_from_keysym(0xe9, &k) && !keymap_from_keysym(0x1008ff13, &k),
          "keysym: no key for eacute or XF86AudioRaiseVolume");
}

static char taps[64];
static void tap_key(void *o, uint8_t code, bool e0, bool down)
{
    size_t n = strlen(taps);
    snprintf(taps + n, sizeof taps - n, "%s%02x%s ", e0 ? "e0" : "", code, down ? "" : "^");
}

static void test_tap(void)
{
    const struct display_input in = { NULL, tap_key, NULL };
    const struct keymap_key keys[3] = { { 0x1d, false }, { 0x2a, false }, { 0x48, true } };
    display_tap(&in, keys, 3);
    CHECK_STR(taps, "1d 2a e048 e048^ 2a^ 1d^ ", "display_tap: press in order, release reversed");
}

int main(void)
{
    test_parse();
    test_ascii();
    test_usb();
    test_keysym();
    test_tap();
    return test_summary();
}
