/* Interrupt and exception delivery in IA-32e mode (EFER.LMA = 1): SDM vol.
 * 3A 6.14, AMD APM vol. 2 8.9.
 *
 * The IDT holds 16-byte gates (vector * 16; beyond the limit, #GP with the
 * IDT error code vector * 8 + 2); only 64-bit interrupt (0xE) and trap
 * (0xF) gates are valid, anything else, task gates included, is #GP with
 * that code. INT n/INT3/INTO check the gate DPL against CPL; a gate
 * without P is #NP. The target CS must be a present 64-bit code segment
 * (L=1, D=0) with DPL <= CPL (#GP/#NP with its selector); the 64-bit
 * offset must be canonical (#GP(0)).
 *
 * Stack: a non-zero IST field takes RSP from the 64-bit TSS's IST entry
 * even without a privilege change; otherwise a transfer to an inner level
 * (non-conforming, DPL < CPL) takes RSPn of the TSS and loads a null SS
 * with RPL n; otherwise the current RSP. The TSS entry must lie inside TR's
 * limit (#TS(TR)). RSP is then aligned down to 16 and SS, RSP, RFLAGS, CS,
 * RIP and the error code are pushed as 8-byte values, always (also from
 * compatibility mode and without a privilege change); a non-canonical
 * stack address is #SS(0). TF, NT, RF, VM are cleared and, for an
 * interrupt gate, IF.
 */
#include "cpu/except.h"

#include "cpu/flags.h"
#include "cpu/longmode.h"
#include "cpu/mmu.h"
#include "cpu/pmode.h"

#define DT_INTGATE64 0xe
#define DT_TRAPGATE64 0xf

/* A system-structure (IDT, TSS) or new-stack address: all 64 bits are
 * used in IA-32e mode, compatibility mode included; a non-canonical one
 * is #GP(0). */
static uint64_t sys_lin(struct cpu *cpu, uint64_t lin)
{
    if (!is_canonical(lin))
        except_gp(cpu, 0);
    return lin;
}

/* RSP for privilege level n (0-2) or IST entry n (1-7) of the 64-bit TSS:
 * RSPn at 4 + 8n, ISTn at 0x24 + 8(n - 1). */
uint64_t tss64_stack(struct cpu *cpu, unsigned off)
{
    const struct seg *tr = &cpu->s.seg[SEG_TR];
    if (off + 7 > tr->limit)
        except_ts(cpu, tr->sel & 0xfffc);
    return lin_rd64(cpu, sys_lin(cpu, tr->base + off), 0);
}

void deliver_long(struct cpu *cpu, unsigned vec, uint32_t code, bool has_code,
                  uint64_t ret_rip, bool soft, bool set_rf)
{
    uint32_t idt_code = vec * 8 + 2;
    if (vec * 16 + 15 > cpu->s.idtr.limit)
        except_gp(cpu, idt_code);
    uint64_t gaddr = sys_lin(cpu, cpu->s.idtr.base + vec * 16);
    uint64_t lo = lin_rd64(cpu, gaddr, 0), hi = lin_rd64(cpu, gaddr + 8, 0);
    struct desc g = { (uint32_t)lo, (uint32_t)(lo >> 32) };
    uint16_t ga = desc_attr(g);
    unsigned type = attr_sys_type(ga);
    if (type != DT_INTGATE64 && type != DT_TRAPGATE64)
        except_gp(cpu, idt_code);
    if (soft && SEGA_DPL(ga) < cpu->s.cpl)
        except_gp(cpu, idt_code);
    if (!(ga & SEGA_P))
        except_np(cpu, idt_code);

    uint16_t csel = gate_sel(g);
    uint64_t target = gate_off(g) | (uint64_t)(uint32_t)hi << 32;
    unsigned ist = g.hi & 7;
    struct desc cd;
    if ((csel & ~3u) == 0)
        except_gp(cpu, 0);
    if (!desc_fetch(cpu, csel, &cd))
        except_gp(cpu, csel & 0xfffc);
    uint16_t ca = desc_attr(cd);
    unsigned dpl = SEGA_DPL(ca);
    if (!attr_is_code(ca) || !(ca & SEGA_L) || (ca & SEGA_DB) || dpl > cpu->s.cpl)
        except_gp(cpu, csel & 0xfffc);
    if (!(ca & SEGA_P))
        except_np(cpu, csel & 0xfffc);
    if (!is_canonical(target))
        except_gp(cpu, 0);

    bool inner = !attr_conforming(ca) && dpl < cpu->s.cpl;
    unsigned new_cpl = inner ? dpl : cpu->s.cpl;
    uint64_t rsp = cpu->s.gpr[R_ESP];
    if (ist)
        rsp = tss64_stack(cpu, 0x24 + 8 * (ist - 1));
    else if (inner)
        rsp = tss64_stack(cpu, 4 + 8 * dpl);
    rsp &= ~(uint64_t)15;

    uint64_t fl = flags_get(cpu);
    if (set_rf)
        fl |= FL_RF;
    uint64_t frame[6] = {
        cpu->s.seg[SEG_SS].sel, cpu->s.gpr[R_ESP], fl, cpu->s.seg[SEG_CS].sel, ret_rip, code
    };
    unsigned n = has_code ? 6 : 5;
    uint64_t top = rsp - 8 * n;
    if (!is_canonical(rsp - 1) || !is_canonical(top))
        except_ss(cpu, 0);
    for (unsigned k = 0; k < n; k++)
        lin_wr64(cpu, rsp - 8 * (k + 1), frame[k], new_cpl == 3);

    /* Commit. */
    uint32_t nfl = (uint32_t)fl & ~(FL_TF | FL_NT | FL_RF | FL_VM);
    if (type == DT_INTGATE64)
        nfl &= ~FL_IF;
    pm_set_eflags(cpu, nfl);
    if (inner)
        seg_load_null(cpu, SEG_SS, (uint16_t)new_cpl);
    desc_set_accessed(cpu, csel, &cd);
    seg_load_cs_desc(cpu, csel, cd, new_cpl);
    cpu->s.gpr[R_ESP] = top;
    cpu->s.rip = target;
    cpu->next_rip = target;
}
