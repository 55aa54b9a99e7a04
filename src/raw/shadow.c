/* The helper's shadow of guest user mappings: a software TLB made of host
 * mmaps of the guest RAM memfd at guest-linear addresses.
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
 * Dropped exactly where a TLB drops entries: the interpreter reports every
 * CR3 write, INVLPG and flush (cpu->tlb_flushed), and the guest kernel
 * always runs there. The number of mappings is bounded by dropping all of
 * them past RAW_MAP_CAP, far below the host's vm.max_map_count. */
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

/* Forget where a page is mapped `kind` (x or w) other than at `lin`:
 * unmap that alias, or everything if there were several. */
static bool drop_alias(struct raw_vcpu *rv, uint64_t *alin, uint32_t agen, uint8_t *multi,
                       uint64_t lin)
{
    if (agen == rv->gen && *alin && *alin != lin) {
        if (*multi || rv->h.nops + 1 >= RAW_OPS_MAX) {
            rv->drop_all = true;
            return false;
        }
        struct raw_op op = { RAW_OP_MUNMAP, 0, *alin, PAGE_SIZE, 0 };
        raw_helper_queue(&rv->h, &op);
    }
    *alin = 0;
    *multi = 0;
    return true;
}

static void note_alias(struct raw_vcpu *rv, uint64_t *alin, uint32_t *agen, uint8_t *multi,
                       uint64_t lin)
{
    if (*agen == rv->gen && *alin && *alin != lin)
        *multi = 1;
    *alin = lin;
    *agen = rv->gen;
}

/* How native code may use the page at `lin` for access `acc`, as the guest
 * would: user, accessed, RAM; writable only once dirty; executable only
 * when scanned clean, and never writable and executable at once (so a
 * native write cannot slip a sensitive instruction past the scan). The
 * page's aliases are updated for the mapping the caller then makes. */
static bool page_prot(struct cpu *cpu, struct raw_vcpu *rv, uint64_t lin, int acc,
                      int *prot, int64_t *off, bool *large)
{
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
    struct raw_page *pg = &rv->pages[*off >> PAGE_SHIFT];
    bool want_w = acc == ACC_WRITE || (acc == ACC_READ && can_w);
    bool want_x = !want_w && can_x;
    uint8_t cs = cpu->s.mode == MODE_LONG64 ? 8 : 4;
    if (want_x && (pg->scan == RAW_SCAN_NONE || pg->scan_cs != cs)) {
        pg->scan_cs = cs;
        uint64_t pa = physmem_a20(cpu->mem, w.paddr) & PAGE_MASK;
        pg->scan = scan_sensitive(cpu, lin, cpu->mem->ram + *off) ? RAW_SCAN_SENS : RAW_SCAN_CLEAN;
        /* Interpreter writes to it now come to raw_shadow_code_write. */
        physmem_mark_code(cpu->mem, pa);
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
        if (!drop_alias(rv, &pg->wlin, pg->wgen, &pg->wmulti, lin))
            return false;
        note_alias(rv, &pg->xlin, &pg->xgen, &pg->xmulti, lin);
    } else if (want_w) {
        if (!drop_alias(rv, &pg->xlin, pg->xgen, &pg->xmulti, lin))
            return false;
        note_alias(rv, &pg->wlin, &pg->wgen, &pg->wmulti, lin);
        pg->scan = RAW_SCAN_NONE;   /* native writes may change it */
    }
    *prot = PROT_READ | (want_w ? PROT_WRITE : 0) | (want_x ? PROT_EXEC : 0);
    *large = w.large;
    return true;
}

static void queue_map(struct raw_vcpu *rv, uint64_t lin, uint64_t len, int prot, int64_t off)
{
    struct raw_op op = { RAW_OP_MMAP, (uint32_t)prot, lin, len, (uint64_t)off };
    raw_helper_queue(&rv->h, &op);
}

bool raw_shadow_fill(struct cpu *cpu, struct raw_vcpu *rv, uint64_t lin, unsigned err)
{
    int acc = (err & PF_I) ? ACC_EXEC : (err & PF_W) ? ACC_WRITE : ACC_READ;
    int prot;
    int64_t off;
    bool large;

    if (cpu->s.mode != MODE_LONG64)
        lin = (uint32_t)lin;
    lin &= ~(uint64_t)(PAGE_SIZE - 1);
    /* Room for the drop, the window's maps and their alias unmaps (at
     * worst two per page). Pending drops go first: the aliases recorded
     * below belong to the generation after them. */
    if (rv->h.nops + 2 * RAW_WINDOW + 2 > RAW_OPS_MAX)
        return false;
    if (rv->mapped + RAW_WINDOW > RAW_MAP_CAP)
        rv->drop_all = true;
    raw_shadow_sync(rv);
    if (!page_prot(cpu, rv, lin, acc, &prot, &off, &large))
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
        bool lg;
        if (p == lin) {
            pr = prot;
            o = off;
            lg = large;
        } else if (!page_prot(cpu, rv, p, ACC_READ, &pr, &o, &lg)) {
            if (rv->drop_all)
                return false;
            continue;
        }
        rv->has_large |= lg;
        n++;
        if (run_len && p == run_lin + run_len && o == run_off + (int64_t)run_len &&
            pr == run_prot) {
            run_len += PAGE_SIZE;
            continue;
        }
        if (run_len) {
            queue_map(rv, run_lin, run_len, run_prot, run_off);
            ops++;
        }
        run_lin = p;
        run_len = PAGE_SIZE;
        run_off = o;
        run_prot = pr;
    }
    if (run_len) {
        queue_map(rv, run_lin, run_len, run_prot, run_off);
        ops++;
    }
    rv->mapped += ops;
    rv->st.fills++;
    rv->st.fill_pages += n;
    return true;
}

void raw_shadow_sync(struct raw_vcpu *rv)
{
    if (!rv->drop_all)
        return;
    struct raw_op lo = { RAW_OP_MUNMAP, 0, 0, raw_region_base, 0 };
    struct raw_op hi = { RAW_OP_MUNMAP, 0, raw_region_base + RAW_REGION_SIZE,
                         HOST_USER_TOP - (raw_region_base + RAW_REGION_SIZE), 0 };
    raw_helper_queue(&rv->h, &lo);
    raw_helper_queue(&rv->h, &hi);
    rv->drop_all = false;
    rv->has_large = false;
    rv->mapped = 0;
    rv->gen++;
}

void raw_shadow_flushed(void *opaque, uint64_t lin, bool all)
{
    struct raw_vcpu *rv = opaque;
    if (!rv->started)
        return;
    if (!all && !rv->drop_all && rv->h.nops < RAW_OPS_MAX / 2) {
        /* INVLPG: the page, or the whole 4 MiB around it if a large guest
         * page may have been shadowed there. */
        uint64_t len = rv->has_large ? 0x400000 : PAGE_SIZE;
        uint64_t base = lin & ~(len - 1);
        if (base >= HOST_USER_TOP)
            return;
        struct raw_op op = { RAW_OP_MUNMAP, 0, base, len, 0 };
        if (raw_in_region(base) || raw_in_region(base + len - 1)) {
            rv->drop_all = true;        /* never unmap the region itself */
        } else {
            raw_helper_queue(&rv->h, &op);
            rv->st.drops_page++;
        }
        return;
    }
    if (!rv->drop_all) {
        rv->st.drops_all++;
        /* Queued maps and unmaps are moot now. Segment ops are only
         * queued just before a resume, never across a flush. */
        rv->h.nops = 0;
        rv->drop_all = true;
    }
}

void raw_shadow_code_write(void *opaque, uint64_t paddr)
{
    struct raw_vcpu *rv = opaque;
    struct cpu *cpu = rv->cpu;
    int64_t off = ram_offset(cpu, paddr);
    if (off < 0 || (uint64_t)off >> PAGE_SHIFT >= rv->npages)
        return;
    struct raw_page *pg = &rv->pages[off >> PAGE_SHIFT];
    pg->scan = RAW_SCAN_NONE;
    if (rv->started && !rv->drop_all)
        drop_alias(rv, &pg->xlin, pg->xgen, &pg->xmulti, 0);
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
            dcache_code_write(cpu->dcache, physmem_a20(cpu->mem, w.paddr));
        if (((lin + 15) ^ lin) < PAGE_SIZE || a != lin)
            break;
    }
}
