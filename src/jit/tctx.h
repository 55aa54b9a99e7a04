/* What the translator knows while it emits one block (internal to
 * src/jit/translate.c and native.c).
 *
 * Guest state during a block: registers and the lazy flags record live in
 * struct cpu (R15) all the time. What native forms leave behind and the
 * translator settles before anything that may look at it (a handler call,
 * a helper that may fault, the block's exit):
 *  - icount: `pend` instructions retired natively are not yet counted;
 *  - s.rip: native forms do not move it, so it still names the last
 *    instruction that set it.
 *  - the lazy flags record: the last unconditional native flag writer
 *    leaves its record in R13 (src1), R14 (src2) and RBP (res), with
 *    lf_word saying what it is; a later writer replaces it there for
 *    nothing, and it is stored into struct cpu only where something may
 *    look at it (tc_lf_flush/tc_lf_store: helper and handler calls, slow
 *    paths, exits).
 *  - guest registers: up to JIT_RC_SLOTS of them (tc_rc_choose) live in
 *    caller-saved host registers, loaded at first use (rc_valid) and
 *    stored back where something may look (rc_dirty): before calls (which
 *    also drop them all), on slow paths (which reload them), at exits.
 * A helper that may fault needs s.rip on its instruction, icount exact and
 * insn_rsp = RSP at the instruction's start: tc_before_call() makes it so,
 * and the unwinding then finds the interpreter's state. */
#ifndef RAWBOX_JIT_TCTX_H
#define RAWBOX_JIT_TCTX_H

#include <stdbool.h>
#include <stddef.h>

#include "jit/emit.h"
#include "jit/vcpu.h"

#define CPU_OFF(field) ((int32_t)offsetof(struct cpu, field))
#define M(field) jit_mem(JIT_R15, CPU_OFF(field))

struct tctx {
    struct jit_vcpu *jv;
    struct jit_buf *b;
    const struct insn *i;       /* the record being translated */
    const struct insn *rec;     /* run-time address of its copy */
    unsigned rel;               /* its offset from the block's first byte */
    unsigned pend;              /* retired natively, not yet in icount */
    bool long64;                /* 64-bit code */
    bool last;                  /* the block's last record */
    bool chain;                 /* exits may be chained (JIT_KEY_CHAIN) */
    bool ras;                   /* CALL/RET may use the return-address stack */
    bool call_exit;             /* the next chained exit is a host CALL */
    bool far_rip;               /* the next exit's lookup takes JIT_KEY_FAR from its target */
    uint32_t key;               /* the block's key */
    uint8_t lf_op, lf_size;     /* the lazy flags record's op and size when a
                                 * native form of this block wrote it last
                                 * (LF_NONE: not known here) */
    bool loop;                  /* the last record branches back to the
                                 * block's start: it goes on at loop_head */
    size_t loop_head;           /* code offset after the entry and the loads
                                 * of every cached register (rc_loop) */
    uint32_t rc_loop;           /* the slots the loop head has loaded */
    unsigned ninsns;            /* guest instructions in the block */
    bool no_rc;                 /* RAWBOX_JIT_REGS=0: no register cache */
    bool fcs_done;              /* an x87 form of this block stored FCS */
    unsigned left;              /* records after t->i in the block */
    unsigned run_skip;          /* records after t->i a native form of it
                                 * already emitted (stack_run) */
    bool flags_dead;            /* the record's flags are overwritten by a
                                 * later one before anything can look
                                 * (tc_flags_dead): no lazy record needed */
    int8_t rc_slot[16];         /* guest register -> cache slot, or -1 */
    uint32_t rc_valid, rc_dirty; /* slots loaded / not yet stored back
                                 * (RC_* bits: GPR slots, XMM registers,
                                 * the SSE state) */
    uint16_t lf_word;           /* op | size << 8 of the record pending in
                                 * R13/R14/RBP (0: struct cpu has it) */
    bool hflags;                /* host EFLAGS hold the guest's arithmetic flags
                                 * (the last native ALU op's; nothing since
                                 * changed them) */
    bool flat;                  /* DS/ES/SS need no segment checks (JIT_KEY_FLAT) */
    bool user;                  /* CPL 3: the TLB's user half */
    bool ac;                    /* ... with alignment checks (JIT_KEY_AC) */
    unsigned nslow;             /* memory slow paths to emit after the code */
    struct tslow {
        size_t jumps[5];        /* rel32 fields of the jumps to it */
        unsigned njumps;
        size_t back;            /* where the fast path goes on */
        unsigned pend, rel, len;
        uint8_t seg, size;
        bool store;
        bool seg_off;           /* RDX became the linear address; R9 = the offset */
        uint16_t lf_word;       /* the pending record at the access */
        uint32_t rc_dirty;      /* slots to store before the call */
        uint32_t rc_back;       /* slots valid where the fast path goes on */
        bool leave;             /* after the whole instruction, leave the
                                 * block (the fast path's state assumptions
                                 * did not hold) */
        bool no_exit;           /* a store that needs no early exit (CALL: the block ends) */
        uint8_t sp_sub;         /* PUSH: the stack pointer -= this after the store */
        bool whole;             /* read-modify-write: the miss runs the whole
                                 * instruction as a handler call */
        uint8_t nrec;           /* ... and the nrec - 1 records after it too
                                 * (a PUSH or POP run: stack_run) */
        const struct insn *rec; /* ... this record (run-time address) */
        op_fn rec_fn;           /* ... and its handler */
    } slow[3 * JIT_BLOCK_MAX];
    unsigned nstubs;            /* chainable exits emitted so far */
    struct tstub {
        size_t field;           /* the jump's rel32 field (offset) */
        size_t check;           /* a target in another page: the offset of
                                 * the generation check's imm32
                                 * (emit_chain_exit); else 0 */
        bool indirect;          /* tc_exit_lookup's inline cache */
        uint32_t key;           /* ... the key its lookup passes */
        bool far_rip;           /* ... with JIT_KEY_FAR from the target */
    } stubs[4 * JIT_BLOCK_MAX];
    unsigned page_off;          /* the block's first byte in its page */
    bool shadow_ok;             /* the next record may be an STI's shadow (sti()) */
    bool in_shadow;             /* the record just emitted was a native STI */
    bool shadow_rec;            /* this record is its shadow: one record alone */
};

#define JIT_RC_SLOTS 4

/* Bits of rc_valid/rc_dirty beyond the GPR slots (bits 0..3):
 *  - RC_XMM(n): guest XMM n lives in host XMM n (all are caller-saved);
 *  - RC_SSE: CR0.EM/TS and CR4.OSFXSR allow SSE (checked once; only a
 *    handler call can change them, and calls drop every bit);
 *  - RC_MX: the host MXCSR holds the guest's, whose six exception masks
 *    are all set (so no SSE operation can fault); always dirty while
 *    valid: storing it puts the guest's flags back and the host's MXCSR
 *    (cpu->jit_host_mxcsr) into the host register. */
#define RC_XMM(n) (1u << (8 + (n)))
#define RC_XMM_ALL 0x00ffff00u
#define RC_SSE (1u << 24)
#define RC_MX (1u << 25)
/* RC_X87: the host FPU holds the guest's x87 state (src/jit/x87.c), with
 * every exception masked, none pending, CR0.EM/TS clear; always dirty
 * while valid. Its load and store keep RAX, RCX and RDX but not the host
 * flags, so tc_sync_flush leaves it to the exits. */
#define RC_X87 (1u << 26)
#define RC_STATE (RC_SSE | RC_MX | RC_X87)

/* The register cache (native.c): choose the slots for a block's records;
 * store the slots in mask `dirty` / load those in `valid` (host flags
 * kept). */
void tc_rc_choose(struct tctx *t, const struct insn *recs, unsigned n);
void tc_emit_rc_store(struct tctx *t, unsigned dirty);
void tc_emit_rc_load(struct tctx *t, unsigned valid);
/* Before an inline call: the pending record and the dirty registers
 * stored, every slot dropped (the call clobbers them). */
void tc_call_prep(struct tctx *t);
/* On a path that leaves: the same stores, the state kept for the code
 * after it. */
void tc_sync_store(struct tctx *t);
/* The same on the straight path: nothing pending or dirty after it (the
 * cached registers stay loaded). */
void tc_sync_flush(struct tctx *t);

/* The pending lazy record (lf_word) into struct cpu: tc_lf_store on a
 * path that leaves (the code after it still has the record pending),
 * tc_lf_flush on the straight path (it is no longer pending);
 * tc_emit_lf_store for a given word (0: nothing). Host flags kept. */
void tc_lf_store(struct tctx *t);
void tc_lf_flush(struct tctx *t);
void tc_emit_lf_store(struct jit_buf *b, unsigned word);
/* Before a call that may fault or look at the state: icount exact, s.rip
 * on this instruction, insn_rsp = RSP. */
void tc_before_call(struct tctx *t);
/* The same from given values: icount += pend, s.rip = the EIP at offset
 * rel of the block (rel < 0: s.rip is right already), insn_rsp = RSP. */
void tc_emit_settle(struct jit_buf *b, unsigned pend, int rel);
/* Call a record's handler under the contract of src/cpu/exec.h (the
 * caller has settled s.rip and insn_rsp): next_rip, cur, the call. */
void tc_emit_handler_call(struct jit_buf *b, unsigned rel, unsigned len,
                          const struct insn *rec, op_fn fn);
/* r = the target of the direct near branch t->i, wrapped to its operand
 * size as near_target() in control.c does. */
void tc_emit_branch_target(struct tctx *t, enum jit_reg r);
/* After a native store: leave (with this instruction retired) when an
 * attention bit in the mask is set, e.g. the store hit translated code. */
void tc_check_attn(struct tctx *t);
/* Leave after this instruction: icount += pend (this one included by
 * the caller), s.rip = the next instruction (tc_exit_next) or RAX
 * (tc_exit_rax); chained: towards a block the run loop may link; else
 * tc_exit_rax goes through the jump cache. */
void tc_exit_next(struct tctx *t, unsigned pend, bool chained);
void tc_exit_rax(struct tctx *t, unsigned pend, bool chained);
/* The return-address stack (translate.c). A direct guest CALL in
 * chained code pushes a host frame (tc_ras_push: JIT_RAS_FRAME bytes with
 * the host CALL's return address: [RSP+8] the guest's return address,
 * [RSP+16] both tlb.gen words, [RSP+24] the key without JIT_KEY_FAR) and
 * enters its target with a host CALL (tc_exit_call); what follows that
 * CALL is a chained exit to the return address. A guest RET
 * (tc_exit_ret) whose target, generations and key match the top frame
 * returns with the host's RET, which the host predicts; anything else
 * takes the inline cache and the jump cache as before. The run loop's
 * enter trampoline lays a frame no RET matches; leave drops every frame,
 * so none outlives a return to the run loop (a code write, a flush, an
 * event); a CALL that would go below jit_ras_min starts over at the base. */
#define JIT_RAS_FRAME 32
#define JIT_RAS_BYTES 65536
void tc_ras_push(struct tctx *t);
/* tc_exit_rax for a direct CALL after tc_ras_push: chained, then the
 * exit to the return address. */
void tc_exit_call(struct tctx *t, unsigned pend);
/* tc_exit_rax(t, pend, false) for CALL r/m after tc_ras_push. */
void tc_exit_call_ind(struct tctx *t, unsigned pend);
/* tc_exit_rax for RET: the return-address stack, then the lookup. */
void tc_exit_ret(struct tctx *t, unsigned pend);
/* Leave towards s.rip = RAX through the jump cache (the run loop when
 * the block's key does not allow it). */
void tc_exit_lookup(struct tctx *t);
/* Leave before this instruction (the interpreter runs it). */
void tc_exit_before(struct tctx *t);
/* A native instruction finished: count it; the last one of the block
 * leaves with s.rip on the fall-through. */
void tc_retire(struct tctx *t);

/* The interpreter's TLB for the linear address in RDX (native.c): RAX =
 * the entry's offset from R15, its tag for access kind acc compared with
 * the page of the access's last byte (of `size`) | 1; returns the rel32
 * field of the jump taken on a miss or a page crossing (RCX and the host
 * flags clobbered). tc_emit_tlb_addend then gives RAX = the host addend. */
size_t tc_emit_tlb_tag(struct tctx *t, int acc, unsigned size);
void tc_emit_tlb_addend(struct tctx *t);

/* Emit the slow paths of the block's inline memory accesses (native.c),
 * after its code. */
void tc_emit_slow_paths(struct tctx *t);

/* For native forms outside native.c: RDX = the effective address of
 * t->i's memory operand (RCX clobbered); the inline probe of `size` bytes
 * through t->i->seg, the miss running the whole instruction as its
 * handler (RAX = the host addend on a hit; NULL, nothing emitted, when
 * the block has no slow path left); tc_slow_back after the access. A
 * slow path of its own that runs the whole instruction and leaves the
 * block after it (NULL when none is left); the caller adds its jumps. */
void tc_emit_ea(struct tctx *t, enum jit_reg dst);
/* Host register h = guest register n of `size` bytes zero-extended, and
 * back (a 32-bit write clears bits 63:32), through the register cache. */
void tc_ld_greg(struct tctx *t, unsigned size, enum jit_reg h, unsigned n);
void tc_st_greg(struct tctx *t, unsigned size, unsigned n, enum jit_reg h);
struct tslow *tc_probe_whole(struct tctx *t, unsigned size, bool store);
void tc_slow_back(struct tctx *t, struct tslow *sl);
struct tslow *tc_slow_leave(struct tctx *t);
bool tc_slow_room(const struct tctx *t, unsigned n);

/* sse.c, x87.c: the state bits a record would need as a native form (0:
 * it has none here), and the form itself (false, nothing emitted: call
 * the handler). tc_emit_state_check: the tests behind RC_SSE, RC_MX and
 * RC_X87 (in `want`), returning the rel32 fields of the jumps taken when
 * they fail (up to 5 in fields[]). tc_emit_x87_load/store: RC_X87's. */
uint32_t tc_sse_plan(const struct tctx *t, const struct insn *i);
bool jit_sse(struct tctx *t);
unsigned tc_emit_state_check(struct tctx *t, uint32_t want, size_t fields[5]);
/* At a block's first instruction needing state `want` (RC_SSE, RC_MX,
 * RC_X87): the check, with a slow path that runs the instruction as its
 * handler and leaves, then the state loaded as the register cache loads
 * it (the caller has made room for one slow path). */
void tc_state_enter(struct tctx *t, uint32_t want);
uint32_t tc_x87_plan(const struct tctx *t, const struct insn *i);
bool jit_x87(struct tctx *t);
/* After a host instruction that set ZF PF CF and cleared OF SF AF as
 * the guest's does (COMIS*, FCOMI): those are the guest's materialised
 * EFLAGS, and the host flags hold them (RAX, RCX, RDX clobbered). */
void tc_emit_flags_from_host(struct tctx *t);
void tc_emit_x87_load(struct tctx *t);
void tc_emit_x87_store(struct tctx *t);
/* The routines those call, emitted with the trampolines. */
void jit_emit_x87_routines(struct jit_vcpu *jv, struct jit_buf *b);

/* native.c: which records' flags are dead (dead[k] for recs[0..n-1]): a
 * later record writes all six arithmetic flags natively, with only
 * register moves between them (nothing that reads flags, touches memory,
 * calls out or leaves). */
void tc_flags_dead(const struct insn *recs, unsigned n, bool *dead);

/* native.c: an STI that gather() need not end the block at: at CPL 0,
 * native (sti()) unless it ends up the block's last record. */
bool jit_sti_inline(const struct cpu *cpu, const struct insn *i);

/* native.c: emit record t->i natively; false (nothing emitted) when it has
 * no native form, and the translator calls its handler. */
bool jit_native(struct tctx *t);

#endif
