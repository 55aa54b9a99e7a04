; pm_task.asm — hardware task switches: JMP to a TSS (busy bits, TR,
; CR0.TS, registers saved and restored), CALL to a TSS and through a task
; gate (NT, back link) with IRET back, INT through an IDT task gate, an
; exception (#GP with its error code) through a task gate, a 16-bit TSS,
; and the #GP/#TS cases: CALL/JMP to a busy TSS, a TSS limit below 0x67,
; a bad LDT selector in the new TSS (#TS taken in the new task).
; qemu-differs: QEMU keeps the upper halves of registers loaded from a 16-bit TSS; rawbox sets them to all ones as the 386 does (SDM 7.6: "modified and not maintained"; test386 checks the 386 value)
%include "rom.inc"
%include "pm.inc"

%define SEL_TSS1    0x40
%define SEL_TSS2    0x48
%define SEL_TSS16   0x50
%define SEL_TGATE2  0x58        ; task gate -> TSS2
%define SEL_TSS3    0x60
%define SEL_TSSBAD  0x68        ; limit 0x50
%define SEL_TSS4    0x70
%define SEL_TSS5    0x78        ; its LDT selector points into the LDT

%define TSS1_BASE   0x6000
%define TSS2_BASE   0x6100
%define TSS16_BASE  0x6200
%define TSS3_BASE   0x6300
%define TSS4_BASE   0x6400
%define TSSBAD_BASE 0x6500
%define TSS5_BASE   0x6600

%define R           0x0800      ; task records

; INIT_TSS32 base, entry label, esp
%macro INIT_TSS32 3
    mov edi, %1
    mov ecx, 0x68 / 4
    xor eax, eax
    rep stosd
    mov dword [%1 + 0x20], %2
    mov dword [%1 + 0x24], 2
    mov dword [%1 + 0x38], %3
    mov dword [%1 + 0x48], SEL_DATA32
    mov dword [%1 + 0x4C], SEL_CODE32
    mov dword [%1 + 0x50], SEL_DATA32
    mov dword [%1 + 0x54], SEL_DATA32
    mov dword [%1 + 0x58], SEL_DATA32
    mov dword [%1 + 0x5C], SEL_DATA32
    mov word [%1 + 0x66], 0x68
%endmacro

start:
    ROM_INIT
    PUTS `pm_task: hardware task switches\n`
    PM_SETUP
    PM_ENTER32 pm_main

bits 32
pm_main:
    mov ax, SEL_TSS0
    ltr ax
    INIT_TSS32 TSS1_BASE, task1, 0xC000
    mov dword [TSS1_BASE + 0x28], 0x11111111         ; EAX
    INIT_TSS32 TSS2_BASE, task2, 0xC400
    INIT_TSS32 TSS3_BASE, task3, 0xC800
    INIT_TSS32 TSS4_BASE, task4, 0xCC00
    ; 16-bit TSS: IP, FLAGS, AX, SP, ES CS SS DS, LDT
    mov edi, TSS16_BASE
    mov ecx, 0x2C / 4
    xor eax, eax
    rep stosd
    mov word [TSS16_BASE + 0x0E], task16
    mov word [TSS16_BASE + 0x10], 2
    mov word [TSS16_BASE + 0x12], 0x1616
    mov word [TSS16_BASE + 0x1A], 0xD000
    mov word [TSS16_BASE + 0x22], SEL_DATA16
    mov word [TSS16_BASE + 0x24], SEL_CODE16
    mov word [TSS16_BASE + 0x26], SEL_DATA16
    mov word [TSS16_BASE + 0x28], SEL_DATA16

    ; ---- JMP to a TSS and back ----
    mov ebx, 0xB0B0B0B0
    mov esi, 0x5151A5A5
    clts
    jmp SEL_TSS1:0
    EXPECT32 ebx, 0xB0B0B0B0, "registers restored from TSS0 after JMP back"
    EXPECT32 esi, 0x5151A5A5, "ESI restored"
    EXPECT32 dword [R + 0x00], 0x11111111, "task 1 starts with EAX from its TSS"
    EXPECT32 word [R + 0x04], SEL_TSS1, "task 1: TR = TSS1"
    mov eax, [R + 0x08]
    and eax, 0x4000
    EXPECT32 eax, 0, "JMP: NT clear in the new task"
    mov eax, [R + 0x0C]
    and eax, 8
    EXPECT32 eax, 8, "task switch sets CR0.TS"
    EXPECT32 byte [R + 0x10], 0x89, "JMP clears the old TSS busy bit"
    EXPECT32 byte [R + 0x11], 0x8B, "JMP sets the new TSS busy bit"
    EXPECT32 byte [GDT_BASE + SEL_TSS1 + 5], 0x89, "TSS1 not busy after JMP back"
    EXPECT32 byte [GDT_BASE + SEL_TSS0 + 5], 0x8B, "TSS0 busy again"
    str ax
    EXPECT32 ax, SEL_TSS0, "TR = TSS0 after return"
    mov eax, [TSS0_BASE + 0x20]
    cmp eax, 0
    setne al
    EXPECT32 al, 1, "EIP saved in TSS0"

    ; ---- CALL to a TSS, IRET back ----
    call SEL_TSS2:0
    mov eax, [R + 0x20]
    and eax, 0x4000
    EXPECT32 eax, 0x4000, "CALL: NT set in the new task"
    EXPECT32 word [R + 0x24], SEL_TSS0, "CALL: back link = old TSS"
    EXPECT32 byte [R + 0x26], 0x8B, "CALL keeps the old TSS busy"
    EXPECT32 byte [GDT_BASE + SEL_TSS2 + 5], 0x89, "IRET clears the busy bit of the task left"
    mov eax, [TSS2_BASE + 0x24]
    and eax, 0x4000
    EXPECT32 eax, 0, "IRET clears NT in the saved EFLAGS of the task left"
    pushfd
    pop eax
    and eax, 0x4000
    EXPECT32 eax, 0, "NT clear after returning"

    ; ---- CALL through a task gate ----
    mov dword [R + 0x24], 0
    call SEL_TGATE2:0
    EXPECT32 word [R + 0x24], SEL_TSS0, "task gate CALL: back link"

    ; ---- INT through an IDT task gate ----
    SET_GATE 0x50, SEL_TSS3, $$, 0x85
    int 0x50
    EXPECT32 word [R + 0x34], SEL_TSS0, "INT task gate: back link"
    mov eax, [R + 0x30]
    and eax, 0x4000
    EXPECT32 eax, 0x4000, "INT task gate: NT set"

    ; ---- exception through a task gate ----
    mov eax, [IDT_BASE + 13 * 8]
    mov [R + 0x80], eax
    mov eax, [IDT_BASE + 13 * 8 + 4]
    mov [R + 0x84], eax
    SET_GATE 13, SEL_TSS4, $$, 0x85
    mov ax, 0x0800
    mov es, ax                  ; #GP(0x800) -> task 4
gp_resume:
    mov eax, [R + 0x80]
    mov [IDT_BASE + 13 * 8], eax
    mov eax, [R + 0x84]
    mov [IDT_BASE + 13 * 8 + 4], eax
    EXPECT32 dword [R + 0x40], 0x800, "#GP through a task gate: error code on the new stack"
    EXPECT32 dword [R + 0x44], 0xCC00 - 4, "error code pushed on the handler task's stack"
    mov ax, es
    EXPECT32 ax, SEL_DATA32, "faulting load did not change ES"

    ; ---- 16-bit TSS ----
    jmp SEL_TSS16:0
    EXPECT32 word [R + 0x50], 0x1616, "16-bit task: AX from the TSS"
    EXPECT32 word [R + 0x52], SEL_CODE16, "16-bit task: CS from the TSS"
    EXPECT32 word [R + 0x54], 0xD000, "16-bit task: SP from the TSS"
    ; SDM 7.6 leaves the upper halves of registers loaded from a 16-bit TSS
    ; "modified"; rawbox sets them to ones as the 386 does (test386 checks it).
    PUTS32 `note: the next two checks fail under QEMU, which keeps the upper halves (SDM 7.6: undefined)\n`
    EXPECT32 dword [R + 0x58], 0xFFFF1616, "16-bit task: EAX upper half all ones"
    EXPECT32 dword [R + 0x5C], 0xFFFFD000, "16-bit task: ESP upper half all ones"

    ; ---- faults ----
    TRY
    call SEL_TSS0:0
    CATCH 13, SEL_TSS0, "CALL to the busy current TSS -> #GP(sel)"
    TRY
    jmp SEL_TSS0:0
    CATCH 13, SEL_TSS0, "JMP to a busy TSS -> #GP(sel)"
    TRY
    jmp SEL_TSSBAD:0
    CATCH 10, SEL_TSSBAD, "TSS limit below 0x67 -> #TS(sel)"
    str ax
    EXPECT32 ax, SEL_TSS0, "still in TSS0"

    ; ---- a fault after the commit point is taken in the new task ----
    INIT_TSS32 TSS5_BASE, task1, 0xD800
    mov word [TSS5_BASE + 0x60], 0x0004         ; LDT selector with TI=1
    SET_GATE 10, SEL_CODE32, ts_handler, 0x8E
    mov dword [R + 0x60], 0
    jmp SEL_TSS5:0
    EXPECT32 dword [R + 0x60], 10, "bad LDT in the new TSS -> #TS"
    EXPECT32 dword [R + 0x64], 4, "#TS error code is the LDT selector"
    EXPECT32 word [R + 0x68], SEL_TSS5, "#TS handler runs in the new task (TR)"
    EXPECT32 byte [GDT_BASE + SEL_TSS5 + 5], 0x89, "task 5 not busy after its handler jumped back"
    clts
    FINISH32

ts_handler:                     ; runs in task 5: record, go back to task 0
    pop eax
    mov dword [ss:R + 0x60], 10
    mov [ss:R + 0x64], eax
    str ax
    mov [ss:R + 0x68], ax
    jmp SEL_TSS0:0

; ---- tasks ----
task1:
    mov [R + 0x00], eax
    str ax
    mov [R + 0x04], ax
    pushfd
    pop eax
    mov [R + 0x08], eax
    mov eax, cr0
    mov [R + 0x0C], eax
    mov al, [GDT_BASE + SEL_TSS0 + 5]
    mov [R + 0x10], al
    mov al, [GDT_BASE + SEL_TSS1 + 5]
    mov [R + 0x11], al
    mov ebx, 0xDEADBEEF         ; must not leak into task 0
    mov esi, 0
    jmp SEL_TSS0:0
    jmp task1

task2:
    pushfd
    pop eax
    mov [R + 0x20], eax
    mov ax, [TSS2_BASE]
    mov [R + 0x24], ax
    mov al, [GDT_BASE + SEL_TSS0 + 5]
    mov [R + 0x26], al
    iretd
    jmp task2

task3:
    pushfd
    pop eax
    mov [R + 0x30], eax
    mov ax, [TSS3_BASE]
    mov [R + 0x34], ax
    iretd
    jmp task3

task4:
    mov [R + 0x44], esp
    pop eax                     ; error code
    mov [R + 0x40], eax
    mov dword [TSS0_BASE + 0x20], gp_resume
    iretd
    jmp task4

bits 16
task16:
    mov [R + 0x58], eax
    mov [R + 0x50], ax
    mov ax, cs
    mov [R + 0x52], ax
    mov [R + 0x54], sp
    mov [R + 0x5C], esp
    jmp SEL_TSS0:0
    jmp task16

bits 16
gdt_template:
    GDT_STANDARD
    DESC TSS1_BASE, 0x67, 0x89, 0x0         ; 40
    DESC TSS2_BASE, 0x67, 0x89, 0x0         ; 48
    DESC TSS16_BASE, 0x2B, 0x81, 0x0        ; 50 16-bit TSS
    GATE SEL_TSS2, $$, 0x85, 0              ; 58 task gate
    DESC TSS3_BASE, 0x67, 0x89, 0x0         ; 60
    DESC TSSBAD_BASE, 0x50, 0x89, 0x0       ; 68 too short
    DESC TSS4_BASE, 0x67, 0x89, 0x0         ; 70
    DESC TSS5_BASE, 0x67, 0x89, 0x0         ; 78
gdt_template_end:

    PM_LIB
ROM_END
