/* Loads --kernel into a machine, as firmware would have left it.
 *
 * The loaders in src/boot/ fill a struct boot_target's RAM and describe the
 * entry state; this file hands them the board's RAM and layout, turns A20
 * on, enters the kernel (boot_enter) and, with no firmware to do it,
 * programs the MTRRs as a BIOS leaves them (SDM vol. 3A 11.11.2 for the
 * fixed, variable and default-type registers): fixed ranges write-back
 * below 640 KiB and from 0xC0000, uncached over the VGA window, variable
 * ranges write-back over the RAM below 4 GiB, default type UC (so MMIO is
 * uncached). Without it Linux finds them blank and leaves PAT off. Caching
 * is not modelled: the values only tell the OS what firmware would have
 * set. The 8259 pair is initialised with the PC vector bases, as a BIOS
 * leaves it (machine_pc_direct_boot). A guest reboot loads the same files
 * again (boot_machine_reset). */
#include "vm/boot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/entry.h"
#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "util/log.h"
#include "vm/machine.h"

/* MTRRs as firmware leaves them for `ram` bytes of RAM from address 0
 * (only the part below 4 GiB is described). Variable ranges are
 * power-of-two blocks, largest first; if eight do not cover the RAM, the
 * default type becomes WB and no variable range is used (an OS then trims
 * nothing, and MMIO is nominally cached, which nothing here models). */
void boot_set_mtrrs(struct cpu *cpu, uint64_t ram)
{
    enum { UC = 0, WB = 6, DEF_E = 0x800, DEF_FE = 0x400 };
    const uint64_t wb8 = 0x0606060606060606ull;
    uint64_t top = ram < (1ull << 32) ? ram & ~0xfffull : 1ull << 32;
    uint64_t base[8], size[8];
    int n = 0;
    bool ok = true;

    if (!cpuid_has(&cpu->model, CPUID_1_EDX, CPUID_MTRR))
        return;
    msr_write(cpu, 0x2ff, 0);                   /* off while changing */
    msr_write(cpu, 0x250, wb8);                 /* 0-512 KiB */
    msr_write(cpu, 0x258, wb8);                 /* 512-640 KiB */
    msr_write(cpu, 0x259, 0);                   /* VGA window: UC */
    for (uint32_t i = 0x268; i <= 0x26f; i++)   /* 0xC0000-0xFFFFF */
        msr_write(cpu, i, wb8);
    for (uint64_t at = 0; at < top; ) {
        uint64_t sz = 1ull << 63;
        while (sz > top - at || (at & (sz - 1)))
            sz >>= 1;
        if (n == 8 || sz < 0x1000) {
            ok = false;
            break;
        }
        base[n] = at;
        size[n++] = sz;
        at += sz;
    }
    for (int i = 0; i < 8; i++) {
        bool use = ok && i < n;
        msr_write(cpu, 0x200 + 2 * i, use ? base[i] | WB : 0);
        msr_write(cpu, 0x201 + 2 * i, use ? ((~(size[i] - 1)) & 0xffffff000ull) | 0x800 : 0);
    }
    msr_write(cpu, 0x2ff, DEF_E | DEF_FE | (ok ? UC : WB));
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

void boot_acpi_params(const struct machine *m, struct acpi_params *p)
{
    memset(p, 0, sizeof *p);
#ifdef MACHINE_ACPI_PM_BASE
    /* The board's ACPI PM block (see src/boot/acpi.h for what the tables
     * promise it does): the guest gets tables so `poweroff` can end the VM. */
    p->pm_base = MACHINE_ACPI_PM_BASE;
    p->sci_irq = MACHINE_ACPI_SCI_IRQ;
    p->s5_slp_typ = MACHINE_ACPI_S5_SLP_TYP;
    p->apic = m->cfg.apic;          /* MADT for the local and I/O APIC */
    p->hpet = m->cfg.hpet;          /* HPET table and \_SB.HPE0 */
    p->pirq_of = piix3_pirq_of;     /* LNKA-LNKD and _PRT: the board's swizzle */
    /* PCI memory window: from the first MiB boundary above RAM. */
    if (m->cfg.ram_size < 0xFEC00000u)    /* guest RAM, not the memfd (VRAM) */
        p->pci_mem_start = (uint32_t)((m->cfg.ram_size + 0xFFFFF) & ~0xFFFFFull);
#endif
}

int boot_load_kernel(struct machine *m, const char *kernel, const char *initrd,
                     const char *append)
{
    struct boot_target t;
    struct boot_entry e;
    char err[BOOT_ERR_LEN];

    memset(&t, 0, sizeof t);
    t.ram = m->mem.ram;
    t.ram_size = m->cfg.ram_size;     /* the memfd may hold VRAM too */
    boot_pc_map(&t, t.ram_size);
    t.vga_text = false;     /* TODO(boot): true once the board has VGA */
    t.linux_unpack = m->cfg.kernel_unpack;
    boot_acpi_params(m, &t.acpi);
    if (boot_load_files(&t, kernel, initrd, append, &e, err, sizeof err) < 0) {
        fprintf(stderr, "rawbox: %s\n", err);
        return -1;
    }
    if (e.kernel64 && !cpuid_has(&m->cpu.model, CPUID_80000001_EDX, CPUID_X_LM)) {
        fprintf(stderr, "rawbox: %s: an x86-64 kernel needs a CPU model with long mode "
                "(--cpu help lists them)\n", kernel);
        return -1;
    }
    physmem_set_a20(&m->mem, true);
    boot_enter(&m->cpu, &e);
    boot_set_mtrrs(&m->cpu, m->cfg.ram_size);
    machine_pc_direct_boot(m);      /* the 8259s as a BIOS leaves them */
    LOG(LOG_BOOT, "kernel %s loaded: entry 0x%08x, esi 0x%08x, ebx 0x%08x",
        kernel, e.eip, e.esi, e.ebx);
    if (m->boot.kernel != kernel) {
        boot_forget(m);
        m->boot.kernel = dup_or_null(kernel);
        m->boot.initrd = dup_or_null(initrd);
        m->boot.append = dup_or_null(append);
    }
    return 0;
}

int boot_machine_reset(struct machine *m)
{
    if (!m->boot.kernel)
        return -1;
    return boot_load_kernel(m, m->boot.kernel, m->boot.initrd, m->boot.append);
}

void boot_forget(struct machine *m)
{
    free(m->boot.kernel);
    free(m->boot.initrd);
    free(m->boot.append);
    m->boot.kernel = m->boot.initrd = m->boot.append = NULL;
}
