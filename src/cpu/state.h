/* The architectural state of one x86 vCPU as plain data: what the
 * interpreter, the JIT and raw mode all share, and what the "cpu" save-state
 * section holds. Nothing here points anywhere, so the record can be copied
 * (snapshots, a host ucontext for raw mode) and compared.
 *
 * Widths are those of long mode (AMD APM vol. 2, SDM vol. 1 ch. 3): 16
 * general registers, RIP and RFLAGS of 64 bits; 16/32-bit code only sees the
 * low halves. Run-time machinery (TLB, decode cache, the unwinding jmp_buf,
 * the board's callbacks, counters) lives beside it in struct cpu (cpu.h). */
#ifndef RAWBOX_CPU_STATE_H
#define RAWBOX_CPU_STATE_H

#include <stdint.h>

#include "cpu/xmm.h"

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
#define CR4_OSXSAVE 0x00040000u

/* XCR0 (XFEATURE_ENABLED_MASK, SDM vol. 1 13.3): the state components
 * XSAVE/XRSTOR manage; rawbox has the x87 (bit 0, always set) and SSE. */
#define XCR0_X87 0x1u
#define XCR0_SSE 0x2u
#define XCR0_SUPPORTED (XCR0_X87 | XCR0_SSE)

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
 * flags.h; op == 0 means the arithmetic flags in rflags are current. */
struct lazyflags {
    uint64_t res;
    uint64_t src1;
    uint64_t src2;
    uint8_t op;
    uint8_t size;       /* operand size in bytes: 1, 2, 4 or 8 */
    uint16_t pad;
};

/* An 80-bit x87 register image split into its fields (SDM vol. 1 4.2.2):
 * the host's long double appears only inside the x87 implementation
 * (src/cpu/x87*.c), which converts at its edges. */
struct f80 {
    uint64_t mant;      /* explicit integer bit in bit 63 */
    uint16_t se;        /* sign in bit 15, biased exponent in 0..14 */
};

/* x87 state (src/cpu/x87.c): registers as 80-bit images in physical
 * register order. */
struct x87 {
    struct f80 st[8];
    uint16_t cw;
    uint16_t sw;        /* TOP lives in bits 11..13 */
    uint16_t tw;        /* full 2-bit tag word, physical order */
    uint16_t fop;
    uint64_t fip, fdp;  /* 64-bit RIP/offset in 64-bit mode (FXSAVE64) */
    uint16_t fcs, fds;
};

/* CPU operating mode (SDM vol. 3A 2.2, AMD APM vol. 2 1.2), recomputed by
 * cpu_update_mode() after CR0/EFLAGS/CS changes: real, virtual-8086, 16/32-bit
 * protected (by CS.D), and with EFER.LMA compatibility mode (CS.L clear,
 * 16/32-bit by CS.D) or 64-bit mode (CS.L set). */
enum cpu_mode {
    MODE_REAL, MODE_V86, MODE_PROT16, MODE_PROT32,
    MODE_COMPAT16, MODE_COMPAT32, MODE_LONG64
};

/* Protected mode with paging-capable segmentation: not real, not V86. */
static inline int mode_is_prot(enum cpu_mode m) { return m >= MODE_PROT16; }

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
    /* Long mode (AMD APM vol. 2 6.1.1, SDM vol. 3 5.8.8; src/cpu/efer.c).
     * The FS_BASE/GS_BASE MSRs are seg[SEG_FS/GS].base: fs_base and
     * gs_base here are unused. */
    uint64_t star, lstar, cstar, fmask;
    uint64_t fs_base, gs_base, kernel_gs_base;
    uint64_t tsc_aux;
};

struct cpu;
struct savestate;

/* The "cpu" save-state section (src/cpu/state.c): every field of struct
 * cpu_state by name, plus the architectural event state of struct cpu.
 * Load checks ranges and register rules and changes nothing on error
 * (0, or -1 with ss_error() naming the field). */
void cpu_state_save(struct cpu *cpu, struct savestate *ss);
int cpu_state_load(struct cpu *cpu, struct savestate *ss);

struct cpu_state {
    uint64_t gpr[16];
    uint64_t rip;
    uint64_t rflags;        /* OSZAPC valid only when lf.op == 0 */
    struct lazyflags lf;
    struct seg seg[SEG_ALL];    /* ES CS SS DS FS GS LDTR TR */
    struct dtr gdtr, idtr;
    uint64_t cr0, cr2, cr3, cr4;
    uint64_t cr8;           /* task priority (long mode); storage only */
    uint64_t efer;
    uint64_t dr[8];
    struct msrs msr;
    uint64_t tsc_offset;
    struct x87 fpu;
    union xmm xmm[16];
    uint32_t mxcsr;         /* MXCSR_RESET after power-on */
    uint64_t xcr0;          /* XCR0_X87 after power-on (XSETBV, src/cpu/sse_state.c) */

    /* ---- mode facts, recomputed by cpu_update_mode() ---- */
    enum cpu_mode mode;
    uint8_t cpl;
    uint8_t code_size;      /* default operand/address size: 2, 4 (CS.D) or 8 */
    uint8_t stack_size;     /* stack pointer SP, ESP or RSP: 2, 4 (SS.B) or 8 */
};

#endif
