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
 * 32-bit state of the 32-bit boot protocol. Loading at the link-time
 * physical addresses needs no relocation; KASLR is not done (as a
 * `nokaslr` boot). Under an interpreter the decompressor is the slowest
 * part of early boot (~2 G instructions for Debian's XZ kernel), so this
 * saves most of the time before the first kernel message.
 *
 * Decompression is in-process, with the compression libraries
 * (boot/unpack.c: every format the kernel's build can choose). Anything
 * unexpected (unknown or corrupt payload, not an i386 ELF, segments outside
 * RAM) is an error naming the reason; nothing is written to guest RAM until
 * the whole image has been checked. */
#include "boot/vmlinux.h"

#include <stdlib.h>
#include <string.h>

#include "boot/linux.h"
#include "boot/unpack.h"

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
    if (vn < 52 || memcmp(v, "\x7f" "ELF\x01\x01", 6) != 0 || boot_get16(v + 18) != 3) {
        boot_err(err, errlen, "%s: payload: not an i386 ELF kernel", name);
        goto out;
    }
    uint32_t e_entry = boot_get32(v + 24), phoff = boot_get32(v + 28);
    uint16_t phentsize = boot_get16(v + 42), phnum = boot_get16(v + 44);
    if (phentsize < 32 || (uint64_t)phoff + (uint64_t)phentsize * phnum > vn) {
        boot_err(err, errlen, "%s: payload: ELF program headers outside the image", name);
        goto out;
    }
    /* Check every segment and find the entry; vmlinux_load() copies. */
    bool found_entry = false;
    uint64_t top = 0;
    {
        for (unsigned i = 0; i < phnum; i++) {
            const uint8_t *ph = v + phoff + (size_t)i * phentsize;
            if (boot_get32(ph) != 1)
                continue;
            uint64_t off = boot_get32(ph + 4), va = boot_get32(ph + 8), pa = boot_get32(ph + 12);
            uint64_t fsz = boot_get32(ph + 16), msz = boot_get32(ph + 20);
            if (fsz > msz || off > vn || fsz > vn - off || pa < 0x100000 ||
                !boot_ram(t, pa, msz)) {
                boot_err(err, errlen, "%s: payload: ELF segment %u (0x%llx bytes at 0x%llx) "
                         "is malformed or outside RAM", name, i, (unsigned long long)msz,
                         (unsigned long long)pa);
                goto out;
            }
            if (pa + msz > top)
                top = pa + msz;
            /* e_entry is physical in vmlinux (ENTRY(phys_startup_32));
             * accept a virtual one too. */
            if (!found_entry && e_entry >= pa && e_entry - pa < msz) {
                vm->entry = e_entry;
                found_entry = true;
            } else if (!found_entry && e_entry >= va && e_entry - va < msz) {
                vm->entry = (uint32_t)(e_entry - va + pa);
                found_entry = true;
            }
        }
        if (!top || !found_entry) {
            boot_err(err, errlen, "%s: payload: the ELF kernel has no loadable segment holding "
                     "its entry point 0x%08x", name, e_entry);
            goto out;
        }
    }
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
    const uint8_t *v = vm->img;
    uint32_t phoff = boot_get32(v + 28);
    uint16_t phentsize = boot_get16(v + 42), phnum = boot_get16(v + 44);
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = v + phoff + (size_t)i * phentsize;
        if (boot_get32(ph) != 1)
            continue;
        uint64_t off = boot_get32(ph + 4), pa = boot_get32(ph + 12);
        uint64_t fsz = boot_get32(ph + 16), msz = boot_get32(ph + 20);
        uint8_t *dst = boot_ram(t, pa, msz);     /* checked by vmlinux_unpack */
        memcpy(dst, v + off, fsz);
        memset(dst + fsz, 0, msz - fsz);
    }
}

void vmlinux_free(struct vmlinux *vm)
{
    free(vm->img);
    vm->img = NULL;
}
