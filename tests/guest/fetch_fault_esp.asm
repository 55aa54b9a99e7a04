; fetch_fault_esp.asm — a fault raised while fetching an instruction leaves
; ESP as that instruction found it, not as the previous one did.
; A 1-byte PUSH AX sits at 1000:FFFF; the next fetch at IP 0x10000 is past
; the CS limit and raises #GP (vector 13 through the IVT). The handler's
; frame must sit below the pushed word: SP = start - 2 - 6.
; (In rawbox, the same rule is what lets demand-paged code fault on fetch:
; Linux user programs did not start before it was right.)
; qemu-differs: QEMU 7.2 does not check the CS limit in real mode, so the fetch past IP 0xFFFF does not fault there.
%include "rom.inc"

%define SP0 0x7000

start:
    ROM_INIT
    PUTS `fetch_fault_esp: #GP on fetch past the CS limit keeps the PUSH\n`
    mov word [13 * 4], gp_handler
    mov word [13 * 4 + 2], 0xf000
    mov ax, 0x1000
    mov es, ax
    mov byte [es:0xffff], 0x50          ; push ax
    mov sp, SP0
    mov ax, 0x1234
    jmp 0x1000:0xffff

gp_handler:
    mov bp, sp
    mov ax, sp
    cmp ax, SP0 - 8
    CHECK "fault frame sits below the pushed word (SP = start - 8)"
    mov ax, [ss:SP0 - 2]
    cmp ax, 0x1234
    CHECK "the PUSH before the fault stored AX"
    mov ax, [bp + 2]
    cmp ax, 0x1000
    CHECK "pushed CS is the faulting code segment"
    FINISH

ROM_END
