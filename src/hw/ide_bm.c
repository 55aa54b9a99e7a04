/* Bus master IDE (SFF-8038i rev 1.0, "Programming Interface for Bus
 * Master IDE Controller"; PIIX3 datasheet s2.5): 8 ports per channel at
 * BAR4 (primary +0, secondary +8):
 *   +0 command: bit 0 start/stop, bit 3 direction (1 = the device reads,
 *      data goes to memory)
 *   +2 status: bit 0 active (RO), bit 1 error and bit 2 interrupt
 *      (write 1 to clear), bits 5/6 drive 0/1 DMA capable (software's)
 *   +4 the PRD table's physical address, dword aligned
 * A PRD entry is 8 bytes: a 32-bit physical address (bit 0 ignored), a
 * 16-bit byte count (0 = 64 KiB, bit 0 ignored), bit 31 of the second
 * dword marks the last entry. Setting start loads the table address;
 * clearing it stops the engine and forgets its place (the spec's
 * "all state information is lost").
 *
 * At the end of a transfer (SFF-8038i table "interrupt/active"): the
 * table exactly used: active 0, the device interrupts; the table larger
 * than the transfer: active stays 1; the table smaller: active 0 and no
 * interrupt (the device gives up, as on QEMU). An entry that points
 * outside RAM, or a table the walk cannot read, sets the error bit and the
 * device aborts the command. The walk stops after 64 KiB of table without
 * an end mark. */
#include <string.h>

#include "hw/ide.h"
#include "mem/iobus.h"
#include "mem/physmem.h"
#include "util/log.h"

#define BM_TABLE_MAX 0x10000u

/* The next PRD entry into the walk state: 0, 1 at the end of the table,
 * -1 when it cannot be read. */
static int load_prd(struct ide_ctrl *s, struct ide_bm *bm)
{
    uint8_t e[8];
    if (bm->cur_last || bm->cur_prd - bm->prd_table >= BM_TABLE_MAX)
        return 1;
    if (!physmem_read_buf(s->mem, bm->cur_prd, e, sizeof e))
        return -1;
    uint32_t addr = (uint32_t)e[0] | (uint32_t)e[1] << 8 | (uint32_t)e[2] << 16 |
                    (uint32_t)e[3] << 24;
    uint32_t cnt = (uint32_t)e[4] | (uint32_t)e[5] << 8;
    bm->cur_prd += 8;
    bm->cur_addr = addr & ~1u;
    bm->cur_len = (cnt & 0xfffe) ? (cnt & 0xfffe) : 0x10000;
    bm->cur_last = e[7] & 0x80;
    return 0;
}

int ide_bm_transfer(struct ide_channel *c, uint8_t *buf, uint32_t len, bool to_memory)
{
    struct ide_bm *bm = &c->bm;
    struct ide_ctrl *s = c->ctrl;

    while (len) {
        if (bm->cur_len == 0) {
            int r = load_prd(s, bm);
            if (r) {
                bm->prd_done = r > 0;
                return r;
            }
        }
        uint32_t n = len < bm->cur_len ? len : bm->cur_len;
        bool ok = to_memory ? physmem_write_buf(s->mem, bm->cur_addr, buf, n)
                            : physmem_read_buf(s->mem, bm->cur_addr, buf, n);
        if (!ok) {
            LOG(LOG_HW, "ide%u: PRD entry 0x%08x+0x%x is outside RAM", c->index,
                bm->cur_addr, bm->cur_len);
            return -1;
        }
        buf += n;
        len -= n;
        bm->cur_addr += n;
        bm->cur_len -= n;
    }
    if (bm->cur_len == 0 && bm->cur_last)
        bm->prd_done = true;
    return 0;
}

void ide_bm_end(struct ide_channel *c, bool err)
{
    struct ide_bm *bm = &c->bm;
    if (err) {
        bm->status |= BM_ST_ERROR;
        bm->status &= (uint8_t)~BM_ST_ACTIVE;
    } else if (bm->prd_done) {
        bm->status &= (uint8_t)~BM_ST_ACTIVE;
    }
}

static void cmd_write(struct ide_channel *c, uint8_t v)
{
    struct ide_bm *bm = &c->bm;
    uint8_t old = bm->cmd;
    bm->cmd = v & (BM_CMD_START | BM_CMD_READ);
    if ((v & BM_CMD_START) && !(old & BM_CMD_START)) {
        bm->status |= BM_ST_ACTIVE;
        bm->cur_prd = bm->prd_table;
        bm->cur_len = 0;
        bm->cur_last = false;
        bm->prd_done = false;
        ide_dma_kick(c);
    } else if (!(v & BM_CMD_START) && (old & BM_CMD_START)) {
        bm->status &= (uint8_t)~BM_ST_ACTIVE;
    }
}

static uint8_t reg_read(struct ide_channel *c, unsigned off)
{
    switch (off) {
    case 0: return c->bm.cmd;
    case 2: return c->bm.status;
    case 4: case 5: case 6: case 7: return (uint8_t)(c->bm.prd_table >> (8 * (off - 4)));
    }
    return 0;
}

static void reg_write(struct ide_channel *c, unsigned off, uint8_t v)
{
    struct ide_bm *bm = &c->bm;
    switch (off) {
    case 0:
        cmd_write(c, v);
        break;
    case 2:
        bm->status = (uint8_t)((bm->status & ~(BM_ST_DRV0 | BM_ST_DRV1)) |
                               (v & (BM_ST_DRV0 | BM_ST_DRV1)));
        bm->status &= (uint8_t)~(v & (BM_ST_ERROR | BM_ST_INTR));
        break;
    case 4: case 5: case 6: case 7: {
        unsigned sh = 8 * (off - 4);
        bm->prd_table = (bm->prd_table & ~(0xffu << sh)) | (uint32_t)v << sh;
        bm->prd_table &= ~3u;
        break;
    }
    }
}

uint64_t ide_bm_read(void *opaque, uint64_t off, unsigned size)
{
    struct ide_ctrl *s = opaque;
    uint64_t v = 0;
    for (unsigned k = 0; k < size; k++) {
        unsigned o = (unsigned)off + k;
        v |= (uint64_t)reg_read(&s->ch[(o >> 3) & 1], o & 7) << (8 * k);
    }
    return v;
}

void ide_bm_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
    struct ide_ctrl *s = opaque;
    /* The table address first and the command last, so a 32-bit write
     * spanning both acts on the new address. */
    for (int k = (int)size - 1; k >= 0; k--) {
        unsigned o = (unsigned)off + (unsigned)k;
        reg_write(&s->ch[(o >> 3) & 1], o & 7, (uint8_t)(val >> (8 * k)));
    }
}

int ide_bm_register(struct ide_ctrl *s)
{
    uint32_t base = pci_bar_base(&s->pci, 4);
    bool on = (pci_get16(&s->pci, PCI_COMMAND) & 1) && base && base + 16 <= 0x10000;
    if (on && base == s->bm_base)
        return 0;
    if (s->bm_base)
        iobus_unregister(s->io, s->bm_base);
    s->bm_base = 0;
    if (!on)
        return 0;
    const struct io_handler h = { ide_bm_read, ide_bm_write, s, 1 | 2 | 4 };
    if (iobus_register(s->io, (uint16_t)base, 16, &h, "ide-bm"))
        return -1;
    s->bm_base = (uint16_t)base;
    return 0;
}
