/* Minimal ACPI tables for kernels booted without firmware (src/boot/acpi.c). */
#ifndef RAWBOX_BOOT_ACPI_H
#define RAWBOX_BOOT_ACPI_H

#include <stdbool.h>
#include <stdint.h>

/* The board's ACPI power-management block, as the tables describe it:
 *   pm_base + 0: PM1a_EVT_BLK, 4 bytes (PM1_STS word, PM1_EN word)
 *   pm_base + 4: PM1a_CNT_BLK, 2 bytes (SCI_EN bit 0, SLP_TYP bits 10-12,
 *                SLP_EN bit 13: writing SLP_EN with SLP_TYP = s5_slp_typ
 *                powers the machine off)
 *   pm_base + 8: PM_TMR_BLK, 4 bytes (24-bit counter at 3.579545 MHz)
 * and the SCI on ISA IRQ sci_irq (level, active high through the PIC's
 * ELCR). pm_base 0 means the board has no such block: no tables. */
struct acpi_params {
    uint16_t pm_base;
    uint8_t sci_irq;
    uint8_t s5_slp_typ;
    /* Start of the PCI memory window the host bridge's _CRS describes
     * (up to 0xFEBFFFFF): the first address above RAM. 0 = no window. */
    uint32_t pci_mem_start;
    /* The board has a local APIC at 0xFEE00000 and an I/O APIC at
     * 0xFEC00000 (ISA IRQ0 on pin 2): add a MADT. */
    bool apic;
    /* The board has the HPET at 0xFED00000 (src/hw/hpet.h): add an HPET
     * table and the DSDT device \_SB.HPE0 (PNP0103). */
    bool hpet;
};

/* What the HPET table and \_SB.HPE0 describe (src/hw/hpet.h's values). */
#define ACPI_HPET_BASE     0xFED00000u
#define ACPI_HPET_BLOCK_ID 0x8086A201u

#define ACPI_TABLES_SIZE 0x400     /* bytes acpi_build() writes (the whole reserved EBDA KiB) */

/* Write RSDP, RSDT, FADT, FACS (and with p->apic a MADT) and a DSDT holding \_S5, the PCI host
 * bridge (\_SB.PCI0 with its resources) and the ISA devices into buf,
 * which
 * sits at guest-physical `base` (64-byte aligned, memory the OS leaves
 * alone: reserved in the memory map). Returns the RSDP's address. */
uint32_t acpi_build(uint8_t *buf, uint32_t base, const struct acpi_params *p);

#endif
