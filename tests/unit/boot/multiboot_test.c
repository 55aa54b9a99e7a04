/* Multiboot v1 loader: synthetic ELF32 and a.out-kludge kernels are built in
 * memory and loaded into a buffer standing in for guest RAM; segment
 * placement, BSS clearing, the entry point, the information structure
 * (memory, map, command line, modules, loader name) and every malformed
 * field's error are checked, then random corruptions under ASan. */
#include <stdlib.h>
#include <string.h>

#include "boot/loader.h"
#include "boot/multiboot.h"
#include "test.h"

#define RAM_SIZE (32u << 20)

static uint8_t *ram;
static struct boot_target tgt;

static void reset_target(void)
{
    memset(ram, 0xAA, RAM_SIZE);
    memset(&tgt, 0, sizeof tgt);
    tgt.ram = ram;
    tgt.ram_size = RAM_SIZE;
    boot_pc_map(&tgt, RAM_SIZE);
}

static void put_mb_header(uint8_t *at, uint32_t flags)
{
    boot_put32(at, MB_HEADER_MAGIC);
    boot_put32(at + 4, flags);
    boot_put32(at + 8, (uint32_t)-(MB_HEADER_MAGIC + flags));
}

/* ELF32: header, two program headers, a Multiboot header at 0x80, then
 * segment 0 (0x100 bytes at file 0x1000 -> paddr 1 MiB, memsz 0x300) and
 * segment 1 (0x200 bytes at file 0x2000 -> vaddr 0xC0200000, paddr 2 MiB)
 * holding the entry point. */
#define ELF_SIZE 0x2200
static uint8_t *make_elf(void)
{
    uint8_t *f = calloc(1, ELF_SIZE);
    memcpy(f, "\x7f" "ELF", 4);
    f[4] = 1; f[5] = 1; f[6] = 1;
    boot_put16(f + 16, 2);
    boot_put16(f + 18, 3);
    boot_put32(f + 20, 1);
    boot_put32(f + 24, 0xC0200010);         /* e_entry: virtual */
    boot_put32(f + 28, 52);                 /* e_phoff */
    boot_put16(f + 40, 52);
    boot_put16(f + 42, 32);
    boot_put16(f + 44, 2);
    uint8_t *ph = f + 52;
    boot_put32(ph, 1);
    boot_put32(ph + 4, 0x1000);
    boot_put32(ph + 8, 0x100000);
    boot_put32(ph + 12, 0x100000);
    boot_put32(ph + 16, 0x100);
    boot_put32(ph + 20, 0x300);
    ph += 32;
    boot_put32(ph, 1);
    boot_put32(ph + 4, 0x2000);
    boot_put32(ph + 8, 0xC0200000);
    boot_put32(ph + 12, 0x200000);
    boot_put32(ph + 16, 0x200);
    boot_put32(ph + 20, 0x200);
    put_mb_header(f + 0x80, MBH_PAGE_ALIGN | MBH_MEMORY_INFO);
    for (int i = 0x1000; i < ELF_SIZE; i++)
        f[i] = (uint8_t)(i * 13 + 1);
    return f;
}

static int load(const uint8_t *k, size_t n, const struct boot_blob *mods, int nmods,
                const char *append, struct boot_entry *e, char *err)
{
    struct boot_blob kb = { k, n, "kernel.elf", NULL };
    err[0] = 0;
    reset_target();
    return multiboot_load(&tgt, &kb, mods, nmods, append, e, err, BOOT_ERR_LEN);
}

static void test_elf(void)
{
    uint8_t *f = make_elf();
    struct boot_entry e;
    char err[BOOT_ERR_LEN];
    uint8_t m1[5000], m2[10];
    memset(m1, 0x11, sizeof m1);
    memset(m2, 0x22, sizeof m2);
    struct boot_blob mods[2] = { { m1, sizeof m1, "mod1.bin", "arg1 arg2" },
                                 { m2, sizeof m2, "mod2.bin", NULL } };

    CHECK_EQ(multiboot_find_header(f, ELF_SIZE, NULL), 0x80, "the header is found at 0x80");
    CHECK_EQ(boot_detect(f, ELF_SIZE, NULL), BOOT_MULTIBOOT, "detected as Multiboot");
    CHECK_EQ(load(f, ELF_SIZE, mods, 2, "console=ttyS0", &e, err), 0, "the ELF kernel loads (%s)", err);
    CHECK(memcmp(ram + 0x100000, f + 0x1000, 0x100) == 0, "segment 0 is at its p_paddr");
    uint8_t zero[0x200] = { 0 };
    CHECK(memcmp(ram + 0x100100, zero, 0x200) == 0, "segment 0's BSS (memsz > filesz) is zeroed");
    CHECK(memcmp(ram + 0x200000, f + 0x2000, 0x200) == 0, "segment 1 is at its p_paddr");
    CHECK_EQ(e.eip, 0x200010, "a virtual e_entry is translated through its segment");
    CHECK_EQ(e.eax, MB_BOOT_MAGIC, "EAX = 0x2BADB002");
    CHECK(e.cs == 0x10 && e.ds == 0x18 && e.gdt_limit == 31, "flat GDT selectors");
    CHECK(boot_get32(ram + e.gdt_base + 20) == 0x00CF9B00, "GDT code descriptor in guest RAM");

    uint32_t info = e.ebx;
    CHECK(e.esp > info && !(e.esp & 15) && boot_ram(&tgt, e.esp - 4096, 4096) != NULL,
          "ESP points at the top of 4 KiB of free RAM after the info block");
    CHECK(info >= 0x200200 && !(info & 0xfff), "the info block is page aligned above the image");
    const uint8_t *mbi = ram + info;
    uint32_t fl = boot_get32(mbi + MBI_FLAGS);
    CHECK_EQ(fl, MBI_MEMORY | MBI_CMDLINE | MBI_MODS | MBI_MMAP | MBI_LOADER_NAME,
             "info flags: memory, cmdline, mods, mmap, loader name");
    CHECK_EQ(boot_get32(mbi + MBI_MEM_LOWER), 639, "mem_lower is 639 KiB");
    CHECK_EQ(boot_get32(mbi + MBI_MEM_UPPER), (RAM_SIZE - 0x100000) >> 10, "mem_upper is KiB above 1 MiB");
    CHECK_STR((const char *)ram + boot_get32(mbi + MBI_CMDLINE_PTR), "kernel.elf console=ttyS0",
              "cmdline is the kernel name and --append");
    CHECK_STR((const char *)ram + boot_get32(mbi + MBI_LOADER_NAME_PTR), "rawbox", "boot_loader_name");

    CHECK_EQ(boot_get32(mbi + MBI_MMAP_LENGTH), 4 * 24, "mmap_length covers 4 entries");
    const uint8_t *mm = ram + boot_get32(mbi + MBI_MMAP_ADDR);
    CHECK(boot_get32(mm) == 20 && boot_get32(mm + 4) == 0 && boot_get32(mm + 12) == 0x9FC00 &&
          boot_get32(mm + 20) == 1, "mmap[0]: size 20, 0-0x9FC00 available");
    mm += 3 * 24;
    CHECK(boot_get32(mm + 4) == 0x100000 && boot_get32(mm + 12) == RAM_SIZE - 0x100000 &&
          boot_get32(mm + 20) == 1, "mmap[3]: 1 MiB to the end of RAM");

    CHECK_EQ(boot_get32(mbi + MBI_MODS_COUNT), 2, "mods_count");
    const uint8_t *ml = ram + boot_get32(mbi + MBI_MODS_ADDR);
    uint32_t s0 = boot_get32(ml), e0 = boot_get32(ml + 4), s1 = boot_get32(ml + 16);
    CHECK(s0 >= 0x200200 && !(s0 & 0xfff) && e0 == s0 + sizeof m1, "module 1 is page aligned after the image");
    CHECK(!(s1 & 0xfff) && s1 >= e0 && boot_get32(ml + 20) == s1 + sizeof m2, "module 2 follows, page aligned");
    CHECK(memcmp(ram + s0, m1, sizeof m1) == 0 && memcmp(ram + s1, m2, sizeof m2) == 0,
          "module bytes in guest RAM");
    CHECK_STR((const char *)ram + boot_get32(ml + 8), "mod1.bin arg1 arg2", "module 1 string has its args");
    CHECK_STR((const char *)ram + boot_get32(ml + 24), "mod2.bin", "module 2 string");
    CHECK(info >= boot_get32(ml + 20), "the info block lies after the modules");

    CHECK_EQ(load(f, ELF_SIZE, NULL, 0, NULL, &e, err), 0, "loads without modules or append");
    mbi = ram + e.ebx;
    CHECK_EQ(boot_get32(mbi + MBI_FLAGS) & MBI_MODS, 0, "no modules: MODS flag clear");
    CHECK_STR((const char *)ram + boot_get32(mbi + MBI_CMDLINE_PTR), "kernel.elf", "cmdline is the name alone");
    free(f);
}

/* a.out kludge: header at 0x40 of a flat 0x1000-byte image loaded at 1 MiB. */
static uint8_t *make_aout(uint32_t load_end, uint32_t bss_end)
{
    uint8_t *f = calloc(1, 0x1000);
    for (int i = 0; i < 0x1000; i++)
        f[i] = (uint8_t)(i * 5 + 9);
    put_mb_header(f + 0x40, MBH_AOUT_KLUDGE | MBH_MEMORY_INFO);
    boot_put32(f + 0x4C, 0x100040);
    boot_put32(f + 0x50, 0x100000);
    boot_put32(f + 0x54, load_end);
    boot_put32(f + 0x58, bss_end);
    boot_put32(f + 0x5C, 0x100060);
    return f;
}

static void test_aout(void)
{
    struct boot_entry e;
    char err[BOOT_ERR_LEN];
    uint8_t *f = make_aout(0, 0x102000);
    CHECK_EQ(load(f, 0x1000, NULL, 0, NULL, &e, err), 0, "an a.out kludge kernel loads (%s)", err);
    CHECK(memcmp(ram + 0x100000, f, 0x1000) == 0, "load_end_addr 0 loads the whole file at load_addr");
    uint8_t zero[0x1000] = { 0 };
    CHECK(memcmp(ram + 0x101000, zero, 0x1000) == 0, "up to bss_end_addr is zeroed");
    CHECK_EQ(e.eip, 0x100060, "EIP is entry_addr");
    CHECK(e.ebx >= 0x102000, "the info block lies above the BSS");
    free(f);

    f = make_aout(0x100800, 0);
    CHECK_EQ(load(f, 0x1000, NULL, 0, NULL, &e, err), 0, "load_end_addr limits the image");
    CHECK_EQ(ram[0x100800], 0xAA, "nothing is loaded past load_end_addr");
    free(f);
}

static void expect_err(const uint8_t *f, size_t n, const char *field, const char *what)
{
    struct boot_entry e;
    char err[BOOT_ERR_LEN];
    int r = load(f, n, NULL, 0, NULL, &e, err);
    CHECK(r < 0 && strstr(err, field) != NULL, "%s: error names %s (%s)", what, field, err);
}

static void test_errors(void)
{
    uint8_t *f;
    long bad;

    f = make_elf();
    boot_put32(f + 0x88, 0x1234);
    CHECK_EQ(boot_detect(f, ELF_SIZE, &bad), BOOT_UNKNOWN, "a bad checksum is no header");
    CHECK_EQ(bad, 0x80, "... but its offset is reported");
    expect_err(f, ELF_SIZE, "checksum", "bad checksum");
    free(f);

    f = make_elf();
    put_mb_header(f + 0x80, 0x8);
    expect_err(f, ELF_SIZE, "flags", "unknown required flag bit 3");
    free(f);

    f = make_elf();
    put_mb_header(f + 0x80, MBH_VIDEO_MODE);
    expect_err(f, ELF_SIZE, "flags", "graphics mode requested");
    free(f);

    f = make_elf();
    boot_put16(f + 18, 62);
    expect_err(f, ELF_SIZE, "e_machine", "x86-64 ELF");
    free(f);

    f = make_elf();
    f[4] = 2;
    expect_err(f, ELF_SIZE, "e_ident", "ELFCLASS64");
    free(f);

    f = make_elf();
    boot_put32(f + 28, 0xFFFFFFF0);
    expect_err(f, ELF_SIZE, "e_phoff", "program headers past the file");
    free(f);

    f = make_elf();
    boot_put32(f + 52 + 16, 0x5000);
    boot_put32(f + 52 + 20, 0x5000);
    expect_err(f, ELF_SIZE, "ELF segment 0", "segment bytes past the file");
    free(f);

    f = make_elf();
    boot_put32(f + 52 + 16, 0x400);
    expect_err(f, ELF_SIZE, "ELF segment 0", "filesz > memsz");
    free(f);

    f = make_elf();
    boot_put32(f + 52 + 12, 0xA0000);       /* VGA hole: not RAM */
    expect_err(f, ELF_SIZE, "not RAM", "segment outside RAM");
    free(f);

    f = make_elf();
    boot_put32(f + 84 + 12, 0x7FFFF000);
    expect_err(f, ELF_SIZE, "not RAM", "segment beyond the end of RAM");
    free(f);

    f = make_elf();
    boot_put16(f + 44, 0);
    expect_err(f, ELF_SIZE, "PT_LOAD", "no loadable segment");
    free(f);

    f = make_elf();
    memset(f, 0, 4);
    expect_err(f, ELF_SIZE, "not ELF", "neither ELF nor a.out kludge");
    free(f);

    f = make_aout(0, 0);
    boot_put32(f + 0x50, 0x100080);
    put_mb_header(f + 0x40, MBH_AOUT_KLUDGE);
    expect_err(f, 0x1000, "load_addr", "load_addr above header_addr");
    free(f);

    f = make_aout(0, 0);
    boot_put32(f + 0x4C, 0x100100);
    expect_err(f, 0x1000, "header_addr", "image would start before the file");
    free(f);

    f = make_aout(0x102000, 0);
    expect_err(f, 0x1000, "load_end_addr", "load_end_addr past the file");
    free(f);

    f = make_aout(0x100800, 0x100400);
    expect_err(f, 0x1000, "bss_end_addr", "bss_end_addr below the image end");
    free(f);

    f = make_aout(0, 0);
    boot_put32(f + 0x5C, 0xF0000000);
    expect_err(f, 0x1000, "entry_addr", "entry outside RAM");
    free(f);

    f = make_aout(0, 0);
    expect_err(f, 0x50, "header_addr", "address fields cut off by the file end");
    free(f);
}

static void test_fuzz(void)
{
    uint8_t *base = make_elf(), *f = malloc(ELF_SIZE);
    uint8_t m[100] = { 0 };
    struct boot_blob mods[1] = { { m, sizeof m, "m", "x" } };
    struct boot_entry e;
    char err[BOOT_ERR_LEN];
    unsigned seed = 777, ok = 0, bad = 0, silent = 0;
    for (int it = 0; it < 3000; it++) {
        memcpy(f, base, ELF_SIZE);
        if (it & 1) {   /* turn it into an a.out kludge image half the time */
            put_mb_header(f + 0x80, MBH_AOUT_KLUDGE);
            boot_put32(f + 0x8C, 0x100080);
            boot_put32(f + 0x90, 0x100000);
        }
        int flips = 1 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 6;
        for (int i = 0; i < flips; i++) {
            seed = seed * 1103515245 + 12345;
            size_t at = (seed >> 8) % 0xB0;     /* ELF header, phdrs, MB header */
            seed = seed * 1103515245 + 12345;
            f[at] = (uint8_t)(seed >> 16);
        }
        seed = seed * 1103515245 + 12345;
        size_t len = (seed >> 16) % 4 == 0 ? (seed >> 4) % ELF_SIZE : ELF_SIZE;
        uint8_t *exact = malloc(len ? len : 1);
        memcpy(exact, f, len);
        struct boot_blob kb = { exact, len, "k", NULL };
        err[0] = 0;
        reset_target();
        int r = boot_load_images(&tgt, &kb, mods, 1, "a", &e, err, sizeof err);
        free(exact);
        if (r == 0)
            ok++;
        else if (err[0])
            bad++;
        else
            silent++;
    }
    CHECK(ok > 0 && bad > 0, "fuzz: 3000 corrupted kernels load (%u) or fail with a message (%u)",
          ok, bad);
    CHECK_EQ(silent, 0, "fuzz: no failure without a message");
    free(f);
    free(base);
}

int main(void)
{
    ram = malloc(RAM_SIZE);
    test_elf();
    test_aout();
    test_errors();
    test_fuzz();
    free(ram);
    return test_summary();
}
