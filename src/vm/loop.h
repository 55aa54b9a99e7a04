/* The run loop (src/vm/loop.c): runs the vCPU in slices, fires due timers,
 * sleeps while the guest halts, and ends the run with an exit status. */
#ifndef RAWBOX_VM_LOOP_H
#define RAWBOX_VM_LOOP_H

#include <stdint.h>

struct machine;

struct loop_opts {
    uint64_t max_insns;     /* 0 = no limit; exit 124 when reached */
    uint64_t timeout_ns;    /* host wall time; 0 = none; exit 124 */
    uint64_t slice;         /* instructions per cpu_run call; 0 = default */
};

#define LOOP_DEFAULT_SLICE 200000
#define LOOP_EXIT_LIMIT    124      /* as timeout(1) */
/* A guest that stops for good. Even, so that it can never be mistaken for a
 * test-exit status ((V<<1)|1 is odd; 1 is a passing test). */
#define LOOP_EXIT_STUCK    4
#define LOOP_MIN_SLICE     1000     /* instructions, when a timer is due soon */
#define LOOP_POLL_NS       2000000ull   /* host input checked this often while busy */

/* Returns the process exit status: the guest's (test-exit, poweroff), 124
 * for --timeout/--max-insns, 4 for a stuck or shut-down guest, 128+signal
 * when interrupted. Prints one line saying why, except for guest exits. */
int vm_loop_run(struct machine *m, const struct loop_opts *o);

/* Async-signal-safe: ask the loop to stop with 128+sig. */
void vm_loop_signal(int sig);

#endif
