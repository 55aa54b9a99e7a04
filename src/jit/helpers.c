/* C functions translated code calls for what it does not do inline yet:
 * the guest memory accesses of native instruction forms, through the
 * interpreter's own fast paths and slow paths (src/cpu/mmu.h), so faults,
 * MMIO, code-page writes and breakpoints behave exactly as there. One
 * function per size and mode keeps the size a constant in each. */
#include "jit/helpers.h"

#include "cpu/except.h"
#include "cpu/exec.h"
#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/mmu.h"

uint64_t jit_cond(struct cpu *cpu, unsigned cc)
{
    return cpu_cond(cpu, cc);
}

void jit_exec_fetched(struct cpu *cpu)
{
    const uint64_t eip = cpu->s.rip;
    const uint64_t lin = lin_wrap(cpu, cpu->s.seg[SEG_CS].base + eip);
    struct insn *i = cpu->scratch;
    decode_insn(cpu, lin, i);
    if (!exec_in_cs_limit(cpu, eip, i))
        except_gp(cpu, 0);
    exec_begin(cpu, i, eip);
    i->fn(cpu, i);
}

void jit_int_soft(struct cpu *cpu, const struct insn *i)
{
    /* What the run loop's unwinding (cpu_unwound) does for an INT n that
     * op_int_Ib raised, without the unwinding; no breakpoint is armed
     * while blocks run, so no #DB is held back for after it. */
    cpu->pending_db = 0;
    cpu->db_status = 0;
    cpu->step_after = 0;
    except_deliver(cpu, i->imm & 0xff, EXC_NO_CODE, cpu->next_rip, INT_SOFT);
}

void jit_materialize(struct cpu *cpu)
{
    flags_materialize(cpu);
}

uint64_t jit_cf(struct cpu *cpu)
{
    return flag_cf(cpu);
}

#define LD(name, size)                                                        \
    static uint64_t name(struct cpu *cpu, unsigned seg, uint64_t off)              \
    {                                                                         \
        return cpu_rd(cpu, (int)seg, off, size);                              \
    }
#define ST(name, size)                                                        \
    static void name(struct cpu *cpu, unsigned seg, uint64_t off, uint64_t v)      \
    {                                                                         \
        cpu_wr(cpu, (int)seg, off, v, size);                                  \
    }
/* 64-bit mode: the fast path without segment checks (mmu.h). */
#define LD64(name, size)                                                      \
    static uint64_t name(struct cpu *cpu, unsigned seg, uint64_t off)         \
    {                                                                         \
        return cpu_rd_long64(cpu, (int)seg, off, size);                       \
    }
#define ST64(name, size)                                                      \
    static void name(struct cpu *cpu, unsigned seg, uint64_t off, uint64_t v) \
    {                                                                         \
        cpu_wr_long64(cpu, (int)seg, off, v, size);                           \
    }

LD(jit_ld8, 1)
LD(jit_ld16, 2)
LD(jit_ld32, 4)
LD(jit_ld64, 8)
ST(jit_st8, 1)
ST(jit_st16, 2)
ST(jit_st32, 4)
ST(jit_st64, 8)
LD64(jit_ld8_l, 1)
LD64(jit_ld16_l, 2)
LD64(jit_ld32_l, 4)
LD64(jit_ld64_l, 8)
ST64(jit_st8_l, 1)
ST64(jit_st16_l, 2)
ST64(jit_st32_l, 4)
ST64(jit_st64_l, 8)

static const jit_ld_fn lds[2][4] = {
    { jit_ld8, jit_ld16, jit_ld32, jit_ld64 },
    { jit_ld8_l, jit_ld16_l, jit_ld32_l, jit_ld64_l },
};
static const jit_st_fn sts[2][4] = {
    { jit_st8, jit_st16, jit_st32, jit_st64 },
    { jit_st8_l, jit_st16_l, jit_st32_l, jit_st64_l },
};

static unsigned size_index(unsigned size)
{
    return size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
}

jit_ld_fn jit_ld_helper(unsigned size, bool long64)
{
    return lds[long64][size_index(size)];
}

jit_st_fn jit_st_helper(unsigned size, bool long64)
{
    return sts[long64][size_index(size)];
}
