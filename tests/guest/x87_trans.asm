; x87_trans.asm — FSIN, FCOS, FSINCOS, FPTAN (C2 for |x| >= 2^63), FPATAN,
; F2XM1, FYL2X, FYL2XP1, FSCALE, FXTRACT, FPREM/FPREM1 (partial remainder
; with C2 and the quotient bits in C0/C3/C1), FRNDINT in each rounding
; mode, FSQRT specials. Operands are chosen so that the exact result is
; representable (or is a correctly rounded constant), so the expected bit
; patterns follow from the SDM and arithmetic alone. Real mode.
;
; qemu-differs: QEMU 7.2 computes FSIN/FCOS/FPTAN/FSINCOS of |x| >= 2^63
; with the host's libm instead of reporting C2=1 and leaving the operand
; (SDM FSIN/FCOS/FPTAN/FSINCOS pages), and FPREM1 does not report the
; quotient bits in C0/C3/C1; those 6 checks fail under QEMU.
%include "rom.inc"
%include "x87.inc"

%macro LDX 3                            ; store an 80-bit constant at addr and FLD it
    mov dword [%1], (%2) & 0xffffffff
    mov dword [%1 + 4], (%2) >> 32
    mov word [%1 + 8], %3
    fld tword [%1]
%endmacro
%macro LDI 1                            ; FILD an immediate
    mov dword [XTMP + 0xE0], %1
    fild dword [XTMP + 0xE0]
%endmacro
%macro RESULT 3                         ; FSTP ST0 and compare: mant, se, name
    fstp tword [XBUF]
    EXPECT_F80 XBUF, %1, %2, %3
%endmacro

start:
    ROM_INIT
    PUTS `x87_trans: real mode\n`
    PUTS `note: QEMU lacks C2/out-of-range handling for FSIN/FCOS/FPTAN/FSINCOS and FPREM1 quotient bits (SDM wins)\n`
    mov eax, cr0
    and eax, ~0x0c
    or eax, 0x22
    mov cr0, eax
    fninit

    ; ---- trigonometry ----
    fldz
    fsin
    EXPECT_SW 0x0400, 0x0000, "FSIN 0: C2=0"
    RESULT 0, 0, "FSIN +0 = +0"
    fldz
    fchs
    fsin
    RESULT 0, 0x8000, "FSIN -0 = -0"
    fldz
    fcos
    RESULT 0x8000000000000000, 0x3FFF, "FCOS 0 = 1"
    fldz
    fsincos
    RESULT 0x8000000000000000, 0x3FFF, "FSINCOS 0: ST0 = cos = 1"
    RESULT 0, 0, "FSINCOS 0: ST1 = sin = 0"
    fldz
    fptan
    RESULT 0x8000000000000000, 0x3FFF, "FPTAN pushes 1.0"
    RESULT 0, 0, "FPTAN 0 = 0"
    EXPECT_SW 0x3800, 0x0000, "trig results popped"
    LDX XTMP, 0x8000000000000000, 0x3FFF + 63          ; 2^63
    fsin
    EXPECT_SW 0x0400, 0x0400, "FSIN 2^63: C2=1 (out of range)"
    fcos
    EXPECT_SW 0x0400, 0x0400, "FCOS 2^63: C2=1"
    fptan
    EXPECT_SW 0x3c00, 0x3c00, "FPTAN 2^63: C2=1, nothing pushed"
    fsincos
    EXPECT_SW 0x3c00, 0x3c00, "FSINCOS 2^63: C2=1, nothing pushed"
    RESULT 0x8000000000000000, 0x3FFF + 63, "out-of-range operand left unchanged"
    LDX XTMP, 0xFFFFFFFFFFFFFFFF, 0x3FFF + 62          ; just below 2^63
    fcos
    EXPECT_SW 0x0400, 0x0000, "FCOS (2^63 - 1) in range: C2=0"
    fstp st0
    ; FPATAN
    fld1
    fld1
    fpatan
    RESULT 0xC90FDAA22168C235, 0x3FFE, "FPATAN(1, 1) = pi/4"
    fldz
    fld1
    fchs
    fpatan
    RESULT 0xC90FDAA22168C235, 0x4000, "FPATAN(+0, -1) = pi"
    fldz
    fchs
    fld1
    fpatan
    RESULT 0, 0x8000, "FPATAN(-0, 1) = -0"
    fld1
    fldz
    fpatan
    RESULT 0xC90FDAA22168C235, 0x3FFF, "FPATAN(1, +0) = pi/2"

    ; ---- exponentials and logarithms ----
    fld1
    f2xm1
    RESULT 0x8000000000000000, 0x3FFF, "F2XM1 1 = 1"
    fld1
    fchs
    f2xm1
    RESULT 0x8000000000000000, 0xBFFE, "F2XM1 -1 = -0.5"
    fldz
    fchs
    f2xm1
    RESULT 0, 0x8000, "F2XM1 -0 = -0"
    LDI 3
    LDI 8
    fyl2x
    RESULT 0x9000000000000000, 0x4002, "FYL2X 3*log2(8) = 9"
    LDI -5
    LDI 1
    fyl2x
    RESULT 0, 0x8000, "FYL2X -5*log2(1) = -0"
    fnclex
    fld1
    fldz
    fyl2x
    RESULT 0x8000000000000000, 0xFFFF, "FYL2X 1*log2(0) = -inf"
    EXPECT_SW 0x003f, 0x0004, "FYL2X log2(0) raises #Z"
    fnclex
    fld1
    fld1
    fchs
    fyl2x
    RESULT 0xC000000000000000, 0xFFFF, "FYL2X log2(-1): QNaN indefinite"
    EXPECT_SW 0x003f, 0x0001, "FYL2X log2(-1) raises #IA"
    fnclex
    fld1
    fldz
    fchs
    fyl2xp1
    RESULT 0, 0x8000, "FYL2XP1 1*log2(1 + -0) = -0"

    ; ---- FSCALE, FXTRACT ----
    LDI 10
    fld1
    fscale
    RESULT 0x8000000000000000, 0x4009, "FSCALE 1*2^10 = 1024"
    fstp st0
    LDX XTMP, 0xC000000000000000, 0xBFFF                ; -1.5
    LDI 3
    fscale
    RESULT 0xC000000000000000, 0x3FFF, "FSCALE 3*2^trunc(-1.5) = 1.5"
    fstp st0
    LDI -48
    fxtract
    RESULT 0xC000000000000000, 0xBFFF, "FXTRACT -48: significand -1.5"
    RESULT 0xA000000000000000, 0x4001, "FXTRACT -48: exponent 5"
    fnclex
    fldz
    fxtract
    EXPECT_SW 0x003f, 0x0004, "FXTRACT 0 raises #Z"
    RESULT 0, 0, "FXTRACT 0: significand 0"
    RESULT 0x8000000000000000, 0xFFFF, "FXTRACT 0: exponent -inf"
    fnclex

    ; ---- FPREM / FPREM1 ----
    LDI 3
    LDI 11
    fprem
    EXPECT_SW 0x4700, 0x4200, "FPREM 11,3: q=3 -> C3=Q1 C1=Q0, C0=Q2=0, C2=0"
    RESULT 0x8000000000000000, 0x4000, "FPREM 11 rem 3 = 2"
    LDI 11
    fprem1
    EXPECT_SW 0x4700, 0x0100, "FPREM1 11,3: q=4 -> C0=Q2"
    RESULT 0x8000000000000000, 0xBFFF, "FPREM1 11 rem 3 = -1"
    LDI -11
    fprem
    RESULT 0x8000000000000000, 0xC000, "FPREM -11 rem 3 = -2 (sign of dividend)"
    fstp st0
    LDI 3
    LDX XTMP, 0x8000000000000000, 0x3FFF + 100          ; 2^100
    fprem
    EXPECT_SW 0x0400, 0x0400, "FPREM 2^100 rem 3: C2=1 (partial)"
    mov cx, 10
.prem:
    fprem
    fnstsw ax
    test ah, 0x04
    loopnz .prem
    EXPECT_SW 0x0400, 0x0000, "FPREM loop completes"
    RESULT 0x8000000000000000, 0x3FFF, "2^100 rem 3 = 1"
    fstp st0

    ; ---- FRNDINT ----
%macro RND 4                            ; cw, value (as dword float), expected int, name
    SET_CW %1
    mov dword [XTMP + 0xE4], %2
    fld dword [XTMP + 0xE4]
    frndint
    fistp dword [XBUF]
    mov eax, [XBUF]
    cmp eax, %3
    CHECK %4
%endmacro
    RND 0x037f, 0xc0200000, -2, "FRNDINT -2.5 nearest -> -2"
    RND 0x077f, 0xc0200000, -3, "FRNDINT -2.5 down -> -3"
    RND 0x0b7f, 0x40200000, 3, "FRNDINT 2.5 up -> 3"
    RND 0x0f7f, 0xc02ccccd, -2, "FRNDINT -2.7 chop -> -2"
    SET_CW 0x037f
    fnclex
    LDX XTMP, 0xC000000000000000, 0x3FFE               ; 0.75
    fchs
    frndint
    RESULT 0x8000000000000000, 0xBFFF, "FRNDINT -0.75 -> -1"
    LDX XTMP, 0x8000000000000000, 0xBFFE               ; -0.5
    frndint
    RESULT 0, 0x8000, "FRNDINT -0.5 -> -0"

    ; ---- FSQRT specials ----
    fnclex
    fldz
    fchs
    fsqrt
    RESULT 0, 0x8000, "FSQRT -0 = -0"
    EXPECT_SW 0x003f, 0x0000, "FSQRT -0 raises nothing"
    LDI 9
    fsqrt
    RESULT 0xC000000000000000, 0x4000, "FSQRT 9 = 3 exactly"
    EXPECT_SW 0x003f, 0x0000, "exact FSQRT raises no #P"

    FINISH
    X87_LIB

ROM_END
