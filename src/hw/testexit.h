/* Test-exit device: QEMU's isa-debug-exit. A write ends the VM with an exit
 * status. See testexit.c. */
#ifndef RAWBOX_HW_TESTEXIT_H
#define RAWBOX_HW_TESTEXIT_H

#include <stdint.h>
#include "mem/iobus.h"

/* The board's own one (rawbox's guest tests, kvm-unit-tests' x86/run). */
#define TESTEXIT_PORT 0xF4
#define TESTEXIT_SIZE 4
/* QEMU's defaults for `-device isa-debug-exit` without properties. */
#define TESTEXIT_QEMU_IOBASE 0x501
#define TESTEXIT_QEMU_IOSIZE 2

struct testexit {
    /* Called with the exit status; the board ends the run loop. */
    void (*exit_fn)(void *opaque, int status);
    void *opaque;
};

/* Ports [port, port + size); port + size <= 0x10000. */
int testexit_init(struct testexit *t, struct iobus *io, uint16_t port, uint32_t size,
                  void (*exit_fn)(void *opaque, int status), void *opaque)
    __attribute__((warn_unused_result));

#endif
