/* x87 transcendental and other D9 Fx operations.
 *
 * FSQRT, FRNDINT, F2XM1, FSIN, FCOS (one operand, result in ST(0));
 * FSCALE, FPREM, FPREM1 (ST(0) op ST(1) -> ST(0)); FYL2X, FYL2XP1, FPATAN
 * (ST(1) op ST(0) -> ST(1), pop); FXTRACT, FPTAN, FSINCOS (one operand, two
 * results). Computed by the same host instructions (x87_host.c), so C2 for
 * operands out of range (|x| >= 2^63 for FSIN/FCOS/FSINCOS/FPTAN: operand
 * left unchanged), the partial-remainder C2 and the quotient bits C0/C3/C1
 * of FPREM/FPREM1 come from the hardware. SDM vol. 2 instruction pages,
 * vol. 1 8.3.10 (transcendentals).
 *
 * TODO(x87): unmasked #U on F2XM1/FYL2X/FYL2XP1/FPATAN/FSIN/FCOS/FPTAN
 * delivers the masked (denormal) result instead of the wrapped one.
 */
#include <string.h>

#include "cpu/x87.h"

void x87_unary_host(struct cpu *cpu, enum x87_hop op)
{
    if (x87_empty(cpu, 0)) {
        if (x87_stack_underflow(cpu))
            x87_set_st(cpu, 0, F80_INDEF);
        return;
    }
    struct x87_host h;
    memset(&h, 0, sizeof h);
    x87_st_ld(cpu, 0, &h.a);
    x87_host_run(op, cpu->s.fpu.cw, &h);
    if (op == HOP_SIN || op == HOP_COS) {
        /* C2=1: operand out of range, ST(0) unchanged, no exception. */
        cpu->s.fpu.sw = (uint16_t)((cpu->s.fpu.sw & ~FSW_C2) | (h.sw & FSW_C2));
        if (h.sw & FSW_C2) {
            cpu->s.fpu.sw &= (uint16_t)~FSW_C1;
            return;
        }
    }
    if (!x87_result(cpu, op, &h))
        return;
    x87_set_st_ld(cpu, 0, &h.r0);
}

/* Two-operand forms: FSCALE, FPREM, FPREM1 keep both registers; FYL2X,
 * FYL2XP1, FPATAN write ST(1) and pop. */
static void binary(struct cpu *cpu, enum x87_hop op, bool pop)
{
    if (x87_empty(cpu, 0) || x87_empty(cpu, 1)) {
        if (x87_stack_underflow(cpu)) {
            if (pop) {
                x87_set_st(cpu, 1, F80_INDEF);
                x87_pop(cpu);
            } else {
                x87_set_st(cpu, 0, F80_INDEF);
            }
        }
        return;
    }
    struct x87_host h;
    memset(&h, 0, sizeof h);
    x87_st_ld(cpu, 0, &h.a);
    x87_st_ld(cpu, 1, &h.b);
    x87_host_run(op, cpu->s.fpu.cw, &h);
    if (!x87_result(cpu, op, &h))
        return;
    if (op == HOP_PREM || op == HOP_PREM1) {
        /* C2 incomplete, Q2 Q0 Q1 in C0 C3 C1. A masked invalid operation
         * (zero divisor, infinite dividend, SNaN) has no quotient: the
         * hardware leaves C0, C1 and C3 as they were (measured on the host
         * by tests/boot/uprogs/x87.c under raw mode); the host run here
         * started from FNINIT's zeros, so they are taken from the guest. */
        uint16_t cc = h.sw & FSW_CC;
        if (h.sw & FSW_IE)
            cc = (uint16_t)((cpu->s.fpu.sw & (FSW_C0 | FSW_C1 | FSW_C3)) | (cc & FSW_C2));
        x87_set_cc(cpu, cc);
    }
    if (pop) {
        x87_set_st_ld(cpu, 1, &h.r0);
        x87_pop(cpu);
    } else {
        x87_set_st_ld(cpu, 0, &h.r0);
    }
}

/* FXTRACT, FPTAN, FSINCOS: replace ST(0) and push a second result. */
static void two_results(struct cpu *cpu, enum x87_hop op)
{
    if (x87_empty(cpu, 0) || !x87_empty(cpu, 7)) {
        bool masked = x87_empty(cpu, 0) ? x87_stack_underflow(cpu) : x87_stack_overflow(cpu);
        if (masked) {
            x87_set_st(cpu, 0, F80_INDEF);
            x87_push(cpu, F80_INDEF);
        }
        return;
    }
    struct x87_host h;
    memset(&h, 0, sizeof h);
    x87_st_ld(cpu, 0, &h.a);
    x87_host_run(op, cpu->s.fpu.cw, &h);
    if (op != HOP_XTRACT) {
        cpu->s.fpu.sw = (uint16_t)((cpu->s.fpu.sw & ~FSW_C2) | (h.sw & FSW_C2));
        if (h.sw & FSW_C2) {
            cpu->s.fpu.sw &= (uint16_t)~FSW_C1;
            return;                         /* out of range: unchanged */
        }
    }
    unsigned exc = h.sw & FSW_EXC;
    if (!x87_raise(cpu, exc))
        return;
    cpu->s.fpu.sw = (uint16_t)((cpu->s.fpu.sw & ~FSW_C1) | (h.sw & FSW_C1));
    /* r0 is the new ST(0) (significand, 1.0, cosine), r1 the value left
     * in ST(1) (exponent, tangent, sine). */
    x87_set_st_ld(cpu, 0, &h.r1);
    x87_push(cpu, f80_get(&h.r0));
}

void x87_trans(struct cpu *cpu, enum x87_hop op)
{
    switch (op) {
    case HOP_SCALE: case HOP_PREM: case HOP_PREM1:
        binary(cpu, op, false);
        break;
    case HOP_YL2X: case HOP_YL2XP1: case HOP_PATAN:
        binary(cpu, op, true);
        break;
    case HOP_XTRACT: case HOP_PTAN: case HOP_SINCOS:
        two_results(cpu, op);
        break;
    default:
        x87_unary_host(cpu, op);
        break;
    }
}
