/* FXSAVE/FXRSTOR, XSAVE/XRSTOR and XGETBV/XSETBV (src/cpu/sse_state.c)
 * against the host CPU: the host builds an x87/SSE state (FCW, a two-deep
 * stack with a flagged division, MXCSR, XMM0-15), saves it with fxsave64,
 * fxsave and xsave (EDX:EAX = 3) into areas filled with a pattern, and
 * rawbox, in 64-bit mode, loads each image with the matching FXRSTOR/XRSTOR
 * form and saves it again into an area with the same pattern: the images
 * must agree byte for byte (layout, abridged tags, pointers, reserved bytes
 * left alone), and the loaded state must be the host's. Then the rules the
 * host cannot show by itself: alignment #GP, CR4.OSFXSR=0, XSTATE_BV and
 * the init state, header and MXCSR #GP, XCR0 rules, CPUID leaf 0DH and the
 * CR4 bits the model allows (SDM vol. 1 10.5, ch. 13; vol. 2 FXSAVE,
 * XSAVE, XRSTOR, XSETBV, XGETBV). */
#include <stdalign.h>

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
                  long64 ? (0x9b | SEGA_G | SEGA_L) : (0x9b | SEGA_G | SEGA_DB));
    cpu->s.cr0 |= CR0_MP | CR0_NE;
    cpu->s.cr4 = CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_OSXSAVE;
    cpu->s.mxcsr = MXCSR_RESET;
    cpu->s.xcr0 = XCR0_X87;
    cpu->model.feat[CPUID_1_EDX] = CPUID_FPU | CPUID_MMX | CPUID_FXSR | CPUID_SSE | CPUID_SSE2;
    cpu->model.feat[CPUID_1_ECX] = CPUID_C_XSAVE;
    cpu->model.max_basic = 2;
    cpu->model.max_extended = 0x80000008u;
    x87_reset(cpu);
}

/* ---- the host's images ---- */

static alignas(64) uint8_t h_fx64[512], h_fx32[512], h_xs[576];
static alignas(16) uint8_t h_xmm[16][16];
static const uint32_t h_mxcsr = 0x3f85;     /* RC down, DAZ, PE+IE set */
static uint16_t h_fcw = 0x027f;
static float h_one = 1.0f, h_three = 3.0f;

static void host_images(void)
{
    static alignas(64) uint8_t orig[512];
    uint32_t mx = h_mxcsr;
    for (unsigned r = 0; r < 16; r++)
        for (unsigned k = 0; k < 16; k++)
            h_xmm[r][k] = (uint8_t)(0x11 * r + 3 * k + 1);
    memset(h_fx64, 0xa5, sizeof h_fx64);
    memset(h_fx32, 0xa5, sizeof h_fx32);
    memset(h_xs, 0xa5, 512);
    memset(h_xs + 512, 0, 64);
    /* One asm block from saving the host's own state to restoring it, so
     * the compiler never sees the x87 and XMM registers change. */
    __asm__ volatile(
        "fxsave64 (%[orig])\n\t"
        "fninit\n\t"
        "fldcw (%[fcw])\n\t"
        "flds (%[one])\n\t"
        "flds (%[three])\n\t"
        "fdivr %%st(1), %%st\n\t"      /* 1/3: PE, C1 */
        "ldmxcsr (%[mx])\n\t"
        "movdqa 0(%[x]), %%xmm0\n\t"   "movdqa 16(%[x]), %%xmm1\n\t"
        "movdqa 32(%[x]), %%xmm2\n\t"  "movdqa 48(%[x]), %%xmm3\n\t"
        "movdqa 64(%[x]), %%xmm4\n\t"  "movdqa 80(%[x]), %%xmm5\n\t"
        "movdqa 96(%[x]), %%xmm6\n\t"  "movdqa 112(%[x]), %%xmm7\n\t"
        "movdqa 128(%[x]), %%xmm8\n\t" "movdqa 144(%[x]), %%xmm9\n\t"
        "movdqa 160(%[x]), %%xmm10\n\t" "movdqa 176(%[x]), %%xmm11\n\t"
        "movdqa 192(%[x]), %%xmm12\n\t" "movdqa 208(%[x]), %%xmm13\n\t"
        "movdqa 224(%[x]), %%xmm14\n\t" "movdqa 240(%[x]), %%xmm15\n\t"
        "fxsave64 (%[fx64])\n\t"
        "fxsave (%[fx32])\n\t"
        "mov $3, %%eax\n\t"
        "xor %%edx, %%edx\n\t"
        "xsave64 (%[xs])\n\t"
        "fxrstor64 (%[orig])\n\t"
        :
        : [orig] "r"(orig), [fcw] "r"(&h_fcw), [one] "r"(&h_one), [three] "r"(&h_three),
          [mx] "r"(&mx), [x] "r"(h_xmm), [fx64] "r"(h_fx64), [fx32] "r"(h_fx32), [xs] "r"(h_xs)
        : "rax", "rdx", "memory");
}

static bool host_has_xsave(void)
{
    uint32_t a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    return (c & (1u << 27)) != 0;       /* OSXSAVE: the OS enabled it */
}

/* The first differing byte of a and b, or -1. */
static int first_diff(const uint8_t *a, const uint8_t *b, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        if (a[k] != b[k])
            return (int)k;
    return -1;
}

static void check_loaded_state(const char *what, unsigned nx)
{
    CHECK_EQ(cpu->s.fpu.cw, h_fcw, "%s: FCW loaded", what);
    CHECK_EQ((cpu->s.fpu.sw >> 11) & 7, 6, "%s: TOP = 6 loaded", what);
    CHECK(cpu->s.fpu.sw & FSW_PE, "%s: FSW.PE loaded", what);
    CHECK_EQ(x87_tag_word(cpu), 0x0fff, "%s: R6, R7 valid, the rest empty", what);
    struct f80 st1 = x87_st(cpu, 1);
    CHECK(st1.mant == 0x8000000000000000ull && st1.se == 0x3fff, "%s: ST1 = 1.0", what);
    CHECK_EQ(cpu->s.mxcsr, h_mxcsr, "%s: MXCSR loaded", what);
    bool same = true;
    for (unsigned r = 0; r < nx; r++)
        same &= memcmp(cpu->s.xmm[r].b, h_xmm[r], 16) == 0;
    CHECK(same, "%s: XMM0-%u loaded", what, nx - 1);
}

/* Load `img` with the form `ld` (ModRM [rsi]) and save with `st` ([rdi]),
 * EDX:EAX = 3. */
static void roundtrip(const char *what, const uint8_t *img, unsigned n, uint8_t rex,
                      uint8_t ld_modrm, uint8_t st_modrm)
{
    uint8_t out[576];
    reset_cpu(true);
    cpu->s.xcr0 = XCR0_X87 | XCR0_SSE;
    put_mem(0x3000, img, n);
    memset(out, 0xa5, 512);
    memset(out + 512, 0, 64);
    put_mem(0x5000, out, n);
    cpu->s.gpr[R_ESI] = 0x3000;
    cpu->s.gpr[R_EDI] = 0x5000;
    cpu->s.gpr[R_EAX] = 3;
    cpu->s.gpr[R_EDX] = 0;
    int r = rex ? EXEC(rex, 0x0f, 0xae, ld_modrm) : EXEC(0x0f, 0xae, ld_modrm);
    CHECK_EQ(r, -1, "%s: the load runs", what);
    check_loaded_state(what, 16);
    r = rex ? EXEC(rex, 0x0f, 0xae, st_modrm) : EXEC(0x0f, 0xae, st_modrm);
    CHECK_EQ(r, -1, "%s: the save runs", what);
    get_mem(0x5000, out, n);
    /* MXCSR_MASK is the one field where the host may differ by design:
     * rawbox's is FFFF, AMD parts add bit 17 (MM, misaligned SSE). */
    CHECK_EQ(out[28] | out[29] << 8 | out[30] << 16 | out[31] << 24, 0xffff,
             "%s: MXCSR_MASK FFFF", what);
    memcpy(out + 28, img + 28, 4);
    int d = first_diff(out, img, n);
    CHECK(d < 0, "%s: image equals the host's (first difference at byte %d: %02x, host %02x)",
          what, d, d < 0 ? 0 : out[d], d < 0 ? 0 : img[d]);
}

static void test_host_images(void)
{
    host_images();
    /* FXRSTOR64 [rsi] / FXSAVE64 [rdi]; FXRSTOR / FXSAVE (32-bit pointers). */
    roundtrip("fxsave64", h_fx64, 512, 0x48, 0x0e, 0x07);
    roundtrip("fxsave", h_fx32, 512, 0, 0x0e, 0x07);
    if (host_has_xsave())
        roundtrip("xsave64", h_xs, 576, 0x48, 0x2e, 0x27);
    else
        printf("note: the host has no XSAVE enabled; its image check is left out\n");
}

/* ---- rules ---- */

/* In 64-bit mode the x87 keeps the whole RIP and operand offset, which
 * FXSAVE64 stores in 8 bytes and FXSAVE (no REX.W) cuts to 32 bits with
 * the selectors (SDM vol. 1 10.5.1, tables 10-2 and 10-4). */
static void test_fip64(void)
{
    reset_cpu(true);
    cpu->s.rip = 0x00007fff12345000ull;
    cpu->s.gpr[R_EAX] = 0x1234567890ull & 0xfff00;    /* FLD m32 operand in RAM */
    CHECK_EQ(EXEC(0xd9, 0x00), -1, "fld dword [rax] in 64-bit mode");
    cpu->s.gpr[R_EBX] = 0x2000;
    CHECK_EQ(EXEC(0x48, 0x0f, 0xae, 0x03), -1, "fxsave64 [rbx]");
    CHECK_EQ(physmem_read(&mem, 0x2008, 8), 0x00007fff12345000ull, "FXSAVE64: 64-bit FIP");
    CHECK_EQ(physmem_read(&mem, 0x2010, 8), 0x67800ull, "FXSAVE64: 64-bit FDP");
    CHECK_EQ(physmem_read(&mem, 0x2006, 2), 0x100, "FXSAVE64: FOP of D9 /0 mod 0");
    CHECK_EQ(EXEC(0x0f, 0xae, 0x03), -1, "fxsave [rbx]");
    CHECK_EQ(physmem_read(&mem, 0x2008, 8), 0x0000000812345000ull, "FXSAVE: FIP[31:0], FCS");
}

static void test_fx_rules(void)
{
    uint8_t b[512];
    reset_cpu(false);
    cpu->s.gpr[R_EAX] = 0x2008;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x00), EXC_GP, "FXSAVE at 8 mod 16: #GP");
    CHECK_EQ(cpu->exc_code, 0, "FXSAVE misaligned: #GP(0)");
    cpu->s.seg[SEG_DS].base = 8;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x00), -1, "alignment is of the linear address (base 8)");
    reset_cpu(false);
    cpu->s.cr0 |= CR0_TS;
    cpu->s.gpr[R_EAX] = 0x2000;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x00), EXC_NM, "FXSAVE with CR0.TS: #NM");
    cpu->s.cr0 |= CR0_EM;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x00), EXC_UD, "FXSAVE with CR0.EM: #UD (before #NM)");
    reset_cpu(false);
    cpu->model.feat[CPUID_1_EDX] &= ~CPUID_FXSR;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x00), EXC_UD, "FXSAVE without CPUID.FXSR: #UD");

    /* 32-bit mode: XMM0-7 only; bytes 288-511 untouched. OSFXSR=0: no
     * MXCSR, no XMM. */
    reset_cpu(false);
    for (unsigned r = 0; r < 16; r++)
        memset(cpu->s.xmm[r].b, 0x10 + r, 16);
    memset(b, 0xee, sizeof b);
    put_mem(0x2000, b, 512);
    cpu->s.gpr[R_EAX] = 0x2000;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x00), -1, "FXSAVE in 32-bit mode runs");
    get_mem(0x2000, b, 512);
    CHECK(b[160] == 0x10 && b[160 + 16 * 7 + 15] == 0x17, "32-bit FXSAVE: XMM0-7 stored");
    CHECK(b[288] == 0xee && b[511] == 0xee, "32-bit FXSAVE: bytes 288-511 untouched");
    CHECK_EQ(b[24] | b[25] << 8, 0x1f80, "FXSAVE: MXCSR");
    CHECK_EQ(b[28] | b[29] << 8 | b[30] << 16 | b[31] << 24, 0xffff, "FXSAVE: MXCSR_MASK FFFF");
    CHECK_EQ(b[4], 0xff, "FXSAVE after reset: all registers valid (FTW 5555)");
    memset(b, 0xee, sizeof b);
    put_mem(0x2000, b, 512);
    cpu->s.cr4 = 0;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x00), -1, "FXSAVE with OSFXSR=0 runs");
    get_mem(0x2000, b, 512);
    CHECK(b[24] == 0xee && b[160] == 0xee, "OSFXSR=0: MXCSR and XMM not stored");
    CHECK_EQ(b[0] | b[1] << 8, 0x0040, "OSFXSR=0: FCW stored");

    /* FXRSTOR: reserved MXCSR bits #GP(0) with nothing loaded. */
    reset_cpu(false);
    memset(b, 0, sizeof b);
    b[0] = 0x7f; b[1] = 0x03;
    b[24] = 0x80; b[25] = 0x1f; b[26] = 0x01;     /* MXCSR 0x11f80 */
    put_mem(0x2000, b, 512);
    cpu->s.gpr[R_EAX] = 0x2000;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x08), EXC_GP, "FXRSTOR with MXCSR bit 16: #GP");
    CHECK_EQ(cpu->s.fpu.cw, 0x0040, "the faulting FXRSTOR loads no FCW");
    b[26] = 0;
    put_mem(0x2000, b, 512);
    CHECK_EQ(EXEC(0x0f, 0xae, 0x08), -1, "FXRSTOR runs");
    CHECK_EQ(cpu->s.fpu.cw, 0x037f, "FXRSTOR: FCW");
    CHECK_EQ(cpu->s.fpu.tw, 0xffff, "FXRSTOR: abridged FTW 0: all empty");

    /* LDMXCSR / STMXCSR. */
    reset_cpu(false);
    physmem_write(&mem, 0x2100, 0x10000, 4);
    cpu->s.gpr[R_EAX] = 0x2100;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x10), EXC_GP, "LDMXCSR with bit 16: #GP");
    physmem_write(&mem, 0x2100, 0xffff, 4);
    CHECK_EQ(EXEC(0x0f, 0xae, 0x10), -1, "LDMXCSR FFFF runs");
    CHECK_EQ(cpu->s.mxcsr, 0xffff, "LDMXCSR: every bit 15:0 writable");
    cpu->s.gpr[R_EAX] = 0x2103;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x18), -1, "STMXCSR at an odd address runs");
    CHECK_EQ(physmem_read(&mem, 0x2103, 4), 0xffff, "STMXCSR stores MXCSR");
    cpu->s.cr4 = 0;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x18), EXC_UD, "STMXCSR with OSFXSR=0: #UD");
}

static void test_xsave_rules(void)
{
    uint8_t b[576];
    reset_cpu(false);
    cpu->s.cr4 &= ~CR4_OSXSAVE;
    CHECK_EQ(EXEC(0x0f, 0x01, 0xd0), EXC_UD, "XGETBV with OSXSAVE=0: #UD");
    cpu->s.cr4 |= CR4_OSXSAVE;
    cpu->s.gpr[R_ECX] = 0;
    CHECK_EQ(EXEC(0x0f, 0x01, 0xd0), -1, "XGETBV runs");
    CHECK_EQ(cpu->s.gpr[R_EAX], 1, "XCR0 = 1");
    cpu->s.gpr[R_ECX] = 1;
    CHECK_EQ(EXEC(0x0f, 0x01, 0xd0), EXC_GP, "XGETBV ECX=1 (not supported): #GP");
    cpu->s.gpr[R_ECX] = 0;
    cpu->s.gpr[R_EAX] = 2;
    cpu->s.gpr[R_EDX] = 0;
    CHECK_EQ(EXEC(0x0f, 0x01, 0xd1), EXC_GP, "XSETBV without bit 0: #GP");
    cpu->s.gpr[R_EAX] = 7;
    CHECK_EQ(EXEC(0x0f, 0x01, 0xd1), EXC_GP, "XSETBV with AVX (absent): #GP");
    cpu->s.gpr[R_EAX] = 3;
    cpu->s.cpl = 3;
    CHECK_EQ(EXEC(0x0f, 0x01, 0xd1), EXC_GP, "XSETBV at CPL 3: #GP");
    cpu->s.cpl = 0;
    CHECK_EQ(EXEC(0x0f, 0x01, 0xd1), -1, "XSETBV 3 runs");
    CHECK_EQ(cpu->s.xcr0, 3, "XCR0 = 3");

    uint32_t r[4];
    cpuid_query(cpu, 0, 0, r);
    CHECK_EQ(r[0], 0xd, "with XSAVE the highest basic leaf is at least 0DH");
    cpuid_query(cpu, 0xd, 0, r);
    CHECK(r[0] == 3 && r[1] == 576 && r[2] == 576 && r[3] == 0, "CPUID.(0DH,0): 3, 576, 576, 0");
    cpuid_query(cpu, 0xd, 1, r);
    CHECK_EQ(r[0], 1, "CPUID.(0DH,1): XSAVEOPT only");
    cpuid_query(cpu, 1, 0, r);
    CHECK(r[2] & CPUID_C_OSXSAVE, "CPUID.1:ECX.OSXSAVE mirrors CR4.OSXSAVE = 1");
    cpu->s.cr4 &= ~CR4_OSXSAVE;
    cpuid_query(cpu, 1, 0, r);
    CHECK(!(r[2] & CPUID_C_OSXSAVE), "CPUID.1:ECX.OSXSAVE mirrors CR4.OSXSAVE = 0");
    cpu->s.cr4 |= CR4_OSXSAVE;
    CHECK_EQ(cpuid_cr4_valid(&cpu->model) & (CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_OSXSAVE),
             CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_OSXSAVE, "CR4 takes OSFXSR, OSXMMEXCPT, OSXSAVE");
    struct cpu_model p6 = *cpu_model_find("p6");
    CHECK_EQ(cpuid_cr4_valid(&p6) & (CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_OSXSAVE), 0,
             "a model without FXSR/SSE/XSAVE refuses those CR4 bits");

    /* XSAVE RFBM = 2 into a zeroed header; XRSTOR with XSTATE_BV[1] = 0. */
    memset(cpu->s.xmm, 0x33, sizeof cpu->s.xmm);
    memset(b, 0x5a, 512);
    memset(b + 512, 0, 64);
    put_mem(0x2000, b, 576);
    cpu->s.gpr[R_EBX] = 0x2000;
    cpu->s.gpr[R_EAX] = 2;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x23), -1, "XSAVE RFBM=2 runs");
    get_mem(0x2000, b, 576);
    CHECK(b[0] == 0x5a && b[32] == 0x5a, "XSAVE RFBM=2: x87 part not written");
    CHECK(b[160] == 0x33 && b[24] == 0x80, "XSAVE RFBM=2: XMM and MXCSR written");
    CHECK_EQ(b[512], 2, "XSAVE RFBM=2: XSTATE_BV = 2");
    cpu->s.gpr[R_EAX] = 3;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x23), -1, "XSAVE RFBM=3 runs");
    get_mem(0x2000, b, 576);
    CHECK_EQ(b[512], 3, "XSAVE RFBM=3: XSTATE_BV = 3");
    cpu->s.gpr[R_EBX] = 0x2010;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x23), EXC_GP, "XSAVE 16 but not 64 aligned: #GP");
    cpu->s.gpr[R_EBX] = 0x2000;

    physmem_write(&mem, 0x2000 + 512, 1, 8);            /* XSTATE_BV = 1 */
    physmem_write(&mem, 0x2000 + 24, 0x3f80, 4);
    cpu->s.gpr[R_EAX] = 3;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x2b), -1, "XRSTOR runs");
    CHECK(cpu->s.xmm[5].q[0] == 0 && cpu->s.xmm[5].q[1] == 0, "XRSTOR, XSTATE_BV[1]=0: XMM init (0)");
    CHECK(cpu->s.xmm[8].q[0] == 0x3333333333333333ull, "32-bit XRSTOR leaves XMM8-15 alone");
    CHECK_EQ(cpu->s.mxcsr, 0x3f80, "XRSTOR: MXCSR from memory with RFBM[1]");
    physmem_write(&mem, 0x2000 + 512, 0, 8);            /* XSTATE_BV = 0 */
    cpu->s.fpu.cw = 0x7f;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x2b), -1, "XRSTOR with XSTATE_BV = 0 runs");
    CHECK(cpu->s.fpu.cw == 0x037f && cpu->s.fpu.tw == 0xffff && cpu->s.fpu.st[3].mant == 0,
          "XRSTOR, XSTATE_BV[0]=0: x87 init (FCW 037F, all empty, registers 0)");
    physmem_write(&mem, 0x2000 + 512, 4, 8);
    CHECK_EQ(EXEC(0x0f, 0xae, 0x2b), EXC_GP, "XRSTOR with XSTATE_BV bit 2: #GP");
    physmem_write(&mem, 0x2000 + 512, 3, 8);
    physmem_write(&mem, 0x2000 + 528, 1, 1);
    CHECK_EQ(EXEC(0x0f, 0xae, 0x2b), EXC_GP, "XRSTOR with header byte 16 set: #GP");
    physmem_write(&mem, 0x2000 + 528, 0, 1);
    physmem_write(&mem, 0x2000 + 520 + 7, 0x80, 1);
    CHECK_EQ(EXEC(0x0f, 0xae, 0x2b), EXC_GP, "XRSTOR compacted (XCOMP_BV[63]): #GP");
    physmem_write(&mem, 0x2000 + 520 + 7, 0, 1);
    physmem_write(&mem, 0x2000 + 560, 0xff, 1);
    CHECK_EQ(EXEC(0x0f, 0xae, 0x2b), -1, "XRSTOR ignores header bytes 24-63");
    physmem_write(&mem, 0x2000 + 24, 0x10000, 4);
    cpu->s.mxcsr = 0x1f80;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x2b), EXC_GP, "XRSTOR with a reserved MXCSR bit: #GP");
    CHECK_EQ(cpu->s.mxcsr, 0x1f80, "the faulting XRSTOR changes nothing");
    cpu->s.gpr[R_EAX] = 1;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x2b), -1, "... but not with RFBM[1] = 0");
    cpu->s.cr0 |= CR0_TS;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x23), EXC_NM, "XSAVE with CR0.TS: #NM");
    cpu->s.cr0 &= ~CR0_TS;
    cpu->s.cr0 |= CR0_EM;
    CHECK_EQ(EXEC(0x0f, 0xae, 0x23), -1, "XSAVE ignores CR0.EM");
}

int main(void)
{
    if (!fixture_init(1u << 20))
        return 1;
    test_host_images();
    test_fip64();
    test_fx_rules();
    test_xsave_rules();
    return fixture_done();
}
