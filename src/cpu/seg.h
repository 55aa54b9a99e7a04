/* Segmentation (src/cpu/seg.c): descriptor reads and segment register
 * loads with every check of Intel SDM vol. 3 ch. 5, and the far control
 * transfers that go through descriptors (src/cpu/farjmp.c, task.c). */
#ifndef RAWBOX_CPU_SEG_H
#define RAWBOX_CPU_SEG_H

#include <stdbool.h>
#include <stdint.h>
#include "cpu/cpu.h"

/* A raw 8-byte descriptor split into its fields. */
struct desc {
    uint32_t lo, hi;
};
static inline uint32_t desc_base(struct desc d)
{
    return (d.lo >> 16) | ((d.hi & 0xff) << 16) | (d.hi & 0xff000000u);
}
static inline uint32_t desc_limit(struct desc d)
{
    uint32_t l = (d.lo & 0xffff) | (d.hi & 0x000f0000u);
    return (d.hi & 0x00800000u) ? (l << 12) | 0xfff : l;
}
static inline uint16_t desc_attr(struct desc d)
{
    return (uint16_t)((d.hi >> 8) & 0xf0ff);
}

/* Load a segment register as MOV/POP/LDS... do, with the mode's checks
 * (real/V86: base = sel << 4, attributes kept or set as hardware does). */
void seg_load(struct cpu *cpu, int seg, uint16_t sel);
/* Load without checks from a descriptor (task switch, SYSENTER, reset). */
void seg_load_cache(struct cpu *cpu, int seg, uint16_t sel, uint64_t base,
                    uint32_t limit, uint16_t attr);
/* Real-mode style load: base = sel << 4, limit and attributes unchanged
 * (except CS in real mode, whose attributes are not touched either). */
void seg_load_real(struct cpu *cpu, int seg, uint16_t sel);

/* Read the descriptor for a selector from the GDT or LDT. Returns false if
 * the index is beyond the table limit (caller raises the right fault). */
bool desc_fetch(struct cpu *cpu, uint16_t sel, struct desc *d);
/* The upper 8 bytes of a 16-byte IA-32e system descriptor (call gate,
 * LDT, TSS) at `sel`; false if they lie beyond the table limit. */
bool desc_fetch_upper(struct cpu *cpu, uint16_t sel, uint64_t *upper);
/* Set the accessed bit of a descriptor in memory. */
void desc_set_accessed(struct cpu *cpu, uint16_t sel, struct desc *d);

/* Far transfers (JMP/CALL ptr16:16/32, m16:16/32/64; RETF; IRET). `opsize`
 * is 2 or 4, and 8 (REX.W) in 64-bit mode. They handle real, V86 and
 * protected mode with call gates, conforming code, privilege changes and
 * task gates/TSS targets, and IA-32e mode with 64-bit call gates. */
void far_jmp(struct cpu *cpu, uint16_t sel, uint64_t off, unsigned opsize);
void far_call(struct cpu *cpu, uint16_t sel, uint64_t off, unsigned opsize);
void far_ret(struct cpu *cpu, unsigned opsize, uint16_t imm);
void far_iret(struct cpu *cpu, unsigned opsize);

/* Hardware task switch (src/cpu/task.c). `reason` says how the switch
 * happened, which decides busy bits, NT and the back link. */
enum { TS_JMP, TS_CALL, TS_IRET, TS_INT };
void task_switch(struct cpu *cpu, uint16_t sel, struct desc d, int reason,
                 bool push_code, uint32_t code);

#endif
