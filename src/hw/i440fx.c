/* i440FX host bridge (Intel 82441FX PMC datasheet, order 290549: section
 * 3.2 "PCI configuration registers": PAM[6:0] at 0x59-0x5F, SMRAM at 0x72,
 * DRB at 0x60-0x67).
 *
 * PAM: 0x59 bits 5:4 control 0xF0000-0xFFFFF; 0x5A-0x5F hold two 16 KiB
 * segments each (low nibble first) from 0xC0000 to 0xEFFFF; in each field
 * bit 0 = read enable (RAM), bit 1 = write enable (RAM). A change is
 * reported to the board per segment. SMRAM: C_BASE_SEG reads 010;
 * D_OPEN && G_SMRAME opens SMRAM to normal accesses; setting D_LCK clears
 * D_OPEN and makes the register read-only until reset. Other chipset
 * registers (PMCCFG, DRAM control/timing, DRB, error registers) are plain
 * storage. Left out: SMM itself (the CPU side), DRAM row checks, caching. */
#include "hw/i440fx.h"

#include <string.h>
#include "util/savestate.h"

#define PAM0   0x59
#define SMRAM  0x72
#define SMRAM_D_OPEN  0x40
#define SMRAM_D_LCK   0x10
#define SMRAM_G_SMRAME 0x08

static unsigned pam_field(const struct i440fx *s, int i)
{
    if (i == 0)
        return (s->pci.config[PAM0] >> 4) & 3;
    unsigned reg = PAM0 + 1 + (unsigned)(i - 1) / 2;
    return (s->pci.config[reg] >> ((i - 1) % 2 ? 4 : 0)) & 3;
}

void i440fx_pam_segment(const struct i440fx *s, int i, uint32_t *base, uint32_t *size,
                        unsigned *mode)
{
    if (i == 0) {
        *base = 0xf0000;
        *size = 0x10000;
    } else {
        *base = 0xc0000 + (uint32_t)(i - 1) * 0x4000;
        *size = 0x4000;
    }
    *mode = pam_field(s, i);
}

static void sync(struct i440fx *s, bool force)
{
    for (int i = 0; i < I440FX_PAM_SEGMENTS; i++) {
        uint32_t base, size;
        unsigned mode;
        i440fx_pam_segment(s, i, &base, &size, &mode);
        if (force || mode != s->pam_mode[i]) {
            s->pam_mode[i] = (uint8_t)mode;
            if (s->ops.pam)
                s->ops.pam(s->ops.opaque, base, size, mode);
        }
    }
    uint8_t sm = s->pci.config[SMRAM];
    bool open = (sm & SMRAM_D_OPEN) && (sm & SMRAM_G_SMRAME);
    if (force || open != s->smram_open) {
        s->smram_open = open;
        if (s->ops.smram)
            s->ops.smram(s->ops.opaque, open);
    }
}

static void write_hook(struct pci_device *d, unsigned off, uint32_t val, unsigned size)
{
    struct i440fx *s = d->opaque;
    uint8_t *sm = &d->config[SMRAM];
    if (size == 0) {                    /* restored */
        s->smram_locked = (*sm & SMRAM_D_LCK) != 0;
        d->wmask[SMRAM] = s->smram_locked ? 0 : 0x78;
        sync(s, true);
        return;
    }
    *sm = (uint8_t)((*sm & ~7u) | 2);   /* C_BASE_SEG is fixed at 010 */
    if (!s->smram_locked && (*sm & SMRAM_D_LCK)) {
        *sm &= ~SMRAM_D_OPEN;
        s->smram_locked = true;
        d->wmask[SMRAM] = 0;
    }
    sync(s, false);
}

void i440fx_reset(struct i440fx *s)
{
    struct pci_device *d = &s->pci;
    memset(d->config + 0x40, 0, 0xc0);
    pci_set16(d, PCI_COMMAND, 0x0006);  /* memory and bus master enabled */
    pci_set16(d, PCI_STATUS, 0x0280);   /* medium DEVSEL, fast back-to-back */
    /* Subsystem 1af4:1100, QEMU's: SeaBIOS (src/fw/paravirt.c
     * qemu_detect) looks for it before it uses fw_cfg. */
    pci_set16(d, PCI_SUBSYS_VENDOR, 0x1af4);
    pci_set16(d, PCI_SUBSYS_VENDOR + 2, 0x1100);
    pci_set16(d, 0x50, 0x0000);         /* PMCCFG */
    pci_set8(d, 0x57, 0x01);            /* DRAMC */
    pci_set8(d, 0x58, 0x10);            /* DRAMT */
    for (unsigned i = 0x60; i <= 0x67; i++)
        pci_set8(d, i, 0x01);           /* DRB: 8 MiB per row (board may refine) */
    pci_set8(d, 0x71, 0x10);            /* CLT */
    pci_set8(d, SMRAM, 0x02);
    s->smram_locked = false;
    memset(d->wmask + 0x50, 0xff, 0x72 - 0x50);
    d->wmask[0x53] = 0x00;
    d->wmask[SMRAM] = 0x78;
    d->wmask[0x90] = 0xff;              /* ERRCMD */
    d->w1cmask[0x91] = 0xff;            /* ERRSTS */
    d->wmask[0x93] = 0xff;              /* TRC */
    sync(s, true);
}

int i440fx_init(struct i440fx *s, struct pci_bus *bus, const struct i440fx_ops *ops)
{
    memset(s, 0, sizeof *s);
    if (ops)
        s->ops = *ops;
    pci_device_init(&s->pci, "i440fx", 0x8086, 0x1237, 0x060000, 0x02, 0x00);
    s->pci.opaque = s;
    s->pci.write_hook = write_hook;
    i440fx_reset(s);
    return pci_register(bus, &s->pci, PCI_DEVFN(0, 0));
}
