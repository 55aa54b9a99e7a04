/* The CPU models `--cpu` chooses from, and the feature names it toggles.
 *
 * A model is one row: what CPUID leaves 0, 1, 2, 7, 0DH and 0x80000000-8
 * say.
 * Every feature a row or a `+feat` may claim is in feature_names[], and that
 * list holds only what rawbox implements (DESIGN: "CPUID reports exactly
 * what is implemented"); so `max` is all of feature_names[], and a feature
 * rawbox lacks (AVX, PCID, x2APIC...) cannot be switched on.
 *
 * Removing a feature changes what CPUID reports and what follows from it:
 * the CR4 bits MOV CR4 accepts, EFER's writable bits, the MTRRs a --kernel
 * boot programs, the APIC the board describes, and the instructions: a row
 * whose feature column the model lacks is #UD (src/cpu/decode.c for the
 * integer extensions, src/cpu/sse_check.h for MMX/SSE).
 *
 * Spelling follows QEMU's -cpu: "MODEL[,+feat][,-feat][,feat=on|off]", with
 * QEMU's feature names (target/i386/cpu.c feature_word_info). */
#include "cpu/cpuid.h"

#include <string.h>
#include <strings.h>

/* Features of a P6 (Pentium Pro/II/III) that rawbox implements: FPU, DE,
 * PSE, TSC, MSR, PAE, MCE and MCA (the P6 machine-check MSRs exist; no
 * error is ever reported), CX8, APIC (the board removes it without a local
 * APIC), SEP, MTRR (stored; caching is not modelled), PGE, CMOV, PAT
 * (likewise), PSE-36. Not VME (the V86 extensions are not complete). */
#define P6_EDX (CPUID_FPU | CPUID_DE | CPUID_PSE | CPUID_TSC | CPUID_MSR | CPUID_PAE | \
                CPUID_MCE | CPUID_CX8 | CPUID_APIC | CPUID_SEP | CPUID_MTRR | CPUID_PGE | \
                CPUID_MCA | CPUID_CMOV | CPUID_PAT | CPUID_PSE36)

/* The SIMD extensions (src/cpu/sse_*.c, docs/simd.md) with CLFLUSH and
 * FXSAVE/FXRSTOR: x86-64-v2's set without CX16/LAHF (long mode's). */
#define SIMD_EDX (CPUID_MMX | CPUID_FXSR | CPUID_SSE | CPUID_SSE2 | CPUID_CLFSH)
/* Long mode (src/cpu/efer.c, farlong.c, except64.c, syscall.c) with NX. */
#define LM_EDX (CPUID_X_NX | CPUID_X_SYSCALL | CPUID_X_LM)
#define SIMD_ECX (CPUID_C_SSE3 | CPUID_C_SSSE3 | CPUID_C_SSE41 | CPUID_C_SSE42 | CPUID_C_POPCNT)
/* Leaf 7: IA32_ARCH_CAPABILITIES, which tells the guest the CPU has none of
 * the speculative-execution flaws (cpuid.h ARCH_CAPABILITIES_VALUE), so
 * that Linux leaves page-table isolation off: two CR3 writes per system
 * call, each of which drops raw mode's shadow mappings. */
#define LEAF7_EDX CPUID_7D_ARCH_CAPABILITIES

struct model_row {
    const char *name;
    const char *desc;
    struct cpu_model m;
};

static const struct model_row models[] = {
    /* A Pentium III "Coppermine" (family 6, model 8, stepping 3) without
     * its MMX/FXSR/SSE, with that part's leaf-2 descriptors (one
     * iteration: 01 02 03 TLBs, 08 16 KiB L1 I, 04 4 MiB data TLB, 0C 16
     * KiB L1 D, 82 256 KiB L2; Pentium III specification update). No
     * leaf 7, as on the part: the highest basic leaf is 2. */
    { "p6", "32-bit P6 (family 6 model 8), x87, no MMX/SSE",
      { "GenuineIntel", 6, 8, 3, 2, 0x80000004u, { P6_EDX, 0, 0, 0 },
        { 0x03020101u, 0, 0, 0x0c040882u }, "rawbox virtual CPU", 36 } },
    /* The 64-bit model: x86-64-v2's feature set (SSE to SSE4.2, POPCNT,
     * CX16, LAHF/SAHF in 64-bit mode) with NX, SYSCALL and long mode and
     * leaf 7's ARCH_CAPABILITIES (so the highest basic leaf is 7), on
     * the signature of a Core 2 (family 6 model 15 stepping 11, as QEMU's
     * core2duo): Linux clears PAT on Intel family 6 below model 15 (the
     * P6 PAT erratum), which a 64-bit CPU should not suffer. */
    { "x86-64", "64-bit: x86-64-v2 (SSE to SSE4.2, POPCNT, CX16), NX, long mode (default)",
      { "GenuineIntel", 6, 15, 11, 2, 0x80000008u,
        { P6_EDX | SIMD_EDX, SIMD_ECX | CPUID_C_CX16, LM_EDX, CPUID_XC_LAHF_LM, LEAF7_EDX },
        { 0x03020101u, 0, 0, 0x0c040882u }, "rawbox virtual CPU (x86-64)", 36 } },
    /* Everything rawbox implements: x86-64 plus XSAVE (x87 and SSE state;
     * leaf 0DH), RDTSCP and 1 GiB pages. Leaf 0x80000008: 36 physical, 48
     * linear address bits. */
    { "max", "every feature rawbox implements",
      { "GenuineIntel", 6, 15, 11, 2, 0x80000008u,
        { P6_EDX | SIMD_EDX, SIMD_ECX | CPUID_C_CX16 | CPUID_C_XSAVE,
          LM_EDX | CPUID_X_RDTSCP | CPUID_X_PDPE1GB, CPUID_XC_LAHF_LM, LEAF7_EDX },
        { 0x03020101u, 0, 0, 0x0c040882u }, "rawbox virtual CPU (max)", 36 } },
};

struct feature_name {
    const char *name;
    enum cpuid_word word;
    uint32_t bit;
};

/* Only implemented features: the union of these is `max`. */
static const struct feature_name feature_names[] = {
    { "fpu", CPUID_1_EDX, CPUID_FPU },
    { "de", CPUID_1_EDX, CPUID_DE },
    { "pse", CPUID_1_EDX, CPUID_PSE },
    { "tsc", CPUID_1_EDX, CPUID_TSC },
    { "msr", CPUID_1_EDX, CPUID_MSR },
    { "pae", CPUID_1_EDX, CPUID_PAE },
    { "mce", CPUID_1_EDX, CPUID_MCE },
    { "cx8", CPUID_1_EDX, CPUID_CX8 },
    { "apic", CPUID_1_EDX, CPUID_APIC },
    { "sep", CPUID_1_EDX, CPUID_SEP },
    { "mtrr", CPUID_1_EDX, CPUID_MTRR },
    { "pge", CPUID_1_EDX, CPUID_PGE },
    { "mca", CPUID_1_EDX, CPUID_MCA },
    { "cmov", CPUID_1_EDX, CPUID_CMOV },
    { "pat", CPUID_1_EDX, CPUID_PAT },
    { "pse36", CPUID_1_EDX, CPUID_PSE36 },
    { "mmx", CPUID_1_EDX, CPUID_MMX },
    { "clflush", CPUID_1_EDX, CPUID_CLFSH },
    { "fxsr", CPUID_1_EDX, CPUID_FXSR },
    { "sse", CPUID_1_EDX, CPUID_SSE },
    { "sse2", CPUID_1_EDX, CPUID_SSE2 },
    { "pni", CPUID_1_ECX, CPUID_C_SSE3 },
    { "ssse3", CPUID_1_ECX, CPUID_C_SSSE3 },
    { "sse4.1", CPUID_1_ECX, CPUID_C_SSE41 },
    { "sse4.2", CPUID_1_ECX, CPUID_C_SSE42 },
    { "popcnt", CPUID_1_ECX, CPUID_C_POPCNT },
    { "xsave", CPUID_1_ECX, CPUID_C_XSAVE },
    { "cx16", CPUID_1_ECX, CPUID_C_CX16 },
    { "lahf_lm", CPUID_80000001_ECX, CPUID_XC_LAHF_LM },
    { "syscall", CPUID_80000001_EDX, CPUID_X_SYSCALL },
    { "pdpe1gb", CPUID_80000001_EDX, CPUID_X_PDPE1GB },
    { "rdtscp", CPUID_80000001_EDX, CPUID_X_RDTSCP },
    { "lm", CPUID_80000001_EDX, CPUID_X_LM },
    { "nx", CPUID_80000001_EDX, CPUID_X_NX },
    { "arch-capabilities", CPUID_7_0_EDX, CPUID_7D_ARCH_CAPABILITIES },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const struct cpu_model *cpu_model_find(const char *name)
{
    for (size_t i = 0; i < COUNT(models); i++)
        if (strcmp(models[i].name, name) == 0)
            return &models[i].m;
    return NULL;
}

const struct cpu_model *cpu_model_default(void)
{
    return cpu_model_find(CPU_MODEL_DEFAULT);
}

static const struct feature_name *feature_find(const char *name, size_t len)
{
    for (size_t i = 0; i < COUNT(feature_names); i++)
        if (strlen(feature_names[i].name) == len &&
            strncasecmp(feature_names[i].name, name, len) == 0)
            return &feature_names[i];
    return NULL;
}

int cpu_model_parse(const char *spec, struct cpu_model *out, char *err, size_t errlen)
{
    size_t n = strcspn(spec, ",");
    char name[32];
    const struct cpu_model *m;

    if (n == 0 || n >= sizeof name) {
        snprintf(err, errlen, "expected MODEL[,+feature,-feature] (--cpu help lists them)");
        return -1;
    }
    memcpy(name, spec, n);
    name[n] = 0;
    m = cpu_model_find(name);
    if (!m) {
        snprintf(err, errlen, "unknown CPU model %s (--cpu help lists the models)", name);
        return -1;
    }
    *out = *m;
    for (const char *p = spec + n; *p; ) {
        const char *item = ++p, *val = NULL;
        size_t len = strcspn(item, ","), flen = len;
        int on;
        const struct feature_name *f;

        p = item + len;
        if (*item == '+' || *item == '-') {
            on = *item == '+';
            item++;
            flen = len - 1;
        } else {
            const char *eq = memchr(item, '=', len);
            if (!eq) {
                snprintf(err, errlen, "%.*s: expected +feature, -feature or feature=on|off",
                         (int)len, item);
                return -1;
            }
            flen = (size_t)(eq - item);
            val = eq + 1;
            size_t vlen = len - flen - 1;
            if (vlen == 2 && strncmp(val, "on", 2) == 0)
                on = 1;
            else if (vlen == 3 && strncmp(val, "off", 3) == 0)
                on = 0;
            else {
                snprintf(err, errlen, "%.*s: expected on or off", (int)len, item);
                return -1;
            }
        }
        f = feature_find(item, flen);
        if (!f) {
            snprintf(err, errlen,
                     "%.*s: unknown feature, or one rawbox does not implement (--cpu help lists them)",
                     (int)flen, item);
            return -1;
        }
        if (on)
            out->feat[f->word] |= f->bit;
        else
            out->feat[f->word] &= ~f->bit;
    }
    return 0;
}

void cpu_model_list(FILE *f)
{
    fprintf(f, "CPU models (--cpu MODEL[,+feature,-feature,feature=on|off]):\n");
    for (size_t i = 0; i < COUNT(models); i++)
        fprintf(f, "  %-6s %s\n", models[i].name, models[i].desc);
    fprintf(f, "Features (all implemented; a model may leave some out):\n ");
    for (size_t i = 0; i < COUNT(feature_names); i++)
        fprintf(f, " %s", feature_names[i].name);
    fprintf(f, "\n");
}
