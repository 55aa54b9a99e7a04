/* Linux boot protocol loader: synthetic bzImage headers are loaded into a
 * buffer standing in for guest RAM; placement, boot_params fields, the GDT
 * and the entry registers are checked, then each malformed field's error,
 * then random corruptions (run under ASan: nothing may read past the file
 * or write past RAM). */
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "boot/linux.h"
#include "boot/loader.h"
#include "test.h"

#define RAM_SIZE (64u << 20)
#define SETUP_SECTS 4
#define PM_SIZE 8192

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

/* A minimal protocol 2.15 bzImage: 4 setup sectors, then PM_SIZE bytes. */
static uint8_t *make_bzimage(size_t *len)
{
    size_t n = (SETUP_SECTS + 1) * 512 + PM_SIZE;
    uint8_t *k = calloc(1, n);
    k[LH_SETUP_SECTS] = SETUP_SECTS;
    boot_put16(k + LH_BOOT_FLAG, 0xAA55);
    k[LH_JUMP] = 0xEB;
    k[LH_JUMP + 1] = 0x6A;                  /* header ends at 0x26C */
    boot_put32(k + LH_HEADER, LH_MAGIC);
    boot_put16(k + LH_VERSION, 0x020F);
    k[LH_LOADFLAGS] = LF_LOADED_HIGH;
    boot_put32(k + LH_CODE32_START, 0x100000);
    boot_put32(k + LH_INITRD_ADDR_MAX, 0x7FFFFFFF);
    boot_put32(k + LH_KERNEL_ALIGNMENT, 0x200000);
    k[LH_RELOCATABLE] = 1;
    boot_put32(k + LH_CMDLINE_SIZE, 2047);
    boot_put32(k + 0x258, 0x1000000);       /* pref_address: 16 MiB */
    boot_put32(k + LH_INIT_SIZE, 0x800000); /* 8 MiB to decompress */
    for (size_t i = (SETUP_SECTS + 1) * 512; i < n; i++)
        k[i] = (uint8_t)(i * 7 + 3);
    *len = n;
    return k;
}

static int load(uint8_t *k, size_t n, const uint8_t *rd, size_t rdn, const char *append,
                struct boot_entry *e, char *err)
{
    struct boot_blob kb = { k, n, "vmlinuz", NULL }, rb = { rd, rdn, "initrd.gz", NULL };
    err[0] = 0;
    reset_target();
    return linux_load(&tgt, &kb, rd ? &rb : NULL, append, e, err, BOOT_ERR_LEN);
}

static void test_good_load(void)
{
    size_t n;
    uint8_t *k = make_bzimage(&n);
    uint8_t rd[10000];
    for (size_t i = 0; i < sizeof rd; i++)
        rd[i] = (uint8_t)(i ^ 0x5a);
    struct boot_entry e;
    char err[BOOT_ERR_LEN];
    const char *cmd = "console=ttyS0 quiet";

    CHECK_EQ(load(k, n, rd, sizeof rd, cmd, &e, err), 0, "a valid 2.15 bzImage loads (%s)", err);
    CHECK(memcmp(ram + 0x100000, k + 2560, PM_SIZE) == 0,
          "the protected-mode kernel sits at 1 MiB, from byte (setup_sects+1)*512");
    CHECK_EQ(e.eip, 0x100000, "EIP is code32_start");
    CHECK(!e.kernel64 && !e.long_mode, "no XLF_KERNEL_64: a 32-bit kernel, 32-bit entry");
    boot_put16(k + LH_XLOADFLAGS, XLF_KERNEL_64);
    CHECK(load(k, n, rd, sizeof rd, cmd, &e, err) == 0 && e.kernel64 && !e.long_mode,
          "XLF_KERNEL_64: an x86-64 kernel (the board asks for long mode), still the 32-bit entry");
    boot_put16(k + LH_XLOADFLAGS, 0);
    CHECK_EQ(load(k, n, rd, sizeof rd, cmd, &e, err), 0, "reloads");
    CHECK_EQ(e.esi, LINUX_ZERO_PAGE_ADDR, "ESI points at boot_params");
    CHECK(e.ebx == 0 && e.edi == 0 && e.ebp == 0, "EBX, EDI and EBP are zero");
    CHECK(e.cs == 0x10 && e.ds == 0x18, "CS is __BOOT_CS 0x10 and data is __BOOT_DS 0x18");
    CHECK(e.gdt_base == LINUX_GDT_ADDR && e.gdt_limit == 31, "GDTR covers four descriptors");
    const uint8_t *g = ram + LINUX_GDT_ADDR;
    CHECK(boot_get32(g + 16) == 0xFFFF && boot_get32(g + 20) == 0x00CF9B00,
          "GDT 0x10 is flat 4 GiB execute/read 32-bit code");
    CHECK(boot_get32(g + 24) == 0xFFFF && boot_get32(g + 28) == 0x00CF9300,
          "GDT 0x18 is flat 4 GiB read/write data");

    const uint8_t *zp = ram + LINUX_ZERO_PAGE_ADDR;
    CHECK_EQ(zp[LH_TYPE_OF_LOADER], 0xFF, "type_of_loader is 0xFF (undefined loader)");
    CHECK_EQ(zp[LH_LOADFLAGS], LF_LOADED_HIGH | LF_CAN_USE_HEAP, "loadflags: LOADED_HIGH kept, CAN_USE_HEAP set");
    CHECK_EQ(boot_get16(zp + LH_HEAP_END_PTR), 0xFE00, "heap_end_ptr is set");
    CHECK_EQ(boot_get32(zp + LH_CMD_LINE_PTR), LINUX_CMDLINE_ADDR, "cmd_line_ptr");
    CHECK_STR((const char *)ram + LINUX_CMDLINE_ADDR, cmd, "the command line is in guest RAM");
    CHECK_EQ(boot_get32(zp + LH_HEADER), LH_MAGIC, "the setup header is copied to boot_params");
    CHECK_EQ(boot_get16(zp + LH_VERSION), 0x020F, "hdr.version copied");
    CHECK_EQ(boot_get32(zp + LH_INIT_SIZE), 0x800000, "hdr.init_size copied");
    CHECK_EQ(zp[0x26C], 0, "nothing past the header's end is copied");
    CHECK_EQ(zp[BP_SENTINEL], 0, "sentinel is zero");
    CHECK_EQ(zp[0x000], 0, "screen_info stays empty without VGA");
    CHECK_EQ(boot_get32(zp + LH_CODE32_START), 0x100000, "hdr.code32_start is the load address");

    uint32_t rd_at = boot_get32(zp + LH_RAMDISK_IMAGE);
    CHECK_EQ(boot_get32(zp + LH_RAMDISK_SIZE), sizeof rd, "ramdisk_size");
    CHECK_EQ(rd_at, (RAM_SIZE - sizeof rd) & ~0xfffu, "the initrd is at the top of RAM, page aligned");
    CHECK(memcmp(ram + rd_at, rd, sizeof rd) == 0, "the initrd bytes are in guest RAM");

    CHECK_EQ(zp[BP_E820_ENTRIES], 4, "four e820 entries");
    const uint8_t *t = zp + BP_E820_TABLE;
    CHECK(boot_get32(t) == 0 && boot_get32(t + 8) == 0x9FC00 && boot_get32(t + 16) == E820_RAM,
          "e820[0]: 0-0x9FC00 RAM");
    CHECK(boot_get32(t + 20) == 0x9FC00 && boot_get32(t + 36) == E820_RESERVED,
          "e820[1]: EBDA reserved");
    CHECK(boot_get32(t + 40) == 0xF0000 && boot_get32(t + 56) == E820_RESERVED,
          "e820[2]: BIOS area reserved");
    CHECK(boot_get32(t + 60) == 0x100000 && boot_get32(t + 68) == RAM_SIZE - 0x100000 &&
          boot_get32(t + 76) == E820_RAM, "e820[3]: 1 MiB to the end of RAM");
    CHECK_EQ(boot_get16(zp + BP_EXT_MEM_K), (RAM_SIZE - 0x100000) >> 10, "ext_mem_k is KiB above 1 MiB (below the 0xFFFF cap)");
    CHECK_EQ(boot_get32(zp + BP_ALT_MEM_K), (RAM_SIZE - 0x100000) >> 10, "alt_mem_k is KiB above 1 MiB");

    /* initrd_addr_max below the RAM top bounds the initrd. */
    boot_put32(k + LH_INITRD_ADDR_MAX, 0x1FFFFFF);
    CHECK_EQ(load(k, n, rd, sizeof rd, NULL, &e, err), 0, "loads with initrd_addr_max 32 MiB - 1");
    zp = ram + LINUX_ZERO_PAGE_ADDR;
    CHECK_EQ(boot_get32(zp + LH_RAMDISK_IMAGE), (0x2000000 - sizeof rd) & ~0xfffu,
             "the initrd ends below initrd_addr_max");
    CHECK_EQ(ram[LINUX_CMDLINE_ADDR], 0, "no --append gives an empty command line");

    /* setup_sects 0 means 4. */
    k[LH_SETUP_SECTS] = 0;
    CHECK_EQ(load(k, n, NULL, 0, NULL, &e, err), 0, "setup_sects 0 loads");
    CHECK(memcmp(ram + 0x100000, k + 2560, PM_SIZE) == 0, "setup_sects 0 is taken as 4");
    zp = ram + LINUX_ZERO_PAGE_ADDR;
    CHECK(boot_get32(zp + LH_RAMDISK_IMAGE) == 0 && boot_get32(zp + LH_RAMDISK_SIZE) == 0,
          "no initrd: ramdisk_image and ramdisk_size are zero");

    /* VGA text mode in screen_info when the board has VGA. */
    k[LH_SETUP_SECTS] = SETUP_SECTS;
    struct boot_blob kb = { k, n, "vmlinuz", NULL };
    reset_target();
    tgt.vga_text = true;
    CHECK_EQ(linux_load(&tgt, &kb, NULL, "", &e, err, sizeof err), 0, "loads with VGA");
    zp = ram + LINUX_ZERO_PAGE_ADDR;
    CHECK(zp[BP_ORIG_VIDEO_MODE] == 3 && zp[BP_ORIG_VIDEO_COLS] == 80 &&
          zp[BP_ORIG_VIDEO_LINES] == 25 && zp[BP_ORIG_VIDEO_ISVGA] == 1,
          "screen_info describes 80x25 VGA text");
    free(k);
}

/* Each malformed field gives an error that names it. */
static void expect_err(uint8_t *k, size_t n, const uint8_t *rd, size_t rdn, const char *append,
                       const char *field, const char *what)
{
    struct boot_entry e;
    char err[BOOT_ERR_LEN];
    int r = load(k, n, rd, rdn, append, &e, err);
    CHECK(r < 0 && strstr(err, field) != NULL, "%s: error names %s (%s)", what, field, err);
}

static void test_errors(void)
{
    size_t n;
    uint8_t *k, rd[4096] = { 0 };
    char longcmd[3000];
    memset(longcmd, 'x', sizeof longcmd - 1);
    longcmd[sizeof longcmd - 1] = 0;

    k = make_bzimage(&n);
    boot_put32(k + LH_HEADER, 0x12345678);
    expect_err(k, n, NULL, 0, NULL, "HdrS", "no HdrS signature");
    free(k);

    k = make_bzimage(&n);
    boot_put16(k + LH_BOOT_FLAG, 0x1234);
    expect_err(k, n, NULL, 0, NULL, "boot_flag", "bad boot_flag");
    free(k);

    k = make_bzimage(&n);
    boot_put16(k + LH_VERSION, 0x0205);
    expect_err(k, n, NULL, 0, NULL, "version", "protocol 2.05");
    free(k);

    k = make_bzimage(&n);
    k[LH_SETUP_SECTS] = 200;
    expect_err(k, n, NULL, 0, NULL, "setup_sects", "setup sectors beyond the file");
    free(k);

    k = make_bzimage(&n);
    k[LH_LOADFLAGS] = 0;
    expect_err(k, n, NULL, 0, NULL, "loadflags", "zImage (LOADED_HIGH clear)");
    free(k);

    k = make_bzimage(&n);
    boot_put32(k + LH_KERNEL_ALIGNMENT, 0x3000);
    expect_err(k, n, NULL, 0, NULL, "kernel_alignment", "alignment not a power of two");
    free(k);

    k = make_bzimage(&n);
    boot_put32(k + LH_CODE32_START, 0x1234);
    expect_err(k, n, NULL, 0, NULL, "code32_start", "code32_start below 1 MiB");
    free(k);

    k = make_bzimage(&n);
    boot_put32(k + LH_CODE32_START, 0x7FFF000);
    expect_err(k, n, NULL, 0, NULL, "code32_start", "kernel beyond RAM");
    free(k);

    k = make_bzimage(&n);
    expect_err(k, n, NULL, 0, longcmd, "cmdline_size", "command line longer than cmdline_size");
    free(k);

    k = make_bzimage(&n);
    boot_put32(k + LH_INIT_SIZE, 0x7000000);
    expect_err(k, n, NULL, 0, NULL, "init_size", "init_size larger than RAM");
    free(k);

    k = make_bzimage(&n);
    boot_put32(k + LH_INITRD_ADDR_MAX, 0x1800000);  /* below the kernel's end at 24 MiB */
    expect_err(k, n, rd, sizeof rd, NULL, "initrd_addr_max", "no room for the initrd");
    free(k);

    k = make_bzimage(&n);
    k[LH_JUMP] = 0x90;
    expect_err(k, n, NULL, 0, NULL, "jump", "no short jump at 0x200");
    free(k);

    k = make_bzimage(&n);
    k[LH_JUMP + 1] = 0x30;
    expect_err(k, n, NULL, 0, NULL, "jump", "header too short for its version");
    free(k);

    k = make_bzimage(&n);
    expect_err(k, 0x210, NULL, 0, NULL, "setup_sects", "file cut inside the setup code");
    expect_err(k, 0x204, NULL, 0, NULL, "header", "file cut inside the header");
    free(k);
}

/* Random corruptions of a valid image: each must load or fail cleanly. */
static void test_fuzz(void)
{
    size_t n;
    uint8_t *base = make_bzimage(&n), *k = malloc(n);
    uint8_t rd[64] = { 1 };
    struct boot_entry e;
    char err[BOOT_ERR_LEN];
    unsigned seed = 12345, ok = 0, bad = 0, silent = 0;
    for (int it = 0; it < 3000; it++) {
        memcpy(k, base, n);
        int flips = 1 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 8;
        for (int f = 0; f < flips; f++) {
            seed = seed * 1103515245 + 12345;
            size_t at = 0x1F1 + (seed >> 8) % (0x290 - 0x1F1);
            seed = seed * 1103515245 + 12345;
            k[at] = (uint8_t)(seed >> 16);
        }
        seed = seed * 1103515245 + 12345;
        size_t len = (seed >> 16) % 4 == 0 ? (seed >> 4) % n : n;
        /* Copy to an exact-size buffer so ASan sees any over-read. */
        uint8_t *exact = malloc(len ? len : 1);
        memcpy(exact, k, len);
        int r = load(exact, len, rd, sizeof rd, "console=ttyS0", &e, err);
        free(exact);
        if (r == 0)
            ok++;
        else if (err[0])
            bad++;
        else
            silent++;
    }
    CHECK(ok > 0 && bad > 0, "fuzz: 3000 corrupted images load (%u) or fail with a message (%u)",
          ok, bad);
    CHECK_EQ(silent, 0, "fuzz: no failure without a message");
    free(k);
    free(base);
}

/* --kernel-unpack: the payload (a compressed ELF) is decompressed in
 * process (boot/unpack.c; every format is in unpack_test.c) and its
 * segments loaded at their physical addresses; EIP is the ELF entry. The
 * test payload is made with zlib (gzip) or liblzma (xz). */
static size_t compress_with(const char *tool, const uint8_t *in, size_t n, uint8_t *out,
                            size_t cap)
{
    if (strcmp(tool, "xz") == 0) {
        size_t pos = 0;
        return lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL, in, n, out, &pos, cap) ==
                       LZMA_OK ? pos : 0;
    }
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return 0;
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int r = deflate(&z, Z_FINISH);
    size_t len = cap - z.avail_out;
    deflateEnd(&z);
    return r == Z_STREAM_END ? len : 0;
}

static void test_unpack(const char *tool)
{
    uint8_t elf[0x400] = { 0 };
    memcpy(elf, "\x7f" "ELF\x01\x01\x01", 7);
    boot_put16(elf + 16, 2);
    boot_put16(elf + 18, 3);
    boot_put32(elf + 24, 0x1000000);        /* physical entry, as vmlinux has */
    boot_put32(elf + 28, 52);
    boot_put16(elf + 42, 32);
    boot_put16(elf + 44, 1);
    uint8_t *ph = elf + 52;
    boot_put32(ph, 1);
    boot_put32(ph + 4, 0x100);
    boot_put32(ph + 8, 0xC1000000);
    boot_put32(ph + 12, 0x1000000);
    boot_put32(ph + 16, 0x100);
    boot_put32(ph + 20, 0x300);
    for (int i = 0x100; i < 0x200; i++)
        elf[i] = (uint8_t)(i * 3 + 1);

    uint8_t z[4096];
    size_t zn = compress_with(tool, elf, 0x200, z, sizeof z - 4);
    if (!zn) {
        CHECK(0, "unpack (%s): the library compresses a test payload", tool);
        return;
    }
    boot_put32(z + zn, 0x200);              /* the kernel build's size trailer */
    zn += 4;

    size_t n;
    uint8_t *k = make_bzimage(&n);
    size_t setup = (SETUP_SECTS + 1) * 512;
    memcpy(k + setup + 0x80, z, zn);
    boot_put32(k + 0x248, 0x80);            /* payload_offset */
    boot_put32(k + 0x24c, (uint32_t)zn);    /* payload_length */
    struct boot_blob kb = { k, n, "vmlinuz", NULL };
    struct boot_entry e;
    char err[BOOT_ERR_LEN] = "";
    reset_target();
    tgt.linux_unpack = true;
    CHECK_EQ(linux_load(&tgt, &kb, NULL, "x", &e, err, sizeof err), 0, "unpack (%s): loads (%s)",
             tool, err);
    CHECK_EQ(e.eip, 0x1000000, "unpack (%s): EIP is the ELF entry, not code32_start", tool);
    CHECK(memcmp(ram + 0x1000000, elf + 0x100, 0x100) == 0,
          "unpack (%s): the segment is at its physical address", tool);
    CHECK(ram[0x1000100] == 0 && ram[0x10002ff] == 0, "unpack (%s): its BSS is zeroed", tool);
    CHECK_EQ(ram[0x100000], 0xAA, "unpack (%s): the compressed kernel is not copied to 1 MiB", tool);
    CHECK_EQ(e.esi, LINUX_ZERO_PAGE_ADDR, "unpack (%s): ESI still points at boot_params", tool);

    k[setup + 0x80] ^= 0xff;                /* no known compression magic */
    reset_target();
    tgt.linux_unpack = true;
    CHECK(linux_load(&tgt, &kb, NULL, "x", &e, err, sizeof err) < 0 && strstr(err, "payload"),
          "unpack (%s): an unknown payload format is refused (%s)", tool, err);
    k[setup + 0x80] ^= 0xff;
    boot_put32(k + 0x24c, 0x100000);
    reset_target();
    tgt.linux_unpack = true;
    CHECK(linux_load(&tgt, &kb, NULL, "x", &e, err, sizeof err) < 0 &&
          strstr(err, "payload_offset"), "unpack (%s): a payload past the file is refused (%s)",
          tool, err);
    free(k);
}

/* An x86-64 vmlinux (ELF64, EM_X86_64) is entered by the 64-bit boot
 * protocol: long_mode with CR3 at an identity map of 0-4 GiB in 2 MiB
 * pages, and GDT entry 0x10 a 64-bit code segment. */
static void test_unpack64(void)
{
    uint8_t elf[0x400] = { 0 };
    memcpy(elf, "\x7f" "ELF\x02\x01\x01", 7);
    boot_put16(elf + 16, 2);
    boot_put16(elf + 18, 62);
    boot_put64(elf + 24, 0x1000000);        /* phys_startup_64 */
    boot_put64(elf + 32, 64);
    boot_put16(elf + 54, 56);
    boot_put16(elf + 56, 1);
    uint8_t *ph = elf + 64;
    boot_put32(ph, 1);
    boot_put64(ph + 8, 0x100);
    boot_put64(ph + 16, 0xffffffff81000000ull);
    boot_put64(ph + 24, 0x1000000);
    boot_put64(ph + 32, 0x100);
    boot_put64(ph + 40, 0x300);
    for (int i = 0x100; i < 0x200; i++)
        elf[i] = (uint8_t)(i * 5 + 3);

    uint8_t z[4096];
    size_t zn = compress_with("gzip", elf, 0x200, z, sizeof z - 4);
    CHECK(zn > 0, "unpack64: zlib compresses the test payload");
    boot_put32(z + zn, 0x200);
    zn += 4;
    size_t n;
    uint8_t *k = make_bzimage(&n);
    size_t setup = (SETUP_SECTS + 1) * 512;
    memcpy(k + setup + 0x80, z, zn);
    boot_put32(k + 0x248, 0x80);
    boot_put32(k + 0x24c, (uint32_t)zn);
    struct boot_blob kb = { k, n, "vmlinuz", NULL };
    struct boot_entry e;
    char err[BOOT_ERR_LEN] = "";
    reset_target();
    tgt.linux_unpack = true;
    CHECK_EQ(linux_load(&tgt, &kb, NULL, "x", &e, err, sizeof err), 0, "unpack64: loads (%s)",
             err);
    CHECK(e.long_mode, "unpack64: entered in 64-bit mode");
    CHECK_EQ(e.eip, 0x1000000, "unpack64: RIP is the ELF64 entry");
    CHECK(memcmp(ram + 0x1000000, elf + 0x100, 0x100) == 0 && ram[0x10002ff] == 0,
          "unpack64: segment at its physical address, BSS zeroed");
    CHECK_EQ(e.esi, LINUX_ZERO_PAGE_ADDR, "unpack64: RSI points at boot_params");
    CHECK_EQ(boot_get32(ram + e.gdt_base + 20), 0x00AF9B00u, "unpack64: GDT 0x10 is 64-bit code");
    /* Walk the identity map for a few addresses: PML4[0] -> PDPT[i] -> PD[j] (PS). */
    static const uint64_t probe[] = { 0, 0x1000000, 0x7000, 0xfee00000ull, 0xffe00000ull };
    for (unsigned i = 0; i < sizeof probe / sizeof probe[0]; i++) {
        uint64_t a = probe[i];
        uint64_t pml4e = boot_get32(ram + e.cr3) | (uint64_t)boot_get32(ram + e.cr3 + 4) << 32;
        uint64_t pdpt = pml4e & ~0xfffull, pdpte = boot_get32(ram + pdpt + 8 * (a >> 30));
        uint64_t pd = pdpte & ~0xfffull, pde = boot_get32(ram + pd + 8 * ((a >> 21) & 511));
        CHECK((pml4e & 3) == 3 && (pdpte & 3) == 3 && (pde & 0x83) == 0x83 &&
              (pde & ~0x1fffffull) == (a & ~0x1fffffull),
              "unpack64: 0x%llx is identity-mapped, writable", (unsigned long long)a);
    }
    free(k);
}

int main(void)
{
    ram = malloc(RAM_SIZE);
    test_good_load();
    test_unpack("gzip");
    test_unpack("xz");
    test_unpack64();
    test_errors();
    test_fuzz();
    free(ram);
    return test_summary();
}
