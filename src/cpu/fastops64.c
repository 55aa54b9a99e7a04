/* Specialised handlers for records of 64-bit code (spec64.def), the
 * counterpart of fastops.c's for 16/32-bit code: 64-bit MOV (register,
 * load, store, immediates), MOVSXD, LEA, ALU, TEST, INC/DEC, NOT/NEG,
 * IMUL, shifts, CMOVcc, PUSH/POP, Jcc, JMP, CALL, RET, and the memory
 * forms of 32-bit and byte operations in 64-bit code. The register forms
 * of 32-bit and byte operations run fastops.c's handlers (spec64.def's
 * LEG rows), which are right in 64-bit code too: a 32-bit result is
 * written zero-extended (SET_R32), REX registers are numbers 8..15 and
 * SPL..DIL numbers 20..23 in the record (cpu.h reg8).
 *
 * A record decoded for 64-bit code only ever runs in 64-bit mode (the
 * decode cache keys pages and its fetch shortcut on the code size, and a
 * mode change drops the chaining page), so these handlers take the 64-bit
 * memory path (mmu.h mmu_fast_host64) without testing the mode, and
 * branch targets need the canonical check only (no CS limit, SDM vol. 3A
 * 5.3.1; #GP(0) at the branch, SDM vol. 2 JMP/Jcc/CALL/RET "64-bit mode").
 * As in fastops.c each handler computes exactly what the generic one does
 * for its form: same lazy-flag records, same order of memory accesses,
 * same faults (the slow paths are the generic cpu_rd/cpu_wr ones).
 *
 * 32-bit operations whose generic handler writes the destination even
 * when nothing changes (shifts by a masked count of 0 and CMOVcc with a
 * false condition write it back, which clears bits 63:32, SDM vol. 1
 * 3.4.1.1) have their own variants here: fastops.c's skip the write. */
#include "cpu/alu.h"
#include "cpu/fastops_impl.h"
#include "cpu/longmode.h"

#define R32(n)         reg32(cpu, (n))
#define SET_R32(n, v)  (cpu->s.gpr[(n)] = (uint32_t)(v))
#define R64(n)         (cpu->s.gpr[(n)])

/* A register of SZ (1, 2, 4 or 8) bytes (cpu.h: a 4-byte write
 * zero-extends, 1- and 2-byte writes keep the rest). */
#define RGET(n, SZ)    ((SZ) == 8 ? R64(n) : (SZ) == 4 ? (uint64_t)R32(n) :     \
                        (SZ) == 2 ? (uint64_t)reg16(cpu, n) : (uint64_t)reg8(cpu, n))
#define RSET(n, SZ, v) ((SZ) == 8 ? (void)(R64(n) = (v)) :                      \
                        (SZ) == 4 ? (void)SET_R32(n, v) :                        \
                        (SZ) == 2 ? set_reg16(cpu, n, (uint16_t)(v)) : set_reg8(cpu, n, (uint8_t)(v)))

/* ---- effective addresses and memory ---- */

/* Base + displacement, 64-bit addressing, no index. */
static inline __attribute__((always_inline))
uint64_t ea64_bd(const struct cpu *cpu, const struct insn *i)
{
    return cpu->s.gpr[i->base] + (uint64_t)(int64_t)i->disp;
}

/* RIP-relative, 64-bit addressing: from the next instruction's RIP. */
static inline __attribute__((always_inline))
uint64_t ea64_rip(const struct cpu *cpu, const struct insn *i)
{
    return cpu->next_rip + (uint64_t)(int64_t)i->disp;
}

#define EA_bd(cpu, i)  ea64_bd(cpu, i)
#define EA_rip(cpu, i) ea64_rip(cpu, i)
#define EA_m(cpu, i)   insn_ea(cpu, i)

/* Memory: cpu_rd_long64, cpu_rd_rmw_long64, cpu_wr_long64 (mmu.h). */

/* A near branch in 64-bit mode: the target must be canonical. */
static inline __attribute__((always_inline)) void branch64(struct cpu *cpu, uint64_t t)
{
    if (unlikely(!is_canonical(t)))
        except_gp(cpu, 0);
    cpu->next_rip = t;
}

/* ---- ALU ---- */

/* a OP b on SZ bytes (operands already truncated), the lazy op in *lop. */
static inline __attribute__((always_inline))
uint64_t alu_n(struct cpu *cpu, unsigned op, unsigned sz, uint64_t a, uint64_t b, unsigned *lop)
{
    uint64_t r;
    switch (op) {
    case ALU_ADD: r = a + b; *lop = LF_ADD; break;
    case ALU_OR:  r = a | b; *lop = LF_LOGIC; break;
    case ALU_ADC: r = a + b + cf_fast(cpu); *lop = LF_ADC; break;
    case ALU_SBB: r = a - b - cf_fast(cpu); *lop = LF_SBB; break;
    case ALU_AND: r = a & b; *lop = LF_LOGIC; break;
    case ALU_SUB:
    case ALU_CMP: r = a - b; *lop = LF_SUB; break;
    default:      r = a ^ b; *lop = LF_LOGIC; break;
    }
    return r & sz_mask(sz);
}

/* dst register `d` = d OP b (CMP writes nothing). */
static inline __attribute__((always_inline))
void alu_reg(struct cpu *cpu, unsigned op, unsigned sz, unsigned d, uint64_t b)
{
    unsigned lop;
    uint64_t a = RGET(d, sz), r = alu_n(cpu, op, sz, a, b, &lop);
    flags_lazy(cpu, (enum lazy_op)lop, sz, a, b, r);
    if (op != ALU_CMP)
        RSET(d, sz, r);
}

/* Memory destination: read (with write intent unless CMP), compute, store,
 * then record the flags, so a faulting store leaves RFLAGS as it was. */
static inline __attribute__((always_inline))
void alu_mem(struct cpu *cpu, const struct insn *i, unsigned op, unsigned sz, uint64_t b)
{
    uint64_t ea = insn_ea(cpu, i), a, r;
    unsigned lop;
    a = op == ALU_CMP ? cpu_rd_long64(cpu, i->seg, ea, sz) : cpu_rd_rmw_long64(cpu, i->seg, ea, sz);
    r = alu_n(cpu, op, sz, a, b, &lop);
    if (op != ALU_CMP)
        cpu_wr_long64(cpu, i->seg, ea, r, sz);
    flags_lazy(cpu, (enum lazy_op)lop, sz, a, b, r);
}

/* The immediate of a group-1 / eAX form, truncated to the operand size
 * (the decoder sign-extends Iz and Ibs to 64 bits in 64-bit code). */
#define IMM(i, SZ) ((i)->imm & sz_mask(SZ))

#define ALU_RR(name, op, SZ)   /* Ev,Gv register: rm = rm OP reg */       \
static void name(struct cpu *cpu, const struct insn *i)                     \
{ alu_reg(cpu, op, SZ, i->rm, RGET(i->reg, SZ)); fo_next(cpu, i); }
#define ALU_RR2(name, op, SZ)  /* Gv,Ev register: reg = reg OP rm */      \
static void name(struct cpu *cpu, const struct insn *i)                     \
{ alu_reg(cpu, op, SZ, i->reg, RGET(i->rm, SZ)); fo_next(cpu, i); }
#define ALU_RI(name, op, SZ)   /* group 1 Ev,imm register */              \
static void name(struct cpu *cpu, const struct insn *i)                     \
{ alu_reg(cpu, op, SZ, i->rm, IMM(i, SZ)); fo_next(cpu, i); }
#define ALU_AI(name, op, SZ)   /* rAX,imm32 */                            \
static void name(struct cpu *cpu, const struct insn *i)                     \
{ alu_reg(cpu, op, SZ, R_EAX, IMM(i, SZ)); fo_next(cpu, i); }
#define ALU_RM(name, op, SZ)   /* Gv,Ev memory: reg = reg OP [mem] */     \
static void name(struct cpu *cpu, const struct insn *i)                     \
{                                                                           \
    uint64_t b = cpu_rd_long64(cpu, i->seg, insn_ea(cpu, i), SZ);                    \
    alu_reg(cpu, op, SZ, i->reg, b);                                        \
    fo_next(cpu, i);                                                        \
}
#define ALU_MR(name, op, SZ)   /* Ev,Gv memory: [mem] = [mem] OP reg */   \
static void name(struct cpu *cpu, const struct insn *i)                     \
{ alu_mem(cpu, i, op, SZ, RGET(i->reg, SZ)); fo_next(cpu, i); }
#define ALU_MI(name, op, SZ)   /* group 1 Ev,imm memory */                \
static void name(struct cpu *cpu, const struct insn *i)                     \
{ alu_mem(cpu, i, op, SZ, IMM(i, SZ)); fo_next(cpu, i); }

#define ALU_ALL(M, pfx, SZ)                                                 \
    M(pfx##_add, ALU_ADD, SZ) M(pfx##_or, ALU_OR, SZ)                       \
    M(pfx##_adc, ALU_ADC, SZ) M(pfx##_sbb, ALU_SBB, SZ)                     \
    M(pfx##_and, ALU_AND, SZ) M(pfx##_sub, ALU_SUB, SZ)                     \
    M(pfx##_xor, ALU_XOR, SZ) M(pfx##_cmp, ALU_CMP, SZ)
#define ALU_TABLE(pfx) { pfx##_add, pfx##_or, pfx##_adc, pfx##_sbb,        \
                         pfx##_and, pfx##_sub, pfx##_xor, pfx##_cmp }

ALU_ALL(ALU_RR, fq_alu_rr, 8)
ALU_ALL(ALU_RR2, fq_alu_rr2, 8)
ALU_ALL(ALU_RI, fq_alu_ri, 8)
ALU_ALL(ALU_AI, fq_alu_ai, 8)
ALU_ALL(ALU_RM, fq_alu_rm, 8)
ALU_ALL(ALU_MR, fq_alu_mr, 8)
ALU_ALL(ALU_MI, fq_alu_mi, 8)
ALU_ALL(ALU_RM, fd_alu_rm, 4)
ALU_ALL(ALU_MR, fd_alu_mr, 4)
ALU_ALL(ALU_MI, fd_alu_mi, 4)

/* byte forms: Eb,Gb and Gb,Eb with a register or memory operand, group 1
 * Eb,Ib (80) */
ALU_ALL(ALU_RR, fb_alu_rr, 1)
ALU_ALL(ALU_RR2, fb_alu_rr2, 1)
ALU_ALL(ALU_RI, fb_alu_ri, 1)
ALU_ALL(ALU_RM, fb_alu_rm, 1)
ALU_ALL(ALU_MR, fb_alu_mr, 1)
ALU_ALL(ALU_MI, fb_alu_mi, 1)

static const op_fn alu_rr_b[8] = ALU_TABLE(fb_alu_rr);
static const op_fn alu_rr2_b[8] = ALU_TABLE(fb_alu_rr2);
static const op_fn alu_ri_b[8] = ALU_TABLE(fb_alu_ri);
static const op_fn alu_rm_b[8] = ALU_TABLE(fb_alu_rm);
static const op_fn alu_mr_b[8] = ALU_TABLE(fb_alu_mr);
static const op_fn alu_mi_b[8] = ALU_TABLE(fb_alu_mi);
static const op_fn alu_rr_q[8] = ALU_TABLE(fq_alu_rr);
static const op_fn alu_rr2_q[8] = ALU_TABLE(fq_alu_rr2);
static const op_fn alu_ri_q[8] = ALU_TABLE(fq_alu_ri);
static const op_fn alu_ai_q[8] = ALU_TABLE(fq_alu_ai);
static const op_fn alu_rm_q[8] = ALU_TABLE(fq_alu_rm);
static const op_fn alu_mr_q[8] = ALU_TABLE(fq_alu_mr);
static const op_fn alu_mi_q[8] = ALU_TABLE(fq_alu_mi);
static const op_fn alu_rm_d[8] = ALU_TABLE(fd_alu_rm);
static const op_fn alu_mr_d[8] = ALU_TABLE(fd_alu_mr);
static const op_fn alu_mi_d[8] = ALU_TABLE(fd_alu_mi);

/* TEST r64, r64. */
static void fq_test_rr(struct cpu *cpu, const struct insn *i)
{
    uint64_t a = R64(i->rm), b = R64(i->reg);
    flags_lazy(cpu, LF_LOGIC, 8, a, b, a & b);
    fo_next(cpu, i);
}

/* TEST r/m, imm (F6 /0, F7 /0) and TEST [mem], reg (84, 85): read only. */
#define TEST_RI(name, SZ)                                                   \
static void name(struct cpu *cpu, const struct insn *i)                     \
{                                                                           \
    uint64_t a = RGET(i->rm, SZ), b = IMM(i, SZ);                           \
    flags_lazy(cpu, LF_LOGIC, SZ, a, b, a & b);                             \
    fo_next(cpu, i);                                                        \
}
#define TEST_MI(name, SZ)                                                   \
static void name(struct cpu *cpu, const struct insn *i)                     \
{                                                                           \
    uint64_t a = cpu_rd_long64(cpu, i->seg, insn_ea(cpu, i), SZ), b = IMM(i, SZ);    \
    flags_lazy(cpu, LF_LOGIC, SZ, a, b, a & b);                             \
    fo_next(cpu, i);                                                        \
}
#define TEST_MR(name, SZ)                                                   \
static void name(struct cpu *cpu, const struct insn *i)                     \
{                                                                           \
    uint64_t a = cpu_rd_long64(cpu, i->seg, insn_ea(cpu, i), SZ), b = RGET(i->reg, SZ); \
    flags_lazy(cpu, LF_LOGIC, SZ, a, b, a & b);                             \
    fo_next(cpu, i);                                                        \
}
TEST_RI(fd_test_ri, 4) TEST_RI(fq_test_ri, 8)
TEST_MI(fb_test_mi, 1) TEST_MI(fd_test_mi, 4) TEST_MI(fq_test_mi, 8)
TEST_MR(fb_test_mr, 1) TEST_MR(fd_test_mr, 4) TEST_MR(fq_test_mr, 8)

/* INC/DEC r/m64 and [mem] (FF /0 /1): CF is kept, so it is read before
 * anything changes; a memory operand is stored before the flags (as
 * alu.c's alu_unary). */
#define INCDEC_M(name, SZ, lop, d)                                          \
static void name(struct cpu *cpu, const struct insn *i)                     \
{                                                                           \
    uint64_t ea = insn_ea(cpu, i);                                          \
    uint64_t a = cpu_rd_rmw_long64(cpu, i->seg, ea, SZ), r = (a + (d)) & sz_mask(SZ); \
    uint32_t cf = cf_fast(cpu);                                             \
    cpu_wr_long64(cpu, i->seg, ea, r, SZ);                                           \
    flags_lazy(cpu, lop, SZ, a, cf, r);                                     \
    fo_next(cpu, i);                                                        \
}
INCDEC_M(fd_inc_m, 4, LF_INC, 1) INCDEC_M(fd_dec_m, 4, LF_DEC, (uint64_t)-1)
INCDEC_M(fq_inc_m, 8, LF_INC, 1) INCDEC_M(fq_dec_m, 8, LF_DEC, (uint64_t)-1)

/* INC/DEC r64 (FF /0 /1): CF is kept, so it is read before the record. */
static void fq_inc_r(struct cpu *cpu, const struct insn *i)
{
    uint64_t a = R64(i->rm), r = a + 1;
    flags_lazy(cpu, LF_INC, 8, a, cf_fast(cpu), r);
    R64(i->rm) = r;
    fo_next(cpu, i);
}

static void fq_dec_r(struct cpu *cpu, const struct insn *i)
{
    uint64_t a = R64(i->rm), r = a - 1;
    flags_lazy(cpu, LF_DEC, 8, a, cf_fast(cpu), r);
    R64(i->rm) = r;
    fo_next(cpu, i);
}

static void fq_not_r(struct cpu *cpu, const struct insn *i)
{
    R64(i->rm) = ~R64(i->rm);
    fo_next(cpu, i);
}

static void fq_neg_r(struct cpu *cpu, const struct insn *i)
{
    uint64_t a = R64(i->rm), r = 0 - a;
    R64(i->rm) = r;
    flags_lazy(cpu, LF_SUB, 8, 0, a, r);
    fo_next(cpu, i);
}

/* IMUL r64, r/m64 (0F AF): flags as muldiv_imul(). */
static inline __attribute__((always_inline))
void imul64(struct cpu *cpu, unsigned reg, uint64_t b)
{
    __int128 p = (__int128)(int64_t)R64(reg) * (int64_t)b;
    uint64_t r = (uint64_t)p;
    bool over = (__int128)(int64_t)r != p;
    flags_lazy(cpu, LF_SZP, 8, 0, over ? FL_CF | FL_OF : 0, r);
    R64(reg) = r;
}

static void fq_imul_rr(struct cpu *cpu, const struct insn *i)
{
    imul64(cpu, i->reg, R64(i->rm));
    fo_next(cpu, i);
}

static void fq_imul_rm(struct cpu *cpu, const struct insn *i)
{
    imul64(cpu, i->reg, cpu_rd_long64(cpu, i->seg, insn_ea(cpu, i), 8));
    fo_next(cpu, i);
}

/* ---- shifts of a register: SHL/SHR/SAR by an immediate, 1 or CL, and
 * ROL/ROR by an immediate. The count is masked to 6 bits for 64-bit and
 * 5 bits for 32-bit operands (SDM vol. 2B SAL/SAR/SHL/SHR); a masked
 * count of 0 changes no flag, and a 32-bit register is still written
 * (zero-extended), as shift.c does. ---- */

static inline __attribute__((always_inline))
void shift_reg(struct cpu *cpu, const struct insn *i, unsigned sz, unsigned kind,
               unsigned count)
{
    unsigned c = count & (sz == 8 ? 0x3f : 0x1f);
    uint64_t a = RGET(i->rm, sz), r;
    if (!c) {
        if (sz == 4)
            SET_R32(i->rm, a);
        return;
    }
    switch (kind) {
    case SH_SHL:
        r = a << c;
        if (sz == 4)
            r = (uint32_t)r;
        flags_lazy(cpu, LF_SHL, sz, a, c, r);
        break;
    case SH_SHR:
        r = a >> c;
        flags_lazy(cpu, LF_SHR, sz, a, c, r);
        break;
    case SH_SAR:
        r = sz == 8 ? (uint64_t)((int64_t)a >> c) : (uint32_t)((int32_t)a >> c);
        flags_lazy(cpu, LF_SAR, sz, a, c, r);
        break;
    default: {          /* SH_ROL, SH_ROR: only CF and OF change */
        unsigned bits = sz * 8, top = bits - 1;
        uint64_t cf, of;
        if (kind == SH_ROL) {
            r = (a << c) | (a >> (bits - c));
            if (sz == 4)
                r = (uint32_t)r;
            cf = r & 1;
            of = ((r >> top) ^ cf) & 1;
        } else {
            r = (a >> c) | (a << (bits - c));
            if (sz == 4)
                r = (uint32_t)r;
            cf = (r >> top) & 1;
            of = ((r >> top) ^ (r >> (top - 1))) & 1;
        }
        flags_materialize(cpu);
        cpu->s.rflags = (cpu->s.rflags & ~(FL_CF | FL_OF)) | (cf ? FL_CF : 0) | (of ? FL_OF : 0);
        break;
    }
    }
    RSET(i->rm, sz, r);
}

#define SHIFTS(kind, nm, SZ, sfx)                                           \
static void fo_##nm##sfx##_ri(struct cpu *cpu, const struct insn *i)        \
{ shift_reg(cpu, i, SZ, kind, (unsigned)i->imm); fo_next(cpu, i); }         \
static void fo_##nm##sfx##_rcl(struct cpu *cpu, const struct insn *i)       \
{ shift_reg(cpu, i, SZ, kind, (uint8_t)cpu->s.gpr[R_ECX]); fo_next(cpu, i); } \
static void fo_##nm##sfx##_r1(struct cpu *cpu, const struct insn *i)        \
{ shift_reg(cpu, i, SZ, kind, 1); fo_next(cpu, i); }
SHIFTS(SH_SHL, shl, 8, q) SHIFTS(SH_SHR, shr, 8, q) SHIFTS(SH_SAR, sar, 8, q)
SHIFTS(SH_ROL, rol, 8, q) SHIFTS(SH_ROR, ror, 8, q)
SHIFTS(SH_SHL, shl, 4, d) SHIFTS(SH_SHR, shr, 4, d) SHIFTS(SH_SAR, sar, 4, d)
SHIFTS(SH_ROL, rol, 4, d) SHIFTS(SH_ROR, ror, 4, d)

/* ---- MOV, MOVSXD, MOVZX, LEA ---- */

static void fq_mov_rr(struct cpu *cpu, const struct insn *i)        /* 89 */
{
    R64(i->rm) = R64(i->reg);
    fo_next(cpu, i);
}

static void fq_mov_rr2(struct cpu *cpu, const struct insn *i)       /* 8B */
{
    R64(i->reg) = R64(i->rm);
    fo_next(cpu, i);
}

/* Loads and stores of SZ bytes from/to a register, for each EA form:
 * as fastops.c's, the TLB-hit case returns straight away and the rest is
 * a tail call, so the fast path needs no stack frame. */
#define MOV_MEM(EA, SZ, sfx)                                                \
static __attribute__((noinline)) void                                       \
mov_load_slow_##sfx(struct cpu *cpu, const struct insn *i, uint64_t ea)     \
{                                                                           \
    uint64_t v = SZ == 8 ? cpu_rd64(cpu, i->seg, ea)                        \
                         : cpu_rd_slow(cpu, i->seg, ea, SZ);                \
    RSET(i->reg, SZ, v);                                                    \
    fo_next(cpu, i);                                                        \
}                                                                           \
static __attribute__((noinline)) void                                       \
mov_store_slow_##sfx(struct cpu *cpu, const struct insn *i, uint64_t ea)    \
{                                                                           \
    if (SZ == 8)                                                            \
        cpu_wr64(cpu, i->seg, ea, R64(i->reg));                             \
    else                                                                    \
        cpu_wr_slow(cpu, i->seg, ea, R32(i->reg), SZ);                      \
    fo_next(cpu, i);                                                        \
}                                                                           \
static void fo_load_##sfx(struct cpu *cpu, const struct insn *i)            \
{                                                                           \
    uint64_t ea = EA(cpu, i);                                               \
    uint8_t *p;                                                             \
    if (likely(mmu_fast_host64(cpu, i->seg, ea, SZ, ACC_READ, &p))) {       \
        RSET(i->reg, SZ, mmu_host_ld(p, SZ));                               \
        fo_next(cpu, i);                                                    \
        return;                                                             \
    }                                                                       \
    mov_load_slow_##sfx(cpu, i, ea);                                        \
}                                                                           \
static void fo_store_##sfx(struct cpu *cpu, const struct insn *i)           \
{                                                                           \
    uint64_t ea = EA(cpu, i);                                               \
    uint8_t *p;                                                             \
    if (likely(mmu_fast_host64(cpu, i->seg, ea, SZ, ACC_WRITE, &p))) {      \
        mmu_host_st(p, RGET(i->reg, SZ), SZ);                               \
        fo_next(cpu, i);                                                    \
        return;                                                             \
    }                                                                       \
    mov_store_slow_##sfx(cpu, i, ea);                                       \
}
MOV_MEM(EA_bd, 8, q_bd)
MOV_MEM(EA_rip, 8, q_rip)
MOV_MEM(EA_m, 8, q_m)
MOV_MEM(EA_bd, 4, d_bd)
MOV_MEM(EA_rip, 4, d_rip)
MOV_MEM(EA_m, 4, d_m)

/* MOV r64, imm64 (B8+r with REX.W); MOV r/m, imm32 (C7 /0), the immediate
 * sign-extended to 64 bits by the decoder. */
static void fq_mov_ri(struct cpu *cpu, const struct insn *i)
{
    R64(i->rm) = i->imm;
    fo_next(cpu, i);
}

static void fq_mov_rmi_r(struct cpu *cpu, const struct insn *i)
{
    R64(i->rm) = i->imm;
    fo_next(cpu, i);
}

static void fd_mov_rmi_r(struct cpu *cpu, const struct insn *i)
{
    SET_R32(i->rm, i->imm);
    fo_next(cpu, i);
}

static void fq_mov_mi(struct cpu *cpu, const struct insn *i)
{
    cpu_wr_long64(cpu, i->seg, insn_ea(cpu, i), i->imm, 8);
    fo_next(cpu, i);
}

static void fd_mov_mi(struct cpu *cpu, const struct insn *i)
{
    cpu_wr_long64(cpu, i->seg, insn_ea(cpu, i), (uint32_t)i->imm, 4);
    fo_next(cpu, i);
}

/* Byte MOV 88/8A with a memory operand. */
static void fb_mov_store(struct cpu *cpu, const struct insn *i)
{
    cpu_wr_long64(cpu, i->seg, insn_ea(cpu, i), reg8(cpu, i->reg), 1);
    fo_next(cpu, i);
}

static void fb_mov_load(struct cpu *cpu, const struct insn *i)
{
    set_reg8(cpu, i->reg, (uint8_t)cpu_rd_long64(cpu, i->seg, insn_ea(cpu, i), 1));
    fo_next(cpu, i);
}

/* MOV [mem], imm8 (C6 /0); 16-bit MOV with a memory operand (66 89/8B). */
static void fb_mov_mi(struct cpu *cpu, const struct insn *i)
{
    cpu_wr_long64(cpu, i->seg, insn_ea(cpu, i), i->imm & 0xff, 1);
    fo_next(cpu, i);
}

static void fw_mov_store(struct cpu *cpu, const struct insn *i)
{
    cpu_wr_long64(cpu, i->seg, insn_ea(cpu, i), reg16(cpu, i->reg), 2);
    fo_next(cpu, i);
}

static void fw_mov_load(struct cpu *cpu, const struct insn *i)
{
    set_reg16(cpu, i->reg, (uint16_t)cpu_rd_long64(cpu, i->seg, insn_ea(cpu, i), 2));
    fo_next(cpu, i);
}

/* MOVSX r32/r64, r/m8 / r/m16 (0F BE/BF). */
#define MOVSX(name, SZ, SRC, T)                                             \
static void name##_rr(struct cpu *cpu, const struct insn *i)                \
{                                                                           \
    RSET(i->reg, SZ, (uint64_t)(int64_t)(T)RGET(i->rm, SRC));               \
    fo_next(cpu, i);                                                        \
}                                                                           \
static void name##_rm(struct cpu *cpu, const struct insn *i)                \
{                                                                           \
    T v = (T)cpu_rd_long64(cpu, i->seg, insn_ea(cpu, i), SRC);                       \
    RSET(i->reg, SZ, (uint64_t)(int64_t)v);                                 \
    fo_next(cpu, i);                                                        \
}
MOVSX(fd_movsxb, 4, 1, int8_t) MOVSX(fq_movsxb, 8, 1, int8_t)
MOVSX(fd_movsxw, 4, 2, int16_t) MOVSX(fq_movsxw, 8, 2, int16_t)

/* MOVZX r32, r/m8 / r/m16 from memory. */
static void fd_movzxb_rm(struct cpu *cpu, const struct insn *i)
{
    SET_R32(i->reg, cpu_rd_long64(cpu, i->seg, insn_ea(cpu, i), 1));
    fo_next(cpu, i);
}

static void fd_movzxw_rm(struct cpu *cpu, const struct insn *i)
{
    SET_R32(i->reg, cpu_rd_long64(cpu, i->seg, insn_ea(cpu, i), 2));
    fo_next(cpu, i);
}

/* MOVSXD r64, r/m32 (63 with REX.W). */
static void fq_movsxd_rr(struct cpu *cpu, const struct insn *i)
{
    R64(i->reg) = (uint64_t)(int64_t)(int32_t)R32(i->rm);
    fo_next(cpu, i);
}

static void fq_movsxd_rm(struct cpu *cpu, const struct insn *i)
{
    R64(i->reg) = (uint64_t)(int64_t)(int32_t)cpu_rd_long64(cpu, i->seg, insn_ea(cpu, i), 4);
    fo_next(cpu, i);
}

/* LEA: the address-size-wrapped offset, truncated to the operand size. */
static void fq_lea(struct cpu *cpu, const struct insn *i)
{
    R64(i->reg) = insn_ea(cpu, i);
    fo_next(cpu, i);
}

static void fd_lea(struct cpu *cpu, const struct insn *i)
{
    SET_R32(i->reg, insn_ea(cpu, i));
    fo_next(cpu, i);
}

/* ---- CMOVcc: the source is read whatever the condition; a 32-bit
 * destination is written (zero-extended) even when it is false ---- */

#define CMOV(cc)                                                            \
static void fq_cmov_rr_##cc(struct cpu *cpu, const struct insn *i)          \
{                                                                           \
    if (cond(cpu, 0x##cc))                                                  \
        R64(i->reg) = R64(i->rm);                                           \
    fo_next(cpu, i);                                                        \
}                                                                           \
static void fq_cmov_rm_##cc(struct cpu *cpu, const struct insn *i)          \
{                                                                           \
    uint64_t v = cpu_rd_long64(cpu, i->seg, insn_ea(cpu, i), 8);                     \
    if (cond(cpu, 0x##cc))                                                  \
        R64(i->reg) = v;                                                    \
    fo_next(cpu, i);                                                        \
}                                                                           \
static void fd_cmov_rr_##cc(struct cpu *cpu, const struct insn *i)          \
{                                                                           \
    SET_R32(i->reg, cond(cpu, 0x##cc) ? R32(i->rm) : R32(i->reg));          \
    fo_next(cpu, i);                                                        \
}                                                                           \
static void fd_cmov_rm_##cc(struct cpu *cpu, const struct insn *i)          \
{                                                                           \
    uint32_t v = (uint32_t)cpu_rd_long64(cpu, i->seg, insn_ea(cpu, i), 4);           \
    SET_R32(i->reg, cond(cpu, 0x##cc) ? v : R32(i->reg));                   \
    fo_next(cpu, i);                                                        \
}
CMOV(0) CMOV(1) CMOV(2) CMOV(3) CMOV(4) CMOV(5) CMOV(6) CMOV(7)
CMOV(8) CMOV(9) CMOV(a) CMOV(b) CMOV(c) CMOV(d) CMOV(e) CMOV(f)

#define CC_TABLE(pfx) { pfx##0, pfx##1, pfx##2, pfx##3, pfx##4, pfx##5,     \
                        pfx##6, pfx##7, pfx##8, pfx##9, pfx##a, pfx##b,     \
                        pfx##c, pfx##d, pfx##e, pfx##f }
static const op_fn cmov_rr_q[16] = CC_TABLE(fq_cmov_rr_);
static const op_fn cmov_rm_q[16] = CC_TABLE(fq_cmov_rm_);
static const op_fn cmov_rr_d[16] = CC_TABLE(fd_cmov_rr_);
static const op_fn cmov_rm_d[16] = CC_TABLE(fd_cmov_rm_);

/* ---- PUSH/POP r64, CALL, RET, Jcc, JMP: RSP is 64 bits wide and SS's
 * base is 0; the target is checked before anything changes, a push fault
 * leaves RSP unchanged (as control.c and stack.c) ---- */

static void fq_push_r(struct cpu *cpu, const struct insn *i)
{
    uint64_t sp = R64(R_ESP) - 8;
    cpu_wr_long64(cpu, SEG_SS, sp, R64(i->rm), 8);
    R64(R_ESP) = sp;
    fo_next(cpu, i);
}

static void fq_pop_r(struct cpu *cpu, const struct insn *i)
{
    uint64_t sp = R64(R_ESP);
    uint64_t v = cpu_rd_long64(cpu, SEG_SS, sp, 8);
    R64(R_ESP) = sp + 8;
    R64(i->rm) = v;         /* POP RSP: the popped value wins */
    fo_next(cpu, i);
}

static void fq_call(struct cpu *cpu, const struct insn *i)
{
    uint64_t ret = cpu->next_rip;
    branch64(cpu, ret + i->imm);    /* a push fault unwinds to RIP */
    uint64_t sp = R64(R_ESP) - 8;
    cpu_wr_long64(cpu, SEG_SS, sp, ret, 8);
    R64(R_ESP) = sp;
    fo_next(cpu, i);
}

static void fq_ret(struct cpu *cpu, const struct insn *i)
{
    uint64_t sp = R64(R_ESP);
    branch64(cpu, cpu_rd_long64(cpu, SEG_SS, sp, 8));
    R64(R_ESP) = sp + 8;
    fo_next(cpu, i);
}

/* CALL/JMP r/m64 (FF /2 /4): the target is read first (a memory operand
 * may fault), then checked, then the return address pushed. */
static inline __attribute__((always_inline))
void call_to(struct cpu *cpu, const struct insn *i, uint64_t t)
{
    uint64_t ret = cpu->next_rip;
    branch64(cpu, t);
    uint64_t sp = R64(R_ESP) - 8;
    cpu_wr_long64(cpu, SEG_SS, sp, ret, 8);
    R64(R_ESP) = sp;
    fo_next(cpu, i);
}

static void fq_call_r(struct cpu *cpu, const struct insn *i)
{
    call_to(cpu, i, R64(i->rm));
}

static void fq_call_m(struct cpu *cpu, const struct insn *i)
{
    call_to(cpu, i, cpu_rd_long64(cpu, i->seg, insn_ea(cpu, i), 8));
}

static void fq_jmp_r(struct cpu *cpu, const struct insn *i)
{
    branch64(cpu, R64(i->rm));
    fo_next(cpu, i);
}

static void fq_jmp_m(struct cpu *cpu, const struct insn *i)
{
    branch64(cpu, cpu_rd_long64(cpu, i->seg, insn_ea(cpu, i), 8));
    fo_next(cpu, i);
}

/* NOP (90) and the hint NOPs (0F 18-1F, no memory access). */
static void fo_nop64(struct cpu *cpu, const struct insn *i)
{
    fo_next(cpu, i);
}

static void fq_jmp(struct cpu *cpu, const struct insn *i)
{
    branch64(cpu, cpu->next_rip + i->imm);
    fo_next(cpu, i);
}

#define JCC(cc)                                                             \
static void fq_jcc_##cc(struct cpu *cpu, const struct insn *i)              \
{                                                                           \
    if (cond(cpu, 0x##cc))                                                  \
        branch64(cpu, cpu->next_rip + i->imm);                              \
    fo_next(cpu, i);                                                        \
}
JCC(0) JCC(1) JCC(2) JCC(3) JCC(4) JCC(5) JCC(6) JCC(7)
JCC(8) JCC(9) JCC(a) JCC(b) JCC(c) JCC(d) JCC(e) JCC(f)
static const op_fn jcc_q[16] = CC_TABLE(fq_jcc_);

/* ---- the rows of spec64.def ---- */

#define ANY SPEC_ANY
#define REG SPEC_REG
#define MEM SPEC_MEM
#define BD  SPEC_BD
#define RIP SPEC_RIP
#define TAB(t) .tab = (t)
#define LEG .leg = 1
#define S(g, sz, f, sb, fast) { .generic = g, .size = sz, .form = f, .sub = sb, fast },
const struct spec fastops_specs64[] = {
#include "cpu/spec64.def"
};
const unsigned fastops_nspecs64 = sizeof(fastops_specs64) / sizeof(fastops_specs64[0]);
