/* Unit tests for the local APIC (src/hw/lapic.c) on a fake clock: reset
 * state, register masks, ESR write-then-read, acceptance by priority
 * class against TPR/PPR, INTA and EOI (with the EOI broadcast of level
 * vectors), spurious vector, self-IPIs and shorthands, logical
 * destinations, LINT0 virtual wire and LINT1 NMI, global and software
 * disable, timer one-shot/periodic/divide against the virtual clock, the
 * MMIO page following IA32_APIC_BASE, save/restore. */
#include "test.h"
#include "hw/lapic.h"
#include "mem/physmem.h"
#include "util/savestate.h"

static int intr, nmis, inits, eois, last_eoi, pic_acks;

static void set_intr(void *o, int level) { intr = level; }
static void nmi(void *o) { nmis++; }
static void init(void *o) { inits++; }
static int extint_ack(void *o) { pic_acks++; return 0x08; }
static void eoi(void *o, uint8_t v) { eois++; last_eoi = v; }

static struct clock clk;
static struct lapic a;

static uint32_t rd(uint32_t off) { return lapic_read(&a, off); }
static void wr(uint32_t off, uint32_t v) { lapic_write(&a, off, v); }

static void fixed(uint8_t v) { lapic_deliver(&a, 0, false, APIC_DM_FIXED, v, false); }

int main(void)
{
    static struct physmem mem;
    const struct lapic_ops ops = { set_intr, nmi, init, extint_ack, eoi, NULL };
    clock_init_fake(&clk);
    CHECK(physmem_init(&mem, 1 << 20) == 0 && physmem_map_ram(&mem, 0, 1 << 20, 0, "ram") == 0,
          "physmem with 1 MiB of RAM");
    CHECK(lapic_init(&a, &clk, &mem, &ops) == 0, "lapic_init");
    lapic_reset(&a);

    /* Reset state. */
    CHECK_EQ(rd(0x30), 0x00050014u, "version: xAPIC 0x14, max LVT 5");
    CHECK_EQ(rd(0x20), 0u, "ID 0");
    CHECK_EQ(rd(0xf0), 0xffu, "SVR 0xFF: software-disabled");
    CHECK_EQ(rd(0xe0), 0xffffffffu, "DFR flat");
    CHECK_EQ(rd(0x350), 0x700u, "LINT0 ExtINT, unmasked (virtual wire)");
    CHECK_EQ(rd(0x360), 0x10000u, "LINT1 masked");
    CHECK_EQ(rd(0x320), 0x10000u, "timer masked");
    CHECK_EQ(physmem_read(&mem, 0xfee00030, 4), 0x00050014u, "page mapped at 0xFEE00000");

    /* Virtual wire: the 8259 INT passes to the CPU, INTA goes to the PIC. */
    lapic_set_lint(&a, 0, 1);
    CHECK_EQ(intr, 1, "LINT0 ExtINT: INTR follows the 8259");
    CHECK_EQ(lapic_intr_ack(&a), 0x08, "INTA answered by the 8259");
    CHECK_EQ(pic_acks, 1, "one 8259 INTA");
    lapic_set_lint(&a, 0, 0);
    CHECK_EQ(intr, 0, "INTR drops with the 8259 INT");

    /* Software-disabled: fixed interrupts dropped, LVT writes stay masked. */
    CHECK(!lapic_deliver(&a, 0, false, APIC_DM_FIXED, 0x40, false), "fixed refused while disabled");
    wr(0x320, 0x30);
    CHECK_EQ(rd(0x320), 0x10030u, "LVT write while disabled keeps the mask");

    /* Enable. */
    wr(0xf0, 0x1ff);
    CHECK_EQ(rd(0xf0), 0x1ffu, "SVR enable, spurious 0xFF");
    wr(0x80, 0x12345678);
    CHECK_EQ(rd(0x80), 0x78u, "TPR 8 bits");
    wr(0x80, 0);
    wr(0xd0, 0x12345678);
    CHECK_EQ(rd(0xd0), 0x12000000u, "LDR bits 31:24");
    wr(0xe0, 0x0);
    CHECK_EQ(rd(0xe0), 0x0fffffffu, "DFR cluster, low bits 1");
    wr(0xe0, 0xffffffff);
    wr(0x20, 0x05000000);
    CHECK_EQ(rd(0x20), 0x05000000u, "ID writable");
    wr(0x20, 0);

    /* Acceptance, priority, INTA, EOI. */
    fixed(0x51);
    CHECK_EQ(intr, 1, "fixed 0x51 raises INTR");
    CHECK_EQ(rd(0x200 + 0x20), 1u << 0x11, "IRR bit 0x51");
    CHECK_EQ(lapic_intr_ack(&a), 0x51, "INTA 0x51");
    CHECK_EQ(rd(0x100 + 0x20), 1u << 0x11, "ISR bit 0x51");
    CHECK_EQ(rd(0xa0), 0x50u, "PPR = ISR class");
    CHECK_EQ(intr, 0, "no INTR while in service");
    fixed(0x52);
    CHECK_EQ(intr, 0, "same class not accepted while 0x51 in service");
    fixed(0x61);
    CHECK_EQ(intr, 1, "higher class interrupts");
    CHECK_EQ(lapic_intr_ack(&a), 0x61, "INTA 0x61 nests");
    wr(0xb0, 0);
    CHECK_EQ(rd(0x100 + 0x30), 0u, "EOI cleared 0x61");
    CHECK_EQ(rd(0x100 + 0x20), 1u << 0x11, "0x51 still in service");
    wr(0xb0, 0);
    CHECK_EQ(intr, 1, "after EOI of 0x51, 0x52 pending");
    wr(0x80, 0x50);
    CHECK_EQ(intr, 0, "TPR 0x50 blocks class 5");
    CHECK_EQ(rd(0xa0), 0x50u, "PPR = TPR");
    CHECK_EQ(rd(0x90), 0x50u, "APR = TPR when TPR class >= IRR class");
    wr(0x80, 0x40);
    CHECK_EQ(intr, 1, "TPR 0x40 lets 0x52 in");
    wr(0x80, 0x60);
    CHECK_EQ(lapic_intr_ack(&a), 0xff, "INTA after TPR rose: spurious vector");
    CHECK_EQ(rd(0x100 + 0x20), 0u, "spurious leaves ISR alone");
    wr(0x80, 0);
    CHECK_EQ(lapic_intr_ack(&a), 0x52, "0x52 delivered");
    wr(0xb0, 0);
    CHECK_EQ(eois, 0, "no EOI broadcast for edge vectors");

    /* Level vector: EOI broadcast. */
    lapic_deliver(&a, 0, false, APIC_DM_FIXED, 0x71, true);
    CHECK_EQ(rd(0x180 + 0x30), 1u << 0x11, "TMR set for level");
    CHECK_EQ(lapic_intr_ack(&a), 0x71, "level vector delivered");
    wr(0xb0, 0);
    CHECK(eois == 1 && last_eoi == 0x71, "EOI broadcast of level vector 0x71");

    /* Illegal vectors and ESR. */
    fixed(0x05);
    CHECK_EQ(rd(0x280), 0u, "ESR reads 0 before the write");
    wr(0x280, 0);
    CHECK_EQ(rd(0x280), 0x40u, "ESR: receive illegal vector after write");
    wr(0x280, 0);
    CHECK_EQ(rd(0x280), 0u, "ESR cleared by the next write");
    wr(0x300, 0x00040003);              /* self, vector 3 */
    wr(0x280, 0);
    CHECK_EQ(rd(0x280), 0x20u, "ESR: send illegal vector");
    rd(0x2e0);
    wr(0x280, 0);
    CHECK_EQ(rd(0x280), 0x80u, "ESR: illegal register address");
    wr(0x370, 0xe0);                    /* LVT error unmasked, vector 0xE0 */
    fixed(0x01);
    CHECK_EQ(lapic_intr_ack(&a), 0xe0, "error LVT interrupt");
    wr(0xb0, 0);
    wr(0x370, 0x10000);
    wr(0x280, 0);

    /* Self-IPIs. */
    wr(0x300, 0x00040091);              /* shorthand self, fixed 0x91 */
    CHECK_EQ(lapic_intr_ack(&a), 0x91, "self IPI");
    wr(0xb0, 0);
    wr(0x310, 0x00000000);
    wr(0x300, 0x000000a1);              /* physical dest 0 */
    CHECK_EQ(lapic_intr_ack(&a), 0xa1, "IPI to own ID");
    wr(0xb0, 0);
    wr(0x310, 0x03000000);
    wr(0x300, 0x000000a2);              /* physical dest 3: nobody */
    CHECK_EQ(rd(0x200 + 0x50), 0u, "IPI to another ID dropped");
    CHECK_EQ(rd(0x300) & 0x1000, 0u, "delivery status idle");
    wr(0x300, 0x000800a3);              /* all including self */
    CHECK_EQ(lapic_intr_ack(&a), 0xa3, "all-including-self IPI");
    wr(0xb0, 0);
    wr(0x300, 0x000c00a4);              /* all excluding self */
    CHECK_EQ(rd(0x200 + 0x50), 0u, "all-excluding-self not to us");
    wr(0xd0, 0x02000000);               /* logical ID bit 1, flat */
    wr(0x310, 0x06000000);
    wr(0x300, 0x000008b1);              /* logical dest 0x06 */
    CHECK_EQ(lapic_intr_ack(&a), 0xb1, "logical flat match");
    wr(0xb0, 0);
    wr(0x310, 0x01000000);
    wr(0x300, 0x000008b2);
    CHECK_EQ(rd(0x200 + 0x50), 0u, "logical flat mismatch dropped");
    wr(0xe0, 0x0fffffff);               /* cluster: cluster 0, member bit 1 */
    wr(0x310, 0x02000000);
    wr(0x300, 0x000008b3);
    CHECK_EQ(lapic_intr_ack(&a), 0xb3, "logical cluster match");
    wr(0xb0, 0);
    wr(0xe0, 0xffffffff);
    wr(0x300, 0x00040400);              /* self NMI: self takes fixed only */
    CHECK_EQ(nmis, 0, "self shorthand with NMI mode ignored");
    wr(0x310, 0);
    wr(0x300, 0x00000400);              /* NMI to ID 0 */
    CHECK_EQ(nmis, 1, "NMI IPI");
    wr(0x300, 0x00008500);              /* INIT level de-assert */
    CHECK_EQ(inits, 0, "INIT de-assert does nothing");
    wr(0x300, 0x00004500);              /* INIT */
    CHECK_EQ(inits, 1, "INIT IPI reaches the CPU");
    CHECK_EQ(rd(0xf0), 0xffu, "INIT resets the APIC (SVR)");
    wr(0xf0, 0x1ff);

    /* LINT1 NMI, LINT0 masked. */
    wr(0x360, 0x400);
    lapic_set_lint(&a, 1, 1);
    lapic_set_lint(&a, 1, 0);
    CHECK_EQ(nmis, 2, "LINT1 NMI on rising edge");
    wr(0x350, 0x10700);
    lapic_set_lint(&a, 0, 1);
    CHECK_EQ(intr, 0, "masked LINT0 blocks the 8259");
    lapic_set_lint(&a, 0, 0);
    wr(0x350, 0x0c1);                   /* fixed mode LINT0 */
    lapic_set_lint(&a, 0, 1);
    CHECK_EQ(lapic_intr_ack(&a), 0xc1, "LINT0 fixed mode vector");
    wr(0xb0, 0);
    lapic_set_lint(&a, 0, 0);
    wr(0x350, 0x700);

    /* Timer: one-shot, divide 1 (1 GHz bus). */
    wr(0x3e0, 0xb);
    wr(0x320, 0x30);
    wr(0x380, 1000);
    clock_advance(&clk, 400);
    CHECK_EQ(rd(0x390), 600u, "current count after 400 ns (divide 1)");
    clock_advance(&clk, 599);
    CHECK_EQ(intr, 0, "not expired at 999 ns");
    clock_advance(&clk, 1);
    CHECK_EQ(intr, 1, "one-shot fires at 1000 ns");
    CHECK_EQ(rd(0x390), 0u, "one-shot current count stays 0");
    CHECK_EQ(lapic_intr_ack(&a), 0x30, "timer vector");
    wr(0xb0, 0);
    clock_advance(&clk, 5000);
    CHECK_EQ(intr, 0, "one-shot does not repeat");
    /* Divide by 16. */
    wr(0x3e0, 0x3);
    wr(0x380, 100);
    clock_advance(&clk, 800);
    CHECK_EQ(rd(0x390), 50u, "divide 16: 50 ticks left after 800 ns");
    clock_advance(&clk, 800);
    CHECK_EQ(lapic_intr_ack(&a), 0x30, "divide-16 one-shot fires at 1600 ns");
    wr(0xb0, 0);
    /* Periodic. */
    wr(0x3e0, 0xb);
    wr(0x320, 0x20031);
    wr(0x380, 1000);
    int fired = 0;
    for (int k = 0; k < 5; k++) {
        clock_advance(&clk, 1000);
        if (intr && lapic_intr_ack(&a) == 0x31) {
            fired++;
            wr(0xb0, 0);
        }
    }
    CHECK_EQ(fired, 5, "periodic: 5 interrupts in 5 periods");
    clock_advance(&clk, 250);
    CHECK_EQ(rd(0x390), 750u, "periodic count reloads");
    clock_advance(&clk, 10000);
    CHECK_EQ(lapic_intr_ack(&a), 0x31, "late periodic timer: one interrupt");
    wr(0xb0, 0);
    CHECK_EQ(intr, 0, "missed periods collapsed");
    wr(0x320, 0x30031);                 /* masked: counts, no interrupt */
    clock_advance(&clk, 3000);
    CHECK_EQ(intr, 0, "masked timer raises nothing");
    wr(0x380, 0);
    CHECK_EQ(rd(0x390), 0u, "initial count 0 stops the timer");

    /* Save/restore round trip. */
    wr(0x320, 0x20032);
    wr(0x380, 5000);
    wr(0x80, 0x20);
    fixed(0x44);
    clock_advance(&clk, 1200);
    struct savestate ss;
    ss_init_write(&ss);
    lapic_save(&a, &ss);
    static struct lapic b;
    const struct lapic_ops ops2 = { set_intr, nmi, init, extint_ack, eoi, NULL };
    static struct clock clk2;
    clock_init_fake(&clk2);
    clock_advance(&clk2, 777);
    CHECK(lapic_init(&b, &clk2, NULL, &ops2) == 0, "second lapic");
    lapic_reset(&b);
    struct savestate rs;
    ss_init_read(&rs, ss.buf, ss.len);
    CHECK(lapic_load(&b, &rs) == 0, "load: %s", ss_error(&rs));
    CHECK_EQ(lapic_read(&b, 0x80), 0x20u, "restored TPR");
    CHECK_EQ(lapic_read(&b, 0x320), 0x20032u, "restored LVT timer");
    CHECK_EQ(lapic_read(&b, 0x200 + 0x20), 1u << 4, "restored IRR");
    CHECK_EQ(lapic_read(&b, 0x390), 3800u, "restored current count");
    clock_advance(&clk2, 3800);
    CHECK_EQ(lapic_read(&b, 0x200 + 0x10), 1u << 0x12, "restored timer fires on time");
    ss_free(&ss);
    ss_init_write(&ss);
    ss_section_begin(&ss, "lapic", 1);
    ss_put(&ss, "base", 0xfee00001ull);
    ss_section_end(&ss);
    ss_init_read(&rs, ss.buf, ss.len);
    CHECK(lapic_load(&b, &rs) != 0, "load refuses a bad section: %s", ss_error(&rs));
    ss_free(&ss);

    /* IA32_APIC_BASE: move, hide. */
    CHECK(lapic_set_base(&a, 0xfed00800), "move the page");
    CHECK_EQ(physmem_read(&mem, 0xfed00030, 4), 0x00050014u, "page at 0xFED00000");
    CHECK_EQ(physmem_read(&mem, 0xfee00030, 4), 0xffffffffu, "old page gone");
    CHECK(lapic_set_base(&a, 0xfee00000), "global disable");
    CHECK_EQ(physmem_read(&mem, 0xfee00030, 4), 0xffffffffu, "disabled: page hidden");
    CHECK(!lapic_deliver(&a, 0, false, APIC_DM_FIXED, 0x40, false), "disabled: no messages");
    lapic_set_lint(&a, 0, 1);
    CHECK_EQ(intr, 1, "disabled: LINT0 is INTR");
    lapic_set_lint(&a, 0, 0);
    lapic_set_lint(&a, 1, 1);
    CHECK_EQ(nmis, 3, "disabled: LINT1 is NMI");
    CHECK(lapic_set_base(&a, 0xfee00800), "enable again");
    CHECK_EQ(physmem_read(&mem, 0xfee000f0, 4), 0xffu, "re-enabled: registers as after INIT");
    CHECK(!lapic_set_base(&a, 0x00000800), "page over RAM refused");
    CHECK_EQ(physmem_read(&mem, 0xfee00030, 4), 0x00050014u, "page stays after refusal");
    CHECK_EQ(physmem_read(&mem, 0xfee00031, 1), 0x00u, "byte read of version bits 15:8");
    physmem_write(&mem, 0xfee00080, 0x33, 1);
    CHECK_EQ(physmem_read(&mem, 0xfee00080, 4), 0u, "byte write ignored");
    physmem_write(&mem, 0xfee00080, 0x33, 4);
    CHECK_EQ(physmem_read(&mem, 0xfee00080, 4), 0x33u, "dword write via MMIO");

    /* Random guest writes and reads over the whole page, time passing,
     * interrupts acknowledged: nothing may crash (run under ASan/UBSan),
     * and the invariants hold. */
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    bool sane = true;
    for (int k = 0; k < 200000; k++) {
        seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
        uint32_t off = (uint32_t)(seed >> 20) & 0xffc, v = (uint32_t)seed;
        if (off == 0x3e0 || off == 0x380)
            v &= 0xffff;                    /* keep periods short enough to fire */
        switch ((seed >> 40) & 7) {
        case 0: case 1: case 2:
            physmem_write(&mem, 0xfee00000 + off, v, 4);
            break;
        case 3:
            (void)physmem_read(&mem, 0xfee00000 + off, 1 << ((seed >> 50) & 3));
            break;
        case 4:
            clock_advance(&clk, (seed >> 44) & 0xffff);
            break;
        case 5:
            if (intr)
                (void)lapic_intr_ack(&a);
            break;
        case 6:
            lapic_set_lint(&a, (int)((seed >> 45) & 1), (int)((seed >> 46) & 1));
            break;
        default:
            lapic_deliver(&a, (uint8_t)(seed >> 48), (seed >> 56) & 1, (unsigned)(seed >> 57) & 7,
                          (uint8_t)(seed >> 32), (seed >> 60) & 1);
            break;
        }
        if (!lapic_enabled(&a) || off == 0) {
            lapic_set_base(&a, 0xfee00800);     /* keep the page reachable */
        }
        if (a.tpr > 0xff || a.svr > 0x3ff || (a.tdcr & ~0xbu) || (a.dfr & 0x0fffffffu) != 0x0fffffffu)
            sane = false;
    }
    CHECK(sane, "200000 random accesses: no crash, register masks hold");
    physmem_free(&mem);
    return test_summary();
}
