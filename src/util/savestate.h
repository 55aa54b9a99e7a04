/* Save state: named, versioned sections of named fields (src/util/savestate.c).
 *
 * A device's save hook opens a section with its name and version and writes
 * each field by name; its load hook opens the same section, checks the
 * version it finds against the versions it understands, and reads each field
 * by name with a range check. Fields are looked up by name, so adding a field
 * in a later version does not shift the others (unlike positional arrays).
 *
 * Errors are sticky: the first failure records a message naming the section
 * and field ("pit: field 'ch0.mode' value 9 out of range 0..5") and every
 * later call returns -1, so a load hook can read all fields and test once.
 *
 * Buffer layout (little endian):
 *   section: 'S' name\0 u32 version u32 body_len body
 *   field:   name\0 u32 len bytes        (integers are 8 bytes)
 */
#ifndef RAWBOX_UTIL_SAVESTATE_H
#define RAWBOX_UTIL_SAVESTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct savestate {
    uint8_t *buf;               /* writer: owned, grown; reader: borrowed */
    size_t len, cap;
    bool writing;
    int err;                    /* sticky: non-zero after the first error */
    char msg[192];
    /* open section */
    char sec[48];
    size_t sec_len_pos;         /* writer: where the body length goes */
    size_t body, body_end;      /* reader: the open section's body */
};

void ss_init_write(struct savestate *ss);
void ss_init_read(struct savestate *ss, const void *buf, size_t len);
void ss_free(struct savestate *ss);

/* Writer. */
void ss_section_begin(struct savestate *ss, const char *name, uint32_t version);
void ss_section_end(struct savestate *ss);
void ss_put(struct savestate *ss, const char *field, uint64_t v);
void ss_put_bytes(struct savestate *ss, const char *field, const void *p, size_t n);

/* Reader. Opens the section `name`; fails unless its version is within
 * [min_ver, max_ver]. The version found goes to *ver when ver is not NULL. */
int ss_section_open(struct savestate *ss, const char *name, uint32_t min_ver,
                    uint32_t max_ver, uint32_t *ver);
/* Read an integer field and check it is <= max. */
int ss_get(struct savestate *ss, const char *field, uint64_t max, uint64_t *out);
int ss_get_u8(struct savestate *ss, const char *field, uint8_t max, uint8_t *out);
int ss_get_u16(struct savestate *ss, const char *field, uint16_t max, uint16_t *out);
int ss_get_u32(struct savestate *ss, const char *field, uint32_t max, uint32_t *out);
int ss_get_bool(struct savestate *ss, const char *field, bool *out);
/* Read a byte field of exactly n bytes. */
int ss_get_bytes(struct savestate *ss, const char *field, void *p, size_t n);
/* Record a validation failure found by the device itself. */
int ss_fail(struct savestate *ss, const char *field, const char *why);

const char *ss_error(const struct savestate *ss);

#endif
