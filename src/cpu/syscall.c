/* The long-mode system-call instructions: SYSCALL, SYSRET and SWAPGS.
 *
 * The two vendors define SYSCALL/SYSRET differently, and the model's vendor
 * (cpu->model.vendor) picks the rules:
 *  - Intel (SDM vol. 2B SYSCALL, SYSRET): only in 64-bit mode, #UD
 *    elsewhere (compatibility and legacy modes included); SYSRET to a
 *    non-canonical RCX is #GP(0) at CPL 0.
 *  - AMD (APM vol. 3 SYSCALL, SYSRET; vol. 2 6.1.1): also in legacy mode
 *    (EIP from STAR[31:0], EFLAGS.VM/IF/RF cleared, SYSRET sets IF) and in
 *    compatibility mode (RIP from CSTAR); SYSRET loads a non-canonical RCX
 *    and the #GP comes from the fetch at CPL 3; SYSRET in long mode writes
 *    only the SS selector and leaves its hidden attributes as they were
 *    (the SS-attribute behaviour Linux works around, X86_BUG_SYSRET_SS_ATTRS).
 * Both: #UD with EFER.SCE=0 (and in real and virtual-8086 mode, as KVM's
 * emulator does), SYSRET #GP(0) at CPL > 0. SYSCALL saves the return RIP in
 * RCX and RFLAGS (RF clear) in R11, clears the FMASK bits and loads the flat
 * CS/SS of STAR[47:32] (64-bit CS); SYSRET loads RIP from RCX (ECX for a
 * 32-bit operand size: return to compatibility mode), RFLAGS from R11
 * (& 3C7FD7h | 2: RF and VM stay clear) and CS/SS from STAR[63:48] (+16 for
 * 64-bit, +0 for 32-bit code; SS +8), all with RPL 3. No descriptor is read.
 *
 * Single-step: both trap (#DB with DR6.BS) after themselves when TF is set
 * as they leave RFLAGS, whatever it was before: SYSRET with TF in R11
 * traps at its target, before the first user instruction, and SYSCALL
 * with TF cleared by FMASK does not trap (Linux entry_64.S: "restoring TF
 * results in a trap from userspace immediately after SYSRET";
 * kvm-unit-tests x86/syscall.c).
 *
 * SWAPGS (SDM vol. 2B) exchanges GS.base with KERNEL_GS_BASE: 64-bit mode
 * only (#UD), CPL 0 only (#GP(0)).
 */
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/except.h"
#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/longmode.h"
#include "cpu/seg.h"

#define GPR_R11 11

/* Flat segment caches (base 0, limit 4 GiB): type, S, DPL, P and L or D/B, G. */
#define CODE64(dpl) (uint16_t)(0xb | SEGA_S | ((dpl) << 5) | SEGA_P | SEGA_L | SEGA_G)
#define CODE32(dpl) (uint16_t)(0xb | SEGA_S | ((dpl) << 5) | SEGA_P | SEGA_DB | SEGA_G)
#define DATA32(dpl) (uint16_t)(0x3 | SEGA_S | ((dpl) << 5) | SEGA_P | SEGA_DB | SEGA_G)

/* RFLAGS bits SYSRET takes from R11 (SDM vol. 2B SYSRET). */
#define SYSRET_FLAGS 0x3c7fd7u

/* The single-step rule above, from TF before (`was`) and after. */
static void step_by_tf_after(struct cpu *cpu, uint64_t was)
{
    const bool now = cpu->s.rflags & FL_TF;
    if (!(was & FL_TF) && !now)
        return;
    cpu->step_after = now ? 1 : 2;
    if (now)
        cpu->pending_db = 1;
}

/* The #UD conditions common to SYSCALL and SYSRET for this vendor. */
static void syscall_allowed(struct cpu *cpu)
{
    if (!(cpu->s.efer & EFER_SCE) || !mode_is_prot(cpu->s.mode))
        except_ud(cpu);
    if (!cpuid_vendor_amd(&cpu->model) && cpu->s.mode != MODE_LONG64)
        except_ud(cpu);
}

void op_syscall(struct cpu *cpu, const struct insn *i)
{
    syscall_allowed(cpu);
    const struct msrs *m = &cpu->s.msr;
    uint16_t cs = (uint16_t)(m->star >> 32) & 0xfffc;
    uint64_t flags = flags_get(cpu);
    if (cpu->s.efer & EFER_LMA) {
        cpu->s.gpr[R_ECX] = cpu->next_rip;
        cpu->s.gpr[GPR_R11] = flags & ~(uint64_t)FL_RF;
        flags_set(cpu, (uint32_t)(flags & ~(m->fmask | FL_RF)));
        cpu->next_rip = cpu->s.mode == MODE_LONG64 ? m->lstar : m->cstar;
        seg_load_cache(cpu, SEG_CS, cs, 0, 0xffffffffu, CODE64(0));
    } else {
        /* AMD legacy mode. */
        set_reg32(cpu, R_ECX, (uint32_t)cpu->next_rip);
        flags_set(cpu, (uint32_t)(flags & ~(uint64_t)(FL_VM | FL_IF | FL_RF)));
        cpu->next_rip = (uint32_t)m->star;
        seg_load_cache(cpu, SEG_CS, cs, 0, 0xffffffffu, CODE32(0));
    }
    seg_load_cache(cpu, SEG_SS, (uint16_t)(cs + 8), 0, 0xffffffffu, DATA32(0));
    cpu->s.cpl = 0;
    cpu_update_mode(cpu);
    step_by_tf_after(cpu, flags);
}

void op_sysret(struct cpu *cpu, const struct insn *i)
{
    syscall_allowed(cpu);
    if (cpu->s.cpl != 0)
        except_gp(cpu, 0);
    const struct msrs *m = &cpu->s.msr;
    uint16_t base = (uint16_t)(m->star >> 48);
    uint16_t ss = (uint16_t)((base + 8) | 3);
    bool amd = cpuid_vendor_amd(&cpu->model);
    const uint64_t was = cpu->s.rflags;
    if (!(cpu->s.efer & EFER_LMA)) {
        /* AMD legacy mode: back to 32-bit code with IF set. */
        flags_set_bits(cpu, FL_IF, true);
        cpu->next_rip = reg32(cpu, R_ECX);
        seg_load_cache(cpu, SEG_CS, (uint16_t)(base | 3), 0, 0xffffffffu, CODE32(3));
        seg_load_cache(cpu, SEG_SS, ss, 0, 0xffffffffu, DATA32(3));
    } else {
        bool to64 = i->opsize == 8;
        uint64_t rip = to64 ? cpu->s.gpr[R_ECX] : reg32(cpu, R_ECX);
        if (!amd && !is_canonical(rip))
            except_gp(cpu, 0);
        flags_set(cpu, (uint32_t)(cpu->s.gpr[GPR_R11] & SYSRET_FLAGS));
        cpu->next_rip = rip;
        if (to64)
            seg_load_cache(cpu, SEG_CS, (uint16_t)((base + 16) | 3), 0, 0xffffffffu, CODE64(3));
        else
            seg_load_cache(cpu, SEG_CS, (uint16_t)(base | 3), 0, 0xffffffffu, CODE32(3));
        if (amd)
            cpu->s.seg[SEG_SS].sel = ss;
        else
            seg_load_cache(cpu, SEG_SS, ss, 0, 0xffffffffu, DATA32(3));
    }
    cpu->s.cpl = 3;
    cpu_update_mode(cpu);
    step_by_tf_after(cpu, was);
}

void op_swapgs(struct cpu *cpu, const struct insn *i)
{
    if (cpu->s.mode != MODE_LONG64)
        except_ud(cpu);
    if (cpu->s.cpl != 0)
        except_gp(cpu, 0);
    uint64_t t = cpu->s.seg[SEG_GS].base;
    cpu->s.seg[SEG_GS].base = cpu->s.msr.kernel_gs_base;
    cpu->s.msr.kernel_gs_base = t;
}
