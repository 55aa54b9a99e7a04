/* x87 forms in translated code (docs/jit.md, "x87 and SSE"): inside a block the
 * guest's FPU state lives in the host FPU (RC_X87, tctx.h), loaded with
 * FRSTOR from an image built from struct x87 and put back with FNSAVE
 * (which also leaves the host FPU initialised, as the C code around
 * translated code expects). In between, a guest's x87 instruction runs
 * as itself: stack, tags, TOP, C0-C3 and the exception flags change in
 * the host unit exactly as the interpreter, which computes on the host
 * x87 too (src/cpu/x87_host.c), changes them.
 *
 * Only while the guest's control word masks every exception and no
 * exception is pending (ES clear), with CR0.EM and CR0.TS clear: then no
 * x87 instruction faults, and every masked response (stack faults
 * included) is the hardware's own. Otherwise the first x87 instruction of
 * the block runs as its handler and the block ends. Control instructions
 * (FLDCW, FLDENV, FRSTOR, FNSAVE, FNSTENV, FNINIT, FNCLEX), the aliases
 * of P6 and the forms that read or write EFLAGS or general registers
 * stay handler calls; a call stores the state first. FIP/FCS/FOP and
 * FDP/FDS are stored as x87_record() stores them. */
#include "jit/tctx.h"

#include "cpu/cpuid.h"
#include "cpu/x87.h"

struct x87_form {
    uint8_t size;       /* memory operand bytes (0: register form) */
    bool store;         /* writes its memory operand */
    bool eflags;        /* FCOMI, FUCOMI(P): ZF PF CF */
    bool fnstsw;        /* FNSTSW AX (a control form: no FIP record) */
};

/* Documented, non-control x87 forms that touch only the FPU and memory:
 * SDM vol. 2 A.5 (the tables the interpreter's classify() follows). */
static bool x87_form(const struct tctx *t, const struct insn *i, struct x87_form *f)
{
    const unsigned op = i->op;
    *f = (struct x87_form){ 0 };
    if (op < 0xD8 || op > 0xDF || i->fn == op_ud || (i->pfx & PFX_LOCK))
        return false;
    const unsigned esc = op - 0xD8, reg = (i->modrm >> 3) & 7, rm = i->modrm & 7;
    if (i->mod != 3) {
        static const uint8_t arith[4] = { 4, 4, 8, 2 };     /* D8 DA DC DE: m32fp m32int m64fp m16int */
        const bool sse3 = cpuid_has(&t->jv->cpu->model, CPUID_1_ECX, CPUID_C_SSE3);
        if (!(esc & 1)) {
            f->size = arith[esc / 2];
            return true;
        }
        switch (esc * 8 + reg) {
        case 1 * 8 + 0: f->size = 4; return true;                  /* FLD m32 */
        case 1 * 8 + 2: case 1 * 8 + 3: f->size = 4; f->store = true; return true;
        case 3 * 8 + 0: f->size = 4; return true;                  /* FILD m32 */
        case 3 * 8 + 1: f->size = 4; f->store = true; return sse3;  /* FISTTP m32 */
        case 3 * 8 + 2: case 3 * 8 + 3: f->size = 4; f->store = true; return true;
        case 3 * 8 + 5: f->size = 10; return true;                 /* FLD m80 */
        case 3 * 8 + 7: f->size = 10; f->store = true; return true;
        case 5 * 8 + 0: f->size = 8; return true;                  /* FLD m64 */
        case 5 * 8 + 1: f->size = 8; f->store = true; return sse3;
        case 5 * 8 + 2: case 5 * 8 + 3: f->size = 8; f->store = true; return true;
        case 7 * 8 + 0: f->size = 2; return true;                  /* FILD m16 */
        case 7 * 8 + 1: f->size = 2; f->store = true; return sse3;
        case 7 * 8 + 2: case 7 * 8 + 3: f->size = 2; f->store = true; return true;
        case 7 * 8 + 4: f->size = 10; return true;                 /* FBLD */
        case 7 * 8 + 5: f->size = 8; return true;                  /* FILD m64 */
        case 7 * 8 + 6: f->size = 10; f->store = true; return true; /* FBSTP */
        case 7 * 8 + 7: f->size = 8; f->store = true; return true;
        default: return false;
        }
    }
    switch (esc) {
    case 0:
        return true;                            /* FADD..FDIVR, FCOM, FCOMP */
    case 1:
        if (reg == 0 || reg == 1 || reg == 6 || reg == 7)
            return true;                        /* FLD, FXCH, F2XM1.., FPREM.. */
        if (reg == 2)
            return rm == 0;                     /* FNOP */
        if (reg == 4)
            return rm == 0 || rm == 1 || rm == 4 || rm == 5;  /* FCHS FABS FTST FXAM */
        if (reg == 5)
            return rm != 7;                     /* FLD1 .. FLDZ */
        return false;
    case 2:
        return reg == 5 && rm == 1;             /* FUCOMPP */
    case 4:
    case 6:
        if (reg == 2 || reg == 3)
            return esc == 6 && reg == 3 && rm == 1;   /* FCOMPP (not the aliases) */
        return true;                            /* FADD..FDIV(R)(P) ST(i), ST */
    case 5:
        return reg == 0 || reg == 2 || reg == 3 || reg == 4 || reg == 5;
    case 3:
    case 7:
        if (reg == 5 || reg == 6) {             /* FUCOMI(P), FCOMI(P) */
            f->eflags = true;
            return true;
        }
        if (esc == 7 && reg == 4 && rm == 0) {  /* FNSTSW AX */
            f->fnstsw = true;
            return true;
        }
        return false;                           /* FCMOV, controls, aliases */
    default:
        return false;                           /* FCMOV */
    }
}

uint32_t tc_x87_plan(const struct tctx *t, const struct insn *i)
{
    struct x87_form f;
    return x87_form(t, i, &f) ? RC_X87 : 0;
}

/* The physical register of ST(i) at run time: RDX = ((TOP + i) & 7) * 16
 * from ECX = TOP. */
static void phys_rdx(struct jit_buf *b, unsigned k)
{
    emit_lea(b, 32, JIT_RDX, jit_mem(JIT_RCX, (int32_t)k));
    emit_alu_ri(b, JIT_AND, 32, JIT_RDX, 7);
    emit_shift_ri(b, JIT_SHL, 32, JIT_RDX, 4);
}

_Static_assert(sizeof(struct f80) == 16, "phys_rdx scales by 16");

#define IMG(off) jit_mem(JIT_R15, CPU_OFF(jit_x87_img) + (off))
#define ST_MANT jit_mem_idx(JIT_R15, JIT_RDX, 1, CPU_OFF(s.fpu.st))
#define ST_SE jit_mem_idx(JIT_R15, JIT_RDX, 1, CPU_OFF(s.fpu.st) + 8)

/* Guest state into the host FPU: the FRSTOR image (32-bit format: FCW,
 * FSW, full tag word, pointers, ST(0)..ST(7) of 10 bytes from byte 28)
 * from struct x87, then FRSTOR. */
static void emit_load_routine(struct jit_buf *b)
{
    emit_push_r(b, JIT_RAX);
    emit_push_r(b, JIT_RCX);
    emit_push_r(b, JIT_RDX);
    emit_movzx_rm(b, 32, 16, JIT_RAX, M(s.fpu.cw));
    emit_mov_mr(b, 32, IMG(0), JIT_RAX);
    emit_movzx_rm(b, 32, 16, JIT_RAX, M(s.fpu.tw));
    emit_mov_mr(b, 32, IMG(8), JIT_RAX);
    emit_movzx_rm(b, 32, 16, JIT_RCX, M(s.fpu.sw));
    emit_mov_mr(b, 32, IMG(4), JIT_RCX);
    emit_shift_ri(b, JIT_SHR, 32, JIT_RCX, 11);
    for (unsigned k = 0; k < 8; k++) {
        phys_rdx(b, k);
        emit_mov_rm(b, 64, JIT_RAX, ST_MANT);
        emit_mov_mr(b, 64, IMG(28 + 10 * (int32_t)k), JIT_RAX);
        emit_movzx_rm(b, 32, 16, JIT_RAX, ST_SE);
        emit_mov_mr(b, 16, IMG(36 + 10 * (int32_t)k), JIT_RAX);
    }
    emit_frstor(b, IMG(0));
    emit_pop_r(b, JIT_RDX);
    emit_pop_r(b, JIT_RCX);
    emit_pop_r(b, JIT_RAX);
    emit_ret(b);
}

/* The host FPU back into struct x87 (FNSAVE, which initialises the host
 * unit): FSW, the tag word (full tags, computed by the hardware from the
 * registers as x87_tag_word() computes them) and the registers; FCW does
 * not change in translated code. */
static void emit_store_routine(struct jit_buf *b)
{
    emit_push_r(b, JIT_RAX);
    emit_push_r(b, JIT_RCX);
    emit_push_r(b, JIT_RDX);
    emit_fnsave(b, IMG(0));
    emit_movzx_rm(b, 32, 16, JIT_RAX, IMG(8));
    emit_mov_mr(b, 16, M(s.fpu.tw), JIT_RAX);
    emit_movzx_rm(b, 32, 16, JIT_RCX, IMG(4));
    emit_mov_mr(b, 16, M(s.fpu.sw), JIT_RCX);
    emit_shift_ri(b, JIT_SHR, 32, JIT_RCX, 11);
    for (unsigned k = 0; k < 8; k++) {
        phys_rdx(b, k);
        emit_mov_rm(b, 64, JIT_RAX, IMG(28 + 10 * (int32_t)k));
        emit_mov_mr(b, 64, ST_MANT, JIT_RAX);
        emit_movzx_rm(b, 32, 16, JIT_RAX, IMG(36 + 10 * (int32_t)k));
        emit_mov_mr(b, 16, ST_SE, JIT_RAX);
    }
    emit_pop_r(b, JIT_RDX);
    emit_pop_r(b, JIT_RCX);
    emit_pop_r(b, JIT_RAX);
    emit_ret(b);
}

void jit_emit_x87_routines(struct jit_vcpu *jv, struct jit_buf *b)
{
    emit_align(b, 16);
    jv->x87_load = emit_here(b);
    emit_load_routine(b);
    emit_align(b, 16);
    jv->x87_store = emit_here(b);
    emit_store_routine(b);
}

void tc_emit_x87_load(struct tctx *t)
{
    emit_call_abs(t->b, t->jv->x87_load);
}

void tc_emit_x87_store(struct tctx *t)
{
    emit_call_abs(t->b, t->jv->x87_store);
}

/* x87_record(): FIP (RIP in 64-bit code, else EIP), FOP, and for a
 * memory operand FDP = its offset (RDX here) and FDS. */
static void record(struct tctx *t, unsigned esc)
{
    struct jit_buf *b = t->b;
    const struct insn *i = t->i;
    emit_lea(b, t->long64 ? 64 : 32, JIT_RAX, jit_mem(JIT_RBX, (int32_t)t->rel));
    emit_mov_mr(b, 64, M(s.fpu.fip), JIT_RAX);
    emit_mov_mi(b, 16, M(s.fpu.fop), (int64_t)((esc << 8) | i->modrm));
    if (!t->fcs_done) {
        /* FCS: the block's code segment, which no instruction inside it
         * changes: once, and again after a call (a handler such as
         * FNINIT or FLDENV may have set it). */
        emit_movzx_rm(b, 32, 16, JIT_RAX,
                      jit_mem(JIT_R15, CPU_OFF(s.seg) + (int32_t)(SEG_CS * sizeof(struct seg)) +
                                           (int32_t)offsetof(struct seg, sel)));
        emit_mov_mr(b, 16, M(s.fpu.fcs), JIT_RAX);
        t->fcs_done = true;
    }
    if (i->mod != 3) {
        emit_mov_mr(b, 64, M(s.fpu.fdp), JIT_RDX);
        emit_movzx_rm(b, 32, 16, JIT_RAX,
                      jit_mem(JIT_R15, CPU_OFF(s.seg) + (int32_t)(i->seg * sizeof(struct seg)) +
                                           (int32_t)offsetof(struct seg, sel)));
        emit_mov_mr(b, 16, M(s.fpu.fds), JIT_RAX);
    }
}

bool jit_x87(struct tctx *t)
{
    const struct insn *i = t->i;
    struct jit_buf *b = t->b;
    struct x87_form f;
    if (!x87_form(t, i, &f))
        return false;
    const bool mem = i->mod != 3;
    const bool miss = !(t->rc_valid & RC_X87);
    if (!tc_slow_room(t, miss + mem) || (mem && i->seg >= 6))
        return false;
    const unsigned esc = i->op - 0xD8;
    if (miss)
        tc_state_enter(t, RC_X87);
    if (mem) {
        tc_emit_ea(t, JIT_RDX);
        struct tslow *sl = tc_probe_whole(t, f.size, f.store);
        /* FDP is the offset (R9 when the probe made RDX linear). */
        emit_x87_mem(b, esc, (i->modrm >> 3) & 7, jit_mem_idx(JIT_RAX, JIT_RDX, 1, 0));
        if (sl->seg_off)
            emit_mov_rr(b, 64, JIT_RDX, JIT_R9);
        record(t, esc);
        tc_slow_back(t, sl);
    } else if (f.fnstsw) {
        emit_fnstsw_ax(b);
        tc_st_greg(t, 2, R_EAX, JIT_RAX);
    } else {
        emit_x87_reg(b, esc, i->modrm);
        record(t, esc);
        if (f.eflags)
            tc_emit_flags_from_host(t);
    }
    tc_retire(t);
    return true;
}
