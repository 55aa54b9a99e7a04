/* Host-side decompression of a bzImage's kernel (src/boot/vmlinux.c). */
#ifndef RAWBOX_BOOT_VMLINUX_H
#define RAWBOX_BOOT_VMLINUX_H

#include "boot/loader.h"

struct vmlinux {
    uint8_t *img;       /* the decompressed ELF, owned */
    size_t size;
    uint32_t entry;     /* physical address of startup_32 (startup_64) */
    bool is64;          /* an x86-64 kernel: entered in 64-bit mode */
    uint64_t end;       /* end of the highest PT_LOAD segment */
};

/* Decompress the payload of the bzImage k (n bytes, setup_size bytes of
 * real-mode setup; boot/unpack.c) and check its ELF segments
 * against guest RAM. Writes nothing to the guest. 0 or -1 with a message. */
int vmlinux_unpack(const struct boot_target *t, const uint8_t *k, size_t n, size_t setup_size,
                   const char *name, struct vmlinux *vm, char *err, size_t errlen);
/* Copy the checked segments to their physical addresses (BSS zeroed). */
void vmlinux_load(const struct boot_target *t, const struct vmlinux *vm);
void vmlinux_free(struct vmlinux *vm);

#endif
