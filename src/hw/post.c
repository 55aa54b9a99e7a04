/* POST diagnostic port 0x80. A PC's firmware writes a byte here at each
 * step of its power-on self test; a POST card shows the last one, which is
 * what tells you where a boot stopped. We keep the last code and a short
 * history, log each code under LOG_POST (--log post), and let the board
 * print the recent codes when a run ends badly.
 *
 * Linux uses writes to 0x80 as an I/O delay (outb_p), so the port must
 * accept any value silently. Reads return the last code, as on boards whose
 * chipset latches it; QEMU returns all ones here, which no guest relies on.
 * Wider accesses are split into bytes by the bus (0x81.. are DMA page
 * registers on a full PC and belong to another device). */
#include "hw/post.h"

#include <stdio.h>
#include <string.h>

#include "util/log.h"

static uint64_t post_read(void *s, uint64_t off, unsigned size)
{
    const struct post *p = s;
    return p->last;
}

static void post_write(void *s, uint64_t off, uint64_t val, unsigned size)
{
    struct post *p = s;
    p->last = (uint8_t)val;
    p->history[p->count % POST_HISTORY] = (uint8_t)val;
    p->count++;
    LOG(LOG_POST, "POST code 0x%02x", (unsigned)(uint8_t)val);
}

int post_init(struct post *p, struct iobus *io, uint16_t port)
{
    struct io_handler h = { post_read, post_write, p, 1 };
    post_reset(p);
    return iobus_register(io, port, 1, &h, "post");
}

void post_reset(struct post *p)
{
    memset(p, 0, sizeof *p);
}

void post_format_recent(const struct post *p, char *buf, unsigned len)
{
    uint64_t n = p->count < POST_HISTORY ? p->count : POST_HISTORY;
    unsigned used = 0;

    if (len)
        buf[0] = 0;
    for (uint64_t k = p->count - n; k < p->count && used + 6 < len; k++)
        used += (unsigned)snprintf(buf + used, len - used, "%s0x%02x", used ? " " : "",
                                   p->history[k % POST_HISTORY]);
}
