/* Port I/O from instructions (src/cpu/io.c): the I/O privilege check shared
 * by IN, OUT, INS and OUTS (Intel SDM vol. 1 ch. 19.5: IOPL and the TSS I/O
 * permission bitmap). */
#ifndef RAWBOX_CPU_IO_H
#define RAWBOX_CPU_IO_H

#include <stdint.h>
#include "cpu/cpu.h"

/* Raise #GP(0) unless the current privilege may access `size` bytes at
 * `port`: always allowed in real mode and when CPL <= IOPL in protected
 * mode; otherwise (and always in V86 mode) every bit of the range in the
 * TSS I/O bitmap must be clear and inside the TSS limit. */
void io_check(struct cpu *cpu, uint16_t port, unsigned size);

#endif
