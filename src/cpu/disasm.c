/* Disassembler for traces, driven by the same opcode table as the decoder
 * (Intel syntax). x87 escapes print as "fpu dX /r" with their operand. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "cpu/insn.h"
#include "cpu/optable.h"

static const char *const reg8n[8] = { "al", "cl", "dl", "bl", "ah", "ch", "dh", "bh" };
static const char *const reg16n[8] = { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di" };
static const char *const reg32n[8] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
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

static const char *regname(unsigned n, unsigned size)
{
    return size == 1 ? reg8n[n & 7] : size == 2 ? reg16n[n & 7] : reg32n[n & 7];
}

static void mem_operand(struct out *o, const struct insn *i, const char *ptr)
{
    const char *const *rn = i->adsize == 2 ? reg16n : reg32n;
    if (ptr)
        put(o, "%s ", ptr);
    if (i->pfx & PFX_SEG)
        put(o, "%s:", segn[i->seg & 7]);
    put(o, "[");
    int any = 0;
    if (i->base != EA_NONE) {
        put(o, "%s", rn[i->base]);
        any = 1;
    }
    if (i->index != EA_NONE) {
        put(o, "%s%s", any ? "+" : "", rn[i->index]);
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
    return size == 1 ? "byte" : size == 2 ? "word" : size == 4 ? "dword" : size == 8 ? "qword" : NULL;
}

static void operand(struct out *o, const struct insn *i, unsigned kind, uint32_t eip)
{
    unsigned v = i->opsize == 1 ? 4 : i->opsize;    /* the "v" size */
    unsigned vs = i->opsize == 1 ? (i->pfx & PFX_OPSZ ? 2 : 4) : i->opsize;
    switch (kind) {
    case O_Eb: case O_Ew: case O_Ev: case O_Rd: case O_Fp: {
        unsigned size = kind == O_Eb ? 1 : kind == O_Ew ? 2 : kind == O_Rd ? 4 : vs;
        if (kind == O_Fp && i->mod == 3) {
            put(o, "st(%u)", i->rm);
        } else if (i->mod == 3) {
            put(o, "%s", regname(i->rm, size));
        } else {
            mem_operand(o, i, kind == O_Fp ? NULL : ptr_name(size));
        }
        break;
    }
    case O_M: case O_Ma: case O_Mp: case O_Ms: case O_Mq:
        mem_operand(o, i, kind == O_Mq ? "qword" : kind == O_Mp ? "far" : NULL);
        break;
    case O_Gb: put(o, "%s", reg8n[i->reg]); break;
    case O_Gw: put(o, "%s", reg16n[i->reg]); break;
    case O_Gv: put(o, "%s", regname(i->reg, vs)); break;
    case O_Sw: put(o, "%s", segn[i->reg]); break;
    case O_Cd: put(o, "cr%u", i->reg); break;
    case O_Dd: put(o, "dr%u", i->reg); break;
    case O_Zb: put(o, "%s", reg8n[i->op & 7]); break;
    case O_Zv: put(o, "%s", regname(i->op & 7, vs)); break;
    case O_Ib: put(o, "0x%x", i->imm & 0xff); break;
    case O_Ibs: case O_Iz: case O_Iv:
        put(o, "0x%x", v == 2 ? i->imm & 0xffff : i->imm);
        break;
    case O_Iw: put(o, "0x%x", i->imm & 0xffff); break;
    case O_Jb: case O_Jz: {
        uint32_t t = eip + i->len + i->imm;
        if (vs == 2)
            t &= 0xffff;
        put(o, "0x%x", t);
        break;
    }
    case O_Ap: put(o, "0x%x:0x%x", i->imm2, i->imm); break;
    case O_Ob: case O_Ov:
        mem_operand(o, i, NULL);
        break;
    case O_One: put(o, "1"); break;
    case O_AL: put(o, "al"); break;
    case O_CL: put(o, "cl"); break;
    case O_DX: put(o, "dx"); break;
    case O_eAX: put(o, "%s", vs == 2 ? "ax" : "eax"); break;
    case O_ES: case O_CS: case O_SS: case O_DS: case O_FS: case O_GS:
        put(o, "%s", segn[kind - O_ES]);
        break;
    default:
        break;
    }
}

void disasm(const struct insn *i, uint32_t eip, char *buf, unsigned size)
{
    struct out o = { buf, size };
    const struct oprow *r = &optable_rows[i->row < optable_nrows ? i->row : 0];
    if (!size)
        return;
    buf[0] = 0;
    if (i->pfx & PFX_LOCK)
        put(&o, "lock ");
    if ((r->flags & F_STR) && (i->pfx & PFX_REP))
        put(&o, (i->op == 0xa6 || i->op == 0xa7 || i->op == 0xae || i->op == 0xaf) ? "repe " : "rep ");
    if ((r->flags & F_STR) && (i->pfx & PFX_REPNE))
        put(&o, "repne ");
    if (i->op == 0x98)
        put(&o, "%s", i->opsize == 2 ? "cbw" : "cwde");
    else if (i->op == 0x99)
        put(&o, "%s", i->opsize == 2 ? "cwd" : "cdq");
    else if (r->flags & F_SZNAME) {
        /* pusha/popa/pushf/popf/iret take "d" for 32-bit only; string
         * instructions and ins/outs take "w" or "d". */
        int strop = (r->flags & F_STR) != 0;
        put(&o, "%s%s", r->mnem, i->opsize == 2 ? (strop ? "w" : "") : "d");
    } else
        put(&o, "%s", r->mnem);
    if (i->op >= 0xd8 && i->op <= 0xdf)
        put(&o, " %02x/%u", i->op, i->reg);
    for (int k = 0; k < 3 && r->o[k] != O___; k++) {
        put(&o, k ? ", " : " ");
        operand(&o, i, r->o[k], eip);
    }
}
