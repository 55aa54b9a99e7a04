; kut_regressions.asm — regressions for CPU bugs found by running the
; kvm-unit-tests suite (x86, 32-bit build) against rawbox; each block names
; the kvm-unit-tests check that found it and the manual section it follows.
;
; 1. MOV SS / POP SS shadow and debug exceptions (kvm-unit-tests
;    emulator.c, test_mov_pop_ss_code_db): an instruction breakpoint on the
;    instruction right after MOV SS or POP SS is suppressed as if EFLAGS.RF
;    were 1 (Intel SDM vol. 3B 17.3.1.1); the single-step trap that TF would
;    raise after MOV SS / POP SS is suppressed, the next one comes after the
;    following instruction (SDM vol. 3A 6.8.3). A breakpoint after a NOP
;    (no shadow) still fires, and so does one after STI (its shadow only
;    holds interrupts back).
;
; qemu-differs: QEMU 7.2 TCG raises the instruction breakpoint placed right after MOV SS / POP SS (SDM vol. 3B 17.3.1.1: suppressed as if RF were 1); rawbox follows the SDM, QEMU fails those two checks (kvm-unit-tests emulator.c fails them under TCG too).
%include "rom.inc"
%include "pg32.inc"

%define RAMCODE 0x9100          ; code run through selector 0x30 (flat)

start:
    ROM_INIT
    PUTS `kut_regressions: CPU bugs found by kvm-unit-tests\n`
    PM_ENTER

    ; ---- instruction breakpoint after MOV SS ----
    ; 8C D0 mov eax, ss / 8E D0 mov ss, eax / 41 inc ecx / CB retf
    mov byte [RAMCODE], 0x8C
    mov byte [RAMCODE + 1], 0xD0
    mov byte [RAMCODE + 2], 0x8E
    mov byte [RAMCODE + 3], 0xD0
    mov byte [RAMCODE + 4], 0x41
    mov byte [RAMCODE + 5], 0xCB
    mov eax, RAMCODE + 4
    mov dr0, eax
    mov eax, 0x00000001             ; L0, R/W0 = 00, LEN0 = 00
    mov dr7, eax
    xor eax, eax
    mov dr6, eax
    mov dword [EXC_CNT], 0
    xor ecx, ecx
    call 0x30:RAMCODE
    PUTS32 `note: QEMU raises the breakpoint after MOV SS / POP SS; SDM 17.3.1.1 suppresses it (qemu-differs)\n`
    EXPECT32 [EXC_CNT], 0, "instruction breakpoint after MOV SS is suppressed"
    EXPECT32 ecx, 1, "the instruction after MOV SS runs once"

    ; ---- instruction breakpoint after POP SS ----
    ; 16 push ss / 17 pop ss / 41 inc ecx / CB retf
    mov dword [RAMCODE], 0xCB411716
    mov eax, RAMCODE + 2
    mov dr0, eax
    mov dword [EXC_CNT], 0
    xor ecx, ecx
    call 0x30:RAMCODE
    EXPECT32 [EXC_CNT], 0, "instruction breakpoint after POP SS is suppressed"
    EXPECT32 ecx, 1, "the instruction after POP SS runs once"

    ; ---- control: after a NOP the breakpoint fires ----
    ; 90 nop / 41 inc ecx / CB retf
    mov dword [RAMCODE], 0x00CB4190
    mov eax, RAMCODE + 1
    mov dr0, eax
    mov dword [EXC_CNT], 0
    xor ecx, ecx
    call 0x30:RAMCODE
    EXPECT32 [EXC_CNT], 1, "instruction breakpoint after NOP fires"
    EXPECT32 [EXC_EIP], RAMCODE + 1, "and is a fault on that instruction"
    EXPECT32 ecx, 1, "which then runs once (RF)"

    ; ---- control: the STI shadow does not hold the breakpoint back ----
    ; FB sti / 41 inc ecx / FA cli / CB retf (no interrupt source is set up)
    mov dword [RAMCODE], 0xCBFA41FB
    mov eax, RAMCODE + 1
    mov dr0, eax
    mov dword [EXC_CNT], 0
    xor ecx, ecx
    call 0x30:RAMCODE
    EXPECT32 [EXC_CNT], 1, "instruction breakpoint after STI fires"
    xor eax, eax
    mov dr7, eax

    ; ---- single step over MOV SS ----
    mov dword [EXC_CNT], 0
    mov eax, ss
    pushfd
    or dword [esp], 0x100
    popfd                           ; TF set from the next instruction on
    mov ss, ax                      ; 1: its trap is suppressed
    nop                             ; 2: trap here, after the NOP
    pushfd                          ; 3
    and dword [esp], ~0x100         ; 4
    popfd                           ; 5: TF was set when it started
    EXPECT32 [EXC_CNT], 4, "TF: no trap after MOV SS, 4 traps for 5 instructions"

    ; the instruction after MOV SS runs before the first trap
    mov dword [EXC_EIP], 0
    pushfd
    or dword [esp], 0x100
    popfd
    mov ss, ax                      ; no trap here...
    mov ebx, [EXC_EIP]              ; ...so this still reads 0
    pushfd
    and dword [esp], ~0x100
    popfd
    EXPECT32 ebx, 0, "TF: MOV SS and the next instruction run before the trap"
    FINISH32

bits 16
ROM_END
