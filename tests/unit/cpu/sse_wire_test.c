/* The SSE handlers' wiring (src/cpu/sse_*.c) in 32-bit flat protected
 * mode, with the model's CPUID bits set directly (the guest tests need
 * every SSE/SSE2 instruction before --cpu max can claim SSE2): the fault
 * order of docs/simd.md (#UD for a missing CPUID bit, CR0.EM or
 * CR4.OSFXSR=0, then #NM for CR0.TS, then #GP(0) for a misaligned m128),
 * the destination left alone on a fault, and the result through the
 * library for register and memory forms. Instructions run as cpu_run()
 * runs them (faults via fault_jmp). */
#include <setjmp.h>

#include "test.h"
#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/except.h"
#include "cpu/insn.h"
#include "cpu/mmu.h"
#include "mem/iobus.h"
#include "mem/physmem.h"

static struct physmem mem;
static struct iobus io;
static struct cpu *cpu;

static void reset_cpu(void)
{
    memset(cpu, 0, sizeof *cpu);
    cpu->mem = &mem;
    cpu->io = &io;
    mmu_init(cpu);
    cpu->s.mode = MODE_PROT32;
    cpu->s.cr0 = CR0_PE | CR0_ET | CR0_MP | CR0_NE;
    cpu->s.cr4 = CR4_OSFXSR;
    for (int s = 0; s < SEG_COUNT; s++) {
        cpu->s.seg[s].sel = s == SEG_CS ? 0x08 : 0x10;
        cpu->s.seg[s].limit = 0xffffffffu;
        cpu->s.seg[s].attr = (s == SEG_CS ? 0x9b : 0x93) | SEGA_DB | SEGA_G;
    }
    cpu->s.code_size = 4;
    cpu->s.stack_size = 4;
    cpu->s.rflags = 0x2;
    cpu->s.rip = 0x1000;
    cpu->model.feat[CPUID_1_EDX] = CPUID_FPU | CPUID_MMX | CPUID_SSE2;
}

static int exec_bytes(const uint8_t *b, unsigned n)
{
    static struct insn i;
    if (decode_bytes(b, n, insn_code_size(cpu), &i) != (int)n) {
        printf("decode of %u bytes failed\n", n);
        return -2;
    }
    cpu->cur = &i;
    cpu->next_rip = EIP(cpu) + i.len;
    if (setjmp(cpu->fault_jmp))
        return cpu->exc_vector;
    i.fn(cpu, &i);
    cpu->s.rip = cpu->next_rip;
    return -1;
}

#define EXEC(...) exec_bytes((const uint8_t[]){ __VA_ARGS__ }, \
                             sizeof((const uint8_t[]){ __VA_ARGS__ }))

static void set_x(unsigned r, uint64_t lo, uint64_t hi)
{
    cpu->s.xmm[r].q[0] = lo;
    cpu->s.xmm[r].q[1] = hi;
}

static bool x_is(unsigned r, uint64_t lo, uint64_t hi)
{
    return cpu->s.xmm[r].q[0] == lo && cpu->s.xmm[r].q[1] == hi;
}

static void test_paddb(void)
{
    reset_cpu();
    set_x(0, 0x0102030405060708ull, 0xff00ff00ff00ff00ull);
    set_x(1, 0x0101010101010101ull, 0x0101010101010101ull);
    CHECK_EQ(EXEC(0x66, 0x0f, 0xfc, 0xc1), -1, "paddb xmm0, xmm1 runs");
    CHECK(x_is(0, 0x0203040506070809ull, 0x0001000100010001ull), "paddb: bytes wrap, all 16 lanes");
    CHECK(x_is(1, 0x0101010101010101ull, 0x0101010101010101ull), "paddb: source unchanged");

    /* fault order: CPUID, EM, OSFXSR -> #UD; then TS -> #NM */
    reset_cpu();
    cpu->model.feat[CPUID_1_EDX] &= ~CPUID_SSE2;
    CHECK_EQ(EXEC(0x66, 0x0f, 0xfc, 0xc1), EXC_UD, "66 0F FC without CPUID SSE2: #UD");
    reset_cpu();
    cpu->s.cr0 |= CR0_EM | CR0_TS;
    CHECK_EQ(EXEC(0x66, 0x0f, 0xfc, 0xc1), EXC_UD, "CR0.EM: #UD (before CR0.TS's #NM)");
    reset_cpu();
    cpu->s.cr4 = 0;
    cpu->s.cr0 |= CR0_TS;
    CHECK_EQ(EXEC(0x66, 0x0f, 0xfc, 0xc1), EXC_UD, "CR4.OSFXSR=0: #UD (before #NM)");
    reset_cpu();
    cpu->s.cr0 |= CR0_TS;
    set_x(0, 7, 7);
    CHECK_EQ(EXEC(0x66, 0x0f, 0xfc, 0xc1), EXC_NM, "CR0.TS: #NM");
    CHECK(x_is(0, 7, 7), "#NM: destination unchanged");
    /* The MMX form does not look at OSFXSR. */
    reset_cpu();
    cpu->s.cr4 = 0;
    CHECK_EQ(EXEC(0x0f, 0xfc, 0xc1), -1, "paddb mm0, mm1 with CR4.OSFXSR=0 runs");
}

static void test_m128(void)
{
    reset_cpu();
    for (unsigned k = 0; k < 32; k++)
        physmem_write(&mem, 0x2000 + k, 0x10 + k, 1);
    set_x(2, 0, 0);
    cpu->s.gpr[R_EAX] = 0x2000;
    CHECK_EQ(EXEC(0x66, 0x0f, 0xfe, 0x10), -1, "paddd xmm2, [eax] (aligned) runs");
    CHECK(x_is(2, 0x1716151413121110ull, 0x1f1e1d1c1b1a1918ull), "paddd xmm2, m128: all 16 bytes read");
    cpu->s.gpr[R_EAX] = 0x2008;
    set_x(2, 5, 5);
    CHECK_EQ(EXEC(0x66, 0x0f, 0xfe, 0x10), EXC_GP, "paddd xmm2, [eax] misaligned: #GP");
    CHECK_EQ(cpu->exc_code, 0, "misaligned m128: #GP(0)");
    CHECK(x_is(2, 5, 5), "#GP: destination unchanged");
    /* Alignment is checked on the linear address: a segment base of 8
     * makes offset 0x2008 aligned. */
    cpu->s.seg[SEG_DS].base = 8;
    CHECK_EQ(EXEC(0x66, 0x0f, 0xfe, 0x10), -1, "base 8 + offset 0x2008 is aligned");
    /* The MMX form of the same opcode takes any address (m64). */
    reset_cpu();
    cpu->s.gpr[R_EAX] = 0x2003;
    CHECK_EQ(EXEC(0x0f, 0xfe, 0x10), -1, "paddd mm2, [eax+3]: no alignment rule");
    CHECK_EQ(cpu->s.fpu.st[2].mant, 0x1a19181716151413ull, "paddd mm2, m64 read 8 bytes");
}

static void test_shifts_and_features(void)
{
    reset_cpu();
    set_x(3, 0x1122334455667788ull, 0x99aabbccddeeff00ull);
    CHECK_EQ(EXEC(0x66, 0x0f, 0x73, 0xfb, 0x04), -1, "pslldq xmm3, 4 runs");
    CHECK(x_is(3, 0x5566778800000000ull, 0xddeeff0011223344ull), "pslldq: whole register by 4 bytes");
    CHECK_EQ(EXEC(0x0f, 0x73, 0xfb, 0x04), EXC_UD, "0F 73 /7 without 66 (no MMX form): #UD");
    set_x(3, 0x0001000200030004ull, 0x8000800080008000ull);
    CHECK_EQ(EXEC(0x66, 0x0f, 0x71, 0xf3, 0x01), -1, "psllw xmm3, 1 (66 0F 71 /6) runs");
    CHECK(x_is(3, 0x0002000400060008ull, 0ull), "psllw xmm: all 8 words, the high ones too");
    /* PAVGB mm needs CPUID SSE (an SSE addition to MMX), PADDQ mm SSE2. */
    cpu->model.feat[CPUID_1_EDX] = CPUID_FPU | CPUID_MMX;
    CHECK_EQ(EXEC(0x0f, 0xe0, 0xc1), EXC_UD, "pavgb mm0, mm1 without CPUID SSE: #UD");
    CHECK_EQ(EXEC(0x0f, 0xd4, 0xc1), EXC_UD, "paddq mm0, mm1 without CPUID SSE2: #UD");
    CHECK_EQ(EXEC(0x0f, 0xfc, 0xc1), -1, "paddb mm0, mm1 needs MMX only");
    cpu->model.feat[CPUID_1_EDX] |= CPUID_SSE;
    cpu->s.fpu.st[0].mant = 0x00ff000300000001ull;
    cpu->s.fpu.st[1].mant = 0x00ff000100000000ull;
    CHECK_EQ(EXEC(0x0f, 0xe0, 0xc1), -1, "pavgb mm0, mm1 with CPUID SSE runs");
    CHECK_EQ(cpu->s.fpu.st[0].mant, 0x00ff000200000001ull, "pavgb: (a + b + 1) >> 1 per byte");
}

int main(void)
{
    static struct cpu c;
    cpu = &c;
    if (physmem_init(&mem, 1u << 20) != 0 || physmem_map_ram(&mem, 0, 1u << 20, 0, "ram") != 0 ||
        iobus_init(&io) != 0) {
        printf("setup failed\n0 passed, 1 failed\n");
        return 1;
    }
    test_paddb();
    test_m128();
    test_shifts_and_features();
    iobus_free(&io);
    physmem_free(&mem);
    return test_summary();
}
