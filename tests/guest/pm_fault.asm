; pm_fault.asm — exception delivery: real-mode INT n and #UD through the
; IVT (frame, IF/TF cleared), protected-mode exceptions with and without
; error codes (#DE #BP #OF #BR #UD), and the double-fault rules of SDM
; vol. 3 table 6-5: contributory during contributory -> #DF(0); a benign
; exception whose gate is missing -> #NP delivered normally.
%include "rom.inc"
%include "pm.inc"

%define REC 0x0800

start:
    ROM_INIT
    PUTS `pm_fault: exception delivery\n`

    ; ---- real mode: INT n through the IVT ----
    mov word [0x30 * 4], rm_int30
    mov word [0x30 * 4 + 2], 0xF000
    mov word [6 * 4], rm_ud
    mov word [6 * 4 + 2], 0xF000
    mov al, 0xFF                ; mask the PICs: IF=1 below
    out 0x21, al
    out 0xA1, al
    mov sp, 0x7C00
    push word 0x0201            ; IF=1 CF=1
    popf
    int 0x30
rm_after_int:
    cmp word [REC + 0], rm_after_int
    CHECK "real-mode INT pushes the return IP"
    cmp word [REC + 2], 0xF000
    CHECK "real-mode INT pushes CS"
    mov ax, [REC + 4]
    and ax, 0x0201
    cmp ax, 0x0201
    CHECK "real-mode INT pushes FLAGS with IF"
    mov ax, [REC + 6]
    and ax, 0x0300
    cmp ax, 0
    CHECK "real-mode INT clears IF and TF"
    cmp word [REC + 8], 0x7C00 - 6
    CHECK "real-mode INT frame is 3 words"
    pushf
    pop ax
    and ax, 0x0200
    cmp ax, 0x0200
    CHECK "IRET restores IF"
    cli
    ud2
    cmp word [REC + 10], 6
    CHECK "real-mode #UD through IVT vector 6"

    PM_SETUP
    PM_ENTER32 pm_main

bits 16
rm_int30:
    push bp
    mov bp, sp
    push ax
    mov ax, [bp + 2]
    mov [REC + 0], ax
    mov ax, [bp + 4]
    mov [REC + 2], ax
    mov ax, [bp + 6]
    mov [REC + 4], ax
    pushf
    pop ax
    mov [REC + 6], ax
    lea ax, [bp + 2]
    mov [REC + 8], ax
    pop ax
    pop bp
    iret

rm_ud:
    push bp
    mov bp, sp
    mov word [REC + 10], 6
    add word [bp + 2], 2        ; skip UD2
    pop bp
    iret

bits 32
pm_main:
    ; ---- exceptions without error codes ----
    TRY
    xor edx, edx
    xor eax, eax
    xor ecx, ecx
    div ecx
    CATCH 0, -1, "#DE from DIV by zero"
    TRY
    ud2
    CATCH 6, -1, "#UD from UD2"
    TRY
    int3
    CATCH 3, -1, "#BP from INT3"
    TRY
    mov al, 0x7F
    add al, 1                   ; OF = 1
    into
    CATCH 4, -1, "#OF from INTO with OF=1"
    mov dword [REC], 1
    mov dword [REC + 4], 5
    TRY
    mov eax, 9
    bound eax, [REC]
    CATCH 5, -1, "#BR from BOUND out of range"
    TRY
    mov ax, 0x0804
    mov ds, ax
    CATCH 13, 0x0804, "#GP(sel) keeps TI in the error code"
    mov ax, SEL_DATA32
    mov ds, ax
    ; the EIP pushed for a fault is the faulting instruction
    TRY
fault_here:
    ud2
    CATCH 6, -1, "#UD again"
    EXPECT32 dword [EXC_EIP], fault_here, "fault pushes the EIP of the faulting instruction"
    TRY
    int3
trap_after:
    CATCH 3, -1, "#BP again"
    EXPECT32 dword [EXC_EIP], trap_after, "INT3 pushes the EIP after it"

    ; ---- double faults ----
    and byte [IDT_BASE + 13 * 8 + 5], 0x7F    ; #GP gate not present
    TRY
    mov ax, 0x0800
    mov es, ax                  ; #GP -> #NP(13*8+2) while delivering -> #DF
    CATCH 8, 0, "#GP with a missing #GP gate -> #DF(0)"
    or byte [IDT_BASE + 13 * 8 + 5], 0x80

    and byte [IDT_BASE + 0 * 8 + 5], 0x7F     ; #DE gate not present
    TRY
    xor edx, edx
    xor ecx, ecx
    div ecx
    CATCH 8, 0, "#DE with a missing #DE gate -> #DF(0)"
    or byte [IDT_BASE + 0 * 8 + 5], 0x80

    and byte [IDT_BASE + 6 * 8 + 5], 0x7F     ; #UD gate not present
    TRY
    ud2
    CATCH 11, -1, "#UD (benign) with a missing gate -> #NP, not #DF"
    mov eax, [EXC_CODE]
    and eax, ~1                 ; EXT: see pm_limits.asm
    EXPECT32 eax, 6 * 8 + 2, "#NP error code names the IDT gate"
    or byte [IDT_BASE + 6 * 8 + 5], 0x80

    mov ax, es
    EXPECT32 ax, SEL_DATA32, "ES unchanged by the faulting loads"
    FINISH32

bits 16
gdt_template:
    GDT_STANDARD
gdt_template_end:

    PM_LIB
ROM_END
