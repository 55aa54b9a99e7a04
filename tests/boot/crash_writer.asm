; The guest of tests/boot/crash_ide.sh: an MBR boot sector (SeaBIOS loads
; it from the boot disk, IDE primary master) that writes numbered blocks
; to the disk under test, the IDE primary slave, with PIO commands, and
; says on port 0xE9 how far the disk has them for sure:
;   - block N (1, 2, ... NMAX) is SECTS sectors at LBA N*128 + (N*37 mod
;     128): one per 64 KiB, at a different place in each (some cross into
;     the next 64 KiB), so that every block lands in a fresh qcow2 cluster
;     and the writes are partial clusters;
;   - its dword k (0 .. SECTS*128-1) is 0x5A000000 | N << 9 | k;
;   - after each BATCH blocks, FLUSH CACHE; only when it has completed
;     without error, "flushed up to N" (N the last block of the batch);
;   - the 28-bit commands (WRITE SECTORS 30h, FLUSH CACHE E7h) and the
;     48-bit ones (34h, EAh) take turns: block N uses the latter when
;     N & BATCH, and so does the FLUSH after it;
;   - at the end "done N" and port 0xF4 <- 0 (exit status 1); any device
;     error: "error ..." and port 0xF4 <- 1 (status 3).
; While the disk is busy the guest halts until an interrupt (IRQ 14, the
; disk's, or the timer's), so the host sees completions at once.
bits 16
org 0x7c00

STRIDE  equ 128                 ; sectors from one block to the next
SECTS   equ 4                   ; sectors per block
BATCH   equ 32                  ; blocks per FLUSH (a power of 2: N & BATCH picks the command set)
NMAX    equ 4000                ; blocks; the last ends below 256 MiB
IO      equ 0x1f0
CTL     equ 0x3f6

start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7c00
    cld
    mov word [0x76 * 4], irq14  ; IRQ 14 = INT 76h under the BIOS's PIC setup
    mov [0x76 * 4 + 2], ax
    in al, 0xa1
    and al, ~0x40               ; unmask IRQ 14 on the slave PIC
    out 0xa1, al
    in al, 0x21
    and al, ~0x04               ; and the cascade
    out 0x21, al
    mov dx, CTL
    xor al, al                  ; nIEN clear: the disk interrupts
    out dx, al
    mov si, msg_start
    call print
    mov ebp, 1                  ; N, the next block
next_batch:
    mov byte [left], BATCH
.block:
    call write_block
    jc fail
    inc ebp
    dec byte [left]
    jnz .block
    call flush
    jc fail
    mov si, msg_flushed
    call print
    lea eax, [ebp - 1]
    call print_dec
    cmp ebp, NMAX
    jb next_batch
    mov si, msg_done
    call print
    lea eax, [ebp - 1]
    call print_dec
    xor al, al
    out 0xf4, al
    hlt

fail:                           ; AL = the status register
    push ax
    mov si, msg_error
    call print
    pop ax
    movzx eax, al
    call print_dec
    mov al, 1
    out 0xf4, al
    hlt

irq14:                          ; acknowledge the disk, then both PICs
    push ax
    push dx
    mov dx, IO + 7
    in al, dx
    mov al, 0x20
    out 0xa0, al
    out 0x20, al
    pop dx
    pop ax
    iret

; Wait while BSY; CF set when ERR or DF came up. AL = status. An IRQ that
; comes between the IN and the HLT is taken after STI and ends the HLT.
wait_idle:
    mov dx, IO + 7
.poll:
    in al, dx
    test al, 0x80
    jz .idle
    sti
    hlt
    cli
    jmp .poll
.idle:
    test al, 0x21
    jz .ok
    stc
    ret
.ok:
    clc
    ret

; out IO+DL-offset: DX = IO + reg, AL = value (a macro keeps it short).
%macro outb 2
    mov dx, IO + %1
    mov al, %2
    out dx, al
%endmacro

; Write block EBP. CF and AL = status on error.
write_block:
    call wait_idle
    jc .ret
    mov ebx, ebp
    imul ebx, ebx, 37
    and ebx, STRIDE - 1
    mov eax, ebp
    shl eax, 7
    add ebx, eax                ; EBX = the LBA
    test bp, BATCH
    jnz .ext
    mov eax, ebx
    shr eax, 24
    or al, 0xf0                 ; LBA, slave, LBA bits 27-24
    mov dx, IO + 6
    out dx, al
    outb 2, SECTS
    outb 3, bl
    outb 4, bh
    mov eax, ebx
    shr eax, 16
    mov dx, IO + 5
    out dx, al
    outb 7, 0x30                ; WRITE SECTORS
    jmp .data
.ext:
    outb 6, 0x50                ; LBA, slave
    outb 2, 0                   ; count: high byte, then low
    outb 2, SECTS
    mov eax, ebx
    shr eax, 24
    mov dx, IO + 3
    out dx, al                  ; LBA 31-24, then 7-0
    outb 3, bl
    outb 4, 0                   ; LBA 39-32, then 15-8
    outb 4, bh
    outb 5, 0                   ; LBA 47-40, then 23-16
    mov eax, ebx
    shr eax, 16
    out dx, al
    outb 7, 0x34                ; WRITE SECTORS EXT
.data:
    mov edi, ebp
    shl edi, 9
    or edi, 0x5a000000          ; dword 0 of the block
    mov cl, SECTS
.sector:
    call wait_idle
    jc .ret
    test al, 0x08               ; DRQ: the device wants the sector
    jz .nodrq
    mov dx, IO
    mov si, 128
.dword:
    mov eax, edi
    out dx, eax
    inc edi
    dec si
    jnz .dword
    dec cl
    jnz .sector
    jmp wait_idle               ; the command's completion
.nodrq:
    stc
.ret:
    ret

; FLUSH CACHE (EXT when the batch just written was 48-bit). CF on error.
flush:
    outb 6, 0x50
    mov al, 0xe7
    lea bx, [bp - 1]
    test bx, BATCH
    jz .cmd
    mov al, 0xea
.cmd:
    mov dx, IO + 7
    out dx, al
    jmp wait_idle

print:                          ; DS:SI -> port 0xE9 until NUL
    lodsb
    test al, al
    jz .done
    out 0xe9, al
    jmp print
.done:
    ret

print_dec:                      ; EAX in decimal, then a newline
    mov ebx, 10
    xor cx, cx
.div:
    xor edx, edx
    div ebx
    push dx
    inc cx
    test eax, eax
    jnz .div
.out:
    pop ax
    add al, '0'
    out 0xe9, al
    loop .out
    mov al, 10
    out 0xe9, al
    ret

left: db 0
msg_start: db "crash writer: start", 10, 0
msg_flushed: db "flushed up to ", 0
msg_done: db "done ", 0
msg_error: db "error: status ", 0
times 510 - ($ - $$) db 0
dw 0xaa55
