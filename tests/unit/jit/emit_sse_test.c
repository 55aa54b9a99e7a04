/* The emitter's SSE/SSE2, MXCSR, FXSAVE and x87 control instructions
 * (src/jit/emit_sse.c) against Capstone: every XMM and GPR pair, every
 * memory operand of emit_check.h, text and shortest length. */
#include "emit_check.h"

static const struct {
    enum jit_sse op;
    const char *name;
} sse_ops[] = {
    { JIT_MOVUPS, "movups" }, { JIT_MOVUPD, "movupd" }, { JIT_MOVSS, "movss" }, { JIT_MOVSD, "movsd" },
    { JIT_MOVAPS, "movaps" }, { JIT_MOVAPD, "movapd" }, { JIT_MOVDQA, "movdqa" }, { JIT_MOVDQU, "movdqu" },
    { JIT_SQRTPS, "sqrtps" }, { JIT_SQRTPD, "sqrtpd" }, { JIT_SQRTSS, "sqrtss" }, { JIT_SQRTSD, "sqrtsd" },
    { JIT_ANDPS, "andps" }, { JIT_ANDPD, "andpd" }, { JIT_ANDNPS, "andnps" }, { JIT_ANDNPD, "andnpd" },
    { JIT_ORPS, "orps" }, { JIT_ORPD, "orpd" }, { JIT_XORPS, "xorps" }, { JIT_XORPD, "xorpd" },
    { JIT_ADDPS, "addps" }, { JIT_ADDPD, "addpd" }, { JIT_ADDSS, "addss" }, { JIT_ADDSD, "addsd" },
    { JIT_MULPS, "mulps" }, { JIT_MULPD, "mulpd" }, { JIT_MULSS, "mulss" }, { JIT_MULSD, "mulsd" },
    { JIT_SUBPS, "subps" }, { JIT_SUBPD, "subpd" }, { JIT_SUBSS, "subss" }, { JIT_SUBSD, "subsd" },
    { JIT_MINPS, "minps" }, { JIT_MINPD, "minpd" }, { JIT_MINSS, "minss" }, { JIT_MINSD, "minsd" },
    { JIT_DIVPS, "divps" }, { JIT_DIVPD, "divpd" }, { JIT_DIVSS, "divss" }, { JIT_DIVSD, "divsd" },
    { JIT_MAXPS, "maxps" }, { JIT_MAXPD, "maxpd" }, { JIT_MAXSS, "maxss" }, { JIT_MAXSD, "maxsd" },
    { JIT_UCOMISS, "ucomiss" }, { JIT_UCOMISD, "ucomisd" }, { JIT_COMISS, "comiss" }, { JIT_COMISD, "comisd" },
    { JIT_CVTSS2SD, "cvtss2sd" }, { JIT_CVTSD2SS, "cvtsd2ss" },
    { JIT_PADDB, "paddb" }, { JIT_PADDW, "paddw" }, { JIT_PADDD, "paddd" }, { JIT_PADDQ, "paddq" },
    { JIT_PSUBB, "psubb" }, { JIT_PSUBW, "psubw" }, { JIT_PSUBD, "psubd" }, { JIT_PSUBQ, "psubq" },
    { JIT_PAND, "pand" }, { JIT_PANDN, "pandn" }, { JIT_POR, "por" }, { JIT_PXOR, "pxor" },
};
#define NSSE (sizeof(sse_ops) / sizeof(sse_ops[0]))

/* The memory operand's size: F3 scalar single, F2 scalar double, else a
 * whole XMM register; (U)COMISS/SD read a scalar, MOVDQU (F3) a whole one. */
static unsigned sse_msize(enum jit_sse op)
{
    if (op == JIT_MOVDQU)
        return 128;
    if (op == JIT_UCOMISS || op == JIT_COMISS)
        return 32;
    if (op == JIT_UCOMISD || op == JIT_COMISD)
        return 64;
    return (op >> 8) == 0xF3 ? 32 : (op >> 8) == 0xF2 ? 64 : 128;
}

/* What Capstone 4 prints: it calls the m32/m64 operand of COMISS/COMISD
 * (SDM: "COMISS xmm1, xmm2/m32", "COMISD xmm1, xmm2/m64") an xmmword,
 * while UCOMISS/UCOMISD get their scalar sizes. The encoding is the same
 * either way (ModRM memory form of 0F 2F / 66 0F 2F). */
static unsigned cs_msize(enum jit_sse op)
{
    return op == JIT_COMISS || op == JIT_COMISD ? 128 : sse_msize(op);
}

static size_t has_pfx(enum jit_sse op)
{
    return (op >> 8) != 0;
}

static void test_sse(void)
{
    group("sse xmm, xmm/m");
    for (unsigned o = 0; o < NSSE; o++) {
        enum jit_sse op = sse_ops[o].op;
        for (int d = 0; d < 16; d++)
            for (int s = 0; s < 16; s++) {
                start();
                emit_sse_rr(&B, op, d, s);
                expect(has_pfx(op) + (d >= 8 || s >= 8) + 3, "%s %s, %s", sse_ops[o].name, X(d), X(s));
            }
        for (unsigned k = 0; k < nmems; k++) {
            int d = (int)((k + o) % 16);
            start();
            emit_sse_rm(&B, op, d, mems[k]);
            expect(has_pfx(op) + len_m(32, 2, d, mems[k], 0), "%s %s, %s", sse_ops[o].name, X(d),
                   M(cs_msize(op), mems[k]));
        }
    }
    group_end();

    group("sse stores");
    for (unsigned o = 0; o < 8; o++) {
        enum jit_sse op = sse_ops[o].op;
        for (unsigned k = 0; k < nmems; k++) {
            int s = (int)((k * 3 + o) % 16);
            start();
            emit_sse_mr(&B, op, mems[k], s);
            expect(has_pfx(op) + len_m(32, 2, s, mems[k], 0), "%s %s, %s", sse_ops[o].name,
                   M(sse_msize(op), mems[k]), X(s));
        }
    }
    group_end();

    static const struct {
        enum jit_sse op;
        const char *name;
        bool to_float;
        unsigned fsize;
    } cvts[] = {
        { JIT_CVTSI2SS, "cvtsi2ss", true, 32 }, { JIT_CVTSI2SD, "cvtsi2sd", true, 64 },
        { JIT_CVTSS2SI, "cvtss2si", false, 32 }, { JIT_CVTSD2SI, "cvtsd2si", false, 64 },
        { JIT_CVTTSS2SI, "cvttss2si", false, 32 }, { JIT_CVTTSD2SI, "cvttsd2si", false, 64 },
    };
    group("cvtsi2ss/sd, cvt(t)ss/sd2si");
    for (unsigned c = 0; c < sizeof(cvts) / sizeof(cvts[0]); c++)
        for (unsigned isize = 32; isize <= 64; isize *= 2) {
            for (int x = 0; x < 16; x++)
                for (int r = 0; r < 16; r++) {
                    start();
                    size_t len = 1 + (isize == 64 || x >= 8 || r >= 8) + 3u;
                    if (cvts[c].to_float) {
                        emit_cvt_i2f_rr(&B, cvts[c].op, isize, x, r);
                        expect(len, "%s %s, %s", cvts[c].name, X(x), R(isize, r));
                    } else {
                        emit_cvt_f2i_rr(&B, cvts[c].op, isize, r, x);
                        expect(len, "%s %s, %s", cvts[c].name, R(isize, r), X(x));
                    }
                }
            for (unsigned k = 0; k < nmems; k++) {
                int r = (int)(k % 16);
                start();
                if (cvts[c].to_float) {
                    emit_cvt_i2f_rm(&B, cvts[c].op, isize, r, mems[k]);
                    expect(1 + len_m(isize, 2, r, mems[k], 0), "%s %s, %s", cvts[c].name, X(r),
                           M(isize, mems[k]));
                } else {
                    emit_cvt_f2i_rm(&B, cvts[c].op, isize, r, mems[k]);
                    expect(1 + len_m(isize, 2, r, mems[k], 0), "%s %s, %s", cvts[c].name, R(isize, r),
                           M(cvts[c].fsize, mems[k]));
                }
            }
        }
    group_end();

    group("movd/movq");
    for (unsigned size = 32; size <= 64; size *= 2) {
        const char *mn = size == 32 ? "movd" : "movq";
        for (int x = 0; x < 16; x++)
            for (int r = 0; r < 16; r++) {
                size_t len = 1 + (size == 64 || x >= 8 || r >= 8) + 3u;
                start();
                emit_movd_xr(&B, size, x, r);
                expect(len, "%s %s, %s", mn, X(x), R(size, r));
                start();
                emit_movd_rx(&B, size, r, x);
                expect(len, "%s %s, %s", mn, R(size, r), X(x));
            }
        for (unsigned k = 0; k < nmems; k++) {
            int x = (int)((k * 5) % 16);
            /* MOVQ with memory is F3 0F 7E / 66 0F D6: no REX.W. */
            size_t len = 1 + len_m(32, 2, x, mems[k], 0);
            start();
            emit_movd_xm(&B, size, x, mems[k]);
            expect(len, "%s %s, %s", mn, X(x), M(size, mems[k]));
            start();
            emit_movd_mx(&B, size, mems[k], x);
            expect(len, "%s %s, %s", mn, M(size, mems[k]), X(x));
        }
    }
    for (int d = 0; d < 16; d++)
        for (int s = 0; s < 16; s++) {
            start();
            emit_movq_xx(&B, d, s);
            expect(1 + (d >= 8 || s >= 8) + 3u, "movq %s, %s", X(d), X(s));
        }
    group_end();
}

static void test_state(void)
{
    group("ldmxcsr/stmxcsr/fxsave/fxrstor, x87 control");
    for (unsigned k = 0; k < nmems; k++) {
        struct jit_mem m = mems[k];
        start(); emit_ldmxcsr(&B, m); expect(len_m(32, 2, 0, m, 0), "ldmxcsr %s", M(32, m));
        start(); emit_stmxcsr(&B, m); expect(len_m(32, 2, 0, m, 0), "stmxcsr %s", M(32, m));
        start(); emit_fxsave(&B, m); expect(len_m(32, 2, 0, m, 0), "fxsave %s", M(0, m));
        start(); emit_fxrstor(&B, m); expect(len_m(32, 2, 0, m, 0), "fxrstor %s", M(0, m));
        /* Capstone 4 prints the 64 forms with a bare "ptr" (M(1, ...)). */
        start(); emit_fxsave64(&B, m); expect(len_m(64, 2, 0, m, 0), "fxsave64 %s", M(1, m));
        start(); emit_fxrstor64(&B, m); expect(len_m(64, 2, 0, m, 0), "fxrstor64 %s", M(1, m));
        start(); emit_fldcw(&B, m); expect(len_m(32, 1, 0, m, 0), "fldcw %s", M(16, m));
        start(); emit_fnstcw(&B, m); expect(len_m(32, 1, 0, m, 0), "fnstcw %s", M(16, m));
        /* FNSTSW m2byte (DD /7): Capstone 4 calls the operand a dword; the
         * SDM and the hardware store 16 bits. */
        start(); emit_fnstsw_m(&B, m); expect(len_m(32, 1, 0, m, 0), "fnstsw %s", M(32, m));
    }
    start(); emit_fnstsw_ax(&B); expect(2, "fnstsw ax");
    start(); emit_fnclex(&B); expect(2, "fnclex");
    start(); emit_fninit(&B); expect(2, "fninit");
    /* 9B: Capstone's name is WAIT, the SDM's WAIT/FWAIT. */
    start(); emit_fwait(&B); expect(1, "wait");
    group_end();
}

int main(void)
{
    harness_init();
    mems_init();
    test_sse();
    test_state();
    printf("emit_sse_test: %u cases compared with capstone\n", total_n);
    return test_summary();
}
