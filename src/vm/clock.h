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
    uint64_t offset;            /* host target = host - host_start + offset */
    struct timer *head;
    /* Paced by a vCPU (clock_pace_by): virtual time is
     * v0 + (*icount - ic0) * rate, re-anchored and steered towards the
     * host target at every clock_run_timers() and clock_idle(). */
    const uint64_t *icount;
    uint64_t v0, ic0, h0;       /* anchor: virtual ns, instructions, host ns */
    uint64_t rate_q16;          /* virtual ns per instruction, 16.16 */
    uint64_t base_q16;          /* measured host ns per instruction, 16.16 */
    uint64_t idle_host;         /* host ns at the last clock_idle() */
    uint64_t idle_ic;           /* *icount then */
};

void clock_init(struct clock *c);           /* host monotonic */
void clock_init_fake(struct clock *c);      /* starts at 0, advanced by hand */
uint64_t clock_now(struct clock *c);
/* Host clock only: from now on virtual time advances with the instructions
 * *icount counts, a fixed number of virtual ns each, so a guest polling
 * loop sees the same time pass on every turn however the host schedules
 * the interpreter (what Linux's PIT/TSC calibration needs). The rate
 * follows the measured host ns per instruction and is steered so virtual
 * time stays within CLOCK_PACE_MAX_LAG of host time; while the vCPU is
 * halted the board calls clock_idle() and time follows the host. NULL
 * turns pacing off. */
void clock_pace_by(struct clock *c, const uint64_t *icount);
/* The paced vCPU is halted: virtual time catches up with host time and
 * then follows it until instructions run again. No-op when not paced. */
void clock_idle(struct clock *c);
#define CLOCK_PACE_MAX_LAG 50000000ull      /* ns: a longer stall is a visible jump */
/* Paced clock: instructions to run from now until virtual time reaches
 * `deadline` at the current rate (at least 1), so a slice can end exactly
 * at the next timer. 0 when the clock is not paced. */
uint64_t clock_insns_until(struct clock *c, uint64_t deadline);
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
