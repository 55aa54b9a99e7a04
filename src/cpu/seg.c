/* Segmentation: descriptor fetch, segment register loads with the checks of
 * Intel SDM vol. 3 ch. 5 (5.4-5.6 privilege checks, 5.10 data and stack
 * segment loads) in real, V86 and protected mode, plus the small helpers the
 * far transfers, task switches and interrupt delivery share (pmode.h).
 *
 * Hidden descriptor caches are kept as hardware keeps them: a real-mode load
 * changes only selector and base (plus presence/type of data segments), so
 * limits loaded in protected mode survive ("unreal mode"). A null selector in
 * DS/ES/FS/GS leaves an unusable cache (attr 0, P clear); the memory layer
 * raises #GP(0) on a use of it.
 * Left out: long mode (L bit), call gates in the LDT of 64-bit mode. */
#include <string.h>

#include "cpu/pmode.h"
#include "cpu/except.h"
#include "cpu/flags.h"
#include "cpu/longmode.h"
#include "cpu/mmu.h"
#include "cpu/seg.h"
#include "util/log.h"

/* ---- descriptors ---- */

/* A descriptor-table address: IA-32e mode uses all 64 bits of the GDT and
 * LDT bases (compatibility mode too), legacy modes wrap at 4 GiB. */
static uint64_t table_addr(const struct cpu *cpu, uint64_t base, uint32_t off)
{
    uint64_t a = base + off;
    return (cpu->s.efer & EFER_LMA) ? a : (uint32_t)a;
}

/* Base and limit of the table `sel` indexes; false for an LDT reference
 * with a null or unusable LDTR (it fails like an index beyond the limit). */
static bool table_of(const struct cpu *cpu, uint16_t sel, uint64_t *base, uint32_t *limit)
{
    if (sel & 4) {
        if ((cpu->s.seg[SEG_LDTR].sel & ~3u) == 0 || !(cpu->s.seg[SEG_LDTR].attr & SEGA_P))
            return false;
        *base = cpu->s.seg[SEG_LDTR].base;
        *limit = cpu->s.seg[SEG_LDTR].limit;
    } else {
        *base = cpu->s.gdtr.base;
        *limit = cpu->s.gdtr.limit;
    }
    return true;
}

bool desc_fetch(struct cpu *cpu, uint16_t sel, struct desc *d)
{
    uint64_t base;
    uint32_t limit;
    uint32_t index = sel & ~7u;
    if (!table_of(cpu, sel, &base, &limit) || index + 7 > limit)
        return false;
    d->lo = lin_rd32(cpu, table_addr(cpu, base, index), 0);
    d->hi = lin_rd32(cpu, table_addr(cpu, base, index + 4), 0);
    return true;
}

bool desc_fetch_upper(struct cpu *cpu, uint16_t sel, uint64_t *upper)
{
    uint64_t base;
    uint32_t limit;
    uint32_t index = sel & ~7u;
    if (!table_of(cpu, sel, &base, &limit) || index + 15 > limit)
        return false;
    *upper = lin_rd64(cpu, table_addr(cpu, base, index + 8), 0);
    return true;
}

static uint64_t desc_addr(struct cpu *cpu, uint16_t sel)
{
    uint64_t base = (sel & 4) ? cpu->s.seg[SEG_LDTR].base : cpu->s.gdtr.base;
    return table_addr(cpu, base, sel & ~7u);
}

void desc_set_accessed(struct cpu *cpu, uint16_t sel, struct desc *d)
{
    if (d->hi & 0x100)
        return;
    d->hi |= 0x100;
    lin_wr8(cpu, desc_addr(cpu, sel) + 5, (uint8_t)(d->hi >> 8), 0);
}

/* ---- cache loads without checks ---- */

void seg_load_cache(struct cpu *cpu, int seg, uint16_t sel, uint64_t base,
                    uint32_t limit, uint16_t attr)
{
    struct seg *s = &cpu->s.seg[seg];
    s->sel = sel;
    s->base = base;
    s->limit = limit;
    s->attr = attr;
    if (cpu->s.efer & EFER_LMA) {
        /* IA-32e mode: CS.L/D choose 64-bit or compatibility mode, and
         * 64-bit mode keeps a 64-bit stack whatever SS holds. */
        if (seg == SEG_CS || seg == SEG_SS)
            cpu_update_mode(cpu);
        return;
    }
    if (seg == SEG_CS) {
        cpu->s.code_size = (attr & SEGA_DB) ? 4 : 2;
        if (mode_is_prot(cpu->s.mode))
            cpu->s.mode = (attr & SEGA_DB) ? MODE_PROT32 : MODE_PROT16;
        cpu->fetch_page = NULL;     /* leave the straight-line fast path */
    } else if (seg == SEG_SS)
        cpu->s.stack_size = (attr & SEGA_DB) ? 4 : 2;
}

void seg_load_desc(struct cpu *cpu, int seg, uint16_t sel, struct desc d)
{
    seg_load_cache(cpu, seg, sel, desc_base(d), desc_limit(d), desc_attr(d));
}

void seg_load_null(struct cpu *cpu, int seg, uint16_t sel)
{
    seg_load_cache(cpu, seg, sel, 0, 0, 0);
}

void seg_load_real(struct cpu *cpu, int seg, uint16_t sel)
{
    struct seg *s = &cpu->s.seg[seg];
    uint16_t attr = s->attr;
    /* A data segment register loaded in real mode is usable read/write at
     * DPL 0 whatever it held before; limit, B and G stay (unreal mode). CS
     * keeps everything but selector and base. */
    if (seg != SEG_CS)
        attr = (uint16_t)((attr & (SEGA_DB | SEGA_G | SEGA_AVL)) | SEGA_P | SEGA_S | 3);
    seg_load_cache(cpu, seg, sel, (uint32_t)sel << 4, s->limit, attr);
}

void seg_load_v86(struct cpu *cpu, int seg, uint16_t sel)
{
    uint16_t attr = SEGA_P | SEGA_S | (3 << 5) | (seg == SEG_CS ? 0xb : 3);
    seg_load_cache(cpu, seg, sel, (uint32_t)sel << 4, 0xffff, attr);
}

void pm_set_cpl(struct cpu *cpu, unsigned cpl)
{
    cpu_update_mode(cpu);
    cpu->s.cpl = (uint8_t)cpl;
    cpu_note_cpl(cpu);
}

void seg_load_cs_desc(struct cpu *cpu, uint16_t sel, struct desc d, unsigned cpl)
{
    seg_load_desc(cpu, SEG_CS, (uint16_t)((sel & ~3u) | cpl), d);
    pm_set_cpl(cpu, cpl);
}

void pm_set_eflags(struct cpu *cpu, uint32_t v)
{
    flags_set(cpu, v);
    cpu_update_mode(cpu);
}

/* ---- limit checks ---- */

bool seg_range_ok(uint16_t attr, uint32_t limit, uint32_t off, unsigned size)
{
    uint32_t last = off + size - 1;
    if (attr_expand_down(attr)) {
        uint32_t top = (attr & SEGA_DB) ? 0xffffffffu : 0xffffu;
        return off > limit && last >= off && last <= top;
    }
    return last >= off && last <= limit;
}

/* ---- segment register loads (MOV, POP, LDS..., and the far transfers'
 * data segment part) ---- */

static void load_pm_ss(struct cpu *cpu, uint16_t sel)
{
    struct desc d;
    unsigned cpl = cpu->s.cpl;
    if ((sel & ~3u) == 0) {
        /* 64-bit mode accepts a null SS below CPL 3 with RPL = CPL (SDM
         * vol. 2B MOV, vol. 3A 5.4.1.1; APM vol. 2 4.5.3). */
        if (cpu->s.mode == MODE_LONG64 && cpl < 3 && (sel & 3) == cpl) {
            seg_load_null(cpu, SEG_SS, sel);
            return;
        }
        except_gp(cpu, 0);
    }
    if (!desc_fetch(cpu, sel, &d))
        except_gp(cpu, sel & 0xfffc);
    uint16_t a = desc_attr(d);
    if ((sel & 3) != cpl || !attr_writable_data(a) || SEGA_DPL(a) != cpl)
        except_gp(cpu, sel & 0xfffc);
    if (!(a & SEGA_P))
        except_ss(cpu, sel & 0xfffc);
    desc_set_accessed(cpu, sel, &d);
    seg_load_desc(cpu, SEG_SS, sel, d);
}

static void load_pm_data(struct cpu *cpu, int seg, uint16_t sel)
{
    struct desc d;
    if ((sel & ~3u) == 0) {
        seg_load_null(cpu, seg, sel);
        return;
    }
    if (!desc_fetch(cpu, sel, &d))
        except_gp(cpu, sel & 0xfffc);
    uint16_t a = desc_attr(d);
    if (!attr_readable(a) || !(a & SEGA_S))
        except_gp(cpu, sel & 0xfffc);
    /* Data and non-conforming code: DPL must be >= both CPL and RPL. */
    if (!attr_conforming(a)) {
        unsigned dpl = SEGA_DPL(a);
        if ((sel & 3u) > dpl || cpu->s.cpl > dpl)
            except_gp(cpu, sel & 0xfffc);
    }
    if (!(a & SEGA_P))
        except_np(cpu, sel & 0xfffc);
    desc_set_accessed(cpu, sel, &d);
    seg_load_desc(cpu, seg, sel, d);
}

void seg_load(struct cpu *cpu, int seg, uint16_t sel)
{
    if (seg < 0 || seg >= SEG_COUNT)
        except_ud(cpu);
    if (cpu->s.mode == MODE_REAL) {
        seg_load_real(cpu, seg, sel);
        return;
    }
    if (cpu->s.mode == MODE_V86) {
        seg_load_v86(cpu, seg, sel);
        return;
    }
    if (seg == SEG_SS)
        load_pm_ss(cpu, sel);
    else if (seg == SEG_CS)
        except_ud(cpu);     /* CS changes only through far transfers */
    else
        load_pm_data(cpu, seg, sel);
}

/* The RET/IRET pseudocode (SDM vol. 2) sets only the selector to null and
 * marks the register invalid: the hidden base and limit stay. That is
 * visible in 64-bit mode, where FS and GS addresses still add their base
 * whatever the selector: a kernel whose GS holds a DPL-0 selector and
 * whose GS base (MSR) points at per-CPU data keeps that base through an
 * IRETQ to ring 3 and back (kvm-unit-tests x86_64 relies on it). The
 * cleared attributes make any use outside 64-bit mode #GP, as for null. */
void seg_null_outer(struct cpu *cpu)
{
    static const int segs[4] = { SEG_ES, SEG_DS, SEG_FS, SEG_GS };
    for (int k = 0; k < 4; k++) {
        struct seg *s = &cpu->s.seg[segs[k]];
        uint16_t a = s->attr;
        if (!(a & SEGA_P) || !(a & SEGA_S))
            continue;
        if ((attr_is_data(a) || !attr_conforming(a)) && SEGA_DPL(a) < cpu->s.cpl)
            seg_load_cache(cpu, segs[k], 0, s->base, s->limit, 0);
    }
}

struct desc seg_check_new_ss(struct cpu *cpu, uint16_t ss, unsigned dpl, unsigned vec)
{
    struct desc d;
    if ((ss & ~3u) == 0)
        except_raise(cpu, vec, 0);
    if (!desc_fetch(cpu, ss, &d))
        except_raise(cpu, vec, ss & 0xfffc);
    uint16_t a = desc_attr(d);
    if ((ss & 3u) != dpl || SEGA_DPL(a) != dpl || !attr_writable_data(a))
        except_raise(cpu, vec, ss & 0xfffc);
    if (!(a & SEGA_P))
        except_ss(cpu, ss & 0xfffc);
    return d;
}

/* ---- stacks being built ---- */

void stk_from_seg(struct cpu *cpu, struct stk *s, const struct seg *sg, uint32_t esp,
                  unsigned fvec, uint32_t fcode, int user)
{
    (void)cpu;
    s->base = (uint32_t)sg->base;
    s->limit = sg->limit;
    s->attr = sg->attr;
    s->big = (sg->attr & SEGA_DB) != 0;
    s->esp = s->big ? esp : (esp & 0xffff);
    s->fvec = fvec;
    s->fcode = fcode;
    s->user = user;
}

void stk_reserve(struct cpu *cpu, struct stk *s, unsigned bytes)
{
    if (bytes == 0)
        return;
    uint32_t mask = s->big ? 0xffffffffu : 0xffffu;
    uint32_t lo = (s->esp - bytes) & mask;
    /* A 16-bit stack pointer that wraps is checked push by push. */
    if (!s->big && lo > s->esp)
        return;
    if (!seg_range_ok(s->attr, s->limit, lo, bytes))
        except_raise(cpu, s->fvec, s->fcode);
}

void stk_push(struct cpu *cpu, struct stk *s, uint32_t v, unsigned size)
{
    uint32_t mask = s->big ? 0xffffffffu : 0xffffu;
    uint32_t sp = (s->esp - size) & mask;
    if (!seg_range_ok(s->attr, s->limit, sp, size))
        except_raise(cpu, s->fvec, s->fcode);
    uint32_t lin = s->base + sp;
    if (size == 4)
        lin_wr32(cpu, lin, v, s->user);
    else
        lin_wr16(cpu, lin, (uint16_t)v, s->user);
    s->esp = (s->esp & ~mask) | sp;
}

/* ---- TSS ring stacks ---- */

void tss_ring_stack(struct cpu *cpu, unsigned dpl, uint16_t *ss, uint32_t *esp)
{
    const struct seg *tr = &cpu->s.seg[SEG_TR];
    uint32_t base = (uint32_t)tr->base;
    if (tss_is32(cpu)) {
        uint32_t off = 4 + 8 * dpl;
        if (off + 7 > tr->limit)
            except_ts(cpu, tr->sel & 0xfffc);
        *esp = lin_rd32(cpu, base + off, 0);
        *ss = lin_rd16(cpu, base + off + 4, 0);
    } else {
        uint32_t off = 2 + 4 * dpl;
        if (off + 3 > tr->limit)
            except_ts(cpu, tr->sel & 0xfffc);
        *esp = lin_rd16(cpu, base + off, 0);
        *ss = lin_rd16(cpu, base + off + 2, 0);
    }
}

/* ---- snapshots ---- */

void snap_save(const struct cpu *cpu, struct cpu_snap *s)
{
    memcpy(s->gpr, cpu->s.gpr, sizeof s->gpr);
    s->rip = cpu->s.rip;
    s->eflags = cpu->s.rflags;
    s->lf = cpu->s.lf;
    memcpy(s->seg, cpu->s.seg, sizeof s->seg);
    s->cpl = cpu->s.cpl;
    s->code_size = cpu->s.code_size;
    s->stack_size = cpu->s.stack_size;
    s->mode = cpu->s.mode;
    s->cr0 = cpu->s.cr0;
    s->next_rip = cpu->next_rip;
}

void snap_restore(struct cpu *cpu, const struct cpu_snap *s)
{
    memcpy(cpu->s.gpr, s->gpr, sizeof s->gpr);
    cpu->s.rip = s->rip;
    cpu->s.rflags = s->eflags;
    cpu->s.lf = s->lf;
    memcpy(cpu->s.seg, s->seg, sizeof s->seg);
    cpu->s.cpl = s->cpl;
    cpu->s.code_size = s->code_size;
    cpu->s.stack_size = s->stack_size;
    cpu->s.mode = s->mode;
    cpu->s.cr0 = s->cr0;
    cpu->next_rip = s->next_rip;
}
