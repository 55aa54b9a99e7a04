/* IA32_EFER and the long-mode MSRs: STAR, LSTAR, CSTAR, FMASK, FS_BASE,
 * GS_BASE, KERNEL_GS_BASE and TSC_AUX.
 *
 * Each exists only when the model claims what it belongs to, so a P6 still
 * #GPs on them: EFER with SYSCALL, NX or LM (SDM vol. 4 table 2-2: "if
 * CPUID.80000001H:EDX.[20] or [29]"; AMD has it with SYSCALL), STAR with
 * SYSCALL or LM, the others with LM, TSC_AUX with RDTSCP.
 *
 * EFER: a bit the model does not claim is reserved (#GP(0)); LMA is
 * read-only (a written value is ignored, as on both vendors: the CPU sets
 * it from CR0.PG, src/cpu/cr.c); changing LME while CR0.PG=1 is #GP(0)
 * (SDM vol. 3A 9.8.5, APM vol. 2 14.6.1); a change of NXE changes what
 * every PAE/4-level entry means, so the TLB is flushed.
 *
 * LSTAR, CSTAR, FS_BASE, GS_BASE and KERNEL_GS_BASE hold linear addresses
 * and #GP(0) on a non-canonical value (SDM vol. 2B WRMSR). FS_BASE and
 * GS_BASE are the hidden base of the FS and GS segment registers
 * (seg[].base), not copies. FMASK keeps bits 31:0 (the RFLAGS mask; 63:32
 * are reserved and read as zero). TSC_AUX has 32 bits; setting 63:32 is
 * #GP(0) (SDM vol. 4 table 2-2).
 */
#include "cpu/longmode.h"

#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/mmu.h"

static bool claims(const struct cpu_model *m, uint32_t bits)
{
    return (m->feat[CPUID_80000001_EDX] & bits) != 0;
}

uint64_t efer_valid_bits(const struct cpu_model *m)
{
    uint64_t v = 0;
    if (claims(m, CPUID_X_SYSCALL))
        v |= EFER_SCE;
    if (claims(m, CPUID_X_LM))
        v |= EFER_LME | EFER_LMA;
    if (claims(m, CPUID_X_NX))
        v |= EFER_NXE;
    return v;
}

/* Whether `idx` is an MSR this model has. */
static bool lm_msr_exists(const struct cpu_model *m, uint32_t idx)
{
    switch (idx) {
    case MSR_EFER: return efer_valid_bits(m) != 0;
    case MSR_STAR: return claims(m, CPUID_X_SYSCALL | CPUID_X_LM);
    case MSR_LSTAR: case MSR_CSTAR: case MSR_FMASK:
    case MSR_FS_BASE: case MSR_GS_BASE: case MSR_KERNEL_GS_BASE:
        return claims(m, CPUID_X_LM);
    case MSR_TSC_AUX: return claims(m, CPUID_X_RDTSCP);
    default: return false;
    }
}

static bool is_lm_msr(uint32_t idx)
{
    return (idx >= MSR_EFER && idx <= MSR_FMASK) ||
           (idx >= MSR_FS_BASE && idx <= MSR_TSC_AUX);
}

int lm_msr_read(struct cpu *cpu, uint32_t idx, uint64_t *v)
{
    if (!is_lm_msr(idx))
        return -1;
    if (!lm_msr_exists(&cpu->model, idx))
        return 0;
    const struct msrs *m = &cpu->s.msr;
    switch (idx) {
    case MSR_EFER: *v = cpu->s.efer; break;
    case MSR_STAR: *v = m->star; break;
    case MSR_LSTAR: *v = m->lstar; break;
    case MSR_CSTAR: *v = m->cstar; break;
    case MSR_FMASK: *v = m->fmask; break;
    case MSR_FS_BASE: *v = cpu->s.seg[SEG_FS].base; break;
    case MSR_GS_BASE: *v = cpu->s.seg[SEG_GS].base; break;
    case MSR_KERNEL_GS_BASE: *v = m->kernel_gs_base; break;
    case MSR_TSC_AUX: *v = m->tsc_aux; break;
    }
    return 1;
}

static int efer_write(struct cpu *cpu, uint64_t v)
{
    uint64_t old = cpu->s.efer;
    if (v & ~efer_valid_bits(&cpu->model))
        return 0;
    v = (v & ~(uint64_t)EFER_LMA) | (old & EFER_LMA);
    if ((cpu->s.cr0 & CR0_PG) && ((old ^ v) & EFER_LME))
        return 0;
    cpu->s.efer = v;
    if ((old ^ v) & EFER_NXE)
        tlb_flush_all(cpu);
    return 1;
}

int lm_msr_write(struct cpu *cpu, uint32_t idx, uint64_t v)
{
    if (!is_lm_msr(idx))
        return -1;
    if (!lm_msr_exists(&cpu->model, idx))
        return 0;
    struct msrs *m = &cpu->s.msr;
    switch (idx) {
    case MSR_EFER:
        return efer_write(cpu, v);
    case MSR_STAR:
        m->star = v;
        return 1;
    case MSR_FMASK:
        m->fmask = (uint32_t)v;
        return 1;
    case MSR_TSC_AUX:
        if (v >> 32)
            return 0;
        m->tsc_aux = v;
        return 1;
    }
    if (!is_canonical(v))
        return 0;
    switch (idx) {
    case MSR_LSTAR: m->lstar = v; break;
    case MSR_CSTAR: m->cstar = v; break;
    case MSR_FS_BASE: cpu->s.seg[SEG_FS].base = v; break;
    case MSR_GS_BASE: cpu->s.seg[SEG_GS].base = v; break;
    case MSR_KERNEL_GS_BASE: m->kernel_gs_base = v; break;
    }
    return 1;
}
