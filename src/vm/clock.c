/* The virtual clock and the one timer queue (see clock.h).
 *
 * Host mode: virtual time is CLOCK_MONOTONIC minus the value at start plus
 * an offset (clock_advance on a host clock moves the offset, for warps after
 * a pause or a restore). Fake mode: time moves only through clock_advance,
 * which steps to each due deadline in order so a timer callback sees
 * clock_now() equal to its own deadline, then runs it.
 *
 * Paced mode (clock_pace_by, the run loop's choice): the host clock only
 * steers. Virtual time is v0 + (icount - ic0) * rate, so every guest
 * instruction costs the same virtual time and the host's hiccups (decode,
 * slice ends, preemption) are invisible inside a guest loop: Linux's
 * pit_calibrate_tsc() requires that no turn of its PIT polling loop costs
 * more than ten times the cheapest one. At each clock_run_timers() the
 * clock re-anchors, measures host ns per instruction since the last anchor
 * (a running average) and sets rate = measured * (1 + lag / 20 ms), within
 * [1/2, 2] of it, where lag = host target - virtual time; a lag beyond
 * CLOCK_PACE_MAX_LAG is dropped at once (the guest sees a jump, as after a
 * long SMI). While the vCPU is halted (clock_idle) virtual time catches up
 * with the host target and then follows host time at each anchor (not in
 * between, so it never steps back when instructions run again), so sleeps
 * end on time.
 *
 * The queue is a singly linked list sorted by deadline (FIFO among equal
 * deadlines). A PC board has a handful of timers, so insertion is O(n) on
 * purpose: the list stays easy to check. Callbacks may re-arm or delete any
 * timer, including their own. */
#include "vm/clock.h"

#include <stddef.h>
#include <string.h>
#include <time.h>

static uint64_t host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

void clock_init(struct clock *c)
{
    memset(c, 0, sizeof *c);
    c->host_start = host_ns();
}

void clock_init_fake(struct clock *c)
{
    memset(c, 0, sizeof *c);
    c->fake = true;
}

/* ---- pacing ---- */

#define PACE_HORIZON 20000000ll             /* lag absorbed over ~20 ms */
#define PACE_INIT_Q16 (10ull << 16)         /* 10 ns/instruction until measured */
#define PACE_MIN_Q16 (1ull << 10)           /* 1/64 ns */
#define PACE_MAX_Q16 (1000000ull << 16)     /* 1 ms */
#define PACE_MIN_INSNS 256                  /* fewer: too noisy to measure */

static uint64_t target_ns(const struct clock *c, uint64_t h)
{
    return h - c->host_start + c->offset;
}

/* Halted since the last clock_idle(): no instruction has run. */
static bool idle_now(const struct clock *c)
{
    return c->idle_host && *c->icount == c->idle_ic;
}

static uint64_t paced_now(const struct clock *c)
{
    uint64_t ic = *c->icount;
    if (ic < c->ic0)            /* the counter was reset: wait for a re-anchor */
        return c->v0;
    return c->v0 + (uint64_t)(((unsigned __int128)(ic - c->ic0) * c->rate_q16) >> 16);
}

static void anchor(struct clock *c, uint64_t v, uint64_t h)
{
    c->v0 = v;
    c->ic0 = *c->icount;
    c->h0 = h;
}

/* Re-anchor at the current virtual time and choose the next rate. */
static void pace_steer(struct clock *c)
{
    uint64_t h = host_ns(), v = paced_now(c), ic = *c->icount;
    if (idle_now(c)) {
        /* Still halted: follow the host. Only anchors move time while
         * idle, so clock_now() never runs ahead of a later anchor. */
        anchor(c, v + (h > c->idle_host ? h - c->idle_host : 0), h);
        c->idle_host = h;
        return;
    }
    c->idle_host = 0;
    if (ic > c->ic0 && ic - c->ic0 >= PACE_MIN_INSNS && h > c->h0) {
        uint64_t m = (uint64_t)(((unsigned __int128)(h - c->h0) << 16) / (ic - c->ic0));
        if (c->base_q16) {
            /* One slice stretched by a host stall moves the average by at
             * most a quarter; the lag term absorbs the rest. */
            if (m > 2 * c->base_q16)
                m = 2 * c->base_q16;
            if (m < c->base_q16 / 2)
                m = c->base_q16 / 2;
        }
        if (m < PACE_MIN_Q16)
            m = PACE_MIN_Q16;
        if (m > PACE_MAX_Q16)
            m = PACE_MAX_Q16;
        c->base_q16 = c->base_q16 ? (3 * c->base_q16 + m) / 4 : m;
    }
    uint64_t t = target_ns(c, h);
    if (t > v && t - v > CLOCK_PACE_MAX_LAG)
        v = t - CLOCK_PACE_MAX_LAG;
    int64_t lag = (int64_t)(t - v);
    if (lag > PACE_HORIZON)
        lag = PACE_HORIZON;
    if (lag < -PACE_HORIZON / 2)
        lag = -PACE_HORIZON / 2;
    uint64_t base = c->base_q16 ? c->base_q16 : PACE_INIT_Q16;
    c->rate_q16 = (uint64_t)((unsigned __int128)base * (uint64_t)(PACE_HORIZON + lag) /
                             (uint64_t)PACE_HORIZON);
    anchor(c, v, h);
}

void clock_pace_by(struct clock *c, const uint64_t *icount)
{
    if (c->fake)
        return;
    uint64_t v = clock_now(c), h = host_ns();
    c->icount = icount;
    c->idle_host = 0;
    if (!icount)
        return;
    c->rate_q16 = c->base_q16 ? c->base_q16 : PACE_INIT_Q16;
    anchor(c, v, h);
}

uint64_t clock_insns_until(struct clock *c, uint64_t deadline)
{
    if (c->fake || !c->icount || !c->rate_q16)
        return 0;
    uint64_t now = paced_now(c);
    if (deadline <= now)
        return 1;
    unsigned __int128 n = (((unsigned __int128)(deadline - now) << 16) + c->rate_q16 - 1) /
                          c->rate_q16;
    return n < (1ull << 62) ? (uint64_t)n : 1ull << 62;
}

void clock_idle(struct clock *c)
{
    if (c->fake || !c->icount)
        return;
    uint64_t h = host_ns(), v = paced_now(c), t = target_ns(c, h);
    if (idle_now(c) && h > c->idle_host)
        v += h - c->idle_host;              /* halted all along: host time passed */
    if (v < t)
        v = t;
    anchor(c, v, h);
    c->idle_host = h;
    c->idle_ic = *c->icount;
}

uint64_t clock_now(struct clock *c)
{
    if (c->fake)
        return c->fake_now;
    if (c->icount)
        return paced_now(c);
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
    if (!c->fake && c->icount)
        pace_steer(c);
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
        if (c->icount)
            c->v0 += ns;
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
