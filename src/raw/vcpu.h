/* Raw mode's per-vCPU state, private to src/raw/. */
#ifndef RAWBOX_RAW_VCPU_H
#define RAWBOX_RAW_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "raw/helper.h"

/* Why native code stopped (the --stats rows). */
enum raw_exit {
    RX_SYSCALL,         /* syscall, sysenter, int 0x80 */
    RX_FILL,            /* shadow page filled, resumed natively */
    RX_PF,              /* #PF the guest takes (or A/D to set) */
    RX_GP, RX_UD, RX_DE, RX_BP, RX_DB, RX_OF, RX_AC, RX_MF, RX_XM,
    RX_OTHER_FAULT,
    RX_KICK,            /* a guest timer was due */
    RX_DEAD,            /* the helper died */
    RX_COUNT
};

struct raw_stats {
    uint64_t entries;           /* resumes of native code */
    uint64_t exits[RX_COUNT];
    uint64_t ns_native;         /* host ns with the helper running */
    uint64_t ns_interp;         /* host ns in the interpreter */
    uint64_t fills, fill_pages; /* shadow faults filled, pages mapped */
    uint64_t drops_all, drops_page;
    uint64_t map_errors;
    uint64_t kick_lat_max;      /* worst ns from a due kick to the stop */
    uint64_t kick_lat_sum, kicks;
    uint64_t seg_resync;        /* guest loaded a segment register natively */
    uint64_t scans, sens_pages; /* code pages scanned, found sensitive */
    uint64_t interp_runs;       /* interpreter stretches for such pages */
    uint64_t probes;            /* returns to user mode interpreted first */
};

/* What the host side holds now for one of FS/GS (32-bit guests: an LDT
 * entry and its selector; 64-bit: a base). */
struct raw_hseg {
    bool valid;
    uint16_t sel;
    uint16_t attr;
    uint32_t limit;
    uint64_t base;
};

/* Per guest-physical RAM page: what native code may do with it (shadow.c).
 * `scan` is the result of looking for sensitive instructions; the two
 * aliases say where it is mapped executable or writable in the helper, in
 * generation `gen` (a drop of everything starts a new one). A page is
 * never writable and executable in the helper at once. */
struct raw_page {
    uint64_t xlin, wlin;        /* linear page, or 0 */
    uint32_t xgen, wgen;
    uint8_t scan;               /* RAW_SCAN_* */
    uint8_t scan_cs;            /* for code of this size (4 or 8) */
    uint8_t xmulti, wmulti;     /* mapped at more than one address */
};
#define RAW_SCAN_NONE  0
#define RAW_SCAN_CLEAN 1
#define RAW_SCAN_SENS  2

struct raw_vcpu {
    struct raw_helper h;
    struct cpu *cpu;
    bool started;
    bool disabled;              /* could not start: interpreter only */
    bool compat;                /* the host runs 32-bit code (raw_host_compat) */
    uint64_t probe;             /* user instructions interpreted after a kernel return */
    bool drop_all;              /* unmap every guest page at the next resume */
    bool has_large;             /* a mapping came from a 2/4 MiB guest page */
    uint64_t mapped;            /* pages mapped since the last drop of all */
    uint64_t last_fill;         /* address of the last fill, and how many */
    unsigned same_fills;        /* times in a row it faulted again */
    uint64_t min_addr;          /* host vm.mmap_min_addr */
    struct raw_page *pages;     /* one per RAM page */
    uint64_t npages;
    uint32_t gen;               /* shadow generation, bumped by a drop of all */
    bool interp_hint;           /* the last fill refused a page native code cannot
                                 * use (sensitive, ROM, MMIO): interpret a while */
    /* Host segment state the next resume must match. */
    int hmode;                  /* 0 unknown, 32 or 64 */
    bool ds_ok;                 /* host DS/ES hold ds_sel */
    uint16_t ds_sel;
    struct raw_hseg fs, gs;
    struct raw_stats st;
};

/* context.c: the guest's registers into the helper's frame (and the ops
 * its segments need) and back. */
void raw_state_to_frame(struct cpu *cpu, struct raw_vcpu *rv);
void raw_frame_to_state(struct cpu *cpu, struct raw_vcpu *rv);

/* shadow.c */
/* The faulting access at `lin` (host page-fault error code `err`) is one
 * the guest's tables allow with A (and for writes D) already set: map it
 * and its accessed neighbours; false leaves it to the interpreter. */
bool raw_shadow_fill(struct cpu *cpu, struct raw_vcpu *rv, uint64_t lin, unsigned err);
/* physmem code-writer hook: the interpreter wrote a scanned page. */
void raw_shadow_code_write(void *opaque, uint64_t paddr);
/* cpu->tlb_flushed hook. */
void raw_shadow_flushed(void *opaque, uint64_t lin, bool all);
/* Queue the unmapping of everything if a flush asked for it. */
void raw_shadow_sync(struct raw_vcpu *rv);
/* Native code may have rewritten the instruction at `lin` since the
 * interpreter decoded it: drop the decoded copies of its page(s). */
void raw_shadow_code_stale(struct cpu *cpu, uint64_t lin);
/* Is the code at RIP on a page native code must not run (scanned
 * sensitive, or not RAM)? */
bool raw_shadow_rip_blocked(struct cpu *cpu, struct raw_vcpu *rv);
/* Guest-readable byte at linear `lin` (user view), for exit decoding. */
bool raw_guest_byte(struct cpu *cpu, uint64_t lin, uint8_t *out);

#endif
