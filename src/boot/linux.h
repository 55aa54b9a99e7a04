/* Linux x86 boot protocol loader for bzImage (src/boot/linux.c). */
#ifndef RAWBOX_BOOT_LINUX_H
#define RAWBOX_BOOT_LINUX_H

#include "boot/loader.h"

/* Where the loader puts its structures in low guest RAM. */
#define LINUX_GDT_ADDR        0x6000u
#define LINUX_ZERO_PAGE_ADDR  0x7000u   /* struct boot_params, 4 KiB */
#define LINUX_PGTABLE_ADDR    0x8000u   /* 64-bit entry: PML4, PDPT, 4 PDs */
#define LINUX_PGTABLE_SIZE    0x6000u
#define LINUX_CMDLINE_ADDR    0x20000u
#define LINUX_CMDLINE_ROOM    0x10000u  /* bytes available at LINUX_CMDLINE_ADDR */
#define LINUX_ACPI_ADDR       0xF1000u  /* ACPI tables, in the reserved F segment */

/* boot_params (Documentation/arch/x86/zero-page.rst) offsets used here. */
#define BP_EXT_MEM_K          0x002
#define BP_ACPI_RSDP_ADDR     0x070
#define BP_ORIG_VIDEO_MODE    0x006
#define BP_ORIG_VIDEO_COLS    0x007
#define BP_ORIG_VIDEO_LINES   0x00e
#define BP_ORIG_VIDEO_ISVGA   0x00f
#define BP_ORIG_VIDEO_POINTS  0x010
#define BP_ALT_MEM_K          0x1e0
#define BP_E820_ENTRIES       0x1e8
#define BP_SENTINEL           0x1ef
#define BP_HDR                0x1f1
#define BP_E820_TABLE         0x2d0
#define BP_E820_MAX           128

/* Setup header fields (Documentation/arch/x86/boot.rst), file offsets. */
#define LH_SETUP_SECTS        0x1f1
#define LH_BOOT_FLAG          0x1fe
#define LH_JUMP               0x200
#define LH_HEADER             0x202
#define LH_VERSION            0x206
#define LH_TYPE_OF_LOADER     0x210
#define LH_LOADFLAGS          0x211
#define LH_CODE32_START       0x214
#define LH_RAMDISK_IMAGE      0x218
#define LH_RAMDISK_SIZE       0x21c
#define LH_HEAP_END_PTR       0x224
#define LH_CMD_LINE_PTR       0x228
#define LH_INITRD_ADDR_MAX    0x22c
#define LH_KERNEL_ALIGNMENT   0x230
#define LH_RELOCATABLE        0x234
#define LH_XLOADFLAGS         0x236     /* protocol 2.12+ */
#define XLF_KERNEL_64         0x01      /* has the 64-bit entry: an x86-64 kernel */
#define LH_CMDLINE_SIZE       0x238
#define LH_INIT_SIZE          0x260
#define LH_END_MAX            0x290     /* boot_params.hdr ends here */

#define LH_MAGIC              0x53726448u  /* "HdrS" */
#define LF_LOADED_HIGH        0x01
#define LF_KEEP_SEGMENTS      0x40
#define LF_CAN_USE_HEAP       0x80

/* True if the file carries a setup header ("HdrS" at 0x202). */
bool linux_is_bzimage(const uint8_t *data, size_t size);

/* Load a bzImage: protected-mode kernel at code32_start (1 MiB), initrd as
 * high as the kernel allows, command line and zero page in low memory.
 * Returns 0 or -1 with a message naming the bad field. */
int linux_load(struct boot_target *t, const struct boot_blob *kernel,
               const struct boot_blob *initrd, const char *append,
               struct boot_entry *entry, char *err, size_t errlen);

#endif
