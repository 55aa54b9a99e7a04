/* The raw-mode helper's stub: the only host code in a helper process
 * (src/raw/helper.c forks the helper, which jumps to raw_stub_init and
 * unmaps everything but its region). Freestanding: no libc, no TLS, no
 * relocations; it reaches its pages rip-relatively, so the bytes between
 * raw_stub_start and raw_stub_end run wherever the monitor copies them
 * (the first page of the region, raw_abi.h).
 *
 * raw_stub_handler is the handler of every signal guest code can raise.
 * It publishes the frame's address, wakes the monitor if it sleeps, spins
 * and then sleeps until the monitor resumes this stop, takes the guest RAM
 * memfd from the socket if the monitor sent it, runs the queued ops
 * (mmap/munmap of guest pages, FS/GS bases, LDT entries, segment loads),
 * closes the memfd and returns through raw_stub_restorer's rt_sigreturn,
 * so the registers the monitor wrote into the frame take effect.
 *
 * Guest code can jump anywhere in here with registers of its choosing.
 * The seccomp filter (src/raw/seccomp.c) therefore allows each system call
 * only at its one site (the raw_site_* labels just after each syscall
 * instruction) with its fixed arguments; the memfd exists only between
 * raw_site_recv and raw_site_close, a stretch that takes nothing from
 * registers it did not load itself. */
#include "raw/raw_abi.h"

#define SYS_close           3
#define SYS_mmap            9
#define SYS_munmap          11
#define SYS_rt_sigaction    13
#define SYS_rt_sigprocmask  14
#define SYS_rt_sigreturn    15
#define SYS_recvmsg         47
#define SYS_sigaltstack     131
#define SYS_modify_ldt      154
#define SYS_timer_settime   223
#define SYS_arch_prctl      158
#define SYS_futex           202
#define SYS_exit_group      231
#define SYS_seccomp         317
#define FUTEX_WAIT          0
#define FUTEX_WAKE          1
#define ARCH_SET_GS         0x1001
#define ARCH_SET_FS         0x1002
#define MAP_SHARED_FIXED    0x11

#define CMD     (raw_stub_start + RAW_CMD_OFF)
#define REP     (raw_stub_start + RAW_REP_OFF)

    .text
    .globl raw_stub_start, raw_stub_end, raw_stub_init, raw_stub_handler, raw_stub_restorer
    .globl raw_site_wake, raw_site_wait, raw_site_recv, raw_site_mmap, raw_site_munmap
    .globl raw_site_prctl, raw_site_ldt, raw_site_close, raw_site_return, raw_site_timer
    .p2align 12
raw_stub_start:

/* rdi = signal, rsi = siginfo, rdx = ucontext; on the alternate stack,
 * every signal blocked. Registers are the frame's business: rt_sigreturn
 * restores them all. */
raw_stub_handler:
    lea     REP(%rip), %rbx
    lea     CMD(%rip), %rbp
    mov     %edi, REP_SIG(%rbx)
    mov     %rsi, REP_INFO(%rbx)
    mov     %rdx, REP_UCTX(%rbx)
    mov     %ds, %ax
    mov     %ax, REP_SEGS(%rbx)
    mov     %es, %ax
    mov     %ax, REP_SEGS+2(%rbx)
    mov     %fs, %ax
    mov     %ax, REP_SEGS+4(%rbx)
    mov     %gs, %ax
    mov     %ax, REP_SEGS+6(%rbx)
    mov     REP_SEQ(%rbx), %r14d
    inc     %r14d
    mov     %r14d, %eax
    xchg    %eax, REP_SEQ(%rbx)             /* publish stop r14; a full barrier */
    cmpl    $0, CMD_MON_SLEEP(%rbp)
    je      .Lwait
    lea     REP_SEQ(%rbx), %rdi
    mov     $FUTEX_WAKE, %esi
    mov     $1, %edx
    mov     $SYS_futex, %eax
    syscall
raw_site_wake:
.Lwait:
    mov     CMD_SPIN(%rbp), %ecx
.Lspin:
    cmp     CMD_SEQ(%rbp), %r14d
    je      .Lgo
    pause
    dec     %ecx
    jnz     .Lspin
    movl    $1, REP_HLP_SLEEP(%rbx)
    mfence
    mov     CMD_SEQ(%rbp), %edx
    cmp     %edx, %r14d
    je      .Lwoke
    lea     CMD_SEQ(%rbp), %rdi
    mov     $FUTEX_WAIT, %esi
    xor     %r10d, %r10d
    mov     $SYS_futex, %eax
    syscall
raw_site_wait:
.Lwoke:
    movl    $0, REP_HLP_SLEEP(%rbx)
    jmp     .Lwait

/* Resumed. From here to the close every register used is loaded here. */
.Lgo:
    lea     REP(%rip), %rbx
    lea     CMD(%rip), %rbp
    cmpl    $0, CMD_FD(%rbp)
    je      .Lops
    xor     %eax, %eax
    mov     %rax, REP_MSG(%rbx)             /* msg_name, msg_namelen */
    mov     %rax, REP_MSG+8(%rbx)
    lea     REP_IOV(%rbx), %rax
    mov     %rax, REP_MSG+16(%rbx)
    movq    $1, REP_MSG+24(%rbx)
    lea     REP_CMSG(%rbx), %rax
    mov     %rax, REP_MSG+32(%rbx)
    movq    $24, REP_MSG+40(%rbx)           /* CMSG_SPACE(sizeof(int)) */
    movq    $0, REP_MSG+48(%rbx)
    lea     REP_BYTE(%rbx), %rax
    mov     %rax, REP_IOV(%rbx)
    movq    $1, REP_IOV+8(%rbx)
    mov     $RAW_SOCKFD, %edi
    lea     REP_MSG(%rbx), %rsi
    mov     $RAW_RECV_FLAGS, %edx
    mov     $SYS_recvmsg, %eax
    syscall
raw_site_recv:
    lea     REP(%rip), %rbx
    lea     CMD(%rip), %rbp
.Lops:
    mov     CMD_NOPS(%rbp), %r12d
    cmp     $RAW_OPS_MAX, %r12d
    jbe     1f
    mov     $RAW_OPS_MAX, %r12d
1:  lea     CMD_OPS(%rbp), %r13
.Lop:
    test    %r12d, %r12d
    jz      .Ldone
    mov     (%r13), %eax
    cmp     $RAW_OP_MMAP, %eax
    je      .Lmmap
    cmp     $RAW_OP_MUNMAP, %eax
    je      .Lmunmap
    cmp     $RAW_OP_FSBASE, %eax
    je      .Lfsbase
    cmp     $RAW_OP_GSBASE, %eax
    je      .Lgsbase
    cmp     $RAW_OP_LDT, %eax
    je      .Lldt
    mov     4(%r13), %ecx
    cmp     $RAW_OP_DSES, %eax
    je      .Ldses
    cmp     $RAW_OP_FS, %eax
    je      .Lfs
    cmp     $RAW_OP_GS, %eax
    je      .Lgs
    jmp     .Lnext                          /* unknown: ignored */
.Lmmap:
    mov     8(%r13), %rdi
    mov     16(%r13), %rsi
    mov     4(%r13), %edx
    mov     $MAP_SHARED_FIXED, %r10d
    mov     $RAW_MEMFD, %r8d
    mov     24(%r13), %r9
    mov     $SYS_mmap, %eax
    syscall
raw_site_mmap:
    jmp     .Lresult
.Lmunmap:
    mov     8(%r13), %rdi
    mov     16(%r13), %rsi
    mov     $SYS_munmap, %eax
    syscall
raw_site_munmap:
    jmp     .Lresult
.Lfsbase:
    mov     $ARCH_SET_FS, %edi
    jmp     .Lprctl
.Lgsbase:
    mov     $ARCH_SET_GS, %edi
.Lprctl:
    mov     8(%r13), %rsi
    mov     $SYS_arch_prctl, %eax
    syscall
raw_site_prctl:
    jmp     .Lresult
.Lldt:
    mov     $0x11, %edi
    lea     8(%r13), %rsi
    mov     $16, %edx
    mov     $SYS_modify_ldt, %eax
    syscall
raw_site_ldt:
.Lresult:
    cmp     $-4095, %rax
    jb      .Lnext
    incl    REP_ERRS(%rbx)
    mov     %rax, REP_LASTERR(%rbx)
    jmp     .Lnext
.Ldses:
    mov     %ecx, %ds
    mov     %ecx, %es
    jmp     .Lnext
.Lfs:
    mov     %ecx, %fs
    jmp     .Lnext
.Lgs:
    mov     %ecx, %gs
.Lnext:
    add     $RAW_OP_SIZE, %r13
    dec     %r12d
    jmp     .Lop
.Ldone:
    /* The kick timer: re-armed only when the deadline moved. */
    lea     REP(%rip), %rbx
    lea     CMD(%rip), %rbp
    cmpl    $0, CMD_TIMER_OK(%rbp)
    je      .Lclose
    mov     CMD_KICK_AT(%rbp), %rax
    cmp     REP_ARMED(%rbx), %rax
    je      .Lclose
    mov     %rax, REP_ARMED(%rbx)
    xor     %edx, %edx
    mov     $1000000000, %ecx
    div     %rcx                            /* rax = s, rdx = ns */
    movq    $0, REP_ITS(%rbx)               /* no interval */
    movq    $0, REP_ITS+8(%rbx)
    mov     %rax, REP_ITS+16(%rbx)
    mov     %rdx, REP_ITS+24(%rbx)
    xor     %edi, %edi                      /* timer 0 */
    mov     $RAW_TIMER_ABSTIME, %esi
    lea     REP_ITS(%rbx), %rdx
    xor     %r10d, %r10d
    mov     $SYS_timer_settime, %eax
    syscall
raw_site_timer:
.Lclose:
    mov     $RAW_MEMFD, %edi
    mov     $SYS_close, %eax
    syscall
raw_site_close:
    ret                                     /* to raw_stub_restorer */

raw_stub_restorer:
    mov     $SYS_rt_sigreturn, %eax
    syscall
raw_site_return:
    ud2

/* Entered from the forked child (src/raw/helper.c) on the init stack with
 * every signal blocked. Sets up the handlers, unmaps all but the region,
 * unblocks signals, seals itself with seccomp and traps into the handler,
 * whose first stop hands the frame to the monitor. A failing step ends the
 * helper with status 100 + step. */
raw_stub_init:
    lea     REP(%rip), %rbx
    lea     CMD(%rip), %rbp
    movl    $1, REP_INIT_STEP(%rbx)
    lea     CMD_ALTSTACK(%rbp), %rdi
    xor     %esi, %esi
    mov     $SYS_sigaltstack, %eax
    syscall
    test    %rax, %rax
    jnz     .Lfail
    movl    $2, REP_INIT_STEP(%rbx)
    lea     .Lsignals(%rip), %r12
.Lsigact:
    movzbl  (%r12), %edi
    test    %edi, %edi
    jz      .Lunmap
    lea     CMD_SIGACT(%rbp), %rsi
    xor     %edx, %edx
    mov     $8, %r10d
    mov     $SYS_rt_sigaction, %eax
    syscall
    test    %rax, %rax
    jnz     .Lfail
    inc     %r12
    jmp     .Lsigact
.Lunmap:
    movl    $3, REP_INIT_STEP(%rbx)
    mov     CMD_UNMAP(%rbp), %rdi
    mov     CMD_UNMAP+8(%rbp), %rsi
    mov     $SYS_munmap, %eax
    syscall
    test    %rax, %rax
    jnz     .Lfail
    movl    $4, REP_INIT_STEP(%rbx)
    mov     CMD_UNMAP+16(%rbp), %rdi
    mov     CMD_UNMAP+24(%rbp), %rsi
    mov     $SYS_munmap, %eax
    syscall
    test    %rax, %rax
    jnz     .Lfail
    movl    $5, REP_INIT_STEP(%rbx)
    push    $0
    mov     $2, %edi                        /* SIG_SETMASK, empty */
    mov     %rsp, %rsi
    xor     %edx, %edx
    mov     $8, %r10d
    mov     $SYS_rt_sigprocmask, %eax
    syscall
    test    %rax, %rax
    jnz     .Lfail
    movl    $6, REP_INIT_STEP(%rbx)
    mov     $1, %edi                        /* SECCOMP_SET_MODE_FILTER */
    xor     %esi, %esi
    lea     CMD_FPROG(%rbp), %rdx
    mov     $SYS_seccomp, %eax
    syscall
    test    %rax, %rax
    jnz     .Lfail
    movl    $7, REP_INIT_STEP(%rbx)
    int3
    ud2
.Lfail:
    mov     %rax, REP_LASTERR(%rbx)
    mov     REP_INIT_STEP(%rbx), %edi
    add     $100, %edi
    mov     $SYS_exit_group, %eax
    syscall
    ud2

/* SIGILL SIGTRAP SIGBUS SIGFPE SIGSEGV SIGALRM SIGSYS */
.Lsignals:
    .byte   4, 5, 7, 8, 11, 14, 31, 0

    .p2align 4
raw_stub_end:
    .section .note.GNU-stack, "", @progbits
