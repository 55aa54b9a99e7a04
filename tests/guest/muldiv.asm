; muldiv.asm — MUL/IMUL F6/F7 /4 /5 (register and memory, 8/16/32-bit),
; IMUL Gv,Ev (0F AF), IMUL Gv,Ev,Iz (69) and Gv,Ev,Ibs (6B), DIV/IDIV F6/F7
; /6 /7, and #DE: divide by zero and quotient overflow in every size,
; including the most negative dividend divided by -1, delivered through the
; real-mode IVT with the IP of the faulting instruction and the registers
; unchanged. Flags: MUL/IMUL CF=OF are checked (SF ZF AF PF are undefined);
; DIV/IDIV flags are undefined and not checked here (the unit test checks
; the P6 choice). Cases generated from an independent Python model and
; validated under QEMU.
;
; qemu-differs: QEMU 7.2 dies of a host SIGFPE on IDIV of the most negative dividend by -1 (SDM: #DE)
%include "rom.inc"
%include "arith.inc"

%define MEM 0x0600

start:
    ROM_INIT
    TRAP_INIT
    PUTS `muldiv: mul one-operand\n`
    mov ax, 0x55bd
    mov bl, 0x2
    SETFL 0
    mul bl
    EXPECT_FL 0x801, 0x801, "mul8 bd*2 flags"
    cmp ax, 0x17a
    CHECK "mul8 bd*2 ax"
    mov ax, 0x55bd
    mov byte [MEM], 0x87
    SETFL 0x8d5
    mul byte [MEM]
    EXPECT_FL 0x801, 0x801, "mul8 bd*87 mem flags"
    cmp ax, 0x63ab
    CHECK "mul8 bd*87 mem ax"
    mov ax, 0x5580
    mov bl, 0x3f
    SETFL 0
    mul bl
    EXPECT_FL 0x801, 0x801, "mul8 80*3f flags"
    cmp ax, 0x1f80
    CHECK "mul8 80*3f ax"
    mov ax, 0x55e6
    mov byte [MEM], 0x7f
    SETFL 0x8d5
    mul byte [MEM]
    EXPECT_FL 0x801, 0x801, "mul8 e6*7f mem flags"
    cmp ax, 0x721a
    CHECK "mul8 e6*7f mem ax"
    mov ax, 0x5501
    mov bl, 0x0
    SETFL 0
    mul bl
    EXPECT_FL 0x801, 0x000, "mul8 1*0 flags"
    cmp ax, 0x0
    CHECK "mul8 1*0 ax"
    mov ax, 0x5503
    mov byte [MEM], 0x68
    SETFL 0x8d5
    mul byte [MEM]
    EXPECT_FL 0x801, 0x801, "mul8 3*68 mem flags"
    cmp ax, 0x138
    CHECK "mul8 3*68 mem ax"
    mov ax, 0x2
    mov dx, 0x1234
    mov bx, 0x28db
    SETFL 0
    mul bx
    EXPECT_FL 0x801, 0x000, "mul16 2*28db flags"
    cmp ax, 0x51b6
    CHECK "mul16 2*28db lo"
    cmp dx, 0x0
    CHECK "mul16 2*28db hi"
    mov ax, 0x126a
    mov dx, 0x1234
    mov word [MEM], 0xffff
    SETFL 0x8d5
    mul word [MEM]
    EXPECT_FL 0x801, 0x801, "mul16 126a*ffff mem flags"
    cmp ax, 0xed96
    CHECK "mul16 126a*ffff mem lo"
    cmp dx, 0x1269
    CHECK "mul16 126a*ffff mem hi"
    mov ax, 0x1
    mov dx, 0x1234
    mov bx, 0x2
    SETFL 0
    mul bx
    EXPECT_FL 0x801, 0x000, "mul16 1*2 flags"
    cmp ax, 0x2
    CHECK "mul16 1*2 lo"
    cmp dx, 0x0
    CHECK "mul16 1*2 hi"
    mov ax, 0x2
    mov dx, 0x1234
    mov word [MEM], 0x1
    SETFL 0x8d5
    mul word [MEM]
    EXPECT_FL 0x801, 0x000, "mul16 2*1 mem flags"
    cmp ax, 0x2
    CHECK "mul16 2*1 mem lo"
    cmp dx, 0x0
    CHECK "mul16 2*1 mem hi"
    mov ax, 0x4a0f
    mov dx, 0x1234
    mov bx, 0x1
    SETFL 0
    mul bx
    EXPECT_FL 0x801, 0x000, "mul16 4a0f*1 flags"
    cmp ax, 0x4a0f
    CHECK "mul16 4a0f*1 lo"
    cmp dx, 0x0
    CHECK "mul16 4a0f*1 hi"
    mov ax, 0xad86
    mov dx, 0x1234
    mov word [MEM], 0x2e81
    SETFL 0x8d5
    mul word [MEM]
    EXPECT_FL 0x801, 0x801, "mul16 ad86*2e81 mem flags"
    cmp ax, 0x8486
    CHECK "mul16 ad86*2e81 mem lo"
    cmp dx, 0x1f85
    CHECK "mul16 ad86*2e81 mem hi"
    mov eax, 0xb0cde917
    mov edx, 0x1234
    mov ebx, 0x80000000
    SETFL 0
    mul ebx
    EXPECT_FL 0x801, 0x801, "mul32 b0cde917*80000000 flags"
    cmp eax, 0x80000000
    CHECK "mul32 b0cde917*80000000 lo"
    cmp edx, 0x5866f48b
    CHECK "mul32 b0cde917*80000000 hi"
    mov eax, 0x7fffffff
    mov edx, 0x1234
    mov dword [MEM], 0x1
    SETFL 0x8d5
    mul dword [MEM]
    EXPECT_FL 0x801, 0x000, "mul32 7fffffff*1 mem flags"
    cmp eax, 0x7fffffff
    CHECK "mul32 7fffffff*1 mem lo"
    cmp edx, 0x0
    CHECK "mul32 7fffffff*1 mem hi"
    mov eax, 0x7fffffff
    mov edx, 0x1234
    mov ebx, 0xffffffff
    SETFL 0
    mul ebx
    EXPECT_FL 0x801, 0x801, "mul32 7fffffff*ffffffff flags"
    cmp eax, 0x80000001
    CHECK "mul32 7fffffff*ffffffff lo"
    cmp edx, 0x7ffffffe
    CHECK "mul32 7fffffff*ffffffff hi"
    mov eax, 0x98921396
    mov edx, 0x1234
    mov dword [MEM], 0x568068b9
    SETFL 0x8d5
    mul dword [MEM]
    EXPECT_FL 0x801, 0x801, "mul32 98921396*568068b9 mem flags"
    cmp eax, 0xc8851766
    CHECK "mul32 98921396*568068b9 mem lo"
    cmp edx, 0x338d9a07
    CHECK "mul32 98921396*568068b9 mem hi"
    mov eax, 0x7fffffff
    mov edx, 0x1234
    mov ebx, 0x7b121dc5
    SETFL 0
    mul ebx
    EXPECT_FL 0x801, 0x801, "mul32 7fffffff*7b121dc5 flags"
    cmp eax, 0x4ede23b
    CHECK "mul32 7fffffff*7b121dc5 lo"
    cmp edx, 0x3d890ee2
    CHECK "mul32 7fffffff*7b121dc5 hi"
    mov eax, 0x2f4d4c86
    mov edx, 0x1234
    mov dword [MEM], 0x10000
    SETFL 0x8d5
    mul dword [MEM]
    EXPECT_FL 0x801, 0x801, "mul32 2f4d4c86*10000 mem flags"
    cmp eax, 0x4c860000
    CHECK "mul32 2f4d4c86*10000 mem lo"
    cmp edx, 0x2f4d
    CHECK "mul32 2f4d4c86*10000 mem hi"
    PUTS `muldiv: imul one-operand\n`
    mov ax, 0x557f
    mov bl, 0x5
    SETFL 0
    imul bl
    EXPECT_FL 0x801, 0x801, "imul8 7f*5 flags"
    cmp ax, 0x27b
    CHECK "imul8 7f*5 ax"
    mov ax, 0x555b
    mov byte [MEM], 0x4
    SETFL 0x8d5
    imul byte [MEM]
    EXPECT_FL 0x801, 0x801, "imul8 5b*4 mem flags"
    cmp ax, 0x16c
    CHECK "imul8 5b*4 mem ax"
    mov ax, 0x556b
    mov bl, 0xff
    SETFL 0
    imul bl
    EXPECT_FL 0x801, 0x000, "imul8 6b*ff flags"
    cmp ax, 0xff95
    CHECK "imul8 6b*ff ax"
    mov ax, 0x5573
    mov byte [MEM], 0x1
    SETFL 0x8d5
    imul byte [MEM]
    EXPECT_FL 0x801, 0x000, "imul8 73*1 mem flags"
    cmp ax, 0x73
    CHECK "imul8 73*1 mem ax"
    mov ax, 0x55f4
    mov bl, 0x10
    SETFL 0
    imul bl
    EXPECT_FL 0x801, 0x801, "imul8 f4*10 flags"
    cmp ax, 0xff40
    CHECK "imul8 f4*10 ax"
    mov ax, 0x5510
    mov byte [MEM], 0x58
    SETFL 0x8d5
    imul byte [MEM]
    EXPECT_FL 0x801, 0x801, "imul8 10*58 mem flags"
    cmp ax, 0x580
    CHECK "imul8 10*58 mem ax"
    mov ax, 0xe488
    mov dx, 0x1234
    mov bx, 0xc68d
    SETFL 0
    imul bx
    EXPECT_FL 0x801, 0x801, "imul16 e488*c68d flags"
    cmp ax, 0xee8
    CHECK "imul16 e488*c68d lo"
    cmp dx, 0x62a
    CHECK "imul16 e488*c68d hi"
    mov ax, 0xffff
    mov dx, 0x1234
    mov word [MEM], 0xcc17
    SETFL 0x8d5
    imul word [MEM]
    EXPECT_FL 0x801, 0x000, "imul16 ffff*cc17 mem flags"
    cmp ax, 0x33e9
    CHECK "imul16 ffff*cc17 mem lo"
    cmp dx, 0x0
    CHECK "imul16 ffff*cc17 mem hi"
    mov ax, 0x7fff
    mov dx, 0x1234
    mov bx, 0x0
    SETFL 0
    imul bx
    EXPECT_FL 0x801, 0x000, "imul16 7fff*0 flags"
    cmp ax, 0x0
    CHECK "imul16 7fff*0 lo"
    cmp dx, 0x0
    CHECK "imul16 7fff*0 hi"
    mov ax, 0xffff
    mov dx, 0x1234
    mov word [MEM], 0xeb07
    SETFL 0x8d5
    imul word [MEM]
    EXPECT_FL 0x801, 0x000, "imul16 ffff*eb07 mem flags"
    cmp ax, 0x14f9
    CHECK "imul16 ffff*eb07 mem lo"
    cmp dx, 0x0
    CHECK "imul16 ffff*eb07 mem hi"
    mov ax, 0x7fff
    mov dx, 0x1234
    mov bx, 0x8b8e
    SETFL 0
    imul bx
    EXPECT_FL 0x801, 0x801, "imul16 7fff*8b8e flags"
    cmp ax, 0x7472
    CHECK "imul16 7fff*8b8e lo"
    cmp dx, 0xc5c7
    CHECK "imul16 7fff*8b8e hi"
    mov ax, 0x100
    mov dx, 0x1234
    mov word [MEM], 0x1
    SETFL 0x8d5
    imul word [MEM]
    EXPECT_FL 0x801, 0x000, "imul16 100*1 mem flags"
    cmp ax, 0x100
    CHECK "imul16 100*1 mem lo"
    cmp dx, 0x0
    CHECK "imul16 100*1 mem hi"
    mov eax, 0xa07657d6
    mov edx, 0x1234
    mov ebx, 0x10000
    SETFL 0
    imul ebx
    EXPECT_FL 0x801, 0x801, "imul32 a07657d6*10000 flags"
    cmp eax, 0x57d60000
    CHECK "imul32 a07657d6*10000 lo"
    cmp edx, 0xffffa076
    CHECK "imul32 a07657d6*10000 hi"
    mov eax, 0x80000000
    mov edx, 0x1234
    mov dword [MEM], 0x0
    SETFL 0x8d5
    imul dword [MEM]
    EXPECT_FL 0x801, 0x000, "imul32 80000000*0 mem flags"
    cmp eax, 0x0
    CHECK "imul32 80000000*0 mem lo"
    cmp edx, 0x0
    CHECK "imul32 80000000*0 mem hi"
    mov eax, 0xffffffff
    mov edx, 0x1234
    mov ebx, 0x67e84707
    SETFL 0
    imul ebx
    EXPECT_FL 0x801, 0x000, "imul32 ffffffff*67e84707 flags"
    cmp eax, 0x9817b8f9
    CHECK "imul32 ffffffff*67e84707 lo"
    cmp edx, 0xffffffff
    CHECK "imul32 ffffffff*67e84707 hi"
    mov eax, 0x10000
    mov edx, 0x1234
    mov dword [MEM], 0xd3881a50
    SETFL 0x8d5
    imul dword [MEM]
    EXPECT_FL 0x801, 0x801, "imul32 10000*d3881a50 mem flags"
    cmp eax, 0x1a500000
    CHECK "imul32 10000*d3881a50 mem lo"
    cmp edx, 0xffffd388
    CHECK "imul32 10000*d3881a50 mem hi"
    mov eax, 0x10000
    mov edx, 0x1234
    mov ebx, 0x0
    SETFL 0
    imul ebx
    EXPECT_FL 0x801, 0x000, "imul32 10000*0 flags"
    cmp eax, 0x0
    CHECK "imul32 10000*0 lo"
    cmp edx, 0x0
    CHECK "imul32 10000*0 hi"
    mov eax, 0xa36939ef
    mov edx, 0x1234
    mov dword [MEM], 0x80000000
    SETFL 0x8d5
    imul dword [MEM]
    EXPECT_FL 0x801, 0x801, "imul32 a36939ef*80000000 mem flags"
    cmp eax, 0x80000000
    CHECK "imul32 a36939ef*80000000 mem lo"
    cmp edx, 0x2e4b6308
    CHECK "imul32 a36939ef*80000000 mem hi"
    PUTS `muldiv: imul two/three-operand\n`
    mov bx, 0x1
    mov dx, 0x100
    SETFL 0
    imul bx, dx
    EXPECT_FL 0x801, 0x000, "imul16 r,r 1*100 flags"
    cmp bx, 0x100
    CHECK "imul16 r,r 1*100"
    mov bx, 0x1
    mov word [MEM], 0x100
    SETFL 0x801
    imul bx, [MEM]
    EXPECT_FL 0x801, 0x000, "imul16 r,m flags"
    cmp bx, 0x100
    CHECK "imul16 r,m"
    mov dx, 0x1
    SETFL 0
    imul bx, dx, strict word 0x100
    EXPECT_FL 0x801, 0x000, "imul16 r,r,imm flags"
    cmp bx, 0x100
    CHECK "imul16 r,r,imm"
    mov word [MEM], 0x1
    SETFL 0
    imul bx, [MEM], strict byte 64
    EXPECT_FL 0x801, 0x000, "imul16 r,m,ibs 40 flags"
    cmp bx, 0x40
    CHECK "imul16 r,m,ibs 40"
    mov bx, 0xa161
    mov dx, 0x69f0
    SETFL 0
    imul bx, dx
    EXPECT_FL 0x801, 0x801, "imul16 r,r a161*69f0 flags"
    cmp bx, 0x13f0
    CHECK "imul16 r,r a161*69f0"
    mov bx, 0xa161
    mov word [MEM], 0x69f0
    SETFL 0x801
    imul bx, [MEM]
    EXPECT_FL 0x801, 0x801, "imul16 r,m flags"
    cmp bx, 0x13f0
    CHECK "imul16 r,m"
    mov dx, 0xa161
    SETFL 0
    imul bx, dx, strict word 0x69f0
    EXPECT_FL 0x801, 0x801, "imul16 r,r,imm flags"
    cmp bx, 0x13f0
    CHECK "imul16 r,r,imm"
    mov word [MEM], 0xa161
    SETFL 0
    imul bx, [MEM], strict byte 127
    EXPECT_FL 0x801, 0x801, "imul16 r,m,ibs 7f flags"
    cmp bx, 0xf1f
    CHECK "imul16 r,m,ibs 7f"
    mov bx, 0x7fff
    mov dx, 0x2
    SETFL 0
    imul bx, dx
    EXPECT_FL 0x801, 0x801, "imul16 r,r 7fff*2 flags"
    cmp bx, 0xfffe
    CHECK "imul16 r,r 7fff*2"
    mov bx, 0x7fff
    mov word [MEM], 0x2
    SETFL 0x801
    imul bx, [MEM]
    EXPECT_FL 0x801, 0x801, "imul16 r,m flags"
    cmp bx, 0xfffe
    CHECK "imul16 r,m"
    mov dx, 0x7fff
    SETFL 0
    imul bx, dx, strict word 0x2
    EXPECT_FL 0x801, 0x801, "imul16 r,r,imm flags"
    cmp bx, 0xfffe
    CHECK "imul16 r,r,imm"
    mov word [MEM], 0x7fff
    SETFL 0
    imul bx, [MEM], strict byte 3
    EXPECT_FL 0x801, 0x801, "imul16 r,m,ibs 3 flags"
    cmp bx, 0x7ffd
    CHECK "imul16 r,m,ibs 3"
    mov bx, 0x8000
    mov dx, 0x9ed2
    SETFL 0
    imul bx, dx
    EXPECT_FL 0x801, 0x801, "imul16 r,r 8000*9ed2 flags"
    cmp bx, 0x0
    CHECK "imul16 r,r 8000*9ed2"
    mov bx, 0x8000
    mov word [MEM], 0x9ed2
    SETFL 0x801
    imul bx, [MEM]
    EXPECT_FL 0x801, 0x801, "imul16 r,m flags"
    cmp bx, 0x0
    CHECK "imul16 r,m"
    mov dx, 0x8000
    SETFL 0
    imul bx, dx, strict word 0x9ed2
    EXPECT_FL 0x801, 0x801, "imul16 r,r,imm flags"
    cmp bx, 0x0
    CHECK "imul16 r,r,imm"
    mov word [MEM], 0x8000
    SETFL 0
    imul bx, [MEM], strict byte -128
    EXPECT_FL 0x801, 0x801, "imul16 r,m,ibs 80 flags"
    cmp bx, 0x0
    CHECK "imul16 r,m,ibs 80"
    mov bx, 0x741b
    mov dx, 0xb057
    SETFL 0
    imul bx, dx
    EXPECT_FL 0x801, 0x801, "imul16 r,r 741b*b057 flags"
    cmp bx, 0x52d
    CHECK "imul16 r,r 741b*b057"
    mov bx, 0x741b
    mov word [MEM], 0xb057
    SETFL 0x801
    imul bx, [MEM]
    EXPECT_FL 0x801, 0x801, "imul16 r,m flags"
    cmp bx, 0x52d
    CHECK "imul16 r,m"
    mov dx, 0x741b
    SETFL 0
    imul bx, dx, strict word 0xb057
    EXPECT_FL 0x801, 0x801, "imul16 r,r,imm flags"
    cmp bx, 0x52d
    CHECK "imul16 r,r,imm"
    mov word [MEM], 0x741b
    SETFL 0
    imul bx, [MEM], strict byte -1
    EXPECT_FL 0x801, 0x000, "imul16 r,m,ibs ff flags"
    cmp bx, 0x8be5
    CHECK "imul16 r,m,ibs ff"
    mov bx, 0x7fff
    mov dx, 0x1
    SETFL 0
    imul bx, dx
    EXPECT_FL 0x801, 0x000, "imul16 r,r 7fff*1 flags"
    cmp bx, 0x7fff
    CHECK "imul16 r,r 7fff*1"
    mov bx, 0x7fff
    mov word [MEM], 0x1
    SETFL 0x801
    imul bx, [MEM]
    EXPECT_FL 0x801, 0x000, "imul16 r,m flags"
    cmp bx, 0x7fff
    CHECK "imul16 r,m"
    mov dx, 0x7fff
    SETFL 0
    imul bx, dx, strict word 0x1
    EXPECT_FL 0x801, 0x000, "imul16 r,r,imm flags"
    cmp bx, 0x7fff
    CHECK "imul16 r,r,imm"
    mov word [MEM], 0x7fff
    SETFL 0
    imul bx, [MEM], strict byte 127
    EXPECT_FL 0x801, 0x801, "imul16 r,m,ibs 7f flags"
    cmp bx, 0x7f81
    CHECK "imul16 r,m,ibs 7f"
    mov ebx, 0xffffffff
    mov edx, 0xa080c6a5
    SETFL 0
    imul ebx, edx
    EXPECT_FL 0x801, 0x000, "imul32 r,r ffffffff*a080c6a5 flags"
    cmp ebx, 0x5f7f395b
    CHECK "imul32 r,r ffffffff*a080c6a5"
    mov ebx, 0xffffffff
    mov dword [MEM], 0xa080c6a5
    SETFL 0x801
    imul ebx, [MEM]
    EXPECT_FL 0x801, 0x000, "imul32 r,m flags"
    cmp ebx, 0x5f7f395b
    CHECK "imul32 r,m"
    mov edx, 0xffffffff
    SETFL 0
    imul ebx, edx, strict dword 0xa080c6a5
    EXPECT_FL 0x801, 0x000, "imul32 r,r,imm flags"
    cmp ebx, 0x5f7f395b
    CHECK "imul32 r,r,imm"
    mov dword [MEM], 0xffffffff
    SETFL 0
    imul ebx, [MEM], strict byte 3
    EXPECT_FL 0x801, 0x000, "imul32 r,m,ibs 3 flags"
    cmp ebx, 0xfffffffd
    CHECK "imul32 r,m,ibs 3"
    mov ebx, 0x2e1c5d3a
    mov edx, 0x7fffffff
    SETFL 0
    imul ebx, edx
    EXPECT_FL 0x801, 0x801, "imul32 r,r 2e1c5d3a*7fffffff flags"
    cmp ebx, 0xd1e3a2c6
    CHECK "imul32 r,r 2e1c5d3a*7fffffff"
    mov ebx, 0x2e1c5d3a
    mov dword [MEM], 0x7fffffff
    SETFL 0x801
    imul ebx, [MEM]
    EXPECT_FL 0x801, 0x801, "imul32 r,m flags"
    cmp ebx, 0xd1e3a2c6
    CHECK "imul32 r,m"
    mov edx, 0x2e1c5d3a
    SETFL 0
    imul ebx, edx, strict dword 0x7fffffff
    EXPECT_FL 0x801, 0x801, "imul32 r,r,imm flags"
    cmp ebx, 0xd1e3a2c6
    CHECK "imul32 r,r,imm"
    mov dword [MEM], 0x2e1c5d3a
    SETFL 0
    imul ebx, [MEM], strict byte 64
    EXPECT_FL 0x801, 0x801, "imul32 r,m,ibs 40 flags"
    cmp ebx, 0x87174e80
    CHECK "imul32 r,m,ibs 40"
    mov ebx, 0xde0d0fc5
    mov edx, 0x1027e5d3
    SETFL 0
    imul ebx, edx
    EXPECT_FL 0x801, 0x801, "imul32 r,r de0d0fc5*1027e5d3 flags"
    cmp ebx, 0x6ae2385f
    CHECK "imul32 r,r de0d0fc5*1027e5d3"
    mov ebx, 0xde0d0fc5
    mov dword [MEM], 0x1027e5d3
    SETFL 0x801
    imul ebx, [MEM]
    EXPECT_FL 0x801, 0x801, "imul32 r,m flags"
    cmp ebx, 0x6ae2385f
    CHECK "imul32 r,m"
    mov edx, 0xde0d0fc5
    SETFL 0
    imul ebx, edx, strict dword 0x1027e5d3
    EXPECT_FL 0x801, 0x801, "imul32 r,r,imm flags"
    cmp ebx, 0x6ae2385f
    CHECK "imul32 r,r,imm"
    mov dword [MEM], 0xde0d0fc5
    SETFL 0
    imul ebx, [MEM], strict byte -1
    EXPECT_FL 0x801, 0x000, "imul32 r,m,ibs ff flags"
    cmp ebx, 0x21f2f03b
    CHECK "imul32 r,m,ibs ff"
    mov ebx, 0xa9fd1ce9
    mov edx, 0x7fffffff
    SETFL 0
    imul ebx, edx
    EXPECT_FL 0x801, 0x801, "imul32 r,r a9fd1ce9*7fffffff flags"
    cmp ebx, 0xd602e317
    CHECK "imul32 r,r a9fd1ce9*7fffffff"
    mov ebx, 0xa9fd1ce9
    mov dword [MEM], 0x7fffffff
    SETFL 0x801
    imul ebx, [MEM]
    EXPECT_FL 0x801, 0x801, "imul32 r,m flags"
    cmp ebx, 0xd602e317
    CHECK "imul32 r,m"
    mov edx, 0xa9fd1ce9
    SETFL 0
    imul ebx, edx, strict dword 0x7fffffff
    EXPECT_FL 0x801, 0x801, "imul32 r,r,imm flags"
    cmp ebx, 0xd602e317
    CHECK "imul32 r,r,imm"
    mov dword [MEM], 0xa9fd1ce9
    SETFL 0
    imul ebx, [MEM], strict byte -1
    EXPECT_FL 0x801, 0x000, "imul32 r,m,ibs ff flags"
    cmp ebx, 0x5602e317
    CHECK "imul32 r,m,ibs ff"
    mov ebx, 0xab163406
    mov edx, 0x80000000
    SETFL 0
    imul ebx, edx
    EXPECT_FL 0x801, 0x801, "imul32 r,r ab163406*80000000 flags"
    cmp ebx, 0x0
    CHECK "imul32 r,r ab163406*80000000"
    mov ebx, 0xab163406
    mov dword [MEM], 0x80000000
    SETFL 0x801
    imul ebx, [MEM]
    EXPECT_FL 0x801, 0x801, "imul32 r,m flags"
    cmp ebx, 0x0
    CHECK "imul32 r,m"
    mov edx, 0xab163406
    SETFL 0
    imul ebx, edx, strict dword 0x80000000
    EXPECT_FL 0x801, 0x801, "imul32 r,r,imm flags"
    cmp ebx, 0x0
    CHECK "imul32 r,r,imm"
    mov dword [MEM], 0xab163406
    SETFL 0
    imul ebx, [MEM], strict byte -1
    EXPECT_FL 0x801, 0x000, "imul32 r,m,ibs ff flags"
    cmp ebx, 0x54e9cbfa
    CHECK "imul32 r,m,ibs ff"
    mov ebx, 0xb0ddb48b
    mov edx, 0xf4f6717c
    SETFL 0
    imul ebx, edx
    EXPECT_FL 0x801, 0x801, "imul32 r,r b0ddb48b*f4f6717c flags"
    cmp ebx, 0x81a6ce54
    CHECK "imul32 r,r b0ddb48b*f4f6717c"
    mov ebx, 0xb0ddb48b
    mov dword [MEM], 0xf4f6717c
    SETFL 0x801
    imul ebx, [MEM]
    EXPECT_FL 0x801, 0x801, "imul32 r,m flags"
    cmp ebx, 0x81a6ce54
    CHECK "imul32 r,m"
    mov edx, 0xb0ddb48b
    SETFL 0
    imul ebx, edx, strict dword 0xf4f6717c
    EXPECT_FL 0x801, 0x801, "imul32 r,r,imm flags"
    cmp ebx, 0x81a6ce54
    CHECK "imul32 r,r,imm"
    mov dword [MEM], 0xb0ddb48b
    SETFL 0
    imul ebx, [MEM], strict byte -1
    EXPECT_FL 0x801, 0x000, "imul32 r,m,ibs ff flags"
    cmp ebx, 0x4f224b75
    CHECK "imul32 r,m,ibs ff"
    PUTS `muldiv: div\n`
    mov ax, 0x79
    mov byte [MEM], 0x94
    div byte [MEM]
    cmp ax, 0x7900
    CHECK "div8 79/94 mem"
    mov ax, 0x14e3
    mov bl, 0x40
    div bl
    cmp ax, 0x2353
    CHECK "div8 14e3/40"
    mov ax, 0xffb
    mov byte [MEM], 0x10
    div byte [MEM]
    cmp ax, 0xbff
    CHECK "div8 ffb/10 mem"
    mov ax, 0xb1
    mov bl, 0x2
    div bl
    cmp ax, 0x158
    CHECK "div8 b1/2"
    mov ax, 0xe
    mov byte [MEM], 0x10
    div byte [MEM]
    cmp ax, 0xe00
    CHECK "div8 e/10 mem"
    mov ax, 0x5188
    mov bl, 0xf4
    div bl
    cmp ax, 0x8455
    CHECK "div8 5188/f4"
    mov ax, 0x0
    mov dx, 0x0
    mov word [MEM], 0x1
    div word [MEM]
    cmp ax, 0x0
    CHECK "div16 0/1 mem quot"
    cmp dx, 0x0
    CHECK "div16 0/1 mem rem"
    mov ax, 0xd48c
    mov dx, 0x228e
    mov bx, 0x7a2c
    div bx
    cmp ax, 0x4869
    CHECK "div16 228ed48c/7a2c quot"
    cmp dx, 0x5880
    CHECK "div16 228ed48c/7a2c rem"
    mov ax, 0xffd5
    mov dx, 0xff
    mov word [MEM], 0x100
    div word [MEM]
    cmp ax, 0xffff
    CHECK "div16 ffffd5/100 mem quot"
    cmp dx, 0xd5
    CHECK "div16 ffffd5/100 mem rem"
    mov ax, 0xdf59
    mov dx, 0x1
    mov bx, 0x2
    div bx
    cmp ax, 0xefac
    CHECK "div16 1df59/2 quot"
    cmp dx, 0x1
    CHECK "div16 1df59/2 rem"
    mov ax, 0x454d
    mov dx, 0xfffe
    mov word [MEM], 0xffff
    div word [MEM]
    cmp ax, 0xffff
    CHECK "div16 fffe454d/ffff mem quot"
    cmp dx, 0x454c
    CHECK "div16 fffe454d/ffff mem rem"
    mov ax, 0x48b
    mov dx, 0x162
    mov bx, 0x712
    div bx
    cmp ax, 0x3212
    CHECK "div16 162048b/712 quot"
    cmp dx, 0x147
    CHECK "div16 162048b/712 rem"
    mov eax, 0x8e81fc75
    mov edx, 0x9fc32bb4
    mov dword [MEM], 0x9fc32bb5
    div dword [MEM]
    cmp eax, 0xffffffff
    CHECK "div32 9fc32bb48e81fc75/9fc32bb5 mem quot"
    cmp edx, 0x2e45282a
    CHECK "div32 9fc32bb48e81fc75/9fc32bb5 mem rem"
    mov eax, 0x6b8b156e
    mov edx, 0x2e37
    mov ebx, 0x10000
    div ebx
    cmp eax, 0x2e376b8b
    CHECK "div32 2e376b8b156e/10000 quot"
    cmp edx, 0x156e
    CHECK "div32 2e376b8b156e/10000 rem"
    mov eax, 0x2a6e4bd6
    mov edx, 0x0
    mov dword [MEM], 0xfad18c6a
    div dword [MEM]
    cmp eax, 0x0
    CHECK "div32 2a6e4bd6/fad18c6a mem quot"
    cmp edx, 0x2a6e4bd6
    CHECK "div32 2a6e4bd6/fad18c6a mem rem"
    mov eax, 0x1c5f4755
    mov edx, 0x0
    mov ebx, 0x1
    div ebx
    cmp eax, 0x1c5f4755
    CHECK "div32 1c5f4755/1 quot"
    cmp edx, 0x0
    CHECK "div32 1c5f4755/1 rem"
    mov eax, 0x462f5fc3
    mov edx, 0x0
    mov dword [MEM], 0x7b8fba72
    div dword [MEM]
    cmp eax, 0x0
    CHECK "div32 462f5fc3/7b8fba72 mem quot"
    cmp edx, 0x462f5fc3
    CHECK "div32 462f5fc3/7b8fba72 mem rem"
    mov eax, 0x615b43f3
    mov edx, 0x2cf0d6e2
    mov ebx, 0x80000000
    div ebx
    cmp eax, 0x59e1adc4
    CHECK "div32 2cf0d6e2615b43f3/80000000 quot"
    cmp edx, 0x615b43f3
    CHECK "div32 2cf0d6e2615b43f3/80000000 rem"
    PUTS `muldiv: idiv\n`
    mov ax, 0x8f5
    mov byte [MEM], 0x12
    idiv byte [MEM]
    cmp ax, 0x77f
    CHECK "idiv8 8f5/12 mem"
    mov ax, 0xd054
    mov bl, 0x5f
    idiv bl
    cmp ax, 0xd480
    CHECK "idiv8 d054/5f"
    mov ax, 0xff13
    mov byte [MEM], 0x7f
    idiv byte [MEM]
    cmp ax, 0x92ff
    CHECK "idiv8 ff13/7f mem"
    mov ax, 0x3f1
    mov bl, 0x10
    idiv bl
    cmp ax, 0x13f
    CHECK "idiv8 3f1/10"
    mov ax, 0xd95b
    mov byte [MEM], 0x4d
    idiv byte [MEM]
    cmp ax, 0xdb80
    CHECK "idiv8 d95b/4d mem"
    mov ax, 0x791
    mov bl, 0x56
    idiv bl
    cmp ax, 0x2d16
    CHECK "idiv8 791/56"
    mov ax, 0x2ca6
    mov dx, 0xffff
    mov word [MEM], 0x6b4a
    idiv word [MEM]
    cmp ax, 0xffff
    CHECK "idiv16 ffff2ca6/6b4a mem quot"
    cmp dx, 0x97f0
    CHECK "idiv16 ffff2ca6/6b4a mem rem"
    mov ax, 0xa4f
    mov dx, 0xe3c5
    mov bx, 0x89d3
    idiv bx
    cmp ax, 0x3d27
    CHECK "idiv16 e3c50a4f/89d3 quot"
    cmp dx, 0xc42a
    CHECK "idiv16 e3c50a4f/89d3 rem"
    mov ax, 0x1
    mov dx, 0x0
    mov word [MEM], 0xffff
    idiv word [MEM]
    cmp ax, 0xffff
    CHECK "idiv16 1/ffff mem quot"
    cmp dx, 0x0
    CHECK "idiv16 1/ffff mem rem"
    mov ax, 0x528
    mov dx, 0x1eb
    mov bx, 0xf7ce
    idiv bx
    cmp ax, 0xc416
    CHECK "idiv16 1eb0528/f7ce quot"
    cmp dx, 0x174
    CHECK "idiv16 1eb0528/f7ce rem"
    mov ax, 0xff3d
    mov dx, 0xff7f
    mov word [MEM], 0x100
    idiv word [MEM]
    cmp ax, 0x8000
    CHECK "idiv16 ff7fff3d/100 mem quot"
    cmp dx, 0xff3d
    CHECK "idiv16 ff7fff3d/100 mem rem"
    mov ax, 0x37f7
    mov dx, 0x0
    mov bx, 0xffff
    idiv bx
    cmp ax, 0xc809
    CHECK "idiv16 37f7/ffff quot"
    cmp dx, 0x0
    CHECK "idiv16 37f7/ffff rem"
    mov eax, 0x2990f89d
    mov edx, 0x0
    mov dword [MEM], 0xe42b0ae6
    idiv dword [MEM]
    cmp eax, 0xffffffff
    CHECK "idiv32 2990f89d/e42b0ae6 mem quot"
    cmp edx, 0xdbc0383
    CHECK "idiv32 2990f89d/e42b0ae6 mem rem"
    mov eax, 0xfe502193
    mov edx, 0xffffffff
    mov ebx, 0x1
    idiv ebx
    cmp eax, 0xfe502193
    CHECK "idiv32 fffffffffe502193/1 quot"
    cmp edx, 0x0
    CHECK "idiv32 fffffffffe502193/1 rem"
    mov eax, 0x8a6bb191
    mov edx, 0xffffffff
    mov dword [MEM], 0x61394c10
    idiv dword [MEM]
    cmp eax, 0xffffffff
    CHECK "idiv32 ffffffff8a6bb191/61394c10 mem quot"
    cmp edx, 0xeba4fda1
    CHECK "idiv32 ffffffff8a6bb191/61394c10 mem rem"
    mov eax, 0x2b56454
    mov edx, 0xf2c01837
    mov ebx, 0x4283de5c
    idiv ebx
    cmp eax, 0xcd0167e9
    CHECK "idiv32 f2c0183702b56454/4283de5c quot"
    cmp edx, 0xdfdcfe98
    CHECK "idiv32 f2c0183702b56454/4283de5c rem"
    mov eax, 0x3ef1d18e
    mov edx, 0x0
    mov dword [MEM], 0x7fffffff
    idiv dword [MEM]
    cmp eax, 0x0
    CHECK "idiv32 3ef1d18e/7fffffff mem quot"
    cmp edx, 0x3ef1d18e
    CHECK "idiv32 3ef1d18e/7fffffff mem rem"
    mov eax, 0xd870fc2f
    mov edx, 0xff2768b8
    mov ebx, 0x24aebf16
    idiv ebx
    cmp eax, 0xfa18755f
    CHECK "idiv32 ff2768b8d870fc2f/24aebf16 quot"
    cmp edx, 0xf8330505
    CHECK "idiv32 ff2768b8d870fc2f/24aebf16 rem"

    PUTS `muldiv: #DE\n`
    mov ax, 0x1234
    mov bl, 0
    EXPECT_TRAP 0, "div8 by zero raises #DE", div bl
    EXPECT16 ax, 0x1234, "div8 by zero leaves ax"
    mov ax, 0x1000
    mov bl, 0x10
    EXPECT_TRAP 0, "div8 1000h/10h overflows: #DE", div bl
    EXPECT16 ax, 0x1000, "div8 overflow leaves ax"
    mov dx, 5
    mov ax, 0
    mov bx, 5
    EXPECT_TRAP 0, "div16 50000h/5 overflows: #DE", div bx
    EXPECT16 dx, 5, "div16 overflow leaves dx"
    mov word [MEM], 0
    EXPECT_TRAP 0, "div16 by zero in memory: #DE", div word [MEM]
    mov edx, 1
    mov eax, 0
    mov ebx, 1
    EXPECT_TRAP 0, "div32 100000000h/1 overflows: #DE", div ebx
    EXPECT32 edx, 1, "div32 overflow leaves edx"
    EXPECT32 eax, 0, "div32 overflow leaves eax"
    mov ebx, 0
    EXPECT_TRAP 0, "div32 by zero: #DE", div ebx
    mov ax, 0x8000
    mov bl, 0xff
    EXPECT_TRAP 0, "idiv8 -32768/-1: #DE", idiv bl
    mov ax, 0xff80
    mov bl, 0xff
    EXPECT_TRAP 0, "idiv8 -128/-1 = 128: #DE", idiv bl
    mov ax, 0xff00
    mov bl, 2
    EXPECT_NOTRAP "idiv8 -256/2 = -128 is allowed", idiv bl
    EXPECT16 ax, 0x0080, "idiv8 -256/2 result"
    mov ax, 0x0100
    mov bl, 0
    EXPECT_TRAP 0, "idiv8 by zero: #DE", idiv bl
    mov dx, 0xffff
    mov ax, 0x8000
    mov bx, 0xffff
    EXPECT_TRAP 0, "idiv16 -32768/-1: #DE", idiv bx
    mov dx, 0xffff
    mov ax, 0x0000
    mov bx, 2
    EXPECT_NOTRAP "idiv16 -65536/2 = -32768 is allowed", idiv bx
    EXPECT16 ax, 0x8000, "idiv16 -65536/2 quotient"
    EXPECT16 dx, 0, "idiv16 -65536/2 remainder"
    mov ebx, 0xffffffff
    mov edx, 0xffffffff
    mov eax, 0x80000000
    EXPECT_TRAP 0, "idiv32 -2^31/-1: #DE", idiv ebx
    mov edx, 0xffffffff
    mov eax, 0
    mov ebx, 2
    EXPECT_NOTRAP "idiv32 -2^32/2 = -2^31 is allowed", idiv ebx
    EXPECT32 eax, 0x80000000, "idiv32 -2^32/2 quotient"
    mov dword [MEM], 0
    EXPECT_TRAP 0, "idiv32 by zero in memory: #DE", idiv dword [MEM]
    EXPECT16 [TRAP_CNT], 12, "12 #DE delivered"

    ; Last, because QEMU 7.2 divides INT_MIN by -1 on the host here and dies
    ; of SIGFPE: the SDM requires #DE (quotient too large).
    PUTS `note: QEMU 7.2 crashes (host SIGFPE) on the next two checks; SDM: #DE\n`
    mov dx, 0x8000
    mov ax, 0
    mov bx, 0xffff
    EXPECT_TRAP 0, "idiv16 most negative/-1: #DE", idiv bx
    mov edx, 0x80000000
    mov eax, 0
    mov ebx, 0xffffffff
    EXPECT_TRAP 0, "idiv32 most negative 64-bit/-1: #DE", idiv ebx
    EXPECT32 edx, 0x80000000, "idiv32 #DE leaves edx"

    FINISH

TRAP_HANDLERS
ROM_END
