; mips64.asm — interpreter throughput benchmark in 64-bit mode, booted as a
; BIOS ROM. Enters long mode through tests/guest/include/lm.inc (identity
; mapped, CPL 0) and runs a loop of 12 instructions, the 64-bit counterpart
; of mips.asm's: a 64-bit load, store and ALU op, a REX register (R8)
; shifted, pushed and popped, a compare, two conditional jumps and a
; RIP-relative load, ITER times; then exits through port 0xF4. Guest
; instructions = 12 * ITER (+ a few hundred for setup).
;
; Needs a CPU model with long mode: rawbox --cpu max (or x86-64); QEMU
; -cpu max.
%include "rom.inc"
%include "lm.inc"

%ifndef ITER
%define ITER 25000000
%endif

start:
    ROM_INIT
    LM_ENTER
    mov rsi, 0x200000           ; data (identity mapped RAM)
    mov ecx, ITER
    xor edi, edi
    xor r8d, r8d
    mov qword [rsi], 0x12345
.loop:
    mov rax, [rsi]
    add rax, rcx
    mov [rsi+8], rax
    xor r8, rax
    shl r8, 1
    push r8
    pop rbx
    cmp rbx, rax
    jne .skip
.skip:
    add rdi, [rel one]
    dec rcx
    jnz .loop
    mov al, 0
    out EXIT_PORT, al
    hlt

align 8
one: dq 1

    LM_LIB
ROM_END
