/* The wiring of SSE3, SSSE3, SSE4.1, SSE4.2 and POPCNT (src/cpu/sse_ext.c,
 * sse_str.c, the SSSE3 mm forms in sse_mmx.c, FISTTP in x87.c) in 32-bit
 * flat protected mode, for what the differential test (diff_test, XMM
 * forms against the host) does not reach: the CPUID bit each form checks,
 * the fault order (sse_check.h), the mm forms and their x87 state effects,
 * 16-bit POPCNT, CRC32 needing no CR0/CR4 set-up, the memory forms' operand
 * sizes and alignment rules, and FISTTP against the host's FISTTP under
 * every rounding control. Instructions run as cpu_run() runs them (faults
 * via fault_jmp). */
#include <cpuid.h>
#include <math.h>

#include "test.h"
#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/except.h"
#include "cpu/flags.h"
#include "cpu/x87.h"
#include "mem/physmem.h"
#include "exec_fixture.h"

#define ALL_ECX (CPUID_C_SSE3 | CPUID_C_SSSE3 | CPUID_C_SSE41 | CPUID_C_SSE42 | CPUID_C_POPCNT)

static void reset_cpu(void)
{
    fixture_reset(MODE_PROT32, 0x9b | SEGA_DB | SEGA_G);
    cpu->s.cr0 |= CR0_MP | CR0_NE;
    cpu->s.cr4 = CR4_OSFXSR | CR4_OSXMMEXCPT;
    cpu->s.mxcsr = MXCSR_RESET;
    x87_init_state(cpu);
    cpu->model.feat[CPUID_1_EDX] = CPUID_FPU | CPUID_MMX | CPUID_SSE | CPUID_SSE2;
    cpu->model.feat[CPUID_1_ECX] = ALL_ECX;
}

/* Each extension's CPUID bit, and the fault order: #UD (CPUID, CR0.EM,
 * CR4.OSFXSR) before #NM (CR0.TS). */
static void test_cpuid_and_faults(void)
{
    static const struct {
        uint32_t bit;
        uint8_t b[8];
        unsigned n;
        const char *what;
    } forms[] = {
        { CPUID_C_SSE3, { 0xf2, 0x0f, 0x7c, 0xc1 }, 4, "haddps (SSE3)" },
        { CPUID_C_SSE3, { 0xf3, 0x0f, 0x12, 0xc1 }, 4, "movsldup (SSE3)" },
        { CPUID_C_SSSE3, { 0x66, 0x0f, 0x38, 0x00, 0xc1 }, 5, "pshufb xmm (SSSE3)" },
        { CPUID_C_SSSE3, { 0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x03 }, 6, "palignr xmm (SSSE3)" },
        { CPUID_C_SSE41, { 0x66, 0x0f, 0x38, 0x17, 0xc1 }, 5, "ptest (SSE4.1)" },
        { CPUID_C_SSE41, { 0x66, 0x0f, 0x3a, 0x14, 0xc8, 0x01 }, 6, "pextrb (SSE4.1)" },
        { CPUID_C_SSE42, { 0x66, 0x0f, 0x38, 0x37, 0xc1 }, 5, "pcmpgtq (SSE4.2)" },
        { CPUID_C_SSE42, { 0x66, 0x0f, 0x3a, 0x63, 0xc1, 0x00 }, 6, "pcmpistri (SSE4.2)" },
    };
    for (unsigned k = 0; k < sizeof forms / sizeof forms[0]; k++) {
        reset_cpu();
        CHECK_EQ(exec_bytes(forms[k].b, forms[k].n), -1, "%s runs", forms[k].what);
        reset_cpu();
        cpu->model.feat[CPUID_1_ECX] = ALL_ECX & ~forms[k].bit;
        CHECK_EQ(exec_bytes(forms[k].b, forms[k].n), EXC_UD, "%s without its CPUID bit: #UD", forms[k].what);
        reset_cpu();
        cpu->s.cr0 |= CR0_EM | CR0_TS;
        CHECK_EQ(exec_bytes(forms[k].b, forms[k].n), EXC_UD, "%s with CR0.EM: #UD before #NM", forms[k].what);
        reset_cpu();
        cpu->s.cr4 = 0;
        cpu->s.cr0 |= CR0_TS;
        CHECK_EQ(exec_bytes(forms[k].b, forms[k].n), EXC_UD, "%s with CR4.OSFXSR=0: #UD", forms[k].what);
        reset_cpu();
        cpu->s.cr0 |= CR0_TS;
        set_x(1, 7, 7);
        CHECK_EQ(exec_bytes(forms[k].b, forms[k].n), EXC_NM, "%s with CR0.TS: #NM", forms[k].what);
        CHECK(x_is(1, 7, 7), "%s: #NM leaves the destination", forms[k].what);
    }
    /* An opcode with no row for its prefix is #UD: 0F 38 17 without 66,
     * 0F B8 without F3 (JMPE), 0F 38 F0 without F2 (MOVBE: not claimed). */
    reset_cpu();
    CHECK_EQ(EXEC(0x0f, 0x38, 0x17, 0xc1), EXC_UD, "0F 38 17 without 66: #UD");
    CHECK_EQ(EXEC(0x0f, 0xb8, 0xc1), EXC_UD, "0F B8 without F3 (JMPE): #UD");
    CHECK_EQ(EXEC(0x0f, 0x38, 0xf0, 0x01), EXC_UD, "0F 38 F0 without F2 (MOVBE): #UD");
    CHECK_EQ(EXEC(0x0f, 0x01, 0xc8), EXC_UD, "MONITOR is not claimed: #UD");
    /* F2/F3 on a 0F 38/0F 3A form without a row for them: #UD (a host CPU
     * agrees), not the NP (mm) form. */
    CHECK_EQ(EXEC(0xf3, 0x0f, 0x38, 0x00, 0xc1), EXC_UD, "F3 0F 38 00 (no F3 form of PSHUFB): #UD");
    CHECK_EQ(EXEC(0xf2, 0x0f, 0x3a, 0x0f, 0xc1, 0x01), EXC_UD, "F2 0F 3A 0F (no F2 form of PALIGNR): #UD");
    CHECK_EQ(EXEC(0xf3, 0x66, 0x0f, 0x38, 0x17, 0xc1), EXC_UD, "F3 66 0F 38 17: F3 wins over 66, no row: #UD");
    CHECK_EQ(EXEC(0xf3, 0xf2, 0x0f, 0x38, 0xf0, 0xc1), -1, "F3 F2 0F 38 F0: the last of F2/F3 (F2) picks CRC32");
    CHECK_EQ(EXEC(0xf2, 0xf3, 0x0f, 0x38, 0xf0, 0xc1), EXC_UD, "F2 F3 0F 38 F0: F3 last, no row: #UD");
    CHECK_EQ(EXEC(0xf2, 0xf3, 0x0f, 0xb8, 0xc1), -1, "F2 F3 0F B8: F3 last, POPCNT");
}

/* The SSSE3 mm forms: MMX rules (no OSFXSR check, a 66 elsewhere is the
 * XMM form), the x87 state of an MMX instruction, CPUID SSSE3. */
static void test_mmx_forms(void)
{
    reset_cpu();
    cpu->s.cr4 = 0;
    cpu->s.fpu.st[1].mant = 0x8081828384858687ull;
    cpu->s.fpu.st[2].mant = 0x0001020304050607ull;
    cpu->s.fpu.sw = 0x3800;     /* TOP = 7 */
    CHECK_EQ(EXEC(0x0f, 0x38, 0x1c, 0xca), -1, "pabsb mm1, mm2 runs with CR4.OSFXSR=0");
    CHECK_EQ(cpu->s.fpu.st[1].mant, 0x0001020304050607ull, "pabsb mm: |x| per byte");
    CHECK_EQ(cpu->s.fpu.st[1].se, 0xffff, "pabsb mm: bits 79:64 of the register all ones");
    CHECK_EQ(cpu->s.fpu.sw & 0x3800, 0, "pabsb mm: TOP = 0");
    CHECK_EQ(cpu->s.fpu.tw, 0, "pabsb mm: every tag valid");
    CHECK(cpu->s.fpu.st[2].se == 0 && cpu->s.fpu.st[2].mant == 0x0001020304050607ull,
          "pabsb mm: the source register unchanged");

    reset_cpu();
    cpu->s.fpu.st[0].mant = 0x1122334455667788ull;
    cpu->s.fpu.st[3].mant = 0x99aabbccddeeff00ull;
    CHECK_EQ(EXEC(0x0f, 0x3a, 0x0f, 0xc3, 0x03), -1, "palignr mm0, mm3, 3 runs");
    CHECK_EQ(cpu->s.fpu.st[0].mant, 0x66778899aabbccddull, "palignr mm: (mm0:mm3) >> 24");
    cpu->s.gpr[R_EAX] = 0x2001;
    poke(0x2001, 0x0706050403020100ull, 8);
    cpu->s.fpu.st[0].mant = 0x0f0e0d0c0b0a0908ull;
    CHECK_EQ(EXEC(0x0f, 0x3a, 0x0f, 0x00, 0x08), -1, "palignr mm0, [eax], 8: m64, no alignment");
    CHECK_EQ(cpu->s.fpu.st[0].mant, 0x0f0e0d0c0b0a0908ull, "palignr by 8: the destination");

    reset_cpu();
    cpu->s.fpu.st[4].mant = 0x0000000000000000ull;
    cpu->s.fpu.st[5].mant = 0x8000000100020003ull;
    CHECK_EQ(EXEC(0x0f, 0x38, 0x00, 0xe5), -1, "pshufb mm4, mm5 runs");
    set_x(4, 1, 1);
    cpu->model.feat[CPUID_1_ECX] = ALL_ECX & ~CPUID_C_SSSE3;
    CHECK_EQ(EXEC(0x0f, 0x38, 0x00, 0xe5), EXC_UD, "pshufb mm without CPUID SSSE3: #UD");
    reset_cpu();
    cpu->s.cr0 |= CR0_TS;
    CHECK_EQ(EXEC(0x0f, 0x38, 0x04, 0xe5), EXC_NM, "pmaddubsw mm with CR0.TS: #NM");
    /* A pending unmasked x87 exception is reported before the MMX form. */
    reset_cpu();
    cpu->s.fpu.cw = 0x037e;     /* IM clear */
    cpu->s.fpu.sw = FSW_IE | FSW_ES | FSW_B;
    CHECK_EQ(EXEC(0x0f, 0x38, 0x08, 0xe5), EXC_MF, "psignb mm with a pending #I: #MF");
}

/* The memory forms: operand size read, alignment rule. */
static void test_memory_forms(void)
{
    reset_cpu();
    for (unsigned k = 0; k < 32; k++)
        poke(0x3000 + k, 0xf0 + k, 1);
    /* PMOVSXBQ reads m16: a word at the last two bytes before an unmapped
     * page would still be fine; here the value shows 2 bytes were used. */
    cpu->s.gpr[R_EAX] = 0x3003;
    set_x(2, ~0ull, ~0ull);
    CHECK_EQ(EXEC(0x66, 0x0f, 0x38, 0x22, 0x10), -1, "pmovsxbq xmm2, [eax] (m16, unaligned) runs");
    CHECK(x_is(2, 0xfffffffffffffff3ull, 0xfffffffffffffff4ull), "pmovsxbq: two bytes sign-extended");
    CHECK_EQ(EXEC(0x66, 0x0f, 0x38, 0x35, 0x10), -1, "pmovzxdq xmm2, [eax] (m64) runs");
    CHECK(x_is(2, 0xf6f5f4f3ull, 0xfaf9f8f7ull), "pmovzxdq: two dwords zero-extended");
    CHECK_EQ(EXEC(0xf2, 0x0f, 0x12, 0x10), -1, "movddup xmm2, [eax] (m64, unaligned) runs");
    CHECK(x_is(2, 0xfaf9f8f7f6f5f4f3ull, 0xfaf9f8f7f6f5f4f3ull), "movddup m64: both halves");
    CHECK_EQ(EXEC(0xf2, 0x0f, 0xf0, 0x10), -1, "lddqu xmm2, [eax+3]: any alignment");
    CHECK(x_is(2, 0xfaf9f8f7f6f5f4f3ull, 0x020100fffefdfcfbull), "lddqu: 16 bytes");
    CHECK_EQ(EXEC(0xf2, 0x0f, 0xf0, 0xc1), EXC_UD, "lddqu with a register operand: #UD");
    set_x(2, 5, 5);
    CHECK_EQ(EXEC(0x66, 0x0f, 0x38, 0x2a, 0x10), EXC_GP, "movntdqa xmm2, [eax+3]: misaligned m128 #GP");
    CHECK(x_is(2, 5, 5), "movntdqa #GP: destination unchanged");
    CHECK_EQ(EXEC(0xf3, 0x0f, 0x16, 0x10), EXC_GP, "movshdup xmm2, m128 misaligned: #GP");
    CHECK_EQ(EXEC(0x66, 0x0f, 0x7c, 0x10), EXC_GP, "haddpd xmm2, m128 misaligned: #GP");
    CHECK_EQ(EXEC(0x66, 0x0f, 0x3a, 0x63, 0x10, 0x00), -1, "pcmpistri xmm2, m128 misaligned: allowed");
    cpu->s.gpr[R_EAX] = 0x3010;
    CHECK_EQ(EXEC(0x66, 0x0f, 0x38, 0x2a, 0x10), -1, "movntdqa xmm2, [eax] aligned runs");
    CHECK(x_is(2, 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull), "movntdqa: the 16 bytes");
    /* INSERTPS with m32: the dword itself, imm[7:6] ignored. */
    set_x(3, 0x1111111122222222ull, 0x3333333344444444ull);
    cpu->s.gpr[R_EAX] = 0x3001;
    CHECK_EQ(EXEC(0x66, 0x0f, 0x3a, 0x21, 0x18, 0xe1), -1, "insertps xmm3, [eax], 0xe1 runs");
    CHECK(x_is(3, 0x1111111100000000ull, 0x33333333f4f3f2f1ull), "insertps m32 into lane 2, lane 0 zeroed");
    /* Extracts to memory store the element's size only. */
    poke(0x3100, 0xaaaaaaaaaaaaaaaaull, 8);
    cpu->s.gpr[R_EAX] = 0x3100;
    set_x(4, 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull);
    CHECK_EQ(EXEC(0x66, 0x0f, 0x3a, 0x14, 0x20, 0x09), -1, "pextrb [eax], xmm4, 9 runs");
    CHECK_EQ(peek(0x3100, 8), 0xaaaaaaaaaaaaaa09ull, "pextrb m8: one byte stored");
    CHECK_EQ(EXEC(0x66, 0x0f, 0x3a, 0x15, 0x20, 0x05), -1, "pextrw [eax], xmm4, 5 (66 0F 3A 15) runs");
    CHECK_EQ(peek(0x3100, 8), 0xaaaaaaaaaaaa0b0aull, "pextrw m16: two bytes stored");
    CHECK_EQ(EXEC(0x66, 0x0f, 0x3a, 0x17, 0x20, 0x03), -1, "extractps [eax], xmm4, 3 runs");
    CHECK_EQ(peek(0x3100, 8), 0xaaaaaaaa0f0e0d0cull, "extractps m32: four bytes stored");
    cpu->s.gpr[R_EDX] = 0xdeadbeef;
    CHECK_EQ(EXEC(0x66, 0x0f, 0x3a, 0x14, 0xe2, 0x0e), -1, "pextrb edx, xmm4, 14 runs");
    CHECK_EQ(cpu->s.gpr[R_EDX], 0x0e, "pextrb r32: zero-extended");
    CHECK_EQ(EXEC(0x66, 0x0f, 0x3a, 0x20, 0x20, 0x0f), -1, "pinsrb xmm4, [eax], 15 runs");
    CHECK_EQ(cpu->s.xmm[4].b[15], 0x0c, "pinsrb m8 into byte 15");
    cpu->s.gpr[R_ESP] = 0x1234;
    CHECK_EQ(EXEC(0x66, 0x0f, 0x3a, 0x20, 0xe4, 0x00), -1, "pinsrb xmm4, esp, 0 runs");
    CHECK_EQ(cpu->s.xmm[4].b[0], 0x34, "pinsrb r32: the low byte of the register");
}

/* XMM0 as the blend mask and PCMPxSTRM's output; PTEST's flags. */
static void test_implicit(void)
{
    reset_cpu();
    set_x(0, 0x8000000000000000ull, 0x0000000080000000ull);
    set_x(1, 0x1111111111111111ull, 0x2222222222222222ull);
    CHECK_EQ(EXEC(0x66, 0x0f, 0x38, 0x14, 0xc1), -1, "blendvps xmm0, xmm1 runs");
    CHECK(x_is(0, 0x1111111100000000ull, 0x0000000022222222ull),
          "blendvps xmm0, xmm1: XMM0's own sign bits chose the lanes");
    set_x(0, 0x0000000000000080ull, 0);
    set_x(2, 0, 0);
    CHECK_EQ(EXEC(0x66, 0x0f, 0x38, 0x10, 0xd1), -1, "pblendvb xmm2, xmm1 runs");
    CHECK(x_is(2, 0x11, 0), "pblendvb: byte 0 from the source");

    reset_cpu();
    flags_set(cpu, FL_OF | FL_SF | FL_AF | FL_PF | 2);
    set_x(1, 0xf0, 0);
    set_x(2, 0x0f, 0);
    CHECK_EQ(EXEC(0x66, 0x0f, 0x38, 0x17, 0xca), -1, "ptest xmm1, xmm2 runs");
    CHECK_EQ(flags_get(cpu) & FL_ARITH, FL_ZF, "ptest disjoint, not a subset: ZF=1 CF=0, the rest cleared");
    set_x(2, 0x30, 0);
    CHECK_EQ(EXEC(0x66, 0x0f, 0x38, 0x17, 0xca), -1, "ptest xmm1, xmm2 runs");
    CHECK_EQ(flags_get(cpu) & FL_ARITH, FL_CF, "ptest subset: ZF=0 CF=1");

    reset_cpu();
    set_x(1, 0x0000000000006261ull, 0);          /* "ab" */
    set_x(2, 0x0000616263616261ull, 0);          /* "abacba" */
    set_x(0, ~0ull, ~0ull);
    CHECK_EQ(EXEC(0x66, 0x0f, 0x3a, 0x62, 0xca, 0x00), -1, "pcmpistrm xmm1, xmm2, 0 (equal any) runs");
    CHECK(x_is(0, 0x37, 0), "pcmpistrm: the bit mask in XMM0, zero-extended");
    flags_set(cpu, FL_AF | FL_PF | 2);
    CHECK_EQ(EXEC(0x66, 0x0f, 0x3a, 0x63, 0xca, 0x40), -1, "pcmpistri xmm1, xmm2, 0x40 runs");
    CHECK_EQ(cpu->s.gpr[R_ECX], 5, "pcmpistri: the most significant match's index in ECX");
    CHECK_EQ(flags_get(cpu) & FL_ARITH, FL_CF | FL_ZF | FL_SF | FL_OF,
             "pcmpistri: CF (a match) ZF SF (both strings end) OF (bit 0), AF PF clear");
    cpu->s.gpr[R_EAX] = 0xffffffffu;             /* -1: length 1 */
    cpu->s.gpr[R_EDX] = 3;
    CHECK_EQ(EXEC(0x66, 0x0f, 0x3a, 0x61, 0xca, 0x00), -1, "pcmpestri xmm1, xmm2, 0 runs");
    CHECK_EQ(cpu->s.gpr[R_ECX], 0, "pcmpestri: EAX = -1 is a length of 1 ('a' at 0)");
}

/* 64-bit mode: PCMPESTRI's lengths come from RAX/RDX with REX.W (the
 * differential test generates REX.W only on general-register forms), ECX
 * is zero-extended into RCX, XMM8-15 through REX.R/REX.B. */
static void test_long64(void)
{
    reset_cpu();
    cpu->s.mode = MODE_LONG64;
    cpu->s.seg[SEG_CS].attr = 0x9b | SEGA_L | SEGA_G;
    cpu->s.code_size = 8;
    cpu->s.stack_size = 8;
    set_x(9, 0x6261, 0);                        /* "ab", then zero bytes */
    set_x(10, 0x620078, 0);                     /* "x", 0, "b" */
    cpu->s.gpr[R_EAX] = 0xffffffff00000002ull;  /* EAX 2; RAX -4294967294: |.| saturates to 16 */
    cpu->s.gpr[R_EDX] = 3;
    cpu->s.gpr[R_ECX] = ~0ull;
    CHECK_EQ(EXEC(0x66, 0x45, 0x0f, 0x3a, 0x61, 0xca, 0x00), -1, "pcmpestri xmm9, xmm10, 0 (REX.RB) runs");
    CHECK_EQ(cpu->s.gpr[R_ECX], 2, "without REX.W the length is EAX (2): 'b' at 2; RCX zero-extended");
    CHECK_EQ(EXEC(0x66, 0x4d, 0x0f, 0x3a, 0x61, 0xca, 0x00), -1, "pcmpestri with REX.W runs");
    CHECK_EQ(cpu->s.gpr[R_ECX], 1, "with REX.W the length is RAX (16): the zero byte at 1 matches");
    cpu->s.gpr[R_EBX] = 0xffffffff00000000ull;
    CHECK_EQ(EXEC(0xf3, 0x48, 0x0f, 0xb8, 0xcb), -1, "popcnt rcx, rbx runs");
    CHECK_EQ(cpu->s.gpr[R_ECX], 32, "popcnt r64: 32");
    cpu->s.gpr[R_EAX] = 0xffffffffffffffffull;
    CHECK_EQ(EXEC(0xf2, 0x48, 0x0f, 0x38, 0xf0, 0xc3), -1, "crc32 rax, bl (REX.W) runs");
    CHECK_EQ(cpu->s.gpr[R_EAX] >> 32, 0, "crc32 r64: the 32-bit CRC zero-extended");
    set_x(12, 0x1122334455667788ull, 0x99aabbccddeeff00ull);
    cpu->s.gpr[9] = ~0ull;
    CHECK_EQ(EXEC(0x66, 0x4d, 0x0f, 0x3a, 0x16, 0xe1, 0x01), -1, "pextrq r9, xmm12, 1 runs");
    CHECK_EQ(cpu->s.gpr[9], 0x99aabbccddeeff00ull, "pextrq: the high quadword");
    CHECK_EQ(EXEC(0x66, 0x45, 0x0f, 0x3a, 0x16, 0xe1, 0x01), -1, "pextrd r9d, xmm12, 1 runs");
    CHECK_EQ(cpu->s.gpr[9], 0x11223344ull, "pextrd r32: zero-extended into r9");
}

/* CRC32 and POPCNT: general-register instructions. */
static void test_crc32_popcnt(void)
{
    reset_cpu();
    cpu->s.cr0 |= CR0_EM | CR0_TS;
    cpu->s.cr4 = 0;
    cpu->s.gpr[R_EAX] = 0xffffffffu;
    cpu->s.gpr[R_ECX] = 0x61;
    CHECK_EQ(EXEC(0xf2, 0x0f, 0x38, 0xf0, 0xc1), -1, "crc32 eax, cl runs whatever CR0.EM/TS and CR4 say");
    CHECK_EQ(cpu->s.gpr[R_EAX] ^ 0xffffffffu, 0xc1d04330u, "crc32c(\"a\") = C1D04330");
    cpu->s.gpr[R_EAX] = 0xffffffffu;
    cpu->s.gpr[R_ECX] = 0x6261;
    CHECK_EQ(EXEC(0x66, 0xf2, 0x0f, 0x38, 0xf1, 0xc1), -1, "crc32 eax, cx (66 F2) runs");
    CHECK_EQ(cpu->s.gpr[R_EAX] ^ 0xffffffffu, 0xe2a22936u, "crc32c(\"ab\") = E2A22936: two bytes");
    cpu->model.feat[CPUID_1_ECX] = ALL_ECX & ~CPUID_C_SSE42;
    CHECK_EQ(EXEC(0xf2, 0x0f, 0x38, 0xf0, 0xc1), EXC_UD, "crc32 without CPUID SSE4.2: #UD");

    reset_cpu();
    cpu->s.cr0 |= CR0_EM | CR0_TS;
    cpu->s.gpr[R_EBX] = 0xffff0000u;
    cpu->s.gpr[R_EDX] = 0x12345678u;
    flags_set(cpu, FL_ARITH | 2);
    CHECK_EQ(EXEC(0x66, 0xf3, 0x0f, 0xb8, 0xd3), -1, "popcnt dx, bx runs");
    CHECK_EQ(cpu->s.gpr[R_EDX], 0x12340000u, "popcnt r16: 0 set bits in BX, the high half kept");
    CHECK_EQ(flags_get(cpu) & FL_ARITH, FL_ZF, "popcnt of 0: ZF=1, OF SF AF CF PF cleared");
    CHECK_EQ(EXEC(0xf3, 0x0f, 0xb8, 0xd3), -1, "popcnt edx, ebx runs");
    CHECK_EQ(cpu->s.gpr[R_EDX], 16, "popcnt r32: 16");
    CHECK_EQ(flags_get(cpu) & FL_ARITH, 0, "popcnt of non-zero: every arithmetic flag clear");
    cpu->model.feat[CPUID_1_ECX] = ALL_ECX & ~CPUID_C_POPCNT;
    CHECK_EQ(EXEC(0xf3, 0x0f, 0xb8, 0xd3), EXC_UD, "popcnt without CPUID POPCNT: #UD");
}

/* ---- FISTTP against the host ---- */

static bool host_sse3(void)
{
    unsigned a, b, c, d;
    return __get_cpuid(1, &a, &b, &c, &d) && (c & 1);
}

/* The host's FISTTP of v as `bytes` bytes, masked exceptions, rounding
 * control `rc` (ignored by FISTTP). Returns the status word. */
static uint16_t host_fisttp(long double v, unsigned bytes, unsigned rc, uint64_t *out)
{
    uint16_t cw = (uint16_t)(0x037f | rc << 10), sw, cw0;
    uint64_t r = 0;
    uint32_t r32 = 0;
    uint16_t r16 = 0;
    __asm__ volatile("fnstcw %0\n\tfldcw %1\n\tfnclex" : "=m"(cw0) : "m"(cw));
    if (bytes == 2)
        __asm__ volatile("fldt %1\n\tfisttps %0" : "=m"(r16) : "m"(v));
    else if (bytes == 4)
        __asm__ volatile("fldt %1\n\tfisttpl %0" : "=m"(r32) : "m"(v));
    else
        __asm__ volatile("fldt %1\n\tfisttpll %0" : "=m"(r) : "m"(v));
    if (bytes == 2)
        r = r16;
    else if (bytes == 4)
        r = r32;
    __asm__ volatile("fnstsw %0\n\tfnclex\n\tfldcw %1" : "=m"(sw) : "m"(cw0));
    *out = r;
    return sw;
}

static void test_fisttp(void)
{
    if (!host_sse3()) {
        printf("info the host lacks SSE3: FISTTP not compared\n");
        return;
    }
    static const long double vals[] = {
        0.0L, -0.0L, 1.5L, -1.5L, 2.5L, -2.7L, 0.3L, -0.9999L, 32767.9L, 32768.5L,
        -32768.9L, -32769.0L, 2147483647.5L, 2147483648.0L, -2147483648.99L, 1e10L,
        9223372036854775807.0L, -9223372036854775808.5L, 1e19L, 1e-4940L,
        INFINITY, -INFINITY, NAN,
    };
    static const unsigned sizes[] = { 2, 4, 8 };
    static const uint8_t modrm_op[] = { 0xdf, 0xdb, 0xdd };     /* m16, m32, m64 */
    unsigned bad = 0, n = 0;
    for (unsigned s = 0; s < 3; s++)
        for (unsigned k = 0; k < sizeof vals / sizeof vals[0]; k++)
            for (unsigned rc = 0; rc < 4; rc++) {
                uint64_t want;
                uint16_t hsw = host_fisttp(vals[k], sizes[s], rc, &want);
                reset_cpu();
                cpu->s.fpu.cw = (uint16_t)(0x037f | rc << 10);
                long double v = vals[k];
                uint8_t img[10];
                memcpy(img, &v, 10);
                for (unsigned b = 0; b < 10; b++)
                    poke(0x4000 + b, img[b], 1);
                poke(0x4100, 0x5555555555555555ull, 8);
                cpu->s.gpr[R_EAX] = 0x4000;
                cpu->s.gpr[R_EBX] = 0x4100;
                int r1 = EXEC(0xdb, 0x28);                      /* fld tword [eax] */
                int r2 = exec_bytes((const uint8_t[]){ modrm_op[s], 0x0b }, 2);  /* fisttp [ebx] */
                uint64_t got = peek(0x4100, 8);
                uint64_t mask = sizes[s] == 8 ? ~0ull : (1ull << 8 * sizes[s]) - 1;
                bool ok = r1 == -1 && r2 == -1 && (got & mask) == want &&
                          (got & ~mask) == (0x5555555555555555ull & ~mask) &&
                          (cpu->s.fpu.sw & (FSW_EXC | FSW_C1)) == (hsw & (FSW_EXC | FSW_C1)) &&
                          (cpu->s.fpu.sw & FSW_TOP) == 0 && cpu->s.fpu.tw == 0xffff;
                n++;
                if (!ok && bad++ < 10)
                    printf("fisttp m%u of %Lg rc %u: rawbox %llx sw %04x, host %llx sw %04x\n",
                           8 * sizes[s], vals[k], rc, (unsigned long long)(got & mask),
                           cpu->s.fpu.sw, (unsigned long long)want, hsw);
            }
    CHECK_EQ(bad, 0, "FISTTP m16/m32/m64 agrees with the host: value, IE PE C1, popped (%u cases)", n);

    /* Unmasked invalid: nothing stored, no pop (as FISTP). */
    reset_cpu();
    cpu->s.fpu.cw = 0x037e;
    long double big = 1e30L;
    uint8_t img[10];
    memcpy(img, &big, 10);
    for (unsigned b = 0; b < 10; b++)
        poke(0x4000 + b, img[b], 1);
    poke(0x4100, 0x5555, 2);
    cpu->s.gpr[R_EAX] = 0x4000;
    cpu->s.gpr[R_EBX] = 0x4100;
    CHECK_EQ(EXEC(0xdb, 0x28), -1, "fld tword [eax]");
    CHECK_EQ(EXEC(0xdf, 0x0b), -1, "fisttp word [ebx] of 1e30 with IM clear runs");
    CHECK(peek(0x4100, 2) == 0x5555 && (cpu->s.fpu.sw & FSW_TOP) == 0x3800 && (cpu->s.fpu.sw & FSW_IE),
          "unmasked #IA: memory unchanged, not popped, IE set");

    reset_cpu();
    cpu->model.feat[CPUID_1_ECX] = ALL_ECX & ~CPUID_C_SSE3;
    cpu->s.gpr[R_EBX] = 0x4100;
    CHECK_EQ(EXEC(0xdd, 0x0b), EXC_UD, "fisttp qword without CPUID SSE3: #UD");
    CHECK_EQ(EXEC(0xdb, 0xc8), -1, "DB C8 (FCMOVNE, the register form of DB /1) is not FISTTP");
    reset_cpu();
    cpu->s.cr0 |= CR0_TS;
    CHECK_EQ(EXEC(0xdf, 0x0b), EXC_NM, "fisttp with CR0.TS: #NM");
}

int main(void)
{
    exec_short_ud_ok = true;     /* an undefined opcode may decode shorter */
    if (!fixture_init(1u << 20))
        return 1;
    test_cpuid_and_faults();
    test_mmx_forms();
    test_memory_forms();
    test_implicit();
    test_crc32_popcnt();
    test_long64();
    test_fisttp();
    return fixture_done();
}
