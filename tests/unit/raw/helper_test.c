/* The raw-mode helper on its own (src/raw/helper.c, stub.S, seccomp.c):
 * machine code placed in a fake guest RAM memfd, mapped into the helper
 * and run natively there, plays the hostile guest program of the threat
 * model (docs/raw-mode.md): host system calls, the memfd through the
 * stub's own mmap, a system call from the wrong site, a forged stop. Each
 * must end as a stop the monitor handles or as a dead helper, never as an
 * effect outside the helper. */
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "raw/helper.h"
#include "test.h"

extern const char raw_stub_start[], raw_site_mmap[], raw_site_close[];

#define GUEST_CODE  0x10000000ull   /* where the test maps its code page */
#define GUEST_DATA  0x10001000ull   /* and a data/stack page */
#define NOT_MAPPED  0x20000000ull

static int memfd;
static uint8_t *ram;

static uint64_t stub(const char *sym)
{
    return raw_region_base + RAW_CODE_OFF + (uint64_t)(sym - raw_stub_start);
}

static bool start(struct raw_helper *h)
{
    if (raw_helper_start(h, memfd) < 0) {
        printf("# helper: %s\n", h->err);
        return false;
    }
    struct raw_op code = { RAW_OP_MMAP, PROT_READ | PROT_EXEC, GUEST_CODE, 4096, 0 };
    struct raw_op data = { RAW_OP_MMAP, PROT_READ | PROT_WRITE, GUEST_DATA, 4096, 4096 };
    raw_helper_queue(h, &code);
    raw_helper_queue(h, &data);
    return true;
}

/* Run the code at `off` in the code page with the registers given (all
 * others zero), RSP at the top of the data page. */
static enum raw_wait run(struct raw_helper *h, unsigned off, const uint64_t regs[REG_R15 + 1 > 16 ? 23 : 23])
{
    greg_t *g = h->uc->uc_mcontext.gregs;
    for (int r = 0; r <= REG_RIP; r++)
        g[r] = regs ? (greg_t)regs[r] : 0;
    g[REG_RIP] = (greg_t)(GUEST_CODE + off);
    g[REG_RSP] = regs && regs[REG_RSP] ? (greg_t)regs[REG_RSP] : (greg_t)(GUEST_DATA + 4096 - 64);
    g[REG_CSGSFS] = (greg_t)(0x33 | (0x2bull << 48));
    bool kicked;
    return raw_helper_run(h, raw_host_ns() + 2000000000ull, &kicked);
}

static void put(unsigned off, const uint8_t *code, size_t n)
{
    memcpy(ram + off, code, n);
}

int main(void)
{
    struct raw_helper h;
    memfd = memfd_create("raw-test", 0);
    if (memfd < 0 || ftruncate(memfd, 2 * 4096) < 0)
        return 1;
    ram = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
    if (ram == MAP_FAILED)
        return 1;
    memset(ram, 0xcc, 4096);
    memset(ram + 4096, 0, 4096);

    /* 0x00: mov eax, 39 (getpid); syscall; ud2 */
    put(0x00, (const uint8_t[]){ 0xb8, 39, 0, 0, 0, 0x0f, 0x05, 0x0f, 0x0b }, 9);
    /* 0x20: ud2 (registers round trip) */
    put(0x20, (const uint8_t[]){ 0x0f, 0x0b }, 2);
    /* 0x40: rdtsc */
    put(0x40, (const uint8_t[]){ 0x0f, 0x31 }, 2);
    /* 0x60: mov eax, 1; int 0x80 */
    put(0x60, (const uint8_t[]){ 0xb8, 1, 0, 0, 0, 0xcd, 0x80, 0x0f, 0x0b }, 9);
    /* 0xa0: mov al, [rbx] (probe a linear address) */
    put(0xa0, (const uint8_t[]){ 0x8a, 0x03, 0x0f, 0x0b }, 4);
    /* 0xc0: ud2, where the stub's ret lands */
    put(0xc0, (const uint8_t[]){ 0x0f, 0x0b }, 2);

    if (!start(&h)) {
        CHECK(false, "the helper starts");
        return test_summary();
    }
    CHECK(true, "the helper starts");

    CHECK_EQ(run(&h, 0x00, NULL), RAW_WAIT_EXIT, "host getpid from guest code: a stop");
    CHECK_EQ(h.sig, SIGSYS, "it stops as SIGSYS (seccomp), not as a host getpid");
    CHECK_EQ((uint64_t)h.uc->uc_mcontext.gregs[REG_RAX], 39, "RAX still holds the number");
    CHECK_EQ((uint64_t)h.uc->uc_mcontext.gregs[REG_RIP], GUEST_CODE + 7, "RIP after the syscall");

    uint64_t regs[23] = { 0 };
    static const int gp[] = { REG_RAX, REG_RBX, REG_RCX, REG_RDX, REG_RSI, REG_RDI, REG_RBP,
                              REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15 };
    for (unsigned k = 0; k < sizeof gp / sizeof gp[0]; k++)
        regs[gp[k]] = 0x1111111111111111ull * (k + 1);
    CHECK_EQ(run(&h, 0x20, regs), RAW_WAIT_EXIT, "ud2: a stop");
    CHECK_EQ(h.sig, SIGILL, "ud2 stops as SIGILL");
    bool same = true;
    for (unsigned k = 0; k < sizeof gp / sizeof gp[0]; k++)
        same &= (uint64_t)h.uc->uc_mcontext.gregs[gp[k]] == regs[gp[k]];
    CHECK(same, "all 15 general registers come back as they went in");

    CHECK_EQ(run(&h, 0x40, NULL), RAW_WAIT_EXIT, "rdtsc: a stop");
    /* PR_TSC_SIGSEGV makes it fault where the host honours CR4.TSD; PVM
     * hosts run it (then into the int3 after it), which is why the shadow
     * scan keeps RDTSC pages away from native code. */
    CHECK(h.sig == SIGSEGV || h.sig == SIGTRAP, "rdtsc faults or runs on (sig %d)", h.sig);

    CHECK_EQ(run(&h, 0x60, NULL), RAW_WAIT_EXIT, "int 0x80 with the i386 exit number: a stop");
    CHECK(h.sig == SIGSYS || h.sig == SIGSEGV, "int 0x80 stops as SIGSYS or #GP (sig %d)", h.sig);

    /* The stub's own mmap with the memfd's number: the memfd is not held
     * while guest code runs, so it fails; r12 = 1 makes the stub's op loop
     * end at once and return to the ud2 at 0xc0. */
    memset(regs, 0, sizeof regs);
    regs[REG_R11] = stub(raw_site_mmap) - 2;    /* the syscall instruction */
    regs[REG_RBX] = raw_region_base + RAW_REP_OFF;  /* what the stub counts errors in */
    regs[REG_R12] = 1;
    regs[REG_R13] = GUEST_DATA;
    regs[REG_RSP] = GUEST_DATA + 2048;
    uint64_t ret = GUEST_CODE + 0xc0;
    memcpy(ram + 4096 + 2048, &ret, 8);
    regs[REG_RDI] = NOT_MAPPED;
    regs[REG_RSI] = 4096;
    regs[REG_RDX] = PROT_READ;
    regs[REG_R10] = 0x11;
    regs[REG_R8] = RAW_MEMFD;
    regs[REG_R9] = 0;
    int64_t last = 0;
    raw_helper_take_errors(&h, NULL);
    put(0x100, (const uint8_t[]){ 0xb8, 9, 0, 0, 0, 0x41, 0xff, 0xe3 }, 8);  /* mov eax, 9; jmp r11 */
    CHECK_EQ(run(&h, 0x100, regs), RAW_WAIT_EXIT, "guest code calling the stub's mmap: a stop");
    CHECK_EQ(h.sig, SIGILL, "it comes back to guest code (the ud2) without a host effect");
    CHECK_EQ(raw_helper_take_errors(&h, &last), 1, "the mmap failed");
    CHECK_EQ(last, -9, "with EBADF: no memfd outside a batch");
    memset(regs, 0, sizeof regs);
    regs[REG_RBX] = NOT_MAPPED;
    CHECK_EQ(run(&h, 0xa0, regs), RAW_WAIT_EXIT, "reading where it tried to map");
    CHECK_EQ(h.sig, SIGSEGV, "faults: nothing was mapped");

    /* A system call at another call's site: the filter kills the helper. */
    memset(regs, 0, sizeof regs);
    regs[REG_RBX] = stub(raw_site_close) - 2;
    regs[REG_RDI] = RAW_MEMFD;
    put(0x120, (const uint8_t[]){ 0xb8, 9, 0, 0, 0, 0xff, 0xe3 }, 7);    /* mmap at close's site */
    CHECK_EQ(run(&h, 0x120, regs), RAW_WAIT_DEAD, "mmap from close's site: the helper dies");
    CHECK(strstr(h.err, "signal 31") != NULL, "killed by seccomp (%s)", h.err);
    raw_helper_stop(&h);

    /* A forged stop: guest code enters the handler with RDX (the frame)
     * pointing outside the alternate stack. */
    if (!start(&h))
        return test_summary();
    memset(regs, 0, sizeof regs);
    regs[REG_RBX] = raw_region_base + RAW_CODE_OFF;     /* the handler */
    regs[REG_RDI] = SIGSEGV;
    regs[REG_RSI] = raw_region_base + RAW_ALT_OFF;
    regs[REG_RDX] = (uint64_t)(uintptr_t)&h;            /* a monitor address */
    put(0x140, (const uint8_t[]){ 0xff, 0xe3 }, 2);     /* jmp rbx */
    CHECK_EQ(run(&h, 0x140, regs), RAW_WAIT_DEAD, "a forged stop with a frame in the monitor");
    CHECK(strstr(h.err, "outside") != NULL, "is refused (%s)", h.err);
    raw_helper_stop(&h);
    return test_summary();
}
