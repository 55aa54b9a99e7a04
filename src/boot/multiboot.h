/* Multiboot v1 loader (src/boot/multiboot.c). */
#ifndef RAWBOX_BOOT_MULTIBOOT_H
#define RAWBOX_BOOT_MULTIBOOT_H

#include "boot/loader.h"

#define MB_HEADER_MAGIC     0x1BADB002u
#define MB_BOOT_MAGIC       0x2BADB002u     /* in EAX at entry */
#define MB_SEARCH           8192            /* header lies in the first 8 KiB */

/* Header flags (spec 3.1.2). Bits 0-15 are requirements. */
#define MBH_PAGE_ALIGN      0x00000001u
#define MBH_MEMORY_INFO     0x00000002u
#define MBH_VIDEO_MODE      0x00000004u
#define MBH_AOUT_KLUDGE     0x00010000u

/* Info structure flags (spec 3.3). */
#define MBI_MEMORY          0x00000001u
#define MBI_CMDLINE         0x00000004u
#define MBI_MODS            0x00000008u
#define MBI_MMAP            0x00000040u
#define MBI_LOADER_NAME     0x00000200u

/* Info structure offsets. */
#define MBI_FLAGS           0
#define MBI_MEM_LOWER       4
#define MBI_MEM_UPPER       8
#define MBI_BOOT_DEVICE     12
#define MBI_CMDLINE_PTR     16
#define MBI_MODS_COUNT      20
#define MBI_MODS_ADDR       24
#define MBI_MMAP_LENGTH     44
#define MBI_MMAP_ADDR       48
#define MBI_LOADER_NAME_PTR 64
#define MBI_SIZE            120

#define MB_MAX_MODULES      64

/* Offset of the first valid Multiboot header in the first 8 KiB, or -1.
 * *bad_off (may be NULL) gets the offset of a magic whose checksum fails,
 * if one was seen, else -1. */
long multiboot_find_header(const uint8_t *data, size_t size, long *bad_off);

/* Load a Multiboot kernel (ELF32 or a.out kludge), its modules, and the
 * information structure placed after them. */
int multiboot_load(struct boot_target *t, const struct boot_blob *kernel,
                   const struct boot_blob *mods, int nmods, const char *append,
                   struct boot_entry *entry, char *err, size_t errlen);

#endif
