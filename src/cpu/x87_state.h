/* x87 save-state section (src/cpu/x87_state.c). */
#ifndef RAWBOX_CPU_X87_STATE_H
#define RAWBOX_CPU_X87_STATE_H

#include "cpu/cpu.h"

struct savestate;

/* Append the "x87" section. */
void x87_save(const struct cpu *cpu, struct savestate *ss);
/* Read the "x87" section into cpu->s.fpu; 0, or -1 with ss_error() set. */
int x87_load(struct cpu *cpu, struct savestate *ss);

#endif
