/* SingleStepTests runner: rawbox's interpreter against the hardware-captured
 * single-instruction suites of github.com/SingleStepTests (80286 real mode,
 * captured from a Harris 80C286). Not part of `make check`: the data is not
 * in the tree. scripts/conformance.sh runs it when SST_DIR is set.
 *
 * Build (after `make`; scripts/conformance.sh does this):
 *
 *   cc -std=gnu11 -D_GNU_SOURCE -O2 -Isrc -Wall -Wextra -Werror \
 *      -Wno-unused-parameter -o build/release/sst_run \
 *      tests/conformance/sst_run.c \
 *      -Wl,--whole-archive build/release/librawbox.a -Wl,--no-whole-archive -lm -lz
 *
 * Run: build/release/sst_run [-v N] [-r revocation_list.txt] FILE.MOO[.gz]...
 *   -v N   print the details of the first N real failures of each file
 *   -V N   also print the first N model/undefined-flag differences
 * Environment: SST_TRACE prints each test's index and name to stderr before
 * it runs; SST_NO_SENTINEL leaves unlisted memory (IVT included) zero
 * instead of the sentinel handlers below (with it, F6.6 "lock div bh" made
 * cpu_run() loop forever before commit 73982a0: the #UD handler's code
 * faulted again and again without retiring an instruction). In that mode
 * a few LOCK DIV tests (#UD on the P6, #DE on the 286) show up as failures:
 * the #UD handler runs into zeroed memory and a later fault hides the #UD
 * from the classification; with sentinels all 325 files pass.
 *
 * MOO format (facts from the suite's README and tools/moo2json.py): "MOO "
 * chunk header (u32 length: version byte, u32 test count at +4, CPU name at
 * +8), then chunks of 4-byte tag + u32 length. A TEST chunk holds u32 index
 * and sub-chunks NAME (u32 len + text), BYTS (u32 n + bytes), INIT/FINA
 * (sub-chunks REGS: u16 bit mask then u16 values in the order ax bx cx dx cs
 * ss ds es sp bp si di ip flags; RAM: u32 n then n x (u32 address, u8)),
 * CYCL (ignored), HASH (SHA-1, matched against revocation_list.txt), EXCP
 * (u8 vector, u32 address of the pushed flags word). FINA lists only the
 * registers and bytes that changed.
 *
 * Machine: 16 MiB RAM at 0, A20 enabled (the 286 has 24 address lines and
 * no A20 gate: FFFF:FFFF reaches 0x10FFEF), real mode, IVT at 0. Each test
 * loads the registers and RAM bytes, runs until the HLT the test places
 * after the instruction (or at the handler of an exception), and compares
 * every register and every listed RAM byte (initial bytes not in FINA must
 * be unchanged).
 *
 * Flags: bits 12..15 of the initial flags are cleared (the README: they are
 * LOADALL input and cannot be set in real mode). Undefined flags are masked
 * per opcode (and ModRM.reg for groups) with the suite's metadata.json
 * "flags-mask" values (copied into und_suite[] below), plus the flags the
 * Intel SDM vol. 2 calls undefined where the metadata lists fewer (shift and
 * rotate groups by count, und_sdm[]); the same mask is applied to the flags
 * word an exception pushed (EXCP address). A test that differs only in
 * masked flags is counted "undef", never as a failure.
 *
 * Known model differences between the 80286 and the P6 rawbox models,
 * counted as "model", never as failures (each is checked narrowly):
 *   M_IOPL  POPF/IRET in real mode: the 286 keeps flags bits 12..15 zero,
 *           the P6 loads IOPL and NT (SDM vol. 3A 2.3, "EFLAGS"; vol. 2
 *           POPF: real mode loads IOPL).
 *   M_LEN   instructions longer than 10 bytes (prefixes): an exception on
 *           the 286 (the README says #UD; the data shows interrupt 13), the
 *           P6's limit is 15 bytes (SDM vol. 2 2.3.11).
 *   M_LOCK  LOCK before an instruction that cannot be locked: the 286
 *           ignores it, the P6 raises #UD (SDM vol. 2 LOCK).
 *   M_ESC   D8..DF escape opcodes: the test machine had no 80287, rawbox
 *           has an integrated x87 (CR0.EM=0).
 *   (D6, listed "undocumented" in the metadata, agrees with the P6's SALC:
 *   no special case; M_SALC is kept in the table but never assigned.)
 *   M_SEGOVR a word access at SS:FFFF (BP/SP based): the 286 raises
 *           interrupt 13 (segment overrun) whatever the segment, the P6 #SS
 *           (SDM vol. 2, "Real-Address Mode Exceptions": #SS for an operand
 *           outside the SS limit).
 *   M_STRFAULT MOVS/CMPS/STOS/LODS/SCAS/INS/OUTS word at offset 0xFFFF:
 *           both raise interrupt 13, but the 286 has already stepped SI/DI
 *           (and CX under REP); the P6 leaves the registers as before the
 *           instruction (faults are restartable, SDM vol. 3A 6.5).
 *   M_POPFAULT POP m16 whose store faults: the 286 keeps SP incremented,
 *           the P6 restores it (SDM vol. 3A 6.5; vol. 2 POP).
 *   M_FSGS  8C/8E with sreg 4/5 (FS/GS): #UD on the 286, valid on a 386+.
 *   M_DEFLAGS AAM 0: both raise #DE, the 286 has changed SF/ZF/PF first.
 *   M_IDIV  IDIV whose quotient overflows: the SDM has #DE (rawbox), the
 *           286 sometimes stores quotient 80h (8000h) and a remainder
 *           instead (checked: no in-range divisor gives that result).
 *   M_SUSPECT tests whose interrupt frame holds SS where CS belongs (see
 *           suspect_hash[]): taken as capture errors, listed by hash.
 * Same on both (not special-cased): PUSH SP pushes the old SP (286+); shift
 * counts masked to 5 bits (286+); word accesses at offset 0xFFFF fault
 * (#GP, #SS for SS; 286+ real mode); #DE pushes the faulting IP (286+);
 * 0F xx and 64..67 are not in the 286 real-mode data.
 *
 * Output: one line per file, "PASS|FAIL FILE: counts", then "info" totals,
 * then exactly "N passed, N failed" (files). Exit 1 if any file failed.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "cpu/cpu.h"
#include "cpu/flags.h"
#include "cpu/seg.h"
#include "mem/iobus.h"
#include "mem/physmem.h"

#define RAM_SIZE (16u << 20)

enum { RG_AX, RG_BX, RG_CX, RG_DX, RG_CS, RG_SS, RG_DS, RG_ES, RG_SP, RG_BP,
       RG_SI, RG_DI, RG_IP, RG_FLAGS, RG_N };
static const char *const rg_name[RG_N] = {
    "ax", "bx", "cx", "dx", "cs", "ss", "ds", "es", "sp", "bp", "si", "di", "ip", "flags",
};
/* rawbox general register of each MOO register (or -1). */
static const int rg_gpr[RG_N] = {
    R_EAX, R_EBX, R_ECX, R_EDX, -1, -1, -1, -1, R_ESP, R_EBP, R_ESI, R_EDI, -1, -1,
};

struct ramb { uint32_t addr; uint8_t v; };

struct state {
    uint16_t mask;
    uint16_t r[RG_N];
    uint32_t nram;
    struct ramb *ram;
};

struct test {
    uint32_t idx;
    char name[128];
    uint8_t bytes[32];
    unsigned nbytes;
    struct state in, out;
    int exc;            /* -1: none */
    uint32_t exc_flags;
    uint8_t hash[20];
    bool has_hash;
};

/* ---- undefined flags ---- */

#define F_C 0x001u
#define F_P 0x004u
#define F_A 0x010u
#define F_Z 0x040u
#define F_S 0x080u
#define F_O 0x800u

struct und { uint8_t op; int8_t reg; uint16_t flags; };

/* From the suite's v1_real_mode/metadata.json ("flags": undefined flags;
 * flags-mask is the complement). reg -1: every ModRM.reg. */
static const struct und und_suite[] = {
    { 0x08, -1, F_A }, { 0x09, -1, F_A }, { 0x0a, -1, F_A }, { 0x0b, -1, F_A },
    { 0x0c, -1, F_A }, { 0x0d, -1, F_A },
    { 0x20, -1, F_A }, { 0x21, -1, F_A }, { 0x22, -1, F_A }, { 0x23, -1, F_A },
    { 0x24, -1, F_A }, { 0x25, -1, F_A },
    { 0x27, -1, F_O }, { 0x2f, -1, F_O },
    { 0x30, -1, F_A }, { 0x31, -1, F_A }, { 0x32, -1, F_A }, { 0x33, -1, F_A },
    { 0x34, -1, F_A }, { 0x35, -1, F_A },
    { 0x37, -1, F_O | F_S | F_Z | F_P }, { 0x3f, -1, F_O | F_S | F_Z | F_P },
    { 0x69, -1, F_S | F_Z | F_A | F_P }, { 0x6b, -1, F_S | F_Z | F_A | F_P },
    { 0x80, 1, F_A }, { 0x80, 4, F_A }, { 0x80, 6, F_A },
    { 0x81, 1, F_A }, { 0x81, 4, F_A }, { 0x81, 6, F_A },
    { 0x82, 1, F_A }, { 0x82, 4, F_A }, { 0x82, 6, F_A },
    { 0x83, 1, F_A }, { 0x83, 4, F_A }, { 0x83, 6, F_A },
    { 0x84, -1, F_A }, { 0x85, -1, F_A }, { 0xa8, -1, F_A }, { 0xa9, -1, F_A },
    { 0xc0, 4, F_A }, { 0xc0, 5, F_A }, { 0xc0, 6, F_A }, { 0xc0, 7, F_A },
    { 0xc1, 0, F_O }, { 0xc1, 1, F_O }, { 0xc1, 2, F_O }, { 0xc1, 3, F_O },
    { 0xc1, 4, F_O | F_A }, { 0xc1, 5, F_O | F_A }, { 0xc1, 6, F_O | F_A },
    { 0xc1, 7, F_O | F_A },
    { 0xd0, 4, F_A }, { 0xd0, 5, F_A }, { 0xd0, 6, F_A }, { 0xd0, 7, F_A },
    { 0xd1, 4, F_A }, { 0xd1, 5, F_A }, { 0xd1, 6, F_A }, { 0xd1, 7, F_A },
    { 0xd2, 0, F_O }, { 0xd2, 1, F_O }, { 0xd2, 2, F_O }, { 0xd2, 3, F_O },
    { 0xd2, 4, F_O | F_A | F_C }, { 0xd2, 5, F_O | F_A | F_C },
    { 0xd2, 6, F_O | F_A | F_C }, { 0xd2, 7, F_O | F_A | F_C },
    { 0xd3, 0, F_O }, { 0xd3, 1, F_O }, { 0xd3, 2, F_O }, { 0xd3, 3, F_O },
    { 0xd3, 4, F_O | F_A | F_C }, { 0xd3, 5, F_O | F_A | F_C },
    { 0xd3, 6, F_O | F_A | F_C }, { 0xd3, 7, F_O | F_A | F_C },
    { 0xd4, -1, F_O | F_A | F_C }, { 0xd5, -1, F_O | F_A | F_C },
    { 0xf6, 0, F_A }, { 0xf6, 1, F_A },
    { 0xf6, 4, F_S | F_Z | F_A | F_P }, { 0xf6, 5, F_S | F_Z | F_A | F_P },
    { 0xf6, 6, F_O | F_S | F_Z | F_A | F_P | F_C },
    { 0xf6, 7, F_O | F_S | F_Z | F_A | F_P | F_C },
    { 0xf7, 0, F_A }, { 0xf7, 1, F_A },
    { 0xf7, 4, F_S | F_Z | F_A | F_P }, { 0xf7, 5, F_S | F_Z | F_A | F_P },
    { 0xf7, 6, F_O | F_S | F_Z | F_A | F_P | F_C },
    { 0xf7, 7, F_O | F_S | F_Z | F_A | F_P | F_C },
};

/* Where the SDM (vol. 2, RCL/RCR/ROL/ROR and SAL/SAR/SHL/SHR) calls more
 * flags undefined than the metadata lists: OF for rotates and shifts by a
 * count other than 1, CF for shifts by a count of at least the operand
 * width (the immediate count is masked to 5 bits, not to the width). */
static const struct und und_sdm[] = {
    { 0xc0, 0, F_O }, { 0xc0, 1, F_O }, { 0xc0, 2, F_O }, { 0xc0, 3, F_O },
    { 0xc0, 4, F_O | F_C }, { 0xc0, 5, F_O | F_C }, { 0xc0, 6, F_O | F_C },
    { 0xc0, 7, F_O | F_C },
    { 0xc1, 4, F_C }, { 0xc1, 5, F_C }, { 0xc1, 6, F_C }, { 0xc1, 7, F_C },
};

static uint16_t und_flags(int op, int reg)
{
    uint16_t f = 0;
    for (size_t k = 0; k < sizeof und_suite / sizeof und_suite[0]; k++)
        if (und_suite[k].op == op && (und_suite[k].reg < 0 || reg < 0 || und_suite[k].reg == reg))
            f |= und_suite[k].flags;
    for (size_t k = 0; k < sizeof und_sdm / sizeof und_sdm[0]; k++)
        if (und_sdm[k].op == op && (und_sdm[k].reg < 0 || reg < 0 || und_sdm[k].reg == reg))
            f |= und_sdm[k].flags;
    return f;
}

/* ---- revocation list ---- */

static uint8_t (*revoked)[20];
static size_t nrevoked;

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void load_revocations(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[256];
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        uint8_t h[20];
        size_t k;
        for (k = 0; k < 20; k++) {
            int a = hexval(line[2 * k]), b = a < 0 ? -1 : hexval(line[2 * k + 1]);
            if (a < 0 || b < 0)
                break;
            h[k] = (uint8_t)(a << 4 | b);
        }
        if (k < 20)
            continue;
        revoked = realloc(revoked, (nrevoked + 1) * sizeof *revoked);
        if (!revoked) {
            perror("realloc");
            exit(2);
        }
        memcpy(revoked[nrevoked++], h, 20);
    }
    fclose(f);
}

static bool is_revoked(const struct test *t)
{
    for (size_t k = 0; t->has_hash && k < nrevoked; k++)
        if (!memcmp(revoked[k], t->hash, 20))
            return true;
    return false;
}

/* ---- MOO parsing ---- */

static uint8_t *load_file(const char *path, size_t *len)
{
    gzFile g = gzopen(path, "rb");   /* also reads uncompressed files */
    size_t cap = 1 << 20, n = 0;
    uint8_t *buf = malloc(cap);
    if (!g || !buf) {
        free(buf);
        if (g)
            gzclose(g);
        return NULL;
    }
    for (;;) {
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                gzclose(g);
                return NULL;
            }
            buf = nb;
        }
        int r = gzread(g, buf + n, (unsigned)(cap - n > (1u << 30) ? (1u << 30) : cap - n));
        if (r < 0) {
            free(buf);
            gzclose(g);
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    gzclose(g);
    *len = n;
    return buf;
}

static uint32_t rd32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* Parse a CPU state chunk [p, end). Returns false on malformed input. */
static bool parse_state(const uint8_t *p, const uint8_t *end, struct state *s)
{
    memset(s, 0, sizeof *s);
    while (end - p >= 8) {
        uint32_t len = rd32(p + 4);
        const uint8_t *q = p + 8;
        if ((size_t)(end - q) < len)
            return false;
        if (!memcmp(p, "REGS", 4)) {
            if (len < 2)
                return false;
            s->mask = rd16(q);
            const uint8_t *v = q + 2;
            for (int r = 0; r < RG_N; r++)
                if (s->mask & (1u << r)) {
                    if (v + 2 > q + len)
                        return false;
                    s->r[r] = rd16(v);
                    v += 2;
                }
        } else if (!memcmp(p, "RAM ", 4)) {
            if (len < 4)
                return false;
            uint32_t n = rd32(q);
            if ((uint64_t)n * 5 + 4 > len)
                return false;
            s->ram = malloc((n ? n : 1) * sizeof *s->ram);
            if (!s->ram)
                return false;
            s->nram = n;
            for (uint32_t k = 0; k < n; k++) {
                s->ram[k].addr = rd32(q + 4 + 5 * k);
                s->ram[k].v = q[4 + 5 * k + 4];
            }
        }
        p = q + len;
    }
    return true;
}

static bool parse_test(const uint8_t *p, uint32_t len, struct test *t)
{
    const uint8_t *end = p + len;
    memset(t, 0, sizeof *t);
    t->exc = -1;
    if (len < 4)
        return false;
    t->idx = rd32(p);
    p += 4;
    while (end - p >= 8) {
        uint32_t sl = rd32(p + 4);
        const uint8_t *q = p + 8;
        if ((size_t)(end - q) < sl)
            return false;
        if (!memcmp(p, "NAME", 4) && sl >= 4) {
            uint32_t n = rd32(q);
            if (n > sl - 4)
                n = sl - 4;
            if (n >= sizeof t->name)
                n = sizeof t->name - 1;
            memcpy(t->name, q + 4, n);
        } else if (!memcmp(p, "BYTS", 4) && sl >= 4) {
            uint32_t n = rd32(q);
            if (n > sl - 4 || n > sizeof t->bytes)
                return false;
            memcpy(t->bytes, q + 4, n);
            t->nbytes = n;
        } else if (!memcmp(p, "INIT", 4)) {
            if (!parse_state(q, q + sl, &t->in))
                return false;
        } else if (!memcmp(p, "FINA", 4)) {
            if (!parse_state(q, q + sl, &t->out))
                return false;
        } else if (!memcmp(p, "HASH", 4) && sl >= 20) {
            memcpy(t->hash, q, 20);
            t->has_hash = true;
        } else if (!memcmp(p, "EXCP", 4) && sl >= 5) {
            t->exc = q[0];
            t->exc_flags = rd32(q + 1);
        }
        p = q + sl;
    }
    return true;
}

static void free_test(struct test *t)
{
    free(t->in.ram);
    free(t->out.ram);
}

/* ---- the machine ---- */

static struct physmem mem;
static struct iobus io;
static struct cpu cpu;

static void reset_memory(void);

static int machine_init(void)
{
    if (physmem_init(&mem, RAM_SIZE) != 0 || physmem_map_ram(&mem, 0, RAM_SIZE, 0, "ram") != 0 ||
        iobus_init(&io) != 0)
        return -1;
    cpu_init(&cpu, &mem, &io);
    cpu_reset(&cpu);
    physmem_set_a20(&mem, true);
    reset_memory();
    return 0;
}

static uint8_t rd8(uint32_t a) { return (uint8_t)physmem_read(&mem, a, 1); }

/* Sentinels: every IVT entry the test does not list points at its own HLT
 * at FFFF:FE10+vector (physical 0x10FE00 + vector), so an exception the 286
 * did not raise stops rawbox at once and names its vector (when the first
 * one-instruction step did not already show it). */
#define SENT_SEG 0xffffu
#define SENT_OFF 0xfe10u
#define SENT_PHYS (((uint32_t)SENT_SEG << 4) + SENT_OFF)

static bool no_sentinel;    /* SST_NO_SENTINEL set: plain zeroed memory */

static uint8_t baseline(uint32_t a)
{
    if (no_sentinel)
        return 0;
    if (a < 0x400) {
        unsigned v = a >> 2, k = a & 3;
        uint16_t w = k < 2 ? (uint16_t)(SENT_OFF + v) : (uint16_t)SENT_SEG;
        return (uint8_t)(k & 1 ? w >> 8 : w);
    }
    if (a >= SENT_PHYS && a < SENT_PHYS + 256)
        return 0xf4;
    return 0;
}

static void reset_memory(void)
{
    memset(mem.ram, 0, RAM_SIZE);
    if (no_sentinel)
        return;
    for (uint32_t a = 0; a < 0x400; a++)
        mem.ram[a] = baseline(a);
    memset(mem.ram + SENT_PHYS, 0xf4, 256);
}

/* ---- running and comparing ---- */

enum verdict { V_PASS, V_UNDEF, V_MODEL, V_FAIL, V_BAD };
enum model { M_NONE, M_IOPL, M_LEN, M_LOCK, M_ESC, M_SALC, M_SEGOVR, M_STRFAULT, M_POPFAULT,
              M_FSGS, M_DEFLAGS, M_SUSPECT, M_IDIV, M_N };
static const char *const model_name[M_N] = {
    "", "POPF/IRET flags 12-15", "instruction over 10 bytes", "LOCK on an unlockable instruction",
    "ESC without an 80287", "D6 (SALC on the P6)", "segment overrun: INT 13 on the 286, #SS on the P6",
    "string fault: the 286 steps SI/DI/CX", "POP m16 fault: the 286 keeps the popped SP",
    "MOV with FS/GS (#UD on the 286)", "AAM 0: the 286 changes flags before #DE",
    "suspect test data (pushed CS reads as SS)",
    "IDIV overflow: the 286 returns quotient 80h/8000h",
};

/* Tests whose recorded frame is not what any x86 pushes: the CS word an
 * interrupt pushed holds SS. Left out as suspect capture errors (candidates
 * for the suite's revocation_list.txt), by SHA-1. */
static const char *const suspect_hash[] = {
    "ba5bb16b5a4306333a359c3abd2169b871ffa42c",     /* CD #2044 int 3Bh */
    "7df1d2a948c416f5a4416e2f747d2d357d497570",     /* CE #1193 into */
};

static bool is_suspect(const struct test *t)
{
    char hex[41];
    for (unsigned k = 0; k < 20; k++)
        snprintf(hex + 2 * k, 3, "%02x", t->hash[k]);
    for (size_t k = 0; t->has_hash && k < sizeof suspect_hash / sizeof suspect_hash[0]; k++)
        if (!strcmp(hex, suspect_hash[k]))
            return true;
    return false;
}

/* Number of prefix bytes and the ModRM.reg field after the opcode. */
static unsigned prefix_count(const struct test *t)
{
    unsigned k = 0;
    while (k < t->nbytes && (t->bytes[k] == 0x26 || t->bytes[k] == 0x2e || t->bytes[k] == 0x36 ||
                             t->bytes[k] == 0x3e || t->bytes[k] == 0xf0 || t->bytes[k] == 0xf2 ||
                             t->bytes[k] == 0xf3))
        k++;
    return k;
}

static int modrm_reg(const struct test *t)
{
    unsigned k = prefix_count(t) + 1;
    return k < t->nbytes ? (t->bytes[k] >> 3) & 7 : -1;
}

/* Can the instruction touch SS (stack operation, or its data segment is
 * SS: BP-based ModRM without an override, or an SS: override)? Only then is
 * #SS the P6's answer to a segment overrun. */
static bool ss_access(const struct test *t, int op)
{
    int ovr = -1;
    unsigned n = prefix_count(t);
    for (unsigned k = 0; k < n; k++)
        if (t->bytes[k] != 0xf0 && t->bytes[k] != 0xf2 && t->bytes[k] != 0xf3)
            ovr = t->bytes[k];
    int reg = modrm_reg(t);
    bool stack = (op >= 0x50 && op <= 0x61) || op == 0x06 || op == 0x07 || op == 0x0e ||
                 op == 0x16 || op == 0x17 || op == 0x1e || op == 0x1f || op == 0x68 ||
                 op == 0x6a || op == 0x8f || op == 0x9a || op == 0x9c || op == 0x9d ||
                 op == 0xc2 || op == 0xc3 || op == 0xc8 || op == 0xc9 ||
                 (op >= 0xca && op <= 0xcf) || op == 0xe8 ||
                 (op == 0xff && (reg == 2 || reg == 3 || reg == 6));
    if (stack || ovr == 0x36)
        return true;
    bool modrm = (op < 0x40 && (op & 7) < 4) || op == 0x62 || op == 0x69 || op == 0x6b ||
                 (op >= 0x80 && op <= 0x8f) || op == 0xc0 || op == 0xc1 ||
                 (op >= 0xc4 && op <= 0xc7) || (op >= 0xd0 && op <= 0xd3) ||
                 (op >= 0xd8 && op <= 0xdf) || op == 0xf6 || op == 0xf7 || op == 0xfe || op == 0xff;
    if (ovr >= 0 || !modrm || n + 1 >= t->nbytes)
        return false;
    uint8_t m = t->bytes[n + 1];
    unsigned mod = m >> 6, rm = m & 7;
    return mod != 3 && (rm == 2 || rm == 3 || (rm == 6 && mod != 0));
}

/* May LOCK precede this instruction on a P6 (SDM vol. 2, LOCK: ADD ADC AND
 * OR SBB SUB XOR with a memory destination, group 1 but CMP, XCHG, NOT/NEG,
 * INC/DEC; 0F forms are not in the 286 data)? Then a #UD is a bug. */
static bool lockable(const struct test *t, int op)
{
    unsigned k = prefix_count(t) + 1;
    if (k >= t->nbytes || (t->bytes[k] >> 6) == 3)
        return false;
    int reg = (t->bytes[k] >> 3) & 7;
    if (op < 0x40 && (op & 7) <= 1 && (op >> 3) != 7)
        return true;
    if (op >= 0x80 && op <= 0x83)
        return reg != 7;
    if (op == 0x86 || op == 0x87)
        return true;
    if (op == 0xf6 || op == 0xf7)
        return reg == 2 || reg == 3;
    if (op == 0xfe || op == 0xff)
        return reg <= 1;
    return false;
}

struct result {
    uint16_t got[RG_N], want[RG_N];
    uint16_t und;
    int rawbox_exc;         /* exception vector rawbox raised, or -1 */
    enum cpu_exit why;
    char diff[1024];
    size_t dlen;
    bool flag_only_und;     /* every difference is in masked flags */
    bool real;              /* some difference outside masked flags */
    bool hi_flags_only;     /* real differences only in flags bits 12..15 */
    uint16_t regdiff;       /* 1 << RG_x of registers with real differences */
    bool memdiff;           /* a real RAM difference */
    bool memdiff_other;     /* one outside the flags word an exception pushed */
    bool cs_ss;             /* see cs_reads_ss() */
};

static bool cs_reads_ss(const struct test *t, const struct result *r);

static void note(struct result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct result *r, const char *fmt, ...)
{
    va_list ap;
    if (r->dlen >= sizeof r->diff - 1)
        return;
    va_start(ap, fmt);
    int n = vsnprintf(r->diff + r->dlen, sizeof r->diff - r->dlen, fmt, ap);
    va_end(ap);
    if (n > 0)
        r->dlen += (size_t)n;
    if (r->dlen > sizeof r->diff - 1)
        r->dlen = sizeof r->diff - 1;
}

static bool has_prefix(const struct test *t, uint8_t pfx)
{
    for (unsigned k = 0; k < t->nbytes; k++) {
        uint8_t b = t->bytes[k];
        if (b == pfx)
            return true;
        if (!(b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0xf0 || b == 0xf2 ||
              b == 0xf3))
            break;
    }
    return false;
}

static enum verdict run_test(const struct test *t, int op, int reg, struct result *r)
{
    memset(r, 0, sizeof *r);
    r->rawbox_exc = -1;
    r->und = und_flags(op, reg);
    static const int segs[4] = { SEG_CS, SEG_SS, SEG_DS, SEG_ES };

    /* RAM */
    for (uint32_t k = 0; k < t->in.nram; k++) {
        if (t->in.ram[k].addr >= RAM_SIZE)
            return V_BAD;
        physmem_write(&mem, t->in.ram[k].addr, t->in.ram[k].v, 1);
    }
    for (uint32_t k = 0; k < t->out.nram; k++)
        if (t->out.ram[k].addr >= RAM_SIZE)
            return V_BAD;

    /* registers */
    for (int g = 0; g < 8; g++)
        cpu.s.gpr[g] = 0;
    for (int k = 0; k < RG_N; k++)
        if (rg_gpr[k] >= 0)
            cpu.s.gpr[rg_gpr[k]] = t->in.r[k];
    for (int s = 0; s < 4; s++) {
        uint16_t sel = t->in.r[RG_CS + s];
        seg_load_cache(&cpu, segs[s], sel, (uint32_t)sel << 4, 0xffff, segs[s] == SEG_CS ? 0x9b : 0x93);
    }
    seg_load_cache(&cpu, SEG_FS, 0, 0, 0xffff, 0x93);
    seg_load_cache(&cpu, SEG_GS, 0, 0, 0xffff, 0x93);
    cpu.s.lf.op = LF_NONE;
    flags_set(&cpu, (t->in.r[RG_FLAGS] & 0x0fffu) | 2u);
    cpu.s.rip = t->in.r[RG_IP];
    cpu.halted = 0;
    cpu.inhibit_irq = 0;
    cpu.exc_depth = 0;
    cpu.pending_db = 0;
    cpu.nmi_pending = 0;
    cpu.exit_req = 0;
    cpu.intr = 0;
    cpu.exc_vector = 0xff;
    cpu.exc_kind = 0;
    cpu_update_mode(&cpu);

    /* One instruction first, to see the first exception rawbox raised
     * (a second one at a random handler would overwrite it). */
    r->why = cpu_run(&cpu, 1);
    if (cpu.exc_vector != 0xff && cpu.exc_kind == 0)
        r->rawbox_exc = cpu.exc_vector;
    if (r->why != CPU_EXIT_HLT)
        r->why = cpu_run(&cpu, 20000);
    if (r->rawbox_exc < 0 && r->why == CPU_EXIT_HLT && cpu.s.seg[SEG_CS].sel == SENT_SEG &&
        EIP(&cpu) > SENT_OFF && EIP(&cpu) <= SENT_OFF + 256)
        r->rawbox_exc = (int)(EIP(&cpu) - SENT_OFF - 1);

    /* registers */
    for (int k = 0; k < RG_N; k++) {
        r->want[k] = (t->out.mask & (1u << k)) ? t->out.r[k] : t->in.r[k];
        if (k == RG_FLAGS && !(t->out.mask & (1u << k)))
            r->want[k] &= 0x0fff;
    }
    for (int k = 0; k < RG_N; k++)
        if (rg_gpr[k] >= 0)
            r->got[k] = (uint16_t)cpu.s.gpr[rg_gpr[k]];
    for (int s = 0; s < 4; s++)
        r->got[RG_CS + s] = cpu.s.seg[segs[s]].sel;
    r->got[RG_IP] = (uint16_t)cpu.s.rip;
    r->got[RG_FLAGS] = (uint16_t)flags_get(&cpu);

    uint16_t und = r->und;
    bool real = false, undef = false, hi_only = true;
    if (r->why != CPU_EXIT_HLT) {
        note(r, " [stopped: exit %d, not at HLT]", (int)r->why);
        real = true;
        hi_only = false;
    }
    for (int k = 0; k < RG_N; k++) {
        uint16_t d = r->got[k] ^ r->want[k];
        if (!d)
            continue;
        if (k == RG_FLAGS) {
            if (d & ~und) {
                real = true;
                r->regdiff |= 1u << k;
                if (d & ~und & 0x0fff)
                    hi_only = false;
            } else {
                undef = true;
            }
        } else {
            real = true;
            hi_only = false;
            r->regdiff |= 1u << k;
        }
        note(r, " %s=%04x(want %04x)", rg_name[k], r->got[k], r->want[k]);
    }
    /* RAM: bytes in FINA have the final value, the other initial bytes
     * are unchanged. The flags word pushed by an exception is masked: it is
     * at the handler's SS:SP+4 (EXCP's address is rounded down to even when
     * SP is odd, so it is computed here). */
    uint32_t ssb = (uint32_t)r->want[RG_SS] << 4;
    uint32_t flo = ssb + (uint16_t)(r->want[RG_SP] + 4), fhi = ssb + (uint16_t)(r->want[RG_SP] + 5);
    for (uint32_t k = 0; k < t->in.nram + t->out.nram; k++) {
        bool fin = k >= t->in.nram;
        const struct ramb *b = fin ? &t->out.ram[k - t->in.nram] : &t->in.ram[k];
        if (!fin) {
            bool later = false;
            for (uint32_t j = 0; j < t->out.nram && !later; j++)
                later = t->out.ram[j].addr == b->addr;
            if (later)
                continue;
        }
        uint8_t got = rd8(b->addr), d = got ^ b->v;
        if (!d)
            continue;
        uint8_t m = 0xff;
        if (t->exc >= 0 && b->addr == flo)
            m = (uint8_t)~und;
        else if (t->exc >= 0 && b->addr == fhi)
            m = (uint8_t)~(und >> 8);
        if (d & m) {
            real = true;
            hi_only = false;
            r->memdiff = true;
            if (t->exc < 0 || (b->addr != flo && b->addr != fhi))
                r->memdiff_other = true;
        } else {
            undef = true;
        }
        note(r, " [%06x]=%02x(want %02x)", b->addr, got, b->v);
    }
    r->cs_ss = real && cs_reads_ss(t, r);
    /* clean the bytes for the next test */
    for (uint32_t k = 0; k < t->in.nram; k++)
        physmem_write(&mem, t->in.ram[k].addr, baseline(t->in.ram[k].addr), 1);
    for (uint32_t k = 0; k < t->out.nram; k++)
        physmem_write(&mem, t->out.ram[k].addr, baseline(t->out.ram[k].addr), 1);

    /* A run that went wrong may have written anywhere: start the next test
     * from clean memory and a clean decode cache. */
    if (r->why != CPU_EXIT_HLT || (r->regdiff & (1u << RG_CS | 1u << RG_IP))) {
        reset_memory();
        cpu_reset(&cpu);
    }
    r->real = real;
    r->hi_flags_only = real && hi_only;
    if (!real)
        return undef ? V_UNDEF : V_PASS;
    return V_FAIL;
}

/* got and want differ by at most `max` either way (one string step). */
static bool one_step(const struct result *r, int k, int max)
{
    int d = (int16_t)(uint16_t)(r->got[k] - r->want[k]);
    return d >= -max && d <= max;
}

/* The 286 frame holds SS where rawbox (and the SDM) push CS, and that is
 * the only real difference. */
static bool cs_reads_ss(const struct test *t, const struct result *r)
{
    if (t->exc < 0 || r->regdiff || r->rawbox_exc != t->exc || r->want[RG_SS] == r->want[RG_CS])
        return false;
    uint32_t ssb = (uint32_t)r->want[RG_SS] << 4;
    uint32_t lo = ssb + (uint16_t)(r->want[RG_SP] + 2), hi = ssb + (uint16_t)(r->want[RG_SP] + 3);
    uint16_t in_cs = t->in.r[RG_CS];
    bool seen = false;
    for (uint32_t k = 0; k < t->out.nram; k++) {
        const struct ramb *b = &t->out.ram[k];
        uint8_t got = rd8(b->addr);
        if (got == b->v)
            continue;
        if (b->addr == lo && b->v == (uint8_t)r->want[RG_SS] && got == (uint8_t)in_cs)
            seen = true;
        else if (b->addr == hi && b->v == (uint8_t)(r->want[RG_SS] >> 8) && got == (uint8_t)(in_cs >> 8))
            seen = true;
        else
            return false;
    }
    return seen;
}

/* IDIV that overflows (SDM: #DE when the quotient is outside -2^(n-1) ..
 * 2^(n-1)-1) where the 286 stored the most negative quotient instead: true
 * when no divisor in range gives that quotient and remainder, i.e. the
 * 286's answer is not a correct division (so rawbox's #DE is right). */
static bool idiv_quirk(const struct test *t, int op, const struct result *r)
{
    if (t->exc >= 0 || r->rawbox_exc != EXC_DE)
        return false;
    int64_t num, rem, qmin, q;
    if (op == 0xf6) {
        num = (int16_t)t->in.r[RG_AX];
        q = (int8_t)(uint8_t)r->want[RG_AX];
        rem = (int8_t)(uint8_t)(r->want[RG_AX] >> 8);
        qmin = -128;
    } else {
        num = (int32_t)((uint32_t)t->in.r[RG_DX] << 16 | t->in.r[RG_AX]);
        q = (int16_t)r->want[RG_AX];
        rem = (int16_t)r->want[RG_DX];
        qmin = -32768;
    }
    if (q != qmin)
        return false;
    if ((num - rem) % qmin == 0) {
        int64_t d = (num - rem) / qmin;
        if (d != 0 && d >= qmin && d <= -qmin - 1 && (rem < 0 ? -rem : rem) < (d < 0 ? -d : d))
            return false;   /* a valid division: #DE would be wrong */
    }
    return true;
}

/* Classify a real difference as a known model difference. */
static enum model classify(const struct test *t, int op, const struct result *r)
{
    if (r->hi_flags_only && (op == 0x9d || op == 0xcf))
        return M_IOPL;
    /* BYTS includes the HLT after the instruction. */
    const uint16_t b = 1;
    if (is_suspect(t) || r->cs_ss)
        return M_SUSPECT;
    if (t->nbytes - 1 > 10 && (t->exc == EXC_UD || t->exc == EXC_GP) && r->rawbox_exc < 0)
        return M_LEN;
    /* 4+ prefixes, an invalid ModRM form and operands past 10 bytes: the
     * 286 hits its length limit first (#GP), the P6 decodes #UD. */
    if (prefix_count(t) >= 4 && t->exc == EXC_GP && r->rawbox_exc == EXC_UD)
        return M_LEN;
    /* (LOCK INT 6: the 286 runs INT 6, the P6 raises #UD: both vector 6) */
    if (has_prefix(t, 0xf0) && !lockable(t, op) && r->rawbox_exc == EXC_UD &&
        (t->exc != EXC_UD || op == 0xcd))
        return M_LOCK;
    if (((op >= 0xa4 && op <= 0xa7) || (op >= 0xaa && op <= 0xaf) || (op >= 0x6c && op <= 0x6f)) &&
        t->exc == EXC_GP && r->rawbox_exc == EXC_GP && !r->memdiff &&
        !(r->regdiff & ~(b << RG_SI | b << RG_DI | b << RG_CX)) && one_step(r, RG_SI, 2) &&
        one_step(r, RG_DI, 2) && one_step(r, RG_CX, 2))
        return M_STRFAULT;
    if (op == 0x8f && t->exc == EXC_GP && r->rawbox_exc == EXC_GP && !(r->regdiff & ~(b << RG_SP)) &&
        r->got[RG_SP] == (uint16_t)(t->in.r[RG_SP] - 6))
        return M_POPFAULT;
    if ((op == 0x8c || op == 0x8e) && (modrm_reg(t) == 4 || modrm_reg(t) == 5) &&
        t->exc == EXC_UD && r->rawbox_exc < 0)
        return M_FSGS;
    if ((op == 0xf6 || op == 0xf7) && modrm_reg(t) == 7 && idiv_quirk(t, op, r))
        return M_IDIV;
    if (op == 0xd4 && t->exc == EXC_DE && r->rawbox_exc == EXC_DE && !r->memdiff_other &&
        !(r->regdiff & ~(b << RG_FLAGS)))
        return M_DEFLAGS;
    if (op >= 0xd8 && op <= 0xdf)
        return M_ESC;
    if (t->exc == EXC_GP && r->rawbox_exc == EXC_SS && ss_access(t, op))
        return M_SEGOVR;
    return M_NONE;
}

static void show_test(const char *tag, const struct test *t, const struct result *r, enum model m)
{
    printf("  %s #%u %-28s bytes", tag, t->idx, t->name);
    for (unsigned k = 0; k < t->nbytes; k++)
        printf(" %02x", t->bytes[k]);
    if (t->exc >= 0)
        printf(" (286 exception %d)", t->exc);
    if (r->rawbox_exc >= 0)
        printf(" (rawbox exception %d)", r->rawbox_exc);
    if (m != M_NONE)
        printf(" [model: %s]", model_name[m]);
    printf("\n    init:");
    for (int k = 0; k < RG_N; k++)
        printf(" %s=%04x", rg_name[k], t->in.r[k]);
    printf("\n    diff:%s\n", r->diff);
}

struct totals { uint64_t tests, pass, undef, model, fail, revoked, bad, mcount[M_N]; };

static bool run_file(const char *path, unsigned verbose, unsigned verbose_model, struct totals *tot)
{
    size_t len;
    uint8_t *buf = load_file(path, &len);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (!buf || len < 8 || memcmp(buf, "MOO ", 4)) {
        printf("FAIL %s: cannot read a MOO file\n", base);
        free(buf);
        return false;
    }
    /* opcode (and group reg) from the file name: "80.3.MOO.gz", "F4.MOO" */
    int op = -1, reg = -1;
    {
        unsigned o, g;
        char dot;
        if (sscanf(base, "%2x.%1u%c", &o, &g, &dot) == 3 && dot == '.') {
            op = (int)o;
            reg = (int)g;
        } else if (sscanf(base, "%2x", &o) == 1) {
            op = (int)o;
        }
        if (strlen(base) > 4 && base[2] != '.' && sscanf(base, "%4x", &o) == 1)
            op = (int)o;        /* 0Fxx: two-byte opcode files */
    }
    struct totals ft;
    memset(&ft, 0, sizeof ft);
    unsigned shown = 0, shown_m = 0;
    uint32_t hlen = rd32(buf + 4);
    size_t off = 8 + (size_t)hlen;
    uint32_t want_tests = hlen >= 8 ? rd32(buf + 8 + 4) : 0;
    while (off + 8 <= len) {
        uint32_t cl = rd32(buf + off + 4);
        const uint8_t *tag = buf + off;
        off += 8;
        if (cl > len - off)
            break;
        if (!memcmp(tag, "TEST", 4)) {
            struct test t;
            struct result r;
            if (!parse_test(buf + off, cl, &t)) {
                ft.bad++;
            } else if (is_revoked(&t)) {
                ft.revoked++;
            } else {
                ft.tests++;
                if (getenv("SST_TRACE"))
                    fprintf(stderr, "test %u %s\n", t.idx, t.name);
                enum verdict v = run_test(&t, op, reg, &r);
                enum model m = M_NONE;
                if (v == V_FAIL && (m = classify(&t, op, &r)) != M_NONE)
                    v = V_MODEL;
                switch (v) {
                case V_PASS: ft.pass++; break;
                case V_UNDEF:
                    ft.undef++;
                    if (shown_m < verbose_model) {
                        shown_m++;
                        show_test("undef", &t, &r, m);
                    }
                    break;
                case V_MODEL:
                    ft.model++;
                    ft.mcount[m]++;
                    if (shown_m < verbose_model) {
                        shown_m++;
                        show_test("model", &t, &r, m);
                    }
                    break;
                case V_FAIL:
                    ft.fail++;
                    if (shown < verbose) {
                        shown++;
                        show_test("FAIL", &t, &r, m);
                    }
                    break;
                case V_BAD: ft.bad++; break;
                }
            }
            free_test(&t);
        }
        off += cl;
    }
    free(buf);
    bool ok = ft.fail == 0 && ft.bad == 0 && ft.tests > 0;
    printf("%s %s: %" PRIu64 " tests, %" PRIu64 " passed, %" PRIu64 " failed, %" PRIu64
           " undefined-flag differences (masked), %" PRIu64 " model differences, %" PRIu64
           " revoked%s",
           ok ? "PASS" : "FAIL", base, ft.tests, ft.pass, ft.fail, ft.undef, ft.model, ft.revoked,
           ft.bad ? ", malformed tests" : "");
    if (want_tests && want_tests != ft.tests + ft.revoked + ft.bad)
        printf(" (header says %u tests)", want_tests);
    for (int m = 1; m < M_N; m++)
        if (ft.mcount[m])
            printf("; %s: %" PRIu64, model_name[m], ft.mcount[m]);
    printf("\n");
    tot->tests += ft.tests;
    tot->pass += ft.pass;
    tot->undef += ft.undef;
    tot->model += ft.model;
    tot->fail += ft.fail;
    tot->revoked += ft.revoked;
    tot->bad += ft.bad;
    for (int m = 0; m < M_N; m++)
        tot->mcount[m] += ft.mcount[m];
    return ok;
}

int main(int argc, char **argv)
{
    unsigned verbose = 0, verbose_model = 0;
    int a = 1;
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (; a < argc && argv[a][0] == '-'; a++) {
        if (!strcmp(argv[a], "-v") && a + 1 < argc)
            verbose = (unsigned)atoi(argv[++a]);
        else if (!strcmp(argv[a], "-V") && a + 1 < argc)
            verbose_model = (unsigned)atoi(argv[++a]);
        else if (!strcmp(argv[a], "-r") && a + 1 < argc)
            load_revocations(argv[++a]);
        else {
            fprintf(stderr, "usage: sst_run [-v N] [-V N] [-r revocation_list.txt] FILE.MOO[.gz]...\n");
            return 2;
        }
    }
    if (a >= argc) {
        fprintf(stderr, "sst_run: no test files\n");
        return 2;
    }
    no_sentinel = getenv("SST_NO_SENTINEL") != NULL;
    if (machine_init() != 0) {
        printf("FAIL machine set-up\n0 passed, 1 failed\n");
        return 1;
    }
    struct totals tot;
    memset(&tot, 0, sizeof tot);
    unsigned fp = 0, ff = 0;
    for (; a < argc; a++) {
        if (run_file(argv[a], verbose, verbose_model, &tot))
            fp++;
        else
            ff++;
    }
    printf("info totals: %" PRIu64 " tests, %" PRIu64 " passed, %" PRIu64 " failed, %" PRIu64
           " undefined-flag differences (masked), %" PRIu64 " model differences, %" PRIu64
           " revoked, %" PRIu64 " malformed\n",
           tot.tests, tot.pass, tot.fail, tot.undef, tot.model, tot.revoked, tot.bad);
    for (int m = 1; m < M_N; m++)
        if (tot.mcount[m])
            printf("info model difference \"%s\": %" PRIu64 " tests\n", model_name[m], tot.mcount[m]);
    printf("%u passed, %u failed\n", fp, ff);
    return ff ? 1 : 0;
}
