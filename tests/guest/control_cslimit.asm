; control_cslimit.asm — near branches to a target beyond the CS limit raise
; #GP(0) before any state changes (Intel SDM vol. 2, JMP/CALL/RET/Jcc,
; "Real-Address Mode Exceptions: #GP if the target is beyond the code
; segment limits"). Real mode, CS limit 0xFFFF, 32-bit operand size so the
; target is not truncated.
;
; QEMU does not check the CS limit in real mode: there the branches land at
; linear 0x100000 (F000:10000), where this test puts a pad that reports the
; missing #GP. The SDM wins: this test is expected to FAIL under QEMU and
; prints a "note:" line saying why.
; qemu-differs: QEMU does not check the CS limit of near branch targets in real mode (SDM: #GP(0))
%include "rom.inc"

%define RESUME  0x0510
%define EXC_VEC 0x0512
%define EXC_IP  0x0514

%macro EXPECT32 3
    cmp %1, %2
    CHECK %3
%endmacro

%macro ARM 1
    mov word [RESUME], %1
    mov word [EXC_VEC], 0xffff
%endmacro

start:
    ROM_INIT
    PUTS `control_cslimit: #GP(0) for near targets beyond CS limit\n`
    mov word [13*4], exc_gp
    mov word [13*4+2], 0xf000
    ; landing pad at FFFF:0010 = linear 0x100000 (reached only without #GP)
    mov ax, 0xffff
    mov es, ax
    mov di, 0x10
    mov si, pad_code
    mov cx, pad_code_len
    cs rep movsb
    xor ax, ax
    mov es, ax

    ARM .gp1
    mov ebx, 0x00010000
    mov ecx, 0x1234
.gp1_insn:
    o32 jmp ebx
.gp1:
    EXPECT16 word [EXC_VEC], 13, "jmp r32 beyond the CS limit raises #GP"
    mov ax, [EXC_IP]
    cmp ax, .gp1_insn
    CHECK "#GP from jmp points at the jmp (a fault)"

    ARM .gp2
    mov esp, 0x7c00
    o32 call ebx
.gp2:
    EXPECT16 word [EXC_VEC], 13, "call r32 beyond the CS limit raises #GP"
    EXPECT32 esp, 0x7c00, "failed call pushed nothing"
    mov esp, 0x7c00

    ARM .gp3
    db 0x66, 0xe9                    ; jmp rel32 to CS:0x10000
    dd 0x10000 - ($ + 4)
.gp3:
    EXPECT16 word [EXC_VEC], 13, "jmp rel32 beyond the CS limit raises #GP"

    ARM .gp4
    xor ax, ax                       ; ZF=1
    db 0x66, 0x0f, 0x84              ; jz rel32 to CS:0x10000
    dd 0x10000 - ($ + 4)
.gp4:
    EXPECT16 word [EXC_VEC], 13, "jz rel32 beyond the CS limit raises #GP"

    ARM .gp5
    push dword 0x10000
    o32 ret
.gp5:
    EXPECT16 word [EXC_VEC], 13, "ret to beyond the CS limit raises #GP"
    EXPECT32 esp, 0x7bfc, "failed ret popped nothing"
    mov esp, 0x7c00

    ARM .gp6
    mov ecx, 2
    db 0x66, 0xe8                    ; call rel32 to CS:0x10000
    dd 0x10000 - ($ + 4)
.gp6:
    EXPECT16 word [EXC_VEC], 13, "call rel32 beyond the CS limit raises #GP"
    EXPECT32 esp, 0x7c00, "failed call rel32 pushed nothing"
    mov esp, 0x7c00

    FINISH

exc_gp:
    push bx
    mov bx, 13
    push bp
    push ds
    push word 0
    pop ds
    mov bp, sp
    mov [EXC_VEC], bx
    mov bx, [bp+6]
    mov [EXC_IP], bx
    mov bx, [RESUME]
    mov [bp+6], bx
    pop ds
    pop bp
    pop bx
    iret

; reached at linear 0x100000 when a branch was not stopped by the limit
pad_code:
    jmp 0xf000:pad_handler
pad_code_len equ $ - pad_code
pad_handler:
    xor ax, ax
    mov ds, ax
    mov word [EXC_VEC], 0xeeee
    PUTS `note: branch beyond the CS limit was taken without #GP (QEMU does not check the real-mode CS limit; the SDM requires #GP(0))\n`
    jmp [RESUME]

ROM_END
