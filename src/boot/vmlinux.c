/* Optional fast path for bzImage kernels: decompress the kernel on the host
 * and load the resulting vmlinux ELF where the kernel's own decompressor
 * would have put it, then enter it directly.
 *
 * What the kernel's decompressor (arch/x86/boot/compressed/misc.c,
 * extract_kernel) does and what this replaces: it unpacks the payload
 * (boot.rst: payload_offset/payload_length, protocol 2.08+), copies each
 * ELF PT_LOAD segment to its physical address (parse_elf), applies
 * relocations when the kernel runs away from LOAD_PHYSICAL_ADDR, and
 * jumps to startup_32 of vmlinux with ESI = boot_params and the flat
 * 32-bit state of the 32-bit boot protocol; an x86-64 vmlinux (ELF64) is
 * entered at startup_64 in 64-bit mode as the 64-bit boot protocol says
 * (boot/linux.c builds the identity map). Loading at the link-time
 * physical addresses needs no relocation; KASLR is not done (as a
 * `nokaslr` boot). Under an interpreter the decompressor is the slowest
 * part of early boot (~2 G instructions for Debian's XZ kernel), so this
 * saves most of the time before the first kernel message.
 *
 * Decompression is in-process, with the compression libraries
 * (boot/unpack.c: every format the kernel's build can choose). Anything
 * unexpected (unknown or corrupt payload, not an i386/x86-64 ELF, segments outside
 * RAM) is an error naming the reason; nothing is written to guest RAM until
 * the whole image has been checked. */
#include "boot/vmlinux.h"

#include <stdlib.h>
#include <string.h>

#include "boot/linux.h"
#include "boot/unpack.h"

/* The fields of an ELF header and program header rawbox uses, of either
 * class (ELF32: e_entry 24, e_phoff 28, e_phentsize 42, e_phnum 44;
 * ELF64: 24, 32, 54, 56). */
struct elf_hdr {
    bool is64;
    uint64_t entry, phoff;
    unsigned phentsize, phnum;
};

struct elf_seg {
    uint32_t type;
    uint64_t off, va, pa, fsz, msz;
};

static uint64_t get64(const uint8_t *p)
{
    return boot_get32(p) | (uint64_t)boot_get32(p + 4) << 32;
}

static struct elf_hdr elf_hdr(const uint8_t *v, bool is64)
{
    if (is64)
        return (struct elf_hdr){ true, get64(v + 24), get64(v + 32), boot_get16(v + 54),
                                 boot_get16(v + 56) };
    return (struct elf_hdr){ false, boot_get32(v + 24), boot_get32(v + 28), boot_get16(v + 42),
                             boot_get16(v + 44) };
}

/* Program header i (its bounds are checked by vmlinux_unpack). */
static struct elf_seg elf_seg(const uint8_t *v, const struct elf_hdr *h, unsigned i)
{
    const uint8_t *ph = v + h->phoff + (size_t)i * h->phentsize;
    if (h->is64)
        return (struct elf_seg){ boot_get32(ph), get64(ph + 8), get64(ph + 16), get64(ph + 24),
                                 get64(ph + 32), get64(ph + 40) };
    return (struct elf_seg){ boot_get32(ph), boot_get32(ph + 4), boot_get32(ph + 8),
                             boot_get32(ph + 12), boot_get32(ph + 16), boot_get32(ph + 20) };
}

int vmlinux_unpack(const struct boot_target *t, const uint8_t *k, size_t n, size_t setup_size,
                   const char *name, struct vmlinux *vm, char *err, size_t errlen)
{
    memset(vm, 0, sizeof *vm);
    uint16_t version = boot_get16(k + LH_VERSION);
    if (version < 0x208) {
        boot_err(err, errlen, "%s: version: protocol %u.%02u has no payload fields; "
                 "--kernel-unpack needs 2.08", name, version >> 8, version & 0xff);
        return -1;
    }
    uint32_t poff = boot_get32(k + 0x248), plen = boot_get32(k + 0x24c);
    uint64_t pm_size = n - setup_size;
    if (plen < 8 || poff > pm_size || plen > pm_size - poff) {
        boot_err(err, errlen, "%s: payload_offset: payload 0x%x+0x%x lies outside the "
                 "0x%llx-byte protected-mode kernel", name, poff, plen,
                 (unsigned long long)pm_size);
        return -1;
    }
    const uint8_t *p = k + setup_size + poff;
    enum unpack_format f = unpack_detect(p, plen);
    if (f == UNPACK_UNKNOWN) {
        boot_err(err, errlen, "%s: payload: compression %02x %02x %02x %02x is not gzip, bzip2, "
                 "lzma, xz, lzo, lz4 or zstd; boot without --kernel-unpack", name, p[0], p[1], p[2], p[3]);
        return -1;
    }
    uint8_t *v;
    size_t vn;
    char why[256];
    if (unpack(f, p, plen, t->ram_size, &v, &vn, why, sizeof why) < 0) {
        boot_err(err, errlen, "%s: payload: %s", name, why);
        return -1;
    }

    int r = -1;
    /* ELF32 i386 (the 32-bit kernel) or ELF64 x86-64 (System V gABI
     * header and program-header layouts of each class). */
    bool is64;
    if (vn >= 64 && memcmp(v, "\x7f" "ELF\x02\x01", 6) == 0 && boot_get16(v + 18) == 62)
        is64 = true;
    else if (vn >= 52 && memcmp(v, "\x7f" "ELF\x01\x01", 6) == 0 && boot_get16(v + 18) == 3)
        is64 = false;
    else {
        boot_err(err, errlen, "%s: payload: not an i386 or x86-64 ELF kernel", name);
        goto out;
    }
    struct elf_hdr h = elf_hdr(v, is64);
    if (h.phentsize < (is64 ? 56u : 32u) || h.phoff > vn ||
        (uint64_t)h.phentsize * h.phnum > vn - h.phoff) {
        boot_err(err, errlen, "%s: payload: ELF program headers outside the image", name);
        goto out;
    }
    /* Check every segment and find the entry; vmlinux_load() copies. */
    bool found_entry = false;
    uint64_t top = 0;
    for (unsigned i = 0; i < h.phnum; i++) {
        struct elf_seg sg = elf_seg(v, &h, i);
        if (sg.type != 1)
            continue;
        if (sg.fsz > sg.msz || sg.off > vn || sg.fsz > vn - sg.off || sg.pa < 0x100000 ||
            sg.pa >= (1ull << 32) || !boot_ram(t, sg.pa, sg.msz)) {
            boot_err(err, errlen, "%s: payload: ELF segment %u (0x%llx bytes at 0x%llx) "
                     "is malformed or outside RAM", name, i, (unsigned long long)sg.msz,
                     (unsigned long long)sg.pa);
            goto out;
        }
        if (sg.pa + sg.msz > top)
            top = sg.pa + sg.msz;
        /* e_entry is physical in vmlinux (ENTRY(phys_startup_32) or
         * phys_startup_64); accept a virtual one too. */
        if (!found_entry && h.entry >= sg.pa && h.entry - sg.pa < sg.msz) {
            vm->entry = (uint32_t)h.entry;
            found_entry = true;
        } else if (!found_entry && h.entry >= sg.va && h.entry - sg.va < sg.msz) {
            vm->entry = (uint32_t)(h.entry - sg.va + sg.pa);
            found_entry = true;
        }
    }
    if (!top || !found_entry) {
        boot_err(err, errlen, "%s: payload: the ELF kernel has no loadable segment holding "
                 "its entry point 0x%llx", name, (unsigned long long)h.entry);
        goto out;
    }
    vm->is64 = is64;
    vm->img = v;
    vm->size = vn;
    vm->end = top;
    return 0;
out:
    free(v);
    return r;
}

void vmlinux_load(const struct boot_target *t, const struct vmlinux *vm)
{
    struct elf_hdr h = elf_hdr(vm->img, vm->is64);
    for (unsigned i = 0; i < h.phnum; i++) {
        struct elf_seg sg = elf_seg(vm->img, &h, i);
        if (sg.type != 1)
            continue;
        uint8_t *dst = boot_ram(t, sg.pa, sg.msz);     /* checked by vmlinux_unpack */
        memcpy(dst, vm->img + sg.off, sg.fsz);
        memset(dst + sg.fsz, 0, sg.msz - sg.fsz);
    }
}

void vmlinux_free(struct vmlinux *vm)
{
    free(vm->img);
    vm->img = NULL;
}
