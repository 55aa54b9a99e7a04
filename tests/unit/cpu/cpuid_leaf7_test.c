/* Unit tests of CPUID leaf 7 and IA32_ARCH_CAPABILITIES (MSR 10AH) per
 * model and per --cpu feature edit: the highest basic leaf follows the
 * features (7 with a leaf-7 feature, 0DH with XSAVE, else the model's),
 * the leaves below it that rawbox does not fill read 0, leaf 7 sub-leaf 0
 * holds the EDX word, and the MSR exists exactly when CPUID.7.0:EDX[29]
 * says so and is read-only (SDM vol. 2A CPUID leaf 07H; vol. 4 table
 * 2-2). */
#include <string.h>

#include "test.h"
#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "mem/physmem.h"

#define MSR_ARCH_CAP 0x10a

static struct physmem mem;
static struct cpu *cpu;

/* Load the model `spec` (as --cpu) into the CPU; false if it is refused. */
static bool use(const char *spec)
{
    char err[CPU_MODEL_ERR_LEN];
    bool ok = cpu_model_parse(spec, &cpu->model, err, sizeof err) == 0;
    CHECK(ok, "%s: accepted%s%s", spec, ok ? "" : ": ", ok ? "" : err);
    return ok;
}

static uint32_t max_leaf(void)
{
    uint32_t r[4];
    cpuid_query(cpu, 0, 0, r);
    return r[0];
}

/* Every register of leaf/sub is 0. */
static bool zero_leaf(uint32_t leaf, uint32_t sub)
{
    uint32_t r[4];
    cpuid_query(cpu, leaf, sub, r);
    return (r[0] | r[1] | r[2] | r[3]) == 0;
}

/* A model with ARCH_CAPABILITIES: leaf 7 and the MSR as the SDM says. */
static void check_present(const char *spec, uint32_t want_max)
{
    uint32_t r[4], r7[4];
    uint64_t v = 0;
    if (!use(spec))
        return;
    CHECK_EQ(max_leaf(), want_max, "%s: highest basic leaf", spec);
    cpuid_query(cpu, 7, 0, r7);
    CHECK_EQ(r7[0], 0, "%s: leaf 7 EAX, the highest sub-leaf, is 0", spec);
    CHECK_EQ(r7[1], 0, "%s: leaf 7 EBX 0", spec);
    CHECK_EQ(r7[2], 0, "%s: leaf 7 ECX 0", spec);
    CHECK_EQ(r7[3], CPUID_7D_ARCH_CAPABILITIES, "%s: leaf 7 EDX is bit 29 alone", spec);
    CHECK(zero_leaf(7, 1) && zero_leaf(7, 2) && zero_leaf(7, 0xffffffffu),
          "%s: leaf 7 sub-leaves 1, 2, ~0 are invalid and read 0", spec);
    for (uint32_t l = 3; l <= 6; l++)
        CHECK(zero_leaf(l, 0), "%s: leaf %u reads 0", spec, l);
    cpuid_query(cpu, 2, 0, r);
    CHECK_EQ(r[0], 0x03020101u, "%s: leaf 2 still describes the caches", spec);
    cpuid_query(cpu, want_max + 1, 0, r);
    cpuid_query(cpu, want_max, 0, r7);
    CHECK(memcmp(r, r7, sizeof r) == 0, "%s: leaf %u answers as leaf %u", spec,
          want_max + 1, want_max);
    CHECK(msr_read(cpu, MSR_ARCH_CAP, &v), "%s: RDMSR 0x10A does not fault", spec);
    CHECK_EQ(v, 0x0d10e161u, "%s: IA32_ARCH_CAPABILITIES value", spec);
    CHECK(!msr_write(cpu, MSR_ARCH_CAP, v), "%s: WRMSR 0x10A is #GP (read-only)", spec);
    CHECK(!msr_write(cpu, MSR_ARCH_CAP, 0), "%s: WRMSR 0x10A of 0 is #GP", spec);
}

/* A model without it: no leaf 7 content, and no MSR. */
static void check_absent(const char *spec, uint32_t want_max)
{
    uint64_t v = 0;
    uint32_t r[4];
    if (!use(spec))
        return;
    CHECK_EQ(max_leaf(), want_max, "%s: highest basic leaf", spec);
    cpuid_query(cpu, 7, 0, r);
    if (want_max >= 7)
        CHECK(zero_leaf(7, 0), "%s: leaf 7 in range reads 0", spec);
    else
        CHECK_EQ(r[3], 0x0c040882u, "%s: leaf 7 is above the maximum: leaf 2's answer", spec);
    CHECK(!msr_read(cpu, MSR_ARCH_CAP, &v), "%s: RDMSR 0x10A is #GP", spec);
    CHECK(!msr_write(cpu, MSR_ARCH_CAP, 0), "%s: WRMSR 0x10A is #GP", spec);
}

/* The ARCH_CAPABILITIES bits: the "not affected" ones only. */
static void check_bits(void)
{
    const uint64_t no_bits = 1u << 0 | 1u << 5 | 1u << 6 | 1u << 8 | 1u << 13 |
                             1u << 14 | 1u << 15 | 1u << 20 | 1u << 24 | 1u << 26 | 1u << 27;
    /* Bits that promise a control or a behaviour rawbox lacks: IBRS_ALL (1),
     * RSBA (2), SKIP_L1DFL_VMENTRY (3), TSX_CTRL (7), MCU_CONTROL (9),
     * MISC_PACKAGE_CTLS (10), ENERGY_FILTERING_CTL (11), DOITM (12),
     * FB_CLEAR (17), FB_CLEAR_CTRL (18), RRSBA (19), XAPIC_DISABLE (21),
     * OVERCLOCKING_STATUS (23), GDS_CTRL (25), RFDS_CLEAR (28). */
    const uint64_t controls = 1u << 1 | 1u << 2 | 1u << 3 | 1u << 7 | 1u << 9 | 1u << 10 |
                              1u << 11 | 1u << 12 | 1u << 17 | 1u << 18 | 1u << 19 |
                              1u << 21 | 1u << 23 | 1u << 25 | 1u << 28;
    CHECK_EQ(ARCH_CAPABILITIES_VALUE, no_bits, "ARCH_CAPABILITIES_VALUE: RDCL MDS "
             "PSCHANGE_MC TAA SBDR_SSDP FBSDP PSDP BHI PBRSB GDS RFDS _NO");
    /* Not SSB_NO (4): raw mode's native user code may bypass stores. */
    CHECK_EQ(ARCH_CAPABILITIES_VALUE & (1u << 4), 0, "SSB_NO not claimed");
    CHECK_EQ(ARCH_CAPABILITIES_VALUE & controls, 0, "no control or behaviour bit claimed");
}

int main(void)
{
    static struct cpu c;
    cpu = &c;
    if (physmem_init(&mem, 4u << 20) != 0 ||
        physmem_map_ram(&mem, 0, 4u << 20, 0, "ram") != 0) {
        printf("physmem setup failed\n0 passed, 1 failed\n");
        return 1;
    }
    cpu_init(cpu, &mem, NULL);
    CHECK(cpuid_has(&cpu->model, CPUID_7_0_EDX, CPUID_7D_ARCH_CAPABILITIES),
          "the default model reports ARCH_CAPABILITIES");
    check_bits();
    check_present("x86-64", 7);
    check_present("max", 0xd);
    check_present("p6,+arch-capabilities", 7);
    check_present("x86-64,arch-capabilities=on", 7);
    check_absent("p6", 2);
    check_absent("x86-64,-arch-capabilities", 2);
    check_absent("x86-64,arch-capabilities=off", 2);
    check_absent("max,-arch-capabilities", 0xd);
    cpu_free(cpu);
    physmem_free(&mem);
    return test_summary();
}
