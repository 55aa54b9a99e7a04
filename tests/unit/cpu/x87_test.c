/* Unit tests of the x87 FPU (src/cpu/x87*.c).
 *
 * Two layers: the pure conversions (packed BCD, 80-bit images, integer
 * stores with rounding and the integer indefinite, single/double loads and
 * stores), then whole instructions decoded from bytes and executed on a
 * CPU in flat 32-bit protected mode (and real mode for the 16-bit image
 * layouts), checking exact bit patterns, status/tag words, exception
 * flags and the #NM/#MF/FERR rules. Expected values come from the Intel
 * SDM and exact rational arithmetic, not from the host FPU. */
#include <setjmp.h>

#include "test.h"
#include "cpu/cpu.h"
#include "cpu/except.h"
#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/mmu.h"
#include "cpu/x87.h"
#include "cpu/state.h"
#include "util/savestate.h"
#include "mem/physmem.h"

static struct physmem mem;
static struct cpu *cpu;

/* ---- harness ---- */

static void flat_seg(int s, uint16_t attr)
{
    cpu->s.seg[s].sel = 0x10;
    cpu->s.seg[s].base = 0;
    cpu->s.seg[s].limit = 0xffffffffu;
    cpu->s.seg[s].attr = attr;
}

static void reset_prot(void)
{
    memset(cpu, 0, sizeof *cpu);
    cpu->mem = &mem;
    mmu_init(cpu);
    cpu->s.mode = MODE_PROT32;
    cpu->s.cr0 = CR0_PE | CR0_ET | CR0_NE;
    cpu->s.code_size = 4;
    cpu->s.stack_size = 4;
    for (int s = 0; s < SEG_COUNT; s++)
        flat_seg(s, 0x93 | SEGA_DB | SEGA_G);
    flat_seg(SEG_CS, 0x9b | SEGA_DB | SEGA_G);
    cpu->s.seg[SEG_CS].sel = 0x08;
    x87_init_state(cpu);
}

static void reset_real(void)
{
    memset(cpu, 0, sizeof *cpu);
    cpu->mem = &mem;
    mmu_init(cpu);
    cpu->s.mode = MODE_REAL;
    cpu->s.cr0 = CR0_ET | CR0_NE;
    for (int s = 0; s < SEG_COUNT; s++) {
        cpu->s.seg[s].sel = 0x0100;
        cpu->s.seg[s].base = 0x1000;
        cpu->s.seg[s].limit = 0xffff;
        cpu->s.seg[s].attr = 0x93;
    }
    cpu->s.seg[SEG_CS].sel = 0xf000;
    cpu->s.seg[SEG_CS].base = 0xf0000;
    cpu->s.seg[SEG_CS].attr = 0x9b;
    x87_init_state(cpu);
}

/* Decode and execute one instruction given as bytes. Returns the vector of
 * a guest fault, or -1. */
static int exec_bytes(const uint8_t *b, unsigned n)
{
    static struct insn ins;
    memset(&ins, 0, sizeof ins);
    if (decode_bytes(b, n, insn_code_size(cpu), &ins) <= 0)
        return -2;
    cpu->s.rip = 0x1234;
    cpu->next_rip = (uint32_t)cpu->s.rip + ins.len;
    cpu->cur = &ins;
    if (setjmp(cpu->fault_jmp))
        return cpu->exc_vector;
    ins.fn(cpu, &ins);
    return -1;
}

#define X(...) ({ static const uint8_t b_[] = { __VA_ARGS__ }; exec_bytes(b_, sizeof b_); })
/* ModRM with an absolute disp32 (32-bit) or disp16 (16-bit) address. */
#define M32(op, reg, addr) X(op, (uint8_t)(((reg) << 3) | 5), (addr) & 0xff, ((addr) >> 8) & 0xff, \
                            ((addr) >> 16) & 0xff, ((addr) >> 24) & 0xff)
#define M16(op, reg, addr) X(op, (uint8_t)(((reg) << 3) | 6), (addr) & 0xff, ((addr) >> 8) & 0xff)

static void wr_mem(uint64_t pa, uint64_t v, unsigned size) { physmem_write(&mem, pa, v, size); }
static uint64_t rd_mem(uint64_t pa, unsigned size) { return physmem_read(&mem, pa, size); }

static struct f80 st(unsigned i) { return x87_st(cpu, i); }

#define CHECK_F80(v, m, e, ...) do {                               \
    struct f80 v_ = (v);                                           \
    CHECK_EQ(v_.mant, (m), __VA_ARGS__);                           \
    CHECK_EQ(v_.se, (e), __VA_ARGS__);                             \
} while (0)

static void set_cw(uint16_t cw) { x87_set_cw(cpu, cw); }

/* ---- pure conversions ---- */

static const struct f80 ONE = { 0x8000000000000000ull, 0x3fff };
static struct f80 f80_from_double(double d)
{
    uint64_t bits;
    struct f80 v;
    memcpy(&bits, &d, 8);
    x87_cvt_from_f64(bits, &v);
    return v;
}

static void test_conversions(void)
{
    uint8_t bcd[10];
    static const uint8_t bcd_max[10] = { 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x00 };
    static const uint8_t bcd_num[10] = { 0x78, 0x56, 0x34, 0x12, 0x90, 0x78, 0x56, 0x34, 0x12, 0x80 };
    static const uint8_t bcd_ind[10] = { 0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0xff };

    struct f80 v = x87_cvt_from_bcd(bcd_num);
    int64_t n;
    x87_cvt_to_int(v, FCW_INIT, 8, &n);
    CHECK_EQ(n, -123456789012345678ll, "FBLD -123456789012345678 loads exactly");
    CHECK_EQ(x87_cvt_to_bcd(v, FCW_INIT, bcd), 0, "FBSTP of an integer raises nothing");
    CHECK(memcmp(bcd, bcd_num, 10) == 0, "BCD round trip keeps all 18 digits and the sign");
    v = x87_cvt_from_bcd(bcd_max);
    CHECK_EQ(x87_cvt_to_bcd(v, FCW_INIT, bcd), 0, "999999999999999999 stores as BCD");
    CHECK(memcmp(bcd, bcd_max, 10) == 0, "BCD 18 nines");
    v = x87_cvt_from_int(1000000000000000000ll);
    CHECK_EQ(x87_cvt_to_bcd(v, FCW_INIT, bcd) & FSW_IE, FSW_IE, "10^18 to BCD raises #IA");
    CHECK(memcmp(bcd, bcd_ind, 10) == 0, "10^18 stores the BCD indefinite FFFF C000000000000000");
    CHECK(x87_cvt_to_bcd(f80_from_double(2.5), FCW_INIT, bcd) & FSW_PE, "2.5 to BCD is inexact");
    CHECK_EQ(bcd[0], 0x02, "2.5 to BCD rounds to even");
    x87_cvt_to_bcd(f80_from_double(-7.5), FCW_INIT | 0x0800, bcd);     /* round up */
    CHECK(bcd[0] == 0x07 && bcd[9] == 0x80, "-7.5 to BCD rounding up gives -7");
    x87_cvt_to_bcd(f80_from_double(-0.0), FCW_INIT, bcd);
    CHECK(bcd[0] == 0 && bcd[9] == 0x80, "-0 to BCD keeps the sign byte");

    static const struct { double d; uint16_t rc; int64_t want; const char *name; } r[] = {
        { 2.5, 0x000, 2, "2.5 round to nearest even -> 2" },
        { 3.5, 0x000, 4, "3.5 round to nearest even -> 4" },
        { -2.5, 0x400, -3, "-2.5 round down -> -3" },
        { -2.5, 0x800, -2, "-2.5 round up -> -2" },
        { -2.7, 0xc00, -2, "-2.7 chop -> -2" },
        { 2.7, 0xc00, 2, "2.7 chop -> 2" },
    };
    for (unsigned k = 0; k < sizeof r / sizeof r[0]; k++) {
        unsigned e = x87_cvt_to_int(f80_from_double(r[k].d), FCW_INIT | r[k].rc, 4, &n);
        CHECK_EQ(n, r[k].want, "FIST m32: %s", r[k].name);
        CHECK_EQ(e & FSW_EXC, FSW_PE, "FIST m32: %s raises #P only", r[k].name);
    }
    CHECK_EQ(x87_cvt_to_int(f80_from_double(2.5), FCW_INIT | 0x800, 2, &n) & FSW_C1, FSW_C1,
             "FIST rounding up sets C1");
    CHECK_EQ(x87_cvt_to_int(f80_from_double(32768.0), FCW_INIT, 2, &n) & FSW_IE, FSW_IE,
             "32768 to m16int raises #IA");
    CHECK_EQ((uint16_t)n, 0x8000, "m16int indefinite is 8000H");
    CHECK_EQ(x87_cvt_to_int(f80_from_double(-32768.0), FCW_INIT, 2, &n), 0, "-32768 fits m16int");
    CHECK_EQ(n, -32768, "-32768 stored exactly");
    CHECK_EQ(x87_cvt_to_int(f80_from_double(-32768.5), FCW_INIT | 0xc00, 2, &n) & FSW_IE, 0,
             "-32768.5 chopped fits m16int");
    CHECK_EQ(x87_cvt_to_int(f80_from_double(1e10), FCW_INIT, 4, &n) & FSW_IE, FSW_IE,
             "1e10 to m32int raises #IA");
    CHECK_EQ((uint32_t)n, 0x80000000u, "m32int indefinite is 80000000H");
    CHECK_EQ(x87_cvt_to_int(F80_INDEF, FCW_INIT, 8, &n) & FSW_IE, FSW_IE, "NaN to m64int raises #IA");
    CHECK_EQ((uint64_t)n, 0x8000000000000000ull, "m64int indefinite");
    CHECK_EQ(x87_cvt_to_int((struct f80){ 0x8000000000000000ull, 0x403e }, FCW_INIT, 8, &n) & FSW_IE,
             FSW_IE, "2^63 does not fit m64int");

    struct f80 w;
    CHECK_EQ(x87_cvt_from_f32(0x3f800000u, &w), 0, "FLD m32 1.0 raises nothing");
    CHECK_F80(w, ONE.mant, ONE.se, "m32 1.0 -> 3FFF 8000000000000000");
    CHECK_EQ(x87_cvt_from_f32(0x00000001u, &w), FSW_DE, "FLD m32 denormal raises #D");
    CHECK_F80(w, 0x8000000000000000ull, 0x3fff - 149, "smallest m32 denormal normalises to 2^-149");
    CHECK_EQ(x87_cvt_from_f32(0x7f800001u, &w), FSW_IE, "FLD m32 SNaN raises #IA");
    CHECK_F80(w, 0xc000010000000000ull, 0x7fff, "SNaN loads as the QNaN with the same payload");
    CHECK_EQ(x87_cvt_from_f64(0xfff0000000000000ull, &w), 0, "FLD m64 -inf raises nothing");
    CHECK_F80(w, 0x8000000000000000ull, 0xffff, "-inf as 80-bit");

    uint32_t f32;
    uint64_t f64;
    uint16_t sw;
    struct f80 third = { 0xaaaaaaaaaaaaaaabull, 0x3ffd };
    x87_cvt_to_f32(third, FCW_INIT, &f32, &sw);
    CHECK_EQ(f32, 0x3eaaaaab, "1/3 to m32, nearest");
    CHECK(sw & FSW_C1, "1/3 to m32 rounded up sets C1");
    x87_cvt_to_f32(third, FCW_INIT | 0xc00, &f32, &sw);
    CHECK_EQ(f32, 0x3eaaaaaa, "1/3 to m32, chop");
    x87_cvt_to_f64(third, FCW_INIT, &f64, &sw);
    CHECK_EQ(f64, 0x3fd5555555555555ull, "1/3 to m64, nearest");
    CHECK_EQ(x87_cvt_to_f32((struct f80){ 0x8000000000000000ull, 0x3fff + 200 }, FCW_INIT, &f32, &sw)
             & (FSW_OE | FSW_PE), FSW_OE | FSW_PE, "2^200 to m32 overflows");
    CHECK_EQ(f32, 0x7f800000u, "masked overflow stores +inf");
    x87_cvt_to_f32((struct f80){ 0x8000000000000000ull, 0x3fff + 200 }, FCW_INIT | 0xc00, &f32, &sw);
    CHECK_EQ(f32, 0x7f7fffffu, "masked overflow with chop stores the largest finite");

    long double ld;
    f80_put(&ld, third);
    struct f80 back = f80_get(&ld);
    CHECK(back.mant == third.mant && back.se == third.se, "80-bit image <-> long double round trip");
    CHECK_EQ(f80_tag(third), TAG_VALID, "tag of a normal");
    CHECK_EQ(f80_tag((struct f80){ 0, 0x8000 }), TAG_ZERO, "tag of -0");
    CHECK_EQ(f80_tag((struct f80){ 1, 0 }), TAG_SPECIAL, "tag of a denormal");
    CHECK_EQ(f80_tag((struct f80){ 0x4000000000000000ull, 0x3fff }), TAG_SPECIAL, "tag of an unnormal");
    CHECK_EQ(f80_tag(F80_INDEF), TAG_SPECIAL, "tag of a NaN");
}

/* ---- instructions ---- */

static void test_constants(void)
{
    reset_prot();
    CHECK_EQ(X(0xd9, 0xeb), -1, "FLDPI runs");
    CHECK_F80(st(0), 0xc90fdaa22168c235ull, 0x4000, "FLDPI, round to nearest");
    CHECK_EQ(x87_top(cpu), 7, "FLDPI pushed: TOP 7");
    CHECK_EQ(cpu->s.fpu.tw, 0x3fff, "tag word: ST(0) valid, others empty");
    set_cw(FCW_INIT | 0x0400);
    X(0xd9, 0xeb);
    CHECK_F80(st(0), 0xc90fdaa22168c234ull, 0x4000, "FLDPI, round down");
    X(0xd9, 0xe9);
    CHECK_F80(st(0), 0xd49a784bcd1b8afeull, 0x4000, "FLDL2T, round down");
    set_cw(FCW_INIT);
    X(0xd9, 0xea);
    CHECK_F80(st(0), 0xb8aa3b295c17f0bcull, 0x3fff, "FLDL2E");
    X(0xd9, 0xec);
    CHECK_F80(st(0), 0x9a209a84fbcff799ull, 0x3ffd, "FLDLG2");
    X(0xd9, 0xed);
    CHECK_F80(st(0), 0xb17217f7d1cf79acull, 0x3ffe, "FLDLN2");
    X(0xd9, 0xee);
    CHECK_F80(st(0), 0, 0, "FLDZ");
    CHECK_EQ(x87_tag(cpu, x87_phys(cpu, 0)), TAG_ZERO, "FLDZ tags zero");
    X(0xd9, 0xe8);
    CHECK_F80(st(0), ONE.mant, ONE.se, "FLD1");
    CHECK_EQ(cpu->s.fpu.sw & FSW_EXC, 0, "constants raise nothing");
    /* That was the eighth push; the ninth overflows. */
    CHECK_EQ(cpu->s.fpu.sw & (FSW_IE | FSW_SF), 0, "8 pushes fit");
    X(0xd9, 0xe8);
    CHECK_EQ(cpu->s.fpu.sw & (FSW_IE | FSW_SF | FSW_C1), FSW_IE | FSW_SF | FSW_C1,
             "9th push: stack overflow #IS with C1=1");
    CHECK_F80(st(0), F80_INDEF.mant, F80_INDEF.se, "masked overflow pushes the QNaN indefinite");
}

static void test_arith(void)
{
    static const struct { uint16_t rc; uint64_t m; const char *name; } div[] = {
        { 0x000, 0xaaaaaaaaaaaaaaabull, "nearest" },
        { 0x400, 0xaaaaaaaaaaaaaaaaull, "down" },
        { 0x800, 0xaaaaaaaaaaaaaaabull, "up" },
        { 0xc00, 0xaaaaaaaaaaaaaaaaull, "chop" },
    };
    for (unsigned k = 0; k < 4; k++) {
        reset_prot();
        set_cw(FCW_INIT | div[k].rc);
        wr_mem(0x1000, 0x40400000u, 4);         /* 3.0f */
        X(0xd9, 0xe8);                          /* FLD1 */
        M32(0xd8, 6, 0x1000);                   /* FDIV dword [0x1000] */
        CHECK_F80(st(0), div[k].m, 0x3ffd, "FDIV 1/3 m32, round %s", div[k].name);
        CHECK_EQ(!!(cpu->s.fpu.sw & FSW_C1), div[k].m & 1, "FDIV 1/3 %s: C1 = rounded up", div[k].name);
        CHECK_EQ(cpu->s.fpu.sw & FSW_EXC, FSW_PE, "FDIV 1/3 %s: #P", div[k].name);
        X(0xd9, 0xe0);                          /* FCHS */
        CHECK_F80(st(0), div[k].m, 0xbffd, "FCHS of 1/3 (%s) flips the sign only", div[k].name);
    }
    /* -1/3 directly: down rounds the magnitude up. */
    reset_prot();
    set_cw(FCW_INIT | 0x400);
    wr_mem(0x1000, 0xc0400000u, 4);             /* -3.0f */
    X(0xd9, 0xe8);
    M32(0xd8, 6, 0x1000);
    CHECK_F80(st(0), 0xaaaaaaaaaaaaaaabull, 0xbffd, "FDIV 1/-3 round down");
    set_cw(FCW_INIT | 0x800);
    X(0xd9, 0xe8);
    M32(0xd8, 6, 0x1000);
    CHECK_F80(st(0), 0xaaaaaaaaaaaaaaaaull, 0xbffd, "FDIV 1/-3 round up");

    /* Precision control. */
    reset_prot();
    set_cw(0x007f);                             /* single */
    wr_mem(0x1000, 0x40400000u, 4);
    X(0xd9, 0xe8);
    M32(0xd8, 6, 0x1000);
    CHECK_F80(st(0), 0xaaaaab0000000000ull, 0x3ffd, "FDIV with PC=single");
    set_cw(0x027f);                             /* double */
    X(0xd9, 0xe8);
    M32(0xd8, 6, 0x1000);
    CHECK_F80(st(0), 0xaaaaaaaaaaaaa800ull, 0x3ffd, "FDIV with PC=double");

    /* FSQRT of 2, FADDP, FSUBP/FSUBRP/FDIVRP direction, FIADD. */
    reset_prot();
    X(0xd9, 0xe8);
    X(0xd9, 0xe8);
    X(0xde, 0xc1);                              /* FADDP ST1, ST0 */
    CHECK_F80(st(0), 0x8000000000000000ull, 0x4000, "FLD1 FLD1 FADDP = 2");
    CHECK_EQ(x87_top(cpu), 7, "FADDP popped");
    X(0xd9, 0xfa);
    CHECK_F80(st(0), 0xb504f333f9de6484ull, 0x3fff, "FSQRT 2");
    CHECK_EQ(cpu->s.fpu.sw & (FSW_EXC | FSW_C1), FSW_PE, "FSQRT 2: #P, rounded down (C1=0)");

    reset_prot();
    wr_mem(0x1000, 5, 2);
    M32(0xdf, 0, 0x1000);                       /* FILD word 5 */
    X(0xd9, 0xe8);                              /* ST0 = 1, ST1 = 5 */
    X(0xde, 0xe9);                              /* FSUBP ST1, ST0: ST1 = 5 - 1 */
    CHECK_F80(st(0), 0x8000000000000000ull, 0x4001, "FSUBP: ST(1) - ST(0) = 4");
    X(0xd9, 0xe8);
    X(0xde, 0xe1);                              /* FSUBRP ST1, ST0: ST1 = 1 - 4 */
    CHECK_F80(st(0), 0xc000000000000000ull, 0xc000, "FSUBRP: ST(0) - ST(1) = -3");
    X(0xd9, 0xe8);
    X(0xde, 0xf1);                              /* FDIVRP ST1, ST0: ST1 = 1 / -3 */
    CHECK_F80(st(0), 0xaaaaaaaaaaaaaaabull, 0xbffd, "FDIVRP: ST(0) / ST(1)");
    X(0xd9, 0xe8);
    X(0xdc, 0xf9);                              /* FDIV ST1, ST0 (DC F8+i): ST1 = ST1 / ST0 */
    CHECK_F80(st(1), 0xaaaaaaaaaaaaaaabull, 0xbffd, "DC F9: ST(1) / ST(0), ST(0) kept");
    wr_mem(0x1000, 7, 4);
    X(0xd9, 0xee);
    M32(0xda, 0, 0x1000);                       /* FIADD dword 7 */
    CHECK_F80(st(0), 0xe000000000000000ull, 0x4001, "FIADD m32int");
    M32(0xda, 5, 0x1000);                       /* FISUBR: 7 - 7 */
    CHECK_F80(st(0), 0, 0, "FISUBR m32int gives +0");

    /* Masked zero divide and invalid. */
    reset_prot();
    X(0xd9, 0xee);
    X(0xd9, 0xe8);
    X(0xd8, 0xf1);                              /* 1 / 0 */
    CHECK_F80(st(0), 0x8000000000000000ull, 0x7fff, "1/0 masked gives +inf");
    CHECK_EQ(cpu->s.fpu.sw & FSW_EXC, FSW_ZE, "1/0 raises #Z");
    X(0xd8, 0xe0);                              /* FSUB ST0, ST0: inf - inf */
    CHECK_F80(st(0), F80_INDEF.mant, F80_INDEF.se, "inf-inf gives the QNaN indefinite");
    CHECK_EQ(cpu->s.fpu.sw & FSW_EXC, FSW_ZE | FSW_IE, "flags are sticky: #Z and #IA");
    CHECK(!(cpu->s.fpu.sw & FSW_ES), "masked exceptions leave ES clear");

    /* Stack underflow. */
    reset_prot();
    X(0xd8, 0xc1);                              /* FADD ST0, ST1 on an empty stack */
    CHECK_EQ(cpu->s.fpu.sw & (FSW_IE | FSW_SF | FSW_C1), FSW_IE | FSW_SF, "empty FADD: #IS with C1=0");
    CHECK_F80(st(0), F80_INDEF.mant, F80_INDEF.se, "empty FADD writes the indefinite");

    /* FPREM, FSCALE, FXTRACT, FRNDINT. */
    reset_prot();
    wr_mem(0x1000, 3, 2);
    wr_mem(0x1002, 10, 2);
    M32(0xdf, 0, 0x1000);                       /* 3 */
    M32(0xdf, 0, 0x1002);                       /* 10 */
    X(0xd9, 0xf8);                              /* FPREM: 10 rem 3 = 1, q = 3 */
    CHECK_F80(st(0), 0x8000000000000000ull, 0x3fff, "FPREM 10 rem 3 = 1");
    CHECK_EQ(cpu->s.fpu.sw & FSW_CC, FSW_C3 | FSW_C1, "FPREM q=3: C0=Q2=0 C3=Q1=1 C1=Q0=1, C2=0");
    M32(0xdf, 0, 0x1000);                       /* 3 */
    X(0xd9, 0xfd);                              /* FSCALE: 3 * 2^1 */
    CHECK_F80(st(0), 0xc000000000000000ull, 0x4001, "FSCALE 3 * 2^trunc(1) = 6");
    X(0xd9, 0xf4);                              /* FXTRACT 6 */
    CHECK_F80(st(0), 0xc000000000000000ull, 0x3fff, "FXTRACT significand 1.5");
    CHECK_F80(st(1), 0x8000000000000000ull, 0x4000, "FXTRACT exponent 2");
    wr_mem(0x1000, 0x40200000u, 4);             /* 2.5f */
    M32(0xd9, 0, 0x1000);
    X(0xd9, 0xfc);
    CHECK_F80(st(0), 0x8000000000000000ull, 0x4000, "FRNDINT 2.5 -> 2 (nearest even)");
}

static void test_compare(void)
{
    reset_prot();
    X(0xd9, 0xe8);                              /* 1 */
    X(0xd9, 0xeb);                              /* pi, 1 */
    X(0xd8, 0xd1);                              /* FCOM ST1: pi > 1 */
    CHECK_EQ(cpu->s.fpu.sw & FSW_CC, 0, "FCOM pi,1: greater = C3 C2 C0 clear");
    X(0xd9, 0xc9);                              /* FXCH: 1, pi */
    X(0xd8, 0xd1);
    CHECK_EQ(cpu->s.fpu.sw & FSW_CC, FSW_C0, "FCOM 1,pi: less = C0");
    X(0xd8, 0xd0);
    CHECK_EQ(cpu->s.fpu.sw & FSW_CC, FSW_C3, "FCOM ST0: equal = C3");
    X(0xdb, 0xf1);                              /* FCOMI ST1 */
    CHECK(flag_cf(cpu) && !flag_zf(cpu) && !flag_pf(cpu), "FCOMI 1,pi: CF=1 ZF=0 PF=0");
    X(0xdf, 0xf1);                              /* FCOMIP */
    CHECK_EQ(x87_top(cpu), 7, "FCOMIP pops");
    X(0xd9, 0xe4);                              /* FTST pi */
    CHECK_EQ(cpu->s.fpu.sw & FSW_CC, 0, "FTST positive");
    /* Unordered. */
    reset_prot();
    wr_mem(0x1000, 0x7fc00000u, 4);             /* QNaN */
    X(0xd9, 0xe8);
    M32(0xd9, 0, 0x1000);
    X(0xdd, 0xe1);                              /* FUCOM ST1 */
    CHECK_EQ(cpu->s.fpu.sw & (FSW_C0 | FSW_C2 | FSW_C3), FSW_C0 | FSW_C2 | FSW_C3, "FUCOM NaN: unordered");
    CHECK_EQ(cpu->s.fpu.sw & FSW_IE, 0, "FUCOM QNaN raises nothing");
    X(0xd8, 0xd1);
    CHECK_EQ(cpu->s.fpu.sw & FSW_IE, FSW_IE, "FCOM QNaN raises #IA");
    X(0xdb, 0xe9);                              /* FUCOMI */
    CHECK(flag_cf(cpu) && flag_zf(cpu) && flag_pf(cpu), "FUCOMI NaN: ZF PF CF set");
    X(0xda, 0xe9);                              /* FUCOMPP */
    CHECK_EQ(cpu->s.fpu.tw, 0xffff, "FUCOMPP pops twice");
    /* FCMOVcc reads EFLAGS. */
    reset_prot();
    X(0xd9, 0xe8);
    X(0xd9, 0xee);                              /* 0, 1 */
    flags_set(cpu, FL_CF);
    X(0xdb, 0xc1);                              /* FCMOVNB: not taken */
    CHECK_F80(st(0), 0, 0, "FCMOVNB with CF=1 keeps ST0");
    X(0xda, 0xc1);                              /* FCMOVB: taken */
    CHECK_F80(st(0), ONE.mant, ONE.se, "FCMOVB with CF=1 moves ST1");
    /* FXAM classes. */
    static const struct { struct f80 v; uint16_t cc; const char *name; } xam[] = {
        { { 0x8000000000000000ull, 0x3fff }, FSW_C2, "normal" },
        { { 0x8000000000000000ull, 0xffff }, FSW_C2 | FSW_C0 | FSW_C1, "-infinity" },
        { { 0xc000000000000000ull, 0x7fff }, FSW_C0, "NaN" },
        { { 0, 0x8000 }, FSW_C3 | FSW_C1, "-zero" },
        { { 1, 0 }, FSW_C3 | FSW_C2, "denormal" },
        { { 0x4000000000000000ull, 0x3fff }, 0, "unnormal (unsupported)" },
    };
    for (unsigned k = 0; k < sizeof xam / sizeof xam[0]; k++) {
        reset_prot();
        uint64_t a = 0x1000;
        wr_mem(a, xam[k].v.mant, 8);
        wr_mem(a + 8, xam[k].v.se, 2);
        M32(0xdb, 5, 0x1000);                   /* FLD tword */
        X(0xd9, 0xe5);
        CHECK_EQ(cpu->s.fpu.sw & FSW_CC, xam[k].cc, "FXAM %s", xam[k].name);
    }
    reset_prot();
    X(0xd9, 0xe5);
    CHECK_EQ(cpu->s.fpu.sw & (FSW_C0 | FSW_C2 | FSW_C3), FSW_C3 | FSW_C0, "FXAM empty");
}

static void test_ldst(void)
{
    reset_prot();
    static const uint8_t bcd[10] = { 0x21, 0x43, 0x65, 0x87, 0x09, 0, 0, 0, 0, 0x80 };
    for (unsigned k = 0; k < 10; k++)
        wr_mem(0x1000 + k, bcd[k], 1);
    M32(0xdf, 4, 0x1000);                       /* FBLD */
    M32(0xdf, 6, 0x1100);                       /* FBSTP */
    CHECK_EQ(rd_mem(0x1100, 8), 0x0000000987654321ull, "FBLD/FBSTP digits");
    CHECK_EQ(rd_mem(0x1108, 2), 0x8000, "FBLD/FBSTP sign");
    CHECK_EQ(cpu->s.fpu.tw, 0xffff, "FBSTP pops");

    wr_mem(0x1000, 0x400921fb54442d18ull, 8);   /* pi as double */
    M32(0xdd, 0, 0x1000);                       /* FLD qword */
    M32(0xdb, 7, 0x1200);                       /* FSTP tword */
    CHECK_EQ(rd_mem(0x1200, 8), 0xc90fdaa22168c000ull, "FLD m64 pi, FSTP m80: significand");
    CHECK_EQ(rd_mem(0x1208, 2), 0x4000, "FSTP m80: exponent");
    M32(0xdb, 5, 0x1200);                       /* FLD tword */
    M32(0xd9, 3, 0x1300);                       /* FSTP dword */
    CHECK_EQ(rd_mem(0x1300, 4), 0x40490fdb, "FSTP m32 pi");
    CHECK_EQ(cpu->s.fpu.sw & FSW_PE, FSW_PE, "FSTP m32 pi is inexact");

    wr_mem(0x1000, 0xc025000000000000ull, 8);   /* -10.5 */
    M32(0xdd, 0, 0x1000);
    M32(0xdb, 2, 0x1400);                       /* FIST dword */
    CHECK_EQ(rd_mem(0x1400, 4), (uint32_t)-10, "FIST -10.5 nearest even -> -10");
    set_cw(FCW_INIT | 0x400);
    M32(0xdf, 7, 0x1408);                       /* FISTP qword */
    CHECK_EQ(rd_mem(0x1408, 8), (uint64_t)-11, "FISTP m64 -10.5 down -> -11");
    set_cw(FCW_INIT);
    wr_mem(0x1000, 0x40f0000000000000ull, 8);   /* 65536 */
    M32(0xdd, 0, 0x1000);
    M32(0xdf, 3, 0x1410);                       /* FISTP word */
    CHECK_EQ(rd_mem(0x1410, 2), 0x8000, "FISTP m16 65536 stores the indefinite");
    CHECK_EQ(cpu->s.fpu.sw & FSW_IE, FSW_IE, "... and raises #IA");

    /* Unmasked invalid store: memory and stack untouched. */
    reset_prot();
    set_cw(FCW_INIT & ~FSW_IE);
    wr_mem(0x1420, 0x5555, 2);
    M32(0xdd, 0, 0x1000);
    M32(0xdf, 3, 0x1420);
    CHECK_EQ(rd_mem(0x1420, 2), 0x5555, "unmasked #IA on FISTP stores nothing");
    CHECK_EQ(x87_top(cpu), 7, "unmasked #IA on FISTP does not pop");
    CHECK_EQ(cpu->s.fpu.sw & (FSW_ES | FSW_B), FSW_ES | FSW_B, "unmasked #IA sets ES and B");
}

static void test_env(void)
{
    /* 32-bit protected-mode FNSAVE. */
    reset_prot();
    wr_mem(0x1000, 0x3f800000u, 4);
    X(0xd9, 0xe8);
    M32(0xd9, 0, 0x1000);                       /* FLD dword: records FDP */
    X(0xd9, 0xeb);
    cpu->s.fpu.sw |= FSW_PE;
    M32(0xdd, 6, 0x2000);                       /* FNSAVE */
    CHECK_EQ(rd_mem(0x2000, 2), 0x037f, "FNSAVE32: FCW");
    CHECK_EQ(rd_mem(0x2004, 2), (5u << 11) | FSW_PE, "FNSAVE32: FSW with TOP=5");
    CHECK_EQ(rd_mem(0x2008, 2), 0x03ff, "FNSAVE32: FTW (ST0-2 valid)");
    CHECK_EQ(rd_mem(0x200c, 4), 0x1234, "FNSAVE32: FIP");
    CHECK_EQ(rd_mem(0x2010, 4), 0x08 | (0x1ebu << 16), "FNSAVE32: FCS and FOP (D9 EB)");
    CHECK_EQ(rd_mem(0x2014, 4), 0x1000, "FNSAVE32: FDP");
    CHECK_EQ(rd_mem(0x2018, 2), 0x10, "FNSAVE32: FDS");
    CHECK_EQ(rd_mem(0x201c, 8), 0xc90fdaa22168c235ull, "FNSAVE32: ST(0) at offset 28");
    CHECK_EQ(rd_mem(0x2030, 8), 0x8000000000000000ull, "FNSAVE32: ST(2) at offset 48");
    CHECK_EQ(cpu->s.fpu.tw, 0xffff, "FNSAVE reinitialises: all empty");
    CHECK_EQ(cpu->s.fpu.cw, 0x037f, "FNSAVE reinitialises: FCW");
    M32(0xdd, 4, 0x2000);                       /* FRSTOR */
    CHECK_EQ(x87_top(cpu), 5, "FRSTOR32: TOP");
    CHECK_F80(st(0), 0xc90fdaa22168c235ull, 0x4000, "FRSTOR32: ST(0)");
    CHECK_EQ(cpu->s.fpu.fdp, 0x1000, "FRSTOR32: FDP");
    M32(0xd9, 6, 0x3000);                       /* FNSTENV */
    CHECK_EQ(cpu->s.fpu.cw & 0x3f, 0x3f, "FNSTENV masks all exceptions");
    CHECK_EQ(rd_mem(0x3004, 2), (5u << 11) | FSW_PE, "FNSTENV32: FSW");
    wr_mem(0x3000, 0x0c7f, 2);                  /* chop, no #P mask change */
    wr_mem(0x3004, FSW_ZE | (2u << 11), 2);
    wr_mem(0x3000, 0x0c7b, 2);                  /* ZE unmasked */
    M32(0xd9, 4, 0x3000);                       /* FLDENV */
    CHECK_EQ(cpu->s.fpu.cw, 0x0c7b, "FLDENV32: FCW");
    CHECK_EQ(x87_top(cpu), 2, "FLDENV32: TOP");
    CHECK(cpu->s.fpu.sw & FSW_ES, "FLDENV with an unmasked pending flag sets ES");
    CHECK_EQ(X(0x9b), EXC_MF, "WAIT after it raises #MF (CR0.NE=1)");

    /* 16-bit real-mode FNSAVE: 20-bit linear pointers. */
    reset_real();
    wr_mem(0x1040, 0x3f800000u, 4);
    X(0xd9, 0xe8);
    M16(0xd9, 0, 0x0040);                       /* FLD dword [0x40]: FDP lin 0x1040 */
    X(0xd9, 0xee);                              /* FLDZ at F000:1234 */
    M16(0xdd, 6, 0x0200);                       /* FNSAVE [0x200] -> linear 0x1200 */
    CHECK_EQ(rd_mem(0x1200, 2), 0x037f, "FNSAVE16 real: FCW");
    CHECK_EQ(rd_mem(0x1202, 2), 5u << 11, "FNSAVE16 real: FSW");
    CHECK_EQ(rd_mem(0x1204, 2), 0x07ff, "FNSAVE16 real: FTW (zero, valid, valid)");
    CHECK_EQ(rd_mem(0x1206, 2), 0x1234, "FNSAVE16 real: FIP[15:0] of F1234");
    CHECK_EQ(rd_mem(0x1208, 2), 0xf000 | 0x1ee, "FNSAVE16 real: FIP[19:16] and FOP");
    CHECK_EQ(rd_mem(0x120a, 2), 0x1040, "FNSAVE16 real: FDP[15:0]");
    CHECK_EQ(rd_mem(0x120c, 2), 0x0000, "FNSAVE16 real: FDP[19:16]");
    CHECK_EQ(rd_mem(0x120e + 10, 8), 0x8000000000000000ull, "FNSAVE16 real: ST(1) at 24");
    M16(0xdd, 4, 0x0200);                       /* FRSTOR */
    CHECK_F80(st(1), ONE.mant, ONE.se, "FRSTOR16 real: ST(1)");
    CHECK_EQ(cpu->s.fpu.fip, 0xf1234, "FRSTOR16 real: FIP as linear");
}

static int ferr_level = -1, ferr_calls;
static void on_ferr(void *opaque, int level)
{
    (void)opaque;
    ferr_level = level;
    ferr_calls++;
}

static void test_exceptions(void)
{
    /* #NM */
    reset_prot();
    cpu->s.cr0 |= CR0_TS;
    CHECK_EQ(X(0xd9, 0xe8), EXC_NM, "escape with CR0.TS raises #NM");
    CHECK_EQ(X(0x9b), -1, "WAIT with TS and MP=0 runs");
    cpu->s.cr0 |= CR0_MP;
    CHECK_EQ(X(0x9b), EXC_NM, "WAIT with TS and MP raises #NM");
    cpu->s.cr0 &= ~(CR0_TS | CR0_MP);
    cpu->s.cr0 |= CR0_EM;
    CHECK_EQ(X(0xd9, 0xe8), EXC_NM, "escape with CR0.EM raises #NM");
    CHECK_EQ(X(0x9b), -1, "WAIT ignores CR0.EM");
    CHECK_EQ(X(0xd9, 0xd1), EXC_NM, "undefined escape with EM: #NM first");
    cpu->s.cr0 &= ~CR0_EM;
    CHECK_EQ(X(0xd9, 0xd1), EXC_UD, "D9 D1 is #UD");
    CHECK_EQ(X(0xdf, 0xe1), EXC_UD, "DF E1 is #UD");
    CHECK_EQ(M32(0xdb, 1, 0x1000), EXC_UD, "FISTTP (SSE3) is #UD on a P6");
    CHECK_EQ(X(0xd9, 0xd8), -1, "D9 D8 (FSTP1 alias) executes");

    /* Unmasked #Z: no result, ES, #MF at the next waiting instruction. */
    reset_prot();
    set_cw(FCW_INIT & ~FSW_ZE);
    X(0xd9, 0xee);
    X(0xd9, 0xe8);
    CHECK_EQ(X(0xd8, 0xf1), -1, "unmasked 1/0 itself completes");
    CHECK_F80(st(0), ONE.mant, ONE.se, "unmasked #Z leaves ST0 unchanged");
    CHECK_EQ(cpu->s.fpu.sw & (FSW_ZE | FSW_ES | FSW_B), FSW_ZE | FSW_ES | FSW_B, "#Z, ES and B set");
    CHECK_EQ(cpu->s.fpu.fip, 0x1234, "FIP points at the faulting instruction");
    CHECK_EQ(cpu->s.fpu.fop, 0x0f1, "FOP of FDIV ST0,ST1 is 0F1H");
    CHECK_EQ(X(0xd9, 0xe8), EXC_MF, "next FLD1 raises #MF");
    CHECK_EQ(x87_top(cpu), 6, "#MF is a fault: FLD1 did not push");
    uint16_t ax_before = 0x5555;
    set_reg16(cpu, R_EAX, ax_before);
    CHECK_EQ(X(0xdf, 0xe0), -1, "FNSTSW AX does not wait");
    CHECK_EQ(reg16(cpu, R_EAX), cpu->s.fpu.sw, "FNSTSW AX");
    CHECK_EQ(X(0xdb, 0xe2), -1, "FNCLEX does not wait");
    CHECK_EQ(cpu->s.fpu.sw & (FSW_EXC | FSW_ES | FSW_B), 0, "FNCLEX clears flags, ES and B");
    CHECK_EQ(X(0x9b), -1, "WAIT after FNCLEX runs");

    /* FLDCW unmasking a pending flag. */
    reset_prot();
    X(0xd9, 0xee);
    X(0xd9, 0xe8);
    X(0xd8, 0xf1);                              /* masked 1/0 */
    wr_mem(0x1000, 0x037b, 2);
    CHECK_EQ(M32(0xd9, 5, 0x1000), -1, "FLDCW itself");
    CHECK(cpu->s.fpu.sw & FSW_ES, "FLDCW unmasking a set flag sets ES");

    /* MS-DOS compatibility mode: FERR# and the freeze. */
    reset_prot();
    cpu->s.cr0 &= ~CR0_NE;
    cpu->env.ferr = on_ferr;
    set_cw(FCW_INIT & ~FSW_ZE);
    X(0xd9, 0xee);
    X(0xd9, 0xe8);
    X(0xd8, 0xf1);
    CHECK_EQ(ferr_level, 1, "NE=0: FERR# asserted at the end of the faulting instruction");
    CHECK_EQ(X(0xd9, 0xe8), -1, "NE=0: no #MF");
    CHECK_EQ(cpu->next_rip, 0x1234, "NE=0 without IGNNE#: the waiting instruction freezes");
    CHECK_EQ(x87_top(cpu), 6, "frozen FLD1 did not push");
    cpu->ignne = 1;
    X(0xd9, 0xe8);
    CHECK_EQ(x87_top(cpu), 5, "with IGNNE# the instruction proceeds");
    X(0xdb, 0xe2);
    CHECK_EQ(ferr_level, 0, "FNCLEX deasserts FERR#");

    /* Unmasked overflow: wrapped exponent. */
    reset_prot();
    set_cw(FCW_INIT & ~FSW_OE);
    wr_mem(0x1000, 0x8000000000000000ull, 8);
    wr_mem(0x1008, 0x3fff + 16000, 2);          /* 2^16000 */
    M32(0xdb, 5, 0x1000);
    M32(0xdb, 5, 0x1000);
    X(0xd8, 0xc9);                              /* FMUL ST0, ST1 = 2^32000 */
    CHECK_F80(st(0), 0x8000000000000000ull, 0x3fff + 32000 - 24576,
              "unmasked #O delivers 2^(32000-24576)");
    CHECK_EQ(cpu->s.fpu.sw & FSW_OE, FSW_OE, "unmasked #O flagged");
    /* Masked underflow. */
    reset_prot();
    wr_mem(0x1008, 0x3fff - 16000, 2);          /* 2^-16000 */
    M32(0xdb, 5, 0x1000);
    M32(0xdb, 5, 0x1000);
    X(0xd8, 0xc9);
    CHECK_F80(st(0), 0, 0, "masked #U: 2^-32000 flushes to +0");
    CHECK_EQ(cpu->s.fpu.sw & (FSW_UE | FSW_PE), FSW_UE | FSW_PE, "masked #U with #P");
    /* Transcendentals. */
    reset_prot();
    wr_mem(0x1000, 0x8000000000000000ull, 8);
    wr_mem(0x1008, 0x3fff + 63, 2);             /* 2^63 */
    M32(0xdb, 5, 0x1000);
    X(0xd9, 0xfe);                              /* FSIN */
    CHECK_EQ(cpu->s.fpu.sw & FSW_C2, FSW_C2, "FSIN 2^63: C2 out of range");
    CHECK_F80(st(0), 0x8000000000000000ull, 0x3fff + 63, "FSIN out of range leaves ST0");
    X(0xd9, 0xee);
    X(0xd9, 0xfb);                              /* FSINCOS 0 */
    CHECK_F80(st(0), ONE.mant, ONE.se, "FSINCOS 0: cos in ST0");
    CHECK_F80(st(1), 0, 0, "FSINCOS 0: sin in ST1");
    CHECK_EQ(cpu->s.fpu.sw & FSW_C2, 0, "FSINCOS in range: C2 clear");
    X(0xd9, 0xe8);
    X(0xd9, 0xe8);
    X(0xd9, 0xf3);                              /* FPATAN(1/1) = pi/4 */
    CHECK_F80(st(0), 0xc90fdaa22168c235ull, 0x3ffe, "FPATAN 1,1 = pi/4");
    X(0xd9, 0xe8);
    X(0xd9, 0xf2);                              /* FPTAN 1 */
    CHECK_F80(st(0), ONE.mant, ONE.se, "FPTAN pushes 1.0");
    CHECK_EQ(st(1).se, 0x3fff, "FPTAN 1: tan(1) = 1.557...");
    X(0xdd, 0xc0);                              /* FFREE, FINCSTP x2: make room */
    X(0xd9, 0xf7);
    X(0xdd, 0xc0);
    X(0xd9, 0xf7);
    X(0xd9, 0xe8);
    X(0xd9, 0xe8);
    X(0xd9, 0xe8);
    X(0xde, 0xc1);                              /* ST0 = 2, ST1 = 1 */
    X(0xd9, 0xf1);                              /* FYL2X: ST1 * log2(ST0) */
    CHECK_F80(st(0), ONE.mant, ONE.se, "FYL2X 1*log2(2) = 1");
}

static void test_savestate(void)
{
    reset_prot();
    X(0xd9, 0xe8);
    X(0xd9, 0xeb);
    set_cw(0x0b72);
    cpu->s.fpu.sw |= FSW_PE;
    cpu->s.fpu.fip = 0x12345678;
    cpu->s.fpu.fdp = 0x9abc;
    cpu->s.fpu.fop = 0x1eb;
    struct x87 before = cpu->s.fpu;

    struct savestate ss;
    ss_init_write(&ss);
    cpu_state_save(cpu, &ss);
    CHECK_EQ(ss.err, 0, "cpu_state_save writes the cpu section, x87 included");
    x87_init_state(cpu);
    struct savestate rd;
    ss_init_read(&rd, ss.buf, ss.len);
    CHECK_EQ(cpu_state_load(cpu, &rd), 0, "cpu_state_load reads it back");
    CHECK_EQ(cpu->s.fpu.cw, before.cw, "restored FCW");
    CHECK_EQ(cpu->s.fpu.sw, before.sw, "restored FSW");
    CHECK_EQ(cpu->s.fpu.tw, before.tw, "restored tags");
    CHECK_EQ(cpu->s.fpu.fip, before.fip, "restored FIP");
    CHECK_EQ(cpu->s.fpu.fop, before.fop, "restored FOP");
    CHECK_F80(st(0), 0xc90fdaa22168c235ull, 0x4000, "restored ST(0)");
    CHECK_F80(st(1), ONE.mant, ONE.se, "restored ST(1)");
    ss_free(&ss);

    /* A section from a newer version is refused with a message. */
    ss_init_write(&ss);
    ss_section_begin(&ss, "cpu", 99);
    ss_section_end(&ss);
    ss_init_read(&rd, ss.buf, ss.len);
    CHECK_EQ(cpu_state_load(cpu, &rd), (uint64_t)-1, "cpu_state_load refuses version 99");
    CHECK(ss_error(&rd) && strstr(ss_error(&rd), "cpu"), "the error names the section");
    ss_free(&ss);
}

int main(void)
{
    static struct cpu c;
    cpu = &c;
    if (physmem_init(&mem, 16u << 20) != 0 ||
        physmem_map_ram(&mem, 0, 16u << 20, 0, "ram") != 0) {
        printf("physmem setup failed\n0 passed, 1 failed\n");
        return 1;
    }
    test_conversions();
    test_constants();
    test_arith();
    test_compare();
    test_ldst();
    test_env();
    test_exceptions();
    test_savestate();
    physmem_free(&mem);
    return test_summary();
}
