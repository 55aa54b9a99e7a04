; jit_sysexit.asm — what a recompiler must keep exact when a block that ends
; in SYSCALL (from 64-bit code) or SYSRET with REX.W (to 64-bit ring 3)
; goes straight on to the next block instead of back to its run loop: the
; event mask follows the new IF, single-step and alignment checking still
; stop it. A small kernel (SYSCALL entries in a RAM page, LSTAR set per
; scenario) and ring-3 loops (another RAM page, so raw mode runs them
; natively) make a SYSCALL/SYSRET round trip hundreds of times in each
; scenario, so the blocks are hot at the default threshold too:
;  1. PIT interrupts (about 4 kHz) at a user loop: every second round the
;     kernel (IF = 0 after SYSCALL: FMASK clears it) waits until the 8259
;     has IRQ0 pending (IRR), then SYSRETs with IF = 1 in R11: the
;     interrupt must be taken before the first user instruction (the frame
;     holds the SYSRET target). After each SYSRET the user spins in a
;     self-looping block until the tick count moves (bounded). All rounds
;     SYSRET from one block, so its exit, linked in the rounds without a
;     pending interrupt, goes straight on in those with one. Once with
;     the pages at 0x400000 / 0x31000, once at the high addresses of 6.
;  2. The kernel side: after SYSCALL (IF = 0) with IRQ0 pending, no
;     interrupt for a while; after STI it is taken right after the
;     instruction that follows STI, then the count has moved.
;  3. Single-step: SYSRET with TF = 1 in R11 (every second round): one
;     #DB with DR6.BS and CS = 3Bh, at the same user RIP every round, and
;     none in the other rounds; it comes at the SYSRET target, before the
;     first user instruction, as real CPUs raise it when TF is 1 at the end
;     of SYSRET (kvm-unit-tests x86/syscall.c; Linux entry_64.S:
;     "restoring TF results in a trap from userspace immediately after
;     SYSRET") and QEMU does. A user POPF that sets TF, then SYSCALL with FMASK
;     leaving TF alone: #DB after SYSCALL (frame RIP = LSTAR, CS = 8) and,
;     TF kept, another after the first kernel instruction. (SYSCALL with TF
;     set and cleared by FMASK, which raises no #DB, is not covered here.)
;  4. SYSRET with RF = 1 in R11 (every second round): RF is not loaded
;     (R11 AND 3C7FD7h), so RFLAGS.RF is 0 in the frame of an INT 50h
;     after the first user instruction. QEMU 7.2 loads RF: this part runs
;     only where a probe SYSRET leaves RF clear (a note says so).
;  5. CR0.AM = 1: a misaligned user load right after SYSRET faults with
;     #AC(0) at its RIP when R11 has AC = 1, not when AC = 0 (the handler
;     clears AC, the load is retried). The first round probes (elsewhere
;     in the page) whether #AC is raised at all (QEMU's TCG has no
;     alignment check; if not, a note replaces the AC = 1 checks); then
;     AC = 0 and AC = 1 alternate, AC = 0 first, so that the exit to the
;     load is linked in a round without alignment checking.
;  6. One user page at 0x400000 and at 7FFF_FFFF_F000h (the last
;     canonical low page), the kernel page at 0x31000 and at
;     FFFF_8000_0000_0000h (supervisor): the four combinations give the
;     same results (return offsets, the kernel's CS/SS, R11's flags, a
;     checksum), PIT interrupts on at ring 3.
; Check lines carry "lm64" and the scenario number.
; Intel SDM vol. 2B SYSCALL, SYSRET, STI; vol. 3A 6.8.3 (interrupt
; shadow), 6.15 (#AC), 17.3.1.4 (single-step); 8259A datasheet (OCW3).
;
; qemu-differs: QEMU 7.2 TCG raises no #AC (SDM vol. 3A 6.15, interrupt 17) and loads RF from R11 on SYSRET (SDM: R11 AND 3C7FD7h, RF stays 0): where a probe finds no #AC or RF set after SYSRET, the AC = 1 check of part 5 or part 4 is left out (a note says so), so QEMU prints fewer check lines
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
; raw-native: its ring-3 code is in guest RAM, so raw mode must run it on the host CPU (where the host runs 64-bit code: always)
%include "rom.inc"
%include "lm.inc"

; ---- variables (RAM, identity mapped, reachable from ring 3) ----
%define MAIN_RSP  0x0800        ; main's RSP while ring 3 runs
%define MAIN_CONT 0x0808        ; where the kernel goes when the rounds are done
%define USP       0x0810        ; the user RSP at SYSCALL
%define ITER      0x0818        ; rounds so far (kernel entries - 1)
%define NITER     0x0820        ; rounds to run
%define TICKS     0x0828        ; PIT interrupts
%define ARMED     0x0830        ; 1: the next interrupt must come at EXP_RIP
%define EXP_RIP   0x0838
%define EXP_CS    0x0840
%define LATE      0x0848        ; armed interrupts taken elsewhere or not at all
%define WAIT_FAIL 0x0850        ; IRQ0 never became pending
%define SPIN_FAIL 0x0858        ; a spin never saw the count move
%define EARLY     0x0860        ; interrupts taken while IF = 0
%define K_T0      0x0868        ; ticks when the kernel SYSRETs
%define DBCNT     0x0870        ; #DB: count, the last one's RIP, CS, DR6,
%define DB_RIP    0x0878        ; the one before's (DB_*1)
%define DB_CS     0x0880
%define DB_DR6    0x0888
%define DB_RIP1   0x0890
%define DB_CS1    0x0898
%define DB_DR61   0x08A0
%define DB_KEEP   0x08A8        ; #DBs that keep TF set (then it is cleared)
%define DB_PREV   0x08B0
%define MODE      0x08B8        ; what the last SYSRET did (per scenario)
%define ERRS      0x08C0
%define ERRS2     0x08C8
%define ACCNT     0x08D0        ; #AC: count, error code, RIP, CS
%define AC_ERR    0x08D8
%define AC_RIP    0x08E0
%define AC_CS     0x08E8
%define AC_PREV   0x08F0
%define ACOK      0x08F8
%define ACNONE    0x0900
%define HAS_AC    0x0908
%define RFCNT     0x0910        ; INT 50h: count, RFLAGS in its frame
%define RF_RFL    0x0918
%define RF_PREV   0x0920
%define HAS_RF    0x0928        ; a probe found RF set after SYSRET (QEMU)
%define UBASE     0x0930        ; where the user page and the kernel page run
%define KBASE     0x0938
%define SUM       0x0940
%define DB_POS    0x0948        ; part 3: the #DB's offset in the user page
%define RESULTS   0x0A40        ; scenario 6: SUM of each combination (4 qwords)
%define VARS_END  0x0A00
%define MISAL     0x0A01        ; a misaligned qword (part 5)
%define MIS_WANT  0x0A20        ; its value

%define KSTK_TOP  0x5000        ; the kernel entries' stack
%define U_PHYS    0x30000       ; the user page, copied from upage
%define K_PHYS    0x31000       ; the kernel page, copied from kpage
%define U_LO      0x400000
%define U_HI      0x00007FFFFFFFF000
%define K_HI      0xFFFF800000000000

; own page tables (0x14000 up)
%define PT_U4     0x14000       ; 4-6 MiB: the user page at 0x400000
%define PDPT_H    0x15000       ; PML4[255] ... the user page at U_HI
%define PD_H      0x16000
%define PT_H      0x17000
%define PDPT_K    0x18000       ; PML4[256] ... the kernel page at K_HI
%define PD_K      0x19000
%define PT_K      0x1A000
%define PD_APIC   0x1B000       ; 3-4 GiB: the local APIC

%define FMASK_STD 0x44700       ; AC, NT, DF, IF, TF
%define FMASK_NTF 0x44600       ; AC, NT, DF, IF (not TF)
%define STAR      ((0x28 << 48) | (SEL_CODE64 << 32))

%define N1 200
%define N2 200
%define N3 300
%define N4 200
%define N5 300
%define N6 300
%define WAIT_LIMIT 20000000     ; IRR polls before giving up
%define SPIN_LIMIT 100000000    ; spin turns before giving up
%define HOLD_SPINS 2000         ; turns with IF = 0 and IRQ0 pending
%define PIT_DIV 298             ; about 4 kHz

%define UOFF(l) ((l) - upage)
%define KOFF(l) ((l) - kpage)

%macro PIT_ON 0
    mov al, 0x34                ; channel 0, lo/hi, mode 2
    out 0x43, al
    mov al, PIT_DIV & 0xFF
    out 0x40, al
    mov al, PIT_DIV >> 8
    out 0x40, al
    mov al, 0xFE                ; unmask IRQ0
    out 0x21, al
%endmacro

%macro PIT_OFF 0
    mov al, 0xFF
    out 0x21, al
%endmacro

; RUN kernel-entry, user-entry, FMASK: the rounds of one scenario (main
; enters the user's first SYSCALL with R11 = 2).
%macro RUN 3
    mov edi, KOFF(%1)
    mov esi, UOFF(%2)
    mov r8d, %3
    call run_user
%endmacro

start:
    ROM_INIT
    PUTS `jit_sysexit: SYSCALL/SYSRET exits under timer interrupts, TF, RF, AC, high addresses\n`
    LM_ENTER
    call setup

    ; ---- 1: a pending interrupt when SYSRET sets IF; user spins ----
    PIT_ON
    call clear_vars
    mov qword [NITER], N1
    RUN ke1, u1, FMASK_STD
    cli
    EXPECT64 [WAIT_FAIL], 0, "lm64 1: the kernel (IF = 0 after SYSCALL) saw IRQ0 pending before every second SYSRET"
    EXPECT64 [LATE], 0, "lm64 1: each interrupt pending at SYSRET (IF = 1 in R11) is taken before the first user instruction"
    EXPECT64 [SPIN_FAIL], 0, "lm64 1: the user's self-looping spin after each SYSRET saw the tick count move"
    call clear_vars             ; again with both pages at the high addresses
    mov rax, U_HI
    mov [UBASE], rax
    mov rax, K_HI
    mov [KBASE], rax
    mov qword [NITER], N1
    RUN ke1, u1, FMASK_STD
    cli
    mov rax, [WAIT_FAIL]
    or rax, [LATE]
    or rax, [SPIN_FAIL]
    EXPECT64 rax, 0, "lm64 1: the same with the user page at 7FFF_FFFF_F000h and the kernel at FFFF_8000_0000_0000h"

    ; ---- 2: the kernel side: IF = 0 until STI ----
    call clear_vars
    mov qword [NITER], N2
    RUN ke2, u2, FMASK_STD
    cli
    PIT_OFF
    mov rax, [WAIT_FAIL]
    or rax, [EARLY]
    EXPECT64 rax, 0, "lm64 2: after SYSCALL (FMASK clears IF) a pending interrupt waits"
    mov rax, [LATE]
    or rax, [SPIN_FAIL]
    EXPECT64 rax, 0, "lm64 2: after STI it is taken right after the next instruction"

    ; ---- 3: single-step ----
    call clear_vars
    mov qword [NITER], N3
    RUN ke3a, u3a, FMASK_STD
    EXPECT64 [ERRS], 0, "lm64 3: SYSRET with TF = 1 in R11: one single-step #DB (BS, CS = 3Bh) at the same user RIP each round; none with TF = 0"
    EXPECT64 [DB_POS], UOFF(u3a_1), "lm64 3: the SYSRET single-step #DB comes at the SYSRET target, before the first user instruction"
    call clear_vars
    mov qword [NITER], N3
    RUN ke3b, u3b, FMASK_NTF
    EXPECT64 [ERRS], 0, "lm64 3: TF set by user POPF, SYSCALL (FMASK leaves TF): #DB at LSTAR, then after the first kernel instruction"

    ; ---- 4: RF in R11 ----
    call clear_vars
    mov qword [NITER], N4
    RUN ke4, u4, FMASK_STD
    cmp qword [HAS_RF], 0
    jne .rf_qemu
    EXPECT64 [ERRS], 0, "lm64 4: SYSRET with RF = 1 in R11: RF = 0 after the first user instruction"
    jmp .rf_done
.rf_qemu:
    PUTS64 `note: SYSRET loaded RF from R11 (QEMU 7.2; SDM: R11 AND 3C7FD7h): part 4 is left out\n`
.rf_done:

    ; ---- 5: alignment check ----
    call clear_vars
    mov rax, 0x1122334455667788
    mov [MISAL], rax
    mov [MIS_WANT], rax
    mov rax, cr0
    or eax, 1 << 18             ; CR0.AM
    mov cr0, rax
    mov qword [NITER], N5
    RUN ke5, u5, FMASK_STD
    mov rax, cr0
    and eax, ~(1 << 18)
    mov cr0, rax
    EXPECT64 [ERRS], 0, "lm64 5: CR0.AM = 1, SYSRET with AC = 0: the misaligned user load right after it does not fault"
    cmp qword [HAS_AC], 0
    je .ac_qemu
    mov rax, [ERRS2]
    or rax, [ACNONE]
    EXPECT64 rax, 0, "lm64 5: CR0.AM = 1, SYSRET with AC = 1: that load raises #AC(0) at its own RIP"
    EXPECT64 [ACOK], (N5 - 1) / 2, "lm64 5: #AC counted once per AC = 1 round"
    jmp .ac_done
.ac_qemu:
    PUTS64 `note: a misaligned CPL-3 load with CR0.AM = EFLAGS.AC = 1 raised no #AC (QEMU's TCG has no alignment check): the AC = 1 checks are left out\n`
.ac_done:

    ; ---- 6: high and low addresses ----
    PIT_ON
    xor ebx, ebx
.combo:
    call clear_vars
    lea rax, [rel combos]
    mov rcx, [rax + rbx * 8]
    mov [UBASE], rcx
    mov rcx, [rax + rbx * 8 + 8]
    mov [KBASE], rcx
    mov qword [NITER], N6
    xor r12d, r12d
    xor r13d, r13d
    push rbx
    RUN ke6, u6, FMASK_STD
    pop rbx
    cli
    mov rax, [SUM]
    mov [RESULTS + rbx * 4], rax
    add ebx, 2
    cmp ebx, 8
    jb .combo
    PIT_OFF
    mov rax, [RESULTS]
    mov rdx, [RESULTS + 8]      ; (EXPECT64 keeps RAX and RDX, so compare here)
    cmp rax, rdx
    CHECK64 "lm64 6: user page at 7FFF_FFFF_F000h, kernel at FFFF_8000_0000_0000h: same results as 0x400000 / 0x31000"
    mov rdx, [RESULTS + 16]
    cmp rax, rdx
    CHECK64 "lm64 6: user page at 0x400000, kernel at FFFF_8000_0000_0000h: same results"
    mov rdx, [RESULTS + 24]
    cmp rax, rdx
    CHECK64 "lm64 6: user page at 7FFF_FFFF_F000h, kernel at 0x31000: same results"
    FINISH64

combos:                         ; user base, kernel base
    dq U_LO, K_PHYS
    dq U_HI, K_HI
    dq U_LO, K_HI
    dq U_HI, K_PHYS

; run_user: RDI = the kernel entry's offset in its page, RSI = the user
; entry's offset in its page, R8 = FMASK; [UBASE], [KBASE], [NITER] set.
; Returns when the kernel has run [NITER] rounds (at CPL 0, IF = 0).
run_user:
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
    mov [MAIN_RSP], rsp
    lea rax, [rel .back]
    mov [MAIN_CONT], rax
    mov qword [ITER], 0
    mov rax, [KBASE]
    add rax, rdi
    mov rdx, rax
    shr rdx, 32
    mov ecx, MSR_LSTAR
    wrmsr
    mov eax, r8d
    xor edx, edx
    mov ecx, MSR_FMASK
    wrmsr
    mov rcx, [UBASE]
    add rcx, rsi
    mov r11d, 2
    mov rsp, USER_TOP
    o64 sysret
.back:
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    ret

clear_vars:
    push rdi
    push rcx
    push rax
    mov edi, MAIN_RSP + 16      ; (MAIN_RSP and MAIN_CONT are set by run_user)
    mov ecx, (VARS_END - MAIN_RSP - 16) / 8
    xor eax, eax
    rep stosq
    mov qword [UBASE], U_LO
    mov qword [KBASE], K_PHYS
    pop rax
    pop rcx
    pop rdi
    ret

setup:
    mov rax, cr4                ; OSFXSR, OSXMMEXCPT: as an OS would (raw
    or eax, 0x600               ; mode runs ring 3 natively only then)
    mov cr4, rax
    ; 8259s at 20h-2Fh, all masked; the LAPIC passes them on (LINT0 ExtINT)
    mov al, 0x11
    out 0x20, al
    out 0xA0, al
    mov al, 0x20
    out 0x21, al
    mov al, 0x28
    out 0xA1, al
    mov al, 4
    out 0x21, al
    mov al, 2
    out 0xA1, al
    mov al, 1
    out 0x21, al
    out 0xA1, al
    mov al, 0xFF
    out 0x21, al
    out 0xA1, al
    ; page tables: the user page at U_LO and U_HI, the kernel page at
    ; K_PHYS (identity) and K_HI, the local APIC at FEE00000h
    mov edi, PT_U4
    xor eax, eax
    mov ecx, 8 * 4096 / 8
    rep stosq
    mov qword [PD_BASE + 2 * 8], PT_U4 | 7
    mov qword [PT_U4], U_PHYS | 7
    mov qword [PML4_BASE + 255 * 8], PDPT_H | 7
    mov qword [PDPT_H + 511 * 8], PD_H | 7
    mov qword [PD_H + 511 * 8], PT_H | 7
    mov qword [PT_H + 511 * 8], U_PHYS | 7
    mov qword [PML4_BASE + 256 * 8], PDPT_K | 3
    mov qword [PDPT_K], PD_K | 3
    mov qword [PD_K], PT_K | 3
    mov qword [PT_K], K_PHYS | 3
    mov qword [PDPT_BASE + 3 * 8], PD_APIC | 3
    mov eax, 0xFEE00093         ; 2 MiB page, P RW PCD
    mov [PD_APIC + 0x1F7 * 8], rax
    mov rax, cr3
    mov cr3, rax
    mov eax, 0xFEE00000         ; (zero-extended: a disp32 would be sign-extended)
    mov dword [rax + 0xF0], 0x1FF
    mov dword [rax + 0x350], 0x700
    ; the user and kernel pages into RAM
    cld
    lea rsi, [rel upage]
    mov edi, U_PHYS
    mov ecx, 4096
    rep movsb
    lea rsi, [rel kpage]
    mov edi, K_PHYS
    mov ecx, 4096
    rep movsb
    SET_GATE64 1, db_handler, 0x8E, 0
    SET_GATE64 17, ac_handler, 0x8E, 0
    SET_GATE64 0x20, irq0, 0x8E, 0
    SET_GATE64 0x27, irq_spurious, 0x8E, 0
    SET_GATE64 0x50, int50, 0xEE, 0
    mov ecx, MSR_STAR
    mov eax, STAR & 0xFFFFFFFF
    mov edx, STAR >> 32
    wrmsr
    mov ecx, MSR_EFER
    rdmsr
    or eax, EFER_SCE
    wrmsr
    ret

; ---- handlers (CPL 0, interrupt gates) ----
irq0:
    push rax
    inc qword [TICKS]
    cmp qword [ARMED], 0
    je .eoi
    mov qword [ARMED], 0
    mov rax, [rsp + 8]
    cmp rax, [EXP_RIP]
    jne .late
    mov rax, [rsp + 16]
    cmp rax, [EXP_CS]
    je .eoi
.late:
    inc qword [LATE]
.eoi:
    mov al, 0x20
    out 0x20, al
    pop rax
    iretq

irq_spurious:
    iretq

db_handler:
    push rax
    inc qword [DBCNT]
    mov rax, [DB_RIP]
    mov [DB_RIP1], rax
    mov rax, [DB_CS]
    mov [DB_CS1], rax
    mov rax, [DB_DR6]
    mov [DB_DR61], rax
    mov rax, [rsp + 8]
    mov [DB_RIP], rax
    mov rax, [rsp + 16]
    mov [DB_CS], rax
    mov rax, dr6
    mov [DB_DR6], rax
    mov eax, 0xFFFF0FF0
    mov dr6, rax
    cmp qword [DB_KEEP], 0
    je .clear
    dec qword [DB_KEEP]
    jmp .out
.clear:
    and qword [rsp + 24], ~0x100
.out:
    pop rax
    iretq

ac_handler:                     ; the error code, then RIP, CS, RFLAGS
    push rax
    inc qword [ACCNT]
    mov rax, [rsp + 8]
    mov [AC_ERR], rax
    mov rax, [rsp + 16]
    mov [AC_RIP], rax
    mov rax, [rsp + 24]
    mov [AC_CS], rax
    and qword [rsp + 32], ~0x40000      ; AC off: the load is retried
    pop rax
    add rsp, 8
    iretq

int50:
    push rax
    inc qword [RFCNT]
    mov rax, [rsp + 24]
    mov [RF_RFL], rax
    pop rax
    iretq

; ======================================================================
; The user page (ring 3; copied to U_PHYS, runs at U_LO and U_HI)
; ======================================================================
align 4096
upage:
u1:
    syscall
    mov rax, [K_T0]             ; an interrupt pending at SYSRET comes before this
    mov rbx, SPIN_LIMIT
.spin:                          ; a block that jumps to itself
    cmp rax, [TICKS]
    jne .moved
    dec rbx
    jnz .spin
    inc qword [SPIN_FAIL]
.moved:
    jmp u1

u2:
    syscall
    jmp u2

u3a:
    syscall
u3a_1:
    mov eax, 0x11               ; the first instruction after SYSRET
u3a_2:
    mov ebx, 0x22
    jmp u3a

u3b:
    syscall
    test edi, edi               ; the kernel's EDI: step this round's SYSCALL
    jz u3b
    pushfq
    or qword [rsp], 0x100
    popfq
    syscall                     ; TF = 1: #DB after it
    jmp u3b

u4:
    syscall
    nop
    int 0x50                    ; records RFLAGS after the NOP
    jmp u4

u5:
    syscall
u5_ld:
    mov rax, [rsi]              ; RSI = MISAL: misaligned
    jmp u5
u5_probe:
    mov rax, [rsi]
    jmp u5

    times 0xF00 - ($ - upage) db 0xCC
u6:                             ; near the end of the page (at U_HI: of
    syscall                     ; the canonical low half)
u6_ret:
    lea rax, [rel u6_ret]
    sub rax, [UBASE]
    add r12, rax
    add r13, 0x7FFFFFFF         ; flags for R11 (no segment register reads:
                                ; raw mode would not run the page natively)
    jmp u6
    times 4096 - ($ - upage) db 0xCC

; ======================================================================
; The kernel page (CPL 0; copied to K_PHYS, runs there and at K_HI).
; Data by absolute addresses, code within the page RIP-relatively.
; ======================================================================
%macro KIN 0
    mov [USP], rsp
    mov rsp, KSTK_TOP
%endmacro

%macro KOUT 0
    mov rsp, [USP]
    o64 sysret
%endmacro

; the next round, or back to main; RAX = ITER
%macro KITER 0
    inc qword [ITER]
    mov rax, [ITER]
    cmp rax, [NITER]
    ja k_finish
%endmacro

; wait (IF = 0) until IRQ0 is pending at the 8259, else count WAIT_FAIL
; and go to %1; RDX, AL changed
%macro WAIT_IRQ0 1
    mov rdx, WAIT_LIMIT
%%w:
    mov al, 0x0A                ; OCW3: read IRR
    out 0x20, al
    in al, 0x20
    test al, 1
    jnz %%pending
    dec rdx
    jnz %%w
    inc qword [WAIT_FAIL]
    jmp %1
%%pending:
%endmacro

align 4096
kpage:
k_finish:
    mov rsp, [MAIN_RSP]
    jmp [MAIN_CONT]

; Every round SYSRETs from one block, reached only by branches back to it
; (a recompiler follows forward JMPs into the block it is translating):
; its exit is linked in the rounds without a pending interrupt and taken
; straight on in those with one.
ke1_go:
    mov rax, [TICKS]
    mov [K_T0], rax
    mov r11d, 0x202
    KOUT
ke1:
    KIN
    cmp qword [ARMED], 0        ; an armed interrupt not taken at all
    je .a
    mov qword [ARMED], 0
    inc qword [LATE]
.a:
    KITER
    test al, 1
    jz ke1_go
    WAIT_IRQ0 ke1_go
    mov [EXP_RIP], rcx          ; the SYSRET target
    mov qword [EXP_CS], SEL_CODE64_R3
    mov qword [ARMED], 1
    jmp ke1_go

ke2:
    KIN
    KITER
    WAIT_IRQ0 .out
    mov rax, [TICKS]
    mov edx, HOLD_SPINS
.hold:
    cmp rax, [TICKS]
    jne .early
    dec edx
    jnz .hold
    jmp .sti
.early:
    inc qword [EARLY]
.sti:
    lea rdx, [rel .taken]
    mov [EXP_RIP], rdx
    mov qword [EXP_CS], SEL_CODE64
    mov qword [ARMED], 1
    sti
    nop                         ; the STI shadow
.taken:
    mov rdx, SPIN_LIMIT
.spin:
    cmp rax, [TICKS]
    jne .moved
    dec rdx
    jnz .spin
    inc qword [SPIN_FAIL]
.moved:
    cli
    cmp qword [ARMED], 0
    je .out
    mov qword [ARMED], 0
    inc qword [LATE]
.out:
    mov r11d, 0x202
    KOUT

ke3a:
    KIN
    cmp qword [ITER], 0
    je .next
    mov rax, [DBCNT]
    sub rax, [DB_PREV]
    cmp rax, [MODE]
    jne .bad
    cmp qword [MODE], 0
    je .next
    mov rax, [DB_RIP]           ; the same place every round: the target
    sub rax, [UBASE]            ; or the next instruction
    cmp qword [DB_POS], 0
    jne .pos
    mov [DB_POS], rax
.pos:
    cmp rax, [DB_POS]
    jne .bad
    cmp rax, UOFF(u3a_1)
    je .pos_ok
    cmp rax, UOFF(u3a_2)
    jne .bad
.pos_ok:
    cmp qword [DB_CS], SEL_CODE64_R3
    jne .bad
    test qword [DB_DR6], 0x4000
    jnz .next
.bad:
    inc qword [ERRS]
.next:
    mov rax, [DBCNT]
    mov [DB_PREV], rax
    KITER
    and eax, 1                  ; odd rounds: TF
    mov [MODE], rax
    shl eax, 8
    or eax, 0x202               ; (IF: the PIC is masked here)
    mov r11, rax
    KOUT

ke3b:
    mov [USP], rsp              ; stepped: #DB at LSTAR, then here
ke3b_2:
    mov rsp, KSTK_TOP
    cmp qword [ITER], 0
    je .next
    mov rax, [DBCNT]
    sub rax, [DB_PREV]
    mov rdx, [MODE]
    add rdx, rdx                ; two #DBs in a stepped round
    cmp rax, rdx
    jne .bad
    test rdx, rdx
    jz .next
    mov rax, [KBASE]
    add rax, KOFF(ke3b)
    cmp rax, [DB_RIP1]
    jne .bad
    mov rax, [KBASE]
    add rax, KOFF(ke3b_2)
    cmp rax, [DB_RIP]
    jne .bad
    cmp qword [DB_CS1], SEL_CODE64
    jne .bad
    cmp qword [DB_CS], SEL_CODE64
    jne .bad
    mov rax, [DB_DR6]
    and rax, [DB_DR61]
    test eax, 0x4000
    jnz .next
.bad:
    inc qword [ERRS]
.next:
    mov rax, [DBCNT]
    mov [DB_PREV], rax
    KITER
    and eax, 1                  ; odd rounds: the user steps its SYSCALL
    mov [MODE], rax
    mov [DB_KEEP], rax
    mov edi, eax
    mov r11d, 0x202
    KOUT

ke4:
    KIN
    mov rax, [ITER]
    cmp rax, 1
    jb .next                    ; (the first entry: nothing ran yet)
    mov rdx, [RFCNT]
    sub rdx, [RF_PREV]
    cmp rdx, 1
    jne .bad
    test r11, 0x10000           ; R11 from this SYSCALL
    jnz .bad
    test qword [RF_RFL], 0x10000
    jz .next
    cmp rax, 1                  ; the probe round: RF loaded (QEMU)
    jne .bad
    mov qword [HAS_RF], 1
    jmp .next
.bad:
    inc qword [ERRS]
.next:
    mov rax, [RFCNT]
    mov [RF_PREV], rax
    KITER
    and eax, 1                  ; odd rounds (the first: the probe): RF
    shl eax, 16
    or eax, 0x202
    mov r11, rax
    KOUT

ke5:
    KIN
    mov rdx, [ACCNT]
    sub rdx, [AC_PREV]
    cmp qword [ITER], 0
    je .next
    cmp qword [MODE], 2
    jne .round
    mov [HAS_AC], rdx           ; the probe: #AC at all?
    jmp .next
.round:
    cmp rax, [MIS_WANT]         ; the user's load
    jne .bad0
    cmp qword [MODE], 0
    jne .ac1
    test rdx, rdx               ; AC = 0: no #AC
    jz .next
.bad0:
    inc qword [ERRS]
    jmp .next
.ac1:
    test rdx, rdx
    jz .none
    cmp rdx, 1
    jne .bad1
    mov rax, [UBASE]
    add rax, UOFF(u5_ld)
    cmp rax, [AC_RIP]
    jne .bad1
    cmp qword [AC_CS], SEL_CODE64_R3
    jne .bad1
    cmp qword [AC_ERR], 0
    jne .bad1
    inc qword [ACOK]
    jmp .next
.none:
    inc qword [ACNONE]
    cmp qword [HAS_AC], 0
    je .next
.bad1:
    inc qword [ERRS2]
.next:
    mov rax, [ACCNT]
    mov [AC_PREV], rax
    KITER
    mov esi, MISAL
    cmp rax, 1
    jne .alt
    mov qword [MODE], 2         ; round 1: the probe, AC = 1, elsewhere
    mov rcx, [UBASE]
    add rcx, UOFF(u5_probe)
    mov r11d, 0x40202
    KOUT
.alt:
    and eax, 1                  ; then AC = 0 (even rounds) and 1 (odd)
    mov [MODE], rax
    shl eax, 18
    or eax, 0x202
    mov r11, rax
    KOUT

ke6:
    KIN
    mov rax, rcx                ; the user's return RIP, as an offset
    sub rax, [UBASE]
    add [SUM], rax
    mov rax, r11
    and eax, 0xCD5              ; OF DF IF SF ZF AF PF CF
    add [SUM], rax
    lea rax, [rel ke6]
    sub rax, [KBASE]
    add [SUM], rax
    xor eax, eax
    mov ax, cs
    add [SUM], rax
    mov ax, ss
    add [SUM], rax
    mov rax, [SUM]
    rol rax, 7
    xor rax, r12
    xor rax, r13
    mov [SUM], rax
    KITER
    mov r11d, 0x202
    KOUT
    times 4096 - ($ - kpage) db 0xCC

    LM_LIB
ROM_END
