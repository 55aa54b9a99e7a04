/* The code cache (cache.h): a memfd mapped shared twice, RW and RX. */
#include "jit/cache.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Linux 6.3: a memfd may be mapped executable only when created with
 * MFD_EXEC (or without either flag when vm.memfd_noexec is 0). Older
 * kernels refuse the flag with EINVAL. */
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

static int fail(struct jit_cache *c, const char *what)
{
    snprintf(c->err, sizeof(c->err), "jit code cache: %s: %s", what, strerror(errno));
    return -1;
}

/* An address for the exec view about 1 GiB below our own text, so that
 * emit_call_abs reaches the C helpers with a rel32 CALL (else each call
 * is MOV R11, imm64 + CALL R11). Only a hint: the kernel takes it when
 * the range is free and picks its usual place otherwise (a second cache
 * lands there, far from the text: calls through R11, still correct). */
static void *near_text(size_t size)
{
    uintptr_t text = (uintptr_t)&jit_cache_init & ~(uintptr_t)0x1FFFFF;
    uintptr_t gap = (uintptr_t)1 << 30;
    if (size > gap / 2 || text < 2 * gap + size)
        return NULL;
    return (void *)(text - gap - size);
}

int jit_cache_init(struct jit_cache *c, size_t size)
{
    memset(c, 0, sizeof(*c));
    c->open_at = SIZE_MAX;
    long page = sysconf(_SC_PAGESIZE);
    size_t pg = page > 0 ? (size_t)page : 4096;
    if (!size)
        size = JIT_CACHE_DEFAULT_SIZE;
    if (size > SIZE_MAX / 4) {
        errno = EINVAL;
        return fail(c, "size");
    }
    size = (size + pg - 1) / pg * pg;

    int fd = memfd_create("rawbox-jit", MFD_CLOEXEC | MFD_EXEC);
    if (fd < 0 && errno == EINVAL)
        fd = memfd_create("rawbox-jit", MFD_CLOEXEC);
    if (fd < 0)
        return fail(c, "memfd_create");
    const char *what = NULL;
    void *rx = MAP_FAILED, *rw = MAP_FAILED;
    if (ftruncate(fd, (off_t)size) < 0)
        what = "ftruncate";
    else if ((rx = mmap(near_text(size), size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0)) == MAP_FAILED)
        what = "executable mapping";
    else if ((rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) == MAP_FAILED)
        what = "writable mapping";
    int saved = errno;
    /* The two mappings keep the memory; the descriptor is not needed. */
    close(fd);
    if (what) {
        if (rx != MAP_FAILED)
            munmap(rx, size);
        errno = saved;
        return fail(c, what);
    }
    c->rx = rx;
    c->rw = rw;
    c->size = size;
    return 0;
}

void jit_cache_free(struct jit_cache *c)
{
    if (c->rw)
        munmap(c->rw, c->size);
    if (c->rx)
        munmap(c->rx, c->size);
    c->rw = c->rx = NULL;
    c->size = 0;
    c->st.used = 0;
    c->open_at = SIZE_MAX;
}

void *jit_cache_begin(struct jit_cache *c, struct jit_buf *b, size_t max)
{
    size_t at = (c->st.used + JIT_CACHE_ALIGN - 1) & ~(size_t)(JIT_CACHE_ALIGN - 1);
    if (at > c->size)
        at = c->size;
    size_t room = c->size - at;
    if (max > room)
        max = room;
    /* Padding since the last block: INT3, so a stray jump there traps. */
    if (at > c->st.used)
        memset(c->rw + c->st.used, 0xCC, at - c->st.used);
    c->st.used = at;
    c->open_at = at;
    emit_init_exec(b, c->rw + at, max, c->rx + at);
    return room ? c->rx + at : NULL;
}

void *jit_cache_commit(struct jit_cache *c, struct jit_buf *b)
{
    size_t at = c->open_at;
    if (at == SIZE_MAX || b->start != c->rw + at || b->exec_delta != (uintptr_t)(c->rx - c->rw)) {
        c->st.failed++;
        return NULL;
    }
    c->open_at = SIZE_MAX;
    if (emit_failed(b)) {
        c->st.failed++;
        return NULL;
    }
    size_t n = emit_offset(b);
    c->st.used = at + n;
    c->st.blocks++;
    c->st.blocks_total++;
    c->st.bytes_total += n;
    return c->rx + at;
}

void jit_cache_flush(struct jit_cache *c)
{
    c->st.used = 0;
    c->st.blocks = 0;
    c->st.flushes++;
    c->generation++;
    c->open_at = SIZE_MAX;
}

bool jit_cache_contains(const struct jit_cache *c, const void *exec)
{
    return (uintptr_t)exec - (uintptr_t)c->rx < c->size;
}

void *jit_cache_rw(const struct jit_cache *c, const void *exec)
{
    if (!jit_cache_contains(c, exec))
        return NULL;
    return c->rw + ((uintptr_t)exec - (uintptr_t)c->rx);
}

void *jit_cache_exec(const struct jit_cache *c, const void *rw)
{
    uintptr_t off = (uintptr_t)rw - (uintptr_t)c->rw;
    return off < c->size ? c->rx + off : NULL;
}

bool jit_cache_patch_rel32(struct jit_cache *c, void *field, const void *target)
{
    uintptr_t off = (uintptr_t)field - (uintptr_t)c->rx;
    if (off >= c->size || c->size - off < 4)
        return false;
    int64_t rel = (int64_t)((uintptr_t)target - ((uintptr_t)field + 4));
    if (rel < INT32_MIN || rel > INT32_MAX)
        return false;
    uint32_t v = (uint32_t)rel;
    uint8_t *w = c->rw + off;
    if (!((uintptr_t)w & 3))
        __atomic_store_n((uint32_t *)(void *)w, v, __ATOMIC_RELEASE);
    else
        memcpy(w, &v, 4);
    return true;
}
