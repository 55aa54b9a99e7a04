/* Unit tests for the board's firmware support (src/vm/firmware.c): PAM
 * shadow RAM switched through the i440FX's configuration registers (every
 * mode, on a RAM-backed and a ROM-backed segment, a segment split by the
 * firmware window, the high alias staying ROM, machine reset back to ROM
 * with the RAM kept), decoded code dropped when a segment switches (the
 * CPU runs the RAM copy, not the ROM records), and the fw_cfg items the
 * board provides (signature, RAM size, NOGRAPHIC, e820 file, boot-fail-wait,
 * --fw-cfg files) plus the CMOS boot order and the host bridge's subsystem ID. Drives the
 * ports the way firmware does. */
#include "test.h"

#include <unistd.h>

#include "util/log.h"
#include "vm/machine.h"

static char tmpdir[] = "/tmp/rawbox-firmware-test.XXXXXX";
static struct machine m;

/* A firmware image where byte k is (k ^ tag); the 16 bytes at 0xF0000 of
 * the low window hold `code` when given. */
static const char *make_bios(const char *name, size_t size, uint8_t tag, const uint8_t *code,
                             size_t code_len)
{
    static char path[256];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    f = fopen(path, "wb");
    for (size_t k = 0; k < size; k++) {
        size_t f0 = size - 0x10000;             /* offset of 0xF0000 */
        uint8_t b = (uint8_t)((k & 0xff) ^ tag);
        if (code && k >= f0 && k - f0 < code_len)
            b = code[k - f0];
        if (code && k == size - 16) {           /* reset vector: jmp f000:0000 */
            static const uint8_t jmp[5] = { 0xea, 0x00, 0x00, 0x00, 0xf0 };
            fwrite(jmp, 1, 5, f);
            k += 4;
            continue;
        }
        fputc(b, f);
    }
    fclose(f);
    return path;
}

static void cfg_write8(unsigned off, uint8_t v)
{
    iobus_out(&m.io, 0xCF8, 0x80000000u | (off & 0xfc), 4);
    iobus_out(&m.io, (uint16_t)(0xCFC + (off & 3)), v, 1);
}

static uint32_t cfg_read(unsigned off, unsigned size)
{
    iobus_out(&m.io, 0xCF8, 0x80000000u | (off & 0xfc), 4);
    return iobus_in(&m.io, (uint16_t)(0xCFC + (off & 3)), size);
}

static uint8_t rd(uint64_t a) { return (uint8_t)physmem_read(&m.mem, a, 1); }
static void wr(uint64_t a, uint8_t v) { physmem_write(&m.mem, a, v, 1); }

static void fw_sel(uint16_t key) { iobus_out(&m.io, 0x510, key, 2); }
static uint64_t fw_int(uint16_t key, unsigned n)
{
    uint64_t v = 0;
    fw_sel(key);
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)iobus_in(&m.io, 0x511, 1) << (8 * i);
    return v;
}

/* Key of a fw_cfg file found through the directory, or -1. */
static int fw_file(const char *name, uint32_t *size)
{
    uint8_t e[64];
    fw_sel(FWCFG_FILE_DIR);
    uint32_t n = 0;
    for (int i = 0; i < 4; i++)
        n = n << 8 | iobus_in(&m.io, 0x511, 1);
    for (uint32_t i = 0; i < n; i++) {
        for (int k = 0; k < 64; k++)
            e[k] = (uint8_t)iobus_in(&m.io, 0x511, 1);
        if (strcmp((char *)e + 8, name) == 0) {
            *size = (uint32_t)e[0] << 24 | e[1] << 16 | e[2] << 8 | e[3];
            return e[4] << 8 | e[5];
        }
    }
    return -1;
}

int main(void)
{
    struct machine_config cfg = { 0 };
    /* At 0xF0000: mov al, 0x11; jmp 0xF0000. */
    static const uint8_t loop11[] = { 0xb0, 0x11, 0xeb, 0xfc };
    static const uint8_t loop22[] = { 0xb0, 0x22, 0xeb, 0xfc };

    log_mask = 0;
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }

    /* ---- a 256 KiB image: ROM at 0xE0000-0xFFFFF when PAM is off ---- */
    cfg.bios = make_bios("bios256.bin", 256 << 10, 0x5a, loop11, sizeof loop11);
    cfg.ram_size = 32 << 20;
    cfg.has_reboot_timeout = true;
    cfg.reboot_timeout_ms = 1500;
    CHECK(machine_init(&m, &cfg) == 0, "board with a 256 KiB image");
    CHECK_EQ(cfg_read(0x2c, 2), 0x1af4, "i440FX subsystem vendor 1af4 (what SeaBIOS looks for)");
    CHECK_EQ(cfg_read(0x2e, 2), 0x1100, "i440FX subsystem ID 1100");

    CHECK_EQ(rd(0xE0001), 0x01 ^ 0x5a, "PAM off: 0xE0000 reads the image");
    CHECK_EQ(rd(0xF0000), 0xb0, "PAM off: 0xF0000 reads the image");
    wr(0xF0000, 0x99);
    CHECK_EQ(rd(0xF0000), 0xb0, "PAM off: writes to 0xF0000 are dropped");

    /* Decode 0xF0000 from ROM: far jump from the reset vector, mov, jmp. */
    cpu_reset(&m.cpu);
    cpu_run(&m.cpu, 3);
    CHECK_EQ(m.cpu.s.gpr[R_EAX] & 0xff, 0x11, "ROM code at 0xF0000 ran (AL=0x11)");

    cfg_write8(0x59, 0x30);                     /* F segment: read/write RAM */
    CHECK_EQ(rd(0xF0000), 0x00, "PAM 3: 0xF0000 reads the RAM behind it (zero)");
    CHECK_EQ(rd(0xE0001), 0x01 ^ 0x5a, "PAM 3 on 0xF0000 leaves 0xE0000 alone");
    for (unsigned i = 0; i < sizeof loop22; i++)
        wr(0xF0000 + i, loop22[i]);
    CHECK_EQ(rd(0xF0001), 0x22, "PAM 3: writes reach the shadow RAM");
    CHECK_EQ(physmem_read(&m.mem, 0xFFFF0000ull, 1), 0xb0, "the 4 GiB alias stays ROM");
    cpu_run(&m.cpu, 2);
    CHECK_EQ(m.cpu.s.gpr[R_EAX] & 0xff, 0x22,
             "the CPU runs the RAM copy: records decoded from ROM were dropped");

    cfg_write8(0x59, 0x10);                     /* read-only RAM */
    wr(0xF0001, 0x33);
    CHECK_EQ(rd(0xF0001), 0x22, "PAM 1: reads RAM, writes are dropped");
    cpu_run(&m.cpu, 2);
    CHECK_EQ(m.cpu.s.gpr[R_EAX] & 0xff, 0x22, "PAM 1: code runs from the write-protected RAM");

    cfg_write8(0x59, 0x20);                     /* write-only RAM */
    CHECK_EQ(rd(0xF0001), 0x11, "PAM 2: reads come from the ROM");
    wr(0xF0001, 0x44);
    CHECK_EQ(rd(0xF0001), 0x11, "PAM 2: the write did not change what reads see");
    cfg_write8(0x59, 0x30);
    CHECK_EQ(rd(0xF0001), 0x44, "PAM 2: ... but it reached the RAM");

    cfg_write8(0x59, 0x00);
    CHECK_EQ(rd(0xF0001), 0x11, "PAM 0 again: the ROM");

    /* A segment that is RAM when off: 0xC0000-0xC3FFF (PAM1 low nibble). */
    wr(0xC0000, 0x55);
    CHECK_EQ(rd(0xC0000), 0x55, "PAM off: 0xC0000 is RAM under a 256 KiB image");
    cfg_write8(0x5a, 0x01);
    wr(0xC0000, 0x66);
    CHECK_EQ(rd(0xC0000), 0x55, "PAM 1 on 0xC0000: write-protected");
    CHECK_EQ(rd(0xC4000), 0x00, "0xC4000 (other nibble) unaffected");
    wr(0xC4000, 0x77);
    CHECK_EQ(rd(0xC4000), 0x77, "0xC4000 still writable");
    cfg_write8(0x5a, 0x33);
    wr(0xC0000, 0x66);
    CHECK_EQ(rd(0xC0000), 0x66, "PAM 3 on 0xC0000: writable again");

    /* Reset: PAM back to off, RAM kept. */
    cfg_write8(0x59, 0x30);
    wr(0xF0002, 0xab);
    machine_reset(&m);
    CHECK_EQ(cfg_read(0x59, 1), 0, "reset clears PAM0");
    CHECK_EQ(rd(0xF0002), 0xeb, "after reset 0xF0000 is ROM again");
    cfg_write8(0x59, 0x30);
    CHECK_EQ(rd(0xF0002), 0xab, "the shadow RAM kept its contents across reset");

    /* fw_cfg as the board fills it. */
    fw_sel(FWCFG_SIGNATURE);
    char sig[5] = { 0 };
    for (int i = 0; i < 4; i++)
        sig[i] = (char)iobus_in(&m.io, 0x511, 1);
    CHECK_STR(sig, "QEMU", "fw_cfg signature at 0x510/0x511");
    CHECK_EQ(fw_int(FWCFG_ID, 4), 3, "fw_cfg ID: traditional + DMA");
    CHECK_EQ(fw_int(FWCFG_RAM_SIZE, 8), 32 << 20, "fw_cfg RAM size = -m");
    CHECK_EQ(fw_int(FWCFG_NOGRAPHIC, 2), 1, "fw_cfg NOGRAPHIC (serial console)");
    CHECK_EQ(fw_int(FWCFG_NB_CPUS, 2), 1, "fw_cfg one CPU");
    CHECK_EQ(fw_int(FWCFG_E820_TABLE, 4), 0, "fw_cfg legacy e820 reservations: none");
    uint32_t size = 0;
    int key = fw_file("etc/e820", &size);
    CHECK(key >= FWCFG_FILE_FIRST, "etc/e820 listed");
    CHECK_EQ(size, 20, "etc/e820 holds one 20-byte entry");
    CHECK_EQ(fw_int((uint16_t)key, 8), 0, "e820 entry starts at 0");
    uint8_t e[20];
    fw_sel((uint16_t)key);
    for (int i = 0; i < 20; i++)
        e[i] = (uint8_t)iobus_in(&m.io, 0x511, 1);
    CHECK_EQ(e[8] | e[9] << 8 | e[10] << 16 | (uint32_t)e[11] << 24, 32u << 20, "e820 length = RAM");
    CHECK_EQ(e[16], 1, "e820 type RAM");
    key = fw_file("etc/boot-fail-wait", &size);
    CHECK(key >= FWCFG_FILE_FIRST && size == 4, "etc/boot-fail-wait listed, 4 bytes");
    CHECK_EQ(fw_int((uint16_t)key, 4), 1500, "boot-fail-wait = --reboot-timeout");
    iobus_out(&m.io, 0x70, 0x3d, 1);
    CHECK_EQ(iobus_in(&m.io, 0x71, 1), 0x12, "CMOS 0x3D boot order: hard disk, floppy");
    iobus_out(&m.io, 0x70, 0x38, 1);
    CHECK_EQ(iobus_in(&m.io, 0x71, 1), 0x30, "CMOS 0x38: CD-ROM third, floppy signature check");
    CHECK_EQ(iobus_in(&m.io, 0x402, 1), 0xff, "no 0x402 port without --firmware-log");
    machine_free(&m);

    /* ---- a 68 KiB image: the window starts at 0xEF000, inside a segment ---- */
    cfg = (struct machine_config){ .bios = make_bios("bios68.bin", 68 << 10, 0, NULL, 0) };
    char logspec[300];
    snprintf(logspec, sizeof logspec, "file:%s/fw.log", tmpdir);
    cfg.firmware_log = logspec;
    cfg.fw_cfg[0] = "name=opt/greeting,string=hello";
    char filespec[320];
    snprintf(filespec, sizeof filespec, "name=genroms/x.bin,file=%s", cfg.bios);
    cfg.fw_cfg[1] = filespec;
    cfg.nfw_cfg = 2;
    CHECK(machine_init(&m, &cfg) == 0, "board with a 68 KiB image, --firmware-log, --fw-cfg");
    key = fw_file("opt/greeting", &size);
    CHECK(key >= FWCFG_FILE_FIRST && size == 5, "--fw-cfg string= file listed, 5 bytes");
    CHECK_EQ(fw_int((uint16_t)key, 5), 0x6f6c6c6568ull, "... holding 'hello'");
    key = fw_file("genroms/x.bin", &size);
    CHECK(key >= FWCFG_FILE_FIRST && size == 68 << 10, "--fw-cfg file= file listed with the file's size");
    CHECK(fw_file("etc/boot-fail-wait", &size) < 0, "no boot-fail-wait without --reboot-timeout");
    wr(0xEC000, 0x12);
    CHECK_EQ(rd(0xEC000), 0x12, "0xEC000 (below the window) is RAM");
    CHECK_EQ(rd(0xEF001), 0x01, "0xEF000 is the image's first byte + 1");
    cfg_write8(0x5f, 0x30);                     /* 0xEC000-0xEFFFF (high nibble): RAM */
    CHECK_EQ(rd(0xEC000), 0x12, "PAM 3 on the split segment: RAM part keeps its data");
    CHECK_EQ(rd(0xEF001), 0x00, "PAM 3 on the split segment: window part is RAM now");
    cfg_write8(0x5f, 0x00);
    CHECK_EQ(rd(0xEF001), 0x01, "PAM 0: window part is the image again");
    CHECK_EQ(iobus_in(&m.io, 0x402, 1), 0xe9, "--firmware-log: port 0x402 reads 0xE9 (present)");
    iobus_out(&m.io, 0x402, 'x', 1);
    machine_free(&m);
    char path[300], got[8] = { 0 };
    snprintf(path, sizeof path, "%s/fw.log", tmpdir);
    FILE *f = fopen(path, "r");
    CHECK(f && fread(got, 1, sizeof got - 1, f) == 1 && got[0] == 'x',
          "bytes written to 0x402 reach the --firmware-log file");
    if (f)
        fclose(f);

    cfg = (struct machine_config){ .nfw_cfg = 1, .fw_cfg = { "name=opt/x,file=/nonexistent" } };
    CHECK(machine_init(&m, &cfg) < 0, "--fw-cfg with a missing file fails the build");
    cfg.fw_cfg[0] = "name=opt/x";
    CHECK(machine_init(&m, &cfg) < 0, "--fw-cfg without file= or string= fails the build");

    /* ---- no firmware (--kernel): 0xC0000-0xFFFFF is plain RAM ---- */
    cfg = (struct machine_config){ 0 };
    CHECK(machine_init(&m, &cfg) == 0, "board without firmware");
    wr(0xFFFF0, 0x5c);
    CHECK_EQ(rd(0xFFFF0), 0x5c, "0xFFFF0 is RAM without firmware");
    machine_free(&m);

    return test_summary();
}
