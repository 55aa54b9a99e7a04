; A user program for the boot tests' guests: it runs SSE and SSE2 code
; (packed and scalar floating point, conversions, packed integers, shuffles)
; folds the results into one checksum and prints "sse2: ok <checksum>" or
; "sse2: FAIL <checksum>" to stdout. Built as a static ELF for i386
; (nasm -f elf32, int 0x80) and amd64 (nasm -f elf64, syscall) by
; tests/boot/progs/build.sh; the expected checksum is what the host CPU computes
; (the script checks that before packing the program).
%ifidn __OUTPUT_FORMAT__, elf64
    bits 64
    %define PTR rsi
    %define rel_base(x) rel x
%else
    bits 32
    %define PTR esi
    %define rel_base(x) x
%endif

section .data
align 16
va:     dq 1.5, 2.25
vb:     dq 4.0, 8.0
fa:     dd 1.0, 3.0, -2.5, 100.0
fb:     dd 3.0, 0.5, 4.0, -0.25
ia:     dd 0x12345678, 0x9abcdef0, 7, -9
ib:     dd 0x0f0f0f0f, 0x11111111, -3, 1000
ba:     db 1, 2, 3, 4, 250, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
msg_ok: db "sse2: ok "
hex:    db "00000000", 10
msg_fail: db "sse2: FAIL "
EXPECT  equ 0x33a569ce          ; host CPU's checksum (see the header)

section .bss
align 16
tmp:    resb 16

section .text
global _start
_start:
    movapd xmm0, [rel_base(va)]
    mulpd xmm0, [rel_base(vb)]          ; {6, 18}
    addpd xmm0, xmm0                    ; {12, 36}
    sqrtpd xmm1, xmm0                   ; {3.4641..., 6}
    movapd xmm2, xmm1
    unpckhpd xmm2, xmm2
    divsd xmm1, xmm2                    ; 0.57735...
    mulsd xmm1, [rel_base(vb)]          ; * 4
    cvttpd2dq xmm3, xmm0                ; {12, 36, 0, 0}
    cvtsd2si eax, xmm1                  ; round(2.309...) = 2
    movd xmm4, eax
    paddd xmm3, xmm4
    movaps xmm5, [rel_base(fa)]
    mulps xmm5, [rel_base(fb)]          ; {3, 1.5, -10, -25}
    divps xmm5, [rel_base(fb)]          ; back to fa
    cvtps2dq xmm5, xmm5                 ; {1, 3, -2, 100}
    paddd xmm3, xmm5
    movdqa xmm7, [rel_base(ia)]
    pmuludq xmm7, [rel_base(ib)]        ; two 64-bit products
    pxor xmm3, xmm7
    movdqa xmm7, [rel_base(ia)]
    pshufd xmm7, xmm7, 0x1b
    paddq xmm3, xmm7
    movdqu xmm7, [rel_base(ba)]
    pxor xmm6, xmm6
    psadbw xmm7, xmm6                   ; byte sums per half
    pslldq xmm7, 3
    paddw xmm3, xmm7
    movdqa xmm7, xmm3
    psrldq xmm7, 8
    pxor xmm3, xmm7
    movdqa xmm7, xmm3
    psrlq xmm7, 29
    pxor xmm3, xmm7
    movd eax, xmm3                      ; the checksum
    mov ebx, eax
    ; hex digits
    mov ecx, 8
    lea PTR, [rel_base(hex) + 7]
.digit:
    mov edx, eax
    and edx, 15
    cmp edx, 10
    jb .dec
    add edx, 'a' - 10 - '0'
.dec:
    add edx, '0'
    mov [PTR], dl
    dec PTR
    shr eax, 4
    dec ecx
    jnz .digit
    cmp ebx, EXPECT
    jne .fail
    lea PTR, [rel_base(msg_ok)]
    mov edx, 9 + 9
    jmp .print
.fail:
    lea PTR, [rel_base(msg_fail)]
    mov edx, 11
    call write_out
    lea PTR, [rel_base(hex)]
    mov edx, 9
    call write_out
    mov ebx, 1
    jmp exit
.print:
    call write_out
    xor ebx, ebx
exit:
%ifidn __OUTPUT_FORMAT__, elf64
    mov edi, ebx
    mov eax, 60
    syscall
%else
    mov eax, 1
    int 0x80
%endif

; write_out: PTR = buffer, edx = length, to fd 1
write_out:
%ifidn __OUTPUT_FORMAT__, elf64
    mov edi, 1
    mov eax, 1
    syscall
%else
    push ebx
    mov ecx, esi
    mov ebx, 1
    mov eax, 4
    int 0x80
    pop ebx
%endif
    ret

section .note.GNU-stack noalloc noexec nowrite progbits
