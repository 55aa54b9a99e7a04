; bitops.asm — BT/BTS/BTR/BTC with register and immediate bit offsets on
; registers (offset modulo the width) and memory (register offsets are
; signed and address the word/dword beyond the operand, immediate offsets
; wrap), BSF/BSR (ZF, the zero-source case leaving the destination alone as
; a P6 does), BSWAP, SETcc and CMOVcc for every condition, XADD, CMPXCHG,
; CMPXCHG8B, and LOCK: accepted on the lockable memory forms, #UD on
; register destinations and on BT/BSF/SETcc. Only flags the SDM defines are
; checked (CF for BT*, ZF for BSF/BSR). Validated under QEMU.
;
; qemu-differs: QEMU 7.2 ignores LOCK on BT, register-destination BTS/XADD, BSF, SETcc, BSWAP (SDM: #UD)
%include "rom.inc"
%include "arith.inc"

%define MEM 0x0600

start:
    ROM_INIT
    TRAP_INIT
    PUTS `bitops: bt bts btr btc register forms\n`
    mov bx, 0x7687
    mov cx, 0x10
    SETFL 0x0
    bt bx, cx
    EXPECT_FL 1, 1, "bt16 r,r 7687 bit 10 cf"
    cmp bx, 0x7687
    CHECK "bt16 r,r 7687 bit 10"
    mov bx, 0x7687
    SETFL 0x1
    bt bx, 21
    EXPECT_FL 1, 0, "bt16 r,imm 15 cf"
    cmp bx, 0x7687
    CHECK "bt16 r,imm 15"
    mov bx, 0x2377
    mov cx, 0x0
    SETFL 0x0
    bt bx, cx
    EXPECT_FL 1, 1, "bt16 r,r 2377 bit 0 cf"
    cmp bx, 0x2377
    CHECK "bt16 r,r 2377 bit 0"
    mov bx, 0x2377
    SETFL 0x0
    bt bx, 21
    EXPECT_FL 1, 1, "bt16 r,imm 15 cf"
    cmp bx, 0x2377
    CHECK "bt16 r,imm 15"
    mov bx, 0x80b6
    mov cx, 0x76b6
    SETFL 0x1
    bt bx, cx
    EXPECT_FL 1, 0, "bt16 r,r 80b6 bit 76b6 cf"
    cmp bx, 0x80b6
    CHECK "bt16 r,r 80b6 bit 76b6"
    mov bx, 0x80b6
    SETFL 0x1
    bt bx, 3
    EXPECT_FL 1, 0, "bt16 r,imm 3 cf"
    cmp bx, 0x80b6
    CHECK "bt16 r,imm 3"
    mov bx, 0x5582
    mov cx, 0x8de4
    SETFL 0x1
    bt bx, cx
    EXPECT_FL 1, 0, "bt16 r,r 5582 bit 8de4 cf"
    cmp bx, 0x5582
    CHECK "bt16 r,r 5582 bit 8de4"
    mov bx, 0x5582
    SETFL 0x1
    bt bx, 3
    EXPECT_FL 1, 0, "bt16 r,imm 3 cf"
    cmp bx, 0x5582
    CHECK "bt16 r,imm 3"
    mov ebx, 0xba6ace6c
    mov ecx, 0x1f
    SETFL 0x0
    bt ebx, ecx
    EXPECT_FL 1, 1, "bt32 r,r ba6ace6c bit 1f cf"
    cmp ebx, 0xba6ace6c
    CHECK "bt32 r,r ba6ace6c bit 1f"
    mov ebx, 0xba6ace6c
    SETFL 0x0
    bt ebx, 255
    EXPECT_FL 1, 1, "bt32 r,imm ff cf"
    cmp ebx, 0xba6ace6c
    CHECK "bt32 r,imm ff"
    mov ebx, 0xf3868254
    mov ecx, 0x23
    SETFL 0x1
    bt ebx, ecx
    EXPECT_FL 1, 0, "bt32 r,r f3868254 bit 23 cf"
    cmp ebx, 0xf3868254
    CHECK "bt32 r,r f3868254 bit 23"
    mov ebx, 0xf3868254
    SETFL 0x0
    bt ebx, 31
    EXPECT_FL 1, 1, "bt32 r,imm 1f cf"
    cmp ebx, 0xf3868254
    CHECK "bt32 r,imm 1f"
    mov ebx, 0x2b1e1885
    mov ecx, 0x0
    SETFL 0x0
    bt ebx, ecx
    EXPECT_FL 1, 1, "bt32 r,r 2b1e1885 bit 0 cf"
    cmp ebx, 0x2b1e1885
    CHECK "bt32 r,r 2b1e1885 bit 0"
    mov ebx, 0x2b1e1885
    SETFL 0x1
    bt ebx, 3
    EXPECT_FL 1, 0, "bt32 r,imm 3 cf"
    cmp ebx, 0x2b1e1885
    CHECK "bt32 r,imm 3"
    mov ebx, 0x21e6a46f
    mov ecx, 0x819ad93b
    SETFL 0x1
    bt ebx, ecx
    EXPECT_FL 1, 0, "bt32 r,r 21e6a46f bit 819ad93b cf"
    cmp ebx, 0x21e6a46f
    CHECK "bt32 r,r 21e6a46f bit 819ad93b"
    mov ebx, 0x21e6a46f
    SETFL 0x0
    bt ebx, 3
    EXPECT_FL 1, 1, "bt32 r,imm 3 cf"
    cmp ebx, 0x21e6a46f
    CHECK "bt32 r,imm 3"
    mov bx, 0xc632
    mov cx, 0x13
    SETFL 0x1
    bts bx, cx
    EXPECT_FL 1, 0, "bts16 r,r c632 bit 13 cf"
    cmp bx, 0xc63a
    CHECK "bts16 r,r c632 bit 13"
    mov bx, 0xc632
    SETFL 0x1
    bts bx, 3
    EXPECT_FL 1, 0, "bts16 r,imm 3 cf"
    cmp bx, 0xc63a
    CHECK "bts16 r,imm 3"
    mov bx, 0xeb40
    mov cx, 0xf
    SETFL 0x0
    bts bx, cx
    EXPECT_FL 1, 1, "bts16 r,r eb40 bit f cf"
    cmp bx, 0xeb40
    CHECK "bts16 r,r eb40 bit f"
    mov bx, 0xeb40
    SETFL 0x0
    bts bx, 15
    EXPECT_FL 1, 1, "bts16 r,imm f cf"
    cmp bx, 0xeb40
    CHECK "bts16 r,imm f"
    mov bx, 0xb9c7
    mov cx, 0x13
    SETFL 0x1
    bts bx, cx
    EXPECT_FL 1, 0, "bts16 r,r b9c7 bit 13 cf"
    cmp bx, 0xb9cf
    CHECK "bts16 r,r b9c7 bit 13"
    mov bx, 0xb9c7
    SETFL 0x1
    bts bx, 3
    EXPECT_FL 1, 0, "bts16 r,imm 3 cf"
    cmp bx, 0xb9cf
    CHECK "bts16 r,imm 3"
    mov bx, 0xc5c7
    mov cx, 0xf
    SETFL 0x0
    bts bx, cx
    EXPECT_FL 1, 1, "bts16 r,r c5c7 bit f cf"
    cmp bx, 0xc5c7
    CHECK "bts16 r,r c5c7 bit f"
    mov bx, 0xc5c7
    SETFL 0x0
    bts bx, 255
    EXPECT_FL 1, 1, "bts16 r,imm ff cf"
    cmp bx, 0xc5c7
    CHECK "bts16 r,imm ff"
    mov ebx, 0x47fbb3b4
    mov ecx, 0x0
    SETFL 0x1
    bts ebx, ecx
    EXPECT_FL 1, 0, "bts32 r,r 47fbb3b4 bit 0 cf"
    cmp ebx, 0x47fbb3b5
    CHECK "bts32 r,r 47fbb3b4 bit 0"
    mov ebx, 0x47fbb3b4
    SETFL 0x1
    bts ebx, 31
    EXPECT_FL 1, 0, "bts32 r,imm 1f cf"
    cmp ebx, 0xc7fbb3b4
    CHECK "bts32 r,imm 1f"
    mov ebx, 0xb573f6c5
    mov ecx, 0x0
    SETFL 0x0
    bts ebx, ecx
    EXPECT_FL 1, 1, "bts32 r,r b573f6c5 bit 0 cf"
    cmp ebx, 0xb573f6c5
    CHECK "bts32 r,r b573f6c5 bit 0"
    mov ebx, 0xb573f6c5
    SETFL 0x0
    bts ebx, 255
    EXPECT_FL 1, 1, "bts32 r,imm ff cf"
    cmp ebx, 0xb573f6c5
    CHECK "bts32 r,imm ff"
    mov ebx, 0xe06acd4
    mov ecx, 0x23
    SETFL 0x1
    bts ebx, ecx
    EXPECT_FL 1, 0, "bts32 r,r e06acd4 bit 23 cf"
    cmp ebx, 0xe06acdc
    CHECK "bts32 r,r e06acd4 bit 23"
    mov ebx, 0xe06acd4
    SETFL 0x1
    bts ebx, 255
    EXPECT_FL 1, 0, "bts32 r,imm ff cf"
    cmp ebx, 0x8e06acd4
    CHECK "bts32 r,imm ff"
    mov ebx, 0x239edd3a
    mov ecx, 0x1f
    SETFL 0x1
    bts ebx, ecx
    EXPECT_FL 1, 0, "bts32 r,r 239edd3a bit 1f cf"
    cmp ebx, 0xa39edd3a
    CHECK "bts32 r,r 239edd3a bit 1f"
    mov ebx, 0x239edd3a
    SETFL 0x1
    bts ebx, 255
    EXPECT_FL 1, 0, "bts32 r,imm ff cf"
    cmp ebx, 0xa39edd3a
    CHECK "bts32 r,imm ff"
    mov bx, 0xbc79
    mov cx, 0x0
    SETFL 0x0
    btr bx, cx
    EXPECT_FL 1, 1, "btr16 r,r bc79 bit 0 cf"
    cmp bx, 0xbc78
    CHECK "btr16 r,r bc79 bit 0"
    mov bx, 0xbc79
    SETFL 0x0
    btr bx, 3
    EXPECT_FL 1, 1, "btr16 r,imm 3 cf"
    cmp bx, 0xbc71
    CHECK "btr16 r,imm 3"
    mov bx, 0x1f09
    mov cx, 0xc3ad
    SETFL 0x1
    btr bx, cx
    EXPECT_FL 1, 0, "btr16 r,r 1f09 bit c3ad cf"
    cmp bx, 0x1f09
    CHECK "btr16 r,r 1f09 bit c3ad"
    mov bx, 0x1f09
    SETFL 0x1
    btr bx, 15
    EXPECT_FL 1, 0, "btr16 r,imm f cf"
    cmp bx, 0x1f09
    CHECK "btr16 r,imm f"
    mov bx, 0xe532
    mov cx, 0xf
    SETFL 0x0
    btr bx, cx
    EXPECT_FL 1, 1, "btr16 r,r e532 bit f cf"
    cmp bx, 0x6532
    CHECK "btr16 r,r e532 bit f"
    mov bx, 0xe532
    SETFL 0x0
    btr bx, 21
    EXPECT_FL 1, 1, "btr16 r,imm 15 cf"
    cmp bx, 0xe512
    CHECK "btr16 r,imm 15"
    mov bx, 0x21c
    mov cx, 0x0
    SETFL 0x1
    btr bx, cx
    EXPECT_FL 1, 0, "btr16 r,r 21c bit 0 cf"
    cmp bx, 0x21c
    CHECK "btr16 r,r 21c bit 0"
    mov bx, 0x21c
    SETFL 0x1
    btr bx, 15
    EXPECT_FL 1, 0, "btr16 r,imm f cf"
    cmp bx, 0x21c
    CHECK "btr16 r,imm f"
    mov ebx, 0x8a2e547e
    mov ecx, 0x0
    SETFL 0x1
    btr ebx, ecx
    EXPECT_FL 1, 0, "btr32 r,r 8a2e547e bit 0 cf"
    cmp ebx, 0x8a2e547e
    CHECK "btr32 r,r 8a2e547e bit 0"
    mov ebx, 0x8a2e547e
    SETFL 0x0
    btr ebx, 3
    EXPECT_FL 1, 1, "btr32 r,imm 3 cf"
    cmp ebx, 0x8a2e5476
    CHECK "btr32 r,imm 3"
    mov ebx, 0x92aeb20c
    mov ecx, 0x7f2a75ec
    SETFL 0x0
    btr ebx, ecx
    EXPECT_FL 1, 1, "btr32 r,r 92aeb20c bit 7f2a75ec cf"
    cmp ebx, 0x92aea20c
    CHECK "btr32 r,r 92aeb20c bit 7f2a75ec"
    mov ebx, 0x92aeb20c
    SETFL 0x0
    btr ebx, 31
    EXPECT_FL 1, 1, "btr32 r,imm 1f cf"
    cmp ebx, 0x12aeb20c
    CHECK "btr32 r,imm 1f"
    mov ebx, 0x6b8c290d
    mov ecx, 0x23
    SETFL 0x0
    btr ebx, ecx
    EXPECT_FL 1, 1, "btr32 r,r 6b8c290d bit 23 cf"
    cmp ebx, 0x6b8c2905
    CHECK "btr32 r,r 6b8c290d bit 23"
    mov ebx, 0x6b8c290d
    SETFL 0x1
    btr ebx, 31
    EXPECT_FL 1, 0, "btr32 r,imm 1f cf"
    cmp ebx, 0x6b8c290d
    CHECK "btr32 r,imm 1f"
    mov ebx, 0xa382fe10
    mov ecx, 0x0
    SETFL 0x1
    btr ebx, ecx
    EXPECT_FL 1, 0, "btr32 r,r a382fe10 bit 0 cf"
    cmp ebx, 0xa382fe10
    CHECK "btr32 r,r a382fe10 bit 0"
    mov ebx, 0xa382fe10
    SETFL 0x0
    btr ebx, 31
    EXPECT_FL 1, 1, "btr32 r,imm 1f cf"
    cmp ebx, 0x2382fe10
    CHECK "btr32 r,imm 1f"
    mov bx, 0x2c2c
    mov cx, 0xf091
    SETFL 0x1
    btc bx, cx
    EXPECT_FL 1, 0, "btc16 r,r 2c2c bit f091 cf"
    cmp bx, 0x2c2e
    CHECK "btc16 r,r 2c2c bit f091"
    mov bx, 0x2c2c
    SETFL 0x0
    btc bx, 3
    EXPECT_FL 1, 1, "btc16 r,imm 3 cf"
    cmp bx, 0x2c24
    CHECK "btc16 r,imm 3"
    mov bx, 0xdde
    mov cx, 0x451e
    SETFL 0x1
    btc bx, cx
    EXPECT_FL 1, 0, "btc16 r,r dde bit 451e cf"
    cmp bx, 0x4dde
    CHECK "btc16 r,r dde bit 451e"
    mov bx, 0xdde
    SETFL 0x1
    btc bx, 15
    EXPECT_FL 1, 0, "btc16 r,imm f cf"
    cmp bx, 0x8dde
    CHECK "btc16 r,imm f"
    mov bx, 0xbec2
    mov cx, 0x44b0
    SETFL 0x1
    btc bx, cx
    EXPECT_FL 1, 0, "btc16 r,r bec2 bit 44b0 cf"
    cmp bx, 0xbec3
    CHECK "btc16 r,r bec2 bit 44b0"
    mov bx, 0xbec2
    SETFL 0x1
    btc bx, 3
    EXPECT_FL 1, 0, "btc16 r,imm 3 cf"
    cmp bx, 0xbeca
    CHECK "btc16 r,imm 3"
    mov bx, 0x1f0f
    mov cx, 0x13
    SETFL 0x0
    btc bx, cx
    EXPECT_FL 1, 1, "btc16 r,r 1f0f bit 13 cf"
    cmp bx, 0x1f07
    CHECK "btc16 r,r 1f0f bit 13"
    mov bx, 0x1f0f
    SETFL 0x1
    btc bx, 15
    EXPECT_FL 1, 0, "btc16 r,imm f cf"
    cmp bx, 0x9f0f
    CHECK "btc16 r,imm f"
    mov ebx, 0x2967c63d
    mov ecx, 0x9c72d92c
    SETFL 0x1
    btc ebx, ecx
    EXPECT_FL 1, 0, "btc32 r,r 2967c63d bit 9c72d92c cf"
    cmp ebx, 0x2967d63d
    CHECK "btc32 r,r 2967c63d bit 9c72d92c"
    mov ebx, 0x2967c63d
    SETFL 0x0
    btc ebx, 3
    EXPECT_FL 1, 1, "btc32 r,imm 3 cf"
    cmp ebx, 0x2967c635
    CHECK "btc32 r,imm 3"
    mov ebx, 0xbc6a3711
    mov ecx, 0x5daeb168
    SETFL 0x0
    btc ebx, ecx
    EXPECT_FL 1, 1, "btc32 r,r bc6a3711 bit 5daeb168 cf"
    cmp ebx, 0xbc6a3611
    CHECK "btc32 r,r bc6a3711 bit 5daeb168"
    mov ebx, 0xbc6a3711
    SETFL 0x1
    btc ebx, 3
    EXPECT_FL 1, 0, "btc32 r,imm 3 cf"
    cmp ebx, 0xbc6a3719
    CHECK "btc32 r,imm 3"
    mov ebx, 0xde0c057f
    mov ecx, 0x0
    SETFL 0x0
    btc ebx, ecx
    EXPECT_FL 1, 1, "btc32 r,r de0c057f bit 0 cf"
    cmp ebx, 0xde0c057e
    CHECK "btc32 r,r de0c057f bit 0"
    mov ebx, 0xde0c057f
    SETFL 0x0
    btc ebx, 37
    EXPECT_FL 1, 1, "btc32 r,imm 25 cf"
    cmp ebx, 0xde0c055f
    CHECK "btc32 r,imm 25"
    mov ebx, 0x738865ad
    mov ecx, 0x23
    SETFL 0x0
    btc ebx, ecx
    EXPECT_FL 1, 1, "btc32 r,r 738865ad bit 23 cf"
    cmp ebx, 0x738865a5
    CHECK "btc32 r,r 738865ad bit 23"
    mov ebx, 0x738865ad
    SETFL 0x1
    btc ebx, 31
    EXPECT_FL 1, 0, "btc32 r,imm 1f cf"
    cmp ebx, 0xf38865ad
    CHECK "btc32 r,imm 1f"

    PUTS `bitops: bt* memory operands\n`
    mov word [MEM - 2], 0x8000
    mov word [MEM], 0x0001
    mov word [MEM + 2], 0
    mov word [MEM + 4], 0x0008
    mov bx, MEM
    mov ax, 35
    SETFL 0
    bt [bx], ax
    EXPECT_FL 1, 1, "bt16 m,r offset 35 reads bit 3 of the word at +4"
    mov ax, -1
    SETFL 0
    bt [bx], ax
    EXPECT_FL 1, 1, "bt16 m,r offset -1 reads bit 15 of the word at -2"
    mov ax, -2
    SETFL 1
    bt [bx], ax
    EXPECT_FL 1, 0, "bt16 m,r offset -2 reads bit 14 of the word at -2"
    mov ax, 36
    SETFL 1
    bts [bx], ax
    EXPECT_FL 1, 0, "bts16 m,r offset 36 old bit"
    EXPECT16 [MEM + 4], 0x0018, "bts16 m,r offset 36 sets bit 4 at +4"
    mov ax, -16
    btr [bx], ax
    EXPECT_FL 1, 0, "btr16 m,r offset -16 old bit"
    mov ax, -1
    btr [bx], ax
    EXPECT_FL 1, 1, "btr16 m,r offset -1 old bit"
    EXPECT16 [MEM - 2], 0, "btr16 m,r offset -1 clears bit 15 at -2"
    mov dword [MEM - 8], 0x80000000
    mov dword [MEM + 8], 0
    mov eax, -33
    SETFL 0
    bt [bx], eax
    EXPECT_FL 1, 1, "bt32 m,r offset -33 reads bit 31 of the dword at -8"
    btr [bx], eax
    EXPECT32 dword [MEM - 8], 0, "btr32 m,r offset -33 clears it"
    mov eax, 66
    SETFL 1
    btc [bx], eax
    EXPECT_FL 1, 0, "btc32 m,r offset 66 old bit"
    EXPECT32 dword [MEM + 8], 4, "btc32 m,r offset 66 flips bit 2 at +8"
    SETFL 0
    bt word [MEM], 16
    EXPECT_FL 1, 1, "bt16 m,imm 16 wraps to bit 0"
    SETFL 0
    bts dword [MEM + 8], 33
    EXPECT_FL 1, 0, "bts32 m,imm 33 old bit 1"
    EXPECT32 dword [MEM + 8], 6, "bts32 m,imm 33 sets bit 1"

    PUTS `bitops: bsf bsr bswap\n`
    mov bx, 0x0f00
    SETFL FL_ZF
    bsf cx, bx
    EXPECT_FL FL_ZF, 0, "bsf16 nonzero clears ZF"
    EXPECT16 cx, 8, "bsf16 0f00h = 8"
    bsr cx, bx
    EXPECT16 cx, 11, "bsr16 0f00h = 11"
    mov ebx, 0x80000001
    SETFL FL_ZF
    bsf ecx, ebx
    EXPECT_FL FL_ZF, 0, "bsf32 index 0 still clears ZF"
    EXPECT32 ecx, 0, "bsf32 80000001h = 0"
    bsr ecx, ebx
    EXPECT32 ecx, 31, "bsr32 80000001h = 31"
    mov dword [MEM], 0x00010000
    bsr eax, [MEM]
    EXPECT32 eax, 16, "bsr32 mem = 16"
    bsf ax, [MEM]
    EXPECT_FL FL_ZF, FL_ZF, "bsf16 mem (low word 0) sets ZF"
    mov ecx, 0x12345678
    mov ebx, 0
    SETFL 0
    bsf ecx, ebx
    EXPECT_FL FL_ZF, FL_ZF, "bsf32 zero source sets ZF"
    EXPECT32 ecx, 0x12345678, "bsf32 zero source leaves the destination"
    SETFL 0
    bsr ecx, ebx
    EXPECT_FL FL_ZF, FL_ZF, "bsr32 zero source sets ZF"
    EXPECT32 ecx, 0x12345678, "bsr32 zero source leaves the destination"
    mov eax, 0x12345678
    bswap eax
    EXPECT32 eax, 0x78563412, "bswap eax"
    mov edi, 0x80c0e0f0
    bswap edi
    EXPECT32 edi, 0xf0e0c080, "bswap edi"

    PUTS `bitops: setcc cmovcc\n`
    mov al, 0x55
    SETFL 0x0
    seto al
    cmp al, 0
    CHECK "seto f0"
    mov al, 0x55
    SETFL 0x0
    setno al
    cmp al, 1
    CHECK "setno f0"
    mov al, 0x55
    SETFL 0x0
    setb al
    cmp al, 0
    CHECK "setb f0"
    mov al, 0x55
    SETFL 0x0
    setae al
    cmp al, 1
    CHECK "setae f0"
    mov al, 0x55
    SETFL 0x0
    sete al
    cmp al, 0
    CHECK "sete f0"
    mov al, 0x55
    SETFL 0x0
    setne al
    cmp al, 1
    CHECK "setne f0"
    mov al, 0x55
    SETFL 0x0
    setbe al
    cmp al, 0
    CHECK "setbe f0"
    mov al, 0x55
    SETFL 0x0
    seta al
    cmp al, 1
    CHECK "seta f0"
    mov al, 0x55
    SETFL 0x0
    sets al
    cmp al, 0
    CHECK "sets f0"
    mov al, 0x55
    SETFL 0x0
    setns al
    cmp al, 1
    CHECK "setns f0"
    mov al, 0x55
    SETFL 0x0
    setp al
    cmp al, 0
    CHECK "setp f0"
    mov al, 0x55
    SETFL 0x0
    setnp al
    cmp al, 1
    CHECK "setnp f0"
    mov al, 0x55
    SETFL 0x0
    setl al
    cmp al, 0
    CHECK "setl f0"
    mov al, 0x55
    SETFL 0x0
    setge al
    cmp al, 1
    CHECK "setge f0"
    mov al, 0x55
    SETFL 0x0
    setle al
    cmp al, 0
    CHECK "setle f0"
    mov al, 0x55
    SETFL 0x0
    setg al
    cmp al, 1
    CHECK "setg f0"
    mov byte [MEM], 0x55
    SETFL 0x0
    seto [MEM]
    cmp byte [MEM], 0
    CHECK "seto mem f0"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x0
    cmovo eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovo32 f0"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x0
    cmovo ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovo16 mem f0"
    mov byte [MEM], 0x55
    SETFL 0x0
    setae [MEM]
    cmp byte [MEM], 1
    CHECK "setae mem f0"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x0
    cmovae eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovae32 f0"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x0
    cmovae ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovae16 mem f0"
    mov byte [MEM], 0x55
    SETFL 0x0
    setbe [MEM]
    cmp byte [MEM], 0
    CHECK "setbe mem f0"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x0
    cmovbe eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovbe32 f0"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x0
    cmovbe ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovbe16 mem f0"
    mov byte [MEM], 0x55
    SETFL 0x0
    setns [MEM]
    cmp byte [MEM], 1
    CHECK "setns mem f0"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x0
    cmovns eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovns32 f0"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x0
    cmovns ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovns16 mem f0"
    mov byte [MEM], 0x55
    SETFL 0x0
    setl [MEM]
    cmp byte [MEM], 0
    CHECK "setl mem f0"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x0
    cmovl eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovl32 f0"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x0
    cmovl ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovl16 mem f0"
    mov byte [MEM], 0x55
    SETFL 0x0
    setg [MEM]
    cmp byte [MEM], 1
    CHECK "setg mem f0"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x0
    cmovg eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovg32 f0"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x0
    cmovg ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovg16 mem f0"
    mov al, 0x55
    SETFL 0x1
    seto al
    cmp al, 0
    CHECK "seto f1"
    mov al, 0x55
    SETFL 0x1
    setno al
    cmp al, 1
    CHECK "setno f1"
    mov al, 0x55
    SETFL 0x1
    setb al
    cmp al, 1
    CHECK "setb f1"
    mov al, 0x55
    SETFL 0x1
    setae al
    cmp al, 0
    CHECK "setae f1"
    mov al, 0x55
    SETFL 0x1
    sete al
    cmp al, 0
    CHECK "sete f1"
    mov al, 0x55
    SETFL 0x1
    setne al
    cmp al, 1
    CHECK "setne f1"
    mov al, 0x55
    SETFL 0x1
    setbe al
    cmp al, 1
    CHECK "setbe f1"
    mov al, 0x55
    SETFL 0x1
    seta al
    cmp al, 0
    CHECK "seta f1"
    mov al, 0x55
    SETFL 0x1
    sets al
    cmp al, 0
    CHECK "sets f1"
    mov al, 0x55
    SETFL 0x1
    setns al
    cmp al, 1
    CHECK "setns f1"
    mov al, 0x55
    SETFL 0x1
    setp al
    cmp al, 0
    CHECK "setp f1"
    mov al, 0x55
    SETFL 0x1
    setnp al
    cmp al, 1
    CHECK "setnp f1"
    mov al, 0x55
    SETFL 0x1
    setl al
    cmp al, 0
    CHECK "setl f1"
    mov al, 0x55
    SETFL 0x1
    setge al
    cmp al, 1
    CHECK "setge f1"
    mov al, 0x55
    SETFL 0x1
    setle al
    cmp al, 0
    CHECK "setle f1"
    mov al, 0x55
    SETFL 0x1
    setg al
    cmp al, 1
    CHECK "setg f1"
    mov byte [MEM], 0x55
    SETFL 0x1
    seto [MEM]
    cmp byte [MEM], 0
    CHECK "seto mem f1"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x1
    cmovo eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovo32 f1"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x1
    cmovo ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovo16 mem f1"
    mov byte [MEM], 0x55
    SETFL 0x1
    setae [MEM]
    cmp byte [MEM], 0
    CHECK "setae mem f1"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x1
    cmovae eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovae32 f1"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x1
    cmovae ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovae16 mem f1"
    mov byte [MEM], 0x55
    SETFL 0x1
    setbe [MEM]
    cmp byte [MEM], 1
    CHECK "setbe mem f1"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x1
    cmovbe eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovbe32 f1"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x1
    cmovbe ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovbe16 mem f1"
    mov byte [MEM], 0x55
    SETFL 0x1
    setns [MEM]
    cmp byte [MEM], 1
    CHECK "setns mem f1"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x1
    cmovns eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovns32 f1"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x1
    cmovns ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovns16 mem f1"
    mov byte [MEM], 0x55
    SETFL 0x1
    setl [MEM]
    cmp byte [MEM], 0
    CHECK "setl mem f1"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x1
    cmovl eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovl32 f1"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x1
    cmovl ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovl16 mem f1"
    mov byte [MEM], 0x55
    SETFL 0x1
    setg [MEM]
    cmp byte [MEM], 1
    CHECK "setg mem f1"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x1
    cmovg eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovg32 f1"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x1
    cmovg ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovg16 mem f1"
    mov al, 0x55
    SETFL 0x40
    seto al
    cmp al, 0
    CHECK "seto f40"
    mov al, 0x55
    SETFL 0x40
    setno al
    cmp al, 1
    CHECK "setno f40"
    mov al, 0x55
    SETFL 0x40
    setb al
    cmp al, 0
    CHECK "setb f40"
    mov al, 0x55
    SETFL 0x40
    setae al
    cmp al, 1
    CHECK "setae f40"
    mov al, 0x55
    SETFL 0x40
    sete al
    cmp al, 1
    CHECK "sete f40"
    mov al, 0x55
    SETFL 0x40
    setne al
    cmp al, 0
    CHECK "setne f40"
    mov al, 0x55
    SETFL 0x40
    setbe al
    cmp al, 1
    CHECK "setbe f40"
    mov al, 0x55
    SETFL 0x40
    seta al
    cmp al, 0
    CHECK "seta f40"
    mov al, 0x55
    SETFL 0x40
    sets al
    cmp al, 0
    CHECK "sets f40"
    mov al, 0x55
    SETFL 0x40
    setns al
    cmp al, 1
    CHECK "setns f40"
    mov al, 0x55
    SETFL 0x40
    setp al
    cmp al, 0
    CHECK "setp f40"
    mov al, 0x55
    SETFL 0x40
    setnp al
    cmp al, 1
    CHECK "setnp f40"
    mov al, 0x55
    SETFL 0x40
    setl al
    cmp al, 0
    CHECK "setl f40"
    mov al, 0x55
    SETFL 0x40
    setge al
    cmp al, 1
    CHECK "setge f40"
    mov al, 0x55
    SETFL 0x40
    setle al
    cmp al, 1
    CHECK "setle f40"
    mov al, 0x55
    SETFL 0x40
    setg al
    cmp al, 0
    CHECK "setg f40"
    mov byte [MEM], 0x55
    SETFL 0x40
    seto [MEM]
    cmp byte [MEM], 0
    CHECK "seto mem f40"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x40
    cmovo eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovo32 f40"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x40
    cmovo ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovo16 mem f40"
    mov byte [MEM], 0x55
    SETFL 0x40
    setae [MEM]
    cmp byte [MEM], 1
    CHECK "setae mem f40"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x40
    cmovae eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovae32 f40"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x40
    cmovae ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovae16 mem f40"
    mov byte [MEM], 0x55
    SETFL 0x40
    setbe [MEM]
    cmp byte [MEM], 1
    CHECK "setbe mem f40"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x40
    cmovbe eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovbe32 f40"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x40
    cmovbe ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovbe16 mem f40"
    mov byte [MEM], 0x55
    SETFL 0x40
    setns [MEM]
    cmp byte [MEM], 1
    CHECK "setns mem f40"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x40
    cmovns eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovns32 f40"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x40
    cmovns ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovns16 mem f40"
    mov byte [MEM], 0x55
    SETFL 0x40
    setl [MEM]
    cmp byte [MEM], 0
    CHECK "setl mem f40"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x40
    cmovl eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovl32 f40"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x40
    cmovl ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovl16 mem f40"
    mov byte [MEM], 0x55
    SETFL 0x40
    setg [MEM]
    cmp byte [MEM], 0
    CHECK "setg mem f40"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x40
    cmovg eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovg32 f40"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x40
    cmovg ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovg16 mem f40"
    mov al, 0x55
    SETFL 0x80
    seto al
    cmp al, 0
    CHECK "seto f80"
    mov al, 0x55
    SETFL 0x80
    setno al
    cmp al, 1
    CHECK "setno f80"
    mov al, 0x55
    SETFL 0x80
    setb al
    cmp al, 0
    CHECK "setb f80"
    mov al, 0x55
    SETFL 0x80
    setae al
    cmp al, 1
    CHECK "setae f80"
    mov al, 0x55
    SETFL 0x80
    sete al
    cmp al, 0
    CHECK "sete f80"
    mov al, 0x55
    SETFL 0x80
    setne al
    cmp al, 1
    CHECK "setne f80"
    mov al, 0x55
    SETFL 0x80
    setbe al
    cmp al, 0
    CHECK "setbe f80"
    mov al, 0x55
    SETFL 0x80
    seta al
    cmp al, 1
    CHECK "seta f80"
    mov al, 0x55
    SETFL 0x80
    sets al
    cmp al, 1
    CHECK "sets f80"
    mov al, 0x55
    SETFL 0x80
    setns al
    cmp al, 0
    CHECK "setns f80"
    mov al, 0x55
    SETFL 0x80
    setp al
    cmp al, 0
    CHECK "setp f80"
    mov al, 0x55
    SETFL 0x80
    setnp al
    cmp al, 1
    CHECK "setnp f80"
    mov al, 0x55
    SETFL 0x80
    setl al
    cmp al, 1
    CHECK "setl f80"
    mov al, 0x55
    SETFL 0x80
    setge al
    cmp al, 0
    CHECK "setge f80"
    mov al, 0x55
    SETFL 0x80
    setle al
    cmp al, 1
    CHECK "setle f80"
    mov al, 0x55
    SETFL 0x80
    setg al
    cmp al, 0
    CHECK "setg f80"
    mov byte [MEM], 0x55
    SETFL 0x80
    seto [MEM]
    cmp byte [MEM], 0
    CHECK "seto mem f80"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x80
    cmovo eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovo32 f80"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x80
    cmovo ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovo16 mem f80"
    mov byte [MEM], 0x55
    SETFL 0x80
    setae [MEM]
    cmp byte [MEM], 1
    CHECK "setae mem f80"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x80
    cmovae eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovae32 f80"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x80
    cmovae ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovae16 mem f80"
    mov byte [MEM], 0x55
    SETFL 0x80
    setbe [MEM]
    cmp byte [MEM], 0
    CHECK "setbe mem f80"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x80
    cmovbe eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovbe32 f80"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x80
    cmovbe ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovbe16 mem f80"
    mov byte [MEM], 0x55
    SETFL 0x80
    setns [MEM]
    cmp byte [MEM], 0
    CHECK "setns mem f80"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x80
    cmovns eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovns32 f80"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x80
    cmovns ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovns16 mem f80"
    mov byte [MEM], 0x55
    SETFL 0x80
    setl [MEM]
    cmp byte [MEM], 1
    CHECK "setl mem f80"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x80
    cmovl eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovl32 f80"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x80
    cmovl ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovl16 mem f80"
    mov byte [MEM], 0x55
    SETFL 0x80
    setg [MEM]
    cmp byte [MEM], 0
    CHECK "setg mem f80"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x80
    cmovg eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovg32 f80"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x80
    cmovg ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovg16 mem f80"
    mov al, 0x55
    SETFL 0x800
    seto al
    cmp al, 1
    CHECK "seto f800"
    mov al, 0x55
    SETFL 0x800
    setno al
    cmp al, 0
    CHECK "setno f800"
    mov al, 0x55
    SETFL 0x800
    setb al
    cmp al, 0
    CHECK "setb f800"
    mov al, 0x55
    SETFL 0x800
    setae al
    cmp al, 1
    CHECK "setae f800"
    mov al, 0x55
    SETFL 0x800
    sete al
    cmp al, 0
    CHECK "sete f800"
    mov al, 0x55
    SETFL 0x800
    setne al
    cmp al, 1
    CHECK "setne f800"
    mov al, 0x55
    SETFL 0x800
    setbe al
    cmp al, 0
    CHECK "setbe f800"
    mov al, 0x55
    SETFL 0x800
    seta al
    cmp al, 1
    CHECK "seta f800"
    mov al, 0x55
    SETFL 0x800
    sets al
    cmp al, 0
    CHECK "sets f800"
    mov al, 0x55
    SETFL 0x800
    setns al
    cmp al, 1
    CHECK "setns f800"
    mov al, 0x55
    SETFL 0x800
    setp al
    cmp al, 0
    CHECK "setp f800"
    mov al, 0x55
    SETFL 0x800
    setnp al
    cmp al, 1
    CHECK "setnp f800"
    mov al, 0x55
    SETFL 0x800
    setl al
    cmp al, 1
    CHECK "setl f800"
    mov al, 0x55
    SETFL 0x800
    setge al
    cmp al, 0
    CHECK "setge f800"
    mov al, 0x55
    SETFL 0x800
    setle al
    cmp al, 1
    CHECK "setle f800"
    mov al, 0x55
    SETFL 0x800
    setg al
    cmp al, 0
    CHECK "setg f800"
    mov byte [MEM], 0x55
    SETFL 0x800
    seto [MEM]
    cmp byte [MEM], 1
    CHECK "seto mem f800"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x800
    cmovo eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovo32 f800"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x800
    cmovo ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovo16 mem f800"
    mov byte [MEM], 0x55
    SETFL 0x800
    setae [MEM]
    cmp byte [MEM], 1
    CHECK "setae mem f800"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x800
    cmovae eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovae32 f800"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x800
    cmovae ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovae16 mem f800"
    mov byte [MEM], 0x55
    SETFL 0x800
    setbe [MEM]
    cmp byte [MEM], 0
    CHECK "setbe mem f800"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x800
    cmovbe eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovbe32 f800"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x800
    cmovbe ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovbe16 mem f800"
    mov byte [MEM], 0x55
    SETFL 0x800
    setns [MEM]
    cmp byte [MEM], 1
    CHECK "setns mem f800"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x800
    cmovns eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovns32 f800"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x800
    cmovns ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovns16 mem f800"
    mov byte [MEM], 0x55
    SETFL 0x800
    setl [MEM]
    cmp byte [MEM], 1
    CHECK "setl mem f800"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x800
    cmovl eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovl32 f800"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x800
    cmovl ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovl16 mem f800"
    mov byte [MEM], 0x55
    SETFL 0x800
    setg [MEM]
    cmp byte [MEM], 0
    CHECK "setg mem f800"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x800
    cmovg eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovg32 f800"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x800
    cmovg ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovg16 mem f800"
    mov al, 0x55
    SETFL 0x880
    seto al
    cmp al, 1
    CHECK "seto f880"
    mov al, 0x55
    SETFL 0x880
    setno al
    cmp al, 0
    CHECK "setno f880"
    mov al, 0x55
    SETFL 0x880
    setb al
    cmp al, 0
    CHECK "setb f880"
    mov al, 0x55
    SETFL 0x880
    setae al
    cmp al, 1
    CHECK "setae f880"
    mov al, 0x55
    SETFL 0x880
    sete al
    cmp al, 0
    CHECK "sete f880"
    mov al, 0x55
    SETFL 0x880
    setne al
    cmp al, 1
    CHECK "setne f880"
    mov al, 0x55
    SETFL 0x880
    setbe al
    cmp al, 0
    CHECK "setbe f880"
    mov al, 0x55
    SETFL 0x880
    seta al
    cmp al, 1
    CHECK "seta f880"
    mov al, 0x55
    SETFL 0x880
    sets al
    cmp al, 1
    CHECK "sets f880"
    mov al, 0x55
    SETFL 0x880
    setns al
    cmp al, 0
    CHECK "setns f880"
    mov al, 0x55
    SETFL 0x880
    setp al
    cmp al, 0
    CHECK "setp f880"
    mov al, 0x55
    SETFL 0x880
    setnp al
    cmp al, 1
    CHECK "setnp f880"
    mov al, 0x55
    SETFL 0x880
    setl al
    cmp al, 0
    CHECK "setl f880"
    mov al, 0x55
    SETFL 0x880
    setge al
    cmp al, 1
    CHECK "setge f880"
    mov al, 0x55
    SETFL 0x880
    setle al
    cmp al, 0
    CHECK "setle f880"
    mov al, 0x55
    SETFL 0x880
    setg al
    cmp al, 1
    CHECK "setg f880"
    mov byte [MEM], 0x55
    SETFL 0x880
    seto [MEM]
    cmp byte [MEM], 1
    CHECK "seto mem f880"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x880
    cmovo eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovo32 f880"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x880
    cmovo ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovo16 mem f880"
    mov byte [MEM], 0x55
    SETFL 0x880
    setae [MEM]
    cmp byte [MEM], 1
    CHECK "setae mem f880"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x880
    cmovae eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovae32 f880"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x880
    cmovae ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovae16 mem f880"
    mov byte [MEM], 0x55
    SETFL 0x880
    setbe [MEM]
    cmp byte [MEM], 0
    CHECK "setbe mem f880"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x880
    cmovbe eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovbe32 f880"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x880
    cmovbe ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovbe16 mem f880"
    mov byte [MEM], 0x55
    SETFL 0x880
    setns [MEM]
    cmp byte [MEM], 0
    CHECK "setns mem f880"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x880
    cmovns eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovns32 f880"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x880
    cmovns ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovns16 mem f880"
    mov byte [MEM], 0x55
    SETFL 0x880
    setl [MEM]
    cmp byte [MEM], 0
    CHECK "setl mem f880"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x880
    cmovl eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovl32 f880"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x880
    cmovl ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovl16 mem f880"
    mov byte [MEM], 0x55
    SETFL 0x880
    setg [MEM]
    cmp byte [MEM], 1
    CHECK "setg mem f880"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x880
    cmovg eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovg32 f880"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x880
    cmovg ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovg16 mem f880"
    mov al, 0x55
    SETFL 0x4
    seto al
    cmp al, 0
    CHECK "seto f4"
    mov al, 0x55
    SETFL 0x4
    setno al
    cmp al, 1
    CHECK "setno f4"
    mov al, 0x55
    SETFL 0x4
    setb al
    cmp al, 0
    CHECK "setb f4"
    mov al, 0x55
    SETFL 0x4
    setae al
    cmp al, 1
    CHECK "setae f4"
    mov al, 0x55
    SETFL 0x4
    sete al
    cmp al, 0
    CHECK "sete f4"
    mov al, 0x55
    SETFL 0x4
    setne al
    cmp al, 1
    CHECK "setne f4"
    mov al, 0x55
    SETFL 0x4
    setbe al
    cmp al, 0
    CHECK "setbe f4"
    mov al, 0x55
    SETFL 0x4
    seta al
    cmp al, 1
    CHECK "seta f4"
    mov al, 0x55
    SETFL 0x4
    sets al
    cmp al, 0
    CHECK "sets f4"
    mov al, 0x55
    SETFL 0x4
    setns al
    cmp al, 1
    CHECK "setns f4"
    mov al, 0x55
    SETFL 0x4
    setp al
    cmp al, 1
    CHECK "setp f4"
    mov al, 0x55
    SETFL 0x4
    setnp al
    cmp al, 0
    CHECK "setnp f4"
    mov al, 0x55
    SETFL 0x4
    setl al
    cmp al, 0
    CHECK "setl f4"
    mov al, 0x55
    SETFL 0x4
    setge al
    cmp al, 1
    CHECK "setge f4"
    mov al, 0x55
    SETFL 0x4
    setle al
    cmp al, 0
    CHECK "setle f4"
    mov al, 0x55
    SETFL 0x4
    setg al
    cmp al, 1
    CHECK "setg f4"
    mov byte [MEM], 0x55
    SETFL 0x4
    seto [MEM]
    cmp byte [MEM], 0
    CHECK "seto mem f4"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x4
    cmovo eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovo32 f4"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x4
    cmovo ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovo16 mem f4"
    mov byte [MEM], 0x55
    SETFL 0x4
    setae [MEM]
    cmp byte [MEM], 1
    CHECK "setae mem f4"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x4
    cmovae eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovae32 f4"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x4
    cmovae ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovae16 mem f4"
    mov byte [MEM], 0x55
    SETFL 0x4
    setbe [MEM]
    cmp byte [MEM], 0
    CHECK "setbe mem f4"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x4
    cmovbe eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovbe32 f4"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x4
    cmovbe ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovbe16 mem f4"
    mov byte [MEM], 0x55
    SETFL 0x4
    setns [MEM]
    cmp byte [MEM], 1
    CHECK "setns mem f4"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x4
    cmovns eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovns32 f4"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x4
    cmovns ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovns16 mem f4"
    mov byte [MEM], 0x55
    SETFL 0x4
    setl [MEM]
    cmp byte [MEM], 0
    CHECK "setl mem f4"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x4
    cmovl eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovl32 f4"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x4
    cmovl ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovl16 mem f4"
    mov byte [MEM], 0x55
    SETFL 0x4
    setg [MEM]
    cmp byte [MEM], 1
    CHECK "setg mem f4"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x4
    cmovg eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovg32 f4"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x4
    cmovg ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovg16 mem f4"
    mov al, 0x55
    SETFL 0x41
    seto al
    cmp al, 0
    CHECK "seto f41"
    mov al, 0x55
    SETFL 0x41
    setno al
    cmp al, 1
    CHECK "setno f41"
    mov al, 0x55
    SETFL 0x41
    setb al
    cmp al, 1
    CHECK "setb f41"
    mov al, 0x55
    SETFL 0x41
    setae al
    cmp al, 0
    CHECK "setae f41"
    mov al, 0x55
    SETFL 0x41
    sete al
    cmp al, 1
    CHECK "sete f41"
    mov al, 0x55
    SETFL 0x41
    setne al
    cmp al, 0
    CHECK "setne f41"
    mov al, 0x55
    SETFL 0x41
    setbe al
    cmp al, 1
    CHECK "setbe f41"
    mov al, 0x55
    SETFL 0x41
    seta al
    cmp al, 0
    CHECK "seta f41"
    mov al, 0x55
    SETFL 0x41
    sets al
    cmp al, 0
    CHECK "sets f41"
    mov al, 0x55
    SETFL 0x41
    setns al
    cmp al, 1
    CHECK "setns f41"
    mov al, 0x55
    SETFL 0x41
    setp al
    cmp al, 0
    CHECK "setp f41"
    mov al, 0x55
    SETFL 0x41
    setnp al
    cmp al, 1
    CHECK "setnp f41"
    mov al, 0x55
    SETFL 0x41
    setl al
    cmp al, 0
    CHECK "setl f41"
    mov al, 0x55
    SETFL 0x41
    setge al
    cmp al, 1
    CHECK "setge f41"
    mov al, 0x55
    SETFL 0x41
    setle al
    cmp al, 1
    CHECK "setle f41"
    mov al, 0x55
    SETFL 0x41
    setg al
    cmp al, 0
    CHECK "setg f41"
    mov byte [MEM], 0x55
    SETFL 0x41
    seto [MEM]
    cmp byte [MEM], 0
    CHECK "seto mem f41"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x41
    cmovo eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovo32 f41"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x41
    cmovo ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovo16 mem f41"
    mov byte [MEM], 0x55
    SETFL 0x41
    setae [MEM]
    cmp byte [MEM], 0
    CHECK "setae mem f41"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x41
    cmovae eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovae32 f41"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x41
    cmovae ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovae16 mem f41"
    mov byte [MEM], 0x55
    SETFL 0x41
    setbe [MEM]
    cmp byte [MEM], 1
    CHECK "setbe mem f41"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x41
    cmovbe eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovbe32 f41"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x41
    cmovbe ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovbe16 mem f41"
    mov byte [MEM], 0x55
    SETFL 0x41
    setns [MEM]
    cmp byte [MEM], 1
    CHECK "setns mem f41"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x41
    cmovns eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovns32 f41"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x41
    cmovns ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovns16 mem f41"
    mov byte [MEM], 0x55
    SETFL 0x41
    setl [MEM]
    cmp byte [MEM], 0
    CHECK "setl mem f41"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x41
    cmovl eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovl32 f41"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x41
    cmovl ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovl16 mem f41"
    mov byte [MEM], 0x55
    SETFL 0x41
    setg [MEM]
    cmp byte [MEM], 0
    CHECK "setg mem f41"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x41
    cmovg eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovg32 f41"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x41
    cmovg ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovg16 mem f41"
    mov al, 0x55
    SETFL 0x8d5
    seto al
    cmp al, 1
    CHECK "seto f8d5"
    mov al, 0x55
    SETFL 0x8d5
    setno al
    cmp al, 0
    CHECK "setno f8d5"
    mov al, 0x55
    SETFL 0x8d5
    setb al
    cmp al, 1
    CHECK "setb f8d5"
    mov al, 0x55
    SETFL 0x8d5
    setae al
    cmp al, 0
    CHECK "setae f8d5"
    mov al, 0x55
    SETFL 0x8d5
    sete al
    cmp al, 1
    CHECK "sete f8d5"
    mov al, 0x55
    SETFL 0x8d5
    setne al
    cmp al, 0
    CHECK "setne f8d5"
    mov al, 0x55
    SETFL 0x8d5
    setbe al
    cmp al, 1
    CHECK "setbe f8d5"
    mov al, 0x55
    SETFL 0x8d5
    seta al
    cmp al, 0
    CHECK "seta f8d5"
    mov al, 0x55
    SETFL 0x8d5
    sets al
    cmp al, 1
    CHECK "sets f8d5"
    mov al, 0x55
    SETFL 0x8d5
    setns al
    cmp al, 0
    CHECK "setns f8d5"
    mov al, 0x55
    SETFL 0x8d5
    setp al
    cmp al, 1
    CHECK "setp f8d5"
    mov al, 0x55
    SETFL 0x8d5
    setnp al
    cmp al, 0
    CHECK "setnp f8d5"
    mov al, 0x55
    SETFL 0x8d5
    setl al
    cmp al, 0
    CHECK "setl f8d5"
    mov al, 0x55
    SETFL 0x8d5
    setge al
    cmp al, 1
    CHECK "setge f8d5"
    mov al, 0x55
    SETFL 0x8d5
    setle al
    cmp al, 1
    CHECK "setle f8d5"
    mov al, 0x55
    SETFL 0x8d5
    setg al
    cmp al, 0
    CHECK "setg f8d5"
    mov byte [MEM], 0x55
    SETFL 0x8d5
    seto [MEM]
    cmp byte [MEM], 1
    CHECK "seto mem f8d5"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x8d5
    cmovo eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovo32 f8d5"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x8d5
    cmovo ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovo16 mem f8d5"
    mov byte [MEM], 0x55
    SETFL 0x8d5
    setae [MEM]
    cmp byte [MEM], 0
    CHECK "setae mem f8d5"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x8d5
    cmovae eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovae32 f8d5"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x8d5
    cmovae ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovae16 mem f8d5"
    mov byte [MEM], 0x55
    SETFL 0x8d5
    setbe [MEM]
    cmp byte [MEM], 1
    CHECK "setbe mem f8d5"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x8d5
    cmovbe eax, ebx
    cmp eax, 0x22222222
    CHECK "cmovbe32 f8d5"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x8d5
    cmovbe ax, [MEM]
    cmp ax, 0x3333
    CHECK "cmovbe16 mem f8d5"
    mov byte [MEM], 0x55
    SETFL 0x8d5
    setns [MEM]
    cmp byte [MEM], 0
    CHECK "setns mem f8d5"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x8d5
    cmovns eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovns32 f8d5"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x8d5
    cmovns ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovns16 mem f8d5"
    mov byte [MEM], 0x55
    SETFL 0x8d5
    setl [MEM]
    cmp byte [MEM], 0
    CHECK "setl mem f8d5"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x8d5
    cmovl eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovl32 f8d5"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x8d5
    cmovl ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovl16 mem f8d5"
    mov byte [MEM], 0x55
    SETFL 0x8d5
    setg [MEM]
    cmp byte [MEM], 0
    CHECK "setg mem f8d5"
    mov eax, 0x11111111
    mov ebx, 0x22222222
    SETFL 0x8d5
    cmovg eax, ebx
    cmp eax, 0x11111111
    CHECK "cmovg32 f8d5"
    mov ax, 0x1111
    mov word [MEM], 0x3333
    SETFL 0x8d5
    cmovg ax, [MEM]
    cmp ax, 0x1111
    CHECK "cmovg16 mem f8d5"

    PUTS `bitops: xadd cmpxchg cmpxchg8b\n`
    mov bl, 0x80
    mov cl, 0x80
    SETFL 0
    xadd bl, cl
    EXPECT_FL FL_ALL, FL_CF | FL_ZF | FL_OF | FL_PF, "xadd8 80h+80h flags"
    cmp bl, 0
    CHECK "xadd8 dest = sum"
    cmp cl, 0x80
    CHECK "xadd8 src = old dest"
    mov word [MEM], 5
    mov ax, 3
    xadd [MEM], ax
    EXPECT16 [MEM], 8, "xadd16 mem dest = sum"
    EXPECT16 ax, 5, "xadd16 src = old dest"
    mov ebx, 0xffffffff
    mov ecx, 2
    SETFL 0
    xadd ebx, ecx
    EXPECT_FL FL_CF | FL_ZF, FL_CF, "xadd32 carry"
    EXPECT32 ebx, 1, "xadd32 dest"
    EXPECT32 ecx, 0xffffffff, "xadd32 src"
    mov bx, 3
    xadd bx, bx
    EXPECT16 bx, 6, "xadd16 same register gets the sum"

    mov al, 5
    mov byte [MEM], 5
    mov cl, 9
    SETFL 0
    cmpxchg [MEM], cl
    EXPECT_FL FL_ZF, FL_ZF, "cmpxchg8 equal sets ZF"
    EXPECT16 [MEM], 0x0009, "cmpxchg8 equal stores src"
    mov al, 4
    cmpxchg [MEM], cl
    EXPECT_FL FL_ALL, FL_CF | FL_AF | FL_SF, "cmpxchg8 4-9 flags of cmp"
    EXPECT16 ax, 0x0009, "cmpxchg8 not equal loads al"
    mov ax, 0x1234
    mov bx, 0x1234
    mov cx, 0x5678
    cmpxchg bx, cx
    EXPECT16 bx, 0x5678, "cmpxchg16 reg equal"
    mov eax, 1
    mov ebx, 2
    mov ecx, 3
    cmpxchg ebx, ecx
    EXPECT_FL FL_ZF, 0, "cmpxchg32 reg not equal clears ZF"
    EXPECT32 eax, 2, "cmpxchg32 reg not equal loads eax"
    EXPECT32 ebx, 2, "cmpxchg32 reg not equal keeps dest"

    mov dword [MEM], 0x11112222
    mov dword [MEM + 4], 0x33334444
    mov eax, 0x11112222
    mov edx, 0x33334444
    mov ebx, 0xaaaabbbb
    mov ecx, 0xccccdddd
    SETFL 0
    cmpxchg8b [MEM]
    EXPECT_FL FL_ZF, FL_ZF, "cmpxchg8b equal sets ZF"
    EXPECT32 dword [MEM], 0xaaaabbbb, "cmpxchg8b equal stores ebx"
    EXPECT32 dword [MEM + 4], 0xccccdddd, "cmpxchg8b equal stores ecx"
    SETFL FL_ZF
    cmpxchg8b [MEM]
    EXPECT_FL FL_ZF, 0, "cmpxchg8b not equal clears ZF"
    EXPECT32 eax, 0xaaaabbbb, "cmpxchg8b not equal loads eax"
    EXPECT32 edx, 0xccccdddd, "cmpxchg8b not equal loads edx"

    PUTS `bitops: LOCK\n`
    mov bx, MEM
    mov ax, 1
    mov word [MEM], 0
    EXPECT_NOTRAP "lock bts [bx], ax accepted", lock bts [bx], ax
    EXPECT_NOTRAP "lock xadd [bx], ax accepted", lock xadd [bx], ax
    EXPECT_NOTRAP "lock cmpxchg [bx], cx accepted", lock cmpxchg [bx], cx
    EXPECT_NOTRAP "lock cmpxchg8b [bx] accepted", lock cmpxchg8b [bx]
    EXPECT_NOTRAP "lock btc word [bx], 3 accepted", lock btc word [bx], 3
    PUTS `note: QEMU 7.2 accepts LOCK on the next six (SDM: #UD); they fail under QEMU\n`
    EXPECT_TRAP 6, "lock bt [bx], ax raises #UD", db 0xf0, 0x0f, 0xa3, 0x07
    EXPECT_TRAP 6, "lock bts ax, cx raises #UD", db 0xf0, 0x0f, 0xab, 0xc8
    EXPECT_TRAP 6, "lock xadd ax, bx raises #UD", db 0xf0, 0x0f, 0xc1, 0xd8
    EXPECT_TRAP 6, "lock cmpxchg ax, bx raises #UD", db 0xf0, 0x0f, 0xb1, 0xd8
    EXPECT_TRAP 6, "lock bsf ax, [bx] raises #UD", db 0xf0, 0x0f, 0xbc, 0x07
    EXPECT_TRAP 6, "lock sete [bx] raises #UD", db 0xf0, 0x0f, 0x94, 0x07
    EXPECT_TRAP 6, "lock bswap eax raises #UD", db 0xf0, 0x0f, 0xc8
    EXPECT_TRAP 6, "cmpxchg8b with a register operand raises #UD", db 0x0f, 0xc7, 0xc8

    FINISH

TRAP_HANDLERS
ROM_END
