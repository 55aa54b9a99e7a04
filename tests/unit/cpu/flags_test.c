/* Lazy flags and the integer ALU families, cross-checked against the host
 * CPU: for many random operands the same instruction runs natively (inline
 * asm; the 8/16/32-bit forms exist in 64-bit mode) and in rawbox's helpers,
 * and the result and all six arithmetic flags are compared. Flags the SDM
 * calls undefined for that case are masked; how often the host's value for
 * them differs from rawbox's P6 choice is printed as "info" lines (the host
 * is usually AMD, so such differences are expected and documented in
 * src/cpu/flags.c). Condition codes are checked on the lazy state (the
 * cpu_cond shortcuts) against the materialised flags.
 *
 * BCD instructions do not exist in 64-bit mode: they are checked by their
 * decimal meaning (ADD/SUB of packed or unpacked BCD followed by the adjust
 * gives the decimal result) and against SDM examples and known P6 results. */
#include <setjmp.h>
#include <signal.h>
#include "test.h"
#include "cpu/alu.h"

/* Handlers exercised directly (declared by the opcode table machinery). */
void op_bt_Ev_Gv(struct cpu *cpu, const struct insn *i);
void op_bts_Ev_Gv(struct cpu *cpu, const struct insn *i);
void op_btr_Ev_Gv(struct cpu *cpu, const struct insn *i);
void op_btc_Ev_Gv(struct cpu *cpu, const struct insn *i);

static struct cpu cpu;
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Random operand of `size` bytes, biased toward edge values. */
static uint32_t opnd(unsigned size)
{
    uint32_t m = sz_mask(size), msb = 1u << ((size << 3) - 1);
    switch (rnd() % 12) {
    case 0: return 0;
    case 1: return 1;
    case 2: return msb;
    case 3: return msb - 1;
    case 4: return m;
    case 5: return (uint32_t)rnd() & 0x1f;
    case 6: return (msb | (uint32_t)rnd()) & m & ~0xfu;
    case 7: return ((uint32_t)rnd() & m) | 0xf;
    default: return (uint32_t)rnd() & m;
    }
}

/* ---- host instructions ---- */

#define ASM_PRE  "lea -128(%%rsp), %%rsp\n\tpushq %[fi]\n\tpopfq\n\t"
#define ASM_POST "\n\tpushfq\n\tpopq %[fo]\n\tlea 128(%%rsp), %%rsp"

#define HOST2(NAME, INSN, T, C)                                                 \
    static uint32_t NAME(uint32_t a0, uint32_t b0, uint64_t fin, uint64_t *fout) \
    {                                                                           \
        T a = (T)a0, b = (T)b0;                                                 \
        uint64_t f;                                                             \
        __asm__ volatile(ASM_PRE INSN " %[b], %[a]" ASM_POST                    \
                         : [a] "+" C(a), [fo] "=&r"(f)                          \
                         : [b] C(b), [fi] "r"(fin) : "cc", "memory");           \
        *fout = f;                                                              \
        return a;                                                               \
    }
#define HOST1(NAME, INSN, T, C)                                                 \
    static uint32_t NAME(uint32_t a0, uint32_t b0, uint64_t fin, uint64_t *fout) \
    {                                                                           \
        T a = (T)a0;                                                            \
        uint64_t f;                                                             \
        (void)b0;                                                               \
        __asm__ volatile(ASM_PRE INSN " %[a]" ASM_POST                          \
                         : [a] "+" C(a), [fo] "=&r"(f)                          \
                         : [fi] "r"(fin) : "cc", "memory");                     \
        *fout = f;                                                              \
        return a;                                                               \
    }
#define HOSTSH(NAME, INSN, T, C)                                                \
    static uint32_t NAME(uint32_t a0, uint32_t cnt, uint64_t fin, uint64_t *fout) \
    {                                                                           \
        T a = (T)a0;                                                            \
        uint8_t c = (uint8_t)cnt;                                               \
        uint64_t f;                                                             \
        __asm__ volatile(ASM_PRE INSN " %%cl, %[a]" ASM_POST                    \
                         : [a] "+" C(a), [fo] "=&r"(f)                          \
                         : "c"(c), [fi] "r"(fin) : "cc", "memory");             \
        *fout = f;                                                              \
        return a;                                                               \
    }
#define HOSTSHD(NAME, INSN, T)                                                  \
    static uint32_t NAME(uint32_t a0, uint32_t b0, uint32_t cnt, uint64_t fin,  \
                         uint64_t *fout)                                        \
    {                                                                           \
        T a = (T)a0, b = (T)b0;                                                 \
        uint8_t c = (uint8_t)cnt;                                               \
        uint64_t f;                                                             \
        __asm__ volatile(ASM_PRE INSN " %%cl, %[b], %[a]" ASM_POST              \
                         : [a] "+r"(a), [fo] "=&r"(f)                           \
                         : [b] "r"(b), "c"(c), [fi] "r"(fin) : "cc", "memory"); \
        *fout = f;                                                              \
        return a;                                                               \
    }

#define HOST2_ALL(op)                          \
    HOST2(h_##op##8, #op "b", uint8_t, "q")    \
    HOST2(h_##op##16, #op "w", uint16_t, "r")  \
    HOST2(h_##op##32, #op "l", uint32_t, "r")
HOST2_ALL(add) HOST2_ALL(or) HOST2_ALL(adc) HOST2_ALL(sbb)
HOST2_ALL(and) HOST2_ALL(sub) HOST2_ALL(xor) HOST2_ALL(cmp) HOST2_ALL(test)

#define HOST1_ALL(op)                          \
    HOST1(h_##op##8, #op "b", uint8_t, "q")    \
    HOST1(h_##op##16, #op "w", uint16_t, "r")  \
    HOST1(h_##op##32, #op "l", uint32_t, "r")
HOST1_ALL(inc) HOST1_ALL(dec) HOST1_ALL(neg) HOST1_ALL(not)

#define HOSTSH_ALL(op)                          \
    HOSTSH(h_##op##8, #op "b", uint8_t, "q")    \
    HOSTSH(h_##op##16, #op "w", uint16_t, "r")  \
    HOSTSH(h_##op##32, #op "l", uint32_t, "r")
HOSTSH_ALL(rol) HOSTSH_ALL(ror) HOSTSH_ALL(rcl) HOSTSH_ALL(rcr)
HOSTSH_ALL(shl) HOSTSH_ALL(shr) HOSTSH_ALL(sar)

HOSTSHD(h_shld16, "shldw", uint16_t) HOSTSHD(h_shld32, "shldl", uint32_t)
HOSTSHD(h_shrd16, "shrdw", uint16_t) HOSTSHD(h_shrd32, "shrdl", uint32_t)

HOST2(h_imul2_16, "imulw", uint16_t, "r") HOST2(h_imul2_32, "imull", uint32_t, "r")
HOST2(h_bsf16, "bsfw", uint16_t, "r") HOST2(h_bsf32, "bsfl", uint32_t, "r")
HOST2(h_bsr16, "bsrw", uint16_t, "r") HOST2(h_bsr32, "bsrl", uint32_t, "r")
HOST2(h_bt16, "btw", uint16_t, "r") HOST2(h_bt32, "btl", uint32_t, "r")
HOST2(h_bts16, "btsw", uint16_t, "r") HOST2(h_bts32, "btsl", uint32_t, "r")
HOST2(h_btr16, "btrw", uint16_t, "r") HOST2(h_btr32, "btrl", uint32_t, "r")
HOST2(h_btc16, "btcw", uint16_t, "r") HOST2(h_btc32, "btcl", uint32_t, "r")

/* One-operand MUL/IMUL/DIV/IDIV: accumulator pair in/out as (lo, hi). */
#define HOSTMD(NAME, INSN, T, C)                                                 \
    static void NAME(uint32_t *lo, uint32_t *hi, uint32_t s0, uint64_t fin,      \
                     uint64_t *fout)                                             \
    {                                                                            \
        T a = (T)*lo, d = (T)*hi, s = (T)s0;                                     \
        uint64_t f;                                                              \
        __asm__ volatile(ASM_PRE INSN " %[s]" ASM_POST                           \
                         : "+a"(a), "+d"(d), [fo] "=&r"(f)                       \
                         : [s] C(s), [fi] "r"(fin) : "cc", "memory");            \
        *lo = a;                                                                 \
        *hi = d;                                                                 \
        *fout = f;                                                               \
    }
/* 8-bit forms use AX only (AH is the "high" part). */
#define HOSTMD8(NAME, INSN)                                                      \
    static void NAME(uint32_t *lo, uint32_t *hi, uint32_t s0, uint64_t fin,      \
                     uint64_t *fout)                                             \
    {                                                                            \
        uint16_t ax = (uint16_t)((*hi << 8) | (*lo & 0xff));                     \
        uint8_t s = (uint8_t)s0;                                                 \
        uint64_t f;                                                              \
        __asm__ volatile(ASM_PRE INSN " %[s]" ASM_POST                           \
                         : "+a"(ax), [fo] "=&r"(f)                               \
                         : [s] "q"(s), [fi] "r"(fin) : "cc", "memory");          \
        *lo = ax & 0xff;                                                         \
        *hi = ax >> 8;                                                           \
        *fout = f;                                                               \
    }
HOSTMD8(h_mul8, "mulb") HOSTMD8(h_imul8, "imulb")
HOSTMD8(h_div8, "divb") HOSTMD8(h_idiv8, "idivb")
HOSTMD(h_mul16, "mulw", uint16_t, "r") HOSTMD(h_imul16, "imulw", uint16_t, "r")
HOSTMD(h_div16, "divw", uint16_t, "r") HOSTMD(h_idiv16, "idivw", uint16_t, "r")
HOSTMD(h_mul32, "mull", uint32_t, "r") HOSTMD(h_imul32, "imull", uint32_t, "r")
HOSTMD(h_div32, "divl", uint32_t, "r") HOSTMD(h_idiv32, "idivl", uint32_t, "r")

/* ---- comparison bookkeeping ---- */

#define NCASES 20000

struct tally {
    const char *name;
    unsigned size;
    unsigned cases, bad;
    unsigned undef_cases;
    unsigned undef_diff[12];    /* per flag bit 0..11 */
    char first[200];
};

static void tally_case(struct tally *t, uint32_t er, uint32_t hr, uint32_t ef, uint32_t hf,
                       uint32_t undef, bool cmp_result, const char *what)
{
    uint32_t diff = (ef ^ hf) & FL_ARITH;
    bool ok = (!cmp_result || er == hr) && !(diff & ~undef);

    t->cases++;
    if (undef) {
        t->undef_cases++;
        for (unsigned b = 0; b < 12; b++)
            if (diff & undef & (1u << b))
                t->undef_diff[b]++;
    }
    if (!ok && t->bad++ == 0)
        snprintf(t->first, sizeof t->first,
                 "%s: rawbox %08x fl %03x, host %08x fl %03x (undef mask %03x)",
                 what, er, ef & FL_ARITH, hr, hf & FL_ARITH, undef);
}

static const char *flag_name(unsigned bit)
{
    switch (1u << bit) {
    case FL_CF: return "CF";
    case FL_PF: return "PF";
    case FL_AF: return "AF";
    case FL_ZF: return "ZF";
    case FL_SF: return "SF";
    case FL_OF: return "OF";
    default: return "?";
    }
}

static void tally_report(struct tally *t)
{
    CHECK(t->bad == 0, "%s%u: result and defined flags match host (%u cases)%s%s",
          t->name, t->size * 8, t->cases, t->bad ? " -- first mismatch: " : "", t->first);
    for (unsigned b = 0; b < 12; b++)
        if (t->undef_diff[b])
            printf("info %s%u: undefined %s differs from host in %u of %u cases\n",
                   t->name, t->size * 8, flag_name(b), t->undef_diff[b], t->undef_cases);
}

/* Condition codes from materialised flags, the SDM definitions. */
static bool cond_ref(uint32_t f, unsigned cc)
{
    bool cf = f & FL_CF, zf = f & FL_ZF, sf = f & FL_SF, of = f & FL_OF, pf = f & FL_PF, r;
    switch (cc >> 1) {
    case 0: r = of; break;
    case 1: r = cf; break;
    case 2: r = zf; break;
    case 3: r = cf || zf; break;
    case 4: r = sf; break;
    case 5: r = pf; break;
    case 6: r = sf != of; break;
    default: r = zf || sf != of; break;
    }
    return r ^ (cc & 1);
}

static unsigned cond_bad;

/* Evaluate every condition on the lazy state, then materialise and return
 * the arithmetic flags. */
static uint32_t emu_flags(void)
{
    bool lazy[16];
    for (unsigned cc = 0; cc < 16; cc++)
        lazy[cc] = cpu_cond(&cpu, cc);
    uint32_t f = flags_get(&cpu);
    for (unsigned cc = 0; cc < 16; cc++)
        if (lazy[cc] != cond_ref(f, cc) || cpu_cond(&cpu, cc) != lazy[cc])
            cond_bad++;
    return f & FL_ARITH;
}

static void emu_start(uint64_t fin)
{
    flags_set(&cpu, (uint32_t)fin);
}

static uint64_t rnd_flags(void)
{
    return (rnd() & FL_ARITH) | 2;
}

/* ---- families ---- */

typedef uint32_t (*host2_fn)(uint32_t, uint32_t, uint64_t, uint64_t *);

static void test_alu(void)
{
    static const struct { const char *n; int op; host2_fn h[3]; } ops[] = {
        { "add", ALU_ADD, { h_add8, h_add16, h_add32 } },
        { "or",  ALU_OR,  { h_or8, h_or16, h_or32 } },
        { "adc", ALU_ADC, { h_adc8, h_adc16, h_adc32 } },
        { "sbb", ALU_SBB, { h_sbb8, h_sbb16, h_sbb32 } },
        { "and", ALU_AND, { h_and8, h_and16, h_and32 } },
        { "sub", ALU_SUB, { h_sub8, h_sub16, h_sub32 } },
        { "xor", ALU_XOR, { h_xor8, h_xor16, h_xor32 } },
        { "cmp", ALU_CMP, { h_cmp8, h_cmp16, h_cmp32 } },
        { "test", 8,      { h_test8, h_test16, h_test32 } },
    };
    for (unsigned k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        for (unsigned si = 0; si < 3; si++) {
            unsigned size = 1u << si;
            struct tally t = { .name = ops[k].n, .size = size };
            for (unsigned n = 0; n < NCASES; n++) {
                uint32_t a = opnd(size), b = opnd(size), er, hr;
                uint64_t fin = rnd_flags(), hf;
                emu_start(fin);
                if (ops[k].op == 8) {
                    flags_lazy(&cpu, LF_LOGIC, size, a, b, a & b);
                    er = a;
                } else {
                    er = alu_op(&cpu, (unsigned)ops[k].op, size, a, b);
                    if (ops[k].op == ALU_CMP)
                        er = a;
                }
                uint32_t ef = emu_flags();
                hr = ops[k].h[si](a, b, fin, &hf) & sz_mask(size);
                bool logic = ops[k].op == ALU_OR || ops[k].op == ALU_AND ||
                             ops[k].op == ALU_XOR || ops[k].op == 8;
                tally_case(&t, er, hr, ef, (uint32_t)hf, logic ? FL_AF : 0, true, "case");
            }
            tally_report(&t);
        }
    }
}

static void test_unary(void)
{
    static const struct { const char *n; int kind; host2_fn h[3]; } ops[] = {
        { "inc", 0, { h_inc8, h_inc16, h_inc32 } },
        { "dec", 1, { h_dec8, h_dec16, h_dec32 } },
        { "neg", 2, { h_neg8, h_neg16, h_neg32 } },
        { "not", 3, { h_not8, h_not16, h_not32 } },
    };
    for (unsigned k = 0; k < 4; k++) {
        for (unsigned si = 0; si < 3; si++) {
            unsigned size = 1u << si;
            struct tally t = { .name = ops[k].n, .size = size };
            for (unsigned n = 0; n < NCASES; n++) {
                uint32_t a = opnd(size), er;
                uint64_t fin = rnd_flags(), hf;
                emu_start(fin);
                switch (ops[k].kind) {
                case 0: er = alu_inc(&cpu, size, a); break;
                case 1: er = alu_dec(&cpu, size, a); break;
                case 2: er = alu_neg(&cpu, size, a); break;
                default: er = ~a & sz_mask(size); break;
                }
                uint32_t ef = emu_flags();
                uint32_t hr = ops[k].h[si](a, 0, fin, &hf) & sz_mask(size);
                tally_case(&t, er, hr, ef, (uint32_t)hf, 0, true, "case");
            }
            tally_report(&t);
        }
    }
}

static void test_shift(void)
{
    static const struct { const char *n; unsigned kind; host2_fn h[3]; } ops[] = {
        { "rol", SH_ROL, { h_rol8, h_rol16, h_rol32 } },
        { "ror", SH_ROR, { h_ror8, h_ror16, h_ror32 } },
        { "rcl", SH_RCL, { h_rcl8, h_rcl16, h_rcl32 } },
        { "rcr", SH_RCR, { h_rcr8, h_rcr16, h_rcr32 } },
        { "shl", SH_SHL, { h_shl8, h_shl16, h_shl32 } },
        { "shr", SH_SHR, { h_shr8, h_shr16, h_shr32 } },
        { "sar", SH_SAR, { h_sar8, h_sar16, h_sar32 } },
    };
    for (unsigned k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        for (unsigned si = 0; si < 3; si++) {
            unsigned size = 1u << si, bits = size * 8;
            struct tally t = { .name = ops[k].n, .size = size };
            /* Counts: every value 0..40 plus random bytes (masked to 5 bits). */
            for (unsigned n = 0; n < NCASES; n++) {
                uint32_t a = opnd(size), cnt = n < 41 * 64 ? n % 41 : (uint32_t)rnd() & 0xff;
                uint64_t fin = rnd_flags(), hf;
                struct shift_pend p;
                emu_start(fin);
                uint32_t er = shift_calc(&cpu, ops[k].kind, size, a, cnt, &p);
                shift_commit(&cpu, &p);
                uint32_t ef = emu_flags();
                uint32_t hr = ops[k].h[si](a, cnt, fin, &hf) & sz_mask(size);
                unsigned c = cnt & 31;
                uint32_t undef = 0;
                if (c != 0) {
                    if (c != 1)
                        undef |= FL_OF;
                    if (ops[k].kind >= SH_SHL)
                        undef |= FL_AF;
                    if ((ops[k].kind == SH_SHL || ops[k].kind == SH_SHR) && c >= bits)
                        undef |= FL_CF;
                }
                tally_case(&t, er, hr, ef, (uint32_t)hf, undef, true, "case");
            }
            tally_report(&t);
        }
    }
}

typedef uint32_t (*hostd_fn)(uint32_t, uint32_t, uint32_t, uint64_t, uint64_t *);

static void test_shiftd(void)
{
    static const struct { const char *n; int left; unsigned size; hostd_fn h; } ops[] = {
        { "shld", 1, 2, h_shld16 }, { "shld", 1, 4, h_shld32 },
        { "shrd", 0, 2, h_shrd16 }, { "shrd", 0, 4, h_shrd32 },
    };
    for (unsigned k = 0; k < 4; k++) {
        unsigned size = ops[k].size, bits = size * 8;
        struct tally t = { .name = ops[k].n, .size = size };
        struct tally big = { .name = ops[k].left ? "shld-count>16-" : "shrd-count>16-",
                             .size = size };
        for (unsigned n = 0; n < NCASES; n++) {
            uint32_t a = opnd(size), b = opnd(size), cnt = (uint32_t)rnd() & 0xff;
            uint64_t fin = rnd_flags(), hf;
            struct shift_pend p;
            emu_start(fin);
            uint32_t er = shiftd_calc(&cpu, ops[k].left, size, a, b, cnt, &p);
            shift_commit(&cpu, &p);
            uint32_t ef = emu_flags();
            uint32_t hr = ops[k].h(a, b, cnt, fin, &hf) & sz_mask(size);
            unsigned c = cnt & 31;
            if (c > bits) {
                /* Result and flags undefined: report only. */
                tally_case(&big, er, hr, ef, (uint32_t)hf, FL_ARITH, false, "case");
                continue;
            }
            uint32_t undef = c == 0 ? 0 : FL_AF | (c != 1 ? FL_OF : 0);
            tally_case(&t, er, hr, ef, (uint32_t)hf, undef, true, "case");
        }
        tally_report(&t);
        if (big.cases) {
            unsigned same = 0;
            /* Count how often the host result matches the P6 dest:src:dest model. */
            for (unsigned n = 0; n < 2000; n++) {
                uint32_t a = opnd(size), b = opnd(size), cnt = 17 + (uint32_t)(rnd() % 15);
                uint64_t hf;
                struct shift_pend p;
                emu_start(2);
                uint32_t er = shiftd_calc(&cpu, ops[k].left, size, a, b, cnt, &p);
                if ((ops[k].h(a, b, cnt, 2, &hf) & 0xffff) == er)
                    same++;
            }
            printf("info %s16 counts 17..31 (undefined): host result equals the P6 "
                   "model in %u of 2000 cases\n", ops[k].n, same);
        }
    }
}

typedef void (*hostmd_fn)(uint32_t *, uint32_t *, uint32_t, uint64_t, uint64_t *);

static void test_mul(void)
{
    static const struct { const char *n; int sign; hostmd_fn h[3]; } ops[] = {
        { "mul", 0, { h_mul8, h_mul16, h_mul32 } },
        { "imul", 1, { h_imul8, h_imul16, h_imul32 } },
    };
    for (unsigned k = 0; k < 2; k++) {
        for (unsigned si = 0; si < 3; si++) {
            unsigned size = 1u << si;
            struct tally t = { .name = ops[k].n, .size = size };
            for (unsigned n = 0; n < NCASES; n++) {
                uint32_t a = opnd(size), s = opnd(size), lo = a, hi = 0;
                uint64_t fin = rnd_flags(), hf;
                cpu.s.gpr[R_EAX] = a;
                cpu.s.gpr[R_EDX] = 0;
                emu_start(fin);
                muldiv_mul(&cpu, size, ops[k].sign, s);
                uint32_t ef = emu_flags();
                uint32_t elo = size == 1 ? reg8(&cpu, 0) : reg_get(&cpu, R_EAX, size);
                uint32_t ehi = size == 1 ? reg8(&cpu, 4) : reg_get(&cpu, R_EDX, size);
                ops[k].h[si](&lo, &hi, s, fin, &hf);
                uint64_t ecomb = ((uint64_t)ehi << 32) | elo, hcomb = ((uint64_t)hi << 32) | lo;
                tally_case(&t, (uint32_t)(ecomb ^ (ecomb >> 29)), (uint32_t)(hcomb ^ (hcomb >> 29)),
                           ef, (uint32_t)hf, FL_SF | FL_ZF | FL_AF | FL_PF, true, "case");
                if (ecomb != hcomb)
                    t.bad++;
            }
            tally_report(&t);
        }
    }
    static const host2_fn h2[2] = { h_imul2_16, h_imul2_32 };
    for (unsigned si = 1; si < 3; si++) {
        unsigned size = 1u << si;
        struct tally t = { .name = "imul-2op", .size = size };
        for (unsigned n = 0; n < NCASES; n++) {
            uint32_t a = opnd(size), b = opnd(size);
            uint64_t fin = rnd_flags(), hf;
            emu_start(fin);
            uint32_t er = muldiv_imul(&cpu, size, a, b);
            uint32_t ef = emu_flags();
            uint32_t hr = h2[si - 1](a, b, fin, &hf) & sz_mask(size);
            tally_case(&t, er, hr, ef, (uint32_t)hf, FL_SF | FL_ZF | FL_AF | FL_PF, true, "case");
        }
        tally_report(&t);
    }
}

static sigjmp_buf fpe_jmp;
static void on_fpe(int sig)
{
    (void)sig;
    siglongjmp(fpe_jmp, 1);
}

/* Run a host divide; true when it raised #DE (SIGFPE). */
static __attribute__((noinline)) bool host_div(hostmd_fn h, uint32_t *lo, uint32_t *hi,
                                               uint32_t s, uint64_t fin, uint64_t *hf)
{
    if (sigsetjmp(fpe_jmp, 1))
        return true;
    h(lo, hi, s, fin, hf);
    return false;
}

static void test_div(void)
{
    static const struct { const char *n; int sign; hostmd_fn h[3]; } ops[] = {
        { "div", 0, { h_div8, h_div16, h_div32 } },
        { "idiv", 1, { h_idiv8, h_idiv16, h_idiv32 } },
    };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fpe;
    sigaction(SIGFPE, &sa, NULL);

    for (unsigned k = 0; k < 2; k++) {
        for (unsigned si = 0; si < 3; si++) {
            unsigned size = 1u << si;
            unsigned cases = 0, bad = 0, faults = 0, fl_changed = 0;
            char first[160] = "";
            for (unsigned n = 0; n < NCASES; n++) {
                uint32_t lo = opnd(size), hi = opnd(size), s = opnd(size);
                if (n % 3 == 0)     /* mostly valid quotients */
                    hi = ops[k].sign ? ((lo & (1u << (size * 8 - 1))) ? sz_mask(size) : 0)
                                    : (s ? hi % s : hi);
                if (n % 7 == 0 && ops[k].sign) {    /* most negative / -1 */
                    hi = 1u << (size * 8 - 1);
                    lo = 0;
                    s = sz_mask(size);
                }
                uint64_t fin = rnd_flags(), hf = 0;
                if (size == 1)
                    cpu.s.gpr[R_EAX] = (hi << 8) | lo;
                else {
                    cpu.s.gpr[R_EAX] = lo;
                    cpu.s.gpr[R_EDX] = hi;
                }
                emu_start(fin);
                bool ok = muldiv_div(&cpu, size, ops[k].sign, s);
                uint32_t ef = emu_flags();
                uint32_t elo = size == 1 ? reg8(&cpu, 0) : reg_get(&cpu, R_EAX, size);
                uint32_t ehi = size == 1 ? reg8(&cpu, 4) : reg_get(&cpu, R_EDX, size);
                uint32_t hlo = lo, hhi = hi;
                bool hfault = host_div(ops[k].h[si], &hlo, &hhi, s, fin, &hf);
                cases++;
                if (hfault)
                    faults++;
                if (ef != ((uint32_t)fin & FL_ARITH))
                    fl_changed++;
                bool good = hfault ? !ok : (ok && elo == hlo && ehi == hhi);
                if (!good && bad++ == 0)
                    snprintf(first, sizeof first,
                             "hi %x lo %x / %x: rawbox %s %x:%x, host %s %x:%x", hi, lo, s,
                             ok ? "ok" : "#DE", ehi, elo, hfault ? "#DE" : "ok", hhi, hlo);
            }
            CHECK(bad == 0, "%s%u: quotient, remainder and #DE match host (%u cases, %u #DE)%s%s",
                  ops[k].n, size * 8, cases, faults, bad ? " -- first mismatch: " : "", first);
            CHECK(fl_changed == 0, "%s%u: flags unchanged (P6)", ops[k].n, size * 8);
        }
    }
    signal(SIGFPE, SIG_DFL);
}

static void test_bitscan(void)
{
    static const struct { const char *n; int rev; unsigned size; host2_fn h; } ops[] = {
        { "bsf", 0, 2, h_bsf16 }, { "bsf", 0, 4, h_bsf32 },
        { "bsr", 1, 2, h_bsr16 }, { "bsr", 1, 4, h_bsr32 },
    };
    for (unsigned k = 0; k < 4; k++) {
        unsigned size = ops[k].size;
        struct tally t = { .name = ops[k].n, .size = size };
        for (unsigned n = 0; n < NCASES; n++) {
            uint32_t src = n % 5 == 0 ? 0 : opnd(size), dst = opnd(size), idx = dst;
            uint64_t fin = rnd_flags(), hf;
            emu_start(fin);
            bitops_bsf(&cpu, ops[k].rev, size, src, &idx);
            uint32_t ef = emu_flags();
            uint32_t hr = ops[k].h(dst, src, fin, &hf) & sz_mask(size);
            tally_case(&t, idx, hr, ef, (uint32_t)hf,
                       FL_CF | FL_OF | FL_SF | FL_AF | FL_PF, true, "case");
        }
        tally_report(&t);
    }

    static const struct { const char *n; unsigned kind; unsigned size; host2_fn h; } bts[] = {
        { "bt", BT_BT, 2, h_bt16 }, { "bt", BT_BT, 4, h_bt32 },
        { "bts", BT_BTS, 2, h_bts16 }, { "bts", BT_BTS, 4, h_bts32 },
        { "btr", BT_BTR, 2, h_btr16 }, { "btr", BT_BTR, 4, h_btr32 },
        { "btc", BT_BTC, 2, h_btc16 }, { "btc", BT_BTC, 4, h_btc32 },
    };
    /* Register forms through the real handlers. */
    static const op_fn fns[4] = { op_bt_Ev_Gv, op_bts_Ev_Gv, op_btr_Ev_Gv, op_btc_Ev_Gv };
    for (unsigned k = 0; k < 8; k++) {
        unsigned size = bts[k].size;
        struct tally t = { .name = bts[k].n, .size = size };
        for (unsigned n = 0; n < NCASES; n++) {
            uint32_t v = opnd(size), off = (uint32_t)rnd() & sz_mask(size);
            uint64_t fin = rnd_flags(), hf;
            struct insn in = { .mod = 3, .rm = R_EBX, .reg = R_ECX, .opsize = (uint8_t)size };
            cpu.s.gpr[R_EBX] = v;
            cpu.s.gpr[R_ECX] = off;
            emu_start(fin);
            fns[bts[k].kind](&cpu, &in);
            uint32_t ef = emu_flags();
            uint32_t hr = bts[k].h(v, off, fin, &hf) & sz_mask(size);
            tally_case(&t, reg_get(&cpu, R_EBX, size), hr, ef, (uint32_t)hf,
                       FL_OF | FL_SF | FL_AF | FL_PF, true, "case");
        }
        tally_report(&t);
    }
}

/* ---- BCD ---- */

static unsigned to_bcd(unsigned v) { return ((v / 10) << 4) | (v % 10); }

static void set_al_flags(uint16_t ax, uint32_t fl)
{
    cpu.s.gpr[R_EAX] = ax;
    flags_set(&cpu, fl | 2);
}

static void test_bcd(void)
{
    unsigned bad = 0;
    /* Packed BCD: ADD (ADC with carry) then DAA gives the decimal sum. */
    for (unsigned a = 0; a < 100; a++)
        for (unsigned b = 0; b < 100; b++)
            for (unsigned c = 0; c < 2; c++) {
                set_al_flags((uint16_t)to_bcd(a), c ? FL_CF : 0);
                uint32_t r = alu_adc(&cpu, 1, to_bcd(a), to_bcd(b));
                set_reg8(&cpu, R_EAX, (uint8_t)r);
                bcd_daa(&cpu);
                unsigned sum = a + b + c;
                if (reg8(&cpu, R_EAX) != to_bcd(sum % 100) || flag_cf(&cpu) != (sum >= 100) ||
                    flag_zf(&cpu) != (sum % 100 == 0))
                    bad++;
            }
    CHECK(bad == 0, "daa after adc of packed BCD gives the decimal sum and carry (20000 cases)");

    bad = 0;
    for (unsigned a = 0; a < 100; a++)
        for (unsigned b = 0; b < 100; b++)
            for (unsigned c = 0; c < 2; c++) {
                set_al_flags((uint16_t)to_bcd(a), c ? FL_CF : 0);
                uint32_t r = alu_sbb(&cpu, 1, to_bcd(a), to_bcd(b));
                set_reg8(&cpu, R_EAX, (uint8_t)r);
                bcd_das(&cpu);
                int d = (int)a - (int)b - (int)c;
                if (reg8(&cpu, R_EAX) != to_bcd((unsigned)((d + 100) % 100)) ||
                    flag_cf(&cpu) != (d < 0))
                    bad++;
            }
    CHECK(bad == 0, "das after sbb of packed BCD gives the decimal difference and borrow");

    bad = 0;
    for (unsigned a = 0; a < 10; a++)
        for (unsigned b = 0; b < 10; b++)
            for (unsigned ah = 0; ah < 256; ah += 17) {
                set_al_flags((uint16_t)(ah << 8 | a), 0);
                uint32_t r = alu_add(&cpu, 1, a, b);
                set_reg8(&cpu, R_EAX, (uint8_t)r);
                bcd_aaa(&cpu);
                unsigned s = a + b;
                uint16_t want = (uint16_t)((((ah + (s >= 10)) & 0xff) << 8) | (s % 10));
                if (reg16(&cpu, R_EAX) != want || flag_cf(&cpu) != (s >= 10) ||
                    flag_af(&cpu) != (s >= 10))
                    bad++;
                set_al_flags((uint16_t)(ah << 8 | a), 0);
                r = alu_sub(&cpu, 1, a, b);
                set_reg8(&cpu, R_EAX, (uint8_t)r);
                bcd_aas(&cpu);
                int d = (int)a - (int)b;
                want = (uint16_t)((((ah - (d < 0)) & 0xff) << 8) | (unsigned)((d + 10) % 10));
                if (reg16(&cpu, R_EAX) != want || flag_cf(&cpu) != (d < 0))
                    bad++;
            }
    CHECK(bad == 0, "aaa/aas after add/sub of unpacked digits give the decimal digit and carry");

    /* SDM examples and P6 facts. */
    set_al_flags(0x00ae, 0);
    bcd_daa(&cpu);
    CHECK(reg8(&cpu, 0) == 0x14 && flag_cf(&cpu) && flag_af(&cpu), "daa: AEh -> 14h CF=1 AF=1 (SDM)");
    set_al_flags(0x00ee, FL_CF | FL_AF);
    bcd_das(&cpu);
    CHECK(reg8(&cpu, 0) == 0x88 && flag_cf(&cpu) && flag_af(&cpu), "das: EEh CF AF -> 88h CF=1 (SDM)");
    set_al_flags(0x0003, FL_AF);
    bcd_das(&cpu);
    CHECK(reg8(&cpu, 0) == 0xfd && flag_cf(&cpu), "das: 03h AF=1 -> FDh, CF from the borrow of AL-6");
    set_al_flags(0x00fa, 0);
    bcd_aaa(&cpu);
    CHECK_EQ(reg16(&cpu, 0), 0x0200, "aaa: AL=FAh carries into AH (AX + 106h)");
    set_al_flags(0x0000, FL_AF);
    bcd_aas(&cpu);
    CHECK_EQ(reg16(&cpu, 0), 0xfe0a, "aas: AX=0 AF=1 -> FE0Ah (AX - 106h)");
    CHECK(!flag_zf(&cpu) && !flag_sf(&cpu) && !flag_of(&cpu), "aas: SF ZF from AL, OF=0");
    set_al_flags(0x004f, FL_OF | FL_CF | FL_AF);
    CHECK(bcd_aam(&cpu, 10) && reg16(&cpu, 0) == 0x0709, "aam 10: 79 -> AX=0709h");
    CHECK(!flag_cf(&cpu) && !flag_of(&cpu) && !flag_af(&cpu) && !flag_zf(&cpu),
          "aam: OF AF CF cleared, ZF from AL");
    set_al_flags(0x1234, 0);
    CHECK(!bcd_aam(&cpu, 0) && reg16(&cpu, 0) == 0x1234, "aam 0: #DE, AX unchanged");
    set_al_flags(0x0709, 0);
    bcd_aad(&cpu, 10);
    CHECK_EQ(reg16(&cpu, 0), 0x004f, "aad 10: AX=0709h -> 004Fh");
    set_al_flags(0x0203, 0);
    bcd_aad(&cpu, 16);
    CHECK_EQ(reg16(&cpu, 0), 0x0023, "aad 16: AX=0203h -> 0023h");
    set_al_flags(0x0a00 | 0x06, 0);
    bcd_aad(&cpu, 25);
    CHECK(reg16(&cpu, 0) == 0x0000 && flag_zf(&cpu) && flag_pf(&cpu),
          "aad 25: 10*25+6 wraps to 0, ZF=PF=1");
}

/* Lazy-flag plumbing that the random tests do not reach directly. */
static void test_plumbing(void)
{
    flags_set(&cpu, 0xffffffffu);
    CHECK_EQ(flags_get(&cpu), 0x003f7fd7u, "flags_set keeps only P6-writable bits, bit 1 set");
    flags_set(&cpu, 0);
    CHECK_EQ(flags_get(&cpu), 2, "flags_set(0) reads back as 2");
    alu_sub(&cpu, 4, 5, 7);
    flags_set_bits(&cpu, FL_DF, true);
    CHECK_EQ(flags_get(&cpu) & (FL_ARITH | FL_DF),
             FL_CF | FL_SF | FL_AF | FL_DF | FL_PF * 0,
             "flags_set_bits materialises 5-7 then sets DF");
    alu_add(&cpu, 4, 0xffffffffu, 1);
    (void)alu_inc(&cpu, 4, 0x7fffffffu);
    CHECK(flag_cf(&cpu) && flag_of(&cpu) && flag_sf(&cpu) && !flag_zf(&cpu),
          "inc keeps CF of the previous add and sets OF on 7FFFFFFFh");
    CHECK(cond_bad == 0, "cpu_cond on lazy state agrees with materialised flags (%u mismatches)",
          cond_bad);
}

/* 64-bit lazy records (no instruction produces them yet; long mode's
 * handlers will): each flag from bit 63, and the condition shortcuts. */
static void test_lazy64(void)
{
    const uint64_t top = 1ull << 63;
    flags_lazy(&cpu, LF_ADD, 8, top, top, 0);
    CHECK(flag_cf(&cpu) && flag_of(&cpu) && flag_zf(&cpu) && !flag_sf(&cpu),
          "64-bit ADD 8000..0 + 8000..0: CF OF ZF, not SF");
    flags_lazy(&cpu, LF_ADD, 8, 0xffffffffull, 1, 0x100000000ull);
    CHECK(!flag_cf(&cpu) && !flag_zf(&cpu) && !flag_of(&cpu),
          "64-bit ADD FFFFFFFF + 1: no carry out of bit 31 counts");
    flags_lazy(&cpu, LF_SUB, 8, 1, 2, ~0ull);
    CHECK(flag_cf(&cpu) && flag_sf(&cpu) && !flag_of(&cpu), "64-bit SUB 1 - 2: CF SF");
    CHECK(cpu_cond(&cpu, 0x2) && cpu_cond(&cpu, 0xc) && !cpu_cond(&cpu, 0x4),
          "64-bit CMP 1, 2: B and L true, Z false");
    flags_lazy(&cpu, LF_SUB, 8, top, 1, top - 1);
    CHECK(flag_of(&cpu) && !flag_sf(&cpu) && cpu_cond(&cpu, 0xc),
          "64-bit CMP min, 1: OF, SF clear, L (SF != OF)");
    flags_lazy(&cpu, LF_INC, 8, top - 1, 0, top);
    CHECK(flag_of(&cpu) && flag_sf(&cpu), "64-bit INC 7FFF..F: OF SF");
    flags_lazy(&cpu, LF_DEC, 8, top, 0, top - 1);
    CHECK(flag_of(&cpu) && !flag_sf(&cpu), "64-bit DEC 8000..0: OF, not SF");
    flags_lazy(&cpu, LF_SHL, 8, 3ull << 62, 1, 1ull << 63);
    CHECK(flag_cf(&cpu) && !flag_of(&cpu), "64-bit SHL 1 of C000..0: CF from bit 63, OF = 0");
    flags_lazy(&cpu, LF_SHL, 8, 1, 63, top);
    CHECK(!flag_cf(&cpu) && flag_sf(&cpu), "64-bit SHL 63 of 1: CF = bit 1, SF");
    flags_lazy(&cpu, LF_SAR, 8, 3ull << 62, 63, ~0ull);
    CHECK(flag_cf(&cpu), "64-bit SAR 63 of C000..0: CF = bit 62");
    flags_lazy(&cpu, LF_SAR, 8, top, 63, ~0ull);
    CHECK(!flag_cf(&cpu), "64-bit SAR 63 of 8000..0: CF = bit 62 = 0");
    flags_lazy(&cpu, LF_LOGIC, 8, 0, 0, top);
    CHECK(cpu_cond(&cpu, 0x8) && cpu_cond(&cpu, 0xc) && !cpu_cond(&cpu, 0x4),
          "64-bit logic result with bit 63: S and L true");
    flags_materialize(&cpu);
    CHECK_EQ(flags_get(&cpu) & FL_ARITH, FL_SF | FL_PF, "materialised 64-bit logic: SF PF");

    cpu.s.gpr[R_EAX] = 0x1122334455667788ull;
    CHECK_EQ(reg_get(&cpu, R_EAX, 8), 0x1122334455667788ull, "reg_get size 8");
    reg_set(&cpu, R_EAX, 2, 0xaaaa);
    CHECK_EQ(cpu.s.gpr[R_EAX], 0x112233445566aaaaull, "16-bit write keeps bits 63:16");
    reg_set(&cpu, R_EAX, 4, 0xbbbbbbbb);
    CHECK_EQ(cpu.s.gpr[R_EAX], 0xbbbbbbbbull, "32-bit write zeroes bits 63:32");
    reg_set(&cpu, R_EAX, 8, 0xfedcba9876543210ull);
    CHECK_EQ(reg_get(&cpu, R_EAX, 8), 0xfedcba9876543210ull, "reg_set size 8");
}

int main(void)
{
    test_lazy64();
    test_alu();
    test_unary();
    test_shift();
    test_shiftd();
    test_mul();
    test_div();
    test_bitscan();
    test_bcd();
    test_plumbing();
    return test_summary();
}
