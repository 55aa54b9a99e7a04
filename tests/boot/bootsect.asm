; A boot sector for tests/boot/seabios_cdrom.sh: works as an MBR (BIOS
; loads it at 0:7C00 from a hard disk) and as an El Torito no-emulation
; boot image (loaded from the CD at 0:7C00, 2048-byte sectors).
; It prints on port 0xE9 (--debugcon), reads one sector through INT 13h
; AH=42h (LBA 16 of a CD: the ISO volume descriptor "\x01CD001"; LBA 1 of
; a disk, where the test writes the same bytes) and checks them, then
; exits through port 0xF4: 0 (status 1) when all went well, 1 (status 3)
; otherwise.
bits 16
org 0x7c00
start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7c00
    sti
    mov [drive], dl
    mov si, msg_hello
    call print
    mov al, [drive]
    call print_hex
    mov si, msg_nl
    call print
    ; The sector to read: 16 on a CD (drive 0xE0 and up), 1 on a disk.
    mov word [dap_lba], 1
    cmp byte [drive], 0xe0
    jb .disk
    mov word [dap_lba], 16
.disk:
    mov si, dap
    mov dl, [drive]
    mov ah, 0x42
    int 0x13
    jc fail_read
    mov si, 0x8001
    mov di, sig
    mov cx, 5
    repe cmpsb
    jne fail_sig
    mov si, msg_ok
    call print
    mov al, 0
    out 0xf4, al
    hlt
fail_read:
    mov si, msg_read
    call print
    jmp fail
fail_sig:
    mov si, msg_sig
    call print
fail:
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

align 4
dap:
    db 16, 0
    dw 1                        ; sectors
    dw 0x8000, 0                ; buffer 0:8000
dap_lba:
    dq 0
drive: db 0
sig: db "CD001"
msg_hello: db "rawbox boot sector: drive ", 0
msg_nl: db 10, 0
msg_ok: db "boot sector: read the volume descriptor: ok", 10, 0
msg_read: db "boot sector: INT 13h read failed", 10, 0
msg_sig: db "boot sector: no CD001 signature in the sector read", 10, 0
times 510 - ($ - $$) db 0
dw 0xaa55
