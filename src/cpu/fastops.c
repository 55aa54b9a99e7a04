/* Specialised handlers for the instruction forms compiled code runs most
 * (measured on the Linux boot: the kernel's XZ decompressor, the MPI
 * arithmetic of its RSA self-tests, ordinary kernel code): 32-bit MOV,
 * ALU, TEST, NOT, NEG, shifts by an immediate or CL, ROL/ROR by an
 * immediate, IMUL, MOVZX, LEA, INC/DEC, PUSH/POP, Jcc, JMP, CALL, RET,
 * CMOVcc, SETcc; byte MOV, TEST and ALU AL,imm8; 16-bit MOV and shifts.
 *
 * The generic handlers (alu.c, move.c, shift.c, ...) decide operand size,
 * register or memory operand and the operation at run time, for every
 * execution. fastops_specialize() makes those decisions once, when a
 * record is decoded for the interpreter, and points the record at a
 * handler that does only the remaining work. Each specialised handler
 * computes exactly what the generic one does for that form (same lazy-flag
 * records, same order of memory accesses, same faults, through the same
 * cpu_rd/cpu_wr paths), so the generic handlers stay the reference and
 * everything not listed here keeps using them. Records for the decoder's
 * own tests (decode_bytes) are not touched.
 *
 * Forms: operand size 32 (and the byte and 16-bit forms named above), no
 * LOCK prefix (other 16-bit and locked forms keep the generic handlers).
 * Memory operands with base + displacement (no index, 32-bit addressing)
 * get their own variant with the effective address computed without the
 * generic insn_ea() tests. Records of 64-bit code take spec64.def's rows
 * (fastops64.c), which reuse the register forms here.
 *
 * Follows the SDM vol. 2 pages of each instruction, as the generic
 * handlers do; flag semantics are those of flags.h.
 */
#include "cpu/fastops_impl.h"

#define R32(n)         reg32(cpu, (n))
#define SET_R32(n, v)  (cpu->s.gpr[(n)] = (uint32_t)(v))

/* Effective address of a base + displacement operand (32-bit addressing). */
static inline uint32_t ea_bd(const struct cpu *cpu, const struct insn *i)
{
    return i->disp + R32(i->base);
}

/* ---- ALU ---- */

/* a OP b for operation `op` (ALU_*), 32 bits, recording the lazy flags. */
static inline __attribute__((always_inline))
uint32_t alu32(struct cpu *cpu, unsigned op, uint32_t a, uint32_t b)
{
    uint32_t r;
    switch (op) {
    case ALU_ADD: r = a + b; flags_lazy(cpu, LF_ADD, 4, a, b, r); return r;
    case ALU_OR:  r = a | b; flags_lazy(cpu, LF_LOGIC, 4, a, b, r); return r;
    case ALU_ADC: r = a + b + cf_fast(cpu); flags_lazy(cpu, LF_ADC, 4, a, b, r); return r;
    case ALU_SBB: r = a - b - cf_fast(cpu); flags_lazy(cpu, LF_SBB, 4, a, b, r); return r;
    case ALU_AND: r = a & b; flags_lazy(cpu, LF_LOGIC, 4, a, b, r); return r;
    case ALU_SUB:
    case ALU_CMP: r = a - b; flags_lazy(cpu, LF_SUB, 4, a, b, r); return r;
    default:      r = a ^ b; flags_lazy(cpu, LF_LOGIC, 4, a, b, r); return r;
    }
}

/* Ev,Gv with a register destination: rm = rm OP reg. */
#define ALU_RR(name, op)                                                    \
static void name(struct cpu *cpu, const struct insn *i)                     \
{                                                                           \
    uint32_t r = alu32(cpu, op, R32(i->rm), R32(i->reg));                   \
    if (op != ALU_CMP)                                                      \
        SET_R32(i->rm, r);                                                  \
    fo_next(cpu, i);                                                        \
}
/* Gv,Ev with a register source: reg = reg OP rm. */
#define ALU_RR2(name, op)                                                   \
static void name(struct cpu *cpu, const struct insn *i)                     \
{                                                                           \
    uint32_t r = alu32(cpu, op, R32(i->reg), R32(i->rm));                   \
    if (op != ALU_CMP)                                                      \
        SET_R32(i->reg, r);                                                 \
    fo_next(cpu, i);                                                        \
}
/* Gv,Ev with a memory source: reg = reg OP [mem]. */
#define ALU_RM(name, op)                                                    \
static void name(struct cpu *cpu, const struct insn *i)                     \
{                                                                           \
    uint32_t b = cpu_rd(cpu, i->seg, insn_ea(cpu, i), 4);                   \
    uint32_t r = alu32(cpu, op, R32(i->reg), b);                            \
    if (op != ALU_CMP)                                                      \
        SET_R32(i->reg, r);                                                 \
    fo_next(cpu, i);                                                        \
}
/* Group 1 Ev,imm with a register destination. */
#define ALU_RI(name, op)                                                    \
static void name(struct cpu *cpu, const struct insn *i)                     \
{                                                                           \
    uint32_t r = alu32(cpu, op, R32(i->rm), i->imm);                        \
    if (op != ALU_CMP)                                                      \
        SET_R32(i->rm, r);                                                  \
    fo_next(cpu, i);                                                        \
}

/* Ev,Gv and group 1 Ev,imm with a memory destination: read (with write
 * intent unless CMP), compute, store, and only then record the flags, so a
 * faulting store leaves EFLAGS as it was (as alu.c's alu_rm_dst). */
static inline __attribute__((always_inline))
void alu_mem_dst(struct cpu *cpu, const struct insn *i, unsigned op, uint32_t b)
{
    uint32_t ea = insn_ea(cpu, i), a, r;
    unsigned lop;
    a = op == ALU_CMP ? cpu_rd(cpu, i->seg, ea, 4) : cpu_rd_rmw(cpu, i->seg, ea, 4);
    switch (op) {
    case ALU_ADD: r = a + b; lop = LF_ADD; break;
    case ALU_OR:  r = a | b; lop = LF_LOGIC; break;
    case ALU_ADC: r = a + b + cf_fast(cpu); lop = LF_ADC; break;
    case ALU_SBB: r = a - b - cf_fast(cpu); lop = LF_SBB; break;
    case ALU_AND: r = a & b; lop = LF_LOGIC; break;
    case ALU_SUB:
    case ALU_CMP: r = a - b; lop = LF_SUB; break;
    default:      r = a ^ b; lop = LF_LOGIC; break;
    }
    if (op != ALU_CMP)
        cpu_wr(cpu, i->seg, ea, r, 4);
    flags_lazy(cpu, (enum lazy_op)lop, 4, a, b, r);
}

#define ALU_MR(name, op)                                                    \
static void name(struct cpu *cpu, const struct insn *i)                     \
{                                                                           \
    alu_mem_dst(cpu, i, op, R32(i->reg));                                   \
    fo_next(cpu, i);                                                        \
}
#define ALU_MI(name, op)                                                    \
static void name(struct cpu *cpu, const struct insn *i)                     \
{                                                                           \
    alu_mem_dst(cpu, i, op, i->imm);                                        \
    fo_next(cpu, i);                                                        \
}

#define ALU_ALL(M, pfx)                                                     \
    M(pfx##_add, ALU_ADD) M(pfx##_or, ALU_OR) M(pfx##_adc, ALU_ADC)         \
    M(pfx##_sbb, ALU_SBB) M(pfx##_and, ALU_AND) M(pfx##_sub, ALU_SUB)       \
    M(pfx##_xor, ALU_XOR) M(pfx##_cmp, ALU_CMP)

ALU_ALL(ALU_RR, fo_alu_rr)
ALU_ALL(ALU_RR2, fo_alu_rr2)
ALU_ALL(ALU_RM, fo_alu_rm)
ALU_ALL(ALU_RI, fo_alu_ri)
ALU_ALL(ALU_MR, fo_alu_mr)
ALU_ALL(ALU_MI, fo_alu_mi)

#define ALU_TABLE(pfx) { pfx##_add, pfx##_or, pfx##_adc, pfx##_sbb,        \
                         pfx##_and, pfx##_sub, pfx##_xor, pfx##_cmp }
static const op_fn alu_rr[8] = ALU_TABLE(fo_alu_rr);
static const op_fn alu_rr2[8] = ALU_TABLE(fo_alu_rr2);
static const op_fn alu_rm[8] = ALU_TABLE(fo_alu_rm);
static const op_fn alu_ri[8] = ALU_TABLE(fo_alu_ri);
static const op_fn alu_mr[8] = ALU_TABLE(fo_alu_mr);
static const op_fn alu_mi[8] = ALU_TABLE(fo_alu_mi);

/* TEST Ev,Gv with a register operand. */
static void fo_test_rr(struct cpu *cpu, const struct insn *i)
{
    uint32_t a = R32(i->rm), b = R32(i->reg);
    flags_lazy(cpu, LF_LOGIC, 4, a, b, a & b);
    fo_next(cpu, i);
}

/* INC/DEC r32 (40-4F): CF is kept, so it is read before the record. */
static void fo_inc_r(struct cpu *cpu, const struct insn *i)
{
    unsigned n = i->rm;
    uint32_t a = R32(n), r = a + 1;
    flags_lazy(cpu, LF_INC, 4, a, cf_fast(cpu), r);
    SET_R32(n, r);
    fo_next(cpu, i);
}

static void fo_dec_r(struct cpu *cpu, const struct insn *i)
{
    unsigned n = i->rm;
    uint32_t a = R32(n), r = a - 1;
    flags_lazy(cpu, LF_DEC, 4, a, cf_fast(cpu), r);
    SET_R32(n, r);
    fo_next(cpu, i);
}

/* IMUL Gv,Ev (0F AF): flags as muldiv_imul(). */
static inline void imul32(struct cpu *cpu, unsigned reg, uint32_t b)
{
    int64_t p = (int64_t)(int32_t)R32(reg) * (int32_t)b;
    uint32_t r = (uint32_t)p;
    bool over = (int64_t)(int32_t)r != p;
    flags_lazy(cpu, LF_SZP, 4, 0, over ? FL_CF | FL_OF : 0, r);
    SET_R32(reg, r);
}

static void fo_imul_rr(struct cpu *cpu, const struct insn *i)
{
    imul32(cpu, i->reg, R32(i->rm));
    fo_next(cpu, i);
}

static void fo_imul_rm(struct cpu *cpu, const struct insn *i)
{
    imul32(cpu, i->reg, cpu_rd(cpu, i->seg, insn_ea(cpu, i), 4));
    fo_next(cpu, i);
}

/* ---- shifts of a register by an immediate count (C1 /4 /5 /7) for
 * operand size 2 and 4, from one body: as shift_calc(), a masked count of
 * 0 changes nothing ---- */

#define SHIFT_RI(name, SZ, lop, expr)                                       \
static void name(struct cpu *cpu, const struct insn *i)                     \
{                                                                           \
    unsigned c = i->imm & 0x1f;                                             \
    if (c) {                                                                \
        uint32_t a = (uint32_t)cpu->s.gpr[i->rm] & sz_mask(SZ);             \
        uint32_t r = (uint32_t)(expr) & sz_mask(SZ);                        \
        flags_lazy(cpu, lop, SZ, a, c, r);                                  \
        reg_set(cpu, i->rm, SZ, r);                                         \
    }                                                                       \
    fo_next(cpu, i);                                                        \
}
/* The operand sign-extended from SZ bytes, for SAR. */
#define SEXT(a, SZ) ((SZ) == 2 ? (int32_t)(int16_t)(a) : (int32_t)(a))
#define SHIFT_RI_SIZES(SZ, sfx)                                             \
    SHIFT_RI(fo_shl##sfx##_ri, SZ, LF_SHL, (uint64_t)a << c)                \
    SHIFT_RI(fo_shr##sfx##_ri, SZ, LF_SHR, a >> c)                          \
    SHIFT_RI(fo_sar##sfx##_ri, SZ, LF_SAR, SEXT(a, SZ) >> c)
SHIFT_RI_SIZES(2, 16)
SHIFT_RI_SIZES(4, 32)

/* ---- shifts by 1 (D1 /4 /5 /7) on a 32-bit register ---- */

static void fo_shl_r1(struct cpu *cpu, const struct insn *i)
{
    uint32_t a = R32(i->rm), r = a << 1;
    flags_lazy(cpu, LF_SHL, 4, a, 1, r);
    SET_R32(i->rm, r);
    fo_next(cpu, i);
}

static void fo_shr_r1(struct cpu *cpu, const struct insn *i)
{
    uint32_t a = R32(i->rm), r = a >> 1;
    flags_lazy(cpu, LF_SHR, 4, a, 1, r);
    SET_R32(i->rm, r);
    fo_next(cpu, i);
}

static void fo_sar_r1(struct cpu *cpu, const struct insn *i)
{
    uint32_t a = R32(i->rm), r = (uint32_t)((int32_t)a >> 1);
    flags_lazy(cpu, LF_SAR, 4, a, 1, r);
    SET_R32(i->rm, r);
    fo_next(cpu, i);
}

/* ---- shifts by CL (D3 /4 /5 /7) on a register ---- */

static void fo_shl_rcl(struct cpu *cpu, const struct insn *i)
{
    unsigned c = (uint8_t)cpu->s.gpr[R_ECX] & 0x1f;
    if (c) {
        uint32_t a = R32(i->rm), r = a << c;
        flags_lazy(cpu, LF_SHL, 4, a, c, r);
        SET_R32(i->rm, r);
    }
    fo_next(cpu, i);
}

static void fo_shr_rcl(struct cpu *cpu, const struct insn *i)
{
    unsigned c = (uint8_t)cpu->s.gpr[R_ECX] & 0x1f;
    if (c) {
        uint32_t a = R32(i->rm), r = a >> c;
        flags_lazy(cpu, LF_SHR, 4, a, c, r);
        SET_R32(i->rm, r);
    }
    fo_next(cpu, i);
}

static void fo_sar_rcl(struct cpu *cpu, const struct insn *i)
{
    unsigned c = (uint8_t)cpu->s.gpr[R_ECX] & 0x1f;
    if (c) {
        uint32_t a = R32(i->rm), r = (uint32_t)((int32_t)a >> c);
        flags_lazy(cpu, LF_SAR, 4, a, c, r);
        SET_R32(i->rm, r);
    }
    fo_next(cpu, i);
}

/* ---- INC/DEC Ev (FF /0 /1): as alu.c's alu_unary, CF is read before
 * anything changes and a memory operand is stored before the flags ---- */

static void fo_inc_rm_r(struct cpu *cpu, const struct insn *i)
{
    uint32_t a = R32(i->rm), r = a + 1;
    flags_lazy(cpu, LF_INC, 4, a, cf_fast(cpu), r);
    SET_R32(i->rm, r);
    fo_next(cpu, i);
}

static void fo_dec_rm_r(struct cpu *cpu, const struct insn *i)
{
    uint32_t a = R32(i->rm), r = a - 1;
    flags_lazy(cpu, LF_DEC, 4, a, cf_fast(cpu), r);
    SET_R32(i->rm, r);
    fo_next(cpu, i);
}

static void fo_inc_m(struct cpu *cpu, const struct insn *i)
{
    uint32_t ea = insn_ea(cpu, i);
    uint32_t a = cpu_rd_rmw(cpu, i->seg, ea, 4), r = a + 1;
    uint32_t cf = cf_fast(cpu);
    cpu_wr(cpu, i->seg, ea, r, 4);
    flags_lazy(cpu, LF_INC, 4, a, cf, r);
    fo_next(cpu, i);
}

static void fo_dec_m(struct cpu *cpu, const struct insn *i)
{
    uint32_t ea = insn_ea(cpu, i);
    uint32_t a = cpu_rd_rmw(cpu, i->seg, ea, 4), r = a - 1;
    uint32_t cf = cf_fast(cpu);
    cpu_wr(cpu, i->seg, ea, r, 4);
    flags_lazy(cpu, LF_DEC, 4, a, cf, r);
    fo_next(cpu, i);
}

/* ---- MOV, MOVZX, LEA ---- */

static void fo_mov_rr(struct cpu *cpu, const struct insn *i)       /* 89 */
{
    SET_R32(i->rm, R32(i->reg));
    fo_next(cpu, i);
}

static void fo_mov_rr2(struct cpu *cpu, const struct insn *i)      /* 8B */
{
    SET_R32(i->reg, R32(i->rm));
    fo_next(cpu, i);
}

/* Loads and stores: the TLB-hit case returns straight away; the rest is a
 * tail call, so the fast path needs no stack frame. */
static __attribute__((noinline)) void mov_load_slow(struct cpu *cpu, const struct insn *i,
                                                   uint32_t ea)
{
    SET_R32(i->reg, cpu_rd_slow(cpu, i->seg, ea, 4));
    fo_next(cpu, i);
}

static __attribute__((noinline)) void mov_store_slow(struct cpu *cpu, const struct insn *i,
                                                    uint32_t ea)
{
    cpu_wr_slow(cpu, i->seg, ea, R32(i->reg), 4);
    fo_next(cpu, i);
}

static inline __attribute__((always_inline))
void mov_load(struct cpu *cpu, const struct insn *i, uint32_t ea)
{
    uint8_t *p;
    if (likely(mmu_fast_host(cpu, i->seg, ea, 4, ACC_READ, &p))) {
        SET_R32(i->reg, mmu_host_ld(p, 4));
        fo_next(cpu, i);
        return;
    }
    mov_load_slow(cpu, i, ea);
}

static inline __attribute__((always_inline))
void mov_store(struct cpu *cpu, const struct insn *i, uint32_t ea)
{
    uint8_t *p;
    if (likely(mmu_fast_host(cpu, i->seg, ea, 4, ACC_WRITE, &p))) {
        mmu_host_st(p, R32(i->reg), 4);
        fo_next(cpu, i);
        return;
    }
    mov_store_slow(cpu, i, ea);
}

static void fo_mov_load_bd(struct cpu *cpu, const struct insn *i)
{
    mov_load(cpu, i, ea_bd(cpu, i));
}

static void fo_mov_load(struct cpu *cpu, const struct insn *i)
{
    mov_load(cpu, i, insn_ea(cpu, i));
}

static void fo_mov_store_bd(struct cpu *cpu, const struct insn *i)
{
    mov_store(cpu, i, ea_bd(cpu, i));
}

static void fo_mov_store(struct cpu *cpu, const struct insn *i)
{
    mov_store(cpu, i, insn_ea(cpu, i));
}

/* 16-bit MOV 89/8B (operand-size prefix in 32-bit code). */
static void fo_mov16_rr(struct cpu *cpu, const struct insn *i)     /* 89 */
{
    set_reg16(cpu, i->rm, (uint16_t)cpu->s.gpr[i->reg]);
    fo_next(cpu, i);
}

static void fo_mov16_rr2(struct cpu *cpu, const struct insn *i)    /* 8B */
{
    set_reg16(cpu, i->reg, (uint16_t)cpu->s.gpr[i->rm]);
    fo_next(cpu, i);
}

static void fo_mov16_load(struct cpu *cpu, const struct insn *i)
{
    set_reg16(cpu, i->reg, (uint16_t)cpu_rd(cpu, i->seg, insn_ea(cpu, i), 2));
    fo_next(cpu, i);
}

static void fo_mov16_store(struct cpu *cpu, const struct insn *i)
{
    cpu_wr(cpu, i->seg, insn_ea(cpu, i), (uint16_t)cpu->s.gpr[i->reg], 2);
    fo_next(cpu, i);
}

static void fo_mov_ri(struct cpu *cpu, const struct insn *i)       /* B8+r */
{
    SET_R32(i->rm, i->imm);
    fo_next(cpu, i);
}

static void fo_mov_mi(struct cpu *cpu, const struct insn *i)       /* C7 /0 mem */
{
    cpu_wr(cpu, i->seg, insn_ea(cpu, i), i->imm, 4);
    fo_next(cpu, i);
}

static void fo_movzxb_rr(struct cpu *cpu, const struct insn *i)
{
    SET_R32(i->reg, reg8(cpu, i->rm));
    fo_next(cpu, i);
}

static void fo_movzxb_rm(struct cpu *cpu, const struct insn *i)
{
    SET_R32(i->reg, cpu_rd(cpu, i->seg, insn_ea(cpu, i), 1));
    fo_next(cpu, i);
}

static void fo_movzxw_rr(struct cpu *cpu, const struct insn *i)
{
    SET_R32(i->reg, (uint16_t)cpu->s.gpr[i->rm]);
    fo_next(cpu, i);
}

static void fo_movzxw_rm(struct cpu *cpu, const struct insn *i)
{
    SET_R32(i->reg, cpu_rd(cpu, i->seg, insn_ea(cpu, i), 2));
    fo_next(cpu, i);
}

static void fo_lea(struct cpu *cpu, const struct insn *i)
{
    SET_R32(i->reg, insn_ea(cpu, i));
    fo_next(cpu, i);
}

/* ---- PUSH/POP r32 on a 32-bit stack (SS.B = 1); otherwise the generic
 * handlers, which also handle a 16-bit SP ---- */

static void fo_push_r(struct cpu *cpu, const struct insn *i)
{
    if (unlikely(!(cpu->s.seg[SEG_SS].attr & SEGA_DB))) {
        op_push_Zv(cpu, i);
        return;
    }
    uint32_t sp = R32(R_ESP) - 4;
    cpu_wr(cpu, SEG_SS, sp, R32(i->rm), 4);
    SET_R32(R_ESP, sp);
    fo_next(cpu, i);
}

static void fo_pop_r(struct cpu *cpu, const struct insn *i)
{
    if (unlikely(!(cpu->s.seg[SEG_SS].attr & SEGA_DB))) {
        op_pop_Zv(cpu, i);
        return;
    }
    uint32_t sp = R32(R_ESP);
    uint32_t v = cpu_rd(cpu, SEG_SS, sp, 4);
    SET_R32(R_ESP, sp + 4);
    SET_R32(i->rm, v);      /* POP ESP: the popped value wins */
    fo_next(cpu, i);
}

/* ---- Jcc rel8/rel32 with a 32-bit operand size ---- */

#define JCC(cc)                                                             \
static void fo_jcc_##cc(struct cpu *cpu, const struct insn *i)              \
{                                                                           \
    if (cond(cpu, 0x##cc))                                                  \
        branch_near(cpu, (uint32_t)(cpu->next_rip + i->imm));               \
    fo_next(cpu, i);                                                        \
}
JCC(0) JCC(1) JCC(2) JCC(3) JCC(4) JCC(5) JCC(6) JCC(7)
JCC(8) JCC(9) JCC(a) JCC(b) JCC(c) JCC(d) JCC(e) JCC(f)

static const op_fn jcc[16] = {
    fo_jcc_0, fo_jcc_1, fo_jcc_2, fo_jcc_3, fo_jcc_4, fo_jcc_5, fo_jcc_6, fo_jcc_7,
    fo_jcc_8, fo_jcc_9, fo_jcc_a, fo_jcc_b, fo_jcc_c, fo_jcc_d, fo_jcc_e, fo_jcc_f,
};

/* ---- JMP rel8/rel32, CALL rel32, RET (32-bit operand size; CALL and RET
 * on a 32-bit stack, else the generic handlers): the target is checked
 * against the CS limit first, a push fault leaves ESP unchanged, as in
 * control.c ---- */

static void fo_jmp(struct cpu *cpu, const struct insn *i)
{
    branch_near(cpu, (uint32_t)(cpu->next_rip + i->imm));
    fo_next(cpu, i);
}

static void fo_call(struct cpu *cpu, const struct insn *i)
{
    if (unlikely(!(cpu->s.seg[SEG_SS].attr & SEGA_DB))) {
        op_call_Jz(cpu, i);
        return;
    }
    uint32_t ret = cpu->next_rip;
    branch_near(cpu, (uint32_t)(ret + i->imm));   /* a push fault unwinds to EIP */
    uint32_t sp = R32(R_ESP) - 4;
    cpu_wr(cpu, SEG_SS, sp, ret, 4);
    SET_R32(R_ESP, sp);
    fo_next(cpu, i);
}

static void fo_ret(struct cpu *cpu, const struct insn *i)
{
    if (unlikely(cpu->s.stack_size != 4 || !(cpu->s.seg[SEG_SS].attr & SEGA_DB))) {
        op_ret(cpu, i);
        return;
    }
    uint32_t sp = R32(R_ESP);
    branch_near(cpu, cpu_rd(cpu, SEG_SS, sp, 4));
    SET_R32(R_ESP, sp + 4);
    fo_next(cpu, i);
}

/* ---- byte MOV 88/8A, TEST Eb,Gb with a register operand ---- */

static void fo_mov8_rr(struct cpu *cpu, const struct insn *i)      /* 88 */
{
    set_reg8(cpu, i->rm, reg8(cpu, i->reg));
    fo_next(cpu, i);
}

static void fo_mov8_rr2(struct cpu *cpu, const struct insn *i)     /* 8A */
{
    set_reg8(cpu, i->reg, reg8(cpu, i->rm));
    fo_next(cpu, i);
}

static void fo_mov8_store(struct cpu *cpu, const struct insn *i)
{
    cpu_wr(cpu, i->seg, insn_ea(cpu, i), reg8(cpu, i->reg), 1);
    fo_next(cpu, i);
}

static void fo_mov8_load(struct cpu *cpu, const struct insn *i)
{
    set_reg8(cpu, i->reg, (uint8_t)cpu_rd(cpu, i->seg, insn_ea(cpu, i), 1));
    fo_next(cpu, i);
}

static void fo_test8_rr(struct cpu *cpu, const struct insn *i)
{
    uint32_t a = reg8(cpu, i->rm), b = reg8(cpu, i->reg);
    flags_lazy(cpu, LF_LOGIC, 1, a, b, a & b);
    fo_next(cpu, i);
}

/* ---- ALU eAX,imm32 (05, 0D, ... 3D), NOT r32 ---- */

#define ALU_AI(name, op)                                                    \
static void name(struct cpu *cpu, const struct insn *i)                     \
{                                                                           \
    uint32_t r = alu32(cpu, op, R32(R_EAX), i->imm);                        \
    if (op != ALU_CMP)                                                      \
        SET_R32(R_EAX, r);                                                  \
    fo_next(cpu, i);                                                        \
}
ALU_ALL(ALU_AI, fo_alu_ai)
static const op_fn alu_ai[8] = ALU_TABLE(fo_alu_ai);

static void fo_not_r(struct cpu *cpu, const struct insn *i)
{
    SET_R32(i->rm, ~R32(i->rm));
    fo_next(cpu, i);
}

/* ---- ALU AL,imm8 (04, 0C, ... 3C), TEST Eb,imm8 (F6 /0), NEG r32 ---- */

#define ALU_AL(name, op)                                                    \
static void name(struct cpu *cpu, const struct insn *i)                     \
{                                                                           \
    uint32_t a = (uint8_t)cpu->s.gpr[R_EAX], b = i->imm & 0xff, r;            \
    unsigned lop;                                                           \
    switch (op) {                                                           \
    case ALU_ADD: r = a + b; lop = LF_ADD; break;                           \
    case ALU_OR:  r = a | b; lop = LF_LOGIC; break;                         \
    case ALU_ADC: r = a + b + cf_fast(cpu); lop = LF_ADC; break;            \
    case ALU_SBB: r = a - b - cf_fast(cpu); lop = LF_SBB; break;            \
    case ALU_AND: r = a & b; lop = LF_LOGIC; break;                         \
    case ALU_SUB:                                                           \
    case ALU_CMP: r = a - b; lop = LF_SUB; break;                           \
    default:      r = a ^ b; lop = LF_LOGIC; break;                         \
    }                                                                       \
    r &= 0xff;                                                              \
    flags_lazy(cpu, (enum lazy_op)lop, 1, a, b, r);                         \
    if (op != ALU_CMP)                                                      \
        set_reg8(cpu, R_EAX, (uint8_t)r);                                   \
    fo_next(cpu, i);                                                        \
}
ALU_ALL(ALU_AL, fo_alu_al)
static const op_fn alu_al[8] = ALU_TABLE(fo_alu_al);

static void fo_test8_ri(struct cpu *cpu, const struct insn *i)
{
    uint32_t a = reg8(cpu, i->rm), b = i->imm & 0xff;
    flags_lazy(cpu, LF_LOGIC, 1, a, b, a & b);
    fo_next(cpu, i);
}

static void fo_test8_mi(struct cpu *cpu, const struct insn *i)
{
    uint32_t a = cpu_rd(cpu, i->seg, insn_ea(cpu, i), 1), b = i->imm & 0xff;
    flags_lazy(cpu, LF_LOGIC, 1, a, b, a & b);
    fo_next(cpu, i);
}

static void fo_neg_r(struct cpu *cpu, const struct insn *i)
{
    uint32_t a = R32(i->rm), r = 0 - a;
    SET_R32(i->rm, r);
    flags_lazy(cpu, LF_SUB, 4, 0, a, r);
    fo_next(cpu, i);
}

/* ---- ROL/ROR r32 by an immediate (C1 /0 /1, D1 /0 /1): as shift_calc,
 * only CF and OF change, the other flags are materialised first ---- */

static inline __attribute__((always_inline))
void rot32(struct cpu *cpu, const struct insn *i, unsigned count, bool left)
{
    unsigned c = count & 0x1f;
    if (c) {
        uint32_t a = R32(i->rm), r, cf, of;
        if (left) {
            r = (a << c) | (a >> (32 - c));
            cf = r & 1;
            of = (r >> 31) ^ cf;
        } else {
            r = (a >> c) | (a << (32 - c));
            cf = r >> 31;
            of = ((r >> 31) ^ (r >> 30)) & 1;
        }
        flags_materialize(cpu);
        SET_R32(i->rm, r);
        cpu->s.rflags = (cpu->s.rflags & ~(FL_CF | FL_OF)) | (cf ? FL_CF : 0) | (of ? FL_OF : 0);
    }
    fo_next(cpu, i);
}

static void fo_rol32_ri(struct cpu *cpu, const struct insn *i) { rot32(cpu, i, i->imm, true); }
static void fo_ror32_ri(struct cpu *cpu, const struct insn *i) { rot32(cpu, i, i->imm, false); }
static void fo_rol_r1(struct cpu *cpu, const struct insn *i) { rot32(cpu, i, 1, true); }
static void fo_ror_r1(struct cpu *cpu, const struct insn *i) { rot32(cpu, i, 1, false); }

/* ---- CMOVcc (0F 40-4F, 32-bit) and SETcc (0F 90-9F): the source of a
 * CMOV is read whatever the condition, as hardware does ---- */

#define CMOV_SET(cc)                                                        \
static void fo_cmov_rr_##cc(struct cpu *cpu, const struct insn *i)          \
{                                                                           \
    if (cond(cpu, 0x##cc))                                                  \
        SET_R32(i->reg, R32(i->rm));                                        \
    fo_next(cpu, i);                                                        \
}                                                                           \
static void fo_cmov_rm_##cc(struct cpu *cpu, const struct insn *i)          \
{                                                                           \
    uint32_t v = cpu_rd(cpu, i->seg, insn_ea(cpu, i), 4);                   \
    if (cond(cpu, 0x##cc))                                                  \
        SET_R32(i->reg, v);                                                 \
    fo_next(cpu, i);                                                        \
}                                                                           \
static void fo_setcc_r_##cc(struct cpu *cpu, const struct insn *i)          \
{                                                                           \
    set_reg8(cpu, i->rm, cond(cpu, 0x##cc));                                \
    fo_next(cpu, i);                                                        \
}
CMOV_SET(0) CMOV_SET(1) CMOV_SET(2) CMOV_SET(3) CMOV_SET(4) CMOV_SET(5)
CMOV_SET(6) CMOV_SET(7) CMOV_SET(8) CMOV_SET(9) CMOV_SET(a) CMOV_SET(b)
CMOV_SET(c) CMOV_SET(d) CMOV_SET(e) CMOV_SET(f)

#define CC_TABLE(pfx) { pfx##0, pfx##1, pfx##2, pfx##3, pfx##4, pfx##5,     \
                        pfx##6, pfx##7, pfx##8, pfx##9, pfx##a, pfx##b,     \
                        pfx##c, pfx##d, pfx##e, pfx##f }
static const op_fn cmov_rr[16] = CC_TABLE(fo_cmov_rr_);
static const op_fn cmov_rm[16] = CC_TABLE(fo_cmov_rm_);
static const op_fn setcc_r[16] = CC_TABLE(fo_setcc_r_);

/* ---- selection: the rows of spec.def ---- */

#define ANY SPEC_ANY
#define REG SPEC_REG
#define MEM SPEC_MEM
#define BD  SPEC_BD
/* Designated: a plain handler fills .fast (the field after .sub), TAB(t)
 * fills .tab. */
#define TAB(t) .tab = (t)
#define S(g, sz, f, sb, fast) { .generic = g, .size = sz, .form = f, .sub = sb, fast },
static const struct spec specs[] = {
#include "cpu/spec.def"
};
#undef S
#undef TAB
#undef ANY
#undef REG
#undef MEM
#undef BD
#define NSPECS (sizeof(specs) / sizeof(specs[0]))

/* A table of spec rows with its links: per opcode-table row, the first
 * spec row for its handler (+ 1, 0 = none); per spec row, the next one
 * for the same handler (+ 1). */
struct spec_index {
    const struct spec *rows;
    unsigned n;
    uint8_t first[1024];
    uint8_t next[255];
};
static struct spec_index idx_leg, idx64;

static void index_build(struct spec_index *x, const struct spec *rows, unsigned n)
{
    x->rows = rows;
    x->n = n;
    for (unsigned k = n; k-- > 0;) {
        for (unsigned j = k + 1; j < n; j++) {
            if (rows[j].generic == rows[k].generic) {
                x->next[k] = (uint8_t)(j + 1);
                break;
            }
        }
    }
    for (unsigned r = 0; r < optable_nrows && r < sizeof(x->first); r++) {
        for (unsigned k = 0; k < n; k++) {
            if (rows[k].generic == optable_rows[r].fn) {
                x->first[r] = (uint8_t)(k + 1);
                break;
            }
        }
    }
}

/* The first row of x for record i: its handler, operand size and sub-op,
 * and its form (`bd`, `rip`: the record's memory operand has that form;
 * reg_only: only rows of register forms, REG and ANY). */
static const struct spec *spec_find(const struct spec_index *x, const struct insn *i,
                                    bool bd, bool rip, bool reg_only)
{
    bool reg = i->mod == 3;
    for (unsigned k = x->first[i->row]; k; k = x->next[k - 1]) {
        const struct spec *s = &x->rows[k - 1];
        if (s->generic != i->fn || s->size != i->opsize)
            continue;
        if (s->sub != SPEC_ANY && s->sub != i->sub)
            continue;
        if (reg_only && s->form != SPEC_REG && s->form != SPEC_ANY)
            continue;
        if ((s->form == SPEC_REG && !reg) || (s->form == SPEC_MEM && reg) ||
            (s->form == SPEC_BD && !bd) || (s->form == SPEC_RIP && !rip))
            continue;
        return s;
    }
    return NULL;
}

void fastops_specialize(struct insn *i, unsigned code_size)
{
    static bool ready;
    if (!ready) {
        _Static_assert(NSPECS < 255, "spec rows fit the uint8_t links");
        index_build(&idx_leg, specs, NSPECS);
        index_build(&idx64, fastops_specs64, fastops_nspecs64);
        ready = true;
    }
    /* LOCK keeps the generic (atomic) path. */
    if ((i->pfx & PFX_LOCK) || i->row >= sizeof(idx_leg.first))
        return;
    bool mem = i->mod != 3;
    const struct spec *s;
    if (code_size != 8) {
        s = spec_find(&idx_leg, i, mem && i->adsize == 4 && i->base < 16 &&
                      i->index == EA_NONE, false, false);
    } else {
        bool a64 = mem && i->adsize == 8;
        s = spec_find(&idx64, i, a64 && i->base < 16 && i->index == EA_NONE,
                      a64 && i->base == EA_RIP, false);
        if (s && s->leg)
            s = spec_find(&idx_leg, i, false, false, true);
    }
    if (s)
        i->fn = s->fast ? s->fast : s->tab[i->sub];
}
