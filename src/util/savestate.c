/* Save state sections of named fields: see savestate.h for the layout.
 * The reader never trusts the buffer: every length is checked against the
 * end of the section before use. */
#include "util/savestate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 2, 3)))
static int fail(struct savestate *ss, const char *fmt, ...)
{
    if (!ss->err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ss->msg, sizeof ss->msg, fmt, ap);
        va_end(ap);
        ss->err = -1;
    }
    return -1;
}

void ss_init_write(struct savestate *ss)
{
    memset(ss, 0, sizeof *ss);
    ss->writing = true;
}

void ss_init_read(struct savestate *ss, const void *buf, size_t len)
{
    memset(ss, 0, sizeof *ss);
    ss->buf = (uint8_t *)buf;
    ss->len = len;
}

void ss_free(struct savestate *ss)
{
    if (ss->writing)
        free(ss->buf);
    ss->buf = NULL;
    ss->len = ss->cap = 0;
}

const char *ss_error(const struct savestate *ss)
{
    return ss->err ? ss->msg : NULL;
}

int ss_fail(struct savestate *ss, const char *field, const char *why)
{
    return fail(ss, "%s: field '%s' %s", ss->sec, field, why);
}

/* ---- writer ---- */

static void emit(struct savestate *ss, const void *p, size_t n)
{
    if (ss->err)
        return;
    if (ss->len + n > ss->cap) {
        size_t cap = ss->cap ? ss->cap : 1024;
        while (cap < ss->len + n)
            cap *= 2;
        uint8_t *nb = realloc(ss->buf, cap);
        if (!nb) {
            fail(ss, "out of memory saving section %s", ss->sec);
            return;
        }
        ss->buf = nb;
        ss->cap = cap;
    }
    memcpy(ss->buf + ss->len, p, n);
    ss->len += n;
}

static void emit_u32(struct savestate *ss, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    emit(ss, b, 4);
}

static void emit_name(struct savestate *ss, const char *name)
{
    emit(ss, name, strlen(name) + 1);
}

void ss_section_begin(struct savestate *ss, const char *name, uint32_t version)
{
    snprintf(ss->sec, sizeof ss->sec, "%s", name);
    emit(ss, "S", 1);
    emit_name(ss, name);
    emit_u32(ss, version);
    ss->sec_len_pos = ss->len;
    emit_u32(ss, 0);
}

void ss_section_end(struct savestate *ss)
{
    if (ss->err)
        return;
    uint32_t body = (uint32_t)(ss->len - ss->sec_len_pos - 4);
    for (int k = 0; k < 4; k++)
        ss->buf[ss->sec_len_pos + k] = (uint8_t)(body >> (8 * k));
}

void ss_put_bytes(struct savestate *ss, const char *field, const void *p, size_t n)
{
    emit_name(ss, field);
    emit_u32(ss, (uint32_t)n);
    emit(ss, p, n);
}

void ss_put(struct savestate *ss, const char *field, uint64_t v)
{
    uint8_t b[8];
    for (int k = 0; k < 8; k++)
        b[k] = (uint8_t)(v >> (8 * k));
    ss_put_bytes(ss, field, b, 8);
}

/* ---- reader ---- */

static uint32_t rd_u32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Length of a NUL-terminated name at pos, or -1 when it runs past end. */
static long name_len(const struct savestate *ss, size_t pos, size_t end)
{
    const uint8_t *z = memchr(ss->buf + pos, 0, end - pos);
    return z ? (long)(z - (ss->buf + pos)) : -1;
}

int ss_section_open(struct savestate *ss, const char *name, uint32_t min_ver,
                    uint32_t max_ver, uint32_t *ver)
{
    if (ss->err)
        return -1;
    snprintf(ss->sec, sizeof ss->sec, "%s", name);
    size_t pos = 0;
    while (pos < ss->len) {
        if (ss->buf[pos] != 'S')
            return fail(ss, "%s: corrupt state at offset %zu", name, pos);
        long nl = name_len(ss, pos + 1, ss->len);
        if (nl < 0 || pos + 1 + (size_t)nl + 1 + 8 > ss->len)
            return fail(ss, "%s: truncated state at offset %zu", name, pos);
        size_t hdr = pos + 1 + (size_t)nl + 1;
        uint32_t v = rd_u32(ss->buf + hdr);
        uint32_t blen = rd_u32(ss->buf + hdr + 4);
        size_t body = hdr + 8;
        if (blen > ss->len - body)
            return fail(ss, "%s: section at offset %zu runs past the end", name, pos);
        if (strcmp((const char *)ss->buf + pos + 1, name) == 0) {
            if (v < min_ver || v > max_ver)
                return fail(ss, "%s: version %u not supported (%u..%u)", name, v,
                            min_ver, max_ver);
            if (ver)
                *ver = v;
            ss->body = body;
            ss->body_end = body + blen;
            return 0;
        }
        pos = body + blen;
    }
    return fail(ss, "%s: section missing", name);
}

/* Find a field in the open section: its data and length. */
static int find(struct savestate *ss, const char *field, const uint8_t **data, uint32_t *n)
{
    if (ss->err)
        return -1;
    size_t pos = ss->body;
    while (pos < ss->body_end) {
        long nl = name_len(ss, pos, ss->body_end);
        if (nl < 0 || pos + (size_t)nl + 1 + 4 > ss->body_end)
            return fail(ss, "%s: corrupt field list", ss->sec);
        size_t lp = pos + (size_t)nl + 1;
        uint32_t len = rd_u32(ss->buf + lp);
        if (len > ss->body_end - lp - 4)
            return fail(ss, "%s: field '%s' runs past the section", ss->sec,
                        (const char *)ss->buf + pos);
        if (strcmp((const char *)ss->buf + pos, field) == 0) {
            *data = ss->buf + lp + 4;
            *n = len;
            return 0;
        }
        pos = lp + 4 + len;
    }
    return fail(ss, "%s: field '%s' missing", ss->sec, field);
}

int ss_get(struct savestate *ss, const char *field, uint64_t max, uint64_t *out)
{
    const uint8_t *d;
    uint32_t n;
    if (find(ss, field, &d, &n))
        return -1;
    if (n != 8)
        return fail(ss, "%s: field '%s' has size %u, expected 8", ss->sec, field, n);
    uint64_t v = 0;
    for (int k = 0; k < 8; k++)
        v |= (uint64_t)d[k] << (8 * k);
    if (v > max)
        return fail(ss, "%s: field '%s' value %llu out of range 0..%llu", ss->sec, field,
                    (unsigned long long)v, (unsigned long long)max);
    *out = v;
    return 0;
}

int ss_get_u8(struct savestate *ss, const char *field, uint8_t max, uint8_t *out)
{
    uint64_t v;
    if (ss_get(ss, field, max, &v))
        return -1;
    *out = (uint8_t)v;
    return 0;
}

int ss_get_u16(struct savestate *ss, const char *field, uint16_t max, uint16_t *out)
{
    uint64_t v;
    if (ss_get(ss, field, max, &v))
        return -1;
    *out = (uint16_t)v;
    return 0;
}

int ss_get_u32(struct savestate *ss, const char *field, uint32_t max, uint32_t *out)
{
    uint64_t v;
    if (ss_get(ss, field, max, &v))
        return -1;
    *out = (uint32_t)v;
    return 0;
}

int ss_get_bool(struct savestate *ss, const char *field, bool *out)
{
    uint64_t v;
    if (ss_get(ss, field, 1, &v))
        return -1;
    *out = v != 0;
    return 0;
}

int ss_get_bytes(struct savestate *ss, const char *field, void *p, size_t n)
{
    const uint8_t *d;
    uint32_t len;
    if (find(ss, field, &d, &len))
        return -1;
    if (len != n)
        return fail(ss, "%s: field '%s' has size %u, expected %zu", ss->sec, field, len, n);
    memcpy(p, d, n);
    return 0;
}
