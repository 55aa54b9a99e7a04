/* MMX in the x87 register file (src/cpu/simd/mmx.h) against the host CPU.
 *
 * The host x87 is loaded with a few values (so TOP is not 0 and some tags
 * are empty), one MMX instruction writes an mm register (or EMMS runs),
 * and FNSTENV and FXSAVE report TOP, the tag word and the register images.
 * The same start state is built in a rawbox struct cpu, the helpers of
 * mmx.h applied, and TOP, x87_tag_word() (FSTENV's tag word) and all eight
 * 80-bit images must match. */
#include "test.h"
#include "cpu/cpu.h"
#include "cpu/x87.h"
#include "cpu/simd/mmx.h"

struct host_state {
    uint16_t sw, tw;
    uint8_t reg[8][10];     /* physical R0-R7 (TOP is 0 afterwards) */
};

/* Read what FNSTENV (32-bit layout: sw at 4, tw at 8) and FXSAVE (ST(i)
 * images at 32 + 16 i) say. */
static void host_read(struct host_state *h, const unsigned char *env, const unsigned char *fx)
{
    memcpy(&h->sw, env + 4, 2);
    memcpy(&h->tw, env + 8, 2);
    unsigned top = (h->sw >> 11) & 7;
    for (unsigned i = 0; i < 8; i++)
        memcpy(h->reg[(top + i) & 7], fx + 32 + 16 * i, 10);
}

/* Host: from eight empty +0 registers, push `depth` values (1.0, 0, pi ...), then MOVQ value -> mm<r>
 * (or EMMS when r < 0), then read the state. */
static void host_run(unsigned depth, int r, uint64_t value, struct host_state *h)
{
    unsigned char env[28];
    _Alignas(16) unsigned char fx[512];
    /* Every register +0 and empty: FNINIT alone keeps old contents. */
    __asm__ volatile("fninit\n\tfldz\n\tfldz\n\tfldz\n\tfldz\n\tfldz\n\tfldz\n\t"
                     "fldz\n\tfldz\n\tfninit" ::: "memory");
    for (unsigned i = 0; i < depth; i++) {
        switch (i % 3) {
        case 0: __asm__ volatile("fld1" ::: "memory"); break;
        case 1: __asm__ volatile("fldz" ::: "memory"); break;
        default: __asm__ volatile("fldpi" ::: "memory"); break;
        }
    }
    switch (r) {
#define MOVQ_CASE(n)                                                            \
    case n: __asm__ volatile("movq %0, %%mm" #n :: "m"(value) : "mm" #n); break;
    MOVQ_CASE(0) MOVQ_CASE(1) MOVQ_CASE(2) MOVQ_CASE(3)
    MOVQ_CASE(4) MOVQ_CASE(5) MOVQ_CASE(6) MOVQ_CASE(7)
    default: __asm__ volatile("emms" ::: "memory"); break;
    }
    __asm__ volatile("fnstenv %0\n\tfxsave %1" : "=m"(env), "=m"(fx));
    __asm__ volatile("fninit\n\temms" ::: "memory");
    host_read(h, env, fx);
}

static long read_bad;

/* rawbox: the same start state, then the helpers. */
static void model_run(struct cpu *cpu, unsigned depth, int r, uint64_t value, struct host_state *h)
{
    static const struct f80 vals[3] = {
        { 0x8000000000000000ull, 0x3fff },                  /* 1.0 */
        { 0, 0 },                                           /* +0 */
        { 0xc90fdaa22168c235ull, 0x4000 },                  /* pi (round to nearest) */
    };
    struct x87 *f = &cpu->s.fpu;
    memset(f, 0, sizeof *f);
    f->cw = FCW_INIT;
    f->tw = 0xffff;
    unsigned top = 0;
    for (unsigned i = 0; i < depth; i++) {
        top = (top - 1) & 7;
        f->st[top] = vals[i % 3];
        f->tw = (uint16_t)(f->tw & ~(3u << (2 * top)));
    }
    f->sw = (uint16_t)(top << 11);
    if (r >= 0) {
        union xmm v = { .q = { value, 0 } };
        mmx_enter(f);
        mmx_write(f, (unsigned)r, &v);
        union xmm back = { .q = { 0, 0 } };
        mmx_read(f, (unsigned)r, &back);
        read_bad += back.q[0] != value;
    } else {
        mmx_emms(f);
    }
    h->sw = f->sw;
    h->tw = x87_tag_word(cpu);
    for (unsigned p = 0; p < 8; p++) {
        struct f80 x = f->st[p];
        memcpy(h->reg[p], &x.mant, 8);
        memcpy(h->reg[p] + 8, &x.se, 2);
    }
}

int main(void)
{
    static struct cpu cpu;
    uint64_t values[] = { 0, 0x8000000000000000ull, 0x0123456789abcdefull, ~0ull, 1 };
    long bad = 0, runs = 0;
    for (unsigned depth = 0; depth <= 8; depth++)
        for (int r = -1; r < 8; r++)
            for (unsigned k = 0; k < sizeof values / sizeof values[0]; k++) {
                struct host_state hs, ms;
                host_run(depth, r, values[k], &hs);
                model_run(&cpu, depth, r, values[k], &ms);
                runs++;
                int ok = (hs.sw & 0x3800) == (ms.sw & 0x3800) && hs.tw == ms.tw;
                /* An emptied register's contents are whatever was there. */
                for (unsigned p = 0; p < 8; p++)
                    ok &= memcmp(hs.reg[p], ms.reg[p], 10) == 0;
                if (!ok && !bad++)
                    printf("  depth %u mm%d value %016" PRIx64 ": host TOP %u tw %04x, rawbox TOP %u tw %04x\n",
                           depth, r, values[k], hs.sw >> 11 & 7, hs.tw, ms.sw >> 11 & 7, ms.tw);
            }
    CHECK(bad == 0, "MOVQ to mm0-7 and EMMS over stacks of depth 0-8: TOP, FSTENV tag word and "
          "R0-R7 agree with the host (%ld runs, %ld bad)", runs, bad);
    CHECK(read_bad == 0, "mmx_read returns what mmx_write stored (%ld bad)", read_bad);
    return test_summary();
}
