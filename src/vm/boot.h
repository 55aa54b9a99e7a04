/* Booting --kernel on the board, with no firmware (src/vm/boot.c). */
#ifndef RAWBOX_VM_BOOT_H
#define RAWBOX_VM_BOOT_H

#include <stdint.h>

struct cpu;
struct machine;

/* Load --kernel (with --initrd and --append) into the machine's RAM and set
 * its vCPU at the kernel entry; m->cfg.kernel_unpack asks for the bzImage
 * payload to be decompressed on the host. On error prints "rawbox:
 * <reason>" on stderr and returns -1 (the CLI then exits with status 2).
 * The file names are kept in the machine for boot_machine_reset(). */
int boot_load_kernel(struct machine *m, const char *kernel, const char *initrd,
                     const char *append);

/* After a machine reset (guest reboot) with no firmware: load the same
 * kernel again and re-enter it. Returns 0, or -1 if nothing was loaded
 * (or the files vanished, with a message). */
int boot_machine_reset(struct machine *m);

/* Program the MTRRs as firmware would for `ram` bytes of RAM at address 0
 * (fixed ranges, write-back variable ranges over RAM, default UC); done by
 * boot_load_kernel(), which runs no firmware. */
void boot_set_mtrrs(struct cpu *cpu, uint64_t ram);

/* What the board's ACPI tables describe (src/boot/acpi.h), for a --kernel
 * boot and for the firmware's fw_cfg files alike. p->pm_base stays 0 when
 * the board has no ACPI PM block. */
struct acpi_params;
void boot_acpi_params(const struct machine *m, struct acpi_params *p);

/* Forget the remembered kernel (machine_free). */
void boot_forget(struct machine *m);

#endif
