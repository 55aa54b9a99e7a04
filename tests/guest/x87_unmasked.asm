; x87_unmasked.asm — responses to unmasked x87 exceptions (SDM vol. 1
; 4.9.2, 8.5): #Z, #IA and #D leave the destination unchanged (and a store
; writes nothing and does not pop); #O and #U deliver the result with its
; exponent wrapped by 24576 (SDM vol. 1 4.9.1.4-5); the pending exception
; is reported as #MF before the next waiting x87 instruction, not only at
; FWAIT, with that instruction's address. Real mode, CR0.NE=1.
;
; qemu-differs: QEMU 7.2 applies the masked response whatever the masks
; (writes the infinity/NaN, stores the indefinite and pops) and raises #MF
; only at FWAIT; these checks fail under QEMU.
%include "rom.inc"
%include "x87.inc"

%define MF_COUNT 0x0600
%define MF_IP    0x0604

%macro EXPECT_W 3
    cmp word [%1], %2
    CHECK %3
%endmacro

start:
    ROM_INIT
    PUTS `x87_unmasked: real mode\n`
    PUTS `note: QEMU applies masked responses for unmasked x87 exceptions and raises #MF only at FWAIT (SDM wins)\n`
    mov word [16 * 4], mf_handler
    mov word [16 * 4 + 2], 0xf000
    mov word [MF_COUNT], 0
    mov eax, cr0
    and eax, ~0x0c
    or eax, 0x22
    mov cr0, eax

    ; ---- #Z: no result; #MF at the next x87 instruction ----
    fninit
    SET_CW 0x037b
    fldz
    fld1
    fdiv st0, st1
    EXPECT_W MF_COUNT, 0, "FDIV by zero completes"
fld_1:
    fld1
    EXPECT_W MF_COUNT, 1, "the next FLD1 takes #MF"
    EXPECT_W MF_IP, fld_1, "#MF return address is the FLD1"
    fnstsw ax
    and ax, 0x3800
    cmp ax, 0x2800
    CHECK "FLD1 ran once after the handler (TOP=5)"
    fstp st0
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0x8000000000000000, 0x3FFF, "unmasked #Z left ST0 = 1"
    fninit

    ; ---- #IA on stores and operands ----
    SET_CW 0x037e
    mov word [XBUF], 0x5555
    mov dword [XTMP], 0x501502f9        ; 1e10f
    fld dword [XTMP]
    fistp word [XBUF]
    EXPECT_W XBUF, 0x5555, "unmasked #IA on FISTP m16 stores nothing"
    fnstsw ax
    and ax, 0x38bf
    cmp ax, 0x3881
    CHECK "unmasked #IA: no pop (TOP=7), IE and ES"
    fnclex
    mov dword [XTMP + 4], 0x7f800001    ; SNaN
    fadd dword [XTMP + 4]
    fnclex
    fst dword [XBUF]
    EXPECT_M32 XBUF, 0x501502f9, "unmasked #IA on FADD m32 SNaN leaves ST0"
    fchs
    fsqrt
    fnclex
    fstp dword [XBUF]
    EXPECT_M32 XBUF, 0xd01502f9, "unmasked #IA on FSQRT(-x) leaves ST0"
    fninit

    ; ---- #D ----
    SET_CW 0x037d
    mov dword [XTMP + 8], 1             ; single denormal
    fld1
    fadd dword [XTMP + 8]
    fnclex
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0x8000000000000000, 0x3FFF, "unmasked #D: FADD m32 denormal leaves ST0"
    fninit

    ; ---- #O / #U: exponent wrapped by 24576 ----
    SET_CW 0x0377                       ; OE unmasked
    mov dword [XTMP + 16], 0
    mov dword [XTMP + 20], 0x80000000
    mov word [XTMP + 24], 0x3fff + 16000
    fld tword [XTMP + 16]
    fmul st0, st0                       ; 2^32000
    fnstsw ax
    and ax, 0x00bf
    cmp ax, 0x0088
    CHECK "unmasked #O: OE and ES (exact, no #P)"
    fnclex
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0x8000000000000000, 0x3FFF + 32000 - 24576, "unmasked #O: 2^(32000-24576)"
    SET_CW 0x036f                       ; UE unmasked
    mov word [XTMP + 24], 0x3fff - 16000
    fld tword [XTMP + 16]
    fmul st0, st0                       ; 2^-32000
    fnclex
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0x8000000000000000, 0x3FFF - 32000 + 24576, "unmasked #U: 2^(-32000+24576)"
    mov word [XBUF], 0x5555
    mov word [XTMP + 24], 0x3fff + 200
    fld tword [XTMP + 16]
    SET_CW 0x0377
    fst dword [XBUF]
    EXPECT_W XBUF, 0x5555, "unmasked #O on FST m32 stores nothing"
    fninit

    FINISH

mf_handler:
    push ax
    push bp
    mov bp, sp
    mov ax, [bp + 4]
    mov [MF_IP], ax
    inc word [MF_COUNT]
    fnclex
    pop bp
    pop ax
    iret

    X87_LIB

ROM_END
