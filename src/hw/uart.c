/* 16550A UART (TI/National PC16550D datasheet: "Register description",
 * Table 4 "Interrupt control functions", "FIFO interrupt mode operation").
 *
 * Modelled: RBR/THR, IER, IIR with the datasheet priorities (line status >
 * received data / character timeout > THR empty > modem status), FCR with
 * 16-byte receive FIFO, FIFO clears and trigger levels 1/4/8/14, character
 * timeout after 4 character times without FIFO activity (on the virtual
 * clock), LCR with DLAB, MCR with loopback (TX looped to RX; RTS/DTR/OUT1/
 * OUT2 looped to CTS/DSR/RI/DCD), LSR, MSR delta bits, SCR.
 *
 * THRE interrupt: pending whenever the holding register becomes empty, or
 * when ETBEI is switched on while it is empty (Linux's serial8250 startup
 * probes exactly this: IER=0 then IER=THRI must raise IIR=2, otherwise it
 * marks the port UART_BUG_THRE); reading IIR with THRE as the source or
 * writing THR clears it.
 *
 * Transmission is instantaneous: THR goes straight to the backend, so THRE
 * and TEMT always read 1 and the transmit FIFO is always empty. As on PC
 * serial cards, the interrupt output reaches the bus only while MCR.OUT2 is
 * set. Left out: parity/framing errors and break (nothing produces them),
 * DMA mode signalling. */
#include "hw/uart.h"

#include <stdio.h>
#include <string.h>
#include "mem/iobus.h"
#include "util/log.h"
#include "util/savestate.h"

#define IER_ERBFI 0x01
#define IER_ETBEI 0x02
#define IER_ELSI  0x04
#define IER_EDSSI 0x08

#define IIR_NONE  0x01
#define IIR_MSI   0x00
#define IIR_THRI  0x02
#define IIR_RDI   0x04
#define IIR_RLSI  0x06
#define IIR_CTI   0x0c
#define IIR_FIFO  0xc0

#define FCR_ENABLE 0x01
#define FCR_CLR_RX 0x02
#define FCR_CLR_TX 0x04

#define LCR_DLAB  0x80

#define MCR_DTR   0x01
#define MCR_RTS   0x02
#define MCR_OUT1  0x04
#define MCR_OUT2  0x08
#define MCR_LOOP  0x10

#define LSR_DR    0x01
#define LSR_OE    0x02
#define LSR_PE    0x04
#define LSR_FE    0x08
#define LSR_BI    0x10
#define LSR_THRE  0x20
#define LSR_TEMT  0x40
#define LSR_ERRS  (LSR_OE | LSR_PE | LSR_FE | LSR_BI)

static bool fifo_on(const struct uart *s) { return s->fcr & FCR_ENABLE; }

static unsigned trigger(const struct uart *s)
{
    static const uint8_t lv[4] = { 1, 4, 8, 14 };
    return fifo_on(s) ? lv[s->fcr >> 6] : 1;
}

static uint8_t iir(const struct uart *s)
{
    uint8_t id;
    if ((s->ier & IER_ELSI) && (s->lsr & LSR_ERRS))
        id = IIR_RLSI;
    else if ((s->ier & IER_ERBFI) && s->rx_count >= trigger(s))
        id = IIR_RDI;
    else if ((s->ier & IER_ERBFI) && s->timeout_ipending)
        id = IIR_CTI;
    else if ((s->ier & IER_ETBEI) && s->thr_ipending)
        id = IIR_THRI;
    else if ((s->ier & IER_EDSSI) && (s->msr & 0x0f))
        id = IIR_MSI;
    else
        id = IIR_NONE;
    return (uint8_t)(id | (fifo_on(s) ? IIR_FIFO : 0));
}

static void update_irq(struct uart *s)
{
    int level = !(iir(s) & IIR_NONE) && (s->mcr & MCR_OUT2);
    if (level != s->irq_level) {
        s->irq_level = level;
        irq_set(&s->irq, level);
    }
}

/* One character time in ns at the current divisor and frame format. */
static uint64_t char_ns(const struct uart *s)
{
    unsigned div = s->dll | s->dlm << 8;
    unsigned bits = 1 + 5 + (s->lcr & 3) + ((s->lcr >> 3) & 1) + ((s->lcr & 4) ? 2 : 1);
    if (!div)
        div = 65536;
    return (uint64_t)bits * div * 16 * NS_PER_SEC / UART_CLOCK_HZ;
}

static void arm_timeout(struct uart *s)
{
    if (fifo_on(s) && s->rx_count)
        timer_mod(&s->timeout, clock_now(s->clock) + 4 * char_ns(s));
    else
        timer_del(&s->timeout);
}

static void timeout_fire(void *opaque)
{
    struct uart *s = opaque;
    if (fifo_on(s) && s->rx_count) {
        s->timeout_ipending = true;
        update_irq(s);
    }
}

static void rx_push(struct uart *s, uint8_t b)
{
    unsigned cap = fifo_on(s) ? UART_FIFO_SIZE : 1;
    if (s->rx_count >= cap) {
        s->lsr |= LSR_OE;
        if (!fifo_on(s))
            s->rx[s->rx_head] = b;      /* 16450 mode: RBR is overwritten */
        return;
    }
    s->rx[(s->rx_head + s->rx_count) % UART_FIFO_SIZE] = b;
    s->rx_count++;
}

static void set_modem_status(struct uart *s)
{
    uint8_t lines;
    if (s->mcr & MCR_LOOP) {
        lines = (uint8_t)(((s->mcr & MCR_RTS) ? UART_MSR_CTS : 0) |
                          ((s->mcr & MCR_DTR) ? UART_MSR_DSR : 0) |
                          ((s->mcr & MCR_OUT1) ? UART_MSR_RI : 0) |
                          ((s->mcr & MCR_OUT2) ? UART_MSR_DCD : 0));
    } else {
        lines = s->modem_in & 0xf0;
    }
    uint8_t old = s->msr & 0xf0, delta = s->msr & 0x0f;
    uint8_t ch = old ^ lines;
    if (ch & UART_MSR_CTS) delta |= 0x01;
    if (ch & UART_MSR_DSR) delta |= 0x02;
    if ((old & UART_MSR_RI) && !(lines & UART_MSR_RI)) delta |= 0x04;   /* trailing edge */
    if (ch & UART_MSR_DCD) delta |= 0x08;
    s->msr = (uint8_t)(lines | delta);
}

size_t uart_rx_space(const struct uart *s)
{
    if (s->mcr & MCR_LOOP)
        return 0;
    return (fifo_on(s) ? UART_FIFO_SIZE : 1) - s->rx_count;
}

size_t uart_receive(struct uart *s, const uint8_t *buf, size_t n)
{
    size_t space = uart_rx_space(s), k;
    for (k = 0; k < n && k < space; k++)
        rx_push(s, buf[k]);
    if (k) {
        s->timeout_ipending = false;
        arm_timeout(s);
        update_irq(s);
    }
    return k;
}

void uart_set_modem_lines(struct uart *s, uint8_t lines)
{
    s->modem_in = lines & 0xf0;
    set_modem_status(s);
    update_irq(s);
}

static void thr_write(struct uart *s, uint8_t v)
{
    if (s->mcr & MCR_LOOP) {
        rx_push(s, v);
        s->timeout_ipending = false;
        arm_timeout(s);
    } else if (s->be.write) {
        s->be.write(s->be.opaque, &v, 1);
    }
    /* Sent at once: the holding register is empty again. */
    s->thr_ipending = true;
}

static uint8_t rbr_read(struct uart *s)
{
    uint8_t v = 0;
    if (s->rx_count) {
        v = s->rx[s->rx_head];
        s->rx_head = (uint8_t)((s->rx_head + 1) % UART_FIFO_SIZE);
        s->rx_count--;
    }
    s->timeout_ipending = false;
    arm_timeout(s);
    return v;
}

static uint64_t uart_read(void *o, uint64_t off, unsigned size)
{
    struct uart *s = o;
    uint8_t v;
    switch (off) {
    case 0:
        v = (s->lcr & LCR_DLAB) ? s->dll : rbr_read(s);
        break;
    case 1:
        v = (s->lcr & LCR_DLAB) ? s->dlm : s->ier;
        break;
    case 2:
        v = iir(s);
        if ((v & 0x0f) == IIR_THRI)
            s->thr_ipending = false;
        break;
    case 3: v = s->lcr; break;
    case 4: v = s->mcr; break;
    case 5:
        v = (uint8_t)(s->lsr | LSR_THRE | LSR_TEMT | (s->rx_count ? LSR_DR : 0));
        s->lsr &= ~LSR_ERRS;
        break;
    case 6:
        v = s->msr;
        s->msr &= 0xf0;
        break;
    default: v = s->scr; break;
    }
    update_irq(s);
    return v;
}

static void uart_write(void *o, uint64_t off, uint64_t val, unsigned size)
{
    struct uart *s = o;
    uint8_t v = (uint8_t)val;
    switch (off) {
    case 0:
        if (s->lcr & LCR_DLAB)
            s->dll = v;
        else
            thr_write(s, v);
        break;
    case 1:
        if (s->lcr & LCR_DLAB) {
            s->dlm = v;
        } else {
            uint8_t old = s->ier;
            s->ier = v & 0x0f;
            if ((s->ier & IER_ETBEI) && !(old & IER_ETBEI))
                s->thr_ipending = true;     /* THR is always empty here */
            else if (!(s->ier & IER_ETBEI))
                s->thr_ipending = false;
        }
        break;
    case 2: {
        bool was = fifo_on(s);
        if ((v & FCR_ENABLE) != was || (v & FCR_CLR_RX)) {
            s->rx_count = 0;
            s->rx_head = 0;
            s->timeout_ipending = false;
            timer_del(&s->timeout);
        }
        s->fcr = (v & FCR_ENABLE) ? (uint8_t)(v & 0xc9) : 0;
        break;
    }
    case 3: s->lcr = v; break;
    case 4:
        s->mcr = v & 0x1f;
        set_modem_status(s);
        break;
    case 5: break;                      /* LSR: factory test only */
    case 6: break;                      /* MSR is read-only */
    default: s->scr = v; break;
    }
    update_irq(s);
}

void uart_reset(struct uart *s)
{
    timer_del(&s->timeout);
    s->rx_head = s->rx_count = 0;
    s->ier = s->fcr = s->lcr = s->mcr = 0;
    s->lsr = 0;
    s->msr = 0;
    s->scr = 0;
    s->dll = 12;                        /* 9600 baud */
    s->dlm = 0;
    s->thr_ipending = false;
    s->timeout_ipending = false;
    set_modem_status(s);
    s->msr &= 0xf0;                     /* no deltas at power-on */
    update_irq(s);
}

int uart_init(struct uart *s, struct clock *clock, struct iobus *bus, uint16_t base,
              struct irq_line irq, const struct uart_backend *be)
{
    memset(s, 0, sizeof *s);
    s->clock = clock;
    s->irq = irq;
    if (be)
        s->be = *be;
    s->modem_in = UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD;
    timer_init(&s->timeout, clock, timeout_fire, s);
    uart_reset(s);
    const struct io_handler h = { uart_read, uart_write, s, 1 };
    return iobus_register(bus, base, 8, &h, "uart") ? -1 : 0;
}

/* ---- save state ---- */

#define UART_SS_VERSION 1

void uart_save(const struct uart *s, struct savestate *ss, const char *name)
{
    uint8_t fifo[UART_FIFO_SIZE];
    for (unsigned i = 0; i < UART_FIFO_SIZE; i++)
        fifo[i] = i < s->rx_count ? s->rx[(s->rx_head + i) % UART_FIFO_SIZE] : 0;
    ss_section_begin(ss, name, UART_SS_VERSION);
    ss_put_bytes(ss, "rx_fifo", fifo, sizeof fifo);
    ss_put(ss, "rx_count", s->rx_count);
    ss_put(ss, "ier", s->ier); ss_put(ss, "fcr", s->fcr); ss_put(ss, "lcr", s->lcr);
    ss_put(ss, "mcr", s->mcr); ss_put(ss, "lsr", s->lsr); ss_put(ss, "msr", s->msr);
    ss_put(ss, "scr", s->scr); ss_put(ss, "dll", s->dll); ss_put(ss, "dlm", s->dlm);
    ss_put(ss, "thr_ipending", s->thr_ipending);
    ss_put(ss, "timeout_ipending", s->timeout_ipending);
    ss_put(ss, "modem_in", s->modem_in);
    ss_section_end(ss);
}

int uart_load(struct uart *s, struct savestate *ss, const char *name)
{
    struct uart t = *s;
    uint8_t fifo[UART_FIFO_SIZE];
    if (ss_section_open(ss, name, 1, UART_SS_VERSION, NULL))
        return -1;
    ss_get_bytes(ss, "rx_fifo", fifo, sizeof fifo);
    ss_get_u8(ss, "rx_count", UART_FIFO_SIZE, &t.rx_count);
    ss_get_u8(ss, "ier", 0x0f, &t.ier);
    ss_get_u8(ss, "fcr", 0xc9, &t.fcr);
    ss_get_u8(ss, "lcr", 0xff, &t.lcr);
    ss_get_u8(ss, "mcr", 0x1f, &t.mcr);
    ss_get_u8(ss, "lsr", 0xff, &t.lsr);
    ss_get_u8(ss, "msr", 0xff, &t.msr);
    ss_get_u8(ss, "scr", 0xff, &t.scr);
    ss_get_u8(ss, "dll", 0xff, &t.dll);
    ss_get_u8(ss, "dlm", 0xff, &t.dlm);
    ss_get_bool(ss, "thr_ipending", &t.thr_ipending);
    ss_get_bool(ss, "timeout_ipending", &t.timeout_ipending);
    ss_get_u8(ss, "modem_in", 0xff, &t.modem_in);
    if (ss->err)
        return -1;
    if (!(t.fcr & FCR_ENABLE) && t.rx_count > 1)
        return ss_fail(ss, "rx_count", "exceeds 1 with the FIFO off");
    memcpy(t.rx, fifo, sizeof fifo);
    t.rx_head = 0;
    t.lsr &= ~(LSR_DR | LSR_THRE | LSR_TEMT);
    *s = t;
    arm_timeout(s);
    update_irq(s);
    return 0;
}
