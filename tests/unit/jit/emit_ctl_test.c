/* The emitter's control flow, stack, flags and filler instructions
 * (src/jit/emit_ctl.c) against Capstone, then the buffer's failure rules:
 * unencodable requests set `error`, a full buffer sets `overflow`, and
 * neither writes a byte; last, code that runs at another address than
 * where it is written (the jumps again, RIP-relative operands, alignment). */
#include "emit_check.h"

/* Run-time address - write address of the code start_at() emits: 0 for
 * code that runs where it is written, else as in the code cache's RX view
 * (test_delta). */
static uintptr_t delta;

/* Emit from `off` bytes into the code area, so backward targets stay inside it. */
static void start_at(size_t off)
{
    emit_init_exec(&B, code + off, CODE_SIZE - off, (const void *)((uintptr_t)(code + off) + delta));
}

/* d bytes from where the next instruction will run. */
static const void *at_rel(int64_t d)
{
    return (const void *)((uintptr_t)emit_here(&B) + (uintptr_t)d);
}

/* A group's name, with the delta when there is one. */
static const char *named(const char *name)
{
    static char s[4][128];
    static unsigned i;
    if (!delta)
        return name;
    char *out = s[i++ % 4];
    snprintf(out, sizeof(s[0]), "%s (run at write address %c 0x%" PRIx64 ")", name,
             (intptr_t)delta < 0 ? '-' : '+',
             (uint64_t)((intptr_t)delta < 0 ? -delta : delta));
    return out;
}

static uint64_t addr(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

static void test_jumps(void)
{
    /* Targets relative to the instruction's first byte, around the rel8 and rel32 edges. */
    static const int64_t ds[] = { 0, 2, -126, -127, 129, 130, 131, 0x1000, -0x1000,
                                  0x7ffffff0, -0x7ffffff0, 5 + (int64_t)INT32_MAX,
                                  2 + (int64_t)INT32_MIN };
    group(named("jmp/jcc to a known target"));
    for (unsigned k = 0; k < sizeof(ds) / sizeof(ds[0]); k++) {
        for (int cc = -1; cc < 16; cc++) {
            start_at(CODE_SIZE / 2);
            const void *t = at_rel(ds[k]);
            bool short_ok = ds[k] - 2 >= -128 && ds[k] - 2 <= 127;
            int64_t rel32 = ds[k] - (cc < 0 ? 5 : 6);
            if (cc < 0)
                emit_jmp(&B, t);
            else
                emit_jcc(&B, cc, t);
            if (!short_ok && (rel32 < INT32_MIN || rel32 > INT32_MAX))
                expect_error("jump out of range");
            else if (cc < 0)
                expect(short_ok ? 2 : 5, "jmp 0x%" PRIx64, addr(t));
            else
                expect(short_ok ? 2 : 6, "j%s 0x%" PRIx64, cc_names[cc], addr(t));
        }
    }
    group_end();

    group(named("forward jumps and patching"));
    for (int cc = -1; cc < 16; cc++) {
        for (int wide = 0; wide < 2; wide++) {
            start_at(0x1000);
            size_t at = cc < 0 ? (wide ? emit_jmp32_fwd(&B) : emit_jmp8_fwd(&B))
                               : (wide ? emit_jcc32_fwd(&B, cc) : emit_jcc8_fwd(&B, cc));
            size_t len = B.p - B.start;
            group_n++;
            if (at != len - (wide ? 4 : 1))
                mismatch("(field offset)", "the last bytes");
            /* Unpatched: to the next instruction. */
            const char *mn = cc < 0 ? "jmp" : cc_names[cc];
            const char *j = cc < 0 ? "" : "j";
            expect(len, "%s%s 0x%" PRIx64, j, mn, addr(emit_here(&B)));
            const void *t = wide ? at_rel(-0x12345) : at_rel(-100);
            group_n++;
            if (!(wide ? emit_patch_rel32(&B, at, t) : emit_patch_rel8(&B, at, t)))
                mismatch("(patch refused)", "patched");
            expect(len, "%s%s 0x%" PRIx64, j, mn, addr(t));
            t = at_rel(127);
            group_n++;
            if (!(wide ? emit_patch_rel32(&B, at, t) : emit_patch_rel8(&B, at, t)))
                mismatch("(patch refused)", "patched");
            expect(len, "%s%s 0x%" PRIx64, j, mn, addr(t));
            /* Out of range: refused, error set, field unchanged. */
            t = wide ? at_rel((int64_t)INT32_MAX + 1) : at_rel(128);
            group_n++;
            if ((wide ? emit_patch_rel32(&B, at, t) : emit_patch_rel8(&B, at, t)) || !B.error)
                mismatch("(patched out of range)", "refused");
            B.error = false;
            expect(len, "%s%s 0x%" PRIx64, j, mn, addr(at_rel(127)));
        }
    }
    /* A field that was never written: refused; an error only if the buffer had not failed. */
    emit_init(&B, code, 3);
    size_t at = emit_jmp32_fwd(&B);
    group_n++;
    if (emit_patch_rel32(&B, at, code) || B.error || !B.overflow || at != 1)
        mismatch("(patch after overflow)", "refused, overflow only");
    start();
    group_n++;
    if (emit_patch_rel32(&B, 0, code) || !B.error)
        mismatch("(patch of an unwritten field)", "refused with error");
    group_end();

    group(named("call, jmp/call r/m, ret"));
    static const int64_t cs[] = { 0, 5, -0x1000, 0x7ffffff0, 5 + (int64_t)INT32_MAX,
                                  -0x7ffffff0, (int64_t)INT32_MIN - 1 };
    for (unsigned k = 0; k < sizeof(cs) / sizeof(cs[0]); k++) {
        start_at(CODE_SIZE / 2);
        const void *t = at_rel(cs[k]);
        int64_t rel = cs[k] - 5;
        bool near = rel >= INT32_MIN && rel <= INT32_MAX;
        emit_call(&B, t);
        if (near)
            expect(5, "call 0x%" PRIx64, addr(t));
        else
            expect_error("call out of range");
        start_at(CODE_SIZE / 2);
        t = at_rel(cs[k]);
        emit_call_abs(&B, t);
        if (near)
            expect(5, "call 0x%" PRIx64, addr(t));
        else
            expect(13, "movabs r11, 0x%" PRIx64 "; call r11", addr(t));
    }
    for (int r = 0; r < 16; r++) {
        start();
        emit_jmp_r(&B, r);
        expect(2u + (r >= 8), "jmp %s", R(64, r));
        start();
        emit_call_r(&B, r);
        expect(2u + (r >= 8), "call %s", R(64, r));
    }
    for (unsigned k = 0; k < nmems; k++) {
        start();
        emit_jmp_m(&B, mems[k]);
        expect(len_m(32, 1, 0, mems[k], 0), "jmp %s", M(64, mems[k]));
        start();
        emit_call_m(&B, mems[k]);
        expect(len_m(32, 1, 0, mems[k], 0), "call %s", M(64, mems[k]));
        start();
        emit_push_m(&B, mems[k]);
        expect(len_m(32, 1, 0, mems[k], 0), "push %s", M(64, mems[k]));
    }
    start();
    emit_ret(&B);
    expect(1, "ret");
    static const uint16_t rets[] = { 0, 8, 24, 0x1234, 0xffff };
    for (unsigned k = 0; k < sizeof(rets) / sizeof(rets[0]); k++) {
        start();
        emit_ret_i(&B, rets[k]);
        expect(3, rets[k] < 10 ? "ret %u" : "ret 0x%x", rets[k]);
    }
    /* CALL rel32 forward: a call to the next instruction until patched. */
    start();
    size_t cf = emit_call32_fwd(&B);
    expect(5, "call 0x%" PRIx64, addr(emit_here(&B)));
    start();
    cf = emit_call32_fwd(&B);
    if (cf != 1 || !emit_patch_rel32(&B, cf, at_rel(0x100)))
        mismatch("(call32 forward patch)", "field at 1, patched");
    expect(5, "call 0x%" PRIx64, addr(at_rel(0x100)));
    group_end();
}

static void test_stack_flags_fill(void)
{
    group("push/pop");
    for (int r = 0; r < 16; r++) {
        start();
        emit_push_r(&B, r);
        expect(1u + (r >= 8), "push %s", R(64, r));
        start();
        emit_pop_r(&B, r);
        expect(1u + (r >= 8), "pop %s", R(64, r));
    }
    for (unsigned k = 0; k < NIMMS; k++) {
        int64_t v = imms[k];
        if (v < INT32_MIN || v > INT32_MAX)
            continue;
        start();
        emit_push_i(&B, (int32_t)v);
        expect(fits_s8(v) ? 2 : 5, "push %s", I(64, v));
    }
    group_end();

    group("flags, ud2, int3");
    start(); emit_pushfq(&B); expect(1, "pushfq");
    start(); emit_popfq(&B); expect(1, "popfq");
    start(); emit_lahf(&B); expect(1, "lahf");
    start(); emit_sahf(&B); expect(1, "sahf");
    start(); emit_clc(&B); expect(1, "clc");
    start(); emit_stc(&B); expect(1, "stc");
    start(); emit_cmc(&B); expect(1, "cmc");
    start(); emit_ud2(&B); expect(2, "ud2");
    start(); emit_int3(&B); expect(1, "int3");
    group_end();

    group("nop and align");
    for (unsigned n = 1; n <= 15; n++) {
        start();
        emit_nop(&B, n);
        const char *want = n <= 2 ? "nop"
                         : n == 3 || n == 4 || n == 7 ? "nop dword ptr [rax]"
                         : n == 5 || n == 8 ? "nop dword ptr [rax + rax]"
                         : "nop word ptr [rax + rax]";
        expect(n, "%s", want);
    }
    for (unsigned align = 1; align <= 64; align *= 2)
        for (size_t off = 0; off < 70; off++) {
            start_at(off);
            emit_align(&B, align);
            size_t pad = (size_t)(-(uintptr_t)(code + off) & (align - 1));
            group_n++;
            if ((size_t)(B.p - B.start) != pad || ((uintptr_t)B.p & (align - 1)) || B.error)
                mismatch("(align)", "aligned");
            /* Everything it wrote decodes as NOPs. */
            cs_insn *ins;
            size_t cnt = cs_disasm(cs_h, B.start, pad, 0, 0, &ins), used = 0;
            for (size_t i = 0; i < cnt; i++) {
                used += ins[i].size;
                if (strcmp(ins[i].mnemonic, "nop"))
                    used = 1000;
            }
            if (cnt)
                cs_free(ins, cnt);
            group_n++;
            if (used != pad)
                mismatch("(align padding)", "nops");
        }
    group_end();
}

/* A few encodings byte for byte, for what Capstone's text cannot show. */
static void expect_bytes(const char *what, const uint8_t *want, size_t n)
{
    group_n++;
    if ((size_t)(B.p - B.start) != n || memcmp(B.start, want, n))
        mismatch("(other bytes)", what);
}

static void test_bytes(void)
{
    group("exact bytes");
    /* SIB.ss is 0 without an index, even when a scale was given. */
    start();
    emit_mov_rm(&B, 32, JIT_RAX, (struct jit_mem){ JIT_RSP, JIT_NOREG, 8, 0 });
    expect_bytes("mov eax, [rsp] = 8b 04 24", (const uint8_t[]){ 0x8b, 0x04, 0x24 }, 3);
    start();
    emit_mov_rm(&B, 32, JIT_RAX, (struct jit_mem){ JIT_NOREG, JIT_NOREG, 8, 0x1000 });
    expect_bytes("mov eax, [0x1000] = 8b 04 25 disp32",
                 (const uint8_t[]){ 0x8b, 0x04, 0x25, 0x00, 0x10, 0x00, 0x00 }, 7);
    start();
    emit_mov_rm(&B, 32, JIT_RAX, jit_mem(JIT_R13, 0));
    expect_bytes("mov eax, [r13] = 41 8b 45 00", (const uint8_t[]){ 0x41, 0x8b, 0x45, 0x00 }, 4);
    start();
    emit_mov_ri(&B, 8, JIT_AH, 1);
    expect_bytes("mov ah, 1 = b4 01", (const uint8_t[]){ 0xb4, 0x01 }, 2);
    start();
    emit_mov_ri(&B, 8, JIT_RSP, 1);
    expect_bytes("mov spl, 1 = 40 b4 01", (const uint8_t[]){ 0x40, 0xb4, 0x01 }, 3);
    /* Mandatory prefix before REX (SDM 2.2.1). */
    start();
    emit_sse_rr(&B, JIT_ADDSD, JIT_XMM8, JIT_XMM1);
    expect_bytes("addsd xmm8, xmm1 = f2 44 0f 58 c1", (const uint8_t[]){ 0xf2, 0x44, 0x0f, 0x58, 0xc1 }, 5);
    start();
    emit_cmpxchg_mr(&B, 16, jit_mem(JIT_R8, 0), JIT_RAX, true);
    expect_bytes("lock cmpxchg [r8], ax = f0 66 41 0f b1 00",
                 (const uint8_t[]){ 0xf0, 0x66, 0x41, 0x0f, 0xb1, 0x00 }, 6);
    group_end();
}

static void test_errors(void)
{
    group("unencodable requests");
    start(); emit_mov_rr(&B, 12, JIT_RAX, JIT_RAX); expect_error("size 12");
    start(); emit_mov_rr(&B, 64, JIT_NOREG, JIT_RAX); expect_error("JIT_NOREG as a register");
    start(); emit_mov_rr(&B, 64, JIT_RIP, JIT_RAX); expect_error("JIT_RIP as a register");
    start(); emit_mov_rr(&B, 32, JIT_AH, JIT_RAX); expect_error("AH at size 32");
    start(); emit_push_r(&B, JIT_AH); expect_error("push AH");
    start(); emit_mov_rm(&B, 32, JIT_RAX, jit_mem_idx(JIT_RAX, JIT_RSP, 1, 0)); expect_error("RSP index");
    start(); emit_mov_rm(&B, 32, JIT_RAX, jit_mem_idx(JIT_RAX, JIT_RCX, 3, 0)); expect_error("scale 3");
    start(); emit_mov_rm(&B, 32, JIT_RAX, jit_mem_idx(JIT_RAX, JIT_RCX, 0, 0)); expect_error("scale 0");
    start(); emit_mov_rm(&B, 32, JIT_RAX, (struct jit_mem){ JIT_RAX, JIT_NOREG, 1, 0x80000000 });
    expect_error("disp beyond int32");
    start(); emit_mov_rm(&B, 32, JIT_RAX, (struct jit_mem){ JIT_RIP, JIT_RCX, 1, 0 });
    expect_error("RIP with an index");
    start(); emit_mov_rm(&B, 32, JIT_RAX, jit_mem_rip((void *)((uintptr_t)code + 0x100000000ull)));
    expect_error("RIP target out of range");
    start(); emit_mov_rm(&B, 32, JIT_RAX, (struct jit_mem){ 16, JIT_NOREG, 1, 0 }); expect_error("base 16");
    start(); emit_alu_ri(&B, JIT_ADD, 64, JIT_RAX, 0x80000000); expect_error("imm32 at 64");
    start(); emit_alu_ri(&B, JIT_ADD, 8, JIT_RAX, 0x100); expect_error("imm 0x100 at 8");
    start(); emit_alu_ri(&B, JIT_ADD, 8, JIT_RAX, -0x81); expect_error("imm -0x81 at 8");
    start(); emit_test_ri(&B, 16, JIT_RAX, 0x10000); expect_error("imm 0x10000 at 16");
    start(); emit_mov_mi(&B, 64, jit_mem(JIT_RAX, 0), 0x80000000); expect_error("mov m64, imm beyond int32");
    start(); emit_alu_rr(&B, (enum jit_alu)8, 32, JIT_RAX, JIT_RAX); expect_error("alu op 8");
    start(); emit_unop_r(&B, (enum jit_unop)8, 32, JIT_RAX); expect_error("unop 8");
    start(); emit_shift_ri(&B, (enum jit_shift)6, 32, JIT_RAX, 1); expect_error("shift /6");
    start(); emit_bt_rr(&B, (enum jit_bt)3, 32, JIT_RAX, JIT_RAX); expect_error("bt op 3");
    start(); emit_cmov_rr(&B, (enum jit_cc)16, 32, JIT_RAX, JIT_RAX); expect_error("cc 16");
    start(); emit_setcc_r(&B, (enum jit_cc)16, JIT_RAX); expect_error("setcc 16");
    start(); emit_jcc(&B, (enum jit_cc)16, code); expect_error("jcc 16");
    start(); emit_jcc32_fwd(&B, (enum jit_cc)16); expect_error("jcc32_fwd 16");
    start(); emit_shld_ri(&B, 8, JIT_RAX, JIT_RCX, 1); expect_error("shld size 8");
    start(); emit_imul_rr(&B, 8, JIT_RAX, JIT_RCX); expect_error("imul size 8");
    start(); emit_imul_rri(&B, 16, JIT_RAX, JIT_RCX, 0x10000); expect_error("imul imm at 16");
    start(); emit_bt_ri(&B, JIT_BT, 8, JIT_RAX, 1); expect_error("bt size 8");
    start(); emit_bsf_rr(&B, 8, JIT_RAX, JIT_RCX); expect_error("bsf size 8");
    start(); emit_cmov_rr(&B, JIT_CC_E, 8, JIT_RAX, JIT_RCX); expect_error("cmov size 8");
    start(); emit_bswap(&B, 16, JIT_RAX); expect_error("bswap size 16");
    start(); emit_movzx_rr(&B, 32, 32, JIT_RAX, JIT_RCX); expect_error("movzx from 32");
    start(); emit_movzx_rr(&B, 16, 16, JIT_RAX, JIT_RCX); expect_error("movzx 16 from 16");
    start(); emit_movsx_rr(&B, 8, 8, JIT_RAX, JIT_RCX); expect_error("movsx to 8");
    start(); emit_lea(&B, 8, JIT_RAX, jit_mem(JIT_RAX, 0)); expect_error("lea size 8");
    start(); emit_sse_rr(&B, (enum jit_sse)0x0011, JIT_XMM0, JIT_XMM1); expect_error("unknown sse op");
    start(); emit_sse_rr(&B, JIT_CVTSI2SD, JIT_XMM0, JIT_XMM1); expect_error("cvtsi2sd as xmm, xmm");
    start(); emit_sse_mr(&B, JIT_ADDPS, jit_mem(JIT_RAX, 0), JIT_XMM0); expect_error("store of addps");
    start(); emit_sse_rr(&B, JIT_ADDPS, (enum jit_xmm)16, JIT_XMM0); expect_error("xmm16");
    start(); emit_cvt_i2f_rr(&B, JIT_CVTSS2SI, 32, JIT_XMM0, JIT_RAX); expect_error("cvt i2f with f2i op");
    start(); emit_cvt_f2i_rr(&B, JIT_CVTSI2SS, 32, JIT_RAX, JIT_XMM0); expect_error("cvt f2i with i2f op");
    start(); emit_cvt_i2f_rr(&B, JIT_CVTSI2SS, 16, JIT_XMM0, JIT_RAX); expect_error("cvt from 16");
    start(); emit_movd_xr(&B, 16, JIT_XMM0, JIT_RAX); expect_error("movd size 16");
    start(); emit_nop(&B, 0); expect_error("nop 0");
    start(); emit_nop(&B, 16); expect_error("nop 16");
    start(); emit_align(&B, 12); expect_error("align 12");
    start_at(CODE_SIZE / 2);
    emit_jmp(&B, at_rel(6 + (int64_t)INT32_MAX));
    group_n++;
    if (!B.error || B.p != B.start)
        mismatch("(emitted)", "jmp out of range refused");
    /* Once failed, nothing more is written. */
    start();
    emit_lea(&B, 8, JIT_RAX, jit_mem(JIT_RAX, 0));
    emit_ret(&B);
    emit_nop(&B, 3);
    emit_mov_ri64(&B, JIT_RAX, 1);
    expect_error("emits after an error");
    group_end();
}

/* One of each shape, so every length from 1 to 15 bytes is in the mix. */
static void emit_mix(struct jit_buf *b)
{
    emit_mov_ri64(b, JIT_R9, 0x1122334455667788);
    emit_ret(b);
    emit_alu_mi(b, JIT_ADD, 32, jit_mem_idx(JIT_R13, JIT_R12, 8, 0x12345), 0x12345678);
    emit_nop(b, 15);
    emit_jcc32_fwd(b, JIT_CC_NE);
    emit_sse_rm(b, JIT_ADDSD, JIT_XMM9, jit_mem_rip(b->start));
    emit_push_r(b, JIT_R12);
    emit_lahf(b);
    emit_call_abs(b, (const void *)(uintptr_t)0x123456789abcull);
    emit_cmpxchg_mr(b, 16, jit_mem(JIT_RSP, 0), JIT_R8, true);
    emit_nop(b, 7);
}

static void test_overflow(void)
{
    /* Where each instruction of the mix ends, from a run with room to spare. */
    uint8_t ref[256];
    size_t ends[16], nends = 0;
    struct jit_buf r;
    emit_init(&r, code, CODE_SIZE);
    emit_mix(&r);
    size_t total = emit_offset(&r);
    memcpy(ref, code, total);
    /* Instruction boundaries: where Capstone sees them. */
    cs_insn *ins;
    size_t cnt = cs_disasm(cs_h, ref, total, 0, 0, &ins), end = 0;
    for (size_t i = 0; i < cnt && nends < 16; i++)
        ends[nends++] = end += ins[i].size;
    if (cnt)
        cs_free(ins, cnt);

    group("overflow");
    static uint8_t area[256 + 32];
    for (size_t cap = 0; cap <= total + 2; cap++) {
        memset(area, 0xA5, sizeof(area));
        struct jit_buf b;
        emit_init(&b, area + 16, cap);
        emit_mix(&b);
        /* The longest whole prefix of the mix that fits. */
        size_t want = 0;
        for (size_t i = 0; i < nends; i++)
            if (ends[i] <= cap)
                want = ends[i];
        group_n++;
        bool ok = emit_offset(&b) == want && b.overflow == (want < total) && !b.error &&
                  memcmp(area + 16, ref, want) == 0;
        for (size_t i = 0; i < sizeof(area); i++)
            if ((i < 16 || i >= 16 + want) && area[i] != 0xA5)
                ok = false;
        if (!ok) {
            char got[64];
            snprintf(got, sizeof(got), "cap %zu: wrote %zu, overflow %d", cap, emit_offset(&b), b.overflow);
            mismatch(got, "whole instructions only, nothing past them");
        }
    }
    group_n++;
    /* CALL to an address beyond rel32 reach is MOV R11 + CALL R11. */
    if (nends != 12 || total != ends[nends - 1])
        mismatch("(instruction count)", "12 instructions in the mix");
    group_end();
}

/* Code written in one place to run in another (the code cache writes its
 * RW view and runs the RX alias): everything relative is computed from
 * the run-time address, checked by decoding there. test_jumps() covers
 * jumps, calls and patching under the same deltas. */
static void test_delta(bool far)
{
    group(named("run-time address of the buffer"));
    start_at(0x1000);
    emit_nop(&B, 3);
    group_n++;
    if ((uintptr_t)emit_here(&B) != (uintptr_t)code + 0x1003 + delta ||
        (uintptr_t)emit_exec_addr(&B, 1) != (uintptr_t)code + 0x1001 + delta)
        mismatch("(exec address)", "write address + delta");
    group_end();

    group(named("rip-relative operands"));
    static const int64_t rip[] = { -0x10000000, -1, 0, 3, 9, 0x40, 0x12345678 };
    for (unsigned k = 0; k < sizeof(rip) / sizeof(rip[0]); k++) {
        start_at(0x1000);
        struct jit_mem m = jit_mem_rip(at_rel(rip[k]));
        emit_mov_rm(&B, 32, JIT_R9, m);
        expect(len_m(32, 1, JIT_R9, m, 0), "mov %s, %s", R(32, JIT_R9), M(32, m));
        start_at(0x1000);
        emit_lea(&B, 64, JIT_RAX, m);
        expect(len_m(64, 1, JIT_RAX, m, 0), "lea rax, %s", M(0, m));
        /* An immediate after the disp32: the rel32 counts from its end. */
        start_at(0x1000);
        emit_alu_mi(&B, JIT_ADD, 32, m, 0x12345678);
        expect(len_m(32, 1, 0, m, 4), "add %s, 0x12345678", M(32, m));
        start_at(0x1000);
        emit_sse_rm(&B, JIT_ADDSD, JIT_XMM9, m);
        expect(0, "addsd xmm9, %s", M(64, m));
        start_at(0x1000);
        emit_call_m(&B, m);
        expect(len_m(32, 1, 0, m, 0), "call %s", M(64, m));
    }
    if (far) {
        /* The write address is near, the run-time address is not. */
        start_at(0x1000);
        emit_mov_rm(&B, 32, JIT_RAX, jit_mem_rip(B.p + 0x100));
        expect_error("rip-relative to the write address from far away");
        start_at(0x1000);
        emit_call(&B, B.p + 0x100);
        expect_error("call to the write address from far away");
    }
    group_end();

    group(named("align at the run-time address"));
    for (unsigned align = 1; align <= 64; align *= 2)
        for (size_t off = 0; off < 70; off++) {
            start_at(off);
            emit_align(&B, align);
            size_t pad = (size_t)(-((uintptr_t)code + off + delta) & (align - 1));
            group_n++;
            if (emit_offset(&B) != pad || ((uintptr_t)emit_here(&B) & (align - 1)) || B.error)
                mismatch("(align)", "aligned where it runs");
        }
    group_end();
}

int main(void)
{
    harness_init();
    mems_init();
    test_jumps();
    test_stack_flags_fill();
    test_bytes();
    test_errors();
    test_overflow();
    /* Odd, negative, and far enough that the write address is out of reach. */
    const uintptr_t deltas[] = { 0x1003, (uintptr_t)-0x12345677,
                                 (uintptr_t)0x400000000000 - (uintptr_t)code };
    for (unsigned k = 0; k < 3; k++) {
        delta = deltas[k];
        test_jumps();
        test_delta(k == 2);
    }
    delta = 0;
    printf("emit_ctl_test: %u cases\n", total_n);
    return test_summary();
}
