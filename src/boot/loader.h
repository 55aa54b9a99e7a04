/* Kernel loaders: what they share, and the entry points the board calls.
 *
 * A loader takes a kernel image (and initrds or modules) from host memory,
 * validates every field it uses against the file's size and the guest's
 * memory map, writes the image and the boot-information structures into
 * guest RAM, and describes the CPU state at the kernel's entry in a
 * struct boot_entry. It never touches the vCPU itself: boot_enter()
 * (src/boot/entry.c) applies that record, so the loaders can be unit
 * tested on a plain buffer standing in for guest RAM.
 *
 * Formats: the Linux x86 boot protocol 2.06+ for bzImage (src/boot/linux.c)
 * and Multiboot v1 (src/boot/multiboot.c). src/boot/loader.c detects which
 * one a file is, reads files, and splits --initrd lists.
 *
 * Guest RAM is seen as one host buffer mapped linearly at guest-physical
 * address 0 (as the PC board maps RAM below the PCI hole); the loaders write
 * only where the memory map says RAM. Errors are one line naming the file and
 * the field, written to the caller's buffer; the CLI prints it as
 * "rawbox: <line>" and exits with status 2. */
#ifndef RAWBOX_BOOT_LOADER_H
#define RAWBOX_BOOT_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/acpi.h"

/* Memory map entry types, as in the BIOS E820 call (ACPI spec 6.5 s15). */
enum { E820_RAM = 1, E820_RESERVED = 2, E820_ACPI = 3, E820_NVS = 4 };

struct boot_mem_range {
    uint64_t addr, size;
    uint32_t type;
};

#define BOOT_MAX_MAP 32

/* The guest as the loaders see it. */
struct boot_target {
    uint8_t *ram;               /* host view of guest-physical [0, ram_size) */
    uint64_t ram_size;
    struct boot_mem_range map[BOOT_MAX_MAP];
    int map_len;
    bool vga_text;              /* a VGA text console exists (screen_info) */
    struct acpi_params acpi;    /* pm_base != 0: give Linux ACPI tables */
    bool linux_unpack;          /* decompress bzImage kernels on the host */
};

/* A file in host memory. `args` is the text after the file name in an
 * --initrd item (Multiboot module command line), or NULL. */
struct boot_blob {
    const uint8_t *data;
    size_t size;
    const char *name;
    const char *args;
};

/* The CPU state at the kernel entry: 32-bit protected mode, paging off,
 * interrupts off, flat segments from a GDT the loader wrote to guest RAM
 * (code selector `cs`, data selector `ds` for DS/ES/FS/GS/SS). */
struct boot_entry {
    uint32_t eip;
    /* The 64-bit boot protocol instead (an x86-64 vmlinux entered
     * directly): 64-bit mode, paging on with CR3 = cr3 (an identity map
     * of the low 4 GiB), CS a 64-bit code segment. */
    bool long_mode;
    uint32_t cr3;
    bool kernel64;      /* an x86-64 kernel: the CPU needs long mode */
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp;
    uint32_t gdt_base;
    uint16_t gdt_limit;
    uint16_t cs, ds;
};

enum boot_format { BOOT_UNKNOWN, BOOT_LINUX, BOOT_MULTIBOOT };

#define BOOT_ERR_LEN 256

/* Fill t->map with the PC map for `ram_size` bytes of RAM: RAM below the
 * EBDA (0x9FC00), the EBDA, the BIOS area 0xF0000-0xFFFFF reserved, and RAM
 * from 1 MiB to the end. */
void boot_pc_map(struct boot_target *t, uint64_t ram_size);

/* Which loader a file is for. A Multiboot header whose checksum does not
 * match is not a header (Multiboot spec 3.1.1); *bad_mb_off (may be NULL)
 * then gets its offset, so the error can name it. */
enum boot_format boot_detect(const uint8_t *data, size_t size, long *bad_mb_off);

/* Load a kernel and its initrds/modules (nmods may be 0) into the target.
 * Linux takes the initrds concatenated (the kernel unpacks each cpio
 * archive in turn); Multiboot gets one module each. Returns 0, or -1 with a
 * one-line message in err. */
int boot_load_images(struct boot_target *t, const struct boot_blob *kernel,
                     const struct boot_blob *mods, int nmods, const char *append,
                     struct boot_entry *entry, char *err, size_t errlen);

/* The same from files: `initrd` is NULL or a comma-separated list of
 * "PATH[ ARGS]" items. */
int boot_load_files(struct boot_target *t, const char *kernel, const char *initrd,
                    const char *append, struct boot_entry *entry, char *err, size_t errlen);

/* ---- helpers shared by the loaders (src/boot/loader.c) ---- */

/* Host pointer for guest-physical [pa, pa+len) if all of it is RAM in the
 * map and in the buffer, else NULL. */
uint8_t *boot_ram(const struct boot_target *t, uint64_t pa, uint64_t len);
/* End (exclusive) of the RAM map entry holding pa, or 0. */
uint64_t boot_ram_end(const struct boot_target *t, uint64_t pa);
/* Write the 4-entry flat GDT (null, null, code 0x10, data 0x18) at pa and
 * point the entry record at it. Returns false if pa is not RAM. */
bool boot_write_gdt(const struct boot_target *t, uint64_t pa, struct boot_entry *e);
void boot_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static inline uint16_t boot_get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t boot_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void boot_put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void boot_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static inline void boot_put64(uint8_t *p, uint64_t v)
{
    boot_put32(p, (uint32_t)v);
    boot_put32(p + 4, (uint32_t)(v >> 32));
}

#endif
