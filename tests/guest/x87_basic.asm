; x87_basic.asm — x87 state after FNINIT, constants, arithmetic in every
; rounding and precision mode, compares (status word and EFLAGS), FCMOVcc,
; FXAM, the register stack (tags, FXCH, FFREE, FINCSTP/FDECSTP) and the
; masked responses. Real mode. Stack faults and #D on loads, which QEMU
; does not model, are in x87_stack.asm.
; Exact bit patterns from the Intel SDM and exact arithmetic.
%include "rom.inc"
%include "x87.inc"

start:
    ROM_INIT
    PUTS `x87_basic: real mode\n`
    mov eax, cr0
    and eax, ~0x0c              ; EM=0 TS=0
    or eax, 0x22                ; MP=1 NE=1
    mov cr0, eax

    ; ---- FNINIT state ----
    fninit
    EXPECT_CW 0x037f, "FNINIT: FCW 037F"
    EXPECT_SW 0xffff, 0x0000, "FNINIT: FSW 0"
    fnstenv [XIMG]
    EXPECT_BYTES XIMG + 4, "FNINIT: FTW FFFF (all empty)", 0xff, 0xff
    fninit

    ; ---- constants (round to nearest) ----
    fldpi
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xC90FDAA22168C235, 0x4000, "FLDPI"
    fldl2t
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xD49A784BCD1B8AFE, 0x4000, "FLDL2T"
    fldl2e
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xB8AA3B295C17F0BC, 0x3FFF, "FLDL2E"
    fldlg2
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0x9A209A84FBCFF799, 0x3FFD, "FLDLG2"
    fldln2
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xB17217F7D1CF79AC, 0x3FFE, "FLDLN2"
    fld1
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0x8000000000000000, 0x3FFF, "FLD1"
    fldz
    fchs
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0, 0x8000, "FLDZ FCHS = -0"
    SET_CW 0x077f               ; round down
    fldpi
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xC90FDAA22168C234, 0x4000, "FLDPI rounded down"
    SET_CW 0x037f
    EXPECT_SW 0x003f, 0x0000, "constants raise no exception"

    ; ---- 1/3 in each rounding mode ----
    mov word [XTMP], 3
    mov word [XTMP + 2], -3
    SET_CW 0x037f
    fld1
    fidiv word [XTMP]
    EXPECT_SW 0x003f, 0x0020, "1/3 nearest: #P"
    fstp tword [XBUF]
    EXPECT_SW 0x0200, 0x0000, "FSTP m80 clears C1"
    EXPECT_F80 XBUF, 0xAAAAAAAAAAAAAAAB, 0x3FFD, "FIDIV 1/3 round to nearest"
    SET_CW 0x077f
    fld1
    fidiv word [XTMP]
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xAAAAAAAAAAAAAAAA, 0x3FFD, "FIDIV 1/3 round down"
    fld1
    fidiv word [XTMP + 2]
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xAAAAAAAAAAAAAAAB, 0xBFFD, "FIDIV 1/-3 round down"
    SET_CW 0x0b7f
    fld1
    fidiv word [XTMP]
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xAAAAAAAAAAAAAAAB, 0x3FFD, "FIDIV 1/3 round up"
    fld1
    fidiv word [XTMP + 2]
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xAAAAAAAAAAAAAAAA, 0xBFFD, "FIDIV 1/-3 round up"
    SET_CW 0x0f7f
    fld1
    fidiv word [XTMP]
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xAAAAAAAAAAAAAAAA, 0x3FFD, "FIDIV 1/3 chop"
    ; precision control
    SET_CW 0x007f
    fld1
    fidiv word [XTMP]
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xAAAAAB0000000000, 0x3FFD, "FIDIV 1/3 with PC=24 bits"
    SET_CW 0x027f
    fld1
    fidiv word [XTMP]
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xAAAAAAAAAAAAA800, 0x3FFD, "FIDIV 1/3 with PC=53 bits"
    SET_CW 0x037f
    fnclex

    ; ---- FSQRT, forms of FADD/FSUB/FMUL/FDIV ----
    fld1
    fadd st0, st0
    fsqrt
    EXPECT_SW 0x023f, 0x0020, "FSQRT 2: #P, rounded down (C1=0)"
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xB504F333F9DE6484, 0x3FFF, "FSQRT 2"
    mov dword [XTMP + 4], 0x41200000    ; 10.0f
    mov dword [XTMP + 8], 0             ; 4.0 as double
    mov dword [XTMP + 12], 0x40100000
    mov dword [XTMP + 16], 6
    fld dword [XTMP + 4]                ; 10
    fsub qword [XTMP + 8]               ; 6
    fmul dword [XTMP + 4]               ; 60
    fisubr dword [XTMP + 16]            ; 6 - 60 = -54
    fdivr qword [XTMP + 8]              ; 4 / -54
    fld1
    fsubrp st1, st0                     ; ST1 = ST0 - ST1 = 1 + 2/27 = 29/27
    fld1
    fdivp st1, st0                      ; 29/27 / 1
    fld dword [XTMP + 4]
    fdiv st0, st1                       ; 10 / (29/27) = 270/29
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0x94F72C234F72C235, 0x4002, "mixed forms: 10/((4/(6-(10-4)*10))*-1+1) = 270/29"
    fsub st0, st0
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0, 0, "x - x = +0 (round to nearest)"
    SET_CW 0x077f
    fld1
    fsub st0, st0
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0, 0x8000, "x - x = -0 when rounding down"
    SET_CW 0x037f
    fld1
    fld1
    fld1
    faddp st2, st0                      ; ST1 = 2
    fmulp st1, st0                      ; 2
    fimul word [XTMP]                   ; 6
    fiadd dword [XTMP + 16]             ; 12
    fidivr word [XTMP]                  ; 3/12
    fabs
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0x8000000000000000, 0x3FFD, "FADDP FMULP FIMUL FIADD FIDIVR = 0.25"
    ffree st0                           ; the ST2 left by faddp
    fincstp
    fnclex

    ; ---- compares ----
    fninit
    fld1
    fldpi                               ; ST0 = pi, ST1 = 1
    fcom st1
    EXPECT_SW 0x4700, 0x0000, "FCOM pi > 1: C3 C2 C0 = 000"
    fcom st0
    EXPECT_SW 0x4700, 0x4000, "FCOM equal: C3"
    fxch
    fcom st1
    EXPECT_SW 0x4700, 0x0100, "FCOM 1 < pi: C0"
    ficom word [XTMP]
    EXPECT_SW 0x4700, 0x0100, "FICOM 1 < 3: C0"
    fcomi st0, st1
    pushf
    pop ax
    and ax, 0x45
    cmp ax, 0x01
    CHECK "FCOMI 1 < pi: CF=1 ZF=0 PF=0"
    fxch
    fucomi st0, st1
    pushf
    pop ax
    and ax, 0x45
    cmp ax, 0x00
    CHECK "FUCOMI pi > 1: CF=ZF=PF=0"
    fcompp
    EXPECT_SW 0x3800, 0x0000, "FCOMPP pops both: TOP=0"
    fldz
    ftst
    EXPECT_SW 0x4700, 0x4000, "FTST 0: C3"
    fchs
    ftst
    EXPECT_SW 0x4700, 0x4000, "FTST -0: C3 (equal)"
    fstp st0
    ; unordered
    mov dword [XTMP + 20], 0x7fc00000   ; QNaN
    fnclex
    fld1
    fld dword [XTMP + 20]
    fucom st1
    EXPECT_SW 0x4741, 0x4500, "FUCOM QNaN: unordered, no #IA"
    fcom st1
    EXPECT_SW 0x4741, 0x4501, "FCOM QNaN: unordered and #IA"
    fucomip st0, st1
    pushf
    pop ax
    and ax, 0x45
    cmp ax, 0x45
    CHECK "FUCOMIP NaN: ZF PF CF = 111"
    EXPECT_SW 0x3800, 0x3800, "FUCOMIP popped: TOP=7"
    fstp st0
    fnclex

    ; ---- FCMOVcc ----
    fld1
    fldz                                ; ST0 0, ST1 1
    stc
    fcmovnb st0, st1
    fst dword [XBUF]
    EXPECT_M32 XBUF, 0x00000000, "FCMOVNB with CF=1 does not move"
    stc
    fcmovb st0, st1
    fst dword [XBUF]
    EXPECT_M32 XBUF, 0x3f800000, "FCMOVB with CF=1 moves"
    fldz
    xor ax, ax                          ; ZF=1 PF=1
    fcmovne st0, st1
    fst dword [XBUF]
    EXPECT_M32 XBUF, 0x00000000, "FCMOVNE with ZF=1 does not move"
    xor ax, ax
    fcmovu st0, st1
    fst dword [XBUF]
    EXPECT_M32 XBUF, 0x3f800000, "FCMOVU with PF=1 moves"
    fninit

    ; ---- register stack ----
    fld1
    fldz
    fldpi                               ; TOP=5: phys 5 pi, 6 zero, 7 one
    fnstenv [XIMG]
    EXPECT_BYTES XIMG + 4, "FTW: pi valid, 0 zero, 1 valid (13FF)", 0xff, 0x13
    fldcw [XIMG]
    fxch st2
    fstp dword [XBUF]
    EXPECT_M32 XBUF, 0x3f800000, "FXCH ST2 brings 1.0 to the top"
    fdecstp
    EXPECT_SW 0x3800, 0x2800, "FDECSTP: TOP 6 -> 5"
    fincstp
    fincstp
    EXPECT_SW 0x3800, 0x3800, "FINCSTP twice: TOP 7"
    ffree st0
    fnstenv [XIMG]
    EXPECT_BYTES XIMG + 4, "FFREE ST0 tags physical 7 empty (DFFF)", 0xff, 0xdf
    fninit

    ; ---- masked responses ----
    fldz
    fld1
    fdiv st0, st1
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0x8000000000000000, 0x7FFF, "1/0 masked: +inf"
    EXPECT_SW 0x003f, 0x0004, "1/0 raises #Z"
    fnclex
    fld1
    fchs
    fsqrt
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xC000000000000000, 0xFFFF, "sqrt(-1) masked: QNaN indefinite"
    EXPECT_SW 0x003f, 0x0001, "sqrt(-1) raises #IA"
    fnclex
    mov dword [XTMP + 24], 0x7f7fffff   ; FLT_MAX
    fld dword [XTMP + 24]
    fstp tword [XBUF + 16]
    mov word [XBUF + 24], 0x7ffe        ; largest exponent
    fld tword [XBUF + 16]
    fmul st0, st0
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0x8000000000000000, 0x7FFF, "overflow masked: +inf"
    EXPECT_SW 0x003f, 0x0028, "overflow raises #O and #P"
    fnclex
    mov word [XBUF + 24], 0x0001        ; smallest normal exponent
    fld tword [XBUF + 16]
    fmul st0, st0
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0, 0, "underflow masked: +0"
    EXPECT_SW 0x003f, 0x0030, "underflow raises #U and #P"
    fnclex
    mov dword [XTMP + 36], 0x7f800001   ; SNaN
    fld dword [XTMP + 36]
    EXPECT_SW 0x003f, 0x0001, "FLD m32 SNaN raises #IA"
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xC000010000000000, 0x7FFF, "SNaN loads quieted"
    fnclex

    ; ---- FXAM ----
    fld1
    fxam
    EXPECT_SW 0x4700, 0x0400, "FXAM +normal: C2"
    fchs
    fxam
    EXPECT_SW 0x4700, 0x0600, "FXAM -normal: C2 C1"
    fsub st0, st0
    fxam
    EXPECT_SW 0x4700, 0x4000, "FXAM zero: C3"
    fld dword [XTMP + 20]
    fxam
    EXPECT_SW 0x4700, 0x0100, "FXAM NaN: C0"
    fstp st0
    fld1
    fldz
    fdivp st1, st0                      ; +inf
    fxam
    EXPECT_SW 0x4700, 0x0500, "FXAM infinity: C2 C0"
    mov dword [XBUF + 16], 1
    mov dword [XBUF + 20], 0
    mov word [XBUF + 24], 0
    fld tword [XBUF + 16]
    fxam
    EXPECT_SW 0x4700, 0x4400, "FXAM denormal: C3 C2"
    mov dword [XBUF + 20], 0x40000000
    mov word [XBUF + 24], 0x3fff
    fld tword [XBUF + 16]
    fxam
    EXPECT_SW 0x4700, 0x0000, "FXAM unnormal: unsupported"
    fninit
    fxam
    EXPECT_SW 0x4500, 0x4100, "FXAM empty: C3 C0"

    FINISH
    X87_LIB

ROM_END
