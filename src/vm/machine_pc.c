/* The PC platform of the board, as a schematic: every device with its ports
 * and IRQ in one screenful (pc_build), then the glue the devices cannot do
 * themselves: the CPU's INTR and INTA, the two A20 sources, reset requests,
 * the ACPI sleep request, the x87 error logic and the serial backends.
 *
 *   ports        device                       IRQ (8259 input; I/O APIC pin)
 *   0x20, 0xA0   8259A PIC pair, ELCR 0x4D0   INT -> local APIC LINT0
 *   0xFEE00000   local APIC (MMIO, IA32_APIC_BASE)  -> CPU INTR/NMI, INTA
 *   0xFEC00000   I/O APIC, 24 pins (MMIO)     messages -> local APIC
 *   0xFED00000   HPET, 3 timers (MMIO, cfg.hpet)  Tn_INT_ROUTE r; legacy: 0, 8
 *   0x40, 0x61   8254 PIT, port B             0
 *   0x60, 0x64   8042 keyboard controller     1 (kbd), 12 (aux)
 *   0x70         MC146818 RTC/CMOS            8
 *   0x92         system control port A
 *   0xF0         FERR# latch / IGNNE#         13 (x87 FERR#)
 *   0x2F8, 0x3F8 16550A UARTs COM2, COM1      3, 4
 *   0xCF8, 0xCFC PCI mechanism #1: 00:00.0 i440FX, 00:01.0 PIIX3 (0xCF9 reset)
 *   0x1F0, 0x3F6 IDE primary (PCI 00:01.1)       14
 *   0x170, 0x376 IDE secondary; bus master at BAR4   15
 *   0xB000       ACPI PM1a event/control, PM timer   9 (SCI, level)
 *   0x3B4-0x3DA, 0x1CE  std VGA (PCI 00:02.0, cfg.vga): window 0xA0000, BAR0
 *                VRAM, BAR2 MMIO, ROM BAR = vgabios-stdvga.bin
 *   PCI 00:04.0+ virtio-blk per --virtio-disk (BAR4 MMIO)  INTA# -> PIRQ
 *   0xE0-0xEB, 0x2000, 0xFF000000  QEMU's pc-testdev (cfg.pc_testdev)
 *                                  drives lines 0-23 as the HPET routes
 * (0x80 POST, 0xE9 debug console and 0xF4 test exit are in machine.c.)
 *
 * Interrupt wiring as on QEMU's pc: every ISA IRQ line goes to its 8259
 * input and to the I/O APIC pin of the same number, except IRQ0 (PIT) on
 * pin 2; pin 0 is unconnected. PCI PIRQs reach the ISA lines through the
 * PIIX3 routing registers, so they follow the same path (as on QEMU's
 * i440FX, whose MADT makes IRQ 5/9/10/11 level, active high). The 8259's
 * INT goes to LINT0, which is in ExtINT (virtual wire) mode after reset, so
 * an OS that never touches the APICs sees a plain PIC. The CPU's INTA
 * cycle goes to the local APIC, which runs the 8259's for ExtINT. The
 * devices always exist; --apic (cfg.apic) reports the APIC in CPUID (the
 * bit follows IA32_APIC_BASE's global enable, as the SDM says) and adds the
 * ACPI MADT.
 *
 * The PC/AT FERR# path (IBM AT technical reference; Intel SDM vol. 1
 * s8.7 and appendix D): FERR# asserted by the x87 raises IRQ13; a write to
 * port 0xF0 clears the request and asserts IGNNE# until FERR# goes away
 * (FNCLEX/FNINIT), so the handler's own x87 instructions can run. A20 is
 * the OR of the i8042 output port bit and port 0x92 bit 1, as on the PIIX.
 * Reset requests (i8042 pulse, port 0x92 bit 0, PIIX3 0xCF9) stop the CPU
 * at the next instruction boundary with CPU_EXIT_RESET; the run loop then
 * calls machine_reset(). The TSC counts the virtual clock.
 *
 * PAM shadowing of 0xC0000-0xFFFFF and fw_cfg live in vm/firmware.c.
 *
 * An INIT IPI to the CPU resets the machine like the other reset sources
 * (there is no CPU-only INIT path).
 *
 * HPET (as QEMU's pc): its route r < 16 is ISA IRQ r (8259 and I/O APIC),
 * r >= 16 I/O APIC pin r. The PIT's and RTC's outputs reach IRQ0 and IRQ8
 * through it, so its legacy replacement mode can cut them off.
 *
 * Left out: SMRAM (the callback is logged), NMI sources (port 0x61 parity/IOCHK), DMA controller. */
#include "vm/machine_pc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpu/cpuid.h"
#include "util/log.h"
#include "vm/machine.h"
#include "vm/monitor.h"

/* ---- CPU interrupt and x87 error glue ---- */

/* An ISA IRQ line: 8259 input n and I/O APIC pin n (IRQ0 on pin 2). */
static void pc_isa_irq(void *opaque, int n, int level)
{
    struct machine *m = opaque;
    pic_set_irq(&m->pc.pic, n, level);
    ioapic_set_irq(&m->pc.ioapic, n == 0 ? 2 : n, level);
}

/* HPET interrupt route n: ISA IRQ n below 16, else I/O APIC pin n. */
static void pc_hpet_irq(void *opaque, int n, int level)
{
    struct machine *m = opaque;
    if (n < 16)
        pc_isa_irq(m, n, level);
    else
        ioapic_set_irq(&m->pc.ioapic, n, level);
}

/* The 8259 pair's INT output: LINT0 of the local APIC. */
static void pc_pic_intr(void *opaque, int n, int level)
{
    struct machine *m = opaque;
    (void)n;
    lapic_set_lint(&m->pc.lapic, 0, level);
}

static void pc_apic_intr(void *opaque, int level)
{
    struct machine *m = opaque;
    cpu_set_intr(&m->cpu, level);
}

static void pc_apic_nmi(void *opaque)
{
    struct machine *m = opaque;
    cpu_raise_nmi(&m->cpu);
}

/* INIT delivered to the CPU: it restarts at the reset vector. The board
 * has no CPU-only reset, so this takes the path of the other reset
 * sources (i8042 pulse, port 0x92, 0xCF9), which also resets the devices. */
static void pc_apic_init(void *opaque)
{
    struct machine *m = opaque;
    LOG(LOG_HW, "INIT IPI to the CPU: reset");
    cpu_request_exit(&m->cpu, CPU_EXIT_RESET);
}

static int pc_apic_extint_ack(void *opaque)
{
    struct machine *m = opaque;
    return pic_intr_ack(&m->pc.pic);
}

static void pc_apic_eoi(void *opaque, uint8_t vector)
{
    struct machine *m = opaque;
    ioapic_eoi(&m->pc.ioapic, vector);
}

static bool pc_ioapic_deliver(void *opaque, uint8_t dest, bool logical, unsigned mode,
                              uint8_t vector, bool trig_level)
{
    struct machine *m = opaque;
    return lapic_deliver(&m->pc.lapic, dest, logical, mode, vector, trig_level);
}

/* WRMSR IA32_APIC_BASE: move or hide the page (CPUID.1:EDX.APIC follows
 * the global enable bit by itself, src/cpu/cpuid.c). */
static bool pc_apic_base(void *opaque, uint64_t v)
{
    struct machine *m = opaque;
    return lapic_set_base(&m->pc.lapic, v);
}

static int pc_intr_ack(void *opaque)
{
    struct machine *m = opaque;
    return lapic_intr_ack(&m->pc.lapic);
}

static void pc_ferr(void *opaque, int level)
{
    struct machine *m = opaque;
    if (level) {
        pc_isa_irq(m, 13, 1);
    } else {
        pc_isa_irq(m, 13, 0);
        m->cpu.ignne = 0;
    }
}

static void ferr_port_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    struct machine *m = opaque;
    pc_isa_irq(m, 13, 0);
    if (m->cpu.ferr_level)
        m->cpu.ignne = 1;
}

static uint64_t pc_tsc_ns(void *opaque)
{
    struct machine *m = opaque;
    return clock_now(&m->clock);
}

/* ---- system control: A20, reset, sleep ---- */

static void update_a20(struct machine *m)
{
    physmem_set_a20(&m->mem, m->pc.a20_kbc || m->pc.a20_port92);
}

static void pc_a20_kbc(void *opaque, bool on)
{
    struct machine *m = opaque;
    m->pc.a20_kbc = on;
    update_a20(m);
}

static void pc_a20_port92(void *opaque, bool on)
{
    struct machine *m = opaque;
    m->pc.a20_port92 = on;
    update_a20(m);
}

static void pc_reset_request(void *opaque)
{
    struct machine *m = opaque;
    LOG(LOG_HW, "reset requested by the guest");
    cpu_request_exit(&m->cpu, CPU_EXIT_RESET);
}

static void pc_sleep(void *opaque, unsigned slp_typ)
{
    struct machine *m = opaque;
    if (slp_typ == MACHINE_ACPI_S5_SLP_TYP) {
        LOG(LOG_HW, "ACPI S5: power off");
        if (m->cfg.no_shutdown) {
            if (!m->powered_off)
                fprintf(stderr, "rawbox: the guest powered off; -no-shutdown keeps the VM "
                                "(Ctrl-A X or a signal ends rawbox)\n");
            m->powered_off = true;
            cpu_request_exit(&m->cpu, CPU_EXIT_STOP);
        } else {
            machine_request_exit(m, 0);
        }
    } else {
        LOG_ONCE(LOG_HW, "ACPI sleep type %u is not supported; ignored", slp_typ);
    }
}

static void pc_quit(void *opaque)
{
    machine_request_exit(opaque, 0);
}

static void console_out(void *ctx, const char *text)
{
    console_print(text);
}

/* A line typed after Ctrl-A C. */
static void pc_monitor(void *opaque, const char *line)
{
    monitor_command(opaque, line, console_out, NULL);
}

static void pc_pam(void *opaque, uint32_t base, uint32_t size, unsigned mode)
{
    firmware_pam(opaque, base, size, mode);     /* shadow RAM: vm/firmware.c */
}

static void pc_smram(void *opaque, bool open)
{
    LOG(LOG_HW, "SMRAM %s (not modelled)", open ? "open" : "closed");
}

/* ---- serial backends ---- */

static size_t serial_space(void *opaque)
{
    return uart_rx_space(opaque);
}

static size_t serial_receive(void *opaque, const uint8_t *buf, size_t n)
{
    return uart_receive(opaque, buf, n);
}

static void serial_poll(void *opaque, int fd)
{
    chardev_readable(opaque, fd);
}

void machine_pc_sync_polls(struct machine *m)
{
    /* The run loop's first poll: the guest runs, the terminal goes raw
     * (errors before this point print on a cooked terminal). */
    if (!m->pc.started) {
        m->pc.started = true;
        if (console_start() < 0)
            log_warn("console: cannot set raw mode on the terminal");
    }
    for (int i = 0; i < MACHINE_SERIAL_PORTS; i++) {
        struct chardev *c = &m->pc.serial[i];
        int fds[CHARDEV_MAX_FDS], n = chardev_fds(c, fds);
        bool wants = chardev_wants_input(c);
        for (int j = 0; j < CHARDEV_MAX_FDS; j++) {
            int slot = m->pc.poll_slot[i][j], fd = -1;
            if (slot < 0)
                continue;
            /* A full receiver leaves its data in the host's buffers
             * (a listener still accepts). */
            if (j < n && (wants || fds[j] == c->listen_fd))
                fd = fds[j];
            m->polls[slot].fd = fd;
        }
    }
}

static int open_serial(struct machine *m, int i)
{
    static const char *const names[MACHINE_SERIAL_PORTS] = { "COM1", "COM2" };
    const char *spec = m->cfg.serial[i] ? m->cfg.serial[i] : "none";
    struct chardev *c = &m->pc.serial[i];
    const struct console_ops con = { pc_quit, m, pc_monitor };
    const struct chardev_sink sink = { serial_space, serial_receive, &m->pc.uart[i] };
    char err[160];
    int nslots;

    if (chardev_open(c, spec, &con, err, sizeof err) < 0) {
        fprintf(stderr, "rawbox: --serial %s (%s): %s\n", spec, names[i], err);
        return -1;
    }
    chardev_set_sink(c, &sink);
    nslots = c->kind == CHARDEV_TCP ? 2 : c->kind == CHARDEV_STDIO ? 1 : 0;
    for (int j = 0; j < nslots; j++) {
        m->pc.poll_slot[i][j] = m->nr_polls;
        if (machine_add_poll(m, -1, serial_poll, c) < 0) {
            fprintf(stderr, "rawbox: --serial %s: too many host fds to watch\n", spec);
            return -1;
        }
    }
    return 0;
}

/* ---- disks ---- */

/* Where the drives without an index go (see machine.h). */
static int place_drives(struct machine *m, int at[MACHINE_MAX_DRIVES])
{
    static const int disk_pref[4] = { 0, 1, 3, 2 }, cd_pref[4] = { 2, 3, 1, 0 };
    bool used[MACHINE_MAX_DRIVES] = { false };
    const struct machine_config *c = &m->cfg;

    for (int i = 0; i < c->ndrives; i++) {
        at[i] = c->drives[i].index;
        if (at[i] < 0)
            continue;
        if (at[i] >= MACHINE_MAX_DRIVES || used[at[i]]) {
            fprintf(stderr, "rawbox: %s %s: IDE index %d is %s\n", c->drives[i].opt,
                    c->drives[i].file ? c->drives[i].file : "", at[i],
                    at[i] >= MACHINE_MAX_DRIVES ? "out of range (0-3)" : "taken");
            return -1;
        }
        used[at[i]] = true;
    }
    /* CD-ROMs first, so that disks given before them leave index 2 free. */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < c->ndrives; i++) {
            const int *pref = pass == 0 ? cd_pref : disk_pref;
            if (at[i] >= 0 || c->drives[i].cdrom != (pass == 0))
                continue;
            for (int k = 0; k < 4 && at[i] < 0; k++)
                if (!used[pref[k]]) {
                    at[i] = pref[k];
                    used[at[i]] = true;
                }
            if (at[i] < 0) {
                fprintf(stderr, "rawbox: %s %s: no free IDE position (4 drives at most)\n",
                        c->drives[i].opt, c->drives[i].file ? c->drives[i].file : "");
                return -1;
            }
        }
    return 0;
}

/* An image's worker thread finished a request: end the vCPU's slice
 * (exit_req, only if nothing else is asked of it) and have the run loop
 * poll the completion now. Without it a guest polling a disk's status with
 * interrupts off (SeaBIOS's disk calls, a boot loader) waits until the
 * slice ends, up to a timer period. */
static void pc_io_kick(void *opaque)
{
    struct machine *m = opaque;
    uint8_t none = CPU_EXIT_NONE;
    __atomic_store_n(&m->io_kick, 1, __ATOMIC_RELEASE);
    __atomic_compare_exchange_n(&m->cpu.exit_req, &none, (uint8_t)CPU_EXIT_SLICE, false,
                                __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}

static int open_drives(struct machine *m)
{
    const struct machine_config *c = &m->cfg;
    int at[MACHINE_MAX_DRIVES];
    char err[BLOCK_ERR_LEN + 64];

    if (place_drives(m, at) < 0)
        return -1;
    for (int i = 0; i < c->ndrives && i < MACHINE_MAX_DRIVES; i++) {
        const struct machine_drive *md = &c->drives[i];
        struct block *b = NULL;
        if (md->file) {
            int flags = (md->readonly || md->cdrom ? BLOCK_RDONLY : 0) | md->cache;
            b = block_open(md->file, md->format, flags, err, sizeof err);
            if (!b) {
                fprintf(stderr, "rawbox: %s %s\n", md->opt, err);
                return -1;
            }
        }
        if (ide_attach(&m->pc.ide, (unsigned)at[i] / 2, (unsigned)at[i] % 2,
                       md->cdrom ? IDE_CDROM : IDE_DISK, b, err, sizeof err) < 0) {
            fprintf(stderr, "rawbox: %s %s: %s\n", md->opt, md->file ? md->file : "", err);
            block_close(b);
            return -1;
        }
        struct ide_drive *d = &m->pc.ide.ch[at[i] / 2].drive[at[i] % 2];
        if (ide_drive_fd(d) >= 0 && machine_add_poll(m, ide_drive_fd(d), ide_poll, d) < 0) {
            fprintf(stderr, "rawbox: %s: too many host fds to watch\n", md->opt);
            return -1;
        }
        if (d->aio)
            block_aio_set_kick(d->aio, pc_io_kick, m);
    }
    return 0;
}

/* ---- reset ---- */

static void pc_reset(void *opaque)
{
    struct machine *m = opaque;
    struct machine_pc *pc = &m->pc;

    pic_reset(&pc->pic);
    ioapic_reset(&pc->ioapic);
    lapic_reset(&pc->lapic);
    if (pc->has_hpet)
        hpet_reset(&pc->hpet);
    pit_reset(&pc->pit);
    rtc_reset(&pc->rtc);
    for (int i = 0; i < MACHINE_SERIAL_PORTS; i++)
        uart_reset(&pc->uart[i]);
    i8042_reset(&pc->kbc);
    port92_reset(&pc->port92);
    i440fx_reset(&pc->i440fx);
    piix3_reset(&pc->piix3);
    ide_reset(&pc->ide);
    acpi_pm_reset(&pc->pm);
    if (m->vga)
        vga_pci_reset(m->vga);
    pc->a20_kbc = i8042_a20(&pc->kbc);
    pc->a20_port92 = false;
    update_a20(m);
    m->cpu.ignne = 0;
    lapic_set_lint(&pc->lapic, 0, pic_intr_pending(&pc->pic));
    /* What firmware would do: the SCI is level-triggered (ELCR bit). */
    iobus_out(&m->io, 0x4D0 + MACHINE_ACPI_SCI_IRQ / 8,
              iobus_in(&m->io, 0x4D0 + MACHINE_ACPI_SCI_IRQ / 8, 1) |
              1u << (MACHINE_ACPI_SCI_IRQ % 8), 1);
}

/* ---- the display adapter (--vga) ---- */

/* The std VGA at 00:02.0 with its BIOS in the ROM BAR. Without the BIOS
 * file the card still works for an OS that drives it (Linux bochs-drm);
 * firmware then has no int 10h, so say so. */
static int pc_add_vga(struct machine *m)
{
    uint8_t *rom = NULL;
    long n = 0;
    FILE *f = fopen(MACHINE_VGA_BIOS, "rb");

    if (f) {
        if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && n <= (1 << 20) &&
            fseek(f, 0, SEEK_SET) == 0 && (rom = malloc((size_t)n)) &&
            fread(rom, 1, (size_t)n, f) != (size_t)n) {
            free(rom);
            rom = NULL;
        }
        fclose(f);
    }
    if (!rom)
        fprintf(stderr, "rawbox: warning: --vga std: no VGA BIOS at %s (apt-get install "
                "seabios): the screen stays blank until the guest OS sets a mode\n",
                MACHINE_VGA_BIOS);
    int r = vga_pci_init(&m->pc.vga, &m->pc.pci, PCI_DEVFN(MACHINE_VGA_SLOT, 0), &m->io,
                         &m->mem, m->vram_off, rom, rom ? (uint32_t)n : 0);
    free(rom);
    if (r < 0) {
        vga_pci_free(&m->pc.vga);
        fprintf(stderr, "rawbox: --vga std: cannot place the VGA (ports, window or PCI slot taken)\n");
        return -1;
    }
    m->vga = &m->pc.vga;
    m->screen = vga_display_source(m->vga);
    return 0;
}

/* ---- virtio disks (--virtio-disk) ---- */

static void pc_virtio_poll(void *opaque, int fd)
{
    virtio_blk_poll(opaque);
}

static void pc_virtio_reset(void *opaque)
{
    virtio_blk_reset(opaque);
}

/* One virtio-blk function per --virtio-disk, from slot 4 on, INTA# to
 * the PIRQ the slot's swizzle gives (piix3_pirq_of). */
static int pc_add_virtio_disks(struct machine *m)
{
    struct machine_pc *pc = &m->pc;
    char err[320], serial[VIRTIO_BLK_ID_BYTES + 1];

    for (int i = 0; i < m->cfg.nvirtio_disks && i < MACHINE_MAX_VIRTIO_DISKS; i++) {
        const char *path = m->cfg.virtio_disks[i].path;
        unsigned slot = MACHINE_VIRTIO_FIRST_SLOT + (unsigned)i;
        snprintf(serial, sizeof serial, "rawbox-vd%c", 'a' + i);
        if (virtio_blk_open(&pc->vblk[i], &pc->pci, PCI_DEVFN(slot, 0), &m->mem,
                            piix3_pirq_line(&pc->piix3, piix3_pirq_of(slot, 1)), path,
                            m->cfg.virtio_disks[i].format,
                            (m->cfg.virtio_disks[i].readonly ? BLOCK_RDONLY : 0) |
                            m->cfg.virtio_disks[i].cache, serial, err, sizeof err)) {
            fprintf(stderr, "rawbox: --virtio-disk: %s\n", err);    /* err names the file */
            return -1;
        }
        pc->nvblk = i + 1;
        block_aio_set_kick(pc->vblk[i].aio, pc_io_kick, m);
        if (machine_add_poll(m, virtio_blk_fd(&pc->vblk[i]), pc_virtio_poll, &pc->vblk[i]) ||
            machine_add_reset(m, pc_virtio_reset, &pc->vblk[i])) {
            fprintf(stderr, "rawbox: --virtio-disk %s: too many host fds or reset hooks\n", path);
            return -1;
        }
    }
    return 0;
}

static void pc_free_virtio_disks(struct machine *m)
{
    struct machine_pc *pc = &m->pc;
    for (int i = 0; i < pc->nvblk; i++)
        virtio_blk_free(&pc->vblk[i]);
    pc->nvblk = 0;
}

/* What SeaBIOS's pci_setup leaves, for a kernel booted without firmware:
 * PIRQA-D routed to IRQ 10, 10, 11, 11 (what the DSDT's LNKA-LNKD _CRS then
 * read), and for each virtio function its IRQ level-triggered in the ELCR,
 * the interrupt line register set, BAR 4 placed at the top of the ACPI PCI
 * window (below 0xFEC00000) and memory decoding on. */
static void pc_virtio_direct_boot(struct machine *m)
{
    static const uint8_t pirq_irq[4] = { 10, 10, 11, 11 };
    struct machine_pc *pc = &m->pc;

    for (unsigned n = 0; n < 4; n++)
        pci_config_write(&pc->piix3.pci, 0x60 + n, pirq_irq[n], 1);
    for (int i = 0; i < pc->nvblk; i++) {
        struct pci_device *d = &pc->vblk[i].vp.pci;
        int pirq = piix3_pirq_of(MACHINE_VIRTIO_FIRST_SLOT + (unsigned)i, 1);
        uint8_t irq = pirq_irq[pirq];
        uint32_t bar = 0xFEB00000u + (uint32_t)i * VIRTIO_PCI_BAR_SIZE;

        iobus_out(&m->io, 0x4D0 + irq / 8, iobus_in(&m->io, 0x4D0 + irq / 8, 1) |
                  1u << (irq % 8), 1);
        pci_config_write(d, PCI_INTERRUPT_LINE, irq, 1);
        pci_config_write(d, PCI_BAR0 + 4 * VIRTIO_PCI_BAR, bar, 4);
        pci_config_write(d, PCI_BAR0 + 4 * VIRTIO_PCI_BAR + 4, 0, 4);
        pci_config_write(d, PCI_COMMAND, pci_get16(d, PCI_COMMAND) | 0x0002, 2);
    }
}

/* What a PC BIOS leaves in the 8259 pair, for a kernel booted without one
 * (vm/boot.c, at a --kernel boot and its reboots): initialised by the
 * ICW1-ICW4 sequence with the PC vector bases 0x08 (IRQ0-7) and 0x70
 * (IRQ8-15), cascade on IR2, 8086 mode. The masks stay as ICW1 leaves them,
 * clear (8259A datasheet, "Initialization Command Words"). Without it the
 * vector bases are 0 and an interrupt a real-mode guest enables (e.g.
 * kvm-unit-tests' realmode, IRQ 11 from pc-testdev through IVT entry 0x73)
 * lands on an exception's vector. An OS programs the pair again anyway. */
void machine_pc_direct_boot(struct machine *m)
{
    static const uint8_t icw[2][4] = { { 0x11, 0x08, 0x04, 0x01 },   /* master */
                                       { 0x11, 0x70, 0x02, 0x01 } }; /* slave */
    static const uint16_t base[2] = { 0x20, 0xA0 };
    for (int c = 0; c < 2; c++) {
        iobus_out(&m->io, base[c], icw[c][0], 1);
        for (int i = 1; i < 4; i++)
            iobus_out(&m->io, base[c] + 1, icw[c][i], 1);
    }
    pc_virtio_direct_boot(m);
}

static void pc_cleanup(void *opaque)
{
    (void)opaque;
    console_restore();
}

/* ---- the board ---- */

static int pc_build(struct machine *m)
{
    struct machine_pc *pc = &m->pc;
    struct iobus *io = &m->io;
    struct clock *clk = &m->clock;
    const struct irq_line intr = { pc_pic_intr, m, 0 };
    const struct lapic_ops lapic_ops = { pc_apic_intr, pc_apic_nmi, pc_apic_init,
                                         pc_apic_extint_ack, pc_apic_eoi, m };
    const struct ioapic_ops ioapic_ops = { pc_ioapic_deliver, m };
    const struct sysctl_ops kbc_ops = { pc_a20_kbc, pc_reset_request, m };
    const struct sysctl_ops p92_ops = { pc_a20_port92, pc_reset_request, m };
    const struct sysctl_ops piix_ops = { NULL, pc_reset_request, m };
    const struct i440fx_ops nb_ops = { pc_pam, pc_smram, m };
    const struct acpi_pm_ops pm_ops = { pc_sleep, m };
    const struct io_handler ferr_h = { NULL, ferr_port_write, m, 1 };
    struct irq_line isa[16], hpet_out[HPET_ROUTES], pit_irq, rtc_irq;

    if (pic_init(&pc->pic, io, intr) ||
        lapic_init(&pc->lapic, clk, &m->mem, &lapic_ops) ||
        ioapic_init(&pc->ioapic, &m->mem, IOAPIC_DEFAULT_BASE, &ioapic_ops))
        return -1;
    for (int i = 0; i < 16; i++)
        isa[i] = (struct irq_line){ pc_isa_irq, m, i };
    pit_irq = isa[0];
    rtc_irq = isa[8];
    if (m->cfg.hpet) {
        for (int i = 0; i < HPET_ROUTES; i++)
            hpet_out[i] = (struct irq_line){ pc_hpet_irq, m, i };
        if (hpet_init(&pc->hpet, clk, &m->mem, HPET_DEFAULT_BASE, hpet_out))
            return -1;
        pc->has_hpet = true;
        pit_irq = hpet_legacy_line(&pc->hpet, HPET_LEGACY_PIT);
        rtc_irq = hpet_legacy_line(&pc->hpet, HPET_LEGACY_RTC);
    }
    if (pit_init(&pc->pit, clk, io, pit_irq) ||
        i8042_init(&pc->kbc, io, isa[1], isa[12], &kbc_ops) ||
        rtc_init(&pc->rtc, clk, io, rtc_irq, (int64_t)time(NULL)) ||
        port92_init(&pc->port92, io, &p92_ops) ||
        iobus_register(io, MACHINE_FERR_PORT, 1, &ferr_h, "ferr") ||
        uart_init(&pc->uart[0], clk, io, 0x3F8, isa[4],
                  &(struct uart_backend){ chardev_write, &pc->serial[0] }) ||
        uart_init(&pc->uart[1], clk, io, 0x2F8, isa[3],
                  &(struct uart_backend){ chardev_write, &pc->serial[1] }) ||
        pci_bus_init(&pc->pci, io) ||
        i440fx_init(&pc->i440fx, &pc->pci, &nb_ops) ||
        piix3_init(&pc->piix3, &pc->pci, isa, &piix_ops) ||
        ide_init(&pc->ide, &pc->pci, io, &m->mem, (struct irq_line[]){ isa[14], isa[15] }) ||
        acpi_pm_init(&pc->pm, clk, io, MACHINE_ACPI_PM_BASE, isa[MACHINE_ACPI_SCI_IRQ],
                     &pm_ops))
        return -1;
    if (m->cfg.pc_testdev) {
        struct irq_line lines[PC_TESTDEV_IRQ_LINES];
        for (int i = 0; i < PC_TESTDEV_IRQ_LINES; i++)
            lines[i] = (struct irq_line){ pc_hpet_irq, m, i };
        if (pc_testdev_init(&pc->testdev, io, &m->mem, lines))
            return -1;
    }
    rtc_set_memory(&pc->rtc, m->cfg.ram_size, 0);

    /* The CPU's pins: INTA and APIC_BASE to the local APIC, FERR# to
     * IRQ13, and the TSC counts virtual time. Without --apic the CPU does
     * not report its APIC (the devices stay on the board). */
    m->cpu.env = (struct cpu_env){ .tsc_now = pc_tsc_ns, .apic_base_write = pc_apic_base,
                                   .intr_ack = pc_intr_ack, .ferr = pc_ferr, .opaque = m };
    if (!m->cfg.apic)
        m->cpu.model.feat[CPUID_1_EDX] &= ~CPUID_APIC;
    return 0;
}

int machine_pc_init(struct machine *m)
{
    struct machine_pc *pc = &m->pc;

    memset(pc, 0, sizeof *pc);
    memset(pc->poll_slot, 0xff, sizeof pc->poll_slot);
    for (int i = 0; i < MACHINE_SERIAL_PORTS; i++)
        pc->serial[i].in_fd = pc->serial[i].out_fd = pc->serial[i].listen_fd = -1;
    pc->built = true;
    if (pc_build(m) < 0) {
        fprintf(stderr, "rawbox: board: PC devices: I/O port conflict or out of table space\n");
        return -1;
    }
    if (machine_add_reset(m, pc_reset, m) || machine_add_cleanup(m, pc_cleanup, m)) {
        fprintf(stderr, "rawbox: board: too many reset or cleanup hooks\n");
        return -1;
    }
    for (int i = 0; i < MACHINE_SERIAL_PORTS; i++)
        if (open_serial(m, i) < 0)
            return -1;
    if (open_drives(m) < 0)
        return -1;
    if (m->cfg.monitor) {
        char err[160];
        if (monitor_open(m, m->cfg.monitor, err, sizeof err) < 0) {
            fprintf(stderr, "rawbox: --monitor %s: %s\n", m->cfg.monitor, err);
            return -1;
        }
    }
    if (m->cfg.vga > 0 && pc_add_vga(m) < 0)
        return -1;
    pc_reset(m);
    if (pc_add_virtio_disks(m) < 0)
        return -1;
    return 0;
}

void machine_pc_free(struct machine *m)
{
    struct machine_pc *pc = &m->pc;
    if (!pc->built)
        return;
    for (int i = 0; i < MACHINE_SERIAL_PORTS; i++)
        chardev_close(&pc->serial[i]);
    ide_free(&pc->ide);
    pc_free_virtio_disks(m);
    if (m->vga)
        vga_pci_free(m->vga);
    m->vga = NULL;
    m->screen = (struct display_source){ 0 };
    pc->built = false;
}
