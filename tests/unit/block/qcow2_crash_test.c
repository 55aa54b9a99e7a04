/* A qcow2 writer killed at a random moment leaves an image that is at
 * worst leaky: a child process writes slots of the disk (each once, in
 * random order, cluster-crossing and partial) through the block API,
 * flushes every few writes and reports the slots each flush covered
 * through a pipe; the parent SIGKILLs it after a random delay, then
 * opens the image, runs check (leaks allowed, corruptions not; also
 * `qemu-img check` when installed) and reads back every reported slot. */
#include "test.h"
#include "block/block.h"
#include "scratch.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SLOT 3000u
#define SLOTS 4000u     /* at most; 512-byte clusters use them all (12 MB:
                         * the refcount table grows past 8 MB) */

static char errbuf[BLOCK_ERR_LEN];

static void slot_bytes(uint32_t slot, uint8_t *buf)
{
    uint32_t x = slot * 2654435761u + 1;
    for (unsigned i = 0; i < SLOT; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (uint8_t)x;
    }
}

static void child(const char *path, int wfd, uint32_t seed, uint32_t nslots)
{
    struct block *b = block_open(path, NULL, 0, errbuf, sizeof(errbuf));
    uint32_t order[SLOTS], pending[16];
    unsigned npending = 0;
    uint8_t buf[SLOT];

    if (!b)
        _exit(2);
    for (uint32_t i = 0; i < nslots; i++)
        order[i] = i;
    for (uint32_t i = nslots - 1; i > 0; i--) {
        seed = seed * 1103515245u + 12345u;
        uint32_t j = (seed >> 8) % (i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (uint32_t i = 0; i < nslots; i++) {
        slot_bytes(order[i], buf);
        if (block_write(b, (uint64_t)order[i] * SLOT, buf, SLOT) < 0)
            _exit(3);
        pending[npending++] = order[i];
        if (npending == 16 || i == nslots - 1) {
            if (block_flush(b) < 0)
                _exit(4);
            if (write(wfd, pending, npending * 4) != (ssize_t)(npending * 4))
                _exit(5);
            npending = 0;
        }
    }
    block_close(b);
    _exit(0);
}

static void run_once(uint32_t cs, int compat, int round, bool have_qemu)
{
    uint32_t nslots = cs == 512 ? SLOTS : SLOTS / 2;
    char path[256];
    snprintf(path, sizeof(path), "%s/crash-%u-%d.qcow2", scratch_dir, cs, round);
    struct block_create_opts o = { .size = ((uint64_t)SLOT * nslots + 511) & ~511ull, .cluster_size = cs,
                                   .compat = compat };
    if (!CHECK(block_create(path, "qcow2", &o, errbuf, sizeof(errbuf)) == 0, "create: %s", errbuf))
        return;
    int fds[2];
    if (pipe(fds) < 0)
        return;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        child(path, fds[1], (uint32_t)round * 7919u + cs, nslots);
    }
    close(fds[1]);
    /* Kill somewhere inside the run (a full run takes some tens of ms). */
    long ms = 2 + (round * 37 + cs / 64) % (cs == 512 ? 400 : 150);
    int st = 0;
    bool finished = false;
    for (long t = 0; t < ms && !finished; t++) {
        struct timespec ts = { 0, 1000000L };
        nanosleep(&ts, NULL);
        finished = waitpid(pid, &st, WNOHANG) == pid;
    }
    if (!finished) {
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
    }

    static uint32_t flushed[SLOTS];
    size_t n = 0;
    ssize_t r;
    while (n < nslots && (r = read(fds[0], (uint8_t *)flushed + n * 4, (nslots - n) * 4)) > 0)
        n += (size_t)r / 4;
    close(fds[0]);

    if (have_qemu) {
        /* 0 clean, 3 leaks only; 2 would be corruption. */
        char cmd[400];
        snprintf(cmd, sizeof(cmd), "qemu-img check %s >/dev/null 2>&1", path);
        int qs = system(cmd);
        CHECK(WIFEXITED(qs) && (WEXITSTATUS(qs) == 0 || WEXITSTATUS(qs) == 3),
              "cs %u round %d: qemu-img check finds no corruption (exit %d)", cs, round,
              WIFEXITED(qs) ? WEXITSTATUS(qs) : -1);
    }
    struct block *b = block_open(path, NULL, 0, errbuf, sizeof(errbuf));
    if (!CHECK(b != NULL, "cs %u round %d: reopen after kill: %s", cs, round, errbuf))
        return;
    struct block_check res;
    int cret = b->fmt->check(b, &res, false);     /* before CHECK prints res */
    CHECK(cret == 0 && res.corruptions == 0,
          "cs %u round %d (killed after %zu flushed slots%s): no corruption, %llu leaks",
          cs, round, n, finished ? ", finished" : "", (unsigned long long)res.leaks);
    uint8_t want[SLOT], got[SLOT];
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        slot_bytes(flushed[i], want);
        ok = block_read(b, (uint64_t)flushed[i] * SLOT, got, SLOT) == 0 &&
             memcmp(got, want, SLOT) == 0;
    }
    CHECK(ok, "cs %u round %d: every flushed slot reads back", cs, round);
    /* Leaks repaired, then it is clean. */
    CHECK(b->fmt->check(b, &res, true) == 0 && b->fmt->check(b, &res, false) == 0 &&
          res.leaks == 0 && res.corruptions == 0, "cs %u round %d: repaired clean", cs, round);
    block_close(b);
    unlink(path);
}

int main(void)
{
    bool have_qemu = system("qemu-img --version >/dev/null 2>&1") == 0;
    if (scratch_make("crash") < 0)
        return 1;
    for (int round = 0; round < 12; round++) {
        run_once(4096, 3, round, have_qemu);
        run_once(512, 2, round, have_qemu);
    }
    scratch_remove();
    return test_summary();
}
