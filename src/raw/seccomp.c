/* The seccomp filter that seals a raw-mode helper (seccomp.h). Guest code
 * shares the helper with the stub and can jump into the stub's page with
 * registers of its choosing, so every allowed call is pinned to the one
 * instruction that makes it and to its arguments: mmap only of the memfd
 * the stub holds for one batch (MAP_SHARED|MAP_FIXED), recvmsg only into
 * the report page with MSG_DONTWAIT, close only of that memfd,
 * arch_prctl only the FS/GS bases, modify_ldt only writes, futex only
 * wait/wake. What is left touches nothing outside the helper
 * (docs/raw-mode.md, threat model). */
#include "raw/seccomp.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/syscall.h>

#include "raw/raw_abi.h"

#define OFF_NR   offsetof(struct seccomp_data, nr)
#define OFF_ARCH offsetof(struct seccomp_data, arch)
#define OFF_IPLO offsetof(struct seccomp_data, instruction_pointer)
#define OFF_IPHI (OFF_IPLO + 4)
#define OFF_ARG(n) (offsetof(struct seccomp_data, args) + 8 * (n))

struct prog {
    struct sock_filter *f;
    unsigned n;
};

static void emit(struct prog *p, struct sock_filter ins)
{
    if (p->n < RAW_SECCOMP_MAX)
        p->f[p->n] = ins;
    p->n++;
}

static void ld(struct prog *p, unsigned off)
{
    emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, off));
}

static void ret(struct prog *p, uint32_t v)
{
    emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, v));
}

/* Go on if A == k, else kill the helper. */
static void need(struct prog *p, uint32_t k)
{
    emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, 1, 0));
    ret(p, SECCOMP_RET_KILL_PROCESS);
}

/* Go on if the 64-bit argument n equals v, else kill. */
static void need_arg(struct prog *p, unsigned n, uint64_t v)
{
    ld(p, OFF_ARG(n));
    need(p, (uint32_t)v);
    ld(p, OFF_ARG(n) + 4);
    need(p, (uint32_t)(v >> 32));
}

/* One site: if the low half of the IP (in A) is the site's, check the
 * call's number and arguments (body) and allow it; else skip the body. */
static void site(struct prog *p, uint64_t ip, int nr, void (*body)(struct prog *, const void *),
                 const void *arg)
{
    struct sock_filter tmp[RAW_SECCOMP_MAX];
    struct prog b = { tmp, 0 };
    ld(&b, OFF_NR);
    need(&b, (uint32_t)nr);
    if (body)
        body(&b, arg);
    ret(&b, SECCOMP_RET_ALLOW);
    ld(&b, OFF_IPLO);       /* A back to the IP for the next site */
    emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)ip, 0,
                                         (uint8_t)(b.n - 1)));
    for (unsigned k = 0; k + 1 < b.n && k < RAW_SECCOMP_MAX; k++)
        emit(p, tmp[k]);
    ld(p, OFF_IPLO);
}

static void futex_op(struct prog *p, const void *op)
{
    need_arg(p, 1, *(const uint32_t *)op);
}

static void recv_args(struct prog *p, const void *msg)
{
    need_arg(p, 0, RAW_SOCKFD);
    need_arg(p, 1, *(const uint64_t *)msg);
    need_arg(p, 2, RAW_RECV_FLAGS);
}

static void mmap_args(struct prog *p, const void *unused)
{
    need_arg(p, 3, 0x11);           /* MAP_SHARED | MAP_FIXED */
    need_arg(p, 4, RAW_MEMFD);
}

static void prctl_args(struct prog *p, const void *unused)
{
    ld(p, OFF_ARG(0) + 4);
    need(p, 0);
    ld(p, OFF_ARG(0));
    emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x1001, 2, 0));
    need(p, 0x1002);                /* ARCH_SET_GS or ARCH_SET_FS */
}

static void ldt_args(struct prog *p, const void *unused)
{
    need_arg(p, 0, 0x11);
}

static void close_args(struct prog *p, const void *unused)
{
    need_arg(p, 0, RAW_MEMFD);
}

static void timer_args(struct prog *p, const void *unused)
{
    need_arg(p, 0, 0);              /* the helper's one timer */
    need_arg(p, 1, RAW_TIMER_ABSTIME);
    need_arg(p, 3, 0);              /* no old value */
}

unsigned raw_seccomp_build(struct sock_filter *f, const struct raw_sites *s)
{
    struct prog p = { f, 0 };
    static const uint32_t wake = 1, wait = 0;

    /* Not the 64-bit ABI, or not the stub's page: a guest system call. */
    ld(&p, OFF_ARCH);
    emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0));
    ret(&p, SECCOMP_RET_TRAP);
    ld(&p, OFF_IPHI);
    emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(s->code >> 32), 1, 0));
    ret(&p, SECCOMP_RET_TRAP);
    ld(&p, OFF_IPLO);
    site(&p, s->wake, SYS_futex, futex_op, &wake);
    site(&p, s->wait, SYS_futex, futex_op, &wait);
    site(&p, s->recv, SYS_recvmsg, recv_args, &s->msghdr);
    site(&p, s->mmap, SYS_mmap, mmap_args, NULL);
    site(&p, s->munmap, SYS_munmap, NULL, NULL);
    site(&p, s->prctl, SYS_arch_prctl, prctl_args, NULL);
    site(&p, s->ldt, SYS_modify_ldt, ldt_args, NULL);
    site(&p, s->close, SYS_close, close_args, NULL);
    site(&p, s->timer, SYS_timer_settime, timer_args, NULL);
    site(&p, s->ret, SYS_rt_sigreturn, NULL, NULL);
    /* Elsewhere on the stub's page: guest code jumped in. Elsewhere in
     * the 4 GiB around it: a guest system call. */
    emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (uint32_t)s->code, 0, 2));
    emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (uint32_t)s->code + 0x1000, 1, 0));
    ret(&p, SECCOMP_RET_KILL_PROCESS);
    ret(&p, SECCOMP_RET_TRAP);
    return p.n <= RAW_SECCOMP_MAX ? p.n : 0;
}
