/* One x86 vCPU: its architectural state (cpu->s, the plain-data record of
 * src/cpu/state.h that every engine shares) and the run-time machinery
 * around it (TLB, decode cache, pending events, the board's callbacks),
 * plus the interface every engine (interpreter, later JIT and raw mode)
 * offers the board.
 *
 * Faults: a handler that detects a guest exception calls except_raise(), which
 * records the vector and error code and unwinds (longjmp) to the instruction
 * boundary in cpu_run(). Architectural state must then be as before the
 * instruction, so handlers follow one rule: do every access that can fault
 * (memory reads, then memory writes) before changing registers or flags.
 * Where an instruction cannot be ordered that way (far calls through gates,
 * task switches) the handler saves and restores what it touched.
 */
#ifndef RAWBOX_CPU_CPU_H
#define RAWBOX_CPU_CPU_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpuid.h"
#include "cpu/state.h"

struct physmem;
struct iobus;
struct insn;
struct decode_cache;
struct engine_ops;
struct raw_vcpu;
struct jit_vcpu;

#define TLB_SIZE 1024

/* One software-TLB entry, keyed by linear page (src/cpu/tlb.c). The fast
 * path is one compare of tag[acc] (ACC_READ/WRITE/EXEC) with the page
 * address, then host = lin + addend. A tag is set only when the page is
 * plain RAM/ROM the access may touch directly: MMIO, ROM writes and writes
 * to pages holding decoded code keep tag[ACC_WRITE] invalid and take the
 * slow path (physmem_write), which still uses the cached translation
 * (vpage/paddr/perm) without a page walk. */
struct tlb_entry {
    uint64_t tag[3];        /* linear page | 1, or TLB_INVALID */
    uintptr_t addend;       /* host pointer = lin + addend (RAM/ROM) */
    uint64_t vpage;         /* linear page | 1 of the cached translation */
    uint64_t paddr;         /* physical page address, A20 applied */
    uint8_t perm;           /* 1 << ACC_x allowed (write only once dirty) */
    uint8_t global;
    uint8_t large;          /* from a 2/4 MiB page (INVLPG scans) */
    uint8_t pad[13];        /* 64 bytes: an entry is one cache line */
};

/* Zero is never a valid tag, so a zeroed TLB is an empty one. */
#define TLB_INVALID 0u

struct tlb {
    _Alignas(64) struct tlb_entry e[2][TLB_SIZE];   /* [0] supervisor, [1] user view */
    uint64_t pdpte[4];      /* PAE PDPTE registers, loaded with CR3 */
    uint32_t nfilled;       /* fills since the last full flush */
    uint32_t gen[2];        /* bumped by flushes that may change what the
                             * recompiler's jump cache holds, which
                             * compares them: [0] by every one, [1] by
                             * those that may drop global entries (not
                             * MOV CR3), for entries in global pages */
    uint64_t jc_pages[2][64];   /* [global] bit tlb_page_bit(lin): some
                             * jump-cache entry from a 4 KiB page may lie
                             * in that page; */
    uint64_t jc_regions[2][16]; /* [global] bit tlb_region(lin): ... from a
                             * large page, in that 4 MiB region (an INVLPG
                             * elsewhere keeps the jump cache) */
    uint8_t has_large;      /* some entry came from a large page */
    uint64_t large_regions[16]; /* bit (lin >> 22 & 1023): some entry from a
                             * large page lies in that 4 MiB region */
    uint8_t has_global;     /* some entry is global */
    uint8_t bp_data;        /* some DR0-3 data breakpoint is enabled */
    uint64_t bp_page[4];    /* its linear page | 1 (no fast path there) */
};

/* The jump cache (src/jit/engine.c) holds an entry for lin. */
/* The bitmaps of struct tlb: jc_pages by 4 KiB page (4096 bits, folded
 * so that pages 16 MiB apart seldom share one), jc_regions and
 * large_regions by 4 MiB region (1024 bits). */
static inline unsigned tlb_page_bit(uint64_t lin)
{
    return (unsigned)((lin >> 12) ^ (lin >> 24) ^ (lin >> 36)) & 4095;
}

static inline unsigned tlb_region(uint64_t lin)
{
    return (unsigned)(lin >> 22) & 1023;
}

static inline void tlb_bit_set(uint64_t *map, unsigned k)
{
    map[k / 64] |= 1ull << (k % 64);
}

static inline bool tlb_bit(const uint64_t *map, unsigned k)
{
    return map[k / 64] >> (k % 64) & 1;
}

/* The jump cache takes an entry for lin, translated by e. */
static inline void tlb_note_jc(struct tlb *t, uint64_t lin, const struct tlb_entry *e)
{
    const unsigned g = e->global ? 1 : 0;
    if (e->large)
        tlb_bit_set(t->jc_regions[g], tlb_region(lin));
    else
        tlb_bit_set(t->jc_pages[g], tlb_page_bit(lin));
}

/* Run-time exit reasons of cpu_run(). */
enum cpu_exit {
    CPU_EXIT_NONE = 0,
    CPU_EXIT_SLICE,         /* ran the requested number of instructions */
    CPU_EXIT_HLT,           /* halted, waiting for an interrupt */
    CPU_EXIT_RESET,         /* triple fault or reset request */
    CPU_EXIT_SHUTDOWN,
    CPU_EXIT_STOP,          /* someone asked the loop to stop */
    CPU_EXIT_USER,          /* entered CPL 3 with stop_at_user set (raw mode takes over) */
};

/* What the board wires to the CPU, per vCPU. Each callback gets `opaque`;
 * a NULL callback means "not connected" as documented per field. */
struct cpu_env {
    /* Nanoseconds of the clock the TSC counts (src/cpu/msr.c); NULL: the
     * host's monotonic clock. */
    uint64_t (*tsc_now)(void *opaque);
    /* Each IA32_APIC_BASE write that passed the reserved-bit check (BSP bit
     * already kept): the local APIC moves or hides its page; false makes
     * the WRMSR #GP(0) and leaves the MSR unchanged. NULL: only stored. */
    bool (*apic_base_write)(void *opaque, uint64_t v);
    /* The INTA cycle: returns the vector of the pending interrupt. NULL:
     * INTR is never acknowledged. */
    int (*intr_ack)(void *opaque);
    /* x87 FERR# output (MS-DOS compatibility mode, CR0.NE=0; the board
     * wires it to IRQ13; the IGNNE# input is cpu->ignne, port 0xF0). NULL:
     * not wired, so a pending x87 error never freezes the CPU. */
    void (*ferr)(void *opaque, int level);
    void *opaque;
};

struct cpu {
    /* ---- architectural state (plain data, src/cpu/state.h) ---- */
    struct cpu_state s;

    /* ---- per-instruction execution state ---- */
    /* next_rip and insn_rsp are kept apart: side by side, GCC 12 merges
     * the retire's two stores into one SSE store (SLP vectorisation),
     * which made the chained handlers ~13 % slower (bench/mips.asm). */
    uint64_t next_rip;      /* handlers set this to branch */
    const struct insn *cur; /* instruction being executed */
    uint64_t insn_rsp;      /* RSP at instruction start, for fault rollback */
    uint64_t run_end;       /* icount where this cpu_run() slice ends (exec.c) */
    /* Attention bytes: the interpreter's fast path tests them all with one
     * load of `attn` and leaves it when any is nonzero. */
    union {
        struct {
            volatile uint8_t intr;          /* INTR line level */
            volatile uint8_t nmi_pending;
            volatile uint8_t exit_req;      /* enum cpu_exit: stop/reset request */
            uint8_t halted;
            uint8_t inhibit_irq;    /* interrupt shadow: 1 after STI, 2 after MOV SS / POP SS */
            uint8_t trace;          /* write an instruction trace to trace_file */
            /* The recompiler dropped translated code (a write to a page it
             * was translated from): the running block stops after this
             * instruction. The interpreter only clears it. */
            uint8_t jit_break;
            uint8_t attn_pad;
        };
        volatile uint64_t attn;
    };
    uint8_t exc_depth;      /* nested delivery: 1 = delivering, 2 = #DF */
    uint8_t pending_db;     /* debug trap to deliver after this instruction */
    uint8_t step_after;     /* SYSCALL/SYSRET: single-step by TF as the instruction
                             * leaves it (1 trap, 2 none), not as it found it */
    uint8_t inject_db;      /* another engine ran an instruction with TF set:
                             * cpu_run() delivers its single-step #DB first */
    uint32_t db_status;     /* DR6 bits collected for that trap */
    /* The event except_raise()/except_soft_int() recorded before unwinding
     * (src/cpu/except.c): cpu_run() passes vector and code to except_deliver. */
    uint8_t exc_vector;
    uint8_t exc_kind;       /* 0 = fault, else INT_SOFT/INT_ICEBP/INT_EXCEPTION_TRAP */
    uint8_t exc_ext;        /* delivering a hardware event: EXT bit in codes */
    uint32_t exc_code;
    uint64_t exc_rip;       /* return RIP of a software interrupt */

    /* ---- interrupt inputs (set by the board, never by devices) ---- */
    uint8_t nmi_blocked;    /* until the next IRET */
    uint8_t ferr_level;     /* current FERR# level, kept by src/cpu/x87.c */
    volatile uint8_t ignne;

    /* ---- environment ---- */
    const struct engine_ops *engine;    /* what runs this CPU (engine.h) */
    struct cpu_model model;     /* what CPUID reports (src/cpu/cpuid.h) */
    struct cpu_env env;         /* the board's side of the CPU's pins */
    struct physmem *mem;
    struct iobus *io;
    struct tlb tlb;
    struct decode_cache *dcache;
    struct dpage *fetch_page;   /* decode-cache page of the last fetch */
    struct insn *scratch;       /* record for code that cannot be cached */
    jmp_buf fault_jmp;      /* except_raise() unwinds to here */
    uint64_t icount;        /* instructions retired */

    /* ---- what another engine hooks (src/raw/engine.c) ---- */
    uint8_t stop_at_user;   /* cpu_run() returns CPU_EXIT_USER on entering CPL 3 */
    /* Called on every TLB flush, with what it was for (enum tlb_flush). */
    void (*tlb_flushed)(void *opaque, uint64_t lin, int why);
    void *tlb_opaque;
    /* Called when a tlb.gen word wraps to 0 (the recompiler empties what
     * holds generations, lest an old value match again). */
    void (*gen_wrapped)(struct cpu *cpu);
    /* Host ns per instruction, 16.16, as measured by the clock that paces
     * this vCPU (its base rate; set by the run loop; NULL or 0: 1 ns each):
     * engines that run guest code natively turn host time into
     * instructions with it. Not the steered rate: native time counted at
     * that rate would feed the pacer its own steering back (the rate fell
     * to the clock's minimum, and native runs to microseconds). */
    const uint64_t *pace_q16;
    struct raw_vcpu *raw;   /* raw mode's per-vCPU state, or NULL */
    struct jit_vcpu *jit;   /* the recompiler's per-vCPU state, or NULL */
    /* The attention bits a translated block stops for (src/jit/): all of
     * them but INTR while IF is clear and NMI while blocked, so an event
     * the guest masks does not end every block after one instruction. */
    uint64_t jit_attn_mask;
    /* The icount a translated block may not run past (the run's end):
     * chained blocks check it at entry. */
    uint64_t jit_end;
    /* The host stack of translated code (src/jit/translate.c, the
     * return-address stack): where the enter trampoline left RSP, below
     * which guest CALLs push host frames, and the lowest RSP they may
     * reach before starting over from the base. */
    uint64_t jit_ras_base, jit_ras_min;
    /* Set by a block exit that can be chained: the exec address of its
     * jump's rel32, which the recompiler points at the next block. */
    const void *jit_exit_site;
    /* ... and that exit's target lies in another page: the jump sits
     * behind a TLB generation check (src/jit/translate.c emit_chain_exit). */
    uint8_t jit_exit_checked;
    /* Set by a block that left before an instruction it will not run (a
     * branch to a non-canonical address): the interpreter runs it next. */
    uint8_t jit_interp_next;
    /* The host's MXCSR outside translated code: blocks that hold the
     * guest's MXCSR in the host register put this one back before any
     * call and at every exit. */
    uint32_t jit_host_mxcsr;
    /* Where translated code builds and takes apart the FRSTOR/FNSAVE
     * image of the guest's x87 state (src/jit/x87.c). */
    uint8_t jit_x87_img[108];
    /* cpu_run() returns at the first taken branch (or event) after at
     * least one instruction: the recompiler interprets cold code up to
     * where a block could start. */
    uint8_t stop_at_branch;
    uint8_t a20_dummy;
    void *trace_file;
};

/* Register access by ModRM number. 8-bit numbers 4..7 are AH CH DH BH,
 * 0..3 and 8..15 the low bytes of those registers, and 20..23 SPL BPL SIL
 * DIL (what the decoder gives 4..7 when a REX prefix is present). */
#define REG8_REX 16
static inline uint8_t reg8(const struct cpu *cpu, unsigned n)
{
    return (n & ~3u) == 4 ? (uint8_t)(cpu->s.gpr[n - 4] >> 8) : (uint8_t)cpu->s.gpr[n & 15];
}
static inline void set_reg8(struct cpu *cpu, unsigned n, uint8_t v)
{
    if ((n & ~3u) != 4)
        cpu->s.gpr[n & 15] = (cpu->s.gpr[n & 15] & ~(uint64_t)0xff) | v;
    else
        cpu->s.gpr[n - 4] = (cpu->s.gpr[n - 4] & ~(uint64_t)0xff00) | ((uint64_t)v << 8);
}
static inline uint16_t reg16(const struct cpu *cpu, unsigned n) { return (uint16_t)cpu->s.gpr[n]; }
static inline void set_reg16(struct cpu *cpu, unsigned n, uint16_t v)
{
    cpu->s.gpr[n] = (cpu->s.gpr[n] & ~(uint64_t)0xffff) | v;
}
/* A 4-byte load of the low half (x86 hosts are little-endian, see x87.h):
 * a 32-bit value comes out zero-extended for free, so storing it into the
 * 64-bit lazy-flag fields costs no extra instruction. */
static inline uint32_t reg32(const struct cpu *cpu, unsigned n)
{
    uint32_t v;
    __builtin_memcpy(&v, &cpu->s.gpr[n], 4);
    return v;
}
/* Outside long mode the upper half is invisible; writing it as zero matches
 * what a later switch to long mode would show on real hardware. */
static inline void set_reg32(struct cpu *cpu, unsigned n, uint32_t v) { cpu->s.gpr[n] = v; }

static inline uint64_t reg64(const struct cpu *cpu, unsigned n) { return cpu->s.gpr[n]; }
static inline void set_reg64(struct cpu *cpu, unsigned n, uint64_t v) { cpu->s.gpr[n] = v; }

/* Read/write a register of `size` bytes (1, 2, 4, 8). A 32-bit write
 * zeroes bits 63:32, 8/16-bit writes keep them (SDM vol. 1 3.4.1.1). */
static inline uint64_t reg_get(const struct cpu *cpu, unsigned n, unsigned size)
{
    return size == 1 ? reg8(cpu, n) : size == 2 ? reg16(cpu, n) :
           size == 4 ? reg32(cpu, n) : reg64(cpu, n);
}
static inline void reg_set(struct cpu *cpu, unsigned n, unsigned size, uint64_t v)
{
    if (size == 1) set_reg8(cpu, n, (uint8_t)v);
    else if (size == 2) set_reg16(cpu, n, (uint16_t)v);
    else if (size == 4) set_reg32(cpu, n, (uint32_t)v);
    else set_reg64(cpu, n, v);
}

#define EIP(cpu) ((uint32_t)(cpu)->s.rip)

/* ---- lifecycle (src/cpu/cpu.c) ---- */
void cpu_init(struct cpu *cpu, struct physmem *mem, struct iobus *io);
void cpu_reset(struct cpu *cpu);        /* power-on/RESET state, F000:FFF0 */
void cpu_free(struct cpu *cpu);
void cpu_update_mode(struct cpu *cpu);  /* after CR0, EFLAGS.VM or CS change */

/* Run until `max_insns` instructions retire, the CPU halts, or a stop/reset
 * is requested. Returns why it stopped. */
enum cpu_exit cpu_run(struct cpu *cpu, uint64_t max_insns);
/* What cpu_run() does when a handler unwound to its setjmp (a fault or a
 * software interrupt recorded by except_raise): roll back and deliver the
 * event. Another engine that calls handlers under its own setjmp on
 * cpu->fault_jmp calls it there. May unwind again (a #DB after INT n). */
void cpu_unwound(struct cpu *cpu);

/* Board-side inputs. */
void cpu_set_intr(struct cpu *cpu, int level);
void cpu_raise_nmi(struct cpu *cpu);
void cpu_request_exit(struct cpu *cpu, enum cpu_exit why);

/* CPL or mode just changed: stop at the next boundary if another engine
 * wants user mode (stop_at_user). Never overrides a pending request. */
static inline void cpu_note_cpl(struct cpu *cpu)
{
    if (cpu->stop_at_user && cpu->s.cpl == 3 && cpu->exit_req == CPU_EXIT_NONE)
        cpu->exit_req = CPU_EXIT_USER;
}

#endif
