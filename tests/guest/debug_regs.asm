; debug_regs.asm — debug registers and single-step: TF traps after each
; instruction (counting them, DR6.BS), a write data breakpoint (R/W=01,
; LEN=11) trapping after the store and not on reads, a read/write one
; (R/W=11) trapping on a read, an instruction breakpoint as a fault with
; EFLAGS.RF letting the instruction run on return, DR7.GD general detect
; (#DB fault with DR6.BD, GD cleared), and DR4/DR5 aliasing DR6/DR7 while
; CR4.DE is clear, #UD once it is set.
; Intel SDM vol. 3B 17.2, 17.3.
;
; qemu-differs: QEMU does not implement DR7.GD general detect (SDM 17.2.4: a MOV to/from any DRn with GD set raises #DB with DR6.BD and clears GD); rawbox follows the SDM.
%include "rom.inc"
%include "pg32.inc"

%define WATCH 0x9000            ; data breakpoint target (4-byte aligned)
%define RAMCODE 0x9100        ; instruction breakpoint target

start:
    ROM_INIT
    PUTS `debug_regs: single step and hardware breakpoints\n`
    PM_ENTER

    ; ---- single step ----
    xor eax, eax
    mov dr6, eax
    mov dword [EXC_CNT], 0
    pushfd
    or dword [esp], 0x100
    popfd                           ; TF set: trap after the next instruction
    nop                             ; 1
    nop                             ; 2
    nop                             ; 3
    pushfd                          ; 4
    and dword [esp], ~0x100         ; 5
    popfd                           ; 6: TF was set when it started
    mov eax, [EXC_CNT]
    EXPECT32 eax, 6, "TF: one #DB after each of 6 instructions"
    mov eax, [EXC_DR6]
    and eax, 0x4000
    EXPECT32 eax, 0x4000, "TF: DR6.BS set"
    mov eax, [EXC_VEC]
    EXPECT32 eax, 1, "TF: vector 1"

    ; ---- data breakpoint, write only, 4 bytes ----
    xor eax, eax
    mov dr6, eax
    mov eax, WATCH
    mov dr0, eax
    mov eax, 0x000D0001             ; L0, R/W0 = 01, LEN0 = 11
    mov dr7, eax
    mov dword [EXC_CNT], 0
    mov eax, [WATCH]                ; a read: no trap
    mov eax, [WATCH + 4]            ; outside the range
    EXPECT32 [EXC_CNT], 0, "write breakpoint ignores reads"
    mov byte [WATCH + 2], 1         ; inside the 4 bytes
.after_w:
    EXPECT32 [EXC_CNT], 1, "write breakpoint traps once"
    EXPECT32 [EXC_EIP], .after_w, "trap reports the next instruction"
    mov eax, [EXC_DR6]
    and eax, 0xf
    EXPECT32 eax, 1, "DR6.B0 set"
    mov word [WATCH - 1], 0         ; overlaps the first byte
    EXPECT32 [EXC_CNT], 2, "unaligned write overlapping the range traps"

    ; ---- data breakpoint, read or write, on DR1 ----
    mov eax, WATCH + 8
    mov dr1, eax
    mov eax, 0x00300004             ; L1, R/W1 = 11, LEN1 = 00
    mov dr7, eax
    mov dword [EXC_CNT], 0
    mov al, [WATCH + 8]
    EXPECT32 [EXC_CNT], 1, "read/write breakpoint traps on a read"
    mov eax, [EXC_DR6]
    and eax, 0xf
    EXPECT32 eax, 2, "DR6.B1 set, B0 clear"
    mov al, [WATCH + 9]
    EXPECT32 [EXC_CNT], 1, "1-byte breakpoint: next byte does not trap"

    ; ---- instruction breakpoint (on code in RAM: QEMU 8 crashes when the
    ; breakpoint is in the BIOS ROM) ----
    mov dword [RAMCODE], 0x00CB41   ; inc ecx; retf
    mov eax, RAMCODE
    mov dr2, eax
    mov eax, 0x00000010             ; L2, R/W2 = 00, LEN2 = 00
    mov dr7, eax
    mov dword [EXC_CNT], 0
    mov ecx, 0
    call 0x30:RAMCODE
    EXPECT32 [EXC_CNT], 1, "instruction breakpoint: one #DB"
    EXPECT32 [EXC_EIP], RAMCODE, "instruction breakpoint is a fault"
    EXPECT32 ecx, 1, "RF lets the instruction run once on return"
    mov eax, [EXC_DR6]
    and eax, 0xf
    EXPECT32 eax, 4, "DR6.B2 set"
    xor eax, eax
    mov dr7, eax

    ; ---- general detect ----
    PUTS32 `note: QEMU ignores DR7.GD; the SDM raises #DB (qemu-differs)\n`
    xor eax, eax
    mov dr6, eax
    mov eax, 0x2000                 ; GD: the next DR access faults
    mov dr7, eax
    ARM .gd_done
    mov eax, dr0
.gd_done:
    EXPECT32 [EXC_VEC], 1, "DR access with DR7.GD raises #DB"
    mov eax, [EXC_DR6]
    and eax, 0x2000
    EXPECT32 eax, 0x2000, "DR6.BD set"
    mov eax, dr7
    and eax, 0x2000
    EXPECT32 eax, 0, "GD cleared on the #DB"

    ; ---- DR4/DR5 ----
    mov eax, 0x0f
    mov dr6, eax
    mov eax, dr6
    mov ebx, eax
    mov eax, dr4
    EXPECT32 eax, ebx, "DR4 reads DR6 while CR4.DE=0"
    mov eax, cr4
    or eax, 8
    mov cr4, eax
    ARM .ud_done
    mov eax, dr5
.ud_done:
    EXPECT32 [EXC_VEC], 6, "DR5 with CR4.DE=1 is #UD"
    mov eax, cr4
    and eax, ~8
    mov cr4, eax
    FINISH32

bits 16
ROM_END
