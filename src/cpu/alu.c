/* Integer arithmetic and logic handlers: ADD OR ADC SBB AND SUB XOR CMP in
 * all forms (00-3D, group 1 80/81/82/83), TEST (84/85/A8/A9, F6/F7 /0 /1),
 * INC/DEC (40-4F, FE/FF /0 /1), NOT/NEG (F6/F7 /2 /3), and the one- to
 * three-operand MUL/IMUL/DIV/IDIV entry points (computation in muldiv.c).
 *
 * Intel SDM vol. 2: the instruction pages of each. Flags are recorded lazily
 * (flags.h): a flag-producing instruction stores only its lazy record. A
 * memory destination is read, computed, written, and only then are flags
 * recorded, so a faulting store leaves EFLAGS as before the instruction.
 * LOCK validity is checked by the decoder (F_LOCKABLE rows).
 */
#include "cpu/alu.h"

/* dst = dst OP b for a ModRM r/m destination (CMP writes nothing). */
static inline __attribute__((always_inline))
void alu_rm_dst(struct cpu *cpu, const struct insn *i, unsigned op, unsigned size, uint64_t b)
{
    unsigned lop;
    uint64_t a, r;

    if (i->mod == 3) {
        a = reg_get(cpu, i->rm, size);
        r = alu_calc(cpu, op, size, a, b, &lop);
        if (op != ALU_CMP)
            reg_set(cpu, i->rm, size, r);
    } else {
        uint64_t ea = insn_ea(cpu, i);
        a = op == ALU_CMP ? cpu_rd(cpu, i->seg, ea, size) : cpu_rd_rmw(cpu, i->seg, ea, size);
        r = alu_calc(cpu, op, size, a, b, &lop);
        if (op != ALU_CMP)
            cpu_wr(cpu, i->seg, ea, r, size);
    }
    flags_lazy(cpu, (enum lazy_op)lop, size, a, b, r);
}

/* reg = reg OP b. */
static inline __attribute__((always_inline))
void alu_reg_dst(struct cpu *cpu, unsigned reg, unsigned op, unsigned size, uint64_t b)
{
    uint64_t r = alu_op(cpu, op, size, reg_get(cpu, reg, size), b);
    if (op != ALU_CMP)
        reg_set(cpu, reg, size, r);
}

/* The ALU operation comes from the row (optable.def sub column). */
#define ALU_OPC(i) ((i)->sub)

void op_alu_Eb_Gb(struct cpu *cpu, const struct insn *i)
{
    alu_rm_dst(cpu, i, ALU_OPC(i), 1, reg8(cpu, i->reg));
}

void op_alu_Ev_Gv(struct cpu *cpu, const struct insn *i)
{
    unsigned size = i->opsize;
    alu_rm_dst(cpu, i, ALU_OPC(i), size, reg_get(cpu, i->reg, size));
}

void op_alu_Gb_Eb(struct cpu *cpu, const struct insn *i)
{
    uint64_t b = alu_rm_read(cpu, i, 1);
    alu_reg_dst(cpu, i->reg, ALU_OPC(i), 1, b);
}

void op_alu_Gv_Ev(struct cpu *cpu, const struct insn *i)
{
    unsigned size = i->opsize;
    uint64_t b = alu_rm_read(cpu, i, size);
    alu_reg_dst(cpu, i->reg, ALU_OPC(i), size, b);
}

void op_alu_AL_Ib(struct cpu *cpu, const struct insn *i)
{
    alu_reg_dst(cpu, R_EAX, ALU_OPC(i), 1, i->imm & 0xff);
}

void op_alu_eAX_Iz(struct cpu *cpu, const struct insn *i)
{
    unsigned size = i->opsize;
    alu_reg_dst(cpu, R_EAX, ALU_OPC(i), size, i->imm & sz_mask(size));
}

/* Group 1: the operation is ModRM.reg. */
void op_grp1_Eb_Ib(struct cpu *cpu, const struct insn *i)
{
    alu_rm_dst(cpu, i, i->sub, 1, i->imm & 0xff);
}

void op_grp1_Ev_Iz(struct cpu *cpu, const struct insn *i)
{
    unsigned size = i->opsize;
    alu_rm_dst(cpu, i, i->sub, size, i->imm & sz_mask(size));
}

void op_grp1_Ev_Ibs(struct cpu *cpu, const struct insn *i)
{
    unsigned size = i->opsize;
    alu_rm_dst(cpu, i, i->sub, size, i->imm & sz_mask(size));
}

/* ---- TEST ---- */

static inline void alu_test(struct cpu *cpu, unsigned size, uint64_t a, uint64_t b)
{
    flags_lazy(cpu, LF_LOGIC, size, a, b, a & b);
}

void op_test_Eb_Gb(struct cpu *cpu, const struct insn *i)
{
    alu_test(cpu, 1, alu_rm_read(cpu, i, 1), reg8(cpu, i->reg));
}

void op_test_Ev_Gv(struct cpu *cpu, const struct insn *i)
{
    unsigned size = i->opsize;
    alu_test(cpu, size, alu_rm_read(cpu, i, size), reg_get(cpu, i->reg, size));
}

void op_test_AL_Ib(struct cpu *cpu, const struct insn *i)
{
    alu_test(cpu, 1, reg8(cpu, R_EAX), i->imm & 0xff);
}

void op_test_eAX_Iz(struct cpu *cpu, const struct insn *i)
{
    unsigned size = i->opsize;
    alu_test(cpu, size, reg_get(cpu, R_EAX, size), i->imm & sz_mask(size));
}

void op_test_Eb_Ib(struct cpu *cpu, const struct insn *i)
{
    alu_test(cpu, 1, alu_rm_read(cpu, i, 1), i->imm & 0xff);
}

void op_test_Ev_Iz(struct cpu *cpu, const struct insn *i)
{
    unsigned size = i->opsize;
    alu_test(cpu, size, alu_rm_read(cpu, i, size), i->imm & sz_mask(size));
}

/* ---- INC / DEC / NOT / NEG ---- */

void op_inc_Zv(struct cpu *cpu, const struct insn *i)
{
    unsigned n = i->rm, size = i->opsize;
    reg_set(cpu, n, size, alu_inc(cpu, size, reg_get(cpu, n, size)));
}

void op_dec_Zv(struct cpu *cpu, const struct insn *i)
{
    unsigned n = i->rm, size = i->opsize;
    reg_set(cpu, n, size, alu_dec(cpu, size, reg_get(cpu, n, size)));
}

enum { UN_INC, UN_DEC, UN_NOT, UN_NEG };

/* One-operand read-modify-write on r/m: the store happens before the
 * flags are recorded. */
static inline __attribute__((always_inline))
void alu_unary(struct cpu *cpu, const struct insn *i, unsigned kind, unsigned size)
{
    uint64_t m = sz_mask(size), a, r, ea = 0;
    bool mem = i->mod != 3;

    if (mem) {
        ea = insn_ea(cpu, i);
        a = cpu_rd_rmw(cpu, i->seg, ea, size);
    } else {
        a = reg_get(cpu, i->rm, size);
    }
    switch (kind) {
    case UN_INC: r = (a + 1) & m; break;
    case UN_DEC: r = (a - 1) & m; break;
    case UN_NOT: r = ~a & m; break;
    default:     r = (0 - a) & m; break;
    }
    /* INC/DEC keep CF: read it before anything changes. */
    uint64_t cf = kind <= UN_DEC ? flag_cf(cpu) : 0;
    if (mem)
        cpu_wr(cpu, i->seg, ea, r, size);
    else
        reg_set(cpu, i->rm, size, r);
    switch (kind) {
    case UN_INC: flags_lazy(cpu, LF_INC, size, a, cf, r); break;
    case UN_DEC: flags_lazy(cpu, LF_DEC, size, a, cf, r); break;
    case UN_NOT: break;
    default:     flags_lazy(cpu, LF_SUB, size, 0, a, r); break;
    }
}

void op_inc_Eb(struct cpu *cpu, const struct insn *i) { alu_unary(cpu, i, UN_INC, 1); }
void op_dec_Eb(struct cpu *cpu, const struct insn *i) { alu_unary(cpu, i, UN_DEC, 1); }
void op_inc_Ev(struct cpu *cpu, const struct insn *i) { alu_unary(cpu, i, UN_INC, i->opsize); }
void op_dec_Ev(struct cpu *cpu, const struct insn *i) { alu_unary(cpu, i, UN_DEC, i->opsize); }
void op_not_Eb(struct cpu *cpu, const struct insn *i) { alu_unary(cpu, i, UN_NOT, 1); }
void op_not_Ev(struct cpu *cpu, const struct insn *i) { alu_unary(cpu, i, UN_NOT, i->opsize); }
void op_neg_Eb(struct cpu *cpu, const struct insn *i) { alu_unary(cpu, i, UN_NEG, 1); }
void op_neg_Ev(struct cpu *cpu, const struct insn *i) { alu_unary(cpu, i, UN_NEG, i->opsize); }

/* ---- MUL / IMUL / DIV / IDIV (group 3 /4../7, 0F AF, 69, 6B) ---- */

void op_mul_Eb(struct cpu *cpu, const struct insn *i)
{
    muldiv_mul(cpu, 1, 0, alu_rm_read(cpu, i, 1));
}

void op_imul_Eb(struct cpu *cpu, const struct insn *i)
{
    muldiv_mul(cpu, 1, 1, alu_rm_read(cpu, i, 1));
}

void op_mul_Ev(struct cpu *cpu, const struct insn *i)
{
    muldiv_mul(cpu, i->opsize, 0, alu_rm_read(cpu, i, i->opsize));
}

void op_imul_Ev(struct cpu *cpu, const struct insn *i)
{
    muldiv_mul(cpu, i->opsize, 1, alu_rm_read(cpu, i, i->opsize));
}

void op_div_Eb(struct cpu *cpu, const struct insn *i)
{
    if (!muldiv_div(cpu, 1, 0, alu_rm_read(cpu, i, 1)))
        except_raise(cpu, EXC_DE, EXC_NO_CODE);
}

void op_idiv_Eb(struct cpu *cpu, const struct insn *i)
{
    if (!muldiv_div(cpu, 1, 1, alu_rm_read(cpu, i, 1)))
        except_raise(cpu, EXC_DE, EXC_NO_CODE);
}

void op_div_Ev(struct cpu *cpu, const struct insn *i)
{
    if (!muldiv_div(cpu, i->opsize, 0, alu_rm_read(cpu, i, i->opsize)))
        except_raise(cpu, EXC_DE, EXC_NO_CODE);
}

void op_idiv_Ev(struct cpu *cpu, const struct insn *i)
{
    if (!muldiv_div(cpu, i->opsize, 1, alu_rm_read(cpu, i, i->opsize)))
        except_raise(cpu, EXC_DE, EXC_NO_CODE);
}

void op_imul_Gv_Ev(struct cpu *cpu, const struct insn *i)
{
    unsigned size = i->opsize;
    uint64_t b = alu_rm_read(cpu, i, size);
    reg_set(cpu, i->reg, size, muldiv_imul(cpu, size, reg_get(cpu, i->reg, size), b));
}

void op_imul_Gv_Ev_Iz(struct cpu *cpu, const struct insn *i)
{
    unsigned size = i->opsize;
    uint64_t a = alu_rm_read(cpu, i, size);
    reg_set(cpu, i->reg, size, muldiv_imul(cpu, size, a, i->imm & sz_mask(size)));
}

void op_imul_Gv_Ev_Ibs(struct cpu *cpu, const struct insn *i)
{
    unsigned size = i->opsize;
    uint64_t a = alu_rm_read(cpu, i, size);
    reg_set(cpu, i->reg, size, muldiv_imul(cpu, size, a, i->imm & sz_mask(size)));
}
