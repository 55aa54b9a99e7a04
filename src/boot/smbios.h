/* Minimal SMBIOS tables for kernels booted without firmware
 * (src/boot/smbios.c), so the OS finds DMI data as it does under a BIOS. */
#ifndef RAWBOX_BOOT_SMBIOS_H
#define RAWBOX_BOOT_SMBIOS_H

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

#endif
