/* The CPU's architectural state as a save-state section ("cpu", version 2;
 * version 2 added "xcr0" and widened x87.fip/x87.fdp to 64 bits for
 * FXSAVE64; a version 1 image loads with XCR0 = 1, its reset value).
 *
 * Every field of struct cpu_state (src/cpu/state.h) is saved by name, with
 * the x87 registers as their 80-bit images and the lazy flags materialised
 * into rflags, plus the event state of struct cpu that belongs to the
 * architecture (halted, NMI blocking, the interrupt shadow). The mode facts
 * (mode, code and stack size) are not saved: they follow from CR0, EFLAGS
 * and the CS/SS caches and are recomputed on load.
 *
 * Loading reads everything into a copy first and commits only when every
 * field passed its range check and the whole passes the checks a MOV to
 * the register would make (CR0 PG without PE, CR4 bits the model lacks,
 * reserved RFLAGS and EFER bits, MXCSR bits, CPL and the x87 pointers), so
 * a crafted image cannot produce a state the hardware could not hold; the
 * TLB and the decode cache are flushed after it. New registers become new
 * named fields; a field missing from an older image is an error until a
 * later version says what it defaults to. */
#include "cpu/state.h"

#include <stdio.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/dcache.h"
#include "cpu/flags.h"
#include "cpu/mmu.h"
#include "cpu/x87.h"
#include "util/savestate.h"

#define CPU_SECTION_VERSION 2

static const char *const seg_names[SEG_ALL] = { "es", "cs", "ss", "ds", "fs", "gs", "ldtr", "tr" };

/* EFLAGS bits that exist on this CPU (bit 1 always reads 1). */
#define RFLAGS_DEFINED (FL_CF | 0x2u | FL_PF | FL_AF | FL_ZF | FL_SF | FL_TF | FL_IF | FL_DF | \
                        FL_OF | FL_IOPL | FL_NT | FL_RF | FL_VM | FL_AC | FL_VIF | FL_VIP | FL_ID)
/* EFER: SCE, LME, LMA, NXE (AMD APM vol. 2 3.1.7). */
#define EFER_DEFINED 0xd01ull

void cpu_state_save(struct cpu *cpu, struct savestate *ss)
{
    const struct cpu_state *s = &cpu->s;
    const struct msrs *m = &s->msr;
    char f[32];
    uint8_t st[80];

#define PUTF(val, ...) do { snprintf(f, sizeof f, __VA_ARGS__); ss_put(ss, f, (val)); } while (0)
    ss_section_begin(ss, "cpu", CPU_SECTION_VERSION);
    for (int r = 0; r < 16; r++)
        PUTF(s->gpr[r], "gpr%d", r);
    ss_put(ss, "rip", s->rip);
    ss_put(ss, "rflags", flags_get(cpu));
    for (int k = 0; k < SEG_ALL; k++) {
        PUTF(s->seg[k].sel, "%s.sel", seg_names[k]);
        PUTF(s->seg[k].attr, "%s.attr", seg_names[k]);
        PUTF(s->seg[k].limit, "%s.limit", seg_names[k]);
        PUTF(s->seg[k].base, "%s.base", seg_names[k]);
    }
    ss_put(ss, "gdtr.base", s->gdtr.base);
    ss_put(ss, "gdtr.limit", s->gdtr.limit);
    ss_put(ss, "idtr.base", s->idtr.base);
    ss_put(ss, "idtr.limit", s->idtr.limit);
    ss_put(ss, "cr0", s->cr0);
    ss_put(ss, "cr2", s->cr2);
    ss_put(ss, "cr3", s->cr3);
    ss_put(ss, "cr4", s->cr4);
    ss_put(ss, "cr8", s->cr8);
    ss_put(ss, "efer", s->efer);
    for (int k = 0; k < 8; k++)
        PUTF(s->dr[k], "dr%d", k);
    ss_put(ss, "cpl", s->cpl);
    ss_put(ss, "tsc_offset", s->tsc_offset);

    ss_put(ss, "msr.sysenter_cs", m->sysenter_cs);
    ss_put(ss, "msr.sysenter_esp", m->sysenter_esp);
    ss_put(ss, "msr.sysenter_eip", m->sysenter_eip);
    ss_put(ss, "msr.apic_base", m->apic_base);
    ss_put(ss, "msr.pat", m->pat);
    ss_put(ss, "msr.mtrr_def_type", m->mtrr_def_type);
    for (int k = 0; k < 11; k++)
        PUTF(m->mtrr_fixed[k], "msr.mtrr_fixed%d", k);
    for (int k = 0; k < 16; k++)
        PUTF(m->mtrr_var[k], "msr.mtrr_var%d", k);
    ss_put(ss, "msr.misc_enable", m->misc_enable);
    for (int k = 0; k < 2; k++) {
        PUTF(m->perfevtsel[k], "msr.perfevtsel%d", k);
        /* The counter as of now (RDMSR's value), so the image does not
         * depend on icount. */
        uint64_t ctr = 0;
        msr_read(cpu, 0xc1 + (uint32_t)k, &ctr);
        PUTF(ctr, "msr.perfctr%d", k);
    }
    ss_put(ss, "msr.mcg_status", m->mcg_status);
    ss_put(ss, "msr.mcg_ctl", m->mcg_ctl);
    for (int k = 0; k < 5; k++)
        PUTF(m->mc_ctl[k], "msr.mc%d_ctl", k);
    ss_put(ss, "msr.star", m->star);
    ss_put(ss, "msr.lstar", m->lstar);
    ss_put(ss, "msr.cstar", m->cstar);
    ss_put(ss, "msr.fmask", m->fmask);
    ss_put(ss, "msr.fs_base", m->fs_base);
    ss_put(ss, "msr.gs_base", m->gs_base);
    ss_put(ss, "msr.kernel_gs_base", m->kernel_gs_base);
    ss_put(ss, "msr.tsc_aux", m->tsc_aux);

    /* x87: the eight 80-bit images in physical order, then the control
     * registers (this was the "x87" section before). */
    for (unsigned p = 0; p < 8; p++)
        f80_image(s->fpu.st[p], st + 10 * p);
    ss_put_bytes(ss, "x87.st", st, sizeof st);
    ss_put(ss, "x87.cw", s->fpu.cw);
    ss_put(ss, "x87.sw", s->fpu.sw);
    ss_put(ss, "x87.tw", s->fpu.tw);
    ss_put(ss, "x87.fop", s->fpu.fop);
    ss_put(ss, "x87.fip", s->fpu.fip);
    ss_put(ss, "x87.fcs", s->fpu.fcs);
    ss_put(ss, "x87.fdp", s->fpu.fdp);
    ss_put(ss, "x87.fds", s->fpu.fds);

    for (int k = 0; k < 16; k++) {
        snprintf(f, sizeof f, "xmm%d", k);
        ss_put_bytes(ss, f, s->xmm[k].b, 16);
    }
    ss_put(ss, "mxcsr", s->mxcsr);
    ss_put(ss, "xcr0", s->xcr0);

    ss_put(ss, "halted", cpu->halted);
    ss_put(ss, "nmi_blocked", cpu->nmi_blocked);
    ss_put(ss, "irq_shadow", cpu->inhibit_irq);
    ss_section_end(ss);
#undef PUTF
}

int cpu_state_load(struct cpu *cpu, struct savestate *ss)
{
    struct cpu_state t = cpu->s;
    struct msrs *m = &t.msr;
    uint64_t rflags, v;
    uint8_t st[80], halted, nmi_blocked, shadow;
    char f[32];
    uint32_t ver;

#define F(...) (snprintf(f, sizeof f, __VA_ARGS__), f)
    if (ss_section_open(ss, "cpu", 1, CPU_SECTION_VERSION, &ver) < 0)
        return -1;
    for (int r = 0; r < 16; r++)
        ss_get(ss, F("gpr%d", r), UINT64_MAX, &t.gpr[r]);
    ss_get(ss, "rip", UINT64_MAX, &t.rip);
    ss_get(ss, "rflags", UINT32_MAX, &rflags);
    for (int k = 0; k < SEG_ALL; k++) {
        ss_get_u16(ss, F("%s.sel", seg_names[k]), 0xffff, &t.seg[k].sel);
        ss_get_u16(ss, F("%s.attr", seg_names[k]), 0xffff, &t.seg[k].attr);
        ss_get_u32(ss, F("%s.limit", seg_names[k]), 0xffffffffu, &t.seg[k].limit);
        ss_get(ss, F("%s.base", seg_names[k]), UINT64_MAX, &t.seg[k].base);
    }
    ss_get(ss, "gdtr.base", UINT64_MAX, &t.gdtr.base);
    ss_get_u32(ss, "gdtr.limit", 0xffff, &t.gdtr.limit);
    ss_get(ss, "idtr.base", UINT64_MAX, &t.idtr.base);
    ss_get_u32(ss, "idtr.limit", 0xffff, &t.idtr.limit);
    ss_get(ss, "cr0", 0xffffffffu, &t.cr0);
    ss_get(ss, "cr2", UINT64_MAX, &t.cr2);
    ss_get(ss, "cr3", UINT64_MAX, &t.cr3);
    ss_get(ss, "cr4", 0xffffffffu, &t.cr4);
    ss_get(ss, "cr8", 15, &t.cr8);
    ss_get(ss, "efer", UINT64_MAX, &t.efer);
    for (int k = 0; k < 8; k++)
        ss_get(ss, F("dr%d", k), UINT64_MAX, &t.dr[k]);
    ss_get_u8(ss, "cpl", 3, &t.cpl);
    ss_get(ss, "tsc_offset", UINT64_MAX, &t.tsc_offset);

    ss_get_u32(ss, "msr.sysenter_cs", 0xffff, &m->sysenter_cs);
    ss_get(ss, "msr.sysenter_esp", UINT64_MAX, &m->sysenter_esp);
    ss_get(ss, "msr.sysenter_eip", UINT64_MAX, &m->sysenter_eip);
    ss_get(ss, "msr.apic_base", UINT64_MAX, &m->apic_base);
    ss_get(ss, "msr.pat", UINT64_MAX, &m->pat);
    ss_get(ss, "msr.mtrr_def_type", 0xcff, &m->mtrr_def_type);
    for (int k = 0; k < 11; k++)
        ss_get(ss, F("msr.mtrr_fixed%d", k), UINT64_MAX, &m->mtrr_fixed[k]);
    for (int k = 0; k < 16; k++)
        ss_get(ss, F("msr.mtrr_var%d", k), UINT64_MAX, &m->mtrr_var[k]);
    ss_get(ss, "msr.misc_enable", UINT64_MAX, &m->misc_enable);
    for (int k = 0; k < 2; k++) {
        ss_get(ss, F("msr.perfevtsel%d", k), 0xffffffffu, &m->perfevtsel[k]);
        ss_get(ss, F("msr.perfctr%d", k), 0xffffffffffull, &m->perfctr[k]);
        m->perfctr_ic[k] = cpu->icount;
    }
    ss_get(ss, "msr.mcg_status", 7, &m->mcg_status);
    ss_get(ss, "msr.mcg_ctl", UINT64_MAX, &m->mcg_ctl);
    for (int k = 0; k < 5; k++)
        ss_get(ss, F("msr.mc%d_ctl", k), UINT64_MAX, &m->mc_ctl[k]);
    ss_get(ss, "msr.star", UINT64_MAX, &m->star);
    ss_get(ss, "msr.lstar", UINT64_MAX, &m->lstar);
    ss_get(ss, "msr.cstar", UINT64_MAX, &m->cstar);
    ss_get(ss, "msr.fmask", 0xffffffffu, &m->fmask);
    ss_get(ss, "msr.fs_base", UINT64_MAX, &m->fs_base);
    ss_get(ss, "msr.gs_base", UINT64_MAX, &m->gs_base);
    ss_get(ss, "msr.kernel_gs_base", UINT64_MAX, &m->kernel_gs_base);
    ss_get(ss, "msr.tsc_aux", 0xffffffffu, &m->tsc_aux);

    ss_get_bytes(ss, "x87.st", st, sizeof st);
    ss_get_u16(ss, "x87.cw", 0xffff, &t.fpu.cw);
    ss_get_u16(ss, "x87.sw", 0xffff, &t.fpu.sw);
    ss_get_u16(ss, "x87.tw", 0xffff, &t.fpu.tw);
    ss_get_u16(ss, "x87.fop", 0x7ff, &t.fpu.fop);
    ss_get(ss, "x87.fip", ver >= 2 ? UINT64_MAX : 0xffffffffu, &t.fpu.fip);
    ss_get_u16(ss, "x87.fcs", 0xffff, &t.fpu.fcs);
    ss_get(ss, "x87.fdp", ver >= 2 ? UINT64_MAX : 0xffffffffu, &t.fpu.fdp);
    ss_get_u16(ss, "x87.fds", 0xffff, &t.fpu.fds);

    for (int k = 0; k < 16; k++)
        ss_get_bytes(ss, F("xmm%d", k), t.xmm[k].b, 16);
    ss_get_u32(ss, "mxcsr", MXCSR_WRITABLE, &t.mxcsr);
    t.xcr0 = XCR0_X87;
    if (ver >= 2)
        ss_get(ss, "xcr0", XCR0_SUPPORTED, &t.xcr0);

    ss_get_u8(ss, "halted", 1, &halted);
    ss_get_u8(ss, "nmi_blocked", 1, &nmi_blocked);
    ss_get_u8(ss, "irq_shadow", 2, &shadow);
    if (ss->err)
        return -1;
#undef F

    /* What a MOV to each register would refuse (SDM vol. 3A 2.5, 2.2.1). */
    if ((rflags & ~(uint64_t)RFLAGS_DEFINED) || !(rflags & 0x2))
        return ss_fail(ss, "rflags", "has reserved bits wrong (bit 1 must be set, 3/5/15/22-31 clear)");
    if ((t.cr0 & CR0_PG) && !(t.cr0 & CR0_PE))
        return ss_fail(ss, "cr0", "sets PG without PE");
    if ((t.cr0 & CR0_NW) && !(t.cr0 & CR0_CD))
        return ss_fail(ss, "cr0", "sets NW without CD");
    if (t.cr4 & ~(uint64_t)cpuid_cr4_valid(&cpu->model))
        return ss_fail(ss, "cr4", "sets bits this CPU model does not have");
    if (t.efer & ~EFER_DEFINED)
        return ss_fail(ss, "efer", "sets reserved bits");
    if (!(t.cr0 & CR0_PE) && t.cpl != 0)
        return ss_fail(ss, "cpl", "is not 0 in real mode");
    if ((rflags & FL_VM) && t.cpl != 3)
        return ss_fail(ss, "cpl", "is not 3 in virtual-8086 mode");
    for (int k = 0; k < 4; k++)
        if (t.dr[k] >> 32)
            return ss_fail(ss, "dr0-3", "hold an address above 4 GiB");
    /* XSETBV's rules (SDM vol. 2 XSETBV): bit 0 set, nothing the model
     * lacks; without XSAVE the register is not visible, only 0 or 1. */
    if (cpuid_has(&cpu->model, CPUID_1_ECX, CPUID_C_XSAVE) ? !(t.xcr0 & XCR0_X87)
                                                          : t.xcr0 > XCR0_X87)
        return ss_fail(ss, "xcr0", "is not a value XSETBV accepts on this CPU model");
    for (unsigned p = 0; p < 8; p++)
        t.fpu.st[p] = f80_from_image(st + 10 * p);

    cpu->s = t;
    cpu->s.rflags = rflags;
    cpu->s.lf.op = 0;
    cpu->halted = halted;
    cpu->nmi_blocked = nmi_blocked;
    cpu->inhibit_irq = shadow;
    v = t.fpu.cw;
    x87_set_cw(cpu, (uint16_t)v);   /* normalises reserved bits, recomputes ES */
    cpu_update_mode(cpu);       /* mode and sizes; CPL stays in protected mode */
    tlb_flush_all(cpu);
    if (cpu->dcache)
        dcache_flush(cpu->dcache);
    cpu->fetch_page = NULL;
    return 0;
}
