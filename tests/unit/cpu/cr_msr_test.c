/* Unit tests of the control-register, debug-register, MSR, CPUID and
 * SYSENTER/SYSEXIT handlers: the #GP/#UD/#DB rules and register effects,
 * driven through the handlers with hand-built instruction records. */
#include <setjmp.h>

#include "test.h"
#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/debug.h"
#include "cpu/except.h"
#include "cpu/insn.h"
#include "cpu/mmu.h"
#include "mem/physmem.h"

void op_mov_Cd_Rd(struct cpu *cpu, const struct insn *i);
void op_mov_Rd_Cd(struct cpu *cpu, const struct insn *i);
void op_mov_Dd_Rd(struct cpu *cpu, const struct insn *i);
void op_mov_Rd_Dd(struct cpu *cpu, const struct insn *i);
void op_rdmsr(struct cpu *cpu, const struct insn *i);
void op_wrmsr(struct cpu *cpu, const struct insn *i);
void op_rdtsc(struct cpu *cpu, const struct insn *i);
void op_rdpmc(struct cpu *cpu, const struct insn *i);
void op_cpuid(struct cpu *cpu, const struct insn *i);
void op_sysenter(struct cpu *cpu, const struct insn *i);
void op_sysexit(struct cpu *cpu, const struct insn *i);

static struct physmem mem;
static struct cpu *cpu;
static volatile int fault_vec;
static volatile uint32_t fault_code;

static bool fault_record(void)
{
    fault_vec = cpu->exc_vector;
    fault_code = cpu->exc_code;
    return true;
}

#define TRY(stmt) ({                                        \
    volatile bool faulted_ = false;                         \
    if (setjmp(cpu->fault_jmp))                             \
        faulted_ = fault_record();                          \
    else {                                                  \
        stmt;                                               \
    }                                                       \
    faulted_; })

#define EXPECT_FAULT(stmt, vec, name) do {                              \
    if (TRY(stmt))                                                      \
        CHECK_EQ(fault_vec, vec, "%s", name);                           \
    else                                                                \
        CHECK(0, "%s: expected a fault", name);                         \
} while (0)
#define EXPECT_OK(stmt, name) CHECK(!TRY(stmt), "%s: no fault", name)

static struct insn ins;

static void mov_cr(unsigned cr, uint32_t v)
{
    ins.reg = (uint8_t)cr;
    ins.rm = R_EAX;
    set_reg32(cpu, R_EAX, v);
    op_mov_Cd_Rd(cpu, &ins);
}

static uint32_t get_cr(unsigned cr)
{
    ins.reg = (uint8_t)cr;
    ins.rm = R_EBX;
    op_mov_Rd_Cd(cpu, &ins);
    return reg32(cpu, R_EBX);
}

static void mov_dr(unsigned dr, uint32_t v)
{
    ins.reg = (uint8_t)dr;
    ins.rm = R_EAX;
    set_reg32(cpu, R_EAX, v);
    op_mov_Dd_Rd(cpu, &ins);
}

static uint32_t get_dr(unsigned dr)
{
    ins.reg = (uint8_t)dr;
    ins.rm = R_EBX;
    op_mov_Rd_Dd(cpu, &ins);
    return reg32(cpu, R_EBX);
}

static void wrmsr(uint32_t idx, uint64_t v)
{
    set_reg32(cpu, R_ECX, idx);
    set_reg32(cpu, R_EAX, (uint32_t)v);
    set_reg32(cpu, R_EDX, (uint32_t)(v >> 32));
    op_wrmsr(cpu, &ins);
}

static uint64_t rdmsr(uint32_t idx)
{
    set_reg32(cpu, R_ECX, idx);
    op_rdmsr(cpu, &ins);
    return (uint64_t)reg32(cpu, R_EDX) << 32 | reg32(cpu, R_EAX);
}

static uint64_t fake_ns;
static uint64_t fake_clock(void *opaque) { (void)opaque; return fake_ns; }

static void reset(void)
{
    cpu_reset(cpu);
    cpu->s.cr0 |= CR0_PE;
    cpu->s.cr0 &= ~(CR0_CD | CR0_NW);
    cpu_update_mode(cpu);
}

static void test_cr(void)
{
    reset();
    EXPECT_FAULT(mov_cr(0, CR0_PG | CR0_ET), EXC_GP, "CR0: PG without PE is #GP");
    EXPECT_FAULT(mov_cr(0, CR0_PE | CR0_NW), EXC_GP, "CR0: NW without CD is #GP");
    EXPECT_OK(mov_cr(0, CR0_PE | 0x00000400u), "CR0: reserved bit 10 ignored");
    CHECK_EQ(get_cr(0), CR0_PE | CR0_ET, "CR0: reserved bits read 0, ET reads 1");
    EXPECT_FAULT(mov_cr(1, 0), EXC_UD, "CR1 is #UD");
    EXPECT_FAULT(get_cr(5), EXC_UD, "CR5 is #UD");
    EXPECT_FAULT(mov_cr(4, CR4_VME), EXC_GP, "CR4.VME not implemented: #GP");
    EXPECT_FAULT(mov_cr(4, CR4_OSFXSR), EXC_GP, "CR4.OSFXSR without FXSR: #GP");
    EXPECT_OK(mov_cr(4, CR4_PSE | CR4_PGE | CR4_DE | CR4_TSD), "CR4: PSE PGE DE TSD accepted");
    CHECK_EQ(get_cr(4), CR4_PSE | CR4_PGE | CR4_DE | CR4_TSD, "CR4 reads back");
    mov_cr(2, 0x12345678);
    CHECK_EQ(cpu->s.cr2, 0x12345678, "CR2 written");

    cpu->s.cpl = 3;
    EXPECT_FAULT(mov_cr(3, 0), EXC_GP, "MOV CR3 at CPL 3 is #GP");
    EXPECT_FAULT(get_cr(0), EXC_GP, "MOV from CR0 at CPL 3 is #GP");
    cpu->s.cpl = 0;

    /* PAE: a reserved PDPTE bit refuses CR3 and CR0.PG. */
    physmem_write(&mem, 0x10000, 0x11000 | 1 | 2, 8);        /* R/W bit reserved */
    mov_cr(4, CR4_PAE);
    mov_cr(3, 0x10000);
    EXPECT_FAULT(mov_cr(0, CR0_PE | CR0_PG), EXC_GP, "CR0.PG with a bad PDPTE is #GP");
    CHECK(!(cpu->s.cr0 & CR0_PG), "CR0 unchanged after the #GP");
    physmem_write(&mem, 0x10000, 0x11000 | 1, 8);
    EXPECT_OK(mov_cr(0, CR0_PE | CR0_PG), "CR0.PG with valid PDPTEs");
    physmem_write(&mem, 0x20000, 1ull << 40 | 1, 8);
    EXPECT_FAULT(mov_cr(3, 0x20000), EXC_GP, "MOV CR3 with a bad PDPTE under PAE paging");
    CHECK_EQ(cpu->s.cr3, 0x10000, "CR3 unchanged after the #GP");
    mov_cr(0, CR0_PE);
}

static void test_dr(void)
{
    reset();
    CHECK_EQ(get_dr(6), 0xffff0ff0u, "DR6 reset value");
    CHECK_EQ(get_dr(7), 0x400u, "DR7 reset value");
    mov_dr(6, 0x0000000f);
    CHECK_EQ(get_dr(6), 0xffff0fffu, "DR6 write keeps the fixed bits");
    CHECK_EQ(get_dr(4), 0xffff0fffu, "DR4 aliases DR6 without CR4.DE");
    mov_dr(5, 0x1);
    CHECK_EQ(get_dr(7), 0x401u, "DR5 aliases DR7 without CR4.DE");
    mov_cr(4, CR4_DE);
    EXPECT_FAULT(get_dr(4), EXC_UD, "DR4 with CR4.DE is #UD");
    mov_dr(7, 0x2000);
    EXPECT_FAULT(get_dr(0), EXC_DB, "DR7.GD: #DB on the next DR access");
    CHECK(cpu->s.dr[6] & DR6_BD, "DR6.BD set");
    CHECK(!(cpu->s.dr[7] & DR7_GD), "GD cleared");
    mov_dr(7, 0);
    cpu->s.cpl = 3;
    EXPECT_FAULT(get_dr(0), EXC_GP, "MOV from DR0 at CPL 3 is #GP");
    cpu->s.cpl = 0;

    /* Breakpoint matching. */
    mov_dr(0, 0x5000);
    mov_dr(7, 0x1);                     /* L0, execute */
    CHECK(debug_insn_breakpoint(cpu, 0x5000), "instruction breakpoint matches");
    CHECK_EQ(cpu->s.dr[6] & 0xf, 1, "B0 reported");
    CHECK(!debug_insn_breakpoint(cpu, 0x5001), "other address does not match");
    cpu->s.rflags |= FL_RF;
    CHECK(!debug_insn_breakpoint(cpu, 0x5000), "RF suppresses it");
    cpu->s.rflags &= ~FL_RF;
    mov_dr(1, 0x6002);
    mov_dr(7, 0x4 | (1u << 20) | (1u << 22));    /* L1, write, 2 bytes */
    CHECK(cpu->tlb.bp_data, "data breakpoint armed");
    cpu->pending_db = 0;
    cpu->db_status = 0;
    cpu->s.seg[SEG_DS].attr = 0x93;
    cpu->s.seg[SEG_DS].limit = 0xffff;
    cpu->s.seg[SEG_DS].base = 0;
    cpu_rd16(cpu, SEG_DS, 0x6002);
    CHECK(!cpu->pending_db, "write breakpoint: read does not hit");
    cpu_wr8(cpu, SEG_DS, 0x6003, 1);
    CHECK(cpu->pending_db && (cpu->db_status & 2), "write breakpoint hit through the slow path");
    cpu->pending_db = 0;
    cpu->db_status = 0;
    cpu_wr8(cpu, SEG_DS, 0x6004, 1);
    CHECK(!cpu->pending_db, "byte after the 2-byte range does not hit");
    mov_dr(7, 0);
    CHECK(!cpu->tlb.bp_data, "data breakpoint disarmed");
    /* I/O breakpoints need CR4.DE. */
    mov_dr(2, 0x80);
    mov_dr(7, 0x10 | (2u << 24));
    mov_cr(4, 0);
    debug_io(cpu, 0x80, 1);
    CHECK(!cpu->pending_db, "I/O breakpoint ignored without CR4.DE");
    mov_cr(4, CR4_DE);
    debug_io(cpu, 0x80, 1);
    CHECK(cpu->pending_db && (cpu->db_status & 4), "I/O breakpoint with CR4.DE");
    cpu->pending_db = 0;
    cpu->db_status = 0;
    mov_dr(7, 0);
}

static void test_msr(void)
{
    reset();
    EXPECT_FAULT(rdmsr(0x12345), EXC_GP, "unknown MSR read is #GP");
    EXPECT_FAULT(wrmsr(0xc0000080u, 0), EXC_GP, "EFER (no long mode) is #GP");
    EXPECT_FAULT(wrmsr(0xfe, 0), EXC_GP, "MTRRcap is read-only");
    CHECK_EQ(rdmsr(0xfe), 0x508, "MTRRcap value");
    EXPECT_FAULT(wrmsr(0x277, 0x0007040600070402ull), EXC_GP, "PAT type 2 is #GP");
    EXPECT_OK(wrmsr(0x277, 0x0007040600070407ull), "PAT UC- accepted");
    CHECK_EQ(rdmsr(0x277), 0x0007040600070407ull, "PAT reads back");
    EXPECT_FAULT(wrmsr(0x200, 0x3), EXC_GP, "MTRR PhysBase with type 3 is #GP");
    EXPECT_FAULT(wrmsr(0x201, 1ull << 40), EXC_GP, "MTRR PhysMask above bit 35 is #GP");
    EXPECT_OK(wrmsr(0x201, 0xff0000800ull), "MTRR PhysMask valid");
    EXPECT_FAULT(wrmsr(0x210, 0), EXC_GP, "ninth variable MTRR does not exist");
    EXPECT_FAULT(wrmsr(0x2ff, 0x1006), EXC_GP, "MTRRdefType reserved bit 12");
    EXPECT_FAULT(wrmsr(0x1b, 0xfee00001ull), EXC_GP, "APIC_BASE reserved bit 0");
    EXPECT_OK(wrmsr(0x1b, 0xfec00800ull), "APIC_BASE move");
    CHECK_EQ(rdmsr(0x1b), 0xfec00900ull, "APIC_BASE BSP bit is read-only");
    wrmsr(0x174, 0x10);
    wrmsr(0x175, 0x8000);
    wrmsr(0x176, 0x1000);
    CHECK_EQ(rdmsr(0x174), 0x10, "SYSENTER_CS");
    CHECK_EQ(rdmsr(0x176), 0x1000, "SYSENTER_EIP");

    cpu->env.tsc_now = fake_clock;
    fake_ns = 1000;
    wrmsr(0x10, 0x100000000ull | 5000);
    CHECK_EQ(rdmsr(0x10), 5000, "TSC write sets the low 32 bits, clears the high ones");
    fake_ns = 3000;
    op_rdtsc(cpu, &ins);
    CHECK_EQ(reg32(cpu, R_EAX), 7000, "TSC counts nanoseconds at 1 GHz");
    cpu->s.cr4 |= CR4_TSD;
    cpu->s.cpl = 3;
    EXPECT_FAULT(op_rdtsc(cpu, &ins), EXC_GP, "RDTSC with CR4.TSD at CPL 3 is #GP");
    EXPECT_FAULT(rdmsr(0x10), EXC_GP, "RDMSR at CPL 3 is #GP");
    cpu->s.cpl = 0;
    cpu->s.cr4 = 0;
}

static uint64_t rdpmc(uint32_t k)
{
    set_reg32(cpu, R_ECX, k);
    op_rdpmc(cpu, &ins);
    return (uint64_t)reg32(cpu, R_EDX) << 32 | reg32(cpu, R_EAX);
}

/* P6 performance counters, RDPMC and the machine-check MSRs. */
static void test_pmc_mca(void)
{
    reset();
    CHECK_EQ(rdmsr(0x186), 0, "PerfEvtSel0 resets to 0");
    CHECK_EQ(rdmsr(0x187), 0, "PerfEvtSel1 resets to 0");
    /* Linux's check_hw_exists(): PerfCtr0 ^= 0xffff must read back. */
    uint64_t v = rdmsr(0xc1) ^ 0xffff;
    wrmsr(0xc1, v);
    CHECK_EQ(rdmsr(0xc1), v, "PerfCtr0 keeps what is written");
    wrmsr(0xc2, 0x80000005ull);
    CHECK_EQ(rdmsr(0xc2), 0xff80000005ull, "PerfCtr1 write: bit 31 copied into bits 39:32");
    wrmsr(0xc2, 0xabcd12345678ull);
    CHECK_EQ(rdmsr(0xc2), 0x12345678ull, "PerfCtr1 write: bits 63:32 of EDX:EAX ignored");
    EXPECT_FAULT(wrmsr(0x186, 1u << 21), EXC_GP, "PerfEvtSel0 reserved bit 21 is #GP");
    EXPECT_FAULT(wrmsr(0x187, 1ull << 32), EXC_GP, "PerfEvtSel1 bits 63:32 are #GP");
    EXPECT_OK(wrmsr(0x187, 0x000300c0), "PerfEvtSel1 INST_RETIRED, USR+OS, EN clear");
    wrmsr(0xc2, 100);
    cpu->icount += 50;
    CHECK_EQ(rdmsr(0xc2), 100, "counter 1 stands still while PerfEvtSel0.EN is clear");
    wrmsr(0x186, 0x00430079);           /* EN, USR+OS, CPU_CLK_UNHALTED */
    cpu->icount += 7;
    CHECK_EQ(rdmsr(0xc2), 107, "EN in PerfEvtSel0 starts counter 1 (instructions retired)");
    CHECK_EQ(rdmsr(0xc1), v, "counter 0 (an event not modelled) keeps its value");
    CHECK_EQ(rdpmc(1), 107, "RDPMC 1 at CPL 0");
    wrmsr(0x186, 0);
    cpu->icount += 9;
    CHECK_EQ(rdmsr(0xc2), 107, "clearing EN stops the counters");
    wrmsr(0xc1, 0x7fffffffull);
    CHECK_EQ(rdpmc(0), 0x7fffffffull, "RDPMC 0: EDX:EAX = the 40-bit counter");
    EXPECT_FAULT(rdpmc(2), EXC_GP, "RDPMC ECX=2 is #GP on P6 (two counters)");
    cpu->s.cpl = 3;
    EXPECT_FAULT(rdpmc(0), EXC_GP, "RDPMC at CPL 3 with CR4.PCE clear is #GP");
    cpu->s.cr4 |= CR4_PCE;
    EXPECT_OK(rdpmc(0), "RDPMC at CPL 3 with CR4.PCE set");
    cpu->s.cpl = 0;
    cpu->s.cr4 = 0;

    CHECK_EQ(rdmsr(0x179), 0x105, "MCG_CAP: five banks, MCG_CTL present");
    EXPECT_FAULT(wrmsr(0x179, 0), EXC_GP, "MCG_CAP is read-only");
    EXPECT_OK(wrmsr(0x17b, ~0ull), "MCG_CTL all ones");
    CHECK_EQ(rdmsr(0x17b), ~0ull, "MCG_CTL reads back");
    EXPECT_OK(wrmsr(0x17a, 0), "MCG_STATUS cleared");
    EXPECT_FAULT(wrmsr(0x17a, 8), EXC_GP, "MCG_STATUS reserved bit 3 is #GP");
    EXPECT_OK(wrmsr(0x410, ~0ull), "MC4_CTL all ones");
    CHECK_EQ(rdmsr(0x410), ~0ull, "MC4_CTL reads back");
    CHECK_EQ(rdmsr(0x411), 0, "MC4_STATUS: no error logged");
    EXPECT_OK(wrmsr(0x401, 0), "MC0_STATUS write of 0");
    EXPECT_FAULT(wrmsr(0x401, 1), EXC_GP, "MC0_STATUS non-zero write is #GP");
    EXPECT_FAULT(rdmsr(0x403), EXC_GP, "MC0_MISC is not implemented on P6");
    EXPECT_FAULT(rdmsr(0x414), EXC_GP, "no sixth bank");
    CHECK_EQ(rdmsr(0x0), 0, "P5_MC_ADDR reads 0");
    CHECK_EQ(rdmsr(0x1), 0, "P5_MC_TYPE reads 0");
    EXPECT_OK(mov_cr(4, CR4_MCE | CR4_PCE), "CR4.MCE and CR4.PCE accepted");
    cpu->s.cr4 = 0;
}

static void test_cpuid(void)
{
    uint32_t r[4], top[4];
    cpuid_query(cpu, 0, 0, r);
    CHECK_EQ(r[0], 2, "max basic leaf 2");
    CHECK_EQ(r[1], 0x756e6547, "Genu");
    cpuid_query(cpu, 1, 0, r);
    CHECK_EQ(r[0], 0x683, "signature");
    CHECK(!(r[3] & (CPUID_MMX | CPUID_VME)), "no MMX/VME");
    CHECK(r[3] & CPUID_APIC, "APIC reported while IA32_APIC_BASE.EN is set");
    wrmsr(0x1b, 0xfee00100ull);
    cpuid_query(cpu, 1, 0, r);
    CHECK(!(r[3] & CPUID_APIC), "APIC bit clear while IA32_APIC_BASE.EN is clear");
    wrmsr(0x1b, 0xfee00900ull);
    cpuid_query(cpu, 1, 0, r);
    CHECK(r[3] & CPUID_APIC, "and back with EN");
    CHECK((r[3] & (CPUID_MCE | CPUID_MCA)) == (CPUID_MCE | CPUID_MCA),
          "MCE and MCA reported (the P6 machine-check MSRs exist)");
    CHECK(r[3] & CPUID_SEP, "SEP");
    cpuid_query(cpu, 2, 0, top);
    cpuid_query(cpu, 7, 0, r);
    CHECK(memcmp(r, top, sizeof r) == 0, "leaf above the maximum returns the highest basic leaf");
    cpuid_query(cpu, 0x80000008u, 0, r);
    CHECK(memcmp(r, top, sizeof r) == 0, "extended leaf above the maximum too");
    set_reg32(cpu, R_EAX, 0x80000003u);
    op_cpuid(cpu, &ins);
    CHECK_EQ(reg32(cpu, R_EAX), 0x5550, "brand string ends \"PU\"");
}

static void test_sysenter(void)
{
    reset();
    cpu->s.cr0 &= ~CR0_PE;
    cpu_update_mode(cpu);
    wrmsr(0x174, 0x10);
    EXPECT_FAULT(op_sysenter(cpu, &ins), EXC_GP, "SYSENTER in real mode is #GP");
    reset();
    wrmsr(0x174, 0);
    EXPECT_FAULT(op_sysenter(cpu, &ins), EXC_GP, "SYSENTER with SYSENTER_CS 0 is #GP");
    wrmsr(0x174, 0x13);
    wrmsr(0x175, 0x9000);
    wrmsr(0x176, 0x12345678);
    cpu->s.rflags |= FL_IF | FL_RF;
    cpu->s.cpl = 3;
    EXPECT_OK(op_sysenter(cpu, &ins), "SYSENTER");
    CHECK_EQ(cpu->s.seg[SEG_CS].sel, 0x10, "CS = SYSENTER_CS with RPL 0");
    CHECK_EQ(cpu->s.seg[SEG_SS].sel, 0x18, "SS = CS + 8");
    CHECK_EQ(cpu->s.seg[SEG_CS].limit, 0xffffffffu, "flat CS");
    CHECK_EQ(cpu->s.cpl, 0, "CPL 0");
    CHECK(cpu->s.code_size == 4 && cpu->s.mode == MODE_PROT32, "32-bit code");
    CHECK_EQ(cpu->next_rip, 0x12345678, "EIP = SYSENTER_EIP");
    CHECK_EQ(reg32(cpu, R_ESP), 0x9000, "ESP = SYSENTER_ESP");
    CHECK(!(cpu->s.rflags & (FL_IF | FL_RF)), "IF and RF cleared");
    set_reg32(cpu, R_ECX, 0x7000);
    set_reg32(cpu, R_EDX, 0x400000);
    EXPECT_OK(op_sysexit(cpu, &ins), "SYSEXIT");
    CHECK_EQ(cpu->s.seg[SEG_CS].sel, 0x23, "CS = SYSENTER_CS + 16, RPL 3");
    CHECK_EQ(cpu->s.seg[SEG_SS].sel, 0x2b, "SS = SYSENTER_CS + 24, RPL 3");
    CHECK_EQ(cpu->s.cpl, 3, "CPL 3");
    CHECK_EQ(SEGA_DPL(cpu->s.seg[SEG_CS].attr), 3, "CS DPL 3");
    CHECK_EQ(cpu->next_rip, 0x400000, "EIP = EDX");
    CHECK_EQ(reg32(cpu, R_ESP), 0x7000, "ESP = ECX");
    EXPECT_FAULT(op_sysexit(cpu, &ins), EXC_GP, "SYSEXIT at CPL 3 is #GP");
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
    test_cr();
    test_dr();
    test_msr();
    test_pmc_mca();
    test_cpuid();
    test_sysenter();
    cpu_free(cpu);
    physmem_free(&mem);
    return test_summary();
}
