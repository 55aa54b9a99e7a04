/* Save state of the IDE controller (see ide.h): one section per channel
 * ("ide0", "ide1": device control, selection, the bus master and its walk)
 * and one per attached drive ("ide0.0": task file, settings, the command
 * in progress with the buffered data of a transfer half done, ATAPI sense
 * and media state). Image requests are drained first, so nothing is in
 * flight; a DMA command caught between pieces goes on after the load. The
 * images and the PCI configuration (pci_bus_save) are not in here. */
#include <stdio.h>
#include <string.h>

#include "hw/ide.h"
#include "util/savestate.h"

#define IDE_SS_VERSION 1

static void save_drive(const struct ide_drive *d, struct savestate *ss)
{
    const uint8_t tf[] = { d->feature, d->nsector, d->lba_lo, d->lba_mid, d->lba_hi,
                           d->device, d->hob_feature, d->hob_nsector, d->hob_lba_lo,
                           d->hob_lba_mid, d->hob_lba_hi, d->status, d->error };
    ss_put_bytes(ss, "taskfile", tf, sizeof tf);
    ss_put(ss, "irq_pending", d->irq_pending);
    ss_put(ss, "mult", d->mult_sectors);
    ss_put(ss, "heads", d->heads);
    ss_put(ss, "spt", d->spt);
    ss_put(ss, "cyls", d->cyls);
    ss_put(ss, "xfer_mode", d->xfer_mode);
    ss_put(ss, "wcache", d->wcache);
    ss_put(ss, "cmd", d->cmd);
    ss_put(ss, "xfer", d->xfer);
    ss_put(ss, "dma", d->dma);
    ss_put(ss, "dma_write", d->dma_write);
    ss_put(ss, "lba48", d->lba48);
    ss_put(ss, "lba", d->lba);
    ss_put(ss, "left", d->left);
    ss_put(ss, "done_sectors", d->done_sectors);
    ss_put(ss, "chunk", d->chunk);
    ss_put(ss, "drq_bytes", d->drq_bytes);
    ss_put(ss, "pos", d->pos);
    ss_put(ss, "have", d->have);
    ss_put(ss, "drq_end", d->drq_end);
    ss_put_bytes(ss, "buf", d->buf, d->have);
    const struct atapi_state *a = &d->atapi;
    const uint8_t at[] = { a->sense_key, a->asc, a->ascq, a->unit_attention, a->locked,
                           a->event_pending, a->event_code,
                           (uint8_t)a->byte_limit, (uint8_t)(a->byte_limit >> 8),
                           a->tray_open, a->dma_req };
    ss_put_bytes(ss, "atapi", at, sizeof at);
}

void ide_save(struct ide_ctrl *s, struct savestate *ss)
{
    char name[32];
    ide_drain(s);
    for (unsigned i = 0; i < IDE_CHANNELS; i++) {
        const struct ide_channel *c = &s->ch[i];
        snprintf(name, sizeof name, "ide%u", i);
        ss_section_begin(ss, name, IDE_SS_VERSION);
        ss_put(ss, "devctl", c->devctl);
        ss_put(ss, "sel", c->sel);
        ss_put(ss, "bm.cmd", c->bm.cmd);
        ss_put(ss, "bm.status", c->bm.status);
        ss_put(ss, "bm.prd_table", c->bm.prd_table);
        ss_put(ss, "bm.cur_prd", c->bm.cur_prd);
        ss_put(ss, "bm.cur_addr", c->bm.cur_addr);
        ss_put(ss, "bm.cur_len", c->bm.cur_len);
        ss_put(ss, "bm.cur_last", c->bm.cur_last);
        ss_put(ss, "bm.prd_done", c->bm.prd_done);
        ss_section_end(ss);
        for (unsigned u = 0; u < IDE_UNITS; u++) {
            const struct ide_drive *d = &c->drive[u];
            if (d->kind == IDE_NONE)
                continue;
            snprintf(name, sizeof name, "ide%u.%u", i, u);
            ss_section_begin(ss, name, IDE_SS_VERSION);
            save_drive(d, ss);
            ss_section_end(ss);
        }
    }
}

static int load_drive(struct ide_drive *d, struct savestate *ss)
{
    uint8_t tf[13], at[11], b8[4];
    uint64_t v[8];
    bool flags[5];
    uint32_t pos, have, drq_end;

    ss_get_bytes(ss, "taskfile", tf, sizeof tf);
    ss_get_bool(ss, "irq_pending", &flags[0]);
    ss_get_u8(ss, "mult", IDE_MAX_MULT, &b8[0]);
    ss_get_u8(ss, "heads", 16, &b8[1]);
    ss_get_u8(ss, "spt", 255, &b8[2]);
    ss_get(ss, "cyls", 65535, &v[0]);
    ss_get_u8(ss, "xfer_mode", 0x47, &b8[3]);
    ss_get_bool(ss, "wcache", &flags[1]);
    ss_get(ss, "cmd", 255, &v[1]);
    ss_get(ss, "xfer", XFER_CD_READ, &v[2]);
    ss_get_bool(ss, "dma", &flags[2]);
    ss_get_bool(ss, "dma_write", &flags[3]);
    ss_get_bool(ss, "lba48", &flags[4]);
    ss_get(ss, "lba", UINT64_MAX, &v[3]);
    ss_get(ss, "left", 65536, &v[4]);
    ss_get(ss, "done_sectors", 65536, &v[5]);
    ss_get(ss, "chunk", IDE_BUF_SIZE / 512, &v[6]);
    ss_get(ss, "drq_bytes", IDE_BUF_SIZE, &v[7]);
    ss_get_u32(ss, "pos", IDE_BUF_SIZE, &pos);
    ss_get_u32(ss, "have", IDE_BUF_SIZE, &have);
    ss_get_u32(ss, "drq_end", IDE_BUF_SIZE, &drq_end);
    if (ss->err)
        return -1;
    if (pos > drq_end || drq_end > have)
        return ss_fail(ss, "pos", "outside the buffer's data");
    if (ss_get_bytes(ss, "buf", d->buf, have) || ss_get_bytes(ss, "atapi", at, sizeof at))
        return -1;
    d->feature = tf[0]; d->nsector = tf[1]; d->lba_lo = tf[2]; d->lba_mid = tf[3];
    d->lba_hi = tf[4]; d->device = tf[5]; d->hob_feature = tf[6]; d->hob_nsector = tf[7];
    d->hob_lba_lo = tf[8]; d->hob_lba_mid = tf[9]; d->hob_lba_hi = tf[10];
    d->status = tf[11]; d->error = tf[12];
    d->irq_pending = flags[0];
    d->mult_sectors = b8[0];
    d->heads = b8[1];
    d->spt = b8[2];
    d->cyls = (uint16_t)v[0];
    d->xfer_mode = b8[3];
    d->wcache = flags[1];
    d->cmd = (uint8_t)v[1];
    d->xfer = (enum ide_xfer_kind)v[2];
    d->dma = flags[2];
    d->dma_write = flags[3];
    d->lba48 = flags[4];
    d->lba = v[3];
    d->left = (uint32_t)v[4];
    d->done_sectors = (uint32_t)v[5];
    d->chunk = (uint32_t)v[6];
    d->drq_bytes = (uint32_t)v[7];
    d->pos = pos;
    d->have = have;
    d->drq_end = drq_end;
    struct atapi_state *a = &d->atapi;
    a->sense_key = at[0]; a->asc = at[1]; a->ascq = at[2];
    a->unit_attention = at[3]; a->locked = at[4]; a->event_pending = at[5];
    a->event_code = at[6];
    a->byte_limit = (uint16_t)(at[7] | at[8] << 8);
    a->tray_open = at[9];
    a->dma_req = at[10];
    if (a->sense_key > 15)
        return ss_fail(ss, "atapi", "sense key out of range");
    d->gen++;
    return 0;
}

int ide_load(struct ide_ctrl *s, struct savestate *ss)
{
    char name[32];
    ide_drain(s);
    for (unsigned i = 0; i < IDE_CHANNELS; i++) {
        struct ide_channel *c = &s->ch[i];
        struct ide_bm bm;
        uint8_t devctl, sel;
        snprintf(name, sizeof name, "ide%u", i);
        if (ss_section_open(ss, name, 1, IDE_SS_VERSION, NULL))
            return -1;
        ss_get_u8(ss, "devctl", 0xff, &devctl);
        ss_get_u8(ss, "sel", 1, &sel);
        ss_get_u8(ss, "bm.cmd", 0x09, &bm.cmd);
        ss_get_u8(ss, "bm.status", 0xff, &bm.status);
        ss_get_u32(ss, "bm.prd_table", 0xfffffffcu, &bm.prd_table);
        ss_get_u32(ss, "bm.cur_prd", UINT32_MAX, &bm.cur_prd);
        ss_get_u32(ss, "bm.cur_addr", UINT32_MAX, &bm.cur_addr);
        ss_get_u32(ss, "bm.cur_len", 0x10000, &bm.cur_len);
        ss_get_bool(ss, "bm.cur_last", &bm.cur_last);
        ss_get_bool(ss, "bm.prd_done", &bm.prd_done);
        if (ss->err)
            return -1;
        for (unsigned u = 0; u < IDE_UNITS; u++) {
            struct ide_drive *d = &c->drive[u];
            if (d->kind == IDE_NONE)
                continue;
            snprintf(name, sizeof name, "ide%u.%u", i, u);
            if (ss_section_open(ss, name, 1, IDE_SS_VERSION, NULL) || load_drive(d, ss) < 0)
                return -1;
        }
        c->devctl = devctl;
        c->sel = sel;
        c->bm = bm;
        c->irq_level = -1;
        ide_update_irq(c);
        ide_dma_kick(c);        /* a DMA command the save caught between pieces */
    }
    return 0;
}
