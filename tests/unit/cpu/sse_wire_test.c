/* The SSE handlers' wiring (src/cpu/sse_*.c) in 32-bit flat protected
 * mode, with the model's CPUID bits set directly (the guest tests need
 * every SSE/SSE2 instruction before --cpu max can claim SSE2): the fault
 * order of docs/simd.md (#UD for a missing CPUID bit, CR0.EM or
 * CR4.OSFXSR=0, then #NM for CR0.TS, then #GP(0) for a misaligned m128),
 * the destination left alone on a fault, and the result through the
 * library for register and memory forms. Instructions run as cpu_run()
 * runs them (faults via fault_jmp). */

#include "test.h"
#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/except.h"
#include "cpu/flags.h"
#include "cpu/x87.h"
#include "mem/physmem.h"
#include "exec_fixture.h"

static void reset_cpu(void)
{
    fixture_reset(MODE_PROT32, 0x9b | SEGA_DB | SEGA_G);
    cpu->s.cr0 |= CR0_MP | CR0_NE;
    cpu->s.cr4 = CR4_OSFXSR;
    cpu->model.feat[CPUID_1_EDX] = CPUID_FPU | CPUID_MMX | CPUID_SSE2;
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

/* ---- floating point (src/cpu/sse_fp.c, sse_cvt.c) ---- */

static void set_f32(unsigned r, float a, float b, float c, float d)
{
    cpu->s.xmm[r].f32[0] = a;
    cpu->s.xmm[r].f32[1] = b;
    cpu->s.xmm[r].f32[2] = c;
    cpu->s.xmm[r].f32[3] = d;
}

static void fp_cpu(void)
{
    reset_cpu();
    cpu->model.feat[CPUID_1_EDX] |= CPUID_SSE;
    cpu->s.cr4 |= CR4_OSXMMEXCPT;
    cpu->s.mxcsr = MXCSR_RESET;
}

static void test_fp_arith(void)
{
    fp_cpu();
    set_f32(0, 1.0f, 2.0f, 3.0f, 4.0f);
    set_f32(1, 0.5f, 0.25f, -3.0f, 1e30f);
    CHECK_EQ(EXEC(0x0f, 0x58, 0xc1), -1, "addps xmm0, xmm1 runs");
    CHECK(cpu->s.xmm[0].f32[0] == 1.5f && cpu->s.xmm[0].f32[1] == 2.25f &&
          cpu->s.xmm[0].f32[2] == 0.0f && cpu->s.xmm[0].f32[3] == 1e30f, "addps: four lanes");
    CHECK_EQ(cpu->s.mxcsr, MXCSR_RESET | MXCSR_PE, "addps: 4 + 1e30 is inexact: PE ORed into MXCSR");

    /* Scalar: lane 0 only, m32 anywhere (no alignment rule). */
    fp_cpu();
    set_f32(0, 1.0f, 2.0f, 3.0f, 4.0f);
    const union xmm two = { .f32 = { 2.0f } };
    physmem_write(&mem, 0x2001, two.d[0], 4);
    cpu->s.gpr[R_EAX] = 0x2001;
    CHECK_EQ(EXEC(0xf3, 0x0f, 0x59, 0x00), -1, "mulss xmm0, [eax+1] (misaligned m32) runs");
    CHECK(cpu->s.xmm[0].f32[0] == 2.0f && cpu->s.xmm[0].f32[1] == 2.0f &&
          cpu->s.xmm[0].f32[2] == 3.0f && cpu->s.xmm[0].f32[3] == 4.0f, "mulss: lanes 1-3 kept");
    /* Packed m128 must be aligned; the scalar form of the same opcode need not. */
    cpu->s.gpr[R_EAX] = 0x2008;
    CHECK_EQ(EXEC(0x0f, 0x59, 0x00), EXC_GP, "mulps xmm0, [eax] misaligned: #GP");
    CHECK_EQ(cpu->exc_code, 0, "mulps misaligned: #GP(0)");
    CHECK(cpu->s.xmm[0].f32[0] == 2.0f, "mulps #GP: destination unchanged");
    CHECK_EQ(EXEC(0xf2, 0x0f, 0x59, 0x00), -1, "mulsd xmm0, [eax] (m64 at 8 mod 16) runs");

    /* SQRTSS keeps the upper lanes of the destination, not the source's. */
    fp_cpu();
    set_f32(0, 9.0f, 7.0f, 7.0f, 7.0f);
    set_f32(1, 16.0f, 1.0f, 1.0f, 1.0f);
    CHECK_EQ(EXEC(0xf3, 0x0f, 0x51, 0xc1), -1, "sqrtss xmm0, xmm1 runs");
    CHECK(cpu->s.xmm[0].f32[0] == 4.0f && cpu->s.xmm[0].f32[1] == 7.0f, "sqrtss: lane 0 = sqrt(src), lane 1 kept");

    /* The PS logic ops are SSE (not SSE2); the PD ones SSE2. */
    fp_cpu();
    cpu->model.feat[CPUID_1_EDX] &= ~CPUID_SSE2;
    set_x(0, 0xff00ff00ff00ff00ull, 0x0f0f0f0f0f0f0f0full);
    set_x(1, 0x0ff00ff00ff00ff0ull, 0xffffffff00000000ull);
    CHECK_EQ(EXEC(0x0f, 0x54, 0xc1), -1, "andps needs SSE only");
    CHECK(x_is(0, 0x0f000f000f000f00ull, 0x0f0f0f0f00000000ull), "andps: 128-bit and");
    CHECK_EQ(EXEC(0x66, 0x0f, 0x54, 0xc1), EXC_UD, "andpd without SSE2: #UD");
    CHECK_EQ(EXEC(0x66, 0x0f, 0x58, 0xc1), EXC_UD, "addpd without SSE2: #UD");
    CHECK_EQ(EXEC(0x0f, 0x5a, 0xc1), EXC_UD, "cvtps2pd (NP, but SSE2) without SSE2: #UD");
    cpu->model.feat[CPUID_1_EDX] = CPUID_FPU | CPUID_MMX | CPUID_SSE2;
    CHECK_EQ(EXEC(0x0f, 0x58, 0xc1), EXC_UD, "addps without CPUID SSE: #UD");

    /* Prefixes the host rejects do not fall back to the NP row. */
    fp_cpu();
    CHECK_EQ(EXEC(0xf3, 0x0f, 0x54, 0xc1), EXC_UD, "F3 0F 54: #UD (not andps)");
    CHECK_EQ(EXEC(0x66, 0x0f, 0x52, 0xc1), EXC_UD, "66 0F 52: #UD (not rsqrtps)");
    CHECK_EQ(EXEC(0xf2, 0x0f, 0x5b, 0xc1), EXC_UD, "F2 0F 5B: #UD");
    CHECK_EQ(EXEC(0x0f, 0xe6, 0xc1), EXC_UD, "NP 0F E6: #UD");
    CHECK_EQ(EXEC(0xf3, 0x0f, 0x2f, 0xc1), EXC_UD, "F3 0F 2F: #UD (not comiss)");

    /* CR4.OSFXSR=0 or CR0.EM=1: #UD, also for the MMX-operand conversions
     * (SSE instructions, unlike the MMX ones). */
    fp_cpu();
    cpu->s.cr4 &= ~CR4_OSFXSR;
    CHECK_EQ(EXEC(0x0f, 0x58, 0xc1), EXC_UD, "addps with CR4.OSFXSR=0: #UD");
    CHECK_EQ(EXEC(0x0f, 0x2a, 0xc1), EXC_UD, "cvtpi2ps xmm0, mm1 with CR4.OSFXSR=0: #UD");
    fp_cpu();
    cpu->s.cr0 |= CR0_EM;
    CHECK_EQ(EXEC(0x0f, 0x2d, 0xc1), EXC_UD, "cvtps2pi mm0, xmm1 with CR0.EM: #UD");

    /* CR0.TS: #NM before the operand is fetched (an absent page would #PF). */
    fp_cpu();
    cpu->s.cr0 |= CR0_TS;
    cpu->s.gpr[R_EAX] = 0x7ffffff0;
    CHECK_EQ(EXEC(0x0f, 0x58, 0x00), EXC_NM, "addps with CR0.TS: #NM first");
}

static void test_fp_unmasked(void)
{
    /* DIVSS by zero with ZM clear: #XM with OSXMMEXCPT, else #UD; ZE is
     * set in MXCSR either way and the destination keeps its value. */
    for (int osx = 1; osx >= 0; osx--) {
        fp_cpu();
        if (!osx)
            cpu->s.cr4 &= ~CR4_OSXMMEXCPT;
        cpu->s.mxcsr = MXCSR_RESET & ~(MXCSR_ZE << MXCSR_MASK_SHIFT);
        set_f32(0, 1.0f, 5.0f, 6.0f, 7.0f);
        set_f32(1, 0.0f, 1.0f, 1.0f, 1.0f);
        CHECK_EQ(EXEC(0xf3, 0x0f, 0x5e, 0xc1), osx ? EXC_XM : EXC_UD,
                 "divss by 0, ZE unmasked, OSXMMEXCPT=%d: %s", osx, osx ? "#XM" : "#UD");
        CHECK_EQ(cpu->s.mxcsr & MXCSR_FLAGS, MXCSR_ZE, "unmasked ZE (OSXMMEXCPT=%d): flag set", osx);
        CHECK(cpu->s.xmm[0].f32[0] == 1.0f && cpu->s.xmm[0].f32[1] == 5.0f,
              "unmasked ZE (OSXMMEXCPT=%d): destination untouched", osx);
    }
    /* Masked: infinity, ZE. */
    fp_cpu();
    set_f32(0, 1.0f, 5.0f, 6.0f, 7.0f);
    set_f32(1, 0.0f, 1.0f, 1.0f, 1.0f);
    CHECK_EQ(EXEC(0xf3, 0x0f, 0x5e, 0xc1), -1, "divss by 0 masked runs");
    CHECK_EQ(cpu->s.xmm[0].d[0], 0x7f800000u, "masked ZE: +infinity");
    CHECK_EQ(cpu->s.mxcsr, MXCSR_RESET | MXCSR_ZE, "masked ZE: flag");

    /* CVTTSS2SI of a NaN with IM clear: #XM, the GPR is not written. */
    fp_cpu();
    cpu->s.mxcsr = MXCSR_RESET & ~(MXCSR_IE << MXCSR_MASK_SHIFT);
    cpu->s.xmm[1].d[0] = 0x7fc00000u;
    cpu->s.gpr[R_EDX] = 0x1234;
    CHECK_EQ(EXEC(0xf3, 0x0f, 0x2c, 0xd1), EXC_XM, "cvttss2si edx, NaN, IM clear: #XM");
    CHECK_EQ(cpu->s.gpr[R_EDX], 0x1234u, "cvttss2si #XM: EDX unchanged");
    cpu->s.mxcsr = MXCSR_RESET;
    CHECK_EQ(EXEC(0xf3, 0x0f, 0x2c, 0xd1), -1, "cvttss2si edx, NaN masked runs");
    CHECK_EQ(cpu->s.gpr[R_EDX], 0x80000000u, "cvttss2si NaN: integer indefinite");
    CHECK_EQ(cpu->s.mxcsr, MXCSR_RESET | MXCSR_IE, "cvttss2si NaN: IE");

    /* CMPPS: imm8 bits 7:3 ignored (0x0c is predicate 4, NEQ). */
    fp_cpu();
    set_f32(0, 1.0f, 2.0f, 3.0f, 4.0f);
    set_f32(1, 1.0f, 0.0f, 3.0f, 0.0f);
    CHECK_EQ(EXEC(0x0f, 0xc2, 0xc1, 0x0c), -1, "cmpps xmm0, xmm1, 0x0c runs");
    CHECK(x_is(0, 0xffffffff00000000ull, 0xffffffff00000000ull), "cmpps imm 0x0c = NEQ");
}

static void test_comis(void)
{
    fp_cpu();
    set_f32(0, 1.0f, 0, 0, 0);
    set_f32(1, 2.0f, 0, 0, 0);
    /* Lazy flags pending from a SUB with every flag set: the result must
     * replace them (OF SF AF cleared). */
    flags_lazy(cpu, LF_SUB, 4, 0x80000000u, 1, 0x7fffffffu);
    flags_set_bits(cpu, FL_SF | FL_AF, true);
    CHECK_EQ(EXEC(0x0f, 0x2f, 0xc1), -1, "comiss xmm0, xmm1 runs");
    CHECK_EQ(flags_get(cpu) & FL_ARITH, FL_CF, "comiss 1 < 2: CF only (OF SF AF cleared)");
    set_f32(1, 1.0f, 0, 0, 0);
    CHECK_EQ(EXEC(0x0f, 0x2e, 0xc1), -1, "ucomiss equal runs");
    CHECK_EQ(flags_get(cpu) & FL_ARITH, FL_ZF, "ucomiss equal: ZF only");
    set_f32(1, 0.5f, 0, 0, 0);
    CHECK_EQ(EXEC(0x0f, 0x2e, 0xc1), -1, "ucomiss greater runs");
    CHECK_EQ(flags_get(cpu) & FL_ARITH, 0u, "ucomiss 1 > 0.5: no flag");
    cpu->s.xmm[1].d[0] = 0x7fc00000u;
    CHECK_EQ(EXEC(0x0f, 0x2e, 0xc1), -1, "ucomiss QNaN runs");
    CHECK_EQ(flags_get(cpu) & FL_ARITH, FL_ZF | FL_PF | FL_CF, "ucomiss unordered: ZF PF CF");
    CHECK_EQ(cpu->s.mxcsr, MXCSR_RESET, "ucomiss QNaN: no IE");
    CHECK_EQ(EXEC(0x0f, 0x2f, 0xc1), -1, "comiss QNaN runs");
    CHECK_EQ(cpu->s.mxcsr, MXCSR_RESET | MXCSR_IE, "comiss QNaN: IE");
    /* Unmasked IE: #XM, EFLAGS as before. */
    flags_set(cpu, 0x2 | FL_SF);
    cpu->s.mxcsr = MXCSR_RESET & ~(MXCSR_IE << MXCSR_MASK_SHIFT);
    CHECK_EQ(EXEC(0x0f, 0x2f, 0xc1), EXC_XM, "comiss QNaN, IM clear: #XM");
    CHECK_EQ(flags_get(cpu) & FL_ARITH, FL_SF, "comiss #XM: EFLAGS unchanged");
    /* COMISD reads m64 anywhere. */
    fp_cpu();
    cpu->s.xmm[0].f64[0] = -1.0;
    const union xmm m = { .f64 = { -1.0 } };
    physmem_write(&mem, 0x2004, m.d[0], 4);
    physmem_write(&mem, 0x2008, m.d[1], 4);
    cpu->s.gpr[R_EBX] = 0x2004;
    CHECK_EQ(EXEC(0x66, 0x0f, 0x2f, 0x03), -1, "comisd xmm0, [ebx+4] runs");
    CHECK_EQ(flags_get(cpu) & FL_ARITH, FL_ZF, "comisd m64 equal: ZF");
}

static void test_cvt_mmx(void)
{
    /* CVTPI2PS from memory: no x87 change, no #MF for a pending x87
     * exception (host behaviour); from mm1: TOP=0, tags valid. */
    fp_cpu();
    cpu->s.fpu.cw = 0x037b;                 /* ZM clear */
    cpu->s.fpu.sw = 0x3000 | FSW_ZE | FSW_ES; /* TOP=6, ZE pending */
    cpu->s.fpu.tw = 0x0fff;
    set_f32(0, 9.0f, 9.0f, 9.0f, 9.0f);
    physmem_write(&mem, 0x2000, 3, 4);
    physmem_write(&mem, 0x2004, (uint32_t)-5, 4);
    cpu->s.gpr[R_EAX] = 0x2000;
    CHECK_EQ(EXEC(0x0f, 0x2a, 0x00), -1, "cvtpi2ps xmm0, [eax] with an x87 exception pending runs");
    CHECK(cpu->s.xmm[0].f32[0] == 3.0f && cpu->s.xmm[0].f32[1] == -5.0f &&
          cpu->s.xmm[0].f32[2] == 9.0f, "cvtpi2ps m64: two lanes, upper half kept");
    CHECK(cpu->s.fpu.sw == (0x3000 | FSW_ZE | FSW_ES) && cpu->s.fpu.tw == 0x0fff,
          "cvtpi2ps m64: x87 state untouched");
    CHECK_EQ(EXEC(0x0f, 0x2a, 0xc1), EXC_MF, "cvtpi2ps xmm0, mm1 with an exception pending: #MF");
    CHECK_EQ(EXEC(0x0f, 0x2d, 0x00), EXC_MF, "cvtps2pi mm0, [eax] (writes mm0): #MF");
    cpu->s.fpu.sw = 0x3000;
    cpu->s.fpu.st[1].mant = 0x0000000700000002ull;
    CHECK_EQ(EXEC(0x0f, 0x2a, 0xc1), -1, "cvtpi2ps xmm0, mm1 runs");
    CHECK(cpu->s.xmm[0].f32[0] == 2.0f && cpu->s.xmm[0].f32[1] == 7.0f, "cvtpi2ps mm1: converted");
    CHECK(cpu->s.fpu.sw == 0 && cpu->s.fpu.tw == 0, "cvtpi2ps mm: TOP=0, all tags valid");

    /* CVTPS2PI with an unmasked IE: #XM, x87 already in MMX state, mm0 not written. */
    fp_cpu();
    cpu->s.fpu.sw = 0x3000;
    cpu->s.fpu.tw = 0x0fff;
    cpu->s.fpu.st[0].mant = 0x1111;
    cpu->s.fpu.st[0].se = 0x3fff;
    cpu->s.xmm[1].d[0] = 0x7fc00000u;
    cpu->s.mxcsr = MXCSR_RESET & ~(MXCSR_IE << MXCSR_MASK_SHIFT);
    CHECK_EQ(EXEC(0x0f, 0x2d, 0xc1), EXC_XM, "cvtps2pi mm0, NaN, IM clear: #XM");
    CHECK(cpu->s.fpu.sw == 0 && cpu->s.fpu.tw == 0, "cvtps2pi #XM: TOP=0, tags valid (as the host)");
    CHECK(cpu->s.fpu.st[0].mant == 0x1111 && cpu->s.fpu.st[0].se == 0x3fff, "cvtps2pi #XM: mm0 untouched");
    cpu->s.mxcsr = MXCSR_RESET;
    set_f32(1, 1.5f, -2.5f, 0, 0);
    CHECK_EQ(EXEC(0x0f, 0x2c, 0xc1), -1, "cvttps2pi mm0, xmm1 runs");
    CHECK(cpu->s.fpu.st[0].mant == 0xfffffffe00000001ull && cpu->s.fpu.st[0].se == 0xffff,
          "cvttps2pi: truncated pair, bits 79:64 all ones");
    /* CVTPD2PI reads an aligned m128. */
    cpu->s.gpr[R_EAX] = 0x2008;
    CHECK_EQ(EXEC(0x66, 0x0f, 0x2d, 0x00), EXC_GP, "cvtpd2pi mm0, [eax] misaligned: #GP");

    /* CVTSI2SS/CVTSS2SI with a GPR. */
    fp_cpu();
    set_f32(2, 0, 8.0f, 8.0f, 8.0f);
    cpu->s.gpr[R_ECX] = (uint32_t)-7;
    CHECK_EQ(EXEC(0xf3, 0x0f, 0x2a, 0xd1), -1, "cvtsi2ss xmm2, ecx runs");
    CHECK(cpu->s.xmm[2].f32[0] == -7.0f && cpu->s.xmm[2].f32[1] == 8.0f, "cvtsi2ss: lane 0 only");
    cpu->s.xmm[2].f32[0] = 2.5f;
    CHECK_EQ(EXEC(0xf3, 0x0f, 0x2d, 0xca), -1, "cvtss2si ecx, xmm2 runs");
    CHECK_EQ(cpu->s.gpr[R_ECX], 2u, "cvtss2si 2.5: nearest even");
    CHECK_EQ(cpu->s.mxcsr, MXCSR_RESET | MXCSR_PE, "cvtss2si 2.5: PE");
}

/* 64-bit mode: XMM8-15 through REX.R/REX.B, REX.W integer widths. */
static void test_fp64(void)
{
    fp_cpu();
    cpu->s.mode = MODE_LONG64;
    cpu->s.code_size = 8;
    cpu->s.xmm[9].f64[0] = -3.0e10;
    cpu->s.gpr[R_EAX] = 0xdeadbeefdeadbeefull;
    CHECK_EQ(EXEC(0xf2, 0x49, 0x0f, 0x2d, 0xc1), -1, "cvtsd2si rax, xmm9 runs");
    CHECK_EQ(cpu->s.gpr[R_EAX], (uint64_t)-30000000000ll, "cvtsd2si r64: 64-bit result");
    CHECK_EQ(EXEC(0xf2, 0x41, 0x0f, 0x2d, 0xc1), -1, "cvtsd2si eax, xmm9 runs");
    CHECK_EQ(cpu->s.gpr[R_EAX], 0x80000000ull, "cvtsd2si r32: indefinite, zero-extended");
    cpu->s.gpr[11] = 1ull << 62;
    set_x(10, 0, 0x5555);
    CHECK_EQ(EXEC(0xf2, 0x4d, 0x0f, 0x2a, 0xd3), -1, "cvtsi2sd xmm10, r11 runs");
    CHECK(cpu->s.xmm[10].f64[0] == 4611686018427387904.0 && cpu->s.xmm[10].q[1] == 0x5555,
          "cvtsi2sd r64: 2^62, upper lane kept");
    set_f32(12, 1.0f, 2.0f, 3.0f, 4.0f);
    set_f32(3, 1.0f, 1.0f, 1.0f, 1.0f);
    CHECK_EQ(EXEC(0x44, 0x0f, 0x5c, 0xe3), -1, "subps xmm12, xmm3 runs");
    CHECK(cpu->s.xmm[12].f32[0] == 0.0f && cpu->s.xmm[12].f32[3] == 3.0f, "subps xmm12: REX.R");
}

int main(void)
{
    if (!fixture_init(1u << 20))
        return 1;
    test_paddb();
    test_m128();
    test_shifts_and_features();
    test_fp_arith();
    test_fp_unmasked();
    test_comis();
    test_cvt_mmx();
    test_fp64();
    return fixture_done();
}
