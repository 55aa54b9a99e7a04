/* 16550A UART (src/hw/uart.c): 8 registers at `base` (0x3F8 COM1, 0x2F8
 * COM2, 0x3E8, 0x2E8), interrupt on `irq` (4 for COM1/3, 3 for COM2/4).
 *
 * Host side: transmitted bytes go out through backend.write; the board
 * pushes received bytes in with uart_receive, which takes only what fits
 * (uart_rx_space tells how much) and returns the number taken, so the board
 * keeps the rest for later instead of losing it. Modem input lines (CTS,
 * DSR, RI, DCD) default to CTS|DSR|DCD, as with a connected terminal. */
#ifndef RAWBOX_HW_UART_H
#define RAWBOX_HW_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hw/irq.h"
#include "vm/clock.h"

struct iobus;
struct savestate;

#define UART_FIFO_SIZE 16
#define UART_CLOCK_HZ 1843200u

/* MSR input line bits (as in the MSR). */
#define UART_MSR_CTS 0x10
#define UART_MSR_DSR 0x20
#define UART_MSR_RI  0x40
#define UART_MSR_DCD 0x80

struct uart_backend {
    void (*write)(void *opaque, const uint8_t *buf, size_t n);
    void *opaque;
};

struct uart {
    uint8_t rx[UART_FIFO_SIZE];
    uint8_t rx_head, rx_count;
    uint8_t ier, fcr, lcr, mcr, lsr, msr, scr, dll, dlm;
    bool thr_ipending;          /* THRE interrupt pending (cleared by IIR read) */
    bool timeout_ipending;      /* character timeout (FIFO mode) */
    uint8_t modem_in;           /* host-side CTS/DSR/RI/DCD, MSR bit positions */
    int irq_level;
    struct irq_line irq;
    struct uart_backend be;
    struct clock *clock;
    struct timer timeout;
};

/* Registers base..base+7. `be` may be NULL (output dropped). */
int uart_init(struct uart *s, struct clock *clock, struct iobus *bus, uint16_t base,
              struct irq_line irq, const struct uart_backend *be)
    __attribute__((warn_unused_result));
void uart_reset(struct uart *s);

/* Bytes the receiver can take now. */
size_t uart_rx_space(const struct uart *s);
/* Push received bytes; returns how many were taken (0 in loopback mode). */
size_t uart_receive(struct uart *s, const uint8_t *buf, size_t n);
/* Host-side modem lines (UART_MSR_* bits). */
void uart_set_modem_lines(struct uart *s, uint8_t lines);

void uart_save(const struct uart *s, struct savestate *ss, const char *name);
int uart_load(struct uart *s, struct savestate *ss, const char *name);

#endif
