/* Specialised handlers for the hottest instruction forms (src/cpu/fastops.c).
 *
 * fastops_specialize() replaces a freshly decoded record's generic handler
 * with one made for its operand size and operand kinds when there is one;
 * it leaves the record alone otherwise. Only the interpreter's records go
 * through it (decode_insn), never decode_bytes(). */
#ifndef RAWBOX_CPU_FASTOPS_H
#define RAWBOX_CPU_FASTOPS_H

#include "cpu/insn.h"

/* code_size: the code size the record was decoded for (2, 4, 8); records
 * of 64-bit code take spec64.def's rows (src/cpu/fastops64.c). */
void fastops_specialize(struct insn *i, unsigned code_size);

#endif
