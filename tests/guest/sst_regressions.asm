; sst_regressions.asm — real-mode behaviours where the SingleStepTests 80286
; suite (tests/unit/cpu/sst_run.c, hardware-captured on an 80C286) differs
; from a P6. sst_run counts these as model differences, not failures; this
; test pins rawbox to the P6 side of each (Intel SDM), so a change that
; "fixes" rawbox towards the 286 fails here:
;   IDIV r/m8 with quotient -128 is valid (SDM vol. 2 IDIV: #DE only when
;     the quotient is outside 80h..7Fh); an overflowing IDIV raises #DE
;     where the 286 sometimes stores quotient 80h (the suite's F6.7 #2653).
;   A word string access at offset FFFFh raises #GP (interrupt 13) with SI,
;     DI and CX as at the faulting iteration (faults are restartable, SDM
;     vol. 3A 6.5); the 286 has stepped them already.
;   POP m16 whose store faults leaves SP as before the instruction.
;   A word access at SS:FFFFh (BP-based) raises #SS (interrupt 12, SDM vol.
;     2 "Real-Address Mode Exceptions"); the 286 raises interrupt 13.
;   LOCK before an instruction with a register destination raises #UD
;     (SDM vol. 2 LOCK); the 286 ignores it.
;   PUSH SP pushes SP as it was before the push (286 and later).
; The cpu_run() liveness fix the suite found (an exception loop that retires
; nothing) is not guest-visible; tests/unit/cpu/fault_loop_test.c covers it.
; qemu-differs: QEMU 7.2 TCG does not check segment limits in real mode (no #GP/#SS for a word at offset FFFFh, it reads across the segment end), so it fails the nine string/POP/BP checks; rawbox follows the SDM there
%include "rom.inc"

%define VEC    0x0700           ; byte: vector of the last exception, FFh none
%define RESUME 0x0702           ; word: IP the handlers return to

; ARM label: expect the next instruction may fault; resume at label.
%macro ARM 1
    mov byte [ss:VEC], 0xFF
    mov word [ss:RESUME], %1
%endmacro

start:
    ROM_INIT
    PUTS `sst_regressions: P6 behaviour where the 80286 differs\n`
    PUTS `note: QEMU TCG does not check real-mode segment limits; the SDM raises #GP/#SS at offset FFFFh (qemu-differs)\n`
    mov al, 0xFF
    out 0x21, al
    out 0xA1, al
    mov word [0 * 4], exc0
    mov word [0 * 4 + 2], 0xF000
    mov word [6 * 4], exc6
    mov word [6 * 4 + 2], 0xF000
    mov word [12 * 4], exc12
    mov word [12 * 4 + 2], 0xF000
    mov word [13 * 4], exc13
    mov word [13 * 4 + 2], 0xF000

    ; ---- IDIV r/m8 ----
    ARM .d1
    mov ax, 0xFF00              ; -256 / 2 = -128: valid
    mov bl, 2
    idiv bl
.d1:
    EXPECT16 ax, 0x0080, "IDIV -256/2: quotient 80h, remainder 0, no #DE"
    cmp byte [ss:VEC], 0xFF
    CHECK "IDIV with quotient -128 raises nothing"
    ARM .d2
    mov ax, 0xB0E3              ; -20253 / 30 = -675: overflow
    mov bh, 0x1E
    idiv bh
.d2:
    cmp byte [ss:VEC], 0
    CHECK "IDIV -20253/30 raises #DE (the 286 stored quotient 80h)"
    EXPECT16 ax, 0xB0E3, "IDIV #DE leaves AX"

    ; ---- string word access at offset FFFFh ----
    push ds
    push es
    mov ax, 0x1000
    mov ds, ax
    mov ax, 0x2000
    mov es, ax
    cld
    mov si, 0xFFFF
    mov di, 0x0100
    ARM .s1
    movsw
.s1:
    mov bx, si
    mov dx, di
    mov si, 0xFFF9
    mov di, 0x0100
    mov cx, 8
    ARM .s2
    rep movsw                   ; SI FFF9 FFFB FFFD pass, FFFF faults
.s2:
    pop es
    pop ds
    cmp byte [ss:VEC], 13
    CHECK "REP MOVSW reaching SI=FFFFh raises #GP"
    EXPECT16 bx, 0xFFFF, "MOVSW #GP at SI=FFFFh leaves SI"
    EXPECT16 dx, 0x0100, "MOVSW #GP at SI=FFFFh leaves DI"
    EXPECT16 si, 0xFFFF, "REP MOVSW #GP: SI at the faulting iteration"
    EXPECT16 di, 0x0106, "REP MOVSW #GP: DI after three moves"
    EXPECT16 cx, 5, "REP MOVSW #GP: CX after three moves"

    ; ---- POP m16 whose store faults ----
    mov si, 0xFFFF
    mov bx, sp
    push word 0x1234
    ARM .p1
    pop word [si]
.p1:
    mov dx, sp
    mov sp, bx
    cmp byte [ss:VEC], 13
    CHECK "POP [FFFFh] raises #GP"
    mov ax, bx
    sub ax, 2
    cmp dx, ax
    CHECK "POP m16 #GP leaves SP as before the POP"

    ; ---- SS segment overrun ----
    mov bp, 0xFFFF
    ARM .o1
    mov ax, [bp]
.o1:
    cmp byte [ss:VEC], 12
    CHECK "MOV AX,[BP] at BP=FFFFh raises #SS (the 286: interrupt 13)"

    ; ---- LOCK with a register destination ----
    mov ax, 1
    mov bx, 2
    ARM .l1
    db 0xF0                     ; LOCK (nasm warns on the mnemonic)
    add ax, bx
.l1:
    cmp byte [ss:VEC], 6
    CHECK "LOCK ADD AX,BX raises #UD"
    EXPECT16 ax, 1, "LOCK ADD AX,BX: AX unchanged"

    ; ---- PUSH SP ----
    mov bx, sp
    push sp
    pop ax
    EXPECT16 ax, bx, "PUSH SP pushes SP before the push"

    FINISH

; Exception stubs: record the vector, return to [RESUME].
exc0:
    mov byte [ss:VEC], 0
    jmp exc_common
exc6:
    mov byte [ss:VEC], 6
    jmp exc_common
exc12:
    mov byte [ss:VEC], 12
    jmp exc_common
exc13:
    mov byte [ss:VEC], 13
exc_common:
    push bp
    mov bp, sp
    push ax
    mov ax, [ss:RESUME]
    mov [ss:bp + 2], ax
    pop ax
    pop bp
    iret

ROM_END
