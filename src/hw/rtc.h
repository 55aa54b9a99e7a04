/* MC146818 real-time clock and CMOS RAM (src/hw/rtc.c) at 0x70-0x71, IRQ8.
 *
 * Port 0x70 selects a register (bits 0-6) and holds the NMI mask (bit 7:
 * 1 = NMI disabled; the board reads it with rtc_nmi_masked); port 0x71 reads
 * or writes it. The clock starts at the host time the board passes to
 * rtc_init (seconds since 1970, UTC) and then runs on the virtual clock. */
#ifndef RAWBOX_HW_RTC_H
#define RAWBOX_HW_RTC_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/irq.h"
#include "vm/clock.h"

struct iobus;
struct savestate;

#define RTC_REG_A 0x0a
#define RTC_REG_B 0x0b
#define RTC_REG_C 0x0c
#define RTC_REG_D 0x0d
#define RTC_CENTURY 0x32

/* Update cycle timing (32.768 kHz time base): UIP rises 244 us before the
 * update, which lasts 1984 us; the new time shows when UIP falls. */
#define RTC_UIP_LEAD_NS   244141u
#define RTC_UPDATE_NS    1984000u

struct rtc {
    uint8_t cmos[128];          /* 0-9 time/alarm in the current format */
    uint8_t index;
    bool nmi_masked;
    uint64_t sec_start;         /* virtual ns at which the current second began */
    uint64_t pf_idx;            /* periodic interval index last flagged in PF */
    int irq_level;
    struct irq_line irq;
    struct clock *clock;
    struct timer timer;
};

/* Registers 0x70 (2 ports). */
int rtc_init(struct rtc *s, struct clock *clock, struct iobus *bus, struct irq_line irq8,
             int64_t host_time) __attribute__((warn_unused_result));
void rtc_reset(struct rtc *s);
/* Memory size bytes (0x15-0x18, 0x30-0x31, 0x34-0x35, 0x5B-0x5D) and the
 * checksum at 0x2E-0x2F, from RAM below and above 4 GiB in bytes. */
void rtc_set_memory(struct rtc *s, uint64_t below_4g, uint64_t above_4g);
/* Board access to plain CMOS bytes (0x0E-0x7F); keeps the checksum. */
void rtc_cmos_set(struct rtc *s, unsigned idx, uint8_t v);
uint8_t rtc_cmos_get(struct rtc *s, unsigned idx);
bool rtc_nmi_masked(const struct rtc *s);

void rtc_save(const struct rtc *s, struct savestate *ss);
int rtc_load(struct rtc *s, struct savestate *ss);

#endif
