/* Hardware task switches (Intel SDM vol. 3 ch. 7: 7.2 TSS layouts, 7.3 the
 * switch steps, table 7-1 the checks after the commit point, 7.4 nesting
 * with NT and the back link, 7.6 16-bit TSSs).
 *
 * Order: new TSS limit; read the whole new TSS; save the old task (EIP is
 * cpu->next_rip, which callers set to the return point); busy bits and back
 * link by reason; load TR (commit point), CR3 when paging is on, EFLAGS,
 * registers, LDTR and the segment registers with table 7-1's #TS/#NP/#SS
 * checks. Faults after the commit point are taken in the new task: the
 * instruction-start EIP/ESP (cpu->s.rip, insn_rsp) are moved to the new task
 * and except.c is told so a delivery in progress does not roll back.
 * Left out: I/O-bitmap and interrupt redirection fields are read by io.c
 * and system.c, not here; a 32-bit TSS's PDPTE reload under PAE is done
 * through paging_load_pdptes. */
#include "cpu/except.h"
#include "cpu/flags.h"
#include "cpu/mmu.h"
#include "cpu/paging.h"
#include "cpu/pmode.h"
#include "cpu/seg.h"
#include "util/log.h"

struct tss_img {
    uint32_t cr3, eip, eflags;
    uint32_t r[8];
    uint16_t sreg[SEG_COUNT];
    uint16_t ldt;
    uint8_t trap;
};

/* TSS slots of ES CS SS DS FS GS, in segment register order. */
static const uint8_t tss32_seg_off[SEG_COUNT] = { 0x48, 0x4c, 0x50, 0x54, 0x58, 0x5c };
static const uint8_t tss16_seg_off[SEG_COUNT] = { 0x22, 0x24, 0x26, 0x28, 0, 0 };

static void tss_read(struct cpu *cpu, uint32_t base, bool t32, struct tss_img *n)
{
    if (t32) {
        n->cr3 = lin_rd32(cpu, base + 0x1c, 0);
        n->eip = lin_rd32(cpu, base + 0x20, 0);
        n->eflags = lin_rd32(cpu, base + 0x24, 0);
        for (int k = 0; k < 8; k++)
            n->r[k] = lin_rd32(cpu, base + 0x28 + 4 * k, 0);
        for (int s = 0; s < SEG_COUNT; s++)
            n->sreg[s] = lin_rd16(cpu, base + tss32_seg_off[s], 0);
        n->ldt = lin_rd16(cpu, base + 0x60, 0);
        n->trap = lin_rd8(cpu, base + 0x64, 0) & 1;
    } else {
        n->cr3 = 0;
        n->eip = lin_rd16(cpu, base + 0x0e, 0);
        n->eflags = lin_rd16(cpu, base + 0x10, 0);
        for (int k = 0; k < 8; k++)
            n->r[k] = lin_rd16(cpu, base + 0x12 + 2 * k, 0);
        for (int s = 0; s < SEG_COUNT; s++)
            n->sreg[s] = tss16_seg_off[s] ? lin_rd16(cpu, base + tss16_seg_off[s], 0) : 0;
        n->ldt = lin_rd16(cpu, base + 0x2a, 0);
        n->trap = 0;
    }
}

static void tss_save(struct cpu *cpu, uint32_t base, bool t32, uint32_t eip, uint32_t fl)
{
    if (t32) {
        lin_wr32(cpu, base + 0x20, eip, 0);
        lin_wr32(cpu, base + 0x24, fl, 0);
        for (int k = 0; k < 8; k++)
            lin_wr32(cpu, base + 0x28 + 4 * k, (uint32_t)cpu->s.gpr[k], 0);
        for (int s = 0; s < SEG_COUNT; s++)
            lin_wr16(cpu, base + tss32_seg_off[s], cpu->s.seg[s].sel, 0);
    } else {
        lin_wr16(cpu, base + 0x0e, (uint16_t)eip, 0);
        lin_wr16(cpu, base + 0x10, (uint16_t)fl, 0);
        for (int k = 0; k < 8; k++)
            lin_wr16(cpu, base + 0x12 + 2 * k, (uint16_t)cpu->s.gpr[k], 0);
        for (int s = 0; s < 4; s++)
            lin_wr16(cpu, base + tss16_seg_off[s], cpu->s.seg[s].sel, 0);
    }
}

/* Set or clear the busy bit (type bit 1) of the TSS descriptor `sel`. */
static void tss_set_busy(struct cpu *cpu, uint16_t sel, bool busy)
{
    uint32_t lin = (uint32_t)cpu->s.gdtr.base + (sel & ~7u) + 5;
    uint8_t b = lin_rd8(cpu, lin, 0);
    b = busy ? (uint8_t)(b | 2) : (uint8_t)(b & ~2);
    lin_wr8(cpu, lin, b, 0);
}

/* ---- segment loads of the new task (table 7-1) ---- */

static void load_task_ldt(struct cpu *cpu, uint16_t sel)
{
    struct desc d;
    if ((sel & ~3u) == 0) {
        seg_load_null(cpu, SEG_LDTR, sel);
        return;
    }
    if ((sel & 4) || (sel & ~7u) + 7 > cpu->s.gdtr.limit)
        except_ts(cpu, sel & 0xfffc);
    d.lo = lin_rd32(cpu, (uint32_t)cpu->s.gdtr.base + (sel & ~7u), 0);
    d.hi = lin_rd32(cpu, (uint32_t)cpu->s.gdtr.base + (sel & ~7u) + 4, 0);
    uint16_t a = desc_attr(d);
    if (attr_sys_type(a) != DT_LDT || !(a & SEGA_P))
        except_ts(cpu, sel & 0xfffc);
    seg_load_desc(cpu, SEG_LDTR, sel, d);
}

static void load_task_cs(struct cpu *cpu, uint16_t sel)
{
    struct desc d;
    if ((sel & ~3u) == 0 || !desc_fetch(cpu, sel, &d))
        except_ts(cpu, sel & 0xfffc);
    uint16_t a = desc_attr(d);
    unsigned rpl = sel & 3u;
    if (!attr_is_code(a) || (attr_conforming(a) ? SEGA_DPL(a) > rpl : SEGA_DPL(a) != rpl))
        except_ts(cpu, sel & 0xfffc);
    if (!(a & SEGA_P))
        except_np(cpu, sel & 0xfffc);
    desc_set_accessed(cpu, sel, &d);
    seg_load_desc(cpu, SEG_CS, sel, d);
}

static void load_task_ss(struct cpu *cpu, uint16_t sel)
{
    struct desc d;
    if ((sel & ~3u) == 0 || !desc_fetch(cpu, sel, &d))
        except_ts(cpu, sel & 0xfffc);
    uint16_t a = desc_attr(d);
    if (!attr_writable_data(a) || SEGA_DPL(a) != cpu->s.cpl || (sel & 3u) != cpu->s.cpl)
        except_ts(cpu, sel & 0xfffc);
    if (!(a & SEGA_P))
        except_ss(cpu, sel & 0xfffc);
    desc_set_accessed(cpu, sel, &d);
    seg_load_desc(cpu, SEG_SS, sel, d);
}

static void load_task_data(struct cpu *cpu, int seg, uint16_t sel)
{
    struct desc d;
    if ((sel & ~3u) == 0) {
        seg_load_null(cpu, seg, sel);
        return;
    }
    if (!desc_fetch(cpu, sel, &d))
        except_ts(cpu, sel & 0xfffc);
    uint16_t a = desc_attr(d);
    if (!(a & SEGA_S) || !attr_readable(a))
        except_ts(cpu, sel & 0xfffc);
    if (!attr_conforming(a) && (SEGA_DPL(a) < cpu->s.cpl || SEGA_DPL(a) < (sel & 3u)))
        except_ts(cpu, sel & 0xfffc);
    if (!(a & SEGA_P))
        except_np(cpu, sel & 0xfffc);
    desc_set_accessed(cpu, sel, &d);
    seg_load_desc(cpu, seg, sel, d);
}

/* ---- the switch ---- */

void task_switch(struct cpu *cpu, uint16_t sel, struct desc d, int reason,
                 bool push_code, uint32_t code)
{
    uint16_t na = desc_attr(d);
    bool n32 = (na & 8) != 0;
    uint32_t nbase = desc_base(d), nlimit = desc_limit(d);
    struct seg *tr = &cpu->s.seg[SEG_TR];
    bool o32 = tss_is32(cpu);
    uint32_t obase = (uint32_t)tr->base;
    uint16_t osel = tr->sel;

    if (nlimit < (n32 ? 0x67u : 0x2bu))
        except_ts(cpu, sel & 0xfffc);
    if ((osel & ~3u) == 0 || tr->limit < (o32 ? 0x5fu : 0x29u))
        except_ts(cpu, osel & 0xfffc);

    struct tss_img n;
    tss_read(cpu, nbase, n32, &n);
    /* Make sure the old TSS save area and the descriptors can be written
     * before the first write (paging faults come before the commit). */
    mmu_translate(cpu, obase + (o32 ? 0x20 : 0x0e), ACC_WRITE, 0);
    mmu_translate(cpu, obase + (o32 ? 0x5f : 0x29), ACC_WRITE, 0);

    uint32_t fl = flags_get(cpu);
    if (reason == TS_IRET)
        fl &= ~FL_NT;
    tss_save(cpu, obase, o32, cpu->next_rip, fl);
    if (reason == TS_JMP || reason == TS_IRET)
        tss_set_busy(cpu, osel, false);
    if (reason == TS_CALL || reason == TS_INT) {
        lin_wr16(cpu, nbase, osel, 0);
        n.eflags |= FL_NT;
    }
    if (reason != TS_IRET)
        tss_set_busy(cpu, sel, true);

    /* ---- commit point: from here on faults belong to the new task ---- */
    LOG(LOG_MODE, "task switch %04x -> %04x (%s)", osel, sel,
        reason == TS_JMP ? "jmp" : reason == TS_CALL ? "call" : reason == TS_IRET ? "iret" : "int");
    seg_load_cache(cpu, SEG_TR, sel, nbase, nlimit, (uint16_t)(na | 2));
    cpu->s.cr0 |= CR0_TS;
    if (n32 && (cpu->s.cr0 & CR0_PG)) {
        cpu->s.cr3 = n.cr3;
        if (cpu->s.cr4 & CR4_PAE)
            (void)paging_load_pdptes(cpu, n.cr3);
        tlb_flush_nonglobal(cpu);
    }
    if (!n32)
        n.eflags = (n.eflags & 0xffff) | (flags_get(cpu) & 0xffff0000u & ~(FL_VM | FL_RF));
    pm_set_eflags(cpu, n.eflags | 2);
    for (int k = 0; k < 8; k++) {
        if (n32)
            set_reg32(cpu, k, n.r[k]);
        else    /* SDM 7.6: upper halves "modified"; the 386 (and test386,
                 * Bochs) sets them to all ones, as here. */
            set_reg32(cpu, k, 0xffff0000u | (uint16_t)n.r[k]);
    }
    cpu->next_rip = n.eip;
    cpu->s.rip = n.eip;
    cpu->insn_rsp = cpu->s.gpr[R_ESP];
    /* Selectors first, with unusable caches, so a fault below leaves the
     * new task's selectors visible to its handler. */
    for (int s = 0; s < SEG_COUNT; s++)
        cpu->s.seg[s].sel = n.sreg[s];
    cpu->s.seg[SEG_LDTR].sel = n.ldt;
    except_task_committed(cpu);

    load_task_ldt(cpu, n.ldt);
    if (n.eflags & FL_VM) {
        for (int s = 0; s < SEG_COUNT; s++)
            seg_load_v86(cpu, s, n.sreg[s]);
        pm_set_cpl(cpu, 3);
    } else {
        pm_set_cpl(cpu, n.sreg[SEG_CS] & 3u);
        load_task_cs(cpu, n.sreg[SEG_CS]);
        load_task_ss(cpu, n.sreg[SEG_SS]);
        load_task_data(cpu, SEG_DS, n.sreg[SEG_DS]);
        load_task_data(cpu, SEG_ES, n.sreg[SEG_ES]);
        load_task_data(cpu, SEG_FS, n.sreg[SEG_FS]);
        load_task_data(cpu, SEG_GS, n.sreg[SEG_GS]);
        pm_set_cpl(cpu, n.sreg[SEG_CS] & 3u);
    }
    if (n.trap) {
        cpu->pending_db = 1;
        cpu->db_status |= 0x8000;   /* DR6.BT */
    }
    if (push_code) {
        if (n32)
            cpu_push32(cpu, code);
        else
            cpu_push16(cpu, (uint16_t)code);
        cpu->insn_rsp = cpu->s.gpr[R_ESP];
    }
    if (n.eip > cpu->s.seg[SEG_CS].limit)
        except_gp(cpu, 0);
}
