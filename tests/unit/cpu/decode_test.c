/* Decoder tests: hand-picked encodings that exercise one quirk each, then a
 * sweep over every row of the opcode table in both code sizes with and
 * without 66/67 prefixes and a spread of ModRM/SIB forms, cross-checked
 * against Capstone (an independent decoder) for length and memory operand
 * (base, index, scale, displacement) and immediate. */
#include <capstone/capstone.h>
#include "test.h"
#include "cpu/insn.h"
#include "cpu/optable.h"

static int dec(int code32, const char *hex, struct insn *i)
{
    uint8_t b[32];
    unsigned n = 0;
    for (const char *p = hex; *p && n < sizeof(b);) {
        if (*p == ' ') { p++; continue; }
        unsigned v;
        sscanf(p, "%2x", &v);
        b[n++] = (uint8_t)v;
        p += 2;
    }
    return decode_bytes(b, n, code32, i);
}

static void quirks(void)
{
    struct insn i;

    CHECK_EQ(dec(0, "8b 46 02", &i), 3, "16-bit [bp+disp8] is 3 bytes");
    CHECK(i.base == R_EBP && i.index == EA_NONE && i.seg == SEG_SS && i.disp == 2,
          "16-bit [bp+2] defaults to SS");
    CHECK_EQ(dec(0, "8b 06 34 12", &i), 4, "16-bit mod0 rm6 is disp16 only");
    CHECK(i.base == EA_NONE && i.disp == 0x1234 && i.seg == SEG_DS, "16-bit [disp16] uses DS");
    CHECK_EQ(dec(0, "8b 00", &i), 2, "16-bit [bx+si]");
    CHECK(i.base == R_EBX && i.index == R_ESI, "16-bit rm0 is bx+si");
    CHECK_EQ(dec(1, "8b 04 8d 00 10 00 00", &i), 7, "32-bit SIB with no base takes disp32");
    CHECK(i.base == EA_NONE && i.index == R_ECX && i.scale == 2 && i.disp == 0x1000,
          "SIB index*4 + disp32");
    CHECK_EQ(dec(1, "8b 44 24 04", &i), 4, "32-bit [esp+4]");
    CHECK(i.base == R_ESP && i.index == EA_NONE && i.seg == SEG_SS, "[esp] defaults to SS");
    CHECK_EQ(dec(1, "8b 45 fc", &i), 3, "32-bit [ebp-4]");
    CHECK(i.seg == SEG_SS && i.disp == 0xfffffffcu, "[ebp-4] is SS with sign-extended disp");
    CHECK_EQ(dec(1, "26 8b 45 fc", &i), 4, "segment override");
    CHECK(i.seg == SEG_ES && (i.pfx & PFX_SEG), "ES override wins over the SS default");
    CHECK_EQ(dec(0, "67 8b 04 24", &i), 4, "67 in 16-bit code selects 32-bit addressing");
    CHECK_EQ(dec(1, "66 b8 34 12", &i), 4, "66 mov ax, imm16 in 32-bit code");
    CHECK(i.opsize == 2 && i.imm == 0x1234, "66 gives 16-bit operand size");
    CHECK_EQ(dec(0, "a1 34 12", &i), 3, "moffs16");
    CHECK_EQ(dec(0, "67 a1 78 56 34 12", &i), 6, "moffs32 with 67");
    CHECK(i.disp == 0x12345678, "moffs value");
    CHECK_EQ(dec(0, "9a 78 56 34 12", &i), 5, "call ptr16:16");
    CHECK(i.imm == 0x5678 && i.imm2 == 0x1234, "far pointer offset and selector");
    CHECK_EQ(dec(1, "ea 78 56 34 12 08 00", &i), 7, "jmp ptr16:32");
    CHECK_EQ(dec(1, "c8 10 00 03", &i), 4, "enter imm16, imm8");
    CHECK(i.imm == 0x10 && i.imm2 == 3, "enter operands");
    CHECK_EQ(dec(1, "0f 20 00", &i), 3, "mov r32, cr ignores mod");
    CHECK(i.mod == 3 && i.rm == 0, "mov cr operand is a register");
    CHECK_EQ(dec(1, "83 c0 ff", &i), 3, "83 /0 ib");
    CHECK(i.imm == 0xffffffffu, "Ibs is sign-extended");
    CHECK_EQ(dec(0, "eb fe", &i), 2, "jmp short");
    CHECK(i.imm == 0xfffffffeu, "Jb is sign-extended");
    CHECK_EQ(dec(0, "e8 00 80", &i), 3, "call rel16");
    CHECK(i.imm == 0xffff8000u, "Jz is sign-extended in 16-bit code");
    CHECK_EQ(dec(1, "f6 05 00 10 00 00 7f", &i), 7, "test [disp32], imm8 (group 3 /0 has Ib)");
    CHECK_EQ(dec(1, "f6 15 00 10 00 00", &i), 6, "not [disp32] (group 3 /2 has no imm)");
    CHECK_EQ(dec(1, "f0 01 03", &i), 3, "lock add [ebx], eax");
    CHECK(i.fn != op_ud, "lock add to memory is allowed");
    CHECK_EQ(dec(1, "f0 01 c3", &i), 3, "lock add ebx, eax");
    CHECK(i.fn == op_ud, "lock with a register destination is #UD");
    CHECK_EQ(dec(1, "f0 8b 03", &i), 3, "lock mov");
    CHECK(i.fn == op_ud, "lock mov is #UD");
    CHECK_EQ(dec(1, "8d c0", &i), 2, "lea with a register operand");
    CHECK(i.fn == op_ud, "lea reg, reg is #UD");
    CHECK_EQ(dec(1, "0f 0b", &i), 2, "ud2");
    CHECK(i.fn == op_ud, "ud2 is #UD");
    CHECK_EQ(dec(1, "0f ff", &i), 2, "0f ff");
    CHECK(i.fn == op_ud, "undefined two-byte opcode is #UD");
    CHECK_EQ(dec(1, "66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", &i), 15, "15 bytes is allowed");
    CHECK_EQ(dec(1, "66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", &i), -1, "16 bytes is too long");
    CHECK_EQ(dec(1, "8b 04", &i), 0, "a truncated SIB asks for more bytes");
    CHECK_EQ(dec(1, "f3 a5", &i), 2, "rep movsd");
    CHECK(i.pfx & PFX_REP, "rep prefix recorded");
    CHECK_EQ(dec(1, "f3 f2 a6", &i), 3, "last of f2/f3 wins");
    CHECK((i.pfx & PFX_REPNE) && !(i.pfx & PFX_REP), "repne after rep");
}

/* Capstone register id -> our register number (32-bit or 16-bit names). */
static int cs_regnum(x86_reg r)
{
    static const x86_reg r32[8] = { X86_REG_EAX, X86_REG_ECX, X86_REG_EDX, X86_REG_EBX,
                                    X86_REG_ESP, X86_REG_EBP, X86_REG_ESI, X86_REG_EDI };
    static const x86_reg r16[8] = { X86_REG_AX, X86_REG_CX, X86_REG_DX, X86_REG_BX,
                                    X86_REG_SP, X86_REG_BP, X86_REG_SI, X86_REG_DI };
    if (r == X86_REG_INVALID)
        return EA_NONE;
    for (int k = 0; k < 8; k++)
        if (r == r32[k] || r == r16[k])
            return k;
    return -1;
}

static void sweep(void)
{
    csh h16, h32;
    if (cs_open(CS_ARCH_X86, CS_MODE_16, &h16) != CS_ERR_OK ||
        cs_open(CS_ARCH_X86, CS_MODE_32, &h32) != CS_ERR_OK) {
        CHECK(0, "capstone opens");
        return;
    }
    cs_option(h16, CS_OPT_DETAIL, CS_OPT_ON);
    cs_option(h32, CS_OPT_DETAIL, CS_OPT_ON);

    static const uint8_t modrms[] = { 0x00, 0x04, 0x05, 0x06, 0x07, 0x0c, 0x44, 0x46, 0x4c,
                                      0x84, 0x86, 0x8c, 0xc0, 0xc1, 0xd8, 0x3c, 0x7c, 0xbc };
    static const uint8_t sibs[] = { 0x24, 0x25, 0x8d, 0x4c, 0xe5 };
    static const char *const pfxs[] = { "", "\x66", "\x67", "\x66\x67" };
    unsigned tested = 0, len_bad = 0, ea_bad = 0, imm_bad = 0, cs_skip = 0;

    for (unsigned op = 0; op < OPMAP_SIZE; op++) {
        uint16_t m = optable_map[op];
        if (!m)
            continue;
        /* Instructions Capstone does not model as the P6 does. */
        if (op == 0xd6 || op == 0xf1 || (op >= 0xd8 && op <= 0xdf) ||
            (op >= 0x118 && op <= 0x11e) || op == 0x1b9 || op == 0x10b)
            continue;
        for (int code32 = 0; code32 < 2; code32++) {
            for (unsigned p = 0; p < 4; p++) {
                for (unsigned mi = 0; mi < sizeof(modrms); mi++) {
                    for (unsigned si = 0; si < sizeof(sibs); si++) {
                        uint8_t b[24];
                        unsigned n = 0;
                        for (const char *q = pfxs[p]; *q; q++)
                            b[n++] = (uint8_t)*q;
                        if (op >= 0x100)
                            b[n++] = 0x0f;
                        b[n++] = (uint8_t)op;
                        b[n++] = modrms[mi];
                        b[n++] = sibs[si];
                        for (unsigned k = 0; n < sizeof(b); k++)
                            b[n++] = (uint8_t)(0x11 * (k + 1));
                        struct insn i;
                        int len = decode_bytes(b, sizeof(b), code32, &i);
                        if (i.fn == op_ud || i.fn == NULL)
                            continue;
                        cs_insn *ci;
                        size_t cnt = cs_disasm(code32 ? h32 : h16, b, sizeof(b), 0x1000, 1, &ci);
                        if (cnt != 1) {
                            cs_skip++;
                            continue;
                        }
                        tested++;
                        if ((int)ci->size != len) {
                            if (len_bad++ < 20)
                                printf("length mismatch op %03x modrm %02x code32 %d pfx %u: ours %d capstone %u (%s %s)\n",
                                       op, modrms[mi], code32, p, len, ci->size, ci->mnemonic, ci->op_str);
                        }
                        cs_x86 *x = &ci->detail->x86;
                        for (int k = 0; k < x->op_count; k++) {
                            cs_x86_op *o = &x->operands[k];
                            if (o->type == X86_OP_MEM && i.mod != 3 &&
                                (optable_rows[i.row].modrm || optable_rows[i.row].imm == IMM_MOFFS)) {
                                int base = cs_regnum(o->mem.base), index = cs_regnum(o->mem.index);
                                uint32_t disp = (uint32_t)o->mem.disp, ours = i.disp;
                                if (i.adsize == 2) {
                                    disp &= 0xffff;
                                    ours &= 0xffff;
                                }
                                unsigned scale = o->mem.scale == 8 ? 3 : o->mem.scale == 4 ? 2 : o->mem.scale == 2 ? 1 : 0;
                                if (i.index == EA_NONE)
                                    scale = i.scale = 0;
                                if (base != i.base || index != i.index || scale != i.scale || disp != ours) {
                                    if (ea_bad++ < 20)
                                        printf("operand mismatch op %03x modrm %02x code32 %d pfx %u: ours b%d i%d s%u d%x capstone b%d i%d s%u d%x (%s %s)\n",
                                               op, modrms[mi], code32, p, i.base, i.index, i.scale, ours,
                                               base, index, scale, disp, ci->mnemonic, ci->op_str);
                                }
                            }
                            if (o->type == X86_OP_IMM && optable_rows[i.row].imm != IMM_NONE &&
                                optable_rows[i.row].imm != IMM_JB && optable_rows[i.row].imm != IMM_JZ &&
                                optable_rows[i.row].imm != IMM_AP && optable_rows[i.row].imm != IMM_W_B) {
                                uint32_t mask = o->size == 1 ? 0xff : o->size == 2 ? 0xffff : 0xffffffffu;
                                if (((uint32_t)o->imm & mask) != (i.imm & mask)) {
                                    if (imm_bad++ < 20)
                                        printf("immediate mismatch op %03x: ours %x capstone %" PRIx64 " (%s %s)\n",
                                               op, i.imm, (uint64_t)o->imm, ci->mnemonic, ci->op_str);
                                }
                            }
                        }
                        cs_free(ci, cnt);
                    }
                }
            }
        }
    }
    printf("sweep: %u encodings compared, %u not decoded by capstone\n", tested, cs_skip);
    CHECK(tested > 50000, "the sweep compared every table row in many forms (%u)", tested);
    CHECK_EQ(len_bad, 0, "lengths agree with capstone");
    CHECK_EQ(ea_bad, 0, "memory operands agree with capstone");
    CHECK_EQ(imm_bad, 0, "immediates agree with capstone");
    cs_close(&h16);
    cs_close(&h32);
}

static void disasm_smoke(void)
{
    struct insn i;
    char buf[96];
    dec(1, "8b 44 24 04", &i);
    disasm(&i, 0, buf, sizeof(buf));
    CHECK_STR(buf, "mov eax, dword [esp+0x4]", "disassembly of mov eax, [esp+4]");
    dec(0, "f3 a4", &i);
    disasm(&i, 0, buf, sizeof(buf));
    CHECK_STR(buf, "rep movsb", "disassembly of rep movsb");
    dec(0, "eb fe", &i);
    disasm(&i, 0x100, buf, sizeof(buf));
    CHECK_STR(buf, "jmp 0x100", "disassembly of a jump to itself");
}

int main(void)
{
    optable_init();
    quirks();
    sweep();
    disasm_smoke();
    return test_summary();
}
