/* The recompiler as an engine (docs/jit.md): `--engine jit`. Hot guest code
 * is translated into host code blocks that run the interpreter's handlers
 * under the same contract (src/cpu/exec.h); cold code, and everything a
 * block cannot run (single-step, breakpoints, traces, pending events), goes
 * through the interpreter. */
#ifndef RAWBOX_JIT_JIT_H
#define RAWBOX_JIT_JIT_H

#include <stdbool.h>
#include <stdio.h>

#include "cpu/cpu.h"
#include "cpu/engine.h"

extern const struct engine_ops engine_jit;

/* Give this vCPU a recompiler (cpu->jit). The caller picks the engine:
 * engine_jit alone, or raw mode, which runs what cannot go native through
 * it (jit_run). False (with a one-line message on stderr) when the host
 * gives it no executable memory: nothing changes. */
bool jit_attach(struct cpu *cpu);

/* Run the vCPU through the recompiler as engine_jit.run does; for another
 * engine that hands code to it (raw mode). cpu->jit must be set. */
enum cpu_exit jit_run(struct cpu *cpu, uint64_t budget);
/* Forget every translation (engine flush). */
void jit_flush(struct cpu *cpu);
/* Release cpu->jit (engine detach); nothing when it is NULL. */
void jit_detach(struct cpu *cpu);

/* The --stats report (nothing when the vCPU never used the recompiler). */
void jit_print_stats(struct cpu *cpu, FILE *f);

#endif
