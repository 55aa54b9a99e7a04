/* The I/O port space (see iobus.h).
 *
 * A 64 KiB map gives each port the index (+1) of the range that owns it, so
 * dispatch is one table load. An access a device takes whole (its `sizes`
 * mask lists the size, the access is aligned to it and lies inside the
 * range) is passed on as one call with the offset inside the range.
 * Otherwise a 16/32-bit access is split into two halves at consecutive
 * ports, each dispatched again: on the ISA bus an 8-bit device sees a word
 * access as two byte cycles, and the halves may belong to different
 * devices (e.g. OUT DX, AX to 0x3F8 writes 0x3F8 and 0x3F9). Ports wrap at
 * 0xFFFF like the 16-bit port address does.
 *
 * Unassigned ports read all ones (the bus floats high) and drop writes;
 * both are logged under LOG_IO.
 *
 * Left out: the I/O permission bitmap and IOPL checks (the CPU does them
 * before calling here), PCI bus-master port decoding. */
#include "mem/iobus.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

#define NPORTS 65536u

int iobus_init(struct iobus *b)
{
    memset(b, 0, sizeof *b);
    b->map = calloc(NPORTS, 1);
    return b->map ? 0 : -1;
}

void iobus_free(struct iobus *b)
{
    free(b->map);
    b->map = NULL;
    b->nr = 0;
}

int iobus_register(struct iobus *b, uint16_t base, uint32_t len,
                   const struct io_handler *h, const char *name)
{
    int slot = -1;

    if (len == 0 || base + len > NPORTS)
        return -1;
    for (uint32_t p = base; p < base + len; p++) {
        if (b->map[p]) {
            const struct io_range *o = &b->r[b->map[p] - 1];
            log_err("I/O map: %s at 0x%x+%u overlaps %s at 0x%x+%u",
                    name, base, len, o->name, o->base, o->len);
            return -1;
        }
    }
    for (int i = 0; i < b->nr; i++) {
        if (b->r[i].len == 0) {
            slot = i;
            break;
        }
    }
    if (slot < 0) {
        if (b->nr >= IOBUS_MAX_RANGES || b->nr >= 255)
            return -1;
        slot = b->nr++;
    }
    b->r[slot] = (struct io_range){ .base = base, .len = len, .h = *h, .name = name };
    memset(b->map + base, slot + 1, len);
    return 0;
}

void iobus_unregister(struct iobus *b, uint16_t base)
{
    for (int i = 0; i < b->nr; i++) {
        struct io_range *r = &b->r[i];
        if (r->len && r->base == base) {
            memset(b->map + r->base, 0, r->len);
            r->len = 0;
            return;
        }
    }
}

/* True when no port of [port, port+size) is assigned. */
static bool unassigned(const struct iobus *b, uint16_t port, unsigned size)
{
    for (unsigned k = 0; k < size; k++)
        if (b->map[(uint16_t)(port + k)])
            return false;
    return true;
}

static uint32_t size_mask(unsigned size)
{
    return size >= 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}

/* The range that takes [port, port+size) whole, or NULL. */
static const struct io_range *whole(const struct iobus *b, uint16_t port, unsigned size)
{
    const struct io_range *r;
    unsigned sizes;

    if (!b->map[port])
        return NULL;
    r = &b->r[b->map[port] - 1];
    sizes = r->h.sizes ? r->h.sizes : 1;
    if (size == 1)
        return r;
    if (!(sizes & size) || (port & (size - 1)) || (uint32_t)port + size > r->base + r->len)
        return NULL;
    return r;
}

uint32_t iobus_in(struct iobus *b, uint16_t port, unsigned size)
{
    const struct io_range *r;

    if (size != 1 && size != 2 && size != 4)
        return ~0u;
    r = whole(b, port, size);
    if (r) {
        if (!r->h.read)
            return size_mask(size);
        return (uint32_t)r->h.read(r->h.s, (uint16_t)(port - r->base), size) & size_mask(size);
    }
    if (unassigned(b, port, size)) {
        LOG(LOG_IO, "in%u from unassigned port 0x%04x", size * 8, port);
        return size_mask(size);
    }
    unsigned half = size / 2;
    uint32_t lo = iobus_in(b, port, half);
    uint32_t hi = iobus_in(b, (uint16_t)(port + half), half);
    return lo | (hi << (half * 8));
}

void iobus_out(struct iobus *b, uint16_t port, uint32_t val, unsigned size)
{
    const struct io_range *r;

    if (size != 1 && size != 2 && size != 4)
        return;
    val &= size_mask(size);
    r = whole(b, port, size);
    if (r) {
        if (r->h.write)
            r->h.write(r->h.s, (uint16_t)(port - r->base), val, size);
        return;
    }
    if (unassigned(b, port, size)) {
        LOG(LOG_IO, "out%u 0x%x to unassigned port 0x%04x", size * 8, val, port);
        return;
    }
    unsigned half = size / 2;
    iobus_out(b, port, val & size_mask(half), half);
    iobus_out(b, (uint16_t)(port + half), val >> (half * 8), half);
}
