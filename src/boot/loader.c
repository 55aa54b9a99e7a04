/* Kernel loading front end: reads --kernel/--initrd files, detects the
 * kernel format, dispatches to the Linux or Multiboot loader, and holds the
 * helpers both use (guest RAM lookup through the memory map, the flat GDT,
 * error lines).
 *
 * Detection: a Linux setup header ("HdrS" at 0x202, boot.rst) wins over a
 * Multiboot header (magic 0x1BADB002 with a zero checksum sum in the first
 * 8 KiB on a 4-byte boundary, Multiboot spec 3.1.1). A file with neither is
 * refused with "FILE: not a Linux bzImage or Multiboot kernel". Files are
 * read whole into host memory, refused when larger than guest RAM, and
 * parsed only within their size. */
#include "boot/loader.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "boot/linux.h"
#include "boot/multiboot.h"

void boot_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

void boot_pc_map(struct boot_target *t, uint64_t ram_size)
{
    int n = 0;
    uint64_t low = ram_size < 0x9FC00 ? ram_size : 0x9FC00;
    t->map[n++] = (struct boot_mem_range){ 0, low, E820_RAM };
    if (ram_size > 0x9FC00)
        t->map[n++] = (struct boot_mem_range){ 0x9FC00, 0x400, E820_RESERVED };
    t->map[n++] = (struct boot_mem_range){ 0xF0000, 0x10000, E820_RESERVED };
    if (ram_size > 0x100000)
        t->map[n++] = (struct boot_mem_range){ 0x100000, ram_size - 0x100000, E820_RAM };
    t->map_len = n;
}

uint8_t *boot_ram(const struct boot_target *t, uint64_t pa, uint64_t len)
{
    if (!t->ram || pa > t->ram_size || len > t->ram_size - pa)
        return NULL;
    for (int i = 0; i < t->map_len; i++) {
        const struct boot_mem_range *r = &t->map[i];
        if (r->type == E820_RAM && pa >= r->addr && pa - r->addr <= r->size &&
            len <= r->size - (pa - r->addr))
            return t->ram + pa;
    }
    return NULL;
}

uint64_t boot_ram_end(const struct boot_target *t, uint64_t pa)
{
    for (int i = 0; i < t->map_len; i++) {
        const struct boot_mem_range *r = &t->map[i];
        if (r->type == E820_RAM && pa >= r->addr && pa - r->addr < r->size) {
            uint64_t end = r->addr + r->size;
            return end < t->ram_size ? end : t->ram_size;
        }
    }
    return 0;
}

bool boot_write_gdt(const struct boot_target *t, uint64_t pa, struct boot_entry *e)
{
    uint8_t *g = boot_ram(t, pa, 32);
    if (!g)
        return false;
    /* 0x00, 0x08 null; 0x10 flat 4 GiB code, execute/read, 32-bit, DPL 0;
     * 0x18 flat 4 GiB data, read/write. Accessed bits preset so the CPU
     * need not write them. (Intel SDM vol. 3 s3.4.5.) */
    memset(g, 0, 16);
    boot_put32(g + 16, 0x0000FFFFu);
    boot_put32(g + 20, 0x00CF9B00u);
    boot_put32(g + 24, 0x0000FFFFu);
    boot_put32(g + 28, 0x00CF9300u);
    e->gdt_base = (uint32_t)pa;
    e->gdt_limit = 31;
    e->cs = 0x10;
    e->ds = 0x18;
    return true;
}

enum boot_format boot_detect(const uint8_t *data, size_t size, long *bad_mb_off)
{
    if (bad_mb_off)
        *bad_mb_off = -1;
    if (linux_is_bzimage(data, size))
        return BOOT_LINUX;
    if (multiboot_find_header(data, size, bad_mb_off) >= 0)
        return BOOT_MULTIBOOT;
    return BOOT_UNKNOWN;
}

int boot_load_images(struct boot_target *t, const struct boot_blob *kernel,
                     const struct boot_blob *mods, int nmods, const char *append,
                     struct boot_entry *entry, char *err, size_t errlen)
{
    const char *name = kernel->name ? kernel->name : "kernel";
    long bad;
    switch (boot_detect(kernel->data, kernel->size, &bad)) {
    case BOOT_LINUX: {
        if (nmods <= 1)
            return linux_load(t, kernel, nmods ? &mods[0] : NULL, append, entry, err, errlen);
        /* Several initrds: concatenated, each padded to 4 bytes, as the
         * kernel's initramfs unpacker accepts (initramfs buffer format). */
        size_t total = 0;
        for (int i = 0; i < nmods; i++) {
            if (mods[i].size > t->ram_size || total > t->ram_size) {
                boot_err(err, errlen, "--initrd: %s: larger than guest RAM",
                         mods[i].name ? mods[i].name : "");
                return -1;
            }
            total = ((total + 3) & ~(size_t)3) + mods[i].size;
        }
        uint8_t *cat = calloc(1, total ? total : 1);
        if (!cat) {
            boot_err(err, errlen, "--initrd: out of host memory for %zu bytes", total);
            return -1;
        }
        size_t at = 0;
        for (int i = 0; i < nmods; i++) {
            at = (at + 3) & ~(size_t)3;
            memcpy(cat + at, mods[i].data, mods[i].size);
            at += mods[i].size;
        }
        struct boot_blob rd = { cat, total, mods[0].name, NULL };
        int r = linux_load(t, kernel, &rd, append, entry, err, errlen);
        free(cat);
        return r;
    }
    case BOOT_MULTIBOOT:
        return multiboot_load(t, kernel, mods, nmods, append, entry, err, errlen);
    default:
        if (bad >= 0)
            boot_err(err, errlen, "%s: not a Linux bzImage or Multiboot kernel (the Multiboot "
                     "magic at 0x%lx has a bad checksum)", name, bad);
        else
            boot_err(err, errlen, "%s: not a Linux bzImage or Multiboot kernel", name);
        return -1;
    }
}

/* Read a whole file; refuse one larger than `max`. */
static int read_file(const char *path, uint64_t max, struct boot_blob *b,
                     char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        boot_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
        boot_err(err, errlen, "%s: not a regular file", path);
        fclose(f);
        return -1;
    }
    if ((uint64_t)st.st_size > max) {
        boot_err(err, errlen, "%s: %lld bytes is larger than guest RAM", path,
                 (long long)st.st_size);
        fclose(f);
        return -1;
    }
    size_t n = (size_t)st.st_size;
    uint8_t *buf = malloc(n ? n : 1);
    if (!buf) {
        boot_err(err, errlen, "%s: out of host memory for %zu bytes", path, n);
        fclose(f);
        return -1;
    }
    if (fread(buf, 1, n, f) != n) {
        boot_err(err, errlen, "%s: read error", path);
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    b->data = buf;
    b->size = n;
    b->name = path;
    b->args = NULL;
    return 0;
}

int boot_load_files(struct boot_target *t, const char *kernel, const char *initrd,
                    const char *append, struct boot_entry *entry, char *err, size_t errlen)
{
    struct boot_blob k, mods[MB_MAX_MODULES];
    char *list = NULL;
    int nmods = 0, r = -1;

    if (read_file(kernel, t->ram_size, &k, err, errlen) < 0)
        return -1;
    if (initrd && *initrd) {
        list = strdup(initrd);
        if (!list) {
            boot_err(err, errlen, "--initrd: out of host memory");
            goto out;
        }
        for (char *item = list, *next; item; item = next) {
            next = strchr(item, ',');
            if (next)
                *next++ = 0;
            while (*item == ' ')
                item++;
            char *args = strchr(item, ' ');
            if (args) {
                *args++ = 0;
                while (*args == ' ')
                    args++;
                if (!*args)
                    args = NULL;
            }
            if (!*item) {
                boot_err(err, errlen, "--initrd: empty file name in '%s'", initrd);
                goto out;
            }
            if (nmods == MB_MAX_MODULES) {
                boot_err(err, errlen, "--initrd: more than %d files", MB_MAX_MODULES);
                goto out;
            }
            if (read_file(item, t->ram_size, &mods[nmods], err, errlen) < 0)
                goto out;
            mods[nmods++].args = args;
        }
    }
    r = boot_load_images(t, &k, mods, nmods, append, entry, err, errlen);
out:
    for (int i = 0; i < nmods; i++)
        free((void *)mods[i].data);
    free((void *)k.data);
    free(list);
    return r;
}
