/* `--device NAME[,PROP=VALUE...]`: QEMU's test devices, spelled as QEMU
 * users spell them (src/cli/device.c). */
#ifndef RAWBOX_CLI_DEVICE_H
#define RAWBOX_CLI_DEVICE_H

#include <stdio.h>
#include "vm/machine.h"

/* Add the device `spec` describes to cfg. Returns NULL, or why the spec is
 * bad (one line that lists what exists; points into a static buffer). */
const char *cli_device_add(struct machine_config *cfg, const char *spec);
/* The list `--device help` prints. */
void cli_device_help(FILE *f);

#endif
