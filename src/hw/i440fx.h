/* Intel 82441FX PCI and memory controller, "i440FX" host bridge
 * (src/hw/i440fx.c): PCI 00:00.0, 8086:1237.
 *
 * The board owns the memory map; this device tells it through callbacks
 * how the PAM registers (0x59-0x5F) want each BIOS/option-ROM segment of
 * 0xC0000-0xFFFFF routed, and whether SMRAM (0xA0000-0xBFFFF) is open. */
#ifndef RAWBOX_HW_I440FX_H
#define RAWBOX_HW_I440FX_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/pci.h"

/* PAM modes: where reads and writes of a segment go. */
#define PAM_READ_RAM  1             /* else reads go to ROM / PCI */
#define PAM_WRITE_RAM 2             /* else writes go to ROM (dropped) / PCI */

struct i440fx_ops {
    /* Segment [base, base+size) now has mode PAM_READ_RAM|PAM_WRITE_RAM. */
    void (*pam)(void *opaque, uint32_t base, uint32_t size, unsigned mode);
    /* SMRAM visible to normal (non-SMM) accesses at 0xA0000-0xBFFFF. */
    void (*smram)(void *opaque, bool open);
    void *opaque;
};

#define I440FX_PAM_SEGMENTS 13

struct i440fx {
    struct pci_device pci;
    struct i440fx_ops ops;
    uint8_t pam_mode[I440FX_PAM_SEGMENTS];  /* as last reported */
    bool smram_open;
    bool smram_locked;
};

/* Registers at 00:00.0 and reports every segment's mode once. */
int i440fx_init(struct i440fx *s, struct pci_bus *bus, const struct i440fx_ops *ops)
    __attribute__((warn_unused_result));
void i440fx_reset(struct i440fx *s);
/* Base, size and current mode of PAM segment i (0 = 0xF0000, 64 KiB). */
void i440fx_pam_segment(const struct i440fx *s, int i, uint32_t *base, uint32_t *size,
                        unsigned *mode);

#endif
