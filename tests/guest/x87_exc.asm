; x87_exc.asm — unmasked x87 exceptions and #MF (vector 16) with CR0.NE=1,
; and #NM (vector 7) from CR0.TS/EM/MP, in real mode through the IVT.
; Checks that the faulting instruction completes, that #MF is taken at the
; next FWAIT with its return address, that FNCLEX in the handler lets it run
; on, that FNSTSW/FNSTCW/FNSTENV/FNCLEX/FNSAVE do not wait, that an
; unmasked #P still delivers its result, and the #NM rules of SDM vol. 3
; table 2-2. SDM vol. 1 8.6-8.7, vol. 3 6.15. The unmasked responses that
; QEMU does not model (#MF at a non-WAIT x87 instruction, no result for
; #Z/#IA, wrapped #O/#U) are in x87_unmasked.asm.
%include "rom.inc"
%include "x87.inc"

%define MF_COUNT 0x0600
%define MF_SW    0x0602
%define MF_IP    0x0604
%define NM_COUNT 0x0606
%define NM_IP    0x0608

%macro EXPECT_W 3
    cmp word [%1], %2
    CHECK %3
%endmacro

start:
    ROM_INIT
    PUTS `x87_exc: #MF and #NM in real mode\n`
    mov word [16 * 4], mf_handler
    mov word [16 * 4 + 2], 0xf000
    mov word [7 * 4], nm_handler
    mov word [7 * 4 + 2], 0xf000
    mov word [MF_COUNT], 0
    mov word [NM_COUNT], 0
    mov eax, cr0
    and eax, ~0x0c
    or eax, 0x22                        ; MP NE
    mov cr0, eax
    fninit

    ; ---- unmasked #Z ----
    SET_CW 0x037b                       ; ZE unmasked
    fldz
    fld1
    fdiv st0, st1
    EXPECT_W MF_COUNT, 0, "the faulting FDIV itself completes without #MF"
    fnstsw ax
    and ax, 0x80bf
    cmp ax, 0x8084
    CHECK "FNSTSW (no wait): B, ES and ZE set"
    fnstcw [XBUF]
    EXPECT_W MF_COUNT, 0, "FNSTCW does not take #MF"
wait_1:
    fwait
    EXPECT_W MF_COUNT, 1, "FWAIT takes #MF"
    EXPECT_W MF_IP, wait_1, "#MF return address is the FWAIT"
    mov ax, [MF_SW]
    and ax, 0x80bf
    cmp ax, 0x8084
    CHECK "handler saw ZE and ES"
    fwait
    EXPECT_W MF_COUNT, 1, "after FNCLEX in the handler no further #MF"
    fninit

    ; ---- non-waiting instructions ----
    SET_CW 0x037b
    fldz
    fld1
    fdiv st0, st1
    fnstenv [XIMG]
    fnclex
    fwait
    EXPECT_W MF_COUNT, 1, "FNSTENV and FNCLEX do not wait; FWAIT after FNCLEX runs"
    SET_CW 0x037b
    fdiv st0, st1
    fnsave [XIMG]
    fwait
    EXPECT_W MF_COUNT, 1, "FNSAVE does not wait and reinitialises"
    fninit

    ; ---- unmasked #P: the result is delivered ----
    SET_CW 0x035f
    mov word [XTMP], 3
    fld1
    fidiv word [XTMP]
    fnstsw ax
    and ax, 0x00bf
    cmp ax, 0x00a0
    CHECK "unmasked #P: PE and ES"
    fnclex
    fstp tword [XBUF]
    EXPECT_F80 XBUF, 0xAAAAAAAAAAAAAAAB, 0x3FFD, "unmasked #P still writes the rounded result"
    fninit

    ; ---- #NM ----
    mov eax, cr0
    or eax, 0x08                        ; TS
    mov cr0, eax
nm_1:
    fld1
    EXPECT_W NM_COUNT, 1, "x87 instruction with CR0.TS: #NM"
    EXPECT_W NM_IP, nm_1, "#NM return address is the instruction"
    mov eax, cr0
    or eax, 0x08
    mov cr0, eax
    fwait
    EXPECT_W NM_COUNT, 2, "WAIT with TS and MP: #NM"
    mov eax, cr0
    and eax, ~0x02
    or eax, 0x08                        ; TS, MP=0
    mov cr0, eax
    fwait
    EXPECT_W NM_COUNT, 2, "WAIT with TS and MP=0 runs"
    fnstsw ax
    EXPECT_W NM_COUNT, 3, "FNSTSW with TS: #NM too"
    mov eax, cr0
    or eax, 0x04                        ; EM
    mov cr0, eax
    fninit
    EXPECT_W NM_COUNT, 4, "FNINIT with CR0.EM: #NM"
    mov eax, cr0
    or eax, 0x04
    mov cr0, eax
    fwait
    EXPECT_W NM_COUNT, 4, "WAIT ignores CR0.EM"
    mov eax, cr0
    and eax, ~0x04
    or eax, 0x02
    mov cr0, eax

    FINISH

mf_handler:
    push ax
    push bp
    mov bp, sp
    mov ax, [bp + 4]                    ; return IP
    mov [MF_IP], ax
    inc word [MF_COUNT]
    fnstsw [MF_SW]
    fnclex
    pop bp
    pop ax
    iret

nm_handler:
    push eax
    push bp
    mov bp, sp
    mov ax, [bp + 6]
    mov [NM_IP], ax
    inc word [NM_COUNT]
    mov eax, cr0
    and eax, ~0x0c                      ; clear TS and EM
    mov cr0, eax
    pop bp
    pop eax
    iret

    X87_LIB

ROM_END
