/* CPUID, the CPU models, MSRs and the time-stamp counter (src/cpu/cpuid.c,
 * src/cpu/cpu_model.c, src/cpu/msr.c). A model's feature bits are the
 * single list of what that vCPU claims; CR4 writes accept only the bits
 * these features allow. */
#ifndef RAWBOX_CPU_CPUID_H
#define RAWBOX_CPU_CPUID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct cpu;

/* CPUID.1:EDX bits. */
#define CPUID_FPU   (1u << 0)
#define CPUID_VME   (1u << 1)
#define CPUID_DE    (1u << 2)
#define CPUID_PSE   (1u << 3)
#define CPUID_TSC   (1u << 4)
#define CPUID_MSR   (1u << 5)
#define CPUID_PAE   (1u << 6)
#define CPUID_MCE   (1u << 7)
#define CPUID_CX8   (1u << 8)
#define CPUID_APIC  (1u << 9)
#define CPUID_SEP   (1u << 11)
#define CPUID_MTRR  (1u << 12)
#define CPUID_PGE   (1u << 13)
#define CPUID_MCA   (1u << 14)
#define CPUID_CMOV  (1u << 15)
#define CPUID_PAT   (1u << 16)
#define CPUID_PSE36 (1u << 17)
#define CPUID_CLFSH (1u << 19)
#define CPUID_MMX   (1u << 23)
#define CPUID_FXSR  (1u << 24)
#define CPUID_SSE   (1u << 25)
#define CPUID_SSE2  (1u << 26)

/* CPUID.1:ECX bits. */
#define CPUID_C_SSE3    (1u << 0)
#define CPUID_C_SSSE3   (1u << 9)
#define CPUID_C_CX16    (1u << 13)
#define CPUID_C_SSE41   (1u << 19)
#define CPUID_C_SSE42   (1u << 20)
#define CPUID_C_POPCNT  (1u << 23)
#define CPUID_C_XSAVE   (1u << 26)
#define CPUID_C_OSXSAVE (1u << 27)

/* CPUID.(EAX=7,ECX=0):EDX bits. */
#define CPUID_7D_ARCH_CAPABILITIES (1u << 29)   /* MSR 10AH exists */

/* CPUID.80000001h:ECX bits. */
#define CPUID_XC_LAHF_LM (1u << 0)

/* CPUID.80000001h:EDX bits (AMD APM vol. 3 E.4.2; Intel reports only
 * SYSCALL, NX, Page1GB, RDTSCP and LM there). */
#define CPUID_X_SYSCALL (1u << 11)
#define CPUID_X_NX      (1u << 20)
#define CPUID_X_PDPE1GB (1u << 26)
#define CPUID_X_RDTSCP  (1u << 27)
#define CPUID_X_LM      (1u << 29)

/* The feature words of CPUID, one per leaf and register that holds
 * feature bits, as QEMU's FeatureWord: a model fills them, --cpu +feat /
 * -feat edits them, and cpuid_query() reports them. */
enum cpuid_word {
    CPUID_1_EDX,
    CPUID_1_ECX,
    CPUID_80000001_EDX,
    CPUID_80000001_ECX,
    CPUID_7_0_EDX,              /* leaf 7 sub-leaf 0 */
    CPUID_WORDS
};

/* What a vCPU says it is (CPUID) and so what guest code may use. Owned by
 * each CPU (cpu->model); set from a row of the model table at cpu_init()
 * and by the board from --cpu. CPUID.1:EDX.APIC is further cleared while
 * IA32_APIC_BASE.EN is 0 (SDM vol. 3A 11.4.3). */
struct cpu_model {
    char vendor[13];            /* 12 bytes, as EBX EDX ECX of leaf 0 */
    uint8_t family, model, stepping;
    uint32_t max_basic;         /* highest basic leaf */
    uint32_t max_extended;      /* highest 0x8000xxxx leaf */
    uint32_t feat[CPUID_WORDS];
    uint32_t leaf2[4];          /* cache/TLB descriptors (Intel leaf 2) */
    char brand[48];             /* leaves 0x80000002-4, NUL padded */
    /* MAXPHYADDR, reported by leaf 0x80000008 when max_extended reaches
     * it; 0 means 36, the width of a CPU without that leaf (SDM vol. 3A
     * 4.1.4). */
    uint8_t phys_bits;
};

/* An AMD model (where AMD and Intel CPUs differ: SYSCALL outside 64-bit
 * mode, SYSENTER in long mode, far pointers with REX.W): on the system
 * call paths, so no strcmp. */
static inline bool cpuid_vendor_amd(const struct cpu_model *m)
{
    return memcmp(m->vendor, "AuthenticAMD", 12) == 0;
}

/* MAXPHYADDR of this model: physical-address bits above it are reserved
 * in CR3, page-table entries and the MTRRs. */
static inline unsigned cpuid_phys_bits(const struct cpu_model *m)
{
    return m->phys_bits ? m->phys_bits : 36;
}

/* EAX of CPUID.1 and EDX after RESET: family, model, stepping (SDM vol. 2A
 * CPUID, figure 3-6; no extended family/model below family 15). */
uint32_t cpuid_signature(const struct cpu_model *m);

/* The four registers EAX, EBX, ECX, EDX of leaf/subleaf on this CPU. */
void cpuid_query(const struct cpu *cpu, uint32_t leaf, uint32_t sub, uint32_t out[4]);

/* CR4 bits a MOV CR4 may set with the features of this model. */
uint32_t cpuid_cr4_valid(const struct cpu_model *m);

static inline bool cpuid_has(const struct cpu_model *m, enum cpuid_word w, uint32_t bit)
{
    return (m->feat[w] & bit) != 0;
}

/* ---- the model table (src/cpu/cpu_model.c) ---- */

#define CPU_MODEL_DEFAULT "x86-64"
#define CPU_MODEL_ERR_LEN 160

/* The model named `name` (NULL if none); cpu_model_default() is the
 * CPU_MODEL_DEFAULT row. */
const struct cpu_model *cpu_model_find(const char *name);
const struct cpu_model *cpu_model_default(void);

/* QEMU's -cpu syntax: "MODEL[,+feat][,-feat][,feat=on|off]...". Fills *out,
 * or returns -1 with a one-line reason in err (unknown model, unknown or
 * unimplemented feature). */
int cpu_model_parse(const char *spec, struct cpu_model *out, char *err, size_t errlen);

/* `--cpu help`: the models and the feature names, one per line. */
void cpu_model_list(FILE *f);

/* Guest TSC frequency: the TSC counts the nanoseconds of the CPU's clock
 * (cpu->env.tsc_now, host monotonic time when the board gives none). */
#define TSC_HZ 1000000000ull
uint64_t msr_read_tsc(struct cpu *cpu);

/* IA32_ARCH_CAPABILITIES (MSR 10AH, read-only), present when CPUID.7.0:EDX
 * bit 29 is set (SDM vol. 2A CPUID leaf 07H, vol. 4 table 2-2; the names
 * are Linux's, msr-index.h). Only "not affected" bits, no control bit
 * (IBRS_ALL, TSX_CTRL, FB_CLEAR, SKIP_L1DFL_VMENTRY, DOITM...): rawbox has
 * none of those controls. Each holds because the guest kernel runs in the
 * interpreter, which executes one instruction at a time, in order, with no
 * speculation, caches, fill or store buffers. Guest user code that raw
 * mode runs natively runs in a host process that maps only the guest's
 * user pages (never the kernel's: nothing for Meltdown to read, nothing
 * for PTI to hide), and every switch between it and the interpreter goes
 * through the host kernel, whose own mitigations apply (a guest VERW or RSB
 * fill run by the interpreter would not reach the host CPU anyway). Not
 * SSB_NO (bit 4): natively run user code does speculate on the host CPU
 * within its own process (store bypass, like Spectre), so the guest is
 * told it is affected (it cannot mitigate it: no SSBD). */
#define ARCH_CAPABILITIES_VALUE                                              \
    ((1ull << 0) |  /* RDCL_NO: no Rogue Data Cache Load (Meltdown), L1TF */ \
     (1ull << 5) |  /* MDS_NO: no Microarchitectural Data Sampling */        \
     (1ull << 6) |  /* PSCHANGE_MC_NO: no machine check when a code page's   \
                       size changes without a TLB flush */                   \
     (1ull << 8) |  /* TAA_NO: no TSX Asynchronous Abort (and no TSX) */     \
     (1ull << 13) | /* SBDR_SSDP_NO: no Shared Buffers Data Read or Sideband \
                       Stale Data Propagator (MMIO stale data) */            \
     (1ull << 14) | /* FBSDP_NO: no Fill Buffer Stale Data Propagator */     \
     (1ull << 15) | /* PSDP_NO: no Primary Stale Data Propagator */          \
     (1ull << 20) | /* BHI_NO: no Branch History Injection */                \
     (1ull << 24) | /* PBRSB_NO: no Post-Barrier RSB predictions */          \
     (1ull << 26) | /* GDS_NO: no Gather Data Sampling */                    \
     (1ull << 27))  /* RFDS_NO: no Register File Data Sampling */

/* MSR access without the privilege check; false means #GP(0). */
bool msr_read(struct cpu *cpu, uint32_t idx, uint64_t *v);
bool msr_write(struct cpu *cpu, uint32_t idx, uint64_t v);

#endif
