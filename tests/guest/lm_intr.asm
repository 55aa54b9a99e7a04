; lm_intr.asm — interrupt and exception delivery in 64-bit mode: the frame
; always holds SS:RSP, RSP is aligned to 16 bytes before the push, IST
; stacks (also from ring 3, instead of RSP0), the TSS.RSP0 switch from
; ring 3 with a null SS, compatibility-mode ring 3, interrupt against
; trap gates (IF), IRETQ to the same and to an outer privilege level
; (always popping SS:RSP; null SS allowed for CPL 0 only; a non-canonical
; target faults on the IRETQ), INT n DPL checks
; from ring 3 with #GP(vector*8+2), selector error codes (#GP, #NP), #DF on
; IST1 for a contributory fault during delivery, and a 64-bit call gate
; (16-byte descriptor) from ring 3 with RETF back; the gate at CPL 0 (no
; stack switch, 8-byte CS:RIP), its upper half crossing the GDT limit, JMP
; through a gate, JMP far to a TSS (#GP in IA-32e mode), CALL m16:64 with
; REX.W, CALL m16:32 to compatibility mode and RETF back, and JMP m16:64
; to a non-canonical RIP.
; Intel SDM vol. 3A 6.14 (64-bit mode exception handling), 6.14.2-6.14.5,
; 6.15 (#DF), 5.8.3.1 (IA-32e call gates), vol. 2 IRET, INT n, CALL, RET;
; AMD APM vol. 2 8.9.
;
; qemu-differs: QEMU 7.2 TCG puts vector*16+2 into the error code of a #GP/#NP that refers to a 64-bit IDT gate (SDM 6.13: the selector index is the vector, so vector*8+2), and takes the #GP for a non-canonical IRETQ target on the target instead of on the IRETQ (SDM IRET: #GP(0) at the IRET)
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "lm.inc"

%define REC_SS   0x0800         ; what rec_handler saw at its entry
%define REC_RFL  0x0808
%define REC_RSP  0x0810
%define SEL_NP   GDT_FREE       ; data segment, not present
%define SEL_CG   (GDT_FREE + 8) ; 64-bit call gate, DPL 3 (16 bytes)
%define CG_FRAME 0x0820         ; 4 qwords pushed by the call gate
%define SEL_JG   (GDT_FREE + 0x18) ; 64-bit call gate, DPL 0, to jg_target

; RING3 label: run `label` at CPL 3 with RSP = USER_TOP, IF = 0.
%macro RING3 1
    push SEL_DATA_R3
    push USER_TOP
    push 0x2
    push SEL_CODE64_R3
    lea rax, [rel %1]
    push rax
    iretq
%endmacro

start:
    ROM_INIT
    PUTS `lm_intr: 64-bit interrupt frames, IST, IRETQ, #DF, call gates\n`
    LM_ENTER
    mov al, 0xFF                ; mask the PICs: IF = 1 below
    out 0x21, al
    out 0xA1, al
    SET_GATE64 0x41, lm_stubs + 0x41 * 16, 0x8E, 2      ; IST2
    SET_GATE64 0x42, lm_stubs + 0x42 * 16, 0xEE, 0      ; DPL 3
    SET_GATE64 0x43, rec_handler, 0xEE, 0               ; DPL 3, records SS
    SET_GATE64 0x44, rec_handler, 0x8F, 0               ; trap gate
    SET_GATE64 0x45, rec_handler, 0x8E, 0               ; interrupt gate
    SET_GATE64 0x48, lm_stubs + 0x48 * 16, 0xEE, 2      ; DPL 3, IST2

    ; ---- same privilege, aligned and misaligned RSP ----
    mov rsp, STACK_TOP - 0x100
    TRY64
    int 0x40
.after40:
    CATCH64 0x40, -1, "INT 40h at CPL 0 reaches its handler"
    lea rax, [rel .after40]
    EXPECT64 [EXC_RIP], rax, "the frame RIP is the next instruction"
    EXPECT64 [EXC_CS], SEL_CODE64, "the frame CS is the 64-bit code segment"
    EXPECT64 [EXC_SS], SEL_DATA, "the frame holds SS even without a privilege change"
    EXPECT64 [EXC_RSP], STACK_TOP - 0x100, "the frame holds the interrupted RSP"
    EXPECT64 [EXC_FRAME], STACK_TOP - 0x100 - 40, "five qwords pushed below the old RSP"
    mov rsp, STACK_TOP - 0x108
    TRY64
    int 0x40
    CATCH64 0x40, -1, "INT 40h with RSP = 8 mod 16"
    EXPECT64 [EXC_RSP], STACK_TOP - 0x108, "the frame holds the unaligned RSP"
    EXPECT64 [EXC_FRAME], STACK_TOP - 0x110 - 40, "RSP is aligned down to 16 before the push"
    mov rsp, STACK_TOP - 0x10C
    TRY64
    mov rbx, 0x0000800000000000
    mov rax, [rbx]              ; #GP(0): with an error code
    CATCH64 13, 0, "#GP(0) for a non-canonical load"
    EXPECT64 [EXC_FRAME], STACK_TOP - 0x110 - 40, "an exception frame is aligned as well (error code below)"
    mov rsp, STACK_TOP

    ; ---- IST ----
    TRY64
    int 0x41
    CATCH64 0x41, -1, "INT 41h through an IST2 gate"
    EXPECT64 [EXC_FRAME], IST2_TOP - 40, "an IST gate switches to IST2 even at CPL 0"
    EXPECT64 [EXC_RSP], STACK_TOP, "the IST frame holds the old RSP"

    ; ---- interrupt against trap gate ----
    sti
    int 0x44
    cli
    mov rax, [REC_RFL]
    and eax, 0x200
    EXPECT64 rax, 0x200, "a trap gate leaves IF set"
    sti
    int 0x45
    cli
    mov rax, [REC_RFL]
    and eax, 0x200
    EXPECT64 rax, 0, "an interrupt gate clears IF"

    ; ---- from ring 3 ----
    TRY64
    RING3 user_int42
    CATCH64 0x42, -1, "INT 42h from ring 3 through a DPL-3 gate"
    EXPECT64 [EXC_CS], SEL_CODE64_R3, "ring-3 frame: CS = 3Bh"
    EXPECT64 [EXC_SS], SEL_DATA_R3, "ring-3 frame: SS = 33h"
    EXPECT64 [EXC_RSP], USER_TOP - 8, "ring-3 frame: the user RSP"
    EXPECT64 [EXC_FRAME], RSP0_TOP - 40, "ring 3 -> 0 switches to TSS.RSP0"
    TRY64                       ; ring 3 in compatibility mode
    push SEL_DATA_R3
    push USER_TOP
    push 0x2
    push SEL_CODE32_R3          ; flat: EIP is the linear address
    push LIN(user32_int42)
    iretq
    CATCH64 0x42, -1, "IRETQ to compatibility mode at CPL 3, INT 42h back"
    EXPECT64 [EXC_CS], SEL_CODE32_R3, "a compatibility-mode frame: CS = 2Bh"
    EXPECT64 [EXC_RSP], USER_TOP - 4, "a compatibility-mode frame: the 32-bit RSP (after a 4-byte PUSH)"
    EXPECT64 [EXC_FRAME], RSP0_TOP - 40, "an interrupt from compatibility mode pushes the 64-bit frame on RSP0"
    mov rax, LIN(user32_int42.after)
    EXPECT64 [EXC_RIP], rax, "a compatibility-mode frame: RIP = next EIP"
    TRY64
    RING3 user_int48
    CATCH64 0x48, -1, "INT 48h from ring 3 through a DPL-3 IST2 gate"
    EXPECT64 [EXC_FRAME], IST2_TOP - 40, "from ring 3 an IST gate uses the IST stack, not RSP0"
    EXPECT64 [EXC_SS], SEL_DATA_R3, "the IST frame still holds the ring-3 SS"
    TRY64
    RING3 user_int43
    CATCH64 0xF0, -1, "INT 43h from ring 3 to a recording handler"
    EXPECT64 [REC_SS], 0, "the handler runs with a null SS after the switch"
    EXPECT64 [REC_RSP], RSP0_TOP - 40, "the handler's RSP is the frame on RSP0"
    TRY64
    RING3 user_int40
    CATCH64 13, 0x40 * 8 + 2, "INT 40h from ring 3 through a DPL-0 gate -> #GP(vec*8+2)"
    EXPECT64 [EXC_CS], SEL_CODE64_R3, "that #GP is taken at CPL 3"
    TRY64
    RING3 user_int3
    CATCH64 13, 3 * 8 + 2, "INT3 from ring 3 through a DPL-0 gate -> #GP(1Ah)"

    ; ---- IRETQ ----
    mov rbx, rsp
    push SEL_DATA
    push STACK_TOP - 0x200
    push 0x2
    push SEL_CODE64
    lea rax, [rel .iret1]
    push rax
    iretq
.iret1:
    mov rcx, rsp
    mov rsp, rbx
    EXPECT64 rcx, STACK_TOP - 0x200, "IRETQ to CPL 0 pops SS:RSP too"
    mov rbx, rsp
    push 0                      ; null SS
    push rbx
    push 0x2
    push SEL_CODE64
    lea rax, [rel .iret2]
    push rax
    TRY64
    iretq
.iret2:
    mov ax, ss
    mov [SCRATCH], ax
    mov ax, SEL_DATA
    mov ss, ax
    CATCH64 -1, -1, "IRETQ to CPL 0 with a null SS is allowed (no fault)"
    movzx eax, word [SCRATCH]
    EXPECT64 rax, 0, "SS is null after that IRETQ"
    TRY64
    push 0                      ; null SS for ring 3
    push USER_TOP
    push 0x2
    push SEL_CODE64_R3
    lea rax, [rel user_int42]
    push rax
    iretq
    CATCH64 13, 0, "IRETQ to CPL 3 with a null SS -> #GP(0)"

    mov rbx, rsp
    push SEL_DATA
    push rbx
    push 0x2
    push SEL_CODE64
    mov rax, 0x0000800000000000
    push rax
    TRY64
.iret_bad:
    iretq
    CATCH64 13, 0, "IRETQ to a non-canonical RIP -> #GP(0)"
    lea rax, [rel .iret_bad]
    EXPECT64 [EXC_RIP], rax, "that #GP is taken on the IRETQ"

    ; ---- selector error codes ----
    mov dword [GDT_BASE + SEL_NP], 0x0000FFFF
    mov dword [GDT_BASE + SEL_NP + 4], 0x00CF1300   ; data, P = 0
    mov ax, SEL_NP
    TRY64
    mov ds, ax
    CATCH64 11, SEL_NP, "MOV DS, not-present segment -> #NP(sel)"
    mov ax, 0x2000
    TRY64
    mov es, ax
    CATCH64 13, 0x2000, "MOV ES, selector beyond the GDT limit -> #GP(sel)"
    and byte [IDT_BASE + 0x46 * 16 + 5], 0x7F       ; gate 46h not present
    TRY64
    int 0x46
    CATCH64 11, 0x46 * 8 + 2, "INT to a not-present gate -> #NP(vec*8+2)"

    ; ---- #DF ----
    and byte [IDT_BASE + 13 * 16 + 5], 0x7F         ; #GP gate not present
    mov rbx, 0x0000800000000000
    TRY64
    mov rax, [rbx]
    CATCH64 8, 0, "#GP whose gate is not present: #NP during delivery -> #DF(0)"
    EXPECT64 [EXC_FRAME], IST1_TOP - 40, "#DF runs on IST1"
    or byte [IDT_BASE + 13 * 16 + 5], 0x80

    ; ---- 64-bit call gate from ring 3 ----
    lea rax, [rel cg_target]
    mov rdx, rax
    and eax, 0xFFFF
    or eax, SEL_CODE64 << 16
    mov [GDT_BASE + SEL_CG], eax
    mov rax, rdx
    and eax, 0xFFFF0000
    or eax, 0xEC00              ; P, DPL 3, type C (64-bit call gate)
    mov [GDT_BASE + SEL_CG + 4], eax
    shr rdx, 32
    mov [GDT_BASE + SEL_CG + 8], edx
    mov dword [GDT_BASE + SEL_CG + 12], 0           ; upper type 0
    TRY64
    RING3 user_callgate
    CATCH64 13, -1, "ring 3 called through the gate, came back, and left with INT 47h"
    lea rax, [rel user_callgate.ret]
    EXPECT64 [CG_FRAME], rax, "call gate: return RIP pushed"
    EXPECT64 [CG_FRAME + 8], SEL_CODE64_R3, "call gate: caller CS pushed"
    EXPECT64 [CG_FRAME + 16], USER_TOP, "call gate: caller RSP pushed"
    EXPECT64 [CG_FRAME + 24], SEL_DATA_R3, "call gate: caller SS pushed"
    EXPECT64 [REC_RSP], RSP0_TOP - 32, "call gate: ring-0 stack from TSS.RSP0"
    EXPECT64 [REC_SS], 0, "call gate: SS is null at CPL 0"
    EXPECT64 r15, SEL_CODE64_R3, "RETF from the gate handler back to ring 3"
    mov byte [GDT_BASE + SEL_CG + 12 + 1], 0x0C     ; upper type != 0
    TRY64
    RING3 user_callgate
    CATCH64 13, SEL_CG, "a 64-bit call gate with a non-zero upper type -> #GP(sel)"
    mov byte [GDT_BASE + SEL_CG + 12 + 1], 0

    ; ---- the gate at CPL 0: no stack switch, 8-byte CS:RIP ----
    mov rbx, rsp
    call far dword [rel cg_ptr0]
.cg0_ret:
    lea rax, [rel .cg0_ret]
    EXPECT64 [CG_FRAME], rax, "same-level call gate: 8-byte return RIP"
    EXPECT64 [CG_FRAME + 8], SEL_CODE64, "same-level call gate: CS pushed"
    lea rax, [rbx - 16]
    EXPECT64 [REC_RSP], rax, "same-level call gate: current stack, 16 bytes"
    EXPECT64 [REC_SS], SEL_DATA, "same-level call gate: SS kept"
    EXPECT64 rsp, rbx, "RETFQ popped RIP and CS"
    ; the gate's upper half must lie inside the GDT
    sgdt [SCRATCH]
    mov word [SCRATCH], SEL_CG + 14
    lgdt [SCRATCH]
    TRY64
    call far dword [rel cg_ptr0]
    CATCH64 13, SEL_CG, "call gate whose upper half crosses the GDT limit -> #GP(sel)"
    mov word [SCRATCH], 0xFFF
    lgdt [SCRATCH]

    ; ---- JMP through a 64-bit call gate ----
    lea rax, [rel jg_target]
    mov rdx, rax
    and eax, 0xFFFF
    or eax, SEL_CODE64 << 16
    mov [GDT_BASE + SEL_JG], eax
    mov rax, rdx
    and eax, 0xFFFF0000
    or eax, 0x8C00              ; P, DPL 0, type C
    mov [GDT_BASE + SEL_JG + 4], eax
    shr rdx, 32
    mov [GDT_BASE + SEL_JG + 8], edx
    mov dword [GDT_BASE + SEL_JG + 12], 0
    xor r14d, r14d
    mov rbx, rsp
    jmp far dword [rel jg_ptr]
.jg_back:
    EXPECT64 r14, 1, "JMP through a 64-bit call gate reaches its target"
    EXPECT64 rsp, rbx, "JMP through a gate pushes nothing"
    TRY64
    jmp far dword [rel tss_ptr]
    CATCH64 13, SEL_TSS, "JMP far to a TSS in IA-32e mode -> #GP(sel)"

    ; ---- direct far CALL m16:64 (REX.W) and m16:32 ----
    mov rbx, rsp
    o64 call far [rel fp64]
.fp64_ret:
    lea rax, [rel .fp64_ret]
    EXPECT64 [CG_FRAME], rax, "CALL m16:64: 8-byte return RIP"
    EXPECT64 [CG_FRAME + 8], SEL_CODE64, "CALL m16:64: 8-byte CS"
    lea rax, [rbx - 16]
    EXPECT64 [REC_RSP], rax, "CALL m16:64: 16 bytes pushed"
    EXPECT64 rsp, rbx, "RETFQ back"
    mov ax, SEL_DATA            ; the returns to ring 3 above nulled DS,
    mov ds, ax                  ; which compatibility mode uses
    call far dword [rel fp32]   ; to compatibility mode and RETF back
.fp32_ret:
    EXPECT64 rsp, rbx, "CALL m16:32 to compatibility mode, RETF back"
    mov eax, [SCRATCH + 0x10]
    EXPECT64 rax, LIN(.fp32_ret), "CALL m16:32: 4-byte return EIP"
    mov eax, [SCRATCH + 0x14]
    EXPECT64 rax, SEL_CODE64, "CALL m16:32: 4-byte CS"
    EXPECT64 [SCRATCH + 0x18], SEL_CODE32, "compatibility mode ran with CS = SEL_CODE32"
    TRY64
    o64 jmp far [rel fpnc]
    CATCH64 13, 0, "JMP m16:64 to a non-canonical RIP -> #GP(0)"
    FINISH64

rec_handler:                    ; record SS, RFLAGS, RSP; then as vector F0h
    push rax
    mov ax, ss
    movzx eax, ax
    mov [REC_SS], rax
    pushfq
    pop qword [REC_RFL]
    lea rax, [rsp + 8]
    mov [REC_RSP], rax
    pop rax
    cmp qword [EXC_RESUME], 0
    jne lm_stubs + 0xF0 * 16
    iretq

cg_target:                      ; CPL 0 through the call gate
    mov [REC_RSP], rsp
    mov rax, [rsp]
    mov [CG_FRAME], rax
    mov rax, [rsp + 8]
    mov [CG_FRAME + 8], rax
    mov rax, [rsp + 16]
    mov [CG_FRAME + 16], rax
    mov rax, [rsp + 24]
    mov [CG_FRAME + 24], rax
    mov ax, ss
    movzx eax, ax
    mov [REC_SS], rax
    o64 retf                    ; back to ring 3: pops RIP, CS, RSP, SS

jg_target:                      ; reached by JMP through SEL_JG
    mov r14d, 1
    jmp start.jg_back

bits 32
compat_target:                  ; compatibility mode, CS = SEL_CODE32
    mov eax, [esp]
    mov [SCRATCH + 0x10], eax
    mov eax, [esp + 4]
    mov [SCRATCH + 0x14], eax
    xor eax, eax
    mov ax, cs
    mov [SCRATCH + 0x18], eax
    mov dword [SCRATCH + 0x1C], 0
    retf                        ; EIP, CS: back to 64-bit code
bits 64

user_int42:
    push rax
    int 0x42
    ud2
bits 32
user32_int42:
    push eax
    int 0x42
.after:
    ud2
bits 64
user_int48:
    int 0x48
    ud2
user_int43:
    int 0x43
    ud2
user_int40:
    int 0x40
    ud2
user_int3:
    int3
    ud2
user_callgate:
    call far dword [rel cg_ptr]
.ret:
    mov r15d, 0
    mov r15w, cs
    int 0x47                    ; DPL 0 gate: #GP back to ring 0 ...
    ud2
cg_ptr: dd 0                    ; offset ignored for a call gate
        dw SEL_CG | 3
cg_ptr0: dd 0
        dw SEL_CG
jg_ptr: dd 0
        dw SEL_JG
tss_ptr: dd 0
        dw SEL_TSS
fp64:   dq LIN(cg_target)
        dw SEL_CODE64
fp32:   dd compat_target
        dw SEL_CODE32
fpnc:   dq 0x0000800000000000
        dw SEL_CODE64

    LM_LIB
ROM_END
