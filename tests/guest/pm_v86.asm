; pm_v86.asm — virtual-8086 mode entered by IRET from ring 0. With IOPL 0
; the IOPL-sensitive instructions (CLI STI PUSHF POPF INT n) and HLT trap to
; a #GP monitor with error code 0, INT3 goes through the IDT (DPL 0 gate:
; #GP(0x1A)), the I/O bitmap decides IN/OUT. With IOPL 3 CLI/STI/PUSHF/POPF
; run (POPF cannot change IOPL), INT n goes to a ring-0 handler that sees
; the V86 segment registers on its stack and null data segments, and the I/O
; bitmap still applies. Then back to real mode.
%include "rom.inc"
%include "pm.inc"

%define MON_OP    0x0780        ; opcode the monitor saw
%define MON_CODE  0x0784        ; its error code
%define MON_COUNT 0x0788
%define REC       0x0800

; V86_TRAP {instruction}, opcode, error code, "name"
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

start:
    ROM_INIT
    PUTS `pm_v86: virtual-8086 mode\n`
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
    SET_GATE 0x61, SEL_CODE32, v86_exit, 0xEE
    SET_GATE 0x62, SEL_CODE32, v86_int62, 0xEE
    or byte [TSS0_BASE + 0x68 + 0x80 / 8], 1         ; deny port 0x80
    mov dword [MON_COUNT], 0

    ; ---- IOPL 0 ----
    mov dword [REC + 0x40], after_a
    push dword 0                ; GS
    push dword 0                ; FS
    push dword 0                ; DS
    push dword 0                ; ES
    push dword 0                ; SS
    push dword 0xB000           ; ESP
    push dword 0x00020002       ; VM, IOPL 0, IF 0
    push dword 0xF000           ; CS
    push dword v86_a            ; EIP
    iretd

after_a:
    EXPECT32 dword [REC + 0x30], 0xF000, "V86 exit frame: CS"
    ; ---- IOPL 3 ----
    mov dword [REC + 0x40], after_b
    push dword 0
    push dword 0
    push dword 0
    push dword 0
    push dword 0
    push dword 0xB000
    push dword 0x00023002       ; VM, IOPL 3
    push dword 0xF000
    push dword v86_b
    iretd

after_b:
    mov ax, cs
    EXPECT32 ax, SEL_CODE32, "back in protected mode"
    PUTS32 `back to real mode\n`
    PM_TO_REAL real_end

bits 16
real_end:
    mov eax, cr0
    test al, 1
    CHECK "real mode again after V86"
    FINISH

; ---------------------------------------------------------------- V86 code
bits 16
v86_a:
    mov ax, cs
    cmp ax, 0xF000
    CHECK "V86: CS = F000 (IRET loaded a real-mode style selector)"
    V86_TRAP cli, 0xFA, 0, "V86 IOPL 0: CLI -> #GP(0) to the monitor"
    V86_TRAP sti, 0xFB, 0, "V86 IOPL 0: STI -> #GP(0)"
    V86_TRAP pushf, 0x9C, 0, "V86 IOPL 0: PUSHF -> #GP(0)"
    V86_TRAP popf, 0x9D, 0, "V86 IOPL 0: POPF -> #GP(0)"
    V86_TRAP {int 0x21}, 0xCD, 0, "V86 IOPL 0: INT n -> #GP(0)"
    V86_TRAP hlt, 0xF4, 0, "V86: HLT -> #GP(0)"
    V86_TRAP int3, 0xCC, 3 * 8 + 2, "V86: INT3 through a DPL 0 gate -> #GP(0x1A)"
    V86_TRAP {in al, 0x80}, 0xE4, 0, "V86: IN from a denied port -> #GP(0)"
    mov byte [MON_OP], 0
    in al, 0x7F
    cmp byte [MON_OP], 0
    CHECK "V86: IN from an allowed port"
    mov ax, ds
    cmp ax, 0
    CHECK "V86: DS kept across monitor returns"
    int 0x61                    ; traps to the monitor, which leaves V86

v86_b:
    mov byte [MON_OP], 0
    cli
    sti
    cli
    cmp byte [MON_OP], 0
    CHECK "V86 IOPL 3: CLI/STI run without trapping"
    pushf
    pop ax
    and ax, 0x3000
    cmp ax, 0x3000
    CHECK "V86 IOPL 3: PUSHF shows IOPL 3"
    push word 0
    popf
    pushf
    pop ax
    and ax, 0x3000
    cmp ax, 0x3000
    CHECK "V86: POPF does not change IOPL"
    mov ax, 0x1234
    mov es, ax
    int 0x62
    xor ax, ax
    mov es, ax
    cmp word [REC + 0x04], 0xF000
    CHECK "INT from V86: frame CS"
    cmp word [REC + 0x14], 0x1234
    CHECK "INT from V86: ES pushed"
    cmp word [REC + 0x24], 0
    CHECK "INT from V86: DS is null in the handler"
    test word [REC + 0x26], 2   ; EFLAGS bit 17 (VM) >> 16
    CHECK "INT from V86: VM clear in the handler"
    cmp word [REC + 0x0C], 0xB000
    CHECK "INT from V86: frame SP"
    cmp word [REC + 0x28], STACK0_TOP - 36
    CHECK "INT from V86: 9 dwords on the ring-0 stack"
    V86_TRAP {in al, 0x80}, 0xE4, 0, "V86 IOPL 3: the I/O bitmap still applies"
    int 0x61                    ; IOPL 3: straight to the exit gate

; ---------------------------------------------------------------- ring 0
bits 32
; #GP monitor: [esp] code, EIP, CS, EFLAGS, ESP, SS, ES, DS, FS, GS
v86_monitor:
    push eax
    push ebx
    mov eax, [esp + 8]
    mov [ss:MON_CODE], eax
    inc dword [ss:MON_COUNT]
    movzx eax, word [esp + 16]
    shl eax, 4
    movzx ebx, word [esp + 12]
    add eax, ebx
    movzx ebx, byte [ss:eax]
    mov [ss:MON_OP], bl
    cmp bl, 0xCD
    je .two
    cmp bl, 0xE4
    je .two
    inc dword [esp + 12]
    jmp .ret
.two:
    cmp bl, 0xCD
    jne .skip2
    cmp byte [ss:eax + 1], 0x61
    je v86_exit_frame
.skip2:
    add dword [esp + 12], 2
.ret:
    pop ebx
    pop eax
    add esp, 4
    iretd

v86_exit_frame:                 ; from the monitor: drop code and regs
    add esp, 12
v86_exit:                       ; [esp] EIP, CS, ...
    mov eax, [ss:esp + 4]
    mov [ss:REC + 0x30], eax
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov esp, STACK0_TOP
    jmp [REC + 0x40]

v86_int62:
    push eax
    push ecx
    mov ecx, 0
.copy:
    mov eax, [esp + 8 + ecx * 4]
    mov [ss:REC + ecx * 4], eax
    inc ecx
    cmp ecx, 9
    jb .copy
    xor eax, eax
    mov ax, ds
    mov [ss:REC + 0x24], ax
    pushfd
    pop eax
    shr eax, 16
    mov [ss:REC + 0x26], ax
    lea eax, [esp + 8]
    mov [ss:REC + 0x28], ax
    pop ecx
    pop eax
    iretd

bits 16
gdt_template:
    GDT_STANDARD
gdt_template_end:

    PM_LIB
ROM_END
