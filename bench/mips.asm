; mips.asm — interpreter throughput benchmark, booted as a BIOS ROM.
; Switches to 32-bit flat protected mode and runs a loop of 12 instructions
; (loads, stores, ALU, shift, push/pop, compare and two conditional jumps:
; the mix of ordinary compiled code) ITER times, then exits through port
; 0xF4. Guest instructions = 12 * ITER (+ a few dozen for setup).
%include "rom.inc"

%ifndef ITER
%define ITER 25000000
%endif

start:
    ROM_INIT
    o32 lgdt [cs:gdt_desc]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp dword 0x08:pm32

bits 32
pm32:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, 0x90000
    mov esi, 0x20000
    mov ecx, ITER
    xor edi, edi
    xor edx, edx
.loop:
    mov eax, [esi]
    add eax, ecx
    mov [esi+4], eax
    xor edx, eax
    shl edx, 1
    push edx
    pop ebx
    cmp ebx, eax
    jne .skip
.skip:
    inc edi
    dec ecx
    jnz .loop
    mov al, 0
    out 0xf4, al
    hlt

bits 16
align 8
gdt:
    dq 0
    dq 0x00cf9b0f0000ffff       ; 0x08: code, base 0xF0000, 4 GiB, 32-bit
    dq 0x00cf93000000ffff       ; 0x10: data, base 0, 4 GiB
gdt_desc:
    dw gdt_desc - gdt - 1
    dd 0xf0000 + gdt

ROM_END
