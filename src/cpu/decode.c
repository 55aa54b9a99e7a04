/* Instruction decoder for 16- and 32-bit code (Intel SDM vol. 2 ch. 2):
 * legacy prefixes, one- and two-byte opcodes, ModRM/SIB with 16- and 32-bit
 * addressing, displacements and immediates, all driven by optable.def.
 *
 * The result is a struct insn the interpreter runs and the decode cache
 * keeps. Instructions over 15 bytes raise #GP(0); invalid opcodes and
 * invalid operand forms (register where memory is required, LOCK where it
 * is not allowed) decode to op_ud so the fault is raised when executed. */
#include <string.h>
#include "cpu/insn.h"
#include "cpu/optable.h"
#include "cpu/mmu.h"
#include "cpu/except.h"
#include "cpu/fastops.h"

#define MAX_INSN_LEN 15

static const uint8_t base16[8]  = { R_EBX, R_EBX, R_EBP, R_EBP, R_ESI, R_EDI, R_EBP, R_EBX };
static const uint8_t index16[8] = { R_ESI, R_EDI, R_ESI, R_EDI, EA_NONE, EA_NONE, EA_NONE, EA_NONE };

/* Returns length, 0 if more bytes are needed than `avail`, -1 if > 15. */
int decode_bytes(const uint8_t *b, unsigned avail, int code32, struct insn *o)
{
    unsigned n = 0, lim = avail < MAX_INSN_LEN ? avail : MAX_INSN_LEN;
    uint8_t pfx = 0, seg = SEG_DS, segov = 0xff;

#define NEED(k) do { if (n + (k) > lim) return avail < MAX_INSN_LEN && n + (k) <= MAX_INSN_LEN ? 0 : -1; } while (0)

    optable_init();
    for (;;) {
        NEED(1);
        uint8_t c = b[n];
        switch (c) {
        case 0x26: segov = SEG_ES; break;
        case 0x2e: segov = SEG_CS; break;
        case 0x36: segov = SEG_SS; break;
        case 0x3e: segov = SEG_DS; break;
        case 0x64: segov = SEG_FS; break;
        case 0x65: segov = SEG_GS; break;
        case 0x66: pfx |= PFX_OPSZ; break;
        case 0x67: pfx |= PFX_ADSZ; break;
        case 0xf0: pfx |= PFX_LOCK; break;
        case 0xf2: pfx = (uint8_t)((pfx & ~PFX_REP) | PFX_REPNE); break;
        case 0xf3: pfx = (uint8_t)((pfx & ~PFX_REPNE) | PFX_REP); break;
        default: goto opcode;
        }
        n++;
    }
opcode:;
    unsigned op = b[n++];
    if (op == 0x0f) {
        NEED(1);
        op = 0x100 | b[n++];
    }
    unsigned opsize = (code32 ^ !!(pfx & PFX_OPSZ)) ? 4 : 2;
    unsigned adsize = (code32 ^ !!(pfx & PFX_ADSZ)) ? 4 : 2;
    if (segov != 0xff)
        pfx |= PFX_SEG;

    uint16_t m = optable_map[op];
    unsigned row;
    int has_modrm;
    if (m & OPMAP_GROUP) {
        NEED(1);
        row = optable_groups[m & 0xff][(b[n] >> 3) & 7];
        has_modrm = 1;
    } else {
        row = m;
        has_modrm = optable_rows[row].modrm;
    }
    const struct oprow *r = &optable_rows[row];

    memset(o, 0, sizeof(*o));
    o->fn = r->fn;
    o->op = (uint16_t)op;
    o->row = (uint16_t)row;
    o->base = o->index = EA_NONE;
    o->opsize = (uint8_t)(r->byteop ? 1 : opsize);
    o->adsize = (uint8_t)adsize;

    if (has_modrm) {
        NEED(1);
        uint8_t mr = b[n++];
        o->modrm = mr;
        o->mod = mr >> 6;
        o->reg = (mr >> 3) & 7;
        o->rm = mr & 7;
        if (r->flags & F_REGMOD)
            o->mod = 3;
        if (o->mod == 3) {
            if (r->memonly)
                o->fn = op_ud;
        } else if (adsize == 2) {
            if (o->mod == 0 && o->rm == 6) {
                NEED(2);
                o->disp = (uint32_t)(b[n] | b[n + 1] << 8);
                n += 2;
            } else {
                o->base = base16[o->rm];
                o->index = index16[o->rm];
                if (o->base == R_EBP)
                    seg = SEG_SS;
                if (o->mod == 1) {
                    NEED(1);
                    o->disp = (uint32_t)(int32_t)(int8_t)b[n++];
                } else if (o->mod == 2) {
                    NEED(2);
                    o->disp = (uint32_t)(b[n] | b[n + 1] << 8);
                    n += 2;
                }
            }
        } else {
            unsigned base = o->rm;
            if (o->rm == 4) {
                NEED(1);
                uint8_t sib = b[n++];
                o->scale = sib >> 6;
                unsigned idx = (sib >> 3) & 7;
                o->index = idx == 4 ? EA_NONE : (uint8_t)idx;
                base = sib & 7;
            }
            if (base == 5 && o->mod == 0) {
                NEED(4);
                memcpy(&o->disp, b + n, 4);
                n += 4;
            } else {
                o->base = (uint8_t)base;
                if (base == R_ESP || base == R_EBP)
                    seg = SEG_SS;
                if (o->mod == 1) {
                    NEED(1);
                    o->disp = (uint32_t)(int32_t)(int8_t)b[n++];
                } else if (o->mod == 2) {
                    NEED(4);
                    memcpy(&o->disp, b + n, 4);
                    n += 4;
                }
            }
        }
    }

    switch (r->imm) {
    case IMM_NONE:
        break;
    case IMM_B:
        NEED(1);
        o->imm = b[n++];
        break;
    case IMM_BS: case IMM_JB:
        NEED(1);
        o->imm = (uint32_t)(int32_t)(int8_t)b[n++];
        break;
    case IMM_W:
        NEED(2);
        o->imm = (uint32_t)(b[n] | b[n + 1] << 8);
        n += 2;
        break;
    case IMM_W_B:
        NEED(3);
        o->imm = (uint32_t)(b[n] | b[n + 1] << 8);
        o->imm2 = b[n + 2];
        n += 3;
        break;
    case IMM_Z: case IMM_JZ:
        if (opsize == 2) {
            NEED(2);
            o->imm = (uint32_t)(b[n] | b[n + 1] << 8);
            if (r->imm == IMM_JZ)
                o->imm = (uint32_t)(int32_t)(int16_t)o->imm;
            n += 2;
        } else {
            NEED(4);
            memcpy(&o->imm, b + n, 4);
            n += 4;
        }
        break;
    case IMM_AP:
        NEED(opsize + 2);
        if (opsize == 2)
            o->imm = (uint32_t)(b[n] | b[n + 1] << 8);
        else
            memcpy(&o->imm, b + n, 4);
        n += opsize;
        o->imm2 = (uint16_t)(b[n] | b[n + 1] << 8);
        n += 2;
        break;
    case IMM_MOFFS:
        NEED(adsize);
        if (adsize == 2)
            o->disp = (uint32_t)(b[n] | b[n + 1] << 8);
        else
            memcpy(&o->disp, b + n, 4);
        n += adsize;
        break;
    }
#undef NEED

    o->seg = segov != 0xff ? segov : seg;
    o->pfx = pfx;
    o->len = (uint8_t)n;
    if ((pfx & PFX_LOCK) && (!(r->flags & F_LOCK) || o->mod == 3 || !has_modrm))
        o->fn = op_ud;
    return (int)n;
}

void decode_insn(struct cpu *cpu, uint32_t lin, struct insn *out)
{
    uint8_t buf[MAX_INSN_LEN];
    unsigned in_page = 4096u - (lin & (4096u - 1));
    unsigned have = in_page < MAX_INSN_LEN ? in_page : MAX_INSN_LEN;

    mmu_fetch(cpu, lin, buf, have);
    int len = decode_bytes(buf, have, cpu->s.code_size == 4, out);
    if (len == 0) {
        /* Crosses into the next page: fetch the rest (may fault there). */
        mmu_fetch(cpu, lin + have, buf + have, MAX_INSN_LEN - have);
        len = decode_bytes(buf, MAX_INSN_LEN, cpu->s.code_size == 4, out);
    }
    if (len < 0)
        except_gp(cpu, 0);
    fastops_specialize(out);
}
