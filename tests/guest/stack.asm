; stack.asm — PUSH/POP of registers, immediates, memory and segment
; registers; PUSH SP (pushes the old value on 286+); POP to ESP-relative
; memory (address computed after the increment); PUSHA/POPA (POPA skips
; SP); ENTER with nesting levels 0, 1, 3 and LEAVE; 16-bit SP wrap.
; Real mode, 16-bit stack; 66 exercises 32-bit operand size.
%include "rom.inc"

%define BUF 0x1000

%macro EXPECT32 3
    cmp %1, %2
    CHECK %3
%endmacro

start:
    ROM_INIT
    PUTS `stack: push/pop/pusha/enter\n`

    ; ---- PUSH/POP registers ----
    mov ax, 0x1234
    push ax
    EXPECT32 sp, 0x7bfe, "push r16 moves sp by 2"
    EXPECT16 word [0x7bfe], 0x1234, "push r16 stores the value"
    pop bx
    EXPECT16 bx, 0x1234, "pop r16"
    EXPECT32 sp, 0x7c00, "pop r16 restores sp"
    mov eax, 0xdeadbeef
    push eax
    EXPECT32 sp, 0x7bfc, "push r32 moves sp by 4"
    EXPECT32 dword [0x7bfc], 0xdeadbeef, "push r32 stores the value"
    mov edx, 0x11111111
    pop dx
    EXPECT32 edx, 0x1111beef, "pop r16 keeps the upper half"
    pop dx
    EXPECT16 dx, 0xdead, "second pop r16"
    EXPECT32 sp, 0x7c00, "sp back after mixed pops"

    ; ---- PUSH SP / ESP push the value before the push ----
    push sp
    pop ax
    EXPECT16 ax, 0x7c00, "push sp pushes the old sp (286+)"
    mov esp, 0x7c00
    push esp
    pop eax
    EXPECT32 eax, 0x7c00, "push esp pushes the old esp"
    ; POP SP loads the popped value
    push word 0x7b00
    pop sp
    EXPECT32 sp, 0x7b00, "pop sp loads the popped value"
    mov sp, 0x7c00
    push dword 0x00007a00
    pop esp
    EXPECT32 esp, 0x7a00, "pop esp loads the popped value"
    mov esp, 0x7c00

    ; ---- PUSH immediates ----
    push byte -2                    ; 6A
    pop ax
    EXPECT16 ax, 0xfffe, "push imm8 sign-extends (16)"
    push dword -3                   ; 66 6A
    EXPECT32 sp, 0x7bfc, "push imm8 with 66 moves sp by 4"
    pop eax
    EXPECT32 eax, 0xfffffffd, "push imm8 sign-extends (32)"
    push word 0x8765                ; 68
    pop ax
    EXPECT16 ax, 0x8765, "push imm16"
    push dword 0x12345678           ; 66 68
    pop eax
    EXPECT32 eax, 0x12345678, "push imm32"

    ; ---- PUSH/POP memory ----
    mov word [BUF], 0x4321
    mov dword [BUF+4], 0xfeedface
    push word [BUF]
    push dword [BUF+4]
    pop dword [BUF+8]
    pop word [BUF+12]
    EXPECT32 dword [BUF+8], 0xfeedface, "push/pop m32"
    EXPECT16 word [BUF+12], 0x4321, "push/pop m16"
    EXPECT32 sp, 0x7c00, "sp back after memory push/pop"
    ; POP [ESP]: the address uses ESP after the increment
    push word 0x1111
    push word 0x2222
    pop word [esp]
    pop ax
    EXPECT16 ax, 0x2222, "pop word [esp] addresses after the increment"
    push dword 0xaaaaaaaa
    push dword 0xbbbbbbbb
    push dword 0xcccccccc
    pop dword [esp+4]
    pop eax
    EXPECT32 eax, 0xbbbbbbbb, "pop dword [esp+4]: slot below untouched"
    pop ebx
    EXPECT32 ebx, 0xcccccccc, "pop dword [esp+4]: value landed there"
    EXPECT32 sp, 0x7c00, "sp back after pop [esp]"
    ; push [esp] uses esp before the push
    push word 0x5555
    push word [esp]
    pop ax
    pop bx
    EXPECT16 ax, 0x5555, "push word [esp] reads before decrement"
    ; pop to a register form (8F C0)
    push word 0x6666
    db 0x8f, 0xc1                   ; pop cx, ModRM form
    EXPECT16 cx, 0x6666, "pop Ev with register operand"

    ; ---- PUSH segment registers ----
    mov ax, 0x0040
    mov es, ax
    push es
    pop ax
    EXPECT16 ax, 0x0040, "push es"
    push cs
    pop ax
    EXPECT16 ax, 0xf000, "push cs"
    push ss
    pop ax
    EXPECT16 ax, 0, "push ss"
    push ds
    pop ax
    EXPECT16 ax, 0, "push ds"
    mov ax, 0x1234
    mov fs, ax
    mov ax, 0x4321
    mov gs, ax
    push fs
    pop ax
    EXPECT16 ax, 0x1234, "push fs"
    push gs
    pop ax
    EXPECT16 ax, 0x4321, "push gs"
    o32 push es
    EXPECT32 sp, 0x7bfc, "push es with 66 moves sp by 4"
    EXPECT16 word [0x7bfc], 0x0040, "push es with 66 stores the selector"
    ; the upper word is left unmodified on P6+ (16-bit move) and zero on
    ; others: not checked
    o32 pop eax
    xor ax, ax
    mov es, ax
    mov fs, ax
    mov gs, ax

    ; ---- PUSH/POP with SP wrap (16-bit stack) ----
    mov sp, 0
    mov ax, 0x7777
    push ax
    EXPECT32 sp, 0xfffe, "push wraps sp from 0 to fffe"
    EXPECT16 word [0xfffe], 0x7777, "push at wrapped sp writes ss:fffe"
    pop bx
    EXPECT32 sp, 0, "pop wraps sp back to 0"
    EXPECT16 bx, 0x7777, "pop after wrap reads the value"
    mov sp, 0x7c00

    ; ---- PUSHA / POPA ----
    mov ax, 0xa0a0
    mov cx, 0xc1c1
    mov dx, 0xd2d2
    mov bx, 0xb3b3
    mov bp, 0xb5b5
    mov si, 0x5656
    mov di, 0xd7d7
    pusha
    EXPECT32 sp, 0x7bf0, "pusha moves sp by 16"
    EXPECT16 word [0x7bfe], 0xa0a0, "pusha: ax on top"
    EXPECT16 word [0x7bf6], 0x7c00, "pusha: original sp"
    EXPECT16 word [0x7bf0], 0xd7d7, "pusha: di last"
    mov word [0x7bf6], 0x1234       ; popa must ignore the saved sp
    mov ax, 0
    mov cx, 0
    mov dx, 0
    mov bx, 0
    mov bp, 0
    mov si, 0
    mov di, 0
    popa
    EXPECT32 sp, 0x7c00, "popa skips the saved sp"
    EXPECT16 ax, 0xa0a0, "popa ax"
    EXPECT16 cx, 0xc1c1, "popa cx"
    EXPECT16 dx, 0xd2d2, "popa dx"
    EXPECT16 bx, 0xb3b3, "popa bx"
    EXPECT16 bp, 0xb5b5, "popa bp"
    EXPECT16 si, 0x5656, "popa si"
    EXPECT16 di, 0xd7d7, "popa di"
    mov eax, 0x10000001
    mov ecx, 0x20000002
    mov edx, 0x30000003
    mov ebx, 0x40000004
    mov ebp, 0x50000005
    mov esi, 0x60000006
    mov edi, 0x70000007
    pushad
    EXPECT32 sp, 0x7be0, "pushad moves sp by 32"
    EXPECT32 dword [0x7bfc], 0x10000001, "pushad: eax on top"
    EXPECT32 dword [0x7bec], 0x7c00, "pushad: original esp"
    EXPECT32 dword [0x7be0], 0x70000007, "pushad: edi last"
    mov dword [0x7bec], 0x12345678
    xor eax, eax
    xor ecx, ecx
    xor edx, edx
    xor ebx, ebx
    xor ebp, ebp
    xor esi, esi
    xor edi, edi
    popad
    EXPECT32 esp, 0x7c00, "popad skips the saved esp"
    EXPECT32 eax, 0x10000001, "popad eax"
    EXPECT32 ebx, 0x40000004, "popad ebx"
    EXPECT32 ebp, 0x50000005, "popad ebp"
    EXPECT32 edi, 0x70000007, "popad edi"
    ; popa with 16-bit size keeps the upper halves
    mov eax, 0xffff0000
    push word 0x0001                ; ax
    push word 0                     ; cx
    push word 0                     ; dx
    push word 0                     ; bx
    push word 0                     ; sp (ignored)
    push word 0                     ; bp
    push word 0                     ; si
    push word 0                     ; di
    popa
    EXPECT32 eax, 0xffff0001, "popa 16 keeps upper half of eax"

    ; ---- ENTER / LEAVE ----
    ; an enclosing frame at BP=0x6000 holding two display entries
    mov word [0x5ffe], 0xaaaa
    mov word [0x5ffc], 0xbbbb
    mov bp, 0x6000
    enter 8, 0
    EXPECT16 bp, 0x7bfe, "enter 8,0: bp = frame"
    EXPECT32 sp, 0x7bf6, "enter 8,0: sp = frame - 8"
    EXPECT16 word [0x7bfe], 0x6000, "enter 8,0: old bp saved"
    leave
    EXPECT32 sp, 0x7c00, "leave: sp"
    EXPECT16 bp, 0x6000, "leave: bp"
    enter 4, 1
    EXPECT16 bp, 0x7bfe, "enter 4,1: bp = frame"
    EXPECT16 word [0x7bfc], 0x7bfe, "enter 4,1: frame pointer pushed"
    EXPECT32 sp, 0x7bf8, "enter 4,1: sp"
    leave
    EXPECT16 bp, 0x6000, "leave after level 1"
    enter 8, 3
    EXPECT16 bp, 0x7bfe, "enter 8,3: bp = frame"
    EXPECT16 word [0x7bfc], 0xaaaa, "enter 8,3: display 1 copied"
    EXPECT16 word [0x7bfa], 0xbbbb, "enter 8,3: display 2 copied"
    EXPECT16 word [0x7bf8], 0x7bfe, "enter 8,3: frame pointer pushed"
    EXPECT32 sp, 0x7bf0, "enter 8,3: sp"
    leave
    EXPECT32 sp, 0x7c00, "leave after level 3: sp"
    EXPECT16 bp, 0x6000, "leave after level 3: bp"
    ; the level is taken modulo 32: enter 0, 32 is level 0
    enter 0, 32
    EXPECT32 sp, 0x7bfe, "enter 0,32 is level 0"
    leave
    ; 32-bit operand size
    mov dword [0x5ffc], 0xaaaaaaaa
    mov dword [0x5ff8], 0xbbbbbbbb
    mov ebp, 0x6000
    o32 enter 16, 3
    EXPECT32 ebp, 0x7bfc, "o32 enter 16,3: ebp = frame"
    EXPECT32 dword [0x7bfc], 0x6000, "o32 enter: old ebp saved"
    EXPECT32 dword [0x7bf8], 0xaaaaaaaa, "o32 enter: display 1"
    EXPECT32 dword [0x7bf4], 0xbbbbbbbb, "o32 enter: display 2"
    EXPECT32 dword [0x7bf0], 0x7bfc, "o32 enter: frame pointer"
    EXPECT32 sp, 0x7be0, "o32 enter: sp"
    o32 leave
    EXPECT32 esp, 0x7c00, "o32 leave: esp"
    EXPECT32 ebp, 0x6000, "o32 leave: ebp"
    ; 32-bit operand size on a 16-bit stack: FrameTemp is the whole ESP
    ; (SDM ENTER), upper half included, both in EBP and in the pushed copy.
    mov esp, 0x00017c00
    mov ebp, 0x6000
    o32 enter 4, 1
    EXPECT32 ebp, 0x00017bfc, "o32 enter, 16-bit stack: ebp = whole esp"
    EXPECT32 dword [0x7bf8], 0x00017bfc, "o32 enter, 16-bit stack: pushed frame = whole esp"
    EXPECT32 esp, 0x00017bf4, "o32 enter, 16-bit stack: esp"
    mov esp, 0x7c00
    ; 16-bit enter keeps the upper half of ebp
    mov ebp, 0x12346000
    enter 0, 0
    EXPECT32 ebp, 0x12347bfe, "enter 16 keeps upper ebp"
    leave
    EXPECT32 ebp, 0x12346000, "leave 16 keeps upper ebp"

    FINISH

ROM_END
