/* x87 loads and stores in every memory format.
 *
 * FLD m32/m64/m80, FILD m16/m32/m64, FBLD m80bcd; FST/FSTP m32/m64, FSTP
 * m80, FIST/FISTP m16/m32, FISTP m64, FBSTP m80bcd; and the memory operands
 * of the arithmetic and compare instructions. Conversions are done by the
 * host FPU (x87_host.c): SNaN sources raise #IA and load as QNaN, denormal
 * m32/m64 sources raise #D, stores round per RC and report #P with C1,
 * out-of-range integer/BCD stores raise #IA and store the integer or BCD
 * indefinite when masked. SDM vol. 2 FLD/FILD/FBLD/FST/FIST/FBSTP, vol. 1
 * 4.8.3.x (indefinites) and 8.2.
 *
 * Faults come first: memory is read before any state changes, and stores
 * write memory before the flags, C1 and the pop are committed.
 * Unmasked #IA/#O/#U on a store leave memory and the stack untouched.
 */
#include <string.h>

#include "cpu/mmu.h"
#include "cpu/x87.h"

static const unsigned fmt_size[] = {
    [FMT_F32] = 4, [FMT_F64] = 8, [FMT_F80] = 10, [FMT_I16] = 2,
    [FMT_I32] = 4, [FMT_I64] = 8, [FMT_BCD] = 10,
};

static void read_bytes(struct cpu *cpu, const struct insn *i, unsigned n, uint8_t *buf)
{
    uint32_t ea = insn_ea(cpu, i);
    uint32_t mask = i->adsize == 2 ? 0xffff : 0xffffffff;
    if (n == 2) {
        uint16_t v = cpu_rd16(cpu, i->seg, ea);
        memcpy(buf, &v, 2);
    } else if (n == 4) {
        uint32_t v = cpu_rd32(cpu, i->seg, ea);
        memcpy(buf, &v, 4);
    } else {
        uint64_t v = cpu_rd64(cpu, i->seg, ea);
        memcpy(buf, &v, 8);
        if (n == 10) {
            uint16_t w = cpu_rd16(cpu, i->seg, (ea + 8) & mask);
            memcpy(buf + 8, &w, 2);
        }
    }
}

static void write_bytes(struct cpu *cpu, const struct insn *i, unsigned n, const uint8_t *buf)
{
    uint32_t ea = insn_ea(cpu, i);
    uint32_t mask = i->adsize == 2 ? 0xffff : 0xffffffff;
    if (n == 2) {
        uint16_t v;
        memcpy(&v, buf, 2);
        cpu_wr16(cpu, i->seg, ea, v);
    } else if (n == 4) {
        uint32_t v;
        memcpy(&v, buf, 4);
        cpu_wr32(cpu, i->seg, ea, v);
    } else if (n == 8) {
        uint64_t v;
        memcpy(&v, buf, 8);
        cpu_wr64(cpu, i->seg, ea, v);
    } else {
        /* Both parts must be writable before either is stored. */
        uint64_t v;
        uint16_t w;
        cpu_check_write(cpu, i->seg, ea, 8);
        cpu_check_write(cpu, i->seg, (ea + 8) & mask, 2);
        memcpy(&v, buf, 8);
        memcpy(&w, buf + 8, 2);
        cpu_wr64(cpu, i->seg, ea, v);
        cpu_wr16(cpu, i->seg, (ea + 8) & mask, w);
    }
}

/* Convert a memory image to 80 bits; *exc gets the conversion's flags. */
static struct f80 convert_in(int fmt, const uint8_t *buf, unsigned *exc)
{
    static const enum x87_hop hop[] = {
        [FMT_F32] = HOP_LD32, [FMT_F64] = HOP_LD64, [FMT_I16] = HOP_LDI16,
        [FMT_I32] = HOP_LDI32, [FMT_I64] = HOP_LDI64, [FMT_BCD] = HOP_LDBCD,
    };
    struct f80 v;
    if (fmt == FMT_F80) {
        memcpy(&v.mant, buf, 8);
        memcpy(&v.se, buf + 8, 2);
        *exc = 0;
        return v;
    }
    struct x87_host h;
    memset(&h, 0, sizeof h);
    memcpy(h.mem, buf, fmt_size[fmt]);
    x87_host_run(hop[fmt], FCW_INIT, &h);
    *exc = h.sw & FSW_EXC;
    return f80_get(&h.r0);
}

struct f80 x87_read_operand(struct cpu *cpu, const struct insn *i, int fmt, unsigned *exc)
{
    uint8_t buf[16];
    read_bytes(cpu, i, fmt_size[fmt], buf);
    return convert_in(fmt, buf, exc);
}

void x87_load_mem(struct cpu *cpu, const struct insn *i, int fmt)
{
    uint8_t buf[16];
    unsigned exc;
    read_bytes(cpu, i, fmt_size[fmt], buf);
    if (!x87_push_check(cpu))
        return;
    struct f80 v = convert_in(fmt, buf, &exc);
    if (!x87_raise(cpu, exc))
        return;
    cpu->s.fpu.sw &= (uint16_t)~FSW_C1;
    x87_push(cpu, v);
}

/* The value a masked invalid store writes. */
static void indefinite(int fmt, uint8_t *buf)
{
    static const uint8_t bcd_indef[10] = { 0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0xff };
    memset(buf, 0, 10);
    switch (fmt) {
    case FMT_F32: buf[2] = 0xc0; buf[3] = 0xff; break;          /* FFC00000 */
    case FMT_F64: buf[6] = 0xf8; buf[7] = 0xff; break;          /* FFF8000000000000 */
    case FMT_F80: memcpy(buf, &F80_INDEF.mant, 8); buf[8] = 0xff; buf[9] = 0xff; break;
    case FMT_I16: buf[1] = 0x80; break;
    case FMT_I32: buf[3] = 0x80; break;
    case FMT_I64: buf[7] = 0x80; break;
    case FMT_BCD: memcpy(buf, bcd_indef, 10); break;
    }
}

static bool tiny_result(int fmt, const uint8_t *buf)
{
    if (fmt == FMT_F32) {
        uint32_t v;
        memcpy(&v, buf, 4);
        return (v & 0x7f800000u) == 0 && (v & 0x007fffffu) != 0;
    }
    if (fmt == FMT_F64) {
        uint64_t v;
        memcpy(&v, buf, 8);
        return (v & 0x7ff0000000000000ull) == 0 && (v & 0x000fffffffffffffull) != 0;
    }
    return false;
}

/* Store ST(0) as `fmt` with the rounding of control word `cw`. */
static void store_mem(struct cpu *cpu, const struct insn *i, int fmt, bool pop, uint16_t cw)
{
    static const enum x87_hop hop[] = {
        [FMT_F32] = HOP_ST32, [FMT_F64] = HOP_ST64, [FMT_I16] = HOP_STI16,
        [FMT_I32] = HOP_STI32, [FMT_I64] = HOP_STI64, [FMT_BCD] = HOP_STBCD,
    };
    unsigned n = fmt_size[fmt];
    uint8_t buf[16];

    if (x87_empty(cpu, 0)) {
        if (cw & FSW_IE) {
            indefinite(fmt, buf);
            write_bytes(cpu, i, n, buf);
        }
        if (x87_stack_underflow(cpu) && pop)
            x87_pop(cpu);
        return;
    }

    unsigned exc = 0;
    uint16_t c1 = 0;
    if (fmt == FMT_F80) {
        struct f80 v = x87_st(cpu, 0);
        memcpy(buf, &v.mant, 8);
        memcpy(buf + 8, &v.se, 2);
    } else {
        struct x87_host h;
        memset(&h, 0, sizeof h);
        x87_st_ld(cpu, 0, &h.a);
        x87_host_run(hop[fmt], cw, &h);
        memcpy(buf, h.mem, n);
        exc = h.sw & FSW_EXC;
        c1 = h.sw & FSW_C1;
        if (!(cw & FSW_UE) && !(exc & FSW_IE) && tiny_result(fmt, buf))
            exc |= FSW_UE;
    }
    /* Unmasked invalid, overflow or underflow: nothing stored, no pop. */
    bool blocked = (exc & ~cw & (FSW_IE | FSW_DE | FSW_OE | FSW_UE)) != 0;
    if (!blocked)
        write_bytes(cpu, i, n, buf);
    x87_raise(cpu, exc);
    cpu->s.fpu.sw = (uint16_t)((cpu->s.fpu.sw & ~FSW_C1) | (blocked ? 0 : c1));
    if (pop && !blocked)
        x87_pop(cpu);
}

void x87_store_mem(struct cpu *cpu, const struct insn *i, int fmt, bool pop)
{
    store_mem(cpu, i, fmt, pop, cpu->s.fpu.cw);
}

/* FISTTP (SSE3): FISTP with the rounding control taken as chop whatever
 * FCW.RC says, the same exceptions and masked responses otherwise (SDM
 * vol. 2 FISTTP). The host store runs under RC=11 (its C1 then reports
 * the truncation's direction as FISTP's does). */
void x87_fisttp(struct cpu *cpu, const struct insn *i, int fmt)
{
    store_mem(cpu, i, fmt, true, (uint16_t)(cpu->s.fpu.cw | FCW_RC));
}
