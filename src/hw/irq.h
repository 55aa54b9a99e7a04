/* An interrupt line. A device holds one and only raises or lowers its level;
 * the board decides what the line is wired to (PIC input, I/O APIC pin,
 * CPU INTR). */
#ifndef RAWBOX_HW_IRQ_H
#define RAWBOX_HW_IRQ_H

typedef void (*irq_set_fn)(void *opaque, int n, int level);

struct irq_line {
    irq_set_fn set;
    void *opaque;
    int n;
};

static inline void irq_set(const struct irq_line *l, int level)
{
    if (l && l->set)
        l->set(l->opaque, l->n, level);
}
static inline void irq_raise(const struct irq_line *l) { irq_set(l, 1); }
static inline void irq_lower(const struct irq_line *l) { irq_set(l, 0); }
/* An edge for edge-triggered consumers: raise then lower. */
static inline void irq_pulse(const struct irq_line *l) { irq_set(l, 1); irq_set(l, 0); }

#endif
