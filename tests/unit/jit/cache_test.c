/* The code cache (src/jit/cache.c): functions emitted through the RW view
 * and called through the RX view (ALU code, a call into C, RIP-relative
 * constants, a chained jump patched after commit); W^X checked twice, in
 * /proc/self/maps and by faulting on a write to the RX view and a call
 * into the RW view; filling until commit fails, flushing, and the block
 * alignment and statistics along the way. */
#include <setjmp.h>
#include <signal.h>

#include "test.h"
#include "jit/cache.h"

typedef int64_t (*fn1)(int64_t);

#define CALL1(p, x) (((fn1)(uintptr_t)(p))(x))

/* ---- W^X ---- */

/* The permissions ("rw-s") of the mapping holding addr, or "" if none. */
static void map_perms(const void *addr, char perms[8])
{
    perms[0] = 0;
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof(line), f)) {
        unsigned long lo, hi;
        char p[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, p) == 3 &&
            (uintptr_t)addr >= lo && (uintptr_t)addr < hi) {
            snprintf(perms, 8, "%s", p);
            break;
        }
    }
    fclose(f);
}

static sigjmp_buf fault_jmp;

static void on_fault(int sig)
{
    siglongjmp(fault_jmp, sig);
}

static void poke(void *p)
{
    *(volatile uint8_t *)p = 0xC3;
}

static void run(void *p)
{
    ((void (*)(void))(uintptr_t)p)();
}

/* Whether fn(arg) faults (SIGSEGV, or SIGBUS for a bad mapping). */
static bool faults(void (*fn)(void *), void *arg)
{
    struct sigaction sa, old_segv, old_bus;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_fault;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGSEGV, &sa, &old_segv);
    sigaction(SIGBUS, &sa, &old_bus);
    bool faulted = sigsetjmp(fault_jmp, 1) != 0;
    if (!faulted)
        fn(arg);
    sigaction(SIGSEGV, &old_segv, NULL);
    sigaction(SIGBUS, &old_bus, NULL);
    return faulted;
}

static void test_wx(struct jit_cache *c)
{
    char p[8];
    map_perms(c->rw, p);
    CHECK_STR(p, "rw-s", "RW view, first page: read-write, shared");
    map_perms(c->rw + c->size - 1, p);
    CHECK_STR(p, "rw-s", "RW view, last page");
    map_perms(c->rx, p);
    CHECK_STR(p, "r-xs", "RX view, first page: read-execute, shared");
    map_perms(c->rx + c->size - 1, p);
    CHECK_STR(p, "r-xs", "RX view, last page");

    /* A RET in the first byte: it runs from the RX view, and the RW view
     * faults when called; the RX view faults when written. */
    struct jit_buf b;
    void *fn = jit_cache_begin(c, &b, 64);
    emit_ret(&b);
    CHECK(jit_cache_commit(c, &b) == fn && fn == c->rx, "ret block committed at the RX start");
    CHECK(!faults(run, fn), "calling the RX view runs");
    CHECK(faults(run, c->rw), "calling the RW view faults");
    CHECK(faults(poke, c->rx + 1), "writing the RX view faults");
    CHECK(!faults(poke, c->rw + 1), "writing the RW view works");
    CHECK_EQ(c->rx[1], 0xC3, "a write to the RW view shows in the RX view");
    jit_cache_flush(c);
}

/* ---- blocks that run ---- */

static int64_t helper(int64_t a, int64_t b)
{
    return a * 100 + b;
}

static void test_run(struct jit_cache *c)
{
    struct jit_buf b;

    /* ALU: ((x + 5) ^ 0xff) * 3 - x. */
    void *alu = jit_cache_begin(c, &b, 256);
    emit_lea(&b, 64, JIT_RAX, jit_mem(JIT_RDI, 5));
    emit_alu_ri(&b, JIT_XOR, 64, JIT_RAX, 0xff);
    emit_imul_rri(&b, 64, JIT_RAX, JIT_RAX, 3);
    emit_alu_rr(&b, JIT_SUB, 64, JIT_RAX, JIT_RDI);
    emit_ret(&b);
    void *got = jit_cache_commit(c, &b);
    CHECK(got && got == alu && jit_cache_contains(c, got), "alu block committed in the RX view");
    if (got)
        for (int64_t x = -1000; x <= 1000; x += 333)
            CHECK_EQ(CALL1(got, x), ((x + 5) ^ 0xff) * 3 - x, "alu block (%" PRId64 ")", x);

    /* A call into C: helper(x, helper(x, 7)). */
    void *call = jit_cache_begin(c, &b, 256);
    emit_push_r(&b, JIT_RBX);       /* RSP 16-aligned at the calls */
    emit_mov_rr(&b, 64, JIT_RBX, JIT_RDI);
    emit_mov_ri(&b, 64, JIT_RSI, 7);
    size_t at = emit_offset(&b);
    emit_call_abs(&b, (const void *)helper);
    emit_mov_rr(&b, 64, JIT_RDI, JIT_RBX);
    emit_mov_rr(&b, 64, JIT_RSI, JIT_RAX);
    emit_call_abs(&b, (const void *)helper);
    emit_pop_r(&b, JIT_RBX);
    emit_ret(&b);
    got = jit_cache_commit(c, &b);
    CHECK(got && got == call, "call block committed");
    if (got) {
        /* rel32 (E8) when the RX view is within reach of the text (the
         * cache asks for a place near it), else MOV R11 (49 BB). */
        intptr_t d = (intptr_t)((uintptr_t)helper - (uintptr_t)got);
        bool near = d > INT32_MIN + 0x1000 && d < INT32_MAX - 0x1000;
        CHECK_EQ(((uint8_t *)jit_cache_rw(c, got))[at], near ? 0xE8 : 0x49,
                 "call into C: %s", near ? "rel32 from the RX view" : "through r11");
        if (!near)
            printf("note: the RX view is not within rel32 of the text\n");
        CHECK_EQ(CALL1(got, 3), helper(3, helper(3, 7)), "call into C (3)");
        CHECK_EQ(CALL1(got, -99), helper(-99, helper(-99, 7)), "call into C (-99)");
    }

    /* RIP-relative: constants after the code, and the block's own address. */
    enum { DATA = 64 };
    void *rip = jit_cache_begin(c, &b, 256);
    emit_mov_rm(&b, 64, JIT_RAX, jit_mem_rip(emit_exec_addr(&b, DATA)));
    emit_imul_rr(&b, 64, JIT_RAX, JIT_RDI);
    emit_alu_rm(&b, JIT_ADD, 64, JIT_RAX, jit_mem_rip(emit_exec_addr(&b, DATA + 8)));
    emit_test_rr(&b, 64, JIT_RDI, JIT_RDI);
    size_t skip = emit_jcc8_fwd(&b, JIT_CC_NE);
    emit_lea(&b, 64, JIT_RAX, jit_mem_rip(emit_exec_addr(&b, 0)));   /* f(0) = f */
    emit_patch_rel8(&b, skip, emit_here(&b));
    emit_ret(&b);
    bool fits = emit_offset(&b) <= DATA;
    while (emit_offset(&b) < DATA)
        emit_int3(&b);
    static const int64_t k[2] = { 7, 0x1122334455667788 };
    if (!emit_failed(&b) && b.end - b.p >= 16) {
        memcpy(b.p, k, 16);
        b.p += 16;
    }
    got = jit_cache_commit(c, &b);
    CHECK(got && got == rip && fits && emit_offset(&b) == DATA + 16, "rip-relative block committed");
    if (got) {
        CHECK_EQ(CALL1(got, 5), 5 * k[0] + k[1], "rip-relative constants (5)");
        CHECK_EQ(CALL1(got, -3), -3 * k[0] + k[1], "rip-relative constants (-3)");
        CHECK_EQ(CALL1(got, 0), (uintptr_t)got, "lea [rip] gives the RX address");
    }

    /* Chaining: a jump left to fall through, then patched through the RW
     * alias to another block. */
    void *from = jit_cache_begin(c, &b, 64);
    size_t field = emit_jmp32_fwd(&b);
    emit_mov_ri(&b, 32, JIT_RAX, 1);
    emit_ret(&b);
    void *src = jit_cache_commit(c, &b);
    jit_cache_begin(c, &b, 64);
    emit_mov_ri(&b, 32, JIT_RAX, 42);
    emit_ret(&b);
    void *dst = jit_cache_commit(c, &b);
    CHECK(src == from && dst, "chain blocks committed");
    if (src && dst) {
        CHECK_EQ(CALL1(src, 0), 1, "unchained: falls through");
        uint8_t *f = (uint8_t *)src + field;
        CHECK(jit_cache_patch_rel32(c, f, dst), "chain patched");
        CHECK_EQ(CALL1(src, 0), 42, "chained: jumps to the other block");
        CHECK(jit_cache_patch_rel32(c, f, f + 4), "unchained again");
        CHECK_EQ(CALL1(src, 0), 1, "unchained: falls through again");
        CHECK(!jit_cache_patch_rel32(c, f, f + 4 + 0x80000000ull), "patch out of reach refused");
        CHECK(!jit_cache_patch_rel32(c, c->rw, dst), "patch outside the RX view refused");
        CHECK(!jit_cache_patch_rel32(c, c->rx + c->size - 3, dst), "patch past the end refused");
    }
}

/* ---- addresses, alignment, failures, fill and flush ---- */

static void test_addresses(struct jit_cache *c)
{
    CHECK(jit_cache_contains(c, c->rx) && jit_cache_contains(c, c->rx + c->size - 1),
          "contains: first and last RX byte");
    CHECK(!jit_cache_contains(c, c->rx + c->size) && !jit_cache_contains(c, c->rx - 1) &&
          !jit_cache_contains(c, c->rw) && !jit_cache_contains(c, NULL),
          "contains: not past either end, not the RW view, not NULL");
    CHECK(jit_cache_rw(c, c->rx + 5) == c->rw + 5 && jit_cache_exec(c, c->rw + 5) == c->rx + 5,
          "RX <-> RW aliases");
    CHECK(!jit_cache_rw(c, c->rw) && !jit_cache_exec(c, c->rx) && !jit_cache_exec(c, c->rw + c->size),
          "aliases outside the views: NULL");
}

static void test_align(struct jit_cache *c)
{
    struct jit_buf b;
    jit_cache_flush(c);
    static const unsigned lens[] = { 1, 3, 15, 16, 17, 2, 31, 1 };
    uint8_t *prev_end = NULL;
    bool aligned = true, padded = true, ordered = true;
    for (unsigned i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        void *want = jit_cache_begin(c, &b, 64);
        for (unsigned n = 0; n < lens[i]; n++)
            emit_nop(&b, 1);
        uint8_t *got = jit_cache_commit(c, &b);
        if (!got || got != want || ((uintptr_t)got & 15))
            aligned = false;
        if (prev_end) {
            if (got < prev_end || got - prev_end >= 16)
                ordered = false;
            for (uint8_t *p = prev_end; p < got; p++)
                if (*p != 0xCC)
                    padded = false;
        }
        prev_end = got ? got + lens[i] : prev_end;
    }
    CHECK(aligned, "blocks start 16-aligned at the address begin promised");
    CHECK(ordered, "blocks follow each other with less than 16 bytes between");
    CHECK(padded, "the gaps are INT3");
    CHECK_EQ(c->st.blocks, 8, "stats: 8 blocks");
    CHECK_EQ(c->st.used, (size_t)(prev_end - c->rx), "stats: used ends at the last block");
}

static void test_failures(struct jit_cache *c)
{
    struct jit_buf b;
    jit_cache_flush(c);
    uint64_t failed = c->st.failed;

    jit_cache_begin(c, &b, 64);
    emit_lea(&b, 8, JIT_RAX, jit_mem(JIT_RAX, 0));      /* no 8-bit LEA */
    CHECK(!jit_cache_commit(c, &b) && b.error && c->st.used == 0 && c->st.blocks == 0,
          "an unencodable block: refused, nothing used");

    jit_cache_begin(c, &b, 4);
    emit_mov_ri64(&b, JIT_RAX, 1);
    CHECK(!jit_cache_commit(c, &b) && b.overflow && c->st.used == 0, "a block beyond max: refused");

    jit_cache_begin(c, &b, 64);
    emit_ret(&b);
    jit_cache_flush(c);
    CHECK(!jit_cache_commit(c, &b), "a block open across a flush: refused");
    CHECK(!jit_cache_commit(c, &b), "commit without begin: refused");
    CHECK_EQ(c->st.failed - failed, 4, "stats: 4 failed commits");
    jit_cache_flush(c);
}

/* Blocks returning their index, until the cache is full. */
static void test_fill(void)
{
    struct jit_cache c;
    int r = jit_cache_init(&c, 64 << 10);
    if (!CHECK(r == 0, "init 64 KiB%s%s", r ? ": " : "", r ? c.err : ""))
        return;
    CHECK_EQ(c.size, 64 << 10, "64 KiB: size");
    struct jit_buf b;
    void *blocks[1024];
    unsigned n = 0;
    bool ok = true;
    for (;;) {
        void *want = jit_cache_begin(&c, &b, 4096);
        emit_mov_ri(&b, 32, JIT_RAX, n);
        for (unsigned i = 0; i < 10; i++)
            emit_nop(&b, 9);
        emit_ret(&b);
        void *got = jit_cache_commit(&c, &b);
        if (!got)
            break;
        if (got != want || n == 1024) {
            ok = false;
            break;
        }
        blocks[n++] = got;
    }
    /* 96 bytes each, 16-aligned: 682 fit in 64 KiB. */
    CHECK(ok && b.overflow && !b.error, "fill: commit fails with overflow");
    CHECK_EQ(n, (64 << 10) / 96, "fill: blocks that fit");
    CHECK_EQ(c.st.blocks, n, "fill: stats count them");
    CHECK(c.st.used <= c.size && c.size - c.st.used < 96, "fill: used %zu of %zu", c.st.used, c.size);
    bool ran = true;
    for (unsigned i = 0; i < n; i += 37)
        ran &= CALL1(blocks[i], 0) == i;
    ran &= CALL1(blocks[n - 1], 0) == n - 1;
    CHECK(ran, "fill: the blocks all run");

    uint64_t gen = c.generation;
    jit_cache_flush(&c);
    CHECK(c.generation != gen, "flush: the generation moved");
    CHECK(c.st.flushes == 1 && c.st.used == 0 && c.st.blocks == 0, "flush: counted, cache empty");
    CHECK_EQ(c.st.blocks_total, n, "flush: the total stays");
    /* New code where old code was: the CPU runs the new bytes. */
    void *want = jit_cache_begin(&c, &b, 4096);
    emit_mov_ri(&b, 32, JIT_RAX, 5000);
    emit_ret(&b);
    void *got = jit_cache_commit(&c, &b);
    CHECK(got && got == want && got == blocks[0], "after flush: the first block is at the start again");
    if (got)
        CHECK_EQ(CALL1(got, 0), 5000, "after flush: the new block runs");
    CHECK(c.st.blocks == 1 && c.st.blocks_total == n + 1, "after flush: stats");

    /* Exactly full: the next begin has no room at all. */
    jit_cache_flush(&c);
    jit_cache_begin(&c, &b, c.size);
    while (emit_offset(&b) < c.size)
        emit_nop(&b, 8);
    CHECK(jit_cache_commit(&c, &b) && c.st.used == c.size, "a block filling the whole cache");
    CHECK(!jit_cache_begin(&c, &b, 64) && b.end == b.start, "begin with no room: NULL, an empty buffer");
    emit_ret(&b);
    CHECK(!jit_cache_commit(&c, &b) && b.overflow, "... and its block overflows");
    CHECK_EQ(c.st.flushes, 2, "stats: 2 flushes");
    jit_cache_free(&c);
}

int main(void)
{
    struct jit_cache c;
    int r = jit_cache_init(&c, 0);
    if (!CHECK(r == 0, "init, default size%s%s", r ? ": " : "", r ? c.err : ""))
        return test_summary();
    CHECK_EQ(c.size, JIT_CACHE_DEFAULT_SIZE, "default size 64 MiB");
    CHECK(c.rw && c.rx && c.rw != c.rx && c.generation == 0 && c.st.used == 0, "fresh cache");
    test_wx(&c);
    test_run(&c);
    test_addresses(&c);
    test_align(&c);
    test_failures(&c);
    /* 1 in test_wx, 5 in test_run, 8 in test_align. */
    CHECK(c.st.blocks_total == 14 && c.st.bytes_total > 14, "stats: totals (%" PRIu64 " blocks, %" PRIu64 " bytes)",
          c.st.blocks_total, c.st.bytes_total);
    jit_cache_free(&c);
    jit_cache_free(&c);
    CHECK(!c.rw && !c.rx && c.size == 0, "freed (twice)");
    test_fill();

    struct jit_cache bad;
    CHECK(jit_cache_init(&bad, SIZE_MAX / 2) == -1 && strstr(bad.err, "jit code cache"),
          "init refused: \"%s\"", bad.err);
    jit_cache_free(&bad);
    return test_summary();
}
