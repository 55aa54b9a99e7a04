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
#include <string.h>

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

/* An iteration hit a data breakpoint (cpu->pending_db): the #DB comes
 * after it, with EIP on the instruction while iterations are left (SDM
 * vol. 3B 17.3.1.2, repeated string instructions), not at the batch's
 * end. Page runs never cover a page with a breakpoint (the TLB keeps
 * their fast tags off it). */
static inline bool rep_db(struct cpu *cpu, uint64_t left)
{
    if (__builtin_expect(!cpu->pending_db, 1))
        return false;
    if (left)
        rep_again(cpu);
    return true;
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
            if (rep_db(cpu, n_))                                            \
                return;                                                     \
        }                                                                   \
    } while (0)

/* ---- page runs: REP MOVS and STOS upwards, a page at a time ----
 * The iterations from the next one on whose bytes lie in the same page
 * of seg:off, within the segment's limit and before the address size
 * wraps, when the next one has a direct host translation for acc (the
 * fast path's tests: so none of them can fault, and the page holds no
 * code, MMIO or watched table): *host gets its host address. 0 when it
 * has not; the iteration then takes the ordinary path, which raises what
 * it must. Each such run is one memset or memmove, and the registers
 * move as after its last iteration (nothing can stop the run midway). */
static uint64_t page_run(struct cpu *cpu, const struct insn *i, int seg, uint64_t off,
                         unsigned size, int acc, uint8_t **host)
{
    const bool long64 = cpu->s.mode == MODE_LONG64;
    if (!(long64 ? mmu_fast_host64(cpu, seg, off, size, acc, host)
                 : mmu_fast_host(cpu, seg, off, size, acc, host)))
        return 0;
    /* RAM pages are host pages: the host address's offset is the linear one's. */
    uint64_t n = (4096 - ((uintptr_t)*host & 0xfff)) / size;
    if (i->adsize != 8) {
        const uint64_t room = ((i->adsize == 4 ? 0xffffffffull : 0xffffull) - off + 1) / size;
        n = room < n ? room : n;
    }
    if (!long64) {
        const uint64_t room = ((uint64_t)cpu->s.seg[seg].limit - off + 1) / size;
        n = room < n ? room : n;
    }
    return n;
}

/* n elements of `size` bytes = v (little-endian host: its low bytes),
 * each size a loop of its own so that the stores are plain ones. */
static void fill(uint8_t *p, uint64_t v, unsigned size, uint64_t n)
{
    switch (size) {
    case 1:
        memset(p, (int)(uint8_t)v, n);
        break;
    case 2:
        for (uint16_t w = (uint16_t)v; n--; p += 2)
            memcpy(p, &w, 2);
        break;
    case 4:
        for (uint32_t w = (uint32_t)v; n--; p += 4)
            memcpy(p, &w, 4);
        break;
    default:
        for (; n--; p += 8)
            memcpy(p, &v, 8);
        break;
    }
}

/* How many of the next `left` iterations (at most `cap`) run as one page
 * run; 0: the next one goes the ordinary way. */
static uint64_t movs_run(struct cpu *cpu, const struct insn *i, int sseg, unsigned size,
                         uint64_t cap)
{
    uint8_t *src, *dst;
    uint64_t n = page_run(cpu, i, sseg, areg(cpu, i, R_ESI), size, ACC_READ, &src);
    const uint64_t m = n ? page_run(cpu, i, SEG_ES, areg(cpu, i, R_EDI), size, ACC_WRITE, &dst) : 0;
    if (!m)
        return 0;
    n = m < n ? m : n;
    n = cap < n ? cap : n;
    /* A destination just above the source reads bytes the run has
     * written: only as far as that cannot happen (memmove would not). */
    if (dst > src && (uint64_t)(dst - src) < n * size)
        n = (uint64_t)(dst - src) / size;
    if (n < 2)
        return 0;
    memmove(dst, src, n * size);
    return n;
}

static uint64_t stos_run(struct cpu *cpu, const struct insn *i, unsigned size, uint64_t cap)
{
    uint8_t *dst;
    uint64_t n = page_run(cpu, i, SEG_ES, areg(cpu, i, R_EDI), size, ACC_WRITE, &dst);
    n = cap < n ? cap : n;
    if (n < 2)
        return 0;
    fill(dst, cpu->s.gpr[R_EAX], size, n);
    return n;
}

/* REP_LOOP with page runs (DF clear): `run` does up to its cap of
 * iterations at once and returns how many, or 0 for `body`. */
#define REP_RUNS(cpu, i, size, run, body, regs) do {                        \
        uint64_t n_ = areg(cpu, i, R_ECX);                                  \
        const unsigned batch_ = rep_batch(cpu);                             \
        const bool up_ = !((cpu)->s.rflags & FL_DF);                        \
        for (uint64_t k_ = 0; n_ != 0;) {                                   \
            if (k_ >= batch_) {                                             \
                rep_again(cpu);                                             \
                return;                                                     \
            }                                                               \
            const uint64_t cap_ = n_ < batch_ - k_ ? n_ : batch_ - k_;      \
            uint64_t r_ = up_ ? run : 0;                                    \
            if (r_) {                                                       \
                const uint64_t by_ = r_ * (size);                           \
                regs;                                                       \
            } else {                                                        \
                body;                                                       \
                r_ = 1;                                                     \
            }                                                               \
            n_ -= r_;                                                       \
            k_ += r_;                                                       \
            aset(cpu, i, R_ECX, n_);                                        \
            if (rep_db(cpu, n_))                                            \
                return;                                                     \
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
    REP_RUNS(cpu, i, size, movs_run(cpu, i, sseg, size, cap_),
             movs_once(cpu, i, sseg, size, d), {
                 aset(cpu, i, R_ESI, areg(cpu, i, R_ESI) + by_);
                 aset(cpu, i, R_EDI, areg(cpu, i, R_EDI) + by_);
             });
}

static void do_stos(struct cpu *cpu, const struct insn *i, unsigned size)
{
    uint64_t d = step(cpu, size);
    if (!repeated(i)) {
        stos_once(cpu, i, size, d);
        return;
    }
    REP_RUNS(cpu, i, size, stos_run(cpu, i, size, cap_), stos_once(cpu, i, size, d),
             aset(cpu, i, R_EDI, areg(cpu, i, R_EDI) + by_));
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
