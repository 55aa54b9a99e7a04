; smoke.asm — the smallest guest test: real mode, a few ALU checks, exit.
%include "rom.inc"

start:
    ROM_INIT
    PUTS `smoke: real mode\n`
    mov ax, 0x1234
    add ax, 0x0001
    EXPECT16 ax, 0x1235, "add ax imm16"
    mov bx, 0xffff
    inc bx
    CHECK "inc wraps to zero sets ZF"
    mov cx, 5
    xor dx, dx
.loop:
    add dx, cx
    loop .loop
    EXPECT16 dx, 15, "loop sums 5..1"
    FINISH

ROM_END
