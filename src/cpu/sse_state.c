/* x87/SSE state management: FXSAVE/FXRSTOR (and the REX.W forms),
 * LDMXCSR/STMXCSR, XSAVE/XSAVEOPT/XRSTOR, XGETBV/XSETBV, the fences and
 * CLFLUSH (group 15, 0F AE, and 0F 01 D0/D1).
 *
 * The legacy image (SDM vol. 1 10.5.1, table 10-2; 64-bit forms tables
 * 10-3/10-4): bytes 0-1 FCW, 2-3 FSW, 4 abridged FTW (bit i: physical
 * register i not empty), 5 reserved, 6-7 FOP, 8-15 FIP (32-bit FIP + FCS,
 * or with REX.W a 64-bit FIP), 16-23 FDP (FDP + FDS, or 64-bit), 24-27
 * MXCSR, 28-31 MXCSR_MASK, 32-159 ST0-ST7 (10 bytes in 16-byte slots, the
 * rest written 0), 160-287 XMM0-7, 288-415 XMM8-15 (64-bit mode only);
 * bytes 416-511 are never written. With CR4.OSFXSR=0 FXSAVE/FXRSTOR leave
 * MXCSR and the XMM registers out (SDM: implementation dependent; Intel,
 * AMD and QEMU do so). The pointer fields are stored as offset and
 * selector in every mode.
 *
 * XSAVE (vol. 1 ch. 13, standard form only): XCR0 may be 1 or 3 (x87,
 * SSE). RFBM = XCR0 & EDX:EAX; component 0 is the x87 part of the legacy
 * region, component 1 the XMM registers, and MXCSR/MXCSR_MASK go with
 * component 1. XSTATE_BV[i] (header byte 512) is written as XINUSE[i] for
 * i in RFBM and kept otherwise; rawbox reports every component in use
 * (XINUSE = all ones, which vol. 1 13.6 allows: a component may be in use
 * while in its initial configuration). XSAVEOPT is XSAVE: its init and
 * modified optimisations are permissions, not obligations (13.9). XRSTOR
 * loads component i when RFBM[i] and XSTATE_BV[i], initialises it when
 * RFBM[i] alone, and takes MXCSR from memory when RFBM[1]; #GP(0) for an
 * area not 64-byte aligned, XSTATE_BV bits outside XCR0, header bytes 8-23
 * not zero (XCOMP_BV: no compacted form) or reserved MXCSR bits, all before
 * any state changes. */
#include <string.h>
#include "cpu/mmu.h"
#include "cpu/sse_check.h"
#include "cpu/x87.h"

#define FX_SIZE 512
#define XSAVE_HDR 512
#define XSAVE_SIZE 576

static void put16(uint8_t *b, unsigned off, uint32_t v)
{
    b[off] = (uint8_t)v;
    b[off + 1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *b, unsigned off, uint32_t v)
{
    put16(b, off, v & 0xffff);
    put16(b, off + 2, v >> 16);
}

static void put64(uint8_t *b, unsigned off, uint64_t v)
{
    put32(b, off, (uint32_t)v);
    put32(b, off + 4, (uint32_t)(v >> 32));
}

static uint32_t get16(const uint8_t *b, unsigned off)
{
    return b[off] | (uint32_t)b[off + 1] << 8;
}

static uint32_t get32(const uint8_t *b, unsigned off)
{
    return get16(b, off) | get16(b, off + 2) << 16;
}

static uint64_t get64(const uint8_t *b, unsigned off)
{
    return get32(b, off) | (uint64_t)get32(b, off + 4) << 32;
}

/* XMM registers in the image: 16 in 64-bit mode, else 8. */
static unsigned nxmm(const struct cpu *cpu)
{
    return cpu->s.mode == MODE_LONG64 ? 16 : 8;
}

static uint64_t amask(const struct insn *i)
{
    return i->adsize == 8 ? ~(uint64_t)0 : i->adsize == 4 ? 0xffffffffu : 0xffffu;
}

/* The operand's offset after the alignment check on its linear address. */
static uint64_t area_ea(struct cpu *cpu, const struct insn *i, unsigned align)
{
    uint64_t ea = insn_ea(cpu, i);
    if ((cpu->s.seg[i->seg].base + ea) & (align - 1))
        except_gp(cpu, 0);
    return ea;
}

/* Fault checks for [ea, ea + len) as 16-byte pieces at both ends (an area
 * of at most 576 bytes spans two pages at most; 16-byte pieces keep the
 * CPL 3 alignment check, #AC, to what the hardware checks). */
static void area_check(struct cpu *cpu, const struct insn *i, uint64_t ea, unsigned len,
                       bool write)
{
    uint64_t last = (ea + len - 16) & amask(i);
    if (write) {
        cpu_check_write(cpu, i->seg, ea, 16);
        cpu_check_write(cpu, i->seg, last, 16);
    } else {
        cpu_check_read(cpu, i->seg, ea, 16);
        cpu_check_read(cpu, i->seg, last, 16);
    }
}

/* Bytes [from, to) of the image (8-byte multiples) to and from memory. */
static void area_write(struct cpu *cpu, const struct insn *i, uint64_t ea, const uint8_t *b,
                       unsigned from, unsigned to)
{
    for (unsigned k = from; k < to; k += 8)
        cpu_wr64(cpu, i->seg, (ea + k) & amask(i), get64(b, k));
}

static void area_read(struct cpu *cpu, const struct insn *i, uint64_t ea, uint8_t *b,
                      unsigned from, unsigned to)
{
    for (unsigned k = from; k < to; k += 8)
        put64(b, k, cpu_rd64(cpu, i->seg, (ea + k) & amask(i)));
}

/* ---- the legacy image ---- */

/* x87 part: bytes 0-23 and 32-159. */
static void x87_to_image(const struct cpu *cpu, bool rex_w, uint8_t *b)
{
    const struct x87 *f = &cpu->s.fpu;
    unsigned ftw = 0;
    for (unsigned p = 0; p < 8; p++)
        if (((f->tw >> (2 * p)) & 3) != TAG_EMPTY)
            ftw |= 1u << p;
    memset(b, 0, 24);
    memset(b + 32, 0, 128);
    put16(b, 0, f->cw);
    put16(b, 2, f->sw);
    b[4] = (uint8_t)ftw;
    put16(b, 6, f->fop & 0x7ff);
    if (rex_w) {
        put64(b, 8, f->fip);
        put64(b, 16, f->fdp);
    } else {
        put32(b, 8, (uint32_t)f->fip);
        put16(b, 12, f->fcs);
        put32(b, 16, (uint32_t)f->fdp);
        put16(b, 20, f->fds);
    }
    for (unsigned k = 0; k < 8; k++)
        f80_image(x87_st(cpu, k), b + 32 + 16 * k);
}

static void x87_from_image(struct cpu *cpu, bool rex_w, const uint8_t *b)
{
    struct x87 *f = &cpu->s.fpu;
    unsigned ftw = b[4];
    f->sw = (uint16_t)get16(b, 2);
    /* The abridged tag gives empty or not; FSTENV/FSAVE recompute the
     * class of a non-empty register from its contents (x87_tag_word). */
    f->tw = 0;
    for (unsigned p = 0; p < 8; p++)
        if (!(ftw & (1u << p)))
            f->tw |= (uint16_t)(TAG_EMPTY << (2 * p));
    f->fop = (uint16_t)(get16(b, 6) & 0x7ff);
    if (rex_w) {
        f->fip = get64(b, 8);
        f->fdp = get64(b, 16);
        f->fcs = f->fds = 0;
    } else {
        f->fip = get32(b, 8);
        f->fcs = (uint16_t)get16(b, 12);
        f->fdp = get32(b, 16);
        f->fds = (uint16_t)get16(b, 20);
    }
    for (unsigned k = 0; k < 8; k++)
        f->st[x87_phys(cpu, k)] = f80_from_image(b + 32 + 16 * k);
    x87_set_cw(cpu, (uint16_t)get16(b, 0));    /* recomputes ES and B */
}

/* The x87 initial configuration (SDM vol. 1 13.6): FCW 037FH, FSW 0, all
 * tags empty, FOP and the pointers 0, registers 0. */
static void x87_init_component(struct cpu *cpu)
{
    memset(cpu->s.fpu.st, 0, sizeof cpu->s.fpu.st);
    x87_init_state(cpu);
}

static void mxcsr_to_image(const struct cpu *cpu, uint8_t *b)
{
    put32(b, 24, cpu->s.mxcsr);
    put32(b, 28, MXCSR_WRITABLE);
}

static void xmm_to_image(const struct cpu *cpu, uint8_t *b)
{
    for (unsigned k = 0; k < nxmm(cpu); k++)
        memcpy(b + 160 + 16 * k, cpu->s.xmm[k].b, 16);
}

static void xmm_from_image(struct cpu *cpu, const uint8_t *b)
{
    for (unsigned k = 0; k < nxmm(cpu); k++)
        memcpy(cpu->s.xmm[k].b, b + 160 + 16 * k, 16);
}

static unsigned xmm_end(const struct cpu *cpu)
{
    return 160 + 16 * nxmm(cpu);
}

/* ---- the image other engines hand to the host ---- */

/* Raw mode (src/raw/context.c) moves the x87/SSE state through the host's
 * signal frame, whose legacy region is an FXSAVE64 image: all sixteen XMM
 * registers whatever the mode (code outside 64-bit mode cannot touch
 * XMM8-15, so they survive the round trip). Bytes 0-27 and 32-415 only:
 * MXCSR_MASK and 416-511 belong to the host kernel. */
void fx_image_save(const struct cpu *cpu, uint8_t *b)
{
    uint8_t mask[4];
    memcpy(mask, b + 28, 4);
    x87_to_image(cpu, true, b);
    put32(b, 24, cpu->s.mxcsr);
    memcpy(b + 28, mask, 4);
    for (unsigned k = 0; k < 16; k++)
        memcpy(b + 160 + 16 * k, cpu->s.xmm[k].b, 16);
}

void fx_image_load(struct cpu *cpu, const uint8_t *b)
{
    x87_from_image(cpu, true, b);
    cpu->s.mxcsr = get32(b, 24) & MXCSR_WRITABLE;
    for (unsigned k = 0; k < 16; k++)
        memcpy(cpu->s.xmm[k].b, b + 160 + 16 * k, 16);
}

/* ---- FXSAVE / FXRSTOR ---- */

/* #UD without FXSR, with CR0.EM or an F3/F2 prefix (other instructions
 * there); #NM with CR0.TS (SDM vol. 2 FXSAVE "Protected Mode Exceptions"). */
static void fx_check(struct cpu *cpu, const struct insn *i)
{
    if (!cpuid_has(&cpu->model, CPUID_1_EDX, CPUID_FXSR) || (cpu->s.cr0 & CR0_EM) ||
        (i->pfx & (PFX_REP | PFX_REPNE)))
        except_ud(cpu);
    if (cpu->s.cr0 & CR0_TS)
        except_raise(cpu, EXC_NM, EXC_NO_CODE);
}

void op_fxsave_M(struct cpu *cpu, const struct insn *i)
{
    fx_check(cpu, i);
    uint64_t ea = area_ea(cpu, i, 16);
    bool sse = (cpu->s.cr4 & CR4_OSFXSR) != 0;
    uint8_t b[FX_SIZE];
    unsigned end = sse ? xmm_end(cpu) : 160;
    area_check(cpu, i, ea, end, true);
    x87_to_image(cpu, (i->rex & REX_W) != 0, b);
    area_write(cpu, i, ea, b, 0, 24);
    area_write(cpu, i, ea, b, 32, 160);
    if (sse) {
        mxcsr_to_image(cpu, b);
        xmm_to_image(cpu, b);
        area_write(cpu, i, ea, b, 24, 32);
        area_write(cpu, i, ea, b, 160, end);
    }
}

void op_fxrstor_M(struct cpu *cpu, const struct insn *i)
{
    fx_check(cpu, i);
    uint64_t ea = area_ea(cpu, i, 16);
    bool sse = (cpu->s.cr4 & CR4_OSFXSR) != 0;
    uint8_t b[FX_SIZE];
    unsigned end = sse ? xmm_end(cpu) : 160;
    area_check(cpu, i, ea, end, false);
    area_read(cpu, i, ea, b, 0, end);
    uint32_t mxcsr = get32(b, 24);
    if (sse && (mxcsr & ~MXCSR_WRITABLE))
        except_gp(cpu, 0);
    x87_from_image(cpu, (i->rex & REX_W) != 0, b);
    if (sse) {
        cpu->s.mxcsr = mxcsr;
        xmm_from_image(cpu, b);
    }
}

/* ---- LDMXCSR / STMXCSR ---- */

void op_ldmxcsr_Md(struct cpu *cpu, const struct insn *i)
{
    sse_check_sse(cpu, CPUID_1_EDX, CPUID_SSE);
    uint32_t v = cpu_rd32(cpu, i->seg, insn_ea(cpu, i));
    if (v & ~MXCSR_WRITABLE)
        except_gp(cpu, 0);
    cpu->s.mxcsr = v;
}

void op_stmxcsr_Md(struct cpu *cpu, const struct insn *i)
{
    sse_check_sse(cpu, CPUID_1_EDX, CPUID_SSE);
    cpu_wr32(cpu, i->seg, insn_ea(cpu, i), cpu->s.mxcsr);
}

/* ---- XSAVE / XSAVEOPT / XRSTOR ---- */

/* #UD without XSAVE, with CR4.OSXSAVE=0 or a 66/F3/F2 prefix (PTWRITE,
 * CLWB.. live there); #NM with CR0.TS. CR0.EM does not matter. */
static void xsave_check(struct cpu *cpu, const struct insn *i)
{
    if (!cpuid_has(&cpu->model, CPUID_1_ECX, CPUID_C_XSAVE) || !(cpu->s.cr4 & CR4_OSXSAVE) ||
        (i->pfx & (PFX_OPSZ | PFX_REP | PFX_REPNE)))
        except_ud(cpu);
    if (cpu->s.cr0 & CR0_TS)
        except_raise(cpu, EXC_NM, EXC_NO_CODE);
}

static uint64_t rfbm(const struct cpu *cpu)
{
    return cpu->s.xcr0 & ((uint64_t)(uint32_t)cpu->s.gpr[R_EDX] << 32 |
                          (uint32_t)cpu->s.gpr[R_EAX]);
}

void op_xsave_M(struct cpu *cpu, const struct insn *i)
{
    xsave_check(cpu, i);
    uint64_t ea = area_ea(cpu, i, 64);
    uint64_t rf = rfbm(cpu);
    uint8_t b[XSAVE_SIZE];
    area_check(cpu, i, ea, XSAVE_SIZE, true);
    /* XSTATE_BV: bits of RFBM become XINUSE (all ones), others stay. */
    uint64_t bv = cpu_rd64(cpu, i->seg, (ea + XSAVE_HDR) & amask(i));
    bv = (bv & ~rf) | rf;
    if (rf & XCR0_X87) {
        x87_to_image(cpu, (i->rex & REX_W) != 0, b);
        area_write(cpu, i, ea, b, 0, 24);
        area_write(cpu, i, ea, b, 32, 160);
    }
    if (rf & XCR0_SSE) {
        mxcsr_to_image(cpu, b);
        xmm_to_image(cpu, b);
        area_write(cpu, i, ea, b, 24, 32);
        area_write(cpu, i, ea, b, 160, xmm_end(cpu));
    }
    cpu_wr64(cpu, i->seg, (ea + XSAVE_HDR) & amask(i), bv);
}

void op_xrstor_M(struct cpu *cpu, const struct insn *i)
{
    xsave_check(cpu, i);
    uint64_t ea = area_ea(cpu, i, 64);
    uint64_t rf = rfbm(cpu);
    uint8_t b[XSAVE_SIZE];
    area_check(cpu, i, ea, XSAVE_SIZE, false);
    area_read(cpu, i, ea, b, 0, XSAVE_SIZE);
    uint64_t bv = get64(b, XSAVE_HDR);
    if ((bv & ~cpu->s.xcr0) || get64(b, XSAVE_HDR + 8) || get64(b, XSAVE_HDR + 16))
        except_gp(cpu, 0);
    uint32_t mxcsr = get32(b, 24);
    if ((rf & XCR0_SSE) && (mxcsr & ~MXCSR_WRITABLE))
        except_gp(cpu, 0);
    if (rf & XCR0_X87) {
        if (bv & XCR0_X87)
            x87_from_image(cpu, (i->rex & REX_W) != 0, b);
        else
            x87_init_component(cpu);
    }
    if (rf & XCR0_SSE) {
        cpu->s.mxcsr = mxcsr;
        if (bv & XCR0_SSE)
            xmm_from_image(cpu, b);
        else
            memset(cpu->s.xmm, 0, sizeof(union xmm) * nxmm(cpu));
    }
}

/* ---- XGETBV / XSETBV (0F 01 D0 / D1) ---- */

static void xcr_check(struct cpu *cpu, const struct insn *i)
{
    if (!cpuid_has(&cpu->model, CPUID_1_ECX, CPUID_C_XSAVE) || !(cpu->s.cr4 & CR4_OSXSAVE) ||
        (i->pfx & (PFX_OPSZ | PFX_REP | PFX_REPNE)))
        except_ud(cpu);
}

/* EDX:EAX = XCR[ECX]; only XCR0 exists (no XGETBV with ECX=1: CPUID.
 * (0DH,1):EAX[2] is 0), anything else is #GP(0). Any CPL. */
void op_xgetbv(struct cpu *cpu, const struct insn *i)
{
    xcr_check(cpu, i);
    if ((uint32_t)cpu->s.gpr[R_ECX] != 0)
        except_gp(cpu, 0);
    set_reg32(cpu, R_EAX, (uint32_t)cpu->s.xcr0);
    set_reg32(cpu, R_EDX, (uint32_t)(cpu->s.xcr0 >> 32));
}

/* XCR[ECX] = EDX:EAX at CPL 0: #GP(0) for another XCR, bit 0 clear or a
 * component rawbox lacks (SDM vol. 2 XSETBV). */
void op_xsetbv(struct cpu *cpu, const struct insn *i)
{
    xcr_check(cpu, i);
    uint64_t v = (uint64_t)(uint32_t)cpu->s.gpr[R_EDX] << 32 | (uint32_t)cpu->s.gpr[R_EAX];
    if (cpu->s.cpl != 0 || (uint32_t)cpu->s.gpr[R_ECX] != 0 || !(v & XCR0_X87) ||
        (v & ~(uint64_t)XCR0_SUPPORTED))
        except_gp(cpu, 0);
    cpu->s.xcr0 = v;
}

/* ---- fences and CLFLUSH ---- */

/* LFENCE/MFENCE (SSE2), SFENCE (SSE): one instruction at a time in
 * program order already orders everything; only the CPUID check and the
 * prefixes that make them other instructions (66/F3/F2: #UD) remain. */
void op_fence(struct cpu *cpu, const struct insn *i)
{
    uint32_t bit = optable_rows[i->row].feat == FEAT_SSE ? CPUID_SSE : CPUID_SSE2;
    if (!cpuid_has(&cpu->model, CPUID_1_EDX, bit) || (i->pfx & (PFX_OPSZ | PFX_REP | PFX_REPNE)))
        except_ud(cpu);
}

/* CLFLUSH m8: no cache to flush; the access is checked as a one-byte read
 * (segment and page faults, SDM vol. 2 CLFLUSH). 66 is CLFLUSHOPT: #UD. */
void op_clflush_M(struct cpu *cpu, const struct insn *i)
{
    if (!cpuid_has(&cpu->model, CPUID_1_EDX, CPUID_CLFSH) ||
        (i->pfx & (PFX_OPSZ | PFX_REP | PFX_REPNE)))
        except_ud(cpu);
    cpu_check_read(cpu, i->seg, insn_ea(cpu, i), 1);
}
