/* The SSE/SSE2 moves of src/cpu/sse_move.c and the misc rows of group 15
 * (SDM vol. 2 instruction pages): scalar moves merge between registers and
 * zero from memory, MOVQ always zeroes bits 127:64, the half moves and
 * their register forms MOVHLPS/MOVLHPS, memory-only forms #UD with a
 * register, the 16-byte alignment rule (MOVAPS, MOVNTPS, the shuffles) and
 * its absence (MOVUPS, scalar forms), sign masks and PEXTRW zero-extended
 * into the general register, MASKMOVDQU/MASKMOVQ honouring the segment
 * override and the address size, MOVQ2DQ/MOVDQ2Q and the mm forms with
 * their x87 state change (TOP=0, tags valid, #MF first), MOVD/MOVQ with
 * REX.W in 64-bit mode, MOVNTI, fences and CLFLUSH. */

#include "test.h"
#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/except.h"
#include "cpu/x87.h"
#include "mem/physmem.h"
#include "exec_fixture.h"

static void reset_cpu(bool long64)
{
    fixture_reset(long64 ? MODE_LONG64 : MODE_PROT32,
                  0x9b | SEGA_G | (long64 ? SEGA_L : SEGA_DB));
    cpu->s.cr0 |= CR0_MP | CR0_NE;
    cpu->s.cr4 = CR4_OSFXSR | CR4_OSXMMEXCPT;
    cpu->s.mxcsr = MXCSR_RESET;
    cpu->model.feat[CPUID_1_EDX] = CPUID_FPU | CPUID_MMX | CPUID_FXSR | CPUID_SSE | CPUID_SSE2 |
                                   CPUID_CLFSH;
    x87_reset(cpu);
}

#define A 0x1111111122222222ull
#define B 0x3333333344444444ull
#define C 0x5555555566666666ull
#define D 0x7777777788888888ull

static void test_scalar(void)
{
    reset_cpu(false);
    physmem_write(&mem, 0x2000, C, 8);
    cpu->s.gpr[R_EAX] = 0x2000;
    set_x(0, A, B);
    set_x(1, C, D);
    CHECK_EQ(EXEC(0xf3, 0x0f, 0x10, 0xc1), -1, "movss xmm0, xmm1");
    CHECK(x_is(0, 0x1111111166666666ull, B), "MOVSS reg: lane 0 only, the rest kept");
    CHECK_EQ(EXEC(0xf3, 0x0f, 0x10, 0x00), -1, "movss xmm0, [eax]");
    CHECK(x_is(0, 0x66666666ull, 0), "MOVSS m32: bits 127:32 zeroed");
    set_x(0, A, B);
    CHECK_EQ(EXEC(0xf2, 0x0f, 0x10, 0xc1), -1, "movsd xmm0, xmm1");
    CHECK(x_is(0, C, B), "MOVSD reg: low quadword only");
    cpu->s.gpr[R_EAX] = 0x2001;         /* no alignment rule for m64 */
    CHECK_EQ(EXEC(0xf2, 0x0f, 0x10, 0x00), -1, "movsd xmm0, [eax+1] (misaligned) runs");
    CHECK_EQ(cpu->s.xmm[0].q[1], 0, "MOVSD m64: bits 127:64 zeroed");
    physmem_write(&mem, 0x2100, 0xeeeeeeeeeeeeeeeeull, 8);
    cpu->s.gpr[R_EAX] = 0x2100;
    set_x(1, C, D);
    CHECK_EQ(EXEC(0xf3, 0x0f, 0x11, 0x08), -1, "movss [eax], xmm1");
    CHECK_EQ(physmem_read(&mem, 0x2100, 8), 0xeeeeeeee66666666ull, "MOVSS store: 4 bytes");
    set_x(2, A, B);
    CHECK_EQ(EXEC(0xf3, 0x0f, 0x11, 0xca), -1, "movss xmm2, xmm1 (0F 11 form)");
    CHECK(x_is(2, 0x1111111166666666ull, B), "MOVSS 0F 11 reg: merges into r/m");
    /* MOVQ: F3 0F 7E and 66 0F D6 zero bits 127:64 in every form. */
    set_x(0, A, B);
    CHECK_EQ(EXEC(0xf3, 0x0f, 0x7e, 0xc1), -1, "movq xmm0, xmm1");
    CHECK(x_is(0, C, 0), "MOVQ xmm, xmm: upper quadword zeroed");
    set_x(3, A, B);
    CHECK_EQ(EXEC(0x66, 0x0f, 0xd6, 0xcb), -1, "movq xmm3, xmm1 (66 0F D6)");
    CHECK(x_is(3, C, 0), "66 0F D6 reg: destination r/m, upper zeroed");
    CHECK_EQ(EXEC(0x66, 0x0f, 0xd6, 0x08), -1, "movq [eax], xmm1");
    CHECK_EQ(physmem_read(&mem, 0x2100, 8), C, "MOVQ m64 store");
}

static void test_halves(void)
{
    reset_cpu(false);
    physmem_write(&mem, 0x2000, C, 8);
    cpu->s.gpr[R_EAX] = 0x2000;
    set_x(0, A, B);
    set_x(1, C, D);
    CHECK_EQ(EXEC(0x0f, 0x12, 0x00), -1, "movlps xmm0, [eax]");
    CHECK(x_is(0, C, B), "MOVLPS load: low quadword, high kept");
    set_x(0, A, B);
    CHECK_EQ(EXEC(0x0f, 0x12, 0xc1), -1, "movhlps xmm0, xmm1");
    CHECK(x_is(0, D, B), "MOVHLPS: low <- source high");
    set_x(0, A, B);
    CHECK_EQ(EXEC(0x0f, 0x16, 0xc1), -1, "movlhps xmm0, xmm1");
    CHECK(x_is(0, A, C), "MOVLHPS: high <- source low");
    set_x(0, A, B);
    CHECK_EQ(EXEC(0x66, 0x0f, 0x16, 0x00), -1, "movhpd xmm0, [eax]");
    CHECK(x_is(0, A, C), "MOVHPD load: high quadword");
    CHECK_EQ(EXEC(0x66, 0x0f, 0x12, 0xc1), EXC_UD, "66 0F 12 with a register: #UD");
    CHECK_EQ(EXEC(0x0f, 0x13, 0xc1), EXC_UD, "0F 13 (MOVLPS store) with a register: #UD");
    CHECK_EQ(EXEC(0x0f, 0x17, 0x08), -1, "movhps [eax], xmm1");
    CHECK_EQ(physmem_read(&mem, 0x2000, 8), D, "MOVHPS store: the high quadword");
}

static void test_align(void)
{
    reset_cpu(false);
    cpu->s.gpr[R_EAX] = 0x2008;
    set_x(0, A, B);
    CHECK_EQ(EXEC(0x0f, 0x28, 0x00), EXC_GP, "movaps xmm0, [eax] misaligned: #GP");
    CHECK(x_is(0, A, B), "#GP: destination kept");
    CHECK_EQ(EXEC(0x0f, 0x10, 0x00), -1, "movups misaligned runs");
    CHECK_EQ(EXEC(0xf3, 0x0f, 0x6f, 0x00), -1, "movdqu misaligned runs");
    CHECK_EQ(EXEC(0x66, 0x0f, 0x6f, 0x00), EXC_GP, "movdqa misaligned: #GP");
    CHECK_EQ(EXEC(0x0f, 0x2b, 0x00), EXC_GP, "movntps misaligned: #GP");
    CHECK_EQ(EXEC(0x66, 0x0f, 0xe7, 0x00), EXC_GP, "movntdq misaligned: #GP");
    CHECK_EQ(EXEC(0x0f, 0x2b, 0xc1), EXC_UD, "movntps with a register: #UD");
    CHECK_EQ(EXEC(0x0f, 0xc6, 0x00, 0x1b), EXC_GP, "shufps m128 misaligned: #GP");
    CHECK_EQ(EXEC(0x0f, 0x14, 0x00), EXC_GP, "unpcklps m128 misaligned: #GP");
    cpu->s.gpr[R_EAX] = 0x2010;
    set_x(0, A, B);
    CHECK_EQ(EXEC(0x0f, 0x29, 0x00), -1, "movaps [eax], xmm0 aligned runs");
    CHECK_EQ(physmem_read(&mem, 0x2018, 8), B, "MOVAPS store: 16 bytes");
    /* #UD for SSE rows without the CPUID bit; SSE2 rows need SSE2. */
    cpu->model.feat[CPUID_1_EDX] &= ~CPUID_SSE2;
    CHECK_EQ(EXEC(0x0f, 0x28, 0xc1), -1, "movaps needs only SSE");
    CHECK_EQ(EXEC(0x66, 0x0f, 0x28, 0xc1), EXC_UD, "movapd without SSE2: #UD");
    cpu->s.cr0 |= CR0_TS;
    CHECK_EQ(EXEC(0x0f, 0x28, 0xc1), EXC_NM, "movaps with CR0.TS: #NM");
    cpu->s.cr4 = 0;
    CHECK_EQ(EXEC(0x0f, 0x28, 0xc1), EXC_UD, "movaps with OSFXSR=0: #UD before #NM");
}

static void test_gpr_forms(void)
{
    reset_cpu(false);
    set_x(1, 0x8000000000008080ull, 0x0000800000000000ull);
    cpu->s.gpr[R_EAX] = 0xffffffffu;
    CHECK_EQ(EXEC(0x0f, 0x50, 0xc1), -1, "movmskps eax, xmm1");
    CHECK_EQ(cpu->s.gpr[R_EAX], 0x2, "MOVMSKPS: lane sign bits");
    CHECK_EQ(EXEC(0x66, 0x0f, 0x50, 0xc1), -1, "movmskpd eax, xmm1");
    CHECK_EQ(cpu->s.gpr[R_EAX], 0x1, "MOVMSKPD");
    CHECK_EQ(EXEC(0x66, 0x0f, 0xd7, 0xc1), -1, "pmovmskb eax, xmm1");
    CHECK_EQ(cpu->s.gpr[R_EAX], 0x2083, "PMOVMSKB xmm: 16 byte signs");
    CHECK_EQ(EXEC(0x66, 0x0f, 0xd7, 0x01), EXC_UD, "pmovmskb with memory: #UD");
    CHECK_EQ(EXEC(0x66, 0x0f, 0xc5, 0xc1, 0x06), -1, "pextrw eax, xmm1, 6");
    CHECK_EQ(cpu->s.gpr[R_EAX], 0x8000, "PEXTRW: the word, zero-extended");
    CHECK_EQ(EXEC(0x66, 0x0f, 0xc5, 0x00, 0x06), EXC_UD, "66 0F C5 with memory: #UD");
    cpu->s.gpr[R_EDX] = 0xabcd1234;
    CHECK_EQ(EXEC(0x66, 0x0f, 0xc4, 0xca, 0x0b), -1, "pinsrw xmm1, edx, 11 (imm mod 8 = 3)");
    CHECK_EQ(cpu->s.xmm[1].w[3], 0x1234, "PINSRW: the low word into lane imm & 7");
    CHECK_EQ(EXEC(0x66, 0x0f, 0x6e, 0xc2), -1, "movd xmm0, edx");
    CHECK(x_is(0, 0xabcd1234ull, 0), "MOVD xmm, r32: zero-extended");
    CHECK_EQ(EXEC(0x66, 0x0f, 0x7e, 0xcb), -1, "movd ebx, xmm1");
    CHECK_EQ(cpu->s.gpr[R_EBX], cpu->s.xmm[1].d[0], "MOVD r32, xmm");

    reset_cpu(true);
    cpu->s.gpr[R_EAX] = 0x0123456789abcdefull;
    CHECK_EQ(EXEC(0x66, 0x4c, 0x0f, 0x6e, 0xc0), -1, "movq xmm8, rax (REX.W R)");
    CHECK(x_is(8, 0x0123456789abcdefull, 0), "MOVQ xmm8, r64");
    cpu->s.gpr[R_ECX] = ~0ull;
    CHECK_EQ(EXEC(0x66, 0x44, 0x0f, 0x7e, 0xc1), -1, "movd ecx, xmm8");
    CHECK_EQ(cpu->s.gpr[R_ECX], 0x89abcdefull, "MOVD r32 in 64-bit mode: zero-extends to 64");
    CHECK_EQ(EXEC(0x66, 0x4d, 0x0f, 0x7e, 0xc7), -1, "movq r15, xmm8");
    CHECK_EQ(cpu->s.gpr[15], 0x0123456789abcdefull, "MOVQ r64, xmm");
    cpu->s.gpr[R_EDX] = ~0ull;
    set_x(9, 0, 0x8000000000000000ull);
    CHECK_EQ(EXEC(0x66, 0x49, 0x0f, 0xd7, 0xd1), -1, "pmovmskb rdx, xmm9 (REX.W)");
    CHECK_EQ(cpu->s.gpr[R_EDX], 0x8000, "PMOVMSKB: whole register written");
    cpu->s.gpr[R_EAX] = 0x3000;
    cpu->s.gpr[R_EBX] = 0xfedcba9876543210ull;
    CHECK_EQ(EXEC(0x48, 0x0f, 0xc3, 0x18), -1, "movnti [rax], rbx");
    CHECK_EQ(physmem_read(&mem, 0x3000, 8), 0xfedcba9876543210ull, "MOVNTI m64");
    CHECK_EQ(EXEC(0x66, 0x0f, 0xc3, 0x18), EXC_UD, "66 0F C3: #UD");
}

static void test_masked(void)
{
    reset_cpu(false);
    for (unsigned k = 0; k < 32; k++)
        physmem_write(&mem, 0x4000 + k, 0xee, 1);
    set_x(0, 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull);
    set_x(1, 0x0000000000800080ull, 0x8000000000000000ull);
    cpu->s.seg[SEG_ES].base = 0x1000;
    cpu->s.gpr[R_EDI] = 0x3000;
    CHECK_EQ(EXEC(0x26, 0x66, 0x0f, 0xf7, 0xc1), -1, "maskmovdqu xmm0, xmm1 with ES");
    CHECK_EQ(physmem_read(&mem, 0x4000, 4), 0xee02ee00u, "MASKMOVDQU: bytes 0 and 2 at ES:EDI");
    CHECK_EQ(physmem_read(&mem, 0x400f, 1), 0x0f, "MASKMOVDQU: byte 15");
    CHECK_EQ(physmem_read(&mem, 0x400e, 1), 0xee, "MASKMOVDQU: unselected byte kept");
    cpu->s.gpr[R_EDI] = 0xffff3010;
    physmem_write(&mem, 0x3010, 0xeeeeeeee, 4);
    CHECK_EQ(EXEC(0x67, 0x66, 0x0f, 0xf7, 0xc1), -1, "maskmovdqu with 67: DS:DI");
    CHECK_EQ(physmem_read(&mem, 0x3010, 4), 0xee02ee00u, "MASKMOVDQU 16-bit address: DI only");
    CHECK_EQ(EXEC(0x66, 0x0f, 0xf7, 0x00), EXC_UD, "maskmovdqu with memory: #UD");

    /* MASKMOVQ: an MMX instruction (TOP=0, tags valid). */
    x87_set_top(cpu, 5);
    cpu->s.fpu.tw = 0xffff;
    cpu->s.fpu.st[2].mant = 0x8877665544332211ull;
    cpu->s.fpu.st[3].mant = 0x0000000080000080ull;
    cpu->s.gpr[R_EDI] = 0x3020;
    CHECK_EQ(EXEC(0x0f, 0xf7, 0xd3), -1, "maskmovq mm2, mm3");
    CHECK_EQ(physmem_read(&mem, 0x3020, 1), 0x11, "MASKMOVQ byte 0");
    CHECK_EQ(physmem_read(&mem, 0x3023, 1), 0x44, "MASKMOVQ byte 3");
    CHECK(x87_top(cpu) == 0 && cpu->s.fpu.tw == 0, "MASKMOVQ: TOP=0, all tags valid");
}

static void test_mmx_forms(void)
{
    reset_cpu(false);
    x87_set_top(cpu, 3);
    cpu->s.fpu.tw = 0xffff;
    set_x(1, 0x1122334455667788ull, 0x99aabbccddeeff00ull);
    CHECK_EQ(EXEC(0xf2, 0x0f, 0xd6, 0xe1), -1, "movdq2q mm4, xmm1");
    CHECK_EQ(cpu->s.fpu.st[4].mant, 0x1122334455667788ull, "MOVDQ2Q: low quadword");
    CHECK_EQ(cpu->s.fpu.st[4].se, 0xffff, "MOVDQ2Q: bits 79:64 all ones");
    CHECK(x87_top(cpu) == 0 && cpu->s.fpu.tw == 0, "MOVDQ2Q: TOP=0, tags valid");
    set_x(2, A, B);
    CHECK_EQ(EXEC(0xf3, 0x0f, 0xd6, 0xd4), -1, "movq2dq xmm2, mm4");
    CHECK(x_is(2, 0x1122334455667788ull, 0), "MOVQ2DQ: upper quadword zeroed");
    /* A pending unmasked x87 exception: #MF before the move. */
    cpu->s.fpu.sw |= FSW_ZE | FSW_ES;
    set_x(2, A, B);
    CHECK_EQ(EXEC(0xf3, 0x0f, 0xd6, 0xd4), EXC_MF, "MOVQ2DQ with a pending x87 exception: #MF");
    CHECK(x_is(2, A, B), "#MF: destination kept");
    cpu->s.fpu.sw &= (uint16_t)~(FSW_ZE | FSW_ES);
    cpu->s.cr4 = 0;
    CHECK_EQ(EXEC(0xf3, 0x0f, 0xd6, 0xd4), EXC_UD, "MOVQ2DQ with OSFXSR=0: #UD (an SSE2 form)");
    CHECK_EQ(EXEC(0x0f, 0x70, 0xc4, 0x1b), -1, "pshufw mm0, mm4, 0x1b with OSFXSR=0 (MMX form)");
    CHECK_EQ(cpu->s.fpu.st[0].mant, 0x7788556633441122ull, "PSHUFW: words reversed");
    cpu->s.gpr[R_ECX] = 0x5a5a;
    CHECK_EQ(EXEC(0x0f, 0xc4, 0xc1, 0x02), -1, "pinsrw mm0, ecx, 2");
    CHECK_EQ(cpu->s.fpu.st[0].mant, 0x77885a5a33441122ull, "PINSRW mm");
    CHECK_EQ(EXEC(0x0f, 0xc5, 0xd0, 0x03), -1, "pextrw edx, mm0, 3");
    CHECK_EQ(cpu->s.gpr[R_EDX], 0x7788, "PEXTRW mm");
    CHECK_EQ(EXEC(0x0f, 0xd7, 0xd0), -1, "pmovmskb edx, mm0");
    CHECK_EQ(cpu->s.gpr[R_EDX], 0x40, "PMOVMSKB mm: byte 6 (0x88) has its sign bit");
    cpu->s.gpr[R_EAX] = 0x2003;
    CHECK_EQ(EXEC(0x0f, 0xe7, 0x00), -1, "movntq [eax], mm0 (no alignment rule)");
    CHECK_EQ(physmem_read(&mem, 0x2003, 8), 0x77885a5a33441122ull, "MOVNTQ store");
    cpu->model.feat[CPUID_1_EDX] &= ~CPUID_SSE;
    CHECK_EQ(EXEC(0x0f, 0xe7, 0x00), EXC_UD, "MOVNTQ without CPUID.SSE: #UD");
}

static void test_misc(void)
{
    reset_cpu(false);
    CHECK_EQ(EXEC(0x0f, 0xae, 0xe8), -1, "lfence");
    CHECK_EQ(EXEC(0x0f, 0xae, 0xf3), -1, "mfence (any rm)");
    CHECK_EQ(EXEC(0x0f, 0xae, 0xf8), -1, "sfence");
    CHECK_EQ(EXEC(0x66, 0x0f, 0xae, 0xf8), EXC_UD, "66 0F AE F8: #UD");
    CHECK_EQ(EXEC(0xf3, 0x0f, 0xae, 0xc0), EXC_UD, "F3 0F AE C0 (RDFSBASE, absent): #UD");
    cpu->s.cr0 |= CR0_TS | CR0_EM;
    CHECK_EQ(EXEC(0x0f, 0xae, 0xf8), -1, "sfence ignores CR0.TS/EM");
    cpu->s.gpr[R_EAX] = 0x2000;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x38), -1, "clflush [eax]");
    CHECK_EQ(EXEC(0x0f, 0x18, 0x00), -1, "prefetchnta [eax]");
    CHECK_EQ(EXEC(0x0f, 0x18, 0xc0), -1, "0F 18 with a register: hint NOP");
    cpu->s.seg[SEG_DS].limit = 0xfff;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x38), EXC_GP, "clflush beyond the DS limit: #GP");
    CHECK_EQ(EXEC(0x0f, 0x18, 0x08), -1, "prefetcht0 beyond the limit: no fault");
    cpu->model.feat[CPUID_1_EDX] &= ~CPUID_CLFSH;
    cpu->s.seg[SEG_DS].limit = 0xffffffffu;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x38), EXC_UD, "clflush without CPUID.CLFSH: #UD");
}

int main(void)
{
    if (!fixture_init(1u << 20))
        return 1;
    test_scalar();
    test_halves();
    test_align();
    test_gpr_forms();
    test_masked();
    test_mmx_forms();
    test_misc();
    return fixture_done();
}
