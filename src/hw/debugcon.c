/* Debug console on port 0xE9 (Bochs "port e9 hack", QEMU isa-debugcon).
 *
 * Every byte written goes to the host file unchanged; output is flushed at
 * each newline so a test harness sees lines as they happen. Reads return
 * 0xE9, which is how guests (SeaBIOS among them) detect the port.
 * Wider writes are split into bytes by the I/O bus, as on QEMU.
 * Left out: input (the device has none). */
#include "hw/debugcon.h"

#include <errno.h>
#include <string.h>

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

int debugcon_open(struct debugcon *d, struct iobus *io, uint16_t port, const char *spec,
                  const char *option)
{
    FILE *f;
    bool owns = false;

    if (!spec || strcmp(spec, "none") == 0)
        return 0;
    if (strcmp(spec, "stdio") == 0) {
        f = stdout;
    } else if (strncmp(spec, "file:", 5) == 0 && spec[5]) {
        f = fopen(spec + 5, "w");
        if (!f) {
            fprintf(stderr, "rawbox: %s %s: %s\n", option, spec, strerror(errno));
            return -1;
        }
        owns = true;
    } else {
        fprintf(stderr, "rawbox: %s %s: expected stdio, file:PATH or none\n", option, spec);
        return -1;
    }
    if (debugcon_init(d, io, port, f, owns)) {
        if (owns)
            fclose(f);
        d->f = NULL;
        fprintf(stderr, "rawbox: %s: port 0x%x is taken\n", option, port);
        return -1;
    }
    return 1;
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
