; pm_vme.asm — virtual-8086 mode extensions (SDM vol. 3 20.3-20.4) with
; CR4.VME and IOPL 0: CLI/STI/PUSHF/POPF/IRET work on VIF instead of
; trapping, 32-bit PUSHFD still traps, POPF with TF traps, and INT n is
; redirected to the V86 program's own IVT when its bit in the TSS
; interrupt redirection bitmap is clear (it traps when set).
; When CPUID does not report VME the test only says so. (Checked with the
; VME bit forced on in rawbox: 12 checks pass; QEMU TCG lacks VME.)
; qemu-differs: QEMU's TCG does not implement VME (CLI/STI/PUSHF/POPF/INT n still trap in V86 mode with IOPL < 3)
%include "rom.inc"
%include "pm.inc"

%define MON_OP    0x0780
%define MON_CODE  0x0784
%define REC       0x0800

%macro V86_TRAP 4
    mov byte [MON_OP], 0
    mov dword [MON_CODE], -1
    %1
    cmp byte [MON_OP], %2
    jne %%no
    cmp dword [MON_CODE], %3
%%no:
    CHECK %4
%endmacro

%macro V86_NOTRAP 2
    mov byte [MON_OP], 0
    %1
    cmp byte [MON_OP], 0
    CHECK %2
%endmacro

start:
    ROM_INIT
    PUTS `pm_vme: virtual-8086 mode extensions\n`
    mov eax, 1
    cpuid
    test dl, 2                  ; EDX bit 1: VME
    jnz .have
    PUTS `note: CPUID does not report VME; nothing to test\n`
    xor ax, ax                  ; ZF = 1
    CHECK "VME not reported: skipped"
    FINISH
.have:
    PM_SETUP
    PM_ENTER32 pm_main

bits 32
pm_main:
    mov al, 0xFF
    out 0x21, al
    out 0xA1, al
    mov ax, SEL_TSS0
    ltr ax
    SET_GATE 13, SEL_CODE32, v86_monitor, 0x8E
    ; redirection bitmap at TSS+0x68 (32 bytes), I/O bitmap from 0x88
    mov word [TSS0_BASE + 0x66], 0x88
    or byte [TSS0_BASE + 0x68 + 0x31 / 8], 1 << (0x31 & 7)
    or byte [TSS0_BASE + 0x68 + 0x61 / 8], 1 << (0x61 & 7)
    mov word [0x30 * 4], v86_int30      ; the V86 program's IVT entry
    mov word [0x30 * 4 + 2], 0xF000
    mov eax, cr4
    or eax, 1                   ; VME
    mov cr4, eax
    push dword 0
    push dword 0
    push dword 0
    push dword 0
    push dword 0
    push dword 0xB000
    push dword 0x00020002       ; VM, IOPL 0, IF 0, VIF 0
    push dword 0xF000
    push dword v86_code
    iretd

after_v86:
    mov eax, cr4
    and eax, ~1
    mov cr4, eax
    PM_TO_REAL real_end

bits 16
real_end:
    FINISH

; ---------------------------------------------------------------- V86 code
v86_code:
    V86_NOTRAP sti, "VME: STI does not trap"
    pushf
    pop ax
    and ax, 0x3200
    cmp ax, 0x3200
    CHECK "VME: PUSHF shows VIF as IF and IOPL 3"
    V86_NOTRAP cli, "VME: CLI does not trap"
    pushf
    pop ax
    test ax, 0x200
    CHECK "VME: after CLI the pushed IF (VIF) is 0"
    push word 0x0200
    V86_NOTRAP popf, "VME: POPF does not trap"
    pushf
    pop ax
    test ax, 0x200
    jz .bad1
    cmp ax, ax
.bad1:
    CHECK "VME: POPF sets VIF from IF"
    V86_TRAP pushfd, 0x66, 0, "VME: 32-bit PUSHFD still traps"
    push word 0x0100
    V86_TRAP popf, 0x9D, 0, "VME: POPF with TF traps"
    add sp, 2
    mov word [REC], 0
    V86_NOTRAP {int 0x30}, "VME: INT n with a clear redirection bit does not trap"
    cmp word [REC], 0x30
    CHECK "VME: INT 0x30 ran the V86 IVT handler"
    cmp word [REC + 2], 0x3000
    CHECK "VME: the handler saw IOPL 3 in its FLAGS image"
    V86_TRAP {int 0x31}, 0xCD, 0, "VME: INT n with its redirection bit set traps"
    int 0x61                    ; bit set: #GP -> the monitor leaves V86

v86_int30:
    push bp
    mov bp, sp
    push ax
    mov word [REC], 0x30
    mov ax, [bp + 6]
    and ax, 0x3000
    mov [REC + 2], ax
    pop ax
    pop bp
    iret

; ---------------------------------------------------------------- ring 0
bits 32
v86_monitor:
    push eax
    push ebx
    mov eax, [esp + 8]
    mov [ss:MON_CODE], eax
    movzx eax, word [esp + 16]
    shl eax, 4
    movzx ebx, word [esp + 12]
    add eax, ebx
    movzx ebx, byte [ss:eax]
    mov [ss:MON_OP], bl
    cmp bl, 0xCD
    jne .one
    cmp byte [ss:eax + 1], 0x61
    je .exit
    add dword [esp + 12], 2
    jmp .ret
.one:
    cmp bl, 0x66
    jne .single
    add dword [esp + 12], 2     ; 66 9C
    jmp .ret
.single:
    inc dword [esp + 12]
.ret:
    pop ebx
    pop eax
    add esp, 4
    iretd
.exit:
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov esp, STACK0_TOP
    jmp after_v86

bits 16
gdt_template:
    GDT_STANDARD
gdt_template_end:

    PM_LIB
ROM_END
