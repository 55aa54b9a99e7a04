/* virtio block device (virtio 1.2 s5.2), device type 2, PCI 1AF4:1042
 * class 0x0100 (mass storage, as QEMU's virtio-blk-pci).
 *
 * Features offered: SEG_MAX (queue size - 2, as QEMU), BLK_SIZE (512),
 * FLUSH, and RO for a read-only image. Without CONFIG_WCE the driver
 * treats the cache as write-back because FLUSH is offered, and does send
 * flushes; a FLUSH completes after every write submitted before it
 * (block_aio's ordering). Config: capacity in 512-byte sectors, seg_max,
 * blk_size; the rest reads as zero.
 *
 * A request (s5.2.6) is a chain: a 16-byte readable header (le32 type,
 * le32 reserved, le64 sector), data (readable for OUT, writable for IN),
 * and a writable status byte, the chain's last. The header and the data
 * may be split across descriptors in any way; the device reads the chain
 * as two byte streams. Types: IN, OUT, FLUSH, GET_ID (the serial, 20
 * bytes, NUL-padded); others answer VIRTIO_BLK_S_UNSUPP. IN/OUT data not
 * a multiple of 512 bytes, past the end of the disk, OUT on a read-only
 * disk, or data buffers outside RAM answer VIRTIO_BLK_S_IOERR. A chain
 * without room for the header or the status byte breaks the device
 * (DEVICE_NEEDS_RESET, as QEMU).
 *
 * Data goes through a bounce buffer per request: OUT data is copied from
 * guest RAM when the request is taken, IN data into guest RAM when it
 * completes, on the run loop's thread; the aio worker never touches guest
 * memory. At most VIRTIO_BLK_MAX_INFLIGHT bytes are buffered: a request
 * that does not fit waits (parked) until completions make room; one
 * larger than that fails.
 *
 * Left out: multiple queues, DISCARD, WRITE_ZEROES, CONFIG_WCE, geometry
 * and topology. Save state drains the requests in flight first, so only
 * the transport's state is saved. */
#include "hw/virtio_blk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "block/block.h"
#include "util/log.h"

#define VIRTIO_ID_BLOCK 2

/* Feature bits (s5.2.3). */
#define BLK_F_SEG_MAX   2
#define BLK_F_RO        5
#define BLK_F_BLK_SIZE  6
#define BLK_F_FLUSH     9

/* Request types and status values (s5.2.6). */
#define BLK_T_IN        0
#define BLK_T_OUT       1
#define BLK_T_FLUSH     4
#define BLK_T_GET_ID    8
#define BLK_S_OK        0
#define BLK_S_IOERR     1
#define BLK_S_UNSUPP    2

#define HDR_LEN         16
/* struct virtio_blk_config up to the write-zeroes fields (s5.2.4). */
#define CONFIG_LEN      60

struct virtio_blk_req {
    struct block_req br;
    struct virtio_blk *s;
    struct virtq_elem elem;
    uint32_t type;
    uint64_t sector;
    uint64_t data_len;          /* bytes of data, without the status byte */
    uint8_t *buf;
};

/* ---- config space ---- */

static uint32_t config_read(void *opaque, unsigned off, unsigned size)
{
    struct virtio_blk *s = opaque;
    uint8_t cfg[CONFIG_LEN] = { 0 };
    uint64_t cap = s->b->size / BLOCK_SECTOR;
    uint32_t seg_max = VIRTIO_BLK_QUEUE_SIZE - 2, v = 0;

    for (int k = 0; k < 8; k++)
        cfg[k] = (uint8_t)(cap >> (8 * k));
    for (int k = 0; k < 4; k++) {
        cfg[12 + k] = (uint8_t)(seg_max >> (8 * k));        /* seg_max */
        cfg[20 + k] = (uint8_t)(BLOCK_SECTOR >> (8 * k));   /* blk_size */
    }
    cfg[32] = s->writeback;
    for (unsigned k = 0; k < size && off + k < CONFIG_LEN; k++)
        v |= (uint32_t)cfg[off + k] << (8 * k);
    return v;
}

static void config_write(void *opaque, unsigned off, uint32_t v, unsigned size)
{
    struct virtio_blk *s = opaque;
    LOG_ONCE(LOG_HW, "%s: config write at 0x%x ignored (no CONFIG_WCE)", s->vp.name, off);
}

/* ---- requests ---- */

static void req_free(struct virtio_blk_req *r)
{
    free(r->buf);
    virtq_elem_free(&r->elem);
    free(r);
}

/* Write the status byte (the chain's last writable byte), put the chain
 * on the used ring with `written` data bytes plus the status, interrupt. */
static void complete(struct virtio_blk *s, struct virtio_blk_req *r, uint8_t status,
                     uint64_t written)
{
    if (status != BLK_S_OK)
        s->reqs_failed++;
    s->reqs_done++;
    if (!virtq_elem_write(&s->vp, &r->elem, r->elem.in_len - 1, &status, 1)) {
        /* Nowhere to say it: the driver waits for ever otherwise. */
        virtio_broken(&s->vp, "virtio-blk status byte outside RAM");
        return;
    }
    virtq_push(&s->vp, 0, r->elem.head, (uint32_t)(written + 1));
    virtq_notify(&s->vp, 0);
}

static void process_queue(struct virtio_blk *s);

static void req_done(struct block_req *br, void *opaque)
{
    struct virtio_blk_req *r = opaque;
    struct virtio_blk *s = r->s;
    uint8_t status = br->result ? BLK_S_IOERR : BLK_S_OK;
    uint64_t written = 0;

    s->inflight--;
    s->inflight_bytes -= r->data_len;
    if (!s->dropping) {
        if (br->result)
            LOG(LOG_HW, "%s: %s", s->vp.name, s->b->err);
        if (r->type == BLK_T_IN && status == BLK_S_OK) {
            if (virtq_elem_write(&s->vp, &r->elem, 0, r->buf, r->data_len))
                written = r->data_len;
            else
                status = BLK_S_IOERR;
        }
        complete(s, r, status, written);
    }
    req_free(r);
    if (!s->dropping && s->waiting)
        process_queue(s);
}

/* Check the request's range and direction; BLK_S_OK when it may run. */
static uint8_t check_rw(struct virtio_blk *s, struct virtio_blk_req *r)
{
    uint64_t sectors = s->b->size / BLOCK_SECTOR;
    if (r->data_len % BLOCK_SECTOR || r->sector > sectors ||
        r->data_len / BLOCK_SECTOR > sectors - r->sector)
        return BLK_S_IOERR;
    if (r->type == BLK_T_OUT && s->readonly)
        return BLK_S_IOERR;
    if (r->data_len > s->max_inflight)
        return BLK_S_IOERR;
    return BLK_S_OK;
}

/* Start r: answer it now, hand it to the aio queue, or park it (returns
 * false: no room in the bounce budget). */
static bool start(struct virtio_blk *s, struct virtio_blk_req *r)
{
    uint8_t status = BLK_S_OK;

    switch (r->type) {
    case BLK_T_IN:
    case BLK_T_OUT:
        status = check_rw(s, r);
        if (status != BLK_S_OK || r->data_len == 0)
            break;
        if (s->inflight && s->inflight_bytes + r->data_len > s->max_inflight)
            return false;
        r->buf = malloc(r->data_len);
        if (!r->buf) {
            status = BLK_S_IOERR;
            break;
        }
        if (r->type == BLK_T_OUT &&
            !virtq_elem_read(&s->vp, &r->elem, HDR_LEN, r->buf, r->data_len)) {
            status = BLK_S_IOERR;
            break;
        }
        r->br.op = r->type == BLK_T_IN ? BLOCK_OP_READ : BLOCK_OP_WRITE;
        r->br.off = r->sector * BLOCK_SECTOR;
        r->br.buf = r->buf;
        r->br.len = r->data_len;
        goto submit;
    case BLK_T_FLUSH:
        r->data_len = 0;
        r->br.op = BLOCK_OP_FLUSH;
        goto submit;
    case BLK_T_GET_ID: {
        uint8_t id[VIRTIO_BLK_ID_BYTES] = { 0 };
        uint64_t n = r->elem.in_len - 1;
        if (n > VIRTIO_BLK_ID_BYTES)
            n = VIRTIO_BLK_ID_BYTES;
        memcpy(id, s->serial, strlen(s->serial));
        if (!virtq_elem_write(&s->vp, &r->elem, 0, id, n)) {
            complete(s, r, BLK_S_IOERR, 0);
        } else {
            complete(s, r, BLK_S_OK, n);
        }
        req_free(r);
        return true;
    }
    default:
        LOG_ONCE(LOG_HW, "%s: request type %u unsupported", s->vp.name, r->type);
        status = BLK_S_UNSUPP;
        break;
    }
    complete(s, r, status, 0);
    req_free(r);
    return true;

submit:
    r->br.done = req_done;
    r->br.opaque = r;
    s->inflight++;
    s->inflight_bytes += r->data_len;
    block_aio_submit(s->aio, &r->br);
    return true;
}

/* Take chains off the queue and start them, until it is empty or one
 * must wait for room (it is parked, and completions call us again). */
static void process_queue(struct virtio_blk *s)
{
    struct virtio_blk_req *r = s->parked;

    s->waiting = false;
    if (r) {
        if (!start(s, r)) {
            s->waiting = true;
            return;
        }
        s->parked = NULL;
    }
    for (;;) {
        r = calloc(1, sizeof *r);
        if (!r) {
            virtio_broken(&s->vp, "out of memory for a virtio-blk request");
            return;
        }
        r->s = s;
        if (virtq_pop(&s->vp, 0, &r->elem) <= 0) {
            req_free(r);
            return;
        }
        uint8_t hdr[HDR_LEN];
        if (r->elem.in_len < 1 || !virtq_elem_read(&s->vp, &r->elem, 0, hdr, HDR_LEN)) {
            /* As QEMU ("missing headers"): no way to answer it. */
            virtio_broken(&s->vp, "virtio-blk request without header or status byte");
            req_free(r);
            return;
        }
        r->type = (uint32_t)hdr[0] | (uint32_t)hdr[1] << 8 | (uint32_t)hdr[2] << 16 |
                  (uint32_t)hdr[3] << 24;
        for (int k = 7; k >= 0; k--)
            r->sector = r->sector << 8 | hdr[8 + k];
        if (r->type == BLK_T_IN)
            r->data_len = r->elem.in_len - 1;
        else if (r->type == BLK_T_OUT)
            r->data_len = r->elem.out_len - HDR_LEN;
        if (!start(s, r)) {
            s->parked = r;
            s->waiting = true;
            return;
        }
    }
}

static void queue_notify(void *opaque, unsigned q)
{
    struct virtio_blk *s = opaque;
    if (q == 0 && !s->waiting)
        process_queue(s);
}

/* Device reset: let every request finish without answering it (the
 * rings are going away). Runs on the vCPU's thread: it waits for the
 * host disk, as a reset may. */
static void device_reset(void *opaque)
{
    struct virtio_blk *s = opaque;
    s->dropping = true;
    block_aio_drain(s->aio);
    s->dropping = false;
    if (s->parked)
        req_free(s->parked);
    s->parked = NULL;
    s->waiting = false;
}

/* ---- the board's side ---- */

int virtio_blk_init(struct virtio_blk *s, struct pci_bus *bus, unsigned devfn,
                    struct physmem *mem, struct irq_line irq, struct block *b,
                    bool readonly, const char *serial, char *err, size_t errlen)
{
    const struct virtio_ops ops = { queue_notify, device_reset, config_read, config_write, s };
    uint64_t features = 1ull << BLK_F_SEG_MAX | 1ull << BLK_F_BLK_SIZE | 1ull << BLK_F_FLUSH;

    memset(s, 0, sizeof *s);
    s->b = b;
    s->max_inflight = VIRTIO_BLK_MAX_INFLIGHT;
    s->readonly = readonly || b->readonly;
    if (s->readonly)
        features |= 1ull << BLK_F_RO;
    snprintf(s->serial, sizeof s->serial, "%s", serial ? serial : "");
    s->aio = block_aio_new(b, err, errlen);
    if (!s->aio)
        return -1;
    /* Class 0x010000: mass storage, SCSI (QEMU's choice for virtio-blk). */
    if (virtio_pci_init(&s->vp, bus, devfn, mem, irq, VIRTIO_ID_BLOCK, 0x010000, features, 1,
                        VIRTIO_BLK_QUEUE_SIZE, CONFIG_LEN, &ops)) {
        snprintf(err, errlen, "PCI slot %02x.%u is taken", devfn >> 3, devfn & 7);
        block_aio_free(s->aio);
        s->aio = NULL;
        return -1;
    }
    return 0;
}

int virtio_blk_open(struct virtio_blk *s, struct pci_bus *bus, unsigned devfn,
                    struct physmem *mem, struct irq_line irq, const char *path,
                    const char *format, int flags, const char *serial, char *err,
                    size_t errlen)
{
    const bool readonly = flags & BLOCK_RDONLY;
    struct block *b = block_open(path, format, flags, err, errlen);
    if (!b) {
        memset(s, 0, sizeof *s);
        return -1;
    }
    if (virtio_blk_init(s, bus, devfn, mem, irq, b, readonly, serial, err, errlen)) {
        block_close(b);
        return -1;
    }
    s->owns_image = true;
    return 0;
}

void virtio_blk_reset(struct virtio_blk *s)
{
    virtio_pci_reset(&s->vp);          /* calls device_reset */
}

void virtio_blk_free(struct virtio_blk *s)
{
    if (!s->aio)
        return;
    s->dropping = true;
    block_aio_free(s->aio);
    s->aio = NULL;
    if (s->parked)
        req_free(s->parked);
    s->parked = NULL;
    virtio_pci_free(&s->vp);
    if (s->owns_image)
        block_close(s->b);
    s->b = NULL;
    s->owns_image = false;
}

int virtio_blk_fd(const struct virtio_blk *s)
{
    return block_aio_fd(s->aio);
}

void virtio_blk_poll(struct virtio_blk *s)
{
    block_aio_poll(s->aio);
}

void virtio_blk_save(struct virtio_blk *s, struct savestate *ss)
{
    block_aio_drain(s->aio);
    virtio_pci_save(&s->vp, ss);
}

int virtio_blk_load(struct virtio_blk *s, struct savestate *ss)
{
    return virtio_pci_load(&s->vp, ss);
}
