/* x87 environment and state images: FNSTENV, FLDENV, FNSAVE, FRSTOR.
 *
 * Four layouts (SDM vol. 1 8.1.10, figures 8-9 to 8-12), chosen by the
 * operand size (14 or 28 bytes) and the mode: protected mode stores
 * selector:offset pointers; real-address and virtual-8086 mode store 20-bit
 * (16-bit image) or 32-bit (32-bit image) linear instruction and operand
 * pointers with the opcode. FNSAVE/FRSTOR append ST(0)..ST(7) in stack
 * order, 10 bytes each (94 or 108 bytes in all).
 *
 * FNSTENV masks all exceptions after storing; FNSAVE then reinitialises
 * the FPU as FNINIT does. Stored tags are recomputed from the register
 * contents; loaded tags only distinguish empty from non-empty (the
 * hardware recomputes the rest). Reserved fields are stored as 1s, as
 * P6 parts do. Loading an image whose status word has unmasked exception
 * flags sets ES, so the next waiting instruction reports them.
 */
#include <string.h>

#include "cpu/mmu.h"
#include "cpu/x87.h"

static void put16(uint8_t *b, unsigned off, uint32_t v)
{
    b[off] = (uint8_t)v;
    b[off + 1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *b, unsigned off, uint32_t v)
{
    put16(b, off, v & 0xffff);
    put16(b, off + 2, v >> 16);
}

static uint32_t get16(const uint8_t *b, unsigned off)
{
    return b[off] | ((uint32_t)b[off + 1] << 8);
}

static uint32_t get32(const uint8_t *b, unsigned off)
{
    return get16(b, off) | (get16(b, off + 2) << 16);
}

static bool prot_layout(const struct cpu *cpu)
{
    return mode_is_prot(cpu->s.mode);
}

/* Build the environment image; returns its size (14 or 28). */
static unsigned env_store(struct cpu *cpu, bool op32, uint8_t *b)
{
    const struct x87 *f = &cpu->s.fpu;
    uint16_t tw = x87_tag_word(cpu);
    unsigned fop = f->fop & 0x7ff;

    if (op32) {
        memset(b, 0xff, 28);
        put16(b, 0, f->cw);
        put16(b, 4, f->sw);
        put16(b, 8, tw);
        if (prot_layout(cpu)) {
            put32(b, 12, f->fip);
            put32(b, 16, f->fcs | ((uint32_t)fop << 16));
            put32(b, 20, f->fdp);
            put16(b, 24, f->fds);
        } else {
            uint32_t ip = f->fip + ((uint32_t)f->fcs << 4);
            uint32_t dp = f->fdp + ((uint32_t)f->fds << 4);
            put16(b, 12, ip & 0xffff);
            put32(b, 16, fop | ((ip >> 16) << 12));
            put16(b, 20, dp & 0xffff);
            put32(b, 24, (dp >> 16) << 12);
        }
        return 28;
    }
    put16(b, 0, f->cw);
    put16(b, 2, f->sw);
    put16(b, 4, tw);
    if (prot_layout(cpu)) {
        put16(b, 6, f->fip & 0xffff);
        put16(b, 8, f->fcs);
        put16(b, 10, f->fdp & 0xffff);
        put16(b, 12, f->fds);
    } else {
        uint32_t ip = f->fip + ((uint32_t)f->fcs << 4);
        uint32_t dp = f->fdp + ((uint32_t)f->fds << 4);
        put16(b, 6, ip & 0xffff);
        put16(b, 8, (((ip >> 16) & 0xf) << 12) | fop);
        put16(b, 10, dp & 0xffff);
        put16(b, 12, ((dp >> 16) & 0xf) << 12);
    }
    return 14;
}

static void env_load(struct cpu *cpu, bool op32, const uint8_t *b)
{
    struct x87 *f = &cpu->s.fpu;
    uint16_t cw, sw, tw;

    if (op32) {
        cw = (uint16_t)get16(b, 0);
        sw = (uint16_t)get16(b, 4);
        tw = (uint16_t)get16(b, 8);
        if (prot_layout(cpu)) {
            f->fip = get32(b, 12);
            f->fcs = (uint16_t)get16(b, 16);
            f->fop = (uint16_t)(get16(b, 18) & 0x7ff);
            f->fdp = get32(b, 20);
            f->fds = (uint16_t)get16(b, 24);
        } else {
            f->fip = get16(b, 12) | ((get32(b, 16) >> 12 & 0xffff) << 16);
            f->fop = (uint16_t)(get16(b, 16) & 0x7ff);
            f->fdp = get16(b, 20) | ((get32(b, 24) >> 12 & 0xffff) << 16);
            f->fcs = f->fds = 0;
        }
    } else {
        cw = (uint16_t)get16(b, 0);
        sw = (uint16_t)get16(b, 2);
        tw = (uint16_t)get16(b, 4);
        if (prot_layout(cpu)) {
            f->fip = get16(b, 6);
            f->fcs = (uint16_t)get16(b, 8);
            f->fdp = get16(b, 10);
            f->fds = (uint16_t)get16(b, 12);
        } else {
            f->fip = get16(b, 6) | ((get16(b, 8) >> 12) << 16);
            f->fop = (uint16_t)(get16(b, 8) & 0x7ff);
            f->fdp = get16(b, 10) | ((get16(b, 12) >> 12) << 16);
            f->fcs = f->fds = 0;
        }
    }
    /* Only "empty" survives a load; other tags follow the contents. */
    uint16_t t = 0;
    for (unsigned p = 0; p < 8; p++)
        t |= (uint16_t)((((tw >> (2 * p)) & 3) == TAG_EMPTY ? TAG_EMPTY : TAG_VALID) << (2 * p));
    f->tw = t;
    f->sw = sw;
    x87_set_cw(cpu, cw);        /* recomputes ES/B from the loaded flags */
}

static void write_image(struct cpu *cpu, const struct insn *i, const uint8_t *b, unsigned n)
{
    uint64_t ea = insn_ea(cpu, i);      /* all 64 bits in 64-bit mode */
    uint64_t mask = i->adsize == 2 ? 0xffff : i->adsize == 4 ? 0xffffffffu : ~(uint64_t)0;
    for (unsigned k = 0; k < n; k++)
        cpu_check_write(cpu, i->seg, (ea + k) & mask, 1);
    for (unsigned k = 0; k + 1 < n; k += 2)
        cpu_wr16(cpu, i->seg, (ea + k) & mask, (uint16_t)get16(b, k));
}

static void read_image(struct cpu *cpu, const struct insn *i, uint8_t *b, unsigned n)
{
    uint64_t ea = insn_ea(cpu, i);      /* all 64 bits in 64-bit mode */
    uint64_t mask = i->adsize == 2 ? 0xffff : i->adsize == 4 ? 0xffffffffu : ~(uint64_t)0;
    for (unsigned k = 0; k + 1 < n; k += 2)
        put16(b, k, cpu_rd16(cpu, i->seg, (ea + k) & mask));
}

void x87_fnstenv(struct cpu *cpu, const struct insn *i)
{
    uint8_t b[28];
    unsigned n = env_store(cpu, i->opsize == 4, b);
    write_image(cpu, i, b, n);
    x87_set_cw(cpu, cpu->s.fpu.cw | FCW_EXC);
}

void x87_fldenv(struct cpu *cpu, const struct insn *i)
{
    uint8_t b[28];
    read_image(cpu, i, b, i->opsize == 4 ? 28 : 14);
    env_load(cpu, i->opsize == 4, b);
}

void x87_fnsave(struct cpu *cpu, const struct insn *i)
{
    uint8_t b[108];
    unsigned n = env_store(cpu, i->opsize == 4, b);
    for (unsigned k = 0; k < 8; k++)
        f80_image(x87_st(cpu, k), b + n + 10 * k);
    write_image(cpu, i, b, n + 80);
    x87_init_state(cpu);
}

void x87_frstor(struct cpu *cpu, const struct insn *i)
{
    uint8_t b[108];
    unsigned n = i->opsize == 4 ? 28 : 14;
    read_image(cpu, i, b, n + 80);
    env_load(cpu, i->opsize == 4, b);
    for (unsigned k = 0; k < 8; k++) {
        cpu->s.fpu.st[x87_phys(cpu, k)] = f80_from_image(b + n + 10 * k);
    }
}
