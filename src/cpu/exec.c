/* The interpreter loop: fetch through the decode cache, execute, retire;
 * take interrupts and NMIs at instruction boundaries; unwind faults to the
 * boundary and deliver them (Intel SDM vol. 3 ch. 6.5-6.9).
 *
 * Per instruction the fast path is: one TLB tag compare for the code page,
 * one compare against the cached decode page, an index load, the CS limit
 * check and an indirect call. Everything rarer (interrupts, halts, the
 * interrupt shadow, single-step, traces) hides behind one test of
 * cpu->intr | cpu->nmi_pending | cpu->exit_req | slow-path bits. */
#include <stdio.h>
#include <string.h>
#include "cpu/cpu.h"
#include "cpu/dcache.h"
#include "cpu/debug.h"
#include "cpu/except.h"
#include "cpu/exec.h"
#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/mmu.h"
#include "mem/physmem.h"
#include "util/log.h"

uint64_t rm_read(struct cpu *cpu, const struct insn *i, unsigned size)
{
    if (i->mod == 3)
        return reg_get(cpu, i->rm, size);
    return cpu_rd(cpu, i->seg, insn_ea(cpu, i), size);
}

void rm_write(struct cpu *cpu, const struct insn *i, unsigned size, uint64_t v)
{
    if (i->mod == 3)
        reg_set(cpu, i->rm, size, v);
    else
        cpu_wr(cpu, i->seg, insn_ea(cpu, i), v, size);
}

/* Find (or decode) the instruction at CS:EIP: first in the decode cache's
 * fetch shortcut (one load, see dcache.h), else through the TLB and the
 * page's index. */
static const struct insn *fetch(struct cpu *cpu)
{
    uint64_t eip = cpu->s.rip;
    uint64_t lin = lin_wrap(cpu, cpu->s.seg[SEG_CS].base + eip);
    uint64_t page = lin & ~(uint64_t)0xfff;
    struct decode_cache *dc = cpu->dcache;
    struct dcache_hot *h = &dc->hot[DCACHE_HOT_INDEX(lin)];
    const uint8_t user = cpu->s.cpl == 3;
    const unsigned csize = insn_code_size(cpu);
    struct dpage *dp;
    const struct tlb_entry *e;
    const struct insn *i;

    if (h->lin == lin && h->gen == dc->gen && h->user == user && h->code_size == csize) {
        cpu->fetch_page = h->dp;
        i = h->i;
        goto check;
    }
    dp = cpu->fetch_page;
    e = &cpu->tlb.e[user][(lin >> 12) & (TLB_SIZE - 1)];
    if (!(dp && e->tag[ACC_EXEC] == (page | 1u) && e->paddr == dp->paddr &&
          dp->code_size == csize)) {
        struct dpage **slot = &dc->recent[(lin >> 12) & (DCACHE_RECENT - 1)];
        dp = *slot;
        if (!(dp && dp->marked && e->tag[ACC_EXEC] == (page | 1u) && e->paddr == dp->paddr &&
              dp->code_size == csize)) {
            uint64_t phys;
            const uint8_t *host = mmu_code_page(cpu, lin, &phys);
            dp = host ? dcache_page(dc, phys, csize) : NULL;
            if (dp) {
                dp->marked = 1;     /* mmu_code_page() just marked it */
                *slot = dp;
            }
        }
        cpu->fetch_page = dp;
        if (!dp) {
            decode_insn(cpu, lin, cpu->scratch);
            i = cpu->scratch;
            goto check;
        }
    }
    unsigned off = lin & 0xfffu;
    unsigned k = dp->idx[off];
    if (k) {
        i = &dp->insns[k - 1];
    } else {
        struct insn tmp;
        decode_insn(cpu, lin, &tmp);
        /* Records that run into the next page are not cached: a write
         * there would not invalidate them. */
        if (off + tmp.len > 4096u || !(i = dcache_add(dc, dp, off, &tmp))) {
            *cpu->scratch = tmp;
            i = cpu->scratch;
            goto check;
        }
    }
    h->lin = lin;
    h->gen = dc->gen;
    h->user = user;
    h->code_size = (uint8_t)csize;
    h->dp = dp;
    h->i = i;
check:
    if (!exec_in_cs_limit(cpu, eip, i))
        except_gp(cpu, 0);
    return i;
}

static void trace_insn(struct cpu *cpu, const struct insn *i)
{
    char text[96];
    disasm(i, cpu->s.rip, text, sizeof(text));
    fprintf((FILE *)cpu->trace_file, "%04x:%08x  %s\n", cpu->s.seg[SEG_CS].sel, EIP(cpu), text);
}

/* A fault or software interrupt unwound to the boundary: put back what the
 * instruction changed that the handler could not order, then deliver. */
static int unwound(struct cpu *cpu)
{
    /* The return address keeps all 64 bits of RIP (IA-32e mode). */
    uint64_t ret;
    cpu->pending_db = 0;
    cpu->db_status = 0;
    cpu->step_after = 0;
    if (cpu->exc_kind == 0) {
        cpu->s.gpr[R_ESP] = cpu->insn_rsp;
        ret = cpu->s.rip;
    } else {
        ret = cpu->exc_rip;
    }
    cpu->halted = 0;
    return except_deliver(cpu, cpu->exc_vector, cpu->exc_code, ret, cpu->exc_kind);
}

/* Interrupts and other rare work at an instruction boundary. Returns an
 * exit reason, or CPU_EXIT_NONE to go on executing. */
static enum cpu_exit boundary(struct cpu *cpu)
{
    cpu->jit_break = 0;     /* only the recompiler's blocks stop for it */
    if (cpu->exit_req) {
        enum cpu_exit r = cpu->exit_req;
        cpu->exit_req = CPU_EXIT_NONE;
        return r;
    }
    if (cpu->nmi_pending && !cpu->nmi_blocked) {
        cpu->nmi_pending = 0;
        cpu->nmi_blocked = 1;
        cpu->halted = 0;
        cpu->insn_rsp = cpu->s.gpr[R_ESP];
        except_deliver(cpu, EXC_NMI, EXC_NO_CODE, cpu->s.rip, EV_NMI);
        return CPU_EXIT_NONE;
    }
    if (cpu->intr && (cpu->s.rflags & FL_IF) && cpu->env.intr_ack) {
        int vec = cpu->env.intr_ack(cpu->env.opaque);
        cpu->halted = 0;
        if (vec >= 0) {
            cpu->insn_rsp = cpu->s.gpr[R_ESP];
            except_deliver(cpu, (unsigned)vec & 0xff, EXC_NO_CODE, cpu->s.rip, EV_EXTINT);
        }
        return CPU_EXIT_NONE;
    }
    return cpu->halted ? CPU_EXIT_HLT : CPU_EXIT_NONE;
}

void cpu_unwound(struct cpu *cpu)
{
    /* INT n, INT3 and INTO complete by delivering their interrupt, so
     * data and I/O breakpoint traps they hit, or that the MOV SS / POP
     * SS before them held back, come after it: #DB is delivered before
     * the handler's first instruction (SDM vol. 3A 6.8.3; the MOV SS +
     * INT3 case of CVE-2018-8897). A fault unwinds the instruction and
     * drops them, and INT1 (ICEBP) is itself the #DB they merge into. */
    uint32_t held = cpu->exc_kind == INT_SOFT ? cpu->db_status & 0xfu : 0;
    if (unwound(cpu) == INT_SOFT && held) {
        cpu->db_status = held;
        debug_after_insn(cpu, 0);
    }
}

#define CHAIN_MAX 512

/* The loop proper, kept out of cpu_run() so that setjmp() there does not
 * force the compiler to keep this function's variables in memory. */
static __attribute__((noinline)) enum cpu_exit run_loop(struct cpu *cpu, uint64_t end)
{
    while (cpu->icount < end) {
        unsigned ss_shadow = 0;
        if (cpu->attn) {
            if (cpu->inhibit_irq) {
                /* The shadow of STI / MOV SS / POP SS: no events here.
                 * After MOV SS / POP SS (2) an instruction breakpoint on
                 * this instruction is suppressed as if RF were set (SDM
                 * vol. 3B 17.3.1.1). */
                ss_shadow = cpu->inhibit_irq & 2;
                cpu->inhibit_irq = 0;
            } else {
                enum cpu_exit r = boundary(cpu);
                if (r != CPU_EXIT_NONE)
                    return r;
            }
        }
        /* A fault in the fetch (or an instruction breakpoint) rolls ESP
         * back to here, not to the previous instruction's start. */
        cpu->insn_rsp = cpu->s.gpr[R_ESP];
        if (cpu->s.dr[7] & 0xff) {
            /* Instruction breakpoints are faults, checked before fetch. */
            if (!ss_shadow && debug_insn_breakpoint(cpu, lin_wrap(cpu, cpu->s.seg[SEG_CS].base + cpu->s.rip)))
                except_raise(cpu, EXC_DB, EXC_NO_CODE);
        }
        const struct insn *i = fetch(cpu);
        if (cpu->trace)     /* tracing keeps attn set: one record per pass */
            trace_insn(cpu, i);
        /* Run straight-line code record after record: while an instruction
         * falls through to the next one and the decode cache has that one
         * as the following record, there is nothing to look up. Anything
         * that can change what the next record means (a write to the code
         * page, a TLB flush, a CS load, a mode change) clears
         * cpu->fetch_page, and events set cpu->attn.
         *
         * Handlers may run on themselves (fastops.c chains straight-line
         * records): they retire every instruction but the last, leave
         * cpu->cur on the record that ran last and cpu->s.rip on its EIP, so
         * the loop continues from there. cpu->run_end bounds them; it is 0
         * (no chaining) while any breakpoint is enabled (MOV DR7 clears it)
         * and for an instruction with TF or RF set, so a chain never runs
         * past a debug trap. */
        /* No chaining for the recompiler's stretches: a chain runs on
         * through taken branches, where a block could start. */
        const uint64_t chain_ok = ((cpu->s.dr[7] & 0xff) || cpu->stop_at_branch) ? 0 : 1;
        for (;;) {
            uint64_t eip = cpu->s.rip;
            exec_begin(cpu, i, eip);
            uint32_t fl = cpu->s.rflags;
            if (fl & (FL_TF | FL_RF)) {
                cpu->s.rflags &= ~FL_RF;
                cpu->run_end = 0;   /* one instruction, then the trap */
                i->fn(cpu, i);
                exec_retire(cpu);
                /* Single-step and data/I-O breakpoint traps after the
                 * instruction (SDM 17.3.1); after MOV SS / POP SS they
                 * wait for the next instruction (SDM vol. 3A 6.8.3). */
                if (((fl & FL_TF) | cpu->pending_db) && !(cpu->inhibit_irq & 2))
                    debug_after_insn(cpu, fl & FL_TF);
                break;
            }
            /* A chain is at most CHAIN_MAX records: where the compiler does
             * not turn the handlers' calls into jumps (unoptimised and
             * sanitizer builds), every chained record is a stack frame. */
            cpu->run_end = !chain_ok ? 0 : end - cpu->icount > CHAIN_MAX ? cpu->icount + CHAIN_MAX : end;
            i->fn(cpu, i);
            i = cpu->cur;
            eip = cpu->s.rip;
            exec_retire(cpu);
            if (cpu->pending_db && !(cpu->inhibit_irq & 2)) {
                debug_after_insn(cpu, 0);
                break;
            }
            if (!i->seq_next || cpu->next_rip != eip + i->len || !cpu->fetch_page ||
                cpu->attn || cpu->icount >= end) {
                if (__builtin_expect(cpu->stop_at_branch, 0) && cpu->next_rip != eip + i->len)
                    return CPU_EXIT_SLICE;
                break;
            }
            i++;
            if (!exec_in_cs_limit(cpu, cpu->next_rip, i)) {
                cpu->insn_rsp = cpu->s.gpr[R_ESP];
                except_gp(cpu, 0);
            }
        }
    }
    return CPU_EXIT_SLICE;
}

enum cpu_exit cpu_run(struct cpu *cpu, uint64_t max_insns)
{
    const uint64_t end = cpu->icount + max_insns;
    /* Events delivered in this call. A handler whose first instruction
     * faults again (a real-mode IVT entry pointing at an invalid opcode)
     * retires nothing, so icount alone would never end the slice and the
     * board loop could not run timers, --timeout or host input: more
     * deliveries than the slice allows also end it, at the boundary
     * after the delivery. */
    volatile uint64_t events = 0;

    if (setjmp(cpu->fault_jmp)) {
        cpu_unwound(cpu);
        if (++events > max_insns)
            return CPU_EXIT_SLICE;
        if (cpu->stop_at_branch)
            return CPU_EXIT_SLICE;  /* an event is a branch too */
    }
    if (cpu->inject_db) {
        /* Raw mode ran the instruction natively (guest code set TF with
         * POPF); its single-step trap (SDM vol. 3B 17.3.1.4) comes now. */
        cpu->inject_db = 0;
        debug_after_insn(cpu, 1);
    }
    return run_loop(cpu, end);
}
