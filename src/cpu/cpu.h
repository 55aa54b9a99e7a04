/* The architectural state of one x86 vCPU and the interface every engine
 * (interpreter, later JIT and raw mode) shares.
 *
 * The register file is one plain struct so raw mode can copy it to and from a
 * host ucontext. General registers are 64 bits wide so long mode can be added
 * without changing the layout; 16/32-bit code only sees the low halves.
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

struct physmem;
struct iobus;
struct insn;
struct decode_cache;

/* General register numbers, in ModRM order. */
enum { R_EAX, R_ECX, R_EDX, R_EBX, R_ESP, R_EBP, R_ESI, R_EDI };

/* Segment register numbers, in the order of the sreg field of MOV Sw. */
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_COUNT,
       SEG_LDTR = SEG_COUNT, SEG_TR, SEG_ALL };

/* EFLAGS bits. */
#define FL_CF   0x00000001u
#define FL_PF   0x00000004u
#define FL_AF   0x00000010u
#define FL_ZF   0x00000040u
#define FL_SF   0x00000080u
#define FL_TF   0x00000100u
#define FL_IF   0x00000200u
#define FL_DF   0x00000400u
#define FL_OF   0x00000800u
#define FL_IOPL 0x00003000u
#define FL_NT   0x00004000u
#define FL_RF   0x00010000u
#define FL_VM   0x00020000u
#define FL_AC   0x00040000u
#define FL_VIF  0x00080000u
#define FL_VIP  0x00100000u
#define FL_ID   0x00200000u
#define FL_ARITH (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)
#define FL_IOPL_SHIFT 12

/* Control register bits. */
#define CR0_PE 0x00000001u
#define CR0_MP 0x00000002u
#define CR0_EM 0x00000004u
#define CR0_TS 0x00000008u
#define CR0_ET 0x00000010u
#define CR0_NE 0x00000020u
#define CR0_WP 0x00010000u
#define CR0_AM 0x00040000u
#define CR0_NW 0x20000000u
#define CR0_CD 0x40000000u
#define CR0_PG 0x80000000u

#define CR4_VME 0x00000001u
#define CR4_PVI 0x00000002u
#define CR4_TSD 0x00000004u
#define CR4_DE  0x00000008u
#define CR4_PSE 0x00000010u
#define CR4_PAE 0x00000020u
#define CR4_MCE 0x00000040u
#define CR4_PGE 0x00000080u
#define CR4_PCE 0x00000100u
#define CR4_OSFXSR 0x00000200u
#define CR4_OSXMMEXCPT 0x00000400u

/* Exception vectors. */
enum {
    EXC_DE = 0, EXC_DB = 1, EXC_NMI = 2, EXC_BP = 3, EXC_OF = 4, EXC_BR = 5,
    EXC_UD = 6, EXC_NM = 7, EXC_DF = 8, EXC_TS = 10, EXC_NP = 11,
    EXC_SS = 12, EXC_GP = 13, EXC_PF = 14, EXC_MF = 16, EXC_AC = 17,
    EXC_MC = 18, EXC_XM = 19,
};

/* Page-fault error code bits. */
#define PF_P    0x01u
#define PF_W    0x02u
#define PF_U    0x04u
#define PF_RSVD 0x08u
#define PF_I    0x10u

/* A segment register with its hidden descriptor cache. The cache keeps
 * whatever was last loaded, as real hardware does, which is what makes
 * unreal mode work. `attr` holds descriptor bits 40..55: type (4 bits), S,
 * DPL (2), P, then limit 16..19 (ignored here), AVL, L, D/B, G. */
struct seg {
    uint16_t sel;
    uint16_t attr;
    uint32_t limit;     /* byte-granular limit, G already applied */
    uint64_t base;
};

#define SEGA_TYPE(a)  ((a) & 0xf)
#define SEGA_S        0x0010u   /* code/data (1) or system (0) */
#define SEGA_DPL(a)   (((a) >> 5) & 3)
#define SEGA_P        0x0080u
#define SEGA_AVL      0x1000u
#define SEGA_L        0x2000u
#define SEGA_DB       0x4000u
#define SEGA_G        0x8000u

struct dtr {
    uint64_t base;
    uint32_t limit;
};

/* Lazy flags: the last flag-setting operation is remembered and OSZAPC are
 * computed only when read (src/cpu/flags.c). `op` is an enum lazy_op from
 * flags.h; op == 0 means the arithmetic flags in cpu->eflags are current. */
struct lazyflags {
    uint32_t res;
    uint32_t src1;
    uint32_t src2;
    uint8_t op;
    uint8_t size;       /* operand size in bytes: 1, 2 or 4 */
    uint16_t pad;
};

/* x87 state (src/cpu/x87.c). Registers are kept as host long double (80-bit
 * extended on x86-64 hosts) in physical register order. */
struct x87 {
    long double st[8];
    uint16_t cw;
    uint16_t sw;        /* TOP lives in bits 11..13 */
    uint16_t tw;        /* full 2-bit tag word, physical order */
    uint16_t fop;
    uint32_t fip, fdp;
    uint16_t fcs, fds;
};

/* CPU mode, recomputed by cpu_update_mode() after CR0/EFLAGS/CS changes. */
enum cpu_mode { MODE_REAL, MODE_PROT, MODE_V86 };

/* MSRs the CPU implements (src/cpu/msr.c). */
struct msrs {
    uint32_t sysenter_cs;
    uint64_t sysenter_esp;
    uint64_t sysenter_eip;
    uint64_t apic_base;
    uint64_t pat;
    uint64_t mtrr_def_type;
    uint64_t mtrr_fixed[11];
    uint64_t mtrr_var[16];
    uint64_t misc_enable;
    uint64_t perfevtsel[2];     /* P6 PerfEvtSel0/1 (src/cpu/msr.c) */
    uint64_t perfctr[2];        /* PerfCtr0/1 (40 bits) as of perfctr_ic */
    uint64_t perfctr_ic[2];     /* icount when perfctr[] was brought up to date */
    uint64_t mcg_status;        /* machine-check global status and control */
    uint64_t mcg_ctl;
    uint64_t mc_ctl[5];         /* MCi_CTL of the five P6 error-reporting banks */
};

#define TLB_SIZE 256

/* One software-TLB entry, keyed by linear page (src/cpu/tlb.c). The fast
 * path is one compare of tag[acc] (ACC_READ/WRITE/EXEC) with the page
 * address, then host = lin + addend. A tag is set only when the page is
 * plain RAM/ROM the access may touch directly: MMIO, ROM writes and writes
 * to pages holding decoded code keep tag[ACC_WRITE] invalid and take the
 * slow path (physmem_write), which still uses the cached translation
 * (vpage/paddr/perm) without a page walk. */
struct tlb_entry {
    uint32_t tag[3];        /* linear page | 1, or TLB_INVALID */
    uint32_t vpage;         /* linear page | 1 of the cached translation */
    uintptr_t addend;       /* host pointer = lin + addend (RAM/ROM) */
    uint64_t paddr;         /* physical page address, A20 applied */
    uint8_t perm;           /* 1 << ACC_x allowed (write only once dirty) */
    uint8_t global;
    uint8_t large;          /* from a 2/4 MiB page (INVLPG scans) */
    uint8_t pad[5];
};

/* Zero is never a valid tag, so a zeroed TLB is an empty one. */
#define TLB_INVALID 0u

struct tlb {
    struct tlb_entry e[2][TLB_SIZE];    /* [0] supervisor, [1] user view */
    uint64_t pdpte[4];      /* PAE PDPTE registers, loaded with CR3 */
    uint32_t nfilled;       /* fills since the last full flush */
    uint8_t has_large;      /* some entry came from a large page */
    uint8_t has_global;     /* some entry is global */
    uint8_t bp_data;        /* some DR0-3 data breakpoint is enabled */
    uint32_t bp_page[4];    /* its linear page | 1 (no fast path there) */
};

/* Run-time exit reasons of cpu_run(). */
enum cpu_exit {
    CPU_EXIT_NONE = 0,
    CPU_EXIT_SLICE,         /* ran the requested number of instructions */
    CPU_EXIT_HLT,           /* halted, waiting for an interrupt */
    CPU_EXIT_RESET,         /* triple fault or reset request */
    CPU_EXIT_SHUTDOWN,
    CPU_EXIT_STOP,          /* someone asked the loop to stop */
};

struct cpu {
    /* ---- register file (plain data; raw mode copies it) ---- */
    uint64_t gpr[16];
    uint64_t rip;
    uint32_t eflags;        /* OSZAPC valid only when lf.op == 0 */
    struct lazyflags lf;
    struct seg seg[SEG_ALL];    /* ES CS SS DS FS GS LDTR TR */
    struct dtr gdtr, idtr;
    uint32_t cr0, cr2, cr3, cr4;
    uint64_t efer;
    uint32_t dr[8];
    struct msrs msr;
    uint64_t tsc_offset;
    struct x87 fpu;

    /* ---- cached mode facts ---- */
    enum cpu_mode mode;
    uint8_t cpl;
    uint8_t code32;         /* CS.D: default operand/address size 32 */
    uint8_t stack32;        /* SS.B: stack pointer is ESP, not SP */

    /* ---- per-instruction execution state ---- */
    uint32_t next_eip;      /* handlers set this to branch */
    uint32_t insn_esp;      /* ESP at instruction start, for fault rollback */
    const struct insn *cur; /* instruction being executed */
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
            uint8_t attn_pad[2];
        };
        volatile uint64_t attn;
    };
    uint8_t exc_depth;      /* nested delivery: 1 = delivering, 2 = #DF */
    uint8_t pending_db;     /* debug trap to deliver after this instruction */
    uint32_t db_status;     /* DR6 bits collected for that trap */
    /* The event except_raise()/except_soft_int() recorded before unwinding
     * (src/cpu/except.c): cpu_run() passes vector and code to except_deliver. */
    uint8_t exc_vector;
    uint8_t exc_kind;       /* 0 = fault, else INT_SOFT/INT_ICEBP/INT_EXCEPTION_TRAP */
    uint8_t exc_ext;        /* delivering a hardware event: EXT bit in codes */
    uint32_t exc_code;
    uint32_t exc_eip;       /* return EIP of a software interrupt */

    /* ---- interrupt inputs (set by the board, never by devices) ---- */
    uint8_t nmi_blocked;    /* until the next IRET */
    void *intr_opaque;
    int (*intr_ack)(void *opaque);  /* returns the vector, as an INTA cycle */
    /* x87 FERR# output (MS-DOS compatibility mode, CR0.NE=0; the board wires
     * it to IRQ13) and the IGNNE# input the board drives (port 0xF0). */
    void (*ferr)(void *opaque, int level);
    void *ferr_opaque;
    uint8_t ferr_level;     /* current FERR# level, kept by src/cpu/x87.c */
    volatile uint8_t ignne;

    /* ---- environment ---- */
    struct physmem *mem;
    struct iobus *io;
    struct tlb tlb;
    struct decode_cache *dcache;
    struct dpage *fetch_page;   /* decode-cache page of the last fetch */
    struct insn *scratch;       /* record for code that cannot be cached */
    jmp_buf fault_jmp;      /* except_raise() unwinds to here */
    uint64_t icount;        /* instructions retired */
    uint8_t a20_dummy;
    void *trace_file;
};

/* Register access by ModRM number. 8-bit numbers 4..7 are AH CH DH BH. */
static inline uint8_t reg8(const struct cpu *cpu, unsigned n)
{
    return n < 4 ? (uint8_t)cpu->gpr[n] : (uint8_t)(cpu->gpr[n - 4] >> 8);
}
static inline void set_reg8(struct cpu *cpu, unsigned n, uint8_t v)
{
    if (n < 4)
        cpu->gpr[n] = (cpu->gpr[n] & ~(uint64_t)0xff) | v;
    else
        cpu->gpr[n - 4] = (cpu->gpr[n - 4] & ~(uint64_t)0xff00) | ((uint64_t)v << 8);
}
static inline uint16_t reg16(const struct cpu *cpu, unsigned n) { return (uint16_t)cpu->gpr[n]; }
static inline void set_reg16(struct cpu *cpu, unsigned n, uint16_t v)
{
    cpu->gpr[n] = (cpu->gpr[n] & ~(uint64_t)0xffff) | v;
}
static inline uint32_t reg32(const struct cpu *cpu, unsigned n) { return (uint32_t)cpu->gpr[n]; }
/* Outside long mode the upper half is invisible; writing it as zero matches
 * what a later switch to long mode would show on real hardware. */
static inline void set_reg32(struct cpu *cpu, unsigned n, uint32_t v) { cpu->gpr[n] = v; }

/* Read/write a register of `size` bytes (1, 2, 4). */
static inline uint32_t reg_get(const struct cpu *cpu, unsigned n, unsigned size)
{
    return size == 1 ? reg8(cpu, n) : size == 2 ? reg16(cpu, n) : reg32(cpu, n);
}
static inline void reg_set(struct cpu *cpu, unsigned n, unsigned size, uint32_t v)
{
    if (size == 1) set_reg8(cpu, n, (uint8_t)v);
    else if (size == 2) set_reg16(cpu, n, (uint16_t)v);
    else set_reg32(cpu, n, v);
}

#define EIP(cpu) ((uint32_t)(cpu)->rip)

/* ---- lifecycle (src/cpu/cpu.c) ---- */
void cpu_init(struct cpu *cpu, struct physmem *mem, struct iobus *io);
void cpu_reset(struct cpu *cpu);        /* power-on/RESET state, F000:FFF0 */
void cpu_free(struct cpu *cpu);
void cpu_update_mode(struct cpu *cpu);  /* after CR0, EFLAGS.VM or CS change */

/* Run until `max_insns` instructions retire, the CPU halts, or a stop/reset
 * is requested. Returns why it stopped. */
enum cpu_exit cpu_run(struct cpu *cpu, uint64_t max_insns);

/* Board-side inputs. */
void cpu_set_intr(struct cpu *cpu, int level);
void cpu_raise_nmi(struct cpu *cpu);
void cpu_request_exit(struct cpu *cpu, enum cpu_exit why);

#endif
