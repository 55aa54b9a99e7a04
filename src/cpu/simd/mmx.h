/* MMX registers in the x87 register file, and the x87 state changes MMX
 * instructions make (SDM vol. 3 12.2, table 12-2):
 *   - MM0-MM7 are bits 63:0 of the physical registers R0-R7 (not ST(i));
 *   - every MMX instruction sets TOP to 0; every one except EMMS marks all
 *     eight registers non-empty (tag 00 in the abridged sense: FSTENV and
 *     FSAVE still report each register's class, x87_tag_word());
 *   - writing an mm register sets that register's bits 79:64 to all ones;
 *   - EMMS marks all eight registers empty.
 * The handler calls mmx_enter() after every access that can fault (and
 * after the #MF check for a pending x87 exception), then reads and writes
 * the registers; nothing else in the x87 state changes. */
#ifndef RAWBOX_CPU_SIMD_MMX_H
#define RAWBOX_CPU_SIMD_MMX_H


#include "cpu/state.h"
#include "cpu/xmm.h"

#define MMX_FSW_TOP 0x3800u     /* x87 status word TOP, bits 13:11 */

static inline void mmx_enter(struct x87 *f)
{
    f->sw = (uint16_t)(f->sw & ~MMX_FSW_TOP);
    f->tw = 0;
}

static inline void mmx_emms(struct x87 *f)
{
    f->sw = (uint16_t)(f->sw & ~MMX_FSW_TOP);
    f->tw = 0xffff;
}

/* mm register i into the low 8 bytes of v (bytes 8-15 are left alone). */
static inline void mmx_read(const struct x87 *f, unsigned i, union xmm *v)
{
    v->q[0] = f->st[i & 7].mant;
}

/* The low 8 bytes of v into mm register i, bits 79:64 all ones. */
static inline void mmx_write(struct x87 *f, unsigned i, const union xmm *v)
{
    f->st[i & 7].mant = v->q[0];
    f->st[i & 7].se = 0xffff;
}

#endif
