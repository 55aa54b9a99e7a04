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

#include "jit/vcpu.h"
#include "cpu/optable.h"
#include "jit/emit.h"

#define CPU_OFF(field) ((int32_t)offsetof(struct cpu, field))
#define M(field) jit_mem(JIT_R15, CPU_OFF(field))

/* Host code bytes a fallback record takes at most (about 95 with a rel32
 * call, 105 with a far one). */
#define FALLBACK_MAX 128

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

/* One record as a call of its handler. `rel` is its offset from the
 * block's first byte, rec the run-time address of its copy. */
static void emit_fallback(struct jit_vcpu *jv, struct jit_buf *b, const struct insn *i,
                          unsigned rel, const struct insn *rec, bool last)
{
    const int32_t next = (int32_t)(rel + i->len);
    emit_lea(b, 64, JIT_RAX, jit_mem(JIT_RBX, next));
    emit_mov_mr(b, 64, M(next_rip), JIT_RAX);
    emit_mov_rm(b, 64, JIT_RAX, M(s.gpr[R_ESP]));
    emit_mov_mr(b, 64, M(insn_rsp), JIT_RAX);
    emit_lea(b, 64, JIT_RSI, jit_mem_rip(rec));
    emit_mov_mr(b, 64, M(cur), JIT_RSI);
    emit_mov_rr(b, 64, JIT_RDI, JIT_R15);
    emit_call_abs(b, (const void *)i->fn);
    emit_alu_mi(b, JIT_ADD, 64, M(icount), 1);
    emit_mov_rm(b, 64, JIT_RAX, M(next_rip));
    emit_mov_mr(b, 64, M(s.rip), JIT_RAX);
    if (last) {
        emit_jmp(b, jv->leave);
        return;
    }
    emit_lea(b, 64, JIT_RCX, jit_mem(JIT_RBX, next));
    emit_alu_rr(b, JIT_CMP, 64, JIT_RAX, JIT_RCX);
    emit_jcc(b, JIT_CC_NE, jv->leave);
    emit_mov_rm(b, 64, JIT_RAX, M(attn));
    emit_test_mr(b, 64, M(jit_attn_mask), JIT_RAX);
    emit_jcc(b, JIT_CC_NE, jv->leave);
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
    uint8_t *at = jit_cache_begin(&jv->cache, &buf, rec_bytes + n * FALLBACK_MAX + 32);
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

    unsigned rel = 0;
    for (unsigned k = 0; k < n; k++) {
        emit_fallback(jv, &buf, recs[k], rel, &run_recs[k], k + 1 == n);
        rel += recs[k]->len;
    }
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
