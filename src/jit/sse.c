/* SSE forms in translated code (docs/jit.md, "x87 and SSE"): a guest's legacy SSE
 * instruction that only reads and writes XMM registers, memory and MXCSR
 * runs as itself on the host, with the guest's XMM n in host XMM n (the
 * register cache's RC_XMM bits, tctx.h) and a memory operand rewritten to
 * [RAX + RDX] behind the inline TLB probe.
 *
 * Exactness: the interpreter computes these on the host too, with the
 * guest's rounding, DAZ and FTZ and every exception masked, then ORs the
 * flags into MXCSR (src/cpu/simd/fp_host.c). With the guest's masks all
 * set that is what the host does with the guest's own MXCSR loaded
 * (RC_MX), so the results and flags are the same bits; with any exception
 * unmasked, or CR0.EM/TS set, or CR4.OSFXSR clear (RC_SSE), the first such
 * instruction runs as its handler and the block ends after it. What the
 * handler checks before touching an operand is kept: #GP(0) for a
 * misaligned m128 of an aligned form, page faults and page crossings on
 * the slow path (the whole instruction as its handler), the guest CPU
 * model's feature bit at translation. */
#include "jit/tctx.h"

#include "cpu/flags.h"
#include "cpu/optable.h"
#include "cpu/sse_check.h"
#include "cpu/x87.h"

#define H(name) void name(struct cpu *cpu, const struct insn *i);
#include "cpu/handlers.def"
#undef H

/* What a record is as a native SSE form. */
struct sse_form {
    uint8_t size;       /* memory operand bytes */
    bool align;         /* a 16-byte memory operand must be aligned */
    bool store;         /* the memory operand (or r/m register) is the destination */
    bool fp;            /* reads MXCSR: needs RC_MX */
    bool whole;         /* the destination is written whole (no need to load it) */
    bool rm_only;       /* 66 0F 71-73: ModRM.reg is an opcode digit; r/m is both operands */
    bool gpr;           /* MOVD/MOVQ with a general register or memory (66 0F 6E/7E) */
    uint8_t cvt;        /* CVTSI2SS/SD (CVT_I2F), CVT(T)SS/SD2SI (CVT_F2I) */
    bool comis;         /* COMISS/UCOMISS/COMISD/UCOMISD: writes EFLAGS */
};

enum { CVT_NONE, CVT_I2F, CVT_F2I };

/* The memory operand's bytes for a row's W operand kind. */
static unsigned w_size(unsigned kind, bool *align)
{
    *align = false;
    switch (kind) {
    case O_Wq: return 8;
    case O_Wd: return 4;
    case O_Ww: return 2;
    default: *align = true; return 16;
    }
}

/* Whether the host has what the row needs (maps 0F 38 and 0F 3A hold
 * SSSE3 and SSE4.1 forms; SSE and SSE2 are part of x86-64). */
static bool host_has(unsigned feat)
{
    switch (feat) {
    case FEAT_SSE3: return __builtin_cpu_supports("sse3");
    case FEAT_SSSE3: return __builtin_cpu_supports("ssse3");
    case FEAT_SSE41: return __builtin_cpu_supports("sse4.1");
    case FEAT_SSE42: return __builtin_cpu_supports("sse4.2");
    default: return true;
    }
}

static bool sse_form(const struct tctx *t, const struct insn *i, struct sse_form *f)
{
    const struct oprow *row = &optable_rows[i->row];
    const op_fn g = row->fn;
    const unsigned map = i->op >> 8;
    *f = (struct sse_form){ 0 };
    if (i->fn == op_ud || (i->pfx & PFX_LOCK) || map < 1 || map > 3)
        return false;
    if (g == op_mmx_Nq_Ib || g == op_sse_Ux_Ib) {
        /* 66 0F 71-73 /digit ib on an XMM register (SSE2); without 66
         * it is MMX. */
        if (!(i->pfx & PFX_OPSZ) || (i->pfx & (PFX_REP | PFX_REPNE)) || i->mod != 3 ||
            !cpuid_has(&t->jv->cpu->model, CPUID_1_EDX, CPUID_SSE2))
            return false;
        f->rm_only = true;
        return true;
    }
    if (!sse_row_has(t->jv->cpu, i) || !host_has(row->feat))
        return false;
    if (g == op_sse_fp_Vx_Wx || g == op_sse_fpimm_Vx_Wx_Ib || g == op_sse_bit_Vx_Wx ||
        g == op_sse_int_Vx_Wx || g == op_sse_int_Vx_Wx_Ib) {
        f->size = 16;
        f->align = true;
    } else if (g == op_sse_fp_Vx_Wq || g == op_sse_fpimm_Vx_Wq_Ib) {
        f->size = 8;
    } else if (g == op_sse_fp_Vx_Wd || g == op_sse_fpimm_Vx_Wd_Ib) {
        f->size = 4;
    } else if (g == op_sse_fp_Vx_Wx_Ib || g == op_sse_int_Vx_Wn) {
        f->size = (uint8_t)w_size(row->o[1], &f->align);
    } else if (g == op_sse_mov_Vx_Wx || g == op_sse_mov_Wx_Vx) {
        f->size = 16;
        f->align = i->sub == 16;
        f->store = g == op_sse_mov_Wx_Vx;
        f->whole = true;
    } else if (g == op_sse_movs_Vx_Wx || g == op_sse_movs_Wx_Vx) {
        /* MOVSS/MOVSD merge into a register destination, MOVQ (sub bit
         * 7) zeroes the rest; a load from memory zeroes it too. */
        f->size = i->sub & 0x7f;
        f->store = g == op_sse_movs_Wx_Vx;
        f->whole = (i->sub & 0x80) || (!f->store && i->mod != 3);
    } else if (g == op_sse_movd_Vx_Ey || g == op_sse_movd_Ey_Vx) {
        f->gpr = true;
        f->size = (i->rex & REX_W) ? 8 : 4;
        f->store = g == op_sse_movd_Ey_Vx;
        f->whole = !f->store;
    } else if (g == op_sse_cvtsi2s_Vx_Ey) {
        f->cvt = CVT_I2F;
        f->size = (i->rex & REX_W) ? 8 : 4;
    } else if (g == op_sse_cvt2si_Gy_Wd || g == op_sse_cvt2si_Gy_Wq) {
        f->cvt = CVT_F2I;
        f->size = g == op_sse_cvt2si_Gy_Wd ? 4 : 8;
    } else if (g == op_sse_comis_Vx_Wd || g == op_sse_comis_Vx_Wq) {
        f->comis = true;
        f->size = g == op_sse_comis_Vx_Wd ? 4 : 8;
    } else if (g == op_sse_ldq_Vx_Wx || g == op_sse_stq_Mq_Vx) {
        f->size = 8;
        f->store = g == op_sse_stq_Mq_Vx;
    } else {
        return false;
    }
    f->fp = g == op_sse_fp_Vx_Wx || g == op_sse_fp_Vx_Wq || g == op_sse_fp_Vx_Wd ||
            g == op_sse_fpimm_Vx_Wx_Ib || g == op_sse_fpimm_Vx_Wq_Ib ||
            g == op_sse_fpimm_Vx_Wd_Ib || g == op_sse_fp_Vx_Wx_Ib || f->cvt || f->comis;
    return true;
}

uint32_t tc_sse_plan(const struct tctx *t, const struct insn *i)
{
    struct sse_form f;
    if (!sse_form(t, i, &f))
        return 0;
    uint32_t need = RC_SSE | (f.fp ? RC_MX : 0);
    if (f.rm_only)
        return need | RC_XMM(i->rm & 15);
    if (f.cvt == CVT_F2I)
        return need | (i->mod == 3 ? RC_XMM(i->rm & 15) : 0);
    need |= RC_XMM(i->reg & 15);
    if (i->mod == 3 && !f.gpr && f.cvt != CVT_I2F)
        need |= RC_XMM(i->rm & 15);
    return need;
}

unsigned tc_emit_state_check(struct tctx *t, uint32_t want, size_t fields[5])
{
    struct jit_buf *b = t->b;
    unsigned n = 0;
    t->hflags = false;
    if (want & (RC_SSE | RC_X87)) {
        emit_mov_rm(b, 32, JIT_RAX, M(s.cr0));
        emit_test_ri(b, 32, JIT_RAX, CR0_EM | CR0_TS);
        fields[n++] = emit_jcc32_fwd(b, JIT_CC_NE);
    }
    if (want & RC_SSE) {
        emit_mov_rm(b, 32, JIT_RAX, M(s.cr4));
        emit_test_ri(b, 32, JIT_RAX, CR4_OSFXSR);
        fields[n++] = emit_jcc32_fwd(b, JIT_CC_E);
    }
    if (want & RC_MX) {
        emit_mov_rm(b, 32, JIT_RAX, M(s.mxcsr));
        emit_unop_r(b, JIT_NOT, 32, JIT_RAX);
        emit_test_ri(b, 32, JIT_RAX, MXCSR_MASKS);
        fields[n++] = emit_jcc32_fwd(b, JIT_CC_NE);
    }
    if (want & RC_X87) {
        /* Every exception masked (FCW bits 0-5) and none pending (ES). */
        emit_movzx_rm(b, 32, 16, JIT_RAX, M(s.fpu.cw));
        emit_unop_r(b, JIT_NOT, 32, JIT_RAX);
        emit_test_ri(b, 32, JIT_RAX, FCW_EXC);
        fields[n++] = emit_jcc32_fwd(b, JIT_CC_NE);
        emit_movzx_rm(b, 32, 16, JIT_RAX, M(s.fpu.sw));
        emit_test_ri(b, 32, JIT_RAX, FSW_ES);
        fields[n++] = emit_jcc32_fwd(b, JIT_CC_NE);
    }
    return n;
}

void tc_state_enter(struct tctx *t, uint32_t want)
{
    /* If the state does not hold, the handler runs this instruction (and
     * raises what it raises) and the block ends. */
    struct tslow *sl = tc_slow_leave(t);
    size_t fields[5];
    const unsigned nf = tc_emit_state_check(t, want, fields);
    for (unsigned k = 0; k < nf; k++)
        sl->jumps[sl->njumps++] = fields[k];
    tc_emit_rc_load(t, want);
    t->rc_valid |= want;
    t->rc_dirty |= want & (RC_MX | RC_X87);
}

/* Host XMM n = guest XMM n (loaded unless the slot has it). */
static void xmm_load(struct tctx *t, unsigned n)
{
    if (t->rc_valid & RC_XMM(n))
        return;
    emit_movdqu_xm(t->b, (enum jit_xmm)n, jit_mem(JIT_R15, CPU_OFF(s.xmm) + (int32_t)(16 * n)));
    t->rc_valid |= RC_XMM(n);
}

/* MOVD/MOVQ xmm, r/m32/64 (the rest of the register zeroed) and
 * r/m32/64, xmm (a 32-bit register destination zero-extended). */
static bool movd(struct tctx *t, const struct sse_form *f)
{
    const struct insn *i = t->i;
    struct jit_buf *b = t->b;
    const unsigned reg = i->reg & 15, bits = f->size * 8u;
    if (f->store)
        xmm_load(t, reg);
    if (i->mod == 3) {
        if (f->store) {
            emit_movd_rx(b, bits, JIT_RAX, (enum jit_xmm)reg);
            tc_st_greg(t, f->size, i->rm, JIT_RAX);
        } else {
            tc_ld_greg(t, f->size, JIT_RAX, i->rm);
            emit_movd_xr(b, bits, (enum jit_xmm)reg, JIT_RAX);
        }
    } else {
        tc_emit_ea(t, JIT_RDX);
        struct tslow *sl = tc_probe_whole(t, f->size, f->store);
        const struct jit_mem m = jit_mem_idx(JIT_RAX, JIT_RDX, 1, 0);
        if (f->store)
            emit_movd_mx(b, bits, m, (enum jit_xmm)reg);
        else
            emit_movd_xm(b, bits, (enum jit_xmm)reg, m);
        if (!f->store) {
            t->rc_valid |= RC_XMM(reg);
            t->rc_dirty |= RC_XMM(reg);
        }
        tc_slow_back(t, sl);
        tc_retire(t);
        return true;
    }
    if (!f->store) {
        t->rc_valid |= RC_XMM(reg);
        t->rc_dirty |= RC_XMM(reg);
    }
    tc_retire(t);
    return true;
}

/* CVTSI2SS/SD xmm, r/m32/64 (the rest of the destination kept) and
 * CVT(T)SS/SD2SI r32/64, xmm/m32/m64 (a 32-bit result zero-extended). */
static bool cvt(struct tctx *t, const struct sse_form *f)
{
    const struct insn *i = t->i;
    struct jit_buf *b = t->b;
    const enum jit_sse op = (enum jit_sse)((i->mpfx == MPFX_F2 ? 0xF200 : 0xF300) | (i->op & 0xff));
    const unsigned isize = (i->rex & REX_W) ? 64 : 32, reg = i->reg & 15;
    struct tslow *sl = NULL;
    const struct jit_mem m = jit_mem_idx(JIT_RAX, JIT_RDX, 1, 0);
    if (f->cvt == CVT_I2F) {
        xmm_load(t, reg);
        if (i->mod == 3) {
            tc_ld_greg(t, isize / 8, JIT_RAX, i->rm);
            emit_cvt_i2f_rr(b, op, isize, (enum jit_xmm)reg, JIT_RAX);
        } else {
            tc_emit_ea(t, JIT_RDX);
            sl = tc_probe_whole(t, f->size, false);
            emit_cvt_i2f_rm(b, op, isize, (enum jit_xmm)reg, m);
        }
        t->rc_dirty |= RC_XMM(reg);
    } else {
        if (i->mod == 3) {
            xmm_load(t, i->rm & 15);
            emit_cvt_f2i_rr(b, op, isize, JIT_RAX, (enum jit_xmm)(i->rm & 15));
        } else {
            tc_emit_ea(t, JIT_RDX);
            sl = tc_probe_whole(t, f->size, false);
            emit_cvt_f2i_rm(b, op, isize, JIT_RAX, m);
        }
        tc_st_greg(t, isize / 8, reg, JIT_RAX);
    }
    if (sl)
        tc_slow_back(t, sl);
    tc_retire(t);
    return true;
}

/* COMISS/UCOMISS/COMISD/UCOMISD: ZF PF CF from the compare, OF SF AF
 * clear, as the host sets them. They become the guest's materialised
 * EFLAGS (lf.op LF_NONE; a pending record is dead: all six are written),
 * and the host flags are the guest's again for a Jcc after it (SAHF
 * puts back what LAHF took; the OR before it cleared OF). A miss runs the
 * whole instruction and leaves. */
void tc_emit_flags_from_host(struct tctx *t)
{
    struct jit_buf *b = t->b;
    emit_lahf(b);
    emit_mov_rr(b, 32, JIT_RCX, JIT_RAX);
    emit_shift_ri(b, JIT_SHR, 32, JIT_RCX, 8);
    emit_alu_ri(b, JIT_AND, 32, JIT_RCX, FL_ZF | FL_PF | FL_CF);
    emit_mov_rm(b, 64, JIT_RDX, M(s.rflags));
    emit_alu_ri(b, JIT_AND, 64, JIT_RDX, ~(int64_t)FL_ARITH);
    emit_alu_rr(b, JIT_OR, 64, JIT_RDX, JIT_RCX);
    emit_mov_mr(b, 64, M(s.rflags), JIT_RDX);
    emit_mov_mi(b, 16, M(s.lf.op), LF_NONE);
    emit_sahf(b);
    t->lf_word = 0;
    t->lf_op = LF_NONE;
    t->hflags = true;
}

static bool comis(struct tctx *t, const struct sse_form *f)
{
    const struct insn *i = t->i;
    struct jit_buf *b = t->b;
    const unsigned reg = i->reg & 15, pfx = i->mpfx == MPFX_66 ? 0x66 : 0;
    xmm_load(t, reg);
    if (i->mod == 3) {
        xmm_load(t, i->rm & 15);
        emit_sse_any(b, pfx, 1, i->op & 0xff, (int)reg, (int)(i->rm & 15), jit_mem(JIT_RAX, 0), 0, 0);
    } else {
        tc_emit_ea(t, JIT_RDX);
        struct tslow *sl = tc_probe_whole(t, f->size, false);
        sl->leave = true;
        emit_sse_any(b, pfx, 1, i->op & 0xff, (int)reg, -1, jit_mem_idx(JIT_RAX, JIT_RDX, 1, 0), 0, 0);
    }
    tc_emit_flags_from_host(t);
    tc_retire(t);
    return true;
}

bool jit_sse(struct tctx *t)
{
    const struct insn *i = t->i;
    struct jit_buf *b = t->b;
    struct sse_form f;
    if (!sse_form(t, i, &f))
        return false;
    const bool mem = i->mod != 3;
    const uint32_t miss = (RC_SSE | (f.fp ? RC_MX : 0)) & ~t->rc_valid;
    if (!tc_slow_room(t, (miss != 0) + mem) || (mem && i->seg >= 6))
        return false;
    if (miss)
        tc_state_enter(t, miss);
    if (f.gpr)
        return movd(t, &f);
    if (f.cvt)
        return cvt(t, &f);
    if (f.comis)
        return comis(t, &f);
    /* The operands: the ModRM.reg register (the destination of a load
     * form, the source of a store), the r/m register. */
    const unsigned reg = i->reg & 15, rm = i->rm & 15;
    const unsigned dst = f.rm_only || (f.store && !mem) ? rm : reg;
    if (f.rm_only) {
        xmm_load(t, rm);
    } else {
        if (f.store || !f.whole)
            xmm_load(t, reg);
        if (!mem && (!f.store || !f.whole))
            xmm_load(t, rm);
    }
    const unsigned pfx = f.rm_only ? 0x66 : (unsigned[]){ 0, 0x66, 0xF3, 0xF2 }[i->mpfx & 3];
    const unsigned immlen = optable_rows[i->row].imm == IMM_B ? 1 : 0;
    const int mreg = f.rm_only ? (i->modrm >> 3) & 7 : (int)reg;
    struct tslow *sl = NULL;
    if (mem) {
        tc_emit_ea(t, JIT_RDX);
        sl = tc_probe_whole(t, f.size, f.store);
        if (f.align && f.size == 16 && !t->ac) {     /* (else the probe tests it) */
            emit_test_ri(b, 32, JIT_RDX, 15);
            sl->jumps[sl->njumps++] = emit_jcc32_fwd(b, JIT_CC_NE);
        }
        emit_sse_any(b, pfx, i->op >> 8, i->op & 0xff, mreg, -1, jit_mem_idx(JIT_RAX, JIT_RDX, 1, 0),
                     immlen, (uint8_t)i->imm);
    } else {
        emit_sse_any(b, pfx, i->op >> 8, i->op & 0xff, mreg, (int)rm, jit_mem(JIT_RAX, 0), immlen,
                     (uint8_t)i->imm);
    }
    if (!(f.store && mem)) {
        t->rc_valid |= RC_XMM(dst);
        t->rc_dirty |= RC_XMM(dst);
    }
    if (sl)
        tc_slow_back(t, sl);
    tc_retire(t);
    return true;
}
