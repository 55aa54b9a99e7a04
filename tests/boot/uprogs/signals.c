/* Signals: timer ticks (ITIMER_REAL, ITIMER_VIRTUAL) counted by a handler
 * while a loop spins, with floating-point state preserved across them;
 * SIGSEGV (unmapped, read-only, no-execute), SIGBUS (mapping past the end
 * of a file), SIGFPE (divide by zero, INT_MIN / -1), SIGILL (UD2) and
 * SIGTRAP (INT3, single-step with TF) caught and left with siglongjmp or by
 * editing the saved context; kill/sigqueue to self, blocked and pending
 * signals, real-time signal order, and a stack overflow handled on a
 * sigaltstack. si_code, si_addr (relative to what was expected) and the
 * counts are printed; the count of ticks is not, only that it was reached. */
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include "uprog.h"

#ifdef __x86_64__
#define REG_PC REG_RIP
#define REG_AX REG_RAX
#define REG_FL REG_EFL
#else
#define REG_PC REG_EIP
#define REG_AX REG_EAX
#define REG_FL REG_EFL
#endif

static sigjmp_buf jb;
static volatile sig_atomic_t got_sig, got_code;
static void *volatile got_addr;
static volatile int ticks;

static void set_handler(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, NULL) != 0)
        fail("sigaction %d", sig);
}

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    got_sig = sig;
    got_code = si->si_code;
    got_addr = si->si_addr;
    siglongjmp(jb, 1);
}

static void call_at(void *p);

/* Run `fn`, which must fault with `sig`; report the si_code and whether
 * si_addr is `want_addr` (NULL: not checked). */
static void expect_fault(const char *what, void (*fn)(void *), void *arg, int sig, void *want_addr)
{
    got_sig = 0;
    if (sigsetjmp(jb, 1) == 0) {
        fn(arg);
#ifndef __x86_64__
        /* 2-level paging (the i386 guest's non-PAE kernel) has no NX bit. */
        if (fn == call_at) {
            say("%s: returned (no NX bit)", what);
            return;
        }
#endif
        fail("%s: no signal", what);
        return;
    }
    CHECK(got_sig == sig, "%s: signal %d, expected %d", what, (int)got_sig, sig);
    const char *addr = want_addr == NULL ? "-" : got_addr == want_addr ? "ok" : "WRONG";
    CHECK(addr[0] != 'W', "%s: si_addr off by %ld", what, (long)((char *)got_addr - (char *)want_addr));
    say("%s: signal %d code %d addr %s", what, (int)got_sig, (int)got_code, addr);
}

static void read_at(void *p)
{
    (void)*(volatile int *)p;
}

static void write_at(void *p)
{
    *(volatile int *)p = 1;
}

static void call_at(void *p)
{
    ((void (*)(void))p)();
}

static void *volatile null_ptr;     /* hidden from the optimiser */
static volatile int divisor;
static volatile int dividend;

static void div_zero(void *p)
{
    (void)p;
    dividend = 7 / divisor;
}

static void div_overflow(void *p)
{
    (void)p;
    dividend = dividend / divisor;
}

static void ud2(void *p)
{
    (void)p;
    __asm__ volatile("ud2");
}

static void faults(void)
{
    set_handler(SIGSEGV, on_fault, 0);
    set_handler(SIGBUS, on_fault, 0);
    set_handler(SIGFPE, on_fault, 0);
    set_handler(SIGILL, on_fault, 0);
    long pg = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        fail("mmap");
        return;
    }
    m[0] = (char)0xc3;  /* ret: never runs, the page is not executable */
    munmap(m + pg, (size_t)pg);
    expect_fault("segv null read", read_at, null_ptr, SIGSEGV, NULL);
    expect_fault("segv unmapped write", write_at, m + pg + 12, SIGSEGV, m + pg + 12);
    mprotect(m, (size_t)pg, PROT_READ);
    expect_fault("segv read-only write", write_at, m + 40, SIGSEGV, m + 40);
    expect_fault("segv no-exec call", call_at, m, SIGSEGV, m);
    expect_fault("segv code write", write_at, (void *)read_at, SIGSEGV, (void *)read_at);
    munmap(m, (size_t)pg);

    /* SIGBUS: a shared file mapping two pages long over a 100-byte file. */
    char path[] = "/tmp/uprog-sigbus-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0) {
        unlink(path);
        CHECK(write(fd, path, 100 > sizeof path ? sizeof path : 100) > 0, "write");
        CHECK(ftruncate(fd, 100) == 0, "ftruncate");
        char *f = mmap(NULL, (size_t)pg * 2, PROT_READ, MAP_SHARED, fd, 0);
        if (f != MAP_FAILED) {
            CHECK(f[0] == '/', "file mapping content");
            expect_fault("bus past eof", read_at, f + pg + 8, SIGBUS, f + pg + 8);
            munmap(f, (size_t)pg * 2);
        } else {
            fail("mmap file");
        }
        close(fd);
    } else {
        fail("mkstemp");
    }

    divisor = 0;
    expect_fault("fpe divide by zero", div_zero, NULL, SIGFPE, NULL);
    divisor = -1;
    dividend = INT_MIN;
    expect_fault("fpe INT_MIN / -1", div_overflow, NULL, SIGFPE, NULL);
    expect_fault("ill ud2", ud2, NULL, SIGILL, NULL);
}

/* A handler that resumes after the faulting 2-byte load (8B 00: mov
 * eax,[eax/rax]) with a value of its choice in EAX. */
static void on_segv_skip(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    (void)sig;
    got_addr = si->si_addr;
    uc->uc_mcontext.gregs[REG_PC] += 2;
    uc->uc_mcontext.gregs[REG_AX] = 0x5eed;
}

static volatile int traps;
static void on_trap(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    (void)sig;
    (void)si;
    traps++;
    if (traps > 1000)
        uc->uc_mcontext.gregs[REG_FL] &= ~0x100;    /* runaway: stop stepping */
}

static void contexts(void)
{
    set_handler(SIGSEGV, on_segv_skip, 0);
    unsigned long v;
    __asm__ volatile(".byte 0x8b, 0x00" : "=a"(v) : "a"((void *)16) : "memory");
    CHECK((v & 0xffffffff) == 0x5eed, "value from the edited context %lx", v);
    CHECK(got_addr == (void *)16, "si_addr of the skipped load");
    say("skipped load: eax %lx", v & 0xffffffff);

    set_handler(SIGTRAP, on_trap, 0);
    traps = 0;
    __asm__ volatile("int3\n\tnop\n\tint3" ::: "memory");
    CHECK(traps == 2, "INT3 traps %d", traps);
    say("int3 traps %d", traps);

    /* Single-step: TF set by POPF traps after each following instruction
     * until the POPF that clears it. */
    traps = 0;
#ifdef __x86_64__
    __asm__ volatile("pushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\t"
                     "nop\n\tnop\n\tmov $3, %%ecx\n1:\n\tdec %%ecx\n\tjnz 1b\n\t"
                     "pushfq\n\tandq $~0x100, (%%rsp)\n\tpopfq" ::: "rcx", "cc", "memory");
#else
    __asm__ volatile("pushfl\n\torl $0x100, (%%esp)\n\tpopfl\n\t"
                     "nop\n\tnop\n\tmov $3, %%ecx\n1:\n\tdec %%ecx\n\tjnz 1b\n\t"
                     "pushfl\n\tandl $~0x100, (%%esp)\n\tpopfl" ::: "ecx", "cc", "memory");
#endif
    say("single-step traps %d", traps);
    CHECK(traps == 12, "single-step traps %d, expected 12", traps);
    signal(SIGTRAP, SIG_DFL);
    signal(SIGSEGV, SIG_DFL);
}

static volatile int usr_count, usr_code, usr_value, usr_pid_ok;
static int rt_order[8], rt_n;

static void on_usr(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    if (sig >= SIGRTMIN) {
        if (rt_n < 8)
            rt_order[rt_n++] = (sig - SIGRTMIN) * 10 + si->si_value.sival_int;
        return;
    }
    usr_count++;
    usr_code = si->si_code;
    usr_value = si->si_code == SI_QUEUE ? si->si_value.sival_int : -1;
    usr_pid_ok = si->si_pid == getpid();
}

static void self_signals(void)
{
    set_handler(SIGUSR1, on_usr, 0);
    kill(getpid(), SIGUSR1);
    CHECK(usr_count == 1 && usr_pid_ok, "kill(self, SIGUSR1): count %d pid ok %d", usr_count,
          usr_pid_ok);
    say("kill: count %d code %d pid ok %d", usr_count, usr_code, usr_pid_ok);
    sigqueue(getpid(), SIGUSR1, (union sigval){ .sival_int = 4242 });
    say("sigqueue: count %d code %d value %d", usr_count, usr_code, usr_value);

    /* Blocked: pending until unblocked, then delivered once. */
    sigset_t s, old, pend;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    for (int k = 0; k < 3; k++)
        sigaddset(&s, SIGRTMIN + k);
    sigprocmask(SIG_BLOCK, &s, &old);
    raise(SIGUSR1);
    raise(SIGUSR1);
    for (int k = 2; k >= 0; k--)
        set_handler(SIGRTMIN + k, on_usr, 0);
    for (int v = 1; v <= 2; v++)
        for (int k = 2; k >= 0; k--)
            sigqueue(getpid(), SIGRTMIN + k, (union sigval){ .sival_int = v });
    sigpending(&pend);
    int pending = sigismember(&pend, SIGUSR1), before = usr_count;
    sigprocmask(SIG_SETMASK, &old, NULL);
    CHECK(pending && usr_count == before + 1, "blocked SIGUSR1: pending %d, delivered %d", pending,
          usr_count - before);
    char order[40] = "";
    for (int i = 0; i < rt_n; i++)
        snprintf(order + strlen(order), sizeof order - strlen(order), " %d", rt_order[i]);
    say("blocked: pending %d delivered %d; real-time order%s", pending, usr_count - before, order);
    CHECK(rt_n == 6, "%d real-time signals", rt_n);
}

static char *alt_lo, *alt_hi;
static volatile int on_alt, overflow_depth;

static void on_overflow(int sig, siginfo_t *si, void *ctx)
{
    char here;
    (void)si;
    (void)ctx;
    on_alt = &here > alt_lo && &here < alt_hi;
    got_sig = sig;
    siglongjmp(jb, 1);
}

static volatile int keep_going = 1;     /* always 1: the optimiser cannot know */

static int recurse(int n)
{
    volatile char pad[1024];
    pad[0] = (char)n;
    overflow_depth = n;
    return keep_going ? recurse(n + 1) + pad[0] : 0;
}

static void altstack(void)
{
    size_t sz = 64 * 1024;
    alt_lo = malloc(sz);
    alt_hi = alt_lo + sz;
    stack_t ss = { .ss_sp = alt_lo, .ss_size = sz, .ss_flags = 0 };
    CHECK(sigaltstack(&ss, NULL) == 0, "sigaltstack");
    set_handler(SIGUSR2, on_overflow, SA_ONSTACK);
    on_alt = 0;
    if (sigsetjmp(jb, 1) == 0)
        raise(SIGUSR2);
    CHECK(on_alt, "SIGUSR2 handler not on the alternate stack");

    /* Overflow a 1 MiB stack: SIGSEGV can only be handled on the alt stack. */
    struct rlimit rl = { 1 << 20, 1 << 20 }, old_rl;
    getrlimit(RLIMIT_STACK, &old_rl);
    rl.rlim_max = old_rl.rlim_max;
    setrlimit(RLIMIT_STACK, &rl);
    set_handler(SIGSEGV, on_overflow, SA_ONSTACK);
    on_alt = 0;
    got_sig = 0;
    if (sigsetjmp(jb, 1) == 0)
        recurse(0);
    CHECK(got_sig == SIGSEGV && on_alt, "stack overflow: signal %d on alt stack %d", (int)got_sig,
          on_alt);
    CHECK(overflow_depth > 500 && overflow_depth < 1100, "overflow depth %d", overflow_depth);
    say("alt stack: usr2 ok, overflow caught on it (depth in range)");
    setrlimit(RLIMIT_STACK, &old_rl);
    signal(SIGSEGV, SIG_DFL);
}

static void on_tick(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)si;
    (void)ctx;
    /* Floating point in the handler: the interrupted code must not notice. */
    volatile double x = 1.0;
    for (int i = 0; i < 50; i++)
        x = x * 1.0000001 + 0.5;
    volatile long double y = 3.0L;
    y = y * y / 7.0L;
    ticks++;
}

/* FP work whose exact result is known from a run without signals. */
static uint64_t fp_work(int n)
{
    double a = 0.5;
    long double b = 0.25L;
    uint64_t h = 0;
    for (int i = 0; i < n; i++) {
        a = a * 1.000001 + 1.0 / (i + 1);
        b = b * 0.9999999L + (long double)a / 3;
        uint64_t bits;
        memcpy(&bits, &a, 8);
        h += bits ^ (uint64_t)(b * 1024);
    }
    return h;
}

static void timers(void)
{
    set_handler(SIGALRM, on_tick, SA_RESTART);
    set_handler(SIGVTALRM, on_tick, SA_RESTART);
    uint64_t ref = fp_work(200000);
    static const struct { int which; const char *name; } t[] = {
        { ITIMER_REAL, "ITIMER_REAL" }, { ITIMER_VIRTUAL, "ITIMER_VIRTUAL" },
    };
    for (int k = 0; k < 2; k++) {
        struct itimerval it = { { 0, 10000 }, { 0, 10000 } }, off = { { 0, 0 }, { 0, 0 } };
        struct timeval t0, t1;
        ticks = 0;
        gettimeofday(&t0, NULL);
        setitimer(t[k].which, &it, NULL);
        int rounds = 0, timeout = 0;
        uint64_t got = 0;
        while (ticks < 5 && !timeout) {
            got = fp_work(200000);
            CHECK(got == ref, "%s: FP result changed under signals", t[k].name);
            rounds++;
            gettimeofday(&t1, NULL);
            timeout = t1.tv_sec - t0.tv_sec > 20;
        }
        setitimer(t[k].which, &off, NULL);
        CHECK(!timeout, "%s: only %d ticks in %d rounds by gettimeofday's 20 s", t[k].name, ticks,
              rounds);
        say("%s: %s, FP results %s", t[k].name, timeout ? "TIMED OUT" : "5 ticks reached",
            got == ref ? "unchanged" : "CHANGED");
    }
    /* alarm() with a handler, interrupting pause(). */
    ticks = 0;
    set_handler(SIGALRM, on_tick, 0);
    alarm(1);
    pause();
    CHECK(ticks == 1, "alarm: %d ticks", ticks);
    say("alarm: pause returned after %d tick", ticks);
    signal(SIGALRM, SIG_DFL);
    signal(SIGVTALRM, SIG_DFL);
}

int main(void)
{
    uprog_name = "signals";
    setvbuf(stdout, NULL, _IOLBF, 0);
    faults();
    contexts();
    self_signals();
    altstack();
    timers();
    return finish();
}
