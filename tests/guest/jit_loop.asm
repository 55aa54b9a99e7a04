; jit_loop.asm — a hot loop that is one block, branching back to its own
; first instruction (the recompiler runs such a loop without leaving the
; block), in flat 32-bit code (selector 0x30, base 0):
;  a. the first instruction is one the recompiler runs as an interpreter
;     handler (DIV), after handler calls later in the body (BSWAP) moved
;     s.rip on: when the divisor reaches 0 on the 101st turn, the #DE must
;     report the DIV's address, with the registers and the sum as they are
;     after 100 turns (the first version of the loop path reported the
;     instruction after it: the stale s.rip);
;  b. a Jcc loop whose flags reach the next turn (the ADD's carry, kept
;     by DEC, into the next turn's ADC) and a store every turn.
; Intel SDM vol. 3A 6.5 (faults report the faulting instruction), 6.15
; (#DE).
%include "rom.inc"
%include "pg32.inc"

%define FLAT(l) (0xF0000 + (l))     ; a label's address in selector 0x30
%define BUF 0x40000

start:
    ROM_INIT
    PUTS `jit_loop: hot self-loops in one block\n`
    PM_ENTER

    ; ---- a. #DE at the loop's first instruction after 100 turns ----
    ARM FLAT(a_flat_back)
    jmp 0x30:FLAT(a_flat)
a_back:
    EXPECT32 [EXC_VEC], 0, "#DE at the loop's DIV"
    EXPECT32 [EXC_EIP], FLAT(a_loop), "pushed EIP is the DIV (the loop's first instruction)"
    EXPECT32 esi, 5142, "sum of 1000 / k (integer) for k = 100 .. 1"
    EXPECT32 edi, 100, "100 turns ran"
    EXPECT32 ebx, 0, "the divisor reached 0"

    ; ---- b. flags and stores across the back-edge ----
    jmp 0x30:FLAT(b_flat)
b_back:
    EXPECT32 eax, 0x87000000, "EAX after 200 turns"
    EXPECT32 edx, 1, "the one carry reached the next turn's ADC"
    EXPECT32 ecx, 200, "200 turns"
    EXPECT32 [BUF + 4 * 199], 0x87000000, "last store"
    EXPECT32 [BUF + 4 * 7], 0xC7000000, "a middle store"
    EXPECT32 [BUF + 4 * 64], 0x00000000, "the store of the wrapping turn"
    FINISH32

bits 32
; Selector 0x30 (flat): the ROM's bytes at their linear addresses.
a_flat:
    mov eax, 1000
    xor edx, edx
    mov ebx, 100
    xor esi, esi
    xor edi, edi
    jmp a_loop
    align 16
a_loop:
    div ebx                 ; #DE once EBX is 0
    add esi, eax
    bswap edi               ; handler calls in the body (no native
    bswap edi               ; BSWAP yet), which move s.rip on
    inc edi
    mov eax, 1000
    xor edx, edx
    dec ebx
    jmp a_loop
a_flat_back:
    jmp 0x08:a_back

b_flat:
    ; 200 turns: EAX += 0x01000000 from 0xBF000000 (one carry out, on
    ; turn 65), EDX += the previous turn's carry (ADC across the
    ; back-edge; DEC keeps CF), BUF[i] = EAX after turn i + 1.
    mov eax, 0xBF000000
    xor edx, edx
    xor ecx, ecx
    mov edi, 200
    clc
    align 16
b_loop:
    adc edx, 0
    add eax, 0x01000000
    mov [BUF + 4 * ecx], eax
    lea ecx, [ecx + 1]
    dec edi
    jnz b_loop
    jmp 0x08:b_back

bits 16
ROM_END
