/* Putting a loaded kernel's entry state on a vCPU (src/boot/entry.c). */
#ifndef RAWBOX_BOOT_ENTRY_H
#define RAWBOX_BOOT_ENTRY_H

#include "boot/loader.h"

struct cpu;

/* Set the vCPU to the entry state a loader described: protected mode,
 * paging off, IF clear, flat CS/DS/ES/FS/GS/SS from the loader's GDT. */
void boot_enter(struct cpu *cpu, const struct boot_entry *e);

#endif
