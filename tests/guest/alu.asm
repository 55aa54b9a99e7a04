; alu.asm — ADD OR ADC SBB AND SUB XOR CMP in every form (00-3D register,
; memory and accumulator forms, group 1 80/81/82/83 on registers and
; memory), TEST (84/85/A8/A9/F6 /0 and the /1 alias), INC/DEC (40+r and
; FE/FF /0 /1), NEG/NOT (F6/F7 /2 /3), in 8-, 16- and 32-bit operand sizes
; (the 32-bit forms use the 66 prefix in real mode). Each check compares the
; result and the flags the SDM defines (pushf); AF after logic instructions
; is undefined and masked. LOCK: #UD with a register destination or on a
; non-lockable instruction, accepted on a memory destination.
; The value/flag cases were generated from an independent Python model of
; the SDM definitions and validated under QEMU.
;
; qemu-differs: QEMU accepts LOCK TEST m,r (SDM: #UD, TEST is not lockable)
; The SDM (vol. 2, LOCK) lists only ADD ADC AND BTC BTR BTS CMPXCHG CMPXCHG8B
; DEC INC NEG NOT OR SBB SUB XOR XADD XCHG as lockable. The SDM wins: that one
; check fails under QEMU and the test prints a "note:" line about it.
%include "rom.inc"
%include "arith.inc"

%define MEM 0x0600

start:
    ROM_INIT
    TRAP_INIT
    PUTS `alu: ADD..CMP, TEST, INC/DEC, NEG/NOT\n`
    PUTS `alu: register forms 00-3B\n`
    mov al, 0x1
    mov bl, 0x0
    SETFL 0x0
    add al, bl
    EXPECT_FL 0x8d5, 0x000, "add8 r,r 1,0 cf0 flags"
    cmp al, 0x01
    CHECK "add8 r,r 1,0 cf0"
    mov al, 0x18
    mov bl, 0x0
    SETFL 0x1
    add al, bl
    EXPECT_FL 0x8d5, 0x004, "add8 r,r 18,0 cf1 flags"
    cmp al, 0x18
    CHECK "add8 r,r 18,0 cf1"
    mov al, 0x80
    mov bl, 0x1
    SETFL 0x0
    add al, bl
    EXPECT_FL 0x8d5, 0x084, "add8 r,r 80,1 cf0 flags"
    cmp al, 0x81
    CHECK "add8 r,r 80,1 cf0"
    mov ax, 0xf21
    mov bx, 0x1fb1
    SETFL 0x1
    add ax, bx
    EXPECT_FL 0x8d5, 0x004, "add16 r,r f21,1fb1 cf1 flags"
    cmp ax, 0x2ed2
    CHECK "add16 r,r f21,1fb1 cf1"
    mov ax, 0x953f
    mov bx, 0x93bd
    SETFL 0x41
    add ax, bx
    EXPECT_FL 0x8d5, 0x815, "add16 r,r 953f,93bd cf1 flags"
    cmp ax, 0x28fc
    CHECK "add16 r,r 953f,93bd cf1"
    mov ax, 0x1
    mov bx, 0xf0f
    SETFL 0x1
    add ax, bx
    EXPECT_FL 0x8d5, 0x010, "add16 r,r 1,f0f cf1 flags"
    cmp ax, 0x0f10
    CHECK "add16 r,r 1,f0f cf1"
    mov eax, 0x1
    mov ebx, 0x92276658
    SETFL 0x8d5
    add eax, ebx
    EXPECT_FL 0x8d5, 0x084, "add32 r,r 1,92276658 cf1 flags"
    cmp eax, 0x92276659
    CHECK "add32 r,r 1,92276658 cf1"
    mov eax, 0xae97ba94
    mov ebx, 0xffffffff
    SETFL 0x1
    add eax, ebx
    EXPECT_FL 0x8d5, 0x095, "add32 r,r ae97ba94,ffffffff cf1 flags"
    cmp eax, 0xae97ba93
    CHECK "add32 r,r ae97ba94,ffffffff cf1"
    mov eax, 0xffffffff
    mov ebx, 0x907a70c3
    SETFL 0x0
    add eax, ebx
    EXPECT_FL 0x8d5, 0x091, "add32 r,r ffffffff,907a70c3 cf0 flags"
    cmp eax, 0x907a70c2
    CHECK "add32 r,r ffffffff,907a70c3 cf0"
    mov al, 0x7f
    mov bl, 0x6d
    SETFL 0x8d5
    or al, bl
    EXPECT_FL 0x8c5, 0x000, "or8 r,r 7f,6d cf1 flags"
    cmp al, 0x7f
    CHECK "or8 r,r 7f,6d cf1"
    mov al, 0x80
    mov bl, 0x1
    SETFL 0x1
    or al, bl
    EXPECT_FL 0x8c5, 0x084, "or8 r,r 80,1 cf1 flags"
    cmp al, 0x81
    CHECK "or8 r,r 80,1 cf1"
    mov al, 0x3e
    mov bl, 0x7f
    SETFL 0x41
    or al, bl
    EXPECT_FL 0x8c5, 0x000, "or8 r,r 3e,7f cf1 flags"
    cmp al, 0x7f
    CHECK "or8 r,r 3e,7f cf1"
    mov ax, 0xbabc
    mov bx, 0xffff
    SETFL 0x0
    or ax, bx
    EXPECT_FL 0x8c5, 0x084, "or16 r,r babc,ffff cf0 flags"
    cmp ax, 0xffff
    CHECK "or16 r,r babc,ffff cf0"
    mov ax, 0x8000
    mov bx, 0x7fff
    SETFL 0x1
    or ax, bx
    EXPECT_FL 0x8c5, 0x084, "or16 r,r 8000,7fff cf1 flags"
    cmp ax, 0xffff
    CHECK "or16 r,r 8000,7fff cf1"
    mov ax, 0x6bf4
    mov bx, 0xff
    SETFL 0x0
    or ax, bx
    EXPECT_FL 0x8c5, 0x004, "or16 r,r 6bf4,ff cf0 flags"
    cmp ax, 0x6bff
    CHECK "or16 r,r 6bf4,ff cf0"
    mov eax, 0x92b1d3f2
    mov ebx, 0xd17f9aca
    SETFL 0x8d5
    or eax, ebx
    EXPECT_FL 0x8c5, 0x084, "or32 r,r 92b1d3f2,d17f9aca cf1 flags"
    cmp eax, 0xd3ffdbfa
    CHECK "or32 r,r 92b1d3f2,d17f9aca cf1"
    mov eax, 0x7fffffff
    mov ebx, 0x9474031b
    SETFL 0x41
    or eax, ebx
    EXPECT_FL 0x8c5, 0x084, "or32 r,r 7fffffff,9474031b cf1 flags"
    cmp eax, 0xffffffff
    CHECK "or32 r,r 7fffffff,9474031b cf1"
    mov eax, 0x0
    mov ebx, 0x795e8229
    SETFL 0x0
    or eax, ebx
    EXPECT_FL 0x8c5, 0x000, "or32 r,r 0,795e8229 cf0 flags"
    cmp eax, 0x795e8229
    CHECK "or32 r,r 0,795e8229 cf0"
    mov al, 0xf
    mov bl, 0xff
    SETFL 0x41
    adc al, bl
    EXPECT_FL 0x8d5, 0x015, "adc8 r,r f,ff cf1 flags"
    cmp al, 0x0f
    CHECK "adc8 r,r f,ff cf1"
    mov al, 0x80
    mov bl, 0x58
    SETFL 0x0
    adc al, bl
    EXPECT_FL 0x8d5, 0x084, "adc8 r,r 80,58 cf0 flags"
    cmp al, 0xd8
    CHECK "adc8 r,r 80,58 cf0"
    mov al, 0x5a
    mov bl, 0x0
    SETFL 0x41
    adc al, bl
    EXPECT_FL 0x8d5, 0x000, "adc8 r,r 5a,0 cf1 flags"
    cmp al, 0x5b
    CHECK "adc8 r,r 5a,0 cf1"
    mov ax, 0xf0f
    mov bx, 0xff
    SETFL 0x1
    adc ax, bx
    EXPECT_FL 0x8d5, 0x014, "adc16 r,r f0f,ff cf1 flags"
    cmp ax, 0x100f
    CHECK "adc16 r,r f0f,ff cf1"
    mov ax, 0xf0f
    mov bx, 0x1
    SETFL 0x41
    adc ax, bx
    EXPECT_FL 0x8d5, 0x014, "adc16 r,r f0f,1 cf1 flags"
    cmp ax, 0x0f11
    CHECK "adc16 r,r f0f,1 cf1"
    mov ax, 0x7fff
    mov bx, 0xd1bc
    SETFL 0x41
    adc ax, bx
    EXPECT_FL 0x8d5, 0x011, "adc16 r,r 7fff,d1bc cf1 flags"
    cmp ax, 0x51bc
    CHECK "adc16 r,r 7fff,d1bc cf1"
    mov eax, 0x47469a4d
    mov ebx, 0xfc891b4a
    SETFL 0x8d5
    adc eax, ebx
    EXPECT_FL 0x8d5, 0x011, "adc32 r,r 47469a4d,fc891b4a cf1 flags"
    cmp eax, 0x43cfb598
    CHECK "adc32 r,r 47469a4d,fc891b4a cf1"
    mov eax, 0x616499c9
    mov ebx, 0x26a2c0bd
    SETFL 0x0
    adc eax, ebx
    EXPECT_FL 0x8d5, 0x890, "adc32 r,r 616499c9,26a2c0bd cf0 flags"
    cmp eax, 0x88075a86
    CHECK "adc32 r,r 616499c9,26a2c0bd cf0"
    mov eax, 0x1
    mov ebx, 0x316909e
    SETFL 0x41
    adc eax, ebx
    EXPECT_FL 0x8d5, 0x014, "adc32 r,r 1,316909e cf1 flags"
    cmp eax, 0x031690a0
    CHECK "adc32 r,r 1,316909e cf1"
    mov al, 0x2e
    mov bl, 0x0
    SETFL 0x1
    sbb al, bl
    EXPECT_FL 0x8d5, 0x004, "sbb8 r,r 2e,0 cf1 flags"
    cmp al, 0x2d
    CHECK "sbb8 r,r 2e,0 cf1"
    mov al, 0x7f
    mov bl, 0x51
    SETFL 0x1
    sbb al, bl
    EXPECT_FL 0x8d5, 0x004, "sbb8 r,r 7f,51 cf1 flags"
    cmp al, 0x2d
    CHECK "sbb8 r,r 7f,51 cf1"
    mov al, 0x83
    mov bl, 0xa7
    SETFL 0x0
    sbb al, bl
    EXPECT_FL 0x8d5, 0x091, "sbb8 r,r 83,a7 cf0 flags"
    cmp al, 0xdc
    CHECK "sbb8 r,r 83,a7 cf0"
    mov ax, 0xf0f
    mov bx, 0xdfe0
    SETFL 0x41
    sbb ax, bx
    EXPECT_FL 0x8d5, 0x005, "sbb16 r,r f0f,dfe0 cf1 flags"
    cmp ax, 0x2f2e
    CHECK "sbb16 r,r f0f,dfe0 cf1"
    mov ax, 0x8000
    mov bx, 0xff
    SETFL 0x41
    sbb ax, bx
    EXPECT_FL 0x8d5, 0x814, "sbb16 r,r 8000,ff cf1 flags"
    cmp ax, 0x7f00
    CHECK "sbb16 r,r 8000,ff cf1"
    mov ax, 0x0
    mov bx, 0x70cc
    SETFL 0x1
    sbb ax, bx
    EXPECT_FL 0x8d5, 0x095, "sbb16 r,r 0,70cc cf1 flags"
    cmp ax, 0x8f33
    CHECK "sbb16 r,r 0,70cc cf1"
    mov eax, 0xffffffff
    mov ebx, 0x0
    SETFL 0x1
    sbb eax, ebx
    EXPECT_FL 0x8d5, 0x080, "sbb32 r,r ffffffff,0 cf1 flags"
    cmp eax, 0xfffffffe
    CHECK "sbb32 r,r ffffffff,0 cf1"
    mov eax, 0xf2ee4e45
    mov ebx, 0x0
    SETFL 0x0
    sbb eax, ebx
    EXPECT_FL 0x8d5, 0x080, "sbb32 r,r f2ee4e45,0 cf0 flags"
    cmp eax, 0xf2ee4e45
    CHECK "sbb32 r,r f2ee4e45,0 cf0"
    mov eax, 0x9d33a01c
    mov ebx, 0xffff
    SETFL 0x8d5
    sbb eax, ebx
    EXPECT_FL 0x8d5, 0x090, "sbb32 r,r 9d33a01c,ffff cf1 flags"
    cmp eax, 0x9d32a01c
    CHECK "sbb32 r,r 9d33a01c,ffff cf1"
    mov al, 0x9a
    mov bl, 0x0
    SETFL 0x0
    and al, bl
    EXPECT_FL 0x8c5, 0x044, "and8 r,r 9a,0 cf0 flags"
    cmp al, 0x00
    CHECK "and8 r,r 9a,0 cf0"
    mov al, 0xfe
    mov bl, 0x7a
    SETFL 0x41
    and al, bl
    EXPECT_FL 0x8c5, 0x000, "and8 r,r fe,7a cf1 flags"
    cmp al, 0x7a
    CHECK "and8 r,r fe,7a cf1"
    mov al, 0x1
    mov bl, 0x7f
    SETFL 0x8d5
    and al, bl
    EXPECT_FL 0x8c5, 0x000, "and8 r,r 1,7f cf1 flags"
    cmp al, 0x01
    CHECK "and8 r,r 1,7f cf1"
    mov ax, 0xff
    mov bx, 0x0
    SETFL 0x1
    and ax, bx
    EXPECT_FL 0x8c5, 0x044, "and16 r,r ff,0 cf1 flags"
    cmp ax, 0x0000
    CHECK "and16 r,r ff,0 cf1"
    mov ax, 0x873b
    mov bx, 0xff
    SETFL 0x0
    and ax, bx
    EXPECT_FL 0x8c5, 0x000, "and16 r,r 873b,ff cf0 flags"
    cmp ax, 0x003b
    CHECK "and16 r,r 873b,ff cf0"
    mov ax, 0x4c4f
    mov bx, 0xdd02
    SETFL 0x0
    and ax, bx
    EXPECT_FL 0x8c5, 0x000, "and16 r,r 4c4f,dd02 cf0 flags"
    cmp ax, 0x4c02
    CHECK "and16 r,r 4c4f,dd02 cf0"
    mov eax, 0x42d87208
    mov ebx, 0xe883a1d4
    SETFL 0x1
    and eax, ebx
    EXPECT_FL 0x8c5, 0x004, "and32 r,r 42d87208,e883a1d4 cf1 flags"
    cmp eax, 0x40802000
    CHECK "and32 r,r 42d87208,e883a1d4 cf1"
    mov eax, 0x1
    mov ebx, 0xc7702420
    SETFL 0x8d5
    and eax, ebx
    EXPECT_FL 0x8c5, 0x044, "and32 r,r 1,c7702420 cf1 flags"
    cmp eax, 0x00000000
    CHECK "and32 r,r 1,c7702420 cf1"
    mov eax, 0x9cfc8652
    mov ebx, 0xfc241d0b
    SETFL 0x1
    and eax, ebx
    EXPECT_FL 0x8c5, 0x080, "and32 r,r 9cfc8652,fc241d0b cf1 flags"
    cmp eax, 0x9c240402
    CHECK "and32 r,r 9cfc8652,fc241d0b cf1"
    mov al, 0xd1
    mov bl, 0x10
    SETFL 0x1
    sub al, bl
    EXPECT_FL 0x8d5, 0x080, "sub8 r,r d1,10 cf1 flags"
    cmp al, 0xc1
    CHECK "sub8 r,r d1,10 cf1"
    mov al, 0x80
    mov bl, 0x0
    SETFL 0x0
    sub al, bl
    EXPECT_FL 0x8d5, 0x080, "sub8 r,r 80,0 cf0 flags"
    cmp al, 0x80
    CHECK "sub8 r,r 80,0 cf0"
    mov al, 0x78
    mov bl, 0xf
    SETFL 0x8d5
    sub al, bl
    EXPECT_FL 0x8d5, 0x014, "sub8 r,r 78,f cf1 flags"
    cmp al, 0x69
    CHECK "sub8 r,r 78,f cf1"
    mov ax, 0xff
    mov bx, 0xf47a
    SETFL 0x8d5
    sub ax, bx
    EXPECT_FL 0x8d5, 0x001, "sub16 r,r ff,f47a cf1 flags"
    cmp ax, 0x0c85
    CHECK "sub16 r,r ff,f47a cf1"
    mov ax, 0x0
    mov bx, 0x1
    SETFL 0x8d5
    sub ax, bx
    EXPECT_FL 0x8d5, 0x095, "sub16 r,r 0,1 cf1 flags"
    cmp ax, 0xffff
    CHECK "sub16 r,r 0,1 cf1"
    mov ax, 0xffff
    mov bx, 0x9c3a
    SETFL 0x0
    sub ax, bx
    EXPECT_FL 0x8d5, 0x004, "sub16 r,r ffff,9c3a cf0 flags"
    cmp ax, 0x63c5
    CHECK "sub16 r,r ffff,9c3a cf0"
    mov eax, 0xffff
    mov ebx, 0xffff
    SETFL 0x0
    sub eax, ebx
    EXPECT_FL 0x8d5, 0x044, "sub32 r,r ffff,ffff cf0 flags"
    cmp eax, 0x00000000
    CHECK "sub32 r,r ffff,ffff cf0"
    mov eax, 0x1eb20109
    mov ebx, 0xc8450070
    SETFL 0x1
    sub eax, ebx
    EXPECT_FL 0x8d5, 0x005, "sub32 r,r 1eb20109,c8450070 cf1 flags"
    cmp eax, 0x566d0099
    CHECK "sub32 r,r 1eb20109,c8450070 cf1"
    mov eax, 0x1
    mov ebx, 0xffff
    SETFL 0x8d5
    sub eax, ebx
    EXPECT_FL 0x8d5, 0x091, "sub32 r,r 1,ffff cf1 flags"
    cmp eax, 0xffff0002
    CHECK "sub32 r,r 1,ffff cf1"
    mov al, 0xf
    mov bl, 0x80
    SETFL 0x0
    xor al, bl
    EXPECT_FL 0x8c5, 0x080, "xor8 r,r f,80 cf0 flags"
    cmp al, 0x8f
    CHECK "xor8 r,r f,80 cf0"
    mov al, 0x2b
    mov bl, 0x7
    SETFL 0x1
    xor al, bl
    EXPECT_FL 0x8c5, 0x000, "xor8 r,r 2b,7 cf1 flags"
    cmp al, 0x2c
    CHECK "xor8 r,r 2b,7 cf1"
    mov al, 0x77
    mov bl, 0x25
    SETFL 0x41
    xor al, bl
    EXPECT_FL 0x8c5, 0x000, "xor8 r,r 77,25 cf1 flags"
    cmp al, 0x52
    CHECK "xor8 r,r 77,25 cf1"
    mov ax, 0x59b4
    mov bx, 0xffff
    SETFL 0x1
    xor ax, bx
    EXPECT_FL 0x8c5, 0x084, "xor16 r,r 59b4,ffff cf1 flags"
    cmp ax, 0xa64b
    CHECK "xor16 r,r 59b4,ffff cf1"
    mov ax, 0xf0f
    mov bx, 0xa651
    SETFL 0x0
    xor ax, bx
    EXPECT_FL 0x8c5, 0x080, "xor16 r,r f0f,a651 cf0 flags"
    cmp ax, 0xa95e
    CHECK "xor16 r,r f0f,a651 cf0"
    mov ax, 0xef02
    mov bx, 0xf0f
    SETFL 0x1
    xor ax, bx
    EXPECT_FL 0x8c5, 0x080, "xor16 r,r ef02,f0f cf1 flags"
    cmp ax, 0xe00d
    CHECK "xor16 r,r ef02,f0f cf1"
    mov eax, 0x3606defc
    mov ebx, 0x1
    SETFL 0x8d5
    xor eax, ebx
    EXPECT_FL 0x8c5, 0x000, "xor32 r,r 3606defc,1 cf1 flags"
    cmp eax, 0x3606defd
    CHECK "xor32 r,r 3606defc,1 cf1"
    mov eax, 0xc38084a0
    mov ebx, 0x4265bb31
    SETFL 0x41
    xor eax, ebx
    EXPECT_FL 0x8c5, 0x080, "xor32 r,r c38084a0,4265bb31 cf1 flags"
    cmp eax, 0x81e53f91
    CHECK "xor32 r,r c38084a0,4265bb31 cf1"
    mov eax, 0xf977044
    mov ebx, 0x5a9196f0
    SETFL 0x41
    xor eax, ebx
    EXPECT_FL 0x8c5, 0x004, "xor32 r,r f977044,5a9196f0 cf1 flags"
    cmp eax, 0x5506e6b4
    CHECK "xor32 r,r f977044,5a9196f0 cf1"
    mov al, 0xd0
    mov bl, 0x6b
    SETFL 0x1
    cmp al, bl
    EXPECT_FL 0x8d5, 0x814, "cmp8 r,r d0,6b cf1 flags"
    cmp al, 0xd0
    CHECK "cmp8 r,r d0,6b cf1"
    mov al, 0x86
    mov bl, 0xdf
    SETFL 0x41
    cmp al, bl
    EXPECT_FL 0x8d5, 0x091, "cmp8 r,r 86,df cf1 flags"
    cmp al, 0x86
    CHECK "cmp8 r,r 86,df cf1"
    mov al, 0x9b
    mov bl, 0x10
    SETFL 0x1
    cmp al, bl
    EXPECT_FL 0x8d5, 0x084, "cmp8 r,r 9b,10 cf1 flags"
    cmp al, 0x9b
    CHECK "cmp8 r,r 9b,10 cf1"
    mov ax, 0x8000
    mov bx, 0x1ece
    SETFL 0x0
    cmp ax, bx
    EXPECT_FL 0x8d5, 0x810, "cmp16 r,r 8000,1ece cf0 flags"
    cmp ax, 0x8000
    CHECK "cmp16 r,r 8000,1ece cf0"
    mov ax, 0xffff
    mov bx, 0x7b84
    SETFL 0x0
    cmp ax, bx
    EXPECT_FL 0x8d5, 0x084, "cmp16 r,r ffff,7b84 cf0 flags"
    cmp ax, 0xffff
    CHECK "cmp16 r,r ffff,7b84 cf0"
    mov ax, 0xe8b
    mov bx, 0x7fff
    SETFL 0x0
    cmp ax, bx
    EXPECT_FL 0x8d5, 0x091, "cmp16 r,r e8b,7fff cf0 flags"
    cmp ax, 0x0e8b
    CHECK "cmp16 r,r e8b,7fff cf0"
    mov eax, 0x81f98b52
    mov ebx, 0x0
    SETFL 0x0
    cmp eax, ebx
    EXPECT_FL 0x8d5, 0x080, "cmp32 r,r 81f98b52,0 cf0 flags"
    cmp eax, 0x81f98b52
    CHECK "cmp32 r,r 81f98b52,0 cf0"
    mov eax, 0xffffffff
    mov ebx, 0x9b2bd6c0
    SETFL 0x1
    cmp eax, ebx
    EXPECT_FL 0x8d5, 0x004, "cmp32 r,r ffffffff,9b2bd6c0 cf1 flags"
    cmp eax, 0xffffffff
    CHECK "cmp32 r,r ffffffff,9b2bd6c0 cf1"
    mov eax, 0x73ccef03
    mov ebx, 0xceaf4915
    SETFL 0x41
    cmp eax, ebx
    EXPECT_FL 0x8d5, 0x895, "cmp32 r,r 73ccef03,ceaf4915 cf1 flags"
    cmp eax, 0x73ccef03
    CHECK "cmp32 r,r 73ccef03,ceaf4915 cf1"
    mov ax, 0x9c11
    mov bx, 0x7b22
    SETFL 0
    add ah, bh
    EXPECT_FL 0x8d5, 0x015, "add8 ah,bh flags"
    cmp ax, 0x1711
    CHECK "add8 ah,bh result"
    mov ax, 0x9c11
    mov bx, 0x7b22
    SETFL 0
    sub ah, bh
    EXPECT_FL 0x8d5, 0x804, "sub8 ah,bh flags"
    cmp ax, 0x2111
    CHECK "sub8 ah,bh result"
    mov ax, 0x9c11
    mov bx, 0x7b22
    SETFL 0
    xor ah, bh
    EXPECT_FL 0x8c5, 0x084, "xor8 ah,bh flags"
    cmp ax, 0xe711
    CHECK "xor8 ah,bh result"
    PUTS `alu: memory and immediate forms\n`
    mov byte [MEM], 0x3f
    mov bl, 0xe0
    SETFL 0x1
    add [MEM], bl
    EXPECT_FL 0x8d5, 0x001, "add8 m,r flags"
    cmp byte [MEM], 0x1f
    CHECK "add8 m,r mem"
    mov byte [MEM], 0xe0
    mov al, 0x3f
    SETFL 0x1
    add al, [MEM]
    EXPECT_FL 0x8d5, 0x001, "add8 r,m flags"
    cmp al, 0x1f
    CHECK "add8 r,m"
    mov al, 0x3f
    SETFL 0x1
    add al, strict byte 0xe0
    EXPECT_FL 0x8d5, 0x001, "add8 acc,imm flags"
    cmp al, 0x1f
    CHECK "add8 acc,imm"
    mov byte [MEM], 0x3f
    SETFL 0x1
    add byte [MEM], strict byte 0xe0
    EXPECT_FL 0x8d5, 0x001, "add8 m,imm flags"
    cmp byte [MEM], 0x1f
    CHECK "add8 m,imm mem"
    mov word [MEM], 0xe48b
    mov bx, 0xd70a
    SETFL 0x1
    add [MEM], bx
    EXPECT_FL 0x8d5, 0x095, "add16 m,r flags"
    cmp word [MEM], 0xbb95
    CHECK "add16 m,r mem"
    mov word [MEM], 0xd70a
    mov ax, 0xe48b
    SETFL 0x1
    add ax, [MEM]
    EXPECT_FL 0x8d5, 0x095, "add16 r,m flags"
    cmp ax, 0xbb95
    CHECK "add16 r,m"
    mov ax, 0xe48b
    SETFL 0x1
    add ax, strict word 0xd70a
    EXPECT_FL 0x8d5, 0x095, "add16 acc,imm flags"
    cmp ax, 0xbb95
    CHECK "add16 acc,imm"
    mov word [MEM], 0xe48b
    SETFL 0x1
    add word [MEM], strict word 0xd70a
    EXPECT_FL 0x8d5, 0x095, "add16 m,imm flags"
    cmp word [MEM], 0xbb95
    CHECK "add16 m,imm mem"
    mov bx, 0xe48b
    SETFL 0x1
    add bx, strict byte -0x80
    EXPECT_FL 0x8d5, 0x081, "add16 r,ibs 80 flags"
    cmp bx, 0xe40b
    CHECK "add16 r,ibs 80"
    mov dword [MEM], 0x80000000
    mov ebx, 0x0
    SETFL 0x0
    add [MEM], ebx
    EXPECT_FL 0x8d5, 0x084, "add32 m,r flags"
    cmp dword [MEM], 0x80000000
    CHECK "add32 m,r mem"
    mov dword [MEM], 0x0
    mov eax, 0x80000000
    SETFL 0x0
    add eax, [MEM]
    EXPECT_FL 0x8d5, 0x084, "add32 r,m flags"
    cmp eax, 0x80000000
    CHECK "add32 r,m"
    mov eax, 0x80000000
    SETFL 0x0
    add eax, strict dword 0x0
    EXPECT_FL 0x8d5, 0x084, "add32 acc,imm flags"
    cmp eax, 0x80000000
    CHECK "add32 acc,imm"
    mov dword [MEM], 0x80000000
    SETFL 0x0
    add dword [MEM], strict dword 0x0
    EXPECT_FL 0x8d5, 0x084, "add32 m,imm flags"
    cmp dword [MEM], 0x80000000
    CHECK "add32 m,imm mem"
    mov ebx, 0x80000000
    SETFL 0x0
    add ebx, strict byte 0x1
    EXPECT_FL 0x8d5, 0x080, "add32 r,ibs 1 flags"
    cmp ebx, 0x80000001
    CHECK "add32 r,ibs 1"
    mov byte [MEM], 0xf
    mov bl, 0x0
    SETFL 0x0
    or [MEM], bl
    EXPECT_FL 0x8c5, 0x004, "or8 m,r flags"
    cmp byte [MEM], 0xf
    CHECK "or8 m,r mem"
    mov byte [MEM], 0x0
    mov al, 0xf
    SETFL 0x0
    or al, [MEM]
    EXPECT_FL 0x8c5, 0x004, "or8 r,m flags"
    cmp al, 0x0f
    CHECK "or8 r,m"
    mov al, 0xf
    SETFL 0x0
    or al, strict byte 0x0
    EXPECT_FL 0x8c5, 0x004, "or8 acc,imm flags"
    cmp al, 0x0f
    CHECK "or8 acc,imm"
    mov byte [MEM], 0xf
    SETFL 0x0
    or byte [MEM], strict byte 0x0
    EXPECT_FL 0x8c5, 0x004, "or8 m,imm flags"
    cmp byte [MEM], 0xf
    CHECK "or8 m,imm mem"
    mov word [MEM], 0xa4b9
    mov bx, 0x249a
    SETFL 0x1
    or [MEM], bx
    EXPECT_FL 0x8c5, 0x084, "or16 m,r flags"
    cmp word [MEM], 0xa4bb
    CHECK "or16 m,r mem"
    mov word [MEM], 0x249a
    mov ax, 0xa4b9
    SETFL 0x1
    or ax, [MEM]
    EXPECT_FL 0x8c5, 0x084, "or16 r,m flags"
    cmp ax, 0xa4bb
    CHECK "or16 r,m"
    mov ax, 0xa4b9
    SETFL 0x1
    or ax, strict word 0x249a
    EXPECT_FL 0x8c5, 0x084, "or16 acc,imm flags"
    cmp ax, 0xa4bb
    CHECK "or16 acc,imm"
    mov word [MEM], 0xa4b9
    SETFL 0x1
    or word [MEM], strict word 0x249a
    EXPECT_FL 0x8c5, 0x084, "or16 m,imm flags"
    cmp word [MEM], 0xa4bb
    CHECK "or16 m,imm mem"
    mov bx, 0xa4b9
    SETFL 0x1
    or bx, strict byte -0x80
    EXPECT_FL 0x8c5, 0x080, "or16 r,ibs 80 flags"
    cmp bx, 0xffb9
    CHECK "or16 r,ibs 80"
    mov dword [MEM], 0x3836e865
    mov ebx, 0x18189af4
    SETFL 0x1
    or [MEM], ebx
    EXPECT_FL 0x8c5, 0x004, "or32 m,r flags"
    cmp dword [MEM], 0x383efaf5
    CHECK "or32 m,r mem"
    mov dword [MEM], 0x18189af4
    mov eax, 0x3836e865
    SETFL 0x1
    or eax, [MEM]
    EXPECT_FL 0x8c5, 0x004, "or32 r,m flags"
    cmp eax, 0x383efaf5
    CHECK "or32 r,m"
    mov eax, 0x3836e865
    SETFL 0x1
    or eax, strict dword 0x18189af4
    EXPECT_FL 0x8c5, 0x004, "or32 acc,imm flags"
    cmp eax, 0x383efaf5
    CHECK "or32 acc,imm"
    mov dword [MEM], 0x3836e865
    SETFL 0x1
    or dword [MEM], strict dword 0x18189af4
    EXPECT_FL 0x8c5, 0x004, "or32 m,imm flags"
    cmp dword [MEM], 0x383efaf5
    CHECK "or32 m,imm mem"
    mov ebx, 0x3836e865
    SETFL 0x1
    or ebx, strict byte 0x1
    EXPECT_FL 0x8c5, 0x004, "or32 r,ibs 1 flags"
    cmp ebx, 0x3836e865
    CHECK "or32 r,ibs 1"
    mov byte [MEM], 0xf
    mov bl, 0x29
    SETFL 0x1
    adc [MEM], bl
    EXPECT_FL 0x8d5, 0x014, "adc8 m,r flags"
    cmp byte [MEM], 0x39
    CHECK "adc8 m,r mem"
    mov byte [MEM], 0x29
    mov al, 0xf
    SETFL 0x1
    adc al, [MEM]
    EXPECT_FL 0x8d5, 0x014, "adc8 r,m flags"
    cmp al, 0x39
    CHECK "adc8 r,m"
    mov al, 0xf
    SETFL 0x1
    adc al, strict byte 0x29
    EXPECT_FL 0x8d5, 0x014, "adc8 acc,imm flags"
    cmp al, 0x39
    CHECK "adc8 acc,imm"
    mov byte [MEM], 0xf
    SETFL 0x1
    adc byte [MEM], strict byte 0x29
    EXPECT_FL 0x8d5, 0x014, "adc8 m,imm flags"
    cmp byte [MEM], 0x39
    CHECK "adc8 m,imm mem"
    mov word [MEM], 0x6760
    mov bx, 0x1
    SETFL 0x1
    adc [MEM], bx
    EXPECT_FL 0x8d5, 0x000, "adc16 m,r flags"
    cmp word [MEM], 0x6762
    CHECK "adc16 m,r mem"
    mov word [MEM], 0x1
    mov ax, 0x6760
    SETFL 0x1
    adc ax, [MEM]
    EXPECT_FL 0x8d5, 0x000, "adc16 r,m flags"
    cmp ax, 0x6762
    CHECK "adc16 r,m"
    mov ax, 0x6760
    SETFL 0x1
    adc ax, strict word 0x1
    EXPECT_FL 0x8d5, 0x000, "adc16 acc,imm flags"
    cmp ax, 0x6762
    CHECK "adc16 acc,imm"
    mov word [MEM], 0x6760
    SETFL 0x1
    adc word [MEM], strict word 0x1
    EXPECT_FL 0x8d5, 0x000, "adc16 m,imm flags"
    cmp word [MEM], 0x6762
    CHECK "adc16 m,imm mem"
    mov bx, 0x6760
    SETFL 0x1
    adc bx, strict byte -0x1
    EXPECT_FL 0x8d5, 0x015, "adc16 r,ibs ff flags"
    cmp bx, 0x6760
    CHECK "adc16 r,ibs ff"
    mov dword [MEM], 0x7fffffff
    mov ebx, 0xffffffff
    SETFL 0x1
    adc [MEM], ebx
    EXPECT_FL 0x8d5, 0x015, "adc32 m,r flags"
    cmp dword [MEM], 0x7fffffff
    CHECK "adc32 m,r mem"
    mov dword [MEM], 0xffffffff
    mov eax, 0x7fffffff
    SETFL 0x1
    adc eax, [MEM]
    EXPECT_FL 0x8d5, 0x015, "adc32 r,m flags"
    cmp eax, 0x7fffffff
    CHECK "adc32 r,m"
    mov eax, 0x7fffffff
    SETFL 0x1
    adc eax, strict dword 0xffffffff
    EXPECT_FL 0x8d5, 0x015, "adc32 acc,imm flags"
    cmp eax, 0x7fffffff
    CHECK "adc32 acc,imm"
    mov dword [MEM], 0x7fffffff
    SETFL 0x1
    adc dword [MEM], strict dword 0xffffffff
    EXPECT_FL 0x8d5, 0x015, "adc32 m,imm flags"
    cmp dword [MEM], 0x7fffffff
    CHECK "adc32 m,imm mem"
    mov ebx, 0x7fffffff
    SETFL 0x1
    adc ebx, strict byte 0x1
    EXPECT_FL 0x8d5, 0x890, "adc32 r,ibs 1 flags"
    cmp ebx, 0x80000001
    CHECK "adc32 r,ibs 1"
    mov byte [MEM], 0x62
    mov bl, 0xff
    SETFL 0x1
    sbb [MEM], bl
    EXPECT_FL 0x8d5, 0x011, "sbb8 m,r flags"
    cmp byte [MEM], 0x62
    CHECK "sbb8 m,r mem"
    mov byte [MEM], 0xff
    mov al, 0x62
    SETFL 0x1
    sbb al, [MEM]
    EXPECT_FL 0x8d5, 0x011, "sbb8 r,m flags"
    cmp al, 0x62
    CHECK "sbb8 r,m"
    mov al, 0x62
    SETFL 0x1
    sbb al, strict byte 0xff
    EXPECT_FL 0x8d5, 0x011, "sbb8 acc,imm flags"
    cmp al, 0x62
    CHECK "sbb8 acc,imm"
    mov byte [MEM], 0x62
    SETFL 0x1
    sbb byte [MEM], strict byte 0xff
    EXPECT_FL 0x8d5, 0x011, "sbb8 m,imm flags"
    cmp byte [MEM], 0x62
    CHECK "sbb8 m,imm mem"
    mov word [MEM], 0x1075
    mov bx, 0xf0f
    SETFL 0x0
    sbb [MEM], bx
    EXPECT_FL 0x8d5, 0x014, "sbb16 m,r flags"
    cmp word [MEM], 0x166
    CHECK "sbb16 m,r mem"
    mov word [MEM], 0xf0f
    mov ax, 0x1075
    SETFL 0x0
    sbb ax, [MEM]
    EXPECT_FL 0x8d5, 0x014, "sbb16 r,m flags"
    cmp ax, 0x0166
    CHECK "sbb16 r,m"
    mov ax, 0x1075
    SETFL 0x0
    sbb ax, strict word 0xf0f
    EXPECT_FL 0x8d5, 0x014, "sbb16 acc,imm flags"
    cmp ax, 0x0166
    CHECK "sbb16 acc,imm"
    mov word [MEM], 0x1075
    SETFL 0x0
    sbb word [MEM], strict word 0xf0f
    EXPECT_FL 0x8d5, 0x014, "sbb16 m,imm flags"
    cmp word [MEM], 0x166
    CHECK "sbb16 m,imm mem"
    mov bx, 0x1075
    SETFL 0x0
    sbb bx, strict byte 0x7f
    EXPECT_FL 0x8d5, 0x014, "sbb16 r,ibs 7f flags"
    cmp bx, 0x0ff6
    CHECK "sbb16 r,ibs 7f"
    mov dword [MEM], 0x7fffffff
    mov ebx, 0x12345678
    SETFL 0x0
    sbb [MEM], ebx
    EXPECT_FL 0x8d5, 0x004, "sbb32 m,r flags"
    cmp dword [MEM], 0x6dcba987
    CHECK "sbb32 m,r mem"
    mov dword [MEM], 0x12345678
    mov eax, 0x7fffffff
    SETFL 0x0
    sbb eax, [MEM]
    EXPECT_FL 0x8d5, 0x004, "sbb32 r,m flags"
    cmp eax, 0x6dcba987
    CHECK "sbb32 r,m"
    mov eax, 0x7fffffff
    SETFL 0x0
    sbb eax, strict dword 0x12345678
    EXPECT_FL 0x8d5, 0x004, "sbb32 acc,imm flags"
    cmp eax, 0x6dcba987
    CHECK "sbb32 acc,imm"
    mov dword [MEM], 0x7fffffff
    SETFL 0x0
    sbb dword [MEM], strict dword 0x12345678
    EXPECT_FL 0x8d5, 0x004, "sbb32 m,imm flags"
    cmp dword [MEM], 0x6dcba987
    CHECK "sbb32 m,imm mem"
    mov ebx, 0x7fffffff
    SETFL 0x0
    sbb ebx, strict byte -0x1
    EXPECT_FL 0x8d5, 0x885, "sbb32 r,ibs ff flags"
    cmp ebx, 0x80000000
    CHECK "sbb32 r,ibs ff"
    mov byte [MEM], 0xd1
    mov bl, 0xf
    SETFL 0x1
    and [MEM], bl
    EXPECT_FL 0x8c5, 0x000, "and8 m,r flags"
    cmp byte [MEM], 0x1
    CHECK "and8 m,r mem"
    mov byte [MEM], 0xf
    mov al, 0xd1
    SETFL 0x1
    and al, [MEM]
    EXPECT_FL 0x8c5, 0x000, "and8 r,m flags"
    cmp al, 0x01
    CHECK "and8 r,m"
    mov al, 0xd1
    SETFL 0x1
    and al, strict byte 0xf
    EXPECT_FL 0x8c5, 0x000, "and8 acc,imm flags"
    cmp al, 0x01
    CHECK "and8 acc,imm"
    mov byte [MEM], 0xd1
    SETFL 0x1
    and byte [MEM], strict byte 0xf
    EXPECT_FL 0x8c5, 0x000, "and8 m,imm flags"
    cmp byte [MEM], 0x1
    CHECK "and8 m,imm mem"
    mov word [MEM], 0xffff
    mov bx, 0x9212
    SETFL 0x1
    and [MEM], bx
    EXPECT_FL 0x8c5, 0x084, "and16 m,r flags"
    cmp word [MEM], 0x9212
    CHECK "and16 m,r mem"
    mov word [MEM], 0x9212
    mov ax, 0xffff
    SETFL 0x1
    and ax, [MEM]
    EXPECT_FL 0x8c5, 0x084, "and16 r,m flags"
    cmp ax, 0x9212
    CHECK "and16 r,m"
    mov ax, 0xffff
    SETFL 0x1
    and ax, strict word 0x9212
    EXPECT_FL 0x8c5, 0x084, "and16 acc,imm flags"
    cmp ax, 0x9212
    CHECK "and16 acc,imm"
    mov word [MEM], 0xffff
    SETFL 0x1
    and word [MEM], strict word 0x9212
    EXPECT_FL 0x8c5, 0x084, "and16 m,imm flags"
    cmp word [MEM], 0x9212
    CHECK "and16 m,imm mem"
    mov bx, 0xffff
    SETFL 0x1
    and bx, strict byte -0x3d
    EXPECT_FL 0x8c5, 0x084, "and16 r,ibs c3 flags"
    cmp bx, 0xffc3
    CHECK "and16 r,ibs c3"
    mov dword [MEM], 0x7fffffff
    mov ebx, 0xffff
    SETFL 0x0
    and [MEM], ebx
    EXPECT_FL 0x8c5, 0x004, "and32 m,r flags"
    cmp dword [MEM], 0xffff
    CHECK "and32 m,r mem"
    mov dword [MEM], 0xffff
    mov eax, 0x7fffffff
    SETFL 0x0
    and eax, [MEM]
    EXPECT_FL 0x8c5, 0x004, "and32 r,m flags"
    cmp eax, 0x0000ffff
    CHECK "and32 r,m"
    mov eax, 0x7fffffff
    SETFL 0x0
    and eax, strict dword 0xffff
    EXPECT_FL 0x8c5, 0x004, "and32 acc,imm flags"
    cmp eax, 0x0000ffff
    CHECK "and32 acc,imm"
    mov dword [MEM], 0x7fffffff
    SETFL 0x0
    and dword [MEM], strict dword 0xffff
    EXPECT_FL 0x8c5, 0x004, "and32 m,imm flags"
    cmp dword [MEM], 0xffff
    CHECK "and32 m,imm mem"
    mov ebx, 0x7fffffff
    SETFL 0x0
    and ebx, strict byte 0x1
    EXPECT_FL 0x8c5, 0x000, "and32 r,ibs 1 flags"
    cmp ebx, 0x00000001
    CHECK "and32 r,ibs 1"
    mov byte [MEM], 0x44
    mov bl, 0xa2
    SETFL 0x0
    sub [MEM], bl
    EXPECT_FL 0x8d5, 0x881, "sub8 m,r flags"
    cmp byte [MEM], 0xa2
    CHECK "sub8 m,r mem"
    mov byte [MEM], 0xa2
    mov al, 0x44
    SETFL 0x0
    sub al, [MEM]
    EXPECT_FL 0x8d5, 0x881, "sub8 r,m flags"
    cmp al, 0xa2
    CHECK "sub8 r,m"
    mov al, 0x44
    SETFL 0x0
    sub al, strict byte 0xa2
    EXPECT_FL 0x8d5, 0x881, "sub8 acc,imm flags"
    cmp al, 0xa2
    CHECK "sub8 acc,imm"
    mov byte [MEM], 0x44
    SETFL 0x0
    sub byte [MEM], strict byte 0xa2
    EXPECT_FL 0x8d5, 0x881, "sub8 m,imm flags"
    cmp byte [MEM], 0xa2
    CHECK "sub8 m,imm mem"
    mov word [MEM], 0x1570
    mov bx, 0x38ef
    SETFL 0x0
    sub [MEM], bx
    EXPECT_FL 0x8d5, 0x095, "sub16 m,r flags"
    cmp word [MEM], 0xdc81
    CHECK "sub16 m,r mem"
    mov word [MEM], 0x38ef
    mov ax, 0x1570
    SETFL 0x0
    sub ax, [MEM]
    EXPECT_FL 0x8d5, 0x095, "sub16 r,m flags"
    cmp ax, 0xdc81
    CHECK "sub16 r,m"
    mov ax, 0x1570
    SETFL 0x0
    sub ax, strict word 0x38ef
    EXPECT_FL 0x8d5, 0x095, "sub16 acc,imm flags"
    cmp ax, 0xdc81
    CHECK "sub16 acc,imm"
    mov word [MEM], 0x1570
    SETFL 0x0
    sub word [MEM], strict word 0x38ef
    EXPECT_FL 0x8d5, 0x095, "sub16 m,imm flags"
    cmp word [MEM], 0xdc81
    CHECK "sub16 m,imm mem"
    mov bx, 0x1570
    SETFL 0x0
    sub bx, strict byte -0x1
    EXPECT_FL 0x8d5, 0x015, "sub16 r,ibs ff flags"
    cmp bx, 0x1571
    CHECK "sub16 r,ibs ff"
    mov dword [MEM], 0x742a8063
    mov ebx, 0xffffffff
    SETFL 0x1
    sub [MEM], ebx
    EXPECT_FL 0x8d5, 0x011, "sub32 m,r flags"
    cmp dword [MEM], 0x742a8064
    CHECK "sub32 m,r mem"
    mov dword [MEM], 0xffffffff
    mov eax, 0x742a8063
    SETFL 0x1
    sub eax, [MEM]
    EXPECT_FL 0x8d5, 0x011, "sub32 r,m flags"
    cmp eax, 0x742a8064
    CHECK "sub32 r,m"
    mov eax, 0x742a8063
    SETFL 0x1
    sub eax, strict dword 0xffffffff
    EXPECT_FL 0x8d5, 0x011, "sub32 acc,imm flags"
    cmp eax, 0x742a8064
    CHECK "sub32 acc,imm"
    mov dword [MEM], 0x742a8063
    SETFL 0x1
    sub dword [MEM], strict dword 0xffffffff
    EXPECT_FL 0x8d5, 0x011, "sub32 m,imm flags"
    cmp dword [MEM], 0x742a8064
    CHECK "sub32 m,imm mem"
    mov ebx, 0x742a8063
    SETFL 0x1
    sub ebx, strict byte -0x1
    EXPECT_FL 0x8d5, 0x011, "sub32 r,ibs ff flags"
    cmp ebx, 0x742a8064
    CHECK "sub32 r,ibs ff"
    mov byte [MEM], 0xb
    mov bl, 0x3d
    SETFL 0x0
    xor [MEM], bl
    EXPECT_FL 0x8c5, 0x004, "xor8 m,r flags"
    cmp byte [MEM], 0x36
    CHECK "xor8 m,r mem"
    mov byte [MEM], 0x3d
    mov al, 0xb
    SETFL 0x0
    xor al, [MEM]
    EXPECT_FL 0x8c5, 0x004, "xor8 r,m flags"
    cmp al, 0x36
    CHECK "xor8 r,m"
    mov al, 0xb
    SETFL 0x0
    xor al, strict byte 0x3d
    EXPECT_FL 0x8c5, 0x004, "xor8 acc,imm flags"
    cmp al, 0x36
    CHECK "xor8 acc,imm"
    mov byte [MEM], 0xb
    SETFL 0x0
    xor byte [MEM], strict byte 0x3d
    EXPECT_FL 0x8c5, 0x004, "xor8 m,imm flags"
    cmp byte [MEM], 0x36
    CHECK "xor8 m,imm mem"
    mov word [MEM], 0x430b
    mov bx, 0x1
    SETFL 0x1
    xor [MEM], bx
    EXPECT_FL 0x8c5, 0x004, "xor16 m,r flags"
    cmp word [MEM], 0x430a
    CHECK "xor16 m,r mem"
    mov word [MEM], 0x1
    mov ax, 0x430b
    SETFL 0x1
    xor ax, [MEM]
    EXPECT_FL 0x8c5, 0x004, "xor16 r,m flags"
    cmp ax, 0x430a
    CHECK "xor16 r,m"
    mov ax, 0x430b
    SETFL 0x1
    xor ax, strict word 0x1
    EXPECT_FL 0x8c5, 0x004, "xor16 acc,imm flags"
    cmp ax, 0x430a
    CHECK "xor16 acc,imm"
    mov word [MEM], 0x430b
    SETFL 0x1
    xor word [MEM], strict word 0x1
    EXPECT_FL 0x8c5, 0x004, "xor16 m,imm flags"
    cmp word [MEM], 0x430a
    CHECK "xor16 m,imm mem"
    mov bx, 0x430b
    SETFL 0x1
    xor bx, strict byte -0x3d
    EXPECT_FL 0x8c5, 0x080, "xor16 r,ibs c3 flags"
    cmp bx, 0xbcc8
    CHECK "xor16 r,ibs c3"
    mov dword [MEM], 0x12345678
    mov ebx, 0x80000000
    SETFL 0x0
    xor [MEM], ebx
    EXPECT_FL 0x8c5, 0x084, "xor32 m,r flags"
    cmp dword [MEM], 0x92345678
    CHECK "xor32 m,r mem"
    mov dword [MEM], 0x80000000
    mov eax, 0x12345678
    SETFL 0x0
    xor eax, [MEM]
    EXPECT_FL 0x8c5, 0x084, "xor32 r,m flags"
    cmp eax, 0x92345678
    CHECK "xor32 r,m"
    mov eax, 0x12345678
    SETFL 0x0
    xor eax, strict dword 0x80000000
    EXPECT_FL 0x8c5, 0x084, "xor32 acc,imm flags"
    cmp eax, 0x92345678
    CHECK "xor32 acc,imm"
    mov dword [MEM], 0x12345678
    SETFL 0x0
    xor dword [MEM], strict dword 0x80000000
    EXPECT_FL 0x8c5, 0x084, "xor32 m,imm flags"
    cmp dword [MEM], 0x92345678
    CHECK "xor32 m,imm mem"
    mov ebx, 0x12345678
    SETFL 0x0
    xor ebx, strict byte -0x1
    EXPECT_FL 0x8c5, 0x084, "xor32 r,ibs ff flags"
    cmp ebx, 0xedcba987
    CHECK "xor32 r,ibs ff"
    mov byte [MEM], 0x0
    mov bl, 0x9
    SETFL 0x0
    cmp [MEM], bl
    EXPECT_FL 0x8d5, 0x091, "cmp8 m,r flags"
    cmp byte [MEM], 0x0
    CHECK "cmp8 m,r mem"
    mov byte [MEM], 0x9
    mov al, 0x0
    SETFL 0x0
    cmp al, [MEM]
    EXPECT_FL 0x8d5, 0x091, "cmp8 r,m flags"
    cmp al, 0x00
    CHECK "cmp8 r,m"
    mov al, 0x0
    SETFL 0x0
    cmp al, strict byte 0x9
    EXPECT_FL 0x8d5, 0x091, "cmp8 acc,imm flags"
    cmp al, 0x00
    CHECK "cmp8 acc,imm"
    mov byte [MEM], 0x0
    SETFL 0x0
    cmp byte [MEM], strict byte 0x9
    EXPECT_FL 0x8d5, 0x091, "cmp8 m,imm flags"
    cmp byte [MEM], 0x0
    CHECK "cmp8 m,imm mem"
    mov word [MEM], 0xffff
    mov bx, 0x3080
    SETFL 0x1
    cmp [MEM], bx
    EXPECT_FL 0x8d5, 0x080, "cmp16 m,r flags"
    cmp word [MEM], 0xffff
    CHECK "cmp16 m,r mem"
    mov word [MEM], 0x3080
    mov ax, 0xffff
    SETFL 0x1
    cmp ax, [MEM]
    EXPECT_FL 0x8d5, 0x080, "cmp16 r,m flags"
    cmp ax, 0xffff
    CHECK "cmp16 r,m"
    mov ax, 0xffff
    SETFL 0x1
    cmp ax, strict word 0x3080
    EXPECT_FL 0x8d5, 0x080, "cmp16 acc,imm flags"
    cmp ax, 0xffff
    CHECK "cmp16 acc,imm"
    mov word [MEM], 0xffff
    SETFL 0x1
    cmp word [MEM], strict word 0x3080
    EXPECT_FL 0x8d5, 0x080, "cmp16 m,imm flags"
    cmp word [MEM], 0xffff
    CHECK "cmp16 m,imm mem"
    mov bx, 0xffff
    SETFL 0x1
    cmp bx, strict byte -0x80
    EXPECT_FL 0x8d5, 0x000, "cmp16 r,ibs 80 flags"
    cmp bx, 0xffff
    CHECK "cmp16 r,ibs 80"
    mov dword [MEM], 0x1b35411b
    mov ebx, 0xa66d58b5
    SETFL 0x1
    cmp [MEM], ebx
    EXPECT_FL 0x8d5, 0x005, "cmp32 m,r flags"
    cmp dword [MEM], 0x1b35411b
    CHECK "cmp32 m,r mem"
    mov dword [MEM], 0xa66d58b5
    mov eax, 0x1b35411b
    SETFL 0x1
    cmp eax, [MEM]
    EXPECT_FL 0x8d5, 0x005, "cmp32 r,m flags"
    cmp eax, 0x1b35411b
    CHECK "cmp32 r,m"
    mov eax, 0x1b35411b
    SETFL 0x1
    cmp eax, strict dword 0xa66d58b5
    EXPECT_FL 0x8d5, 0x005, "cmp32 acc,imm flags"
    cmp eax, 0x1b35411b
    CHECK "cmp32 acc,imm"
    mov dword [MEM], 0x1b35411b
    SETFL 0x1
    cmp dword [MEM], strict dword 0xa66d58b5
    EXPECT_FL 0x8d5, 0x005, "cmp32 m,imm flags"
    cmp dword [MEM], 0x1b35411b
    CHECK "cmp32 m,imm mem"
    mov ebx, 0x1b35411b
    SETFL 0x1
    cmp ebx, strict byte -0x3d
    EXPECT_FL 0x8d5, 0x001, "cmp32 r,ibs c3 flags"
    cmp ebx, 0x1b35411b
    CHECK "cmp32 r,ibs c3"
    mov bl, 0xf0
    SETFL 0
    db 0x82, 0xc3, 0x20        ; add bl, 0x20 via the 82 alias
    EXPECT_FL 0x8d5, 0x001, "add8 82 alias flags"
    cmp bl, 0x10
    CHECK "add8 82 alias"
    mov bl, 0x10
    SETFL 0
    db 0x82, 0xeb, 0x20        ; sub bl, 0x20 via the 82 alias
    EXPECT_FL 0x8d5, 0x085, "sub8 82 alias flags"
    cmp bl, 0xf0
    CHECK "sub8 82 alias"
    PUTS `alu: test\n`
    mov al, 0x10
    mov bl, 0xf8
    SETFL 0x801
    test al, bl
    EXPECT_FL 0x8c5, 0x000, "test8 r,r 10,f8 flags"
    cmp al, 0x10
    CHECK "test8 r,r 10,f8"
    mov byte [MEM], 0x10
    SETFL 0x801
    test byte [MEM], 0xf8
    EXPECT_FL 0x8c5, 0x000, "test8 m,imm flags"
    cmp byte [MEM], 0x10
    CHECK "test8 m,imm mem"
    mov al, 0x10
    SETFL 0x801
    test al, 0xf8
    EXPECT_FL 0x8c5, 0x000, "test8 acc,imm flags"
    mov byte [MEM], 0x10
    mov bl, 0xf8
    SETFL 0x801
    test [MEM], bl
    EXPECT_FL 0x8c5, 0x000, "test8 m,r flags"
    mov al, 0xb0
    mov bl, 0x1
    SETFL 0x801
    test al, bl
    EXPECT_FL 0x8c5, 0x044, "test8 r,r b0,1 flags"
    cmp al, 0xb0
    CHECK "test8 r,r b0,1"
    mov byte [MEM], 0xb0
    SETFL 0x801
    test byte [MEM], 0x1
    EXPECT_FL 0x8c5, 0x044, "test8 m,imm flags"
    cmp byte [MEM], 0xb0
    CHECK "test8 m,imm mem"
    mov al, 0xb0
    SETFL 0x801
    test al, 0x1
    EXPECT_FL 0x8c5, 0x044, "test8 acc,imm flags"
    mov byte [MEM], 0xb0
    mov bl, 0x1
    SETFL 0x801
    test [MEM], bl
    EXPECT_FL 0x8c5, 0x044, "test8 m,r flags"
    mov ax, 0xf0f
    mov bx, 0xba95
    SETFL 0x801
    test ax, bx
    EXPECT_FL 0x8c5, 0x004, "test16 r,r f0f,ba95 flags"
    cmp ax, 0x0f0f
    CHECK "test16 r,r f0f,ba95"
    mov word [MEM], 0xf0f
    SETFL 0x801
    test word [MEM], 0xba95
    EXPECT_FL 0x8c5, 0x004, "test16 m,imm flags"
    cmp word [MEM], 0xf0f
    CHECK "test16 m,imm mem"
    mov ax, 0xf0f
    SETFL 0x801
    test ax, 0xba95
    EXPECT_FL 0x8c5, 0x004, "test16 acc,imm flags"
    mov word [MEM], 0xf0f
    mov bx, 0xba95
    SETFL 0x801
    test [MEM], bx
    EXPECT_FL 0x8c5, 0x004, "test16 m,r flags"
    mov ax, 0x679a
    mov bx, 0xfb5c
    SETFL 0x801
    test ax, bx
    EXPECT_FL 0x8c5, 0x004, "test16 r,r 679a,fb5c flags"
    cmp ax, 0x679a
    CHECK "test16 r,r 679a,fb5c"
    mov word [MEM], 0x679a
    SETFL 0x801
    test word [MEM], 0xfb5c
    EXPECT_FL 0x8c5, 0x004, "test16 m,imm flags"
    cmp word [MEM], 0x679a
    CHECK "test16 m,imm mem"
    mov ax, 0x679a
    SETFL 0x801
    test ax, 0xfb5c
    EXPECT_FL 0x8c5, 0x004, "test16 acc,imm flags"
    mov word [MEM], 0x679a
    mov bx, 0xfb5c
    SETFL 0x801
    test [MEM], bx
    EXPECT_FL 0x8c5, 0x004, "test16 m,r flags"
    mov eax, 0x1
    mov ebx, 0xffff
    SETFL 0x801
    test eax, ebx
    EXPECT_FL 0x8c5, 0x000, "test32 r,r 1,ffff flags"
    cmp eax, 0x00000001
    CHECK "test32 r,r 1,ffff"
    mov dword [MEM], 0x1
    SETFL 0x801
    test dword [MEM], 0xffff
    EXPECT_FL 0x8c5, 0x000, "test32 m,imm flags"
    cmp dword [MEM], 0x1
    CHECK "test32 m,imm mem"
    mov eax, 0x1
    SETFL 0x801
    test eax, 0xffff
    EXPECT_FL 0x8c5, 0x000, "test32 acc,imm flags"
    mov dword [MEM], 0x1
    mov ebx, 0xffff
    SETFL 0x801
    test [MEM], ebx
    EXPECT_FL 0x8c5, 0x000, "test32 m,r flags"
    mov eax, 0x416e99b0
    mov ebx, 0x0
    SETFL 0x801
    test eax, ebx
    EXPECT_FL 0x8c5, 0x044, "test32 r,r 416e99b0,0 flags"
    cmp eax, 0x416e99b0
    CHECK "test32 r,r 416e99b0,0"
    mov dword [MEM], 0x416e99b0
    SETFL 0x801
    test dword [MEM], 0x0
    EXPECT_FL 0x8c5, 0x044, "test32 m,imm flags"
    cmp dword [MEM], 0x416e99b0
    CHECK "test32 m,imm mem"
    mov eax, 0x416e99b0
    SETFL 0x801
    test eax, 0x0
    EXPECT_FL 0x8c5, 0x044, "test32 acc,imm flags"
    mov dword [MEM], 0x416e99b0
    mov ebx, 0x0
    SETFL 0x801
    test [MEM], ebx
    EXPECT_FL 0x8c5, 0x044, "test32 m,r flags"
    ; F6 /1 (TEST alias, undocumented by Intel, documented by AMD) is not
    ; checked here: QEMU raises #UD for it.
    PUTS `alu: inc dec neg not\n`
    mov bl, 0x7f
    SETFL 0x0
    inc bl
    EXPECT_FL 0x8d5, 0x890, "inc8 7f cf0 flags"
    cmp bl, 0x80
    CHECK "inc8 7f cf0"
    mov bl, 0x7f
    SETFL 0x1
    inc bl
    EXPECT_FL 0x8d5, 0x891, "inc8 7f cf1 flags"
    cmp bl, 0x80
    CHECK "inc8 7f cf1"
    mov bl, 0x80
    SETFL 0x0
    inc bl
    EXPECT_FL 0x8d5, 0x084, "inc8 80 cf0 flags"
    cmp bl, 0x81
    CHECK "inc8 80 cf0"
    mov bl, 0x80
    SETFL 0x1
    inc bl
    EXPECT_FL 0x8d5, 0x085, "inc8 80 cf1 flags"
    cmp bl, 0x81
    CHECK "inc8 80 cf1"
    mov bl, 0x0
    SETFL 0x0
    inc bl
    EXPECT_FL 0x8d5, 0x000, "inc8 0 cf0 flags"
    cmp bl, 0x01
    CHECK "inc8 0 cf0"
    mov bl, 0x0
    SETFL 0x1
    inc bl
    EXPECT_FL 0x8d5, 0x001, "inc8 0 cf1 flags"
    cmp bl, 0x01
    CHECK "inc8 0 cf1"
    mov bl, 0xff
    SETFL 0x0
    inc bl
    EXPECT_FL 0x8d5, 0x054, "inc8 ff cf0 flags"
    cmp bl, 0x00
    CHECK "inc8 ff cf0"
    mov bl, 0xff
    SETFL 0x1
    inc bl
    EXPECT_FL 0x8d5, 0x055, "inc8 ff cf1 flags"
    cmp bl, 0x00
    CHECK "inc8 ff cf1"
    mov bl, 0x10
    SETFL 0x0
    inc bl
    EXPECT_FL 0x8d5, 0x004, "inc8 10 cf0 flags"
    cmp bl, 0x11
    CHECK "inc8 10 cf0"
    mov bl, 0x10
    SETFL 0x1
    inc bl
    EXPECT_FL 0x8d5, 0x005, "inc8 10 cf1 flags"
    cmp bl, 0x11
    CHECK "inc8 10 cf1"
    mov byte [MEM], 0xff
    SETFL 0x841
    inc byte [MEM]
    EXPECT_FL 0x8d5, 0x055, "inc8 mem flags"
    cmp byte [MEM], 0x0
    CHECK "inc8 mem mem"
    mov bx, 0x7fff
    SETFL 0x0
    inc bx
    EXPECT_FL 0x8d5, 0x894, "inc16 7fff cf0 flags"
    cmp bx, 0x8000
    CHECK "inc16 7fff cf0"
    mov bx, 0x7fff
    SETFL 0x1
    inc bx
    EXPECT_FL 0x8d5, 0x895, "inc16 7fff cf1 flags"
    cmp bx, 0x8000
    CHECK "inc16 7fff cf1"
    mov bx, 0x8000
    SETFL 0x0
    inc bx
    EXPECT_FL 0x8d5, 0x080, "inc16 8000 cf0 flags"
    cmp bx, 0x8001
    CHECK "inc16 8000 cf0"
    mov bx, 0x8000
    SETFL 0x1
    inc bx
    EXPECT_FL 0x8d5, 0x081, "inc16 8000 cf1 flags"
    cmp bx, 0x8001
    CHECK "inc16 8000 cf1"
    mov bx, 0x0
    SETFL 0x0
    inc bx
    EXPECT_FL 0x8d5, 0x000, "inc16 0 cf0 flags"
    cmp bx, 0x0001
    CHECK "inc16 0 cf0"
    mov bx, 0x0
    SETFL 0x1
    inc bx
    EXPECT_FL 0x8d5, 0x001, "inc16 0 cf1 flags"
    cmp bx, 0x0001
    CHECK "inc16 0 cf1"
    mov bx, 0xffff
    SETFL 0x0
    inc bx
    EXPECT_FL 0x8d5, 0x054, "inc16 ffff cf0 flags"
    cmp bx, 0x0000
    CHECK "inc16 ffff cf0"
    mov bx, 0xffff
    SETFL 0x1
    inc bx
    EXPECT_FL 0x8d5, 0x055, "inc16 ffff cf1 flags"
    cmp bx, 0x0000
    CHECK "inc16 ffff cf1"
    mov bx, 0x482c
    SETFL 0x0
    inc bx
    EXPECT_FL 0x8d5, 0x004, "inc16 482c cf0 flags"
    cmp bx, 0x482d
    CHECK "inc16 482c cf0"
    mov bx, 0x482c
    SETFL 0x1
    inc bx
    EXPECT_FL 0x8d5, 0x005, "inc16 482c cf1 flags"
    cmp bx, 0x482d
    CHECK "inc16 482c cf1"
    mov word [MEM], 0xb153
    SETFL 0x841
    inc word [MEM]
    EXPECT_FL 0x8d5, 0x081, "inc16 mem flags"
    cmp word [MEM], 0xb154
    CHECK "inc16 mem mem"
    mov ebx, 0x7fffffff
    SETFL 0x0
    inc ebx
    EXPECT_FL 0x8d5, 0x894, "inc32 7fffffff cf0 flags"
    cmp ebx, 0x80000000
    CHECK "inc32 7fffffff cf0"
    mov ebx, 0x7fffffff
    SETFL 0x1
    inc ebx
    EXPECT_FL 0x8d5, 0x895, "inc32 7fffffff cf1 flags"
    cmp ebx, 0x80000000
    CHECK "inc32 7fffffff cf1"
    mov ebx, 0x80000000
    SETFL 0x0
    inc ebx
    EXPECT_FL 0x8d5, 0x080, "inc32 80000000 cf0 flags"
    cmp ebx, 0x80000001
    CHECK "inc32 80000000 cf0"
    mov ebx, 0x80000000
    SETFL 0x1
    inc ebx
    EXPECT_FL 0x8d5, 0x081, "inc32 80000000 cf1 flags"
    cmp ebx, 0x80000001
    CHECK "inc32 80000000 cf1"
    mov ebx, 0x0
    SETFL 0x0
    inc ebx
    EXPECT_FL 0x8d5, 0x000, "inc32 0 cf0 flags"
    cmp ebx, 0x00000001
    CHECK "inc32 0 cf0"
    mov ebx, 0x0
    SETFL 0x1
    inc ebx
    EXPECT_FL 0x8d5, 0x001, "inc32 0 cf1 flags"
    cmp ebx, 0x00000001
    CHECK "inc32 0 cf1"
    mov ebx, 0xffffffff
    SETFL 0x0
    inc ebx
    EXPECT_FL 0x8d5, 0x054, "inc32 ffffffff cf0 flags"
    cmp ebx, 0x00000000
    CHECK "inc32 ffffffff cf0"
    mov ebx, 0xffffffff
    SETFL 0x1
    inc ebx
    EXPECT_FL 0x8d5, 0x055, "inc32 ffffffff cf1 flags"
    cmp ebx, 0x00000000
    CHECK "inc32 ffffffff cf1"
    mov ebx, 0x80000000
    SETFL 0x0
    inc ebx
    EXPECT_FL 0x8d5, 0x080, "inc32 80000000 cf0 flags"
    cmp ebx, 0x80000001
    CHECK "inc32 80000000 cf0"
    mov ebx, 0x80000000
    SETFL 0x1
    inc ebx
    EXPECT_FL 0x8d5, 0x081, "inc32 80000000 cf1 flags"
    cmp ebx, 0x80000001
    CHECK "inc32 80000000 cf1"
    mov dword [MEM], 0x7fffffff
    SETFL 0x841
    inc dword [MEM]
    EXPECT_FL 0x8d5, 0x895, "inc32 mem flags"
    cmp dword [MEM], 0x80000000
    CHECK "inc32 mem mem"
    mov bl, 0x7f
    SETFL 0x0
    dec bl
    EXPECT_FL 0x8d5, 0x004, "dec8 7f cf0 flags"
    cmp bl, 0x7e
    CHECK "dec8 7f cf0"
    mov bl, 0x7f
    SETFL 0x1
    dec bl
    EXPECT_FL 0x8d5, 0x005, "dec8 7f cf1 flags"
    cmp bl, 0x7e
    CHECK "dec8 7f cf1"
    mov bl, 0x80
    SETFL 0x0
    dec bl
    EXPECT_FL 0x8d5, 0x810, "dec8 80 cf0 flags"
    cmp bl, 0x7f
    CHECK "dec8 80 cf0"
    mov bl, 0x80
    SETFL 0x1
    dec bl
    EXPECT_FL 0x8d5, 0x811, "dec8 80 cf1 flags"
    cmp bl, 0x7f
    CHECK "dec8 80 cf1"
    mov bl, 0x0
    SETFL 0x0
    dec bl
    EXPECT_FL 0x8d5, 0x094, "dec8 0 cf0 flags"
    cmp bl, 0xff
    CHECK "dec8 0 cf0"
    mov bl, 0x0
    SETFL 0x1
    dec bl
    EXPECT_FL 0x8d5, 0x095, "dec8 0 cf1 flags"
    cmp bl, 0xff
    CHECK "dec8 0 cf1"
    mov bl, 0xff
    SETFL 0x0
    dec bl
    EXPECT_FL 0x8d5, 0x080, "dec8 ff cf0 flags"
    cmp bl, 0xfe
    CHECK "dec8 ff cf0"
    mov bl, 0xff
    SETFL 0x1
    dec bl
    EXPECT_FL 0x8d5, 0x081, "dec8 ff cf1 flags"
    cmp bl, 0xfe
    CHECK "dec8 ff cf1"
    mov bl, 0x7f
    SETFL 0x0
    dec bl
    EXPECT_FL 0x8d5, 0x004, "dec8 7f cf0 flags"
    cmp bl, 0x7e
    CHECK "dec8 7f cf0"
    mov bl, 0x7f
    SETFL 0x1
    dec bl
    EXPECT_FL 0x8d5, 0x005, "dec8 7f cf1 flags"
    cmp bl, 0x7e
    CHECK "dec8 7f cf1"
    mov byte [MEM], 0x7f
    SETFL 0x841
    dec byte [MEM]
    EXPECT_FL 0x8d5, 0x005, "dec8 mem flags"
    cmp byte [MEM], 0x7e
    CHECK "dec8 mem mem"
    mov bx, 0x7fff
    SETFL 0x0
    dec bx
    EXPECT_FL 0x8d5, 0x000, "dec16 7fff cf0 flags"
    cmp bx, 0x7ffe
    CHECK "dec16 7fff cf0"
    mov bx, 0x7fff
    SETFL 0x1
    dec bx
    EXPECT_FL 0x8d5, 0x001, "dec16 7fff cf1 flags"
    cmp bx, 0x7ffe
    CHECK "dec16 7fff cf1"
    mov bx, 0x8000
    SETFL 0x0
    dec bx
    EXPECT_FL 0x8d5, 0x814, "dec16 8000 cf0 flags"
    cmp bx, 0x7fff
    CHECK "dec16 8000 cf0"
    mov bx, 0x8000
    SETFL 0x1
    dec bx
    EXPECT_FL 0x8d5, 0x815, "dec16 8000 cf1 flags"
    cmp bx, 0x7fff
    CHECK "dec16 8000 cf1"
    mov bx, 0x0
    SETFL 0x0
    dec bx
    EXPECT_FL 0x8d5, 0x094, "dec16 0 cf0 flags"
    cmp bx, 0xffff
    CHECK "dec16 0 cf0"
    mov bx, 0x0
    SETFL 0x1
    dec bx
    EXPECT_FL 0x8d5, 0x095, "dec16 0 cf1 flags"
    cmp bx, 0xffff
    CHECK "dec16 0 cf1"
    mov bx, 0xffff
    SETFL 0x0
    dec bx
    EXPECT_FL 0x8d5, 0x080, "dec16 ffff cf0 flags"
    cmp bx, 0xfffe
    CHECK "dec16 ffff cf0"
    mov bx, 0xffff
    SETFL 0x1
    dec bx
    EXPECT_FL 0x8d5, 0x081, "dec16 ffff cf1 flags"
    cmp bx, 0xfffe
    CHECK "dec16 ffff cf1"
    mov bx, 0x8c0d
    SETFL 0x0
    dec bx
    EXPECT_FL 0x8d5, 0x084, "dec16 8c0d cf0 flags"
    cmp bx, 0x8c0c
    CHECK "dec16 8c0d cf0"
    mov bx, 0x8c0d
    SETFL 0x1
    dec bx
    EXPECT_FL 0x8d5, 0x085, "dec16 8c0d cf1 flags"
    cmp bx, 0x8c0c
    CHECK "dec16 8c0d cf1"
    mov word [MEM], 0x0
    SETFL 0x841
    dec word [MEM]
    EXPECT_FL 0x8d5, 0x095, "dec16 mem flags"
    cmp word [MEM], 0xffff
    CHECK "dec16 mem mem"
    mov ebx, 0x7fffffff
    SETFL 0x0
    dec ebx
    EXPECT_FL 0x8d5, 0x000, "dec32 7fffffff cf0 flags"
    cmp ebx, 0x7ffffffe
    CHECK "dec32 7fffffff cf0"
    mov ebx, 0x7fffffff
    SETFL 0x1
    dec ebx
    EXPECT_FL 0x8d5, 0x001, "dec32 7fffffff cf1 flags"
    cmp ebx, 0x7ffffffe
    CHECK "dec32 7fffffff cf1"
    mov ebx, 0x80000000
    SETFL 0x0
    dec ebx
    EXPECT_FL 0x8d5, 0x814, "dec32 80000000 cf0 flags"
    cmp ebx, 0x7fffffff
    CHECK "dec32 80000000 cf0"
    mov ebx, 0x80000000
    SETFL 0x1
    dec ebx
    EXPECT_FL 0x8d5, 0x815, "dec32 80000000 cf1 flags"
    cmp ebx, 0x7fffffff
    CHECK "dec32 80000000 cf1"
    mov ebx, 0x0
    SETFL 0x0
    dec ebx
    EXPECT_FL 0x8d5, 0x094, "dec32 0 cf0 flags"
    cmp ebx, 0xffffffff
    CHECK "dec32 0 cf0"
    mov ebx, 0x0
    SETFL 0x1
    dec ebx
    EXPECT_FL 0x8d5, 0x095, "dec32 0 cf1 flags"
    cmp ebx, 0xffffffff
    CHECK "dec32 0 cf1"
    mov ebx, 0xffffffff
    SETFL 0x0
    dec ebx
    EXPECT_FL 0x8d5, 0x080, "dec32 ffffffff cf0 flags"
    cmp ebx, 0xfffffffe
    CHECK "dec32 ffffffff cf0"
    mov ebx, 0xffffffff
    SETFL 0x1
    dec ebx
    EXPECT_FL 0x8d5, 0x081, "dec32 ffffffff cf1 flags"
    cmp ebx, 0xfffffffe
    CHECK "dec32 ffffffff cf1"
    mov ebx, 0x4f3e885e
    SETFL 0x0
    dec ebx
    EXPECT_FL 0x8d5, 0x000, "dec32 4f3e885e cf0 flags"
    cmp ebx, 0x4f3e885d
    CHECK "dec32 4f3e885e cf0"
    mov ebx, 0x4f3e885e
    SETFL 0x1
    dec ebx
    EXPECT_FL 0x8d5, 0x001, "dec32 4f3e885e cf1 flags"
    cmp ebx, 0x4f3e885d
    CHECK "dec32 4f3e885e cf1"
    mov dword [MEM], 0x1
    SETFL 0x841
    dec dword [MEM]
    EXPECT_FL 0x8d5, 0x045, "dec32 mem flags"
    cmp dword [MEM], 0x0
    CHECK "dec32 mem mem"
    mov bl, 0x7f
    SETFL 0x0
    neg bl
    EXPECT_FL 0x8d5, 0x095, "neg8 7f cf0 flags"
    cmp bl, 0x81
    CHECK "neg8 7f cf0"
    mov bl, 0x7f
    SETFL 0x1
    neg bl
    EXPECT_FL 0x8d5, 0x095, "neg8 7f cf1 flags"
    cmp bl, 0x81
    CHECK "neg8 7f cf1"
    mov bl, 0x80
    SETFL 0x0
    neg bl
    EXPECT_FL 0x8d5, 0x881, "neg8 80 cf0 flags"
    cmp bl, 0x80
    CHECK "neg8 80 cf0"
    mov bl, 0x80
    SETFL 0x1
    neg bl
    EXPECT_FL 0x8d5, 0x881, "neg8 80 cf1 flags"
    cmp bl, 0x80
    CHECK "neg8 80 cf1"
    mov bl, 0x0
    SETFL 0x0
    neg bl
    EXPECT_FL 0x8d5, 0x044, "neg8 0 cf0 flags"
    cmp bl, 0x00
    CHECK "neg8 0 cf0"
    mov bl, 0x0
    SETFL 0x1
    neg bl
    EXPECT_FL 0x8d5, 0x044, "neg8 0 cf1 flags"
    cmp bl, 0x00
    CHECK "neg8 0 cf1"
    mov bl, 0xff
    SETFL 0x0
    neg bl
    EXPECT_FL 0x8d5, 0x011, "neg8 ff cf0 flags"
    cmp bl, 0x01
    CHECK "neg8 ff cf0"
    mov bl, 0xff
    SETFL 0x1
    neg bl
    EXPECT_FL 0x8d5, 0x011, "neg8 ff cf1 flags"
    cmp bl, 0x01
    CHECK "neg8 ff cf1"
    mov bl, 0x80
    SETFL 0x0
    neg bl
    EXPECT_FL 0x8d5, 0x881, "neg8 80 cf0 flags"
    cmp bl, 0x80
    CHECK "neg8 80 cf0"
    mov bl, 0x80
    SETFL 0x1
    neg bl
    EXPECT_FL 0x8d5, 0x881, "neg8 80 cf1 flags"
    cmp bl, 0x80
    CHECK "neg8 80 cf1"
    mov byte [MEM], 0x7f
    SETFL 0x841
    neg byte [MEM]
    EXPECT_FL 0x8d5, 0x095, "neg8 mem flags"
    cmp byte [MEM], 0x81
    CHECK "neg8 mem mem"
    mov bx, 0x7fff
    SETFL 0x0
    neg bx
    EXPECT_FL 0x8d5, 0x091, "neg16 7fff cf0 flags"
    cmp bx, 0x8001
    CHECK "neg16 7fff cf0"
    mov bx, 0x7fff
    SETFL 0x1
    neg bx
    EXPECT_FL 0x8d5, 0x091, "neg16 7fff cf1 flags"
    cmp bx, 0x8001
    CHECK "neg16 7fff cf1"
    mov bx, 0x8000
    SETFL 0x0
    neg bx
    EXPECT_FL 0x8d5, 0x885, "neg16 8000 cf0 flags"
    cmp bx, 0x8000
    CHECK "neg16 8000 cf0"
    mov bx, 0x8000
    SETFL 0x1
    neg bx
    EXPECT_FL 0x8d5, 0x885, "neg16 8000 cf1 flags"
    cmp bx, 0x8000
    CHECK "neg16 8000 cf1"
    mov bx, 0x0
    SETFL 0x0
    neg bx
    EXPECT_FL 0x8d5, 0x044, "neg16 0 cf0 flags"
    cmp bx, 0x0000
    CHECK "neg16 0 cf0"
    mov bx, 0x0
    SETFL 0x1
    neg bx
    EXPECT_FL 0x8d5, 0x044, "neg16 0 cf1 flags"
    cmp bx, 0x0000
    CHECK "neg16 0 cf1"
    mov bx, 0xffff
    SETFL 0x0
    neg bx
    EXPECT_FL 0x8d5, 0x011, "neg16 ffff cf0 flags"
    cmp bx, 0x0001
    CHECK "neg16 ffff cf0"
    mov bx, 0xffff
    SETFL 0x1
    neg bx
    EXPECT_FL 0x8d5, 0x011, "neg16 ffff cf1 flags"
    cmp bx, 0x0001
    CHECK "neg16 ffff cf1"
    mov bx, 0x3373
    SETFL 0x0
    neg bx
    EXPECT_FL 0x8d5, 0x095, "neg16 3373 cf0 flags"
    cmp bx, 0xcc8d
    CHECK "neg16 3373 cf0"
    mov bx, 0x3373
    SETFL 0x1
    neg bx
    EXPECT_FL 0x8d5, 0x095, "neg16 3373 cf1 flags"
    cmp bx, 0xcc8d
    CHECK "neg16 3373 cf1"
    mov word [MEM], 0xf0f
    SETFL 0x841
    neg word [MEM]
    EXPECT_FL 0x8d5, 0x091, "neg16 mem flags"
    cmp word [MEM], 0xf0f1
    CHECK "neg16 mem mem"
    mov ebx, 0x7fffffff
    SETFL 0x0
    neg ebx
    EXPECT_FL 0x8d5, 0x091, "neg32 7fffffff cf0 flags"
    cmp ebx, 0x80000001
    CHECK "neg32 7fffffff cf0"
    mov ebx, 0x7fffffff
    SETFL 0x1
    neg ebx
    EXPECT_FL 0x8d5, 0x091, "neg32 7fffffff cf1 flags"
    cmp ebx, 0x80000001
    CHECK "neg32 7fffffff cf1"
    mov ebx, 0x80000000
    SETFL 0x0
    neg ebx
    EXPECT_FL 0x8d5, 0x885, "neg32 80000000 cf0 flags"
    cmp ebx, 0x80000000
    CHECK "neg32 80000000 cf0"
    mov ebx, 0x80000000
    SETFL 0x1
    neg ebx
    EXPECT_FL 0x8d5, 0x885, "neg32 80000000 cf1 flags"
    cmp ebx, 0x80000000
    CHECK "neg32 80000000 cf1"
    mov ebx, 0x0
    SETFL 0x0
    neg ebx
    EXPECT_FL 0x8d5, 0x044, "neg32 0 cf0 flags"
    cmp ebx, 0x00000000
    CHECK "neg32 0 cf0"
    mov ebx, 0x0
    SETFL 0x1
    neg ebx
    EXPECT_FL 0x8d5, 0x044, "neg32 0 cf1 flags"
    cmp ebx, 0x00000000
    CHECK "neg32 0 cf1"
    mov ebx, 0xffffffff
    SETFL 0x0
    neg ebx
    EXPECT_FL 0x8d5, 0x011, "neg32 ffffffff cf0 flags"
    cmp ebx, 0x00000001
    CHECK "neg32 ffffffff cf0"
    mov ebx, 0xffffffff
    SETFL 0x1
    neg ebx
    EXPECT_FL 0x8d5, 0x011, "neg32 ffffffff cf1 flags"
    cmp ebx, 0x00000001
    CHECK "neg32 ffffffff cf1"
    mov ebx, 0x7fffffff
    SETFL 0x0
    neg ebx
    EXPECT_FL 0x8d5, 0x091, "neg32 7fffffff cf0 flags"
    cmp ebx, 0x80000001
    CHECK "neg32 7fffffff cf0"
    mov ebx, 0x7fffffff
    SETFL 0x1
    neg ebx
    EXPECT_FL 0x8d5, 0x091, "neg32 7fffffff cf1 flags"
    cmp ebx, 0x80000001
    CHECK "neg32 7fffffff cf1"
    mov dword [MEM], 0x24d4589c
    SETFL 0x841
    neg dword [MEM]
    EXPECT_FL 0x8d5, 0x091, "neg32 mem flags"
    cmp dword [MEM], 0xdb2ba764
    CHECK "neg32 mem mem"
    mov bl, 0x7f
    SETFL 0x0
    not bl
    EXPECT_FL 0x8d5, 0x000, "not8 7f cf0 flags"
    cmp bl, 0x80
    CHECK "not8 7f cf0"
    mov bl, 0x7f
    SETFL 0x1
    not bl
    EXPECT_FL 0x8d5, 0x001, "not8 7f cf1 flags"
    cmp bl, 0x80
    CHECK "not8 7f cf1"
    mov bl, 0x80
    SETFL 0x0
    not bl
    EXPECT_FL 0x8d5, 0x000, "not8 80 cf0 flags"
    cmp bl, 0x7f
    CHECK "not8 80 cf0"
    mov bl, 0x80
    SETFL 0x1
    not bl
    EXPECT_FL 0x8d5, 0x001, "not8 80 cf1 flags"
    cmp bl, 0x7f
    CHECK "not8 80 cf1"
    mov bl, 0x0
    SETFL 0x0
    not bl
    EXPECT_FL 0x8d5, 0x000, "not8 0 cf0 flags"
    cmp bl, 0xff
    CHECK "not8 0 cf0"
    mov bl, 0x0
    SETFL 0x1
    not bl
    EXPECT_FL 0x8d5, 0x001, "not8 0 cf1 flags"
    cmp bl, 0xff
    CHECK "not8 0 cf1"
    mov bl, 0xff
    SETFL 0x0
    not bl
    EXPECT_FL 0x8d5, 0x000, "not8 ff cf0 flags"
    cmp bl, 0x00
    CHECK "not8 ff cf0"
    mov bl, 0xff
    SETFL 0x1
    not bl
    EXPECT_FL 0x8d5, 0x001, "not8 ff cf1 flags"
    cmp bl, 0x00
    CHECK "not8 ff cf1"
    mov bl, 0x0
    SETFL 0x0
    not bl
    EXPECT_FL 0x8d5, 0x000, "not8 0 cf0 flags"
    cmp bl, 0xff
    CHECK "not8 0 cf0"
    mov bl, 0x0
    SETFL 0x1
    not bl
    EXPECT_FL 0x8d5, 0x001, "not8 0 cf1 flags"
    cmp bl, 0xff
    CHECK "not8 0 cf1"
    mov byte [MEM], 0x7f
    SETFL 0x841
    not byte [MEM]
    EXPECT_FL 0x8d5, 0x841, "not8 mem flags"
    cmp byte [MEM], 0x80
    CHECK "not8 mem mem"
    mov bx, 0x7fff
    SETFL 0x0
    not bx
    EXPECT_FL 0x8d5, 0x000, "not16 7fff cf0 flags"
    cmp bx, 0x8000
    CHECK "not16 7fff cf0"
    mov bx, 0x7fff
    SETFL 0x1
    not bx
    EXPECT_FL 0x8d5, 0x001, "not16 7fff cf1 flags"
    cmp bx, 0x8000
    CHECK "not16 7fff cf1"
    mov bx, 0x8000
    SETFL 0x0
    not bx
    EXPECT_FL 0x8d5, 0x000, "not16 8000 cf0 flags"
    cmp bx, 0x7fff
    CHECK "not16 8000 cf0"
    mov bx, 0x8000
    SETFL 0x1
    not bx
    EXPECT_FL 0x8d5, 0x001, "not16 8000 cf1 flags"
    cmp bx, 0x7fff
    CHECK "not16 8000 cf1"
    mov bx, 0x0
    SETFL 0x0
    not bx
    EXPECT_FL 0x8d5, 0x000, "not16 0 cf0 flags"
    cmp bx, 0xffff
    CHECK "not16 0 cf0"
    mov bx, 0x0
    SETFL 0x1
    not bx
    EXPECT_FL 0x8d5, 0x001, "not16 0 cf1 flags"
    cmp bx, 0xffff
    CHECK "not16 0 cf1"
    mov bx, 0xffff
    SETFL 0x0
    not bx
    EXPECT_FL 0x8d5, 0x000, "not16 ffff cf0 flags"
    cmp bx, 0x0000
    CHECK "not16 ffff cf0"
    mov bx, 0xffff
    SETFL 0x1
    not bx
    EXPECT_FL 0x8d5, 0x001, "not16 ffff cf1 flags"
    cmp bx, 0x0000
    CHECK "not16 ffff cf1"
    mov bx, 0x1
    SETFL 0x0
    not bx
    EXPECT_FL 0x8d5, 0x000, "not16 1 cf0 flags"
    cmp bx, 0xfffe
    CHECK "not16 1 cf0"
    mov bx, 0x1
    SETFL 0x1
    not bx
    EXPECT_FL 0x8d5, 0x001, "not16 1 cf1 flags"
    cmp bx, 0xfffe
    CHECK "not16 1 cf1"
    mov word [MEM], 0xffff
    SETFL 0x841
    not word [MEM]
    EXPECT_FL 0x8d5, 0x841, "not16 mem flags"
    cmp word [MEM], 0x0
    CHECK "not16 mem mem"
    mov ebx, 0x7fffffff
    SETFL 0x0
    not ebx
    EXPECT_FL 0x8d5, 0x000, "not32 7fffffff cf0 flags"
    cmp ebx, 0x80000000
    CHECK "not32 7fffffff cf0"
    mov ebx, 0x7fffffff
    SETFL 0x1
    not ebx
    EXPECT_FL 0x8d5, 0x001, "not32 7fffffff cf1 flags"
    cmp ebx, 0x80000000
    CHECK "not32 7fffffff cf1"
    mov ebx, 0x80000000
    SETFL 0x0
    not ebx
    EXPECT_FL 0x8d5, 0x000, "not32 80000000 cf0 flags"
    cmp ebx, 0x7fffffff
    CHECK "not32 80000000 cf0"
    mov ebx, 0x80000000
    SETFL 0x1
    not ebx
    EXPECT_FL 0x8d5, 0x001, "not32 80000000 cf1 flags"
    cmp ebx, 0x7fffffff
    CHECK "not32 80000000 cf1"
    mov ebx, 0x0
    SETFL 0x0
    not ebx
    EXPECT_FL 0x8d5, 0x000, "not32 0 cf0 flags"
    cmp ebx, 0xffffffff
    CHECK "not32 0 cf0"
    mov ebx, 0x0
    SETFL 0x1
    not ebx
    EXPECT_FL 0x8d5, 0x001, "not32 0 cf1 flags"
    cmp ebx, 0xffffffff
    CHECK "not32 0 cf1"
    mov ebx, 0xffffffff
    SETFL 0x0
    not ebx
    EXPECT_FL 0x8d5, 0x000, "not32 ffffffff cf0 flags"
    cmp ebx, 0x00000000
    CHECK "not32 ffffffff cf0"
    mov ebx, 0xffffffff
    SETFL 0x1
    not ebx
    EXPECT_FL 0x8d5, 0x001, "not32 ffffffff cf1 flags"
    cmp ebx, 0x00000000
    CHECK "not32 ffffffff cf1"
    mov ebx, 0x27be9ab1
    SETFL 0x0
    not ebx
    EXPECT_FL 0x8d5, 0x000, "not32 27be9ab1 cf0 flags"
    cmp ebx, 0xd841654e
    CHECK "not32 27be9ab1 cf0"
    mov ebx, 0x27be9ab1
    SETFL 0x1
    not ebx
    EXPECT_FL 0x8d5, 0x001, "not32 27be9ab1 cf1 flags"
    cmp ebx, 0xd841654e
    CHECK "not32 27be9ab1 cf1"
    mov dword [MEM], 0xb74b589b
    SETFL 0x841
    not dword [MEM]
    EXPECT_FL 0x8d5, 0x841, "not32 mem flags"
    cmp dword [MEM], 0x48b4a764
    CHECK "not32 mem mem"
    mov cx, 0xffff
    SETFL 0
    inc cx
    EXPECT_FL 0x8d5, 0x054, "inc cx flags"
    cmp cx, 0x0000
    CHECK "inc cx"
    mov cx, 0xffff
    SETFL 0
    dec cx
    EXPECT_FL 0x8d5, 0x080, "dec cx flags"
    cmp cx, 0xfffe
    CHECK "dec cx"
    mov edx, 0x7fffffff
    SETFL 0
    inc edx
    EXPECT_FL 0x8d5, 0x894, "inc edx flags"
    cmp edx, 0x80000000
    CHECK "inc edx"
    mov edx, 0x7fffffff
    SETFL 0
    dec edx
    EXPECT_FL 0x8d5, 0x000, "dec edx flags"
    cmp edx, 0x7ffffffe
    CHECK "dec edx"
    mov si, 0x8000
    SETFL 0
    inc si
    EXPECT_FL 0x8d5, 0x080, "inc si flags"
    cmp si, 0x8001
    CHECK "inc si"
    mov si, 0x8000
    SETFL 0
    dec si
    EXPECT_FL 0x8d5, 0x814, "dec si flags"
    cmp si, 0x7fff
    CHECK "dec si"
    mov edi, 0x0
    SETFL 0
    inc edi
    EXPECT_FL 0x8d5, 0x000, "inc edi flags"
    cmp edi, 0x00000001
    CHECK "inc edi"
    mov edi, 0x0
    SETFL 0
    dec edi
    EXPECT_FL 0x8d5, 0x094, "dec edi flags"
    cmp edi, 0xffffffff
    CHECK "dec edi"

    PUTS `alu: LOCK prefix\n`
    mov bx, MEM
    mov word [MEM], 5
    mov ax, 3
    EXPECT_NOTRAP "lock add [bx], ax accepted", lock add [bx], ax
    EXPECT16 [MEM], 8, "lock add [bx], ax stored"
    EXPECT_NOTRAP "lock inc word [bx] accepted", lock inc word [bx]
    EXPECT_NOTRAP "lock neg dword [bx] accepted", lock neg dword [bx]
    EXPECT_NOTRAP "lock sub byte [bx], 1 accepted", lock sub byte [bx], 1
    EXPECT_TRAP 6, "lock add ax, bx raises #UD", db 0xf0, 0x01, 0xd8
    EXPECT_TRAP 6, "lock add ax, [bx] raises #UD", db 0xf0, 0x03, 0x07
    EXPECT_TRAP 6, "lock cmp [bx], ax raises #UD", db 0xf0, 0x39, 0x07
    PUTS `note: the next check fails under QEMU, which accepts LOCK TEST (SDM: #UD)\n`
    EXPECT_TRAP 6, "lock test [bx], ax raises #UD", db 0xf0, 0x85, 0x07
    EXPECT_TRAP 6, "lock not ax raises #UD", db 0xf0, 0xf7, 0xd0
    EXPECT_TRAP 6, "lock inc ax (40) raises #UD", db 0xf0, 0x40
    EXPECT_TRAP 6, "lock add al, 1 raises #UD", db 0xf0, 0x04, 0x01
    EXPECT_TRAP 6, "lock cmp word [bx], 1 raises #UD", db 0xf0, 0x83, 0x3f, 0x01
    mov ax, 0x1234
    EXPECT_TRAP 6, "lock add ax, bx leaves ax", db 0xf0, 0x01, 0xd8
    EXPECT16 ax, 0x1234, "lock #UD: ax unchanged"

    FINISH

TRAP_HANDLERS
ROM_END
