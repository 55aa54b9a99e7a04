/* MTRRs as the kernel loader leaves them (boot_set_mtrrs in
 * src/vm/boot.c): enabled with fixed ranges, default UC, and write-back
 * variable ranges that cover exactly the RAM below 4 GiB, the way Linux's
 * mtrr_trim_uncached_memory() reads them (a gap would make it drop RAM). */
#include "test.h"
#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "mem/physmem.h"
#include "vm/boot.h"

static struct cpu cpu;

static uint64_t rd(uint32_t idx)
{
    uint64_t v = 0xdeadbeef;
    if (!msr_read(&cpu, idx, &v))
        return 0xbad;
    return v;
}

/* Bytes of [0, 4 GiB) the valid WB variable ranges cover, and whether
 * ranges overlap or are not power-of-two aligned. */
static uint64_t covered(bool *sane)
{
    uint64_t total = 0, bases[8], sizes[8];
    int n = 0;
    *sane = true;
    for (int i = 0; i < 8; i++) {
        uint64_t b = rd(0x200 + 2 * i), m = rd(0x201 + 2 * i);
        if (!(m & 0x800))
            continue;
        uint64_t size = (~(m & 0xffffff000ull) & 0xfffffffffull) + 1;
        uint64_t base = b & 0xffffff000ull;
        if ((b & 0xff) != 6 || (size & (size - 1)) || (base & (size - 1)))
            *sane = false;
        for (int j = 0; j < n; j++)
            if (base < bases[j] + sizes[j] && bases[j] < base + size)
                *sane = false;
        bases[n] = base;
        sizes[n++] = size;
        total += size;
    }
    return total;
}

static void check_ram(uint64_t ram, const char *name)
{
    bool sane;
    cpu_reset(&cpu);
    boot_set_mtrrs(&cpu, ram);
    uint64_t top = ram < (1ull << 32) ? ram : 1ull << 32;
    CHECK_EQ(rd(0x2ff), 0xc00, "%s: MTRRdefType enabled, fixed on, default UC", name);
    CHECK_EQ(covered(&sane), top, "%s: WB ranges cover exactly the RAM below 4 GiB", name);
    CHECK(sane, "%s: ranges aligned, write-back, disjoint", name);
}

int main(void)
{
    static struct physmem mem;
    if (physmem_init(&mem, 1u << 20) != 0 ||
        physmem_map_ram(&mem, 0, 1u << 20, 0, "ram") != 0) {
        printf("physmem setup failed\n0 passed, 1 failed\n");
        return 1;
    }
    cpu_init(&cpu, &mem, NULL);

    cpu_reset(&cpu);
    CHECK_EQ(rd(0x2ff), 0, "reset: MTRRs disabled (what Linux calls blank)");
    check_ram(256ull << 20, "256 MiB");
    CHECK_EQ(rd(0x250), 0x0606060606060606ull, "256 MiB: 0-512 KiB fixed WB");
    CHECK_EQ(rd(0x258), 0x0606060606060606ull, "256 MiB: 512-640 KiB fixed WB");
    CHECK_EQ(rd(0x259), 0, "256 MiB: VGA window fixed UC");
    CHECK_EQ(rd(0x26f), 0x0606060606060606ull, "256 MiB: 0xF8000-0xFFFFF fixed WB");
    check_ram(300ull << 20, "300 MiB");
    check_ram(3ull << 30 | 512ull << 20, "3.5 GiB");
    check_ram(6ull << 30, "6 GiB (only 4 GiB described)");
    check_ram(1ull << 20, "1 MiB");

    /* More than eight blocks: default WB, no variable range. */
    bool sane;
    cpu_reset(&cpu);
    boot_set_mtrrs(&cpu, (256ull << 20) + 0x1ff000);
    CHECK_EQ(rd(0x2ff), 0xc06, "odd size: default WB when 8 ranges cannot cover it");
    CHECK_EQ(covered(&sane), 0, "odd size: no variable range");

    cpu_free(&cpu);
    physmem_free(&mem);
    return test_summary();
}
