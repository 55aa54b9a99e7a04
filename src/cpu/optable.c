/* Builds the opcode maps from optable.def and gives every handler named
 * there a weak default, so a family not written yet raises #UD (and says so
 * once under LOG_CPU) instead of breaking the link. optable_test checks that
 * no row of the built binary still points at that default. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "cpu/optable.h"
#include "cpu/alu.h"
#include "cpu/except.h"
#include "cpu/simd/simd_ops.h"
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
    GRP1_Eb_Ib, GRP1_82, GRP1_Ev_Iz, GRP1_Ev_Ibs, GRP1A, GRP2_Eb_Ib, GRP2_Ev_Ib,
    GRP2_Eb_1, GRP2_Ev_1, GRP2_Eb_CL, GRP2_Ev_CL, GRP3_Eb, GRP3_Ev, GRP4,
    GRP5, GRP6, GRP7, GRP8, GRP9, GRP11_Eb_Ib, GRP11_Ev_Iz,
    GRP12, GRP13, GRP14,
    X87_D8, X87_D9, X87_DA, X87_DB, X87_DC, X87_DD, X87_DE, X87_DF, GRP_COUNT
};

/* Mandatory-prefix and mode selectors as optable.def spells them. */
enum { PFXSEL_NP = MPFX_NP, PFXSEL_66 = MPFX_66, PFXSEL_F3 = MPFX_F3, PFXSEL_F2 = MPFX_F2 };
enum { MODE_LEG, MODE_L64 };
#define ANY 8

/* Flag masks as optable.def spells them (letters of OSZAPC). */
#define FM6__      0u
#define FM6_A      FM_A
#define FM6_AC     (FM_A | FM_C)
#define FM6_C      FM_C
#define FM6_CZ     (FM_C | FM_Z)
#define FM6_O      FM_O
#define FM6_OA     (FM_O | FM_A)
#define FM6_OAC    (FM_O | FM_A | FM_C)
#define FM6_OC     (FM_O | FM_C)
#define FM6_OSAP   (FM_O | FM_S | FM_A | FM_P)
#define FM6_OSAPC  (FM_O | FM_S | FM_A | FM_P | FM_C)
#define FM6_OSZAP  (FM_O | FM_S | FM_Z | FM_A | FM_P)
#define FM6_OSZAPC (FM_O | FM_S | FM_Z | FM_A | FM_P | FM_C)
#define FM6_OSZP   (FM_O | FM_S | FM_Z | FM_P)
#define FM6_P      FM_P
#define FM6_S      FM_S
#define FM6_SO     (FM_S | FM_O)
#define FM6_SZAP   (FM_S | FM_Z | FM_A | FM_P)
#define FM6_SZAPC  (FM_S | FM_Z | FM_A | FM_P | FM_C)
#define FM6_Z      FM_Z
#define FM6_ZSO    (FM_Z | FM_S | FM_O)

#define ROW(mn, a, b, c, fn, sub, feat, fr, fw, fu, fl) \
    { mn, fn, { O_##a, O_##b, O_##c }, (uint8_t)(sub), FEAT_##feat, \
      FM6_##fr, FM6_##fw, FM6_##fu, fl, 0, 0, 0, 0 },

struct oprow optable_rows[] = {
    { "(bad)", op_ud, { O___, O___, O___ }, 0, FEAT_BASE, 0, 0, 0, 0, 0, 0, 0, 0 },
#define X(map, op, ...) ROW(__VA_ARGS__)
#define XG(map, op, grp)
#define XP(map, op, pfx, ...) ROW(__VA_ARGS__)
#define XD(map, op, mode, ...) ROW(__VA_ARGS__)
#define G(grp, reg, ...) ROW(__VA_ARGS__)
#define GM(grp, reg, ...) ROW(__VA_ARGS__)
#define GR(grp, reg, rm, ...) ROW(__VA_ARGS__)
#define GD(grp, mn, fn) ROW(mn, __, __, __, fn, 0, FPU, _, _, _, F_X87)
#include "cpu/optable.def"
#undef X
#undef XG
#undef XP
#undef XD
#undef G
#undef GM
#undef GR
#undef GD
};
unsigned optable_nrows = sizeof(optable_rows) / sizeof(optable_rows[0]);

/* Prefix tables and mode-dual pairs, one per opcode that has them. */
/* Upper bounds: one table per XP row, one pair per XD row. */
enum {
#define X(...)
#define XG(...)
#define XP(map, op, pfx, ...) OPTABLE_PFX_##map##_##op##_##pfx,
#define XD(...)
#define G(...)
#define GM(...)
#define GR(...)
#define GD(...)
#include "cpu/optable.def"
    OPTABLE_MAX_PFX
};
#undef XP
#undef XD
#define XP(...)
#define XD(map, op, mode, ...) OPTABLE_DUAL_##map##_##op##_##mode,
enum {
#include "cpu/optable.def"
    OPTABLE_MAX_DUAL
};
#undef X
#undef XG
#undef XP
#undef XD
#undef G
#undef GM
#undef GR
#undef GD

uint16_t optable_map[OPMAP_SIZE];
struct opgroup optable_groups[GRP_COUNT];
uint16_t optable_pfx[OPTABLE_MAX_PFX][4];
uint16_t optable_dual[OPTABLE_MAX_DUAL][2];

static void derive(struct oprow *r)
{
    for (int k = 0; k < 3; k++) {
        switch (r->o[k]) {
        case O_Eb: case O_Ew: case O_Ewv: case O_Ewd: case O_Ed: case O_Ev: case O_Gb: case O_Gw: case O_Gv:
        case O_Sw: case O_Cd: case O_Dd: case O_Rd: case O_STi:
        case O_Pq: case O_Qq: case O_Qd: case O_Nq: case O_Ey: case O_Vx: case O_Wx:
        case O_Wq: case O_Wd: case O_Ww: case O_Gy: case O_RyMb: case O_RyMw: case O_RyMd:
            r->modrm = 1;
            break;
        case O_M: case O_Ma: case O_Mp: case O_Ms: case O_Mw: case O_Md: case O_Mq: case O_Mt:
            r->modrm = 1;
            r->memonly = 1;
            break;
        case O_Ib:  r->imm = r->imm == IMM_W ? IMM_W_B : IMM_B; break;
        case O_Ibs: r->imm = IMM_BS; break;
        case O_Iw:  r->imm = IMM_W; break;
        case O_Iz:  r->imm = IMM_Z; break;
        case O_Iv:  r->imm = IMM_V; break;
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

/* Fill the mod == 3 slots of (grp, reg) for rm (ANY: all eight). */
static void set_reg_slots(unsigned grp, unsigned reg, unsigned rm, uint16_t row)
{
    for (unsigned k = 0; k < 8; k++)
        if (rm == ANY || rm == k)
            optable_groups[grp].reg[reg][k] = row;
}

void optable_init(void)
{
    static bool done;
    if (done)
        return;
    unsigned row = 1, npfx = 0, ndual = 0;
    uint16_t pfx_of[OPMAP_SIZE] = { 0 }, dual_of[OPMAP_SIZE] = { 0 };
    uint16_t grp_default[GRP_COUNT] = { 0 };

#define KEY(map, op) ((unsigned)(map) << 8 | (unsigned)(op))
#define X(map, op, ...) optable_map[KEY(map, op)] = (uint16_t)row++;
#define XG(map, op, grp) optable_map[KEY(map, op)] = (uint16_t)(OPMAP_GROUP | grp);
#define XP(map, op, pfx, ...) do {                                          \
        unsigned key = KEY(map, op);                                        \
        if (!pfx_of[key])                                                   \
            pfx_of[key] = (uint16_t)++npfx;                                 \
        optable_map[key] = (uint16_t)(OPMAP_PFX | (pfx_of[key] - 1));       \
        optable_pfx[pfx_of[key] - 1][PFXSEL_##pfx] = (uint16_t)row++;       \
    } while (0);
#define XD(map, op, mode, ...) do {                                         \
        unsigned key = KEY(map, op);                                        \
        if (!dual_of[key])                                                  \
            dual_of[key] = (uint16_t)++ndual;                               \
        optable_map[key] = (uint16_t)(OPMAP_DUAL | (dual_of[key] - 1));     \
        optable_dual[dual_of[key] - 1][MODE_##mode] = (uint16_t)row++;      \
    } while (0);
#define G(grp, reg, ...) do {                                               \
        optable_groups[grp].mem[reg] = (uint16_t)row;                       \
        set_reg_slots(grp, reg, ANY, (uint16_t)row++);                      \
    } while (0);
#define GM(grp, reg, ...) optable_groups[grp].mem[reg] = (uint16_t)row++;
#define GR(grp, reg, rm, ...) set_reg_slots(grp, reg, rm, (uint16_t)row++);
#define GD(grp, mn, fn) grp_default[grp] = (uint16_t)row++;
#include "cpu/optable.def"
#undef X
#undef XG
#undef XP
#undef XD
#undef G
#undef GM
#undef GR
#undef GD
#undef KEY
    for (unsigned g = 0; g < GRP_COUNT; g++) {
        if (!grp_default[g])
            continue;
        for (unsigned r = 0; r < 8; r++) {
            if (!optable_groups[g].mem[r])
                optable_groups[g].mem[r] = grp_default[g];
            for (unsigned m = 0; m < 8; m++)
                if (!optable_groups[g].reg[r][m])
                    optable_groups[g].reg[r][m] = grp_default[g];
        }
    }
    for (unsigned k = 0; k < optable_nrows; k++)
        derive(&optable_rows[k]);
    /* Group opcodes always carry a ModRM byte, even for rows that are #UD. */
    optable_rows[0].modrm = 0;
    done = true;
}

uint32_t optable_eflags(unsigned fm)
{
    return ((fm & FM_C) ? FL_CF : 0) | ((fm & FM_P) ? FL_PF : 0) | ((fm & FM_A) ? FL_AF : 0) |
           ((fm & FM_Z) ? FL_ZF : 0) | ((fm & FM_S) ? FL_SF : 0) | ((fm & FM_O) ? FL_OF : 0);
}

const char *optable_mnem(const struct oprow *r, unsigned size, char *buf, unsigned len)
{
    const char *p = r->mnem;
    unsigned k = size == 8 ? 2 : size == 4 ? 1 : 0;
    if (!strchr(p, '/'))
        return p;
    /* Pick the k-th name, or the last one there is. */
    for (; k; k--) {
        const char *s = strchr(p, '/');
        if (!s)
            break;
        p = s + 1;
    }
    unsigned n = 0;
    while (p[n] && p[n] != '/' && n + 1 < len) {
        buf[n] = p[n];
        n++;
    }
    if (len)
        buf[n] = 0;
    return buf;
}
