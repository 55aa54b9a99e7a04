/* The raw-mode helper's stub: the only host code in a helper process
 * (src/raw/helper.c forks the helper, which jumps to raw_stub_init and
 * unmaps everything but its region). Freestanding: no libc, no TLS, no
 * relocations; it reaches its control page rip-relatively, so the bytes
 * between raw_stub_start and raw_stub_end run wherever the monitor copies
 * them (the first page of the region, raw_abi.h).
 *
 * raw_stub_handler is the handler of every signal guest code can raise.
 * It publishes the frame's address, wakes the monitor if it sleeps, spins
 * and then sleeps until the monitor says go, runs the monitor's queued
 * ops (mmap/munmap of guest pages, FS/GS bases, LDT entries, segment
 * loads) and returns through raw_stub_restorer's rt_sigreturn, so the
 * registers the monitor wrote into the frame take effect.
 *
 * The seccomp filter (src/raw/seccomp.c) lets only this page make system
 * calls; guest code can still jump here with registers of its choosing,
 * which is why the monitor trusts nothing the helper reports. */
#include "raw/raw_abi.h"

#define SYS_mmap            9
#define SYS_munmap          11
#define SYS_rt_sigaction    13
#define SYS_rt_sigprocmask  14
#define SYS_rt_sigreturn    15
#define SYS_sigaltstack     131
#define SYS_modify_ldt      154
#define SYS_arch_prctl      158
#define SYS_futex           202
#define SYS_exit_group      231
#define SYS_seccomp         317
#define FUTEX_WAIT          0
#define FUTEX_WAKE          1
#define ARCH_SET_GS         0x1001
#define ARCH_SET_FS         0x1002
#define MAP_SHARED_FIXED    0x11

#define SHARED  (raw_stub_start + RAW_SHARED_OFF)

    .text
    .globl raw_stub_start, raw_stub_end, raw_stub_init, raw_stub_handler, raw_stub_restorer
    .p2align 12
raw_stub_start:

/* rdi = signal, rsi = siginfo, rdx = ucontext; on the alternate stack,
 * every signal blocked. Registers are the frame's business: rt_sigreturn
 * restores them all. */
raw_stub_handler:
    lea     SHARED(%rip), %rbx
    mov     %edi, SH_SIG(%rbx)
    mov     %rsi, SH_INFO(%rbx)
    mov     %rdx, SH_UCTX(%rbx)
    mov     %ds, %ax
    mov     %ax, SH_SEGS(%rbx)
    mov     %es, %ax
    mov     %ax, SH_SEGS+2(%rbx)
    mov     %fs, %ax
    mov     %ax, SH_SEGS+4(%rbx)
    mov     %gs, %ax
    mov     %ax, SH_SEGS+6(%rbx)
    mov     $RAW_ST_EXIT, %eax
    xchg    %eax, SH_STATE(%rbx)            /* publish; a full barrier */
    cmpl    $0, SH_MON_SLEEP(%rbx)
    je      .Lwait
    lea     SH_STATE(%rbx), %rdi
    mov     $FUTEX_WAKE, %esi
    mov     $1, %edx
    mov     $SYS_futex, %eax
    syscall
.Lwait:
    mov     SH_SPIN(%rbx), %ecx
.Lspin:
    cmpl    $RAW_ST_GO, SH_STATE(%rbx)
    je      .Lgo
    pause
    dec     %ecx
    jnz     .Lspin
    movl    $1, SH_HLP_SLEEP(%rbx)
    mfence
    cmpl    $RAW_ST_GO, SH_STATE(%rbx)
    je      .Lwoke
    lea     SH_STATE(%rbx), %rdi
    mov     $FUTEX_WAIT, %esi
    mov     $RAW_ST_EXIT, %edx
    xor     %r10d, %r10d
    mov     $SYS_futex, %eax
    syscall
.Lwoke:
    movl    $0, SH_HLP_SLEEP(%rbx)
    jmp     .Lwait
.Lgo:
    movl    $RAW_ST_RUN, SH_STATE(%rbx)
    mov     SH_NOPS(%rbx), %r12d
    lea     SH_OPS(%rbx), %r13
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
    mov     4(%r13), %eax
    cmpl    $RAW_OP_DSES, (%r13)
    je      .Ldses
    cmpl    $RAW_OP_FS, (%r13)
    je      .Lfs
    cmpl    $RAW_OP_GS, (%r13)
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
    jmp     .Lcall
.Lmunmap:
    mov     8(%r13), %rdi
    mov     16(%r13), %rsi
    mov     $SYS_munmap, %eax
    jmp     .Lcall
.Lfsbase:
    mov     $ARCH_SET_FS, %edi
    mov     8(%r13), %rsi
    mov     $SYS_arch_prctl, %eax
    jmp     .Lcall
.Lgsbase:
    mov     $ARCH_SET_GS, %edi
    mov     8(%r13), %rsi
    mov     $SYS_arch_prctl, %eax
    jmp     .Lcall
.Lldt:
    mov     $0x11, %edi
    lea     8(%r13), %rsi
    mov     $16, %edx
    mov     $SYS_modify_ldt, %eax
.Lcall:
    syscall
    cmp     $-4095, %rax
    jb      .Lnext
    incl    SH_ERRS(%rbx)
    mov     %rax, SH_LASTERR(%rbx)
    jmp     .Lnext
.Ldses:
    mov     %eax, %ds
    mov     %eax, %es
    jmp     .Lnext
.Lfs:
    mov     %eax, %fs
    jmp     .Lnext
.Lgs:
    mov     %eax, %gs
.Lnext:
    add     $RAW_OP_SIZE, %r13
    dec     %r12d
    jmp     .Lop
.Ldone:
    movl    $0, SH_NOPS(%rbx)
    ret                                     /* to raw_stub_restorer */

raw_stub_restorer:
    mov     $SYS_rt_sigreturn, %eax
    syscall
    ud2

/* Entered from the forked child (src/raw/helper.c) on the init stack with
 * every signal blocked. Sets up the handlers, unmaps all but the region,
 * unblocks signals, seals itself with seccomp and traps into the handler,
 * whose first exit hands the frame to the monitor. A failing step ends the
 * helper with status 100 + step. */
raw_stub_init:
    lea     SHARED(%rip), %rbx
    movl    $1, SH_INIT_STEP(%rbx)
    lea     SH_ALTSTACK(%rbx), %rdi
    xor     %esi, %esi
    mov     $SYS_sigaltstack, %eax
    syscall
    test    %rax, %rax
    jnz     .Lfail
    movl    $2, SH_INIT_STEP(%rbx)
    lea     .Lsignals(%rip), %r12
.Lsigact:
    movzbl  (%r12), %edi
    test    %edi, %edi
    jz      .Lunmap
    lea     SH_SIGACT(%rbx), %rsi
    xor     %edx, %edx
    mov     $8, %r10d
    mov     $SYS_rt_sigaction, %eax
    syscall
    test    %rax, %rax
    jnz     .Lfail
    inc     %r12
    jmp     .Lsigact
.Lunmap:
    movl    $3, SH_INIT_STEP(%rbx)
    mov     SH_UNMAP(%rbx), %rdi
    mov     SH_UNMAP+8(%rbx), %rsi
    mov     $SYS_munmap, %eax
    syscall
    test    %rax, %rax
    jnz     .Lfail
    movl    $4, SH_INIT_STEP(%rbx)
    mov     SH_UNMAP+16(%rbx), %rdi
    mov     SH_UNMAP+24(%rbx), %rsi
    mov     $SYS_munmap, %eax
    syscall
    test    %rax, %rax
    jnz     .Lfail
    movl    $5, SH_INIT_STEP(%rbx)
    push    $0
    mov     $2, %edi                        /* SIG_SETMASK, empty */
    mov     %rsp, %rsi
    xor     %edx, %edx
    mov     $8, %r10d
    mov     $SYS_rt_sigprocmask, %eax
    syscall
    test    %rax, %rax
    jnz     .Lfail
    movl    $6, SH_INIT_STEP(%rbx)
    mov     $1, %edi                        /* SECCOMP_SET_MODE_FILTER */
    xor     %esi, %esi
    lea     SH_FPROG(%rbx), %rdx
    mov     $SYS_seccomp, %eax
    syscall
    test    %rax, %rax
    jnz     .Lfail
    movl    $7, SH_INIT_STEP(%rbx)
    int3
    ud2
.Lfail:
    mov     %rax, SH_LASTERR(%rbx)
    mov     SH_INIT_STEP(%rbx), %edi
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
