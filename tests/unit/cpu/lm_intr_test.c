/* Unit tests of interrupt and exception delivery and IRET in IA-32e mode
 * (src/cpu/except64.c, farjmp.c iret_long): 16-byte IDT gates, the 64-bit
 * frame aligned to 16, RSP0 with a null SS, IST, the gate and target
 * checks with their error codes, IRETQ to the same and an outer level and
 * to compatibility mode, and the null-SS rules; the system instructions'
 * 64-bit forms (LGDT/SGDT with 8-byte bases, LTR/LLDT of 16-byte
 * descriptors, MOV SS with a null selector). GDT, IDT, TSS and 4-level
 * page tables are built by hand; delivery runs through except_deliver()
 * as cpu_run() calls it, and single checks through deliver_long(). */
#include <setjmp.h>

#include "test.h"
#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/except.h"
#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/longmode.h"
#include "cpu/mmu.h"
#include "cpu/pmode.h"
#include "mem/physmem.h"

void far_iret(struct cpu *cpu, unsigned opsize);

static struct physmem mem;
static struct cpu *cpu;
#include "fault_catch.h"

#define GDT 0x10000u
#define IDT 0x11000u
#define TSS 0x12000u
#define PML4 0x100000u

/* Selectors. */
#define K_CODE64 0x08
#define K_DATA   0x10
#define U_CODE32 0x1b
#define U_DATA   0x23
#define U_CODE64 0x2b
#define TSS_SEL  0x30
#define K_CODE32 0x40

static void wr64(uint64_t pa, uint64_t v) { physmem_write(&mem, pa, v, 8); }
static uint64_t rd64(uint64_t pa) { return physmem_read(&mem, pa, 8); }

/* A 16-byte IDT gate: type 0xE (interrupt) or 0xF (trap). */
static void set_gate(unsigned vec, uint64_t off, uint16_t sel, unsigned type, unsigned dpl,
                     unsigned ist, bool present)
{
    uint64_t lo = (off & 0xffff) | (uint64_t)sel << 16 | (uint64_t)ist << 32 |
                  (uint64_t)type << 40 | (uint64_t)dpl << 45 | (uint64_t)present << 47 |
                  ((off >> 16) & 0xffff) << 48;
    wr64(IDT + 16 * vec, lo);
    wr64(IDT + 16 * vec + 8, off >> 32);
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
    wr64(GDT + 0x30, 0x0000890000000067ull | ((uint64_t)TSS << 16));   /* 64-bit TSS */
    wr64(GDT + 0x38, 0);
    wr64(GDT + 0x40, 0x00cf9a000000ffffull);        /* 32-bit code, DPL 0 */
    for (unsigned k = 0; k < 256; k++)
        set_gate(k, 0, 0, 0, 0, 0, false);
    wr64(TSS + 4, 0x80000);                         /* RSP0 */
    wr64(TSS + 0x24, 0x90008);                      /* IST1 (aligned down on use) */
    cpu->s.gdtr.base = GDT;
    cpu->s.gdtr.limit = 0x47;
    cpu->s.idtr.base = IDT;
    cpu->s.idtr.limit = 0xfff;
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

static void test_same_level(void)
{
    setup();
    CHECK_EQ(cpu->s.mode, MODE_LONG64, "setup: 64-bit mode at CPL 0");
    set_gate(0x20, 0xffffffff80005000ull, K_CODE64, 0xe, 0, 0, true);
    cpu->s.gpr[R_ESP] = 0x70008;
    except_deliver(cpu, 0x20, EXC_NO_CODE, 0x1234, EV_EXTINT);
    CHECK_EQ(cpu->next_rip, 0xffffffff80005000ull, "64-bit gate offset");
    CHECK_EQ(cpu->s.gpr[R_ESP], 0x70000 - 40, "5 quadwords below RSP aligned to 16");
    CHECK_EQ(rd64(0x6fff8), K_DATA, "frame: SS pushed without a privilege change");
    CHECK_EQ(rd64(0x6fff0), 0x70008, "frame: the old, unaligned RSP");
    CHECK_EQ(rd64(0x6ffe8), 0x202, "frame: RFLAGS");
    CHECK_EQ(rd64(0x6ffe0), K_CODE64, "frame: CS");
    CHECK_EQ(rd64(0x6ffd8), 0x1234, "frame: RIP");
    CHECK(!(cpu->s.rflags & FL_IF), "interrupt gate clears IF");
    CHECK(cpu->s.mode == MODE_LONG64 && cpu->s.cpl == 0, "still 64-bit CPL 0");

    EXPECT_OK(far_iret(cpu, 8), "IRETQ to the same level");
    CHECK_EQ(cpu->next_rip, 0x1234, "IRETQ: RIP");
    CHECK_EQ(cpu->s.gpr[R_ESP], 0x70008, "IRETQ: RSP popped at the same level");
    CHECK(cpu->s.rflags & FL_IF, "IRETQ: IF back");

    /* Trap gate with an error code; IST1 used at the same level. */
    set_gate(EXC_GP, 0x6000, K_CODE64, 0xf, 0, 1, true);
    cpu->s.gpr[R_ESP] = 0x70000;
    except_deliver(cpu, EXC_GP, 0x18, 0x2000, EV_EXCEPTION);
    CHECK_EQ(cpu->s.gpr[R_ESP], 0x90000 - 48, "IST1 stack, aligned, 6 quadwords");
    CHECK_EQ(rd64(0x90000 - 48), 0x18, "frame: error code");
    CHECK_EQ(rd64(0x90000 - 40), 0x2000, "frame: RIP above the error code");
    CHECK_EQ(rd64(0x90000 - 24), 0x202 | FL_RF, "frame: RFLAGS with RF (fault)");
    CHECK(cpu->s.rflags & FL_IF, "trap gate keeps IF");
}

static void test_privilege(void)
{
    setup();
    set_gate(EXC_PF, 0x7000, K_CODE64, 0xe, 0, 0, true);
    load_cs(U_CODE64, 3);
    load_ss(U_DATA);
    cpu->s.gpr[R_ESP] = 0x60000;
    CHECK(cpu->s.mode == MODE_LONG64 && cpu->s.cpl == 3, "setup: 64-bit CPL 3");
    except_deliver(cpu, EXC_PF, 0x6, 0x401000, EV_EXCEPTION);
    CHECK_EQ(cpu->s.cpl, 0, "#PF from ring 3: CPL 0");
    CHECK_EQ(cpu->s.gpr[R_ESP], 0x80000 - 48, "RSP0 from the TSS");
    CHECK_EQ(cpu->s.seg[SEG_SS].sel, 0, "SS is the null selector with RPL 0");
    CHECK_EQ(rd64(0x80000 - 8), U_DATA, "frame: user SS");
    CHECK_EQ(rd64(0x80000 - 16), 0x60000, "frame: user RSP");
    CHECK_EQ(rd64(0x80000 - 32), U_CODE64, "frame: user CS");
    CHECK_EQ(rd64(0x80000 - 48), 6, "frame: #PF error code");

    cpu->s.gpr[R_ESP] += 8;                         /* the handler drops the code */
    EXPECT_OK(far_iret(cpu, 8), "IRETQ to ring 3");
    CHECK(cpu->s.cpl == 3 && cpu->s.mode == MODE_LONG64, "back in 64-bit ring 3");
    CHECK(cpu->s.seg[SEG_SS].sel == U_DATA && cpu->s.gpr[R_ESP] == 0x60000,
          "user SS:RSP restored");

    /* From 32-bit compatibility mode at ring 3: the same 64-bit frame. */
    load_cs(U_CODE32, 3);
    CHECK_EQ(cpu->s.mode, MODE_COMPAT32, "setup: compatibility mode");
    set_gate(0x80, 0x7100, K_CODE64, 0xe, 3, 0, true);
    cpu->s.gpr[R_ESP] = 0x5fffc;
    except_deliver(cpu, 0x80, EXC_NO_CODE, 0x402002, INT_SOFT);
    CHECK(cpu->s.mode == MODE_LONG64 && cpu->s.cpl == 0, "INT 80h from compatibility mode");
    CHECK_EQ(rd64(0x80000 - 16), 0x5fffc, "frame: the compatibility-mode ESP");
    CHECK_EQ(rd64(0x80000 - 32), U_CODE32, "frame: the 32-bit CS");
    EXPECT_OK(far_iret(cpu, 8), "IRETQ to compatibility mode");
    CHECK(cpu->s.mode == MODE_COMPAT32 && cpu->next_rip == 0x402002 && cpu->s.cpl == 3,
          "back in compatibility mode");

    /* INT n from ring 3 through a DPL-0 gate. */
    set_gate(0x81, 0x7200, K_CODE64, 0xe, 0, 0, true);
    EXPECT_FAULT(deliver_long(cpu, 0x81, 0, false, 0, true, false), EXC_GP, 0x81 * 8 + 2,
                 "INT 81h through a DPL-0 gate from ring 3");
}

static void test_gate_checks(void)
{
    setup();
    cpu->s.gpr[R_ESP] = 0x70000;
    set_gate(0x30, 0x5000, K_CODE64, 0x5, 0, 0, true);
    EXPECT_FAULT(deliver_long(cpu, 0x30, 0, false, 0, false, false), EXC_GP, 0x30 * 8 + 2,
                 "task gate in a long-mode IDT");
    set_gate(0x31, 0x5000, K_CODE64, 0xe, 0, 0, false);
    EXPECT_FAULT(deliver_long(cpu, 0x31, 0, false, 0, false, false), EXC_NP, 0x31 * 8 + 2,
                 "gate not present");
    set_gate(0x32, 0x5000, K_CODE32, 0xe, 0, 0, true);
    EXPECT_FAULT(deliver_long(cpu, 0x32, 0, false, 0, false, false), EXC_GP, K_CODE32,
                 "gate to 32-bit code");
    set_gate(0x33, 0x0000800000000000ull, K_CODE64, 0xe, 0, 0, true);
    EXPECT_FAULT(deliver_long(cpu, 0x33, 0, false, 0, false, false), EXC_GP, 0,
                 "non-canonical gate offset");
    set_gate(0x34, 0x5000, 0, 0xe, 0, 0, true);
    EXPECT_FAULT(deliver_long(cpu, 0x34, 0, false, 0, false, false), EXC_GP, 0,
                 "null code selector");
    cpu->s.idtr.limit = 16 * 0x35 + 14;
    EXPECT_FAULT(deliver_long(cpu, 0x35, 0, false, 0, false, false), EXC_GP, 0x35 * 8 + 2,
                 "gate past the IDT limit (16-byte entries)");
    cpu->s.idtr.limit = 0xfff;
    cpu->s.gpr[R_ESP] = 0x0000800000000010ull;
    set_gate(0x36, 0x5000, K_CODE64, 0xe, 0, 0, true);
    EXPECT_FAULT(deliver_long(cpu, 0x36, 0, false, 0, false, false), EXC_SS, 0,
                 "non-canonical stack");
    CHECK_EQ(cpu->s.mode, MODE_LONG64, "nothing committed");
}

static void test_iret_checks(void)
{
    setup();
    /* A frame at 0x70000: RIP CS RFLAGS RSP SS. */
    uint64_t f[5] = { 0x5000, K_CODE64, 0x2, 0x71000, 0 };
    for (unsigned k = 0; k < 5; k++)
        wr64(0x70000 + 8 * k, f[k]);
    cpu->s.gpr[R_ESP] = 0x70000;
    EXPECT_OK(far_iret(cpu, 8), "IRETQ with a null SS to CPL 0");
    CHECK(cpu->s.seg[SEG_SS].sel == 0 && cpu->s.gpr[R_ESP] == 0x71000, "null SS loaded");

    wr64(0x70000 + 8, U_CODE64);
    cpu->s.gpr[R_ESP] = 0x70000;
    EXPECT_FAULT(far_iret(cpu, 8), EXC_GP, 0, "IRETQ with a null SS to CPL 3");
    wr64(0x70000 + 32, U_DATA);
    wr64(0x70000, 0x0000800000000000ull);
    EXPECT_FAULT(far_iret(cpu, 8), EXC_GP, 0, "IRETQ to a non-canonical RIP");
    CHECK_EQ(cpu->s.cpl, 0, "still CPL 0");
    wr64(0x70000, 0x5000);
    wr64(0x70000 + 32, K_DATA);
    EXPECT_FAULT(far_iret(cpu, 8), EXC_GP, K_DATA, "IRETQ with SS.RPL != CS.RPL");
    wr64(0x70000 + 32, U_DATA);
    cpu->s.rflags |= FL_NT;
    EXPECT_FAULT(far_iret(cpu, 8), EXC_GP, 0, "IRET with NT in long mode");
    cpu->s.rflags &= ~FL_NT;
    wr64(0x70000 + 16, 0x3202 | FL_VM);
    EXPECT_OK(far_iret(cpu, 8), "IRETQ to ring 3");
    CHECK(!(cpu->s.rflags & FL_VM) && cpu->s.mode == MODE_LONG64,
          "VM cannot be set in long mode");
    CHECK_EQ(cpu->s.rflags & FL_IOPL, FL_IOPL, "IOPL set from CPL 0");
}

/* Decode `bytes` as 64-bit code and run the handler. */
static void run64(const uint8_t *bytes, unsigned n)
{
    struct insn i;
    memset(&i, 0, sizeof i);
    CHECK(decode_bytes(bytes, n, 8, &i) == (int)n, "decode %02x %02x", bytes[0], bytes[1]);
    i.fn(cpu, &i);
}

static void test_system_insns(void)
{
    static const uint8_t lgdt_rax[] = { 0x0f, 0x01, 0x10 };
    static const uint8_t sgdt_rbx[] = { 0x0f, 0x01, 0x03 };
    static const uint8_t ltr_ax[] = { 0x0f, 0x00, 0xd8 };
    static const uint8_t lldt_ax[] = { 0x0f, 0x00, 0xd0 };
    static const uint8_t mov_ss_ax[] = { 0x8e, 0xd0 };
    setup();
    /* LGDT m16&64: a high-half base. */
    physmem_write(&mem, 0x20000, 0x47, 2);
    wr64(0x20002, 0xffff800000010000ull);
    cpu->s.gpr[R_EAX] = 0x20000;
    EXPECT_OK(run64(lgdt_rax, 3), "LGDT in 64-bit mode");
    CHECK(cpu->s.gdtr.base == 0xffff800000010000ull && cpu->s.gdtr.limit == 0x47,
          "LGDT: 8-byte base");
    cpu->s.gpr[R_EBX] = 0x20100;
    EXPECT_OK(run64(sgdt_rbx, 3), "SGDT in 64-bit mode");
    CHECK_EQ(rd64(0x20102), 0xffff800000010000ull, "SGDT: 8-byte base stored");
    wr64(0x20002, 0x0000800000010000ull);
    EXPECT_FAULT(run64(lgdt_rax, 3), EXC_GP, 0, "LGDT with a non-canonical base");
    cpu->s.gdtr.base = GDT;

    /* LTR of a 16-byte TSS descriptor with base bits 63:32. */
    wr64(GDT + 0x38, 0xffff8000ull);                /* base 63:32 */
    EXPECT_FAULT(run64(ltr_ax, 3), EXC_GP, 0, "LTR with a null selector");
    cpu->s.gpr[R_EAX] = TSS_SEL;
    EXPECT_OK(run64(ltr_ax, 3), "LTR of a 64-bit TSS");
    CHECK_EQ(cpu->s.seg[SEG_TR].base, 0xffff800000000000ull | TSS,
             "LTR: base bits 63:32 from the upper half");
    CHECK(rd64(GDT + 0x30) & (2ull << 40), "LTR marks the TSS busy");
    EXPECT_FAULT(run64(ltr_ax, 3), EXC_GP, TSS_SEL, "LTR of a busy TSS");
    wr64(GDT + 0x30, 0x0000890000000067ull | ((uint64_t)TSS << 16));
    wr64(GDT + 0x38, 0x0000090000000000ull);        /* type 9 in the upper half */
    EXPECT_FAULT(run64(ltr_ax, 3), EXC_GP, TSS_SEL, "LTR: upper-half type must be 0");
    wr64(GDT + 0x38, 0x00000000ffff7000ull);        /* base 0xffff7000_00012000 */
    EXPECT_FAULT(run64(ltr_ax, 3), EXC_GP, TSS_SEL, "LTR: non-canonical base");
    wr64(GDT + 0x38, 0);
    cpu->s.gdtr.limit = 0x37 + 4;                   /* the upper half crosses the limit */
    EXPECT_FAULT(run64(ltr_ax, 3), EXC_GP, TSS_SEL, "LTR: 16 bytes must fit the GDT");
    cpu->s.gdtr.limit = 0x47;
    wr64(GDT + 0x30, 0x0000810000000067ull | ((uint64_t)TSS << 16));  /* 16-bit TSS type */
    EXPECT_FAULT(run64(ltr_ax, 3), EXC_GP, TSS_SEL, "LTR: no 16-bit TSS in IA-32e mode");

    /* LLDT of a 16-byte LDT descriptor. */
    wr64(GDT + 0x30, 0x0000820000000fffull | (0x30000ull << 16));
    wr64(GDT + 0x38, 0x1);
    EXPECT_OK(run64(lldt_ax, 3), "LLDT of a 16-byte LDT descriptor");
    CHECK_EQ(cpu->s.seg[SEG_LDTR].base, 0x100030000ull, "LLDT: 64-bit base");

    /* MOV SS with a null selector: CPL 0 with RPL 0 yes, RPL 3 no. */
    cpu->s.gpr[R_EAX] = 0;
    EXPECT_OK(run64(mov_ss_ax, 2), "MOV SS, null at CPL 0");
    CHECK_EQ(cpu->s.seg[SEG_SS].sel, 0, "null SS loaded");
    cpu->s.gpr[R_EAX] = 3;
    EXPECT_FAULT(run64(mov_ss_ax, 2), EXC_GP, 0, "MOV SS, null with RPL 3 at CPL 0");
    load_cs(U_CODE32, 0);                           /* compatibility mode (CPL forced 0) */
    cpu->s.gpr[R_EAX] = 0;
    EXPECT_FAULT(run64(mov_ss_ax, 2), EXC_GP, 0, "MOV SS, null outside 64-bit mode");
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
    test_same_level();
    test_privilege();
    test_gate_checks();
    test_iret_checks();
    test_system_insns();
    cpu_free(cpu);
    physmem_free(&mem);
    return test_summary();
}
