/* Lazy arithmetic flags: computing OF/SF/ZF/AF/PF/CF from the record the
 * last flag-producing instruction left in cpu->s.lf (see flags.h), EFLAGS
 * materialisation, and the Jcc/SETcc/CMOVcc condition evaluator.
 *
 * Follows Intel SDM vol. 1 §3.4.3 (status flags) and appendix A (EFLAGS
 * cross-reference), vol. 2 instruction pages for each flag's definition.
 * Carry and borrow are computed from the operands and the result with the
 * bitwise carry formulas, which hold for any carry-in, so ADC/SBB need no
 * extra state.
 *
 * Undefined flags. Where the SDM calls a flag undefined, rawbox produces what
 * a P6-family CPU (Pentium Pro/II/III) produces. Sources: Bochs (whose
 * authors check undefined flags against Intel hardware and pick the P6
 * variant where Intel generations differ: SHLD/SHRD counts > 16), reports of
 * Intel hardware of the period (e.g. SHL AH,0FFh under Windows XP leaving
 * OF=AF=CF=0), the SDM pseudo-code where it fixes a value anyway. The host
 * cross-check (tests/unit/cpu/flags_test.c) ran on an AMD EPYC (Zen); its
 * "info" lines count where that host differs. The AMD column records what
 * it showed, for reference only; rawbox does not follow it.
 *
 *  instruction          flag(s)      rawbox (P6)                   AMD Zen host
 *  -------------------  -----------  ----------------------------  -------------
 *  AND OR XOR TEST      AF           0                             0
 *  SHL SHR SAR (cnt!=0) AF           0                             1
 *  SHL count > 1        OF           MSB(result) XOR CF            same
 *  SHR count > 1        OF           result[msb] XOR result[msb-1] same
 *                                    (= 0 for every count >= 2)
 *  SAR count > 1        OF           0                             same
 *  SHL/SHR count>=width CF           last bit shifted out of the   same
 *  (8/16-bit operands)               operand as if in a wide
 *                                    register (0 past the width)
 *  ROL count != 1       OF           MSB(result) XOR CF            same
 *  ROR count != 1       OF           result[msb] XOR result[msb-1] same
 *  RCL count != 1       OF           MSB(result) XOR CF (new)      same
 *  RCR count != 1       OF           result[msb] XOR result[msb-1] same
 *  SHLD/SHRD (cnt!=0)   AF           0                             1
 *  SHLD count > 1       OF           MSB(result) XOR CF            same (32);
 *                                                                  differs
 *                                                                  rarely (16)
 *  SHRD count > 1       OF           result[msb] XOR result[msb-1] same
 *  SHLD/SHRD 16-bit,    result, CF   P6 shifts dest:src:dest (48   other
 *  count 17..31                      bits); CF = last bit out      pattern
 *  MUL IMUL (all forms) SF ZF PF     from the low half of the      unchanged
 *                                    product as written (AL, AX,
 *                                    EAX, or the destination)
 *                       AF           0                             unchanged
 *  DIV IDIV             all six      unchanged                     AF=1,
 *                                                                  SF=ZF=PF=0,
 *                                                                  CF OF kept
 *  BSF BSR (src != 0)   CF OF AF     0; SF PF from the index       same
 *  BSF BSR (src == 0)   ZF=1, others and the destination           ZF=PF=1,
 *                       unchanged                                  others 0
 *  BT BTS BTR BTC       OF SF AF PF  unchanged (only CF written)   same
 *  DAA DAS              OF           0 (Bochs; P5/P6-era reports)  n/a (64-bit)
 *  AAA AAS              OF SF ZF PF  OF=0; SF ZF PF from AL after
 *                                    the adjustment (AL & 0Fh)
 *  AAM                  OF AF CF     0; SF ZF PF from AL
 *  AAD                  OF AF CF     0; SF ZF PF from AL
 *
 * Leaves out: nothing in the integer flag set; DF/IF/TF etc. are plain bits.
 */
#include "cpu/flags.h"

const uint8_t parity_table[256] = {
#define P2(n) n, n ^ 4, n ^ 4, n
#define P4(n) P2(n), P2(n ^ 4), P2(n ^ 4), P2(n)
#define P6(n) P4(n), P4(n ^ 4), P4(n ^ 4), P4(n)
    P6(4), P6(0), P6(0), P6(4)
#undef P2
#undef P4
#undef P6
};

/* Bit number of the sign bit for a size in bytes (1, 2, 4, 8). */
static inline unsigned lf_top(unsigned size)
{
    return (size << 3) - 1;
}

static inline int64_t lf_sext(uint64_t v, unsigned size)
{
    unsigned sh = 64 - (size << 3);
    return (int64_t)(v << sh) >> sh;
}

static bool lf_cf(const struct cpu *cpu)
{
    const struct lazyflags *lf = &cpu->s.lf;
    uint64_t a = lf->src1, b = lf->src2, r = lf->res;
    unsigned top = lf_top(lf->size);
    int q = flags_cf_quick(lf);

    if (q >= 0)
        return q;
    switch (lf->op) {
    case LF_ADC:
        return (((a & b) | ((a | b) & ~r)) >> top) & 1;
    case LF_SBB:
        return (((~a & b) | ((~a | b) & r)) >> top) & 1;
    case LF_INC:
    case LF_DEC:
        return b & 1;
    case LF_SHL:
        /* Last bit shifted out of the operand (count b >= 1); 0 once the
         * count passes the operand width (8/16-bit operands with counts up
         * to 31). */
        return b <= top + 1 ? (a >> (top + 1 - b)) & 1 : 0;
    case LF_SHR:
        return (a >> (b - 1)) & 1;
    case LF_SAR:
        return (lf_sext(a, lf->size) >> (b - 1)) & 1;
    case LF_SZP:
        return (b & FL_CF) != 0;
    default:
        return (cpu->s.rflags & FL_CF) != 0;
    }
}

static bool lf_of(const struct cpu *cpu)
{
    const struct lazyflags *lf = &cpu->s.lf;
    uint64_t a = lf->src1, b = lf->src2, r = lf->res;
    unsigned top = lf_top(lf->size);

    switch (lf->op) {
    case LF_ADD:
    case LF_ADC:
        return (((a ^ r) & (b ^ r)) >> top) & 1;
    case LF_SUB:
    case LF_SBB:
        return (((a ^ b) & (a ^ r)) >> top) & 1;
    case LF_LOGIC:
    case LF_SAR:
        return false;
    case LF_INC:
        return r == 1ull << top;
    case LF_DEC:
        return r == (1ull << top) - 1;
    case LF_SHL:
        return ((r >> top) & 1) ^ lf_cf(cpu);
    case LF_SHR:
        return (((r << 1) ^ r) >> top) & 1;
    case LF_SZP:
        return (b & FL_OF) != 0;
    default:
        return (cpu->s.rflags & FL_OF) != 0;
    }
}

static bool lf_af(const struct cpu *cpu)
{
    const struct lazyflags *lf = &cpu->s.lf;
    uint64_t a = lf->src1, b = lf->src2, r = lf->res;

    switch (lf->op) {
    case LF_ADD:
    case LF_ADC:
    case LF_SUB:
    case LF_SBB:
        return ((a ^ b ^ r) >> 4) & 1;
    case LF_INC:
        return (r & 0xf) == 0;
    case LF_DEC:
        return (r & 0xf) == 0xf;
    case LF_LOGIC:
    case LF_SHL:
    case LF_SHR:
    case LF_SAR:
        return false;
    case LF_SZP:
        return (b & FL_AF) != 0;
    default:
        return (cpu->s.rflags & FL_AF) != 0;
    }
}

bool flag_cf(struct cpu *cpu) { return lf_cf(cpu); }
bool flag_of(struct cpu *cpu) { return lf_of(cpu); }
bool flag_af(struct cpu *cpu) { return lf_af(cpu); }

bool flag_zf(struct cpu *cpu)
{
    if (cpu->s.lf.op == LF_NONE)
        return (cpu->s.rflags & FL_ZF) != 0;
    return cpu->s.lf.res == 0;
}

bool flag_sf(struct cpu *cpu)
{
    if (cpu->s.lf.op == LF_NONE)
        return (cpu->s.rflags & FL_SF) != 0;
    return (cpu->s.lf.res >> lf_top(cpu->s.lf.size)) & 1;
}

bool flag_pf(struct cpu *cpu)
{
    if (cpu->s.lf.op == LF_NONE)
        return (cpu->s.rflags & FL_PF) != 0;
    return parity_table[cpu->s.lf.res & 0xff] != 0;
}

void flags_materialize(struct cpu *cpu)
{
    const struct lazyflags *lf = &cpu->s.lf;
    uint32_t f;

    if (lf->op == LF_NONE)
        return;
    f = parity_table[lf->res & 0xff];
    if (lf->res == 0)
        f |= FL_ZF;
    if ((lf->res >> lf_top(lf->size)) & 1)
        f |= FL_SF;
    if (lf_cf(cpu))
        f |= FL_CF;
    if (lf_of(cpu))
        f |= FL_OF;
    if (lf_af(cpu))
        f |= FL_AF;
    cpu->s.rflags = (cpu->s.rflags & ~FL_ARITH) | f;
    cpu->s.lf.op = LF_NONE;
}

uint32_t flags_get(struct cpu *cpu)
{
    flags_materialize(cpu);
    return cpu->s.rflags | 2;
}

/* Bits a P6 lets software hold in EFLAGS: everything defined up to ID. */
#define FL_WRITABLE (FL_ARITH | FL_TF | FL_IF | FL_DF | FL_IOPL | FL_NT | \
                     FL_RF | FL_VM | FL_AC | FL_VIF | FL_VIP | FL_ID)

void flags_set(struct cpu *cpu, uint32_t v)
{
    cpu->s.rflags = (v & FL_WRITABLE) | 2;
    cpu->s.lf.op = LF_NONE;
}

void flags_set_bits(struct cpu *cpu, uint32_t mask, bool on)
{
    flags_materialize(cpu);
    if (on)
        cpu->s.rflags |= mask;
    else
        cpu->s.rflags &= ~mask;
}

/* Condition codes, SDM vol. 1 appendix B. Compares (LF_SUB) and logic
 * results take shortcuts that read the operands directly; everything else
 * goes through the single-flag readers. */
bool cpu_cond(struct cpu *cpu, unsigned cc)
{
    const struct lazyflags *lf = &cpu->s.lf;
    int q = flags_cond_quick(lf, cc);
    bool r;

    if (q >= 0)
        return q;
    if (lf->op == LF_LOGIC) {
        int64_t s = lf_sext(lf->res, lf->size);
        switch (cc >> 1) {
        case 0: r = false; break;                      /* O */
        case 1: r = false; break;                      /* B */
        case 3: r = s == 0; break;                     /* BE */
        case 6: r = s < 0; break;                      /* L: SF != OF(0) */
        case 7: r = s <= 0; break;                     /* LE */
        default: goto generic;
        }
        return r ^ (cc & 1);
    }
generic:
    switch (cc >> 1) {
    case 0: r = lf_of(cpu); break;
    case 1: r = lf_cf(cpu); break;
    case 2: r = flag_zf(cpu); break;
    case 3: r = lf_cf(cpu) || flag_zf(cpu); break;
    case 4: r = flag_sf(cpu); break;
    case 5: r = flag_pf(cpu); break;
    case 6: r = flag_sf(cpu) != lf_of(cpu); break;
    default: r = flag_zf(cpu) || (flag_sf(cpu) != lf_of(cpu)); break;
    }
    return r ^ (cc & 1);
}
