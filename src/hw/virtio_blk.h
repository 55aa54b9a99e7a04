/* virtio block device (src/hw/virtio_blk.c) on the modern virtio PCI
 * transport (hw/virtio_pci.h): one request queue of 256 entries, requests
 * run on the image's aio queue (block/block.h) so the vCPU never waits
 * for the host disk. The board watches virtio_blk_fd() and calls
 * virtio_blk_poll() on the run loop's thread when it is readable; the
 * completions then go to the used ring and raise INTA#. */
#ifndef RAWBOX_HW_VIRTIO_BLK_H
#define RAWBOX_HW_VIRTIO_BLK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hw/virtio_pci.h"

struct block;
struct block_aio;
struct savestate;

#define VIRTIO_BLK_QUEUE_SIZE   256
#define VIRTIO_BLK_ID_BYTES     20      /* GET_ID answer (s5.2.6) */
/* Bytes of request data held in bounce buffers at once: a larger
 * request fails, later ones wait for completions. */
#define VIRTIO_BLK_MAX_INFLIGHT (64u << 20)

struct virtio_blk_req;

struct virtio_blk {
    struct virtio_pci vp;
    struct block *b;            /* the image */
    bool owns_image;            /* opened by virtio_blk_open: closed by free */
    struct block_aio *aio;      /* owned */
    bool readonly;
    char serial[VIRTIO_BLK_ID_BYTES + 1];
    uint8_t writeback;          /* config byte `writeback` (CONFIG_WCE) */
    uint64_t max_inflight;      /* VIRTIO_BLK_MAX_INFLIGHT (tests lower it) */
    uint64_t inflight_bytes;
    unsigned inflight;
    bool dropping;              /* reset: completions are freed, not answered */
    bool waiting;               /* a request waits for buffer room */
    struct virtio_blk_req *parked;  /* ... this one, taken off the ring */
    uint64_t reqs_done, reqs_failed;
};

/* Create the function at devfn on bus, for image b (opened read-only
 * when `readonly`), with the serial returned by GET_ID (truncated to 20
 * bytes). Starts the image's aio worker. Returns -1 with err set. */
int virtio_blk_init(struct virtio_blk *s, struct pci_bus *bus, unsigned devfn,
                    struct physmem *mem, struct irq_line irq, struct block *b,
                    bool readonly, const char *serial, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* The same for the image at `path` (format NULL: probe), opened with
 * block_open's `flags` (BLOCK_RDONLY, the cache mode) and closed by the
 * device. err gets "PATH: why". */
int virtio_blk_open(struct virtio_blk *s, struct pci_bus *bus, unsigned devfn,
                    struct physmem *mem, struct irq_line irq, const char *path,
                    const char *format, int flags, const char *serial, char *err,
                    size_t errlen) __attribute__((warn_unused_result));
/* Machine reset: drains the aio queue, resets the transport. */
void virtio_blk_reset(struct virtio_blk *s);
/* Stops the worker (waiting for requests in flight); b stays open
 * unless virtio_blk_open opened it. */
void virtio_blk_free(struct virtio_blk *s);
/* The fd to watch, and what to call when it is readable. */
int virtio_blk_fd(const struct virtio_blk *s);
/* Save: waits for the requests in flight (answered first), then the
 * transport's section. Load: the transport's section (after the PCI
 * bus's). */
void virtio_blk_save(struct virtio_blk *s, struct savestate *ss);
int virtio_blk_load(struct virtio_blk *s, struct savestate *ss);
void virtio_blk_poll(struct virtio_blk *s);

#endif
