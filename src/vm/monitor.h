/* The monitor (src/vm/monitor.c): QEMU's human monitor commands, on a
 * unix socket (--monitor unix:PATH, also QEMU's -monitor
 * unix:PATH,server,nowait) and on the terminal (Ctrl-A C).
 *
 *   help                 list the commands
 *   info status          running / paused / paused (shutdown)
 *   info registers       the vCPU's registers
 *   stop, cont (c)       pause and resume the vCPU
 *   system_reset         reset the board (a paused VM stays paused)
 *   system_powerdown     press the ACPI power button
 *   sendkey KEYS [MS]    press KEYS (QEMU names joined by '-', e.g.
 *                        ctrl-alt-delete), then release them
 *   screendump FILE      (no display device yet: says so)
 *   quit (q)             end rawbox
 * Commands run on the run loop's thread, between the vCPU's slices. */
#ifndef RAWBOX_VM_MONITOR_H
#define RAWBOX_VM_MONITOR_H

#include <stddef.h>

struct machine;

/* Where a command's reply goes. */
typedef void (*monitor_out_fn)(void *ctx, const char *text);

/* Listen on spec ("unix:PATH[,server][,nowait]", "none"). Returns 0, or
 * -1 with err set. The socket is removed when the machine is freed. */
int monitor_open(struct machine *m, const char *spec, char *err, size_t errlen);
/* Run one command line; the reply (lines ending in '\n') goes to out. */
void monitor_command(struct machine *m, const char *line, monitor_out_fn out, void *ctx);

#endif
