/* The --display frontend on the board (src/vm/screen.c): shows the display
 * adapter's picture (m->screen) in the frontend cfg.display names and
 * routes the frontend's keys to the i8042 keyboard and its pointer to the
 * PS/2 mouse.
 *
 * A timer on the virtual clock, SCREEN_HZ times a second, collects the
 * frontend's input, renders the source into one frame and presents it
 * when its serial changed; a frontend with a host fd (curses: the
 * terminal) is also polled when that fd is readable, so keys arrive while
 * the guest idles. With --display none (the default) there is no timer and
 * no cost. A board without a display adapter (m->screen.update or .opaque
 * NULL) shows a blank 640x400 screen: keys and the mouse still work. */
#ifndef RAWBOX_VM_SCREEN_H
#define RAWBOX_VM_SCREEN_H

struct machine;

#define SCREEN_HZ 30

/* Open cfg.display's frontend (after every device is built). Returns 0, or
 * prints "rawbox: --display ...: why" and returns -1. Closed by the
 * machine's cleanup. */
int screen_open(struct machine *m) __attribute__((warn_unused_result));

#endif
