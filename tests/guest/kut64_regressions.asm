; kut64_regressions.asm — regressions for CPU bugs found by running the
; kvm-unit-tests suite (x86_64 build) against rawbox; each block names the
; kvm-unit-tests check that found it and the manual section it follows.
;
; 1. A return to an outer level nulls DS, ES, FS and GS when they hold a
;    segment of lower DPL, but only the selector: the hidden base stays
;    (SDM vol. 2 IRET/RET pseudocode, "SegmentSelector <- 0"). In 64-bit
;    mode GS addresses still add their base, so a kernel with GS = a DPL-0
;    selector and GS base (MSR) at its per-CPU data keeps that base through
;    IRETQ to ring 3 and the interrupt back (kvm-unit-tests lib/x86: every
;    run_in_user(); debug.c crashed in apic_write() after one).
; 2. INT n and INT3 complete by delivering their interrupt, so a data
;    breakpoint trap that a MOV SS before them held back (SDM vol. 3A
;    6.8.3) is delivered after that delivery, before the handler's first
;    instruction: the #DB frame's RIP is the handler's entry, and the
;    interrupt handler runs after the #DB handler returns (kvm-unit-tests
;    debug.c "MOV SS + watchpoint + int $1" / "+ INT3"; the MOV SS + INT3
;    case of CVE-2018-8897). Controls: with ICEBP the held trap merges into
;    ICEBP's own #DB (one delivery), and after a NOP it comes after the NOP.
;
; qemu-differs: QEMU 7.2 TCG delivers the data-breakpoint #DB held by MOV SS before the INT n / INT3 that follows (frame RIP = the INT; SDM 6.8.3 holds it until that instruction completes, which is after the interrupt's delivery: frame RIP = the handler's entry), and raises #UD for ICEBP (F1) in 64-bit mode
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "lm.inc"

%define PERCPU   0x4000         ; what GS base points at
%define MARKER   0x1122334455667788
%define WATCHED  0x0700         ; the word MOV SS reads (DR0 watches it)
%define SEQ      0x0710         ; handler ids, one hex digit each, in order
%define DB_RIP   0x0718         ; the #DB frame's RIP
%define DB_DR6   0x0720
%define INT_RIP  0x0728         ; the INT 50h / INT3 frame's RIP
%define U_GS     0x0730         ; what ring 3 saw: GS selector
%define U_VAL    0x0738         ;                  [GS:8]

; SEQ_RESET: clear the records and DR6 before a case.
%macro SEQ_RESET 0
    mov qword [SEQ], 0
    mov qword [DB_RIP], 0
    mov qword [INT_RIP], 0
    mov qword [DB_DR6], 0
    xor eax, eax
    mov dr6, rax
%endmacro

start:
    ROM_INIT
    PUTS `kut64_regressions: CPU bugs found by kvm-unit-tests (x86_64)\n`
    LM_ENTER

    ; ---- 1. GS base through IRETQ to ring 3 ----
    mov rax, MARKER
    mov [PERCPU + 8], rax
    mov ax, SEL_DATA            ; GS = a DPL-0 data selector ...
    mov gs, ax
    mov ecx, MSR_GS_BASE        ; ... with its base from the MSR
    mov eax, PERCPU
    xor edx, edx
    wrmsr
    SET_GATE64 0x42, lm_stubs + 0x42 * 16, 0xEE, 0     ; DPL 3
    TRY64
    push SEL_DATA_R3
    push USER_TOP
    push 0x2
    push SEL_CODE64_R3
    lea rax, [rel user_gs]
    push rax
    iretq
    CATCH64 0x42, -1, "IRETQ to ring 3 with GS = DPL-0 selector, INT 42h back"
    EXPECT64 [U_GS], 0, "ring 3: GS selector nulled by the IRETQ"
    mov rax, MARKER
    EXPECT64 [U_VAL], rax, "ring 3: [GS:8] still addresses through the GS base"
    mov ecx, MSR_GS_BASE
    rdmsr
    shl rdx, 32
    or rax, rdx
    EXPECT64 rax, PERCPU, "ring 0 again: GS_BASE MSR unchanged"
    mov rax, [gs:8]
    mov rdx, MARKER
    EXPECT64 rax, rdx, "ring 0 again: [GS:8] is the per-CPU data"
    xor eax, eax
    mov ax, gs
    EXPECT64 rax, 0, "ring 0 again: GS selector still null"

    ; ---- 2. MOV SS + data breakpoint + INT n / INT3 / ICEBP / NOP ----
    SET_GATE64 1, db_rec, 0x8E, 0
    SET_GATE64 3, int_rec, 0x8E, 0
    SET_GATE64 0x50, int_rec, 0x8E, 0
    mov word [WATCHED], SEL_DATA
    mov eax, WATCHED
    mov dr0, rax
    mov eax, 0x000F0401         ; L0, R/W0 = 11 (read or write), LEN0 = 4
    mov dr7, rax

    SEQ_RESET
    mov ss, word [WATCHED]
    int 0x50
.after_int:
    EXPECT64 [SEQ], 0x12, "MOV SS + watchpoint + INT 50h: #DB, then the INT handler"
    lea rax, [rel int_rec]
    EXPECT64 [DB_RIP], rax, "the #DB frame's RIP is the INT handler's entry"
    lea rax, [rel .after_int]
    EXPECT64 [INT_RIP], rax, "the INT 50h frame's RIP is after the INT"
    mov rax, [DB_DR6]
    and eax, 0x400F
    EXPECT64 rax, 1, "DR6: B0 (the data breakpoint), not BS"

    SEQ_RESET
    mov ss, word [WATCHED]
    int3
.after_int3:
    EXPECT64 [SEQ], 0x12, "MOV SS + watchpoint + INT3: #DB, then the #BP handler"
    lea rax, [rel int_rec]
    EXPECT64 [DB_RIP], rax, "the #DB frame's RIP is the #BP handler's entry"
    lea rax, [rel .after_int3]
    EXPECT64 [INT_RIP], rax, "the #BP frame's RIP is after the INT3"

    SEQ_RESET
    mov ss, word [WATCHED]
    nop
.after_nop:
    EXPECT64 [SEQ], 0x1, "MOV SS + watchpoint + NOP: one #DB"
    lea rax, [rel .after_nop]
    EXPECT64 [DB_RIP], rax, "that #DB comes after the NOP (held by the shadow)"

    SEQ_RESET                   ; last: QEMU 7.2 raises #UD for ICEBP in 64-bit mode
    mov ss, word [WATCHED]
    db 0xF1                     ; ICEBP
.after_icebp:
    EXPECT64 [SEQ], 0x1, "MOV SS + watchpoint + ICEBP: one #DB"
    lea rax, [rel .after_icebp]
    EXPECT64 [DB_RIP], rax, "that #DB's RIP is after the ICEBP"

    xor eax, eax
    mov dr7, rax
    FINISH64

user_gs:                        ; CPL 3, 64-bit
    xor eax, eax
    mov ax, gs
    mov [U_GS], rax
    mov rax, [gs:8]
    mov [U_VAL], rax
    int 0x42
    ud2

db_rec:                         ; #DB: record RIP and DR6, id 1
    push rax
    mov rax, [rsp + 8]
    mov [DB_RIP], rax
    mov rax, dr6
    mov [DB_DR6], rax
    xor eax, eax
    mov dr6, rax
    shl qword [SEQ], 4
    or qword [SEQ], 1
    pop rax
    iretq

int_rec:                        ; INT 50h, #BP: record RIP, id 2
    push rax
    mov rax, [rsp + 8]
    mov [INT_RIP], rax
    shl qword [SEQ], 4
    or qword [SEQ], 2
    pop rax
    iretq

    LM_LIB
ROM_END
