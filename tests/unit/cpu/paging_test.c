/* Unit tests of the memory-access layer: page walks (32-bit, PSE, PAE),
 * page-fault error codes and CR2, accessed/dirty bits, CR0.WP, TLB flush
 * behaviour (INVLPG, global pages), split accesses that must fault before
 * writing, segment checks, the stack helpers and code-page write tracking.
 * Page tables are built by hand in a physmem; faults are caught through
 * cpu->fault_jmp as cpu_run() would catch them. */
#include <setjmp.h>

#include "test.h"
#include "cpu/cpu.h"
#include "cpu/except.h"
#include "cpu/insn.h"
#include "cpu/cpuid.h"
#include "cpu/longmode.h"
#include "cpu/mmu.h"
#include "cpu/paging.h"
#include "mem/physmem.h"

void op_mov_Cd_Rd(struct cpu *cpu, const struct insn *i);

static struct physmem mem;
static struct cpu *cpu;
static int code_writes;

static void on_code_write(void *opaque, uint64_t pa, unsigned len)
{
    (void)opaque;
    (void)pa;
    (void)len;
    code_writes++;
}

static void wr_phys32(uint64_t pa, uint32_t v) { physmem_write(&mem, pa, v, 4); }
static uint32_t rd_phys32(uint64_t pa) { return (uint32_t)physmem_read(&mem, pa, 4); }
static void wr_phys64(uint64_t pa, uint64_t v) { physmem_write(&mem, pa, v, 8); }
static uint64_t rd_phys64(uint64_t pa) { return physmem_read(&mem, pa, 8); }

static void flat_seg(int s, uint16_t attr)
{
    cpu->s.seg[s].sel = 0x10;
    cpu->s.seg[s].base = 0;
    cpu->s.seg[s].limit = 0xffffffffu;
    cpu->s.seg[s].attr = attr;
}

static void reset_cpu(void)
{
    memset(cpu, 0, sizeof *cpu);
    cpu->mem = &mem;
    mmu_init(cpu);
    cpu->s.mode = MODE_PROT32;
    cpu->s.cr0 = CR0_PE | CR0_ET;
    for (int s = 0; s < SEG_COUNT; s++)
        flat_seg(s, 0x93 | SEGA_DB | SEGA_G);
    flat_seg(SEG_CS, 0x9b | SEGA_DB | SEGA_G);
}

#include "fault_catch.h"

/* 32-bit tables: PD at 0x100000, PT for 0x400000..0x7fffff at 0x101000. */
#define PD   0x100000u
#define PT   0x101000u

static void setup_32bit(void)
{
    reset_cpu();
    for (unsigned k = 0; k < 4096; k += 4) {
        wr_phys32(PD + k, 0);
        wr_phys32(PT + k, 0);
    }
    /* Identity map the first 4 MiB with a 4 KiB table at 0x102000. */
    wr_phys32(PD + 0, 0x102000u | 0x3);
    for (unsigned k = 0; k < 1024; k++)
        wr_phys32(0x102000u + 4 * k, (k << 12) | 0x3);
    wr_phys32(PD + 4, PT | 0x7);                      /* 0x400000 user RW */
    wr_phys32(PT + 0, 0x200000u | 0x7);               /* 0x400000 -> 0x200000 U RW */
    wr_phys32(PT + 4, 0x201000u | 0x5);               /* 0x401000 -> 0x201000 U RO */
    wr_phys32(PT + 8, 0x202000u | 0x3);               /* 0x402000 -> 0x202000 S RW */
    wr_phys32(PT + 12, 0);                            /* 0x403000 not present */
    wr_phys32(PT + 16, 0x204000u | 0x7);              /* 0x404000 -> 0x204000 */
    cpu->s.cr3 = PD;
    cpu->s.cr0 |= CR0_PG;
    tlb_flush_all(cpu);
}

static void test_no_paging(void)
{
    reset_cpu();
    EXPECT_OK(cpu_wr32(cpu, SEG_DS, 0x3000, 0xdeadbeef), "flat write without paging");
    CHECK_EQ(rd_phys32(0x3000), 0xdeadbeef, "without paging linear = physical");
    CHECK_EQ(cpu_rd16(cpu, SEG_DS, 0x3002), 0xdead, "read back 16-bit");
    /* Split across a page boundary. */
    EXPECT_OK(cpu_wr32(cpu, SEG_DS, 0x3ffe, 0x11223344), "split write");
    CHECK_EQ(rd_phys32(0x3ffc) >> 16, 0x3344, "split write low half");
    CHECK_EQ(rd_phys32(0x4000) & 0xffff, 0x1122, "split write high half");
    CHECK_EQ(cpu_rd32(cpu, SEG_DS, 0x3ffe), 0x11223344, "split read");
    uint64_t v = 0x0102030405060708ull;
    EXPECT_OK(cpu_wr64(cpu, SEG_DS, 0x5ffc, v), "64-bit split write");
    CHECK_EQ(cpu_rd64(cpu, SEG_DS, 0x5ffc), v, "64-bit split read");
}

static void test_32bit_walk(void)
{
    setup_32bit();
    wr_phys32(0x200010, 0xcafef00d);
    volatile uint32_t v = 0;
    EXPECT_OK(v = lin_rd32(cpu, 0x400010, 0), "read through 4 KiB page");
    CHECK_EQ(v, 0xcafef00d, "4 KiB page maps to its frame");
    CHECK_EQ(mmu_translate(cpu, 0x400123, ACC_READ, 0), 0x200123, "mmu_translate");
    CHECK(rd_phys32(PD + 4) & 0x20, "PDE accessed bit set");
    CHECK(rd_phys32(PT + 0) & 0x20, "PTE accessed bit set");
    CHECK(!(rd_phys32(PT + 0) & 0x40), "PTE dirty bit clear after a read");
    EXPECT_OK(lin_wr32(cpu, 0x400010, 0x12345678, 0), "write after read (TLB has no W)");
    CHECK(rd_phys32(PT + 0) & 0x40, "PTE dirty bit set by the first write");
    CHECK(!(rd_phys32(PD + 4) & 0x40), "PDE dirty bit untouched");
    CHECK_EQ(rd_phys32(0x200010), 0x12345678, "write reached the frame");

    uint64_t pa;
    CHECK(mmu_probe(cpu, 0x401004, &pa) && pa == 0x201004, "mmu_probe maps");
    CHECK(!mmu_probe(cpu, 0x403000, &pa), "mmu_probe of a not-present page");
    CHECK(!(rd_phys32(PT + 4) & 0x20), "mmu_probe sets no accessed bit");

    EXPECT_FAULT(lin_rd8(cpu, 0x403abc, 0), EXC_PF, 0, "not-present supervisor read");
    CHECK_EQ(cpu->s.cr2, 0x403abc, "CR2 holds the faulting address");
    EXPECT_FAULT(lin_wr8(cpu, 0x403000, 1, 1), EXC_PF, PF_W | PF_U, "not-present user write");
    EXPECT_FAULT(lin_rd8(cpu, 0x402000, 1), EXC_PF, PF_P | PF_U, "user read of supervisor page");
    EXPECT_FAULT(lin_wr8(cpu, 0x401000, 1, 1), EXC_PF, PF_P | PF_W | PF_U,
                 "user write to read-only page");
    EXPECT_OK(lin_rd8(cpu, 0x401000, 1), "user read of read-only user page");
    EXPECT_OK(lin_wr8(cpu, 0x401000, 0x5a, 0), "supervisor write to read-only page, WP=0");
    CHECK_EQ(physmem_read(&mem, 0x201000, 1), 0x5a, "WP=0 write landed");
    cpu->s.cr0 |= CR0_WP;
    tlb_flush_all(cpu);
    EXPECT_FAULT(lin_wr8(cpu, 0x401000, 1, 0), EXC_PF, PF_P | PF_W,
                 "supervisor write to read-only page, WP=1");
    cpu->s.cr0 &= ~CR0_WP;
    tlb_flush_all(cpu);

    /* Not-present PDE. */
    EXPECT_FAULT(lin_rd32(cpu, 0x800000, 0), EXC_PF, 0, "not-present PDE");
    /* The U/S bit of the PDE restricts the whole table. */
    wr_phys32(PD + 4, PT | 0x3);
    tlb_flush_all(cpu);
    EXPECT_FAULT(lin_rd8(cpu, 0x400000, 1), EXC_PF, PF_P | PF_U, "PDE U/S=0 refuses user");
    wr_phys32(PD + 4, PT | 0x5);
    tlb_flush_all(cpu);
    EXPECT_FAULT(lin_wr8(cpu, 0x400000, 0, 1), EXC_PF, PF_P | PF_W | PF_U,
                 "PDE R/W=0 refuses user write");
}

static void test_pse(void)
{
    setup_32bit();
    cpu->s.cr4 |= CR4_PSE;
    wr_phys32(PD + 8, 0x00c00000u | 0x83);      /* 0x800000 -> 0xc00000, 4 MiB */
    wr_phys32(0xc12344, 0xabcdef01);
    volatile uint32_t v = 0;
    EXPECT_OK(v = lin_rd32(cpu, 0x812344, 0), "read through 4 MiB page");
    CHECK_EQ(v, 0xabcdef01, "4 MiB page offset uses 22 bits");
    CHECK(rd_phys32(PD + 8) & 0x20, "4 MiB PDE accessed bit");
    EXPECT_OK(lin_wr8(cpu, 0x800000, 1, 0), "write 4 MiB page");
    CHECK(rd_phys32(PD + 8) & 0x40, "4 MiB PDE dirty bit");
    wr_phys32(PD + 8, 0x00c00000u | 0x83 | (1u << 17));
    tlb_flush_all(cpu);
    EXPECT_FAULT(lin_rd32(cpu, 0x800000, 0), EXC_PF, PF_P | PF_RSVD,
                 "4 MiB PDE reserved bit 17");
    /* Without CR4.PSE the PS bit is ignored: the PDE points to a table. */
    cpu->s.cr4 &= ~CR4_PSE;
    wr_phys32(PD + 8, PT | 0x83);
    tlb_flush_all(cpu);
    CHECK_EQ(mmu_translate(cpu, 0x800000, ACC_READ, 0), 0x200000,
             "PS ignored without CR4.PSE");
}

/* PAE tables: PDPT at 0x110000, PD at 0x111000, PT at 0x112000. */
static void setup_pae(void)
{
    reset_cpu();
    for (unsigned k = 0; k < 4096; k += 4) {
        wr_phys32(0x110000 + k, 0);
        wr_phys32(0x111000 + k, 0);
        wr_phys32(0x112000 + k, 0);
    }
    wr_phys64(0x110000, 0x111000 | 1);
    wr_phys64(0x111000 + 8 * 2, 0x112000 | 0x7);     /* 0x400000: table */
    wr_phys64(0x112000 + 8 * 0, 0x200000 | 0x7);     /* 0x400000 -> 0x200000 */
    wr_phys64(0x112000 + 8 * 1, 0x201000 | 0x5);     /* read-only */
    wr_phys64(0x111000 + 8 * 4, 0x600000 | 0x87);    /* 0x800000: 2 MiB */
    cpu->s.cr4 |= CR4_PAE;
    cpu->s.cr3 = 0x110000;
    CHECK(paging_load_pdptes(cpu, cpu->s.cr3), "PDPTEs load");
    cpu->s.cr0 |= CR0_PG;
    tlb_flush_all(cpu);
}

static void test_pae(void)
{
    setup_pae();
    wr_phys32(0x200020, 0x600dcafe);
    wr_phys32(0x6abcd0, 0x0badf00d);
    volatile uint32_t v = 0;
    EXPECT_OK(v = lin_rd32(cpu, 0x400020, 0), "PAE 4 KiB read");
    CHECK_EQ(v, 0x600dcafe, "PAE 4 KiB page maps");
    CHECK(rd_phys64(0x112000) & 0x20, "PAE PTE accessed bit");
    CHECK(rd_phys64(0x111000 + 16) & 0x20, "PAE PDE accessed bit");
    EXPECT_OK(v = lin_rd32(cpu, 0x8abcd0, 0), "PAE 2 MiB read");
    CHECK_EQ(v, 0x0badf00d, "PAE 2 MiB page offset uses 21 bits");
    EXPECT_OK(lin_wr32(cpu, 0x8abcd0, 1, 0), "PAE 2 MiB write");
    CHECK(rd_phys64(0x111000 + 32) & 0x40, "PAE 2 MiB dirty bit");
    EXPECT_FAULT(lin_wr8(cpu, 0x401000, 0, 1), EXC_PF, PF_P | PF_W | PF_U,
                 "PAE user write to read-only");
    EXPECT_FAULT(lin_rd8(cpu, 0x40000000, 0), EXC_PF, 0, "PAE not-present PDPTE");
    EXPECT_FAULT(lin_rd8(cpu, 0x402000, 0), EXC_PF, 0, "PAE not-present PTE");

    wr_phys64(0x112000 + 8 * 0, 0x200000 | 0x7 | (1ull << 40));
    tlb_flush_all(cpu);
    EXPECT_FAULT(lin_rd8(cpu, 0x400000, 1), EXC_PF, PF_P | PF_U | PF_RSVD,
                 "PAE PTE reserved address bit 40");
    wr_phys64(0x112000 + 8 * 0, 0x200000 | 0x7 | (1ull << 63));
    tlb_flush_all(cpu);
    EXPECT_FAULT(lin_wr8(cpu, 0x400000, 0, 0), EXC_PF, PF_P | PF_W | PF_RSVD,
                 "PAE XD bit reserved without EFER.NXE");
    wr_phys64(0x111000 + 8 * 4, 0x600000 | 0x87 | (1u << 13));
    tlb_flush_all(cpu);
    EXPECT_FAULT(lin_rd8(cpu, 0x800000, 0), EXC_PF, PF_P | PF_RSVD,
                 "PAE 2 MiB PDE reserved bit 13");
    /* 36-bit physical addresses: a frame above 4 GiB (no RAM there) must
     * not wrap onto low memory. */
    wr_phys64(0x112000 + 8 * 0, 0x7 | (1ull << 32));
    wr_phys64(0x112000 + 8 * 3, 0x7 | (0xfull << 32) | 0x200000);
    tlb_flush_all(cpu);
    wr_phys32(0x0, 0x12345678);
    wr_phys32(0x200000, 0x600dcafe);
    CHECK_EQ(mmu_translate(cpu, 0x400010, ACC_READ, 0), 0x100000010ull,
             "PAE PTE frame at 4 GiB translates to 36 bits");
    CHECK_EQ(mmu_translate(cpu, 0x403010, ACC_READ, 0), 0xf00200010ull,
             "PAE PTE frame bits 35:32 kept");
    CHECK(lin_rd32(cpu, 0x400000, 0) != 0x12345678, "frame at 4 GiB does not alias RAM at 0");
    EXPECT_OK(lin_wr32(cpu, 0x403000, 0xdeadbeef, 0), "store to a frame above 4 GiB");
    CHECK_EQ(rd_phys32(0x200000), 0x600dcafe, "store above 4 GiB does not reach RAM at 2 MiB");
    wr_phys64(0x112000 + 8 * 0, 0x200000 | 0x7);
    wr_phys64(0x112000 + 8 * 3, 0);
    tlb_flush_all(cpu);

    wr_phys64(0x110000 + 8, 0x113000 | 1 | 2);
    CHECK(!paging_load_pdptes(cpu, cpu->s.cr3), "PDPTE with R/W bit refused");
    wr_phys64(0x110000 + 8, 0x113000 | 1 | (1ull << 40));
    CHECK(!paging_load_pdptes(cpu, cpu->s.cr3), "PDPTE with address bit 40 refused");
    wr_phys64(0x110000 + 8, 0);
    CHECK(paging_load_pdptes(cpu, cpu->s.cr3), "PDPTEs load again");
}

/* MOV to CRn as the instruction does it (value in EAX). */
static void mov_cr(unsigned cr, uint32_t v)
{
    struct insn ins;
    memset(&ins, 0, sizeof ins);
    ins.reg = (uint8_t)cr;
    ins.rm = R_EAX;
    set_reg32(cpu, R_EAX, v);
    op_mov_Cd_Rd(cpu, &ins);
}

/* The PDPTE registers (SDM vol. 3A 4.4.1): loaded by MOV CR3, by MOV CR0
 * changing PG, CD or NW and by MOV CR4 changing PAE, PSE or PGE while PAE
 * paging is in use afterwards; anything else keeps using the registers even
 * when the PDPT in memory changes (QEMU reads the PDPT at walk time, so
 * tests/guest/paging_pdpte.asm only covers the loads). The Linux 686-pae
 * kernel toggles CR0.CD with PAE paging on (MTRR programming). */
static void test_pdpte_registers(void)
{
    setup_pae();
    /* A second directory: 0x400000 -> 0x204000 instead of 0x200000. */
    for (unsigned k = 0; k < 4096; k += 4) {
        wr_phys32(0x113000 + k, 0);
        wr_phys32(0x114000 + k, 0);
    }
    wr_phys64(0x113000 + 8 * 2, 0x114000 | 0x7);
    wr_phys64(0x114000, 0x204000 | 0x7);
    wr_phys64(0x114000 + 8, 0x205000 | 0x7);
    wr_phys64(0x114000 + 16, 0x206000 | 0x7);
    wr_phys32(0x200000, 0xaaaa0000);
    wr_phys32(0x204000, 0xbbbb0000);
    wr_phys32(0x205000, 0xbbbb0001);
    wr_phys32(0x206000, 0xbbbb0002);
    wr_phys64(0x112000 + 8 * 2, 0x202000 | 0x7);
    wr_phys32(0x202000, 0xaaaa0002);

    CHECK_EQ(lin_rd32(cpu, 0x400000, 0), 0xaaaa0000, "PDPTE0 names the first directory");
    wr_phys64(0x110000, 0x113000 | 1);
    tlb_flush_all(cpu);
    CHECK_EQ(lin_rd32(cpu, 0x400000, 0), 0xaaaa0000,
             "PDPT rewritten in memory: the walk still uses the PDPTE register");
    mov_cr(0, cpu->s.cr0 | CR0_TS);
    mov_cr(0, cpu->s.cr0 & ~CR0_TS);
    CHECK_EQ(lin_rd32(cpu, 0x402000, 0), 0xaaaa0002, "CR0.TS changes do not reload the PDPTEs");
    CHECK_EQ(lin_rd32(cpu, 0x400000, 0), 0xaaaa0000, "translation cached before the CD write");
    EXPECT_OK(mov_cr(0, cpu->s.cr0 | CR0_CD), "MOV CR0 setting CD under PAE paging");
    CHECK_EQ(cpu->tlb.pdpte[0], 0x113000 | 1, "setting CR0.CD reloads the PDPTEs");
    CHECK_EQ(lin_rd32(cpu, 0x400000, 0), 0xbbbb0000,
             "changed PDPTEs flush translations made through the old ones");
    wr_phys64(0x110000, 0x111000 | 1);
    EXPECT_OK(mov_cr(0, cpu->s.cr0 | CR0_NW), "MOV CR0 setting NW");
    CHECK_EQ(cpu->tlb.pdpte[0], 0x111000 | 1, "setting CR0.NW reloads the PDPTEs");
    wr_phys64(0x110000, 0x113000 | 1);
    EXPECT_OK(mov_cr(0, cpu->s.cr0 & ~(CR0_CD | CR0_NW)), "MOV CR0 clearing CD and NW");
    CHECK_EQ(cpu->tlb.pdpte[0], 0x113000 | 1, "clearing CR0.CD/NW reloads the PDPTEs");
    CHECK_EQ(lin_rd32(cpu, 0x401000, 0), 0xbbbb0001, "walk through the reloaded PDPTE");

    /* A reserved bit: the CD write is refused with #GP(0), nothing changes. */
    wr_phys64(0x110000, 0x111000 | 1 | 4);
    uint32_t cr0 = cpu->s.cr0;
    EXPECT_FAULT(mov_cr(0, cr0 | CR0_CD), EXC_GP, 0,
                 "MOV CR0 setting CD with a reserved PDPTE bit");
    CHECK_EQ(cpu->s.cr0, cr0, "CR0 unchanged after the #GP");
    CHECK_EQ(cpu->tlb.pdpte[0], 0x113000 | 1, "PDPTE registers unchanged after the #GP");
    EXPECT_OK(mov_cr(0, cr0 | CR0_TS), "CR0.TS write does not look at the PDPT");
    /* Without paging, CD changes load nothing. */
    mov_cr(0, cpu->s.cr0 & ~(CR0_PG | CR0_TS));
    EXPECT_OK(mov_cr(0, cpu->s.cr0 | CR0_CD), "CR0.CD without paging: no PDPTE load");
    CHECK_EQ(cpu->tlb.pdpte[0], 0x113000 | 1, "no PDPTE load without paging");
    wr_phys64(0x110000, 0x111000 | 1);
}

static void test_tlb(void)
{
    setup_32bit();
    wr_phys32(0x200000, 0x11111111);
    wr_phys32(0x204000, 0x22222222);
    CHECK_EQ(lin_rd32(cpu, 0x400000, 0), 0x11111111, "TLB fill");
    wr_phys32(PT + 0, 0x204000u | 0x7);                 /* remap */
    CHECK_EQ(lin_rd32(cpu, 0x400000, 0), 0x11111111, "stale TLB entry used until INVLPG");
    tlb_flush_page(cpu, 0x400abc);
    CHECK_EQ(lin_rd32(cpu, 0x400000, 0), 0x22222222, "INVLPG drops the entry");

    cpu->s.cr4 |= CR4_PGE;
    wr_phys32(PT + 0, 0x200000u | 0x107);               /* global */
    tlb_flush_all(cpu);
    CHECK_EQ(lin_rd32(cpu, 0x400000, 0), 0x11111111, "global page filled");
    lin_rd32(cpu, 0x404000, 0);
    wr_phys32(PT + 0, 0x204000u | 0x107);
    wr_phys32(PT + 16, 0x200000u | 0x7);
    tlb_flush_nonglobal(cpu);
    CHECK_EQ(lin_rd32(cpu, 0x400000, 0), 0x11111111, "global entry survives a CR3 flush");
    CHECK_EQ(lin_rd32(cpu, 0x404000, 0), 0x11111111, "non-global entry dropped by a CR3 flush");
    tlb_flush_all(cpu);
    CHECK_EQ(lin_rd32(cpu, 0x400000, 0), 0x22222222, "full flush drops global entries");

    /* INVLPG on a 4 MiB page drops every cached 4 KiB piece of it. */
    cpu->s.cr4 |= CR4_PSE;
    wr_phys32(PD + 8, 0x00c00000u | 0x83);
    wr_phys32(0xc05000, 0x33333333);
    wr_phys32(0x805000, 0x44444444);
    tlb_flush_all(cpu);
    CHECK_EQ(lin_rd32(cpu, 0x805000, 0), 0x33333333, "4 MiB page piece cached");
    wr_phys32(PD + 8, 0x00800000u | 0x83);
    tlb_flush_page(cpu, 0x800000);
    CHECK_EQ(lin_rd32(cpu, 0x805000, 0), 0x44444444, "INVLPG invalidates the whole large page");

    /* The user and supervisor views are separate. */
    setup_32bit();
    CHECK(!TRY(lin_rd8(cpu, 0x402000, 0)), "supervisor fills its view");
    EXPECT_FAULT(lin_rd8(cpu, 0x402000, 1), EXC_PF, PF_P | PF_U,
                 "user access does not reuse the supervisor entry");
}

static void test_split_fault(void)
{
    setup_32bit();
    /* 0x402ffe..0x403001: the second page is not present. */
    wr_phys32(0x202ffc, 0xaaaaaaaa);
    EXPECT_FAULT(lin_wr32(cpu, 0x402ffe, 0x12345678, 0), EXC_PF, PF_W,
                 "split write faults on the second page");
    CHECK_EQ(cpu->s.cr2, 0x403000, "CR2 is the start of the second page");
    CHECK_EQ(rd_phys32(0x202ffc), 0xaaaaaaaa, "first page untouched by the faulting write");
    EXPECT_FAULT(cpu_check_write(cpu, SEG_DS, 0x402fff, 2), EXC_PF, PF_W,
                 "cpu_check_write checks both pages");
    /* Wrap at 4 GiB without paging. */
    reset_cpu();
    cpu->s.seg[SEG_DS].base = 0xfffff000u;
    cpu->s.seg[SEG_DS].limit = 0x1fff;
    physmem_write(&mem, 0, 0x99, 1);
    CHECK_EQ(cpu_rd8(cpu, SEG_DS, 0x1000), 0x99, "linear address wraps at 4 GiB");
}

static void test_segments(void)
{
    reset_cpu();
    cpu->s.seg[SEG_ES].attr = 0x91 | SEGA_DB;             /* read-only data */
    cpu->s.seg[SEG_ES].limit = 0xffff;
    EXPECT_OK(cpu_rd8(cpu, SEG_ES, 0x100), "read of read-only data");
    EXPECT_FAULT(cpu_wr8(cpu, SEG_ES, 0x100, 1), EXC_GP, 0, "write to read-only data");
    cpu->s.seg[SEG_ES].attr = 0x9b;                       /* readable code */
    EXPECT_OK(cpu_rd8(cpu, SEG_ES, 0x100), "read of readable code");
    EXPECT_FAULT(cpu_wr8(cpu, SEG_ES, 0x100, 1), EXC_GP, 0, "write to code");
    cpu->s.seg[SEG_ES].attr = 0x99;                       /* execute-only */
    EXPECT_FAULT(cpu_rd8(cpu, SEG_ES, 0x100), EXC_GP, 0, "read of execute-only code");
    cpu->s.seg[SEG_ES].attr = 0x93;
    EXPECT_FAULT(cpu_rd16(cpu, SEG_ES, 0xffff), EXC_GP, 0, "word at the limit");
    EXPECT_FAULT(cpu_rd8(cpu, SEG_ES, 0x10000), EXC_GP, 0, "byte past the limit");
    EXPECT_OK(cpu_rd8(cpu, SEG_ES, 0xffff), "byte at the limit");

    /* Expand-down, 16-bit: valid offsets limit+1..0xffff. */
    cpu->s.seg[SEG_ES].attr = 0x97;
    cpu->s.seg[SEG_ES].limit = 0x0fff;
    EXPECT_FAULT(cpu_rd8(cpu, SEG_ES, 0x0fff), EXC_GP, 0, "expand-down: limit itself invalid");
    EXPECT_OK(cpu_rd8(cpu, SEG_ES, 0x1000), "expand-down: limit+1 valid");
    EXPECT_OK(cpu_rd16(cpu, SEG_ES, 0xfffe), "expand-down 16-bit: top word");
    EXPECT_FAULT(cpu_rd16(cpu, SEG_ES, 0xffff), EXC_GP, 0, "expand-down 16-bit: past 0xffff");
    EXPECT_FAULT(cpu_rd8(cpu, SEG_ES, 0x10000), EXC_GP, 0, "expand-down B=0 upper bound");
    cpu->s.seg[SEG_ES].attr = 0x97 | SEGA_DB;
    EXPECT_OK(cpu_rd8(cpu, SEG_ES, 0x10000), "expand-down B=1 upper bound 4 GiB");

    /* SS faults are #SS(0); a null-loaded register is #GP(0). */
    cpu->s.seg[SEG_SS].limit = 0xfff;
    EXPECT_FAULT(cpu_rd32(cpu, SEG_SS, 0xffe), EXC_SS, 0, "stack limit gives #SS");
    cpu->s.seg[SEG_FS].attr = 0;
    cpu->s.seg[SEG_FS].sel = 0;
    EXPECT_FAULT(cpu_rd8(cpu, SEG_FS, 0), EXC_GP, 0, "null selector use in protected mode");

    /* Real mode: no type checks, but the limit still holds. */
    cpu->s.mode = MODE_REAL;
    cpu->s.seg[SEG_ES].attr = 0x9b;
    cpu->s.seg[SEG_ES].limit = 0xffff;
    EXPECT_OK(cpu_wr8(cpu, SEG_ES, 0x10, 1), "real mode writes through a code-typed cache");
    EXPECT_FAULT(cpu_wr16(cpu, SEG_ES, 0xffff, 1), EXC_GP, 0, "real mode word at 0xffff");
    cpu->s.seg[SEG_ES].limit = 0xffffffffu;
    EXPECT_OK(cpu_wr32(cpu, SEG_ES, 0x100000, 1), "unreal mode: 4 GiB limit kept");

    /* Alignment check at CPL 3. */
    cpu->s.mode = MODE_PROT32;
    cpu->s.cpl = 3;
    cpu->s.cr0 |= CR0_AM;
    cpu->s.rflags |= FL_AC;
    cpu->s.seg[SEG_DS].attr = 0xf3 | SEGA_DB | SEGA_G;
    EXPECT_FAULT(cpu_rd32(cpu, SEG_DS, 0x1002), EXC_AC, 0, "#AC on a misaligned dword at CPL 3");
    EXPECT_OK(cpu_rd32(cpu, SEG_DS, 0x1004), "aligned dword at CPL 3");
    cpu->s.cpl = 0;
    EXPECT_OK(cpu_rd32(cpu, SEG_DS, 0x1002), "no #AC at CPL 0");
}

static void test_stack(void)
{
    reset_cpu();
    cpu->s.seg[SEG_SS].attr = 0x93;                        /* B = 0: SP */
    cpu->s.seg[SEG_SS].limit = 0xffff;
    cpu->s.seg[SEG_SS].base = 0x20000;
    cpu->s.gpr[R_ESP] = 0x12340000;
    EXPECT_OK(cpu_push16(cpu, 0xbeef), "push16 wraps SP");
    CHECK_EQ(cpu->s.gpr[R_ESP], 0x1234fffe, "16-bit stack keeps ESP's upper half");
    CHECK_EQ(physmem_read(&mem, 0x2fffe, 2), 0xbeef, "pushed at SS:FFFE");
    EXPECT_OK(cpu_push32(cpu, 0x01020304), "push32");
    CHECK_EQ(cpu_stack_peek(cpu, 4, 2), 0xbeef, "peek");
    CHECK_EQ(cpu_pop32(cpu), 0x01020304, "pop32");
    CHECK_EQ(cpu_pop16(cpu), 0xbeef, "pop16");
    CHECK_EQ(cpu->s.gpr[R_ESP], 0x12340000, "SP wrapped back to 0");
    cpu->s.gpr[R_ESP] = 1;
    EXPECT_FAULT(cpu_push16(cpu, 1), EXC_SS, 0, "push16 at SP=1 overruns the segment");
    CHECK_EQ(cpu->s.gpr[R_ESP], 1, "ESP unchanged by a faulting push");
    cpu->s.seg[SEG_SS].attr = 0x93 | SEGA_DB;
    cpu->s.seg[SEG_SS].limit = 0xffffffffu;
    cpu->s.seg[SEG_SS].base = 0;
    cpu->s.gpr[R_ESP] = 0x8000;
    cpu_push32(cpu, 7);
    CHECK_EQ(cpu_get_sp(cpu), 0x7ffc, "32-bit stack pointer");
}

static void test_code_pages(void)
{
    reset_cpu();
    CHECK(physmem_add_code_writer(&mem, on_code_write, NULL) == 0, "code-write subscriber");
    code_writes = 0;
    cpu_wr8(cpu, SEG_DS, 0x7000, 0x90);                  /* TLB has a write tag */
    uint64_t pa = 0;
    const uint8_t *p = mmu_code_page(cpu, 0x7010, &pa);
    CHECK(p != NULL && pa == 0x7000, "code page host pointer");
    CHECK(p && p[0] == 0x90, "code page contents");
    cpu_wr8(cpu, SEG_DS, 0x7001, 0xc3);
    CHECK_EQ(code_writes, 1, "write to a code page reaches the invalidation hook");
    uint8_t buf[4];
    mmu_fetch(cpu, 0x6ffe, buf, 4);
    CHECK(buf[2] == 0x90 && buf[3] == 0xc3, "mmu_fetch across pages");
    physmem_remove_code_writer(&mem, on_code_write, NULL);
    physmem_unmark(&mem, 0x7000, PHYSMEM_MARK_CODE);
}

/* NX in PAE paging (SDM vol. 3A 4.6): with EFER.NXE, XD in a PDE or PTE
 * forbids fetches (#PF with P and I/D), reads and writes stay allowed. */
static void test_pae_nx(void)
{
    setup_pae();
    cpu->model.feat[CPUID_80000001_EDX] |= CPUID_X_NX;
    cpu->s.efer |= EFER_NXE;
    wr_phys64(0x112000 + 8 * 0, 0x200000 | 0x7 | (1ull << 63));
    tlb_flush_all(cpu);
    EXPECT_OK(lin_rd8(cpu, 0x400000, 1), "NXE: read from an XD page");
    EXPECT_OK(lin_wr8(cpu, 0x400000, 0, 1), "NXE: write to an XD page");
    EXPECT_FAULT(mmu_translate(cpu, 0x400000, ACC_EXEC, 1), EXC_PF, PF_P | PF_U | PF_I,
                 "NXE: user fetch from an XD PTE");
    EXPECT_FAULT(mmu_translate(cpu, 0x400000, ACC_EXEC, 0), EXC_PF, PF_P | PF_I,
                 "NXE: supervisor fetch from an XD PTE");
    EXPECT_OK(mmu_translate(cpu, 0x401000, ACC_EXEC, 0), "NXE: fetch from a page without XD");
    EXPECT_FAULT(mmu_translate(cpu, 0x402000, ACC_EXEC, 0), EXC_PF, PF_I,
                 "NXE: not-present fetch has I/D");
    wr_phys64(0x111000 + 8 * 2, 0x112000 | 0x7 | (1ull << 63));
    wr_phys64(0x112000 + 8 * 0, 0x200000 | 0x7);
    tlb_flush_all(cpu);
    EXPECT_FAULT(mmu_translate(cpu, 0x400000, ACC_EXEC, 0), EXC_PF, PF_P | PF_I,
                 "NXE: XD in the PDE covers its table");
    wr_phys64(0x111000 + 8 * 4, 0x600000 | 0x87 | (1ull << 63));
    tlb_flush_all(cpu);
    EXPECT_FAULT(mmu_translate(cpu, 0x800000, ACC_EXEC, 0), EXC_PF, PF_P | PF_I,
                 "NXE: XD 2 MiB page");
    cpu->s.efer = 0;
    tlb_flush_all(cpu);
    EXPECT_FAULT(mmu_translate(cpu, 0x801000, ACC_READ, 0), EXC_PF, PF_P | PF_RSVD,
                 "without NXE the XD bit is reserved");
}

/* 4-level tables: PML4 0x120000, PDPT 0x121000, PD 0x122000, PT 0x123000. */
#define PML4 0x120000u
#define PDPT 0x121000u
#define PD4  0x122000u
#define PT4  0x123000u

static void setup_4level(void)
{
    reset_cpu();
    for (unsigned k = 0; k < 4096; k += 8)
        for (unsigned t = PML4; t <= PT4; t += 0x1000)
            wr_phys64(t + k, 0);
    wr_phys64(PML4, PDPT | 0x7);
    wr_phys64(PDPT, PD4 | 0x7);
    wr_phys64(PDPT + 8, 0x40000000 | 0x87);        /* 1 GiB at 1 GiB */
    wr_phys64(PD4 + 8 * 2, PT4 | 0x7);              /* 0x400000: table */
    wr_phys64(PT4 + 8 * 0, 0x200000 | 0x7);         /* 0x400000 -> 0x200000 U RW */
    wr_phys64(PT4 + 8 * 1, 0x201000 | 0x5);         /* 0x401000 -> 0x201000 U RO */
    wr_phys64(PT4 + 8 * 2, 0x202000 | 0x3);         /* 0x402000 -> 0x202000 S RW */
    wr_phys64(PD4 + 8 * 4, 0x600000 | 0x87);        /* 0x800000: 2 MiB */
    cpu->model.feat[CPUID_80000001_EDX] |= CPUID_X_LM | CPUID_X_NX;
    cpu->s.cr4 |= CR4_PAE;
    cpu->s.cr3 = PML4;
    cpu->s.efer = EFER_LME | EFER_LMA;
    cpu->s.cr0 |= CR0_PG;
    tlb_flush_all(cpu);
}

static void test_4level(void)
{
    setup_4level();
    wr_phys32(0x200020, 0x600dcafe);
    wr_phys32(0x6abcd0, 0x0badf00d);
    volatile uint32_t v = 0;
    EXPECT_OK(v = lin_rd32(cpu, 0x400020, 1), "4-level 4 KiB read");
    CHECK_EQ(v, 0x600dcafe, "4-level 4 KiB page maps");
    CHECK((rd_phys64(PML4) & 0x20) && (rd_phys64(PDPT) & 0x20) &&
          (rd_phys64(PD4 + 16) & 0x20) && (rd_phys64(PT4) & 0x20),
          "accessed bits in all four levels");
    CHECK(!(rd_phys64(PT4) & 0x40), "no dirty bit after a read");
    EXPECT_OK(lin_wr32(cpu, 0x400020, 5, 1), "4-level write");
    CHECK(rd_phys64(PT4) & 0x40, "dirty bit after the write");
    CHECK(!(rd_phys64(PD4 + 16) & 0x40), "no dirty bit in the PDE");
    EXPECT_OK(v = lin_rd32(cpu, 0x8abcd0, 0), "4-level 2 MiB read");
    CHECK_EQ(v, 0x0badf00d, "2 MiB page offset uses 21 bits");
    EXPECT_FAULT(lin_wr8(cpu, 0x401000, 0, 1), EXC_PF, PF_P | PF_W | PF_U,
                 "user write to a read-only page");
    EXPECT_FAULT(lin_rd8(cpu, 0x402000, 1), EXC_PF, PF_P | PF_U,
                 "user read of a supervisor page");
    EXPECT_FAULT(lin_rd8(cpu, 0x403000, 0), EXC_PF, 0, "not-present PTE");
    EXPECT_FAULT(lin_rd8(cpu, 0x80000000u, 0), EXC_PF, 0, "not-present PDPTE");
    wr_phys64(PML4, PDPT | 0x5);
    tlb_flush_all(cpu);
    EXPECT_FAULT(lin_wr8(cpu, 0x400000, 0, 1), EXC_PF, PF_P | PF_W | PF_U,
                 "R/W clear in the PML4E forbids user writes");
    EXPECT_OK(lin_wr8(cpu, 0x400000, 0, 0), "supervisor write with CR0.WP=0");
    wr_phys64(PML4, PDPT | 0x7);

    /* 1 GiB pages exist only with Page1GB. */
    tlb_flush_all(cpu);
    EXPECT_FAULT(mmu_translate(cpu, 0x40123456, ACC_READ, 0), EXC_PF, PF_P | PF_RSVD,
                 "1 GiB PDPTE without Page1GB: reserved");
    cpu->model.feat[CPUID_80000001_EDX] |= CPUID_X_PDPE1GB;
    CHECK_EQ(mmu_translate(cpu, 0x40123456, ACC_READ, 0), 0x40123456ull,
             "1 GiB page: 30-bit offset");
    wr_phys64(PDPT + 8, 0x40000000 | 0x87 | (1u << 13));
    tlb_flush_all(cpu);
    EXPECT_FAULT(mmu_translate(cpu, 0x40000000, ACC_READ, 0), EXC_PF, PF_P | PF_RSVD,
                 "1 GiB PDPTE bit 13 reserved");

    /* Reserved bits: PS in a PML4E, address bits from MAXPHYADDR to 51;
     * bits 62:52 are ignored. */
    wr_phys64(PML4, PDPT | 0x87);
    tlb_flush_all(cpu);
    EXPECT_FAULT(lin_rd8(cpu, 0x400000, 0), EXC_PF, PF_P | PF_RSVD, "PS in a PML4E");
    wr_phys64(PML4, PDPT | 0x7);
    wr_phys64(PT4, 0x200000 | 0x7 | (1ull << 39));
    tlb_flush_all(cpu);
    EXPECT_FAULT(lin_rd8(cpu, 0x400000, 0), EXC_PF, PF_P | PF_RSVD,
                 "address bit 39 reserved at MAXPHYADDR 36");
    cpu->model.phys_bits = 40;
    CHECK_EQ(mmu_translate(cpu, 0x400010, ACC_READ, 0), 0x8000200010ull,
             "address bit 39 used at MAXPHYADDR 40");
    wr_phys64(PT4, 0x200000 | 0x7 | (1ull << 51));
    tlb_flush_all(cpu);
    EXPECT_FAULT(lin_rd8(cpu, 0x400000, 0), EXC_PF, PF_P | PF_RSVD, "address bit 51 reserved");
    wr_phys64(PT4, 0x200000 | 0x7 | (0x7ffull << 52));
    tlb_flush_all(cpu);
    CHECK_EQ(mmu_translate(cpu, 0x400010, ACC_READ, 0), 0x200010ull, "bits 62:52 ignored");
    cpu->model.phys_bits = 0;

    /* XD: reserved without NXE, forbids fetches from any level with it. */
    wr_phys64(PT4, 0x200000 | 0x7 | (1ull << 63));
    tlb_flush_all(cpu);
    EXPECT_FAULT(lin_rd8(cpu, 0x400000, 0), EXC_PF, PF_P | PF_RSVD, "XD reserved without NXE");
    cpu->s.efer |= EFER_NXE;
    tlb_flush_all(cpu);
    EXPECT_OK(lin_rd8(cpu, 0x400000, 0), "NXE: XD page readable");
    EXPECT_FAULT(mmu_translate(cpu, 0x400000, ACC_EXEC, 1), EXC_PF, PF_P | PF_U | PF_I,
                 "NXE: fetch from an XD PTE");
    wr_phys64(PT4, 0x200000 | 0x7);
    wr_phys64(PML4, PDPT | 0x7 | (1ull << 63));
    tlb_flush_all(cpu);
    EXPECT_FAULT(mmu_translate(cpu, 0x8abcd0, ACC_EXEC, 0), EXC_PF, PF_P | PF_I,
                 "NXE: XD in the PML4E covers a 2 MiB page under it");
    wr_phys64(PML4, PDPT | 0x7);
    tlb_flush_all(cpu);
    EXPECT_OK(mmu_translate(cpu, 0x8abcd0, ACC_EXEC, 0), "fetch without XD");

    /* Global pages: G with CR4.PGE survives a CR3 reload. */
    wr_phys64(PT4, 0x200000 | 0x7 | 0x100);
    cpu->s.cr4 |= CR4_PGE;
    tlb_flush_all(cpu);
    EXPECT_OK(lin_rd8(cpu, 0x400000, 0), "global page read");
    wr_phys64(PT4, 0x203000 | 0x7 | 0x100);
    tlb_flush_nonglobal(cpu);
    CHECK_EQ(mmu_translate(cpu, 0x400010, ACC_READ, 0), 0x200010ull,
             "global translation kept over a non-global flush");
    reset_cpu();
}

/* 64-bit mode data accesses (SDM vol. 3A 3.4.4, 5.3.1): full 48-bit
 * linear addresses through 4-level paging, the bases of DS/ES/SS ignored
 * (FS/GS kept), no limits, #GP(0)/#SS(0) for non-canonical addresses. */
static void test_64bit_access(void)
{
    setup_4level();
    wr_phys64(PML4 + 8 * 511, PDPT | 0x7);          /* 0xffffff80_00000000 -> same tables */
    cpu->s.efer |= EFER_LMA;
    cpu->s.seg[SEG_CS].attr = 0x9b | SEGA_L | SEGA_G;
    cpu->s.mode = MODE_LONG64;
    tlb_flush_all(cpu);
    wr_phys32(0x200020, 0x600dcafe);
    volatile uint32_t v = 0;
    EXPECT_OK(v = cpu_rd32(cpu, SEG_DS, 0xffffff8000400020ull), "64-bit: high-half read");
    CHECK_EQ(v, 0x600dcafe, "64-bit: PML4 entry 511 maps the high half");
    cpu->s.seg[SEG_DS].base = 0x1000;
    cpu->s.seg[SEG_DS].limit = 0xff;
    EXPECT_OK(v = cpu_rd32(cpu, SEG_DS, 0x400020), "64-bit: DS base and limit ignored");
    CHECK_EQ(v, 0x600dcafe, "64-bit: DS base counts as 0");
    cpu->s.seg[SEG_DS].attr = 0;                    /* a null DS is usable */
    EXPECT_OK(cpu_rd32(cpu, SEG_DS, 0x400020), "64-bit: null DS usable");
    cpu->s.seg[SEG_FS].base = 0x400000;
    EXPECT_OK(v = cpu_rd32(cpu, SEG_FS, 0x20), "64-bit: FS base applies");
    CHECK_EQ(v, 0x600dcafe, "64-bit: FS base + offset");
    EXPECT_FAULT(cpu_rd32(cpu, SEG_DS, 0x0000800000000000ull), EXC_GP, 0,
                 "64-bit: non-canonical read #GP(0)");
    EXPECT_FAULT(cpu_wr32(cpu, SEG_SS, 0xffff7fffffffffffull, 1), EXC_SS, 0,
                 "64-bit: non-canonical stack access #SS(0)");
    EXPECT_FAULT(cpu_rd64(cpu, SEG_ES, 0x00007ffffffffffcull), EXC_GP, 0,
                 "64-bit: last byte non-canonical #GP(0)");
    cpu->s.seg[SEG_GS].base = 0x0000800000000000ull - 0x10;
    EXPECT_FAULT(cpu_rd32(cpu, SEG_GS, 0x10), EXC_GP, 0, "64-bit: GS base + offset non-canonical");
    reset_cpu();
}

int main(void)
{
    static struct cpu c;
    cpu = &c;
    if (physmem_init(&mem, 16u << 20) != 0 ||
        physmem_map_ram(&mem, 0, 16u << 20, 0, "ram") != 0) {
        printf("physmem setup failed\n0 passed, 1 failed\n");
        return 1;
    }
    test_no_paging();
    test_32bit_walk();
    test_pse();
    test_pae();
    test_pae_nx();
    test_4level();
    test_64bit_access();
    test_pdpte_registers();
    test_tlb();
    test_split_fault();
    test_segments();
    test_stack();
    test_code_pages();
    physmem_free(&mem);
    return test_summary();
}
