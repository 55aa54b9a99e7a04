/* Exceptions and interrupt delivery (Intel SDM vol. 3 ch. 6).
 *
 * except_raise() records the event in cpu->exc_* and unwinds to cpu_run(),
 * which restores the instruction-start state and calls except_deliver().
 * Software interrupts (INT n, INT3, INTO, INT1) unwind the same way with
 * exc_kind saying which; except_deliver() then uses the recorded return EIP
 * and the soft-interrupt rules (gate DPL check, no error code).
 *
 * Delivery: the real-mode IVT (6.2 / 20.1.4); protected-mode IDT interrupt,
 * trap and task gates with the privilege and stack switch (6.12); from V86
 * mode to ring 0 with ES DS FS GS pushed and nulled (20.3.1.1). A fault while
 * delivering is rolled back and classified (6.15, table 6-5): contributory
 * after contributory, or contributory/#PF after #PF, becomes #DF; anything
 * while delivering #DF is a triple fault, which resets the machine
 * (cpu->exit_req = CPU_EXIT_RESET). The EXT bit is set in selector error
 * codes of faults raised while delivering a hardware event.
 * Fault-class exceptions push EFLAGS with RF set (17.3.1.1).
 * Left out: the VME interrupt redirection and the IOPL check of INT n live
 * in system.c; SMM. */
#include <string.h>

#include "cpu/except.h"
#include "cpu/flags.h"
#include "cpu/longmode.h"
#include "cpu/mmu.h"
#include "cpu/pmode.h"
#include "cpu/seg.h"
#include "util/log.h"

/* ---- raising ---- */

_Noreturn void except_raise(struct cpu *cpu, unsigned vector, uint32_t code)
{
    if (code != EXC_NO_CODE && cpu->exc_ext &&
        (vector == EXC_TS || vector == EXC_NP || vector == EXC_SS || vector == EXC_GP))
        code |= 1;
    cpu->exc_vector = (uint8_t)vector;
    cpu->exc_code = code;
    cpu->exc_kind = 0;
    longjmp(cpu->fault_jmp, 1);
}

_Noreturn void except_gp(struct cpu *cpu, uint32_t code) { except_raise(cpu, EXC_GP, code); }
_Noreturn void except_ss(struct cpu *cpu, uint32_t code) { except_raise(cpu, EXC_SS, code); }
_Noreturn void except_np(struct cpu *cpu, uint32_t code) { except_raise(cpu, EXC_NP, code); }
_Noreturn void except_ts(struct cpu *cpu, uint32_t code) { except_raise(cpu, EXC_TS, code); }
_Noreturn void except_ud(struct cpu *cpu) { except_raise(cpu, EXC_UD, EXC_NO_CODE); }

_Noreturn void except_pf(struct cpu *cpu, uint64_t lin, uint32_t code)
{
    cpu->s.cr2 = lin;
    except_raise(cpu, EXC_PF, code);
}

_Noreturn void except_soft_int(struct cpu *cpu, unsigned vector, int kind)
{
    cpu->exc_vector = (uint8_t)vector;
    cpu->exc_code = EXC_NO_CODE;
    cpu->exc_kind = (uint8_t)kind;
    cpu->exc_rip = cpu->next_rip;
    longjmp(cpu->fault_jmp, 1);
}

/* The delivery in progress on this thread (except_deliver), so a task
 * switch through a task gate can move its rollback point. */
struct deliver_ctx {
    struct cpu *cpu;
    struct cpu_snap *snap;
    bool committed;
};
static _Thread_local struct deliver_ctx *cur_delivery;

void except_task_committed(struct cpu *cpu)
{
    struct deliver_ctx *c = cur_delivery;
    if (c && c->cpu == cpu) {
        snap_save(cpu, c->snap);
        c->committed = true;
    }
}

/* ---- classification ---- */

static bool vec_has_code(unsigned v)
{
    return v == EXC_DF || v == EXC_TS || v == EXC_NP || v == EXC_SS ||
           v == EXC_GP || v == EXC_PF || v == EXC_AC;
}

/* Fault-class exceptions push EFLAGS with RF set (SDM vol. 3 17.3.1.1);
 * #DB (instruction breakpoint), the traps #BP/#OF and the aborts do not. */
static bool vec_fault_class(unsigned v)
{
    return v == EXC_DE || v == EXC_BR || v == EXC_UD || v == EXC_NM ||
           (v >= EXC_TS && v <= EXC_PF) || v == EXC_MF || v == EXC_AC || v == EXC_XM;
}

static bool vec_contributory(unsigned v)
{
    return v == EXC_DE || v == EXC_TS || v == EXC_NP || v == EXC_SS || v == EXC_GP;
}

/* ---- real mode ---- */

static void deliver_real(struct cpu *cpu, unsigned vec, uint32_t ret_eip)
{
    if (vec * 4 + 3 > cpu->s.idtr.limit)
        except_gp(cpu, 0);
    uint32_t ent = lin_rd32(cpu, (uint32_t)cpu->s.idtr.base + vec * 4, 0);
    uint32_t fl = flags_get(cpu);
    struct stk s;
    stk_from_seg(cpu, &s, &cpu->s.seg[SEG_SS], (uint32_t)cpu->s.gpr[R_ESP], EXC_SS, 0, 0);
    stk_push(cpu, &s, fl, 2);
    stk_push(cpu, &s, cpu->s.seg[SEG_CS].sel, 2);
    stk_push(cpu, &s, ret_eip, 2);
    set_reg32(cpu, R_ESP, s.esp);
    flags_set(cpu, fl & ~(FL_IF | FL_TF | FL_AC | FL_RF));
    seg_load_real(cpu, SEG_CS, (uint16_t)(ent >> 16));
    cpu->s.rip = ent & 0xffff;
    cpu->next_rip = ent & 0xffff;
}

/* ---- protected mode ---- */

static void deliver_pm(struct cpu *cpu, unsigned vec, uint32_t code, bool has_code,
                       uint32_t ret_eip, bool soft, bool set_rf)
{
    uint32_t idt_code = vec * 8 + 2;
    struct desc g, cd;
    if (vec * 8 + 7 > cpu->s.idtr.limit)
        except_gp(cpu, idt_code);
    uint32_t gaddr = (uint32_t)cpu->s.idtr.base + vec * 8;
    g.lo = lin_rd32(cpu, gaddr, 0);
    g.hi = lin_rd32(cpu, gaddr + 4, 0);
    uint16_t ga = desc_attr(g);
    unsigned type = attr_sys_type(ga);
    if (type != DT_TASKGATE && type != DT_INTGATE16 && type != DT_TRAPGATE16 &&
        type != DT_INTGATE32 && type != DT_TRAPGATE32)
        except_gp(cpu, idt_code);
    /* INT n, INT3 and INTO check the gate DPL; INT1 and hardware events
     * do not. */
    if (soft && SEGA_DPL(ga) < cpu->s.cpl)
        except_gp(cpu, idt_code);
    if (!(ga & SEGA_P))
        except_np(cpu, idt_code);

    if (type == DT_TASKGATE) {
        uint16_t tsel = gate_sel(g);
        struct desc td;
        if ((tsel & 4) || !desc_fetch(cpu, tsel, &td))
            except_gp(cpu, tsel & 0xfffc);
        unsigned tt = attr_sys_type(desc_attr(td));
        if (tt != DT_TSS16_AVAIL && tt != DT_TSS32_AVAIL)
            except_gp(cpu, tsel & 0xfffc);
        if (!(desc_attr(td) & SEGA_P))
            except_np(cpu, tsel & 0xfffc);
        cpu->next_rip = ret_eip;
        if (set_rf)
            cpu->s.rflags |= FL_RF;       /* the image saved in the old TSS */
        task_switch(cpu, tsel, td, TS_INT, has_code, code);
        return;
    }

    bool gate32 = (type & 8) != 0;
    unsigned sz = gate32 ? 4 : 2;
    uint16_t csel = gate_sel(g);
    uint32_t off = gate32 ? gate_off(g) : (gate_off(g) & 0xffff);
    if ((csel & ~3u) == 0)
        except_gp(cpu, 0);
    if (!desc_fetch(cpu, csel, &cd))
        except_gp(cpu, csel & 0xfffc);
    uint16_t ca = desc_attr(cd);
    unsigned dpl = SEGA_DPL(ca);
    if (!attr_is_code(ca) || dpl > cpu->s.cpl)
        except_gp(cpu, csel & 0xfffc);
    if (!(ca & SEGA_P))
        except_np(cpu, csel & 0xfffc);
    if (off > desc_limit(cd))
        except_gp(cpu, 0);

    uint32_t fl = flags_get(cpu);
    if (set_rf)
        fl |= FL_RF;
    bool from_v86 = (fl & FL_VM) != 0;
    struct stk s;
    uint16_t old_ss = cpu->s.seg[SEG_SS].sel;
    uint32_t old_esp = (uint32_t)cpu->s.gpr[R_ESP];
    uint16_t new_ss = 0;
    struct desc sd;
    bool inner = !attr_conforming(ca) && dpl < cpu->s.cpl;

    if (inner) {
        if (from_v86 && dpl != 0)
            except_gp(cpu, csel & 0xfffc);
        uint32_t esp;
        tss_ring_stack(cpu, dpl, &new_ss, &esp);
        sd = seg_check_new_ss(cpu, new_ss, dpl, EXC_TS);
        struct seg nss = { new_ss, desc_attr(sd), desc_limit(sd), desc_base(sd) };
        stk_from_seg(cpu, &s, &nss, esp, EXC_SS, new_ss & 0xfffc, dpl == 3);
        unsigned n = (from_v86 ? 9 : 5) + (has_code ? 1 : 0);
        stk_reserve(cpu, &s, n * sz);
        if (from_v86) {
            stk_push(cpu, &s, cpu->s.seg[SEG_GS].sel, sz);
            stk_push(cpu, &s, cpu->s.seg[SEG_FS].sel, sz);
            stk_push(cpu, &s, cpu->s.seg[SEG_DS].sel, sz);
            stk_push(cpu, &s, cpu->s.seg[SEG_ES].sel, sz);
        }
        stk_push(cpu, &s, old_ss, sz);
        stk_push(cpu, &s, old_esp, sz);
    } else {
        if (from_v86)
            except_gp(cpu, csel & 0xfffc);
        stk_from_seg(cpu, &s, &cpu->s.seg[SEG_SS], old_esp, EXC_SS, 0, cpu->s.cpl == 3);
        stk_reserve(cpu, &s, (3 + (has_code ? 1 : 0)) * sz);
        dpl = cpu->s.cpl;
    }
    stk_push(cpu, &s, fl, sz);
    stk_push(cpu, &s, cpu->s.seg[SEG_CS].sel, sz);
    stk_push(cpu, &s, ret_eip, sz);
    if (has_code)
        stk_push(cpu, &s, code, sz);

    /* Commit. */
    uint32_t nfl = fl & ~(FL_TF | FL_NT | FL_RF | FL_VM);
    if (type == DT_INTGATE16 || type == DT_INTGATE32)
        nfl &= ~FL_IF;
    pm_set_eflags(cpu, nfl);
    if (inner) {
        if (from_v86) {
            seg_load_null(cpu, SEG_ES, 0);
            seg_load_null(cpu, SEG_DS, 0);
            seg_load_null(cpu, SEG_FS, 0);
            seg_load_null(cpu, SEG_GS, 0);
        }
        desc_set_accessed(cpu, new_ss, &sd);
        seg_load_desc(cpu, SEG_SS, new_ss, sd);
        set_reg32(cpu, R_ESP, s.esp);
    } else {
        set_reg32(cpu, R_ESP, s.esp);
    }
    desc_set_accessed(cpu, csel, &cd);
    seg_load_cs_desc(cpu, csel, cd, dpl);
    cpu->s.rip = off;
    cpu->next_rip = off;
}

/* One delivery attempt; faults unwind through cpu->fault_jmp. `kind` is
 * EV_EXCEPTION (a fault or abort), INT_SOFT (INT n, INT3, INTO: gate DPL
 * checked), INT_ICEBP (INT1), INT_EXCEPTION_TRAP (a trap-class exception
 * such as single-step #DB), EV_EXTINT or EV_NMI. */
static void deliver_one(struct cpu *cpu, unsigned vec, uint32_t code, uint64_t ret_eip,
                        int kind)
{
    static const char *const kind_name[] = { "exc", "int", "int1", "trap", "irq", "nmi" };
    bool has_code = kind == EV_EXCEPTION && vec_has_code(vec);
    if (has_code && code == EXC_NO_CODE)
        code = 0;
    if (log_on(LOG_EXC)) {
        const char *kn = kind >= 0 && kind <= EV_NMI ? kind_name[kind] : "?";
        if (has_code)
            log_msg(LOG_EXC, "vector %u code %#x at %04x:%08x (%s)", vec, code,
                    cpu->s.seg[SEG_CS].sel, EIP(cpu), kn);
        else
            log_msg(LOG_EXC, "vector %u at %04x:%08x (%s)", vec,
                    cpu->s.seg[SEG_CS].sel, EIP(cpu), kn);
    }
    if (!(cpu->s.cr0 & CR0_PE))
        deliver_real(cpu, vec, (uint32_t)ret_eip);
    else if (cpu->s.efer & EFER_LMA)
        deliver_long(cpu, vec, code, has_code, ret_eip, kind == INT_SOFT,
                     kind == EV_EXCEPTION && vec_fault_class(vec));
    else
        deliver_pm(cpu, vec, code, has_code, (uint32_t)ret_eip, kind == INT_SOFT,
                   kind == EV_EXCEPTION && vec_fault_class(vec));
}

int except_deliver(struct cpu *cpu, unsigned vector, uint32_t code,
                   uint64_t ret_eip, int kind)
{
    jmp_buf saved;
    struct cpu_snap snap;
    volatile unsigned vec = vector;
    volatile uint32_t c = code;
    volatile uint64_t reip = ret_eip;
    volatile int k = kind;

    /* A software interrupt unwound by except_soft_int() may arrive as an
     * exception with the vector it recorded. */
    if (kind == EV_EXCEPTION && cpu->exc_kind != 0 && vector == cpu->exc_vector) {
        k = cpu->exc_kind;
        reip = cpu->exc_rip;
    }
    cpu->exc_kind = 0;
    cpu->halted = 0;
    if (kind == EV_NMI)
        cpu->nmi_blocked = 1;

    memcpy(saved, cpu->fault_jmp, sizeof saved);
    snap_save(cpu, &snap);
    struct deliver_ctx ctx = { cpu, &snap, false };
    struct deliver_ctx *outer = cur_delivery;
    cur_delivery = &ctx;
    for (;;) {
        if (setjmp(cpu->fault_jmp) == 0) {
            cpu->exc_ext = k != INT_SOFT;
            deliver_one(cpu, vec, c, reip, k);
            break;
        }
        /* A fault while delivering. */
        unsigned v2 = cpu->exc_vector;
        uint32_t c2 = cpu->exc_code;
        snap_restore(cpu, &snap);
        if (ctx.committed) {
            /* A task gate switched tasks; the fault belongs to the new
             * task and is delivered there like a first event. */
            ctx.committed = false;
            vec = v2;
            c = c2;
            reip = cpu->s.rip;
            k = EV_EXCEPTION;
            continue;
        }
        if (k == EV_EXCEPTION && vec == EXC_DF) {
            LOG(LOG_EXC, "triple fault (vector %u while delivering #DF) at %04x:%08x: reset",
                v2, cpu->s.seg[SEG_CS].sel, EIP(cpu));
            cpu->exit_req = CPU_EXIT_RESET;
            break;
        }
        bool first_pf = vec == EXC_PF;
        bool first_contrib = vec_contributory(vec);
        if (k == EV_EXCEPTION &&
            ((first_contrib && vec_contributory(v2)) ||
             (first_pf && (vec_contributory(v2) || v2 == EXC_PF)))) {
            LOG(LOG_EXC, "double fault: vector %u while delivering %u", v2, vec);
            vec = EXC_DF;
            c = 0;
        } else {
            /* Benign first event: the second is handled serially. A fault
             * delivering a software interrupt belongs to the INT itself. */
            if (k == INT_SOFT || k == INT_ICEBP)
                reip = cpu->s.rip;
            vec = v2;
            c = c2;
            k = EV_EXCEPTION;
        }
    }
    cpu->exc_ext = 0;
    cur_delivery = outer;
    memcpy(cpu->fault_jmp, saved, sizeof saved);
    return k;
}
