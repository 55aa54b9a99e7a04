/* A modern (virtio 1.x, non-transitional) virtio PCI function and its
 * split virtqueues (src/hw/virtio_pci.c), shared by the virtio device
 * types (virtio_blk.c, later net, rng ...).
 *
 * The transport owns the PCI config space (vendor 0x1AF4, device 0x1040 +
 * type, revision 1, the vendor capabilities), the 16 KiB 64-bit memory
 * BAR 4 with the common, ISR, device and notify structures, feature
 * negotiation, the device status, the queues' registers and the INTx
 * interrupt. The device type supplies its features, its config structure
 * and what to do when a queue is kicked; it takes requests off a queue with
 * virtq_pop, answers with virtq_push and virtq_notify.
 *
 * Everything the guest writes in its rings is checked: a ring outside
 * RAM, a descriptor index out of range, a chain longer than the queue (a
 * loop), a bad indirect table or an avail index that runs ahead by more
 * than the queue size set DEVICE_NEEDS_RESET and stop the device until
 * the driver resets it (virtio 1.2 s2.1.2). Buffers outside RAM are the
 * device type's to fail (virtq_elem_read/write return false). */
#ifndef RAWBOX_HW_VIRTIO_PCI_H
#define RAWBOX_HW_VIRTIO_PCI_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/irq.h"
#include "hw/pci.h"

struct physmem;
struct savestate;

#define VIRTIO_PCI_VENDOR       0x1AF4
#define VIRTIO_PCI_DEVICE_BASE  0x1040  /* + virtio device type */
#define VIRTIO_PCI_BAR          4       /* 64-bit memory BAR (4 and 5) */
#define VIRTIO_PCI_BAR_SIZE     0x4000u
#define VIRTIO_MAX_QUEUES       8

/* Device status bits (s2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE   0x01
#define VIRTIO_STATUS_DRIVER        0x02
#define VIRTIO_STATUS_DRIVER_OK     0x04
#define VIRTIO_STATUS_FEATURES_OK   0x08
#define VIRTIO_STATUS_NEEDS_RESET   0x40
#define VIRTIO_STATUS_FAILED        0x80

/* Reserved feature bits (s6). */
#define VIRTIO_F_RING_INDIRECT_DESC 28
#define VIRTIO_F_RING_EVENT_IDX     29
#define VIRTIO_F_VERSION_1          32

/* A guest buffer of a descriptor chain. */
struct virtq_seg {
    uint64_t addr;
    uint32_t len;
};

/* One descriptor chain taken off the available ring: `nout` readable
 * (driver to device) segments, then `nin` writable ones. out_len and
 * in_len are their byte totals. */
struct virtq_elem {
    uint16_t head;
    unsigned nout, nin;
    uint64_t out_len, in_len;
    struct virtq_seg *seg;
    unsigned cap;               /* entries allocated in seg */
};

struct virtq {
    uint16_t max_size;          /* 0: the queue does not exist */
    uint16_t size;
    bool enabled;
    uint64_t desc, avail, used; /* guest-physical addresses */
    uint16_t last_avail;        /* next available ring entry to take */
    uint16_t used_idx;          /* our copy of used->idx */
    uint16_t signalled_used;    /* used_idx at the last interrupt (EVENT_IDX) */
    bool signalled_valid;
};

struct virtio_pci;

struct virtio_ops {
    /* The driver kicked queue q (DRIVER_OK is set, the queue enabled). */
    void (*notify)(void *opaque, unsigned q);
    /* Device reset (status 0 or a machine reset): finish or drop every
     * request in flight, without touching the rings. */
    void (*reset)(void *opaque);
    /* The device-specific config structure; off + size <= config_len. */
    uint32_t (*config_read)(void *opaque, unsigned off, unsigned size);
    void (*config_write)(void *opaque, unsigned off, uint32_t v, unsigned size);
    void *opaque;
};

struct virtio_pci {
    struct pci_device pci;
    struct physmem *mem;
    struct irq_line irq;        /* the INTA# pin */
    struct virtio_ops ops;
    unsigned config_len;
    uint64_t host_features, guest_features;
    uint32_t dfselect, gfselect;
    uint8_t status, isr, config_gen;
    uint16_t queue_sel;
    unsigned nqueues;
    struct virtq vq[VIRTIO_MAX_QUEUES];
    uint64_t mapped_at;         /* where BAR 4 is mapped (when mapped) */
    bool mapped;
    bool irq_level;
    char name[24];              /* "virtio@00:04.0": logs, the MMIO region */
};

/* Make d a virtio function of `type` (2 = block) with `nqueues` queues
 * of `queue_size` entries (a power of two), features (VERSION_1 and
 * INDIRECT_DESC/EVENT_IDX are added) and a config structure of
 * config_len bytes, and place it at devfn. */
int virtio_pci_init(struct virtio_pci *v, struct pci_bus *bus, unsigned devfn,
                    struct physmem *mem, struct irq_line irq, unsigned type,
                    uint32_t class_code, uint64_t features, unsigned nqueues,
                    uint16_t queue_size, unsigned config_len, const struct virtio_ops *ops)
    __attribute__((warn_unused_result));
/* Machine reset: the virtio state and the PCI header (BAR, command). */
void virtio_pci_reset(struct virtio_pci *v);
void virtio_pci_free(struct virtio_pci *v);

/* What the guest sees in BAR 4 (the MMIO handlers; also for tests). */
uint64_t virtio_pci_mmio_read(void *v, uint64_t off, unsigned size);
void virtio_pci_mmio_write(void *v, uint64_t off, uint64_t val, unsigned size);

/* Has the driver accepted feature bit `f`? */
static inline bool virtio_has_feature(const struct virtio_pci *v, unsigned f)
{
    return (v->guest_features >> f) & 1;
}
/* Is the device live (DRIVER_OK, no NEEDS_RESET)? */
bool virtio_running(const struct virtio_pci *v);
/* The guest broke the protocol: log `why`, set DEVICE_NEEDS_RESET,
 * signal a config change; the device then ignores kicks until reset. */
void virtio_broken(struct virtio_pci *v, const char *why);
/* Tell the driver the config structure changed (config_generation, ISR
 * bit 1). */
void virtio_config_changed(struct virtio_pci *v);

/* Take the next chain off queue q into e: 1 taken, 0 none available,
 * -1 the ring is broken (virtio_broken was called). */
int virtq_pop(struct virtio_pci *v, unsigned q, struct virtq_elem *e);
/* Put chain `head` on the used ring with `len` bytes written. */
void virtq_push(struct virtio_pci *v, unsigned q, uint16_t head, uint32_t len);
/* Raise the queue interrupt unless the driver suppressed it. */
void virtq_notify(struct virtio_pci *v, unsigned q);
/* Copy from the readable bytes of e at offset off, or into its writable
 * bytes; false when the range is past the chain or outside RAM. */
bool virtq_elem_read(struct virtio_pci *v, const struct virtq_elem *e, uint64_t off,
                     void *buf, uint64_t len);
bool virtq_elem_write(struct virtio_pci *v, const struct virtq_elem *e, uint64_t off,
                      const void *buf, uint64_t len);
void virtq_elem_free(struct virtq_elem *e);

/* Section "virtio.00:SS.F": status, features, ISR and the queues (the
 * config space is pci_bus_save's; load it first). The device type must
 * have nothing in flight when saving. Load checks every field and
 * changes nothing on error. */
void virtio_pci_save(const struct virtio_pci *v, struct savestate *ss);
int virtio_pci_load(struct virtio_pci *v, struct savestate *ss);

#endif
