/* The virtual clock and the one timer queue (src/vm/clock.c).
 *
 * Devices read time only from here and arm timers on the shared queue; they
 * never read the host clock, so unit tests drive them with a fake clock
 * (clock_init_fake + clock_advance). Times are nanoseconds. */
#ifndef RAWBOX_VM_CLOCK_H
#define RAWBOX_VM_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct timer;
typedef void (*timer_fn)(void *opaque);

struct timer {
    uint64_t deadline;
    timer_fn cb;
    void *opaque;
    bool armed;
    struct timer *next;         /* sorted list, earliest first */
    struct clock *clock;
};

struct clock {
    bool fake;
    uint64_t fake_now;
    uint64_t host_start;        /* host monotonic ns at start */
    uint64_t offset;            /* virtual = host - host_start + offset */
    struct timer *head;
};

void clock_init(struct clock *c);           /* host monotonic */
void clock_init_fake(struct clock *c);      /* starts at 0, advanced by hand */
uint64_t clock_now(struct clock *c);
/* Fake clock only: advance time and run due timers. */
void clock_advance(struct clock *c, uint64_t ns);

void timer_init(struct timer *t, struct clock *c, timer_fn cb, void *opaque);
void timer_mod(struct timer *t, uint64_t deadline);   /* (re)arm */
void timer_del(struct timer *t);
/* Run every timer whose deadline <= now. Returns the next deadline or
 * UINT64_MAX when none is armed. */
uint64_t clock_run_timers(struct clock *c);
uint64_t clock_next_deadline(const struct clock *c);

#define NS_PER_SEC 1000000000ull

#endif
