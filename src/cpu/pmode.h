/* Helpers shared by the protected-mode machinery (seg.c, farjmp.c, task.c,
 * except.c, system.c): descriptor predicates, stacks other than the current
 * one, the TSS ring stacks and a register snapshot that lets multi-step
 * transfers (gates, interrupts) roll back when a later step faults.
 * Private to those files; everything else uses seg.h and except.h. */
#ifndef RAWBOX_CPU_PMODE_H
#define RAWBOX_CPU_PMODE_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include "cpu/cpu.h"
#include "cpu/seg.h"

/* Descriptor type predicates on the attribute word (desc_attr()). */
static inline bool attr_is_code(uint16_t a) { return (a & SEGA_S) && (a & 8); }
static inline bool attr_is_data(uint16_t a) { return (a & SEGA_S) && !(a & 8); }
static inline bool attr_conforming(uint16_t a) { return attr_is_code(a) && (a & 4); }
static inline bool attr_readable(uint16_t a) { return attr_is_data(a) || (a & 2); }
static inline bool attr_writable_data(uint16_t a) { return attr_is_data(a) && (a & 2); }
static inline bool attr_expand_down(uint16_t a) { return attr_is_data(a) && (a & 4); }
static inline unsigned attr_sys_type(uint16_t a) { return (a & SEGA_S) ? 0x10u : (a & 0xfu); }

/* System descriptor types (S = 0). */
enum {
    DT_TSS16_AVAIL = 1, DT_LDT = 2, DT_TSS16_BUSY = 3, DT_CALLGATE16 = 4,
    DT_TASKGATE = 5, DT_INTGATE16 = 6, DT_TRAPGATE16 = 7,
    DT_TSS32_AVAIL = 9, DT_TSS32_BUSY = 0xb, DT_CALLGATE32 = 0xc,
    DT_INTGATE32 = 0xe, DT_TRAPGATE32 = 0xf,
};

/* Gate fields. */
static inline uint16_t gate_sel(struct desc d) { return (uint16_t)(d.lo >> 16); }
static inline uint32_t gate_off(struct desc d)
{
    return (d.lo & 0xffff) | (d.hi & 0xffff0000u);
}

/* Is `off`..`off+size-1` inside a segment with these attributes and limit
 * (expand-down data segments count from limit+1 up to 0xffff/0xffffffff)? */
bool seg_range_ok(uint16_t attr, uint32_t limit, uint32_t off, unsigned size);

/* Load CS from a checked code descriptor: selector RPL becomes `cpl`,
 * cpu->s.cpl, code_size and the mode are updated. */
void seg_load_cs_desc(struct cpu *cpu, uint16_t sel, struct desc d, unsigned cpl);
/* Load a segment register from a descriptor without checks. */
void seg_load_desc(struct cpu *cpu, int seg, uint16_t sel, struct desc d);
/* Make a data segment register null (selector `sel`, unusable cache). */
void seg_load_null(struct cpu *cpu, int seg, uint16_t sel);
/* V86-mode load: base sel << 4, limit 0xffff, DPL 3 present data/code. */
void seg_load_v86(struct cpu *cpu, int seg, uint16_t sel);
/* After a return to an outer level: DS ES FS GS holding a data or
 * non-conforming code segment with DPL < CPL are nulled (SDM RET/IRET):
 * selector 0 and unusable, the hidden base and limit kept. */
void seg_null_outer(struct cpu *cpu);
/* Check a new SS for an inner-level transfer (call gate, interrupt):
 * faults with `vec` (EXC_TS) and the selector on every failed test,
 * #SS(sel) when not present. Returns the descriptor. */
struct desc seg_check_new_ss(struct cpu *cpu, uint16_t ss, unsigned dpl, unsigned vec);

/* A stack being built: the current one or an inner-ring one from the TSS.
 * Pushes check the limit (fault vector/code given) and write through the
 * linear address with supervisor or user paging. */
struct stk {
    uint32_t base, limit;
    uint16_t attr;
    uint32_t esp;
    bool big;           /* B bit: 32-bit stack pointer */
    int user;           /* paging privilege of the writes */
    unsigned fvec;      /* fault on limit violation */
    uint32_t fcode;
};
void stk_from_seg(struct cpu *cpu, struct stk *s, const struct seg *sg, uint32_t esp,
                  unsigned fvec, uint32_t fcode, int user);
void stk_push(struct cpu *cpu, struct stk *s, uint32_t v, unsigned size);
/* Check room for `bytes` below the stack pointer before any push. */
void stk_reserve(struct cpu *cpu, struct stk *s, unsigned bytes);

/* Read SS:ESP for privilege level `dpl` from the current TSS (16- or 32-bit
 * TSS format). Faults #TS(TR selector) when the TSS is too short. */
void tss_ring_stack(struct cpu *cpu, unsigned dpl, uint16_t *ss, uint32_t *esp);
/* Is the current TR a 32-bit TSS? */
static inline bool tss_is32(const struct cpu *cpu) { return (cpu->s.seg[SEG_TR].attr & 8) != 0; }

/* Snapshot of the state a far transfer may change. */
struct cpu_snap {
    uint64_t gpr[8];
    uint64_t rip;
    uint32_t eflags;
    struct lazyflags lf;
    struct seg seg[SEG_ALL];
    uint8_t cpl, code_size, stack_size;
    enum cpu_mode mode;
    uint64_t cr0, next_rip;
};
void snap_save(const struct cpu *cpu, struct cpu_snap *s);
void snap_restore(struct cpu *cpu, const struct cpu_snap *s);

/* Called by task_switch() at its commit point: an interrupt delivery in
 * progress must not roll the CPU back past it. */
void except_task_committed(struct cpu *cpu);

/* Set CPL and the cached mode facts after CS/EFLAGS.VM/CR0 changed. */
void pm_set_cpl(struct cpu *cpu, unsigned cpl);

/* Interrupt/exception delivery with EFER.LMA (src/cpu/except64.c): the
 * 16-byte IDT gate, IST/RSPn stacks and the 64-bit frame. */
void deliver_long(struct cpu *cpu, unsigned vec, uint32_t code, bool has_code,
                  uint64_t ret_rip, bool soft, bool set_rf);
/* Checks shared by the far transfers (src/cpu/farjmp.c): the descriptor
 * of a selector (#GP(0) when null, #GP(sel) beyond the table); a code
 * segment reached by JMP/CALL without a privilege change (`rpl_check`
 * false: a gate's RPL was checked already; in IA-32e mode L=1 with D=1 is
 * #GP(sel), SDM vol. 3A 5.2.1); the CS and the outer SS of a RETF/IRET
 * (SDM vol. 2 RET "RETURN-TO-SAME/OUTER-PRIVILEGE-LEVEL"). */
struct desc far_desc_or_gp(struct cpu *cpu, uint16_t sel);
void far_check_code(struct cpu *cpu, uint16_t sel, struct desc d, bool rpl_check);
struct desc ret_check_cs(struct cpu *cpu, uint16_t sel);
struct desc ret_check_ss(struct cpu *cpu, uint16_t ss, unsigned rpl);

/* Far JMP/CALL/RETF and IRET with EFER.LMA, in 64-bit and compatibility
 * mode (src/cpu/farlong.c): 16-byte call gates, 64-bit offsets. */
void far_jmp_long(struct cpu *cpu, uint16_t sel, uint64_t off, unsigned opsize);
void far_call_long(struct cpu *cpu, uint16_t sel, uint64_t off, unsigned opsize);
void far_ret_long(struct cpu *cpu, unsigned opsize, uint16_t imm);
void iret_long(struct cpu *cpu, unsigned opsize);

/* RSP for privilege level n (0-2) or IST entry n (1-7) of the 64-bit TSS
 * at byte `off` of it (#TS(TR) beyond TR's limit; src/cpu/except64.c). */
uint64_t tss64_stack(struct cpu *cpu, unsigned off);

/* Write a complete EFLAGS image (no privilege rules), keeping mode facts. */
void pm_set_eflags(struct cpu *cpu, uint32_t v);

#endif
