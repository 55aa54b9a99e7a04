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
 * Decompression runs the host's xz, gzip or zstd tool on a memfd holding
 * the payload: no compression library is linked in. Anything unexpected
 * (unknown format, tool missing, not an i386 ELF, segments outside RAM) is
 * an error naming the reason; nothing is written to guest RAM until the
 * whole image has been checked. */
#include "boot/vmlinux.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "boot/linux.h"

/* Run `tool -dc` with `in` on stdin; collect stdout (at most `max` bytes). */
static int host_decompress(const char *tool, const uint8_t *in, size_t n, size_t max,
                           uint8_t **out, size_t *outlen, char *err, size_t errlen)
{
    int ifd = memfd_create("rawbox-payload", MFD_CLOEXEC), pfd[2];
    if (ifd < 0 || pipe2(pfd, O_CLOEXEC) < 0) {
        boot_err(err, errlen, "--kernel-unpack: cannot set up %s: %s", tool, strerror(errno));
        if (ifd >= 0)
            close(ifd);
        return -1;
    }
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(ifd, in + done, n - done);
        if (w <= 0) {
            boot_err(err, errlen, "--kernel-unpack: cannot buffer the payload: %s",
                     strerror(errno));
            close(ifd), close(pfd[0]), close(pfd[1]);
            return -1;
        }
        done += (size_t)w;
    }
    lseek(ifd, 0, SEEK_SET);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(ifd, 0);
        dup2(pfd[1], 1);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0)
            dup2(devnull, 2);
        /* xz and zstd stop after the first stream: the kernel's build
         * appends the uncompressed size after the compressed data. */
        if (strcmp(tool, "gzip") == 0)
            execlp(tool, tool, "-dc", (char *)NULL);
        else
            execlp(tool, tool, "-dc", strcmp(tool, "xz") == 0 ? "--single-stream" : "-q",
                   (char *)NULL);
        _exit(127);
    }
    close(ifd);
    close(pfd[1]);
    if (pid < 0) {
        close(pfd[0]);
        boot_err(err, errlen, "--kernel-unpack: fork: %s", strerror(errno));
        return -1;
    }
    size_t cap = n * 4 + 4096, len = 0;
    uint8_t *buf = malloc(cap);
    bool too_big = false;
    for (;;) {
        if (buf && len == cap) {
            size_t ncap = cap * 2;
            uint8_t *nb = ncap <= max + 1 ? realloc(buf, ncap) : NULL;
            if (!nb) {
                too_big = true;
                break;
            }
            buf = nb, cap = ncap;
        }
        if (!buf)
            break;
        ssize_t r = read(pfd[0], buf + len, cap - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    close(pfd[0]);
    if (too_big || !buf)
        kill(pid, SIGKILL);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (!buf || too_big) {
        free(buf);
        boot_err(err, errlen, "--kernel-unpack: the decompressed kernel is larger than guest RAM");
        return -1;
    }
    /* gzip exits with 2 ("trailing garbage ignored") on the size trailer. */
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    if (code == 127 || !(code == 0 || (code == 2 && strcmp(tool, "gzip") == 0)) || len == 0) {
        free(buf);
        boot_err(err, errlen, "--kernel-unpack: %s could not decompress the payload%s", tool,
                 code == 127 ? " (tool not installed)" : "");
        return -1;
    }
    *out = buf;
    *outlen = len;
    return 0;
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
    const char *tool;
    if (memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
        tool = "xz";
    else if (p[0] == 0x1f && (p[1] == 0x8b || p[1] == 0x9e))
        tool = "gzip";
    else if (memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0)
        tool = "zstd";
    else {
        boot_err(err, errlen, "%s: payload: compression %02x %02x %02x %02x is not xz, gzip or "
                 "zstd; boot without --kernel-unpack", name, p[0], p[1], p[2], p[3]);
        return -1;
    }
    uint8_t *v;
    size_t vn;
    if (host_decompress(tool, p, plen, t->ram_size, &v, &vn, err, errlen) < 0)
        return -1;

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
