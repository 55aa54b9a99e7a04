/* Far control transfers: JMP/CALL ptr16:16/32 and m16:16/32, RETF, IRET in
 * real, V86 and protected mode (Intel SDM vol. 2 JMP, CALL, RET, IRET
 * pseudocode; vol. 3 5.8 call gates, 5.8.5 stack switching, 5.8.6 returns,
 * 7.3 task switches by JMP/CALL/IRET, 20.3 V86 entry and exit by IRET).
 *
 * Every check that can fault runs before state changes; pushes to a new
 * stack are built in a struct stk and committed at the end. A V86 IRET with
 * IOPL < 3 follows VME (20.4.2) when CR4.VME is set. IA-32e mode (EFER.LMA)
 * has its own paths in src/cpu/farlong.c; far_jmp/far_call/far_ret/
 * far_iret hand over to them. */
#include "cpu/except.h"
#include "cpu/flags.h"
#include "cpu/longmode.h"
#include "cpu/mmu.h"
#include "cpu/pmode.h"
#include "cpu/seg.h"
#include "util/log.h"

/* ---- shared checks ---- */

struct desc far_desc_or_gp(struct cpu *cpu, uint16_t sel)
{
    struct desc d;
    if ((sel & ~3u) == 0)
        except_gp(cpu, 0);
    if (!desc_fetch(cpu, sel, &d))
        except_gp(cpu, sel & 0xfffc);
    return d;
}

void far_check_code(struct cpu *cpu, uint16_t sel, struct desc d, bool rpl_check)
{
    uint16_t a = desc_attr(d);
    /* In IA-32e mode L=1 with D=1 is reserved (SDM vol. 3A 5.2.1). */
    if (!attr_is_code(a) || ((cpu->s.efer & EFER_LMA) && (a & SEGA_L) && (a & SEGA_DB)))
        except_gp(cpu, sel & 0xfffc);
    if (attr_conforming(a)) {
        if (SEGA_DPL(a) > cpu->s.cpl)
            except_gp(cpu, sel & 0xfffc);
    } else if ((rpl_check && (sel & 3u) > cpu->s.cpl) || SEGA_DPL(a) != cpu->s.cpl) {
        except_gp(cpu, sel & 0xfffc);
    }
    if (!(a & SEGA_P))
        except_np(cpu, sel & 0xfffc);
}

static void check_gate(struct cpu *cpu, uint16_t sel, struct desc g)
{
    unsigned dpl = SEGA_DPL(desc_attr(g));
    if (dpl < cpu->s.cpl || dpl < (sel & 3u))
        except_gp(cpu, sel & 0xfffc);
    if (!(desc_attr(g) & SEGA_P))
        except_np(cpu, sel & 0xfffc);
}

/* Resolve a task gate or TSS descriptor named by JMP/CALL to the TSS. */
static void task_target(struct cpu *cpu, uint16_t sel, struct desc d, int reason)
{
    unsigned t = attr_sys_type(desc_attr(d));
    check_gate(cpu, sel, d);
    if (t == DT_TASKGATE) {
        sel = gate_sel(d);
        if (sel & 4)
            except_gp(cpu, sel & 0xfffc);
        d = far_desc_or_gp(cpu, sel);
        t = attr_sys_type(desc_attr(d));
        if (t != DT_TSS16_AVAIL && t != DT_TSS32_AVAIL)
            except_gp(cpu, sel & 0xfffc);
        if (!(desc_attr(d) & SEGA_P))
            except_np(cpu, sel & 0xfffc);
    } else if (sel & 4) {
        except_gp(cpu, sel & 0xfffc);   /* a TSS descriptor lives in the GDT */
    }
    task_switch(cpu, sel, d, reason, false, 0);
}

static void check_eip(struct cpu *cpu, uint32_t off, uint32_t limit)
{
    if (off > limit)
        except_gp(cpu, 0);
}

/* ---- JMP far ---- */

void far_jmp(struct cpu *cpu, uint16_t sel, uint64_t off64, unsigned opsize)
{
    if (cpu->s.efer & EFER_LMA) {
        far_jmp_long(cpu, sel, off64, opsize);
        return;
    }
    uint32_t off = opsize == 2 ? (off64 & 0xffff) : (uint32_t)off64;
    if (!mode_is_prot(cpu->s.mode)) {
        check_eip(cpu, off, cpu->s.seg[SEG_CS].limit);
        if (cpu->s.mode == MODE_REAL)
            seg_load_real(cpu, SEG_CS, sel);
        else
            seg_load_v86(cpu, SEG_CS, sel);
        cpu->next_rip = off;
        return;
    }
    struct desc d = far_desc_or_gp(cpu, sel);
    uint16_t a = desc_attr(d);
    if (a & SEGA_S) {
        far_check_code(cpu, sel, d, true);
        check_eip(cpu, off, desc_limit(d));
        desc_set_accessed(cpu, sel, &d);
        seg_load_cs_desc(cpu, sel, d, cpu->s.cpl);
        cpu->next_rip = off;
        return;
    }
    switch (attr_sys_type(a)) {
    case DT_CALLGATE16:
    case DT_CALLGATE32: {
        check_gate(cpu, sel, d);
        uint16_t tsel = gate_sel(d);
        uint32_t toff = gate_off(d);
        if (attr_sys_type(a) == DT_CALLGATE16)
            toff &= 0xffff;
        struct desc cd = far_desc_or_gp(cpu, tsel);
        far_check_code(cpu, tsel, cd, false);
        check_eip(cpu, toff, desc_limit(cd));
        desc_set_accessed(cpu, tsel, &cd);
        seg_load_cs_desc(cpu, tsel, cd, cpu->s.cpl);
        cpu->next_rip = toff;
        return;
    }
    case DT_TASKGATE:
    case DT_TSS16_AVAIL:
    case DT_TSS32_AVAIL:
        task_target(cpu, sel, d, TS_JMP);
        return;
    default:
        except_gp(cpu, sel & 0xfffc);
    }
}

/* ---- CALL far ---- */

static void push_return(struct cpu *cpu, struct stk *s, unsigned sz)
{
    stk_push(cpu, s, cpu->s.seg[SEG_CS].sel, sz);
    stk_push(cpu, s, cpu->next_rip, sz);
}

static void call_gate(struct cpu *cpu, uint16_t sel, struct desc g)
{
    check_gate(cpu, sel, g);
    bool gate32 = attr_sys_type(desc_attr(g)) == DT_CALLGATE32;
    unsigned sz = gate32 ? 4 : 2;
    uint16_t tsel = gate_sel(g);
    uint32_t toff = gate32 ? gate_off(g) : (gate_off(g) & 0xffff);
    struct desc cd = far_desc_or_gp(cpu, tsel);
    uint16_t ca = desc_attr(cd);
    unsigned dpl = SEGA_DPL(ca);
    if (!attr_is_code(ca) || dpl > cpu->s.cpl)
        except_gp(cpu, tsel & 0xfffc);
    if (!(ca & SEGA_P))
        except_np(cpu, tsel & 0xfffc);

    struct stk s;
    uint32_t old_esp = (uint32_t)cpu->s.gpr[R_ESP];
    if (!attr_conforming(ca) && dpl < cpu->s.cpl) {
        /* More privilege: new stack from the TSS, parameters copied. */
        uint16_t nss;
        uint32_t nesp;
        tss_ring_stack(cpu, dpl, &nss, &nesp);
        struct desc sd = seg_check_new_ss(cpu, nss, dpl, EXC_TS);
        struct seg ns = { nss, desc_attr(sd), desc_limit(sd), desc_base(sd) };
        unsigned params = g.hi & 0x1f;
        stk_from_seg(cpu, &s, &ns, nesp, EXC_SS, nss & 0xfffc, dpl == 3);
        stk_reserve(cpu, &s, (4 + params) * sz);
        check_eip(cpu, toff, desc_limit(cd));
        /* The parameters must be readable on the old stack. */
        if (params)
            cpu_check_read(cpu, SEG_SS, cpu_get_sp(cpu), params * sz);
        stk_push(cpu, &s, cpu->s.seg[SEG_SS].sel, sz);
        stk_push(cpu, &s, old_esp, sz);
        for (unsigned k = params; k-- > 0; )
            stk_push(cpu, &s, cpu_stack_peek(cpu, k * sz, sz), sz);
        push_return(cpu, &s, sz);
        desc_set_accessed(cpu, nss, &sd);
        desc_set_accessed(cpu, tsel, &cd);
        seg_load_desc(cpu, SEG_SS, nss, sd);
        set_reg32(cpu, R_ESP, s.esp);
        seg_load_cs_desc(cpu, tsel, cd, dpl);
        cpu->next_rip = toff;
        LOG(LOG_MODE, "call gate %04x -> CPL %u at %04x:%08x", sel, dpl, tsel, toff);
        return;
    }
    /* Same privilege through the gate. */
    stk_from_seg(cpu, &s, &cpu->s.seg[SEG_SS], old_esp, EXC_SS, 0, cpu->s.cpl == 3);
    stk_reserve(cpu, &s, 2 * sz);
    check_eip(cpu, toff, desc_limit(cd));
    push_return(cpu, &s, sz);
    desc_set_accessed(cpu, tsel, &cd);
    set_reg32(cpu, R_ESP, s.esp);
    seg_load_cs_desc(cpu, tsel, cd, cpu->s.cpl);
    cpu->next_rip = toff;
}

void far_call(struct cpu *cpu, uint16_t sel, uint64_t off64, unsigned opsize)
{
    struct stk s;
    if (cpu->s.efer & EFER_LMA) {
        far_call_long(cpu, sel, off64, opsize);
        return;
    }
    uint32_t off = opsize == 2 ? (off64 & 0xffff) : (uint32_t)off64;
    if (!mode_is_prot(cpu->s.mode)) {
        check_eip(cpu, off, cpu->s.seg[SEG_CS].limit);
        stk_from_seg(cpu, &s, &cpu->s.seg[SEG_SS], (uint32_t)cpu->s.gpr[R_ESP], EXC_SS, 0,
                     cpu->s.cpl == 3);
        push_return(cpu, &s, opsize);
        set_reg32(cpu, R_ESP, s.esp);
        if (cpu->s.mode == MODE_REAL)
            seg_load_real(cpu, SEG_CS, sel);
        else
            seg_load_v86(cpu, SEG_CS, sel);
        cpu->next_rip = off;
        return;
    }
    struct desc d = far_desc_or_gp(cpu, sel);
    uint16_t a = desc_attr(d);
    if (a & SEGA_S) {
        far_check_code(cpu, sel, d, true);
        check_eip(cpu, off, desc_limit(d));
        stk_from_seg(cpu, &s, &cpu->s.seg[SEG_SS], (uint32_t)cpu->s.gpr[R_ESP], EXC_SS, 0,
                     cpu->s.cpl == 3);
        stk_reserve(cpu, &s, 2 * opsize);
        push_return(cpu, &s, opsize);
        desc_set_accessed(cpu, sel, &d);
        set_reg32(cpu, R_ESP, s.esp);
        seg_load_cs_desc(cpu, sel, d, cpu->s.cpl);
        cpu->next_rip = off;
        return;
    }
    switch (attr_sys_type(a)) {
    case DT_CALLGATE16:
    case DT_CALLGATE32:
        call_gate(cpu, sel, d);
        return;
    case DT_TASKGATE:
    case DT_TSS16_AVAIL:
    case DT_TSS32_AVAIL:
        task_target(cpu, sel, d, TS_CALL);
        return;
    default:
        except_gp(cpu, sel & 0xfffc);
    }
}

/* ---- returns ---- */

struct desc ret_check_cs(struct cpu *cpu, uint16_t sel)
{
    struct desc d = far_desc_or_gp(cpu, sel);
    uint16_t a = desc_attr(d);
    unsigned rpl = sel & 3u;
    if (!attr_is_code(a) || rpl < cpu->s.cpl ||
        ((cpu->s.efer & EFER_LMA) && (a & SEGA_L) && (a & SEGA_DB)))
        except_gp(cpu, sel & 0xfffc);
    if (attr_conforming(a) ? SEGA_DPL(a) > rpl : SEGA_DPL(a) != rpl)
        except_gp(cpu, sel & 0xfffc);
    if (!(a & SEGA_P))
        except_np(cpu, sel & 0xfffc);
    return d;
}

struct desc ret_check_ss(struct cpu *cpu, uint16_t ss, unsigned rpl)
{
    struct desc d = far_desc_or_gp(cpu, ss);
    uint16_t a = desc_attr(d);
    if ((ss & 3u) != rpl || !attr_writable_data(a) || SEGA_DPL(a) != rpl)
        except_gp(cpu, ss & 0xfffc);
    if (!(a & SEGA_P))
        except_ss(cpu, ss & 0xfffc);
    return d;
}

static void add_sp(struct cpu *cpu, uint32_t n)
{
    cpu_set_sp(cpu, cpu_get_sp(cpu) + n);
}

/* Common tail of RETF and IRET in protected mode once EIP/CS are known:
 * `extra` bytes above CS:EIP(:EFLAGS) before the outer SS:ESP, `imm` the
 * RETF immediate. Returns after loading CS, SS, ESP. */
static void ret_pm(struct cpu *cpu, uint16_t cs, uint32_t eip, unsigned opsize,
                   unsigned frame, uint16_t imm, uint32_t new_flags, bool set_flags)
{
    struct desc cd = ret_check_cs(cpu, cs);
    unsigned rpl = cs & 3u;
    if (rpl == cpu->s.cpl) {
        check_eip(cpu, eip, desc_limit(cd));
        desc_set_accessed(cpu, cs, &cd);
        if (set_flags)
            pm_set_eflags(cpu, new_flags);
        seg_load_cs_desc(cpu, cs, cd, rpl);
        add_sp(cpu, frame + imm);
        cpu->next_rip = eip;
        return;
    }
    /* Outer level: SS:ESP above the frame (and the RETF parameters). */
    uint32_t nesp = cpu_stack_peek(cpu, frame + imm, opsize);
    uint16_t nss = (uint16_t)cpu_stack_peek(cpu, frame + imm + opsize, opsize);
    struct desc sd = ret_check_ss(cpu, nss, rpl);
    check_eip(cpu, eip, desc_limit(cd));
    desc_set_accessed(cpu, cs, &cd);
    desc_set_accessed(cpu, nss, &sd);
    if (set_flags)
        pm_set_eflags(cpu, new_flags);
    seg_load_cs_desc(cpu, cs, cd, rpl);
    seg_load_desc(cpu, SEG_SS, nss, sd);
    if (opsize == 2)
        nesp &= 0xffff;
    cpu_set_sp(cpu, nesp + imm);
    seg_null_outer(cpu);
    cpu->next_rip = eip;
}

void far_ret(struct cpu *cpu, unsigned opsize, uint16_t imm)
{
    if (cpu->s.efer & EFER_LMA) {
        far_ret_long(cpu, opsize, imm);
        return;
    }
    uint32_t eip = cpu_stack_peek(cpu, 0, opsize);
    uint16_t cs = (uint16_t)cpu_stack_peek(cpu, opsize, opsize);
    if (!mode_is_prot(cpu->s.mode)) {
        if (opsize == 2)
            eip &= 0xffff;
        check_eip(cpu, eip, cpu->s.seg[SEG_CS].limit);
        if (cpu->s.mode == MODE_REAL)
            seg_load_real(cpu, SEG_CS, cs);
        else
            seg_load_v86(cpu, SEG_CS, cs);
        add_sp(cpu, 2 * opsize + imm);
        cpu->next_rip = eip;
        return;
    }
    ret_pm(cpu, cs, eip, opsize, 2 * opsize, imm, 0, false);
}

/* ---- IRET ---- */

static void iret_task_return(struct cpu *cpu)
{
    const struct seg *tr = &cpu->s.seg[SEG_TR];
    uint16_t link = lin_rd16(cpu, (uint32_t)tr->base, 0);
    struct desc d;
    if ((link & 4) || (link & ~3u) == 0 || !desc_fetch(cpu, link, &d))
        except_ts(cpu, link & 0xfffc);
    unsigned t = attr_sys_type(desc_attr(d));
    if (t != DT_TSS16_BUSY && t != DT_TSS32_BUSY)
        except_ts(cpu, link & 0xfffc);
    if (!(desc_attr(d) & SEGA_P))
        except_np(cpu, link & 0xfffc);
    task_switch(cpu, link, d, TS_IRET, false, 0);
}

static void iret_to_v86(struct cpu *cpu, uint32_t eip, uint16_t cs, uint32_t fl)
{
    uint32_t v[6];
    for (int k = 0; k < 6; k++)
        v[k] = cpu_stack_peek(cpu, 12 + 4 * k, 4);
    /* v: ESP SS ES DS FS GS */
    pm_set_eflags(cpu, fl);
    seg_load_v86(cpu, SEG_CS, cs);
    seg_load_v86(cpu, SEG_SS, (uint16_t)v[1]);
    seg_load_v86(cpu, SEG_ES, (uint16_t)v[2]);
    seg_load_v86(cpu, SEG_DS, (uint16_t)v[3]);
    seg_load_v86(cpu, SEG_FS, (uint16_t)v[4]);
    seg_load_v86(cpu, SEG_GS, (uint16_t)v[5]);
    set_reg32(cpu, R_ESP, v[0]);
    pm_set_cpl(cpu, 3);
    cpu->next_rip = eip & 0xffff;
    LOG(LOG_MODE, "IRET to V86 at %04x:%04x", cs, eip & 0xffff);
}

void far_iret(struct cpu *cpu, unsigned opsize)
{
    if (cpu->s.efer & EFER_LMA) {
        iret_long(cpu, opsize);
        return;
    }
    uint32_t old = flags_get(cpu);
    if (mode_is_prot(cpu->s.mode) && (old & FL_NT)) {
        iret_task_return(cpu);
        cpu->nmi_blocked = 0;
        return;
    }
    uint32_t eip = cpu_stack_peek(cpu, 0, opsize);
    uint16_t cs = (uint16_t)cpu_stack_peek(cpu, opsize, opsize);
    uint32_t fl = cpu_stack_peek(cpu, 2 * opsize, opsize);
    uint32_t iopl = (old & FL_IOPL) >> FL_IOPL_SHIFT;
    uint32_t nf;

    if (cpu->s.mode == MODE_REAL || cpu->s.mode == MODE_V86) {
        bool vme = false;
        if (cpu->s.mode == MODE_V86 && iopl < 3) {
            /* VME (SDM 20.4.2): a 16-bit IRET moves the popped IF to VIF;
             * TF set, or IF set with VIP pending, faults. */
            if (!(cpu->s.cr4 & CR4_VME) || opsize != 2 || (fl & FL_TF) ||
                ((fl & FL_IF) && (old & FL_VIP)))
                except_gp(cpu, 0);
            vme = true;
        }
        if (vme) {
            eip &= 0xffff;
            uint32_t keep = 0xffff0000u | FL_IOPL | FL_IF;
            nf = (old & keep) | (fl & 0xffff & ~keep);
            nf = (nf & ~FL_VIF) | ((fl & FL_IF) ? FL_VIF : 0);
        } else if (opsize == 2) {
            eip &= 0xffff;
            uint32_t keep = cpu->s.mode == MODE_V86 ? FL_IOPL : 0;
            nf = (old & (0xffff0000u | keep)) | (fl & 0xffff & ~keep);
        } else {
            uint32_t keep = FL_VM | FL_VIP | FL_VIF | (cpu->s.mode == MODE_V86 ? FL_IOPL : 0);
            nf = (old & keep) | (fl & ~keep);
        }
        check_eip(cpu, eip, cpu->s.seg[SEG_CS].limit);
        if (cpu->s.mode == MODE_REAL)
            seg_load_real(cpu, SEG_CS, cs);
        else
            seg_load_v86(cpu, SEG_CS, cs);
        flags_set(cpu, nf);
        add_sp(cpu, 3 * opsize);
        cpu->next_rip = eip;
        cpu->nmi_blocked = 0;
        return;
    }

    if (opsize == 4 && (fl & FL_VM) && cpu->s.cpl == 0) {
        iret_to_v86(cpu, eip, cs, fl);
        cpu->nmi_blocked = 0;
        return;
    }
    /* Protected-mode return: which EFLAGS bits the pop may change depends
     * on the CPL and IOPL before the return. */
    uint32_t mask = FL_ARITH | FL_TF | FL_DF | FL_NT | FL_RF | FL_AC | FL_ID;
    if (cpu->s.cpl <= iopl)
        mask |= FL_IF;
    if (cpu->s.cpl == 0)
        mask |= FL_IOPL | FL_VIF | FL_VIP;
    if (opsize == 2) {
        mask &= 0xffff;
        eip &= 0xffff;
    }
    nf = (old & ~mask) | (fl & mask);
    ret_pm(cpu, cs, eip, opsize, 3 * opsize, 0, nf, true);
    cpu->nmi_blocked = 0;
}
