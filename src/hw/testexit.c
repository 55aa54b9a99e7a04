/* Test-exit device, QEMU's isa-debug-exit: a write of value V (of any
 * size, at any of its ports) ends rawbox with exit status (V << 1) | 1, so
 * 0 -> 1 and 1 -> 3 and a status of 0 can never come from a guest test.
 * The host truncates the status to 8 bits as exit() does. Reads return 0.
 * QEMU places it at iobase (default 0x501) for iosize ports (default 2);
 * rawbox's board has one at 0xF4, 4 ports, unless --device isa-debug-exit
 * places them (vm/machine.c). */
#include "hw/testexit.h"

static uint64_t testexit_read(void *s, uint64_t off, unsigned size)
{
    return 0;
}

static void testexit_write(void *s, uint64_t off, uint64_t val, unsigned size)
{
    struct testexit *t = s;
    if (t->exit_fn)
        t->exit_fn(t->opaque, (int)(((uint32_t)val << 1) | 1));
}

int testexit_init(struct testexit *t, struct iobus *io, uint16_t port, uint32_t size,
                  void (*exit_fn)(void *opaque, int status), void *opaque)
{
    struct io_handler h = { testexit_read, testexit_write, t, 1 | 2 | 4 };
    t->exit_fn = exit_fn;
    t->opaque = opaque;
    return iobus_register(io, port, size, &h, "isa-debug-exit");
}
