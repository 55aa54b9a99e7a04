/* Shared harness of the emitter tests (tests/unit/jit/emit*_test.c): emit
 * into a buffer, decode with Capstone (64-bit mode, Intel syntax) and
 * compare the text with what the test expects, and the length with the
 * shortest encoding where the test models it.
 *
 * Capstone runs with CS_OPT_UNSIGNED, so every immediate prints as the
 * operand-size value it encodes ("add eax, 0xffffffff" for an imm8 of -1);
 * without it, Capstone 4 prints some sign-extended immediates signed and
 * others (AND, OR, XOR) unsigned. Displacements still print signed.
 *
 * Cases are counted per group; each group is one CHECK line, and the first
 * mismatches print their bytes. */
#ifndef RAWBOX_TEST_JIT_EMIT_CHECK_H
#define RAWBOX_TEST_JIT_EMIT_CHECK_H

#include <capstone/capstone.h>
#include <stdarg.h>
#include <sys/mman.h>

#include "test.h"
#include "jit/emit.h"

#define CODE_SIZE (1u << 20)

static csh cs_h;
static uint8_t *code;           /* CODE_SIZE bytes, mapped RW */
static struct jit_buf B;

static const char *group_name;
static unsigned group_n, group_bad, total_n, shown;

static const char *const names64[16] = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
static const char *const names32[16] = {
    "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
    "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d" };
static const char *const names16[16] = {
    "ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
    "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w" };
static const char *const names8[16] = {
    "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
    "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b" };
static const char *const names8h[4] = { "ah", "ch", "dh", "bh" };

static inline void harness_init(void)
{
    code = mmap(NULL, CODE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED || cs_open(CS_ARCH_X86, CS_MODE_64, &cs_h) != CS_ERR_OK) {
        printf("FAIL setup: mmap or cs_open\n");
        exit(1);
    }
    cs_option(cs_h, CS_OPT_UNSIGNED, CS_OPT_ON);
}

static inline void group(const char *name)
{
    group_name = name;
    group_n = group_bad = 0;
}

static inline void group_end(void)
{
    CHECK(group_bad == 0 && group_n > 0, "%s: %u of %u encodings as expected", group_name,
          group_n - group_bad, group_n);
    total_n += group_n;
}

/* Start a case: an empty buffer at the start of `code`. */
static inline void start(void)
{
    emit_init(&B, code, CODE_SIZE);
}

static inline void show_bytes(void)
{
    for (const uint8_t *p = B.start; p < B.p && p < B.start + 24; p++)
        printf(" %02x", *p);
}

static inline void mismatch(const char *got, const char *want)
{
    group_bad++;
    if (shown++ < 40) {
        printf("  %s: got \"%s\", want \"%s\"; bytes", group_name, got, want);
        show_bytes();
        printf("%s\n", B.error ? " (error)" : B.overflow ? " (overflow)" : "");
    }
}

/* Capstone 4 prints a negative [disp32] masked to the size of the first
 * operand when that is a byte, word or dword register ("mov al, byte ptr
 * [0xf0]", "mov eax, dword ptr [0xfffffff0]") and as the 64-bit address
 * the CPU uses otherwise ("mov rax, qword ptr [0xfffffffffffffff0]",
 * "mov dword ptr [0xfffffffffffffff0], eax"). The SDM sign-extends the
 * displacement; the masking is Capstone's printer applying the operand
 * size to an address. Replace M()'s mark in want accordingly. */
static inline void abs_fixup(char *want, size_t size)
{
    char *mark = strchr(want, '\001');
    if (!mark)
        return;
    uint64_t v = strtoull(mark + 1, NULL, 16);
    /* The first operand: after the mnemonic (and a lock prefix), up to ','. */
    const char *op = strchr(want, ' ');
    if (op && !strncmp(want, "lock ", 5))
        op = strchr(op + 1, ' ');
    unsigned osize = 64;
    if (op) {
        size_t len = strcspn(op + 1, ",");
        for (int r = 0; r < 16; r++) {
            if (strlen(names32[r]) == len && !strncmp(op + 1, names32[r], len))
                osize = 32;
            if (strlen(names16[r]) == len && !strncmp(op + 1, names16[r], len))
                osize = 16;
            if (strlen(names8[r]) == len && !strncmp(op + 1, names8[r], len))
                osize = 8;
            if (r < 4 && strlen(names8h[r]) == len && !strncmp(op + 1, names8h[r], len))
                osize = 8;
        }
    }
    char tail[256], val[40];
    snprintf(tail, sizeof(tail), "%s", mark + 17);
    snprintf(val, sizeof(val), "0x%" PRIx64, (uint64_t)(osize < 64 ? v & ((1ull << osize) - 1) : v));
    snprintf(mark, size - (size_t)(mark - want), "%s%s", val, tail);
}

/* What was emitted must decode, all of it, as `want` (instructions joined
 * by "; "), in exactly len bytes unless len is 0. */
__attribute__((format(printf, 2, 3)))
static inline void expect(size_t len, const char *fmt, ...)
{
    char want[256], got[512] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(want, sizeof(want), fmt, ap);
    va_end(ap);
    abs_fixup(want, sizeof(want));
    group_n++;

    size_t n = (size_t)(B.p - B.start), used = 0;
    if (emit_failed(&B) || n == 0) {
        mismatch("(nothing emitted)", want);
        return;
    }
    cs_insn *ins;
    /* Decoded where it will run (B's exec address), as the CPU sees it. */
    size_t cnt = cs_disasm(cs_h, B.start, n, (uint64_t)(uintptr_t)emit_exec_addr(&B, 0), 0, &ins);
    size_t at = 0;
    for (size_t k = 0; k < cnt; k++) {
        at += (size_t)snprintf(got + at, sizeof(got) - at, "%s%s%s%s", k ? "; " : "",
                               ins[k].mnemonic, ins[k].op_str[0] ? " " : "", ins[k].op_str);
        used += ins[k].size;
        if (at >= sizeof(got))
            break;
    }
    if (cnt)
        cs_free(ins, cnt);
    if (used != n)
        snprintf(got + strlen(got), sizeof(got) - strlen(got), " (decoded %zu of %zu bytes)", used, n);
    else if (len && n != len)
        snprintf(got + strlen(got), sizeof(got) - strlen(got), " (%zu bytes, want %zu)", n, len);
    if (strcmp(got, want) != 0)
        mismatch(got, want);
}

/* The last emit must have been refused: error set, nothing written. */
static inline void expect_error(const char *what)
{
    group_n++;
    if (!B.error || B.overflow || B.p != B.start)
        mismatch(B.p != B.start ? "(emitted)" : "(no error flag)", what);
}

/* ---- operand text as Capstone prints it ---- */


static inline const char *R(unsigned size, int r)
{
    if (size == 8 && r >= JIT_AH && r <= JIT_BH)
        return names8h[r - JIT_AH];
    if (r < 0 || r > 15)
        return "?";
    return size == 64 ? names64[r] : size == 32 ? names32[r] : size == 16 ? names16[r] : names8[r];
}

static inline const char *X(int x)
{
    static const char *const n[16] = {
        "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
        "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15" };
    return x >= 0 && x < 16 ? n[x] : "?";
}

/* Rotating scratch strings, so one expect() can use several. */
static inline char *scratch(void)
{
    static char s[16][160];
    static unsigned i;
    return s[i++ % 16];
}

static inline void num(char *out, size_t n, uint64_t v)
{
    snprintf(out, n, v > 9 ? "0x%" PRIx64 : "%" PRIu64, v);
}

static inline uint64_t mask_of(unsigned size)
{
    return size >= 64 ? ~0ull : (1ull << size) - 1;
}

/* An immediate of an operand of `size` bits, as Capstone prints it. */
static inline const char *I(unsigned size, int64_t v)
{
    char *s = scratch();
    num(s, 160, (uint64_t)v & mask_of(size));
    return s;
}

static inline const char *ptr_name(unsigned size)
{
    switch (size) {
    case 8: return "byte ptr ";
    case 16: return "word ptr ";
    case 32: return "dword ptr ";
    case 64: return "qword ptr ";
    case 128: return "xmmword ptr ";
    case 1: return "ptr ";      /* Capstone 4's FXSAVE64/FXRSTOR64 */
    default: return "";
    }
}

/* A memory operand of `size` bits (0: no size, as for LEA), decoded from
 * the instruction just emitted: RIP-relative ones count from the run-time
 * address of B.p. */
static inline const char *M(unsigned size, struct jit_mem m)
{
    char *s = scratch(), d[40];
    int64_t disp = m.disp;
    size_t n = (size_t)snprintf(s, 160, "%s[", ptr_name(size));
    if (m.base == JIT_RIP) {
        disp = (int64_t)((uintptr_t)m.disp - (uintptr_t)emit_here(&B));
        n += (size_t)snprintf(s + n, 160 - n, "rip");
    } else if (m.base != JIT_NOREG) {
        n += (size_t)snprintf(s + n, 160 - n, "%s", names64[m.base]);
        if (m.index != JIT_NOREG)
            n += (size_t)snprintf(s + n, 160 - n, " + ");
    } else if (m.index == JIT_NOREG) {
        /* [disp32], sign-extended to 64 bits (SDM 2.2.1.3); a negative one
         * leaves a mark for abs_fixup() to print the Capstone way. */
        if (disp < 0)
            snprintf(s + n, 160 - n, "\001%016" PRIx64 "]", (uint64_t)disp);
        else
            snprintf(s + n, 160 - n, "%s]", (num(d, sizeof(d), (uint64_t)disp), d));
        return s;
    }
    if (m.index != JIT_NOREG) {
        n += (size_t)snprintf(s + n, 160 - n, "%s", names64[m.index]);
        if (m.scale != 1)
            n += (size_t)snprintf(s + n, 160 - n, "*%u", m.scale);
    }
    if (disp) {
        num(d, sizeof(d), disp < 0 ? -(uint64_t)disp : (uint64_t)disp);
        n += (size_t)snprintf(s + n, 160 - n, " %c %s", disp < 0 ? '-' : '+', d);
    }
    snprintf(s + n, 160 - n, "]");
    return s;
}

/* ---- the shortest encoding, modelled apart from the emitter ---- */

static inline bool fits_s8(int64_t v)
{
    return v >= -128 && v <= 127;
}

/* ModRM + SIB + displacement bytes of m; *rex when it needs REX.X/B. */
static inline size_t mem_len(struct jit_mem m, bool *rex)
{
    *rex = false;
    if (m.base == JIT_RIP)
        return 5;
    if (m.base == JIT_NOREG && m.index != JIT_NOREG && m.scale == 1) {
        m.base = m.index;
        m.index = JIT_NOREG;
    }
    *rex = (m.base != JIT_NOREG && m.base >= 8) || (m.index != JIT_NOREG && m.index >= 8);
    if (m.base == JIT_NOREG)
        return 6;
    size_t sib = m.index != JIT_NOREG || (m.base & 7) == 4;
    size_t disp = m.disp == 0 && (m.base & 7) != 5 ? 0 : fits_s8(m.disp) ? 1 : 4;
    return 1 + sib + disp;
}

/* A register that needs REX: R8-R15, or SPL..DIL as a byte register. */
static inline bool rex_reg(bool byte, int r)
{
    return (r >= 8 && r < 16) || (byte && r >= 4 && r <= 7);
}

/* [66] [REX] opcode ModRM imm, register form (reg = 0 for a /digit). */
static inline size_t len_r(unsigned size, size_t oplen, int reg, int rm, size_t immlen)
{
    bool rex = size == 64 || rex_reg(size == 8, reg) || rex_reg(size == 8, rm);
    return (size == 16) + rex + oplen + 1 + immlen;
}

static inline size_t len_m(unsigned size, size_t oplen, int reg, struct jit_mem m, size_t immlen)
{
    bool mrex;
    size_t ml = mem_len(m, &mrex);
    bool rex = size == 64 || rex_reg(size == 8, reg) || mrex;
    return (size == 16) + rex + oplen + ml + immlen;
}

/* ---- operand sets ---- */

static const unsigned sizes[4] = { 8, 16, 32, 64 };

/* Memory operands: every base with displacements around the disp8/disp32
 * edges, every index with the bases that need SIB or disp8 0 (RSP, R12,
 * RBP, R13) and no base, absolute addresses and RIP-relative targets. */
static struct jit_mem mems[640];
static unsigned nmems;

static inline void mems_init(void)
{
    static const int32_t disps[] = { 0, 1, -1, 9, 10, 127, -128, 128, -129, 0x12345, -0x12345,
                                     INT32_MAX, INT32_MIN };
    static const int bases[] = { JIT_NOREG, JIT_RAX, JIT_RSP, JIT_RBP, JIT_R12, JIT_R13, JIT_R15 };
    static const int32_t idisps[] = { 0, 0x40, -0x1000 };
    nmems = 0;
    for (int base = 0; base < 16; base++)
        for (unsigned d = 0; d < sizeof(disps) / sizeof(disps[0]); d++)
            mems[nmems++] = jit_mem(base, disps[d]);
    for (int index = 0; index < 16; index++) {
        if (index == JIT_RSP)
            continue;
        for (unsigned k = 0; k < sizeof(bases) / sizeof(bases[0]); k++)
            for (unsigned d = 0; d < 3; d++)
                mems[nmems++] = jit_mem_idx(bases[k], index, 1u << ((index + k + d) % 4), idisps[d]);
    }
    /* A scale without an index is ignored (SIB.ss written as 0). */
    mems[nmems++] = (struct jit_mem){ JIT_RSP, JIT_NOREG, 8, 0x10 };
    mems[nmems++] = (struct jit_mem){ JIT_NOREG, JIT_NOREG, 4, 0x2000 };
    static const int32_t abs[] = { 0, 5, 0x1000, -16, INT32_MAX, INT32_MIN };
    for (unsigned k = 0; k < sizeof(abs) / sizeof(abs[0]); k++)
        mems[nmems++] = jit_mem_abs(abs[k]);
    /* RIP-relative: behind, at, just past and far beyond the instruction. */
    static const int64_t rip[] = { -0x10000000, -1, 0, 3, 9, 0x40, 0x12345678 };
    for (unsigned k = 0; k < sizeof(rip) / sizeof(rip[0]); k++)
        mems[nmems++] = jit_mem_rip((const void *)((uintptr_t)code + (uintptr_t)rip[k]));
}

/* Immediates around every size's edges. */
static const int64_t imms[] = {
    0, 1, 2, 9, 10, -1, 0x7f, 0x80, -0x80, -0x81, 0xff, 0x100, 0x7fff, 0x8000, -0x8000,
    -0x8001, 0xffff, 0x10000, 0x7fffffff, -0x7fffffff - 1, 0x80000000, 0xffffffff,
    0x100000000, -0x80000001ll, 0x123456789abcdef0ll, INT64_MAX, INT64_MIN,
};
#define NIMMS (sizeof(imms) / sizeof(imms[0]))

/* Whether the emitter takes imm at `size` (64: a sign-extended imm32). */
static inline bool imm_fits(unsigned size, int64_t v)
{
    if (size == 64)
        return v >= INT32_MIN && v <= INT32_MAX;
    return v >= -(1ll << (size - 1)) && v < (1ll << size);
}

/* imm sign-extended from `size` bits. */
static inline int64_t sext(unsigned size, int64_t v)
{
    if (size >= 64)
        return v;
    uint64_t m = 1ull << (size - 1);
    return (int64_t)((((uint64_t)v & ((m << 1) - 1)) ^ m) - m);
}

static const char *const cc_names[16] = {
    "o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g" };

#endif
