/* x87 FPU: state, exceptions and the escape-opcode dispatcher (D8..DF, 9B).
 *
 * Models a P6-class FPU (Intel SDM vol. 1 ch. 8; opcode map vol. 2 A.5):
 *  - CR0.EM or CR0.TS make every escape opcode raise #NM; WAIT raises #NM
 *    when TS and MP are both set (SDM vol. 3 2.5, table 2-2).
 *  - An unmasked exception sets ES and B. The next waiting instruction
 *    (every x87 instruction except FNINIT, FNCLEX, FNSTSW, FNSTCW, FNSTENV,
 *    FNSAVE, and WAIT itself) then reports it: with CR0.NE=1 as #MF; with
 *    NE=0 through the FERR# output, which this model drives whenever ES is
 *    set (P6: asserted at the end of the faulting instruction, SDM vol. 3
 *    22.18.6.7). Unless the board asserts IGNNE#, the processor then
 *    freezes on the waiting instruction until an interrupt arrives (the
 *    instruction is retried at the next boundary, so the IRQ13 handler runs
 *    first); with IGNNE# asserted (or no FERR# wiring) it proceeds.
 *  - Undefined encodings raise #UD without checking pending exceptions
 *    (SDM vol. 3 22.18.6.6); the undocumented P6 aliases (FSTP1, FCOM2,
 *    FCOMP3, FXCH4, FCOMP5, FFREEP, FXCH7, FSTP8, FSTP9) execute, as do
 *    FENI/FDISI/FSETPM (no-ops since the 387). FISTTP (SSE3) is #UD here.
 *  - FIP/FCS, FOP and FDP/FDS are recorded for every non-control
 *    instruction that completes.
 */
#include <string.h>

#include "cpu/cpuid.h"
#include "cpu/except.h"
#include "cpu/flags.h"
#include "cpu/mmu.h"
#include "cpu/x87.h"

/* ---- register file ---- */

struct f80 f80_get(const long double *p)
{
    struct f80 v;
    memcpy(&v.mant, p, 8);
    memcpy(&v.se, (const char *)p + 8, 2);
    return v;
}

void f80_put(long double *p, struct f80 v)
{
    memset(p, 0, sizeof *p);
    memcpy(p, &v.mant, 8);
    memcpy((char *)p + 8, &v.se, 2);
}

unsigned f80_tag(struct f80 v)
{
    unsigned e = v.se & 0x7fff;
    if (e == 0x7fff)
        return TAG_SPECIAL;
    if (e == 0)
        return v.mant ? TAG_SPECIAL : TAG_ZERO;
    return (v.mant >> 63) ? TAG_VALID : TAG_SPECIAL;    /* unnormals are special */
}

void f80_image(struct f80 v, uint8_t out[10])
{
    memcpy(out, &v.mant, 8);
    memcpy(out + 8, &v.se, 2);
}

struct f80 f80_from_image(const uint8_t in[10])
{
    struct f80 v = { 0, 0 };
    memcpy(&v.mant, in, 8);
    memcpy(&v.se, in + 8, 2);
    return v;
}

struct f80 x87_st(const struct cpu *cpu, unsigned i)
{
    return cpu->s.fpu.st[x87_phys(cpu, i)];
}

void x87_st_ld(const struct cpu *cpu, unsigned i, long double *out)
{
    f80_put(out, x87_st(cpu, i));
}

static void set_tag(struct cpu *cpu, unsigned phys, unsigned tag)
{
    cpu->s.fpu.tw = (uint16_t)((cpu->s.fpu.tw & ~(3u << (2 * phys))) | (tag << (2 * phys)));
}

void x87_set_st(struct cpu *cpu, unsigned i, struct f80 v)
{
    unsigned p = x87_phys(cpu, i);
    cpu->s.fpu.st[p] = (struct f80){ v.mant, v.se };
    set_tag(cpu, p, f80_tag(v));
}

void x87_set_st_ld(struct cpu *cpu, unsigned i, const long double *v)
{
    x87_set_st(cpu, i, f80_get(v));
}

void x87_free(struct cpu *cpu, unsigned i)
{
    set_tag(cpu, x87_phys(cpu, i), TAG_EMPTY);
}

void x87_set_top(struct cpu *cpu, unsigned top)
{
    cpu->s.fpu.sw = (uint16_t)((cpu->s.fpu.sw & ~FSW_TOP) | ((top & 7) << 11));
}

void x87_pop(struct cpu *cpu)
{
    x87_free(cpu, 0);
    x87_set_top(cpu, x87_top(cpu) + 1);
}

void x87_push(struct cpu *cpu, struct f80 v)
{
    x87_set_top(cpu, x87_top(cpu) - 1);
    x87_set_st(cpu, 0, v);
}

void x87_set_cc(struct cpu *cpu, uint16_t cc)
{
    cpu->s.fpu.sw = (uint16_t)((cpu->s.fpu.sw & ~FSW_CC) | (cc & FSW_CC));
}

uint16_t x87_tag_word(const struct cpu *cpu)
{
    uint16_t tw = 0;
    for (unsigned p = 0; p < 8; p++) {
        unsigned t = x87_tag(cpu, p);
        if (t != TAG_EMPTY)
            t = f80_tag(cpu->s.fpu.st[p]);
        tw |= (uint16_t)(t << (2 * p));
    }
    return tw;
}

/* ---- exceptions ---- */

static void set_ferr(struct cpu *cpu, int level)
{
    if (cpu->ferr_level == level)
        return;
    cpu->ferr_level = (uint8_t)level;
    if (cpu->env.ferr)
        cpu->env.ferr(cpu->env.opaque, level);
}

void x87_update_es(struct cpu *cpu)
{
    struct x87 *f = &cpu->s.fpu;
    if (f->sw & ~f->cw & FSW_EXC)
        f->sw |= FSW_ES | FSW_B;
    else
        f->sw &= (uint16_t)~(FSW_ES | FSW_B);
    /* FERR# matters only in MS-DOS compatibility mode; in native mode
     * the error is reported as #MF and the pin is left idle. */
    set_ferr(cpu, (f->sw & FSW_ES) && !(cpu->s.cr0 & CR0_NE));
}

void x87_set_cw(struct cpu *cpu, uint16_t cw)
{
    /* Bits 6 and 13..15 are reserved; bit 6 reads as 1 on P6 parts. */
    cpu->s.fpu.cw = (uint16_t)((cw & 0x1f3f) | 0x0040);
    x87_update_es(cpu);
}

bool x87_raise(struct cpu *cpu, unsigned exc)
{
    exc &= FSW_EXC | FSW_SF;
    if (!exc)
        return true;
    cpu->s.fpu.sw |= (uint16_t)exc;
    x87_update_es(cpu);
    return !(exc & ~cpu->s.fpu.cw & (FSW_IE | FSW_DE | FSW_ZE));
}

bool x87_stack_underflow(struct cpu *cpu)
{
    cpu->s.fpu.sw &= (uint16_t)~FSW_C1;
    return x87_raise(cpu, FSW_IE | FSW_SF);
}

bool x87_stack_overflow(struct cpu *cpu)
{
    cpu->s.fpu.sw |= FSW_C1;
    return x87_raise(cpu, FSW_IE | FSW_SF);
}

/* ---- reset ---- */

void x87_init_state(struct cpu *cpu)
{
    struct x87 *f = &cpu->s.fpu;
    f->cw = FCW_INIT;
    f->sw = 0;
    f->tw = 0xffff;
    f->fop = 0;
    f->fip = f->fdp = 0;
    f->fcs = f->fds = 0;
    x87_update_es(cpu);
}

void x87_reset(struct cpu *cpu)
{
    /* Power-on state of a P6 (SDM vol. 3 table 9-1): registers +0.0 and
     * tagged valid (FTW 5555H), FCW 0040H, FSW and pointers 0. */
    memset(cpu->s.fpu.st, 0, sizeof cpu->s.fpu.st);
    x87_init_state(cpu);
    cpu->s.fpu.cw = 0x0040;
    cpu->s.fpu.tw = 0x5555;
    cpu->ferr_level = 0;
}

/* ---- helpers shared by the dispatcher ---- */

/* Report a pending unmasked exception before a waiting instruction.
 * Returns false when the processor freezes (instruction not executed). */
bool x87_check_pending(struct cpu *cpu)
{
    if (!(cpu->s.fpu.sw & FSW_ES))
        return true;
    if (cpu->s.cr0 & CR0_NE)
        except_raise(cpu, EXC_MF, EXC_NO_CODE);
    set_ferr(cpu, 1);
    if (cpu->ignne || !cpu->env.ferr)
        return true;
    cpu->next_rip = EIP(cpu);       /* frozen until the FERR# interrupt */
    return false;
}

static void x87_record(struct cpu *cpu, const struct insn *i, unsigned esc)
{
    struct x87 *f = &cpu->s.fpu;
    f->fip = EIP(cpu);
    f->fcs = cpu->s.seg[SEG_CS].sel;
    f->fop = (uint16_t)((esc << 8) | i->modrm);
    if (i->mod != 3) {
        f->fdp = insn_ea(cpu, i);
        f->fds = cpu->s.seg[i->seg].sel;
    }
}

/* Instruction kinds returned by classify(). */
enum { K_UD, K_CONTROL_NOWAIT, K_CONTROL_WAIT, K_NORMAL };

static int classify(const struct cpu *cpu, unsigned esc, const struct insn *i)
{
    unsigned reg = i->reg, rm = i->rm;
    if (i->mod != 3) {
        /* DB /1, DD /1, DF /1: FISTTP m32/m64/m16, SSE3's (SDM vol. 2 FISTTP:
         * #UD when CPUID.01H:ECX.SSE3[0] = 0). */
        if (reg == 1 && (esc == 3 || esc == 5 || esc == 7))
            return cpuid_has(&cpu->model, CPUID_1_ECX, CPUID_C_SSE3) ? K_NORMAL : K_UD;
        switch (esc) {
        case 1:
            if (reg == 1) return K_UD;
            if (reg == 6 || reg == 7) return K_CONTROL_NOWAIT;  /* FNSTENV FNSTCW */
            if (reg == 4 || reg == 5) return K_CONTROL_WAIT;    /* FLDENV FLDCW */
            return K_NORMAL;
        case 3:
            return (reg == 1 || reg == 4 || reg == 6) ? K_UD : K_NORMAL;
        case 5:
            if (reg == 1 || reg == 5) return K_UD;
            if (reg == 6 || reg == 7) return K_CONTROL_NOWAIT;  /* FNSAVE FNSTSW */
            if (reg == 4) return K_CONTROL_WAIT;                /* FRSTOR */
            return K_NORMAL;
        case 7:
            return reg == 1 ? K_UD : K_NORMAL;
        default:
            return K_NORMAL;
        }
    }
    switch (esc) {
    case 1:
        if (reg == 2) return rm == 0 ? K_NORMAL : K_UD;                 /* FNOP */
        if (reg == 4) return (rm == 2 || rm == 3 || rm == 6 || rm == 7) ? K_UD : K_NORMAL;
        if (reg == 5) return rm == 7 ? K_UD : K_NORMAL;
        return K_NORMAL;
    case 2:
        if (reg <= 3) return K_NORMAL;
        return (reg == 5 && rm == 1) ? K_NORMAL : K_UD;                 /* FUCOMPP */
    case 3:
        if (reg <= 3 || reg == 5 || reg == 6) return K_NORMAL;
        if (reg == 4) {
            if (rm == 2 || rm == 3) return K_CONTROL_NOWAIT;            /* FNCLEX FNINIT */
            if (rm == 0 || rm == 1 || rm == 4) return K_CONTROL_NOWAIT; /* FNENI FNDISI FNSETPM */
        }
        return K_UD;
    case 5:
        return reg >= 6 ? K_UD : K_NORMAL;
    case 6:
        return (reg == 3 && rm != 1) ? K_UD : K_NORMAL;                 /* FCOMPP */
    case 7:
        if (reg <= 3 || reg == 5 || reg == 6) return K_NORMAL;
        return (reg == 4 && rm == 0) ? K_CONTROL_NOWAIT : K_UD;         /* FNSTSW AX */
    default:
        return K_NORMAL;
    }
}

static void x87_fnstsw_ax(struct cpu *cpu)
{
    set_reg16(cpu, R_EAX, cpu->s.fpu.sw);
}

static void x87_fnclex(struct cpu *cpu)
{
    cpu->s.fpu.sw &= (uint16_t)~(FSW_EXC | FSW_SF | FSW_ES | FSW_B);
    x87_update_es(cpu);
}

/* Memory forms of D9, DB, DD, DF that are not arithmetic. */
static void exec_mem_misc(struct cpu *cpu, const struct insn *i, unsigned esc)
{
    uint32_t ea = insn_ea(cpu, i);
    switch (esc * 8 + i->reg) {
    case 1 * 8 + 0: x87_load_mem(cpu, i, FMT_F32); break;
    case 1 * 8 + 2: x87_store_mem(cpu, i, FMT_F32, false); break;
    case 1 * 8 + 3: x87_store_mem(cpu, i, FMT_F32, true); break;
    case 1 * 8 + 4: x87_fldenv(cpu, i); break;
    case 1 * 8 + 5: x87_set_cw(cpu, cpu_rd16(cpu, i->seg, ea)); break;
    case 1 * 8 + 6: x87_fnstenv(cpu, i); break;
    case 1 * 8 + 7: cpu_wr16(cpu, i->seg, ea, cpu->s.fpu.cw); break;
    case 3 * 8 + 0: x87_load_mem(cpu, i, FMT_I32); break;
    case 3 * 8 + 1: x87_fisttp(cpu, i, FMT_I32); break;
    case 3 * 8 + 2: x87_store_mem(cpu, i, FMT_I32, false); break;
    case 3 * 8 + 3: x87_store_mem(cpu, i, FMT_I32, true); break;
    case 3 * 8 + 5: x87_load_mem(cpu, i, FMT_F80); break;
    case 3 * 8 + 7: x87_store_mem(cpu, i, FMT_F80, true); break;
    case 5 * 8 + 0: x87_load_mem(cpu, i, FMT_F64); break;
    case 5 * 8 + 1: x87_fisttp(cpu, i, FMT_I64); break;
    case 5 * 8 + 2: x87_store_mem(cpu, i, FMT_F64, false); break;
    case 5 * 8 + 3: x87_store_mem(cpu, i, FMT_F64, true); break;
    case 5 * 8 + 4: x87_frstor(cpu, i); break;
    case 5 * 8 + 6: x87_fnsave(cpu, i); break;
    case 5 * 8 + 7: cpu_wr16(cpu, i->seg, ea, cpu->s.fpu.sw); break;
    case 7 * 8 + 0: x87_load_mem(cpu, i, FMT_I16); break;
    case 7 * 8 + 1: x87_fisttp(cpu, i, FMT_I16); break;
    case 7 * 8 + 2: x87_store_mem(cpu, i, FMT_I16, false); break;
    case 7 * 8 + 3: x87_store_mem(cpu, i, FMT_I16, true); break;
    case 7 * 8 + 4: x87_load_mem(cpu, i, FMT_BCD); break;
    case 7 * 8 + 5: x87_load_mem(cpu, i, FMT_I64); break;
    case 7 * 8 + 6: x87_store_mem(cpu, i, FMT_BCD, true); break;
    case 7 * 8 + 7: x87_store_mem(cpu, i, FMT_I64, true); break;
    default: except_ud(cpu);
    }
}

static void exec_reg(struct cpu *cpu, const struct insn *i, unsigned esc)
{
    unsigned reg = i->reg, rm = i->rm;
    switch (esc) {
    case 0:
        if (reg == 2 || reg == 3)
            x87_compare(cpu, x87_st(cpu, rm), x87_empty(cpu, rm), false, reg == 3, 0);
        else
            x87_arith_reg(cpu, reg, rm, false, false);
        break;
    case 1:
        switch (reg) {
        case 0: x87_fld_reg(cpu, rm); break;
        case 1: x87_fxch(cpu, rm); break;
        case 2: break;                                  /* FNOP */
        case 3: x87_fst_reg(cpu, rm, true); break;      /* FSTP1 alias */
        default: x87_d9_special(cpu, i->modrm); break;
        }
        break;
    case 2:
        if (reg <= 3)
            x87_fcmov(cpu, reg, false, rm);
        else                                            /* FUCOMPP */
            x87_compare(cpu, x87_st(cpu, 1), x87_empty(cpu, 1), true, 2, 0);
        break;
    case 3:
        if (reg <= 3)
            x87_fcmov(cpu, reg, true, rm);
        else if (reg == 5)
            x87_comi(cpu, rm, true, false);             /* FUCOMI */
        else if (reg == 6)
            x87_comi(cpu, rm, false, false);            /* FCOMI */
        else if (rm == 2)
            x87_fnclex(cpu);
        else if (rm == 3)
            x87_init_state(cpu);
        /* FNENI, FNDISI, FNSETPM: no-ops */
        break;
    case 4:
        if (reg == 2 || reg == 3)                       /* FCOM2, FCOMP3 */
            x87_compare(cpu, x87_st(cpu, rm), x87_empty(cpu, rm), false, reg == 3, 0);
        else
            x87_arith_reg(cpu, reg, rm, true, false);
        break;
    case 5:
        switch (reg) {
        case 0: x87_free(cpu, rm); break;               /* FFREE */
        case 1: x87_fxch(cpu, rm); break;               /* FXCH4 */
        case 2: x87_fst_reg(cpu, rm, false); break;
        case 3: x87_fst_reg(cpu, rm, true); break;
        case 4: x87_compare(cpu, x87_st(cpu, rm), x87_empty(cpu, rm), true, 0, 0); break;
        case 5: x87_compare(cpu, x87_st(cpu, rm), x87_empty(cpu, rm), true, 1, 0); break;
        }
        break;
    case 6:
        if (reg == 2)                                   /* FCOMP5 */
            x87_compare(cpu, x87_st(cpu, rm), x87_empty(cpu, rm), false, 1, 0);
        else if (reg == 3)                              /* FCOMPP */
            x87_compare(cpu, x87_st(cpu, 1), x87_empty(cpu, 1), false, 2, 0);
        else
            x87_arith_reg(cpu, reg, rm, true, true);
        break;
    case 7:
        switch (reg) {
        case 0: x87_free(cpu, rm); x87_pop(cpu); break; /* FFREEP */
        case 1: x87_fxch(cpu, rm); break;               /* FXCH7 */
        case 2: case 3: x87_fst_reg(cpu, rm, true); break;  /* FSTP8, FSTP9 */
        case 4: x87_fnstsw_ax(cpu); break;
        case 5: x87_comi(cpu, rm, true, true); break;   /* FUCOMIP */
        case 6: x87_comi(cpu, rm, false, true); break;  /* FCOMIP */
        }
        break;
    }
}

static void x87_exec(struct cpu *cpu, const struct insn *i, unsigned esc)
{
    if (cpu->s.cr0 & (CR0_EM | CR0_TS))
        except_raise(cpu, EXC_NM, EXC_NO_CODE);
    int kind = classify(cpu, esc, i);
    if (kind == K_UD)
        except_ud(cpu);
    if (kind != K_CONTROL_NOWAIT && !x87_check_pending(cpu))
        return;
    if (i->mod == 3) {
        exec_reg(cpu, i, esc);
    } else if (esc == 0 || esc == 2 || esc == 4 || esc == 6) {
        static const int fmt[4] = { FMT_F32, FMT_I32, FMT_F64, FMT_I16 };
        unsigned exc = 0;
        struct f80 src = x87_read_operand(cpu, i, fmt[esc / 2], &exc);
        if (i->reg == 2 || i->reg == 3)
            x87_compare(cpu, src, false, false, i->reg == 3, exc);
        else
            x87_arith_mem(cpu, i->reg, src, exc);
    } else {
        exec_mem_misc(cpu, i, esc);
    }
    if (kind == K_NORMAL)
        x87_record(cpu, i, esc);
}

void op_x87_d8(struct cpu *cpu, const struct insn *i) { x87_exec(cpu, i, 0); }
void op_x87_d9(struct cpu *cpu, const struct insn *i) { x87_exec(cpu, i, 1); }
void op_x87_da(struct cpu *cpu, const struct insn *i) { x87_exec(cpu, i, 2); }
void op_x87_db(struct cpu *cpu, const struct insn *i) { x87_exec(cpu, i, 3); }
void op_x87_dc(struct cpu *cpu, const struct insn *i) { x87_exec(cpu, i, 4); }
void op_x87_dd(struct cpu *cpu, const struct insn *i) { x87_exec(cpu, i, 5); }
void op_x87_de(struct cpu *cpu, const struct insn *i) { x87_exec(cpu, i, 6); }
void op_x87_df(struct cpu *cpu, const struct insn *i) { x87_exec(cpu, i, 7); }

void op_fwait(struct cpu *cpu, const struct insn *i)
{
    if ((cpu->s.cr0 & (CR0_TS | CR0_MP)) == (CR0_TS | CR0_MP))
        except_raise(cpu, EXC_NM, EXC_NO_CODE);
    x87_check_pending(cpu);
}
