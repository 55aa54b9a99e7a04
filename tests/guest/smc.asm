; smc.asm — self-modifying code: stores into instructions that were already
; decoded (and cached) must take effect the next time they run, and a store
; into the very next instruction must take effect before it executes.
%include "rom.inc"

%define CODE_SEG 0x0200            ; routine copied to 0200:0000 (linear 0x2000)
%define imm_off (routine.imm - routine)

start:
    ROM_INIT
    PUTS `smc: stores into decoded code\n`
    ; copy `routine` to RAM
    mov ax, CODE_SEG
    mov es, ax
    xor di, di
    mov si, routine
    mov cx, routine_end - routine
    cld
    cs rep movsb

    ; 1. run it once: AL = 0x11 (decodes and caches the page)
    call CODE_SEG:0
    cmp al, 0x11
    CHECK "first run returns the original immediate"

    ; 2. patch the immediate of the cached `mov al, imm8` from outside
    mov byte [es:imm_off], 0x22
    call CODE_SEG:0
    cmp al, 0x22
    CHECK "patched immediate is seen on the next run"

    ; 3. the routine patches its own next instruction (same page) when BL=1
    mov bl, 1
    call CODE_SEG:0
    cmp al, 0x33
    CHECK "store into the next instruction takes effect immediately"

    ; 4. patch an opcode: mov al, imm8 (B0) -> mov cl, imm8 (B1)
    mov bl, 0
    mov byte [es:imm_off], 0x44
    mov byte [es:imm_off - 1], 0xb1
    mov al, 0
    mov cl, 0
    call CODE_SEG:0
    cmp cl, 0x44
    CHECK "patched opcode runs the new instruction"
    cmp al, 0
    CHECK "old instruction no longer runs"

    ; 5. a long straight-line run of NOPs whose end is patched to a RET
    mov di, 0x100
    mov cx, 64
    mov al, 0x90
    rep stosb                      ; 64 NOPs at 0200:0100
    mov byte [es:0x140], 0xb0      ; mov al, 0x55
    mov byte [es:0x141], 0x55
    mov byte [es:0x142], 0xcb      ; retf
    call CODE_SEG:0x100
    cmp al, 0x55
    CHECK "straight-line run reaches its end"
    mov byte [es:0x141], 0x66
    call CODE_SEG:0x100
    cmp al, 0x66
    CHECK "patch at the end of a cached straight-line run is seen"
    FINISH

routine:
    test bl, bl
    jz .plain
    mov byte [cs:routine.patched + 1 - routine], 0x33
.patched:
    mov al, 0x00
    retf
.plain:
    db 0xb0                        ; mov al, imm8
.imm:
    db 0x11
    retf
routine_end:

ROM_END
