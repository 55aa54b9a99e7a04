/* Disassembler for traces, driven by the same opcode table as the decoder
 * (Intel syntax): every form, x87 included, prints its row's mnemonic
 * (picked by operand size where the row names several) and operands. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "cpu/insn.h"
#include "cpu/optable.h"

static const char *const reg8n[8] = { "al", "cl", "dl", "bl", "ah", "ch", "dh", "bh" };
static const char *const reg8x[16] = { "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
                                       "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b" };
static const char *const reg16n[16] = { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
                                        "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w" };
static const char *const reg32n[16] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
                                        "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d" };
static const char *const reg64n[16] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
static const char *const segn[8] = { "es", "cs", "ss", "ds", "fs", "gs", "?6", "?7" };

struct out {
    char *p;
    unsigned left;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->p, o->left, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((unsigned)n >= o->left)
        n = (int)o->left - 1;
    o->p += n;
    o->left -= (unsigned)n;
}

/* Register n (0..15) of `size` bytes; byte registers 4..7 are SPL..DIL
 * when the instruction has a REX prefix. */
static const char *regname(const struct insn *i, unsigned n, unsigned size)
{
    if (size == 1)
        return i->rex ? reg8x[n & 15] : reg8n[n & 7];
    return size == 2 ? reg16n[n & 15] : size == 4 ? reg32n[n & 15] : reg64n[n & 15];
}

static void mem_operand(struct out *o, const struct insn *i, const char *ptr)
{
    const char *const *rn = i->adsize == 2 ? reg16n : i->adsize == 4 ? reg32n : reg64n;
    if (ptr)
        put(o, "%s ", ptr);
    if (i->pfx & PFX_SEG)
        put(o, "%s:", segn[i->seg & 7]);
    put(o, "[");
    int any = 0;
    if (i->base == EA_RIP) {
        put(o, "%s", i->adsize == 8 ? "rip" : "eip");
        any = 1;
    } else if (i->base != EA_NONE) {
        put(o, "%s", rn[i->base & 15]);
        any = 1;
    }
    if (i->index != EA_NONE) {
        put(o, "%s%s", any ? "+" : "", rn[i->index & 15]);
        if (i->scale)
            put(o, "*%u", 1u << i->scale);
        any = 1;
    }
    uint32_t d = i->disp;
    if (i->adsize == 2)
        d &= 0xffff;
    if (!any)
        put(o, "0x%x", d);
    else if (d) {
        int32_t sd = i->adsize == 2 ? (int16_t)d : (int32_t)d;
        if (sd < 0)
            put(o, "-0x%x", (unsigned)-sd);
        else
            put(o, "+0x%x", (unsigned)sd);
    }
    put(o, "]");
}

static const char *ptr_name(unsigned size)
{
    return size == 1 ? "byte" : size == 2 ? "word" : size == 4 ? "dword" : size == 8 ? "qword" :
           size == 10 ? "tword" : NULL;
}

static void operand(struct out *o, const struct insn *i, unsigned kind, uint64_t eip)
{
    /* The operand size of "v" operands in a byte-sized row (the second
     * operand of MOVZX-like rows is not byte-sized; the row's is). */
    unsigned vs = i->opsize;
    if (vs == 1)
        vs = i->rex & REX_W ? 8 : (i->pfx & PFX_OPSZ) ? 2 : 4;
    uint64_t vmask = vs == 2 ? 0xffff : vs == 4 ? 0xffffffffu : ~(uint64_t)0;
    switch (kind) {
    case O_Eb: case O_Ew: case O_Ewv: case O_Ewd: case O_Ed: case O_Ev: case O_Rd: {
        unsigned size = kind == O_Eb ? 1 : kind == O_Ew ? 2 : kind == O_Ed ? 4 :
                        kind == O_Ewv ? (i->mod == 3 ? vs : 2) :
                        kind == O_Ewd ? (i->mod == 3 && vs != 2 ? 4 : 2) :
                        kind == O_Rd ? (i->adsize == 8 || i->opsize == 8 ? 8 : 4) : vs;
        if (i->mod == 3)
            put(o, "%s", regname(i, i->rm, size));
        else
            mem_operand(o, i, ptr_name(size));
        break;
    }
    case O_M: case O_Ma: case O_Mp: case O_Ms:
        mem_operand(o, i, kind == O_Mp ? "far" : NULL);
        break;
    case O_Mw: mem_operand(o, i, "word"); break;
    case O_Md: mem_operand(o, i, "dword"); break;
    case O_Mq:      /* m64, or m128 for CMPXCHG16B (REX.W) */
        mem_operand(o, i, i->opsize == 8 && !(optable_rows[i->row].flags & F_X87) ? "xmmword" : "qword");
        break;
    case O_Mt: mem_operand(o, i, "tword"); break;
    case O_ST0: put(o, "st0"); break;
    case O_Pq: put(o, "mm%u", i->reg & 7); break;
    case O_Nq:      /* groups 12-14: 66 selects the XMM form */
        if (i->pfx & PFX_OPSZ)
            put(o, "xmm%u", i->rm);
        else
            put(o, "mm%u", i->rm & 7);
        break;
    case O_Qq: case O_Qd:
        if (i->mod == 3)
            put(o, "mm%u", i->rm & 7);
        else
            mem_operand(o, i, kind == O_Qq ? "qword" : "dword");
        break;
    case O_Vx: put(o, "xmm%u", i->reg); break;
    case O_Wx:
        if (i->mod == 3)
            put(o, "xmm%u", i->rm);
        else
            mem_operand(o, i, "xmmword");
        break;
    case O_Wq: case O_Wd: case O_Ww:
        if (i->mod == 3)
            put(o, "xmm%u", i->rm);
        else
            mem_operand(o, i, ptr_name(kind == O_Wq ? 8 : kind == O_Wd ? 4 : 2));
        break;
    case O_Gy: put(o, "%s", regname(i, i->reg, i->rex & REX_W ? 8 : 4)); break;
    case O_RyMb: case O_RyMw: case O_RyMd:
        if (i->mod == 3)
            put(o, "%s", regname(i, i->rm, i->rex & REX_W ? 8 : 4));
        else
            mem_operand(o, i, ptr_name(kind == O_RyMb ? 1 : kind == O_RyMw ? 2 : 4));
        break;
    case O_Ey: {
        unsigned size = i->rex & REX_W ? 8 : 4;
        if (i->mod == 3)
            put(o, "%s", regname(i, i->rm, size));
        else
            mem_operand(o, i, ptr_name(size));
        break;
    }
    case O_STi: put(o, "st%u", i->rm & 7); break;
    case O_Gb: put(o, "%s", regname(i, i->reg, 1)); break;
    case O_Gw: put(o, "%s", regname(i, i->reg, 2)); break;
    case O_Gv: put(o, "%s", regname(i, i->reg, vs)); break;
    case O_Sw: put(o, "%s", segn[i->reg & 7]); break;
    case O_Cd: put(o, "cr%u", i->reg); break;
    case O_Dd: put(o, "dr%u", i->reg); break;
    case O_Zb: put(o, "%s", regname(i, i->rm, 1)); break;
    case O_Zv: put(o, "%s", regname(i, i->rm, vs)); break;
    case O_Ib: put(o, "0x%x", (unsigned)(i->imm & 0xff)); break;
    case O_Ibs: case O_Iz: case O_Iv:
        put(o, "0x%llx", (unsigned long long)(i->imm & vmask));
        break;
    case O_Iw: put(o, "0x%x", (unsigned)(i->imm & 0xffff)); break;
    case O_Jb: case O_Jz: {
        uint64_t t = eip + i->len + i->imm;
        put(o, "0x%llx", (unsigned long long)(t & vmask));
        break;
    }
    case O_Ap: put(o, "0x%x:0x%llx", i->imm2, (unsigned long long)i->imm); break;
    case O_Ob: case O_Ov:
        if (i->adsize == 8)
            put(o, "[0x%llx]", (unsigned long long)i->imm);
        else
            mem_operand(o, i, NULL);
        break;
    case O_One: put(o, "1"); break;
    case O_AL: put(o, "al"); break;
    case O_CL: put(o, "cl"); break;
    case O_DX: put(o, "dx"); break;
    case O_AX: put(o, "ax"); break;
    case O_eAX: put(o, "%s", regname(i, R_EAX, vs)); break;
    case O_ES: case O_CS: case O_SS: case O_DS: case O_FS: case O_GS:
        put(o, "%s", segn[kind - O_ES]);
        break;
    default:
        break;
    }
}

void disasm(const struct insn *i, uint64_t eip, char *buf, unsigned size)
{
    struct out o = { buf, size };
    const struct oprow *r = &optable_rows[i->row < optable_nrows ? i->row : 0];
    char name[24];
    if (!size)
        return;
    buf[0] = 0;
    if (i->pfx & PFX_LOCK)
        put(&o, "lock ");
    if ((r->flags & F_STR) && (i->pfx & PFX_REP))
        put(&o, (r->flags & F_REPE) ? "repe " : "rep ");
    if ((r->flags & F_STR) && (i->pfx & PFX_REPNE))
        put(&o, "repne ");
    put(&o, "%s", optable_mnem(r, (r->flags & F_ASZNAME) ? i->adsize : i->opsize, name, sizeof(name)));
    for (int k = 0; k < 3 && r->o[k] != O___; k++) {
        put(&o, k ? ", " : " ");
        operand(&o, i, r->o[k], eip);
    }
}
