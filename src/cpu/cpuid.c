/* CPUID: what the vCPU's model (cpu->model, src/cpu/cpu_model.c) says it
 * is, reporting exactly the features rawbox implements or fewer.
 *
 * Leaves: 0 (max basic leaf, vendor), 1 (signature, features), 2 (cache
 * and TLB descriptors), 7 (structured extended features: sub-leaf 0 EDX,
 * which holds ARCH_CAPABILITIES), 0xD (XSAVE state components), the
 * basic leaves between them as 0 (max_basic_leaf), 0x80000000 (max
 * extended leaf), 0x80000001 (extended features), 0x80000002-4 (brand
 * string), 0x80000008 (address widths; only in models whose max_extended
 * reaches it). Leaves above the maximum return the highest basic leaf,
 * as Intel processors do (SDM vol. 2 CPUID, "Note"). CPUID is not
 * privileged and has no fault of its own. CPUID.1:EDX.APIC reads 0 while
 * IA32_APIC_BASE.EN is clear (SDM vol. 3A 11.4.3); CPUID.1:ECX.OSXSAVE
 * mirrors CR4.OSXSAVE (SDM vol. 2A CPUID, table 3-10).
 *
 * Follows Intel SDM vol. 2A CPUID.
 */
#include "cpu/cpuid.h"

#include "cpu/cpu.h"
#include "cpu/insn.h"
#include "cpu/longmode.h"
#include "util/log.h"

/* The highest basic leaf: the model's, raised so that the leaf of every
 * claimed feature is in range, 7 with a leaf-7 feature and 0xD with XSAVE.
 * The leaves in between read as 0, which says (SDM vol. 2A CPUID): no
 * processor serial number (3), no deterministic cache parameters (4: cache
 * type 0 in sub-leaf 0 ends the list, and Linux falls back to leaf 2's
 * descriptors), no MONITOR/MWAIT sizes (5), no thermal and power features
 * (6), no structured extended features (7, in a model with no leaf-7
 * feature but XSAVE), no architectural performance monitoring (0xA), no
 * topology (0xB); 8, 9 and 0xC are reserved or absent features. */
static uint32_t max_basic_leaf(const struct cpu_model *m)
{
    uint32_t max = m->max_basic;
    if (m->feat[CPUID_7_0_EDX] && max < 7)
        max = 7;
    if (cpuid_has(m, CPUID_1_ECX, CPUID_C_XSAVE) && max < 0xd)
        max = 0xd;
    return max;
}

uint32_t cpuid_signature(const struct cpu_model *m)
{
    return (uint32_t)m->family << 8 | (uint32_t)m->model << 4 | m->stepping;
}

uint32_t cpuid_cr4_valid(const struct cpu_model *m)
{
    uint32_t f = m->feat[CPUID_1_EDX];
    uint32_t v = CR4_PCE;                       /* RDPMC control exists on P6 */
    if (f & CPUID_VME) v |= CR4_VME | CR4_PVI;
    if (f & CPUID_TSC) v |= CR4_TSD;
    if (f & CPUID_DE)  v |= CR4_DE;
    if (f & CPUID_PSE) v |= CR4_PSE;
    if (f & CPUID_PAE) v |= CR4_PAE;
    if (f & CPUID_MCE) v |= CR4_MCE;
    if (f & CPUID_PGE) v |= CR4_PGE;
    /* SDM vol. 3A 2.5: OSFXSR needs FXSR, OSXMMEXCPT SSE, OSXSAVE XSAVE. */
    if (f & CPUID_FXSR) v |= CR4_OSFXSR;
    if (f & CPUID_SSE) v |= CR4_OSXMMEXCPT;
    if (m->feat[CPUID_1_ECX] & CPUID_C_XSAVE) v |= CR4_OSXSAVE;
    return v;
}

static uint32_t le32(const char *p)
{
    return (uint32_t)(uint8_t)p[0] | (uint32_t)(uint8_t)p[1] << 8 |
           (uint32_t)(uint8_t)p[2] << 16 | (uint32_t)(uint8_t)p[3] << 24;
}

/* XSAVE area size for the components in `xcr0` (standard form, SDM vol. 1
 * 13.4): the 512-byte legacy region and the 64-byte header hold both x87
 * and SSE, so every valid XCR0 of this CPU gives 576. */
static uint32_t xsave_size(uint64_t xcr0)
{
    (void)xcr0;
    return 512 + 64;
}

void cpuid_query(const struct cpu *cpu, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
    const struct cpu_model *m = &cpu->model;
    bool xsave = cpuid_has(m, CPUID_1_ECX, CPUID_C_XSAVE);
    uint32_t max_basic = max_basic_leaf(m);
    if ((leaf > max_basic && leaf < 0x80000000u) || leaf > m->max_extended) {
        LOG(LOG_CPU, "CPUID leaf 0x%x not implemented: highest basic leaf returned", leaf);
        leaf = max_basic;
    }
    out[0] = out[1] = out[2] = out[3] = 0;
    switch (leaf) {
    case 0:
        out[0] = max_basic;
        out[1] = le32(m->vendor);
        out[3] = le32(m->vendor + 4);
        out[2] = le32(m->vendor + 8);
        break;
    case 1:
        out[0] = cpuid_signature(m);
        out[1] = 0;             /* brand index 0, APIC ID 0 */
        /* CLFLUSH line size in 8-byte units (64 bytes) with CLFSH. */
        if (m->feat[CPUID_1_EDX] & CPUID_CLFSH)
            out[1] |= 8u << 8;
        out[2] = m->feat[CPUID_1_ECX];
        out[3] = m->feat[CPUID_1_EDX];
        /* The APIC bit follows the global enable (SDM vol. 3A 11.4.3). */
        if (!(cpu->s.msr.apic_base & 0x800u))
            out[3] &= ~CPUID_APIC;
        if (cpu->s.cr4 & CR4_OSXSAVE)
            out[2] |= CPUID_C_OSXSAVE;
        break;
    case 2:
        for (int k = 0; k < 4; k++)
            out[k] = m->leaf2[k];
        break;
    case 7:
        /* SDM vol. 2A CPUID leaf 07H. Sub-leaf 0: EAX the highest valid
         * sub-leaf (0), no EBX or ECX features, EDX the model's leaf-7
         * word. Any other sub-leaf is invalid and reads 0. */
        if (sub == 0)
            out[3] = m->feat[CPUID_7_0_EDX];
        break;
    case 0xd:
        /* SDM vol. 2A CPUID leaf 0DH. Sub-leaf 0: XCR0 bits supported
         * (EDX:EAX), area size for the current XCR0 (EBX) and for all
         * supported components (ECX). Sub-leaf 1: XSAVEOPT (EAX bit 0); no
         * XSAVEC, XGETBV with ECX=1 or XSAVES. Sub-leaves 2 and up describe
         * components rawbox lacks: 0. */
        if (!xsave)
            break;
        if (sub == 0) {
            out[0] = XCR0_SUPPORTED;
            out[1] = xsave_size(cpu->s.xcr0);
            out[2] = xsave_size(XCR0_SUPPORTED);
        } else if (sub == 1) {
            out[0] = 1;
        }
        break;
    case 0x80000000u:
        out[0] = m->max_extended;
        break;
    case 0x80000001u:
        out[2] = m->feat[CPUID_80000001_ECX];
        out[3] = m->feat[CPUID_80000001_EDX];
        break;
    case 0x80000002u:
    case 0x80000003u:
    case 0x80000004u: {
        const char *p = m->brand + 16 * (leaf - 0x80000002u);
        for (int k = 0; k < 4; k++)
            out[k] = le32(p + 4 * k);
        break;
    }
    case 0x80000008u:
        /* Physical and linear address widths (APM vol. 3 E.4.7). */
        out[0] = cpuid_phys_bits(m) | (uint32_t)VIRT_ADDR_BITS << 8;
        break;
    }
}

void op_cpuid(struct cpu *cpu, const struct insn *i)
{
    uint32_t r[4];
    cpuid_query(cpu, reg32(cpu, R_EAX), reg32(cpu, R_ECX), r);
    set_reg32(cpu, R_EAX, r[0]);
    set_reg32(cpu, R_EBX, r[1]);
    set_reg32(cpu, R_ECX, r[2]);
    set_reg32(cpu, R_EDX, r[3]);
}
