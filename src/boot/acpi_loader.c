/* The BIOS linker/loader script that hands the ACPI tables to SeaBIOS
 * through fw_cfg ("etc/table-loader"), as QEMU does.
 *
 * Facts from QEMU's hw/acpi/bios-linker-loader.c (the format's
 * documentation) and SeaBIOS's src/fw/romfile_loader.c (what runs it): the
 * script is a sequence of 128-byte little-endian entries, a u32 command then
 * its arguments, with file names in 56-byte NUL-padded fields:
 *   ALLOCATE (1): file, align u32 (a power of 2), zone u8 (1 high memory,
 *     2 the F segment). The firmware copies the fw_cfg file there. Each file
 *     is allocated once, before any command names it.
 *   ADD_POINTER (2): dest file, src file, offset u32, size u8 (1, 2, 4, 8):
 *     the size-byte little-endian value at dest + offset gets src's address
 *     added.
 *   ADD_CHECKSUM (3): file, offset u32, start u32, length u32: the byte at
 *     offset gets minus the byte sum of [start, start + length) added.
 * SeaBIOS finds the RSDP by scanning the F segment after running the script
 * and, when it finds one, builds no tables of its own. */
#include <string.h>

#include "boot/acpi.h"
#include "boot/loader.h"

static uint8_t *entry(uint8_t *out, uint32_t *len, uint32_t command)
{
    uint8_t *e = out + *len;
    memset(e, 0, ACPI_LOADER_ENTRY);
    boot_put32(e, command);
    *len += ACPI_LOADER_ENTRY;
    return e + 4;
}

static void file_field(uint8_t *at, unsigned file)
{
    strncpy((char *)at, acpi_file_name[file], ACPI_LOADER_FILESZ - 1);
}

uint32_t acpi_loader_script(const struct acpi_blob *b, uint8_t *out)
{
    static const uint32_t align[ACPI_FILES] = { 16, 64 };
    static const uint8_t zone[ACPI_FILES] = { ACPI_LOADER_ZONE_FSEG, ACPI_LOADER_ZONE_HIGH };
    uint32_t len = 0;

    for (unsigned f = 0; f < ACPI_FILES; f++) {
        uint8_t *e = entry(out, &len, ACPI_LOADER_ALLOCATE);
        file_field(e, f);
        boot_put32(e + ACPI_LOADER_FILESZ, align[f]);
        e[ACPI_LOADER_FILESZ + 4] = zone[f];
    }
    for (unsigned k = 0; k < b->nptr; k++) {
        uint8_t *e = entry(out, &len, ACPI_LOADER_ADD_POINTER);
        file_field(e, b->ptr[k].file);
        file_field(e + ACPI_LOADER_FILESZ, ACPI_FILE_TABLES);
        boot_put32(e + 2 * ACPI_LOADER_FILESZ, b->ptr[k].at);
        e[2 * ACPI_LOADER_FILESZ + 4] = 4;
    }
    /* After the pointers, which the checksums cover. */
    for (unsigned k = 0; k < b->nsum; k++) {
        const struct acpi_checksum *c = &b->sum[k];
        uint8_t *e = entry(out, &len, ACPI_LOADER_ADD_CHECKSUM);
        file_field(e, c->file);
        boot_put32(e + ACPI_LOADER_FILESZ, c->at);
        boot_put32(e + ACPI_LOADER_FILESZ + 4, c->start);
        boot_put32(e + ACPI_LOADER_FILESZ + 8, c->len);
    }
    return len;
}
