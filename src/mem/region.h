/* The one handler shape shared by I/O ports and MMIO: a device gets its
 * state pointer, the offset inside its range and the access size in bytes.
 * `sizes` is a mask of the access sizes the device takes whole (1|2|4|8);
 * wider or misaligned accesses are split into smaller ones by the bus, the
 * way the hardware would split them. */
#ifndef RAWBOX_MEM_REGION_H
#define RAWBOX_MEM_REGION_H

#include <stdint.h>

typedef uint64_t (*io_read_fn)(void *s, uint64_t off, unsigned size);
typedef void (*io_write_fn)(void *s, uint64_t off, uint64_t val, unsigned size);

struct io_handler {
    io_read_fn read;            /* NULL: reads return all ones */
    io_write_fn write;          /* NULL: writes are dropped */
    void *s;
    unsigned sizes;             /* mask of sizes taken whole; 0 means 1 */
};

#endif
