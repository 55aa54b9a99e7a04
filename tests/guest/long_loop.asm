; long_loop.asm — long-running loops inside one code page, in 16-bit real
; mode and in 32-bit protected mode: the interpreter's chained handlers must
; not grow the host stack with the number of iterations (an ASan build once
; overflowed it on such a 32-bit loop), and results must be exact after
; millions of chained records.
;
; jit-flush-skip: 2M-iteration loops with the code cache flushed after every second translation retranslate a block at nearly every turn (1.5 million flushes, about 10 s on a quiet host, near the 20 s limit on a loaded one); flushing is covered by every other ROM's row, and this ROM's loops by its [jit] row
%include "rom.inc"
%include "pg32.inc"

start:
    ROM_INIT
    PUTS `long_loop: 2M-iteration loops within one page\n`
    ; 16-bit code: counted loop with a memory accumulator
    xor eax, eax
    mov dword [0x600], 0
    mov ecx, 2000000
.l1:
    add eax, ecx
    add dword [0x600], 3
    dec ecx
    jnz .l1
    cmp eax, 0xa9596240                   ; 2000001000000 mod 2^32
    CHECK "16-bit: sum of 1..2000000 (mod 2^32)"
    cmp dword [0x600], 6000000
    CHECK "16-bit: memory accumulator after 2M iterations"

    PM_ENTER
bits 32
    xor eax, eax
    mov dword [0x600], 0
    mov ecx, 2000000
.p1:
    mov edx, [0x600]
    add eax, ecx
    add edx, 3
    mov [0x600], edx
    push edx
    pop ebx
    dec ecx
    jnz .p1
    EXPECT32 eax, 0xa9596240, "32-bit: sum of 1..2000000 (mod 2^32)"
    EXPECT32 [0x600], 6000000, "32-bit: memory accumulator after 2M iterations"
    mov ecx, 1000000
    xor ebx, ebx
.p2:
    push ecx
    call .body
    pop ecx
    loop .p2
    EXPECT32 ebx, 1000000, "32-bit: 1M calls from a LOOP"
    FINISH32
.body:
    inc ebx
    ret
bits 16

ROM_END
