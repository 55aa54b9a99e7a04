/* Unit tests of the move/stack/string/control handlers in 32-bit flat
 * protected mode, where the guest tests (16-bit real mode) do not reach:
 * 32-bit stack and code, faults in the middle of an instruction (state must
 * be as before it, or for REP string instructions as after the iterations
 * done), the REP batch restart, near branches beyond the CS limit, operand-
 * and address-size prefixes in 32-bit code, and the I/O permission check of
 * INS/OUTS.
 *
 * Each instruction is given as bytes, decoded with decode_bytes() and run
 * by calling its handler the way cpu_run() does (next_rip preset, faults
 * caught through cpu->fault_jmp). ESP is NOT rolled back on a fault here,
 * so the tests also show the handlers themselves leave ESP alone. */
#include "test.h"
#include "cpu/cpu.h"
#include "cpu/except.h"
#include "cpu/flags.h"
#include "mem/physmem.h"
#include "exec_fixture.h"

static void reset_cpu(void)
{
    fixture_reset(MODE_PROT32, 0x9b | SEGA_DB | SEGA_G);
    cpu->s.gpr[R_ESP] = 0x8000;
}

static uint32_t rd32(uint32_t a) { return (uint32_t)physmem_read(&mem, a, 4); }
static uint8_t rd8(uint32_t a) { return (uint8_t)physmem_read(&mem, a, 1); }
static void wr32(uint32_t a, uint32_t v) { physmem_write(&mem, a, v, 4); }
static void wr8(uint32_t a, uint8_t v) { physmem_write(&mem, a, v, 1); }


#define R(n) ((uint32_t)cpu->s.gpr[n])

/* ---- stack ---- */

static void test_stack32(void)
{
    reset_cpu();
    CHECK_EQ(EXEC(0x54), -1, "push esp runs");                  /* push esp */
    CHECK_EQ(rd32(0x7ffc), 0x8000, "push esp pushes the old esp");
    CHECK_EQ(EXEC(0x5c), -1, "pop esp runs");                   /* pop esp */
    CHECK_EQ(R(R_ESP), 0x8000, "pop esp loads the popped value");

    /* pop dword [esp+4]: address after the increment */
    reset_cpu();
    cpu->s.gpr[R_ESP] = 0x7ff4;
    wr32(0x7ff4, 0x11111111);
    wr32(0x7ff8, 0x22222222);
    wr32(0x7ffc, 0x33333333);
    CHECK_EQ(EXEC(0x8f, 0x44, 0x24, 0x04), -1, "pop [esp+4] runs");
    CHECK_EQ(R(R_ESP), 0x7ff8, "pop [esp+4]: esp");
    CHECK_EQ(rd32(0x7ffc), 0x11111111, "pop [esp+4] stores at new esp + 4");
    CHECK_EQ(rd32(0x7ff8), 0x22222222, "pop [esp+4] leaves new esp slot");

    /* a faulting POP m32 leaves ESP unchanged */
    reset_cpu();
    cpu->s.seg[SEG_SS].limit = 0x7fff;
    cpu->s.gpr[R_ESP] = 0x7ff8;
    CHECK_EQ(EXEC(0x8f, 0x44, 0x24, 0x08), EXC_SS, "pop [esp+8] past SS limit: #SS");
    CHECK_EQ(R(R_ESP), 0x7ff8, "faulting pop m32 leaves esp");

    /* PUSH FS with 32-bit operand size: ESP-4, only the low word written */
    reset_cpu();
    wr32(0x7ffc, 0xdeadbeef);
    cpu->s.seg[SEG_FS].sel = 0x0023;
    CHECK_EQ(EXEC(0x0f, 0xa0), -1, "push fs runs");
    CHECK_EQ(R(R_ESP), 0x7ffc, "push fs (o32) moves esp by 4");
    CHECK_EQ(rd32(0x7ffc), 0xdead0023, "push fs (o32) writes 16 bits (P6)");
    CHECK_EQ(EXEC(0x66, 0x0f, 0xa8), -1, "o16 push gs runs");
    CHECK_EQ(R(R_ESP), 0x7ffa, "push gs (o16) moves esp by 2");

    /* PUSHA/POPA 32 */
    reset_cpu();
    for (unsigned r = 0; r < 8; r++)
        if (r != R_ESP)
            cpu->s.gpr[r] = 0x10101010u * (r + 1);
    CHECK_EQ(EXEC(0x60), -1, "pushad runs");
    CHECK_EQ(R(R_ESP), 0x7fe0, "pushad esp");
    CHECK_EQ(rd32(0x7fec), 0x8000, "pushad saved the original esp");
    for (unsigned r = 0; r < 8; r++)
        if (r != R_ESP)
            cpu->s.gpr[r] = 0;
    wr32(0x7fec, 0x12345678);
    CHECK_EQ(EXEC(0x61), -1, "popad runs");
    CHECK_EQ(R(R_ESP), 0x8000, "popad skips the saved esp");
    CHECK_EQ(R(R_EAX), 0x10101010, "popad eax");
    CHECK_EQ(R(R_EDI), 0x80808080, "popad edi");

    /* PUSHAD that would run past the SS limit faults before writing */
    reset_cpu();
    cpu->s.seg[SEG_SS].limit = 0x7fff;
    cpu->s.gpr[R_ESP] = 0x10;
    wr32(0xc, 0xcccccccc);
    CHECK_EQ(EXEC(0x60), EXC_SS, "pushad wrapping below 0: #SS");
    CHECK_EQ(R(R_ESP), 0x10, "faulting pushad leaves esp");
    CHECK_EQ(rd32(0xc), 0xcccccccc, "faulting pushad wrote nothing");

    /* POPAD with a slot beyond the limit faults before loading */
    reset_cpu();
    cpu->s.seg[SEG_SS].limit = 0x7fff;
    cpu->s.gpr[R_ESP] = 0x7ff0;
    cpu->s.gpr[R_EAX] = 0xaaaa;
    CHECK_EQ(EXEC(0x61), EXC_SS, "popad past the SS limit: #SS");
    CHECK_EQ(R(R_EAX), 0xaaaa, "faulting popad loads nothing");
    CHECK_EQ(R(R_ESP), 0x7ff0, "faulting popad leaves esp");
}

static void test_enter_leave32(void)
{
    reset_cpu();
    cpu->s.gpr[R_EBP] = 0x9000;
    wr32(0x8ffc, 0xaaaa5555);
    CHECK_EQ(EXEC(0xc8, 0x10, 0x00, 0x02), -1, "enter 16,2 runs");
    CHECK_EQ(rd32(0x7ffc), 0x9000, "enter: old ebp pushed");
    CHECK_EQ(rd32(0x7ff8), 0xaaaa5555, "enter: display entry copied");
    CHECK_EQ(rd32(0x7ff4), 0x7ffc, "enter: frame pointer pushed");
    CHECK_EQ(R(R_EBP), 0x7ffc, "enter: ebp");
    CHECK_EQ(R(R_ESP), 0x7fe4, "enter: esp");
    CHECK_EQ(EXEC(0xc9), -1, "leave runs");
    CHECK_EQ(R(R_ESP), 0x8000, "leave: esp");
    CHECK_EQ(R(R_EBP), 0x9000, "leave: ebp");

    /* o16 enter on a 32-bit stack: ESP moves by 2, only BP changes */
    reset_cpu();
    cpu->s.gpr[R_EBP] = 0x12349000;
    CHECK_EQ(EXEC(0x66, 0xc8, 0x04, 0x00, 0x00), -1, "o16 enter 4,0 runs");
    CHECK_EQ(R(R_ESP), 0x8000 - 2 - 4, "o16 enter: esp");
    CHECK_EQ(R(R_EBP), 0x12347ffe, "o16 enter: bp only");

    /* the new ESP is checked against the SS limit; nothing changes */
    reset_cpu();
    cpu->s.seg[SEG_SS].limit = 0x7fff;
    cpu->s.gpr[R_ESP] = 0x100;
    cpu->s.gpr[R_EBP] = 0x5555;
    CHECK_EQ(EXEC(0xc8, 0x00, 0x02, 0x00), EXC_SS, "enter 512 below 0: #SS");
    CHECK_EQ(R(R_ESP), 0x100, "faulting enter leaves esp");
    CHECK_EQ(R(R_EBP), 0x5555, "faulting enter leaves ebp");

    /* leave with EBP beyond the limit: #SS, nothing changes */
    reset_cpu();
    cpu->s.seg[SEG_SS].limit = 0x7fff;
    cpu->s.gpr[R_EBP] = 0x9000;
    CHECK_EQ(EXEC(0xc9), EXC_SS, "leave with ebp past the limit: #SS");
    CHECK_EQ(R(R_ESP), 0x8000, "faulting leave leaves esp");
}

/* ---- string ---- */

static void test_rep_batches(void)
{
    reset_cpu();
    for (unsigned k = 0; k < 5000; k++)
        wr8(0x10000 + k, (uint8_t)(k * 7));
    cpu->s.gpr[R_ESI] = 0x10000;
    cpu->s.gpr[R_EDI] = 0x20000;
    cpu->s.gpr[R_ECX] = 5000;
    int calls = 0, v = -1;
    while (calls < 100) {
        v = EXEC(0xf3, 0xa4);
        calls++;
        if (v != -1 || EIP(cpu) != 0x1000)
            break;
    }
    CHECK_EQ(v, -1, "rep movsb 5000 runs");
    CHECK(calls > 1, "rep movsb 5000 is split into %d restarts", calls);
    CHECK_EQ(EIP(cpu), 0x1002, "rep movsb finally moves past the instruction");
    CHECK_EQ(R(R_ECX), 0, "rep movsb: ecx");
    CHECK_EQ(R(R_ESI), 0x10000 + 5000, "rep movsb: esi");
    bool same = true;
    for (unsigned k = 0; k < 5000; k++)
        same &= rd8(0x20000 + k) == (uint8_t)(k * 7);
    CHECK(same, "rep movsb copied 5000 bytes");

    /* after one batch the registers show the iterations done */
    reset_cpu();
    cpu->s.gpr[R_EDI] = 0x30000;
    cpu->s.gpr[R_ECX] = 3000;
    CHECK_EQ(EXEC(0xf3, 0xaa), -1, "rep stosb first batch");
    CHECK_EQ(EIP(cpu), 0x1000, "rep stosb restarts itself");
    CHECK_EQ(R(R_ECX) + (R(R_EDI) - 0x30000), 3000, "ecx + done == count");
}

static void test_rep_fault(void)
{
    /* REP MOVSD reading past the DS limit in iteration 3 */
    reset_cpu();
    cpu->s.seg[SEG_DS].limit = 0x10007;
    cpu->s.gpr[R_ESI] = 0x10000;
    cpu->s.gpr[R_EDI] = 0x20000;
    cpu->s.gpr[R_ECX] = 10;
    CHECK_EQ(EXEC(0xf3, 0xa5), EXC_GP, "rep movsd past DS limit: #GP");
    CHECK_EQ(R(R_ECX), 8, "after the fault ecx counts 2 iterations done");
    CHECK_EQ(R(R_ESI), 0x10008, "after the fault esi");
    CHECK_EQ(R(R_EDI), 0x20008, "after the fault edi");
    CHECK_EQ(EIP(cpu), 0x1000, "fault leaves eip at the instruction");

    /* REPE CMPSB faulting on the ES side: flags of the last iteration */
    reset_cpu();
    cpu->s.seg[SEG_ES].limit = 0x20001;
    wr8(0x10000, 5); wr8(0x10001, 5); wr8(0x10002, 5);
    wr8(0x20000, 5); wr8(0x20001, 5);
    cpu->s.gpr[R_ESI] = 0x10000;
    cpu->s.gpr[R_EDI] = 0x20000;
    cpu->s.gpr[R_ECX] = 10;
    flags_set(cpu, 0x2);            /* ZF=0 before */
    CHECK_EQ(EXEC(0xf3, 0xa6), EXC_GP, "repe cmpsb past ES limit: #GP");
    CHECK_EQ(R(R_ECX), 8, "repe cmpsb fault: ecx");
    CHECK(flag_zf(cpu), "repe cmpsb fault: ZF from the last compare");

    /* the destination ignores the segment override; source takes it */
    reset_cpu();
    cpu->s.seg[SEG_FS].base = 0x100000;
    wr8(0x100010, 0x42);
    cpu->s.gpr[R_ESI] = 0x10;
    cpu->s.gpr[R_EDI] = 0x40000;
    CHECK_EQ(EXEC(0x64, 0xa4), -1, "fs movsb runs");
    CHECK_EQ(rd8(0x40000), 0x42, "fs movsb: source through fs, dest es");
}

static void test_string_adsize(void)
{
    /* 67 in 32-bit code: SI/DI/CX, wrapping at 64K, upper halves kept */
    reset_cpu();
    wr8(0xfffe, 1); wr8(0xffff, 2); wr8(0x0000, 3); wr8(0x0001, 4);
    cpu->s.gpr[R_ESI] = 0x1fffe;
    cpu->s.gpr[R_EDI] = 0x58000;           /* DI = 0x8000 */
    cpu->s.gpr[R_ECX] = 0xabcd0004;
    CHECK_EQ(EXEC(0x67, 0xf3, 0xa4), -1, "a16 rep movsb runs");
    CHECK_EQ(R(R_ESI), 0x10002, "a16: si wraps, esi upper kept");
    CHECK_EQ(R(R_EDI), 0x58004, "a16: edi upper kept");
    CHECK_EQ(R(R_ECX), 0xabcd0000, "a16: cx counts, ecx upper kept");
    CHECK_EQ(rd32(0x8000), 0x04030201, "a16: data from 0xfffe, 0xffff, 0, 1");

    /* DF=1 */
    reset_cpu();
    cpu->s.rflags |= FL_DF;
    cpu->s.gpr[R_EDI] = 0x6000c;
    cpu->s.gpr[R_ECX] = 4;
    cpu->s.gpr[R_EAX] = 0x11223344;
    CHECK_EQ(EXEC(0xf3, 0xab), -1, "std rep stosd runs");
    CHECK_EQ(R(R_EDI), 0x5fffc, "std rep stosd: edi");
    CHECK_EQ(rd32(0x60000), 0x11223344, "std rep stosd: lowest dword");

    /* REPNE SCASB stops on the match */
    reset_cpu();
    for (unsigned k = 0; k < 16; k++)
        wr8(0x70000 + k, (uint8_t)(0x40 + k));
    cpu->s.gpr[R_EDI] = 0x70000;
    cpu->s.gpr[R_ECX] = 100;
    cpu->s.gpr[R_EAX] = 0x45;
    CHECK_EQ(EXEC(0xf2, 0xae), -1, "repne scasb runs");
    CHECK_EQ(R(R_EDI), 0x70006, "repne scasb: edi past the match");
    CHECK_EQ(R(R_ECX), 94, "repne scasb: ecx");
    CHECK(flag_zf(cpu), "repne scasb: ZF");
}

static void test_io_perm(void)
{
    /* CPL 3 > IOPL 0 and no usable TSS: INS/OUTS raise #GP(0) before any
     * access; REP with ECX=0 does nothing at all */
    reset_cpu();
    cpu->s.cpl = 3;
    cpu->s.gpr[R_EDX] = 0x80;
    cpu->s.gpr[R_EDI] = 0x1000;
    cpu->s.gpr[R_ECX] = 2;
    wr8(0x1000, 0x77);
    CHECK_EQ(EXEC(0xf3, 0x6c), EXC_GP, "rep insb without permission: #GP");
    CHECK_EQ(R(R_EDI), 0x1000, "denied insb: edi unchanged");
    CHECK_EQ(R(R_ECX), 2, "denied insb: ecx unchanged");
    CHECK_EQ(rd8(0x1000), 0x77, "denied insb: memory unchanged");
    CHECK_EQ(EXEC(0x6e), EXC_GP, "outsb without permission: #GP");
    cpu->s.gpr[R_ECX] = 0;
    CHECK_EQ(EXEC(0xf3, 0x6c), -1, "rep insb with ecx=0: no check, no fault");

    /* allowed: CPL 0 reads an unassigned port as all ones */
    reset_cpu();
    cpu->s.gpr[R_EDX] = 0x3330;
    cpu->s.gpr[R_EDI] = 0x1000;
    cpu->s.gpr[R_ECX] = 2;
    CHECK_EQ(EXEC(0xf3, 0x6d), -1, "rep insd runs");
    CHECK_EQ(rd32(0x1004), 0xffffffff, "rep insd: open bus");
    CHECK_EQ(R(R_EDI), 0x1008, "rep insd: edi");

    /* INS whose destination faults does not touch the port's data */
    reset_cpu();
    cpu->s.seg[SEG_ES].limit = 0xfff;
    cpu->s.gpr[R_EDX] = 0x3330;
    cpu->s.gpr[R_EDI] = 0x1000;
    CHECK_EQ(EXEC(0x6c), EXC_GP, "insb past ES limit: #GP");
    CHECK_EQ(R(R_EDI), 0x1000, "faulting insb: edi unchanged");
}

/* ---- control ---- */

static void test_branches(void)
{
    /* 66 E9 rel16 in 32-bit code: the target is truncated to 16 bits */
    reset_cpu();
    cpu->s.rip = 0x1000;
    CHECK_EQ(EXEC(0x66, 0xe9, 0x00, 0xf0), -1, "o16 jmp rel16 runs");
    CHECK_EQ(EIP(cpu), (0x1004 + 0xf000) & 0xffff, "o16 jmp truncates eip");
    reset_cpu();
    cpu->s.rip = 0x12345678;
    CHECK_EQ(EXEC(0xeb, 0x10), -1, "jmp rel8 runs");
    CHECK_EQ(EIP(cpu), 0x1234568a, "jmp rel8 in 32-bit code keeps 32 bits");
    reset_cpu();
    flags_set(cpu, 0x2 | FL_ZF);
    CHECK_EQ(EXEC(0x66, 0x0f, 0x84, 0x00, 0xf0), -1, "o16 jz rel16 runs");
    CHECK_EQ(EIP(cpu), (0x1005 + 0xf000) & 0xffff, "o16 jz truncates eip");
    reset_cpu();
    CHECK_EQ(EXEC(0x0f, 0x84, 0x00, 0x01, 0x00, 0x00), -1, "jz rel32 not taken");
    CHECK_EQ(EIP(cpu), 0x1006, "jz rel32 not taken: next");

    /* targets beyond the CS limit: #GP(0), nothing changes */
    reset_cpu();
    cpu->s.seg[SEG_CS].limit = 0xffff;
    CHECK_EQ(EXEC(0xe8, 0x00, 0x00, 0x01, 0x00), EXC_GP, "call past CS limit: #GP");
    CHECK_EQ(R(R_ESP), 0x8000, "failed call: esp unchanged");
    CHECK_EQ(EIP(cpu), 0x1000, "failed call: eip unchanged");
    wr32(0x7ffc, 0x20000);
    cpu->s.gpr[R_ESP] = 0x7ffc;
    CHECK_EQ(EXEC(0xc3), EXC_GP, "ret past CS limit: #GP");
    CHECK_EQ(R(R_ESP), 0x7ffc, "failed ret: esp unchanged");
    cpu->s.gpr[R_EAX] = 0x10000;
    CHECK_EQ(EXEC(0xff, 0xe0), EXC_GP, "jmp eax past CS limit: #GP");
    cpu->s.gpr[R_ECX] = 5;
    CHECK_EQ(EXEC(0xe2, 0x7f), -1, "loop within limit runs");
    cpu->s.rip = 0xfff0;
    cpu->s.gpr[R_ECX] = 5;
    CHECK_EQ(EXEC(0xe2, 0x7f), EXC_GP, "loop past CS limit: #GP");
    CHECK_EQ(R(R_ECX), 5, "failed loop: ecx not decremented");

    /* call / ret imm16 on a 32-bit stack */
    reset_cpu();
    CHECK_EQ(EXEC(0xe8, 0x10, 0x00, 0x00, 0x00), -1, "call rel32 runs");
    CHECK_EQ(rd32(0x7ffc), 0x1005, "call pushed the return address");
    CHECK_EQ(EIP(cpu), 0x1015, "call target");
    CHECK_EQ(EXEC(0xc2, 0x08, 0x00), -1, "ret 8 runs");
    CHECK_EQ(EIP(cpu), 0x1005, "ret 8 returns");
    CHECK_EQ(R(R_ESP), 0x8008, "ret 8 releases 8 bytes");
    /* o16 call pushes 2 bytes and truncates */
    reset_cpu();
    cpu->s.gpr[R_EBX] = 0xabcd2000;
    CHECK_EQ(EXEC(0x66, 0xff, 0xd3), -1, "o16 call bx runs");
    CHECK_EQ(EIP(cpu), 0x2000, "o16 call bx: target is bx");
    CHECK_EQ(R(R_ESP), 0x7ffe, "o16 call pushes 2 bytes");
    CHECK_EQ(EXEC(0x66, 0xc3), -1, "o16 ret runs");
    CHECK_EQ(EIP(cpu), 0x1003, "o16 ret");

    /* LOOP/JCXZ by address size in 32-bit code */
    reset_cpu();
    cpu->s.gpr[R_ECX] = 0x10001;
    CHECK_EQ(EXEC(0x67, 0xe2, 0x10), -1, "a16 loop runs");
    CHECK_EQ(R(R_ECX), 0x10000, "a16 loop decrements cx only");
    CHECK_EQ(EIP(cpu), 0x1003, "a16 loop with cx 1->0 falls through");
    CHECK_EQ(EXEC(0xe3, 0x10), -1, "jecxz runs");
    CHECK_EQ(EIP(cpu), 0x1005, "jecxz: ecx != 0 falls through");
    CHECK_EQ(EXEC(0x67, 0xe3, 0x10), -1, "jcxz runs");
    CHECK_EQ(EIP(cpu), 0x1008 + 0x10, "jcxz: cx == 0 is taken");
}

/* ---- move ---- */

static void test_move(void)
{
    reset_cpu();
    wr32(0x1234, 0xcafef00d);
    CHECK_EQ(EXEC(0xa1, 0x34, 0x12, 0x00, 0x00), -1, "mov eax, [moffs32] runs");
    CHECK_EQ(R(R_EAX), 0xcafef00d, "mov eax, moffs32");
    CHECK_EQ(EXEC(0x67, 0x66, 0xa3, 0x40, 0x12), -1, "mov [moffs16], ax runs");
    CHECK_EQ(rd32(0x1240) & 0xffff, 0xf00d, "a16 moffs store");

    cpu->s.gpr[R_EBX] = 0x5000;
    cpu->s.gpr[R_ECX] = 0x10;
    CHECK_EQ(EXEC(0x66, 0x8d, 0x44, 0x8b, 0x08), -1, "lea ax, [ebx+ecx*4+8] runs");
    CHECK_EQ(R(R_EAX) & 0xffff, 0x5048, "o16 lea");
    CHECK_EQ(R(R_EAX) >> 16, 0xcafe, "o16 lea keeps eax upper half");
    CHECK_EQ(EXEC(0x8d, 0xc0), EXC_UD, "lea eax, eax: #UD");

    /* BOUND in 32-bit code */
    wr32(0x3000, (uint32_t)-10);
    wr32(0x3004, 10);
    cpu->s.gpr[R_EDX] = (uint32_t)-10;
    CHECK_EQ(EXEC(0x62, 0x15, 0x00, 0x30, 0x00, 0x00), -1, "bound edx in range");
    cpu->s.gpr[R_EDX] = 11;
    CHECK_EQ(EXEC(0x62, 0x15, 0x00, 0x30, 0x00, 0x00), EXC_BR, "bound edx above: #BR");
    CHECK_EQ(EXEC(0x62, 0xc2), EXC_UD, "bound with a register operand: #UD");

    /* XLAT with EBX */
    wr8(0x4080, 0x99);
    cpu->s.gpr[R_EBX] = 0x4000;
    cpu->s.gpr[R_EAX] = 0x80;
    CHECK_EQ(EXEC(0xd7), -1, "xlat runs");
    CHECK_EQ(R(R_EAX), 0x99, "xlat [ebx+al]");

    /* XCHG with memory: a faulting store changes no register */
    reset_cpu();
    cpu->s.seg[SEG_DS].attr = 0x91 | SEGA_DB | SEGA_G;   /* read-only data */
    cpu->s.gpr[R_EAX] = 0x1111;
    CHECK_EQ(EXEC(0x87, 0x05, 0x00, 0x30, 0x00, 0x00), EXC_GP, "xchg with read-only m32: #GP");
    CHECK_EQ(R(R_EAX), 0x1111, "failed xchg leaves the register");

    /* CBW/CWDE/CWD/CDQ, SAHF/LAHF, SALC, CMC */
    reset_cpu();
    cpu->s.gpr[R_EAX] = 0xff80;
    CHECK_EQ(EXEC(0x98), -1, "cwde runs");
    CHECK_EQ(R(R_EAX), 0xffffff80, "cwde");
    CHECK_EQ(EXEC(0x99), -1, "cdq runs");
    CHECK_EQ(R(R_EDX), 0xffffffff, "cdq");
    cpu->s.gpr[R_EAX] = 0xd700;
    CHECK_EQ(EXEC(0x9e), -1, "sahf runs");
    CHECK_EQ(flags_get(cpu) & 0xff, 0xd7, "sahf sets SF ZF AF PF CF");
    CHECK_EQ(EXEC(0xd6), -1, "salc runs");
    CHECK_EQ(R(R_EAX) & 0xff, 0xff, "salc with CF=1");
    CHECK_EQ(EXEC(0xf5), -1, "cmc runs");
    CHECK(!flag_cf(cpu), "cmc clears CF");
    CHECK(flag_zf(cpu), "cmc keeps ZF");
}

int main(void)
{
    if (!fixture_init(16u << 20))
        return 1;
    test_stack32();
    test_enter_leave32();
    test_rep_batches();
    test_rep_fault();
    test_string_adsize();
    test_io_perm();
    test_branches();
    test_move();
    return fixture_done();
}
