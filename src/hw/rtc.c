/* MC146818A RTC (Motorola MC146818A datasheet; the DS12887 datasheet for
 * the same register set): time, alarm, registers A-D, 128 bytes of CMOS.
 *
 * The time registers 0-9 hold the time in the format chosen by register B
 * (BCD or binary, 12 or 24 hour), like the chip; they are brought up to
 * date lazily from the virtual clock whenever the guest looks, and a timer
 * runs only while an interrupt (periodic, update-ended, alarm) is enabled.
 * Update cycle: UIP is set RTC_UIP_LEAD_NS + RTC_UPDATE_NS before each
 * second boundary; at the boundary the new time appears, UF is set and the
 * alarm compared (0xC0-0xFF in an alarm byte matches anything). SET stops
 * updates (and clears UIE) while the divider keeps its phase; the divider
 * chain in reset (DV=11x) stops everything, and leaving reset puts the next
 * update 500 ms later. Periodic rates follow the RS table for 32.768 kHz.
 *
 * Left out: daylight saving (DSE), square-wave output, divider values other
 * than 010 (treated as stopped), the second CMOS bank (0x72/0x73). */
#include "hw/rtc.h"

#include <stdio.h>
#include <string.h>
#include "mem/iobus.h"
#include "util/log.h"
#include "util/savestate.h"

#define REG_A_UIP 0x80
#define REG_B_SET 0x80
#define REG_B_PIE 0x40
#define REG_B_AIE 0x20
#define REG_B_UIE 0x10
#define REG_B_DM  0x04          /* 1 = binary */
#define REG_B_24H 0x02
#define REG_C_IRQF 0x80
#define REG_C_PF  0x40
#define REG_C_AF  0x20
#define REG_C_UF  0x10

enum { SEC, SEC_ALARM, MIN, MIN_ALARM, HOUR, HOUR_ALARM, DOW, MDAY, MONTH, YEAR };

/* ---- calendar (days since 1970-01-01, proleptic Gregorian) ---- */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int64_t day_of(int64_t t)
{
    return t >= 0 ? t / 86400 : (t - 86399) / 86400;
}

/* ---- register formats ---- */

static bool binary(const struct rtc *s) { return s->cmos[RTC_REG_B] & REG_B_DM; }

static unsigned dec(const struct rtc *s, uint8_t v)
{
    return binary(s) ? v : (v >> 4) * 10u + (v & 15);
}

static uint8_t enc(const struct rtc *s, unsigned v)
{
    return binary(s) ? (uint8_t)v : (uint8_t)((v / 10 % 10) << 4 | v % 10);
}

static unsigned dec_hour(const struct rtc *s, uint8_t v)
{
    if (s->cmos[RTC_REG_B] & REG_B_24H)
        return dec(s, v);
    return dec(s, v & 0x7f) % 12 + ((v & 0x80) ? 12 : 0);
}

static uint8_t enc_hour(const struct rtc *s, unsigned h)
{
    if (s->cmos[RTC_REG_B] & REG_B_24H)
        return enc(s, h);
    unsigned h12 = h % 12 ? h % 12 : 12;
    return (uint8_t)(enc(s, h12) | (h >= 12 ? 0x80 : 0));
}

static unsigned clamp(unsigned v, unsigned lo, unsigned hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Seconds since 1970 from the time registers (out-of-range fields are
 * clamped: the chip's behaviour there is undefined). */
static int64_t regs_to_time(const struct rtc *s)
{
    int64_t year = dec(s, s->cmos[RTC_CENTURY]) * 100 + dec(s, s->cmos[YEAR]) % 100;
    unsigned mon = clamp(dec(s, s->cmos[MONTH]), 1, 12);
    unsigned mday = clamp(dec(s, s->cmos[MDAY]), 1, 31);
    int64_t days = days_from_civil(year, mon, mday);
    return days * 86400 + clamp(dec_hour(s, s->cmos[HOUR]), 0, 23) * 3600 +
           clamp(dec(s, s->cmos[MIN]), 0, 59) * 60 + clamp(dec(s, s->cmos[SEC]), 0, 59);
}

static void time_to_regs(struct rtc *s, int64_t t, int64_t day_delta)
{
    int64_t days = day_of(t);
    int64_t rem = t - days * 86400, y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0)
        y = 0;
    s->cmos[SEC] = enc(s, (unsigned)(rem % 60));
    s->cmos[MIN] = enc(s, (unsigned)(rem / 60 % 60));
    s->cmos[HOUR] = enc_hour(s, (unsigned)(rem / 3600));
    s->cmos[MDAY] = enc(s, d);
    s->cmos[MONTH] = enc(s, m);
    s->cmos[YEAR] = enc(s, (unsigned)(y % 100));
    s->cmos[RTC_CENTURY] = enc(s, (unsigned)(y / 100 % 100));
    /* Day of week runs on its own (1-7, Sunday = 1) unless it is invalid. */
    unsigned dow = dec(s, s->cmos[DOW]);
    if (dow < 1 || dow > 7)
        dow = (unsigned)(((days + 4) % 7 + 7) % 7) + 1;
    else
        dow = (unsigned)(((int64_t)dow - 1 + day_delta % 7 + 7) % 7) + 1;
    s->cmos[DOW] = enc(s, dow);
}

/* ---- time keeping ---- */

static bool divider_on(const struct rtc *s)
{
    return ((s->cmos[RTC_REG_A] >> 4) & 7) == 2;
}

static bool alarm_match(const struct rtc *s)
{
    static const int pairs[3][2] = { { SEC_ALARM, SEC }, { MIN_ALARM, MIN }, { HOUR_ALARM, HOUR } };
    for (int i = 0; i < 3; i++) {
        uint8_t a = s->cmos[pairs[i][0]];
        if ((a & 0xc0) != 0xc0 && a != s->cmos[pairs[i][1]])
            return false;
    }
    return true;
}

/* Time registers from t to t + k seconds. */
static void advance(struct rtc *s, int64_t t, int64_t k)
{
    time_to_regs(s, t + k, day_of(t + k) - day_of(t));
}

/* Bring the time registers and UF/AF up to `now`. */
static void catch_up(struct rtc *s, uint64_t now)
{
    if (!divider_on(s) || now < s->sec_start)
        return;
    uint64_t n = (now - s->sec_start) / NS_PER_SEC;
    if (!n)
        return;
    s->sec_start += n * NS_PER_SEC;
    if (s->cmos[RTC_REG_B] & REG_B_SET)
        return;
    /* Step second by second over the last hour (alarm checks); jump over
     * anything older in one go. */
    int64_t t = regs_to_time(s);
    uint64_t first = n > 3600 ? n - 3600 : 1;
    if (first > 1) {
        advance(s, t, (int64_t)first - 1);
        t += (int64_t)first - 1;
    }
    for (uint64_t k = first; k <= n; k++, t++) {
        advance(s, t, 1);
        if (alarm_match(s))
            s->cmos[RTC_REG_C] |= REG_C_AF;
    }
    s->cmos[RTC_REG_C] |= REG_C_UF;
}

/* Periodic interval in 32.768 kHz cycles, 0 when off. */
static uint64_t periodic_cycles(const struct rtc *s)
{
    unsigned rs = s->cmos[RTC_REG_A] & 15;
    if (!rs || !divider_on(s))
        return 0;
    if (rs <= 2)
        return rs == 1 ? 128 : 256;
    return 1ull << (rs - 1);
}

static uint64_t periodic_index(uint64_t now, uint64_t cycles)
{
    return (uint64_t)((unsigned __int128)now * 32768 / ((unsigned __int128)cycles * NS_PER_SEC));
}

static uint64_t periodic_time(uint64_t idx, uint64_t cycles)
{
    unsigned __int128 num = (unsigned __int128)idx * cycles * NS_PER_SEC + 32767;
    return (uint64_t)(num / 32768);
}

static void check_periodic(struct rtc *s, uint64_t now)
{
    uint64_t cyc = periodic_cycles(s);
    if (!cyc)
        return;
    uint64_t idx = periodic_index(now, cyc);
    if (idx > s->pf_idx) {
        s->pf_idx = idx;
        s->cmos[RTC_REG_C] |= REG_C_PF;
    }
}

static void update_irq(struct rtc *s)
{
    uint8_t b = s->cmos[RTC_REG_B], c = s->cmos[RTC_REG_C];
    bool irqf = ((c & REG_C_PF) && (b & REG_B_PIE)) || ((c & REG_C_AF) && (b & REG_B_AIE)) ||
                ((c & REG_C_UF) && (b & REG_B_UIE));
    if (irqf)
        s->cmos[RTC_REG_C] |= REG_C_IRQF;
    else
        s->cmos[RTC_REG_C] &= ~REG_C_IRQF;
    if (irqf != s->irq_level) {
        s->irq_level = irqf;
        irq_set(&s->irq, irqf);
    }
}

/* Bring everything to now, drive IRQ8, arm the timer for the next event
 * that can raise it. */
static void sync(struct rtc *s)
{
    uint64_t now = clock_now(s->clock);
    catch_up(s, now);
    check_periodic(s, now);
    update_irq(s);
    uint64_t next = UINT64_MAX;
    uint8_t b = s->cmos[RTC_REG_B];
    if (divider_on(s) && !(b & REG_B_SET) && (b & (REG_B_UIE | REG_B_AIE)))
        next = s->sec_start + NS_PER_SEC;
    uint64_t cyc = periodic_cycles(s);
    if (cyc && (b & REG_B_PIE)) {
        uint64_t t = periodic_time(periodic_index(now, cyc) + 1, cyc);
        if (t < next)
            next = t;
    }
    if (next != UINT64_MAX)
        timer_mod(&s->timer, next);
    else
        timer_del(&s->timer);
}

static void rtc_timer(void *opaque)
{
    sync(opaque);
}

static bool uip(struct rtc *s, uint64_t now)
{
    if (!divider_on(s) || (s->cmos[RTC_REG_B] & REG_B_SET) || now < s->sec_start)
        return false;
    return now - s->sec_start >= NS_PER_SEC - RTC_UIP_LEAD_NS - RTC_UPDATE_NS;
}

static uint8_t reg_read(struct rtc *s, unsigned idx)
{
    uint64_t now = clock_now(s->clock);
    uint8_t v;
    switch (idx) {
    case RTC_REG_A:
        sync(s);
        return (uint8_t)((s->cmos[RTC_REG_A] & 0x7f) | (uip(s, now) ? REG_A_UIP : 0));
    case RTC_REG_C:
        sync(s);
        v = s->cmos[RTC_REG_C];
        s->cmos[RTC_REG_C] = 0;
        update_irq(s);
        return v;
    case RTC_REG_D:
        return 0x80;                    /* VRT: the battery is fine */
    default:
        if (idx <= YEAR || idx == RTC_CENTURY)
            sync(s);
        return s->cmos[idx];
    }
}

static void reg_write(struct rtc *s, unsigned idx, uint8_t v)
{
    uint64_t now = clock_now(s->clock);
    switch (idx) {
    case RTC_REG_A: {
        sync(s);
        bool was_on = divider_on(s);
        s->cmos[RTC_REG_A] = v & 0x7f;
        if (!was_on && divider_on(s))
            s->sec_start = now - NS_PER_SEC / 2;    /* first update 500 ms on */
        if (periodic_cycles(s))
            s->pf_idx = periodic_index(now, periodic_cycles(s));
        break;
    }
    case RTC_REG_B:
        sync(s);
        if (v & REG_B_SET)
            v &= ~REG_B_UIE;
        s->cmos[RTC_REG_B] = v;
        break;
    case RTC_REG_C:
    case RTC_REG_D:
        return;                         /* read-only */
    default:
        if (idx <= YEAR || idx == RTC_CENTURY)
            sync(s);
        s->cmos[idx] = v;
        break;
    }
    sync(s);
}

static uint64_t rtc_read(void *o, uint64_t off, unsigned size)
{
    struct rtc *s = o;
    if (off == 0)
        return 0xff;                    /* the index register is write-only */
    return reg_read(s, s->index);
}

static void rtc_write(void *o, uint64_t off, uint64_t v, unsigned size)
{
    struct rtc *s = o;
    if (off == 0) {
        s->index = v & 0x7f;
        s->nmi_masked = (v & 0x80) != 0;
    } else {
        reg_write(s, s->index, (uint8_t)v);
    }
}

bool rtc_nmi_masked(const struct rtc *s)
{
    return s->nmi_masked;
}

/* Standard checksum over 0x10-0x2D, stored big-endian at 0x2E. */
static void fix_checksum(struct rtc *s)
{
    unsigned sum = 0;
    for (unsigned i = 0x10; i <= 0x2d; i++)
        sum += s->cmos[i];
    s->cmos[0x2e] = (uint8_t)(sum >> 8);
    s->cmos[0x2f] = (uint8_t)sum;
}

void rtc_cmos_set(struct rtc *s, unsigned idx, uint8_t v)
{
    if (idx < 0x0e || idx > 0x7f)
        return;
    s->cmos[idx] = v;
    if (idx >= 0x10 && idx <= 0x2d)
        fix_checksum(s);
}

uint8_t rtc_cmos_get(struct rtc *s, unsigned idx)
{
    return idx < 128 ? reg_read(s, idx) : 0xff;
}

void rtc_set_memory(struct rtc *s, uint64_t below_4g, uint64_t above_4g)
{
    const uint64_t MiB = 1024 * 1024;
    uint64_t ext_kb = below_4g > MiB ? (below_4g - MiB) / 1024 : 0;
    if (ext_kb > 0xffff)
        ext_kb = 0xffff;
    uint64_t hi64k = below_4g > 16 * MiB ? (below_4g - 16 * MiB) / 65536 : 0;
    if (hi64k > 0xffff)
        hi64k = 0xffff;
    uint64_t top64k = above_4g / 65536;
    if (top64k > 0xffffff)
        top64k = 0xffffff;
    s->cmos[0x15] = 640 & 0xff;         /* base memory, KiB */
    s->cmos[0x16] = 640 >> 8;
    s->cmos[0x17] = s->cmos[0x30] = (uint8_t)ext_kb;        /* extended, KiB */
    s->cmos[0x18] = s->cmos[0x31] = (uint8_t)(ext_kb >> 8);
    s->cmos[0x34] = (uint8_t)hi64k;     /* above 16 MiB, 64 KiB units */
    s->cmos[0x35] = (uint8_t)(hi64k >> 8);
    s->cmos[0x5b] = (uint8_t)top64k;    /* above 4 GiB, 64 KiB units */
    s->cmos[0x5c] = (uint8_t)(top64k >> 8);
    s->cmos[0x5d] = (uint8_t)(top64k >> 16);
    fix_checksum(s);
}

/* Power-on register values; the time and CMOS contents are kept. */
void rtc_reset(struct rtc *s)
{
    s->cmos[RTC_REG_B] &= ~(REG_B_PIE | REG_B_AIE | REG_B_UIE);
    s->cmos[RTC_REG_C] = 0;
    s->cmos[RTC_REG_D] = 0x80;
    s->index = 0;
    s->nmi_masked = false;
    sync(s);
}

int rtc_init(struct rtc *s, struct clock *clock, struct iobus *bus, struct irq_line irq8,
             int64_t host_time)
{
    memset(s, 0, sizeof *s);
    s->clock = clock;
    s->irq = irq8;
    timer_init(&s->timer, clock, rtc_timer, s);
    s->cmos[RTC_REG_A] = 0x26;          /* divider on, 1024 Hz */
    s->cmos[RTC_REG_B] = REG_B_24H;     /* BCD, 24 hour */
    s->cmos[RTC_REG_D] = 0x80;
    s->cmos[DOW] = 0;                   /* computed from the date below */
    time_to_regs(s, host_time, 0);
    s->sec_start = clock_now(clock);
    fix_checksum(s);
    rtc_reset(s);
    const struct io_handler h = { rtc_read, rtc_write, s, 1 };
    if (iobus_register(bus, 0x70, 2, &h, "rtc"))
        return -1;
    return 0;
}

/* ---- save state ---- */

#define RTC_SS_VERSION 1

void rtc_save(const struct rtc *s, struct savestate *ss)
{
    uint64_t now = clock_now(s->clock);
    ss_section_begin(ss, "rtc", RTC_SS_VERSION);
    ss_put_bytes(ss, "cmos", s->cmos, sizeof s->cmos);
    ss_put(ss, "index", s->index);
    ss_put(ss, "nmi_masked", s->nmi_masked);
    /* Times relative to now, so the section restores onto any clock. */
    ss_put(ss, "sec_phase", now > s->sec_start ? now - s->sec_start : 0);
    uint64_t cyc = periodic_cycles(s), behind = 0;
    if (cyc) {
        uint64_t idx = periodic_index(now, cyc);
        behind = idx > s->pf_idx ? idx - s->pf_idx : 0;
    }
    ss_put(ss, "pf_behind", behind);
    ss_put(ss, "irq_level", (uint64_t)s->irq_level);
    ss_section_end(ss);
}

int rtc_load(struct rtc *s, struct savestate *ss)
{
    uint64_t now = clock_now(s->clock);
    uint8_t cmos[128], index;
    bool nmi;
    uint64_t phase, behind, lvl;
    if (ss_section_open(ss, "rtc", 1, RTC_SS_VERSION, NULL))
        return -1;
    ss_get_bytes(ss, "cmos", cmos, sizeof cmos);
    ss_get_u8(ss, "index", 0x7f, &index);
    ss_get_bool(ss, "nmi_masked", &nmi);
    ss_get(ss, "sec_phase", UINT64_MAX, &phase);
    ss_get(ss, "pf_behind", UINT64_MAX, &behind);
    ss_get(ss, "irq_level", 1, &lvl);
    if (ss->err)
        return -1;
    if (phase > now)
        return ss_fail(ss, "sec_phase", "lies before the start of the clock");
    memcpy(s->cmos, cmos, sizeof cmos);
    s->cmos[RTC_REG_D] = 0x80;
    s->index = index;
    s->nmi_masked = nmi;
    s->sec_start = now - phase;
    uint64_t cyc = periodic_cycles(s);
    s->pf_idx = cyc ? periodic_index(now, cyc) - (behind < periodic_index(now, cyc) ?
                                                  behind : periodic_index(now, cyc)) : 0;
    if ((int)lvl != s->irq_level)
        irq_set(&s->irq, (int)lvl);
    s->irq_level = (int)lvl;
    sync(s);
    return 0;
}
