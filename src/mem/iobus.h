/* The I/O port space (src/mem/iobus.c): 65536 ports, each range owned by one
 * device. A 16/32-bit access to a device that takes only bytes is split into
 * byte accesses at consecutive ports (possibly different devices), as the
 * ISA bus does. Unassigned ports read all ones; writes to them are dropped
 * and logged under LOG_IO. */
#ifndef RAWBOX_MEM_IOBUS_H
#define RAWBOX_MEM_IOBUS_H

#include <stdint.h>
#include "mem/region.h"

#define IOBUS_MAX_RANGES 128

struct io_range {
    uint16_t base;
    uint32_t len;
    struct io_handler h;
    const char *name;
};

struct iobus {
    struct io_range r[IOBUS_MAX_RANGES];
    int nr;
    uint8_t *map;               /* port -> range index + 1 (0 = none) */
};

int iobus_init(struct iobus *b) __attribute__((warn_unused_result));
void iobus_free(struct iobus *b);
/* Register [base, base+len). Fails (-1) on overlap or a full table. */
int iobus_register(struct iobus *b, uint16_t base, uint32_t len,
                   const struct io_handler *h, const char *name)
    __attribute__((warn_unused_result));
void iobus_unregister(struct iobus *b, uint16_t base);

uint32_t iobus_in(struct iobus *b, uint16_t port, unsigned size);
void iobus_out(struct iobus *b, uint16_t port, uint32_t val, unsigned size);

#endif
