/* The contract between the monitor (src/raw/helper.c) and the helper's
 * stub (src/raw/stub.S): where things sit in the helper's one region and
 * the offsets in its shared control page. Plain #defines so the assembler
 * reads the same numbers as the C compiler.
 *
 * The region is mapped at RAW_REGION_BASE in the monitor before the helper
 * is forked, so both processes see it at the same address: pointers the
 * host kernel writes there (the signal frame) mean the same in both. It
 * lies above 4 GiB (out of reach of 32-bit guest code's addresses) and in
 * a part of the 47-bit space no Linux process layout uses by default (and
 * beyond ASan's shadow). A 64-bit guest that maps user pages there runs in
 * the interpreter instead (src/raw/engine.c). */
#ifndef RAWBOX_RAW_ABI_H
#define RAWBOX_RAW_ABI_H

#define RAW_REGION_BASE     0x3f0000000000
#define RAW_CODE_OFF        0x0000      /* stub code, one page, read+exec */
#define RAW_SHARED_OFF      0x1000      /* control block and op queue */
#define RAW_SHARED_SIZE     0x2000
#define RAW_ALT_OFF         0x3000      /* sigaltstack: the signal frames */
#define RAW_ALT_SIZE        0x10000
#define RAW_INIT_OFF        0x13000     /* seccomp program, then the init stack */
#define RAW_INIT_SIZE       0x1000
#define RAW_REGION_SIZE     0x14000

/* The guest RAM memfd's number in the helper. */
#define RAW_MEMFD           3

/* Control block (at RAW_SHARED_OFF). STATE is the futex word. */
#define SH_STATE            0           /* u32: RAW_ST_* */
#define SH_MON_SLEEP        4           /* u32: monitor waits on the futex */
#define SH_HLP_SLEEP        8           /* u32: helper waits on the futex */
#define SH_SIG              12          /* u32: signal of the last exit */
#define SH_INFO             16          /* u64: its siginfo_t * */
#define SH_UCTX             24          /* u64: its ucontext_t * */
#define SH_NOPS             32          /* u32: ops queued for the next resume */
#define SH_SPIN             36          /* u32: helper's pause loops before sleeping */
#define SH_ERRS             40          /* u32: ops that failed (host errno < 0) */
#define SH_INIT_STEP        44          /* u32: how far the stub's init got */
#define SH_LASTERR          48          /* u64: result of the last failed op */
#define SH_FPROG            56          /* struct sock_fprog (16 bytes) */
#define SH_ALTSTACK         72          /* stack_t (24 bytes) */
#define SH_SIGACT           96          /* kernel struct sigaction (32 bytes) */
#define SH_UNMAP            128         /* 2 x (addr, len): what init unmaps */
#define SH_SEGS             248         /* u16 x 4: DS ES FS GS at the stop */
#define SH_OPS              256
#define RAW_OP_SIZE         32
#define RAW_OPS_MAX         ((RAW_SHARED_SIZE - SH_OPS) / RAW_OP_SIZE)

/* States of SH_STATE. */
#define RAW_ST_RUN          0           /* helper runs guest code (or its stub) */
#define RAW_ST_EXIT         1           /* helper stopped in its handler; frame ready */
#define RAW_ST_GO           2           /* monitor: resume */

/* One op (RAW_OP_SIZE bytes): u32 kind, u32 arg, u64 addr, u64 len, u64 off.
 * RAW_OP_LDT carries a struct user_desc in addr..off (16 bytes at +8). */
#define RAW_OP_MMAP         1           /* mmap(addr, len, arg=prot, SHARED|FIXED, memfd, off) */
#define RAW_OP_MUNMAP       2           /* munmap(addr, len) */
#define RAW_OP_FSBASE       3           /* arch_prctl(ARCH_SET_FS, addr) */
#define RAW_OP_GSBASE       4           /* arch_prctl(ARCH_SET_GS, addr) */
#define RAW_OP_LDT          5           /* modify_ldt(0x11, op + 8, 16) */
#define RAW_OP_DSES         6           /* load DS and ES with selector arg */
#define RAW_OP_FS           7           /* load FS with selector arg */
#define RAW_OP_GS           8           /* load GS with selector arg */

/* The signal the monitor sends to stop native code (a timer is due). */
#define RAW_SIG_KICK        14          /* SIGALRM */

#endif
