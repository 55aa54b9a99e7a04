/* The seam between the run loop and whatever executes guest code: the
 * interpreter today (src/cpu/engine.c), the JIT and raw mode later. The
 * loop (src/vm/loop.c) decides which engine runs next and talks to it only
 * through these calls; every engine works on the same struct cpu_state
 * (src/cpu/state.h) and raises the same exits (enum cpu_exit).
 *
 * An engine that caches anything derived from guest memory subscribes
 * code_written to the physical map (physmem_add_code_writer) so a write
 * into a code page drops it, and empties it all on flush. */
#ifndef RAWBOX_CPU_ENGINE_H
#define RAWBOX_CPU_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"

struct engine_ops {
    const char *name;
    /* Run until about `budget` instructions retired, the CPU halts, or a
     * stop/reset is requested; returns why it stopped. */
    enum cpu_exit (*run)(struct cpu *cpu, uint64_t budget);
    /* Guest-physical `paddr` in a code page was written (physmem
     * subscriber; opaque is what the engine subscribed with). */
    void (*code_written)(void *opaque, uint64_t paddr, unsigned len);
    /* Forget everything decoded or translated. */
    void (*flush)(struct cpu *cpu);
    /* An interrupt or NMI would be taken now: a halted CPU wakes. */
    bool (*wakeable)(const struct cpu *cpu);
    /* The host thread slept (an idle guest): bring caches back in before
     * the next run. May be NULL. */
    void (*woke)(struct cpu *cpu);
    /* The vCPU goes away (cpu_free): release what the engine holds. May
     * be NULL. */
    void (*detach)(struct cpu *cpu);
    /* Instructions per run call when no guest timer is due sooner (0: the
     * loop's default): an engine whose every return costs a round trip
     * between processes asks for longer runs. */
    uint64_t slice;
};

/* The interpreter (src/cpu/exec.c with the decode cache). */
extern const struct engine_ops engine_interp;

/* A halted CPU could be woken by an interrupt at all: IF is set or an NMI
 * is pending (else a halt is for good unless an NMI source exists). */
static inline bool cpu_interruptible(const struct cpu *cpu)
{
    return (cpu->s.rflags & FL_IF) || cpu->nmi_pending;
}

#endif
