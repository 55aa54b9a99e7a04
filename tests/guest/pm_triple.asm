; pm_triple.asm — a triple fault resets the machine (SDM vol. 3 6.15,
; interrupt 8: a fault while delivering #DF means shutdown; the PC chipset
; turns shutdown into a reset). The ROM leaves a marker in RAM, which
; survives the reset, makes the #GP, #NP and #DF gates not present and
; raises a #GP. After the reset it finds the marker and reports.
; (Checked by hand under QEMU without -no-reboot: it resets and passes.)
; qemu-differs: the suite runs QEMU with -no-reboot, so QEMU exits at the triple fault instead of resetting
%include "rom.inc"
%include "pm.inc"

%define MARKER 0x7E00
%define MAGIC  0x7219F417

start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7C00
    cmp dword [MARKER], MAGIC
    je after_reset
    mov word [FAILS_ADDR], 0
    mov word [CHECKS_ADDR], 0
    PUTS `pm_triple: triple fault -> reset\n`
    mov dword [MARKER], MAGIC
    PM_SETUP
    PM_ENTER32 pm_main

bits 32
pm_main:
    and byte [IDT_BASE + 13 * 8 + 5], 0x7F
    and byte [IDT_BASE + 11 * 8 + 5], 0x7F
    and byte [IDT_BASE + 8 * 8 + 5], 0x7F
    PUTS32 `raising #GP with no #GP, #NP or #DF gate\n`
    mov ax, 0x0800
    mov ds, ax
    PUTS32 `FAIL still running after the triple fault\n`
    inc word [ss:FAILS_ADDR]
    FINISH32

bits 16
after_reset:
    mov dword [MARKER], 0
    mov eax, 1                  ; any check passes: we got here
    cmp eax, 1
    CHECK "triple fault reset the machine (RAM marker survived)"
    mov eax, cr0
    test al, 1
    CHECK "after the reset CR0.PE is clear"
    mov ax, cs
    cmp ax, 0xF000
    CHECK "after the reset CS = F000"
    FINISH

gdt_template:
    GDT_STANDARD
gdt_template_end:

    PM_LIB
ROM_END
