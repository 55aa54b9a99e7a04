/* The PC devices of the board (src/vm/machine_pc.c): PICs, PIT, RTC, two
 * UARTs with their host backends, i8042, port 0x92, PCI (i440FX + PIIX3),
 * the ACPI PM block and the x87 FERR#/IGNNE# logic. machine_init() builds
 * them after the RAM, ROM and CPU; struct machine holds them in `pc`. */
#ifndef RAWBOX_VM_MACHINE_PC_H
#define RAWBOX_VM_MACHINE_PC_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/acpi_pm.h"
#include "hw/hpet.h"
#include "hw/i440fx.h"
#include "hw/i8042.h"
#include "hw/ide.h"
#include "hw/pc_testdev.h"
#include "hw/ioapic.h"
#include "hw/lapic.h"
#include "hw/pci.h"
#include "hw/vga.h"
#include "hw/pic.h"
#include "hw/piix3.h"
#include "hw/pit.h"
#include "hw/port92.h"
#include "hw/rtc.h"
#include "hw/uart.h"
#include "hw/virtio_blk.h"
#include "ui/chardev.h"

struct machine;

/* The ACPI PM block src/boot/acpi.c describes to a directly booted kernel
 * (PIIX4-style layout, see hw/acpi_pm.h); SLP_TYP 0 is soft-off (S5), as
 * on the PIIX4. */
#define MACHINE_ACPI_PM_BASE    0xB000
#define MACHINE_ACPI_SCI_IRQ    9
#define MACHINE_ACPI_S5_SLP_TYP 0

#define MACHINE_MAX_VIRTIO_DISKS 4  /* --virtio-disk: PCI 00:04.0 - 00:07.0 */
#define MACHINE_VIRTIO_FIRST_SLOT 4
#define MACHINE_SERIAL_PORTS 2  /* COM1 0x3F8 IRQ4, COM2 0x2F8 IRQ3 */
#define MACHINE_FERR_PORT 0xF0  /* write: clear IRQ13, assert IGNNE# */
#define MACHINE_VGA_SLOT 2      /* QEMU's pc puts -vga std at 00:02.0 */
/* The VGA BIOS the std VGA's ROM BAR holds (Debian package seabios). */
#define MACHINE_VGA_BIOS "/usr/share/seabios/vgabios-stdvga.bin"

struct machine_pc {
    struct pic pic;
    struct lapic lapic;         /* the CPU's local APIC, 0xFEE00000 */
    struct ioapic ioapic;       /* 0xFEC00000 */
    struct hpet hpet;           /* 0xFED00000, when cfg.hpet */
    bool has_hpet;
    struct pit pit;
    struct rtc rtc;
    struct uart uart[MACHINE_SERIAL_PORTS];
    struct chardev serial[MACHINE_SERIAL_PORTS];
    struct i8042 kbc;
    struct port92 port92;
    struct pci_bus pci;
    struct i440fx i440fx;
    struct piix3 piix3;
    struct ide_ctrl ide;        /* 00:01.1, 0x1F0/0x170, IRQ 14/15 */
    struct acpi_pm pm;
    struct pc_testdev testdev;  /* --device pc-testdev (cfg.pc_testdev) */
    struct vga vga;             /* 00:02.0 when cfg.vga (m->vga points here) */
    /* --virtio-disk: the devices (each owns its image). */
    struct virtio_blk vblk[MACHINE_MAX_VIRTIO_DISKS];
    int nvblk;
    bool a20_kbc, a20_port92;   /* the two A20 sources, ORed */
    /* m->polls[] slots watching each serial backend's fds (-1: none). */
    int poll_slot[MACHINE_SERIAL_PORTS][CHARDEV_MAX_FDS];
    bool built;
    bool started;               /* the run loop has polled: console is raw */
};

/* Build the PC devices into m (RAM, clock, I/O bus and CPU exist). Prints
 * "rawbox: <what>: <why>" and returns -1 on failure; machine_free() then
 * undoes what was done. */
int machine_pc_init(struct machine *m) __attribute__((warn_unused_result));
void machine_pc_free(struct machine *m);
/* Point the poll slots at the backends' current fds, leaving out a port
 * whose receiver is full (the run loop calls this before each poll; the
 * first call puts a terminal console in raw mode). */
void machine_pc_sync_polls(struct machine *m);
/* The 8259 pair as a PC BIOS leaves it (vectors 0x08 and 0x70), for a
 * kernel booted without firmware. */
void machine_pc_direct_boot(struct machine *m);

#endif
