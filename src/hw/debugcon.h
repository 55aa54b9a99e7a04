/* The debug console: bytes written to one I/O port (0xE9, as Bochs and
 * QEMU's isa-debugcon) go to a host file. See debugcon.c. */
#ifndef RAWBOX_HW_DEBUGCON_H
#define RAWBOX_HW_DEBUGCON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "mem/iobus.h"

#define DEBUGCON_PORT 0xE9

struct debugcon {
    FILE *f;
    bool owns;          /* close f on free */
    uint64_t bytes;     /* written so far */
};

/* Attach to `port`; output goes to f (owned when `owns`). */
int debugcon_init(struct debugcon *d, struct iobus *io, uint16_t port, FILE *f, bool owns)
    __attribute__((warn_unused_result));
/* Attach to `port` with output named by a user's spec: NULL or "none"
 * (nothing attached, returns 0), "stdio", "file:PATH". Returns 1 when
 * attached, -1 after a one-line error naming `option` (e.g. "--debugcon"). */
int debugcon_open(struct debugcon *d, struct iobus *io, uint16_t port, const char *spec,
                  const char *option) __attribute__((warn_unused_result));
void debugcon_flush(struct debugcon *d);
void debugcon_free(struct debugcon *d);

#endif
