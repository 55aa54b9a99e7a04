/* x87 arithmetic executed on the host FPU.
 *
 * Each operation loads its operands as 80-bit images onto an empty host x87
 * stack, sets the host control word to the guest's precision and rounding
 * control with every exception masked, executes the very instruction the
 * guest asked for and reads the host status word: exception flags, C1
 * (rounded up) and C0/C2/C3 are exactly what a real FPU reports, masked
 * responses (QNaN indefinite, infinities, denormals) included. The host
 * control word is restored afterwards and the host stack left empty
 * (FNINIT), so compiled C code around it is unaffected.
 *
 * Intel SDM vol. 1 ch. 8 (x87 FPU), vol. 1 4.9 (exceptions and masked
 * responses). Results are those of the host's x87 unit: on AMD hosts the
 * transcendental instructions may differ from Intel parts in the last bit.
 */
#include <string.h>

#include "cpu/x87.h"

#define X87_CLOBBER "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)", "memory"

#define HOST_ASM(body)                                                        \
    __asm__ volatile("fnstcw %[save]\n\t"                                     \
                     "fldcw %[hcw]\n\t"                                       \
                     "fnclex\n\t" body "\n\t"                                 \
                     "fninit\n\t"                                             \
                     "fldcw %[save]"                                          \
                     : [r0] "=m"(h->r0), [r1] "=m"(h->r1), [sw] "=m"(h->sw),  \
                       [save] "=m"(save), [m] "+m"(h->mem)                    \
                     : [hcw] "m"(hcw), [a] "m"(h->a), [b] "m"(h->b)           \
                     : X87_CLOBBER)

#define BIN(insn)   HOST_ASM("fldt %[b]\n\tfldt %[a]\n\t" insn "\n\tfnstsw %[sw]\n\tfstpt %[r0]")
#define UN(insn)    HOST_ASM("fldt %[a]\n\t" insn "\n\tfnstsw %[sw]\n\tfstpt %[r0]")
#define UN2(insn)   HOST_ASM("fldt %[a]\n\t" insn "\n\tfnstsw %[sw]\n\tfstpt %[r0]\n\tfstpt %[r1]")
#define LOAD(insn)  HOST_ASM(insn " %[m]\n\tfnstsw %[sw]\n\tfstpt %[r0]")
#define STORE(insn) HOST_ASM("fldt %[a]\n\t" insn " %[m]\n\tfnstsw %[sw]")

uint16_t x87_host_run(enum x87_hop op, uint16_t cw, struct x87_host *h)
{
    uint16_t save;
    /* Guest precision and rounding; all exceptions masked; bit 6 reads 1. */
    uint16_t hcw = (uint16_t)((cw & (FCW_PC | FCW_RC)) | 0x007f);

    h->sw = 0;
    switch (op) {
    case HOP_ADD:    BIN("fadd %%st(1), %%st"); break;
    case HOP_SUB:    BIN("fsub %%st(1), %%st"); break;
    case HOP_SUBR:   BIN("fsubr %%st(1), %%st"); break;
    case HOP_MUL:    BIN("fmul %%st(1), %%st"); break;
    case HOP_DIV:    BIN("fdiv %%st(1), %%st"); break;
    case HOP_DIVR:   BIN("fdivr %%st(1), %%st"); break;
    case HOP_SCALE:  BIN("fscale"); break;
    case HOP_PREM:   BIN("fprem"); break;
    case HOP_PREM1:  BIN("fprem1"); break;
    case HOP_YL2X:   BIN("fyl2x"); break;
    case HOP_YL2XP1: BIN("fyl2xp1"); break;
    case HOP_PATAN:  BIN("fpatan"); break;
    case HOP_SQRT:   UN("fsqrt"); break;
    case HOP_RNDINT: UN("frndint"); break;
    case HOP_SIN:    UN("fsin"); break;
    case HOP_COS:    UN("fcos"); break;
    case HOP_F2XM1:  UN("f2xm1"); break;
    case HOP_XTRACT: UN2("fxtract"); break;
    case HOP_PTAN:   UN2("fptan"); break;
    case HOP_SINCOS: UN2("fsincos"); break;
    case HOP_COM:    HOST_ASM("fldt %[b]\n\tfldt %[a]\n\tfcompp\n\tfnstsw %[sw]"); break;
    case HOP_UCOM:   HOST_ASM("fldt %[b]\n\tfldt %[a]\n\tfucompp\n\tfnstsw %[sw]"); break;
    case HOP_TST:    HOST_ASM("fldt %[a]\n\tftst\n\tfnstsw %[sw]"); break;
    case HOP_LD32:   LOAD("flds"); break;
    case HOP_LD64:   LOAD("fldl"); break;
    case HOP_LDI16:  LOAD("filds"); break;
    case HOP_LDI32:  LOAD("fildl"); break;
    case HOP_LDI64:  LOAD("fildll"); break;
    case HOP_LDBCD:  LOAD("fbld"); break;
    case HOP_ST32:   STORE("fstps"); break;
    case HOP_ST64:   STORE("fstpl"); break;
    case HOP_STI16:  STORE("fistps"); break;
    case HOP_STI32:  STORE("fistpl"); break;
    case HOP_STI64:  STORE("fistpll"); break;
    case HOP_STBCD:  STORE("fbstp"); break;
    case HOP_LD1:    HOST_ASM("fld1\n\tfnstsw %[sw]\n\tfstpt %[r0]"); break;
    case HOP_LDL2T:  HOST_ASM("fldl2t\n\tfnstsw %[sw]\n\tfstpt %[r0]"); break;
    case HOP_LDL2E:  HOST_ASM("fldl2e\n\tfnstsw %[sw]\n\tfstpt %[r0]"); break;
    case HOP_LDPI:   HOST_ASM("fldpi\n\tfnstsw %[sw]\n\tfstpt %[r0]"); break;
    case HOP_LDLG2:  HOST_ASM("fldlg2\n\tfnstsw %[sw]\n\tfstpt %[r0]"); break;
    case HOP_LDLN2:  HOST_ASM("fldln2\n\tfnstsw %[sw]\n\tfstpt %[r0]"); break;
    case HOP_LDZ:    HOST_ASM("fldz\n\tfnstsw %[sw]\n\tfstpt %[r0]"); break;
    }
    return h->sw;
}

/* x * 2^k on the host, exact while the result stays in range. */
static void host_scale(long double *x, int k)
{
    struct x87_host t;
    memset(&t, 0, sizeof t);
    t.a = *x;
    t.b = (long double)k;
    x87_host_run(HOP_SCALE, FCW_INIT, &t);
    *x = t.r0;
}

void x87_host_wrapped(enum x87_hop op, uint16_t cw, struct x87_host *h, int wrap)
{
    struct x87_host t = *h;
    int k = wrap * 24576, half = wrap * 12288;

    switch (op) {
    case HOP_ADD: case HOP_SUB: case HOP_SUBR:
        /* TODO(x87): an operand far smaller than the other is rounded by the
         * pre-scaling, which can disturb the last bit in rare cases. */
        host_scale(&t.a, k);
        host_scale(&t.b, k);
        break;
    case HOP_MUL:
        host_scale(&t.a, half);
        host_scale(&t.b, half);
        break;
    case HOP_DIV:
        host_scale(&t.a, half);
        host_scale(&t.b, -half);
        break;
    case HOP_DIVR:
        host_scale(&t.a, -half);
        host_scale(&t.b, half);
        break;
    case HOP_SCALE: {
        /* a * 2^(trunc(b) + k): adjust the integer scale instead. */
        struct x87_host r;
        memset(&r, 0, sizeof r);
        r.a = t.b;
        x87_host_run(HOP_RNDINT, FCW_INIT | FCW_RC, &r);   /* chop */
        r.b = (long double)k;
        r.a = r.r0;
        x87_host_run(HOP_ADD, FCW_INIT, &r);
        t.b = r.r0;
        break;
    }
    default:
        return;         /* other operations keep the masked result */
    }
    x87_host_run(op, cw, &t);
    h->r0 = t.r0;
    h->sw = (uint16_t)((h->sw & ~(FSW_C1 | FSW_PE)) | (t.sw & (FSW_C1 | FSW_PE)));
}

/* ---- conversions ---- */

static long double ld_of(struct f80 v)
{
    long double x;
    memset(&x, 0, sizeof x);
    memcpy(&x, &v.mant, 8);
    memcpy((char *)&x + 8, &v.se, 2);
    return x;
}

static struct f80 f80_of(const long double *x)
{
    struct f80 v;
    memcpy(&v.mant, x, 8);
    memcpy(&v.se, (const char *)x + 8, 2);
    return v;
}

unsigned x87_cvt_to_int(struct f80 v, uint16_t cw, int bytes, int64_t *out)
{
    struct x87_host h;
    memset(&h, 0, sizeof h);
    h.a = ld_of(v);
    enum x87_hop op = bytes == 2 ? HOP_STI16 : bytes == 4 ? HOP_STI32 : HOP_STI64;
    uint16_t sw = x87_host_run(op, cw, &h);
    if (bytes == 2) {
        int16_t r;
        memcpy(&r, h.mem, 2);
        *out = r;
    } else if (bytes == 4) {
        int32_t r;
        memcpy(&r, h.mem, 4);
        *out = r;
    } else {
        memcpy(out, h.mem, 8);
    }
    return sw & (FSW_EXC | FSW_C1);
}

unsigned x87_cvt_to_bcd(struct f80 v, uint16_t cw, uint8_t out[10])
{
    struct x87_host h;
    memset(&h, 0, sizeof h);
    h.a = ld_of(v);
    uint16_t sw = x87_host_run(HOP_STBCD, cw, &h);
    memcpy(out, h.mem, 10);
    return sw & (FSW_EXC | FSW_C1);
}

struct f80 x87_cvt_from_bcd(const uint8_t in[10])
{
    struct x87_host h;
    memset(&h, 0, sizeof h);
    memcpy(h.mem, in, 10);
    x87_host_run(HOP_LDBCD, FCW_INIT, &h);
    return f80_of(&h.r0);
}

struct f80 x87_cvt_from_int(int64_t v)
{
    struct x87_host h;
    memset(&h, 0, sizeof h);
    memcpy(h.mem, &v, 8);
    x87_host_run(HOP_LDI64, FCW_INIT, &h);
    return f80_of(&h.r0);
}

unsigned x87_cvt_from_f32(uint32_t bits, struct f80 *out)
{
    struct x87_host h;
    memset(&h, 0, sizeof h);
    memcpy(h.mem, &bits, 4);
    uint16_t sw = x87_host_run(HOP_LD32, FCW_INIT, &h);
    *out = f80_of(&h.r0);
    return sw & FSW_EXC;
}

unsigned x87_cvt_from_f64(uint64_t bits, struct f80 *out)
{
    struct x87_host h;
    memset(&h, 0, sizeof h);
    memcpy(h.mem, &bits, 8);
    uint16_t sw = x87_host_run(HOP_LD64, FCW_INIT, &h);
    *out = f80_of(&h.r0);
    return sw & FSW_EXC;
}

unsigned x87_cvt_to_f32(struct f80 v, uint16_t cw, uint32_t *out, uint16_t *sw)
{
    struct x87_host h;
    memset(&h, 0, sizeof h);
    h.a = ld_of(v);
    *sw = x87_host_run(HOP_ST32, cw, &h);
    memcpy(out, h.mem, 4);
    return *sw & FSW_EXC;
}

unsigned x87_cvt_to_f64(struct f80 v, uint16_t cw, uint64_t *out, uint16_t *sw)
{
    struct x87_host h;
    memset(&h, 0, sizeof h);
    h.a = ld_of(v);
    *sw = x87_host_run(HOP_ST64, cw, &h);
    memcpy(out, h.mem, 8);
    return *sw & FSW_EXC;
}
