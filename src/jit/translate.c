/* The translator (docs/jit.md, "Code generation"): a block of decoded
 * records becomes host code. This first version turns every record into a
 * call of its interpreter handler under the handler contract of
 * src/cpu/exec.h, so every instruction is translatable and the engine is
 * exact from the start; native forms replace the calls one by one.
 *
 * Registers inside translated code: R15 = struct cpu *, RBX = the guest
 * EIP the block was entered at (blocks are keyed physically, so the same
 * code serves every linear alias of its page; EIPs are RBX + offset).
 * Both are callee-saved, so they survive the handler calls.
 *
 * A block's cache space holds copies of its records (the decode cache
 * reallocates its own), then its code. Per record:
 *     next_rip = EIP + len; insn_rsp = RSP; cur = record
 *     handler(cpu, record)
 *     icount++; s.rip = next_rip
 *     leave unless next_rip is the fall-through and no attention bit
 *     in cpu->jit_attn_mask is set
 * A fault inside a handler unwinds with longjmp to the run loop, with
 * s.rip on the faulting instruction and icount counting the ones before,
 * exactly as in the interpreter. */
#include <stddef.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

#include "jit/tctx.h"
#include "cpu/optable.h"
#include "jit/helpers.h"
#include "mem/physmem.h"

#define H(name) void name(struct cpu *cpu, const struct insn *i);
#include "cpu/handlers.def"
#undef H

/* Host code bytes a record may take (a handler call is about 95 bytes,
 * the largest native forms with their slow paths about 300, a branch's
 * exits each store up to 16 XMM registers): what a block
 * asks the cache for. A block that still overflows a full request is a
 * translator bug (JIT_TR_ERROR), not a full cache. */
#define RECORD_MAX 1024

bool jit_emit_trampolines(struct jit_vcpu *jv)
{
    struct jit_buf b;
    void *enter = jit_cache_begin(&jv->cache, &b, 4096);
    if (!enter)
        return false;
    /* enter(cpu, code): the SysV callee-saved registers, then RSP 16-aligned
     * for the calls blocks make (6 pushes + the return address + 8). */
    static const enum jit_reg saved[] = { JIT_RBX, JIT_RBP, JIT_R12, JIT_R13, JIT_R14, JIT_R15 };
    for (unsigned k = 0; k < 6; k++)
        emit_push_r(&b, saved[k]);
    emit_alu_ri(&b, JIT_SUB, 64, JIT_RSP, 8);
    emit_mov_rr(&b, 64, JIT_R15, JIT_RDI);
    /* The return-address stack's bottom frame (tc_ras_frame's layout),
     * which no RET matches: key ~0, generations ~0, a non-canonical
     * return address. The base and the lowest RSP the frames may reach
     * (JIT_RAS_BYTES below) go to struct cpu, for the frames and leave. */
    emit_push_i(&b, -1);
    emit_push_i(&b, -1);
    emit_mov_ri64(&b, JIT_RAX, 1ull << 63);
    emit_push_r(&b, JIT_RAX);
    emit_push_r(&b, JIT_RAX);
    emit_mov_mr(&b, 64, jit_mem(JIT_R15, CPU_OFF(jit_ras_base)), JIT_RSP);
    emit_lea(&b, 64, JIT_RAX, jit_mem(JIT_RSP, -JIT_RAS_BYTES));
    emit_mov_mr(&b, 64, jit_mem(JIT_R15, CPU_OFF(jit_ras_min)), JIT_RAX);
    emit_jmp_r(&b, JIT_RSI);
    emit_align(&b, 16);
    /* leave: whatever host frames guest CALLs left go with the base's. */
    const void *leave = emit_here(&b);
    emit_mov_rm(&b, 64, JIT_RSP, jit_mem(JIT_R15, CPU_OFF(jit_ras_base)));
    emit_alu_ri(&b, JIT_ADD, 64, JIT_RSP, 8 + JIT_RAS_FRAME);
    for (unsigned k = 6; k-- > 0;)
        emit_pop_r(&b, saved[k]);
    emit_ret(&b);
    /* A miss of the lookup from an indirect exit's inline cache (R8 = its
     * jump's field, tc_exit_lookup): the run loop links that jump to
     * where the guest went. */
    emit_align(&b, 16);
    const void *lmiss = emit_here(&b);
    emit_mov_ri64(&b, JIT_RSI, (uint64_t)(uintptr_t)&jv->st.probe_misses);
    emit_alu_mi(&b, JIT_ADD, 64, jit_mem(JIT_RSI, 0), 1);
    emit_test_rr(&b, 64, JIT_R8, JIT_R8);
    emit_jcc(&b, JIT_CC_E, leave);
    emit_mov_mr(&b, 64, jit_mem(JIT_R15, (int32_t)offsetof(struct cpu, jit_exit_site)), JIT_R8);
    emit_mov_mi(&b, 8, jit_mem(JIT_R15, (int32_t)offsetof(struct cpu, jit_exit_checked)), 1);
    emit_jmp(&b, leave);
    /* lookup: the run loop's jump-cache probe (JIT_JC_INDEX, then every
     * field the run loop compares), for an indirect exit whose inline
     * cache missed. */
    emit_align(&b, 16);
    const void *lookup = emit_here(&b);
    emit_mov_ri64(&b, JIT_RSI, (uint64_t)(uintptr_t)&jv->st.probes);
    emit_alu_mi(&b, JIT_ADD, 64, jit_mem(JIT_RSI, 0), 1);
    emit_mov_rr(&b, 64, JIT_RDX, JIT_RAX);
    emit_shift_ri(&b, JIT_SHR, 64, JIT_RDX, 12);
    emit_alu_rr(&b, JIT_XOR, 64, JIT_RDX, JIT_RAX);
    emit_mov_rr(&b, 64, JIT_RSI, JIT_RAX);
    emit_shift_ri(&b, JIT_SHR, 64, JIT_RSI, 24);
    emit_alu_rr(&b, JIT_XOR, 64, JIT_RDX, JIT_RSI);
    emit_alu_ri(&b, JIT_AND, 32, JIT_RDX, JIT_JC_SIZE - 1);
    emit_shift_ri(&b, JIT_SHL, 32, JIT_RDX, 5);
    emit_mov_ri64(&b, JIT_RSI, (uint64_t)(uintptr_t)jv->jc);
    emit_alu_rr(&b, JIT_ADD, 64, JIT_RSI, JIT_RDX);
    emit_alu_rm(&b, JIT_CMP, 64, JIT_RAX, jit_mem(JIT_RSI, (int32_t)offsetof(struct jit_jc, lin)));
    emit_jcc(&b, JIT_CC_NE, lmiss);
    /* kg = the key | JIT_JC_GLOB, which picks the generation. */
    emit_mov_rm(&b, 32, JIT_RDX, jit_mem(JIT_RSI, (int32_t)offsetof(struct jit_jc, kg)));
    emit_mov_rr(&b, 32, JIT_RDI, JIT_RDX);
    emit_alu_ri(&b, JIT_AND, 32, JIT_RDI, (int32_t)~JIT_JC_GLOB);
    emit_alu_rr(&b, JIT_CMP, 32, JIT_RDI, JIT_RCX);
    emit_jcc(&b, JIT_CC_NE, lmiss);
    emit_shift_ri(&b, JIT_SHR, 32, JIT_RDX, 31);
    emit_mov_ri64(&b, JIT_RDI, (uint64_t)(uintptr_t)&jv->cpu->tlb.gen);
    emit_mov_rm(&b, 32, JIT_RDX, jit_mem_idx(JIT_RDI, JIT_RDX, 4, 0));
    emit_alu_rm(&b, JIT_CMP, 32, JIT_RDX, jit_mem(JIT_RSI, (int32_t)offsetof(struct jit_jc, dgen)));
    emit_jcc(&b, JIT_CC_NE, lmiss);
    emit_jmp_m(&b, jit_mem(JIT_RSI, (int32_t)offsetof(struct jit_jc, code)));
    jit_emit_x87_routines(jv, &b);
    if (!jit_cache_commit(&jv->cache, &b))
        return false;
    jv->enter = (void (*)(struct cpu *, const void *))enter;
    jv->leave = leave;
    jv->lookup = lookup;
    jv->lmiss = lmiss;
    jit_forget_jc(jv);      /* entries made since the flush name no code */
    return true;
}

/* The block class of a record for the recompiler: the table's, but for
 * serialising instructions after which nothing the run loop looks at can
 * have changed: CLI (the events it masks leave through the stale event
 * mask at worst, once) and SWAPGS (the GS base is read at each access).
 * Both sit in the system-call paths of the guest kernels. */
static unsigned jit_class(const struct insn *i)
{
    const op_fn g = optable_rows[i->row].fn;
    if (g == op_cli || g == op_swapgs)
        return CL_NORMAL;
    return OPROW_CLASS(&optable_rows[i->row]);
}

/* The bytes of a page-crossing instruction in the next page. */
struct cross_tail {
    uint8_t n;
    uint8_t bytes[15];
};

/* A conditional jump the block can go on past (its taken side leaves the
 * block through a chainable exit: branch() in native.c). */
static bool side_exit(const struct insn *i)
{
    const op_fn g = optable_rows[i->row].fn;
    return (g == op_jcc_Jb || g == op_jcc_Jz) && i->opsize != 2 && !(i->pfx & PFX_LOCK) &&
           i->fn != op_ud;
}

/* A JMP rel the block goes on past, at its target further on in the page
 * (the guest's next instruction whatever the state: a flat CS, so no limit
 * to check, and the same page, so canonical): no code, just counted. */
static bool follow_jmp(const struct insn *i, unsigned next, unsigned *target)
{
    const op_fn g = optable_rows[i->row].fn;
    if ((g != op_jmp_Jb && g != op_jmp_Jz) || i->opsize == 2 || (i->pfx & PFX_LOCK) ||
        i->fn == op_ud)
        return false;
    *target = next + (uint32_t)i->imm;
    return *target > next && *target < 4096;
}

/* The records of the block starting at offset `off` of page dp: straight
 * on while the decode cache has them (and past up to JIT_FOLLOW_MAX jumps
 * forward, follow_jmp), up to and including the first one that may branch
 * or change the mode (CL_BRANCH, CL_SERIAL, CL_MODE: the run loop looks at
 * the state again after it), at most JIT_BLOCK_MAX, never past the page
 * (records that cross it are not cached). at[k]: record k's offset in the
 * page; *end: where the last one ends (or the one that crosses starts). */
#define JIT_FOLLOW_MAX 4
static unsigned gather(struct jit_vcpu *jv, struct dpage *dp, unsigned off, struct insn *out,
                       uint16_t *at, unsigned *end, bool *cross, const uint8_t *page,
                       unsigned side_exits)
{
    unsigned n = 0, nside = 0, nfollow = 0;
    const unsigned start = off;
    *cross = false;
    while (n < JIT_BLOCK_MAX && off < 4096) {
        unsigned k = dp->idx[off];
        const struct insn *i;
        if (k) {
            i = &dp->insns[k - 1];
        } else {
            /* Not decoded yet: decode ahead from the page's bytes (the
             * caller has it marked as code, so the record stays valid). An
             * instruction that runs into the next page ends the block and
             * is fetched at run time. */
            struct insn tmp;
            int len = page ? decode_insn_bytes(jv->cpu, page + off, 4096 - off, &tmp) : -1;
            *cross = len == 0;
            if (len <= 0 || !(i = dcache_add(jv->cpu->dcache, dp, off, &tmp)))
                break;
        }
        at[n] = (uint16_t)off;
        out[n++] = *i;          /* a copy: dcache_add may move the records */
        off += i->len;
        unsigned target;
        if (side_exits && nfollow < JIT_FOLLOW_MAX && n < JIT_BLOCK_MAX &&
            follow_jmp(i, off, &target)) {
            nfollow++;
            off = target;
            continue;
        }
        /* A jump back to the block's start ends it: the block is a loop
         * (self_loop), which stays in its code. */
        if (jit_class(i) != CL_NORMAL && !jit_sti_inline(jv->cpu, i) &&
            !(nside < side_exits && side_exit(i) && (uint16_t)(off + (uint32_t)i->imm) != start &&
              ++nside))
            break;
    }
    *end = off;
    return n;
}

/* s.rip on this instruction: native forms before it in the block did not
 * move it. */
static void set_rip_here(struct tctx *t)
{
    emit_lea(t->b, 64, JIT_RAX, jit_mem(JIT_RBX, (int32_t)t->rel));
    emit_mov_mr(t->b, 64, M(s.rip), JIT_RAX);
}

void tc_emit_lf_store(struct jit_buf *b, unsigned word)
{
    if (!word)
        return;
    emit_mov_mr(b, 64, M(s.lf.src1), JIT_R13);
    emit_mov_mr(b, 64, M(s.lf.src2), JIT_R14);
    emit_mov_mr(b, 64, M(s.lf.res), JIT_RBP);
    emit_mov_mi(b, 16, M(s.lf.op), (int64_t)word);
}

void tc_lf_store(struct tctx *t)
{
    tc_emit_lf_store(t->b, t->lf_word);
}

void tc_lf_flush(struct tctx *t)
{
    tc_lf_store(t);
    t->lf_word = 0;
}

void tc_call_prep(struct tctx *t)
{
    tc_lf_flush(t);
    tc_emit_rc_store(t, t->rc_dirty);
    t->rc_dirty = t->rc_valid = 0;
    t->fcs_done = false;        /* FNINIT, FLDENV, FRSTOR... set FCS */
}

void tc_sync_flush(struct tctx *t)
{
    tc_lf_flush(t);
    tc_emit_rc_store(t, t->rc_dirty & ~RC_X87);
    t->rc_dirty &= RC_X87;
    t->rc_valid &= ~RC_MX;      /* the store gave the host its MXCSR back */
}

void tc_sync_store(struct tctx *t)
{
    tc_lf_store(t);
    tc_emit_rc_store(t, t->rc_dirty);
}

void tc_emit_settle(struct jit_buf *b, unsigned pend, int rel)
{
    if (pend)
        emit_alu_mi(b, JIT_ADD, 64, M(icount), pend);
    if (rel >= 0) {
        emit_lea(b, 64, JIT_RAX, jit_mem(JIT_RBX, rel));
        emit_mov_mr(b, 64, M(s.rip), JIT_RAX);
    }
    emit_mov_rm(b, 64, JIT_RAX, M(s.gpr[R_ESP]));
    emit_mov_mr(b, 64, M(insn_rsp), JIT_RAX);
}

void tc_emit_handler_call(struct jit_buf *b, unsigned rel, unsigned len,
                          const struct insn *rec, op_fn fn)
{
    emit_lea(b, 64, JIT_RAX, jit_mem(JIT_RBX, (int32_t)(rel + len)));
    emit_mov_mr(b, 64, M(next_rip), JIT_RAX);
    emit_lea(b, 64, JIT_RSI, jit_mem_rip(rec));
    emit_mov_mr(b, 64, M(cur), JIT_RSI);
    emit_mov_rr(b, 64, JIT_RDI, JIT_R15);
    emit_call_abs(b, (const void *)fn);
}

/* After a handler (or the fetched instruction) ran to its end: it
 * retires, s.rip = RAX = its next_rip. */
static void emit_handler_retire(struct jit_buf *b)
{
    emit_alu_mi(b, JIT_ADD, 64, M(icount), 1);
    emit_mov_rm(b, 64, JIT_RAX, M(next_rip));
    emit_mov_mr(b, 64, M(s.rip), JIT_RAX);
}

void tc_before_call(struct tctx *t)
{
    tc_call_prep(t);
    t->hflags = false;
    tc_emit_settle(t->b, t->pend, (int)t->rel);
    t->pend = 0;
}

/* The target of the direct branch t->i as an offset from the block's
 * first byte, before any wrap to its operand size (a wrapped target
 * lies outside the page, which is all emit_chain_exit asks). */
static int64_t branch_off(const struct tctx *t)
{
    return (int64_t)t->rel + t->i->len + (int32_t)t->i->imm;
}

void tc_emit_branch_target(struct tctx *t, enum jit_reg r)
{
    const struct insn *i = t->i;
    const int32_t target = (int32_t)((uint32_t)t->rel + i->len + (uint32_t)i->imm);
    if (i->opsize == 8) {
        /* 64 bits: the offset need not fit a displacement (rel32 near
         * +2 GiB); then in two steps (LEA keeps the host flags). */
        const int64_t off = branch_off(t);
        if (off == (int32_t)off) {
            emit_lea(t->b, 64, r, jit_mem(JIT_RBX, (int32_t)off));
        } else {
            emit_lea(t->b, 64, r, jit_mem(JIT_RBX, (int32_t)(t->rel + i->len)));
            emit_lea(t->b, 64, r, jit_mem(r, (int32_t)i->imm));
        }
    } else {
        emit_lea(t->b, 32, r, jit_mem(JIT_RBX, target));
        if (i->opsize == 2)
            emit_movzx_rr(t->b, 32, 16, r, r);
    }
}

/* MOV RCX, imm64; CMP RAX, RCX; JNE; CMP [R15 + disp32], imm32; JNE:
 * the check of a checked exit, the layout jit_block_link patches (the JNEs
 * go where emit_stubs puts them); returns the imm32's offset. */
static size_t emit_exit_check(struct jit_buf *b)
{
    emit_mov_ri64(b, JIT_RCX, 0);
    const size_t rip = emit_offset(b) - 8;
    emit_alu_rr(b, JIT_CMP, 64, JIT_RAX, JIT_RCX);
    const size_t ne1 = emit_jcc32_fwd(b, JIT_CC_NE);
    const size_t check = emit_cmp_mi32_wide(b, M(tlb.gen[0]), 0);
    const size_t ne2 = emit_jcc32_fwd(b, JIT_CC_NE);
    if (rip != check - JIT_CHECK_RIP || ne1 != check - JIT_CHECK_NE1 ||
        ne2 != check + JIT_CHECK_NE2)
        b->error = true;
    return check;
}

/* Leave with the state settled (s.rip on the next instruction, icount
 * exact) towards the guest's next instruction: a jump that the run loop
 * may later point straight at the block there (chaining). Until then it
 * goes to a stub emitted after the block's code, which tells the run loop
 * where the jump is. `off`: the target's offset from the block's first
 * byte.
 *
 * Blocks are keyed physically, so a chained jump to a target in the same
 * page as the block's start is right for every linear alias the block
 * runs at. One into another page was linked for one target address (RAX)
 * while its page mapped to the target block's physical page: the jump
 * holds only for that address (the block may run at another alias,
 * whose neighbour maps elsewhere) and while the translation the run loop
 * saw then still holds, i.e. while the TLB generation that covers the
 * target page's jump-cache entry (tlb.gen[0], or [1] for a global page)
 * is the one of the link. The link patches both in (the MOV's imm64; the
 * CMP's disp32: which generation, imm32: its value). The generations move
 * on every flush that may change what a jump-cache entry holds (tlb.c
 * translations_changed), as for the jump cache. */
static void emit_chain_exit(struct tctx *t, int64_t off)
{
    struct jit_buf *b = t->b;
    if (!t->chain || t->nstubs == sizeof t->stubs / sizeof t->stubs[0]) {
        emit_jmp(b, t->jv->leave);
        return;
    }
    struct tstub *s = &t->stubs[t->nstubs++];
    s->check = 0;
    s->indirect = false;
    if (off + t->page_off >= 4096 || off + t->page_off < 0)
        s->check = emit_exit_check(b);
    s->field = t->call_exit ? emit_call32_fwd(b) : emit_jmp32_fwd(b);
    if (s->check && s->field != s->check + JIT_CHECK_SITE)
        b->error = true;
}

/* Out through an indirect branch (RET, JMP/CALL r/m; RAX = s.rip, the
 * target): an inline cache, a checked exit (emit_exit_check) linked to
 * the first target the run loop sees, then to each one the lookup stub
 * misses; a check that fails goes to the lookup stub (the jump cache). */
void tc_exit_lookup(struct tctx *t)
{
    struct jit_buf *b = t->b;
    if (!t->chain) {
        emit_jmp(b, t->jv->leave);
        return;
    }
    if (t->nstubs == sizeof t->stubs / sizeof t->stubs[0]) {
        emit_alu_rr(b, JIT_XOR, 32, JIT_R8, JIT_R8);
        emit_mov_ri(b, 32, JIT_RCX, t->key);
        emit_jmp(b, t->jv->lookup);
        return;
    }
    struct tstub *s = &t->stubs[t->nstubs++];
    s->indirect = true;
    s->key = t->key;
    s->far_rip = t->far_rip;
    s->check = emit_exit_check(b);
    s->field = emit_jmp32_fwd(b);
    if (s->field != s->check + JIT_CHECK_SITE)
        b->error = true;
}

/* The stubs of the chainable exits: cpu->jit_exit_site = the jump's
 * field, then back to the run loop. An indirect exit's failed check goes
 * to the lookup stub, with R8 = the field. */
static void emit_stubs(struct tctx *t)
{
    for (unsigned k = 0; k < t->nstubs; k++) {
        const struct tstub *s = &t->stubs[k];
        const void *field = emit_exec_addr(t->b, s->field);
        if (s->indirect) {
            emit_patch_rel32(t->b, s->check - JIT_CHECK_NE1, emit_here(t->b));
            emit_patch_rel32(t->b, s->check + JIT_CHECK_NE2, emit_here(t->b));
            emit_mov_ri(t->b, 32, JIT_RCX, s->key);
            if (s->far_rip) {
                /* jit_mode_key's JIT_KEY_FAR, of the target RIP */
                emit_mov_ri64(t->b, JIT_RDX, JIT_FAR_BIAS);
                emit_alu_rr(t->b, JIT_ADD, 64, JIT_RDX, JIT_RAX);
                emit_mov_ri64(t->b, JIT_RSI, JIT_FAR_SPAN);
                emit_alu_rr(t->b, JIT_CMP, 64, JIT_RDX, JIT_RSI);
                const size_t near = emit_jcc8_fwd(t->b, JIT_CC_AE);
                emit_alu_ri(t->b, JIT_OR, 32, JIT_RCX, JIT_KEY_FAR);
                emit_patch_rel8(t->b, near, emit_here(t->b));
            }
            emit_lea(t->b, 64, JIT_R8, jit_mem_rip(field));
            emit_jmp(t->b, t->jv->lookup);
        }
        emit_patch_rel32(t->b, s->field, emit_here(t->b));
        if (s->check) {
            if (!s->indirect) {
                emit_patch_rel32(t->b, s->check - JIT_CHECK_NE1, emit_here(t->b));
                emit_patch_rel32(t->b, s->check + JIT_CHECK_NE2, emit_here(t->b));
            }
            emit_mov_mi(t->b, 8, M(jit_exit_checked), 1);
        }
        emit_lea(t->b, 64, JIT_RAX, jit_mem_rip(field));
        emit_mov_mr(t->b, 64, M(jit_exit_site), JIT_RAX);
        emit_jmp(t->b, t->jv->leave);
    }
}

/* Leave the block with this instruction retired: count it and what came
 * before, s.rip on the fall-through; `chained` for the block's normal end,
 * not for an early exit that an event asked for. */
void tc_exit_next(struct tctx *t, unsigned pend, bool chained)
{
    tc_sync_store(t);
    if (pend)
        emit_alu_mi(t->b, JIT_ADD, 64, M(icount), pend);
    emit_lea(t->b, 64, JIT_RAX, jit_mem(JIT_RBX, (int32_t)(t->rel + t->i->len)));
    emit_mov_mr(t->b, 64, M(s.rip), JIT_RAX);
    if (chained)
        emit_chain_exit(t, (int64_t)t->rel + t->i->len);
    else
        emit_jmp(t->b, t->jv->leave);
}

/* The settled state of an exit towards RAX: registers stored, icount
 * += pend, s.rip = RAX. */
static void settle_rax(struct tctx *t, unsigned pend)
{
    tc_sync_store(t);
    if (pend)
        emit_alu_mi(t->b, JIT_ADD, 64, M(icount), pend);
    emit_mov_mr(t->b, 64, M(s.rip), JIT_RAX);
}

void tc_exit_rax(struct tctx *t, unsigned pend, bool chained)
{
    settle_rax(t, pend);
    if (chained)
        emit_chain_exit(t, branch_off(t));
    else
        tc_exit_lookup(t);
}

void tc_ras_push(struct tctx *t)
{
    struct jit_buf *b = t->b;
    emit_alu_rm(b, JIT_CMP, 64, JIT_RSP, M(jit_ras_min));
    const size_t room = emit_jcc8_fwd(b, JIT_CC_A);
    emit_mov_rm(b, 64, JIT_RSP, M(jit_ras_base));
    emit_patch_rel8(b, room, emit_here(b));
    emit_push_i(b, (int32_t)(t->key & ~JIT_KEY_FAR));
    emit_push_m(b, M(tlb.gen));
    emit_lea(b, 64, JIT_RCX, jit_mem(JIT_RBX, (int32_t)(t->rel + t->i->len)));
    if (!t->long64)
        emit_mov_rr(b, 32, JIT_RCX, JIT_RCX);
    emit_push_r(b, JIT_RCX);
}

void tc_exit_call(struct tctx *t, unsigned pend)
{
    t->call_exit = true;
    tc_exit_rax(t, pend, true);
    t->call_exit = false;
    /* Back here from a matching RET: s.rip and RAX hold the return
     * address, everything else is in struct cpu. */
    emit_chain_exit(t, (int64_t)t->rel + t->i->len);
}

void tc_exit_call_ind(struct tctx *t, unsigned pend)
{
    /* CALL over the return's chained exit to the indirect exit, so that
     * every way out of it (inline cache, lookup, run loop) has the frame
     * complete. */
    const size_t call = emit_call32_fwd(t->b);
    emit_chain_exit(t, (int64_t)t->rel + t->i->len);
    emit_patch_rel32(t->b, call, emit_here(t->b));
    tc_exit_rax(t, pend, false);
}

void tc_exit_ret(struct tctx *t, unsigned pend)
{
    struct jit_buf *b = t->b;
    settle_rax(t, pend);
    if (t->ras) {
        size_t miss[3];
        emit_alu_rm(b, JIT_CMP, 64, JIT_RAX, jit_mem(JIT_RSP, 8));
        miss[0] = emit_jcc8_fwd(b, JIT_CC_NE);
        emit_mov_rm(b, 64, JIT_RCX, M(tlb.gen));
        emit_alu_rm(b, JIT_CMP, 64, JIT_RCX, jit_mem(JIT_RSP, 16));
        miss[1] = emit_jcc8_fwd(b, JIT_CC_NE);
        emit_alu_mi(b, JIT_CMP, 32, jit_mem(JIT_RSP, 24), (int32_t)(t->key & ~JIT_KEY_FAR));
        miss[2] = emit_jcc8_fwd(b, JIT_CC_NE);
        emit_ret_i(b, JIT_RAS_FRAME - 8);
        for (unsigned k = 0; k < 3; k++)
            emit_patch_rel8(b, miss[k], emit_here(b));
    }
    tc_exit_lookup(t);
}

void tc_exit_before(struct tctx *t)
{
    tc_sync_store(t);
    /* The instructions before it counted on this path only: callers
     * emit it beside a straight path that goes on counting (check_target,
     * emit_cross_check), so t->pend stays. */
    if (t->pend)
        emit_alu_mi(t->b, JIT_ADD, 64, M(icount), t->pend);
    set_rip_here(t);
    emit_mov_mi(t->b, 8, M(jit_interp_next), 1);
    emit_jmp(t->b, t->jv->leave);
}

void tc_check_attn(struct tctx *t)
{
    if (t->last)
        return;         /* tc_retire leaves anyway */
    t->hflags = false;
    emit_mov_rm(t->b, 64, JIT_RAX, M(attn));
    emit_test_mr(t->b, 64, M(jit_attn_mask), JIT_RAX);
    size_t skip = emit_jcc32_fwd(t->b, JIT_CC_E);     /* (the exit stores XMM registers too) */
    tc_exit_next(t, t->pend + 1, false);
    emit_patch_rel32(t->b, skip, emit_here(t->b));
}

void tc_retire(struct tctx *t)
{
    t->pend++;
    if (t->last) {
        tc_exit_next(t, t->pend, true);
        t->pend = 0;
    }
}

/* A direct near branch (Jcc, JMP, CALL, LOOP, JrCXZ rel): its target is
 * known at translation (tc_emit_branch_target). */
static bool direct_branch(const struct insn *i)
{
    const op_fn g = optable_rows[i->row].fn;
    return g == op_jcc_Jb || g == op_jcc_Jz || g == op_jmp_Jb || g == op_jmp_Jz ||
           g == op_call_Jz || g == op_loop_Jb || g == op_loope_Jb || g == op_loopne_Jb ||
           g == op_jcxz_Jb;
}

/* The keys a mode-changing instruction's exits try, likeliest first:
 * ring 0 and ring 3, 64-bit and 32-bit code, flat (a long-mode kernel and
 * its 64-bit and compatibility-mode processes; an i386 kernel and its
 * processes). */
#define KEY_FLAT (JIT_KEY_CHAIN | JIT_KEY_FLAT)
static const uint32_t keys_in[] = { 8 | KEY_FLAT, 4 | KEY_FLAT };
static const uint32_t keys_out[] = { 8 | 3u << 4 | KEY_FLAT, 4 | 3u << 4 | KEY_FLAT };
static const uint32_t keys_any[] = { 8 | KEY_FLAT, 8 | 3u << 4 | KEY_FLAT, 4 | 3u << 4 | KEY_FLAT,
                                     4 | KEY_FLAT };

/* After SYSCALL, SYSENTER and INT n (keys_in), SYSRET and SYSEXIT
 * (keys_out) and IRET (keys_any), handler calls that change the mode: the
 * run loop's look at the new state without its pass (jit_exit_key: the
 * event mask set as it would set it, the new key, 0 for whatever it must
 * see itself), then an inline cache per key the exit may take. The key's
 * FAR bit comes from the target RIP in the lookup (the inline cache
 * compares the whole RIP, so a linked jump needs no key check). A switch
 * to ring 3 that raw mode wants is an exit request the next block's
 * entry sees. */
static void emit_mode_exits(struct tctx *t, const uint32_t *keys, unsigned n)
{
    struct jit_buf *b = t->b;
    emit_mov_rr(b, 64, JIT_RDI, JIT_R15);
    emit_call_abs(b, (const void *)jit_exit_key);
    const uint32_t key = t->key;
    for (unsigned k = 0; k < n; k++) {
        emit_alu_ri(b, JIT_CMP, 32, JIT_RAX, keys[k]);
        const size_t other = emit_jcc32_fwd(b, JIT_CC_NE);
        emit_mov_rm(b, 64, JIT_RAX, M(s.rip));
        t->key = keys[k];
        t->far_rip = (keys[k] & 15) == 8;
        tc_exit_lookup(t);
        emit_patch_rel32(b, other, emit_here(b));
    }
    t->key = key;
    t->far_rip = false;
    emit_jmp(b, t->jv->leave);
}

/* After the instruction in the shadow of a native STI (a native form;
 * a handler call looks anyway): leave after it when an event is pending,
 * as the run loop would deliver it there. */
static void emit_shadow_end(struct tctx *t)
{
    struct jit_buf *b = t->b;
    emit_mov_rm(b, 64, JIT_RAX, M(attn));
    emit_test_mr(b, 64, M(jit_attn_mask), JIT_RAX);
    const size_t over = emit_jcc32_fwd(b, JIT_CC_E);
    tc_exit_next(t, t->pend, false);
    emit_patch_rel32(b, over, emit_here(b));
    t->hflags = false;
}

/* The exits after the block's last record ran as a handler call, s.rip
 * (and RAX) = its next_rip: chainable ones to the fall-through and to a
 * direct branch's target, to the run loop for the rest (indirect
 * branches, and whatever serialises or changes the mode: the run loop
 * looks at the state again). */
static void emit_last_exits(struct tctx *t, int32_t next)
{
    struct jit_buf *b = t->b;
    const unsigned cls = jit_class(t->i);
    const op_fn g = optable_rows[t->i->row].fn;
    if (t->chain) {
        if (g == op_syscall || g == op_sysenter || g == op_int_Ib) {
            emit_mode_exits(t, keys_in, 2);
            return;
        }
        if (g == op_sysret || g == op_sysexit) {
            emit_mode_exits(t, keys_out, 2);
            return;
        }
        if (g == op_iret) {
            emit_mode_exits(t, keys_any, 4);
            return;
        }
    }
    if (!t->chain || (cls != CL_NORMAL && cls != CL_BRANCH)) {
        emit_jmp(b, t->jv->leave);
        return;
    }
    emit_lea(b, 64, JIT_RCX, jit_mem(JIT_RBX, next));
    emit_alu_rr(b, JIT_CMP, 64, JIT_RAX, JIT_RCX);
    size_t other = emit_jcc8_fwd(b, JIT_CC_NE);
    emit_chain_exit(t, next);
    emit_patch_rel8(b, other, emit_here(b));
    if (direct_branch(t->i)) {
        tc_emit_branch_target(t, JIT_RCX);
        emit_alu_rr(b, JIT_CMP, 64, JIT_RAX, JIT_RCX);
        emit_jcc(b, JIT_CC_NE, t->jv->leave);
        emit_chain_exit(t, branch_off(t));
        return;
    }
    if (cls == CL_BRANCH)
        tc_exit_lookup(t);      /* RET, indirect JMP/CALL: RAX = s.rip */
    else
        emit_jmp(b, t->jv->leave);
}

/* Before a handler-like call for the record: what is pending stored, the
 * cached registers dropped, icount and s.rip settled (rip_ok: s.rip
 * names the record already). */
static void call_settle(struct tctx *t, bool rip_ok)
{
    tc_call_prep(t);
    t->hflags = false;
    t->lf_op = 0;
    tc_emit_settle(t->b, t->pend, rip_ok ? -1 : (int)t->rel);
    t->pend = 0;
}

/* INT n ending a block of 32- or 64-bit code (never V86): delivered by
 * jit_int_soft without the handler's unwinding through the fault handler
 * and the run loop, and not counted (nor is it in the interpreter). */
static void emit_int_soft(struct tctx *t, bool rip_ok)
{
    struct jit_buf *b = t->b;
    call_settle(t, rip_ok);
    tc_emit_handler_call(b, t->rel, t->i->len, t->rec, jit_int_soft);
    emit_mode_exits(t, keys_in, 2);
}

/* One record as a call of its handler, under the contract of
 * src/cpu/exec.h. */
static void emit_fallback(struct tctx *t, bool rip_ok)
{
    struct jit_buf *b = t->b;
    const struct insn *i = t->i;
    const int32_t next = (int32_t)(t->rel + i->len);
    call_settle(t, rip_ok);
    if (t->jv->count_calls && i->row < optable_nrows) {
        emit_mov_ri64(b, JIT_RAX, (uint64_t)(uintptr_t)&t->jv->forms[i->row].calls);
        emit_alu_mi(b, JIT_ADD, 64, jit_mem(JIT_RAX, 0), 1);
    }
    tc_emit_handler_call(b, t->rel, i->len, t->rec, i->fn);
    emit_handler_retire(b);
    if (t->last) {
        emit_last_exits(t, next);
        return;
    }
    emit_lea(b, 64, JIT_RCX, jit_mem(JIT_RBX, next));
    emit_alu_rr(b, JIT_CMP, 64, JIT_RAX, JIT_RCX);
    emit_jcc(b, JIT_CC_NE, t->jv->leave);
    emit_mov_rm(b, 64, JIT_RAX, M(attn));
    emit_test_mr(b, 64, M(jit_attn_mask), JIT_RAX);
    emit_jcc(b, JIT_CC_NE, t->jv->leave);
}

/* The block's last instruction crosses into the next page: fetched,
 * decoded and run by jit_exec_fetched at every execution; the run loop
 * takes over after it. */
static void emit_fetched(struct tctx *t, bool rip_ok)
{
    struct jit_buf *b = t->b;
    call_settle(t, rip_ok);
    emit_mov_rr(b, 64, JIT_RDI, JIT_R15);
    emit_call_abs(b, (const void *)jit_exec_fetched);
    emit_handler_retire(b);
    emit_jmp(b, t->jv->leave);
}

/* Host instructions in n bytes of emitted code, by the guest decoder in
 * 64-bit mode (it decodes the host's own instruction set). */
static unsigned host_insns(const uint8_t *p, size_t n)
{
    unsigned count = 0;
    struct insn i;
    for (size_t at = 0; at < n; count++) {
        const int len = decode_bytes(p + at, (unsigned)(n - at), 8, &i);
        if (len <= 0)
            break;
        at += (size_t)len;
    }
    return count;
}

/* RAWBOX_JIT_PERFMAP=2: the block's host code and guest bytes, as files
 * named by the host address (diagnostics; errors are ignored). */
static void dump_block(const void *code, size_t len, const uint8_t *guest, unsigned glen)
{
    char path[96];
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "/tmp/perf-%d.map.d/%lx.%s", (int)getpid(),
                 (unsigned long)(uintptr_t)code, k ? "guest" : "host");
        FILE *f = fopen(path, "wb");
        if (!f)
            return;
        fwrite(k ? guest : code, 1, k ? glen : len, f);
        fclose(f);
    }
}

/* The instruction at offset `at` of the page runs into the next page:
 * decode it whole from both pages' bytes (false when the next page is not
 * mapped to RAM or ROM now). *tail gets the
 * bytes in the next page, which the block compares at run time, with the
 * next page's translation (emit_cross_check). Only for blocks whose code
 * addresses are linear addresses (JIT_KEY_CHAIN: CS base 0). */
static bool cross_decode(struct jit_vcpu *jv, uint64_t lin, const uint8_t *page, unsigned at,
                         struct insn *out, struct cross_tail *tail)
{
    struct cpu *cpu = jv->cpu;
    uint8_t bytes[15];
    const unsigned first = 4096 - at;
    if (!page || first >= sizeof bytes)
        return false;
    uint64_t lin2 = (lin | 0xfff) + 1;
    if (cpu->s.code_size != 8)
        lin2 = (uint32_t)lin2;
    /* The next page's bytes as the code TLB or (not yet there) the page
     * tables map it now, without faulting: the block checks the mapping
     * and the bytes before the instruction anyway. */
    const struct tlb_entry *e = &cpu->tlb.e[cpu->s.cpl == 3][(lin2 >> 12) & (TLB_SIZE - 1)];
    const uint8_t *next;
    if (e->tag[ACC_EXEC] == ((lin2 & ~(uint64_t)0xfff) | 1u) && e->addend) {
        next = (const uint8_t *)(uintptr_t)(e->addend + lin2);
    } else {
        uint64_t phys;
        bool writable;
        if (!mmu_probe(cpu, lin2, &phys) ||
            !(next = physmem_page(cpu->mem, phys & ~(uint64_t)0xfff, &writable)))
            return false;
    }
    memcpy(bytes, page + at, first);
    memcpy(bytes + first, next, sizeof bytes - first);
    int len = decode_insn_bytes(cpu, bytes, sizeof bytes, out);
    if (len <= (int)first)
        return false;
    out->off = (uint16_t)at;
    tail->n = (uint8_t)(len - (int)first);
    memcpy(tail->bytes, bytes + first, tail->n);
    return true;
}

/* Before an instruction that runs into the next page (cross_decode): the
 * next page's code translation and the bytes there as at translation, or
 * the interpreter runs it (and faults as the fetch would). rel2: the next
 * page's offset from the block's first byte. */
static void emit_cross_check(struct tctx *t, unsigned rel2, const struct cross_tail *tail)
{
    struct jit_buf *b = t->b;
    size_t fail[3];
    unsigned nfail = 0;
    t->hflags = false;
    emit_lea(b, t->long64 ? 64 : 32, JIT_RDX, jit_mem(JIT_RBX, (int32_t)rel2));
    fail[nfail++] = tc_emit_tlb_tag(t, ACC_EXEC, 1);
    tc_emit_tlb_addend(t);
    for (unsigned at = 0; at < tail->n; at += 8) {
        const unsigned k = tail->n - at < 8 ? tail->n - at : 8;
        uint64_t want = 0;
        memcpy(&want, tail->bytes + at, k);
        emit_mov_rm(b, 64, JIT_RCX, jit_mem_idx(JIT_RAX, JIT_RDX, 1, (int32_t)at));
        if (k < 8) {
            emit_mov_ri64(b, JIT_R8, (1ull << (8 * k)) - 1);
            emit_alu_rr(b, JIT_AND, 64, JIT_RCX, JIT_R8);
        }
        emit_mov_ri64(b, JIT_R8, want);
        emit_alu_rr(b, JIT_CMP, 64, JIT_RCX, JIT_R8);
        fail[nfail++] = emit_jcc32_fwd(b, JIT_CC_NE);
    }
    const size_t over = emit_jmp32_fwd(b);
    for (unsigned k = 0; k < nfail; k++)
        emit_patch_rel32(b, fail[k], emit_here(b));
    tc_exit_before(t);
    emit_patch_rel32(b, over, emit_here(b));
}

/* Whether the block's last record is a direct JMP or Jcc back to the
 * block's first byte, in chainable 32- or 64-bit code. */
static bool self_loop(const struct tctx *t, const struct insn *i, unsigned rel)
{
    if (!t->chain || i->opsize == 2 || t->jv->no_native)
        return false;
    const op_fn g = optable_rows[i->row].fn;
    if (g != op_jcc_Jb && g != op_jcc_Jz && g != op_jmp_Jb && g != op_jmp_Jz)
        return false;
    return (uint32_t)(rel + i->len + (uint32_t)i->imm) == 0;
}

enum jit_tr jit_translate(struct jit_vcpu *jv, struct jit_block *b, struct dpage *dp,
                          const uint8_t *page)
{
    struct insn recs[JIT_BLOCK_MAX + 1];
    uint16_t at_off[JIT_BLOCK_MAX + 1];
    const unsigned off = (unsigned)(b->paddr & 0xfff);
    bool cross;
    unsigned end;
    unsigned n = gather(jv, dp, off, recs, at_off, &end, &cross, page,
                        (b->key & JIT_KEY_CHAIN) && !jv->no_native ? jv->side_exits : 0);
    /* The last instruction runs into the next page: a record like the
     * others when the block's addresses are linear ones. */
    struct cross_tail tail = { 0 };
    unsigned cross_k = ~0u;
    if (cross && (b->key & JIT_KEY_CHAIN) && jv->cpu->s.code_size != 2) {
        const uint64_t lin = jv->cpu->s.rip + (end - off);
        if (cross_decode(jv, lin, page, end, &recs[n], &tail)) {
            at_off[n] = (uint16_t)end;
            end += recs[n].len;
            cross_k = n++;
            cross = false;
        }
    }
    if (!n && !cross)
        return JIT_TR_NONE;
    const size_t rec_bytes = n * sizeof(struct insn);
    struct jit_buf buf;
    const size_t want = rec_bytes + (n + 1) * RECORD_MAX + 128;
    uint8_t *at = jit_cache_begin(&jv->cache, &buf, want);
    const bool room = at && (size_t)(buf.end - buf.start) >= want;
    if (!at || (size_t)(buf.end - buf.p) < rec_bytes) {
        buf.overflow = true;
        jit_cache_commit(&jv->cache, &buf);
        return JIT_TR_FULL;
    }
    /* The records first: they are data the handlers read, in the cache's
     * read-only executable view, gone only when the cache is flushed. */
    struct insn *copy = (struct insn *)(void *)buf.p;
    for (unsigned k = 0; k < n; k++)
        memcpy(&copy[k], &recs[k], sizeof *copy);
    const struct insn *run_recs = (const struct insn *)(at);
    buf.p += rec_bytes;
    emit_align(&buf, 16);
    const void *code = emit_here(&buf);
    size_t code_start = emit_offset(&buf);

    /* Entry: chained blocks come here straight from the last one, so the
     * run's end and the events are checked here (s.rip is this block's
     * EIP, icount exact). RBX = the entry EIP for the whole block. */
    emit_mov_rm(&buf, 64, JIT_RAX, M(icount));
    emit_alu_ri(&buf, JIT_ADD, 64, JIT_RAX, n + cross);
    emit_alu_rm(&buf, JIT_CMP, 64, JIT_RAX, M(jit_end));
    emit_jcc(&buf, JIT_CC_A, jv->leave);
    emit_mov_rm(&buf, 64, JIT_RAX, M(attn));
    emit_test_mr(&buf, 64, M(jit_attn_mask), JIT_RAX);
    emit_jcc(&buf, JIT_CC_NE, jv->leave);
    const size_t shadow_entry = emit_offset(&buf) - code_start;
    emit_mov_rm(&buf, 64, JIT_RBX, M(s.rip));

    struct tctx t = { .jv = jv, .b = &buf, .long64 = dp->code_size == 8,
                      .chain = (b->key & JIT_KEY_CHAIN) != 0, .key = b->key,
                      .ras = (b->key & JIT_KEY_CHAIN) && !jv->no_ras,
                      .flat = (b->key & JIT_KEY_FLAT) != 0, .user = ((b->key >> 4) & 3) == 3,
                      .ac = (b->key & JIT_KEY_AC) != 0,
                      .page_off = off,
                      .no_rc = jv->no_rc };
    t.loop = n && !cross && self_loop(&t, &recs[n - 1], at_off[n - 1] - off);
    tc_rc_choose(&t, recs, n);
    t.ninsns = n + cross;
    if (t.loop) {
        /* Every cached register loaded (and counted dirty: exits store
         * them all) at the head, where the back-edge comes in. */
        for (unsigned g = 0; g < 16; g++)
            if (t.rc_slot[g] >= 0)
                t.rc_loop |= 1u << t.rc_slot[g];
        /* The loop's XMM registers and SSE state too: the state checked
         * here, and if it does not hold the interpreter runs the first
         * instruction (nothing is loaded or counted yet). */
        for (unsigned k = 0; k < n; k++)
            t.rc_loop |= tc_sse_plan(&t, &recs[k]) | tc_x87_plan(&t, &recs[k]);
        if (t.rc_loop & RC_STATE) {
            size_t fields[5];
            const unsigned nf = tc_emit_state_check(&t, t.rc_loop & RC_STATE, fields);
            const size_t ok = emit_jmp8_fwd(&buf);
            for (unsigned k = 0; k < nf; k++)
                emit_patch_rel32(&buf, fields[k], emit_here(&buf));
            emit_mov_mi(&buf, 8, M(jit_interp_next), 1);
            emit_jmp(&buf, jv->leave);
            emit_patch_rel8(&buf, ok, emit_here(&buf));
        }
        tc_emit_rc_load(&t, t.rc_loop);
        t.rc_valid = t.rc_dirty = t.rc_loop;
        t.loop_head = emit_offset(&buf);
    }
    /* s.rip is the block's entry EIP (not at a loop head, where the
     * back-edge comes in with s.rip where the last call left it) */
    bool rip_ok = !t.loop;
    bool dead[JIT_BLOCK_MAX + 1];
    tc_flags_dead(recs, n, dead);
    unsigned nbytes = 0;        /* to the end of the furthest record */
    for (unsigned k = 0; k < n; k++) {
        t.i = &recs[k];
        t.rel = at_off[k] - off;
        if (t.rel + recs[k].len > nbytes)
            nbytes = t.rel + recs[k].len;
        t.flags_dead = dead[k] && !jv->no_native;
        t.rec = &run_recs[k];
        t.last = k + 1 == n && !cross;
        if (k == cross_k)
            emit_cross_check(&t, 4096 - off, &tail);
        const size_t at0 = emit_offset(&buf);
        t.left = n - k - 1;
        bool native = true;
        if (k + 1 < n && at_off[k + 1] != at_off[k] + recs[k].len) {
            t.pend++;           /* a JMP gone on past (follow_jmp) */
            rip_ok = false;
            jv->st.native++;
            continue;
        }
        /* An STI is native (sti()) only with its shadow, the instruction
         * after it, in the block and not a JMP gone on past. */
        t.shadow_ok = k + 2 <= n && at_off[k + 1] == at_off[k] + recs[k].len &&
                      (k + 2 == n || at_off[k + 2] == at_off[k + 1] + recs[k + 1].len);
        /* This record is the shadow of a native STI (never part of a run). */
        const bool shadow_end = t.in_shadow;
        t.shadow_rec = shadow_end;
        t.in_shadow = false;
        if (t.run_skip)
            t.run_skip--;       /* emitted with the run it belongs to */
        else
            native = !jv->no_native && jit_native(&t);
        if (native) {
            rip_ok = false;
            jv->st.native++;
            if (shadow_end && !t.last)
                emit_shadow_end(&t);
        } else if (t.last && t.chain && (t.key & 15) >= 4 &&
                   optable_rows[t.i->row].fn == op_int_Ib) {
            emit_int_soft(&t, rip_ok);
        } else {
            emit_fallback(&t, rip_ok);
            rip_ok = true;
        }
        if (jv->forms && t.i->row < optable_nrows) {
            struct jit_form *f = &jv->forms[t.i->row];
            f->n++;
            f->native += native;
            f->bytes += emit_offset(&buf) - at0;
            if (jv->forms_all)      /* (decoding them costs translation time) */
                f->hinsns += host_insns(buf.start + at0, emit_offset(&buf) - at0);
        }
    }
    t.rel = end - off;
    if (cross)
        emit_fetched(&t, rip_ok);
    emit_stubs(&t);
    tc_emit_slow_paths(&t);
    size_t code_bytes = emit_offset(&buf) - code_start;
    if (!jit_cache_commit(&jv->cache, &buf))
        return buf.overflow && !room ? JIT_TR_FULL : JIT_TR_ERROR;
    b->code = code;
    if (jv->perfmap)
        fprintf(jv->perfmap, "%lx %zx guest_%llx_%x_%llx\n", (unsigned long)(uintptr_t)code,
                emit_offset(&buf) - code_start, (unsigned long long)b->paddr, b->key,
                (unsigned long long)jv->cpu->s.rip);
    if (jv->dump)
        dump_block(code, emit_offset(&buf) - code_start, page + off, nbytes);
    b->shadow_entry = (uint16_t)shadow_entry;
    b->ninsns = (uint16_t)(n + cross);
    b->nbytes = (uint16_t)(cross ? end - off : nbytes);
    jv->st.blocks++;
    jv->st.insns += n;
    jv->st.host_bytes += code_bytes;
    return JIT_TR_OK;
}
