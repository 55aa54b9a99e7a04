; apic.asm — the local APIC and the I/O APIC as an OS first meets them.
;
; In 32-bit protected mode with the 8259s masked: IA32_APIC_BASE (base
; 0xFEE00000, BSP, enabled), the reset state of the registers (version,
; SVR; LINT0 is only printed, see below), software enable through SVR,
; self-IPIs (ICR shorthand self and physical destination 0) with IRR, ISR,
; PPR and TPR checked around acceptance, nesting by priority class and
; EOI; ESR write-then-read; the timer in one-shot mode (fires once, count
; stays 0) and periodic mode (five interrupts, count reloads); the
; divide register; then the I/O APIC at 0xFEC00000 (version, 24 entries)
; with PIT channel 0 routed through pin 2 (ISA IRQ0 -> GSI 2, as the MADT
; says) to vector 0x60; a level-triggered pin (RTC IRQ8, which stays high
; until register C is read) with remote IRR set until EOI, redelivery on an
; EOI while the line is still high, and no redelivery once it is low;
; finally global disable through IA32_APIC_BASE
; (CPUID.APIC reads 0, SVR comes back software-disabled).
; The timer runs from a 1 GHz bus clock on rawbox and QEMU; delays here
; are only waited for with HLT, so the checks do not depend on the rate.
; Intel SDM vol. 3A ch. 11 (APIC); 82093AA I/O APIC datasheet.
%include "rom.inc"
%include "pg32.inc"

%define APIC     0xFEE00000
%define IOAPIC   0xFEC00000
%define NEW_IDT  0x2000
%define IDTR_RAM 0x2800
%define VCOUNT   0x3000         ; dword per vector: interrupts taken
%define VLAST    0x3400
%define AUTOEOI  0x3404
%define VUNEXP   0x3408

%define A_ID     0x20
%define A_VER    0x30
%define A_TPR    0x80
%define A_PPR    0xA0
%define A_EOI    0xB0
%define A_SVR    0xF0
%define A_ISR    0x100
%define A_IRR    0x200
%define A_ESR    0x280
%define A_ICRLO  0x300
%define A_ICRHI  0x310
%define A_LVTT   0x320
%define A_LINT0  0x350
%define A_LINT1  0x360
%define A_LVTE   0x370
%define A_TMICT  0x380
%define A_TMCCT  0x390
%define A_TDCR   0x3E0

%macro SETGATE 2                ; vector, handler
    mov eax, %2
    mov [NEW_IDT + %1 * 8], ax
%endmacro

; bit test of vector v in the 256-bit register at offset base: ZF=0 when set
%macro VBIT 2
    mov eax, [APIC + %1 + ((%2) / 32) * 0x10]
    and eax, 1 << ((%2) % 32)
%endmacro

%macro WAITVEC 2                ; vector, count: HLT until taken that often
%%w:
    cmp dword [VCOUNT + (%1) * 4], %2
    jae %%done
    sti
    hlt
    cli
    jmp %%w
%%done:
%endmacro

start:
    ROM_INIT
    PUTS `apic: local APIC and I/O APIC\n`
    PM_ENTER

    ; 8259s: mask every input (OCW1), so nothing arrives through LINT0.
    mov al, 0xff
    out 0x21, al
    out 0xa1, al

    ; An IDT with all 256 vectors: the frame's 0x31 gates, then ours.
    cld
    mov esi, IDT_ADDR
    mov edi, NEW_IDT
    mov ecx, 0x31 * 2
    rep movsd
    mov ecx, 0x31
.fill:
    mov eax, vstub_unexp
    mov [NEW_IDT + ecx * 8], ax
    mov word [NEW_IDT + ecx * 8 + 2], 0x08
    mov word [NEW_IDT + ecx * 8 + 4], 0x8E00
    mov word [NEW_IDT + ecx * 8 + 6], 0
    inc ecx
    cmp ecx, 256
    jb .fill
    SETGATE 0x41, vstub_41
    SETGATE 0x42, vstub_42
    SETGATE 0x51, vstub_51
    SETGATE 0x52, vstub_52
    SETGATE 0x60, vstub_60
    SETGATE 0x61, vstub_61
    SETGATE 0x71, vstub_71
    SETGATE 0x81, vstub_81
    SETGATE 0xE0, vstub_e0
    SETGATE 0xFF, vstub_ff
    mov word [IDTR_RAM], 256 * 8 - 1
    mov dword [IDTR_RAM + 2], NEW_IDT
    lidt [IDTR_RAM]
    mov edi, VCOUNT
    mov ecx, 0x104
    xor eax, eax
    rep stosd

    ; ---- IA32_APIC_BASE and the reset state ----
    mov ecx, 0x1b
    rdmsr
    and eax, 0xfffff900
    EXPECT32 eax, 0xfee00900, "IA32_APIC_BASE: base 0xFEE00000, BSP, enabled"
    mov eax, [APIC + A_VER]
    EXPECT32 eax, 0x00050014, "version 0x14, max LVT entry 5"
    mov eax, [APIC + A_ID]
    EXPECT32 eax, 0, "APIC ID 0"
    mov eax, [APIC + A_SVR]
    EXPECT32 eax, 0xff, "SVR 0xFF after reset: software-disabled"
    ; LINT0 after reset: the SDM has every LVT entry masked at power-up,
    ; and QEMU shows 0x10000 here (its ExtINT value for the BSP applies
    ; only from the second reset on). rawbox starts in ExtINT (0x700) on
    ; purpose: with CPUID.APIC clear (no --apic) no firmware or OS
    ; programs LINT0, and the 8259 must still reach the CPU (virtual wire,
    ; MP spec 3.6.2.2). Not a check, only a note, for that reason.
    mov eax, [APIC + A_LINT0]
    PUTS32 "LINT0 after reset (rawbox 00000700 ExtINT, QEMU 00010000 masked): "
    call pm_puthex32
    PUTS32 `\n`
    mov eax, [APIC + A_LVTT]
    EXPECT32 eax, 0x10000, "LVT timer masked after reset"

    ; ---- software enable ----
    mov dword [APIC + A_SVR], 0x1ff
    mov eax, [APIC + A_SVR]
    EXPECT32 eax, 0x1ff, "SVR: enabled, spurious vector 0xFF"
    mov dword [APIC + A_LINT0], 0x10700     ; masked: the 8259 stays out
    mov dword [APIC + A_LINT1], 0x400       ; NMI
    mov dword [APIC + A_TPR], 0

    ; ---- self-IPI, IRR/ISR/PPR ----
    mov dword [AUTOEOI], 0
    mov dword [APIC + A_ICRLO], 0x00044051  ; self, fixed, 0x51
    mov eax, [APIC + A_ICRLO]
    and eax, 0x1000
    EXPECT32 eax, 0, "ICR delivery status idle after the send"
    VBIT A_IRR, 0x51
    setnz al
    movzx eax, al
    EXPECT32 eax, 1, "self-IPI 0x51 pending in IRR while IF=0"
    sti
    nop
    cli
    mov eax, [VCOUNT + 0x51 * 4]
    EXPECT32 eax, 1, "0x51 taken once IF=1"
    VBIT A_ISR, 0x51
    setnz al
    movzx eax, al
    EXPECT32 eax, 1, "0x51 in ISR until EOI"
    VBIT A_IRR, 0x51
    EXPECT32 eax, 0, "0x51 left IRR"
    mov eax, [APIC + A_PPR]
    EXPECT32 eax, 0x50, "PPR = class of ISR 0x51"

    mov dword [APIC + A_ICRHI], 0           ; physical destination 0 = us
    mov dword [APIC + A_ICRLO], 0x00000052
    sti
    nop
    cli
    mov eax, [VCOUNT + 0x52 * 4]
    EXPECT32 eax, 0, "0x52 (same class) held while 0x51 in service"
    mov dword [APIC + A_ICRLO], 0x00044061
    sti
    nop
    cli
    mov eax, [VCOUNT + 0x61 * 4]
    EXPECT32 eax, 1, "0x61 (higher class) nests"
    mov eax, [APIC + A_PPR]
    EXPECT32 eax, 0x60, "PPR = 0x60 with 0x61 and 0x51 in service"
    mov dword [APIC + A_EOI], 0
    VBIT A_ISR, 0x61
    EXPECT32 eax, 0, "EOI retires 0x61 (highest in service)"
    VBIT A_ISR, 0x51
    setnz al
    movzx eax, al
    EXPECT32 eax, 1, "0x51 still in service"
    mov dword [APIC + A_EOI], 0
    sti
    nop
    cli
    mov eax, [VCOUNT + 0x52 * 4]
    EXPECT32 eax, 1, "0x52 taken after EOI of 0x51"
    mov dword [APIC + A_EOI], 0
    mov eax, [APIC + A_PPR]
    EXPECT32 eax, 0, "PPR 0 with nothing in service"

    ; TPR holds back a class.
    mov dword [APIC + A_TPR], 0x80
    mov dword [APIC + A_ICRLO], 0x00044071
    sti
    nop
    cli
    mov eax, [VCOUNT + 0x71 * 4]
    EXPECT32 eax, 0, "TPR 0x80 blocks vector 0x71"
    mov eax, [APIC + A_PPR]
    EXPECT32 eax, 0x80, "PPR = TPR"
    mov dword [APIC + A_TPR], 0
    sti
    nop
    cli
    mov eax, [VCOUNT + 0x71 * 4]
    EXPECT32 eax, 1, "TPR 0 lets 0x71 in"
    mov dword [APIC + A_EOI], 0

    ; ---- ESR: write, then read ----
    mov dword [APIC + A_ESR], 0
    mov dword [APIC + A_ESR], 0
    mov eax, [APIC + A_ESR]
    EXPECT32 eax, 0, "ESR clear"

    ; ---- timer, one-shot ----
    mov dword [AUTOEOI], 1
    mov dword [APIC + A_TDCR], 0xb          ; divide by 1
    mov eax, [APIC + A_TDCR]
    EXPECT32 eax, 0xb, "divide configuration reads back"
    mov dword [APIC + A_LVTT], 0x41         ; one-shot, vector 0x41
    ; A long count (1 s at 1 GHz) for the read-back checks, so that a
    ; busy host cannot let it expire first (QEMU follows host time);
    ; rewriting the initial count restarts the timer with 200 us.
    mov dword [APIC + A_TMICT], 1000000000
    mov eax, [APIC + A_TMICT]
    EXPECT32 eax, 1000000000, "initial count reads back"
    mov eax, [APIC + A_TMCCT]
    cmp eax, 1000000000
    setb bl
    test eax, eax
    setnz bh
    and bl, bh
    movzx eax, bl
    EXPECT32 eax, 1, "current count counts down from the initial count"
    mov dword [APIC + A_TMICT], 200000
    WAITVEC 0x41, 1
    mov eax, [VCOUNT + 0x41 * 4]
    EXPECT32 eax, 1, "one-shot timer interrupt"
    mov eax, [APIC + A_TMCCT]
    EXPECT32 eax, 0, "one-shot: current count stays 0"

    ; ---- timer, periodic ----
    mov dword [APIC + A_LVTT], 0x20042
    mov dword [APIC + A_TMICT], 100000
    WAITVEC 0x42, 5
    mov eax, [VCOUNT + 0x42 * 4]
    cmp eax, 5
    setae al
    movzx eax, al
    EXPECT32 eax, 1, "periodic timer: five interrupts"
    mov eax, [APIC + A_TMCCT]
    cmp eax, 100000
    setbe bl
    test eax, eax
    setnz bh
    and bl, bh
    movzx eax, bl
    EXPECT32 eax, 1, "periodic: count reloaded, running"
    mov dword [APIC + A_TMICT], 0
    mov eax, [APIC + A_TMCCT]
    EXPECT32 eax, 0, "initial count 0 stops the timer"
    mov eax, [VCOUNT + 0x41 * 4]
    EXPECT32 eax, 1, "the one-shot never fired again"
    mov dword [APIC + A_LVTT], 0x10000

    ; ---- I/O APIC: PIT through pin 2 ----
    mov dword [IOAPIC], 1
    mov eax, [IOAPIC + 0x10]
    and eax, 0x00ff0000
    EXPECT32 eax, 0x00170000, "I/O APIC: 24 redirection entries"
    mov dword [IOAPIC], 0x14                ; pin 2 low dword
    mov eax, [IOAPIC + 0x10]
    and eax, 0x10000
    EXPECT32 eax, 0x10000, "pin 2 masked after reset"
    mov dword [IOAPIC], 0x15
    mov dword [IOAPIC + 0x10], 0            ; destination APIC 0
    mov dword [IOAPIC], 0x14
    mov dword [IOAPIC + 0x10], 0x60         ; fixed, physical, edge, high, vector 0x60
    mov al, 0x34                            ; PIT ch0, lo/hi, mode 2
    out 0x43, al
    mov al, 1193 & 0xff                     ; ~1 ms
    out 0x40, al
    mov al, 1193 >> 8
    out 0x40, al
    WAITVEC 0x60, 3
    mov dword [IOAPIC], 0x14
    mov dword [IOAPIC + 0x10], 0x10060      ; mask pin 2 again
    mov eax, [VCOUNT + 0x60 * 4]
    cmp eax, 3
    setae al
    movzx eax, al
    EXPECT32 eax, 1, "PIT IRQ0 through I/O APIC pin 2 to vector 0x60"
    mov dword [IOAPIC], 0x14
    mov eax, [IOAPIC + 0x10]
    and eax, 0x4000
    EXPECT32 eax, 0, "edge entry: remote IRR clear"

    ; ---- I/O APIC level-triggered: RTC IRQ8 on pin 8 ----
    mov dword [AUTOEOI], 0
    mov dword [IOAPIC], 0x21
    mov dword [IOAPIC + 0x10], 0            ; destination APIC 0
    mov dword [IOAPIC], 0x20
    mov dword [IOAPIC + 0x10], 0x8081       ; fixed, level, active high, 0x81
    mov al, 0x0a                            ; RTC: 1024 Hz periodic
    out 0x70, al
    mov al, 0x26
    out 0x71, al
    mov al, 0x0c                            ; clear what is pending
    out 0x70, al
    in al, 0x71
    mov al, 0x0b
    out 0x70, al
    in al, 0x71
    or al, 0x40                             ; PIE
    mov ah, al
    mov al, 0x0b
    out 0x70, al
    mov al, ah
    out 0x71, al
    WAITVEC 0x81, 1
    mov dword [IOAPIC], 0x20
    mov eax, [IOAPIC + 0x10]
    and eax, 0x4000
    EXPECT32 eax, 0x4000, "level pin: remote IRR set until EOI"
    mov eax, [VCOUNT + 0x81 * 4]
    EXPECT32 eax, 1, "level pin: one interrupt while remote IRR is set"
    mov dword [APIC + A_EOI], 0             ; line still high (C not read)
    sti
    nop
    cli
    mov eax, [VCOUNT + 0x81 * 4]
    EXPECT32 eax, 2, "EOI with the line still high: delivered again"
    mov al, 0x0b                            ; PIE off, then read C: line low
    out 0x70, al
    in al, 0x71
    and al, ~0x40
    mov ah, al
    mov al, 0x0b
    out 0x70, al
    mov al, ah
    out 0x71, al
    mov al, 0x0c
    out 0x70, al
    in al, 0x71
    mov dword [APIC + A_EOI], 0
    sti
    nop
    cli
    mov eax, [VCOUNT + 0x81 * 4]
    EXPECT32 eax, 2, "EOI with the line low: no new interrupt"
    mov dword [IOAPIC], 0x20
    mov eax, [IOAPIC + 0x10]
    and eax, 0x4000
    EXPECT32 eax, 0, "remote IRR cleared by the EOI broadcast"
    mov dword [IOAPIC + 0x10], 0x18081      ; mask pin 8

    mov eax, [VUNEXP]
    EXPECT32 eax, 0, "no unexpected vector"
    mov eax, [VCOUNT + 0xff * 4]
    PUTS32 "spurious interrupts seen: "
    call pm_puthex32
    PUTS32 `\n`

    ; ---- global disable through IA32_APIC_BASE ----
    mov ecx, 0x1b
    rdmsr
    and eax, ~0x800
    wrmsr
    mov eax, 1
    cpuid
    and edx, 1 << 9
    EXPECT32 edx, 0, "CPUID.1:EDX.APIC reads 0 while globally disabled"
    mov eax, [APIC + A_VER]
    PUTS32 "version register while disabled (rawbox hides the page: ffffffff): "
    call pm_puthex32
    PUTS32 `\n`
    mov ecx, 0x1b
    rdmsr
    or eax, 0x800
    wrmsr
    mov eax, [APIC + A_SVR]
    and eax, 0x100
    EXPECT32 eax, 0, "re-enabled: software-disabled again"
    mov eax, [APIC + A_VER]
    EXPECT32 eax, 0x00050014, "re-enabled: registers back"

    FINISH32

; ---- interrupt stubs ----
%macro VSTUB 1
vstub_%1:
    push dword 0x%1
    jmp vcommon
%endmacro
    VSTUB 41
    VSTUB 42
    VSTUB 51
    VSTUB 52
    VSTUB 60
    VSTUB 61
    VSTUB 71
    VSTUB 81
    VSTUB e0
    VSTUB ff

vcommon:
    push eax
    mov eax, [esp + 4]
    inc dword [VCOUNT + eax * 4]
    mov [VLAST], eax
    cmp eax, 0xff                   ; spurious: no EOI
    je .out
    cmp dword [AUTOEOI], 0
    je .out
    mov dword [APIC + A_EOI], 0
.out:
    pop eax
    add esp, 4
    iret

vstub_unexp:
    inc dword [VUNEXP]
    iret

bits 16
    ROM_END
