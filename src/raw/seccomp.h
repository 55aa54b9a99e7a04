/* The helper's seccomp filter (src/raw/seccomp.c). */
#ifndef RAWBOX_RAW_SECCOMP_H
#define RAWBOX_RAW_SECCOMP_H

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

#define RAW_SECCOMP_MAX 160

/* Where each system call of the stub may come from: the address just after
 * its syscall instruction (the raw_site_* labels in src/raw/stub.S, moved
 * to the region) and the report page's msghdr that recvmsg must use. */
struct raw_sites {
    uint64_t wake, wait, recv, mmap, munmap, prctl, ldt, close, ret, timer;
    uint64_t msghdr;
    uint64_t code;              /* the stub's page */
};

/* Write the filter into `out` (RAW_SECCOMP_MAX entries); returns its
 * length. Each stub system call is allowed from its one site with the
 * arguments the stub uses there; anything else from the stub's page kills
 * the helper; every call from anywhere else (guest code: syscall, int 0x80
 * and sysenter's host meanings, x32 and i386 numbers alike) traps as
 * SIGSYS and becomes the guest's. */
unsigned raw_seccomp_build(struct sock_filter *out, const struct raw_sites *s);

#endif
