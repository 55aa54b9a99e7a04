/* String instructions: MOVS, CMPS, STOS, LODS, SCAS, INS, OUTS in byte,
 * word and dword forms, with 16- or 32-bit addressing, and the REP, REPE
 * and REPNE prefixes.
 *
 * Follows the Intel SDM vol. 2 entries of each instruction and REP/REPE/
 * REPNE, and vol. 1 section 7.3.9 (string operations):
 *  - The address size picks SI/DI/CX (wrapping at 64 KiB) or ESI/EDI/ECX.
 *  - The source DS:(E)SI takes a segment override; the destination
 *    ES:(E)DI never does.
 *  - EFLAGS.DF picks the direction.
 *  - REP with a zero count does nothing: no access, no flag change and,
 *    for INS/OUTS, no I/O permission check (the SDM's REP pseudocode tests
 *    the count before running the instruction body).
 *  - F2 on MOVS/STOS/LODS/INS/OUTS repeats like F3, as the hardware does;
 *    on CMPS/SCAS F3 is REPE (stop when ZF=0) and F2 is REPNE (stop when
 *    ZF=1).
 *  - A repeated instruction is interruptible: one call runs at most
 *    REP_BATCH iterations and, if the count is not exhausted, sets
 *    next_rip back to the instruction so it restarts after the run loop
 *    has had a chance to take interrupts. Registers are written after
 *    every iteration, so a fault in iteration k leaves (E)SI, (E)DI, (E)CX
 *    and the flags as after iteration k-1, the state the SDM requires for
 *    the restart after the fault is handled.
 *  - INS/OUTS call io_check() (I/O privilege level and TSS permission
 *    bitmap, src/cpu/io.c) before the first port access; INS checks the
 *    destination is writable before reading the port, so a faulting INS
 *    does not consume device data.
 */
#include "cpu/cpu.h"
#include "cpu/except.h"
#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/io.h"
#include "cpu/mmu.h"
#include "mem/iobus.h"

#define REP_BATCH 1024

/* (R/E)SI, (R/E)DI, (R/E)CX by address size 2, 4 or 8 (SDM vol. 1 3.7.5). */
static inline uint64_t areg(const struct cpu *cpu, const struct insn *i, unsigned r)
{
    return reg_get(cpu, r, i->adsize);
}

static inline void aset(struct cpu *cpu, const struct insn *i, unsigned r, uint64_t v)
{
    reg_set(cpu, r, i->adsize, v);
}

static inline uint64_t step(const struct cpu *cpu, unsigned size)
{
    return (cpu->s.rflags & FL_DF) ? (uint64_t)-(int64_t)size : size;
}

static inline int src_seg(const struct insn *i)
{
    return (i->pfx & PFX_SEG) ? i->seg : SEG_DS;
}

static inline bool repeated(const struct insn *i)
{
    return (i->pfx & (PFX_REP | PFX_REPNE)) != 0;
}

/* Leave the instruction to be restarted (the count is not exhausted). */
static inline void rep_again(struct cpu *cpu)
{
    cpu->next_rip = cpu->s.rip;
}

/* ---- one iteration of each kind ---- */

static inline void movs_once(struct cpu *cpu, const struct insn *i, int sseg,
                             unsigned size, uint64_t d)
{
    uint64_t si = areg(cpu, i, R_ESI), di = areg(cpu, i, R_EDI);
    uint64_t v = cpu_rd(cpu, sseg, si, size);
    cpu_wr(cpu, SEG_ES, di, v, size);
    aset(cpu, i, R_ESI, si + d);
    aset(cpu, i, R_EDI, di + d);
}

static inline void stos_once(struct cpu *cpu, const struct insn *i, unsigned size,
                             uint64_t d)
{
    uint64_t di = areg(cpu, i, R_EDI);
    cpu_wr(cpu, SEG_ES, di, cpu->s.gpr[R_EAX], size);
    aset(cpu, i, R_EDI, di + d);
}

static inline void lods_once(struct cpu *cpu, const struct insn *i, int sseg,
                             unsigned size, uint64_t d)
{
    uint64_t si = areg(cpu, i, R_ESI);
    uint64_t v = cpu_rd(cpu, sseg, si, size);
    reg_set(cpu, R_EAX, size, v);
    aset(cpu, i, R_ESI, si + d);
}

static inline uint64_t size_mask(unsigned size)
{
    return ~(uint64_t)0 >> (64 - size * 8);
}

/* CMPS: flags of [src] - ES:[dst]; returns ZF. */
static inline bool cmps_once(struct cpu *cpu, const struct insn *i, int sseg,
                             unsigned size, uint64_t d)
{
    uint64_t si = areg(cpu, i, R_ESI), di = areg(cpu, i, R_EDI);
    uint64_t a = cpu_rd(cpu, sseg, si, size);
    uint64_t b = cpu_rd(cpu, SEG_ES, di, size);
    uint64_t r = (a - b) & size_mask(size);
    flags_lazy(cpu, LF_SUB, size, a, b, r);
    aset(cpu, i, R_ESI, si + d);
    aset(cpu, i, R_EDI, di + d);
    return r == 0;
}

/* SCAS: flags of AL/AX/EAX - ES:[dst]; returns ZF. */
static inline bool scas_once(struct cpu *cpu, const struct insn *i, unsigned size,
                             uint64_t d)
{
    uint64_t di = areg(cpu, i, R_EDI);
    uint64_t a = cpu->s.gpr[R_EAX] & size_mask(size);
    uint64_t b = cpu_rd(cpu, SEG_ES, di, size);
    uint64_t r = (a - b) & size_mask(size);
    flags_lazy(cpu, LF_SUB, size, a, b, r);
    aset(cpu, i, R_EDI, di + d);
    return r == 0;
}

static inline void ins_once(struct cpu *cpu, const struct insn *i, unsigned size,
                            uint64_t d)
{
    uint64_t di = areg(cpu, i, R_EDI);
    cpu_check_write(cpu, SEG_ES, di, size);
    uint64_t v = iobus_in(cpu->io, (uint16_t)cpu->s.gpr[R_EDX], size);
    cpu_wr(cpu, SEG_ES, di, v, size);
    aset(cpu, i, R_EDI, di + d);
}

static inline void outs_once(struct cpu *cpu, const struct insn *i, int sseg,
                             unsigned size, uint64_t d)
{
    uint64_t si = areg(cpu, i, R_ESI);
    uint64_t v = cpu_rd(cpu, sseg, si, size);
    iobus_out(cpu->io, (uint16_t)cpu->s.gpr[R_EDX], v, size);
    aset(cpu, i, R_ESI, si + d);
}

/* Iterations per call. With EFLAGS.TF set, one: the single-step trap comes
 * after each iteration (SDM vol. 3 17.3.1.4), with EIP at the instruction
 * while the count is not exhausted. */
static inline unsigned rep_batch(const struct cpu *cpu)
{
    return (cpu->s.rflags & FL_TF) ? 1 : REP_BATCH;
}

/* ---- drivers: single or repeated ----
 * The repeated forms decrement and store the count after each iteration;
 * after REP_BATCH iterations with count left they restart the
 * instruction. */

#define REP_LOOP(cpu, i, body) do {                                         \
        uint64_t n_ = areg(cpu, i, R_ECX);                                  \
        unsigned batch_ = rep_batch(cpu);                                   \
        for (unsigned k_ = 0; n_ != 0; k_++) {                              \
            if (k_ == batch_) {                                             \
                rep_again(cpu);                                             \
                return;                                                     \
            }                                                               \
            body;                                                           \
            n_--;                                                           \
            aset(cpu, i, R_ECX, n_);                                        \
        }                                                                   \
    } while (0)

static void do_movs(struct cpu *cpu, const struct insn *i, unsigned size)
{
    int sseg = src_seg(i);
    uint64_t d = step(cpu, size);
    if (!repeated(i)) {
        movs_once(cpu, i, sseg, size, d);
        return;
    }
    REP_LOOP(cpu, i, movs_once(cpu, i, sseg, size, d));
}

static void do_stos(struct cpu *cpu, const struct insn *i, unsigned size)
{
    uint64_t d = step(cpu, size);
    if (!repeated(i)) {
        stos_once(cpu, i, size, d);
        return;
    }
    REP_LOOP(cpu, i, stos_once(cpu, i, size, d));
}

static void do_lods(struct cpu *cpu, const struct insn *i, unsigned size)
{
    int sseg = src_seg(i);
    uint64_t d = step(cpu, size);
    if (!repeated(i)) {
        lods_once(cpu, i, sseg, size, d);
        return;
    }
    REP_LOOP(cpu, i, lods_once(cpu, i, sseg, size, d));
}

/* REPE (F3) continues while ZF=1, REPNE (F2) while ZF=0. When both
 * prefixes are present the F3 meaning is taken. */
static inline bool rep_zf_wanted(const struct insn *i)
{
    return (i->pfx & PFX_REP) != 0;
}

static void do_cmps(struct cpu *cpu, const struct insn *i, unsigned size)
{
    int sseg = src_seg(i);
    uint64_t d = step(cpu, size);
    if (!repeated(i)) {
        cmps_once(cpu, i, sseg, size, d);
        return;
    }
    bool want = rep_zf_wanted(i);
    REP_LOOP(cpu, i, {
        bool zf = cmps_once(cpu, i, sseg, size, d);
        if (zf != want) {
            aset(cpu, i, R_ECX, n_ - 1);
            return;
        }
    });
}

static void do_scas(struct cpu *cpu, const struct insn *i, unsigned size)
{
    uint64_t d = step(cpu, size);
    if (!repeated(i)) {
        scas_once(cpu, i, size, d);
        return;
    }
    bool want = rep_zf_wanted(i);
    REP_LOOP(cpu, i, {
        bool zf = scas_once(cpu, i, size, d);
        if (zf != want) {
            aset(cpu, i, R_ECX, n_ - 1);
            return;
        }
    });
}

static void do_ins(struct cpu *cpu, const struct insn *i, unsigned size)
{
    uint64_t d = step(cpu, size);
    if (!repeated(i)) {
        io_check(cpu, (uint16_t)cpu->s.gpr[R_EDX], size);
        ins_once(cpu, i, size, d);
        return;
    }
    if (areg(cpu, i, R_ECX) == 0)
        return;
    io_check(cpu, (uint16_t)cpu->s.gpr[R_EDX], size);
    REP_LOOP(cpu, i, ins_once(cpu, i, size, d));
}

static void do_outs(struct cpu *cpu, const struct insn *i, unsigned size)
{
    int sseg = src_seg(i);
    uint64_t d = step(cpu, size);
    if (!repeated(i)) {
        io_check(cpu, (uint16_t)cpu->s.gpr[R_EDX], size);
        outs_once(cpu, i, sseg, size, d);
        return;
    }
    if (areg(cpu, i, R_ECX) == 0)
        return;
    io_check(cpu, (uint16_t)cpu->s.gpr[R_EDX], size);
    REP_LOOP(cpu, i, outs_once(cpu, i, sseg, size, d));
}

/* ---- handlers ---- */

void op_movs_Yb_Xb(struct cpu *cpu, const struct insn *i) { do_movs(cpu, i, 1); }
void op_movs_Yv_Xv(struct cpu *cpu, const struct insn *i) { do_movs(cpu, i, i->opsize); }
void op_cmps_Xb_Yb(struct cpu *cpu, const struct insn *i) { do_cmps(cpu, i, 1); }
void op_cmps_Xv_Yv(struct cpu *cpu, const struct insn *i) { do_cmps(cpu, i, i->opsize); }
void op_stos_Yb_AL(struct cpu *cpu, const struct insn *i) { do_stos(cpu, i, 1); }
void op_stos_Yv_eAX(struct cpu *cpu, const struct insn *i) { do_stos(cpu, i, i->opsize); }
void op_lods_AL_Xb(struct cpu *cpu, const struct insn *i) { do_lods(cpu, i, 1); }
void op_lods_eAX_Xv(struct cpu *cpu, const struct insn *i) { do_lods(cpu, i, i->opsize); }
void op_scas_AL_Yb(struct cpu *cpu, const struct insn *i) { do_scas(cpu, i, 1); }
void op_scas_eAX_Yv(struct cpu *cpu, const struct insn *i) { do_scas(cpu, i, i->opsize); }
void op_ins_Yb_DX(struct cpu *cpu, const struct insn *i) { do_ins(cpu, i, 1); }
void op_ins_Yz_DX(struct cpu *cpu, const struct insn *i) { do_ins(cpu, i, i->opsize); }
void op_outs_DX_Xb(struct cpu *cpu, const struct insn *i) { do_outs(cpu, i, 1); }
void op_outs_DX_Xz(struct cpu *cpu, const struct insn *i) { do_outs(cpu, i, i->opsize); }
