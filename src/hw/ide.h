/* PIIX3 IDE controller (src/hw/ide.c, ide_bm.c, atapi.c): PCI function
 * 00:01.1 (8086:7010, class 0x0101, prog-if 0x80: both channels in legacy
 * mode, bus master capable), two channels at the ISA addresses
 *   primary    0x1F0-0x1F7, 0x3F6   IRQ 14
 *   secondary  0x170-0x177, 0x376   IRQ 15
 * with a master and a slave each: ATA disks or an ATAPI CD-ROM, backed by
 * disk images (src/block). Bus-master DMA (SFF-8038i) through BAR4, 16
 * ports: 8 per channel.
 *
 * Image I/O goes through the image's aio queue, so the vCPU never waits on
 * the host disk: a command that needs the image sets BSY, queues the
 * request, and finishes (DRQ or completion, IRQ) when the board's poll on
 * block_aio_fd() runs ide_poll(). */
#ifndef RAWBOX_HW_IDE_H
#define RAWBOX_HW_IDE_H

#include <stdbool.h>
#include <stdint.h>
#include "block/block.h"
#include "hw/irq.h"
#include "hw/pci.h"

struct iobus;
struct physmem;
struct savestate;

#define IDE_CHANNELS 2
#define IDE_UNITS 2
#define IDE_PRIMARY_BASE 0x1F0
#define IDE_PRIMARY_CTL 0x3F6
#define IDE_SECONDARY_BASE 0x170
#define IDE_SECONDARY_CTL 0x376
/* The device buffer: image reads and writes go through it in pieces of at
 * most this much (4096 disk sectors, 1024 CD sectors). Large enough for a
 * whole request of Linux's (max_sectors_kb 1280) in one image read: each
 * piece is a round trip through the aio thread, which at 128 KiB held
 * sequential DMA reads to 0.65x QEMU's throughput. */
#define IDE_BUF_SIZE (2u << 20)
#define IDE_MAX_MULT 16         /* READ/WRITE MULTIPLE block size limit */

/* Status register */
#define ATA_ST_ERR  0x01
#define ATA_ST_DRQ  0x08
#define ATA_ST_DSC  0x10        /* seek complete (obsolete; still set) */
#define ATA_ST_DF   0x20
#define ATA_ST_DRDY 0x40
#define ATA_ST_BSY  0x80
/* Error register */
#define ATA_ER_AMNF 0x01
#define ATA_ER_ABRT 0x04
#define ATA_ER_IDNF 0x10
#define ATA_ER_UNC  0x40
/* Device control register */
#define ATA_DC_NIEN 0x02
#define ATA_DC_SRST 0x04
#define ATA_DC_HOB  0x80

enum ide_kind { IDE_NONE, IDE_DISK, IDE_CDROM };

/* What the data port is doing (saved by name: values are stable). */
enum ide_xfer_kind {
    XFER_NONE = 0,
    XFER_BUF_IN,            /* bytes of buf for the guest (IDENTIFY, ATAPI replies) */
    XFER_ATA_READ,          /* disk sectors through buf */
    XFER_ATA_WRITE,
    XFER_PACKET,            /* receiving an ATAPI command packet */
    XFER_CD_READ,           /* CD sectors through buf */
};

/* ATAPI state (atapi.c). */
struct atapi_state {
    uint8_t sense_key, asc, ascq;
    bool unit_attention;        /* medium changed since the guest last looked */
    bool locked;                /* PREVENT MEDIUM REMOVAL */
    bool tray_open;             /* ejected by START STOP UNIT: no medium */
    bool dma_req;               /* PACKET with the DMA feature bit */
    bool event_pending;         /* a media event for GET EVENT STATUS */
    uint8_t event_code;
    uint8_t cdb[12];
    uint16_t byte_limit;        /* LBA mid/high at PACKET: bytes per DRQ */
};

struct ide_channel;

struct ide_drive {
    enum ide_kind kind;
    struct ide_channel *ch;
    unsigned unit;              /* 0 master, 1 slave */
    struct block *blk;          /* NULL: no medium (a CD-ROM without a disc) */
    struct block_aio *aio;
    uint64_t sectors;           /* in the device's sectors: 512 (disk), 2048 (CD) */
    bool readonly;
    char serial[21];
    /* The task file. Writes go to both drives of a channel, as on the
     * cable; hob_* hold the previous value (48-bit commands). */
    uint8_t feature, nsector, lba_lo, lba_mid, lba_hi, device;
    uint8_t hob_feature, hob_nsector, hob_lba_lo, hob_lba_mid, hob_lba_hi;
    uint8_t status, error;
    bool irq_pending;           /* INTRQ asserted (cleared by a status read) */
    /* Settings. */
    uint8_t mult_sectors;       /* SET MULTIPLE MODE; 0 = off */
    uint8_t heads, spt;         /* CHS translation (INITIALIZE DEVICE PARAMETERS) */
    uint16_t cyls;
    uint8_t xfer_mode;          /* SET FEATURES 03h value */
    bool wcache;
    /* The command in progress. */
    uint8_t cmd;
    enum ide_xfer_kind xfer;
    bool dma;                   /* data moves by bus master, not the data port */
    bool dma_write;             /* memory -> device */
    bool lba48;
    uint64_t lba;               /* next image sector to go through buf */
    uint32_t left;              /* sectors not yet through buf */
    uint32_t done_sectors;      /* sectors of the command completed */
    uint32_t chunk;             /* sectors in buf now */
    uint32_t drq_bytes;         /* ATA: bytes per DRQ block */
    uint32_t pos, have, drq_end;  /* data port window in buf */
    uint8_t *buf;               /* IDE_BUF_SIZE */
    /* The image request in flight. */
    struct block_req req;
    bool req_busy;
    uint32_t gen;               /* bumped by reset: stale completions drop */
    uint32_t req_gen;
    struct atapi_state atapi;
};

/* SFF-8038i bus master, one per channel. */
#define BM_CMD_START 0x01
#define BM_CMD_READ  0x08       /* the device reads: data goes to memory */
#define BM_ST_ACTIVE 0x01
#define BM_ST_ERROR  0x02
#define BM_ST_INTR   0x04
#define BM_ST_DRV0   0x20
#define BM_ST_DRV1   0x40

struct ide_bm {
    uint8_t cmd, status;
    uint32_t prd_table;         /* PRD table address (dword aligned) */
    /* Walk state of the current transfer. */
    uint32_t cur_prd;           /* next PRD entry's address */
    uint32_t cur_addr, cur_len; /* what is left of the current entry */
    bool cur_last;              /* the current entry is the last one */
    bool prd_done;              /* the table is used up */
};

struct ide_channel {
    struct ide_ctrl *ctrl;
    unsigned index;
    struct ide_drive drive[IDE_UNITS];
    uint8_t devctl;             /* device control (nIEN, SRST, HOB) */
    unsigned sel;               /* selected unit (device register bit 4) */
    struct irq_line irq;
    int irq_level;
    struct ide_bm bm;
};

struct ide_ctrl {
    struct pci_device pci;
    struct ide_channel ch[IDE_CHANNELS];
    struct iobus *io;
    struct physmem *mem;
    uint16_t bm_base;           /* where BAR4 is registered; 0 = not */
};

/* Register the PCI function at 00:01.1 and the legacy ports. irq[0] is
 * IRQ 14, irq[1] IRQ 15. */
int ide_init(struct ide_ctrl *s, struct pci_bus *bus, struct iobus *io, struct physmem *mem,
             const struct irq_line irq[IDE_CHANNELS]) __attribute__((warn_unused_result));
/* Attach a disk (blk required) or a CD-ROM (blk may be NULL: no disc) at
 * channel/unit. Starts the image's aio queue. -1 with err set. */
int ide_attach(struct ide_ctrl *s, unsigned channel, unsigned unit, enum ide_kind kind,
               struct block *blk, char *err, size_t errlen) __attribute__((warn_unused_result));
/* Stop the aio queues (waits for requests in flight) and close images. */
void ide_free(struct ide_ctrl *s);
/* Machine reset: hardware reset of both channels, PCI registers. */
void ide_reset(struct ide_ctrl *s);
/* The aio fd of a drive (-1: none) and what the board calls when it is
 * readable (opaque = the drive). */
int ide_drive_fd(const struct ide_drive *d);
void ide_poll(void *drive, int fd);
/* Wait for every image request in flight and run its completion. */
void ide_drain(struct ide_ctrl *s);
/* Change the CD in a drive (NULL: eject); the old image is closed. */
void ide_change_medium(struct ide_drive *d, struct block *blk);

/* Save state drains requests first; the images themselves are not saved. */
void ide_save(struct ide_ctrl *s, struct savestate *ss);
int ide_load(struct ide_ctrl *s, struct savestate *ss);

/* ---- between ide.c, ide_bm.c and atapi.c ---- */

void ide_set_irq(struct ide_drive *d);
/* Drive the channel's line from the selected drive's pending interrupt. */
void ide_update_irq(struct ide_channel *c);
/* The ATA signature (count 1, LBA 1, mid/high 0) in the task file. */
void ide_set_signature(struct ide_drive *d);
/* IDENTIFY words both kinds share (serial, firmware, model, modes). */
void ide_identify_common(struct ide_drive *d, uint8_t *id, const char *model);
/* End the command: status DRDY (| ERR with `error` when not 0), IRQ. */
void ide_cmd_done(struct ide_drive *d, uint8_t error);
/* Start a PIO or DMA data-in transfer of the first `len` bytes of buf. */
void ide_buf_in(struct ide_drive *d, uint32_t len);
/* Start moving sectors [lba, lba+count) of the image to the guest (read)
 * or from it (write); sector size from the drive's kind. */
void ide_start_rw(struct ide_drive *d, enum ide_xfer_kind kind, uint64_t lba, uint32_t count);
/* Bus master side: move `len` bytes between buf and the PRD table's
 * memory; returns 0, 1 when the table ran out first, -1 on a bad entry. */
int ide_bm_transfer(struct ide_channel *c, uint8_t *buf, uint32_t len, bool to_memory);
/* A DMA command is ready (or BM start was written): go if both are. */
void ide_dma_kick(struct ide_channel *c);
/* End of a DMA command (err: BM error bit). */
void ide_bm_end(struct ide_channel *c, bool err);
int ide_bm_register(struct ide_ctrl *s);
uint64_t ide_bm_read(void *opaque, uint64_t off, unsigned size);
void ide_bm_write(void *opaque, uint64_t off, uint64_t val, unsigned size);

#endif
