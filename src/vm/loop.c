/* The run loop: one vCPU, one timer queue, host fds.
 *
 * Each turn runs the timers that are due, then the vCPU's engine
 * (src/cpu/engine.h: the interpreter today) for one slice,
 * cut short to end near the next timer deadline (from the recently
 * measured instructions per host ns), so device interrupts arrive on time.
 * Host fds are also polled without blocking every LOOP_POLL_NS while the
 * guest is busy (typing into a busy guest). When the CPU halts, the loop
 * sleeps in poll() on the host fds the board registered (terminal, sockets)
 * until the next timer deadline, so an idle guest costs no host CPU; on
 * waking, the engine warms its caches (engine->woke). Virtual time is paced by the vCPU's instruction
 * count (clock_pace_by) and follows the host while the CPU is halted
 * (clock_idle), see src/vm/clock.c. A halt that nothing can end (IF=0 and no NMI
 * source, or IF=1 with no timer armed and no host input) is reported as a
 * stuck guest instead of hanging. CPU_EXIT_RESET (triple fault, reset
 * request) resets the board; guest-requested exits (test-exit device,
 * poweroff) end the loop with the guest's status. The --timeout and
 * --max-insns guards exist so a broken test cannot hang the suite.
 *
 * Left out: several vCPUs, a deterministic (instruction-counted) clock. */
#include "vm/loop.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

#include "cpu/cpu.h"
#include "cpu/engine.h"
#include "util/log.h"
#include "vm/boot.h"
#include "vm/machine.h"

static volatile sig_atomic_t stop_signal;
static struct cpu *volatile running_cpu;

void vm_loop_signal(int sig)
{
    stop_signal = sig;
    if (running_cpu)
        running_cpu->exit_req = CPU_EXIT_STOP;
}

static uint64_t host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* Where the guest was, for messages about a run that ended badly. */
static void report_where(struct machine *m)
{
    char codes[128];
    fprintf(stderr, "rawbox: at CS:EIP %04x:%08" PRIx32 ", %" PRIu64 " instructions run\n",
            m->cpu.s.seg[SEG_CS].sel, EIP(&m->cpu), m->cpu.icount);
    if (m->post.count) {
        post_format_recent(&m->post, codes, sizeof codes);
        fprintf(stderr, "rawbox: last POST codes: %s\n", codes);
    }
}

static int fail(struct machine *m, int status, const char *what)
{
    machine_cleanup(m);
    fprintf(stderr, "rawbox: %s\n", what);
    report_where(m);
    return status;
}

/* Wait up to timeout_ms (-1: for ever, 0: just look) for host input and
 * hand what is readable to the board's poll callbacks. */
static void poll_host(struct machine *m, int timeout_ms)
{
    struct pollfd fds[MACHINE_MAX_HOOKS];
    int n;

    machine_pc_sync_polls(m);
    for (n = 0; n < m->nr_polls; n++) {
        fds[n].fd = m->polls[n].fd;
        fds[n].events = POLLIN;
        fds[n].revents = 0;
    }
    if (poll(fds, (nfds_t)n, timeout_ms) <= 0)
        return;     /* timeout, or EINTR from a signal */
    for (int i = 0; i < n; i++)
        if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
            m->polls[i].fn(m->polls[i].opaque, fds[i].fd);
}

/* Instructions to run before the next timer deadline, within
 * [LOOP_MIN_SLICE, max]: exact when the clock is paced by the vCPU, else
 * estimated from the recent execution rate. */
static uint64_t slice_until(struct machine *m, uint64_t next_timer, uint64_t max, double rate)
{
    uint64_t vnow, n;
    if (next_timer == UINT64_MAX)
        return max;
    vnow = clock_now(&m->clock);
    if (next_timer <= vnow)
        return LOOP_MIN_SLICE < max ? LOOP_MIN_SLICE : max;
    n = clock_insns_until(&m->clock, next_timer);
    if (!n && rate <= 0)
        return max;
    if (!n)
        n = (uint64_t)((double)(next_timer - vnow) * rate) + 1;
    if (n < LOOP_MIN_SLICE)
        n = LOOP_MIN_SLICE;
    return n < max ? n : max;
}

/* Sleep until the next timer, host input, the --timeout deadline or a
 * signal. */
static void wait_idle(struct machine *m, uint64_t next_timer, uint64_t guard_deadline)
{
    uint64_t now = host_ns(), until = guard_deadline;
    int timeout_ms = -1;

    if (next_timer != UINT64_MAX) {
        uint64_t vnow = clock_now(&m->clock);
        uint64_t t = now + (next_timer > vnow ? next_timer - vnow : 0);
        if (!until || t < until)
            until = t;
    }
    if (until)
        timeout_ms = until <= now ? 0 : (int)((until - now + 999999) / 1000000);
    poll_host(m, timeout_ms);
}

/* The board's reset; without firmware, "reboot" means the --kernel boot
 * again. */
static int board_reset(struct machine *m)
{
    machine_reset(m);
    return !m->bios && boot_machine_reset(m) < 0 ? -1 : 0;
}

int vm_loop_run(struct machine *m, const struct loop_opts *o)
{
    struct cpu *cpu = &m->cpu;
    const struct engine_ops *eng = cpu->engine;
    uint64_t slice = o->slice ? o->slice : eng->slice ? eng->slice : LOOP_DEFAULT_SLICE;
    uint64_t start = host_ns();
    uint64_t guard = o->timeout_ns ? start + o->timeout_ns : 0;
    uint64_t insn_base = cpu->icount;
    uint64_t last_poll = start;
    double rate = 0;        /* instructions per host ns, recent average */
    char msg[160];

    running_cpu = cpu;
    /* Virtual time advances with the instructions run (see clock.h). */
    clock_pace_by(&m->clock, &cpu->icount);
    cpu->pace_q16 = &m->clock.base_q16;
    for (;;) {
        uint64_t n = slice, next;
        enum cpu_exit why;

        if (m->exit_requested)
            break;
        if (stop_signal) {
            snprintf(msg, sizeof msg, "stopped by signal %d", (int)stop_signal);
            running_cpu = NULL;
            return fail(m, 128 + stop_signal, msg);
        }
        if (guard && host_ns() >= guard) {
            snprintf(msg, sizeof msg, "timeout: guest still %s after %.3g s",
                     m->powered_off ? "powered off (-no-shutdown)" : "running",
                     (double)o->timeout_ns / 1e9);
            running_cpu = NULL;
            return fail(m, LOOP_EXIT_LIMIT, msg);
        }
        if (o->max_insns) {
            uint64_t done = cpu->icount - insn_base;
            if (done >= o->max_insns) {
                snprintf(msg, sizeof msg, "instruction limit reached: %" PRIu64 " instructions",
                         o->max_insns);
                running_cpu = NULL;
                return fail(m, LOOP_EXIT_LIMIT, msg);
            }
            if (o->max_insns - done < n)
                n = o->max_insns - done;
        }

        if (m->reset_requested) {
            m->reset_requested = false;
            if (board_reset(m) < 0) {
                running_cpu = NULL;
                return fail(m, LOOP_EXIT_STUCK, "guest reset, and the kernel cannot be loaded again");
            }
        }
        if (m->powered_off || m->paused) {
            /* -no-shutdown, or the monitor's stop: nothing runs; host
             * input (the monitor, the quit key), the --timeout guard or a
             * signal ends the wait. */
            wait_idle(m, UINT64_MAX, guard);
            continue;
        }
        next = clock_run_timers(&m->clock);
        n = slice_until(m, next, n, rate);
        uint64_t t0 = host_ns(), i0 = cpu->icount;
        why = eng->run(cpu, n);
        uint64_t t1 = host_ns();
        if (why == CPU_EXIT_SLICE && t1 > t0 && cpu->icount - i0 >= LOOP_MIN_SLICE) {
            double r = (double)(cpu->icount - i0) / (double)(t1 - t0);
            rate = rate > 0 ? 0.75 * rate + 0.25 * r : r;
        }
        if (m->exit_requested)
            break;
        if (t1 - last_poll >= LOOP_POLL_NS || __atomic_exchange_n(&m->io_kick, 0, __ATOMIC_ACQ_REL)) {
            /* Host input while the guest is busy; at once when a disk
             * request completed (pc_io_kick). */
            last_poll = t1;
            poll_host(m, 0);
        }

        switch (why) {
        case CPU_EXIT_HLT:
            if (!cpu_interruptible(cpu) && !m->nmi_source) {
                running_cpu = NULL;
                return fail(m, LOOP_EXIT_STUCK, "guest halted with interrupts disabled");
            }
            clock_idle(&m->clock);  /* time follows the host while halted */
            next = clock_run_timers(&m->clock);
            if (eng->wakeable(cpu))
                break;      /* an interrupt is waiting: run again */
            if (next == UINT64_MAX && m->nr_polls == 0 && !m->nmi_source) {
                running_cpu = NULL;
                return fail(m, LOOP_EXIT_STUCK, "guest halted and no timer or device can wake it");
            }
            wait_idle(m, next, guard);
            last_poll = host_ns();  /* wait_idle() just polled the host */
            if (eng->woke)
                eng->woke(cpu);
            break;
        case CPU_EXIT_RESET:
            if (m->cfg.no_reboot) {
                LOG(LOG_HW, "guest reset: the run ends (-no-reboot)");
                m->exit_status = 0;
                running_cpu = NULL;
                machine_cleanup(m);
                return 0;
            }
            if (board_reset(m) < 0) {
                running_cpu = NULL;
                return fail(m, LOOP_EXIT_STUCK, "guest reset, and the kernel cannot be loaded again");
            }
            break;
        case CPU_EXIT_SHUTDOWN:
            running_cpu = NULL;
            return fail(m, LOOP_EXIT_STUCK, "guest shut the CPU down");
        case CPU_EXIT_NONE:
        case CPU_EXIT_SLICE:
        case CPU_EXIT_STOP:
        case CPU_EXIT_USER:
            break;
        }
    }
    running_cpu = NULL;
    machine_cleanup(m);
    return m->exit_status;
}
