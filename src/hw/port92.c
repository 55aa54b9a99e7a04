/* System control port A, 0x92 (PIIX3 datasheet, "Port 92h"; IBM PS/2
 * technical reference). Bit 1 drives this source of the A20 gate; a 0->1
 * transition of bit 0 pulses CPU reset (bit 0 then reads back 0, as after
 * the reset the register is cleared). Other bits are stored and ignored. */
#include "hw/port92.h"

#include <string.h>
#include "mem/iobus.h"
#include "util/savestate.h"

static uint64_t p92_read(void *o, uint64_t off, unsigned size)
{
    struct port92 *s = o;
    return s->val;
}

static void p92_write(void *o, uint64_t off, uint64_t v, unsigned size)
{
    struct port92 *s = o;
    uint8_t old = s->val;
    s->val = (uint8_t)v & ~1u;
    if ((old ^ s->val) & 2)
        sysctl_set_a20(&s->ops, (s->val & 2) != 0);
    if (v & 1)
        sysctl_reset(&s->ops);
}

void port92_reset(struct port92 *s)
{
    s->val = 0;
}

int port92_init(struct port92 *s, struct iobus *bus, const struct sysctl_ops *ops)
{
    memset(s, 0, sizeof *s);
    if (ops)
        s->ops = *ops;
    port92_reset(s);
    const struct io_handler h = { p92_read, p92_write, s, 1 };
    return iobus_register(bus, 0x92, 1, &h, "port92") ? -1 : 0;
}

#define PORT92_SS_VERSION 1

void port92_save(const struct port92 *s, struct savestate *ss)
{
    ss_section_begin(ss, "port92", PORT92_SS_VERSION);
    ss_put(ss, "val", s->val);
    ss_section_end(ss);
}

int port92_load(struct port92 *s, struct savestate *ss)
{
    uint8_t v;
    if (ss_section_open(ss, "port92", 1, PORT92_SS_VERSION, NULL) ||
        ss_get_u8(ss, "val", 0xfe, &v))
        return -1;
    if (v & 1)
        return ss_fail(ss, "val", "has the reset bit set");
    s->val = v;
    sysctl_set_a20(&s->ops, (v & 2) != 0);
    return 0;
}
