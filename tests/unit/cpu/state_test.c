/* The "cpu" save-state section (src/cpu/state.c): a state with every kind
 * of field set survives save and load unchanged; images with a field out
 * of range, a register rule broken, a field missing or a newer version are
 * refused with a message naming the field, and leave the CPU as it was. */
#include <string.h>

#include "test.h"
#include "cpu/cpu.h"
#include "cpu/flags.h"
#include "cpu/seg.h"
#include "cpu/x87.h"
#include "mem/physmem.h"
#include "util/savestate.h"

static struct physmem mem;
static struct cpu a, b;

/* A protected-mode state with a value in every field group. */
static void fill(struct cpu *c)
{
    cpu_reset(c);
    for (int r = 0; r < 16; r++)
        c->s.gpr[r] = 0x1111111111111111ull * (uint64_t)(r + 1);
    c->s.rip = 0x00401234;
    c->s.cr0 = CR0_PE | CR0_ET | CR0_NE | CR0_WP;
    c->s.cr2 = 0xdeadb000;
    c->s.cr3 = 0x00123000;
    c->s.cr4 = CR4_PSE | CR4_PGE | CR4_TSD;
    c->s.cr8 = 5;
    c->s.efer = 0;
    seg_load_cache(c, SEG_CS, 0x08, 0, 0xffffffffu, 0xc09b);
    seg_load_cache(c, SEG_SS, 0x10, 0x1000, 0xfffff, 0x4093);
    seg_load_cache(c, SEG_FS, 0x33, 0x7fff0000, 0xfff, 0x40f3);
    c->s.seg[SEG_TR] = (struct seg){ 0x28, 0x008b, 0x67, 0x5000 };
    c->s.gdtr = (struct dtr){ 0x9000, 0x3f };
    c->s.idtr = (struct dtr){ 0xa000, 0x7ff };
    c->s.dr[0] = 0x1000;
    c->s.dr[7] = 0x401;
    c->s.msr.sysenter_cs = 0x60;
    c->s.msr.sysenter_eip = 0xc0001000;
    c->s.msr.pat = 0x0007010600070106ull;
    c->s.msr.mtrr_var[3] = 0xff0000800ull;
    c->s.msr.lstar = 0xffffffff81000000ull;
    c->s.msr.kernel_gs_base = 0xffff888000000000ull;
    c->s.msr.tsc_aux = 7;
    c->s.tsc_offset = 123456789;
    c->s.fpu.st[2] = (struct f80){ 0xc90fdaa22168c235ull, 0x4000 };
    c->s.fpu.tw = 0xffcf;
    c->s.fpu.fip = 0x4010;
    for (int k = 0; k < 16; k++)
        for (int j = 0; j < 16; j++)
            c->s.xmm[k].b[j] = (uint8_t)(k * 16 + j);
    c->s.mxcsr = MXCSR_RESET | MXCSR_RC | MXCSR_PE;
    c->s.cpl = 0;
    cpu_update_mode(c);
    flags_set(c, 0x246 | FL_AC);    /* ZF PF IF, AC */
    c->halted = 1;
    c->nmi_blocked = 1;
}

static void save(struct cpu *c, struct savestate *ss)
{
    ss_init_write(ss);
    cpu_state_save(c, ss);
}

/* Load `c`'s state, altered by `mutate` before saving, into b; returns
 * cpu_state_load's result and checks b did not change on failure. */
static int load_mutated(void (*mutate)(struct cpu *), const char **err)
{
    struct savestate w, r;
    static struct cpu tmp;
    static struct cpu_state before;
    int rc;
    fill(&tmp);
    mutate(&tmp);
    save(&tmp, &w);
    fill(&b);
    b.s.gpr[0] = 0x5555;
    before = b.s;
    ss_init_read(&r, w.buf, w.len);
    rc = cpu_state_load(&b, &r);
    static char msg[200];
    snprintf(msg, sizeof msg, "%s", ss_error(&r) ? ss_error(&r) : "");
    *err = msg;
    if (rc != 0)
        CHECK(memcmp(&before, &b.s, sizeof before) == 0, "refused image leaves the state unchanged");
    ss_free(&w);
    return rc;
}

static void cpl4(struct cpu *c) { c->s.cpl = 4; }
static void pg_no_pe(struct cpu *c) { c->s.cr0 = CR0_PG | CR0_ET; c->s.cpl = 0; }
static void rflags_rsvd(struct cpu *c) { c->s.rflags |= 1u << 15; c->s.lf.op = 0; }
static void mxcsr_big(struct cpu *c) { c->s.mxcsr = 0x10000; }
static void efer_rsvd(struct cpu *c) { c->s.efer = 2; }
static void cr4_vme(struct cpu *c) { c->s.cr4 |= CR4_VME; }   /* the P6 model has no VME */
static void cpl3_real(struct cpu *c) { c->s.cr0 = CR0_ET; c->s.cpl = 3; }
static void nothing(struct cpu *c) { (void)c; }
static void xcr0_sse(struct cpu *c) { c->s.xcr0 = XCR0_X87 | XCR0_SSE; }

int main(void)
{
    struct savestate w, r;
    const char *err;

    if (physmem_init(&mem, 1u << 20) != 0 || physmem_map_ram(&mem, 0, 1u << 20, 0, "ram") != 0) {
        printf("physmem setup failed\n0 passed, 1 failed\n");
        return 1;
    }
    cpu_init(&a, &mem, NULL);
    cpu_init(&b, &mem, NULL);

    /* Round trip. */
    fill(&a);
    uint32_t fl = flags_get(&a);
    save(&a, &w);
    CHECK_EQ(w.err, 0, "cpu_state_save writes the section");
    cpu_reset(&b);
    ss_init_read(&r, w.buf, w.len);
    CHECK_EQ(cpu_state_load(&b, &r), 0, "cpu_state_load reads it back (%s)", ss_error(&r) ? ss_error(&r) : "");
    CHECK(memcmp(b.s.gpr, a.s.gpr, sizeof a.s.gpr) == 0, "16 GPRs");
    CHECK_EQ(b.s.rip, a.s.rip, "RIP");
    CHECK_EQ(flags_get(&b), fl, "RFLAGS, lazy flags materialised");
    CHECK(memcmp(b.s.seg, a.s.seg, sizeof a.s.seg) == 0, "segment registers with their caches");
    CHECK(b.s.gdtr.base == a.s.gdtr.base && b.s.idtr.limit == a.s.idtr.limit, "GDTR, IDTR");
    CHECK(b.s.cr0 == a.s.cr0 && b.s.cr2 == a.s.cr2 && b.s.cr3 == a.s.cr3 &&
          b.s.cr4 == a.s.cr4 && b.s.cr8 == a.s.cr8, "CR0 CR2 CR3 CR4 CR8");
    CHECK(memcmp(b.s.dr, a.s.dr, sizeof a.s.dr) == 0, "DR0-7");
    CHECK(b.s.msr.pat == a.s.msr.pat && b.s.msr.mtrr_var[3] == a.s.msr.mtrr_var[3] &&
          b.s.msr.sysenter_eip == a.s.msr.sysenter_eip, "P6 MSRs");
    CHECK(b.s.msr.lstar == a.s.msr.lstar && b.s.msr.kernel_gs_base == a.s.msr.kernel_gs_base &&
          b.s.msr.tsc_aux == 7, "long-mode MSRs");
    CHECK_EQ(b.s.tsc_offset, a.s.tsc_offset, "TSC offset");
    CHECK(b.s.fpu.st[2].mant == a.s.fpu.st[2].mant && b.s.fpu.st[2].se == 0x4000 &&
          b.s.fpu.tw == a.s.fpu.tw && b.s.fpu.fip == 0x4010, "x87 images and pointers");
    CHECK(memcmp(b.s.xmm, a.s.xmm, sizeof a.s.xmm) == 0, "XMM0-15");
    CHECK_EQ(b.s.mxcsr, a.s.mxcsr, "MXCSR");
    CHECK(b.s.mode == MODE_PROT32 && b.s.code_size == 4 && b.s.stack_size == 4 && b.s.cpl == 0,
          "mode facts recomputed: 32-bit protected, CPL 0");
    CHECK(b.halted == 1 && b.nmi_blocked == 1, "halted, NMI blocking");
    ss_free(&w);

    /* Out of range, broken register rules: refused, naming the field. */
    CHECK_EQ(load_mutated(cpl4, &err), -1, "CPL 4 refused");
    CHECK(strstr(err, "'cpl'") != NULL, "error names cpl: %s", err);
    CHECK_EQ(load_mutated(mxcsr_big, &err), -1, "MXCSR above 16 bits refused");
    CHECK(strstr(err, "mxcsr") != NULL, "error names mxcsr: %s", err);
    CHECK_EQ(load_mutated(pg_no_pe, &err), -1, "CR0.PG without PE refused");
    CHECK(strstr(err, "cr0") != NULL, "error names cr0: %s", err);
    CHECK_EQ(load_mutated(rflags_rsvd, &err), -1, "RFLAGS reserved bit 15 refused");
    CHECK(strstr(err, "rflags") != NULL, "error names rflags: %s", err);
    CHECK_EQ(load_mutated(efer_rsvd, &err), -1, "EFER reserved bit refused");
    CHECK(strstr(err, "efer") != NULL, "error names efer: %s", err);
    CHECK_EQ(load_mutated(cr4_vme, &err), -1, "CR4.VME refused on a model without VME");
    CHECK(strstr(err, "cr4") != NULL, "error names cr4: %s", err);
    CHECK_EQ(load_mutated(cpl3_real, &err), -1, "CPL 3 in real mode refused");
    CHECK_EQ(load_mutated(nothing, &err), 0, "the unaltered image loads (%s)", err);
    CHECK_EQ(b.s.xcr0, XCR0_X87, "XCR0 1 (its reset value) round trip");
    CHECK_EQ(load_mutated(xcr0_sse, &err), -1, "XCR0 = 3 refused on a model without XSAVE");
    CHECK(strstr(err, "xcr0") != NULL, "error names xcr0: %s", err);

    /* With XSAVE: XCR0 = 3 round trip, XCR0 without bit 0 refused. */
    a.model.feat[CPUID_1_ECX] |= CPUID_C_XSAVE;
    b.model.feat[CPUID_1_ECX] |= CPUID_C_XSAVE;
    fill(&a);
    a.s.xcr0 = XCR0_X87 | XCR0_SSE;
    a.s.fpu.fip = 0xffffffff81001234ull;      /* 64-bit FIP (version 2) */
    save(&a, &w);
    ss_init_read(&r, w.buf, w.len);
    CHECK_EQ(cpu_state_load(&b, &r), 0, "XCR0 3 loads with XSAVE (%s)", ss_error(&r) ? ss_error(&r) : "");
    CHECK_EQ(b.s.xcr0, XCR0_X87 | XCR0_SSE, "XCR0 3 round trip");
    CHECK_EQ(b.s.fpu.fip, 0xffffffff81001234ull, "64-bit FIP round trip");
    ss_free(&w);
    a.s.xcr0 = XCR0_SSE;
    save(&a, &w);
    ss_init_read(&r, w.buf, w.len);
    CHECK_EQ(cpu_state_load(&b, &r), -1, "XCR0 without bit 0 refused");
    ss_free(&w);
    a.model.feat[CPUID_1_ECX] &= ~CPUID_C_XSAVE;
    b.model.feat[CPUID_1_ECX] &= ~CPUID_C_XSAVE;

    /* A missing field and a newer version. */
    ss_init_write(&w);
    ss_section_begin(&w, "cpu", 1);
    ss_put(&w, "gpr0", 1);
    ss_section_end(&w);
    ss_init_read(&r, w.buf, w.len);
    CHECK_EQ(cpu_state_load(&b, &r), -1, "a section without most fields is refused");
    CHECK(ss_error(&r) && strstr(ss_error(&r), "gpr1"), "error names the first missing field: %s",
          ss_error(&r) ? ss_error(&r) : "");
    ss_free(&w);
    ss_init_write(&w);
    ss_section_begin(&w, "cpu", 3);
    ss_section_end(&w);
    ss_init_read(&r, w.buf, w.len);
    CHECK_EQ(cpu_state_load(&b, &r), -1, "version 3 refused");
    ss_free(&w);

    cpu_free(&a);
    cpu_free(&b);
    physmem_free(&mem);
    return test_summary();
}
