/* vCPU lifecycle: creation, the RESET state of Intel SDM vol. 3 table 9-1,
 * mode bookkeeping and the inputs the board drives (INTR, NMI, stop). */
#include <stdlib.h>
#include <string.h>
#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/dcache.h"
#include "cpu/engine.h"
#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/longmode.h"
#include "cpu/mmu.h"
#include "cpu/optable.h"
#include "cpu/x87.h"
#include "mem/physmem.h"

void cpu_init(struct cpu *cpu, struct physmem *mem, struct iobus *io)
{
    memset(cpu, 0, sizeof(*cpu));
    cpu->mem = mem;
    cpu->io = io;
    cpu->model = *cpu_model_default();
    optable_init();
    cpu->dcache = dcache_new(cpu);
    cpu->scratch = calloc(1, sizeof(struct insn));
    if (!cpu->dcache || !cpu->scratch)
        abort();            /* startup only: out of host memory */
    cpu->engine = &engine_interp;
    /* Startup only: a board has at most one vCPU per subscriber slot. */
    if (mem && physmem_add_code_writer(mem, cpu->engine->code_written, cpu->dcache) < 0)
        abort();
    mmu_init(cpu);
    cpu_reset(cpu);
}

void cpu_free(struct cpu *cpu)
{
    if (cpu->engine && cpu->engine->detach)
        cpu->engine->detach(cpu);
    if (cpu->mem && cpu->engine)
        physmem_remove_code_writer(cpu->mem, cpu->engine->code_written, cpu->dcache);
    dcache_free(cpu->dcache);
    free(cpu->scratch);
    cpu->dcache = NULL;
    cpu->scratch = NULL;
}

static void seg_reset(struct seg *s, uint16_t sel, uint64_t base, uint16_t attr)
{
    s->sel = sel;
    s->base = base;
    s->limit = 0xffff;
    s->attr = attr;
}

void cpu_reset(struct cpu *cpu)
{
    memset(cpu->s.gpr, 0, sizeof(cpu->s.gpr));
    /* EDX holds the processor signature (SDM vol. 3A 9.1.4). */
    cpu->s.gpr[R_EDX] = cpuid_signature(&cpu->model);
    cpu->s.rip = 0xfff0;
    cpu->s.rflags = 0x00000002;
    memset(&cpu->s.lf, 0, sizeof(cpu->s.lf));
    seg_reset(&cpu->s.seg[SEG_CS], 0xf000, 0xffff0000u, 0x009b);
    for (int s = 0; s < SEG_COUNT; s++)
        if (s != SEG_CS)
            seg_reset(&cpu->s.seg[s], 0, 0, 0x0093);
    seg_reset(&cpu->s.seg[SEG_LDTR], 0, 0, 0x0082);
    seg_reset(&cpu->s.seg[SEG_TR], 0, 0, 0x008b);
    cpu->s.gdtr.base = cpu->s.idtr.base = 0;
    cpu->s.gdtr.limit = cpu->s.idtr.limit = 0xffff;
    cpu->s.cr0 = CR0_ET | CR0_CD | CR0_NW;
    cpu->s.cr2 = cpu->s.cr3 = cpu->s.cr4 = cpu->s.cr8 = 0;
    cpu->s.efer = 0;
    memset(cpu->s.dr, 0, sizeof(cpu->s.dr));
    cpu->s.dr[6] = 0xffff0ff0u;
    cpu->s.dr[7] = 0x00000400u;
    memset(&cpu->s.msr, 0, sizeof(cpu->s.msr));
    cpu->s.msr.apic_base = 0xfee00900u;   /* BSP, enabled */
    cpu->s.msr.pat = 0x0007040600070406ull;
    /* IA32_MISC_ENABLE bit 0, fast-string operations, is 1 after reset
     * (SDM vol. 4 table 2-2). Linux reads it on Intel family 6 model 13 and
     * later and says "Disabled fast string operations" when it is clear. */
    cpu->s.msr.misc_enable = 1;
    x87_reset(cpu);
    /* SSE state at RESET (SDM vol. 3A table 9-1): XMM zero, MXCSR 0x1F80. */
    memset(cpu->s.xmm, 0, sizeof(cpu->s.xmm));
    cpu->s.mxcsr = MXCSR_RESET;
    cpu->s.xcr0 = XCR0_X87;     /* SDM vol. 1 13.3: XCR0 is 1 after RESET */
    cpu->inhibit_irq = 0;
    cpu->halted = 0;
    cpu->exc_depth = 0;
    cpu->pending_db = 0;
    cpu->inject_db = 0;
    cpu->nmi_pending = 0;
    cpu->nmi_blocked = 0;
    cpu->exit_req = CPU_EXIT_NONE;
    cpu->s.cpl = 0;
    if (cpu->dcache)
        dcache_flush(cpu->dcache);
    cpu->fetch_page = NULL;
    tlb_flush_all(cpu);
    cpu_update_mode(cpu);
}

void cpu_update_mode(struct cpu *cpu)
{
    uint16_t cs = cpu->s.seg[SEG_CS].attr;
    if (!(cpu->s.cr0 & CR0_PE)) {
        cpu->s.mode = MODE_REAL;
        cpu->s.cpl = 0;
    } else if (cpu->s.efer & EFER_LMA) {
        /* IA-32e mode (SDM vol. 3A 5.2.1, APM vol. 2 4.8.1): CS.L selects
         * 64-bit mode, else CS.D the compatibility mode's size. EFLAGS.VM
         * has no effect (IRET cannot set it with LMA). */
        cpu->s.mode = (cs & SEGA_L) ? MODE_LONG64 :
                      (cs & SEGA_DB) ? MODE_COMPAT32 : MODE_COMPAT16;
    } else if (cpu->s.rflags & FL_VM) {
        cpu->s.mode = MODE_V86;
        cpu->s.cpl = 3;
    } else {
        cpu->s.mode = (cs & SEGA_DB) ? MODE_PROT32 : MODE_PROT16;
    }
    cpu->fetch_page = NULL;
    if (cpu->s.mode == MODE_LONG64) {
        /* 64-bit mode: addresses and the stack pointer are 64-bit whatever
         * SS holds; operands default to 32 bits (the decoder's REX.W and
         * 66 rules start from code_size 8). */
        cpu->s.code_size = 8;
        cpu->s.stack_size = 8;
        cpu_note_cpl(cpu);
        return;
    }
    /* Real mode keeps whatever CS.D the cache holds (a 32-bit CS loaded in
     * protected mode survives the switch back); V86 is always 16-bit. */
    cpu->s.code_size = cpu->s.mode != MODE_V86 && (cs & SEGA_DB) ? 4 : 2;
    cpu->s.stack_size = cpu->s.mode != MODE_V86 && (cpu->s.seg[SEG_SS].attr & SEGA_DB) ? 4 : 2;
    cpu_note_cpl(cpu);
}

void cpu_set_intr(struct cpu *cpu, int level)
{
    cpu->intr = level ? 1 : 0;
}

void cpu_raise_nmi(struct cpu *cpu)
{
    cpu->nmi_pending = 1;
}

void cpu_request_exit(struct cpu *cpu, enum cpu_exit why)
{
    cpu->exit_req = why;
}
