/* Unit tests for the 16550A UART (src/hw/uart.c), driven through its ports,
 * the host backend and the fake clock: transmit, FIFO and trigger levels,
 * interrupt identification and priority, character timeout, overrun,
 * loopback, modem status, the THRE behaviour Linux probes, OUT2 gating,
 * save/restore. */
#include "test.h"
#include "mem/iobus.h"
#include "hw/uart.h"
#include "util/savestate.h"

#define BASE 0x3f8

static struct iobus bus;
static struct clock clk;
static struct uart u;
static int irq_level;
static uint8_t sent[64];
static size_t nsent;

static void irq_fn(void *o, int n, int level) { irq_level = level; }

static void be_write(void *o, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n && nsent < sizeof sent; i++)
        sent[nsent++] = b[i];
}

static void out(int reg, uint8_t v) { iobus_out(&bus, (uint16_t)(BASE + reg), v, 1); }
static uint8_t in(int reg) { return (uint8_t)iobus_in(&bus, (uint16_t)(BASE + reg), 1); }

static void rx(const char *str) { uart_receive(&u, (const uint8_t *)str, strlen(str)); }

int main(void)
{
    struct irq_line irq4 = { irq_fn, NULL, 4 };
    struct uart_backend be = { be_write, NULL };
    clock_init_fake(&clk);
    CHECK(iobus_init(&bus) == 0, "iobus_init");
    CHECK(uart_init(&u, &clk, &bus, BASE, irq4, &be) == 0, "uart_init registers 0x3f8-0x3ff");

    CHECK_EQ(in(2), 0x01, "IIR after reset: no interrupt, FIFO off");
    CHECK_EQ(in(5), 0x60, "LSR after reset: THRE|TEMT");
    CHECK_EQ(in(6) & 0xf0, 0xb0, "MSR: CTS, DSR, DCD from the host side");

    /* Divisor latch and LCR. */
    out(3, 0x80); out(0, 0x01); out(1, 0x00); out(3, 0x03);
    out(3, 0x80);
    CHECK_EQ(in(0) | in(1) << 8, 1, "DLAB: divisor 1 (115200) reads back");
    out(3, 0x03);
    CHECK_EQ(in(3), 0x03, "LCR 8N1 reads back");
    out(7, 0x5a);
    CHECK_EQ(in(7), 0x5a, "scratch register");

    /* Transmit. */
    out(0, 'h'); out(0, 'i');
    CHECK(nsent == 2 && sent[0] == 'h' && sent[1] == 'i', "THR bytes reach the backend");

    /* Receive without FIFO: one byte holding register, overrun. */
    out(4, 0x0b);                       /* DTR, RTS, OUT2 */
    out(1, 0x01);                       /* ERBFI */
    CHECK_EQ(uart_rx_space(&u), 1, "16450 mode: room for one byte");
    rx("ab");
    CHECK_EQ(irq_level, 1, "RX data raises the IRQ");
    CHECK_EQ(in(2), 0x04, "IIR: received data available");
    CHECK_EQ(in(5) & 0x01, 0x01, "LSR.DR set");
    CHECK_EQ(in(0), 'a', "RBR = 'a' (second byte not taken: no room)");
    CHECK_EQ(irq_level, 0, "IRQ drops when RBR is read");

    /* FIFO mode and trigger levels. */
    out(2, 0x87);                       /* enable, clear both, trigger 8 */
    CHECK_EQ(in(2) & 0xc0, 0xc0, "IIR bits 7:6 show FIFOs enabled");
    CHECK_EQ(uart_rx_space(&u), 16, "FIFO: room for 16");
    rx("1234567");
    CHECK_EQ(in(2) & 0x0f, 0x01, "7 bytes below trigger 8: no RDA yet");
    rx("8");
    CHECK_EQ(in(2) & 0x0f, 0x04, "8 bytes: RDA at trigger level");
    CHECK_EQ(in(0), '1', "FIFO order: first byte first");
    CHECK_EQ(in(2) & 0x0f, 0x01, "7 left: below trigger again");
    /* Character timeout: 4 character times (10 bits at 115200 = 86.8 us). */
    clock_advance(&clk, 4 * 86805 - 1000);
    CHECK_EQ(in(2) & 0x0f, 0x01, "no timeout before 4 character times");
    clock_advance(&clk, 2000);
    CHECK_EQ(in(2) & 0x0f, 0x0c, "character timeout interrupt after 4 character times");
    CHECK_EQ(irq_level, 1, "timeout raises the IRQ");
    char got[8] = { 0 };
    for (int i = 0; i < 7; i++)
        got[i] = (char)in(0);
    CHECK_STR(got, "2345678", "remaining bytes read in order");
    CHECK_EQ(in(2) & 0x0f, 0x01, "reading clears the timeout");
    CHECK_EQ(in(5) & 0x01, 0, "LSR.DR clear when empty");
    /* Overrun in FIFO mode. */
    rx("0123456789abcdef");
    CHECK_EQ(uart_rx_space(&u), 0, "FIFO full");
    CHECK_EQ(uart_receive(&u, (const uint8_t *)"Z", 1), 0, "a full FIFO takes nothing more");
    CHECK_EQ(in(5) & 0x02, 0, "uart_receive never overruns: it refuses");
    out(2, 0xc3);                       /* clear RX, trigger 14 */
    CHECK_EQ(in(5) & 0x01, 0, "FCR bit 1 clears the RX FIFO");
    rx("0123456789abc");
    CHECK_EQ(in(2) & 0x0f, 0x01, "13 bytes below trigger 14");
    rx("d");
    CHECK_EQ(in(2) & 0x0f, 0x04, "14 bytes: RDA");
    out(2, 0x07); out(2, 0x01);         /* trigger 1 */
    rx("q");
    CHECK_EQ(in(2) & 0x0f, 0x04, "trigger 1: RDA with one byte");
    in(0);

    /* THRE interrupt as Linux probes it (serial8250_do_startup). */
    out(1, 0x02);
    CHECK_EQ(in(2) & 0x0f, 0x02, "enabling ETBEI with THR empty gives IIR=THRE");
    CHECK_EQ(in(2) & 0x0f, 0x01, "reading IIR cleared the THRE interrupt");
    out(1, 0x00); out(1, 0x02);
    CHECK_EQ(in(2) & 0x0f, 0x02, "IER 0 then THRI re-asserts THRE (no UART_BUG_THRE)");
    out(0, 'z');
    CHECK_EQ(irq_level, 1, "writing THR: THRE pending again once it is sent");
    CHECK_EQ(in(2) & 0x0f, 0x02, "IIR THRE after a write");
    CHECK_EQ(irq_level, 0, "IRQ drops after IIR read");

    /* Priority: line status > RX data > THRE > modem status. */
    out(1, 0x0f);
    out(0, '!');                        /* THRE pending */
    uart_set_modem_lines(&u, UART_MSR_DSR | UART_MSR_DCD);     /* CTS drops: DCTS */
    CHECK_EQ(in(2) & 0x0f, 0x02, "THRE before modem status");
    CHECK_EQ(in(2) & 0x0f, 0x00, "then modem status");
    CHECK_EQ(in(6), 0xa1, "MSR: DSR|DCD with DCTS delta");
    CHECK_EQ(in(6), 0xa0, "reading MSR clears the delta");
    CHECK_EQ(in(2) & 0x0f, 0x01, "no interrupt left");
    out(0, '!');
    rx("r");
    CHECK_EQ(in(2) & 0x0f, 0x04, "RX data before THRE");
    u.lsr |= 0x02;                      /* an overrun, as a receive error */
    CHECK_EQ(in(2) & 0x0f, 0x06, "line status before RX data");
    CHECK_EQ(in(5) & 0x03, 0x03, "LSR shows OE and DR");
    CHECK_EQ(in(2) & 0x0f, 0x04, "reading LSR clears the error: RX data next");
    in(0);
    CHECK_EQ(in(2) & 0x0f, 0x02, "then THRE");
    out(1, 0x00);

    /* OUT2 gates the interrupt line. */
    out(1, 0x01);
    out(4, 0x03);                       /* OUT2 off */
    rx("g");
    CHECK_EQ(in(2) & 0x0f, 0x04, "IIR shows RDA with OUT2 off");
    CHECK_EQ(irq_level, 0, "but the IRQ line stays low");
    out(4, 0x0b);
    CHECK_EQ(irq_level, 1, "OUT2 on: IRQ line high");
    in(0);
    out(1, 0x00);

    /* Loopback. */
    nsent = 0;
    out(4, 0x10);                       /* LOOP, all outputs off */
    CHECK_EQ(in(6) & 0xf0, 0x00, "loopback: modem inputs follow outputs (all off)");
    out(4, 0x1f);
    CHECK_EQ(in(6), 0xfb, "loopback: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD with deltas");
    out(4, 0x1b);
    CHECK_EQ(in(6) & 0x04, 0x04, "loopback: RI trailing edge sets TERI");
    CHECK_EQ(uart_rx_space(&u), 0, "loopback: host input disconnected");
    out(0, 'L');
    CHECK_EQ(nsent, 0, "loopback: nothing reaches the backend");
    CHECK_EQ(in(5) & 0x01, 0x01, "loopback: byte received");
    CHECK_EQ(in(0), 'L', "loopback: transmitted byte comes back");
    out(4, 0x0b);

    /* Save, restore, compare. */
    out(2, 0x41);                       /* FIFO on, trigger 4 */
    out(1, 0x05);
    rx("save");
    struct savestate ss;
    ss_init_write(&ss);
    uart_save(&u, &ss, "uart0");
    CHECK(ss_error(&ss) == NULL, "save ok");
    out(2, 0x07); out(3, 0x1b); out(7, 0);
    struct savestate rd;
    ss_init_read(&rd, ss.buf, ss.len);
    CHECK_EQ(uart_load(&u, &rd, "uart0"), 0, "load ok");
    CHECK_EQ(in(3), 0x03, "restored LCR");
    CHECK_EQ(in(7), 0x5a, "restored scratch");
    CHECK_EQ(in(2) & 0x0f, 0x04, "restored RDA (trigger 4, 4 bytes)");
    memset(got, 0, sizeof got);
    for (int i = 0; i < 4; i++)
        got[i] = (char)in(0);
    CHECK_STR(got, "save", "restored FIFO contents");
    ss_init_read(&rd, ss.buf, ss.len);
    CHECK(uart_load(&u, &rd, "uart1") != 0 && strstr(ss_error(&rd), "uart1"),
          "load of a missing section names it: %s", ss_error(&rd));
    ss_free(&ss);
    iobus_free(&bus);
    return test_summary();
}
