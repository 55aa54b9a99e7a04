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

/* Make the recompiler run this vCPU. False (with a one-line message on
 * stderr) when the host gives it no executable memory: the vCPU stays on
 * its current engine. */
bool jit_attach(struct cpu *cpu);

/* The --stats report (nothing when the vCPU never used the recompiler). */
void jit_print_stats(struct cpu *cpu, FILE *f);

#endif
