/* Applies a kernel loader's entry record to the vCPU.
 *
 * The entry state is the one both the Linux 32-bit boot protocol
 * (Documentation/arch/x86/boot.rst, "32-bit boot protocol") and Multiboot
 * (spec s3.2) ask for: CR0.PE set and PG clear, EFLAGS = 0x2 (IF clear),
 * CS a flat 4 GiB execute/read 32-bit code segment, DS/ES/FS/GS/SS flat
 * read/write data segments, GDTR pointing at the loader's GDT (so later
 * segment loads by those selectors see the same descriptors), A20 on. The
 * segment caches are loaded directly, as a loader that had just run
 * `ljmp $0x10` would leave them (Intel SDM vol. 3 s9.9.1).
 *
 * Putting the kernel into a machine (RAM, A20, MTRRs, reboot) is the
 * board's job: src/vm/boot.c. */
#include "boot/entry.h"

#include "cpu/cpu.h"
#include "cpu/longmode.h"
#include "cpu/seg.h"
#include "cpu/mmu.h"

/* Descriptor bits 40..55 of the GDT entries boot_write_gdt() writes. */
#define ATTR_CODE32 (0xB | SEGA_S | SEGA_P | SEGA_DB | SEGA_G)  /* 0xC09B */
#define ATTR_DATA32 (0x3 | SEGA_S | SEGA_P | SEGA_DB | SEGA_G)  /* 0xC093 */
#define ATTR_CODE64 (0xB | SEGA_S | SEGA_P | SEGA_L | SEGA_G)   /* 0xA09B */

void boot_enter(struct cpu *cpu, const struct boot_entry *e)
{
    cpu->s.gdtr.base = e->gdt_base;
    cpu->s.gdtr.limit = e->gdt_limit;
    cpu->s.cr0 = (cpu->s.cr0 | CR0_PE) & ~CR0_PG;
    cpu->s.rflags = 0x2;
    cpu->s.lf.op = 0;
    seg_load_cache(cpu, SEG_CS, e->cs, 0, 0xFFFFFFFFu, e->long_mode ? ATTR_CODE64 : ATTR_CODE32);
    if (e->long_mode) {
        /* What a loader's own switch to long mode leaves (SDM vol. 3A
         * 10.8.5): PAE, CR3, EFER.LME, then CR0.PG activates IA-32e mode. */
        cpu->s.cr4 |= CR4_PAE;
        cpu->s.cr3 = e->cr3;
        cpu->s.efer |= EFER_LME | EFER_LMA;
        cpu->s.cr0 |= CR0_PG;
        tlb_flush_all(cpu);
    }
    static const int data_segs[] = { SEG_DS, SEG_ES, SEG_SS, SEG_FS, SEG_GS };
    for (unsigned i = 0; i < sizeof(data_segs) / sizeof(data_segs[0]); i++)
        seg_load_cache(cpu, data_segs[i], e->ds, 0, 0xFFFFFFFFu, ATTR_DATA32);
    set_reg32(cpu, R_EAX, e->eax);
    set_reg32(cpu, R_EBX, e->ebx);
    set_reg32(cpu, R_ECX, e->ecx);
    set_reg32(cpu, R_EDX, e->edx);
    set_reg32(cpu, R_ESI, e->esi);
    set_reg32(cpu, R_EDI, e->edi);
    set_reg32(cpu, R_EBP, e->ebp);
    set_reg32(cpu, R_ESP, e->esp);
    cpu->s.rip = e->eip;
    cpu->halted = 0;
    cpu_update_mode(cpu);
}

