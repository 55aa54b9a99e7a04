/* raw: the image is the disk, byte for byte. A regular file's size is the
 * disk's (created sparse by ftruncate); a block device's comes from
 * BLKGETSIZE64. No metadata, so nothing to check or cache. */
#include "block/block.h"

#include <errno.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

static int raw_probe(const uint8_t *head, size_t len)
{
    return 1;
}

static int raw_open(struct block *b)
{
    struct stat st;

    if (fstat(b->fd, &st) < 0)
        return block_error(b, -errno, "stat: %s", strerror(errno));
    if (S_ISBLK(st.st_mode)) {
        uint64_t size;
        if (ioctl(b->fd, BLKGETSIZE64, &size) < 0)
            return block_error(b, -errno, "BLKGETSIZE64: %s", strerror(errno));
        b->size = size;
    } else if (S_ISREG(st.st_mode)) {
        b->size = (uint64_t)st.st_size;
    } else {
        return block_error(b, -EINVAL, "not a regular file or block device");
    }
    return 0;
}

/* block_pread gives zeros past the end of the file (another process may
 * have shortened it). */
static int raw_read(struct block *b, uint64_t off, void *buf, size_t len)
{
    return block_pread(b, buf, len, off);
}

static int raw_write(struct block *b, uint64_t off, const void *buf, size_t len)
{
    return block_pwrite(b, buf, len, off);
}

static int raw_flush(struct block *b)
{
    return block_sync(b);
}

static void raw_close(struct block *b)
{
}

static int raw_create(const char *path, const struct block_create_opts *o,
                      char *err, size_t errlen)
{
    int fd = block_create_file(path, err, errlen);
    if (fd < 0)
        return -EIO;
    if (ftruncate(fd, (off_t)o->size) < 0) {
        int e = errno;
        snprintf(err, errlen, "%s: cannot set the size: %s", path, strerror(e));
        close(fd);
        return -e;
    }
    close(fd);
    return 0;
}

static int raw_check(struct block *b, struct block_check *res, bool repair)
{
    memset(res, 0, sizeof(*res));
    return 0;
}

static int raw_resize(struct block *b, uint64_t size)
{
    struct stat st;

    if (fstat(b->fd, &st) < 0)
        return block_error(b, -errno, "stat: %s", strerror(errno));
    if (!S_ISREG(st.st_mode))
        return block_error(b, -ENOTSUP, "cannot resize a block device");
    if (ftruncate(b->fd, (off_t)size) < 0)
        return block_error(b, -errno, "cannot set the size: %s", strerror(errno));
    b->size = size;
    return 0;
}

const struct block_format block_raw = {
    .name = "raw",
    .probe = raw_probe,
    .open = raw_open,
    .read = raw_read,
    .write = raw_write,
    .flush = raw_flush,
    .close = raw_close,
    .create = raw_create,
    .check = raw_check,
    .resize = raw_resize,
};
