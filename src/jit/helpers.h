/* The C functions translated code calls (src/jit/helpers.c). */
#ifndef RAWBOX_JIT_HELPERS_H
#define RAWBOX_JIT_HELPERS_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"

/* A guest load or store of 1, 2, 4 or 8 bytes at seg:off, as an
 * instruction's memory operand does it (may raise a guest fault). */
typedef uint64_t (*jit_ld_fn)(struct cpu *cpu, unsigned seg, uint64_t off);
typedef void (*jit_st_fn)(struct cpu *cpu, unsigned seg, uint64_t off, uint64_t v);

/* Condition cc (0..15) from the lazy flags (cpu_cond). */
uint64_t jit_cond(struct cpu *cpu, unsigned cc);
/* Fetch, decode and run the instruction at CS:RIP as the interpreter does
 * with one it cannot cache (it crosses into the next page): its bytes are
 * read at every execution, so writes to either page and mappings that
 * change need nothing else. The caller retires it (s.rip = next_rip). */
void jit_exec_fetched(struct cpu *cpu);
/* INT n outside V86 mode, as a handler: the interrupt delivered (or what
 * its delivery raised), s.rip at the handler; not counted as retired, as
 * in the interpreter, where op_int_Ib unwinds. */
void jit_int_soft(struct cpu *cpu, const struct insn *i);
/* EFLAGS' arithmetic bits computed from the lazy record (rotates). */
void jit_materialize(struct cpu *cpu);
/* engine.c: after an instruction that changed the mode (emit_mode_exits):
 * the event mask for the new state, and its mode key without JIT_KEY_FAR;
 * 0 when the run loop must look (an event to deliver, debug state). */
uint32_t jit_exit_key(struct cpu *cpu);
/* CF from the lazy flags. */
uint64_t jit_cf(struct cpu *cpu);

/* The helper for a size, in 64-bit mode or not. */
jit_ld_fn jit_ld_helper(unsigned size, bool long64);
jit_st_fn jit_st_helper(unsigned size, bool long64);

#endif
