/* Instruction decoder for 16-, 32- and 64-bit code (Intel SDM vol. 2 ch. 2):
 * legacy prefixes, REX, the one-byte, 0F, 0F 38 and 0F 3A maps, ModRM/SIB
 * with 16-, 32- and 64-bit addressing (RIP-relative in 64-bit mode),
 * displacements and immediates, all driven by optable.def.
 *
 * The result is a struct insn the interpreter runs and the decode cache
 * keeps. Instructions over 15 bytes raise #GP(0); invalid opcodes and
 * invalid operand forms (register where memory is required, LOCK where it
 * is not allowed, a form the mode does not have) decode to op_ud so the
 * fault is raised when executed.
 *
 * 64-bit mode (SDM vol. 2 2.2.1): 40-4F are REX prefixes; a REX counts only
 * directly before the opcode (a legacy prefix after it cancels it, as KVM's
 * x86_decode_insn does); REX.W makes the operand size 8 and wins over 66;
 * rows marked D64 default to 8 (66 gives 2), F64 rows are always 8; 67
 * selects 32-bit addressing; ModRM mod 0 rm 5 is RIP-relative; ES, CS, SS
 * and DS overrides are ignored. Executing 64-bit code is later work: the
 * handlers see the record, the 64-bit-only rows raise #UD. */
#include <string.h>
#include "cpu/insn.h"
#include "cpu/optable.h"
#include "cpu/mmu.h"
#include "cpu/except.h"
#include "cpu/fastops.h"

#define MAX_INSN_LEN 15

static const uint8_t base16[8]  = { R_EBX, R_EBX, R_EBP, R_EBP, R_ESI, R_EDI, R_EBP, R_EBX };
static const uint8_t index16[8] = { R_ESI, R_EDI, R_ESI, R_EDI, EA_NONE, EA_NONE, EA_NONE, EA_NONE };

static inline uint32_t le16(const uint8_t *p) { return (uint32_t)(p[0] | p[1] << 8); }
static inline uint32_t le32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* Returns length, 0 if more bytes are needed than `avail`, -1 if > 15. */
int decode_bytes(const uint8_t *b, unsigned avail, unsigned code_size, struct insn *o)
{
    unsigned n = 0, lim = avail < MAX_INSN_LEN ? avail : MAX_INSN_LEN;
    uint8_t pfx = 0, seg = SEG_DS, segov = 0xff, rex = 0, last_rep = 0;
    const bool long64 = code_size == 8;

#define NEED(k) do { if (n + (k) > lim) return avail < MAX_INSN_LEN && n + (k) <= MAX_INSN_LEN ? 0 : -1; } while (0)
/* Sign-extend a 32-bit immediate the way the mode keeps it (insn.imm). */
#define SX(v) (long64 ? (uint64_t)(int64_t)(int32_t)(v) : (uint64_t)(uint32_t)(v))

    optable_init();
    for (;;) {
        NEED(1);
        uint8_t c = b[n];
        if (long64 && (c & 0xf0) == 0x40) {
            rex = c;
            n++;
            continue;
        }
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
        case 0xf2: pfx = (uint8_t)((pfx & ~PFX_REP) | PFX_REPNE); last_rep = 0xf2; break;
        case 0xf3: pfx = (uint8_t)((pfx & ~PFX_REPNE) | PFX_REP); last_rep = 0xf3; break;
        default: goto opcode;
        }
        rex = 0;            /* a legacy prefix after REX cancels it */
        n++;
    }
opcode:;
    unsigned op = b[n++];
    if (op == 0x0f) {
        NEED(1);
        op = 0x100 | b[n++];
        if (op == 0x138 || op == 0x13a) {
            NEED(1);
            op = (op == 0x138 ? 0x200 : 0x300) | b[n++];
        }
    }
    /* 90 with REX.B is XCHG r8, rAX, not NOP (SDM vol. 2 XCHG/NOP). */
    unsigned key = op == 0x90 && (rex & REX_B) ? 0x91 : op;
    /* In 64-bit mode only FS and GS overrides change the base; an ES, CS,
     * SS or DS override still names the segment a non-canonical address
     * faults through (#GP, or #SS for SS: SDM vol. 3A 6.15 "Interrupt 12"),
     * so it stays in o->seg without PFX_SEG. */
    if (segov != 0xff && !(long64 && segov < SEG_FS))
        pfx |= PFX_SEG;

    uint16_t m = optable_map[key];
    unsigned row = m, mpfx = 0, modrm_byte = 0;
    int has_modrm;
    switch (m & OPMAP_KIND) {
    case OPMAP_PFX:
        /* The last of F2/F3 wins over 66 (SDM vol. 2 2.1.1). */
        mpfx = last_rep == 0xf3 ? MPFX_F3 : last_rep == 0xf2 ? MPFX_F2 :
               (pfx & PFX_OPSZ) ? MPFX_66 : MPFX_NP;
        row = optable_pfx[m & ~OPMAP_KIND][mpfx];
        /* F2/F3 on an opcode with mandatory-prefix rows (all MMX/SSE
         * forms) have no meaning but a mandatory one: without a row of
         * their own the form is #UD (row 0), as a host CPU has it for
         * F3 0F 38 00 (PSHUFB mm has only an NP row), F3 0F FC (PADDB mm)
         * and F3 0F 28 (MOVAPS). A 66 without a row leaves the NP row, and
         * so does F2 on NOP (90), the one-byte map's prefixed pair. */
        if (!row && (mpfx < MPFX_F3 || op < 0x100)) {
            mpfx = MPFX_NP;
            row = optable_pfx[m & ~OPMAP_KIND][MPFX_NP];
        }
        break;
    case OPMAP_DUAL:
        row = optable_dual[m & ~OPMAP_KIND][long64];
        break;
    default:
        break;
    }
    if ((m & OPMAP_KIND) == OPMAP_GROUP) {
        NEED(1);
        modrm_byte = b[n];
        const struct opgroup *g = &optable_groups[m & ~OPMAP_KIND];
        row = (modrm_byte >> 6) == 3 ? g->reg[(modrm_byte >> 3) & 7][modrm_byte & 7]
                                     : g->mem[(modrm_byte >> 3) & 7];
        has_modrm = 1;
    } else {
        has_modrm = optable_rows[row].modrm;
    }
    const struct oprow *r = &optable_rows[row];

    unsigned opsize, adsize;
    if (long64) {
        if (r->flags & F_F64)
            opsize = 8;
        else if ((rex & REX_W) && !(r->flags & F_OPZ))
            opsize = 8;
        else if (pfx & PFX_OPSZ && mpfx != MPFX_66)
            opsize = 2;
        else
            opsize = (r->flags & F_D64) ? 8 : 4;
        adsize = (pfx & PFX_ADSZ) ? 4 : 8;
    } else {
        unsigned code32 = code_size == 4;
        opsize = (code32 ^ (pfx & PFX_OPSZ && mpfx != MPFX_66)) ? 4 : 2;
        adsize = (code32 ^ !!(pfx & PFX_ADSZ)) ? 4 : 2;
    }

    memset(o, 0, sizeof(*o));
    o->fn = r->fn;
    o->op = (uint16_t)op;
    o->row = (uint16_t)row;
    o->sub = r->sub;
    o->rex = rex;
    o->mpfx = (uint8_t)mpfx;
    o->base = o->index = EA_NONE;
    o->opsize = (uint8_t)(r->byteop ? 1 : opsize);
    o->adsize = (uint8_t)adsize;
    if (r->o[0] == O_Zb || r->o[0] == O_Zv || r->o[1] == O_Zv) {
        o->mod = 3;
        o->rm = (uint8_t)((op & 7) | (rex & REX_B ? 8 : 0));
    }

    if (has_modrm) {
        NEED(1);
        uint8_t mr = b[n++];
        o->modrm = mr;
        o->mod = mr >> 6;
        o->reg = (uint8_t)(((mr >> 3) & 7) | (rex & REX_R ? 8 : 0));
        o->rm = (uint8_t)((mr & 7) | (rex & REX_B ? 8 : 0));
        if (r->flags & F_REGMOD)
            o->mod = 3;
        if (o->mod == 3) {
            if (r->memonly)
                o->fn = op_ud;
        } else if (adsize == 2) {
            unsigned rm = mr & 7;
            o->rm = (uint8_t)rm;
            if (o->mod == 0 && rm == 6) {
                NEED(2);
                o->disp = (int32_t)le16(b + n);
                n += 2;
            } else {
                o->base = base16[rm];
                o->index = index16[rm];
                if (o->base == R_EBP)
                    seg = SEG_SS;
                if (o->mod == 1) {
                    NEED(1);
                    o->disp = (int8_t)b[n++];
                } else if (o->mod == 2) {
                    NEED(2);
                    o->disp = (int32_t)le16(b + n);
                    n += 2;
                }
            }
        } else {
            unsigned base = mr & 7;
            if (base == 4) {
                NEED(1);
                uint8_t sib = b[n++];
                o->scale = sib >> 6;
                unsigned idx = ((sib >> 3) & 7) | (rex & REX_X ? 8 : 0);
                o->index = idx == 4 ? EA_NONE : (uint8_t)idx;
                base = sib & 7;
                if (base == 5 && o->mod == 0)
                    base = 0xff;        /* no base, disp32 */
            } else if (base == 5 && o->mod == 0) {
                base = long64 ? EA_RIP : 0xff;      /* RIP-relative in 64-bit mode */
            }
            if (base == 0xff || base == EA_RIP) {
                NEED(4);
                o->disp = (int32_t)le32(b + n);
                n += 4;
                o->base = (uint8_t)base;
                o->rip_rel = base == EA_RIP;
            } else {
                o->base = (uint8_t)(base | (rex & REX_B ? 8 : 0));
                /* RSP and RBP as base default to SS; R12 and R13, which
                 * encode alike with REX.B, to DS (SDM vol. 1 3.7.4.1). */
                if (o->base == R_ESP || o->base == R_EBP)
                    seg = SEG_SS;
                if (o->mod == 1) {
                    NEED(1);
                    o->disp = (int8_t)b[n++];
                } else if (o->mod == 2) {
                    NEED(4);
                    o->disp = (int32_t)le32(b + n);
                    n += 4;
                }
            }
        }
    }

    /* With any REX, byte registers 4..7 are SPL BPL SIL DIL (SDM vol. 1
     * 3.4.1.1): they get the numbers 20..23 (cpu.h reg8), so handlers stay
     * unaware of REX. */
    if (rex) {
        for (unsigned k = 0; k < 3; k++) {
            if (r->o[k] == O_Gb && o->reg >= 4 && o->reg < 8)
                o->reg = (uint8_t)(o->reg + 16);
            else if ((r->o[k] == O_Eb || r->o[k] == O_Zb) && o->mod == 3 &&
                     o->rm >= 4 && o->rm < 8)
                o->rm = (uint8_t)(o->rm + 16);
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
        o->imm = SX((int8_t)b[n++]);
        break;
    case IMM_W:
        NEED(2);
        o->imm = le16(b + n);
        n += 2;
        break;
    case IMM_W_B:
        NEED(3);
        o->imm = le16(b + n);
        o->imm2 = b[n + 2];
        n += 3;
        break;
    case IMM_V:
        if (opsize == 8) {              /* MOV r64, imm64 */
            NEED(8);
            memcpy(&o->imm, b + n, 8);
            n += 8;
            break;
        }
        /* fall through */
    case IMM_Z: case IMM_JZ:
        /* Iz is 4 bytes for operand size 4 and 8 (sign-extended) and Jz is
         * rel32 in 64-bit mode. */
        if (opsize == 2 && !(long64 && r->imm == IMM_JZ)) {
            NEED(2);
            o->imm = le16(b + n);
            if (r->imm == IMM_JZ)
                o->imm = SX((int16_t)o->imm);
            n += 2;
        } else {
            NEED(4);
            o->imm = SX(le32(b + n));
            if (!long64 || r->imm == IMM_V)
                o->imm = (uint32_t)o->imm;
            n += 4;
        }
        break;
    case IMM_AP:
        NEED(opsize + 2);
        o->imm = opsize == 2 ? le16(b + n) : le32(b + n);
        n += opsize;
        o->imm2 = (uint16_t)le16(b + n);
        n += 2;
        break;
    case IMM_MOFFS:
        NEED(adsize);
        if (adsize == 8) {
            memcpy(&o->imm, b + n, 8);
            o->disp = (int32_t)(uint32_t)o->imm;
        } else {
            o->disp = (int32_t)(adsize == 2 ? le16(b + n) : le32(b + n));
            o->imm = (uint32_t)o->disp;
        }
        n += adsize;
        break;
    }
#undef NEED
#undef SX

    o->seg = segov != 0xff ? segov : seg;
    o->pfx = pfx;
    o->len = (uint8_t)n;
    if ((pfx & PFX_LOCK) && (!(r->flags & F_LOCKABLE) || o->mod == 3 || !has_modrm))
        o->fn = op_ud;
    if ((r->flags & F_NO64) ? long64 : (r->flags & F_ONLY64) ? !long64 : false)
        o->fn = op_ud;
    return (int)n;
}

/* Whether the CPU model claims the CPUID feature a row needs: an
 * instruction of an extension CPUID does not report is #UD (SDM vol. 2A
 * 2.4, and each instruction's "#UD If CPUID.xx = 0"). Decoded records are
 * cached per page, and a model does not change while a machine runs, so the
 * check costs nothing per execution. FEAT_FPU is not refused here: without
 * an FPU, x87 instructions follow CR0.EM (#NM), which the x87 code checks;
 * the MMX/SSE forms check their feature themselves too (sse_check.h),
 * after CR0.EM. Extensions without a case here are always present. */
static bool model_has(const struct cpu_model *m, unsigned feat)
{
    switch (feat) {
    case FEAT_TSC: return cpuid_has(m, CPUID_1_EDX, CPUID_TSC);
    case FEAT_MSR: return cpuid_has(m, CPUID_1_EDX, CPUID_MSR);
    case FEAT_CX8: return cpuid_has(m, CPUID_1_EDX, CPUID_CX8);
    case FEAT_SEP: return cpuid_has(m, CPUID_1_EDX, CPUID_SEP);
    case FEAT_CMOV: return cpuid_has(m, CPUID_1_EDX, CPUID_CMOV);
    case FEAT_FCMOV:
        return cpuid_has(m, CPUID_1_EDX, CPUID_CMOV) && cpuid_has(m, CPUID_1_EDX, CPUID_FPU);
    case FEAT_LM: return cpuid_has(m, CPUID_80000001_EDX, CPUID_X_LM);
    case FEAT_RDTSCP: return cpuid_has(m, CPUID_80000001_EDX, CPUID_X_RDTSCP);
    case FEAT_CX16: return cpuid_has(m, CPUID_1_ECX, CPUID_C_CX16);
    default: return true;
    }
}

int decode_insn_bytes(const struct cpu *cpu, const uint8_t *buf, unsigned avail, struct insn *out)
{
    unsigned code_size = insn_code_size(cpu);
    int len = decode_bytes(buf, avail, code_size, out);
    if (len <= 0)
        return len;
    if (!model_has(&cpu->model, optable_rows[out->row].feat))
        out->fn = op_ud;
    fastops_specialize(out, code_size);
    return len;
}

void decode_insn(struct cpu *cpu, uint64_t lin, struct insn *out)
{
    uint8_t buf[MAX_INSN_LEN];
    unsigned in_page = 4096u - (lin & (4096u - 1));
    unsigned have = in_page < MAX_INSN_LEN ? in_page : MAX_INSN_LEN;
    unsigned code_size = insn_code_size(cpu);

    mmu_fetch(cpu, lin, buf, have);
    int len = decode_bytes(buf, have, code_size, out);
    if (len == 0) {
        /* Crosses into the next page: fetch the rest (may fault there). */
        mmu_fetch(cpu, lin + have, buf + have, MAX_INSN_LEN - have);
        len = decode_bytes(buf, MAX_INSN_LEN, code_size, out);
    }
    if (len < 0)
        except_gp(cpu, 0);
    if (!model_has(&cpu->model, optable_rows[out->row].feat))
        out->fn = op_ud;
    fastops_specialize(out, code_size);
}
