/* The interpreter as an engine (src/cpu/engine.h): cpu_run() executes
 * decoded records from the decode cache, which listens for code writes and
 * is warmed after an idle sleep (dcache_warm: an idle guest's timer tick
 * otherwise finds it and the TLB cold, one dependent miss at a time). */
#include "cpu/engine.h"

#include "cpu/dcache.h"

static void interp_flush(struct cpu *cpu)
{
    if (cpu->dcache)
        dcache_flush(cpu->dcache);
    cpu->fetch_page = NULL;
}

/* SDM vol. 3A 6.8.1: INTR is taken with IF set, NMI unless blocked; the
 * interrupt shadow only delays delivery by an instruction. */
static bool interp_wakeable(const struct cpu *cpu)
{
    return (cpu->intr && (cpu->s.rflags & FL_IF)) || cpu->nmi_pending;
}

static void interp_woke(struct cpu *cpu)
{
    dcache_warm(cpu->dcache);
}

const struct engine_ops engine_interp = {
    .name = "interpreter",
    .run = cpu_run,
    .code_written = dcache_code_write,
    .flush = interp_flush,
    .wakeable = interp_wakeable,
    .woke = interp_woke,
};
