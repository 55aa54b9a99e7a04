/* PCI bus 0 with configuration mechanism #1 (src/hw/pci.c): CONFIG_ADDRESS
 * at 0xCF8 (32-bit accesses only), CONFIG_DATA at 0xCFC-0xCFF. A byte
 * access to 0xCF9 goes to the chipset's reset control register when one is
 * hooked (PIIX3 does).
 *
 * A device is a 256-byte configuration space with a write mask (bits the
 * guest may change) and a write-1-to-clear mask (status bits), plus an
 * optional hook run after each guest write so the device can react
 * (BAR moves, PAM changes, IRQ routing). After a restore the hook is
 * called once with size 0: re-apply everything from the config space. */
#ifndef RAWBOX_HW_PCI_H
#define RAWBOX_HW_PCI_H

#include <stdbool.h>
#include <stdint.h>

struct iobus;
struct savestate;
struct pci_device;

#define PCI_DEVFN(slot, fn) ((unsigned)(slot) << 3 | (unsigned)(fn))

/* Standard header offsets. */
#define PCI_VENDOR_ID     0x00
#define PCI_DEVICE_ID     0x02
#define PCI_COMMAND       0x04
#define PCI_STATUS        0x06
#define PCI_REVISION      0x08
#define PCI_CLASS_PROG    0x09
#define PCI_HEADER_TYPE   0x0e
#define PCI_BAR0          0x10
#define PCI_SUBSYS_VENDOR 0x2c
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d

typedef void (*pci_write_hook)(struct pci_device *d, unsigned off, uint32_t val, unsigned size);

struct pci_device {
    uint8_t config[256];
    uint8_t wmask[256];
    uint8_t w1cmask[256];
    uint32_t bar_size[6];       /* 0: not implemented */
    unsigned devfn;
    const char *name;
    pci_write_hook write_hook;  /* after the masked write; may be NULL */
    void *opaque;               /* the device model owning this function */
};

struct pci_bus {
    struct pci_device *dev[256];
    uint32_t addr;              /* CONFIG_ADDRESS */
    /* 0xCF9 byte accesses (reset control), set by the south bridge. */
    void (*cf9_write)(void *opaque, uint8_t v);
    uint8_t (*cf9_read)(void *opaque);
    void *cf9_opaque;
};

/* Registers 0xCF8 (4 ports) and 0xCFC (4 ports). */
int pci_bus_init(struct pci_bus *b, struct iobus *io) __attribute__((warn_unused_result));

/* Fill IDs and the default masks (command, status, latency, interrupt
 * line). class_code is the 24-bit class/subclass/prog-if. */
void pci_device_init(struct pci_device *d, const char *name, uint16_t vendor, uint16_t device,
                     uint32_t class_code, uint8_t revision, uint8_t header_type);
/* Fails when the slot is taken or devfn is out of range. */
int pci_register(struct pci_bus *b, struct pci_device *d, unsigned devfn)
    __attribute__((warn_unused_result));
/* Declare BAR n: size a power of two (>= 16 for memory, >= 4 for I/O). */
void pci_set_bar(struct pci_device *d, int n, uint32_t size, bool io);
/* Current base of BAR n (flags stripped). */
uint32_t pci_bar_base(const struct pci_device *d, int n);

/* Config space access as the guest sees it (masks applied on write). */
uint32_t pci_config_read(struct pci_device *d, unsigned off, unsigned size);
void pci_config_write(struct pci_device *d, unsigned off, uint32_t val, unsigned size);
/* Device-side accessors (no masks). */
void pci_set8(struct pci_device *d, unsigned off, uint8_t v);
void pci_set16(struct pci_device *d, unsigned off, uint16_t v);
void pci_set32(struct pci_device *d, unsigned off, uint32_t v);
uint16_t pci_get16(const struct pci_device *d, unsigned off);
uint32_t pci_get32(const struct pci_device *d, unsigned off);

/* One section per device ("pci.00:01.0") plus "pci-bus" for the address. */
void pci_bus_save(const struct pci_bus *b, struct savestate *ss);
int pci_bus_load(struct pci_bus *b, struct savestate *ss);

#endif
