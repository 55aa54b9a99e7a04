; pm_seg.asm — real -> 32-bit protected mode, segment register loads with
; each #GP/#SS/#NP case and its error code, limits (expand-up, expand-down,
; SS-relative), accessed bits, the LDT, LAR/LSL/VERR/VERW/ARPL, SGDT/SIDT,
; SLDT/STR, a 16-bit protected-mode code segment, and unreal mode (a 4 GiB
; limit loaded in PM survives the return to real mode).
%include "rom.inc"
%include "pm.inc"

%define SEL_RO      0x40        ; data, read-only
%define SEL_XO      0x48        ; code, execute-only
%define SEL_NP      0x50        ; data, not present
%define SEL_SMALL   0x58        ; data, limit 0xFFF
%define SEL_EDOWN   0x60        ; data, expand-down, limit 0xFFF, B=1
%define SEL_RCODE   0x68        ; code, readable (base F0000)
%define SEL_ACC     0x70        ; data, accessed bit clear
%define SEL_LDT     0x78        ; LDT descriptor
%define SEL_NPSS    0x80        ; writable data, not present
%define SEL_R3CODE  0x88        ; DPL3 readable non-conforming code

start:
    ROM_INIT
    PUTS `pm_seg: segment loads\n`
    PM_SETUP
    PM_ENTER32 pm_main

bits 32
pm_main:
    mov ax, cs
    EXPECT32 ax, SEL_CODE32, "CS is the 32-bit code selector"
    mov eax, 0x12345678         ; 32-bit operand without prefix
    EXPECT32 eax, 0x12345678, "32-bit default operand size"
    mov ax, SEL_TSS0
    ltr ax

    ; ---- null selectors ----
    xor eax, eax
    mov ds, ax                  ; loading null into DS is allowed
    CHECK32 "null selector loads into DS"
    mov ax, SEL_DATA32
    mov ds, ax
    TRY
    xor eax, eax
    mov ss, ax
    CATCH 13, 0, "null SS -> #GP(0)"

    ; ---- #GP(selector) cases ----
    TRY
    mov ax, 0x0800              ; beyond GDT limit 0x7FF
    mov es, ax
    CATCH 13, 0x0800, "selector beyond GDT limit -> #GP(sel)"
    TRY
    mov ax, 0x0C                ; LDT selector, LDTR null
    mov es, ax
    CATCH 13, 0x0C, "LDT selector with null LDTR -> #GP(sel)"
    TRY
    mov ax, SEL_TSS0
    mov es, ax
    CATCH 13, SEL_TSS0, "system descriptor into ES -> #GP(sel)"
    TRY
    mov ax, SEL_XO
    mov fs, ax
    CATCH 13, SEL_XO, "execute-only code into FS -> #GP(sel)"
    TRY
    mov ax, SEL_DATA32 | 3      ; RPL 3 > DPL 0
    mov gs, ax
    CATCH 13, SEL_DATA32, "RPL > DPL -> #GP(sel)"
    TRY
    mov ax, SEL_RO
    mov ss, ax
    CATCH 13, SEL_RO, "read-only data into SS -> #GP(sel)"
    TRY
    mov ax, SEL_DATA32_R3       ; RPL 3 != CPL 0
    mov ss, ax
    CATCH 13, SEL_DATA32_R3 & 0xfffc, "SS RPL != CPL -> #GP(sel)"
    TRY
    mov ax, SEL_DATA32_R3 & 0xfffc  ; DPL 3 != CPL 0
    mov ss, ax
    CATCH 13, SEL_DATA32_R3 & 0xfffc, "SS DPL != CPL -> #GP(sel)"
    TRY
    mov ax, SEL_RCODE
    mov ss, ax
    CATCH 13, SEL_RCODE, "code segment into SS -> #GP(sel)"
    TRY
    db 0x8e, 0xc8               ; mov cs, ax
    CATCH 6, -1, "MOV CS -> #UD"

    ; ---- not present ----
    TRY
    mov ax, SEL_NP
    mov ds, ax
    CATCH 11, SEL_NP, "not-present data -> #NP(sel)"
    TRY
    mov ax, SEL_NPSS
    mov ss, ax
    CATCH 12, SEL_NPSS, "not-present stack -> #SS(sel)"
    mov ax, SEL_DATA32
    mov ds, ax
    mov ax, ss
    EXPECT32 ax, SEL_DATA32, "SS unchanged after failed loads"

    ; ---- accessed bit ----
    mov al, [GDT_BASE + SEL_ACC + 5]
    EXPECT32 al, 0x92, "accessed bit clear before load"
    mov ax, SEL_ACC
    mov fs, ax
    mov al, [GDT_BASE + SEL_ACC + 5]
    EXPECT32 al, 0x93, "segment load sets the accessed bit"

    ; ---- LDT ----
    mov dword [LDT_BASE + 8], 0x0000FFFF     ; LDT[1]: flat data DPL0
    mov dword [LDT_BASE + 12], 0x00CF9200
    mov ax, SEL_LDT
    lldt ax
    sldt bx
    EXPECT32 bx, SEL_LDT, "SLDT returns the LDT selector"
    str bx
    EXPECT32 bx, SEL_TSS0, "STR returns the TSS selector"
    mov ax, 0x0C
    mov fs, ax
    mov dword [fs:SCRATCH], 0xCAFEBABE
    mov eax, [SCRATCH]
    EXPECT32 eax, 0xCAFEBABE, "load and use an LDT selector"
    TRY
    mov ax, 0x1C                ; LDT index 3, beyond LDT limit 0x17
    mov fs, ax
    CATCH 13, 0x1C, "selector beyond LDT limit -> #GP(sel)"
    TRY
    mov ax, SEL_DATA32
    lldt ax
    CATCH 13, SEL_DATA32, "LLDT of a data descriptor -> #GP(sel)"

    ; ---- LAR LSL VERR VERW ARPL ----
    mov eax, 0xFFFFFFFF
    mov bx, SEL_DATA32
    lar eax, bx
    CHECK32 "LAR flat data sets ZF"
    EXPECT32 eax, 0x00C09300, "LAR flat data access rights"
    mov bx, 0
    lar eax, bx
    setz al
    cmp al, 0
    CHECK32 "LAR null clears ZF"
    mov bx, SEL_TSS0
    lar eax, bx
    CHECK32 "LAR TSS sets ZF"
    EXPECT32 eax, 0x00008B00, "LAR busy TSS access rights"
    mov bx, SEL_SMALL
    lsl eax, bx
    CHECK32 "LSL sets ZF"
    EXPECT32 eax, 0xFFF, "LSL small segment"
    mov bx, SEL_DATA32
    lsl eax, bx
    EXPECT32 eax, 0xFFFFFFFF, "LSL page-granular limit"
    mov bx, SEL_XO
    verr bx
    setz al
    EXPECT32 al, 0, "VERR execute-only code fails"
    mov bx, SEL_RCODE
    verr bx
    CHECK32 "VERR readable code"
    mov bx, SEL_RO
    verw bx
    setz al
    EXPECT32 al, 0, "VERW read-only data fails"
    mov bx, SEL_DATA32
    verw bx
    CHECK32 "VERW writable data"
    mov bx, SEL_DATA32 | 3
    verr bx
    setz al
    EXPECT32 al, 0, "VERR with RPL > DPL fails"
    mov ax, 0x0010
    mov bx, 0x0003
    arpl ax, bx
    CHECK32 "ARPL raises RPL: ZF=1"
    EXPECT32 ax, 0x0013, "ARPL result"
    arpl ax, bx
    setz al
    EXPECT32 al, 0, "ARPL with equal RPL: ZF=0"

    ; ---- SGDT / SIDT ----
    sgdt [SCRATCH]
    EXPECT32 word [SCRATCH], 0x7FF, "SGDT limit"
    EXPECT32 dword [SCRATCH + 2], GDT_BASE, "SGDT base"
    o16 lgdt [cs:gdtr_hi]       ; 16-bit operand size: 24-bit base
    sgdt [SCRATCH]
    EXPECT32 dword [SCRATCH + 2], GDT_BASE, "LGDT o16 ignores the top base byte"
    sidt [SCRATCH]
    EXPECT32 word [SCRATCH], 0x7FF, "SIDT limit"
    EXPECT32 dword [SCRATCH + 2], IDT_BASE, "SIDT base"
    smsw eax
    test al, 1
    setnz al
    EXPECT32 al, 1, "SMSW shows PE"

    ; ---- 16-bit protected-mode code ----
    mov dword [SCRATCH], 0
    jmp SEL_CODE16:pm16
bits 16
pm16:
    mov bx, sp
    push ax                     ; 16-bit push in 16-bit code
    mov cx, sp
    pop ax
    sub bx, cx
    mov [SCRATCH], bx
    jmp dword SEL_CODE32:pm16_back
bits 32
pm16_back:
    EXPECT32 dword [SCRATCH], 2, "16-bit code segment pushes 2 bytes"

    ; ---- unreal mode: FS keeps a 4 GiB limit in real mode ----
    mov ax, SEL_DATA32
    mov fs, ax
    PUTS32 `back to real mode\n`
    PM_TO_REAL real_again

bits 16
real_again:
    ; PM_TO_REAL loaded SEL_DATA16 (64 KiB) into every data register, so
    ; go to PM once more, load a flat FS, and leave without touching FS.
    PM_ENTER32 pm_unreal
bits 32
pm_unreal:
    mov ax, SEL_DATA32
    mov fs, ax
    jmp SEL_CODE16:.p16
bits 16
.p16:
    mov ax, SEL_DATA16
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov eax, cr0
    and al, 0xFE
    mov cr0, eax
    jmp 0xF000:.real
.real:
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7C00
    o32 lidt [cs:pm_real_idtr]
    mov ax, 0
    mov fs, ax                  ; base 0; the 4 GiB limit stays
    mov dword [fs:dword 0x00200000], 0x5A5AA5A5
    mov dword [fs:dword 0x00000800], 0
    mov eax, [fs:dword 0x00200000]
    cmp eax, 0x5A5AA5A5
    CHECK "unreal mode: write/read at 2 MiB through FS"
    mov eax, [fs:dword 0x00000800]
    cmp eax, 0
    CHECK "unreal mode: 2 MiB does not alias low memory"
    mov eax, cr0
    test al, 1
    CHECK "back in real mode (PE clear)"
    FINISH

gdtr_hi: dw 0x7FF
         dd 0xAB000000 + GDT_BASE

bits 16
gdt_template:
    GDT_STANDARD
    DESC 0, 0xFFFFF, 0x90, 0xC          ; 40 read-only data
    DESC 0xF0000, 0xFFFF, 0x98, 0x4     ; 48 execute-only code
    DESC 0, 0xFFFFF, 0x12, 0xC          ; 50 not present
    DESC 0, 0xFFF, 0x92, 0x4            ; 58 small data
    DESC 0, 0xFFF, 0x96, 0x4            ; 60 expand-down, B=1
    DESC 0xF0000, 0xFFFF, 0x9A, 0x4     ; 68 readable code
    DESC 0, 0xFFFFF, 0x92, 0xC          ; 70 accessed clear
    DESC LDT_BASE, 0x17, 0x82, 0x0      ; 78 LDT
    DESC 0, 0xFFFFF, 0x12, 0xC          ; 80 writable, not present
    DESC 0xF0000, 0xFFFF, 0xFA, 0x4     ; 88 DPL3 code
gdt_template_end:

    PM_LIB
ROM_END
