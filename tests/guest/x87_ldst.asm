; x87_ldst.asm — every x87 memory format: FILD/FIST/FISTP m16/m32/m64,
; FLD/FST/FSTP m32/m64 and FLD/FSTP m80, FBLD/FBSTP m80bcd; integer stores
; in each rounding mode, the integer and BCD indefinites on overflow,
; single/double rounding and overflow. Real mode.
%include "rom.inc"
%include "x87.inc"

start:
    ROM_INIT
    PUTS `x87_ldst: real mode\n`
    mov eax, cr0
    and eax, ~0x0c
    or eax, 0x22
    mov cr0, eax
    fninit

    ; ---- integers ----
    mov word [XTMP], -12345
    fild word [XTMP]
    fistp dword [XBUF]
    EXPECT_M32 XBUF, -12345, "FILD m16 / FISTP m32 -12345"
    mov dword [XTMP], 0x7fffffff
    fild dword [XTMP]
    fistp qword [XBUF]
    EXPECT_M64 XBUF, 0x7fffffff, "FILD m32 / FISTP m64 2^31-1"
    mov dword [XTMP], 0x89abcdef
    mov dword [XTMP + 4], 0x81234567
    fild qword [XTMP]
    fistp qword [XBUF]
    EXPECT_M64 XBUF, 0x81234567_89abcdef, "FILD m64 / FISTP m64 exact (64-bit significand)"
    fild qword [XTMP]
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xFDB97530ECA86422, 0xC03D, "FILD m64 negative as extended"

    ; rounding of FIST in each mode: 2.5, -2.5, 3.5, -0.5
    mov dword [XTMP + 16], 0x40200000   ; 2.5
    mov dword [XTMP + 20], 0xc0200000   ; -2.5
    mov dword [XTMP + 24], 0x40600000   ; 3.5
    mov dword [XTMP + 28], 0xbf000000   ; -0.5
%macro FIST_CASE 4                      ; cw, operand, expected word, name
    SET_CW %1
    fld dword [XTMP + %2]
    fistp word [XBUF]
    mov ax, [XBUF]
    cmp ax, %3
    CHECK %4
%endmacro
    FIST_CASE 0x037f, 16, 2, "FIST 2.5 nearest -> 2"
    FIST_CASE 0x037f, 20, -2, "FIST -2.5 nearest -> -2"
    FIST_CASE 0x037f, 24, 4, "FIST 3.5 nearest -> 4"
    FIST_CASE 0x077f, 16, 2, "FIST 2.5 down -> 2"
    FIST_CASE 0x077f, 20, -3, "FIST -2.5 down -> -3"
    FIST_CASE 0x077f, 28, -1, "FIST -0.5 down -> -1"
    FIST_CASE 0x0b7f, 16, 3, "FIST 2.5 up -> 3"
    FIST_CASE 0x0b7f, 20, -2, "FIST -2.5 up -> -2"
    FIST_CASE 0x0f7f, 24, 3, "FIST 3.5 chop -> 3"
    FIST_CASE 0x0f7f, 20, -2, "FIST -2.5 chop -> -2"
    SET_CW 0x037f
    fnclex
    fld dword [XTMP + 16]
    fist dword [XBUF]
    EXPECT_SW 0x003f, 0x0020, "FIST inexact raises #P"
    EXPECT_SW 0x3800, 0x3800, "FIST does not pop"
    fstp st0
    fnclex

    ; overflow: the integer indefinite and #IA
    mov dword [XTMP + 32], 0x47000000   ; 32768.0
    fld dword [XTMP + 32]
    fistp word [XBUF]
    EXPECT_BYTES XBUF, "FISTP m16 32768 stores 8000H", 0x00, 0x80
    EXPECT_SW 0x003f, 0x0001, "FISTP m16 overflow raises #IA"
    fnclex
    mov dword [XTMP + 36], 0xc7000000   ; -32768.0
    fld dword [XTMP + 36]
    fistp word [XBUF]
    EXPECT_BYTES XBUF, "FISTP m16 -32768 fits", 0x00, 0x80
    EXPECT_SW 0x003f, 0x0000, "-32768 raises nothing"
    mov dword [XTMP + 40], 0x5f000000   ; 2^63
    fld dword [XTMP + 40]
    fistp qword [XBUF]
    EXPECT_M64 XBUF, 0x8000000000000000, "FISTP m64 2^63 stores the indefinite"
    EXPECT_SW 0x003f, 0x0001, "FISTP m64 2^63 raises #IA"
    fnclex
    fld dword [XTMP + 40]
    fchs
    fistp qword [XBUF]
    EXPECT_M64 XBUF, 0x8000000000000000, "FISTP m64 -2^63 fits"
    EXPECT_SW 0x003f, 0x0000, "-2^63 raises nothing"
    mov dword [XTMP + 44], 0x7fc00000
    fld dword [XTMP + 44]
    fistp dword [XBUF]
    EXPECT_M32 XBUF, 0x80000000, "FISTP m32 of a NaN stores the indefinite"
    fnclex

    ; ---- reals ----
    mov dword [XTMP], 0x54442d18         ; pi as double
    mov dword [XTMP + 4], 0x400921fb
    fld qword [XTMP]
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xC90FDAA22168C000, 0x4000, "FLD m64 pi widens exactly"
    fldpi
    fst dword [XBUF]
    EXPECT_M32 XBUF, 0x40490fdb, "FST m32 pi (nearest)"
    fst qword [XBUF]
    EXPECT_M64 XBUF, 0x400921fb54442d18, "FST m64 pi (nearest)"
    SET_CW 0x0b7f
    fst qword [XBUF]
    EXPECT_M64 XBUF, 0x400921fb54442d19, "FST m64 pi (up)"
    SET_CW 0x0f7f
    fst dword [XBUF]
    EXPECT_M32 XBUF, 0x40490fda, "FST m32 pi (chop)"
    SET_CW 0x037f
    fchs
    fstp dword [XBUF]
    EXPECT_M32 XBUF, 0xc0490fdb, "FSTP m32 -pi"
    EXPECT_SW 0x3800, 0x0000, "FSTP popped"
    fnclex
    ; m80 is stored bit-exact, even a pseudo-denormal or SNaN
    mov dword [XTMP], 0x00000001
    mov dword [XTMP + 4], 0xa0000000
    mov word [XTMP + 8], 0x7fff           ; SNaN
    fld tword [XTMP]
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xA000000000000001, 0x7FFF, "FLD/FSTP m80 keeps an SNaN"
    EXPECT_SW 0x003f, 0x0000, "FLD m80 of an SNaN raises nothing"
    fld tword [XTMP]
    fstp dword [XBUF]
    EXPECT_M32 XBUF, 0x7fe00000, "FSTP m32 of an SNaN stores it quieted"
    EXPECT_SW 0x003f, 0x0001, "... raising #IA"
    fnclex
    ; overflow and underflow on narrowing stores (masked)
    mov dword [XTMP], 0
    mov dword [XTMP + 4], 0x80000000
    mov word [XTMP + 8], 0x3fff + 200     ; 2^200
    fld tword [XTMP]
    fst dword [XBUF]
    EXPECT_M32 XBUF, 0x7f800000, "FST m32 2^200: +inf"
    EXPECT_SW 0x003f, 0x0028, "... with #O #P"
    fnclex
    SET_CW 0x0f7f
    fst dword [XBUF]
    EXPECT_M32 XBUF, 0x7f7fffff, "FST m32 2^200 with chop: largest single"
    SET_CW 0x037f
    fstp st0
    fnclex
    mov word [XTMP + 8], 0x3fff - 1040    ; 2^-1040
    fld tword [XTMP]
    fst qword [XBUF]
    EXPECT_M64 XBUF, 0x0000000400000000, "FST m64 2^-1040: exact denormal"
    EXPECT_SW 0x003f, 0x0000, "exact denormal store: no #U when masked"
    fst dword [XBUF]
    EXPECT_M32 XBUF, 0x00000000, "FST m32 2^-1040: +0"
    EXPECT_SW 0x003f, 0x0030, "... with #U #P"
    fstp st0
    fnclex

    ; ---- packed BCD ----
    mov dword [XTMP], 0x12345678
    mov dword [XTMP + 4], 0x90123456
    mov word [XTMP + 8], 0x0078
    fbld tword [XTMP]
    fld st0
    fistp qword [XBUF]
    EXPECT_M64 XBUF, 789012345612345678, "FBLD 789012345612345678"
    fbstp tword [XBUF]
    EXPECT_BYTES XBUF, "FBSTP round trip", 0x78, 0x56, 0x34, 0x12, 0x56, 0x34, 0x12, 0x90, 0x78, 0x00
    mov word [XTMP + 16], -1234
    fild word [XTMP + 16]
    fbstp tword [XBUF]
    EXPECT_BYTES XBUF, "FBSTP -1234: sign byte 80", 0x34, 0x12, 0, 0, 0, 0, 0, 0, 0, 0x80
    mov dword [XTMP + 20], 0x3fd00000      ; 1.625
    fld dword [XTMP + 20]
    fbstp tword [XBUF]
    EXPECT_BYTES XBUF, "FBSTP 1.625 rounds to 2", 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0
    SET_CW 0x0f7f
    fld dword [XTMP + 20]
    fbstp tword [XBUF]
    EXPECT_BYTES XBUF, "FBSTP 1.625 chopped to 1", 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0
    SET_CW 0x037f
    fnclex
    mov dword [XTMP], 0xa7640000         ; 10^18 = 0x0DE0B6B3A7640000
    mov dword [XTMP + 4], 0x0de0b6b3
    fild qword [XTMP]
    fbstp tword [XBUF]
    EXPECT_BYTES XBUF, "FBSTP 10^18 stores the BCD indefinite", 0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0xff
    EXPECT_SW 0x003f, 0x0001, "... and raises #IA"
    fnclex

    FINISH
    X87_LIB

ROM_END
