/* Minimal SMBIOS tables (src/boot/smbios.c) for kernels booted without
 * firmware, and for SeaBIOS through fw_cfg, so the OS finds DMI data. */
#ifndef RAWBOX_BOOT_SMBIOS_H
#define RAWBOX_BOOT_SMBIOS_H

#include <stdbool.h>
#include <stdint.h>

/* Where the loader puts them: the start of the reserved F segment, the
 * range an OS scans for the "_SM_" anchor (SMBIOS 3.x spec 5.2.1). */
#define SMBIOS_ADDR 0xF0000u
#define SMBIOS_TABLES_SIZE 0x100    /* bytes smbios_build() may write */

/* Write an SMBIOS 2.4 entry point and a structure table (BIOS information,
 * system information, end of table) into buf, which sits at
 * guest-physical `base` (16-byte aligned, below 1 MiB, reserved in the
 * memory map). Returns the number of bytes written. */
uint32_t smbios_build(uint8_t *buf, uint32_t base);

/* The same as two pieces, as QEMU hands them to SeaBIOS through fw_cfg
 * ("etc/smbios/smbios-anchor", "etc/smbios/smbios-tables"): the entry point
 * (structure table at table_addr; SeaBIOS sets the address and the
 * checksums again when it places the table) and the structures. Without
 * with_bios there is no type 0: the firmware adds its own. */
#define SMBIOS_EP_LEN 0x1f          /* 32-bit entry point */
#define SMBIOS_BLOB_MAX 0xe0
struct smbios_blob {
    uint8_t anchor[SMBIOS_EP_LEN];
    uint8_t tables[SMBIOS_BLOB_MAX];
    uint16_t tables_len;
};
void smbios_build_blob(struct smbios_blob *b, bool with_bios, uint32_t table_addr);

#endif
