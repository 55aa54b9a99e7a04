/* Linux x86 boot protocol for bzImage kernels, 32-bit entry.
 *
 * Follows Documentation/arch/x86/boot.rst (boot protocol 2.06 and later,
 * "32-bit boot protocol") and zero-page.rst for struct boot_params. The
 * real-mode setup code is not run: like kvmtool and Firecracker, rawbox
 * fills boot_params itself (setup header copied from the file, e820 map
 * from the board, command line, initrd) and enters the protected-mode
 * kernel at code32_start with ESI pointing at boot_params.
 *
 * When the board has an ACPI PM block (t->acpi), minimal ACPI tables
 * (src/boot/acpi.c) go into the reserved F segment after the SMBIOS
 * tables (they no longer fit the EBDA KiB) and acpi_rsdp_addr points at
 * them, so the kernel can power off. SMBIOS tables (src/boot/smbios.c) go
 * at the start of the reserved F segment when the map has one, so the
 * kernel finds DMI data as under a BIOS.
 *
 * With t->linux_unpack the kernel is decompressed on the host and entered
 * directly (src/boot/vmlinux.c) instead of running its own decompressor.
 *
 * Left out: zImage (LOADED_HIGH clear) and protocols before 2.06, the
 * 64-bit and EFI handover entries, setup_data chains, EDD and video mode
 * setting (screen_info describes an 80x25 text mode when the board has
 * VGA, and nothing otherwise, so the kernel uses the serial console).
 *
 * Every field is validated against the file size before use, and every
 * guest address against the memory map; errors name the field. */
#include "boot/linux.h"

#include <stdio.h>
#include "boot/smbios.h"
#include "boot/vmlinux.h"
#include <string.h>

bool linux_is_bzimage(const uint8_t *data, size_t size)
{
    return size >= LH_HEADER + 4 && boot_get32(data + LH_HEADER) == LH_MAGIC;
}

static uint64_t min64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static uint64_t max64(uint64_t a, uint64_t b) { return a > b ? a : b; }

/* Highest page-aligned start for `size` bytes inside RAM, at or above
 * `low`, ending at or below `limit`. Returns 0 if nothing fits. */
static uint64_t place_high(const struct boot_target *t, uint64_t size, uint64_t low,
                           uint64_t limit)
{
    uint64_t best = 0;
    for (int i = 0; i < t->map_len; i++) {
        const struct boot_mem_range *r = &t->map[i];
        if (r->type != E820_RAM)
            continue;
        uint64_t start = max64(r->addr, low);
        uint64_t end = min64(min64(r->addr + r->size, limit), t->ram_size);
        if (end <= start || end - start < size)
            continue;
        uint64_t at = (end - size) & ~(uint64_t)0xfff;
        if (at >= start && at > best)
            best = at;
    }
    return best;
}

static void fill_e820(const struct boot_target *t, uint8_t *zp)
{
    int n = 0;
    for (int i = 0; i < t->map_len && n < BP_E820_MAX; i++, n++) {
        uint8_t *e = zp + BP_E820_TABLE + 20 * n;
        boot_put64(e, t->map[i].addr);
        boot_put64(e + 8, t->map[i].size);
        boot_put32(e + 16, t->map[i].type);
    }
    zp[BP_E820_ENTRIES] = (uint8_t)n;
}

/* The 64-bit boot protocol (boot.rst, "64-bit boot protocol"): 64-bit
 * mode with the kernel, boot_params and command line identity-mapped, a GDT
 * whose __BOOT_CS (0x10) is a flat execute/read code segment, here 64-bit
 * (L=1), and __BOOT_DS (0x18) flat read/write; RSI = boot_params. The map
 * covers 0-4 GiB with 2 MiB pages (one PML4, one PDPT, four PDs), which
 * holds everything the loader placed; startup_64 switches to its own
 * tables before it allocates memory, so these pages are free after that. */
static void enter_64(const struct boot_target *t, struct boot_entry *e)
{
    uint8_t *pg = boot_ram(t, LINUX_PGTABLE_ADDR, LINUX_PGTABLE_SIZE);   /* checked */
    memset(pg, 0, LINUX_PGTABLE_SIZE);
    const uint64_t P_RW = 0x3, PS = 0x80;
    boot_put64(pg, (LINUX_PGTABLE_ADDR + 0x1000) | P_RW);
    for (unsigned i = 0; i < 4; i++) {
        uint64_t pd = LINUX_PGTABLE_ADDR + 0x2000 + 0x1000 * i;
        boot_put64(pg + 0x1000 + 8 * i, pd | P_RW);
        for (unsigned j = 0; j < 512; j++)
            boot_put64(pg + (pd - LINUX_PGTABLE_ADDR) + 8 * j,
                       ((uint64_t)i << 30 | (uint64_t)j << 21) | P_RW | PS);
    }
    uint8_t *g = boot_ram(t, e->gdt_base, 32);                         /* checked */
    boot_put32(g + 20, 0x00AF9B00u);        /* 0x10: L=1, D=0 */
    e->long_mode = true;
    e->cr3 = LINUX_PGTABLE_ADDR;
}

int linux_load(struct boot_target *t, const struct boot_blob *kernel,
               const struct boot_blob *initrd, const char *append,
               struct boot_entry *entry, char *err, size_t errlen)
{
    const uint8_t *k = kernel->data;
    size_t n = kernel->size;
    const char *name = kernel->name ? kernel->name : "kernel";

    /* ---- the setup header ---- */
    if (n < LH_VERSION + 2 || !linux_is_bzimage(k, n)) {
        boot_err(err, errlen, "%s: header: no Linux setup header (\"HdrS\" at 0x202)", name);
        return -1;
    }
    uint16_t boot_flag = boot_get16(k + LH_BOOT_FLAG);
    if (boot_flag != 0xAA55) {
        boot_err(err, errlen, "%s: boot_flag: 0x%04x, expected 0xAA55", name, boot_flag);
        return -1;
    }
    uint16_t version = boot_get16(k + LH_VERSION);
    if (version < 0x206) {
        boot_err(err, errlen, "%s: version: boot protocol %u.%02u is older than 2.06",
                 name, version >> 8, version & 0xff);
        return -1;
    }
    /* The header ends where the short jump at 0x200 lands. */
    if (k[LH_JUMP] != 0xEB) {
        boot_err(err, errlen, "%s: jump: byte 0x%02x at 0x200 is not a short jump, "
                 "so the setup header has no known end", name, k[LH_JUMP]);
        return -1;
    }
    size_t hdr_end = LH_HEADER + (size_t)k[LH_JUMP + 1];
    size_t need_hdr = version >= 0x20A ? LH_INIT_SIZE + 4 : LH_CMDLINE_SIZE + 4;
    if (hdr_end < need_hdr) {
        boot_err(err, errlen, "%s: jump: setup header ends at 0x%zx, before the fields of "
                 "protocol %u.%02u (to 0x%zx)", name, hdr_end, version >> 8, version & 0xff,
                 need_hdr);
        return -1;
    }
    if (hdr_end > LH_END_MAX)
        hdr_end = LH_END_MAX;
    unsigned setup_sects = k[LH_SETUP_SECTS] ? k[LH_SETUP_SECTS] : 4;
    size_t setup_size = (size_t)(setup_sects + 1) * 512;
    if (setup_size >= n) {
        boot_err(err, errlen, "%s: setup_sects: %u setup sectors (%zu bytes) leave no "
                 "protected-mode kernel in a %zu-byte file", name, setup_sects, setup_size, n);
        return -1;
    }
    uint8_t loadflags = k[LH_LOADFLAGS];
    if (!(loadflags & LF_LOADED_HIGH)) {
        boot_err(err, errlen, "%s: loadflags: 0x%02x has LOADED_HIGH clear (a zImage); "
                 "only bzImage kernels are supported", name, loadflags);
        return -1;
    }
    uint32_t code32 = boot_get32(k + LH_CODE32_START);
    if (code32 < 0x100000 || (code32 & 0xfff)) {
        boot_err(err, errlen, "%s: code32_start: 0x%08x is not a page-aligned address "
                 "at or above 1 MiB", name, code32);
        return -1;
    }
    uint32_t align = boot_get32(k + LH_KERNEL_ALIGNMENT);
    bool relocatable = k[LH_RELOCATABLE] != 0;
    if (relocatable && (align < 0x1000 || (align & (align - 1)))) {
        boot_err(err, errlen, "%s: kernel_alignment: 0x%08x is not a power of two of at "
                 "least 4 KiB", name, align);
        return -1;
    }
    uint32_t initrd_max = boot_get32(k + LH_INITRD_ADDR_MAX);
    if (initrd_max < 0x100000) {
        boot_err(err, errlen, "%s: initrd_addr_max: 0x%08x is below 1 MiB", name, initrd_max);
        return -1;
    }
    uint32_t cmdline_size = boot_get32(k + LH_CMDLINE_SIZE);

    /* ---- where the kernel goes and what memory it will use ---- */
    uint64_t load = code32;
    uint64_t pm_size = n - setup_size;
    uint64_t kernel_end = load + pm_size;
    if (!boot_ram(t, load, pm_size)) {
        boot_err(err, errlen, "%s: code32_start: the %llu-byte kernel does not fit in RAM "
                 "at 0x%08llx (RAM ends at 0x%llx)", name, (unsigned long long)pm_size,
                 (unsigned long long)load, (unsigned long long)boot_ram_end(t, load));
        return -1;
    }
    if (version >= 0x20A) {
        /* The decompressor runs in [out, out + init_size): out is the load
         * address rounded up to kernel_alignment, or pref_address if that
         * is higher (a relocatable kernel), or pref_address (a fixed one). */
        uint32_t init_size = boot_get32(k + LH_INIT_SIZE);
        uint64_t pref = (uint64_t)boot_get32(k + 0x258) | (uint64_t)boot_get32(k + 0x25c) << 32;
        uint64_t out = relocatable ? max64((load + align - 1) & ~(uint64_t)(align - 1), pref)
                                   : pref;
        if (out < load)
            out = load;
        if (!boot_ram(t, out, init_size)) {
            boot_err(err, errlen, "%s: init_size: the kernel needs 0x%x bytes of RAM at "
                     "0x%llx to decompress, but RAM ends at 0x%llx", name, init_size,
                     (unsigned long long)out,
                     (unsigned long long)max64(boot_ram_end(t, out), boot_ram_end(t, load)));
            return -1;
        }
        kernel_end = max64(kernel_end, out + init_size);
    }

    struct vmlinux vm = { 0 };
    if (t->linux_unpack) {
        if (vmlinux_unpack(t, k, n, setup_size, name, &vm, err, errlen) < 0)
            return -1;
        kernel_end = max64(kernel_end, vm.end);
    }

    size_t cmd_len = append ? strlen(append) : 0;
    if (cmd_len > cmdline_size) {
        boot_err(err, errlen, "%s: cmdline_size: the command line has %zu bytes, the kernel "
                 "takes at most %u", name, cmd_len, cmdline_size);
        goto fail;
    }
    if (cmd_len >= LINUX_CMDLINE_ROOM) {
        boot_err(err, errlen, "--append: the command line has %zu bytes, at most %u fit",
                 cmd_len, LINUX_CMDLINE_ROOM - 1);
        goto fail;
    }

    if (vm.is64 && !boot_ram(t, LINUX_PGTABLE_ADDR, LINUX_PGTABLE_SIZE)) {
        boot_err(err, errlen, "memory map: low memory 0x%x-0x%x is not RAM; cannot place "
                 "the 64-bit entry's page tables", LINUX_PGTABLE_ADDR,
                 LINUX_PGTABLE_ADDR + LINUX_PGTABLE_SIZE);
        goto fail;
    }
    uint8_t *gdt_p = boot_ram(t, LINUX_GDT_ADDR, 32);
    uint8_t *zp = boot_ram(t, LINUX_ZERO_PAGE_ADDR, 4096);
    uint8_t *cmd = boot_ram(t, LINUX_CMDLINE_ADDR, cmd_len + 1);
    if (!gdt_p || !zp || !cmd) {
        boot_err(err, errlen, "memory map: low memory 0x%x-0x%llx is not RAM; cannot place "
                 "boot_params", LINUX_GDT_ADDR,
                 (unsigned long long)(LINUX_CMDLINE_ADDR + cmd_len));
        goto fail;
    }

    uint8_t *acpi = NULL;
    if (t->acpi.pm_base) {
        /* The tables go where the map reserves memory, never into RAM the
         * kernel may hand out. */
        if (LINUX_ACPI_ADDR + ACPI_TABLES_SIZE > t->ram_size ||
            boot_ram(t, LINUX_ACPI_ADDR, 1) ||
            boot_ram(t, LINUX_ACPI_ADDR + ACPI_TABLES_SIZE - 1, 1)) {
            boot_err(err, errlen, "memory map: 0x%x-0x%x is not reserved memory; "
                     "cannot place the ACPI tables", LINUX_ACPI_ADDR,
                     LINUX_ACPI_ADDR + ACPI_TABLES_SIZE - 1);
            goto fail;
        }
        acpi = t->ram + LINUX_ACPI_ADDR;
    }

    uint64_t rd_addr = 0, rd_size = 0;
    if (initrd && initrd->size) {
        rd_size = initrd->size;
        rd_addr = place_high(t, rd_size, (kernel_end + 0xfff) & ~(uint64_t)0xfff,
                             min64((uint64_t)initrd_max + 1, 1ull << 32));
        if (!rd_addr) {
            boot_err(err, errlen, "%s: initrd_addr_max: initrd %s (%llu bytes) does not fit "
                     "between the kernel's end 0x%llx and min(initrd_addr_max 0x%08x, RAM end)",
                     name, initrd->name ? initrd->name : "", (unsigned long long)rd_size,
                     (unsigned long long)kernel_end, initrd_max);
            goto fail;
        }
    }

    /* ---- everything checked: write guest memory ---- */
    if (vm.img)
        vmlinux_load(t, &vm);
    else
        memcpy(boot_ram(t, load, pm_size), k + setup_size, pm_size);
    if (rd_size)
        memcpy(boot_ram(t, rd_addr, rd_size), initrd->data, rd_size);
    if (cmd_len)
        memcpy(cmd, append, cmd_len);
    cmd[cmd_len] = 0;

    memset(zp, 0, 4096);
    memcpy(zp + BP_HDR, k + LH_SETUP_SECTS, hdr_end - LH_SETUP_SECTS);
    zp[LH_TYPE_OF_LOADER] = 0xFF;           /* undefined loader: no ID assigned */
    zp[LH_LOADFLAGS] = (uint8_t)(loadflags | LF_CAN_USE_HEAP);
    boot_put16(zp + LH_HEAP_END_PTR, 0xFE00);
    boot_put32(zp + LH_CODE32_START, (uint32_t)load);
    boot_put32(zp + LH_CMD_LINE_PTR, LINUX_CMDLINE_ADDR);
    boot_put32(zp + LH_RAMDISK_IMAGE, (uint32_t)rd_addr);
    boot_put32(zp + LH_RAMDISK_SIZE, (uint32_t)rd_size);
    fill_e820(t, zp);
    /* SMBIOS in the F segment if it is reserved memory (not RAM the
     * kernel may hand out, not missing): the kernel scans it for "_SM_". */
    if (SMBIOS_ADDR + SMBIOS_TABLES_SIZE <= t->ram_size && !boot_ram(t, SMBIOS_ADDR, 1))
        smbios_build(t->ram + SMBIOS_ADDR, SMBIOS_ADDR);
    if (acpi)
        boot_put64(zp + BP_ACPI_RSDP_ADDR, acpi_build(acpi, LINUX_ACPI_ADDR, &t->acpi));

    uint64_t ext_end = boot_ram_end(t, 0x100000);
    uint64_t ext_k = ext_end > 0x100000 ? (ext_end - 0x100000) >> 10 : 0;
    boot_put16(zp + BP_EXT_MEM_K, (uint16_t)min64(ext_k, 0xFFFF));
    boot_put32(zp + BP_ALT_MEM_K, (uint32_t)min64(ext_k, 0xFFFFFFFFu));
    if (t->vga_text) {
        zp[BP_ORIG_VIDEO_MODE] = 3;
        zp[BP_ORIG_VIDEO_COLS] = 80;
        zp[BP_ORIG_VIDEO_LINES] = 25;
        zp[BP_ORIG_VIDEO_ISVGA] = 1;
        boot_put16(zp + BP_ORIG_VIDEO_POINTS, 16);
    }

    memset(entry, 0, sizeof(*entry));
    boot_write_gdt(t, LINUX_GDT_ADDR, entry);   /* checked above (gdt_p) */
    entry->eip = vm.img ? vm.entry : (uint32_t)load;
    entry->kernel64 = vm.is64 ||
                      (version >= 0x20c && hdr_end > LH_XLOADFLAGS + 1 &&
                       (boot_get16(k + LH_XLOADFLAGS) & XLF_KERNEL_64));
    if (vm.is64)
        enter_64(t, entry);
    vmlinux_free(&vm);
    entry->esi = LINUX_ZERO_PAGE_ADDR;
    entry->esp = LINUX_ZERO_PAGE_ADDR;      /* free RAM below the zero page */
    return 0;
fail:
    vmlinux_free(&vm);
    return -1;
}
