/* PIIX3 IDE: the channels' task-file registers, the ATA command set of the
 * disks, PIO transfers and the link to the images' aio queues (see ide.h;
 * bus master DMA is in ide_bm.c, the ATAPI packet commands in atapi.c).
 *
 * Facts from: ATA/ATAPI-6 (T13/1410D) s7 (register set: status, error,
 * device control with nIEN/SRST/HOB, the two-deep HOB registers of 48-bit
 * commands), s8 (the commands: IDENTIFY DEVICE word by word, READ/WRITE
 * SECTORS/MULTIPLE/DMA (EXT), READ VERIFY, FLUSH CACHE, SET FEATURES 02h/
 * 03h/82h, SET MULTIPLE, INITIALIZE DEVICE PARAMETERS, CHECK POWER MODE,
 * EXECUTE DEVICE DIAGNOSTIC, DEVICE RESET), s9 (protocols: PIO data-in
 * raises INTRQ before each DRQ block, PIO data-out after each block and
 * at the end; the signatures after a reset: ATA 00h/00h, ATAPI 14h/EBh in
 * LBA mid/high); Intel 82371SB (PIIX3) datasheet s2.4 (function 1: IDETIM
 * at 40h/42h, SIDETIM 44h, BMIBA at 20h). What guests expect where the
 * specs leave room (an absent slave reads 0, an empty channel floats at
 * FFh, UDMA5 selected after power-on, word 93 with the 80-wire cable
 * bit) follows QEMU's hw/ide/core.c and what SeaBIOS src/hw/ata.c and
 * Linux ata_piix check.
 *
 * Transfers go through a 128 KiB buffer per drive: a READ fetches up to 256
 * sectors in one image request, then offers them block by block (one
 * sector, or the multiple count) with DRQ and an interrupt each; a WRITE
 * collects blocks until the buffer is full or the command's sectors are
 * in, then writes them as one request. BSY is set while a request is in
 * flight; command-block writes are ignored then, as the spec allows.
 *
 * Left out: CHS beyond the translation INITIALIZE DEVICE PARAMETERS sets
 * (no physical geometry), SMART, security, HPA (SET MAX), power states
 * (STANDBY/IDLE/SLEEP succeed and change nothing), TRIM, queued commands,
 * native-mode (PCI BAR0-3) operation. */
#include "hw/ide.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/atapi.h"
#include "mem/iobus.h"
#include "util/log.h"

/* ATA command opcodes (ATA/ATAPI-6 table 10). */
enum {
    CMD_NOP = 0x00, CMD_DEVICE_RESET = 0x08, CMD_RECALIBRATE = 0x10,
    CMD_READ_SECTORS = 0x20, CMD_READ_SECTORS_NR = 0x21, CMD_READ_SECTORS_EXT = 0x24,
    CMD_READ_DMA_EXT = 0x25, CMD_READ_MULTIPLE_EXT = 0x29,
    CMD_WRITE_SECTORS = 0x30, CMD_WRITE_SECTORS_NR = 0x31, CMD_WRITE_SECTORS_EXT = 0x34,
    CMD_WRITE_DMA_EXT = 0x35, CMD_WRITE_MULTIPLE_EXT = 0x39,
    CMD_READ_VERIFY = 0x40, CMD_READ_VERIFY_NR = 0x41, CMD_READ_VERIFY_EXT = 0x42,
    CMD_SEEK = 0x70, CMD_DIAGNOSTIC = 0x90, CMD_INIT_PARAMS = 0x91,
    CMD_PACKET = 0xa0, CMD_IDENTIFY_PACKET = 0xa1,
    CMD_READ_MULTIPLE = 0xc4, CMD_WRITE_MULTIPLE = 0xc5, CMD_SET_MULTIPLE = 0xc6,
    CMD_READ_DMA = 0xc8, CMD_READ_DMA_NR = 0xc9, CMD_WRITE_DMA = 0xca, CMD_WRITE_DMA_NR = 0xcb,
    CMD_STANDBY_IMM = 0xe0, CMD_IDLE_IMM = 0xe1, CMD_STANDBY = 0xe2, CMD_IDLE = 0xe3,
    CMD_CHECK_POWER = 0xe5, CMD_SLEEP = 0xe6, CMD_FLUSH = 0xe7, CMD_FLUSH_EXT = 0xea,
    CMD_IDENTIFY = 0xec, CMD_SET_FEATURES = 0xef,
    /* obsolete power commands some BIOSes still send */
    CMD_STANDBY_IMM_OLD = 0x94, CMD_IDLE_IMM_OLD = 0x95, CMD_STANDBY_OLD = 0x96,
    CMD_IDLE_OLD = 0x97, CMD_CHECK_POWER_OLD = 0x98,
};

#define DEV_LBA 0x40            /* device register: LBA addressing */
#define DEV_DEV 0x10            /* device register: device 1 */
#define LBA28_MAX 0x0fffffffull

static uint32_t sector_size(const struct ide_drive *d)
{
    return d->kind == IDE_CDROM ? 2048 : BLOCK_SECTOR;
}

/* ---- interrupts ---- */

void ide_update_irq(struct ide_channel *c)
{
    struct ide_drive *d = &c->drive[c->sel];
    int level = d->irq_pending && !(c->devctl & ATA_DC_NIEN);
    if (level != c->irq_level) {
        c->irq_level = level;
        irq_set(&c->irq, level);
    }
}

void ide_set_irq(struct ide_drive *d)
{
    struct ide_channel *c = d->ch;
    d->irq_pending = true;
    /* SFF-8038i: the interrupt bit latches every rising INTRQ. */
    if (d->unit == c->sel && !(c->devctl & ATA_DC_NIEN))
        c->bm.status |= BM_ST_INTR;
    ide_update_irq(c);
}

static void clear_irq(struct ide_drive *d)
{
    d->irq_pending = false;
    ide_update_irq(d->ch);
}

/* ---- command endings ---- */

static void finish(struct ide_drive *d, uint8_t error, bool irq)
{
    d->xfer = XFER_NONE;
    d->dma = false;
    d->pos = d->have = d->drq_end = 0;
    d->error = error;
    d->status = ATA_ST_DRDY | ATA_ST_DSC | (error ? ATA_ST_ERR : 0);
    if (d->kind == IDE_CDROM && d->cmd == CMD_PACKET)
        d->nsector = 0x03;      /* interrupt reason: I/O, C/D = status */
    if (irq)
        ide_set_irq(d);
}

void ide_cmd_done(struct ide_drive *d, uint8_t error)
{
    finish(d, error, true);
}

static void abort_cmd(struct ide_drive *d)
{
    finish(d, ATA_ER_ABRT, true);
}

/* ---- the task file as sectors ---- */

static uint64_t tf_lba(const struct ide_drive *d)
{
    if (d->lba48)
        return (uint64_t)d->hob_lba_hi << 40 | (uint64_t)d->hob_lba_mid << 32 |
               (uint64_t)d->hob_lba_lo << 24 | (uint64_t)d->lba_hi << 16 |
               (uint64_t)d->lba_mid << 8 | d->lba_lo;
    if (d->device & DEV_LBA)
        return (uint64_t)(d->device & 0x0f) << 24 | (uint64_t)d->lba_hi << 16 |
               (uint64_t)d->lba_mid << 8 | d->lba_lo;
    /* CHS through the current translation; sector numbers start at 1. */
    uint32_t cyl = (uint32_t)d->lba_hi << 8 | d->lba_mid, head = d->device & 0x0f;
    if (d->lba_lo == 0 || head >= d->heads || d->lba_lo > d->spt)
        return UINT64_MAX;
    return ((uint64_t)cyl * d->heads + head) * d->spt + d->lba_lo - 1;
}

static void set_tf_lba(struct ide_drive *d, uint64_t lba)
{
    if (d->lba48) {
        d->lba_lo = (uint8_t)lba;
        d->lba_mid = (uint8_t)(lba >> 8);
        d->lba_hi = (uint8_t)(lba >> 16);
        d->hob_lba_lo = (uint8_t)(lba >> 24);
        d->hob_lba_mid = (uint8_t)(lba >> 32);
        d->hob_lba_hi = (uint8_t)(lba >> 40);
    } else if (d->device & DEV_LBA) {
        d->lba_lo = (uint8_t)lba;
        d->lba_mid = (uint8_t)(lba >> 8);
        d->lba_hi = (uint8_t)(lba >> 16);
        d->device = (uint8_t)((d->device & 0xf0) | ((lba >> 24) & 0x0f));
    } else if (d->heads && d->spt) {
        uint64_t cyl = lba / ((uint64_t)d->heads * d->spt);
        uint32_t r = (uint32_t)(lba % ((uint64_t)d->heads * d->spt));
        d->lba_hi = (uint8_t)(cyl >> 8);
        d->lba_mid = (uint8_t)cyl;
        d->device = (uint8_t)((d->device & 0xf0) | (r / d->spt));
        d->lba_lo = (uint8_t)(r % d->spt + 1);
    }
}

/* Sector count of the command: 0 means 256 (65536 for 48-bit). */
static uint32_t tf_count(const struct ide_drive *d)
{
    uint32_t n = d->lba48 ? (uint32_t)d->hob_nsector << 8 | d->nsector : d->nsector;
    return n ? n : d->lba48 ? 65536 : 256;
}

/* ---- image requests ---- */

static void req_done(struct block_req *r, void *opaque);

/* Queue an image request for buf; BSY until it completes. */
static void submit(struct ide_drive *d, enum block_op op, uint64_t off, uint32_t len)
{
    d->req = (struct block_req){ .op = op, .off = off, .buf = d->buf, .len = len,
                                 .done = req_done, .opaque = d };
    d->req_busy = true;
    d->req_gen = d->gen;
    d->status = ATA_ST_BSY | ATA_ST_DRDY;
    block_aio_submit(d->aio, &d->req);
}

/* Offer the next DRQ block of buf to the data port (PIO data-in). */
static void next_in_block(struct ide_drive *d)
{
    uint32_t n = d->have - d->pos;
    if (d->kind == IDE_CDROM && d->cmd == CMD_PACKET) {
        /* ATAPI: at most the byte count limit, whole sectors when it can. */
        uint32_t lim = d->atapi.byte_limit;
        if (n > lim) {
            n = d->xfer == XFER_CD_READ && lim >= 2048 ? lim - lim % 2048 : lim;
        }
        d->lba_mid = (uint8_t)n;
        d->lba_hi = (uint8_t)(n >> 8);
        d->nsector = 0x02;      /* I/O = to host, C/D = data */
    } else if (n > d->drq_bytes) {
        n = d->drq_bytes;
    }
    d->drq_end = d->pos + n;
    d->status = ATA_ST_DRDY | ATA_ST_DSC | ATA_ST_DRQ;
    ide_set_irq(d);
}

/* Fetch the next piece of a READ into buf. */
static void fetch_chunk(struct ide_drive *d)
{
    uint32_t ss = sector_size(d), max = IDE_BUF_SIZE / ss;
    d->chunk = d->left < max ? d->left : max;
    submit(d, BLOCK_OP_READ, d->lba * ss, d->chunk * ss);
}

/* Where a WRITE collects the next piece. */
static void open_out_chunk(struct ide_drive *d, bool irq)
{
    uint32_t max = IDE_BUF_SIZE / BLOCK_SECTOR;
    d->chunk = d->left < max ? d->left : max;
    d->pos = 0;
    d->have = d->chunk * BLOCK_SECTOR;
    d->drq_end = d->have < d->drq_bytes ? d->have : d->drq_bytes;
    d->status = ATA_ST_DRDY | ATA_ST_DSC | ATA_ST_DRQ;
    if (irq)
        ide_set_irq(d);
}

/* The piece in buf has been read or written: move the task file on. */
static void chunk_moved(struct ide_drive *d)
{
    d->lba += d->chunk;
    d->left -= d->chunk;
    d->done_sectors += d->chunk;
    if (d->kind == IDE_DISK)
        set_tf_lba(d, d->lba);
}

static void dma_step(struct ide_drive *d);

static void req_done(struct block_req *r, void *opaque)
{
    struct ide_drive *d = opaque;
    d->req_busy = false;
    if (d->req_gen != d->gen)
        return;                 /* the drive was reset meanwhile */
    if (r->result < 0) {
        LOG(LOG_HW, "ide%u.%u: image %s at %llu: error %d", d->ch->index, d->unit,
            r->op == BLOCK_OP_READ ? "read" : r->op == BLOCK_OP_WRITE ? "write" : "flush",
            (unsigned long long)r->off, r->result);
        if (d->dma)
            ide_bm_end(d->ch, false);
        if (d->kind == IDE_CDROM) {
            atapi_io_error(d);
            return;
        }
        finish(d, r->op == BLOCK_OP_READ ? ATA_ER_UNC | ATA_ER_ABRT : ATA_ER_ABRT, true);
        return;
    }
    switch (d->xfer) {
    case XFER_ATA_READ:
    case XFER_CD_READ:
        if (d->dma) {
            dma_step(d);
            return;
        }
        d->pos = 0;
        d->have = d->chunk * sector_size(d);
        chunk_moved(d);
        next_in_block(d);
        return;
    case XFER_ATA_WRITE:
        chunk_moved(d);
        if (d->dma) {
            dma_step(d);
        } else if (d->left == 0) {
            ide_cmd_done(d, 0);
        } else {
            open_out_chunk(d, true);
        }
        return;
    default:
        /* FLUSH CACHE and other no-data requests. */
        ide_cmd_done(d, 0);
        return;
    }
}

/* ---- DMA commands (the bus master side is ide_bm.c) ---- */

/* Move the data of the current DMA command on by one step: a chunk to or
 * from memory, then the next image request, until done. */
static void dma_step(struct ide_drive *d)
{
    struct ide_channel *c = d->ch;
    int r;
    uint32_t ss = sector_size(d);

    /* The guest stopped the bus master: wait for its next start (which
     * reloads the table and calls ide_dma_kick). */
    if (!(c->bm.cmd & BM_CMD_START) || !(c->bm.status & BM_ST_ACTIVE))
        return;

    switch (d->xfer) {
    case XFER_BUF_IN:
        r = ide_bm_transfer(c, d->buf, d->have, true);
        break;
    case XFER_ATA_READ:
    case XFER_CD_READ:
        if (d->chunk == 0) {    /* nothing fetched yet */
            fetch_chunk(d);
            d->status = ATA_ST_BSY | ATA_ST_DRDY;
            return;
        }
        r = ide_bm_transfer(c, d->buf, d->chunk * ss, true);
        if (r == 0) {
            chunk_moved(d);
            if (d->left) {
                fetch_chunk(d);
                return;
            }
        }
        break;
    case XFER_ATA_WRITE:
        if (d->left == 0) {
            r = 0;
            break;
        }
        d->chunk = d->left < IDE_BUF_SIZE / ss ? d->left : IDE_BUF_SIZE / ss;
        r = ide_bm_transfer(c, d->buf, d->chunk * ss, false);
        if (r == 0) {
            submit(d, BLOCK_OP_WRITE, d->lba * ss, d->chunk * ss);
            return;
        }
        break;
    default:
        return;
    }
    if (r < 0) {
        /* A PRD entry outside RAM: the bus master reports an error and the
         * device aborts the command. */
        ide_bm_end(c, true);
        if (d->kind == IDE_CDROM)
            atapi_io_error(d);
        else
            abort_cmd(d);
    } else if (r > 0) {
        /* The PRD table was shorter than the transfer: the bus master
         * stops, the device ends without an interrupt (as QEMU does). */
        ide_bm_end(c, false);
        finish(d, 0, false);
    } else {
        ide_bm_end(c, false);
        ide_cmd_done(d, 0);
    }
}

void ide_dma_kick(struct ide_channel *c)
{
    if (!(c->bm.cmd & BM_CMD_START) || !(c->bm.status & BM_ST_ACTIVE))
        return;
    for (unsigned u = 0; u < IDE_UNITS; u++) {
        struct ide_drive *d = &c->drive[u];
        if (d->dma && d->xfer != XFER_NONE && !d->req_busy) {
            if ((c->bm.cmd & BM_CMD_READ) != (d->dma_write ? 0 : BM_CMD_READ)) {
                LOG_ONCE(LOG_HW, "ide: bus master direction does not match the command");
            }
            dma_step(d);
            return;
        }
    }
}

/* ---- transfers the commands start ---- */

void ide_buf_in(struct ide_drive *d, uint32_t len)
{
    d->xfer = XFER_BUF_IN;
    d->pos = 0;
    d->have = len;
    if (d->dma) {
        d->dma_write = false;
        d->status = ATA_ST_DRDY | ATA_ST_DSC | ATA_ST_DRQ;
        ide_dma_kick(d->ch);
        return;
    }
    if (d->cmd != CMD_PACKET)
        d->drq_bytes = len;     /* IDENTIFY: one block */
    next_in_block(d);
}

void ide_start_rw(struct ide_drive *d, enum ide_xfer_kind kind, uint64_t lba, uint32_t count)
{
    d->xfer = kind;
    d->lba = lba;
    d->left = count;
    d->done_sectors = 0;
    d->chunk = 0;
    d->pos = d->have = d->drq_end = 0;
    d->dma_write = kind == XFER_ATA_WRITE;
    if (d->dma) {
        d->status = ATA_ST_DRDY | ATA_ST_DSC | ATA_ST_DRQ;
        ide_dma_kick(d->ch);
    } else if (kind == XFER_ATA_WRITE) {
        open_out_chunk(d, false);   /* the first block needs no interrupt */
    } else {
        fetch_chunk(d);
    }
}

/* ---- the data port ---- */

static uint32_t data_read(struct ide_drive *d, unsigned size)
{
    if (!(d->status & ATA_ST_DRQ) || d->dma || d->pos >= d->drq_end ||
        (d->xfer != XFER_BUF_IN && d->xfer != XFER_ATA_READ && d->xfer != XFER_CD_READ))
        return size == 4 ? 0xffffffffu : 0xffffu;
    uint32_t v = 0;
    for (unsigned k = 0; k < size && d->pos < d->drq_end; k++)
        v |= (uint32_t)d->buf[d->pos++] << (8 * k);
    if (d->pos < d->drq_end)
        return v;
    /* The block is through. */
    if (d->pos < d->have) {
        next_in_block(d);
    } else if (d->xfer != XFER_BUF_IN && d->left) {
        fetch_chunk(d);
    } else {
        /* ATA data-in ends quietly; ATAPI raises the completion interrupt. */
        finish(d, 0, d->cmd == CMD_PACKET);
    }
    return v;
}

static void data_write(struct ide_drive *d, uint32_t v, unsigned size)
{
    if (!(d->status & ATA_ST_DRQ) || d->dma || d->pos >= d->drq_end ||
        (d->xfer != XFER_ATA_WRITE && d->xfer != XFER_PACKET))
        return;
    for (unsigned k = 0; k < size && d->pos < d->drq_end; k++)
        d->buf[d->pos++] = (uint8_t)(v >> (8 * k));
    if (d->pos < d->drq_end)
        return;
    if (d->xfer == XFER_PACKET) {
        memcpy(d->atapi.cdb, d->buf, sizeof d->atapi.cdb);
        d->xfer = XFER_NONE;
        d->pos = d->have = d->drq_end = 0;
        atapi_packet(d);
        return;
    }
    if (d->pos < d->have) {
        /* Room for more in the buffer: take the next block at once. */
        d->drq_end = d->pos + (d->have - d->pos < d->drq_bytes ? d->have - d->pos : d->drq_bytes);
        ide_set_irq(d);
        return;
    }
    submit(d, BLOCK_OP_WRITE, d->lba * BLOCK_SECTOR, d->have);
}

/* ---- IDENTIFY DEVICE ---- */

/* ATA strings: space padded, two characters per word, first in the high byte. */
static void put_string(uint8_t *id, unsigned word, const char *s, unsigned len)
{
    for (unsigned i = 0; i < len; i++) {
        size_t n = strlen(s);
        char ch = i < n ? s[i] : ' ';
        id[2 * word + (i ^ 1)] = (uint8_t)ch;
    }
}

static void put_word(uint8_t *id, unsigned word, uint16_t v)
{
    id[2 * word] = (uint8_t)v;
    id[2 * word + 1] = (uint8_t)(v >> 8);
}

/* Words 62/63/88 show the selected mode in their high byte. */
static uint16_t mode_word(const struct ide_drive *d, uint8_t type, uint16_t supported)
{
    uint16_t v = supported;
    if ((d->xfer_mode & 0xf8) == type)
        v |= (uint16_t)(0x100u << (d->xfer_mode & 7));
    return v;
}

void ide_identify_common(struct ide_drive *d, uint8_t *id, const char *model)
{
    memset(id, 0, 512);
    put_string(id, 10, d->serial, 20);
    put_word(id, 20, 3);                /* buffer type (retired) */
    put_word(id, 21, IDE_BUF_SIZE / 512);
    put_string(id, 23, "1.0", 8);       /* firmware revision */
    put_string(id, 27, model, 40);
    put_word(id, 53, 0x0007);           /* words 54-58, 64-70 and 88 are valid */
    put_word(id, 63, mode_word(d, 0x20, 0x0007));   /* multiword DMA 0-2 */
    put_word(id, 64, 0x0003);           /* PIO 3 and 4 */
    put_word(id, 65, 120);
    put_word(id, 66, 120);
    put_word(id, 67, 120);
    put_word(id, 68, 120);
    put_word(id, 88, mode_word(d, 0x40, 0x003f));   /* UDMA 0-5 */
    /* Hardware reset result: device 0 by jumper, diagnostics passed,
     * 80-conductor cable detected (Linux limits UDMA to 2 without it). */
    put_word(id, 93, 0x6000 | 0x0001 | (d->unit ? 0x0100 : 0x0008));
}

static void identify(struct ide_drive *d)
{
    uint8_t *id = d->buf;
    uint64_t lba28 = d->sectors < LBA28_MAX ? d->sectors : LBA28_MAX;
    uint32_t cur = (uint32_t)d->cyls * d->heads * d->spt;

    ide_identify_common(d, id, "RAWBOX HARDDISK");
    put_word(id, 0, 0x0040);            /* fixed device */
    put_word(id, 1, d->cyls);
    put_word(id, 3, 16);
    put_word(id, 6, 63);
    put_word(id, 47, 0x8000 | IDE_MAX_MULT);
    put_word(id, 48, 1);                /* 32-bit PIO */
    put_word(id, 49, 0x0b00);           /* IORDY, LBA, DMA */
    put_word(id, 50, 0x4000);
    put_word(id, 51, 0x200);
    put_word(id, 52, 0x200);
    put_word(id, 54, d->cyls);
    put_word(id, 55, d->heads);
    put_word(id, 56, d->spt);
    put_word(id, 57, (uint16_t)cur);
    put_word(id, 58, (uint16_t)(cur >> 16));
    if (d->mult_sectors)
        put_word(id, 59, 0x100 | d->mult_sectors);
    put_word(id, 60, (uint16_t)lba28);
    put_word(id, 61, (uint16_t)(lba28 >> 16));
    put_word(id, 80, 0x00f0);           /* ATA-4 to ATA-7 */
    put_word(id, 81, 0x0016);
    /* Supported / enabled: NOP, write cache; FLUSH CACHE (EXT), 48-bit. */
    put_word(id, 82, 0x4020);
    put_word(id, 83, 0x4000 | 0x2000 | 0x1000 | 0x0400);
    put_word(id, 84, 0x4000);
    put_word(id, 85, 0x4000 | (d->wcache ? 0x0020 : 0));
    put_word(id, 86, 0x2000 | 0x1000 | 0x0400);
    put_word(id, 87, 0x4000);
    for (unsigned i = 0; i < 4; i++)
        put_word(id, 100 + i, (uint16_t)(d->sectors >> (16 * i)));
    ide_buf_in(d, 512);
}

/* ---- ATA commands ---- */

static bool is_ext(uint8_t cmd)
{
    switch (cmd) {
    case CMD_READ_SECTORS_EXT: case CMD_READ_DMA_EXT: case CMD_READ_MULTIPLE_EXT:
    case CMD_WRITE_SECTORS_EXT: case CMD_WRITE_DMA_EXT: case CMD_WRITE_MULTIPLE_EXT:
    case CMD_READ_VERIFY_EXT: case CMD_FLUSH_EXT:
        return true;
    }
    return false;
}

/* Checks common to the read/write commands; 0 when the range is good. */
static int rw_range(struct ide_drive *d, uint64_t *lba, uint32_t *count)
{
    *lba = tf_lba(d);
    *count = tf_count(d);
    if (*lba == UINT64_MAX || *lba > d->sectors || *count > d->sectors - *lba) {
        finish(d, ATA_ER_IDNF | ATA_ER_ABRT, true);
        return -1;
    }
    return 0;
}

static void ata_rw(struct ide_drive *d, bool write, bool multiple, bool dma)
{
    uint64_t lba;
    uint32_t count;

    if (multiple && !d->mult_sectors) {
        abort_cmd(d);
        return;
    }
    if (rw_range(d, &lba, &count) < 0)
        return;
    if (write && d->readonly) {
        abort_cmd(d);           /* a write-protected image */
        return;
    }
    d->dma = dma;
    d->drq_bytes = (multiple ? d->mult_sectors : 1) * BLOCK_SECTOR;
    ide_start_rw(d, write ? XFER_ATA_WRITE : XFER_ATA_READ, lba, count);
}

static void set_features(struct ide_drive *d)
{
    switch (d->feature) {
    case 0x02:                  /* enable write cache */
    case 0x82:                  /* disable write cache */
        if (d->kind != IDE_DISK)
            break;
        d->wcache = d->feature == 0x02;
        ide_cmd_done(d, 0);
        return;
    case 0x03: {                /* set transfer mode */
        uint8_t m = d->nsector;
        bool ok = m <= 0x01 || (m >= 0x08 && m <= 0x0c) || (m >= 0x20 && m <= 0x22) ||
                  (m >= 0x40 && m <= 0x45);
        if (!ok)
            break;
        if (m >= 0x20)
            d->xfer_mode = m;
        ide_cmd_done(d, 0);
        return;
    }
    case 0x66: case 0xcc:       /* keep / revert to defaults after reset */
    case 0xaa: case 0x55:       /* read look-ahead on / off */
        ide_cmd_done(d, 0);
        return;
    }
    abort_cmd(d);
}

/* Run the command just written to the command register. */
static void exec_cmd(struct ide_drive *d, uint8_t cmd)
{
    bool cd = d->kind == IDE_CDROM;

    d->cmd = cmd;
    d->error = 0;
    d->lba48 = is_ext(cmd);
    d->dma = false;
    if (cd && cmd != CMD_PACKET && cmd != CMD_IDENTIFY_PACKET && cmd != CMD_DEVICE_RESET &&
        cmd != CMD_DIAGNOSTIC && cmd != CMD_NOP && cmd != CMD_SET_FEATURES &&
        cmd != CMD_CHECK_POWER && cmd != CMD_IDLE_IMM && cmd != CMD_STANDBY_IMM &&
        cmd != CMD_SLEEP) {
        /* An ATAPI device aborts ATA commands, leaving its signature
         * so that drivers probing with IDENTIFY DEVICE see it. */
        atapi_set_signature(d);
        abort_cmd(d);
        return;
    }
    switch (cmd) {
    case CMD_IDENTIFY:
        identify(d);
        return;
    case CMD_IDENTIFY_PACKET:
        if (!cd)
            break;
        atapi_identify(d);
        return;
    case CMD_PACKET:
        if (!cd)
            break;
        atapi_start_packet(d);
        return;
    case CMD_DEVICE_RESET:
        if (!cd)
            break;
        atapi_reset(d);
        return;
    case CMD_READ_SECTORS: case CMD_READ_SECTORS_NR: case CMD_READ_SECTORS_EXT:
        ata_rw(d, false, false, false);
        return;
    case CMD_WRITE_SECTORS: case CMD_WRITE_SECTORS_NR: case CMD_WRITE_SECTORS_EXT:
        ata_rw(d, true, false, false);
        return;
    case CMD_READ_MULTIPLE: case CMD_READ_MULTIPLE_EXT:
        ata_rw(d, false, true, false);
        return;
    case CMD_WRITE_MULTIPLE: case CMD_WRITE_MULTIPLE_EXT:
        ata_rw(d, true, true, false);
        return;
    case CMD_READ_DMA: case CMD_READ_DMA_NR: case CMD_READ_DMA_EXT:
        ata_rw(d, false, false, true);
        return;
    case CMD_WRITE_DMA: case CMD_WRITE_DMA_NR: case CMD_WRITE_DMA_EXT:
        ata_rw(d, true, false, true);
        return;
    case CMD_READ_VERIFY: case CMD_READ_VERIFY_NR: case CMD_READ_VERIFY_EXT: {
        uint64_t lba;
        uint32_t count;
        if (rw_range(d, &lba, &count) == 0) {
            set_tf_lba(d, lba + count - 1);
            ide_cmd_done(d, 0);
        }
        return;
    }
    case CMD_SET_MULTIPLE:
        if (d->nsector > IDE_MAX_MULT || (d->nsector & (d->nsector - 1)))
            break;
        d->mult_sectors = d->nsector;
        ide_cmd_done(d, 0);
        return;
    case CMD_INIT_PARAMS:
        /* Logical sectors per track and heads for CHS commands. */
        if (d->nsector == 0)
            break;
        d->spt = d->nsector;
        d->heads = (uint8_t)((d->device & 0x0f) + 1);
        d->cyls = (uint16_t)(d->sectors / ((uint64_t)d->heads * d->spt) > 16383 ? 16383 :
                             d->sectors / ((uint64_t)d->heads * d->spt));
        ide_cmd_done(d, 0);
        return;
    case CMD_FLUSH: case CMD_FLUSH_EXT:
        submit(d, BLOCK_OP_FLUSH, 0, 0);
        return;
    case CMD_SET_FEATURES:
        set_features(d);
        return;
    case CMD_CHECK_POWER: case CMD_CHECK_POWER_OLD:
        ide_cmd_done(d, 0);
        d->nsector = 0xff;      /* active or idle */
        return;
    case CMD_DIAGNOSTIC:
        /* Both devices run it; the result is the signature and error 01h
         * (device 0 passed, device 1 passed or absent). */
        for (unsigned u = 0; u < IDE_UNITS; u++) {
            struct ide_drive *o = &d->ch->drive[u];
            if (o->kind == IDE_NONE)
                continue;
            if (o->kind == IDE_CDROM)
                atapi_set_signature(o);
            else
                ide_set_signature(o);
            o->error = 0x01;
            o->status = o->kind == IDE_CDROM ? 0 : ATA_ST_DRDY | ATA_ST_DSC;
        }
        ide_set_irq(d);
        return;
    case CMD_NOP:
        break;                  /* NOP always aborts (ATA/ATAPI-6 s8.22) */
    case CMD_RECALIBRATE: case CMD_SEEK:
    case CMD_STANDBY_IMM: case CMD_IDLE_IMM: case CMD_STANDBY: case CMD_IDLE: case CMD_SLEEP:
    case CMD_STANDBY_IMM_OLD: case CMD_IDLE_IMM_OLD: case CMD_STANDBY_OLD: case CMD_IDLE_OLD:
        ide_cmd_done(d, 0);
        return;
    default:
        LOG(LOG_HW, "ide%u.%u: command 0x%02x not supported: aborted", d->ch->index, d->unit, cmd);
        break;
    }
    abort_cmd(d);
}

void ide_set_signature(struct ide_drive *d)
{
    d->nsector = 1;
    d->lba_lo = 1;
    d->lba_mid = 0;
    d->lba_hi = 0;
    d->device &= DEV_DEV;
}

/* ---- the register block ---- */

static bool channel_empty(const struct ide_channel *c)
{
    return c->drive[0].kind == IDE_NONE && c->drive[1].kind == IDE_NONE;
}

static uint64_t cmd_read(void *opaque, uint64_t off, unsigned size)
{
    struct ide_channel *c = opaque;
    struct ide_drive *d = &c->drive[c->sel];
    bool hob = c->devctl & ATA_DC_HOB;

    if (channel_empty(c))
        return off == 0 ? (size == 4 ? 0xffffffffu : 0xffffu) : 0xff;
    if (d->kind == IDE_NONE)
        return off == 0 ? (size == 4 ? 0xffffffffu : 0xffffu) : 0;   /* absent device 1 */
    switch (off) {
    case 0: return data_read(d, size == 1 ? 2 : size) & (size == 1 ? 0xff : 0xffffffffu);
    case 1: return d->error;
    case 2: return hob ? d->hob_nsector : d->nsector;
    case 3: return hob ? d->hob_lba_lo : d->lba_lo;
    case 4: return hob ? d->hob_lba_mid : d->lba_mid;
    case 5: return hob ? d->hob_lba_hi : d->lba_hi;
    case 6: return d->device | 0xa0;
    case 7:
        clear_irq(d);
        return d->status;
    }
    return 0xff;
}

/* A task-file register write reaches both devices; the old value moves
 * into the HOB copy. */
#define TF_WRITE(c, field, v) do { \
    for (unsigned u_ = 0; u_ < IDE_UNITS; u_++) { \
        (c)->drive[u_].hob_##field = (c)->drive[u_].field; \
        (c)->drive[u_].field = (uint8_t)(v); \
    } } while (0)

static void cmd_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    struct ide_channel *c = opaque;
    struct ide_drive *d = &c->drive[c->sel];

    if (off == 0) {
        if (d->kind != IDE_NONE)
            data_write(d, (uint32_t)v, size == 1 ? 2 : size);
        return;
    }
    /* Command-block writes while the device is busy are ignored, except
     * DEVICE RESET to an ATAPI device. */
    if ((d->status & (ATA_ST_BSY | ATA_ST_DRQ)) &&
        !(off == 7 && v == CMD_DEVICE_RESET && d->kind == IDE_CDROM))
        return;
    c->devctl &= (uint8_t)~ATA_DC_HOB;
    switch (off) {
    case 1: TF_WRITE(c, feature, v); break;
    case 2: TF_WRITE(c, nsector, v); break;
    case 3: TF_WRITE(c, lba_lo, v); break;
    case 4: TF_WRITE(c, lba_mid, v); break;
    case 5: TF_WRITE(c, lba_hi, v); break;
    case 6:
        for (unsigned u = 0; u < IDE_UNITS; u++)
            c->drive[u].device = (uint8_t)(v & ~0xa0u);
        c->sel = (v & DEV_DEV) ? 1 : 0;
        ide_update_irq(c);
        break;
    case 7:
        if (d->kind == IDE_NONE && v != CMD_DIAGNOSTIC)
            return;
        if (d->kind == IDE_NONE)
            d = &c->drive[c->sel ^ 1];
        clear_irq(d);
        exec_cmd(d, (uint8_t)v);
        break;
    }
}

static void drive_reset(struct ide_drive *d, bool hard)
{
    /* A request in flight completes into a new generation: dropped. */
    d->gen++;
    if (d->req_busy && d->aio)
        block_aio_drain(d->aio);
    d->xfer = XFER_NONE;
    d->dma = false;
    d->pos = d->have = d->drq_end = 0;
    d->chunk = d->left = 0;
    d->irq_pending = false;
    d->feature = d->hob_feature = 0;
    d->hob_nsector = d->hob_lba_lo = d->hob_lba_mid = d->hob_lba_hi = 0;
    d->error = 0x01;
    if (hard) {
        d->mult_sectors = 0;
        d->xfer_mode = 0x45;    /* UDMA5, as QEMU's drives start */
        d->wcache = true;
        d->device = 0;
    }
    if (d->kind == IDE_CDROM) {
        atapi_set_signature(d);
        d->status = 0;
        atapi_device_reset(d, hard);
    } else {
        ide_set_signature(d);
        d->status = d->kind == IDE_DISK ? ATA_ST_DRDY | ATA_ST_DSC : 0;
    }
    d->device = 0;              /* device 0 is selected after a reset */
    if (d->kind == IDE_DISK) {
        uint64_t c = d->sectors / (16 * 63);
        d->heads = 16;
        d->spt = 63;
        d->cyls = (uint16_t)(c > 16383 ? 16383 : c ? c : 1);
    }
}

static void ctl_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    struct ide_channel *c = opaque;
    uint8_t old = c->devctl;

    c->devctl = (uint8_t)v;
    if ((v & ATA_DC_SRST) && !(old & ATA_DC_SRST)) {
        /* Soft reset asserted: the devices are busy until it is released. */
        for (unsigned u = 0; u < IDE_UNITS; u++) {
            struct ide_drive *d = &c->drive[u];
            drive_reset(d, false);
            if (d->kind != IDE_NONE)
                d->status = ATA_ST_BSY;
        }
        c->sel = 0;
    } else if (!(v & ATA_DC_SRST) && (old & ATA_DC_SRST)) {
        for (unsigned u = 0; u < IDE_UNITS; u++) {
            struct ide_drive *d = &c->drive[u];
            if (d->kind == IDE_CDROM)
                d->status = 0;
            else if (d->kind == IDE_DISK)
                d->status = ATA_ST_DRDY | ATA_ST_DSC;
        }
    }
    ide_update_irq(c);
}

static uint64_t ctl_read(void *opaque, uint64_t off, unsigned size)
{
    struct ide_channel *c = opaque;
    struct ide_drive *d = &c->drive[c->sel];
    if (channel_empty(c))
        return 0xff;
    return d->kind == IDE_NONE ? 0 : d->status;     /* alternate status: no IRQ clear */
}

/* ---- the PCI function ---- */

#define PCI_IDETIM 0x40
#define PCI_SIDETIM 0x44
#define BM_BAR 4

static void pci_hook(struct pci_device *p, unsigned off, uint32_t val, unsigned size)
{
    struct ide_ctrl *s = p->opaque;
    if (size == 0 || (off < PCI_BAR0 + 4 * BM_BAR + 4 && off + size > PCI_COMMAND))
        if (ide_bm_register(s) < 0)
            log_warn("ide: bus master ports at 0x%x overlap another device",
                     pci_bar_base(&s->pci, BM_BAR));
}

static void pci_reset(struct ide_ctrl *s)
{
    struct pci_device *p = &s->pci;
    memset(p->config + 0x40, 0, 0xc0);
    pci_set16(p, PCI_COMMAND, 0);
    pci_set16(p, PCI_STATUS, 0x0280);           /* fast back-to-back, medium DEVSEL */
    pci_set32(p, PCI_BAR0 + 4 * BM_BAR, 1);
    /* IDETIM: decode enabled on both channels. The legacy ports are always
     * decoded here; Linux's ata_piix looks at bit 15 before using one. */
    pci_set16(p, PCI_IDETIM, 0x8000);
    pci_set16(p, PCI_IDETIM + 2, 0x8000);
    (void)ide_bm_register(s);
}

int ide_init(struct ide_ctrl *s, struct pci_bus *bus, struct iobus *io, struct physmem *mem,
             const struct irq_line irq[IDE_CHANNELS])
{
    static const uint16_t base[IDE_CHANNELS] = { IDE_PRIMARY_BASE, IDE_SECONDARY_BASE };
    static const uint16_t ctl[IDE_CHANNELS] = { IDE_PRIMARY_CTL, IDE_SECONDARY_CTL };
    static const char *const names[IDE_CHANNELS][2] = { { "ide0", "ide0-ctl" },
                                                        { "ide1", "ide1-ctl" } };

    memset(s, 0, sizeof *s);
    s->io = io;
    s->mem = mem;
    pci_device_init(&s->pci, "piix3-ide", 0x8086, 0x7010, 0x010180, 0x00, 0x00);
    s->pci.opaque = s;
    s->pci.write_hook = pci_hook;
    pci_set_bar(&s->pci, BM_BAR, 16, true);
    memset(s->pci.wmask + PCI_IDETIM, 0xff, 5);     /* IDETIM x2, SIDETIM */
    for (unsigned i = 0; i < IDE_CHANNELS; i++) {
        struct ide_channel *c = &s->ch[i];
        const struct io_handler h = { cmd_read, cmd_write, c, 1 | 2 | 4 };
        const struct io_handler hc = { ctl_read, ctl_write, c, 1 };
        c->ctrl = s;
        c->index = i;
        c->irq = irq[i];
        for (unsigned u = 0; u < IDE_UNITS; u++) {
            c->drive[u].ch = c;
            c->drive[u].unit = u;
        }
        if (iobus_register(io, base[i], 8, &h, names[i][0]) ||
            iobus_register(io, ctl[i], 1, &hc, names[i][1]))
            return -1;
    }
    if (pci_register(bus, &s->pci, PCI_DEVFN(1, 1)))
        return -1;
    ide_reset(s);
    return 0;
}

int ide_attach(struct ide_ctrl *s, unsigned channel, unsigned unit, enum ide_kind kind,
               struct block *blk, char *err, size_t errlen)
{
    if (channel >= IDE_CHANNELS || unit >= IDE_UNITS) {
        snprintf(err, errlen, "no IDE position %u.%u", channel, unit);
        return -1;
    }
    struct ide_drive *d = &s->ch[channel].drive[unit];
    if (d->kind != IDE_NONE) {
        snprintf(err, errlen, "IDE position %u.%u is taken", channel, unit);
        return -1;
    }
    if (kind == IDE_DISK && !blk) {
        snprintf(err, errlen, "a disk needs an image");
        return -1;
    }
    d->buf = malloc(IDE_BUF_SIZE);
    if (!d->buf) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    d->kind = kind;
    snprintf(d->serial, sizeof d->serial, "RB%u%u%016llx", channel, unit,
             (unsigned long long)(0x5241574230ull + channel * 2 + unit));
    if (blk) {
        d->aio = block_aio_new(blk, err, errlen);
        if (!d->aio) {
            free(d->buf);
            d->buf = NULL;
            d->kind = IDE_NONE;
            return -1;
        }
        d->blk = blk;
        d->readonly = blk->readonly || kind == IDE_CDROM;
        d->sectors = blk->size / sector_size(d);
    }
    if (kind == IDE_CDROM)
        d->atapi.unit_attention = false;
    drive_reset(d, true);
    return 0;
}

void ide_change_medium(struct ide_drive *d, struct block *blk)
{
    if (d->kind != IDE_CDROM)
        return;
    if (d->aio) {
        block_aio_free(d->aio);
        d->aio = NULL;
    }
    if (d->blk)
        block_close(d->blk);
    d->blk = NULL;
    d->sectors = 0;
    if (blk) {
        char err[BLOCK_ERR_LEN];
        d->aio = block_aio_new(blk, err, sizeof err);
        if (!d->aio) {
            log_warn("ide: %s", err);
            block_close(blk);
            blk = NULL;
        }
    }
    d->blk = blk;
    d->sectors = blk ? blk->size / 2048 : 0;
    atapi_medium_changed(d);
}

void ide_free(struct ide_ctrl *s)
{
    for (unsigned i = 0; i < IDE_CHANNELS; i++)
        for (unsigned u = 0; u < IDE_UNITS; u++) {
            struct ide_drive *d = &s->ch[i].drive[u];
            if (d->aio)
                block_aio_free(d->aio);
            if (d->blk)
                block_close(d->blk);
            free(d->buf);
            d->aio = NULL;
            d->blk = NULL;
            d->buf = NULL;
            d->kind = IDE_NONE;
        }
    if (s->bm_base)
        iobus_unregister(s->io, s->bm_base);
    s->bm_base = 0;
}

void ide_reset(struct ide_ctrl *s)
{
    for (unsigned i = 0; i < IDE_CHANNELS; i++) {
        struct ide_channel *c = &s->ch[i];
        for (unsigned u = 0; u < IDE_UNITS; u++)
            drive_reset(&c->drive[u], true);
        c->devctl = 0;
        c->sel = 0;
        c->bm = (struct ide_bm){ 0 };
        ide_update_irq(c);
    }
    pci_reset(s);
}

int ide_drive_fd(const struct ide_drive *d)
{
    return d->aio ? block_aio_fd(d->aio) : -1;
}

void ide_poll(void *drive, int fd)
{
    struct ide_drive *d = drive;
    if (d->aio)
        block_aio_poll(d->aio);
}

void ide_drain(struct ide_ctrl *s)
{
    /* A completion may queue the next piece of a transfer: drain until
     * nothing is in flight. */
    for (bool again = true; again;) {
        again = false;
        for (unsigned i = 0; i < IDE_CHANNELS; i++)
            for (unsigned u = 0; u < IDE_UNITS; u++) {
                struct ide_drive *d = &s->ch[i].drive[u];
                if (d->aio && d->req_busy) {
                    block_aio_drain(d->aio);
                    again = true;
                }
            }
    }
}
