/* Debug registers: hardware breakpoints and single-step (src/cpu/debug.c).
 *
 * How the interpreter loop uses it (src/cpu/exec.c):
 *   before fetching an instruction, when (cpu->s.dr[7] & 0xff) != 0:
 *       if (debug_insn_breakpoint(cpu, cs_base + eip))
 *           except_raise(cpu, EXC_DB, EXC_NO_CODE);      // a fault
 *   then clear EFLAGS.RF (an instruction that completes clears it;
 *   IRET/POPF may set it again while they execute);
 *   after the handler returned, with tf = EFLAGS.TF sampled before it ran:
 *       if (tf | cpu->pending_db)
 *           debug_after_insn(cpu, tf);                     // trap, delivers
 *   and when a fault unwinds: cpu->pending_db = 0; cpu->db_status = 0.
 * I/O instructions call debug_io() after the access. */
#ifndef RAWBOX_CPU_DEBUG_H
#define RAWBOX_CPU_DEBUG_H

#include <stdbool.h>
#include <stdint.h>
#include "cpu/cpu.h"

#define DR6_B0    0x0001u
#define DR6_BD    0x2000u   /* debug-register access with DR7.GD */
#define DR6_BS    0x4000u   /* single step */
#define DR6_BT    0x8000u   /* task switch with T bit */
#define DR6_FIXED 0xffff0ff0u   /* reads as one on P6 */
#define DR7_GD    0x2000u
#define DR7_FIXED 0x00000400u

/* True when an enabled execute breakpoint matches linear address `lin`
 * and EFLAGS.RF is clear; DR6 has then been updated. The caller raises
 * #DB as a fault. */
bool debug_insn_breakpoint(struct cpu *cpu, uint64_t lin);

/* After an instruction completed: deliver the pending #DB trap (data
 * breakpoints hit, I/O breakpoints, and single step when `tf` — EFLAGS.TF
 * at the instruction's start — is set). Clears the pending state. */
void debug_after_insn(struct cpu *cpu, uint32_t tf);

/* Recompute the data-breakpoint pages after DR0-3 or DR7 changed. */
void debug_update(struct cpu *cpu);

/* Called by the memory layer's slow path for accesses to pages holding a
 * data breakpoint. `acc` is ACC_READ or ACC_WRITE. */
void debug_data_access(struct cpu *cpu, uint64_t lin, unsigned size, int acc);

/* I/O breakpoints (R/W = 10 with CR4.DE): call after IN/OUT/INS/OUTS. */
void debug_io(struct cpu *cpu, uint16_t port, unsigned size);

#endif
