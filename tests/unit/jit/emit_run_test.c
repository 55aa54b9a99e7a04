/* Emitted code run for real: each snippet is emitted into an RW page,
 * made RX, called through the SysV ABI (arguments RDI, RSI, RDX, XMM0,
 * XMM1; result RAX or XMM0) and compared with the same computation in C.
 * Capstone (emit_check.h) only says what the bytes mean; this says the
 * CPU agrees: ALU chains, a loop closed by a patched backward JCC, calls
 * into C both by rel32 and through R11, SSE arithmetic with RIP-relative
 * constants, the ModRM/SIB special bases used as real pointers, and the
 * MXCSR/x87 control words. */
#include <math.h>
#include <sys/mman.h>

#include "test.h"
#include "jit/emit.h"

#define PAGE_SIZE_RUN 0x4000u

static uint8_t *page;
static struct jit_buf b;

static uint8_t *map_page(void *hint)
{
    void *p = mmap(hint, PAGE_SIZE_RUN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void begin(void)
{
    mprotect(page, PAGE_SIZE_RUN, PROT_READ | PROT_WRITE);
    memset(page, 0xCC, PAGE_SIZE_RUN / 2);  /* code half: INT3 */
    emit_init(&b, page, PAGE_SIZE_RUN / 2);
}

/* Constants and data live in the second half of the page. */
static void *data_at(size_t off)
{
    return page + PAGE_SIZE_RUN / 2 + off;
}

static bool finish(const char *what)
{
    bool ok = CHECK(!emit_failed(&b), "%s: emitted (%zu bytes)", what, emit_offset(&b));
    mprotect(page, PAGE_SIZE_RUN, PROT_READ | PROT_EXEC);
    __builtin___clear_cache((char *)page, (char *)page + PAGE_SIZE_RUN);
    return ok;
}

typedef int64_t (*fn1)(int64_t);
typedef int64_t (*fn2)(int64_t, int64_t);
typedef int64_t (*fn3)(int64_t, int64_t, int64_t);
typedef double (*fnd2)(double, double);
typedef double (*fnf2)(float, float);
typedef int64_t (*fnd2i)(double, double);
typedef void (*fnp2)(void *, void *);

#define FN(type) ((type)(uintptr_t)page)

static uint64_t rotl64(uint64_t v, unsigned n)
{
    return v << n | v >> (64 - n);
}

static void run_alu(void)
{
    begin();
    emit_mov_rr(&b, 64, JIT_RAX, JIT_RDI);
    emit_alu_rr(&b, JIT_ADD, 64, JIT_RAX, JIT_RSI);
    emit_alu_ri(&b, JIT_XOR, 64, JIT_RAX, 0x55);
    emit_imul_rri(&b, 64, JIT_RAX, JIT_RAX, 3);
    emit_mov_rr(&b, 64, JIT_RCX, JIT_RDI);
    emit_shift_ri(&b, JIT_SAR, 64, JIT_RCX, 2);
    emit_alu_rr(&b, JIT_SUB, 64, JIT_RAX, JIT_RCX);
    emit_unop_r(&b, JIT_NEG, 64, JIT_RAX);
    emit_shift_ri(&b, JIT_ROL, 64, JIT_RAX, 7);
    emit_mov_ri(&b, 32, JIT_RCX, 13);
    emit_mov_rr(&b, 64, JIT_RDX, JIT_RSI);
    emit_shift_r_cl(&b, JIT_SHL, 64, JIT_RDX);
    emit_alu_rr(&b, JIT_XOR, 64, JIT_RAX, JIT_RDX);
    emit_alu_ri(&b, JIT_AND, 64, JIT_RAX, -0x100);     /* imm8, sign-extended */
    emit_alu_ri(&b, JIT_OR, 64, JIT_RAX, 0x12345);
    emit_ret(&b);
    if (!finish("alu chain"))
        return;
    static const int64_t v[][2] = { { 0, 0 }, { 1, 2 }, { -7, 1000 }, { INT64_MAX, -1 },
                                    { 0x123456789abcdef, 0x55aa55aa } };
    for (unsigned k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
        uint64_t a = (uint64_t)v[k][0], c = (uint64_t)v[k][1];
        uint64_t r = ((a + c) ^ 0x55) * 3 - (uint64_t)(v[k][0] >> 2);
        r = rotl64(-r, 7) ^ (c << 13);
        r = (r & ~0xffull) | 0x12345;
        CHECK_EQ(FN(fn2)(v[k][0], v[k][1]), r, "alu chain (%" PRId64 ", %" PRId64 ")", v[k][0], v[k][1]);
    }
}

static int64_t sum_squares(int64_t n)
{
    int64_t s = 0;
    for (; n > 0; n--)
        s += n * n;
    return s;
}

static void run_loop(bool wide)
{
    begin();
    emit_alu_rr(&b, JIT_XOR, 32, JIT_RAX, JIT_RAX);
    emit_test_rr(&b, 64, JIT_RDI, JIT_RDI);
    size_t skip = emit_jcc8_fwd(&b, JIT_CC_LE);
    emit_align(&b, 16);
    const uint8_t *top = b.p;
    emit_mov_rr(&b, 64, JIT_RCX, JIT_RDI);
    emit_imul_rr(&b, 64, JIT_RCX, JIT_RCX);
    emit_alu_rr(&b, JIT_ADD, 64, JIT_RAX, JIT_RCX);
    emit_unop_r(&b, JIT_DEC, 64, JIT_RDI);
    if (wide) {
        size_t at = emit_jcc32_fwd(&b, JIT_CC_NE);
        emit_patch_rel32(&b, at, top);
    } else {
        emit_jcc(&b, JIT_CC_NE, top);
    }
    emit_patch_rel8(&b, skip, b.p);
    emit_ret(&b);
    if (!finish(wide ? "loop, patched rel32 back edge" : "loop, rel8 back edge"))
        return;
    static const int64_t ns[] = { 0, -5, 1, 2, 10, 1000 };
    for (unsigned k = 0; k < sizeof(ns) / sizeof(ns[0]); k++)
        CHECK_EQ(FN(fn1)(ns[k]), sum_squares(ns[k]), "loop%s (%" PRId64 ")", wide ? " rel32" : "", ns[k]);
}

static int64_t helper(int64_t a, int64_t c)
{
    return a * 10 + c;
}

/* helper(x, helper(x, 7)), calling through emit_call_abs. The first
 * call's first byte says which form was used. */
static void run_call(const char *what, uint8_t want_first)
{
    begin();
    emit_push_r(&b, JIT_RBX);       /* keeps RSP 16-aligned at the calls */
    emit_mov_rr(&b, 64, JIT_RBX, JIT_RDI);
    emit_mov_ri(&b, 64, JIT_RSI, 7);
    size_t at = emit_offset(&b);
    emit_call_abs(&b, (const void *)helper);
    emit_mov_rr(&b, 64, JIT_RDI, JIT_RBX);
    emit_mov_rr(&b, 64, JIT_RSI, JIT_RAX);
    emit_call_abs(&b, (const void *)helper);
    emit_pop_r(&b, JIT_RBX);
    emit_ret(&b);
    if (!finish(what))
        return;
    CHECK_EQ(page[at], want_first, "%s: call form", what);
    CHECK_EQ(FN(fn1)(3), helper(3, helper(3, 7)), "%s: result", what);
    CHECK_EQ(FN(fn1)(-12345), helper(-12345, helper(-12345, 7)), "%s: result", what);
}

static void run_calls(void)
{
    uint8_t *far = page;
    /* The test's own page is usually far from the program's text (mmap
     * area vs PIE image): MOV R11, imm64 (REX.WB 49) + CALL R11. */
    intptr_t dist = (intptr_t)((uintptr_t)helper - (uintptr_t)page);
    if (dist > INT32_MAX || dist < INT32_MIN)
        run_call("call_abs through r11", 0x49);
    /* A page 1 GiB below the text reaches it with rel32 (E8). */
    uint8_t *near = map_page((void *)(((uintptr_t)helper & ~(uintptr_t)0xFFFF) - 0x40000000));
    dist = near ? (intptr_t)((uintptr_t)helper - (uintptr_t)near) : INT64_MAX;
    if (near && dist < INT32_MAX - 0x10000 && dist > INT32_MIN + 0x10000) {
        page = near;
        run_call("call_abs rel32", 0xE8);
    } else {
        printf("note: no page within rel32 of the text; call_abs rel32 not run\n");
    }
    if (near)
        munmap(near, PAGE_SIZE_RUN);
    page = far;

    /* Calls and jumps inside the buffer: a subroutine at +0x400. */
    begin();
    b.p = page + 0x400;
    emit_mov_ri(&b, 32, JIT_RAX, 77);
    emit_ret(&b);
    const uint8_t *sub = page + 0x400;
    *(const uint8_t **)data_at(0) = sub;
    b.p = page;
    emit_push_r(&b, JIT_R12);
    emit_call(&b, sub);                                 /* rel32 */
    emit_mov_rr(&b, 64, JIT_R12, JIT_RAX);
    emit_lea(&b, 64, JIT_RCX, jit_mem_rip(sub));
    emit_call_r(&b, JIT_RCX);                           /* FF /2 reg */
    emit_alu_rr(&b, JIT_ADD, 64, JIT_R12, JIT_RAX);
    emit_call_m(&b, jit_mem_rip(data_at(0)));           /* FF /2 mem */
    emit_alu_rr(&b, JIT_ADD, 64, JIT_RAX, JIT_R12);     /* 3 * 77 */
    emit_pop_r(&b, JIT_R12);
    size_t j = emit_jmp32_fwd(&b);
    emit_ud2(&b);
    emit_patch_rel32(&b, j, b.p);
    emit_lea(&b, 64, JIT_RCX, jit_mem_rip(b.p + 7 + 2 + 1));  /* past lea, jmp rcx, ud2 */
    emit_jmp_r(&b, JIT_RCX);
    emit_int3(&b);
    emit_ret(&b);
    if (finish("call rel32/r/m, jmp rel32/r"))
        CHECK_EQ(FN(fn1)(0), 3 * 77, "calls inside the buffer");
}

static void run_sse(void)
{
    begin();
    *(double *)data_at(0) = 2.0;
    *(double *)data_at(8) = 1.5;
    emit_sse_rr(&b, JIT_MULSD, JIT_XMM0, JIT_XMM0);
    emit_sse_rr(&b, JIT_MULSD, JIT_XMM1, JIT_XMM1);
    emit_sse_rr(&b, JIT_ADDSD, JIT_XMM0, JIT_XMM1);
    emit_sse_rr(&b, JIT_SQRTSD, JIT_XMM0, JIT_XMM0);
    emit_sse_rm(&b, JIT_DIVSD, JIT_XMM0, jit_mem_rip(data_at(0)));
    emit_ret(&b);
    if (finish("sse: sqrt(a*a + b*b) / 2")) {
        volatile double x = 3.0, y = 4.0, z = 1e-3, w = 7.25;
        CHECK(FN(fnd2)(x, y) == sqrt(x * x + y * y) / 2.0, "sse: hypot(3, 4) / 2");
        CHECK(FN(fnd2)(z, w) == sqrt(z * z + w * w) / 2.0, "sse: hypot(1e-3, 7.25) / 2");
    }

    /* (int64)((double)x * 1.5) and back: CVTSI2SD, CVTTSD2SI. */
    begin();
    *(double *)data_at(8) = 1.5;
    emit_cvt_i2f_rr(&b, JIT_CVTSI2SD, 64, JIT_XMM8, JIT_RDI);
    emit_sse_rm(&b, JIT_MULSD, JIT_XMM8, jit_mem_rip(data_at(8)));
    emit_cvt_f2i_rr(&b, JIT_CVTTSD2SI, 64, JIT_RAX, JIT_XMM8);
    emit_ret(&b);
    if (finish("sse: cvtsi2sd, cvttsd2si"))
        for (int64_t x = -1000001; x < 3000000; x += 777777)
            CHECK_EQ(FN(fn1)(x), (int64_t)((double)x * 1.5), "sse: cvt (%" PRId64 ")", x);

    /* Singles: ((a + b) * a - b) widened to double. */
    begin();
    emit_sse_rr(&b, JIT_MOVAPS, JIT_XMM2, JIT_XMM0);
    emit_sse_rr(&b, JIT_ADDSS, JIT_XMM2, JIT_XMM1);
    emit_sse_rr(&b, JIT_MULSS, JIT_XMM2, JIT_XMM0);
    emit_sse_rr(&b, JIT_SUBSS, JIT_XMM2, JIT_XMM1);
    emit_sse_rr(&b, JIT_CVTSS2SD, JIT_XMM0, JIT_XMM2);
    emit_ret(&b);
    if (finish("sse: single precision")) {
        volatile float fa = 1.25f, fb = -3.5f;
        float r = (fa + fb) * fa - fb;
        CHECK(FN(fnf2)(fa, fb) == (double)r, "sse: (a + b) * a - b");
    }

    /* a < b through UCOMISD + SETA (false when unordered). */
    begin();
    emit_sse_rr(&b, JIT_UCOMISD, JIT_XMM1, JIT_XMM0);
    emit_setcc_r(&b, JIT_CC_A, JIT_RAX);
    emit_movzx_rr(&b, 32, 8, JIT_RAX, JIT_RAX);
    emit_ret(&b);
    if (finish("sse: ucomisd")) {
        CHECK_EQ(FN(fnd2i)(1.0, 2.0), 1, "ucomisd 1 < 2");
        CHECK_EQ(FN(fnd2i)(2.0, 1.0), 0, "ucomisd !(2 < 1)");
        CHECK_EQ(FN(fnd2i)(NAN, 1.0), 0, "ucomisd !(NaN < 1)");
    }

    /* Packed integers through memory: dst = -(dst + src) per lane. */
    begin();
    emit_sse_rm(&b, JIT_MOVDQU, JIT_XMM0, jit_mem(JIT_RDI, 0));
    emit_sse_rm(&b, JIT_MOVDQU, JIT_XMM9, jit_mem(JIT_RSI, 0));
    emit_sse_rr(&b, JIT_PADDD, JIT_XMM0, JIT_XMM9);
    emit_sse_rr(&b, JIT_PXOR, JIT_XMM10, JIT_XMM10);
    emit_sse_rr(&b, JIT_PSUBD, JIT_XMM10, JIT_XMM0);
    emit_sse_mr(&b, JIT_MOVDQU, jit_mem(JIT_RDI, 0), JIT_XMM10);
    emit_ret(&b);
    if (finish("sse: paddd, pxor, psubd")) {
        int32_t d[4] = { 1, -2, 0x7fffffff, 100 }, s[4] = { 10, 20, 1, -100 }, want[4];
        for (int i = 0; i < 4; i++)
            want[i] = (int32_t)(0u - ((uint32_t)d[i] + (uint32_t)s[i]));
        FN(fnp2)(d, s);
        CHECK(!memcmp(d, want, sizeof(d)), "sse: packed lanes");
    }

    /* MOVQ/MOVD through an XMM register. */
    begin();
    emit_movd_xr(&b, 64, JIT_XMM13, JIT_RDI);
    emit_movd_rx(&b, 64, JIT_RAX, JIT_XMM13);
    emit_movd_rx(&b, 32, JIT_R8, JIT_XMM13);
    emit_alu_rr(&b, JIT_ADD, 64, JIT_RAX, JIT_R8);
    emit_ret(&b);
    if (finish("sse: movq/movd"))
        CHECK_EQ(FN(fn1)(0x1234567890abcdefll), 0x1234567890abcdefull + 0x90abcdefull, "movq/movd");
}

/* Bit operations, flags, byte/word registers and atomics, results to out[]. */
static void run_bits(void)
{
    begin();
    struct jit_mem o[24];
    for (int i = 0; i < 24; i++)
        o[i] = jit_mem(JIT_RDI, i * 8);
    /* RSI = x, RCX = y (RDX is needed by MUL/DIV/CQO). */
    emit_mov_rr(&b, 64, JIT_RCX, JIT_RDX);
    emit_mov_rr(&b, 64, JIT_RAX, JIT_RSI);
    emit_bswap(&b, 64, JIT_RAX);
    emit_mov_mr(&b, 64, o[0], JIT_RAX);
    emit_bsr_rr(&b, 64, JIT_RAX, JIT_RSI);
    emit_mov_mr(&b, 64, o[1], JIT_RAX);
    emit_bsf_rr(&b, 64, JIT_RAX, JIT_RSI);
    emit_mov_mr(&b, 64, o[2], JIT_RAX);
    emit_mov_rr(&b, 64, JIT_RAX, JIT_RSI);
    emit_shld_ri(&b, 64, JIT_RAX, JIT_RCX, 13);
    emit_mov_mr(&b, 64, o[3], JIT_RAX);
    emit_mov_rr(&b, 64, JIT_RAX, JIT_RSI);
    emit_unop_r(&b, JIT_MUL, 64, JIT_RCX);
    emit_mov_mr(&b, 64, o[4], JIT_RDX);
    emit_alu_rr(&b, JIT_XOR, 32, JIT_RDX, JIT_RDX);
    emit_mov_rr(&b, 64, JIT_RAX, JIT_RSI);
    emit_unop_r(&b, JIT_DIV, 64, JIT_RCX);
    emit_mov_mr(&b, 64, o[5], JIT_RAX);
    emit_mov_mr(&b, 64, o[6], JIT_RDX);
    emit_bt_ri(&b, JIT_BT, 64, JIT_RSI, 5);
    emit_setcc_r(&b, JIT_CC_B, JIT_RAX);
    emit_movzx_rr(&b, 64, 8, JIT_RAX, JIT_RAX);
    emit_mov_mr(&b, 64, o[7], JIT_RAX);
    emit_mov_rr(&b, 64, JIT_RAX, JIT_RSI);
    emit_alu_rr(&b, JIT_CMP, 64, JIT_RAX, JIT_RCX);
    emit_cmov_rr(&b, JIT_CC_G, 64, JIT_RAX, JIT_RCX);       /* signed min */
    emit_mov_mr(&b, 64, o[8], JIT_RAX);
    emit_alu_rr(&b, JIT_XOR, 32, JIT_RAX, JIT_RAX);         /* ZF PF set, CF clear */
    emit_stc(&b);
    emit_lahf(&b);
    emit_movzx_rr(&b, 32, 8, JIT_RDX, JIT_AH);
    emit_mov_mr(&b, 64, o[9], JIT_RDX);
    emit_push_i(&b, 0x3);                                   /* CF and the fixed bit 1 */
    emit_popfq(&b);
    emit_cmc(&b);
    emit_cmc(&b);
    emit_pushfq(&b);
    emit_pop_r(&b, JIT_RAX);
    emit_alu_ri(&b, JIT_AND, 32, JIT_RAX, 0x8d5);           /* the status flags */
    emit_mov_mr(&b, 64, o[10], JIT_RAX);
    emit_clc(&b);
    emit_mov_rr(&b, 64, JIT_RAX, JIT_RSI);
    emit_stc(&b);
    emit_shift_ri(&b, JIT_RCL, 64, JIT_RAX, 1);
    emit_mov_mr(&b, 64, o[11], JIT_RAX);
    emit_mov_mi(&b, 64, o[12], 5);
    emit_mov_ri(&b, 32, JIT_RDX, 3);
    emit_xadd_mr(&b, 64, o[12], JIT_RDX, true);
    emit_mov_mr(&b, 64, o[13], JIT_RDX);
    emit_mov_ri(&b, 64, JIT_RAX, 8);
    emit_mov_ri(&b, 64, JIT_RDX, 42);
    emit_cmpxchg_mr(&b, 64, o[12], JIT_RDX, true);
    emit_setcc_m(&b, JIT_CC_E, o[14]);
    emit_mov_mi(&b, 8, o[15], 0x80);
    emit_movsx_rm(&b, 64, 8, JIT_RAX, o[15]);
    emit_mov_mr(&b, 64, o[15], JIT_RAX);
    emit_mov_ri(&b, 64, JIT_RAX, 0x123456789abcffffll);
    emit_alu_ri(&b, JIT_ADD, 16, JIT_RAX, 1);
    emit_mov_mr(&b, 64, o[16], JIT_RAX);
    emit_alu_rr(&b, JIT_XOR, 32, JIT_RDX, JIT_RDX);
    emit_mov_ri(&b, 32, JIT_RAX, 0x1234);
    emit_mov_rr(&b, 8, JIT_RDX, JIT_AH);
    emit_mov_mr(&b, 64, o[17], JIT_RDX);
    emit_mov_ri(&b, 64, JIT_RAX, -5);
    emit_cqo(&b);
    emit_mov_mr(&b, 64, o[18], JIT_RDX);
    emit_lea(&b, 64, JIT_RAX, jit_mem_idx(JIT_RSI, JIT_RCX, 8, 0x10));
    emit_mov_mr(&b, 64, o[19], JIT_RAX);
    emit_mov_rr(&b, 64, JIT_RAX, JIT_RSI);
    emit_shift_ri(&b, JIT_SHR, 32, JIT_RAX, 4);              /* also clears 63:32 */
    emit_mov_mr(&b, 64, o[20], JIT_RAX);
    emit_imul_rmi(&b, 64, JIT_RAX, o[0], -3);
    emit_mov_mr(&b, 64, o[21], JIT_RAX);
    emit_ret(&b);
    if (!finish("bits and flags"))
        return;

    static const uint64_t xs[][2] = { { 0x8000000000000021ull, 7 }, { 0x0123456789abcdefull, 0x1000 },
                                      { 0xf0ull, 0xffffffffffffff00ull } };
    for (unsigned k = 0; k < 3; k++) {
        uint64_t x = xs[k][0], y = xs[k][1], out[24] = { 0 };
        FN(fn3)((int64_t)(uintptr_t)out, (int64_t)x, (int64_t)y);
        CHECK_EQ(out[0], __builtin_bswap64(x), "bswap");
        CHECK_EQ(out[1], 63 - __builtin_clzll(x), "bsr");
        CHECK_EQ(out[2], __builtin_ctzll(x), "bsf");
        CHECK_EQ(out[3], x << 13 | y >> 51, "shld");
        CHECK_EQ(out[4], (uint64_t)(((unsigned __int128)x * y) >> 64), "mul high");
        CHECK_EQ(out[5], x / y, "div");
        CHECK_EQ(out[6], x % y, "div remainder");
        CHECK_EQ(out[7], (x >> 5) & 1, "bt + setc");
        CHECK_EQ(out[8], (int64_t)x < (int64_t)y ? x : y, "cmp + cmovg");
        CHECK_EQ(out[9], 0x47, "xor + stc + lahf: SF0 ZF1 AF0 PF1 1 CF1, via AH");
        CHECK_EQ(out[10], 0x01, "push 3 + popfq + cmc cmc + pushfq");
        CHECK_EQ(out[11], x << 1 | 1, "stc + rcl 1");
        CHECK_EQ(out[12], 42, "lock xadd then lock cmpxchg");
        CHECK_EQ(out[13], 5, "xadd old value");
        CHECK_EQ(out[14] & 0xff, 1, "cmpxchg + sete m8");
        CHECK_EQ(out[15], (uint64_t)-128, "mov m8 + movsx");
        CHECK_EQ(out[16], 0x123456789abc0000ull, "add ax, 1 keeps 63:16");
        CHECK_EQ(out[17], 0x12, "mov dl, ah");
        CHECK_EQ(out[18], ~0ull, "cqo");
        CHECK_EQ(out[19], x + y * 8 + 0x10, "lea [rsi + rcx*8 + 0x10]");
        CHECK_EQ(out[20], (uint32_t)x >> 4, "shr r32 zero-extends");
        CHECK_EQ(out[21], __builtin_bswap64(x) * (uint64_t)-3, "imul r, m, imm8");
    }
}

/* The ModRM/SIB special cases as real pointers: RSP, RBP, R12, R13 bases
 * (SIB, disp8 0), no base, an index standing in for a base, R13 as index. */
static void run_bases(void)
{
    begin();
    static const enum jit_reg saved[] = { JIT_RBX, JIT_RBP, JIT_R12, JIT_R13, JIT_R14, JIT_R15 };
    for (int i = 0; i < 6; i++)
        emit_push_r(&b, saved[i]);
    emit_mov_rr(&b, 64, JIT_RBP, JIT_RDI);
    emit_mov_rr(&b, 64, JIT_R12, JIT_RDI);
    emit_mov_rr(&b, 64, JIT_R13, JIT_RDI);
    emit_mov_rr(&b, 64, JIT_R15, JIT_RDI);
    emit_shift_ri(&b, JIT_SHR, 64, JIT_R15, 3);                          /* the buffer is 8-aligned */
    emit_mov_ri(&b, 64, JIT_RBX, 3);
    emit_mov_ri(&b, 64, JIT_R14, 5);
    emit_mov_mi(&b, 64, jit_mem(JIT_RBP, 0), 101);                       /* mod 01, disp8 0 */
    emit_mov_mi(&b, 64, jit_mem(JIT_R12, 8), 102);                       /* SIB, no index */
    emit_alu_mi(&b, JIT_ADD, 64, jit_mem(JIT_R13, 0), 1);                /* [r13] disp8 0: [0] = 102 */
    emit_mov_mi(&b, 64, jit_mem_idx(JIT_R12, JIT_RBX, 8, 0), 104);       /* [3] */
    emit_mov_mi(&b, 64, jit_mem_idx(JIT_RBP, JIT_R14, 8, 0), 105);       /* [5] */
    emit_mov_mi(&b, 64, jit_mem_idx(JIT_NOREG, JIT_R15, 8, 48), 106);    /* [6]: no base */
    emit_mov_mi(&b, 64, jit_mem_idx(JIT_NOREG, JIT_RDI, 1, 56), 107);    /* [7]: index as base */
    emit_mov_rr(&b, 64, JIT_RAX, JIT_RDI);
    emit_alu_rr(&b, JIT_SUB, 64, JIT_R13, JIT_RAX);                      /* r13 = 0 */
    emit_mov_mi(&b, 64, jit_mem_idx(JIT_RDI, JIT_R13, 4, 72), 109);      /* [9]: R13 index */
    emit_lea(&b, 64, JIT_R13, jit_mem(JIT_RDI, 24));
    emit_mov_mi(&b, 64, jit_mem_idx(JIT_R13, JIT_R14, 8, 0), 0);         /* [8]: SIB base R13, disp8 0 */
    emit_push_i(&b, 108);
    emit_mov_rm(&b, 64, JIT_RAX, jit_mem(JIT_RSP, 0));                   /* [rsp]: SIB */
    emit_mov_mr(&b, 64, jit_mem_idx(JIT_RBP, JIT_RBX, 2, 10), JIT_RAX);  /* ptr + 6 + 10 = [2] */
    emit_pop_r(&b, JIT_RAX);
    emit_alu_mi(&b, JIT_ADD, 64, jit_mem(JIT_R12, 24), 1000);            /* [3] += 1000 */
    emit_alu_mr(&b, JIT_ADD, 64, jit_mem(JIT_R12, 40), JIT_RBX);         /* [5] += 3 */
    for (int i = 5; i >= 0; i--)
        emit_pop_r(&b, saved[i]);
    emit_ret(&b);
    if (!finish("special bases"))
        return;
    uint64_t mem[16];
    memset(mem, 0xEE, sizeof(mem));
    FN(fn1)((int64_t)(uintptr_t)mem);
    static const uint64_t want[10] = { 102, 102, 108, 1104, 0xEEEEEEEEEEEEEEEEull, 108, 106, 107, 0, 109 };
    for (int i = 0; i < 10; i++)
        CHECK_EQ(mem[i], want[i], "special bases: mem[%d]", i);
}

/* MXCSR and the x87 control word read three ways must agree. */
static void run_state(void)
{
    begin();
    emit_stmxcsr(&b, jit_mem(JIT_RDI, 0));
    emit_fnstcw(&b, jit_mem(JIT_RDI, 4));
    emit_fnstsw_ax(&b);
    emit_mov_mr(&b, 16, jit_mem(JIT_RDI, 6), JIT_RAX);
    emit_fnstsw_m(&b, jit_mem(JIT_RDI, 8));
    emit_fxsave64(&b, jit_mem(JIT_RSI, 0));
    emit_fxsave(&b, jit_mem(JIT_RSI, 512));
    emit_ldmxcsr(&b, jit_mem(JIT_RDI, 0));
    emit_fldcw(&b, jit_mem(JIT_RDI, 4));
    emit_fxrstor64(&b, jit_mem(JIT_RSI, 0));
    emit_fxrstor(&b, jit_mem(JIT_RSI, 512));
    emit_fnclex(&b);
    emit_fwait(&b);
    emit_ret(&b);
    if (!finish("mxcsr and x87 control"))
        return;
    uint16_t w[8] = { 0 };
    static _Alignas(16) uint8_t fx[1024];
    FN(fnp2)(w, fx);
    uint32_t mxcsr = w[0] | (uint32_t)w[1] << 16;
    uint32_t fx_mxcsr;
    memcpy(&fx_mxcsr, fx + 24, 4);
    CHECK_EQ(mxcsr, fx_mxcsr, "stmxcsr == fxsave64 MXCSR");
    CHECK_EQ(mxcsr & 0x1f80, 0x1f80, "exceptions masked in MXCSR");
    CHECK_EQ(w[2], fx[0] | fx[1] << 8, "fnstcw == fxsave64 FCW");
    CHECK_EQ(w[2], fx[512] | fx[513] << 8, "fnstcw == fxsave FCW");
    CHECK_EQ(w[3], w[4], "fnstsw ax == fnstsw m16");
    CHECK_EQ(w[5], 0, "fnstsw m writes 16 bits only");
}

/* Every NOP length executes and falls through. */
static void run_nops(void)
{
    begin();
    emit_mov_ri(&b, 32, JIT_RAX, 0);
    for (unsigned n = 1; n <= 15; n++) {
        emit_nop(&b, n);
        emit_alu_ri(&b, JIT_ADD, 32, JIT_RAX, n);
    }
    emit_ret(&b);
    if (finish("nops"))
        CHECK_EQ(FN(fn1)(0), 120, "nops 1-15 fall through");
}

int main(void)
{
    page = map_page(NULL);
    if (!page) {
        CHECK(0, "mmap");
        return test_summary();
    }
    run_alu();
    run_loop(false);
    run_loop(true);
    run_calls();
    run_sse();
    run_bits();
    run_bases();
    run_state();
    run_nops();
    return test_summary();
}
