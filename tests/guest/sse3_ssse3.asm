; sse3_ssse3.asm — SSE3 (ADDSUBPS/PD, HADDPS/PD, HSUBPS/PD, MOVSHDUP,
; MOVSLDUP, MOVDDUP, LDDQU) and SSSE3 (PSHUFB, PHADD*/PHSUB* with and
; without saturation, PMADDUBSW, PMULHRSW, PALIGNR including counts of 16
; and more, PSIGN*, PABS*), on XMM and MMX registers. SDM vol. 2 pages.
; LDDQU and MOVDDUP m64 need no alignment; the other 128-bit memory forms
; do (#GP(0)). 32-bit protected mode; results (and the MXCSR flags of the
; float forms) follow the SDM, confirmed on a host CPU (AMD EPYC).
;
; qemu-differs: QEMU 7.2 does not check the alignment of the 128-bit memory
; operand of the SSE3 arithmetic forms (HADDPS, MOVSHDUP, ADDSUBPD...); the
; SDM and the host CPU fault with #GP(0). Those checks print "qemu-departs".
; qemu-cmd: qemu-system-x86_64 -cpu max
; (rawbox-args: --cpu max, once `rawbox run` takes --cpu)
%include "rom.inc"
%include "pm.inc"
%include "sse.inc"

start:
    ROM_INIT
    PUTS `sse3_ssse3: SSE3 and SSSE3 in 32-bit protected mode\n`
    NEED_CPUID1 edx, 26, "no SSE2"
    NEED_CPUID1 ecx, 0, "no SSE3"
    NEED_CPUID1 ecx, 9, "no SSSE3"
    SSE_DETECT_QEMU
    PM_SETUP
    PM_ENTER32 pm_start

bits 32
pm_start:
    SSE_ENABLE CR4_OSFXSR | CR4_OSXMMEXCPT
    ; ---- SSE3 ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x412000003fc00000, 0x501502f9c0000000
    LDX xmm1, 0x404000003e800000, 0x3f80000040800000
    addsubps xmm0, xmm1
    EXPECT_X xmm0, 0x415000003fa00000, 0x501502f9c0c00000, "addsubps xmm0, xmm1"
    EXPECT_MXCSR 0x1fa0, "addsubps xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x412000003fc00000, 0x501502f9c0000000
    LDX xmm1, 0x404000003e800000, 0x3f80000040800000
    haddps xmm0, xmm1
    EXPECT_X xmm0, 0x501502f941380000, 0x40a0000040500000, "haddps xmm0, xmm1"
    EXPECT_MXCSR 0x1fa0, "haddps xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x412000003fc00000, 0x501502f9c0000000
    LDX xmm1, 0x404000003e800000, 0x3f80000040800000
    hsubps xmm0, xmm1
    EXPECT_X xmm0, 0xd01502f9c1080000, 0x40400000c0300000, "hsubps xmm0, xmm1"
    EXPECT_MXCSR 0x1fa0, "hsubps xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3f8000007f800001, 0x7f800000ff800000
    LDX xmm1, 0x400000003f800000, 0x4080000040400000
    haddps xmm0, xmm1
    EXPECT_X xmm0, 0xffc000007fc00001, 0x40e0000040400000, "haddps SNaN and inf-inf"
    EXPECT_MXCSR 0x1f81, "haddps SNaN and inf-inf: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff8000000000000, 0x3fb999999999999a
    LDX xmm1, 0x4002000000000000, 0x4008000000000000
    addsubpd xmm0, xmm1
    EXPECT_X xmm0, 0xbfe8000000000000, 0x4008cccccccccccd, "addsubpd xmm0, xmm1"
    EXPECT_MXCSR 0x1fa0, "addsubpd xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff8000000000000, 0x3fb999999999999a
    LDX xmm1, 0x4002000000000000, 0x4008000000000000
    haddpd xmm0, xmm1
    EXPECT_X xmm0, 0x3ff999999999999a, 0x4015000000000000, "haddpd xmm0, xmm1"
    EXPECT_MXCSR 0x1fa0, "haddpd xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff8000000000000, 0x3fb999999999999a
    LDX xmm1, 0x4002000000000000, 0x4008000000000000
    hsubpd xmm0, xmm1
    EXPECT_X xmm0, 0x3ff6666666666666, 0xbfe8000000000000, "hsubpd xmm0, xmm1"
    EXPECT_MXCSR 0x1fa0, "hsubpd xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x2222222211111111, 0x4444444433333333
    movshdup xmm0, xmm1
    EXPECT_X xmm0, 0x2222222222222222, 0x4444444444444444, "movshdup xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x2222222211111111, 0x4444444433333333
    movsldup xmm0, xmm1
    EXPECT_X xmm0, 0x1111111111111111, 0x3333333333333333, "movsldup xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x2222222211111111, 0x4444444433333333
    movddup xmm0, xmm1
    EXPECT_X xmm0, 0x2222222211111111, 0x2222222211111111, "movddup xmm0, xmm1"
    ; ---- SSSE3 ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    LDX xmm1, 0x0707138f01800f00, 0x0e40057f040302ff
    pshufb xmm0, xmm1
    EXPECT_X xmm0, 0x1717130011001f10, 0x1e10151f14131200, "pshufb xmm0, xmm1"
    LDMM mm0, 0x0706050403020100
    LDMM mm1, 0x030002f001098007
    pshufb mm0, mm1
    EXPECT_MM mm0, 0x0300020001010007, "pshufb mm (index bits 2:0)"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffff800000017fff, 0x4000400000c80064
    LDX xmm1, 0x8000800000020001, 0xfffd00037fff7fff
    phaddw xmm0, xmm1
    EXPECT_X xmm0, 0x8000012c7fff8000, 0x0000fffe00000003, "phaddw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffff800000017fff, 0x4000400000c80064
    LDX xmm1, 0x8000800000020001, 0xfffd00037fff7fff
    phaddsw xmm0, xmm1
    EXPECT_X xmm0, 0x7fff012c80007fff, 0x00007fff80000003, "phaddsw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffff800000017fff, 0x4000400000c80064
    LDX xmm1, 0x8000800000020001, 0xfffd00037fff7fff
    phaddd xmm0, xmm1
    EXPECT_X xmm0, 0x40c840640000ffff, 0x7ffc800280028001, "phaddd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffff800000017fff, 0x4000400000c80064
    LDX xmm1, 0x8000800000020001, 0xfffd00037fff7fff
    phsubw xmm0, xmm1
    EXPECT_X xmm0, 0x0000ff9c80017ffe, 0x000600000000ffff, "phsubw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffff800000017fff, 0x4000400000c80064
    LDX xmm1, 0x8000800000020001, 0xfffd00037fff7fff
    phsubsw xmm0, xmm1
    EXPECT_X xmm0, 0x0000ff9c80017ffe, 0x000600000000ffff, "phsubsw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffff800000017fff, 0x4000400000c80064
    LDX xmm1, 0x8000800000020001, 0xfffd00037fff7fff
    phsubd xmm0, xmm1
    EXPECT_X xmm0, 0xc0c7c0640001ffff, 0x80027ffc80018001, "phsubd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffff800000017fff, 0x4000400000c80064
    LDX xmm1, 0x8000800000020001, 0xfffd00037fff7fff
    pmulhrsw xmm0, xmm1
    EXPECT_X xmm0, 0x0001800000000001, 0xffff000200c80064, "pmulhrsw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffff800000017fff, 0x4000400000c80064
    LDX xmm1, 0x8000800000020001, 0xfffd00037fff7fff
    psignb xmm0, xmm1
    EXPECT_X xmm0, 0x01008000000100ff, 0xc00000000038009c, "psignb xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffff800000017fff, 0x4000400000c80064
    LDX xmm1, 0x8000800000020001, 0xfffd00037fff7fff
    psignw xmm0, xmm1
    EXPECT_X xmm0, 0x0001800000017fff, 0xc000400000c80064, "psignw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffff800000017fff, 0x4000400000c80064
    LDX xmm1, 0x8000800000020001, 0xfffd00037fff7fff
    psignd xmm0, xmm1
    EXPECT_X xmm0, 0x0000800000017fff, 0xbfffc00000c80064, "psignd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xc8c800800201ffff, 0x0403ffff140a0000
    LDX xmm1, 0x7f7f008080807f7f, 0x06058080ffff0101
    pmaddubsw xmm0, xmm1
    EXPECT_X xmm0, 0x7fffc000fe807fff, 0x00278000ffe20000, "pmaddubsw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xc000400080008000, 0xffff12347fff0001
    LDX xmm1, 0x400040007fff8000, 0xffff56787fff4000
    pmulhrsw xmm0, xmm1
    EXPECT_X xmm0, 0xe000200080018000, 0x00000c4c7ffe0001, "pmulhrsw edge cases (8000*8000 -> 8000)"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xff10807f03020180, 0x0706050403020100
    LDX xmm1, 0xff00ffff800100ff, 0x0101010101010101
    psignb xmm0, xmm1
    EXPECT_X xmm0, 0x01008081fd020080, 0x0706050403020100, "psignb negate/zero/keep, -(-128) = -128"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x81fe800001ff7f80, 0x80000000ffff8000
    pabsb xmm0, xmm1
    EXPECT_X xmm0, 0x7f02800001017f80, 0x8000000001018000, "pabsb xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x81fe800001ff7f80, 0x80000000ffff8000
    pabsw xmm0, xmm1
    EXPECT_X xmm0, 0x7e02800001ff7f80, 0x8000000000018000, "pabsw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x81fe800001ff7f80, 0x80000000ffff8000
    pabsd xmm0, xmm1
    EXPECT_X xmm0, 0x7e01800001ff7f80, 0x8000000000008000, "pabsd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    LDX xmm1, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    palignr xmm0, xmm1, 0
    EXPECT_X xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908, "palignr xmm0, xmm1, 0"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    LDX xmm1, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    palignr xmm0, xmm1, 1
    EXPECT_X xmm0, 0x0807060504030201, 0x100f0e0d0c0b0a09, "palignr xmm0, xmm1, 1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    LDX xmm1, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    palignr xmm0, xmm1, 5
    EXPECT_X xmm0, 0x0c0b0a0908070605, 0x14131211100f0e0d, "palignr xmm0, xmm1, 5"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    LDX xmm1, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    palignr xmm0, xmm1, 15
    EXPECT_X xmm0, 0x161514131211100f, 0x1e1d1c1b1a191817, "palignr xmm0, xmm1, 15"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    LDX xmm1, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    palignr xmm0, xmm1, 16
    EXPECT_X xmm0, 0x1716151413121110, 0x1f1e1d1c1b1a1918, "palignr xmm0, xmm1, 16"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    LDX xmm1, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    palignr xmm0, xmm1, 17
    EXPECT_X xmm0, 0x1817161514131211, 0x001f1e1d1c1b1a19, "palignr xmm0, xmm1, 17"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    LDX xmm1, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    palignr xmm0, xmm1, 31
    EXPECT_X xmm0, 0x000000000000001f, 0x0000000000000000, "palignr xmm0, xmm1, 31"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    LDX xmm1, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    palignr xmm0, xmm1, 32
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "palignr xmm0, xmm1, 32"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    LDX xmm1, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    palignr xmm0, xmm1, 255
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "palignr xmm0, xmm1, 255"
    LDMM mm0, 0x1716151413121110
    LDMM mm1, 0x0706050403020100
    palignr mm0, mm1, 3
    EXPECT_MM mm0, 0x1211100706050403, "palignr mm, 3"
    LDMM mm0, 0x1716151413121110
    LDMM mm1, 0x0706050403020100
    palignr mm0, mm1, 12
    EXPECT_MM mm0, 0x0000000017161514, "palignr mm, 12"
    LDMM mm0, 0x0004000300020001
    LDMM mm1, 0x0006000500017fff
    phaddw mm0, mm1
    EXPECT_MM mm0, 0x000b800000070003, "phaddw mm"
    emms

    ; ---- memory forms ----
    LDX xmm1, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    movdqu [SBUF + 0x203], xmm1
    lddqu xmm0, [SBUF + 0x203]
    EXPECT_X xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908, "LDDQU misaligned"
    movddup xmm0, [SBUF + 0x205]
    EXPECT_X xmm0, 0x0908070605040302, 0x0908070605040302, "MOVDDUP xmm, m64 misaligned"
    TRY
    pshufb xmm0, [SBUF + 0x203]
    CATCH 13, 0, "PSHUFB xmm, m128 misaligned: #GP(0)"
    QEMU_DEPARTS_BEGIN
    TRY
    haddps xmm0, [SBUF + 0x208]
    XCATCH 13, 0, "HADDPS xmm, m128 misaligned: #GP(0)"
    TRY
    movshdup xmm0, [SBUF + 0x204]
    XCATCH 13, 0, "MOVSHDUP xmm, m128 misaligned: #GP(0)"
    TRY
    addsubpd xmm0, [SBUF + 0x201]
    XCATCH 13, 0, "ADDSUBPD xmm, m128 misaligned: #GP(0)"
    QEMU_DEPARTS_END
    TRY
    pabsb xmm0, [SBUF + 0x201]
    CATCH 13, 0, "PABSB xmm, m128 misaligned: #GP(0)"
    FINISH32

bits 16
gdt_template:
    GDT_STANDARD
gdt_template_end:

    PM_LIB
    SSE_LIB
ROM_END
