; control.asm — near control transfers: JMP rel8/rel16/rel32 and indirect,
; CALL rel/indirect in both operand sizes, RET and RET imm16, Jcc for every
; condition under all 32 combinations of CF/PF/ZF/SF/OF in the rel8,
; rel16 (0F 8x) and rel32 (66 0F 8x) forms, LOOP/LOOPE/LOOPNE/JCXZ/JECXZ
; with CX or ECX by address size, and IP wrap at 64 KiB with 16-bit
; operand size. The CS limit check of near branches is in control_cslimit.asm
; (QEMU does not check it in real mode).
%include "rom.inc"

%define FLAGSV  0x0520
%define PTR     0x0530
%define RAMCODE 0x1000          ; segment for code copied to RAM

%macro EXPECT32 3
    cmp %1, %2
    CHECK %3
%endmacro

; Jcc rel32 in 16-bit code (NASM emits a rel16 after o32 for Jcc).
%macro JCC32 2
    db 0x66, 0x0f, 0x80 + %1
    dd %2 - ($ + 4)
%endmacro

; Try condition %1 (0..15) with the flags in [FLAGSV]; set bit %1 of BX if
; the jump is taken. %2 selects the form: 8, 16 or 32.
%macro TRY 2
    push word [FLAGSV]
    popf
%if %2 == 8
    db 0x70 + %1, %%t - ($ + 2)
%elif %2 == 16
    db 0x0f, 0x80 + %1
    dw %%t - ($ + 2)
%else
    JCC32 %1, %%t
%endif
    jmp short %%n
%%t:
    or bx, 1 << %1
%%n:
%endmacro

%macro TRY_ALL 1
%assign cc 0
%rep 16
    TRY cc, %1
%assign cc cc + 1
%endrep
%endmacro

start:
    ROM_INIT
    PUTS `control: jmp/call/ret/jcc/loop\n`

    ; ---- JMP ----
    mov ax, 0
    jmp short .j1
    mov ax, 1
.j1:
    jmp near .j2
    mov ax, 2
.j2:
    jmp dword .j3                   ; 66 E9 rel32
    mov ax, 3
.j3:
    EXPECT16 ax, 0, "jmp rel8/rel16/rel32"
    mov bx, .j4
    jmp bx
    mov ax, 4
.j4:
    mov word [PTR], .j5
    jmp [PTR]
    mov ax, 5
.j5:
    mov dword [PTR], .j6
    jmp dword [PTR]                 ; 66 FF /4
    mov ax, 6
.j6:
    mov ebx, .j7
    jmp ebx
    mov ax, 7
.j7:
    EXPECT16 ax, 0, "jmp r16, m16, m32, r32"
    ; a 16-bit indirect jump uses only the low word of the register
    mov ebx, 0x12340000 + .j8
    jmp bx
    mov ax, 8
.j8:
    EXPECT16 ax, 0, "jmp bx ignores the upper half of ebx"

    ; ---- CALL / RET ----
    call sub_ret
.c1_ret:
    EXPECT16 ax, .c1_ret, "call rel16 pushes the return address"
    EXPECT32 sp, 0x7c00, "ret pops it"
    mov bx, sub_ret
    call bx
.c2_ret:
    EXPECT16 ax, .c2_ret, "call r16"
    mov word [PTR], sub_ret
    call [PTR]
.c3_ret:
    EXPECT16 ax, .c3_ret, "call m16"
    call dword sub_ret32            ; 66 E8: pushes 4 bytes
.c4_ret:
    EXPECT32 eax, .c4_ret, "call rel32 pushes a 32-bit return address"
    EXPECT32 sp, 0x7c00, "o32 ret pops 4 bytes"
    mov dword [PTR], sub_ret32
    call dword [PTR]
.c5_ret:
    EXPECT32 eax, .c5_ret, "call m32"
    push word 0x1111
    push word 0x2222
    call sub_ret4
    EXPECT32 sp, 0x7c00, "ret 4 releases the arguments"
    EXPECT16 ax, 0x2222, "ret 4: callee saw its argument"
    push dword 0x33333333
    call dword sub_ret32_4
    EXPECT32 sp, 0x7c00, "o32 ret 4 releases the argument"
    ; call [sp-relative] with 32-bit addressing
    mov word [PTR], sub_ret
    mov esi, PTR - 8
    call [esi+8]
.c6_ret:
    EXPECT16 ax, .c6_ret, "call [esi+8]"

    ; ---- Jcc: every condition, all flag combinations ----
    mov si, jcc_table
    xor di, di                      ; failures
.jcc_loop:
    mov ax, [cs:si]
    mov [FLAGSV], ax
    xor bx, bx
    TRY_ALL 8
    cmp bx, [cs:si+2]
    je .jcc8_ok
    inc di
    PUTS "jcc8 flags="
    PUTHEX16 [FLAGSV]
    PUTS " mask="
    PUTHEX16 bx
    PUTS `\n`
.jcc8_ok:
    xor bx, bx
    TRY_ALL 16
    cmp bx, [cs:si+2]
    je .jcc16_ok
    inc di
    PUTS "jcc16 flags="
    PUTHEX16 [FLAGSV]
    PUTS `\n`
.jcc16_ok:
    xor bx, bx
    TRY_ALL 32
    cmp bx, [cs:si+2]
    je .jcc32_ok
    inc di
    PUTS "jcc32 flags="
    PUTHEX16 [FLAGSV]
    PUTS `\n`
.jcc32_ok:
    add si, 4
    cmp si, jcc_table_end
    jb .jcc_loop
    EXPECT16 di, 0, "jcc: 16 conditions x 32 flag sets x rel8/16/32"
    ; backward conditional branch
    mov cx, 3
    xor ax, ax
.jb_back:
    inc ax
    dec cx
    jnz .jb_back
    EXPECT16 ax, 3, "jnz backwards"

    ; ---- LOOP family ----
    mov cx, 5
    xor ax, ax
.l1:
    inc ax
    loop .l1
    EXPECT16 ax, 5, "loop 5 times"
    EXPECT16 cx, 0, "loop ends with cx=0"
    mov ecx, 0x00010000             ; cx = 0: loop wraps to ffff, taken
    xor ax, ax
    loop .l2
    mov ax, 1
.l2:
    EXPECT16 ax, 0, "loop with cx=0 is taken"
    EXPECT32 ecx, 0x0001ffff, "loop decrements cx only (16-bit address)"
    mov ecx, 0x00010000
    xor ax, ax
    a32 loop .l3                    ; ecx -> ffff, taken
    mov ax, 1
.l3:
    EXPECT16 ax, 0, "a32 loop with ecx=10000 is taken"
    EXPECT32 ecx, 0xffff, "a32 loop decrements ecx"
    mov ecx, 0x00020001
    a32 loop .l4                    ; ecx = 20000: taken
    mov ax, 1
.l4:
    mov ecx, 0x00020001
    xor ax, ax
    loop .l5                        ; cx 1 -> 0: not taken
    jmp .l5b
.l5:
    mov ax, 1
.l5b:
    EXPECT16 ax, 0, "loop with cx=1 falls through"
    EXPECT32 ecx, 0x00020000, "loop cx=1 -> 0"
    ; loop keeps the flags
    mov cx, 2
    stc
    loop .l6
.l6:
    setc al
    cmp al, 1
    CHECK "loop leaves CF"
    ; loope / loopne
    mov cx, 3
    xor ax, ax                      ; ZF=1
    loope .le1
    mov ax, 1
.le1:
    EXPECT16 ax, 0, "loope taken with ZF=1"
    EXPECT16 cx, 2, "loope decremented"
    mov cx, 3
    or ax, 1                        ; ZF=0
    loope .le2
    mov ax, 0
.le2:
    EXPECT16 ax, 0, "loope not taken with ZF=0"
    EXPECT16 cx, 2, "loope decremented though not taken"
    mov cx, 1
    xor ax, ax
    loope .le3
    jmp .le3b
.le3:
    mov ax, 1
.le3b:
    EXPECT16 ax, 0, "loope not taken when cx reaches 0"
    mov cx, 3
    or ax, 1                        ; ZF=0
    loopne .ln1
    mov ax, 0
.ln1:
    EXPECT16 ax, 1, "loopne taken with ZF=0"
    mov cx, 3
    xor ax, ax
    loopne .ln2
    mov ax, 5
.ln2:
    EXPECT16 ax, 5, "loopne not taken with ZF=1"
    ; strlen-like loopne over memory
    mov ecx, 0x40
    mov esi, jcc_table - 1
.ln3:
    inc esi
    cmp byte [cs:esi], 0x43
    a32 loopne .ln3
    EXPECT32 esi, jcc_table + 0x14, "a32 loopne scan"
    ; jcxz / jecxz
    mov ecx, 0x00010000
    xor ax, ax
    jcxz .jz1
    mov ax, 1
.jz1:
    EXPECT16 ax, 0, "jcxz looks at cx only"
    jecxz .jz2
    jmp .jz3
.jz2:
    mov ax, 1
.jz3:
    EXPECT16 ax, 0, "jecxz sees ecx != 0"
    xor ecx, ecx
    jecxz .jz4
    mov ax, 1
.jz4:
    EXPECT16 ax, 0, "jecxz taken with ecx=0"

    ; ---- 16-bit IP wrap: code in RAM at 1000:FFF0 jumps forward past
    ; 64K and lands at 1000:0000+ (16-bit operand size truncates) ----
    push es
    mov ax, RAMCODE
    mov es, ax
    mov di, 0xfff0
    mov si, wrap_code
    mov cx, wrap_code_len
    cs rep movsb
    mov di, 0x0010                   ; wrap target: 0xfff2 + 0x1e = 0x10010
    mov si, wrap_land
    mov cx, wrap_land_len
    cs rep movsb
    pop es
    xor ax, ax
    jmp RAMCODE:0xfff0
wrap_back:
    EXPECT16 ax, 0x5a5a, "jmp rel8 past 0xffff wraps to 0x0010"

    FINISH

sub_ret:
    mov bp, sp
    mov ax, [bp]
    ret
sub_ret32:
    mov bp, sp
    mov eax, [bp]
    o32 ret
sub_ret4:
    mov bp, sp
    mov ax, [bp+2]
    ret 4
sub_ret32_4:
    o32 ret 4

; copied to 1000:FFF0: a short jump whose target is past 0xffff
wrap_code:
    jmp short $ + 0x20               ; at fff0: target 0xfff0 + 0x20
wrap_code_len equ $ - wrap_code
; copied to 1000:0010
wrap_land:
    mov ax, 0x5a5a
    jmp 0xf000:wrap_back
wrap_land_len equ $ - wrap_land

jcc_table:
    dw 0x0002, 0xaaaa
    dw 0x0003, 0xaa66
    dw 0x0006, 0xa6aa
    dw 0x0007, 0xa666
    dw 0x0042, 0x6a5a
    dw 0x0043, 0x6a56
    dw 0x0046, 0x665a
    dw 0x0047, 0x6656
    dw 0x0082, 0x59aa
    dw 0x0083, 0x5966
    dw 0x0086, 0x55aa
    dw 0x0087, 0x5566
    dw 0x00c2, 0x595a
    dw 0x00c3, 0x5956
    dw 0x00c6, 0x555a
    dw 0x00c7, 0x5556
    dw 0x0802, 0x5aa9
    dw 0x0803, 0x5a65
    dw 0x0806, 0x56a9
    dw 0x0807, 0x5665
    dw 0x0842, 0x5a59
    dw 0x0843, 0x5a55
    dw 0x0846, 0x5659
    dw 0x0847, 0x5655
    dw 0x0882, 0xa9a9
    dw 0x0883, 0xa965
    dw 0x0886, 0xa5a9
    dw 0x0887, 0xa565
    dw 0x08c2, 0x6959
    dw 0x08c3, 0x6955
    dw 0x08c6, 0x6559
    dw 0x08c7, 0x6555
jcc_table_end:

ROM_END
