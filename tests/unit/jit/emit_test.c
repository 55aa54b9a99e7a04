/* The emitter's integer instructions (src/jit/emit.c, emit_alu.c,
 * emit_bit.c) against Capstone: every register (with the REX and
 * AH..BH rules), every operand size, immediates around each size's edges
 * and memory operands covering the ModRM/SIB special cases (emit_check.h).
 * Each case checks the decoded text and the length of the shortest
 * encoding. */
#include "emit_check.h"

/* Byte-size loops also take AH..BH (indices 16-19). */
static int nregs(unsigned size)
{
    return size == 8 ? 20 : 16;
}

static int reg_at(int i)
{
    return i < 16 ? i : JIT_AH + (i - 16);
}

static bool is_high(int r)
{
    return r >= JIT_AH && r <= JIT_BH;
}

/* AH..BH next to an operand that needs REX cannot be encoded. */
static bool conflict(unsigned size, int a, int c)
{
    return size == 8 && ((is_high(a) && rex_reg(true, c)) || (is_high(c) && rex_reg(true, a)));
}

static bool conflict_m(unsigned size, int r, struct jit_mem m)
{
    bool rex;
    mem_len(m, &rex);
    return size == 8 && is_high(r) && rex;
}

/* A register for memory case k: all of them in turn, AH..BH at size 8. */
static int reg_for(unsigned size, unsigned k)
{
    return reg_at((int)((k * 7 + size) % (unsigned)nregs(size)));
}

static void test_mov(void)
{
    group("mov r, r");
    for (unsigned z = 0; z < 4; z++) {
        unsigned size = sizes[z];
        for (int i = 0; i < nregs(size); i++)
            for (int j = 0; j < nregs(size); j++) {
                int d = reg_at(i), s = reg_at(j);
                start();
                emit_mov_rr(&B, size, d, s);
                if (conflict(size, d, s))
                    expect_error("mov with AH..BH and REX");
                else
                    expect(len_r(size, 1, s, d, 0), "mov %s, %s", R(size, d), R(size, s));
            }
    }
    group_end();

    group("mov r, imm");
    for (unsigned z = 0; z < 4; z++) {
        unsigned size = sizes[z];
        for (int i = 0; i < nregs(size); i++)
            for (unsigned k = 0; k < NIMMS; k++) {
                int d = reg_at(i);
                int64_t v = imms[k];
                start();
                emit_mov_ri(&B, size, d, v);
                if (size < 64 && !imm_fits(size, v))
                    expect_error("mov imm too wide");
                else if (size == 64 && (uint64_t)v <= UINT32_MAX)
                    expect(5 + (d >= 8), "mov %s, %s", R(32, d), I(32, v));
                else if (size == 64 && v >= INT32_MIN && v <= INT32_MAX)
                    expect(7, "mov %s, %s", R(64, d), I(64, v));
                else if (size == 64)
                    expect(10, "movabs %s, %s", R(64, d), I(64, v));
                else
                    expect((size == 16) + rex_reg(size == 8, d) + 1 + size / 8, "mov %s, %s",
                           R(size, d), I(size, v));
            }
    }
    for (int d = 0; d < 16; d++) {
        start();
        size_t at = emit_mov_ri64(&B, d, 5);
        expect(10, "movabs %s, 5", R(64, d));
        group_n++;
        if (at != 2)
            mismatch("(imm64 offset)", "2");
    }
    group_end();

    group("mov r, m / m, r / m, imm");
    for (unsigned z = 0; z < 4; z++) {
        unsigned size = sizes[z];
        for (unsigned k = 0; k < nmems; k++) {
            struct jit_mem m = mems[k];
            int r = reg_for(size, k);
            int64_t v = imms[k % NIMMS];
            start();
            emit_mov_rm(&B, size, r, m);
            if (conflict_m(size, r, m))
                expect_error("mov AH..BH, m with REX");
            else
                expect(len_m(size, 1, r, m, 0), "mov %s, %s", R(size, r), M(size, m));
            start();
            emit_mov_mr(&B, size, m, r);
            if (conflict_m(size, r, m))
                expect_error("mov m, AH..BH with REX");
            else
                expect(len_m(size, 1, r, m, 0), "mov %s, %s", M(size, m), R(size, r));
            start();
            emit_mov_mi(&B, size, m, v);
            if (!imm_fits(size, v))
                expect_error("mov m, imm too wide");
            else
                expect(len_m(size, 1, 0, m, size == 64 ? 4 : size / 8), "mov %s, %s", M(size, m),
                       I(size, v));
        }
    }
    group_end();
}

static void test_movx_lea(void)
{
    static const char *const ops[2] = { "movzx", "movsx" };
    static void (*const rr[2])(struct jit_buf *, unsigned, unsigned, enum jit_reg, enum jit_reg) = {
        emit_movzx_rr, emit_movsx_rr };
    static void (*const rm[2])(struct jit_buf *, unsigned, unsigned, enum jit_reg, struct jit_mem) = {
        emit_movzx_rm, emit_movsx_rm };
    group("movzx/movsx/movsxd");
    for (int o = 0; o < 2; o++)
        for (unsigned dsize = 16; dsize <= 64; dsize *= 2)
            for (unsigned ssize = 8; ssize < dsize && ssize <= 16; ssize *= 2) {
                for (int d = 0; d < 16; d++)
                    for (int j = 0; j < nregs(ssize); j++) {
                        int s = reg_at(j);
                        start();
                        rr[o](&B, dsize, ssize, d, s);
                        bool rex = dsize == 64 || d >= 8 || rex_reg(ssize == 8, s);
                        if (is_high(s) && rex)
                            expect_error("movzx from AH..BH with REX");
                        else
                            expect((dsize == 16) + rex + 3, "%s %s, %s", ops[o], R(dsize, d),
                                   R(ssize, s));
                    }
                for (unsigned k = 0; k < nmems; k++) {
                    int d = (int)(k % 16);
                    start();
                    rm[o](&B, dsize, ssize, d, mems[k]);
                    expect(len_m(dsize, 2, d, mems[k], 0), "%s %s, %s", ops[o], R(dsize, d),
                           M(ssize, mems[k]));
                }
            }
    for (int d = 0; d < 16; d++)
        for (int s = 0; s < 16; s++) {
            start();
            emit_movsxd_rr(&B, d, s);
            expect(3, "movsxd %s, %s", R(64, d), R(32, s));
        }
    for (unsigned k = 0; k < nmems; k++) {
        start();
        emit_movsxd_rm(&B, (int)(k % 16), mems[k]);
        expect(len_m(64, 1, (int)(k % 16), mems[k], 0), "movsxd %s, %s", R(64, (int)(k % 16)),
               M(32, mems[k]));
    }
    group_end();

    group("lea");
    for (unsigned size = 16; size <= 64; size *= 2)
        for (unsigned k = 0; k < nmems; k++) {
            int d = (int)((k + size) % 16);
            start();
            emit_lea(&B, size, d, mems[k]);
            expect(len_m(size, 1, d, mems[k], 0), "lea %s, %s", R(size, d), M(0, mems[k]));
        }
    group_end();
}

static const char *const alu_names[8] = { "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp" };

static void test_alu(void)
{
    group("alu r, r");
    for (int op = 0; op < 8; op++)
        for (unsigned z = 0; z < 4; z++) {
            unsigned size = sizes[z];
            for (int i = 0; i < nregs(size); i++)
                for (int j = 0; j < nregs(size); j++) {
                    int d = reg_at(i), s = reg_at(j);
                    start();
                    emit_alu_rr(&B, op, size, d, s);
                    if (conflict(size, d, s))
                        expect_error("alu with AH..BH and REX");
                    else
                        expect(len_r(size, 1, s, d, 0), "%s %s, %s", alu_names[op], R(size, d),
                               R(size, s));
                }
        }
    group_end();

    group("alu r, imm");
    for (int op = 0; op < 8; op++)
        for (unsigned z = 0; z < 4; z++) {
            unsigned size = sizes[z];
            size_t immlen = size == 8 ? 1 : size == 16 ? 2 : 4;
            for (int i = 0; i < nregs(size); i++)
                for (unsigned k = 0; k < NIMMS; k++) {
                    int d = reg_at(i);
                    int64_t v = imms[k];
                    start();
                    emit_alu_ri(&B, op, size, d, v);
                    if (!imm_fits(size, v)) {
                        expect_error("alu imm too wide");
                        continue;
                    }
                    size_t len;
                    if (size != 8 && fits_s8(sext(size, v)))
                        len = len_r(size, 1, 0, d, 1);
                    else if (d == JIT_RAX)
                        len = (size == 16) + (size == 64) + 1 + immlen;
                    else
                        len = len_r(size, 1, 0, d, immlen);
                    expect(len, "%s %s, %s", alu_names[op], R(size, d), I(size, v));
                }
        }
    group_end();

    group("alu r, m / m, r / m, imm");
    for (int op = 0; op < 8; op++)
        for (unsigned z = 0; z < 4; z++) {
            unsigned size = sizes[z];
            for (unsigned k = 0; k < nmems; k++) {
                struct jit_mem m = mems[k];
                int r = reg_for(size, k + (unsigned)op);
                int64_t v = imms[(k + (unsigned)op) % NIMMS];
                start();
                emit_alu_rm(&B, op, size, r, m);
                if (conflict_m(size, r, m))
                    expect_error("alu AH..BH, m with REX");
                else
                    expect(len_m(size, 1, r, m, 0), "%s %s, %s", alu_names[op], R(size, r), M(size, m));
                start();
                emit_alu_mr(&B, op, size, m, r);
                if (conflict_m(size, r, m))
                    expect_error("alu m, AH..BH with REX");
                else
                    expect(len_m(size, 1, r, m, 0), "%s %s, %s", alu_names[op], M(size, m), R(size, r));
                start();
                emit_alu_mi(&B, op, size, m, v);
                if (!imm_fits(size, v)) {
                    expect_error("alu m, imm too wide");
                    continue;
                }
                size_t immlen = size == 8 || fits_s8(sext(size, v)) ? 1 : size == 16 ? 2 : 4;
                expect(len_m(size, 1, 0, m, immlen), "%s %s, %s", alu_names[op], M(size, m),
                       I(size, v));
            }
        }
    group_end();

    group("test");
    for (unsigned z = 0; z < 4; z++) {
        unsigned size = sizes[z];
        size_t immlen = size == 64 ? 4 : size / 8;
        for (int i = 0; i < nregs(size); i++) {
            for (int j = 0; j < nregs(size); j++) {
                int d = reg_at(i), s = reg_at(j);
                start();
                emit_test_rr(&B, size, d, s);
                if (conflict(size, d, s))
                    expect_error("test with AH..BH and REX");
                else
                    expect(len_r(size, 1, s, d, 0), "test %s, %s", R(size, d), R(size, s));
            }
            for (unsigned k = 0; k < NIMMS; k++) {
                int d = reg_at(i);
                int64_t v = imms[k];
                start();
                emit_test_ri(&B, size, d, v);
                if (!imm_fits(size, v))
                    expect_error("test imm too wide");
                else if (d == JIT_RAX)
                    expect((size == 16) + (size == 64) + 1 + immlen, "test %s, %s", R(size, d),
                           I(size, v));
                else
                    expect(len_r(size, 1, 0, d, immlen), "test %s, %s", R(size, d), I(size, v));
            }
        }
        for (unsigned k = 0; k < nmems; k++) {
            struct jit_mem m = mems[k];
            int r = reg_for(size, k);
            int64_t v = imms[k % NIMMS];
            start();
            emit_test_mr(&B, size, m, r);
            if (conflict_m(size, r, m))
                expect_error("test m, AH..BH with REX");
            else
                expect(len_m(size, 1, r, m, 0), "test %s, %s", M(size, m), R(size, r));
            start();
            emit_test_mi(&B, size, m, v);
            if (!imm_fits(size, v))
                expect_error("test m, imm too wide");
            else
                expect(len_m(size, 1, 0, m, immlen), "test %s, %s", M(size, m), I(size, v));
        }
    }
    group_end();
}

static void test_unop_shift(void)
{
    static const char *const un[8] = { "inc", "dec", "not", "neg", "mul", "imul", "div", "idiv" };
    group("inc/dec/not/neg/mul/imul/div/idiv");
    for (int op = 0; op < 8; op++)
        for (unsigned z = 0; z < 4; z++) {
            unsigned size = sizes[z];
            for (int i = 0; i < nregs(size); i++) {
                int r = reg_at(i);
                start();
                emit_unop_r(&B, op, size, r);
                expect(len_r(size, 1, 0, r, 0), "%s %s", un[op], R(size, r));
            }
            for (unsigned k = (unsigned)op; k < nmems; k += 3) {
                start();
                emit_unop_m(&B, op, size, mems[k]);
                expect(len_m(size, 1, 0, mems[k], 0), "%s %s", un[op], M(size, mems[k]));
            }
        }
    group_end();

    static const char *const sh[8] = { "rol", "ror", "rcl", "rcr", "shl", "shr", NULL, "sar" };
    static const uint8_t counts[] = { 0, 1, 2, 5, 31, 32, 63, 64, 255 };
    group("shifts and rotates");
    for (int op = 0; op < 8; op++) {
        if (!sh[op])
            continue;
        for (unsigned z = 0; z < 4; z++) {
            unsigned size = sizes[z];
            for (int i = 0; i < nregs(size); i++) {
                int r = reg_at(i);
                for (unsigned c = 0; c < sizeof(counts); c++) {
                    start();
                    emit_shift_ri(&B, op, size, r, counts[c]);
                    expect(len_r(size, 1, 0, r, counts[c] != 1), "%s %s, %s", sh[op], R(size, r),
                           I(8, counts[c]));
                }
                start();
                emit_shift_r_cl(&B, op, size, r);
                expect(len_r(size, 1, 0, r, 0), "%s %s, cl", sh[op], R(size, r));
            }
            for (unsigned k = (unsigned)op; k < nmems; k += 2) {
                struct jit_mem m = mems[k];
                uint8_t c = counts[k % sizeof(counts)];
                start();
                emit_shift_mi(&B, op, size, m, c);
                expect(len_m(size, 1, 0, m, c != 1), "%s %s, %s", sh[op], M(size, m), I(8, c));
                start();
                emit_shift_m_cl(&B, op, size, m);
                expect(len_m(size, 1, 0, m, 0), "%s %s, cl", sh[op], M(size, m));
            }
        }
    }
    group_end();

    group("shld/shrd");
    for (unsigned size = 16; size <= 64; size *= 2)
        for (int d = 0; d < 16; d++)
            for (int s = 0; s < 16; s++) {
                uint8_t c = (uint8_t)(d * 16 + s);
                start();
                emit_shld_ri(&B, size, d, s, c);
                expect(len_r(size, 2, s, d, 1), "shld %s, %s, %s", R(size, d), R(size, s), I(8, c));
                start();
                emit_shld_r_cl(&B, size, d, s);
                expect(len_r(size, 2, s, d, 0), "shld %s, %s, cl", R(size, d), R(size, s));
                start();
                emit_shrd_ri(&B, size, d, s, c);
                expect(len_r(size, 2, s, d, 1), "shrd %s, %s, %s", R(size, d), R(size, s), I(8, c));
                start();
                emit_shrd_r_cl(&B, size, d, s);
                expect(len_r(size, 2, s, d, 0), "shrd %s, %s, cl", R(size, d), R(size, s));
            }
    group_end();

    group("imul r, r/m [, imm]");
    for (unsigned size = 16; size <= 64; size *= 2) {
        for (int d = 0; d < 16; d++)
            for (int s = 0; s < 16; s++) {
                int64_t v = imms[(unsigned)(d * 16 + s) % NIMMS];
                start();
                emit_imul_rr(&B, size, d, s);
                expect(len_r(size, 2, d, s, 0), "imul %s, %s", R(size, d), R(size, s));
                start();
                emit_imul_rri(&B, size, d, s, v);
                if (!imm_fits(size, v))
                    expect_error("imul imm too wide");
                else
                    expect(len_r(size, 1, d, s, fits_s8(sext(size, v)) ? 1 : size == 16 ? 2 : 4),
                           "imul %s, %s, %s", R(size, d), R(size, s), I(size, v));
            }
        for (unsigned k = 0; k < nmems; k++) {
            struct jit_mem m = mems[k];
            int d = (int)(k % 16);
            int64_t v = imms[k % NIMMS];
            start();
            emit_imul_rm(&B, size, d, m);
            expect(len_m(size, 2, d, m, 0), "imul %s, %s", R(size, d), M(size, m));
            start();
            emit_imul_rmi(&B, size, d, m, v);
            if (!imm_fits(size, v))
                expect_error("imul imm too wide");
            else
                expect(len_m(size, 1, d, m, fits_s8(sext(size, v)) ? 1 : size == 16 ? 2 : 4),
                       "imul %s, %s, %s", R(size, d), M(size, m), I(size, v));
        }
    }
    group_end();
}

static void test_bits(void)
{
    static const char *const bt[4] = { "bt", "bts", "btr", "btc" };
    group("bt/bts/btr/btc, bsf/bsr, bswap");
    for (int op = JIT_BT; op <= JIT_BTC; op++)
        for (unsigned size = 16; size <= 64; size *= 2) {
            for (int d = 0; d < 16; d++)
                for (int s = 0; s < 16; s++) {
                    start();
                    emit_bt_rr(&B, op, size, d, s);
                    expect(len_r(size, 2, s, d, 0), "%s %s, %s", bt[op - 4], R(size, d), R(size, s));
                }
            for (int d = 0; d < 16; d++) {
                start();
                emit_bt_ri(&B, op, size, d, (uint8_t)(d * 17));
                expect(len_r(size, 2, 0, d, 1), "%s %s, %s", bt[op - 4], R(size, d), I(8, d * 17));
            }
            for (unsigned k = (unsigned)op; k < nmems; k += 2) {
                struct jit_mem m = mems[k];
                int s = (int)(k % 16);
                start();
                emit_bt_mr(&B, op, size, m, s);
                expect(len_m(size, 2, s, m, 0), "%s %s, %s", bt[op - 4], M(size, m), R(size, s));
                start();
                emit_bt_mi(&B, op, size, m, (uint8_t)k);
                expect(len_m(size, 2, 0, m, 1), "%s %s, %s", bt[op - 4], M(size, m), I(8, (uint8_t)k));
            }
        }
    for (unsigned size = 16; size <= 64; size *= 2) {
        for (int d = 0; d < 16; d++)
            for (int s = 0; s < 16; s++) {
                start();
                emit_bsf_rr(&B, size, d, s);
                expect(len_r(size, 2, d, s, 0), "bsf %s, %s", R(size, d), R(size, s));
                start();
                emit_bsr_rr(&B, size, d, s);
                expect(len_r(size, 2, d, s, 0), "bsr %s, %s", R(size, d), R(size, s));
            }
        for (unsigned k = 0; k < nmems; k++) {
            int d = (int)((k * 3) % 16);
            start();
            emit_bsf_rm(&B, size, d, mems[k]);
            expect(len_m(size, 2, d, mems[k], 0), "bsf %s, %s", R(size, d), M(size, mems[k]));
            start();
            emit_bsr_rm(&B, size, d, mems[k]);
            expect(len_m(size, 2, d, mems[k], 0), "bsr %s, %s", R(size, d), M(size, mems[k]));
        }
    }
    for (unsigned size = 32; size <= 64; size *= 2)
        for (int r = 0; r < 16; r++) {
            start();
            emit_bswap(&B, size, r);
            expect((size == 64 || r >= 8) + 2u, "bswap %s", R(size, r));
        }
    group_end();
}

static void test_xchg(void)
{
    group("xchg/cmpxchg/xadd");
    for (unsigned z = 0; z < 4; z++) {
        unsigned size = sizes[z];
        for (int i = 0; i < nregs(size); i++)
            for (int j = 0; j < nregs(size); j++) {
                int a = reg_at(i), c = reg_at(j);
                if (conflict(size, a, c)) {
                    start();
                    emit_xchg_rr(&B, size, a, c);
                    expect_error("xchg with AH..BH and REX");
                    continue;
                }
                start();
                emit_xchg_rr(&B, size, a, c);
                if (size != 8 && (a == JIT_RAX) != (c == JIT_RAX)) {
                    /* 90+r; Capstone prints the accumulator first. */
                    int o = a == JIT_RAX ? c : a;
                    expect((size == 16) + (size == 64 || o >= 8) + 1u, "xchg %s, %s", R(size, 0),
                           R(size, o));
                } else {
                    expect(len_r(size, 1, c, a, 0), "xchg %s, %s", R(size, a), R(size, c));
                }
                start();
                emit_cmpxchg_rr(&B, size, a, c);
                expect(len_r(size, 2, c, a, 0), "cmpxchg %s, %s", R(size, a), R(size, c));
                start();
                emit_xadd_rr(&B, size, a, c);
                expect(len_r(size, 2, c, a, 0), "xadd %s, %s", R(size, a), R(size, c));
            }
        for (unsigned k = 0; k < nmems; k++) {
            struct jit_mem m = mems[k];
            int r = reg_for(size, k);
            bool lock = k & 1;
            if (conflict_m(size, r, m))
                r = JIT_RAX;
            start();
            emit_xchg_mr(&B, size, m, r);
            expect(len_m(size, 1, r, m, 0), "xchg %s, %s", M(size, m), R(size, r));
            start();
            emit_cmpxchg_mr(&B, size, m, r, lock);
            expect(lock + len_m(size, 2, r, m, 0), "%scmpxchg %s, %s", lock ? "lock " : "",
                   M(size, m), R(size, r));
            start();
            emit_xadd_mr(&B, size, m, r, lock);
            expect(lock + len_m(size, 2, r, m, 0), "%sxadd %s, %s", lock ? "lock " : "",
                   M(size, m), R(size, r));
        }
    }
    for (unsigned k = 0; k < nmems; k++) {
        bool lock = !(k & 1);
        start();
        emit_cmpxchg8b_m(&B, mems[k], lock);
        expect(lock + len_m(32, 2, 0, mems[k], 0), "%scmpxchg8b %s", lock ? "lock " : "",
               M(64, mems[k]));
        start();
        emit_cmpxchg16b_m(&B, mems[k], lock);
        expect(lock + len_m(64, 2, 0, mems[k], 0), "%scmpxchg16b %s", lock ? "lock " : "",
               M(128, mems[k]));
    }
    group_end();
}

static void test_cc(void)
{
    group("cmovcc/setcc");
    for (int cc = 0; cc < 16; cc++) {
        for (unsigned size = 16; size <= 64; size *= 2)
            for (int d = 0; d < 16; d++)
                for (int s = 0; s < 16; s++) {
                    start();
                    emit_cmov_rr(&B, cc, size, d, s);
                    expect(len_r(size, 2, d, s, 0), "cmov%s %s, %s", cc_names[cc], R(size, d),
                           R(size, s));
                }
        for (unsigned k = (unsigned)cc; k < nmems; k += 4) {
            unsigned size = 16u << (k % 3);
            int d = (int)(k % 16);
            start();
            emit_cmov_rm(&B, cc, size, d, mems[k]);
            expect(len_m(size, 2, d, mems[k], 0), "cmov%s %s, %s", cc_names[cc], R(size, d),
                   M(size, mems[k]));
        }
        for (int i = 0; i < 20; i++) {
            int r = reg_at(i);
            start();
            emit_setcc_r(&B, cc, r);
            expect(len_r(8, 2, 0, r, 0), "set%s %s", cc_names[cc], R(8, r));
        }
        for (unsigned k = (unsigned)cc; k < nmems; k += 4) {
            start();
            emit_setcc_m(&B, cc, mems[k]);
            expect(len_m(8, 2, 0, mems[k], 0), "set%s %s", cc_names[cc], M(8, mems[k]));
        }
    }
    group_end();

    group("cbw/cwde/cdqe/cwd/cdq/cqo");
    start(); emit_cbw(&B); expect(2, "cbw");
    start(); emit_cwde(&B); expect(1, "cwde");
    start(); emit_cdqe(&B); expect(2, "cdqe");
    start(); emit_cwd(&B); expect(2, "cwd");
    start(); emit_cdq(&B); expect(1, "cdq");
    start(); emit_cqo(&B); expect(2, "cqo");
    group_end();
}

int main(void)
{
    harness_init();
    mems_init();
    test_mov();
    test_movx_lea();
    test_alu();
    test_unop_shift();
    test_bits();
    test_xchg();
    test_cc();
    printf("emit_test: %u cases compared with capstone\n", total_n);
    return test_summary();
}
