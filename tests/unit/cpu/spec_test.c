/* Fast-op selection (spec.def and, for 64-bit code, spec64.def through
 * fastops_specialize()): the forms the tables name get a specialised
 * handler, the others keep their row's generic one (LOCK, 16-bit forms
 * not listed, sub-ops not listed).
 * What the fast handlers compute is checked by the differential test and
 * the guest tests, which run through them. */
#include "test.h"
#include "cpu/fastops.h"
#include "cpu/insn.h"
#include "cpu/optable.h"

static int hexbytes(const char *hex, uint8_t *b, unsigned cap)
{
    unsigned n = 0;
    for (const char *p = hex; *p && n < cap;) {
        if (*p == ' ') { p++; continue; }
        unsigned v;
        if (sscanf(p, "%2x", &v) != 1)
            break;
        b[n++] = (uint8_t)v;
        p += 2;
    }
    return (int)n;
}

/* Whether `hex` (code of `size` bytes) is specialised: its handler after
 * fastops_specialize() differs from its row's. `fn` gets the handler. */
static bool specialised(unsigned size, const char *hex, op_fn *fn)
{
    uint8_t b[16] = { 0 };
    struct insn i;
    int n = hexbytes(hex, b, sizeof(b));
    if (decode_bytes(b, (unsigned)n, size, &i) != n)
        return false;
    op_fn generic = i.fn;
    fastops_specialize(&i, size);
    if (fn)
        *fn = i.fn;
    return i.fn != generic;
}

int main(void)
{
    op_fn a, b;
    optable_init();

    CHECK(specialised(4, "01 c0", &a), "ADD r32, r32 is specialised");
    CHECK(specialised(4, "29 c0", &b) && a != b, "SUB r32, r32 gets its own handler (sub-op indexes the table)");
    CHECK(specialised(4, "01 03", &b) && a != b, "ADD [mem], r32 gets the memory form");
    CHECK(!specialised(4, "f0 01 03", NULL), "LOCK ADD keeps the generic handler");
    CHECK(!specialised(4, "66 01 c0", NULL), "16-bit ADD keeps the generic handler");
    CHECK(specialised(4, "8b 43 04", &a), "MOV r32, [ebx+4] is specialised");
    CHECK(specialised(4, "8b 04 8b", &b) && a != b, "with an index it is the general memory form");
    CHECK(specialised(2, "66 8b 43 04", &b) && a != b, "67-less base+disp in 16-bit code: not the base+disp form");
    CHECK(specialised(4, "c1 e0 03", &a), "SHL r32, imm8 is specialised");
    CHECK(specialised(4, "66 c1 e0 03", &b) && a != b, "SHL r16, imm8 has its own 16-bit form");
    CHECK(specialised(4, "c1 f8 03", &b) && a != b, "SAR r32, imm8 differs from SHL");
    CHECK(specialised(4, "c1 e0 03", &b) && a == b, "SHL and SAL (C1 /4, /6) share a form");
    CHECK(!specialised(4, "c1 d0 03", NULL), "RCL r32, imm8 is not specialised");
    CHECK(!specialised(4, "c1 20 03", NULL), "SHL [mem], imm8 is not specialised");
    CHECK(specialised(4, "74 00", &a), "JE rel8 is specialised");
    CHECK(specialised(4, "0f 84 00 00 00 00", &b) && a == b, "JE rel32 runs the same condition handler");
    CHECK(specialised(4, "75 00", &b) && a != b, "JNE has its own");
    CHECK(specialised(4, "50", NULL) && specialised(4, "58", NULL), "PUSH/POP r32");
    CHECK(!specialised(2, "50", NULL), "PUSH r16 keeps the generic handler");
    /* 64-bit code: spec64.def */
    op_fn c;
    CHECK(specialised(8, "48 01 c0", &a), "ADD r64, r64 is specialised");
    CHECK(specialised(4, "01 c0", &b) && a != b, "... by a 64-bit handler, not the 32-bit one");
    CHECK(specialised(8, "01 c0", &c) && c == b, "ADD r32, r32 in 64-bit code runs the 32-bit handler (LEG)");
    CHECK(specialised(8, "45 01 c8", &c) && c == b, "... with REX registers too");
    CHECK(specialised(8, "40 88 e0", &a) && specialised(4, "88 e0", &b) && a == b,
          "a byte MOV with REX (SPL) runs the byte handler (registers 20..23)");
    CHECK(specialised(8, "8b 05 00 00 00 00", &a), "a RIP-relative load is specialised");
    CHECK(specialised(8, "8b 43 04", &b) && a != b, "MOV r32, [rbx+4] has the base+disp form");
    CHECK(specialised(8, "8b 04 8b", &c) && c != a && c != b, "with an index the general form");
    CHECK(specialised(8, "67 8b 43 04", &a) && a == c, "32-bit addressing: the general form");
    CHECK(specialised(4, "8b 43 04", &a) && a != b, "32-bit code's base+disp load is another handler");
    CHECK(specialised(8, "48 8b 43 04", &a) && a != b, "MOV r64, [rbx+4]: its own handler");
    CHECK(specialised(8, "50", &a) && specialised(4, "50", &b) && a != b, "PUSH r64 is specialised");
    CHECK(!specialised(8, "66 50", NULL), "PUSH r16 in 64-bit code keeps the generic handler");
    CHECK(specialised(8, "74 00", &a) && specialised(4, "74 00", &b) && a != b,
          "Jcc in 64-bit code: the 64-bit handler");
    CHECK(specialised(8, "c3", NULL) && specialised(8, "e8 00 00 00 00", NULL), "CALL/RET");
    CHECK(specialised(8, "c1 e0 03", &a) && specialised(4, "c1 e0 03", &b) && a != b,
          "SHL r32, imm8 in 64-bit code: the variant that zero-extends on a count of 0");
    CHECK(specialised(8, "0f 44 c1", &a) && specialised(4, "0f 44 c1", &b) && a != b,
          "CMOVE r32 in 64-bit code: the variant that writes when false");
    CHECK(specialised(8, "0f 1f 44 00 00", &a) && specialised(8, "90", &b) && a == b,
          "multi-byte NOP and NOP share the 64-bit NOP handler");
    CHECK(specialised(8, "40 00 f0", &a) && specialised(8, "00 f0", &b) && a == b,
          "byte ADD with REX (SIL) and without (DH): one handler, the record names the register");
    CHECK(specialised(8, "80 3b 05", &a) && specialised(8, "80 3b 05", &b) && a == b &&
          specialised(8, "80 03 05", &c) && c != a, "CMP/ADD byte [mem], imm8: per-op handlers");
    CHECK(specialised(8, "ff d0", &a) && specialised(8, "ff 10", &b) && a != b,
          "CALL r64 and CALL [mem] are specialised, separately");
    CHECK(specialised(8, "66 ff d0", &b) && a == b,
          "66 CALL r/m in 64-bit code: the operand size stays 64 (F64), the same handler");
    CHECK(!specialised(8, "f0 ff 03", NULL), "LOCK INC [mem] keeps the generic handler");
    CHECK(!specialised(8, "f0 48 01 03", NULL), "LOCK ADD [mem], r64 keeps the generic handler");
    CHECK(!specialised(8, "48 c1 d0 03", NULL), "RCL r64, imm8 is not specialised");
    CHECK(!specialised(8, "66 c1 c0 03", NULL), "ROL r16 (no 16-bit row in spec.def) is not");
    CHECK(specialised(4, "88 e0", NULL), "byte MOV r8, r8 is specialised");
    CHECK(!specialised(4, "8d c0", NULL), "LEA with a register operand stays #UD");
    return test_summary();
}
