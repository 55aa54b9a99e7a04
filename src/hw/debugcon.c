/* Debug console on port 0xE9 (Bochs "port e9 hack", QEMU isa-debugcon).
 *
 * Every byte written goes to the host file unchanged; output is flushed at
 * each newline so a test harness sees lines as they happen. Reads return
 * 0xE9, which is how guests (SeaBIOS among them) detect the port.
 * Wider writes are split into bytes by the I/O bus, as on QEMU.
 * Left out: input (the device has none). */
#include "hw/debugcon.h"

static uint64_t debugcon_read(void *s, uint64_t off, unsigned size)
{
    return DEBUGCON_PORT;
}

static void debugcon_write(void *s, uint64_t off, uint64_t val, unsigned size)
{
    struct debugcon *d = s;
    if (!d->f)
        return;
    fputc((int)(val & 0xff), d->f);
    d->bytes++;
    if ((val & 0xff) == '\n')
        fflush(d->f);
}

int debugcon_init(struct debugcon *d, struct iobus *io, uint16_t port, FILE *f, bool owns)
{
    struct io_handler h = { debugcon_read, debugcon_write, d, 1 };
    d->f = f;
    d->owns = owns;
    d->bytes = 0;
    return iobus_register(io, port, 1, &h, "debugcon");
}

void debugcon_flush(struct debugcon *d)
{
    if (d->f)
        fflush(d->f);
}

void debugcon_free(struct debugcon *d)
{
    if (d->f) {
        fflush(d->f);
        if (d->owns)
            fclose(d->f);
    }
    d->f = NULL;
}
