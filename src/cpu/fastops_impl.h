/* What the specialised handlers of src/cpu/fastops.c (16/32-bit code)
 * and src/cpu/fastops64.c (64-bit code) share: the chaining step, the
 * quick flag readers and the selection rows (spec.def, spec64.def).
 * Internal to those two files. */
#ifndef RAWBOX_CPU_FASTOPS_IMPL_H
#define RAWBOX_CPU_FASTOPS_IMPL_H

#include "cpu/alu.h"
#include "cpu/dcache.h"
#include "cpu/exec.h"
#include "cpu/fastops.h"
#include "cpu/optable.h"

#define H(name) void name(struct cpu *cpu, const struct insn *i);
#include "cpu/handlers.def"
#undef H

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* Run the next record straight from this handler when the loop would do
 * nothing else (exec.c's run_loop): no event is pending, the slice is not
 * over (cpu->run_end, which run_loop sets to 0 while breakpoints are
 * enabled or TF/RF is set: no debug trap can be due), the next instruction
 * is already decoded on the same code page and lies within the CS limit.
 * The next record is the following one when the decode cache chained them
 * (seq_next), else the page's index entry for the new EIP: the current
 * instruction is on cpu->fetch_page's page (chains start only from records
 * fetch() found there and move only within it), so a fall-through without
 * seq_next and a taken branch (Jcc, JMP, CALL, RET) to the same page
 * continue the chain too. The instruction is retired here as run_loop
 * would, and cpu->cur tells run_loop which record ran last.
 *
 * Called last in a handler, so the compiler makes the call a jump: each
 * handler then has its own indirect jump, which the host predicts better
 * than the loop's single call. Without that optimisation (-O1 and
 * sanitizer builds) every chained record is a stack frame: run_loop sets
 * cpu->run_end at most CHAIN_MAX instructions ahead, which bounds it. */
static inline __attribute__((always_inline)) void fo_next(struct cpu *cpu, const struct insn *i)
{
    uint64_t eip = cpu->s.rip, nx = cpu->next_rip;
    const struct dpage *dp = cpu->fetch_page;
    const struct insn *n;
    if (cpu->attn || !dp || cpu->icount + 1 >= cpu->run_end)
        return;
    if (nx == eip + i->len && i->seq_next) {
        n = i + 1;
    } else {
        uint64_t base = cpu->s.seg[SEG_CS].base, lin = base + nx;
        unsigned k;
        if (((base + eip) ^ lin) & ~(uint64_t)0xfff)
            return;
        if (!(k = dp->idx[lin & 0xfffu]))
            return;
        n = &dp->insns[k - 1];
    }
    if (!exec_in_cs_limit(cpu, nx, n))
        return;
    exec_retire(cpu);
    exec_begin(cpu, n, nx);
    n->fn(cpu, n);
}

/* CF from the lazy record: the quick cases of flags.h inline, the rest
 * through flag_cf(). */
static inline __attribute__((always_inline)) uint32_t cf_fast(struct cpu *cpu)
{
    int q = flags_cf_quick(&cpu->s.lf);
    return q >= 0 ? (uint32_t)q : flag_cf(cpu);
}

/* Condition `cc` from the lazy record where that is cheap: compares and
 * logic results, and ZF/SF (taken from the result by every lazy op);
 * the rest through cpu_cond(). */
static inline __attribute__((always_inline)) bool cond(struct cpu *cpu, unsigned cc)
{
    int q = flags_cond_quick(&cpu->s.lf, cc);
    return q >= 0 ? q : cpu_cond(cpu, cc);
}

/* ---- selection rows ---- */

/* Forms (spec.def's and spec64.def's headers); SPEC_RIP only in 64-bit
 * code. */
enum { SPEC_ANY = 0xff, SPEC_REG = 1, SPEC_MEM, SPEC_BD, SPEC_RIP };

struct spec {
    op_fn generic;
    uint8_t size, form, sub;
    op_fn fast;             /* or NULL: tab[i->sub], or leg */
    const op_fn *tab;
    uint8_t leg;            /* spec64.def's LEG: spec.def's register form */
};

/* The rows of spec64.def (fastops64.c), for records of 64-bit code. */
extern const struct spec fastops_specs64[];
extern const unsigned fastops_nspecs64;

#endif
