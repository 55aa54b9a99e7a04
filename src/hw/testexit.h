/* Test-exit device: a write ends the VM with an exit status, as QEMU's
 * isa-debug-exit (iobase 0xF4, iosize 4). See testexit.c. */
#ifndef RAWBOX_HW_TESTEXIT_H
#define RAWBOX_HW_TESTEXIT_H

#include <stdint.h>
#include "mem/iobus.h"

#define TESTEXIT_PORT 0xF4

struct testexit {
    /* Called with the exit status; the board ends the run loop. */
    void (*exit_fn)(void *opaque, int status);
    void *opaque;
};

int testexit_init(struct testexit *t, struct iobus *io, uint16_t port,
                  void (*exit_fn)(void *opaque, int status), void *opaque)
    __attribute__((warn_unused_result));

#endif
