/* Disk images behind one interface (src/block/).
 *
 * A `struct block` is one open image: a format driver (raw, qcow2, vdi)
 * turns guest byte offsets into reads and writes of the host file, and
 * may stack on a backing image (qcow2). Devices (IDE, ATAPI, virtio-blk)
 * and `rawbox disk` see only this file.
 *
 * Two ways in:
 *  - synchronous calls (block_read/write/flush): the `rawbox disk`
 *    commands, tests, and the aio worker thread below;
 *  - the aio queue (block_aio_*): what devices use, so that a slow host
 *    disk never stalls the vCPU. One worker thread per open image runs the
 *    requests in submission order (a FLUSH completes after every write
 *    submitted before it); completions come back on the run loop's thread
 *    through an eventfd (machine_add_poll), where the device copies data
 *    to guest memory and raises its IRQ.
 * A format driver is only ever called by one thread at a time: while an
 * aio queue is attached, only its worker calls the driver.
 *
 * Errors: calls return 0 or a negative errno; the reason, one line naming
 * the file, what and why ("disk.qcow2: L2 table at 0x... beyond the end of
 * the file"), is left in b->err. block_open() puts it in its `err` buffer.
 * A corrupt image gives an error, never a crash or an access outside the
 * driver's buffers; every parser is fuzzed (tests/unit/block/). */
#ifndef RAWBOX_BLOCK_BLOCK_H
#define RAWBOX_BLOCK_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BLOCK_SECTOR 512u
#define BLOCK_ERR_LEN 256

struct block;

/* What `rawbox disk create` asks of a format. */
struct block_create_opts {
    uint64_t size;              /* virtual size in bytes, a multiple of 512 */
    const char *backing;        /* qcow2: backing file name, or NULL */
    const char *backing_fmt;    /* its format, or NULL to probe */
    uint32_t cluster_size;      /* qcow2: 0 = the default (64 KiB) */
    int compat;                 /* qcow2: 2 or 3; 0 = 3 */
    bool fixed;                 /* vdi: preallocated (fixed) instead of dynamic */
};

/* What `rawbox disk check` found. Leaks are harmless (space lost);
 * corruptions mean data may be wrong. */
struct block_check {
    uint64_t leaks;             /* clusters/blocks allocated but unused */
    uint64_t corruptions;       /* refcount or table errors */
    uint64_t leaks_fixed, corruptions_fixed;
    uint64_t allocated;         /* clusters/blocks in use */
    uint64_t total;             /* clusters/blocks the image could hold */
};

struct block_format {
    const char *name;           /* "raw", "qcow2", "vdi" */
    /* How sure the driver is that these first bytes are its format:
     * 0 = not, 100 = magic matches. raw answers 1. */
    int (*probe)(const uint8_t *head, size_t len);
    /* Parse and check the headers of b->fd (already open and locked);
     * set b->size and b->priv. On failure free what it allocated, except
     * b->backing, which block_open closes; close is not called. */
    int (*open)(struct block *b);
    int (*read)(struct block *b, uint64_t off, void *buf, size_t len);
    int (*write)(struct block *b, uint64_t off, const void *buf, size_t len);
    /* Metadata the driver caches goes to the file, then fdatasync. */
    int (*flush)(struct block *b);
    void (*close)(struct block *b);
    /* Optional (NULL: the command says the format cannot). */
    int (*create)(const char *path, const struct block_create_opts *o,
                  char *err, size_t errlen);
    void (*info)(struct block *b, FILE *out);     /* format-specific lines */
    int (*check)(struct block *b, struct block_check *res, bool repair);
    int (*resize)(struct block *b, uint64_t size);
};

struct block {
    const struct block_format *fmt;
    char *path;
    int fd;
    bool readonly;
    int flags;                  /* the block_open flags (backing files: NOLOCK) */
    bool probed_raw;            /* raw by probing, no format given: writes
                                 * that would make it probe as another
                                 * format are refused (block_write) */
    uint64_t size;              /* virtual size in bytes */
    int dfd;                    /* BLOCK_DIRECT: the same file opened with
                                 * O_DIRECT, for aligned data I/O; else -1 */
    struct block *backing;      /* opened by the driver; closed with b */
    void *priv;                 /* the driver's state */
    char err[BLOCK_ERR_LEN];
};

/* The drivers (raw.c, qcow2.c, vdi.c). block.c takes block_vdi as a weak
 * symbol: the registry skips it while vdi.c is not linked. */
extern const struct block_format block_raw, block_qcow2, block_vdi;

/* block_open flags */
#define BLOCK_RDONLY    0x1
#define BLOCK_NOLOCK    0x2     /* tests and `disk info` of a running VM's image */
/* The host cache modes (QEMU's cache=, block_cache_flags), also given to
 * backing files:
 *  - BLOCK_DIRECT: whole aligned blocks (BLOCK_DIRECT_ALIGN) go through an
 *    O_DIRECT descriptor, past the host page cache; the rest (metadata,
 *    guest requests that are not aligned) through the ordinary one, which
 *    the kernel keeps coherent with it;
 *  - BLOCK_WRITETHROUGH: a write is flushed before it completes;
 *  - BLOCK_NOFLUSH: flushes write what drivers cache but skip the
 *    fdatasync (cache=unsafe: a host crash may lose what the guest
 *    flushed). */
#define BLOCK_DIRECT        0x4
#define BLOCK_WRITETHROUGH  0x8
#define BLOCK_NOFLUSH       0x10
#define BLOCK_CACHE_MASK    (BLOCK_DIRECT | BLOCK_WRITETHROUGH | BLOCK_NOFLUSH)
#define BLOCK_DIRECT_ALIGN  4096u

/* QEMU's cache= modes: writeback (0: the host page cache, flushes
 * fdatasync), none (BLOCK_DIRECT), writethrough, directsync (both) and
 * unsafe (BLOCK_NOFLUSH). The first `len` bytes of `mode`; -1 if unknown. */
int block_cache_flags(const char *mode, size_t len);

/* Open an image. `format` NULL or "" probes (refusing to guess "raw" for
 * a file that carries another format's magic is the driver's job: raw
 * opened by probing prints nothing, but a qcow2 file asked for as raw is
 * the caller's choice). Takes an OFD lock (shared for read-only,
 * exclusive otherwise): an image in use by another rawbox or QEMU is
 * refused. Returns NULL with `err` set. */
struct block *block_open(const char *path, const char *format, int flags,
                         char *err, size_t errlen);
void block_close(struct block *b);

/* Offsets and lengths are bytes; devices use multiples of 512. Reads past
 * the end fail with -EINVAL (devices check ranges first). */
int block_read(struct block *b, uint64_t off, void *buf, size_t len);
int block_write(struct block *b, uint64_t off, const void *buf, size_t len);
int block_flush(struct block *b);

/* The driver by name ("raw", "qcow2", "vdi"), or NULL. */
const struct block_format *block_format_find(const char *name);
/* Create an image of a format (NULL: raw); err set on failure. A size
 * that is not a multiple of 512 is refused here, before the driver. */
int block_create(const char *path, const char *format,
                 const struct block_create_opts *o, char *err, size_t errlen);

/* For drivers' create: open PATH for writing (created 0644 if absent),
 * take the exclusive lock, then empty it. Returns the fd, or -1 with err
 * set ("PATH: locked by another process ..."). */
int block_create_file(const char *path, char *err, size_t errlen);

/* Sizes as users write them: 512, 20G, 1.5T, 100M, 64k, 2MiB, 1P (powers
 * of 1024; a plain number is bytes). Exact: a fraction that leaves part of
 * a byte ("1.1K") is refused. -1 with nothing stored on a bad string. */
int block_parse_size(const char *s, uint64_t *out);

/* Helpers for drivers: whole pread/pwrite (short transfers retried,
 * EINTR retried; reading past the end of the file gives zeros). Errors
 * set b->err naming the file and offset. */
int block_pread(struct block *b, void *buf, size_t len, uint64_t off);
int block_pwrite(struct block *b, const void *buf, size_t len, uint64_t off);
/* For drivers' flush, after their own metadata is written: fdatasync,
 * unless the cache mode is unsafe. */
int block_sync(struct block *b);
/* printf into b->err, after "PATH: " unless the message starts with it;
 * returns `ret` (a negative errno) for `return`. */
int block_error(struct block *b, int ret, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- asynchronous requests (devices) ---- */

enum block_op { BLOCK_OP_READ, BLOCK_OP_WRITE, BLOCK_OP_FLUSH };

struct block_req {
    enum block_op op;
    uint64_t off;
    void *buf;                  /* the device's buffer: filled by READ */
    size_t len;
    int result;                 /* 0 or a negative errno, set before done */
    /* Called on the run loop's thread (from block_aio_poll). */
    void (*done)(struct block_req *r, void *opaque);
    void *opaque;
    struct block_req *next;     /* queue link, the aio layer's */
};

struct block_aio;

/* Start a worker for b. Returns NULL with err set. */
struct block_aio *block_aio_new(struct block *b, char *err, size_t errlen);
/* Wait for every submitted request, stop the worker. Completions not yet
 * polled are run first. */
void block_aio_free(struct block_aio *q);
/* Queue a request; the caller keeps r (and its buffer) alive until done
 * runs. */
void block_aio_submit(struct block_aio *q, struct block_req *r);
/* The eventfd that becomes readable when requests have completed. */
int block_aio_fd(const struct block_aio *q);
/* Run the done callbacks of completed requests (run loop thread). */
void block_aio_poll(struct block_aio *q);
/* Block until every submitted request has completed and run its done
 * callback (reset, save state, exit). */
void block_aio_drain(struct block_aio *q);

#endif
