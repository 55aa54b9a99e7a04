/* What the block tests share: a scratch folder under /tmp, paths in it,
 * and a deterministic PRNG (xorshift64) for data and offsets. A header
 * of inline functions: every .c under tests/unit that is not a test is
 * linked into every test program. */
#ifndef RAWBOX_TEST_BLOCK_SCRATCH_H
#define RAWBOX_TEST_BLOCK_SCRATCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static char scratch_dir[64];
static uint64_t test_rng = 0x9e3779b97f4a7c15ull;

/* /tmp/rawbox-NAME-XXXXXX; 0, or -1 after printing why. */
static inline int scratch_make(const char *name)
{
    snprintf(scratch_dir, sizeof(scratch_dir), "/tmp/rawbox-%s-XXXXXX", name);
    if (!mkdtemp(scratch_dir)) {
        perror("mkdtemp");
        return -1;
    }
    return 0;
}

/* A path in the folder; the last eight stay valid. */
static inline const char *scratch_path(const char *name)
{
    static char paths[8][256];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, 256, "%s/%s", scratch_dir, name);
    return p;
}

static inline void scratch_remove(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", scratch_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", scratch_dir);
}

static inline uint64_t next_rand(void)
{
    test_rng ^= test_rng << 13;
    test_rng ^= test_rng >> 7;
    test_rng ^= test_rng << 17;
    return test_rng;
}

static inline void fill_rand(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)next_rand();
}

#endif
