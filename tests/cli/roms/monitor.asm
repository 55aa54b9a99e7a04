; monitor.asm — for tests/cli/monitor.sh: prints "boot" on port 0xE9, then
; loops: every byte the keyboard controller delivers is printed as two hex
; digits and a space; the ACPI power button (PM1_STS bit 8 at 0xB000) as
; "pwrbtn"; and a "t" line every 2^18 turns, so a paused vCPU shows.
bits 16
org 0
start:
    cli
    mov ax, 0x9000
    mov ss, ax
    mov sp, 0xfff0
    mov si, msg_boot
    call puts
    xor ebp, ebp
.loop:
    in al, 0x64
    test al, 1
    jz .nokey
    in al, 0x60
    call puthex
    mov al, ' '
    out 0xE9, al
.nokey:
    mov dx, 0xB000
    in ax, dx
    test ax, 0x100
    jz .nobtn
    mov ax, 0x100
    out dx, ax              ; write 1 to clear
    mov si, msg_btn
    call puts
.nobtn:
    inc ebp
    test ebp, 0x3ffff
    jnz .loop
    mov si, msg_t
    call puts
    jmp .loop

puts:
    mov al, [cs:si]
    test al, al
    jz .ret
    out 0xE9, al
    inc si
    jmp puts
.ret:
    ret

puthex:
    push ax
    shr al, 4
    call .digit
    pop ax
    and al, 15
.digit:
    add al, '0'
    cmp al, '9'
    jbe .out
    add al, 'a' - '0' - 10
.out:
    out 0xE9, al
    ret

msg_boot: db "boot", 10, 0
msg_btn: db "pwrbtn", 10, 0
msg_t: db "t", 10, 0
    times 0xFFF0 - ($ - $$) db 0xFF
    jmp 0xF000:start
    times 0x10000 - ($ - $$) db 0xFF
