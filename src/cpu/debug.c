/* Debug registers DR0-DR3/DR6/DR7: instruction, data and I/O breakpoints
 * and the single-step trap.
 *
 * Instruction breakpoints (R/W = 00) are faults checked before the
 * instruction is fetched and suppressed by EFLAGS.RF. Data breakpoints
 * (R/W = 01 write, 11 read or write) and I/O breakpoints (R/W = 10, only
 * with CR4.DE) are traps: the hit is recorded while the instruction runs
 * and #DB is delivered after it completes, together with a single-step
 * trap (DR6.BS) when TF was set. LEN 00/01/11 cover 1/2/4 aligned bytes;
 * LEN 10 (undefined on P6) is taken as 8 bytes as later CPUs do.
 *
 * Data breakpoints cost nothing when unused: the pages holding enabled
 * ones get no TLB fast path, and only the slow path calls
 * debug_data_access().
 *
 * Left out: DR6.BT (the task-switch T bit belongs to task.c), breakpoints
 * hit by the individual iterations of a REP string instruction are reported
 * after the whole instruction. The MOV SS / POP SS shadow (exec.c) holds
 * the traps back by one instruction and suppresses an instruction
 * breakpoint on the next one (SDM vol. 3A 6.8.3, 3B 17.3.1.1).
 *
 * Follows Intel SDM vol. 3B ch. 17.2-17.3.
 */
#include "cpu/debug.h"

#include "cpu/except.h"
#include "cpu/mmu.h"

static inline unsigned bp_enabled(const struct cpu *cpu, unsigned n)
{
    return (cpu->s.dr[7] >> (2 * n)) & 3;
}

static inline unsigned bp_rw(const struct cpu *cpu, unsigned n)
{
    return (cpu->s.dr[7] >> (16 + 4 * n)) & 3;
}

static inline unsigned bp_len(const struct cpu *cpu, unsigned n)
{
    static const unsigned len[4] = { 1, 2, 8, 4 };
    return len[(cpu->s.dr[7] >> (18 + 4 * n)) & 3];
}

/* Does [a, a+size) overlap breakpoint n's aligned range? */
static bool bp_overlaps(const struct cpu *cpu, unsigned n, uint64_t a, unsigned size)
{
    unsigned len = bp_len(cpu, n);
    uint64_t start = cpu->s.dr[n] & ~(uint64_t)(len - 1);
    return a <= start + len - 1 && start <= a + size - 1;
}

bool debug_insn_breakpoint(struct cpu *cpu, uint64_t lin)
{
    if (cpu->s.rflags & FL_RF)
        return false;
    uint32_t hits = 0;
    for (unsigned n = 0; n < 4; n++) {
        if (bp_enabled(cpu, n) && bp_rw(cpu, n) == 0 && cpu->s.dr[n] == lin)
            hits |= 1u << n;
    }
    if (!hits)
        return false;
    cpu->s.dr[6] = (cpu->s.dr[6] & ~0xfu) | hits | DR6_FIXED;
    /* The fault unwinds to this boundary: nothing to roll back yet. */
    cpu->insn_rsp = cpu->s.gpr[R_ESP];
    return true;
}

void debug_data_access(struct cpu *cpu, uint64_t lin, unsigned size, int acc)
{
    for (unsigned n = 0; n < 4; n++) {
        if (!bp_enabled(cpu, n))
            continue;
        unsigned rw = bp_rw(cpu, n);
        if (rw == 3 || (rw == 1 && acc == ACC_WRITE)) {
            if (bp_overlaps(cpu, n, lin, size)) {
                cpu->db_status |= 1u << n;
                cpu->pending_db = 1;
            }
        }
    }
}

void debug_io(struct cpu *cpu, uint16_t port, unsigned size)
{
    if (!(cpu->s.cr4 & CR4_DE) || !(cpu->s.dr[7] & 0xff))
        return;
    for (unsigned n = 0; n < 4; n++) {
        if (bp_enabled(cpu, n) && bp_rw(cpu, n) == 2 &&
            bp_overlaps(cpu, n, port, size)) {
            cpu->db_status |= 1u << n;
            cpu->pending_db = 1;
        }
    }
}

void debug_after_insn(struct cpu *cpu, uint32_t tf)
{
    if (cpu->step_after) {
        tf = cpu->step_after == 1;
        cpu->step_after = 0;
    }
    uint32_t bits = cpu->db_status & 0xfu;
    if (tf)
        bits |= DR6_BS;
    cpu->pending_db = 0;
    cpu->db_status = 0;
    if (!bits)
        return;
    /* B0-B3 report only this event's breakpoints; BS/BD/BT accumulate. */
    cpu->s.dr[6] = (cpu->s.dr[6] & ~0xfu) | bits | DR6_FIXED;
    cpu->insn_rsp = cpu->s.gpr[R_ESP];
    except_deliver(cpu, EXC_DB, EXC_NO_CODE, cpu->s.rip, INT_EXCEPTION_TRAP);
}

void debug_update(struct cpu *cpu)
{
    struct tlb *t = &cpu->tlb;
    t->bp_data = 0;
    for (unsigned n = 0; n < 4; n++) {
        unsigned rw = bp_rw(cpu, n);
        if (bp_enabled(cpu, n) && (rw == 1 || rw == 3)) {
            t->bp_page[n] = (cpu->s.dr[n] & ~(uint64_t)0xfff) | 1u;
            t->bp_data = 1;
        } else {
            t->bp_page[n] = TLB_INVALID;
        }
    }
    /* Refill so the breakpoint pages lose their fast path (or regain it). */
    tlb_flush_all(cpu);
}
