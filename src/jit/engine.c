/* The recompiler's run loop (docs/jit.md, "Tiers"): at each block boundary
 * look the block up by linear address (jump cache) or by physical address
 * (block table, through the interpreter's TLB); run it when it is
 * translated, count the visit and interpret up to the next taken branch
 * when it is not. Everything a block does not handle goes to the
 * interpreter: pending events, the interrupt shadow, single-step, enabled
 * breakpoints, traces, code outside RAM/ROM and TLB misses (which the
 * interpreter's fetch fills). */
#include <inttypes.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jit/helpers.h"
#include "jit/jit.h"
#include "jit/vcpu.h"
#include "cpu/debug.h"
#include "cpu/mmu.h"
#include "cpu/optable.h"
#include "cpu/paging.h"
#include "mem/physmem.h"

#define JIT_RUN_INTERP (-1)
/* Where in struct cpu the TLB generation g is (a checked exit compares it). */
#define CPU_GEN_OFF(g) ((int32_t)(offsetof(struct cpu, tlb.gen) + 4 * (g)))
#define JIT_MAX_BLOCKS (1u << 20)   /* block records before everything is dropped */


static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* What a block stops for: every attention byte, except INTR while IF is
 * clear and NMI while NMIs are blocked (IF and the NMI block change only
 * in instructions that end a block). */
static uint64_t attn_mask(const struct cpu *cpu)
{
    uint64_t m = ~(uint64_t)0;
    if (!(cpu->s.rflags & FL_IF))
        m &= ~ATTN_BYTE(intr);
    if (cpu->nmi_blocked)
        m &= ~ATTN_BYTE(nmi_pending);
    return m;
}

/* Work for the interpreter at this boundary (what its boundary() and the
 * debug paths of run_loop do). */
static bool needs_interp(const struct cpu *cpu, bool shadow)
{
    if (cpu->exit_req || cpu->halted || (cpu->inhibit_irq && !shadow) || cpu->trace)
        return true;
    if (cpu->nmi_pending && !cpu->nmi_blocked)
        return true;
    if (cpu->intr && (cpu->s.rflags & FL_IF))
        return true;
    if ((cpu->s.rflags & (FL_TF | FL_RF)) || (cpu->s.dr[7] & 0xff))
        return true;
    return cpu->inject_db || cpu->pending_db;
}

uint32_t jit_exit_key(struct cpu *cpu)
{
    if (needs_interp(cpu, false))
        return 0;
    cpu->jit_attn_mask = attn_mask(cpu);
    return jit_mode_key(cpu) & ~JIT_KEY_FAR;
}

static void flush_all(struct jit_vcpu *jv)
{
    jit_blocks_clear(jv);
    jit_cache_flush(&jv->cache);
    jv->enter = NULL;
    jv->lookup = NULL;
    jv->lmiss = NULL;
    jv->nblocks = 0;
    jv->st.flushes++;
}

/* A TLB generation wrapped (cpu->gen_wrapped): a jump-cache entry left
 * from 2^32 flushes ago could match again and name code long gone, and a
 * checked exit could take a stale link: the jump cache emptied now (a
 * zero key never matches), the code cache at the run loop's next turn. */
static void gen_wrapped(struct cpu *cpu)
{
    struct jit_vcpu *jv = cpu->jit;
    memset(jv->jc, 0, sizeof jv->jc);
    jv->flush_pending = true;
}

/* Translate the block (paddr, key); returns it with code, or NULL. */
static struct jit_block *translate(struct jit_vcpu *jv, struct jit_block *b, uint64_t paddr,
                                   uint32_t key)
{
    struct cpu *cpu = jv->cpu;
    uint64_t t0 = now_ns();
    const uint64_t pa = paddr & ~(uint64_t)0xfff;
    struct dpage *dp = dcache_page(cpu->dcache, pa, cpu->s.code_size);
    bool writable;
    const uint8_t *page = physmem_page(cpu->mem, pa, &writable);
    if (dp && page) {
        /* A code page from here on, as the interpreter's fetch makes it
         * (mmu_code_page): the translator decodes ahead into it. */
        if (physmem_mark(cpu->mem, pa, PHYSMEM_MARK_CODE))
            tlb_drop_write_phys(cpu, pa);
        dp->marked = 1;
    }
    enum jit_tr r = JIT_TR_NONE;
    for (int attempt = 0; dp && attempt < 2; attempt++) {
        if (!jv->enter && !jit_emit_trampolines(jv)) {
            r = JIT_TR_ERROR;
            break;
        }
        r = jit_translate(jv, b, dp, page);
        if (r != JIT_TR_FULL)
            break;
        flush_all(jv);      /* b went with it */
        if (!(b = jit_block_get(jv, paddr, key)))
            break;
    }
    jv->st.translate_ns += now_ns() - t0;
    if (r != JIT_TR_OK) {
        if (r == JIT_TR_ERROR || r == JIT_TR_FULL) {
            jv->st.failed++;
            if (b)
                b->hits = 1;    /* not again before another threshold of visits */
        }
        return NULL;
    }
    jit_block_has_code(jv, b);
    if (jv->flush_every && jv->st.blocks % jv->flush_every == 0)
        jv->flush_pending = true;
    return b;
}

/* Why the run loop went to the interpreter (--stats). */
static int interp_why(struct jit_vcpu *jv, unsigned why)
{
    jv->st.interp_why[why]++;
    return JIT_RUN_INTERP;
}

/* Run translated blocks while there are some for where the guest is;
 * returns an exit, or JIT_RUN_INTERP when the interpreter must go on. */
static __attribute__((noinline)) int block_loop(struct cpu *cpu, struct jit_vcpu *jv, uint64_t end)
{
    const void *site = NULL;    /* the exit the last block left through */
    bool checked = false;       /* ... to another page (emit_chain_exit) */
    cpu->jit_end = end;
    cpu->jit_exit_site = NULL;
    cpu->jit_exit_checked = 0;
    while (cpu->icount < end) {
        /* The shadow of STI / MOV SS with nothing else to look at here
         * (the STI of every system call of an i386 or amd64 kernel): the
         * next instruction runs before any event is looked at, as in
         * run_loop, from the block's entry past its event check. */
        const bool shadow = cpu->inhibit_irq && !(cpu->attn & ~ATTN_BYTE(inhibit_irq));
        if (needs_interp(cpu, shadow))
            return interp_why(jv, WHY_EVENTS);
        if (jv->flush_pending) {
            jv->flush_pending = false;
            flush_all(jv);
        }
        const uint64_t rip = cpu->s.rip;
        const uint64_t lin = lin_wrap(cpu, cpu->s.seg[SEG_CS].base + rip);
        const uint32_t key = jit_mode_key(cpu);
        struct jit_jc *jc = &jv->jc[JIT_JC_INDEX(lin)];
        struct jit_block *b;
        if (jc->lin == lin && jc->kg == (key | (jc->kg & JIT_JC_GLOB)) &&
            jc->dgen == cpu->tlb.gen[jc->kg >> 31]) {
            b = jc->b;
            jv->st.jc_hits++;
        } else {
            /* (Cold blocks get entries too: their visits are counted
             * without a walk of the block table.) */
            jv->st.jc_misses++;
            const unsigned user = cpu->s.cpl == 3;
            const struct tlb_entry *e = &cpu->tlb.e[user][(lin >> 12) & (TLB_SIZE - 1)];
            if (e->tag[ACC_EXEC] != ((lin & ~(uint64_t)0xfff) | 1u)) {
                /* Walk the tables as the interpreter's fetch would: a
                 * fault here is the fetch's (#PF, nothing retired, ESP
                 * as at the instruction), delivered by blocks(). */
                uint64_t phys;
                cpu->insn_rsp = cpu->s.gpr[R_ESP];
                if (!mmu_code_page(cpu, lin, &phys) ||
                    e->tag[ACC_EXEC] != ((lin & ~(uint64_t)0xfff) | 1u))
                    return interp_why(jv, WHY_FETCH);      /* MMIO: the interpreter fetches */
            }
            const uint64_t paddr = e->paddr | (lin & 0xfff);
            if (jv->nblocks >= JIT_MAX_BLOCKS)
                flush_all(jv);
            b = jit_block_get(jv, paddr, key);
            if (!b)
                return interp_why(jv, WHY_NOMEM);
            tlb_note_jc(&cpu->tlb, lin, e);
            jc->lin = lin;
            jc->kg = key | (e->global ? JIT_JC_GLOB : 0);
            jc->dgen = cpu->tlb.gen[jc->kg >> 31];
            jc->b = b;
        }
        if (!b->code) {
            if (!b->hits++)
                jv->nblocks++;
            if (b->hits < jv->threshold || !(b = translate(jv, b, b->paddr, key))) {
                jc->code = jv->lmiss;   /* (NULL before the trampolines:
                                         * their emission makes the entry stale) */
                return interp_why(jv, WHY_COLD);
            }
            /* A full cache was flushed on the way (the jump cache with
             * it), and b may be a new record: name it again. */
            jc->b = b;
            jc->dgen = cpu->tlb.gen[jc->kg >> 31];
        }
        jc->code = b->code;
        /* Exactly the slice (the run loop's instruction limits), and the
         * CS limit, which the interpreter checks per instruction. */
        if (end - cpu->icount < b->ninsns)
            return interp_why(jv, WHY_SLICE);
        if (cpu->s.code_size != 8 && rip + b->nbytes - 1 > cpu->s.seg[SEG_CS].limit)
            return interp_why(jv, WHY_CSLIMIT);
        /* The last block left through a chainable exit to here: from now
         * on it jumps straight in. Its key is this one (nothing between
         * changed the mode), and a flush since would have dropped it. */
        if (site && (key & JIT_KEY_CHAIN) && jv->flush_gen == jv->cache.generation)
            jit_block_link(jv, site, b, checked, rip, CPU_GEN_OFF(jc->kg >> 31),
                           cpu->tlb.gen[jc->kg >> 31]);
        site = NULL;
        cpu->run_end = 0;       /* the handlers' own chaining stays off */
        cpu->jit_break = 0;
        cpu->jit_attn_mask = attn_mask(cpu);
        jv->block_i0 = cpu->icount;
        jv->in_block = true;
        jv->st.runs++;
        cpu->inhibit_irq = 0;   /* (set only with shadow) */
        jv->enter(cpu, (const uint8_t *)b->code + (shadow ? b->shadow_entry : 0));
        /* b may be gone: a block that wrote its own page dropped itself. */
        jv->in_block = false;
        jv->st.run_insns += cpu->icount - jv->block_i0;
        site = cpu->jit_exit_site;
        checked = cpu->jit_exit_checked;
        cpu->jit_exit_checked = 0;
        cpu->jit_exit_site = NULL;
        if (cpu->jit_interp_next) {
            cpu->jit_interp_next = 0;
            return interp_why(jv, WHY_LEFT);
        }
        jv->flush_gen = jv->cache.generation;
        if (site)
            jv->st.exits_chainable++;
        if (cpu->pending_db && !(cpu->inhibit_irq & 2))
            debug_after_insn(cpu, 0);
    }
    return CPU_EXIT_SLICE;
}

/* block_loop under the fault handler: a guest exception in a handler
 * unwinds here, is delivered as cpu_run() would, and the loop goes on. */
static int blocks(struct cpu *cpu, struct jit_vcpu *jv, uint64_t end, uint64_t budget)
{
    if (setjmp(cpu->fault_jmp)) {
        if (jv->in_block) {
            jv->in_block = false;
            jv->st.run_insns += cpu->icount - jv->block_i0;
        }
        cpu_unwound(cpu);
        /* Events that retire nothing (a handler whose first instruction
         * faults again) still end the slice, as in cpu_run(). */
        if (++jv->events > budget)
            return CPU_EXIT_SLICE;
    }
    return block_loop(cpu, jv, end);
}

enum cpu_exit jit_run(struct cpu *cpu, uint64_t budget)
{
    struct jit_vcpu *jv = cpu->jit;
    const uint64_t end = cpu->icount + budget;
    jv->events = 0;
    while (cpu->icount < end) {
        int r = blocks(cpu, jv, end, budget);
        if (r != JIT_RUN_INTERP)
            return (enum cpu_exit)r;
        /* Up to the next taken branch: where a block may start. */
        uint64_t i0 = cpu->icount;
        cpu->stop_at_branch = 1;
        enum cpu_exit x = cpu_run(cpu, end - cpu->icount);
        cpu->stop_at_branch = 0;
        jv->st.interp_runs++;
        jv->st.interp_insns += cpu->icount - i0;
        if (x != CPU_EXIT_SLICE && x != CPU_EXIT_NONE)
            return x;
        /* A stretch that only delivered an event counts as one too. */
        if (cpu->icount == i0 && ++jv->events > budget)
            return CPU_EXIT_SLICE;
    }
    return CPU_EXIT_SLICE;
}

void jit_flush(struct cpu *cpu)
{
    if (cpu->jit)
        flush_all(cpu->jit);
}

static void engine_flush(struct cpu *cpu)
{
    engine_interp.flush(cpu);
    jit_flush(cpu);
}

static bool jit_wakeable(const struct cpu *cpu)
{
    return engine_interp.wakeable(cpu);
}

static void jit_woke(struct cpu *cpu)
{
    engine_interp.woke(cpu);
}

void jit_detach(struct cpu *cpu)
{
    struct jit_vcpu *jv = cpu->jit;
    if (!jv)
        return;
    jit_blocks_clear(jv);
    physmem_remove_code_writer(cpu->mem, jit_code_write, jv);
    jit_cache_free(&jv->cache);
    if (jv->perfmap)
        fclose(jv->perfmap);
    free(jv->forms);
    cpu->jit = NULL;
    cpu->gen_wrapped = NULL;
    free(jv);
}

const struct engine_ops engine_jit = {
    .name = "jit",
    .run = jit_run,
    .code_written = dcache_code_write,
    .flush = engine_flush,
    .wakeable = jit_wakeable,
    .woke = jit_woke,
    .detach = jit_detach,
};

static uint64_t env_u64(const char *name, uint64_t dflt)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return dflt;
    char *end;
    unsigned long long n = strtoull(v, &end, 0);
    return *end ? dflt : (uint64_t)n;
}

bool jit_attach(struct cpu *cpu)
{
    struct jit_vcpu *jv = calloc(1, sizeof *jv);
    if (!jv) {
        fprintf(stderr, "rawbox: jit: out of memory; using the interpreter\n");
        return false;
    }
    jv->cpu = cpu;
    /* RAWBOX_JIT_CACHE_KB sizes the code cache (tests make it small so it
     * fills and flushes). */
    size_t size = (size_t)env_u64("RAWBOX_JIT_CACHE_KB", 0) << 10;
    if (jit_cache_init(&jv->cache, size) < 0) {
        fprintf(stderr, "rawbox: jit: %s; using the interpreter\n", jv->cache.err);
        jit_cache_free(&jv->cache);
        free(jv);
        return false;
    }
    if (physmem_add_code_writer(cpu->mem, jit_code_write, jv) < 0) {
        fprintf(stderr, "rawbox: jit: cannot watch code writes; using the interpreter\n");
        jit_cache_free(&jv->cache);
        free(jv);
        return false;
    }
    /* RAWBOX_JIT_THRESHOLD: visits before a block is translated (1: at
     * once, which the tests use to run everything translated);
     * RAWBOX_JIT_FLUSH=N: drop all code after every N blocks. */
    jv->threshold = (uint32_t)env_u64("RAWBOX_JIT_THRESHOLD", JIT_THRESHOLD_DEFAULT);
    if (!jv->threshold)
        jv->threshold = 1;
    jv->flush_every = env_u64("RAWBOX_JIT_FLUSH", 0);
    /* RAWBOX_JIT_NATIVE=0: every instruction a handler call (to tell a
     * native form's bug from the rest). */
    jv->no_native = env_u64("RAWBOX_JIT_NATIVE", 1) == 0;
    jv->no_rc = env_u64("RAWBOX_JIT_REGS", 1) == 0;
    jv->no_ras = env_u64("RAWBOX_JIT_RAS", 1) == 0;
    jv->side_exits = (unsigned)env_u64("RAWBOX_JIT_SIDE_EXITS", 1);
    /* What blocks that load the guest's MXCSR put back (tctx.h RC_MX). */
    __asm__ volatile("stmxcsr %0" : "=m"(cpu->jit_host_mxcsr));
    jv->t_attach = now_ns();
    jv->forms = calloc(optable_nrows ? optable_nrows : 1, sizeof *jv->forms);
    const char *forms = getenv("RAWBOX_JIT_FORMS");
    jv->forms_all = forms && !strcmp(forms, "all");
    jv->count_calls = forms && !strcmp(forms, "calls");
    /* RAWBOX_JIT_PERFMAP=1: name every block in /tmp/perf-PID.map, so that
     * `perf report` shows translated code by guest address; =2 also writes
     * each block's host code (HOSTADDR.host) and guest bytes (.guest) to
     * /tmp/perf-PID.map.d/ for a disassembler. */
    if (env_u64("RAWBOX_JIT_PERFMAP", 0)) {
        char path[64];
        snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)getpid());
        jv->perfmap = fopen(path, "w");
        if (env_u64("RAWBOX_JIT_PERFMAP", 0) == 2) {
            snprintf(path, sizeof path, "/tmp/perf-%d.map.d", (int)getpid());
            jv->dump = mkdir(path, 0755) == 0;
        }
    }
    cpu->jit = jv;
    cpu->gen_wrapped = gen_wrapped;
    return true;
}

/* The forms translated most often as handler calls (what native code to
 * write next), then the biggest native ones. */
static void print_forms(const struct jit_vcpu *jv, FILE *f)
{
    if (!jv->forms)
        return;
    for (int pass = 0; pass < 3; pass++) {
        unsigned pick[12];
        unsigned npick = 0;
        if (pass == 2 && !jv->count_calls)
            break;
        for (unsigned k = 0; k < (pass == 2 ? 12u : 8u); k++) {
            unsigned best = UINT32_MAX;
            uint64_t best_n = 0;
            for (unsigned r = 0; r < optable_nrows; r++) {
                const struct jit_form *fm = &jv->forms[r];
                uint64_t n = pass == 0 ? fm->n - fm->native : pass == 1 ? fm->native : fm->calls;
                bool taken = false;
                for (unsigned j = 0; j < npick; j++)
                    taken |= pick[j] == r;
                if (!taken && n > best_n) {
                    best_n = n;
                    best = r;
                }
            }
            if (best == UINT32_MAX)
                break;
            pick[npick++] = best;
        }
        if (!npick)
            continue;
        fprintf(f, pass == 0 ? "  handler calls by form (translated records):"
                 : pass == 2 ? "  handler calls run by form:"
                 : jv->forms_all ? "  native forms (translated records, host bytes / instructions each):"
                                 : "  native forms (translated records, host bytes each):");
        for (unsigned k = 0; k < npick; k++) {
            const struct jit_form *fm = &jv->forms[pick[k]];
            char buf[32];
            const char *name = optable_mnem(&optable_rows[pick[k]], 4, buf, sizeof buf);
            if (pass == 0)
                fprintf(f, " %s %u;", name, fm->n - fm->native);
            else if (pass == 2)
                fprintf(f, " %s %" PRIu64 ";", name, fm->calls);
            else if (jv->forms_all)
                fprintf(f, " %s %u (%.0f/%.1f);", name, fm->native,
                        fm->n ? (double)fm->bytes / (double)fm->n : 0.0,
                        fm->n ? (double)fm->hinsns / (double)fm->n : 0.0);
            else
                fprintf(f, " %s %u (%.0f);", name, fm->native,
                        fm->n ? (double)fm->bytes / (double)fm->n : 0.0);
        }
        fputc('\n', f);
    }
    if (!jv->forms_all)
        return;
    /* Every form, one a line: what bench/forms.sh tabulates. */
    static const char *const opn[O_COUNT] = {
        [O_Eb] = "Eb", [O_Ew] = "Ew", [O_Ewv] = "Ewv", [O_Ewd] = "Ewd", [O_Ed] = "Ed",
        [O_Ev] = "Ev", [O_Gb] = "Gb", [O_Gw] = "Gw", [O_Gv] = "Gv", [O_Ib] = "Ib",
        [O_Ibs] = "Ibs", [O_Iw] = "Iw", [O_Iz] = "Iz", [O_Iv] = "Iv", [O_Jb] = "Jb",
        [O_Jz] = "Jz", [O_M] = "M", [O_Zb] = "Zb", [O_Zv] = "Zv", [O_One] = "1",
        [O_AL] = "AL", [O_CL] = "CL", [O_eAX] = "eAX", [O_ST0] = "ST0", [O_STi] = "STi",
        [O_Vx] = "Vx", [O_Wx] = "Wx", [O_Wd] = "Wd", [O_Wq] = "Wq", [O_Ey] = "Ey",
        [O_Gy] = "Gy",
    };
    fprintf(f, "  forms: row, mnemonic and operands, records, native, host bytes and instructions each\n");
    for (unsigned r = 0; r < optable_nrows; r++) {
        const struct jit_form *fm = &jv->forms[r];
        if (!fm->n)
            continue;
        char buf[32], ops[32] = "";
        const struct oprow *row = &optable_rows[r];
        for (unsigned k = 0, at = 0; k < 3 && row->o[k] && at < sizeof ops - 8; k++)
            at += (unsigned)snprintf(ops + at, sizeof ops - at, "%s%s", k ? "," : "",
                                     row->o[k] < O_COUNT && opn[row->o[k]] ? opn[row->o[k]] : "?");
        fprintf(f, "  form %u %s %s %u %u %.1f %.1f\n", r,
                optable_mnem(row, 4, buf, sizeof buf), ops[0] ? ops : "-", fm->n, fm->native,
                (double)fm->bytes / (double)fm->n, (double)fm->hinsns / (double)fm->n);
    }
}

void jit_print_stats(struct cpu *cpu, FILE *f)
{
    const struct jit_vcpu *jv = cpu->jit;
    if (!jv)
        return;
    const struct jit_stats *st = &jv->st;
    uint64_t total = st->run_insns + st->interp_insns;
    const double run_s = (double)(now_ns() - jv->t_attach) / 1e9;
    fprintf(f, "jit: %" PRIu64 " blocks translated (%" PRIu64 " guest instructions, %.1f a block,"
               " %.1f host bytes each), translation %.3f s (%.1f %% of %.1f s)\n",
            st->blocks, st->insns, st->blocks ? (double)st->insns / (double)st->blocks : 0.0,
            st->insns ? (double)st->host_bytes / (double)st->insns : 0.0,
            (double)st->translate_ns / 1e9,
            run_s > 0 ? 100.0 * (double)st->translate_ns / 1e9 / run_s : 0.0, run_s);
    fprintf(f, "  translated natively: %" PRIu64 " of %" PRIu64 " (%.1f %%; the rest call their handlers)\n",
            st->native, st->insns, st->insns ? 100.0 * (double)st->native / (double)st->insns : 0.0);
    fprintf(f, "  instructions: %" PRIu64 " in blocks (%.1f %%), %" PRIu64
               " interpreted in %" PRIu64 " stretches\n",
            st->run_insns, total ? 100.0 * (double)st->run_insns / (double)total : 0.0,
            st->interp_insns, st->interp_runs);
    fprintf(f, "  block runs %" PRIu64 "; jump cache hits %" PRIu64 ", misses %" PRIu64
               " (%.1f %% hits)\n",
            st->runs, st->jc_hits, st->jc_misses,
            st->jc_hits + st->jc_misses
                ? 100.0 * (double)st->jc_hits / (double)(st->jc_hits + st->jc_misses) : 0.0);
    fprintf(f, "  indirect exits whose inline cache missed %" PRIu64 ", of them on to the run loop %" PRIu64
               " (the jump cache missed too)\n", st->probes, st->probe_misses);
    fprintf(f, "  to the interpreter: events/debug %" PRIu64 ", code outside RAM/ROM %" PRIu64
               ", out of memory %" PRIu64 ", cold blocks %" PRIu64 ", slice ends %" PRIu64
               ", CS limit %" PRIu64 ", instructions left to it %" PRIu64 "\n",
            st->interp_why[WHY_EVENTS], st->interp_why[WHY_FETCH], st->interp_why[WHY_NOMEM],
            st->interp_why[WHY_COLD], st->interp_why[WHY_SLICE], st->interp_why[WHY_CSLIMIT],
            st->interp_why[WHY_LEFT]);
    fprintf(f, "  chained exits %" PRIu64 "; returns to the run loop through exits not yet chained %" PRIu64 "\n",
            st->chained, st->exits_chainable);
    print_forms(jv, f);
    fprintf(f, "  blocks dropped by code writes %" PRIu64 ", cache flushes %" PRIu64
               ", translations given up %" PRIu64 ", threshold %u\n",
            st->invalidated, st->flushes, st->failed, jv->threshold);
}
