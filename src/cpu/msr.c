/* Model-specific registers, the time-stamp counter and the fast system
 * calls: RDMSR, WRMSR, RDTSC, SYSENTER, SYSEXIT.
 *
 * MSRs of a P6-family CPU: P5_MC_ADDR/P5_MC_TYPE (0x0, 0x1, read 0), TSC
 * (0x10; on P6 a write sets the low 32 bits
 * and clears the high ones), platform ID (0x17), APIC_BASE (0x1B: stored
 * here, and each valid write goes to the board's local APIC through
 * cpu->env.apic_base_write, which moves or hides its page or refuses), the
 * microcode trigger and signature (0x79, 0x8B), MTRRcap (0xFE: 8 variable
 * ranges, fixed ranges, write-combining), IA32_ARCH_CAPABILITIES (0x10A,
 * read-only, only with CPUID.7.0:EDX[29]: the "not affected" bits of
 * cpuid.h ARCH_CAPABILITIES_VALUE), SYSENTER_CS/ESP/EIP
 * (0x174-0x176), MISC_ENABLE (0x1A0), the variable and fixed MTRRs and
 * MTRRdefType, and PAT (0x277), the performance-monitoring counters
 * PerfCtr0/1 (0xC1, 0xC2: 40 bits; a write sets bits 31:0 and copies bit 31
 * into 39:32) and their event selects PerfEvtSel0/1 (0x186, 0x187; EN in
 * PerfEvtSel0 enables both counters), and the machine-check architecture:
 * MCG_CAP (0x179: five banks, MCG_CTL present), MCG_STATUS, MCG_CTL and
 * the banks' MCi_CTL/STATUS/ADDR (0x400 + 4i .. +2; CTL takes all 0s or
 * all 1s, STATUS and ADDR read 0 and take only 0, MCi_MISC is not
 * implemented on P6 and is #GP).
 * MTRRs and PAT are stored and checked for
 * reserved bits and memory types, but have no effect (no caches are
 * modelled). Any other index, a write to a read-only MSR or a reserved bit
 * gives #GP(0), with a LOG_CPU line for unknown indexes.
 *
 * The TSC counts at TSC_HZ (1 GHz) from a nanosecond source, the host
 * monotonic clock unless the board wires another (cpu->env.tsc_now).
 *
 * SYSENTER/SYSEXIT load flat CS/SS caches derived from SYSENTER_CS exactly
 * as Intel SDM vol. 2B describes (no descriptor-table reads), with the
 * 64-bit forms under EFER.LMA (SYSENTER to 64-bit code; SYSEXIT with REX.W
 * to 64-bit code at SYSENTER_CS+32); AMD models #UD on both in long mode.
 * RDTSCP (with the RDTSCP feature) also returns IA32_TSC_AUX in ECX.
 *
 * RDPMC reads PerfCtr0/1 (ECX 0 or 1) at CPL 0, in real mode, or with
 * CR4.PCE set; otherwise #GP(0).
 *
 * Counters count only event 0xC0 (INST_RETIRED), from the retired
 * instruction count, in all rings when USR or OS is set (no per-ring
 * split, no CMASK/INV/edge, no overflow interrupt to the local APIC's
 * performance-counter LVT entry); any other event leaves the counter at the value
 * written. No machine-check error is ever raised.
 *
 * EFER and the long-mode MSRs are src/cpu/efer.c's (lm_msr_read/write).
 *
 * Follows Intel SDM vol. 4 (P6 family MSRs), vol. 3A 11.11 (MTRRs), 11.12
 * (PAT), 17.17 (TSC), vol. 3B 15.3 (machine-check MSRs, P6 notes) and
 * "Performance Monitoring (P6 Family Processor)" (PerfEvtSel layout,
 * sign-extended counter writes), vol. 2B RDPMC, SYSENTER/SYSEXIT.
 */
#include <string.h>
#include <time.h>

#include "cpu/cpuid.h"
#include "cpu/except.h"
#include "cpu/insn.h"
#include "cpu/longmode.h"
#include "cpu/seg.h"
#include "util/log.h"

enum {
    MSR_P5_MC_ADDR = 0x0,
    MSR_P5_MC_TYPE = 0x1,
    MSR_TSC = 0x10,
    MSR_PLATFORM_ID = 0x17,
    MSR_APIC_BASE = 0x1b,
    MSR_BIOS_UPDT_TRIG = 0x79,
    MSR_BIOS_SIGN_ID = 0x8b,
    MSR_PERFCTR0 = 0xc1,
    MSR_PERFCTR1 = 0xc2,
    MSR_MTRRCAP = 0xfe,
    MSR_ARCH_CAPABILITIES = 0x10a,
    MSR_SYSENTER_CS = 0x174,
    MSR_SYSENTER_ESP = 0x175,
    MSR_SYSENTER_EIP = 0x176,
    MSR_MCG_CAP = 0x179,
    MSR_MCG_STATUS = 0x17a,
    MSR_MCG_CTL = 0x17b,
    MSR_PERFEVTSEL0 = 0x186,
    MSR_PERFEVTSEL1 = 0x187,
    MSR_MISC_ENABLE = 0x1a0,
    MSR_MTRR_PHYS_BASE0 = 0x200,    /* ..0x20f: base/mask pairs */
    MSR_MTRR_FIX64K = 0x250,
    MSR_MTRR_FIX16K_80000 = 0x258,
    MSR_MTRR_FIX16K_A0000 = 0x259,
    MSR_MTRR_FIX4K_C0000 = 0x268,   /* ..0x26f */
    MSR_PAT = 0x277,
    MSR_MC0_CTL = 0x400,            /* bank i: 0x400 + 4i: CTL, STATUS, ADDR, MISC */
    MSR_MTRR_DEF_TYPE = 0x2ff,
};

#define MTRR_VCNT 8
#define MTRRCAP_VALUE (MTRR_VCNT | 0x100u | 0x400u)    /* FIX, WC */
#define PHYS_HIGH_RSVD 0xfffffff000000000ull           /* above bit 35 */

#define MC_BANKS 5
#define MCG_CAP_VALUE (MC_BANKS | 0x100u)                  /* MCG_CTL_P */

#define PERF_USR (1u << 16)
#define PERF_OS (1u << 17)
#define PERF_INV (1u << 23)
#define PERF_EN (1u << 22)
#define PERF_CMASK 0xff000000u
#define PERF_RSVD (0xffffffff00000000ull | (1u << 21))
#define PERF_CTR_MASK 0xffffffffffull                       /* 40 bits */
#define EVT_INST_RETIRED 0xc0

/* Whether counter k advances: enabled by PerfEvtSel0.EN, counting
 * retired instructions with no threshold or inversion. */
static bool pmc_counting(const struct cpu *cpu, int k)
{
    uint64_t sel = cpu->s.msr.perfevtsel[k];
    return (cpu->s.msr.perfevtsel[0] & PERF_EN) && (sel & (PERF_USR | PERF_OS)) &&
           (sel & 0xff) == EVT_INST_RETIRED && !(sel & (PERF_CMASK | PERF_INV));
}

static uint64_t pmc_value(const struct cpu *cpu, int k)
{
    uint64_t v = cpu->s.msr.perfctr[k];
    if (pmc_counting(cpu, k))
        v += cpu->icount - cpu->s.msr.perfctr_ic[k];
    return v & PERF_CTR_MASK;
}

/* Fold what counter k has counted into perfctr[k] before a change. */
static void pmc_sync(struct cpu *cpu, int k)
{
    cpu->s.msr.perfctr[k] = pmc_value(cpu, k);
    cpu->s.msr.perfctr_ic[k] = cpu->icount;
}

static uint64_t host_monotonic_ns(void *opaque)
{
    (void)opaque;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t tsc_now(const struct cpu *cpu)
{
    uint64_t ns = cpu->env.tsc_now ? cpu->env.tsc_now(cpu->env.opaque) : host_monotonic_ns(NULL);
#if TSC_HZ == 1000000000ull
    return ns;
#else
    return (uint64_t)((unsigned __int128)ns * TSC_HZ / 1000000000ull);
#endif
}

uint64_t msr_read_tsc(struct cpu *cpu)
{
    return tsc_now(cpu) + cpu->s.tsc_offset;
}

/* Memory types valid in MTRRs (UC WC WT WP WB) and in PAT (also UC-). */
static bool mtrr_type_ok(unsigned t) { return t == 0 || t == 1 || t == 4 || t == 5 || t == 6; }
static bool pat_type_ok(unsigned t) { return mtrr_type_ok(t) || t == 7; }

static bool bytes_ok(uint64_t v, bool (*ok)(unsigned))
{
    for (int k = 0; k < 8; k++)
        if (!ok((unsigned)(v >> (8 * k)) & 0xff))
            return false;
    return true;
}

/* Index into msr.mtrr_fixed[] for a fixed-range MTRR, or -1. */
static int fixed_index(uint32_t idx)
{
    if (idx == MSR_MTRR_FIX64K)
        return 0;
    if (idx == MSR_MTRR_FIX16K_80000 || idx == MSR_MTRR_FIX16K_A0000)
        return 1 + (int)(idx - MSR_MTRR_FIX16K_80000);
    if (idx >= MSR_MTRR_FIX4K_C0000 && idx <= MSR_MTRR_FIX4K_C0000 + 7)
        return 3 + (int)(idx - MSR_MTRR_FIX4K_C0000);
    return -1;
}

bool msr_read(struct cpu *cpu, uint32_t idx, uint64_t *v)
{
    struct msrs *m = &cpu->s.msr;
    int fx, lm = lm_msr_read(cpu, idx, v);
    if (lm >= 0)
        return lm;
    switch (idx) {
    case MSR_P5_MC_ADDR: case MSR_P5_MC_TYPE: *v = 0; return true;
    case MSR_TSC: *v = msr_read_tsc(cpu); return true;
    case MSR_PERFCTR0: case MSR_PERFCTR1: *v = pmc_value(cpu, idx - MSR_PERFCTR0); return true;
    case MSR_PERFEVTSEL0: case MSR_PERFEVTSEL1:
        *v = m->perfevtsel[idx - MSR_PERFEVTSEL0];
        return true;
    case MSR_MCG_CAP: *v = MCG_CAP_VALUE; return true;
    case MSR_MCG_STATUS: *v = m->mcg_status; return true;
    case MSR_MCG_CTL: *v = m->mcg_ctl; return true;
    case MSR_PLATFORM_ID: *v = 0; return true;
    case MSR_APIC_BASE: *v = m->apic_base; return true;
    case MSR_BIOS_SIGN_ID: *v = 0; return true;     /* no microcode loaded */
    case MSR_MTRRCAP: *v = MTRRCAP_VALUE; return true;
    case MSR_ARCH_CAPABILITIES:
        /* Exists only where CPUID says so (SDM vol. 4 table 2-2). */
        if (!cpuid_has(&cpu->model, CPUID_7_0_EDX, CPUID_7D_ARCH_CAPABILITIES))
            break;
        *v = ARCH_CAPABILITIES_VALUE;
        return true;
    case MSR_SYSENTER_CS: *v = m->sysenter_cs; return true;
    case MSR_SYSENTER_ESP: *v = m->sysenter_esp; return true;
    case MSR_SYSENTER_EIP: *v = m->sysenter_eip; return true;
    case MSR_MISC_ENABLE: *v = m->misc_enable; return true;
    case MSR_PAT: *v = m->pat; return true;
    case MSR_MTRR_DEF_TYPE: *v = m->mtrr_def_type; return true;
    }
    if (idx >= MSR_MTRR_PHYS_BASE0 && idx < MSR_MTRR_PHYS_BASE0 + 2 * MTRR_VCNT) {
        *v = m->mtrr_var[idx - MSR_MTRR_PHYS_BASE0];
        return true;
    }
    if ((fx = fixed_index(idx)) >= 0) {
        *v = m->mtrr_fixed[fx];
        return true;
    }
    if (idx >= MSR_MC0_CTL && idx < MSR_MC0_CTL + 4 * MC_BANKS) {
        switch (idx & 3) {
        case 0: *v = m->mc_ctl[(idx - MSR_MC0_CTL) / 4]; return true;
        case 1: case 2: *v = 0; return true;    /* no error logged */
        default: break;                         /* MCi_MISC: not on P6 */
        }
    }
    LOG(LOG_CPU, "RDMSR 0x%x: not implemented, #GP", idx);
    return false;
}

bool msr_write(struct cpu *cpu, uint32_t idx, uint64_t v)
{
    struct msrs *m = &cpu->s.msr;
    int fx, lm = lm_msr_write(cpu, idx, v);
    if (lm >= 0)
        return lm;
    switch (idx) {
    case MSR_TSC:
        /* P6: the low 32 bits are written, the high ones cleared. */
        cpu->s.tsc_offset = (v & 0xffffffffu) - tsc_now(cpu);
        return true;
    case MSR_APIC_BASE:
        if (v & (PHYS_HIGH_RSVD | 0x6ffu))
            return false;
        v = (v & ~0x100ull) | (m->apic_base & 0x100u);    /* BSP is read-only */
        if (cpu->env.apic_base_write && !cpu->env.apic_base_write(cpu->env.opaque, v))
            return false;
        m->apic_base = v;
        return true;
    case MSR_BIOS_UPDT_TRIG:
        return true;                /* microcode updates are accepted and ignored */
    case MSR_BIOS_SIGN_ID:
        return true;
    case MSR_ARCH_CAPABILITIES:
        return false;               /* read-only */
    case MSR_PERFCTR0: case MSR_PERFCTR1: {
        int k = (int)(idx - MSR_PERFCTR0);
        m->perfctr[k] = (uint64_t)(int64_t)(int32_t)(uint32_t)v & PERF_CTR_MASK;
        m->perfctr_ic[k] = cpu->icount;
        return true;
    }
    case MSR_PERFEVTSEL0: case MSR_PERFEVTSEL1:
        if (v & PERF_RSVD)
            return false;
        pmc_sync(cpu, 0);
        pmc_sync(cpu, 1);
        m->perfevtsel[idx - MSR_PERFEVTSEL0] = v;
        return true;
    case MSR_MCG_STATUS:
        if (v & ~7ull)                  /* RIPV, EIPV, MCIP */
            return false;
        m->mcg_status = v;
        return true;
    case MSR_MCG_CTL: m->mcg_ctl = v; return true;
    case MSR_SYSENTER_CS: m->sysenter_cs = (uint32_t)v; return true;
    case MSR_SYSENTER_ESP: m->sysenter_esp = v; return true;
    case MSR_SYSENTER_EIP: m->sysenter_eip = v; return true;
    case MSR_MISC_ENABLE: m->misc_enable = v; return true;
    case MSR_PAT:
        if (!bytes_ok(v, pat_type_ok))
            return false;
        m->pat = v;
        return true;
    case MSR_MTRR_DEF_TYPE:
        if ((v & ~0xcffull) || !mtrr_type_ok(v & 0xff))
            return false;
        m->mtrr_def_type = v;
        return true;
    }
    if (idx >= MSR_MTRR_PHYS_BASE0 && idx < MSR_MTRR_PHYS_BASE0 + 2 * MTRR_VCNT) {
        unsigned k = idx - MSR_MTRR_PHYS_BASE0;
        if (k & 1) {                /* PhysMask: bit 11 valid, 35:12 mask */
            if (v & (PHYS_HIGH_RSVD | 0x7ffu))
                return false;
        } else {                    /* PhysBase: 7:0 type, 35:12 base */
            if ((v & (PHYS_HIGH_RSVD | 0xf00u)) || !mtrr_type_ok(v & 0xff))
                return false;
        }
        m->mtrr_var[k] = v;
        return true;
    }
    if ((fx = fixed_index(idx)) >= 0) {
        if (!bytes_ok(v, mtrr_type_ok))
            return false;
        m->mtrr_fixed[fx] = v;
        return true;
    }
    if (idx >= MSR_MC0_CTL && idx < MSR_MC0_CTL + 4 * MC_BANKS) {
        switch (idx & 3) {
        case 0:
            /* P6 family processors only allow writing all 1s or all 0s
             * to MCi_CTL (SDM vol. 3B 15.3.2.1): anything else is #GP. */
            if (v != 0 && v != ~0ull)
                return false;
            m->mc_ctl[(idx - MSR_MC0_CTL) / 4] = v;
            return true;
        case 1: case 2: return v == 0;      /* only clearing is allowed */
        default: break;
        }
    }
    LOG(LOG_CPU, "WRMSR 0x%x = 0x%llx: not implemented, #GP", idx, (unsigned long long)v);
    return false;
}

void op_rdmsr(struct cpu *cpu, const struct insn *i)
{
    if (cpu->s.cpl != 0)
        except_gp(cpu, 0);
    uint64_t v;
    if (!msr_read(cpu, reg32(cpu, R_ECX), &v))
        except_gp(cpu, 0);
    set_reg32(cpu, R_EAX, (uint32_t)v);
    set_reg32(cpu, R_EDX, (uint32_t)(v >> 32));
}

void op_wrmsr(struct cpu *cpu, const struct insn *i)
{
    if (cpu->s.cpl != 0)
        except_gp(cpu, 0);
    uint64_t v = (uint64_t)reg32(cpu, R_EDX) << 32 | reg32(cpu, R_EAX);
    if (!msr_write(cpu, reg32(cpu, R_ECX), v))
        except_gp(cpu, 0);
}

void op_rdpmc(struct cpu *cpu, const struct insn *i)
{
    uint32_t k = reg32(cpu, R_ECX);
    if ((!(cpu->s.cr4 & CR4_PCE) && cpu->s.cpl != 0) || k > 1)
        except_gp(cpu, 0);
    uint64_t v = pmc_value(cpu, (int)k);
    set_reg32(cpu, R_EAX, (uint32_t)v);
    set_reg32(cpu, R_EDX, (uint32_t)(v >> 32));
}

void op_rdtsc(struct cpu *cpu, const struct insn *i)
{
    if ((cpu->s.cr4 & CR4_TSD) && cpu->s.cpl != 0)
        except_gp(cpu, 0);
    uint64_t t = msr_read_tsc(cpu);
    set_reg32(cpu, R_EAX, (uint32_t)t);
    set_reg32(cpu, R_EDX, (uint32_t)(t >> 32));
}

/* RDTSCP (SDM vol. 2B): RDTSC that also reads IA32_TSC_AUX into ECX. */
void op_rdtscp(struct cpu *cpu, const struct insn *i)
{
    if (!cpuid_has(&cpu->model, CPUID_80000001_EDX, CPUID_X_RDTSCP))
        except_ud(cpu);
    op_rdtsc(cpu, i);
    set_reg32(cpu, R_ECX, (uint32_t)cpu->s.msr.tsc_aux);
}

/* Flat 4 GiB segments: type, S, DPL, P, D/B (or L for 64-bit code), G. */
#define FLAT_CODE(dpl) (uint16_t)(0xb | SEGA_S | ((dpl) << 5) | SEGA_P | SEGA_DB | SEGA_G)
#define FLAT_CODE64(dpl) (uint16_t)(0xb | SEGA_S | ((dpl) << 5) | SEGA_P | SEGA_L | SEGA_G)
#define FLAT_DATA(dpl) (uint16_t)(0x3 | SEGA_S | ((dpl) << 5) | SEGA_P | SEGA_DB | SEGA_G)

/* In long mode SYSENTER/SYSEXIT are Intel's only: AMD CPUs give #UD there
 * (APM vol. 3 SYSENTER, SYSEXIT). */
static void sysenter_long_mode_allowed(struct cpu *cpu)
{
    if ((cpu->s.efer & EFER_LMA) && cpuid_vendor_amd(&cpu->model))
        except_ud(cpu);
}

void op_sysenter(struct cpu *cpu, const struct insn *i)
{
    uint16_t cs = (uint16_t)cpu->s.msr.sysenter_cs;
    sysenter_long_mode_allowed(cpu);
    if (!(cpu->s.cr0 & CR0_PE) || (cs & 0xfffc) == 0)
        except_gp(cpu, 0);
    cpu->s.rflags &= ~(FL_VM | FL_IF | FL_RF);
    /* With EFER.LMA the target is 64-bit code, RSP and RIP take all 64
     * bits of the MSRs (SDM vol. 2B SYSENTER). */
    bool lm = (cpu->s.efer & EFER_LMA) != 0;
    seg_load_cache(cpu, SEG_CS, cs & 0xfffc, 0, 0xffffffffu, lm ? FLAT_CODE64(0) : FLAT_CODE(0));
    seg_load_cache(cpu, SEG_SS, (uint16_t)((cs & 0xfffc) + 8), 0, 0xffffffffu, FLAT_DATA(0));
    cpu->s.cpl = 0;
    cpu_update_mode(cpu);
    if (lm) {
        cpu->s.gpr[R_ESP] = cpu->s.msr.sysenter_esp;
        cpu->next_rip = cpu->s.msr.sysenter_eip;
    } else {
        set_reg32(cpu, R_ESP, (uint32_t)cpu->s.msr.sysenter_esp);
        cpu->next_rip = (uint32_t)cpu->s.msr.sysenter_eip;
    }
}

void op_sysexit(struct cpu *cpu, const struct insn *i)
{
    uint16_t cs = (uint16_t)cpu->s.msr.sysenter_cs;
    sysenter_long_mode_allowed(cpu);
    if (!(cpu->s.cr0 & CR0_PE) || cpu->s.cpl != 0 || (cs & 0xfffc) == 0)
        except_gp(cpu, 0);
    /* REX.W returns to 64-bit code at SYSENTER_CS + 32/40 and needs
     * canonical RCX and RDX (#GP(0)); otherwise 32-bit code at +16/+24
     * (compatibility mode under LMA). */
    if (i->opsize == 8) {
        uint64_t rsp = cpu->s.gpr[R_ECX], rip = cpu->s.gpr[R_EDX];
        if (!is_canonical(rsp) || !is_canonical(rip))
            except_gp(cpu, 0);
        seg_load_cache(cpu, SEG_CS, (uint16_t)(((cs & 0xfffc) + 32) | 3), 0, 0xffffffffu,
                       FLAT_CODE64(3));
        seg_load_cache(cpu, SEG_SS, (uint16_t)(((cs & 0xfffc) + 40) | 3), 0, 0xffffffffu,
                       FLAT_DATA(3));
        cpu->s.cpl = 3;
        cpu_update_mode(cpu);
        cpu->s.gpr[R_ESP] = rsp;
        cpu->next_rip = rip;
        return;
    }
    seg_load_cache(cpu, SEG_CS, (uint16_t)(((cs & 0xfffc) + 16) | 3), 0, 0xffffffffu,
                   FLAT_CODE(3));
    seg_load_cache(cpu, SEG_SS, (uint16_t)(((cs & 0xfffc) + 24) | 3), 0, 0xffffffffu,
                   FLAT_DATA(3));
    cpu->s.cpl = 3;
    cpu_update_mode(cpu);
    set_reg32(cpu, R_ESP, reg32(cpu, R_ECX));
    cpu->next_rip = reg32(cpu, R_EDX);
}
