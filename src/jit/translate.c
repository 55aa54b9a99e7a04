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

#include "jit/tctx.h"
#include "cpu/optable.h"

/* Host code bytes a record takes at most (a handler call is about 95 with
 * a rel32 call, 105 with a far one; native forms with a helper call and
 * an exit stub stay below). */
#define RECORD_MAX 160

bool jit_emit_trampolines(struct jit_vcpu *jv)
{
    struct jit_buf b;
    void *enter = jit_cache_begin(&jv->cache, &b, 128);
    if (!enter)
        return false;
    /* enter(cpu, code): the SysV callee-saved registers, then RSP 16-aligned
     * for the calls blocks make (6 pushes + the return address + 8). */
    static const enum jit_reg saved[] = { JIT_RBX, JIT_RBP, JIT_R12, JIT_R13, JIT_R14, JIT_R15 };
    for (unsigned k = 0; k < 6; k++)
        emit_push_r(&b, saved[k]);
    emit_alu_ri(&b, JIT_SUB, 64, JIT_RSP, 8);
    emit_mov_rr(&b, 64, JIT_R15, JIT_RDI);
    emit_mov_rm(&b, 64, JIT_RBX, M(s.rip));
    emit_jmp_r(&b, JIT_RSI);
    emit_align(&b, 16);
    const void *leave = emit_here(&b);
    emit_alu_ri(&b, JIT_ADD, 64, JIT_RSP, 8);
    for (unsigned k = 6; k-- > 0;)
        emit_pop_r(&b, saved[k]);
    emit_ret(&b);
    if (!jit_cache_commit(&jv->cache, &b))
        return false;
    jv->enter = (void (*)(struct cpu *, const void *))enter;
    jv->leave = leave;
    return true;
}

/* The records of the block starting at offset `off` of page dp: straight
 * on while the decode cache has them, up to and including the first one
 * that may branch or change the mode (CL_BRANCH, CL_SERIAL, CL_MODE: the
 * run loop looks at the state again after it), at most JIT_BLOCK_MAX, never
 * past the page (records that cross it are not cached). */
static unsigned gather(const struct dpage *dp, unsigned off, const struct insn **out)
{
    unsigned n = 0;
    while (n < JIT_BLOCK_MAX && off < 4096) {
        unsigned k = dp->idx[off];
        if (!k)
            break;
        const struct insn *i = &dp->insns[k - 1];
        out[n++] = i;
        off += i->len;
        if (OPROW_CLASS(&optable_rows[i->row]) != CL_NORMAL)
            break;
    }
    return n;
}

void tc_flush_count(struct tctx *t)
{
    if (t->pend)
        emit_alu_mi(t->b, JIT_ADD, 64, M(icount), t->pend);
    t->pend = 0;
}

/* s.rip on this instruction: native forms before it in the block did not
 * move it. */
static void set_rip_here(struct tctx *t)
{
    emit_lea(t->b, 64, JIT_RAX, jit_mem(JIT_RBX, (int32_t)t->rel));
    emit_mov_mr(t->b, 64, M(s.rip), JIT_RAX);
}

void tc_before_call(struct tctx *t)
{
    tc_flush_count(t);
    set_rip_here(t);
    emit_mov_rm(t->b, 64, JIT_RAX, M(s.gpr[R_ESP]));
    emit_mov_mr(t->b, 64, M(insn_rsp), JIT_RAX);
}

/* Leave the block with this instruction retired: count it and what came
 * before, s.rip on the fall-through. */
static void emit_exit_after(struct tctx *t, unsigned pend)
{
    if (pend)
        emit_alu_mi(t->b, JIT_ADD, 64, M(icount), pend);
    emit_lea(t->b, 64, JIT_RAX, jit_mem(JIT_RBX, (int32_t)(t->rel + t->i->len)));
    emit_mov_mr(t->b, 64, M(s.rip), JIT_RAX);
    emit_jmp(t->b, t->jv->leave);
}

void tc_check_attn(struct tctx *t)
{
    if (t->last)
        return;         /* tc_retire leaves anyway */
    emit_mov_rm(t->b, 64, JIT_RAX, M(attn));
    emit_test_mr(t->b, 64, M(jit_attn_mask), JIT_RAX);
    size_t skip = emit_jcc8_fwd(t->b, JIT_CC_E);
    emit_exit_after(t, t->pend + 1);
    emit_patch_rel8(t->b, skip, emit_here(t->b));
}

void tc_retire(struct tctx *t)
{
    t->pend++;
    if (t->last) {
        emit_exit_after(t, t->pend);
        t->pend = 0;
    }
}

/* One record as a call of its handler, under the contract of
 * src/cpu/exec.h. */
static void emit_fallback(struct tctx *t, bool rip_ok)
{
    struct jit_buf *b = t->b;
    const struct insn *i = t->i;
    const int32_t next = (int32_t)(t->rel + i->len);
    tc_flush_count(t);
    if (!rip_ok)
        set_rip_here(t);
    emit_lea(b, 64, JIT_RAX, jit_mem(JIT_RBX, next));
    emit_mov_mr(b, 64, M(next_rip), JIT_RAX);
    emit_mov_rm(b, 64, JIT_RAX, M(s.gpr[R_ESP]));
    emit_mov_mr(b, 64, M(insn_rsp), JIT_RAX);
    emit_lea(b, 64, JIT_RSI, jit_mem_rip(t->rec));
    emit_mov_mr(b, 64, M(cur), JIT_RSI);
    emit_mov_rr(b, 64, JIT_RDI, JIT_R15);
    emit_call_abs(b, (const void *)i->fn);
    emit_alu_mi(b, JIT_ADD, 64, M(icount), 1);
    emit_mov_rm(b, 64, JIT_RAX, M(next_rip));
    emit_mov_mr(b, 64, M(s.rip), JIT_RAX);
    if (t->last) {
        emit_jmp(b, t->jv->leave);
        return;
    }
    emit_lea(b, 64, JIT_RCX, jit_mem(JIT_RBX, next));
    emit_alu_rr(b, JIT_CMP, 64, JIT_RAX, JIT_RCX);
    emit_jcc(b, JIT_CC_NE, t->jv->leave);
    emit_mov_rm(b, 64, JIT_RAX, M(attn));
    emit_test_mr(b, 64, M(jit_attn_mask), JIT_RAX);
    emit_jcc(b, JIT_CC_NE, t->jv->leave);
}

enum jit_tr jit_translate(struct jit_vcpu *jv, struct jit_block *b, const struct dpage *dp)
{
    const struct insn *recs[JIT_BLOCK_MAX];
    const unsigned off = (unsigned)(b->paddr & 0xfff);
    unsigned n = gather(dp, off, recs);
    if (!n)
        return JIT_TR_NONE;
    const size_t rec_bytes = n * sizeof(struct insn);
    struct jit_buf buf;
    uint8_t *at = jit_cache_begin(&jv->cache, &buf, rec_bytes + n * RECORD_MAX + 32);
    if (!at || (size_t)(buf.end - buf.p) < rec_bytes) {
        buf.overflow = true;
        jit_cache_commit(&jv->cache, &buf);
        return JIT_TR_FULL;
    }
    /* The records first: they are data the handlers read, in the cache's
     * read-only executable view, gone only when the cache is flushed. */
    struct insn *copy = (struct insn *)(void *)buf.p;
    for (unsigned k = 0; k < n; k++)
        memcpy(&copy[k], recs[k], sizeof *copy);
    const struct insn *run_recs = (const struct insn *)(at);
    buf.p += rec_bytes;
    emit_align(&buf, 16);
    const void *code = emit_here(&buf);
    size_t code_start = emit_offset(&buf);

    struct tctx t = { .jv = jv, .b = &buf, .long64 = dp->code_size == 8 };
    bool rip_ok = true;         /* s.rip is the block's entry EIP */
    for (unsigned k = 0; k < n; k++) {
        t.i = recs[k];
        t.rec = &run_recs[k];
        t.last = k + 1 == n;
        if (!jv->no_native && jit_native(&t)) {
            rip_ok = false;
            jv->st.native++;
        } else {
            emit_fallback(&t, rip_ok);
            rip_ok = true;
        }
        t.rel += recs[k]->len;
    }
    const unsigned rel = t.rel;
    size_t code_bytes = emit_offset(&buf) - code_start;
    if (!jit_cache_commit(&jv->cache, &buf))
        return buf.overflow ? JIT_TR_FULL : JIT_TR_ERROR;
    b->code = code;
    b->ninsns = (uint16_t)n;
    b->nbytes = (uint16_t)rel;
    jv->st.blocks++;
    jv->st.insns += n;
    jv->st.host_bytes += code_bytes;
    return JIT_TR_OK;
}
