/* System control port A at 0x92 (src/hw/port92.c): bit 1 fast A20 gate,
 * bit 0 fast CPU reset. */
#ifndef RAWBOX_HW_PORT92_H
#define RAWBOX_HW_PORT92_H

#include <stdint.h>
#include "hw/sysctl.h"

struct iobus;
struct savestate;

struct port92 {
    uint8_t val;
    struct sysctl_ops ops;
};

int port92_init(struct port92 *s, struct iobus *bus, const struct sysctl_ops *ops)
    __attribute__((warn_unused_result));
void port92_reset(struct port92 *s);

void port92_save(const struct port92 *s, struct savestate *ss);
int port92_load(struct port92 *s, struct savestate *ss);

#endif
