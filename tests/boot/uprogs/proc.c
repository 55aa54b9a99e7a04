/* Processes: fork + waitpid with exit codes and deaths by signal, a pipe
 * carrying 256 KiB to a child and its hash back, copy-on-write of private
 * memory after fork against a MAP_SHARED page both sides see, getpid /
 * getppid agreement, execve / vfork / posix_spawn of the tiny program of
 * the same build (argv[0]'s directory and suffix: /usr/bin/proc.dyn runs
 * /usr/bin/tiny.dyn) with its output read through a pipe. */
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uprog.h"

extern char **environ;
static char tiny_path[256];

static void set_tiny_path(const char *argv0)
{
    const char *slash = strrchr(argv0, '/');
    const char *base = slash ? slash + 1 : argv0;
    const char *dot = strchr(base, '.');
    snprintf(tiny_path, sizeof tiny_path, "%.*stiny%s", (int)(base - argv0), argv0, dot ? dot : "");
}

static uint64_t hash(const unsigned char *p, size_t n, uint64_t h)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

static int full_read(int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

static int full_write(int fd, const void *buf, size_t n)
{
    size_t put = 0;
    while (put < n) {
        ssize_t r = write(fd, (const char *)buf + put, n - put);
        if (r <= 0)
            return -1;
        put += (size_t)r;
    }
    return 0;
}

static void exit_codes(void)
{
    pid_t pids[6];
    fflush(stdout);
    for (int i = 0; i < 6; i++) {
        pids[i] = fork();
        if (pids[i] == 0)
            _exit(i * 7 + 1);
        CHECK(pids[i] > 0, "fork %d", i);
    }
    char line[64] = "";
    for (int i = 5; i >= 0; i--) {
        int st = 0;
        CHECK(waitpid(pids[i], &st, 0) == pids[i], "waitpid %d", i);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == i * 7 + 1, "child %d status %x", i, st);
        snprintf(line + strlen(line), sizeof line - strlen(line), " %d", WEXITSTATUS(st));
    }
    say("exit codes%s", line);

    /* Deaths by signal: killed by the parent, and abort() in the child. */
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    pid_t k = fork();
    if (k == 0) {
        close(p[0]);
        CHECK(write(p[1], "r", 1) == 1, "write");
        for (;;)
            pause();
    }
    char c;
    close(p[1]);
    CHECK(read(p[0], &c, 1) == 1, "child ready");
    close(p[0]);
    kill(k, SIGKILL);
    int st = 0;
    waitpid(k, &st, 0);
    pid_t a = fork();
    if (a == 0) {
        signal(SIGABRT, SIG_DFL);
        abort();
    }
    int st2 = 0;
    waitpid(a, &st2, 0);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "killed child status %x", st);
    CHECK(WIFSIGNALED(st2) && WTERMSIG(st2) == SIGABRT, "aborted child status %x", st2);
    say("signalled children: %d %d", WTERMSIG(st), WTERMSIG(st2));
}

static void pipes_and_ids(void)
{
    int down[2], up[2];
    CHECK(pipe(down) == 0 && pipe(up) == 0, "pipe");
    size_t n = 256 * 1024;
    unsigned char *buf = malloc(n);
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)(i ^ (i >> 8) ^ (i >> 16));
    pid_t parent = getpid();
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        close(down[1]);
        close(up[0]);
        unsigned char *in = malloc(n);
        uint64_t res[3] = { 0, (uint64_t)getppid(), (uint64_t)getpid() };
        if (full_read(down[0], in, n) == 0)
            res[0] = hash(in, n, 0xcbf29ce484222325ull);
        full_write(up[1], res, sizeof res);
        _exit(0);
    }
    close(down[0]);
    close(up[1]);
    CHECK(full_write(down[1], buf, n) == 0, "write to child");
    close(down[1]);
    uint64_t res[3] = { 0, 0, 0 };
    CHECK(full_read(up[0], res, sizeof res) == 0, "read from child");
    close(up[0]);
    int st;
    waitpid(c, &st, 0);
    uint64_t want = hash(buf, n, 0xcbf29ce484222325ull);
    CHECK(res[0] == want, "child hashed %016llx, expected %016llx", (unsigned long long)res[0],
          (unsigned long long)want);
    CHECK(res[1] == (uint64_t)parent, "child's getppid is not the parent's getpid");
    CHECK(res[2] == (uint64_t)c, "child's getpid is not fork's return value");
    CHECK(getppid() > 0 && getpid() != getppid(), "getpid/getppid");
    say("pipe 256 KiB hash %016llx, ids agree %d", (unsigned long long)res[0],
        res[1] == (uint64_t)parent && res[2] == (uint64_t)c);
    free(buf);
}

/* After fork each side writes its own pattern into private memory (the
 * first write to each page is a copy-on-write fault) and must then read
 * back only its own, while a MAP_SHARED page carries a value across. */
static void copy_on_write(void)
{
    size_t pages = 64, n = pages * 4096;
    unsigned char *priv = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    volatile int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (priv == MAP_FAILED || shared == MAP_FAILED) {
        fail("mmap");
        return;
    }
    memset(priv, 0xaa, n);
    shared[0] = 0;
    int go[2], back[2];
    CHECK(pipe(go) == 0 && pipe(back) == 0, "pipe");
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        char t;
        int bad = 0;
        if (read(go[0], &t, 1) != 1)     /* the parent has written 0xbb */
            _exit(2);
        for (size_t i = 0; i < n; i++)
            bad += priv[i] != 0xaa;
        memset(priv, 0xcc, n);
        shared[0] = 1000 + bad;
        if (write(back[1], "c", 1) != 1)
            _exit(2);
        if (read(go[0], &t, 1) != 1)
            _exit(2);
        for (size_t i = 0; i < n; i++)
            bad += priv[i] != 0xcc;
        _exit(bad ? 1 : 0);
    }
    memset(priv, 0xbb, n);
    CHECK(write(go[1], "p", 1) == 1, "write");
    char t;
    CHECK(read(back[0], &t, 1) == 1, "read");
    int bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += priv[i] != 0xbb;
    CHECK(write(go[1], "p", 1) == 1, "write");
    int st;
    waitpid(c, &st, 0);
    CHECK(bad == 0, "parent sees %d bytes of the child's writes", bad);
    CHECK(shared[0] == 1000, "child saw %d bytes of the parent's writes", shared[0] - 1000);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child saw its own writes change (status %x)", st);
    say("copy-on-write: parent %d child %d shared %d", bad, WIFEXITED(st) ? WEXITSTATUS(st) : -1,
        shared[0]);
    close(go[0]);
    close(go[1]);
    close(back[0]);
    close(back[1]);
    munmap(priv, n);
    munmap((void *)shared, 4096);
}

/* Start tiny with argument `n` by `how` (0 fork+execve, 1 vfork+execve,
 * 2 posix_spawn) and return its output. */
static void run_tiny(int how, int n, char *out, size_t outsz, int *status)
{
    int p[2];
    char arg[16];
    snprintf(arg, sizeof arg, "%d", n);
    char *argv[] = { tiny_path, arg, NULL };
    out[0] = 0;
    *status = -1;
    if (pipe(p) != 0) {
        fail("pipe");
        return;
    }
    fflush(stdout);
    pid_t c = -1;
    if (how == 2) {
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, p[1], 1);
        posix_spawn_file_actions_addclose(&fa, p[0]);
        int e = posix_spawn(&c, tiny_path, &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        if (e != 0)
            c = -1;
    } else {
        c = how == 1 ? vfork() : fork();
        if (c == 0) {
            dup2(p[1], 1);
            close(p[0]);
            execve(tiny_path, argv, environ);
            _exit(127);
        }
    }
    close(p[1]);
    size_t got = 0;
    ssize_t r;
    while (got + 1 < outsz && (r = read(p[0], out + got, outsz - 1 - got)) > 0)
        got += (size_t)r;
    out[got] = 0;
    close(p[0]);
    if (c > 0)
        waitpid(c, status, 0);
}

static void exec_tests(void)
{
    static const char *how_name[] = { "fork+execve", "vfork+execve", "posix_spawn" };
    for (int how = 0; how < 3; how++) {
        int n = 1000 + how * 17, st;
        char out[128], want[128];
        run_tiny(how, n, out, sizeof out, &st);
        snprintf(want, sizeof want, "tiny %d %d\n", n, (n * n * 7 + 3) % 1000003);
        CHECK(strcmp(out, want) == 0, "%s: tiny said '%s'", how_name[how], out);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: status %x", how_name[how], st);
        out[strcspn(out, "\n")] = 0;
        say("%s: '%s' status %d", how_name[how], out, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    }
    /* execve of a file that does not exist fails in the child. */
    pid_t c = fork();
    if (c == 0) {
        char *argv[] = { "nothing", NULL };
        execve("/nonexistent/program", argv, environ);
        _exit(127);
    }
    int st;
    waitpid(c, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 127, "failed execve status %x", st);
    say("failed execve: status %d", WEXITSTATUS(st));
}

int main(int argc, char **argv)
{
    uprog_name = "proc";
    (void)argc;
    set_tiny_path(argv[0]);
    exit_codes();
    pipes_and_ids();
    copy_on_write();
    exec_tests();
    return finish();
}
