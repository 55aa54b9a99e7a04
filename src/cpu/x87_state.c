/* x87 state as a save-state section ("x87", version 1).
 *
 * The eight registers are stored as their 80-bit images in physical order
 * (80 bytes), then FCW, FSW (with TOP), the full tag word, FOP, FIP/FCS,
 * FDP/FDS. Loading checks the field ranges; the reserved control-word bits
 * are normalised as FLDCW does and ES/B are recomputed from the flags, so
 * a crafted image cannot produce a state the hardware could not hold.
 * The CPU's save/load hooks call these (see src/vm/savestate.h).
 */
#include <string.h>

#include "cpu/x87.h"
#include "cpu/x87_state.h"
#include "util/savestate.h"

#define X87_SECTION_VERSION 1

void x87_save(const struct cpu *cpu, struct savestate *ss)
{
    const struct x87 *f = &cpu->s.fpu;
    uint8_t regs[80];
    for (unsigned p = 0; p < 8; p++)
        memcpy(regs + 10 * p, &f->st[p], 10);
    ss_section_begin(ss, "x87", X87_SECTION_VERSION);
    ss_put_bytes(ss, "st", regs, sizeof regs);
    ss_put(ss, "cw", f->cw);
    ss_put(ss, "sw", f->sw);
    ss_put(ss, "tw", f->tw);
    ss_put(ss, "fop", f->fop);
    ss_put(ss, "fip", f->fip);
    ss_put(ss, "fcs", f->fcs);
    ss_put(ss, "fdp", f->fdp);
    ss_put(ss, "fds", f->fds);
    ss_section_end(ss);
}

int x87_load(struct cpu *cpu, struct savestate *ss)
{
    struct x87 f;
    uint8_t regs[80];
    memset(&f, 0, sizeof f);
    if (ss_section_open(ss, "x87", 1, X87_SECTION_VERSION, NULL) < 0)
        return -1;
    ss_get_bytes(ss, "st", regs, sizeof regs);
    ss_get_u16(ss, "cw", 0xffff, &f.cw);
    ss_get_u16(ss, "sw", 0xffff, &f.sw);
    ss_get_u16(ss, "tw", 0xffff, &f.tw);
    ss_get_u16(ss, "fop", 0x7ff, &f.fop);
    ss_get_u32(ss, "fip", 0xffffffffu, &f.fip);
    ss_get_u16(ss, "fcs", 0xffff, &f.fcs);
    ss_get_u32(ss, "fdp", 0xffffffffu, &f.fdp);
    ss_get_u16(ss, "fds", 0xffff, &f.fds);
    if (ss->err)
        return -1;
    for (unsigned p = 0; p < 8; p++) {
        memset(&f.st[p], 0, sizeof f.st[p]);
        memcpy(&f.st[p], regs + 10 * p, 10);
    }
    uint16_t cw = f.cw;
    cpu->s.fpu = f;
    x87_set_cw(cpu, cw);        /* normalises reserved bits, recomputes ES */
    return 0;
}
