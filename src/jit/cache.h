/* The recompiler's code cache (docs/jit.md, "Code cache"): one memfd
 * mapped twice, read-write where the translator writes and read-execute
 * where the CPU runs it, so no address is ever writable and executable
 * (W^X). Blocks are bump-allocated, 16-byte aligned; when the cache is full
 * everything is flushed at once and the generation moves, which is how the
 * caller's lookup tables know their host addresses are stale.
 *
 * One block is open at a time:
 *     jit_cache_begin(c, &b, max);      b writes into the RW view
 *     ...emit...                        addresses given to the emitter are exec ones
 *     fn = jit_cache_commit(c, &b);     the block's exec address, or NULL
 * NULL with b.overflow set: flush and translate again; with b.error set: a
 * translator bug, interpret instead.
 *
 * Not thread-safe; the caller serializes. Flush only when no code of the
 * cache is running or on any stack (not from a helper it called). */
#ifndef RAWBOX_JIT_CACHE_H
#define RAWBOX_JIT_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jit/emit.h"

#define JIT_CACHE_DEFAULT_SIZE ((size_t)64 << 20)
#define JIT_CACHE_ALIGN 16

struct jit_cache_stats {
    size_t used;                /* bytes allocated since the last flush (with padding) */
    uint64_t blocks;            /* blocks committed since the last flush */
    uint64_t blocks_total;      /* ... since init */
    uint64_t bytes_total;       /* code bytes committed since init */
    uint64_t flushes;
    uint64_t failed;            /* commits refused (overflow or error) */
};

struct jit_cache {
    uint8_t *rw;                /* the translator's view */
    uint8_t *rx;                /* the CPU's view, same bytes */
    size_t size;
    size_t open_at;             /* offset of the open block, or SIZE_MAX */
    uint64_t generation;        /* bumped by every flush */
    struct jit_cache_stats st;
    char err[160];              /* why init failed */
};

/* size is rounded up to whole pages (0: the default). 0 on success; -1 with
 * a message in c->err when the host refuses (no memfd, no executable
 * mapping): the caller runs the interpreter instead. Either way c can be
 * freed, any number of times. */
int jit_cache_init(struct jit_cache *c, size_t size);
void jit_cache_free(struct jit_cache *c);

/* Open a block (abandoning an open one): b writes into the free space (at
 * most max bytes, starting 16-aligned) and computes addresses for the exec
 * view. Returns the exec address the block will have, or NULL when no
 * byte is free (b is then empty, so anything emitted overflows). */
void *jit_cache_begin(struct jit_cache *c, struct jit_buf *b, size_t max);
/* Close the block opened with b: its exec address, or NULL when b failed
 * (overflow or error) or is not the open block (a flush came between). */
void *jit_cache_commit(struct jit_cache *c, struct jit_buf *b);
/* Forget every block and any open one. */
void jit_cache_flush(struct jit_cache *c);

bool jit_cache_contains(const struct jit_cache *c, const void *exec);
/* The RW alias of an exec address in the cache and back (NULL outside). */
void *jit_cache_rw(const struct jit_cache *c, const void *exec);
void *jit_cache_exec(const struct jit_cache *c, const void *rw);
/* Point a committed rel32 field (exec address `field`, ending its
 * instruction) at target: chaining. False when out of rel32 reach or
 * outside the cache. Another thread running the code sees the old or the
 * new target only when the field is 4-aligned. */
bool jit_cache_patch_rel32(struct jit_cache *c, void *field, const void *target);

#endif
