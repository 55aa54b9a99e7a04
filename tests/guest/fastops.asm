; fastops.asm — 32-bit flat code through the interpreter's specialised
; handlers and their chaining (src/cpu/fastops.c: a handler runs the next
; straight-line record, or the target of a taken branch on the same code
; page, itself): results of a chained straight-line run, of an in-page loop
; with CALL/RET, of stores by a chained MOV and ADD into the very next
; instruction after that instruction was decoded and cached (self-modifying
; code must stop the chain), single-step traps after each chained
; instruction, and a data breakpoint reporting the instruction right after
; the store.
; Intel SDM vol. 3A 8.1.3 (self-modifying code), vol. 3B 17.3.1 (traps).
%include "rom.inc"
%include "pg32.inc"

%define DATA    0x8000          ; scratch data page
%define RAMCODE 0x9000          ; routine copied to RAM (its own page)
%define WATCH   0x8100          ; data breakpoint target

start:
    ROM_INIT
    PUTS `fastops: chained 32-bit handlers\n`
    PM_ENTER

    ; ---- 1. a straight-line chain of ALU/MOV/IMUL/shift/LEA ----
    mov eax, 5
    mov ebx, 7
    mov ecx, eax
    add ecx, ebx                    ; 12
    imul ecx, ebx                   ; 84
    shl ecx, 2                      ; 336
    sub ecx, 6                      ; 330
    mov [DATA], ecx
    mov edx, [DATA]
    xor edx, 0x0f                   ; 0x14a ^ 0xf = 0x145
    lea edx, [edx + edx * 2 + 1]    ; 3 * 325 + 1
    EXPECT32 edx, 976, "straight-line chain computes 976"
    cmp ecx, 330
    setz al
    movzx eax, al
    EXPECT32 eax, 1, "SETcc and MOVZX in the chain"

    ; ---- 2. an in-page loop (taken JNZ back to the same page) calling a
    ; subroutine on the same page ----
    xor eax, eax
    xor ebx, ebx
    mov ecx, 100
.loop:
    add eax, ecx
    call .bump
    dec ecx
    jnz .loop
    EXPECT32 eax, 5050, "in-page loop sums 1..100"
    EXPECT32 ebx, 100, "CALL/RET inside the loop ran 100 times"
    jmp .after_bump
.bump:
    inc ebx
    ret
.after_bump:

    ; ---- 3. self-modifying code inside a chain ----
    mov esi, 0xF0000 + smc_routine
    mov edi, RAMCODE
    mov ecx, smc_end - smc_routine
    rep movsb
    ; first run: the stores go to the data page, so every record of the
    ; routine is decoded and cached, the next instructions unchanged
    mov ebx, RAMCODE
    mov esi, DATA + 0x10 - RAMCODE
    mov edi, DATA + 0x20 - RAMCODE
    mov eax, 0x33333333
    call 0x30:RAMCODE
    EXPECT32 ecx, 0x11111111, "first run: MOV ECX keeps its immediate"
    EXPECT32 edx, 0x22222222, "first run: MOV EDX keeps its immediate"
    ; second run: the cached MOV store patches the immediate of the next
    ; (cached) instruction, the cached ADD the one after it
    mov esi, smc_imm1 - smc_routine
    mov edi, smc_imm2 - smc_routine
    mov eax, 0x33333333
    call 0x30:RAMCODE
    EXPECT32 ecx, 0x33333333, "MOV into the next cached instruction takes effect"
    EXPECT32 edx, 0x55555555, "ADD into the next cached instruction takes effect"

    ; ---- 4. single-step over chained instructions ----
    xor eax, eax
    mov dr6, eax
    mov dword [EXC_CNT], 0
    mov ebx, DATA
    pushfd
    or dword [esp], 0x100
    popfd                           ; TF: a trap after each instruction
    mov eax, ebx                    ; 1
    add eax, 4                      ; 2
    mov [ebx + 8], eax              ; 3
    mov ecx, [ebx + 8]              ; 4
    lea edx, [ecx + 4]              ; 5
    shl edx, 1                      ; 6
    pushfd                          ; 7
    and dword [esp], ~0x100         ; 8
    popfd                           ; 9: TF was set when it started
    EXPECT32 [EXC_CNT], 9, "TF: one #DB after each of 9 instructions"
    EXPECT32 edx, 2 * (DATA + 8), "single-stepped chain computes its result"

    ; ---- 5. a write breakpoint hit by a store in straight-line code ----
    xor eax, eax
    mov dr6, eax
    mov eax, WATCH
    mov dr0, eax
    mov eax, 0x000D0001             ; L0, R/W0 = 01 (write), LEN0 = 11
    mov dr7, eax
    mov dword [EXC_CNT], 0
    mov ebx, WATCH - 0x10
    mov eax, 1
    mov [ebx + 0x10], eax           ; hits WATCH
.after_store:
    mov ecx, 5
    add ecx, eax
    EXPECT32 [EXC_CNT], 1, "write breakpoint traps once"
    EXPECT32 [EXC_EIP], .after_store, "trap reports the instruction after the store"
    EXPECT32 ecx, 6, "the chain goes on after the trap"
    xor eax, eax
    mov dr7, eax
    FINISH32

; Copied to RAMCODE and entered with a far call (selector 0x30, flat).
; EBX = RAMCODE; the stores go to [EBX + ESI] and [EBX + EDI].
smc_routine:
    mov [ebx + esi], eax            ; MOV r/m32, r32: may patch the next
smc_next1:
    mov ecx, 0x11111111
smc_imm1 equ smc_next1 + 1
    add dword [ebx + edi], eax      ; ADD r/m32, r32: may patch the next
smc_next2:
    mov edx, 0x22222222
smc_imm2 equ smc_next2 + 1
    retf
smc_end:

bits 16
ROM_END
