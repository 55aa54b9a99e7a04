/* Board callbacks for the two system-control signals devices drive on a PC:
 * the A20 gate and the CPU reset line. The i8042 output port and port 0x92
 * each hold a copy; on the PIIX the effective A20 is the OR of both sources
 * (the board keeps one bit per source and ORs them). */
#ifndef RAWBOX_HW_SYSCTL_H
#define RAWBOX_HW_SYSCTL_H

#include <stdbool.h>

struct sysctl_ops {
    void (*set_a20)(void *opaque, bool enabled);    /* this source's A20 output */
    void (*reset)(void *opaque);                    /* pulse CPU reset (reboot) */
    void *opaque;
};

static inline void sysctl_set_a20(const struct sysctl_ops *o, bool on)
{
    if (o && o->set_a20)
        o->set_a20(o->opaque, on);
}

static inline void sysctl_reset(const struct sysctl_ops *o)
{
    if (o && o->reset)
        o->reset(o->opaque);
}

#endif
