/* Parsing of command-line values: sizes with K/M/G suffixes, integers,
 * durations. Every function returns 0 on success and -1 on a malformed or
 * out-of-range value, leaving *out untouched, so callers can name the bad
 * value in their own error message. */
#ifndef RAWBOX_UTIL_PARSE_H
#define RAWBOX_UTIL_PARSE_H

#include <stdint.h>

/* "512M", "1G", "64k", "4096", "2MiB", "1.5G". A bare number is multiplied
 * by `unit` (1 for bytes; QEMU's -m takes bare numbers as MiB). Suffixes are
 * binary (K = 1024) and case-insensitive; "B" and "iB" may follow. */
int parse_size(const char *s, uint64_t unit, uint64_t *out);

/* Unsigned integer: decimal, or hex with 0x. */
int parse_u64(const char *s, uint64_t *out);

/* Non-negative seconds, fractions allowed ("2.5"). Result in nanoseconds. */
int parse_seconds(const char *s, uint64_t *ns);

#endif
