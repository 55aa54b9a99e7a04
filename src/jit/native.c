/* Native forms (docs/jit.md, "Code generation"): the commonest integer
 * instructions as host code instead of handler calls. Each computes
 * exactly what its interpreter handler does, lazy flags record included
 * (src/cpu/flags.h: op, size, src1, src2, res, all truncated to the
 * operand size), so handlers and flag readers that come later in the block
 * or after it see the same state. Guest registers are read from and
 * written to struct cpu (R15) around each instruction; memory operands go
 * through the helpers of helpers.c, which may fault.
 *
 * Forms: MOV (88-8B, B0-BF, C6/C7, register and memory), ADD/OR/AND/SUB/
 * XOR/CMP with a register destination or a CMP with any (00-3D, 80-83),
 * TEST (84/85, A8/A9, F6/F7 /0 /1), LEA. Everything else, LOCK and
 * read-modify-write memory destinations included, calls its handler. */
#include "jit/tctx.h"

#include "cpu/alu.h"
#include "cpu/mmu.h"
#include "cpu/flags.h"
#include "cpu/optable.h"
#include "jit/helpers.h"

#define H(name) void name(struct cpu *cpu, const struct insn *i);
#include "cpu/handlers.def"
#undef H

static bool alu_rmw(struct tctx *t, unsigned op, unsigned size, int src, int64_t imm);
static void cond_to_r12(struct tctx *t, int cc);
static bool cf_inline(struct tctx *t);
static void cond_call(struct tctx *t, int cc);
static bool regen_flags(struct tctx *t);

static struct jit_mem greg(unsigned n)
{
    return jit_mem(JIT_R15, CPU_OFF(s.gpr) + (int32_t)(8 * (n & 15)));
}

/* The byte register numbered as reg8() does: 4..7 AH CH DH BH, else the
 * low byte (20..23 with REX: SPL BPL SIL DIL). */
static struct jit_mem greg8(unsigned n)
{
    if ((n & ~3u) == 4)
        return jit_mem(JIT_R15, CPU_OFF(s.gpr) + (int32_t)(8 * (n - 4) + 1));
    return greg(n);
}

/* ---- guest registers in host registers (tctx.h) ---- */

static const enum jit_reg rc_host[JIT_RC_SLOTS] = { JIT_RSI, JIT_RDI, JIT_R10, JIT_R11 };

/* The host register caching guest register g, loaded if it is not yet;
 * JIT_NOREG when g has no slot in this block. */
static enum jit_reg rc_get(struct tctx *t, unsigned g)
{
    const int k = t->rc_slot[g & 15];
    if (k < 0)
        return JIT_NOREG;
    if (!(t->rc_valid & 1u << k)) {
        emit_mov_rm(t->b, 64, rc_host[k], greg(g & 15));
        t->rc_valid |= 1u << k;
    }
    return rc_host[k];
}

/* Guest register g's slot about to be overwritten whole: no load. */
static enum jit_reg rc_put(struct tctx *t, unsigned g)
{
    const int k = t->rc_slot[g & 15];
    if (k < 0)
        return JIT_NOREG;
    t->rc_valid |= 1u << k;
    t->rc_dirty |= 1u << k;
    return rc_host[k];
}

/* Guest register g is about to be read or written (write: the slot is
 * dropped) in struct cpu itself: its slot's value stored there first. */
static void rc_sync(struct tctx *t, unsigned g, bool write)
{
    const int k = t->rc_slot[g & 15];
    if (k < 0)
        return;
    const uint32_t bit = 1u << k;
    if (t->rc_dirty & bit)
        emit_mov_mr(t->b, 64, greg(g & 15), rc_host[k]);
    t->rc_dirty &= ~bit;
    if (write)
        t->rc_valid &= ~bit;
}

static struct jit_mem gxmm(unsigned n)
{
    return jit_mem(JIT_R15, CPU_OFF(s.xmm) + (int32_t)(16 * n));
}

void tc_emit_rc_store(struct tctx *t, unsigned dirty)
{
    for (unsigned g = 0; g < 16; g++) {
        const int k = t->rc_slot[g];
        if (k >= 0 && (dirty & 1u << k))
            emit_mov_mr(t->b, 64, greg(g), rc_host[k]);
    }
    for (unsigned n = 0; n < 16; n++)
        if (dirty & RC_XMM(n))
            emit_movdqu_mx(t->b, gxmm(n), (enum jit_xmm)n);
    if (dirty & RC_MX) {
        emit_stmxcsr(t->b, M(s.mxcsr));
        emit_ldmxcsr(t->b, M(jit_host_mxcsr));
    }
    if (dirty & RC_X87)
        tc_emit_x87_store(t);
}

/* RC_SSE needs no code: what it stands for holds until a call. RC_MX
 * loads the guest's MXCSR, whose masks were checked where it was first
 * loaded (tc_emit_sse_check); only a call could have changed them. */
void tc_emit_rc_load(struct tctx *t, unsigned valid)
{
    for (unsigned g = 0; g < 16; g++) {
        const int k = t->rc_slot[g];
        if (k >= 0 && (valid & 1u << k))
            emit_mov_rm(t->b, 64, rc_host[k], greg(g));
    }
    for (unsigned n = 0; n < 16; n++)
        if (valid & RC_XMM(n))
            emit_movdqu_xm(t->b, (enum jit_xmm)n, gxmm(n));
    if (valid & RC_MX)
        emit_ldmxcsr(t->b, M(s.mxcsr));
    if (valid & RC_X87)
        tc_emit_x87_load(t);
}

/* Which guest registers get the slots: the most used in the block's
 * records (ModRM operands, address registers, the registers in the
 * opcode, the stack pointer of PUSH/POP/CALL/RET/LEAVE), each used at
 * least twice (once costs the same either way), or once in a loop (once
 * a turn, loaded once at its head). */
void tc_rc_choose(struct tctx *t, const struct insn *recs, unsigned n)
{
    unsigned cnt[16] = { 0 };
    for (unsigned k = 0; k < n; k++) {
        const struct insn *i = &recs[k];
        const unsigned op = i->op;
        if (i->mod == 3) {
            cnt[i->rm & 15]++;
        } else {
            if (i->base < 16)
                cnt[i->base]++;
            if (i->index < 16)
                cnt[i->index]++;
        }
        cnt[i->reg & 15]++;
        if ((op >= 0x40 && op <= 0x5f) || (op >= 0x90 && op <= 0x97) || (op >= 0xb8 && op <= 0xbf))
            cnt[i->rm & 15] += 2;
        if ((op >= 0x50 && op <= 0x5f) || op == 0x68 || op == 0x6a || op == 0xc2 || op == 0xc3 ||
            op == 0xe8 || op == 0xc9)
            cnt[R_ESP] += 2;
        if (op == 0xc9)
            cnt[R_EBP] += 2;
    }
    for (unsigned g = 0; g < 16; g++)
        t->rc_slot[g] = -1;
    for (unsigned k = 0; k < JIT_RC_SLOTS && !t->no_rc; k++) {
        unsigned best = 16;
        for (unsigned g = 0; g < 16; g++)
            if (t->rc_slot[g] < 0 && cnt[g] >= (t->loop ? 1u : 2u) &&
                (best == 16 || cnt[g] > cnt[best]))
                best = g;
        if (best == 16)
            break;
        t->rc_slot[best] = (int8_t)k;
    }
    t->rc_valid = t->rc_dirty = 0;
}

/* Host register h = guest register n of `size` bytes, zero-extended
 * (n numbered as reg8() for bytes). Host flags kept. */
static void ld_greg(struct tctx *t, unsigned size, enum jit_reg h, unsigned n)
{
    struct jit_buf *b = t->b;
    const bool high = size == 1 && (n & ~3u) == 4;
    const enum jit_reg c = high ? JIT_NOREG : rc_get(t, n);
    if (high)
        rc_sync(t, n - 4, false);
    if (c != JIT_NOREG) {
        if (size == 1)
            emit_movzx_rr(b, 32, 8, h, c);
        else if (size == 2)
            emit_movzx_rr(b, 32, 16, h, c);
        else
            emit_mov_rr(b, size * 8, h, c);
    } else if (size == 1) {
        emit_movzx_rm(b, 32, 8, h, greg8(n));
    } else if (size == 2) {
        emit_movzx_rm(b, 32, 16, h, greg(n));
    } else {
        emit_mov_rm(b, size * 8, h, greg(n));
    }
}

/* Guest register n of `size` bytes = host register h (RAX, RCX or RDX
 * for bytes). A 32-bit write clears bits 63:32 (SDM vol. 1 3.4.1.1): h
 * holds a zero-extended value, and all 64 bits are stored. Host flags
 * kept. */
static void st_greg(struct tctx *t, unsigned size, unsigned n, enum jit_reg h)
{
    struct jit_buf *b = t->b;
    if (size == 1 && (n & ~3u) == 4) {
        rc_sync(t, n - 4, true);
        emit_mov_mr(b, 8, greg8(n), h);
        return;
    }
    if (size <= 2)
        rc_get(t, n);       /* a byte or word write keeps the rest: loaded first */
    const enum jit_reg c = rc_put(t, n);
    if (c != JIT_NOREG) {
        emit_mov_rr(b, size <= 2 ? size * 8 : 64, c, h);
    } else if (size == 1) {
        emit_mov_mr(b, 8, greg8(n), h);
    } else if (size == 2) {
        emit_mov_mr(b, 16, greg(n), h);
    } else {
        emit_mov_mr(b, 64, greg(n), h);
    }
}

/* dst = the effective address of t->i's memory operand, as insn_ea():
 * base + index << scale + disp, RIP-relative from the next instruction,
 * wrapped to the address size. Uses RCX. */
void tc_emit_ea(struct tctx *t, enum jit_reg dst)
{
    struct jit_buf *b = t->b;
    const struct insn *i = t->i;
    int64_t disp = (int32_t)i->disp;
    enum jit_reg base = JIT_NOREG, index = JIT_NOREG;
    if (i->base < 16) {
        base = rc_get(t, i->base);
        if (base == JIT_NOREG) {
            emit_mov_rm(b, 64, dst, greg(i->base));
            base = dst;
        }
    } else if (i->base == EA_RIP) {
        disp += (int64_t)t->rel + i->len;
        base = JIT_RBX;
    }
    if (i->index != EA_NONE) {
        index = rc_get(t, i->index);
        if (index == JIT_NOREG) {
            emit_mov_rm(b, 64, JIT_RCX, greg(i->index));
            index = JIT_RCX;
        }
    }
    /* One LEA; its 32-bit form wraps to a 32-bit address by itself. */
    const unsigned w = i->adsize == 4 ? 32 : 64;
    if (base == JIT_NOREG && index == JIT_NOREG)
        emit_mov_ri(b, 64, dst, w == 32 ? (int64_t)(uint32_t)disp : disp);
    else if (base == dst && index == JIT_NOREG && !disp && w == 64)
        ;
    else
        emit_lea(b, w, dst, jit_mem_idx(base, index, 1u << i->scale, (int32_t)disp));
    if (i->adsize == 2)
        emit_movzx_rr(b, 32, 16, dst, dst);
}

/* Whether an access through seg needs no segment arithmetic: the key
 * says the segment is flat (64-bit code: every segment but FS and GS).
 * The others get the interpreter's inline segment test (mmu_fast_host)
 * before the probe. */
static bool seg_flat(const struct tctx *t, unsigned seg)
{
    if (!t->flat)
        return false;
    if (t->long64)
        return seg != SEG_FS && seg != SEG_GS;
    return seg == SEG_DS || seg == SEG_ES || seg == SEG_SS;
}

/* Whether an access through seg can take the inline probe: any of the
 * six segment registers (seg_flat says what it costs). */
static bool inline_ok(unsigned seg)
{
    return seg < 6;
}

/* The inline probe of the interpreter's TLB for offset RDX through seg,
 * as mmu_fast_host() does it in C: the segment test and base unless the
 * segment is flat (RDX then becomes the linear address), the tag for this
 * access kind, no page crossing, no misaligned access while CPL 3
 * alignment checks are on (JIT_KEY_AC). On a hit RAX = the host addend; a miss jumps to a slow path
 * emitted after the block, which comes back after the access. NULL
 * (nothing emitted) when the block has no room for another. */
_Static_assert(sizeof(struct tlb_entry) == 64, "emit_probe scales the TLB index by 64");

/* The TLB half (supervisor or user view) the block's CPL uses, from R15. */
static int32_t tlb_base(const struct tctx *t)
{
    return CPU_OFF(tlb.e) + (int32_t)((t->user ? TLB_SIZE : 0) * sizeof(struct tlb_entry));
}

size_t tc_emit_tlb_tag(struct tctx *t, int acc, unsigned size)
{
    struct jit_buf *b = t->b;
    /* RAX = the entry's offset: bits 12.. of the address index 64-byte
     * entries. */
    emit_mov_rr(b, 32, JIT_RAX, JIT_RDX);
    emit_shift_ri(b, JIT_SHR, 32, JIT_RAX, 12 - 6);
    emit_alu_ri(b, JIT_AND, 32, JIT_RAX, (TLB_SIZE - 1) << 6);
    /* The page of the access's last byte | 1 against the tag: a miss, or an
     * access crossing into the next page, takes the jump. */
    emit_lea(b, 64, JIT_RCX, jit_mem(JIT_RDX, (int32_t)size - 1));
    emit_alu_ri(b, JIT_AND, 64, JIT_RCX, -4096);
    emit_alu_ri(b, JIT_OR, 64, JIT_RCX, 1);
    emit_alu_rm(b, JIT_CMP, 64, JIT_RCX,
                jit_mem_idx(JIT_R15, JIT_RAX, 1,
                            tlb_base(t) + (int32_t)(offsetof(struct tlb_entry, tag) + 8 * (unsigned)acc)));
    return emit_jcc32_fwd(b, JIT_CC_NE);
}

void tc_emit_tlb_addend(struct tctx *t)
{
    emit_mov_rm(t->b, 64, JIT_RAX,
                jit_mem_idx(JIT_R15, JIT_RAX, 1, tlb_base(t) + (int32_t)offsetof(struct tlb_entry, addend)));
}

/* A slow path's record of the fast path's state at this point. */
static void slow_state(struct tctx *t, struct tslow *sl)
{
    sl->pend = t->pend;
    sl->rel = t->rel;
    sl->len = t->i->len;
    sl->no_exit = false;
    sl->sp_sub = 0;
    sl->lf_word = t->lf_word;
    sl->rc_dirty = t->rc_dirty;
    sl->rc_back = 0;
    sl->back = 0;
    sl->whole = false;
    sl->nrec = 1;
    sl->leave = false;
    sl->rec = t->rec;
}

static struct tslow *emit_probe(struct tctx *t, unsigned seg, unsigned size, bool store)
{
    struct jit_buf *b = t->b;
    t->hflags = false;
    if (t->nslow == sizeof t->slow / sizeof t->slow[0])
        return NULL;
    struct tslow *sl = &t->slow[t->nslow++];
    const int acc = store ? ACC_WRITE : ACC_READ;
    sl->njumps = 0;
    sl->seg_off = !seg_flat(t, seg);
    if (sl->seg_off) {
        /* RDX = the linear address; R9 keeps the offset for the slow
         * path. Outside 64-bit code: a present, writable, expand-up data
         * segment and the access within its limit, as mmu_fast_host(). */
        const int32_t so = CPU_OFF(s.seg) + (int32_t)(seg * sizeof(struct seg));
        emit_mov_rr(b, 64, JIT_R9, JIT_RDX);
        if (!t->long64) {
            emit_movzx_rm(b, 32, 8, JIT_RCX, jit_mem(JIT_R15, so + (int32_t)offsetof(struct seg, attr)));
            emit_alu_ri(b, JIT_AND, 32, JIT_RCX, MMU_SEG_FAST_MASK);
            emit_alu_ri(b, JIT_CMP, 32, JIT_RCX, MMU_SEG_FAST_WANT);
            sl->jumps[sl->njumps++] = emit_jcc32_fwd(b, JIT_CC_NE);
            emit_lea(b, 64, JIT_RAX, jit_mem(JIT_RDX, (int32_t)size - 1));
            emit_mov_rm(b, 32, JIT_RCX, jit_mem(JIT_R15, so + (int32_t)offsetof(struct seg, limit)));
            emit_alu_rr(b, JIT_CMP, 64, JIT_RAX, JIT_RCX);
            sl->jumps[sl->njumps++] = emit_jcc32_fwd(b, JIT_CC_A);
            emit_alu_rm(b, JIT_ADD, 32, JIT_RDX, jit_mem(JIT_R15, so + (int32_t)offsetof(struct seg, base)));
        } else {
            emit_alu_rm(b, JIT_ADD, 64, JIT_RDX, jit_mem(JIT_R15, so + (int32_t)offsetof(struct seg, base)));
        }
    }
    sl->jumps[sl->njumps++] = tc_emit_tlb_tag(t, acc, size);
    if (size > 1 && t->ac) {
        emit_test_ri(b, 32, JIT_RDX, size - 1);
        sl->jumps[sl->njumps++] = emit_jcc32_fwd(b, JIT_CC_NE);
    }
    tc_emit_tlb_addend(t);
    slow_state(t, sl);
    sl->seg = (uint8_t)seg;
    sl->size = (uint8_t)size;
    sl->store = store;
    return sl;
}

bool tc_slow_room(const struct tctx *t, unsigned n)
{
    return t->nslow + n <= sizeof t->slow / sizeof t->slow[0];
}

struct tslow *tc_probe_whole(struct tctx *t, unsigned size, bool store)
{
    if (!inline_ok(t->i->seg) || !tc_slow_room(t, 1))
        return NULL;
    struct tslow *sl = emit_probe(t, t->i->seg, size, store);
    sl->whole = true;
    sl->rec_fn = t->i->fn;
    return sl;
}

struct tslow *tc_slow_leave(struct tctx *t)
{
    if (!tc_slow_room(t, 1))
        return NULL;
    struct tslow *sl = &t->slow[t->nslow++];
    sl->njumps = 0;
    sl->seg_off = false;
    slow_state(t, sl);
    sl->seg = 0;
    sl->size = 0;
    sl->store = false;
    sl->whole = true;
    sl->leave = true;
    sl->rec_fn = t->i->fn;
    return sl;
}

/* The fast path goes on here after the access: the slow path comes back
 * with the registers cached at this point reloaded. */
void tc_slow_back(struct tctx *t, struct tslow *sl)
{
    sl->back = emit_offset(t->b);
    sl->rc_back = t->rc_valid;
}

/* RAX = the `size` bytes at seg:RDX, zero-extended (may fault). */
static void emit_load_rdx(struct tctx *t, unsigned seg, unsigned size)
{
    struct jit_buf *b = t->b;
    struct tslow *sl = inline_ok(seg) ? emit_probe(t, seg, size, false) : NULL;
    if (sl) {
        struct jit_mem m = jit_mem_idx(JIT_RAX, JIT_RDX, 1, 0);
        if (size < 4)
            emit_movzx_rm(b, 32, size * 8, JIT_RAX, m);
        else
            emit_mov_rm(b, size * 8, JIT_RAX, m);
        tc_slow_back(t, sl);
        return;
    }
    tc_before_call(t);
    emit_mov_ri(b, 32, JIT_RSI, seg);
    emit_mov_rr(b, 64, JIT_RDI, JIT_R15);
    emit_call_abs(b, (const void *)jit_ld_helper(size, t->long64));
}

/* RAX = the memory operand of `size` bytes, zero-extended (may fault). */
static void emit_load(struct tctx *t, unsigned size)
{
    tc_emit_ea(t, JIT_RDX);
    emit_load_rdx(t, t->i->seg, size);
}

/* The memory operand (address in RDX) = R8, `size` bytes. */
static void emit_store_r8(struct tctx *t, unsigned size)
{
    struct jit_buf *b = t->b;
    struct tslow *sl = inline_ok(t->i->seg) ? emit_probe(t, t->i->seg, size, true) : NULL;
    if (sl) {
        /* A hit never writes translated code: the TLB has no write tag
         * for pages that hold any (physmem marks). */
        emit_mov_mr(b, size * 8, jit_mem_idx(JIT_RAX, JIT_RDX, 1, 0), JIT_R8);
        tc_slow_back(t, sl);
        return;
    }
    tc_before_call(t);
    emit_mov_rr(b, 64, JIT_RCX, JIT_R8);
    emit_mov_ri(b, 32, JIT_RSI, t->i->seg);
    emit_mov_rr(b, 64, JIT_RDI, JIT_R15);
    emit_call_abs(b, (const void *)jit_st_helper(size, t->long64));
    tc_check_attn(t);
}

/* After a slow path's store, which may have hit translated code
 * (cpu->jit_break): leave when an attention bit is set, icount += count,
 * s.rip = the EIP at offset `end` of the block (the store's instruction
 * retired). */
static void leave_on_attn(struct tctx *t, unsigned count, unsigned end)
{
    struct jit_buf *b = t->b;
    emit_mov_rm(b, 64, JIT_RCX, M(attn));
    emit_test_mr(b, 64, M(jit_attn_mask), JIT_RCX);
    const size_t on = emit_jcc8_fwd(b, JIT_CC_E);
    emit_alu_mi(b, JIT_ADD, 64, M(icount), count);
    emit_lea(b, 64, JIT_RAX, jit_mem(JIT_RBX, (int32_t)end));
    emit_mov_mr(b, 64, M(s.rip), JIT_RAX);
    emit_jmp(b, t->jv->leave);
    emit_patch_rel8(b, on, emit_here(b));
}

void tc_emit_slow_paths(struct tctx *t)
{
    struct jit_buf *b = t->b;
    for (unsigned k = 0; k < t->nslow; k++) {
        const struct tslow *sl = &t->slow[k];
        for (unsigned j = 0; j < sl->njumps; j++)
            emit_patch_rel32(b, sl->jumps[j], emit_here(b));
        /* The state a fault needs (tc_before_call), for this call only:
         * the fast path counts the instructions before it later. */
        if (sl->seg_off)
            emit_mov_rr(b, 64, JIT_RDX, JIT_R9);
        tc_emit_lf_store(b, sl->lf_word);
        tc_emit_rc_store(t, sl->rc_dirty);
        tc_emit_settle(b, sl->pend, (int)sl->rel);
        if (sl->leave) {
            /* Retired by the handler (which stored s.rip): icount and the
             * exit; nothing was cached across the call. */
            tc_emit_handler_call(b, sl->rel, sl->len, sl->rec, sl->rec_fn);
            emit_alu_mi(b, JIT_ADD, 64, M(icount), 1);
            emit_mov_rm(b, 64, JIT_RAX, M(next_rip));
            emit_mov_mr(b, 64, M(s.rip), JIT_RAX);
            emit_jmp(b, t->jv->leave);
            continue;
        }
        unsigned end = sl->rel + sl->len, extra = 0;
        if (sl->whole) {
            tc_emit_handler_call(b, sl->rel, sl->len, sl->rec, sl->rec_fn);
            /* A run: the records after it, each counted and settled as
             * the first; a store that hit translated code leaves after
             * its record. */
            for (const struct insn *r = sl->rec + 1; r < sl->rec + sl->nrec; r++, extra++) {
                if (sl->store)
                    leave_on_attn(t, 1, end);
                tc_emit_settle(b, 1, (int)end);
                tc_emit_handler_call(b, end, r->len, r, r->fn);
                end += r->len;
            }
        } else {
            if (sl->store)
                emit_mov_rr(b, 64, JIT_RCX, JIT_R8);
            emit_mov_ri(b, 32, JIT_RSI, sl->seg);
            emit_mov_rr(b, 64, JIT_RDI, JIT_R15);
            if (sl->store)
                emit_call_abs(b, (const void *)jit_st_helper(sl->size, t->long64));
            else
                emit_call_abs(b, (const void *)jit_ld_helper(sl->size, t->long64));
        }
        if (sl->pend + extra)
            emit_alu_mi(b, JIT_SUB, 64, M(icount), sl->pend + extra);
        if (sl->sp_sub) {
            /* PUSH: the rest of the instruction, which the fast path does
             * before its `back`. */
            const unsigned w = t->long64 ? 64 : 32;
            emit_mov_rm(b, w, JIT_RDX, jit_mem(JIT_R15, CPU_OFF(s.gpr) + 8 * R_ESP));
            emit_alu_ri(b, JIT_SUB, w, JIT_RDX, sl->sp_sub);
            emit_mov_mr(b, 64, jit_mem(JIT_R15, CPU_OFF(s.gpr) + 8 * R_ESP), JIT_RDX);
        }
        if (sl->store && !sl->no_exit)
            leave_on_attn(t, sl->pend + extra + 1, end);
        /* The helper may have changed the caller-saved cache registers
         * (and the host FPU and MXCSR are the host's since the store):
         * reloaded only on the way back, as nothing is stored on the way
         * out. */
        tc_emit_rc_load(t, sl->rc_back);
        emit_jmp(b, emit_exec_addr(b, sl->back));
    }
}

/* The immediate of `size` bytes as the handlers use it (i->imm & mask;
 * 64-bit operands take the sign-extended imm32). */
static int64_t imm_of(const struct insn *i, unsigned size)
{
    return size == 8 ? (int64_t)i->imm : (int64_t)(i->imm & sz_mask(size));
}

static void mov_imm(struct jit_buf *b, unsigned size, enum jit_reg h, int64_t v)
{
    emit_mov_ri(b, size == 8 ? 64 : 32, h, v);
}

/* ---- MOV ---- */

/* r/m = v, where the value is guest register `src` (src >= 0) or imm. */
static bool mov_to_rm(struct tctx *t, unsigned size, int src, int64_t imm)
{
    const struct insn *i = t->i;
    struct jit_buf *b = t->b;
    if (i->mod == 3) {
        if (src >= 0)
            ld_greg(t, size, JIT_RAX, (unsigned)src);
        else
            mov_imm(b, size, JIT_RAX, imm);
        st_greg(t, size, i->rm, JIT_RAX);
        tc_retire(t);
        return true;
    }
    tc_emit_ea(t, JIT_RDX);
    if (src >= 0)
        ld_greg(t, size, JIT_R8, (unsigned)src);
    else
        mov_imm(b, size, JIT_R8, imm);
    emit_store_r8(t, size);
    tc_retire(t);
    return true;
}

/* guest register reg = r/m. */
static bool mov_from_rm(struct tctx *t, unsigned size, unsigned reg)
{
    const struct insn *i = t->i;
    if (i->mod == 3)
        ld_greg(t, size, JIT_RAX, i->rm);
    else
        emit_load(t, size);
    st_greg(t, size, reg, JIT_RAX);
    tc_retire(t);
    return true;
}

/* ---- ALU ---- */

/* Host ALU op and lazy record op of an ALU_* operation (ADC and SBB have
 * forms of their own; CMP is a SUB that writes nothing back). */
static const enum jit_alu alu_host[8] = {
    [ALU_ADD] = JIT_ADD, [ALU_OR] = JIT_OR, [ALU_AND] = JIT_AND,
    [ALU_SUB] = JIT_SUB, [ALU_XOR] = JIT_XOR, [ALU_CMP] = JIT_SUB,
};

static unsigned alu_lazy(unsigned op)
{
    return op == ALU_ADD ? LF_ADD : op == ALU_SUB || op == ALU_CMP ? LF_SUB : LF_LOGIC;
}

/* The end of a lazy record written into struct cpu: res = RAX, and the
 * op with its size (the operands were stored before the host op). For the
 * writers that may leave the flags alone (a zero count) or whose slow
 * path runs the handler; no record is pending after it. */
static void lf_result_mem(struct tctx *t, unsigned lop, unsigned size)
{
    emit_mov_mr(t->b, 64, M(s.lf.res), JIT_RAX);
    emit_mov_mi(t->b, 16, M(s.lf.op), (int64_t)(lop | size << 8));
    t->lf_word = 0;
}

/* A pending record (tctx.h): src1 and src2 from host registers (before
 * the host op: register moves keep the host flags), then res = RAX. */
static void lf_srcs(struct jit_buf *b, enum jit_reg src1, enum jit_reg src2)
{
    emit_mov_rr(b, 64, JIT_R13, src1);
    emit_mov_rr(b, 64, JIT_R14, src2);
}

static void lf_result(struct tctx *t, unsigned lop, unsigned size)
{
    emit_mov_rr(t->b, 64, JIT_RBP, JIT_RAX);
    t->lf_word = (uint16_t)(lop | size << 8);
}

/* The lazy record of an ALU result: RAX = src1 (before), RCX = src2, and
 * the host op computes RAX = result. */
static void alu_emit(struct tctx *t, unsigned op, unsigned size, int dst_reg)
{
    struct jit_buf *b = t->b;
    const unsigned lop = alu_lazy(op);
    if (!t->flags_dead)
        lf_srcs(b, JIT_RAX, JIT_RCX);
    emit_alu_rr(b, alu_host[op], size * 8, JIT_RAX, JIT_RCX);
    if (!t->flags_dead)
        lf_result(t, lop, size);
    if (dst_reg >= 0 && op != ALU_CMP)
        st_greg(t, size, (unsigned)dst_reg, JIT_RAX);
    tc_retire(t);
    t->hflags = !t->flags_dead;     /* MOVs since the op keep them */
    t->lf_op = t->flags_dead ? 0 : (uint8_t)lop;
    t->lf_size = (uint8_t)size;
}

static bool alu_ok(unsigned op)
{
    return op != ALU_ADC && op != ALU_SBB;
}

/* The same for a 32/64-bit destination that lives in a cache slot, with
 * no copies through RAX: src1 and src2 straight into R13/R14, the op on
 * the cached register itself (a 32-bit op clears bits 63:32, as the
 * guest's does), res from it; CMP computes its result in RBP. The source:
 * guest register src_reg, the memory operand (src_mem), or imm. False
 * (nothing emitted) when the destination has no slot. */
static bool alu_cached(struct tctx *t, unsigned op, unsigned size, unsigned dst, int src_reg,
                       bool src_mem, int64_t imm)
{
    struct jit_buf *b = t->b;
    if (size < 4 || t->rc_slot[dst & 15] < 0)
        return false;
    const unsigned w = size * 8;
    enum jit_reg hs = JIT_NOREG;
    if (src_mem) {
        emit_load(t, size);
        hs = JIT_RAX;
    } else if (src_reg >= 0) {
        hs = rc_get(t, (unsigned)src_reg);
        if (hs == JIT_NOREG) {
            ld_greg(t, size, JIT_RCX, (unsigned)src_reg);
            hs = JIT_RCX;
        }
    }
    const enum jit_reg hd = rc_get(t, dst);
    const unsigned lop = alu_lazy(op);
    if (t->flags_dead) {
        /* No record: the value alone (a dead CMP does nothing). */
        if (op != ALU_CMP) {
            if (hs != JIT_NOREG)
                emit_alu_rr(b, alu_host[op], w, hd, hs);
            else if (size == 4 || (imm >= INT32_MIN && imm <= INT32_MAX))
                emit_alu_ri(b, alu_host[op], w, hd, imm);
            else {
                mov_imm(b, size, JIT_RCX, imm);
                emit_alu_rr(b, alu_host[op], w, hd, JIT_RCX);
            }
            rc_put(t, dst);
        }
        tc_retire(t);
        t->hflags = false;
        return true;
    }
    emit_mov_rr(b, w, JIT_R13, hd);
    if (hs != JIT_NOREG)
        emit_mov_rr(b, w, JIT_R14, hs);
    else
        mov_imm(b, size, JIT_R14, imm);
    if (op == ALU_CMP) {
        emit_mov_rr(b, w, JIT_RBP, hd);
        emit_alu_rr(b, JIT_SUB, w, JIT_RBP, JIT_R14);
    } else {
        emit_alu_rr(b, alu_host[op], w, hd, JIT_R14);
        emit_mov_rr(b, 64, JIT_RBP, hd);
        rc_put(t, dst);
    }
    t->lf_word = (uint16_t)(lop | size << 8);
    tc_retire(t);
    t->hflags = true;
    t->lf_op = (uint8_t)lop;
    t->lf_size = (uint8_t)size;
    return true;
}

/* r/m OP= v (v: guest register `src` >= 0, or imm). A memory destination
 * only for CMP (the rest read-modify-write: their handlers). */
static bool alu_rm_dst(struct tctx *t, unsigned op, unsigned size, int src, int64_t imm)
{
    const struct insn *i = t->i;
    struct jit_buf *b = t->b;
    if (!alu_ok(op))
        return false;
    if (i->mod != 3 && op != ALU_CMP)
        return alu_rmw(t, op, size, src, imm);
    if (i->mod == 3 && alu_cached(t, op, size, i->rm, src, false, imm))
        return true;
    if (i->mod == 3) {
        ld_greg(t, size, JIT_RAX, i->rm);
    } else {
        emit_load(t, size);
    }
    if (src >= 0)
        ld_greg(t, size, JIT_RCX, (unsigned)src);
    else
        mov_imm(b, size, JIT_RCX, imm);
    alu_emit(t, op, size, i->mod == 3 ? i->rm : -1);
    return true;
}

/* guest register reg OP= r/m, or (rm_src false) OP= imm. */
static bool alu_reg_dst(struct tctx *t, unsigned op, unsigned size, unsigned reg, bool rm_src,
                        int64_t imm)
{
    const struct insn *i = t->i;
    struct jit_buf *b = t->b;
    if (!alu_ok(op))
        return false;
    if (alu_cached(t, op, size, reg, rm_src && i->mod == 3 ? (int)i->rm : -1,
                   rm_src && i->mod != 3, imm))
        return true;
    if (!rm_src) {
        mov_imm(b, size, JIT_RCX, imm);
    } else if (i->mod == 3) {
        ld_greg(t, size, JIT_RCX, i->rm);
    } else {
        emit_load(t, size);
        emit_mov_rr(b, 64, JIT_RCX, JIT_RAX);
    }
    ld_greg(t, size, JIT_RAX, reg);
    alu_emit(t, op, size, (int)reg);
    return true;
}

/* TEST: the AND's lazy record, nothing written. a = r/m (or a register),
 * b = register or imm. */
static bool test_emit(struct tctx *t, unsigned size, bool a_rm, unsigned a_reg, int b_reg,
                      int64_t imm)
{
    const struct insn *i = t->i;
    struct jit_buf *b = t->b;
    if (a_rm && i->mod != 3)
        emit_load(t, size);
    else
        ld_greg(t, size, JIT_RAX, a_rm ? i->rm : a_reg);
    if (b_reg >= 0)
        ld_greg(t, size, JIT_RCX, (unsigned)b_reg);
    else
        mov_imm(b, size, JIT_RCX, imm);
    alu_emit(t, ALU_AND, size, -1);
    return true;
}

/* ---- read-modify-write memory destinations ---- */

/* The start of a read-modify-write through a flat segment: the address,
 * the TLB's write tag (a hit can neither fault nor write translated code:
 * pages holding any have no write tag), R9 = the host address, RAX = the
 * old value. A miss runs the whole instruction as its handler in the slow
 * path, which comes back to sl->back (set by the caller after the store).
 * NULL (nothing emitted) when the operand does not qualify. */
static struct tslow *rmw_begin(struct tctx *t, unsigned size)
{
    struct jit_buf *b = t->b;
    if (!inline_ok(t->i->seg) || t->nslow == sizeof t->slow / sizeof t->slow[0])
        return NULL;
    tc_emit_ea(t, JIT_RDX);
    struct tslow *sl = emit_probe(t, t->i->seg, size, true);
    sl->whole = true;
    sl->rec_fn = t->i->fn;
    emit_lea(b, 64, JIT_R9, jit_mem_idx(JIT_RAX, JIT_RDX, 1, 0));
    if (size < 4)
        emit_movzx_rm(b, 32, size * 8, JIT_RAX, jit_mem(JIT_R9, 0));
    else
        emit_mov_rm(b, size * 8, JIT_RAX, jit_mem(JIT_R9, 0));
    return sl;
}

/* ADD/OR/AND/SUB/XOR to memory: alu_rm_dst's order and record. */
static bool alu_rmw(struct tctx *t, unsigned op, unsigned size, int src, int64_t imm)
{
    struct jit_buf *b = t->b;
    if (op == ALU_ADC || op == ALU_SBB || op == ALU_CMP)
        return false;
    struct tslow *sl = rmw_begin(t, size);
    if (!sl)
        return false;
    if (src >= 0)
        ld_greg(t, size, JIT_RCX, (unsigned)src);
    else
        mov_imm(b, size, JIT_RCX, imm);
    const unsigned lop = alu_lazy(op);
    emit_mov_mr(b, 64, M(s.lf.src1), JIT_RAX);
    emit_mov_mr(b, 64, M(s.lf.src2), JIT_RCX);
    emit_alu_rr(b, alu_host[op], size * 8, JIT_RAX, JIT_RCX);
    emit_mov_mr(b, size * 8, jit_mem(JIT_R9, 0), JIT_RAX);
    lf_result_mem(t, lop, size);
    tc_slow_back(t, sl);
    tc_retire(t);
    t->hflags = false;          /* the slow path's call leaves other flags */
    t->lf_op = (uint8_t)lop;    /* the handler records the same */
    t->lf_size = (uint8_t)size;
    return true;
}

/* INC/DEC of memory (alu_unary): CF before the instruction is kept. */
static bool incdec_rmw(struct tctx *t, unsigned size, bool dec)
{
    struct jit_buf *b = t->b;
    if (!inline_ok(t->i->seg))
        return false;
    cond_to_r12(t, -1);
    struct tslow *sl = rmw_begin(t, size);
    if (!sl)
        return false;       /* (R12 was only computed) */
    emit_mov_mr(b, 64, M(s.lf.src1), JIT_RAX);
    emit_mov_mr(b, 64, M(s.lf.src2), JIT_R12);
    emit_unop_r(b, dec ? JIT_DEC : JIT_INC, size * 8, JIT_RAX);
    emit_mov_mr(b, size * 8, jit_mem(JIT_R9, 0), JIT_RAX);
    lf_result_mem(t, dec ? LF_DEC : LF_INC, size);
    tc_slow_back(t, sl);
    tc_retire(t);
    t->hflags = false;
    t->lf_op = 0;
    return true;
}

/* XADD to memory: the sum stored, the old value into the source register,
 * ADD's record. The register is written before `back`: a miss's handler
 * has written it too, and the way back reloads it. */
static bool xadd_rmw(struct tctx *t, unsigned size)
{
    struct jit_buf *b = t->b;
    if (t->i->mod == 3)
        return false;
    struct tslow *sl = rmw_begin(t, size);
    if (!sl)
        return false;
    ld_greg(t, size, JIT_RCX, t->i->reg);
    emit_mov_mr(b, 64, M(s.lf.src1), JIT_RAX);
    emit_mov_mr(b, 64, M(s.lf.src2), JIT_RCX);
    emit_mov_rr(b, 64, JIT_R8, JIT_RAX);
    emit_alu_rr(b, JIT_ADD, size * 8, JIT_RAX, JIT_RCX);
    emit_mov_mr(b, size * 8, jit_mem(JIT_R9, 0), JIT_RAX);
    lf_result_mem(t, LF_ADD, size);
    st_greg(t, size, t->i->reg, JIT_R8);
    tc_slow_back(t, sl);
    tc_retire(t);
    t->hflags = false;
    t->lf_op = LF_ADD;
    t->lf_size = (uint8_t)size;
    return true;
}

/* CMPXCHG with a memory destination: the accumulator against the old
 * value, then (as the handler) a store of the source if equal, else of
 * the old value, which also goes into the accumulator (a 32-bit one
 * zero-extended; if equal it is left whole); CMP's record. */
static bool cmpxchg_rmw(struct tctx *t, unsigned size)
{
    struct jit_buf *b = t->b;
    const unsigned w = size * 8, acc = size == 4 ? 8 : size;
    if (t->i->mod == 3)
        return false;
    struct tslow *sl = rmw_begin(t, size);
    if (!sl)
        return false;
    ld_greg(t, acc, JIT_RCX, R_EAX);
    ld_greg(t, size, JIT_RDX, t->i->reg);
    emit_mov_rr(b, size == 4 ? 32 : 64, JIT_R8, JIT_RCX);
    emit_mov_mr(b, 64, M(s.lf.src1), JIT_R8);
    emit_mov_mr(b, 64, M(s.lf.src2), JIT_RAX);
    emit_alu_rr(b, JIT_SUB, w, JIT_R8, JIT_RAX);
    emit_mov_mr(b, 64, M(s.lf.res), JIT_R8);
    emit_mov_mi(b, 16, M(s.lf.op), (int64_t)(LF_SUB | size << 8));
    t->lf_word = 0;
    emit_alu_rr(b, JIT_CMP, w, JIT_RCX, JIT_RAX);
    emit_mov_rr(b, 64, JIT_R8, JIT_RDX);
    emit_cmov_rr(b, JIT_CC_NE, 64, JIT_R8, JIT_RAX);
    emit_cmov_rr(b, JIT_CC_NE, 64, JIT_RCX, JIT_RAX);
    emit_mov_mr(b, w, jit_mem(JIT_R9, 0), JIT_R8);
    st_greg(t, acc, R_EAX, JIT_RCX);
    tc_slow_back(t, sl);
    tc_retire(t);
    t->hflags = false;
    t->lf_op = LF_SUB;
    t->lf_size = (uint8_t)size;
    return true;
}

void tc_ld_greg(struct tctx *t, unsigned size, enum jit_reg h, unsigned n)
{
    ld_greg(t, size, h, n);
}

void tc_st_greg(struct tctx *t, unsigned size, unsigned n, enum jit_reg h)
{
    st_greg(t, size, n, h);
}

/* ---- LEA ---- */

static bool lea(struct tctx *t)
{
    const struct insn *i = t->i;
    if (i->mod == 3)
        return false;       /* #UD: the handler raises it */
    tc_emit_ea(t, JIT_RAX);
    if (i->opsize == 4 && i->adsize == 8)
        emit_mov_rr(t->b, 32, JIT_RAX, JIT_RAX);
    st_greg(t, i->opsize, i->reg, JIT_RAX);
    tc_retire(t);
    return true;
}

/* ---- branches and the stack ---- */

/* In 64-bit code a target must be canonical (#GP(0) at the branch, before
 * anything changes): a bad one goes back to the interpreter, which raises
 * it. Outside it the key's 4 GiB CS limit admits any wrapped target, and
 * a direct one (`direct`) from a page far from the canonical boundary
 * (JIT_KEY_FAR) cannot be bad. Clobbers RCX and the host flags. */
static void check_target(struct tctx *t, bool direct)
{
    if (!t->long64 || (direct && (t->key & JIT_KEY_FAR)))
        return;
    struct jit_buf *b = t->b;
    emit_mov_rr(b, 64, JIT_RCX, JIT_RAX);
    emit_shift_ri(b, JIT_SHL, 64, JIT_RCX, 16);
    emit_shift_ri(b, JIT_SAR, 64, JIT_RCX, 16);
    emit_alu_rr(b, JIT_CMP, 64, JIT_RCX, JIT_RAX);
    size_t ok = emit_jcc32_fwd(b, JIT_CC_E);   /* (the exit stores XMM registers too) */
    tc_exit_before(t);
    emit_patch_rel32(b, ok, emit_here(b));
}

/* Jcc and JMP rel (cc < 0: always): the block's last instruction. */
/* The taken path of a branch back to the block's own start (tctx.loop):
 * the instructions counted, the run's end and the events checked as at
 * the block's entry, the flags record stored, every cached register
 * loaded as the loop head has them, and on to the head without leaving.
 * Otherwise it leaves with s.rip on the block's start. */
static void loop_back(struct tctx *t)
{
    struct jit_buf *b = t->b;
    tc_lf_flush(t);
    emit_alu_mi(b, JIT_ADD, 64, M(icount), t->pend + 1);
    emit_mov_rm(b, 64, JIT_RAX, M(icount));
    emit_alu_ri(b, JIT_ADD, 64, JIT_RAX, t->ninsns);
    emit_alu_rm(b, JIT_CMP, 64, JIT_RAX, M(jit_end));
    const size_t end = emit_jcc32_fwd(b, JIT_CC_A);
    emit_mov_rm(b, 64, JIT_RAX, M(attn));
    emit_test_mr(b, 64, M(jit_attn_mask), JIT_RAX);
    const size_t ev = emit_jcc32_fwd(b, JIT_CC_NE);
    /* SSE state a call in the body dropped: checked again (if it no
     * longer holds, the block is entered anew and its head says so). */
    const uint32_t reload = t->rc_loop & ~t->rc_valid;
    size_t fields[5];
    const unsigned nf = tc_emit_state_check(t, reload & RC_STATE, fields);
    tc_emit_rc_load(t, reload);
    emit_jmp(b, emit_exec_addr(b, t->loop_head));
    emit_patch_rel32(b, end, emit_here(b));
    emit_patch_rel32(b, ev, emit_here(b));
    for (unsigned k = 0; k < nf; k++)
        emit_patch_rel32(b, fields[k], emit_here(b));
    emit_mov_mr(b, 64, M(s.rip), JIT_RBX);
    tc_emit_rc_store(t, t->rc_dirty);
    emit_jmp(b, t->jv->leave);
}

static bool branch(struct tctx *t, int cc)
{
    struct jit_buf *b = t->b;
    if (!t->chain)
        return false;
    if (!t->last) {
        /* A side exit (gather went on past it): the taken side leaves
         * towards the target, the block goes on with the fall-through. */
        if (cc < 0 || t->i->opsize == 2)
            return false;
        size_t over;
        if (t->hflags || regen_flags(t)) {
            over = emit_jcc32_fwd(b, (enum jit_cc)(cc ^ 1));
        } else {
            cond_call(t, cc);
            emit_test_rr(b, 32, JIT_RAX, JIT_RAX);
            over = emit_jcc32_fwd(b, JIT_CC_E);
        }
        tc_emit_branch_target(t, JIT_RAX);
        check_target(t, true);
        tc_exit_rax(t, t->pend + 1, true);
        emit_patch_rel32(b, over, emit_here(b));
        tc_retire(t);
        return true;
    }
    if (cc >= 0) {
        size_t taken;
        if (t->hflags || regen_flags(t)) {
            /* What both exits store, once before the jump (stores keep
             * the host flags it reads); a loop's back-edge stores less. */
            if (!t->loop)
                tc_sync_flush(t);
            taken = emit_jcc32_fwd(b, (enum jit_cc)cc);
        } else {
            cond_call(t, cc);
            emit_test_rr(b, 32, JIT_RAX, JIT_RAX);
            taken = emit_jcc32_fwd(b, JIT_CC_NE);
        }
        tc_exit_next(t, t->pend + 1, true);
        emit_patch_rel32(b, taken, emit_here(b));
    }
    if (t->loop) {
        loop_back(t);
        t->pend = 0;
        return true;
    }
    tc_emit_branch_target(t, JIT_RAX);
    check_target(t, true);        /* RAX stays */
    tc_exit_rax(t, t->pend + 1, true);
    t->pend = 0;
    return true;
}

/* Stack accesses natively: a flat SS with a 32-bit stack pointer (the
 * key), or 64-bit code; the operand size that of the stack pointer. */
static bool stack_ok(const struct tctx *t, unsigned size)
{
    return t->flat && size == (t->long64 ? 8u : 4u);
}

/* RDX = the stack pointer (ESP zero-extended, or RSP). */
static void ld_sp(struct tctx *t)
{
    ld_greg(t, t->long64 ? 8 : 4, JIT_RDX, R_ESP);
}

/* Push R8 (`size` bytes): the store first, so a fault leaves ESP. A store
 * into translated code leaves the block after the instruction unless
 * no_exit (the instruction ends the block anyway). */
static void emit_push_r8(struct tctx *t, unsigned size, bool no_exit)
{
    struct jit_buf *b = t->b;
    ld_sp(t);
    emit_alu_ri(b, JIT_SUB, t->long64 ? 64 : 32, JIT_RDX, size);
    struct tslow *sl = emit_probe(t, SEG_SS, size, true);
    if (sl) {
        emit_mov_mr(b, size * 8, jit_mem_idx(JIT_RAX, JIT_RDX, 1, 0), JIT_R8);
        st_greg(t, 8, R_ESP, JIT_RDX);
        tc_slow_back(t, sl);
        sl->sp_sub = (uint8_t)size;     /* the slow path moves ESP itself */
        sl->no_exit = no_exit;
        return;
    }
    tc_before_call(t);
    emit_mov_rr(b, 64, JIT_RCX, JIT_R8);
    emit_mov_ri(b, 32, JIT_RSI, SEG_SS);
    emit_mov_rr(b, 64, JIT_RDI, JIT_R15);
    emit_call_abs(b, (const void *)jit_st_helper(size, t->long64));
    ld_sp(t);
    emit_alu_ri(b, JIT_SUB, t->long64 ? 64 : 32, JIT_RDX, size);
    st_greg(t, 8, R_ESP, JIT_RDX);
    if (!no_exit)
        tc_check_attn(t);
}

/* RAX = the `size` bytes at the top of the stack (the stack pointer is
 * not moved). */
static void emit_peek(struct tctx *t, unsigned size)
{
    ld_sp(t);
    emit_load_rdx(t, SEG_SS, size);
}


/* The stack pointer += n. */
static void emit_sp_add(struct tctx *t, unsigned n)
{
    ld_sp(t);
    emit_alu_ri(t->b, JIT_ADD, t->long64 ? 64 : 32, JIT_RDX, n);
    st_greg(t, 8, R_ESP, JIT_RDX);
}

/* A record a PUSH run may hold: PUSH reg (not the stack pointer, whose
 * old value each push would need) or PUSH imm, or POP reg (not the stack
 * pointer), at the stack's width. */
static bool run_push(const struct tctx *t, const struct insn *i)
{
    const op_fn g = optable_rows[i->row].fn;
    return i->fn != op_ud && i->opsize == (t->long64 ? 8u : 4u) &&
           ((g == op_push_Zv && (i->rm & 15) != R_ESP) || g == op_push_Iz || g == op_push_Ibs);
}

static bool run_pop(const struct tctx *t, const struct insn *i)
{
    const op_fn g = optable_rows[i->row].fn;
    return i->fn != op_ud && i->opsize == (t->long64 ? 8u : 4u) && g == op_pop_Zv &&
           (i->rm & 15) != R_ESP;
}

#define STACK_RUN_MAX 32

/* PUSH or POP runs (the register saves and restores of every function
 * prologue, system call and interrupt entry): t->i and the records after
 * it of the same kind, up to the block's last record (which leaves).
 * One probe covers all their stack slots, which lie in one page, and each
 * record is a plain move; a miss runs them all as handler calls, each
 * exact. Returns false (nothing emitted) for a run of one. */
static bool stack_run(struct tctx *t, bool push)
{
    if (!stack_ok(t, t->i->opsize) || t->ac || !tc_slow_room(t, 1) || t->shadow_rec)
        return false;
    unsigned n = 1;
    while (n < STACK_RUN_MAX && n < t->left && (push ? run_push : run_pop)(t, t->i + n))
        n++;
    if (n < 2 || !(push ? run_push : run_pop)(t, t->i))
        return false;
    struct jit_buf *b = t->b;
    const unsigned size = t->long64 ? 8 : 4, w = t->long64 ? 64 : 32;
    ld_sp(t);
    if (push)
        emit_alu_ri(b, JIT_SUB, w, JIT_RDX, size * n);
    struct tslow *sl = emit_probe(t, SEG_SS, size * n, push);
    emit_lea(b, 64, JIT_RAX, jit_mem_idx(JIT_RAX, JIT_RDX, 1, 0));
    for (unsigned k = 0; k < n; k++) {
        const struct insn *i = t->i + k;
        /* Pushes go downwards from the top slot, pops upwards from RSP. */
        const struct jit_mem m = jit_mem(JIT_RAX, (int32_t)(size * (push ? n - 1 - k : k)));
        const unsigned g = i->rm & 15;
        enum jit_reg c;
        if (!push) {
            if ((c = rc_put(t, g)) != JIT_NOREG) {
                emit_mov_rm(b, w, c, m);        /* a 32-bit load clears 63:32 */
            } else {
                emit_mov_rm(b, w, JIT_RCX, m);
                emit_mov_mr(b, 64, greg(g), JIT_RCX);
            }
        } else if (optable_rows[i->row].fn != op_push_Zv) {
            emit_mov_mi(b, w, m, imm_of(i, size));
        } else if ((c = rc_get(t, g)) != JIT_NOREG) {
            emit_mov_mr(b, w, m, c);
        } else {
            emit_mov_rm(b, w, JIT_RCX, greg(g));
            emit_mov_mr(b, w, m, JIT_RCX);
        }
    }
    if (!push)
        emit_alu_ri(b, JIT_ADD, w, JIT_RDX, size * n);
    st_greg(t, 8, R_ESP, JIT_RDX);
    tc_slow_back(t, sl);
    sl->whole = true;
    sl->nrec = (uint8_t)n;
    sl->rec_fn = t->i->fn;
    t->hflags = false;
    for (unsigned k = 0; k < n; k++)
        tc_retire(t);
    t->run_skip = n - 1;
    return true;
}

static bool push_reg(struct tctx *t)
{
    const unsigned size = t->i->opsize;
    if (!stack_ok(t, size))
        return false;
    if (stack_run(t, true))
        return true;
    ld_greg(t, size, JIT_R8, t->i->rm);     /* PUSH ESP pushes the old value */
    emit_push_r8(t, size, false);
    t->hflags = false;
    tc_retire(t);
    return true;
}

static bool pop_reg(struct tctx *t)
{
    const unsigned size = t->i->opsize;
    if (!stack_ok(t, size))
        return false;
    if (stack_run(t, false))
        return true;
    emit_peek(t, size);
    emit_mov_rr(t->b, 64, JIT_R8, JIT_RAX);
    emit_sp_add(t, size);
    st_greg(t, size, t->i->rm, JIT_R8);     /* POP ESP: the loaded value wins */
    t->hflags = false;
    tc_retire(t);
    return true;
}

/* CALL rel: the target is checked, the return address pushed, then EIP
 * moves (call_near in control.c). */
static bool call_rel(struct tctx *t)
{
    const unsigned size = t->i->opsize;
    if (!t->chain || !t->last || !stack_ok(t, size))
        return false;
    tc_emit_branch_target(t, JIT_RAX);
    check_target(t, true);
    emit_lea(t->b, 64, JIT_R8, jit_mem(JIT_RBX, (int32_t)(t->rel + t->i->len)));
    if (size == 4)
        emit_mov_rr(t->b, 32, JIT_R8, JIT_R8);
    emit_push_r8(t, size, true);
    /* The host CALL for the return-address stack: the operand size of
     * the mode, as RET checks (with 66h the pair stays on the jump cache). */
    const bool ras = t->ras && size == (t->long64 ? 8u : 4u);
    if (ras)
        tc_ras_push(t);
    tc_emit_branch_target(t, JIT_RAX);
    if (ras)
        tc_exit_call(t, t->pend + 1);
    else
        tc_exit_rax(t, t->pend + 1, true);
    t->pend = 0;
    return true;
}

/* RET and RET imm16: the popped target is checked before ESP moves; the
 * exit goes back to the run loop (an indirect branch). */
/* CALL r/m and JMP r/m (FF /2, /4) at the end of a block: the target
 * (zero-extended to the operand size, as the handlers take it; a
 * non-canonical one leaves for the interpreter before anything changed),
 * the return address pushed, out through the jump cache. R12 keeps the
 * target across the push, whose slow path calls a helper. */
static bool branch_ind(struct tctx *t, bool call)
{
    const struct insn *i = t->i;
    const unsigned size = i->opsize;
    if (!t->chain || !t->last || (call ? !stack_ok(t, size) : size != (t->long64 ? 8u : 4u)))
        return false;
    if (i->mod == 3)
        ld_greg(t, size, JIT_RAX, i->rm);
    else if (inline_ok(i->seg))
        emit_load(t, size);
    else
        return false;
    check_target(t, false);
    if (call) {
        emit_mov_rr(t->b, 64, JIT_R12, JIT_RAX);
        emit_lea(t->b, 64, JIT_R8, jit_mem(JIT_RBX, (int32_t)(t->rel + i->len)));
        if (size == 4)
            emit_mov_rr(t->b, 32, JIT_R8, JIT_R8);
        emit_push_r8(t, size, true);
        emit_mov_rr(t->b, 64, JIT_RAX, JIT_R12);
        if (t->ras && size == (t->long64 ? 8u : 4u)) {
            tc_ras_push(t);
            tc_exit_call_ind(t, t->pend + 1);
            t->pend = 0;
            return true;
        }
    }
    tc_exit_rax(t, t->pend + 1, false);
    t->pend = 0;
    return true;
}

static bool ret_near(struct tctx *t, unsigned extra)
{
    const unsigned size = t->i->opsize;
    if (!t->chain || !t->last || !stack_ok(t, size))
        return false;
    emit_peek(t, size);
    emit_mov_rr(t->b, 64, JIT_R8, JIT_RAX);
    check_target(t, false);
    emit_sp_add(t, size + extra);
    emit_mov_rr(t->b, 64, JIT_RAX, JIT_R8);
    if (t->ras && size == (t->long64 ? 8u : 4u))
        tc_exit_ret(t, t->pend + 1);
    else
        tc_exit_rax(t, t->pend + 1, false);
    t->pend = 0;
    return true;
}

/* ---- conditions, CF, and the forms that read them ---- */

/* The host flags from the lazy flags record, when a native form of this
 * block wrote it as an ADD, a SUB/CMP or a logic op: the same host
 * instruction on the same operands gives the same flags (the record's
 * values are truncated to its size). False (nothing emitted) otherwise. */
static bool regen_flags(struct tctx *t)
{
    struct jit_buf *b = t->b;
    const unsigned bits = t->lf_size * 8u;
    const bool regs = t->lf_word != 0;     /* else struct cpu has it */
    if (t->lf_op == LF_ADD || t->lf_op == LF_SUB) {
        if (regs) {
            emit_mov_rr(b, 64, JIT_RAX, JIT_R13);
            emit_mov_rr(b, 64, JIT_RCX, JIT_R14);
        } else {
            emit_mov_rm(b, 64, JIT_RAX, M(s.lf.src1));
            emit_mov_rm(b, 64, JIT_RCX, M(s.lf.src2));
        }
        emit_alu_rr(b, t->lf_op == LF_ADD ? JIT_ADD : JIT_CMP, bits, JIT_RAX, JIT_RCX);
    } else if (t->lf_op == LF_LOGIC) {
        if (regs)
            emit_test_rr(b, bits, JIT_RBP, JIT_RBP);
        else {
            emit_mov_rm(b, 64, JIT_RAX, M(s.lf.res));
            emit_test_rr(b, bits, JIT_RAX, JIT_RAX);
        }
    } else {
        return false;
    }
    t->hflags = true;
    return true;
}

/* R12 = CF without a call where the record says it simply: a pending
 * INC/DEC/SZP record keeps it in bit 0 of src2 (R14); a record in struct
 * cpu is looked at run time: SUB (src1 < src2), ADD (res < src1, both
 * truncated to the size), LOGIC (0), INC/DEC/SZP (src2 bit 0), none
 * (EFLAGS.CF). Anything else: false, nothing emitted. */
static bool cf_inline(struct tctx *t)
{
    struct jit_buf *b = t->b;
    const unsigned op = t->lf_word & 0xff;
    if (t->lf_word) {
        if (op != LF_INC && op != LF_DEC && op != LF_SZP)
            return false;
        emit_mov_rr(b, 32, JIT_R12, JIT_R14);
        emit_alu_ri(b, JIT_AND, 32, JIT_R12, 1);
        return true;
    }
    /* Run time: five cases by lf.op, else the call. */
    size_t done[5], next;
    unsigned nd = 0;
    emit_movzx_rm(b, 32, 8, JIT_RAX, M(s.lf.op));
    /* SUB: borrow = src1 < src2; ADD: carry = res < src1 (truncated). */
    static const struct { uint8_t op; int32_t a, c; } below[2] = {
        { LF_SUB, CPU_OFF(s.lf.src1), CPU_OFF(s.lf.src2) },
        { LF_ADD, CPU_OFF(s.lf.res), CPU_OFF(s.lf.src1) },
    };
    for (unsigned k = 0; k < 2; k++) {
        emit_alu_ri(b, JIT_CMP, 32, JIT_RAX, below[k].op);
        next = emit_jcc8_fwd(b, JIT_CC_NE);
        emit_mov_rm(b, 64, JIT_RCX, jit_mem(JIT_R15, below[k].a));
        emit_alu_rm(b, JIT_CMP, 64, JIT_RCX, jit_mem(JIT_R15, below[k].c));
        emit_setcc_r(b, JIT_CC_B, JIT_R12);
        done[nd++] = emit_jmp32_fwd(b);
        emit_patch_rel8(b, next, emit_here(b));
    }
    emit_alu_ri(b, JIT_CMP, 32, JIT_RAX, LF_LOGIC);
    next = emit_jcc8_fwd(b, JIT_CC_NE);
    emit_mov_ri(b, 32, JIT_R12, 0);
    done[nd++] = emit_jmp32_fwd(b);
    emit_patch_rel8(b, next, emit_here(b));
    emit_mov_rm(b, 64, JIT_R12, M(s.rflags));
    emit_alu_ri(b, JIT_CMP, 32, JIT_RAX, LF_NONE);
    done[nd++] = emit_jcc32_fwd(b, JIT_CC_E);
    emit_mov_rm(b, 64, JIT_R12, M(s.lf.src2));
    emit_alu_ri(b, JIT_CMP, 32, JIT_RAX, LF_SZP);
    done[nd++] = emit_jcc32_fwd(b, JIT_CC_E);
    emit_alu_ri(b, JIT_SUB, 32, JIT_RAX, LF_INC);
    emit_alu_ri(b, JIT_CMP, 32, JIT_RAX, 1);
    next = emit_jcc32_fwd(b, JIT_CC_BE);
    /* ADC, SBB, shifts: the call, on a path of its own (the state it
     * stores is reloaded for the code after it). */
    const uint32_t valid = t->rc_valid;
    tc_emit_lf_store(b, t->lf_word);
    tc_emit_rc_store(t, t->rc_dirty);
    emit_mov_rr(b, 64, JIT_RDI, JIT_R15);
    emit_call_abs(b, (const void *)jit_cf);
    emit_mov_rr(b, 32, JIT_R12, JIT_RAX);
    tc_emit_rc_load(t, valid);
    const size_t out = emit_jmp8_fwd(b);
    emit_patch_rel32(b, next, emit_here(b));
    for (unsigned k = 0; k < nd; k++)
        emit_patch_rel32(b, done[k], emit_here(b));
    emit_alu_ri(b, JIT_AND, 32, JIT_R12, 1);
    emit_patch_rel8(b, out, emit_here(b));
    t->hflags = false;
    return true;
}

/* R12 (callee-saved: it survives the helper calls of memory slow paths)
 * = condition cc, 0 or 1; or CF when cc < 0. From the host flags while
 * they are the guest's, else through the lazy flags in C. */
static void cond_to_r12(struct tctx *t, int cc)
{
    struct jit_buf *b = t->b;
    if (t->hflags || regen_flags(t)) {
        emit_setcc_r(b, cc < 0 ? JIT_CC_B : (enum jit_cc)cc, JIT_R12);
        emit_movzx_rr(b, 32, 8, JIT_R12, JIT_R12);
        return;
    }
    if (cc < 0 && cf_inline(t))
        return;
    cond_call(t, cc);
    emit_mov_rr(b, 32, JIT_R12, JIT_RAX);
}

/* RAX = condition cc (cc < 0: CF), 0 or 1, computed in C from the lazy
 * flags: everything stored and dropped first (tc_call_prep). */
static void cond_call(struct tctx *t, int cc)
{
    struct jit_buf *b = t->b;
    tc_call_prep(t);
    emit_mov_rr(b, 64, JIT_RDI, JIT_R15);
    if (cc < 0) {
        emit_call_abs(b, (const void *)jit_cf);
    } else {
        emit_mov_ri(b, 32, JIT_RSI, cc);
        emit_call_abs(b, (const void *)jit_cond);
    }
}

/* SHL/SAL, SHR and SAR (shift_calc's lazy forms; the rotates are not):
 * the host shift and the lazy record op of a group-2 kind, or false. */
static bool shift_kind(unsigned kind, enum jit_shift *host, unsigned *lop)
{
    switch (kind) {
    case SH_SHL: case SH_SAL: *host = JIT_SHL; *lop = LF_SHL; return true;
    case SH_SHR: *host = JIT_SHR; *lop = LF_SHR; return true;
    case SH_SAR: *host = JIT_SAR; *lop = LF_SAR; return true;
    default: return false;
    }
}

/* SHL/SAL, SHR, SAR of a register by a constant count (C0/C1, D0/D1):
 * shift_calc's lazy record (op, the operand, the masked count, the
 * result); a zero count changes no flag. */
static bool shift_imm(struct tctx *t, unsigned size, unsigned count)
{
    const struct insn *i = t->i;
    struct jit_buf *b = t->b;
    enum jit_shift host;
    unsigned lop;
    if (i->mod != 3 || !shift_kind(i->sub & 7, &host, &lop))
        return false;
    count &= size == 8 ? 0x3f : 0x1f;
    ld_greg(t, size, JIT_RAX, i->rm);
    if (count) {
        emit_mov_rr(b, 64, JIT_R13, JIT_RAX);
        emit_mov_ri(b, 32, JIT_R14, count);
        emit_shift_ri(b, host, size * 8, JIT_RAX, (uint8_t)count);
        lf_result(t, lop, size);
        t->hflags = false;      /* OF of counts above 1 is the lazy reader's */
        t->lf_op = 0;
    }
    st_greg(t, size, i->rm, JIT_RAX);
    tc_retire(t);
    return true;
}

/* ROL/ROR of a register by a constant (shift_calc): the other flags
 * materialised, CF and OF set in EFLAGS (OF as the interpreter computes
 * it for every count); a zero count changes no flag. */
static bool rotate_imm(struct tctx *t, unsigned size, unsigned count)
{
    const struct insn *i = t->i;
    struct jit_buf *b = t->b;
    const unsigned kind = i->sub & 7, bits = size * 8, top = bits - 1;
    if (i->mod != 3 || (kind != SH_ROL && kind != SH_ROR))
        return false;
    count &= size == 8 ? 0x3f : 0x1f;
    if (count && t->flags_dead) {
        /* A later record writes all six flags before anything looks:
         * CF and OF need not be kept, nor the rest materialised. */
        ld_greg(t, size, JIT_RAX, i->rm);
        if (count & (size * 8 - 1))
            emit_shift_ri(b, kind == SH_ROL ? JIT_ROL : JIT_ROR, size * 8, JIT_RAX,
                          (uint8_t)(count & (size * 8 - 1)));
        st_greg(t, size, i->rm, JIT_RAX);
        t->hflags = false;
        tc_retire(t);
        return true;
    }
    if (count) {
        tc_call_prep(t);
        emit_mov_rr(b, 64, JIT_RDI, JIT_R15);
        emit_call_abs(b, (const void *)jit_materialize);
    }
    ld_greg(t, size, JIT_RAX, i->rm);
    if (count) {
        const unsigned c = count & top;
        if (c)
            emit_shift_ri(b, kind == SH_ROL ? JIT_ROL : JIT_ROR, bits, JIT_RAX, (uint8_t)c);
        /* RCX = CF, RDX = OF. */
        emit_mov_rr(b, 64, JIT_RCX, JIT_RAX);
        emit_mov_rr(b, 64, JIT_RDX, JIT_RAX);
        if (kind == SH_ROL) {
            emit_alu_ri(b, JIT_AND, 32, JIT_RCX, 1);
            emit_shift_ri(b, JIT_SHR, 64, JIT_RDX, (uint8_t)top);
        } else {
            emit_shift_ri(b, JIT_SHR, 64, JIT_RCX, (uint8_t)top);
            emit_alu_ri(b, JIT_AND, 32, JIT_RCX, 1);
            emit_shift_ri(b, JIT_SHR, 64, JIT_RDX, (uint8_t)(top - 1));
        }
        emit_alu_rr(b, JIT_XOR, 32, JIT_RDX, JIT_RCX);
        emit_alu_ri(b, JIT_AND, 32, JIT_RDX, 1);
        emit_shift_ri(b, JIT_SHL, 32, JIT_RDX, 11);     /* FL_OF */
        emit_alu_rr(b, JIT_OR, 32, JIT_RDX, JIT_RCX);
        emit_mov_rm(b, 64, JIT_R8, M(s.rflags));
        emit_alu_ri(b, JIT_AND, 64, JIT_R8, ~(int64_t)(FL_CF | FL_OF));
        emit_alu_rr(b, JIT_OR, 64, JIT_R8, JIT_RDX);
        emit_mov_mr(b, 64, M(s.rflags), JIT_R8);
        t->hflags = false;
        t->lf_op = 0;
    }
    st_greg(t, size, i->rm, JIT_RAX);
    tc_retire(t);
    return true;
}

/* SHL/SAL, SHR, SAR of a register by CL: the count masked as shift_calc
 * does; zero changes no flag. */
static bool shift_cl(struct tctx *t, unsigned size)
{
    const struct insn *i = t->i;
    struct jit_buf *b = t->b;
    enum jit_shift host;
    unsigned lop;
    if (i->mod != 3 || !shift_kind(i->sub & 7, &host, &lop))
        return false;
    tc_lf_flush(t);             /* a zero count keeps the record before */
    ld_greg(t, 1, JIT_RCX, R_ECX);
    emit_alu_ri(b, JIT_AND, 32, JIT_RCX, size == 8 ? 0x3f : 0x1f);
    ld_greg(t, size, JIT_RAX, i->rm);
    size_t zero = emit_jcc8_fwd(b, JIT_CC_E);
    emit_mov_mr(b, 64, M(s.lf.src1), JIT_RAX);
    emit_mov_mr(b, 64, M(s.lf.src2), JIT_RCX);
    emit_shift_r_cl(b, host, size * 8, JIT_RAX);
    lf_result_mem(t, lop, size);
    emit_patch_rel8(b, zero, emit_here(b));
    st_greg(t, size, i->rm, JIT_RAX);
    t->hflags = false;
    t->lf_op = 0;
    tc_retire(t);
    return true;
}

/* The lazy record muldiv_mul() and shiftd_calc() leave: LF_SZP of RAX
 * (the result), src2 = RCX holding CF and OF (RCX, R13, R14, RBP set). */
static void lf_szp_cf_of(struct tctx *t, unsigned size)
{
    emit_mov_rr(t->b, 64, JIT_R14, JIT_RCX);
    emit_mov_ri(t->b, 32, JIT_R13, 0);
    lf_result(t, LF_SZP, size);
}

/* After a host MUL or IMUL with the product's low part in RAX: the
 * record muldiv_mul() and muldiv_imul() leave, CF = OF = the host's OF (a
 * byte MUL's result is AL alone). */
static void lf_mul_record(struct tctx *t, unsigned size)
{
    struct jit_buf *b = t->b;
    emit_setcc_r(b, JIT_CC_O, JIT_RCX);
    emit_movzx_rr(b, 32, 8, JIT_RCX, JIT_RCX);
    emit_imul_rri(b, 32, JIT_RCX, JIT_RCX, FL_CF | FL_OF);
    if (size == 1)
        emit_movzx_rr(b, 32, 8, JIT_RAX, JIT_RAX);
    lf_szp_cf_of(t, size);
}

/* IMUL r, r/m and IMUL r, r/m, imm: muldiv_imul's record (LF_SZP; CF and
 * OF, set together, from the host's IMUL). */
static bool imul(struct tctx *t, bool with_imm)
{
    const struct insn *i = t->i;
    struct jit_buf *b = t->b;
    const unsigned size = i->opsize;
    if (i->mod == 3)
        ld_greg(t, size, JIT_RAX, i->rm);
    else
        emit_load(t, size);
    if (with_imm) {
        emit_imul_rri(b, size * 8, JIT_RAX, JIT_RAX, imm_of(i, size) & (size == 2 ? 0xffff : -1));
    } else {
        ld_greg(t, size, JIT_RCX, i->reg);
        emit_imul_rr(b, size * 8, JIT_RAX, JIT_RCX);
    }
    if (!t->flags_dead)
        lf_mul_record(t, size);
    st_greg(t, size, i->reg, JIT_RAX);
    t->hflags = false;
    t->lf_op = 0;
    tc_retire(t);
    return true;
}

/* One-operand MUL and IMUL (F6/F7 /4 /5): AL/AX/EAX/RAX times the source
 * into AX, DX:AX, EDX:EAX or RDX:RAX; the host's CF = OF (a high half
 * that is not the low half's extension) as muldiv_mul() records them. */
static bool mul1(struct tctx *t, unsigned size, bool sign)
{
    const struct insn *i = t->i;
    struct jit_buf *b = t->b;
    if (i->mod == 3) {
        ld_greg(t, size, JIT_RCX, i->rm);
    } else {
        emit_load(t, size);
        emit_mov_rr(b, 64, JIT_RCX, JIT_RAX);
    }
    ld_greg(t, size, JIT_RAX, R_EAX);
    emit_unop_r(b, sign ? JIT_IMUL1 : JIT_MUL, size * 8, JIT_RCX);
    if (size == 1) {
        st_greg(t, 2, R_EAX, JIT_RAX);
    } else {
        st_greg(t, size, R_EAX, JIT_RAX);
        st_greg(t, size, R_EDX, JIT_RDX);
    }
    if (!t->flags_dead)
        lf_mul_record(t, size);
    t->hflags = false;
    t->lf_op = 0;
    tc_retire(t);
    return true;
}

/* SHLD/SHRD of a register by an immediate count (0F A4/AC, 32 and 64
 * bits; a zero count, which changes nothing, is left to the handler): the
 * host's result and CF (defined for any count below the size); OF as
 * shiftd_calc() gives it for every count (the SDM defines it for 1 only):
 * SHLD the result's sign ^ CF, SHRD the xor of its top two bits. */
static bool shiftd_imm(struct tctx *t, bool left)
{
    const struct insn *i = t->i;
    struct jit_buf *b = t->b;
    const unsigned size = i->opsize, bits = size * 8;
    const unsigned count = (unsigned)i->imm & (bits - 1);
    if (i->mod != 3 || size < 4 || !count)
        return false;
    ld_greg(t, size, JIT_RAX, i->rm);
    ld_greg(t, size, JIT_RCX, i->reg);
    if (left)
        emit_shld_ri(b, bits, JIT_RAX, JIT_RCX, (uint8_t)count);
    else
        emit_shrd_ri(b, bits, JIT_RAX, JIT_RCX, (uint8_t)count);
    if (!t->flags_dead) {
        emit_setcc_r(b, JIT_CC_B, JIT_RCX);
        emit_movzx_rr(b, 32, 8, JIT_RCX, JIT_RCX);
        emit_mov_rr(b, 64, JIT_RDX, JIT_RAX);
        if (left) {
            emit_shift_ri(b, JIT_SHR, bits, JIT_RDX, (uint8_t)(bits - 1));
            emit_alu_rr(b, JIT_XOR, 32, JIT_RDX, JIT_RCX);
        } else {
            emit_shift_ri(b, JIT_SHR, bits, JIT_RDX, (uint8_t)(bits - 2));
            emit_mov_rr(b, 32, JIT_R13, JIT_RDX);
            emit_shift_ri(b, JIT_SHR, 32, JIT_R13, 1);
            emit_alu_rr(b, JIT_XOR, 32, JIT_RDX, JIT_R13);
            emit_alu_ri(b, JIT_AND, 32, JIT_RDX, 1);
        }
        emit_shift_ri(b, JIT_SHL, 32, JIT_RDX, 11);     /* FL_OF */
        emit_alu_rr(b, JIT_OR, 32, JIT_RCX, JIT_RDX);
        lf_szp_cf_of(t, size);
    }
    st_greg(t, size, i->rm, JIT_RAX);
    t->hflags = false;
    t->lf_op = 0;
    tc_retire(t);
    return true;
}

bool jit_sti_inline(const struct cpu *cpu, const struct insn *i)
{
    return optable_rows[i->row].fn == op_sti && cpu->s.cpl == 0;
}

/* STI at CPL 0 (real mode, or protected and long mode, where CPL 0 is
 * never above IOPL) with an instruction after it in the block: IF set,
 * and the event mask with it. The interrupt shadow is the block's own:
 * nothing looks at events before the next instruction has run, and
 * after it the translator looks (emit_shadow_end, or the check after a
 * handler call). As the last record it stays a handler call that leaves
 * (to the run loop). */
static bool sti(struct tctx *t)
{
    if (t->last || !t->shadow_ok || ((t->key >> 4) & 3))
        return false;
    emit_alu_mi(t->b, JIT_OR, 32, M(s.rflags), FL_IF);
    emit_alu_mi(t->b, JIT_OR, 64, M(jit_attn_mask), (int64_t)ATTN_BYTE(intr));
    t->hflags = false;
    t->in_shadow = true;
    tc_retire(t);
    return true;
}

/* MOVZX, MOVSX, MOVSXD: the source (8, 16 or 32 bits) extended to the
 * operand size. */
static bool movx(struct tctx *t, unsigned ssize, bool sign)
{
    const struct insn *i = t->i;
    struct jit_buf *b = t->b;
    const unsigned dsize = i->opsize;
    const bool high = ssize == 1 && (i->rm & ~3u) == 4;
    const enum jit_reg c = i->mod != 3 || high ? JIT_NOREG : rc_get(t, i->rm);
    if (c != JIT_NOREG) {
        if (ssize == 4)
            emit_movsxd_rr(b, JIT_RAX, c);
        else if (sign)
            emit_movsx_rr(b, 64, ssize * 8, JIT_RAX, c);
        else
            emit_movzx_rr(b, 32, ssize * 8, JIT_RAX, c);
    } else if (i->mod == 3) {
        if (high)
            rc_sync(t, i->rm - 4, false);
        struct jit_mem m = ssize == 1 ? greg8(i->rm) : greg(i->rm);
        if (ssize == 4)
            emit_movsxd_rm(b, JIT_RAX, m);
        else if (sign)
            emit_movsx_rm(b, 64, ssize * 8, JIT_RAX, m);
        else
            emit_movzx_rm(b, 32, ssize * 8, JIT_RAX, m);
    } else {
        emit_load(t, ssize);
        if (ssize == 4)
            emit_movsxd_rr(b, JIT_RAX, JIT_RAX);
        else if (sign)
            emit_movsx_rr(b, 64, ssize * 8, JIT_RAX, JIT_RAX);
    }
    if (dsize == 4)
        emit_mov_rr(b, 32, JIT_RAX, JIT_RAX);
    st_greg(t, dsize, i->reg, JIT_RAX);
    tc_retire(t);
    return true;
}

/* CBW/CWDE/CDQE: rAX from its low half, sign-extended; CWD/CDQ/CQO: rDX
 * = rAX's sign. A 32-bit destination clears the upper half, a 16-bit one
 * keeps it. */
static bool sign_ext_ax(struct tctx *t, bool to_dx)
{
    struct jit_buf *b = t->b;
    const unsigned size = t->i->opsize, from = to_dx ? size : size / 2;
    ld_greg(t, from, JIT_RAX, R_EAX);
    if (from == 4)
        emit_movsxd_rr(b, JIT_RAX, JIT_RAX);
    else if (from < 8)
        emit_movsx_rr(b, 64, from * 8, JIT_RAX, JIT_RAX);
    /* (CQO, not SAR: the host flags may hold the guest's.) */
    enum jit_reg r = JIT_RAX;
    if (to_dx) {
        emit_cqo(b);
        r = JIT_RDX;
    }
    if (size == 4)
        emit_mov_rr(b, 32, r, r);
    st_greg(t, size, to_dx ? R_EDX : R_EAX, r);
    tc_retire(t);
    return true;
}

/* CMOVcc: the source is read whatever the condition, and a 32-bit
 * destination is written (upper half cleared) even when it is false. */
static bool cmov(struct tctx *t)
{
    const struct insn *i = t->i;
    struct jit_buf *b = t->b;
    const unsigned size = i->opsize;
    cond_to_r12(t, i->sub);
    if (i->mod == 3)
        ld_greg(t, size, JIT_R8, i->rm);
    else {
        emit_load(t, size);
        emit_mov_rr(b, 64, JIT_R8, JIT_RAX);
    }
    ld_greg(t, size, JIT_RAX, i->reg);
    emit_test_rr(b, 32, JIT_R12, JIT_R12);
    emit_cmov_rr(b, JIT_CC_NE, size == 2 ? 16 : size * 8, JIT_RAX, JIT_R8);
    st_greg(t, size, i->reg, JIT_RAX);
    t->hflags = false;
    tc_retire(t);
    return true;
}

/* SETcc r/m8. */
static bool setcc(struct tctx *t)
{
    const struct insn *i = t->i;
    cond_to_r12(t, i->sub);
    if (i->mod == 3) {
        emit_mov_rr(t->b, 32, JIT_RAX, JIT_R12);
        st_greg(t, 1, i->rm, JIT_RAX);
        t->hflags = false;
        tc_retire(t);
        return true;
    }
    tc_emit_ea(t, JIT_RDX);
    emit_mov_rr(t->b, 32, JIT_R8, JIT_R12);
    emit_store_r8(t, 1);
    t->hflags = false;
    tc_retire(t);
    return true;
}

/* INC/DEC of a register: LF_INC/LF_DEC with CF before the instruction
 * (which they keep). */
static bool incdec(struct tctx *t, unsigned size, unsigned n, bool dec)
{
    struct jit_buf *b = t->b;
    const bool had = t->hflags;
    cond_to_r12(t, -1);
    if (!had) {
        /* Host CF = the guest's (NEG sets CF for a non-zero operand), so
         * that after the host's INC/DEC, which keeps CF, all the host
         * flags are the guest's. */
        emit_mov_rr(b, 32, JIT_RCX, JIT_R12);
        emit_unop_r(b, JIT_NEG, 32, JIT_RCX);
    }
    ld_greg(t, size, JIT_RAX, n);
    lf_srcs(b, JIT_RAX, JIT_R12);
    emit_unop_r(b, dec ? JIT_DEC : JIT_INC, size * 8, JIT_RAX);
    lf_result(t, dec ? LF_DEC : LF_INC, size);
    st_greg(t, size, n, JIT_RAX);
    tc_retire(t);
    t->hflags = true;
    t->lf_op = 0;
    return true;
}

/* ADC/SBB with a register destination: the host op with CF loaded. */
static bool adc_reg(struct tctx *t, unsigned op, unsigned size, unsigned dst, int src_reg,
                    bool rm_src, int64_t imm)
{
    const struct insn *i = t->i;
    struct jit_buf *b = t->b;
    cond_to_r12(t, -1);
    if (rm_src && i->mod != 3) {
        emit_load(t, size);
        emit_mov_rr(b, 64, JIT_RCX, JIT_RAX);
    } else if (rm_src) {
        ld_greg(t, size, JIT_RCX, i->rm);
    } else if (src_reg >= 0) {
        ld_greg(t, size, JIT_RCX, (unsigned)src_reg);
    } else {
        mov_imm(b, size, JIT_RCX, imm);
    }
    ld_greg(t, size, JIT_RAX, dst);
    lf_srcs(b, JIT_RAX, JIT_RCX);
    emit_bt_ri(b, JIT_BT, 32, JIT_R12, 0);
    emit_alu_rr(b, op == ALU_ADC ? JIT_ADC : JIT_SBB, size * 8, JIT_RAX, JIT_RCX);
    lf_result(t, op == ALU_ADC ? LF_ADC : LF_SBB, size);
    st_greg(t, size, dst, JIT_RAX);
    tc_retire(t);
    t->hflags = true;
    t->lf_op = 0;
    return true;
}

/* PUSH r/m (FF /6): the operand loaded first (through its own probe; an
 * address using the stack pointer takes it before the push, SDM vol. 2B
 * PUSH), then pushed as PUSH reg pushes; a fault in the load comes before
 * any in the push, as in the handler. The kernels' entry code pushes
 * per-CPU values this way (PUSH GS:[...]). */
static bool push_rm(struct tctx *t)
{
    const unsigned size = t->i->opsize;
    if (t->i->mod == 3 || !stack_ok(t, size) || !tc_slow_room(t, 2))
        return false;
    emit_load(t, size);
    emit_mov_rr(t->b, 64, JIT_R8, JIT_RAX);
    emit_push_r8(t, size, false);
    t->hflags = false;
    tc_retire(t);
    return true;
}

/* PUSH imm (68, 6A): the immediate at the stack's width. */
static bool push_imm(struct tctx *t)
{
    const unsigned size = t->i->opsize;
    if (!stack_ok(t, size))
        return false;
    if (stack_run(t, true))
        return true;
    mov_imm(t->b, size, JIT_R8, imm_of(t->i, size));
    emit_push_r8(t, size, false);
    t->hflags = false;
    tc_retire(t);
    return true;
}

/* LEAVE (op_leave): EBP's slot read first, then ESP = EBP + size (the
 * upper half of RSP kept outside 64-bit code, as the handler does), EBP =
 * the value. */
static bool leave(struct tctx *t)
{
    struct jit_buf *b = t->b;
    const unsigned size = t->i->opsize;
    if (!stack_ok(t, size))
        return false;
    const unsigned w = t->long64 ? 64 : 32;
    ld_greg(t, w / 8, JIT_RDX, R_EBP);
    emit_load_rdx(t, SEG_SS, size);
    emit_mov_rr(b, 64, JIT_R8, JIT_RAX);
    ld_greg(t, w / 8, JIT_RDX, R_EBP);
    emit_alu_ri(b, JIT_ADD, w, JIT_RDX, size);
    if (!t->long64) {
        ld_greg(t, 8, JIT_RCX, R_ESP);
        emit_shift_ri(b, JIT_SHR, 64, JIT_RCX, 32);
        emit_shift_ri(b, JIT_SHL, 64, JIT_RCX, 32);
        emit_alu_rr(b, JIT_OR, 64, JIT_RDX, JIT_RCX);
    }
    st_greg(t, 8, R_ESP, JIT_RDX);
    st_greg(t, size, R_EBP, JIT_R8);
    t->hflags = false;
    tc_retire(t);
    return true;
}

/* NOT and NEG of a register (alu_unary: NOT records no flags, NEG a SUB
 * from 0). */
static bool notneg(struct tctx *t, unsigned size, bool neg)
{
    struct jit_buf *b = t->b;
    const struct insn *i = t->i;
    if (i->mod != 3)
        return false;
    ld_greg(t, size, JIT_RCX, i->rm);
    if (!neg) {
        emit_mov_rr(b, 64, JIT_RAX, JIT_RCX);
        emit_unop_r(b, JIT_NOT, size == 8 ? 64 : 32, JIT_RAX);
        st_greg(t, size, i->rm, JIT_RAX);
        tc_retire(t);
        return true;
    }
    emit_mov_ri(b, 32, JIT_RAX, 0);
    lf_srcs(b, JIT_RAX, JIT_RCX);
    emit_alu_rr(b, JIT_SUB, size * 8, JIT_RAX, JIT_RCX);
    lf_result(t, LF_SUB, size);
    st_greg(t, size, i->rm, JIT_RAX);
    tc_retire(t);
    t->hflags = true;
    t->lf_op = LF_SUB;
    t->lf_size = (uint8_t)size;
    return true;
}

/* XCHG of two registers (87 mod 3, 90+r): the second write wins when
 * they are the same register, as in the handler. */
static bool xchg_reg(struct tctx *t, unsigned size, unsigned a, unsigned c)
{
    ld_greg(t, size, JIT_RAX, a);
    ld_greg(t, size, JIT_RCX, c);
    st_greg(t, size, a, JIT_RCX);
    st_greg(t, size, c, JIT_RAX);
    tc_retire(t);
    return true;
}

/* MOV AL/eAX <-> moffs (A0-A3): the offset is the address-size wide
 * displacement (64-bit: the whole imm), the segment DS unless overridden. */
static bool mov_moffs(struct tctx *t, unsigned size, bool store)
{
    struct jit_buf *b = t->b;
    struct insn *i = (struct insn *)t->i;      /* the translator's own copy */
    const uint64_t off = i->adsize == 8 ? i->imm
                       : i->adsize == 2 ? (uint32_t)(i->disp & 0xffff) : (uint32_t)i->disp;
    i->seg = (i->pfx & PFX_SEG) ? i->seg : SEG_DS;
    emit_mov_ri(b, 64, JIT_RDX, (int64_t)off);
    if (store) {
        ld_greg(t, size, JIT_R8, R_EAX);
        emit_store_r8(t, size);
    } else {
        emit_load_rdx(t, i->seg, size);
        st_greg(t, size, R_EAX, JIT_RAX);
    }
    t->hflags = false;
    tc_retire(t);
    return true;
}

/* A native form that writes all six arithmetic flags from register
 * operands (its record replaces whatever came before). */
/* A group-2 shift or rotate by a constant (C0/C1, D0/D1): its operand
 * size and its count (the imm8, or 1), not yet masked. */
static bool shift_const(const struct insn *i, unsigned *size, unsigned *count)
{
    const op_fn g = optable_rows[i->row].fn;
    if (g != op_shift_Ev_Ib && g != op_shift_Ev_1 && g != op_shift_Eb_Ib && g != op_shift_Eb_1)
        return false;
    *size = g == op_shift_Ev_Ib || g == op_shift_Ev_1 ? i->opsize : 1;
    *count = g == op_shift_Ev_Ib || g == op_shift_Eb_Ib ? (unsigned)i->imm & 0xff : 1;
    return true;
}

static bool flags_writer(const struct insn *i)
{
    const op_fn g = optable_rows[i->row].fn;
    if (i->fn == op_ud || (i->pfx & PFX_LOCK))
        return false;
    if (i->mod != 3 && g != op_alu_eAX_Iz && g != op_alu_AL_Ib && g != op_test_eAX_Iz &&
        g != op_test_AL_Ib)
        return false;
    if (g == op_alu_Ev_Gv || g == op_alu_Eb_Gb || g == op_alu_Gv_Ev || g == op_alu_Gb_Eb ||
        g == op_grp1_Ev_Iz || g == op_grp1_Ev_Ibs || g == op_grp1_Eb_Ib || g == op_alu_eAX_Iz ||
        g == op_alu_AL_Ib)
        return i->sub != ALU_ADC && i->sub != ALU_SBB;
    unsigned size, count;
    if (shift_const(i, &size, &count)) {
        /* shift_imm's forms with a count that is not 0 once masked. */
        const unsigned kind = i->sub & 7;
        return (kind == SH_SHL || kind == SH_SAL || kind == SH_SHR || kind == SH_SAR) &&
               (count & (size == 8 ? 0x3f : 0x1f));
    }
    if (g == op_shld_Ev_Gv_Ib || g == op_shrd_Ev_Gv_Ib)     /* shiftd_imm's forms */
        return i->opsize >= 4 && ((unsigned)i->imm & (i->opsize * 8 - 1));
    return g == op_test_Ev_Gv || g == op_test_Eb_Gb || g == op_test_Ev_Iz || g == op_test_Eb_Ib ||
           g == op_test_eAX_Iz || g == op_test_AL_Ib || g == op_imul_Gv_Ev ||
           g == op_imul_Gv_Ev_Iz || g == op_imul_Gv_Ev_Ibs || g == op_mul_Ev || g == op_imul_Ev ||
           g == op_mul_Eb || g == op_imul_Eb;
}

/* A native form that only moves registers: no flags read or written, no
 * memory, no call, no exit. */
static bool flags_transparent(const struct insn *i)
{
    const op_fn g = optable_rows[i->row].fn;
    if (i->fn == op_ud || (i->pfx & PFX_LOCK))
        return false;
    if (g == op_mov_Zv_Iv || g == op_mov_Zb_Ib || g == op_nop || (g == op_lea_Gv_M && i->mod != 3))
        return true;
    return i->mod == 3 && (g == op_mov_Ev_Gv || g == op_mov_Gv_Ev || g == op_mov_Eb_Gb ||
                           g == op_mov_Gb_Eb || g == op_movzx_Gv_Eb || g == op_movzx_Gv_Ew ||
                           g == op_movsx_Gv_Eb || g == op_movsx_Gv_Ew);
}

void tc_flags_dead(const struct insn *recs, unsigned n, bool *dead)
{
    /* Backwards: `cover` says a full writer comes before anything that
     * looks, from the record after k on. */
    bool cover = false;
    for (unsigned k = n; k-- > 0;) {
        const struct insn *i = &recs[k];
        dead[k] = cover;
        if (flags_writer(i))
            cover = true;
        else if (!flags_transparent(i))
            cover = false;
    }
}

bool jit_native(struct tctx *t)
{
    const struct insn *i = t->i;
    if (i->fn == op_ud)
        return false;
    /* LOCK: only the read-modify-write forms take it (the decoder made the
     * rest #UD), and with one vCPU their native sequence is as atomic as
     * the handler's. */
    if ((i->pfx & PFX_LOCK) && i->mod == 3)
        return false;
    const op_fn g = optable_rows[i->row].fn;
    const unsigned sz = i->opsize;
    if (g == op_mov_Ev_Gv)
        return mov_to_rm(t, sz, i->reg, 0);
    if (g == op_mov_Eb_Gb)
        return mov_to_rm(t, 1, i->reg, 0);
    if (g == op_mov_Ev_Iz)
        return mov_to_rm(t, sz, -1, imm_of(i, sz));
    if (g == op_mov_Eb_Ib)
        return mov_to_rm(t, 1, -1, imm_of(i, 1));
    if (g == op_mov_Gv_Ev)
        return mov_from_rm(t, sz, i->reg);
    if (g == op_mov_Gb_Eb)
        return mov_from_rm(t, 1, i->reg);
    if (g == op_mov_Zv_Iv) {
        mov_imm(t->b, sz, JIT_RAX, sz == 8 ? (int64_t)i->imm : imm_of(i, sz));
        st_greg(t, sz, i->rm, JIT_RAX);
        tc_retire(t);
        return true;
    }
    if (g == op_mov_Zb_Ib) {
        mov_imm(t->b, 1, JIT_RAX, imm_of(i, 1));
        st_greg(t, 1, i->rm, JIT_RAX);
        tc_retire(t);
        return true;
    }
    if (g == op_lea_Gv_M)
        return lea(t);
    if (g == op_jcc_Jb || g == op_jcc_Jz)
        return branch(t, i->sub);
    if (g == op_jmp_Jb || g == op_jmp_Jz)
        return branch(t, -1);
    if (g == op_call_Jz)
        return call_rel(t);
    if (g == op_ret)
        return ret_near(t, 0);
    if (g == op_call_Ev || g == op_jmp_Ev)
        return branch_ind(t, g == op_call_Ev);
    if (g == op_ret_Iw)
        return ret_near(t, (unsigned)(i->imm & 0xffff));
    if (g == op_push_Zv)
        return push_reg(t);
    if (g == op_push_Ev)
        return push_rm(t);
    unsigned size, count;
    if (shift_const(i, &size, &count)) {
        const unsigned kind = i->sub & 7;
        return kind == SH_ROL || kind == SH_ROR ? rotate_imm(t, size, count)
                                                : shift_imm(t, size, count);
    }
    if (g == op_shift_Ev_CL)
        return shift_cl(t, sz);
    if (g == op_shift_Eb_CL)
        return shift_cl(t, 1);
    if (g == op_imul_Gv_Ev)
        return imul(t, false);
    if (g == op_imul_Gv_Ev_Iz || g == op_imul_Gv_Ev_Ibs)
        return imul(t, true);
    if (g == op_sti)
        return sti(t);
    if (g == op_mul_Ev || g == op_imul_Ev)
        return mul1(t, sz, g == op_imul_Ev);
    if (g == op_mul_Eb || g == op_imul_Eb)
        return mul1(t, 1, g == op_imul_Eb);
    if (g == op_shld_Ev_Gv_Ib || g == op_shrd_Ev_Gv_Ib)
        return shiftd_imm(t, g == op_shld_Ev_Gv_Ib);
    if (g == op_movzx_Gv_Eb || g == op_movsx_Gv_Eb)
        return movx(t, 1, g == op_movsx_Gv_Eb);
    if (g == op_movzx_Gv_Ew || g == op_movsx_Gv_Ew)
        return movx(t, 2, g == op_movsx_Gv_Ew);
    if (g == op_movsxd_Gv_Ed && sz == 8)
        return movx(t, 4, true);
    if (g == op_cmov_Gv_Ev)
        return cmov(t);
    if (g == op_xadd_Ev_Gv || g == op_xadd_Eb_Gb)
        return xadd_rmw(t, g == op_xadd_Eb_Gb ? 1 : sz);
    if (g == op_cmpxchg_Ev_Gv || g == op_cmpxchg_Eb_Gb)
        return cmpxchg_rmw(t, g == op_cmpxchg_Eb_Gb ? 1 : sz);
    if (g == op_cbw || g == op_cwd)
        return sign_ext_ax(t, g == op_cwd);
    if (g == op_setcc_Eb)
        return setcc(t);
    if (g == op_inc_Zv || g == op_dec_Zv)
        return incdec(t, sz, i->rm, g == op_dec_Zv);
    if (g == op_inc_Ev || g == op_dec_Ev)
        return i->mod == 3 ? incdec(t, sz, i->rm, g == op_dec_Ev) : incdec_rmw(t, sz, g == op_dec_Ev);
    if (g == op_inc_Eb || g == op_dec_Eb)
        return i->mod == 3 ? incdec(t, 1, i->rm, g == op_dec_Eb) : incdec_rmw(t, 1, g == op_dec_Eb);
    if (i->sub == ALU_ADC || i->sub == ALU_SBB) {
        if ((g == op_alu_Ev_Gv || g == op_grp1_Ev_Iz || g == op_grp1_Ev_Ibs) && i->mod == 3)
            return adc_reg(t, i->sub, sz, i->rm, g == op_alu_Ev_Gv ? (int)i->reg : -1, false,
                           imm_of(i, sz));
        if (g == op_alu_Gv_Ev)
            return adc_reg(t, i->sub, sz, i->reg, -1, true, 0);
    }
    if (g == op_pop_Zv)
        return pop_reg(t);
    if (g == op_nop || g == op_nop_Ev) {
        tc_retire(t);           /* NOP, PAUSE, the hint NOPs: nothing */
        return true;
    }
    if (g == op_push_Iz || g == op_push_Ibs)
        return push_imm(t);
    if (g == op_leave)
        return leave(t);
    if (g == op_not_Ev || g == op_neg_Ev)
        return notneg(t, sz, g == op_neg_Ev);
    if (g == op_not_Eb || g == op_neg_Eb)
        return notneg(t, 1, g == op_neg_Eb);
    if (g == op_xchg_Ev_Gv && i->mod == 3)
        return xchg_reg(t, sz, i->rm, i->reg);
    if (g == op_xchg_Eb_Gb && i->mod == 3)
        return xchg_reg(t, 1, i->rm, i->reg);
    if (g == op_xchg_Zv_eAX)
        return xchg_reg(t, sz, R_EAX, i->rm);
    if (g == op_mov_eAX_Ov || g == op_mov_AL_Ob)
        return mov_moffs(t, g == op_mov_AL_Ob ? 1 : sz, false);
    if (g == op_mov_Ov_eAX || g == op_mov_Ob_AL)
        return mov_moffs(t, g == op_mov_Ob_AL ? 1 : sz, true);
    if (g == op_alu_Ev_Gv)
        return alu_rm_dst(t, i->sub, sz, i->reg, 0);
    if (g == op_alu_Eb_Gb)
        return alu_rm_dst(t, i->sub, 1, i->reg, 0);
    if (g == op_grp1_Ev_Iz || g == op_grp1_Ev_Ibs)
        return alu_rm_dst(t, i->sub, sz, -1, imm_of(i, sz));
    if (g == op_grp1_Eb_Ib)
        return alu_rm_dst(t, i->sub, 1, -1, imm_of(i, 1));
    if (g == op_alu_Gv_Ev)
        return alu_reg_dst(t, i->sub, sz, i->reg, true, 0);
    if (g == op_alu_Gb_Eb)
        return alu_reg_dst(t, i->sub, 1, i->reg, true, 0);
    if (g == op_alu_eAX_Iz)
        return alu_reg_dst(t, i->sub, sz, R_EAX, false, imm_of(i, sz));
    if (g == op_alu_AL_Ib)
        return alu_reg_dst(t, i->sub, 1, R_EAX, false, imm_of(i, 1));
    if (g == op_test_Ev_Gv)
        return test_emit(t, sz, true, 0, i->reg, 0);
    if (g == op_test_Eb_Gb)
        return test_emit(t, 1, true, 0, i->reg, 0);
    if (g == op_test_Ev_Iz)
        return test_emit(t, sz, true, 0, -1, imm_of(i, sz));
    if (g == op_test_Eb_Ib)
        return test_emit(t, 1, true, 0, -1, imm_of(i, 1));
    if (g == op_test_eAX_Iz)
        return test_emit(t, sz, false, R_EAX, -1, imm_of(i, sz));
    if (g == op_test_AL_Ib)
        return test_emit(t, 1, false, R_EAX, -1, imm_of(i, 1));
    return jit_sse(t) || jit_x87(t);
}
