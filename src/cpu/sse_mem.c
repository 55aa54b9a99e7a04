/* 128-bit memory operands of the SSE forms (sse_check.h). */
#include "cpu/mmu.h"
#include "cpu/sse_check.h"

static uint64_t m128_ea(struct cpu *cpu, const struct insn *i, bool aligned)
{
    uint64_t ea = insn_ea(cpu, i);
    /* Alignment is a property of the linear address (segment base + EA). */
    if (aligned && ((cpu->s.seg[i->seg].base + ea) & 15))
        except_gp(cpu, 0);
    return ea;
}

static uint64_t next8(const struct insn *i, uint64_t ea)
{
    ea += 8;
    return i->adsize == 8 ? ea : i->adsize == 4 ? (uint32_t)ea : (uint16_t)ea;
}

void sse_read_m128(struct cpu *cpu, const struct insn *i, bool aligned, union xmm *v)
{
    uint64_t ea = m128_ea(cpu, i, aligned);
    cpu_check_read(cpu, i->seg, ea, 16);
    v->q[0] = cpu_rd64(cpu, i->seg, ea);
    v->q[1] = cpu_rd64(cpu, i->seg, next8(i, ea));
}

void sse_write_m128(struct cpu *cpu, const struct insn *i, bool aligned, const union xmm *v)
{
    uint64_t ea = m128_ea(cpu, i, aligned);
    cpu_check_write(cpu, i->seg, ea, 16);
    cpu_wr64(cpu, i->seg, ea, v->q[0]);
    cpu_wr64(cpu, i->seg, next8(i, ea), v->q[1]);
}
