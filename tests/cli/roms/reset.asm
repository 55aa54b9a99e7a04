; reset.asm — for tests/cli/reboot_shutdown.sh: prints "boot" on port 0xE9,
; then resets the machine the way the argument (the word at the ROM's
; offset 0 patched by nothing: chosen at assembly with -D) says:
;   KBD    the i8042's reset pulse (out 0x64, 0xFE)
;   TRIPLE a triple fault (an empty IDT, then INT3)
;   S5     ACPI power off: PM1a_CNT (0xB004) = SLP_TYP 0 | SLP_EN
bits 16
org 0
start:
    cli
    mov dx, 0xE9
    mov si, msg
.put:
    mov al, [cs:si]
    test al, al
    jz .done
    out dx, al
    inc si
    jmp .put
.done:
%ifdef KBD
    mov al, 0xFE
    out 0x64, al
%elifdef TRIPLE
    lidt [cs:empty_idt]
    int3
%elifdef S5
    mov dx, 0xB004
    mov ax, 0x2000
    out dx, ax
%endif
.hang:
    hlt
    jmp .hang
msg: db "boot", 10, 0
empty_idt: dw 0
           dd 0
    times 0xFFF0 - ($ - $$) db 0xFF
    jmp 0xF000:start
    times 0x10000 - ($ - $$) db 0xFF
