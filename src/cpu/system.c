/* System and segment instructions: descriptor-table registers (LGDT LIDT
 * SGDT SIDT LLDT SLDT LTR STR), descriptor queries (LAR LSL VERR VERW ARPL),
 * CR0's low word (CLTS LMSW SMSW), segment register moves (MOV Sw, POP sreg,
 * LDS LES LSS LFS LGS), far JMP/CALL/RETF/IRET, INT n/INT3/INTO/INT1,
 * CLI/STI, PUSHF/POPF and HLT, with the IOPL and V86 rules of Intel SDM
 * vol. 2 (each instruction's pseudocode) and vol. 3 ch. 20 (V86, VME/PVI).
 *
 * SGDT/SIDT store the full 32-bit base with either operand size, as the
 * current SDM pseudocode says (QEMU masks the top byte with o16).
 * VME: INT n in V86 mode consults the TSS interrupt redirection bitmap
 * (SDM 20.3.3 methods 1-6); PUSHF/POPF/CLI/STI use VIF under VME and PVI.
 * IA-32e mode: LGDT/LIDT/SGDT/SIDT take 8-byte bases in 64-bit mode
 * (canonical, #GP(0)); LLDT/LTR read 16-byte descriptors (upper type 0,
 * canonical base) and LTR takes only the 64-bit TSS.
 * Left out: UMIP. */
#include <string.h>

#include "cpu/except.h"
#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/longmode.h"
#include "cpu/mmu.h"
#include "cpu/pmode.h"
#include "cpu/seg.h"
#include "util/log.h"

static unsigned iopl_of(const struct cpu *cpu)
{
    return (cpu->s.rflags & FL_IOPL) >> FL_IOPL_SHIFT;
}

/* Protected-mode-only instructions raise #UD in real and V86 mode. */
static void need_pm(struct cpu *cpu)
{
    if (!mode_is_prot(cpu->s.mode))
        except_ud(cpu);
}

/* Privileged instructions: #GP(0) unless CPL 0 (real mode counts as 0). */
static void need_cpl0(struct cpu *cpu)
{
    if (cpu->s.mode != MODE_REAL && cpu->s.cpl != 0)
        except_gp(cpu, 0);
}

static void need_mem(struct cpu *cpu, const struct insn *i)
{
    if (i->mod == 3)
        except_ud(cpu);
}

static uint64_t ea_plus(const struct insn *i, uint64_t ea, uint32_t n)
{
    ea += n;
    return i->adsize == 2 ? (ea & 0xffff) : i->adsize == 4 ? (uint32_t)ea : ea;
}

/* ---- descriptor-table registers ---- */

static void load_dtr(struct cpu *cpu, const struct insn *i, struct dtr *r)
{
    need_mem(cpu, i);
    need_cpl0(cpu);
    uint64_t ea = insn_ea(cpu, i);
    uint16_t limit = cpu_rd16(cpu, i->seg, ea);
    uint64_t base;
    if (cpu->s.mode == MODE_LONG64) {
        /* 64-bit mode: a 10-byte operand with a 64-bit base whatever the
         * operand size; a non-canonical base is #GP(0) (SDM vol. 2A LGDT). */
        base = cpu_rd64(cpu, i->seg, ea_plus(i, ea, 2));
        if (!is_canonical(base))
            except_gp(cpu, 0);
    } else {
        base = cpu_rd32(cpu, i->seg, ea_plus(i, ea, 2));
        if (i->opsize == 2)
            base &= 0x00ffffffu;
    }
    r->limit = limit;
    r->base = base;
}

static void store_dtr(struct cpu *cpu, const struct insn *i, const struct dtr *r)
{
    need_mem(cpu, i);
    uint64_t ea = insn_ea(cpu, i);
    uint64_t ea2 = ea_plus(i, ea, 2);
    bool wide = cpu->s.mode == MODE_LONG64;     /* 64-bit mode stores 8 bytes of base */
    cpu_check_write(cpu, i->seg, ea, 2);
    cpu_check_write(cpu, i->seg, ea2, wide ? 8 : 4);
    cpu_wr16(cpu, i->seg, ea, (uint16_t)r->limit);
    if (wide)
        cpu_wr64(cpu, i->seg, ea2, r->base);
    else
        cpu_wr32(cpu, i->seg, ea2, (uint32_t)r->base);
}

void op_lgdt_Ms(struct cpu *cpu, const struct insn *i) { load_dtr(cpu, i, &cpu->s.gdtr); }
void op_lidt_Ms(struct cpu *cpu, const struct insn *i) { load_dtr(cpu, i, &cpu->s.idtr); }
void op_sgdt_Ms(struct cpu *cpu, const struct insn *i) { store_dtr(cpu, i, &cpu->s.gdtr); }
void op_sidt_Ms(struct cpu *cpu, const struct insn *i) { store_dtr(cpu, i, &cpu->s.idtr); }

/* SLDT/STR/SMSW/MOV Ew,Sw: a register destination takes the operand size
 * (zero-extended), memory always 16 bits. */
static void store_sel(struct cpu *cpu, const struct insn *i, uint32_t v)
{
    if (i->mod == 3)
        reg_set(cpu, i->rm, i->opsize, i->opsize == 2 ? (v & 0xffff) : v);
    else
        cpu_wr16(cpu, i->seg, insn_ea(cpu, i), (uint16_t)v);
}

void op_sldt_Ew(struct cpu *cpu, const struct insn *i)
{
    need_pm(cpu);
    store_sel(cpu, i, cpu->s.seg[SEG_LDTR].sel);
}

void op_str_Ew(struct cpu *cpu, const struct insn *i)
{
    need_pm(cpu);
    store_sel(cpu, i, cpu->s.seg[SEG_TR].sel);
}

/* GDT-only system descriptor for LLDT/LTR. */
static struct desc gdt_sys_desc(struct cpu *cpu, uint16_t sel)
{
    struct desc d;
    if ((sel & 4) || !desc_fetch(cpu, sel, &d))
        except_gp(cpu, sel & 0xfffc);
    return d;
}

/* In IA-32e mode LDT and TSS descriptors are 16 bytes (SDM vol. 3A 7.2.3,
 * 3.5.2; APM vol. 2 4.8.3): the upper half holds base bits 63:32 and a
 * type field (bits 12:8 of its second dword) that must be 0; the whole
 * descriptor must lie inside the GDT limit; the base must be canonical.
 * #GP(selector) for each. Returns the 64-bit base. */
static uint64_t sys_desc_base64(struct cpu *cpu, uint16_t sel, struct desc d)
{
    unsigned off = sel & ~7u;
    if (off + 15 > cpu->s.gdtr.limit)
        except_gp(cpu, sel & 0xfffc);
    uint64_t hi = lin_rd64(cpu, cpu->s.gdtr.base + off + 8, 0);
    uint64_t base = desc_base(d) | (hi & 0xffffffffu) << 32;
    if (((hi >> 40) & 0x1f) != 0 || !is_canonical(base))
        except_gp(cpu, sel & 0xfffc);
    return base;
}

void op_lldt_Ew(struct cpu *cpu, const struct insn *i)
{
    need_pm(cpu);
    need_cpl0(cpu);
    uint16_t sel = (uint16_t)rm_read(cpu, i, 2);
    if ((sel & ~3u) == 0) {
        seg_load_null(cpu, SEG_LDTR, sel);
        return;
    }
    struct desc d = gdt_sys_desc(cpu, sel);
    uint16_t a = desc_attr(d);
    if (attr_sys_type(a) != DT_LDT)
        except_gp(cpu, sel & 0xfffc);
    uint64_t base = desc_base(d);
    if (cpu->s.efer & EFER_LMA)
        base = sys_desc_base64(cpu, sel, d);
    if (!(a & SEGA_P))
        except_np(cpu, sel & 0xfffc);
    seg_load_cache(cpu, SEG_LDTR, sel, base, desc_limit(d), a);
}

void op_ltr_Ew(struct cpu *cpu, const struct insn *i)
{
    need_pm(cpu);
    need_cpl0(cpu);
    uint16_t sel = (uint16_t)rm_read(cpu, i, 2);
    if ((sel & ~3u) == 0)
        except_gp(cpu, 0);
    struct desc d = gdt_sys_desc(cpu, sel);
    uint16_t a = desc_attr(d);
    unsigned t = attr_sys_type(a);
    bool lma = (cpu->s.efer & EFER_LMA) != 0;
    /* IA-32e mode has only the 64-bit TSS (type 9, as the 32-bit one). */
    if (lma ? t != DT_TSS32_AVAIL : (t != DT_TSS16_AVAIL && t != DT_TSS32_AVAIL))
        except_gp(cpu, sel & 0xfffc);
    uint64_t base = lma ? sys_desc_base64(cpu, sel, d) : desc_base(d);
    if (!(a & SEGA_P))
        except_np(cpu, sel & 0xfffc);
    d.hi |= 0x200;      /* busy */
    lin_wr8(cpu, cpu->s.gdtr.base + (sel & ~7u) + 5, (uint8_t)(d.hi >> 8), 0);
    seg_load_cache(cpu, SEG_TR, sel, base, desc_limit(d), desc_attr(d));
}

/* ---- LAR LSL VERR VERW ARPL ---- */

/* Fetch a descriptor for the query instructions; false (ZF=0) when the
 * selector is null or outside its table. */
static bool query_desc(struct cpu *cpu, uint16_t sel, struct desc *d)
{
    if ((sel & ~3u) == 0)
        return false;
    return desc_fetch(cpu, sel, d);
}

static bool query_priv_ok(struct cpu *cpu, uint16_t sel, uint16_t a)
{
    if (attr_conforming(a))
        return true;
    unsigned dpl = SEGA_DPL(a);
    return dpl >= cpu->s.cpl && dpl >= (sel & 3u);
}

static void query_common(struct cpu *cpu, const struct insn *i, bool lsl)
{
    need_pm(cpu);
    uint16_t sel = (uint16_t)rm_read(cpu, i, 2);
    struct desc d;
    bool ok = query_desc(cpu, sel, &d);
    uint16_t a = ok ? desc_attr(d) : 0;
    if (ok && !(a & SEGA_S)) {
        unsigned t = attr_sys_type(a);
        /* LAR takes TSSs, LDTs, call and task gates; LSL only the first
         * two kinds (they have limits). IA-32e mode knows only the LDT,
         * the 64-bit TSS (9, B) and the 64-bit call gate (C); the 16-bit
         * types and task gates are invalid there (SDM vol. 2A LAR and
         * LSL, "IA-32e Mode" columns). */
        if (cpu->s.efer & EFER_LMA)
            ok = t == DT_LDT || t == DT_TSS32_AVAIL || t == DT_TSS32_BUSY ||
                 (!lsl && t == DT_CALLGATE32);
        else
            ok = t == DT_TSS16_AVAIL || t == DT_LDT || t == DT_TSS16_BUSY ||
                 t == DT_TSS32_AVAIL || t == DT_TSS32_BUSY ||
                 (!lsl && (t == DT_CALLGATE16 || t == DT_TASKGATE || t == DT_CALLGATE32));
    }
    if (ok)
        ok = query_priv_ok(cpu, sel, a);
    if (ok) {
        /* Access rights: bits 23:8 with a 32- or 64-bit operand. */
        uint32_t v = lsl ? desc_limit(d) : (d.hi & (i->opsize != 2 ? 0x00f0ff00u : 0xff00u));
        reg_set(cpu, i->reg, i->opsize, v);
    }
    flags_set_bits(cpu, FL_ZF, ok);
}

void op_lar_Gv_Ew(struct cpu *cpu, const struct insn *i) { query_common(cpu, i, false); }
void op_lsl_Gv_Ew(struct cpu *cpu, const struct insn *i) { query_common(cpu, i, true); }

static void verify(struct cpu *cpu, const struct insn *i, bool write)
{
    need_pm(cpu);
    uint16_t sel = (uint16_t)rm_read(cpu, i, 2);
    struct desc d;
    bool ok = query_desc(cpu, sel, &d);
    uint16_t a = ok ? desc_attr(d) : 0;
    if (ok)
        ok = (a & SEGA_S) && (write ? attr_writable_data(a) : attr_readable(a));
    if (ok)
        ok = query_priv_ok(cpu, sel, a) && !(write && attr_is_code(a));
    flags_set_bits(cpu, FL_ZF, ok);
}

void op_verr_Ew(struct cpu *cpu, const struct insn *i) { verify(cpu, i, false); }
void op_verw_Ew(struct cpu *cpu, const struct insn *i) { verify(cpu, i, true); }

void op_arpl_Ew_Gw(struct cpu *cpu, const struct insn *i)
{
    need_pm(cpu);
    uint16_t dst = (uint16_t)rm_read(cpu, i, 2);
    uint16_t src = reg16(cpu, i->reg);
    bool adj = (dst & 3) < (src & 3);
    if (adj)
        rm_write(cpu, i, 2, (uint16_t)((dst & ~3u) | (src & 3u)));
    flags_set_bits(cpu, FL_ZF, adj);
}

/* ---- CR0 low word ---- */

void op_clts(struct cpu *cpu, const struct insn *i)
{
    need_cpl0(cpu);
    cpu->s.cr0 &= ~CR0_TS;
}

void op_smsw_Ew(struct cpu *cpu, const struct insn *i)
{
    store_sel(cpu, i, cpu->s.cr0);
}

void op_lmsw_Ew(struct cpu *cpu, const struct insn *i)
{
    need_cpl0(cpu);
    uint16_t v = (uint16_t)rm_read(cpu, i, 2);
    /* PE can be set but not cleared; MP, EM, TS are loaded. */
    uint32_t cr0 = (cpu->s.cr0 & ~0xeu) | (v & 0xfu);
    bool pe_on = !(cpu->s.cr0 & CR0_PE) && (cr0 & CR0_PE);
    cpu->s.cr0 = cr0;
    if (pe_on) {
        LOG(LOG_MODE, "LMSW: protected mode on");
        cpu_update_mode(cpu);
    }
}

/* ---- segment register moves ---- */

static void load_sreg(struct cpu *cpu, int seg, uint16_t sel)
{
    seg_load(cpu, seg, sel);
    if (seg == SEG_SS)
        cpu->inhibit_irq = 2;   /* also holds #DB back (exec.c) */
}

void op_mov_Sw_Ew(struct cpu *cpu, const struct insn *i)
{
    if (i->reg == SEG_CS || i->reg >= SEG_COUNT)
        except_ud(cpu);
    load_sreg(cpu, i->reg, (uint16_t)rm_read(cpu, i, 2));
}

void op_mov_Ew_Sw(struct cpu *cpu, const struct insn *i)
{
    if (i->reg >= SEG_COUNT)
        except_ud(cpu);
    store_sel(cpu, i, cpu->s.seg[i->reg].sel);
}

void op_pop_sreg(struct cpu *cpu, const struct insn *i)
{
    int s = i->sub;         /* the segment register (optable.def) */
    uint16_t sel = (uint16_t)cpu_stack_peek(cpu, 0, i->opsize);
    /* The pointer moves under the stack size in force before the pop. */
    bool big = cpu->s.stack_size != 2;
    uint64_t sp = cpu_get_sp(cpu) + i->opsize;
    load_sreg(cpu, s, sel);
    if (big)
        set_reg32(cpu, R_ESP, sp);
    else
        set_reg16(cpu, R_ESP, (uint16_t)sp);
}

static void load_far_ptr(struct cpu *cpu, const struct insn *i, int seg)
{
    need_mem(cpu, i);
    uint64_t ea = insn_ea(cpu, i);      /* 64-bit addresses, m16:64 with REX.W */
    uint64_t off = cpu_rd(cpu, i->seg, ea, i->opsize);
    uint16_t sel = cpu_rd16(cpu, i->seg, ea_plus(i, ea, i->opsize));
    seg_load(cpu, seg, sel);
    reg_set(cpu, i->reg, i->opsize, off);
}

void op_les_Gv_Mp(struct cpu *cpu, const struct insn *i) { load_far_ptr(cpu, i, SEG_ES); }
void op_lds_Gv_Mp(struct cpu *cpu, const struct insn *i) { load_far_ptr(cpu, i, SEG_DS); }
void op_lss_Gv_Mp(struct cpu *cpu, const struct insn *i) { load_far_ptr(cpu, i, SEG_SS); }
void op_lfs_Gv_Mp(struct cpu *cpu, const struct insn *i) { load_far_ptr(cpu, i, SEG_FS); }
void op_lgs_Gv_Mp(struct cpu *cpu, const struct insn *i) { load_far_ptr(cpu, i, SEG_GS); }

/* ---- far control transfers ---- */

void op_jmp_Ap(struct cpu *cpu, const struct insn *i) { far_jmp(cpu, i->imm2, i->imm, i->opsize); }
void op_call_Ap(struct cpu *cpu, const struct insn *i) { far_call(cpu, i->imm2, i->imm, i->opsize); }

/* m16:16, m16:32, or m16:64 with REX.W in 64-bit mode (Intel; SDM vol.
 * 2A JMP/CALL): the offset has the operand size, the selector follows.
 * AMD CPUs ignore REX.W here and read m16:32 (APM vol. 3 JMP (Far), CALL
 * (Far)). Returns the operand size the transfer uses. */
static unsigned read_mp(struct cpu *cpu, const struct insn *i, uint16_t *sel, uint64_t *off)
{
    need_mem(cpu, i);
    unsigned size = i->opsize;
    if (size == 8 && cpuid_vendor_amd(&cpu->model))
        size = 4;
    uint64_t ea = insn_ea(cpu, i);
    *off = cpu_rd(cpu, i->seg, ea, size);
    *sel = cpu_rd16(cpu, i->seg, ea_plus(i, ea, size));
    return size;
}

void op_jmp_Mp(struct cpu *cpu, const struct insn *i)
{
    uint16_t sel;
    uint64_t off;
    unsigned size = read_mp(cpu, i, &sel, &off);
    far_jmp(cpu, sel, off, size);
}

void op_call_Mp(struct cpu *cpu, const struct insn *i)
{
    uint16_t sel;
    uint64_t off;
    unsigned size = read_mp(cpu, i, &sel, &off);
    far_call(cpu, sel, off, size);
}

void op_retf(struct cpu *cpu, const struct insn *i) { far_ret(cpu, i->opsize, 0); }
void op_retf_Iw(struct cpu *cpu, const struct insn *i) { far_ret(cpu, i->opsize, (uint16_t)i->imm); }
void op_iret(struct cpu *cpu, const struct insn *i) { far_iret(cpu, i->opsize); }

/* ---- software interrupts ---- */

/* VME: INT n in V86 mode with the redirection bit clear goes to the V86
 * program's own IVT (SDM 20.3.3.4 methods 5 and 6). Returns false when the
 * bit is set (the interrupt takes the protected-mode path or faults). */
static bool v86_int_redirect(struct cpu *cpu, unsigned vec)
{
    const struct seg *tr = &cpu->s.seg[SEG_TR];
    unsigned type = tr->attr & 0x1f;
    if ((type != 0x09 && type != 0x0b) || tr->limit < 0x67)
        except_gp(cpu, 0);
    uint32_t map = lin_rd16(cpu, (uint32_t)tr->base + 0x66, 0);
    uint32_t byte = map - 32 + vec / 8;
    if (map < 32 || byte > tr->limit)
        except_gp(cpu, 0);
    if ((lin_rd8(cpu, (uint32_t)tr->base + byte, 0) >> (vec & 7)) & 1)
        return false;
    uint32_t ent = lin_rd32(cpu, vec * 4, 1);
    uint32_t fl = flags_get(cpu);
    uint32_t img = fl;
    if (iopl_of(cpu) < 3)
        img = (img & ~FL_IF) | ((fl & FL_VIF) ? FL_IF : 0) | FL_IOPL;
    struct stk s;
    stk_from_seg(cpu, &s, &cpu->s.seg[SEG_SS], (uint32_t)cpu->s.gpr[R_ESP], EXC_SS, 0, 1);
    stk_push(cpu, &s, img, 2);
    stk_push(cpu, &s, cpu->s.seg[SEG_CS].sel, 2);
    stk_push(cpu, &s, cpu->next_rip, 2);
    set_reg32(cpu, R_ESP, s.esp);
    fl &= ~(FL_TF | FL_RF);
    fl &= iopl_of(cpu) < 3 ? ~FL_VIF : ~FL_IF;
    flags_set(cpu, fl);
    seg_load_v86(cpu, SEG_CS, (uint16_t)(ent >> 16));
    cpu->next_rip = ent & 0xffff;
    return true;
}

void op_int_Ib(struct cpu *cpu, const struct insn *i)
{
    unsigned vec = i->imm & 0xff;
    if (cpu->s.mode == MODE_V86) {
        if (cpu->s.cr4 & CR4_VME) {
            if (v86_int_redirect(cpu, vec))
                return;
            if (iopl_of(cpu) < 3)
                except_gp(cpu, 0);
        } else if (iopl_of(cpu) < 3) {
            except_gp(cpu, 0);
        }
    }
    except_soft_int(cpu, vec, INT_SOFT);
}

/* INT3 and INTO check the gate DPL like INT n but are not IOPL-sensitive
 * in V86 mode. */
void op_int3(struct cpu *cpu, const struct insn *i) { except_soft_int(cpu, EXC_BP, INT_SOFT); }

void op_into(struct cpu *cpu, const struct insn *i)
{
    if (flag_of(cpu))
        except_soft_int(cpu, EXC_OF, INT_SOFT);
}

void op_int1(struct cpu *cpu, const struct insn *i) { except_soft_int(cpu, EXC_DB, INT_ICEBP); }

/* ---- IF and EFLAGS ---- */

void op_cli(struct cpu *cpu, const struct insn *i)
{
    unsigned iopl = iopl_of(cpu);
    if (cpu->s.mode == MODE_REAL || (mode_is_prot(cpu->s.mode) && cpu->s.cpl <= iopl) ||
        (cpu->s.mode == MODE_V86 && iopl == 3))
        cpu->s.rflags &= ~FL_IF;
    else if ((mode_is_prot(cpu->s.mode) && cpu->s.cpl == 3 && (cpu->s.cr4 & CR4_PVI)) ||
             (cpu->s.mode == MODE_V86 && (cpu->s.cr4 & CR4_VME)))
        cpu->s.rflags &= ~FL_VIF;
    else
        except_gp(cpu, 0);
}

void op_sti(struct cpu *cpu, const struct insn *i)
{
    unsigned iopl = iopl_of(cpu);
    if (cpu->s.mode == MODE_REAL || (mode_is_prot(cpu->s.mode) && cpu->s.cpl <= iopl) ||
        (cpu->s.mode == MODE_V86 && iopl == 3)) {
        if (!(cpu->s.rflags & FL_IF))
            cpu->inhibit_irq = 1;
        cpu->s.rflags |= FL_IF;
    } else if (((mode_is_prot(cpu->s.mode) && cpu->s.cpl == 3 && (cpu->s.cr4 & CR4_PVI)) ||
                (cpu->s.mode == MODE_V86 && (cpu->s.cr4 & CR4_VME))) &&
               !(cpu->s.rflags & FL_VIP)) {
        cpu->s.rflags |= FL_VIF;
    } else {
        except_gp(cpu, 0);
    }
}

void op_pushf(struct cpu *cpu, const struct insn *i)
{
    uint32_t fl = flags_get(cpu);
    if (cpu->s.mode == MODE_V86 && iopl_of(cpu) < 3) {
        if (!(cpu->s.cr4 & CR4_VME) || i->opsize != 2)
            except_gp(cpu, 0);
        fl = (fl & ~FL_IF) | ((fl & FL_VIF) ? FL_IF : 0) | FL_IOPL;
    }
    fl &= ~(FL_VM | FL_RF);
    cpu_push(cpu, i->opsize, fl);       /* 8 bytes in 64-bit mode: RFLAGS */
}

void op_popf(struct cpu *cpu, const struct insn *i)
{
    uint32_t v = cpu_stack_peek(cpu, 0, i->opsize);
    uint32_t old = flags_get(cpu);
    unsigned iopl = iopl_of(cpu);
    uint32_t mask, nf;

    if (cpu->s.mode == MODE_V86 && iopl < 3) {
        if (!(cpu->s.cr4 & CR4_VME) || i->opsize != 2)
            except_gp(cpu, 0);
        /* VME, 16-bit: IF goes to VIF; a TF set, or IF set while VIP is
         * pending, faults. */
        if ((v & FL_TF) || ((v & FL_IF) && (old & FL_VIP)))
            except_gp(cpu, 0);
        mask = 0xffffu & ~(FL_IF | FL_IOPL);
        nf = (old & ~mask) | (v & mask);
        nf = (nf & ~FL_VIF) | ((v & FL_IF) ? FL_VIF : 0);
    } else {
        mask = FL_ARITH | FL_TF | FL_DF | FL_NT | FL_AC | FL_ID;
        if (cpu->s.mode == MODE_V86) {
            mask |= FL_IF;                      /* IOPL = 3 */
        } else if (cpu->s.mode == MODE_REAL || cpu->s.cpl == 0) {
            mask |= FL_IF | FL_IOPL;
        } else if (cpu->s.cpl <= iopl) {
            mask |= FL_IF;
        }
        if (i->opsize == 2)
            mask &= 0xffff;
        nf = (old & ~mask) | (v & mask);
        if (i->opsize != 2)
            nf &= ~FL_RF;
    }
    flags_set(cpu, nf);
    cpu_set_sp(cpu, cpu_get_sp(cpu) + i->opsize);
}

/* ---- HLT ---- */

void op_hlt(struct cpu *cpu, const struct insn *i)
{
    need_cpl0(cpu);
    cpu->halted = 1;
}
