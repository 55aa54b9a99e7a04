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
    uint64_t drops_all;          /* a space's every mapping dropped */
    uint64_t map_errors;
    uint64_t kick_lat_max;      /* worst ns from a due kick to the stop */
    uint64_t kick_lat_sum, kicks;
    uint64_t kicks_early;       /* stops by a timer armed for an earlier deadline */
    uint64_t seg_resync;        /* guest loaded a segment register natively */
    uint64_t scans, sens_pages; /* code pages scanned, found sensitive */
    uint64_t interp_runs;       /* interpreter stretches for such pages */
    uint64_t probes;            /* returns to user mode interpreted first */
    uint64_t spaces, switches, reuses;  /* helpers started, changes of space, spaces reused */
    uint64_t tables, table_drops;   /* tables watched, drops from writes to them */
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
 * aliases say where it is mapped executable or writable, in which space's
 * helper and in that space's generation (a drop of everything starts a new
 * one). A page is never writable in one place and executable in another.
 * A page that holds guest page tables some shadow mapping was filled from
 * is watched: `pt_spaces` says whose, `pt_lin` and `pt_shift` what its
 * entries map there (a write drops just that), `pt_mixed` that it serves
 * at several places (a write drops those spaces' everything). */
struct raw_page {
    uint64_t xlin, wlin;        /* linear page, or 0 */
    uint32_t xgen, wgen;
    uint8_t xsp, wsp;           /* space index of each alias */
    uint8_t scan;               /* RAW_SCAN_* */
    uint8_t scan_cs;            /* for code of this size (4 or 8) */
    uint8_t xmulti, wmulti;     /* mapped at more than one address */
    uint8_t pt_spaces;          /* bit per space: its shadow used this table */
    uint8_t pt_shift;           /* log2 of what one entry maps */
    uint8_t pt_esize;           /* entry size, 4 or 8 */
    uint8_t pt_mixed;
    uint64_t pt_lin;            /* linear address its first entry maps */
};
#define RAW_SCAN_NONE  0
#define RAW_SCAN_CLEAN 1
#define RAW_SCAN_SENS  2

/* Guest address spaces shadowed at once, a helper each. */
#define RAW_SPACES 8

/* One guest address space (a page-table root) and the helper process
 * whose mappings shadow its user pages. */
struct raw_space {
    struct raw_helper h;
    bool started;
    uint8_t idx;
    uint64_t key;               /* root table address | paging mode (0: free) */
    uint64_t pdpte[4];          /* PAE: the PDPTE registers it was filled under */
    uint64_t used;              /* last entry, for choosing one to reuse */
    uint32_t gen;               /* bumped by a drop of all */
    bool drop_all;              /* unmap every guest page at the next resume */
    uint64_t mapped;            /* mmaps since the last drop of all */
    uint32_t *tables;           /* RAM pages of the tables it watches */
    uint32_t ntables, cap_tables;
    uint32_t table_writes;      /* writes to its tables since native code last ran here */
    /* Host segment state the next resume must match. */
    int hmode;                  /* 0 unknown, 32 or 64 */
    bool ds_ok;                 /* host DS/ES hold ds_sel */
    uint16_t ds_sel;
    struct raw_hseg fs, gs;
};

struct raw_vcpu {
    struct raw_space sp[RAW_SPACES];
    struct raw_space *cur;      /* the space native code runs in */
    struct cpu *cpu;
    bool started;               /* a helper has started (the region is placed) */
    bool disabled;              /* could not start: interpreter only */
    bool compat;                /* the host runs 32-bit code (raw_host_compat) */
    uint64_t probe;             /* user instructions interpreted after a kernel return */
    bool probe_set;             /* ... as RAWBOX_RAW_PROBE says */
    uint64_t tick;              /* native entries, for raw_space.used */
    uint64_t last_fill;         /* address of the last fill, and how many */
    unsigned same_fills;        /* times in a row it faulted again */
    uint64_t min_addr;          /* host vm.mmap_min_addr */
    struct raw_page *pages;     /* one per RAM page */
    uint64_t npages;
    bool interp_hint;           /* the last fill refused a page native code cannot
                                 * use (sensitive, ROM, MMIO): interpret a while */
    struct raw_stats st;
};

/* context.c: the guest's registers into the helper's frame (and the ops
 * its segments need) and back. */
void raw_state_to_frame(struct cpu *cpu, struct raw_vcpu *rv);
void raw_frame_to_state(struct cpu *cpu, struct raw_vcpu *rv);

/* shadow.c */
/* The faulting access at `lin` (host page-fault error code `err`) is one
 * the guest's tables allow with A (and for writes D) already set: map it
 * and its accessed neighbours in the current space; false leaves it to
 * the interpreter. */
bool raw_shadow_fill(struct cpu *cpu, struct raw_vcpu *rv, uint64_t lin, unsigned err);
/* physmem code-writer hook: a write hit a scanned page or a watched table. */
void raw_shadow_code_write(void *opaque, uint64_t paddr, unsigned len);
/* cpu->tlb_flushed hook. */
void raw_shadow_flushed(void *opaque, uint64_t lin, int why);
/* Forget everything space `s` maps (unmapped at its next resume). */
void raw_shadow_drop_space(struct raw_vcpu *rv, struct raw_space *s);
/* The address space the vCPU is in: root table address | paging mode. */
uint64_t raw_space_key(const struct cpu *cpu);
/* Queue the current space's unmapping of everything if one was asked for. */
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
