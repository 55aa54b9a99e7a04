; move.asm — data movement: MOV (all forms incl. moffs and immediates),
; MOVZX/MOVSX, LEA (incl. address-size wrap and mod==3 -> #UD), XCHG,
; CBW/CWDE/CWD/CDQ, LAHF/SAHF, XLAT, CLC/STC/CMC/CLD/STD, SALC, NOP 0F 1F,
; PAUSE, BOUND (#BR). Real mode; 66/67 prefixes exercise 32-bit operand and
; address sizes.
%include "rom.inc"

%define RESUME  0x0510          ; where the exception handler continues
%define EXC_VEC 0x0512          ; vector the handler saw (0xffff = none)
%define EXC_IP  0x0514          ; IP pushed by the exception
%define BUF     0x1000          ; scratch data

%macro EXPECT32 3
    cmp %1, %2
    CHECK %3
%endmacro

; Arm the handler: the next #BR/#UD resumes at %1.
%macro ARM 1
    mov word [RESUME], %1
    mov word [EXC_VEC], 0xffff
%endmacro

start:
    ROM_INIT
    PUTS `move: data movement\n`
    mov word [5*4], exc_br
    mov word [5*4+2], 0xf000
    mov word [6*4], exc_ud
    mov word [6*4+2], 0xf000

    ; ---- MOV register/immediate ----
    mov al, 0x12
    mov ah, 0x34
    EXPECT16 ax, 0x3412, "mov r8 imm (al, ah)"
    mov eax, 0x89abcdef
    mov ax, 0x1111
    EXPECT32 eax, 0x89ab1111, "mov r16 keeps upper half of r32"
    mov ebx, 0xdeadbeef
    mov bh, 0x55
    EXPECT32 ebx, 0xdead55ef, "mov bh keeps the rest of ebx"
    mov ecx, ebx
    EXPECT32 ecx, 0xdead55ef, "mov r32, r32 (89/8b)"
    mov dl, bh
    cmp dl, 0x55
    CHECK "mov r8, r8 high-byte source"

    ; ---- MOV memory, 16-bit addressing ----
    mov bx, BUF
    mov byte [bx], 0xa5             ; C6
    mov word [bx+2], 0x1234         ; C7 16
    mov dword [bx+4], 0x89abcdef    ; 66 C7
    mov al, [bx]
    cmp al, 0xa5
    CHECK "mov Eb,Ib / mov Gb,Eb"
    mov cx, [bx+2]
    EXPECT16 cx, 0x1234, "mov Ev,Iz / mov Gv,Ev 16"
    mov edx, [bx+4]
    EXPECT32 edx, 0x89abcdef, "mov Ev,Iz / mov Gv,Ev 32"
    mov si, 8
    mov [bx+si], edx                ; 66 89
    mov [bx+si+4], dh               ; 88
    EXPECT32 dword [BUF+8], 0x89abcdef, "mov Ev,Gv 32 [bx+si]"
    cmp byte [BUF+12], 0xcd
    CHECK "mov Eb,Gb [bx+si+disp]"

    ; ---- MOV memory, 32-bit addressing (67) ----
    mov esi, BUF
    mov ecx, 2
    mov dword [esi+ecx*4+0x10], 0x01020304
    mov eax, [esi+0x18]
    EXPECT32 eax, 0x01020304, "mov [esi+ecx*4+disp8] 32-bit addressing"
    mov ax, [esi+ecx*8+0x0a]
    EXPECT16 ax, 0x0102, "mov ax, [esi+ecx*8+disp] (67 only)"

    ; ---- moffs A0-A3 ----
    mov byte [BUF+0x20], 0x77
    mov al, [BUF+0x20]              ; A0
    cmp al, 0x77
    CHECK "mov al, moffs16 (A0)"
    mov ax, 0xbeef
    mov [BUF+0x22], ax              ; A3
    EXPECT16 word [BUF+0x22], 0xbeef, "mov moffs16, ax (A3)"
    mov eax, 0xcafef00d
    mov [BUF+0x24], eax             ; 66 A3
    xor eax, eax
    mov eax, [BUF+0x24]             ; 66 A1
    EXPECT32 eax, 0xcafef00d, "mov eax, moffs16 (66 A1)"
    mov al, 0x42
    a32 mov [dword BUF+0x28], al    ; 67 A2
    cmp byte [BUF+0x28], 0x42
    CHECK "mov moffs32, al (67 A2)"
    mov eax, 0
    a32 mov eax, [dword BUF+0x24]   ; 66 67 A1
    EXPECT32 eax, 0xcafef00d, "mov eax, moffs32 (66 67 A1)"
    ; segment override on moffs: ES base 0x100 -> linear 0x100+0x1020
    mov ax, 0x10
    mov es, ax
    mov byte [BUF+0x120], 0x99
    mov al, [es:BUF+0x20]
    cmp al, 0x99
    CHECK "mov al, es:moffs (override)"
    xor ax, ax
    mov es, ax

    ; ---- MOV B0-BF with 32-bit immediate ----
    mov edi, 0x13572468
    EXPECT32 edi, 0x13572468, "mov r32, imm32 (66 BF)"
    mov bp, 0xfedc
    EXPECT16 bp, 0xfedc, "mov r16, imm16 (BD)"
    mov ch, 0xab
    cmp ch, 0xab
    CHECK "mov ch, imm8 (B5)"

    ; ---- MOVZX / MOVSX ----
    mov byte [BUF+0x30], 0x80
    mov word [BUF+0x32], 0x8001
    movzx ax, byte [BUF+0x30]
    EXPECT16 ax, 0x0080, "movzx r16, m8"
    movsx ax, byte [BUF+0x30]
    EXPECT16 ax, 0xff80, "movsx r16, m8"
    movzx eax, byte [BUF+0x30]
    EXPECT32 eax, 0x80, "movzx r32, m8"
    movsx eax, byte [BUF+0x30]
    EXPECT32 eax, 0xffffff80, "movsx r32, m8"
    movzx eax, word [BUF+0x32]
    EXPECT32 eax, 0x8001, "movzx r32, m16"
    movsx eax, word [BUF+0x32]
    EXPECT32 eax, 0xffff8001, "movsx r32, m16"
    mov bx, 0x7f80
    movsx ecx, bh
    EXPECT32 ecx, 0x7f, "movsx r32, bh"
    movsx edx, bl
    EXPECT32 edx, 0xffffff80, "movsx r32, bl"
    mov ecx, 0xffffffff
    movzx cx, bl
    EXPECT32 ecx, 0xffff0080, "movzx r16, r8 keeps upper half"

    ; ---- LEA ----
    mov bx, 0xfff0
    mov si, 0x0020
    lea ax, [bx+si+0x10]
    EXPECT16 ax, 0x0020, "lea 16-bit address wraps at 64K"
    mov ebx, 0x10000
    mov ecx, 3
    lea eax, [ebx+ecx*4+8]
    EXPECT32 eax, 0x10014, "lea r32 [ebx+ecx*4+disp]"
    mov ebx, 0x12345678
    lea ax, [ebx+1]
    EXPECT16 ax, 0x5679, "lea r16 with 32-bit address truncates"
    mov eax, 0xffffffff
    mov bx, 0x8000
    mov di, 0x8001
    lea eax, [bx+di]
    EXPECT32 eax, 0x0001, "lea r32 with 16-bit address zero-extends wrapped"
    mov ebp, 0xfffffff0
    lea edx, [ebp+0x20]
    EXPECT32 edx, 0x10, "lea r32 wraps at 4G"
    ARM .lea_ud_done
    db 0x8d, 0xc0                   ; lea ax, ax -> #UD
.lea_ud_done:
    EXPECT16 word [EXC_VEC], 6, "lea with register operand raises #UD"

    ; ---- XCHG ----
    mov ax, 0x1111
    mov bx, 0x2222
    xchg ax, bx
    EXPECT16 ax, 0x2222, "xchg ax, bx (93): ax"
    EXPECT16 bx, 0x1111, "xchg ax, bx (93): bx"
    mov eax, 0xaaaaaaaa
    mov edx, 0x55555555
    xchg edx, eax                    ; 66 92
    EXPECT32 eax, 0x55555555, "xchg eax, edx 32"
    mov dword [BUF+0x40], 0x11223344
    mov ecx, 0x99887766
    xchg [BUF+0x40], ecx             ; 66 87
    EXPECT32 ecx, 0x11223344, "xchg m32, r32: register"
    EXPECT32 dword [BUF+0x40], 0x99887766, "xchg m32, r32: memory"
    mov byte [BUF+0x44], 0x5a
    mov dh, 0xa5
    xchg dh, [BUF+0x44]              ; 86
    cmp dh, 0x5a
    CHECK "xchg r8, m8"
    mov al, 1
    mov ah, 2
    xchg al, ah
    EXPECT16 ax, 0x0102, "xchg al, ah"
    mov eax, 0x12345678
    nop                              ; 90
    xchg ax, ax
    EXPECT32 eax, 0x12345678, "nop / xchg ax,ax change nothing"
    pause                            ; F3 90

    ; ---- CBW / CWDE / CWD / CDQ ----
    mov eax, 0x12345680
    cbw
    EXPECT32 eax, 0x1234ff80, "cbw"
    mov eax, 0x1234007f
    cbw
    EXPECT32 eax, 0x1234007f, "cbw positive"
    mov eax, 0x12348000
    cwde
    EXPECT32 eax, 0xffff8000, "cwde"
    mov edx, 0x12345678
    mov ax, 0x8000
    cwd
    EXPECT32 edx, 0x1234ffff, "cwd negative keeps upper edx"
    mov ax, 0x7fff
    cwd
    EXPECT32 edx, 0x12340000, "cwd positive"
    mov eax, 0x80000000
    cdq
    EXPECT32 edx, 0xffffffff, "cdq negative"
    mov eax, 1
    cdq
    EXPECT32 edx, 0, "cdq positive"

    ; ---- LAHF / SAHF ----
    mov ah, 0xff
    sahf
    mov ah, 0
    lahf
    cmp ah, 0xd7
    CHECK "sahf ff / lahf = d7"
    mov ah, 0x00
    sahf
    lahf
    cmp ah, 0x02
    CHECK "sahf 00 / lahf = 02"
    mov ax, 0
    add ax, 0                        ; ZF=1 PF=1
    lahf
    cmp ah, 0x46
    CHECK "lahf after add 0 = 46"
    mov ah, 0x01                     ; CF only
    sahf
    jc .sahf_cf
    mov ax, 1
    jmp .sahf_cf2
.sahf_cf:
    mov ax, 0
.sahf_cf2:
    EXPECT16 ax, 0, "sahf sets CF"
    mov ah, 0x40
    sahf
    jz .sahf_zf
    mov ax, 1
    jmp .sahf_zf2
.sahf_zf:
    mov ax, 0
.sahf_zf2:
    EXPECT16 ax, 0, "sahf sets ZF"

    ; ---- XLAT ----
    mov si, 0
.fill:
    mov ax, si
    not al
    mov [BUF+0x100+si], al
    inc si
    cmp si, 256
    jne .fill
    mov bx, BUF+0x100
    mov al, 0x10
    xlatb
    cmp al, 0xef
    CHECK "xlat 16-bit"
    mov al, 0xff
    xlatb
    cmp al, 0x00
    CHECK "xlat al=ff"
    mov ebx, BUF+0x100
    mov al, 0x03
    a32 xlatb
    cmp al, 0xfc
    CHECK "xlat 32-bit address (ebx)"
    mov ax, 0x10
    mov es, ax                       ; es base 0x100
    mov bx, BUF
    mov al, 0x05
    es xlatb
    cmp al, 0xfa
    CHECK "xlat with es override"
    xor ax, ax
    mov es, ax
    ; 16-bit address wrap: bx=0xffff, al=2 -> offset 1
    mov byte [1], 0x3c
    mov bx, 0xffff
    mov al, 2
    xlatb
    cmp al, 0x3c
    CHECK "xlat 16-bit address wraps"

    ; ---- CLC/STC/CMC/CLD/STD ----
    stc
    setc al
    clc
    setc ah
    EXPECT16 ax, 0x0001, "stc / clc"
    clc
    cmc
    setc al
    cmc
    setc ah
    EXPECT16 ax, 0x0001, "cmc twice"
    std
    pushf
    cld                              ; the report helpers use lodsb
    pop ax
    and ax, 0x400
    EXPECT16 ax, 0x400, "std sets DF"
    cld
    pushf
    pop ax
    and ax, 0x400
    EXPECT16 ax, 0, "cld clears DF"
    ; flags instructions leave the rest alone
    xor ax, ax                        ; ZF=1
    stc
    setz al
    cmp al, 1
    CHECK "stc keeps ZF"

    ; ---- SALC (D6, undocumented) ----
    stc
    mov al, 0x12
    db 0xd6
    cmp al, 0xff
    CHECK "salc with CF=1 -> ff"
    clc
    db 0xd6
    cmp al, 0
    CHECK "salc with CF=0 -> 00"

    ; ---- multi-byte NOP ----
    mov eax, 0x11
    db 0x0f, 0x1f, 0x00              ; nop [bx+si]
    db 0x67, 0x0f, 0x1f, 0x44, 0x00, 0x00   ; nop [eax+eax+0]
    db 0x66, 0x67, 0x0f, 0x1f, 0x84, 0x00, 0, 0, 0, 0  ; nop [eax+eax+disp32]
    EXPECT32 eax, 0x11, "nop 0f 1f /0 forms"

    ; ---- BOUND ----
    mov word [BUF+0x50], -5
    mov word [BUF+0x52], 10
    mov dword [BUF+0x54], 0xfffffff0
    mov dword [BUF+0x58], 0x100
    ARM .bound_fail
    mov ax, -5
    bound ax, [BUF+0x50]
    mov ax, 10
    bound ax, [BUF+0x50]
    mov eax, -16
    bound eax, [BUF+0x54]
    mov eax, 0x100
    bound eax, [BUF+0x54]
.bound_fail:
    EXPECT16 word [EXC_VEC], 0xffff, "bound in range: no #BR"
    ARM .bound1
.bound1_insn:
    mov ax, 11
    bound ax, [BUF+0x50]
.bound1:
    EXPECT16 word [EXC_VEC], 5, "bound above upper raises #BR"
    mov ax, [EXC_IP]
    sub ax, .bound1_insn + 3
    CHECK "#BR pushes the address of BOUND (fault)"
    ARM .bound2
    mov eax, -17
    bound eax, [BUF+0x54]
.bound2:
    EXPECT16 word [EXC_VEC], 5, "bound32 below lower raises #BR"
    ARM .bound3
    mov ax, 0x8000                   ; signed compare: -32768 < -5
    bound ax, [BUF+0x50]
.bound3:
    EXPECT16 word [EXC_VEC], 5, "bound compares signed"

    FINISH

exc_ud:
    push bx
    mov bx, 6
    jmp exc_common
exc_br:
    push bx
    mov bx, 5
exc_common:
    push bp
    push ds
    push word 0
    pop ds
    mov bp, sp
    mov [EXC_VEC], bx
    mov bx, [bp+6]
    mov [EXC_IP], bx
    mov bx, [RESUME]
    mov [bp+6], bx
    pop ds
    pop bp
    pop bx
    iret

ROM_END
