; sse_int.asm — SSE2 128-bit integer instructions (SDM vol. 2 pages for
; each): add/subtract with wraparound and saturation, PMULLW/PMULHW/
; PMULHUW/PMULUDQ/PMADDWD, PAVG, PMIN/PMAX, PSADBW, compares, logic,
; packs/unpacks, shifts by immediate and by XMM count (any count above the
; element width gives 0, or the sign for PSRA; the count is the whole low
; quadword), PSLLDQ/PSRLDQ, PSHUFD/HW/LW, PMOVMSKB, PINSRW/PEXTRW, MOVD/
; MOVQ/MOVQ2DQ/MOVDQ2Q; the SSE2 forms on MMX registers. Memory rules:
; MOVDQA, MOVNTDQ and a legacy-SSE memory operand need 16-byte alignment
; (#GP(0), SDM vol. 1 4.1.1 / vol. 2 each page), MOVDQU does not; MASKMOVDQU
; stores the bytes whose mask byte has bit 7 set to DS:EDI. Faults: #UD
; with CR4.OSFXSR=0 or CR0.EM=1, #NM with CR0.TS=1 (SDM vol. 3 ch. 13,
; vol. 2 "Exceptions (protected mode)"); a pending x87 exception stops an
; instruction touching an MMX register (#MF, vol. 3 12.5.1), not one on
; XMM only. 32-bit protected mode. Expected
; values follow the SDM's definitions, confirmed on a host CPU (AMD EPYC).
;
; qemu-differs: QEMU 7.2 raises no #MF for a pending x87 exception before
; MOVDQ2Q (it touches an MMX register; the host CPU faults); that check
; prints "qemu-departs" under QEMU TCG.
; qemu-cmd: qemu-system-x86_64 -cpu max
; (rawbox-args: --cpu max, once `rawbox run` takes --cpu)
%include "rom.inc"
%include "pm.inc"
%include "sse.inc"

start:
    ROM_INIT
    PUTS `sse_int: SSE2 integer instructions in 32-bit protected mode\n`
    NEED_CPUID1 edx, 26, "no SSE2"
    SSE_DETECT_QEMU
    PM_SETUP
    PM_ENTER32 pm_start

bits 32
pm_start:
    SSE_ENABLE CR4_OSFXSR | CR4_OSXMMEXCPT
    ; ---- add/subtract, wraparound and saturation ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ffe80017f80ff01, 0x80000001ffff0000
    LDX xmm1, 0x0003fffe0180017f, 0x7fffffff80000001
    paddb xmm0, xmm1
    EXPECT_X xmm0, 0x7f017fff80000080, 0xffffff007fff0001, "paddb xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ffe80017f80ff01, 0x80000001ffff0000
    LDX xmm1, 0x0003fffe0180017f, 0x7fffffff80000001
    paddw xmm0, xmm1
    EXPECT_X xmm0, 0x80017fff81000080, 0xffff00007fff0001, "paddw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ffe80017f80ff01, 0x80000001ffff0000
    LDX xmm1, 0x0003fffe0180017f, 0x7fffffff80000001
    paddd xmm0, xmm1
    EXPECT_X xmm0, 0x80027fff81010080, 0x000000007fff0001, "paddd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ffe80017f80ff01, 0x80000001ffff0000
    LDX xmm1, 0x0003fffe0180017f, 0x7fffffff80000001
    paddq xmm0, xmm1
    EXPECT_X xmm0, 0x80027fff81010080, 0x000000017fff0001, "paddq xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ffe80017f80ff01, 0x80000001ffff0000
    LDX xmm1, 0x0003fffe0180017f, 0x7fffffff80000001
    paddsb xmm0, xmm1
    EXPECT_X xmm0, 0x7f0180ff7f80007f, 0xffffff0080ff0001, "paddsb xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ffe80017f80ff01, 0x80000001ffff0000
    LDX xmm1, 0x0003fffe0180017f, 0x7fffffff80000001
    paddsw xmm0, xmm1
    EXPECT_X xmm0, 0x7fff80007fff0080, 0xffff000080000001, "paddsw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ffe80017f80ff01, 0x80000001ffff0000
    LDX xmm1, 0x0003fffe0180017f, 0x7fffffff80000001
    paddusb xmm0, xmm1
    EXPECT_X xmm0, 0x7fffffff80ffff80, 0xffffffffffff0001, "paddusb xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ffe80017f80ff01, 0x80000001ffff0000
    LDX xmm1, 0x0003fffe0180017f, 0x7fffffff80000001
    paddusw xmm0, xmm1
    EXPECT_X xmm0, 0x8001ffff8100ffff, 0xffffffffffff0001, "paddusw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ffe80017f80ff01, 0x80000001ffff0000
    LDX xmm1, 0x0003fffe0180017f, 0x7fffffff80000001
    psubb xmm0, xmm1
    EXPECT_X xmm0, 0x7ffb81037e00fe82, 0x010101027fff00ff, "psubb xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ffe80017f80ff01, 0x80000001ffff0000
    LDX xmm1, 0x0003fffe0180017f, 0x7fffffff80000001
    psubw xmm0, xmm1
    EXPECT_X xmm0, 0x7ffb80037e00fd82, 0x000100027fffffff, "psubw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ffe80017f80ff01, 0x80000001ffff0000
    LDX xmm1, 0x0003fffe0180017f, 0x7fffffff80000001
    psubd xmm0, xmm1
    EXPECT_X xmm0, 0x7ffa80037e00fd82, 0x000000027ffeffff, "psubd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ffe80017f80ff01, 0x80000001ffff0000
    LDX xmm1, 0x0003fffe0180017f, 0x7fffffff80000001
    psubq xmm0, xmm1
    EXPECT_X xmm0, 0x7ffa80037e00fd82, 0x000000027ffeffff, "psubq xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ffe80017f80ff01, 0x80000001ffff0000
    LDX xmm1, 0x0003fffe0180017f, 0x7fffffff80000001
    psubsb xmm0, xmm1
    EXPECT_X xmm0, 0x7ffb81037e00fe82, 0x800101027fff00ff, "psubsb xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ffe80017f80ff01, 0x80000001ffff0000
    LDX xmm1, 0x0003fffe0180017f, 0x7fffffff80000001
    psubsw xmm0, xmm1
    EXPECT_X xmm0, 0x7ffb80037e00fd82, 0x800000027fffffff, "psubsw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ffe80017f80ff01, 0x80000001ffff0000
    LDX xmm1, 0x0003fffe0180017f, 0x7fffffff80000001
    psubusb xmm0, xmm1
    EXPECT_X xmm0, 0x7ffb00007e00fe00, 0x010000007fff0000, "psubusb xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ffe80017f80ff01, 0x80000001ffff0000
    LDX xmm1, 0x0003fffe0180017f, 0x7fffffff80000001
    psubusw xmm0, xmm1
    EXPECT_X xmm0, 0x7ffb00007e00fd82, 0x000100007fff0000, "psubusw xmm0, xmm1"
    ; ---- multiplies, averages, min/max, PSADBW ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1234fffe7fff8000, 0x400080010002ffff
    LDX xmm1, 0xfedc00037fff8000, 0x40007fff8000ffff
    pmullw xmm0, xmm1
    EXPECT_X xmm0, 0x3cb0fffa00010000, 0x0000ffff00000001, "pmullw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1234fffe7fff8000, 0x400080010002ffff
    LDX xmm1, 0xfedc00037fff8000, 0x40007fff8000ffff
    pmulhw xmm0, xmm1
    EXPECT_X xmm0, 0xffebffff3fff4000, 0x1000c000ffff0000, "pmulhw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1234fffe7fff8000, 0x400080010002ffff
    LDX xmm1, 0xfedc00037fff8000, 0x40007fff8000ffff
    pmulhuw xmm0, xmm1
    EXPECT_X xmm0, 0x121f00023fff4000, 0x10003fff0001fffe, "pmulhuw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1234fffe7fff8000, 0x400080010002ffff
    LDX xmm1, 0xfedc00037fff8000, 0x40007fff8000ffff
    pmaddwd xmm0, xmm1
    EXPECT_X xmm0, 0xffeb3caa7fff0001, 0xd000ffffffff0001, "pmaddwd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1234fffe7fff8000, 0x400080010002ffff
    LDX xmm1, 0xfedc00037fff8000, 0x40007fff8000ffff
    pmuludq xmm0, xmm1
    EXPECT_X xmm0, 0x3fff800040000000, 0x000180027ffc0001, "pmuludq xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1234fffe7fff8000, 0x400080010002ffff
    LDX xmm1, 0xfedc00037fff8000, 0x40007fff8000ffff
    pavgb xmm0, xmm1
    EXPECT_X xmm0, 0x888880817fff8000, 0x400080804001ffff, "pavgb xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1234fffe7fff8000, 0x400080010002ffff
    LDX xmm1, 0xfedc00037fff8000, 0x40007fff8000ffff
    pavgw xmm0, xmm1
    EXPECT_X xmm0, 0x888880017fff8000, 0x400080004001ffff, "pavgw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1234fffe7fff8000, 0x400080010002ffff
    LDX xmm1, 0xfedc00037fff8000, 0x40007fff8000ffff
    pminub xmm0, xmm1
    EXPECT_X xmm0, 0x123400037fff8000, 0x40007f010000ffff, "pminub xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1234fffe7fff8000, 0x400080010002ffff
    LDX xmm1, 0xfedc00037fff8000, 0x40007fff8000ffff
    pmaxub xmm0, xmm1
    EXPECT_X xmm0, 0xfedcfffe7fff8000, 0x400080ff8002ffff, "pmaxub xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1234fffe7fff8000, 0x400080010002ffff
    LDX xmm1, 0xfedc00037fff8000, 0x40007fff8000ffff
    pminsw xmm0, xmm1
    EXPECT_X xmm0, 0xfedcfffe7fff8000, 0x400080018000ffff, "pminsw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1234fffe7fff8000, 0x400080010002ffff
    LDX xmm1, 0xfedc00037fff8000, 0x40007fff8000ffff
    pmaxsw xmm0, xmm1
    EXPECT_X xmm0, 0x123400037fff8000, 0x40007fff0002ffff, "pmaxsw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1234fffe7fff8000, 0x400080010002ffff
    LDX xmm1, 0xfedc00037fff8000, 0x40007fff8000ffff
    psadbw xmm0, xmm1
    EXPECT_X xmm0, 0x000000000000038e, 0x0000000000000181, "psadbw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3c32281e140aff00, 0x0807060504030201
    LDX xmm1, 0x323c1e280a1400ff, 0x0102030405060708
    psadbw xmm0, xmm1
    EXPECT_X xmm0, 0x000000000000023a, 0x0000000000000020, "psadbw: two sums of |a-b|"
    LDMM mm0, 0x12345678ffffffff
    LDMM mm1, 0x87654321fffffffe
    pmuludq mm0, mm1
    EXPECT_MM mm0, 0xfffffffd00000002, "pmuludq mm (SSE2)"
    LDMM mm0, 0x7fffffffffffffff
    LDMM mm1, 0x0000000000000001
    paddq mm0, mm1
    EXPECT_MM mm0, 0x8000000000000000, "paddq mm (SSE2)"
    ; ---- compares and logic ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0xfe011010ff007f80, 0xffffffff00000000
    LDX xmm1, 0xfeff11100000807f, 0x7fffffff01000000
    pcmpeqb xmm0, xmm1
    EXPECT_X xmm0, 0xff0000ff00ff0000, 0x00ffffff00ffffff, "pcmpeqb xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xfe011010ff007f80, 0xffffffff00000000
    LDX xmm1, 0xfeff11100000807f, 0x7fffffff01000000
    pcmpeqw xmm0, xmm1
    EXPECT_X xmm0, 0x0000000000000000, 0x0000ffff0000ffff, "pcmpeqw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xfe011010ff007f80, 0xffffffff00000000
    LDX xmm1, 0xfeff11100000807f, 0x7fffffff01000000
    pcmpeqd xmm0, xmm1
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "pcmpeqd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xfe011010ff007f80, 0xffffffff00000000
    LDX xmm1, 0xfeff11100000807f, 0x7fffffff01000000
    pcmpgtb xmm0, xmm1
    EXPECT_X xmm0, 0x00ff00000000ff00, 0x0000000000000000, "pcmpgtb xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xfe011010ff007f80, 0xffffffff00000000
    LDX xmm1, 0xfeff11100000807f, 0x7fffffff01000000
    pcmpgtw xmm0, xmm1
    EXPECT_X xmm0, 0x000000000000ffff, 0x0000000000000000, "pcmpgtw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xfe011010ff007f80, 0xffffffff00000000
    LDX xmm1, 0xfeff11100000807f, 0x7fffffff01000000
    pcmpgtd xmm0, xmm1
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "pcmpgtd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xfe011010ff007f80, 0xffffffff00000000
    LDX xmm1, 0xfeff11100000807f, 0x7fffffff01000000
    pand xmm0, xmm1
    EXPECT_X xmm0, 0xfe01101000000000, 0x7fffffff00000000, "pand xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xfe011010ff007f80, 0xffffffff00000000
    LDX xmm1, 0xfeff11100000807f, 0x7fffffff01000000
    pandn xmm0, xmm1
    EXPECT_X xmm0, 0x00fe01000000807f, 0x0000000001000000, "pandn xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xfe011010ff007f80, 0xffffffff00000000
    LDX xmm1, 0xfeff11100000807f, 0x7fffffff01000000
    por xmm0, xmm1
    EXPECT_X xmm0, 0xfeff1110ff00ffff, 0xffffffff01000000, "por xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xfe011010ff007f80, 0xffffffff00000000
    LDX xmm1, 0xfeff11100000807f, 0x7fffffff01000000
    pxor xmm0, xmm1
    EXPECT_X xmm0, 0x00fe0100ff00ffff, 0x8000000001000000, "pxor xmm0, xmm1"
    ; ---- packs and unpacks ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0xff80007fff7f0080, 0xfeff010000020001
    LDX xmm1, 0xffff000180007fff, 0x0006000500040003
    packsswb xmm0, xmm1
    EXPECT_X xmm0, 0x807f0201807f807f, 0x06050403ff01807f, "packsswb xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffff7fff00008000, 0xffffffff00000001
    LDX xmm1, 0xffff800000007fff, 0x8000000000010000
    packssdw xmm0, xmm1
    EXPECT_X xmm0, 0xffff000180007fff, 0x80007fff80007fff, "packssdw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x008000ffffff0100, 0x0004000300020001
    LDX xmm1, 0x0000000180007fff, 0x01ff00fe00060005
    packuswb xmm0, xmm1
    EXPECT_X xmm0, 0x0403020180ff00ff, 0xfffe0605000100ff, "packuswb xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    LDX xmm1, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    punpcklbw xmm0, xmm1
    EXPECT_X xmm0, 0x1303120211011000, 0x1707160615051404, "punpcklbw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    LDX xmm1, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    punpcklwd xmm0, xmm1
    EXPECT_X xmm0, 0x1312030211100100, 0x1716070615140504, "punpcklwd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    LDX xmm1, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    punpckldq xmm0, xmm1
    EXPECT_X xmm0, 0x1312111003020100, 0x1716151407060504, "punpckldq xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    LDX xmm1, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    punpcklqdq xmm0, xmm1
    EXPECT_X xmm0, 0x0706050403020100, 0x1716151413121110, "punpcklqdq xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    LDX xmm1, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    punpckhbw xmm0, xmm1
    EXPECT_X xmm0, 0x1b0b1a0a19091808, 0x1f0f1e0e1d0d1c0c, "punpckhbw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    LDX xmm1, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    punpckhwd xmm0, xmm1
    EXPECT_X xmm0, 0x1b1a0b0a19180908, 0x1f1e0f0e1d1c0d0c, "punpckhwd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    LDX xmm1, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    punpckhdq xmm0, xmm1
    EXPECT_X xmm0, 0x1b1a19180b0a0908, 0x1f1e1d1c0f0e0d0c, "punpckhdq xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    LDX xmm1, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    punpckhqdq xmm0, xmm1
    EXPECT_X xmm0, 0x0f0e0d0c0b0a0908, 0x1f1e1d1c1b1a1918, "punpckhqdq xmm0, xmm1"
    ; ---- shifts: immediate, register (count in bits 63:0 of xmm1), byte shifts ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    psllw xmm0, 1
    EXPECT_X xmm0, 0xe01e2468fffc0002, 0xb4b40000fffe0002, "psllw xmm0, 1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    psllw xmm0, 16
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "psllw xmm0, 16"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    psrlw xmm0, 4
    EXPECT_X xmm0, 0x0f00012307ff0800, 0x05a508000fff0000, "psrlw xmm0, 4"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    psrlw xmm0, 17
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "psrlw xmm0, 17"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    psraw xmm0, 3
    EXPECT_X xmm0, 0xfe0102460ffff000, 0x0b4bf000ffff0000, "psraw xmm0, 3"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    psraw xmm0, 16
    EXPECT_X xmm0, 0xffff00000000ffff, 0x0000ffffffff0000, "psraw xmm0, 16"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    psraw xmm0, 200
    EXPECT_X xmm0, 0xffff00000000ffff, 0x0000ffffffff0000, "psraw xmm0, 200"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    pslld xmm0, 5
    EXPECT_X xmm0, 0x01e24680ffd00020, 0x4b500000ffe00020, "pslld xmm0, 5"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    pslld xmm0, 32
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "pslld xmm0, 32"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    psrld xmm0, 31
    EXPECT_X xmm0, 0x0000000100000000, 0x0000000000000001, "psrld xmm0, 31"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    psrad xmm0, 20
    EXPECT_X xmm0, 0xffffff00000007ff, 0x000005a5ffffffff, "psrad xmm0, 20"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    psrad xmm0, 32
    EXPECT_X xmm0, 0xffffffff00000000, 0x00000000ffffffff, "psrad xmm0, 32"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    psllq xmm0, 4
    EXPECT_X xmm0, 0x00f12347ffe80010, 0xa5a8000ffff00010, "psllq xmm0, 4"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    psllq xmm0, 64
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "psllq xmm0, 64"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    psrlq xmm0, 63
    EXPECT_X xmm0, 0x0000000000000001, 0x0000000000000000, "psrlq xmm0, 63"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    psrlq xmm0, 64
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "psrlq xmm0, 64"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    pslldq xmm0, 1
    EXPECT_X xmm0, 0x0f12347ffe800100, 0x5a8000ffff0001f0, "pslldq xmm0, 1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    pslldq xmm0, 15
    EXPECT_X xmm0, 0x0000000000000000, 0x0100000000000000, "pslldq xmm0, 15"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    pslldq xmm0, 16
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "pslldq xmm0, 16"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    pslldq xmm0, 255
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "pslldq xmm0, 255"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    psrldq xmm0, 3
    EXPECT_X xmm0, 0xff0001f00f12347f, 0x0000005a5a8000ff, "psrldq xmm0, 3"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    psrldq xmm0, 16
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "psrldq xmm0, 16"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000003, 0x0000000000000000
    psllw xmm0, xmm1
    EXPECT_X xmm0, 0x807891a0fff00008, 0xd2d00000fff80008, "psllw xmm0, xmm1 (count lo 0x3, hi 0x0)"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000010, 0x0000000000000000
    psraw xmm0, xmm1
    EXPECT_X xmm0, 0xffff00000000ffff, 0x0000ffffffff0000, "psraw xmm0, xmm1 (count lo 0x10, hi 0x0)"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000100000001, 0x0000000000000000
    psrad xmm0, xmm1
    EXPECT_X xmm0, 0xffffffff00000000, 0x00000000ffffffff, "psrad xmm0, xmm1 (count lo 0x100000001, hi 0x0)"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000001, 0x00000000000000ff
    psrlq xmm0, xmm1
    EXPECT_X xmm0, 0x7807891a3fff4000, 0x2d2d40007fff8000, "psrlq xmm0, xmm1 (count lo 0x1, hi 0xff)"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x8000000000000000, 0x0000000000000000
    psllq xmm0, xmm1
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "psllq xmm0, xmm1 (count lo 0x8000000000000000, hi 0x0)"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf00f12347ffe8001, 0x5a5a8000ffff0001
    LDX xmm1, 0x0000000000000002, 0xffffffffffffffff
    psrld xmm0, xmm1
    EXPECT_X xmm0, 0x3c03c48d1fffa000, 0x1696a0003fffc000, "psrld xmm0, xmm1 (count lo 0x2, hi 0xffffffffffffffff)"
    ; ---- shuffles, PMOVMSKB, PINSRW/PEXTRW, MOVD/MOVQ ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    pshufd xmm0, xmm1, 0x1b
    EXPECT_X xmm0, 0x0b0a09080f0e0d0c, 0x0302010007060504, "pshufd xmm0, xmm1, 0x1b"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    pshufd xmm0, xmm1, 0x00
    EXPECT_X xmm0, 0x0302010003020100, 0x0302010003020100, "pshufd xmm0, xmm1, 0x00"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    pshufd xmm0, xmm1, 0xe4
    EXPECT_X xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908, "pshufd xmm0, xmm1, 0xe4"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    pshufd xmm0, xmm1, 0x9c
    EXPECT_X xmm0, 0x0f0e0d0c03020100, 0x0b0a090807060504, "pshufd xmm0, xmm1, 0x9c"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    pshufhw xmm0, xmm1, 0x1b
    EXPECT_X xmm0, 0x0706050403020100, 0x09080b0a0d0c0f0e, "pshufhw xmm0, xmm1, 0x1b"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    pshuflw xmm0, xmm1, 0x72
    EXPECT_X xmm0, 0x0302070601000504, 0x0f0e0d0c0b0a0908, "pshuflw xmm0, xmm1, 0x72"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xfe011010ff007f80, 0xffffffff00000000
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0xffffffff
    pmovmskb eax, xmm0
    EXPECT_R eax, 0x0000f089, "pmovmskb eax, xmm0: eax"
    LDMM mm0, 0x80ff017f00fe8081
    LDMM mm1, 0x0000000000000000
    mov eax, 0xffffffff
    pmovmskb eax, mm0
    EXPECT_R eax, 0x000000c7, "pmovmskb eax, mm0: eax"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0xdeadbeef
    pinsrw xmm0, eax, 5
    EXPECT_X xmm0, 0x0706050403020100, 0x0f0e0d0cbeef0908, "pinsrw xmm0, eax, 5"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x1234abcd
    pinsrw xmm0, eax, 13
    EXPECT_X xmm0, 0x0706050403020100, 0x0f0e0d0cabcd0908, "pinsrw imm 13 uses bits 2:0 (lane 5)"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0xffffffff
    pextrw eax, xmm0, 7
    EXPECT_R eax, 0x00000f0e, "pextrw eax, xmm0, 7: eax"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0xffffffff
    pextrw eax, xmm0, 10
    EXPECT_R eax, 0x00000504, "pextrw imm 10 uses bits 2:0 (lane 2): eax"
    LDMM mm0, 0x1122334455667788
    LDMM mm1, 0x0000000000000000
    mov eax, 0xcafe
    pinsrw mm0, eax, 2
    EXPECT_MM mm0, 0x1122cafe55667788, "pinsrw mm0, eax, 2"
    LDMM mm0, 0x1122334455667788
    LDMM mm1, 0x0000000000000000
    mov eax, 0xffffffff
    pextrw eax, mm0, 3
    EXPECT_R eax, 0x00001122, "pextrw eax, mm0, 3: eax"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x89abcdef
    movd xmm0, eax
    EXPECT_X xmm0, 0x0000000089abcdef, 0x0000000000000000, "movd xmm0, eax zero-extends to 128 bits"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x0
    movd eax, xmm0
    EXPECT_R eax, 0x03020100, "movd eax, xmm0: eax"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    LDX xmm1, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    movq xmm0, xmm1
    EXPECT_X xmm0, 0x1716151413121110, 0x0000000000000000, "movq xmm0, xmm1 zeroes bits 127:64"
    SET_MXCSR 0x1f80
    LDMM mm0, 0x0706050403020100
    LDMM mm1, 0x0123456789abcdef
    LDX xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    LDX xmm1, 0x0123456789abcdef, 0x0000000000000000
    movq2dq xmm0, mm1
    EXPECT_X xmm0, 0x0123456789abcdef, 0x0000000000000000, "movq2dq"
    LDMM mm0, 0x0000000000000000
    LDMM mm1, 0x1716151413121110
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    movdq2q mm0, xmm1
    EXPECT_MM mm0, 0x1716151413121110, "movdq2q"
    emms

    ; ---- alignment ----
    LDX xmm1, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    movdqu [SBUF + 0x201], xmm1
    movdqu xmm0, [SBUF + 0x201]
    EXPECT_X xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908, "MOVDQU store/load at a misaligned address"
    TRY
    movdqa xmm0, [SBUF + 0x208]
    CATCH 13, 0, "MOVDQA load misaligned by 8: #GP(0)"
    TRY
    movdqa [SBUF + 0x201], xmm0
    CATCH 13, 0, "MOVDQA store misaligned by 1: #GP(0)"
    TRY
    paddb xmm0, [SBUF + 0x204]
    CATCH 13, 0, "PADDB xmm, m128 misaligned: #GP(0)"
    TRY
    movntdq [SBUF + 0x208], xmm1
    CATCH 13, 0, "MOVNTDQ misaligned: #GP(0)"
    movdqa [SBUF + 0x200], xmm1
    LDX xmm0, 0, 0
    movdqa xmm0, [SBUF + 0x200]
    EXPECT_X xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908, "MOVDQA aligned"
    LDX xmm2, 0x1111111111111111, 0x2222222222222222
    movntdq [SBUF + 0x200], xmm2
    sfence
    movdqu xmm0, [SBUF + 0x200]
    EXPECT_X xmm0, 0x1111111111111111, 0x2222222222222222, "MOVNTDQ aligned stores"
    movq [SBUF + 0x210], xmm1
    EXPECT_MEM SBUF + 0x210, "MOVQ m64, xmm", 0x03020100, 0x07060504
    mov dword [SBUF + 0x218], 0x55555555
    movd [SBUF + 0x218], xmm1
    EXPECT_MEM SBUF + 0x218, "MOVD m32, xmm", 0x03020100

    ; ---- MASKMOVDQU: bytes with mask bit 7 set go to DS:EDI (misaligned is fine) ----
    LDX xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    LDX xmm1, 0x00ff7f80ff000080, 0x8000000000000081
    mov dword [SBUF + 0x301], 0xeeeeeeee
    mov dword [SBUF + 0x305], 0xeeeeeeee
    mov dword [SBUF + 0x309], 0xeeeeeeee
    mov dword [SBUF + 0x30d], 0xeeeeeeee
    mov edi, SBUF + 0x301
    maskmovdqu xmm0, xmm1
    EXPECT_MEM SBUF + 0x301, "MASKMOVDQU writes the selected bytes only", 0x03eeee00, 0xee06ee04, 0xeeeeee08, 0x0feeeeee

    ; ---- a pending unmasked x87 exception: SSE on XMM registers goes on, an
    ;      instruction that touches an MMX register takes #MF ----
    fninit
    mov word [SBUF + 0x60], 0x037b      ; ZM=0
    fldcw [SBUF + 0x60]
    fldz
    fld1
    fdiv st0, st1                       ; ZE now pending
    LDX xmm0, 1, 2
    LDX xmm1, 3, 4
    paddq xmm0, xmm1                    ; a fault here is reported as unexpected
    EXPECT_X xmm0, 4, 6, "PADDQ xmm with a pending x87 exception: no #MF"
    QEMU_DEPARTS_BEGIN
    TRY
    movdq2q mm0, xmm1
    XCATCH 16, -1, "MOVDQ2Q with a pending x87 exception: #MF"
    QEMU_DEPARTS_END
    fnclex
    fninit
    emms

    ; ---- MOVNTI, the fences, PREFETCHh, CLFLUSH and PAUSE touch no SSE state: they run
    ;      with CR0.TS=1 and CR4.OSFXSR=0 (SDM vol. 3 2.5, CR0.TS) ----
    mov eax, cr0
    or eax, 8
    mov cr0, eax
    mov eax, cr4
    and eax, ~CR4_OSFXSR
    mov cr4, eax
    mov ebx, 0x13579bdf
    movnti [SBUF + 0x400], ebx          ; a fault here is reported as unexpected
    sfence
    lfence
    mfence
    prefetchnta [SBUF + 0x400]
    prefetcht0 [SBUF + 0x400]
    clflush [SBUF + 0x400]
    pause
    clts
    mov eax, cr4
    or eax, CR4_OSFXSR
    mov cr4, eax
    EXPECT_MEM SBUF + 0x400, "MOVNTI/fences/PREFETCH/CLFLUSH/PAUSE with CR0.TS=1, OSFXSR=0", 0x13579bdf
    TRY
    db 0xf0                             ; LOCK
    paddd xmm0, [SBUF]
    CATCH 6, -1, "LOCK PADDD xmm, m128: #UD"

    ; ---- #NM, #UD ----
    mov eax, cr0
    or eax, 8
    mov cr0, eax
    TRY
    paddb xmm0, xmm1
    CATCH 7, -1, "PADDB xmm with CR0.TS=1: #NM"
    clts
    mov eax, cr0
    or eax, 4
    mov cr0, eax
    TRY
    paddb xmm0, xmm1
    CATCH 6, -1, "PADDB xmm with CR0.EM=1: #UD"
    mov eax, cr0
    and eax, ~4
    mov cr0, eax
    mov eax, cr4
    and eax, ~CR4_OSFXSR
    mov cr4, eax
    TRY
    paddb xmm0, xmm1
    CATCH 6, -1, "PADDB xmm with CR4.OSFXSR=0: #UD"
    TRY
    movdqu xmm0, [SBUF]
    CATCH 6, -1, "MOVDQU with CR4.OSFXSR=0: #UD"
    LDMM mm0, 0x0102030405060708
    LDMM mm1, 0x0101010101010101
    paddb mm0, mm1
    EXPECT_MM mm0, 0x0203040506070809, "MMX PADDB still runs with CR4.OSFXSR=0"
    emms
    mov eax, cr4
    or eax, CR4_OSFXSR
    mov cr4, eax
    LDX xmm0, 1, 2
    EXPECT_X xmm0, 1, 2, "SSE works again with CR4.OSFXSR=1"
    FINISH32

bits 16
gdt_template:
    GDT_STANDARD
gdt_template_end:

    PM_LIB
    SSE_LIB
ROM_END
