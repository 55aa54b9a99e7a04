/* POST code port 0x80: firmware writes progress codes here. See post.c. */
#ifndef RAWBOX_HW_POST_H
#define RAWBOX_HW_POST_H

#include <stdint.h>
#include "mem/iobus.h"

#define POST_PORT 0x80
#define POST_HISTORY 16

struct post {
    uint8_t last;
    uint64_t count;                 /* codes written so far */
    uint8_t history[POST_HISTORY];  /* ring of the most recent codes */
};

int post_init(struct post *p, struct iobus *io, uint16_t port)
    __attribute__((warn_unused_result));
void post_reset(struct post *p);
/* Most recent codes, oldest first, as "0x10 0x11 ..." into buf. */
void post_format_recent(const struct post *p, char *buf, unsigned len);

#endif
