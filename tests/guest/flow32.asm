; flow32.asm — move/stack/string/control instructions in 32-bit protected
; mode (flat data, 32-bit stack), where the real-mode tests do not reach:
; PUSH ESP, POP [ESP+disp] with a 32-bit stack, ENTER/LEAVE with nesting,
; PUSHAD, 16-bit operand size pushes in 32-bit code, the 67 prefix on
; string and LOOP/JCXZ instructions in 32-bit code (SI/DI/CX, wrap at 64K),
; RET imm16, LEA/MOVSX/XLAT/BOUND/SCAS in 32-bit form. Results are stored
; in RAM, then the test returns to real mode and checks them.
%include "rom.inc"

%define RES 0x0600              ; result dwords
%define R(n) RES + 4 * (n)

%macro EXPECT32 3
    cmp %1, %2
    CHECK %3
%endmacro

start:
    ROM_INIT
    PUTS `flow32: 32-bit protected mode move/stack/string/control\n`
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
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, 0x90000
    cld

    ; PUSH ESP pushes the old value
    push esp
    pop eax
    mov [R(0)], eax
    ; POP [ESP+4]: address after the increment
    push dword 0xa
    push dword 0xb
    push dword 0xc
    pop dword [esp+4]
    pop eax
    mov [R(1)], eax
    pop ebx
    mov [R(2)], ebx
    ; ENTER 16,2 / LEAVE
    mov dword [0x7fffc], 0x12345678
    mov ebp, 0x80000
    enter 16, 2
    mov [R(3)], ebp
    mov [R(4)], esp
    mov eax, [0x8fff8]
    mov [R(5)], eax
    leave
    mov [R(6)], ebp
    mov [R(7)], esp
    ; PUSHAD saves the original ESP
    pushad
    mov eax, [esp+12]
    mov [R(8)], eax
    popad
    ; 16-bit pushes in 32-bit code
    push word 0x1234
    mov [R(9)], esp
    pop ax
    push fs
    movzx eax, word [esp]
    mov [R(10)], eax
    add esp, 4
    ; 67 rep movsb: SI/DI/CX, SI wraps at 64K, upper halves kept
    mov byte [0xfffe], 1
    mov byte [0xffff], 2
    mov byte [0x0000], 3
    mov byte [0x0001], 4
    mov esi, 0x1fffe
    mov edi, 0x58000            ; DI = 0x8000
    mov ecx, 0xabcd0004
    a16 rep movsb
    mov [R(11)], esi
    mov [R(12)], ecx
    mov eax, [0x8000]
    mov [R(13)], eax
    ; 67 loop counts CX
    mov ecx, 0x10001
    a16 loop .near_bad
    mov [R(14)], ecx
    ; jecxz vs a16 jcxz
    xor eax, eax
    jecxz .near_bad
    a16 jcxz .cx_zero
.near_bad:
    mov dword [R(27)], 0xbad
.cx_zero:
    mov dword [R(15)], 1
    ; RET 8
    push dword 1
    push dword 2
    call ret8
    mov [R(16)], esp
    mov [R(17)], eax
    ; LEA with 16-bit operand size keeps the upper half
    mov eax, 0xcafe0000
    mov ebx, 0x5000
    mov ecx, 0x10
    lea ax, [ebx+ecx*4+8]
    mov [R(18)], eax
    ; MOVSX/MOVZX
    mov byte [0x9000], 0x80
    movsx eax, byte [0x9000]
    mov [R(19)], eax
    movzx eax, byte [0x9000]
    mov [R(20)], eax
    ; XLAT with EBX
    mov byte [0x40080], 0x99
    mov ebx, 0x40000
    mov eax, 0x80
    xlatb
    mov [R(21)], eax
    ; BOUND in range, REPNE SCASB
    mov dword [0x9100], -10
    mov dword [0x9104], 10
    mov edx, 10
    bound edx, [0x9100]
    mov edi, 0x9100
    mov al, 10
    mov ecx, 100
    repne scasb
    mov [R(22)], edi
    mov [R(23)], ecx
    ; std rep stosd
    std
    mov edi, 0x9208
    mov eax, 0x11223344
    mov ecx, 3
    rep stosd
    cld
    mov [R(24)], edi
    mov eax, [0x9200]
    mov [R(25)], eax
    ; Jcc rel32 and CALL/RET
    xor eax, eax
    jz near .jz_ok
    jmp .never
.jz_ok:
    mov dword [R(26)], 1
    jmp .done
.never:
    mov dword [R(27)], 0xbad
.done:

    ; back to real mode through a 16-bit code segment
    jmp 0x18:pm16

ret8:
    mov eax, [esp+4]
    ret 8

bits 16
pm16:
    mov ax, 0x20
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov eax, cr0
    and al, 0xfe
    mov cr0, eax
    jmp 0xf000:rm_back
rm_back:
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, 0x7c00

    EXPECT32 dword [R(0)], 0x90000, "push esp pushes the old esp"
    EXPECT32 dword [R(1)], 0xb, "pop [esp+4]: slot under it untouched"
    EXPECT32 dword [R(2)], 0xc, "pop [esp+4]: stored above the new esp"
    EXPECT32 dword [R(3)], 0x8fffc, "enter 16,2: ebp"
    EXPECT32 dword [R(4)], 0x8ffe4, "enter 16,2: esp"
    EXPECT32 dword [R(5)], 0x12345678, "enter 16,2: display copied"
    EXPECT32 dword [R(6)], 0x80000, "leave: ebp"
    EXPECT32 dword [R(7)], 0x90000, "leave: esp"
    EXPECT32 dword [R(8)], 0x90000, "pushad saves the original esp"
    EXPECT32 dword [R(9)], 0x8fffe, "o16 push moves esp by 2"
    EXPECT32 dword [R(10)], 0x10, "push fs stores the selector"
    EXPECT32 dword [R(11)], 0x10002, "a16 rep movsb: si wraps, esi upper kept"
    EXPECT32 dword [R(12)], 0xabcd0000, "a16 rep movsb: cx counts, ecx upper kept"
    EXPECT32 dword [R(13)], 0x04030201, "a16 rep movsb: data across the wrap"
    EXPECT32 dword [R(14)], 0x10000, "a16 loop decrements cx only"
    EXPECT32 dword [R(15)], 1, "jecxz not taken, a16 jcxz taken"
    EXPECT32 dword [R(16)], 0x90000, "ret 8 releases the arguments"
    EXPECT32 dword [R(17)], 2, "callee read its argument"
    EXPECT32 dword [R(18)], 0xcafe5048, "o16 lea keeps the upper half"
    EXPECT32 dword [R(19)], 0xffffff80, "movsx r32, m8"
    EXPECT32 dword [R(20)], 0x80, "movzx r32, m8"
    EXPECT32 dword [R(21)], 0x99, "xlat [ebx+al]"
    EXPECT32 dword [R(22)], 0x9105, "repne scasb: edi past the match"
    EXPECT32 dword [R(23)], 95, "repne scasb: ecx"
    EXPECT32 dword [R(24)], 0x91fc, "std rep stosd: edi"
    EXPECT32 dword [R(25)], 0x11223344, "std rep stosd: data"
    EXPECT32 dword [R(26)], 1, "jz rel32 taken"
    EXPECT32 dword [R(27)], 0, "no wrong branch taken"
    FINISH

align 8
gdt:
    dq 0
    dq 0x00cf9b0f0000ffff       ; 0x08: code, base 0xF0000, 4 GiB, 32-bit
    dq 0x00cf93000000ffff       ; 0x10: data, base 0, 4 GiB
    dq 0x00009b0f0000ffff       ; 0x18: code, base 0xF0000, 64 KiB, 16-bit
    dq 0x000093000000ffff       ; 0x20: data, base 0, 64 KiB, 16-bit
gdt_desc:
    dw gdt_desc - gdt - 1
    dd 0xf0000 + gdt

ROM_END
