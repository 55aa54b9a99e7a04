; string.asm — MOVS/CMPS/STOS/LODS/SCAS in byte, word and dword forms with
; 16- and 32-bit addressing; REP with CX=0; REP across a 64 KiB segment
; wrap; the direction flag; the source segment override (destination is
; always ES); REPE/REPNE termination of CMPS/SCAS with their flags; long
; REP runs (restarted in batches by the interpreter); INS/OUTS.
%include "rom.inc"

%define SRC 0x1000
%define DST 0x2000
%define DB_N   0x0540           ; #DB traps seen
%define DB_LOG 0x0542           ; their return IPs

%macro EXPECT32 3
    cmp %1, %2
    CHECK %3
%endmacro

; Fill [es:di] with cx bytes counting up from al.
%macro FILL_SEQ 0
%%l:
    stosb
    inc al
    loop %%l
%endmacro

start:
    ROM_INIT
    PUTS `string: movs/cmps/stos/lods/scas/ins/outs\n`
    cld

    ; ---- single MOVS, all sizes ----
    mov dword [SRC], 0x04030201
    mov dword [SRC+4], 0x08070605
    mov si, SRC
    mov di, DST
    movsb
    EXPECT16 si, SRC+1, "movsb advances si"
    EXPECT16 di, DST+1, "movsb advances di"
    movsw
    movsd
    EXPECT16 si, SRC+7, "movsw+movsd advance si by 6"
    EXPECT32 dword [DST], 0x04030201, "movs b/w/d copy (1)"
    cmp word [DST+4], 0x0605
    CHECK "movs b/w/d copy (2)"
    cmp byte [DST+6], 0x07
    CHECK "movs b/w/d copy (3)"

    ; ---- REP MOVS ----
    mov si, msg
    mov di, DST+0x10
    mov cx, msg_len
    cs rep movsb                    ; override on the source
    EXPECT16 cx, 0, "rep movsb counts cx to 0"
    EXPECT16 si, msg+msg_len, "rep movsb si"
    EXPECT16 di, DST+0x10+msg_len, "rep movsb di"
    mov si, msg
    mov di, DST+0x10
    mov cx, msg_len
    cs repe cmpsb
    CHECK "cs rep movsb copied from CS (compare equal)"
    ; REP with CX=0 does nothing, flags kept
    mov si, SRC
    mov di, DST
    xor cx, cx
    mov byte [DST], 0xee
    stc
    rep movsb
    setc al
    EXPECT16 si, SRC, "rep movsb cx=0: si kept"
    EXPECT16 di, DST, "rep movsb cx=0: di kept"
    cmp byte [DST], 0xee
    CHECK "rep movsb cx=0: no store"
    xor cx, cx
    mov ah, 0
    add ah, 1                       ; ZF=0, CF=0
    repe cmpsb
    setnz al
    cmp al, 1
    CHECK "repe cmpsb cx=0: flags unchanged"
    ; ECX upper half not used by 16-bit addressing
    mov ecx, 0x00010003
    mov si, SRC
    mov di, DST
    rep movsb
    EXPECT32 ecx, 0x00010000, "rep with 16-bit addressing uses cx only"
    ; 32-bit addressing: ESI/EDI/ECX
    mov esi, SRC
    mov edi, DST+0x40
    mov ecx, 2
    a32 rep movsd
    EXPECT32 ecx, 0, "a32 rep movsd: ecx"
    EXPECT32 esi, SRC+8, "a32 rep movsd: esi"
    EXPECT32 edi, DST+0x48, "a32 rep movsd: edi"
    EXPECT32 dword [DST+0x44], 0x08070605, "a32 rep movsd data"
    ; ---- REP across a segment wrap (16-bit addressing) ----
    mov ax, 0x3000
    mov ds, ax                      ; source segment 0x30000
    mov byte [0xfffe], 0xa1
    mov byte [0xffff], 0xa2
    mov byte [0x0000], 0xa3
    mov byte [0x0001], 0xa4
    mov ax, 0x4000
    mov es, ax
    mov si, 0xfffe
    mov di, 0xffff
    mov cx, 4
    rep movsb
    EXPECT16 si, 2, "rep movsb wraps si at 64K"
    EXPECT16 di, 3, "rep movsb wraps di at 64K"
    cmp byte [es:0xffff], 0xa1
    CHECK "wrap: first byte at es:ffff"
    cmp byte [es:0x0000], 0xa2
    CHECK "wrap: second byte at es:0000 (not 0x50000)"
    cmp byte [es:0x0002], 0xa4
    CHECK "wrap: last byte at es:0002"
    xor ax, ax
    mov ds, ax
    mov es, ax

    ; ---- direction flag ----
    mov dword [SRC], 0x44332211
    mov dword [SRC+4], 0x88776655
    std
    mov si, SRC+6
    mov di, DST+0x86
    mov cx, 4
    rep movsw
    cld
    EXPECT16 si, SRC-2, "std rep movsw: si goes down"
    EXPECT16 di, DST+0x7e, "std rep movsw: di goes down"
    EXPECT32 dword [DST+0x80], 0x44332211, "std rep movsw data (1)"
    EXPECT32 dword [DST+0x84], 0x88776655, "std rep movsw data (2)"
    std
    mov edi, DST+0x9c
    mov eax, 0xcafebabe
    mov ecx, 2
    a32 rep stosd
    cld
    EXPECT32 edi, DST+0x94, "std a32 rep stosd: edi"
    EXPECT32 dword [DST+0x98], 0xcafebabe, "std a32 rep stosd data"
    std
    mov si, SRC+3
    lodsb
    cld
    cmp al, 0x44
    CHECK "std lodsb reads then decrements"
    EXPECT16 si, SRC+2, "std lodsb si"

    ; ---- STOS / LODS ----
    mov di, DST+0x100
    mov al, 0x5a
    mov cx, 3
    rep stosb
    mov ax, 0x1234
    stosw
    mov eax, 0xdeadbeef
    stosd
    EXPECT16 di, DST+0x109, "stos b/w/d di"
    cmp byte [DST+0x102], 0x5a
    CHECK "rep stosb"
    cmp word [DST+0x103], 0x1234
    CHECK "stosw"
    EXPECT32 dword [DST+0x105], 0xdeadbeef, "stosd"
    mov si, DST+0x100
    mov eax, 0xffffffff
    lodsb
    EXPECT32 eax, 0xffffff5a, "lodsb keeps the rest of eax"
    lodsw
    EXPECT32 eax, 0xffff5a5a, "lodsw"
    add si, 2
    lodsd
    EXPECT32 eax, 0xdeadbeef, "lodsd"
    mov ax, 0x10
    mov fs, ax                      ; fs base 0x100
    mov si, DST
    fs lodsw
    cmp ax, [DST+0x100]
    CHECK "fs lodsw override on the source"
    mov ax, 0
    mov fs, ax
    ; destination is always ES even with an override
    mov ax, 0x10
    mov es, ax                      ; es base 0x100
    mov di, DST+0x200
    mov al, 0x77
    mov byte [DST+0x200], 0
    mov byte [DST+0x300], 0
    ds stosb                        ; override ignored
    xor ax, ax
    mov es, ax
    cmp byte [DST+0x300], 0x77
    CHECK "stosb writes es:di despite a ds override"
    cmp byte [DST+0x200], 0
    CHECK "stosb with override leaves ds:di alone"

    ; ---- CMPS: termination and flags ----
    mov si, str_a
    mov di, str_b
    push cs
    pop ds
    push cs
    pop es
    mov cx, 10
    repe cmpsb                      ; "abcd" vs "abxd": stop after c/x
    pushf
    xor ax, ax
    mov ds, ax
    mov es, ax
    EXPECT16 cx, 7, "repe cmpsb stops after the mismatch: cx"
    EXPECT16 si, str_a+3, "repe cmpsb: si past the mismatch"
    popf
    setnz al
    setc ah
    EXPECT16 ax, 0x0101, "repe cmpsb mismatch: ZF=0, CF=1 (c < x)"
    ; ES must be CS for the destination here
    push cs
    pop es
    mov si, str_a
    mov di, str_c
    mov cx, 10
    cs repne cmpsb                  ; "abcd" vs "xycd": stop at c==c
    pushf
    xor ax, ax
    mov es, ax
    EXPECT16 cx, 7, "repne cmpsb stops after the match: cx"
    popf
    setz al
    cmp al, 1
    CHECK "repne cmpsb match: ZF=1"
    push cs
    pop es
    mov si, str_a
    mov di, str_a
    mov cx, 4
    cs repe cmpsb                   ; all equal: runs out, ZF=1
    pushf
    xor ax, ax
    mov es, ax
    EXPECT16 cx, 0, "repe cmpsb equal strings: cx=0"
    popf
    setz al
    cmp al, 1
    CHECK "repe cmpsb equal strings: ZF=1"
    ; word and dword compares
    mov dword [SRC], 0x00020001
    mov dword [DST], 0x00030001
    mov si, SRC
    mov di, DST
    mov cx, 2
    repe cmpsw
    pushf
    EXPECT16 cx, 0, "repe cmpsw stops on the 2nd word"
    popf
    setb al
    cmp al, 1
    CHECK "cmpsw 2 - 3: CF=1"
    mov si, SRC
    mov di, DST
    cmpsd
    setb al
    cmp al, 1
    CHECK "cmpsd 20001 - 30001: CF=1"
    mov dword [SRC], 0x80000000
    mov dword [DST], 1
    mov si, SRC
    mov di, DST
    cmpsd
    seto al
    cmp al, 1
    CHECK "cmpsd 80000000 - 1: OF=1"

    ; ---- SCAS ----
    push cs
    pop es
    mov di, msg
    mov al, 0
    mov cx, 0xffff
    repne scasb                      ; strlen
    pushf
    xor ax, ax
    mov es, ax
    not cx
    dec cx
    EXPECT16 cx, msg_len, "repne scasb finds the terminator"
    popf
    setz al
    cmp al, 1
    CHECK "repne scasb found: ZF=1"
    mov byte [DST], 7
    mov byte [DST+1], 7
    mov byte [DST+2], 9
    mov di, DST
    mov al, 7
    mov cx, 3
    repe scasb
    EXPECT16 di, DST+3, "repe scasb stops after the 9"
    EXPECT16 cx, 0, "repe scasb cx"
    mov di, DST
    mov ax, 0x0707
    scasw
    setz al
    cmp al, 1
    CHECK "scasw equal"
    mov dword [DST], 0x12345678
    mov di, DST
    mov eax, 0x12345679
    scasd
    seta al
    cmp al, 1
    CHECK "scasd above"
    mov edi, DST
    mov ax, 0x5678
    a32 scasw
    setz al
    cmp al, 1
    CHECK "a32 scasw"
    EXPECT32 edi, DST+2, "a32 scasw edi"

    ; ---- long REP runs (restart in batches) ----
    mov ax, 0x5000
    mov es, ax
    xor di, di
    mov cx, 0xfff0
    mov al, 0
    FILL_SEQ
    mov ax, 0x5000
    mov ds, ax
    mov ax, 0x6000
    mov es, ax
    xor si, si
    xor di, di
    mov cx, 0xfff0
    rep movsb
    EXPECT16 cx, 0, "rep movsb 65520 bytes: cx"
    EXPECT16 si, 0xfff0, "rep movsb 65520 bytes: si"
    cmp byte [es:0xffef], 0xef
    CHECK "rep movsb 65520 bytes: last byte"
    cmp byte [es:0x8001], 0x01
    CHECK "rep movsb 65520 bytes: middle byte"
    xor si, si
    xor di, di
    mov cx, 0xfff0
    repe cmpsb
    CHECK "repe cmpsb over 65520 equal bytes"
    EXPECT16 cx, 0, "repe cmpsb long: cx"
    mov byte [es:0x9000], 0x55
    xor si, si
    xor di, di
    mov cx, 0xfff0
    repe cmpsb
    EXPECT16 si, 0x9001, "repe cmpsb long stops at the difference"
    xor edi, edi
    mov ecx, 0x4000
    mov eax, 0x01010101
    a32 rep stosd
    EXPECT32 edi, 0x10000, "a32 rep stosd 64K"
    ; ECX = 0x10000: CX is 0 (16-bit addressing does nothing), while a32
    ; copies the whole 64K segment (offsets stay within the real-mode
    ; limit; only the final ESI/EDI reach 0x10000)
    mov ax, 0x5000
    mov ds, ax
    xor esi, esi
    xor edi, edi
    mov ecx, 0x10000
    rep movsb
    EXPECT32 esi, 0, "rep movsb with cx=0, ecx=10000: nothing"
    mov byte [0xffff], 0x3c
    mov ecx, 0x10000
    a32 rep movsb
    EXPECT32 ecx, 0, "a32 rep movsb uses all of ecx"
    EXPECT32 esi, 0x10000, "a32 rep movsb 64K: esi"
    cmp byte [es:0xffff], 0x3c
    CHECK "a32 rep movsb 64K: last byte"
    xor ax, ax
    mov ds, ax
    mov es, ax

    ; ---- INS / OUTS ----
    ; rep outsb to the debug console prints this line itself
    mov si, outs_line
    mov dx, DEBUGCON_PORT
    mov cx, outs_line_len
    cs rep outsb
    EXPECT16 cx, 0, "rep outsb count"
    EXPECT16 si, outs_line+outs_line_len, "rep outsb si"
    ; an unassigned port reads all ones (aligned: QEMU returns 0 for
    ; misaligned wide reads of unassigned ports)
    mov dx, 0x3330
    mov di, DST
    mov dword [DST], 0
    mov dword [DST+4], 0
    mov cx, 2
    rep insb
    EXPECT16 di, DST+2, "rep insb di"
    EXPECT16 word [DST], 0xffff, "rep insb data (open bus)"
    insw
    insd
    EXPECT16 di, DST+8, "insw+insd di"
    EXPECT32 dword [DST+4], 0xffffffff, "insd data"
    xor cx, cx
    mov di, DST
    rep insw
    EXPECT16 di, DST, "rep insw cx=0"

    ; ---- single-step: a #DB trap after every REP iteration, with IP at
    ; the instruction until the count is exhausted (SDM vol. 3 17.3.1.4) ----
    mov word [1*4], db_handler
    mov word [1*4+2], 0xf000
    mov word [DB_N], 0
    mov si, SRC
    mov di, DST
    mov cx, 3
    pushf
    pop ax
    or ax, 0x100
    push ax
    popf                            ; TF=1: traps start after the next insn
.ss_rep:
    rep movsb
.ss_stop:
    nop
    EXPECT16 word [DB_N], 3, "rep movsb under TF traps once per iteration"
    EXPECT16 word [DB_LOG], .ss_rep, "trap 1 returns to the rep instruction"
    EXPECT16 word [DB_LOG+2], .ss_rep, "trap 2 returns to the rep instruction"
    EXPECT16 word [DB_LOG+4], .ss_stop, "trap 3 returns past it"
    EXPECT16 cx, 0, "single-stepped rep movsb: cx"

    FINISH

; #DB handler: log the return IP; stop tracing at .ss_stop.
db_handler:
    push bp
    push bx
    push ds
    push word 0
    pop ds
    mov bp, sp
    mov bx, [DB_N]
    cmp bx, 8
    jae .full
    shl bx, 1
    push ax
    mov ax, [bp+6]
    mov [DB_LOG+bx], ax
    pop ax
    inc word [DB_N]
.full:
    cmp word [bp+6], start.ss_stop
    jne .out
    and word [bp+10], ~0x100
.out:
    pop ds
    pop bx
    pop bp
    iret

msg: db "string instructions", 0
msg_len equ $ - msg - 1
str_a: db "abcd"
str_b: db "abxd"
str_c: db "xycd"
outs_line: db "ok rep outsb prints this line", 10
outs_line_len equ $ - outs_line

ROM_END
