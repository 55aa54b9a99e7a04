/* Unit tests of the 64-bit fast paths: mmu.h mmu_fast_host64 (the TLB
 * probe of 64-bit data accesses, which leaves the canonical check to the
 * TLB tag) and the handlers of src/cpu/fastops64.c that use it, against
 * the rules the slow path applies (SDM vol. 3A 3.3.7.1 canonical
 * addresses, 3.4.4 / 5.3.1 segmentation in 64-bit mode, 6.15 #AC/#GP/#SS):
 *  - a non-canonical address never hits, even when it equals a cached
 *    canonical page in the bits the TLB index uses, and even when a
 *    system access walked it into the TLB (tlb.c gives such pages no
 *    fast tag); it faults #GP(0), or #SS(0) through SS;
 *  - DS/ES/SS bases count as 0, FS/GS bases apply;
 *  - an access crossing a page, or a misaligned one at CPL 3, goes to the
 *    slow path (which splits it, or raises #AC(0) with CR0.AM and AC);
 *  - the specialised handlers fault like the generic ones and leave
 *    registers unchanged on a fault.
 * 4-level page tables are built by hand; records are decoded with
 * decode_bytes() and specialised for code size 8 as decode_insn() does. */
#include <setjmp.h>

#include "test.h"
#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/except.h"
#include "cpu/fastops.h"
#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/longmode.h"
#include "cpu/mmu.h"
#include "cpu/optable.h"
#include "mem/physmem.h"

static struct physmem mem;
static struct cpu *cpu;

static void wr_phys64(uint64_t pa, uint64_t v) { physmem_write(&mem, pa, v, 8); }
static uint64_t rd_phys64(uint64_t pa) { return physmem_read(&mem, pa, 8); }

#include "fault_catch.h"

#define PML4 0x120000u
#define PDPT 0x121000u
#define PD4  0x122000u
#define PT4  0x123000u

/* 64-bit mode, CPL 0, flat segments. Linear 0x400000-0x402fff map to
 * physical 0x200000-0x202fff (4 KiB pages, user, writable), 0x403000 is
 * not present; PML4 entries 0, 256 and 511 share one PDPT, so the
 * non-canonical 0x0000_8000_0040_0000 has a translation (a walk ignores
 * bits 63:48) and 0xffff_ff80_0040_0000 is its canonical high-half alias. */
static void setup(void)
{
    memset(cpu, 0, sizeof *cpu);
    cpu->mem = &mem;
    mmu_init(cpu);
    for (unsigned k = 0; k < 4096; k += 8)
        for (unsigned t = PML4; t <= PT4; t += 0x1000)
            wr_phys64(t + k, 0);
    wr_phys64(PML4, PDPT | 0x7);
    wr_phys64(PML4 + 8 * 256, PDPT | 0x7);
    wr_phys64(PML4 + 8 * 511, PDPT | 0x7);
    wr_phys64(PDPT, PD4 | 0x7);
    wr_phys64(PD4 + 8 * 2, PT4 | 0x7);
    for (unsigned k = 0; k < 3; k++)
        wr_phys64(PT4 + 8 * k, (0x200000 + 0x1000 * k) | 0x7);
    for (int s = 0; s < SEG_COUNT; s++) {
        cpu->s.seg[s].sel = 0x10;
        cpu->s.seg[s].limit = 0xffffffffu;
        cpu->s.seg[s].attr = 0x93 | SEGA_DB | SEGA_G;
    }
    cpu->s.seg[SEG_CS].sel = 0x08;
    cpu->s.seg[SEG_CS].attr = 0x9b | SEGA_L | SEGA_G;
    cpu->model.feat[CPUID_80000001_EDX] |= CPUID_X_LM;
    cpu->s.cr0 = CR0_PE | CR0_ET | CR0_PG;
    cpu->s.cr4 = CR4_PAE;
    cpu->s.cr3 = PML4;
    cpu->s.efer = EFER_LME | EFER_LMA;
    cpu->s.mode = MODE_LONG64;
    cpu->s.code_size = 8;
    cpu->s.stack_size = 8;
    cpu->s.rflags = 0x2;
    cpu->s.rip = 0x1000;
    cpu->s.gpr[R_ESP] = 0x401800;
    tlb_flush_all(cpu);
    for (unsigned k = 0; k < 0x3000; k += 8)
        wr_phys64(0x200000 + k, 0x1111111111111111ull * ((k >> 12) + 1) + k);
}

/* Whether the fast path hits for this access, and the value it reads. */
static bool fast_rd(int seg, uint64_t off, unsigned size, uint64_t *v)
{
    uint8_t *p;
    if (!mmu_fast_host64(cpu, seg, off, size, ACC_READ, &p))
        return false;
    *v = mmu_host_ld(p, size);
    return true;
}

/* A non-canonical address never hits and faults through its segment. */
static void check_alias(uint64_t a)
{
    uint64_t v;
    CHECK(!fast_rd(SEG_DS, a, 8, &v), "no fast hit at non-canonical %#llx", (unsigned long long)a);
    EXPECT_FAULT(cpu_rd64(cpu, SEG_DS, a), EXC_GP, 0, "non-canonical read: #GP(0)");
    EXPECT_FAULT(cpu_rd64(cpu, SEG_SS, a), EXC_SS, 0, "non-canonical stack read: #SS(0)");
}

static void test_tlb_path(void)
{
    setup();
    uint64_t v = 0;
    volatile uint64_t r = 0;
    CHECK(!fast_rd(SEG_DS, 0x400020, 8, &v), "cold TLB: no fast hit");
    EXPECT_OK(r = cpu_rd64(cpu, SEG_DS, 0x400020), "slow read fills the TLB");
    CHECK(fast_rd(SEG_DS, 0x400020, 8, &v) && v == r, "then the fast path hits, same value");

    /* Non-canonical aliases of the cached page: same TLB index, same low
     * 48 bits or same bits 47:0 but for 63:48. */
    static const uint64_t alias[] = {
        0x0001000000400020ull, 0x8000000000400020ull, 0xffff000000400020ull,
        0x7fff000000400020ull,
    };
    for (unsigned k = 0; k < sizeof alias / sizeof alias[0]; k++)
        check_alias(alias[k]);

    /* A non-canonical page that a walk put in the TLB (a system access
     * through a table base, which checks no canonical form) gets no fast
     * tag: the data access still faults. */
    EXPECT_OK(mmu_translate(cpu, 0x0000800000400020ull, ACC_READ, 0),
              "walk of non-canonical 0x800000400020 (bits 63:48 ignored)");
    EXPECT_OK(mmu_translate(cpu, 0x0000800000400020ull, ACC_WRITE, 0), "... for a write");
    CHECK(!fast_rd(SEG_DS, 0x0000800000400020ull, 4, &v), "walked non-canonical page: no fast hit");
    uint8_t *p;
    CHECK(!mmu_fast_host64(cpu, SEG_DS, 0x0000800000400020ull, 4, ACC_WRITE, &p),
          "... nor for a write");
    EXPECT_FAULT(cpu_rd32(cpu, SEG_DS, 0x0000800000400020ull), EXC_GP, 0,
                 "walked non-canonical page: read #GP(0)");
    EXPECT_FAULT(cpu_wr32(cpu, SEG_DS, 0x0000800000400020ull, 1), EXC_GP, 0,
                 "walked non-canonical page: write #GP(0)");
    /* Its canonical high-half alias (same PML4 index 511 tables, other TLB
     * tag) works. */
    EXPECT_OK(r = cpu_rd64(cpu, SEG_DS, 0xffffff8000400020ull), "high-half read");
    CHECK(fast_rd(SEG_DS, 0xffffff8000400020ull, 8, &v) && v == r,
          "high-half canonical page: fast hit, full 64-bit tag");

    /* Bases: DS/ES/SS count as 0, FS/GS apply. (The walks above took
     * 0x400000's TLB slot: refill it.) */
    EXPECT_OK(cpu_rd64(cpu, SEG_DS, 0x400020), "refill");
    cpu->s.seg[SEG_DS].base = 0x1000;
    cpu->s.seg[SEG_SS].base = 0x2000;
    CHECK(fast_rd(SEG_DS, 0x400020, 8, &v) && v == rd_phys64(0x200020), "DS base ignored");
    CHECK(fast_rd(SEG_SS, 0x400020, 8, &v) && v == rd_phys64(0x200020), "SS base ignored");
    cpu->s.seg[SEG_FS].base = 0x400000;
    cpu->s.seg[SEG_GS].base = 0x3ff000;
    CHECK(fast_rd(SEG_FS, 0x20, 8, &v) && v == rd_phys64(0x200020), "FS base applies");
    CHECK(fast_rd(SEG_GS, 0x1020, 8, &v) && v == rd_phys64(0x200020), "GS base applies");
    cpu->s.seg[SEG_FS].base = 0x0000800000000000ull - 0x1000;
    CHECK(!fast_rd(SEG_FS, 0x400020, 4, &v), "FS base + offset non-canonical: no hit");
    EXPECT_FAULT(cpu_rd32(cpu, SEG_FS, 0x400020), EXC_GP, 0, "FS base + offset non-canonical: #GP(0)");

    /* Page crossing: the slow path splits it; into a non-present page it
     * faults; across the top of the lower canonical half it is #GP. */
    EXPECT_OK(r = cpu_rd64(cpu, SEG_DS, 0x401000), "warm the second page");
    CHECK(!fast_rd(SEG_DS, 0x400ffc, 8, &v), "page-crossing read: no fast hit");
    EXPECT_OK(r = cpu_rd64(cpu, SEG_DS, 0x400ffc), "page-crossing read");
    CHECK_EQ(r, (rd_phys64(0x200ff8) >> 32) | (rd_phys64(0x201000) << 32),
             "page-crossing read joins both pages");
    EXPECT_FAULT(cpu_wr64(cpu, SEG_DS, 0x402ffc, 0), EXC_PF, PF_W,
                 "page-crossing write into a non-present page: #PF");
    CHECK_EQ(rd_phys64(0x202ff8), 0x3333333333333333ull + 0x2ff8, "nothing written before it");
    EXPECT_FAULT(cpu_rd64(cpu, SEG_DS, 0x00007ffffffffffcull), EXC_GP, 0,
                 "last byte non-canonical: #GP(0)");

    /* Alignment check: misaligned CPL 3 accesses take the slow path,
     * which raises #AC(0) with CR0.AM and RFLAGS.AC. */
    cpu->s.cpl = 3;
    EXPECT_OK(r = cpu_rd64(cpu, SEG_DS, 0x400020), "CPL 3 read warms the user TLB");
    CHECK(fast_rd(SEG_DS, 0x400020, 8, &v), "CPL 3 aligned: fast hit");
    CHECK(!fast_rd(SEG_DS, 0x400021, 8, &v), "CPL 3 misaligned: no fast hit");
    EXPECT_OK(cpu_rd64(cpu, SEG_DS, 0x400021), "misaligned without AM/AC: no fault");
    cpu->s.cr0 |= CR0_AM;
    cpu->s.rflags |= FL_AC;
    EXPECT_FAULT(cpu_rd64(cpu, SEG_DS, 0x400021), EXC_AC, 0, "misaligned with AM and AC: #AC(0)");
    EXPECT_OK(cpu_rd64(cpu, SEG_DS, 0x400028), "aligned with AM and AC: no fault");
    cpu->s.cpl = 0;
    CHECK(fast_rd(SEG_DS, 0x400021, 8, &v), "CPL 0 misaligned: fast hit (no #AC below CPL 3)");
}

/* Run one instruction the way cpu_run() does, through the handler
 * fastops_specialize() picks for 64-bit code. Returns -1, or the vector of
 * the fault it raised; *fast tells whether the record was specialised. */
static int exec_fast(const uint8_t *b, unsigned n, bool *fast)
{
    static struct insn i;
    if (decode_bytes(b, n, 8, &i) != (int)n)
        return -2;
    op_fn generic = i.fn;
    fastops_specialize(&i, 8);
    *fast = i.fn != generic;
    cpu->fetch_page = NULL;         /* no chaining */
    cpu->run_end = 0;
    cpu->cur = &i;
    cpu->next_rip = cpu->s.rip + i.len;
    cpu->insn_rsp = cpu->s.gpr[R_ESP];
    if (setjmp(cpu->fault_jmp))
        return cpu->exc_vector;
    i.fn(cpu, &i);
    cpu->s.rip = cpu->next_rip;
    return -1;
}

static bool was_fast;
#define EXEC(...) exec_fast((const uint8_t[]){ __VA_ARGS__ }, \
                            sizeof((const uint8_t[]){ __VA_ARGS__ }), &was_fast)
#define R(n) cpu->s.gpr[n]

static void test_handlers(void)
{
    setup();
    /* Loads and stores, each EA form, twice (slow path, then TLB hit). */
    for (int pass = 0; pass < 2; pass++) {
        R(R_EBX) = 0x400100;
        R(R_EAX) = 0;
        CHECK_EQ(EXEC(0x48, 0x8b, 0x43, 0x08), -1, "mov rax, [rbx+8]");
        CHECK(was_fast, "mov rax, [rbx+8] is specialised");
        CHECK_EQ(R(R_EAX), rd_phys64(0x200108), "mov rax, [rbx+8] (pass %d)", pass);
        R(R_ECX) = 0xffffffffffffffffull;
        CHECK_EQ(EXEC(0x8b, 0x4b, 0x08), -1, "mov ecx, [rbx+8]");
        CHECK_EQ(R(R_ECX), (uint32_t)rd_phys64(0x200108), "32-bit load zero-extends");
        R(R_EDX) = 0x0123456789abcdefull + (uint64_t)pass;
        R(R_ESI) = 2;
        CHECK_EQ(EXEC(0x48, 0x89, 0x54, 0xb3, 0x10), -1, "mov [rbx+rsi*4+16], rdx");
        CHECK(was_fast, "an indexed store is specialised");
        CHECK_EQ(rd_phys64(0x200118), R(R_EDX), "indexed store");
        CHECK_EQ(EXEC(0x89, 0x53, 0x20), -1, "mov [rbx+0x20], edx");
        CHECK_EQ(rd_phys64(0x200120) & 0xffffffffu, (uint32_t)R(R_EDX), "32-bit store");
        /* RIP-relative: RIP 0x400200, next 0x400207, +0x19 = 0x400220. */
        cpu->s.rip = 0x400200;
        CHECK_EQ(EXEC(0x48, 0x8b, 0x05, 0x19, 0x00, 0x00, 0x00), -1, "mov rax, [rip+0x19]");
        CHECK(was_fast, "RIP-relative load is specialised");
        CHECK_EQ(R(R_EAX), rd_phys64(0x200220), "RIP-relative load");
        cpu->s.rip = 0x1000;
    }

    /* FS override: base + offset; DS base ignored. */
    cpu->s.seg[SEG_FS].base = 0x400000;
    cpu->s.seg[SEG_DS].base = 0x100;
    R(R_EBX) = 0x30;
    CHECK_EQ(EXEC(0x64, 0x48, 0x8b, 0x03), -1, "mov rax, fs:[rbx]");
    CHECK_EQ(R(R_EAX), rd_phys64(0x200030), "FS base applies in the fast handler");
    CHECK_EQ(EXEC(0x64, 0x48, 0x8b, 0x03), -1, "mov rax, fs:[rbx] again (TLB hit)");
    CHECK_EQ(R(R_EAX), rd_phys64(0x200030), "FS base applies on a TLB hit");
    R(R_EBX) = 0x400030;
    CHECK_EQ(EXEC(0x48, 0x8b, 0x03), -1, "mov rax, [rbx]");
    CHECK_EQ(R(R_EAX), rd_phys64(0x200030), "DS base ignored in the fast handler");

    /* Non-canonical aliases of a cached page through the fast handlers. */
    R(R_EAX) = 0x5555;
    R(R_EBX) = 0x8000000000400030ull;
    CHECK_EQ(EXEC(0x48, 0x8b, 0x03), EXC_GP, "mov rax, [rbx] non-canonical alias: #GP");
    CHECK_EQ(R(R_EAX), 0x5555, "destination unchanged");
    CHECK_EQ(EXEC(0x48, 0x89, 0x03), EXC_GP, "mov [rbx], rax non-canonical alias: #GP");
    CHECK_EQ(EXEC(0x48, 0x01, 0x03), EXC_GP, "add [rbx], rax non-canonical alias: #GP");
    R(R_EBP) = 0x0001000000400030ull;
    CHECK_EQ(EXEC(0x48, 0x8b, 0x45, 0x00), EXC_SS, "mov rax, [rbp] non-canonical: #SS");
    CHECK_EQ(EXEC(0x8b, 0x45, 0x00), EXC_SS, "mov eax, [rbp] non-canonical: #SS");
    CHECK_EQ(R(R_EAX), 0x5555, "destination unchanged");

    /* Stack: PUSH/POP/CALL/RET through SS, #SS on a non-canonical RSP,
     * RSP unchanged by a faulting push. */
    R(R_ESP) = 0x401800;
    R(R_EAX) = 0xfeedfacecafebeefull;
    CHECK_EQ(EXEC(0x50), -1, "push rax");
    CHECK(was_fast, "push rax is specialised");
    CHECK_EQ(R(R_ESP), 0x4017f8, "push: RSP - 8");
    CHECK_EQ(rd_phys64(0x2017f8), 0xfeedfacecafebeefull, "push: value stored");
    CHECK_EQ(EXEC(0x41, 0x5c), -1, "pop r12");
    CHECK_EQ(R(12), 0xfeedfacecafebeefull, "pop r12");
    CHECK_EQ(R(R_ESP), 0x401800, "pop: RSP + 8");
    R(R_ESP) = 0x8000000000401800ull;
    CHECK_EQ(EXEC(0x50), EXC_SS, "push with a non-canonical RSP: #SS");
    CHECK_EQ(R(R_ESP), 0x8000000000401800ull, "RSP unchanged");
    CHECK_EQ(EXEC(0x58), EXC_SS, "pop with a non-canonical RSP: #SS");
    R(R_ESP) = 0x401800;
    cpu->s.rip = 0x400000;
    CHECK_EQ(EXEC(0xe8, 0x10, 0x00, 0x00, 0x00), -1, "call +0x10");
    CHECK(was_fast, "call is specialised");
    CHECK_EQ(cpu->s.rip, 0x400015, "call target");
    CHECK_EQ(rd_phys64(0x2017f8), 0x400005, "call pushes the return RIP");
    CHECK_EQ(EXEC(0xc3), -1, "ret");
    CHECK_EQ(cpu->s.rip, 0x400005, "ret target");
    CHECK_EQ(R(R_ESP), 0x401800, "ret pops");
    /* Branch targets: canonical only. */
    wr_phys64(0x2017f8, 0x0000800000000000ull);
    R(R_ESP) = 0x4017f8;
    CHECK_EQ(EXEC(0xc3), EXC_GP, "ret to a non-canonical address: #GP");
    CHECK_EQ(R(R_ESP), 0x4017f8, "RSP unchanged");
    cpu->s.rip = 0x00007ffffffffff0ull;
    CHECK_EQ(EXEC(0xe9, 0x10, 0x00, 0x00, 0x00), EXC_GP, "jmp past 0x7fffffffffff: #GP");
    cpu->s.lf.op = LF_NONE;
    cpu->s.rflags = 0x2 | FL_ZF;
    CHECK_EQ(EXEC(0x74, 0x10), EXC_GP, "taken je past the canonical range: #GP");
    CHECK_EQ(EXEC(0x75, 0x10), -1, "jne not taken: no check");
    cpu->s.rip = 0xffff800000000010ull;
    CHECK_EQ(EXEC(0xeb, 0xe0), EXC_GP, "jmp below 0xffff800000000000: #GP");
    CHECK_EQ(EXEC(0xeb, 0x10), -1, "jmp within the high half");
    CHECK_EQ(cpu->s.rip, 0xffff800000000022ull, "jmp target");
    cpu->s.rip = 0x1000;

    /* A page-crossing store into a non-present page faults before it
     * writes anything. */
    R(R_EBX) = 0x402ffc;
    R(R_EAX) = 0;
    CHECK_EQ(EXEC(0x48, 0x89, 0x03), EXC_PF, "mov [rbx], rax across into a non-present page");
    CHECK_EQ(rd_phys64(0x202ff8), 0x3333333333333333ull + 0x2ff8, "nothing written");

    /* Alignment check at CPL 3 with CR0.AM and AC. */
    cpu->s.cpl = 3;
    cpu->s.cr0 |= CR0_AM;
    cpu->s.rflags |= FL_AC;
    R(R_EBX) = 0x400101;
    CHECK_EQ(EXEC(0x48, 0x8b, 0x03), EXC_AC, "CPL 3 misaligned mov rax, [rbx]: #AC");
    R(R_ESP) = 0x4017fc;
    CHECK_EQ(EXEC(0x50), EXC_AC, "CPL 3 push with a misaligned RSP: #AC");
    R(R_EBX) = 0x400100;
    CHECK_EQ(EXEC(0x48, 0x8b, 0x03), -1, "aligned: no fault");
    cpu->s.rflags &= ~FL_AC;
    R(R_EBX) = 0x400101;
    CHECK_EQ(EXEC(0x48, 0x8b, 0x03), -1, "misaligned without AC: no fault");
    cpu->s.cpl = 0;
    R(R_ESP) = 0x401800;

    /* 32-bit operations in 64-bit code write the register zero-extended
     * even when the count is 0 or the CMOV condition false (as the
     * generic handlers, shift.c and bitops.c). */
    R(R_EAX) = 0xffffffff00000001ull;
    CHECK_EQ(EXEC(0xc1, 0xe0, 0x00), -1, "shl eax, 0");
    CHECK(was_fast, "shl eax, imm8 in 64-bit code is specialised");
    CHECK_EQ(R(R_EAX), 1, "shl eax, 0 clears bits 63:32");
    R(R_EAX) = 0xffffffff00000001ull;
    R(R_ECX) = 0x20;
    CHECK_EQ(EXEC(0xd3, 0xe0), -1, "shl eax, cl (cl = 32: masked to 0)");
    CHECK_EQ(R(R_EAX), 1, "shl eax, cl by 0 clears bits 63:32");
    R(R_EAX) = 0xffffffff00000001ull;
    CHECK_EQ(EXEC(0x48, 0xd3, 0xe0), -1, "shl rax, cl (cl = 32)");
    CHECK_EQ(R(R_EAX), 0x100000000ull, "shl rax, 32");
    R(R_EAX) = 0xffffffff00000001ull;
    R(R_EBX) = 2;
    cpu->s.rflags = 0x2;
    cpu->s.lf.op = LF_NONE;
    CHECK_EQ(EXEC(0x0f, 0x44, 0xc3), -1, "cmove eax, ebx (false)");
    CHECK(was_fast, "cmove r32 in 64-bit code is specialised");
    CHECK_EQ(R(R_EAX), 1, "cmove false still clears bits 63:32");
    R(R_EAX) = 0xffffffff00000001ull;
    CHECK_EQ(EXEC(0x48, 0x0f, 0x44, 0xc3), -1, "cmove rax, rbx (false)");
    CHECK_EQ(R(R_EAX), 0xffffffff00000001ull, "cmove r64 false keeps it all");

    /* 64-bit ALU with a memory destination; a faulting one leaves the
     * flags alone. */
    R(R_EBX) = 0x400040;
    R(R_EAX) = 1;
    wr_phys64(0x200040, 0xffffffffffffffffull);
    CHECK_EQ(EXEC(0x48, 0x01, 0x03), -1, "add [rbx], rax");
    CHECK(was_fast, "add [rbx], rax is specialised");
    CHECK_EQ(rd_phys64(0x200040), 0, "add [rbx], rax wraps at 64 bits");
    CHECK(flag_cf(cpu) && flag_zf(cpu), "add [rbx], rax: CF ZF");
    R(R_EBX) = 0x8000000000400040ull;
    cpu->s.lf.op = LF_NONE;
    cpu->s.rflags = 0x2;
    CHECK_EQ(EXEC(0x48, 0x29, 0x03), EXC_GP, "sub [rbx], rax non-canonical");
    CHECK(!flag_zf(cpu) && !flag_cf(cpu), "flags unchanged by the faulting SUB");
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
    optable_init();
    test_tlb_path();
    test_handlers();
    physmem_free(&mem);
    return test_summary();
}
