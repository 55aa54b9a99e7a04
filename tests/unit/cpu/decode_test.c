/* Decoder tests: hand-picked encodings that exercise one quirk each, then a
 * sweep over every row of the opcode table in 16- and 32-bit code with and
 * without 66/67 prefixes and a spread of ModRM/SIB forms, cross-checked
 * against Capstone (an independent decoder) for length and memory operand
 * (base, index, scale, displacement) and immediate; then the same for
 * 64-bit code with random REX and legacy prefixes, comparing register
 * operands and mnemonics too. */
#include <capstone/capstone.h>
#include <string.h>
#include "test.h"
#include "cpu/insn.h"
#include "cpu/optable.h"

void op_nop(struct cpu *cpu, const struct insn *i);

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
    return decode_bytes(b, n, code32 ? 4 : 2, i);
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
    CHECK(i.seg == SEG_SS && i.disp == -4, "[ebp-4] is SS with sign-extended disp");
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

/* The opcode bytes of map:opcode `op` (optable.h: 0x1xx 0F, 0x2xx 0F 38,
 * 0x3xx 0F 3A) at b[n]; returns the new length. */
static unsigned put_opcode(uint8_t *b, unsigned n, unsigned op)
{
    if (op >= 0x100)
        b[n++] = 0x0f;
    if (op >= 0x200)
        b[n++] = op >= 0x300 ? 0x3a : 0x38;
    b[n++] = (uint8_t)op;
    return n;
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
    /* F3, F2 and 66 F2 only where a mandatory prefix selects the row. */
    static const char *const pfxs[] = { "", "\x66", "\x67", "\x66\x67", "\xf3", "\xf2",
                                        "\x66\xf2" };
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
            for (unsigned p = 0; p < sizeof(pfxs) / sizeof(pfxs[0]); p++) {
                if (p >= 4 && (m & OPMAP_KIND) != OPMAP_PFX)
                    continue;
                for (unsigned mi = 0; mi < sizeof(modrms); mi++) {
                    for (unsigned si = 0; si < sizeof(sibs); si++) {
                        uint8_t b[24];
                        unsigned n = 0;
                        for (const char *q = pfxs[p]; *q; q++)
                            b[n++] = (uint8_t)*q;
                        n = put_opcode(b, n, op);
                        b[n++] = modrms[mi];
                        b[n++] = sibs[si];
                        for (unsigned k = 0; n < sizeof(b); k++)
                            b[n++] = (uint8_t)(0x11 * (k + 1));
                        struct insn i;
                        int len = decode_bytes(b, sizeof(b), code32 ? 4 : 2, &i);
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
                                uint32_t disp = (uint32_t)o->mem.disp, ours = (uint32_t)i.disp;
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
                                               op, (unsigned)i.imm, (uint64_t)o->imm, ci->mnemonic, ci->op_str);
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


/* ---- 64-bit code ---- */

static int dec64(const char *hex, struct insn *i)
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
    return decode_bytes(b, n, 8, i);
}

static void dis64(const char *hex, uint64_t rip, const char *want, const char *what)
{
    struct insn i;
    char buf[96];
    if (dec64(hex, &i) <= 0) {
        CHECK(0, "%s: decodes", what);
        return;
    }
    disasm(&i, rip, buf, sizeof(buf));
    CHECK_STR(buf, want, "%s", what);
}

static void quirks64(void)
{
    struct insn i;

    CHECK_EQ(dec64("48 89 d8", &i), 3, "REX.W mov rax, rbx");
    CHECK(i.opsize == 8 && i.rm == 0 && i.reg == 3 && i.rex == 0x48, "REX.W gives operand size 8");
    CHECK_EQ(dec64("4d 89 c8", &i), 3, "mov r8, r9");
    CHECK(i.reg == 9 && i.rm == 8, "REX.R and REX.B extend reg and rm");
    CHECK_EQ(dec64("89 d8", &i), 2, "mov eax, ebx in 64-bit code");
    CHECK(i.opsize == 4 && i.adsize == 8, "default operand size 4, address size 8");
    CHECK_EQ(dec64("48 66 89 d8", &i), 4, "REX before 66");
    CHECK(i.rex == 0 && i.opsize == 2, "a legacy prefix after REX cancels the REX");
    CHECK_EQ(dec64("66 48 89 d8", &i), 4, "66 before REX.W");
    CHECK(i.opsize == 8, "REX.W wins over 66");
    CHECK_EQ(dec64("48 b8 88 77 66 55 44 33 22 11", &i), 10, "mov rax, imm64");
    CHECK(i.imm == 0x1122334455667788ull, "imm64 kept whole");
    CHECK_EQ(dec64("41 bf 01 00 00 00", &i), 6, "mov r15d, imm32");
    CHECK(i.rm == 15 && i.opsize == 4, "the Zv register takes REX.B");
    CHECK_EQ(dec64("48 05 ff ff ff ff", &i), 6, "add rax, imm32");
    CHECK(i.imm == ~0ull, "Iz is sign-extended to 64 bits in 64-bit code");
    CHECK_EQ(dec64("8b 05 10 00 00 00", &i), 6, "RIP-relative mov");
    CHECK(i.base == EA_RIP && i.rip_rel && i.index == EA_NONE && i.disp == 0x10, "mod 0 rm 5 is RIP + disp32");
    CHECK_EQ(dec64("67 8b 05 10 00 00 00", &i), 7, "67: EIP-relative");
    CHECK(i.adsize == 4 && i.rip_rel, "67 selects 32-bit addressing, still RIP-relative");
    CHECK_EQ(dec64("8b 04 25 00 10 00 00", &i), 7, "SIB with no base and no index");
    CHECK(i.base == EA_NONE && !i.rip_rel && i.index == EA_NONE && i.disp == 0x1000, "SIB base 5 mod 0 is absolute, not RIP");
    CHECK_EQ(dec64("42 8b 04 20", &i), 4, "[rax+r12]");
    CHECK(i.base == 0 && i.index == 12, "REX.X extends the index: r12 is an index");
    CHECK_EQ(dec64("41 8b 04 24", &i), 4, "[r12]");
    CHECK(i.base == 12 && i.index == EA_NONE, "r12 as base needs a SIB like rsp");
    CHECK_EQ(dec64("41 8b 45 00", &i), 4, "[r13+0]");
    CHECK(i.base == 13 && i.mod == 1, "r13 as base needs a displacement like rbp");
    CHECK_EQ(dec64("41 8b 05 00 00 00 00", &i), 7, "REX.B with mod 0 rm 5");
    CHECK(i.rip_rel, "mod 0 rm 5 stays RIP-relative with REX.B");
    CHECK_EQ(dec64("50", &i), 1, "push rax");
    CHECK(i.opsize == 8, "PUSH defaults to 64-bit (d64)");
    CHECK_EQ(dec64("66 50", &i), 2, "push ax");
    CHECK(i.opsize == 2, "66 gives PUSH 16 bits");
    CHECK_EQ(dec64("41 58", &i), 2, "pop r8");
    CHECK(i.rm == 8 && i.opsize == 8, "POP r8");
    CHECK_EQ(dec64("e8 00 00 00 00", &i), 5, "call rel32");
    CHECK(i.opsize == 8, "near CALL is 64-bit (f64)");
    CHECK_EQ(dec64("a1 88 77 66 55 44 33 22 11", &i), 9, "mov eax, moffs64");
    CHECK(i.imm == 0x1122334455667788ull && i.adsize == 8, "moffs64 in imm");
    CHECK_EQ(dec64("67 a1 44 33 22 11", &i), 6, "mov eax, moffs32 with 67");
    CHECK_EQ(dec64("41 90", &i), 2, "41 90");
    CHECK(i.rm == 8 && i.fn != op_nop, "90 with REX.B is XCHG r8d, eax");
    CHECK_EQ(dec64("06", &i), 1, "push es");
    CHECK(i.fn == op_ud, "PUSH ES is #UD in 64-bit mode");
    CHECK_EQ(dec64("40 c3", &i), 2, "ret with an empty REX");
    CHECK_EQ(dec64("2e 8b 00", &i), 3, "CS override in 64-bit code");
    CHECK(!(i.pfx & PFX_SEG), "CS, DS, ES and SS overrides are ignored in 64-bit mode");
    CHECK_EQ(dec64("49 8b 14 24", &i), 4, "mov rdx, [r12]");
    CHECK(i.base == 12 && i.seg == SEG_DS, "[r12] defaults to DS, not SS (only RSP does)");
    CHECK_EQ(dec64("49 8b 55 08", &i), 4, "mov rdx, [r13+8]");
    CHECK(i.base == 13 && i.seg == SEG_DS, "[r13+8] defaults to DS, not SS (only RBP does)");
    CHECK_EQ(dec64("48 8b 55 08", &i), 4, "mov rdx, [rbp+8]");
    CHECK(i.base == R_EBP && i.seg == SEG_SS, "[rbp+8] defaults to SS");
    CHECK_EQ(dec64("64 8b 00", &i), 3, "FS override in 64-bit code");
    CHECK((i.pfx & PFX_SEG) && i.seg == SEG_FS, "FS override kept");
    CHECK_EQ(dec64("f0 48 0f c7 0e", &i), 5, "lock cmpxchg16b [rsi]");
    CHECK(i.opsize == 8 && i.fn != op_ud, "CMPXCHG16B decodes (lockable)");
    CHECK_EQ(dec64("48 48 48 48 48 48 48 48 48 48 48 48 48 48 90", &i), 15, "15 bytes of REX and NOP");
    CHECK_EQ(dec64("48 48 48 48 48 48 48 48 48 48 48 48 48 48 48 90", &i), -1, "16 bytes is too long");
    CHECK_EQ(decode_bytes((const uint8_t *)"\x40", 1, 8, &i), 0, "a lone REX asks for more bytes");
    CHECK_EQ(decode_bytes((const uint8_t *)"\x40", 1, 4, &i), 1, "40 is INC EAX outside 64-bit mode");

    dis64("f2 4d 0f 2a d3", 0, "cvtsi2sd xmm10, r11", "disassembly: CVTSI2SD with REX.W, xmm10");
    dis64("f3 49 0f 2c c1", 0, "cvttss2si rax, xmm9", "disassembly: CVTTSS2SI r64, xmm9");
    dis64("48 8b 05 10 00 00 00", 0x1000, "mov rax, qword [rip+0x10]", "disassembly: RIP-relative");
    dis64("40 88 e0", 0, "mov al, spl", "disassembly: SPL with a REX");
    dis64("88 e0", 0, "mov al, ah", "disassembly: AH without a REX");
    dis64("45 0f b6 c1", 0, "movzx r8d, r9b", "disassembly: r9b");
    dis64("48 98", 0, "cdqe", "disassembly: cdqe");
    dis64("48 a5", 0, "movsq", "disassembly: movsq");
    dis64("48 b8 88 77 66 55 44 33 22 11", 0, "mov rax, 0x1122334455667788", "disassembly: imm64");
    dis64("48 0f c7 0e", 0, "cmpxchg16b xmmword [rsi]", "disassembly: cmpxchg16b");
    dis64("eb fe", 0x123456789a, "jmp 0x123456789a", "disassembly: a jump above 4 GiB");
    dis64("d8 c3", 0, "fadd st0, st3", "disassembly: x87 register form");
    dis64("dc 0d 00 00 00 00", 0, "fmul qword [rip]", "disassembly: x87 memory form");
}

/* Capstone register -> our number (0..15) and size in bytes, or -1. */
static int cs_gpr(x86_reg r, unsigned *size)
{
    static const x86_reg q[16] = { X86_REG_RAX, X86_REG_RCX, X86_REG_RDX, X86_REG_RBX,
        X86_REG_RSP, X86_REG_RBP, X86_REG_RSI, X86_REG_RDI, X86_REG_R8, X86_REG_R9,
        X86_REG_R10, X86_REG_R11, X86_REG_R12, X86_REG_R13, X86_REG_R14, X86_REG_R15 };
    static const x86_reg d[16] = { X86_REG_EAX, X86_REG_ECX, X86_REG_EDX, X86_REG_EBX,
        X86_REG_ESP, X86_REG_EBP, X86_REG_ESI, X86_REG_EDI, X86_REG_R8D, X86_REG_R9D,
        X86_REG_R10D, X86_REG_R11D, X86_REG_R12D, X86_REG_R13D, X86_REG_R14D, X86_REG_R15D };
    static const x86_reg w[16] = { X86_REG_AX, X86_REG_CX, X86_REG_DX, X86_REG_BX,
        X86_REG_SP, X86_REG_BP, X86_REG_SI, X86_REG_DI, X86_REG_R8W, X86_REG_R9W,
        X86_REG_R10W, X86_REG_R11W, X86_REG_R12W, X86_REG_R13W, X86_REG_R14W, X86_REG_R15W };
    static const x86_reg b[20] = { X86_REG_AL, X86_REG_CL, X86_REG_DL, X86_REG_BL,
        X86_REG_SPL, X86_REG_BPL, X86_REG_SIL, X86_REG_DIL, X86_REG_R8B, X86_REG_R9B,
        X86_REG_R10B, X86_REG_R11B, X86_REG_R12B, X86_REG_R13B, X86_REG_R14B, X86_REG_R15B,
        X86_REG_AH, X86_REG_CH, X86_REG_DH, X86_REG_BH };
    for (int k = 0; k < 16; k++) {
        if (r == q[k]) { *size = 8; return k; }
        if (r == d[k]) { *size = 4; return k; }
        if (r == w[k]) { *size = 2; return k; }
        if (r == b[k]) { *size = 1; return k; }
    }
    for (int k = 16; k < 20; k++)
        if (r == b[k]) { *size = 1; return k - 12; }   /* AH..BH are 4..7 */
    return -1;
}

/* Mnemonics Capstone spells differently for the same instruction. */
static bool same_mnemonic(const char *ours, const char *cs)
{
    static const char *const alias[][2] = {
        { "fwait", "wait" }, { "xlat", "xlatb" }, { "call", "lcall" }, { "jmp", "ljmp" },
        { "mov", "movabs" }, { "shl", "sal" }, { "sal", "shl" }, { "int3", "int3" },
        { "retf", "retfq" }, { "iretd", "iret" }, { "fstp", "fstpnce" }, { "fxch", "fxch" },
        { "pusha", "pushaw" }, { "popa", "popaw" }, { "pushfq", "pushf" }, { "popfq", "popf" },
        { "fnsetpm", "fsetpm" }, { "jecxz", "jrcxz" },   /* Capstone ignores 67 on E3 */
    };
    if (!strcmp(ours, cs))
        return true;
    for (unsigned k = 0; k < sizeof(alias) / sizeof(alias[0]); k++)
        if (!strcmp(ours, alias[k][0]) && !strcmp(cs, alias[k][1]))
            return true;
    return false;
}

/* Our register operand k of decoded record i: number and size, or -1. */
/* A byte register as cs_gpr() numbers it: the decoder gives SPL..DIL
 * (with REX) as 20..23 (cpu.h reg8), cs_gpr() as 4..7 like AH..BH. */
static int byte_reg(unsigned n)
{
    return n >= 20 ? (int)n - 16 : (int)n;
}

static int our_reg(const struct insn *i, unsigned kind, unsigned *size)
{
    unsigned vs = i->opsize == 1 ? (i->rex & REX_W ? 8 : (i->pfx & PFX_OPSZ) ? 2 : 4) : i->opsize;
    switch (kind) {
    case O_Gb: *size = 1; return byte_reg(i->reg);
    case O_Gw: *size = 2; return i->reg;
    case O_Gv: *size = vs; return i->reg;
    case O_Zb: *size = 1; return byte_reg(i->rm);
    case O_Zv: *size = vs; return i->rm;
    case O_Eb: case O_Ew: case O_Ewv: case O_Ewd: case O_Ed: case O_Ev:
        if (i->mod != 3)
            return -1;
        *size = kind == O_Eb ? 1 : kind == O_Ew ? 2 : kind == O_Ed ? 4 :
                kind == O_Ewd ? (vs == 2 ? 2 : 4) : vs;
        return kind == O_Eb ? byte_reg(i->rm) : i->rm;
    default:
        return -1;
    }
}

static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;
static unsigned rnd64(unsigned n)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return (unsigned)(rnd_state % n);
}

static void sweep64(void)
{
    csh h;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK) {
        CHECK(0, "capstone opens in 64-bit mode");
        return;
    }
    cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);
    static const uint8_t modrms[] = { 0x00, 0x04, 0x05, 0x06, 0x07, 0x0c, 0x44, 0x45, 0x46, 0x4c,
                                      0x84, 0x86, 0x8c, 0xc0, 0xc1, 0xd8, 0x3c, 0x7c, 0xbc, 0xe4,
                                      0xf8, 0xf9, 0xec };
    static const uint8_t sibs[] = { 0x24, 0x25, 0x8d, 0x4c, 0xe5, 0x20, 0x65 };
    static const uint8_t legacy[] = { 0x66, 0x67, 0x64, 0x65, 0x2e };
    unsigned tested = 0, cs_skip = 0, len_bad = 0, ea_bad = 0, imm_bad = 0, reg_bad = 0, mn_bad = 0;
    unsigned rows_seen = 0;
    static uint8_t seen[4096];

    for (unsigned op = 0; op < OPMAP_SIZE; op++) {
        uint16_t m = optable_map[op];
        if (!m)
            continue;
        /* Forms Capstone does not decode as the SDM does: SALC, INT1 and
         * UD1 (undocumented or only recently documented), the hint NOPs
         * 0F 18-1E (Capstone names them by their later PREFETCH/BND
         * meanings); x87 forms are compared apart from mnemonic aliases. */
        if (op == 0xf1 || (op >= 0x118 && op <= 0x11e) || op == 0x1b9)
            continue;
        const bool pfx_op = (m & OPMAP_KIND) == OPMAP_PFX;
        for (unsigned t = 0; t < 400; t++) {
            uint8_t b[24];
            unsigned n = 0, npfx = rnd64(3);
            for (unsigned k = 0; k < npfx; k++)
                b[n++] = legacy[rnd64(sizeof(legacy))];
            /* A mandatory prefix (the last before REX) for the rows it selects. */
            if (pfx_op && rnd64(2))
                b[n++] = (uint8_t[]){ 0x66, 0xf3, 0xf2 }[rnd64(3)];
            if (rnd64(3))
                b[n++] = (uint8_t)(0x40 | rnd64(16));
            n = put_opcode(b, n, op);
            b[n++] = modrms[rnd64(sizeof(modrms))];
            b[n++] = sibs[rnd64(sizeof(sibs))];
            for (unsigned k = 0; n < sizeof(b); k++)
                b[n++] = (uint8_t)(0x11 * (k + 1));
            struct insn i;
            int len = decode_bytes(b, sizeof(b), 8, &i);
            const struct oprow *r = &optable_rows[i.row];
            /* Invalid in 64-bit mode or an invalid form: Capstone decodes
             * some of those as other instructions. */
            if (len <= 0 || i.row == 0 || (i.fn == op_ud && r->fn != op_ud))
                continue;
            if (!strcmp(r->mnem, "(bad)"))
                continue;
            /* Where Capstone disagrees with the SDM, GNU objdump agrees with
             * rawbox (checked by hand on each form): Capstone reads RET
             * imm16 (C2) with REX.W as taking a 4-byte immediate; CALL/JMP
             * rel32 with 67 and REX.W as rel16; INS/OUTS with 67 and REX.W
             * as the word form; 66 98/99 as CWDE/CDQ; 66 REX.B 90 as NOP
             * (it is XCHG r8w, ax). */
            if (op == 0xc2 && (i.rex & REX_W))
                continue;
            if (r->imm == IMM_JZ && (i.pfx & PFX_ADSZ) && (i.rex & REX_W))
                continue;
            if ((op == 0x98 || op == 0x99 || op == 0x90) && (i.pfx & PFX_OPSZ))
                continue;
            /* 66 on a near branch in 64-bit mode: Intel ignores it (SDM vol.
             * 2 JMP/Jcc/CALL: operand size fixed at 64 bits), AMD and
             * Capstone take rel16. rawbox follows Intel. */
            if (r->imm == IMM_JZ && (i.pfx & PFX_OPSZ))
                continue;
            if ((op == 0x6d || op == 0x6f) && (i.pfx & PFX_ADSZ) && (i.rex & REX_W))
                continue;
            /* Capstone names a 64-bit destination for MOVSXD without REX.W;
             * the SDM has MOVSXD r32, r/m32 (and r16 with 66). */
            bool skip_regs = op == 0x63 && !(i.rex & REX_W);
            /* Capstone names a 64-bit source for LSL with REX.W (SDM: LSL
             * r64, r32/m16) but a 32-bit one for LAR. */
            skip_regs |= op == 0x103 && (i.rex & REX_W);

            cs_insn *ci;
            size_t cnt = cs_disasm(h, b, sizeof(b), 0x1000, 1, &ci);
            if (cnt != 1) {
                cs_skip++;
                continue;
            }
            /* 66 0F AE /6 /7 with memory are CLWB and CLFLUSHOPT, which
             * rawbox lacks (its group-15 handlers raise #UD); Capstone also
             * names some 0F AE /7 without 66 CLFLUSHOPT. */
            if (op == 0x1ae && ((i.pfx & PFX_OPSZ) || !strcmp(ci->mnemonic, "clflushopt"))) {
                cs_free(ci, cnt);
                continue;
            }
            tested++;
            if (!seen[i.row]) {
                seen[i.row] = 1;
                rows_seen++;
            }
            char hex[64];
            unsigned hp = 0;
            for (int k = 0; k < (len > (int)ci->size ? len : (int)ci->size) && hp + 4 < sizeof(hex); k++)
                hp += (unsigned)snprintf(hex + hp, sizeof(hex) - hp, "%02x ", b[k]);
            if ((int)ci->size != len && len_bad++ < 20)
                printf("64-bit length mismatch %s: ours %d capstone %u (%s %s)\n",
                       hex, len, ci->size, ci->mnemonic, ci->op_str);
            char name[24];
            const char *mn = optable_mnem(r, (r->flags & F_ASZNAME) ? i.adsize : i.opsize, name, sizeof(name));
            /* Rows a mandatory prefix selects (MMX/SSE): Capstone applies
             * 66 only when no other prefix follows it and sometimes keeps it
             * from the previous call (67 4B 0F 6F came back as movdqa), so
             * only their lengths and operands are compared here;
             * disasm_smoke() checks MMX names. */
            bool pfx_row = (m & OPMAP_KIND) == OPMAP_PFX;
            if (!pfx_row && !same_mnemonic(mn, ci->mnemonic) && mn_bad++ < 20)
                printf("64-bit mnemonic mismatch %s: ours %s capstone %s %s\n",
                       hex, mn, ci->mnemonic, ci->op_str);
            cs_x86 *x = &ci->detail->x86;
            for (int k = 0; k < x->op_count; k++) {
                cs_x86_op *o = &x->operands[k];
                if (o->type == X86_OP_MEM && i.mod != 3 && r->modrm) {
                    unsigned sz;
                    int base = o->mem.base == X86_REG_INVALID ? EA_NONE :
                               o->mem.base == X86_REG_RIP || o->mem.base == X86_REG_EIP ? EA_RIP :
                               cs_gpr(o->mem.base, &sz);
                    int index = o->mem.index == X86_REG_INVALID ? EA_NONE : cs_gpr(o->mem.index, &sz);
                    unsigned scale = o->mem.scale == 8 ? 3 : o->mem.scale == 4 ? 2 : o->mem.scale == 2 ? 1 : 0;
                    unsigned ours_scale = i.index == EA_NONE ? 0 : i.scale;
                    if (index == EA_NONE)
                        scale = 0;
                    if (base != i.base || index != i.index || scale != ours_scale ||
                        (int64_t)o->mem.disp != (int64_t)i.disp) {
                        if (ea_bad++ < 20)
                            printf("64-bit operand mismatch %s: ours b%d i%d s%u d%x capstone b%d i%d s%u d%llx (%s %s)\n",
                                   hex, i.base, i.index, ours_scale, (unsigned)i.disp, base, index, scale,
                                   (unsigned long long)o->mem.disp, ci->mnemonic, ci->op_str);
                    }
                }
                if (o->type == X86_OP_IMM && r->imm != IMM_NONE && r->imm != IMM_JB &&
                    r->imm != IMM_JZ && r->imm != IMM_W_B && r->imm != IMM_MOFFS) {
                    uint64_t mask = o->size == 1 || r->imm == IMM_B ? 0xff :
                                    o->size == 2 || r->imm == IMM_W ? 0xffff :
                                    o->size == 4 ? 0xffffffffu : ~0ull;
                    if (((uint64_t)o->imm & mask) != (i.imm & mask) && imm_bad++ < 20)
                        printf("64-bit immediate mismatch %s: ours %llx capstone %llx (%s %s)\n",
                               hex, (unsigned long long)i.imm, (unsigned long long)o->imm,
                               ci->mnemonic, ci->op_str);
                }
                if (o->type == X86_OP_REG && k < 3 && !skip_regs) {
                    unsigned csz, osz;
                    int cn = cs_gpr(o->reg, &csz), on = our_reg(&i, r->o[k], &osz);
                    if (on >= 0 && (cn != on || csz != osz) && reg_bad++ < 20)
                        printf("64-bit register mismatch %s operand %d: ours %d/%u capstone %s (%s %s)\n",
                               hex, k, on, osz, cs_reg_name(h, o->reg), ci->mnemonic, ci->op_str);
                }
            }
            cs_free(ci, cnt);
        }
    }
    printf("sweep64: %u encodings compared over %u rows, %u not decoded by capstone\n",
           tested, rows_seen, cs_skip);
    CHECK(tested > 50000, "the 64-bit sweep compared many encodings (%u)", tested);
    CHECK(rows_seen > 400, "the 64-bit sweep reached the rows valid in 64-bit mode (%u)", rows_seen);
    CHECK_EQ(len_bad, 0, "64-bit lengths agree with capstone");
    CHECK_EQ(ea_bad, 0, "64-bit memory operands agree with capstone");
    CHECK_EQ(imm_bad, 0, "64-bit immediates agree with capstone");
    CHECK_EQ(reg_bad, 0, "64-bit register operands agree with capstone");
    CHECK_EQ(mn_bad, 0, "64-bit mnemonics agree with capstone");
    cs_close(&h);
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
    dec(1, "0f fc 48 08", &i);
    disasm(&i, 0, buf, sizeof(buf));
    CHECK_STR(buf, "paddb mm1, qword [eax+0x8]", "disassembly of an MMX op with m64");
    dec(1, "0f 60 c7", &i);
    disasm(&i, 0, buf, sizeof(buf));
    CHECK_STR(buf, "punpcklbw mm0, mm7", "disassembly of an MMX register form");
    dec(1, "0f 73 d2 05", &i);
    disasm(&i, 0, buf, sizeof(buf));
    CHECK_STR(buf, "psrlq mm2, 0x5", "disassembly of an MMX shift by imm8");
    dec(1, "0f 7e c8", &i);
    disasm(&i, 0, buf, sizeof(buf));
    CHECK_STR(buf, "movd eax, mm1", "disassembly of MOVD r32, mm");
    dec(1, "66 0f 73 fb 04", &i);
    disasm(&i, 0, buf, sizeof(buf));
    CHECK_STR(buf, "pslldq xmm3, 0x4", "disassembly of an SSE2 shift in group 14");
    dec(1, "66 0f d4 08", &i);
    disasm(&i, 0, buf, sizeof(buf));
    CHECK_STR(buf, "paddq xmm1, xmmword [eax]", "disassembly of an SSE2 op with m128");
    dec(1, "f3 0f 58 48 04", &i);
    disasm(&i, 0, buf, sizeof(buf));
    CHECK_STR(buf, "addss xmm1, dword [eax+0x4]", "disassembly of a scalar SSE op with m32");
    dec(1, "66 0f 2f 0b", &i);
    disasm(&i, 0, buf, sizeof(buf));
    CHECK_STR(buf, "comisd xmm1, qword [ebx]", "disassembly of COMISD with m64");
    dec(1, "f2 0f 2d c1", &i);
    disasm(&i, 0, buf, sizeof(buf));
    CHECK_STR(buf, "cvtsd2si eax, xmm1", "disassembly of CVTSD2SI r32");
    dec(1, "66 0f 38 22 00", &i);
    disasm(&i, 0, buf, sizeof(buf));
    CHECK_STR(buf, "pmovsxbq xmm0, word [eax]", "disassembly of PMOVSXBQ m16 (0F 38 map)");
    dec(1, "66 0f 3a 14 c8 03", &i);
    disasm(&i, 0, buf, sizeof(buf));
    CHECK_STR(buf, "pextrb eax, xmm1, 0x3", "disassembly of PEXTRB r32 (0F 3A map, imm8)");
    dec(1, "66 0f 3a 20 08 07", &i);
    disasm(&i, 0, buf, sizeof(buf));
    CHECK_STR(buf, "pinsrb xmm1, byte [eax], 0x7", "disassembly of PINSRB m8");
    dec(1, "66 f2 0f 38 f1 01", &i);
    disasm(&i, 0, buf, sizeof(buf));
    CHECK_STR(buf, "crc32 eax, word [ecx]", "disassembly of CRC32 r32, m16 (66 F2)");
    dec(1, "66 0f 3a 0a 48 04 09", &i);
    disasm(&i, 0, buf, sizeof(buf));
    CHECK_STR(buf, "roundss xmm1, dword [eax+0x4], 0x9", "disassembly of ROUNDSS m32");
}

int main(void)
{
    optable_init();
    quirks();
    sweep();
    disasm_smoke();
    quirks64();
    sweep64();
    return test_summary();
}
