/* The helpers' shadows of guest user mappings: per guest address space
 * (page-table root) a helper process whose host mmaps of the guest RAM
 * memfd at guest-linear addresses act as its software TLB.
 *
 * Filled on demand when native code faults: the guest's tables are walked
 * without side effects, and only an access they allow with the accessed
 * bit (and for a write the dirty bit) already set is mapped here; anything
 * else goes to the interpreter, which sets A/D or raises the guest's #PF
 * exactly as the hardware would. A page is mapped writable only once
 * dirty, so the first native write still comes back to set D. Neighbours
 * in the same 16-page window whose A bit is already set come along (no
 * guest-visible change: their bits are set already).
 *
 * Dropped where the translation changes, not where a TLB would be flushed:
 * the guest kernel runs in the interpreter, and every table a mapping was
 * filled through is watched (physmem marks it), so a write to an entry
 * unmaps what it mapped, in every space that used it, as the write
 * happens. A space's shadow so stays valid while another runs, and a CR3
 * write costs nothing (a page-table isolating guest writes CR3 twice per
 * system call). Changes to how tables are read (paging mode bits, A20)
 * drop everything. The number of mappings per helper is bounded by
 * dropping all of them past RAW_MAP_CAP, far below the host's
 * vm.max_map_count. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cpu/dcache.h"
#include "cpu/insn.h"
#include "cpu/optable.h"
#include "cpu/mmu.h"
#include "cpu/paging.h"
#include "mem/physmem.h"
#include "raw/vcpu.h"

#define RAW_MAP_CAP     20000       /* mmaps (each at most 2 more VMAs); vm.max_map_count is 65530 */
#define RAW_WINDOW      16          /* pages filled around a fault */
#define RAW_TABLE_WRITES_MAX 256    /* table writes a space takes between entries */
#define HOST_USER_TOP   0x7ffffffff000ull  /* TASK_SIZE_MAX */

/* Offset of guest-physical page `pa` in the RAM memfd, or -1 when it is
 * not plain RAM (ROM, MMIO, nothing): such pages are never mapped. */
static int64_t ram_offset(struct cpu *cpu, uint64_t pa)
{
    struct physmem *m = cpu->mem;
    uint8_t *p = physmem_page(m, physmem_a20(m, pa), NULL);
    if (!p || p < m->ram || p >= m->ram + m->ram_size)
        return -1;
    return (int64_t)(p - m->ram) & ~(int64_t)(PAGE_SIZE - 1);
}

/* CPUID's bytes (0F A2) at b? CPUID reports the host CPU, not the guest's
 * model (AVX-512 on these hosts, which glibc would then use), and cannot be
 * made to fault here (no CPUID faulting), so its bytes are looked for
 * anywhere on a page as well, whatever the decoding says. */
static bool cpuid_at(const uint8_t *b, size_t n)
{
    return n >= 2 && b[0] == 0x0f && b[1] == 0xa2;
}

/* Is the decoded instruction one that runs natively without a fault but
 * answers differently from the guest's CPU? The table marks everything
 * raw mode must watch (F_SENS); of those, I/O, HLT, CLI/STI, INT n, INT3,
 * INTO, INT1, SYSCALL, SYSENTER, SYSEXIT and RDPMC fault or trap on the
 * host and reach the interpreter anyway, and PUSHF/POPF agree while the
 * guest's IOPL is 0 (a rule of engine.c). What is left: CPUID, RDTSC(P),
 * XGETBV, SGDT/SIDT/SLDT/STR/SMSW, LAR/LSL/VERR/VERW, segment register
 * reads, loads and far transfers (the host's GDT would answer). */
static bool silent_sensitive(const struct insn *i)
{
    /* The XSAVE family works on the state components XCR0 enables: the
     * host's XCR0 (AVX-512 here) is not the guest's, and glibc's lazy
     * binding saves registers with XSAVE(C) into a buffer sized from the
     * guest's CPUID. FSGSBASE is enabled on the host; guests lack it.
     * Whether or not rawbox's table has rows for them, they must not run
     * natively. */
    unsigned reg = (i->modrm >> 3) & 7;
    if (i->op == 0x1ae && i->mod != 3 && (reg == 4 || reg == 5 || reg == 6))
        return true;    /* XSAVE, XRSTOR, XSAVEOPT */
    if (i->op == 0x1c7 && i->mod != 3 && (reg == 3 || reg == 4 || reg == 5))
        return true;    /* XRSTORS, XSAVEC, XSAVES */
    if (i->op == 0x1ae && i->mod == 3 && reg <= 3 && i->mpfx == MPFX_F3)
        return true;    /* RDFSBASE, RDGSBASE, WRFSBASE, WRGSBASE */
    /* Invalid in this mode (LES/LDS/PUSH ES... in 64-bit code): #UD on
     * the host as well. */
    if (!(optable_rows[i->row].flags & F_SENS) || i->fn == op_ud)
        return false;
    switch (i->op) {
    case 0x6c: case 0x6d: case 0x6e: case 0x6f:         /* INS, OUTS */
    case 0xe4: case 0xe5: case 0xe6: case 0xe7:         /* IN, OUT */
    case 0xec: case 0xed: case 0xee: case 0xef:
    case 0xf4: case 0xfa: case 0xfb:                    /* HLT, CLI, STI */
    case 0xcc: case 0xcd: case 0xce: case 0xf1:         /* INT3, INT n, INTO, INT1 */
    case 0x9c: case 0x9d:                               /* PUSHF, POPF */
    case 0x105: case 0x133: case 0x134: case 0x135:     /* SYSCALL, RDPMC, SYSENTER, SYSEXIT */
        return false;
    default:
        return true;
    }
}

/* Bytes a ModRM byte at b and what follows it (SIB, displacement) take,
 * for 32- or 64-bit addressing. */
static unsigned modrm_len(const uint8_t *b, unsigned avail)
{
    if (avail < 1)
        return 1;
    unsigned mod = b[0] >> 6, rm = b[0] & 7, n = 1;
    if (mod == 3)
        return n;
    if (rm == 4) {
        n++;
        if (avail >= 2 && mod == 0 && (b[1] & 7) == 5)
            n += 4;
    } else if (mod == 0 && rm == 5) {
        n += 4;
    }
    return n + (mod == 1 ? 1 : mod == 2 ? 4 : 0);
}

/* Length of a VEX (C4/C5) or EVEX (62) encoded instruction at b, or 0.
 * rawbox decodes neither (its CPU models have no AVX), but glibc carries
 * AVX2 and AVX-512 variants next to the code it runs, and decoding their
 * bytes as legacy opcodes would fall out of step. */
static unsigned vex_len(const uint8_t *b, unsigned avail, unsigned cs)
{
    unsigned p = 0;
    while (p < 4 && p < avail && (b[p] == 0x26 || b[p] == 0x2e || b[p] == 0x36 ||
                                  b[p] == 0x3e || b[p] == 0x64 || b[p] == 0x65 || b[p] == 0x67))
        p++;
    if (p + 2 > avail || (b[p] != 0xc4 && b[p] != 0xc5 && b[p] != 0x62))
        return 0;
    if (cs != 8 && (b[p + 1] & 0xc0) != 0xc0)
        return 0;           /* LES, LDS, BOUND outside 64-bit mode */
    unsigned map, pay = b[p] == 0xc5 ? 1 : b[p] == 0xc4 ? 2 : 3;
    if (p + 1 + pay + 1 >= avail)
        return 0;
    map = b[p] == 0xc5 ? 1 : (b[p + 1] & (b[p] == 0x62 ? 0x07 : 0x1f));
    unsigned op = b[p + 1 + pay], n = p + 1 + pay + 1;
    if (map == 1 && b[p] == 0xc5 && op == 0x77)
        return n;           /* VZEROUPPER / VZEROALL: no ModRM */
    n += modrm_len(b + n, avail - n);
    bool imm = map == 3 || (map == 1 && ((op >= 0x70 && op <= 0x73) || op == 0xc2 ||
                                         op == 0xc4 || op == 0xc5 || op == 0xc6));
    return n + (imm ? 1 : 0);
}

/* Decode buf (len bytes) from byte `from` on the way a CPU entering
 * there would; true if an instruction that ends after byte `page` (the
 * page's first) is sensitive. */
static bool sweep(const uint8_t *buf, unsigned len, unsigned from, unsigned page,
                  unsigned code_size)
{
    struct insn in;
    for (unsigned o = from; o < len; ) {
        unsigned v = vex_len(buf + o, len - o, code_size);
        if (v) {
            o += v;
            continue;
        }
        int n = decode_bytes(buf + o, len - o, code_size, &in);
        if (n <= 0) {
            o++;
            continue;
        }
        if (o + (unsigned)n > page && o < len - 15 && silent_sensitive(&in))
            return true;
        o += (unsigned)n;
    }
    return false;
}

#define SCAN_LEAD 64    /* bytes of the page before decoded to fall into step */
#define STEP_TRIES 16   /* starting offsets tried when that page is unknown */

/* Where decoding of a page whose predecessor cannot be read falls into
 * step: the first offset that most of the decodings started at offsets
 * 0..15 reach as an instruction start (0 if none within 64 bytes). An
 * instruction that straddles the page's start is then skipped rather than
 * misread (CPUID's bytes are still looked for). */
static unsigned in_step(const uint8_t *p, unsigned len, unsigned cs)
{
    uint8_t votes[SCAN_LEAD + 16] = { 0 };
    for (unsigned s = 0; s < STEP_TRIES; s++) {
        struct insn in;
        for (unsigned o = s; o < SCAN_LEAD; ) {
            votes[o]++;
            unsigned v = vex_len(p + o, len - o, cs);
            int n = v ? (int)v : decode_bytes(p + o, len - o, cs, &in);
            o += n > 0 ? (unsigned)n : 1;
        }
    }
    for (unsigned o = 0; o < SCAN_LEAD; o++)
        if (votes[o] >= STEP_TRIES * 3 / 4)
            return o;
    return 0;
}

/* Does the page at `lin` (contents p) hold a sensitive instruction? It is
 * decoded the way a CPU would run it, starting 64 bytes into the page
 * before (x86 code falls into step within a few instructions, so the
 * decoding is in step by the page's first byte and instructions that run
 * over the edge are seen), and CPUID's bytes are looked for everywhere.
 * Code that overlaps itself on purpose can hide other instructions from
 * the decoding (docs/raw-mode.md). */
static bool scan_sensitive(struct cpu *cpu, uint64_t lin, const uint8_t *p)
{
    const uint8_t *q = p, *end = p + PAGE_SIZE;
    while ((q = memchr(q, 0x0f, (size_t)(end - q))) != NULL) {
        if (cpuid_at(q, (size_t)(end - q)))
            return true;
        q++;
    }
    /* The page, SCAN_LEAD bytes before it and 15 after (0xf4, HLT, where a
     * neighbour cannot be read: it ends any decode running into it). */
    uint8_t buf[SCAN_LEAD + PAGE_SIZE + 15];
    unsigned from = 0;
    for (unsigned k = 0; k < SCAN_LEAD; k++) {
        uint64_t a = lin - SCAN_LEAD + k;
        if (lin < SCAN_LEAD || !raw_guest_byte(cpu, a, &buf[k])) {
            buf[k] = 0xf4;
            from = k + 1;
        }
    }
    for (unsigned k = 0; k < 15; k++)
        if (!raw_guest_byte(cpu, lin + PAGE_SIZE + k, &buf[SCAN_LEAD + PAGE_SIZE + k]))
            buf[SCAN_LEAD + PAGE_SIZE + k] = 0xf4;
    memcpy(buf + SCAN_LEAD, p, PAGE_SIZE);
    if (cpuid_at(buf + SCAN_LEAD - 1, 2) || cpuid_at(buf + SCAN_LEAD + PAGE_SIZE - 1, 2))
        return true;
    unsigned cs = cpu->s.mode == MODE_LONG64 ? 8 : 4;
    if (from > SCAN_LEAD - 16)
        from = SCAN_LEAD + in_step(buf + SCAN_LEAD, PAGE_SIZE, cs);
    return sweep(buf, (unsigned)sizeof buf, from, SCAN_LEAD, cs);
}

/* Queue the unmapping of [lin, lin+len) in space `s`, merged into the op
 * queued last when the two touch (a table torn down entry by entry); a
 * range over the helper's region, or a full queue, drops everything the
 * space maps instead. */
static void unmap_range(struct raw_vcpu *rv, struct raw_space *s, uint64_t lin, uint64_t len)
{
    if (!s->started || s->drop_all || lin >= HOST_USER_TOP)
        return;
    uint64_t end = lin + len;
    if (end > HOST_USER_TOP || end < lin)
        end = HOST_USER_TOP;
    if (end > raw_region_base && lin < raw_region_base + RAW_REGION_SIZE) {
        raw_shadow_drop_space(rv, s);   /* never unmap the region itself */
        return;
    }
    struct raw_op *last = raw_helper_last_op(&s->h);
    if (last && last->kind == RAW_OP_MUNMAP && lin <= last->addr + last->len && end >= last->addr) {
        uint64_t lo = lin < last->addr ? lin : last->addr;
        uint64_t hi = end > last->addr + last->len ? end : last->addr + last->len;
        last->addr = lo;
        last->len = hi - lo;
        return;
    }
    struct raw_op op = { RAW_OP_MUNMAP, 0, lin, end - lin, 0 };
    if (s->h.nops + 1 >= RAW_OPS_MAX || !raw_helper_queue(&s->h, &op))
        raw_shadow_drop_space(rv, s);
}

static void drop_every_space(struct raw_vcpu *rv)
{
    for (unsigned k = 0; k < RAW_SPACES; k++)
        raw_shadow_drop_space(rv, &rv->sp[k]);
}

/* Forget where a page is mapped `kind` (x or w) other than at `lin` in
 * space `s` (NULL: anywhere): unmap that alias, or everything everywhere
 * if there were several. False when the current space lost its mappings
 * on the way (the fill under way is void). */
static bool drop_alias(struct raw_vcpu *rv, uint64_t *alin, uint32_t agen, uint8_t asp,
                       uint8_t *multi, const struct raw_space *s, uint64_t lin)
{
    struct raw_space *o = &rv->sp[asp];
    bool live = *alin && o->started && agen == o->gen;
    if (*multi) {
        drop_every_space(rv);
    } else if (live && (o != s || *alin != lin)) {
        unmap_range(rv, o, *alin, PAGE_SIZE);
    }
    *alin = 0;
    *multi = 0;
    return !rv->cur || !rv->cur->drop_all;
}

static void note_alias(struct raw_vcpu *rv, uint64_t *alin, uint32_t *agen, uint8_t *asp,
                       uint8_t *multi, const struct raw_space *s, uint64_t lin)
{
    const struct raw_space *o = &rv->sp[*asp];
    if (*alin && o->started && *agen == o->gen && (o != s || *alin != lin))
        *multi = 1;
    *alin = lin;
    *agen = s->gen;
    *asp = s->idx;
}

/* Watch the tables the walk of `lin` read: a write to any entry on the
 * way then drops what space `s` mapped through that entry. Native code
 * never writes a watched table (page_prot), so the interpreter sees every
 * change to the translations the shadow holds, and CR3 writes and INVLPG
 * need not drop anything. */
static bool watch_tables(struct cpu *cpu, struct raw_vcpu *rv, struct raw_space *s, uint64_t lin,
                         const struct walk *w)
{
    bool four = cpu->s.efer & EFER_LMA, pae = cpu->s.cr4 & CR4_PAE;
    unsigned esize = four || pae ? 8 : 4, bits = four || pae ? 9 : 10;
    unsigned shift = four ? 39 : pae ? 21 : 22;
    uint8_t bit = (uint8_t)(1u << s->idx);
    for (unsigned k = 0; k < w->nentry; k++, shift -= bits) {
        uint64_t pa = physmem_a20(cpu->mem, w->entry[k]) & PAGE_MASK;
        int64_t off = ram_offset(cpu, pa);
        if (off < 0 || (uint64_t)off >> PAGE_SHIFT >= rv->npages)
            return false;       /* tables in ROM: nothing to watch, nothing shadowed */
        uint32_t idx = (uint32_t)(off >> PAGE_SHIFT);
        struct raw_page *t = &rv->pages[idx];
        uint64_t base = lin & ~((1ull << (shift + bits)) - 1);
        if (!t->pt_spaces) {
            t->pt_lin = base;
            t->pt_shift = (uint8_t)shift;
            t->pt_esize = (uint8_t)esize;
            t->pt_mixed = 0;
        } else if (t->pt_lin != base || t->pt_shift != shift || t->pt_esize != esize) {
            t->pt_mixed = 1;
        }
        if (t->pt_spaces & bit)
            continue;
        if (s->ntables == s->cap_tables) {
            uint32_t cap = s->cap_tables ? s->cap_tables * 2 : 64;
            uint32_t *n = realloc(s->tables, cap * sizeof *n);
            if (!n)
                return false;
            s->tables = n;
            s->cap_tables = cap;
        }
        /* A table native code could write: not any more. */
        if (!drop_alias(rv, &t->wlin, t->wgen, t->wsp, &t->wmulti, NULL, 0))
            return false;
        s->tables[s->ntables++] = idx;
        t->pt_spaces |= bit;
        rv->st.tables++;
        if (physmem_mark(cpu->mem, pa, PHYSMEM_MARK_RAW))
            tlb_drop_write_phys(cpu, pa);
    }
    return true;
}

/* How native code may use the page at `lin` for access `acc`, as the guest
 * would: user, accessed, RAM; writable only once dirty and never if it is
 * a watched table; executable only when scanned clean, and never writable
 * and executable at once (so a native write cannot slip a sensitive
 * instruction past the scan). The page's aliases are updated for the
 * mapping the caller then makes in the current space. */
static bool page_prot(struct cpu *cpu, struct raw_vcpu *rv, uint64_t lin, int acc,
                      int *prot, int64_t *off)
{
    struct raw_space *s = rv->cur;
    struct walk w;
    if (!paging_walk(cpu, lin, acc, 1, false, &w) || !w.accessed)
        return false;
    bool can_w = w.perm & (1u << ACC_WRITE), can_x = w.perm & (1u << ACC_EXEC);
    if (acc == ACC_WRITE && !can_w)
        return false;           /* D clear: the interpreter sets it */
    *off = ram_offset(cpu, w.paddr);
    if (*off < 0 || (uint64_t)*off >> PAGE_SHIFT >= rv->npages ||
        lin < rv->min_addr || raw_in_region(lin) || lin >= HOST_USER_TOP) {
        /* A page the guest may use but the helper cannot map (ROM, MMIO,
         * below the host's mmap_min_addr): its code runs here a while. */
        rv->interp_hint = true;
        return false;
    }
    /* Before the page's own table check: a page that is one of the tables
     * its own walk reads (a recursive entry) must not come out writable. */
    if (!watch_tables(cpu, rv, s, lin, &w))
        return false;
    struct raw_page *pg = &rv->pages[*off >> PAGE_SHIFT];
    bool want_w = acc == ACC_WRITE || (acc == ACC_READ && can_w);
    if (pg->pt_spaces) {
        if (acc == ACC_WRITE)
            return false;       /* the interpreter writes guest tables */
        want_w = false;
    }
    bool want_x = !want_w && can_x;
    uint8_t cs = cpu->s.mode == MODE_LONG64 ? 8 : 4;
    if (want_x && (pg->scan == RAW_SCAN_NONE || pg->scan_cs != cs)) {
        pg->scan_cs = cs;
        uint64_t pa = physmem_a20(cpu->mem, w.paddr) & PAGE_MASK;
        pg->scan = scan_sensitive(cpu, lin, cpu->mem->ram + *off) ? RAW_SCAN_SENS : RAW_SCAN_CLEAN;
        /* Interpreter writes to it now come to raw_shadow_code_write. */
        if (physmem_mark(cpu->mem, pa, PHYSMEM_MARK_RAW))
            tlb_drop_write_phys(cpu, pa);
        rv->st.scans++;
        rv->st.sens_pages += pg->scan == RAW_SCAN_SENS;
    }
    if (want_x && pg->scan == RAW_SCAN_SENS) {
        if (acc == ACC_EXEC) {
            rv->interp_hint = true;
            return false;
        }
        want_x = false;
    }
    if (want_x) {
        if (!drop_alias(rv, &pg->wlin, pg->wgen, pg->wsp, &pg->wmulti, s, lin))
            return false;
        note_alias(rv, &pg->xlin, &pg->xgen, &pg->xsp, &pg->xmulti, s, lin);
    } else if (want_w) {
        if (!drop_alias(rv, &pg->xlin, pg->xgen, pg->xsp, &pg->xmulti, s, lin))
            return false;
        note_alias(rv, &pg->wlin, &pg->wgen, &pg->wsp, &pg->wmulti, s, lin);
        pg->scan = RAW_SCAN_NONE;   /* native writes may change it */
    }
    *prot = PROT_READ | (want_w ? PROT_WRITE : 0) | (want_x ? PROT_EXEC : 0);
    return !s->drop_all;
}

static void queue_map(struct raw_space *s, uint64_t lin, uint64_t len, int prot, int64_t off)
{
    struct raw_op op = { RAW_OP_MMAP, (uint32_t)prot, lin, len, (uint64_t)off };
    raw_helper_queue(&s->h, &op);
}

uint64_t raw_space_key(const struct cpu *cpu)
{
    if (cpu->s.efer & EFER_LMA)
        return (cpu->s.cr3 & ~0xfffull) | 3;
    if (cpu->s.cr4 & CR4_PAE)
        return (cpu->s.cr3 & 0xffffffe0u) | 2;
    return (cpu->s.cr3 & 0xfffff000u) | 1;
}

bool raw_shadow_fill(struct cpu *cpu, struct raw_vcpu *rv, uint64_t lin, unsigned err)
{
    int acc = (err & PF_I) ? ACC_EXEC : (err & PF_W) ? ACC_WRITE : ACC_READ;
    int prot;
    int64_t off;
    struct raw_space *s = rv->cur;

    /* Only into the helper of the tables in force now. */
    if (!s || !s->started || s->key != raw_space_key(cpu))
        return false;
    if (cpu->s.mode != MODE_LONG64)
        lin = (uint32_t)lin;
    lin &= ~(uint64_t)(PAGE_SIZE - 1);
    /* Room for the drop, the window's maps and their alias unmaps (at
     * worst two per page). Pending drops go first: the aliases recorded
     * below belong to the generation after them. */
    if (s->h.nops + 2 * RAW_WINDOW + 2 > RAW_OPS_MAX)
        return false;
    if (s->mapped + RAW_WINDOW > RAW_MAP_CAP)
        raw_shadow_drop_space(rv, s);
    raw_shadow_sync(rv);
    if (!page_prot(cpu, rv, lin, acc, &prot, &off))
        return false;

    /* The window around the fault, merged into runs of pages contiguous
     * in both address and memfd offset with the same protection. */
    uint64_t lo = lin & ~(uint64_t)(RAW_WINDOW * PAGE_SIZE - 1);
    uint64_t run_lin = 0, run_len = 0;
    int64_t run_off = 0;
    int run_prot = 0;
    unsigned n = 0, ops = 0;
    for (uint64_t p = lo; p < lo + RAW_WINDOW * PAGE_SIZE; p += PAGE_SIZE) {
        int pr;
        int64_t o;
        if (p == lin) {
            pr = prot;
            o = off;
        } else if (!page_prot(cpu, rv, p, ACC_READ, &pr, &o)) {
            if (s->drop_all)
                return false;
            continue;
        }
        n++;
        if (run_len && p == run_lin + run_len && o == run_off + (int64_t)run_len &&
            pr == run_prot) {
            run_len += PAGE_SIZE;
            continue;
        }
        if (run_len) {
            queue_map(s, run_lin, run_len, run_prot, run_off);
            ops++;
        }
        run_lin = p;
        run_len = PAGE_SIZE;
        run_off = o;
        run_prot = pr;
    }
    if (run_len) {
        queue_map(s, run_lin, run_len, run_prot, run_off);
        ops++;
    }
    s->mapped += ops;
    rv->st.fills++;
    rv->st.fill_pages += n;
    return true;
}

void raw_shadow_drop_space(struct raw_vcpu *rv, struct raw_space *s)
{
    if (!s->started || s->drop_all)
        return;
    /* Queued maps and unmaps are moot now. Segment ops are only queued
     * just before a resume, never across a drop. */
    s->h.nops = 0;
    s->h.need_fd = false;
    s->drop_all = true;
    s->mapped = 0;
    s->gen++;
    uint8_t bit = (uint8_t)(1u << s->idx);
    for (uint32_t k = 0; k < s->ntables; k++) {
        struct raw_page *t = &rv->pages[s->tables[k]];
        t->pt_spaces &= (uint8_t)~bit;
        if (!t->pt_spaces) {
            t->pt_mixed = 0;
            if (t->scan == RAW_SCAN_NONE)
                physmem_unmark_ram(rv->cpu->mem, s->tables[k], PHYSMEM_MARK_RAW);
        }
    }
    s->ntables = 0;
    s->table_writes = 0;
    rv->st.drops_all++;
}

void raw_shadow_sync(struct raw_vcpu *rv)
{
    struct raw_space *s = rv->cur;
    if (!s || !s->drop_all)
        return;
    struct raw_op lo = { RAW_OP_MUNMAP, 0, 0, raw_region_base, 0 };
    struct raw_op hi = { RAW_OP_MUNMAP, 0, raw_region_base + RAW_REGION_SIZE,
                         HOST_USER_TOP - (raw_region_base + RAW_REGION_SIZE), 0 };
    raw_helper_queue(&s->h, &lo);
    raw_helper_queue(&s->h, &hi);
    s->drop_all = false;
}

void raw_shadow_flushed(void *opaque, uint64_t lin, int why)
{
    struct raw_vcpu *rv = opaque;
    (void)lin;
    /* INVLPG, CR3 writes and CR4.PGE toggles change no translation the
     * shadow holds: it drops what a table write changes as the write
     * happens (watch_tables). What changes how tables are read (paging
     * mode bits, A20, the physical map) voids every space. */
    if (rv->started && why == TLB_FLUSH_MAP)
        drop_every_space(rv);
}

/* A write of `len` bytes at offset `off` of watched table `t`: drop what
 * its entries there map in every space that filled through it. */
static void table_written(struct raw_vcpu *rv, struct raw_page *t, unsigned off, unsigned len)
{
    uint64_t first = off / t->pt_esize, last = (off + (len ? len : 1) - 1) / t->pt_esize;
    uint64_t lin = t->pt_lin + (first << t->pt_shift);
    uint64_t n = (last - first + 1) << t->pt_shift;
    uint8_t spaces = t->pt_spaces;
    bool mixed = t->pt_mixed;
    for (unsigned k = 0; k < RAW_SPACES; k++) {
        struct raw_space *sp = &rv->sp[k];
        if (!(spaces & (1u << k)))
            continue;
        rv->st.table_drops++;
        /* Many writes before native code runs there again: tables torn
         * down (a process exits, unmaps much). Emptying the helper costs
         * two munmaps and stops watching its tables, which may be reused
         * as ordinary pages now and would take the slow write path. */
        if (mixed || ++sp->table_writes > RAW_TABLE_WRITES_MAX)
            raw_shadow_drop_space(rv, sp);
        else
            unmap_range(rv, sp, lin, n);
    }
}

void raw_shadow_code_write(void *opaque, uint64_t paddr, unsigned len)
{
    struct raw_vcpu *rv = opaque;
    struct cpu *cpu = rv->cpu;
    int64_t off = ram_offset(cpu, paddr);
    if (off < 0 || (uint64_t)off >> PAGE_SHIFT >= rv->npages)
        return;
    struct raw_page *pg = &rv->pages[off >> PAGE_SHIFT];
    pg->scan = RAW_SCAN_NONE;
    if (rv->started) {
        drop_alias(rv, &pg->xlin, pg->xgen, pg->xsp, &pg->xmulti, NULL, 0);
        if (pg->pt_spaces)
            table_written(rv, pg, (unsigned)(paddr & (PAGE_SIZE - 1)), len);
    }
    if (!pg->pt_spaces)
        physmem_unmark_ram(cpu->mem, (uint64_t)off >> PAGE_SHIFT, PHYSMEM_MARK_RAW);
}

bool raw_shadow_rip_blocked(struct cpu *cpu, struct raw_vcpu *rv)
{
    struct walk w;
    uint64_t lin = cpu->s.mode == MODE_LONG64 ? cpu->s.rip : (uint32_t)cpu->s.rip;
    if (lin < rv->min_addr || raw_in_region(lin) || lin >= HOST_USER_TOP)
        return true;
    if (!paging_walk(cpu, lin, ACC_EXEC, 1, false, &w))
        return false;           /* the guest's #PF: native code finds it */
    int64_t off = ram_offset(cpu, w.paddr);
    if (off < 0 || (uint64_t)off >> PAGE_SHIFT >= rv->npages)
        return true;
    const struct raw_page *pg = &rv->pages[off >> PAGE_SHIFT];
    uint8_t cs = cpu->s.mode == MODE_LONG64 ? 8 : 4;
    return pg->scan == RAW_SCAN_SENS && pg->scan_cs == cs;
}

bool raw_guest_byte(struct cpu *cpu, uint64_t lin, uint8_t *out)
{
    struct walk w;
    if (cpu->s.mode != MODE_LONG64)
        lin = (uint32_t)lin;
    if (!paging_walk(cpu, lin, ACC_READ, 1, false, &w))
        return false;
    uint8_t *p = physmem_page(cpu->mem, physmem_a20(cpu->mem, w.paddr), NULL);
    if (!p)
        return false;
    *out = p[lin & (PAGE_SIZE - 1)];
    return true;
}

void raw_shadow_code_stale(struct cpu *cpu, uint64_t lin)
{
    /* An instruction may straddle two pages. */
    for (uint64_t a = lin; ; a = (lin | (PAGE_SIZE - 1)) + 1) {
        struct walk w;
        uint64_t l = cpu->s.mode == MODE_LONG64 ? a : (uint32_t)a;
        if (paging_walk(cpu, l, ACC_EXEC, 1, false, &w) && ram_offset(cpu, w.paddr) >= 0 &&
            cpu->dcache)
            dcache_code_write(cpu->dcache, physmem_a20(cpu->mem, w.paddr), 1);
        if (((lin + 15) ^ lin) < PAGE_SIZE || a != lin)
            break;
    }
}
