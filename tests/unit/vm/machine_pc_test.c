/* Unit tests for the PC wiring (src/vm/machine_pc.c) on a real board built
 * by machine_init(): each device answers at its ports, IRQs reach the CPU
 * through the PICs (UART -> IRQ4 -> INTA vector), A20 is the OR of its two
 * sources, the three reset requests stop the CPU with CPU_EXIT_RESET,
 * ACPI S5 ends the run with status 0, FERR#/IGNNE# and port 0xF0, CMOS
 * memory size, the ELCR bit of the SCI, serial output to a file, the TSC on
 * the virtual clock. Then two tiny ROMs run in the run loop: one takes 50
 * PIT interrupts at 100 Hz while halting (and must not burn host CPU), one
 * reboots through port 0x92, the i8042 and 0xCF9 and counts its boots in
 * RAM, which a reset keeps. */
#include "test.h"

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cpu/cpuid.h"
#include "vm/loop.h"
#include "vm/machine.h"

static char tmpdir[] = "/tmp/rawbox-pc-test.XXXXXX";
static struct machine m;

/* Real-mode code at F000:0000, reached by a far jump at the reset vector. */
static const uint8_t idle_rom[] = {     /* PIC, PIT at 100 Hz, HLT until 50 IRQ0 */
    0xfa, 0x31, 0xc0, 0x8e, 0xd0, 0xbc, 0x00, 0x70, 0x8e, 0xd8, 0xc7, 0x06,
    0x20, 0x00, 0x43, 0x00, 0xc7, 0x06, 0x22, 0x00, 0x00, 0xf0, 0xb0, 0x11,
    0xe6, 0x20, 0xb0, 0x08, 0xe6, 0x21, 0xb0, 0x04, 0xe6, 0x21, 0xb0, 0x01,
    0xe6, 0x21, 0xb0, 0xfe, 0xe6, 0x21, 0xb0, 0x34, 0xe6, 0x43, 0xb0, 0x9c,
    0xe6, 0x40, 0xb0, 0x2e, 0xe6, 0x40, 0x31, 0xdb, 0xfb, 0xf4, 0x83, 0xfb,
    0x32, 0x72, 0xfa, 0xb0, 0x00, 0xe6, 0xf4, 0x43, 0x50, 0xb0, 0x20, 0xe6,
    0x20, 0x58, 0xcf,
};
static const uint8_t reboot_rom[] = {   /* boot 1: 0x92, 2: 0x64 0xFE, 3: 0xCF9, 4: exit 5 */
    0x31, 0xc0, 0x8e, 0xd8, 0xfe, 0x06, 0x00, 0x05, 0xa0, 0x00, 0x05, 0x3c,
    0x01, 0x74, 0x0c, 0x3c, 0x02, 0x74, 0x0e, 0x3c, 0x03, 0x74, 0x10, 0xb0,
    0x02, 0xe6, 0xf4, 0xb0, 0x01, 0xe6, 0x92, 0xeb, 0xfe, 0xb0, 0xfe, 0xe6,
    0x64, 0xeb, 0xfe, 0xba, 0xf9, 0x0c, 0xb0, 0x06, 0xee, 0xeb, 0xfe,
};

static const char *rom(const char *name, const uint8_t *code, size_t len)
{
    static char path[256];
    static uint8_t img[65536];
    static const uint8_t jmp[] = { 0xea, 0x00, 0x00, 0x00, 0xf0 };  /* jmp F000:0000 */
    FILE *f;
    memset(img, 0xf4, sizeof img);
    memcpy(img, code, len);
    memcpy(img + 0xfff0, jmp, sizeof jmp);
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    f = fopen(path, "wb");
    fwrite(img, 1, sizeof img, f);
    fclose(f);
    return path;
}

static uint32_t in(uint16_t port, unsigned size) { return iobus_in(&m.io, port, size); }
static void out(uint16_t port, uint32_t v, unsigned size) { iobus_out(&m.io, port, v, size); }

static uint32_t pci_read(unsigned devfn, unsigned off)
{
    out(0xCF8, 0x80000000u | devfn << 8 | (off & 0xfc), 4);
    return in(0xCFC, 4);
}

static uint8_t cmos(uint8_t idx)
{
    out(0x70, idx, 1);
    return (uint8_t)in(0x71, 1);
}

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_wiring(void)
{
    char serial_path[300], spec[320], buf[16];
    struct machine_config cfg = { .ram_size = 64 << 20 };
    FILE *f;

    snprintf(serial_path, sizeof serial_path, "%s/com1.txt", tmpdir);
    snprintf(spec, sizeof spec, "file:%s", serial_path);
    cfg.bios = rom("idle.bin", idle_rom, sizeof idle_rom);
    cfg.serial[0] = spec;
    CHECK(machine_init(&m, &cfg) == 0, "board with COM1 on a file");

    /* PCI. */
    CHECK_EQ(pci_read(0x00, 0), 0x12378086, "00:00.0 is the i440FX");
    CHECK_EQ(pci_read(0x08, 0), 0x70008086, "00:01.0 is the PIIX3");

    /* ELCR: the SCI (IRQ9) is level-triggered. */
    CHECK_EQ(in(0x4D1, 1) & 0x02, 0x02, "ELCR bit for IRQ9 set");

    /* PIC init as a BIOS would: master base 0x08, slave 0x70. */
    out(0x20, 0x11, 1); out(0x21, 0x08, 1); out(0x21, 0x04, 1); out(0x21, 0x01, 1);
    out(0xA0, 0x11, 1); out(0xA1, 0x70, 1); out(0xA1, 0x02, 1); out(0xA1, 0x01, 1);
    out(0x21, 0xEB, 1);     /* unmask IRQ2 (cascade) and IRQ4 */
    out(0xA1, 0xDF, 1);     /* unmask IRQ13 */
    CHECK_EQ(m.cpu.intr, 0, "nothing pending after PIC init");

    /* COM1: THRE interrupt through OUT2 -> IRQ4 -> CPU. */
    out(0x3F8 + 4, 0x08, 1);            /* MCR: OUT2 gates the IRQ */
    out(0x3F8 + 1, 0x02, 1);            /* IER: THRE */
    CHECK_EQ(m.cpu.intr, 1, "UART THRE interrupt reaches the CPU INTR");
    CHECK_EQ(m.cpu.env.intr_ack(m.cpu.env.opaque), 0x0C, "INTA gives vector base + 4");
    (void)in(0x3F8 + 2, 1);             /* IIR read clears THRE */
    out(0x20, 0x20, 1);                 /* EOI */
    CHECK_EQ(m.cpu.intr, 0, "INTR drops after IIR read and EOI");
    out(0x3F8 + 1, 0x00, 1);
    out(0x3F8, 'A', 1);
    out(0x3F8, 'Z', 1);
    f = fopen(serial_path, "rb");
    size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f)
        fclose(f);
    CHECK(n == 2 && buf[0] == 'A' && buf[1] == 'Z', "COM1 output lands in the file");
    CHECK_EQ(in(0x2F8 + 7, 1) | 0x100, 0x100, "COM2 scratch register present (reads 0)");
    out(0x2F8 + 7, 0x5A, 1);
    CHECK_EQ(in(0x2F8 + 7, 1), 0x5A, "COM2 at 0x2F8 answers");

    /* FERR# -> IRQ13 (slave IR5 -> vector 0x75), port 0xF0 -> IGNNE#. */
    m.cpu.ferr_level = 1;
    m.cpu.env.ferr(m.cpu.env.opaque, 1);
    CHECK_EQ(m.cpu.intr, 1, "FERR# raises IRQ13");
    CHECK_EQ(m.cpu.env.intr_ack(m.cpu.env.opaque), 0x75, "IRQ13 vector from the slave");
    out(0xF0, 0, 1);
    CHECK_EQ(m.cpu.ignne, 1, "port 0xF0 write asserts IGNNE# while FERR# is active");
    out(0xA0, 0x20, 1); out(0x20, 0x20, 1);
    m.cpu.ferr_level = 0;
    m.cpu.env.ferr(m.cpu.env.opaque, 0);
    CHECK_EQ(m.cpu.ignne, 0, "IGNNE# released when FERR# goes away");
    CHECK_EQ(m.cpu.intr, 0, "nothing pending afterwards");

    /* CMOS memory size: 64 MiB = 15 MiB above 1 MiB in KiB (0x17/0x18, 0x30/0x31)
     * and 48 MiB above 16 MiB in 64 KiB units (0x34/0x35). */
    CHECK_EQ(cmos(0x34) | cmos(0x35) << 8, (64 - 16) * 16, "CMOS 0x34/0x35: RAM above 16 MiB");
    CHECK_EQ(cmos(0x30) | cmos(0x31) << 8, (64 - 1) * 1024 > 0xFFFF ? 0xFFFF : (64 - 1) * 1024,
             "CMOS 0x30/0x31: extended memory in KiB");

    /* A20: OR of the i8042 output port and port 0x92 bit 1. */
    CHECK(m.mem.a20, "A20 on at power-on (i8042 output port)");
    out(0x64, 0xDD, 1);                 /* i8042: A20 off */
    CHECK(!m.mem.a20, "i8042 turns A20 off");
    out(0x92, 0x02, 1);
    CHECK(m.mem.a20, "port 0x92 bit 1 turns it on");
    out(0x64, 0xDF, 1);
    out(0x92, 0x00, 1);
    CHECK(m.mem.a20, "still on through the i8042");
    out(0x64, 0xDD, 1);
    CHECK(!m.mem.a20, "off when both sources are off");
    out(0x64, 0xDF, 1);

    /* Reset requests stop the CPU at the next boundary. */
    out(0x92, 0x01, 1);
    CHECK_EQ(m.cpu.exit_req, CPU_EXIT_RESET, "port 0x92 bit 0 requests a reset");
    m.cpu.exit_req = CPU_EXIT_NONE;
    out(0x64, 0xFE, 1);
    CHECK_EQ(m.cpu.exit_req, CPU_EXIT_RESET, "i8042 command 0xFE requests a reset");
    m.cpu.exit_req = CPU_EXIT_NONE;
    out(0xCF9, 0x06, 1);
    CHECK_EQ(m.cpu.exit_req, CPU_EXIT_RESET, "PIIX3 0xCF9 = 6 requests a reset");
    m.cpu.exit_req = CPU_EXIT_NONE;
    machine_reset(&m);
    CHECK(m.mem.a20, "A20 on again after a machine reset");
    CHECK_EQ(in(0x4D1, 1) & 0x02, 0x02, "ELCR IRQ9 bit set again after reset");

    /* ACPI: PM timer runs, S5 powers off with status 0, other types do not. */
    uint32_t t1 = in(MACHINE_ACPI_PM_BASE + 8, 4);
    usleep(2000);
    uint32_t t2 = in(MACHINE_ACPI_PM_BASE + 8, 4);
    CHECK(((t2 - t1) & 0xFFFFFF) >= 7000, "PM timer advances ~3.58 MHz (%u ticks in 2 ms)",
          (t2 - t1) & 0xFFFFFF);
    out(MACHINE_ACPI_PM_BASE + 4, 1 | 5u << 10 | 1u << 13, 2);
    CHECK(!m.exit_requested, "an unsupported sleep type does not end the run");
    out(MACHINE_ACPI_PM_BASE + 4, 1 | MACHINE_ACPI_S5_SLP_TYP << 10 | 1u << 13, 2);
    CHECK(m.exit_requested && m.exit_status == 0, "SLP_TYP=S5 | SLP_EN: exit status 0");

    /* The TSC counts the board's virtual clock. */
    uint64_t v = clock_now(&m.clock), tsc = m.cpu.env.tsc_now(m.cpu.env.opaque);
    CHECK(tsc >= v && tsc - v < 50000000, "TSC source is the virtual clock");
    machine_free(&m);
    unlink(serial_path);
}

static void test_idle_rom(void)
{
    struct machine_config cfg = { .ram_size = 2 << 20 };
    struct loop_opts o = { .timeout_ns = 10 * NS_PER_SEC };
    cfg.bios = rom("idle.bin", idle_rom, sizeof idle_rom);
    CHECK(machine_init(&m, &cfg) == 0, "idle ROM board");
    double c0 = cpu_seconds(), w0 = wall_seconds();
    int status = vm_loop_run(&m, &o);
    double cpu = cpu_seconds() - c0, wall = wall_seconds() - w0;
    CHECK_EQ(status, 1, "50 PIT interrupts at 100 Hz taken, then test-exit 0 (status 1)");
    CHECK(wall >= 0.45 && wall < 2.0, "took about half a second (%.3f s)", wall);
    CHECK(cpu < 0.2 * wall, "halted guest costs little host CPU (%.3f s CPU in %.3f s, %.1f%%)",
          cpu, wall, 100 * cpu / wall);
    machine_free(&m);
}

static void test_reboot_rom(void)
{
    struct machine_config cfg = { .ram_size = 2 << 20 };
    struct loop_opts o = { .timeout_ns = 10 * NS_PER_SEC };
    cfg.bios = rom("reboot.bin", reboot_rom, sizeof reboot_rom);
    CHECK(machine_init(&m, &cfg) == 0, "reboot ROM board");
    int status = vm_loop_run(&m, &o);
    CHECK_EQ(status, 5, "rebooted by 0x92, 0xFE and 0xCF9, then exited on the 4th boot");
    CHECK_EQ(m.resets, 3, "three machine resets");
    CHECK_EQ(m.mem.ram[0x500], 4, "RAM kept across resets (boot counter 4)");
    machine_free(&m);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_wiring();
    test_idle_rom();
    test_reboot_rom();
    char path[300];
    snprintf(path, sizeof path, "%s/idle.bin", tmpdir);
    unlink(path);
    snprintf(path, sizeof path, "%s/reboot.bin", tmpdir);
    unlink(path);
    rmdir(tmpdir);
    return test_summary();
}
