/* Unit tests for the virtual clock and timer queue (src/vm/clock.c): fake
 * time, ordering, re-arming and deleting from callbacks, stepping so each
 * callback sees its own deadline, the host clock's monotonicity. */
#include "test.h"
#include "vm/clock.h"

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
    return test_summary();
}
