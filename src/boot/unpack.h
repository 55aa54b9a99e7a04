/* In-process decompression of a bzImage payload (src/boot/unpack.c). */
#ifndef RAWBOX_BOOT_UNPACK_H
#define RAWBOX_BOOT_UNPACK_H

#include <stddef.h>
#include <stdint.h>

/* The compressions Linux's arch/x86/boot/compressed can put in a bzImage. */
enum unpack_format {
    UNPACK_UNKNOWN,
    UNPACK_GZIP,
    UNPACK_BZIP2,
    UNPACK_LZMA,        /* legacy .lzma ("LZMA alone") */
    UNPACK_XZ,
    UNPACK_LZO,         /* lzop's file format */
    UNPACK_LZ4,         /* lz4's legacy frame format (lz4 -l) */
    UNPACK_ZSTD,
};

/* The format whose magic bytes start in[0..n), or UNPACK_UNKNOWN. */
enum unpack_format unpack_detect(const uint8_t *in, size_t n);
/* "gzip", "xz", ... ("unknown" for UNPACK_UNKNOWN). */
const char *unpack_name(enum unpack_format f);

/* Decompress the first stream of format f in in[0..n) into a new malloc'd
 * buffer (*out, *outlen; free() it) of at most max bytes. Bytes after the
 * stream (the kernel build's 4-byte size trailer) are ignored. Returns 0,
 * or -1 with a one-line reason in err (nothing allocated). */
int unpack(enum unpack_format f, const uint8_t *in, size_t n, size_t max, uint8_t **out,
           size_t *outlen, char *err, size_t errlen);

#endif
