/* The format-independent half of src/block/: the driver registry and
 * probing, opening with an OFD lock, range checks around the driver
 * calls, image creation, size strings and the pread/pwrite helpers the
 * drivers share. */
#include "block/block.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* vdi.c is another helper's file: until it is linked, &block_vdi is NULL. */
extern const struct block_format block_vdi __attribute__((weak));

/* The drivers probing asks, in this order (raw last: it answers 1 to
 * anything). */
static const struct block_format *const formats[] = {
    &block_qcow2, &block_vdi, &block_raw,
};
#define FORMAT_COUNT (sizeof(formats) / sizeof(formats[0]))

/* The first bytes probing looks at. */
#define PROBE_LEN 4096

const struct block_format *block_format_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < FORMAT_COUNT; i++)
        if (formats[i] && strcmp(formats[i]->name, name) == 0)
            return formats[i];
    return NULL;
}

/* The highest score wins; a tie between formats, or nothing but raw's 1,
 * is raw: guessing between two formats could write the wrong metadata. */
static const struct block_format *probe(const uint8_t *head, size_t len)
{
    const struct block_format *best = &block_raw;
    int best_score = 1;
    bool tie = false;

    for (size_t i = 0; i < FORMAT_COUNT; i++) {
        if (!formats[i] || formats[i] == &block_raw)
            continue;
        int score = formats[i]->probe(head, len);
        if (score > best_score) {
            best = formats[i];
            best_score = score;
            tie = false;
        } else if (score == best_score && score > 1) {
            tie = true;
        }
    }
    return tie ? &block_raw : best;
}

int block_error(struct block *b, int ret, const char *fmt, ...)
{
    char msg[BLOCK_ERR_LEN];
    va_list ap;
    size_t plen = strlen(b->path);

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    /* Every message names the file; drivers may name it themselves. */
    size_t n = 0;
    if (!(strncmp(msg, b->path, plen) == 0 && msg[plen] == ':')) {
        n = (size_t)snprintf(b->err, sizeof(b->err), "%s: ", b->path);
        if (n >= sizeof(b->err))
            n = sizeof(b->err) - 1;
    }
    size_t m = strlen(msg);
    if (m > sizeof(b->err) - 1 - n)
        m = sizeof(b->err) - 1 - n;
    memcpy(b->err + n, msg, m);
    b->err[n + m] = 0;
    return ret;
}

/* Shared for readers, exclusive for a writer; the whole file. OFD locks
 * belong to the open file description, so two opens in one process
 * conflict too, and QEMU takes the same kind. */
static int lock_file(int fd, bool shared)
{
    struct flock fl = {
        .l_type = shared ? F_RDLCK : F_WRLCK,
        .l_whence = SEEK_SET,
        .l_start = 0,
        .l_len = 0,
    };
    if (fcntl(fd, F_OFD_SETLK, &fl) < 0)
        return -errno;
    return 0;
}

/* The images this process holds locked, so that a lock refused because
 * of our own open says so (the same image given twice to one VM) rather
 * than blaming another process. Opens happen on one thread. */
#define HELD_MAX 64
static struct { dev_t dev; ino_t ino; const struct block *b; } held[HELD_MAX];

static void held_add(const struct block *b)
{
    struct stat st;
    if (fstat(b->fd, &st) < 0)
        return;
    for (int i = 0; i < HELD_MAX; i++)
        if (!held[i].b) {
            held[i].dev = st.st_dev;
            held[i].ino = st.st_ino;
            held[i].b = b;
            return;
        }
}

static void held_drop(const struct block *b)
{
    for (int i = 0; i < HELD_MAX; i++)
        if (held[i].b == b)
            held[i].b = NULL;
}

static bool held_by_us(int fd)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return false;
    for (int i = 0; i < HELD_MAX; i++)
        if (held[i].b && held[i].dev == st.st_dev && held[i].ino == st.st_ino)
            return true;
    return false;
}

static void lock_message(const char *path, int ret, char *err, size_t errlen)
{
    if (ret == -EAGAIN || ret == -EACCES)
        snprintf(err, errlen, "%s: locked by another process (is a VM using it?)", path);
    else
        snprintf(err, errlen, "%s: cannot lock: %s", path, strerror(-ret));
}

struct block *block_open(const char *path, const char *format, int flags,
                         char *err, size_t errlen)
{
    bool readonly = flags & BLOCK_RDONLY;
    const struct block_format *fmt = NULL;
    uint8_t head[PROBE_LEN];
    struct block *b;
    ssize_t n;
    int fd, ret;

    if (format && *format) {
        fmt = block_format_find(format);
        if (!fmt) {
            snprintf(err, errlen, "%s: unknown format '%s'", path, format);
            return NULL;
        }
    }
    fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    int dfd = -1;
    if (flags & BLOCK_DIRECT) {
        dfd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC | O_DIRECT);
        if (dfd < 0) {
            if (errno == EINVAL)
                snprintf(err, errlen, "%s: cache=none/directsync: its file system does not "
                         "take O_DIRECT (use cache=writeback)", path);
            else
                snprintf(err, errlen, "%s: %s", path, strerror(errno));
            close(fd);
            return NULL;
        }
    }
    if (!(flags & BLOCK_NOLOCK)) {
        ret = lock_file(fd, readonly);
        if (ret < 0) {
            if ((ret == -EAGAIN || ret == -EACCES) && held_by_us(fd))
                snprintf(err, errlen, "%s: already open in this VM (the same image given twice?)",
                         path);
            else
                lock_message(path, ret, err, errlen);
            close(fd);
            if (dfd >= 0)
                close(dfd);
            return NULL;
        }
    }
    if (!fmt) {
        do
            n = pread(fd, head, sizeof(head), 0);
        while (n < 0 && errno == EINTR);
        if (n < 0) {
            snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
            close(fd);
            if (dfd >= 0)
                close(dfd);
            return NULL;
        }
        fmt = probe(head, (size_t)n);
    }
    bool probed_raw = !(format && *format) && fmt == &block_raw;

    b = calloc(1, sizeof(*b));
    if (!b || !(b->path = strdup(path))) {
        free(b);
        snprintf(err, errlen, "%s: out of memory", path);
        close(fd);
        if (dfd >= 0)
            close(dfd);
        return NULL;
    }
    b->fmt = fmt;
    b->fd = fd;
    b->dfd = dfd;
    b->readonly = readonly;
    b->flags = flags;
    b->probed_raw = probed_raw;
    ret = fmt->open(b);
    if (ret < 0) {
        if (b->err[0])
            snprintf(err, errlen, "%s", b->err);
        else
            snprintf(err, errlen, "%s: cannot open as %s: %s", path, fmt->name,
                     strerror(-ret));
        if (b->backing)
            block_close(b->backing);
        close(fd);
        if (dfd >= 0)
            close(dfd);
        free(b->path);
        free(b);
        return NULL;
    }
    if (!(flags & BLOCK_NOLOCK))
        held_add(b);
    return b;
}

void block_close(struct block *b)
{
    if (!b)
        return;
    held_drop(b);
    b->fmt->close(b);
    if (b->backing)
        block_close(b->backing);
    if (b->dfd >= 0)
        close(b->dfd);
    close(b->fd);   /* drops the lock */
    free(b->path);
    free(b);
}

/* off..off+len inside the image; names the request when it is not. */
static int check_range(struct block *b, const char *what, uint64_t off, size_t len)
{
    if (off > b->size || len > b->size - off)
        return block_error(b, -EINVAL, "%s of %zu bytes at 0x%llx beyond the end (size 0x%llx)",
                           what, len, (unsigned long long)off,
                           (unsigned long long)b->size);
    return 0;
}

int block_read(struct block *b, uint64_t off, void *buf, size_t len)
{
    int ret = check_range(b, "read", off, len);
    if (ret < 0 || len == 0)
        return ret;
    return b->fmt->read(b, off, buf, len);
}

/* A guest that owns a raw image opened by probing could write another
 * format's header into it (a qcow2 one naming a host file as its backing
 * file), which the next probing open would follow. As QEMU does, such a
 * write to the probed bytes is refused. */
static int probed_raw_guard(struct block *b, uint64_t off, const void *buf, size_t len)
{
    uint8_t head[PROBE_LEN];
    size_t n = b->size < PROBE_LEN ? (size_t)b->size : PROBE_LEN;
    if (off >= n)
        return 0;
    int ret = b->fmt->read(b, 0, head, n);
    if (ret < 0)
        return ret;
    memcpy(head + off, buf, len < n - off ? len : n - off);
    const struct block_format *now = probe(head, n);
    if (now != &block_raw)
        return block_error(b, -EPERM, "a write to the start of this raw image (opened without a "
                           "format, so probed) would make it look like %s: refused; give "
                           "format=raw to allow it", now->name);
    return 0;
}

int block_write(struct block *b, uint64_t off, const void *buf, size_t len)
{
    if (b->readonly)
        return block_error(b, -EROFS, "write to a read-only image");
    int ret = check_range(b, "write", off, len);
    if (ret < 0 || len == 0)
        return ret;
    if (b->probed_raw && (ret = probed_raw_guard(b, off, buf, len)) < 0)
        return ret;
    ret = b->fmt->write(b, off, buf, len);
    if (ret == 0 && (b->flags & BLOCK_WRITETHROUGH))
        ret = b->fmt->flush(b);
    return ret;
}

int block_flush(struct block *b)
{
    if (b->readonly)
        return 0;
    return b->fmt->flush(b);
}

int block_sync(struct block *b)
{
    if (b->flags & BLOCK_NOFLUSH)
        return 0;
    if (fdatasync(b->fd) < 0)
        return block_error(b, -errno, "fdatasync: %s", strerror(errno));
    return 0;
}

int block_cache_flags(const char *mode, size_t len)
{
    static const struct { const char *name; int flags; } modes[] = {
        { "writeback", 0 },
        { "none", BLOCK_DIRECT },
        { "writethrough", BLOCK_WRITETHROUGH },
        { "directsync", BLOCK_DIRECT | BLOCK_WRITETHROUGH },
        { "unsafe", BLOCK_NOFLUSH },
    };
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        if (strlen(modes[i].name) == len && strncmp(mode, modes[i].name, len) == 0)
            return modes[i].flags;
    return -1;
}

int block_create_file(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
        return -1;
    }
    int ret = lock_file(fd, false);
    if (ret < 0) {
        lock_message(path, ret, err, errlen);
        close(fd);
        return -1;
    }
    /* Only now, with the lock held: never empty an image a VM is using. */
    if (ftruncate(fd, 0) < 0) {
        snprintf(err, errlen, "%s: cannot truncate: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

int block_create(const char *path, const char *format,
                 const struct block_create_opts *o, char *err, size_t errlen)
{
    const struct block_format *fmt = block_format_find(format ? format : "raw");

    if (!fmt) {
        snprintf(err, errlen, "%s: unknown format '%s'", path, format);
        return -EINVAL;
    }
    if (!fmt->create) {
        snprintf(err, errlen, "%s: format %s cannot create images", path, fmt->name);
        return -ENOTSUP;
    }
    if (o->size % BLOCK_SECTOR) {
        snprintf(err, errlen, "%s: size %llu is not a multiple of 512", path,
                 (unsigned long long)o->size);
        return -EINVAL;
    }
    return fmt->create(path, o, err, errlen);
}

/* Exact: "1.5K" is 1536, a fraction that leaves part of a byte ("1.1K")
 * is refused rather than rounded. */
int block_parse_size(const char *s, uint64_t *out)
{
    unsigned __int128 whole = 0, frac = 0, den = 1;
    const char *p = s;
    int shift = 0, digits = 0;

    if (!s)
        return -1;
    for (; *p >= '0' && *p <= '9'; p++, digits++) {
        whole = whole * 10 + (unsigned)(*p - '0');
        if (whole > UINT64_MAX)
            return -1;
    }
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
            if (den > UINT64_MAX)       /* too many digits to be exact */
                return -1;
            frac = frac * 10 + (unsigned)(*p - '0');
            den *= 10;
        }
    }
    if (digits == 0)
        return -1;
    switch (*p) {
    case 'k': case 'K': shift = 10; p++; break;
    case 'm': case 'M': shift = 20; p++; break;
    case 'g': case 'G': shift = 30; p++; break;
    case 't': case 'T': shift = 40; p++; break;
    case 'p': case 'P': shift = 50; p++; break;
    }
    if (shift && (p[0] == 'i' || p[0] == 'I') && (p[1] == 'b' || p[1] == 'B'))
        p += 2;
    else if (*p == 'b' || *p == 'B')
        p++;
    if (*p)
        return -1;
    /* whole < 2^64 and shift <= 50: fits in 128 bits. */
    unsigned __int128 bytes = whole << shift;
    unsigned __int128 fbytes = frac << shift;   /* frac < den <= 10^20 < 2^67 */
    if (fbytes % den)
        return -1;
    bytes += fbytes / den;
    if (bytes > UINT64_MAX)
        return -1;
    *out = (uint64_t)bytes;
    return 0;
}

/* BLOCK_DIRECT: a request of whole aligned blocks goes through the
 * O_DIRECT descriptor, via an aligned bounce buffer when the caller's is
 * not aligned. 1: done (or *ret has the error); 0: take the ordinary path. */
static int direct_io(struct block *b, void *buf, size_t len, uint64_t off, bool write, int *ret)
{
    const size_t a = BLOCK_DIRECT_ALIGN;
    if (b->dfd < 0 || len == 0 || (len | off) % a)
        return 0;
    void *io = buf;
    if ((uintptr_t)buf % a) {
        if (posix_memalign(&io, a, len))
            return 0;
        if (write)
            memcpy(io, buf, len);
    }
    uint8_t *p = io;
    size_t left = len;
    uint64_t at = off;
    *ret = 0;
    while (left) {
        ssize_t n = write ? pwrite(b->dfd, p, left, (off_t)at) : pread(b->dfd, p, left, (off_t)at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || (n == 0 && write)) {
            int e = n < 0 ? errno : EIO;
            *ret = block_error(b, -e, "%s of %zu bytes at 0x%llx (O_DIRECT): %s",
                               write ? "write" : "read", left, (unsigned long long)at, strerror(e));
            break;
        }
        if (n == 0) {               /* past the end of the file */
            memset(p, 0, left);
            break;
        }
        p += n;
        left -= (size_t)n;
        at += (uint64_t)n;
    }
    if (io != buf) {
        if (!write && *ret == 0)
            memcpy(buf, io, len);
        free(io);
    }
    return 1;
}

int block_pread(struct block *b, void *buf, size_t len, uint64_t off)
{
    uint8_t *p = buf;
    int ret;

    if (direct_io(b, buf, len, off, false, &ret))
        return ret;
    while (len) {
        ssize_t n = pread(b->fd, p, len, (off_t)off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return block_error(b, -errno, "read of %zu bytes at 0x%llx: %s", len,
                               (unsigned long long)off, strerror(errno));
        }
        if (n == 0) {               /* past the end of the file */
            memset(p, 0, len);
            return 0;
        }
        p += n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return 0;
}

int block_pwrite(struct block *b, const void *buf, size_t len, uint64_t off)
{
    const uint8_t *p = buf;
    int ret;

    if (direct_io(b, (void *)buf, len, off, true, &ret))
        return ret;
    while (len) {
        ssize_t n = pwrite(b->fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = n < 0 ? errno : EIO;
            return block_error(b, -e, "write of %zu bytes at 0x%llx: %s", len,
                               (unsigned long long)off, strerror(e));
        }
        p += n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return 0;
}
