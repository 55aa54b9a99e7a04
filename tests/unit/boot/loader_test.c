/* Kernel loading front end: files on disk, format detection, the error for
 * a file that is neither format, --initrd lists (several Linux initrds
 * concatenated; Multiboot modules with arguments). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot/linux.h"
#include "boot/loader.h"
#include "boot/multiboot.h"
#include "test.h"

#define RAM_SIZE (32u << 20)

static uint8_t *ram;
static struct boot_target tgt;
static char dir[] = "/tmp/rawbox-loader-test-XXXXXX";

static void reset_target(void)
{
    memset(ram, 0, RAM_SIZE);
    memset(&tgt, 0, sizeof tgt);
    tgt.ram = ram;
    tgt.ram_size = RAM_SIZE;
    boot_pc_map(&tgt, RAM_SIZE);
}

static char *write_file(const char *name, const void *data, size_t n)
{
    static char paths[8][128];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, 128, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    fwrite(data, 1, n, f);
    fclose(f);
    return p;
}

static int load(const char *k, const char *initrd, const char *append, struct boot_entry *e,
                char *err)
{
    err[0] = 0;
    reset_target();
    return boot_load_files(&tgt, k, initrd, append, e, err, BOOT_ERR_LEN);
}

int main(void)
{
    struct boot_entry e;
    char err[BOOT_ERR_LEN], want[300];
    ram = malloc(RAM_SIZE);
    if (!mkdtemp(dir))
        return 1;

    /* Neither format. */
    uint8_t junk[9000];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (uint8_t)(i * 31);
    char *jp = write_file("junk.bin", junk, sizeof junk);
    CHECK_EQ(boot_detect(junk, sizeof junk, NULL), BOOT_UNKNOWN, "random bytes are no kernel");
    CHECK(load(jp, NULL, NULL, &e, err) < 0, "loading random bytes fails");
    snprintf(want, sizeof want, "%s: not a Linux bzImage or Multiboot kernel", jp);
    CHECK_STR(err, want, "the error says the file is neither format");
    char *ep = write_file("empty.bin", "", 0);
    CHECK(load(ep, NULL, NULL, &e, err) < 0 && strstr(err, "not a Linux bzImage"),
          "an empty file is neither format (%s)", err);

    /* A multiboot magic beyond 8 KiB does not count. */
    uint8_t far[12000] = { 0 };
    boot_put32(far + 8192, MB_HEADER_MAGIC);
    boot_put32(far + 8196, 0);
    boot_put32(far + 8200, (uint32_t)-MB_HEADER_MAGIC);
    CHECK_EQ(boot_detect(far, sizeof far, NULL), BOOT_UNKNOWN, "a header past the first 8 KiB is ignored");
    boot_put32(far + 8180, MB_HEADER_MAGIC);
    boot_put32(far + 8184, 0);
    boot_put32(far + 8188, (uint32_t)-MB_HEADER_MAGIC);
    CHECK_EQ(boot_detect(far, sizeof far, NULL), BOOT_MULTIBOOT, "a header ending at 8 KiB is found");
    boot_put32(far + 8182, MB_HEADER_MAGIC);
    CHECK_EQ(multiboot_find_header(far + 2, sizeof far - 2, NULL), -1,
             "only 4-byte aligned headers count");

    CHECK(load("/nonexistent/vmlinuz", NULL, NULL, &e, err) < 0 &&
          strstr(err, "/nonexistent/vmlinuz: cannot open"), "a missing file is named (%s)", err);

    /* Multiboot a.out kernel with a module list. */
    uint8_t mb[0x400];
    memset(mb, 0x90, sizeof mb);
    boot_put32(mb + 0x10, MB_HEADER_MAGIC);
    boot_put32(mb + 0x14, MBH_AOUT_KLUDGE);
    boot_put32(mb + 0x18, (uint32_t)-(MB_HEADER_MAGIC + MBH_AOUT_KLUDGE));
    boot_put32(mb + 0x1C, 0x100010);
    boot_put32(mb + 0x20, 0x100000);
    boot_put32(mb + 0x24, 0);
    boot_put32(mb + 0x28, 0);
    boot_put32(mb + 0x2C, 0x100000);
    char *mbp = write_file("mb.bin", mb, sizeof mb);
    char *m1 = write_file("m1", "first", 5);
    char *m2 = write_file("m2", "second!", 7);
    char list[400];
    snprintf(list, sizeof list, "%s  one two,%s", m1, m2);
    CHECK_EQ(load(mbp, list, "hello", &e, err), 0, "multiboot with two modules loads (%s)", err);
    const uint8_t *mbi = ram + e.ebx;
    CHECK_EQ(boot_get32(mbi + MBI_MODS_COUNT), 2, "two modules from a comma list");
    const uint8_t *ml = ram + boot_get32(mbi + MBI_MODS_ADDR);
    snprintf(want, sizeof want, "%s one two", m1);
    CHECK_STR((char *)ram + boot_get32(ml + 8), want, "module 1: path and arguments");
    CHECK_STR((char *)ram + boot_get32(ml + 24), m2, "module 2: path alone");
    CHECK(memcmp(ram + boot_get32(ml + 16), "second!", 7) == 0, "module 2 contents");
    snprintf(list, sizeof list, "%s,,%s", m1, m2);
    CHECK(load(mbp, list, NULL, &e, err) < 0 && strstr(err, "--initrd"),
          "an empty item in the list is an error (%s)", err);

    /* Linux with two initrds: concatenated, 4-byte aligned. */
    size_t kn = 5 * 512 + 4096;
    uint8_t *k = calloc(1, kn);
    k[LH_SETUP_SECTS] = 4;
    boot_put16(k + LH_BOOT_FLAG, 0xAA55);
    k[LH_JUMP] = 0xEB;
    k[LH_JUMP + 1] = 0x66;
    boot_put32(k + LH_HEADER, LH_MAGIC);
    boot_put16(k + LH_VERSION, 0x0206);
    k[LH_LOADFLAGS] = LF_LOADED_HIGH;
    boot_put32(k + LH_CODE32_START, 0x100000);
    boot_put32(k + LH_INITRD_ADDR_MAX, 0x37FFFFFF);
    boot_put32(k + LH_CMDLINE_SIZE, 255);
    char *kp = write_file("bzImage", k, kn);
    CHECK_EQ(boot_detect(k, kn, NULL), BOOT_LINUX, "a setup header is detected as Linux");
    snprintf(list, sizeof list, "%s,%s", m1, m2);
    CHECK_EQ(load(kp, list, "console=ttyS0", &e, err), 0, "protocol 2.06 with two initrds loads (%s)", err);
    const uint8_t *zp = ram + e.esi;
    uint32_t at = boot_get32(zp + LH_RAMDISK_IMAGE);
    CHECK_EQ(boot_get32(zp + LH_RAMDISK_SIZE), 8 + 7, "the initrds are concatenated with padding");
    CHECK(memcmp(ram + at, "first\0\0\0second!", 15) == 0, "initrd bytes: first, pad to 4, second");
    CHECK_EQ(at + 15 <= RAM_SIZE && at >= RAM_SIZE - 0x1000, 1, "placed in the top page of RAM");
    CHECK(load(kp, NULL, "this command line is far too long ......................................"
                         "......................................................................"
                         "......................................................................"
                         "......................................................................",
               &e, err) < 0 && strstr(err, "cmdline_size"), "a 2.06 kernel's cmdline_size is enforced");

    /* Files larger than RAM are refused before reading. */
    tgt.ram_size = 1000;
    err[0] = 0;
    CHECK(boot_load_files(&tgt, kp, NULL, NULL, &e, err, sizeof err) < 0 &&
          strstr(err, "larger than guest RAM"), "a kernel larger than RAM is refused (%s)", err);

    free(k);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    free(ram);
    return test_summary();
}
