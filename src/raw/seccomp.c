/* The seccomp filter that seals a raw-mode helper (seccomp.h). Guest code
 * shares the helper with the stub and can jump into the stub's page with
 * registers of its choosing, so the filter also pins the arguments: mmap
 * only MAP_SHARED|MAP_FIXED of the guest RAM memfd, arch_prctl only the
 * FS/GS bases, modify_ldt only writes, futex only wait/wake. What is left
 * touches nothing outside the helper (docs/raw-mode.md, threat model). */
#include "raw/seccomp.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/syscall.h>

#include "raw/raw_abi.h"

#define LD(off) (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define RET(v)  (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, (v))
#define JEQ(k, t, f) (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (t), (f))
#define JGE(k, t, f) (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (k), (t), (f))

#define OFF_NR   offsetof(struct seccomp_data, nr)
#define OFF_ARCH offsetof(struct seccomp_data, arch)
#define OFF_IPLO offsetof(struct seccomp_data, instruction_pointer)
#define OFF_IPHI (OFF_IPLO + 4)
#define OFF_ARG(n) (offsetof(struct seccomp_data, args) + 8 * (n))

unsigned raw_seccomp_build(struct sock_filter *f, uint64_t code)
{
    unsigned n = 0;
    uint32_t lo = (uint32_t)code, hi = (uint32_t)(code >> 32);

    /* Not the stub's page, or not the 64-bit ABI: a guest system call. */
    f[n++] = LD(OFF_ARCH);
    f[n++] = JEQ(AUDIT_ARCH_X86_64, 1, 0);
    f[n++] = RET(SECCOMP_RET_TRAP);
    f[n++] = LD(OFF_IPHI);
    f[n++] = JEQ(hi, 1, 0);
    f[n++] = RET(SECCOMP_RET_TRAP);
    f[n++] = LD(OFF_IPLO);
    f[n++] = JGE(lo, 1, 0);
    f[n++] = RET(SECCOMP_RET_TRAP);
    f[n++] = JGE(lo + 0x1000, 0, 1);
    f[n++] = RET(SECCOMP_RET_TRAP);

    /* From the stub: each allowed call jumps to its argument check. */
    f[n++] = LD(OFF_NR);
    f[n++] = JEQ(SYS_futex, 8, 0);
    f[n++] = JEQ(SYS_mmap, 11, 0);
    f[n++] = JEQ(SYS_munmap, 5, 0);
    f[n++] = JEQ(SYS_rt_sigreturn, 4, 0);
    f[n++] = JEQ(SYS_arch_prctl, 15, 0);
    f[n++] = JEQ(SYS_modify_ldt, 19, 0);
    f[n++] = RET(SECCOMP_RET_KILL_PROCESS);
    f[n++] = RET(SECCOMP_RET_KILL_PROCESS);
    f[n++] = RET(SECCOMP_RET_ALLOW);                        /* munmap, rt_sigreturn */
    /* futex: FUTEX_WAIT (0) or FUTEX_WAKE (1), shared (no private flag). */
    f[n++] = LD(OFF_ARG(1));
    f[n++] = JGE(2, 0, 1);
    f[n++] = RET(SECCOMP_RET_KILL_PROCESS);
    f[n++] = RET(SECCOMP_RET_ALLOW);
    /* mmap: flags MAP_SHARED|MAP_FIXED, fd = the memfd. */
    f[n++] = LD(OFF_ARG(3));
    f[n++] = JEQ(0x11, 1, 0);
    f[n++] = RET(SECCOMP_RET_KILL_PROCESS);
    f[n++] = LD(OFF_ARG(4));
    f[n++] = JEQ(RAW_MEMFD, 0, 1);
    f[n++] = RET(SECCOMP_RET_ALLOW);
    f[n++] = RET(SECCOMP_RET_KILL_PROCESS);
    /* arch_prctl: ARCH_SET_GS (0x1001) or ARCH_SET_FS (0x1002). */
    f[n++] = LD(OFF_ARG(0));
    f[n++] = JEQ(0x1001, 1, 0);
    f[n++] = JEQ(0x1002, 0, 1);
    f[n++] = RET(SECCOMP_RET_ALLOW);
    f[n++] = RET(SECCOMP_RET_KILL_PROCESS);
    /* modify_ldt: func 0x11 (write an entry). */
    f[n++] = LD(OFF_ARG(0));
    f[n++] = JEQ(0x11, 0, 1);
    f[n++] = RET(SECCOMP_RET_ALLOW);
    f[n++] = RET(SECCOMP_RET_KILL_PROCESS);
    return n;
}
