/* Unit tests for PCI configuration mechanism #1 (src/hw/pci.c), the i440FX
 * host bridge (src/hw/i440fx.c) and the PIIX3 ISA bridge (src/hw/piix3.c),
 * driven through ports 0xCF8-0xCFF and 0xCF9: IDs, write masks, status
 * write-1-to-clear, BAR sizing, PAM and SMRAM callbacks, PIRQ routing,
 * reset control, save/restore. */
#include "test.h"
#include "hw/i440fx.h"
#include "mem/iobus.h"
#include "hw/pci.h"
#include "hw/piix3.h"
#include "util/savestate.h"

static struct iobus io;
static struct pci_bus bus;
static struct i440fx nb;
static struct piix3 sb;
static unsigned pam_calls, last_pam_base, last_pam_size, last_pam_mode;
static int smram_open = -1, resets;
static int isa[16];

static void pam_cb(void *o, uint32_t base, uint32_t size, unsigned mode)
{
    pam_calls++;
    last_pam_base = base;
    last_pam_size = size;
    last_pam_mode = mode;
}
static void smram_cb(void *o, bool open) { smram_open = open; }
static void reset_cb(void *o) { resets++; }
static void isa_set(void *o, int n, int level) { isa[n] = level; }

static uint32_t cfg_read(unsigned devfn, unsigned off, unsigned size)
{
    iobus_out(&io, 0xcf8, 0x80000000u | devfn << 8 | (off & 0xfc), 4);
    return iobus_in(&io, (uint16_t)(0xcfc + (off & 3)), size);
}

static void cfg_write(unsigned devfn, unsigned off, uint32_t v, unsigned size)
{
    iobus_out(&io, 0xcf8, 0x80000000u | devfn << 8 | (off & 0xfc), 4);
    iobus_out(&io, (uint16_t)(0xcfc + (off & 3)), v, size);
}

int main(void)
{
    struct i440fx_ops ops = { pam_cb, smram_cb, NULL };
    struct sysctl_ops sops = { NULL, reset_cb, NULL };
    struct irq_line lines[16];
    for (int i = 0; i < 16; i++)
        lines[i] = (struct irq_line){ isa_set, NULL, i };
    CHECK(iobus_init(&io) == 0, "iobus_init");
    CHECK(pci_bus_init(&bus, &io) == 0, "pci_bus_init registers 0xCF8 and 0xCFC");
    CHECK(i440fx_init(&nb, &bus, &ops) == 0, "i440fx at 00:00.0");
    CHECK_EQ(pam_calls, 13, "init reports all 13 PAM segments");
    CHECK_EQ(smram_open, 0, "init reports SMRAM closed");
    CHECK(piix3_init(&sb, &bus, lines, &sops) == 0, "piix3 at 00:01.0");
    {
        struct piix3 dup;
        CHECK(piix3_init(&dup, &bus, lines, &sops) != 0, "a second device in a taken slot is refused");
    }

    /* Mechanism #1 basics. */
    iobus_out(&io, 0xcf8, 0x80000a07u, 4);
    CHECK_EQ(iobus_in(&io, 0xcf8, 4), 0x80000a04u, "CONFIG_ADDRESS reads back without bits 1:0");
    CHECK_EQ(cfg_read(0, 0, 4), 0x12378086u, "i440FX vendor/device 8086:1237");
    CHECK_EQ(cfg_read(PCI_DEVFN(1, 0), 0, 4), 0x70008086u, "PIIX3 vendor/device 8086:7000");
    CHECK_EQ(cfg_read(0, 0x08, 4) >> 8, 0x060000u, "i440FX class: host bridge");
    CHECK_EQ(cfg_read(PCI_DEVFN(1, 0), 0x0a, 2), 0x0601u, "PIIX3 class: ISA bridge");
    CHECK_EQ(cfg_read(PCI_DEVFN(1, 0), 0x0e, 1), 0x80u, "PIIX3 is multi-function");
    CHECK_EQ(cfg_read(0, 2, 2), 0x1237u, "16-bit read at offset 2 via 0xCFE");
    CHECK_EQ(cfg_read(0, 1, 1), 0x80u, "byte read at offset 1 via 0xCFD");
    CHECK_EQ(cfg_read(PCI_DEVFN(5, 0), 0, 4), 0xffffffffu, "empty slot reads all ones");
    iobus_out(&io, 0xcf8, 0x00000000u, 4);
    CHECK_EQ(iobus_in(&io, 0xcfc, 4), 0xffffffffu, "enable bit clear: all ones");
    iobus_out(&io, 0xcf8, 0x80010000u, 4);
    CHECK_EQ(iobus_in(&io, 0xcfc, 4), 0xffffffffu, "bus 1: all ones");

    /* Write masks. */
    cfg_write(0, 0, 0xffffffffu, 4);
    CHECK_EQ(cfg_read(0, 0, 4), 0x12378086u, "IDs are read-only");
    cfg_write(0, PCI_INTERRUPT_LINE, 0x0b, 1);
    CHECK_EQ(cfg_read(0, PCI_INTERRUPT_LINE, 1), 0x0bu, "interrupt line writable");
    nb.pci.config[PCI_STATUS + 1] |= 0x30;              /* master/target abort */
    cfg_write(0, PCI_STATUS, 0x1000, 2);
    CHECK_EQ(cfg_read(0, PCI_STATUS, 2) & 0x3000, 0x2000u, "status bits are write-1-to-clear");

    /* BAR sizing on a test device. */
    static struct pci_device dev;
    pci_device_init(&dev, "test", 0x1234, 0x5678, 0x020000, 1, 0);
    pci_set_bar(&dev, 0, 0x1000, false);
    pci_set_bar(&dev, 1, 0x20, true);
    CHECK(pci_register(&bus, &dev, PCI_DEVFN(3, 0)) == 0, "test device at 00:03.0");
    cfg_write(PCI_DEVFN(3, 0), 0x10, 0xffffffffu, 4);
    CHECK_EQ(cfg_read(PCI_DEVFN(3, 0), 0x10, 4), 0xfffff000u, "memory BAR sizing: 4 KiB");
    cfg_write(PCI_DEVFN(3, 0), 0x14, 0xffffffffu, 4);
    CHECK_EQ(cfg_read(PCI_DEVFN(3, 0), 0x14, 4), 0xffffffe1u, "I/O BAR sizing: 32 bytes, bit 0 set");
    cfg_write(PCI_DEVFN(3, 0), 0x14, 0xc000, 4);
    CHECK_EQ(pci_bar_base(&dev, 1), 0xc000u, "I/O BAR base");
    CHECK_EQ(cfg_read(PCI_DEVFN(3, 0), 0x18, 4), 0u, "unimplemented BAR reads 0");

    /* PAM. */
    pam_calls = 0;
    cfg_write(0, 0x59, 0x30, 1);
    CHECK_EQ(pam_calls, 1, "PAM0 write reports one segment");
    CHECK(last_pam_base == 0xf0000 && last_pam_size == 0x10000 && last_pam_mode == 3,
          "PAM0 = 0x30: 0xF0000-0xFFFFF RAM read/write");
    cfg_write(0, 0x5a, 0x10, 1);
    CHECK(last_pam_base == 0xc4000 && last_pam_size == 0x4000 && last_pam_mode == 1,
          "PAM1 high nibble 1: 0xC4000 read RAM, write ROM");
    cfg_write(0, 0x5f, 0x02, 1);
    CHECK(last_pam_base == 0xe8000 && last_pam_mode == 2, "PAM6 low nibble 2: 0xE8000 write-only RAM");
    pam_calls = 0;
    cfg_write(0, 0x5c, 0x33, 1);
    CHECK_EQ(pam_calls, 2, "a PAM byte covers two segments");
    unsigned mode;
    uint32_t base, size;
    i440fx_pam_segment(&nb, 5, &base, &size, &mode);
    CHECK(base == 0xd0000 && mode == 3, "i440fx_pam_segment(5) = 0xD0000 RAM");
    pam_calls = 0;
    cfg_write(0, 0x5c, 0x33, 1);
    CHECK_EQ(pam_calls, 0, "rewriting the same value reports nothing");

    /* SMRAM. */
    CHECK_EQ(cfg_read(0, 0x72, 1), 0x02u, "SMRAM at reset: C_BASE_SEG 010");
    cfg_write(0, 0x72, 0x48, 1);
    CHECK_EQ(smram_open, 1, "D_OPEN|G_SMRAME opens SMRAM");
    cfg_write(0, 0x72, 0x18, 1);
    CHECK_EQ(smram_open, 0, "D_LCK closes it");
    cfg_write(0, 0x72, 0x48, 1);
    CHECK_EQ(cfg_read(0, 0x72, 1), 0x1au, "locked: register read-only");
    CHECK_EQ(smram_open, 0, "locked: cannot reopen");

    /* PIIX3 PIRQ routing. */
    CHECK_EQ(cfg_read(PCI_DEVFN(1, 0), 0x60, 4), 0x80808080u, "PIRQRC at reset: all disabled");
    struct irq_line pa = piix3_pirq_line(&sb, 0);
    irq_raise(&pa);
    int any = 0;
    for (int i = 0; i < 16; i++)
        any |= isa[i];
    CHECK(!any, "disabled PIRQA drives nothing");
    cfg_write(PCI_DEVFN(1, 0), 0x60, 0x0b, 1);
    CHECK_EQ(isa[11], 1, "routing PIRQA to IRQ11 while high raises IRQ11");
    irq_lower(&pa);
    CHECK_EQ(isa[11], 0, "PIRQA low lowers IRQ11");
    cfg_write(PCI_DEVFN(1, 0), 0x61, 0x0b, 1);
    piix3_set_pirq(&sb, 0, 1);
    piix3_set_pirq(&sb, 1, 1);
    piix3_set_pirq(&sb, 0, 0);
    CHECK_EQ(isa[11], 1, "shared IRQ11 stays high while PIRQB is high");
    piix3_set_pirq(&sb, 1, 0);
    CHECK_EQ(isa[11], 0, "and drops when both are low");
    piix3_set_pirq(&sb, 0, 1);
    cfg_write(PCI_DEVFN(1, 0), 0x60, 0x0a, 1);
    CHECK(isa[10] == 1 && isa[11] == 0, "re-routing moves the level from IRQ11 to IRQ10");
    cfg_write(PCI_DEVFN(1, 0), 0x60, 0x8a, 1);
    CHECK_EQ(isa[10], 0, "disabling the route lowers IRQ10");
    cfg_write(PCI_DEVFN(1, 0), 0x60, 0x0d, 1);
    CHECK_EQ(isa[13], 0, "IRQ13 is not a valid route");
    CHECK_EQ(piix3_pirq_route(&sb, 0), -1, "piix3_pirq_route reports it disabled");
    cfg_write(PCI_DEVFN(1, 0), 0x60, 0x0a, 1);
    CHECK_EQ(cfg_read(PCI_DEVFN(1, 0), 0x60, 1), 0x0au, "PIRQRCA reads back");
    CHECK_EQ(piix3_pirq_of(3, 1), 2, "slot 3 INTA -> PIRQC");
    CHECK_EQ(piix3_pirq_of(1, 1), 0, "slot 1 INTA -> PIRQA");
    CHECK_EQ(piix3_pirq_of(4, 2), 0, "slot 4 INTB -> PIRQA");

    /* Reset control at 0xCF9. */
    iobus_out(&io, 0xcf9, 0x02, 1);
    CHECK_EQ(resets, 0, "0xCF9 = 2: no reset yet");
    CHECK_EQ(iobus_in(&io, 0xcf9, 1), 0x02u, "0xCF9 reads back SRST");
    iobus_out(&io, 0xcf9, 0x06, 1);
    CHECK_EQ(resets, 1, "0xCF9 = 6: hard reset");

    /* Save, restore, compare. */
    struct savestate ss;
    ss_init_write(&ss);
    pci_bus_save(&bus, &ss);
    piix3_save(&sb, &ss);
    CHECK(ss_error(&ss) == NULL, "save ok");
    uint8_t cfg0[256], cfg1[256];
    memcpy(cfg0, nb.pci.config, 256);
    memcpy(cfg1, sb.pci.config, 256);
    i440fx_reset(&nb);
    piix3_reset(&sb);
    piix3_set_pirq(&sb, 0, 0);
    CHECK_EQ(isa[10], 0, "after reset IRQ10 low");
    pam_calls = 0;
    struct savestate rd;
    ss_init_read(&rd, ss.buf, ss.len);
    CHECK_EQ(pci_bus_load(&bus, &rd), 0, "pci load ok");
    CHECK_EQ(piix3_load(&sb, &rd), 0, "piix3 load ok");
    CHECK(memcmp(cfg0, nb.pci.config, 256) == 0, "i440FX config restored");
    CHECK(memcmp(cfg1, sb.pci.config, 256) == 0, "PIIX3 config restored");
    CHECK_EQ(pam_calls, 13, "restore re-reports the PAM map");
    CHECK_EQ(isa[10], 1, "restore re-drives IRQ10 from PIRQA");
    cfg_write(0, 0x72, 0x48, 1);
    CHECK_EQ(cfg_read(0, 0x72, 1), 0x1au, "restored SMRAM lock still holds");
    ss_free(&ss);
    iobus_free(&io);
    return test_summary();
}
