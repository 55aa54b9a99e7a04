/* Exceptions and interrupt delivery (src/cpu/except.c).
 *
 * except_raise() is the only way a handler reports a guest fault: it records
 * vector and error code and unwinds to the instruction boundary in cpu_run(),
 * which restores EIP/ESP and delivers the event (Intel SDM vol. 3, ch. 6:
 * benign/contributory/page-fault classes decide #DF; a fault while delivering
 * #DF is a triple fault and resets the machine). */
#ifndef RAWBOX_CPU_EXCEPT_H
#define RAWBOX_CPU_EXCEPT_H

#include <stdint.h>
#include "cpu/cpu.h"

#define EXC_NO_CODE 0xffffffffu   /* the vector pushes no error code */

/* Raise a fault (EIP of the faulting instruction is pushed). */
_Noreturn void except_raise(struct cpu *cpu, unsigned vector, uint32_t code);

/* Shorthands. Error code 0 where the vector defines one. */
_Noreturn void except_gp(struct cpu *cpu, uint32_t code);
_Noreturn void except_ss(struct cpu *cpu, uint32_t code);
_Noreturn void except_np(struct cpu *cpu, uint32_t code);
_Noreturn void except_ts(struct cpu *cpu, uint32_t code);
_Noreturn void except_ud(struct cpu *cpu);
_Noreturn void except_pf(struct cpu *cpu, uint64_t lin, uint32_t code);

/* Software interrupt (INT n, INT3, INTO, INT1/ICEBP): delivered as a trap
 * with the return address cpu->next_rip. Kinds, also accepted by
 * except_deliver():
 *   INT_SOFT            INT n, INT3, INTO: gate DPL checked against CPL, no
 *                       error code, EXT clear (the V86 IOPL check of INT n
 *                       is made by its handler before raising);
 *   INT_ICEBP           INT1: no DPL check, EXT set;
 *   INT_EXCEPTION_TRAP  a trap-class hardware exception (single-step #DB):
 *                       no DPL check, no error code. */
_Noreturn void except_soft_int(struct cpu *cpu, unsigned vector, int kind);
enum { INT_SOFT = 1, INT_ICEBP = 2, INT_EXCEPTION_TRAP = 3 };

/* Deliver an event now, outside any handler (external interrupt, NMI, or
 * an exception being delivered by cpu_run()). `ret_eip` is the EIP pushed.
 * Nested faults during delivery are handled here (#DF, triple fault).
 * Returns the kind that was delivered in the end: `kind` (after a
 * software interrupt unwound as an exception, the kind it recorded), or
 * EV_EXCEPTION when a fault during delivery replaced the event. */
int except_deliver(struct cpu *cpu, unsigned vector, uint32_t code,
                   uint64_t ret_eip, int kind);
enum { EV_EXCEPTION = 0, EV_EXTINT = 4, EV_NMI = 5 };

#endif
