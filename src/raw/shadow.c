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
#include "cpu/mmu.h"
#include "cpu/paging.h"
#include "mem/physmem.h"
#include "raw/vcpu.h"

#define RAW_MAP_CAP     30000       /* pages; vm.max_map_count is 65530 */
#define RAW_WINDOW      16          /* pages filled around a fault */
#define HOST_USER_TOP   0x7ffffffff000ull  /* TASK_SIZE_MAX */

static bool in_region(uint64_t lin)
{
    return lin >= RAW_REGION_BASE && lin < RAW_REGION_BASE + RAW_REGION_SIZE;
}

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

/* Is there a sensitive instruction at b (n bytes readable)? CPUID (0F A2)
 * reports the host CPU, not the guest's model, and cannot be made to fault
 * on these hosts (no CPUID faulting); RDTSC (0F 31) and RDTSCP (0F 01 F9)
 * would read the host's TSC where the host ignores PR_SET_TSC (PVM). A
 * byte match is enough: a false one only costs speed. */
static bool sensitive_at(const uint8_t *b, size_t n)
{
    if (n < 2 || b[0] != 0x0f)
        return false;
    if (b[1] == 0xa2 || b[1] == 0x31)
        return true;
    return n >= 3 && b[1] == 0x01 && b[2] == 0xf9;
}

/* Does the page at `lin` (contents p) hold one, also across its edges? */
static bool scan_sensitive(struct cpu *cpu, uint64_t lin, const uint8_t *p)
{
    const uint8_t *q = p, *end = p + PAGE_SIZE;
    while ((q = memchr(q, 0x0f, (size_t)(end - q))) != NULL) {
        if (sensitive_at(q, (size_t)(end - q)))
            return true;
        q++;
    }
    /* An instruction that starts on the page before or runs onto the next:
     * look at the bytes around each edge. */
    uint8_t edge[4];
    for (int k = 0; k < 2; k++) {
        uint64_t a = k ? lin + PAGE_SIZE - 2 : lin - 2;
        if (!k && lin < 2)
            continue;
        bool ok = true;
        for (int i = 0; i < 4 && ok; i++) {
            uint64_t x = a + (uint64_t)i;
            if (x >= lin && x < lin + PAGE_SIZE)
                edge[i] = p[x - lin];
            else
                ok = raw_guest_byte(cpu, x, &edge[i]);
        }
        for (int i = 0; ok && i < 2; i++)
            if (sensitive_at(edge + i, (size_t)(4 - i)))
                return true;
    }
    return false;
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
        lin < rv->min_addr || in_region(lin) || lin >= HOST_USER_TOP) {
        /* A page the guest may use but the helper cannot map (ROM, MMIO,
         * below the host's mmap_min_addr): its code runs here a while. */
        rv->interp_hint = true;
        return false;
    }
    struct raw_page *pg = &rv->pages[*off >> PAGE_SHIFT];
    bool want_w = acc == ACC_WRITE || (acc == ACC_READ && can_w);
    bool want_x = !want_w && can_x;
    if (want_x && pg->scan == RAW_SCAN_NONE) {
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
    unsigned n = 0;
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
        if (run_len)
            queue_map(rv, run_lin, run_len, run_prot, run_off);
        run_lin = p;
        run_len = PAGE_SIZE;
        run_off = o;
        run_prot = pr;
    }
    if (run_len)
        queue_map(rv, run_lin, run_len, run_prot, run_off);
    rv->mapped += n;
    rv->st.fills++;
    rv->st.fill_pages += n;
    return true;
}

void raw_shadow_sync(struct raw_vcpu *rv)
{
    if (!rv->drop_all)
        return;
    struct raw_op lo = { RAW_OP_MUNMAP, 0, 0, RAW_REGION_BASE, 0 };
    struct raw_op hi = { RAW_OP_MUNMAP, 0, RAW_REGION_BASE + RAW_REGION_SIZE,
                         HOST_USER_TOP - (RAW_REGION_BASE + RAW_REGION_SIZE), 0 };
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
        if (in_region(base) || in_region(base + len - 1)) {
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
