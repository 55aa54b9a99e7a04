; pm_priv.asm — privilege levels: ring 3 entered by IRET (data segments
; nulled), IOPL-sensitive instructions and the I/O permission bitmap at
; CPL 3, POPF's writable bits, interrupt and trap gates with the stack
; switch through the TSS, gate DPL and not-present gates, call gates (32-bit
; with parameters and 16-bit) to ring 0 and RETF back (DS nulled), a call
; gate whose TSS stack is bad (#TS), conforming code, far JMP/CALL privilege
; faults, IRET privilege faults, an IDT limit #GP with the IDT bit, RETF
; straight to ring 3 and a 16-bit interrupt gate from ring 3.
%include "rom.inc"
%include "pm.inc"

%define SEL_CG32    0x40        ; call gate DPL3 -> 08:cg_target, 2 params
%define SEL_CONF    0x48        ; conforming code DPL0
%define SEL_CODE1   0x50        ; code DPL1
%define SEL_CG1     0x58        ; call gate DPL3 -> 50:cg1_target
%define SEL_CGBACK  0x60        ; call gate DPL3 -> 08:back_to_ring0
%define SEL_CG16    0x68        ; 16-bit call gate DPL3 -> 08:cg16_target, 1 param
%define SEL_CGBACK2 0x70        ; call gate DPL3 -> 08:back_to_ring0_2

%define REC         0x0800      ; handler records

start:
    ROM_INIT
    PUTS `pm_priv: privilege levels and gates\n`
    PM_SETUP
    PM_ENTER32 pm_main

bits 32
pm_main:
    mov al, 0xFF                ; mask both PICs: no stray IRQs with IF=1
    out 0x21, al
    out 0xA1, al
    mov ax, SEL_TSS0
    ltr ax
    SET_GATE 0x40, SEL_CODE32, int40_handler, 0xEE   ; int gate DPL3
    SET_GATE 0x41, SEL_CODE32, int40_handler, 0x8E   ; int gate DPL0
    SET_GATE 0x42, SEL_CODE32, int40_handler, 0x6E   ; DPL3, not present
    SET_GATE 0x43, SEL_CODE32, int40_handler, 0xEF   ; trap gate DPL3
    or byte [TSS0_BASE + 0x68 + 0x80 / 8], 1         ; deny port 0x80
    mov dword [TSS0_BASE + 0x0C], 0x9800             ; ESP1
    mov word [TSS0_BASE + 0x10], SEL_DATA32          ; SS1: DPL 0, wrong

    ; ---- same-privilege interrupt: no stack switch ----
    mov ebx, esp
    int 0x40
    EXPECT32 dword [REC + 0x14], SEL_DATA32, "ring-0 INT keeps SS"
    sub ebx, 12
    EXPECT32 dword [REC + 0x18], ebx, "ring-0 INT pushes 3 dwords"
    EXPECT32 dword [REC + 0x04], SEL_CODE32, "ring-0 INT frame CS"

    ; ---- IDT limit ----
    lidt [cs:idt_short]
    TRY
    int 0x30
    CATCH 13, 0x30 * 8 + 2, "INT beyond IDT limit -> #GP(vec*8+2)"
    lidt [cs:pm_idtr]

    ; ---- IRET to ring 3 with a bad SS ----
    TRY
    push dword SEL_DATA32       ; RPL 0 != new CPL 3
    push dword STACK3_TOP
    push dword 0x202
    push dword SEL_CODE32_R3
    push dword ring3
    iretd
    CATCH 13, SEL_DATA32, "IRET to ring 3 with SS RPL 0 -> #GP(ss)"
    mov esp, STACK0_TOP

    ; ---- enter ring 3 ----
    mov ax, SEL_DATA32
    mov es, ax
    mov fs, ax
    mov gs, ax
    push dword SEL_DATA32_R3
    push dword STACK3_TOP
    push dword 0x202            ; IF=1, IOPL=0
    push dword SEL_CODE32_R3
    push dword ring3
    iretd

ring3:
    mov ax, cs
    mov bx, ds
    mov cx, es
    mov dx, ss
    push edx
    mov dx, gs
    mov si, SEL_DATA32_R3
    mov ds, si
    cmp ax, SEL_CODE32_R3
    CHECK32 "IRET to ring 3: CS"
    pop eax
    EXPECT32 ax, SEL_DATA32_R3, "IRET to ring 3: SS"
    EXPECT32 bx, 0, "IRET to outer level nulls DS (DPL 0)"
    EXPECT32 cx, 0, "IRET to outer level nulls ES"
    EXPECT32 dx, 0, "IRET to outer level nulls GS"
    mov ax, SEL_DATA32_R3
    mov es, ax
    TRY
    mov ax, SEL_DATA32
    mov es, ax
    CATCH 13, SEL_DATA32, "CPL 3 loading a DPL 0 data segment -> #GP(sel)"

    ; ---- IOPL-sensitive instructions at CPL 3, IOPL 0 ----
    TRY
    cli
    CATCH 13, 0, "CLI at CPL 3 with IOPL 0 -> #GP(0)"
    TRY
    hlt
    CATCH 13, 0, "HLT at CPL 3 -> #GP(0)"
    TRY
    lgdt [cs:pm_gdtr]
    CATCH 13, 0, "LGDT at CPL 3 -> #GP(0)"
    TRY
    in al, 0x80
    CATCH 13, 0, "IN from a port denied by the I/O bitmap -> #GP(0)"
    TRY
    in ax, 0x7F                 ; 0x7F allowed, 0x80 denied
    CATCH 13, 0, "IN word overlapping a denied port -> #GP(0)"
    in al, 0x7F
    CHECK32 "IN from an allowed port at CPL 3"
    pushfd
    pop esi
    push dword 0x3002           ; try IF=0, IOPL=3
    popfd
    pushfd
    pop eax
    and eax, 0x3200
    EXPECT32 eax, 0x200, "POPF at CPL 3 changes neither IF nor IOPL"
    push esi
    popfd
    pushfd                      ; IRET at CPL 3: same rules as POPF
    push cs
    push dword .iret_back
    and dword [esp + 8], ~0x200
    or dword [esp + 8], 0x3000
    iretd
.iret_back:
    pushfd
    pop eax
    and eax, 0x3200
    EXPECT32 eax, 0x200, "IRET at CPL 3 changes neither IF nor IOPL"

    ; ---- interrupt and trap gates from ring 3 ----
    mov ebx, esp
    int 0x40
    EXPECT32 dword [REC + 0x04], SEL_CODE32_R3, "INT from ring 3: frame CS"
    EXPECT32 dword [REC + 0x0C], ebx, "INT from ring 3: frame ESP"
    EXPECT32 dword [REC + 0x10], SEL_DATA32_R3, "INT from ring 3: frame SS"
    EXPECT32 dword [REC + 0x14], SEL_DATA32, "INT from ring 3: SS from TSS"
    EXPECT32 dword [REC + 0x18], STACK0_TOP - 20, "INT from ring 3: ESP from TSS"
    mov eax, [REC + 0x08]
    and eax, 0x200
    EXPECT32 eax, 0x200, "pushed EFLAGS has IF"
    mov eax, [REC + 0x1C]
    and eax, 0x200
    EXPECT32 eax, 0, "interrupt gate clears IF"
    int 0x43
    mov eax, [REC + 0x1C]
    and eax, 0x200
    EXPECT32 eax, 0x200, "trap gate keeps IF"
    TRY
    int 0x41
    CATCH 13, 0x41 * 8 + 2, "INT through DPL 0 gate from ring 3 -> #GP(vec*8+2)"
    TRY
    int3
    CATCH 13, 3 * 8 + 2, "INT3 through DPL 0 gate from ring 3 -> #GP"
    TRY
    int 0x42
    CATCH 11, 0x42 * 8 + 2, "INT through not-present gate -> #NP(vec*8+2)"

    ; ---- call gates ----
    mov ebx, esp
    push dword 0x1111
    push dword 0x2222
    call SEL_CG32:0
    EXPECT32 esp, ebx, "RETF 8 releases the parameters on the outer stack"
    mov ax, ds
    EXPECT32 ax, 0, "RETF to outer level nulls DS loaded at ring 0"
    mov ax, SEL_DATA32_R3
    mov ds, ax
    EXPECT32 dword [REC + 0x04], SEL_CODE32_R3, "call gate frame: caller CS"
    EXPECT32 dword [REC + 0x08], 0x2222, "call gate copies parameter 2"
    EXPECT32 dword [REC + 0x0C], 0x1111, "call gate copies parameter 1"
    sub ebx, 8
    EXPECT32 dword [REC + 0x10], ebx, "call gate frame: caller ESP"
    EXPECT32 dword [REC + 0x14], SEL_DATA32_R3, "call gate frame: caller SS"
    EXPECT32 dword [REC + 0x18], SEL_CODE32, "call gate target runs in ring-0 CS"
    EXPECT32 dword [REC + 0x1C], SEL_DATA32, "call gate target stack from TSS"

    mov ebx, esp
    push word 0x3333
    call SEL_CG16:0
    EXPECT32 esp, ebx, "16-bit call gate: RETF 2 releases the parameter"
    EXPECT32 word [REC + 0x04], 0x3333, "16-bit call gate copies a word"
    EXPECT32 word [REC + 0x02], SEL_CODE32_R3, "16-bit call gate frame: CS"
    EXPECT32 dword [REC + 0x10], STACK0_TOP - 10, "16-bit call gate pushes 5 words"

    TRY
    call SEL_CG1:0              ; TSS SS1 is a DPL 0 segment
    CATCH 10, SEL_DATA32, "call gate with bad TSS stack -> #TS(ss)"

    ; ---- conforming code ----
    call SEL_CONF:conf_target
    EXPECT32 dword [REC], 3, "conforming code runs at the caller's CPL"
    TRY
    jmp SEL_CODE32:ring3
    CATCH 13, SEL_CODE32, "JMP to DPL 0 code from ring 3 -> #GP(sel)"
    TRY
    call SEL_CODE32:ring3
    CATCH 13, SEL_CODE32, "CALL to DPL 0 code from ring 3 -> #GP(sel)"
    TRY
    jmp SEL_CG32:0
    CATCH 13, SEL_CODE32, "JMP through a call gate to more privilege -> #GP(target)"

    ; ---- back to ring 0 through a gate ----
    call SEL_CGBACK:0

bits 32
back_to_ring0:
    mov esp, STACK0_TOP
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov ax, cs
    EXPECT32 ax, SEL_CODE32, "back in ring 0 through a call gate"

    ; ---- RETF straight to ring 3, then a 16-bit interrupt gate ----
    SET_GATE 0x44, SEL_CODE32, int44_16, 0xE6        ; 16-bit int gate DPL3
    mov ax, SEL_DATA32          ; DPL 0 in DS and FS: nulled by the RETF
    mov fs, ax
    push dword SEL_DATA32_R3
    push dword STACK3_TOP
    push dword SEL_CODE32_R3
    push dword ring3_retf
    retf

ring3_retf:
    mov ax, ds
    mov bx, fs
    mov cx, cs
    mov si, SEL_DATA32_R3
    mov ds, si
    EXPECT32 ax, 0, "RETF to ring 3 nulls DS"
    EXPECT32 bx, 0, "RETF to ring 3 nulls FS"
    EXPECT32 cx, SEL_CODE32_R3, "RETF to ring 3: CS"
    mov ebx, esp
    int 0x44
    EXPECT32 esp, ebx, "16-bit interrupt gate: IRET balances the stack"
    EXPECT32 word [REC + 0x02], SEL_CODE32_R3, "16-bit interrupt gate frame: CS"
    EXPECT32 word [REC + 0x06], bx, "16-bit interrupt gate frame: SP"
    EXPECT32 word [REC + 0x08], SEL_DATA32_R3, "16-bit interrupt gate frame: SS"
    EXPECT32 dword [REC + 0x10], STACK0_TOP - 10, "16-bit interrupt gate pushes 5 words"
    call SEL_CGBACK2:0

back_to_ring0_2:
    mov esp, STACK0_TOP
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    FINISH32

int44_16:                       ; 16-bit frame: IP CS FLAGS SP SS
    push eax
    mov eax, [esp + 4]
    mov [ss:REC + 0x00], eax
    mov eax, [esp + 8]
    mov [ss:REC + 0x04], eax
    mov ax, [esp + 12]
    mov [ss:REC + 0x08], ax
    lea eax, [esp + 4]
    mov [ss:REC + 0x10], eax
    pop eax
    o16 iret

; ---- handlers ----
int40_handler:
    push eax
    mov eax, [esp + 4]
    mov [ss:REC + 0x00], eax
    mov eax, [esp + 8]
    mov [ss:REC + 0x04], eax
    mov eax, [esp + 12]
    mov [ss:REC + 0x08], eax
    mov eax, [esp + 16]
    mov [ss:REC + 0x0C], eax
    mov eax, [esp + 20]
    mov [ss:REC + 0x10], eax
    xor eax, eax
    mov ax, ss
    mov [ss:REC + 0x14], eax
    lea eax, [esp + 4]
    mov [ss:REC + 0x18], eax
    pushfd
    pop eax
    mov [ss:REC + 0x1C], eax
    pop eax
    iretd

cg_target:                      ; 32-bit gate, 2 parameters
    push eax
    mov eax, [esp + 4]
    mov [ss:REC + 0x00], eax
    mov eax, [esp + 8]
    mov [ss:REC + 0x04], eax
    mov eax, [esp + 12]
    mov [ss:REC + 0x08], eax
    mov eax, [esp + 16]
    mov [ss:REC + 0x0C], eax
    mov eax, [esp + 20]
    mov [ss:REC + 0x10], eax
    mov eax, [esp + 24]
    mov [ss:REC + 0x14], eax
    xor eax, eax
    mov ax, cs
    mov [ss:REC + 0x18], eax
    mov ax, ss
    mov [ss:REC + 0x1C], eax
    mov ax, SEL_DATA32          ; DPL 0: must be nulled by the RETF
    mov ds, ax
    pop eax
    retf 8

cg16_target:                    ; 16-bit gate, 1 word parameter
    push eax
    mov eax, [esp + 4]          ; IP, CS
    mov [ss:REC + 0x00], eax
    mov eax, [esp + 8]          ; param, SP
    mov [ss:REC + 0x04], eax
    lea eax, [esp + 4]
    mov [ss:REC + 0x10], eax
    pop eax
    o16 retf 2

cg1_target:
    retf

conf_target:
    push eax
    mov ax, cs
    and eax, 3
    mov [ss:REC], eax
    pop eax
    retf

idt_short: dw 0x30 * 8 - 1
           dd IDT_BASE

bits 16
gdt_template:
    GDT_STANDARD
    GATE SEL_CODE32, cg_target, 0xEC, 2     ; 40
    DESC 0xF0000, 0xFFFF, 0x9E, 0x4         ; 48 conforming DPL0
    DESC 0xF0000, 0xFFFF, 0xBA, 0x4         ; 50 code DPL1
    GATE SEL_CODE1, cg1_target, 0xEC, 0     ; 58
    GATE SEL_CODE32, back_to_ring0, 0xEC, 0 ; 60
    GATE SEL_CODE32, cg16_target, 0xE4, 1   ; 68 16-bit call gate
    GATE SEL_CODE32, back_to_ring0_2, 0xEC, 0 ; 70
gdt_template_end:

    PM_LIB
ROM_END
