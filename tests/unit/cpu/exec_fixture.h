/* A flat vCPU for CPU unit tests that run single instructions: the file's
 * `mem` (RAM from address 0), `io` and `cpu`; fixture_reset() zeroes the
 * vCPU and puts it in flat 32-bit protected mode or 64-bit mode (selectors
 * 08h/10h, base 0, limit 4 GiB, RIP 1000h, CR0.PE|ET), leaving CR4, the
 * x87/SSE state and the CPUID features to the test's own reset_cpu();
 * exec_bytes()/EXEC(...) decode bytes and run the handler the way cpu_run()
 * does (next_rip and insn_rsp preset, faults caught through cpu->fault_jmp),
 * returning -1, the vector of the fault raised, or -2 if the bytes do not
 * decode to exactly one instruction; set_x/x_is set and compare an XMM
 * register; poke/peek and put_mem/get_mem write and read guest memory.
 * fixture_init() and fixture_done() are main()'s set-up and tail. The
 * including file includes test.h first and keeps its RAM size, segment
 * attributes, CR4 and CPUID features as the arguments and its own
 * reset_cpu(). Shared by sse_ext_test, sse_wire_test, sse_move_test,
 * sse_state_test, stackstr_test and lm_exec_test. */
#ifndef RAWBOX_TESTS_EXEC_FIXTURE_H
#define RAWBOX_TESTS_EXEC_FIXTURE_H

#include <setjmp.h>
#include <stdbool.h>
#include "cpu/cpu.h"
#include "cpu/insn.h"
#include "cpu/mmu.h"
#include "mem/iobus.h"
#include "mem/physmem.h"

static struct physmem mem;
static struct iobus io;
static struct cpu *cpu;

/* Set by a test whose undefined opcodes may decode shorter than the bytes
 * given (row 0 has no ModRM): exec_bytes() then runs the op_ud record. */
static bool exec_short_ud_ok;

/* main(): `ram` bytes of RAM at 0 and the I/O bus; false (after printing a
 * failed summary) if that fails. */
static inline bool fixture_init(uint32_t ram)
{
    static struct cpu c;
    cpu = &c;
    if (physmem_init(&mem, ram) != 0 || physmem_map_ram(&mem, 0, ram, 0, "ram") != 0 ||
        iobus_init(&io) != 0) {
        printf("setup failed\n0 passed, 1 failed\n");
        return false;
    }
    return true;
}

/* main()'s tail: frees the machine, returns the exit status. */
static inline int fixture_done(void)
{
    iobus_free(&io);
    physmem_free(&mem);
    return test_summary();
}

static inline void fixture_seg(int s, uint16_t attr)
{
    cpu->s.seg[s].sel = s == SEG_CS ? 0x08 : 0x10;
    cpu->s.seg[s].base = 0;
    cpu->s.seg[s].limit = 0xffffffffu;
    cpu->s.seg[s].attr = attr;
}

/* A zeroed vCPU in `mode` (MODE_PROT32 or MODE_LONG64) with flat data
 * segments (93h, D/B, G) and CS attributes `cs_attr`. */
static inline void fixture_reset(enum cpu_mode mode, uint16_t cs_attr)
{
    unsigned size = mode == MODE_LONG64 ? 8 : 4;
    memset(cpu, 0, sizeof *cpu);
    cpu->mem = &mem;
    cpu->io = &io;
    mmu_init(cpu);
    cpu->s.mode = mode;
    cpu->s.cr0 = CR0_PE | CR0_ET;
    for (int s = 0; s < SEG_COUNT; s++)
        fixture_seg(s, 0x93 | SEGA_DB | SEGA_G);
    fixture_seg(SEG_CS, cs_attr);
    cpu->s.code_size = size;
    cpu->s.stack_size = size;
    cpu->s.rflags = 0x2;
    cpu->s.rip = 0x1000;
}

/* Run one instruction; returns -1, or the vector of the fault it raised.
 * On success RIP advances to next_rip as in cpu_run(). */
static inline int exec_bytes(const uint8_t *b, unsigned n)
{
    static struct insn i;
    int len = decode_bytes(b, n, insn_code_size(cpu), &i);
    if (len != (int)n && !(exec_short_ud_ok && len > 0 && i.fn == op_ud)) {
        printf("decode of %u bytes failed\n", n);
        return -2;
    }
    cpu->cur = &i;
    cpu->next_rip = (cpu->s.code_size == 8 ? cpu->s.rip : EIP(cpu)) + i.len;
    cpu->insn_rsp = cpu->s.gpr[R_ESP];
    if (setjmp(cpu->fault_jmp))
        return cpu->exc_vector;
    i.fn(cpu, &i);
    cpu->s.rip = cpu->next_rip;
    return -1;
}

#define EXEC(...) exec_bytes((const uint8_t[]){ __VA_ARGS__ }, \
                             sizeof((const uint8_t[]){ __VA_ARGS__ }))

static inline void set_x(unsigned r, uint64_t lo, uint64_t hi)
{
    cpu->s.xmm[r].q[0] = lo;
    cpu->s.xmm[r].q[1] = hi;
}

static inline bool x_is(unsigned r, uint64_t lo, uint64_t hi)
{
    return cpu->s.xmm[r].q[0] == lo && cpu->s.xmm[r].q[1] == hi;
}

/* The low n bytes of v at a, little-endian; and back. */
static inline void poke(uint32_t a, uint64_t v, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        physmem_write(&mem, a + k, (uint8_t)(v >> 8 * k), 1);
}

static inline uint64_t peek(uint32_t a, unsigned n)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < n; k++)
        v |= (uint64_t)physmem_read(&mem, a + k, 1) << 8 * k;
    return v;
}

static inline void put_mem(uint32_t a, const uint8_t *b, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        physmem_write(&mem, a + k, b[k], 1);
}

static inline void get_mem(uint32_t a, uint8_t *b, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        b[k] = (uint8_t)physmem_read(&mem, a + k, 1);
}

#endif
