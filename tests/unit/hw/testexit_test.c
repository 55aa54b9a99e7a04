/* Unit tests for the test-exit device, QEMU's isa-debug-exit
 * (src/hw/testexit.c), through the port bus: the status (V << 1) | 1 for
 * each access size and port of the range, reads, placement at QEMU's
 * default 0x501/2 and at the board's 0xF4/4, overlap refused. */
#include "test.h"
#include "hw/testexit.h"
#include "mem/iobus.h"

static struct iobus bus;
static int calls, status;

static void on_exit_(void *o, int s)
{
    calls++;
    status = s;
}

int main(void)
{
    struct testexit a, b, c;

    CHECK(iobus_init(&bus) == 0, "iobus_init");
    CHECK(testexit_init(&a, &bus, TESTEXIT_PORT, TESTEXIT_SIZE, on_exit_, NULL) == 0,
          "at 0xF4, 4 ports");
    CHECK(testexit_init(&b, &bus, TESTEXIT_QEMU_IOBASE, TESTEXIT_QEMU_IOSIZE, on_exit_, NULL) == 0,
          "at QEMU's default 0x501, 2 ports");
    CHECK(testexit_init(&c, &bus, 0xF6, 1, on_exit_, NULL) != 0, "an overlapping range is refused");

    iobus_out(&bus, 0xF4, 0, 1);
    CHECK(calls == 1 && status == 1, "byte 0 at 0xF4 -> status 1");
    iobus_out(&bus, 0xF4, 1, 1);
    CHECK(calls == 2 && status == 3, "byte 1 -> status 3 (kvm-unit-tests' pass)");
    iobus_out(&bus, 0xF7, 0x26, 1);
    CHECK(calls == 3 && status == 0x4d, "byte 0x26 at 0xF7 (last port) -> 0x4d (77 skip is V=38)");
    iobus_out(&bus, 0xF4, 0x1234, 2);
    CHECK(calls == 4 && status == 0x2469, "word 0x1234 -> 0x2469 (one call)");
    iobus_out(&bus, 0xF4, 0x40000001, 4);
    CHECK(calls == 5 && (status & 0xff) == 3, "dword 0x40000001 -> status 3 after the host's 8-bit cut");
    CHECK_EQ(iobus_in(&bus, 0xF5, 1), 0, "reads are 0");
    CHECK_EQ(calls, 5, "a read does not exit");

    iobus_out(&bus, 0x503, 1, 1);
    CHECK_EQ(calls, 5, "0x503 is past the 2-port device at 0x501");
    iobus_out(&bus, 0x500, 1, 1);
    CHECK_EQ(calls, 5, "0x500 is before it");
    iobus_out(&bus, 0x502, 2, 1);
    CHECK(calls == 6 && status == 5, "byte 2 at 0x502 (its last port) -> status 5");
    iobus_out(&bus, 0xF8, 1, 1);
    CHECK_EQ(calls, 6, "0xF8 is past the 4-port device at 0xF4");

    iobus_free(&bus);
    return test_summary();
}
