/* CPUID: a P6-family processor (GenuineIntel, family 6, model 8, stepping
 * 3, as a Pentium III "Coppermine") reporting exactly the features rawbox
 * implements.
 *
 * Leaves: 0 (max leaf 2, vendor), 1 (signature, features), 2 (cache and
 * TLB descriptors of that part), 0x80000000 (max extended leaf 0x80000004),
 * 0x80000001 (no extended features), 0x80000002-4 (brand string
 * "rawbox virtual CPU"). Leaves above the maximum return the highest basic
 * leaf, as Intel processors do (SDM vol. 2 CPUID, "Note"). CPUID is not
 * privileged and has no fault of its own.
 *
 * Features: FPU, DE, PSE, TSC, MSR, PAE, MCE and MCA (the P6 machine-check
 * MSRs exist; no error is ever reported), CX8, SEP, MTRR (the MTRR MSRs
 * are stored, as caching is not modelled), PGE, CMOV, PAT (likewise),
 * PSE-36. Not reported: VME (until the V86 code implements it), APIC (the
 * board adds it with a local APIC), MMX, FXSR, SSE.
 *
 * Follows Intel SDM vol. 2A CPUID and the Pentium III specification
 * update's descriptor values.
 */
#include "cpu/cpuid.h"

#include "cpu/insn.h"
#include "util/log.h"

uint32_t cpuid_features_edx =
    CPUID_FPU | CPUID_DE | CPUID_PSE | CPUID_TSC | CPUID_MSR | CPUID_PAE |
    CPUID_MCE | CPUID_CX8 | CPUID_SEP | CPUID_MTRR | CPUID_PGE | CPUID_MCA |
    CPUID_CMOV | CPUID_PAT | CPUID_PSE36;

uint32_t cpuid_cr4_valid(void)
{
    uint32_t f = cpuid_features_edx;
    uint32_t v = CR4_PCE;                       /* RDPMC control exists on P6 */
    if (f & CPUID_VME) v |= CR4_VME | CR4_PVI;
    if (f & CPUID_TSC) v |= CR4_TSD;
    if (f & CPUID_DE)  v |= CR4_DE;
    if (f & CPUID_PSE) v |= CR4_PSE;
    if (f & CPUID_PAE) v |= CR4_PAE;
    if (f & CPUID_MCE) v |= CR4_MCE;
    if (f & CPUID_PGE) v |= CR4_PGE;
    return v;
}

#define MAX_BASIC    2u
#define MAX_EXTENDED 0x80000004u

/* 12 bytes of vendor in EBX, EDX, ECX order. */
static const char vendor[13] = "GenuineIntel";
/* 48 bytes, NUL padded. */
static const char brand[48] = "rawbox virtual CPU";

static uint32_t le32(const char *p)
{
    return (uint32_t)(uint8_t)p[0] | (uint32_t)(uint8_t)p[1] << 8 |
           (uint32_t)(uint8_t)p[2] << 16 | (uint32_t)(uint8_t)p[3] << 24;
}

void cpuid_query(uint32_t leaf, uint32_t sub, uint32_t out[4])
{
    (void)sub;
    if ((leaf > MAX_BASIC && leaf < 0x80000000u) || leaf > MAX_EXTENDED) {
        LOG(LOG_CPU, "CPUID leaf 0x%x not implemented: highest basic leaf returned", leaf);
        leaf = MAX_BASIC;
    }
    out[0] = out[1] = out[2] = out[3] = 0;
    switch (leaf) {
    case 0:
        out[0] = MAX_BASIC;
        out[1] = le32(vendor);
        out[3] = le32(vendor + 4);
        out[2] = le32(vendor + 8);
        break;
    case 1:
        out[0] = CPUID_SIGNATURE;
        out[1] = 0;             /* brand index 0, APIC ID 0 */
        out[2] = 0;
        out[3] = cpuid_features_edx;
        break;
    case 2:
        /* One iteration; descriptors 01 02 03 (TLBs), 08 (16 KiB L1 I),
         * 04 (4 MiB data TLB), 0C (16 KiB L1 D), 82 (256 KiB L2). */
        out[0] = 0x03020101u;
        out[3] = 0x0c040882u;
        break;
    case 0x80000000u:
        out[0] = MAX_EXTENDED;
        break;
    case 0x80000001u:
        break;
    case 0x80000002u:
    case 0x80000003u:
    case 0x80000004u: {
        const char *p = brand + 16 * (leaf - 0x80000002u);
        for (int k = 0; k < 4; k++)
            out[k] = le32(p + 4 * k);
        break;
    }
    }
}

void op_cpuid(struct cpu *cpu, const struct insn *i)
{
    uint32_t r[4];
    cpuid_query(reg32(cpu, R_EAX), reg32(cpu, R_ECX), r);
    set_reg32(cpu, R_EAX, r[0]);
    set_reg32(cpu, R_EBX, r[1]);
    set_reg32(cpu, R_ECX, r[2]);
    set_reg32(cpu, R_EDX, r[3]);
}
