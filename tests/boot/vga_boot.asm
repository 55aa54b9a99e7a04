; A boot disk for tests/boot/vga_screen.sh: SeaBIOS loads sector 0 at
; 0:7C00 from the hard disk; it loads the next 7 sectors behind itself and
; then, through the VGA BIOS (SeaVGABIOS) and the VGA's own ports:
;   1. mode 12h (planar 16 colours): write mode 2 writes colour 9 under
;      bit mask F0h at A000:0000; read mode 0 reads each plane back, read
;      mode 1 compares colour 9, INT 10h AH=0Dh reads pixels 0 and 4;
;   2. mode 13h (chain-4): a byte at A000:(10*320+20) reads back through
;      the window and INT 10h AH=0Dh; DAC entry 2Ah written at 3C8h/3C9h
;      reads back at 3C7h/3C9h and through INT 10h AX=1015h;
;   3. VBE: 4F00 (VESA signature), the mode list walked with 4F01 for a
;      640x480 32 bpp mode with a linear framebuffer, 4F02 with bit 14
;      (LFB), then in unreal mode every pixel (x, y) gets
;      R = x & FFh, G = y & FFh, B = (x ^ y) & FFh at LFB + y*pitch + 4x.
; Each part prints "NAME ok" or "NAME bad CODE" on port 0xE9; at the end
; "vbe drawn MODE", then the CPU idles in HLT and the test takes its
; screendump.
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
    mov ax, 0x0207              ; read 7 sectors: CHS 0/0/2 to 0:7E00
    mov cx, 0x0002
    xor dh, dh
    mov bx, 0x7e00
    int 0x13
    jc load_failed
    jmp main
load_failed:
    mov si, msg_load
    call print
    jmp halt

; print: the NUL-terminated string at DS:SI on port 0xE9
print:
    push ax
.next:
    lodsb
    test al, al
    jz .done
    out 0xe9, al
    jmp .next
.done:
    pop ax
    ret

; print_hex: AX as four hex digits
print_hex:
    push ax
    push bx
    push cx
    mov bx, ax
    mov cx, 4
.digit:
    rol bx, 4
    mov al, bl
    and al, 15
    add al, '0'
    cmp al, '9'
    jbe .out
    add al, 'a' - '0' - 10
.out:
    out 0xe9, al
    loop .digit
    pop cx
    pop bx
    pop ax
    ret

; bad: print SI (the part's name), " bad ", AX, newline
bad:
    call print
    mov si, msg_bad
    call print
    call print_hex
    mov si, msg_nl
    call print
    ret

; ok: print SI, " ok", newline
ok:
    call print
    mov si, msg_ok
    call print
    ret

halt:                           ; idle with interrupts on (cli; hlt ends rawbox)
    sti
    hlt
    jmp halt

msg_load: db "load failed", 10, 0
msg_bad: db " bad ", 0
msg_ok: db " ok", 10, 0
msg_nl: db 10, 0

times 510 - ($ - $$) db 0
    dw 0xaa55

; ---- sector 2 on ----
main:
    call planar
    call chain4
    call vbe
    jmp halt

; gc_out: graphics controller register AH = AL
gc_out:
    push dx
    push ax
    mov dx, 0x3ce
    xchg al, ah
    out dx, al
    inc dx
    xchg al, ah
    out dx, al
    pop ax
    pop dx
    ret

planar:
    mov ax, 0x0012
    int 0x10
    push ds
    mov ax, 0xa000
    mov es, ax
    mov dx, 0x3c4               ; map mask: all planes
    mov ax, 0x0f02
    out dx, ax
    mov ax, 0x0502              ; GC 5: write mode 2
    call gc_out
    mov ax, 0x08f0              ; GC 8: bit mask F0h
    call gc_out
    mov al, [es:0]              ; load the latches
    mov byte [es:0], 9
    mov ax, 0x08ff
    call gc_out
    mov ax, 0x0500              ; read mode 0
    call gc_out
    xor bx, bx                  ; plane
.plane:
    mov ah, 4
    mov al, bl
    call gc_out
    mov al, [es:0]
    mov cl, [expect_planes + bx]
    cmp al, cl
    jne .bad_plane
    inc bx
    cmp bx, 4
    jb .plane
    mov ax, 0x0508              ; read mode 1: compare colour 9, all planes
    call gc_out
    mov ax, 0x0209
    call gc_out
    mov ax, 0x070f
    call gc_out
    mov al, [es:0]
    cmp al, 0xf0
    jne .bad_compare
    mov ax, 0x0500
    call gc_out
    pop ds
    mov ah, 0x0d                ; BIOS read pixel (0, 0) and (4, 0)
    xor bh, bh
    xor cx, cx
    xor dx, dx
    int 0x10
    cmp al, 9
    jne .bad_bios
    mov ah, 0x0d
    mov cx, 4
    int 0x10
    cmp al, 0
    jne .bad_bios
    mov si, msg_planar
    jmp ok
.bad_plane:
    pop ds
    mov ah, bl
    mov si, msg_planar
    jmp bad
.bad_compare:
    pop ds
    mov ah, 0x10
    mov si, msg_planar
    jmp bad
.bad_bios:
    mov ah, 0x20
    mov si, msg_planar
    jmp bad

expect_planes: db 0xf0, 0x00, 0x00, 0xf0

chain4:
    mov ax, 0x0013
    int 0x10
    mov ax, 0xa000
    mov es, ax
    mov byte [es:10 * 320 + 20], 0x2a
    mov byte [es:10 * 320 + 21], 0x15
    cmp byte [es:10 * 320 + 20], 0x2a
    jne .bad_window
    mov ah, 0x0d
    xor bh, bh
    mov cx, 21
    mov dx, 10
    int 0x10
    cmp al, 0x15
    jne .bad_bios_pixel
    mov dx, 0x3c8               ; DAC 2Ah = (1, 2, 3)
    mov al, 0x2a
    out dx, al
    inc dx
    mov al, 1
    out dx, al
    mov al, 2
    out dx, al
    mov al, 3
    out dx, al
    mov dx, 0x3c7
    mov al, 0x2a
    out dx, al
    add dx, 2
    in al, dx
    mov ah, al
    in al, dx
    cmp ax, 0x0102
    jne .bad_dac
    in al, dx
    cmp al, 3
    jne .bad_dac
    mov ax, 0x1015              ; BIOS read DAC register 2Ah
    mov bx, 0x2a
    int 0x10
    cmp dh, 1
    jne .bad_dac
    cmp cx, 0x0203
    jne .bad_dac
    mov si, msg_13h
    jmp ok
.bad_window:
    mov ax, 1
    mov si, msg_13h
    jmp bad
.bad_bios_pixel:
    mov ah, 2
    mov si, msg_13h
    jmp bad
.bad_dac:
    mov ax, 3
    mov si, msg_13h
    jmp bad

vbe:
    xor ax, ax
    mov es, ax
    mov di, vbe_info
    mov dword [vbe_info], 'VBE2'
    mov ax, 0x4f00
    int 0x10
    cmp ax, 0x004f
    jne .bad_info
    cmp dword [vbe_info], 'VESA'
    jne .bad_info
    lfs si, [vbe_info + 0x0e]   ; the mode list
.mode:
    mov cx, [fs:si]
    add si, 2
    cmp cx, 0xffff
    je .no_mode
    push si
    push fs
    xor ax, ax
    mov es, ax
    mov di, mode_info
    mov ax, 0x4f01
    int 0x10
    pop fs
    pop si
    cmp ax, 0x004f
    jne .mode
    test byte [mode_info], 0x80           ; LFB available
    jz .mode
    cmp word [mode_info + 0x12], 640
    jne .mode
    cmp word [mode_info + 0x14], 480
    jne .mode
    cmp byte [mode_info + 0x19], 32
    jne .mode
    mov [mode], cx
    mov bx, cx
    or bx, 0x4000
    mov ax, 0x4f02
    int 0x10
    cmp ax, 0x004f
    jne .bad_set
    call unreal
    mov edi, [mode_info + 0x28]           ; LFB
    movzx ebp, word [mode_info + 0x10]    ; pitch
    xor dx, dx                            ; y
.row:
    push edi
    xor cx, cx                            ; x
.pixel:
    movzx eax, cl                         ; R = x
    shl eax, 8
    mov al, dl                            ; G = y
    shl eax, 8
    mov bl, cl
    xor bl, dl
    mov al, bl                            ; B = x ^ y
    mov [fs:edi], eax
    add edi, 4
    inc cx
    cmp cx, 640
    jb .pixel
    pop edi
    add edi, ebp
    inc dx
    cmp dx, 480
    jb .row
    mov si, msg_drawn
    call print
    mov ax, [mode]
    call print_hex
    mov si, msg_nl
    call print
    ret
.bad_info:
    mov si, msg_vbe
    mov ax, 1
    jmp bad
.no_mode:
    mov si, msg_vbe
    mov ax, 2
    jmp bad
.bad_set:
    mov si, msg_vbe
    mov ax, 3
    jmp bad

; unreal: FS with a 4 GiB limit, back in real mode
unreal:
    cli
    lgdt [gdtr]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp .pm
.pm:
    mov bx, 8
    mov fs, bx
    and al, 0xfe
    mov cr0, eax
    jmp .rm
.rm:
    xor bx, bx
    mov fs, bx
    ret

gdt:
    dq 0
    dw 0xffff, 0
    db 0, 0x92, 0xcf, 0
gdtr:
    dw gdtr - gdt - 1
    dd gdt

msg_planar: db "planar", 0
msg_13h: db "13h", 0
msg_vbe: db "vbe", 0
msg_drawn: db "vbe drawn ", 0
mode: dw 0

align 4
vbe_info: times 512 db 0
mode_info: times 256 db 0

times 8 * 512 - ($ - $$) db 0
