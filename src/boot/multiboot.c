/* Multiboot v1 kernel loader.
 *
 * Follows the Multiboot Specification 0.6.96: the header is searched in the
 * first 8 KiB on 4-byte boundaries (s3.1.1) and identified by magic and
 * checksum; the image is loaded from its ELF32 PT_LOAD segments (by
 * physical address, as GRUB does, with an entry point given as a virtual
 * address translated through the segment holding it), or, when header flag
 * bit 16 is set, from the a.out kludge address fields (s3.1.3). Modules are
 * page aligned after the image; the information structure (s3.3) with
 * memory sizes, the BIOS-style memory map, command line, module list and
 * boot loader name "rawbox" follows them, together with a flat GDT. The
 * machine state at entry is that of s3.2: EAX = 0x2BADB002, EBX = info
 * address, flat 32-bit CS and data segments, paging and interrupts off.
 *
 * Left out: video mode setting (a header asking for a graphics mode is
 * refused; text mode is what the board offers), ELF section headers and
 * a.out symbols in the info structure, boot device, drive list, APM. */
#include "boot/multiboot.h"

#include <stdio.h>
#include <string.h>

long multiboot_find_header(const uint8_t *data, size_t size, long *bad_off)
{
    if (bad_off)
        *bad_off = -1;
    size_t lim = size < MB_SEARCH ? size : MB_SEARCH;
    for (size_t off = 0; off + 12 <= lim; off += 4) {
        if (boot_get32(data + off) != MB_HEADER_MAGIC)
            continue;
        uint32_t flags = boot_get32(data + off + 4), sum = boot_get32(data + off + 8);
        if ((uint32_t)(MB_HEADER_MAGIC + flags + sum) == 0)
            return (long)off;
        if (bad_off && *bad_off < 0)
            *bad_off = (long)off;
    }
    return -1;
}

/* One piece of the image: file bytes [off, off+filesz) to guest dest, then
 * zeros up to memsz. */
struct mb_seg {
    uint64_t dest, off, filesz, memsz;
};

static int check_seg(const struct boot_target *t, const struct mb_seg *s, size_t n,
                     const char *name, const char *what, char *err, size_t errlen)
{
    if (s->filesz > s->memsz) {
        boot_err(err, errlen, "%s: %s: file size 0x%llx exceeds memory size 0x%llx", name, what,
                 (unsigned long long)s->filesz, (unsigned long long)s->memsz);
        return -1;
    }
    if (s->off > n || s->filesz > n - s->off) {
        boot_err(err, errlen, "%s: %s: bytes 0x%llx-0x%llx run past the end of the "
                 "%zu-byte file", name, what, (unsigned long long)s->off,
                 (unsigned long long)(s->off + s->filesz), n);
        return -1;
    }
    if (s->dest + s->memsz > 0x100000000ull || !boot_ram(t, s->dest, s->memsz)) {
        boot_err(err, errlen, "%s: %s: destination 0x%llx-0x%llx is not RAM", name, what,
                 (unsigned long long)s->dest, (unsigned long long)(s->dest + s->memsz));
        return -1;
    }
    return 0;
}

static void copy_seg(const struct boot_target *t, const struct mb_seg *s, const uint8_t *k)
{
    uint8_t *p = boot_ram(t, s->dest, s->memsz);
    memcpy(p, k + s->off, s->filesz);
    memset(p + s->filesz, 0, s->memsz - s->filesz);
}

/* a.out kludge (header flag bit 16): load by the header's address fields. */
static int load_aout(const struct boot_target *t, const uint8_t *k, size_t n, long hoff,
                     const char *name, uint64_t *end, uint32_t *eip, char *err, size_t errlen)
{
    if ((size_t)hoff + 32 > n || hoff + 32 > MB_SEARCH) {
        boot_err(err, errlen, "%s: header_addr: the address fields at 0x%lx run past the %s",
                 name, hoff + 12, (size_t)hoff + 32 > n ? "file" : "first 8 KiB");
        return -1;
    }
    uint32_t header_addr = boot_get32(k + hoff + 12), load_addr = boot_get32(k + hoff + 16);
    uint32_t load_end = boot_get32(k + hoff + 20), bss_end = boot_get32(k + hoff + 24);
    uint32_t entry = boot_get32(k + hoff + 28);
    if (load_addr > header_addr) {
        boot_err(err, errlen, "%s: load_addr: 0x%08x is above header_addr 0x%08x", name,
                 load_addr, header_addr);
        return -1;
    }
    if (header_addr - load_addr > (uint32_t)hoff) {
        boot_err(err, errlen, "%s: header_addr: 0x%08x - load_addr 0x%08x puts the image "
                 "start before the file (header at offset 0x%lx)", name, header_addr,
                 load_addr, hoff);
        return -1;
    }
    struct mb_seg s;
    s.dest = load_addr;
    s.off = (uint64_t)hoff - (header_addr - load_addr);
    if (load_end == 0) {
        s.filesz = n - s.off;
    } else {
        if (load_end < load_addr) {
            boot_err(err, errlen, "%s: load_end_addr: 0x%08x is below load_addr 0x%08x",
                     name, load_end, load_addr);
            return -1;
        }
        s.filesz = load_end - load_addr;
        if (s.filesz > n - s.off) {
            boot_err(err, errlen, "%s: load_end_addr: 0x%08x needs 0x%llx bytes from offset "
                     "0x%llx but the file has %zu", name, load_end,
                     (unsigned long long)s.filesz, (unsigned long long)s.off, n);
            return -1;
        }
    }
    s.memsz = s.filesz;
    if (bss_end) {
        if ((uint64_t)bss_end < s.dest + s.filesz) {
            boot_err(err, errlen, "%s: bss_end_addr: 0x%08x is below the loaded image's end "
                     "0x%llx", name, bss_end, (unsigned long long)(s.dest + s.filesz));
            return -1;
        }
        s.memsz = bss_end - load_addr;
    }
    if (check_seg(t, &s, n, name, "load_addr", err, errlen) < 0)
        return -1;
    if (!boot_ram(t, entry, 1)) {
        boot_err(err, errlen, "%s: entry_addr: 0x%08x is not in RAM", name, entry);
        return -1;
    }
    copy_seg(t, &s, k);
    *end = s.dest + s.memsz;
    *eip = entry;
    return 0;
}

#define EH_SIZE 52
#define PT_LOAD 1

static int load_elf(const struct boot_target *t, const uint8_t *k, size_t n, const char *name,
                    uint64_t *end, uint32_t *eip, char *err, size_t errlen)
{
    if (n < EH_SIZE || memcmp(k, "\x7f" "ELF", 4) != 0) {
        boot_err(err, errlen, "%s: flags: address fields (bit 16) are not given and the file "
                 "is not ELF", name);
        return -1;
    }
    if (k[4] != 1 || k[5] != 1) {
        boot_err(err, errlen, "%s: ELF e_ident: class %u data %u, expected a 32-bit "
                 "little-endian ELF", name, k[4], k[5]);
        return -1;
    }
    uint16_t type = boot_get16(k + 16), machine = boot_get16(k + 18);
    if (type != 2) {
        boot_err(err, errlen, "%s: ELF e_type: %u, expected 2 (executable)", name, type);
        return -1;
    }
    if (machine != 3) {
        boot_err(err, errlen, "%s: ELF e_machine: %u, expected 3 (i386)", name, machine);
        return -1;
    }
    uint32_t e_entry = boot_get32(k + 24), phoff = boot_get32(k + 28);
    uint16_t phentsize = boot_get16(k + 42), phnum = boot_get16(k + 44);
    if (phentsize < 32) {
        boot_err(err, errlen, "%s: ELF e_phentsize: %u, expected at least 32", name, phentsize);
        return -1;
    }
    if ((uint64_t)phoff + (uint64_t)phentsize * phnum > n) {
        boot_err(err, errlen, "%s: ELF e_phoff: %u program headers at 0x%x run past the end "
                 "of the %zu-byte file", name, phnum, phoff, n);
        return -1;
    }
    /* Pass 1 validates every segment and finds the entry; pass 2 copies. */
    bool have_entry = false;
    int loads = 0;
    uint64_t top = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned i = 0; i < phnum; i++) {
            const uint8_t *ph = k + phoff + (size_t)i * phentsize;
            if (boot_get32(ph) != PT_LOAD)
                continue;
            struct mb_seg s = {
                .off = boot_get32(ph + 4), .dest = boot_get32(ph + 12),
                .filesz = boot_get32(ph + 16), .memsz = boot_get32(ph + 20),
            };
            uint32_t vaddr = boot_get32(ph + 8);
            if (s.memsz == 0)
                continue;
            if (pass == 1) {
                copy_seg(t, &s, k);
                continue;
            }
            char what[40];
            snprintf(what, sizeof(what), "ELF segment %u", i);
            if (check_seg(t, &s, n, name, what, err, errlen) < 0)
                return -1;
            loads++;
            if (s.dest + s.memsz > top)
                top = s.dest + s.memsz;
            if (!have_entry && e_entry >= vaddr && e_entry - vaddr < s.memsz) {
                *eip = (uint32_t)(e_entry - vaddr + s.dest);
                have_entry = true;
            }
        }
        if (pass == 0 && !loads) {
            boot_err(err, errlen, "%s: ELF: no PT_LOAD segment to load", name);
            return -1;
        }
        if (pass == 0 && !have_entry) {
            if (!boot_ram(t, e_entry, 1)) {
                boot_err(err, errlen, "%s: ELF e_entry: 0x%08x is in no segment and not in RAM",
                         name, e_entry);
                return -1;
            }
            *eip = e_entry;
        }
    }
    *end = top;
    return 0;
}

int multiboot_load(struct boot_target *t, const struct boot_blob *kernel,
                   const struct boot_blob *mods, int nmods, const char *append,
                   struct boot_entry *entry, char *err, size_t errlen)
{
    const uint8_t *k = kernel->data;
    size_t n = kernel->size;
    const char *name = kernel->name ? kernel->name : "kernel";
    long bad;
    long hoff = multiboot_find_header(k, n, &bad);
    if (hoff < 0) {
        if (bad >= 0)
            boot_err(err, errlen, "%s: checksum: the Multiboot header at 0x%lx has a checksum "
                     "that does not add up to zero", name, bad);
        else
            boot_err(err, errlen, "%s: no Multiboot header in the first 8 KiB", name);
        return -1;
    }
    uint32_t flags = boot_get32(k + hoff + 4);
    uint32_t unknown = flags & 0xFFF8u;
    if (unknown) {
        boot_err(err, errlen, "%s: flags: 0x%08x requires feature bit %d, which rawbox does "
                 "not know", name, flags, __builtin_ctz(unknown));
        return -1;
    }
    if (flags & MBH_VIDEO_MODE) {
        /* Fields at +32: mode_type, width, height, depth; 1 = EGA text. */
        if ((size_t)hoff + 36 > n || boot_get32(k + hoff + 32) != 1) {
            boot_err(err, errlen, "%s: flags: a graphics video mode is required (bit 2); "
                     "rawbox offers only text mode", name);
            return -1;
        }
    }
    if (nmods > MB_MAX_MODULES) {
        boot_err(err, errlen, "--initrd: %d modules, at most %d", nmods, MB_MAX_MODULES);
        return -1;
    }

    uint64_t img_end = 0;
    uint32_t eip = 0;
    int r = (flags & MBH_AOUT_KLUDGE)
        ? load_aout(t, k, n, hoff, name, &img_end, &eip, err, errlen)
        : load_elf(t, k, n, name, &img_end, &eip, err, errlen);
    if (r < 0)
        return -1;

    /* Modules, page aligned after the image (and above 1 MiB). */
    uint64_t cur = img_end > 0x100000 ? img_end : 0x100000;
    uint64_t mod_at[MB_MAX_MODULES];
    for (int i = 0; i < nmods; i++) {
        cur = (cur + 0xfff) & ~(uint64_t)0xfff;
        if (cur + mods[i].size > 0x100000000ull || !boot_ram(t, cur, mods[i].size ? mods[i].size : 1)) {
            boot_err(err, errlen, "--initrd: module %s (%zu bytes) does not fit in RAM at "
                     "0x%llx", mods[i].name ? mods[i].name : "", mods[i].size,
                     (unsigned long long)cur);
            return -1;
        }
        mod_at[i] = cur;
        cur += mods[i].size;
    }

    /* The information block: info, module list, memory map, GDT, strings. */
    const char *kname = kernel->name ? kernel->name : "";
    size_t cmd_len = strlen(kname) + (append && *append ? 1 + strlen(append) : 0) + 1;
    size_t str_len = cmd_len + sizeof("rawbox");
    for (int i = 0; i < nmods; i++)
        str_len += strlen(mods[i].name ? mods[i].name : "") +
                   (mods[i].args ? 1 + strlen(mods[i].args) : 0) + 1;
    size_t o_mods = MBI_SIZE, o_mmap = o_mods + 16 * (size_t)nmods;
    size_t o_gdt = (o_mmap + 24 * (size_t)t->map_len + 7) & ~(size_t)7;
    /* ESP is undefined at entry (s3.2), but kernels that push before
     * setting their own stack work under GRUB; give them 4 KiB here. */
    size_t o_str = o_gdt + 32, o_stack = (o_str + str_len + 15) & ~(size_t)15;
    size_t total = o_stack + 4096;
    uint64_t info = (cur + 0xfff) & ~(uint64_t)0xfff;
    uint8_t *ib = info + total <= 0x100000000ull ? boot_ram(t, info, total) : NULL;
    if (!ib) {
        boot_err(err, errlen, "memory map: no RAM for the Multiboot information at 0x%llx "
                 "(%zu bytes)", (unsigned long long)info, total);
        return -1;
    }
    for (int i = 0; i < nmods; i++)
        memcpy(boot_ram(t, mod_at[i], mods[i].size ? mods[i].size : 1), mods[i].data,
               mods[i].size);

    memset(ib, 0, total);
    char *s = (char *)ib + o_str;
    uint32_t s_addr = (uint32_t)info + (uint32_t)o_str;
#define PUT_STR(field_ptr, ...) do { \
        int len_ = sprintf(s, __VA_ARGS__); \
        boot_put32(field_ptr, s_addr); \
        s += len_ + 1; s_addr += (uint32_t)len_ + 1; \
    } while (0)
    uint32_t mbi_flags = MBI_MEMORY | MBI_CMDLINE | MBI_MMAP | MBI_LOADER_NAME;
    uint64_t low_end = boot_ram_end(t, 0), high_end = boot_ram_end(t, 0x100000);
    boot_put32(ib + MBI_MEM_LOWER, (uint32_t)(low_end > 0xA0000 ? 640 : low_end >> 10));
    boot_put32(ib + MBI_MEM_UPPER, high_end > 0x100000
               ? (uint32_t)((high_end - 0x100000) >> 10) : 0);
    if (append && *append)
        PUT_STR(ib + MBI_CMDLINE_PTR, "%s %s", kname, append);
    else
        PUT_STR(ib + MBI_CMDLINE_PTR, "%s", kname);
    PUT_STR(ib + MBI_LOADER_NAME_PTR, "rawbox");
    if (nmods) {
        mbi_flags |= MBI_MODS;
        boot_put32(ib + MBI_MODS_COUNT, (uint32_t)nmods);
        boot_put32(ib + MBI_MODS_ADDR, (uint32_t)(info + o_mods));
        for (int i = 0; i < nmods; i++) {
            uint8_t *m = ib + o_mods + 16 * (size_t)i;
            boot_put32(m, (uint32_t)mod_at[i]);
            boot_put32(m + 4, (uint32_t)(mod_at[i] + mods[i].size));
            const char *mn = mods[i].name ? mods[i].name : "";
            if (mods[i].args)
                PUT_STR(m + 8, "%s %s", mn, mods[i].args);
            else
                PUT_STR(m + 8, "%s", mn);
        }
    }
#undef PUT_STR
    boot_put32(ib + MBI_MMAP_LENGTH, 24u * (uint32_t)t->map_len);
    boot_put32(ib + MBI_MMAP_ADDR, (uint32_t)(info + o_mmap));
    for (int i = 0; i < t->map_len; i++) {
        uint8_t *e = ib + o_mmap + 24 * (size_t)i;
        boot_put32(e, 20);
        boot_put64(e + 4, t->map[i].addr);
        boot_put64(e + 12, t->map[i].size);
        boot_put32(e + 20, t->map[i].type);
    }
    boot_put32(ib + MBI_FLAGS, mbi_flags);

    memset(entry, 0, sizeof(*entry));
    if (!boot_write_gdt(t, info + o_gdt, entry)) {
        boot_err(err, errlen, "memory map: no RAM for the GDT");
        return -1;
    }
    entry->eip = eip;
    entry->eax = MB_BOOT_MAGIC;
    entry->ebx = (uint32_t)info;
    entry->esp = (uint32_t)(info + total);
    return 0;
}
