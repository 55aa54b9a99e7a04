/* Modern virtio PCI transport and split virtqueues (OASIS "Virtual I/O
 * Device (VIRTIO) Version 1.2": s2.1 device status, s2.2 feature bits,
 * s2.7 split virtqueues, s4.1 virtio over PCI bus).
 *
 * PCI header: vendor 0x1AF4, device 0x1040 + type, revision 1 (a
 * non-transitional device: no legacy I/O BAR), subsystem 0x1AF4:0x1100,
 * INTA#. Capabilities list from 0x40, all pointing into BAR 4 (64-bit,
 * prefetchable, 16 KiB), laid out one 4 KiB page per structure:
 *   0x40 common cfg  -> BAR4+0x0000 (s4.1.4.3)
 *   0x50 ISR         -> BAR4+0x1000 (s4.1.4.5, read to clear)
 *   0x60 device cfg  -> BAR4+0x2000 (s4.1.4.6, the device type's)
 *   0x70 notify      -> BAR4+0x3000 (s4.1.4.4), queue_notify_off = queue
 *                       index, notify_off_multiplier 4
 * The interrupt is INTx only: the ISR's bit 0 (used buffers) or bit 1
 * (config change) holds INTA# high until the driver reads the ISR, unless
 * the command register's INTx disable bit is set; the status register's
 * interrupt bit follows the ISR. MSI-X is not offered, so the vector
 * registers read VIRTIO_MSI_NO_VECTOR.
 *
 * Split rings (s2.7): descriptor table (16 bytes per entry), available
 * ring (flags, idx, ring[size], used_event), used ring (flags, idx,
 * {id, len}[size], avail_event), all in guest RAM, read and written
 * through physmem's bulk copies so that nothing outside RAM is touched.
 * Indirect descriptors (s2.7.5.3) and the event index (s2.7.7, s2.7.10)
 * are offered.
 *
 * Left out: MSI-X, the PCI configuration access capability (SeaBIOS
 * needs it only for BARs above 4 GiB), packed rings, notification data,
 * queue reset. */
#include "hw/virtio_pci.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "mem/physmem.h"
#include "util/log.h"
#include "util/savestate.h"

/* Offsets of the structures in BAR 4. */
#define OFF_COMMON  0x0000u
#define OFF_ISR     0x1000u
#define OFF_DEVICE  0x2000u
#define OFF_NOTIFY  0x3000u
#define NOTIFY_MULT 4u

/* Capability cfg_type values (s4.1.4). */
#define CAP_COMMON  1
#define CAP_NOTIFY  2
#define CAP_ISR     3
#define CAP_DEVICE  4

/* Common configuration structure (s4.1.4.3), byte offsets. */
#define CC_DFSELECT     0x00
#define CC_DF           0x04
#define CC_GFSELECT     0x08
#define CC_GF           0x0c
#define CC_MSIX_CONFIG  0x10
#define CC_NUM_QUEUES   0x12
#define CC_STATUS       0x14
#define CC_CONFIG_GEN   0x15
#define CC_QUEUE_SELECT 0x16
#define CC_QUEUE_SIZE   0x18
#define CC_QUEUE_MSIX   0x1a
#define CC_QUEUE_ENABLE 0x1c
#define CC_QUEUE_NOFF   0x1e
#define CC_QUEUE_DESC   0x20
#define CC_QUEUE_DRIVER 0x28
#define CC_QUEUE_DEVICE 0x30
#define CC_LEN          0x38

#define MSI_NO_VECTOR   0xffff

/* Descriptor flags (s2.7.5) and ring flags (s2.7.6, s2.7.8). */
#define DESC_F_NEXT     1
#define DESC_F_WRITE    2
#define DESC_F_INDIRECT 4
#define AVAIL_F_NO_INTERRUPT 1

/* An indirect table longer than this is refused (Linux uses at most
 * seg_max + 2 entries). */
#define MAX_INDIRECT    4096u

#define PCI_CMD_MEMORY      0x0002
#define PCI_CMD_INTX_OFF    0x0400
#define PCI_STATUS_INTX     0x0008
#define PCI_STATUS_CAPLIST  0x0010
#define PCI_CAP_PTR         0x34

/* ---- little-endian helpers ---- */

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v); put16(p + 2, (uint16_t)(v >> 16)); }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t get32(const uint8_t *p) { return get16(p) | (uint32_t)get16(p + 2) << 16; }
static uint64_t get64(const uint8_t *p) { return get32(p) | (uint64_t)get32(p + 4) << 32; }

/* Guest RAM accesses: false when any byte is not RAM (or wraps). */
static bool ram_read(struct virtio_pci *v, uint64_t pa, void *buf, uint64_t len)
{
    return pa + len >= pa && physmem_read_buf(v->mem, pa, buf, len);
}

static bool ram_write(struct virtio_pci *v, uint64_t pa, const void *buf, uint64_t len)
{
    return pa + len >= pa && physmem_write_buf(v->mem, pa, buf, len);
}

static bool ram_read16(struct virtio_pci *v, uint64_t pa, uint16_t *out)
{
    uint8_t b[2];
    if (!ram_read(v, pa, b, 2))
        return false;
    *out = get16(b);
    return true;
}

static bool ram_write16(struct virtio_pci *v, uint64_t pa, uint16_t val)
{
    uint8_t b[2];
    put16(b, val);
    return ram_write(v, pa, b, 2);
}

/* ---- interrupt ---- */

static void update_irq(struct virtio_pci *v)
{
    uint16_t st = pci_get16(&v->pci, PCI_STATUS);
    bool level = v->isr && !(pci_get16(&v->pci, PCI_COMMAND) & PCI_CMD_INTX_OFF);
    pci_set16(&v->pci, PCI_STATUS,
              (uint16_t)(v->isr ? st | PCI_STATUS_INTX : st & ~PCI_STATUS_INTX));
    if (level != v->irq_level) {
        v->irq_level = level;
        irq_set(&v->irq, level);
    }
}

void virtio_config_changed(struct virtio_pci *v)
{
    v->config_gen++;
    if (v->status & VIRTIO_STATUS_DRIVER_OK) {
        v->isr |= 2;
        update_irq(v);
    }
}

bool virtio_running(const struct virtio_pci *v)
{
    const uint8_t need = VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_FEATURES_OK;
    return (v->status & need) == need &&
           !(v->status & (VIRTIO_STATUS_NEEDS_RESET | VIRTIO_STATUS_FAILED));
}

void virtio_broken(struct virtio_pci *v, const char *why)
{
    LOG_ONCE(LOG_HW, "%s: %s; the device needs a reset", v->name, why);
    LOG(LOG_HW, "%s: %s: DEVICE_NEEDS_RESET", v->name, why);
    if (v->status & VIRTIO_STATUS_NEEDS_RESET)
        return;
    v->status |= VIRTIO_STATUS_NEEDS_RESET;
    virtio_config_changed(v);
}

/* ---- status, reset, features ---- */

static void reset_device(struct virtio_pci *v)
{
    if (v->ops.reset)
        v->ops.reset(v->ops.opaque);
    v->status = 0;
    v->guest_features = 0;
    v->dfselect = v->gfselect = 0;
    v->queue_sel = 0;
    for (unsigned i = 0; i < VIRTIO_MAX_QUEUES; i++) {
        struct virtq *q = &v->vq[i];
        uint16_t max = q->max_size;
        memset(q, 0, sizeof *q);
        q->max_size = q->size = max;
    }
    v->isr = 0;
    update_irq(v);
}

static void kick_all(struct virtio_pci *v)
{
    for (unsigned i = 0; i < v->nqueues && virtio_running(v); i++)
        if (v->vq[i].enabled && v->ops.notify)
            v->ops.notify(v->ops.opaque, i);
}

static void set_status(struct virtio_pci *v, uint8_t val)
{
    uint8_t old = v->status;
    if (val == 0) {
        reset_device(v);
        return;
    }
    /* FEATURES_OK sticks only for a subset of what we offer that
     * includes VERSION_1 (s2.2.2, s6.1). */
    if ((val & VIRTIO_STATUS_FEATURES_OK) && !(old & VIRTIO_STATUS_FEATURES_OK) &&
        ((v->guest_features & ~v->host_features) ||
         !virtio_has_feature(v, VIRTIO_F_VERSION_1)))
        val &= (uint8_t)~VIRTIO_STATUS_FEATURES_OK;
    /* NEEDS_RESET is the device's; only a reset clears it. */
    v->status = (uint8_t)(val | (old & VIRTIO_STATUS_NEEDS_RESET));
    if ((val & VIRTIO_STATUS_DRIVER_OK) && !(old & VIRTIO_STATUS_DRIVER_OK))
        kick_all(v);                    /* buffers made available before DRIVER_OK */
}

/* ---- common configuration ---- */

static struct virtq *selected(struct virtio_pci *v)
{
    return v->queue_sel < v->nqueues ? &v->vq[v->queue_sel] : NULL;
}

/* The structure as the driver reads it; reads have no side effects. */
static void common_image(struct virtio_pci *v, uint8_t img[CC_LEN])
{
    const struct virtq *q = selected(v);
    memset(img, 0, CC_LEN);
    put32(img + CC_DFSELECT, v->dfselect);
    put32(img + CC_DF, v->dfselect < 2 ? (uint32_t)(v->host_features >> (32 * v->dfselect)) : 0);
    put32(img + CC_GFSELECT, v->gfselect);
    put32(img + CC_GF, v->gfselect < 2 ? (uint32_t)(v->guest_features >> (32 * v->gfselect)) : 0);
    put16(img + CC_MSIX_CONFIG, MSI_NO_VECTOR);
    put16(img + CC_NUM_QUEUES, (uint16_t)v->nqueues);
    img[CC_STATUS] = v->status;
    img[CC_CONFIG_GEN] = v->config_gen;
    put16(img + CC_QUEUE_SELECT, v->queue_sel);
    put16(img + CC_QUEUE_MSIX, MSI_NO_VECTOR);
    if (q) {
        put16(img + CC_QUEUE_SIZE, q->size);
        put16(img + CC_QUEUE_ENABLE, q->enabled);
        put16(img + CC_QUEUE_NOFF, v->queue_sel);
        put32(img + CC_QUEUE_DESC, (uint32_t)q->desc);
        put32(img + CC_QUEUE_DESC + 4, (uint32_t)(q->desc >> 32));
        put32(img + CC_QUEUE_DRIVER, (uint32_t)q->avail);
        put32(img + CC_QUEUE_DRIVER + 4, (uint32_t)(q->avail >> 32));
        put32(img + CC_QUEUE_DEVICE, (uint32_t)q->used);
        put32(img + CC_QUEUE_DEVICE + 4, (uint32_t)(q->used >> 32));
    }
}

static uint32_t common_read(struct virtio_pci *v, unsigned off, unsigned size)
{
    uint8_t img[CC_LEN];
    uint32_t val = 0;
    common_image(v, img);
    for (unsigned k = 0; k < size && off + k < CC_LEN; k++)
        val |= (uint32_t)img[off + k] << (8 * k);
    return val;
}

static void set_addr_half(uint64_t *addr, unsigned half, uint32_t val)
{
    if (half)
        *addr = (*addr & 0xffffffffu) | (uint64_t)val << 32;
    else
        *addr = (*addr & ~(uint64_t)0xffffffffu) | val;
}

static void enable_queue(struct virtio_pci *v, struct virtq *q)
{
    /* Alignment of the three parts (s2.7: 16, 2 and 4 bytes). */
    if ((q->desc & 15) || (q->avail & 1) || (q->used & 3)) {
        virtio_broken(v, "misaligned virtqueue");
        return;
    }
    q->enabled = true;
    q->last_avail = q->used_idx = 0;
    q->signalled_valid = false;
}

static void common_write(struct virtio_pci *v, unsigned off, uint32_t val, unsigned size)
{
    struct virtq *q = selected(v);
    bool q_writable = q && !q->enabled;

    switch (off) {
    case CC_DFSELECT:
        if (size == 4)
            v->dfselect = val;
        return;
    case CC_GFSELECT:
        if (size == 4)
            v->gfselect = val;
        return;
    case CC_GF:
        if (size == 4 && v->gfselect < 2 && !(v->status & VIRTIO_STATUS_FEATURES_OK)) {
            unsigned sh = 32 * v->gfselect;
            v->guest_features = (v->guest_features & ~((uint64_t)0xffffffffu << sh)) |
                                (uint64_t)val << sh;
        }
        return;
    case CC_STATUS:
        if (size == 1)
            set_status(v, (uint8_t)val);
        return;
    case CC_QUEUE_SELECT:
        if (size == 2)
            v->queue_sel = (uint16_t)val;
        return;
    case CC_QUEUE_SIZE:
        /* A power of two up to the maximum (split rings, s2.7). */
        if (size == 2 && q_writable && val && val <= q->max_size && !(val & (val - 1)))
            q->size = (uint16_t)val;
        return;
    case CC_QUEUE_ENABLE:
        if (size == 2 && val == 1 && q_writable)
            enable_queue(v, q);
        return;
    case CC_MSIX_CONFIG:
    case CC_QUEUE_MSIX:
        return;                         /* no MSI-X: stays NO_VECTOR */
    }
    if (off >= CC_QUEUE_DESC && off < CC_LEN && size == 4 && !(off & 3)) {
        if (!q_writable)
            return;
        unsigned field = (off - CC_QUEUE_DESC) / 8, half = (off / 4) & 1;
        uint64_t *addr = field == 0 ? &q->desc : field == 1 ? &q->avail : &q->used;
        set_addr_half(addr, half, val);
        return;
    }
    LOG_ONCE(LOG_HW, "%s: write of %u bytes to common cfg offset 0x%x ignored", v->name,
             size, off);
}

/* ---- BAR 4 ---- */

uint64_t virtio_pci_mmio_read(void *o, uint64_t off, unsigned size)
{
    struct virtio_pci *v = o;
    if (off < OFF_ISR)
        return common_read(v, (unsigned)off, size);
    if (off < OFF_DEVICE) {
        if (off != OFF_ISR)
            return 0;
        uint8_t isr = v->isr;           /* read to clear (s4.1.4.5) */
        v->isr = 0;
        update_irq(v);
        return isr;
    }
    if (off < OFF_NOTIFY) {
        unsigned at = (unsigned)(off - OFF_DEVICE);
        if (at + size > v->config_len || !v->ops.config_read)
            return 0;
        return v->ops.config_read(v->ops.opaque, at, size);
    }
    return 0;
}

void virtio_pci_mmio_write(void *o, uint64_t off, uint64_t val, unsigned size)
{
    struct virtio_pci *v = o;
    if (off < OFF_ISR) {
        common_write(v, (unsigned)off, (uint32_t)val, size);
    } else if (off >= OFF_DEVICE && off < OFF_NOTIFY) {
        unsigned at = (unsigned)(off - OFF_DEVICE);
        if (at + size <= v->config_len && v->ops.config_write)
            v->ops.config_write(v->ops.opaque, at, (uint32_t)val, size);
    } else if (off >= OFF_NOTIFY) {
        /* The driver writes the queue's index (s4.1.5.2). */
        unsigned qi = (unsigned)val & 0xffff;
        if (qi < v->nqueues && v->vq[qi].enabled && virtio_running(v) && v->ops.notify)
            v->ops.notify(v->ops.opaque, qi);
    }
}

/* Map BAR 4 where the guest put it while memory decoding is on. */
static void update_mapping(struct virtio_pci *v)
{
    unsigned bar = PCI_BAR0 + 4 * VIRTIO_PCI_BAR;
    uint64_t base = (pci_get32(&v->pci, bar) & ~15u) | (uint64_t)pci_get32(&v->pci, bar + 4) << 32;
    bool want = (pci_get16(&v->pci, PCI_COMMAND) & PCI_CMD_MEMORY) && base != 0 &&
                base + VIRTIO_PCI_BAR_SIZE > base;

    if (v->mapped && (!want || base != v->mapped_at)) {
        physmem_unmap(v->mem, v->mapped_at);
        v->mapped = false;
    }
    if (want && !v->mapped) {
        const struct io_handler h = { virtio_pci_mmio_read, virtio_pci_mmio_write, v, 1 | 2 | 4 };
        if (physmem_map_mmio(v->mem, base, VIRTIO_PCI_BAR_SIZE, &h, v->name) == 0) {
            v->mapped = true;
            v->mapped_at = base;
        } else {
            LOG(LOG_HW, "%s: BAR4 at 0x%llx not mapped (overlap)", v->name,
                (unsigned long long)base);
        }
    }
}

static void config_hook(struct pci_device *d, unsigned off, uint32_t val, unsigned size)
{
    struct virtio_pci *v = d->opaque;
    update_mapping(v);
    update_irq(v);                      /* the INTx disable bit */
}

/* ---- virtqueues ---- */

static void seg_add(struct virtio_pci *v, struct virtq_elem *e, uint64_t addr, uint32_t len,
                    bool *ok)
{
    unsigned n = e->nout + e->nin;
    if (n == e->cap) {
        unsigned cap = e->cap ? e->cap * 2 : 16;
        struct virtq_seg *s = realloc(e->seg, cap * sizeof *s);
        if (!s) {
            virtio_broken(v, "out of memory for a descriptor chain");
            *ok = false;
            return;
        }
        e->seg = s;
        e->cap = cap;
    }
    e->seg[n].addr = addr;
    e->seg[n].len = len;
}

/* Walk the chain from `head` into e; false when it is malformed. */
static bool walk_chain(struct virtio_pci *v, struct virtq *q, uint16_t head, struct virtq_elem *e)
{
    uint64_t table = q->desc;
    unsigned entries = q->size, idx = head, seen = 0;
    bool indirect = false, ok = true;

    e->head = head;
    e->nout = e->nin = 0;
    e->out_len = e->in_len = 0;
    for (;;) {
        uint8_t d[16];
        if (!ram_read(v, table + 16ull * idx, d, 16)) {
            virtio_broken(v, "descriptor outside RAM");
            return false;
        }
        uint64_t addr = get64(d);
        uint32_t len = get32(d + 8);
        uint16_t flags = get16(d + 12), next = get16(d + 14);

        if (flags & DESC_F_INDIRECT) {
            /* Only as the whole chain (s2.7.5.3.1): not nested, not with
             * NEXT, not after other descriptors. */
            if (indirect || seen || (flags & DESC_F_NEXT) ||
                !virtio_has_feature(v, VIRTIO_F_RING_INDIRECT_DESC) ||
                len == 0 || len % 16 || len / 16 > MAX_INDIRECT) {
                virtio_broken(v, "bad indirect descriptor");
                return false;
            }
            table = addr;
            entries = len / 16;
            idx = 0;
            indirect = true;
            continue;
        }
        if (++seen > entries) {
            virtio_broken(v, "descriptor chain loops");
            return false;
        }
        if (flags & DESC_F_WRITE) {
            seg_add(v, e, addr, len, &ok);
            e->nin++;
            e->in_len += len;
        } else {
            if (e->nin) {
                virtio_broken(v, "readable descriptor after a writable one");
                return false;
            }
            seg_add(v, e, addr, len, &ok);
            e->nout++;
            e->out_len += len;
        }
        if (!ok)
            return false;
        if (!(flags & DESC_F_NEXT))
            return true;
        if (next >= entries) {
            virtio_broken(v, "descriptor next index out of range");
            return false;
        }
        idx = next;
    }
}

int virtq_pop(struct virtio_pci *v, unsigned qi, struct virtq_elem *e)
{
    struct virtq *q = qi < v->nqueues ? &v->vq[qi] : NULL;
    uint64_t avail_event = 0;
    uint16_t avail_idx, head;

    if (!q || !q->enabled || !virtio_running(v))
        return 0;
    if (virtio_has_feature(v, VIRTIO_F_RING_EVENT_IDX))
        avail_event = q->used + 4 + 8ull * q->size;
    if (!ram_read16(v, q->avail + 2, &avail_idx)) {
        virtio_broken(v, "available ring outside RAM");
        return -1;
    }
    uint16_t pending = (uint16_t)(avail_idx - q->last_avail);
    if (pending > q->size) {
        virtio_broken(v, "available index ahead by more than the queue size");
        return -1;
    }
    if (pending == 0) {
        /* Ask for a kick at the next buffer (s2.7.10). */
        if (avail_event && !ram_write16(v, avail_event, q->last_avail)) {
            virtio_broken(v, "used ring outside RAM");
            return -1;
        }
        return 0;
    }
    if (!ram_read16(v, q->avail + 4 + 2ull * (q->last_avail % q->size), &head)) {
        virtio_broken(v, "available ring outside RAM");
        return -1;
    }
    if (head >= q->size) {
        virtio_broken(v, "available ring names a descriptor past the table");
        return -1;
    }
    q->last_avail++;
    if (avail_event && !ram_write16(v, avail_event, q->last_avail)) {
        virtio_broken(v, "used ring outside RAM");
        return -1;
    }
    return walk_chain(v, q, head, e) ? 1 : -1;
}

void virtq_push(struct virtio_pci *v, unsigned qi, uint16_t head, uint32_t len)
{
    struct virtq *q = qi < v->nqueues ? &v->vq[qi] : NULL;
    uint8_t ent[8];

    if (!q || !q->enabled || (v->status & VIRTIO_STATUS_NEEDS_RESET))
        return;
    put32(ent, head);
    put32(ent + 4, len);
    if (!ram_write(v, q->used + 4 + 8ull * (q->used_idx % q->size), ent, 8) ||
        !ram_write16(v, q->used + 2, (uint16_t)(q->used_idx + 1))) {
        virtio_broken(v, "used ring outside RAM");
        return;
    }
    q->used_idx++;
}

/* s2.7.7.2: with EVENT_IDX, interrupt when used->idx passed used_event
 * since the last interrupt. */
static bool need_event(uint16_t event, uint16_t now, uint16_t old)
{
    return (uint16_t)(now - event - 1) < (uint16_t)(now - old);
}

void virtq_notify(struct virtio_pci *v, unsigned qi)
{
    struct virtq *q = qi < v->nqueues ? &v->vq[qi] : NULL;
    uint16_t word;

    if (!q || !q->enabled || (v->status & VIRTIO_STATUS_NEEDS_RESET))
        return;
    if (virtio_has_feature(v, VIRTIO_F_RING_EVENT_IDX)) {
        if (!ram_read16(v, q->avail + 4 + 2ull * q->size, &word)) {
            virtio_broken(v, "available ring outside RAM");
            return;
        }
        bool valid = q->signalled_valid;
        uint16_t old = q->signalled_used;
        q->signalled_valid = true;
        q->signalled_used = q->used_idx;
        if (valid && !need_event(word, q->used_idx, old))
            return;
    } else {
        if (!ram_read16(v, q->avail, &word)) {
            virtio_broken(v, "available ring outside RAM");
            return;
        }
        if (word & AVAIL_F_NO_INTERRUPT)
            return;
    }
    v->isr |= 1;
    update_irq(v);
}

/* Copy between buf and the bytes [off, off+len) of the chain's readable
 * (write = false) or writable part. */
static bool elem_copy(struct virtio_pci *v, const struct virtq_elem *e, bool write,
                      uint64_t off, void *buf, uint64_t len)
{
    const struct virtq_seg *s = e->seg + (write ? e->nout : 0);
    unsigned n = write ? e->nin : e->nout;
    uint8_t *p = buf;

    for (unsigned i = 0; i < n && len; i++) {
        if (off >= s[i].len) {
            off -= s[i].len;
            continue;
        }
        uint64_t chunk = s[i].len - off;
        if (chunk > len)
            chunk = len;
        bool ok = write ? ram_write(v, s[i].addr + off, p, chunk)
                        : ram_read(v, s[i].addr + off, p, chunk);
        if (!ok)
            return false;
        p += chunk;
        len -= chunk;
        off = 0;
    }
    return len == 0;
}

bool virtq_elem_read(struct virtio_pci *v, const struct virtq_elem *e, uint64_t off,
                     void *buf, uint64_t len)
{
    return elem_copy(v, e, false, off, buf, len);
}

bool virtq_elem_write(struct virtio_pci *v, const struct virtq_elem *e, uint64_t off,
                      const void *buf, uint64_t len)
{
    return elem_copy(v, e, true, off, (void *)buf, len);
}

void virtq_elem_free(struct virtq_elem *e)
{
    free(e->seg);
    memset(e, 0, sizeof *e);
}

/* ---- construction ---- */

static void put_cap(struct pci_device *d, unsigned at, unsigned next, unsigned len,
                    uint8_t type, uint32_t off, uint32_t length)
{
    pci_set8(d, at, 0x09);              /* vendor-specific */
    pci_set8(d, at + 1, (uint8_t)next);
    pci_set8(d, at + 2, (uint8_t)len);
    pci_set8(d, at + 3, type);
    pci_set8(d, at + 4, VIRTIO_PCI_BAR);
    pci_set32(d, at + 8, off);
    pci_set32(d, at + 12, length);
}

/* The BAR's type bits: 64-bit, prefetchable; the high half is all
 * writable. */
static void bar_defaults(struct virtio_pci *v)
{
    unsigned bar = PCI_BAR0 + 4 * VIRTIO_PCI_BAR;
    pci_set32(&v->pci, bar, 0x0c);
    pci_set32(&v->pci, bar + 4, 0);
}

int virtio_pci_init(struct virtio_pci *v, struct pci_bus *bus, unsigned devfn,
                    struct physmem *mem, struct irq_line irq, unsigned type,
                    uint32_t class_code, uint64_t features, unsigned nqueues,
                    uint16_t queue_size, unsigned config_len, const struct virtio_ops *ops)
{
    struct pci_device *d = &v->pci;

    memset(v, 0, sizeof *v);
    if (nqueues == 0 || nqueues > VIRTIO_MAX_QUEUES || !queue_size ||
        (queue_size & (queue_size - 1)) || config_len > 0x1000)
        return -1;
    pci_device_init(d, "virtio", VIRTIO_PCI_VENDOR, (uint16_t)(VIRTIO_PCI_DEVICE_BASE + type),
                    class_code, 1, 0);
    snprintf(v->name, sizeof v->name, "virtio@00:%02x.%u", devfn >> 3, devfn & 7);
    pci_set16(d, PCI_SUBSYS_VENDOR, VIRTIO_PCI_VENDOR);
    pci_set16(d, PCI_SUBSYS_VENDOR + 2, 0x1100);
    pci_set8(d, PCI_INTERRUPT_PIN, 1);
    pci_set16(d, PCI_STATUS, PCI_STATUS_CAPLIST);
    pci_set8(d, PCI_CAP_PTR, 0x40);
    put_cap(d, 0x40, 0x50, 16, CAP_COMMON, OFF_COMMON, CC_LEN);
    put_cap(d, 0x50, 0x60, 16, CAP_ISR, OFF_ISR, 1);
    put_cap(d, 0x60, 0x70, 16, CAP_DEVICE, OFF_DEVICE, config_len ? config_len : 1);
    put_cap(d, 0x70, 0x00, 20, CAP_NOTIFY, OFF_NOTIFY, NOTIFY_MULT * nqueues);
    pci_set32(d, 0x70 + 16, NOTIFY_MULT);
    pci_set_bar(d, VIRTIO_PCI_BAR, VIRTIO_PCI_BAR_SIZE, false);
    memset(d->wmask + PCI_BAR0 + 4 * (VIRTIO_PCI_BAR + 1), 0xff, 4);
    bar_defaults(v);
    d->opaque = v;
    d->write_hook = config_hook;

    v->mem = mem;
    v->irq = irq;
    v->ops = *ops;
    v->config_len = config_len;
    v->nqueues = nqueues;
    v->host_features = features | 1ull << VIRTIO_F_VERSION_1 |
                       1ull << VIRTIO_F_RING_INDIRECT_DESC | 1ull << VIRTIO_F_RING_EVENT_IDX;
    for (unsigned i = 0; i < nqueues; i++)
        v->vq[i].max_size = v->vq[i].size = queue_size;
    return pci_register(bus, d, devfn);
}

void virtio_pci_reset(struct virtio_pci *v)
{
    reset_device(v);
    pci_set16(&v->pci, PCI_COMMAND, 0);
    bar_defaults(v);
    pci_set8(&v->pci, PCI_INTERRUPT_LINE, 0);
    update_mapping(v);
    update_irq(v);
}

void virtio_pci_free(struct virtio_pci *v)
{
    if (v->mapped)
        physmem_unmap(v->mem, v->mapped_at);
    v->mapped = false;
}

/* ---- save state ---- */

#define VIRTIO_SS_VERSION 1

static void ss_name(const struct virtio_pci *v, char *buf, size_t n)
{
    snprintf(buf, n, "virtio.00:%02x.%u", v->pci.devfn >> 3, v->pci.devfn & 7);
}

void virtio_pci_save(const struct virtio_pci *v, struct savestate *ss)
{
    char name[32], f[32];
    ss_name(v, name, sizeof name);
    ss_section_begin(ss, name, VIRTIO_SS_VERSION);
    ss_put(ss, "status", v->status);
    ss_put(ss, "isr", v->isr);
    ss_put(ss, "config_gen", v->config_gen);
    ss_put(ss, "guest_features", v->guest_features);
    ss_put(ss, "dfselect", v->dfselect);
    ss_put(ss, "gfselect", v->gfselect);
    ss_put(ss, "queue_sel", v->queue_sel);
    for (unsigned i = 0; i < v->nqueues; i++) {
        const struct virtq *q = &v->vq[i];
#define PUTQ(field, val) (snprintf(f, sizeof f, "q%u." field, i), ss_put(ss, f, val))
        PUTQ("size", q->size);
        PUTQ("enabled", q->enabled);
        PUTQ("desc", q->desc);
        PUTQ("avail", q->avail);
        PUTQ("used", q->used);
        PUTQ("last_avail", q->last_avail);
        PUTQ("used_idx", q->used_idx);
        PUTQ("signalled_used", q->signalled_used);
        PUTQ("signalled_valid", q->signalled_valid);
#undef PUTQ
    }
    ss_section_end(ss);
}

int virtio_pci_load(struct virtio_pci *v, struct savestate *ss)
{
    char name[32], f[32];
    struct virtq vq[VIRTIO_MAX_QUEUES];
    uint8_t status, isr, gen;
    uint64_t gf;
    uint32_t dfsel, gfsel;
    uint16_t qsel;

    ss_name(v, name, sizeof name);
    if (ss_section_open(ss, name, 1, VIRTIO_SS_VERSION, NULL))
        return -1;
    ss_get_u8(ss, "status", 0xff, &status);
    ss_get_u8(ss, "isr", 3, &isr);
    ss_get_u8(ss, "config_gen", 0xff, &gen);
    ss_get(ss, "guest_features", UINT64_MAX, &gf);
    ss_get_u32(ss, "dfselect", UINT32_MAX, &dfsel);
    ss_get_u32(ss, "gfselect", UINT32_MAX, &gfsel);
    ss_get_u16(ss, "queue_sel", UINT16_MAX, &qsel);
    memcpy(vq, v->vq, sizeof vq);
    for (unsigned i = 0; i < v->nqueues && !ss->err; i++) {
        struct virtq *q = &vq[i];
#define GETQ(field, fn, max, out) (snprintf(f, sizeof f, "q%u." field, i), fn(ss, f, max, out))
        GETQ("size", ss_get_u16, q->max_size, &q->size);
        GETQ("desc", ss_get, UINT64_MAX, &q->desc);
        GETQ("avail", ss_get, UINT64_MAX, &q->avail);
        GETQ("used", ss_get, UINT64_MAX, &q->used);
        GETQ("last_avail", ss_get_u16, UINT16_MAX, &q->last_avail);
        GETQ("used_idx", ss_get_u16, UINT16_MAX, &q->used_idx);
        GETQ("signalled_used", ss_get_u16, UINT16_MAX, &q->signalled_used);
#undef GETQ
        snprintf(f, sizeof f, "q%u.enabled", i);
        ss_get_bool(ss, f, &q->enabled);
        snprintf(f, sizeof f, "q%u.signalled_valid", i);
        ss_get_bool(ss, f, &q->signalled_valid);
        if (!ss->err && (!q->size || (q->size & (q->size - 1)))) {
            snprintf(f, sizeof f, "q%u.size", i);
            return ss_fail(ss, f, "is not a power of two");
        }
    }
    if (ss->err)
        return -1;
    if (gf & ~v->host_features)
        return ss_fail(ss, "guest_features", "has bits the device does not offer");
    v->status = status;
    v->isr = isr;
    v->config_gen = gen;
    v->guest_features = gf;
    v->dfselect = dfsel;
    v->gfselect = gfsel;
    v->queue_sel = qsel;
    memcpy(v->vq, vq, sizeof vq);
    update_mapping(v);
    update_irq(v);
    return 0;
}
