; shift.asm — ROL ROR RCL RCR SHL SHR SAR (and SAL as /6) in the D0/D1 (by
; 1), C0/C1 (imm8) and D2/D3 (CL) forms, on registers and memory, 8/16/32-bit;
; SHLD/SHRD 0F A4/A5/AC/AD with imm8 and CL on registers and memory.
; Counts cover 0 (no flag changes), 1, multi-bit, the operand width and
; above, 32 and 33 (masked to 5 bits), RCL/RCR modulo 9/17. Checked: the
; result and the flags the SDM defines for that count (OF only for count 1,
; AF never for shifts, CF not for SHL/SHR counts >= the width; rotates leave
; SF ZF AF PF alone). SHLD/SHRD 16-bit counts above 16 (undefined result)
; are covered by the host cross-check unit test, not here.
; Cases generated from an independent Python model of the SDM pseudo-code
; and validated under QEMU.
%include "rom.inc"
%include "arith.inc"

%define MEM 0x0600

start:
    ROM_INIT
    TRAP_INIT
    PUTS `shift: rol\n`
    mov bl, 0x1
    mov cl, 0
    SETFL 0x801
    rol bl, cl
    EXPECT_FL 0x8d5, 0x801, "rol8 cl=0 1 cf1 flags"
    cmp bl, 0x1
    CHECK "rol8 cl=0 1 cf1"
    mov bl, 0x1
    SETFL 0x801
    rol bl, 0
    EXPECT_FL 0x8d5, 0x801, "rol8 imm=0 1 flags"
    cmp bl, 0x1
    CHECK "rol8 imm=0 1"
    mov bl, 0x1
    mov cl, 1
    SETFL 0x1
    rol bl, cl
    EXPECT_FL 0x8d5, 0x000, "rol8 cl=1 1 cf1 flags"
    cmp bl, 0x2
    CHECK "rol8 cl=1 1 cf1"
    mov bl, 0x1
    SETFL 0x1
    rol bl, 1
    EXPECT_FL 0x8d5, 0x000, "rol8 by 1 1 flags"
    cmp bl, 0x2
    CHECK "rol8 by 1 1"
    mov bl, 0x1
    mov cl, 2
    SETFL 0x801
    rol bl, cl
    EXPECT_FL 0x0d5, 0x000, "rol8 cl=2 1 cf1 flags"
    cmp bl, 0x4
    CHECK "rol8 cl=2 1 cf1"
    mov bl, 0x1
    SETFL 0x801
    rol bl, 2
    EXPECT_FL 0x0d5, 0x000, "rol8 imm=2 1 flags"
    cmp bl, 0x4
    CHECK "rol8 imm=2 1"
    mov bl, 0xcb
    mov cl, 3
    SETFL 0x1
    rol bl, cl
    EXPECT_FL 0x0d5, 0x000, "rol8 cl=3 cb cf1 flags"
    cmp bl, 0x5e
    CHECK "rol8 cl=3 cb cf1"
    mov bl, 0xcb
    SETFL 0x1
    rol bl, 3
    EXPECT_FL 0x0d5, 0x000, "rol8 imm=3 cb flags"
    cmp bl, 0x5e
    CHECK "rol8 imm=3 cb"
    mov bl, 0x40
    mov cl, 7
    SETFL 0x1
    rol bl, cl
    EXPECT_FL 0x0d5, 0x000, "rol8 cl=7 40 cf1 flags"
    cmp bl, 0x20
    CHECK "rol8 cl=7 40 cf1"
    mov bl, 0x40
    SETFL 0x1
    rol bl, 7
    EXPECT_FL 0x0d5, 0x000, "rol8 imm=7 40 flags"
    cmp bl, 0x20
    CHECK "rol8 imm=7 40"
    mov bl, 0x80
    mov cl, 8
    SETFL 0x0
    rol bl, cl
    EXPECT_FL 0x0d5, 0x000, "rol8 cl=8 80 cf0 flags"
    cmp bl, 0x80
    CHECK "rol8 cl=8 80 cf0"
    mov bl, 0x80
    SETFL 0x0
    rol bl, 8
    EXPECT_FL 0x0d5, 0x000, "rol8 imm=8 80 flags"
    cmp bl, 0x80
    CHECK "rol8 imm=8 80"
    mov bl, 0x65
    mov cl, 9
    SETFL 0x801
    rol bl, cl
    EXPECT_FL 0x0d5, 0x000, "rol8 cl=9 65 cf1 flags"
    cmp bl, 0xca
    CHECK "rol8 cl=9 65 cf1"
    mov bl, 0x65
    SETFL 0x801
    rol bl, 9
    EXPECT_FL 0x0d5, 0x000, "rol8 imm=9 65 flags"
    cmp bl, 0xca
    CHECK "rol8 imm=9 65"
    mov bl, 0x9d
    mov cl, 10
    SETFL 0x1
    rol bl, cl
    EXPECT_FL 0x0d5, 0x000, "rol8 cl=10 9d cf1 flags"
    cmp bl, 0x76
    CHECK "rol8 cl=10 9d cf1"
    mov bl, 0x9d
    SETFL 0x1
    rol bl, 10
    EXPECT_FL 0x0d5, 0x000, "rol8 imm=10 9d flags"
    cmp bl, 0x76
    CHECK "rol8 imm=10 9d"
    mov bl, 0xd4
    mov cl, 16
    SETFL 0x44
    rol bl, cl
    EXPECT_FL 0x0d5, 0x044, "rol8 cl=16 d4 cf0 flags"
    cmp bl, 0xd4
    CHECK "rol8 cl=16 d4 cf0"
    mov bl, 0xd4
    SETFL 0x44
    rol bl, 16
    EXPECT_FL 0x0d5, 0x044, "rol8 imm=16 d4 flags"
    cmp bl, 0xd4
    CHECK "rol8 imm=16 d4"
    mov bl, 0x81
    mov cl, 17
    SETFL 0x1
    rol bl, cl
    EXPECT_FL 0x0d5, 0x001, "rol8 cl=17 81 cf1 flags"
    cmp bl, 0x3
    CHECK "rol8 cl=17 81 cf1"
    mov bl, 0x81
    SETFL 0x1
    rol bl, 17
    EXPECT_FL 0x0d5, 0x001, "rol8 imm=17 81 flags"
    cmp bl, 0x3
    CHECK "rol8 imm=17 81"
    mov bl, 0x99
    mov cl, 31
    SETFL 0x0
    rol bl, cl
    EXPECT_FL 0x0d5, 0x000, "rol8 cl=31 99 cf0 flags"
    cmp bl, 0xcc
    CHECK "rol8 cl=31 99 cf0"
    mov bl, 0x99
    SETFL 0x0
    rol bl, 31
    EXPECT_FL 0x0d5, 0x000, "rol8 imm=31 99 flags"
    cmp bl, 0xcc
    CHECK "rol8 imm=31 99"
    mov bl, 0x53
    mov cl, 32
    SETFL 0x801
    rol bl, cl
    EXPECT_FL 0x8d5, 0x801, "rol8 cl=32 53 cf1 flags"
    cmp bl, 0x53
    CHECK "rol8 cl=32 53 cf1"
    mov bl, 0x53
    SETFL 0x801
    rol bl, 32
    EXPECT_FL 0x8d5, 0x801, "rol8 imm=32 53 flags"
    cmp bl, 0x53
    CHECK "rol8 imm=32 53"
    mov bl, 0x32
    mov cl, 33
    SETFL 0x44
    rol bl, cl
    EXPECT_FL 0x8d5, 0x044, "rol8 cl=33 32 cf0 flags"
    cmp bl, 0x64
    CHECK "rol8 cl=33 32 cf0"
    mov bl, 0x32
    SETFL 0x44
    rol bl, 33
    EXPECT_FL 0x8d5, 0x044, "rol8 imm=33 32 flags"
    cmp bl, 0x64
    CHECK "rol8 imm=33 32"
    mov byte [MEM], 0x40
    SETFL 0x1
    rol byte [MEM], 1
    EXPECT_FL 0x8d5, 0x800, "rol8 mem,1 flags"
    cmp byte [MEM], 0x80
    CHECK "rol8 mem,1 mem"
    mov byte [MEM], 0x81
    SETFL 0x1
    rol byte [MEM], 3
    EXPECT_FL 0x0d5, 0x000, "rol8 mem,3 flags"
    cmp byte [MEM], 0xc
    CHECK "rol8 mem,3 mem"
    mov byte [MEM], 0x68
    mov cl, 5
    SETFL 1
    rol byte [MEM], cl
    EXPECT_FL 0x0d5, 0x001, "rol8 mem,cl flags"
    cmp byte [MEM], 0xd
    CHECK "rol8 mem,cl mem"
    mov bx, 0xfee5
    mov cl, 0
    SETFL 0x0
    rol bx, cl
    EXPECT_FL 0x8d5, 0x000, "rol16 cl=0 fee5 cf0 flags"
    cmp bx, 0xfee5
    CHECK "rol16 cl=0 fee5 cf0"
    mov bx, 0xfee5
    SETFL 0x0
    rol bx, 0
    EXPECT_FL 0x8d5, 0x000, "rol16 imm=0 fee5 flags"
    cmp bx, 0xfee5
    CHECK "rol16 imm=0 fee5"
    mov bx, 0x50b6
    mov cl, 1
    SETFL 0x1
    rol bx, cl
    EXPECT_FL 0x8d5, 0x800, "rol16 cl=1 50b6 cf1 flags"
    cmp bx, 0xa16c
    CHECK "rol16 cl=1 50b6 cf1"
    mov bx, 0x50b6
    SETFL 0x1
    rol bx, 1
    EXPECT_FL 0x8d5, 0x800, "rol16 by 1 50b6 flags"
    cmp bx, 0xa16c
    CHECK "rol16 by 1 50b6"
    mov bx, 0x79d
    mov cl, 2
    SETFL 0x0
    rol bx, cl
    EXPECT_FL 0x0d5, 0x000, "rol16 cl=2 79d cf0 flags"
    cmp bx, 0x1e74
    CHECK "rol16 cl=2 79d cf0"
    mov bx, 0x79d
    SETFL 0x0
    rol bx, 2
    EXPECT_FL 0x0d5, 0x000, "rol16 imm=2 79d flags"
    cmp bx, 0x1e74
    CHECK "rol16 imm=2 79d"
    mov bx, 0x1ba1
    mov cl, 5
    SETFL 0x801
    rol bx, cl
    EXPECT_FL 0x0d5, 0x001, "rol16 cl=5 1ba1 cf1 flags"
    cmp bx, 0x7423
    CHECK "rol16 cl=5 1ba1 cf1"
    mov bx, 0x1ba1
    SETFL 0x801
    rol bx, 5
    EXPECT_FL 0x0d5, 0x001, "rol16 imm=5 1ba1 flags"
    cmp bx, 0x7423
    CHECK "rol16 imm=5 1ba1"
    mov bx, 0x4000
    mov cl, 15
    SETFL 0x801
    rol bx, cl
    EXPECT_FL 0x0d5, 0x000, "rol16 cl=15 4000 cf1 flags"
    cmp bx, 0x2000
    CHECK "rol16 cl=15 4000 cf1"
    mov bx, 0x4000
    SETFL 0x801
    rol bx, 15
    EXPECT_FL 0x0d5, 0x000, "rol16 imm=15 4000 flags"
    cmp bx, 0x2000
    CHECK "rol16 imm=15 4000"
    mov bx, 0x8001
    mov cl, 16
    SETFL 0x0
    rol bx, cl
    EXPECT_FL 0x0d5, 0x001, "rol16 cl=16 8001 cf0 flags"
    cmp bx, 0x8001
    CHECK "rol16 cl=16 8001 cf0"
    mov bx, 0x8001
    SETFL 0x0
    rol bx, 16
    EXPECT_FL 0x0d5, 0x001, "rol16 imm=16 8001 flags"
    cmp bx, 0x8001
    CHECK "rol16 imm=16 8001"
    mov bx, 0x8001
    mov cl, 17
    SETFL 0x801
    rol bx, cl
    EXPECT_FL 0x0d5, 0x001, "rol16 cl=17 8001 cf1 flags"
    cmp bx, 0x3
    CHECK "rol16 cl=17 8001 cf1"
    mov bx, 0x8001
    SETFL 0x801
    rol bx, 17
    EXPECT_FL 0x0d5, 0x001, "rol16 imm=17 8001 flags"
    cmp bx, 0x3
    CHECK "rol16 imm=17 8001"
    mov bx, 0x8000
    mov cl, 18
    SETFL 0x801
    rol bx, cl
    EXPECT_FL 0x0d5, 0x000, "rol16 cl=18 8000 cf1 flags"
    cmp bx, 0x2
    CHECK "rol16 cl=18 8000 cf1"
    mov bx, 0x8000
    SETFL 0x801
    rol bx, 18
    EXPECT_FL 0x0d5, 0x000, "rol16 imm=18 8000 flags"
    cmp bx, 0x2
    CHECK "rol16 imm=18 8000"
    mov bx, 0x1
    mov cl, 31
    SETFL 0x1
    rol bx, cl
    EXPECT_FL 0x0d5, 0x000, "rol16 cl=31 1 cf1 flags"
    cmp bx, 0x8000
    CHECK "rol16 cl=31 1 cf1"
    mov bx, 0x1
    SETFL 0x1
    rol bx, 31
    EXPECT_FL 0x0d5, 0x000, "rol16 imm=31 1 flags"
    cmp bx, 0x8000
    CHECK "rol16 imm=31 1"
    mov bx, 0x4510
    mov cl, 32
    SETFL 0x8d5
    rol bx, cl
    EXPECT_FL 0x8d5, 0x8d5, "rol16 cl=32 4510 cf1 flags"
    cmp bx, 0x4510
    CHECK "rol16 cl=32 4510 cf1"
    mov bx, 0x4510
    SETFL 0x8d5
    rol bx, 32
    EXPECT_FL 0x8d5, 0x8d5, "rol16 imm=32 4510 flags"
    cmp bx, 0x4510
    CHECK "rol16 imm=32 4510"
    mov bx, 0x4000
    mov cl, 33
    SETFL 0x0
    rol bx, cl
    EXPECT_FL 0x8d5, 0x800, "rol16 cl=33 4000 cf0 flags"
    cmp bx, 0x8000
    CHECK "rol16 cl=33 4000 cf0"
    mov bx, 0x4000
    SETFL 0x0
    rol bx, 33
    EXPECT_FL 0x8d5, 0x800, "rol16 imm=33 4000 flags"
    cmp bx, 0x8000
    CHECK "rol16 imm=33 4000"
    mov word [MEM], 0xc20e
    SETFL 0x0
    rol word [MEM], 1
    EXPECT_FL 0x8d5, 0x001, "rol16 mem,1 flags"
    cmp word [MEM], 0x841d
    CHECK "rol16 mem,1 mem"
    mov word [MEM], 0x8000
    SETFL 0x0
    rol word [MEM], 3
    EXPECT_FL 0x0d5, 0x000, "rol16 mem,3 flags"
    cmp word [MEM], 0x4
    CHECK "rol16 mem,3 mem"
    mov word [MEM], 0xc3a5
    mov cl, 5
    SETFL 1
    rol word [MEM], cl
    EXPECT_FL 0x0d5, 0x000, "rol16 mem,cl flags"
    cmp word [MEM], 0x74b8
    CHECK "rol16 mem,cl mem"
    mov ebx, 0x2d7c5048
    mov cl, 0
    SETFL 0x44
    rol ebx, cl
    EXPECT_FL 0x8d5, 0x044, "rol32 cl=0 2d7c5048 cf0 flags"
    cmp ebx, 0x2d7c5048
    CHECK "rol32 cl=0 2d7c5048 cf0"
    mov ebx, 0x2d7c5048
    SETFL 0x44
    rol ebx, 0
    EXPECT_FL 0x8d5, 0x044, "rol32 imm=0 2d7c5048 flags"
    cmp ebx, 0x2d7c5048
    CHECK "rol32 imm=0 2d7c5048"
    mov ebx, 0x1
    mov cl, 1
    SETFL 0x1
    rol ebx, cl
    EXPECT_FL 0x8d5, 0x000, "rol32 cl=1 1 cf1 flags"
    cmp ebx, 0x2
    CHECK "rol32 cl=1 1 cf1"
    mov ebx, 0x1
    SETFL 0x1
    rol ebx, 1
    EXPECT_FL 0x8d5, 0x000, "rol32 by 1 1 flags"
    cmp ebx, 0x2
    CHECK "rol32 by 1 1"
    mov ebx, 0xc4ff64de
    mov cl, 2
    SETFL 0x1
    rol ebx, cl
    EXPECT_FL 0x0d5, 0x001, "rol32 cl=2 c4ff64de cf1 flags"
    cmp ebx, 0x13fd937b
    CHECK "rol32 cl=2 c4ff64de cf1"
    mov ebx, 0xc4ff64de
    SETFL 0x1
    rol ebx, 2
    EXPECT_FL 0x0d5, 0x001, "rol32 imm=2 c4ff64de flags"
    cmp ebx, 0x13fd937b
    CHECK "rol32 imm=2 c4ff64de"
    mov ebx, 0xc3a5f00f
    mov cl, 5
    SETFL 0x0
    rol ebx, cl
    EXPECT_FL 0x0d5, 0x000, "rol32 cl=5 c3a5f00f cf0 flags"
    cmp ebx, 0x74be01f8
    CHECK "rol32 cl=5 c3a5f00f cf0"
    mov ebx, 0xc3a5f00f
    SETFL 0x0
    rol ebx, 5
    EXPECT_FL 0x0d5, 0x000, "rol32 imm=5 c3a5f00f flags"
    cmp ebx, 0x74be01f8
    CHECK "rol32 imm=5 c3a5f00f"
    mov ebx, 0x7fffffff
    mov cl, 16
    SETFL 0x0
    rol ebx, cl
    EXPECT_FL 0x0d5, 0x001, "rol32 cl=16 7fffffff cf0 flags"
    cmp ebx, 0xffff7fff
    CHECK "rol32 cl=16 7fffffff cf0"
    mov ebx, 0x7fffffff
    SETFL 0x0
    rol ebx, 16
    EXPECT_FL 0x0d5, 0x001, "rol32 imm=16 7fffffff flags"
    cmp ebx, 0xffff7fff
    CHECK "rol32 imm=16 7fffffff"
    mov ebx, 0x1
    mov cl, 30
    SETFL 0x8d5
    rol ebx, cl
    EXPECT_FL 0x0d5, 0x0d4, "rol32 cl=30 1 cf1 flags"
    cmp ebx, 0x40000000
    CHECK "rol32 cl=30 1 cf1"
    mov ebx, 0x1
    SETFL 0x8d5
    rol ebx, 30
    EXPECT_FL 0x0d5, 0x0d4, "rol32 imm=30 1 flags"
    cmp ebx, 0x40000000
    CHECK "rol32 imm=30 1"
    mov ebx, 0x50684bf
    mov cl, 31
    SETFL 0x1
    rol ebx, cl
    EXPECT_FL 0x0d5, 0x001, "rol32 cl=31 50684bf cf1 flags"
    cmp ebx, 0x8283425f
    CHECK "rol32 cl=31 50684bf cf1"
    mov ebx, 0x50684bf
    SETFL 0x1
    rol ebx, 31
    EXPECT_FL 0x0d5, 0x001, "rol32 imm=31 50684bf flags"
    cmp ebx, 0x8283425f
    CHECK "rol32 imm=31 50684bf"
    mov ebx, 0x1
    mov cl, 32
    SETFL 0x44
    rol ebx, cl
    EXPECT_FL 0x8d5, 0x044, "rol32 cl=32 1 cf0 flags"
    cmp ebx, 0x1
    CHECK "rol32 cl=32 1 cf0"
    mov ebx, 0x1
    SETFL 0x44
    rol ebx, 32
    EXPECT_FL 0x8d5, 0x044, "rol32 imm=32 1 flags"
    cmp ebx, 0x1
    CHECK "rol32 imm=32 1"
    mov ebx, 0x7fffffff
    mov cl, 33
    SETFL 0x1
    rol ebx, cl
    EXPECT_FL 0x8d5, 0x800, "rol32 cl=33 7fffffff cf1 flags"
    cmp ebx, 0xfffffffe
    CHECK "rol32 cl=33 7fffffff cf1"
    mov ebx, 0x7fffffff
    SETFL 0x1
    rol ebx, 33
    EXPECT_FL 0x8d5, 0x800, "rol32 imm=33 7fffffff flags"
    cmp ebx, 0xfffffffe
    CHECK "rol32 imm=33 7fffffff"
    mov dword [MEM], 0x80000001
    SETFL 0x1
    rol dword [MEM], 1
    EXPECT_FL 0x8d5, 0x801, "rol32 mem,1 flags"
    cmp dword [MEM], 0x3
    CHECK "rol32 mem,1 mem"
    mov dword [MEM], 0x62dc08d6
    SETFL 0x0
    rol dword [MEM], 3
    EXPECT_FL 0x0d5, 0x001, "rol32 mem,3 flags"
    cmp dword [MEM], 0x16e046b3
    CHECK "rol32 mem,3 mem"
    mov dword [MEM], 0x7fffffff
    mov cl, 5
    SETFL 1
    rol dword [MEM], cl
    EXPECT_FL 0x0d5, 0x001, "rol32 mem,cl flags"
    cmp dword [MEM], 0xffffffef
    CHECK "rol32 mem,cl mem"
    PUTS `shift: ror\n`
    mov bl, 0x3e
    mov cl, 0
    SETFL 0x0
    ror bl, cl
    EXPECT_FL 0x8d5, 0x000, "ror8 cl=0 3e cf0 flags"
    cmp bl, 0x3e
    CHECK "ror8 cl=0 3e cf0"
    mov bl, 0x3e
    SETFL 0x0
    ror bl, 0
    EXPECT_FL 0x8d5, 0x000, "ror8 imm=0 3e flags"
    cmp bl, 0x3e
    CHECK "ror8 imm=0 3e"
    mov bl, 0x5f
    mov cl, 1
    SETFL 0x44
    ror bl, cl
    EXPECT_FL 0x8d5, 0x845, "ror8 cl=1 5f cf0 flags"
    cmp bl, 0xaf
    CHECK "ror8 cl=1 5f cf0"
    mov bl, 0x5f
    SETFL 0x44
    ror bl, 1
    EXPECT_FL 0x8d5, 0x845, "ror8 by 1 5f flags"
    cmp bl, 0xaf
    CHECK "ror8 by 1 5f"
    mov bl, 0x1
    mov cl, 2
    SETFL 0x801
    ror bl, cl
    EXPECT_FL 0x0d5, 0x000, "ror8 cl=2 1 cf1 flags"
    cmp bl, 0x40
    CHECK "ror8 cl=2 1 cf1"
    mov bl, 0x1
    SETFL 0x801
    ror bl, 2
    EXPECT_FL 0x0d5, 0x000, "ror8 imm=2 1 flags"
    cmp bl, 0x40
    CHECK "ror8 imm=2 1"
    mov bl, 0x22
    mov cl, 3
    SETFL 0x801
    ror bl, cl
    EXPECT_FL 0x0d5, 0x000, "ror8 cl=3 22 cf1 flags"
    cmp bl, 0x44
    CHECK "ror8 cl=3 22 cf1"
    mov bl, 0x22
    SETFL 0x801
    ror bl, 3
    EXPECT_FL 0x0d5, 0x000, "ror8 imm=3 22 flags"
    cmp bl, 0x44
    CHECK "ror8 imm=3 22"
    mov bl, 0x7f
    mov cl, 7
    SETFL 0x8d5
    ror bl, cl
    EXPECT_FL 0x0d5, 0x0d5, "ror8 cl=7 7f cf1 flags"
    cmp bl, 0xfe
    CHECK "ror8 cl=7 7f cf1"
    mov bl, 0x7f
    SETFL 0x8d5
    ror bl, 7
    EXPECT_FL 0x0d5, 0x0d5, "ror8 imm=7 7f flags"
    cmp bl, 0xfe
    CHECK "ror8 imm=7 7f"
    mov bl, 0xd1
    mov cl, 8
    SETFL 0x44
    ror bl, cl
    EXPECT_FL 0x0d5, 0x045, "ror8 cl=8 d1 cf0 flags"
    cmp bl, 0xd1
    CHECK "ror8 cl=8 d1 cf0"
    mov bl, 0xd1
    SETFL 0x44
    ror bl, 8
    EXPECT_FL 0x0d5, 0x045, "ror8 imm=8 d1 flags"
    cmp bl, 0xd1
    CHECK "ror8 imm=8 d1"
    mov bl, 0x7f
    mov cl, 9
    SETFL 0x1
    ror bl, cl
    EXPECT_FL 0x0d5, 0x001, "ror8 cl=9 7f cf1 flags"
    cmp bl, 0xbf
    CHECK "ror8 cl=9 7f cf1"
    mov bl, 0x7f
    SETFL 0x1
    ror bl, 9
    EXPECT_FL 0x0d5, 0x001, "ror8 imm=9 7f flags"
    cmp bl, 0xbf
    CHECK "ror8 imm=9 7f"
    mov bl, 0xf0
    mov cl, 10
    SETFL 0x44
    ror bl, cl
    EXPECT_FL 0x0d5, 0x044, "ror8 cl=10 f0 cf0 flags"
    cmp bl, 0x3c
    CHECK "ror8 cl=10 f0 cf0"
    mov bl, 0xf0
    SETFL 0x44
    ror bl, 10
    EXPECT_FL 0x0d5, 0x044, "ror8 imm=10 f0 flags"
    cmp bl, 0x3c
    CHECK "ror8 imm=10 f0"
    mov bl, 0xc3
    mov cl, 16
    SETFL 0x801
    ror bl, cl
    EXPECT_FL 0x0d5, 0x001, "ror8 cl=16 c3 cf1 flags"
    cmp bl, 0xc3
    CHECK "ror8 cl=16 c3 cf1"
    mov bl, 0xc3
    SETFL 0x801
    ror bl, 16
    EXPECT_FL 0x0d5, 0x001, "ror8 imm=16 c3 flags"
    cmp bl, 0xc3
    CHECK "ror8 imm=16 c3"
    mov bl, 0x6b
    mov cl, 17
    SETFL 0x0
    ror bl, cl
    EXPECT_FL 0x0d5, 0x001, "ror8 cl=17 6b cf0 flags"
    cmp bl, 0xb5
    CHECK "ror8 cl=17 6b cf0"
    mov bl, 0x6b
    SETFL 0x0
    ror bl, 17
    EXPECT_FL 0x0d5, 0x001, "ror8 imm=17 6b flags"
    cmp bl, 0xb5
    CHECK "ror8 imm=17 6b"
    mov bl, 0x81
    mov cl, 31
    SETFL 0x44
    ror bl, cl
    EXPECT_FL 0x0d5, 0x044, "ror8 cl=31 81 cf0 flags"
    cmp bl, 0x3
    CHECK "ror8 cl=31 81 cf0"
    mov bl, 0x81
    SETFL 0x44
    ror bl, 31
    EXPECT_FL 0x0d5, 0x044, "ror8 imm=31 81 flags"
    cmp bl, 0x3
    CHECK "ror8 imm=31 81"
    mov bl, 0x3d
    mov cl, 32
    SETFL 0x801
    ror bl, cl
    EXPECT_FL 0x8d5, 0x801, "ror8 cl=32 3d cf1 flags"
    cmp bl, 0x3d
    CHECK "ror8 cl=32 3d cf1"
    mov bl, 0x3d
    SETFL 0x801
    ror bl, 32
    EXPECT_FL 0x8d5, 0x801, "ror8 imm=32 3d flags"
    cmp bl, 0x3d
    CHECK "ror8 imm=32 3d"
    mov bl, 0x1
    mov cl, 33
    SETFL 0x801
    ror bl, cl
    EXPECT_FL 0x8d5, 0x801, "ror8 cl=33 1 cf1 flags"
    cmp bl, 0x80
    CHECK "ror8 cl=33 1 cf1"
    mov bl, 0x1
    SETFL 0x801
    ror bl, 33
    EXPECT_FL 0x8d5, 0x801, "ror8 imm=33 1 flags"
    cmp bl, 0x80
    CHECK "ror8 imm=33 1"
    mov byte [MEM], 0x7f
    SETFL 0x0
    ror byte [MEM], 1
    EXPECT_FL 0x8d5, 0x801, "ror8 mem,1 flags"
    cmp byte [MEM], 0xbf
    CHECK "ror8 mem,1 mem"
    mov byte [MEM], 0xc3
    SETFL 0x0
    ror byte [MEM], 3
    EXPECT_FL 0x0d5, 0x000, "ror8 mem,3 flags"
    cmp byte [MEM], 0x78
    CHECK "ror8 mem,3 mem"
    mov byte [MEM], 0x7f
    mov cl, 5
    SETFL 1
    ror byte [MEM], cl
    EXPECT_FL 0x0d5, 0x001, "ror8 mem,cl flags"
    cmp byte [MEM], 0xfb
    CHECK "ror8 mem,cl mem"
    mov bx, 0x11b4
    mov cl, 0
    SETFL 0x8d5
    ror bx, cl
    EXPECT_FL 0x8d5, 0x8d5, "ror16 cl=0 11b4 cf1 flags"
    cmp bx, 0x11b4
    CHECK "ror16 cl=0 11b4 cf1"
    mov bx, 0x11b4
    SETFL 0x8d5
    ror bx, 0
    EXPECT_FL 0x8d5, 0x8d5, "ror16 imm=0 11b4 flags"
    cmp bx, 0x11b4
    CHECK "ror16 imm=0 11b4"
    mov bx, 0x7fff
    mov cl, 1
    SETFL 0x0
    ror bx, cl
    EXPECT_FL 0x8d5, 0x801, "ror16 cl=1 7fff cf0 flags"
    cmp bx, 0xbfff
    CHECK "ror16 cl=1 7fff cf0"
    mov bx, 0x7fff
    SETFL 0x0
    ror bx, 1
    EXPECT_FL 0x8d5, 0x801, "ror16 by 1 7fff flags"
    cmp bx, 0xbfff
    CHECK "ror16 by 1 7fff"
    mov bx, 0x4000
    mov cl, 2
    SETFL 0x8d5
    ror bx, cl
    EXPECT_FL 0x0d5, 0x0d4, "ror16 cl=2 4000 cf1 flags"
    cmp bx, 0x1000
    CHECK "ror16 cl=2 4000 cf1"
    mov bx, 0x4000
    SETFL 0x8d5
    ror bx, 2
    EXPECT_FL 0x0d5, 0x0d4, "ror16 imm=2 4000 flags"
    cmp bx, 0x1000
    CHECK "ror16 imm=2 4000"
    mov bx, 0xf91a
    mov cl, 5
    SETFL 0x1
    ror bx, cl
    EXPECT_FL 0x0d5, 0x001, "ror16 cl=5 f91a cf1 flags"
    cmp bx, 0xd7c8
    CHECK "ror16 cl=5 f91a cf1"
    mov bx, 0xf91a
    SETFL 0x1
    ror bx, 5
    EXPECT_FL 0x0d5, 0x001, "ror16 imm=5 f91a flags"
    cmp bx, 0xd7c8
    CHECK "ror16 imm=5 f91a"
    mov bx, 0x7fff
    mov cl, 15
    SETFL 0x801
    ror bx, cl
    EXPECT_FL 0x0d5, 0x001, "ror16 cl=15 7fff cf1 flags"
    cmp bx, 0xfffe
    CHECK "ror16 cl=15 7fff cf1"
    mov bx, 0x7fff
    SETFL 0x801
    ror bx, 15
    EXPECT_FL 0x0d5, 0x001, "ror16 imm=15 7fff flags"
    cmp bx, 0xfffe
    CHECK "ror16 imm=15 7fff"
    mov bx, 0xa82c
    mov cl, 16
    SETFL 0x44
    ror bx, cl
    EXPECT_FL 0x0d5, 0x045, "ror16 cl=16 a82c cf0 flags"
    cmp bx, 0xa82c
    CHECK "ror16 cl=16 a82c cf0"
    mov bx, 0xa82c
    SETFL 0x44
    ror bx, 16
    EXPECT_FL 0x0d5, 0x045, "ror16 imm=16 a82c flags"
    cmp bx, 0xa82c
    CHECK "ror16 imm=16 a82c"
    mov bx, 0x23ed
    mov cl, 17
    SETFL 0x44
    ror bx, cl
    EXPECT_FL 0x0d5, 0x045, "ror16 cl=17 23ed cf0 flags"
    cmp bx, 0x91f6
    CHECK "ror16 cl=17 23ed cf0"
    mov bx, 0x23ed
    SETFL 0x44
    ror bx, 17
    EXPECT_FL 0x0d5, 0x045, "ror16 imm=17 23ed flags"
    cmp bx, 0x91f6
    CHECK "ror16 imm=17 23ed"
    mov bx, 0x8001
    mov cl, 18
    SETFL 0x801
    ror bx, cl
    EXPECT_FL 0x0d5, 0x000, "ror16 cl=18 8001 cf1 flags"
    cmp bx, 0x6000
    CHECK "ror16 cl=18 8001 cf1"
    mov bx, 0x8001
    SETFL 0x801
    ror bx, 18
    EXPECT_FL 0x0d5, 0x000, "ror16 imm=18 8001 flags"
    cmp bx, 0x6000
    CHECK "ror16 imm=18 8001"
    mov bx, 0xb372
    mov cl, 31
    SETFL 0x8d5
    ror bx, cl
    EXPECT_FL 0x0d5, 0x0d4, "ror16 cl=31 b372 cf1 flags"
    cmp bx, 0x66e5
    CHECK "ror16 cl=31 b372 cf1"
    mov bx, 0xb372
    SETFL 0x8d5
    ror bx, 31
    EXPECT_FL 0x0d5, 0x0d4, "ror16 imm=31 b372 flags"
    cmp bx, 0x66e5
    CHECK "ror16 imm=31 b372"
    mov bx, 0x571
    mov cl, 32
    SETFL 0x44
    ror bx, cl
    EXPECT_FL 0x8d5, 0x044, "ror16 cl=32 571 cf0 flags"
    cmp bx, 0x571
    CHECK "ror16 cl=32 571 cf0"
    mov bx, 0x571
    SETFL 0x44
    ror bx, 32
    EXPECT_FL 0x8d5, 0x044, "ror16 imm=32 571 flags"
    cmp bx, 0x571
    CHECK "ror16 imm=32 571"
    mov bx, 0x7b73
    mov cl, 33
    SETFL 0x0
    ror bx, cl
    EXPECT_FL 0x8d5, 0x801, "ror16 cl=33 7b73 cf0 flags"
    cmp bx, 0xbdb9
    CHECK "ror16 cl=33 7b73 cf0"
    mov bx, 0x7b73
    SETFL 0x0
    ror bx, 33
    EXPECT_FL 0x8d5, 0x801, "ror16 imm=33 7b73 flags"
    cmp bx, 0xbdb9
    CHECK "ror16 imm=33 7b73"
    mov word [MEM], 0x51a3
    SETFL 0x0
    ror word [MEM], 1
    EXPECT_FL 0x8d5, 0x801, "ror16 mem,1 flags"
    cmp word [MEM], 0xa8d1
    CHECK "ror16 mem,1 mem"
    mov word [MEM], 0x1344
    SETFL 0x1
    ror word [MEM], 3
    EXPECT_FL 0x0d5, 0x001, "ror16 mem,3 flags"
    cmp word [MEM], 0x8268
    CHECK "ror16 mem,3 mem"
    mov word [MEM], 0xbcac
    mov cl, 5
    SETFL 1
    ror word [MEM], cl
    EXPECT_FL 0x0d5, 0x000, "ror16 mem,cl flags"
    cmp word [MEM], 0x65e5
    CHECK "ror16 mem,cl mem"
    mov ebx, 0x80000000
    mov cl, 0
    SETFL 0x1
    ror ebx, cl
    EXPECT_FL 0x8d5, 0x001, "ror32 cl=0 80000000 cf1 flags"
    cmp ebx, 0x80000000
    CHECK "ror32 cl=0 80000000 cf1"
    mov ebx, 0x80000000
    SETFL 0x1
    ror ebx, 0
    EXPECT_FL 0x8d5, 0x001, "ror32 imm=0 80000000 flags"
    cmp ebx, 0x80000000
    CHECK "ror32 imm=0 80000000"
    mov ebx, 0xea3d9be7
    mov cl, 1
    SETFL 0x8d5
    ror ebx, cl
    EXPECT_FL 0x8d5, 0x0d5, "ror32 cl=1 ea3d9be7 cf1 flags"
    cmp ebx, 0xf51ecdf3
    CHECK "ror32 cl=1 ea3d9be7 cf1"
    mov ebx, 0xea3d9be7
    SETFL 0x8d5
    ror ebx, 1
    EXPECT_FL 0x8d5, 0x0d5, "ror32 by 1 ea3d9be7 flags"
    cmp ebx, 0xf51ecdf3
    CHECK "ror32 by 1 ea3d9be7"
    mov ebx, 0x80000000
    mov cl, 2
    SETFL 0x801
    ror ebx, cl
    EXPECT_FL 0x0d5, 0x000, "ror32 cl=2 80000000 cf1 flags"
    cmp ebx, 0x20000000
    CHECK "ror32 cl=2 80000000 cf1"
    mov ebx, 0x80000000
    SETFL 0x801
    ror ebx, 2
    EXPECT_FL 0x0d5, 0x000, "ror32 imm=2 80000000 flags"
    cmp ebx, 0x20000000
    CHECK "ror32 imm=2 80000000"
    mov ebx, 0xdf007dfa
    mov cl, 5
    SETFL 0x801
    ror ebx, cl
    EXPECT_FL 0x0d5, 0x001, "ror32 cl=5 df007dfa cf1 flags"
    cmp ebx, 0xd6f803ef
    CHECK "ror32 cl=5 df007dfa cf1"
    mov ebx, 0xdf007dfa
    SETFL 0x801
    ror ebx, 5
    EXPECT_FL 0x0d5, 0x001, "ror32 imm=5 df007dfa flags"
    cmp ebx, 0xd6f803ef
    CHECK "ror32 imm=5 df007dfa"
    mov ebx, 0x7bfc096
    mov cl, 16
    SETFL 0x801
    ror ebx, cl
    EXPECT_FL 0x0d5, 0x001, "ror32 cl=16 7bfc096 cf1 flags"
    cmp ebx, 0xc09607bf
    CHECK "ror32 cl=16 7bfc096 cf1"
    mov ebx, 0x7bfc096
    SETFL 0x801
    ror ebx, 16
    EXPECT_FL 0x0d5, 0x001, "ror32 imm=16 7bfc096 flags"
    cmp ebx, 0xc09607bf
    CHECK "ror32 imm=16 7bfc096"
    mov ebx, 0x9ffd6a18
    mov cl, 30
    SETFL 0x801
    ror ebx, cl
    EXPECT_FL 0x0d5, 0x000, "ror32 cl=30 9ffd6a18 cf1 flags"
    cmp ebx, 0x7ff5a862
    CHECK "ror32 cl=30 9ffd6a18 cf1"
    mov ebx, 0x9ffd6a18
    SETFL 0x801
    ror ebx, 30
    EXPECT_FL 0x0d5, 0x000, "ror32 imm=30 9ffd6a18 flags"
    cmp ebx, 0x7ff5a862
    CHECK "ror32 imm=30 9ffd6a18"
    mov ebx, 0x80000001
    mov cl, 31
    SETFL 0x44
    ror ebx, cl
    EXPECT_FL 0x0d5, 0x044, "ror32 cl=31 80000001 cf0 flags"
    cmp ebx, 0x3
    CHECK "ror32 cl=31 80000001 cf0"
    mov ebx, 0x80000001
    SETFL 0x44
    ror ebx, 31
    EXPECT_FL 0x0d5, 0x044, "ror32 imm=31 80000001 flags"
    cmp ebx, 0x3
    CHECK "ror32 imm=31 80000001"
    mov ebx, 0x80000001
    mov cl, 32
    SETFL 0x0
    ror ebx, cl
    EXPECT_FL 0x8d5, 0x000, "ror32 cl=32 80000001 cf0 flags"
    cmp ebx, 0x80000001
    CHECK "ror32 cl=32 80000001 cf0"
    mov ebx, 0x80000001
    SETFL 0x0
    ror ebx, 32
    EXPECT_FL 0x8d5, 0x000, "ror32 imm=32 80000001 flags"
    cmp ebx, 0x80000001
    CHECK "ror32 imm=32 80000001"
    mov ebx, 0xe13a0996
    mov cl, 33
    SETFL 0x801
    ror ebx, cl
    EXPECT_FL 0x8d5, 0x800, "ror32 cl=33 e13a0996 cf1 flags"
    cmp ebx, 0x709d04cb
    CHECK "ror32 cl=33 e13a0996 cf1"
    mov ebx, 0xe13a0996
    SETFL 0x801
    ror ebx, 33
    EXPECT_FL 0x8d5, 0x800, "ror32 imm=33 e13a0996 flags"
    cmp ebx, 0x709d04cb
    CHECK "ror32 imm=33 e13a0996"
    mov dword [MEM], 0x6370903f
    SETFL 0x1
    ror dword [MEM], 1
    EXPECT_FL 0x8d5, 0x801, "ror32 mem,1 flags"
    cmp dword [MEM], 0xb1b8481f
    CHECK "ror32 mem,1 mem"
    mov dword [MEM], 0x1
    SETFL 0x0
    ror dword [MEM], 3
    EXPECT_FL 0x0d5, 0x000, "ror32 mem,3 flags"
    cmp dword [MEM], 0x20000000
    CHECK "ror32 mem,3 mem"
    mov dword [MEM], 0x83b852d7
    mov cl, 5
    SETFL 1
    ror dword [MEM], cl
    EXPECT_FL 0x0d5, 0x001, "ror32 mem,cl flags"
    cmp dword [MEM], 0xbc1dc296
    CHECK "ror32 mem,cl mem"
    PUTS `shift: rcl\n`
    mov bl, 0x1
    mov cl, 0
    SETFL 0x0
    rcl bl, cl
    EXPECT_FL 0x8d5, 0x000, "rcl8 cl=0 1 cf0 flags"
    cmp bl, 0x1
    CHECK "rcl8 cl=0 1 cf0"
    mov bl, 0x1
    SETFL 0x0
    rcl bl, 0
    EXPECT_FL 0x8d5, 0x000, "rcl8 imm=0 1 flags"
    cmp bl, 0x1
    CHECK "rcl8 imm=0 1"
    mov bl, 0x7f
    mov cl, 1
    SETFL 0x0
    rcl bl, cl
    EXPECT_FL 0x8d5, 0x800, "rcl8 cl=1 7f cf0 flags"
    cmp bl, 0xfe
    CHECK "rcl8 cl=1 7f cf0"
    mov bl, 0x7f
    SETFL 0x0
    rcl bl, 1
    EXPECT_FL 0x8d5, 0x800, "rcl8 by 1 7f flags"
    cmp bl, 0xfe
    CHECK "rcl8 by 1 7f"
    mov bl, 0x1
    mov cl, 2
    SETFL 0x801
    rcl bl, cl
    EXPECT_FL 0x0d5, 0x000, "rcl8 cl=2 1 cf1 flags"
    cmp bl, 0x6
    CHECK "rcl8 cl=2 1 cf1"
    mov bl, 0x1
    SETFL 0x801
    rcl bl, 2
    EXPECT_FL 0x0d5, 0x000, "rcl8 imm=2 1 flags"
    cmp bl, 0x6
    CHECK "rcl8 imm=2 1"
    mov bl, 0x81
    mov cl, 3
    SETFL 0x8d5
    rcl bl, cl
    EXPECT_FL 0x0d5, 0x0d4, "rcl8 cl=3 81 cf1 flags"
    cmp bl, 0xe
    CHECK "rcl8 cl=3 81 cf1"
    mov bl, 0x81
    SETFL 0x8d5
    rcl bl, 3
    EXPECT_FL 0x0d5, 0x0d4, "rcl8 imm=3 81 flags"
    cmp bl, 0xe
    CHECK "rcl8 imm=3 81"
    mov bl, 0x80
    mov cl, 7
    SETFL 0x44
    rcl bl, cl
    EXPECT_FL 0x0d5, 0x044, "rcl8 cl=7 80 cf0 flags"
    cmp bl, 0x20
    CHECK "rcl8 cl=7 80 cf0"
    mov bl, 0x80
    SETFL 0x44
    rcl bl, 7
    EXPECT_FL 0x0d5, 0x044, "rcl8 imm=7 80 flags"
    cmp bl, 0x20
    CHECK "rcl8 imm=7 80"
    mov bl, 0x7f
    mov cl, 8
    SETFL 0x8d5
    rcl bl, cl
    EXPECT_FL 0x0d5, 0x0d5, "rcl8 cl=8 7f cf1 flags"
    cmp bl, 0xbf
    CHECK "rcl8 cl=8 7f cf1"
    mov bl, 0x7f
    SETFL 0x8d5
    rcl bl, 8
    EXPECT_FL 0x0d5, 0x0d5, "rcl8 imm=8 7f flags"
    cmp bl, 0xbf
    CHECK "rcl8 imm=8 7f"
    mov bl, 0x71
    mov cl, 9
    SETFL 0x801
    rcl bl, cl
    EXPECT_FL 0x0d5, 0x001, "rcl8 cl=9 71 cf1 flags"
    cmp bl, 0x71
    CHECK "rcl8 cl=9 71 cf1"
    mov bl, 0x71
    SETFL 0x801
    rcl bl, 9
    EXPECT_FL 0x0d5, 0x001, "rcl8 imm=9 71 flags"
    cmp bl, 0x71
    CHECK "rcl8 imm=9 71"
    mov bl, 0x53
    mov cl, 10
    SETFL 0x801
    rcl bl, cl
    EXPECT_FL 0x0d5, 0x000, "rcl8 cl=10 53 cf1 flags"
    cmp bl, 0xa7
    CHECK "rcl8 cl=10 53 cf1"
    mov bl, 0x53
    SETFL 0x801
    rcl bl, 10
    EXPECT_FL 0x0d5, 0x000, "rcl8 imm=10 53 flags"
    cmp bl, 0xa7
    CHECK "rcl8 imm=10 53"
    mov bl, 0x32
    mov cl, 16
    SETFL 0x801
    rcl bl, cl
    EXPECT_FL 0x0d5, 0x001, "rcl8 cl=16 32 cf1 flags"
    cmp bl, 0x4c
    CHECK "rcl8 cl=16 32 cf1"
    mov bl, 0x32
    SETFL 0x801
    rcl bl, 16
    EXPECT_FL 0x0d5, 0x001, "rcl8 imm=16 32 flags"
    cmp bl, 0x4c
    CHECK "rcl8 imm=16 32"
    mov bl, 0xc1
    mov cl, 17
    SETFL 0x1
    rcl bl, cl
    EXPECT_FL 0x0d5, 0x001, "rcl8 cl=17 c1 cf1 flags"
    cmp bl, 0xe0
    CHECK "rcl8 cl=17 c1 cf1"
    mov bl, 0xc1
    SETFL 0x1
    rcl bl, 17
    EXPECT_FL 0x0d5, 0x001, "rcl8 imm=17 c1 flags"
    cmp bl, 0xe0
    CHECK "rcl8 imm=17 c1"
    mov bl, 0x62
    mov cl, 31
    SETFL 0x1
    rcl bl, cl
    EXPECT_FL 0x0d5, 0x000, "rcl8 cl=31 62 cf1 flags"
    cmp bl, 0x2b
    CHECK "rcl8 cl=31 62 cf1"
    mov bl, 0x62
    SETFL 0x1
    rcl bl, 31
    EXPECT_FL 0x0d5, 0x000, "rcl8 imm=31 62 flags"
    cmp bl, 0x2b
    CHECK "rcl8 imm=31 62"
    mov bl, 0x51
    mov cl, 32
    SETFL 0x1
    rcl bl, cl
    EXPECT_FL 0x8d5, 0x001, "rcl8 cl=32 51 cf1 flags"
    cmp bl, 0x51
    CHECK "rcl8 cl=32 51 cf1"
    mov bl, 0x51
    SETFL 0x1
    rcl bl, 32
    EXPECT_FL 0x8d5, 0x001, "rcl8 imm=32 51 flags"
    cmp bl, 0x51
    CHECK "rcl8 imm=32 51"
    mov bl, 0xc3
    mov cl, 33
    SETFL 0x8d5
    rcl bl, cl
    EXPECT_FL 0x8d5, 0x0d5, "rcl8 cl=33 c3 cf1 flags"
    cmp bl, 0x87
    CHECK "rcl8 cl=33 c3 cf1"
    mov bl, 0xc3
    SETFL 0x8d5
    rcl bl, 33
    EXPECT_FL 0x8d5, 0x0d5, "rcl8 imm=33 c3 flags"
    cmp bl, 0x87
    CHECK "rcl8 imm=33 c3"
    mov byte [MEM], 0xd9
    SETFL 0x0
    rcl byte [MEM], 1
    EXPECT_FL 0x8d5, 0x001, "rcl8 mem,1 flags"
    cmp byte [MEM], 0xb2
    CHECK "rcl8 mem,1 mem"
    mov byte [MEM], 0xf3
    SETFL 0x1
    rcl byte [MEM], 3
    EXPECT_FL 0x0d5, 0x001, "rcl8 mem,3 flags"
    cmp byte [MEM], 0x9f
    CHECK "rcl8 mem,3 mem"
    mov byte [MEM], 0x1c
    mov cl, 5
    SETFL 1
    rcl byte [MEM], cl
    EXPECT_FL 0x0d5, 0x001, "rcl8 mem,cl flags"
    cmp byte [MEM], 0x91
    CHECK "rcl8 mem,cl mem"
    mov bx, 0x4000
    mov cl, 0
    SETFL 0x1
    rcl bx, cl
    EXPECT_FL 0x8d5, 0x001, "rcl16 cl=0 4000 cf1 flags"
    cmp bx, 0x4000
    CHECK "rcl16 cl=0 4000 cf1"
    mov bx, 0x4000
    SETFL 0x1
    rcl bx, 0
    EXPECT_FL 0x8d5, 0x001, "rcl16 imm=0 4000 flags"
    cmp bx, 0x4000
    CHECK "rcl16 imm=0 4000"
    mov bx, 0x61ee
    mov cl, 1
    SETFL 0x44
    rcl bx, cl
    EXPECT_FL 0x8d5, 0x844, "rcl16 cl=1 61ee cf0 flags"
    cmp bx, 0xc3dc
    CHECK "rcl16 cl=1 61ee cf0"
    mov bx, 0x61ee
    SETFL 0x44
    rcl bx, 1
    EXPECT_FL 0x8d5, 0x844, "rcl16 by 1 61ee flags"
    cmp bx, 0xc3dc
    CHECK "rcl16 by 1 61ee"
    mov bx, 0x4000
    mov cl, 2
    SETFL 0x44
    rcl bx, cl
    EXPECT_FL 0x0d5, 0x045, "rcl16 cl=2 4000 cf0 flags"
    cmp bx, 0x0
    CHECK "rcl16 cl=2 4000 cf0"
    mov bx, 0x4000
    SETFL 0x44
    rcl bx, 2
    EXPECT_FL 0x0d5, 0x045, "rcl16 imm=2 4000 flags"
    cmp bx, 0x0
    CHECK "rcl16 imm=2 4000"
    mov bx, 0x8001
    mov cl, 5
    SETFL 0x0
    rcl bx, cl
    EXPECT_FL 0x0d5, 0x000, "rcl16 cl=5 8001 cf0 flags"
    cmp bx, 0x28
    CHECK "rcl16 cl=5 8001 cf0"
    mov bx, 0x8001
    SETFL 0x0
    rcl bx, 5
    EXPECT_FL 0x0d5, 0x000, "rcl16 imm=5 8001 flags"
    cmp bx, 0x28
    CHECK "rcl16 imm=5 8001"
    mov bx, 0x1
    mov cl, 15
    SETFL 0x0
    rcl bx, cl
    EXPECT_FL 0x0d5, 0x000, "rcl16 cl=15 1 cf0 flags"
    cmp bx, 0x8000
    CHECK "rcl16 cl=15 1 cf0"
    mov bx, 0x1
    SETFL 0x0
    rcl bx, 15
    EXPECT_FL 0x0d5, 0x000, "rcl16 imm=15 1 flags"
    cmp bx, 0x8000
    CHECK "rcl16 imm=15 1"
    mov bx, 0x47f4
    mov cl, 16
    SETFL 0x44
    rcl bx, cl
    EXPECT_FL 0x0d5, 0x044, "rcl16 cl=16 47f4 cf0 flags"
    cmp bx, 0x23fa
    CHECK "rcl16 cl=16 47f4 cf0"
    mov bx, 0x47f4
    SETFL 0x44
    rcl bx, 16
    EXPECT_FL 0x0d5, 0x044, "rcl16 imm=16 47f4 flags"
    cmp bx, 0x23fa
    CHECK "rcl16 imm=16 47f4"
    mov bx, 0x8000
    mov cl, 17
    SETFL 0x44
    rcl bx, cl
    EXPECT_FL 0x0d5, 0x044, "rcl16 cl=17 8000 cf0 flags"
    cmp bx, 0x8000
    CHECK "rcl16 cl=17 8000 cf0"
    mov bx, 0x8000
    SETFL 0x44
    rcl bx, 17
    EXPECT_FL 0x0d5, 0x044, "rcl16 imm=17 8000 flags"
    cmp bx, 0x8000
    CHECK "rcl16 imm=17 8000"
    mov bx, 0x7fff
    mov cl, 18
    SETFL 0x801
    rcl bx, cl
    EXPECT_FL 0x0d5, 0x000, "rcl16 cl=18 7fff cf1 flags"
    cmp bx, 0xffff
    CHECK "rcl16 cl=18 7fff cf1"
    mov bx, 0x7fff
    SETFL 0x801
    rcl bx, 18
    EXPECT_FL 0x0d5, 0x000, "rcl16 imm=18 7fff flags"
    cmp bx, 0xffff
    CHECK "rcl16 imm=18 7fff"
    mov bx, 0x8001
    mov cl, 31
    SETFL 0x8d5
    rcl bx, cl
    EXPECT_FL 0x0d5, 0x0d4, "rcl16 cl=31 8001 cf1 flags"
    cmp bx, 0x7000
    CHECK "rcl16 cl=31 8001 cf1"
    mov bx, 0x8001
    SETFL 0x8d5
    rcl bx, 31
    EXPECT_FL 0x0d5, 0x0d4, "rcl16 imm=31 8001 flags"
    cmp bx, 0x7000
    CHECK "rcl16 imm=31 8001"
    mov bx, 0x7fff
    mov cl, 32
    SETFL 0x0
    rcl bx, cl
    EXPECT_FL 0x8d5, 0x000, "rcl16 cl=32 7fff cf0 flags"
    cmp bx, 0x7fff
    CHECK "rcl16 cl=32 7fff cf0"
    mov bx, 0x7fff
    SETFL 0x0
    rcl bx, 32
    EXPECT_FL 0x8d5, 0x000, "rcl16 imm=32 7fff flags"
    cmp bx, 0x7fff
    CHECK "rcl16 imm=32 7fff"
    mov bx, 0x1d84
    mov cl, 33
    SETFL 0x801
    rcl bx, cl
    EXPECT_FL 0x8d5, 0x000, "rcl16 cl=33 1d84 cf1 flags"
    cmp bx, 0x3b09
    CHECK "rcl16 cl=33 1d84 cf1"
    mov bx, 0x1d84
    SETFL 0x801
    rcl bx, 33
    EXPECT_FL 0x8d5, 0x000, "rcl16 imm=33 1d84 flags"
    cmp bx, 0x3b09
    CHECK "rcl16 imm=33 1d84"
    mov word [MEM], 0x1
    SETFL 0x1
    rcl word [MEM], 1
    EXPECT_FL 0x8d5, 0x000, "rcl16 mem,1 flags"
    cmp word [MEM], 0x3
    CHECK "rcl16 mem,1 mem"
    mov word [MEM], 0xaf3a
    SETFL 0x0
    rcl word [MEM], 3
    EXPECT_FL 0x0d5, 0x001, "rcl16 mem,3 flags"
    cmp word [MEM], 0x79d2
    CHECK "rcl16 mem,3 mem"
    mov word [MEM], 0xc3a5
    mov cl, 5
    SETFL 1
    rcl word [MEM], cl
    EXPECT_FL 0x0d5, 0x000, "rcl16 mem,cl flags"
    cmp word [MEM], 0x74bc
    CHECK "rcl16 mem,cl mem"
    mov ebx, 0x80000000
    mov cl, 0
    SETFL 0x0
    rcl ebx, cl
    EXPECT_FL 0x8d5, 0x000, "rcl32 cl=0 80000000 cf0 flags"
    cmp ebx, 0x80000000
    CHECK "rcl32 cl=0 80000000 cf0"
    mov ebx, 0x80000000
    SETFL 0x0
    rcl ebx, 0
    EXPECT_FL 0x8d5, 0x000, "rcl32 imm=0 80000000 flags"
    cmp ebx, 0x80000000
    CHECK "rcl32 imm=0 80000000"
    mov ebx, 0x88ebd524
    mov cl, 1
    SETFL 0x0
    rcl ebx, cl
    EXPECT_FL 0x8d5, 0x801, "rcl32 cl=1 88ebd524 cf0 flags"
    cmp ebx, 0x11d7aa48
    CHECK "rcl32 cl=1 88ebd524 cf0"
    mov ebx, 0x88ebd524
    SETFL 0x0
    rcl ebx, 1
    EXPECT_FL 0x8d5, 0x801, "rcl32 by 1 88ebd524 flags"
    cmp ebx, 0x11d7aa48
    CHECK "rcl32 by 1 88ebd524"
    mov ebx, 0x40000000
    mov cl, 2
    SETFL 0x8d5
    rcl ebx, cl
    EXPECT_FL 0x0d5, 0x0d5, "rcl32 cl=2 40000000 cf1 flags"
    cmp ebx, 0x2
    CHECK "rcl32 cl=2 40000000 cf1"
    mov ebx, 0x40000000
    SETFL 0x8d5
    rcl ebx, 2
    EXPECT_FL 0x0d5, 0x0d5, "rcl32 imm=2 40000000 flags"
    cmp ebx, 0x2
    CHECK "rcl32 imm=2 40000000"
    mov ebx, 0xf262b76d
    mov cl, 5
    SETFL 0x44
    rcl ebx, cl
    EXPECT_FL 0x0d5, 0x044, "rcl32 cl=5 f262b76d cf0 flags"
    cmp ebx, 0x4c56edaf
    CHECK "rcl32 cl=5 f262b76d cf0"
    mov ebx, 0xf262b76d
    SETFL 0x44
    rcl ebx, 5
    EXPECT_FL 0x0d5, 0x044, "rcl32 imm=5 f262b76d flags"
    cmp ebx, 0x4c56edaf
    CHECK "rcl32 imm=5 f262b76d"
    mov ebx, 0xff2edc17
    mov cl, 16
    SETFL 0x1
    rcl ebx, cl
    EXPECT_FL 0x0d5, 0x000, "rcl32 cl=16 ff2edc17 cf1 flags"
    cmp ebx, 0xdc17ff97
    CHECK "rcl32 cl=16 ff2edc17 cf1"
    mov ebx, 0xff2edc17
    SETFL 0x1
    rcl ebx, 16
    EXPECT_FL 0x0d5, 0x000, "rcl32 imm=16 ff2edc17 flags"
    cmp ebx, 0xdc17ff97
    CHECK "rcl32 imm=16 ff2edc17"
    mov ebx, 0x80000000
    mov cl, 30
    SETFL 0x1
    rcl ebx, cl
    EXPECT_FL 0x0d5, 0x000, "rcl32 cl=30 80000000 cf1 flags"
    cmp ebx, 0x30000000
    CHECK "rcl32 cl=30 80000000 cf1"
    mov ebx, 0x80000000
    SETFL 0x1
    rcl ebx, 30
    EXPECT_FL 0x0d5, 0x000, "rcl32 imm=30 80000000 flags"
    cmp ebx, 0x30000000
    CHECK "rcl32 imm=30 80000000"
    mov ebx, 0x80000000
    mov cl, 31
    SETFL 0x801
    rcl ebx, cl
    EXPECT_FL 0x0d5, 0x000, "rcl32 cl=31 80000000 cf1 flags"
    cmp ebx, 0x60000000
    CHECK "rcl32 cl=31 80000000 cf1"
    mov ebx, 0x80000000
    SETFL 0x801
    rcl ebx, 31
    EXPECT_FL 0x0d5, 0x000, "rcl32 imm=31 80000000 flags"
    cmp ebx, 0x60000000
    CHECK "rcl32 imm=31 80000000"
    mov ebx, 0xc3a5f00f
    mov cl, 32
    SETFL 0x1
    rcl ebx, cl
    EXPECT_FL 0x8d5, 0x001, "rcl32 cl=32 c3a5f00f cf1 flags"
    cmp ebx, 0xc3a5f00f
    CHECK "rcl32 cl=32 c3a5f00f cf1"
    mov ebx, 0xc3a5f00f
    SETFL 0x1
    rcl ebx, 32
    EXPECT_FL 0x8d5, 0x001, "rcl32 imm=32 c3a5f00f flags"
    cmp ebx, 0xc3a5f00f
    CHECK "rcl32 imm=32 c3a5f00f"
    mov ebx, 0xe8f37d7e
    mov cl, 33
    SETFL 0x0
    rcl ebx, cl
    EXPECT_FL 0x8d5, 0x001, "rcl32 cl=33 e8f37d7e cf0 flags"
    cmp ebx, 0xd1e6fafc
    CHECK "rcl32 cl=33 e8f37d7e cf0"
    mov ebx, 0xe8f37d7e
    SETFL 0x0
    rcl ebx, 33
    EXPECT_FL 0x8d5, 0x001, "rcl32 imm=33 e8f37d7e flags"
    cmp ebx, 0xd1e6fafc
    CHECK "rcl32 imm=33 e8f37d7e"
    mov dword [MEM], 0x1
    SETFL 0x1
    rcl dword [MEM], 1
    EXPECT_FL 0x8d5, 0x000, "rcl32 mem,1 flags"
    cmp dword [MEM], 0x3
    CHECK "rcl32 mem,1 mem"
    mov dword [MEM], 0x80000000
    SETFL 0x0
    rcl dword [MEM], 3
    EXPECT_FL 0x0d5, 0x000, "rcl32 mem,3 flags"
    cmp dword [MEM], 0x2
    CHECK "rcl32 mem,3 mem"
    mov dword [MEM], 0x80000000
    mov cl, 5
    SETFL 1
    rcl dword [MEM], cl
    EXPECT_FL 0x0d5, 0x000, "rcl32 mem,cl flags"
    cmp dword [MEM], 0x18
    CHECK "rcl32 mem,cl mem"
    PUTS `shift: rcr\n`
    mov bl, 0x1f
    mov cl, 0
    SETFL 0x1
    rcr bl, cl
    EXPECT_FL 0x8d5, 0x001, "rcr8 cl=0 1f cf1 flags"
    cmp bl, 0x1f
    CHECK "rcr8 cl=0 1f cf1"
    mov bl, 0x1f
    SETFL 0x1
    rcr bl, 0
    EXPECT_FL 0x8d5, 0x001, "rcr8 imm=0 1f flags"
    cmp bl, 0x1f
    CHECK "rcr8 imm=0 1f"
    mov bl, 0xc3
    mov cl, 1
    SETFL 0x0
    rcr bl, cl
    EXPECT_FL 0x8d5, 0x801, "rcr8 cl=1 c3 cf0 flags"
    cmp bl, 0x61
    CHECK "rcr8 cl=1 c3 cf0"
    mov bl, 0xc3
    SETFL 0x0
    rcr bl, 1
    EXPECT_FL 0x8d5, 0x801, "rcr8 by 1 c3 flags"
    cmp bl, 0x61
    CHECK "rcr8 by 1 c3"
    mov bl, 0x89
    mov cl, 2
    SETFL 0x8d5
    rcr bl, cl
    EXPECT_FL 0x0d5, 0x0d4, "rcr8 cl=2 89 cf1 flags"
    cmp bl, 0xe2
    CHECK "rcr8 cl=2 89 cf1"
    mov bl, 0x89
    SETFL 0x8d5
    rcr bl, 2
    EXPECT_FL 0x0d5, 0x0d4, "rcr8 imm=2 89 flags"
    cmp bl, 0xe2
    CHECK "rcr8 imm=2 89"
    mov bl, 0x80
    mov cl, 3
    SETFL 0x0
    rcr bl, cl
    EXPECT_FL 0x0d5, 0x000, "rcr8 cl=3 80 cf0 flags"
    cmp bl, 0x10
    CHECK "rcr8 cl=3 80 cf0"
    mov bl, 0x80
    SETFL 0x0
    rcr bl, 3
    EXPECT_FL 0x0d5, 0x000, "rcr8 imm=3 80 flags"
    cmp bl, 0x10
    CHECK "rcr8 imm=3 80"
    mov bl, 0x81
    mov cl, 7
    SETFL 0x0
    rcr bl, cl
    EXPECT_FL 0x0d5, 0x000, "rcr8 cl=7 81 cf0 flags"
    cmp bl, 0x5
    CHECK "rcr8 cl=7 81 cf0"
    mov bl, 0x81
    SETFL 0x0
    rcr bl, 7
    EXPECT_FL 0x0d5, 0x000, "rcr8 imm=7 81 flags"
    cmp bl, 0x5
    CHECK "rcr8 imm=7 81"
    mov bl, 0x1
    mov cl, 8
    SETFL 0x801
    rcr bl, cl
    EXPECT_FL 0x0d5, 0x000, "rcr8 cl=8 1 cf1 flags"
    cmp bl, 0x3
    CHECK "rcr8 cl=8 1 cf1"
    mov bl, 0x1
    SETFL 0x801
    rcr bl, 8
    EXPECT_FL 0x0d5, 0x000, "rcr8 imm=8 1 flags"
    cmp bl, 0x3
    CHECK "rcr8 imm=8 1"
    mov bl, 0x7c
    mov cl, 9
    SETFL 0x0
    rcr bl, cl
    EXPECT_FL 0x0d5, 0x000, "rcr8 cl=9 7c cf0 flags"
    cmp bl, 0x7c
    CHECK "rcr8 cl=9 7c cf0"
    mov bl, 0x7c
    SETFL 0x0
    rcr bl, 9
    EXPECT_FL 0x0d5, 0x000, "rcr8 imm=9 7c flags"
    cmp bl, 0x7c
    CHECK "rcr8 imm=9 7c"
    mov bl, 0x81
    mov cl, 10
    SETFL 0x801
    rcr bl, cl
    EXPECT_FL 0x0d5, 0x001, "rcr8 cl=10 81 cf1 flags"
    cmp bl, 0xc0
    CHECK "rcr8 cl=10 81 cf1"
    mov bl, 0x81
    SETFL 0x801
    rcr bl, 10
    EXPECT_FL 0x0d5, 0x001, "rcr8 imm=10 81 flags"
    cmp bl, 0xc0
    CHECK "rcr8 imm=10 81"
    mov bl, 0x2c
    mov cl, 16
    SETFL 0x44
    rcr bl, cl
    EXPECT_FL 0x0d5, 0x044, "rcr8 cl=16 2c cf0 flags"
    cmp bl, 0xb0
    CHECK "rcr8 cl=16 2c cf0"
    mov bl, 0x2c
    SETFL 0x44
    rcr bl, 16
    EXPECT_FL 0x0d5, 0x044, "rcr8 imm=16 2c flags"
    cmp bl, 0xb0
    CHECK "rcr8 imm=16 2c"
    mov bl, 0x7f
    mov cl, 17
    SETFL 0x801
    rcr bl, cl
    EXPECT_FL 0x0d5, 0x000, "rcr8 cl=17 7f cf1 flags"
    cmp bl, 0xff
    CHECK "rcr8 cl=17 7f cf1"
    mov bl, 0x7f
    SETFL 0x801
    rcr bl, 17
    EXPECT_FL 0x0d5, 0x000, "rcr8 imm=17 7f flags"
    cmp bl, 0xff
    CHECK "rcr8 imm=17 7f"
    mov bl, 0x1
    mov cl, 31
    SETFL 0x44
    rcr bl, cl
    EXPECT_FL 0x0d5, 0x044, "rcr8 cl=31 1 cf0 flags"
    cmp bl, 0x20
    CHECK "rcr8 cl=31 1 cf0"
    mov bl, 0x1
    SETFL 0x44
    rcr bl, 31
    EXPECT_FL 0x0d5, 0x044, "rcr8 imm=31 1 flags"
    cmp bl, 0x20
    CHECK "rcr8 imm=31 1"
    mov bl, 0xb0
    mov cl, 32
    SETFL 0x801
    rcr bl, cl
    EXPECT_FL 0x8d5, 0x801, "rcr8 cl=32 b0 cf1 flags"
    cmp bl, 0xb0
    CHECK "rcr8 cl=32 b0 cf1"
    mov bl, 0xb0
    SETFL 0x801
    rcr bl, 32
    EXPECT_FL 0x8d5, 0x801, "rcr8 imm=32 b0 flags"
    cmp bl, 0xb0
    CHECK "rcr8 imm=32 b0"
    mov bl, 0x7e
    mov cl, 33
    SETFL 0x44
    rcr bl, cl
    EXPECT_FL 0x8d5, 0x044, "rcr8 cl=33 7e cf0 flags"
    cmp bl, 0x3f
    CHECK "rcr8 cl=33 7e cf0"
    mov bl, 0x7e
    SETFL 0x44
    rcr bl, 33
    EXPECT_FL 0x8d5, 0x044, "rcr8 imm=33 7e flags"
    cmp bl, 0x3f
    CHECK "rcr8 imm=33 7e"
    mov byte [MEM], 0x16
    SETFL 0x0
    rcr byte [MEM], 1
    EXPECT_FL 0x8d5, 0x000, "rcr8 mem,1 flags"
    cmp byte [MEM], 0xb
    CHECK "rcr8 mem,1 mem"
    mov byte [MEM], 0x1
    SETFL 0x1
    rcr byte [MEM], 3
    EXPECT_FL 0x0d5, 0x000, "rcr8 mem,3 flags"
    cmp byte [MEM], 0x60
    CHECK "rcr8 mem,3 mem"
    mov byte [MEM], 0x8f
    mov cl, 5
    SETFL 1
    rcr byte [MEM], cl
    EXPECT_FL 0x0d5, 0x000, "rcr8 mem,cl flags"
    cmp byte [MEM], 0xfc
    CHECK "rcr8 mem,cl mem"
    mov bx, 0x85d5
    mov cl, 0
    SETFL 0x44
    rcr bx, cl
    EXPECT_FL 0x8d5, 0x044, "rcr16 cl=0 85d5 cf0 flags"
    cmp bx, 0x85d5
    CHECK "rcr16 cl=0 85d5 cf0"
    mov bx, 0x85d5
    SETFL 0x44
    rcr bx, 0
    EXPECT_FL 0x8d5, 0x044, "rcr16 imm=0 85d5 flags"
    cmp bx, 0x85d5
    CHECK "rcr16 imm=0 85d5"
    mov bx, 0x8f5a
    mov cl, 1
    SETFL 0x8d5
    rcr bx, cl
    EXPECT_FL 0x8d5, 0x0d4, "rcr16 cl=1 8f5a cf1 flags"
    cmp bx, 0xc7ad
    CHECK "rcr16 cl=1 8f5a cf1"
    mov bx, 0x8f5a
    SETFL 0x8d5
    rcr bx, 1
    EXPECT_FL 0x8d5, 0x0d4, "rcr16 by 1 8f5a flags"
    cmp bx, 0xc7ad
    CHECK "rcr16 by 1 8f5a"
    mov bx, 0xc3a5
    mov cl, 2
    SETFL 0x44
    rcr bx, cl
    EXPECT_FL 0x0d5, 0x044, "rcr16 cl=2 c3a5 cf0 flags"
    cmp bx, 0xb0e9
    CHECK "rcr16 cl=2 c3a5 cf0"
    mov bx, 0xc3a5
    SETFL 0x44
    rcr bx, 2
    EXPECT_FL 0x0d5, 0x044, "rcr16 imm=2 c3a5 flags"
    cmp bx, 0xb0e9
    CHECK "rcr16 imm=2 c3a5"
    mov bx, 0x7fff
    mov cl, 5
    SETFL 0x44
    rcr bx, cl
    EXPECT_FL 0x0d5, 0x045, "rcr16 cl=5 7fff cf0 flags"
    cmp bx, 0xf3ff
    CHECK "rcr16 cl=5 7fff cf0"
    mov bx, 0x7fff
    SETFL 0x44
    rcr bx, 5
    EXPECT_FL 0x0d5, 0x045, "rcr16 imm=5 7fff flags"
    cmp bx, 0xf3ff
    CHECK "rcr16 imm=5 7fff"
    mov bx, 0x92af
    mov cl, 15
    SETFL 0x801
    rcr bx, cl
    EXPECT_FL 0x0d5, 0x000, "rcr16 cl=15 92af cf1 flags"
    cmp bx, 0x4abf
    CHECK "rcr16 cl=15 92af cf1"
    mov bx, 0x92af
    SETFL 0x801
    rcr bx, 15
    EXPECT_FL 0x0d5, 0x000, "rcr16 imm=15 92af flags"
    cmp bx, 0x4abf
    CHECK "rcr16 imm=15 92af"
    mov bx, 0x1
    mov cl, 16
    SETFL 0x0
    rcr bx, cl
    EXPECT_FL 0x0d5, 0x000, "rcr16 cl=16 1 cf0 flags"
    cmp bx, 0x2
    CHECK "rcr16 cl=16 1 cf0"
    mov bx, 0x1
    SETFL 0x0
    rcr bx, 16
    EXPECT_FL 0x0d5, 0x000, "rcr16 imm=16 1 flags"
    cmp bx, 0x2
    CHECK "rcr16 imm=16 1"
    mov bx, 0x9af0
    mov cl, 17
    SETFL 0x801
    rcr bx, cl
    EXPECT_FL 0x0d5, 0x001, "rcr16 cl=17 9af0 cf1 flags"
    cmp bx, 0x9af0
    CHECK "rcr16 cl=17 9af0 cf1"
    mov bx, 0x9af0
    SETFL 0x801
    rcr bx, 17
    EXPECT_FL 0x0d5, 0x001, "rcr16 imm=17 9af0 flags"
    cmp bx, 0x9af0
    CHECK "rcr16 imm=17 9af0"
    mov bx, 0x8001
    mov cl, 18
    SETFL 0x44
    rcr bx, cl
    EXPECT_FL 0x0d5, 0x045, "rcr16 cl=18 8001 cf0 flags"
    cmp bx, 0x4000
    CHECK "rcr16 cl=18 8001 cf0"
    mov bx, 0x8001
    SETFL 0x44
    rcr bx, 18
    EXPECT_FL 0x0d5, 0x045, "rcr16 imm=18 8001 flags"
    cmp bx, 0x4000
    CHECK "rcr16 imm=18 8001"
    mov bx, 0x8b43
    mov cl, 31
    SETFL 0x44
    rcr bx, cl
    EXPECT_FL 0x0d5, 0x044, "rcr16 cl=31 8b43 cf0 flags"
    cmp bx, 0x5a1a
    CHECK "rcr16 cl=31 8b43 cf0"
    mov bx, 0x8b43
    SETFL 0x44
    rcr bx, 31
    EXPECT_FL 0x0d5, 0x044, "rcr16 imm=31 8b43 flags"
    cmp bx, 0x5a1a
    CHECK "rcr16 imm=31 8b43"
    mov bx, 0x8001
    mov cl, 32
    SETFL 0x1
    rcr bx, cl
    EXPECT_FL 0x8d5, 0x001, "rcr16 cl=32 8001 cf1 flags"
    cmp bx, 0x8001
    CHECK "rcr16 cl=32 8001 cf1"
    mov bx, 0x8001
    SETFL 0x1
    rcr bx, 32
    EXPECT_FL 0x8d5, 0x001, "rcr16 imm=32 8001 flags"
    cmp bx, 0x8001
    CHECK "rcr16 imm=32 8001"
    mov bx, 0x1
    mov cl, 33
    SETFL 0x801
    rcr bx, cl
    EXPECT_FL 0x8d5, 0x801, "rcr16 cl=33 1 cf1 flags"
    cmp bx, 0x8000
    CHECK "rcr16 cl=33 1 cf1"
    mov bx, 0x1
    SETFL 0x801
    rcr bx, 33
    EXPECT_FL 0x8d5, 0x801, "rcr16 imm=33 1 flags"
    cmp bx, 0x8000
    CHECK "rcr16 imm=33 1"
    mov word [MEM], 0xc3a5
    SETFL 0x1
    rcr word [MEM], 1
    EXPECT_FL 0x8d5, 0x001, "rcr16 mem,1 flags"
    cmp word [MEM], 0xe1d2
    CHECK "rcr16 mem,1 mem"
    mov word [MEM], 0xc3a5
    SETFL 0x0
    rcr word [MEM], 3
    EXPECT_FL 0x0d5, 0x001, "rcr16 mem,3 flags"
    cmp word [MEM], 0x5874
    CHECK "rcr16 mem,3 mem"
    mov word [MEM], 0xc3a5
    mov cl, 5
    SETFL 1
    rcr word [MEM], cl
    EXPECT_FL 0x0d5, 0x000, "rcr16 mem,cl flags"
    cmp word [MEM], 0x5e1d
    CHECK "rcr16 mem,cl mem"
    mov ebx, 0x1bce1a9b
    mov cl, 0
    SETFL 0x1
    rcr ebx, cl
    EXPECT_FL 0x8d5, 0x001, "rcr32 cl=0 1bce1a9b cf1 flags"
    cmp ebx, 0x1bce1a9b
    CHECK "rcr32 cl=0 1bce1a9b cf1"
    mov ebx, 0x1bce1a9b
    SETFL 0x1
    rcr ebx, 0
    EXPECT_FL 0x8d5, 0x001, "rcr32 imm=0 1bce1a9b flags"
    cmp ebx, 0x1bce1a9b
    CHECK "rcr32 imm=0 1bce1a9b"
    mov ebx, 0x80000001
    mov cl, 1
    SETFL 0x8d5
    rcr ebx, cl
    EXPECT_FL 0x8d5, 0x0d5, "rcr32 cl=1 80000001 cf1 flags"
    cmp ebx, 0xc0000000
    CHECK "rcr32 cl=1 80000001 cf1"
    mov ebx, 0x80000001
    SETFL 0x8d5
    rcr ebx, 1
    EXPECT_FL 0x8d5, 0x0d5, "rcr32 by 1 80000001 flags"
    cmp ebx, 0xc0000000
    CHECK "rcr32 by 1 80000001"
    mov ebx, 0x80000001
    mov cl, 2
    SETFL 0x0
    rcr ebx, cl
    EXPECT_FL 0x0d5, 0x000, "rcr32 cl=2 80000001 cf0 flags"
    cmp ebx, 0xa0000000
    CHECK "rcr32 cl=2 80000001 cf0"
    mov ebx, 0x80000001
    SETFL 0x0
    rcr ebx, 2
    EXPECT_FL 0x0d5, 0x000, "rcr32 imm=2 80000001 flags"
    cmp ebx, 0xa0000000
    CHECK "rcr32 imm=2 80000001"
    mov ebx, 0x7fffffff
    mov cl, 5
    SETFL 0x0
    rcr ebx, cl
    EXPECT_FL 0x0d5, 0x001, "rcr32 cl=5 7fffffff cf0 flags"
    cmp ebx, 0xf3ffffff
    CHECK "rcr32 cl=5 7fffffff cf0"
    mov ebx, 0x7fffffff
    SETFL 0x0
    rcr ebx, 5
    EXPECT_FL 0x0d5, 0x001, "rcr32 imm=5 7fffffff flags"
    cmp ebx, 0xf3ffffff
    CHECK "rcr32 imm=5 7fffffff"
    mov ebx, 0x5273fb71
    mov cl, 16
    SETFL 0x8d5
    rcr ebx, cl
    EXPECT_FL 0x0d5, 0x0d5, "rcr32 cl=16 5273fb71 cf1 flags"
    cmp ebx, 0xf6e35273
    CHECK "rcr32 cl=16 5273fb71 cf1"
    mov ebx, 0x5273fb71
    SETFL 0x8d5
    rcr ebx, 16
    EXPECT_FL 0x0d5, 0x0d5, "rcr32 imm=16 5273fb71 flags"
    cmp ebx, 0xf6e35273
    CHECK "rcr32 imm=16 5273fb71"
    mov ebx, 0xc3a5f00f
    mov cl, 30
    SETFL 0x0
    rcr ebx, cl
    EXPECT_FL 0x0d5, 0x000, "rcr32 cl=30 c3a5f00f cf0 flags"
    cmp ebx, 0x1d2f807b
    CHECK "rcr32 cl=30 c3a5f00f cf0"
    mov ebx, 0xc3a5f00f
    SETFL 0x0
    rcr ebx, 30
    EXPECT_FL 0x0d5, 0x000, "rcr32 imm=30 c3a5f00f flags"
    cmp ebx, 0x1d2f807b
    CHECK "rcr32 imm=30 c3a5f00f"
    mov ebx, 0x1
    mov cl, 31
    SETFL 0x0
    rcr ebx, cl
    EXPECT_FL 0x0d5, 0x000, "rcr32 cl=31 1 cf0 flags"
    cmp ebx, 0x4
    CHECK "rcr32 cl=31 1 cf0"
    mov ebx, 0x1
    SETFL 0x0
    rcr ebx, 31
    EXPECT_FL 0x0d5, 0x000, "rcr32 imm=31 1 flags"
    cmp ebx, 0x4
    CHECK "rcr32 imm=31 1"
    mov ebx, 0x9f9f6563
    mov cl, 32
    SETFL 0x8d5
    rcr ebx, cl
    EXPECT_FL 0x8d5, 0x8d5, "rcr32 cl=32 9f9f6563 cf1 flags"
    cmp ebx, 0x9f9f6563
    CHECK "rcr32 cl=32 9f9f6563 cf1"
    mov ebx, 0x9f9f6563
    SETFL 0x8d5
    rcr ebx, 32
    EXPECT_FL 0x8d5, 0x8d5, "rcr32 imm=32 9f9f6563 flags"
    cmp ebx, 0x9f9f6563
    CHECK "rcr32 imm=32 9f9f6563"
    mov ebx, 0xb38cd305
    mov cl, 33
    SETFL 0x44
    rcr ebx, cl
    EXPECT_FL 0x8d5, 0x845, "rcr32 cl=33 b38cd305 cf0 flags"
    cmp ebx, 0x59c66982
    CHECK "rcr32 cl=33 b38cd305 cf0"
    mov ebx, 0xb38cd305
    SETFL 0x44
    rcr ebx, 33
    EXPECT_FL 0x8d5, 0x845, "rcr32 imm=33 b38cd305 flags"
    cmp ebx, 0x59c66982
    CHECK "rcr32 imm=33 b38cd305"
    mov dword [MEM], 0x5f3b66c
    SETFL 0x1
    rcr dword [MEM], 1
    EXPECT_FL 0x8d5, 0x800, "rcr32 mem,1 flags"
    cmp dword [MEM], 0x82f9db36
    CHECK "rcr32 mem,1 mem"
    mov dword [MEM], 0xd33efae9
    SETFL 0x0
    rcr dword [MEM], 3
    EXPECT_FL 0x0d5, 0x000, "rcr32 mem,3 flags"
    cmp dword [MEM], 0x5a67df5d
    CHECK "rcr32 mem,3 mem"
    mov dword [MEM], 0xdd248e6f
    mov cl, 5
    SETFL 1
    rcr dword [MEM], cl
    EXPECT_FL 0x0d5, 0x000, "rcr32 mem,cl flags"
    cmp dword [MEM], 0xfee92473
    CHECK "rcr32 mem,cl mem"
    PUTS `shift: shl\n`
    mov bl, 0xa3
    mov cl, 0
    SETFL 0x1
    shl bl, cl
    EXPECT_FL 0x8d5, 0x001, "shl8 cl=0 a3 cf1 flags"
    cmp bl, 0xa3
    CHECK "shl8 cl=0 a3 cf1"
    mov bl, 0xa3
    SETFL 0x1
    shl bl, 0
    EXPECT_FL 0x8d5, 0x001, "shl8 imm=0 a3 flags"
    cmp bl, 0xa3
    CHECK "shl8 imm=0 a3"
    mov bl, 0xd9
    mov cl, 1
    SETFL 0x44
    shl bl, cl
    EXPECT_FL 0x8c5, 0x085, "shl8 cl=1 d9 cf0 flags"
    cmp bl, 0xb2
    CHECK "shl8 cl=1 d9 cf0"
    mov bl, 0xd9
    SETFL 0x44
    shl bl, 1
    EXPECT_FL 0x8c5, 0x085, "shl8 by 1 d9 flags"
    cmp bl, 0xb2
    CHECK "shl8 by 1 d9"
    mov bl, 0xdb
    mov cl, 2
    SETFL 0x1
    shl bl, cl
    EXPECT_FL 0x0c5, 0x005, "shl8 cl=2 db cf1 flags"
    cmp bl, 0x6c
    CHECK "shl8 cl=2 db cf1"
    mov bl, 0xdb
    SETFL 0x1
    shl bl, 2
    EXPECT_FL 0x0c5, 0x005, "shl8 imm=2 db flags"
    cmp bl, 0x6c
    CHECK "shl8 imm=2 db"
    mov bl, 0x80
    mov cl, 3
    SETFL 0x8d5
    shl bl, cl
    EXPECT_FL 0x0c5, 0x044, "shl8 cl=3 80 cf1 flags"
    cmp bl, 0x0
    CHECK "shl8 cl=3 80 cf1"
    mov bl, 0x80
    SETFL 0x8d5
    shl bl, 3
    EXPECT_FL 0x0c5, 0x044, "shl8 imm=3 80 flags"
    cmp bl, 0x0
    CHECK "shl8 imm=3 80"
    mov bl, 0x50
    mov cl, 7
    SETFL 0x44
    shl bl, cl
    EXPECT_FL 0x0c5, 0x044, "shl8 cl=7 50 cf0 flags"
    cmp bl, 0x0
    CHECK "shl8 cl=7 50 cf0"
    mov bl, 0x50
    SETFL 0x44
    shl bl, 7
    EXPECT_FL 0x0c5, 0x044, "shl8 imm=7 50 flags"
    cmp bl, 0x0
    CHECK "shl8 imm=7 50"
    mov bl, 0x7f
    mov cl, 8
    SETFL 0x1
    shl bl, cl
    EXPECT_FL 0x0c4, 0x044, "shl8 cl=8 7f cf1 flags"
    cmp bl, 0x0
    CHECK "shl8 cl=8 7f cf1"
    mov bl, 0x7f
    SETFL 0x1
    shl bl, 8
    EXPECT_FL 0x0c4, 0x044, "shl8 imm=8 7f flags"
    cmp bl, 0x0
    CHECK "shl8 imm=8 7f"
    mov bl, 0x31
    mov cl, 9
    SETFL 0x0
    shl bl, cl
    EXPECT_FL 0x0c4, 0x044, "shl8 cl=9 31 cf0 flags"
    cmp bl, 0x0
    CHECK "shl8 cl=9 31 cf0"
    mov bl, 0x31
    SETFL 0x0
    shl bl, 9
    EXPECT_FL 0x0c4, 0x044, "shl8 imm=9 31 flags"
    cmp bl, 0x0
    CHECK "shl8 imm=9 31"
    mov bl, 0x7f
    mov cl, 10
    SETFL 0x1
    shl bl, cl
    EXPECT_FL 0x0c4, 0x044, "shl8 cl=10 7f cf1 flags"
    cmp bl, 0x0
    CHECK "shl8 cl=10 7f cf1"
    mov bl, 0x7f
    SETFL 0x1
    shl bl, 10
    EXPECT_FL 0x0c4, 0x044, "shl8 imm=10 7f flags"
    cmp bl, 0x0
    CHECK "shl8 imm=10 7f"
    mov bl, 0x42
    mov cl, 16
    SETFL 0x801
    shl bl, cl
    EXPECT_FL 0x0c4, 0x044, "shl8 cl=16 42 cf1 flags"
    cmp bl, 0x0
    CHECK "shl8 cl=16 42 cf1"
    mov bl, 0x42
    SETFL 0x801
    shl bl, 16
    EXPECT_FL 0x0c4, 0x044, "shl8 imm=16 42 flags"
    cmp bl, 0x0
    CHECK "shl8 imm=16 42"
    mov bl, 0xc3
    mov cl, 17
    SETFL 0x44
    shl bl, cl
    EXPECT_FL 0x0c4, 0x044, "shl8 cl=17 c3 cf0 flags"
    cmp bl, 0x0
    CHECK "shl8 cl=17 c3 cf0"
    mov bl, 0xc3
    SETFL 0x44
    shl bl, 17
    EXPECT_FL 0x0c4, 0x044, "shl8 imm=17 c3 flags"
    cmp bl, 0x0
    CHECK "shl8 imm=17 c3"
    mov bl, 0x20
    mov cl, 31
    SETFL 0x1
    shl bl, cl
    EXPECT_FL 0x0c4, 0x044, "shl8 cl=31 20 cf1 flags"
    cmp bl, 0x0
    CHECK "shl8 cl=31 20 cf1"
    mov bl, 0x20
    SETFL 0x1
    shl bl, 31
    EXPECT_FL 0x0c4, 0x044, "shl8 imm=31 20 flags"
    cmp bl, 0x0
    CHECK "shl8 imm=31 20"
    mov bl, 0x80
    mov cl, 32
    SETFL 0x0
    shl bl, cl
    EXPECT_FL 0x8d5, 0x000, "shl8 cl=32 80 cf0 flags"
    cmp bl, 0x80
    CHECK "shl8 cl=32 80 cf0"
    mov bl, 0x80
    SETFL 0x0
    shl bl, 32
    EXPECT_FL 0x8d5, 0x000, "shl8 imm=32 80 flags"
    cmp bl, 0x80
    CHECK "shl8 imm=32 80"
    mov bl, 0x1
    mov cl, 33
    SETFL 0x8d5
    shl bl, cl
    EXPECT_FL 0x8c5, 0x000, "shl8 cl=33 1 cf1 flags"
    cmp bl, 0x2
    CHECK "shl8 cl=33 1 cf1"
    mov bl, 0x1
    SETFL 0x8d5
    shl bl, 33
    EXPECT_FL 0x8c5, 0x000, "shl8 imm=33 1 flags"
    cmp bl, 0x2
    CHECK "shl8 imm=33 1"
    mov byte [MEM], 0xf7
    SETFL 0x1
    shl byte [MEM], 1
    EXPECT_FL 0x8c5, 0x085, "shl8 mem,1 flags"
    cmp byte [MEM], 0xee
    CHECK "shl8 mem,1 mem"
    mov byte [MEM], 0x1
    SETFL 0x1
    shl byte [MEM], 3
    EXPECT_FL 0x0c5, 0x000, "shl8 mem,3 flags"
    cmp byte [MEM], 0x8
    CHECK "shl8 mem,3 mem"
    mov byte [MEM], 0xaf
    mov cl, 5
    SETFL 1
    shl byte [MEM], cl
    EXPECT_FL 0x0c5, 0x081, "shl8 mem,cl flags"
    cmp byte [MEM], 0xe0
    CHECK "shl8 mem,cl mem"
    mov bx, 0xcd87
    mov cl, 0
    SETFL 0x0
    shl bx, cl
    EXPECT_FL 0x8d5, 0x000, "shl16 cl=0 cd87 cf0 flags"
    cmp bx, 0xcd87
    CHECK "shl16 cl=0 cd87 cf0"
    mov bx, 0xcd87
    SETFL 0x0
    shl bx, 0
    EXPECT_FL 0x8d5, 0x000, "shl16 imm=0 cd87 flags"
    cmp bx, 0xcd87
    CHECK "shl16 imm=0 cd87"
    mov bx, 0x8001
    mov cl, 1
    SETFL 0x0
    shl bx, cl
    EXPECT_FL 0x8c5, 0x801, "shl16 cl=1 8001 cf0 flags"
    cmp bx, 0x2
    CHECK "shl16 cl=1 8001 cf0"
    mov bx, 0x8001
    SETFL 0x0
    shl bx, 1
    EXPECT_FL 0x8c5, 0x801, "shl16 by 1 8001 flags"
    cmp bx, 0x2
    CHECK "shl16 by 1 8001"
    mov bx, 0x9d05
    mov cl, 2
    SETFL 0x44
    shl bx, cl
    EXPECT_FL 0x0c5, 0x004, "shl16 cl=2 9d05 cf0 flags"
    cmp bx, 0x7414
    CHECK "shl16 cl=2 9d05 cf0"
    mov bx, 0x9d05
    SETFL 0x44
    shl bx, 2
    EXPECT_FL 0x0c5, 0x004, "shl16 imm=2 9d05 flags"
    cmp bx, 0x7414
    CHECK "shl16 imm=2 9d05"
    mov bx, 0x7b34
    mov cl, 5
    SETFL 0x1
    shl bx, cl
    EXPECT_FL 0x0c5, 0x001, "shl16 cl=5 7b34 cf1 flags"
    cmp bx, 0x6680
    CHECK "shl16 cl=5 7b34 cf1"
    mov bx, 0x7b34
    SETFL 0x1
    shl bx, 5
    EXPECT_FL 0x0c5, 0x001, "shl16 imm=5 7b34 flags"
    cmp bx, 0x6680
    CHECK "shl16 imm=5 7b34"
    mov bx, 0x8001
    mov cl, 15
    SETFL 0x1
    shl bx, cl
    EXPECT_FL 0x0c5, 0x084, "shl16 cl=15 8001 cf1 flags"
    cmp bx, 0x8000
    CHECK "shl16 cl=15 8001 cf1"
    mov bx, 0x8001
    SETFL 0x1
    shl bx, 15
    EXPECT_FL 0x0c5, 0x084, "shl16 imm=15 8001 flags"
    cmp bx, 0x8000
    CHECK "shl16 imm=15 8001"
    mov bx, 0x7fff
    mov cl, 16
    SETFL 0x8d5
    shl bx, cl
    EXPECT_FL 0x0c4, 0x044, "shl16 cl=16 7fff cf1 flags"
    cmp bx, 0x0
    CHECK "shl16 cl=16 7fff cf1"
    mov bx, 0x7fff
    SETFL 0x8d5
    shl bx, 16
    EXPECT_FL 0x0c4, 0x044, "shl16 imm=16 7fff flags"
    cmp bx, 0x0
    CHECK "shl16 imm=16 7fff"
    mov bx, 0x1862
    mov cl, 17
    SETFL 0x44
    shl bx, cl
    EXPECT_FL 0x0c4, 0x044, "shl16 cl=17 1862 cf0 flags"
    cmp bx, 0x0
    CHECK "shl16 cl=17 1862 cf0"
    mov bx, 0x1862
    SETFL 0x44
    shl bx, 17
    EXPECT_FL 0x0c4, 0x044, "shl16 imm=17 1862 flags"
    cmp bx, 0x0
    CHECK "shl16 imm=17 1862"
    mov bx, 0x8000
    mov cl, 18
    SETFL 0x801
    shl bx, cl
    EXPECT_FL 0x0c4, 0x044, "shl16 cl=18 8000 cf1 flags"
    cmp bx, 0x0
    CHECK "shl16 cl=18 8000 cf1"
    mov bx, 0x8000
    SETFL 0x801
    shl bx, 18
    EXPECT_FL 0x0c4, 0x044, "shl16 imm=18 8000 flags"
    cmp bx, 0x0
    CHECK "shl16 imm=18 8000"
    mov bx, 0x8001
    mov cl, 31
    SETFL 0x8d5
    shl bx, cl
    EXPECT_FL 0x0c4, 0x044, "shl16 cl=31 8001 cf1 flags"
    cmp bx, 0x0
    CHECK "shl16 cl=31 8001 cf1"
    mov bx, 0x8001
    SETFL 0x8d5
    shl bx, 31
    EXPECT_FL 0x0c4, 0x044, "shl16 imm=31 8001 flags"
    cmp bx, 0x0
    CHECK "shl16 imm=31 8001"
    mov bx, 0xc3a5
    mov cl, 32
    SETFL 0x44
    shl bx, cl
    EXPECT_FL 0x8d5, 0x044, "shl16 cl=32 c3a5 cf0 flags"
    cmp bx, 0xc3a5
    CHECK "shl16 cl=32 c3a5 cf0"
    mov bx, 0xc3a5
    SETFL 0x44
    shl bx, 32
    EXPECT_FL 0x8d5, 0x044, "shl16 imm=32 c3a5 flags"
    cmp bx, 0xc3a5
    CHECK "shl16 imm=32 c3a5"
    mov bx, 0x7fff
    mov cl, 33
    SETFL 0x44
    shl bx, cl
    EXPECT_FL 0x8c5, 0x880, "shl16 cl=33 7fff cf0 flags"
    cmp bx, 0xfffe
    CHECK "shl16 cl=33 7fff cf0"
    mov bx, 0x7fff
    SETFL 0x44
    shl bx, 33
    EXPECT_FL 0x8c5, 0x880, "shl16 imm=33 7fff flags"
    cmp bx, 0xfffe
    CHECK "shl16 imm=33 7fff"
    mov word [MEM], 0x8000
    SETFL 0x0
    shl word [MEM], 1
    EXPECT_FL 0x8c5, 0x845, "shl16 mem,1 flags"
    cmp word [MEM], 0x0
    CHECK "shl16 mem,1 mem"
    mov word [MEM], 0x2e67
    SETFL 0x1
    shl word [MEM], 3
    EXPECT_FL 0x0c5, 0x001, "shl16 mem,3 flags"
    cmp word [MEM], 0x7338
    CHECK "shl16 mem,3 mem"
    mov word [MEM], 0x8000
    mov cl, 5
    SETFL 1
    shl word [MEM], cl
    EXPECT_FL 0x0c5, 0x044, "shl16 mem,cl flags"
    cmp word [MEM], 0x0
    CHECK "shl16 mem,cl mem"
    mov ebx, 0x7fffffff
    mov cl, 0
    SETFL 0x44
    shl ebx, cl
    EXPECT_FL 0x8d5, 0x044, "shl32 cl=0 7fffffff cf0 flags"
    cmp ebx, 0x7fffffff
    CHECK "shl32 cl=0 7fffffff cf0"
    mov ebx, 0x7fffffff
    SETFL 0x44
    shl ebx, 0
    EXPECT_FL 0x8d5, 0x044, "shl32 imm=0 7fffffff flags"
    cmp ebx, 0x7fffffff
    CHECK "shl32 imm=0 7fffffff"
    mov ebx, 0x1
    mov cl, 1
    SETFL 0x0
    shl ebx, cl
    EXPECT_FL 0x8c5, 0x000, "shl32 cl=1 1 cf0 flags"
    cmp ebx, 0x2
    CHECK "shl32 cl=1 1 cf0"
    mov ebx, 0x1
    SETFL 0x0
    shl ebx, 1
    EXPECT_FL 0x8c5, 0x000, "shl32 by 1 1 flags"
    cmp ebx, 0x2
    CHECK "shl32 by 1 1"
    mov ebx, 0x80000001
    mov cl, 2
    SETFL 0x801
    shl ebx, cl
    EXPECT_FL 0x0c5, 0x000, "shl32 cl=2 80000001 cf1 flags"
    cmp ebx, 0x4
    CHECK "shl32 cl=2 80000001 cf1"
    mov ebx, 0x80000001
    SETFL 0x801
    shl ebx, 2
    EXPECT_FL 0x0c5, 0x000, "shl32 imm=2 80000001 flags"
    cmp ebx, 0x4
    CHECK "shl32 imm=2 80000001"
    mov ebx, 0x30e1f52d
    mov cl, 5
    SETFL 0x44
    shl ebx, cl
    EXPECT_FL 0x0c5, 0x004, "shl32 cl=5 30e1f52d cf0 flags"
    cmp ebx, 0x1c3ea5a0
    CHECK "shl32 cl=5 30e1f52d cf0"
    mov ebx, 0x30e1f52d
    SETFL 0x44
    shl ebx, 5
    EXPECT_FL 0x0c5, 0x004, "shl32 imm=5 30e1f52d flags"
    cmp ebx, 0x1c3ea5a0
    CHECK "shl32 imm=5 30e1f52d"
    mov ebx, 0x574a1b8e
    mov cl, 16
    SETFL 0x8d5
    shl ebx, cl
    EXPECT_FL 0x0c5, 0x004, "shl32 cl=16 574a1b8e cf1 flags"
    cmp ebx, 0x1b8e0000
    CHECK "shl32 cl=16 574a1b8e cf1"
    mov ebx, 0x574a1b8e
    SETFL 0x8d5
    shl ebx, 16
    EXPECT_FL 0x0c5, 0x004, "shl32 imm=16 574a1b8e flags"
    cmp ebx, 0x1b8e0000
    CHECK "shl32 imm=16 574a1b8e"
    mov ebx, 0x80000001
    mov cl, 30
    SETFL 0x1
    shl ebx, cl
    EXPECT_FL 0x0c5, 0x004, "shl32 cl=30 80000001 cf1 flags"
    cmp ebx, 0x40000000
    CHECK "shl32 cl=30 80000001 cf1"
    mov ebx, 0x80000001
    SETFL 0x1
    shl ebx, 30
    EXPECT_FL 0x0c5, 0x004, "shl32 imm=30 80000001 flags"
    cmp ebx, 0x40000000
    CHECK "shl32 imm=30 80000001"
    mov ebx, 0x67d7cdf6
    mov cl, 31
    SETFL 0x1
    shl ebx, cl
    EXPECT_FL 0x0c5, 0x045, "shl32 cl=31 67d7cdf6 cf1 flags"
    cmp ebx, 0x0
    CHECK "shl32 cl=31 67d7cdf6 cf1"
    mov ebx, 0x67d7cdf6
    SETFL 0x1
    shl ebx, 31
    EXPECT_FL 0x0c5, 0x045, "shl32 imm=31 67d7cdf6 flags"
    cmp ebx, 0x0
    CHECK "shl32 imm=31 67d7cdf6"
    mov ebx, 0xe13d4b11
    mov cl, 32
    SETFL 0x44
    shl ebx, cl
    EXPECT_FL 0x8d5, 0x044, "shl32 cl=32 e13d4b11 cf0 flags"
    cmp ebx, 0xe13d4b11
    CHECK "shl32 cl=32 e13d4b11 cf0"
    mov ebx, 0xe13d4b11
    SETFL 0x44
    shl ebx, 32
    EXPECT_FL 0x8d5, 0x044, "shl32 imm=32 e13d4b11 flags"
    cmp ebx, 0xe13d4b11
    CHECK "shl32 imm=32 e13d4b11"
    mov ebx, 0xc46bcb23
    mov cl, 33
    SETFL 0x801
    shl ebx, cl
    EXPECT_FL 0x8c5, 0x081, "shl32 cl=33 c46bcb23 cf1 flags"
    cmp ebx, 0x88d79646
    CHECK "shl32 cl=33 c46bcb23 cf1"
    mov ebx, 0xc46bcb23
    SETFL 0x801
    shl ebx, 33
    EXPECT_FL 0x8c5, 0x081, "shl32 imm=33 c46bcb23 flags"
    cmp ebx, 0x88d79646
    CHECK "shl32 imm=33 c46bcb23"
    mov dword [MEM], 0x67def005
    SETFL 0x0
    shl dword [MEM], 1
    EXPECT_FL 0x8c5, 0x884, "shl32 mem,1 flags"
    cmp dword [MEM], 0xcfbde00a
    CHECK "shl32 mem,1 mem"
    mov dword [MEM], 0x120fac4a
    SETFL 0x1
    shl dword [MEM], 3
    EXPECT_FL 0x0c5, 0x084, "shl32 mem,3 flags"
    cmp dword [MEM], 0x907d6250
    CHECK "shl32 mem,3 mem"
    mov dword [MEM], 0x80000001
    mov cl, 5
    SETFL 1
    shl dword [MEM], cl
    EXPECT_FL 0x0c5, 0x000, "shl32 mem,cl flags"
    cmp dword [MEM], 0x20
    CHECK "shl32 mem,cl mem"
    PUTS `shift: shr\n`
    mov bl, 0x40
    mov cl, 0
    SETFL 0x44
    shr bl, cl
    EXPECT_FL 0x8d5, 0x044, "shr8 cl=0 40 cf0 flags"
    cmp bl, 0x40
    CHECK "shr8 cl=0 40 cf0"
    mov bl, 0x40
    SETFL 0x44
    shr bl, 0
    EXPECT_FL 0x8d5, 0x044, "shr8 imm=0 40 flags"
    cmp bl, 0x40
    CHECK "shr8 imm=0 40"
    mov bl, 0x40
    mov cl, 1
    SETFL 0x8d5
    shr bl, cl
    EXPECT_FL 0x8c5, 0x000, "shr8 cl=1 40 cf1 flags"
    cmp bl, 0x20
    CHECK "shr8 cl=1 40 cf1"
    mov bl, 0x40
    SETFL 0x8d5
    shr bl, 1
    EXPECT_FL 0x8c5, 0x000, "shr8 by 1 40 flags"
    cmp bl, 0x20
    CHECK "shr8 by 1 40"
    mov bl, 0x80
    mov cl, 2
    SETFL 0x801
    shr bl, cl
    EXPECT_FL 0x0c5, 0x000, "shr8 cl=2 80 cf1 flags"
    cmp bl, 0x20
    CHECK "shr8 cl=2 80 cf1"
    mov bl, 0x80
    SETFL 0x801
    shr bl, 2
    EXPECT_FL 0x0c5, 0x000, "shr8 imm=2 80 flags"
    cmp bl, 0x20
    CHECK "shr8 imm=2 80"
    mov bl, 0x88
    mov cl, 3
    SETFL 0x0
    shr bl, cl
    EXPECT_FL 0x0c5, 0x004, "shr8 cl=3 88 cf0 flags"
    cmp bl, 0x11
    CHECK "shr8 cl=3 88 cf0"
    mov bl, 0x88
    SETFL 0x0
    shr bl, 3
    EXPECT_FL 0x0c5, 0x004, "shr8 imm=3 88 flags"
    cmp bl, 0x11
    CHECK "shr8 imm=3 88"
    mov bl, 0xc3
    mov cl, 7
    SETFL 0x1
    shr bl, cl
    EXPECT_FL 0x0c5, 0x001, "shr8 cl=7 c3 cf1 flags"
    cmp bl, 0x1
    CHECK "shr8 cl=7 c3 cf1"
    mov bl, 0xc3
    SETFL 0x1
    shr bl, 7
    EXPECT_FL 0x0c5, 0x001, "shr8 imm=7 c3 flags"
    cmp bl, 0x1
    CHECK "shr8 imm=7 c3"
    mov bl, 0xc3
    mov cl, 8
    SETFL 0x801
    shr bl, cl
    EXPECT_FL 0x0c4, 0x044, "shr8 cl=8 c3 cf1 flags"
    cmp bl, 0x0
    CHECK "shr8 cl=8 c3 cf1"
    mov bl, 0xc3
    SETFL 0x801
    shr bl, 8
    EXPECT_FL 0x0c4, 0x044, "shr8 imm=8 c3 flags"
    cmp bl, 0x0
    CHECK "shr8 imm=8 c3"
    mov bl, 0x5
    mov cl, 9
    SETFL 0x0
    shr bl, cl
    EXPECT_FL 0x0c4, 0x044, "shr8 cl=9 5 cf0 flags"
    cmp bl, 0x0
    CHECK "shr8 cl=9 5 cf0"
    mov bl, 0x5
    SETFL 0x0
    shr bl, 9
    EXPECT_FL 0x0c4, 0x044, "shr8 imm=9 5 flags"
    cmp bl, 0x0
    CHECK "shr8 imm=9 5"
    mov bl, 0xbd
    mov cl, 10
    SETFL 0x1
    shr bl, cl
    EXPECT_FL 0x0c4, 0x044, "shr8 cl=10 bd cf1 flags"
    cmp bl, 0x0
    CHECK "shr8 cl=10 bd cf1"
    mov bl, 0xbd
    SETFL 0x1
    shr bl, 10
    EXPECT_FL 0x0c4, 0x044, "shr8 imm=10 bd flags"
    cmp bl, 0x0
    CHECK "shr8 imm=10 bd"
    mov bl, 0xc3
    mov cl, 16
    SETFL 0x44
    shr bl, cl
    EXPECT_FL 0x0c4, 0x044, "shr8 cl=16 c3 cf0 flags"
    cmp bl, 0x0
    CHECK "shr8 cl=16 c3 cf0"
    mov bl, 0xc3
    SETFL 0x44
    shr bl, 16
    EXPECT_FL 0x0c4, 0x044, "shr8 imm=16 c3 flags"
    cmp bl, 0x0
    CHECK "shr8 imm=16 c3"
    mov bl, 0x7f
    mov cl, 17
    SETFL 0x801
    shr bl, cl
    EXPECT_FL 0x0c4, 0x044, "shr8 cl=17 7f cf1 flags"
    cmp bl, 0x0
    CHECK "shr8 cl=17 7f cf1"
    mov bl, 0x7f
    SETFL 0x801
    shr bl, 17
    EXPECT_FL 0x0c4, 0x044, "shr8 imm=17 7f flags"
    cmp bl, 0x0
    CHECK "shr8 imm=17 7f"
    mov bl, 0x40
    mov cl, 31
    SETFL 0x8d5
    shr bl, cl
    EXPECT_FL 0x0c4, 0x044, "shr8 cl=31 40 cf1 flags"
    cmp bl, 0x0
    CHECK "shr8 cl=31 40 cf1"
    mov bl, 0x40
    SETFL 0x8d5
    shr bl, 31
    EXPECT_FL 0x0c4, 0x044, "shr8 imm=31 40 flags"
    cmp bl, 0x0
    CHECK "shr8 imm=31 40"
    mov bl, 0x40
    mov cl, 32
    SETFL 0x44
    shr bl, cl
    EXPECT_FL 0x8d5, 0x044, "shr8 cl=32 40 cf0 flags"
    cmp bl, 0x40
    CHECK "shr8 cl=32 40 cf0"
    mov bl, 0x40
    SETFL 0x44
    shr bl, 32
    EXPECT_FL 0x8d5, 0x044, "shr8 imm=32 40 flags"
    cmp bl, 0x40
    CHECK "shr8 imm=32 40"
    mov bl, 0x6a
    mov cl, 33
    SETFL 0x44
    shr bl, cl
    EXPECT_FL 0x8c5, 0x004, "shr8 cl=33 6a cf0 flags"
    cmp bl, 0x35
    CHECK "shr8 cl=33 6a cf0"
    mov bl, 0x6a
    SETFL 0x44
    shr bl, 33
    EXPECT_FL 0x8c5, 0x004, "shr8 imm=33 6a flags"
    cmp bl, 0x35
    CHECK "shr8 imm=33 6a"
    mov byte [MEM], 0xfe
    SETFL 0x0
    shr byte [MEM], 1
    EXPECT_FL 0x8c5, 0x800, "shr8 mem,1 flags"
    cmp byte [MEM], 0x7f
    CHECK "shr8 mem,1 mem"
    mov byte [MEM], 0xcf
    SETFL 0x0
    shr byte [MEM], 3
    EXPECT_FL 0x0c5, 0x001, "shr8 mem,3 flags"
    cmp byte [MEM], 0x19
    CHECK "shr8 mem,3 mem"
    mov byte [MEM], 0xab
    mov cl, 5
    SETFL 1
    shr byte [MEM], cl
    EXPECT_FL 0x0c5, 0x004, "shr8 mem,cl flags"
    cmp byte [MEM], 0x5
    CHECK "shr8 mem,cl mem"
    mov bx, 0xb8c
    mov cl, 0
    SETFL 0x801
    shr bx, cl
    EXPECT_FL 0x8d5, 0x801, "shr16 cl=0 b8c cf1 flags"
    cmp bx, 0xb8c
    CHECK "shr16 cl=0 b8c cf1"
    mov bx, 0xb8c
    SETFL 0x801
    shr bx, 0
    EXPECT_FL 0x8d5, 0x801, "shr16 imm=0 b8c flags"
    cmp bx, 0xb8c
    CHECK "shr16 imm=0 b8c"
    mov bx, 0x28f1
    mov cl, 1
    SETFL 0x801
    shr bx, cl
    EXPECT_FL 0x8c5, 0x005, "shr16 cl=1 28f1 cf1 flags"
    cmp bx, 0x1478
    CHECK "shr16 cl=1 28f1 cf1"
    mov bx, 0x28f1
    SETFL 0x801
    shr bx, 1
    EXPECT_FL 0x8c5, 0x005, "shr16 by 1 28f1 flags"
    cmp bx, 0x1478
    CHECK "shr16 by 1 28f1"
    mov bx, 0x7fff
    mov cl, 2
    SETFL 0x801
    shr bx, cl
    EXPECT_FL 0x0c5, 0x005, "shr16 cl=2 7fff cf1 flags"
    cmp bx, 0x1fff
    CHECK "shr16 cl=2 7fff cf1"
    mov bx, 0x7fff
    SETFL 0x801
    shr bx, 2
    EXPECT_FL 0x0c5, 0x005, "shr16 imm=2 7fff flags"
    cmp bx, 0x1fff
    CHECK "shr16 imm=2 7fff"
    mov bx, 0x98b8
    mov cl, 5
    SETFL 0x0
    shr bx, cl
    EXPECT_FL 0x0c5, 0x005, "shr16 cl=5 98b8 cf0 flags"
    cmp bx, 0x4c5
    CHECK "shr16 cl=5 98b8 cf0"
    mov bx, 0x98b8
    SETFL 0x0
    shr bx, 5
    EXPECT_FL 0x0c5, 0x005, "shr16 imm=5 98b8 flags"
    cmp bx, 0x4c5
    CHECK "shr16 imm=5 98b8"
    mov bx, 0xc3a5
    mov cl, 15
    SETFL 0x801
    shr bx, cl
    EXPECT_FL 0x0c5, 0x001, "shr16 cl=15 c3a5 cf1 flags"
    cmp bx, 0x1
    CHECK "shr16 cl=15 c3a5 cf1"
    mov bx, 0xc3a5
    SETFL 0x801
    shr bx, 15
    EXPECT_FL 0x0c5, 0x001, "shr16 imm=15 c3a5 flags"
    cmp bx, 0x1
    CHECK "shr16 imm=15 c3a5"
    mov bx, 0xc3a5
    mov cl, 16
    SETFL 0x44
    shr bx, cl
    EXPECT_FL 0x0c4, 0x044, "shr16 cl=16 c3a5 cf0 flags"
    cmp bx, 0x0
    CHECK "shr16 cl=16 c3a5 cf0"
    mov bx, 0xc3a5
    SETFL 0x44
    shr bx, 16
    EXPECT_FL 0x0c4, 0x044, "shr16 imm=16 c3a5 flags"
    cmp bx, 0x0
    CHECK "shr16 imm=16 c3a5"
    mov bx, 0x1
    mov cl, 17
    SETFL 0x8d5
    shr bx, cl
    EXPECT_FL 0x0c4, 0x044, "shr16 cl=17 1 cf1 flags"
    cmp bx, 0x0
    CHECK "shr16 cl=17 1 cf1"
    mov bx, 0x1
    SETFL 0x8d5
    shr bx, 17
    EXPECT_FL 0x0c4, 0x044, "shr16 imm=17 1 flags"
    cmp bx, 0x0
    CHECK "shr16 imm=17 1"
    mov bx, 0x4000
    mov cl, 18
    SETFL 0x44
    shr bx, cl
    EXPECT_FL 0x0c4, 0x044, "shr16 cl=18 4000 cf0 flags"
    cmp bx, 0x0
    CHECK "shr16 cl=18 4000 cf0"
    mov bx, 0x4000
    SETFL 0x44
    shr bx, 18
    EXPECT_FL 0x0c4, 0x044, "shr16 imm=18 4000 flags"
    cmp bx, 0x0
    CHECK "shr16 imm=18 4000"
    mov bx, 0xa9e1
    mov cl, 31
    SETFL 0x8d5
    shr bx, cl
    EXPECT_FL 0x0c4, 0x044, "shr16 cl=31 a9e1 cf1 flags"
    cmp bx, 0x0
    CHECK "shr16 cl=31 a9e1 cf1"
    mov bx, 0xa9e1
    SETFL 0x8d5
    shr bx, 31
    EXPECT_FL 0x0c4, 0x044, "shr16 imm=31 a9e1 flags"
    cmp bx, 0x0
    CHECK "shr16 imm=31 a9e1"
    mov bx, 0x7fff
    mov cl, 32
    SETFL 0x44
    shr bx, cl
    EXPECT_FL 0x8d5, 0x044, "shr16 cl=32 7fff cf0 flags"
    cmp bx, 0x7fff
    CHECK "shr16 cl=32 7fff cf0"
    mov bx, 0x7fff
    SETFL 0x44
    shr bx, 32
    EXPECT_FL 0x8d5, 0x044, "shr16 imm=32 7fff flags"
    cmp bx, 0x7fff
    CHECK "shr16 imm=32 7fff"
    mov bx, 0x7fff
    mov cl, 33
    SETFL 0x801
    shr bx, cl
    EXPECT_FL 0x8c5, 0x005, "shr16 cl=33 7fff cf1 flags"
    cmp bx, 0x3fff
    CHECK "shr16 cl=33 7fff cf1"
    mov bx, 0x7fff
    SETFL 0x801
    shr bx, 33
    EXPECT_FL 0x8c5, 0x005, "shr16 imm=33 7fff flags"
    cmp bx, 0x3fff
    CHECK "shr16 imm=33 7fff"
    mov word [MEM], 0x63d4
    SETFL 0x0
    shr word [MEM], 1
    EXPECT_FL 0x8c5, 0x000, "shr16 mem,1 flags"
    cmp word [MEM], 0x31ea
    CHECK "shr16 mem,1 mem"
    mov word [MEM], 0xbf94
    SETFL 0x1
    shr word [MEM], 3
    EXPECT_FL 0x0c5, 0x001, "shr16 mem,3 flags"
    cmp word [MEM], 0x17f2
    CHECK "shr16 mem,3 mem"
    mov word [MEM], 0x8000
    mov cl, 5
    SETFL 1
    shr word [MEM], cl
    EXPECT_FL 0x0c5, 0x004, "shr16 mem,cl flags"
    cmp word [MEM], 0x400
    CHECK "shr16 mem,cl mem"
    mov ebx, 0x12d12d30
    mov cl, 0
    SETFL 0x1
    shr ebx, cl
    EXPECT_FL 0x8d5, 0x001, "shr32 cl=0 12d12d30 cf1 flags"
    cmp ebx, 0x12d12d30
    CHECK "shr32 cl=0 12d12d30 cf1"
    mov ebx, 0x12d12d30
    SETFL 0x1
    shr ebx, 0
    EXPECT_FL 0x8d5, 0x001, "shr32 imm=0 12d12d30 flags"
    cmp ebx, 0x12d12d30
    CHECK "shr32 imm=0 12d12d30"
    mov ebx, 0xc3a5f00f
    mov cl, 1
    SETFL 0x8d5
    shr ebx, cl
    EXPECT_FL 0x8c5, 0x801, "shr32 cl=1 c3a5f00f cf1 flags"
    cmp ebx, 0x61d2f807
    CHECK "shr32 cl=1 c3a5f00f cf1"
    mov ebx, 0xc3a5f00f
    SETFL 0x8d5
    shr ebx, 1
    EXPECT_FL 0x8c5, 0x801, "shr32 by 1 c3a5f00f flags"
    cmp ebx, 0x61d2f807
    CHECK "shr32 by 1 c3a5f00f"
    mov ebx, 0x3e63aac2
    mov cl, 2
    SETFL 0x0
    shr ebx, cl
    EXPECT_FL 0x0c5, 0x001, "shr32 cl=2 3e63aac2 cf0 flags"
    cmp ebx, 0xf98eab0
    CHECK "shr32 cl=2 3e63aac2 cf0"
    mov ebx, 0x3e63aac2
    SETFL 0x0
    shr ebx, 2
    EXPECT_FL 0x0c5, 0x001, "shr32 imm=2 3e63aac2 flags"
    cmp ebx, 0xf98eab0
    CHECK "shr32 imm=2 3e63aac2"
    mov ebx, 0xeff0fd26
    mov cl, 5
    SETFL 0x801
    shr ebx, cl
    EXPECT_FL 0x0c5, 0x000, "shr32 cl=5 eff0fd26 cf1 flags"
    cmp ebx, 0x77f87e9
    CHECK "shr32 cl=5 eff0fd26 cf1"
    mov ebx, 0xeff0fd26
    SETFL 0x801
    shr ebx, 5
    EXPECT_FL 0x0c5, 0x000, "shr32 imm=5 eff0fd26 flags"
    cmp ebx, 0x77f87e9
    CHECK "shr32 imm=5 eff0fd26"
    mov ebx, 0x7fffffff
    mov cl, 16
    SETFL 0x44
    shr ebx, cl
    EXPECT_FL 0x0c5, 0x005, "shr32 cl=16 7fffffff cf0 flags"
    cmp ebx, 0x7fff
    CHECK "shr32 cl=16 7fffffff cf0"
    mov ebx, 0x7fffffff
    SETFL 0x44
    shr ebx, 16
    EXPECT_FL 0x0c5, 0x005, "shr32 imm=16 7fffffff flags"
    cmp ebx, 0x7fff
    CHECK "shr32 imm=16 7fffffff"
    mov ebx, 0xce6ff6c
    mov cl, 30
    SETFL 0x44
    shr ebx, cl
    EXPECT_FL 0x0c5, 0x044, "shr32 cl=30 ce6ff6c cf0 flags"
    cmp ebx, 0x0
    CHECK "shr32 cl=30 ce6ff6c cf0"
    mov ebx, 0xce6ff6c
    SETFL 0x44
    shr ebx, 30
    EXPECT_FL 0x0c5, 0x044, "shr32 imm=30 ce6ff6c flags"
    cmp ebx, 0x0
    CHECK "shr32 imm=30 ce6ff6c"
    mov ebx, 0x80000001
    mov cl, 31
    SETFL 0x1
    shr ebx, cl
    EXPECT_FL 0x0c5, 0x000, "shr32 cl=31 80000001 cf1 flags"
    cmp ebx, 0x1
    CHECK "shr32 cl=31 80000001 cf1"
    mov ebx, 0x80000001
    SETFL 0x1
    shr ebx, 31
    EXPECT_FL 0x0c5, 0x000, "shr32 imm=31 80000001 flags"
    cmp ebx, 0x1
    CHECK "shr32 imm=31 80000001"
    mov ebx, 0x5b507fdc
    mov cl, 32
    SETFL 0x44
    shr ebx, cl
    EXPECT_FL 0x8d5, 0x044, "shr32 cl=32 5b507fdc cf0 flags"
    cmp ebx, 0x5b507fdc
    CHECK "shr32 cl=32 5b507fdc cf0"
    mov ebx, 0x5b507fdc
    SETFL 0x44
    shr ebx, 32
    EXPECT_FL 0x8d5, 0x044, "shr32 imm=32 5b507fdc flags"
    cmp ebx, 0x5b507fdc
    CHECK "shr32 imm=32 5b507fdc"
    mov ebx, 0x40000000
    mov cl, 33
    SETFL 0x801
    shr ebx, cl
    EXPECT_FL 0x8c5, 0x004, "shr32 cl=33 40000000 cf1 flags"
    cmp ebx, 0x20000000
    CHECK "shr32 cl=33 40000000 cf1"
    mov ebx, 0x40000000
    SETFL 0x801
    shr ebx, 33
    EXPECT_FL 0x8c5, 0x004, "shr32 imm=33 40000000 flags"
    cmp ebx, 0x20000000
    CHECK "shr32 imm=33 40000000"
    mov dword [MEM], 0xc3a5f00f
    SETFL 0x1
    shr dword [MEM], 1
    EXPECT_FL 0x8c5, 0x801, "shr32 mem,1 flags"
    cmp dword [MEM], 0x61d2f807
    CHECK "shr32 mem,1 mem"
    mov dword [MEM], 0xa3bc6081
    SETFL 0x1
    shr dword [MEM], 3
    EXPECT_FL 0x0c5, 0x000, "shr32 mem,3 flags"
    cmp dword [MEM], 0x14778c10
    CHECK "shr32 mem,3 mem"
    mov dword [MEM], 0x80000000
    mov cl, 5
    SETFL 1
    shr dword [MEM], cl
    EXPECT_FL 0x0c5, 0x004, "shr32 mem,cl flags"
    cmp dword [MEM], 0x4000000
    CHECK "shr32 mem,cl mem"
    PUTS `shift: sar\n`
    mov bl, 0xff
    mov cl, 0
    SETFL 0x1
    sar bl, cl
    EXPECT_FL 0x8d5, 0x001, "sar8 cl=0 ff cf1 flags"
    cmp bl, 0xff
    CHECK "sar8 cl=0 ff cf1"
    mov bl, 0xff
    SETFL 0x1
    sar bl, 0
    EXPECT_FL 0x8d5, 0x001, "sar8 imm=0 ff flags"
    cmp bl, 0xff
    CHECK "sar8 imm=0 ff"
    mov bl, 0xbb
    mov cl, 1
    SETFL 0x1
    sar bl, cl
    EXPECT_FL 0x8c5, 0x085, "sar8 cl=1 bb cf1 flags"
    cmp bl, 0xdd
    CHECK "sar8 cl=1 bb cf1"
    mov bl, 0xbb
    SETFL 0x1
    sar bl, 1
    EXPECT_FL 0x8c5, 0x085, "sar8 by 1 bb flags"
    cmp bl, 0xdd
    CHECK "sar8 by 1 bb"
    mov bl, 0x81
    mov cl, 2
    SETFL 0x44
    sar bl, cl
    EXPECT_FL 0x0c5, 0x080, "sar8 cl=2 81 cf0 flags"
    cmp bl, 0xe0
    CHECK "sar8 cl=2 81 cf0"
    mov bl, 0x81
    SETFL 0x44
    sar bl, 2
    EXPECT_FL 0x0c5, 0x080, "sar8 imm=2 81 flags"
    cmp bl, 0xe0
    CHECK "sar8 imm=2 81"
    mov bl, 0xc8
    mov cl, 3
    SETFL 0x44
    sar bl, cl
    EXPECT_FL 0x0c5, 0x084, "sar8 cl=3 c8 cf0 flags"
    cmp bl, 0xf9
    CHECK "sar8 cl=3 c8 cf0"
    mov bl, 0xc8
    SETFL 0x44
    sar bl, 3
    EXPECT_FL 0x0c5, 0x084, "sar8 imm=3 c8 flags"
    cmp bl, 0xf9
    CHECK "sar8 imm=3 c8"
    mov bl, 0x5b
    mov cl, 7
    SETFL 0x8d5
    sar bl, cl
    EXPECT_FL 0x0c5, 0x045, "sar8 cl=7 5b cf1 flags"
    cmp bl, 0x0
    CHECK "sar8 cl=7 5b cf1"
    mov bl, 0x5b
    SETFL 0x8d5
    sar bl, 7
    EXPECT_FL 0x0c5, 0x045, "sar8 imm=7 5b flags"
    cmp bl, 0x0
    CHECK "sar8 imm=7 5b"
    mov bl, 0x80
    mov cl, 8
    SETFL 0x44
    sar bl, cl
    EXPECT_FL 0x0c5, 0x085, "sar8 cl=8 80 cf0 flags"
    cmp bl, 0xff
    CHECK "sar8 cl=8 80 cf0"
    mov bl, 0x80
    SETFL 0x44
    sar bl, 8
    EXPECT_FL 0x0c5, 0x085, "sar8 imm=8 80 flags"
    cmp bl, 0xff
    CHECK "sar8 imm=8 80"
    mov bl, 0x30
    mov cl, 9
    SETFL 0x8d5
    sar bl, cl
    EXPECT_FL 0x0c5, 0x044, "sar8 cl=9 30 cf1 flags"
    cmp bl, 0x0
    CHECK "sar8 cl=9 30 cf1"
    mov bl, 0x30
    SETFL 0x8d5
    sar bl, 9
    EXPECT_FL 0x0c5, 0x044, "sar8 imm=9 30 flags"
    cmp bl, 0x0
    CHECK "sar8 imm=9 30"
    mov bl, 0x30
    mov cl, 10
    SETFL 0x1
    sar bl, cl
    EXPECT_FL 0x0c5, 0x044, "sar8 cl=10 30 cf1 flags"
    cmp bl, 0x0
    CHECK "sar8 cl=10 30 cf1"
    mov bl, 0x30
    SETFL 0x1
    sar bl, 10
    EXPECT_FL 0x0c5, 0x044, "sar8 imm=10 30 flags"
    cmp bl, 0x0
    CHECK "sar8 imm=10 30"
    mov bl, 0xa7
    mov cl, 16
    SETFL 0x1
    sar bl, cl
    EXPECT_FL 0x0c5, 0x085, "sar8 cl=16 a7 cf1 flags"
    cmp bl, 0xff
    CHECK "sar8 cl=16 a7 cf1"
    mov bl, 0xa7
    SETFL 0x1
    sar bl, 16
    EXPECT_FL 0x0c5, 0x085, "sar8 imm=16 a7 flags"
    cmp bl, 0xff
    CHECK "sar8 imm=16 a7"
    mov bl, 0xa
    mov cl, 17
    SETFL 0x0
    sar bl, cl
    EXPECT_FL 0x0c5, 0x044, "sar8 cl=17 a cf0 flags"
    cmp bl, 0x0
    CHECK "sar8 cl=17 a cf0"
    mov bl, 0xa
    SETFL 0x0
    sar bl, 17
    EXPECT_FL 0x0c5, 0x044, "sar8 imm=17 a flags"
    cmp bl, 0x0
    CHECK "sar8 imm=17 a"
    mov bl, 0x40
    mov cl, 31
    SETFL 0x801
    sar bl, cl
    EXPECT_FL 0x0c5, 0x044, "sar8 cl=31 40 cf1 flags"
    cmp bl, 0x0
    CHECK "sar8 cl=31 40 cf1"
    mov bl, 0x40
    SETFL 0x801
    sar bl, 31
    EXPECT_FL 0x0c5, 0x044, "sar8 imm=31 40 flags"
    cmp bl, 0x0
    CHECK "sar8 imm=31 40"
    mov bl, 0x81
    mov cl, 32
    SETFL 0x0
    sar bl, cl
    EXPECT_FL 0x8d5, 0x000, "sar8 cl=32 81 cf0 flags"
    cmp bl, 0x81
    CHECK "sar8 cl=32 81 cf0"
    mov bl, 0x81
    SETFL 0x0
    sar bl, 32
    EXPECT_FL 0x8d5, 0x000, "sar8 imm=32 81 flags"
    cmp bl, 0x81
    CHECK "sar8 imm=32 81"
    mov bl, 0x40
    mov cl, 33
    SETFL 0x0
    sar bl, cl
    EXPECT_FL 0x8c5, 0x000, "sar8 cl=33 40 cf0 flags"
    cmp bl, 0x20
    CHECK "sar8 cl=33 40 cf0"
    mov bl, 0x40
    SETFL 0x0
    sar bl, 33
    EXPECT_FL 0x8c5, 0x000, "sar8 imm=33 40 flags"
    cmp bl, 0x20
    CHECK "sar8 imm=33 40"
    mov byte [MEM], 0xe9
    SETFL 0x0
    sar byte [MEM], 1
    EXPECT_FL 0x8c5, 0x081, "sar8 mem,1 flags"
    cmp byte [MEM], 0xf4
    CHECK "sar8 mem,1 mem"
    mov byte [MEM], 0xa1
    SETFL 0x1
    sar byte [MEM], 3
    EXPECT_FL 0x0c5, 0x080, "sar8 mem,3 flags"
    cmp byte [MEM], 0xf4
    CHECK "sar8 mem,3 mem"
    mov byte [MEM], 0x40
    mov cl, 5
    SETFL 1
    sar byte [MEM], cl
    EXPECT_FL 0x0c5, 0x000, "sar8 mem,cl flags"
    cmp byte [MEM], 0x2
    CHECK "sar8 mem,cl mem"
    mov bx, 0x4000
    mov cl, 0
    SETFL 0x801
    sar bx, cl
    EXPECT_FL 0x8d5, 0x801, "sar16 cl=0 4000 cf1 flags"
    cmp bx, 0x4000
    CHECK "sar16 cl=0 4000 cf1"
    mov bx, 0x4000
    SETFL 0x801
    sar bx, 0
    EXPECT_FL 0x8d5, 0x801, "sar16 imm=0 4000 flags"
    cmp bx, 0x4000
    CHECK "sar16 imm=0 4000"
    mov bx, 0xd6ab
    mov cl, 1
    SETFL 0x0
    sar bx, cl
    EXPECT_FL 0x8c5, 0x085, "sar16 cl=1 d6ab cf0 flags"
    cmp bx, 0xeb55
    CHECK "sar16 cl=1 d6ab cf0"
    mov bx, 0xd6ab
    SETFL 0x0
    sar bx, 1
    EXPECT_FL 0x8c5, 0x085, "sar16 by 1 d6ab flags"
    cmp bx, 0xeb55
    CHECK "sar16 by 1 d6ab"
    mov bx, 0x7282
    mov cl, 2
    SETFL 0x44
    sar bx, cl
    EXPECT_FL 0x0c5, 0x005, "sar16 cl=2 7282 cf0 flags"
    cmp bx, 0x1ca0
    CHECK "sar16 cl=2 7282 cf0"
    mov bx, 0x7282
    SETFL 0x44
    sar bx, 2
    EXPECT_FL 0x0c5, 0x005, "sar16 imm=2 7282 flags"
    cmp bx, 0x1ca0
    CHECK "sar16 imm=2 7282"
    mov bx, 0xc4d9
    mov cl, 5
    SETFL 0x1
    sar bx, cl
    EXPECT_FL 0x0c5, 0x081, "sar16 cl=5 c4d9 cf1 flags"
    cmp bx, 0xfe26
    CHECK "sar16 cl=5 c4d9 cf1"
    mov bx, 0xc4d9
    SETFL 0x1
    sar bx, 5
    EXPECT_FL 0x0c5, 0x081, "sar16 imm=5 c4d9 flags"
    cmp bx, 0xfe26
    CHECK "sar16 imm=5 c4d9"
    mov bx, 0x8000
    mov cl, 15
    SETFL 0x8d5
    sar bx, cl
    EXPECT_FL 0x0c5, 0x084, "sar16 cl=15 8000 cf1 flags"
    cmp bx, 0xffff
    CHECK "sar16 cl=15 8000 cf1"
    mov bx, 0x8000
    SETFL 0x8d5
    sar bx, 15
    EXPECT_FL 0x0c5, 0x084, "sar16 imm=15 8000 flags"
    cmp bx, 0xffff
    CHECK "sar16 imm=15 8000"
    mov bx, 0x7fff
    mov cl, 16
    SETFL 0x8d5
    sar bx, cl
    EXPECT_FL 0x0c5, 0x044, "sar16 cl=16 7fff cf1 flags"
    cmp bx, 0x0
    CHECK "sar16 cl=16 7fff cf1"
    mov bx, 0x7fff
    SETFL 0x8d5
    sar bx, 16
    EXPECT_FL 0x0c5, 0x044, "sar16 imm=16 7fff flags"
    cmp bx, 0x0
    CHECK "sar16 imm=16 7fff"
    mov bx, 0x1
    mov cl, 17
    SETFL 0x8d5
    sar bx, cl
    EXPECT_FL 0x0c5, 0x044, "sar16 cl=17 1 cf1 flags"
    cmp bx, 0x0
    CHECK "sar16 cl=17 1 cf1"
    mov bx, 0x1
    SETFL 0x8d5
    sar bx, 17
    EXPECT_FL 0x0c5, 0x044, "sar16 imm=17 1 flags"
    cmp bx, 0x0
    CHECK "sar16 imm=17 1"
    mov bx, 0x8000
    mov cl, 18
    SETFL 0x1
    sar bx, cl
    EXPECT_FL 0x0c5, 0x085, "sar16 cl=18 8000 cf1 flags"
    cmp bx, 0xffff
    CHECK "sar16 cl=18 8000 cf1"
    mov bx, 0x8000
    SETFL 0x1
    sar bx, 18
    EXPECT_FL 0x0c5, 0x085, "sar16 imm=18 8000 flags"
    cmp bx, 0xffff
    CHECK "sar16 imm=18 8000"
    mov bx, 0x4000
    mov cl, 31
    SETFL 0x44
    sar bx, cl
    EXPECT_FL 0x0c5, 0x044, "sar16 cl=31 4000 cf0 flags"
    cmp bx, 0x0
    CHECK "sar16 cl=31 4000 cf0"
    mov bx, 0x4000
    SETFL 0x44
    sar bx, 31
    EXPECT_FL 0x0c5, 0x044, "sar16 imm=31 4000 flags"
    cmp bx, 0x0
    CHECK "sar16 imm=31 4000"
    mov bx, 0x4000
    mov cl, 32
    SETFL 0x0
    sar bx, cl
    EXPECT_FL 0x8d5, 0x000, "sar16 cl=32 4000 cf0 flags"
    cmp bx, 0x4000
    CHECK "sar16 cl=32 4000 cf0"
    mov bx, 0x4000
    SETFL 0x0
    sar bx, 32
    EXPECT_FL 0x8d5, 0x000, "sar16 imm=32 4000 flags"
    cmp bx, 0x4000
    CHECK "sar16 imm=32 4000"
    mov bx, 0x6e96
    mov cl, 33
    SETFL 0x44
    sar bx, cl
    EXPECT_FL 0x8c5, 0x004, "sar16 cl=33 6e96 cf0 flags"
    cmp bx, 0x374b
    CHECK "sar16 cl=33 6e96 cf0"
    mov bx, 0x6e96
    SETFL 0x44
    sar bx, 33
    EXPECT_FL 0x8c5, 0x004, "sar16 imm=33 6e96 flags"
    cmp bx, 0x374b
    CHECK "sar16 imm=33 6e96"
    mov word [MEM], 0xd0b7
    SETFL 0x1
    sar word [MEM], 1
    EXPECT_FL 0x8c5, 0x081, "sar16 mem,1 flags"
    cmp word [MEM], 0xe85b
    CHECK "sar16 mem,1 mem"
    mov word [MEM], 0x8001
    SETFL 0x0
    sar word [MEM], 3
    EXPECT_FL 0x0c5, 0x084, "sar16 mem,3 flags"
    cmp word [MEM], 0xf000
    CHECK "sar16 mem,3 mem"
    mov word [MEM], 0x8000
    mov cl, 5
    SETFL 1
    sar word [MEM], cl
    EXPECT_FL 0x0c5, 0x084, "sar16 mem,cl flags"
    cmp word [MEM], 0xfc00
    CHECK "sar16 mem,cl mem"
    mov ebx, 0xb1f266ea
    mov cl, 0
    SETFL 0x8d5
    sar ebx, cl
    EXPECT_FL 0x8d5, 0x8d5, "sar32 cl=0 b1f266ea cf1 flags"
    cmp ebx, 0xb1f266ea
    CHECK "sar32 cl=0 b1f266ea cf1"
    mov ebx, 0xb1f266ea
    SETFL 0x8d5
    sar ebx, 0
    EXPECT_FL 0x8d5, 0x8d5, "sar32 imm=0 b1f266ea flags"
    cmp ebx, 0xb1f266ea
    CHECK "sar32 imm=0 b1f266ea"
    mov ebx, 0x80000000
    mov cl, 1
    SETFL 0x8d5
    sar ebx, cl
    EXPECT_FL 0x8c5, 0x084, "sar32 cl=1 80000000 cf1 flags"
    cmp ebx, 0xc0000000
    CHECK "sar32 cl=1 80000000 cf1"
    mov ebx, 0x80000000
    SETFL 0x8d5
    sar ebx, 1
    EXPECT_FL 0x8c5, 0x084, "sar32 by 1 80000000 flags"
    cmp ebx, 0xc0000000
    CHECK "sar32 by 1 80000000"
    mov ebx, 0x7fffffff
    mov cl, 2
    SETFL 0x1
    sar ebx, cl
    EXPECT_FL 0x0c5, 0x005, "sar32 cl=2 7fffffff cf1 flags"
    cmp ebx, 0x1fffffff
    CHECK "sar32 cl=2 7fffffff cf1"
    mov ebx, 0x7fffffff
    SETFL 0x1
    sar ebx, 2
    EXPECT_FL 0x0c5, 0x005, "sar32 imm=2 7fffffff flags"
    cmp ebx, 0x1fffffff
    CHECK "sar32 imm=2 7fffffff"
    mov ebx, 0x80000000
    mov cl, 5
    SETFL 0x8d5
    sar ebx, cl
    EXPECT_FL 0x0c5, 0x084, "sar32 cl=5 80000000 cf1 flags"
    cmp ebx, 0xfc000000
    CHECK "sar32 cl=5 80000000 cf1"
    mov ebx, 0x80000000
    SETFL 0x8d5
    sar ebx, 5
    EXPECT_FL 0x0c5, 0x084, "sar32 imm=5 80000000 flags"
    cmp ebx, 0xfc000000
    CHECK "sar32 imm=5 80000000"
    mov ebx, 0x80000001
    mov cl, 16
    SETFL 0x8d5
    sar ebx, cl
    EXPECT_FL 0x0c5, 0x084, "sar32 cl=16 80000001 cf1 flags"
    cmp ebx, 0xffff8000
    CHECK "sar32 cl=16 80000001 cf1"
    mov ebx, 0x80000001
    SETFL 0x8d5
    sar ebx, 16
    EXPECT_FL 0x0c5, 0x084, "sar32 imm=16 80000001 flags"
    cmp ebx, 0xffff8000
    CHECK "sar32 imm=16 80000001"
    mov ebx, 0x91bbfa2b
    mov cl, 30
    SETFL 0x44
    sar ebx, cl
    EXPECT_FL 0x0c5, 0x080, "sar32 cl=30 91bbfa2b cf0 flags"
    cmp ebx, 0xfffffffe
    CHECK "sar32 cl=30 91bbfa2b cf0"
    mov ebx, 0x91bbfa2b
    SETFL 0x44
    sar ebx, 30
    EXPECT_FL 0x0c5, 0x080, "sar32 imm=30 91bbfa2b flags"
    cmp ebx, 0xfffffffe
    CHECK "sar32 imm=30 91bbfa2b"
    mov ebx, 0xf09fa24f
    mov cl, 31
    SETFL 0x8d5
    sar ebx, cl
    EXPECT_FL 0x0c5, 0x085, "sar32 cl=31 f09fa24f cf1 flags"
    cmp ebx, 0xffffffff
    CHECK "sar32 cl=31 f09fa24f cf1"
    mov ebx, 0xf09fa24f
    SETFL 0x8d5
    sar ebx, 31
    EXPECT_FL 0x0c5, 0x085, "sar32 imm=31 f09fa24f flags"
    cmp ebx, 0xffffffff
    CHECK "sar32 imm=31 f09fa24f"
    mov ebx, 0x40000000
    mov cl, 32
    SETFL 0x801
    sar ebx, cl
    EXPECT_FL 0x8d5, 0x801, "sar32 cl=32 40000000 cf1 flags"
    cmp ebx, 0x40000000
    CHECK "sar32 cl=32 40000000 cf1"
    mov ebx, 0x40000000
    SETFL 0x801
    sar ebx, 32
    EXPECT_FL 0x8d5, 0x801, "sar32 imm=32 40000000 flags"
    cmp ebx, 0x40000000
    CHECK "sar32 imm=32 40000000"
    mov ebx, 0xc3a5f00f
    mov cl, 33
    SETFL 0x44
    sar ebx, cl
    EXPECT_FL 0x8c5, 0x081, "sar32 cl=33 c3a5f00f cf0 flags"
    cmp ebx, 0xe1d2f807
    CHECK "sar32 cl=33 c3a5f00f cf0"
    mov ebx, 0xc3a5f00f
    SETFL 0x44
    sar ebx, 33
    EXPECT_FL 0x8c5, 0x081, "sar32 imm=33 c3a5f00f flags"
    cmp ebx, 0xe1d2f807
    CHECK "sar32 imm=33 c3a5f00f"
    mov dword [MEM], 0x40000000
    SETFL 0x1
    sar dword [MEM], 1
    EXPECT_FL 0x8c5, 0x004, "sar32 mem,1 flags"
    cmp dword [MEM], 0x20000000
    CHECK "sar32 mem,1 mem"
    mov dword [MEM], 0x80000000
    SETFL 0x1
    sar dword [MEM], 3
    EXPECT_FL 0x0c5, 0x084, "sar32 mem,3 flags"
    cmp dword [MEM], 0xf0000000
    CHECK "sar32 mem,3 mem"
    mov dword [MEM], 0xcbcf3248
    mov cl, 5
    SETFL 1
    sar dword [MEM], cl
    EXPECT_FL 0x0c5, 0x080, "sar32 mem,cl flags"
    cmp dword [MEM], 0xfe5e7992
    CHECK "sar32 mem,cl mem"
    PUTS `shift: sal /6 alias\n`
    mov bl, 0x81
    SETFL 0
    db 0xd0, 0xf3          ; d0 /6 rm=bx
    EXPECT_FL 0x8c5, 0x801, "sal8 /6 by 1 flags"
    cmp bl, 0x2
    CHECK "sal8 /6 by 1"
    mov bl, 0x81
    SETFL 0
    db 0xc0, 0xf3, 3       ; c0 /6 ib
    EXPECT_FL 0x0c5, 0x000, "sal8 /6 imm 3 flags"
    cmp bl, 0x8
    CHECK "sal8 /6 imm 3"
    mov bx, 0x8001
    SETFL 0
    db 0xd1, 0xf3          ; d1 /6 rm=bx
    EXPECT_FL 0x8c5, 0x801, "sal16 /6 by 1 flags"
    cmp bx, 0x2
    CHECK "sal16 /6 by 1"
    mov bx, 0x8001
    SETFL 0
    db 0xc1, 0xf3, 3       ; c1 /6 ib
    EXPECT_FL 0x0c5, 0x000, "sal16 /6 imm 3 flags"
    cmp bx, 0x8
    CHECK "sal16 /6 imm 3"
    mov ebx, 0x80000001
    SETFL 0
    db 0x66, 0xd1, 0xf3          ; d1 /6 rm=bx
    EXPECT_FL 0x8c5, 0x801, "sal32 /6 by 1 flags"
    cmp ebx, 0x2
    CHECK "sal32 /6 by 1"
    mov ebx, 0x80000001
    SETFL 0
    db 0x66, 0xc1, 0xf3, 3       ; c1 /6 ib
    EXPECT_FL 0x0c5, 0x000, "sal32 /6 imm 3 flags"
    cmp ebx, 0x8
    CHECK "sal32 /6 imm 3"
    PUTS `shift: shld\n`
    mov bx, 0x1
    mov dx, 0xc3a5
    mov cl, 0
    SETFL 0x8d5
    shld bx, dx, cl
    EXPECT_FL 0x8d5, 0x8d5, "shld16 cl=0 flags"
    cmp bx, 0x1
    CHECK "shld16 cl=0"
    mov bx, 0x1
    mov dx, 0xc3a5
    SETFL 0x8d5
    shld bx, dx, 0
    EXPECT_FL 0x8d5, 0x8d5, "shld16 imm=0 flags"
    cmp bx, 0x1
    CHECK "shld16 imm=0"
    mov bx, 0x1
    mov dx, 0x2d35
    mov cl, 1
    SETFL 0x0
    shld bx, dx, cl
    EXPECT_FL 0x8c5, 0x000, "shld16 cl=1 flags"
    cmp bx, 0x2
    CHECK "shld16 cl=1"
    mov bx, 0x1
    mov dx, 0x2d35
    SETFL 0x0
    shld bx, dx, 1
    EXPECT_FL 0x8c5, 0x000, "shld16 imm=1 flags"
    cmp bx, 0x2
    CHECK "shld16 imm=1"
    mov bx, 0xe182
    mov dx, 0xcfd5
    mov cl, 2
    SETFL 0x0
    shld bx, dx, cl
    EXPECT_FL 0x0c5, 0x081, "shld16 cl=2 flags"
    cmp bx, 0x860b
    CHECK "shld16 cl=2"
    mov bx, 0xe182
    mov dx, 0xcfd5
    SETFL 0x0
    shld bx, dx, 2
    EXPECT_FL 0x0c5, 0x081, "shld16 imm=2 flags"
    cmp bx, 0x860b
    CHECK "shld16 imm=2"
    mov bx, 0x8001
    mov dx, 0x9145
    mov cl, 4
    SETFL 0x1
    shld bx, dx, cl
    EXPECT_FL 0x0c5, 0x000, "shld16 cl=4 flags"
    cmp bx, 0x19
    CHECK "shld16 cl=4"
    mov bx, 0x8001
    mov dx, 0x9145
    SETFL 0x1
    shld bx, dx, 4
    EXPECT_FL 0x0c5, 0x000, "shld16 imm=4 flags"
    cmp bx, 0x19
    CHECK "shld16 imm=4"
    mov bx, 0xa6b5
    mov dx, 0x6c39
    mov cl, 8
    SETFL 0x0
    shld bx, dx, cl
    EXPECT_FL 0x0c5, 0x084, "shld16 cl=8 flags"
    cmp bx, 0xb56c
    CHECK "shld16 cl=8"
    mov bx, 0xa6b5
    mov dx, 0x6c39
    SETFL 0x0
    shld bx, dx, 8
    EXPECT_FL 0x0c5, 0x084, "shld16 imm=8 flags"
    cmp bx, 0xb56c
    CHECK "shld16 imm=8"
    mov bx, 0x4e33
    mov dx, 0x1584
    mov cl, 15
    SETFL 0x1
    shld bx, dx, cl
    EXPECT_FL 0x0c5, 0x081, "shld16 cl=15 flags"
    cmp bx, 0x8ac2
    CHECK "shld16 cl=15"
    mov bx, 0x4e33
    mov dx, 0x1584
    SETFL 0x1
    shld bx, dx, 15
    EXPECT_FL 0x0c5, 0x081, "shld16 imm=15 flags"
    cmp bx, 0x8ac2
    CHECK "shld16 imm=15"
    mov bx, 0x8000
    mov dx, 0x4000
    mov cl, 16
    SETFL 0x0
    shld bx, dx, cl
    EXPECT_FL 0x0c5, 0x004, "shld16 cl=16 flags"
    cmp bx, 0x4000
    CHECK "shld16 cl=16"
    mov bx, 0x8000
    mov dx, 0x4000
    SETFL 0x0
    shld bx, dx, 16
    EXPECT_FL 0x0c5, 0x004, "shld16 imm=16 flags"
    cmp bx, 0x4000
    CHECK "shld16 imm=16"
    mov bx, 0x8000
    mov dx, 0x8000
    mov cl, 32
    SETFL 0x8d5
    shld bx, dx, cl
    EXPECT_FL 0x8d5, 0x8d5, "shld16 cl=32 flags"
    cmp bx, 0x8000
    CHECK "shld16 cl=32"
    mov bx, 0x8000
    mov dx, 0x8000
    SETFL 0x8d5
    shld bx, dx, 32
    EXPECT_FL 0x8d5, 0x8d5, "shld16 imm=32 flags"
    cmp bx, 0x8000
    CHECK "shld16 imm=32"
    mov bx, 0x8000
    mov dx, 0x1
    mov cl, 33
    SETFL 0x1
    shld bx, dx, cl
    EXPECT_FL 0x8c5, 0x845, "shld16 cl=33 flags"
    cmp bx, 0x0
    CHECK "shld16 cl=33"
    mov bx, 0x8000
    mov dx, 0x1
    SETFL 0x1
    shld bx, dx, 33
    EXPECT_FL 0x8c5, 0x845, "shld16 imm=33 flags"
    cmp bx, 0x0
    CHECK "shld16 imm=33"
    mov word [MEM], 0x64f6
    mov dx, 0x4000
    SETFL 0
    shld word [MEM], dx, 7
    EXPECT_FL 0x0c5, 0x000, "shld16 mem,imm 7 flags"
    cmp word [MEM], 0x7b20
    CHECK "shld16 mem,imm 7 mem"
    mov ebx, 0x7e60a159
    mov edx, 0x80000000
    mov cl, 0
    SETFL 0x0
    shld ebx, edx, cl
    EXPECT_FL 0x8d5, 0x000, "shld32 cl=0 flags"
    cmp ebx, 0x7e60a159
    CHECK "shld32 cl=0"
    mov ebx, 0x7e60a159
    mov edx, 0x80000000
    SETFL 0x0
    shld ebx, edx, 0
    EXPECT_FL 0x8d5, 0x000, "shld32 imm=0 flags"
    cmp ebx, 0x7e60a159
    CHECK "shld32 imm=0"
    mov ebx, 0xea3bec34
    mov edx, 0x80000000
    mov cl, 1
    SETFL 0x1
    shld ebx, edx, cl
    EXPECT_FL 0x8c5, 0x085, "shld32 cl=1 flags"
    cmp ebx, 0xd477d869
    CHECK "shld32 cl=1"
    mov ebx, 0xea3bec34
    mov edx, 0x80000000
    SETFL 0x1
    shld ebx, edx, 1
    EXPECT_FL 0x8c5, 0x085, "shld32 imm=1 flags"
    cmp ebx, 0xd477d869
    CHECK "shld32 imm=1"
    mov ebx, 0xce4ff021
    mov edx, 0x80000001
    mov cl, 2
    SETFL 0x1
    shld ebx, edx, cl
    EXPECT_FL 0x0c5, 0x001, "shld32 cl=2 flags"
    cmp ebx, 0x393fc086
    CHECK "shld32 cl=2"
    mov ebx, 0xce4ff021
    mov edx, 0x80000001
    SETFL 0x1
    shld ebx, edx, 2
    EXPECT_FL 0x0c5, 0x001, "shld32 imm=2 flags"
    cmp ebx, 0x393fc086
    CHECK "shld32 imm=2"
    mov ebx, 0xa3e8f469
    mov edx, 0x40000000
    mov cl, 8
    SETFL 0x8d5
    shld ebx, edx, cl
    EXPECT_FL 0x0c5, 0x081, "shld32 cl=8 flags"
    cmp ebx, 0xe8f46940
    CHECK "shld32 cl=8"
    mov ebx, 0xa3e8f469
    mov edx, 0x40000000
    SETFL 0x8d5
    shld ebx, edx, 8
    EXPECT_FL 0x0c5, 0x081, "shld32 imm=8 flags"
    cmp ebx, 0xe8f46940
    CHECK "shld32 imm=8"
    mov ebx, 0x80000001
    mov edx, 0xc3a5f00f
    mov cl, 16
    SETFL 0x0
    shld ebx, edx, cl
    EXPECT_FL 0x0c5, 0x004, "shld32 cl=16 flags"
    cmp ebx, 0x1c3a5
    CHECK "shld32 cl=16"
    mov ebx, 0x80000001
    mov edx, 0xc3a5f00f
    SETFL 0x0
    shld ebx, edx, 16
    EXPECT_FL 0x0c5, 0x004, "shld32 imm=16 flags"
    cmp ebx, 0x1c3a5
    CHECK "shld32 imm=16"
    mov ebx, 0x7fffffff
    mov edx, 0x60223aab
    mov cl, 31
    SETFL 0x8d5
    shld ebx, edx, cl
    EXPECT_FL 0x0c5, 0x085, "shld32 cl=31 flags"
    cmp ebx, 0xb0111d55
    CHECK "shld32 cl=31"
    mov ebx, 0x7fffffff
    mov edx, 0x60223aab
    SETFL 0x8d5
    shld ebx, edx, 31
    EXPECT_FL 0x0c5, 0x085, "shld32 imm=31 flags"
    cmp ebx, 0xb0111d55
    CHECK "shld32 imm=31"
    mov ebx, 0x7fffffff
    mov edx, 0x1
    mov cl, 32
    SETFL 0x1
    shld ebx, edx, cl
    EXPECT_FL 0x8d5, 0x001, "shld32 cl=32 flags"
    cmp ebx, 0x7fffffff
    CHECK "shld32 cl=32"
    mov ebx, 0x7fffffff
    mov edx, 0x1
    SETFL 0x1
    shld ebx, edx, 32
    EXPECT_FL 0x8d5, 0x001, "shld32 imm=32 flags"
    cmp ebx, 0x7fffffff
    CHECK "shld32 imm=32"
    mov ebx, 0x80000001
    mov edx, 0x80000000
    mov cl, 33
    SETFL 0x0
    shld ebx, edx, cl
    EXPECT_FL 0x8c5, 0x805, "shld32 cl=33 flags"
    cmp ebx, 0x3
    CHECK "shld32 cl=33"
    mov ebx, 0x80000001
    mov edx, 0x80000000
    SETFL 0x0
    shld ebx, edx, 33
    EXPECT_FL 0x8c5, 0x805, "shld32 imm=33 flags"
    cmp ebx, 0x3
    CHECK "shld32 imm=33"
    mov dword [MEM], 0x7fffffff
    mov edx, 0x2def4fe1
    SETFL 0
    shld dword [MEM], edx, 7
    EXPECT_FL 0x0c5, 0x085, "shld32 mem,imm 7 flags"
    cmp dword [MEM], 0xffffff96
    CHECK "shld32 mem,imm 7 mem"
    PUTS `shift: shrd\n`
    mov bx, 0xc0cd
    mov dx, 0x1
    mov cl, 0
    SETFL 0x1
    shrd bx, dx, cl
    EXPECT_FL 0x8d5, 0x001, "shrd16 cl=0 flags"
    cmp bx, 0xc0cd
    CHECK "shrd16 cl=0"
    mov bx, 0xc0cd
    mov dx, 0x1
    SETFL 0x1
    shrd bx, dx, 0
    EXPECT_FL 0x8d5, 0x001, "shrd16 imm=0 flags"
    cmp bx, 0xc0cd
    CHECK "shrd16 imm=0"
    mov bx, 0x94f
    mov dx, 0x7fff
    mov cl, 1
    SETFL 0x0
    shrd bx, dx, cl
    EXPECT_FL 0x8c5, 0x881, "shrd16 cl=1 flags"
    cmp bx, 0x84a7
    CHECK "shrd16 cl=1"
    mov bx, 0x94f
    mov dx, 0x7fff
    SETFL 0x0
    shrd bx, dx, 1
    EXPECT_FL 0x8c5, 0x881, "shrd16 imm=1 flags"
    cmp bx, 0x84a7
    CHECK "shrd16 imm=1"
    mov bx, 0x1
    mov dx, 0x8000
    mov cl, 2
    SETFL 0x1
    shrd bx, dx, cl
    EXPECT_FL 0x0c5, 0x044, "shrd16 cl=2 flags"
    cmp bx, 0x0
    CHECK "shrd16 cl=2"
    mov bx, 0x1
    mov dx, 0x8000
    SETFL 0x1
    shrd bx, dx, 2
    EXPECT_FL 0x0c5, 0x044, "shrd16 imm=2 flags"
    cmp bx, 0x0
    CHECK "shrd16 imm=2"
    mov bx, 0x3955
    mov dx, 0x4000
    mov cl, 4
    SETFL 0x1
    shrd bx, dx, cl
    EXPECT_FL 0x0c5, 0x004, "shrd16 cl=4 flags"
    cmp bx, 0x395
    CHECK "shrd16 cl=4"
    mov bx, 0x3955
    mov dx, 0x4000
    SETFL 0x1
    shrd bx, dx, 4
    EXPECT_FL 0x0c5, 0x004, "shrd16 imm=4 flags"
    cmp bx, 0x395
    CHECK "shrd16 imm=4"
    mov bx, 0x4000
    mov dx, 0xf126
    mov cl, 8
    SETFL 0x8d5
    shrd bx, dx, cl
    EXPECT_FL 0x0c5, 0x000, "shrd16 cl=8 flags"
    cmp bx, 0x2640
    CHECK "shrd16 cl=8"
    mov bx, 0x4000
    mov dx, 0xf126
    SETFL 0x8d5
    shrd bx, dx, 8
    EXPECT_FL 0x0c5, 0x000, "shrd16 imm=8 flags"
    cmp bx, 0x2640
    CHECK "shrd16 imm=8"
    mov bx, 0x4000
    mov dx, 0xc3a5
    mov cl, 15
    SETFL 0x1
    shrd bx, dx, cl
    EXPECT_FL 0x0c5, 0x081, "shrd16 cl=15 flags"
    cmp bx, 0x874a
    CHECK "shrd16 cl=15"
    mov bx, 0x4000
    mov dx, 0xc3a5
    SETFL 0x1
    shrd bx, dx, 15
    EXPECT_FL 0x0c5, 0x081, "shrd16 imm=15 flags"
    cmp bx, 0x874a
    CHECK "shrd16 imm=15"
    mov bx, 0xc58c
    mov dx, 0x7b8c
    mov cl, 16
    SETFL 0x0
    shrd bx, dx, cl
    EXPECT_FL 0x0c5, 0x001, "shrd16 cl=16 flags"
    cmp bx, 0x7b8c
    CHECK "shrd16 cl=16"
    mov bx, 0xc58c
    mov dx, 0x7b8c
    SETFL 0x0
    shrd bx, dx, 16
    EXPECT_FL 0x0c5, 0x001, "shrd16 imm=16 flags"
    cmp bx, 0x7b8c
    CHECK "shrd16 imm=16"
    mov bx, 0x7fff
    mov dx, 0xcd29
    mov cl, 32
    SETFL 0x1
    shrd bx, dx, cl
    EXPECT_FL 0x8d5, 0x001, "shrd16 cl=32 flags"
    cmp bx, 0x7fff
    CHECK "shrd16 cl=32"
    mov bx, 0x7fff
    mov dx, 0xcd29
    SETFL 0x1
    shrd bx, dx, 32
    EXPECT_FL 0x8d5, 0x001, "shrd16 imm=32 flags"
    cmp bx, 0x7fff
    CHECK "shrd16 imm=32"
    mov bx, 0xcb71
    mov dx, 0x4648
    mov cl, 33
    SETFL 0x0
    shrd bx, dx, cl
    EXPECT_FL 0x8c5, 0x805, "shrd16 cl=33 flags"
    cmp bx, 0x65b8
    CHECK "shrd16 cl=33"
    mov bx, 0xcb71
    mov dx, 0x4648
    SETFL 0x0
    shrd bx, dx, 33
    EXPECT_FL 0x8c5, 0x805, "shrd16 imm=33 flags"
    cmp bx, 0x65b8
    CHECK "shrd16 imm=33"
    mov word [MEM], 0x3cd4
    mov dx, 0xdfc1
    SETFL 0
    shrd word [MEM], dx, 7
    EXPECT_FL 0x0c5, 0x081, "shrd16 mem,imm 7 flags"
    cmp word [MEM], 0x8279
    CHECK "shrd16 mem,imm 7 mem"
    mov ebx, 0x40000000
    mov edx, 0x7fffffff
    mov cl, 0
    SETFL 0x8d5
    shrd ebx, edx, cl
    EXPECT_FL 0x8d5, 0x8d5, "shrd32 cl=0 flags"
    cmp ebx, 0x40000000
    CHECK "shrd32 cl=0"
    mov ebx, 0x40000000
    mov edx, 0x7fffffff
    SETFL 0x8d5
    shrd ebx, edx, 0
    EXPECT_FL 0x8d5, 0x8d5, "shrd32 imm=0 flags"
    cmp ebx, 0x40000000
    CHECK "shrd32 imm=0"
    mov ebx, 0x7fffffff
    mov edx, 0x40000000
    mov cl, 1
    SETFL 0x0
    shrd ebx, edx, cl
    EXPECT_FL 0x8c5, 0x005, "shrd32 cl=1 flags"
    cmp ebx, 0x3fffffff
    CHECK "shrd32 cl=1"
    mov ebx, 0x7fffffff
    mov edx, 0x40000000
    SETFL 0x0
    shrd ebx, edx, 1
    EXPECT_FL 0x8c5, 0x005, "shrd32 imm=1 flags"
    cmp ebx, 0x3fffffff
    CHECK "shrd32 imm=1"
    mov ebx, 0x1
    mov edx, 0x80000000
    mov cl, 2
    SETFL 0x8d5
    shrd ebx, edx, cl
    EXPECT_FL 0x0c5, 0x044, "shrd32 cl=2 flags"
    cmp ebx, 0x0
    CHECK "shrd32 cl=2"
    mov ebx, 0x1
    mov edx, 0x80000000
    SETFL 0x8d5
    shrd ebx, edx, 2
    EXPECT_FL 0x0c5, 0x044, "shrd32 imm=2 flags"
    cmp ebx, 0x0
    CHECK "shrd32 imm=2"
    mov ebx, 0x1
    mov edx, 0x1
    mov cl, 8
    SETFL 0x0
    shrd ebx, edx, cl
    EXPECT_FL 0x0c5, 0x004, "shrd32 cl=8 flags"
    cmp ebx, 0x1000000
    CHECK "shrd32 cl=8"
    mov ebx, 0x1
    mov edx, 0x1
    SETFL 0x0
    shrd ebx, edx, 8
    EXPECT_FL 0x0c5, 0x004, "shrd32 imm=8 flags"
    cmp ebx, 0x1000000
    CHECK "shrd32 imm=8"
    mov ebx, 0x7fffffff
    mov edx, 0x1519e708
    mov cl, 16
    SETFL 0x1
    shrd ebx, edx, cl
    EXPECT_FL 0x0c5, 0x085, "shrd32 cl=16 flags"
    cmp ebx, 0xe7087fff
    CHECK "shrd32 cl=16"
    mov ebx, 0x7fffffff
    mov edx, 0x1519e708
    SETFL 0x1
    shrd ebx, edx, 16
    EXPECT_FL 0x0c5, 0x085, "shrd32 imm=16 flags"
    cmp ebx, 0xe7087fff
    CHECK "shrd32 imm=16"
    mov ebx, 0x80000000
    mov edx, 0xe3c0626d
    mov cl, 31
    SETFL 0x1
    shrd ebx, edx, cl
    EXPECT_FL 0x0c5, 0x084, "shrd32 cl=31 flags"
    cmp ebx, 0xc780c4db
    CHECK "shrd32 cl=31"
    mov ebx, 0x80000000
    mov edx, 0xe3c0626d
    SETFL 0x1
    shrd ebx, edx, 31
    EXPECT_FL 0x0c5, 0x084, "shrd32 imm=31 flags"
    cmp ebx, 0xc780c4db
    CHECK "shrd32 imm=31"
    mov ebx, 0x15363de7
    mov edx, 0x962d9c5f
    mov cl, 32
    SETFL 0x8d5
    shrd ebx, edx, cl
    EXPECT_FL 0x8d5, 0x8d5, "shrd32 cl=32 flags"
    cmp ebx, 0x15363de7
    CHECK "shrd32 cl=32"
    mov ebx, 0x15363de7
    mov edx, 0x962d9c5f
    SETFL 0x8d5
    shrd ebx, edx, 32
    EXPECT_FL 0x8d5, 0x8d5, "shrd32 imm=32 flags"
    cmp ebx, 0x15363de7
    CHECK "shrd32 imm=32"
    mov ebx, 0x4db8581e
    mov edx, 0x7fffffff
    mov cl, 33
    SETFL 0x1
    shrd ebx, edx, cl
    EXPECT_FL 0x8c5, 0x884, "shrd32 cl=33 flags"
    cmp ebx, 0xa6dc2c0f
    CHECK "shrd32 cl=33"
    mov ebx, 0x4db8581e
    mov edx, 0x7fffffff
    SETFL 0x1
    shrd ebx, edx, 33
    EXPECT_FL 0x8c5, 0x884, "shrd32 imm=33 flags"
    cmp ebx, 0xa6dc2c0f
    CHECK "shrd32 imm=33"
    mov dword [MEM], 0x80000000
    mov edx, 0xc3a5f00f
    SETFL 0
    shrd dword [MEM], edx, 7
    EXPECT_FL 0x0c5, 0x004, "shrd32 mem,imm 7 flags"
    cmp dword [MEM], 0x1f000000
    CHECK "shrd32 mem,imm 7 mem"
    FINISH

TRAP_HANDLERS
ROM_END
