/* The helper's seccomp filter (src/raw/seccomp.c). */
#ifndef RAWBOX_RAW_SECCOMP_H
#define RAWBOX_RAW_SECCOMP_H

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

#define RAW_SECCOMP_MAX 64

/* Write the filter into `out` (RAW_SECCOMP_MAX entries); returns its
 * length. System calls from [code, code + 4096) that the stub needs, with
 * the arguments it uses, are allowed; any other call from there kills the
 * helper; every call from anywhere else (guest code: syscall, int 0x80,
 * sysenter's host meaning, x32 and i386 numbers alike) traps as SIGSYS. */
unsigned raw_seccomp_build(struct sock_filter *out, uint64_t code);

#endif
