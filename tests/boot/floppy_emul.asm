; The boot sector of the 1.44 MB floppy image in tests/boot/eltorito_floppy.sh's
; ISO (El Torito floppy emulation: the BIOS maps the image as drive 00h).
; It prints on port 0xE9, then through INT 13h on the drive it was booted
; from (DL):
;   - AH=08h, the drive parameters: must be 80 cylinders (CH=79), 18
;     sectors (CL=18), 2 heads (DH=1);
;   - AH=02h, a CHS read of cylinder 1, head 1, sector 5 (LBA 58 of the
;     image, where the test put "rawbox floppy sector 58") into 0:8000;
;   - AH=02h again for two sectors at cylinder 0, head 0, sector 2 (LBA 1
;     and 2: "rawbox floppy sector 1" and "... 2").
; Exit through port 0xF4: 0 (status 1) when all matched, 1 (status 3) not.
bits 16
org 0x7c00
start:
    jmp short main
    nop
    ; A FAT12 BIOS parameter block for a 1.44 MB floppy: some BIOSes look
    ; at it (SeaBIOS does not), and `file` calls the image a floppy.
    db "RAWBOX  "
    dw 512                      ; bytes per sector
    db 1                        ; sectors per cluster
    dw 1                        ; reserved sectors
    db 2                        ; FATs
    dw 224                      ; root entries
    dw 2880                     ; sectors
    db 0xf0                     ; media
    dw 9                        ; sectors per FAT
    dw 18                       ; sectors per track
    dw 2                        ; heads
    dd 0, 0
main:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7c00
    sti
    cld
    mov [drive], dl
    mov si, msg_hello
    call print
    mov al, [drive]
    call print_hex
    mov si, msg_nl
    call print

    mov ah, 0x08                ; drive parameters
    mov dl, [drive]
    xor di, di                  ; ES:DI = 0 (some BIOSes return a table there)
    int 0x13
    jc fail_params
    push 0                      ; ES:DI came back at the diskette parameter table
    pop es
    push cx
    push dx
    mov si, msg_geom
    call print
    mov al, ch
    call print_hex
    mov si, msg_slash
    call print
    pop dx
    pop cx
    push cx
    push dx
    mov al, cl
    and al, 0x3f
    call print_hex
    mov si, msg_slash
    call print
    pop dx
    mov al, dh
    call print_hex
    mov si, msg_nl
    call print
    pop cx
    cmp cx, (79 << 8) | 18      ; CH = last cylinder, CL = sectors (bits 6-7: cyl 8-9)
    jne fail_params
    cmp dh, 1
    jne fail_params

    mov cx, (1 << 8) | 5        ; cylinder 1, sector 5
    mov dh, 1                   ; head 1
    mov al, 1
    mov di, sig58
    call read_check
    mov cx, (0 << 8) | 2        ; cylinder 0, sector 2: LBA 1, and LBA 2
    mov dh, 0
    mov al, 2
    mov di, sig1
    call read_check
    mov di, sig2
    mov si, 0x8200
    call compare
    jne fail_sig
    mov si, msg_ok
    call print
    mov al, 0
    out 0xf4, al
    hlt

; Read AL sectors at CX/DH (INT 13h AH=02h form) into 0:8000 and compare
; the start of the first with DS:DI; fails the test on an error.
read_check:
    mov ah, 0x02
    mov dl, [drive]
    mov bx, 0x8000
    int 0x13
    jc fail_read
    mov si, 0x8000
    call compare
    jne fail_sig
    ret

compare:                        ; DS:SI against the string DS:DI (NUL-ended)
    mov al, [di]
    test al, al
    jz .done
    cmp al, [si]
    jne .done
    inc si
    inc di
    jmp compare
.done:
    ret

fail_params:
    mov si, msg_params
    jmp fail
fail_read:
    mov si, msg_read
    jmp fail
fail_sig:
    mov si, msg_sig
fail:
    call print
    mov al, 1
    out 0xf4, al
    hlt

print:                          ; DS:SI -> port 0xE9 until NUL
    lodsb
    test al, al
    jz .done
    out 0xe9, al
    jmp print
.done:
    ret

print_hex:                      ; AL as two hex digits
    push ax
    shr al, 4
    call .nib
    pop ax
    and al, 15
.nib:
    add al, '0'
    cmp al, '9'
    jbe .out
    add al, 7
.out:
    out 0xe9, al
    ret

drive: db 0
sig58: db "rawbox floppy sector 58", 0
sig1: db "rawbox floppy sector 1", 0
sig2: db "rawbox floppy sector 2", 0
msg_hello: db "rawbox floppy: drive ", 0
msg_geom: db "geometry ", 0
msg_slash: db "/", 0
msg_nl: db 10, 0
msg_ok: db "CHS reads ok", 10, 0
msg_params: db "bad AH=08h", 10, 0
msg_read: db "AH=02h failed", 10, 0
msg_sig: db "wrong bytes read", 10, 0
times 510 - ($ - $$) db 0
dw 0xaa55
