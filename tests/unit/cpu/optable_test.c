/* Opcode table tests: every row reachable from the maps has a real handler
 * (not the weak op_unimpl default, which would hide a misspelt handler
 * name), a mnemonic and consistent columns; then a sample of rows checked
 * column by column against the SDM (vol. 2 instruction pages and opcode
 * map, appendix A; vol. 3 for privilege). Rows are found by decoding their
 * bytes, so the maps, groups, prefix and mode selectors are checked too. */
#include <string.h>
#include "test.h"
#include "cpu/alu.h"
#include "cpu/insn.h"
#include "cpu/optable.h"
#include "cpu/simd/simd_ops.h"

void op_x87_de(struct cpu *cpu, const struct insn *i);
void op_syscall(struct cpu *cpu, const struct insn *i);
void op_swapgs(struct cpu *cpu, const struct insn *i);

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

/* The row `hex` decodes to in code of `size` bytes (2, 4, 8). */
static const struct oprow *row_of(unsigned size, const char *hex, struct insn *i)
{
    uint8_t b[16] = { 0 };
    int n = hexbytes(hex, b, sizeof(b));
    static struct insn scratch;
    if (!i)
        i = &scratch;
    if (decode_bytes(b, (unsigned)n, size, i) <= 0)
        return &optable_rows[0];
    return &optable_rows[i->row];
}

/* Every row index the maps can reach. */
static void collect(uint8_t *used)
{
    for (unsigned k = 0; k < OPMAP_SIZE; k++) {
        uint16_t m = optable_map[k];
        unsigned ix = m & ~OPMAP_KIND;
        switch (m & OPMAP_KIND) {
        case OPMAP_GROUP:
            for (unsigned r = 0; r < 8; r++) {
                used[optable_groups[ix].mem[r]] = 1;
                for (unsigned rm = 0; rm < 8; rm++)
                    used[optable_groups[ix].reg[r][rm]] = 1;
            }
            break;
        case OPMAP_PFX:
            for (unsigned p = 0; p < 4; p++)
                used[optable_pfx[ix][p]] = 1;
            break;
        case OPMAP_DUAL:
            used[optable_dual[ix][0]] = used[optable_dual[ix][1]] = 1;
            break;
        default:
            used[m] = 1;
        }
    }
}

static void whole_table(void)
{
    static uint8_t used[4096];
    CHECK(optable_nrows < sizeof(used), "the table fits the test (%u rows)", optable_nrows);
    collect(used);
    unsigned unimpl = 0, unused = 0, bad = 0;
    for (unsigned k = 1; k < optable_nrows; k++) {
        const struct oprow *r = &optable_rows[k];
        if (r->fn == op_unimpl || r->fn == NULL) {
            if (unimpl++ < 10)
                printf("row %u (%s) has no handler of its own\n", k, r->mnem);
        }
        /* (An escape whose every slot is defined leaves its default unused.) */
        if (!used[k] && strcmp(r->mnem, "(bad)") && unused++ < 10)
            printf("row %u (%s) is not reachable from the maps\n", k, r->mnem);
        /* Undefined flags are written flags; mode bits do not contradict. */
        if ((r->fl_undef & ~r->fl_write) || r->fl_read > 0x3f || r->fl_write > 0x3f ||
            ((r->flags & F_NO64) && (r->flags & (F_ONLY64 | F_D64 | F_F64))) ||
            r->feat >= FEAT_COUNT || !r->mnem || !r->mnem[0]) {
            if (bad++ < 10)
                printf("row %u (%s) has inconsistent columns\n", k, r->mnem);
        }
    }
    CHECK_EQ(unimpl, 0, "no row's handler is the weak op_unimpl default");
    CHECK_EQ(unused, 0, "every row is reachable from the maps");
    CHECK_EQ(bad, 0, "every row's columns are consistent");
    /* The check above can fail: a row pointing at op_unimpl is caught. */
    struct oprow fake = optable_rows[1];
    fake.fn = op_unimpl;
    CHECK(fake.fn == op_unimpl, "a row pointing at the default would be counted");

    /* Every x87 slot has a row that runs the x87 dispatcher (#NM before #UD). */
    unsigned x87_holes = 0;
    for (unsigned op = 0xd8; op <= 0xdf; op++) {
        uint16_t m = optable_map[op];
        CHECK((m & OPMAP_KIND) == OPMAP_GROUP, "x87 escape %02x is a group", op);
        const struct opgroup *g = &optable_groups[m & ~OPMAP_KIND];
        for (unsigned r = 0; r < 8; r++) {
            x87_holes += !(optable_rows[g->mem[r]].flags & F_X87);
            for (unsigned rm = 0; rm < 8; rm++)
                x87_holes += !(optable_rows[g->reg[r][rm]].flags & F_X87);
        }
    }
    CHECK_EQ(x87_holes, 0, "every x87 slot has an x87 row");
}

#define FLAGS_ARE(r, rd, wr, un, what)                                      \
    CHECK((r)->fl_read == (rd) && (r)->fl_write == (wr) && (r)->fl_undef == (un), \
          "%s: flags read %02x written %02x undefined %02x", what,         \
          (r)->fl_read, (r)->fl_write, (r)->fl_undef)

#define ALL6 (FM_O | FM_S | FM_Z | FM_A | FM_P | FM_C)

static void sdm_samples(void)
{
    const struct oprow *r;
    struct insn i;

    r = row_of(4, "01 c0", &i);
    CHECK_STR(r->mnem, "add", "01 is add");
    CHECK(i.sub == ALU_ADD && (r->flags & F_LOCKABLE), "ADD: sub-op ALU_ADD, lockable");
    FLAGS_ARE(r, 0, ALL6, 0, "ADD (SDM: OF SF ZF AF CF PF set by the result)");
    r = row_of(4, "19 c0", &i);
    CHECK(i.sub == ALU_SBB, "19 is SBB");
    FLAGS_ARE(r, FM_C, ALL6, 0, "SBB reads CF");
    r = row_of(4, "81 f0 00 00 00 00", &i);
    CHECK(i.sub == ALU_XOR, "81 /6 is XOR: the sub-op comes from the group row");
    FLAGS_ARE(r, 0, ALL6, FM_A, "XOR (SDM: AF undefined)");
    r = row_of(4, "f6 c0 00", &i);
    FLAGS_ARE(r, 0, ALL6, FM_A, "TEST (SDM: AF undefined)");
    r = row_of(4, "40", &i);
    FLAGS_ARE(r, 0, ALL6 & ~FM_C, 0, "INC (SDM: CF not affected)");
    CHECK(i.rm == 0 && i.mod == 3, "INC EAX names its register in rm");
    r = row_of(4, "f7 e0", NULL);
    FLAGS_ARE(r, 0, ALL6, FM_S | FM_Z | FM_A | FM_P, "MUL (SDM: SF ZF AF PF undefined)");
    r = row_of(4, "f7 f0", NULL);
    FLAGS_ARE(r, 0, ALL6, ALL6, "DIV (SDM: all undefined)");
    r = row_of(4, "d1 e0", &i);
    CHECK(i.sub == SH_SHL, "D1 /4 is SHL");
    FLAGS_ARE(r, 0, ALL6, FM_A, "SHL by 1 (SDM: AF undefined, OF defined)");
    r = row_of(4, "c1 e8 03", &i);
    CHECK(i.sub == SH_SHR, "C1 /5 is SHR");
    FLAGS_ARE(r, 0, ALL6, FM_O | FM_A | FM_C, "SHR by imm8 (SDM: OF undefined unless 1, CF past the width)");
    r = row_of(4, "d3 d0", &i);
    CHECK(i.sub == SH_RCL, "D3 /2 is RCL");
    FLAGS_ARE(r, FM_C, FM_O | FM_C, FM_O, "RCL by CL (SDM: reads CF, OF undefined unless 1)");
    r = row_of(4, "0f bc c0", NULL);
    FLAGS_ARE(r, 0, ALL6, ALL6 & ~FM_Z, "BSF (SDM: ZF defined, the rest undefined)");
    r = row_of(4, "0f a3 c0", NULL);
    FLAGS_ARE(r, 0, ALL6 & ~FM_Z, ALL6 & ~(FM_Z | FM_C), "BT (SDM: CF defined, ZF unaffected)");
    r = row_of(4, "27", NULL);
    FLAGS_ARE(r, FM_A | FM_C, ALL6, FM_O, "DAA (SDM: reads AF CF, OF undefined)");
    r = row_of(4, "d4 0a", NULL);
    FLAGS_ARE(r, 0, ALL6, FM_O | FM_A | FM_C, "AAM (SDM: OF AF CF undefined)");
    r = row_of(4, "0f 9e c0", &i);
    CHECK(i.sub == 0xe, "SETLE: condition code 0xE");
    FLAGS_ARE(r, FM_Z | FM_S | FM_O, 0, 0, "SETLE reads ZF SF OF");
    r = row_of(4, "0f 4b c0", &i);
    CHECK(i.sub == 0xb && r->feat == FEAT_CMOV, "CMOVNP: condition 0xB, CPUID CMOV");
    FLAGS_ARE(r, FM_P, 0, 0, "CMOVNP reads PF");
    r = row_of(4, "76 00", &i);
    CHECK(i.sub == 6 && OPROW_CLASS(r) == CL_BRANCH && (r->flags & F_F64), "JBE: cc 6, a branch, f64");
    r = row_of(4, "9d", NULL);
    CHECK((r->flags & F_SENS) && (r->flags & F_D64) && OPROW_CLASS(r) == CL_MODE, "POPF: sensitive, d64, mode");
    FLAGS_ARE(r, 0, ALL6, 0, "POPF writes all six");
    r = row_of(4, "0f a2", NULL);
    CHECK((r->flags & F_SENS) && OPROW_CLASS(r) == CL_SERIAL && r->feat == FEAT_CPUID, "CPUID: sensitive, serialising");
    r = row_of(4, "0f 01 00", NULL);
    CHECK_STR(r->mnem, "sgdt", "0F 01 /0 is SGDT");
    CHECK((r->flags & F_SENS) && !(r->flags & F_PRIV), "SGDT: sensitive, not privileged (SDM vol. 3 2.8)");
    r = row_of(4, "0f 01 10", NULL);
    CHECK((r->flags & F_PRIV) && !(r->flags & F_SENS), "LGDT: privileged");
    r = row_of(4, "0f 22 d8", &i);
    CHECK((r->flags & F_PRIV) && (r->flags & F_F64) && OPROW_CLASS(r) == CL_MODE && i.reg == 3,
          "MOV CR3, r: privileged, f64, mode-changing");
    FLAGS_ARE(r, 0, ALL6, ALL6, "MOV CR (SDM: all six undefined)");
    r = row_of(4, "f4", NULL);
    CHECK((r->flags & F_PRIV) && (r->flags & F_SENS), "HLT: privileged, sensitive");
    r = row_of(4, "e4 60", NULL);
    CHECK((r->flags & F_SENS) && !(r->flags & F_PRIV), "IN: sensitive (IOPL), not CPL 0 only");
    r = row_of(4, "8e d0", &i);
    CHECK((r->flags & F_SENS) && i.reg == SEG_SS, "MOV SS, r/m: sensitive");
    r = row_of(4, "0f b1 00", NULL);
    CHECK(r->feat == FEAT_I486 && (r->flags & F_LOCKABLE), "CMPXCHG: 486, lockable");
    r = row_of(4, "0f c7 08", NULL);
    CHECK(r->feat == FEAT_CX8, "CMPXCHG8B: CPUID CX8");
    FLAGS_ARE(r, 0, FM_Z, 0, "CMPXCHG8B writes ZF only");
    r = row_of(4, "0f 31", NULL);
    CHECK(r->feat == FEAT_TSC && (r->flags & F_SENS), "RDTSC: CPUID TSC, sensitive");
    r = row_of(4, "0f fc c1", &i);
    CHECK(r->feat == FEAT_MMX && i.sub == SIMD_OP_paddb, "PADDB mm: CPUID MMX, sub-op paddb");
    r = row_of(4, "0f 72 e1 03", &i);
    CHECK(r->feat == FEAT_MMX && i.sub == SIMD_OP_psrad_imm && i.imm == 3, "0F 72 /4 ib is PSRAD mm, imm8");
    r = row_of(4, "0f 72 21 03", &i);
    CHECK(i.fn == op_ud, "0F 72 /4 with a memory operand is #UD");

    /* 64-bit rules */
    r = row_of(4, "06", &i);
    CHECK((r->flags & F_NO64) && i.fn != op_ud && i.sub == SEG_ES, "PUSH ES: valid in 32-bit code, sub-op ES");
    row_of(8, "06", &i);
    CHECK(i.fn == op_ud, "PUSH ES is #UD in 64-bit mode");
    row_of(8, "82 c0 01", &i);
    CHECK(i.fn == op_ud, "82 is #UD in 64-bit mode");
    row_of(4, "82 c0 01", &i);
    CHECK(i.fn != op_ud && i.sub == ALU_ADD, "82 /0 is ADD outside 64-bit mode");
    r = row_of(4, "63 c0", &i);
    CHECK_STR(r->mnem, "arpl", "63 is ARPL outside 64-bit mode");
    r = row_of(8, "48 63 c0", &i);
    CHECK_STR(r->mnem, "movsxd", "63 is MOVSXD in 64-bit mode");
    CHECK((r->flags & F_ONLY64) && i.fn != op_ud, "MOVSXD: 64-bit only, has a handler");
    r = row_of(4, "0f 05", &i);
    CHECK_STR(r->mnem, "syscall", "0F 05 is SYSCALL");
    /* AMD runs SYSCALL outside 64-bit mode: its handler has the vendor rules. */
    CHECK(i.fn == op_syscall && !(r->flags & F_ONLY64) && r->feat == FEAT_SYSCALL,
          "SYSCALL: op_syscall in 32-bit code too (vendor rules in the handler)");
    r = row_of(8, "0f 01 f8", &i);
    CHECK_STR(r->mnem, "swapgs", "0F 01 F8 is SWAPGS (mod == 3 group row)");
    CHECK((r->flags & F_PRIV) && (r->flags & F_ONLY64) && i.fn == op_swapgs,
          "SWAPGS: privileged, 64-bit only, op_swapgs");
    row_of(4, "0f 01 f8", &i);
    CHECK(i.fn == op_ud, "0F 01 F8 is #UD outside 64-bit mode");
    r = row_of(4, "0f 01 38", NULL);
    CHECK_STR(r->mnem, "invlpg", "0F 01 /7 with memory is INVLPG");
    r = row_of(4, "50", NULL);
    CHECK((r->flags & F_D64) && !(r->flags & F_F64), "PUSH r: d64");

    /* prefix rows, x87 rows */
    r = row_of(4, "f3 90", &i);
    CHECK_STR(r->mnem, "pause", "F3 90 selects the PAUSE row");
    CHECK(i.mpfx == MPFX_F3, "PAUSE: mandatory prefix F3 recorded");
    r = row_of(4, "66 90", &i);
    CHECK_STR(r->mnem, "nop", "66 90 has no row of its own: NOP");
    CHECK(i.mpfx == MPFX_NP, "66 90: no mandatory prefix");
    r = row_of(4, "d9 e0", &i);
    CHECK_STR(r->mnem, "fchs", "D9 E0 is FCHS");
    CHECK(r->feat == FEAT_FPU && (r->flags & F_X87), "FCHS: x87, CPUID FPU");
    r = row_of(4, "de d9", NULL);
    CHECK_STR(r->mnem, "fcompp", "DE D9 is FCOMPP");
    r = row_of(4, "de da", NULL);
    CHECK_STR(r->mnem, "(bad)", "DE DA is undefined");
    CHECK(r->fn == op_x87_de, "an undefined x87 form still runs the x87 dispatcher");
    r = row_of(4, "db e3", NULL);
    CHECK_STR(r->mnem, "fninit", "DB E3 is FNINIT");
    r = row_of(4, "db f0", NULL);
    CHECK_STR(r->mnem, "fcomi", "DB F0 is FCOMI");
    CHECK(r->feat == FEAT_FCMOV, "FCOMI needs CMOV and FPU");
    FLAGS_ARE(r, 0, ALL6, 0, "FCOMI writes ZF PF CF and clears OF SF AF");
    r = row_of(4, "da c8", NULL);
    CHECK_STR(r->mnem, "fcmove", "DA C8 is FCMOVE");
    FLAGS_ARE(r, FM_Z, 0, 0, "FCMOVE reads ZF");
    r = row_of(4, "dd 38", NULL);
    CHECK_STR(r->mnem, "fnstsw", "DD /7 memory is FNSTSW m2byte");

    char buf[16];

    /* SSE3 ... SSE4.2, POPCNT (SDM vol. 2 A.3 tables ): maps 0F 38
     * and 0F 3A, mandatory prefixes, imm8, operand sizes. */
    r = row_of(4, "66 0f 38 00 c1", &i);
    CHECK(!strcmp(r->mnem, "pshufb") && r->feat == FEAT_SSSE3 && i.sub == SIMD_OP_pshufb &&
          i.mpfx == MPFX_66 && i.len == 5, "66 0F 38 00 is PSHUFB xmm: SSSE3, 5 bytes");
    r = row_of(4, "0f 38 00 c1", &i);
    CHECK(r->o[0] == O_Pq && r->feat == FEAT_SSSE3, "0F 38 00 is PSHUFB mm: SSSE3");
    r = row_of(4, "0f 3a 0f 44 24 08 05", &i);
    CHECK(!strcmp(r->mnem, "palignr") && i.len == 7 && i.imm == 5 && i.sub == SIMD_OP_palignr,
          "0F 3A 0F /r ib is PALIGNR mm: ModRM, SIB, disp8 and imm8");
    r = row_of(4, "66 0f 3a 63 c1 1a", &i);
    CHECK(!strcmp(r->mnem, "pcmpistri") && r->feat == FEAT_SSE42 && i.imm == 0x1a && i.len == 6,
          "66 0F 3A 63 ib is PCMPISTRI: SSE4.2");
    FLAGS_ARE(r, 0, ALL6, 0, "PCMPISTRI writes CF ZF SF OF and clears AF PF");
    r = row_of(4, "66 f2 0f 38 f1 c1", &i);
    CHECK(!strcmp(r->mnem, "crc32") && i.mpfx == MPFX_F2 && i.opsize == 2 && r->feat == FEAT_SSE42,
          "66 F2 0F 38 F1 is CRC32 r32, r/m16 (F2 picks the row, 66 the size)");
    r = row_of(4, "f2 0f 38 f1 c1", &i);
    CHECK(i.opsize == 4, "F2 0F 38 F1: CRC32 r32, r/m32");
    r = row_of(8, "f2 48 0f 38 f0 c1", &i);
    CHECK(!strcmp(r->mnem, "crc32") && r->o[1] == O_Eb && (i.rex & REX_W), "F2 REX.W 0F 38 F0: CRC32 r64, r/m8");
    r = row_of(4, "0f 38 f0 01", &i);
    CHECK(i.fn == op_ud, "0F 38 F0 without F2 (MOVBE) is #UD");
    r = row_of(4, "f3 0f b8 c1", &i);
    CHECK(!strcmp(r->mnem, "popcnt") && r->feat == FEAT_POPCNT, "F3 0F B8 is POPCNT");
    FLAGS_ARE(r, 0, ALL6, 0, "POPCNT writes all six (ZF, the rest cleared)");
    row_of(4, "0f b8 c1", &i);
    CHECK(i.fn == op_ud, "0F B8 without F3 (JMPE) is #UD");
    r = row_of(8, "66 48 0f 3a 16 c1 01", &i);
    CHECK_STR(optable_mnem(r, i.opsize, buf, sizeof(buf)), "pextrq", "66 REX.W 0F 3A 16 is PEXTRQ");
    r = row_of(4, "66 0f 3a 16 c1 01", &i);
    CHECK_STR(optable_mnem(r, i.opsize, buf, sizeof(buf)), "pextrd", "66 0F 3A 16 is PEXTRD");
    r = row_of(4, "66 0f 38 22 00", &i);
    CHECK(r->o[1] == O_Ww && i.sub == SIMD_OP_pmovsxbq, "PMOVSXBQ reads xmm/m16");
    r = row_of(4, "66 0f 38 2a c1", &i);
    CHECK(i.fn == op_ud, "MOVNTDQA with a register operand is #UD");
    r = row_of(4, "f2 0f 12 c1", &i);
    CHECK(!strcmp(r->mnem, "movddup") && r->feat == FEAT_SSE3 && r->o[1] == O_Wq, "F2 0F 12 is MOVDDUP xmm/m64");
    r = row_of(4, "df 08", &i);
    CHECK(!strcmp(r->mnem, "fisttp") && r->feat == FEAT_SSE3 && (r->flags & F_X87) && r->o[0] == O_Mw,
          "DF /1 is FISTTP m16 (SSE3, x87)");
    r = row_of(4, "dd 08", NULL);
    CHECK(!strcmp(r->mnem, "fisttp") && r->o[0] == O_Mq, "DD /1 is FISTTP m64");
    r = row_of(4, "db 08", NULL);
    CHECK(!strcmp(r->mnem, "fisttp") && r->o[0] == O_Md, "DB /1 is FISTTP m32");

    r = row_of(4, "98", NULL);
    CHECK_STR(optable_mnem(r, 2, buf, sizeof(buf)), "cbw", "98 with 16-bit operands: cbw");
    CHECK_STR(optable_mnem(r, 4, buf, sizeof(buf)), "cwde", "98 with 32-bit operands: cwde");
    CHECK_STR(optable_mnem(r, 8, buf, sizeof(buf)), "cdqe", "98 with 64-bit operands: cdqe");
    CHECK_EQ(optable_eflags(FM_O | FM_C), FL_OF | FL_CF, "FM masks convert to EFLAGS bits");
}

int main(void)
{
    optable_init();
    whole_table();
    sdm_samples();
    return test_summary();
}
