/* Unit test for the SDL frontend's input (src/ui/display_sdl.c) under
 * SDL's dummy video driver: SDL events pushed into the queue must come
 * out of poll() as set 1 keys, relative mouse motion, buttons and wheel on
 * the display_input callbacks; a first click only grabs; Ctrl-Alt-G
 * releases the grab and is not sent to the guest; losing the focus
 * releases held keys; closing the window asks rawbox to quit; present()
 * takes frames of changing sizes. */
#include "test.h"

#ifdef RAWBOX_HAVE_SDL          /* built without SDL2: nothing to test */
#include <SDL.h>

#include "ui/frontend.h"

static char keys[256];
static int quits, moves, mdx, mdy, mdz;
static unsigned mbuttons;

static void on_key(void *o, uint8_t code, bool e0, bool down)
{
    size_t n = strlen(keys);
    snprintf(keys + n, sizeof keys - n, "%s%02x%s ", e0 ? "e0" : "", code, down ? "" : "^");
}
static void on_mouse(void *o, int dx, int dy, int dz, unsigned b)
{
    moves++;
    mdx += dx;
    mdy += dy;
    mdz += dz;
    mbuttons = b;
}
static void on_quit(void *o) { quits++; }

static void push_key(SDL_Scancode sc, bool down)
{
    SDL_Event e = { .type = down ? SDL_KEYDOWN : SDL_KEYUP };
    e.key.keysym.scancode = sc;
    e.key.state = down ? SDL_PRESSED : SDL_RELEASED;
    SDL_PushEvent(&e);
}

static void push_button(uint8_t button, bool down)
{
    SDL_Event e = { .type = down ? SDL_MOUSEBUTTONDOWN : SDL_MOUSEBUTTONUP };
    e.button.button = button;
    SDL_PushEvent(&e);
}

static void push_motion(int dx, int dy)
{
    SDL_Event e = { .type = SDL_MOUSEMOTION };
    e.motion.xrel = dx;
    e.motion.yrel = dy;
    SDL_PushEvent(&e);
}

static void push_window(uint8_t what)
{
    SDL_Event e = { .type = SDL_WINDOWEVENT };
    e.window.event = what;
    SDL_PushEvent(&e);
}

int main(void)
{
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    struct display_spec spec = { .kind = DISPLAY_SDL };
    const struct display_input in = { NULL, on_key, on_mouse };
    const struct display_host host = { NULL, on_quit, NULL };
    char err[200] = "";
    struct display_frontend *fe = display_open(&spec, &in, &host, err, sizeof err);
    CHECK(fe != NULL, "open the SDL frontend under the dummy driver %s", err);
    if (!fe)
        return test_summary();

    static uint32_t pixels[800 * 600];
    struct display_frame f = { .pixels = pixels, .width = 640, .height = 400 };
    fe->ops->present(fe, &f);
    f.width = 800;
    f.height = 600;
    fe->ops->present(fe, &f);
    CHECK(true, "present() takes 640x400, then 800x600");

    push_key(SDL_SCANCODE_A, true);
    push_key(SDL_SCANCODE_A, false);
    push_key(SDL_SCANCODE_UP, true);
    push_key(SDL_SCANCODE_UP, false);
    fe->ops->poll(fe);
    CHECK_STR(keys, "1e 1e^ e048 e048^ ", "keys: a, then Up with E0");

    keys[0] = 0;
    push_motion(5, 5);
    fe->ops->poll(fe);
    CHECK_EQ(moves, 0, "no grab: motion is not the guest's");
    push_button(SDL_BUTTON_LEFT, true);
    push_button(SDL_BUTTON_LEFT, false);
    fe->ops->poll(fe);
    CHECK_EQ(moves, 0, "the first click grabs and is not sent");
    push_motion(7, -3);
    push_button(SDL_BUTTON_RIGHT, true);
    fe->ops->poll(fe);
    CHECK(mdx == 7 && mdy == -3, "grabbed: relative motion 7,-3 (got %d,%d)", mdx, mdy);
    CHECK_EQ(mbuttons, DISPLAY_BTN_RIGHT, "right button held");
    SDL_Event w = { .type = SDL_MOUSEWHEEL };
    w.wheel.y = 2;              /* away from the user */
    w.wheel.direction = SDL_MOUSEWHEEL_NORMAL;
    SDL_PushEvent(&w);
    push_button(SDL_BUTTON_RIGHT, false);
    fe->ops->poll(fe);
    CHECK_EQ(mdz, -2, "wheel away from the user: dz -2");
    CHECK_EQ(mbuttons, 0, "right button released");

    /* Ctrl-Alt-G: rawbox's, not the guest's; the grab ends. */
    SDL_SetModState(KMOD_LCTRL | KMOD_LALT);
    push_key(SDL_SCANCODE_G, true);
    fe->ops->poll(fe);
    SDL_SetModState(KMOD_NONE);
    CHECK_STR(keys, "", "Ctrl-Alt-G does not reach the guest");
    int before = moves;
    push_motion(1, 1);
    fe->ops->poll(fe);
    CHECK_EQ(moves, before, "after Ctrl-Alt-G: motion no longer grabbed");

    /* Focus lost with a key down: it is released. */
    push_key(SDL_SCANCODE_LALT, true);
    push_window(SDL_WINDOWEVENT_FOCUS_LOST);
    fe->ops->poll(fe);
    CHECK_STR(keys, "38 38^ ", "focus lost releases the held Alt");

    push_window(SDL_WINDOWEVENT_CLOSE);
    fe->ops->poll(fe);
    CHECK_EQ(quits, 1, "closing the window asks rawbox to quit");

    display_close(fe);
    return test_summary();
}
#else
int main(void)
{
    CHECK(true, "rawbox built without SDL2: the SDL frontend is a stub");
    return test_summary();
}
#endif
