; rm_far.asm — real-mode segment and far-transfer instructions: JMP/CALL
; ptr16:16 and m16:16 (16- and 32-bit operand size), RETF and RETF imm16,
; IRET (16 and 32-bit), INT n / INTO through the IVT, LDS LES LSS LFS LGS,
; MOV Sw / POP sreg (base = selector * 16), PUSHF/POPF with IOPL writable
; at CPL 0, CLI/STI, SGDT/SIDT and SMSW in real mode.
%include "rom.inc"

%define PTR   0x0600
%define REC   0x0680

start:
    ROM_INIT
    PUTS `rm_far: real-mode far transfers and segment loads\n`
    mov al, 0xFF
    out 0x21, al
    out 0xA1, al

    ; ---- JMP far ----
    jmp 0xF000:.j1
.j1:
    mov ax, cs
    cmp ax, 0xF000
    CHECK "JMP ptr16:16"
    mov word [PTR], .j2
    mov word [PTR + 2], 0xF000
    jmp far [PTR]
.j2:
    CHECK "JMP m16:16"
    mov dword [PTR], .j3
    mov word [PTR + 4], 0xF000
    jmp far dword [PTR]
.j3:
    CHECK "JMP m16:32 (66 FF /5)"

    ; ---- CALL far / RETF ----
    mov bx, sp
    call 0xF000:far16
.c1_ret:
    cmp sp, bx
    CHECK "CALL ptr16:16 / RETF balance SP"
    cmp word [REC], .c1_ret
    CHECK "CALL far pushes IP"
    cmp word [REC + 2], 0xF000
    CHECK "CALL far pushes CS"
    mov word [PTR], far16_imm
    mov word [PTR + 2], 0xF000
    push word 0x1111
    push word 0x2222
    call far [PTR]
    cmp sp, bx
    CHECK "RETF 4 releases two words"
    call dword 0xF000:far32
    cmp sp, bx
    CHECK "CALL ptr16:32 / RETFD balance SP"
    cmp word [REC + 4], 8
    CHECK "32-bit far call pushes 8 bytes"

    ; ---- INT / IRET ----
    mov word [0x40 * 4], int40
    mov word [0x40 * 4 + 2], 0xF000
    mov word [4 * 4], int40
    mov word [4 * 4 + 2], 0xF000
    mov word [REC + 6], 0
    int 0x40
    cmp word [REC + 6], 1
    CHECK "INT n through the IVT"
    mov al, 0x7F
    add al, 1
    into
    cmp word [REC + 6], 2
    CHECK "INTO with OF=1 through IVT vector 4"
    mov al, 1
    add al, 1
    into
    cmp word [REC + 6], 2
    CHECK "INTO with OF=0 does nothing"
    ; 32-bit IRET
    pushfd
    push dword 0xF000
    push dword .i32
    o32 iret
.i32:
    cmp sp, bx
    CHECK "IRETD pops 12 bytes"

    ; ---- segment loads ----
    mov ax, 0x1234
    mov es, ax
    mov dword [es:0], 0xA5A5A5A5
    push ds
    push word 0x1000
    pop ds
    mov eax, [0x2340]
    pop ds
    cmp eax, 0xA5A5A5A5
    CHECK "MOV ES: base = selector * 16"
    push word 0x2000
    pop fs
    mov word [fs:0x10], 0x7777
    push ds
    push word 0x2001
    pop ds
    cmp word [0], 0x7777
    pop ds
    CHECK "POP FS / DS: base = selector * 16"
    mov word [PTR], 0x4321
    mov word [PTR + 2], 0x3000
    lds si, [PTR]
    mov ax, ds
    cmp ax, 0x3000
    push word 0
    pop ds
    jne .lds_bad
    cmp si, 0x4321
.lds_bad:
    CHECK "LDS loads offset and segment"
    les di, [PTR]
    mov ax, es
    cmp ax, 0x3000
    CHECK "LES"
    lfs di, [PTR]
    mov ax, fs
    cmp ax, 0x3000
    CHECK "LFS"
    lgs di, [PTR]
    mov ax, gs
    cmp ax, 0x3000
    CHECK "LGS"
    mov word [PTR], 0x7B00
    mov word [PTR + 2], 0
    lss sp, [PTR]
    cmp sp, 0x7B00
    CHECK "LSS"
    mov sp, 0x7C00
    mov dword [PTR], 0x00007A00
    mov word [PTR + 4], 0
    o32 lss esp, [PTR]
    cmp esp, 0x7A00
    CHECK "LSS with 32-bit offset"
    mov esp, 0x7C00
    xor ax, ax
    mov es, ax
    mov fs, ax
    mov gs, ax

    ; ---- flags ----
    pushf
    pop ax
    or ax, 0x3000
    push ax
    popf
    pushf
    pop ax
    and ax, 0x3000
    cmp ax, 0x3000
    CHECK "POPF sets IOPL in real mode"
    push word 0x0002
    popf
    sti
    pushf
    pop ax
    test ax, 0x200
    jz .sti_bad
    cmp ax, ax
.sti_bad:
    CHECK "STI sets IF"
    cli
    pushf
    pop ax
    test ax, 0x200
    CHECK "CLI clears IF"

    ; ---- descriptor-table registers in real mode ----
    sidt [PTR]
    cmp word [PTR], 0xFFFF
    CHECK "SIDT in real mode: limit 0xFFFF after reset (SDM table 9-1)"
    cmp dword [PTR + 2], 0
    CHECK "SIDT in real mode: base 0"
    smsw ax
    test al, 1
    CHECK "SMSW: PE clear"
    FINISH

far16:
    push bp
    mov bp, sp
    mov ax, [bp + 2]
    mov [REC], ax
    mov ax, [bp + 4]
    mov [REC + 2], ax
    pop bp
    retf
far16_imm:
    retf 4
far32:
    mov ax, bx
    sub ax, sp
    mov [REC + 4], ax
    o32 retf
int40:
    inc word [REC + 6]
    iret

ROM_END
