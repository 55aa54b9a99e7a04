; mmx_basic.asm — MMX (SDM vol. 1 ch. 9, vol. 2 instruction pages): the
; integer operations with wraparound and saturation, multiplies, compares,
; packs/unpacks, shifts by immediate and by register (counts beyond the
; element width give 0, or sign fill for PSRA), MOVD/MOVQ; the aliasing
; with the x87 state (SDM vol. 1 9.5: an MMX instruction sets TOP=0 and
; all tags valid, writing MMn sets bits 79:64 of x87 register Rn to
; 0xFFFF; EMMS empties all tags), seen through FNSTENV/FNSAVE (whose full
; tag word is computed from the register contents: exponent 0x7FFF is
; "special", 10b); #NM with CR0.TS=1 and #UD with CR0.EM=1 (SDM vol. 3
; table 12-1), #MF for a pending unmasked x87 exception (CR0.NE=1; SDM
; vol. 3 12.5.1). 32-bit protected mode. Expected values follow the SDM's
; definitions and were confirmed on a host CPU (AMD EPYC).
;
; qemu-differs: QEMU 7.2 leaves bits 79:64 of Rn alone when MMn is written
; (the SDM and the host CPU set them to FFFF, so FNSTENV/FNSAVE show the
; register as special), EMMS does not take #NM with CR0.TS=1 (SDM EMMS
; page) and MMX instructions do not take #MF for a pending x87 exception
; (SDM vol. 3 12.5.1; the host CPU does); these 8 checks
; print "qemu-departs" under QEMU TCG.
; qemu-cmd: qemu-system-x86_64 -cpu max
; (rawbox-args: --cpu max, once `rawbox run` takes --cpu)
%include "rom.inc"
%include "pm.inc"
%include "sse.inc"

start:
    ROM_INIT
    PUTS `mmx_basic: MMX in 32-bit protected mode\n`
    PUTS `note: QEMU does not set bits 79:64 to FFFF on MMX writes, nor fault EMMS with CR0.TS, nor raise #MF before MMX (SDM wins)\n`
    NEED_CPUID1 edx, 23, "no MMX"
    SSE_DETECT_QEMU
    PM_SETUP
    PM_ENTER32 pm_start

bits 32
pm_start:
    SSE_ENABLE 0

    ; ---- aliasing with the x87 registers ----
    fninit
    fnstenv [SBUF + 0x100]
    movzx eax, word [SBUF + 0x100 + 8]
    EXPECT_R eax, 0xffff, "FNINIT: FTW FFFF"
    LDMM mm0, 0x0000000000000000
    LDMM mm1, 0x1111111111111111
    LDMM mm2, 0x2222222222222222
    LDMM mm3, 0x0123456789abcdef
    LDMM mm4, 0x4444444444444444
    LDMM mm5, 0x5555555555555555
    LDMM mm6, 0x6666666666666666
    LDMM mm7, 0x7777777777777777
    emms
    fnstenv [SBUF + 0x100]
    movzx eax, word [SBUF + 0x100 + 8]
    EXPECT_R eax, 0xffff, "EMMS: FTW FFFF (all empty)"
    fninit
    fld1                        ; TOP=7: R7 = 1.0 (MM7 = 8000000000000000)
    movq mm6, [0xF0000 + mmx_k_pattern]   ; an MMX instruction: TOP=0, tags valid
    fnstenv [SBUF + 0x100]
    movzx eax, word [SBUF + 0x100 + 4]
    and eax, 0x3800
    EXPECT_R eax, 0, "MMX instruction sets TOP=0"
    movzx eax, word [SBUF + 0x100 + 8]
    QEMU_DEPARTS_BEGIN
    EXPECT_R eax, 0x2aaa, "MMX instruction: all tags non-empty (R0-R6 special, R7=1.0 valid)"
    QEMU_DEPARTS_END
    EXPECT_MM mm7, 0x8000000000000000, "MM7 is the mantissa of FLD1 in R7"
    EXPECT_MM mm3, 0x0123456789abcdef, "MM3 survives EMMS and FNINIT"
    fnsave [SBUF + 0x100]       ; R0..R7 at offset 28, 10 bytes each (TOP=0)
    EXPECT_MEM SBUF + 0x100 + 28 + 3 * 10, "MOVQ MM3: R3 = mantissa, exponent FFFF", 0x89abcdef, 0x01234567
    QEMU_DEPARTS_BEGIN
    movzx eax, word [SBUF + 0x100 + 28 + 3 * 10 + 8]
    EXPECT_R eax, 0xffff, "MOVQ MM3: R3 bits 79:64 = FFFF"
    movzx eax, word [SBUF + 0x100 + 28 + 0 * 10 + 8]
    EXPECT_R eax, 0xffff, "MOVQ MM0 (zero): R0 bits 79:64 = FFFF"
    QEMU_DEPARTS_END
    movzx eax, word [SBUF + 0x100 + 28 + 7 * 10 + 8]
    EXPECT_R eax, 0x3fff, "R7 keeps FLD1's exponent"
    movzx eax, word [SBUF + 0x100 + 8]
    QEMU_DEPARTS_BEGIN
    EXPECT_R eax, 0x2aaa, "FNSAVE tag word"
    QEMU_DEPARTS_END
    fninit
    movd mm2, [0xF0000 + mmx_k_pattern]
    EXPECT_MM mm2, 0x00000000deadbeef, "MOVD mm, m32 zero-extends"
    movq [SBUF + 0x40], mm3
    EXPECT_MEM SBUF + 0x40, "MOVQ m64, mm", 0x89abcdef, 0x01234567
    movd [SBUF + 0x48], mm3
    EXPECT_MEM SBUF + 0x48, "MOVD m32, mm", 0x89abcdef
    emms

    ; ---- the operations ----
    ; ---- PADD/PSUB: wraparound, signed and unsigned saturation ----
    LDMM mm0, 0x7ffe80017f80ff01
    LDMM mm1, 0x0003fffe0180017f
    paddb mm0, mm1
    EXPECT_MM mm0, 0x7f017fff80000080, "paddb mm0, mm1"
    LDMM mm0, 0x7ffe80017f80ff01
    LDMM mm1, 0x0003fffe0180017f
    paddw mm0, mm1
    EXPECT_MM mm0, 0x80017fff81000080, "paddw mm0, mm1"
    LDMM mm0, 0x7ffe80017f80ff01
    LDMM mm1, 0x0003fffe0180017f
    paddd mm0, mm1
    EXPECT_MM mm0, 0x80027fff81010080, "paddd mm0, mm1"
    LDMM mm0, 0x7ffe80017f80ff01
    LDMM mm1, 0x0003fffe0180017f
    paddsb mm0, mm1
    EXPECT_MM mm0, 0x7f0180ff7f80007f, "paddsb mm0, mm1"
    LDMM mm0, 0x7ffe80017f80ff01
    LDMM mm1, 0x0003fffe0180017f
    paddsw mm0, mm1
    EXPECT_MM mm0, 0x7fff80007fff0080, "paddsw mm0, mm1"
    LDMM mm0, 0x7ffe80017f80ff01
    LDMM mm1, 0x0003fffe0180017f
    paddusb mm0, mm1
    EXPECT_MM mm0, 0x7fffffff80ffff80, "paddusb mm0, mm1"
    LDMM mm0, 0x7ffe80017f80ff01
    LDMM mm1, 0x0003fffe0180017f
    paddusw mm0, mm1
    EXPECT_MM mm0, 0x8001ffff8100ffff, "paddusw mm0, mm1"
    LDMM mm0, 0x7ffe80017f80ff01
    LDMM mm1, 0x0003fffe0180017f
    psubb mm0, mm1
    EXPECT_MM mm0, 0x7ffb81037e00fe82, "psubb mm0, mm1"
    LDMM mm0, 0x7ffe80017f80ff01
    LDMM mm1, 0x0003fffe0180017f
    psubw mm0, mm1
    EXPECT_MM mm0, 0x7ffb80037e00fd82, "psubw mm0, mm1"
    LDMM mm0, 0x7ffe80017f80ff01
    LDMM mm1, 0x0003fffe0180017f
    psubd mm0, mm1
    EXPECT_MM mm0, 0x7ffa80037e00fd82, "psubd mm0, mm1"
    LDMM mm0, 0x7ffe80017f80ff01
    LDMM mm1, 0x0003fffe0180017f
    psubsb mm0, mm1
    EXPECT_MM mm0, 0x7ffb81037e00fe82, "psubsb mm0, mm1"
    LDMM mm0, 0x7ffe80017f80ff01
    LDMM mm1, 0x0003fffe0180017f
    psubsw mm0, mm1
    EXPECT_MM mm0, 0x7ffb80037e00fd82, "psubsw mm0, mm1"
    LDMM mm0, 0x7ffe80017f80ff01
    LDMM mm1, 0x0003fffe0180017f
    psubusb mm0, mm1
    EXPECT_MM mm0, 0x7ffb00007e00fe00, "psubusb mm0, mm1"
    LDMM mm0, 0x7ffe80017f80ff01
    LDMM mm1, 0x0003fffe0180017f
    psubusw mm0, mm1
    EXPECT_MM mm0, 0x7ffb00007e00fd82, "psubusw mm0, mm1"
    ; ---- multiplies ----
    LDMM mm0, 0x1234fffe7fff8000
    LDMM mm1, 0xfedc00037fff8000
    pmullw mm0, mm1
    EXPECT_MM mm0, 0x3cb0fffa00010000, "pmullw mm0, mm1"
    LDMM mm0, 0x1234fffe7fff8000
    LDMM mm1, 0xfedc00037fff8000
    pmulhw mm0, mm1
    EXPECT_MM mm0, 0xffebffff3fff4000, "pmulhw mm0, mm1"
    LDMM mm0, 0x1234fffe7fff8000
    LDMM mm1, 0xfedc00037fff8000
    pmaddwd mm0, mm1
    EXPECT_MM mm0, 0xffeb3caa7fff0001, "pmaddwd mm0, mm1"
    LDMM mm0, 0x0002000180008000
    LDMM mm1, 0x0004000380008000
    pmaddwd mm0, mm1
    EXPECT_MM mm0, 0x0000000b80000000, "pmaddwd 0x8000*0x8000*2 wraps to 0x80000000"
    ; ---- compares ----
    LDMM mm0, 0xfe011010ff007f80
    LDMM mm1, 0xfeff11100000807f
    pcmpeqb mm0, mm1
    EXPECT_MM mm0, 0xff0000ff00ff0000, "pcmpeqb mm0, mm1"
    LDMM mm0, 0xfe011010ff007f80
    LDMM mm1, 0xfeff11100000807f
    pcmpeqw mm0, mm1
    EXPECT_MM mm0, 0x0000000000000000, "pcmpeqw mm0, mm1"
    LDMM mm0, 0xfe011010ff007f80
    LDMM mm1, 0xfeff11100000807f
    pcmpeqd mm0, mm1
    EXPECT_MM mm0, 0x0000000000000000, "pcmpeqd mm0, mm1"
    LDMM mm0, 0xfe011010ff007f80
    LDMM mm1, 0xfeff11100000807f
    pcmpgtb mm0, mm1
    EXPECT_MM mm0, 0x00ff00000000ff00, "pcmpgtb mm0, mm1"
    LDMM mm0, 0xfe011010ff007f80
    LDMM mm1, 0xfeff11100000807f
    pcmpgtw mm0, mm1
    EXPECT_MM mm0, 0x000000000000ffff, "pcmpgtw mm0, mm1"
    LDMM mm0, 0xfe011010ff007f80
    LDMM mm1, 0xfeff11100000807f
    pcmpgtd mm0, mm1
    EXPECT_MM mm0, 0x0000000000000000, "pcmpgtd mm0, mm1"
    ; ---- logic ----
    LDMM mm0, 0xf0f0ff00aa55cc33
    LDMM mm1, 0x0ff0f0f00f0f3c3c
    pand mm0, mm1
    EXPECT_MM mm0, 0x00f0f0000a050c30, "pand mm0, mm1"
    LDMM mm0, 0xf0f0ff00aa55cc33
    LDMM mm1, 0x0ff0f0f00f0f3c3c
    pandn mm0, mm1
    EXPECT_MM mm0, 0x0f0000f0050a300c, "pandn mm0, mm1"
    LDMM mm0, 0xf0f0ff00aa55cc33
    LDMM mm1, 0x0ff0f0f00f0f3c3c
    por mm0, mm1
    EXPECT_MM mm0, 0xfff0fff0af5ffc3f, "por mm0, mm1"
    LDMM mm0, 0xf0f0ff00aa55cc33
    LDMM mm1, 0x0ff0f0f00f0f3c3c
    pxor mm0, mm1
    EXPECT_MM mm0, 0xff000ff0a55af00f, "pxor mm0, mm1"
    ; ---- packs and unpacks ----
    LDMM mm0, 0xff80007fff7f0080
    LDMM mm1, 0xffff000180007fff
    packsswb mm0, mm1
    EXPECT_MM mm0, 0xff01807f807f807f, "packsswb mm0, mm1"
    LDMM mm0, 0xffff7fff00008000
    LDMM mm1, 0xffff800000007fff
    packssdw mm0, mm1
    EXPECT_MM mm0, 0x80007fff80007fff, "packssdw mm0, mm1"
    LDMM mm0, 0x008000ffffff0100
    LDMM mm1, 0x0000000180007fff
    packuswb mm0, mm1
    EXPECT_MM mm0, 0x000100ff80ff00ff, "packuswb mm0, mm1"
    LDMM mm0, 0x0706050403020100
    LDMM mm1, 0x1716151413121110
    punpcklbw mm0, mm1
    EXPECT_MM mm0, 0x1303120211011000, "punpcklbw mm0, mm1"
    LDMM mm0, 0x0706050403020100
    LDMM mm1, 0x1716151413121110
    punpcklwd mm0, mm1
    EXPECT_MM mm0, 0x1312030211100100, "punpcklwd mm0, mm1"
    LDMM mm0, 0x0706050403020100
    LDMM mm1, 0x1716151413121110
    punpckldq mm0, mm1
    EXPECT_MM mm0, 0x1312111003020100, "punpckldq mm0, mm1"
    LDMM mm0, 0x0706050403020100
    LDMM mm1, 0x1716151413121110
    punpckhbw mm0, mm1
    EXPECT_MM mm0, 0x1707160615051404, "punpckhbw mm0, mm1"
    LDMM mm0, 0x0706050403020100
    LDMM mm1, 0x1716151413121110
    punpckhwd mm0, mm1
    EXPECT_MM mm0, 0x1716070615140504, "punpckhwd mm0, mm1"
    LDMM mm0, 0x0706050403020100
    LDMM mm1, 0x1716151413121110
    punpckhdq mm0, mm1
    EXPECT_MM mm0, 0x1716151407060504, "punpckhdq mm0, mm1"
    ; ---- shifts by immediate and by register; counts >= width ----
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000000
    psllw mm0, 1
    EXPECT_MM mm0, 0xe01e2468fffc0002, "psllw mm0, 1"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000000
    psllw mm0, 15
    EXPECT_MM mm0, 0x8000000000008000, "psllw mm0, 15"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000000
    psllw mm0, 16
    EXPECT_MM mm0, 0x0000000000000000, "psllw mm0, 16"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000000
    psrlw mm0, 4
    EXPECT_MM mm0, 0x0f00012307ff0800, "psrlw mm0, 4"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000000
    psrlw mm0, 16
    EXPECT_MM mm0, 0x0000000000000000, "psrlw mm0, 16"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000000
    psraw mm0, 3
    EXPECT_MM mm0, 0xfe0102460ffff000, "psraw mm0, 3"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000000
    psraw mm0, 15
    EXPECT_MM mm0, 0xffff00000000ffff, "psraw mm0, 15"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000000
    psraw mm0, 16
    EXPECT_MM mm0, 0xffff00000000ffff, "psraw mm0, 16"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000000
    psraw mm0, 255
    EXPECT_MM mm0, 0xffff00000000ffff, "psraw mm0, 255"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000000
    pslld mm0, 5
    EXPECT_MM mm0, 0x01e24680ffd00020, "pslld mm0, 5"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000000
    pslld mm0, 32
    EXPECT_MM mm0, 0x0000000000000000, "pslld mm0, 32"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000000
    psrld mm0, 31
    EXPECT_MM mm0, 0x0000000100000000, "psrld mm0, 31"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000000
    psrad mm0, 20
    EXPECT_MM mm0, 0xffffff00000007ff, "psrad mm0, 20"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000000
    psrad mm0, 33
    EXPECT_MM mm0, 0xffffffff00000000, "psrad mm0, 33"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000000
    psllq mm0, 4
    EXPECT_MM mm0, 0x00f12347ffe80010, "psllq mm0, 4"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000000
    psllq mm0, 63
    EXPECT_MM mm0, 0x8000000000000000, "psllq mm0, 63"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000000
    psllq mm0, 64
    EXPECT_MM mm0, 0x0000000000000000, "psllq mm0, 64"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000000
    psrlq mm0, 8
    EXPECT_MM mm0, 0x00f00f12347ffe80, "psrlq mm0, 8"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000000
    psrlq mm0, 64
    EXPECT_MM mm0, 0x0000000000000000, "psrlq mm0, 64"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000003
    psllw mm0, mm1
    EXPECT_MM mm0, 0x807891a0fff00008, "psllw mm0, mm1 (count 0x3)"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000010
    psllw mm0, mm1
    EXPECT_MM mm0, 0x0000000000000000, "psllw mm0, mm1 (count 0x10)"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000100000002
    psrad mm0, mm1
    EXPECT_MM mm0, 0xffffffff00000000, "psrad mm0, mm1 (count 0x100000002)"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000011
    psraw mm0, mm1
    EXPECT_MM mm0, 0xffff00000000ffff, "psraw mm0, mm1 (count 0x11)"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000040
    psrlq mm0, mm1
    EXPECT_MM mm0, 0x0000000000000000, "psrlq mm0, mm1 (count 0x40)"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x0000000000000001
    psllq mm0, mm1
    EXPECT_MM mm0, 0xe01e2468fffd0002, "psllq mm0, mm1 (count 0x1)"
    LDMM mm0, 0xf00f12347ffe8001
    LDMM mm1, 0x8000000000000001
    psrld mm0, mm1
    EXPECT_MM mm0, 0x0000000000000000, "psrld mm0, mm1 (count 0x8000000000000001)"
    ; ---- MOVD / MOVQ ----
    LDMM mm0, 0x1122334455667788
    LDMM mm1, 0x0000000000000000
    mov eax, 0x89abcdef
    movd mm0, eax
    EXPECT_MM mm0, 0x0000000089abcdef, "movd mm0, eax zero-extends"
    LDMM mm0, 0x1122334455667788
    LDMM mm1, 0x0000000000000000
    mov eax, 0x0
    movd eax, mm0
    EXPECT_R eax, 0x55667788, "movd eax, mm0: eax"
    LDMM mm0, 0x1122334455667788
    LDMM mm1, 0x8877665544332211
    movq mm0, mm1
    EXPECT_MM mm0, 0x8877665544332211, "movq mm0, mm1"
    emms

    ; ---- #NM with CR0.TS=1, #UD with CR0.EM=1 ----
    mov eax, cr0
    or eax, 8
    mov cr0, eax
    TRY
    paddb mm0, mm1
    CATCH 7, -1, "PADDB with CR0.TS=1: #NM"
    QEMU_DEPARTS_BEGIN
    TRY
    emms
    XCATCH 7, -1, "EMMS with CR0.TS=1: #NM"
    QEMU_DEPARTS_END
    clts
    mov eax, cr0
    or eax, 4
    mov cr0, eax
    TRY
    paddb mm0, mm1
    CATCH 6, -1, "PADDB with CR0.EM=1: #UD"
    TRY
    movq mm0, [SBUF]
    CATCH 6, -1, "MOVQ with CR0.EM=1: #UD"
    mov eax, cr0
    and eax, ~4
    mov cr0, eax
    LDMM mm0, 0x0102030405060708
    EXPECT_MM mm0, 0x0102030405060708, "MMX works again with EM=TS=0"
    emms

    ; ---- a pending unmasked x87 exception: MMX instructions take #MF (CR0.NE=1) ----
    fninit
    mov word [SBUF + 0x60], 0x037b      ; ZM=0
    fldcw [SBUF + 0x60]
    fldz
    fld1
    fdiv st0, st1                       ; ZE now pending
    QEMU_DEPARTS_BEGIN
    TRY
    paddb mm0, mm1
    XCATCH 16, -1, "PADDB mm with a pending x87 exception: #MF"
    TRY
    emms
    XCATCH 16, -1, "EMMS with a pending x87 exception: #MF"
    TRY
    movq mm0, [SBUF]
    XCATCH 16, -1, "MOVQ mm, m64 with a pending x87 exception: #MF"
    QEMU_DEPARTS_END
    fnclex
    fninit
    LDMM mm0, 0x0102030405060708
    EXPECT_MM mm0, 0x0102030405060708, "MMX runs again after FNCLEX"
    emms
    FINISH32

mmx_k_pattern: dq 0xfeedfacedeadbeef

bits 16
gdt_template:
    GDT_STANDARD
gdt_template_end:

    PM_LIB
    SSE_LIB
ROM_END
