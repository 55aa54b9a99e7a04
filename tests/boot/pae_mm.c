/* pae_mm: a guest user program for tests/boot/linux_pae_boot.sh that makes
 * a PAE Linux kernel use the paging features the shell alone does not:
 * transparent huge pages (2 MiB PDEs in user space, their dirty bits, their
 * split into 4 KiB tables), copy-on-write after fork on both sides,
 * mprotect of one page inside a huge page, MADV_DONTNEED, munmap and
 * mremap (each followed by INVLPGs or CR3 flushes in the kernel) and
 * hugetlbfs pages with fork. Every step checks the data it wrote, and the
 * protection changes are checked by children that must die of SIGSEGV.
 *
 * Freestanding i386 code: no C library, system calls through int 0x80,
 * built by the boot test with `cc -m32 -ffreestanding -nostdlib -static`.
 * Prints "ok NAME" / "FAIL NAME" lines and finally "pae_mm: PASS" or
 * "pae_mm: FAIL"; exit status 0 when every check passed.
 */
typedef unsigned int u32;

static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
    long r;
    /* EBP is the sixth argument; it may be the frame pointer, so save it. */
    __asm__ volatile("push %%ebp\n\tmov %7, %%ebp\n\tint $0x80\n\tpop %%ebp"
                     : "=a"(r)
                     : "a"(n), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e), "g"(f)
                     : "memory");
    return r;
}
#define sys3(n, a, b, c) sys6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)

enum {
    NR_write = 4, NR_fork = 2, NR_waitpid = 7, NR_munmap = 91, NR_mprotect = 125,
    NR_mremap = 163, NR_mmap2 = 192, NR_madvise = 219, NR_exit_group = 252,
};
#define PROT_RW       3
#define PROT_READ     1
#define MAP_PRIVATE   0x02
#define MAP_ANON      0x20
#define MAP_HUGETLB   0x40000
#define MREMAP_MAYMOVE 1
#define MADV_DONTNEED 4
#define MADV_HUGEPAGE 14
#define SIGSEGV       11

#define MB (1u << 20)
#define PG 4096u

static u32 str_len(const char *s)
{
    u32 n = 0;
    while (s[n])
        n++;
    return n;
}

static void out(const char *s) { sys3(NR_write, 1, s, str_len(s)); }

static void out_hex(u32 v)
{
    char b[11] = "0x";
    for (int k = 0; k < 8; k++)
        b[2 + k] = "0123456789abcdef"[(v >> (28 - 4 * k)) & 15];
    b[10] = 0;
    out(b);
}

static _Noreturn void exit_group(int code)
{
    for (;;)
        sys3(NR_exit_group, code, 0, 0);
}

static int failures;

static void check(int ok, const char *name)
{
    out(ok ? "ok " : "FAIL ");
    out(name);
    out("\n");
    if (!ok)
        failures++;
}

static int is_err(const void *p) { return (u32)p > 0xfffff000u; }

static u32 *map_anon(u32 len, int flags)
{
    return (u32 *)sys6(NR_mmap2, 0, len, PROT_RW, MAP_PRIVATE | MAP_ANON | flags, -1, 0);
}

/* Test data: one word per 256 bytes, a function of a seed and of the
 * word's offset from `base` (so data that moves keeps its expected value). */
static const u32 *base;

static u32 pattern(u32 seed, u32 word) { return (word * 2654435761u) ^ seed; }

static void fill(u32 *p, u32 bytes, u32 seed)
{
    u32 o = (u32)(p - base);
    for (u32 i = 0; i < bytes / 4; i += 64)
        p[i] = pattern(seed, o + i);
}

static int intact(const u32 *p, u32 bytes, u32 seed)
{
    u32 o = (u32)(p - base);
    for (u32 i = 0; i < bytes / 4; i += 64)
        if (p[i] != pattern(seed, o + i))
            return 0;
    return 1;
}

/* Fork; the child runs fn(arg) and exits with its result. Returns the
 * child's wait status. */
static int run_child(int (*fn)(u32 *), u32 *arg)
{
    long pid = sys3(NR_fork, 0, 0, 0);
    if (pid == 0)
        exit_group(fn(arg));
    if (pid < 0) {
        check(0, "fork");
        return -1;
    }
    int status = -1;
    if (sys3(NR_waitpid, pid, &status, 0) != pid)
        return -1;
    return status;
}

#define SEED_A 0x11111111u
#define SEED_B 0x22222222u
#define SEED_C 0x5a5a1234u

static int child_cow(u32 *a)
{
    fill(a, 8 * MB, SEED_C);
    if (!intact(a, 8 * MB, SEED_C))
        return 3;
    return intact(a + 8 * MB / 4, 8 * MB, SEED_A) ? 0 : 4;
}

static int child_store(u32 *p)
{
    *(volatile u32 *)p = 1;
    return 5;                   /* reached only if the store did not fault */
}

static int child_load(u32 *p)
{
    return *(volatile u32 *)p == 0 ? 6 : 7;
}

static int child_hugetlb(u32 *h)
{
    fill(h, 2 * MB, SEED_C);
    return intact(h, 2 * MB, SEED_C) && intact(h + 2 * MB / 4, 2 * MB, SEED_A) ? 0 : 9;
}

static void round_once(void)
{
    /* Anonymous memory, 2 MiB aligned, huge pages asked for. */
    u32 *raw = map_anon(20 * MB, 0);
    if (is_err(raw)) {
        check(0, "mmap of 20 MiB");
        return;
    }
    u32 *a = (u32 *)(((u32)raw + 2 * MB - 1) & ~(2 * MB - 1));
    sys3(NR_madvise, a, 16 * MB, MADV_HUGEPAGE);
    base = a;
    fill(a, 16 * MB, SEED_A);
    check(intact(a, 16 * MB, SEED_A), "16 MiB of anonymous memory");

    check(run_child(child_cow, a) == 0, "child writes its copy-on-write half and reads the rest");
    check(intact(a, 16 * MB, SEED_A), "parent's memory unchanged by the child");
    fill(a, 4 * MB, SEED_B);
    check(intact(a, 4 * MB, SEED_B) && intact(a + 4 * MB / 4, 12 * MB, SEED_A),
          "parent's own copy-on-write stores");

    /* One read-only page inside a huge page: the kernel splits it. */
    u32 *mid = a + (3 * MB + 5 * PG) / 4;
    check(sys3(NR_mprotect, mid, PG, PROT_READ) == 0, "mprotect one page read-only");
    check((run_child(child_store, mid) & 0x7f) == SIGSEGV, "store to the read-only page faults");
    check(intact(a, 4 * MB, SEED_B), "data kept across the split");
    check(sys3(NR_mprotect, mid, PG, PROT_RW) == 0, "mprotect it writable again");
    *mid = 0xabcdef01;
    check(*(volatile u32 *)mid == 0xabcdef01, "store after the page is writable again");
    fill(mid, PG, SEED_B);

    u32 *z = a + 6 * MB / 4;
    check(sys3(NR_madvise, z, 2 * MB, MADV_DONTNEED) == 0, "MADV_DONTNEED on 2 MiB");
    u32 nonzero = 0;
    for (u32 i = 0; i < 2 * MB / 4; i += 256)
        nonzero += z[i] != 0;
    check(nonzero == 0, "dropped range reads as zeros");

    u32 *gone = a + 10 * MB / 4;
    check(sys3(NR_munmap, gone, 2 * MB, 0) == 0, "munmap 2 MiB");
    check((run_child(child_load, gone + 100) & 0x7f) == SIGSEGV, "load from the unmapped range faults");

    u32 *m = a + 12 * MB / 4;
    u32 *n = (u32 *)sys6(NR_mremap, (long)m, 4 * MB, 8 * MB, MREMAP_MAYMOVE, 0, 0);
    check(!is_err(n), "mremap 4 MiB to 8 MiB");
    if (!is_err(n)) {
        int moved = 1;
        for (u32 i = 0; i < 4 * MB / 4; i += 64)
            moved &= n[i] == pattern(SEED_A, 12 * MB / 4 + i);
        check(moved, "mremap moved the data");
        base = n;
        fill(n + 4 * MB / 4, 4 * MB, SEED_B);
        check(intact(n + 4 * MB / 4, 4 * MB, SEED_B), "grown part of the mapping");
        sys3(NR_munmap, n, 8 * MB, 0);
    }
    sys3(NR_munmap, raw, 20 * MB, 0);

    /* hugetlbfs pages (vm.nr_hugepages must be at least 2). */
    u32 *h = map_anon(4 * MB, MAP_HUGETLB);
    if (is_err(h)) {
        out("note: no hugetlb pages (mmap returned ");
        out_hex((u32)h);
        out("), hugetlb checks skipped\n");
        return;
    }
    base = h;
    fill(h, 4 * MB, SEED_A);
    check(intact(h, 4 * MB, SEED_A), "hugetlb pages hold data");
    check(run_child(child_hugetlb, h) == 0, "child's copy-on-write of hugetlb pages");
    check(intact(h, 4 * MB, SEED_A), "parent's hugetlb pages unchanged");
    sys3(NR_munmap, h, 4 * MB, 0);
}

__attribute__((used, noreturn)) static void pae_mm_main(void)
{
    for (int r = 1; r <= 2; r++) {
        out("round ");
        out_hex((u32)r);
        out("\n");
        round_once();
    }
    out(failures ? "pae_mm: FAIL\n" : "pae_mm: PASS\n");
    exit_group(failures ? 1 : 0);
}

/* The process entry: align the stack, never return. */
__asm__(".globl _start\n"
        "_start:\n"
        "\tandl $-16, %esp\n"
        "\tcall pae_mm_main\n");
