; bcd.asm — DAA DAS AAA AAS AAM AAD. DAA/DAS over nibble edge values with
; every CF/AF combination (SF ZF AF PF CF checked; OF undefined), AAA/AAS
; (AF CF checked; OF SF ZF PF undefined), AAM/AAD with bases 10, 16, 7 and
; 25 (SF ZF PF checked; OF AF CF undefined), AAM 0 raising #DE with AX
; unchanged, and AAA/AAS adjusting AX as a whole (AX +/- 106h: the carry out
; of AL reaches AH, SDM vol. 2 AAA/AAS pseudo-code).
; Cases generated from the SDM pseudo-code in an independent Python model.
; Validated under QEMU.
%include "rom.inc"
%include "arith.inc"

start:
    ROM_INIT
    TRAP_INIT
    PUTS `bcd: daa\n`
    mov ax, 0x3300
    SETFL 0x0
    daa
    EXPECT_FL 0x0d5, 0x044, "daa 00 f0 flags"
    cmp ax, 0x3300
    CHECK "daa 00 f0"
    mov ax, 0x3300
    SETFL 0x1
    daa
    EXPECT_FL 0x0d5, 0x005, "daa 00 f1 flags"
    cmp ax, 0x3360
    CHECK "daa 00 f1"
    mov ax, 0x3300
    SETFL 0x10
    daa
    EXPECT_FL 0x0d5, 0x014, "daa 00 f10 flags"
    cmp ax, 0x3306
    CHECK "daa 00 f10"
    mov ax, 0x3300
    SETFL 0x11
    daa
    EXPECT_FL 0x0d5, 0x015, "daa 00 f11 flags"
    cmp ax, 0x3366
    CHECK "daa 00 f11"
    mov ax, 0x3309
    SETFL 0x0
    daa
    EXPECT_FL 0x0d5, 0x004, "daa 09 f0 flags"
    cmp ax, 0x3309
    CHECK "daa 09 f0"
    mov ax, 0x3309
    SETFL 0x1
    daa
    EXPECT_FL 0x0d5, 0x005, "daa 09 f1 flags"
    cmp ax, 0x3369
    CHECK "daa 09 f1"
    mov ax, 0x3309
    SETFL 0x10
    daa
    EXPECT_FL 0x0d5, 0x014, "daa 09 f10 flags"
    cmp ax, 0x330f
    CHECK "daa 09 f10"
    mov ax, 0x3309
    SETFL 0x11
    daa
    EXPECT_FL 0x0d5, 0x015, "daa 09 f11 flags"
    cmp ax, 0x336f
    CHECK "daa 09 f11"
    mov ax, 0x330a
    SETFL 0x0
    daa
    EXPECT_FL 0x0d5, 0x010, "daa 0a f0 flags"
    cmp ax, 0x3310
    CHECK "daa 0a f0"
    mov ax, 0x330a
    SETFL 0x1
    daa
    EXPECT_FL 0x0d5, 0x011, "daa 0a f1 flags"
    cmp ax, 0x3370
    CHECK "daa 0a f1"
    mov ax, 0x330a
    SETFL 0x10
    daa
    EXPECT_FL 0x0d5, 0x010, "daa 0a f10 flags"
    cmp ax, 0x3310
    CHECK "daa 0a f10"
    mov ax, 0x330a
    SETFL 0x11
    daa
    EXPECT_FL 0x0d5, 0x011, "daa 0a f11 flags"
    cmp ax, 0x3370
    CHECK "daa 0a f11"
    mov ax, 0x330f
    SETFL 0x0
    daa
    EXPECT_FL 0x0d5, 0x010, "daa 0f f0 flags"
    cmp ax, 0x3315
    CHECK "daa 0f f0"
    mov ax, 0x330f
    SETFL 0x1
    daa
    EXPECT_FL 0x0d5, 0x011, "daa 0f f1 flags"
    cmp ax, 0x3375
    CHECK "daa 0f f1"
    mov ax, 0x330f
    SETFL 0x10
    daa
    EXPECT_FL 0x0d5, 0x010, "daa 0f f10 flags"
    cmp ax, 0x3315
    CHECK "daa 0f f10"
    mov ax, 0x330f
    SETFL 0x11
    daa
    EXPECT_FL 0x0d5, 0x011, "daa 0f f11 flags"
    cmp ax, 0x3375
    CHECK "daa 0f f11"
    mov ax, 0x3310
    SETFL 0x0
    daa
    EXPECT_FL 0x0d5, 0x000, "daa 10 f0 flags"
    cmp ax, 0x3310
    CHECK "daa 10 f0"
    mov ax, 0x3310
    SETFL 0x1
    daa
    EXPECT_FL 0x0d5, 0x001, "daa 10 f1 flags"
    cmp ax, 0x3370
    CHECK "daa 10 f1"
    mov ax, 0x3310
    SETFL 0x10
    daa
    EXPECT_FL 0x0d5, 0x010, "daa 10 f10 flags"
    cmp ax, 0x3316
    CHECK "daa 10 f10"
    mov ax, 0x3310
    SETFL 0x11
    daa
    EXPECT_FL 0x0d5, 0x011, "daa 10 f11 flags"
    cmp ax, 0x3376
    CHECK "daa 10 f11"
    mov ax, 0x3319
    SETFL 0x0
    daa
    EXPECT_FL 0x0d5, 0x000, "daa 19 f0 flags"
    cmp ax, 0x3319
    CHECK "daa 19 f0"
    mov ax, 0x3319
    SETFL 0x1
    daa
    EXPECT_FL 0x0d5, 0x001, "daa 19 f1 flags"
    cmp ax, 0x3379
    CHECK "daa 19 f1"
    mov ax, 0x3319
    SETFL 0x10
    daa
    EXPECT_FL 0x0d5, 0x010, "daa 19 f10 flags"
    cmp ax, 0x331f
    CHECK "daa 19 f10"
    mov ax, 0x3319
    SETFL 0x11
    daa
    EXPECT_FL 0x0d5, 0x011, "daa 19 f11 flags"
    cmp ax, 0x337f
    CHECK "daa 19 f11"
    mov ax, 0x331a
    SETFL 0x0
    daa
    EXPECT_FL 0x0d5, 0x010, "daa 1a f0 flags"
    cmp ax, 0x3320
    CHECK "daa 1a f0"
    mov ax, 0x331a
    SETFL 0x1
    daa
    EXPECT_FL 0x0d5, 0x091, "daa 1a f1 flags"
    cmp ax, 0x3380
    CHECK "daa 1a f1"
    mov ax, 0x331a
    SETFL 0x10
    daa
    EXPECT_FL 0x0d5, 0x010, "daa 1a f10 flags"
    cmp ax, 0x3320
    CHECK "daa 1a f10"
    mov ax, 0x331a
    SETFL 0x11
    daa
    EXPECT_FL 0x0d5, 0x091, "daa 1a f11 flags"
    cmp ax, 0x3380
    CHECK "daa 1a f11"
    mov ax, 0x335f
    SETFL 0x0
    daa
    EXPECT_FL 0x0d5, 0x014, "daa 5f f0 flags"
    cmp ax, 0x3365
    CHECK "daa 5f f0"
    mov ax, 0x335f
    SETFL 0x1
    daa
    EXPECT_FL 0x0d5, 0x095, "daa 5f f1 flags"
    cmp ax, 0x33c5
    CHECK "daa 5f f1"
    mov ax, 0x335f
    SETFL 0x10
    daa
    EXPECT_FL 0x0d5, 0x014, "daa 5f f10 flags"
    cmp ax, 0x3365
    CHECK "daa 5f f10"
    mov ax, 0x335f
    SETFL 0x11
    daa
    EXPECT_FL 0x0d5, 0x095, "daa 5f f11 flags"
    cmp ax, 0x33c5
    CHECK "daa 5f f11"
    mov ax, 0x3399
    SETFL 0x0
    daa
    EXPECT_FL 0x0d5, 0x084, "daa 99 f0 flags"
    cmp ax, 0x3399
    CHECK "daa 99 f0"
    mov ax, 0x3399
    SETFL 0x1
    daa
    EXPECT_FL 0x0d5, 0x085, "daa 99 f1 flags"
    cmp ax, 0x33f9
    CHECK "daa 99 f1"
    mov ax, 0x3399
    SETFL 0x10
    daa
    EXPECT_FL 0x0d5, 0x094, "daa 99 f10 flags"
    cmp ax, 0x339f
    CHECK "daa 99 f10"
    mov ax, 0x3399
    SETFL 0x11
    daa
    EXPECT_FL 0x0d5, 0x095, "daa 99 f11 flags"
    cmp ax, 0x33ff
    CHECK "daa 99 f11"
    mov ax, 0x339a
    SETFL 0x0
    daa
    EXPECT_FL 0x0d5, 0x055, "daa 9a f0 flags"
    cmp ax, 0x3300
    CHECK "daa 9a f0"
    mov ax, 0x339a
    SETFL 0x1
    daa
    EXPECT_FL 0x0d5, 0x055, "daa 9a f1 flags"
    cmp ax, 0x3300
    CHECK "daa 9a f1"
    mov ax, 0x339a
    SETFL 0x10
    daa
    EXPECT_FL 0x0d5, 0x055, "daa 9a f10 flags"
    cmp ax, 0x3300
    CHECK "daa 9a f10"
    mov ax, 0x339a
    SETFL 0x11
    daa
    EXPECT_FL 0x0d5, 0x055, "daa 9a f11 flags"
    cmp ax, 0x3300
    CHECK "daa 9a f11"
    mov ax, 0x339f
    SETFL 0x0
    daa
    EXPECT_FL 0x0d5, 0x015, "daa 9f f0 flags"
    cmp ax, 0x3305
    CHECK "daa 9f f0"
    mov ax, 0x339f
    SETFL 0x1
    daa
    EXPECT_FL 0x0d5, 0x015, "daa 9f f1 flags"
    cmp ax, 0x3305
    CHECK "daa 9f f1"
    mov ax, 0x339f
    SETFL 0x10
    daa
    EXPECT_FL 0x0d5, 0x015, "daa 9f f10 flags"
    cmp ax, 0x3305
    CHECK "daa 9f f10"
    mov ax, 0x339f
    SETFL 0x11
    daa
    EXPECT_FL 0x0d5, 0x015, "daa 9f f11 flags"
    cmp ax, 0x3305
    CHECK "daa 9f f11"
    mov ax, 0x33a0
    SETFL 0x0
    daa
    EXPECT_FL 0x0d5, 0x045, "daa a0 f0 flags"
    cmp ax, 0x3300
    CHECK "daa a0 f0"
    mov ax, 0x33a0
    SETFL 0x1
    daa
    EXPECT_FL 0x0d5, 0x045, "daa a0 f1 flags"
    cmp ax, 0x3300
    CHECK "daa a0 f1"
    mov ax, 0x33a0
    SETFL 0x10
    daa
    EXPECT_FL 0x0d5, 0x015, "daa a0 f10 flags"
    cmp ax, 0x3306
    CHECK "daa a0 f10"
    mov ax, 0x33a0
    SETFL 0x11
    daa
    EXPECT_FL 0x0d5, 0x015, "daa a0 f11 flags"
    cmp ax, 0x3306
    CHECK "daa a0 f11"
    mov ax, 0x33f9
    SETFL 0x0
    daa
    EXPECT_FL 0x0d5, 0x005, "daa f9 f0 flags"
    cmp ax, 0x3359
    CHECK "daa f9 f0"
    mov ax, 0x33f9
    SETFL 0x1
    daa
    EXPECT_FL 0x0d5, 0x005, "daa f9 f1 flags"
    cmp ax, 0x3359
    CHECK "daa f9 f1"
    mov ax, 0x33f9
    SETFL 0x10
    daa
    EXPECT_FL 0x0d5, 0x015, "daa f9 f10 flags"
    cmp ax, 0x335f
    CHECK "daa f9 f10"
    mov ax, 0x33f9
    SETFL 0x11
    daa
    EXPECT_FL 0x0d5, 0x015, "daa f9 f11 flags"
    cmp ax, 0x335f
    CHECK "daa f9 f11"
    mov ax, 0x33fa
    SETFL 0x0
    daa
    EXPECT_FL 0x0d5, 0x015, "daa fa f0 flags"
    cmp ax, 0x3360
    CHECK "daa fa f0"
    mov ax, 0x33fa
    SETFL 0x1
    daa
    EXPECT_FL 0x0d5, 0x015, "daa fa f1 flags"
    cmp ax, 0x3360
    CHECK "daa fa f1"
    mov ax, 0x33fa
    SETFL 0x10
    daa
    EXPECT_FL 0x0d5, 0x015, "daa fa f10 flags"
    cmp ax, 0x3360
    CHECK "daa fa f10"
    mov ax, 0x33fa
    SETFL 0x11
    daa
    EXPECT_FL 0x0d5, 0x015, "daa fa f11 flags"
    cmp ax, 0x3360
    CHECK "daa fa f11"
    mov ax, 0x33ff
    SETFL 0x0
    daa
    EXPECT_FL 0x0d5, 0x015, "daa ff f0 flags"
    cmp ax, 0x3365
    CHECK "daa ff f0"
    mov ax, 0x33ff
    SETFL 0x1
    daa
    EXPECT_FL 0x0d5, 0x015, "daa ff f1 flags"
    cmp ax, 0x3365
    CHECK "daa ff f1"
    mov ax, 0x33ff
    SETFL 0x10
    daa
    EXPECT_FL 0x0d5, 0x015, "daa ff f10 flags"
    cmp ax, 0x3365
    CHECK "daa ff f10"
    mov ax, 0x33ff
    SETFL 0x11
    daa
    EXPECT_FL 0x0d5, 0x015, "daa ff f11 flags"
    cmp ax, 0x3365
    CHECK "daa ff f11"
    mov ax, 0x3305
    SETFL 0x0
    daa
    EXPECT_FL 0x0d5, 0x004, "daa 05 f0 flags"
    cmp ax, 0x3305
    CHECK "daa 05 f0"
    mov ax, 0x3305
    SETFL 0x1
    daa
    EXPECT_FL 0x0d5, 0x005, "daa 05 f1 flags"
    cmp ax, 0x3365
    CHECK "daa 05 f1"
    mov ax, 0x3305
    SETFL 0x10
    daa
    EXPECT_FL 0x0d5, 0x010, "daa 05 f10 flags"
    cmp ax, 0x330b
    CHECK "daa 05 f10"
    mov ax, 0x3305
    SETFL 0x11
    daa
    EXPECT_FL 0x0d5, 0x011, "daa 05 f11 flags"
    cmp ax, 0x336b
    CHECK "daa 05 f11"
    mov ax, 0x3366
    SETFL 0x0
    daa
    EXPECT_FL 0x0d5, 0x004, "daa 66 f0 flags"
    cmp ax, 0x3366
    CHECK "daa 66 f0"
    mov ax, 0x3366
    SETFL 0x1
    daa
    EXPECT_FL 0x0d5, 0x085, "daa 66 f1 flags"
    cmp ax, 0x33c6
    CHECK "daa 66 f1"
    mov ax, 0x3366
    SETFL 0x10
    daa
    EXPECT_FL 0x0d5, 0x014, "daa 66 f10 flags"
    cmp ax, 0x336c
    CHECK "daa 66 f10"
    mov ax, 0x3366
    SETFL 0x11
    daa
    EXPECT_FL 0x0d5, 0x095, "daa 66 f11 flags"
    cmp ax, 0x33cc
    CHECK "daa 66 f11"
    PUTS `bcd: das\n`
    mov ax, 0x3300
    SETFL 0x0
    das
    EXPECT_FL 0x0d5, 0x044, "das 00 f0 flags"
    cmp ax, 0x3300
    CHECK "das 00 f0"
    mov ax, 0x3300
    SETFL 0x1
    das
    EXPECT_FL 0x0d5, 0x085, "das 00 f1 flags"
    cmp ax, 0x33a0
    CHECK "das 00 f1"
    mov ax, 0x3300
    SETFL 0x10
    das
    EXPECT_FL 0x0d5, 0x095, "das 00 f10 flags"
    cmp ax, 0x33fa
    CHECK "das 00 f10"
    mov ax, 0x3300
    SETFL 0x11
    das
    EXPECT_FL 0x0d5, 0x095, "das 00 f11 flags"
    cmp ax, 0x339a
    CHECK "das 00 f11"
    mov ax, 0x3309
    SETFL 0x0
    das
    EXPECT_FL 0x0d5, 0x004, "das 09 f0 flags"
    cmp ax, 0x3309
    CHECK "das 09 f0"
    mov ax, 0x3309
    SETFL 0x1
    das
    EXPECT_FL 0x0d5, 0x085, "das 09 f1 flags"
    cmp ax, 0x33a9
    CHECK "das 09 f1"
    mov ax, 0x3309
    SETFL 0x10
    das
    EXPECT_FL 0x0d5, 0x014, "das 09 f10 flags"
    cmp ax, 0x3303
    CHECK "das 09 f10"
    mov ax, 0x3309
    SETFL 0x11
    das
    EXPECT_FL 0x0d5, 0x095, "das 09 f11 flags"
    cmp ax, 0x33a3
    CHECK "das 09 f11"
    mov ax, 0x330a
    SETFL 0x0
    das
    EXPECT_FL 0x0d5, 0x010, "das 0a f0 flags"
    cmp ax, 0x3304
    CHECK "das 0a f0"
    mov ax, 0x330a
    SETFL 0x1
    das
    EXPECT_FL 0x0d5, 0x091, "das 0a f1 flags"
    cmp ax, 0x33a4
    CHECK "das 0a f1"
    mov ax, 0x330a
    SETFL 0x10
    das
    EXPECT_FL 0x0d5, 0x010, "das 0a f10 flags"
    cmp ax, 0x3304
    CHECK "das 0a f10"
    mov ax, 0x330a
    SETFL 0x11
    das
    EXPECT_FL 0x0d5, 0x091, "das 0a f11 flags"
    cmp ax, 0x33a4
    CHECK "das 0a f11"
    mov ax, 0x330f
    SETFL 0x0
    das
    EXPECT_FL 0x0d5, 0x014, "das 0f f0 flags"
    cmp ax, 0x3309
    CHECK "das 0f f0"
    mov ax, 0x330f
    SETFL 0x1
    das
    EXPECT_FL 0x0d5, 0x095, "das 0f f1 flags"
    cmp ax, 0x33a9
    CHECK "das 0f f1"
    mov ax, 0x330f
    SETFL 0x10
    das
    EXPECT_FL 0x0d5, 0x014, "das 0f f10 flags"
    cmp ax, 0x3309
    CHECK "das 0f f10"
    mov ax, 0x330f
    SETFL 0x11
    das
    EXPECT_FL 0x0d5, 0x095, "das 0f f11 flags"
    cmp ax, 0x33a9
    CHECK "das 0f f11"
    mov ax, 0x3310
    SETFL 0x0
    das
    EXPECT_FL 0x0d5, 0x000, "das 10 f0 flags"
    cmp ax, 0x3310
    CHECK "das 10 f0"
    mov ax, 0x3310
    SETFL 0x1
    das
    EXPECT_FL 0x0d5, 0x081, "das 10 f1 flags"
    cmp ax, 0x33b0
    CHECK "das 10 f1"
    mov ax, 0x3310
    SETFL 0x10
    das
    EXPECT_FL 0x0d5, 0x014, "das 10 f10 flags"
    cmp ax, 0x330a
    CHECK "das 10 f10"
    mov ax, 0x3310
    SETFL 0x11
    das
    EXPECT_FL 0x0d5, 0x095, "das 10 f11 flags"
    cmp ax, 0x33aa
    CHECK "das 10 f11"
    mov ax, 0x3319
    SETFL 0x0
    das
    EXPECT_FL 0x0d5, 0x000, "das 19 f0 flags"
    cmp ax, 0x3319
    CHECK "das 19 f0"
    mov ax, 0x3319
    SETFL 0x1
    das
    EXPECT_FL 0x0d5, 0x081, "das 19 f1 flags"
    cmp ax, 0x33b9
    CHECK "das 19 f1"
    mov ax, 0x3319
    SETFL 0x10
    das
    EXPECT_FL 0x0d5, 0x010, "das 19 f10 flags"
    cmp ax, 0x3313
    CHECK "das 19 f10"
    mov ax, 0x3319
    SETFL 0x11
    das
    EXPECT_FL 0x0d5, 0x091, "das 19 f11 flags"
    cmp ax, 0x33b3
    CHECK "das 19 f11"
    mov ax, 0x331a
    SETFL 0x0
    das
    EXPECT_FL 0x0d5, 0x014, "das 1a f0 flags"
    cmp ax, 0x3314
    CHECK "das 1a f0"
    mov ax, 0x331a
    SETFL 0x1
    das
    EXPECT_FL 0x0d5, 0x095, "das 1a f1 flags"
    cmp ax, 0x33b4
    CHECK "das 1a f1"
    mov ax, 0x331a
    SETFL 0x10
    das
    EXPECT_FL 0x0d5, 0x014, "das 1a f10 flags"
    cmp ax, 0x3314
    CHECK "das 1a f10"
    mov ax, 0x331a
    SETFL 0x11
    das
    EXPECT_FL 0x0d5, 0x095, "das 1a f11 flags"
    cmp ax, 0x33b4
    CHECK "das 1a f11"
    mov ax, 0x335f
    SETFL 0x0
    das
    EXPECT_FL 0x0d5, 0x014, "das 5f f0 flags"
    cmp ax, 0x3359
    CHECK "das 5f f0"
    mov ax, 0x335f
    SETFL 0x1
    das
    EXPECT_FL 0x0d5, 0x095, "das 5f f1 flags"
    cmp ax, 0x33f9
    CHECK "das 5f f1"
    mov ax, 0x335f
    SETFL 0x10
    das
    EXPECT_FL 0x0d5, 0x014, "das 5f f10 flags"
    cmp ax, 0x3359
    CHECK "das 5f f10"
    mov ax, 0x335f
    SETFL 0x11
    das
    EXPECT_FL 0x0d5, 0x095, "das 5f f11 flags"
    cmp ax, 0x33f9
    CHECK "das 5f f11"
    mov ax, 0x3399
    SETFL 0x0
    das
    EXPECT_FL 0x0d5, 0x084, "das 99 f0 flags"
    cmp ax, 0x3399
    CHECK "das 99 f0"
    mov ax, 0x3399
    SETFL 0x1
    das
    EXPECT_FL 0x0d5, 0x005, "das 99 f1 flags"
    cmp ax, 0x3339
    CHECK "das 99 f1"
    mov ax, 0x3399
    SETFL 0x10
    das
    EXPECT_FL 0x0d5, 0x094, "das 99 f10 flags"
    cmp ax, 0x3393
    CHECK "das 99 f10"
    mov ax, 0x3399
    SETFL 0x11
    das
    EXPECT_FL 0x0d5, 0x015, "das 99 f11 flags"
    cmp ax, 0x3333
    CHECK "das 99 f11"
    mov ax, 0x339a
    SETFL 0x0
    das
    EXPECT_FL 0x0d5, 0x011, "das 9a f0 flags"
    cmp ax, 0x3334
    CHECK "das 9a f0"
    mov ax, 0x339a
    SETFL 0x1
    das
    EXPECT_FL 0x0d5, 0x011, "das 9a f1 flags"
    cmp ax, 0x3334
    CHECK "das 9a f1"
    mov ax, 0x339a
    SETFL 0x10
    das
    EXPECT_FL 0x0d5, 0x011, "das 9a f10 flags"
    cmp ax, 0x3334
    CHECK "das 9a f10"
    mov ax, 0x339a
    SETFL 0x11
    das
    EXPECT_FL 0x0d5, 0x011, "das 9a f11 flags"
    cmp ax, 0x3334
    CHECK "das 9a f11"
    mov ax, 0x339f
    SETFL 0x0
    das
    EXPECT_FL 0x0d5, 0x015, "das 9f f0 flags"
    cmp ax, 0x3339
    CHECK "das 9f f0"
    mov ax, 0x339f
    SETFL 0x1
    das
    EXPECT_FL 0x0d5, 0x015, "das 9f f1 flags"
    cmp ax, 0x3339
    CHECK "das 9f f1"
    mov ax, 0x339f
    SETFL 0x10
    das
    EXPECT_FL 0x0d5, 0x015, "das 9f f10 flags"
    cmp ax, 0x3339
    CHECK "das 9f f10"
    mov ax, 0x339f
    SETFL 0x11
    das
    EXPECT_FL 0x0d5, 0x015, "das 9f f11 flags"
    cmp ax, 0x3339
    CHECK "das 9f f11"
    mov ax, 0x33a0
    SETFL 0x0
    das
    EXPECT_FL 0x0d5, 0x001, "das a0 f0 flags"
    cmp ax, 0x3340
    CHECK "das a0 f0"
    mov ax, 0x33a0
    SETFL 0x1
    das
    EXPECT_FL 0x0d5, 0x001, "das a0 f1 flags"
    cmp ax, 0x3340
    CHECK "das a0 f1"
    mov ax, 0x33a0
    SETFL 0x10
    das
    EXPECT_FL 0x0d5, 0x015, "das a0 f10 flags"
    cmp ax, 0x333a
    CHECK "das a0 f10"
    mov ax, 0x33a0
    SETFL 0x11
    das
    EXPECT_FL 0x0d5, 0x015, "das a0 f11 flags"
    cmp ax, 0x333a
    CHECK "das a0 f11"
    mov ax, 0x33f9
    SETFL 0x0
    das
    EXPECT_FL 0x0d5, 0x085, "das f9 f0 flags"
    cmp ax, 0x3399
    CHECK "das f9 f0"
    mov ax, 0x33f9
    SETFL 0x1
    das
    EXPECT_FL 0x0d5, 0x085, "das f9 f1 flags"
    cmp ax, 0x3399
    CHECK "das f9 f1"
    mov ax, 0x33f9
    SETFL 0x10
    das
    EXPECT_FL 0x0d5, 0x095, "das f9 f10 flags"
    cmp ax, 0x3393
    CHECK "das f9 f10"
    mov ax, 0x33f9
    SETFL 0x11
    das
    EXPECT_FL 0x0d5, 0x095, "das f9 f11 flags"
    cmp ax, 0x3393
    CHECK "das f9 f11"
    mov ax, 0x33fa
    SETFL 0x0
    das
    EXPECT_FL 0x0d5, 0x091, "das fa f0 flags"
    cmp ax, 0x3394
    CHECK "das fa f0"
    mov ax, 0x33fa
    SETFL 0x1
    das
    EXPECT_FL 0x0d5, 0x091, "das fa f1 flags"
    cmp ax, 0x3394
    CHECK "das fa f1"
    mov ax, 0x33fa
    SETFL 0x10
    das
    EXPECT_FL 0x0d5, 0x091, "das fa f10 flags"
    cmp ax, 0x3394
    CHECK "das fa f10"
    mov ax, 0x33fa
    SETFL 0x11
    das
    EXPECT_FL 0x0d5, 0x091, "das fa f11 flags"
    cmp ax, 0x3394
    CHECK "das fa f11"
    mov ax, 0x33ff
    SETFL 0x0
    das
    EXPECT_FL 0x0d5, 0x095, "das ff f0 flags"
    cmp ax, 0x3399
    CHECK "das ff f0"
    mov ax, 0x33ff
    SETFL 0x1
    das
    EXPECT_FL 0x0d5, 0x095, "das ff f1 flags"
    cmp ax, 0x3399
    CHECK "das ff f1"
    mov ax, 0x33ff
    SETFL 0x10
    das
    EXPECT_FL 0x0d5, 0x095, "das ff f10 flags"
    cmp ax, 0x3399
    CHECK "das ff f10"
    mov ax, 0x33ff
    SETFL 0x11
    das
    EXPECT_FL 0x0d5, 0x095, "das ff f11 flags"
    cmp ax, 0x3399
    CHECK "das ff f11"
    mov ax, 0x3305
    SETFL 0x0
    das
    EXPECT_FL 0x0d5, 0x004, "das 05 f0 flags"
    cmp ax, 0x3305
    CHECK "das 05 f0"
    mov ax, 0x3305
    SETFL 0x1
    das
    EXPECT_FL 0x0d5, 0x085, "das 05 f1 flags"
    cmp ax, 0x33a5
    CHECK "das 05 f1"
    mov ax, 0x3305
    SETFL 0x10
    das
    EXPECT_FL 0x0d5, 0x095, "das 05 f10 flags"
    cmp ax, 0x33ff
    CHECK "das 05 f10"
    mov ax, 0x3305
    SETFL 0x11
    das
    EXPECT_FL 0x0d5, 0x095, "das 05 f11 flags"
    cmp ax, 0x339f
    CHECK "das 05 f11"
    mov ax, 0x3366
    SETFL 0x0
    das
    EXPECT_FL 0x0d5, 0x004, "das 66 f0 flags"
    cmp ax, 0x3366
    CHECK "das 66 f0"
    mov ax, 0x3366
    SETFL 0x1
    das
    EXPECT_FL 0x0d5, 0x005, "das 66 f1 flags"
    cmp ax, 0x3306
    CHECK "das 66 f1"
    mov ax, 0x3366
    SETFL 0x10
    das
    EXPECT_FL 0x0d5, 0x014, "das 66 f10 flags"
    cmp ax, 0x3360
    CHECK "das 66 f10"
    mov ax, 0x3366
    SETFL 0x11
    das
    EXPECT_FL 0x0d5, 0x055, "das 66 f11 flags"
    cmp ax, 0x3300
    CHECK "das 66 f11"
    PUTS `bcd: aaa\n`
    mov ax, 0x0100
    SETFL 0x0
    aaa
    EXPECT_FL 0x011, 0x000, "aaa 0100 f0 flags"
    cmp ax, 0x0100
    CHECK "aaa 0100 f0"
    mov ax, 0x0100
    SETFL 0x10
    aaa
    EXPECT_FL 0x011, 0x011, "aaa 0100 f10 flags"
    cmp ax, 0x0206
    CHECK "aaa 0100 f10"
    mov ax, 0x7f09
    SETFL 0x0
    aaa
    EXPECT_FL 0x011, 0x000, "aaa 7f09 f0 flags"
    cmp ax, 0x7f09
    CHECK "aaa 7f09 f0"
    mov ax, 0xff09
    SETFL 0x10
    aaa
    EXPECT_FL 0x011, 0x011, "aaa ff09 f10 flags"
    cmp ax, 0x000f
    CHECK "aaa ff09 f10"
    mov ax, 0x000a
    SETFL 0x0
    aaa
    EXPECT_FL 0x011, 0x011, "aaa 000a f0 flags"
    cmp ax, 0x0100
    CHECK "aaa 000a f0"
    mov ax, 0x000a
    SETFL 0x10
    aaa
    EXPECT_FL 0x011, 0x011, "aaa 000a f10 flags"
    cmp ax, 0x0100
    CHECK "aaa 000a f10"
    mov ax, 0xff0f
    SETFL 0x0
    aaa
    EXPECT_FL 0x011, 0x011, "aaa ff0f f0 flags"
    cmp ax, 0x0005
    CHECK "aaa ff0f f0"
    mov ax, 0x7f0f
    SETFL 0x10
    aaa
    EXPECT_FL 0x011, 0x011, "aaa 7f0f f10 flags"
    cmp ax, 0x8005
    CHECK "aaa 7f0f f10"
    mov ax, 0x0110
    SETFL 0x0
    aaa
    EXPECT_FL 0x011, 0x000, "aaa 0110 f0 flags"
    cmp ax, 0x0100
    CHECK "aaa 0110 f0"
    mov ax, 0x0110
    SETFL 0x10
    aaa
    EXPECT_FL 0x011, 0x011, "aaa 0110 f10 flags"
    cmp ax, 0x0206
    CHECK "aaa 0110 f10"
    mov ax, 0xff19
    SETFL 0x0
    aaa
    EXPECT_FL 0x011, 0x000, "aaa ff19 f0 flags"
    cmp ax, 0xff09
    CHECK "aaa ff19 f0"
    mov ax, 0xff19
    SETFL 0x10
    aaa
    EXPECT_FL 0x011, 0x011, "aaa ff19 f10 flags"
    cmp ax, 0x000f
    CHECK "aaa ff19 f10"
    mov ax, 0xff1a
    SETFL 0x0
    aaa
    EXPECT_FL 0x011, 0x011, "aaa ff1a f0 flags"
    cmp ax, 0x0000
    CHECK "aaa ff1a f0"
    mov ax, 0x011a
    SETFL 0x10
    aaa
    EXPECT_FL 0x011, 0x011, "aaa 011a f10 flags"
    cmp ax, 0x0200
    CHECK "aaa 011a f10"
    mov ax, 0x015f
    SETFL 0x0
    aaa
    EXPECT_FL 0x011, 0x011, "aaa 015f f0 flags"
    cmp ax, 0x0205
    CHECK "aaa 015f f0"
    mov ax, 0x015f
    SETFL 0x10
    aaa
    EXPECT_FL 0x011, 0x011, "aaa 015f f10 flags"
    cmp ax, 0x0205
    CHECK "aaa 015f f10"
    mov ax, 0xff99
    SETFL 0x0
    aaa
    EXPECT_FL 0x011, 0x000, "aaa ff99 f0 flags"
    cmp ax, 0xff09
    CHECK "aaa ff99 f0"
    mov ax, 0x0099
    SETFL 0x10
    aaa
    EXPECT_FL 0x011, 0x011, "aaa 0099 f10 flags"
    cmp ax, 0x010f
    CHECK "aaa 0099 f10"
    mov ax, 0x009a
    SETFL 0x0
    aaa
    EXPECT_FL 0x011, 0x011, "aaa 009a f0 flags"
    cmp ax, 0x0100
    CHECK "aaa 009a f0"
    mov ax, 0x019a
    SETFL 0x10
    aaa
    EXPECT_FL 0x011, 0x011, "aaa 019a f10 flags"
    cmp ax, 0x0200
    CHECK "aaa 019a f10"
    mov ax, 0x009f
    SETFL 0x0
    aaa
    EXPECT_FL 0x011, 0x011, "aaa 009f f0 flags"
    cmp ax, 0x0105
    CHECK "aaa 009f f0"
    mov ax, 0x7f9f
    SETFL 0x10
    aaa
    EXPECT_FL 0x011, 0x011, "aaa 7f9f f10 flags"
    cmp ax, 0x8005
    CHECK "aaa 7f9f f10"
    mov ax, 0x00a0
    SETFL 0x0
    aaa
    EXPECT_FL 0x011, 0x000, "aaa 00a0 f0 flags"
    cmp ax, 0x0000
    CHECK "aaa 00a0 f0"
    mov ax, 0x7fa0
    SETFL 0x10
    aaa
    EXPECT_FL 0x011, 0x011, "aaa 7fa0 f10 flags"
    cmp ax, 0x8006
    CHECK "aaa 7fa0 f10"
    mov ax, 0xfff9
    SETFL 0x0
    aaa
    EXPECT_FL 0x011, 0x000, "aaa fff9 f0 flags"
    cmp ax, 0xff09
    CHECK "aaa fff9 f0"
    mov ax, 0xfff9
    SETFL 0x10
    aaa
    EXPECT_FL 0x011, 0x011, "aaa fff9 f10 flags"
    cmp ax, 0x000f
    CHECK "aaa fff9 f10"
    mov ax, 0xfffa
    SETFL 0x0
    aaa
    EXPECT_FL 0x011, 0x011, "aaa fffa f0 flags"
    cmp ax, 0x0100
    CHECK "aaa fffa f0"
    mov ax, 0xfffa
    SETFL 0x10
    aaa
    EXPECT_FL 0x011, 0x011, "aaa fffa f10 flags"
    cmp ax, 0x0100
    CHECK "aaa fffa f10"
    mov ax, 0xffff
    SETFL 0x0
    aaa
    EXPECT_FL 0x011, 0x011, "aaa ffff f0 flags"
    cmp ax, 0x0105
    CHECK "aaa ffff f0"
    mov ax, 0x01ff
    SETFL 0x10
    aaa
    EXPECT_FL 0x011, 0x011, "aaa 01ff f10 flags"
    cmp ax, 0x0305
    CHECK "aaa 01ff f10"
    mov ax, 0x7f05
    SETFL 0x0
    aaa
    EXPECT_FL 0x011, 0x000, "aaa 7f05 f0 flags"
    cmp ax, 0x7f05
    CHECK "aaa 7f05 f0"
    mov ax, 0x0005
    SETFL 0x10
    aaa
    EXPECT_FL 0x011, 0x011, "aaa 0005 f10 flags"
    cmp ax, 0x010b
    CHECK "aaa 0005 f10"
    mov ax, 0x0066
    SETFL 0x0
    aaa
    EXPECT_FL 0x011, 0x000, "aaa 0066 f0 flags"
    cmp ax, 0x0006
    CHECK "aaa 0066 f0"
    mov ax, 0x0166
    SETFL 0x10
    aaa
    EXPECT_FL 0x011, 0x011, "aaa 0166 f10 flags"
    cmp ax, 0x020c
    CHECK "aaa 0166 f10"
    PUTS `bcd: aas\n`
    mov ax, 0xff00
    SETFL 0x0
    aas
    EXPECT_FL 0x011, 0x000, "aas ff00 f0 flags"
    cmp ax, 0xff00
    CHECK "aas ff00 f0"
    mov ax, 0x0100
    SETFL 0x10
    aas
    EXPECT_FL 0x011, 0x011, "aas 0100 f10 flags"
    cmp ax, 0xff0a
    CHECK "aas 0100 f10"
    mov ax, 0x7f09
    SETFL 0x0
    aas
    EXPECT_FL 0x011, 0x000, "aas 7f09 f0 flags"
    cmp ax, 0x7f09
    CHECK "aas 7f09 f0"
    mov ax, 0xff09
    SETFL 0x10
    aas
    EXPECT_FL 0x011, 0x011, "aas ff09 f10 flags"
    cmp ax, 0xfe03
    CHECK "aas ff09 f10"
    mov ax, 0x7f0a
    SETFL 0x0
    aas
    EXPECT_FL 0x011, 0x011, "aas 7f0a f0 flags"
    cmp ax, 0x7e04
    CHECK "aas 7f0a f0"
    mov ax, 0xff0a
    SETFL 0x10
    aas
    EXPECT_FL 0x011, 0x011, "aas ff0a f10 flags"
    cmp ax, 0xfe04
    CHECK "aas ff0a f10"
    mov ax, 0xff0f
    SETFL 0x0
    aas
    EXPECT_FL 0x011, 0x011, "aas ff0f f0 flags"
    cmp ax, 0xfe09
    CHECK "aas ff0f f0"
    mov ax, 0x7f0f
    SETFL 0x10
    aas
    EXPECT_FL 0x011, 0x011, "aas 7f0f f10 flags"
    cmp ax, 0x7e09
    CHECK "aas 7f0f f10"
    mov ax, 0xff10
    SETFL 0x0
    aas
    EXPECT_FL 0x011, 0x000, "aas ff10 f0 flags"
    cmp ax, 0xff00
    CHECK "aas ff10 f0"
    mov ax, 0x0110
    SETFL 0x10
    aas
    EXPECT_FL 0x011, 0x011, "aas 0110 f10 flags"
    cmp ax, 0x000a
    CHECK "aas 0110 f10"
    mov ax, 0x7f19
    SETFL 0x0
    aas
    EXPECT_FL 0x011, 0x000, "aas 7f19 f0 flags"
    cmp ax, 0x7f09
    CHECK "aas 7f19 f0"
    mov ax, 0x0019
    SETFL 0x10
    aas
    EXPECT_FL 0x011, 0x011, "aas 0019 f10 flags"
    cmp ax, 0xff03
    CHECK "aas 0019 f10"
    mov ax, 0x7f1a
    SETFL 0x0
    aas
    EXPECT_FL 0x011, 0x011, "aas 7f1a f0 flags"
    cmp ax, 0x7e04
    CHECK "aas 7f1a f0"
    mov ax, 0x011a
    SETFL 0x10
    aas
    EXPECT_FL 0x011, 0x011, "aas 011a f10 flags"
    cmp ax, 0x0004
    CHECK "aas 011a f10"
    mov ax, 0x7f5f
    SETFL 0x0
    aas
    EXPECT_FL 0x011, 0x011, "aas 7f5f f0 flags"
    cmp ax, 0x7e09
    CHECK "aas 7f5f f0"
    mov ax, 0x005f
    SETFL 0x10
    aas
    EXPECT_FL 0x011, 0x011, "aas 005f f10 flags"
    cmp ax, 0xff09
    CHECK "aas 005f f10"
    mov ax, 0x0199
    SETFL 0x0
    aas
    EXPECT_FL 0x011, 0x000, "aas 0199 f0 flags"
    cmp ax, 0x0109
    CHECK "aas 0199 f0"
    mov ax, 0x7f99
    SETFL 0x10
    aas
    EXPECT_FL 0x011, 0x011, "aas 7f99 f10 flags"
    cmp ax, 0x7e03
    CHECK "aas 7f99 f10"
    mov ax, 0x7f9a
    SETFL 0x0
    aas
    EXPECT_FL 0x011, 0x011, "aas 7f9a f0 flags"
    cmp ax, 0x7e04
    CHECK "aas 7f9a f0"
    mov ax, 0x009a
    SETFL 0x10
    aas
    EXPECT_FL 0x011, 0x011, "aas 009a f10 flags"
    cmp ax, 0xff04
    CHECK "aas 009a f10"
    mov ax, 0x009f
    SETFL 0x0
    aas
    EXPECT_FL 0x011, 0x011, "aas 009f f0 flags"
    cmp ax, 0xff09
    CHECK "aas 009f f0"
    mov ax, 0xff9f
    SETFL 0x10
    aas
    EXPECT_FL 0x011, 0x011, "aas ff9f f10 flags"
    cmp ax, 0xfe09
    CHECK "aas ff9f f10"
    mov ax, 0xffa0
    SETFL 0x0
    aas
    EXPECT_FL 0x011, 0x000, "aas ffa0 f0 flags"
    cmp ax, 0xff00
    CHECK "aas ffa0 f0"
    mov ax, 0x00a0
    SETFL 0x10
    aas
    EXPECT_FL 0x011, 0x011, "aas 00a0 f10 flags"
    cmp ax, 0xff0a
    CHECK "aas 00a0 f10"
    mov ax, 0x7ff9
    SETFL 0x0
    aas
    EXPECT_FL 0x011, 0x000, "aas 7ff9 f0 flags"
    cmp ax, 0x7f09
    CHECK "aas 7ff9 f0"
    mov ax, 0x00f9
    SETFL 0x10
    aas
    EXPECT_FL 0x011, 0x011, "aas 00f9 f10 flags"
    cmp ax, 0xff03
    CHECK "aas 00f9 f10"
    mov ax, 0xfffa
    SETFL 0x0
    aas
    EXPECT_FL 0x011, 0x011, "aas fffa f0 flags"
    cmp ax, 0xfe04
    CHECK "aas fffa f0"
    mov ax, 0x01fa
    SETFL 0x10
    aas
    EXPECT_FL 0x011, 0x011, "aas 01fa f10 flags"
    cmp ax, 0x0004
    CHECK "aas 01fa f10"
    mov ax, 0x00ff
    SETFL 0x0
    aas
    EXPECT_FL 0x011, 0x011, "aas 00ff f0 flags"
    cmp ax, 0xff09
    CHECK "aas 00ff f0"
    mov ax, 0x7fff
    SETFL 0x10
    aas
    EXPECT_FL 0x011, 0x011, "aas 7fff f10 flags"
    cmp ax, 0x7e09
    CHECK "aas 7fff f10"
    mov ax, 0xff05
    SETFL 0x0
    aas
    EXPECT_FL 0x011, 0x000, "aas ff05 f0 flags"
    cmp ax, 0xff05
    CHECK "aas ff05 f0"
    mov ax, 0xff05
    SETFL 0x10
    aas
    EXPECT_FL 0x011, 0x011, "aas ff05 f10 flags"
    cmp ax, 0xfd0f
    CHECK "aas ff05 f10"
    mov ax, 0x0066
    SETFL 0x0
    aas
    EXPECT_FL 0x011, 0x000, "aas 0066 f0 flags"
    cmp ax, 0x0006
    CHECK "aas 0066 f0"
    mov ax, 0x0066
    SETFL 0x10
    aas
    EXPECT_FL 0x011, 0x011, "aas 0066 f10 flags"
    cmp ax, 0xff00
    CHECK "aas 0066 f10"
    PUTS `bcd: aam aad\n`
    mov ax, 0x5500
    SETFL 0
    aam 10
    EXPECT_FL 0x0c4, 0x044, "aam 10 00 flags"
    cmp ax, 0x0000
    CHECK "aam 10 00"
    mov ax, 0x5500
    SETFL 0
    aam 16
    EXPECT_FL 0x0c4, 0x044, "aam 16 00 flags"
    cmp ax, 0x0000
    CHECK "aam 16 00"
    mov ax, 0x5500
    SETFL 0
    aam 7
    EXPECT_FL 0x0c4, 0x044, "aam 7 00 flags"
    cmp ax, 0x0000
    CHECK "aam 7 00"
    mov ax, 0x5509
    SETFL 0
    aam 10
    EXPECT_FL 0x0c4, 0x004, "aam 10 09 flags"
    cmp ax, 0x0009
    CHECK "aam 10 09"
    mov ax, 0x5509
    SETFL 0
    aam 16
    EXPECT_FL 0x0c4, 0x004, "aam 16 09 flags"
    cmp ax, 0x0009
    CHECK "aam 16 09"
    mov ax, 0x5509
    SETFL 0
    aam 7
    EXPECT_FL 0x0c4, 0x000, "aam 7 09 flags"
    cmp ax, 0x0102
    CHECK "aam 7 09"
    mov ax, 0x550a
    SETFL 0
    aam 10
    EXPECT_FL 0x0c4, 0x044, "aam 10 0a flags"
    cmp ax, 0x0100
    CHECK "aam 10 0a"
    mov ax, 0x550a
    SETFL 0
    aam 16
    EXPECT_FL 0x0c4, 0x004, "aam 16 0a flags"
    cmp ax, 0x000a
    CHECK "aam 16 0a"
    mov ax, 0x550a
    SETFL 0
    aam 7
    EXPECT_FL 0x0c4, 0x004, "aam 7 0a flags"
    cmp ax, 0x0103
    CHECK "aam 7 0a"
    mov ax, 0x554f
    SETFL 0
    aam 10
    EXPECT_FL 0x0c4, 0x004, "aam 10 4f flags"
    cmp ax, 0x0709
    CHECK "aam 10 4f"
    mov ax, 0x554f
    SETFL 0
    aam 16
    EXPECT_FL 0x0c4, 0x004, "aam 16 4f flags"
    cmp ax, 0x040f
    CHECK "aam 16 4f"
    mov ax, 0x554f
    SETFL 0
    aam 7
    EXPECT_FL 0x0c4, 0x000, "aam 7 4f flags"
    cmp ax, 0x0b02
    CHECK "aam 7 4f"
    mov ax, 0x5563
    SETFL 0
    aam 10
    EXPECT_FL 0x0c4, 0x004, "aam 10 63 flags"
    cmp ax, 0x0909
    CHECK "aam 10 63"
    mov ax, 0x5563
    SETFL 0
    aam 16
    EXPECT_FL 0x0c4, 0x004, "aam 16 63 flags"
    cmp ax, 0x0603
    CHECK "aam 16 63"
    mov ax, 0x5563
    SETFL 0
    aam 7
    EXPECT_FL 0x0c4, 0x000, "aam 7 63 flags"
    cmp ax, 0x0e01
    CHECK "aam 7 63"
    mov ax, 0x5580
    SETFL 0
    aam 10
    EXPECT_FL 0x0c4, 0x000, "aam 10 80 flags"
    cmp ax, 0x0c08
    CHECK "aam 10 80"
    mov ax, 0x5580
    SETFL 0
    aam 16
    EXPECT_FL 0x0c4, 0x044, "aam 16 80 flags"
    cmp ax, 0x0800
    CHECK "aam 16 80"
    mov ax, 0x5580
    SETFL 0
    aam 7
    EXPECT_FL 0x0c4, 0x000, "aam 7 80 flags"
    cmp ax, 0x1202
    CHECK "aam 7 80"
    mov ax, 0x55ff
    SETFL 0
    aam 10
    EXPECT_FL 0x0c4, 0x004, "aam 10 ff flags"
    cmp ax, 0x1905
    CHECK "aam 10 ff"
    mov ax, 0x55ff
    SETFL 0
    aam 16
    EXPECT_FL 0x0c4, 0x004, "aam 16 ff flags"
    cmp ax, 0x0f0f
    CHECK "aam 16 ff"
    mov ax, 0x55ff
    SETFL 0
    aam 7
    EXPECT_FL 0x0c4, 0x004, "aam 7 ff flags"
    cmp ax, 0x2403
    CHECK "aam 7 ff"
    mov ax, 0x0000
    SETFL 0x8d5
    aad 10
    EXPECT_FL 0x0c4, 0x044, "aad 10 0000 flags"
    cmp ax, 0x0000
    CHECK "aad 10 0000"
    mov ax, 0x0000
    SETFL 0x8d5
    aad 16
    EXPECT_FL 0x0c4, 0x044, "aad 16 0000 flags"
    cmp ax, 0x0000
    CHECK "aad 16 0000"
    mov ax, 0x0000
    SETFL 0x8d5
    aad 25
    EXPECT_FL 0x0c4, 0x044, "aad 25 0000 flags"
    cmp ax, 0x0000
    CHECK "aad 25 0000"
    mov ax, 0x0709
    SETFL 0x8d5
    aad 10
    EXPECT_FL 0x0c4, 0x000, "aad 10 0709 flags"
    cmp ax, 0x004f
    CHECK "aad 10 0709"
    mov ax, 0x0709
    SETFL 0x8d5
    aad 16
    EXPECT_FL 0x0c4, 0x000, "aad 16 0709 flags"
    cmp ax, 0x0079
    CHECK "aad 16 0709"
    mov ax, 0x0709
    SETFL 0x8d5
    aad 25
    EXPECT_FL 0x0c4, 0x084, "aad 25 0709 flags"
    cmp ax, 0x00b8
    CHECK "aad 25 0709"
    mov ax, 0x0909
    SETFL 0x8d5
    aad 10
    EXPECT_FL 0x0c4, 0x004, "aad 10 0909 flags"
    cmp ax, 0x0063
    CHECK "aad 10 0909"
    mov ax, 0x0909
    SETFL 0x8d5
    aad 16
    EXPECT_FL 0x0c4, 0x084, "aad 16 0909 flags"
    cmp ax, 0x0099
    CHECK "aad 16 0909"
    mov ax, 0x0909
    SETFL 0x8d5
    aad 25
    EXPECT_FL 0x0c4, 0x080, "aad 25 0909 flags"
    cmp ax, 0x00ea
    CHECK "aad 25 0909"
    mov ax, 0x1f05
    SETFL 0x8d5
    aad 10
    EXPECT_FL 0x0c4, 0x000, "aad 10 1f05 flags"
    cmp ax, 0x003b
    CHECK "aad 10 1f05"
    mov ax, 0x1f05
    SETFL 0x8d5
    aad 16
    EXPECT_FL 0x0c4, 0x084, "aad 16 1f05 flags"
    cmp ax, 0x00f5
    CHECK "aad 16 1f05"
    mov ax, 0x1f05
    SETFL 0x8d5
    aad 25
    EXPECT_FL 0x0c4, 0x004, "aad 25 1f05 flags"
    cmp ax, 0x000c
    CHECK "aad 25 1f05"
    mov ax, 0xff01
    SETFL 0x8d5
    aad 10
    EXPECT_FL 0x0c4, 0x080, "aad 10 ff01 flags"
    cmp ax, 0x00f7
    CHECK "aad 10 ff01"
    mov ax, 0xff01
    SETFL 0x8d5
    aad 16
    EXPECT_FL 0x0c4, 0x080, "aad 16 ff01 flags"
    cmp ax, 0x00f1
    CHECK "aad 16 ff01"
    mov ax, 0xff01
    SETFL 0x8d5
    aad 25
    EXPECT_FL 0x0c4, 0x084, "aad 25 ff01 flags"
    cmp ax, 0x00e8
    CHECK "aad 25 ff01"
    mov ax, 0x0a06
    SETFL 0x8d5
    aad 10
    EXPECT_FL 0x0c4, 0x004, "aad 10 0a06 flags"
    cmp ax, 0x006a
    CHECK "aad 10 0a06"
    mov ax, 0x0a06
    SETFL 0x8d5
    aad 16
    EXPECT_FL 0x0c4, 0x084, "aad 16 0a06 flags"
    cmp ax, 0x00a6
    CHECK "aad 16 0a06"
    mov ax, 0x0a06
    SETFL 0x8d5
    aad 25
    EXPECT_FL 0x0c4, 0x044, "aad 25 0a06 flags"
    cmp ax, 0x0000
    CHECK "aad 25 0a06"


    PUTS `bcd: aam 0\n`
    mov ax, 0x1234
    EXPECT_TRAP 0, "aam 0 raises #DE", aam 0
    EXPECT16 ax, 0x1234, "aam 0 leaves ax"
    mov ax, 0x0000
    SETFL FL_AF
    aas
    EXPECT16 ax, 0xfe0a, "aas ax=0 af=1 borrows through AH: fe0a"

    ; AL >= FAh with an adjust: the SDM adds 106h to AX, so AH gains 2.
    mov ax, 0x01fa
    SETFL 0
    aaa
    EXPECT16 ax, 0x0300, "aaa ax=01fa: AX + 106h = 0300"

    FINISH

TRAP_HANDLERS
ROM_END
