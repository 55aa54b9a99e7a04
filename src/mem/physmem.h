/* The guest-physical address space (src/mem/physmem.c).
 *
 * One range map holds RAM, ROM and MMIO regions. Guest RAM is one memfd
 * mapped once (so raw mode and a future process split can share it). Reads
 * of unassigned addresses return all ones; writes there are dropped. ROM
 * writes are dropped. The A20 gate masks address bit 20 when disabled.
 * Code-page tracking: pages that hold decoded instructions are marked, and
 * a write to one invalidates the decoded copies (self-modifying code). */
#ifndef RAWBOX_MEM_PHYSMEM_H
#define RAWBOX_MEM_PHYSMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "mem/region.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE  4096u
#define PAGE_MASK  (~(uint64_t)(PAGE_SIZE - 1))

enum region_kind { REGION_RAM, REGION_ROM, REGION_MMIO };

struct mem_region {
    uint64_t base, size;
    enum region_kind kind;
    uint8_t *host;              /* RAM/ROM backing */
    struct io_handler h;        /* MMIO */
    const char *name;
};

#define PHYSMEM_MAX_REGIONS 64
/* Code-write subscribers: each engine's cache of decoded or translated
 * code (the interpreter's decode cache, later the JIT's blocks), per vCPU. */
#define PHYSMEM_MAX_CODE_SUBS 4

/* A write of `len` bytes at `paddr` (within one page) hit a marked page. */
typedef void (*physmem_code_fn)(void *opaque, uint64_t paddr, unsigned len);

/* Who watches writes to a RAM page (bits of physmem.code_pages): the
 * decode cache (pages it holds instructions of), raw mode (pages it
 * scanned for native code, guest page tables its shadow depends on) and
 * the recompiler (pages it translated blocks from). */
#define PHYSMEM_MARK_CODE   1u
#define PHYSMEM_MARK_RAW    2u
#define PHYSMEM_MARK_JIT    4u  /* the recompiler translated code from it */

struct physmem {
    int ram_fd;
    uint8_t *ram;               /* host mapping of all guest RAM */
    uint64_t ram_size;          /* of the memfd: guest RAM + device RAM */
    struct mem_region r[PHYSMEM_MAX_REGIONS];
    int nr;
    int big;                    /* index of the largest RAM region (-1:
                                 * none), looked at first (find) */
    uint64_t big_base, big_size; /* ... its place (size 0: none) and */
    uint8_t *big_host;          /* host memory, for physmem_read's inline path */
    bool a20;                   /* true = enabled (no masking) */
    uint8_t *code_pages;        /* one byte per RAM page: PHYSMEM_MARK_* */
    /* Called, each in turn, when a write hits a marked page (decode cache
     * invalidation, raw mode); physmem_add_code_writer() adds one. */
    struct { physmem_code_fn fn; void *opaque; } code_sub[PHYSMEM_MAX_CODE_SUBS];
    int ncode_sub;
    /* Called when the A20 state or the map changes (TLB flush). */
    void (*map_changed)(void *opaque);
    void *map_opaque;
};

int physmem_init(struct physmem *m, uint64_t ram_size) __attribute__((warn_unused_result));

/* Grow the memfd by `size` bytes (page aligned) of device memory (a
 * graphics card's VRAM) and return its offset in *off; physmem_map_ram
 * maps it like RAM. ram_size grows with it (it is the memfd's size: the
 * guest's RAM size is the board's to remember). The host mapping may move:
 * call this while building the board, before anything keeps host pointers
 * into RAM (a vCPU, raw mode). */
int physmem_alloc_device_ram(struct physmem *m, uint64_t size, uint64_t *off)
    __attribute__((warn_unused_result));

/* Subscribe to writes into code pages; -1 when the list is full. */
int physmem_add_code_writer(struct physmem *m, physmem_code_fn fn, void *opaque)
    __attribute__((warn_unused_result));
/* Unsubscribe (a vCPU going away); unknown pairs are ignored. */
void physmem_remove_code_writer(struct physmem *m, physmem_code_fn fn, void *opaque);
/* Tell every subscriber that `len` bytes at `paddr` (within one page)
 * changed (writes through physmem do it themselves; a board remapping
 * memory under code calls it). */
void physmem_code_written(struct physmem *m, uint64_t paddr, unsigned len);
void physmem_free(struct physmem *m);

/* Map guest RAM at [base, base+size) from RAM offset `ram_off`. */
int physmem_map_ram(struct physmem *m, uint64_t base, uint64_t size,
                    uint64_t ram_off, const char *name) __attribute__((warn_unused_result));
/* Map read-only bytes (copied by the caller into `host`, which stays owned
 * by the caller and must outlive the map). */
int physmem_map_rom(struct physmem *m, uint64_t base, uint64_t size,
                    uint8_t *host, const char *name) __attribute__((warn_unused_result));
int physmem_map_mmio(struct physmem *m, uint64_t base, uint64_t size,
                     const struct io_handler *h, const char *name) __attribute__((warn_unused_result));
/* Remove the region starting at base (for PAM/shadow switches). */
void physmem_unmap(struct physmem *m, uint64_t base);

void physmem_set_a20(struct physmem *m, bool enabled);
static inline uint64_t physmem_a20(const struct physmem *m, uint64_t pa)
{
    return m->a20 ? pa : (pa & ~(uint64_t)0x100000);
}

/* Host pointer for the page containing `pa` (A20 already applied by the
 * caller), or NULL if it is not RAM/ROM. *writable says whether plain host
 * writes are allowed (RAM that holds no code). */
uint8_t *physmem_page(struct physmem *m, uint64_t pa, bool *writable);

/* Slow-path accesses of 1, 2, 4 or 8 bytes within one page, A20 applied. */
uint64_t physmem_read_any(struct physmem *m, uint64_t pa, unsigned size);
static inline uint64_t physmem_read(struct physmem *m, uint64_t pa, unsigned size)
{
    /* The big RAM region inline (the table walks' and descriptor reads'
     * path): a plain load, as physmem_read_any makes it there. */
    if ((size == 8 || size == 4) && m->big_size >= 8 && pa - m->big_base <= m->big_size - 8) {
        const uint8_t *p = m->big_host + (pa - m->big_base);
        if (size == 8) {
            uint64_t v;
            memcpy(&v, p, 8);
            return v;
        }
        uint32_t w;
        memcpy(&w, p, 4);
        return w;
    }
    return physmem_read_any(m, pa, size);
}
void physmem_write(struct physmem *m, uint64_t pa, uint64_t v, unsigned size);
/* Bulk copies for loaders and DMA; return false if any byte is not RAM. */
bool physmem_read_buf(struct physmem *m, uint64_t pa, void *buf, size_t len);
bool physmem_write_buf(struct physmem *m, uint64_t pa, const void *buf, size_t len);

/* Set or clear mark bits of the RAM page holding `pa` (nothing for ROM or
 * MMIO). physmem_mark returns whether it set a bit that was clear: the
 * caller then drops TLB write fast paths to the page. */
bool physmem_mark(struct physmem *m, uint64_t pa, uint8_t bits);
void physmem_unmark(struct physmem *m, uint64_t pa, uint8_t bits);
/* The same by RAM page (offset in the RAM memfd / 4 KiB). */
static inline void physmem_unmark_ram(struct physmem *m, uint64_t page, uint8_t bits)
{
    if (page < m->ram_size >> PAGE_SHIFT)
        m->code_pages[page] &= (uint8_t)~bits;
}

#endif
