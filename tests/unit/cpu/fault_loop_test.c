/* Regression test: cpu_run() ends its slice when the guest is caught in a
 * loop of exceptions that retires no instruction (found by the
 * SingleStepTests 80286 suite, tests/conformance/sst_run.c: "lock div bh"
 * raises #UD, and the random IVT entry for vector 6 pointed at bytes that
 * fault again).
 *
 * A real-mode CPU without a board: IVT entry 6 points at a UD2 at
 * 0000:0500, and CS:IP starts on that UD2; the stack is at 1000:8000. Every delivery lands on the next
 * #UD, so no instruction ever retires. A real CPU loops there until reset
 * or NMI; rawbox must still return from cpu_run() after the slice (the
 * board loop runs timers, --timeout and host input between slices), with
 * the state at an instruction boundary. A SIGALRM watchdog turns the old
 * endless loop into a failed check. A second case checks that one fault in
 * a one-instruction slice still runs the handler's first instruction (HLT)
 * as before.
 */
#include "test.h"

#include <signal.h>
#include <unistd.h>

#include "cpu/cpu.h"
#include "cpu/flags.h"
#include "cpu/seg.h"
#include "mem/iobus.h"
#include "mem/physmem.h"

static struct physmem mem;
static struct iobus io;
static struct cpu cpu;

static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "FAIL cpu_run() did not return from an exception loop (watchdog)\n"
                              "0 passed, 1 failed\n";
    ssize_t n = write(1, msg, sizeof msg - 1);
    (void)n;
    _exit(1);
}

static void setup(uint16_t handler_ip, uint16_t start_ip)
{
    cpu_reset(&cpu);
    physmem_write(&mem, 6 * 4, handler_ip, 2);
    physmem_write(&mem, 6 * 4 + 2, 0, 2);
    for (int s = 0; s < SEG_COUNT; s++)
        seg_load_cache(&cpu, s, 0, 0, 0xffff, s == SEG_CS ? 0x9b : 0x93);
    /* The stack in its own 64 KiB (wrapping there), away from the code. */
    seg_load_cache(&cpu, SEG_SS, 0x1000, 0x10000, 0xffff, 0x93);
    cpu.s.gpr[R_ESP] = 0x8000;
    flags_set(&cpu, 0x2);
    cpu.s.rip = start_ip;
    cpu_update_mode(&cpu);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (physmem_init(&mem, 1u << 20) != 0 || physmem_map_ram(&mem, 0, 1u << 20, 0, "ram") != 0 ||
        iobus_init(&io) != 0) {
        printf("FAIL machine set-up\n0 passed, 1 failed\n");
        return 1;
    }
    cpu_init(&cpu, &mem, &io);
    signal(SIGALRM, on_alarm);
    alarm(10);

    /* UD2 at 0x500, IVT[6] -> 0000:0500: an endless #UD loop. */
    physmem_write(&mem, 0x500, 0x0b0f, 2);
    setup(0x500, 0x500);
    uint64_t ic = cpu.icount;
    enum cpu_exit why = cpu_run(&cpu, 1000);
    CHECK(why == CPU_EXIT_SLICE, "#UD loop: cpu_run returns a slice end (got %d)", (int)why);
    CHECK(cpu.icount == ic, "#UD loop: no instruction retired (%" PRIu64 ")", cpu.icount - ic);
    CHECK(EIP(&cpu) == 0x500 && cpu.s.seg[SEG_CS].sel == 0, "#UD loop: stopped at the handler, %04x:%04x",
          cpu.s.seg[SEG_CS].sel, EIP(&cpu));
    uint32_t sp = (uint32_t)cpu.s.gpr[R_ESP] & 0xffff;
    CHECK(sp != 0x8000 && (uint16_t)(0x8000 - sp) % 6 == 0, "#UD loop: whole frames pushed (SP %04x)", sp);
    CHECK(physmem_read(&mem, 0x10000 + ((sp + 2) & 0xffff), 2) == 0 &&
          physmem_read(&mem, 0x10000 + sp, 2) == 0x500, "#UD loop: the last frame holds 0000:0500");
    why = cpu_run(&cpu, 1);
    CHECK(why == CPU_EXIT_SLICE, "#UD loop: a one-instruction slice returns too (got %d)", (int)why);

    /* One #UD whose handler is a HLT: cpu_run(1) delivers it and runs the
     * HLT, as before the change (one delivery is within the slice). */
    physmem_write(&mem, 0x500, 0x0b0f, 2);
    physmem_write(&mem, 0x600, 0xf4, 1);
    setup(0x600, 0x500);
    why = cpu_run(&cpu, 1);
    CHECK(cpu.halted && EIP(&cpu) == 0x601,
          "one #UD then HLT in a one-instruction slice: halted after the HLT (exit %d, IP %04x)",
          (int)why, EIP(&cpu));

    alarm(0);
    cpu_free(&cpu);
    iobus_free(&io);
    physmem_free(&mem);
    return test_summary();
}
