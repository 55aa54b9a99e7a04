/* Far control transfers in IA-32e mode (EFER.LMA = 1), from 64-bit and
 * compatibility mode: JMP/CALL far through code segments and 64-bit call
 * gates, RETF, IRET. Intel SDM vol. 2 JMP, CALL, RET, IRET (their IA-32e
 * paths); vol. 3A 5.8.3.1 (IA-32e mode call gates), 5.8.5-5.8.6 (stack
 * switch and returns), 6.14.3 (IRET); AMD APM vol. 2 4.8.5, 8.9.7.
 *
 * - A far JMP/CALL may name a code segment or a 64-bit call gate (type
 *   0xC); anything else, task gates and TSSs included, is #GP(sel).
 * - The offset has the operand size: m16:16, m16:32, or m16:64 with REX.W
 *   (Intel; AMD ignores REX.W there). A 64-bit target (L=1, D=0) needs a
 *   canonical RIP, a compatibility-mode one an RIP within CS's limit:
 *   #GP(0) otherwise.
 * - A call gate is 16 bytes: the second half must lie inside the table
 *   and have a type field (bits 12:8 of its upper dword) of 0, else
 *   #GP(gate sel); the 64-bit offset must be canonical (#GP(0)); the
 *   target must be present 64-bit code (#GP/#NP(code sel)).
 * - CALL through a gate to a more privileged non-conforming segment takes
 *   RSP from the 64-bit TSS (RSPn), loads SS with a null selector of RPL n
 *   and pushes old SS, RSP, CS, RIP as 8-byte values; no parameters are
 *   copied and RSP is not aligned (only interrupts align). Without a
 *   privilege change the gate pushes CS and RIP as 8-byte values.
 *   A CALL straight to a code segment pushes CS and RIP with the operand
 *   size.
 * - RETF pops RIP and CS with the operand size (8 with REX.W); to an outer
 *   level also RSP and SS, where a null SS is allowed only for a return to
 *   64-bit code with an SS RPL below 3.
 *
 * Every check that can fault runs before state changes; the pushes are
 * written before RSP, SS and CS change.
 */
#include "cpu/except.h"
#include "cpu/flags.h"
#include "cpu/longmode.h"
#include "cpu/mmu.h"
#include "cpu/pmode.h"
#include "cpu/seg.h"
#include "util/log.h"

/* In IA-32e mode type 0xC is the 64-bit call gate (SDM vol. 3A table 3-2). */
#define DT_CALLGATE64 DT_CALLGATE32

static bool is_code64(uint16_t a)
{
    return (a & SEGA_L) && !(a & SEGA_DB);
}

/* The offset as the operand size reads it. */
static uint64_t size_off(uint64_t off, unsigned opsize)
{
    return opsize == 2 ? (off & 0xffff) : opsize == 4 ? (uint32_t)off : off;
}

/* The new RIP: canonical for 64-bit code, within the limit for
 * compatibility-mode code; #GP(0) otherwise. */
static void check_target(struct cpu *cpu, struct desc cd, uint64_t rip)
{
    if (is_code64(desc_attr(cd)) ? !is_canonical(rip) : rip > desc_limit(cd))
        except_gp(cpu, 0);
}

/* ---- 64-bit call gates ---- */

struct gate64 {
    uint16_t sel;       /* target code segment */
    uint64_t off;
};

/* The call gate `sel` names (its first half in `g`): the gate DPL must be
 * >= CPL and >= RPL (#GP(sel)), the gate present (#NP(sel)), the second
 * half inside the table with type 0 (#GP(sel)). */
static struct gate64 read_gate(struct cpu *cpu, uint16_t sel, struct desc g)
{
    uint16_t a = desc_attr(g);
    if (attr_sys_type(a) != DT_CALLGATE64)
        except_gp(cpu, sel & 0xfffc);
    unsigned dpl = SEGA_DPL(a);
    if (dpl < cpu->s.cpl || dpl < (sel & 3u))
        except_gp(cpu, sel & 0xfffc);
    if (!(a & SEGA_P))
        except_np(cpu, sel & 0xfffc);
    uint64_t up;
    if (!desc_fetch_upper(cpu, sel, &up) || ((up >> 40) & 0x1f) != 0)
        except_gp(cpu, sel & 0xfffc);
    struct gate64 r = { gate_sel(g), gate_off(g) | (up & 0xffffffffu) << 32 };
    return r;
}

/* The code segment of a gate: a present 64-bit code segment whose DPL
 * JMP allows (conforming DPL <= CPL, non-conforming DPL = CPL) or CALL
 * allows (DPL <= CPL); a canonical offset. */
static struct desc gate_target(struct cpu *cpu, struct gate64 g, bool call)
{
    struct desc cd = far_desc_or_gp(cpu, g.sel);
    uint16_t a = desc_attr(cd);
    unsigned dpl = SEGA_DPL(a);
    bool dpl_bad = (call || attr_conforming(a)) ? dpl > cpu->s.cpl : dpl != cpu->s.cpl;
    if (!attr_is_code(a) || dpl_bad || !is_code64(a))
        except_gp(cpu, g.sel & 0xfffc);
    if (!(a & SEGA_P))
        except_np(cpu, g.sel & 0xfffc);
    if (!is_canonical(g.off))
        except_gp(cpu, 0);
    return cd;
}

/* ---- JMP far ---- */

void far_jmp_long(struct cpu *cpu, uint16_t sel, uint64_t off, unsigned opsize)
{
    off = size_off(off, opsize);
    struct desc d = far_desc_or_gp(cpu, sel);
    if (desc_attr(d) & SEGA_S) {
        far_check_code(cpu, sel, d, true);
        check_target(cpu, d, off);
        desc_set_accessed(cpu, sel, &d);
        seg_load_cs_desc(cpu, sel, d, cpu->s.cpl);
        cpu->next_rip = off;
        return;
    }
    struct gate64 g = read_gate(cpu, sel, d);
    struct desc cd = gate_target(cpu, g, false);
    desc_set_accessed(cpu, g.sel, &cd);
    seg_load_cs_desc(cpu, g.sel, cd, cpu->s.cpl);
    cpu->next_rip = g.off;
}

/* ---- CALL far ---- */

/* Write the return frame (`n` values of `size` bytes, first value
 * highest) below the current stack pointer: all 64 bits of RSP in 64-bit
 * mode, SS:eSP under SS's limit in compatibility mode (#SS(0)). The
 * pointer itself moves in commit_sp() once nothing can fault. */
static uint64_t push_frame(struct cpu *cpu, const uint64_t *v, unsigned n, unsigned size)
{
    unsigned ss = cpu->s.stack_size;
    uint64_t mask = ss == 8 ? ~(uint64_t)0 : ss == 4 ? 0xffffffffu : 0xffffu;
    uint64_t sp = cpu_get_sp(cpu);
    for (unsigned k = 0; k < n; k++)
        cpu_wr(cpu, SEG_SS, (sp - size * (k + 1)) & mask, v[k], size);
    return (sp - size * n) & mask;
}

void far_call_long(struct cpu *cpu, uint16_t sel, uint64_t off, unsigned opsize)
{
    off = size_off(off, opsize);
    uint64_t ret[4] = { cpu->s.seg[SEG_CS].sel, cpu->next_rip };
    struct desc d = far_desc_or_gp(cpu, sel);
    if (desc_attr(d) & SEGA_S) {
        far_check_code(cpu, sel, d, true);
        check_target(cpu, d, off);
        uint64_t sp = push_frame(cpu, ret, 2, opsize);
        desc_set_accessed(cpu, sel, &d);
        cpu_set_sp(cpu, sp);        /* under the caller's stack size */
        seg_load_cs_desc(cpu, sel, d, cpu->s.cpl);
        cpu->next_rip = off;
        return;
    }
    struct gate64 g = read_gate(cpu, sel, d);
    struct desc cd = gate_target(cpu, g, true);
    uint16_t ca = desc_attr(cd);
    unsigned dpl = SEGA_DPL(ca);
    if (!attr_conforming(ca) && dpl < cpu->s.cpl) {
        /* More privilege (SDM CALL "MORE-PRIVILEGE", 64-bit TSS). */
        uint64_t rsp = tss64_stack(cpu, 4 + 8 * dpl);
        uint64_t top = rsp - 32;
        if (!is_canonical(rsp - 1) || !is_canonical(top))
            except_ss(cpu, 0);      /* #SS(new SS), a null selector */
        uint64_t frame[4] = {
            cpu->s.seg[SEG_SS].sel, cpu->s.gpr[R_ESP], cpu->s.seg[SEG_CS].sel, cpu->next_rip
        };
        for (unsigned k = 0; k < 4; k++)
            lin_wr64(cpu, rsp - 8 * (k + 1), frame[k], 0);
        desc_set_accessed(cpu, g.sel, &cd);
        seg_load_null(cpu, SEG_SS, (uint16_t)dpl);
        seg_load_cs_desc(cpu, g.sel, cd, dpl);
        cpu->s.gpr[R_ESP] = top;
        cpu->next_rip = g.off;
        LOG(LOG_MODE, "64-bit call gate %04x -> CPL %u at %04x:%016llx", sel, dpl, g.sel,
            (unsigned long long)g.off);
        return;
    }
    uint64_t sp = push_frame(cpu, ret, 2, 8);
    desc_set_accessed(cpu, g.sel, &cd);
    cpu_set_sp(cpu, sp);
    seg_load_cs_desc(cpu, g.sel, cd, cpu->s.cpl);
    cpu->next_rip = g.off;
}

/* ---- RETF ---- */

/* One item of a RETF/IRET frame in IA-32e mode: 64-bit mode reads RSP +
 * off directly (no segment base or limit; a non-canonical address is
 * #SS(0)), compatibility mode through SS as in protected mode. */
static uint64_t lm_peek(struct cpu *cpu, unsigned off, unsigned size)
{
    if (cpu->s.mode != MODE_LONG64)
        return cpu_stack_peek(cpu, off, size);
    uint64_t off64 = cpu->s.gpr[R_ESP] + off;
    return size == 8 ? cpu_rd64(cpu, SEG_SS, off64) : cpu_rd(cpu, SEG_SS, off64, size);
}

/* RETF (SDM vol. 2 RET, "IA-32E-MODE-RETURN-SAME/OUTER-PRIVILEGE-LEVEL"). */
void far_ret_long(struct cpu *cpu, unsigned opsize, uint16_t imm)
{
    uint64_t rip = size_off(lm_peek(cpu, 0, opsize), opsize);
    uint16_t cs = (uint16_t)lm_peek(cpu, opsize, opsize);
    struct desc cd = ret_check_cs(cpu, cs);
    unsigned rpl = cs & 3u;
    if (rpl == cpu->s.cpl) {
        check_target(cpu, cd, rip);
        desc_set_accessed(cpu, cs, &cd);
        cpu_set_sp(cpu, cpu_get_sp(cpu) + 2 * opsize + imm);
        seg_load_cs_desc(cpu, cs, cd, rpl);
        cpu->next_rip = rip;
        return;
    }
    /* Outer level: RSP and SS above the frame and the released bytes. A
     * null SS is #GP(0) unless the return is to 64-bit code and its RPL
     * is below 3. */
    uint64_t nrsp = lm_peek(cpu, 2 * opsize + imm, opsize);
    uint16_t nss = (uint16_t)lm_peek(cpu, 3 * opsize + imm, opsize);
    bool null_ss = (nss & ~3u) == 0;
    struct desc sd = { 0, 0 };
    if (null_ss) {
        if (!is_code64(desc_attr(cd)) || rpl == 3 || (nss & 3u) == 3)
            except_gp(cpu, 0);
    } else {
        sd = ret_check_ss(cpu, nss, rpl);
    }
    check_target(cpu, cd, rip);
    desc_set_accessed(cpu, cs, &cd);
    seg_load_cs_desc(cpu, cs, cd, rpl);
    if (null_ss) {
        seg_load_null(cpu, SEG_SS, nss);
    } else {
        desc_set_accessed(cpu, nss, &sd);
        seg_load_desc(cpu, SEG_SS, nss, sd);
    }
    /* The new stack size (64-bit mode: 8, else SS.B) applies. */
    cpu_set_sp(cpu, (opsize == 2 ? nrsp & 0xffff : nrsp) + imm);
    seg_null_outer(cpu);
    cpu->next_rip = rip;
}

/* ---- IRET ---- */

/* IRET with EFER.LMA (SDM vol. 2A IRET, "IA-32e-MODE"; APM vol. 2 8.9.7).
 * NT set is #GP(0) (no task switches in long mode). The frame is RIP, CS,
 * RFLAGS and then RSP, SS, each of the operand size (8 with REX.W); SS:RSP
 * are always popped from 64-bit mode, and from compatibility mode only on
 * a return to an outer level. The CS checks are protected mode's; a
 * 64-bit target (CS.L) needs a canonical RIP, a compatibility-mode one a
 * RIP within CS's limit (#GP(0)). A null SS is allowed only for a return
 * to 64-bit code at CPL < 3 with SS.RPL = CS.RPL; otherwise SS is checked
 * as in protected mode. The EFLAGS rules are protected mode's; VM cannot
 * be set. */
void iret_long(struct cpu *cpu, unsigned opsize)
{
    uint32_t old = flags_get(cpu);
    if (old & FL_NT)
        except_gp(cpu, 0);
    uint64_t rip = lm_peek(cpu, 0, opsize);
    uint16_t cs = (uint16_t)lm_peek(cpu, opsize, opsize);
    uint32_t fl = (uint32_t)lm_peek(cpu, 2 * opsize, opsize);
    struct desc cd = ret_check_cs(cpu, cs);
    uint16_t ca = desc_attr(cd);
    unsigned rpl = cs & 3u;
    bool to64 = is_code64(ca);
    bool pop_stack = cpu->s.mode == MODE_LONG64 || rpl > cpu->s.cpl;
    uint64_t nrsp = 0;
    uint16_t nss = 0;
    struct desc sd = { 0, 0 };
    if (pop_stack) {
        nrsp = lm_peek(cpu, 3 * opsize, opsize);
        nss = (uint16_t)lm_peek(cpu, 4 * opsize, opsize);
        if ((nss & ~3u) == 0) {
            if (!to64 || rpl == 3 || (nss & 3u) != rpl)
                except_gp(cpu, 0);
        } else {
            sd = ret_check_ss(cpu, nss, rpl);
        }
    }
    if (opsize == 2)
        rip &= 0xffff;
    if (to64 ? !is_canonical(rip) : rip > desc_limit(cd))
        except_gp(cpu, 0);

    uint32_t iopl = (old & FL_IOPL) >> FL_IOPL_SHIFT;
    uint32_t mask = FL_ARITH | FL_TF | FL_DF | FL_NT | FL_RF | FL_AC | FL_ID;
    if (cpu->s.cpl <= iopl)
        mask |= FL_IF;
    if (cpu->s.cpl == 0)
        mask |= FL_IOPL | FL_VIF | FL_VIP;
    if (opsize == 2)
        mask &= 0xffff;
    bool outer = rpl > cpu->s.cpl;
    desc_set_accessed(cpu, cs, &cd);
    pm_set_eflags(cpu, (old & ~mask) | (fl & mask));
    seg_load_cs_desc(cpu, cs, cd, rpl);
    if (pop_stack) {
        if ((nss & ~3u) == 0) {
            seg_load_null(cpu, SEG_SS, nss);
        } else {
            desc_set_accessed(cpu, nss, &sd);
            seg_load_desc(cpu, SEG_SS, nss, sd);
        }
        if (opsize == 2)
            cpu->s.gpr[R_ESP] = (cpu->s.gpr[R_ESP] & ~0xffffull) | (nrsp & 0xffff);
        else
            cpu->s.gpr[R_ESP] = nrsp;
    } else {
        cpu_set_sp(cpu, cpu_get_sp(cpu) + 3 * opsize);
    }
    if (outer)
        seg_null_outer(cpu);
    cpu->next_rip = rip;
    cpu->nmi_blocked = 0;
}
