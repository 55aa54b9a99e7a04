; pm_limits.asm — segment checks on use in protected mode: a null data
; segment register, writes to read-only data and to code, expand-up and
; expand-down limits, an SS-relative access beyond the SS limit; and the
; EXT bit (SDM vol. 3 6.13) in the error code of a fault raised while
;  delivering an earlier exception; SGDT's base with 16-bit operand size.
; qemu-differs: QEMU's TCG does not check segment limits, types or null selectors on ordinary data accesses (SDM vol. 3 5.3, 5.4 require them), does not set EXT in error codes of faults during exception delivery (SDM vol. 3 6.13), does not set RF in the EFLAGS image pushed for faults (SDM vol. 3 17.3.1.1), and stores a 24-bit base for SGDT with 16-bit operand size (the current SDM SGDT pseudocode stores all 32 bits)
%include "rom.inc"
%include "pm.inc"

%define SEL_RO      0x40        ; data, read-only
%define SEL_SMALL   0x58        ; data, limit 0xFFF
%define SEL_EDOWN   0x60        ; data, expand-down, limit 0xFFF, B=1
%define SEL_RCODE   0x68        ; code, readable (base F0000)

start:
    ROM_INIT
    PUTS `pm_limits: segment checks on use\n`
    PUTS `note: QEMU does not check segment limits/types on data accesses, nor set EXT; the SDM does\n`
    PM_SETUP
    PM_ENTER32 pm_main

bits 32
pm_main:
    xor eax, eax
    mov ds, ax
    TRY
    mov eax, [ds:0]
    CATCH 13, 0, "use of null DS -> #GP(0)"

    mov ax, SEL_DATA32
    mov ds, ax
    mov ax, SEL_RO
    mov es, ax
    mov eax, [es:0x600]
    CHECK32 "read through read-only data"
    TRY
    mov [es:SCRATCH], eax
    CATCH 13, 0, "write to read-only data -> #GP(0)"
    mov ax, SEL_RCODE
    mov es, ax
    mov eax, [es:start]
    mov ebx, [cs:start]
    EXPECT32 eax, ebx, "read through readable code segment"
    TRY
    mov [es:0], eax
    CATCH 13, 0, "write to code segment -> #GP(0)"
    mov ax, SEL_SMALL
    mov es, ax
    mov eax, [es:0xFFC]
    CHECK32 "dword at limit-3 is inside"
    TRY
    mov eax, [es:0xFFD]
    CATCH 13, 0, "dword crossing the limit -> #GP(0)"
    mov ax, SEL_EDOWN
    mov es, ax
    mov eax, [es:0x1000]
    CHECK32 "expand-down: offset limit+1 is inside"
    TRY
    mov eax, [es:0xFFF]
    CATCH 13, 0, "expand-down: offset at limit -> #GP(0)"
    ; SS-relative overrun with a small stack segment (the handler runs on
    ; the same stack, which stays valid)
    mov ax, SEL_SMALL
    mov ss, ax
    mov esp, 0xF00
    TRY
    mov ebp, 0x2000
    mov eax, [ebp]
    CATCH 12, 0, "SS-relative access beyond limit -> #SS(0)"
    mov ax, SEL_DATA32
    mov ss, ax
    mov esp, STACK0_TOP
    mov ax, SEL_DATA32
    mov es, ax

    ; ---- SGDT with 16-bit operand size ----
    lgdt [cs:gdtr_hi]           ; no descriptor loads until restored
    o16 sgdt [SCRATCH]
    lgdt [cs:pm_gdtr]
    EXPECT32 dword [SCRATCH + 2], 0xAB000000 + GDT_BASE, "SGDT o16 stores the full 32-bit base (current SDM; QEMU stores 24 bits)"

    ; ---- RF in the EFLAGS image of a fault ----
    TRY
    ud2
    CATCH 6, -1, "#UD for the RF check"
    mov eax, [EXC_EFL]
    and eax, 0x10000
    EXPECT32 eax, 0x10000, "fault pushes EFLAGS with RF set (SDM 17.3.1.1)"
    TRY
    int3
    CATCH 3, -1, "#BP for the RF check"
    mov eax, [EXC_EFL]
    and eax, 0x10000
    EXPECT32 eax, 0, "trap (#BP) pushes EFLAGS with RF clear"

    ; ---- EXT bit ----
    and byte [IDT_BASE + 6 * 8 + 5], 0x7F     ; #UD gate not present
    TRY
    ud2
    CATCH 11, 6 * 8 + 2 + 1, "#NP while delivering #UD has EXT set"
    or byte [IDT_BASE + 6 * 8 + 5], 0x80
    and byte [IDT_BASE + 0x40 * 8 + 5], 0x7F
    TRY
    int 0x40
    CATCH 11, 0x40 * 8 + 2, "#NP for INT n's missing gate has EXT clear"
    FINISH32

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
gdt_template_end:

    PM_LIB
ROM_END
