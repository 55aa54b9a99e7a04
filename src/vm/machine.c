/* Board assembly for the current minimal PC (see machine.h).
 *
 * Physical map (as on a PC with the i440FX's PAM registers at reset):
 *   0x00000000-0x0009FFFF  RAM (conventional memory)
 *   0x000A0000-0x000BFFFF  the VGA window (cfg.vga), else unassigned
 *   0x000C0000-...         RAM up to the low BIOS window
 *   0x000E0000-0x000FFFFF  last 128 KiB of the firmware (or all of a
 *                          64 KiB image at 0xF0000-0xFFFFF, RAM below it)
 *   0x00100000-RAM end     extended memory
 *   4 GiB - size .. 4 GiB  the whole firmware image (reset vector at
 *                          0xFFFFFFF0; the CPU starts at F000:FFF0 with
 *                          CS.base 0xFFFF0000)
 * Ports: 0x80 POST codes, 0xE9 debug console, 0xF4-0xF7 test exit (QEMU's
 * isa-debug-exit; --device isa-debug-exit places it elsewhere); the PC
 * devices (PIC, PIT, RTC, UARTs, i8042, PCI, ACPI PM) come from
 * machine_pc.c; fw_cfg (0x510-0x51B) and the firmware log (0x402) from
 * firmware.c.
 *
 * 0xC0000-0xFFFFF is switched between that reset map and shadow RAM by the
 * i440FX PAM registers (src/vm/firmware.c, which also holds fw_cfg).
 *
 * Left out: RAM above 3 GiB. */
#include "vm/machine.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/log.h"
#include "vm/boot.h"
#include "vm/screen.h"

static int load_bios(struct machine *m, const char *path)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t got;

    if (fd < 0) {
        fprintf(stderr, "rawbox: --bios %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        fprintf(stderr, "rawbox: --bios %s: not a regular file\n", path);
        close(fd);
        return -1;
    }
    if (st.st_size < BIOS_MIN_SIZE || st.st_size > BIOS_MAX_SIZE || (st.st_size & 0xfff)) {
        fprintf(stderr, "rawbox: --bios %s: size %lld bytes; a firmware image must be "
                "64 KiB to 1 MiB, a multiple of 4 KiB\n", path, (long long)st.st_size);
        close(fd);
        return -1;
    }
    m->bios_size = (uint32_t)st.st_size;
    m->bios = malloc(m->bios_size);
    if (!m->bios) {
        fprintf(stderr, "rawbox: --bios %s: out of memory\n", path);
        close(fd);
        return -1;
    }
    got = read(fd, m->bios, m->bios_size);
    close(fd);
    if (got != (ssize_t)m->bios_size) {
        fprintf(stderr, "rawbox: --bios %s: short read\n", path);
        return -1;
    }
    return 0;
}

static int map_memory(struct machine *m)
{
    uint64_t ram = m->cfg.ram_size;
    int err = 0;

    err |= physmem_map_ram(&m->mem, 0, ram < 0xA0000 ? ram : 0xA0000, 0, "ram-low");
    /* 0xC0000-0xFFFFF: shadow RAM and the low firmware window, switched by
     * the i440FX PAM registers (firmware.c); ram >= MACHINE_MIN_RAM. */
    err |= firmware_map_init(m);
    if (ram > 0x100000)
        err |= physmem_map_ram(&m->mem, 0x100000, ram - 0x100000, 0x100000, "ram-high");
    if (m->bios) {
        err |= physmem_map_rom(&m->mem, 0x100000000ull - m->bios_size, m->bios_size,
                               m->bios, "bios");
    }
    if (err)
        fprintf(stderr, "rawbox: memory map: cannot lay out %llu bytes of RAM\n",
                (unsigned long long)ram);
    return err ? -1 : 0;
}

static int open_debugcon(struct machine *m)
{
    return debugcon_open(&m->debugcon, &m->io, DEBUGCON_PORT, m->cfg.debugcon, "--debugcon") < 0
        ? -1 : 0;
}

static void on_test_exit(void *opaque, int status)
{
    machine_request_exit(opaque, status);
}

/* The isa-debug-exit devices: the configured ones, else one at 0xF4. */
static int add_test_exits(struct machine *m)
{
    const struct machine_config *c = &m->cfg;
    if (c->ndebug_exit == 0)
        return testexit_init(&m->testexit[0], &m->io, TESTEXIT_PORT, TESTEXIT_SIZE,
                             on_test_exit, m);
    for (int i = 0; i < c->ndebug_exit && i < MACHINE_MAX_DEBUG_EXIT; i++)
        if (testexit_init(&m->testexit[i], &m->io, c->debug_exit[i].base, c->debug_exit[i].size,
                          on_test_exit, m))
            return -1;
    return 0;
}

int machine_init(struct machine *m, const struct machine_config *cfg)
{
    memset(m, 0, sizeof *m);
    m->cfg = *cfg;
    if (!m->cfg.ram_size)
        m->cfg.ram_size = MACHINE_DEFAULT_RAM;
    m->cfg.ram_size = (m->cfg.ram_size + PAGE_SIZE - 1) & PAGE_MASK;

    if (m->cfg.bios && load_bios(m, m->cfg.bios) < 0)
        goto fail;
    if (physmem_init(&m->mem, m->cfg.ram_size) < 0) {
        fprintf(stderr, "rawbox: -m %llu: cannot allocate guest RAM: %s\n",
                (unsigned long long)m->cfg.ram_size, strerror(errno));
        goto fail_bios;
    }
    if (m->cfg.vga > 0 && physmem_alloc_device_ram(&m->mem, VGA_VRAM_SIZE, &m->vram_off) < 0) {
        fprintf(stderr, "rawbox: --vga: cannot allocate %u MiB of video memory: %s\n",
                VGA_VRAM_SIZE >> 20, strerror(errno));
        goto fail_mem;
    }
    if (iobus_init(&m->io) < 0) {
        fprintf(stderr, "rawbox: I/O bus: out of memory\n");
        goto fail_mem;
    }
    m->inited = true;
    if (map_memory(m) < 0)
        goto fail_all;
    clock_init(&m->clock);

    /* Ports of the minimal board. */
    if (post_init(&m->post, &m->io, POST_PORT) ||
        add_test_exits(m)) {
        fprintf(stderr, "rawbox: board: I/O port conflict\n");
        goto fail_all;
    }
    if (open_debugcon(m) < 0)
        goto fail_all;

    cpu_init(&m->cpu, &m->mem, &m->io);
    if (m->cfg.cpu_model)
        m->cpu.model = *m->cfg.cpu_model;
    cpu_reset(&m->cpu);
    if (machine_pc_init(m) < 0 || firmware_init(m) < 0 || screen_open(m) < 0)
        goto fail_all;
    return 0;

fail_all:
    machine_free(m);
    return -1;
fail_mem:
    physmem_free(&m->mem);
fail_bios:
    free(m->bios);
    m->bios = NULL;
fail:
    return -1;
}

void machine_cleanup(struct machine *m)
{
    while (m->nr_cleanup > 0) {
        m->nr_cleanup--;
        m->cleanup_hooks[m->nr_cleanup].fn(m->cleanup_hooks[m->nr_cleanup].opaque);
    }
    debugcon_flush(&m->debugcon);
}

void machine_free(struct machine *m)
{
    if (!m->inited)
        return;
    machine_cleanup(m);
    debugcon_free(&m->debugcon);
    firmware_free(m);
    machine_pc_free(m);
    if (m->cpu.mem)
        cpu_free(&m->cpu);
    iobus_free(&m->io);
    physmem_free(&m->mem);
    free(m->bios);
    m->bios = NULL;
    boot_forget(m);
    m->inited = false;
}

void machine_reset(struct machine *m)
{
    m->resets++;
    m->powered_off = false;
    LOG(LOG_HW, "machine reset #%llu", (unsigned long long)m->resets);
    physmem_set_a20(&m->mem, true);
    for (int i = 0; i < m->nr_reset; i++)
        m->reset_hooks[i].fn(m->reset_hooks[i].opaque);
    cpu_reset(&m->cpu);
}

void machine_request_exit(struct machine *m, int status)
{
    if (!m->exit_requested) {
        m->exit_requested = true;
        m->exit_status = status;
    }
    cpu_request_exit(&m->cpu, CPU_EXIT_STOP);
}

int machine_add_reset(struct machine *m, machine_hook_fn fn, void *opaque)
{
    if (m->nr_reset >= MACHINE_MAX_HOOKS)
        return -1;
    m->reset_hooks[m->nr_reset].fn = fn;
    m->reset_hooks[m->nr_reset].opaque = opaque;
    m->nr_reset++;
    return 0;
}

int machine_add_cleanup(struct machine *m, machine_hook_fn fn, void *opaque)
{
    if (m->nr_cleanup >= MACHINE_MAX_HOOKS)
        return -1;
    m->cleanup_hooks[m->nr_cleanup].fn = fn;
    m->cleanup_hooks[m->nr_cleanup].opaque = opaque;
    m->nr_cleanup++;
    return 0;
}

int machine_add_poll(struct machine *m, int fd, machine_poll_fn fn, void *opaque)
{
    if (m->nr_polls >= MACHINE_MAX_HOOKS || fd < -1)
        return -1;
    m->polls[m->nr_polls].fd = fd;
    m->polls[m->nr_polls].fn = fn;
    m->polls[m->nr_polls].opaque = opaque;
    m->nr_polls++;
    return 0;
}
