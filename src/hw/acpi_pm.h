/* ACPI fixed-hardware power-management block (src/hw/acpi_pm.c), laid out
 * as the PIIX4 PM function's I/O space and as src/boot/acpi.c describes it:
 *   base + 0  PM1a_EVT_BLK: PM1_STS (word), PM1_EN (word)
 *   base + 4  PM1a_CNT_BLK: PM1_CNT (word; SCI_EN, SLP_TYP, SLP_EN)
 *   base + 8  PM_TMR_BLK:   24-bit ACPI PM timer at 3.579545 MHz (dword)
 * The SCI goes out on `sci` (the board wires it to a level-triggered ISA
 * IRQ). A write of SLP_EN calls ops.sleep with SLP_TYP; the board decides
 * what each type means (its \_S5 value powers off). */
#ifndef RAWBOX_HW_ACPI_PM_H
#define RAWBOX_HW_ACPI_PM_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/irq.h"
#include "vm/clock.h"

struct iobus;
struct savestate;

#define ACPI_PM_SIZE   12u
#define ACPI_PM_TMR_HZ 3579545u

/* PM1_STS / PM1_EN bits (ACPI 6.5 s4.8.3.1). */
#define ACPI_PM1_TMR     0x0001
#define ACPI_PM1_GBL     0x0020
#define ACPI_PM1_PWRBTN  0x0100
#define ACPI_PM1_SLPBTN  0x0200
#define ACPI_PM1_RTC     0x0400
#define ACPI_PM1_WAK     0x8000     /* status only */
/* PM1_CNT bits (s4.8.3.2). */
#define ACPI_PM1_SCI_EN  0x0001
#define ACPI_PM1_SLP_EN  0x2000
#define ACPI_PM1_SLP_TYP_SHIFT 10

struct acpi_pm_ops {
    void (*sleep)(void *opaque, unsigned slp_typ);
    void *opaque;
};

struct acpi_pm {
    uint16_t sts, en, cnt;
    uint64_t tmr_epoch;         /* timer bit-23 period last acknowledged */
    int sci_level;
    struct irq_line sci;
    struct acpi_pm_ops ops;
    struct clock *clock;
    struct timer timer;         /* next TMR_STS edge, armed while TMR_EN */
};

/* Registers base..base+ACPI_PM_SIZE-1. */
int acpi_pm_init(struct acpi_pm *s, struct clock *clock, struct iobus *bus, uint16_t base,
                 struct irq_line sci, const struct acpi_pm_ops *ops)
    __attribute__((warn_unused_result));
/* Power-on state: no status, nothing enabled, SCI_EN set (the board has no
 * firmware SMI handler, so it is always in ACPI mode). */
void acpi_pm_reset(struct acpi_pm *s);
/* PM timer value now (24 bits). */
uint32_t acpi_pm_timer(struct acpi_pm *s);
/* A press of the fixed power button (PWRBTN_STS, SCI when enabled). */
void acpi_pm_power_button(struct acpi_pm *s);

void acpi_pm_save(const struct acpi_pm *s, struct savestate *ss);
int acpi_pm_load(struct acpi_pm *s, struct savestate *ss);

#endif
