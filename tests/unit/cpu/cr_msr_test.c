/* Unit tests of the control-register, debug-register, MSR, CPUID and
 * SYSENTER/SYSEXIT handlers: the #GP/#UD/#DB rules and register effects,
 * driven through the handlers with hand-built instruction records. */
#include <setjmp.h>
#include <string.h>

#include "test.h"
#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/debug.h"
#include "cpu/except.h"
#include "cpu/insn.h"
#include "cpu/longmode.h"
#include "cpu/mmu.h"
#include "cpu/seg.h"
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
void op_syscall(struct cpu *cpu, const struct insn *i);
void op_sysret(struct cpu *cpu, const struct insn *i);
void op_swapgs(struct cpu *cpu, const struct insn *i);
void op_rdtscp(struct cpu *cpu, const struct insn *i);

static struct physmem mem;
static struct cpu *cpu;
#include "fault_catch.h"
/* Here a fault is checked by vector only. */
#undef EXPECT_FAULT
#define EXPECT_FAULT(stmt, vec, name) do {                              \
    if (TRY(stmt))                                                      \
        CHECK_EQ(fault_vec, vec, "%s", name);                           \
    else                                                                \
        CHECK(0, "%s: expected a fault", name);                         \
} while (0)

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
    CHECK_EQ(rdmsr(0x1a0), 1, "MISC_ENABLE resets with fast strings enabled");
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
    EXPECT_FAULT(wrmsr(0x410, 0xaaaaaaaaaaaaaaaaull), EXC_GP,
                 "MC4_CTL other than all 0s or all 1s is #GP on P6");
    EXPECT_FAULT(wrmsr(0x400, 0xffffffffull), EXC_GP, "MC0_CTL with only the low half set is #GP");
    CHECK_EQ(rdmsr(0x410), ~0ull, "MC4_CTL unchanged by the refused write");
    EXPECT_OK(wrmsr(0x410, 0), "MC4_CTL all zeros");
    CHECK_EQ(rdmsr(0x410), 0, "MC4_CTL reads back 0");
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

/* A model claiming long mode, NX, SYSCALL and RDTSCP with MAXPHYADDR 40,
 * as the long-mode rules need; the shipped models do not claim LM yet. */
static void use_lm_model(void)
{
    cpu->model.feat[CPUID_80000001_EDX] |= CPUID_X_LM | CPUID_X_NX | CPUID_X_SYSCALL |
                                           CPUID_X_RDTSCP;
    cpu->model.max_extended = 0x80000008u;
    cpu->model.phys_bits = 40;
}

/* EFER and the long-mode MSRs (SDM vol. 4 table 2-2, APM vol. 2 3.1.7). */
static void test_efer_msrs(void)
{
    struct cpu_model saved = cpu->model;
    reset();
    EXPECT_FAULT(rdmsr(MSR_EFER), EXC_GP, "P6: no EFER");
    EXPECT_FAULT(wrmsr(MSR_LSTAR, 0), EXC_GP, "P6: no LSTAR");
    EXPECT_FAULT(rdmsr(MSR_TSC_AUX), EXC_GP, "P6: no TSC_AUX");

    /* NX alone: EFER exists with NXE only. */
    cpu->model.feat[CPUID_80000001_EDX] |= CPUID_X_NX;
    EXPECT_OK(wrmsr(MSR_EFER, EFER_NXE), "NX model: EFER.NXE writable");
    CHECK_EQ(rdmsr(MSR_EFER), EFER_NXE, "EFER.NXE reads back");
    EXPECT_FAULT(wrmsr(MSR_EFER, EFER_LME), EXC_GP, "NX model: LME reserved");
    EXPECT_FAULT(wrmsr(MSR_EFER, EFER_SCE), EXC_GP, "NX model: SCE reserved");
    EXPECT_FAULT(wrmsr(MSR_STAR, 0), EXC_GP, "NX model: no STAR");
    wrmsr(MSR_EFER, 0);

    use_lm_model();
    EXPECT_OK(wrmsr(MSR_EFER, EFER_SCE | EFER_LME | EFER_NXE), "LM model: SCE LME NXE");
    CHECK_EQ(rdmsr(MSR_EFER), EFER_SCE | EFER_LME | EFER_NXE, "EFER reads back");
    EXPECT_OK(wrmsr(MSR_EFER, EFER_LME | EFER_LMA), "EFER: a written LMA is ignored");
    CHECK_EQ(rdmsr(MSR_EFER), EFER_LME, "EFER.LMA stays clear");
    EXPECT_FAULT(wrmsr(MSR_EFER, 1u << 12), EXC_GP, "EFER.SVME not claimed: #GP");
    EXPECT_FAULT(wrmsr(MSR_EFER, 1u << 1), EXC_GP, "EFER bit 1 reserved: #GP");

    EXPECT_OK(wrmsr(MSR_STAR, 0x0023001000000000ull), "STAR takes any value");
    CHECK_EQ(rdmsr(MSR_STAR), 0x0023001000000000ull, "STAR reads back");
    EXPECT_OK(wrmsr(MSR_LSTAR, 0xffff800000001000ull), "LSTAR canonical high half");
    CHECK_EQ(rdmsr(MSR_LSTAR), 0xffff800000001000ull, "LSTAR reads back");
    EXPECT_FAULT(wrmsr(MSR_LSTAR, 0x0000800000000000ull), EXC_GP, "LSTAR non-canonical");
    CHECK_EQ(rdmsr(MSR_LSTAR), 0xffff800000001000ull, "LSTAR unchanged after the #GP");
    EXPECT_FAULT(wrmsr(MSR_CSTAR, 0xfff0000000000000ull), EXC_GP, "CSTAR non-canonical");
    EXPECT_OK(wrmsr(MSR_CSTAR, 0x00007fffffffffffull), "CSTAR top of the low half");
    EXPECT_OK(wrmsr(MSR_FMASK, 0xffffffff00047700ull), "FMASK write");
    CHECK_EQ(rdmsr(MSR_FMASK), 0x47700, "FMASK keeps bits 31:0");

    EXPECT_OK(wrmsr(MSR_FS_BASE, 0xffffffff12345000ull), "FS_BASE write");
    CHECK_EQ(cpu->s.seg[SEG_FS].base, 0xffffffff12345000ull, "FS_BASE is FS's hidden base");
    cpu->s.seg[SEG_GS].base = 0x5000;
    CHECK_EQ(rdmsr(MSR_GS_BASE), 0x5000, "GS_BASE reads GS's hidden base");
    EXPECT_FAULT(wrmsr(MSR_GS_BASE, 1ull << 47), EXC_GP, "GS_BASE non-canonical");
    CHECK_EQ(cpu->s.seg[SEG_GS].base, 0x5000, "GS base unchanged after the #GP");
    EXPECT_OK(wrmsr(MSR_KERNEL_GS_BASE, 0xffff888000000000ull), "KERNEL_GS_BASE write");
    CHECK_EQ(rdmsr(MSR_KERNEL_GS_BASE), 0xffff888000000000ull, "KERNEL_GS_BASE reads back");
    EXPECT_FAULT(wrmsr(MSR_KERNEL_GS_BASE, 0x8000000000000000ull), EXC_GP,
                 "KERNEL_GS_BASE non-canonical");
    EXPECT_OK(wrmsr(MSR_TSC_AUX, 0xffffffffu), "TSC_AUX 32 bits");
    EXPECT_FAULT(wrmsr(MSR_TSC_AUX, 1ull << 32), EXC_GP, "TSC_AUX bits 63:32 reserved");
    CHECK_EQ(rdmsr(MSR_TSC_AUX), 0xffffffffu, "TSC_AUX reads back");

    uint32_t r[4];
    cpuid_query(cpu, 0x80000008u, 0, r);
    CHECK_EQ(r[0], 0x3028, "CPUID 0x80000008: 40 physical, 48 linear bits");
    cpu->model = saved;
}

/* Long-mode activation through CR0.PG and the CR rules while LMA (SDM
 * vol. 3A 9.8.5, 2.5; vol. 2B MOV CRn). */
static void test_lm_activation(void)
{
    struct cpu_model saved = cpu->model;
    reset();
    use_lm_model();
    /* PML4 at 0x30000 (its contents do not matter here: no access). */
    wrmsr(MSR_EFER, EFER_LME);
    mov_cr(3, 0x30000);
    EXPECT_FAULT(mov_cr(0, CR0_PE | CR0_PG), EXC_GP, "PG with LME but PAE=0: #GP");
    CHECK(!(cpu->s.cr0 & CR0_PG) && !(cpu->s.efer & EFER_LMA), "nothing changed");
    mov_cr(4, CR4_PAE);
    cpu->s.seg[SEG_CS].attr |= SEGA_L;
    EXPECT_FAULT(mov_cr(0, CR0_PE | CR0_PG), EXC_GP, "activation with CS.L=1: #GP");
    cpu->s.seg[SEG_CS].attr &= (uint16_t)~SEGA_L;
    cpu->s.seg[SEG_CS].attr |= SEGA_DB;
    cpu_update_mode(cpu);
    /* The PDPT registers are not loaded: a "PDPTE" with reserved bits at
     * CR3 does not matter to 4-level paging. */
    physmem_write(&mem, 0x30000, 0x31000 | 1 | 2 | 4 | (1ull << 40), 8);
    EXPECT_OK(mov_cr(0, CR0_PE | CR0_PG), "activation: PG with LME and PAE");
    CHECK(cpu->s.efer & EFER_LMA, "EFER.LMA set");
    CHECK_EQ(rdmsr(MSR_EFER), EFER_LME | EFER_LMA, "RDMSR EFER shows LMA");
    CHECK_EQ(cpu->s.mode, MODE_COMPAT32, "CS.D=1, CS.L=0: 32-bit compatibility mode");
    CHECK_EQ(cpu->s.code_size, 4, "compatibility mode: 32-bit code");
    EXPECT_FAULT(wrmsr(MSR_EFER, 0), EXC_GP, "clearing LME with paging on: #GP");
    EXPECT_OK(wrmsr(MSR_EFER, EFER_LME | EFER_NXE), "NXE may change with paging on");
    EXPECT_FAULT(mov_cr(4, 0), EXC_GP, "clearing CR4.PAE while LMA: #GP");
    CHECK(cpu->s.cr4 & CR4_PAE, "CR4.PAE still set");
    EXPECT_OK(mov_cr(3, 0x32000), "CR3 under LMA: no PDPTE load");
    cpu->s.gpr[R_EAX] = 0;

    /* 64-bit mode: a CS with L. */
    seg_load_cache(cpu, SEG_CS, 0x08, 0, 0xffffffffu, 0x9b | SEGA_L | SEGA_G);
    CHECK_EQ(cpu->s.mode, MODE_LONG64, "CS.L=1: 64-bit mode");
    CHECK(cpu->s.code_size == 8 && cpu->s.stack_size == 8, "64-bit mode: sizes 8");
    seg_load_cache(cpu, SEG_SS, 0, 0, 0, 0);
    CHECK_EQ(cpu->s.stack_size, 8, "null SS keeps the 64-bit stack");
    ins.reg = 3;
    ins.rm = R_EAX;
    cpu->s.gpr[R_EAX] = 0x000000ff00001000ull;
    EXPECT_OK(op_mov_Cd_Rd(cpu, &ins), "MOV CR3, RAX with bit 39 (MAXPHYADDR 40)");
    CHECK_EQ(cpu->s.cr3, 0x000000ff00001000ull, "CR3 holds 40-bit addresses");
    cpu->s.gpr[R_EAX] = 0x0000010000001000ull;
    EXPECT_FAULT(op_mov_Cd_Rd(cpu, &ins), EXC_GP, "MOV CR3 with bit 40: #GP");
    ins.rm = R_EBX;
    cpu->s.gpr[R_EBX] = 0xdeadbeefdeadbeefull;
    op_mov_Rd_Cd(cpu, &ins);
    CHECK_EQ(cpu->s.gpr[R_EBX], 0x000000ff00001000ull, "MOV RBX, CR3: 64 bits");
    ins.reg = 0;
    ins.rm = R_EAX;
    cpu->s.gpr[R_EAX] = (1ull << 32) | cpu->s.cr0;
    EXPECT_FAULT(op_mov_Cd_Rd(cpu, &ins), EXC_GP, "CR0 bit 32: #GP");
    ins.reg = 4;
    cpu->s.gpr[R_EAX] = (1ull << 40) | CR4_PAE;
    EXPECT_FAULT(op_mov_Cd_Rd(cpu, &ins), EXC_GP, "CR4 bit 40: #GP");
    ins.reg = 8;
    cpu->s.gpr[R_EAX] = 0xa;
    EXPECT_OK(op_mov_Cd_Rd(cpu, &ins), "MOV CR8, RAX");
    cpu->s.gpr[R_EAX] = 0x10;
    EXPECT_FAULT(op_mov_Cd_Rd(cpu, &ins), EXC_GP, "CR8 bit 4: #GP");
    ins.rm = R_EBX;
    op_mov_Rd_Cd(cpu, &ins);
    CHECK_EQ(cpu->s.gpr[R_EBX], 0xa, "MOV RBX, CR8");
    EXPECT_FAULT(mov_cr(0, CR0_PE), EXC_GP, "clearing PG in 64-bit mode: #GP");
    CHECK(cpu->s.efer & EFER_LMA, "LMA still set");

    /* Back to compatibility mode, then out of long mode. */
    seg_load_cache(cpu, SEG_CS, 0x10, 0, 0xffffffffu, 0x9b | SEGA_DB | SEGA_G);
    CHECK_EQ(cpu->s.mode, MODE_COMPAT32, "CS.L=0: compatibility mode again");
    ins.reg = 8;
    EXPECT_FAULT(op_mov_Rd_Cd(cpu, &ins), EXC_UD, "CR8 outside 64-bit mode: #UD");
    EXPECT_OK(mov_cr(0, CR0_PE), "clearing PG in compatibility mode");
    CHECK(!(cpu->s.efer & EFER_LMA), "deactivation clears LMA");
    CHECK_EQ(cpu->s.mode, MODE_PROT32, "legacy 32-bit protected mode");
    CHECK_EQ(rdmsr(MSR_EFER), EFER_LME | EFER_NXE, "LME stays set");
    EXPECT_OK(wrmsr(MSR_EFER, 0), "LME may change with paging off");
    mov_cr(4, 0);
    cpu->model = saved;
    reset();
}

/* Enter long mode as a kernel does, ending in 64-bit mode at CPL 0 (no
 * memory access: the tests below touch no linear address). */
static void enter_long_mode(void)
{
    reset();
    use_lm_model();
    wrmsr(MSR_EFER, EFER_LME | EFER_SCE);
    mov_cr(4, CR4_PAE);
    mov_cr(3, 0x30000);
    mov_cr(0, CR0_PE | CR0_PG);
    seg_load_cache(cpu, SEG_CS, 0x08, 0, 0xffffffffu, 0x9b | SEGA_L | SEGA_G);
    seg_load_cache(cpu, SEG_SS, 0x10, 0, 0xffffffffu, 0x93 | SEGA_DB | SEGA_G);
}

#define STAR_VALUE 0x0023001000000000ull     /* SYSRET base 0x20, SYSCALL CS 0x10 */

/* SYSCALL/SYSRET/SWAPGS (SDM vol. 2B; APM vol. 3 for the AMD forms). */
static void test_syscall(void)
{
    struct cpu_model saved = cpu->model;
    enter_long_mode();
    CHECK_EQ(cpu->s.mode, MODE_LONG64, "setup: 64-bit mode");
    wrmsr(MSR_STAR, STAR_VALUE);
    wrmsr(MSR_LSTAR, 0xffffffff81000000ull);
    wrmsr(MSR_CSTAR, 0xffffffff82000000ull);
    wrmsr(MSR_FMASK, FL_IF | FL_TF | FL_DF);
    wrmsr(MSR_KERNEL_GS_BASE, 0xffff888000001000ull);
    cpu->s.seg[SEG_GS].base = 0x7000;

    /* SWAPGS */
    EXPECT_OK(op_swapgs(cpu, &ins), "SWAPGS at CPL 0");
    CHECK(cpu->s.seg[SEG_GS].base == 0xffff888000001000ull &&
          rdmsr(MSR_KERNEL_GS_BASE) == 0x7000, "SWAPGS exchanges GS.base and KERNEL_GS_BASE");
    op_swapgs(cpu, &ins);

    /* SYSRET to 64-bit user code (REX.W), then SYSCALL back. */
    ins.opsize = 8;
    cpu->s.gpr[R_ECX] = 0x0000700000401000ull;
    cpu->s.gpr[11] = 0x0000000000010a03ull | FL_IF | FL_VM;     /* RF, VM dropped */
    EXPECT_OK(op_sysret(cpu, &ins), "SYSRET (REX.W)");
    CHECK_EQ(cpu->next_rip, 0x0000700000401000ull, "SYSRET: RIP = RCX");
    CHECK_EQ(cpu->s.seg[SEG_CS].sel, 0x33, "SYSRET: CS = STAR[63:48] + 16, RPL 3");
    CHECK_EQ(cpu->s.seg[SEG_SS].sel, 0x2b, "SYSRET: SS = STAR[63:48] + 8, RPL 3");
    CHECK_EQ(cpu->s.mode, MODE_LONG64, "SYSRET (REX.W): 64-bit mode");
    CHECK_EQ(cpu->s.cpl, 3, "SYSRET: CPL 3");
    CHECK_EQ(cpu->s.rflags, 0x0a03u | FL_IF, "SYSRET: RFLAGS = R11 without RF/VM");
    EXPECT_FAULT(op_sysret(cpu, &ins), EXC_GP, "SYSRET at CPL 3: #GP");
    EXPECT_FAULT(op_swapgs(cpu, &ins), EXC_GP, "SWAPGS at CPL 3: #GP");

    cpu->next_rip = 0x0000700000401002ull;
    cpu->s.rflags |= FL_TF | FL_RF;
    EXPECT_OK(op_syscall(cpu, &ins), "SYSCALL from 64-bit mode");
    CHECK_EQ(cpu->s.gpr[R_ECX], 0x0000700000401002ull, "SYSCALL: RCX = return RIP");
    CHECK_EQ(cpu->s.gpr[11], 0x0a03u | FL_IF | FL_TF, "SYSCALL: R11 = RFLAGS, RF clear");
    CHECK_EQ(cpu->next_rip, 0xffffffff81000000ull, "SYSCALL: RIP = LSTAR");
    CHECK_EQ(cpu->s.rflags, 0x0803u, "SYSCALL: FMASK bits (IF TF DF) and RF cleared");
    CHECK(cpu->s.seg[SEG_CS].sel == 0x10 && cpu->s.seg[SEG_SS].sel == 0x18,
          "SYSCALL: CS = STAR[47:32], SS = +8");
    CHECK(cpu->s.cpl == 0 && cpu->s.mode == MODE_LONG64, "SYSCALL: CPL 0, 64-bit mode");
    /* Single-step by TF as the instruction leaves it: SYSCALL with TF
     * cleared by FMASK does not trap, SYSRET loading TF traps at once. */
    CHECK(cpu->step_after == 2 && !cpu->pending_db,
          "SYSCALL with TF cleared by FMASK: no single-step trap after it");
    cpu->step_after = 0;
    cpu->s.gpr[R_ECX] = 0x0000700000401000ull;
    cpu->s.gpr[11] = 0x0202u | FL_TF;
    EXPECT_OK(op_sysret(cpu, &ins), "SYSRET (REX.W) with TF in R11");
    CHECK(cpu->step_after == 1 && cpu->pending_db,
          "SYSRET with TF in R11: a single-step trap right after it");
    cpu->step_after = 0;
    cpu->pending_db = 0;
    cpu->next_rip = 0x0000700000401002ull;
    cpu->s.msr.fmask &= ~(uint64_t)FL_TF;
    EXPECT_OK(op_syscall(cpu, &ins), "SYSCALL with TF kept by FMASK");
    CHECK(cpu->step_after == 1, "SYSCALL with TF kept by FMASK: the trap after it");
    cpu->step_after = 0;
    cpu->pending_db = 0;
    cpu->s.msr.fmask |= FL_TF;
    cpu->s.rflags &= ~(uint64_t)FL_TF;

    /* SYSRET with a 32-bit operand size: compatibility mode at ECX. */
    ins.opsize = 4;
    cpu->s.gpr[R_ECX] = 0xffffffff00402000ull;
    cpu->s.gpr[11] = 0x202;
    EXPECT_OK(op_sysret(cpu, &ins), "SYSRET (32-bit)");
    CHECK_EQ(cpu->next_rip, 0x402000u, "SYSRET (32-bit): RIP = ECX");
    CHECK_EQ(cpu->s.seg[SEG_CS].sel, 0x23, "SYSRET (32-bit): CS = STAR[63:48], RPL 3");
    CHECK_EQ(cpu->s.mode, MODE_COMPAT32, "SYSRET (32-bit): compatibility mode");
    /* Intel: SYSCALL from compatibility mode is #UD. */
    EXPECT_FAULT(op_syscall(cpu, &ins), EXC_UD, "Intel: SYSCALL in compatibility mode: #UD");

    /* Intel: SYSRET to a non-canonical RCX is #GP(0) at CPL 0. */
    enter_long_mode();
    wrmsr(MSR_STAR, STAR_VALUE);
    ins.opsize = 8;
    cpu->s.gpr[R_ECX] = 0x0000800000000000ull;
    EXPECT_FAULT(op_sysret(cpu, &ins), EXC_GP, "Intel: SYSRET to non-canonical RCX: #GP");
    CHECK_EQ(cpu->s.cpl, 0, "still CPL 0 after the #GP");
    cpu->s.efer &= ~(uint64_t)EFER_SCE;
    EXPECT_FAULT(op_syscall(cpu, &ins), EXC_UD, "SYSCALL with EFER.SCE=0: #UD");
    EXPECT_FAULT(op_sysret(cpu, &ins), EXC_UD, "SYSRET with EFER.SCE=0: #UD");

    /* AMD: SYSCALL from compatibility mode goes to CSTAR; SYSRET loads a
     * non-canonical RCX (the fetch faults) and keeps SS's attributes. */
    enter_long_mode();
    memcpy(cpu->model.vendor, "AuthenticAMD", 12);
    wrmsr(MSR_STAR, STAR_VALUE);
    wrmsr(MSR_CSTAR, 0xffffffff82000000ull);
    seg_load_cache(cpu, SEG_SS, 0, 0, 0, 0);        /* null SS, as after an interrupt */
    ins.opsize = 8;
    cpu->s.gpr[R_ECX] = 0x0000800000000000ull;
    EXPECT_OK(op_sysret(cpu, &ins), "AMD: SYSRET to non-canonical RCX");
    CHECK_EQ(cpu->next_rip, 0x0000800000000000ull, "AMD: RIP = RCX as given");
    CHECK(cpu->s.seg[SEG_SS].sel == 0x2b && cpu->s.seg[SEG_SS].attr == 0,
          "AMD: SYSRET writes SS.sel, keeps the null SS attributes");
    ins.opsize = 4;
    cpu->s.cpl = 0;
    seg_load_cache(cpu, SEG_CS, 0x08, 0, 0xffffffffu, 0x9b | SEGA_L | SEGA_G);
    cpu->s.gpr[R_ECX] = 0x403000;
    op_sysret(cpu, &ins);
    CHECK_EQ(cpu->s.mode, MODE_COMPAT32, "AMD: SYSRET to compatibility mode");
    cpu->next_rip = 0x403002;
    EXPECT_OK(op_syscall(cpu, &ins), "AMD: SYSCALL from compatibility mode");
    CHECK(cpu->next_rip == 0xffffffff82000000ull && cpu->s.mode == MODE_LONG64,
          "AMD: to CSTAR in 64-bit mode");
    CHECK_EQ(cpu->s.gpr[R_ECX], 0x403002u, "AMD: RCX = return address");
    EXPECT_FAULT(op_sysenter(cpu, &ins), EXC_UD, "AMD: SYSENTER in long mode: #UD");

    /* AMD legacy mode: SYSCALL to STAR[31:0], SYSRET sets IF. */
    reset();
    use_lm_model();
    memcpy(cpu->model.vendor, "AuthenticAMD", 12);
    wrmsr(MSR_EFER, EFER_SCE);
    wrmsr(MSR_STAR, STAR_VALUE | 0xc0101000u);
    cpu->s.cpl = 3;
    cpu->next_rip = 0x1234;
    cpu->s.rflags |= FL_IF;
    EXPECT_OK(op_syscall(cpu, &ins), "AMD: SYSCALL in legacy mode");
    CHECK(cpu->next_rip == 0xc0101000u && reg32(cpu, R_ECX) == 0x1234,
          "AMD legacy: EIP = STAR[31:0], ECX = return EIP");
    CHECK(!(cpu->s.rflags & FL_IF) && cpu->s.mode == MODE_PROT32 && cpu->s.cpl == 0,
          "AMD legacy: IF clear, 32-bit CPL 0");
    EXPECT_OK(op_sysret(cpu, &ins), "AMD: SYSRET in legacy mode");
    CHECK(cpu->next_rip == 0x1234 && (cpu->s.rflags & FL_IF) && cpu->s.cpl == 3 &&
          cpu->s.seg[SEG_CS].sel == 0x23, "AMD legacy: back to ECX, IF set, CPL 3");
    memcpy(cpu->model.vendor, "GenuineIntel", 12);
    cpu->s.cpl = 0;
    EXPECT_FAULT(op_syscall(cpu, &ins), EXC_UD, "Intel: SYSCALL in legacy mode: #UD");

    /* SYSENTER/SYSEXIT in long mode (Intel). */
    enter_long_mode();
    wrmsr(0x174, 0x10);
    wrmsr(0x175, 0xffff880000009000ull);
    wrmsr(0x176, 0xffffffff81002000ull);
    cpu->s.cpl = 3;
    EXPECT_OK(op_sysenter(cpu, &ins), "SYSENTER in long mode");
    CHECK(cpu->s.mode == MODE_LONG64 && cpu->next_rip == 0xffffffff81002000ull &&
          cpu->s.gpr[R_ESP] == 0xffff880000009000ull, "SYSENTER: 64-bit RIP and RSP");
    ins.opsize = 8;
    cpu->s.gpr[R_ECX] = 0x00007ffffffff000ull;
    cpu->s.gpr[R_EDX] = 0x0000800000000000ull;
    EXPECT_FAULT(op_sysexit(cpu, &ins), EXC_GP, "SYSEXIT (REX.W) non-canonical RDX: #GP");
    cpu->s.gpr[R_EDX] = 0x0000000100000000ull;
    EXPECT_OK(op_sysexit(cpu, &ins), "SYSEXIT (REX.W)");
    CHECK(cpu->s.mode == MODE_LONG64 && cpu->s.seg[SEG_CS].sel == 0x33 &&
          cpu->s.seg[SEG_SS].sel == 0x3b && cpu->next_rip == 0x100000000ull &&
          cpu->s.gpr[R_ESP] == 0x00007ffffffff000ull,
          "SYSEXIT (REX.W): 64-bit CS = +32, SS = +40, RIP = RDX, RSP = RCX");
    ins.opsize = 4;
    cpu->s.cpl = 0;
    cpu->s.gpr[R_EDX] = 0xffffffff00405000ull;
    EXPECT_OK(op_sysexit(cpu, &ins), "SYSEXIT (32-bit) in long mode");
    CHECK(cpu->s.mode == MODE_COMPAT32 && cpu->s.seg[SEG_CS].sel == 0x23 &&
          cpu->next_rip == 0x405000u, "SYSEXIT (32-bit): compatibility mode at EDX");

    /* RDTSCP */
    cpu->s.cpl = 0;
    wrmsr(MSR_TSC_AUX, 0xabcd);
    fake_ns = 0x123456789ull;
    cpu->env.tsc_now = fake_clock;
    cpu->s.tsc_offset = 0;
    cpu->s.gpr[R_ECX] = 0xffffffffffffffffull;
    EXPECT_OK(op_rdtscp(cpu, &ins), "RDTSCP");
    CHECK(reg32(cpu, R_EAX) == 0x23456789u && reg32(cpu, R_EDX) == 1 &&
          cpu->s.gpr[R_ECX] == 0xabcd, "RDTSCP: EDX:EAX = TSC, RCX = TSC_AUX");
    cpu->model = saved;
    EXPECT_FAULT(op_rdtscp(cpu, &ins), EXC_UD, "RDTSCP without the feature: #UD");
    cpu->env.tsc_now = NULL;
    ins.opsize = 0;
    reset();
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
    /* The checks below are written for the P6 model (no FXSR/SSE, no long
     * mode unless a test adds it); the default is the 64-bit model. */
    cpu->model = *cpu_model_find("p6");
    test_cr();
    test_dr();
    test_msr();
    test_pmc_mca();
    test_cpuid();
    test_sysenter();
    test_efer_msrs();
    test_lm_activation();
    test_syscall();
    cpu_free(cpu);
    physmem_free(&mem);
    return test_summary();
}
