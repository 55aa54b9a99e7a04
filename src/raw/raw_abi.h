/* The contract between the monitor (src/raw/helper.c) and the helper's
 * stub (src/raw/stub.S): where things sit in the helper's one region and
 * the offsets in its two control pages. Plain #defines so the assembler
 * reads the same numbers as the C compiler.
 *
 * The region is mapped in the monitor before the helper is forked, so both
 * processes see it at the same address: pointers the host kernel writes
 * there (the signal frame) mean the same in both. Its address is chosen at
 * random per rawbox process (raw_region_base, src/raw/helper.c), 2 MiB
 * aligned between 16 and 64 TiB: above 4 GiB (out of reach of 32-bit guest
 * code), in a part of the 47-bit space no Linux process layout uses by
 * default, beyond ASan's shadow, and where a hostile 64-bit guest program
 * cannot know to look. A 64-bit guest that maps user pages in the same
 * 512 GiB slot runs in the interpreter instead (src/raw/engine.c).
 *
 * Guest code shares the helper with the stub, so nothing in the helper is
 * trusted: the command page is read-only there, the report page and the
 * frames are checked by the monitor before use (docs/raw-mode.md). */
#ifndef RAWBOX_RAW_ABI_H
#define RAWBOX_RAW_ABI_H

#define RAW_REGION_LO       0x100000000000  /* where the region may go */
#define RAW_REGION_HI       0x400000000000
#define RAW_CODE_OFF        0x0000      /* stub code, one page, read+exec */
#define RAW_CMD_OFF         0x1000      /* monitor -> helper, read-only there */
#define RAW_CMD_SIZE        0x2000
#define RAW_REP_OFF         0x3000      /* helper -> monitor */
#define RAW_ALT_OFF         0x4000      /* sigaltstack: the signal frames */
#define RAW_ALT_SIZE        0x10000
#define RAW_INIT_OFF        0x14000     /* seccomp program, then the init stack */
#define RAW_INIT_SIZE       0x1000
#define RAW_REGION_SIZE     0x15000

/* File descriptors in the helper: the socket the monitor passes the guest
 * RAM memfd over, and the number the memfd gets for the length of one
 * batch of ops (the lowest free one; closed again before guest code runs). */
#define RAW_SOCKFD          0
#define RAW_MEMFD           1

/* Command page (monitor writes). CMD_SEQ is the futex word the helper
 * waits on: the monitor resumes stop N by storing N there. */
#define CMD_SEQ             0           /* u32 */
#define CMD_MON_SLEEP       4           /* u32: monitor waits on REP_SEQ */
#define CMD_NOPS            8           /* u32: ops for this resume */
#define CMD_SPIN            12          /* u32: helper's pause loops before sleeping */
#define CMD_FD              16          /* u32: a memfd waits on the socket */
#define CMD_FPROG           24          /* struct sock_fprog (16 bytes) */
#define CMD_ALTSTACK        40          /* stack_t (24 bytes) */
#define CMD_SIGACT          64          /* kernel struct sigaction (32 bytes) */
#define CMD_UNMAP           96          /* 2 x (addr, len): what init unmaps */
#define CMD_TIMER_OK        128         /* u32: the helper made its kick timer (id 0) */
#define CMD_KICK_AT         136         /* u64: CLOCK_MONOTONIC ns the timer stops guest code */
#define CMD_OPS             256
#define RAW_OP_SIZE         32
#define RAW_OPS_MAX         ((RAW_CMD_SIZE - CMD_OPS) / RAW_OP_SIZE)

/* Report page (helper writes). REP_SEQ is the futex word the monitor
 * waits on: the handler bumps it at every stop. */
#define REP_SEQ             0           /* u32 */
#define REP_HLP_SLEEP       4           /* u32: helper waits on CMD_SEQ */
#define REP_SIG             8           /* u32: signal of the stop */
#define REP_INIT_STEP       12          /* u32: how far the stub's init got */
#define REP_INFO            16          /* u64: its siginfo_t * */
#define REP_UCTX            24          /* u64: its ucontext_t * */
#define REP_ERRS            32          /* u32: ops that failed */
#define REP_LASTERR         40          /* u64: result of the last failed op */
#define REP_SEGS            48          /* u16 x 4: DS ES FS GS at the stop */
#define REP_MSG             64          /* struct msghdr for the memfd (56) */
#define REP_IOV             128         /* its iovec (16) */
#define REP_CMSG            160         /* its control buffer (32) */
#define REP_BYTE            200         /* its one data byte */
#define REP_ARMED           208         /* u64: the CMD_KICK_AT the timer holds */
#define REP_ITS             216         /* struct itimerspec for timer_settime (32) */

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

/* recvmsg flags the stub uses (and the filter requires). */
#define RAW_RECV_FLAGS      0x40000040  /* MSG_CMSG_CLOEXEC | MSG_DONTWAIT */

/* The signal that stops native code when a guest timer is due: the
 * helper's own POSIX timer sends it (armed by the stub at each resume),
 * the monitor as a fallback. */
#define RAW_SIG_KICK        14          /* SIGALRM */
#define RAW_TIMER_ABSTIME   1

#endif
