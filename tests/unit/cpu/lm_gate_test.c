/* Unit tests of far control transfers in IA-32e mode (src/cpu/farlong.c):
 * 16-byte call gates reached by far CALL and JMP from 64-bit and
 * compatibility mode, the RSPn stack switch with a null SS and its 8-byte
 * frame, conforming targets, every gate and target check with its error
 * code, direct far CALL/JMP with 16/32/64-bit offsets (canonical and limit
 * checks), RETF with REX.W to the same and an outer level with the
 * null-SS rules, task gates/TSSs refused, EA/9A #UD in 64-bit mode,
 * JMP/CALL m16:64 decoded with REX.W, and LAR/LSL with IA-32e system
 * descriptor types. Also the other 64-bit addresses on these paths: a GDT
 * and a TSS I/O bitmap at high-half bases, MOV DRn with 64 bits,
 * instruction/data breakpoints at 64-bit linear addresses, and
 * SYSENTER/SYSEXIT(Q) with 64-bit MSRs and registers. Values from
 * Intel SDM vol. 2 (CALL, JMP, RET, LAR, LSL, MOV DRn) and vol. 3A
 * 5.8.3.1, 5.8.5, 5.8.6, vol. 3B 17.2. GDT, TSS and page tables are
 * built by hand; the transfers run through far_call()/far_jmp()/far_ret()
 * as the handlers call them, or through decoded instructions. */
#include <setjmp.h>

#include "test.h"
#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/except.h"
#include "cpu/flags.h"
#include "cpu/debug.h"
#include "cpu/insn.h"
#include "cpu/io.h"
#include "cpu/longmode.h"
#include "cpu/mmu.h"
#include "cpu/pmode.h"
#include "mem/physmem.h"

static struct physmem mem;
static struct cpu *cpu;
#include "fault_catch.h"

#define GDT 0x10000u
#define TSS 0x12000u
#define PML4 0x100000u

/* Selectors. */
#define K_CODE64 0x08
#define K_DATA   0x10
#define U_CODE32 0x1b
#define U_DATA   0x23
#define U_CODE64 0x2b
#define TSS_SEL  0x30       /* 16 bytes */
#define K_CODE32 0x40
#define GATE     0x48       /* 16 bytes: DPL 3 gate to K_CODE64 */
#define K_CONF64 0x58       /* conforming 64-bit code, DPL 0 */
#define GATE2    0x60       /* 16 bytes, rewritten by each test */
#define OTHER    0x70       /* a descriptor rewritten by each test */
#define K_CODELD 0x78       /* L=1 and D=1: reserved */
#define K_SMALL  0x80       /* 32-bit code, DPL 0, limit 0xffff */
#define R1_CODE64 0x89      /* 64-bit code, DPL 1 */
#define GDT_LIMIT 0x8f

#define GATE_TARGET 0xffffffff80001000ull

static void wr64(uint64_t pa, uint64_t v) { physmem_write(&mem, pa, v, 8); }
static uint64_t rd64(uint64_t pa) { return physmem_read(&mem, pa, 8); }
static uint32_t rd32(uint64_t pa) { return (uint32_t)physmem_read(&mem, pa, 4); }

/* A 16-byte call gate at GDT offset `at`; `upper_type` goes to bits 12:8
 * of the upper half's second dword (must be 0). */
static void set_gate(unsigned at, uint64_t off, uint16_t sel, unsigned type, unsigned dpl,
                     bool present, unsigned upper_type)
{
    uint64_t lo = (off & 0xffff) | (uint64_t)sel << 16 | (uint64_t)type << 40 |
                  (uint64_t)dpl << 45 | (uint64_t)present << 47 |
                  ((off >> 16) & 0xffff) << 48;
    wr64(GDT + at, lo);
    wr64(GDT + at + 8, (off >> 32) | (uint64_t)upper_type << 40);
}

static void load_cs(uint16_t sel, unsigned cpl)
{
    struct desc d;
    CHECK(desc_fetch(cpu, sel, &d), "setup: descriptor %#x", sel);
    seg_load_cs_desc(cpu, sel, d, cpl);
}

static void load_ss(uint16_t sel)
{
    struct desc d;
    desc_fetch(cpu, sel, &d);
    seg_load_desc(cpu, SEG_SS, sel, d);
}

static void setup(void)
{
    cpu_reset(cpu);
    cpu->model.feat[CPUID_80000001_EDX] |= CPUID_X_LM | CPUID_X_NX;
    /* Identity map of the first 16 MiB with 2 MiB user pages. */
    wr64(PML4, (PML4 + 0x1000) | 7);
    wr64(PML4 + 0x1000, (PML4 + 0x2000) | 7);
    for (unsigned k = 0; k < 8; k++)
        wr64(PML4 + 0x2000 + 8 * k, ((uint64_t)k << 21) | 0x87);
    wr64(GDT + 0x00, 0);
    wr64(GDT + 0x08, 0x00209a0000000000ull);        /* 64-bit code, DPL 0 */
    wr64(GDT + 0x10, 0x00cf92000000ffffull);        /* data, DPL 0 */
    wr64(GDT + 0x18, 0x00cffa000000ffffull);        /* 32-bit code, DPL 3 */
    wr64(GDT + 0x20, 0x00cff2000000ffffull);        /* data, DPL 3 */
    wr64(GDT + 0x28, 0x0020fa0000000000ull);        /* 64-bit code, DPL 3 */
    wr64(GDT + 0x30, 0x00008b0000000067ull | ((uint64_t)TSS << 16));   /* busy 64-bit TSS */
    wr64(GDT + 0x38, 0);
    wr64(GDT + 0x40, 0x00cf9a000000ffffull);        /* 32-bit code, DPL 0 */
    set_gate(GATE, GATE_TARGET, K_CODE64, 0xc, 3, true, 0);
    wr64(GDT + 0x58, 0x00209e0000000000ull);        /* conforming 64-bit code, DPL 0 */
    set_gate(GATE2, 0, 0, 0, 0, false, 0);
    wr64(GDT + 0x70, 0);
    wr64(GDT + 0x78, 0x00609a0000000000ull);        /* L and D set */
    wr64(GDT + 0x80, 0x00409a000000ffffull);        /* 32-bit code, limit 0xffff */
    wr64(GDT + 0x88, 0x0020ba0000000000ull);        /* 64-bit code, DPL 1 */
    wr64(TSS + 4, 0x80000);                         /* RSP0 */
    wr64(TSS + 12, 0x78000);                        /* RSP1 */
    cpu->s.gdtr.base = GDT;
    cpu->s.gdtr.limit = GDT_LIMIT;
    cpu->s.cr0 = CR0_PE | CR0_PG | CR0_ET;
    cpu->s.cr4 = CR4_PAE;
    cpu->s.cr3 = PML4;
    cpu->s.efer = EFER_LME | EFER_LMA;
    tlb_flush_all(cpu);
    seg_load_cache(cpu, SEG_TR, TSS_SEL, TSS, 0x67, 0x8b);
    load_cs(K_CODE64, 0);
    load_ss(K_DATA);
    flags_set(cpu, 0x202);
}

/* Ring 3 (64-bit or compatibility mode) with SS:RSP = U_DATA:rsp. */
static void to_ring3(uint16_t cs, uint64_t rsp)
{
    load_cs(cs, 3);
    load_ss(U_DATA);
    cpu->s.gpr[R_ESP] = rsp;
}

static void test_gate_inner(void)
{
    setup();
    to_ring3(U_CODE64, 0x60000);
    cpu->next_rip = 0x401234;
    EXPECT_OK(far_call(cpu, GATE | 3, 0, 4), "CALL m16:32 through a 64-bit gate from ring 3");
    CHECK(cpu->s.cpl == 0 && cpu->s.mode == MODE_LONG64, "the gate's target runs at CPL 0");
    CHECK_EQ(cpu->next_rip, GATE_TARGET, "RIP = the gate's 64-bit offset (the operand's ignored)");
    CHECK_EQ(cpu->s.seg[SEG_CS].sel, K_CODE64, "CS = the gate's selector with RPL 0");
    CHECK_EQ(cpu->s.gpr[R_ESP], 0x80000 - 32, "RSP0 from the TSS, 4 quadwords, no alignment");
    CHECK_EQ(cpu->s.seg[SEG_SS].sel, 0, "SS = null selector with RPL = new CPL");
    CHECK_EQ(rd64(0x80000 - 8), U_DATA, "frame: old SS (8 bytes)");
    CHECK_EQ(rd64(0x80000 - 16), 0x60000, "frame: old RSP");
    CHECK_EQ(rd64(0x80000 - 24), U_CODE64, "frame: old CS");
    CHECK_EQ(rd64(0x80000 - 32), 0x401234, "frame: return RIP");
    CHECK(rd64(GDT + 0x08) & (1ull << 40), "the target code segment is marked accessed");

    EXPECT_OK(far_ret(cpu, 8, 0), "RETF with REX.W back to ring 3");
    CHECK(cpu->s.cpl == 3 && cpu->s.mode == MODE_LONG64, "RETF: 64-bit ring 3");
    CHECK_EQ(cpu->next_rip, 0x401234, "RETF: RIP");
    CHECK_EQ(cpu->s.seg[SEG_SS].sel, U_DATA, "RETF: SS popped");
    CHECK_EQ(cpu->s.gpr[R_ESP], 0x60000, "RETF: RSP popped");

    /* From compatibility mode: the same 8-byte frame, back with RETF. */
    to_ring3(U_CODE32, 0x5fffc);
    cpu->next_rip = 0x2345;
    EXPECT_OK(far_call(cpu, GATE | 3, 0, 4), "CALL through the gate from compatibility mode");
    CHECK(cpu->s.cpl == 0 && cpu->s.mode == MODE_LONG64, "compatibility mode -> 64-bit CPL 0");
    CHECK_EQ(rd64(0x80000 - 16), 0x5fffc, "frame: the compatibility-mode ESP");
    CHECK_EQ(rd64(0x80000 - 24), U_CODE32, "frame: the 32-bit CS");
    CHECK_EQ(rd64(0x80000 - 32), 0x2345, "frame: the return EIP, 8 bytes");
    EXPECT_OK(far_ret(cpu, 8, 0), "RETF with REX.W to compatibility mode");
    CHECK(cpu->s.cpl == 3 && cpu->s.mode == MODE_COMPAT32 && cpu->next_rip == 0x2345,
          "back in ring-3 compatibility mode");
    CHECK_EQ(cpu->s.gpr[R_ESP], 0x5fffc, "RETF: ESP popped");

    /* Ring 3 -> ring 1 through a gate to DPL-1 code: RSP1, SS = 1. */
    set_gate(GATE2, 0x3000, R1_CODE64 & ~3, 0xc, 3, true, 0);
    to_ring3(U_CODE64, 0x60000);
    EXPECT_OK(far_call(cpu, GATE2 | 3, 0, 4), "CALL through a gate to ring 1");
    CHECK(cpu->s.cpl == 1 && cpu->s.seg[SEG_SS].sel == 1 && cpu->s.gpr[R_ESP] == 0x78000 - 32,
          "ring 1: RSP1, null SS with RPL 1");
    /* RETF from ring 1 to an outer level with a null SS (RPL 3 -> #GP). */
    wr64(0x78000 - 16, 0x60000);
    wr64(0x78000 - 8, 0);
    EXPECT_FAULT(far_ret(cpu, 8, 0), EXC_GP, 0, "RETF to ring 3 with a null SS");
    CHECK(cpu->s.cpl == 1 && cpu->s.gpr[R_ESP] == 0x78000 - 32, "the faulting RETF changed nothing");

    /* Stack switch faults. */
    setup();
    to_ring3(U_CODE64, 0x60000);
    wr64(TSS + 4, 0x0000800000000010ull);
    EXPECT_FAULT(far_call(cpu, GATE | 3, 0, 4), EXC_SS, 0, "non-canonical RSP0 -> #SS(0)");
    CHECK(cpu->s.cpl == 3 && cpu->s.gpr[R_ESP] == 0x60000 && cpu->s.seg[SEG_SS].sel == U_DATA,
          "the faulting CALL changed nothing");
    wr64(TSS + 4, 0x80000);
    seg_load_cache(cpu, SEG_TR, TSS_SEL, TSS, 0x0a, 0x8b);
    EXPECT_FAULT(far_call(cpu, GATE | 3, 0, 4), EXC_TS, TSS_SEL, "RSP0 beyond the TSS limit -> #TS");
}

static void test_gate_same_level(void)
{
    setup();
    cpu->s.gpr[R_ESP] = 0x70008;
    cpu->next_rip = 0xffffffff80000100ull;
    EXPECT_OK(far_call(cpu, GATE, 0, 2), "CALL m16:16 through the gate at CPL 0");
    CHECK_EQ(cpu->s.gpr[R_ESP], 0x70008 - 16, "same level: 2 quadwords, no stack switch");
    CHECK_EQ(cpu->s.seg[SEG_SS].sel, K_DATA, "same level: SS unchanged");
    CHECK_EQ(rd64(0x70000), K_CODE64, "frame: CS, 8 bytes");
    CHECK_EQ(rd64(0x6fff8), 0xffffffff80000100ull, "frame: the whole 64-bit return RIP");
    CHECK_EQ(cpu->next_rip, GATE_TARGET, "same level: the gate's offset");
    EXPECT_OK(far_ret(cpu, 8, 0), "RETF with REX.W at the same level");
    CHECK(cpu->next_rip == 0xffffffff80000100ull && cpu->s.gpr[R_ESP] == 0x70008,
          "RETF: RIP and RSP");

    /* A conforming DPL-0 target from ring 3: no privilege change. */
    set_gate(GATE2, 0x4000, K_CONF64, 0xc, 3, true, 0);
    to_ring3(U_CODE32, 0x5fff0);
    cpu->next_rip = 0x1000;
    EXPECT_OK(far_call(cpu, GATE2 | 3, 0, 4), "CALL through a gate to conforming code");
    CHECK(cpu->s.cpl == 3 && cpu->s.mode == MODE_LONG64, "conforming: CPL stays 3, 64-bit mode");
    CHECK_EQ(cpu->s.seg[SEG_CS].sel, K_CONF64 | 3, "conforming: CS.RPL = CPL");
    CHECK_EQ(cpu->s.gpr[R_ESP], 0x5fff0 - 16, "conforming: the current stack");
    CHECK_EQ(rd64(0x5fff0 - 8), U_CODE32, "conforming: CS pushed as 8 bytes");
    CHECK_EQ(rd64(0x5fff0 - 16), 0x1000, "conforming: RIP pushed as 8 bytes");
    EXPECT_OK(far_ret(cpu, 8, 0), "RETF with REX.W from conforming code");
    CHECK(cpu->s.mode == MODE_COMPAT32 && cpu->next_rip == 0x1000 && cpu->s.gpr[R_ESP] == 0x5fff0,
          "back to compatibility mode");

    /* JMP through a gate: no push, CPL kept; non-conforming needs DPL = CPL. */
    setup();
    cpu->s.gpr[R_ESP] = 0x70000;
    EXPECT_OK(far_jmp(cpu, GATE, 0, 4), "JMP through the gate at CPL 0");
    CHECK(cpu->next_rip == GATE_TARGET && cpu->s.gpr[R_ESP] == 0x70000,
          "JMP: the gate's offset, nothing pushed");
    to_ring3(U_CODE64, 0x60000);
    EXPECT_FAULT(far_jmp(cpu, GATE | 3, 0, 4), EXC_GP, K_CODE64,
                 "JMP through a gate to more privileged non-conforming code");
    set_gate(GATE2, 0x4000, K_CONF64, 0xc, 3, true, 0);
    EXPECT_OK(far_jmp(cpu, GATE2 | 3, 0, 4), "JMP through a gate to conforming code from ring 3");
    CHECK(cpu->s.cpl == 3 && cpu->next_rip == 0x4000, "JMP to conforming: CPL 3");
}

static void test_gate_checks(void)
{
    setup();
    cpu->s.gpr[R_ESP] = 0x70000;
    set_gate(GATE, GATE_TARGET, K_CODE64, 0xc, 3, true, 0xc);
    EXPECT_FAULT(far_call(cpu, GATE, 0, 4), EXC_GP, GATE, "CALL: upper type not 0 -> #GP(gate)");
    EXPECT_FAULT(far_jmp(cpu, GATE, 0, 4), EXC_GP, GATE, "JMP: upper type not 0 -> #GP(gate)");
    set_gate(GATE, GATE_TARGET, K_CODE64, 0xc, 3, true, 0x10);
    EXPECT_FAULT(far_call(cpu, GATE, 0, 4), EXC_GP, GATE, "upper S bit set -> #GP(gate)");
    set_gate(GATE, GATE_TARGET, K_CODE64, 0xc, 3, true, 0);
    cpu->s.gdtr.limit = GATE + 8 + 7 - 1;
    EXPECT_FAULT(far_call(cpu, GATE, 0, 4), EXC_GP, GATE, "gate's upper half beyond the GDT limit");
    cpu->s.gdtr.limit = GATE + 7;
    EXPECT_FAULT(far_jmp(cpu, GATE, 0, 4), EXC_GP, GATE, "JMP: upper half beyond the limit");
    cpu->s.gdtr.limit = GDT_LIMIT;
    CHECK_EQ(cpu->s.gpr[R_ESP], 0x70000, "faulting CALLs pushed nothing");

    set_gate(GATE2, 0x4000, K_CODE64, 0xc, 0, true, 0);
    to_ring3(U_CODE64, 0x60000);
    EXPECT_FAULT(far_call(cpu, GATE2 | 3, 0, 4), EXC_GP, GATE2, "gate DPL 0 < CPL 3");
    setup();
    set_gate(GATE2, 0x4000, K_CODE64, 0xc, 0, true, 0);
    EXPECT_FAULT(far_call(cpu, GATE2 | 3, 0, 4), EXC_GP, GATE2, "gate DPL 0 < RPL 3");
    set_gate(GATE2, 0x4000, K_CODE64, 0xc, 0, false, 0);
    EXPECT_FAULT(far_call(cpu, GATE2, 0, 4), EXC_NP, GATE2, "gate not present -> #NP(gate)");
    set_gate(GATE2, 0x4000, K_CODE32 & ~3, 0xc, 0, true, 0);
    EXPECT_FAULT(far_call(cpu, GATE2, 0, 4), EXC_GP, K_CODE32, "gate to 32-bit code -> #GP(code)");
    set_gate(GATE2, 0x4000, K_CODELD, 0xc, 0, true, 0);
    EXPECT_FAULT(far_jmp(cpu, GATE2, 0, 4), EXC_GP, K_CODELD, "gate to L=1 D=1 code -> #GP(code)");
    set_gate(GATE2, 0x4000, K_DATA, 0xc, 0, true, 0);
    EXPECT_FAULT(far_call(cpu, GATE2, 0, 4), EXC_GP, K_DATA, "gate to a data segment -> #GP(sel)");
    set_gate(GATE2, 0x4000, 0, 0xc, 0, true, 0);
    EXPECT_FAULT(far_call(cpu, GATE2, 0, 4), EXC_GP, 0, "gate with a null selector -> #GP(0)");
    set_gate(GATE2, 0x4000, 0x1f8, 0xc, 0, true, 0);
    EXPECT_FAULT(far_call(cpu, GATE2, 0, 4), EXC_GP, 0x1f8, "gate selector beyond the GDT");
    set_gate(GATE2, 0x0000800000000000ull, K_CODE64, 0xc, 0, true, 0);
    EXPECT_FAULT(far_call(cpu, GATE2, 0, 4), EXC_GP, 0, "non-canonical gate offset -> #GP(0)");
    EXPECT_FAULT(far_jmp(cpu, GATE2, 0, 4), EXC_GP, 0, "JMP: non-canonical gate offset");
    wr64(GDT + 0x08, 0x00201a0000000000ull);        /* K_CODE64 not present */
    EXPECT_FAULT(far_call(cpu, GATE, 0, 4), EXC_NP, K_CODE64, "gate target not present -> #NP");
    EXPECT_FAULT(far_jmp(cpu, GATE, 0, 4), EXC_NP, K_CODE64, "JMP: target not present -> #NP");
    wr64(GDT + 0x08, 0x00209a0000000000ull);

    /* Only the 64-bit call gate: 16-bit gates, task gates and TSSs are #GP. */
    static const struct { unsigned type; const char *name; } bad[] = {
        { 0x4, "16-bit call gate" }, { 0x5, "task gate" }, { 0x9, "available TSS" },
        { 0xe, "interrupt gate" }, { 0x2, "LDT" },
    };
    for (volatile unsigned k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char name[64];
        set_gate(GATE2, 0x4000, K_CODE64, bad[k].type, 0, true, 0);
        snprintf(name, sizeof name, "CALL to a %s", bad[k].name);
        EXPECT_FAULT(far_call(cpu, GATE2, 0, 4), EXC_GP, GATE2, name);
        snprintf(name, sizeof name, "JMP to a %s", bad[k].name);
        EXPECT_FAULT(far_jmp(cpu, GATE2, 0, 4), EXC_GP, GATE2, name);
    }
    CHECK(cpu->s.mode == MODE_LONG64 && cpu->s.seg[SEG_CS].sel == K_CODE64, "no transfer happened");
}

static void test_direct(void)
{
    setup();
    cpu->s.gpr[R_ESP] = 0x70000;
    cpu->next_rip = 0xffffffff80000200ull;
    EXPECT_OK(far_call(cpu, K_CODE64, 0xffff800000001000ull, 8), "CALL m16:64 to 64-bit code");
    CHECK_EQ(cpu->next_rip, 0xffff800000001000ull, "CALL m16:64: 64-bit offset");
    CHECK_EQ(cpu->s.gpr[R_ESP], 0x70000 - 16, "CALL m16:64: 2 quadwords");
    CHECK_EQ(rd64(0x70000 - 8), K_CODE64, "CALL m16:64: CS pushed");
    CHECK_EQ(rd64(0x70000 - 16), 0xffffffff80000200ull, "CALL m16:64: 64-bit return RIP");
    EXPECT_OK(far_ret(cpu, 8, 0x20), "RETF 20h with REX.W");
    CHECK(cpu->next_rip == 0xffffffff80000200ull && cpu->s.gpr[R_ESP] == 0x70000 + 0x20,
          "RETF imm: RSP += 16 + imm");

    cpu->s.gpr[R_ESP] = 0x70000;
    cpu->next_rip = 0x1234;
    EXPECT_OK(far_call(cpu, K_CODE64, 0x88005000, 4), "CALL m16:32 in 64-bit mode");
    CHECK_EQ(cpu->s.gpr[R_ESP], 0x70000 - 8, "CALL m16:32: two doublewords");
    CHECK_EQ(rd32(0x70000 - 4), K_CODE64, "CALL m16:32: CS as 4 bytes");
    CHECK_EQ(rd32(0x70000 - 8), 0x1234, "CALL m16:32: EIP as 4 bytes");
    CHECK_EQ(cpu->next_rip, 0x88005000, "CALL m16:32: offset zero-extended");
    EXPECT_OK(far_ret(cpu, 4, 0), "RETF (32-bit) in 64-bit mode");
    CHECK(cpu->next_rip == 0x1234 && cpu->s.gpr[R_ESP] == 0x70000, "RETF 32: EIP and RSP");
    EXPECT_OK(far_call(cpu, K_CODE64, 0x12345, 2), "CALL m16:16 in 64-bit mode");
    CHECK(cpu->next_rip == 0x2345 && cpu->s.gpr[R_ESP] == 0x70000 - 4,
          "CALL m16:16: 16-bit offset, two words pushed");

    cpu->s.gpr[R_ESP] = 0x70000;
    EXPECT_FAULT(far_call(cpu, K_CODE64, 0x0000800000000000ull, 8), EXC_GP, 0,
                 "CALL m16:64 to a non-canonical offset");
    EXPECT_FAULT(far_jmp(cpu, K_CODE64, 0x0000800000000000ull, 8), EXC_GP, 0,
                 "JMP m16:64 to a non-canonical offset");
    CHECK_EQ(cpu->s.gpr[R_ESP], 0x70000, "the faulting CALL pushed nothing");
    EXPECT_FAULT(far_jmp(cpu, K_SMALL, 0x10000, 4), EXC_GP, 0,
                 "JMP to compatibility-mode code beyond its limit");
    EXPECT_FAULT(far_jmp(cpu, K_CODELD, 0x1000, 4), EXC_GP, K_CODELD, "JMP to L=1 D=1 code");
    EXPECT_FAULT(far_jmp(cpu, 0, 0x1000, 4), EXC_GP, 0, "JMP to a null selector");
    EXPECT_FAULT(far_jmp(cpu, U_CODE64, 0x1000, 4), EXC_GP, U_CODE64 & ~3,
                 "JMP to less privileged non-conforming code");
    wr64(GDT + 0x70, 0x0000890000000067ull | ((uint64_t)TSS << 16));
    EXPECT_FAULT(far_jmp(cpu, OTHER, 0, 4), EXC_GP, OTHER, "JMP to a TSS in IA-32e mode");
    EXPECT_FAULT(far_call(cpu, OTHER, 0, 4), EXC_GP, OTHER, "CALL to a TSS in IA-32e mode");
    EXPECT_OK(far_jmp(cpu, K_SMALL, 0xfff0, 4), "JMP to compatibility-mode code");
    CHECK(cpu->s.mode == MODE_COMPAT32 && cpu->next_rip == 0xfff0, "compatibility mode entered");
    /* Back to 64-bit code from compatibility mode with a 32-bit CALL. */
    cpu->s.gpr[R_ESP] = 0x70000;
    cpu->next_rip = 0xfff8;
    EXPECT_OK(far_call(cpu, K_CODE64, 0x9000, 4), "CALL ptr16:32 from compatibility mode");
    CHECK(cpu->s.mode == MODE_LONG64 && rd32(0x70000 - 4) == K_SMALL &&
          rd32(0x70000 - 8) == 0xfff8 && cpu->s.gpr[R_ESP] == 0x70000 - 8,
          "64-bit mode; 32-bit frame on the compatibility-mode stack");
    EXPECT_OK(far_ret(cpu, 4, 0), "RETF to compatibility mode");
    CHECK(cpu->s.mode == MODE_COMPAT32 && cpu->next_rip == 0xfff8, "RETF: compatibility mode");
}

static void test_retf(void)
{
    setup();
    cpu->s.gpr[R_ESP] = 0x70000;
    /* Non-canonical return RIP to 64-bit code: #GP(0), nothing popped. */
    wr64(0x70000, 0x0000800000000000ull);
    wr64(0x70008, K_CODE64);
    EXPECT_FAULT(far_ret(cpu, 8, 0), EXC_GP, 0, "RETF to a non-canonical RIP");
    CHECK_EQ(cpu->s.gpr[R_ESP], 0x70000, "the faulting RETF popped nothing");
    /* Return to compatibility code beyond its limit. */
    wr64(0x70000, 0x10000);
    wr64(0x70008, K_SMALL);
    EXPECT_FAULT(far_ret(cpu, 8, 0), EXC_GP, 0, "RETF beyond a compatibility-mode limit");
    /* To a more privileged level: #GP(sel). */
    load_cs(R1_CODE64 & ~3, 1);
    wr64(0x70008, K_CODE64);
    EXPECT_FAULT(far_ret(cpu, 8, 0), EXC_GP, K_CODE64, "RETF to an inner level");

    /* Outer level from ring 0: RIP, CS, imm bytes, RSP, SS. */
    setup();
    cpu->s.gpr[R_ESP] = 0x70000;
    wr64(0x70000, 0x401000);
    wr64(0x70008, U_CODE64);
    wr64(0x70010 + 8, 0x5ff00);                     /* after 8 bytes released */
    wr64(0x70018 + 8, U_DATA);
    {
        struct desc d;
        desc_fetch(cpu, K_DATA, &d);
        seg_load_desc(cpu, SEG_DS, K_DATA, d);
    }
    EXPECT_OK(far_ret(cpu, 8, 8), "RETF 8 with REX.W to ring 3");
    CHECK(cpu->s.cpl == 3 && cpu->next_rip == 0x401000, "outer RETF: CPL 3, RIP");
    CHECK_EQ(cpu->s.gpr[R_ESP], 0x5ff00 + 8, "outer RETF: RSP = popped RSP + imm");
    CHECK_EQ(cpu->s.seg[SEG_SS].sel, U_DATA, "outer RETF: SS");
    CHECK_EQ(cpu->s.seg[SEG_DS].sel, 0, "outer RETF: DS with DPL 0 is nulled");

    /* Null SS: allowed to 64-bit code below CPL 3 only. */
    setup();
    cpu->s.gpr[R_ESP] = 0x70000;
    wr64(0x70000, 0x3000);
    wr64(0x70008, R1_CODE64);
    wr64(0x70010, 0x77000);
    wr64(0x70018, 1);
    EXPECT_OK(far_ret(cpu, 8, 0), "RETF to ring-1 64-bit code with a null SS");
    CHECK(cpu->s.cpl == 1 && cpu->s.seg[SEG_SS].sel == 1 && cpu->s.gpr[R_ESP] == 0x77000,
          "null SS with RPL 1 loaded, RSP popped");
    setup();
    cpu->s.gpr[R_ESP] = 0x70000;
    wr64(0x70008, U_CODE32);
    wr64(0x70018, 3);
    EXPECT_FAULT(far_ret(cpu, 8, 0), EXC_GP, 0, "RETF to compatibility mode with a null SS");
    wr64(0x70008, R1_CODE64);
    wr64(0x70018, 3);
    EXPECT_FAULT(far_ret(cpu, 8, 0), EXC_GP, 0, "RETF with a null SS of RPL 3");
    wr64(0x70018, U_DATA);
    EXPECT_FAULT(far_ret(cpu, 8, 0), EXC_GP, U_DATA & ~3, "RETF: SS RPL != CS RPL");
}

/* Decode `bytes` as 64-bit code and run the handler. */
static void run64(const uint8_t *bytes, unsigned n)
{
    struct insn i;
    memset(&i, 0, sizeof i);
    CHECK(decode_bytes(bytes, n, 8, &i) == (int)n, "decode %02x %02x", bytes[0], bytes[1]);
    i.fn(cpu, &i);
}

/* The same without the length check (forms that are #UD in 64-bit mode). */
static void run64_ud(const uint8_t *bytes, unsigned n)
{
    struct insn i;
    memset(&i, 0, sizeof i);
    decode_bytes(bytes, n, 8, &i);
    i.fn(cpu, &i);
}

static void test_decoded(void)
{
    static const uint8_t call_m64[] = { 0x48, 0xff, 0x18 };    /* call far [rax] (REX.W) */
    static const uint8_t jmp_m32[] = { 0xff, 0x28 };           /* jmp far [rax] */
    static const uint8_t retfq[] = { 0x48, 0xcb };
    static const uint8_t jmp_ptr[] = { 0xea, 0, 0x10, 0, 0, 0x08, 0 };
    static const uint8_t lar_rax_bx[] = { 0x48, 0x0f, 0x02, 0xc3 };
    static const uint8_t lsl_eax_bx[] = { 0x0f, 0x03, 0xc3 };
    static const uint8_t lar_eax_bx[] = { 0x0f, 0x02, 0xc3 };
    static const uint8_t call_ptr[] = { 0x9a, 0, 0x10, 0, 0, 0x08, 0 };
    setup();
    cpu->s.gpr[R_ESP] = 0x70000;
    wr64(0x20000, 0xffff800000002000ull);
    physmem_write(&mem, 0x20008, K_CODE64, 2);
    cpu->s.gpr[R_EAX] = 0x20000;
    cpu->next_rip = 0x4000;
    EXPECT_OK(run64(call_m64, 3), "CALL FAR m16:64 (REX.W FF /3)");
    CHECK_EQ(cpu->next_rip, 0xffff800000002000ull, "m16:64: the 8-byte offset");
    CHECK_EQ(rd64(0x70000 - 16), 0x4000, "m16:64: 8-byte return RIP");
    EXPECT_OK(run64(retfq, 2), "RETFQ");
    CHECK(cpu->next_rip == 0x4000 && cpu->s.gpr[R_ESP] == 0x70000, "RETFQ pops 16 bytes");
    /* AMD ignores REX.W there: m16:32, selector after 4 bytes. */
    char vendor[sizeof cpu->model.vendor];
    memcpy(vendor, cpu->model.vendor, sizeof vendor);
    CHECK(strcmp(vendor, "GenuineIntel") == 0, "the default vendor is GenuineIntel");
    snprintf(cpu->model.vendor, sizeof cpu->model.vendor, "AuthenticAMD");
    physmem_write(&mem, 0x20004, K_CODE64, 2);
    EXPECT_OK(run64(call_m64, 3), "CALL FAR with REX.W on an AMD model");
    CHECK_EQ(cpu->next_rip, 0x2000, "AMD: m16:32 offset");
    CHECK_EQ(cpu->s.gpr[R_ESP], 0x70000 - 8, "AMD: 32-bit CS:EIP pushed");
    memcpy(cpu->model.vendor, vendor, sizeof vendor);
    cpu->s.gpr[R_ESP] = 0x70000;
    physmem_write(&mem, 0x20004, K_SMALL, 2);
    EXPECT_OK(run64(jmp_m32, 2), "JMP FAR m16:32 (FF /5)");
    CHECK(cpu->s.mode == MODE_COMPAT32 && cpu->next_rip == 0x2000, "m16:32: selector after 4 bytes");
    setup();
    EXPECT_FAULT(run64_ud(jmp_ptr, 7), EXC_UD, EXC_NO_CODE, "JMP ptr16:32 (EA) is #UD in 64-bit mode");
    EXPECT_FAULT(run64_ud(call_ptr, 7), EXC_UD, EXC_NO_CODE, "CALL ptr16:32 (9A) is #UD in 64-bit mode");

    /* LAR/LSL with IA-32e system types. */
    cpu->s.gpr[R_EBX] = GATE;
    cpu->s.gpr[R_EAX] = ~0ull;
    EXPECT_OK(run64(lar_rax_bx, 4), "LAR r64 of a 64-bit call gate");
    CHECK(cpu->s.rflags & FL_ZF, "LAR: a 64-bit call gate is valid");
    CHECK_EQ(cpu->s.gpr[R_EAX], 0x0000ec00ull, "LAR r64: bits 23:8, upper half cleared");
    EXPECT_OK(run64(lsl_eax_bx, 3), "LSL of a call gate");
    CHECK(!(cpu->s.rflags & FL_ZF), "LSL: a call gate has no limit");
    cpu->s.gpr[R_EBX] = TSS_SEL;
    EXPECT_OK(run64(lsl_eax_bx, 3), "LSL of a busy 64-bit TSS");
    CHECK(cpu->s.rflags & FL_ZF, "LSL: 64-bit TSS valid");
    CHECK_EQ(cpu->s.gpr[R_EAX], 0x67, "LSL: the TSS limit");
    static const unsigned bad[] = { 0x1, 0x3, 0x4, 0x5 };
    for (volatile unsigned k = 0; k < 4; k++) {
        wr64(GDT + 0x70, 0x0000e00000000067ull | (uint64_t)bad[k] << 40);
        cpu->s.gpr[R_EBX] = OTHER;
        EXPECT_OK(run64(lar_rax_bx, 4), "LAR of a legacy-only system type");
        CHECK(!(cpu->s.rflags & FL_ZF), "LAR: type %u is invalid in IA-32e mode", bad[k]);
    }
    /* The same task gate is valid for LAR outside IA-32e mode. */
    cpu->s.efer = 0;
    cpu->s.cr0 = CR0_PE | CR0_ET;
    tlb_flush_all(cpu);
    load_cs(K_CODE32, 0);
    CHECK_EQ(cpu->s.mode, MODE_PROT32, "setup: legacy protected mode");
    EXPECT_OK(run64(lar_eax_bx, 3), "LAR of a task gate in protected mode");
    CHECK(cpu->s.rflags & FL_ZF, "LAR: a task gate is valid in protected mode");
}

/* The high half 0xffff800000000000 maps 2 MiB at physical 0x400000, so a
 * base truncated to 32 bits reads other memory. */
#define HIGH 0xffff800000000000ull
#define HIGH_PHYS 0x400000u

static void map_high(void)
{
    wr64(PML4 + 8 * 256, (PML4 + 0x3000) | 7);
    wr64(PML4 + 0x3000, (PML4 + 0x4000) | 7);
    wr64(PML4 + 0x4000, HIGH_PHYS | 0x87);
    tlb_flush_all(cpu);
}

static void test_wide_addresses(void)
{
    static const uint8_t mov_dr0_rax[] = { 0x0f, 0x23, 0xc0 };
    static const uint8_t mov_rbx_dr0[] = { 0x0f, 0x21, 0xc3 };
    static const uint8_t mov_dr7_rax[] = { 0x0f, 0x23, 0xf8 };
    setup();
    map_high();
    /* The GDT at a high-half base: a gate call reads both halves there. */
    for (unsigned k = 0; k <= GDT_LIMIT; k += 8) {
        wr64(HIGH_PHYS + GDT + k, rd64(GDT + k));
        wr64(GDT + k, 0);               /* nothing at the truncated address */
    }
    cpu->s.gdtr.base = HIGH + GDT;
    to_ring3(U_CODE64, 0x60000);
    EXPECT_OK(far_call(cpu, GATE | 3, 0, 4), "call gate in a GDT at a high-half base");
    CHECK(cpu->s.cpl == 0 && cpu->next_rip == GATE_TARGET, "gate read through the 64-bit GDT base");
    CHECK(rd64(HIGH_PHYS + GDT + 0x08) & (1ull << 40), "accessed bit set in the high GDT");

    /* The I/O bitmap of a TSS at a high-half base (CPL 3, IOPL 0). */
    setup();
    map_high();
    uint64_t tss = HIGH + 0x2000;
    physmem_write(&mem, HIGH_PHYS + 0x2000 + 0x66, 0x68, 2);
    physmem_write(&mem, HIGH_PHYS + 0x2000 + 0x68 + 0x10, 0x01, 1);     /* port 0x80 */
    physmem_write(&mem, HIGH_PHYS + 0x2000 + 0x68 + 0x11, 0xff, 1);
    seg_load_cache(cpu, SEG_TR, TSS_SEL, tss, 0x79, 0x8b);
    to_ring3(U_CODE64, 0x60000);
    EXPECT_FAULT(io_check(cpu, 0x80, 1), EXC_GP, 0, "I/O bitmap at a high TSS base: port 80h denied");
    EXPECT_OK(io_check(cpu, 0x81, 1), "I/O bitmap at a high TSS base: port 81h allowed");

    /* MOV DRn moves 64 bits in 64-bit mode. */
    setup();
    cpu->s.gpr[R_EAX] = HIGH + 0x1000;
    EXPECT_OK(run64(mov_dr0_rax, 3), "MOV DR0, RAX");
    CHECK_EQ(cpu->s.dr[0], HIGH + 0x1000, "DR0 holds a 64-bit linear address");
    EXPECT_OK(run64(mov_rbx_dr0, 3), "MOV RBX, DR0");
    CHECK_EQ(cpu->s.gpr[R_EBX], HIGH + 0x1000, "MOV RBX, DR0: 64 bits");
    cpu->s.gpr[R_EAX] = 1ull << 32;
    EXPECT_FAULT(run64(mov_dr7_rax, 3), EXC_GP, 0, "MOV DR7 with bits 63:32 set -> #GP(0)");

    /* Breakpoints compare 64-bit linear addresses. */
    cpu->s.dr[0] = HIGH + 0x1000;
    cpu->s.dr[1] = HIGH + 0x2000;
    cpu->s.dr[7] = DR7_FIXED | 0x1 | 0x4 | (0xdu << 20);    /* L0 exec; L1 write, 4 bytes */
    debug_update(cpu);
    CHECK(!debug_insn_breakpoint(cpu, 0x1000), "no instruction breakpoint at the low alias");
    CHECK(debug_insn_breakpoint(cpu, HIGH + 0x1000), "instruction breakpoint at a 64-bit address");
    cpu->db_status = 0;
    debug_data_access(cpu, 0x2000, 4, ACC_WRITE);
    CHECK_EQ(cpu->db_status, 0, "no data breakpoint at the low alias");
    debug_data_access(cpu, HIGH + 0x2002, 2, ACC_WRITE);
    CHECK_EQ(cpu->db_status, 2, "data breakpoint 1 at a 64-bit address");
    CHECK_EQ(cpu->tlb.bp_page[1], (HIGH + 0x2000) | 1, "the breakpoint page keeps 64 bits");
    cpu->db_status = 0;
    cpu->pending_db = 0;
    cpu->s.dr[7] = DR7_FIXED;
    debug_update(cpu);

    /* x87 memory operands at 64-bit addresses (FILD/FISTP, FNSTCW, FNSTENV). */
    static const uint8_t fninit[] = { 0xdb, 0xe3 };
    static const uint8_t fild_rax[] = { 0xdb, 0x00 };
    static const uint8_t fistp_rax8[] = { 0xdb, 0x58, 0x08 };
    static const uint8_t fnstcw_rax10[] = { 0xd9, 0x78, 0x10 };
    static const uint8_t fnstenv_rax20[] = { 0xd9, 0x70, 0x20 };
    setup();
    map_high();
    physmem_write(&mem, HIGH_PHYS + 0x3000, 0x12345, 4);
    physmem_write(&mem, 0x3000, 0x777, 4);          /* the truncated address */
    cpu->s.gpr[R_EAX] = HIGH + 0x3000;
    EXPECT_OK(run64(fninit, 2), "FNINIT");
    EXPECT_OK(run64(fild_rax, 2), "FILD m32 at a 64-bit address");
    EXPECT_OK(run64(fistp_rax8, 3), "FISTP m32 at a 64-bit address");
    CHECK_EQ(physmem_read(&mem, HIGH_PHYS + 0x3008, 4), 0x12345, "FILD/FISTP: both through 64 bits");
    EXPECT_OK(run64(fnstcw_rax10, 3), "FNSTCW at a 64-bit address");
    CHECK_EQ(physmem_read(&mem, HIGH_PHYS + 0x3010, 2), 0x37f, "FNSTCW: stored through 64 bits");
    EXPECT_OK(run64(fnstenv_rax20, 3), "FNSTENV at a 64-bit address");
    CHECK_EQ(physmem_read(&mem, HIGH_PHYS + 0x3020, 2), 0x37f, "FNSTENV: image through 64 bits");
}

/* SYSENTER/SYSEXIT in IA-32e mode (Intel only; SDM vol. 2B): SYSENTER
 * enters 64-bit CPL 0 at the full IA32_SYSENTER_EIP/ESP; SYSEXIT with
 * REX.W returns to 64-bit ring 3 (CS = SYSENTER_CS + 32, SS + 40) at
 * RDX/RCX, which must be canonical; without REX.W to compatibility mode
 * (CS + 16, SS + 24) at EDX/ECX. */
static void test_sysenter(void)
{
    static const uint8_t sysenter[] = { 0x0f, 0x34 };
    static const uint8_t sysexitq[] = { 0x48, 0x0f, 0x35 };
    static const uint8_t sysexit[] = { 0x0f, 0x35 };
    setup();
    cpu->model.feat[CPUID_1_EDX] |= CPUID_SEP;
    cpu->s.msr.sysenter_cs = K_CODE64;
    cpu->s.msr.sysenter_eip = 0xffffffff81000000ull;
    cpu->s.msr.sysenter_esp = 0xffff800000007000ull;
    to_ring3(U_CODE64, 0x60000);
    EXPECT_OK(run64(sysenter, 2), "SYSENTER from 64-bit ring 3");
    CHECK(cpu->s.cpl == 0 && cpu->s.mode == MODE_LONG64, "SYSENTER: 64-bit CPL 0");
    CHECK_EQ(cpu->next_rip, 0xffffffff81000000ull, "SYSENTER: RIP = the 64-bit SYSENTER_EIP");
    CHECK_EQ(cpu->s.gpr[R_ESP], 0xffff800000007000ull, "SYSENTER: RSP = the 64-bit SYSENTER_ESP");
    cpu->s.gpr[R_ECX] = 0x7fffffffe000ull;
    cpu->s.gpr[R_EDX] = 0x7fffff001234ull;
    EXPECT_OK(run64(sysexitq, 3), "SYSEXIT with REX.W");
    CHECK(cpu->s.cpl == 3 && cpu->s.mode == MODE_LONG64, "SYSEXITQ: 64-bit ring 3");
    CHECK_EQ(cpu->s.seg[SEG_CS].sel, (K_CODE64 + 32) | 3, "SYSEXITQ: CS = SYSENTER_CS + 32");
    CHECK_EQ(cpu->s.seg[SEG_SS].sel, (K_CODE64 + 40) | 3, "SYSEXITQ: SS = SYSENTER_CS + 40");
    CHECK_EQ(cpu->next_rip, 0x7fffff001234ull, "SYSEXITQ: RIP = RDX, 64 bits");
    CHECK_EQ(cpu->s.gpr[R_ESP], 0x7fffffffe000ull, "SYSEXITQ: RSP = RCX, 64 bits");
    setup();
    cpu->model.feat[CPUID_1_EDX] |= CPUID_SEP;
    cpu->s.msr.sysenter_cs = K_CODE64;
    cpu->s.gpr[R_EDX] = 0x0000800000000000ull;
    EXPECT_FAULT(run64(sysexitq, 3), EXC_GP, 0, "SYSEXITQ to a non-canonical RDX -> #GP(0)");
    cpu->s.gpr[R_ECX] = 0xffffffff0000e000ull;
    cpu->s.gpr[R_EDX] = 0xffffffff00401000ull;
    EXPECT_OK(run64(sysexit, 2), "SYSEXIT without REX.W");
    CHECK(cpu->s.mode == MODE_COMPAT32 && cpu->s.seg[SEG_CS].sel == ((K_CODE64 + 16) | 3),
          "SYSEXIT: compatibility mode, CS = SYSENTER_CS + 16");
    CHECK(cpu->next_rip == 0x401000 && cpu->s.gpr[R_ESP] == 0xe000, "SYSEXIT: EIP = EDX, ESP = ECX");
}

int main(void)
{
    static struct cpu c;
    cpu = &c;
    if (physmem_init(&mem, 16u << 20) != 0 ||
        physmem_map_ram(&mem, 0, 16u << 20, 0, "ram") != 0) {
        printf("physmem setup failed\n0 passed, 1 failed\n");
        return 1;
    }
    cpu_init(cpu, &mem, NULL);
    test_gate_inner();
    test_gate_same_level();
    test_gate_checks();
    test_direct();
    test_retf();
    test_decoded();
    test_wide_addresses();
    test_sysenter();
    cpu_free(cpu);
    physmem_free(&mem);
    return test_summary();
}
