/* Control and debug register moves, TLB and cache control instructions:
 * MOV Rd,Cd / MOV Cd,Rd (0F 20/22), MOV Rd,Dd / MOV Dd,Rd (0F 21/23),
 * INVLPG, INVD, WBINVD.
 *
 * All are privileged: CPL > 0 (which includes V86 mode) gives #GP(0); in
 * real mode they run. ModRM.mod is ignored (the decoder marks these rows
 * F_REGMOD), ModRM.reg names the control/debug register, ModRM.rm the
 * general register. CR1, CR5-7 give #UD; DR4/DR5 alias DR6/DR7 unless
 * CR4.DE, which makes them #UD; DR7.GD turns any debug-register move into a
 * #DB fault with DR6.BD (and clears GD so the handler can use them).
 *
 * CR0 writes check PG without PE and NW without CD (#GP(0)), keep the
 * reserved bits at zero and ET at one (P6), flush the TLB when PG, WP or PE
 * change and update the mode. CR3 writes flush non-global entries. With
 * PAE paging in use after the write, MOV CR3, a CR0 write changing PG, CD
 * or NW and a CR4 write changing PAE, PSE or PGE load the PDPTE registers
 * (#GP(0) on reserved bits). CR4 accepts only bits of implemented features
 * (#GP(0) otherwise); PSE, PAE and PGE changes flush everything.
 *
 * Long mode (EFER.LME/LMA, src/cpu/efer.c): turning paging on with LME
 * activates it (LMA=1; #GP(0) without CR4.PAE or with CS.L set), turning it
 * off deactivates it (#GP(0) from 64-bit mode); CR4.PAE cannot be cleared
 * while LMA; CR3 then holds a PML4 address below MAXPHYADDR (#GP(0) on the
 * bits above) and no PDPTEs are loaded; 64-bit code moves 64-bit values
 * (bits 63:32 of CR0/CR4 are reserved) and reaches CR8.
 *
 * Left out: CR8 is stored, not yet tied to the local APIC's TPR; caches
 * are not modelled (CD/NW, INVD and WBINVD have no effect).
 *
 * Follows Intel SDM vol. 2 (MOV CRn, MOV DRn, INVLPG), vol. 3A 2.5 and
 * 4.10.4, vol. 3B 17.2.
 */
#include <string.h>

#include "cpu/cpuid.h"
#include "cpu/debug.h"
#include "cpu/except.h"
#include "cpu/insn.h"
#include "cpu/longmode.h"
#include "cpu/mmu.h"
#include "cpu/paging.h"
#include "util/log.h"

#define CR0_VALID (CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_ET | CR0_NE | CR0_WP | \
                   CR0_AM | CR0_NW | CR0_CD | CR0_PG)
/* DR7: bits 11, 12, 14, 15 are reserved (zero); bit 10 reads as one. */
#define DR7_VALID 0xffff23ffu

static void require_cpl0(struct cpu *cpu)
{
    if (cpu->s.cpl != 0)
        except_gp(cpu, 0);
}

/* Long mode is active, or becomes so: the CPU's view of EFER.LMA. */
static bool lma(const struct cpu *cpu)
{
    return (cpu->s.efer & EFER_LMA) != 0;
}

static void cr0_write(struct cpu *cpu, uint64_t v64)
{
    /* Bits 63:32 are reserved (reachable only with a 64-bit operand). */
    if (v64 >> 32)
        except_gp(cpu, 0);
    uint32_t v = ((uint32_t)v64 & CR0_VALID) | CR0_ET;
    if ((v & CR0_PG) && !(v & CR0_PE))
        except_gp(cpu, 0);
    if ((v & CR0_NW) && !(v & CR0_CD))
        except_gp(cpu, 0);
    uint32_t old = cpu->s.cr0;
    /* Long-mode activation and deactivation (SDM vol. 3A 9.8.5, APM vol. 2
     * 14.6): paging turned on with EFER.LME sets LMA, which needs CR4.PAE
     * and a CS without L; paging turned off clears LMA, which 64-bit code
     * cannot do (it must first go to compatibility mode). */
    bool lma_after = lma(cpu);
    if ((v & ~old & CR0_PG) && (cpu->s.efer & EFER_LME)) {
        if (!(cpu->s.cr4 & CR4_PAE) || (cpu->s.seg[SEG_CS].attr & SEGA_L))
            except_gp(cpu, 0);
        lma_after = true;
    } else if (old & ~v & CR0_PG) {
        if (cpu->s.mode == MODE_LONG64)
            except_gp(cpu, 0);
        lma_after = false;
    }
    /* With PAE paging in use afterwards, a write changing PG, CD or NW
     * (re)loads the PDPTE registers from CR3 (SDM vol. 3A 4.4.1): Linux's
     * MTRR code toggles CD with PAE paging on. The TLB holds translations
     * made through the old registers, so it is flushed when they change.
     * 4-level paging has no PDPTE registers. */
    bool pdpte_changed = false;
    if ((v & CR0_PG) && (cpu->s.cr4 & CR4_PAE) && !lma_after &&
        ((old ^ v) & (CR0_PG | CR0_CD | CR0_NW))) {
        uint64_t before[4];
        memcpy(before, cpu->tlb.pdpte, sizeof before);
        if (!paging_load_pdptes(cpu, (uint32_t)cpu->s.cr3))
            except_gp(cpu, 0);
        pdpte_changed = memcmp(before, cpu->tlb.pdpte, sizeof before) != 0;
    }
    cpu->s.cr0 = v;
    if (lma_after != lma(cpu)) {
        cpu->s.efer ^= EFER_LMA;
        LOG(LOG_MODE, "EFER.LMA %s", lma_after ? "on: long mode" : "off");
    }
    if (((old ^ v) & (CR0_PG | CR0_WP | CR0_PE)) || pdpte_changed)
        tlb_flush_all(cpu);
    if ((old ^ v) & (CR0_PE | CR0_PG)) {
        LOG(LOG_MODE, "CR0 %08x -> %08x: %s%s", old, v,
            (v & CR0_PE) ? "protected mode" : "real mode",
            (v & CR0_PG) ? (lma_after ? ", 4-level paging" :
                            cpu->s.cr4 & CR4_PAE ? ", PAE paging" : ", paging") : "");
        cpu_update_mode(cpu);
    }
}

static void cr3_write(struct cpu *cpu, uint64_t v)
{
    if (lma(cpu)) {
        /* 4-level paging: the PML4 address may use every bit below
         * MAXPHYADDR; those above are reserved (SDM vol. 3A 4.5.2). */
        if (v >> cpuid_phys_bits(&cpu->model))
            except_gp(cpu, 0);
    } else {
        v = (uint32_t)v;
        if ((cpu->s.cr0 & CR0_PG) && (cpu->s.cr4 & CR4_PAE) &&
            !paging_load_pdptes(cpu, (uint32_t)v))
            except_gp(cpu, 0);
    }
    cpu->s.cr3 = v;
    tlb_flush_nonglobal(cpu);
}

static void cr4_write(struct cpu *cpu, uint64_t v64)
{
    if (v64 & ~(uint64_t)cpuid_cr4_valid(&cpu->model))
        except_gp(cpu, 0);
    uint32_t v = (uint32_t)v64;
    uint32_t old = cpu->s.cr4;
    /* Long mode needs PAE: clearing it while LMA is set is #GP(0). */
    if (lma(cpu) && !(v & CR4_PAE))
        except_gp(cpu, 0);
    if ((cpu->s.cr0 & CR0_PG) && (v & CR4_PAE) && !lma(cpu) &&
        ((old ^ v) & (CR4_PAE | CR4_PSE | CR4_PGE))) {
        /* The PDPTEs are (re)loaded when PAE paging starts or its
         * paging-mode bits change. */
        if (!paging_load_pdptes(cpu, (uint32_t)cpu->s.cr3))
            except_gp(cpu, 0);
    }
    cpu->s.cr4 = v;
    if ((old ^ v) & (CR4_PSE | CR4_PAE))
        tlb_flush_all(cpu);
    else if ((old ^ v) & CR4_PGE)
        tlb_flush_global(cpu);      /* how Linux flushes global pages */
    if ((old ^ v) & CR4_PAE)
        LOG(LOG_MODE, "CR4.PAE %s", (v & CR4_PAE) ? "on" : "off");
}

/* CR8 is the task-priority register of long mode: TPR bits 7:4 as bits
 * 3:0; bits 63:4 are reserved (SDM vol. 3A 10.8.6.1, APM vol. 2 16.6.1).
 * Only 64-bit code can name it (REX.R). */
static void cr8_write(struct cpu *cpu, uint64_t v)
{
    if (v >> 4)
        except_gp(cpu, 0);
    cpu->s.cr8 = v;
}

/* The general register of a control-register move: all 64 bits in 64-bit
 * mode (REX.W is ignored), else the low 32 (SDM vol. 2B MOV CRn). */
static uint64_t cr_operand(const struct cpu *cpu, unsigned rm)
{
    return cpu->s.mode == MODE_LONG64 ? cpu->s.gpr[rm] : reg32(cpu, rm);
}

void op_mov_Rd_Cd(struct cpu *cpu, const struct insn *i)
{
    require_cpl0(cpu);
    uint64_t v;
    switch (i->reg) {
    case 0: v = cpu->s.cr0; break;
    case 2: v = cpu->s.cr2; break;
    case 3: v = cpu->s.cr3; break;
    case 4: v = cpu->s.cr4; break;
    case 8:
        if (cpu->s.mode != MODE_LONG64)
            except_ud(cpu);
        v = cpu->s.cr8;
        break;
    default: except_ud(cpu);
    }
    if (cpu->s.mode == MODE_LONG64)
        cpu->s.gpr[i->rm] = v;
    else
        set_reg32(cpu, i->rm, (uint32_t)v);
}

void op_mov_Cd_Rd(struct cpu *cpu, const struct insn *i)
{
    require_cpl0(cpu);
    uint64_t v = cr_operand(cpu, i->rm);
    switch (i->reg) {
    case 0: cr0_write(cpu, v); break;
    case 2: cpu->s.cr2 = v; break;
    case 3: cr3_write(cpu, v); break;
    case 4: cr4_write(cpu, v); break;
    case 8:
        if (cpu->s.mode != MODE_LONG64)
            except_ud(cpu);
        cr8_write(cpu, v);
        break;
    default: except_ud(cpu);
    }
}

/* Common checks of MOV to/from DRn; returns the register index 0-7
 * after the DR4/5 aliasing. */
static unsigned dr_access(struct cpu *cpu, const struct insn *i)
{
    require_cpl0(cpu);
    if (cpu->s.dr[7] & DR7_GD) {
        cpu->s.dr[6] |= DR6_BD;
        cpu->s.dr[7] &= ~DR7_GD;
        except_raise(cpu, EXC_DB, EXC_NO_CODE);
    }
    unsigned n = i->reg;
    if (n == 4 || n == 5) {
        if (cpu->s.cr4 & CR4_DE)
            except_ud(cpu);
        n += 2;
    }
    return n;
}

/* In 64-bit mode MOV DRn moves 64 bits: DR0-DR3 hold 64-bit linear
 * addresses, and a 1 written to bits 63:32 of DR6 or DR7 is #GP(0) (SDM
 * vol. 2B MOV (Debug Registers), vol. 3B 17.2.6). */
void op_mov_Rd_Dd(struct cpu *cpu, const struct insn *i)
{
    unsigned n = dr_access(cpu, i);
    uint64_t v = cpu->s.dr[n];
    if (n == 6)
        v |= DR6_FIXED;
    else if (n == 7)
        v |= DR7_FIXED;
    if (cpu->s.mode == MODE_LONG64)
        cpu->s.gpr[i->rm] = v;
    else
        set_reg32(cpu, i->rm, (uint32_t)v);
}

void op_mov_Dd_Rd(struct cpu *cpu, const struct insn *i)
{
    unsigned n = dr_access(cpu, i);
    uint64_t v = cpu->s.mode == MODE_LONG64 ? cpu->s.gpr[i->rm] : reg32(cpu, i->rm);
    if ((n == 6 || n == 7) && (v >> 32) != 0)
        except_gp(cpu, 0);
    switch (n) {
    case 6:
        cpu->s.dr[6] = (v & 0x0000e00fu) | DR6_FIXED;
        break;
    case 7:
        cpu->s.dr[7] = (v & DR7_VALID) | DR7_FIXED;
        debug_update(cpu);
        cpu->run_end = 0;   /* no handler chaining with breakpoints (exec.c) */
        break;
    default:
        cpu->s.dr[n] = v;
        debug_update(cpu);
        break;
    }
}

void op_invlpg_M(struct cpu *cpu, const struct insn *i)
{
    if (i->mod == 3)
        except_ud(cpu);
    require_cpl0(cpu);
    /* 64-bit mode: only FS and GS have a base (SDM vol. 3A 3.4.4). */
    bool no_base = cpu->s.mode == MODE_LONG64 && i->seg != SEG_FS && i->seg != SEG_GS;
    uint64_t base = no_base ? 0 : cpu->s.seg[i->seg].base;
    tlb_flush_page(cpu, lin_wrap(cpu, base + insn_ea(cpu, i)));
}

void op_invd(struct cpu *cpu, const struct insn *i)
{
    require_cpl0(cpu);
}

void op_wbinvd(struct cpu *cpu, const struct insn *i)
{
    require_cpl0(cpu);
}
