/* Raw mode as an engine (raw.h): guest user code runs natively in the
 * helper; the guest kernel, firmware and anything the rules below refuse
 * run in the interpreter. Every stop of native code hands the registers
 * back, and the instruction that stopped it (a system call, a fault, a
 * privileged instruction) is executed once more by the interpreter, which
 * raises exactly what the guest's CPU would: vector, error code, CR2,
 * frame. So native code never needs to emulate anything itself; it only
 * has to stop at the right instruction with the right state. Two stops
 * are resolved without the interpreter: a page the shadow lacks but the
 * guest maps (src/raw/shadow.c), and a kick when a guest timer is due. */
#include "raw/raw.h"

#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/dcache.h"
#include "cpu/longmode.h"
#include "jit/jit.h"
#include "mem/physmem.h"
#include "raw/vcpu.h"

/* Longest native run between looks at the host (terminal input) when no
 * guest timer is due sooner. */
#define RAW_MAX_RUN_NS 4000000ull
/* Instructions interpreted when native code reaches a page it cannot use. */
#define RAW_INTERP_RUN 1000
/* User-mode instructions run after each return from the kernel before
 * native code is tried (raw_run): by the interpreter, or by the
 * recompiler, which runs user code at a few times native speed, so that
 * a native entry (tens of microseconds) pays off later. Measured on the
 * mixed shell loop of bench/raw.sh: 1.28-1.63 s with 4,000 through the
 * recompiler, 0.78 s with 100,000; compute unchanged. */
#define RAW_USER_PROBE 4000
#define RAW_USER_PROBE_JIT 100000

#define TRAP_DE 0
#define TRAP_DB 1
#define TRAP_BP 3
#define TRAP_OF 4
#define TRAP_UD 6
#define TRAP_GP 13
#define TRAP_PF 14
#define TRAP_MF 16
#define TRAP_AC 17
#define TRAP_XM 19

static bool flat(const struct seg *s, bool code)
{
    uint32_t type = SEGA_TYPE(s->attr);
    if (!(s->attr & SEGA_P) || !(s->attr & SEGA_S) || s->base || s->limit != 0xffffffffu)
        return false;
    if (code)
        return (type & 8) && (type & 2) && (s->attr & SEGA_DB);     /* readable 32-bit code */
    return !(type & 8) && (type & 2) && !(type & 4);                /* writable, expand-up */
}

/* Does a 64-bit guest map anything where the helper's region lies? One
 * PML4 entry covers it; only if that is present and user are its pages
 * walked. */
static bool region_clear(struct cpu *cpu)
{
    if (!raw_region_base)
        return true;        /* no helper yet: asked again once it starts */
    uint64_t pml4e = physmem_read(cpu->mem, (cpu->s.cr3 & 0x000ffffffffff000ull) +
                                  ((raw_region_base >> 39) & 511) * 8, 8);
    return !(pml4e & 1) || !(pml4e & 4);
}

/* The rules: may the vCPU's next instructions run natively? Each rule
 * names what native execution would get wrong. */
static bool raw_may_run(struct cpu *cpu, struct raw_vcpu *rv)
{
    const struct cpu_state *s = &cpu->s;
    /* The helper could not start: the interpreter does everything. */
    if (rv->disabled)
        return false;
    /* Guest kernel, firmware, real mode: privileged code is interpreted. */
    if (s->cpl != 3)
        return false;
    /* The shadow mirrors linear-to-physical translations: paging only. */
    if (!(s->cr0 & CR0_PG))
        return false;
    /* V86 and 16-bit code have no host counterpart under a 64-bit kernel. */
    if (s->mode != MODE_PROT32 && s->mode != MODE_COMPAT32 && s->mode != MODE_LONG64)
        return false;
    /* The host runs user code with IF set and IOPL 0: PUSHF, POPF, CLI
     * and STI behave as the guest's CPU would only with the same. */
    if (!(s->rflags & FL_IF) || (s->rflags & FL_IOPL))
        return false;
    /* Single-step and breakpoints need the guest's #DB, not the host's. */
    if ((s->rflags & FL_TF) || (s->dr[7] & 0xff))
        return false;
    /* An interrupt, NMI or shadow to honour first: the interpreter does. */
    if (cpu->intr || cpu->nmi_pending || cpu->inhibit_irq || cpu->pending_db)
        return false;
    /* x87/SSE use must fault where the guest's CR0/CR4 say: TS (#NM) and
     * EM, and SSE without OSFXSR (#UD) have no host equivalent. */
    if ((s->cr0 & (CR0_TS | CR0_EM)) || !(s->cr4 & CR4_OSFXSR))
        return false;
    /* RDTSC must #GP at CPL 3 under CR4.TSD. */
    if (s->cr4 & CR4_TSD)
        return false;
    /* The host checks alignment whenever AC is set; the guest only with
     * CR0.AM. */
    if ((s->rflags & FL_AC) && !(s->cr0 & CR0_AM))
        return false;
    /* The shadow maps guest-physical pages as the memfd holds them. */
    if (!cpu->mem->a20)
        return false;
    /* 32-bit code needs the host's compatibility mode, which some hosts
     * lack (IA-32 emulation off): there it is interpreted. */
    if (s->mode != MODE_LONG64 && !rv->compat)
        return false;
    /* 32-bit code runs on the host's flat segments. */
    if (s->mode != MODE_LONG64 &&
        !(flat(&s->seg[SEG_CS], true) && flat(&s->seg[SEG_SS], false) &&
          flat(&s->seg[SEG_DS], false) && flat(&s->seg[SEG_ES], false)))
        return false;
    /* 64-bit guest pages over the helper's own would be invisible. */
    if (s->mode == MODE_LONG64 && !region_clear(cpu))
        return false;
    return true;
}

static uint64_t pace(const struct cpu *cpu)
{
    uint64_t q = cpu->pace_q16 ? *cpu->pace_q16 : 0;
    return q ? q : 65536;
}

/* Make the space of the tables in force current: its helper if it has
 * one, else a new helper, else the one entered longest ago, emptied.
 * False when no helper can run at all (the interpreter does everything). */
static bool enter_space(struct cpu *cpu, struct raw_vcpu *rv)
{
    uint64_t key = raw_space_key(cpu);
    struct raw_space *s = rv->cur;
    if (!s || s->key != key) {
        struct raw_space *unused = NULL, *oldest = NULL;
        s = NULL;
        for (unsigned k = 0; k < RAW_SPACES && !s; k++) {
            struct raw_space *c = &rv->sp[k];
            if (c->started && c->key == key)
                s = c;
            else if (!c->started && !unused)
                unused = c;
            else if (c->started && (!oldest || c->used < oldest->used))
                oldest = c;
        }
        if (!s && unused) {
            if (raw_helper_start(&unused->h, cpu->mem->ram_fd) == 0) {
                unused->started = true;
                unused->hmode = 0;
                rv->started = true;
                rv->st.spaces++;
                s = unused;
            } else if (!oldest) {
                fprintf(stderr, "rawbox: raw mode unavailable, using the interpreter: %s\n",
                        unused->h.err);
                rv->disabled = true;
                return false;
            }
        }
        if (!s) {
            /* Eight address spaces are in use (or the host refused another
             * helper): the least recently entered one serves this one. */
            s = oldest;
            raw_shadow_drop_space(rv, s);
            rv->st.reuses++;
        }
        s->key = key;
        rv->cur = s;
        rv->st.switches++;
    }
    /* PAE reads its top level from the PDPTE registers MOV CR3 loaded, not
     * from the (watched) tables. */
    if ((key & 3) == 2 && memcmp(s->pdpte, cpu->tlb.pdpte, sizeof s->pdpte) != 0) {
        raw_shadow_drop_space(rv, s);
        memcpy(s->pdpte, cpu->tlb.pdpte, sizeof s->pdpte);
    }
    s->used = ++rv->tick;
    s->table_writes = 0;
    return true;
}

/* Undo the host's report of a trap that stops after its instruction so
 * RIP names the instruction (the interpreter executes it again). */
static enum raw_exit classify(struct cpu *cpu, struct raw_vcpu *rv, int sig, const siginfo_t *si,
                              const ucontext_t *uc)
{
    long trapno = uc->uc_mcontext.gregs[REG_TRAPNO];
    uint8_t b = 0;
    uint64_t mask = cpu->s.mode == MODE_LONG64 ? ~0ull : 0xffffffffull;

    switch (sig) {
    case SIGSYS:
        /* syscall, sysenter's host twin and int 0x80 are two bytes. A
         * compat-mode SYSCALL leaves RIP at the host's landing pad (over
         * 4 GiB), but ECX holds the address after it. */
        if (cpu->s.mode != MODE_LONG64 && (uint64_t)uc->uc_mcontext.gregs[REG_RIP] > 0xffffffffull)
            cpu->s.rip = (uint32_t)cpu->s.gpr[R_ECX];
        cpu->s.rip = (cpu->s.rip - 2) & mask;
        return RX_SYSCALL;
    case SIGTRAP:
        if (trapno == TRAP_BP) {
            /* INT3 (CC) or INT 3 (CD 03). */
            bool one = raw_guest_byte(cpu, (cpu->s.rip - 1) & mask, &b) && b == 0xcc;
            cpu->s.rip = (cpu->s.rip - (one ? 1 : 2)) & mask;
            return RX_BP;
        }
        /* ICEBP (F1) runs again; a single-step trap (guest code set TF
         * with POPF natively) is the interpreter's to deliver, now. */
        if (raw_guest_byte(cpu, (cpu->s.rip - 1) & mask, &b) && b == 0xf1)
            cpu->s.rip = (cpu->s.rip - 1) & mask;
        else if (cpu->s.rflags & FL_TF)
            cpu->inject_db = 1;
        return RX_DB;
    case SIGSEGV:
        if (trapno == TRAP_OF) {
            cpu->s.rip = (cpu->s.rip - 1) & mask;   /* INTO */
            return RX_OF;
        }
        return trapno == TRAP_PF ? RX_PF : trapno == TRAP_GP ? RX_GP : RX_OTHER_FAULT;
    case SIGBUS:
        return trapno == TRAP_AC ? RX_AC : RX_OTHER_FAULT;
    case SIGILL:
        return RX_UD;
    case SIGFPE:
        return trapno == TRAP_MF ? RX_MF : trapno == TRAP_XM ? RX_XM : RX_DE;
    case RAW_SIG_KICK:
        return RX_KICK;
    default:
        (void)si;
        return RX_OTHER_FAULT;
    }
}

/* A fill that did not stick (the same address faults at once again) is
 * not retried a third time: the interpreter executes the access. */
static bool fill_again(struct raw_vcpu *rv, uint64_t addr)
{
    addr &= ~(uint64_t)0xfff;
    if (addr != rv->last_fill) {
        rv->last_fill = addr;
        rv->same_fills = 0;
        return true;
    }
    return ++rv->same_fills < 2;
}

/* Run natively until a stop the interpreter must see (or a kick at host
 * time `until`). Returns the reason; the vCPU holds the guest's state. */
static enum raw_exit run_native(struct cpu *cpu, struct raw_vcpu *rv, uint64_t until,
                                uint64_t *cr2, unsigned *err)
{
    struct raw_helper *h = &rv->cur->h;
    raw_shadow_sync(rv);
    raw_state_to_frame(cpu, rv);
    for (;;) {
        bool kicked;
        uint64_t t0 = raw_host_ns();
        enum raw_wait w = raw_helper_run(h, until, &kicked);
        uint64_t t1 = raw_host_ns();
        rv->st.entries++;
        rv->st.ns_native += t1 - t0;
        if (w != RAW_WAIT_EXIT)
            return RX_DEAD;
        int64_t last;
        if (raw_helper_take_errors(h, &last)) {
            /* A map the host refused (ENOMEM at the map count limit): drop
             * everything; the page will be interpreted if it fails again. */
            rv->st.map_errors++;
            raw_shadow_drop_space(rv, rv->cur);
        }
        int sig = h->sig;
        const ucontext_t *uc = h->uc;
        const siginfo_t *si = h->info;
        if (kicked && t1 >= until) {
            uint64_t lat = t1 - until;
            rv->st.kicks++;
            rv->st.kick_lat_sum += lat;
            if (lat > rv->st.kick_lat_max)
                rv->st.kick_lat_max = lat;
        } else if (kicked) {
            /* The timer fired for an earlier deadline while the helper
             * was stopped: its signal waited for this resume. */
            rv->st.kicks_early++;
        }
        if (sig == SIGSEGV && uc->uc_mcontext.gregs[REG_TRAPNO] == TRAP_PF && !kicked &&
            !rv->cur->drop_all && fill_again(rv, (uint64_t)(uintptr_t)si->si_addr) &&
            raw_shadow_fill(cpu, rv, (uint64_t)(uintptr_t)si->si_addr,
                            (unsigned)uc->uc_mcontext.gregs[REG_ERR])) {
            rv->st.exits[RX_FILL]++;
            continue;       /* the frame is untouched: resume as is */
        }
        raw_frame_to_state(cpu, rv);
        if (raw_in_region(cpu->s.rip)) {
            /* The guest maps nothing there (raw_may_run), so its code got
             * there only by jumping into the stub: it is killed. */
            snprintf(h->err, sizeof h->err,
                     "guest user code entered the raw-mode helper's stub at %#llx",
                     (unsigned long long)cpu->s.rip);
            raw_helper_stop(h);
            return RX_DEAD;
        }
        enum raw_exit why = classify(cpu, rv, sig, si, uc);
        if (why == RX_PF) {
            *cr2 = (uint64_t)(uintptr_t)si->si_addr;
            *err = (unsigned)uc->uc_mcontext.gregs[REG_ERR];
        }
        rv->st.exits[why]++;
        return why;
    }
}

static enum cpu_exit interp(struct cpu *cpu, struct raw_vcpu *rv, uint64_t n, bool to_user)
{
    uint64_t t0 = raw_host_ns();
    cpu->stop_at_user = to_user;
    enum cpu_exit r = cpu->jit ? jit_run(cpu, n) : cpu_run(cpu, n);
    cpu->stop_at_user = 0;
    rv->st.ns_interp += raw_host_ns() - t0;
    return r;
}

/* The user-mode instructions run before native code (RAW_USER_PROBE*,
 * or RAWBOX_RAW_PROBE). */
static uint64_t raw_probe(const struct cpu *cpu, const struct raw_vcpu *rv)
{
    if (rv->probe_set)
        return rv->probe;
    return cpu->jit ? RAW_USER_PROBE_JIT : RAW_USER_PROBE;
}

static enum cpu_exit raw_run(struct cpu *cpu, uint64_t budget)
{
    struct raw_vcpu *rv = cpu->raw;
    uint64_t end = cpu->icount + budget;

    while (cpu->icount < end) {
        if (cpu->exit_req)
            return interp(cpu, rv, 1, false);   /* the interpreter reports it */
        bool may = raw_may_run(cpu, rv);
        if (may && !rv->started) {
            if (enter_space(cpu, rv))
                continue;   /* the rules again, now that the region is placed */
            may = false;
        }
        if (may)
            may = enter_space(cpu, rv);
        if (!may) {
            enum cpu_exit r = interp(cpu, rv, end - cpu->icount, true);
            if (r != CPU_EXIT_USER)
                return r;
            /* Back in user mode. A native entry and its stop cost tens of
             * microseconds here (a signal round trip between processes),
             * the interpreter a few nanoseconds an instruction: user code
             * that enters the kernel again soon (system-call and
             * page-fault heavy programs, shells) is cheaper interpreted.
             * Only what runs on goes native. */
            const uint64_t want = raw_probe(cpu, rv);
            uint64_t probe = end - cpu->icount < want ? end - cpu->icount : want;
            if (probe) {
                rv->st.probes++;
                r = interp(cpu, rv, probe, false);
                if (r != CPU_EXIT_SLICE && r != CPU_EXIT_NONE && r != CPU_EXIT_USER)
                    return r;
            }
            continue;
        }
        if (raw_shadow_rip_blocked(cpu, rv)) {
            /* Code on a page native code must not run (a sensitive
             * instruction, ROM, MMIO): interpreted, a stretch at a time. */
            rv->st.interp_runs++;
            enum cpu_exit r = interp(cpu, rv, RAW_INTERP_RUN, false);
            if (r != CPU_EXIT_SLICE && r != CPU_EXIT_NONE && r != CPU_EXIT_USER)
                return r;
            continue;
        }
        uint64_t q = pace(cpu), now = raw_host_ns();
        uint64_t ns = (end - cpu->icount) * q >> 16;
        if (ns > RAW_MAX_RUN_NS)
            ns = RAW_MAX_RUN_NS;
        uint64_t cr2 = 0;
        unsigned err = 0;
        enum raw_exit why = run_native(cpu, rv, now + ns, &cr2, &err);
        /* Native time counts as instructions at the clock's pace, so
         * virtual time moves with host time while guest code runs here. */
        uint64_t spent = raw_host_ns() - now;
        cpu->icount += ((spent << 16) / q) + 1;
        if (why == RX_DEAD) {
            fprintf(stderr, "rawbox: %s\n", rv->cur->h.err);
            return CPU_EXIT_SHUTDOWN;
        }
        if (why == RX_KICK)
            continue;
        /* The stopping instruction, once, in the interpreter. Native code
         * may have rewritten its page since it was last decoded. */
        raw_shadow_code_stale(cpu, cpu->s.rip);
        rv->last_fill = 0;
        /* Code on a page native code cannot use (a sensitive instruction,
         * ROM, MMIO) runs here a while: its next access would stop native
         * code again. */
        uint64_t n = 1;
        if (rv->interp_hint) {
            rv->interp_hint = false;
            rv->st.interp_runs++;
            n = RAW_INTERP_RUN;
        }
        enum cpu_exit r = interp(cpu, rv, n, false);
        if (why == RX_PF && r == CPU_EXIT_SLICE && raw_may_run(cpu, rv))
            raw_shadow_fill(cpu, rv, cr2, err);     /* A/D are set now */
        if (r != CPU_EXIT_SLICE && r != CPU_EXIT_NONE && r != CPU_EXIT_USER)
            return r;
    }
    return CPU_EXIT_SLICE;
}

static bool raw_wakeable(const struct cpu *cpu)
{
    return engine_interp.wakeable(cpu);
}

static void raw_flush(struct cpu *cpu)
{
    engine_interp.flush(cpu);
    jit_flush(cpu);
}

static void raw_woke(struct cpu *cpu)
{
    engine_interp.woke(cpu);
}

static void raw_detach(struct cpu *cpu)
{
    struct raw_vcpu *rv = cpu->raw;
    jit_detach(cpu);
    if (!rv)
        return;
    for (unsigned k = 0; k < RAW_SPACES; k++) {
        if (rv->sp[k].started)
            raw_helper_stop(&rv->sp[k].h);
        free(rv->sp[k].tables);
    }
    cpu->tlb_flushed = NULL;
    cpu->tlb_opaque = NULL;
    cpu->raw = NULL;
    physmem_remove_code_writer(cpu->mem, raw_shadow_code_write, rv);
    free(rv->pages);
    free(rv);
}

const struct engine_ops engine_raw = {
    .name = "raw",
    .run = raw_run,
    .code_written = dcache_code_write,
    .flush = raw_flush,
    .wakeable = raw_wakeable,
    .woke = raw_woke,
    .detach = raw_detach,
    /* About RAW_MAX_RUN_NS of native time at a guest clock pace of 2 ns an
     * instruction: each return from native code costs a stop of the
     * helper; guest timers still end runs when they are due. */
    .slice = 2000000,
};

void raw_attach(struct cpu *cpu)
{
    struct raw_vcpu *rv = calloc(1, sizeof *rv);
    if (!rv) {
        fprintf(stderr, "rawbox: raw mode: out of memory, using the interpreter\n");
        return;
    }
    FILE *f = fopen("/proc/sys/vm/mmap_min_addr", "r");
    unsigned long long min = 65536;
    if (f) {
        if (fscanf(f, "%llu", &min) != 1)
            min = 65536;
        fclose(f);
    }
    rv->npages = cpu->mem->ram_size >> 12;
    rv->pages = calloc(rv->npages ? rv->npages : 1, sizeof *rv->pages);
    if (!rv->pages || physmem_add_code_writer(cpu->mem, raw_shadow_code_write, rv) < 0) {
        fprintf(stderr, "rawbox: raw mode: cannot track %llu pages, using the interpreter\n",
                (unsigned long long)rv->npages);
        free(rv->pages);
        free(rv);
        return;
    }
    rv->cpu = cpu;
    for (unsigned k = 0; k < RAW_SPACES; k++) {
        rv->sp[k].idx = (uint8_t)k;
        rv->sp[k].gen = 1;
    }
    rv->min_addr = (min + 0xfff) & ~0xfffull;
    /* Native 32-bit code (compatibility segment, LDT mirror) has not yet
     * run on a host that allows it: the development hosts have IA-32
     * emulation off. Until it has, it is opt-in (docs/raw-mode.md). */
    const char *c = getenv("RAWBOX_RAW_COMPAT");
    rv->compat = c && strcmp(c, "1") == 0 && raw_host_compat();
    /* RAWBOX_RAW_PROBE=N sets the user-mode instructions interpreted after
     * each return from the kernel (0: straight to native code, which is how
     * the guest tests exercise native execution). */
    const char *pr = getenv("RAWBOX_RAW_PROBE");
    rv->probe_set = pr && *pr;
    rv->probe = rv->probe_set ? strtoull(pr, NULL, 0) : RAW_USER_PROBE;
    if (rv->min_addr == 0)
        rv->min_addr = 0x1000;      /* page 0 stays the host's NULL */
    cpu->raw = rv;
    cpu->engine = &engine_raw;
    cpu->tlb_flushed = raw_shadow_flushed;
    cpu->tlb_opaque = rv;
}

static const char *const exit_names[RX_COUNT] = {
    [RX_SYSCALL] = "system call", [RX_FILL] = "shadow fill", [RX_PF] = "page fault",
    [RX_GP] = "#GP", [RX_UD] = "#UD", [RX_DE] = "#DE", [RX_BP] = "#BP", [RX_DB] = "#DB",
    [RX_OF] = "#OF", [RX_AC] = "#AC", [RX_MF] = "#MF", [RX_XM] = "#XM",
    [RX_OTHER_FAULT] = "other fault", [RX_KICK] = "timer kick", [RX_DEAD] = "helper died",
};

void raw_print_stats(struct cpu *cpu, FILE *f)
{
    struct raw_vcpu *rv = cpu->raw;
    if (!rv)
        return;
    const struct raw_stats *st = &rv->st;
    fprintf(f, "raw mode: %s%s\n", rv->disabled ? "unavailable (interpreter only)" :
                                  rv->started ? "helper ran" : "never entered user mode",
            rv->compat ? "" : cpu->jit ? "; 32-bit guest user code runs through the recompiler (see docs/raw-mode.md)"
                                       : "; 32-bit guest user code is interpreted (see docs/raw-mode.md)");
    fprintf(f, "  entries %" PRIu64 ", native %.3f s, %s %.3f s\n", st->entries,
            (double)st->ns_native / 1e9, cpu->jit ? "recompiler and interpreter" : "interpreter",
            (double)st->ns_interp / 1e9);
    fprintf(f, "  exits:");
    for (int k = 0; k < RX_COUNT; k++)
        if (st->exits[k])
            fprintf(f, " %s %" PRIu64 ";", exit_names[k], st->exits[k]);
    fprintf(f, "\n  shadow: %" PRIu64 " fills, %" PRIu64 " pages mapped, %" PRIu64
               " full drops, %" PRIu64 " drops by table writes, %" PRIu64 " map errors\n",
            st->fills, st->fill_pages, st->drops_all, st->table_drops, st->map_errors);
    fprintf(f, "  address spaces: %" PRIu64 " helpers started, %" PRIu64 " switches, %" PRIu64
               " reused; %" PRIu64 " guest tables watched\n",
            st->spaces, st->switches, st->reuses, st->tables);
    if (st->kicks)
        fprintf(f, "  timer kicks: %" PRIu64 ", latency mean %.1f us, worst %.1f us; %" PRIu64
                   " early (an older deadline's)\n",
                st->kicks, (double)st->kick_lat_sum / (double)st->kicks / 1e3,
                (double)st->kick_lat_max / 1e3, st->kicks_early);
    if (st->seg_resync)
        fprintf(f, "  native segment loads seen: %" PRIu64 "\n", st->seg_resync);
    fprintf(f, "  returns to user mode interpreted first (up to %" PRIu64 " instructions): %" PRIu64 "\n",
            raw_probe(cpu, rv), st->probes);
    fprintf(f, "  code pages scanned %" PRIu64 ", with sensitive instructions %" PRIu64
               "; interpreter stretches for pages native code cannot use %" PRIu64 "\n",
            st->scans, st->sens_pages, st->interp_runs);
}
