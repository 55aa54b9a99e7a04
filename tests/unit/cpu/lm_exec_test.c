/* Unit tests of the ordinary instruction families in 64-bit mode (MODE_LONG64,
 * code, stack and address size 8, flat segments), with expected values from
 * the Intel SDM vol. 1 3.4.1.1 (32-bit writes zero bits 63:32, 8/16-bit
 * writes keep them) and the vol. 2 page of each instruction.
 *
 * Each instruction is given as bytes, decoded with decode_bytes() for code
 * size 8 and run by calling its handler the way cpu_run() does (next_rip
 * preset, faults caught through cpu->fault_jmp). */
#include "test.h"
#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/except.h"
#include "cpu/flags.h"
#include "mem/physmem.h"
#include "exec_fixture.h"

static void reset_cpu(void)
{
    fixture_reset(MODE_LONG64, 0x9b | SEGA_G);
    cpu->s.gpr[R_ESP] = 0x8000;
}

static uint64_t rd64(uint32_t a) { return physmem_read(&mem, a, 8); }
static void wr64(uint32_t a, uint64_t v) { physmem_write(&mem, a, v, 8); }

#define R(n) cpu->s.gpr[n]

static void test_alu64(void)
{
    reset_cpu();
    R(R_EAX) = 0xffffffffffffffffull;
    R(R_EBX) = 1;
    CHECK_EQ(EXEC(0x48, 0x01, 0xd8), -1, "add rax, rbx");
    CHECK_EQ(R(R_EAX), 0, "add rax, rbx wraps at 64 bits");
    CHECK(flag_cf(cpu) && flag_zf(cpu) && !flag_of(cpu), "add rax: CF ZF");

    R(R_EAX) = 0x7fffffffffffffffull;
    CHECK_EQ(EXEC(0x48, 0x83, 0xc0, 0x01), -1, "add rax, 1");
    CHECK_EQ(R(R_EAX), 0x8000000000000000ull, "add rax, 1");
    CHECK(flag_of(cpu) && flag_sf(cpu) && !flag_cf(cpu), "add rax, 1: OF SF");

    /* An Iz immediate is sign-extended from 32 to 64 bits. */
    R(R_ECX) = 0x1234567800000000ull;
    CHECK_EQ(EXEC(0x48, 0x81, 0xe1, 0x00, 0x00, 0x00, 0x80), -1, "and rcx, -0x80000000");
    CHECK_EQ(R(R_ECX), 0x1234567800000000ull, "and rcx keeps the upper half");
    CHECK_EQ(EXEC(0x48, 0x81, 0xc1, 0xff, 0xff, 0xff, 0xff), -1, "add rcx, -1");
    CHECK_EQ(R(R_ECX), 0x12345677ffffffffull, "add rcx, -1");

    /* ADC/SBB carry through 64 bits. */
    R(R_EAX) = 0xffffffffffffffffull;
    R(R_EDX) = 0;
    cpu->s.rflags = 0x2 | FL_CF;
    cpu->s.lf.op = LF_NONE;
    CHECK_EQ(EXEC(0x48, 0x11, 0xc2), -1, "adc rdx, rax");
    CHECK_EQ(R(R_EDX), 0, "adc rdx, rax with CF");
    CHECK(flag_cf(cpu), "adc: CF out");
    CHECK_EQ(EXEC(0x48, 0x19, 0xc2), -1, "sbb rdx, rax");
    CHECK_EQ(R(R_EDX), 0, "sbb 0 - (-1) - 1");

    /* A 32-bit destination zero-extends; 8/16-bit ones keep the rest. */
    R(R_EAX) = 0xffffffffffffffffull;
    CHECK_EQ(EXEC(0x01, 0xd8), -1, "add eax, ebx");
    CHECK_EQ(R(R_EAX), 0, "32-bit add zeroes bits 63:32");
    R(R_EAX) = 0xffffffffffffffffull;
    CHECK_EQ(EXEC(0x66, 0x01, 0xd8), -1, "add ax, bx");
    CHECK_EQ(R(R_EAX), 0xffffffffffff0000ull, "16-bit add keeps bits 63:16");

    /* REX.R/REX.B registers and REX byte registers. */
    R(8) = 5;
    R(15) = 7;
    CHECK_EQ(EXEC(0x4d, 0x29, 0xc7), -1, "sub r15, r8");
    CHECK_EQ(R(15), 2, "sub r15, r8");
    R(R_ESI) = 0x1122334455667788ull;
    R(R_EAX) = 0;
    CHECK_EQ(EXEC(0x40, 0x00, 0xf0), -1, "add al, sil");
    CHECK_EQ(R(R_EAX), 0x88, "add al, sil reads SIL, not DH");
    R(R_ESP) = 0x8000;
    CHECK_EQ(EXEC(0x40, 0x80, 0xc4, 0x01), -1, "add spl, 1");
    CHECK_EQ(R(R_ESP), 0x8001, "add spl, 1 writes SPL, not AH");
    R(R_EAX) = 0x1200;
    CHECK_EQ(EXEC(0x80, 0xc4, 0x01), -1, "add ah, 1 (no REX)");
    CHECK_EQ(R(R_EAX), 0x1300, "add ah, 1");
    R(12) = 0xff;
    CHECK_EQ(EXEC(0x41, 0xfe, 0xc4), -1, "inc r12b");
    CHECK_EQ(R(12), 0, "inc r12b wraps in 8 bits");

    /* INC/DEC/NOT/NEG/TEST 64 (FE/FF; 40-4F are REX). */
    R(R_EBX) = 0xffffffffull;
    CHECK_EQ(EXEC(0x48, 0xff, 0xc3), -1, "inc rbx");
    CHECK_EQ(R(R_EBX), 0x100000000ull, "inc rbx carries into bit 32");
    CHECK_EQ(EXEC(0x48, 0xf7, 0xdb), -1, "neg rbx");
    CHECK_EQ(R(R_EBX), 0xffffffff00000000ull, "neg rbx");
    CHECK(flag_cf(cpu), "neg rbx: CF");
    CHECK_EQ(EXEC(0x48, 0xf7, 0xd3), -1, "not rbx");
    CHECK_EQ(R(R_EBX), 0x00000000ffffffffull, "not rbx");
    CHECK_EQ(EXEC(0x48, 0x85, 0xdb), -1, "test rbx, rbx");
    CHECK(!flag_zf(cpu) && !flag_sf(cpu), "test rbx: ZF=SF=0");
    R(R_EBX) = 0x8000000000000000ull;
    CHECK_EQ(EXEC(0x48, 0x85, 0xdb), -1, "test rbx, rbx (sign)");
    CHECK(flag_sf(cpu), "test rbx: SF from bit 63");
    /* CMP: condition codes on 64-bit records. */
    R(R_EAX) = 1;
    R(R_EDX) = 0xffffffffffffffffull;
    CHECK_EQ(EXEC(0x48, 0x39, 0xd0), -1, "cmp rax, rdx");
    CHECK(flag_cf(cpu) && !flag_zf(cpu), "cmp 1, -1: below (unsigned)");
    CHECK(cpu_cond(cpu, 0xf), "cmp 1, -1: greater (signed)");
}

static void test_mem64(void)
{
    reset_cpu();
    /* Memory operands of 8 bytes, RMW and load. */
    wr64(0x3000, 0x00000000ffffffffull);
    R(R_EBX) = 0x3000;
    CHECK_EQ(EXEC(0x48, 0x83, 0x03, 0x01), -1, "add qword [rbx], 1");
    CHECK_EQ(rd64(0x3000), 0x100000000ull, "add qword [rbx], 1");
    CHECK_EQ(EXEC(0x48, 0x8b, 0x03), -1, "mov rax, [rbx]");
    CHECK_EQ(R(R_EAX), 0x100000000ull, "mov rax, [rbx]");
    R(R_EAX) = 0xdeadbeefcafef00dull;
    CHECK_EQ(EXEC(0x48, 0x89, 0x43, 0x08), -1, "mov [rbx+8], rax");
    CHECK_EQ(rd64(0x3008), 0xdeadbeefcafef00dull, "mov [rbx+8], rax");
    /* RIP-relative: the EA is the next instruction's RIP + disp32. */
    cpu->s.rip = 0x2ff0;
    CHECK_EQ(EXEC(0x48, 0x8b, 0x0d, 0x11, 0x00, 0x00, 0x00), -1, "mov rcx, [rip+0x11]");
    CHECK_EQ(R(R_ECX), 0xdeadbeefcafef00dull, "RIP-relative load from 0x2ff7 + 0x11");
    /* LEA with 64- and 32-bit address size. */
    R(R_EBX) = 0xffffffff00000010ull;
    R(R_ESI) = 2;
    CHECK_EQ(EXEC(0x48, 0x8d, 0x44, 0x73, 0xf0), -1, "lea rax, [rbx+rsi*2-16]");
    CHECK_EQ(R(R_EAX), 0xffffffff00000004ull, "lea 64-bit address");
    CHECK_EQ(EXEC(0x67, 0x48, 0x8d, 0x44, 0x73, 0xe0), -1, "lea rax, [ebx+esi*2-32]");
    CHECK_EQ(R(R_EAX), 0xfffffff4ull, "lea 32-bit address wraps at 4 GiB");
}

/* A non-canonical address faults through the segment the instruction
 * names: #SS for an RBP/RSP base (SS), #GP with a DS override or another
 * base (SDM vol. 3A 6.15, interrupts 12 and 13). */
static void test_canonical(void)
{
    reset_cpu();
    R(R_EBP) = 0x0000800000000000ull;
    CHECK_EQ(EXEC(0x48, 0x8b, 0x45, 0x00), EXC_SS, "mov rax, [rbp] non-canonical: #SS");
    CHECK_EQ(EXEC(0x3e, 0x48, 0x8b, 0x45, 0x00), EXC_GP, "mov rax, ds:[rbp] non-canonical: #GP");
    R(R_EBX) = 0x0000800000000000ull;
    CHECK_EQ(EXEC(0x48, 0x8b, 0x03), EXC_GP, "mov rax, [rbx] non-canonical: #GP");
    CHECK_EQ(EXEC(0x36, 0x48, 0x8b, 0x03), EXC_SS, "mov rax, ss:[rbx] non-canonical: #SS");
}

static void test_mov64(void)
{
    reset_cpu();
    CHECK_EQ(EXEC(0x48, 0xb8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11), -1,
             "mov rax, imm64");
    CHECK_EQ(R(R_EAX), 0x1122334455667788ull, "mov rax, imm64");
    CHECK_EQ(EXEC(0x49, 0xc7, 0xc1, 0xfe, 0xff, 0xff, 0xff), -1, "mov r9, -2");
    CHECK_EQ(R(9), 0xfffffffffffffffeull, "mov r9, imm32 sign-extends");
    CHECK_EQ(EXEC(0x41, 0xb9, 0x01, 0x00, 0x00, 0x00), -1, "mov r9d, 1");
    CHECK_EQ(R(9), 1, "mov r9d zero-extends");
    R(R_EAX) = 0x1122334455667788ull;
    CHECK_EQ(EXEC(0xb0, 0x00), -1, "mov al, 0");
    CHECK_EQ(R(R_EAX), 0x1122334455667700ull, "mov al keeps bits 63:8");
    /* MOV with moffs64 (A1/A3, 8-byte offset). */
    wr64(0x4000, 0x0123456789abcdefull);
    CHECK_EQ(EXEC(0x48, 0xa1, 0x00, 0x40, 0, 0, 0, 0, 0, 0), -1, "mov rax, [moffs64]");
    CHECK_EQ(R(R_EAX), 0x0123456789abcdefull, "mov rax, [0x4000]");
    R(R_EAX) = 0x55;
    CHECK_EQ(EXEC(0x48, 0xa3, 0x08, 0x40, 0, 0, 0, 0, 0, 0), -1, "mov [moffs64], rax");
    CHECK_EQ(rd64(0x4008), 0x55, "mov [0x4008], rax");
    /* MOVSX/MOVZX/MOVSXD. */
    R(R_EBX) = 0x80;
    CHECK_EQ(EXEC(0x48, 0x0f, 0xbe, 0xc3), -1, "movsx rax, bl");
    CHECK_EQ(R(R_EAX), 0xffffffffffffff80ull, "movsx rax, bl");
    CHECK_EQ(EXEC(0x48, 0x0f, 0xb6, 0xc3), -1, "movzx rax, bl");
    CHECK_EQ(R(R_EAX), 0x80, "movzx rax, bl");
    R(R_EBX) = 0xffffffff80000000ull;
    CHECK_EQ(EXEC(0x48, 0x63, 0xc3), -1, "movsxd rax, ebx");
    CHECK_EQ(R(R_EAX), 0xffffffff80000000ull, "movsxd sign-extends bit 31");
    R(R_EBX) = 0x7fffffffull | 0xabcd00000000ull;
    CHECK_EQ(EXEC(0x48, 0x63, 0xc3), -1, "movsxd rax, ebx (positive)");
    CHECK_EQ(R(R_EAX), 0x7fffffffull, "movsxd takes the low doubleword");
    /* XCHG 64. */
    R(R_EAX) = 1;
    R(10) = 0x100000000ull;
    CHECK_EQ(EXEC(0x49, 0x92), -1, "xchg r10, rax");
    CHECK(R(R_EAX) == 0x100000000ull && R(10) == 1, "xchg r10, rax");
    /* CBW family. */
    R(R_EAX) = 0x80000000ull;
    CHECK_EQ(EXEC(0x48, 0x98), -1, "cdqe");
    CHECK_EQ(R(R_EAX), 0xffffffff80000000ull, "cdqe");
    CHECK_EQ(EXEC(0x48, 0x99), -1, "cqo");
    CHECK_EQ(R(R_EDX), 0xffffffffffffffffull, "cqo");
    /* XLAT with RBX. */
    R(R_EBX) = 0x4000;
    R(R_EAX) = 0x1;
    CHECK_EQ(EXEC(0xd7), -1, "xlat");
    CHECK_EQ(R(R_EAX) & 0xff, 0xcd, "xlat reads [rbx + al]");
}

static void test_stack64(void)
{
    reset_cpu();
    R(R_EAX) = 0x1122334455667788ull;
    CHECK_EQ(EXEC(0x50), -1, "push rax");
    CHECK_EQ(R(R_ESP), 0x7ff8, "push rax moves RSP by 8");
    CHECK_EQ(rd64(0x7ff8), 0x1122334455667788ull, "push rax stores 8 bytes");
    CHECK_EQ(EXEC(0x41, 0x5b), -1, "pop r11");
    CHECK_EQ(R(11), 0x1122334455667788ull, "pop r11");
    CHECK_EQ(R(R_ESP), 0x8000, "pop r11 moves RSP by 8");
    CHECK_EQ(EXEC(0x66, 0x50), -1, "push ax");
    CHECK_EQ(R(R_ESP), 0x7ffe, "push ax (66) moves RSP by 2");
    CHECK_EQ(EXEC(0x66, 0x58), -1, "pop ax");
    CHECK_EQ(EXEC(0x6a, 0xff), -1, "push -1");
    CHECK_EQ(rd64(0x7ff8), 0xffffffffffffffffull, "push imm8 sign-extends to 64");
    CHECK_EQ(EXEC(0x68, 0x00, 0x00, 0x00, 0x80), -1, "push imm32");
    CHECK_EQ(rd64(0x7ff0), 0xffffffff80000000ull, "push imm32 sign-extends to 64");
    CHECK_EQ(R(R_ESP), 0x7ff0, "two pushes");
    wr64(0x3000, 0xabcdef0123456789ull);
    R(R_EBX) = 0x3000;
    CHECK_EQ(EXEC(0xff, 0x33), -1, "push qword [rbx]");
    CHECK_EQ(rd64(0x7fe8), 0xabcdef0123456789ull, "push qword [rbx]");
    CHECK_EQ(EXEC(0x8f, 0x43, 0x08), -1, "pop qword [rbx+8]");
    CHECK_EQ(rd64(0x3008), 0xabcdef0123456789ull, "pop qword [rbx+8]");
    CHECK_EQ(R(R_ESP), 0x7ff0, "pop qword moves RSP by 8");
    /* PUSH FS / POP FS move RSP by 8 (F_D64). */
    R(R_ESP) = 0x8000;
    cpu->s.seg[SEG_FS].sel = 0;     /* a null selector: POP FS needs no GDT */
    CHECK_EQ(EXEC(0x0f, 0xa0), -1, "push fs");
    CHECK_EQ(R(R_ESP), 0x7ff8, "push fs moves RSP by 8");
    CHECK_EQ(EXEC(0x0f, 0xa1), -1, "pop fs");
    CHECK_EQ(R(R_ESP), 0x8000, "pop fs moves RSP by 8");
    /* ENTER/LEAVE 64. */
    R(R_EBP) = 0x1111222233334444ull;
    R(R_ESP) = 0x8000;
    CHECK_EQ(EXEC(0xc8, 0x10, 0x00, 0x00), -1, "enter 16, 0");
    CHECK_EQ(rd64(0x7ff8), 0x1111222233334444ull, "enter pushes RBP");
    CHECK_EQ(R(R_EBP), 0x7ff8, "enter: RBP = frame");
    CHECK_EQ(R(R_ESP), 0x7fe8, "enter: RSP = frame - 16");
    CHECK_EQ(EXEC(0xc9), -1, "leave");
    CHECK_EQ(R(R_EBP), 0x1111222233334444ull, "leave pops RBP");
    CHECK_EQ(R(R_ESP), 0x8000, "leave restores RSP");
}

static void test_branch64(void)
{
    reset_cpu();
    /* CALL rel32 pushes the 8-byte return address. */
    cpu->s.rip = 0x1000;
    CHECK_EQ(EXEC(0xe8, 0x10, 0x00, 0x00, 0x00), -1, "call rel32");
    CHECK_EQ(cpu->s.rip, 0x1015, "call target");
    CHECK_EQ(R(R_ESP), 0x7ff8, "call pushes 8 bytes");
    CHECK_EQ(rd64(0x7ff8), 0x1005, "call return address");
    CHECK_EQ(EXEC(0xc3), -1, "ret");
    CHECK_EQ(cpu->s.rip, 0x1005, "ret target");
    CHECK_EQ(R(R_ESP), 0x8000, "ret pops 8 bytes");
    /* Jcc backwards with rel8 and rel32. */
    cpu->s.rip = 0x1000;
    cpu->s.lf.op = LF_NONE;
    cpu->s.rflags = 0x2 | FL_ZF;
    CHECK_EQ(EXEC(0x74, 0xfe), -1, "je $");
    CHECK_EQ(cpu->s.rip, 0x1000, "je rel8 -2");
    CHECK_EQ(EXEC(0x0f, 0x84, 0xfa, 0xff, 0xff, 0xff), -1, "je rel32 -6");
    CHECK_EQ(cpu->s.rip, 0x1000, "je rel32 -6");
    /* An indirect jump to a 64-bit target above 4 GiB (canonical). */
    R(R_EAX) = 0x123456789000ull;
    CHECK_EQ(EXEC(0xff, 0xe0), -1, "jmp rax");
    CHECK_EQ(cpu->s.rip, 0x123456789000ull, "jmp rax: 64-bit target");
    /* A non-canonical target is #GP(0) with RIP at the branch. */
    cpu->s.rip = 0x1000;
    R(R_EAX) = 0x0000800000000000ull;
    CHECK_EQ(EXEC(0xff, 0xe0), EXC_GP, "jmp to a non-canonical address");
    CHECK_EQ(cpu->s.rip, 0x1000, "RIP stays at the branch");
    R(R_EAX) = 0xffff800000000000ull;
    CHECK_EQ(EXEC(0xff, 0xd0), -1, "call rax (canonical high half)");
    CHECK_EQ(cpu->s.rip, 0xffff800000000000ull, "call rax target");
    CHECK_EQ(rd64(0x7ff8), 0x1002, "call rax return address");
    /* LOOP and JRCXZ count with RCX. */
    cpu->s.rip = 0x1000;
    R(R_ECX) = 0x100000000ull;
    CHECK_EQ(EXEC(0xe2, 0xfe), -1, "loop");
    CHECK_EQ(R(R_ECX), 0xffffffffull, "loop decrements all of RCX");
    CHECK_EQ(cpu->s.rip, 0x1000, "loop taken");
    CHECK_EQ(EXEC(0xe3, 0x10), -1, "jrcxz");
    CHECK_EQ(cpu->s.rip, 0x1002, "jrcxz not taken with RCX != 0");
}

static void test_shift64(void)
{
    reset_cpu();
    R(R_EAX) = 1;
    CHECK_EQ(EXEC(0x48, 0xc1, 0xe0, 0x3f), -1, "shl rax, 63");
    CHECK_EQ(R(R_EAX), 0x8000000000000000ull, "shl rax, 63 (count not masked to 5 bits)");
    CHECK_EQ(EXEC(0x48, 0xd1, 0xe0), -1, "shl rax, 1");
    CHECK(R(R_EAX) == 0 && flag_cf(cpu) && flag_zf(cpu), "shl rax, 1: CF from bit 63");
    R(R_EAX) = 0x8000000000000000ull;
    R(R_ECX) = 0x40 | 63;
    CHECK_EQ(EXEC(0x48, 0xd3, 0xf8), -1, "sar rax, cl");
    CHECK_EQ(R(R_EAX), 0xffffffffffffffffull, "sar rax, cl (count & 63)");
    R(R_ECX) = 0x40;
    cpu->s.lf.op = LF_NONE;
    cpu->s.rflags = 0x2;
    CHECK_EQ(EXEC(0x48, 0xd3, 0xe8), -1, "shr rax, cl with count 64");
    CHECK(R(R_EAX) == 0xffffffffffffffffull && !flag_cf(cpu), "count 64 masks to 0: no change");
    R(R_EAX) = 0x8000000000000001ull;
    CHECK_EQ(EXEC(0x48, 0xd1, 0xc0), -1, "rol rax, 1");
    CHECK_EQ(R(R_EAX), 3, "rol rax, 1");
    CHECK(flag_cf(cpu), "rol rax, 1: CF");
    CHECK_EQ(EXEC(0x48, 0xc1, 0xc8, 0x04), -1, "ror rax, 4");
    CHECK_EQ(R(R_EAX), 0x3000000000000000ull, "ror rax, 4");
    /* RCL through CF over 65 bits. */
    R(R_EAX) = 0x8000000000000000ull;
    cpu->s.lf.op = LF_NONE;
    cpu->s.rflags = 0x2;
    CHECK_EQ(EXEC(0x48, 0xd1, 0xd0), -1, "rcl rax, 1");
    CHECK(R(R_EAX) == 0 && flag_cf(cpu), "rcl rax, 1: bit 63 to CF");
    CHECK_EQ(EXEC(0x48, 0xd1, 0xd0), -1, "rcl rax, 1 again");
    CHECK(R(R_EAX) == 1 && !flag_cf(cpu), "rcl rax, 1: CF to bit 0");
    CHECK_EQ(EXEC(0x48, 0xd1, 0xd8), -1, "rcr rax, 1");
    CHECK(R(R_EAX) == 0 && flag_cf(cpu), "rcr rax, 1");
    /* SHLD/SHRD 64. */
    R(R_EAX) = 0x00000000ffffffffull;
    R(R_EDX) = 0xf000000000000000ull;
    CHECK_EQ(EXEC(0x48, 0x0f, 0xa4, 0xd0, 0x24), -1, "shld rax, rdx, 36");
    CHECK_EQ(R(R_EAX), 0xffffffff00000000ull, "shld rax, rdx, 36");
    R(R_EAX) = 0xffffull;
    R(R_EDX) = 0xaull;
    CHECK_EQ(EXEC(0x48, 0x0f, 0xac, 0xd0, 0x04), -1, "shrd rax, rdx, 4");
    CHECK_EQ(R(R_EAX), 0xa000000000000fffull, "shrd rax, rdx, 4");
    CHECK(flag_cf(cpu), "shrd: CF = last bit out");
}

static void test_muldiv64(void)
{
    reset_cpu();
    R(R_EAX) = 0xffffffffffffffffull;
    R(R_EBX) = 0xffffffffffffffffull;
    CHECK_EQ(EXEC(0x48, 0xf7, 0xe3), -1, "mul rbx");
    CHECK(R(R_EAX) == 1 && R(R_EDX) == 0xfffffffffffffffeull, "mul: 128-bit product");
    CHECK(flag_cf(cpu) && flag_of(cpu), "mul: CF=OF=1");
    R(R_EAX) = 0xffffffffffffffffull;
    CHECK_EQ(EXEC(0x48, 0xf7, 0xeb), -1, "imul rbx");
    CHECK(R(R_EAX) == 1 && R(R_EDX) == 0, "imul -1 * -1");
    CHECK(!flag_cf(cpu), "imul: fits");
    R(R_ECX) = 0x100000000ull;
    R(R_EDX) = 0x100000000ull;
    CHECK_EQ(EXEC(0x48, 0x0f, 0xaf, 0xca), -1, "imul rcx, rdx");
    CHECK(R(R_ECX) == 0 && flag_of(cpu), "imul rcx, rdx overflows");
    R(R_ECX) = 3;
    CHECK_EQ(EXEC(0x48, 0x6b, 0xc9, 0xfe), -1, "imul rcx, rcx, -2");
    CHECK_EQ(R(R_ECX), 0xfffffffffffffffaull, "imul rcx, rcx, -2");
    /* DIV of a 128-bit dividend. */
    R(R_EDX) = 1;
    R(R_EAX) = 0;
    R(R_EBX) = 2;
    CHECK_EQ(EXEC(0x48, 0xf7, 0xf3), -1, "div rbx");
    CHECK(R(R_EAX) == 0x8000000000000000ull && R(R_EDX) == 0, "div 2^64 / 2");
    R(R_EDX) = 2;
    R(R_EAX) = 0;
    CHECK_EQ(EXEC(0x48, 0xf7, 0xf3), EXC_DE, "div overflow is #DE");
    CHECK_EQ(R(R_EDX), 2, "#DE leaves RDX");
    /* IDIV: -7 / 2 = -3 rem -1; the most negative dividend by -1 is #DE. */
    R(R_EAX) = (uint64_t)-7;
    R(R_EDX) = 0xffffffffffffffffull;
    CHECK_EQ(EXEC(0x48, 0xf7, 0xfb), -1, "idiv rbx");
    CHECK(R(R_EAX) == (uint64_t)-3 && R(R_EDX) == (uint64_t)-1, "idiv -7 / 2");
    R(R_EAX) = 0x8000000000000000ull;
    R(R_EDX) = 0xffffffffffffffffull;
    R(R_EBX) = 0xffffffffffffffffull;
    CHECK_EQ(EXEC(0x48, 0xf7, 0xfb), EXC_DE, "idiv INT64_MIN / -1 is #DE");
    R(R_EAX) = 0x8000000000000000ull;
    R(R_EDX) = 0xffffffffffffffffull;
    R(R_EBX) = 1;
    CHECK_EQ(EXEC(0x48, 0xf7, 0xfb), -1, "idiv INT64_MIN / 1");
    CHECK_EQ(R(R_EAX), 0x8000000000000000ull, "idiv INT64_MIN / 1");
}

static void test_bitops64(void)
{
    reset_cpu();
    R(R_EAX) = 0x8000000000000000ull;
    CHECK_EQ(EXEC(0x48, 0x0f, 0xba, 0xe0, 0x3f), -1, "bt rax, 63");
    CHECK(flag_cf(cpu), "bt rax, 63");
    CHECK_EQ(EXEC(0x48, 0x0f, 0xba, 0xe8, 0x20), -1, "bts rax, 32");
    CHECK_EQ(R(R_EAX), 0x8000000100000000ull, "bts rax, 32");
    CHECK_EQ(EXEC(0x48, 0x0f, 0xbd, 0xd8), -1, "bsr rbx, rax");
    CHECK_EQ(R(R_EBX), 63, "bsr rbx, rax");
    CHECK_EQ(EXEC(0x48, 0x0f, 0xbc, 0xd8), -1, "bsf rbx, rax");
    CHECK_EQ(R(R_EBX), 32, "bsf rbx, rax");
    /* BT with a register offset into memory: 64-bit units. */
    wr64(0x3008, 0x2);
    R(R_ESI) = 0x3000;
    R(R_ECX) = 65;
    CHECK_EQ(EXEC(0x48, 0x0f, 0xa3, 0x0e), -1, "bt [rsi], rcx");
    CHECK(flag_cf(cpu), "bt [rsi], 65 reads bit 1 of the next qword");
    R(R_EAX) = 0x0102030405060708ull;
    CHECK_EQ(EXEC(0x48, 0x0f, 0xc8), -1, "bswap rax");
    CHECK_EQ(R(R_EAX), 0x0807060504030201ull, "bswap rax");
    R(9) = 0x1122334455667788ull;
    CHECK_EQ(EXEC(0x49, 0x0f, 0xc9), -1, "bswap r9");
    CHECK_EQ(R(9), 0x8877665544332211ull, "bswap r9");
    /* SETcc with REX byte registers, CMOVcc. */
    R(R_EDI) = 0xffff;
    cpu->s.lf.op = LF_NONE;
    cpu->s.rflags = 0x2 | FL_ZF;
    CHECK_EQ(EXEC(0x40, 0x0f, 0x94, 0xc7), -1, "sete dil");
    CHECK_EQ(R(R_EDI), 0xff01, "sete dil writes DIL");
    R(R_EBX) = 0xffffffff00000005ull;
    R(R_EAX) = 0x1234;
    CHECK_EQ(EXEC(0x0f, 0x45, 0xd8), -1, "cmovne ebx, eax (false)");
    CHECK_EQ(R(R_EBX), 5, "cmov 32-bit false still zero-extends");
    CHECK_EQ(EXEC(0x48, 0x0f, 0x44, 0xd8), -1, "cmove rbx, rax");
    CHECK_EQ(R(R_EBX), 0x1234, "cmove rbx, rax");
    /* XADD / CMPXCHG 64. */
    R(R_EAX) = 0x100000000ull;
    R(R_EBX) = 0x100000000ull;
    CHECK_EQ(EXEC(0x48, 0x0f, 0xc1, 0xc3), -1, "xadd rbx, rax");
    CHECK(R(R_EBX) == 0x200000000ull && R(R_EAX) == 0x100000000ull, "xadd rbx, rax");
    R(R_EAX) = 0x200000000ull;
    R(R_ECX) = 7;
    CHECK_EQ(EXEC(0x48, 0x0f, 0xb1, 0xcb), -1, "cmpxchg rbx, rcx");
    CHECK(R(R_EBX) == 7 && flag_zf(cpu), "cmpxchg equal");
    /* CMPXCHG16B: needs CX16, a 16-byte aligned operand. */
    wr64(0x3100, 1);
    wr64(0x3108, 2);
    R(R_ESI) = 0x3100;
    R(R_EAX) = 1;
    R(R_EDX) = 2;
    R(R_EBX) = 0xaaaa;
    R(R_ECX) = 0xbbbb;
    cpu->model.feat[CPUID_1_ECX] &= ~(1u << 13);
    CHECK_EQ(EXEC(0x48, 0x0f, 0xc7, 0x0e), EXC_UD, "cmpxchg16b without CX16 is #UD");
    cpu->model.feat[CPUID_1_ECX] |= 1u << 13;
    CHECK_EQ(EXEC(0x48, 0x0f, 0xc7, 0x0e), -1, "cmpxchg16b [rsi]");
    CHECK(rd64(0x3100) == 0xaaaa && rd64(0x3108) == 0xbbbb && flag_zf(cpu), "cmpxchg16b equal");
    CHECK_EQ(EXEC(0x48, 0x0f, 0xc7, 0x0e), -1, "cmpxchg16b [rsi] again");
    CHECK(R(R_EAX) == 0xaaaa && R(R_EDX) == 0xbbbb && !flag_zf(cpu), "cmpxchg16b unequal loads");
    R(R_ESI) = 0x3108;
    CHECK_EQ(EXEC(0x48, 0x0f, 0xc7, 0x0e), EXC_GP, "cmpxchg16b misaligned is #GP");
}

static void test_string64(void)
{
    reset_cpu();
    wr64(0x5000, 0x1111111111111111ull);
    wr64(0x5008, 0x2222222222222222ull);
    R(R_ESI) = 0x5000;
    R(R_EDI) = 0x6000;
    R(R_ECX) = 2;
    CHECK_EQ(EXEC(0xf3, 0x48, 0xa5), -1, "rep movsq");
    CHECK(rd64(0x6000) == 0x1111111111111111ull && rd64(0x6008) == 0x2222222222222222ull,
          "rep movsq copies two qwords");
    CHECK(R(R_ESI) == 0x5010 && R(R_EDI) == 0x6010 && R(R_ECX) == 0, "rep movsq: RSI RDI RCX");
    R(R_EAX) = 0xababababababababull;
    R(R_ECX) = 0x100000001ull;
    R(R_EDI) = 0x6000;
    CHECK_EQ(EXEC(0x67, 0xf3, 0x48, 0xab), -1, "rep stosq, 32-bit address size");
    CHECK(R(R_ECX) == 0x0 && R(R_EDI) == 0x6008, "67: ECX counts (zero-extended writes)");
    CHECK_EQ(rd64(0x6000), 0xababababababababull, "stosq stored 8 bytes");
    R(R_ESI) = 0x6000;
    R(R_EAX) = 0;
    CHECK_EQ(EXEC(0x48, 0xad), -1, "lodsq");
    CHECK(R(R_EAX) == 0xababababababababull && R(R_ESI) == 0x6008, "lodsq");
    R(R_EDI) = 0x6000;
    CHECK_EQ(EXEC(0x48, 0xaf), -1, "scasq");
    CHECK(flag_zf(cpu) && R(R_EDI) == 0x6008, "scasq equal");
    R(R_ESI) = 0x5000;
    R(R_EDI) = 0x6000;
    CHECK_EQ(EXEC(0x48, 0xa7), -1, "cmpsq");
    CHECK(!flag_zf(cpu) && R(R_ESI) == 0x5008, "cmpsq unequal");
}

static void test_flags64(void)
{
    reset_cpu();
    cpu->s.lf.op = LF_NONE;
    cpu->s.rflags = 0x2 | FL_CF | FL_DF;
    CHECK_EQ(EXEC(0x9c), -1, "pushfq");
    CHECK_EQ(R(R_ESP), 0x7ff8, "pushfq pushes 8 bytes");
    CHECK_EQ(rd64(0x7ff8), 0x2 | FL_CF | FL_DF, "pushfq value");
    wr64(0x7ff8, 0x2 | FL_ZF);
    CHECK_EQ(EXEC(0x9d), -1, "popfq");
    CHECK_EQ(R(R_ESP), 0x8000, "popfq pops 8 bytes");
    CHECK(flag_zf(cpu) && !flag_cf(cpu), "popfq value");
    cpu->model.feat[CPUID_80000001_ECX] &= ~1u;
    CHECK_EQ(EXEC(0x9f), EXC_UD, "lahf without lahf_lm is #UD in 64-bit mode");
    cpu->model.feat[CPUID_80000001_ECX] |= 1u;
    R(R_EAX) = 0;
    CHECK_EQ(EXEC(0x9f), -1, "lahf with lahf_lm");
    CHECK_EQ(R(R_EAX), (0x2 | FL_ZF) << 8, "lahf loads AH");
}

int main(void)
{
    if (!fixture_init(16u << 20))
        return 1;
    test_alu64();
    test_mem64();
    test_canonical();
    test_mov64();
    test_stack64();
    test_branch64();
    test_shift64();
    test_muldiv64();
    test_bitops64();
    test_string64();
    test_flags64();
    return fixture_done();
}
