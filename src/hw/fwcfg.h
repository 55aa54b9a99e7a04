/* QEMU firmware configuration interface, "fw_cfg" (src/hw/fwcfg.c).
 *
 * How the board hands firmware (SeaBIOS, OVMF) its configuration: RAM
 * layout, CPU count, boot order, ACPI tables, named files. Items are byte
 * blobs under 16-bit keys; keys 0x0020 and up are named files listed in the
 * directory item (key 0x0019). The board fills the items before the guest
 * runs; the guest reads them through I/O ports:
 *   base+0 (0x510)  16-bit write: select a key (rewinds to offset 0)
 *   base+1 (0x511)  8-bit read: next byte of the selected item
 *   base+4 (0x514)  DMA address, 64-bit big endian; writing the low half
 *                   (0x518) starts the transfer. Reads give "QEMU CFG".
 * Layouts follow QEMU's docs/specs/fw_cfg.rst. */
#ifndef RAWBOX_HW_FWCFG_H
#define RAWBOX_HW_FWCFG_H

#include <stdbool.h>
#include <stdint.h>

struct iobus;
struct physmem;
struct savestate;

#define FWCFG_PORT          0x510   /* selector; data at +1, DMA at +4 */

/* Keys of the fixed items. */
#define FWCFG_SIGNATURE     0x0000  /* "QEMU" */
#define FWCFG_ID            0x0001  /* u32 LE feature bits, below */
#define FWCFG_UUID          0x0002
#define FWCFG_RAM_SIZE      0x0003  /* u64 LE */
#define FWCFG_NOGRAPHIC     0x0004  /* u16 LE: 1 = no display */
#define FWCFG_NB_CPUS       0x0005  /* u16 LE */
#define FWCFG_MACHINE_ID    0x0006
#define FWCFG_NUMA          0x000d
#define FWCFG_BOOT_MENU     0x000e  /* u16 LE */
#define FWCFG_MAX_CPUS      0x000f  /* u16 LE */
#define FWCFG_FILE_DIR      0x0019
#define FWCFG_FILE_FIRST    0x0020
#define FWCFG_WRITE_CHANNEL 0x4000  /* ignored in selectors, as QEMU does */
#define FWCFG_ARCH_LOCAL    0x8000  /* x86 items: */
#define FWCFG_ACPI_TABLES   0x8000  /*   u16 count (legacy) */
#define FWCFG_SMBIOS        0x8001  /*   u16 count (legacy) */
#define FWCFG_IRQ0_OVERRIDE 0x8002  /*   u8 */
#define FWCFG_E820_TABLE    0x8003  /*   u32 count + reservations (legacy) */

#define FWCFG_ID_TRADITIONAL 0x01
#define FWCFG_ID_DMA         0x02

/* DMA control word bits (big endian in guest memory). */
#define FWCFG_DMA_ERROR  0x01
#define FWCFG_DMA_READ   0x02
#define FWCFG_DMA_SKIP   0x04
#define FWCFG_DMA_SELECT 0x08
#define FWCFG_DMA_WRITE  0x10

#define FWCFG_MAX_FILES  48
#define FWCFG_NAME_LEN   56         /* with the NUL */
#define FWCFG_KEYS       (FWCFG_FILE_FIRST + FWCFG_MAX_FILES)
#define FWCFG_ARCH_KEYS  8
#define FWCFG_MAX_ITEM   (16u << 20)   /* refuse items above 16 MiB */

struct fwcfg_item {
    uint8_t *data;              /* owned copy; NULL: empty (reads 0) */
    uint32_t len;
    bool writable;              /* DMA writes allowed */
};

struct fwcfg {
    struct physmem *mem;        /* for DMA; NULL: no DMA interface */
    struct fwcfg_item items[FWCFG_KEYS];
    struct fwcfg_item arch[FWCFG_ARCH_KEYS];
    char names[FWCFG_MAX_FILES][FWCFG_NAME_LEN];
    unsigned nfiles;
    /* guest-visible state */
    uint16_t key;               /* as written, write/arch bits included */
    uint32_t offset;            /* read position in the selected item */
    uint64_t dma_addr;          /* high half latched by a write to +4 */
    uint64_t dma_transfers, dma_errors;
};

/* Register at `port` (data at port+1; DMA at port+4 when mem is not NULL)
 * and add the signature, ID and an empty file directory. */
int fwcfg_init(struct fwcfg *s, struct iobus *io, uint16_t port, struct physmem *mem)
    __attribute__((warn_unused_result));
void fwcfg_free(struct fwcfg *s);
/* Selector back to the signature, DMA address cleared; items are kept. */
void fwcfg_reset(struct fwcfg *s);

/* Set item `key` (fixed or arch-local) to a copy of data[0..len). */
int fwcfg_add_bytes(struct fwcfg *s, uint16_t key, const void *data, uint32_t len)
    __attribute__((warn_unused_result));
int fwcfg_add_u16(struct fwcfg *s, uint16_t key, uint16_t v) __attribute__((warn_unused_result));
int fwcfg_add_u32(struct fwcfg *s, uint16_t key, uint32_t v) __attribute__((warn_unused_result));
int fwcfg_add_u64(struct fwcfg *s, uint16_t key, uint64_t v) __attribute__((warn_unused_result));
/* Add (or replace) the named file; returns its key or -1. The directory
 * lists files sorted by name, as QEMU's does. */
int fwcfg_add_file(struct fwcfg *s, const char *name, const void *data, uint32_t len,
                   bool writable) __attribute__((warn_unused_result));
/* The item behind `key` (write/arch bits as in a selector), or NULL. */
const struct fwcfg_item *fwcfg_item(const struct fwcfg *s, uint16_t key);

/* Guest-visible state only (selector, offset, DMA address); the items are
 * configuration the board rebuilds. */
void fwcfg_save(const struct fwcfg *s, struct savestate *ss);
int fwcfg_load(struct fwcfg *s, struct savestate *ss);

#endif
