/* Differential test of the interpreter against the host CPU (DESIGN.md,
 * "Testing layers" item 3).
 *
 * Random instruction sequences (1..20 instructions plus set-ups) are
 * generated as machine code and run twice: natively, inside this x86-64
 * process (64-bit user mode), and in rawbox in 32-bit flat protected mode at
 * CPL 0, half of the sequences with paging on. The generator only emits
 * instructions whose 8/16/32-bit forms mean the same in 64-bit mode as in
 * 32-bit protected mode: no 40-4F (REX), 63 (MOVSXD), 82, BCD, PUSH/POP,
 * far transfers, segment loads, moffs MOVs, 66-prefixed branches, F2/F3
 * before 0F opcodes, FS/GS/CS overrides, or address-size prefixes (67
 * selects 16-bit addressing in 32-bit code but 32-bit addressing in 64-bit
 * code). ModRM mod=00 rm=101 (RIP-relative in 64-bit mode) is never
 * emitted; an absolute address uses the SIB form (base=101, no index).
 *
 * Covered: MOV, XLAT, NOPs, the ALU group in every form, TEST, INC/DEC
 * (FE/FF), NOT/NEG, MUL/IMUL (all forms), DIV/IDIV, shifts and rotates with
 * every count, SHLD/SHRD, BT/BTS/BTR/BTC (register and immediate offsets,
 * memory bit strings), BSF/BSR, BSWAP, MOVZX/MOVSX, CMOVcc, SETcc, XCHG,
 * XADD, CMPXCHG, CMPXCHG8B, LEA in every addressing form, CBW/CWDE/CWD/CDQ,
 * CLC/STC/CMC/CLD/STD, LAHF/SAHF (when the host has them in 64-bit mode),
 * string instructions with and without REP/REPE/REPNE (overlapping MOVS
 * included), forward Jcc/JMP/LOOP/LOOPcc/JECXZ, LOCK (valid, and invalid:
 * #UD), redundant prefixes up to and past 15 bytes (#GP), and stores into
 * the instruction stream (the code sits at the same address on both sides).
 *
 * After the sequence EAX..EDI (ESP is not used: it is the host stack
 * pointer; the host side loads and stores all 16 registers at 64 bits),
 * OF SF ZF AF PF CF, DF and two scratch ranges are compared. The
 * scratch mapping sits at the same address (0x10000000) in the host process
 * and in the guest, and memory operands always point into it: each one is
 * preceded by MOVs that load its base and index registers, so the 64-bit
 * host computes the same address (registers hold zero-extended 32-bit
 * values and no address wraps). A quarter of the operands straddle a page
 * boundary; with paging the two pages are not physically adjacent.
 *
 * Undefined flags. The generator tracks which arithmetic flags the SDM
 * (vol. 2 instruction pages, vol. 1 appendix A) calls undefined after each
 * instruction; those are masked in the comparison, and before an
 * instruction that reads an undefined flag (ADC, SBB, RCL, RCR, CMC,
 * SETcc, CMOVcc, LAHF, Jcc, LOOPcc) a CMP is inserted to define all six
 * again. Counts of shifts by CL are loaded just before the shift (MOV CL,
 * imm8) so the generator knows them. The host here is AMD (Zen), which
 * differs from the P6 choices rawbox makes (src/cpu/flags.c table) in
 * exactly such flags (DIFF_NOMASK=1 shows them). Undefined results are
 * avoided: 16-bit SHLD/SHRD with a count above 16 and 16-bit BSWAP are not
 * generated.
 *
 * Faults: #DE (DIV/IDIV), #UD (misplaced LOCK), #GP (over 15 bytes) and,
 * with paging, #PF on a page that is absent or read-only on both sides
 * (CR0.WP set in the guest). Natively they arrive as SIGFPE/SIGILL/SIGSEGV;
 * the handler records registers, flags, vector, error code and CR2 from the
 * signal context and unwinds. In rawbox the IDT sends every vector to a HLT
 * of its own, so the vector, and from the stack frame the faulting EIP,
 * EFLAGS and error code, are known. They must agree (CR2 and the W bit of
 * the error code too), and so must the state at the fault: registers as
 * before the instruction or, for REP string instructions, after the
 * iterations done; memory without partial stores.
 *
 * Without DIFF_MODE (`make check`) two fixed-seed slices run: DIFF_N
 * random instructions in 32-bit mode, then DIFF_N/2 in 64-bit mode with
 * every class below (CMPXCHG16B only if rawbox's "max" model claims CX16),
 * both with the SIMD sequences (DIFF_SIMD=0 leaves them out; a host without
 * SSE4.2 runs without them and says so).
 * DIFF_MODE=32 or 64 runs one mode only.
 *
 * 64-bit mode (DIFF_MODE=64):
 * rawbox runs the sequences in 64-bit mode (EFER.LME/LMA, CR4.PAE, 4-level
 * page tables with the same page permutation and fault page as above, a
 * CS with L=1, an IDT of 16-byte gates), and the generator adds to the
 * classes above, which mean the same in 64-bit mode, the REX forms: REX.W
 * operand size, r8-r15 and SPL..DIL, MOV r64, imm64, MOVSXD, CDQE/CQO,
 * 64-bit MUL/IMUL/DIV/IDIV, shifts and rotates with 6-bit counts, BSWAP,
 * XCHG, XADD, CMPXCHG, BSF/BSR, RIP-relative operands (the code sits at
 * the same address on both sides) and CMPXCHG16B (aligned, and misaligned
 * for #GP). All 16 registers (RSP aside) are compared at full width;
 * registers start with random 64-bit values. Without a 64-bit mode in
 * rawbox the run fails at the set-up with the reason.
 *
 * SIMD (DIFF_SIMD=1; on in the `make check` slices):
 * a third of the instructions (in 64-bit mode three in sixteen) come from
 * a table of SSE, SSE2, SSE3, SSSE3, SSE4.1 and SSE4.2 forms plus CRC32
 * and POPCNT, on XMM registers, GPRs and memory (see gen_sse). XMM
 * registers start with FP edge cases, MXCSR with random rounding, DAZ, FZ,
 * flags and sometimes unmasked exceptions (#XM: SIGFPE with trapno 19
 * natively; CR4.OSXMMEXCPT is set in the guest). The host side loads and
 * stores XMM0-15 and MXCSR around the sequence (from the signal context's
 * FXSAVE image at a fault), and XMM registers and MXCSR are compared.
 * MMX: the NP (mm) forms of 0F 60-6B, 6E/6F/7E/7F, 70, the shifts by
 * imm8 (71-73), 74-76, D1-D5, D7, D8-DF, E0-E5, E8-EF, F1-F6, F8-FE,
 * C4/C5, EMMS now and then, and the SSSE3 mm forms (0F 38 00-0B/1C-1E,
 * 0F 3A 0F) on mm registers, GPRs and m64 (see gen_mmx). Every run starts
 * with MM0-7 loaded by MOVQ in the host prologue (random values with
 * DIFF_SIMD, else zero; TOP 0, all tags valid), the same state set
 * directly in rawbox; the host takes an FXSAVE after the sequence (the
 * signal context's fpregs at a fault) and EMMS, and MM0-7 (bits 63:0 of
 * R0-R7), the abridged tag word and FSW.TOP are compared.
 *
 * Coverage: every executed instruction is decoded again and its row in the
 * opcode table (optable.def) marked; the run ends with "rows covered: N of
 * M" and, with DIFF_UNCOVERED=1, one line per row never executed, labelled
 * by map, opcode, group slot and mandatory prefix or mode.
 *
 * Environment: DIFF_N or DIFF_COUNT = number of random instructions
 * (default 200000, not counting the MOV/CMP set-up instructions; `make
 * check` runs this fixed-seed default), DIFF_SEED = generator seed,
 * DIFF_SHOW = number of failing sequences printed in full (default 5),
 * DIFF_MAXLEN = longest sequence (1..20, default 20),
 * DIFF_MODE=64 runs the 64-bit mode described above (DIFF_REX=0: without
 * the REX classes, only the encodings shared with 32-bit code), DIFF_SIMD=1 adds
 * the SIMD instructions (DIFF_SIMD_OPS="1:58,2:00" only those map:opcode pairs,
 * hex, every prefix; pairs the generator lacks are ignored),
 * DIFF_NOMASK=1 compares undefined flags too (to see where host and rawbox
 * choose differently; such failures are expected), DIFF_UNCOVERED=1 lists
 * the rows not covered.
 *
 * A campaign: DIFF_SEED=$RANDOM DIFF_COUNT=100000000 nice -n 5
 * build/release/unit/cpu/diff_test (about 25 million random instructions
 * a minute on one core here); several seeds in parallel add up. */
#include "test.h"

#if !defined(__x86_64__) || !defined(__linux__)
int main(void)
{
    printf("info diff_test runs native code: needs an x86-64 Linux host, skipped\n");
    return test_summary();
}
#else

#include <cpuid.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/mmu.h"
#include "cpu/optable.h"
#include "cpu/seg.h"
#include "jit/jit.h"
#include "jit/vcpu.h"
#include "mem/iobus.h"
#include "mem/physmem.h"

/* ---- layout ---- */

#define SCR_WANT    0x10000000u     /* preferred scratch address (both sides) */
#define SCR_MAP     0x10000u        /* mapped size */
#define WIN_OFF     0xe00u          /* compared window: crosses a page boundary */
#define SCR_SIZE    1024u           /* compared bytes */
#define TAIL_OFF    0x1e00u         /* second compared range: the page end */
#define TAIL_SIZE   0x200u          /* before the fault page */
#define FAULT_OFF   0x2000u         /* page absent or read-only in the guest
                                     * (paging on, CR0.WP set) and PROT_NONE or
                                     * PROT_READ in the host */
#define MEM_SIZE    (SCR_SIZE + TAIL_SIZE)
#define HSTATE_OFF  0x3000u         /* host register block inside the mapping */
#define CODE_OFF    0x6000u         /* the code crosses this page boundary */
#define GDT_GPA     0x500u
#define IDT_GPA     0x800u
#define HANDLER_GPA 0x7000u         /* vector v: HLT at HANDLER_GPA + v */
#define STACK_GPA   0x9000u
#define LOW_RAM     0x100000u

static uint32_t scr;                /* scratch mapping, same address on both sides */
static bool long64;                 /* DIFF_MODE=64: rawbox runs in 64-bit mode */
static bool use_jit;                 /* the recompiler runs the sequences (jit_run) */
#define NGPR (long64 ? 16u : 8u)    /* registers compared */
#define CODE_SIZE (long64 ? 8u : 4u) /* for decode_bytes */
static uint32_t win;                /* compared window, scr + WIN_OFF */
static uint32_t code_lin;           /* where the sequence starts, both sides */

/* ---- random numbers (xorshift64*) ---- */

static uint64_t rng_state;

static uint32_t rnd32(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

static unsigned rnd(unsigned n)
{
    return (unsigned)(((uint64_t)rnd32() * n) >> 32);
}

/* A register or immediate value biased toward edge cases. */
static uint32_t rnd_val(void)
{
    static const uint32_t edge[] = {
        0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000,
        0x7fffffff, 0x80000000u, 0xffffffffu, 0xfffffffeu, 0xff80, 0xffffff80u,
    };
    switch (rnd(10)) {
    case 0: return edge[rnd(sizeof edge / sizeof edge[0])];
    case 1: return rnd(32);
    case 2: return 0xffffffffu - rnd(32);
    case 3: return rnd32() & 0xff;
    case 4: return rnd32() & 0xffff;
    default: return rnd32();
    }
}

/* A shift count: all of 0..255, with the width boundaries weighted. */
static uint8_t rnd_count(void)
{
    static const uint8_t edge[] = { 0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 0xff };
    return rnd(2) ? edge[rnd(sizeof edge)] : (uint8_t)rnd(256);
}

/* ---- sequences ---- */

enum cls {
    C_SETUP, C_MOV, C_ALU, C_TEST, C_INCDEC, C_NOTNEG, C_MUL, C_DIV, C_SHIFT,
    C_SHXD, C_BT, C_BSF, C_BSWAP, C_MOVX, C_CMOV, C_SETCC, C_XCHG, C_XADD,
    C_CMPXCHG, C_LEA, C_CONV, C_FLAGOP, C_STRING, C_BRANCH, C_PREFIX, C_SMC,
    C_REX64, C_RIPREL, C_CX16, C_SSE, C_NCLS
};
static const char *const cls_name[C_NCLS] = {
    "set-up MOV/CMP", "MOV/XLAT/NOP", "ALU (ADD..CMP)", "TEST", "INC/DEC", "NOT/NEG",
    "MUL/IMUL", "DIV/IDIV", "shift/rotate", "SHLD/SHRD", "BT/BTS/BTR/BTC",
    "BSF/BSR", "BSWAP", "MOVZX/MOVSX", "CMOVcc", "SETcc", "XCHG", "XADD",
    "CMPXCHG/CMPXCHG8B", "LEA", "CBW/CWDE/CWD/CDQ", "CLC/STC/CMC/CLD/STD/LAHF/SAHF",
    "string ops", "Jcc/JMP/LOOPcc/JECXZ", "14..16-byte prefix chains",
    "self-modifying stores", "64-bit operand forms (REX)", "RIP-relative operands",
    "CMPXCHG16B", "MMX, SSE..SSE4.2, CRC32, POPCNT",
};

#define MAX_INSNS 512
#define ESP_BIT (1u << R_ESP)

struct seq {
    uint8_t b[4096];
    unsigned len;
    unsigned n;                     /* instructions, set-ups included */
    uint16_t off[MAX_INSNS];
    uint32_t undef_before[MAX_INSNS];
    uint8_t cls[MAX_INSNS];
    uint32_t undef;                 /* flags undefined at the current point */
};

static bool host_lahf;

static void begin(struct seq *s, enum cls c)
{
    s->off[s->n] = (uint16_t)s->len;
    s->undef_before[s->n] = s->undef;
    s->cls[s->n] = (uint8_t)c;
    s->n++;
}

static void put8(struct seq *s, unsigned v) { s->b[s->len++] = (uint8_t)v; }
static void put16(struct seq *s, unsigned v) { put8(s, v); put8(s, v >> 8); }
static void put32(struct seq *s, uint32_t v) { put16(s, v); put16(s, v >> 16); }

static void put_imm(struct seq *s, unsigned size, uint32_t v)
{
    if (size == 1)
        put8(s, v);
    else if (size == 2)
        put16(s, v);
    else
        put32(s, v);
}

/* After an instruction: `def` flags get defined values, `undef` undefined
 * ones, the rest keep their state. */
static void flags_out(struct seq *s, uint32_t def, uint32_t undef)
{
    s->undef = (s->undef & ~def) | undef;
}

/* After the instruction begun last: the flags its row in the opcode table
 * writes (optable.def, from the SDM's "Flags Affected") become defined,
 * except those the row marks undefined. `defined` takes back from the
 * undefined set what the SDM defines for this operand (the row gives the
 * worst case over counts: OF for 1-bit shifts, CF for counts below the
 * width). An instruction that does not decode (over 15 bytes) runs no
 * further than its fault and changes nothing. */
static void flags_row(struct seq *s, uint32_t defined)
{
    struct insn i;
    unsigned off = s->off[s->n - 1];
    if (decode_bytes(s->b + off, s->len - off, CODE_SIZE, &i) <= 0)
        return;
    const struct oprow *r = &optable_rows[i.row];
    uint32_t undef = optable_eflags(r->fl_undef) & ~defined;
    flags_out(s, optable_eflags(r->fl_write) & ~undef, undef);
}

/* A general register for a 16/32-bit operand: anything but ESP. */
static unsigned rreg_avoid(unsigned avoid)
{
    unsigned r;
    do
        r = rnd(8);
    while ((avoid | ESP_BIT) & (1u << r));
    return r;
}
static unsigned rreg(void) { return rreg_avoid(0); }
static unsigned rreg_sz(unsigned size) { return size == 1 ? rnd(8) : rreg(); }

static void set_r32(struct seq *s, unsigned r, uint32_t v)
{
    begin(s, C_SETUP);
    put8(s, 0xb8 + r);
    put32(s, v);
}

static void set_r8(struct seq *s, unsigned r, uint8_t v)
{
    begin(s, C_SETUP);
    put8(s, 0xb0 + r);
    put8(s, v);
}

/* Before an instruction that reads `need`: if any of them is undefined,
 * CMP two registers, which defines all six. */
static void need_flags(struct seq *s, uint32_t need)
{
    if (!(s->undef & need))
        return;
    begin(s, C_SETUP);
    put8(s, 0x39);
    put8(s, 0xc0 | rreg() << 3 | rreg());
    s->undef &= ~FL_ARITH;
}

/* The flags a condition code reads. */
static uint32_t cc_flags(unsigned cc)
{
    static const uint32_t f[8] = {
        FL_OF, FL_CF, FL_ZF, FL_CF | FL_ZF, FL_SF, FL_PF, FL_SF | FL_OF,
        FL_ZF | FL_SF | FL_OF,
    };
    return f[(cc >> 1) & 7];
}

/* An r/m operand: a register, or a memory operand in the scratch area
 * whose base/index registers were just loaded. */
struct operand {
    bool mem;
    unsigned r;
    uint8_t tail[6];    /* ModRM (reg field 0), SIB, displacement */
    unsigned tn;
};

static bool gen_paging;             /* the sequence being generated runs paged */

static uint32_t scratch_addr(unsigned margin)
{
    /* A quarter of the operands sit on the page boundary in the window;
     * with paging, one in eight at or across the start of the absent page
     * (#PF on both sides, SIGSEGV natively). */
    if (gen_paging && rnd(8) == 0)
        return scr + FAULT_OFF - 8 + rnd(12);
    if (rnd(4) == 0)
        return scr + 0x1000 - rnd(8);
    return win + margin + rnd(SCR_SIZE - 2 * margin - 4);
}

/* A memory operand addressing `addr`, base/index registers outside `avoid`
 * loaded first. Every ModRM/SIB shape but RIP-relative mod=00 rm=101. */
static void gen_mem(struct seq *s, struct operand *o, uint32_t addr, unsigned avoid)
{
    unsigned form = rnd(6), mod = 0, base = 0, index, scale, dsize = 0;
    uint32_t disp = 0;

    o->mem = true;
    o->tn = 0;
    if (form == 0) {            /* [disp32]: SIB with no base and no index */
        o->tail[o->tn++] = 0x04;
        o->tail[o->tn++] = 0x25;
        disp = addr;
        dsize = 4;
    } else if (form <= 3) {     /* [base], [base+disp8], [base+disp32] */
        mod = form - 1;
        do
            base = rreg_avoid(avoid);
        while (mod == 0 && base == R_EBP);
        dsize = mod == 1 ? 1 : mod == 2 ? 4 : 0;
        disp = mod == 1 ? (uint32_t)((int32_t)rnd(256) - 128)
             : mod == 2 ? (uint32_t)((int32_t)rnd(0x10000) - 0x8000) : 0;
        set_r32(s, base, addr - disp);
        o->tail[o->tn++] = (uint8_t)(mod << 6 | base);
    } else {                    /* SIB with an index register */
        uint32_t iv = rnd(16);
        scale = rnd(4);
        if (form == 5) {        /* mod=00 base=101: [index*scale + disp32] */
            mod = 0;
            base = R_EBP;
            index = rreg_avoid(avoid);
            disp = addr - (iv << scale);
            dsize = 4;
        } else {
            mod = rnd(3);
            base = rreg_avoid(avoid);
            index = rreg_avoid(avoid | 1u << base);
            if (mod == 0 && base == R_EBP)
                mod = 1;
            dsize = mod == 1 ? 1 : mod == 2 ? 4 : 0;
            disp = mod == 1 ? (uint32_t)((int32_t)rnd(256) - 128)
                 : mod == 2 ? (uint32_t)((int32_t)rnd(0x10000) - 0x8000) : 0;
            set_r32(s, base, addr - disp - (iv << scale));
        }
        set_r32(s, index, iv);
        o->tail[o->tn++] = (uint8_t)(mod << 6 | 4);
        o->tail[o->tn++] = (uint8_t)(scale << 6 | index << 3 | base);
    }
    for (unsigned k = 0; k < dsize; k++)
        o->tail[o->tn++] = (uint8_t)(disp >> (8 * k));
}

/* Choose an r/m operand of `size` bytes; memory with probability pct %. */
static void pick_rm(struct seq *s, struct operand *o, unsigned size, unsigned pct,
                    unsigned avoid)
{
    if (rnd(100) < pct) {
        gen_mem(s, o, scratch_addr(64), avoid);
    } else {
        o->mem = false;
        o->r = rreg_sz(size);
    }
}

static void put_modrm(struct seq *s, const struct operand *o, unsigned reg)
{
    if (!o->mem) {
        put8(s, 0xc0 | reg << 3 | o->r);
        return;
    }
    put8(s, o->tail[0] | reg << 3);
    for (unsigned k = 1; k < o->tn; k++)
        put8(s, o->tail[k]);
}

static unsigned rnd_size(void)
{
    static const uint8_t sz[] = { 1, 2, 4, 4 };
    return sz[rnd(4)];
}

/* The prefixes before the opcode, in random order: operand size; sometimes
 * a segment override on a memory operand (ES, SS or DS: flat and writable
 * in the guest, ignored in 64-bit mode; not CS, read-only in the guest, nor
 * FS/GS, whose host bases differ); LOCK sometimes where the instruction
 * allows it and rarely where it does not (#UD on both sides, SDM vol. 2
 * "LOCK"); now and then a repeated 66; and when the generator says the
 * opcode is a one-byte one (rep_ok), sometimes F2 or F3, which both sides
 * ignore there (on newer hosts they are XACQUIRE/XRELEASE hints at most). */
static bool rep_ok;

static void prefixes(struct seq *s, unsigned size, bool lockable, const struct operand *o)
{
    static const uint8_t segs[] = { 0x26, 0x36, 0x3e };
    uint8_t p[5];
    unsigned n = 0;

    if (rep_ok && rnd(16) == 0)
        p[n++] = rnd(2) ? 0xf2 : 0xf3;
    if (size == 2) {
        p[n++] = 0x66;
        if (rnd(32) == 0)
            p[n++] = 0x66;
    }
    if (o && o->mem && rnd(6) == 0)
        p[n++] = segs[rnd(3)];
    if (lockable ? rnd(8) == 0 : rnd(400) == 0)
        p[n++] = 0xf0;
    for (unsigned k = n; k > 1; k--) {
        unsigned j = rnd(k);
        uint8_t tmp = p[k - 1];
        p[k - 1] = p[j];
        p[j] = tmp;
    }
    for (unsigned k = 0; k < n; k++)
        put8(s, p[k]);
}

#define W(size) ((size) == 1 ? 0u : 1u)

/* ---- instruction generators ---- */

static void gen_mov(struct seq *s)
{
    rep_ok = true;
    unsigned size = rnd_size(), form = rnd(4), reg;
    struct operand o;

    switch (form) {
    case 0: case 1:         /* 88/89 r/m,r ; 8A/8B r,r/m */
        pick_rm(s, &o, size, 50, 0);
        reg = rreg_sz(size);
        begin(s, C_MOV);
        prefixes(s, size, false, &o);
        put8(s, (form ? 0x8a : 0x88) | W(size));
        put_modrm(s, &o, reg);
        break;
    case 2:                 /* B0+r ib / B8+r iz */
        reg = rreg_sz(size);
        begin(s, C_MOV);
        prefixes(s, size, false, NULL);
        put8(s, (size == 1 ? 0xb0 : 0xb8) + reg);
        put_imm(s, size, rnd_val());
        break;
    default:                /* C6/C7 /0 */
        pick_rm(s, &o, size, 50, 0);
        begin(s, C_MOV);
        prefixes(s, size, false, &o);
        put8(s, 0xc6 | W(size));
        put_modrm(s, &o, 0);
        put_imm(s, size, rnd_val());
        break;
    }
}

static void gen_alu(struct seq *s)
{
    rep_ok = true;
    unsigned op = rnd(8), size = rnd_size(), form = rnd(5), reg;
    struct operand o;

    if (op == 2 || op == 3)         /* ADC, SBB */
        need_flags(s, FL_CF);
    if (form == 4 && size == 1)
        form = 3;
    switch (form) {
    case 0: case 1:         /* op r/m,r ; op r,r/m */
        pick_rm(s, &o, size, 40, 0);
        reg = rreg_sz(size);
        begin(s, C_ALU);
        prefixes(s, size, form == 0 && o.mem && op != 7, &o);
        put8(s, op << 3 | (form ? 2 : 0) | W(size));
        put_modrm(s, &o, reg);
        break;
    case 2:                 /* op AL/AX/EAX, imm */
        begin(s, C_ALU);
        prefixes(s, size, false, NULL);
        put8(s, op << 3 | 4 | W(size));
        put_imm(s, size, rnd_val());
        break;
    case 3:                 /* 80 /op ib ; 81 /op iz */
        pick_rm(s, &o, size, 40, 0);
        begin(s, C_ALU);
        prefixes(s, size, o.mem && op != 7, &o);
        put8(s, 0x80 | W(size));
        put_modrm(s, &o, op);
        put_imm(s, size, rnd_val());
        break;
    default:                /* 83 /op ib, sign-extended */
        pick_rm(s, &o, size, 40, 0);
        begin(s, C_ALU);
        prefixes(s, size, o.mem && op != 7, &o);
        put8(s, 0x83);
        put_modrm(s, &o, op);
        put8(s, rnd_val());
        break;
    }
    flags_row(s, 0);                    /* OR AND XOR: AF undefined */
}

static void gen_test(struct seq *s)
{
    rep_ok = true;
    unsigned size = rnd_size(), form = rnd(3);
    struct operand o;

    if (form == 0) {
        pick_rm(s, &o, size, 40, 0);
        begin(s, C_TEST);
        prefixes(s, size, false, &o);
        put8(s, 0x84 | W(size));
        put_modrm(s, &o, rreg_sz(size));
    } else if (form == 1) {
        begin(s, C_TEST);
        prefixes(s, size, false, NULL);
        put8(s, 0xa8 | W(size));
        put_imm(s, size, rnd_val());
    } else {
        pick_rm(s, &o, size, 40, 0);
        begin(s, C_TEST);
        prefixes(s, size, false, &o);
        put8(s, 0xf6 | W(size));
        put_modrm(s, &o, 0);
        put_imm(s, size, rnd_val());
    }
    flags_row(s, 0);                            /* SDM TEST: AF undefined */
}

static void gen_incdec(struct seq *s)
{
    rep_ok = true;
    unsigned size = rnd_size();
    struct operand o;

    pick_rm(s, &o, size, 40, 0);
    begin(s, C_INCDEC);
    prefixes(s, size, o.mem, &o);
    put8(s, 0xfe | W(size));
    put_modrm(s, &o, rnd(2));
    flags_row(s, 0);                            /* CF unaffected */
}

static void gen_notneg(struct seq *s)
{
    rep_ok = true;
    unsigned size = rnd_size(), neg = rnd(2);
    struct operand o;

    pick_rm(s, &o, size, 40, 0);
    begin(s, C_NOTNEG);
    prefixes(s, size, o.mem, &o);
    put8(s, 0xf6 | W(size));
    put_modrm(s, &o, 2 + neg);
    flags_row(s, 0);                            /* NOT: none */
}

static void gen_mul(struct seq *s)
{
    unsigned size = rnd_size(), form = rnd(4);
    struct operand o;

    if (size == 1 && form >= 2)
        form = 0;
    switch (form) {
    case 0: case 1:         /* MUL / IMUL r/m (F6/F7 /4 /5) */
        pick_rm(s, &o, size, 40, 0);
        begin(s, C_MUL);
        prefixes(s, size, false, &o);
        put8(s, 0xf6 | W(size));
        put_modrm(s, &o, 4 + form);
        break;
    case 2:                 /* IMUL r, r/m (0F AF) */
        pick_rm(s, &o, size, 40, 0);
        begin(s, C_MUL);
        prefixes(s, size, false, &o);
        put8(s, 0x0f);
        put8(s, 0xaf);
        put_modrm(s, &o, rreg());
        break;
    default: {              /* IMUL r, r/m, imm (69 iz / 6B ib) */
        bool b = rnd(2);
        pick_rm(s, &o, size, 40, 0);
        begin(s, C_MUL);
        prefixes(s, size, false, &o);
        put8(s, b ? 0x6b : 0x69);
        put_modrm(s, &o, rreg());
        put_imm(s, b ? 1 : size, rnd_val());
        break;
    }
    }
    flags_row(s, 0);        /* SDM MUL/IMUL: SF, ZF, AF and PF are undefined. */
}

static void gen_div(struct seq *s)
{
    unsigned size = rnd_size(), idiv = rnd(2);
    struct operand o;

    /* The dividend's high half is prepared most of the time (else #DE is
     * nearly certain); base/index registers avoid EAX and EDX. */
    pick_rm(s, &o, size, 40, 1u << R_EAX | 1u << R_EDX);
    if (rnd(4)) {
        begin(s, C_SETUP);
        if (idiv) {         /* CBW / CWD / CDQ */
            if (size != 4)
                put8(s, 0x66);
            put8(s, size == 1 ? 0x98 : 0x99);
        } else if (size == 1) {
            put8(s, 0xb4);  /* MOV AH, 0 */
            put8(s, 0);
        } else {
            put8(s, 0xba);  /* MOV EDX, 0 */
            put32(s, 0);
        }
    }
    begin(s, C_DIV);
    prefixes(s, size, false, &o);
    put8(s, 0xf6 | W(size));
    put_modrm(s, &o, 6 + idiv);
    flags_row(s, 0);        /* SDM DIV/IDIV: all six arithmetic flags are undefined. */
}

/* Flags after a shift/rotate of `width` bits by masked count c (SDM SAL/SAR/
 * SHL/SHR and RCL/RCR/ROL/ROR "Flags Affected"). */
static void shift_flags(struct seq *s, unsigned op, unsigned c, unsigned width)
{
    if (c == 0)
        return;                         /* count 0: no flag changes */
    (void)op;
    /* The rows: rotates write CF and OF, OF undefined; SHL/SHR/SAR write
     * all six, AF and OF undefined, and CF for SHL/SHR. The count defines
     * OF when it is 1 and CF when it is below the operand width. */
    flags_row(s, (c == 1 ? FL_OF : 0) | (c < width ? FL_CF : 0));
}

static void gen_shift(struct seq *s)
{
    rep_ok = true;
    unsigned size = rnd_size(), form = rnd(3), op, count;
    struct operand o;

    do
        op = rnd(8);
    while (op == 6);                    /* /6 is an undocumented alias */
    if (op == 2 || op == 3)             /* RCL, RCR */
        need_flags(s, FL_CF);
    count = form == 1 ? 1 : rnd_count();
    if (form == 2)
        set_r8(s, 1, (uint8_t)count);   /* MOV CL, count */
    pick_rm(s, &o, size, 30, 1u << R_ECX);
    begin(s, C_SHIFT);
    prefixes(s, size, false, &o);
    put8(s, (form == 0 ? 0xc0 : form == 1 ? 0xd0 : 0xd2) | W(size));
    put_modrm(s, &o, op);
    if (form == 0)
        put8(s, count);
    shift_flags(s, op, count & 31, size * 8);
}

static void gen_shxd(struct seq *s)
{
    unsigned size = rnd(2) ? 2 : 4, right = rnd(2), bycl = rnd(2), count, c;
    struct operand o;

    /* SDM SHLD/SHRD: a count above the operand size leaves result and flags
     * undefined; not generated (only 16-bit operands can get there). */
    do {
        count = rnd_count();
        c = count & 31;
    } while (c > size * 8);
    if (bycl)
        set_r8(s, 1, (uint8_t)count);
    pick_rm(s, &o, size, 30, 1u << R_ECX);
    begin(s, C_SHXD);
    prefixes(s, size, false, &o);
    put8(s, 0x0f);
    put8(s, (right ? 0xac : 0xa4) | bycl);
    put_modrm(s, &o, rreg());
    if (!bycl)
        put8(s, count);
    /* SDM: count 0 changes nothing; else CF SF ZF PF defined, OF for a
     * 1-bit shift only, AF undefined. */
    if (c)
        flags_row(s, c == 1 ? FL_OF : 0);
}

static void gen_bt(struct seq *s)
{
    unsigned size = rnd(2) ? 2 : 4, op = rnd(4), byimm = rnd(2), reg = 0;
    struct operand o;

    if (!byimm) {
        /* Register bit offset: small signed values keep a memory operand's
         * bit string inside the scratch area (SDM BT: offset / 8 is added
         * to the address as a signed value). */
        reg = rreg();
        if (rnd(2))
            set_r32(s, reg, (uint32_t)((int32_t)rnd(384) - 128));
        pick_rm(s, &o, size, 40, 1u << reg);
        if (o.mem)
            set_r32(s, reg, (uint32_t)((int32_t)rnd(384) - 128));
    } else {
        pick_rm(s, &o, size, 40, 0);
    }
    begin(s, C_BT);
    prefixes(s, size, o.mem && op != 0, &o);
    put8(s, 0x0f);
    if (byimm) {
        put8(s, 0xba);
        put_modrm(s, &o, 4 + op);
        put8(s, rnd_count());
    } else {
        put8(s, 0xa3 | op << 3);
        put_modrm(s, &o, reg);
    }
    flags_row(s, 0);        /* SDM BT*: CF defined, ZF unaffected, OF SF AF PF undefined. */
}

static void gen_bsf(struct seq *s)
{
    unsigned size = rnd(2) ? 2 : 4;
    struct operand o;

    pick_rm(s, &o, size, 40, 0);
    begin(s, C_BSF);
    prefixes(s, size, false, &o);
    put8(s, 0x0f);
    put8(s, 0xbc | rnd(2));
    put_modrm(s, &o, rreg());
    /* SDM BSF/BSR: ZF defined; CF OF SF AF PF undefined. (The destination
     * for a zero source is undefined too, but Intel and AMD parts and
     * rawbox all leave it unchanged, so it is compared.) */
    flags_row(s, 0);
}

static void gen_bswap(struct seq *s)
{
    begin(s, C_BSWAP);
    put8(s, 0x0f);
    put8(s, 0xc8 + rreg());     /* 32-bit only: the 16-bit form is undefined */
}

static void gen_movx(struct seq *s)
{
    unsigned size = rnd(2) ? 2 : 4, wide = rnd(2), sx = rnd(2);
    struct operand o;

    pick_rm(s, &o, wide ? 2 : 1, 40, 0);
    begin(s, C_MOVX);
    prefixes(s, size, false, &o);
    put8(s, 0x0f);
    put8(s, 0xb6 | sx << 3 | wide);
    put_modrm(s, &o, rreg());
}

static void gen_cmov(struct seq *s)
{
    unsigned size = rnd(2) ? 2 : 4, cc = rnd(16);
    struct operand o;

    need_flags(s, cc_flags(cc));
    pick_rm(s, &o, size, 40, 0);
    begin(s, C_CMOV);
    prefixes(s, size, false, &o);
    put8(s, 0x0f);
    put8(s, 0x40 + cc);
    put_modrm(s, &o, rreg());
}

static void gen_setcc(struct seq *s)
{
    unsigned cc = rnd(16);
    struct operand o;

    need_flags(s, cc_flags(cc));
    pick_rm(s, &o, 1, 30, 0);
    begin(s, C_SETCC);
    put8(s, 0x0f);
    put8(s, 0x90 + cc);
    put_modrm(s, &o, 0);
}

static void gen_xchg(struct seq *s)
{
    unsigned size = rnd_size();
    struct operand o;

    if (size != 1 && rnd(3) == 0) {     /* 90+r: XCHG eAX, r (not 90: NOP) */
        unsigned r;
        do
            r = rreg();
        while (r == R_EAX);
        begin(s, C_XCHG);
        prefixes(s, size, false, NULL);
        put8(s, 0x90 + r);
        return;
    }
    pick_rm(s, &o, size, 40, 0);
    begin(s, C_XCHG);
    prefixes(s, size, o.mem, &o);
    put8(s, 0x86 | W(size));
    put_modrm(s, &o, rreg_sz(size));
}

static void gen_xadd_cmpxchg(struct seq *s, bool cx)
{
    unsigned size = rnd_size();
    struct operand o;

    pick_rm(s, &o, size, 40, 0);
    begin(s, cx ? C_CMPXCHG : C_XADD);
    prefixes(s, size, o.mem, &o);
    put8(s, 0x0f);
    put8(s, (cx ? 0xb0 : 0xc0) | W(size));
    put_modrm(s, &o, rreg_sz(size));
    flags_row(s, 0);
}

/* LEA with any register values: no memory access, so no set-up. ESP is
 * neither base nor index (it differs between the two sides). */
static void gen_lea(struct seq *s)
{
    unsigned size = rnd(2) ? 2 : 4, mod = rnd(3), rm, reg = rreg();

    begin(s, C_LEA);
    prefixes(s, size, false, NULL);
    put8(s, 0x8d);
    if (rnd(2)) {           /* SIB */
        unsigned base = rreg(), index = rnd(8);     /* index 4 = none */
        put8(s, mod << 6 | reg << 3 | 4);
        put8(s, rnd(4) << 6 | index << 3 | base);
        if (mod == 0 && base == R_EBP)
            put32(s, rnd_val());
    } else {
        do
            rm = rreg();
        while (mod == 0 && rm == R_EBP);
        put8(s, mod << 6 | reg << 3 | rm);
    }
    if (mod == 1)
        put8(s, rnd(256));
    else if (mod == 2)
        put32(s, rnd_val());
}

static void gen_conv(struct seq *s)
{
    begin(s, C_CONV);
    if (rnd(2))
        put8(s, 0x66);
    put8(s, 0x98 + rnd(2));
}

static void gen_flagop(struct seq *s)
{
    static const uint8_t ops[] = { 0xf8, 0xf9, 0xf5, 0xfc, 0xfd, 0x9e, 0x9f };
    uint8_t op = ops[rnd(host_lahf ? 7 : 5)];

    if (op == 0xf5)
        need_flags(s, FL_CF);
    if (op == 0x9f)         /* LAHF reads SF ZF AF PF CF */
        need_flags(s, FL_ARITH & ~FL_OF);
    begin(s, C_FLAGOP);
    put8(s, op);
    flags_row(s, 0);        /* CLC STC CMC: CF; SAHF: SF ZF AF PF CF */
}

static void gen_string(struct seq *s)
{
    static const uint8_t ops[] = { 0xa4, 0xa6, 0xaa, 0xac, 0xae };
    unsigned k = rnd(5), size = rnd_size(), rep = rnd(3), n = 1;
    bool cmp = ops[k] == 0xa6 || ops[k] == 0xae;      /* the rows that write flags */

    if (rep == 2 && !cmp)
        rep = 1;            /* REPNE only with CMPS/SCAS */
    /* Up to 64 iterations (256 bytes) either way from the middle of the
     * window; a third of the time source and destination overlap closely
     * (MOVS must then propagate element by element, SDM MOVS). */
    uint32_t src = scratch_addr(300);
    uint32_t dst = rnd(3) == 0 ? src + rnd(17) - 8 : scratch_addr(300);
    set_r32(s, R_ESI, src);
    set_r32(s, R_EDI, dst);
    if (rep) {
        n = rnd(2) ? rnd(9) : rnd(65);
        set_r32(s, R_ECX, n);
    }
    begin(s, C_STRING);
    if (rnd(6) == 0)        /* source segment override (ignored for STOS/SCAS) */
        put8(s, rnd(2) ? 0x26 : 0x36);
    if (size == 2)
        put8(s, 0x66);
    if (rep)
        put8(s, rep == 1 ? 0xf3 : 0xf2);
    put8(s, ops[k] | W(size));
    if (n)                  /* REP with ECX = 0 runs no iteration */
        flags_row(s, 0);
}

/* XLAT: AL = [EBX + AL] (RBX + AL in 64-bit mode: the same address, as
 * EBX is loaded just before with a zero-extending MOV). */
static void gen_xlat(struct seq *s)
{
    set_r32(s, R_EBX, win + rnd(SCR_SIZE - 255));
    begin(s, C_MOV);
    put8(s, 0xd7);
}

/* CMPXCHG8B m64: EDX:EAX compared with the operand, ECX:EBX stored on a
 * match; only ZF changes (SDM CMPXCHG8B). Half the time the operand is
 * made to match by loading it into EDX:EAX first. */
static void gen_cmpxchg8b(struct seq *s)
{
    struct operand o;
    uint32_t addr = scratch_addr(64);
    unsigned avoid = 1u << R_EAX | 1u << R_EDX;

    if (rnd(2)) {           /* mov eax, [addr] ; mov edx, [addr+4] via SIB */
        for (unsigned k = 0; k < 2; k++) {
            begin(s, C_SETUP);
            put8(s, 0x8b);
            put8(s, (k ? R_EDX : R_EAX) << 3 | 4);
            put8(s, 0x25);
            put32(s, addr + 4 * k);
        }
    }
    gen_mem(s, &o, addr, avoid);
    begin(s, C_CMPXCHG);
    prefixes(s, 4, true, &o);
    put8(s, 0x0f);
    put8(s, 0xc7);
    put_modrm(s, &o, 1);
    flags_row(s, 0);
}

/* An ADD with redundant segment prefixes (ignored in 64-bit mode) to a
 * total of 14..16 bytes: past 15 bytes the instruction raises #GP(0) on
 * both sides (SDM vol. 2 2.3.11: the 15-byte limit). */
static void gen_longpfx(struct seq *s)
{
    static const uint8_t segs[] = { 0x26, 0x36, 0x3e };
    bool imm = rnd(2);
    unsigned body = imm ? 6 : 2, total = 14 + rnd(3);

    begin(s, C_PREFIX);
    for (unsigned k = body; k < total; k++)
        put8(s, segs[rnd(3)]);
    if (imm) {
        put8(s, 0x81);
        put8(s, 0xc0 | rreg());
        put32(s, rnd_val());
    } else {
        put8(s, 0x01);
        put8(s, 0xc0 | rreg() << 3 | rreg());
    }
    flags_row(s, 0);
}

/* NOP forms: 90, 66 90, 0F 1F /0 with any ModRM (no memory access). */
static void gen_nop(struct seq *s)
{
    begin(s, C_MOV);
    if (rnd(2)) {
        if (rnd(2))
            put8(s, 0x66);
        put8(s, 0x90);
        return;
    }
    put8(s, 0x0f);
    put8(s, 0x1f);
    unsigned mod = rnd(4), rm = rreg();
    if (mod == 0 && rm == R_EBP)
        rm = R_EAX;
    put8(s, mod << 6 | rm);
    if (mod == 1)
        put8(s, rnd(256));
    else if (mod == 2)
        put32(s, rnd32());
}

static void gen_one(struct seq *s);
static unsigned gen_depth;

/* Self-modifying code: MOV byte [abs32] stores into a MOV r8, imm8 that
 * follows 0..2 instructions later, either its immediate or its opcode
 * (another B0+r). Both sides must execute the modified instruction (SDM
 * vol. 3 11.6: a write to a code byte that is about to execute is seen). */
static void gen_smc(struct seq *s)
{
    unsigned at, target;
    bool opcode = rnd(3) == 0;

    begin(s, C_SMC);
    put8(s, 0xc6);
    put8(s, 0x04);
    put8(s, 0x25);
    at = s->len;
    put32(s, 0);
    put8(s, opcode ? 0xb0 + rnd(8) : rnd(256));
    gen_depth++;
    for (unsigned k = rnd(3); k; k--)
        gen_one(s);
    gen_depth--;
    begin(s, C_SMC);
    target = s->len + (opcode ? 0 : 1);
    put8(s, 0xb0 + rnd(8));
    put8(s, rnd(256));
    uint32_t a = code_lin + target;
    memcpy(s->b + at, &a, 4);
}

/* A forward branch over 1..3 random instructions: Jcc rel8/rel32, JMP
 * rel8/rel32, LOOP/LOOPE/LOOPNE, JECXZ. No operand-size prefix (in 64-bit
 * mode 66 on a near branch is ignored by Intel but truncates RIP on AMD).
 * LOOP and JECXZ use RCX in 64-bit mode: its upper half is zero except after
 * a LOOP from ECX = 0 (all ones), and then it stays nonzero until a 32-bit
 * write clears it, so JRCXZ and JECXZ still agree. Flags undefined after
 * the join are those undefined on either path. */
static void gen_branch(struct seq *s)
{
    unsigned kind = rnd(8), cc = rnd(16), at, end;
    uint32_t undef_taken;
    bool rel32 = false;

    if (kind <= 2)
        need_flags(s, cc_flags(cc));
    else if (kind == 5 || kind == 6)
        need_flags(s, FL_ZF);
    begin(s, C_BRANCH);
    switch (kind) {
    case 0: case 1: put8(s, 0x70 + cc); break;
    case 2: put8(s, 0x0f); put8(s, 0x80 + cc); rel32 = true; break;
    case 3: put8(s, rnd(2) ? 0xeb : 0xe9); rel32 = s->b[s->len - 1] == 0xe9; break;
    case 4: put8(s, 0xe2); break;               /* LOOP */
    case 5: put8(s, 0xe1); break;               /* LOOPE */
    case 6: put8(s, 0xe0); break;               /* LOOPNE */
    default: put8(s, 0xe3); break;              /* JECXZ */
    }
    at = s->len;
    s->len += rel32 ? 4 : 1;
    undef_taken = s->undef;
    for (unsigned k = 1 + rnd(3); k; k--)
        gen_one(s);
    end = s->len;
    if (rel32) {
        uint32_t d = end - (at + 4);
        memcpy(s->b + at, &d, 4);
    } else {
        if (end - (at + 1) > 127) {
            printf("generator: branch over %u bytes\n", end - (at + 1));
            abort();
        }
        s->b[at] = (uint8_t)(end - (at + 1));
    }
    s->undef |= undef_taken;
}

/* One random instruction (with its set-ups). Inside a branch's shadow or
 * an SMC gap (depth > 0) no further branches or SMC. */
static void gen_one(struct seq *s)
{
    rep_ok = false;
    unsigned pick = rnd(gen_depth ? 26 : 29);
    if (pick >= 24) {
        if (pick == 24)
            gen_xlat(s);
        else if (pick == 25)
            rnd(2) ? gen_cmpxchg8b(s) : rnd(8) ? gen_nop(s) : gen_longpfx(s);
        else if (pick == 28)
            gen_smc(s);
        else {
            gen_depth++;
            gen_branch(s);
            gen_depth--;
        }
        return;
    }
    switch (pick) {
    case 0: case 1: gen_mov(s); break;
    case 2: case 3: case 4: gen_alu(s); break;
    case 5: gen_test(s); break;
    case 6: gen_incdec(s); break;
    case 7: gen_notneg(s); break;
    case 8: gen_mul(s); break;
    case 9: gen_div(s); break;
    case 10: case 11: gen_shift(s); break;
    case 12: gen_shxd(s); break;
    case 13: gen_bt(s); break;
    case 14: gen_bsf(s); break;
    case 15: gen_bswap(s); break;
    case 16: gen_movx(s); break;
    case 17: gen_cmov(s); break;
    case 18: gen_setcc(s); break;
    case 19: gen_xchg(s); break;
    case 20: gen_xadd_cmpxchg(s, rnd(2)); break;
    case 21: gen_lea(s); break;
    case 22: rnd(2) ? gen_conv(s) : gen_flagop(s); break;
    default: gen_string(s); break;
    }
}


/* ---- 64-bit mode generators (DIFF_MODE=64) ----
 *
 * In 64-bit mode every generator above runs as it is (its encodings mean
 * the same there: 32-bit operations now also zero the upper halves, LOOP
 * and JrCXZ count in RCX, string instructions address with RSI/RDI), and
 * these add what only 64-bit mode has: REX.W operand size, r8-r15 (REX.R/
 * X/B) in 64/32/8-bit operations (SPL..DIL with a REX), MOV r64, imm64,
 * MOVSXD, CDQE/CQO, 64-bit MUL/IMUL/DIV/IDIV and shifts, RIP-relative
 * operands and CMPXCHG16B. RSP is never an operand (it is the host stack
 * pointer). */

/* Any register but RSP, r8-r15 included. */
static unsigned rreg16(void)
{
    unsigned r;
    do
        r = rnd(16);
    while (r == R_ESP);
    return r;
}

static uint64_t rnd64(void)
{
    uint64_t v = (uint64_t)rnd32() << 32 | rnd32();
    return rnd(4) ? v : (uint64_t)(int64_t)(int32_t)rnd_val();
}

/* MOV r32, imm32 with REX.B for r8-r15 (zero-extends to 64 bits). */
static void set_r32x(struct seq *s, unsigned r, uint32_t v)
{
    begin(s, C_SETUP);
    if (r >= 8)
        put8(s, 0x41);
    put8(s, 0xb8 + (r & 7));
    put32(s, v);
}

/* MOV r64, imm64 (REX.W B8+r). */
static void set_r64(struct seq *s, unsigned r, uint64_t v)
{
    begin(s, C_SETUP);
    put8(s, 0x48 | (r >= 8 ? 1 : 0));
    put8(s, 0xb8 + (r & 7));
    put32(s, (uint32_t)v);
    put32(s, (uint32_t)(v >> 32));
}

/* REX for operand size `size` (8 sets W), ModRM.reg `reg`, ModRM.rm or
 * base `rm`, SIB index `x`; byte operands with registers 4..7 need a REX
 * to mean SPL..DIL, so one is then always emitted (and at random else). */
static void put_rex(struct seq *s, unsigned size, unsigned reg, unsigned x, unsigned rm)
{
    unsigned rex = 0x40 | (size == 8 ? 8 : 0) | (reg & 8 ? 4 : 0) | (x & 8 ? 2 : 0) |
                   (rm & 8 ? 1 : 0);
    if (rex != 0x40 || size == 1 || rnd(4) == 0)
        put8(s, rex);
}

/* An r/m operand for the REX forms: a register (r8-r15 included), or
 * memory at `addr` through a base register loaded first ([base],
 * [base+disp8], r8-r15 allowed) or RIP-relative (only when `riprel_ok`:
 * its displacement is patched by put_rm64 once the instruction's end is
 * known, see rip_fix). */
struct rm64 {
    bool mem, rip;
    unsigned r;         /* register, or base */
    unsigned mod;
    uint8_t disp8;
    uint32_t addr;
};

static void pick_rm64(struct seq *s, struct rm64 *o, unsigned pct, unsigned avoid, bool riprel_ok)
{
    memset(o, 0, sizeof *o);
    if (rnd(100) >= pct) {
        do
            o->r = rreg16();
        while (avoid & (1u << o->r));
        return;
    }
    o->mem = true;
    o->addr = scratch_addr(64);
    if (riprel_ok && rnd(2)) {
        o->rip = true;
        return;
    }
    do
        o->r = rreg16();
    while ((avoid & (1u << o->r)) || (o->r & 7) == 4 || (o->r & 7) == 5);  /* no SIB, no RIP */
    o->mod = rnd(2);
    o->disp8 = o->mod ? (uint8_t)(rnd(256) - 128) : 0;
    set_r32x(s, o->r, o->addr - (uint32_t)(int32_t)(int8_t)o->disp8);
}

static unsigned rip_fix;    /* offset of a RIP-relative disp32, 0 = none */
static uint32_t rip_addr;

static void put_rm64(struct seq *s, const struct rm64 *o, unsigned reg)
{
    if (!o->mem) {
        put8(s, 0xc0 | (reg & 7) << 3 | (o->r & 7));
        return;
    }
    if (o->rip) {           /* mod=00 rm=101: [RIP + disp32] */
        put8(s, (reg & 7) << 3 | 5);
        rip_fix = s->len;
        rip_addr = o->addr;
        put32(s, 0);
        return;
    }
    put8(s, o->mod << 6 | (reg & 7) << 3 | (o->r & 7));
    if (o->mod)
        put8(s, o->disp8);
}

/* After the instruction's last byte: RIP-relative displacement from the
 * next instruction (SDM vol. 2 2.2.1.6). The code sits at code_lin on
 * both sides. */
static void end_insn(struct seq *s)
{
    if (rip_fix) {
        uint32_t d = rip_addr - (code_lin + s->len);
        memcpy(s->b + rip_fix, &d, 4);
        rip_fix = 0;
    }
}

static unsigned rnd_size64(void)
{
    static const uint8_t sz[] = { 1, 2, 4, 8, 8, 8 };
    return sz[rnd(6)];
}

static enum cls rm_cls(const struct rm64 *o)
{
    return o->rip ? C_RIPREL : C_REX64;
}

/* The ALU group (ADD..CMP) in every form and size with REX. */
static void gen64_alu(struct seq *s)
{
    unsigned size = rnd_size64(), alu = rnd(8), reg = rreg16(), form = rnd(4);
    struct rm64 o;
    if (alu == 2 || alu == 3)               /* ADC, SBB */
        need_flags(s, FL_CF);
    pick_rm64(s, &o, 40, 0, true);
    begin(s, rm_cls(&o));
    if (size == 2)
        put8(s, 0x66);
    put_rex(s, size, form < 2 ? reg : 0, 0, o.r);
    if (form == 0) {                        /* op r/m, reg */
        put8(s, alu << 3 | (size == 1 ? 0 : 1));
        put_rm64(s, &o, reg);
    } else if (form == 1) {                 /* op reg, r/m */
        put8(s, alu << 3 | (size == 1 ? 2 : 3));
        put_rm64(s, &o, reg);
    } else if (form == 2 || size == 1) {    /* op r/m, imm8 (83 sign-extends) */
        put8(s, size == 1 ? 0x80 : 0x83);
        put_rm64(s, &o, alu);
        put8(s, rnd(256));
    } else {                                /* op r/m, imm16/32 (sign-extended for 64) */
        put8(s, 0x81);
        put_rm64(s, &o, alu);
        put_imm(s, size == 8 ? 4 : size, rnd_val());
    }
    end_insn(s);
    flags_row(s, 0);
}

static void gen64_mov(struct seq *s)
{
    unsigned size = rnd_size64(), reg = rreg16(), form = rnd(5);
    struct rm64 o;
    if (form == 4) {                        /* MOV r64, imm64 */
        begin(s, C_REX64);
        put8(s, 0x48 | (reg >> 3));
        put8(s, 0xb8 + (reg & 7));
        uint64_t v = rnd64();
        put32(s, (uint32_t)v);
        put32(s, (uint32_t)(v >> 32));
        return;
    }
    pick_rm64(s, &o, 50, 0, true);
    begin(s, rm_cls(&o));
    if (form == 3) {                        /* MOVSXD r64, r/m32 */
        put_rex(s, 8, reg, 0, o.r);
        put8(s, 0x63);
        put_rm64(s, &o, reg);
    } else {
        if (size == 2)
            put8(s, 0x66);
        put_rex(s, size, reg, 0, o.r);
        if (form == 2) {                    /* MOV r/m, imm */
            put8(s, size == 1 ? 0xc6 : 0xc7);
            put_rm64(s, &o, 0);
            put_imm(s, size == 8 ? 4 : size, rnd_val());
        } else {
            put8(s, (form ? 0x8a : 0x88) | (size != 1));
            put_rm64(s, &o, reg);
        }
    }
    end_insn(s);
}

/* INC/DEC/NOT/NEG, MUL/IMUL/DIV/IDIV (F6/F7, FE/FF), IMUL r, r/m (,imm). */
static void gen64_unary(struct seq *s)
{
    unsigned size = rnd_size64(), op = rnd(8), reg = rreg16();
    struct rm64 o;
    /* MUL/DIV use RDX:RAX: the r/m operand is neither */
    pick_rm64(s, &o, 30, 1u << R_EAX | 1u << R_EDX, true);
    if (op >= 6 && rnd(2)) {                /* a divisor that rarely overflows */
        if (!o.mem)
            set_r64(s, o.r, rnd64() | 1);
        set_r64(s, R_EDX, rnd(4) ? 0 : rnd64() >> 40);
    }
    begin(s, rm_cls(&o));
    if (size == 2)
        put8(s, 0x66);
    if (op == 0 || op == 1) {               /* IMUL r, r/m / IMUL r, r/m, imm */
        if (size == 1)
            size = 4;
        put_rex(s, size, reg, 0, o.r);
        if (op == 0) {
            put8(s, 0x0f);
            put8(s, 0xaf);
            put_rm64(s, &o, reg);
        } else {
            bool ib = rnd(2);
            put8(s, ib ? 0x6b : 0x69);
            put_rm64(s, &o, reg);
            put_imm(s, ib ? 1 : size == 8 ? 4 : size, rnd_val());
        }
    } else {
        put_rex(s, size, 0, 0, o.r);
        put8(s, size == 1 ? 0xf6 : 0xf7);
        put_rm64(s, &o, op);                /* /2 NOT, /3 NEG .. /7 IDIV */
    }
    end_insn(s);
    flags_row(s, 0);
}

/* Shifts and rotates of any size with REX (count masked to 6 bits for
 * 64-bit operands, SDM vol. 2 SAL/SAR/SHL/SHR). */
static void gen64_shift(struct seq *s)
{
    unsigned size = rnd_size64(), form = rnd(3), op, count;
    struct rm64 o;
    do
        op = rnd(8);
    while (op == 6);
    if (op == 2 || op == 3)
        need_flags(s, FL_CF);
    count = form == 1 ? 1 : rnd(2) ? rnd(64) : rnd_count();
    if (form == 2)
        set_r8(s, 1, (uint8_t)count);
    pick_rm64(s, &o, 30, 1u << R_ECX, true);
    begin(s, rm_cls(&o));
    if (size == 2)
        put8(s, 0x66);
    put_rex(s, size, 0, 0, o.r);
    put8(s, (form == 0 ? 0xc0 : form == 1 ? 0xd0 : 0xd2) | (size != 1));
    put_rm64(s, &o, op);
    if (form == 0)
        put8(s, count);
    end_insn(s);
    unsigned c = count & (size == 8 ? 63 : 31);
    if (c)
        flags_row(s, (c == 1 ? FL_OF : 0) | (c < size * 8 ? FL_CF : 0));
}

/* CDQE/CQO, BSWAP r64, XCHG, XADD, CMPXCHG, BSF/BSR with REX.W. */
static void gen64_misc(struct seq *s)
{
    unsigned reg = rreg16(), pick = rnd(6);
    struct rm64 o;
    if (pick == 0) {
        begin(s, C_REX64);
        put8(s, 0x48);
        put8(s, rnd(2) ? 0x98 : 0x99);
        return;
    }
    if (pick == 1) {
        begin(s, C_REX64);
        put8(s, 0x48 | (reg >> 3));
        put8(s, 0x0f);
        put8(s, 0xc8 + (reg & 7));
        return;
    }
    pick_rm64(s, &o, 40, 0, true);
    begin(s, rm_cls(&o));
    put_rex(s, 8, reg, 0, o.r);
    if (pick == 2) {
        put8(s, 0x87);
    } else if (pick == 3) {
        put8(s, 0x0f);
        put8(s, 0xc1);
    } else if (pick == 4) {
        put8(s, 0x0f);
        put8(s, 0xb1);
    } else {
        put8(s, 0x0f);
        put8(s, rnd(2) ? 0xbc : 0xbd);
    }
    put_rm64(s, &o, reg);
    end_insn(s);
    flags_row(s, 0);
}

/* CMPXCHG16B m128 (REX.W 0F C7 /1): 16-byte aligned, or not (#GP, SDM
 * vol. 2 CMPXCHG8B/CMPXCHG16B); RDX:RAX half the time loaded from the
 * operand so that the exchange happens. */
static void gen64_cx16(struct seq *s)
{
    uint32_t a = (win + 64 + rnd(SCR_SIZE - 128)) & ~15u;
    if (rnd(16) == 0)
        a += 8;
    if (rnd(2)) {
        for (unsigned k = 0; k < 2; k++) {  /* MOV RAX/RDX, [a + 8k] */
            begin(s, C_SETUP);
            put8(s, 0x48);
            put8(s, 0x8b);
            put8(s, (k ? R_EDX : R_EAX) << 3 | 4);
            put8(s, 0x25);
            put32(s, a + 8 * k);
        }
    }
    set_r32x(s, R_ESI, a);
    begin(s, C_CX16);
    if (rnd(4) == 0)
        put8(s, 0xf0);
    put8(s, 0x48);
    put8(s, 0x0f);
    put8(s, 0xc7);
    put8(s, 1 << 3 | R_ESI);                /* [rsi] */
    flags_row(s, 0);
}


/* ---- SIMD generators (DIFF_SIMD=1) ----
 *
 * SSE, SSE2, SSE3, SSSE3, SSE4.1, SSE4.2, CRC32 and POPCNT on XMM
 * registers (xmm8-15 too in 64-bit mode) and on memory: 16-byte operands
 * of legacy-encoded instructions aligned (misaligned now and then: #GP on
 * both sides, SDM vol. 1 11.6.7), scalar ones anywhere. Every sequence of
 * this mode starts from random XMM values rich in FP edge cases (zeros,
 * denormals, infinities, QNaN/SNaN, extremes) and a random MXCSR (rounding,
 * DAZ, FZ, sticky flags; the exception masks mostly set, sometimes not:
 * an unmasked exception is #XM, SIGFPE natively, and the guest has
 * CR4.OSXMMEXCPT). Compared: the XMM registers, MXCSR, and as before the
 * GPRs (CVT*2SI, PMOVMSKB, PEXTR*, CRC32, POPCNT, PCMPxSTRI) and EFLAGS
 * (COMISS, PTEST, PCMPxSTRx, POPCNT). The MMX forms (gen_mmx) share the
 * table and DIFF_SIMD_OPS (map:op matches the NP mm row too); the x87
 * register file is compared through its FXSAVE view. */

enum sse_kind {
    K_PK,       /* xmm, xmm/m128 (aligned) */
    K_SS,       /* xmm, xmm/m32 */
    K_SD,       /* xmm, xmm/m64 */
    K_GX,       /* r32/64, xmm (register only) */
    K_GM32,     /* r32/64, xmm/m32 (CVTSS2SI) */
    K_GM64,     /* r32/64, xmm/m64 (CVTSD2SI) */
    K_XG,       /* xmm, r/m32/64 (MOVD/MOVQ, PINSRx, CVTSI2Sx) */
    K_EG,       /* r/m32/64, xmm (MOVD store, PEXTRx) */
    K_CRC,      /* r32/64, r/m8..64 (CRC32, POPCNT) */
    /* MMX forms (gen_mmx): mm registers 0-7, REX.R/B ignored for them */
    K_MM,       /* mm, mm/m64 (and MOVQ mm/m64, mm) */
    K_MG,       /* mm, r/m32/64 (MOVD/MOVQ), mm, r32/m16 (PINSRW) */
    K_GM,       /* r/m32/64, mm (MOVD/MOVQ store) */
    K_GMR,      /* r32/64, mm (register only: PMOVMSKB, PEXTRW) */
    K_MSH,      /* group 12-14 shifts: mm, imm8 (register only) */
    K_EMMS,     /* EMMS */
};

struct sse_op {
    uint8_t pfx;        /* 0, 0x66, 0xf3, 0xf2 */
    uint8_t map;        /* 1 = 0F, 2 = 0F 38, 3 = 0F 3A */
    uint8_t op;
    uint8_t kind;       /* enum sse_kind */
    uint8_t imm;        /* has an imm8 */
};

static const struct sse_op sse_ops[] = {
    /* SSE / SSE2 packed and scalar FP: SQRT ADD MUL SUB MIN DIV MAX */
    { 0, 1, 0x51, K_PK, 0 }, { 0x66, 1, 0x51, K_PK, 0 }, { 0xf3, 1, 0x51, K_SS, 0 }, { 0xf2, 1, 0x51, K_SD, 0 },
    { 0, 1, 0x58, K_PK, 0 }, { 0x66, 1, 0x58, K_PK, 0 }, { 0xf3, 1, 0x58, K_SS, 0 }, { 0xf2, 1, 0x58, K_SD, 0 },
    { 0, 1, 0x59, K_PK, 0 }, { 0x66, 1, 0x59, K_PK, 0 }, { 0xf3, 1, 0x59, K_SS, 0 }, { 0xf2, 1, 0x59, K_SD, 0 },
    { 0, 1, 0x5c, K_PK, 0 }, { 0x66, 1, 0x5c, K_PK, 0 }, { 0xf3, 1, 0x5c, K_SS, 0 }, { 0xf2, 1, 0x5c, K_SD, 0 },
    { 0, 1, 0x5d, K_PK, 0 }, { 0x66, 1, 0x5d, K_PK, 0 }, { 0xf3, 1, 0x5d, K_SS, 0 }, { 0xf2, 1, 0x5d, K_SD, 0 },
    { 0, 1, 0x5e, K_PK, 0 }, { 0x66, 1, 0x5e, K_PK, 0 }, { 0xf3, 1, 0x5e, K_SS, 0 }, { 0xf2, 1, 0x5e, K_SD, 0 },
    { 0, 1, 0x5f, K_PK, 0 }, { 0x66, 1, 0x5f, K_PK, 0 }, { 0xf3, 1, 0x5f, K_SS, 0 }, { 0xf2, 1, 0x5f, K_SD, 0 },
    { 0, 1, 0x52, K_PK, 0 }, { 0xf3, 1, 0x52, K_SS, 0 },   /* RSQRT: approximate, see sse_exact */
    { 0, 1, 0x53, K_PK, 0 }, { 0xf3, 1, 0x53, K_SS, 0 },   /* RCP */
    /* logic, shuffles, unpacks, compares */
    { 0, 1, 0x54, K_PK, 0 }, { 0x66, 1, 0x54, K_PK, 0 }, { 0, 1, 0x55, K_PK, 0 }, { 0x66, 1, 0x55, K_PK, 0 },
    { 0, 1, 0x56, K_PK, 0 }, { 0x66, 1, 0x56, K_PK, 0 }, { 0, 1, 0x57, K_PK, 0 }, { 0x66, 1, 0x57, K_PK, 0 },
    { 0, 1, 0x14, K_PK, 0 }, { 0x66, 1, 0x14, K_PK, 0 }, { 0, 1, 0x15, K_PK, 0 }, { 0x66, 1, 0x15, K_PK, 0 },
    { 0, 1, 0xc6, K_PK, 1 }, { 0x66, 1, 0xc6, K_PK, 1 },
    { 0, 1, 0xc2, K_PK, 1 }, { 0x66, 1, 0xc2, K_PK, 1 }, { 0xf3, 1, 0xc2, K_SS, 1 }, { 0xf2, 1, 0xc2, K_SD, 1 },
    { 0, 1, 0x2e, K_SS, 0 }, { 0x66, 1, 0x2e, K_SD, 0 }, { 0, 1, 0x2f, K_SS, 0 }, { 0x66, 1, 0x2f, K_SD, 0 },
    /* conversions */
    { 0, 1, 0x5a, K_SD, 0 }, { 0x66, 1, 0x5a, K_PK, 0 }, { 0xf3, 1, 0x5a, K_SS, 0 }, { 0xf2, 1, 0x5a, K_SD, 0 },
    { 0, 1, 0x5b, K_PK, 0 }, { 0x66, 1, 0x5b, K_PK, 0 }, { 0xf3, 1, 0x5b, K_PK, 0 },
    { 0xf3, 1, 0xe6, K_SD, 0 }, { 0x66, 1, 0xe6, K_PK, 0 }, { 0xf2, 1, 0xe6, K_PK, 0 },
    { 0xf3, 1, 0x2c, K_GM32, 0 }, { 0xf3, 1, 0x2d, K_GM32, 0 }, { 0xf2, 1, 0x2c, K_GM64, 0 }, { 0xf2, 1, 0x2d, K_GM64, 0 },
    { 0xf3, 1, 0x2a, K_XG, 0 }, { 0xf2, 1, 0x2a, K_XG, 0 },
    { 0, 1, 0x50, K_GX, 0 }, { 0x66, 1, 0x50, K_GX, 0 },
    /* prefixes without a form there: #UD on both sides, not the NP row
     * (a few only: each ends its sequence) */
    { 0x66, 1, 0x52, K_PK, 0 }, { 0xf3, 1, 0x57, K_PK, 0 }, { 0xf2, 1, 0x2f, K_SD, 0 }, { 0, 1, 0xe6, K_PK, 0 },
    /* SSE2 integer */
    { 0x66, 1, 0x60, K_PK, 0 }, { 0x66, 1, 0x61, K_PK, 0 }, { 0x66, 1, 0x62, K_PK, 0 }, { 0x66, 1, 0x63, K_PK, 0 },
    { 0x66, 1, 0x64, K_PK, 0 }, { 0x66, 1, 0x65, K_PK, 0 }, { 0x66, 1, 0x66, K_PK, 0 }, { 0x66, 1, 0x67, K_PK, 0 },
    { 0x66, 1, 0x68, K_PK, 0 }, { 0x66, 1, 0x69, K_PK, 0 }, { 0x66, 1, 0x6a, K_PK, 0 }, { 0x66, 1, 0x6b, K_PK, 0 },
    { 0x66, 1, 0x6c, K_PK, 0 }, { 0x66, 1, 0x6d, K_PK, 0 }, { 0x66, 1, 0x6f, K_PK, 0 }, { 0xf3, 1, 0x6f, K_PK, 0 },
    { 0x66, 1, 0x70, K_PK, 1 }, { 0xf3, 1, 0x70, K_PK, 1 }, { 0xf2, 1, 0x70, K_PK, 1 },
    { 0x66, 1, 0x74, K_PK, 0 }, { 0x66, 1, 0x75, K_PK, 0 }, { 0x66, 1, 0x76, K_PK, 0 },
    { 0x66, 1, 0x6e, K_XG, 0 }, { 0x66, 1, 0x7e, K_EG, 0 }, { 0xf3, 1, 0x7e, K_SD, 0 },
    { 0x66, 1, 0xc4, K_XG, 1 }, { 0x66, 1, 0xc5, K_GX, 1 }, { 0x66, 1, 0xd7, K_GX, 0 },
    { 0x66, 1, 0xd1, K_PK, 0 }, { 0x66, 1, 0xd2, K_PK, 0 }, { 0x66, 1, 0xd3, K_PK, 0 }, { 0x66, 1, 0xd4, K_PK, 0 },
    { 0x66, 1, 0xd5, K_PK, 0 }, { 0x66, 1, 0xd8, K_PK, 0 }, { 0x66, 1, 0xd9, K_PK, 0 }, { 0x66, 1, 0xda, K_PK, 0 },
    { 0x66, 1, 0xdb, K_PK, 0 }, { 0x66, 1, 0xdc, K_PK, 0 }, { 0x66, 1, 0xdd, K_PK, 0 }, { 0x66, 1, 0xde, K_PK, 0 },
    { 0x66, 1, 0xdf, K_PK, 0 }, { 0x66, 1, 0xe0, K_PK, 0 }, { 0x66, 1, 0xe1, K_PK, 0 }, { 0x66, 1, 0xe2, K_PK, 0 },
    { 0x66, 1, 0xe3, K_PK, 0 }, { 0x66, 1, 0xe4, K_PK, 0 }, { 0x66, 1, 0xe5, K_PK, 0 }, { 0x66, 1, 0xe8, K_PK, 0 },
    { 0x66, 1, 0xe9, K_PK, 0 }, { 0x66, 1, 0xea, K_PK, 0 }, { 0x66, 1, 0xeb, K_PK, 0 }, { 0x66, 1, 0xec, K_PK, 0 },
    { 0x66, 1, 0xed, K_PK, 0 }, { 0x66, 1, 0xee, K_PK, 0 }, { 0x66, 1, 0xef, K_PK, 0 }, { 0x66, 1, 0xf1, K_PK, 0 },
    { 0x66, 1, 0xf2, K_PK, 0 }, { 0x66, 1, 0xf3, K_PK, 0 }, { 0x66, 1, 0xf4, K_PK, 0 }, { 0x66, 1, 0xf5, K_PK, 0 },
    { 0x66, 1, 0xf6, K_PK, 0 }, { 0x66, 1, 0xf8, K_PK, 0 }, { 0x66, 1, 0xf9, K_PK, 0 }, { 0x66, 1, 0xfa, K_PK, 0 },
    { 0x66, 1, 0xfb, K_PK, 0 }, { 0x66, 1, 0xfc, K_PK, 0 }, { 0x66, 1, 0xfd, K_PK, 0 }, { 0x66, 1, 0xfe, K_PK, 0 },
    { 0x66, 1, 0xd6, K_SD, 0 },
    /* moves: MOVUPS/UPD/SS/SD both ways, MOVLPS/HPS/LPD/HPD (and the NP
     * register forms MOVHLPS/MOVLHPS; the 66 register forms are #UD on both
     * sides), MOVAPS/APD, MOVNTPS/PD/DQ (register forms #UD), MOVDQA/DQU stores */
    { 0, 1, 0x10, K_PK, 0 }, { 0x66, 1, 0x10, K_PK, 0 }, { 0xf3, 1, 0x10, K_SS, 0 }, { 0xf2, 1, 0x10, K_SD, 0 },
    { 0, 1, 0x11, K_PK, 0 }, { 0x66, 1, 0x11, K_PK, 0 }, { 0xf3, 1, 0x11, K_SS, 0 }, { 0xf2, 1, 0x11, K_SD, 0 },
    { 0, 1, 0x12, K_SD, 0 }, { 0x66, 1, 0x12, K_SD, 0 }, { 0, 1, 0x13, K_SD, 0 }, { 0x66, 1, 0x13, K_SD, 0 },
    { 0, 1, 0x16, K_SD, 0 }, { 0x66, 1, 0x16, K_SD, 0 }, { 0, 1, 0x17, K_SD, 0 }, { 0x66, 1, 0x17, K_SD, 0 },
    { 0, 1, 0x28, K_PK, 0 }, { 0x66, 1, 0x28, K_PK, 0 }, { 0, 1, 0x29, K_PK, 0 }, { 0x66, 1, 0x29, K_PK, 0 },
    { 0, 1, 0x2b, K_PK, 0 }, { 0x66, 1, 0x2b, K_PK, 0 }, { 0x66, 1, 0xe7, K_PK, 0 },
    { 0x66, 1, 0x7f, K_PK, 0 }, { 0xf3, 1, 0x7f, K_PK, 0 },
    /* SSE3 */
    { 0xf2, 1, 0xd0, K_PK, 0 }, { 0x66, 1, 0xd0, K_PK, 0 }, { 0xf2, 1, 0x7c, K_PK, 0 }, { 0x66, 1, 0x7c, K_PK, 0 },
    { 0xf2, 1, 0x7d, K_PK, 0 }, { 0x66, 1, 0x7d, K_PK, 0 }, { 0xf3, 1, 0x12, K_PK, 0 }, { 0xf3, 1, 0x16, K_PK, 0 },
    { 0xf2, 1, 0x12, K_SD, 0 }, { 0xf2, 1, 0xf0, K_PK, 0 },   /* LDDQU: memory only, any alignment */
    /* SSSE3 */
    { 0x66, 2, 0x00, K_PK, 0 }, { 0x66, 2, 0x01, K_PK, 0 }, { 0x66, 2, 0x02, K_PK, 0 }, { 0x66, 2, 0x03, K_PK, 0 },
    { 0x66, 2, 0x04, K_PK, 0 }, { 0x66, 2, 0x05, K_PK, 0 }, { 0x66, 2, 0x06, K_PK, 0 }, { 0x66, 2, 0x07, K_PK, 0 },
    { 0x66, 2, 0x08, K_PK, 0 }, { 0x66, 2, 0x09, K_PK, 0 }, { 0x66, 2, 0x0a, K_PK, 0 }, { 0x66, 2, 0x0b, K_PK, 0 },
    { 0x66, 2, 0x1c, K_PK, 0 }, { 0x66, 2, 0x1d, K_PK, 0 }, { 0x66, 2, 0x1e, K_PK, 0 }, { 0x66, 3, 0x0f, K_PK, 1 },
    /* SSE4.1 */
    { 0x66, 2, 0x10, K_PK, 0 }, { 0x66, 2, 0x14, K_PK, 0 }, { 0x66, 2, 0x15, K_PK, 0 }, { 0x66, 2, 0x17, K_PK, 0 },
    { 0x66, 2, 0x20, K_SD, 0 }, { 0x66, 2, 0x21, K_SS, 0 }, { 0x66, 2, 0x23, K_SD, 0 }, { 0x66, 2, 0x25, K_SD, 0 },
    { 0x66, 2, 0x22, K_SS, 0 }, { 0x66, 2, 0x24, K_SS, 0 },   /* m16 and m32 sources */
    { 0x66, 2, 0x31, K_SS, 0 }, { 0x66, 2, 0x32, K_SS, 0 }, { 0x66, 2, 0x33, K_SD, 0 }, { 0x66, 2, 0x34, K_SS, 0 },
    { 0x66, 2, 0x35, K_SD, 0 }, { 0x66, 2, 0x2a, K_PK, 0 }, { 0x66, 3, 0x15, K_EG, 1 },
    { 0x66, 2, 0x28, K_PK, 0 }, { 0x66, 2, 0x29, K_PK, 0 }, { 0x66, 2, 0x2b, K_PK, 0 }, { 0x66, 2, 0x30, K_SD, 0 },
    { 0x66, 2, 0x38, K_PK, 0 }, { 0x66, 2, 0x39, K_PK, 0 }, { 0x66, 2, 0x3a, K_PK, 0 }, { 0x66, 2, 0x3b, K_PK, 0 },
    { 0x66, 2, 0x3c, K_PK, 0 }, { 0x66, 2, 0x3d, K_PK, 0 }, { 0x66, 2, 0x3e, K_PK, 0 }, { 0x66, 2, 0x3f, K_PK, 0 },
    { 0x66, 2, 0x40, K_PK, 0 }, { 0x66, 2, 0x41, K_PK, 0 },
    { 0x66, 3, 0x08, K_PK, 1 }, { 0x66, 3, 0x09, K_PK, 1 }, { 0x66, 3, 0x0a, K_SS, 1 }, { 0x66, 3, 0x0b, K_SD, 1 },
    { 0x66, 3, 0x0c, K_PK, 1 }, { 0x66, 3, 0x0d, K_PK, 1 }, { 0x66, 3, 0x0e, K_PK, 1 },
    { 0x66, 3, 0x14, K_EG, 1 }, { 0x66, 3, 0x16, K_EG, 1 }, { 0x66, 3, 0x17, K_EG, 1 },
    { 0x66, 3, 0x20, K_XG, 1 }, { 0x66, 3, 0x21, K_SS, 1 }, { 0x66, 3, 0x22, K_XG, 1 },
    { 0x66, 3, 0x40, K_PK, 1 }, { 0x66, 3, 0x41, K_PK, 1 }, { 0x66, 3, 0x42, K_PK, 1 },
    /* SSE4.2, CRC32, POPCNT */
    { 0x66, 2, 0x37, K_PK, 0 },
    { 0x66, 3, 0x60, K_PK, 1 }, { 0x66, 3, 0x61, K_PK, 1 }, { 0x66, 3, 0x62, K_PK, 1 }, { 0x66, 3, 0x63, K_PK, 1 },
    { 0xf2, 2, 0xf0, K_CRC, 0 }, { 0xf2, 2, 0xf1, K_CRC, 0 }, { 0xf3, 1, 0xb8, K_CRC, 0 },
    /* MMX (NP rows): unpacks, packs, compares, moves, PSHUFW, shifts,
     * arithmetic, PINSRW/PEXTRW/PMOVMSKB, EMMS, and the SSSE3 mm forms */
    { 0, 1, 0x60, K_MM, 0 }, { 0, 1, 0x61, K_MM, 0 }, { 0, 1, 0x62, K_MM, 0 }, { 0, 1, 0x63, K_MM, 0 },
    { 0, 1, 0x64, K_MM, 0 }, { 0, 1, 0x65, K_MM, 0 }, { 0, 1, 0x66, K_MM, 0 }, { 0, 1, 0x67, K_MM, 0 },
    { 0, 1, 0x68, K_MM, 0 }, { 0, 1, 0x69, K_MM, 0 }, { 0, 1, 0x6a, K_MM, 0 }, { 0, 1, 0x6b, K_MM, 0 },
    { 0, 1, 0x6e, K_MG, 0 }, { 0, 1, 0x6f, K_MM, 0 }, { 0, 1, 0x7e, K_GM, 0 }, { 0, 1, 0x7f, K_MM, 0 },
    { 0, 1, 0x70, K_MM, 1 }, { 0, 1, 0x71, K_MSH, 1 }, { 0, 1, 0x72, K_MSH, 1 }, { 0, 1, 0x73, K_MSH, 1 },
    { 0, 1, 0x74, K_MM, 0 }, { 0, 1, 0x75, K_MM, 0 }, { 0, 1, 0x76, K_MM, 0 }, { 0, 1, 0x77, K_EMMS, 0 },
    { 0, 1, 0xc4, K_MG, 1 }, { 0, 1, 0xc5, K_GMR, 1 }, { 0, 1, 0xd7, K_GMR, 0 },
    { 0, 1, 0xd1, K_MM, 0 }, { 0, 1, 0xd2, K_MM, 0 }, { 0, 1, 0xd3, K_MM, 0 }, { 0, 1, 0xd4, K_MM, 0 },
    { 0, 1, 0xd5, K_MM, 0 }, { 0, 1, 0xd8, K_MM, 0 }, { 0, 1, 0xd9, K_MM, 0 }, { 0, 1, 0xda, K_MM, 0 },
    { 0, 1, 0xdb, K_MM, 0 }, { 0, 1, 0xdc, K_MM, 0 }, { 0, 1, 0xdd, K_MM, 0 }, { 0, 1, 0xde, K_MM, 0 },
    { 0, 1, 0xdf, K_MM, 0 }, { 0, 1, 0xe0, K_MM, 0 }, { 0, 1, 0xe1, K_MM, 0 }, { 0, 1, 0xe2, K_MM, 0 },
    { 0, 1, 0xe3, K_MM, 0 }, { 0, 1, 0xe4, K_MM, 0 }, { 0, 1, 0xe5, K_MM, 0 }, { 0, 1, 0xe8, K_MM, 0 },
    { 0, 1, 0xe9, K_MM, 0 }, { 0, 1, 0xea, K_MM, 0 }, { 0, 1, 0xeb, K_MM, 0 }, { 0, 1, 0xec, K_MM, 0 },
    { 0, 1, 0xed, K_MM, 0 }, { 0, 1, 0xee, K_MM, 0 }, { 0, 1, 0xef, K_MM, 0 }, { 0, 1, 0xf1, K_MM, 0 },
    { 0, 1, 0xf2, K_MM, 0 }, { 0, 1, 0xf3, K_MM, 0 }, { 0, 1, 0xf4, K_MM, 0 }, { 0, 1, 0xf5, K_MM, 0 },
    { 0, 1, 0xf6, K_MM, 0 }, { 0, 1, 0xf8, K_MM, 0 }, { 0, 1, 0xf9, K_MM, 0 }, { 0, 1, 0xfa, K_MM, 0 },
    { 0, 1, 0xfb, K_MM, 0 }, { 0, 1, 0xfc, K_MM, 0 }, { 0, 1, 0xfd, K_MM, 0 }, { 0, 1, 0xfe, K_MM, 0 },
    { 0, 2, 0x00, K_MM, 0 }, { 0, 2, 0x01, K_MM, 0 }, { 0, 2, 0x02, K_MM, 0 }, { 0, 2, 0x03, K_MM, 0 },
    { 0, 2, 0x04, K_MM, 0 }, { 0, 2, 0x05, K_MM, 0 }, { 0, 2, 0x06, K_MM, 0 }, { 0, 2, 0x07, K_MM, 0 },
    { 0, 2, 0x08, K_MM, 0 }, { 0, 2, 0x09, K_MM, 0 }, { 0, 2, 0x0a, K_MM, 0 }, { 0, 2, 0x0b, K_MM, 0 },
    { 0, 2, 0x1c, K_MM, 0 }, { 0, 2, 0x1d, K_MM, 0 }, { 0, 2, 0x1e, K_MM, 0 }, { 0, 3, 0x0f, K_MM, 1 },
};

/* RCPPS/RSQRTPS give approximations whose exact bits the manuals leave to
 * the implementation (SDM vol. 2 RCPPS: relative error <= 1.5*2^-12):
 * such a result is overwritten by an exact operation on the same register
 * (ANDPS with itself keeps it; SUBPS/XORPS with itself zeroes it), so
 * only the exceptions and flags are compared. */
static bool sse_exact(const struct sse_op *o)
{
    return !(o->map == 1 && (o->op == 0x52 || o->op == 0x53));
}

static bool simd;                   /* DIFF_SIMD=1 */
static unsigned nxmm(void) { return long64 ? 16 : 8; }

/* DIFF_SIMD_OPS="map:op,map:op,..." (hex, e.g. "1:58,2:00") limits the
 * generator to those opcodes (every prefix), for work on one family. */
static uint16_t simd_only[256];
static unsigned nsimd_only;

static void simd_only_parse(const char *v)
{
    while (v && *v && nsimd_only < 256) {
        unsigned map, op;
        if (sscanf(v, "%x:%x", &map, &op) == 2)
            for (size_t k = 0; k < sizeof sse_ops / sizeof sse_ops[0]; k++)
                if (sse_ops[k].map == map && sse_ops[k].op == op) {
                    simd_only[nsimd_only++] = (uint16_t)(map << 8 | (op & 0xff));
                    break;
                }
        v = strchr(v, ',');
        if (v)
            v++;
    }
}

static const struct sse_op *pick_sse(void)
{
    const unsigned n = sizeof sse_ops / sizeof sse_ops[0];
    for (;;) {
        const struct sse_op *o = &sse_ops[rnd(n)];
        if (!nsimd_only)
            return o;
        for (unsigned k = 0; k < nsimd_only; k++)
            if (simd_only[k] == (o->map << 8 | o->op))
                return o;
    }
}

/* An MMX form: mm registers 0-7 (in 64-bit mode REX.R/B set at random
 * for them, which they ignore, and REX.W, which only MOVD/MOVQ and the
 * GPR destinations heed), m64 operands anywhere (no alignment rule). */
static void gen_mmx(struct seq *s, const struct sse_op *o)
{
    unsigned mr = rnd(8), rmreg = rnd(8), gr = long64 ? rreg16() : rreg();
    bool grm = o->kind == K_MG || o->kind == K_GM;      /* ModRM.rm: GPR or memory */
    bool mem = o->kind != K_GMR && o->kind != K_MSH && o->kind != K_EMMS && rnd(3) == 0;
    struct operand m = { 0 };

    if (o->kind == K_EMMS) {
        begin(s, C_SSE);
        put8(s, 0x0f);
        put8(s, 0x77);
        flags_row(s, 0);
        return;
    }
    if (mem)
        gen_mem(s, &m, scratch_addr(64), 1u << gr);
    else if (grm)
        rmreg = long64 ? rreg16() : rreg();
    begin(s, C_SSE);
    unsigned reg = o->kind == K_GMR ? gr : mr;
    if (o->kind == K_MSH)
        reg = o->op == 0x73 ? (rnd(2) ? 2 : 6) : 2 + 2 * rnd(3);
    if (long64) {
        unsigned rex = 0x40 | (rnd(2) ? 8 : 0);
        if (o->kind == K_GMR ? gr & 8 : o->kind != K_MSH && rnd(4) == 0)
            rex |= 4;
        if (!mem && (grm ? rmreg & 8 : rnd(4) == 0))
            rex |= 1;
        if (rex != 0x40 || rnd(4) == 0)
            put8(s, rex);
    }
    put8(s, 0x0f);
    if (o->map == 2)
        put8(s, 0x38);
    else if (o->map == 3)
        put8(s, 0x3a);
    put8(s, o->op);
    if (mem) {
        put8(s, m.tail[0] | (reg & 7) << 3);
        for (unsigned k = 1; k < m.tn; k++)
            put8(s, m.tail[k]);
    } else {
        put8(s, 0xc0 | (reg & 7) << 3 | (rmreg & 7));
    }
    if (o->imm)
        put8(s, rnd(2) ? rnd(256) : o->kind == K_MSH ? rnd(66) : rnd(20));
    flags_row(s, 0);
}

static void gen_sse(struct seq *s)
{
    const struct sse_op *o = pick_sse();
    if (o->kind >= K_MM) {
        gen_mmx(s, o);
        return;
    }
    unsigned xr = rnd(nxmm()), size8 = long64 && rnd(2);
    unsigned gr = long64 ? rreg16() : rreg();
    bool mem = o->kind != K_GX && rnd(3) == 0, is_gdst = false;
    unsigned regfield, rmreg = 0;
    struct operand m = { 0 };

    if (o->kind == K_GX || o->kind == K_GM32 || o->kind == K_GM64 || o->kind == K_CRC)
        is_gdst = true;
    if (mem) {
        unsigned msz = o->kind == K_PK ? 16 : o->kind == K_SD || o->kind == K_GM64 ? 8 : 4;
        uint32_t a = scratch_addr(64);
        if (msz == 16 && rnd(16))
            a = (win + 64 + rnd(SCR_SIZE - 128)) & ~15u;   /* aligned */
        gen_mem(s, &m, a, 1u << gr);
    } else if (o->kind == K_XG || o->kind == K_CRC || o->kind == K_EG) {
        rmreg = long64 ? rreg16() : rreg();     /* a GPR in ModRM.rm */
    } else {
        rmreg = rnd(nxmm());
    }
    begin(s, C_SSE);
    if (o->pfx == 0xf2 && o->op == 0xf1 && o->map == 2 && rnd(2))
        put8(s, 0x66);                      /* CRC32 r32, r/m16 */
    if (o->pfx)
        put8(s, o->pfx);
    regfield = is_gdst ? gr : xr;
    unsigned rm = mem ? 0 : rmreg;
    if (long64) {
        unsigned w = size8 && (is_gdst || o->kind == K_XG || o->kind == K_EG) ? 8 : 0;
        unsigned rex = 0x40 | w | (regfield & 8 ? 4 : 0) | (rm & 8 ? 1 : 0);
        if (o->kind == K_EG)
            rex = 0x40 | w | (xr & 8 ? 4 : 0) | (rm & 8 ? 1 : 0);
        if (rex != 0x40 || rnd(4) == 0)
            put8(s, rex);
    }
    put8(s, 0x0f);
    if (o->map == 2)
        put8(s, 0x38);
    else if (o->map == 3)
        put8(s, 0x3a);
    put8(s, o->op);
    unsigned reg = o->kind == K_EG ? xr : regfield;
    if (mem) {
        put8(s, m.tail[0] | (reg & 7) << 3);
        for (unsigned k = 1; k < m.tn; k++)
            put8(s, m.tail[k]);
    } else {
        put8(s, 0xc0 | (reg & 7) << 3 | (rm & 7));
    }
    if (o->imm)
        put8(s, rnd(2) ? rnd(256) : rnd(8));
    flags_row(s, 0);
    if (!sse_exact(o)) {                    /* XORPS xr, xr */
        begin(s, C_SETUP);
        if (long64 && xr >= 8)
            put8(s, 0x45);
        put8(s, 0x0f);
        put8(s, 0x57);
        put8(s, 0xc0 | (xr & 7) << 3 | (xr & 7));
    }
}

/* XMM values rich in FP edge cases. */
static void rnd_xmm(union xmm *x)
{
    static const uint32_t f32[] = {
        0x00000000, 0x80000000, 0x3f800000, 0xbfc00000, 0x7f800000, 0xff800000,
        0x7fc00000, 0x7fa00000, 0x00000001, 0x807fffff, 0x7f7fffff, 0x00800000,
        0x4f000000, 0xcf000000, 0x3effffff, 0x4b400000,
    };
    static const uint64_t f64[] = {
        0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff8000000000000ull,
        0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
        0x7ff4000000000000ull, 1, 0x800fffffffffffffull, 0x7fefffffffffffffull,
        0x0010000000000000ull, 0x41e0000000000000ull, 0xc1e0000000000000ull,
        0x43e0000000000000ull, 0x3fdfffffffffffffull,
    };
    unsigned how = rnd(4);
    for (unsigned k = 0; k < 4; k++)
        x->d[k] = rnd32();
    if (how == 1)
        for (unsigned k = 0; k < 4; k++)
            x->d[k] = rnd(2) ? f32[rnd(16)] : x->d[k] >> rnd(32);
    else if (how == 2)
        for (unsigned k = 0; k < 2; k++)
            x->q[k] = rnd(2) ? f64[rnd(16)] : x->q[k] >> rnd(64);
}

/* MXCSR: RC, DAZ, FZ and the sticky flags at random; all exceptions
 * masked three times in four, else a random set unmasked. */
static uint32_t rnd_mxcsr(void)
{
    uint32_t m = (rnd32() & 0xe07fu) | 0x1f80u;
    if (rnd(4) == 0)
        m &= ~(rnd32() & 0x1f80u);
    if (rnd(2))
        m &= ~0x3fu;
    return m;
}

static bool no_rex;                 /* DIFF_REX=0: 64-bit mode without the REX classes */
static bool guest_cx16 = true;      /* rawbox's model claims CMPXCHG16B */

static void gen_one64(struct seq *s)
{
    switch (no_rex ? 15 : rnd(16)) {
    case 0: case 1: case 2: gen64_alu(s); break;
    case 3: case 4: gen64_mov(s); break;
    case 5: case 6: gen64_unary(s); break;
    case 7: case 8: gen64_shift(s); break;
    case 9: gen64_misc(s); break;
    case 10:
        if (guest_cx16) {           /* else #UD is right (CPUID.1:ECX.CX16[13]) */
            gen64_cx16(s);
            break;
        }
        gen_one(s);
        break;
    case 11: case 12: case 13:
        if (simd) {
            gen_sse(s);
            break;
        }
        /* fall through */
    default: gen_one(s); break;
    }
}

/* ---- machine state of one run ---- */

struct state {
    uint64_t r[16];         /* 32-bit mode: r8-r15 unused, the rest zero-extended */
    union xmm x[16];        /* 32-bit mode: xmm8-15 unused */
    uint32_t mxcsr;
    uint64_t mm[8];         /* MM0-MM7: bits 63:0 of the x87 registers R0-R7 */
    uint8_t ftw;            /* after: abridged x87 tag word (FXSAVE), bit p = R(p) not empty */
    uint8_t top;            /* after: FSW.TOP */
    uint32_t fl;
    int vector;             /* -1, or the exception that stopped the run */
    uint32_t fault_off;     /* offset of the faulting instruction */
    uint32_t cr2;           /* #PF: faulting linear address */
    uint32_t err;           /* #PF: error code bits P and W */
    uint8_t mem[MEM_SIZE];  /* the window, then the tail */
};

/* Host (= guest linear) address of state.mem[k]. */
static uint32_t mem_addr(unsigned k)
{
    return k < SCR_SIZE ? win + k : scr + TAIL_OFF + (k - SCR_SIZE);
}

/* ---- native execution ---- */

static bool fault_ro;               /* the fault page is read-only, not absent */
static sigjmp_buf host_jb;
static volatile int host_sig;
static volatile union xmm host_xmm[16];
static volatile uint32_t host_mxcsr;
static volatile uint64_t host_st[8];        /* ST(0)..ST(7), bits 63:0 */
static volatile uint16_t host_fsw, host_ftw;
static volatile uint64_t host_greg[16], host_rip, host_efl, host_trapno, host_err, host_addr;

static void on_host_signal(int sig, siginfo_t *si, void *uctx)
{
    const ucontext_t *uc = uctx;
    static const int map[16] = { REG_RAX, REG_RCX, REG_RDX, REG_RBX,
                                 REG_RSP, REG_RBP, REG_RSI, REG_RDI,
                                 REG_R8, REG_R9, REG_R10, REG_R11,
                                 REG_R12, REG_R13, REG_R14, REG_R15 };
    for (int k = 0; k < 16; k++)
        host_greg[k] = (uint64_t)uc->uc_mcontext.gregs[map[k]];
    host_rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
    /* The FXSAVE image the kernel saved (SSE state at the fault). */
    memcpy((void *)host_xmm, uc->uc_mcontext.fpregs->_xmm, sizeof host_xmm);
    host_mxcsr = uc->uc_mcontext.fpregs->mxcsr;
    for (int k = 0; k < 8; k++)
        memcpy((void *)&host_st[k], uc->uc_mcontext.fpregs->_st[k].significand, 8);
    host_fsw = uc->uc_mcontext.fpregs->swd;
    host_ftw = uc->uc_mcontext.fpregs->ftw;
    host_efl = (uint64_t)uc->uc_mcontext.gregs[REG_EFL];
    host_trapno = (uint64_t)uc->uc_mcontext.gregs[REG_TRAPNO];
    host_err = (uint64_t)uc->uc_mcontext.gregs[REG_ERR];
    host_addr = (uint64_t)(uintptr_t)si->si_addr;
    host_sig = sig;
    siglongjmp(host_jb, 1);
}

/* mov r64, [abs32] / mov [abs32], r64 through SIB (no RIP-relative). */
static unsigned emit_abs(uint8_t *p, uint8_t op, unsigned r, uint32_t addr)
{
    p[0] = (uint8_t)(0x48 | (r >= 8 ? 4 : 0));
    p[1] = op;
    p[2] = (uint8_t)((r & 7) << 3 | 4);
    p[3] = 0x25;
    memcpy(p + 4, &addr, 4);
    return 8;
}

/* The host code: prologue, sequence, epilogue, placed so that the
 * sequence starts at code_lin, its address in the guest too (stores into
 * the instruction stream then hit the same bytes on both sides). */
#define PROLOGUE_LEN 364u
#define HS_XMM      0x100u      /* in the host register block: XMM0-15 */
#define HS_MXCSR    0x200u      /* the sequence's MXCSR */
#define HS_MXCSR0   0x204u      /* the host's own MXCSR, restored after */
#define HS_MM       0x240u      /* MM0-7 before the sequence */
#define HS_FX       0x400u      /* FXSAVE image after it (512 bytes) */

/* An FXSAVE image's MMX view: R(p) = ST((p - TOP) & 7). */
static void mm_from_fx(struct state *out, const volatile uint64_t *st, unsigned fsw, unsigned ftw)
{
    out->top = (uint8_t)(fsw >> 11 & 7);
    out->ftw = (uint8_t)ftw;
    for (unsigned k = 0; k < 8; k++)
        out->mm[(out->top + k) & 7] = st[k];
}

/* [F3] [REX.R] 0F op /reg [abs32] (0F AE /2 /3 when pfx is 0x0f). */
static unsigned emit_xmm(uint8_t *p, uint8_t pfx, uint8_t op, unsigned reg, uint32_t addr)
{
    unsigned n = 0;
    if (pfx != 0x0f)
        p[n++] = pfx;
    if (reg >= 8 && pfx != 0x0f)
        p[n++] = 0x44;
    p[n++] = 0x0f;
    p[n++] = op;
    p[n++] = (uint8_t)((reg & 7) << 3 | 4);
    p[n++] = 0x25;
    memcpy(p + n, &addr, 4);
    return n + 4;
}

static void run_host(const struct seq *s, const struct state *in, struct state *out)
{
    volatile uint64_t *hs = (volatile uint64_t *)(uintptr_t)(scr + HSTATE_OFF);
    uint32_t hs_addr = scr + HSTATE_OFF;
    uint8_t *host_code = (uint8_t *)(uintptr_t)(code_lin - PROLOGUE_LEN);
    uint8_t *p = host_code;

    /* push rbx, rbp, r12..r15 (callee-saved); mov rax,[fl]; push rax;
     * popfq; load all 16 registers but RSP */
    static const uint8_t saves[10] = { 0x53, 0x55, 0x41, 0x54, 0x41, 0x55, 0x41, 0x56, 0x41, 0x57 };
    memcpy(p, saves, sizeof saves);
    p += sizeof saves;
    p += emit_abs(p, 0x8b, R_EAX, hs_addr + 8 * 16);
    *p++ = 0x50;
    *p++ = 0x9d;
    p += emit_xmm(p, 0x0f, 0xae, 2, hs_addr + HS_MXCSR);           /* ldmxcsr */
    for (unsigned x = 0; x < 16; x++)                               /* movdqu */
        p += emit_xmm(p, 0xf3, 0x6f, x, hs_addr + HS_XMM + 16 * x);
    for (unsigned x = 0; x < 8; x++)                                /* movq mmx */
        p += emit_xmm(p, 0x0f, 0x6f, x, hs_addr + HS_MM + 8 * x);
    for (unsigned r = 0; r < 16; r++)
        if (r != R_ESP)
            p += emit_abs(p, 0x8b, r, hs_addr + 8 * r);
    if (p != host_code + PROLOGUE_LEN)
        abort();
    memcpy(p, s->b, s->len);
    p += s->len;
    /* store registers; pushfq; pop rax; store flags; cld; pop; ret */
    for (unsigned r = 0; r < 16; r++)
        if (r != R_ESP)
            p += emit_abs(p, 0x89, r, hs_addr + 8 * r);
    *p++ = 0x9c;
    *p++ = 0x58;
    p += emit_abs(p, 0x89, R_EAX, hs_addr + 8 * 16);
    for (unsigned x = 0; x < 16; x++)
        p += emit_xmm(p, 0xf3, 0x7f, x, hs_addr + HS_XMM + 16 * x);
    p += emit_xmm(p, 0x0f, 0xae, 3, hs_addr + HS_MXCSR);           /* stmxcsr */
    p += emit_xmm(p, 0x0f, 0xae, 2, hs_addr + HS_MXCSR0);          /* host MXCSR */
    p += emit_xmm(p, 0x0f, 0xae, 0, hs_addr + HS_FX);               /* fxsave */
    *p++ = 0x0f;                                                    /* emms */
    *p++ = 0x77;
    static const uint8_t restores[11] = { 0xfc, 0x41, 0x5f, 0x41, 0x5e, 0x41, 0x5d, 0x41, 0x5c,
                                          0x5d, 0x5b };
    memcpy(p, restores, sizeof restores);
    p += sizeof restores;
    *p++ = 0xc3;

    for (unsigned r = 0; r < 16; r++)
        hs[r] = in->r[r];
    hs[16] = in->fl | 0x202;
    memcpy((void *)(uintptr_t)(hs_addr + HS_XMM), in->x, sizeof in->x);
    memcpy((void *)(uintptr_t)(hs_addr + HS_MXCSR), &in->mxcsr, 4);
    memcpy((void *)(uintptr_t)(hs_addr + HS_MM), in->mm, sizeof in->mm);
    uint32_t mx0 = MXCSR_RESET;
    memcpy((void *)(uintptr_t)(hs_addr + HS_MXCSR0), &mx0, 4);
    memcpy((void *)(uintptr_t)win, in->mem, SCR_SIZE);
    memcpy((void *)(uintptr_t)(scr + TAIL_OFF), in->mem + SCR_SIZE, TAIL_SIZE);

    host_sig = 0;
    if (sigsetjmp(host_jb, 1) == 0) {
        ((void (*)(void))host_code)();
        for (unsigned r = 0; r < 16; r++)
            out->r[r] = hs[r];
        out->fl = (uint32_t)hs[16];
        memcpy(out->x, (const void *)(uintptr_t)(hs_addr + HS_XMM), sizeof out->x);
        memcpy(&out->mxcsr, (const void *)(uintptr_t)(hs_addr + HS_MXCSR), 4);
        const volatile uint8_t *fx = (const volatile uint8_t *)(uintptr_t)(hs_addr + HS_FX);
        uint64_t st[8];
        for (unsigned k = 0; k < 8; k++)
            memcpy(&st[k], (const void *)(fx + 32 + 16 * k), 8);
        mm_from_fx(out, st, fx[2] | fx[3] << 8, fx[4]);
        out->vector = -1;
        out->fault_off = 0;
        out->cr2 = out->err = 0;
    } else {
        for (unsigned r = 0; r < 16; r++)
            out->r[r] = host_greg[r];
        memcpy(out->x, (const void *)host_xmm, sizeof out->x);
        out->mxcsr = host_mxcsr;
        __builtin_ia32_ldmxcsr(MXCSR_RESET);   /* the handler's was left */
        mm_from_fx(out, host_st, host_fsw, host_ftw);
        __asm__ volatile("emms");               /* x87 empty for C code */
        out->fl = (uint32_t)host_efl;
        /* The kernel passes the CPU's vector and error code in the
         * signal context (trapno, err) and CR2 as si_addr. */
        out->vector = host_sig == SIGFPE && host_trapno == EXC_XM ? EXC_XM
                    : host_sig == SIGFPE ? EXC_DE : host_sig == SIGILL ? EXC_UD
                    : host_sig == SIGSEGV && host_trapno == EXC_PF ? EXC_PF
                    : host_sig == SIGSEGV && host_trapno == EXC_GP ? EXC_GP : 255;
        out->fault_off = (uint32_t)(host_rip - code_lin);
        out->cr2 = out->vector == EXC_PF ? (uint32_t)host_addr : 0;
        out->err = out->vector == EXC_PF ? (uint32_t)host_err & (PF_P | PF_W) : 0;
        /* A PROT_READ page Linux has not populated yet has no present PTE,
         * so the host may report P=0 where the page is architecturally
         * present and read-only (as in the guest): P is the guest's here. */
        if (out->vector == EXC_PF && fault_ro &&
            out->cr2 - (scr + FAULT_OFF) < 0x1000)
            out->err |= PF_P;
    }
    out->r[R_ESP] = 0;
    for (unsigned r = 0; r < 16 && !long64; r++) {  /* 32-bit mode: EAX..EDI, XMM0-7 */
        out->r[r] = r < 8 ? (uint32_t)out->r[r] : 0;
        if (r >= 8)
            memset(&out->x[r], 0, sizeof out->x[r]);
    }
    memcpy(out->mem, (const void *)(uintptr_t)win, SCR_SIZE);
    memcpy(out->mem + SCR_SIZE, (const void *)(uintptr_t)(scr + TAIL_OFF), TAIL_SIZE);
}

/* ---- rawbox execution ---- */

static struct physmem mem;
static struct iobus io;
static struct cpu cpu;

static uint64_t guest_retired;      /* instructions the last run retired */

static void guest_wr32(uint32_t a, uint32_t v) { physmem_write(&mem, a, v, 4); }

/* Paging (every other sequence): 4 KiB pages, identity-mapped except for
 * swapped pairs, so that the page-crossing code and data of a sequence sit
 * on physical pages that are neither adjacent nor in order: in the scratch
 * mapping pages 0 -> 5 -> 0 and 1 -> 2 -> 7 -> 1 (the compared window
 * crosses from page 0 into 1, the code from page 5 into 6; page 2, the
 * fault page, maps to a physical page nothing else writes, zero like the
 * host's); low memory (descriptor tables, handlers, stack) pages 2 <-> 6.
 * CR0.WP is set, so the read-only fault page protects against CPL 0 too. */
#define PD_GPA      0x20000u
#define PT_LOW_GPA  0x21000u
#define PT_SCR_GPA  0x22000u
static bool paging_ok;              /* the scratch mapping fits one page table */
static bool paging;                 /* this run pages */

static uint32_t page_perm(uint32_t lin)
{
    static const uint8_t low[8] = { 0, 1, 6, 3, 4, 5, 2, 7 };
    static const uint8_t hi[8] = { 5, 2, 7, 3, 4, 0, 6, 1 };
    uint32_t off = lin & 0xfff;
    if (!paging)
        return lin;
    if (lin < 0x8000)
        return (uint32_t)low[lin >> 12] << 12 | off;
    if (lin - scr < 0x8000)
        return scr + ((uint32_t)hi[(lin - scr) >> 12] << 12) + off;
    return lin;
}

/* Linear-address copies through page_perm (page-sized pieces). */
static bool guest_write_lin(uint32_t lin, const uint8_t *buf, unsigned len)
{
    while (len) {
        unsigned n = 0x1000 - (lin & 0xfff);
        if (n > len)
            n = len;
        if (!physmem_write_buf(&mem, page_perm(lin), buf, n))
            return false;
        lin += n, buf += n, len -= n;
    }
    return true;
}

static bool guest_read_lin(uint32_t lin, uint8_t *buf, unsigned len)
{
    while (len) {
        unsigned n = 0x1000 - (lin & 0xfff);
        if (n > len)
            n = len;
        if (!physmem_read_buf(&mem, page_perm(lin), buf, n))
            return false;
        lin += n, buf += n, len -= n;
    }
    return true;
}

/* 64-bit mode: 4-level tables (SDM vol. 3A 4.5) mapping the same pages
 * through page_perm, 4 KiB pages, the fault page absent or read-only. */
#define PML4_GPA    0x23000u
#define PDPT_GPA    0x24000u
#define PD64_GPA    0x25000u
#define PT64_LOW    0x26000u
#define PT64_SCR    0x27000u
#define EFER_LME_BIT 0x100u         /* SDM vol. 3A 2.2.1 (EFER) */
#define EFER_LMA_BIT 0x400u

static void guest_wr64(uint32_t a, uint64_t v)
{
    physmem_write(&mem, a, (uint32_t)v, 4);
    physmem_write(&mem, a + 4, (uint32_t)(v >> 32), 4);
}

static uint32_t guest_rd32_lin(uint32_t lin)
{
    uint8_t b[4];
    uint32_t v;
    guest_read_lin(lin, b, 4);
    memcpy(&v, b, 4);
    return v;
}

static void set_paging(bool on)
{
    if (on == paging || long64)         /* long mode always pages */
        return;
    paging = on;
    if (on) {
        cpu.s.cr0 |= CR0_PG | CR0_WP;
        cpu.s.cr3 = PD_GPA;
    } else {
        cpu.s.cr0 &= ~(CR0_PG | CR0_WP);
    }
    tlb_flush_all(&cpu);
    cpu.fetch_page = NULL;
}

/* The fault page: absent, or present and read-only, on both sides. */
static void set_fault_ro(bool ro)
{
    uint32_t a = scr + FAULT_OFF;
    if (ro == fault_ro || !paging_ok)
        return;
    fault_ro = ro;
    if (mprotect((void *)(uintptr_t)a, 0x1000, ro ? PROT_READ : PROT_NONE) != 0)
        abort();
    bool was = paging;
    paging = true;
    if (long64)
        guest_wr64(PT64_SCR + ((a >> 12) & 0x1ff) * 8, ro ? page_perm(a) | 1 : 0);
    else
        guest_wr32(PT_SCR_GPA + ((a >> 12) & 0x3ff) * 4, ro ? page_perm(a) | 1 : 0);
    paging = was;
    tlb_flush_all(&cpu);
    cpu.fetch_page = NULL;
}

static int guest_setup(void)
{
    if (physmem_init(&mem, LOW_RAM + SCR_MAP) != 0 ||
        physmem_map_ram(&mem, 0, LOW_RAM, 0, "low") != 0 ||
        physmem_map_ram(&mem, scr, SCR_MAP, LOW_RAM, "scratch") != 0 ||
        iobus_init(&io) != 0)
        return -1;
    cpu_init(&cpu, &mem, &io);
    /* The generator uses CMPXCHG16B and LAHF/SAHF in 64-bit mode, which the
     * host has: claim CX16 and LAHF-SAHF (CPUID.80000001H:ECX[0]) for the
     * rawbox side too, which raises #UD for them otherwise. */
    cpu.model.feat[CPUID_1_ECX] |= 1u << 13;
    cpu.model.feat[CPUID_80000001_ECX] |= 1u;
    /* GDT: null, flat 32-bit code (0x08), flat data (0x10). */
    guest_wr32(GDT_GPA + 8, 0x0000ffff);
    guest_wr32(GDT_GPA + 12, 0x00cf9b00);
    guest_wr32(GDT_GPA + 16, 0x0000ffff);
    guest_wr32(GDT_GPA + 20, 0x00cf9300);
    /* IDT: 32 interrupt gates, vector v to a HLT at HANDLER_GPA + v. */
    for (unsigned v = 0; v < 32; v++) {
        uint32_t h = HANDLER_GPA + v;
        guest_wr32(IDT_GPA + 8 * v, 0x00080000u | (h & 0xffff));
        guest_wr32(IDT_GPA + 8 * v + 4, (h & 0xffff0000u) | 0x8e00);
        physmem_write(&mem, h, 0xf4, 1);
    }
    /* Page tables: low 1 MiB and the scratch mapping, supervisor R/W. */
    paging = true;
    paging_ok = (scr & 0x3fffff) + SCR_MAP <= 0x400000;
    guest_wr32(PD_GPA, PT_LOW_GPA | 3);
    for (uint32_t a = 0; a < LOW_RAM; a += 0x1000)
        guest_wr32(PT_LOW_GPA + (a >> 12) * 4, page_perm(a) | 3);
    if (paging_ok) {
        guest_wr32(PD_GPA + (scr >> 22) * 4, PT_SCR_GPA | 3);
        for (uint32_t a = scr; a < scr + SCR_MAP; a += 0x1000)
            guest_wr32(PT_SCR_GPA + ((a >> 12) & 0x3ff) * 4,
                       a == scr + FAULT_OFF ? 0 : page_perm(a) | 3);
    }
    paging = false;
    cpu.s.gdtr.base = GDT_GPA;
    cpu.s.gdtr.limit = 23;
    cpu.s.idtr.base = IDT_GPA;
    cpu.s.idtr.limit = 32 * 8 - 1;
    cpu.s.cr0 = CR0_PE | CR0_ET;
    seg_load_cache(&cpu, SEG_CS, 0x08, 0, 0xffffffffu, 0x9b | SEGA_DB | SEGA_G);
    for (int sg = 0; sg < SEG_COUNT; sg++)
        if (sg != SEG_CS)
            seg_load_cache(&cpu, sg, 0x10, 0, 0xffffffffu, 0x93 | SEGA_DB | SEGA_G);
    cpu_update_mode(&cpu);
    return 0;
}

/* Switch the guest to 64-bit mode the way a loader leaves it (SDM vol. 3A
 * 10.8.5): CR4.PAE, EFER.LME and LMA, CR0.PG with 4-level tables, a
 * 64-bit code segment (L=1, D=0) and an IDT of 16-byte gates. Returns a
 * reason when it cannot. */
static const char *guest_setup64(void)
{
    if (scr >> 30 != 0 || (scr & 0x1fffff) + SCR_MAP > 0x200000)
        return "the scratch mapping does not fit one page table";
    paging = true;
    guest_wr64(PML4_GPA, PDPT_GPA | 3);
    guest_wr64(PDPT_GPA, PD64_GPA | 3);
    guest_wr64(PD64_GPA, PT64_LOW | 3);
    for (uint32_t a = 0; a < LOW_RAM; a += 0x1000)
        guest_wr64(PT64_LOW + (a >> 12) * 8, page_perm(a) | 3);
    guest_wr64(PD64_GPA + ((scr >> 21) & 0x1ff) * 8, PT64_SCR | 3);
    for (uint32_t a = scr; a < scr + SCR_MAP; a += 0x1000)
        guest_wr64(PT64_SCR + ((a >> 12) & 0x1ff) * 8,
                   a == scr + FAULT_OFF ? 0 : page_perm(a) | 3);
    fault_ro = false;
    if (mprotect((void *)(uintptr_t)(scr + FAULT_OFF), 0x1000, PROT_NONE) != 0)
        return "mprotect of the fault page failed";
    /* GDT 0x08: 64-bit code; IDT: 32 interrupt gates of 16 bytes. */
    guest_wr32(GDT_GPA + 8, 0x0000ffff);
    guest_wr32(GDT_GPA + 12, 0x00af9b00);
    for (unsigned v = 0; v < 32; v++) {
        uint32_t h = HANDLER_GPA + v;
        guest_wr32(IDT_GPA + 16 * v, 0x00080000u | (h & 0xffff));
        guest_wr32(IDT_GPA + 16 * v + 4, (h & 0xffff0000u) | 0x8e00);
        guest_wr32(IDT_GPA + 16 * v + 8, 0);
        guest_wr32(IDT_GPA + 16 * v + 12, 0);
    }
    cpu.s.idtr.limit = 32 * 16 - 1;
    cpu.s.cr4 |= CR4_PAE;
    cpu.s.cr3 = PML4_GPA;
    cpu.s.efer |= EFER_LME_BIT | EFER_LMA_BIT;
    cpu.s.cr0 = CR0_PE | CR0_ET | CR0_PG | CR0_WP;
    seg_load_cache(&cpu, SEG_CS, 0x08, 0, 0xffffffffu, 0x9b | SEGA_L | SEGA_G);
    cpu_update_mode(&cpu);
    tlb_flush_all(&cpu);
    cpu.fetch_page = NULL;
    if (cpu.s.mode != MODE_LONG64)
        return "rawbox does not enter 64-bit mode from EFER.LMA=1, CS.L=1 (cpu_update_mode)";
    return NULL;
}

/* Returns false if the run ended somewhere unexpected. */
static bool run_guest(const struct seq *s, const struct state *in, struct state *out)
{
    uint8_t code[sizeof s->b + 1];

    memcpy(code, s->b, s->len);
    code[s->len] = 0xf4;                /* HLT */
    if (!guest_write_lin(code_lin, code, s->len + 1u) ||
        !guest_write_lin(win, in->mem, SCR_SIZE) ||
        !guest_write_lin(scr + TAIL_OFF, in->mem + SCR_SIZE, TAIL_SIZE))
        return false;
    for (unsigned r = 0; r < 16; r++)
        cpu.s.gpr[r] = long64 || r < 8 ? in->r[r] : 0;
    cpu.s.gpr[R_ESP] = STACK_GPA;
    for (unsigned x = 0; x < 16; x++)
        cpu.s.xmm[x] = long64 || x < 8 ? in->x[x] : (union xmm){ .q = { 0, 0 } };
    cpu.s.mxcsr = in->mxcsr;
    for (unsigned x = 0; x < 8; x++) {      /* as after the host's MOVQ loads */
        cpu.s.fpu.st[x].mant = in->mm[x];
        cpu.s.fpu.st[x].se = 0xffff;
    }
    cpu.s.fpu.sw = 0;
    cpu.s.fpu.tw = 0;
    cpu.s.lf.op = LF_NONE;
    cpu.s.rflags = (in->fl & (FL_ARITH | FL_DF)) | 0x2;
    cpu.s.rip = code_lin;
    cpu.halted = 0;
    uint64_t ic = cpu.icount;
    enum cpu_exit why = use_jit ? jit_run(&cpu, 100000) : cpu_run(&cpu, 100000);
    guest_retired = cpu.icount - ic ? cpu.icount - ic - 1 : 0;  /* less the final HLT */
    uint32_t eip = EIP(&cpu);

    for (unsigned r = 0; r < 16; r++)
        out->r[r] = long64 ? cpu.s.gpr[r] : r < 8 ? (uint32_t)cpu.s.gpr[r] : 0;
    out->r[R_ESP] = 0;
    for (unsigned x = 0; x < 16; x++)
        out->x[x] = long64 || x < 8 ? cpu.s.xmm[x] : (union xmm){ .q = { 0, 0 } };
    out->mxcsr = cpu.s.mxcsr;
    out->top = (uint8_t)(cpu.s.fpu.sw >> 11 & 7);
    out->ftw = 0;
    for (unsigned x = 0; x < 8; x++) {
        out->mm[x] = cpu.s.fpu.st[x].mant;
        if ((cpu.s.fpu.tw >> 2 * x & 3) != 3)
            out->ftw |= (uint8_t)(1u << x);
    }
    out->fl = flags_get(&cpu);
    out->vector = -1;
    out->fault_off = 0;
    out->cr2 = out->err = 0;
    guest_read_lin(win, out->mem, SCR_SIZE);
    guest_read_lin(scr + TAIL_OFF, out->mem + SCR_SIZE, TAIL_SIZE);
    if (why != CPU_EXIT_HLT)
        return false;
    if (eip == code_lin + s->len + 1)
        return true;
    if (eip > HANDLER_GPA && eip <= HANDLER_GPA + 32 && long64) {
        /* 64-bit frame (SDM vol. 3A 6.14.2): [error code,] RIP, CS,
         * RFLAGS, RSP, SS, 8 bytes each. */
        uint32_t rsp = (uint32_t)cpu.s.gpr[R_ESP];
        out->vector = (int)(eip - HANDLER_GPA - 1);
        if (out->vector == EXC_DF || (out->vector >= EXC_TS && out->vector <= EXC_PF) ||
            out->vector == EXC_AC)
        {
            if (out->vector == EXC_PF) {
                out->cr2 = (uint32_t)cpu.s.cr2;
                out->err = guest_rd32_lin(rsp) & (PF_P | PF_W);
            }
            rsp += 8;
        }
        out->fault_off = guest_rd32_lin(rsp) - code_lin;
        out->fl = guest_rd32_lin(rsp + 16);
        return true;
    }
    if (eip > HANDLER_GPA && eip <= HANDLER_GPA + 32) {
        uint32_t esp = (uint32_t)cpu.s.gpr[R_ESP];
        out->vector = (int)(eip - HANDLER_GPA - 1);
        if (out->vector == EXC_DF || (out->vector >= EXC_TS && out->vector <= EXC_PF) ||
            out->vector == EXC_AC)
        {
            if (out->vector == EXC_PF) {
                out->cr2 = cpu.s.cr2;
                out->err = guest_rd32_lin(esp) & (PF_P | PF_W);
            }
            esp += 4;                   /* past the error code */
        }
        out->fault_off = guest_rd32_lin(esp) - code_lin;
        out->fl = guest_rd32_lin(esp + 8);
        return true;
    }
    return false;
}

/* ---- comparison and reports ---- */

static bool no_mask;            /* DIFF_NOMASK=1: compare undefined flags too */

static const char *const reg_name[16] = {
    "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

static int insn_at(const struct seq *s, uint32_t off)
{
    for (unsigned k = 0; k < s->n; k++)
        if (s->off[k] == off)
            return (int)k;
    return -1;
}

static void flag_str(uint32_t f, char *buf)
{
    static const struct { uint32_t bit; char c; } fl[] = {
        { FL_OF, 'O' }, { FL_DF, 'D' }, { FL_SF, 'S' }, { FL_ZF, 'Z' },
        { FL_AF, 'A' }, { FL_PF, 'P' }, { FL_CF, 'C' },
    };
    for (unsigned k = 0; k < 7; k++)
        buf[k] = (f & fl[k].bit) ? fl[k].c : '-';
    buf[7] = 0;
}

static void print_seq(const struct seq *s, const struct state *in)
{
    char f[8];
    flag_str(in->fl, f);
    printf("  initial:");
    for (unsigned r = 0; r < NGPR; r++)
        if (r != R_ESP)
            printf(" %s=%0*" PRIx64, reg_name[r], long64 ? 16 : 8, in->r[r]);
    printf(" flags=%s\n", f);
    if (simd) {
        printf("  mxcsr=%08x", in->mxcsr);
        for (unsigned x = 0; x < nxmm(); x++)
            printf("%s xmm%u=%016" PRIx64 "%016" PRIx64, x % 2 ? "" : "\n ", x, in->x[x].q[1],
                   in->x[x].q[0]);
        for (unsigned x = 0; x < 8; x++)
            printf("%s mm%u=%016" PRIx64, x % 4 ? "" : "\n ", x, in->mm[x]);
        printf("\n");
    }
    for (unsigned k = 0; k < s->n; k++) {
        unsigned end = k + 1 < s->n ? s->off[k + 1] : s->len;
        struct insn i;
        char text[96], hex[64] = "";
        if (decode_bytes(s->b + s->off[k], end - s->off[k], CODE_SIZE, &i) > 0)
            disasm(&i, code_lin + s->off[k], text, sizeof text);
        else
            snprintf(text, sizeof text, "(undecodable)");
        for (unsigned j = s->off[k], n = 0; j < end && n < 60; j++, n += 3)
            snprintf(hex + n, sizeof hex - n, "%02x ", s->b[j]);
        flag_str(s->undef_before[k], f);
        printf("  %08x  %-33s %-36s undef-before=%s\n", code_lin + s->off[k], hex, text, f);
    }
}

/* Compare; returns true when equal. Prints the differences when `show`. */
static bool compare(const struct seq *s, const struct state *h, const struct state *g, bool show)
{
    bool ok = true;
    uint32_t undef = s->undef;

    if (h->vector != g->vector || (h->vector >= 0 && h->fault_off != g->fault_off)) {
        if (show)
            printf("  exception: host vector %d at +%u, rawbox vector %d at +%u\n",
                   h->vector, h->fault_off, g->vector, g->fault_off);
        return false;
    }
    if (h->vector >= 0) {
        int k = insn_at(s, h->fault_off);
        if (k < 0) {
            if (show)
                printf("  fault at +%u is no instruction start\n", h->fault_off);
            return false;
        }
        undef = s->undef_before[k];
    }
    /* CMPS reads two memory operands; when both fault, which one the CPU
     * reports in CR2 depends on its access order, which the SDM leaves
     * open (the AMD host reads ES:EDI first, rawbox DS:ESI). */
    bool two_reads = false;
    if (h->vector == EXC_PF) {
        struct insn fi;
        two_reads = decode_bytes(s->b + h->fault_off, s->len - h->fault_off, CODE_SIZE, &fi) > 0 &&
                    (fi.op == 0xa6 || fi.op == 0xa7);
    }
    if (!two_reads && (h->cr2 != g->cr2 || h->err != g->err)) {
        ok = false;
        if (show)
            printf("  #PF: host cr2 %08x error code %x, rawbox cr2 %08x error code %x\n",
                   h->cr2, h->err, g->cr2, g->err);
    }
    for (unsigned r = 0; r < 16; r++)
        if (h->r[r] != g->r[r]) {
            ok = false;
            if (show)
                printf("  %s: host %016" PRIx64 " rawbox %016" PRIx64 "\n", reg_name[r],
                       h->r[r], g->r[r]);
        }
    for (unsigned x = 0; x < 16; x++)
        if (memcmp(&h->x[x], &g->x[x], sizeof h->x[x]) != 0) {
            ok = false;
            if (show)
                printf("  xmm%u: host %016" PRIx64 "%016" PRIx64 " rawbox %016" PRIx64 "%016"
                       PRIx64 "\n", x, h->x[x].q[1], h->x[x].q[0], g->x[x].q[1], g->x[x].q[0]);
        }
    if (h->mxcsr != g->mxcsr) {
        ok = false;
        if (show)
            printf("  mxcsr: host %08x rawbox %08x\n", h->mxcsr, g->mxcsr);
    }
    for (unsigned x = 0; x < 8; x++)
        if (h->mm[x] != g->mm[x]) {
            ok = false;
            if (show)
                printf("  mm%u: host %016" PRIx64 " rawbox %016" PRIx64 "\n", x, h->mm[x],
                       g->mm[x]);
        }
    if (h->ftw != g->ftw || h->top != g->top) {
        ok = false;
        if (show)
            printf("  x87 (FXSAVE view): host FTW %02x TOP %u, rawbox FTW %02x TOP %u\n",
                   h->ftw, h->top, g->ftw, g->top);
    }
    uint32_t mask = (FL_ARITH & ~(no_mask ? 0 : undef)) | FL_DF;
    if ((h->fl ^ g->fl) & mask) {
        char a[8], b[8], m[8];
        flag_str(h->fl, a);
        flag_str(g->fl, b);
        flag_str(mask, m);
        ok = false;
        if (show)
            printf("  flags: host %s rawbox %s compared %s\n", a, b, m);
    }
    for (unsigned k = 0; k < MEM_SIZE; k++)
        if (h->mem[k] != g->mem[k]) {
            ok = false;
            if (show)
                printf("  mem[%08x]: host %02x rawbox %02x\n", mem_addr(k), h->mem[k], g->mem[k]);
        }
    return ok;
}

/* ---- fixed checks of the harness itself ---- */

static struct seq fixed_seq(const uint8_t *b, unsigned n)
{
    struct seq s;
    memset(&s, 0, sizeof s);
    begin(&s, C_SETUP);
    memcpy(s.b, b, n);
    s.len = n;
    return s;
}

static void harness_checks(void)
{
    struct state in, h, g;
    memset(&in, 0, sizeof in);
    in.r[R_EAX] = 0xfffffff0;
    in.r[R_EBX] = 0x20;
    /* add eax, ebx */
    struct seq s = fixed_seq((const uint8_t[]){ 0x01, 0xd8 }, 2);
    run_host(&s, &in, &h);
    CHECK_EQ((uint32_t)h.r[R_EAX], 0x10, "harness: host add eax, ebx");
    CHECK_EQ(h.fl & FL_ARITH, FL_CF, "harness: host add flags");
    CHECK(run_guest(&s, &in, &g), "harness: rawbox runs to HLT");
    CHECK(compare(&s, &h, &g, true), "harness: add agrees");
    /* mov [disp32], eax through SIB */
    uint8_t st[7] = { 0x89, 0x04, 0x25 };
    memcpy(st + 3, &win, 4);
    s = fixed_seq(st, 7);
    run_host(&s, &in, &h);
    CHECK_EQ(h.mem[0], 0xf0, "harness: host store reaches the scratch area");
    run_guest(&s, &in, &g);
    CHECK(compare(&s, &h, &g, true), "harness: store agrees");
    /* div ebx with edx > ebx: #DE on both sides, state as before */
    in.r[R_EDX] = 0x40;
    s = fixed_seq((const uint8_t[]){ 0xf7, 0xf3 }, 2);
    run_host(&s, &in, &h);
    CHECK_EQ(h.vector, EXC_DE, "harness: host #DE caught");
    run_guest(&s, &in, &g);
    CHECK_EQ(g.vector, EXC_DE, "harness: rawbox #DE seen");
    s.undef = 0;
    CHECK(compare(&s, &h, &g, true), "harness: #DE state agrees");
    /* The same store with paging: it lands on the swapped physical page. */
    if (paging_ok) {
        uint32_t a = scr + 0x1000;
        memcpy(st + 3, &a, 4);
        s = fixed_seq(st, 7);
        set_paging(true);
        run_guest(&s, &in, &g);
        set_paging(false);
        CHECK_EQ(physmem_read(&mem, scr + 0x2000, 4), 0xfffffff0u,
                 "harness: paged store reaches the remapped page");
    }
    /* Regression: a read-modify-write destination on an absent page faults
     * as a write (error code W=1, as the host shows), a CMP there as a read. */
    if (paging_ok) {
        static const uint8_t ops[2] = { 0x01, 0x39 };  /* add, cmp [abs32], eax */
        for (unsigned k = 0; k < 2; k++) {
            uint8_t b[7] = { ops[k], 0x04, 0x25 };
            uint32_t a = scr + FAULT_OFF + 2;
            memcpy(b + 3, &a, 4);
            s = fixed_seq(b, 7);
            set_paging(true);
            run_host(&s, &in, &h);
            run_guest(&s, &in, &g);
            set_paging(false);
            CHECK(h.vector == EXC_PF && h.err == (k ? 0 : PF_W),
                  "harness: host %s on an absent page: #PF error code %x",
                  k ? "cmp" : "add", h.err);
            CHECK(compare(&s, &h, &g, true), "rawbox %s on an absent page agrees (#PF W=%u)",
                  k ? "cmp" : "add", k ? 0 : 1);
        }
    }
    /* A store into the next instruction's immediate: seen on both sides. */
    uint8_t smc[10] = { 0xc6, 0x04, 0x25, 0, 0, 0, 0, 0x42, 0xb0, 0x11 };
    uint32_t a = code_lin + 9;
    memcpy(smc + 3, &a, 4);
    s = fixed_seq(smc, 10);
    run_host(&s, &in, &h);
    CHECK_EQ((uint32_t)h.r[R_EAX] & 0xff, 0x42, "harness: host executes the modified MOV AL");
    run_guest(&s, &in, &g);
    CHECK(compare(&s, &h, &g, true), "harness: self-modifying store agrees");
    /* The host side of the 64-bit and SIMD modes (rawbox's side of them
     * needs lmexec/ssewire): add r8, r9 (REX.WRB); addps xmm0, xmm1;
     * divss xmm0, xmm1 by zero with ZM clear is #XM (SIGFPE, trapno 19)
     * with MXCSR.ZE set and xmm0 unchanged (SDM vol. 1 11.5.2.2). */
    {
        struct state in2, h2;
        memset(&in2, 0, sizeof in2);
        in2.r[8] = 1ull << 40;
        in2.r[9] = 5;
        in2.mxcsr = MXCSR_RESET;
        struct seq s2 = fixed_seq((const uint8_t[]){ 0x4d, 0x01, 0xc8 }, 3);
        bool was = long64;
        long64 = true;
        run_host(&s2, &in2, &h2);
        long64 = was;
        CHECK_EQ(h2.r[8], (1ull << 40) + 5, "harness: host add r8, r9 keeps 64 bits");
        for (unsigned k = 0; k < 4; k++) {
            in2.x[0].f32[k] = 1.0f;
            in2.x[1].f32[k] = 2.0f;
        }
        s2 = fixed_seq((const uint8_t[]){ 0x0f, 0x58, 0xc1 }, 3);
        run_host(&s2, &in2, &h2);
        CHECK(h2.x[0].f32[3] == 3.0f && h2.mxcsr == MXCSR_RESET && h2.vector < 0,
              "harness: host addps xmm0, xmm1 gives 3.0 (mxcsr %08x)", h2.mxcsr);
        in2.x[1].f32[0] = 0.0f;
        in2.mxcsr = MXCSR_RESET & ~0x200u;
        s2 = fixed_seq((const uint8_t[]){ 0xf3, 0x0f, 0x5e, 0xc1 }, 4);
        run_host(&s2, &in2, &h2);
        CHECK(h2.vector == EXC_XM && h2.fault_off == 0 && (h2.mxcsr & 0x4) &&
              h2.x[0].f32[0] == 1.0f,
              "harness: host divss by zero unmasked is #XM (vector %d, mxcsr %08x)",
              h2.vector, h2.mxcsr);
    }
    /* A detected difference: rawbox state changed on purpose. */
    g.r[R_EBX] ^= 1;
    CHECK(!compare(&s, &h, &g, false), "harness: a difference is detected");
}

/* ---- opcode coverage ---- */

/* Which rows of the opcode table (optable.def) the executed instructions
 * decoded to. The label of a row says where it sits: map and opcode, then
 * "/r" for a group slot (mem, or reg with rm when only some rm use it),
 * the mandatory prefix or the mode of a prefix or mode-dual row. */
static uint8_t *row_hit;
static char (*row_label)[40];

static void cov_label(unsigned row, const char *fmt, unsigned map, unsigned op,
                      const char *extra)
{
    static const char *const mapname[4] = { "", "0f ", "0f38 ", "0f3a " };
    if (row == 0 || row >= optable_nrows || row_label[row][0])
        return;
    char buf[24];
    const char *mn = optable_mnem(&optable_rows[row], 4, buf, sizeof buf);
    snprintf(row_label[row], sizeof row_label[row], fmt, mapname[map & 3], op, extra, mn);
}

static void cov_init(void)
{
    optable_init();
    row_hit = calloc(optable_nrows, 1);
    row_label = calloc(optable_nrows, sizeof *row_label);
    if (!row_hit || !row_label)
        abort();
    static const char *const pfxname[4] = { " np", " 66", " f3", " f2" };
    for (unsigned k = 0; k < OPMAP_SIZE; k++) {
        unsigned e = optable_map[k], map = k >> 8, op = k & 0xff;
        char ex[16];
        switch (e & OPMAP_KIND) {
        case 0:
            cov_label(e, "%s%02x%s %s", map, op, "");
            break;
        case OPMAP_PFX:
            for (unsigned p = 0; p < 4; p++)
                cov_label(optable_pfx[e & ~OPMAP_KIND][p], "%s%02x%s %s", map, op, pfxname[p]);
            break;
        case OPMAP_DUAL:
            cov_label(optable_dual[e & ~OPMAP_KIND][0], "%s%02x%s %s", map, op, " (legacy)");
            cov_label(optable_dual[e & ~OPMAP_KIND][1], "%s%02x%s %s", map, op, " (64-bit)");
            break;
        default: {
            const struct opgroup *g = &optable_groups[e & ~OPMAP_KIND];
            for (unsigned r = 0; r < 8; r++) {
                snprintf(ex, sizeof ex, " /%u mem", r);
                cov_label(g->mem[r], "%s%02x%s %s", map, op, ex);
                for (unsigned m = 0; m < 8; m++) {
                    snprintf(ex, sizeof ex, " /%u rm=%u", r, m);
                    cov_label(g->reg[r][m], "%s%02x%s %s", map, op, ex);
                }
            }
        }
        }
    }
}

/* Mark the row of each of the first `done` instructions of s. */
static void cov_mark(const struct seq *s, unsigned done)
{
    for (unsigned k = 0; k < done; k++) {
        struct insn i;
        unsigned off = s->off[k];
        if (decode_bytes(s->b + off, s->len - off, CODE_SIZE, &i) > 0 && i.row < optable_nrows)
            row_hit[i.row] = 1;
    }
}

/* Rows a user-level test can reach in this mode: not privileged, not
 * sensitive (those touch state the host process does not own), not x87
 * (not generated yet), not 64-bit only. */
static bool cov_reachable(unsigned row)
{
    const struct oprow *r = &optable_rows[row];
    return !(r->flags & (F_PRIV | F_SENS | F_X87 | (long64 ? F_NO64 : F_ONLY64)));
}

static void cov_report(bool list)
{
    unsigned all = 0, hit = 0, reach = 0, reach_hit = 0;
    for (unsigned k = 1; k < optable_nrows; k++) {
        all++;
        hit += row_hit[k];
        if (cov_reachable(k)) {
            reach++;
            reach_hit += row_hit[k];
        }
    }
    printf("info rows covered: %u of %u (of the %u rows without privileged, sensitive, "
           "x87 or %s forms: %u)\n", hit, all, reach, long64 ? "64-bit-invalid" : "64-bit-only",
           reach_hit);
    if (!list)
        return;
    for (unsigned k = 1; k < optable_nrows; k++)
        if (!row_hit[k])
            printf("info uncovered row %u: %s%s\n", k,
                   row_label[k][0] ? row_label[k] : optable_rows[k].mnem,
                   cov_reachable(k) ? "" : " (out of reach)");
}

/* ---- main loop ---- */

static uint64_t env_u64(const char *name, uint64_t def)
{
    const char *e = getenv(name);
    return e && *e ? strtoull(e, NULL, 0) : def;
}

/* One campaign in the current mode: `want` random instructions. */
static void run_slice(uint64_t want, unsigned maxlen, unsigned show, uint64_t seed,
                      bool list_uncovered)
{
    rng_state = seed ? seed : 1;
    memset(row_hit, 0, optable_nrows);
    static struct seq s;
    struct state in, h, g;
    uint64_t nrand = 0, nall = 0, nseq = 0, nfail = 0, nvec[256] = { 0 };
    uint64_t cls_count[C_NCLS] = { 0 }, cls_fail[C_NCLS] = { 0 };

    while (nrand < want) {
        unsigned len = 1 + rnd(maxlen);
        for (unsigned r = 0; r < 16; r++)
            in.r[r] = !long64 ? (r < 8 ? rnd_val() : 0) : rnd(2) ? rnd_val() : rnd64();
        in.r[R_ESP] = 0;
        memset(in.x, 0, sizeof in.x);
        in.mxcsr = MXCSR_RESET;
        if (simd) {
            for (unsigned x = 0; x < nxmm(); x++)
                rnd_xmm(&in.x[x]);
            in.mxcsr = rnd_mxcsr();
        }
        for (unsigned x = 0; x < 8; x++)
            in.mm[x] = !simd ? 0 : rnd(4) ? rnd64() : rnd(2) ? 0 : rnd(2) ? ~0ull
                     : 0x8000800080008000ull >> rnd(16);
        in.fl = rnd32() & (FL_ARITH | FL_DF);
        for (unsigned k = 0; k < MEM_SIZE; k++)
            in.mem[k] = (uint8_t)(rnd(4) ? rnd32() : rnd(2) ? 0 : 0xff);
        memset(&s, 0, sizeof s);
        code_lin = scr + CODE_OFF - 16 - rnd(112);
        gen_paging = long64 || (paging_ok && rnd(2));
        for (unsigned k = 0; k < len; k++)
            long64 ? gen_one64(&s) : simd && rnd(3) == 0 ? gen_sse(&s) : gen_one(&s);

        set_paging(gen_paging);
        if (gen_paging)
            set_fault_ro(rnd(2));
        run_host(&s, &in, &h);
        bool ran = run_guest(&s, &in, &g);
        bool ok = ran && compare(&s, &h, &g, false);
        unsigned done = s.n;
        if (h.vector >= 0) {
            int k = insn_at(&s, h.fault_off);
            done = k < 0 ? s.n : (unsigned)k + 1;
            nvec[h.vector & 0xff]++;
        }
        cov_mark(&s, done);
        bool seen[C_NCLS] = { false };
        for (unsigned k = 0; k < done; k++) {
            cls_count[s.cls[k]]++;
            seen[s.cls[k]] = true;
            if (s.cls[k] != C_SETUP)
                nrand++;
        }
        nall += guest_retired;
        nseq++;
        if (!ok) {
            nfail++;
            for (unsigned c = 0; c < C_NCLS; c++)
                cls_fail[c] += seen[c];
            if (nfail <= show) {
                printf("FAIL sequence %" PRIu64 " differs%s%s:\n", nseq,
                       paging ? fault_ro ? " (paging on, fault page read-only)"
                                         : " (paging on, fault page absent)" : "",
                       ran ? "" : " (rawbox did not reach the final HLT)");
                print_seq(&s, &in);
                compare(&s, &h, &g, true);
                if (!ran)
                    printf("  rawbox stopped at eip %08x\n", EIP(&cpu));
            }
        }
    }

    printf("info %" PRIu64 " sequences, %" PRIu64 " random instructions generated, %" PRIu64
           " instructions executed and compared (set-ups included), seed 0x%" PRIx64 "\n",
           nseq, nrand, nall, seed);
    printf("info sequences ended by #DE: %" PRIu64 ", by #UD: %" PRIu64 ", by #GP: %" PRIu64
           ", by #PF: %" PRIu64 ", by #XM: %" PRIu64 ", by other faults: %" PRIu64 "\n",
           nvec[EXC_DE], nvec[EXC_UD], nvec[EXC_GP], nvec[EXC_PF], nvec[EXC_XM], nvec[255]);
    cov_report(list_uncovered);
    for (unsigned c = 0; c < C_NCLS; c++)
        if (((long64 && !no_rex && (guest_cx16 || c != C_CX16)) || c < C_REX64 || c > C_CX16) &&
            (simd || c != C_SSE))
        CHECK(cls_fail[c] == 0 && (cls_count[c] > 0 || want < 1000),
              "diff %s%s: %" PRIu64 " generated, %" PRIu64 " differing sequences",
              cls_name[c], use_jit ? " [jit]" : "", cls_count[c], cls_fail[c]);
    CHECK(nfail == 0, "diff%s%s: %" PRIu64 " of %" PRIu64 " sequences agree with the host",
          long64 ? " (64-bit mode)" : "", use_jit ? " [jit]" : "", nseq - nfail, nseq);
}

int main(void)
{
    /* DIFF_COUNT is the campaign spelling of DIFF_N. */
    uint64_t want = env_u64("DIFF_COUNT", env_u64("DIFF_N", 200000));
    bool list_uncovered = env_u64("DIFF_UNCOVERED", 0) != 0;
    uint64_t seed = env_u64("DIFF_SEED", 0x5eed1234abcdull);
    unsigned show = (unsigned)env_u64("DIFF_SHOW", 5);
    unsigned maxlen = (unsigned)env_u64("DIFF_MAXLEN", 20);
    no_mask = env_u64("DIFF_NOMASK", 0) != 0;
    /* No DIFF_MODE: the make check slices, 32-bit mode then 64-bit mode. */
    bool both = env_u64("DIFF_MODE", 0) == 0;
    bool want64 = env_u64("DIFF_MODE", 0) == 64;
    /* SIMD sequences: on in the make check slices (DIFF_SIMD=0 leaves
     * them out), on request otherwise. */
    bool simd_asked = getenv("DIFF_SIMD") != NULL;
    bool want_simd = env_u64("DIFF_SIMD", both) != 0;
    no_rex = env_u64("DIFF_REX", 1) == 0;
    if (maxlen < 1 || maxlen > 20)
        maxlen = 20;
    unsigned eax, ebx, ecx, edx;

    setvbuf(stdout, NULL, _IOLBF, 0);
    rng_state = seed ? seed : 1;
    host_lahf = __get_cpuid(0x80000001u, &eax, &ebx, &ecx, &edx) && (ecx & 1);
    printf("info host LAHF/SAHF in 64-bit mode: %s\n", host_lahf ? "yes" : "no (not generated)");

    const int prot = PROT_READ | PROT_WRITE | PROT_EXEC;
    void *m = mmap((void *)(uintptr_t)SCR_WANT, SCR_MAP, prot,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (m == MAP_FAILED || m != (void *)(uintptr_t)SCR_WANT) {
        if (m != MAP_FAILED)
            munmap(m, SCR_MAP);
        m = mmap(NULL, SCR_MAP, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    }
    if (m == MAP_FAILED || (uintptr_t)m < LOW_RAM ||
        (uintptr_t)m + SCR_MAP > 0x80000000u) {
        printf("FAIL mapping the scratch area or the code page\n0 passed, 1 failed\n");
        return 1;
    }
    scr = (uint32_t)(uintptr_t)m;
    win = scr + WIN_OFF;
    code_lin = scr + CODE_OFF;
    if (mprotect((void *)(uintptr_t)(scr + FAULT_OFF), 0x1000, PROT_NONE) != 0) {
        printf("FAIL mprotect of the fault page\n0 passed, 1 failed\n");
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_host_signal;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    if (guest_setup() != 0) {
        printf("FAIL guest memory set-up\n0 passed, 1 failed\n");
        return 1;
    }

    /* The recompiler runs the sequences too (DIFF_ENGINE=interp or jit
     * picks one engine; the make check slices run both): every block
     * translated at its first visit. */
    const char *eng = getenv("DIFF_ENGINE");
    const bool run_interp = !eng || strcmp(eng, "jit") != 0;
    const bool run_jit = eng ? strcmp(eng, "jit") == 0 : both;
    if (run_jit) {
        setenv("RAWBOX_JIT_THRESHOLD", "1", 0);
        CHECK(jit_attach(&cpu), "diff: the recompiler attaches");
    }

    harness_checks();                   /* in 32-bit mode */
    cov_init();
    long64 = want64;
    bool guest_lahf64 = true;
    if (want64 || want_simd || both) {
        /* CPUID gates CMPXCHG16B, LAHF/SAHF in 64-bit mode, SSE..SSE4.2,
         * POPCNT: the guest gets the model with every feature rawbox has. */
        struct cpu_model mdl;
        char err[160];
        bool have_max = cpu_model_parse("max", &mdl, err, sizeof err) == 0;
        CHECK(have_max, "diff: rawbox has a \"max\" CPU model");
        if (have_max)
            cpu.model = mdl;
        /* The harness enters 64-bit mode itself (guest_setup64): the model
         * must have long mode (MOVSXD and the other FEAT_LM rows are #UD
         * without it), which `max` claims; kept should a -lm model be used. */
        if (want64 || both)
            cpu.model.feat[CPUID_80000001_EDX] |= CPUID_X_LM;
        /* LAHF/SAHF in 64-bit mode only when both CPUs claim them
         * (CPUID.80000001H:ECX[0]; #UD otherwise, SDM LAHF). */
        uint32_t r[4];
        cpuid_query(&cpu, 0x80000001u, 0, r);
        guest_lahf64 = r[2] & 1;
        cpuid_query(&cpu, 1, 0, r);
        guest_cx16 = (r[2] >> 13) & 1;
        if (!guest_cx16)
            printf("info rawbox's model has no CMPXCHG16B: not generated\n");
    }
    if (want_simd) {
        /* The generator needs the host to have every family it emits. */
        bool ok = __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & (1u << 20)) &&
                  (ecx & (1u << 23)) && (ecx & (1u << 19)) && (ecx & (1u << 9));
        if (simd_asked)
            CHECK(ok, "diff SIMD: the host has SSE4.2, SSE4.1, SSSE3 and POPCNT");
        else if (!ok)
            printf("info the host lacks SSE4.2/SSE4.1/SSSE3/POPCNT: no SIMD sequences\n");
        simd = ok;
        simd_only_parse(getenv("DIFF_SIMD_OPS"));
        cpu.s.cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
        cpu.s.cr0 |= CR0_MP;
        printf("info SIMD sequences on (XMM registers, MXCSR, MM0-7 and x87 tags/TOP compared)\n");
    }
    if (long64) {
        const char *why = guest_setup64();
        if (why) {
            CHECK(false, "diff 64-bit mode set-up: %s", why);
            return test_summary();
        }
        printf("info rawbox runs the sequences in 64-bit mode (paging on)\n");
    }

    if (long64 && !guest_lahf64)
        host_lahf = false;
    if (run_interp)
        run_slice(want, maxlen, show, seed, list_uncovered);
    if (run_jit && cpu.jit) {
        use_jit = true;
        printf("info the same through the recompiler\n");
        run_slice(both ? want / 2 : want, maxlen, show, seed + 2, list_uncovered);
        use_jit = false;
    }
    if (both) {
        if (!guest_lahf64)
            host_lahf = false;
        /* The make check slice of 64-bit mode: every class (DIFF_REX=0
         * leaves out the REX ones). */
        long64 = true;
        const char *why = guest_setup64();
        CHECK(why == NULL, "diff 64-bit mode set-up%s%s", why ? ": " : "", why ? why : "");
        if (!guest_lahf64)
            printf("info rawbox's model has no LAHF/SAHF in 64-bit mode: not generated\n");
        if (!why) {
            printf("info second slice: 64-bit mode\n");
            run_slice(want / 2, maxlen, show, seed + 1, list_uncovered);
            if (cpu.jit) {
                use_jit = true;
                printf("info the same through the recompiler\n");
                run_slice(want / 4, maxlen, show, seed + 3, list_uncovered);
                use_jit = false;
            }
        }
    }
    if (cpu.jit) {
        /* The sequences did run translated, mostly as native code. */
        const struct jit_stats *st = &cpu.jit->st;
        printf("info recompiler: %" PRIu64 " blocks, %" PRIu64 " of %" PRIu64
               " instructions native; %" PRIu64 " block runs, %" PRIu64 " instructions in them, %"
               PRIu64 " interpreted\n", st->blocks, st->native, st->insns, st->runs,
               st->run_insns, st->interp_insns);
        CHECK(st->runs > 0 && st->native > 0 && st->run_insns > st->interp_insns,
              "diff [jit]: the sequences ran as translated blocks");
    }
    jit_detach(&cpu);
    free(row_hit);
    free(row_label);
    cpu_free(&cpu);
    iobus_free(&io);
    physmem_free(&mem);
    return test_summary();
}

#endif
