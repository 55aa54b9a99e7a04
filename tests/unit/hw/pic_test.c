/* Unit tests for the 8259A pair (src/hw/pic.c), driven through its ports:
 * initialisation, priority, EOI kinds, rotation, cascade, poll, special
 * mask, ELCR level mode, spurious IRQ7/IRQ15, save/restore. */
#include "test.h"
#include "mem/iobus.h"
#include "hw/pic.h"
#include "util/savestate.h"

static struct iobus bus;
static int cpu_intr;

static void cpu_set(void *o, int n, int level) { cpu_intr = level; }

static void out(uint16_t port, uint8_t v) { iobus_out(&bus, port, v, 1); }
static uint8_t in(uint16_t port) { return (uint8_t)iobus_in(&bus, port, 1); }

/* The usual PC programming: master 0x08, slave 0x70, cascade, 8086 mode. */
static void init_pc(struct pic *p, uint8_t icw4)
{
    out(0x20, 0x11); out(0x21, 0x08); out(0x21, 0x04); out(0x21, icw4);
    out(0xa0, 0x11); out(0xa1, 0x70); out(0xa1, 0x02); out(0xa1, 0x01);
    out(0x21, 0x00); out(0xa1, 0x00);
}

static void edge(struct pic *p, int n) { pic_set_irq(p, n, 1); pic_set_irq(p, n, 0); }

int main(void)
{
    static struct pic p;
    struct irq_line intr = { cpu_set, NULL, 0 };
    CHECK(iobus_init(&bus) == 0, "iobus_init");
    CHECK(pic_init(&p, &bus, intr) == 0, "pic_init registers ports");
    {
        struct pic q;
        CHECK(pic_init(&q, &bus, intr) != 0, "second pic_init refused (ports overlap)");
    }
    init_pc(&p, 0x01);
    CHECK_EQ(cpu_intr, 0, "no INTR after init");
    CHECK_EQ(in(0x21), 0x00, "IMR reads back 0");
    out(0x21, 0xa5);
    CHECK_EQ(in(0x21), 0xa5, "OCW1 mask reads back");
    out(0x21, 0x00);

    /* Priority: IRQ0 beats IRQ3. */
    edge(&p, 3);
    edge(&p, 0);
    CHECK_EQ(cpu_intr, 1, "INTR raised on requests");
    CHECK_EQ(in(0x20), 0x09, "IRR shows IRQ0 and IRQ3");
    CHECK_EQ(pic_intr_ack(&p), 0x08, "IRQ0 acknowledged first (vector 0x08)");
    CHECK_EQ(cpu_intr, 0, "IRQ3 held off while IRQ0 in service");
    out(0x20, 0x0b);                    /* OCW3: read ISR */
    CHECK_EQ(in(0x20), 0x01, "ISR shows IRQ0");
    edge(&p, 1);
    CHECK_EQ(cpu_intr, 0, "IRQ1 waits behind IRQ0 in service");
    out(0x20, 0x20);                    /* non-specific EOI */
    CHECK_EQ(cpu_intr, 1, "INTR after EOI");
    CHECK_EQ(pic_intr_ack(&p), 0x09, "IRQ1 next");
    out(0x20, 0x20);
    CHECK_EQ(pic_intr_ack(&p), 0x0b, "then IRQ3");
    /* Higher priority nests. */
    edge(&p, 0);
    CHECK_EQ(cpu_intr, 1, "IRQ0 interrupts IRQ3 service");
    CHECK_EQ(pic_intr_ack(&p), 0x08, "nested IRQ0");
    CHECK_EQ(in(0x20), 0x09, "ISR shows IRQ0 and IRQ3 nested");
    out(0x20, 0x20);
    CHECK_EQ(in(0x20), 0x08, "non-specific EOI clears the highest (IRQ0)");
    out(0x20, 0x63);                    /* specific EOI IRQ3 */
    CHECK_EQ(in(0x20), 0x00, "specific EOI clears IRQ3");
    out(0x20, 0x0a);                    /* back to IRR */

    /* Mask. */
    out(0x21, 0x10);
    edge(&p, 4);
    CHECK_EQ(cpu_intr, 0, "masked IRQ4 does not interrupt");
    CHECK_EQ(in(0x20), 0x10, "but sits in IRR");
    out(0x21, 0x00);
    CHECK_EQ(cpu_intr, 1, "unmasking delivers it");
    CHECK_EQ(pic_intr_ack(&p), 0x0c, "IRQ4 vector");
    out(0x20, 0x20);

    /* Spurious IRQ7: request withdrawn (level input lowered) before INTA. */
    out(0x4d0, 0x20);                   /* IRQ5 level */
    CHECK_EQ(in(0x4d0), 0x20, "ELCR1 reads back");
    pic_set_irq(&p, 5, 1);
    CHECK_EQ(cpu_intr, 1, "level IRQ5 raises INTR");
    pic_set_irq(&p, 5, 0);
    CHECK_EQ(cpu_intr, 0, "level IRQ5 withdrawn lowers INTR");
    CHECK_EQ(pic_intr_ack(&p), 0x0f, "INTA with nothing pending: spurious IRQ7");
    out(0x20, 0x0b);
    CHECK_EQ(in(0x20), 0x00, "spurious IRQ7 sets no ISR bit");
    out(0x20, 0x0a);

    /* Level mode: request persists after EOI while the line is high. */
    pic_set_irq(&p, 5, 1);
    CHECK_EQ(pic_intr_ack(&p), 0x0d, "level IRQ5 vector");
    out(0x20, 0x20);
    CHECK_EQ(cpu_intr, 1, "level IRQ5 re-requests after EOI while high");
    CHECK_EQ(pic_intr_ack(&p), 0x0d, "again IRQ5");
    pic_set_irq(&p, 5, 0);
    out(0x20, 0x20);
    CHECK_EQ(cpu_intr, 0, "line low: no further request");
    /* Edge mode: a held-high line requests once. */
    out(0x4d0, 0x00);
    pic_set_irq(&p, 6, 1);
    CHECK_EQ(pic_intr_ack(&p), 0x0e, "edge IRQ6");
    out(0x20, 0x20);
    CHECK_EQ(cpu_intr, 0, "edge IRQ6 held high does not re-request");
    pic_set_irq(&p, 6, 0);
    out(0x4d0, 0xff);
    CHECK_EQ(in(0x4d0), 0xf8, "ELCR1: IRQ0-2 are edge only");
    out(0x4d1, 0xff);
    CHECK_EQ(in(0x4d1), 0xde, "ELCR2: IRQ8 and IRQ13 are edge only");
    out(0x4d0, 0); out(0x4d1, 0);

    /* Cascade. */
    edge(&p, 12);
    CHECK_EQ(cpu_intr, 1, "slave IRQ12 raises INTR through IR2");
    CHECK_EQ(pic_intr_ack(&p), 0x74, "IRQ12 vector 0x74");
    out(0x20, 0x0b); out(0xa0, 0x0b);
    CHECK_EQ(in(0x20), 0x04, "master ISR shows IR2");
    CHECK_EQ(in(0xa0), 0x10, "slave ISR shows IR4");
    edge(&p, 8);
    CHECK_EQ(cpu_intr, 0, "IRQ8 blocked by master IR2 in service (not SFNM)");
    out(0xa0, 0x20); out(0x20, 0x20);
    CHECK_EQ(cpu_intr, 1, "IRQ8 after both EOIs");
    edge(&p, 1);
    CHECK_EQ(pic_intr_ack(&p), 0x09, "IRQ1 beats IRQ8 (IR1 < IR2)");
    out(0x20, 0x20);
    CHECK_EQ(pic_intr_ack(&p), 0x70, "then IRQ8");
    out(0xa0, 0x20); out(0x20, 0x20);
    CHECK_EQ(in(0x20), 0x00, "master ISR clear");
    out(0x20, 0x0a); out(0xa0, 0x0a);

    /* Spurious IRQ15: slave request withdrawn after reaching the master. */
    out(0x4d1, 0x02);                   /* IRQ9 level */
    pic_set_irq(&p, 9, 1);
    CHECK_EQ(cpu_intr, 1, "level IRQ9 requests");
    out(0xa1, 0x02);                    /* mask it on the slave */
    CHECK_EQ(cpu_intr, 1, "master IR2 (edge) stays latched after the slave withdraws");
    CHECK_EQ(pic_intr_ack(&p), 0x77, "INTA gives the slave's spurious IRQ15");
    out(0xa0, 0x0b);
    CHECK_EQ(in(0xa0), 0x00, "spurious IRQ15 sets no slave ISR bit");
    out(0xa0, 0x0a);
    out(0x20, 0x20);                    /* the master did see IR2: EOI it */
    out(0xa1, 0x00);
    pic_set_irq(&p, 9, 0);
    out(0x4d1, 0x00);

    /* Auto EOI. */
    init_pc(&p, 0x03);
    edge(&p, 3);
    CHECK_EQ(pic_intr_ack(&p), 0x0b, "AEOI: IRQ3 vector");
    out(0x20, 0x0b);
    CHECK_EQ(in(0x20), 0x00, "AEOI: no ISR bit left");
    out(0x20, 0x0a);
    edge(&p, 4);
    CHECK_EQ(cpu_intr, 1, "AEOI: lower priority not blocked");
    CHECK_EQ(pic_intr_ack(&p), 0x0c, "AEOI: IRQ4");

    /* Rotation: rotate on non-specific EOI makes the served level lowest. */
    init_pc(&p, 0x01);
    edge(&p, 0);
    CHECK_EQ(pic_intr_ack(&p), 0x08, "rotate: IRQ0 first");
    out(0x20, 0xa0);                    /* rotate on non-specific EOI */
    edge(&p, 0); edge(&p, 1);
    CHECK_EQ(pic_intr_ack(&p), 0x09, "after rotation IRQ1 beats IRQ0");
    out(0x20, 0x20);
    CHECK_EQ(pic_intr_ack(&p), 0x08, "IRQ0 next");
    out(0x20, 0x20);
    out(0x20, 0xc4);                    /* set priority: IRQ4 lowest */
    edge(&p, 3); edge(&p, 6);
    CHECK_EQ(pic_intr_ack(&p), 0x0e, "set priority: IRQ6 (now highest is 5) beats IRQ3");
    out(0x20, 0xe6);                    /* rotate on specific EOI 6 */
    CHECK_EQ(pic_intr_ack(&p), 0x0b, "then IRQ3");
    out(0x20, 0x63);
    out(0x20, 0xc7);                    /* restore IRQ0 highest */

    /* Poll. */
    edge(&p, 5);
    out(0x20, 0x0c);                    /* OCW3 poll */
    CHECK_EQ(in(0x20), 0x85, "poll returns 0x80|5");
    out(0x20, 0x0b);
    CHECK_EQ(in(0x20), 0x20, "poll acknowledged IRQ5 (ISR)");
    out(0x20, 0x20);
    out(0x20, 0x0c);
    CHECK_EQ(in(0x20), 0x00, "poll with nothing pending returns 0");
    out(0x20, 0x0a);

    /* Special mask mode: masked in-service level stops blocking. */
    edge(&p, 2 + 1);
    CHECK_EQ(pic_intr_ack(&p), 0x0b, "SMM: IRQ3 in service");
    edge(&p, 5);
    CHECK_EQ(cpu_intr, 0, "IRQ5 blocked by IRQ3");
    out(0x20, 0x68);                    /* set special mask */
    out(0x21, 0x08);                    /* mask IRQ3 */
    CHECK_EQ(cpu_intr, 1, "SMM: IRQ5 enabled while IRQ3 masked and in service");
    CHECK_EQ(pic_intr_ack(&p), 0x0d, "SMM: IRQ5 delivered");
    out(0x20, 0x65); out(0x20, 0x63);
    out(0x20, 0x48);                    /* reset special mask */
    out(0x21, 0x00);

    /* Special fully nested: slave may interrupt its own service. */
    out(0x20, 0x11); out(0x21, 0x08); out(0x21, 0x04); out(0x21, 0x11);
    out(0x21, 0x00);
    edge(&p, 12);
    CHECK_EQ(pic_intr_ack(&p), 0x74, "SFNM: IRQ12");
    edge(&p, 10);
    CHECK_EQ(cpu_intr, 1, "SFNM: higher slave IRQ10 passes IR2 in service");
    CHECK_EQ(pic_intr_ack(&p), 0x72, "SFNM: IRQ10");
    edge(&p, 5);
    CHECK_EQ(in(0x20) & 0x20, 0x20, "IRQ5 requested");
    CHECK(!pic_intr_pending(&p), "SFNM: lower master IRQ5 still blocked");
    out(0xa0, 0x20); out(0xa0, 0x20); out(0x20, 0x20);
    CHECK_EQ(pic_intr_ack(&p), 0x0d, "IRQ5 after EOIs");
    out(0x20, 0x20);

    /* Save, restore, compare. */
    init_pc(&p, 0x01);
    out(0x21, 0x40); out(0x4d0, 0x20);
    edge(&p, 3); edge(&p, 1);
    pic_intr_ack(&p);
    struct savestate ss;
    ss_init_write(&ss);
    pic_save(&p, &ss);
    CHECK(ss_error(&ss) == NULL, "save ok");
    struct pic copy = p;
    init_pc(&p, 0x03);
    struct savestate rd;
    ss_init_read(&rd, ss.buf, ss.len);
    CHECK_EQ(pic_load(&p, &rd), 0, "load ok");
    CHECK(memcmp(&p.c, &copy.c, sizeof p.c) == 0, "restored chips equal the saved ones");
    CHECK_EQ(in(0x21), 0x40, "restored IMR readable");
    out(0x20, 0x20);
    CHECK_EQ(pic_intr_ack(&p), 0x0b, "restored state continues: IRQ3 next after EOI");
    /* A corrupt field is named. */
    for (size_t i = 0; i + 12 < ss.len; i++)
        if (memcmp(ss.buf + i, "master.lowest", 14) == 0)
            ss.buf[i + 14 + 4] = 9;
    ss_init_read(&rd, ss.buf, ss.len);
    CHECK(pic_load(&p, &rd) != 0, "load refuses lowest=9");
    CHECK(ss_error(&rd) && strstr(ss_error(&rd), "master.lowest"), "error names the field: %s",
          ss_error(&rd) ? ss_error(&rd) : "");
    ss_free(&ss);
    iobus_free(&bus);
    return test_summary();
}
