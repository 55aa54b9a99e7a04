/* The board: guest RAM, firmware ROM, port devices and the vCPU, built from
 * a machine_config (src/vm/machine.c). The run loop (src/vm/loop.c) drives
 * it; the CLI fills the config.
 *
 * Extending: a new device gets its state in struct machine, is created in
 * machine_init() next to the others (one line per device, addresses and IRQ
 * numbers in one screenful), and registers a reset hook if it has state a
 * machine reset must clear. Host file descriptors the loop should watch
 * while the guest idles (a terminal, a socket) are added with
 * machine_add_poll(); things that must be undone on every way out (the
 * terminal mode) with machine_add_cleanup(). */
#ifndef RAWBOX_VM_MACHINE_H
#define RAWBOX_VM_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "hw/debugcon.h"
#include "mem/iobus.h"
#include "hw/post.h"
#include "hw/testexit.h"
#include "mem/physmem.h"
#include "ui/display.h"
#include "vm/clock.h"
#include "vm/firmware.h"
#include "vm/machine_pc.h"

#define MACHINE_DEFAULT_RAM  (128ull << 20)
#define MACHINE_MIN_RAM      (1ull << 20)
#define MACHINE_MAX_RAM      (3ull << 30)   /* below the PCI hole, no high RAM yet */
#define BIOS_MIN_SIZE        (64u << 10)
#define BIOS_MAX_SIZE        (1u << 20)
#define BIOS_LOW_WINDOW      (128u << 10)   /* also visible below 1 MiB */
#define MACHINE_MAX_FW_CFG   16             /* --fw-cfg options */
#define MACHINE_MAX_DEBUG_EXIT 4            /* --device isa-debug-exit */
#define MACHINE_MAX_DRIVES   4              /* IDE: 2 channels x master/slave */
/* The firmware `rawbox run` boots disks with when no --bios is given. */
#define MACHINE_DEFAULT_BIOS "/usr/share/seabios/bios-256k.bin"

/* A drive on the IDE controller (--disk, --cdrom, -hda, -drive). */
struct machine_drive {
    const char *opt;            /* the option, for messages ("--disk") */
    const char *file;           /* NULL: a CD-ROM drive without a disc */
    const char *format;         /* NULL: probe */
    bool cdrom, readonly;
    int cache;                  /* block_open cache flags (cache=) */
    int index;                  /* channel * 2 + unit; -1: the board places it */
};

struct machine_config {
    uint64_t ram_size;
    const char *bios;           /* firmware image path */
    const char *debugcon;       /* NULL (off), "stdio", "file:PATH" */
    /* COM1, COM2 backends (src/ui/chardev.h): "stdio", "file:PATH",
     * "tcp:HOST:PORT", "none"; NULL = none. */
    const char *serial[MACHINE_SERIAL_PORTS];
    /* --monitor: "unix:PATH" (src/vm/monitor.h), or NULL. */
    const char *monitor;
    /* --display: "none" (or NULL), "sdl", "curses", "vnc=[HOST]:N"
     * (src/ui/frontend.h; src/vm/screen.c shows m->screen there). */
    const char *display;
    const char *firmware_log;   /* port 0x402 (SeaBIOS debug): as debugcon */
    /* fw_cfg "etc/boot-fail-wait" (QEMU -boot reboot-timeout): ms before
     * the firmware retries booting; -1 = never. Only with has_reboot_timeout. */
    bool has_reboot_timeout;
    int64_t reboot_timeout_ms;
    /* Extra fw_cfg files, QEMU -fw_cfg syntax: "name=NAME,file=PATH" or
     * "name=NAME,string=TEXT" (e.g. name=vgaroms/vgabios.bin,file=...). */
    const char *fw_cfg[MACHINE_MAX_FW_CFG];
    int nfw_cfg;
    /* Report the local APIC in CPUID and describe both APICs in an ACPI
     * MADT (rawbox run sets it unless --no-apic). The devices exist
     * either way. */
    bool apic;
    /* The HPET at 0xFED00000 and its ACPI HPET table (rawbox run sets it
     * unless --no-hpet); without it the device is absent. */
    bool hpet;
    /* --kernel-unpack: decompress a bzImage payload on the host and enter
     * the kernel directly (src/vm/boot.c). */
    bool kernel_unpack;
    /* -no-reboot: a guest reset (reboot, triple fault) ends the run
     * (status 0) instead of resetting the board. -no-shutdown: a guest
     * power-off stops the vCPU and leaves rawbox running (QEMU's flags). */
    bool no_reboot, no_shutdown;
    /* --device isa-debug-exit,iobase=B,iosize=S (src/cli/device.c): the
     * test-exit ports. None given: one at 0xF4, 4 ports (the board's
     * default, which rawbox's guest tests use); given: only those. */
    struct { uint16_t base; uint32_t size; } debug_exit[MACHINE_MAX_DEBUG_EXIT];
    int ndebug_exit;
    /* --device pc-testdev: QEMU's test device (machine_pc.c). */
    bool pc_testdev;
    /* IDE drives. Placement of the ones without an index, as QEMU's pc:
     * disks on 0, 1, 3 (primary master, slave, secondary slave), CD-ROMs
     * on 2 (secondary master), then whatever is free. */
    struct machine_drive drives[MACHINE_MAX_DRIVES];
    int ndrives;
    /* Firmware boot order, QEMU -boot order= letters (a floppy, c disk,
     * d CD-ROM, n network); NULL: the default "cad". Becomes the CMOS boot
     * bytes and the fw_cfg "bootorder" file of device paths. */
    const char *boot_order;
    bool boot_menu;             /* fw_cfg BOOT_MENU: SeaBIOS offers F12 */
    /* --virtio-disk FILE[,format=F][,readonly=on]: virtio-blk PCI
     * functions at 00:04.0, 00:05.0, ... (machine_pc.c). Strings owned
     * by the caller. */
    struct { char *path; char *format; bool readonly; int cache; } virtio_disks[MACHINE_MAX_VIRTIO_DISKS];
    int nvirtio_disks;
    /* The vCPU's model (--cpu, src/cpu/cpu_model.c); NULL: the default. */
    const struct cpu_model *cpu_model;
    /* --vga: 1 = QEMU's std VGA at 00:02.0 (hw/vga.h), 0 or -1 = none.
     * `rawbox run` turns -1 (not given) into 1 for firmware boots and 0
     * for --kernel boots. */
    int vga;
    /* A display frontend shows the screen (QEMU without -nographic): fw_cfg
     * NOGRAPHIC is 0 and SeaBIOS keeps its screen off COM1. */
    bool graphic;
};

typedef void (*machine_hook_fn)(void *opaque);
/* A host fd is readable: the callback reads it (and may raise IRQs). */
typedef void (*machine_poll_fn)(void *opaque, int fd);

#define MACHINE_MAX_HOOKS 32

struct machine {
    struct machine_config cfg;
    struct physmem mem;
    struct iobus io;
    struct clock clock;
    struct cpu cpu;

    uint8_t *bios;              /* firmware image, mapped as ROM */
    uint32_t bios_size;

    struct debugcon debugcon;
    struct testexit testexit[MACHINE_MAX_DEBUG_EXIT];
    struct post post;
    struct machine_pc pc;       /* PIC, PIT, RTC, UARTs, ... (machine_pc.c) */
    struct firmware fw;         /* shadow RAM, fw_cfg, 0x402 log (firmware.c) */
    /* The display adapter (NULL: none) and the screen the display
     * frontends and the monitor's screendump read (update or opaque NULL:
     * none; a frontend then shows a blank screen). */
    struct vga *vga;
    uint64_t vram_off;          /* its VRAM in the RAM memfd */
    struct display_source screen;
    struct screen_ui *screen_ui;    /* the --display frontend (vm/screen.c) */

    /* The guest powered off under -no-shutdown: the vCPU no longer runs;
     * the loop only waits for host input (the console's quit key) or a
     * signal. A board reset clears it. */
    bool powered_off;
    /* The monitor's stop (until cont) and system_reset (done by the loop
     * at its next turn, also while paused). */
    bool paused, reset_requested;
    /* An image's aio worker finished a request (set from its thread,
     * pc_io_kick): the loop polls the host fds at once. */
    int io_kick;
    /* Set by devices (test-exit, poweroff) to end the run loop. */
    bool exit_requested;
    int exit_status;
    /* Set when some device can raise an NMI, so a HLT with IF=0 may end. */
    bool nmi_source;
    uint64_t resets;
    /* The --kernel files, loaded again when the guest reboots without
     * firmware (src/vm/boot.c). */
    struct { char *kernel, *initrd, *append; } boot;

    struct { machine_hook_fn fn; void *opaque; } reset_hooks[MACHINE_MAX_HOOKS],
        cleanup_hooks[MACHINE_MAX_HOOKS];
    int nr_reset, nr_cleanup;
    struct { int fd; machine_poll_fn fn; void *opaque; } polls[MACHINE_MAX_HOOKS];
    int nr_polls;
    bool inited;
};

/* Build the board. On failure prints one line "rawbox: <what>: <why>" on
 * stderr, frees what was built and returns -1. */
int machine_init(struct machine *m, const struct machine_config *cfg)
    __attribute__((warn_unused_result));
/* Runs the cleanup hooks (in reverse order) and frees everything. */
void machine_free(struct machine *m);
/* CPU reset plus every device's reset hook (guest reboot, triple fault). */
void machine_reset(struct machine *m);
/* End the run loop with `status` at the next instruction boundary. */
void machine_request_exit(struct machine *m, int status);

int machine_add_reset(struct machine *m, machine_hook_fn fn, void *opaque)
    __attribute__((warn_unused_result));
int machine_add_cleanup(struct machine *m, machine_hook_fn fn, void *opaque)
    __attribute__((warn_unused_result));
/* fd -1 registers a slot not watched yet: its owner sets polls[i].fd
 * later (a negative fd is skipped by poll()). */
int machine_add_poll(struct machine *m, int fd, machine_poll_fn fn, void *opaque)
    __attribute__((warn_unused_result));
/* Run the cleanup hooks now (idempotent); for exit paths that skip free. */
void machine_cleanup(struct machine *m);

#endif
