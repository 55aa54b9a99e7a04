/* Unit tests for the run loop (src/vm/loop.c) on the real CPU with tiny
 * ROMs: exit through a device, the --max-insns guard, a stuck HLT, a HLT
 * woken by a timer without burning host CPU, reset requests, signals. */
#include "test.h"

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include "util/log.h"
#include "vm/loop.h"
#include "vm/machine.h"

static char tmpdir[] = "/tmp/rawbox-loop-test.XXXXXX";
static struct machine m;

/* A 64 KiB ROM with `code` at the reset vector F000:FFF0. */
static const char *rom(const char *name, const uint8_t *code, size_t len)
{
    static char path[256];
    uint8_t img[65536];
    FILE *f;
    memset(img, 0xf4, sizeof img);
    memcpy(img + 0xfff0, code, len);
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    f = fopen(path, "wb");
    fwrite(img, 1, sizeof img, f);
    fclose(f);
    return path;
}

static int boot(const char *path)
{
    struct machine_config cfg = { .bios = path, .ram_size = 2 << 20 };
    return machine_init(&m, &cfg);
}

static void exit_cb(void *opaque) { machine_request_exit(&m, (int)(intptr_t)opaque); }
static void reset_cb(void *opaque) { cpu_request_exit(&m.cpu, CPU_EXIT_RESET); }
static void signal_cb(void *opaque) { vm_loop_signal(SIGTERM); }
static int resets;
static void on_reset(void *opaque) { resets++; }

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

int main(void)
{
    static const uint8_t spin[] = { 0xeb, 0xfe };                     /* jmp $ */
    static const uint8_t exit5[] = { 0xb0, 0x02, 0xe6, 0xf4, 0xeb, 0xfe }; /* mov al,2; out 0xf4,al; jmp $ */
    static const uint8_t clihlt[] = { 0xfa, 0xf4 };                   /* cli; hlt */
    static const uint8_t stihlt[] = { 0xfb, 0xf4, 0xeb, 0xfd };       /* sti; hlt; jmp hlt */
    struct loop_opts o = { 0 };
    struct timer t1, t2;
    int rc;

    log_mask = 0;
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }

    CHECK(boot(rom("exit.bin", exit5, sizeof exit5)) == 0, "boot the exit ROM");
    rc = vm_loop_run(&m, &o);
    CHECK_EQ(rc, 5, "test-exit write of 2 ends the loop with status 5");
    machine_free(&m);

    CHECK(boot(rom("spin.bin", spin, sizeof spin)) == 0, "boot the spin ROM");
    o.max_insns = 12345;
    rc = vm_loop_run(&m, &o);
    CHECK_EQ(rc, LOOP_EXIT_LIMIT, "--max-insns stops a spinning guest with 124");
    CHECK_EQ(m.cpu.icount, 12345, "exactly max-insns instructions ran");
    machine_free(&m);
    o.max_insns = 0;

    CHECK(boot(rom("spin.bin", spin, sizeof spin)) == 0, "boot the spin ROM again");
    o.timeout_ns = 100 * 1000000ull;
    rc = vm_loop_run(&m, &o);
    CHECK_EQ(rc, LOOP_EXIT_LIMIT, "--timeout stops a spinning guest with 124");
    machine_free(&m);
    o.timeout_ns = 0;

    CHECK(boot(rom("clihlt.bin", clihlt, sizeof clihlt)) == 0, "boot cli; hlt");
    rc = vm_loop_run(&m, &o);
    CHECK_EQ(rc, LOOP_EXIT_STUCK, "HLT with IF=0 ends the run with status 4");
    machine_free(&m);

    CHECK(boot(rom("stihlt.bin", stihlt, sizeof stihlt)) == 0, "boot sti; hlt");
    rc = vm_loop_run(&m, &o);
    CHECK_EQ(rc, LOOP_EXIT_STUCK, "HLT with IF=1 and nothing to wake it ends with status 4");
    machine_free(&m);

    /* An idle guest sleeps: 300 ms of HLT must cost little host CPU. */
    CHECK(boot(rom("stihlt.bin", stihlt, sizeof stihlt)) == 0, "boot sti; hlt for the idle test");
    timer_init(&t1, &m.clock, exit_cb, (void *)(intptr_t)7);
    timer_mod(&t1, clock_now(&m.clock) + 300 * 1000000ull);
    double c0 = cpu_seconds();
    rc = vm_loop_run(&m, &o);
    double used = cpu_seconds() - c0;
    CHECK_EQ(rc, 7, "a timer ends the halted run (status 7)");
    CHECK(used < 0.1, "HLT sleeps instead of spinning (%.3f s CPU for 0.3 s idle)", used);
    machine_free(&m);

    /* Reset request: the board resets, the reset hooks run, the run goes on. */
    CHECK(boot(rom("spin.bin", spin, sizeof spin)) == 0, "boot the spin ROM for reset");
    CHECK(machine_add_reset(&m, on_reset, NULL) == 0, "add a reset hook");
    timer_init(&t1, &m.clock, reset_cb, NULL);
    timer_init(&t2, &m.clock, exit_cb, (void *)(intptr_t)9);
    timer_mod(&t1, clock_now(&m.clock) + 10 * 1000000ull);
    timer_mod(&t2, clock_now(&m.clock) + 60 * 1000000ull);
    rc = vm_loop_run(&m, &o);
    CHECK(rc == 9 && resets == 1 && m.resets == 1, "CPU_EXIT_RESET resets the machine once and the run goes on");
    machine_free(&m);

    /* Last: a signal (it stays latched, as for a process about to exit). */
    CHECK(boot(rom("spin.bin", spin, sizeof spin)) == 0, "boot the spin ROM for a signal");
    timer_init(&t1, &m.clock, signal_cb, NULL);
    timer_mod(&t1, clock_now(&m.clock) + 10 * 1000000ull);
    rc = vm_loop_run(&m, &o);
    CHECK_EQ(rc, 128 + SIGTERM, "a signal ends the run with 128+signal");
    machine_free(&m);

    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return test_summary();
}
