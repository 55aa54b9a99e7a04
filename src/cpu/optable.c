/* Builds the opcode maps from optable.def and gives every handler named
 * there a weak default, so a family not written yet raises #UD (and says so
 * once under LOG_CPU) instead of breaking the link. */
#include <stdbool.h>
#include <stdio.h>
#include "cpu/optable.h"
#include "cpu/except.h"
#include "util/log.h"

void op_unimpl(struct cpu *cpu, const struct insn *i)
{
    static uint8_t said[OPMAP_SIZE];
    if (i->op < OPMAP_SIZE && !said[i->op]) {
        said[i->op] = 1;
        log_warn("cpu: unimplemented instruction %s (opcode %s%02x) at %04x:%08x",
                 optable_rows[i->row].mnem, i->op >= 0x100 ? "0f " : "",
                 i->op & 0xff, cpu->s.seg[SEG_CS].sel, EIP(cpu));
    }
    except_ud(cpu);
}

void op_ud(struct cpu *cpu, const struct insn *i)
{
    (void)i;
    except_ud(cpu);
}

#define H(name) void name(struct cpu *cpu, const struct insn *i) \
    __attribute__((weak, alias("op_unimpl")));
#include "cpu/handlers.def"
#undef H

enum {
    GRP1_Eb_Ib, GRP1_Ev_Iz, GRP1_Ev_Ibs, GRP1A, GRP2_Eb_Ib, GRP2_Ev_Ib,
    GRP2_Eb_1, GRP2_Ev_1, GRP2_Eb_CL, GRP2_Ev_CL, GRP3_Eb, GRP3_Ev, GRP4,
    GRP5, GRP6, GRP7, GRP8, GRP9, GRP11_Eb_Ib, GRP11_Ev_Iz, GRP_COUNT
};

struct oprow optable_rows[] = {
    { "(bad)", op_ud, { O___, O___, O___ }, 0, 0, 0, 0, 0 },
#define X(op, mn, a, b, c, fn, fl) { mn, fn, { O_##a, O_##b, O_##c }, fl, 0, 0, 0, 0 },
#define G(grp, reg, mn, a, b, c, fn, fl) X(0, mn, a, b, c, fn, fl)
#define XG(op, grp)
#include "cpu/optable.def"
#undef X
#undef G
#undef XG
};
unsigned optable_nrows = sizeof(optable_rows) / sizeof(optable_rows[0]);

uint16_t optable_map[OPMAP_SIZE];
uint16_t optable_groups[GRP_COUNT][8];

static void derive(struct oprow *r)
{
    for (int k = 0; k < 3; k++) {
        switch (r->o[k]) {
        case O_Eb: case O_Ew: case O_Ev: case O_Gb: case O_Gw: case O_Gv:
        case O_Sw: case O_Cd: case O_Dd: case O_Rd: case O_Fp:
            r->modrm = 1;
            break;
        case O_M: case O_Ma: case O_Mp: case O_Ms: case O_Mq:
            r->modrm = 1;
            r->memonly = 1;
            break;
        case O_Ib:  r->imm = r->imm == IMM_W ? IMM_W_B : IMM_B; break;
        case O_Ibs: r->imm = IMM_BS; break;
        case O_Iw:  r->imm = IMM_W; break;
        case O_Iz: case O_Iv: r->imm = IMM_Z; break;
        case O_Jb:  r->imm = IMM_JB; break;
        case O_Jz:  r->imm = IMM_JZ; break;
        case O_Ap:  r->imm = IMM_AP; break;
        case O_Ob: case O_Ov: r->imm = IMM_MOFFS; break;
        default: break;
        }
    }
    switch (r->o[0]) {
    case O_Eb: case O_Gb: case O_AL: case O_Ob: case O_Zb:
        r->byteop = 1;
        break;
    default:
        break;
    }
}

void optable_init(void)
{
    static bool done;
    if (done)
        return;
    unsigned row = 1;
#define X(op, mn, a, b, c, fn, fl) optable_map[op] = (uint16_t)row++;
#define G(grp, reg, mn, a, b, c, fn, fl) optable_groups[grp][reg] = (uint16_t)row++;
#define XG(op, grp) optable_map[op] = OPMAP_GROUP | grp;
#include "cpu/optable.def"
#undef X
#undef G
#undef XG
    for (unsigned k = 0; k < optable_nrows; k++)
        derive(&optable_rows[k]);
    /* Group opcodes always carry a ModRM byte, even for rows that are #UD. */
    optable_rows[0].modrm = 0;
    done = true;
}
