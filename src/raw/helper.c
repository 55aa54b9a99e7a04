/* Starting, resuming and stopping the raw-mode helper (helper.h).
 *
 * Hand-off: two sequence words. The helper's handler bumps REP_SEQ at each
 * stop and wakes the monitor only if it sleeps; the monitor resumes stop N
 * by storing N in CMD_SEQ and wakes the helper only if it sleeps. Both
 * spin first: a futex round trip costs tens of microseconds on these
 * hosts, a spinning one well under one (research/raw-mode.md section 1).
 * Each side announces its sleep, fences and re-reads the word before
 * FUTEX_WAIT, which itself re-checks it, so no wake-up is lost.
 *
 * The helper is not trusted (guest code runs in it and can write its
 * report page): each stop's frame pointers are read once and must lie in
 * the alternate stack, and the guest RAM memfd is handed over a socket for
 * one batch of ops at a time, never left open while guest code runs. */
#include "raw/helper.h"

#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/rseq.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "raw/seccomp.h"

extern const char raw_stub_start[], raw_stub_end[], raw_stub_init[],
                  raw_stub_handler[], raw_stub_restorer[];
extern const char raw_site_wake[], raw_site_wait[], raw_site_recv[], raw_site_mmap[],
                  raw_site_munmap[], raw_site_prctl[], raw_site_ldt[], raw_site_close[],
                  raw_site_return[], raw_site_timer[];

/* Top of the host's user address space (TASK_SIZE_MAX, 4-level paging). */
#define HOST_USER_TOP 0x7ffffffff000ull
/* The helper waits this long (pause loops, calibrated) for the monitor
 * before it sleeps; the monitor spins RAW_MON_SPIN_NS. */
#define RAW_HLP_SPIN_NS 50000
#define RAW_MON_SPIN_NS 30000ull
/* The helper's own part of the region (raw_helper.ctl). */
#define CTL_SIZE (RAW_REGION_SIZE - RAW_CMD_OFF)
/* With the helper's own kick timer, the monitor sends its kick this much
 * later, should guest code have found a way to disarm the timer. */
#define RAW_KICK_BACKUP_NS 2000000ull
/* After a kick the monitor spins this long: the stop is on its way. */
#define RAW_KICK_SPIN_NS 300000ull
/* A kicked helper that does not stop within this is treated as gone. */
#define RAW_KICK_GRACE_NS 2000000000ull

uint64_t raw_host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static volatile uint32_t *cmdw(struct raw_helper *h, unsigned off)
{
    return (volatile uint32_t *)(h->cmd + off);
}

static volatile uint32_t *repw(struct raw_helper *h, unsigned off)
{
    return (volatile uint32_t *)(h->rep + off);
}

static long futex(volatile uint32_t *w, int op, uint32_t val, const struct timespec *ts)
{
    return syscall(SYS_futex, w, op, val, ts, NULL, 0);
}

static uint64_t stub_addr(const uint8_t *region, const char *sym)
{
    return (uint64_t)(uintptr_t)(region + RAW_CODE_OFF + (sym - raw_stub_start));
}

uint64_t raw_region_base;

/* Map the region once per process, at a random 2 MiB-aligned address in
 * [RAW_REGION_LO, RAW_REGION_HI) (the same address the helper will see),
 * with the stub's code copied into its first page. */
static uint8_t *region_map(char *err, size_t len)
{
    static uint8_t *region;
    if (region)
        return region;
    void *p = MAP_FAILED;
    for (int tries = 0; tries < 32 && p == MAP_FAILED; tries++) {
        uint64_t r = 0;
        if (getrandom(&r, sizeof r, 0) != sizeof r)
            r = raw_host_ns() * 0x9e3779b97f4a7c15ull;
        uint64_t slots = (RAW_REGION_HI - RAW_REGION_LO) >> 21;
        uint64_t base = RAW_REGION_LO + ((r % slots) << 21);
        p = mmap((void *)base, RAW_REGION_SIZE, PROT_READ | PROT_WRITE,
                 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (p != MAP_FAILED && p != (void *)base) {
            munmap(p, RAW_REGION_SIZE);     /* an old kernel ignored the hint */
            p = MAP_FAILED;
        }
    }
    if (p == MAP_FAILED) {
        snprintf(err, len, "cannot map the helper region between %#llx and %#llx: %s",
                 (unsigned long long)RAW_REGION_LO, (unsigned long long)RAW_REGION_HI,
                 strerror(errno));
        return NULL;
    }
    size_t code = (size_t)(raw_stub_end - raw_stub_start);
    memcpy((uint8_t *)p + RAW_CODE_OFF, raw_stub_start, code);
    if (mprotect((uint8_t *)p + RAW_CODE_OFF, 0x1000, PROT_READ | PROT_EXEC) < 0) {
        snprintf(err, len, "cannot protect the stub page: %s", strerror(errno));
        munmap(p, RAW_REGION_SIZE);
        return NULL;
    }
    region = p;
    raw_region_base = (uint64_t)(uintptr_t)p;
    return region;
}

/* pause costs from ~10 to ~140 cycles across x86 generations: time it. */
static uint32_t calibrate_spin(void)
{
    uint64_t t0 = raw_host_ns();
    for (int i = 0; i < 4096; i++)
        __builtin_ia32_pause();
    uint64_t dt = raw_host_ns() - t0;
    uint64_t per = dt / 4096 ? dt / 4096 : 1;
    uint64_t n = RAW_HLP_SPIN_NS / per;
    return n < 1000 ? 1000 : n > 1000000 ? 1000000 : (uint32_t)n;
}

/* Where the monitor sees the helper's address `a` (in its ctl part). */
static void *mon_addr(const struct raw_helper *h, const void *a)
{
    return h->ctl + ((const uint8_t *)a - (h->region + RAW_CMD_OFF));
}

/* Fill the control pages with what the stub's init reads. Addresses in
 * them are the helper's. */
static void prepare(struct raw_helper *h)
{
    uint8_t *r = h->region;
    memset(h->ctl, 0, CTL_SIZE);

    struct raw_sites sites = {
        .wake = stub_addr(r, raw_site_wake), .wait = stub_addr(r, raw_site_wait),
        .recv = stub_addr(r, raw_site_recv), .mmap = stub_addr(r, raw_site_mmap),
        .munmap = stub_addr(r, raw_site_munmap), .prctl = stub_addr(r, raw_site_prctl),
        .ldt = stub_addr(r, raw_site_ldt), .close = stub_addr(r, raw_site_close),
        .ret = stub_addr(r, raw_site_return), .timer = stub_addr(r, raw_site_timer),
        .msghdr = (uint64_t)(uintptr_t)(r + RAW_REP_OFF + REP_MSG),
        .code = (uint64_t)(uintptr_t)(r + RAW_CODE_OFF),
    };
    struct sock_filter *prog = (struct sock_filter *)(r + RAW_INIT_OFF);
    unsigned n = raw_seccomp_build(mon_addr(h, prog), &sites);
    struct sock_fprog fp = { .len = (unsigned short)n, .filter = prog };
    memcpy((void *)(h->cmd + CMD_FPROG), &fp, sizeof fp);

    stack_t ss = { .ss_sp = r + RAW_ALT_OFF, .ss_flags = 0, .ss_size = RAW_ALT_SIZE };
    memcpy((void *)(h->cmd + CMD_ALTSTACK), &ss, sizeof ss);

    /* The kernel's struct sigaction: handler, flags, restorer, mask. */
    uint64_t act[4] = {
        stub_addr(r, raw_stub_handler),
        SA_SIGINFO | SA_ONSTACK | 0x04000000 /* SA_RESTORER */,
        stub_addr(r, raw_stub_restorer),
        ~0ull,
    };
    memcpy((void *)(h->cmd + CMD_SIGACT), act, sizeof act);

    uint64_t unmap[4] = {
        0, raw_region_base,
        raw_region_base + RAW_REGION_SIZE, HOST_USER_TOP - (raw_region_base + RAW_REGION_SIZE),
    };
    memcpy((void *)(h->cmd + CMD_UNMAP), unmap, sizeof unmap);
    *cmdw(h, CMD_SPIN) = h->spin_loops;
    h->seq = 0;
}

/* The forked child: shed everything the monitor has, then become the
 * stub. Only async-signal-safe calls until the jump. */
static _Noreturn void child(struct raw_helper *h, int sock, pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(99);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    /* This helper's control pages take their place in the region. */
    if (mremap(h->ctl, CTL_SIZE, CTL_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED,
               h->region + RAW_CMD_OFF) == MAP_FAILED)
        _exit(96);
    /* glibc registered this thread's rseq area and robust futex list,
     * which the stub unmaps: the kernel would fault writing them. */
    if (__rseq_size)
        syscall(SYS_rseq, (char *)__builtin_thread_pointer() + __rseq_offset,
                __rseq_size < 32 ? 32 : __rseq_size, RSEQ_FLAG_UNREGISTER, RSEQ_SIG);
    syscall(SYS_set_robust_list, NULL, 24);
    /* RDTSC/RDTSCP fault (#GP), so the interpreter answers with the
     * guest's TSC. */
    prctl(PR_SET_TSC, PR_TSC_SIGSEGV);
    /* The kick timer: a POSIX timer of this process stops guest code at
     * the deadline the stub arms it with, on the core guest code runs on
     * (no wake-up of the monitor, no cross-core signal). The stub and the
     * filter know it as timer 0, the first a new process makes. */
    struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = RAW_SIG_KICK };
    int timer = -1;
    *(volatile uint32_t *)(h->region + RAW_CMD_OFF + CMD_TIMER_OK) =
        syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &timer) == 0 && timer == 0;
    /* The socket becomes fd 0; nothing else stays open. */
    if (sock != RAW_SOCKFD && dup2(sock, RAW_SOCKFD) < 0)
        _exit(98);
    syscall(SYS_close_range, RAW_SOCKFD + 1, ~0u, 0);
    /* The command page is the monitor's to write. */
    if (mprotect(h->region + RAW_CMD_OFF, RAW_CMD_SIZE, PROT_READ) < 0)
        _exit(97);
    /* The monitor's handlers live in memory the stub unmaps; keyboard
     * signals are the monitor's to handle. */
    struct sigaction dfl = { .sa_handler = SIG_DFL }, ign = { .sa_handler = SIG_IGN };
    for (int s = 1; s < 65; s++)
        sigaction(s, &dfl, NULL);
    static const int ignored[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGHUP, SIGPIPE };
    for (unsigned k = 0; k < sizeof ignored / sizeof ignored[0]; k++)
        sigaction(ignored[k], &ign, NULL);
    uintptr_t stack = (uintptr_t)(h->region + RAW_INIT_OFF + RAW_INIT_SIZE);
    uintptr_t entry = (uintptr_t)stub_addr(h->region, raw_stub_init);
    __asm__ volatile("mov %0, %%rsp\n\tjmp *%1" : : "r"(stack), "r"(entry) : "memory");
    __builtin_unreachable();
}

static void reap(struct raw_helper *h, const char *what)
{
    int status = 0;
    if (h->pid > 0) {
        kill(h->pid, SIGKILL);
        while (waitpid(h->pid, &status, 0) < 0 && errno == EINTR)
            ;
        if (what) {
            uint32_t step = *repw(h, REP_INIT_STEP);
            if (WIFEXITED(status))
                snprintf(h->err, sizeof h->err, "%s: helper exited with status %d (init step %u)",
                         what, WEXITSTATUS(status), step);
            else if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
                snprintf(h->err, sizeof h->err, "%s: helper killed by signal %d (init step %u)",
                         what, WTERMSIG(status), step);
            else
                snprintf(h->err, sizeof h->err, "%s (init step %u)", what, step);
        }
    }
    h->pid = 0;
}

void raw_helper_stop(struct raw_helper *h)
{
    reap(h, NULL);
    if (h->sock >= 0)
        close(h->sock);
    h->sock = -1;
    if (h->ctl)
        munmap(h->ctl, CTL_SIZE);
    h->ctl = NULL;
    h->cmd = h->rep = NULL;
}

/* Is the helper still there? Sets h->err when it is not. */
static bool alive(struct raw_helper *h)
{
    int status;
    pid_t r = waitpid(h->pid, &status, WNOHANG);
    if (r == 0)
        return true;
    if (r == h->pid) {
        if (WIFSIGNALED(status))
            snprintf(h->err, sizeof h->err, "raw-mode helper killed by signal %d%s",
                     WTERMSIG(status), WTERMSIG(status) == SIGSYS ? " (seccomp)" : "");
        else
            snprintf(h->err, sizeof h->err, "raw-mode helper exited with status %d",
                     WEXITSTATUS(status));
    } else {
        snprintf(h->err, sizeof h->err, "raw-mode helper lost: %s", strerror(errno));
    }
    h->pid = 0;
    return false;
}

static bool in_alt(const struct raw_helper *h, const void *p, size_t len)
{
    uintptr_t a = (uintptr_t)p, lo = (uintptr_t)(h->region + RAW_ALT_OFF);
    return a >= lo && a <= lo + RAW_ALT_SIZE - len;
}

/* Take the stop the report page announces: read each pointer once and
 * accept it only inside the alternate stack, where the kernel puts every
 * frame (the helper, and guest code in it, can write anything there). */
static bool take_stop(struct raw_helper *h, uint32_t seq)
{
    h->seq = seq;
    h->sig = (int)__atomic_load_n(repw(h, REP_SIG), __ATOMIC_ACQUIRE);
    void *info = (void *)(uintptr_t)__atomic_load_n((volatile uint64_t *)(h->rep + REP_INFO),
                                                    __ATOMIC_ACQUIRE);
    void *uc = (void *)(uintptr_t)__atomic_load_n((volatile uint64_t *)(h->rep + REP_UCTX),
                                                  __ATOMIC_ACQUIRE);
    if (!in_alt(h, info, sizeof *h->info) || !in_alt(h, uc, sizeof *h->uc)) {
        snprintf(h->err, sizeof h->err, "raw-mode helper reported a frame outside its stack");
        return false;
    }
    h->info = mon_addr(h, info);
    h->uc = mon_addr(h, uc);
    void *fx = __atomic_load_n((void *volatile *)&h->uc->uc_mcontext.fpregs, __ATOMIC_RELAXED);
    if (!in_alt(h, fx, 512 + 64)) {
        snprintf(h->err, sizeof h->err, "raw-mode helper reported an FPU area outside its stack");
        return false;
    }
    h->fx = mon_addr(h, fx);
    return true;
}

/* Wait for the helper's next stop (REP_SEQ moves on): spin, then sleep on
 * the futex in slices so a deadline kick and a dead helper are noticed. */
static enum raw_wait wait_stop(struct raw_helper *h, uint64_t kick_at, bool *kicked)
{
    volatile uint32_t *rs = repw(h, REP_SEQ);
    uint64_t start = raw_host_ns(), kick_time = 0;
    uint64_t spin_end = start + h->spin_ns;
    unsigned n = 0;
    uint32_t cur;

    while ((cur = __atomic_load_n(rs, __ATOMIC_ACQUIRE)) == h->seq) {
        if ((++n & 63) != 0) {
            __builtin_ia32_pause();
            continue;
        }
        /* With more runnable threads than cores (a loaded host), the
         * helper may be waiting for this very core: let it have it. */
        if ((n & 1023) == 0)
            sched_yield();
        uint64_t now = raw_host_ns();
        if (now < spin_end && now < kick_at)
            continue;
        if (now >= kick_at && !*kicked) {
            kill(h->pid, RAW_SIG_KICK);
            *kicked = true;
            kick_time = now;
            spin_end = now + RAW_KICK_SPIN_NS;     /* the stop is on its way */
            continue;
        }
        if (*kicked && now - kick_time > RAW_KICK_GRACE_NS) {
            if (alive(h)) {
                snprintf(h->err, sizeof h->err,
                         "raw-mode helper did not stop within %llu ms of a kick",
                         (unsigned long long)(RAW_KICK_GRACE_NS / 1000000));
                reap(h, NULL);
            }
            return RAW_WAIT_DEAD;
        }
        if (now < spin_end)
            continue;
        /* Sleep until the kick (or 50 ms, to look for a dead helper). */
        uint64_t until = *kicked ? now + 50000000ull : kick_at;
        if (until > now + 50000000ull)
            until = now + 50000000ull;
        struct timespec ts = { (time_t)((until - now) / 1000000000ull),
                               (long)((until - now) % 1000000000ull) };
        __atomic_store_n(cmdw(h, CMD_MON_SLEEP), 1, __ATOMIC_SEQ_CST);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (__atomic_load_n(rs, __ATOMIC_SEQ_CST) == h->seq)
            futex(rs, FUTEX_WAIT, h->seq, &ts);
        __atomic_store_n(cmdw(h, CMD_MON_SLEEP), 0, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(rs, __ATOMIC_ACQUIRE) == h->seq && !alive(h))
            return RAW_WAIT_DEAD;
    }
    if (!take_stop(h, cur)) {
        reap(h, NULL);
        return RAW_WAIT_DEAD;
    }
    return RAW_WAIT_EXIT;
}

/* Can this host run 32-bit user code at all? Kernels built or booted
 * without IA-32 emulation (ia32_emulation=off, PVM guests) mark the
 * compatibility code segment not present; some also refuse LDT data
 * segments. A throwaway child loads an LDT data segment into FS, then far
 * returns to __USER32_CS onto a UD2: SIGILL means both work. */
static bool probe_compat(void)
{
    uint8_t *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    if (page == MAP_FAILED)
        return false;
    page[0] = 0x0f;     /* ud2 */
    page[1] = 0x0b;
    pid_t pid = fork();
    if (pid == 0) {
        uint32_t desc[4] = { 0, 0, 0xfffff, 1 | 1u << 4 | 1u << 6 };    /* flat data */
        if (syscall(SYS_modify_ldt, 0x11, desc, 16) != 0)
            _exit(1);
        struct sigaction dfl = { .sa_handler = SIG_DFL };
        sigaction(SIGILL, &dfl, NULL);
        sigaction(SIGSEGV, &dfl, NULL);
        __asm__ volatile("mov %0, %%fs" : : "r"(7) : "memory");
        __asm__ volatile("pushq $0x23\n\tpushq %0\n\tlretq" : : "r"((uint64_t)(uintptr_t)page)
                         : "memory");
        _exit(2);
    }
    int status = 0;
    if (pid > 0)
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    munmap(page, 4096);
    return pid > 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGILL;
}

bool raw_host_compat(void)
{
    static int known = -1;
    if (known < 0)
        known = probe_compat();
    return known;
}

int raw_helper_start(struct raw_helper *h, int memfd)
{
    memset(h, 0, sizeof *h);
    h->sock = -1;
    h->memfd = memfd;
    h->region = region_map(h->err, sizeof h->err);
    if (!h->region)
        return -1;
    h->ctl = mmap(NULL, CTL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (h->ctl == MAP_FAILED) {
        h->ctl = NULL;
        snprintf(h->err, sizeof h->err, "cannot map the helper's control pages: %s",
                 strerror(errno));
        return -1;
    }
    h->cmd = h->ctl;
    h->rep = h->ctl + (RAW_REP_OFF - RAW_CMD_OFF);
    h->spin_loops = calibrate_spin();
    /* Sleeps until a kick deadline should end on time, not up to the
     * default 50 us timer slack later. */
    prctl(PR_SET_TIMERSLACK, 1);
    h->spin_ns = RAW_MON_SPIN_NS;
    prepare(h);

    int sv[2];
    if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0) {
        snprintf(h->err, sizeof h->err, "cannot make the helper's socket: %s", strerror(errno));
        return -1;
    }
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, &old);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0)
        child(h, sv[1], parent);
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(sv[1]);
    h->sock = sv[0];
    if (pid < 0) {
        snprintf(h->err, sizeof h->err, "cannot fork the raw-mode helper: %s", strerror(errno));
        raw_helper_stop(h);
        return -1;
    }
    h->pid = pid;
    bool kicked = false;    /* no deadline: never kicked during init */
    if (wait_stop(h, UINT64_MAX, &kicked) != RAW_WAIT_EXIT) {
        raw_helper_stop(h);
        return -1;
    }
    if (h->sig != SIGTRAP || *repw(h, REP_INIT_STEP) != 7) {
        snprintf(h->err, sizeof h->err, "raw-mode helper failed to start: signal %d at init step %u",
                 h->sig, *repw(h, REP_INIT_STEP));
        raw_helper_stop(h);
        return -1;
    }
    return 0;
}

/* Hand the memfd to the helper for this batch (it closes it again). */
static bool send_memfd(struct raw_helper *h)
{
    char byte = 0;
    struct iovec iov = { &byte, 1 };
    union { struct cmsghdr c; char buf[CMSG_SPACE(sizeof(int))]; } u;
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                          .msg_control = u.buf, .msg_controllen = sizeof u.buf };
    memset(&u, 0, sizeof u);
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &h->memfd, sizeof(int));
    return sendmsg(h->sock, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) == 1;
}

bool raw_helper_queue(struct raw_helper *h, const struct raw_op *op)
{
    if (h->nops >= RAW_OPS_MAX)
        return false;
    memcpy((void *)(h->cmd + CMD_OPS + (size_t)h->nops * RAW_OP_SIZE), op, sizeof *op);
    h->nops++;
    h->need_fd |= op->kind == RAW_OP_MMAP;
    return true;
}

enum raw_wait raw_helper_run(struct raw_helper *h, uint64_t kick_at, bool *kicked)
{
    *kicked = false;
    if (!h->pid)
        return RAW_WAIT_DEAD;
    bool fd = h->need_fd && send_memfd(h);
    *cmdw(h, CMD_FD) = fd;
    *cmdw(h, CMD_NOPS) = h->nops;
    uint64_t kill_at = kick_at;
    if (*cmdw(h, CMD_TIMER_OK)) {
        *(volatile uint64_t *)(h->cmd + CMD_KICK_AT) = kick_at;
        if (kick_at < UINT64_MAX - RAW_KICK_BACKUP_NS)
            kill_at = kick_at + RAW_KICK_BACKUP_NS;
    }
    h->nops = 0;
    h->need_fd = false;
    __atomic_store_n(cmdw(h, CMD_SEQ), h->seq, __ATOMIC_SEQ_CST);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(repw(h, REP_HLP_SLEEP), __ATOMIC_SEQ_CST))
        futex(cmdw(h, CMD_SEQ), FUTEX_WAKE, 1, NULL);
    bool sent = false;
    enum raw_wait w = wait_stop(h, kill_at, &sent);
    /* Whoever sent it (the timer, or the monitor's backup), a kick is a
     * stop by RAW_SIG_KICK. */
    *kicked = w == RAW_WAIT_EXIT && h->sig == RAW_SIG_KICK;
    return w;
}

uint32_t raw_helper_take_errors(struct raw_helper *h, int64_t *last)
{
    uint32_t n = *repw(h, REP_ERRS);
    if (n) {
        *repw(h, REP_ERRS) = 0;
        if (last)
            *last = *(volatile int64_t *)(h->rep + REP_LASTERR);
    }
    return n;
}
