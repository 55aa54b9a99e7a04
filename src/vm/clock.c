/* The virtual clock and the one timer queue (see clock.h).
 *
 * Host mode: virtual time is CLOCK_MONOTONIC minus the value at start plus
 * an offset (clock_advance on a host clock moves the offset, for warps after
 * a pause or a restore). Fake mode: time moves only through clock_advance,
 * which steps to each due deadline in order so a timer callback sees
 * clock_now() equal to its own deadline, then runs it.
 *
 * The queue is a singly linked list sorted by deadline (FIFO among equal
 * deadlines). A PC board has a handful of timers, so insertion is O(n) on
 * purpose: the list stays easy to check. Callbacks may re-arm or delete any
 * timer, including their own. */
#include "vm/clock.h"

#include <stddef.h>
#include <time.h>

static uint64_t host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

void clock_init(struct clock *c)
{
    c->fake = false;
    c->fake_now = 0;
    c->host_start = host_ns();
    c->offset = 0;
    c->head = NULL;
}

void clock_init_fake(struct clock *c)
{
    c->fake = true;
    c->fake_now = 0;
    c->host_start = 0;
    c->offset = 0;
    c->head = NULL;
}

uint64_t clock_now(struct clock *c)
{
    if (c->fake)
        return c->fake_now;
    return host_ns() - c->host_start + c->offset;
}

static void unlink_timer(struct timer *t)
{
    struct timer **pp = &t->clock->head;
    while (*pp && *pp != t)
        pp = &(*pp)->next;
    if (*pp)
        *pp = t->next;
    t->next = NULL;
    t->armed = false;
}

void timer_init(struct timer *t, struct clock *c, timer_fn cb, void *opaque)
{
    t->deadline = 0;
    t->cb = cb;
    t->opaque = opaque;
    t->armed = false;
    t->next = NULL;
    t->clock = c;
}

void timer_mod(struct timer *t, uint64_t deadline)
{
    if (t->armed)
        unlink_timer(t);
    t->deadline = deadline;
    struct timer **pp = &t->clock->head;
    while (*pp && (*pp)->deadline <= deadline)
        pp = &(*pp)->next;
    t->next = *pp;
    *pp = t;
    t->armed = true;
}

void timer_del(struct timer *t)
{
    if (t->armed)
        unlink_timer(t);
}

uint64_t clock_next_deadline(const struct clock *c)
{
    return c->head ? c->head->deadline : UINT64_MAX;
}

/* Run the first timer if it is due at `now`; false when none is. */
static bool run_one(struct clock *c, uint64_t now)
{
    struct timer *t = c->head;
    if (!t || t->deadline > now)
        return false;
    c->head = t->next;
    t->next = NULL;
    t->armed = false;
    t->cb(t->opaque);
    return true;
}

uint64_t clock_run_timers(struct clock *c)
{
    uint64_t now = clock_now(c);
    /* A timer re-armed for a deadline already past runs again in this call;
     * the bound keeps a callback that always re-arms in the past from
     * hanging the loop (it then runs on the next call). */
    for (int n = 0; n < 10000 && run_one(c, now); n++)
        ;
    return clock_next_deadline(c);
}

void clock_advance(struct clock *c, uint64_t ns)
{
    if (!c->fake) {
        c->offset += ns;
        clock_run_timers(c);
        return;
    }
    uint64_t target = c->fake_now + ns;
    for (;;) {
        struct timer *t = c->head;
        if (!t || t->deadline > target)
            break;
        if (t->deadline > c->fake_now)
            c->fake_now = t->deadline;
        run_one(c, c->fake_now);
    }
    c->fake_now = target;
}
