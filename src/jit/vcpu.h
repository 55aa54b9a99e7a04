/* The recompiler's per-vCPU state and what its files share (internal to
 * src/jit/): the block table (blocks.c), the translator (translate.c) and
 * the run loop (engine.c). */
#ifndef RAWBOX_JIT_VCPU_H
#define RAWBOX_JIT_VCPU_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/cpu.h"
#include "cpu/dcache.h"
#include "cpu/mmu.h"
#include "jit/cache.h"

#define JIT_BLOCK_MAX 64        /* guest instructions in a block */
#define JIT_BUCKET_BITS 16
#define JIT_BUCKETS (1u << JIT_BUCKET_BITS) /* block table: (physical address, key) */
#define JIT_PAGE_BUCKETS 4096   /* blocks by physical page */
#define JIT_JC_SIZE 16384       /* jump cache: linear address -> block */
#define JIT_THRESHOLD_DEFAULT 50

/* A chained jump into a block: its rel32 field (exec address) and where it
 * pointed before (the exit's stub back to the run loop), restored when the
 * block goes away. */
struct jit_link {
    void *field;
    const void *miss;
    struct jit_link *next;
};

/* One block start seen by the dispatcher: a counter while cold, then the
 * translated code. Keyed by the guest-physical address of its first byte
 * and the mode key (jit_mode_key). */
struct jit_block {
    uint64_t paddr;
    uint32_t key;
    uint32_t hits;              /* dispatcher visits while untranslated */
    struct jit_block *hnext;    /* hash chain */
    struct jit_block *pnext;    /* same physical page (struct jit_page) */
    const void *code;           /* exec address in the cache, NULL while cold */
    struct jit_link *links;     /* chained jumps into this block */
    uint16_t ninsns;            /* guest instructions translated */
    uint16_t nbytes;            /* guest bytes they span */
    uint16_t shadow_entry;      /* code offset past the entry's event check:
                                 * where an interrupt shadow enters */
};

/* The blocks (and counters) of one physical page. */
struct jit_page {
    uint64_t paddr;             /* page address */
    struct jit_page *next;      /* hash chain */
    struct jit_page *anext;     /* every page (jit_vcpu.all_pages) */
    struct jit_block *blocks;
    unsigned ncode;             /* blocks with code */
    uint64_t chunks;            /* bit k: some block with code covers bytes
                                 * of the page's 64-byte chunk k (writes
                                 * elsewhere in the page drop nothing) */
};

/* A jump-cache entry: translated code reads it too (the lookup stub of
 * translate.c), hence the fixed layout. */
struct jit_jc {
    uint64_t lin;
    uint32_t kg;                /* the mode key | JIT_JC_GLOB */
    uint32_t dgen;              /* cpu->tlb.gen[kg >> 31]: TLB flushes, and
                                 * blocks going away (jit_forget_jc) */
    const void *code;           /* where the lookup stub jumps: b's code, or
                                 * the stub's miss path while b is cold */
    struct jit_block *b;
};
_Static_assert(sizeof(struct jit_jc) == 32, "the lookup stub scales jump-cache indexes by 32");
/* kg: lin's TLB entry is global (MOV CR3 keeps it; tlb.gen[1] covers it). */
#define JIT_JC_GLOB 0x80000000u

#define JIT_JC_INDEX(lin) (((lin) ^ ((lin) >> 12) ^ ((lin) >> 24)) & (JIT_JC_SIZE - 1))

/* Why the run loop went to the interpreter (struct jit_stats). */
enum jit_why {
    WHY_EVENTS,     /* an event, the interrupt shadow, debug state, a trace */
    WHY_FETCH,      /* code outside RAM and ROM */
    WHY_NOMEM,      /* no memory for a block record */
    WHY_COLD,       /* the block is not translated (yet) */
    WHY_SLICE,      /* the block does not fit in what is left of the run */
    WHY_CSLIMIT,    /* the block reaches past the CS limit */
    WHY_LEFT,       /* a block left an instruction to the interpreter */
    WHY_COUNT
};

struct jit_stats {
    uint64_t blocks;            /* translated */
    uint64_t insns;             /* guest instructions in them */
    uint64_t native;            /* ... translated to native code (the rest call handlers) */
    uint64_t host_bytes;        /* host code bytes for them (records excluded) */
    uint64_t translate_ns;
    uint64_t runs;              /* block executions */
    uint64_t run_insns;         /* guest instructions retired in blocks */
    uint64_t jc_hits, jc_misses;
    uint64_t probes;            /* indirect exits whose inline cache missed */
    uint64_t probe_misses;      /* ... and then the jump-cache probe too */
    uint64_t interp_runs;       /* interpreter stretches */
    uint64_t interp_insns;
    uint64_t invalidated;       /* blocks dropped by writes */
    uint64_t flushes;           /* whole-cache flushes */
    uint64_t failed;            /* translations that gave up */
    uint64_t chained;           /* exits patched to jump straight to their block */
    uint64_t exits_chainable;
    uint64_t interp_why[WHY_COUNT];     /* why the run loop interpreted */   /* returns to the run loop through an unpatched exit */
};

struct jit_vcpu {
    struct cpu *cpu;
    struct jit_cache cache;
    /* The trampolines, re-emitted after every flush: enter(cpu, code)
     * saves the host's callee-saved registers and jumps to a block; blocks
     * leave by jumping to `leave`, which returns from enter. */
    void (*enter)(struct cpu *cpu, const void *code);
    const void *leave;
    /* Jump-cache lookup from translated code: RAX = the guest RIP (s.rip
     * already set, icount exact), ECX = the key, R8 = the field of the
     * inline cache that missed or 0; jumps to the block or to lmiss (the
     * run loop looks it up, fills the entry and links the field). */
    const void *lookup, *lmiss;
    /* The x87 state into and out of the host FPU (src/jit/x87.c): called
     * from blocks, RAX/RCX/RDX kept, host flags not. */
    const void *x87_load, *x87_store;
    unsigned side_exits;        /* conditional jumps a block goes on past
                                 * (RAWBOX_JIT_SIDE_EXITS, default 1) */
    struct jit_block *bucket[JIT_BUCKETS];
    struct jit_page *pages[JIT_PAGE_BUCKETS];
    struct jit_page *all_pages; /* so that a flush costs what is there, not the tables */
    struct jit_jc jc[JIT_JC_SIZE];
    uint32_t threshold;         /* visits before a block is translated */
    uint64_t flush_every;       /* RAWBOX_JIT_FLUSH: flush after this many blocks (tests) */
    uint64_t events;            /* events delivered in this run call */
    uint64_t nblocks;           /* block records (counters included) */
    uint64_t block_i0;          /* icount when the running block was entered */
    bool in_block;              /* a block is running (a fault unwinds from it) */
    uint64_t flush_gen;         /* cache generation when the last block ran */
    FILE *perfmap;              /* RAWBOX_JIT_PERFMAP: block names for perf */
    bool dump;                  /* RAWBOX_JIT_PERFMAP=2: each block's host code
                                 * and guest bytes in /tmp/perf-PID.map.d/ */
    uint64_t t_attach;          /* host ns at jit_attach: the run's length in --stats */
    /* Per opcode-table row: records translated, natively, and the host
     * bytes and instructions their code took in line (slow paths, which
     * go after the block, not counted). */
    struct jit_form { uint32_t n, native; uint64_t bytes, hinsns, calls; } *forms;
    bool forms_all;             /* RAWBOX_JIT_FORMS=all: --stats lists every form */
    bool count_calls;           /* RAWBOX_JIT_FORMS=calls: blocks count their
                                 * handler calls as they run (forms[].calls) */
    bool no_native;             /* RAWBOX_JIT_NATIVE=0: handler calls only */
    bool no_ras;                /* RAWBOX_JIT_RAS=0: RET never returns through
                                 * the host's return-address stack */
    bool no_rc;                 /* RAWBOX_JIT_REGS=0: guest registers stay in
                                 * struct cpu (no register cache) */
    bool flush_pending;         /* RAWBOX_JIT_FLUSH: flush at the next boundary */
    struct jit_stats st;
};

/* Key bit: no CS limit to check and the linear address is RIP (64-bit
 * code, or CS with base 0 and a 4 GiB limit), so exits may jump straight
 * to the next block (chaining) and look blocks up by RIP. */
#define JIT_KEY_CHAIN 0x100u

/* The mode bits a block was translated under: the code size the records
 * were decoded for, the CPL, and whether the CS limit can matter. None
 * of them can change inside chained code: whatever loads CS or a segment,
 * or changes the mode or CPL, ends its block and returns to the run loop
 * (CL_SERIAL, CL_MODE, exceptions). */
/* Key bit: DS, ES and SS are flat (base 0, 4 GiB limit, present writable
 * expand-up data: the interpreter's own fast-path test, mmu.h; SS with a
 * 32-bit stack pointer, B set), so accesses
 * through them need no segment check and their linear address is the
 * offset; always set in 64-bit code, where only FS and GS have bases. */
#define JIT_KEY_FLAT 0x200u

/* Key bit: CPL 3 with alignment checking on (CR0.AM and EFLAGS.AC), so
 * misaligned accesses must take the slow path. Only POPF, IRET, SYSRET,
 * SYSEXIT (CL_MODE), events and kernel code change either. */
#define JIT_KEY_AC 0x400u

/* Key bit: 64-bit code on a page more than 4 GiB inside the canonical
 * range (RIP + 2^47 in [2^32, 2^48 - 2^32), a property of the page), so
 * the direct branches of a block there (the next RIP + rel32, within 2^31
 * of the page) cannot leave it: their targets need no canonical check.
 * Chains keep to it: one within the page stays on it, one to another
 * page is checked against its target's address (emit_chain_exit). */
#define JIT_KEY_FAR 0x800u
/* RIP + JIT_FAR_BIAS < JIT_FAR_SPAN: the page is that far inside. */
#define JIT_FAR_BIAS ((1ull << 47) - (1ull << 32))
#define JIT_FAR_SPAN ((1ull << 48) - (2ull << 32))

/* The byte of cpu->attn that `field` is. */
#define ATTN_BYTE(field) \
    ((uint64_t)0xff << 8 * (offsetof(struct cpu, field) - offsetof(struct cpu, attn)))

static inline bool jit_seg_flat(const struct seg *s)
{
    return s->base == 0 && s->limit == 0xffffffffu &&
           (s->attr & MMU_SEG_FAST_MASK) == MMU_SEG_FAST_WANT;
}

static inline uint32_t jit_mode_key(const struct cpu *cpu)
{
    uint32_t k = (uint32_t)cpu->s.code_size | (uint32_t)cpu->s.cpl << 4;
    if (cpu->s.cpl == 3 && (cpu->s.cr0 & CR0_AM) && (cpu->s.rflags & FL_AC))
        k |= JIT_KEY_AC;
    if (cpu->s.code_size == 8) {
        if (cpu->s.rip + JIT_FAR_BIAS < JIT_FAR_SPAN)
            k |= JIT_KEY_FAR;
        return k | JIT_KEY_CHAIN | JIT_KEY_FLAT;
    }
    if (cpu->s.seg[SEG_CS].limit == 0xffffffffu && cpu->s.seg[SEG_CS].base == 0)
        k |= JIT_KEY_CHAIN;
    /* (SS also with B set: the stack forms use ESP, not SP.) */
    if (jit_seg_flat(&cpu->s.seg[SEG_DS]) && jit_seg_flat(&cpu->s.seg[SEG_ES]) &&
        jit_seg_flat(&cpu->s.seg[SEG_SS]) && (cpu->s.seg[SEG_SS].attr & SEGA_DB))
        k |= JIT_KEY_FLAT;
    return k;
}

/* The layout of a checked chainable exit (translate.c emit_chain_exit):
 * MOV RCX, imm64; CMP RAX, RCX; JNE stub; CMP dword [R15 + disp32],
 * imm32; JNE stub; JMP stub. Where the fields lie from the imm32's
 * offset: the imm64 and the first JNE's rel32 before it, the second
 * JNE's and the JMP's (the site) after it. */
#define JIT_CHECK_RIP 24
#define JIT_CHECK_NE1 11
#define JIT_CHECK_NE2 6
#define JIT_CHECK_SITE 11

/* blocks.c */
/* Point the exit jump at `site` straight at block b; a checked exit
 * (its target in another page) gets the target's address `rip`, the
 * generation `gen_off` (the offset in struct cpu of the tlb.gen word that
 * covers the target page) and its value `gen` to compare. */
void jit_block_link(struct jit_vcpu *jv, const void *site, struct jit_block *b, bool checked,
                    uint64_t rip, int32_t gen_off, uint32_t gen);
struct jit_block *jit_block_get(struct jit_vcpu *jv, uint64_t paddr, uint32_t key);
/* Forget every block (the cache is flushed, or the engine goes away). */
void jit_blocks_clear(struct jit_vcpu *jv);
/* Every jump-cache entry stale (blocks went away): the TLB generations
 * they hold move on (which also sends checked exits back once). */
void jit_forget_jc(struct jit_vcpu *jv);
/* physmem code-writer callback (opaque = struct jit_vcpu *). */
void jit_code_write(void *opaque, uint64_t paddr, unsigned len);
/* The block's code went into the cache: track its page for writes. */
void jit_block_has_code(struct jit_vcpu *jv, struct jit_block *b);

/* translate.c */
/* Emit the trampolines into an empty cache; false if it cannot. */
bool jit_emit_trampolines(struct jit_vcpu *jv);
enum jit_tr {
    JIT_TR_OK,      /* b->code is set */
    JIT_TR_NONE,    /* no decoded record at the block's start yet */
    JIT_TR_FULL,    /* the cache is full: flush, then again */
    JIT_TR_ERROR,   /* the emitter refused (a translator bug): interpret */
};
/* Translate the block at b from the decode cache's records of page dp
 * (page: the page's bytes, to tell an instruction that crosses its end
 * from one not decoded yet; NULL if not at hand). */
enum jit_tr jit_translate(struct jit_vcpu *jv, struct jit_block *b, struct dpage *dp,
                          const uint8_t *page);

#endif
