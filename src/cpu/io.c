/* IN and OUT (opcodes E4-E7, EC-EF) and the I/O permission check
 * io_check() that INS/OUTS in string.c share (Intel SDM vol. 1 19.5.1-2,
 * vol. 2 IN/OUT pseudocode).
 *
 * Protected mode with CPL > IOPL, and V86 mode always, consult the I/O
 * permission bitmap of a 32-bit TSS: the bitmap offset is the word at
 * TSS+0x66; the two bytes holding the port's bits are read (they may be the
 * last byte of the TSS and one beyond, which must also be within the limit,
 * so the usual 0xFF terminator byte matters); any set bit for the accessed
 * ports raises #GP(0). A 16-bit TSS has no bitmap: #GP(0). In IA-32e mode
 * the 64-bit TSS has the same bitmap fields at a 64-bit base. */
#include "cpu/io.h"
#include "cpu/except.h"
#include "cpu/insn.h"
#include "cpu/longmode.h"
#include "cpu/mmu.h"
#include "mem/iobus.h"

void io_check(struct cpu *cpu, uint16_t port, unsigned size)
{
    if (cpu->s.mode == MODE_REAL)
        return;
    unsigned iopl = (cpu->s.rflags & FL_IOPL) >> FL_IOPL_SHIFT;
    if (mode_is_prot(cpu->s.mode) && cpu->s.cpl <= iopl)
        return;
    const struct seg *tr = &cpu->s.seg[SEG_TR];
    unsigned type = tr->attr & 0x1f;
    if ((type != 0x09 && type != 0x0b) || tr->limit < 0x67)
        except_gp(cpu, 0);
    /* IA-32e mode: the 64-bit TSS base (all 64 bits, compatibility mode
     * too); legacy modes wrap at 4 GiB. */
    bool lma = (cpu->s.efer & EFER_LMA) != 0;
    uint64_t base = tr->base;
    uint32_t map = lin_rd16(cpu, lma ? base + 0x66 : (uint32_t)(base + 0x66), 0);
    uint32_t byte = map + (port >> 3);
    if (byte + 1 > tr->limit)
        except_gp(cpu, 0);
    uint16_t bits = lin_rd16(cpu, lma ? base + byte : (uint32_t)(base + byte), 0);
    uint16_t want = (uint16_t)(((1u << size) - 1) << (port & 7));
    if (bits & want)
        except_gp(cpu, 0);
}

static void do_in(struct cpu *cpu, uint16_t port, unsigned size)
{
    io_check(cpu, port, size);
    uint32_t v = iobus_in(cpu->io, port, size);
    reg_set(cpu, R_EAX, size, v);
}

static void do_out(struct cpu *cpu, uint16_t port, unsigned size)
{
    io_check(cpu, port, size);
    iobus_out(cpu->io, port, reg_get(cpu, R_EAX, size), size);
}

void op_in_AL_Ib(struct cpu *cpu, const struct insn *i) { do_in(cpu, (uint8_t)i->imm, 1); }
void op_in_eAX_Ib(struct cpu *cpu, const struct insn *i) { do_in(cpu, (uint8_t)i->imm, i->opsize); }
void op_in_AL_DX(struct cpu *cpu, const struct insn *i) { do_in(cpu, (uint16_t)cpu->s.gpr[R_EDX], 1); }
void op_in_eAX_DX(struct cpu *cpu, const struct insn *i) { do_in(cpu, (uint16_t)cpu->s.gpr[R_EDX], i->opsize); }
void op_out_Ib_AL(struct cpu *cpu, const struct insn *i) { do_out(cpu, (uint8_t)i->imm, 1); }
void op_out_Ib_eAX(struct cpu *cpu, const struct insn *i) { do_out(cpu, (uint8_t)i->imm, i->opsize); }
void op_out_DX_AL(struct cpu *cpu, const struct insn *i) { do_out(cpu, (uint16_t)cpu->s.gpr[R_EDX], 1); }
void op_out_DX_eAX(struct cpu *cpu, const struct insn *i) { do_out(cpu, (uint16_t)cpu->s.gpr[R_EDX], i->opsize); }
