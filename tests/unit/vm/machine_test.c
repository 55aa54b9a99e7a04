/* Unit tests for the minimal board (src/vm/machine.c) and its port devices
 * (debugcon, test-exit, POST, pc-testdev): the BIOS mapping at the top of 4 GiB and
 * below 1 MiB, RAM layout, firmware size checks, port behaviour, reset and
 * cleanup hooks. Drives the buses directly; no instruction runs. */
#include "test.h"

#include <unistd.h>

#include "vm/machine.h"
#include "util/log.h"

static char tmpdir[] = "/tmp/rawbox-machine-test.XXXXXX";

/* Write a firmware image of `size` bytes where byte k is (k ^ tag) and
 * return its path. */
static const char *make_bios(const char *name, size_t size, uint8_t tag)
{
    static char path[256];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    f = fopen(path, "wb");
    for (size_t k = 0; k < size; k++)
        fputc((int)((k & 0xff) ^ tag), f);
    fclose(f);
    return path;
}

static int hook_calls;
static void hook(void *opaque) { hook_calls += *(int *)opaque; }

int main(void)
{
    static struct machine m;
    struct machine_config cfg = { 0 };
    int one = 1, ten = 10;
    char dcpath[300], buf[64];
    FILE *f;

    log_mask = 0;
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }

    /* A 64 KiB image: 0xF0000-0xFFFFF and 0xFFFF0000-0xFFFFFFFF. */
    cfg.bios = make_bios("bios64.bin", 64 << 10, 0x5a);
    snprintf(dcpath, sizeof dcpath, "%s/debugcon.txt", tmpdir);
    char dcspec[320];
    snprintf(dcspec, sizeof dcspec, "file:%s", dcpath);
    cfg.debugcon = dcspec;
    CHECK(machine_init(&m, &cfg) == 0, "build a board with a 64 KiB BIOS");
    CHECK_EQ(m.cfg.ram_size, MACHINE_DEFAULT_RAM, "default RAM is 128M");
    CHECK_EQ(physmem_read(&m.mem, 0xFFFFFFF0ull, 1), 0xF0 ^ 0x5a, "reset vector byte at 0xFFFFFFF0");
    CHECK_EQ(physmem_read(&m.mem, 0xFFFF0000ull, 4), 0x03020100u ^ 0x5a5a5a5au, "image start at 4G-64K");
    CHECK_EQ(physmem_read(&m.mem, 0xFFFF0, 1), 0xF0 ^ 0x5a, "same byte at 0xFFFF0 below 1 MiB");
    CHECK_EQ(physmem_read(&m.mem, 0xF0000, 1), 0x00 ^ 0x5a, "image start at 0xF0000");
    physmem_write(&m.mem, 0xE0000, 0x77, 1);
    CHECK_EQ(physmem_read(&m.mem, 0xE0000, 1), 0x77, "0xE0000 is RAM under a 64 KiB image");
    physmem_write(&m.mem, 0xF0000, 0x77, 1);
    CHECK_EQ(physmem_read(&m.mem, 0xF0000, 1), 0x5a, "BIOS window is read-only");
    CHECK_EQ(physmem_read(&m.mem, 0xB8000, 1), 0xff, "VGA window unassigned (reads all ones)");
    physmem_write(&m.mem, 0x9FFFF, 0x12, 1);
    physmem_write(&m.mem, 0x7FFFFFF, 0x34, 1);
    CHECK(physmem_read(&m.mem, 0x9FFFF, 1) == 0x12 && physmem_read(&m.mem, 0x7FFFFFF, 1) == 0x34,
          "RAM below 640K and up to 128M");
    CHECK_EQ(physmem_read(&m.mem, 0x8000000, 1), 0xff, "nothing past the end of RAM");

    /* Ports */
    CHECK_EQ(iobus_in(&m.io, DEBUGCON_PORT, 1), 0xE9, "debugcon reads back 0xE9");
    iobus_out(&m.io, DEBUGCON_PORT, 'h', 1);
    iobus_out(&m.io, DEBUGCON_PORT, 'i', 1);
    iobus_out(&m.io, DEBUGCON_PORT, '\n', 1);
    f = fopen(dcpath, "r");
    CHECK(f && fgets(buf, sizeof buf, f) && strcmp(buf, "hi\n") == 0, "debugcon bytes reach the file at newline");
    if (f)
        fclose(f);
    iobus_out(&m.io, POST_PORT, 0x11, 1);
    iobus_out(&m.io, POST_PORT, 0x22, 1);
    CHECK(m.post.last == 0x22 && m.post.count == 2, "POST port records the last code");
    CHECK_EQ(iobus_in(&m.io, POST_PORT, 1), 0x22, "POST port reads the last code");
    post_format_recent(&m.post, buf, sizeof buf);
    CHECK_STR(buf, "0x11 0x22", "recent POST codes, oldest first");
    CHECK(!m.exit_requested, "no exit requested yet");
    iobus_out(&m.io, TESTEXIT_PORT, 1, 1);
    CHECK(m.exit_requested && m.exit_status == 3, "test-exit: byte 1 -> status 3");
    CHECK_EQ(m.cpu.exit_req, CPU_EXIT_STOP, "test-exit asks the CPU to stop");
    iobus_out(&m.io, TESTEXIT_PORT, 5, 1);
    CHECK_EQ(m.exit_status, 3, "first exit status wins");
    m.exit_requested = false;
    iobus_out(&m.io, TESTEXIT_PORT + 2, 0x10, 2);
    CHECK_EQ(m.exit_status, 0x21, "test-exit: word 0x10 at 0xF6 -> status 0x21");

    /* Hooks */
    CHECK(machine_add_reset(&m, hook, &one) == 0, "add a reset hook");
    CHECK(machine_add_cleanup(&m, hook, &ten) == 0, "add a cleanup hook");
    hook_calls = 0;
    physmem_set_a20(&m.mem, false);
    machine_reset(&m);
    CHECK(hook_calls == 1 && m.resets == 1, "reset runs the reset hooks");
    CHECK(m.mem.a20, "reset re-enables A20");
    CHECK(m.cpu.s.seg[SEG_CS].sel == 0xF000 && EIP(&m.cpu) == 0xFFF0, "reset puts the CPU at F000:FFF0");
    machine_free(&m);
    CHECK_EQ(hook_calls, 11, "free runs the cleanup hooks once");

    /* A 256 KiB image: last 128 KiB at 0xE0000. */
    cfg = (struct machine_config){ .bios = make_bios("bios256.bin", 256 << 10, 0), .ram_size = 16 << 20 };
    CHECK(machine_init(&m, &cfg) == 0, "build a board with a 256 KiB BIOS and 16M");
    CHECK_EQ(physmem_read(&m.mem, 0xFFFC0000ull, 1), 0, "image at 4G-256K");
    CHECK_EQ(physmem_read(&m.mem, 0xE0001, 1), 0x01, "last 128 KiB start at 0xE0000");
    CHECK_EQ(physmem_read(&m.mem, 0xDFFFF, 1), 0, "0xDFFFF is RAM (zero)");
    physmem_write(&m.mem, 0xE0001, 0x99, 1);
    CHECK_EQ(physmem_read(&m.mem, 0xE0001, 1), 0x01, "0xE0000 window read-only");
    machine_free(&m);

    /* Bad images: one line on stderr and failure. */
    cfg = (struct machine_config){ .bios = make_bios("small.bin", 32 << 10, 0) };
    CHECK(machine_init(&m, &cfg) < 0, "32 KiB image refused");
    cfg.bios = make_bios("odd.bin", (64 << 10) + 1, 0);
    CHECK(machine_init(&m, &cfg) < 0, "image not a multiple of 4 KiB refused");
    cfg.bios = make_bios("big.bin", (1 << 20) + 4096, 0);
    CHECK(machine_init(&m, &cfg) < 0, "image over 1 MiB refused");
    cfg.bios = "/nonexistent/bios.bin";
    CHECK(machine_init(&m, &cfg) < 0, "missing file refused");
    cfg.bios = make_bios("ok.bin", 64 << 10, 0);
    cfg.debugcon = "tty";
    CHECK(machine_init(&m, &cfg) < 0, "bad --debugcon refused");
    cfg.debugcon = NULL;
    cfg.bios = make_bios("max.bin", 1 << 20, 0);
    CHECK(machine_init(&m, &cfg) == 0, "1 MiB image accepted");
    CHECK_EQ(iobus_in(&m.io, 0xE0, 4), 0xffffffffu, "no pc-testdev unless configured");
    machine_free(&m);

    /* --device isa-debug-exit replaces the exit at 0xF4; --device pc-testdev. */
    cfg = (struct machine_config){ .bios = make_bios("ok.bin", 64 << 10, 0), .pc_testdev = true,
                                   .ndebug_exit = 2 };
    cfg.debug_exit[0].base = 0x501;
    cfg.debug_exit[0].size = 2;
    cfg.debug_exit[1].base = 0xF4;
    cfg.debug_exit[1].size = 1;
    CHECK(machine_init(&m, &cfg) == 0, "board with two isa-debug-exit and pc-testdev");
    iobus_out(&m.io, 0xF5, 1, 1);
    CHECK(!m.exit_requested, "0xF5 is not an exit port when only 0xF4+1 is configured");
    iobus_out(&m.io, 0x502, 2, 1);
    CHECK(m.exit_requested && m.exit_status == 5, "exit at 0x502 (0x501+2): byte 2 -> 5");
    iobus_out(&m.io, 0xE0, 0xCAFE, 2);
    CHECK_EQ(iobus_in(&m.io, 0xE0, 2), 0xCAFE, "pc-testdev data register at 0xE0");
    physmem_write(&m.mem, 0xFF000010u, 0x1234, 2);
    CHECK_EQ(physmem_read(&m.mem, 0xFF000010u, 2), 0x1234, "pc-testdev memory at 0xFF000000");
    machine_pc_direct_boot(&m);
    iobus_out(&m.io, 0x2000 + 11, 1, 1);
    CHECK_EQ(pic_intr_ack(&m.pc.pic), 0x73, "direct boot: pc-testdev IRQ 11 arrives as vector 0x73");
    iobus_out(&m.io, 0x2000 + 1, 1, 1);
    CHECK_EQ(pic_intr_ack(&m.pc.pic), 0x09, "direct boot: IRQ 1 arrives as vector 0x09");
    machine_free(&m);
    cfg.ndebug_exit = 1;
    cfg.debug_exit[0].base = 0x80;      /* the POST port */
    CHECK(machine_init(&m, &cfg) < 0, "isa-debug-exit over the POST port is refused");

    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return test_summary();
}
