/* Unit tests for the virtual clock and timer queue (src/vm/clock.c): fake
 * time, ordering, re-arming and deleting from callbacks, stepping so each
 * callback sees its own deadline, the host clock's monotonicity. */
#include "test.h"
#include "vm/clock.h"

#include <time.h>

static struct clock clk;
static char order[32];
static int norder;
static uint64_t seen_now[8];

struct ctx { char tag; int idx; struct timer *other; uint64_t rearm; int runs; };

static void cb(void *o)
{
    struct ctx *c = o;
    c->runs++;
    if (norder < 31)
        order[norder++] = c->tag;
    if (c->idx >= 0 && c->idx < 8)
        seen_now[c->idx] = clock_now(&clk);
    if (c->other)
        timer_del(c->other);
}

static struct timer *self_timer;
static void periodic_cb(void *o)
{
    struct ctx *c = o;
    c->runs++;
    if (c->runs < 5)
        timer_mod(self_timer, clock_now(&clk) + c->rearm);
}

static uint64_t host_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

static void sleep_ns(uint64_t ns)
{
    struct timespec ts = { (time_t)(ns / NS_PER_SEC), (long)(ns % NS_PER_SEC) };
    nanosleep(&ts, NULL);
}

static int paced_fired;
static void paced_cb(void *o)
{
    (void)o;
    paced_fired++;
}

/* A host clock paced by an instruction counter (clock_pace_by). */
static void paced_tests(void)
{
    struct clock pc;
    uint64_t ic = 1000;
    clock_init(&pc);
    clock_pace_by(&pc, &ic);
    uint64_t v1 = clock_now(&pc);
    sleep_ns(3000000);
    CHECK_EQ(clock_now(&pc), v1, "paced: no instruction run, no time passes (a host stall is invisible)");
    ic += 1000;
    uint64_t v2 = clock_now(&pc);
    ic += 1000;
    uint64_t v3 = clock_now(&pc);
    CHECK(v2 > v1 && v3 - v2 == v2 - v1, "paced: equal instruction counts, equal time steps (%" PRIu64
          " %" PRIu64 ")", v2 - v1, v3 - v2);

    uint64_t vd = clock_now(&pc), k = clock_insns_until(&pc, vd + 1000000);
    ic += k;
    CHECK(clock_now(&pc) >= vd + 1000000 && clock_now(&pc) - (vd + 1000000) < 100,
          "paced: clock_insns_until reaches the deadline (%" PRIu64 " instructions)", k);
    CHECK_EQ(clock_insns_until(&pc, vd), 1, "paced: a due deadline needs 1 instruction");

    /* A guest loop of fixed-size turns across slice ends where the host
     * stalls: every turn costs the same virtual time within 4x, and
     * virtual time never goes backwards. */
    clock_init(&pc);            /* as the run loop does: pace, anchor, run */
    clock_pace_by(&pc, &ic);
    clock_run_timers(&pc);
    uint64_t prev = clock_now(&pc), dmin = UINT64_MAX, dmax = 0;
    bool mono = true;
    for (int turn = 0; turn < 20000; turn++) {
        if (turn % 1000 == 999) {
            /* A slice of 20000 instructions: ~200 us busy, sometimes a
             * 2 ms stall (preemption, host input). */
            uint64_t t = host_now();
            while (host_now() - t < 200000)
                ;
            if (turn % 5000 == 4999)
                sleep_ns(2000000);
            clock_run_timers(&pc);
        }
        ic += 20;
        uint64_t now = clock_now(&pc);
        if (now < prev)
            mono = false;
        else if (now - prev < dmin)
            dmin = now - prev;
        if (now >= prev && now - prev > dmax)
            dmax = now - prev;
        prev = now;
    }
    CHECK(mono, "paced: monotonic across re-anchoring");
    CHECK(dmin > 0 && dmax <= 4 * dmin, "paced: turn cost varies at most 4x across host stalls "
          "(min %" PRIu64 " max %" PRIu64 ")", dmin, dmax);

    /* Steering: instructions at ~1 per 10 host ns (busy host), virtual
     * time stays near host time. */
    uint64_t h0 = host_now(), hlast = h0;
    while (host_now() - h0 < 100000000ull) {
        uint64_t t = host_now();
        while (host_now() - t < 200000)
            ;
        ic += 20000;
        /* Host time read before the clock's own look at it: host time the
         * test loses after that (preempted on a loaded host) is not lag. */
        hlast = host_now();
        clock_run_timers(&pc);
    }
    uint64_t target = hlast - pc.host_start + pc.offset, v = clock_now(&pc);
    int64_t lag = (int64_t)(target - v);
    CHECK(lag < (int64_t)CLOCK_PACE_MAX_LAG && lag > -(int64_t)CLOCK_PACE_MAX_LAG,
          "paced: steered to within CLOCK_PACE_MAX_LAG of host time (lag %" PRId64 " ns)", lag);

    /* A long stall while running: the lag is capped (a visible jump). */
    sleep_ns(CLOCK_PACE_MAX_LAG + 20000000ull);
    ic += 100;
    clock_run_timers(&pc);
    target = host_now() - pc.host_start + pc.offset;
    v = clock_now(&pc);
    CHECK(target - v <= CLOCK_PACE_MAX_LAG + 5000000ull, "paced: lag beyond the cap is dropped");

    /* Halted: catch up, then follow the host; a timer ends the sleep. */
    clock_idle(&pc);
    target = host_now() - pc.host_start + pc.offset;
    v = clock_now(&pc);
    CHECK(v + 1000000 >= target, "paced: clock_idle catches up with host time");
    struct timer pt;
    timer_init(&pt, &pc, paced_cb, NULL);
    timer_mod(&pt, v + 3000000);
    clock_run_timers(&pc);
    CHECK_EQ(paced_fired, 0, "paced: idle timer not yet due");
    sleep_ns(4000000);
    clock_run_timers(&pc);
    CHECK(clock_now(&pc) >= v + 4000000, "paced: time follows the host while halted");
    CHECK_EQ(paced_fired, 1, "paced: a halted guest's timer fires after the host sleep");
    uint64_t w = clock_now(&pc);
    ic += 1;
    CHECK(clock_now(&pc) >= w, "paced: running again continues from the idle time");
    clock_advance(&pc, NS_PER_SEC);
    CHECK(clock_now(&pc) >= w + NS_PER_SEC, "paced: clock_advance warps a paced clock");
    /* Ahead of the host (after the warp) and halted: each clock_idle()
     * still adds the host time since the last one. */
    clock_idle(&pc);
    uint64_t i1 = clock_now(&pc);
    sleep_ns(3000000);
    clock_idle(&pc);
    CHECK(clock_now(&pc) >= i1 + 3000000, "paced: repeated clock_idle follows host time when ahead");
    clock_pace_by(&pc, NULL);
    CHECK(clock_now(&pc) + NS_PER_SEC / 10 >= host_now() - pc.host_start + pc.offset,
          "paced: pacing off goes back to host time");
}

int main(void)
{
    struct timer a, b, c, d;
    struct ctx ca = { 'a', 0, NULL, 0, 0 }, cb_ = { 'b', 1, NULL, 0, 0 },
               cc = { 'c', 2, NULL, 0, 0 }, cd = { 'd', 3, NULL, 0, 0 };
    clock_init_fake(&clk);
    CHECK_EQ(clock_now(&clk), 0, "fake clock starts at 0");
    CHECK_EQ(clock_next_deadline(&clk), UINT64_MAX, "no timer: next deadline is UINT64_MAX");
    timer_init(&a, &clk, cb, &ca);
    timer_init(&b, &clk, cb, &cb_);
    timer_init(&c, &clk, cb, &cc);
    timer_init(&d, &clk, cb, &cd);
    timer_mod(&a, 300);
    timer_mod(&b, 100);
    timer_mod(&c, 200);
    timer_mod(&d, 200);
    CHECK_EQ(clock_next_deadline(&clk), 100, "earliest deadline first");
    clock_advance(&clk, 99);
    CHECK_EQ(norder, 0, "nothing runs before its deadline");
    clock_advance(&clk, 1000);
    order[norder] = 0;
    CHECK_STR(order, "bcda", "timers run in deadline order, FIFO among equals");
    CHECK(seen_now[1] == 100 && seen_now[2] == 200 && seen_now[0] == 300,
          "each callback sees clock_now() equal to its deadline");
    CHECK_EQ(clock_now(&clk), 1099, "clock ends at the target");
    CHECK(!a.armed && !b.armed, "run timers are disarmed");

    /* Re-arm moves a timer; delete removes it. */
    norder = 0;
    timer_mod(&a, 2000);
    timer_mod(&b, 1500);
    timer_mod(&a, 1200);
    timer_del(&b);
    CHECK_EQ(clock_next_deadline(&clk), 1200, "re-armed timer moved earlier");
    clock_advance(&clk, 1000);
    order[norder] = 0;
    CHECK_STR(order, "a", "deleted timer does not run");

    /* A callback deleting another due timer. */
    norder = 0;
    ca.other = &b;
    timer_mod(&a, 2200);
    timer_mod(&b, 2200);
    clock_advance(&clk, 500);
    order[norder] = 0;
    CHECK_STR(order, "a", "a callback can delete another timer due at the same time");
    ca.other = NULL;

    /* A periodic timer re-arming itself from its callback. */
    struct timer p;
    struct ctx cp = { 'p', -1, NULL, 10, 0 };
    self_timer = &p;
    timer_init(&p, &clk, periodic_cb, &cp);
    timer_mod(&p, clock_now(&clk) + 10);
    clock_advance(&clk, 1000);
    CHECK_EQ(cp.runs, 5, "self re-arming timer runs until it stops re-arming");

    /* clock_run_timers on a fake clock runs only what is due. */
    norder = 0;
    timer_mod(&a, clock_now(&clk));
    timer_mod(&b, clock_now(&clk) + 5);
    uint64_t next = clock_run_timers(&clk);
    order[norder] = 0;
    CHECK_STR(order, "a", "clock_run_timers runs due timers");
    CHECK_EQ(next, clock_now(&clk) + 5, "and returns the next deadline");
    timer_del(&b);

    /* Host clock. */
    struct clock h;
    clock_init(&h);
    uint64_t t1 = clock_now(&h), t2 = clock_now(&h);
    CHECK(t2 >= t1, "host clock is monotonic");
    CHECK(t1 < NS_PER_SEC, "host clock starts near 0");
    clock_advance(&h, 5 * NS_PER_SEC);
    CHECK(clock_now(&h) >= t2 + 5 * NS_PER_SEC, "advancing a host clock warps it forward");

    paced_tests();
    return test_summary();
}
