; x87_flags.asm — status-word details: stack faults (#IS with C1 telling
; overflow from underflow) and their masked responses, C1 as the "rounded
; up" indicator after an inexact result, #D raised by FLD m32/m64 of a
; denormal, and the precedence of #IS over a NaN operand. Real mode.
;
; qemu-differs: QEMU 7.2 does not detect x87 stack overflow/underflow (no
; #IS, no indefinite), does not report C1 = rounded up, and raises no #D
; when FLD converts a single/double denormal. The SDM (vol. 1 8.1.3.1,
; 8.5.1.1, 4.9.1.x and the FLD page) requires all three; these checks
; fail under QEMU and pass on hardware and in rawbox.
%include "rom.inc"
%include "x87.inc"

start:
    ROM_INIT
    PUTS `x87_flags: real mode\n`
    PUTS `note: QEMU does not model x87 stack faults, C1 round-up or #D on FLD m32/m64 (SDM wins)\n`
    mov eax, cr0
    and eax, ~0x0c
    or eax, 0x22
    mov cr0, eax

    ; ---- stack underflow ----
    fninit
    fadd st0, st1
    EXPECT_SW 0x027f, 0x0041, "FADD on empty registers: #IS (IE SF), C1=0"
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xC000000000000000, 0xFFFF, "masked underflow writes the QNaN indefinite"
    fninit
    fst dword [XBUF]
    EXPECT_M32 XBUF, 0xFFC00000, "FST m32 of an empty ST0 stores the single indefinite"
    fninit
    fist word [XBUF]
    EXPECT_BYTES XBUF, "FIST m16 of an empty ST0 stores 8000H", 0x00, 0x80
    fninit
    fld1
    fcom st3
    EXPECT_SW 0x4741, 0x4541, "FCOM with an empty ST3: #IS and unordered"
    fninit
    fxch st1
    EXPECT_SW 0x0241, 0x0041, "FXCH with empty registers: #IS"
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xC000000000000000, 0xFFFF, "FXCH masked response: indefinites exchanged"

    ; ---- stack overflow ----
    fninit
    mov cx, 8
.fill:
    fld1
    loop .fill
    EXPECT_SW 0x027f, 0x0000, "eight pushes fit"
    fldz
    EXPECT_SW 0x027f, 0x0241, "ninth push: #IS with C1=1"
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xC000000000000000, 0xFFFF, "masked overflow pushes the indefinite"
    fninit

    ; ---- C1 after inexact results ----
    mov word [XTMP], 3
    fld1
    fidiv word [XTMP]
    EXPECT_SW 0x023f, 0x0220, "1/3 round to nearest: #P, C1=1 (rounded up)"
    SET_CW 0x0f7f
    fld1
    fidiv word [XTMP]
    EXPECT_SW 0x023f, 0x0020, "chop: #P, C1=0"
    SET_CW 0x037f
    fldpi
    fst dword [XBUF]
    EXPECT_SW 0x0200, 0x0200, "FST m32 of pi rounds up: C1=1"
    fst qword [XBUF]
    EXPECT_SW 0x0200, 0x0000, "FST m64 of pi rounds down: C1=0"
    fninit

    ; ---- #D on loads ----
    mov dword [XTMP + 4], 1
    fld dword [XTMP + 4]
    EXPECT_SW 0x003f, 0x0002, "FLD m32 denormal raises #D"
    mov dword [XTMP + 8], 1
    mov dword [XTMP + 12], 0
    fld qword [XTMP + 8]
    EXPECT_SW 0x003f, 0x0002, "FLD m64 denormal raises #D"
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0x8000000000000000, 0x3BCD, "m64 denormal 2^-1074 normalised"
    fnclex
    fld tword [XBUF]
    EXPECT_SW 0x003f, 0x0000, "FLD m80 never raises #D"
    fninit

    FINISH
    X87_LIB

ROM_END
