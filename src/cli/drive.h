/* Drive and boot options of `rawbox run` (src/cli/drive.c): --disk,
 * --cdrom, QEMU's -hda..-hdd, -cdrom, -drive and -boot / --boot. */
#ifndef RAWBOX_CLI_DRIVE_H
#define RAWBOX_CLI_DRIVE_H

#include "vm/machine.h"

/* `opt` is the option as the user spelled it ("--disk", "-hda", "-drive");
 * `index` the fixed IDE index (-1: the board places it). Returns NULL or
 * why the value is bad (a static buffer). The files are opened when the
 * machine is built. */
const char *cli_disk_add(struct machine_config *cfg, const char *opt, const char *spec);
const char *cli_cdrom_add(struct machine_config *cfg, const char *opt, const char *file,
                          int index);
const char *cli_hd_add(struct machine_config *cfg, const char *opt, const char *file, int index);
const char *cli_drive_add(struct machine_config *cfg, const char *spec);
/* order=LETTERS,menu=on|off (or a bare order, as -boot d). */
const char *cli_boot_set(struct machine_config *cfg, const char *spec);

#endif
