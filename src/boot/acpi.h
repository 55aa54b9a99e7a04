/* ACPI tables of the board (src/boot/acpi.c): written at a fixed address for
 * a kernel booted without firmware, or handed to SeaBIOS through fw_cfg as
 * QEMU does (src/boot/acpi_loader.c writes the linker/loader script). */
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
    /* The PIRQ (0-3 = A-D) a device in `slot` reaches with `pin` (1 = INTA
     * .. 4 = INTD), the board's swizzle (piix3_pirq_of). Set: the DSDT gets
     * the link devices LNKA-LNKD on the PIIX3's PIRQ route registers
     * 0x60-0x63 (00:01.0) and a _PRT for every slot of bus 0. NULL: neither. */
    int (*pirq_of)(unsigned slot, unsigned pin);
};

/* What the HPET table and \_SB.HPE0 describe (src/hw/hpet.h's values). */
#define ACPI_HPET_BASE     0xFED00000u
#define ACPI_HPET_BLOCK_ID 0x8086A201u

/* The tables built position-independently, as QEMU gives them to firmware:
 * two files, the RSDP ("etc/acpi/rsdp", 20 bytes) and all other tables
 * ("etc/acpi/tables": FACS first, then DSDT, FADT, MADT, HPET, RSDT), in
 * which every pointer holds an offset into the tables file. ptr[] lists
 * those 32-bit pointer fields; whoever places the files adds the tables
 * file's address to each, then applies sum[]: the byte at `at` minus the
 * byte sum of [start, start + len) (the field is 0 as built). */
enum acpi_file { ACPI_FILE_RSDP, ACPI_FILE_TABLES, ACPI_FILES };
#define ACPI_RSDP_LEN       20
#define ACPI_BLOB_MAX       0x1f00
#define ACPI_MAX_FIXUPS     12

struct acpi_pointer {
    uint8_t file;                           /* enum acpi_file holding the field */
    uint32_t at;                            /* its offset there; it points into TABLES */
};
struct acpi_checksum {
    uint8_t file;
    uint32_t at, start, len;
};
struct acpi_blob {
    uint8_t rsdp[ACPI_RSDP_LEN];
    uint8_t tables[ACPI_BLOB_MAX];
    uint32_t tables_len;
    struct acpi_pointer ptr[ACPI_MAX_FIXUPS];
    unsigned nptr;
    struct acpi_checksum sum[ACPI_MAX_FIXUPS];
    unsigned nsum;
};

/* Build RSDP, RSDT, FADT, FACS (with p->apic a MADT, with p->hpet an HPET
 * table) and a DSDT holding \_S5, the PCI host bridge (\_SB.PCI0 with its
 * resources, interrupt links and _PRT) and the ISA devices. */
void acpi_build_blob(struct acpi_blob *b, const struct acpi_params *p);

/* Direct boot: the RSDP at buf/base, the tables file at base +
 * ACPI_TABLES_OFF, pointers and checksums applied. buf holds
 * ACPI_TABLES_SIZE bytes at guest-physical `base` (64-byte aligned, memory
 * the OS leaves alone: reserved in the memory map). Returns the RSDP's
 * address. */
#define ACPI_TABLES_OFF  0x40
#define ACPI_TABLES_SIZE (ACPI_TABLES_OFF + ACPI_BLOB_MAX)
uint32_t acpi_build(uint8_t *buf, uint32_t base, const struct acpi_params *p);

/* The fw_cfg file names of the two files, and of the loader script. */
extern const char *const acpi_file_name[ACPI_FILES];
#define ACPI_LOADER_FILE   "etc/table-loader"

/* QEMU's BIOS linker/loader script (hw/acpi/bios-linker-loader.c; SeaBIOS
 * src/fw/romfile_loader.c runs it): 128-byte little-endian entries. */
#define ACPI_LOADER_ENTRY      128
#define ACPI_LOADER_FILESZ     56
#define ACPI_LOADER_ALLOCATE   1        /* file[56], align u32, zone u8 */
#define ACPI_LOADER_ADD_POINTER 2       /* dest[56], src[56], offset u32, size u8 */
#define ACPI_LOADER_ADD_CHECKSUM 3      /* file[56], offset u32, start u32, length u32 */
#define ACPI_LOADER_ZONE_HIGH  1
#define ACPI_LOADER_ZONE_FSEG  2
#define ACPI_LOADER_MAX        ((2 + 2 * ACPI_MAX_FIXUPS) * ACPI_LOADER_ENTRY)

/* Write the script that places b's files as firmware should (the RSDP in
 * the F segment, 16-byte aligned, where an OS scans for it; the tables in
 * high memory, 64-byte aligned for the FACS), then patches b->ptr[] and
 * b->sum[]. out holds ACPI_LOADER_MAX bytes. Returns the script's length. */
uint32_t acpi_loader_script(const struct acpi_blob *b, uint8_t *out);

#endif
