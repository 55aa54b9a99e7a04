/* Fast-op selection (spec.def through fastops_specialize()): the forms the
 * table names get a specialised handler, the others keep their row's
 * generic one (LOCK, 16-bit forms not listed, REX, sub-ops not listed).
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
    fastops_specialize(&i);
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
    CHECK(!specialised(8, "48 01 c0", NULL), "64-bit ADD keeps the generic handler");
    CHECK(!specialised(8, "40 88 e0", NULL), "a byte MOV with REX (SPL) keeps the generic handler");
    CHECK(!specialised(8, "8b 05 00 00 00 00", NULL), "a 64-bit-addressed load keeps the generic handler");
    CHECK(specialised(4, "88 e0", NULL), "byte MOV r8, r8 is specialised");
    CHECK(!specialised(4, "8d c0", NULL), "LEA with a register operand stays #UD");
    return test_summary();
}
