/* The raw-mode helper process (src/raw/helper.c): a forked child whose
 * address space holds only the stub region (raw_abi.h) and the shadow
 * mappings of guest user pages the monitor asks for, sealed by a seccomp
 * filter (src/raw/seccomp.c). The monitor resumes it with a signal frame
 * it has filled and waits until the next signal stops it again. */
#ifndef RAWBOX_RAW_HELPER_H
#define RAWBOX_RAW_HELPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <sys/types.h>
#include <ucontext.h>

#include "raw/raw_abi.h"

/* Where this process's helper region lies (0 until a helper started). */
extern uint64_t raw_region_base;

static inline bool raw_in_region(uint64_t lin)
{
    return raw_region_base && lin - raw_region_base < RAW_REGION_SIZE;
}

struct raw_op {
    uint32_t kind;      /* RAW_OP_* */
    uint32_t arg;       /* prot, or a selector */
    uint64_t addr, len, off;
};

struct raw_helper {
    pid_t pid;
    int sock;                   /* our end of the socket the memfd goes over */
    int memfd;                  /* guest RAM */
    uint8_t *region;            /* raw_region_base, in both processes */
    /* This helper's own part of the region (command and report pages,
     * signal stack, init page): the monitor maps it anywhere, the helper
     * at region + RAW_CMD_OFF, so each helper has its own. Pointers the
     * helper reports are helper addresses; take_stop() translates them. */
    uint8_t *ctl;
    volatile uint8_t *cmd;      /* command page (read-only in the helper) */
    volatile uint8_t *rep;      /* report page (the helper writes it) */
    uint32_t seq;               /* the stop the helper is in */
    uint32_t nops;              /* ops queued for the next resume */
    bool need_fd;               /* a queued op maps guest RAM */
    /* The stop, read once from the report page and checked: pointers
     * into the alternate stack only, as the monitor sees it. */
    int sig;
    siginfo_t *info;
    ucontext_t *uc;
    uint8_t *fx;                /* the frame's xsave area */
    uint32_t spin_loops;        /* helper's pause loops before it sleeps */
    uint64_t spin_ns;           /* monitor's spin before it sleeps */
    char err[160];              /* why the helper is gone */
};

/* Start a helper that maps guest RAM from `memfd`. Returns 0, or -1 with
 * h->err saying why (no compat segment, seccomp refused, ...). */
int raw_helper_start(struct raw_helper *h, int memfd);
/* Kill the helper and reap it; the region stays mapped for the next one. */
void raw_helper_stop(struct raw_helper *h);

/* Queue an op for the next resume; false when the queue is full (the
 * caller resumes with what is queued and retries). */
bool raw_helper_queue(struct raw_helper *h, const struct raw_op *op);
/* The op queued last (to merge a neighbouring unmap into), or NULL. */
static inline struct raw_op *raw_helper_last_op(struct raw_helper *h)
{
    if (!h->nops)
        return NULL;
    return (struct raw_op *)(uintptr_t)(h->cmd + CMD_OPS + (size_t)(h->nops - 1) * RAW_OP_SIZE);
}

enum raw_wait {
    RAW_WAIT_EXIT,      /* the helper stopped: h->sig, h->info, h->uc, h->fx */
    RAW_WAIT_DEAD,      /* it died, stopped answering or lied (h->err) */
};

/* Resume the helper (running the queued ops first) and wait until it
 * stops. At host monotonic time `kick_at` (ns) the monitor sends it
 * RAW_SIG_KICK so native code cannot outrun a guest timer; *kicked says
 * whether it did. */
enum raw_wait raw_helper_run(struct raw_helper *h, uint64_t kick_at, bool *kicked);

/* Ops that failed since the last call (the helper counts them). */
uint32_t raw_helper_take_errors(struct raw_helper *h, int64_t *last);

uint64_t raw_host_ns(void);

/* Whether 32-bit guest code can run natively here: the host runs
 * compatibility-mode code and honours LDT data segments (probed once). */
bool raw_host_compat(void);

#endif
