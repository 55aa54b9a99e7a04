/* Putting a loaded kernel on the board (src/boot/entry.c). */
#ifndef RAWBOX_BOOT_ENTRY_H
#define RAWBOX_BOOT_ENTRY_H

#include <stdbool.h>

#include "boot/loader.h"

struct cpu;
struct machine;

/* Set the vCPU to the entry state a loader described: protected mode,
 * paging off, IF clear, flat CS/DS/ES/FS/GS/SS from the loader's GDT. */
void boot_enter(struct cpu *cpu, const struct boot_entry *e);

/* Load --kernel (with --initrd and --append) into the machine's RAM and set
 * its vCPU at the kernel entry. On error prints "rawbox: <reason>" on stderr
 * and returns -1 (the CLI then exits with status 2). The file names are
 * remembered for boot_machine_reset(). */
int boot_load_kernel(struct machine *m, const char *kernel, const char *initrd,
                     const char *append);

/* Program the MTRRs as firmware would for `ram` bytes of RAM at address 0
 * (fixed ranges, write-back variable ranges over RAM, default UC); done by
 * boot_load_kernel(), which runs no firmware. */
void boot_set_mtrrs(struct cpu *cpu, uint64_t ram);

/* Decompress bzImage kernels on the host and enter them directly (no
 * kernel decompressor, no KASLR): `rawbox run --kernel-unpack`. */
void boot_set_kernel_unpack(bool on);

/* After a machine reset (guest reboot) with no firmware: load the same
 * kernel again and re-enter it. Returns 0, or -1 if nothing was loaded
 * (or the files vanished, with a message). */
int boot_machine_reset(struct machine *m);

#endif
