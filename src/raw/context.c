/* The guest's user-mode registers in the helper's signal frame, and back.
 *
 * The host kernel restores from the frame: the 16 general registers, RIP,
 * the user-writable EFLAGS bits, CS and SS (UC_STRICT_RESTORE_SS) and the
 * x87/SSE state in the xsave area the frame points at. It restores neither
 * DS/ES nor FS/GS, so those are ops the stub runs before rt_sigreturn:
 * 64-bit guests get the FS/GS bases through arch_prctl; 32-bit guests run
 * in the host's compatibility segment (__USER32_CS) with DS/ES = __USER_DS
 * and their FS/GS descriptors mirrored into the helper's LDT (entries 0
 * and 1), which is how Wine runs 32-bit code from a 64-bit process. The
 * rules (src/raw/engine.c) make sure CS, SS, DS and ES are flat. */
#include <string.h>

#include "cpu/flags.h"
#include "cpu/xmm.h"
#include "raw/vcpu.h"

/* The host's flat user segments (arch/x86/include/asm/segment.h). */
#define HOST_USER32_CS 0x23
#define HOST_USER_DS   0x2b
#define HOST_USER_CS   0x33

/* EFLAGS bits user code owns and the frame carries both ways. */
#define USER_FLAGS (FL_ARITH | FL_DF | FL_TF | FL_AC | FL_NT)

#ifndef UC_SIGCONTEXT_SS
#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4
#endif
#define UC_FP_XSTATE 0x1

/* gregs index of each guest register, in ModRM order. */
static const int greg_of[16] = {
    REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
    REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
};

static void queue(struct raw_space *sp, uint32_t kind, uint32_t arg, uint64_t addr)
{
    struct raw_op op = { kind, arg, addr, 0, 0 };
    raw_helper_queue(&sp->h, &op);
}

/* Mirror a 32-bit guest's FS or GS (entry 0 or 1 of the helper's LDT). */
static void mirror32(struct raw_space *sp, struct raw_hseg *h, const struct seg *g,
                     unsigned entry, uint32_t load_op)
{
    bool usable = (g->sel & ~3u) && (g->attr & SEGA_P) && (g->attr & SEGA_S);
    uint16_t sel = usable ? (uint16_t)((entry << 3) | 4 | 3) : 0;
    if (h->valid && h->sel == sel &&
        (!usable || (h->base == g->base && h->limit == g->limit && h->attr == g->attr)))
        return;
    if (usable) {
        /* struct user_desc: entry_number, base_addr, limit, then flags:
         * seg_32bit, contents (2 bits), read_exec_only, limit_in_pages,
         * seg_not_present, useable, lm. */
        uint32_t type = SEGA_TYPE(g->attr);
        bool code = type & 8;
        uint32_t contents = code ? 2 : (type & 4) ? 1 : 0;
        bool ro = !(type & 2);     /* code: not readable; data: not writable */
        bool pages = g->limit > 0xfffff;
        uint32_t limit = pages ? g->limit >> 12 : g->limit;
        uint32_t flags = ((g->attr & SEGA_DB) ? 1u : 0) | contents << 1 | (ro ? 1u : 0) << 3 |
                         (pages ? 1u : 0) << 4 | 1u << 6;
        struct raw_op op = { RAW_OP_LDT, 0, 0, 0, 0 };
        uint32_t desc[4] = { entry, (uint32_t)g->base, limit, flags };
        memcpy(&op.addr, desc, sizeof desc);
        raw_helper_queue(&sp->h, &op);
    }
    queue(sp, load_op, sel, 0);
    h->valid = true;
    h->sel = sel;
    h->base = g->base;
    h->limit = g->limit;
    h->attr = g->attr;
}

static void mirror64(struct raw_space *sp, struct raw_hseg *h, uint64_t base, uint32_t op)
{
    if (h->valid && h->sel == 0 && h->base == base)
        return;
    queue(sp, op, 0, base);
    h->valid = true;
    h->sel = 0;
    h->base = base;
}

void raw_state_to_frame(struct cpu *cpu, struct raw_vcpu *rv)
{
    struct raw_space *sp = rv->cur;
    ucontext_t *uc = sp->h.uc;
    greg_t *g = uc->uc_mcontext.gregs;
    bool is64 = cpu->s.mode == MODE_LONG64;
    int mode = is64 ? 64 : 32;

    if (sp->hmode != mode) {
        sp->fs.valid = sp->gs.valid = false;
        sp->ds_ok = false;
        sp->hmode = mode;
    }
    if (is64) {
        /* DS and ES do nothing in 64-bit mode, but code can read them:
         * where the guest's value is one the host's GDT also holds (0, or
         * __USER_DS, which Linux guests use), load it. */
        uint16_t ds = cpu->s.seg[SEG_DS].sel;
        if (!sp->ds_ok && (ds == 0 || ds == HOST_USER_DS) && ds == cpu->s.seg[SEG_ES].sel) {
            queue(sp, RAW_OP_DSES, ds, 0);
            sp->ds_ok = true;
            sp->ds_sel = ds;
        } else if (sp->ds_ok && ds != sp->ds_sel) {
            sp->ds_ok = false;
        }
        mirror64(sp, &sp->fs, cpu->s.seg[SEG_FS].base, RAW_OP_FSBASE);
        mirror64(sp, &sp->gs, cpu->s.seg[SEG_GS].base, RAW_OP_GSBASE);
    } else {
        if (!sp->ds_ok || sp->ds_sel != HOST_USER_DS) {
            queue(sp, RAW_OP_DSES, HOST_USER_DS, 0);
            sp->ds_ok = true;
            sp->ds_sel = HOST_USER_DS;
        }
        mirror32(sp, &sp->fs, &cpu->s.seg[SEG_FS], 0, RAW_OP_FS);
        mirror32(sp, &sp->gs, &cpu->s.seg[SEG_GS], 1, RAW_OP_GS);
    }

    for (int k = 0; k < 16; k++)
        g[greg_of[k]] = (greg_t)cpu->s.gpr[k];
    g[REG_RIP] = (greg_t)cpu->s.rip;
    flags_materialize(cpu);
    g[REG_EFL] = (greg_t)(((uint64_t)g[REG_EFL] & ~(uint64_t)(USER_FLAGS | FL_RF)) |
                          (cpu->s.rflags & (USER_FLAGS & ~FL_TF)));
    uint64_t csgsfs = (uint64_t)g[REG_CSGSFS] & 0x0000ffffffff0000ull;
    csgsfs |= is64 ? HOST_USER_CS : HOST_USER32_CS;
    csgsfs |= (uint64_t)HOST_USER_DS << 48;
    g[REG_CSGSFS] = (greg_t)csgsfs;
    uc->uc_flags |= UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;

    uint8_t *fx = sp->h.fx;
    fx_image_save(cpu, fx);
    if (uc->uc_flags & UC_FP_XSTATE) {
        /* XSTATE_BV: x87 and SSE from the image; everything else the
         * guest's CPU lacks (AVX and up) starts from its initial state at
         * every resume, so no guest process sees another's. */
        uint64_t bv = 3;
        memcpy(fx + 512, &bv, 8);
    }
}

void raw_frame_to_state(struct cpu *cpu, struct raw_vcpu *rv)
{
    struct raw_space *sp = rv->cur;
    const ucontext_t *uc = sp->h.uc;
    const greg_t *g = uc->uc_mcontext.gregs;
    bool is64 = cpu->s.mode == MODE_LONG64;

    for (int k = 0; k < (is64 ? 16 : 8); k++)
        cpu->s.gpr[k] = is64 ? (uint64_t)g[greg_of[k]] : (uint32_t)g[greg_of[k]];
    cpu->s.rip = is64 ? (uint64_t)g[REG_RIP] : (uint32_t)g[REG_RIP];
    flags_materialize(cpu);
    cpu->s.rflags = (cpu->s.rflags & ~(uint64_t)USER_FLAGS) | ((uint64_t)g[REG_EFL] & USER_FLAGS);
    fx_image_load(cpu, sp->h.fx);

    /* A selector other than the one the stub loaded means guest code
     * loaded FS or GS itself; the next resume mirrors them again. */
    volatile uint16_t *segs = (volatile uint16_t *)(sp->h.rep + REP_SEGS);
    bool ds_moved = sp->ds_ok && (segs[0] != sp->ds_sel || segs[1] != sp->ds_sel);
    if (ds_moved || (sp->fs.valid && segs[2] != sp->fs.sel) ||
        (sp->gs.valid && segs[3] != sp->gs.sel)) {
        rv->st.seg_resync++;
        sp->fs.valid = sp->gs.valid = false;
        sp->ds_ok = false;
    }
}
