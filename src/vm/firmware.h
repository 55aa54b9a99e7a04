/* What real PC firmware (SeaBIOS) needs from the board, beyond the devices
 * (src/vm/firmware.c): the shadow RAM under the BIOS window that the
 * i440FX PAM registers switch, QEMU's fw_cfg filled with the machine's
 * configuration, and the firmware debug port 0x402.
 *
 * machine.c calls firmware_map_init() while it lays out memory (instead of
 * mapping 0xC0000-0xFFFFF itself), firmware_init() once the devices exist,
 * and firmware_free() on the way out; the PC board's PAM callback calls
 * firmware_pam(). */
#ifndef RAWBOX_VM_FIRMWARE_H
#define RAWBOX_VM_FIRMWARE_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/debugcon.h"
#include "hw/fwcfg.h"

struct machine;

#define FIRMWARE_LOG_PORT 0x402     /* SeaBIOS's debug port on QEMU */
#define SHADOW_BASE  0xC0000u
#define SHADOW_END   0x100000u
/* 13 PAM segments, each at most two pieces (the part below the low
 * firmware window is RAM when PAM says "off", the part inside it ROM). */
#define SHADOW_MAX_PIECES 26

struct shadow_piece {
    struct machine *m;
    uint32_t base, size;
    const uint8_t *rom;         /* firmware bytes behind it; NULL: RAM when off */
    uint8_t mode;               /* PAM_READ_RAM | PAM_WRITE_RAM */
};

struct firmware {
    struct shadow_piece piece[SHADOW_MAX_PIECES];
    int npieces;
    struct fwcfg fwcfg;
    struct debugcon log;        /* port 0x402, only with --firmware-log */
    bool fwcfg_up, log_up;
};

/* Map 0xC0000-0xFFFFF as PAM "off" (reset) state: RAM below the low
 * firmware window, the firmware's last bytes inside it. -1 on failure. */
int firmware_map_init(struct machine *m) __attribute__((warn_unused_result));
/* Route [base, base+size) (whole pieces) as PAM mode `mode` says. */
void firmware_pam(struct machine *m, uint32_t base, uint32_t size, unsigned mode);
/* fw_cfg with the machine's items, the 0x402 log. Prints
 * "rawbox: <what>: <why>" and returns -1 on failure. */
int firmware_init(struct machine *m) __attribute__((warn_unused_result));
void firmware_free(struct machine *m);

#endif
