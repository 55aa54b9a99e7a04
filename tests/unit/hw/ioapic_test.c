/* Unit tests for the I/O APIC (src/hw/ioapic.c): register window, ID and
 * version, redirection entry masks, edge and level pins, polarity, mask,
 * remote IRR and its clearing by EOI, the edge-rewrite trick, delivery
 * to a local APIC (src/hw/lapic.c) end to end, save/restore. */
#include "test.h"
#include "hw/ioapic.h"
#include "hw/lapic.h"
#include "mem/physmem.h"
#include "util/savestate.h"

static struct ioapic io;
static int sent, last_vec, last_mode, last_dest, last_logical, last_level;
static bool accept_msgs = true;

static bool deliver(void *o, uint8_t dest, bool logical, unsigned mode, uint8_t vector,
                    bool trig_level)
{
    sent++;
    last_vec = vector; last_mode = (int)mode; last_dest = dest;
    last_logical = logical; last_level = trig_level;
    return accept_msgs;
}

static uint32_t rreg(unsigned r) { ioapic_write(&io, 0, r); return ioapic_read(&io, 0x10); }
static void wreg(unsigned r, uint32_t v) { ioapic_write(&io, 0, r); ioapic_write(&io, 0x10, v); }

/* End to end with a local APIC. */
static struct lapic la;
static struct ioapic io2;
static int cpu_intr;
static void set_intr(void *o, int l) { cpu_intr = l; }
static void eoi_bcast(void *o, uint8_t v) { ioapic_eoi(&io2, v); }
static bool to_lapic(void *o, uint8_t dest, bool logical, unsigned mode, uint8_t vector,
                     bool trig_level)
{
    return lapic_deliver(&la, dest, logical, mode, vector, trig_level);
}

int main(void)
{
    static struct physmem mem;
    const struct ioapic_ops ops = { deliver, NULL };
    CHECK(physmem_init(&mem, 1 << 20) == 0, "physmem");
    CHECK(ioapic_init(&io, &mem, IOAPIC_DEFAULT_BASE, &ops) == 0, "ioapic_init maps 0xFEC00000");

    CHECK_EQ(rreg(1), 0x00170011u, "version 0x11, 24 entries");
    CHECK_EQ(rreg(0), 0u, "ID 0 at reset");
    wreg(0, 0x0f000000);
    CHECK_EQ(rreg(0), 0x0f000000u, "ID bits 27:24");
    CHECK_EQ(rreg(2), 0x0f000000u, "arbitration ID follows");
    wreg(0, 0);
    wreg(1, 0);
    CHECK_EQ(rreg(1), 0x00170011u, "version read-only");
    CHECK_EQ(rreg(0x10), 0x10000u, "entry 0 masked at reset");
    CHECK_EQ(rreg(0x10 + 2 * 23), 0x10000u, "entry 23 masked at reset");
    wreg(0x12, 0xffffffff);
    CHECK_EQ(rreg(0x12), 0x1afffu, "low dword: delivery status, remote IRR read-only");
    wreg(0x13, 0xffffffff);
    CHECK_EQ(rreg(0x13), 0xff000000u, "high dword: destination only");
    CHECK_EQ(physmem_read(&mem, 0xfec00000, 4), 0x13u, "IOREGSEL via MMIO");
    physmem_write(&mem, 0xfec00000, 0x01, 4);
    CHECK_EQ(physmem_read(&mem, 0xfec00010, 4), 0x00170011u, "IOWIN via MMIO");
    CHECK_EQ(rreg(0x40), 0xffffffffu, "unimplemented register reads all ones");

    /* Edge pin 2: vector 0x30, physical dest 0. */
    wreg(0x15, 0);
    wreg(0x14, 0x30);
    ioapic_set_irq(&io, 2, 1);
    CHECK(sent == 1 && last_vec == 0x30 && last_mode == 0 && !last_level, "edge: one message");
    ioapic_set_irq(&io, 2, 1);
    CHECK_EQ(sent, 1, "no message without a new edge");
    ioapic_set_irq(&io, 2, 0);
    ioapic_set_irq(&io, 2, 1);
    CHECK_EQ(sent, 2, "second edge, second message");
    ioapic_set_irq(&io, 2, 0);
    wreg(0x14, 0x10030);
    ioapic_set_irq(&io, 2, 1);
    ioapic_set_irq(&io, 2, 0);
    CHECK_EQ(sent, 2, "masked edge lost");
    wreg(0x14, 0x30);
    CHECK_EQ(sent, 2, "unmasking does not replay a lost edge");
    /* Active-low edge: asserted when the line falls. */
    wreg(0x14, 0x2030);
    ioapic_set_irq(&io, 2, 1);
    CHECK_EQ(sent, 2, "active-low: no message on the rise");
    ioapic_set_irq(&io, 2, 0);
    CHECK_EQ(sent, 3, "active-low: edge on the fall");

    /* Level pin 9: vector 0x49, logical dest 0x01. */
    sent = 0;
    wreg(0x10 + 18 + 1, 0x01000000);
    wreg(0x10 + 18, 0x8949);
    ioapic_set_irq(&io, 9, 1);
    CHECK(sent == 1 && last_vec == 0x49 && last_level && last_logical && last_dest == 1,
          "level: message, logical dest 1");
    CHECK(rreg(0x10 + 18) & 0x4000, "remote IRR set on acceptance");
    ioapic_set_irq(&io, 9, 1);
    CHECK_EQ(sent, 1, "no resend while remote IRR is set");
    ioapic_eoi(&io, 0x50);
    CHECK_EQ(sent, 1, "EOI of another vector ignored");
    ioapic_eoi(&io, 0x49);
    CHECK_EQ(sent, 2, "EOI with the line still high: resend");
    ioapic_set_irq(&io, 9, 0);
    ioapic_eoi(&io, 0x49);
    CHECK(!(rreg(0x10 + 18) & 0x4000), "EOI clears remote IRR");
    CHECK_EQ(sent, 2, "line low: no resend");
    ioapic_set_irq(&io, 9, 1);
    CHECK_EQ(sent, 3, "line high again: message");
    wreg(0x10 + 18, 0x0949);
    CHECK(!(rreg(0x10 + 18) & 0x4000), "rewrite as edge clears remote IRR");
    wreg(0x10 + 18, 0x18949);
    CHECK_EQ(sent, 3, "masked level: nothing");
    wreg(0x10 + 18, 0x8949);
    CHECK_EQ(sent, 4, "unmasking an asserted level pin sends");
    accept_msgs = false;
    ioapic_eoi(&io, 0x49);
    CHECK(!(rreg(0x10 + 18) & 0x4000), "refused message leaves remote IRR clear");
    accept_msgs = true;
    ioapic_set_irq(&io, 9, 0);
    ioapic_set_irq(&io, 99, 1);
    ioapic_set_irq(&io, -1, 1);
    CHECK(1, "out-of-range pins ignored");

    /* Save/restore. */
    struct savestate ss, rs;
    ss_init_write(&ss);
    ioapic_save(&io, &ss);
    static struct ioapic b;
    CHECK(ioapic_init(&b, NULL, 0, &ops) == 0, "second ioapic");
    ss_init_read(&rs, ss.buf, ss.len);
    CHECK(ioapic_load(&b, &rs) == 0, "load: %s", ss_error(&rs) ? ss_error(&rs) : "");
    CHECK(memcmp(b.redir, io.redir, sizeof b.redir) == 0 && b.id == io.id && b.sel == io.sel,
          "round trip");
    ss_free(&ss);
    ss_init_write(&ss);
    ss_section_begin(&ss, "ioapic", 1);
    ss_put(&ss, "id", 0);
    ss_put(&ss, "sel", 0);
    ss_put(&ss, "level", 0);
    for (int i = 0; i < IOAPIC_PINS; i++) {
        char f[16];
        snprintf(f, sizeof f, "redir%d", i);
        ss_put(&ss, f, i == 3 ? 0x1000ull : 0x10000ull);
    }
    ss_section_end(&ss);
    ss_init_read(&rs, ss.buf, ss.len);
    CHECK(ioapic_load(&b, &rs) != 0, "load refuses delivery-status bit");
    ss_free(&ss);

    /* End to end: I/O APIC -> local APIC -> EOI broadcast. */
    static struct clock clk;
    clock_init_fake(&clk);
    const struct lapic_ops lops = { set_intr, NULL, NULL, NULL, eoi_bcast, NULL };
    const struct ioapic_ops iops = { to_lapic, NULL };
    CHECK(lapic_init(&la, &clk, NULL, &lops) == 0 && ioapic_init(&io2, NULL, 0, &iops) == 0,
          "lapic + ioapic");
    lapic_reset(&la);
    lapic_write(&la, 0xf0, 0x1ff);
    io2.redir[4] = 0x8061;          /* level, vector 0x61, dest 0 */
    ioapic_set_irq(&io2, 4, 1);
    CHECK_EQ(cpu_intr, 1, "level pin reaches the CPU");
    CHECK_EQ(lapic_intr_ack(&la), 0x61, "vector 0x61");
    lapic_write(&la, 0xb0, 0);
    CHECK_EQ(cpu_intr, 1, "EOI with the line high: delivered again");
    CHECK_EQ(lapic_intr_ack(&la), 0x61, "again 0x61");
    ioapic_set_irq(&io2, 4, 0);
    lapic_write(&la, 0xb0, 0);
    CHECK_EQ(cpu_intr, 0, "line low + EOI: quiet");
    CHECK(!(io2.redir[4] & 0x4000), "remote IRR clear");
    io2.redir[5] = 0x0300000000000062ull;   /* dest 3: no such APIC */
    ioapic_set_irq(&io2, 5, 1);
    CHECK_EQ(cpu_intr, 0, "message for another APIC ID dropped");

    /* Random window accesses and pin changes: no crash, masks hold. */
    uint64_t seed = 0x243f6a8885a308d3ull;
    bool sane = true;
    for (int k = 0; k < 200000; k++) {
        seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
        switch ((seed >> 60) & 3) {
        case 0: physmem_write(&mem, 0xfec00000 + ((seed >> 8) & 0xff), seed >> 16, 1 << ((seed >> 4) & 3)); break;
        case 1: (void)physmem_read(&mem, 0xfec00000 + ((seed >> 8) & 0xfff), 1 << ((seed >> 4) & 3)); break;
        case 2: ioapic_set_irq(&io, (int)((seed >> 8) & 31) - 4, (int)((seed >> 16) & 1)); break;
        default: ioapic_eoi(&io, (uint8_t)(seed >> 8)); break;
        }
    }
    for (int i = 0; i < IOAPIC_PINS; i++)
        if (io.redir[i] & ~(0xff0000000001afffull | 0x4000ull))
            sane = false;
    CHECK(sane && io.id < 16, "200000 random accesses: no crash, entry masks hold");
    physmem_free(&mem);
    return test_summary();
}
