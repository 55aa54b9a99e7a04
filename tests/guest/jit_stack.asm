; jit_stack.asm — runs of PUSH and POP inside hot blocks. The recompiler
; turns consecutive PUSH reg / PUSH imm (50+r, 68, 6A) or POP reg (58+r)
; records at the stack's width into one TLB probe for all their slots, each
; record a plain move; a miss runs every record as an exact handler call.
; All of this must stay exact. In 32-bit protected mode with paging (flat
; CS, ring 0 and ring 3) and in 64-bit mode (ring 0 and ring 3), every loop
; runs 160 or 240 turns, so its blocks are translated at the default
; threshold of 50 visits as well as at the first:
;  a. push runs of 2, 5, 16, 32, 33 and 40 records (registers, R8-R15 in
;     64-bit mode, imm8 including negative ones, imm32) and pop runs of 2,
;     5, 16, 32 and 33 (registers popped twice keep the later value): each
;     slot or register against values the test computes, ESP/RSP moved by
;     4/8 a record, the flags of a CMP before the run intact after it, no
;     byte around the slots written; a self-looping block of a push run and
;     a pop run against the same permutation done with MOVs.
;  b. the same runs with a page boundary swept over every slot position
;     (two present pages, not neighbours in physical memory; misaligned
;     stacks too, so that one slot straddles it); in 32-bit code also runs
;     wrapping at 4 GiB; the accessed and dirty bits a pop run and a push
;     run leave.
;  c. push runs whose lower page is not present (32-bit: ring 3; 64-bit:
;     ring 0 on an IST stack, and ring 3) and pop runs whose upper page is
;     not present (ring 0; 32-bit also ring 3), the fault at every record
;     of the run: vector, error code and CR2, the pushed EIP/RIP (the
;     faulting record's), ESP at the fault, the records before it done and
;     the rest not (no byte of a straddling slot written).
;  d. push runs into a read-only page with CR0.WP = 1 (32-bit: ring 3;
;     64-bit: ring 0 on an IST stack), the page readable in the TLB; and at
;     ring 0 with CR0.WP = 0, which writes.
;  e. push runs whose slots are code: a hot routine's immediate on another
;     page (the routine then runs the new bytes), and the run's own next
;     records (which register each pushes): the new records run at once, as
;     P6 and later CPUs do (SDM vol. 3A 11.6: a write to a prefetched
;     instruction invalidates the prefetch queue), and on the next turn.
;  f. PIT interrupts (about 4 kHz) into the self-looping block of (a); the
;     handler itself saves and restores with push and pop runs.
;  g. where RDPMC counts retired instructions (PerfEvtSel0 event C0h:
;     rawbox, real CPUs), exact counts: a self-looping block of runs; hot
;     straight-line runs on the fast and on the slow path; at a fault in
;     the middle of a run; and, which those rely on, hot straight-line code
;     with an instruction across a 4 KiB page boundary.
;  h. (32-bit) a flat 4 GiB SS with B = 0 is a 16-bit stack: a push run
;     and a pop run move SP only, wrapping at 64 KiB, their slots at SS:SP
;     (SDM vol. 3A 3.4.5.1, vol. 2B PUSH "StackAddrSize").
; Check lines carry the mode: "pm32" or "lm64". Intel SDM vol. 2B PUSH,
; POP; vol. 3A 4.7 (page-fault error code), 4.8 (accessed and dirty
; flags), 6.14 (64-bit interrupt frames, IST), 11.6; vol. 3B 20 (RDPMC).
;
; qemu-differs: QEMU's TCG has no performance counters (RDPMC raises #UD), so the checks that count retired instructions with RDPMC are left out under QEMU and a note says so
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "lm.inc"

; ---- variables (at linear = physical addresses) ----
%define VB         0x4000
%define REGVAL     (VB + 0x000)     ; 16 qwords: the registers of this turn
%define DUMP       (VB + 0x080)     ; 16 qwords: the registers after the run
%define EXPR       (VB + 0x100)     ; 16 qwords: what the pop checker wants
%define REC        (VB + 0x180)     ; 16 qwords: the registers at a fault
%define TMP        (VB + 0x200)     ; 16 qwords: the MOV-only reference
%define SLOTS      (VB + 0x280)     ; 48 qwords: the values under a pop run
%define TURN       (VB + 0x400)
%define TOPV       (VB + 0x408)     ; ESP/RSP at the run
%define SAVE_SP    (VB + 0x410)
%define SP_AFTER   (VB + 0x418)
%define ERRS       (VB + 0x420)     ; error bits of this scenario
%define FIRST      (VB + 0x428)     ; the first failing turn (-1: none)
%define F_K        (VB + 0x430)
%define F_GOT      (VB + 0x438)
%define F_WANT     (VB + 0x440)
%define F_BIT      (VB + 0x448)
%define E_BIT      (VB + 0x450)
%define E_K        (VB + 0x458)
%define E_GOT      (VB + 0x460)
%define E_WANT     (VB + 0x468)
%define SPEC       (VB + 0x470)     ; the run's table (PUSHRUN, POPRUN)
%define NREC       (VB + 0x478)
%define JDONE      (VB + 0x480)     ; records that complete
%define KIND       (VB + 0x488)     ; 1 push run, 0 pop run
%define PHASE      (VB + 0x490)     ; 0 stack within a page, 1 boundary swept
%define CLO        (VB + 0x498)     ; the run's slots: [CLO, CHI)
%define CHI        (VB + 0x4A0)
%define BOUND      (VB + 0x4A8)
%define PG_A       (VB + 0x4B0)
%define PG_B       (VB + 0x4B8)
%define EXP_SP     (VB + 0x4C0)
%define EXP_CR2    (VB + 0x4C8)
%define EXP_ERR    (VB + 0x4D0)
%define RUNADDR    (VB + 0x4D8)
%define PMC_OK     (VB + 0x4E0)
%define PMC_CHK    (VB + 0x4E8)
%define PMC0       (VB + 0x4F0)
%define PMC1       (VB + 0x4F8)
%define H_SAVE     (VB + 0x500)     ; 3 qwords
%define REC_VEC    (VB + 0x518)
%define REC_ERR    (VB + 0x520)
%define REC_EIP    (VB + 0x528)
%define REC_SP     (VB + 0x530)
%define REC_CR2    (VB + 0x538)
%define REC_CNT    (VB + 0x540)
%define RESUME_EIP (VB + 0x548)     ; 0: an exception is unexpected
%define RESUME_SP  (VB + 0x550)
%define FLG        (VB + 0x558)     ; SETcc after the run
%define FLW        (VB + 0x560)     ; SETcc of the same CMP
%define K          (VB + 0x568)
%define KLIMIT     (VB + 0x570)
%define TICKS      (VB + 0x578)
%define TTARGET    (VB + 0x580)
%define K1         (VB + 0x588)
%define T1         (VB + 0x590)
%define HERR       (VB + 0x598)
%define MODE_STR   (VB + 0x5A0)
%define CUR_OPS    (VB + 0x5A8)     ; e2: the opcodes of records 1..
%define EXPV       (VB + 0x5B0)
%define E2_ENTRY   (VB + 0x5B8)
%define SP_END     (VB + 0x5C0)
%define NAME       (VB + 0x5C8)
%define STATE      (VB + 0x5D0)     ; 16 qwords: the mix state
%define SP16_AT    0x4808           ; the 16-bit stack scenario's SP

; ---- pages ----
%define PD32     0x14000            ; 32-bit paging: PD, PT for 0-4 MiB,
%define PT32     0x15000            ; PT for the top 4 MiB
%define PTTOP    0x16000
%define CODE_A   0x20000            ; e2: the run that rewrites itself
%define CODE_B   0x21000            ; e1: the routine patched by a run
%define SCR      0x22000            ; where the SMC runs push otherwise
%define PG_IN1   0x23000            ; runs within one page
%define PG_IN2   0x24000
%define PAIR     0x26000            ; the boundary of 25000h and 26000h;
%define PAIR_LO  0x2E000            ; 25000h maps here: the two pages are
                                    ; not neighbours in physical memory
%define BELOW_NP 0x27000
%define NP_PAGE  0x28000            ; not present
%define ABOVE_NP 0x29000
%define RO_PAGE  0x2A000            ; present, read-only
%define ABOVE_RO 0x2B000
%define AD_PAGE  0x2C000            ; accessed and dirty bits
%define WRAP_PG  0x2D000            ; linear FFFFF000h in 32-bit paging

%define SEL_CODE16 (GDT_FREE)
%define SEL_DATA16 (GDT_FREE + 8)
%define SEL_SS16F  (GDT_FREE + 0x10)    ; flat 4 GiB data, B = 0

%define TOTAL   240                 ; turns of the hot loops
%define STURNS  160                 ; of each SCEN phase (110 after the
                                    ; default threshold of 50 visits)
%define WARM    60                  ; SMC loops: turns before patching
%define CANARY  0xC5
%define CNT_T   100                 ; turns of the counted loop
%define TICKS_WANT 40
%define KCAP    3000000
%define PIT_DIV 298                 ; about 4 kHz

; ---- the runs ----
; Items of PUSHRUN: R(n) pushes register n, B(x) an imm8, D(x) an imm32.
%define R(r) ((1 << 40) | (r))
%define B(x) ((2 << 40) | ((x) & 0xFF))
%define D(x) ((3 << 40) | ((x) & 0xFFFFFFFF))

; PUSHRUN name, {pre}, items...: a jump over the run's table, `pre`, then
; the records from label `name` (so the run starts a block). Table
; `name_tab`: dd n, 0, then per record dd value (the register's number, or
; the immediate sign-extended), dw offset from `name`, db kind (0
; register, 1 immediate), db 0. With RUNTAB_AFTER defined the table
; follows the records (jumped over), so no branch comes before them.
%macro PUSHRUN 3-*
    %push prun
%ifndef RUNTAB_AFTER
    jmp %%code
    PUSHTAB %1, {%2}, %{3:-1}
%%code:
%endif
    %2
%1:
    %rotate 2
    %rep %0 - 2
        %assign %$ty (%1) >> 40
        %assign %$v (%1) & 0xFFFFFFFF
        %if %$ty == 1
            %if %$v >= 8
                db 0x41
            %endif
            db 0x50 + (%$v & 7)
        %elif %$ty == 2
            db 0x6A, %$v
        %else
            db 0x68
            dd %$v
        %endif
        %rotate 1
    %endrep
%ifdef RUNTAB_AFTER
    jmp %%done
    PUSHTAB %1, {%2}, %{3:-1}
%%done:
%endif
    %pop
%endmacro

%macro PUSHTAB 3-*
    align 4
%1_tab:
    dd %0 - 2, 0
    %assign %%off 0
    %rotate 2
    %rep %0 - 2
        %assign %%ty (%1) >> 40
        %assign %%v (%1) & 0xFFFFFFFF
        %if %%ty == 1
            dd %%v
            dw %%off
            db 0, 0
            %assign %%off %%off + 1 + (%%v >= 8)
        %elif %%ty == 2
            dd ((%%v ^ 0x80) - 0x80) & 0xFFFFFFFF
            dw %%off
            db 1, 0
            %assign %%off %%off + 2
        %else
            dd %%v
            dw %%off
            db 1, 0
            %assign %%off %%off + 5
        %endif
        %rotate 1
    %endrep
%endmacro

; POPRUN name, {pre}, registers...: as PUSHRUN, one POP per register.
%macro POPRUN 3-*
    %push prun
%ifndef RUNTAB_AFTER
    jmp %%code
    POPTAB %1, {%2}, %{3:-1}
%%code:
%endif
    %2
%1:
    %rotate 2
    %rep %0 - 2
        %if (%1) >= 8
            db 0x41
        %endif
        db 0x58 + ((%1) & 7)
        %rotate 1
    %endrep
%ifdef RUNTAB_AFTER
    jmp %%done
    POPTAB %1, {%2}, %{3:-1}
%%done:
%endif
    %pop
%endmacro

%macro POPTAB 3-*
    align 4
%1_tab:
    dd %0 - 2, 0
    %assign %%off 0
    %rotate 2
    %rep %0 - 2
        dd %1
        dw %%off
        db 0, 0
        %assign %%off %%off + 1 + ((%1) >= 8)
        %rotate 1
    %endrep
%endmacro

; GENPUSH name, count, 64?: a list of push items mixing registers (R8-R15
; too when 64), negative and positive imm8 and imm32 with either sign.
%macro GENPUSH 3
    %assign %%i 0
    %rep %2
        %if %%i % 5 == 3
            %assign %%x ((%%i * 37) & 0xFF) ^ 0x80
            %xdefine %%it B(%%x)
        %elif %%i % 7 == 5
            %assign %%x (0x9E3779B9 * (%%i + 1)) & 0xFFFFFFFF
            %xdefine %%it D(%%x)
        %else
            %if %3
                %assign %%r (%%i * 11 + 2) % 15
            %else
                %assign %%r (%%i * 3 + 1) % 7
            %endif
            %if %%r >= 4
                %assign %%r %%r + 1
            %endif
            %xdefine %%it R(%%r)
        %endif
        %if %%i == 0
            %xdefine %1 %%it
        %else
            %xdefine %1 %1, %%it
        %endif
        %assign %%i %%i + 1
    %endrep
%endmacro

; GENPOP name, count, 64?: registers to pop, with repeats.
%macro GENPOP 3
    %assign %%i 0
    %rep %2
        %if %3
            %assign %%r (%%i * 4 + 3) % 15
        %else
            %assign %%r (%%i * 5 + 2) % 7
        %endif
        %if %%r >= 4
            %assign %%r %%r + 1
        %endif
        %if %%i == 0
            %xdefine %1 %%r
        %else
            %xdefine %1 %1, %%r
        %endif
        %assign %%i %%i + 1
    %endrep
%endmacro

GENPUSH P16_32, 16, 0
GENPUSH P32_32, 32, 0
GENPUSH P33_32, 33, 0
GENPUSH P40_32, 40, 0
GENPUSH P16_64, 16, 1
GENPUSH P32_64, 32, 1
GENPUSH P33_64, 33, 1
GENPUSH P40_64, 40, 1
GENPOP Q16_32, 16, 0
GENPOP Q32_32, 32, 0
GENPOP Q33_32, 33, 0
GENPOP Q16_64, 16, 1
GENPOP Q32_64, 32, 1
GENPOP Q33_64, 33, 1
; the fault scenarios' runs: 8 records
%define FP_32 R(0), B(-2), R(3), D(0xFEDCBA98), R(1), R(6), B(0x33), R(7)
%define FP_64 R(0), B(-2), R(11), D(0xFEDCBA98), R(1), R(14), B(0x33), R(7)
%define FQ_32 0, 3, 1, 3, 2, 6, 7, 5
%define FQ_64 0, 9, 1, 9, 2, 15, 7, 5

; ---- modes: register names and sizes ----
%macro USE32 0
bits 32
%define SZ 4
%define SZLOG 2
%define W dword
%define xAX eax
%define xBX ebx
%define xCX ecx
%define xDX edx
%define xSI esi
%define xDI edi
%define xBP ebp
%define xSP esp
%define NREGS 8
%define PFX p
%define PTE_AD (PT32 + (AD_PAGE >> 12) * 4)
%define PMC_BASE 15             ; see FSCEN
%endmacro

%macro USE64 0
bits 64
%define SZ 8
%define SZLOG 3
%define W qword
%define xAX rax
%define xBX rbx
%define xCX rcx
%define xDX rdx
%define xSI rsi
%define xDI rdi
%define xBP rbp
%define xSP rsp
%define NREGS 16
%define PFX l
%define PTE_AD (PT_BASE + (AD_PAGE >> 12) * 8)
%define PMC_BASE 23
%endmacro

%macro LOADREGS 0              ; every register but ESP/RSP from REGVAL
    mov xAX, [REGVAL + 0 * 8]
    mov xCX, [REGVAL + 1 * 8]
    mov xDX, [REGVAL + 2 * 8]
    mov xBX, [REGVAL + 3 * 8]
    mov xBP, [REGVAL + 5 * 8]
    mov xSI, [REGVAL + 6 * 8]
    mov xDI, [REGVAL + 7 * 8]
%if __?BITS?__ == 64
    mov r8, [REGVAL + 8 * 8]
    mov r9, [REGVAL + 9 * 8]
    mov r10, [REGVAL + 10 * 8]
    mov r11, [REGVAL + 11 * 8]
    mov r12, [REGVAL + 12 * 8]
    mov r13, [REGVAL + 13 * 8]
    mov r14, [REGVAL + 14 * 8]
    mov r15, [REGVAL + 15 * 8]
%endif
%endmacro

; PAGEFIT n: the next n bytes within one 4 KiB page of the ROM (a jump
; over padding when they would cross): the RDPMC-counted code, which an
; instruction across a page boundary would make count wrong (see
; cnt_xpage).
%macro PAGEFIT 1
    jmp near %%go
    times ((((($ - $$) & 0xFFF) + %1) > 0x1000) * ((0x1000 - (($ - $$) & 0xFFF)) & 0xFFF)) db 0xCC
%%go:
%endmacro

; The harness saves registers without push and pop runs (PUSHAD, or MOVs
; in 64-bit mode), so that only the code under test uses them: a broken
; run then fails that code's checks, not the harness.
%macro SAVEALL 0
%if __?BITS?__ == 64
    lea rsp, [rsp - 15 * 8]
    mov [rsp + 0 * 8], rax
    mov [rsp + 1 * 8], rcx
    mov [rsp + 2 * 8], rdx
    mov [rsp + 3 * 8], rbx
    mov [rsp + 4 * 8], rbp
    mov [rsp + 5 * 8], rsi
    mov [rsp + 6 * 8], rdi
    mov [rsp + 7 * 8], r8
    mov [rsp + 8 * 8], r9
    mov [rsp + 9 * 8], r10
    mov [rsp + 10 * 8], r11
    mov [rsp + 11 * 8], r12
    mov [rsp + 12 * 8], r13
    mov [rsp + 13 * 8], r14
    mov [rsp + 14 * 8], r15
%else
    pushad
%endif
%endmacro

%macro RESTALL 0
%if __?BITS?__ == 64
    mov rax, [rsp + 0 * 8]
    mov rcx, [rsp + 1 * 8]
    mov rdx, [rsp + 2 * 8]
    mov rbx, [rsp + 3 * 8]
    mov rbp, [rsp + 4 * 8]
    mov rsi, [rsp + 5 * 8]
    mov rdi, [rsp + 6 * 8]
    mov r8, [rsp + 7 * 8]
    mov r9, [rsp + 8 * 8]
    mov r10, [rsp + 9 * 8]
    mov r11, [rsp + 10 * 8]
    mov r12, [rsp + 11 * 8]
    mov r13, [rsp + 12 * 8]
    mov r14, [rsp + 13 * 8]
    mov r15, [rsp + 14 * 8]
    lea rsp, [rsp + 15 * 8]
%else
    popad
%endif
%endmacro

; ERR bit, index, got, want: note a failed check of this turn.
%macro ERR 4
    mov W [E_BIT], %1
    mov W [E_K], %2
    mov W [E_GOT], %3
    mov W [E_WANT], %4
    call %[PFX]_err
%endmacro

; CHK "name": ZF = pass (flags and registers kept).
%macro CHK 1
    jmp %%a
%%n: db %1, 0
%%a:
    lea xSP, [xSP - 2 * SZ]
    mov [xSP], xSI
    mov [xSP + SZ], xDI
    mov xSI, LIN(%%n)
    mov edi, 0
    call %[PFX]_chk
    mov xSI, [xSP]
    mov xDI, [xSP + SZ]
    lea xSP, [xSP + 2 * SZ]
%endmacro

; CHKE "name": passes when ERRS is 0; details of the first failure.
%macro CHKE 1
    cmp W [ERRS], 0
    CHK %1
    call %[PFX]_detail
%endmacro

%macro RESET_ERRS 0
    mov W [TURN], 0
    mov W [ERRS], 0
    mov W [FIRST], -1
%endmacro

; ENTRY_VAL dst, table, k: the value field of record k, sign-extended.
%macro ENTRY_VAL 3
%if __?BITS?__ == 64
    movsxd %1, dword [%2 + 8 + %3 * 8]
%else
    mov %1, [%2 + 8 + %3 * 8]
%endif
%endmacro

; RING3_IRET label: on to `label` at ring 3, on the ring-3 stack, IOPL 3
; (the check lines are written from there too).
%macro RING3_IRET 1
    lea xSP, [xSP - 5 * SZ]
    mov W [xSP], LIN(%1)
%if __?BITS?__ == 64
    mov W [xSP + SZ], SEL_CODE64_R3
%else
    mov W [xSP + SZ], SEL_CODE32_R3
%endif
    mov W [xSP + 2 * SZ], 0x3002
    mov W [xSP + 3 * SZ], USER_TOP
    mov W [xSP + 4 * SZ], SEL_DATA_R3
%if __?BITS?__ == 64
    iretq
%else
    mov ax, SEL_DATA_R3
    mov ds, ax
    mov es, ax
    iretd
%endif
%endmacro

%macro DATA0 0                  ; ring-0 data segments again (32-bit)
%if __?BITS?__ == 32
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
%endif
%endmacro

; RING3 ... RING0 "name": the code between runs at ring 3; the #UD of
; RING0 comes back to ring 0, and a check line says no other exception
; ended it.
%macro RING3 0
    %push r3
    mov [RESUME_SP], xSP
    mov W [RESUME_EIP], LIN(%$back)
    mov W [REC_VEC], -1
    RING3_IRET %$r3
%$r3:
%endmacro

%macro RING0 1
    ud2
%$back:
    DATA0
    mov xSP, [RESUME_SP]
    mov W [RESUME_EIP], 0
    cmp W [REC_VEC], 6
    CHK %1
    %pop
%endmacro

; SCEN kind (1 push, 0 pop), phases (1: stack within one page, 2: page
; boundary swept, 3: both), "name", items...: STURNS turns of one run, a
; check line per phase.
%macro SCEN 4-*
    %push scen
    jmp %%go
%%name: db %3, 0
%%go:
    mov W [KIND], %1
    mov W [SPEC], LIN(%%run_tab)
    mov eax, [LIN(%%run_tab)]
    mov [NREC], xAX
    mov [JDONE], xAX
    mov W [NAME], LIN(%%name)
%if %2 == 2
    mov W [PHASE], 1
%else
    mov W [PHASE], 0
%endif
%%phase:
    RESET_ERRS
%%turn:
    call %[PFX]_setup
    mov [SAVE_SP], xSP
    LOADREGS
    mov xSP, [TOPV]
%if %1
    PUSHRUN %%run, {cmp xBX, xCX}, %{4:-1}
%else
    POPRUN %%run, {cmp xBX, xCX}, %{4:-1}
%endif
    setc byte [FLG]
    setz byte [FLG + 1]
    sets byte [FLG + 2]
    seto byte [FLG + 3]
    setp byte [FLG + 4]
    mov [SP_AFTER], xSP
    mov xSP, [SAVE_SP]
    DUMPREGS
    call %[PFX]_after
    inc W [TURN]
    cmp W [TURN], STURNS
    jb %%turn
    call %[PFX]_rphase
    inc W [PHASE]
%if %2 == 1
    cmp W [PHASE], 1
%else
    cmp W [PHASE], 2
%endif
    jb %%phase
    %pop
%endmacro

; FSCEN kind, ring, boundary, error code, "name", items...: 240 turns of
; one run of 8 records that faults at record (turn mod 8), with the stack
; misaligned by (turn / 8 * 3) mod size. Push runs: the bad page lies
; below the boundary; pop runs: above it. At ring 0, where RDPMC counts,
; the instructions from the RDPMC below to the handler's are counted too:
; RDPMC, 2 MOVs, the loads, MOV ESP, the records before the fault and 4
; in the handler: PMC_BASE + j. No branch among them (the count stays
; apart from how blocks end).
%macro FSCEN 5-*
    %push fs
    jmp %%go
%%name: db %5, 0
%%go:
    mov W [KIND], %1
    mov W [SPEC], LIN(%%run_tab)
    mov eax, [LIN(%%run_tab)]
    mov [NREC], xAX
    mov W [BOUND], %3
    mov W [EXP_ERR], %4
    mov W [RUNADDR], LIN(%%run)
    RESET_ERRS
%if %2 == 0
    mov xAX, [PMC_OK]
    mov [PMC_CHK], xAX
%else
    mov W [PMC_CHK], 0
%endif
%%turn:
    call %[PFX]_fillregs
    call %[PFX]_fplace
    mov W [REC_CNT], 0
    mov W [REC_VEC], -1
    mov [RESUME_SP], xSP
    mov W [RESUME_EIP], LIN(%%resume)
%if %2 == 3
    RING3_IRET %%r3
%%r3:
%endif
    test byte [EXP_ERR], 1      ; a present (read-only) page: read it at
    jz %%nt                     ; this ring, so that the TLB holds it readable
    mov xAX, [BOUND]
    movzx eax, byte [xAX - 1]
%%nt:
    PAGEFIT 256
    cmp byte [PMC_CHK], 0
    je %%np
    xor ecx, ecx
    rdpmc
    mov [PMC0], eax
    mov [PMC0 + 4], edx
%%np:
    LOADREGS
    mov xSP, [TOPV]
%define RUNTAB_AFTER
%if %1
    PUSHRUN %%run, {}, %{6:-1}
%else
    POPRUN %%run, {}, %{6:-1}
%endif
%undef RUNTAB_AFTER
    mov xSP, [RESUME_SP]        ; not reached: the run faults (if not, the
    ud2                         ; #UD is recorded on a stack that works)
%%resume:
    DATA0
    mov xSP, [RESUME_SP]
    call %[PFX]_fafter
    inc W [TURN]
    cmp W [TURN], TOTAL
    jb %%turn
    mov W [RESUME_EIP], 0
    mov xSI, LIN(%%name)
%if %1
    mov edx, 0x6F
%else
    mov edx, 0x63
%endif
    cmp byte [PMC_CHK], 0
    je %%rep
    or edx, 0x80
%%rep:
    call %[PFX]_report
    %pop
%endmacro

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

; ---- checking code, expanded inline (each call and return would end a
; block; the checking loops have no branch but their back-edge, so each is
; one block) ----
%macro FILLREGS 0               ; REGVAL: distinct values for every register and turn
    mov xBX, [TURN]
    imul xBX, xBX, 0x3B9ACA07
    add xBX, 0x2F6B1D35
    xor ecx, ecx
%%l:
    lea xAX, [xCX + 1]
    imul xAX, xAX, 0x01010101
%if __?BITS?__ == 64
    mov rdx, rax
    shl rdx, 32
    or rax, rdx
%endif
    xor xAX, xBX
    rol xBX, 5
    mov [REGVAL + xCX * 8], xAX
%if __?BITS?__ == 32
    mov dword [REGVAL + ecx * 8 + 4], 0
%endif
    inc ecx
    cmp ecx, 16
    jb %%l
%endmacro

; PLACE: where this turn's run goes: PHASE 0 within page PG_A or PG_B (odd
; and even turns), PHASE 1 around BOUND: slot position i of n+3, from
; wholly below it to wholly above, misaligned by (round * 3) mod size (not
; at 4 GiB, where a straddling slot is beyond the segment limit: #SS).
; CLO, CHI: the slots; TOPV: ESP before the run.
%macro PLACE 0
    mov xAX, [TURN]
    cmp W [PHASE], 0
    jne %%bnd
    mov xCX, [PG_A]
    test al, 1
    jz %%a
    mov xCX, [PG_B]
%%a:
    mov xDX, xAX
    shl xDX, 4
    and edx, 0x1F0
    add xCX, xDX
    shr eax, 1
    and eax, SZ - 1
    add xCX, xAX
    add xCX, 0x600
    jmp %%end
%%bnd:
    xor edx, edx
    mov xCX, [NREC]
    add xCX, 3
    div xCX
    lea xAX, [xAX + xAX * 2]
    and eax, SZ - 1
    cmp W [BOUND], 0
    jne %%m
    xor eax, eax
%%m:
    mov xCX, [NREC]
    inc xCX
    shl xCX, SZLOG
    neg xCX
    add xCX, [BOUND]
    shl xDX, SZLOG
    add xCX, xDX
    add xCX, xAX
%%end:
    mov [CLO], xCX
    mov xDX, [NREC]
    shl xDX, SZLOG
    add xDX, xCX
    mov [CHI], xDX
    cmp W [KIND], 0
    je %%p
    mov xCX, xDX
%%p:
    mov [TOPV], xCX
%endmacro

%macro DUMPREGS 0
    mov [DUMP + 0 * 8], xAX
    mov [DUMP + 1 * 8], xCX
    mov [DUMP + 2 * 8], xDX
    mov [DUMP + 3 * 8], xBX
    mov [DUMP + 5 * 8], xBP
    mov [DUMP + 6 * 8], xSI
    mov [DUMP + 7 * 8], xDI
%if __?BITS?__ == 64
    mov [DUMP + 8 * 8], r8
    mov [DUMP + 9 * 8], r9
    mov [DUMP + 10 * 8], r10
    mov [DUMP + 11 * 8], r11
    mov [DUMP + 12 * 8], r12
    mov [DUMP + 13 * 8], r13
    mov [DUMP + 14 * 8], r14
    mov [DUMP + 15 * 8], r15
%endif
%endmacro

; CCHECK: xCX bytes from xSI must be canaries.
%macro CCHECK 0
    test xCX, xCX
    jz %%r
    mov xDI, xSI
    mov al, CANARY
    cld
    repe scasb
    je %%r
    dec xDI
    movzx eax, byte [xDI]
    ERR 8, xDI, xAX, CANARY
%%r:
%endmacro

; CREGS base, bit: the registers after the run (DUMP) against those at
; `base`; ESP/RSP's entries are made equal beforehand.
%macro CREGS 2
    xor ebp, ebp
    xor edx, edx
%%l:
    mov xAX, [%1 + xDX * 8]
    xor xAX, [DUMP + xDX * 8]
    or xBP, xAX
    inc edx
    cmp edx, NREGS
    jb %%l
    test xBP, xBP
    jz %%r
    mov xSI, %1
    mov ebx, %2
    call %[PFX]_cregs_note
%%r:
%endmacro

; CPUSH: the first JDONE slots below TOPV (a first pass finds whether any
; differs, cpush_note the first that does), SP_AFTER = TOPV - size *
; JDONE, the registers unchanged.
%macro CPUSH 0
    mov xAX, [REGVAL + 4 * 8]   ; ESP/RSP is not compared
    mov [DUMP + 4 * 8], xAX
    mov xSI, [SPEC]
    mov xBX, [TOPV]
    xor ebp, ebp
    xor edx, edx
    mov ecx, [JDONE]
    test ecx, ecx
    jz %%sp
%%s:                            ; slot k: the register's value or the immediate
    ENTRY_VAL xAX, xSI, xDX
    mov edi, eax
    and edi, 15
    mov xDI, [REGVAL + xDI * 8]
    cmp byte [xSI + 8 + xDX * 8 + 6], 0
    cmove xAX, xDI
    sub xBX, SZ
    xor xAX, [xBX]
    or xBP, xAX
    inc edx
    cmp edx, ecx
    jb %%s
    test xBP, xBP
    jz %%sp
    call %[PFX]_cpush_note
%%sp:
    mov xCX, [SP_AFTER]
    cmp xCX, xBX
    je %%rg
    ERR 2, xDX, xCX, xBX
%%rg:
    CREGS REGVAL, 4
%endmacro

; CPOP: the registers after JDONE pops of SLOTS (a register popped twice
; holds the later slot), SP_AFTER = TOPV + size * JDONE.
%macro CPOP 0
    xor edx, edx
%%c:
    mov xAX, [REGVAL + xDX * 8]
    mov [EXPR + xDX * 8], xAX
    inc edx
    cmp edx, 16
    jb %%c
    mov xAX, [DUMP + 4 * 8]     ; ESP/RSP is not compared
    mov [EXPR + 4 * 8], xAX
    mov xSI, [SPEC]
    xor edx, edx
    mov ecx, [JDONE]
    test ecx, ecx
    jz %%k
%%a:
    mov edi, [xSI + 8 + xDX * 8]
    mov xAX, [SLOTS + xDX * 8]
    mov [EXPR + xDI * 8], xAX
    inc edx
    cmp edx, ecx
    jb %%a
%%k:
    CREGS EXPR, 1
    mov xBX, [JDONE]
    shl xBX, SZLOG
    add xBX, [TOPV]
    mov xCX, [SP_AFTER]
    cmp xCX, xBX
    je %%r
    ERR 2, -1, xCX, xBX
%%r:
%endmacro

; FCHECK: the flags of `cmp xBX, xCX` (before the run) survived it.
%macro FCHECK 0
    mov xAX, [REGVAL + 3 * 8]
    cmp xAX, [REGVAL + 1 * 8]
    setc byte [FLW]
    setz byte [FLW + 1]
    sets byte [FLW + 2]
    seto byte [FLW + 3]
    setp byte [FLW + 4]
    mov eax, [FLG]
    mov ecx, [FLW]
    cmp eax, ecx
    jne %%e
    mov dl, [FLG + 4]
    cmp dl, [FLW + 4]
    je %%r
%%e:
    ERR 16, -1, xAX, xCX
%%r:
%endmacro

; ======================================================================
; routines shared by both modes (expanded after USE32 and after USE64)
; ======================================================================
%macro SHARED 0
%[PFX]_err:                     ; E_BIT, E_K, E_GOT, E_WANT
    push xAX
    mov xAX, [E_BIT]
    or [ERRS], xAX
    cmp W [FIRST], -1
    jne .r
    mov xAX, [TURN]
    mov [FIRST], xAX
    mov xAX, [E_K]
    mov [F_K], xAX
    mov xAX, [E_GOT]
    mov [F_GOT], xAX
    mov xAX, [E_WANT]
    mov [F_WANT], xAX
    mov xAX, [E_BIT]
    mov [F_BIT], xAX
.r:
    pop xAX
    ret

%[PFX]_fillregs:
    SAVEALL
    FILLREGS
    RESTALL
    ret

; SLOTS[k] for each record; the first xCX of them also stored at TOPV up.
%[PFX]_pfill:
    SAVEALL
    mov xBX, [TURN]
    imul xBX, xBX, 0x6F4F2A35
    add xBX, 0x5A5A5A5A
    mov xDI, [TOPV]
    mov esi, E_GOT              ; where the slots past xCX go
    xor edx, edx
.l:
    lea xAX, [xDX + 1]
    imul xAX, xAX, 0x11111111
%if __?BITS?__ == 64
    mov r8, rax
    shl r8, 32
    or rax, r8
%endif
    xor xAX, xBX
    rol xBX, 3
    mov [SLOTS + xDX * 8], xAX
    mov xBP, xDI
    cmp xDX, xCX
    cmovae xBP, xSI
    mov [xBP], xAX
    add xDI, SZ
    inc edx
    cmp xDX, [NREC]
    jb .l
    RESTALL
    ret

%[PFX]_cfill:                   ; xCX canary bytes from xDI
    SAVEALL
    mov al, CANARY
    cld
    rep stosb
    RESTALL
    ret

%[PFX]_ccheck:                  ; xCX bytes from xSI must be canaries
    SAVEALL
    CCHECK
    RESTALL
    ret

%[PFX]_loadregs:
    LOADREGS
    ret

%[PFX]_dumpregs:
    DUMPREGS
    ret

%[PFX]_cpush:
    SAVEALL
    CPUSH
    RESTALL
    ret

%[PFX]_cpop:
    SAVEALL
    CPOP
    RESTALL
    ret

; The first slot that differs (CPUSH found one).
%[PFX]_cpush_note:
    SAVEALL
    mov xSI, [SPEC]
    mov xBX, [TOPV]
    xor edx, edx
.s:
    ENTRY_VAL xAX, xSI, xDX
    cmp byte [xSI + 8 + xDX * 8 + 6], 0
    jne .v
    mov xAX, [REGVAL + xAX * 8]
.v:
    sub xBX, SZ
    mov xCX, [xBX]
    cmp xCX, xAX
    jne .e
    inc edx
    jmp .s
.e:
    ERR 1, xDX, xCX, xAX
    RESTALL
    ret

; The first register of DUMP that differs from xSI's (CREGS found one);
; error bit EBX.
%[PFX]_cregs_note:
    SAVEALL
    xor edx, edx
.f:
    mov xAX, [xSI + xDX * 8]
    mov xCX, [DUMP + xDX * 8]
    cmp xCX, xAX
    jne .e
    inc edx
    jmp .f
.e:
    ERR xBX, xDX, xCX, xAX
    RESTALL
    ret

; A SCEN turn: REGVAL, where the run goes, the canaries and the slots of
; a pop run. (Few calls: each call and return ends a block, and the
; [jit-flush] row translates every block it enters.)
%[PFX]_setup:
    SAVEALL
    FILLREGS
    PLACE
    mov xDI, [CLO]              ; canaries around and in the slots
    sub xDI, 16
    mov xCX, [CHI]
    sub xCX, xDI
    add xCX, 16
    mov al, CANARY
    cld
    rep stosb
    cmp W [KIND], 0
    jne .r
    mov xCX, [NREC]
    call %[PFX]_pfill
.r:
    RESTALL
    ret

%[PFX]_after:                   ; every check of a turn that did not fault
    SAVEALL
    cmp W [KIND], 0
    je .pop
    CPUSH
    jmp .c
.pop:
    CPOP
    mov xSI, [TOPV]             ; the slots still hold their values
    xor edx, edx
    xor ebp, ebp
    mov ecx, [NREC]
.u:
    mov xAX, [SLOTS + xDX * 8]
    xor xAX, [xSI]
    or xBP, xAX
    add xSI, SZ
    inc edx
    cmp edx, ecx
    jb .u
    test xBP, xBP
    jz .c
    ERR 8, -1, xBP, 0
.c:
    FCHECK
    mov xSI, [CLO]
    sub xSI, 16
    mov ecx, 16
    CCHECK
    mov xSI, [CHI]
    mov ecx, 16
    CCHECK
    RESTALL
    ret

; Fault placement: j = turn mod n records complete, mis = misalignment.
; Push: TOP = BOUND + size*j + mis, the faulting slot from BOUND + mis -
; size (CR2), ESP at the fault BOUND + mis. Pop: TOP = BOUND - size*j -
; mis, the faulting slot reaching BOUND (CR2: the first byte not
; present), ESP at the fault BOUND - mis.
%[PFX]_fplace:
    SAVEALL
    mov xAX, [TURN]
    xor edx, edx
    div W [NREC]
    mov [JDONE], xDX
    lea xAX, [xAX + xAX * 2]
    and eax, SZ - 1
    mov xBX, [BOUND]
    mov xCX, xDX
    shl xCX, SZLOG
    cmp W [KIND], 0
    je .pop
    lea xDI, [xBX + xAX]
    mov [EXP_SP], xDI
    lea xSI, [xDI - SZ]
    mov [EXP_CR2], xSI
    add xCX, xDI
    mov [TOPV], xCX
    mov xDI, xBX                ; canaries from BOUND to TOP + 16
    sub xCX, xBX
    add xCX, 16
    call %[PFX]_cfill
    jmp .r
.pop:
    mov xDI, xBX
    sub xDI, xAX
    mov [EXP_SP], xDI
    mov [EXP_CR2], xBX
    sub xDI, xCX
    mov [TOPV], xDI
    sub xDI, 16                 ; canaries from TOP - 16 to BOUND
    mov xCX, xBX
    sub xCX, xDI
    call %[PFX]_cfill
    mov xCX, [JDONE]
    call %[PFX]_pfill
.r:
    RESTALL
    ret

; After the fault of a FSCEN turn: the registers and ESP at the fault
; (REC) as after JDONE records, the vector, error code, CR2 and count,
; the pushed EIP/RIP, the bytes of the faulting slot, the instruction
; count where RDPMC counts.
%[PFX]_fafter:
    SAVEALL
    xor edx, edx
.c:
    mov xAX, [REC + xDX * 8]
    mov [DUMP + xDX * 8], xAX
    inc edx
    cmp edx, 16
    jb .c
    mov xAX, [REC_SP]
    mov [SP_AFTER], xAX
    cmp W [KIND], 0
    je .pop
    call %[PFX]_cpush
    mov xSI, [BOUND]            ; the faulting slot's bytes above BOUND
    mov xCX, [EXP_SP]
    sub xCX, xSI
    call %[PFX]_ccheck
    mov xSI, [TOPV]
    mov ecx, 16
    call %[PFX]_ccheck
    jmp .f
.pop:
    call %[PFX]_cpop
.f:
    mov xAX, [REC_VEC]
    shl xAX, 16
    mov xCX, [REC_ERR]
    shl xCX, 8
    or xAX, xCX
    or xAX, [REC_CNT]           ; vector, error code, count
    mov xCX, [EXP_ERR]
    shl xCX, 8
    or xCX, 0x0E0001
    mov xBX, [REC_CR2]
    mov xDX, [EXP_CR2]
    cmp xAX, xCX
    jne .e32
    cmp xBX, xDX
    je .eip
.e32:
    ERR 32, xAX, xBX, xDX
.eip:
    mov xSI, [SPEC]
    mov xDX, [JDONE]
    movzx eax, word [xSI + 8 + xDX * 8 + 4]
    add xAX, [RUNADDR]
    mov xCX, [REC_EIP]
    cmp xCX, xAX
    je .pmc
    ERR 64, xDX, xCX, xAX
.pmc:
    cmp byte [PMC_CHK], 0
    je .r
    mov eax, [PMC1]
    sub eax, [PMC0]
    mov ecx, [JDONE]
    add ecx, PMC_BASE
    cmp eax, ecx
    je .r
    ERR 128, xDX, xAX, xCX
.r:
    RESTALL
    ret

%[PFX]_rphase:                  ; the check line of a SCEN phase
    SAVEALL
    mov xSI, [NAME]
    mov edi, LIN(str_ph0)
    cmp W [PHASE], 0
    je .a
    mov edi, LIN(str_ph1)
.a:
    cmp W [ERRS], 0
    call %[PFX]_chk
    call %[PFX]_detail
    RESTALL
    ret

; xSI = name, EDX = aspects (bit i: a line "name: aspect i" that passes
; when error bit i is clear).
%[PFX]_report:
    SAVEALL
    mov ebx, 1
    xor ecx, ecx
.l:
    test edx, ebx
    jz .n
    mov edi, [LIN(asp_push) + xCX * 4]
    cmp W [KIND], 0
    jne .k
    mov edi, [LIN(asp_pop) + xCX * 4]
.k:
    test [ERRS], ebx
    call %[PFX]_chk
.n:
    shl ebx, 1
    inc ecx
    cmp ecx, 8
    jb .l
    call %[PFX]_detail
    RESTALL
    ret

%[PFX]_detail:                  ; the first failure, if any
    cmp W [ERRS], 0
    je .r
    SAVEALL
    mov xSI, LIN(str_d0)
    call %[PFX]_puts
    mov xAX, [ERRS]
    call %[PFX]_puthex
    mov xSI, LIN(str_d1)
    call %[PFX]_puts
    mov xAX, [FIRST]
    call %[PFX]_puthex
    mov xSI, LIN(str_d2)
    call %[PFX]_puts
    mov xAX, [F_BIT]
    call %[PFX]_puthex
    mov xSI, LIN(str_d3)
    call %[PFX]_puts
    mov xAX, [F_K]
    call %[PFX]_puthex
    mov xSI, LIN(str_d4)
    call %[PFX]_puts
    mov xAX, [F_GOT]
    call %[PFX]_puthex
    mov xSI, LIN(str_d5)
    call %[PFX]_puts
    mov xAX, [F_WANT]
    call %[PFX]_puthex
    mov xSI, LIN(str_d6)
    call %[PFX]_puts
    RESTALL
.r:
    ret

; RDPMC around CNT_T turns of a self-looping block: a 5-record push run
; and a 5-record pop run on the stack at TOPV. EAX = the count, which
; must be 6 + 12 * CNT_T: RDPMC, 2 MOVs, MOV EBP, MOV ESP, 12 a turn,
; XOR ECX (the second RDPMC reads the count before itself).
%[PFX]_cnt:
    SAVEALL
    mov [SAVE_SP], xSP
    xor ecx, ecx
    PAGEFIT 128
    rdpmc
    mov [PMC0], eax
    mov [PMC0 + 4], edx
    mov ebp, CNT_T
    mov xSP, [TOPV]
.top:
    push xAX
    push xBX
    push 0x1234
    push xCX
    push xDX
    pop xSI
    pop xDI
    pop xAX
    pop xCX
    pop xDX
    dec ebp
    jnz .top
    xor ecx, ecx
    rdpmc
    mov xSP, [SAVE_SP]
    sub eax, [PMC0]
    mov [PMC1], eax
    RESTALL
    mov eax, [PMC1]
    ret

; The same runs 8 times over in straight-line code (no branch between the
; two RDPMCs): EAX = the count, which must be RDPMC, 2 MOVs, MOV ESP, 80,
; XOR ECX = 85.
%[PFX]_cnt_line:
    SAVEALL
    mov [SAVE_SP], xSP
    xor ecx, ecx
    PAGEFIT 256
    rdpmc
    mov [PMC0], eax
    mov [PMC0 + 4], edx
    mov xSP, [TOPV]
%rep 8
    push xAX
    push xBX
    push 0x1234
    push xCX
    push xDX
    pop xSI
    pop xDI
    pop xAX
    pop xCX
    pop xDX
%endrep
    xor ecx, ecx
    rdpmc
    mov xSP, [SAVE_SP]
    sub eax, [PMC0]
    mov [PMC1], eax
    RESTALL
    mov eax, [PMC1]
    ret

; RDPMC around 12 loads in straight-line code, the 7th or 11th of which
; straddles a 4 KiB page boundary of the ROM (RDPMC 64 bytes before it):
; EAX = the count, which must be RDPMC, 2 MOVs, 12, XOR ECX = 16. (No
; stack run here: a check of the recompiler's instruction count, which
; the counts above rely on.)
%[PFX]_cnt_xpage:
    SAVEALL
    xor ecx, ecx
    jmp near .a
    times ((0x1000 - 64 - (($ - $$) & 0xFFF)) & 0xFFF) db 0xCC
.a:
    rdpmc
    mov [PMC0], eax
    mov [PMC0 + 4], edx
%rep 12
    mov eax, [REGVAL]
%endrep
    xor ecx, ecx
    rdpmc
    sub eax, [PMC0]
    mov [PMC1], eax
    RESTALL
    mov eax, [PMC1]
    ret

; The counts: the loop once, on a stack within one page; then 240 turns of
; the straight-line runs, even turns within a page (the fast path), odd
; ones across a page boundary (every run on the slow path), and of
; cnt_xpage.
%[PFX]_counts:
    cmp dword [PMC_OK], 0
    je .r
    RESET_ERRS
    mov W [TOPV], PG_IN1 + 0x800
    call %[PFX]_cnt
    cmp eax, 6 + 12 * CNT_T
    je .a
    ERR 1, 0, xAX, 6 + 12 * CNT_T
.a:
    CHKE "RDPMC: 100 turns of a self-looping block of a 5-record push run and a 5-record pop run count exactly"
    RESET_ERRS
.t:
    mov W [TOPV], PG_IN1 + 0x800
    mov ecx, 1
    test byte [TURN], 1
    jz .g
    mov W [TOPV], PAIR + 8
    mov ecx, 2
.g:
    call %[PFX]_cnt_line
    cmp eax, 85
    je .x
    ERR xCX, -1, xAX, 85
.x:
    call %[PFX]_cnt_xpage
    cmp eax, 16
    je .n
    ERR 4, -1, xAX, 16
.n:
    inc W [TURN]
    cmp W [TURN], TOTAL
    jb .t
    test dword [ERRS], 1
    CHK "RDPMC: hot straight-line push and pop runs count exactly, stack within one page"
    test dword [ERRS], 2
    CHK "RDPMC: hot straight-line push and pop runs count exactly, every run across a page boundary (the slow path)"
    test dword [ERRS], 4
    CHK "RDPMC: hot straight-line code with an instruction across a 4 KiB page boundary counts exactly"
    call %[PFX]_detail
.r:
    ret

; Accessed and dirty bits: each turn clears both in the PTE of AD_PAGE
; (INVLPG), pops 5 slots from it (A set, D still clear), pushes 5 (D set).
%[PFX]_ad:
    RESET_ERRS
.t:
    call %[PFX]_fillregs
    mov W [TOPV], AD_PAGE + 0x800
    mov W [NREC], 5
    mov ecx, 5
    call %[PFX]_pfill
    and dword [PTE_AD], ~0x60
    invlpg [AD_PAGE]
    mov [SAVE_SP], xSP
    call %[PFX]_loadregs
    mov xSP, AD_PAGE + 0x800
    POPRUN %%adpop, {}, 0, 3, 1, 6, 7
    mov xSP, [SAVE_SP]
    mov eax, [PTE_AD]
    and eax, 0x60
    cmp eax, 0x20
    je .a
    ERR 1, -1, xAX, 0x20
.a:
    call %[PFX]_loadregs
    mov xSP, AD_PAGE + 0x900
    PUSHRUN %%adpush, {}, R(0), R(3), B(7), R(1), R(2)
    mov xSP, [SAVE_SP]
    mov eax, [PTE_AD]
    and eax, 0x60
    cmp eax, 0x60
    je .b
    ERR 2, -1, xAX, 0x60
.b:
    inc W [TURN]
    cmp W [TURN], TOTAL
    jb .t
    test dword [ERRS], 1
    CHK "accessed and dirty bits: a pop run from a clean page sets A and leaves D clear"
    test dword [ERRS], 2
    CHK "accessed and dirty bits: a push run into a page with D clear sets D"
    call %[PFX]_detail
    ret
%endmacro

; ======================================================================
; real mode
; ======================================================================
bits 16
start:
    ROM_INIT
    PUTS `jit_stack: push and pop runs in hot blocks: slots, page boundaries, faults, SMC, interrupts\n`
    mov eax, 0x80000000         ; the second half needs long mode
    cpuid
    cmp eax, 0x80000001
    jb .nolm
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29
    jnz .lm_ok
.nolm:
    SKIP_TEST "no long mode (CPUID 80000001h EDX.LM = 0)"
.lm_ok:
    cld
    mov di, GDT_BASE
    mov cx, 0x1000
    xor al, al
    rep stosb
    mov si, lm_gdt
    mov di, GDT_BASE
    mov cx, lm_gdt_end - lm_gdt
    cs rep movsb
    mov si, xgdt
    mov di, GDT_BASE + GDT_FREE
    mov cx, xgdt_end - xgdt
    cs rep movsb
    o32 lgdt [cs:lm_gdtr]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp dword SEL_CODE32F:LIN(pm32_main)

; ======================================================================
; 32-bit protected mode, flat CS (labels through LIN)
; ======================================================================
USE32
pm32_main:
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, STACK_TOP
    ; IDT: 0-31 recording stubs (#PF through pf32), 20h IRQ0, rest IRET
    mov edi, IDT_BASE
    mov eax, LIN(pm_stubs)
    mov ecx, 32
.g1:
    call gate32
    add eax, 16
    add edi, 8
    loop .g1
    mov ecx, 256 - 32
    mov eax, LIN(pm_iret32)
.g2:
    call gate32
    add edi, 8
    loop .g2
    mov edi, IDT_BASE + 0x20 * 8
    mov eax, LIN(p_irq)
    call gate32
    lidt [LIN(idt32r)]
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
    mov dword [0xFEE000F0], 0x1FF
    mov dword [0xFEE00350], 0x700
    ; TSS: the ring-0 stack for exceptions at ring 3
    mov edi, TSS_BASE
    xor eax, eax
    mov ecx, 0x68 / 4
    rep stosd
    mov dword [TSS_BASE + 4], RSP0_TOP
    mov dword [TSS_BASE + 8], SEL_DATA
    mov word [TSS_BASE + 0x66], 0x68
    mov ax, SEL_TSS
    ltr ax
    ; paging: 0-4 MiB identity but NP_PAGE (not present) and RO_PAGE
    ; (read-only); linear FFFFF000h -> WRAP_PG
    mov edi, PD32
    xor eax, eax
    mov ecx, 3 * 1024
    rep stosd
    mov dword [PD32], PT32 | 7
    mov dword [PD32 + 1023 * 4], PTTOP | 7
    mov edi, PT32
    mov eax, 7
.pt:
    mov [edi], eax
    add eax, 0x1000
    add edi, 4
    cmp edi, PT32 + 4096
    jb .pt
    mov dword [PT32 + (NP_PAGE >> 12) * 4], 0
    mov dword [PT32 + (RO_PAGE >> 12) * 4], RO_PAGE | 5
    mov dword [PT32 + ((PAIR - 0x1000) >> 12) * 4], PAIR_LO | 7
    mov dword [PTTOP + 1023 * 4], WRAP_PG | 7
    mov eax, PD32
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80010000          ; PG, WP
    mov cr0, eax

    mov dword [MODE_STR], LIN(str_pm32)
    mov dword [RESUME_EIP], 0
    call p_pmc_probe
    call t32
    mov eax, cr0                ; back to real mode
    and eax, 0x7FFFFFFF
    mov cr0, eax
    jmp SEL_CODE16:pm32_exit

gate32:                         ; EDI = gate, EAX = handler (linear)
    mov [edi], ax
    mov word [edi + 2], SEL_CODE32F
    mov word [edi + 4], 0x8E00
    push eax
    shr eax, 16
    mov [edi + 6], ax
    pop eax
    ret

; PerfEvtSel0 = EN | OS | USR | event C0h (instructions retired); does
; RDPMC then count?
p_pmc_probe:
    mov dword [PMC_OK], 0
    mov [RESUME_SP], esp
    mov dword [RESUME_EIP], LIN(.no)
    mov ecx, 0x186
    mov eax, 0x004300C0
    xor edx, edx
    wrmsr
    xor ecx, ecx
    rdpmc
    mov dword [PMC_OK], 1
.no:
    mov esp, [RESUME_SP]
    mov dword [RESUME_EIP], 0
    cmp dword [PMC_OK], 0
    jne .y
    mov esi, LIN(str_nopmc)
    call p_puts
    ret
.y:
    mov edi, IDT_BASE + 14 * 8
    mov eax, LIN(pf32)
    jmp gate32

t32:
    mov dword [PG_A], PG_IN1
    mov dword [PG_B], PG_IN2
    mov dword [BOUND], PAIR
    ; ---- (a, b) push and pop runs ----
    SCEN 1, 3, "push run of 2 records (register, negative imm8)", R(0), B(-5)
    SCEN 1, 3, "push run of 5 records (registers, imm32, imm8)", R(3), D(0x12345678), R(1), B(0x7F), R(7)
    SCEN 1, 3, "push run of 16 records", P16_32
    SCEN 1, 3, "push run of 32 records", P32_32
    SCEN 1, 3, "push run of 33 records", P33_32
    SCEN 1, 3, "push run of 40 records", P40_32
    SCEN 0, 3, "pop run of 2 records", 0, 3
    SCEN 0, 3, "pop run of 5 records (ECX twice)", 3, 1, 7, 1, 6
    SCEN 0, 3, "pop run of 16 records (registers repeated)", Q16_32
    SCEN 0, 3, "pop run of 32 records", Q32_32
    SCEN 0, 3, "pop run of 33 records", Q33_32
    RING3
    SCEN 1, 3, "ring 3: push run of 16 records", P16_32
    SCEN 0, 3, "ring 3: pop run of 16 records", Q16_32
    RING0 "ring 3: the push and pop runs ended without an exception"
    mov dword [BOUND], 0
    SCEN 1, 2, "push run of 5 records wrapping at 4 GiB", R(3), D(0x12345678), R(1), B(0x7F), R(7)
    SCEN 0, 2, "pop run of 5 records wrapping at 4 GiB", 3, 1, 7, 1, 6
    mov dword [BOUND], PAIR
    call p_ad
    ; ---- (d) CR0.WP = 0: ring 0 writes a read-only page ----
    mov eax, cr0
    and eax, ~0x10000
    mov cr0, eax
    mov eax, cr3
    mov cr3, eax
    mov dword [PG_A], RO_PAGE
    mov dword [PG_B], RO_PAGE
    SCEN 1, 1, "CR0.WP = 0, ring 0: push run of 16 records into a read-only page (written)", P16_32
    mov dword [PG_A], PG_IN1
    mov dword [PG_B], PG_IN2
    mov eax, cr0
    or eax, 0x10000
    mov cr0, eax
    mov eax, cr3
    mov cr3, eax
    ; ---- (a) a self-looping block; (f) interrupts into it ----
    call p_mixes
    ; ---- (c, d) faults ----
    FSCEN 1, 3, ABOVE_NP, 6, "ring 3: push run into a not-present page, #PF at every record", FP_32
    FSCEN 1, 3, ABOVE_RO, 7, "ring 3: push run into a read-only page, #PF at every record", FP_32
    FSCEN 0, 0, NP_PAGE, 0, "ring 0: pop run from a not-present page, #PF at every record", FQ_32
    FSCEN 0, 3, NP_PAGE, 4, "ring 3: pop run from a not-present page, #PF at every record", FQ_32
    ; ---- (e) SMC ----
    call p_e1
    call p_e2
    ; ---- (g) instruction counts ----
    call p_counts
    ; ---- (h) a 16-bit stack in a flat segment ----
    call p_sp16
    ret

; ---- (a, f) the mix: a self-looping block of a push run and a pop run
; whose net effect is a permutation, then arithmetic; loops until [K] =
; [KLIMIT] or [TICKS] >= [TTARGET]. EBP is the loop's scratch.
p_mix:
.top:
    push eax
    push ecx
    push edx
    push ebx
    push ebp
    push esi
    push edi
    push dword 0x13579BDF
    push byte -100
    pop eax                     ; -100
    pop ecx                     ; 13579BDFh
    pop edx                     ; EDI (popped twice)
    pop ebx                     ; ESI
    pop ebp                     ; EBP
    pop esi                     ; EBX (popped twice)
    pop edi                     ; EDX
    pop edx                     ; ECX
    pop esi                     ; EAX
    add eax, esi
    xor ecx, edi
    rol edx, 5
    add ebx, edx
    lea edi, [edi + eax * 2 + 7]
    imul esi, esi, 0x2545F491
    add esi, ecx
    inc dword [K]
    mov ebp, [K]
    cmp ebp, [KLIMIT]
    jae .done
    mov ebp, [TICKS]
    cmp ebp, [TTARGET]
    jb .top
.done:
    ret

p_mixref:                       ; the same with MOVs only
.top:
    mov [TMP], eax
    mov [TMP + 8], edx
    mov edx, ecx
    mov ebx, esi
    mov esi, [TMP]
    mov edi, [TMP + 8]
    mov eax, -100
    mov ecx, 0x13579BDF
    add eax, esi
    xor ecx, edi
    rol edx, 5
    add ebx, edx
    lea edi, [edi + eax * 2 + 7]
    imul esi, esi, 0x2545F491
    add esi, ecx
    inc dword [K]
    mov ebp, [K]
    cmp ebp, [KLIMIT]
    jae .done
    mov ebp, [TICKS]
    cmp ebp, [TTARGET]
    jb .top
.done:
    ret

p_mix_init:
    mov eax, 0x12345678
    mov ecx, 0x9ABCDEF0
    mov edx, 0x0BADF00D
    mov ebx, 0x31415926
    mov esi, 0xDEADBEEF
    mov edi, 0x27182818
    mov ebp, 0x55AA55AA
    ret

p_save_state:
    mov [STATE + 0 * 8], eax
    mov [STATE + 1 * 8], ecx
    mov [STATE + 2 * 8], edx
    mov [STATE + 3 * 8], ebx
    mov [STATE + 6 * 8], esi
    mov [STATE + 7 * 8], edi
    ret

p_cmp_state:                    ; ZF = the registers equal STATE
    xor eax, [STATE + 0 * 8]
    xor ecx, [STATE + 1 * 8]
    xor edx, [STATE + 2 * 8]
    xor ebx, [STATE + 3 * 8]
    xor esi, [STATE + 6 * 8]
    xor edi, [STATE + 7 * 8]
    or eax, ecx
    or eax, edx
    or eax, ebx
    or eax, esi
    or eax, edi
    ret

; p_mix_run: EDX = the stack for the mix (0: the current one); [KLIMIT],
; [TTARGET] set; returns with the state in the registers.
p_mix_run:
    mov [SAVE_SP], esp
    test edx, edx
    jz .a
    mov esp, edx
.a:
    mov dword [K], 0
    call p_mix_init
    call p_mix
    mov esp, [SAVE_SP]
    ret

p_mixes:
    mov dword [KLIMIT], TOTAL
    mov dword [TTARGET], -1
    xor edx, edx
    call p_mix_run
    call p_save_state
    mov dword [K], 0
    call p_mix_init
    call p_mixref
    call p_cmp_state
    CHK "a hot self-looping block of a 9-record push run and a 9-record pop run (registers popped twice) equals the same permutation done with MOVs, 240 turns"
    mov edx, PAIR + 20
    call p_mix_run
    call p_save_state
    mov dword [K], 0
    call p_mix_init
    call p_mixref
    call p_cmp_state
    CHK "the same block with its runs across a page boundary equals the MOV-only computation"
    ; (f) PIT interrupts
    mov dword [TICKS], 0
    mov dword [HERR], 0
    mov dword [KLIMIT], KCAP
    mov dword [TTARGET], TICKS_WANT
    PIT_ON
    mov dword [K], 0
    call p_mix_init
    sti
    call p_mix
    cli
    call p_save_state
    PIT_OFF
    mov eax, [K]
    mov [K1], eax
    mov eax, [TICKS]
    mov [T1], eax
    mov dword [K], 0
    mov eax, [K1]
    mov [KLIMIT], eax
    mov dword [TTARGET], -1
    call p_mix_init
    call p_mixref
    call p_cmp_state
    pushfd
    cmp dword [T1], TICKS_WANT
    setb al
    test al, al
    CHK "PIT interrupts: 40 arrived in the hot block of push and pop runs"
    popfd
    CHK "PIT interrupts: the registers after the interrupted turns equal the MOV-only computation of as many turns"
    cmp dword [HERR], 0
    CHK "PIT interrupts: the handler's push run held its values"
    ret

; IRQ0: saves with a push run, changes registers and flags, restores
; with a pop run.
p_irq:
    push eax
    push ecx
    push edx
    push ebx
    push ebp
    push esi
    push edi
    push dword 0xA5A5A5A5
    push byte 0x7F
    mov eax, -1
    add eax, 1
    mov ecx, [esp]
    mov edx, [esp + 4]
    cmp ecx, 0x7F
    jne .bad
    cmp edx, 0xA5A5A5A5
    je .ok
.bad:
    inc dword [HERR]
.ok:
    mov ebx, ecx
    mov esi, edx
    mov edi, esp
    mov ebp, -1
    inc dword [TICKS]
    mov al, 0x20
    out 0x20, al
    add esp, 8
    pop edi
    pop esi
    pop ebp
    pop ebx
    pop edx
    pop ecx
    pop eax
    iretd
pm_iret32:
    iretd

; ---- (e1) a run whose slots are a hot routine's immediate ----
; CODE_B + 3: mov eax, imm32; ret. Patching turns push with ESP = CODE_B
; + 12: C3 90 90 90 (the RET), the new immediate, CC CC CC B8 (MOV's
; opcode); the others push onto SCR. Then the routine is called.
p_e1:
    mov edi, CODE_B
    mov esi, LIN(e1_bytes32)
    mov ecx, 12
    cld
    rep movsb
    mov dword [EXPV], 0
    RESET_ERRS
.t:
    mov eax, [TURN]
    imul edx, eax, 0x01000193
    add edx, 0x5EED0000
    mov ebx, SCR + 0x80C
    cmp eax, WARM
    jb .go
    and eax, 3
    cmp eax, 3
    jne .go
    mov ebx, CODE_B + 12
    mov [EXPV], edx
.go:
    mov [TOPV], ebx
    mov [SAVE_SP], esp
    mov esp, ebx
    jmp .run
.run:
    push dword 0x909090C3
    push edx
    push dword 0xB8CCCCCC
    mov [SP_AFTER], esp
    mov esp, [SAVE_SP]
    mov ebx, [TOPV]
    mov ecx, [ebx - 8]
    cmp dword [ebx - 4], 0x909090C3
    jne .e1
    cmp dword [ebx - 12], 0xB8CCCCCC
    jne .e1
    cmp ecx, edx
    je .s
.e1:
    ERR 1, 1, ecx, edx
.s:
    lea ecx, [ebx - 12]
    mov eax, [SP_AFTER]
    cmp eax, ecx
    je .c
    ERR 2, -1, eax, ecx
.c:
    mov eax, CODE_B + 3
    call eax
    mov ecx, [EXPV]
    cmp eax, ecx
    je .n
    ERR 4, -1, eax, ecx
.n:
    inc dword [TURN]
    cmp dword [TURN], TOTAL
    jb .t
    CHKE "SMC: a push run onto a hot routine on another page (its immediate): slots, ESP, the routine runs the new bytes"
    ret
e1_bytes32: db 0xCC, 0xCC, 0xCC, 0xB8, 0, 0, 0, 0, 0xC3, 0x90, 0x90, 0x90

; ---- (e2) a run that rewrites its own next records ----
; Copied to CODE_A. Patching turns run the run with ESP = X + 5: record 0
; (push eax) writes EAX over records 1-4, so they push the registers its
; bytes name (every register's top byte is 50h: record 1's slot puts 50h
; back at X, and the new record 4 is push eax).
c32_e2:
    mov [SAVE_SP], esp
    mov esp, [TOPV]
    jmp .x
    times 0x40 db 0xCC          ; the new records' slots
.x:
    push eax
    push ebx
    push ecx
    push edx
    push esi
    mov [SP_AFTER], esp
    mov esp, [SAVE_SP]
    ret
c32_e2_end:
%define E2X32 (CODE_A + c32_e2.x - c32_e2)

p_e2:
    mov edi, CODE_A
    mov esi, LIN(c32_e2)
    mov ecx, c32_e2_end - c32_e2
    cld
    rep movsb
    mov dword [E2_ENTRY], CODE_A
    mov dword [CUR_OPS], 0x56525153     ; push ebx, ecx, edx, esi
    RESET_ERRS
.t:
    call p_fillregs
    xor ecx, ecx
.top:
    and dword [REGVAL + ecx * 8], 0x00FFFFFF
    or dword [REGVAL + ecx * 8], 0x50000000
    inc ecx
    cmp ecx, 8
    jb .top
    mov eax, [TURN]             ; EAX: opcodes S[(3t+1)%7], S[(5t+2)%7], S[(t+4)%7], 50h
    lea eax, [eax * 2 + eax + 1]
    call p_op7
    mov bl, al
    mov eax, [TURN]
    lea eax, [eax * 4 + eax + 2]
    call p_op7
    mov bh, al
    mov eax, [TURN]
    add eax, 4
    call p_op7
    movzx eax, al
    shl eax, 16
    or eax, 0x50000000
    movzx ebx, bx
    or eax, ebx
    mov [REGVAL], eax
    mov ebx, SCR + 0x900
    mov eax, [TURN]
    cmp eax, WARM
    jb .go
    and eax, 3
    cmp eax, 3
    jne .go
    mov ebx, E2X32 + 5
.go:
    mov [TOPV], ebx
    call p_loadregs
    call dword [E2_ENTRY]
    cmp dword [TOPV], E2X32 + 5
    jne .ck
    mov eax, [REGVAL]
    mov [CUR_OPS], eax
.ck:
    mov ebx, [TOPV]
    lea ecx, [ebx - 20]
    mov eax, [SP_AFTER]
    cmp eax, ecx
    je .s0
    ERR 2, -1, eax, ecx
.s0:
    mov eax, [ebx - 4]
    mov ecx, [REGVAL]
    cmp eax, ecx
    je .s1
    ERR 1, 0, eax, ecx
.s1:
    mov esi, 1
.sl:
    movzx eax, byte [CUR_OPS + esi - 1]
    mov ecx, [REGVAL + eax * 8 - 0x50 * 8]
    lea edi, [esi + 1]
    neg edi
    mov eax, [ebx + edi * 4]
    cmp eax, ecx
    je .sn
    ERR 1, esi, eax, ecx
.sn:
    inc esi
    cmp esi, 5
    jb .sl
    movzx eax, byte [E2X32]
    cmp eax, 0x50
    jne .ce
    mov eax, [E2X32 + 1]
    cmp eax, [CUR_OPS]
    je .n
.ce:
    mov ecx, [CUR_OPS]
    ERR 4, -1, eax, ecx
.n:
    inc dword [TURN]
    cmp dword [TURN], TOTAL
    jb .t
    CHKE "SMC: a push run whose first record rewrites the next four (the registers they push): they push the new registers at once, and later turns run the new bytes"
    ret

p_op7:                          ; AL = the opcode of PUSH S[EAX mod 7]
    mov [H_SAVE], edx
    mov [H_SAVE + 8], ecx
    xor edx, edx
    mov ecx, 7
    div ecx
    mov al, [LIN(opset) + edx]
    mov ecx, [H_SAVE + 8]
    mov edx, [H_SAVE]
    ret

; ---- (h) a flat 4 GiB SS with B = 0: PUSH and POP use SP ----
; ESP's upper half is 0030h; SP 4808h-ish (slots in this page's variables
; area) or 4/8 (wrapping to FFFCh). Canaries are written at ESP-4k too,
; which puts that page in the TLB: a recompiler that took ESP would find
; it there and write at 0030xxxxh (mapped, harmless; checked unchanged).
p_sp16:
    RESET_ERRS
.t:
    call p_fillregs
    mov eax, [TURN]
    mov ebx, 0x00300000 + SP16_AT
    mov ecx, eax
    shr ecx, 1
    and ecx, 0x1C
    sub ebx, ecx
    test al, 1
    jz .a
    mov ebx, 0x00300004
    test al, 2
    jz .a
    add ebx, 4
.a:
    mov [TOPV], ebx
    mov ecx, 1                  ; canaries at SS:SP-4k, and at ESP-4k
.cf:                            ; (which puts that page in the TLB)
    lea edx, [ecx * 4]
    neg edx
    add edx, ebx
    mov dword [edx], 0xC5C5C5C5
    and edx, 0xFFFF
    mov dword [edx], 0xC5C5C5C5
    inc ecx
    cmp ecx, 4
    jb .cf
    mov [SAVE_SP], esp          ; below 64 KiB: SP and ESP agree
    mov ax, SEL_SS16F
    mov ss, ax
    call p_loadregs
    mov esp, [TOPV]
    jmp .r
.r:
    push eax
    push ebx
    push byte 0x5A
    mov [SP_AFTER], esp
    pop ecx
    pop edx
    pop esi
    mov [SP_END], esp
    mov esp, [SAVE_SP]
    call p_dumpregs
    mov ax, SEL_DATA
    mov ss, ax
    mov esp, [SAVE_SP]
    mov ebx, [TOPV]
    lea ecx, [ebx - 12]         ; SP - 12, ESP's upper half kept
    and ecx, 0xFFFF
    mov eax, ebx
    and eax, 0xFFFF0000
    or ecx, eax
    mov eax, [SP_AFTER]
    cmp eax, ecx
    je .b
    ERR 2, 0, eax, ecx
.b:
    mov eax, [SP_END]
    cmp eax, ebx
    je .c
    ERR 2, 1, eax, ebx
.c:
    mov eax, [DUMP + 1 * 8]
    cmp eax, 0x5A
    jne .d
    mov eax, [DUMP + 2 * 8]
    cmp eax, [REGVAL + 3 * 8]
    jne .d
    mov eax, [DUMP + 6 * 8]
    cmp eax, [REGVAL + 0 * 8]
    je .e
.d:
    ERR 1, -1, eax, -1
.e:
    lea edx, [ebx - 4]
    and edx, 0xFFFF
    mov eax, [edx]
    mov ecx, [REGVAL + 0 * 8]
    cmp eax, ecx
    jne .f
    lea edx, [ebx - 8]
    and edx, 0xFFFF
    mov eax, [edx]
    mov ecx, [REGVAL + 3 * 8]
    cmp eax, ecx
    jne .f
    lea edx, [ebx - 12]
    and edx, 0xFFFF
    mov eax, [edx]
    mov ecx, 0x5A
    cmp eax, ecx
    je .g
.f:
    ERR 4, edx, eax, ecx
.g:
    mov ecx, 1                  ; nothing at ESP-4k
.w:
    lea edx, [ecx * 4]
    neg edx
    add edx, ebx
    mov eax, [edx]
    cmp eax, 0xC5C5C5C5
    je .wn
    ERR 8, edx, eax, 0xC5C5C5C5
.wn:
    inc ecx
    cmp ecx, 4
    jb .w
    inc dword [TURN]
    cmp dword [TURN], TOTAL
    jb .t
    CHKE "a flat 4 GiB SS with B = 0 (a 16-bit stack): a push run and a pop run move SP only, wrapping at 64 KiB, their slots at SS:SP"
    ret

; ---- output ----
p_chk:                          ; ZF = pass; ESI name, EDI suffix or 0
    pushfd
    pushad
    lahf
    inc word [CHECKS_ADDR]
    mov ebx, LIN(rom_ok_str)
    test ah, 0x40
    jnz .p
    inc word [FAILS_ADDR]
    mov ebx, LIN(rom_fail_str)
.p:
    xchg esi, ebx
    call p_puts
    mov esi, [MODE_STR]
    call p_puts
    mov esi, ebx
    call p_puts
    test edi, edi
    jz .nl
    mov esi, edi
    call p_puts
.nl:
    mov al, 10
    out DEBUGCON_PORT, al
    popad
    popfd
    ret

p_puts:                         ; ESI (linear)
    pushad
.l:
    mov al, [esi]
    inc esi
    test al, al
    jz .d
    out DEBUGCON_PORT, al
    jmp .l
.d:
    popad
    ret

p_puthex:                       ; EAX
    pushad
    mov ebx, eax
    mov ecx, 8
.h:
    rol ebx, 4
    mov al, bl
    and al, 0x0F
    add al, '0'
    cmp al, '9'
    jbe .d
    add al, 'a' - '0' - 10
.d:
    out DEBUGCON_PORT, al
    loop .h
    popad
    ret

; ---- exceptions ----
align 16
pm_stubs:
%assign n 0
%rep 32
%if n == 8 || (n >= 10 && n <= 14) || n == 17
    push byte n
%else
    push byte 0
    nop                         ; (not a push run: the harness has none)
    push byte n
%endif
    jmp pm_exc32
    times (n + 1) * 16 - ($ - pm_stubs) db 0xCC
%assign n n + 1
%endrep

; #PF where RDPMC counts: RDPMC 4 instructions in, then the common
; recorder.
    PAGEFIT 64
pf32:
    mov [H_SAVE], eax
    mov [H_SAVE + 8], ecx
    mov [H_SAVE + 16], edx
    xor ecx, ecx
    rdpmc
    mov [PMC1], eax
    mov [PMC1 + 4], edx
    mov eax, [H_SAVE]
    mov ecx, [H_SAVE + 8]
    mov edx, [H_SAVE + 16]
    push byte 14
    jmp pm_exc32

; [esp] vector, +4 code, +8 EIP, +12 CS, +16 EFLAGS (+20 ESP, +24 SS)
pm_exc32:
    pushad
    mov ebp, esp
    cmp dword [RESUME_EIP], 0
    je .fatal
    mov eax, [ebp + 28]
    mov [REC + 0 * 8], eax
    mov eax, [ebp + 24]
    mov [REC + 1 * 8], eax
    mov eax, [ebp + 20]
    mov [REC + 2 * 8], eax
    mov eax, [ebp + 16]
    mov [REC + 3 * 8], eax
    mov eax, [ebp + 8]
    mov [REC + 5 * 8], eax
    mov eax, [ebp + 4]
    mov [REC + 6 * 8], eax
    mov eax, [ebp]
    mov [REC + 7 * 8], eax
    lea eax, [ebp + 32 + 20]    ; same privilege: the frame's end
    test byte [ebp + 32 + 12], 3
    jz .same
    mov eax, [ebp + 32 + 20]    ; from ring 3: the pushed ESP
.same:
    mov [REC_SP], eax
    mov [REC + 4 * 8], eax
    mov eax, [ebp + 32]
    mov [REC_VEC], eax
    mov eax, [ebp + 36]
    mov [REC_ERR], eax
    mov eax, [ebp + 40]
    mov [REC_EIP], eax
    mov eax, cr2
    mov [REC_CR2], eax
    inc dword [REC_CNT]
    mov esp, [RESUME_SP]
    jmp [RESUME_EIP]
.fatal:
    mov ax, SEL_DATA
    mov ds, ax
    mov esi, LIN(str_unexp)
    call p_puts
    mov eax, [ebp + 32]
    call p_puthex
    mov esi, LIN(str_code)
    call p_puts
    mov eax, [ebp + 36]
    call p_puthex
    mov esi, LIN(str_at)
    call p_puts
    mov eax, [ebp + 40]
    call p_puthex
    mov al, 10
    out DEBUGCON_PORT, al
    mov al, 1
    out EXIT_PORT, al
    hlt

SHARED

; ======================================================================
; back to real mode, then long mode
; ======================================================================
bits 16
pm32_exit:
    mov ax, SEL_DATA16
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov eax, cr0
    and al, 0xFE
    mov cr0, eax
    jmp 0xF000:real2
real2:
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov sp, 0x7C00
    LM_ENTER
    USE64
    mov edi, 6
    mov eax, LIN(l_ud)
    mov ecx, 0x8E00
    call l_gate
    mov edi, 13
    mov eax, LIN(l_gp)
    call l_gate
    mov edi, 14
    mov eax, LIN(l_pf)
    mov ecx, 0x8E02
    call l_gate
    mov edi, 0x20
    mov eax, LIN(l_irq)
    mov ecx, 0x8E00
    call l_gate
    mov edi, 0x27
    mov eax, LIN(l_iret)
    call l_gate
    mov qword [PT_BASE + (NP_PAGE >> 12) * 8], 0
    mov qword [PT_BASE + (RO_PAGE >> 12) * 8], RO_PAGE | 5
    mov qword [PT_BASE + ((PAIR - 0x1000) >> 12) * 8], PAIR_LO | 7
    mov rax, cr0
    or eax, 0x10000             ; WP
    mov cr0, rax
    mov rax, cr3
    mov cr3, rax
    mov qword [MODE_STR], LIN(str_lm64)
    mov qword [RESUME_EIP], 0
    call l_pmc_probe
    call t64
    jmp l_finish

l_pmc_probe:
    mov qword [PMC_OK], 0
    mov [RESUME_SP], rsp
    mov qword [RESUME_EIP], LIN(.no)
    mov ecx, 0x186
    mov eax, 0x004300C0
    xor edx, edx
    wrmsr
    xor ecx, ecx
    rdpmc
    mov qword [PMC_OK], 1
.no:
    mov rsp, [RESUME_SP]
    mov qword [RESUME_EIP], 0
    cmp qword [PMC_OK], 0
    jne .y
    mov esi, LIN(str_nopmc)
    call l_puts
    ret
.y:
    mov edi, 14
    mov eax, LIN(l_pf_pmc)
    mov ecx, 0x8E02
    jmp l_gate

t64:
    mov qword [PG_A], PG_IN1
    mov qword [PG_B], PG_IN2
    mov qword [BOUND], PAIR
    ; ---- (a, b) ----
    SCEN 1, 3, "push run of 2 records (R9, negative imm8)", R(9), B(-5)
    SCEN 1, 3, "push run of 5 records (registers, R12, imm32 with bit 31 set, imm8 -128)", R(3), D(0x87654321), R(12), B(-128), R(7)
    SCEN 1, 3, "push run of 16 records", P16_64
    SCEN 1, 3, "push run of 32 records", P32_64
    SCEN 1, 3, "push run of 33 records", P33_64
    SCEN 1, 3, "push run of 40 records", P40_64
    SCEN 0, 3, "pop run of 2 records (R8, R15)", 8, 15
    SCEN 0, 3, "pop run of 5 records (R9 twice)", 3, 9, 7, 9, 14
    SCEN 0, 3, "pop run of 16 records (registers repeated)", Q16_64
    SCEN 0, 3, "pop run of 32 records", Q32_64
    SCEN 0, 3, "pop run of 33 records", Q33_64
    RING3
    SCEN 1, 3, "ring 3: push run of 16 records", P16_64
    SCEN 0, 3, "ring 3: pop run of 16 records", Q16_64
    RING0 "ring 3: the push and pop runs ended without an exception"
    call l_ad
    ; ---- (d) CR0.WP = 0 ----
    mov rax, cr0
    and eax, ~0x10000
    mov cr0, rax
    mov rax, cr3
    mov cr3, rax
    mov qword [PG_A], RO_PAGE
    mov qword [PG_B], RO_PAGE
    SCEN 1, 1, "CR0.WP = 0, ring 0: push run of 16 records into a read-only page (written)", P16_64
    mov qword [PG_A], PG_IN1
    mov qword [PG_B], PG_IN2
    mov rax, cr0
    or eax, 0x10000
    mov cr0, rax
    mov rax, cr3
    mov cr3, rax
    ; ---- (a, f) ----
    call l_mixes
    ; ---- (c, d) ----
    FSCEN 1, 0, ABOVE_NP, 2, "ring 0 (IST): push run into a not-present page, #PF at every record", FP_64
    FSCEN 1, 3, ABOVE_NP, 6, "ring 3: push run into a not-present page, #PF at every record", FP_64
    FSCEN 1, 0, ABOVE_RO, 3, "ring 0 (IST), CR0.WP = 1: push run into a read-only page, #PF at every record", FP_64
    FSCEN 0, 0, NP_PAGE, 0, "ring 0: pop run from a not-present page, #PF at every record", FQ_64
    ; ---- (e) ----
    call l_e1
    call l_e2
    ; ---- (g) ----
    call l_counts
    ret

l_mix:
.top:
    push rax
    push rcx
    push rdx
    push rbx
    push rbp
    push rsi
    push rdi
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    push qword 0x2468ACE1
    push byte -3
    pop r8                      ; -3
    pop r9                      ; 2468ACE1h
    pop rax                     ; R15 (popped twice)
    pop r15                     ; R14
    pop r14                     ; R13
    pop r13                     ; R12
    pop r12                     ; R11
    pop r11                     ; R10
    pop r10                     ; R9
    pop rdi                     ; R8 (popped twice)
    pop rsi                     ; RDI
    pop rdx                     ; RSI
    pop rbp                     ; RBP
    pop rbx                     ; RBX
    pop rcx                     ; RDX
    pop rax                     ; RCX
    pop rdi                     ; RAX
    add rax, r8
    xor rcx, r9
    rol rdx, 7
    add rbx, rdx
    lea rsi, [rsi + rax * 2 + 5]
    imul rdi, rdi, 0x2545F491
    add r10, r11
    xor r11, r12
    sub r12, r13
    ror r13, 11
    add r14, r15
    bswap r15
    add r15, r8
    xor r14, r9
    inc qword [K]
    mov rbp, [K]
    cmp rbp, [KLIMIT]
    jae .done
    mov rbp, [TICKS]
    cmp rbp, [TTARGET]
    jb .top
.done:
    ret

l_mixref:
.top:
    mov [TMP + 0], rax
    mov [TMP + 8], rcx
    mov [TMP + 16], rdx
    mov [TMP + 24], rsi
    mov [TMP + 32], rdi
    mov rax, [TMP + 8]
    mov rcx, [TMP + 16]
    mov rdx, [TMP + 24]
    mov rsi, [TMP + 32]
    mov rdi, [TMP + 0]
    mov r15, r14
    mov r14, r13
    mov r13, r12
    mov r12, r11
    mov r11, r10
    mov r10, r9
    mov r8, -3
    mov r9, 0x2468ACE1
    add rax, r8
    xor rcx, r9
    rol rdx, 7
    add rbx, rdx
    lea rsi, [rsi + rax * 2 + 5]
    imul rdi, rdi, 0x2545F491
    add r10, r11
    xor r11, r12
    sub r12, r13
    ror r13, 11
    add r14, r15
    bswap r15
    add r15, r8
    xor r14, r9
    inc qword [K]
    mov rbp, [K]
    cmp rbp, [KLIMIT]
    jae .done
    mov rbp, [TICKS]
    cmp rbp, [TTARGET]
    jb .top
.done:
    ret

l_mix_init:
    mov rax, 0x123456789ABCDEF0
    mov rcx, 0x0FEDCBA987654321
    mov rdx, 0x0BADF00D0BADF00D
    mov rbx, 0x3141592653589793
    mov rsi, 0xDEADBEEFCAFEBABE
    mov rdi, 0x2718281828459045
    mov rbp, 0x55AA55AA55AA55AA
    mov r8, 0x1414213562373095
    mov r9, 0x1732050807568877
    mov r10, 0x5555AAAA5555AAAA
    mov r11, 0x0123456789ABCDEF
    mov r12, 0x7766554433221100
    mov r13, 0x0F1E2D3C4B5A6978
    mov r14, 0x6A09E667F3BCC908
    mov r15, 0xBB67AE8584CAA73B
    ret

l_save_state:
    mov [STATE + 0 * 8], rax
    mov [STATE + 1 * 8], rcx
    mov [STATE + 2 * 8], rdx
    mov [STATE + 3 * 8], rbx
    mov [STATE + 6 * 8], rsi
    mov [STATE + 7 * 8], rdi
    mov [STATE + 8 * 8], r8
    mov [STATE + 9 * 8], r9
    mov [STATE + 10 * 8], r10
    mov [STATE + 11 * 8], r11
    mov [STATE + 12 * 8], r12
    mov [STATE + 13 * 8], r13
    mov [STATE + 14 * 8], r14
    mov [STATE + 15 * 8], r15
    ret

l_cmp_state:
    xor rax, [STATE + 0 * 8]
    xor rcx, [STATE + 1 * 8]
    xor rdx, [STATE + 2 * 8]
    xor rbx, [STATE + 3 * 8]
    xor rsi, [STATE + 6 * 8]
    xor rdi, [STATE + 7 * 8]
    xor r8, [STATE + 8 * 8]
    xor r9, [STATE + 9 * 8]
    xor r10, [STATE + 10 * 8]
    xor r11, [STATE + 11 * 8]
    xor r12, [STATE + 12 * 8]
    xor r13, [STATE + 13 * 8]
    xor r14, [STATE + 14 * 8]
    xor r15, [STATE + 15 * 8]
    or rax, rcx
    or rax, rdx
    or rax, rbx
    or rax, rsi
    or rax, rdi
    or rax, r8
    or rax, r9
    or rax, r10
    or rax, r11
    or rax, r12
    or rax, r13
    or rax, r14
    or rax, r15
    ret

l_mix_run:                      ; RDX = the stack (0: the current one)
    mov [SAVE_SP], rsp
    test rdx, rdx
    jz .a
    mov rsp, rdx
.a:
    mov qword [K], 0
    call l_mix_init
    call l_mix
    mov rsp, [SAVE_SP]
    ret

l_mixes:
    mov qword [KLIMIT], TOTAL
    mov qword [TTARGET], -1
    xor edx, edx
    call l_mix_run
    call l_save_state
    mov qword [K], 0
    call l_mix_init
    call l_mixref
    call l_cmp_state
    CHK "a hot self-looping block of a 17-record push run and a 17-record pop run (registers popped twice) equals the same permutation done with MOVs, 240 turns"
    mov edx, PAIR + 40
    call l_mix_run
    call l_save_state
    mov qword [K], 0
    call l_mix_init
    call l_mixref
    call l_cmp_state
    CHK "the same block with its runs across a page boundary equals the MOV-only computation"
    mov qword [TICKS], 0
    mov qword [HERR], 0
    mov qword [KLIMIT], KCAP
    mov qword [TTARGET], TICKS_WANT
    PIT_ON
    mov qword [K], 0
    call l_mix_init
    sti
    call l_mix
    cli
    call l_save_state
    PIT_OFF
    mov rax, [K]
    mov [K1], rax
    mov rax, [TICKS]
    mov [T1], rax
    mov qword [K], 0
    mov rax, [K1]
    mov [KLIMIT], rax
    mov qword [TTARGET], -1
    call l_mix_init
    call l_mixref
    call l_cmp_state
    pushfq
    cmp qword [T1], TICKS_WANT
    setb al
    test al, al
    CHK "PIT interrupts: 40 arrived in the hot block of push and pop runs"
    popfq
    CHK "PIT interrupts: the registers after the interrupted turns equal the MOV-only computation of as many turns"
    cmp qword [HERR], 0
    CHK "PIT interrupts: the handler's push run held its values"
    ret

; ---- (e1) 64-bit: CODE_B + 6: mov rax, imm64; ret ----
l_e1:
    mov edi, CODE_B
    mov esi, LIN(e1_bytes64)
    mov ecx, 24
    cld
    rep movsb
    mov qword [EXPV], 0
    RESET_ERRS
    mov rcx, 0xB848CCCCCCCCCCCC  ; bytes 6, 7: REX.W, B8
.t:
    mov rax, [TURN]
    mov rdx, 0x0100000001B3
    imul rdx, rax
    mov rbx, 0x5EED000000000000
    add rdx, rbx
    mov ebx, SCR + 0x818
    cmp eax, WARM
    jb .go
    and eax, 3
    cmp eax, 3
    jne .go
    mov ebx, CODE_B + 24
    mov [EXPV], rdx
.go:
    mov [TOPV], rbx
    mov [SAVE_SP], rsp
    mov rsp, rbx
    jmp .run
.run:
    db 0x68                     ; push 909090C3h: C3 90 90 90 FF FF FF FF
    dd 0x909090C3
    push rdx
    push rcx
    mov [SP_AFTER], rsp
    mov rsp, [SAVE_SP]
    mov rbx, [TOPV]
    mov rsi, [rbx - 16]
    mov rax, 0xFFFFFFFF909090C3
    cmp [rbx - 8], rax
    jne .e1
    cmp [rbx - 24], rcx
    jne .e1
    cmp rsi, rdx
    je .s
.e1:
    ERR 1, 1, rsi, rdx
.s:
    lea rsi, [rbx - 24]
    mov rax, [SP_AFTER]
    cmp rax, rsi
    je .c
    ERR 2, -1, rax, rsi
.c:
    mov eax, CODE_B + 6
    call rax
    mov rsi, [EXPV]
    cmp rax, rsi
    je .n
    ERR 4, -1, rax, rsi
.n:
    inc qword [TURN]
    cmp qword [TURN], TOTAL
    jb .t
    CHKE "SMC: a push run onto a hot routine on another page (its immediate): slots, RSP, the routine runs the new bytes"
    ret
e1_bytes64:
    db 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0x48, 0xB8
    dq 0
    db 0xC3, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90

; ---- (e2) 64-bit: record 0 (push rax) writes RAX over records 1-8 ----
c64_e2:
    mov [SAVE_SP], rsp
    mov rsp, [TOPV]
    jmp .x
    times 0x60 db 0xCC
.x:
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push rbx
    push rcx
    mov [SP_AFTER], rsp
    mov rsp, [SAVE_SP]
    ret
c64_e2_end:
%define E2X64 (CODE_A + c64_e2.x - c64_e2)

l_e2:
    mov edi, CODE_A
    mov esi, LIN(c64_e2)
    mov ecx, c64_e2_end - c64_e2
    cld
    rep movsb
    mov qword [E2_ENTRY], CODE_A
    mov rax, 0x5153555756525153
    mov [CUR_OPS], rax
    RESET_ERRS
.t:
    call l_fillregs
    xor ecx, ecx
    mov rdx, 0x00FFFFFFFFFFFFFF
    mov rsi, 0x5000000000000000
.top:
    and [REGVAL + rcx * 8], rdx
    or [REGVAL + rcx * 8], rsi
    inc ecx
    cmp ecx, 16
    jb .top
    mov r8, rsi                 ; RAX: S[((2k+1)t + k) mod 7] for k = 1..7, then 50h
    mov r9d, 1
.op:
    lea eax, [r9 * 2 + 1]
    imul eax, [TURN]
    add eax, r9d
    call l_op7
    movzx eax, al
    lea ecx, [r9 * 8 - 8]
    shl rax, cl
    or r8, rax
    inc r9d
    cmp r9d, 8
    jb .op
    mov [REGVAL], r8
    mov ebx, SCR + 0x900
    mov rax, [TURN]
    cmp eax, WARM
    jb .go
    and eax, 3
    cmp eax, 3
    jne .go
    mov ebx, E2X64 + 9
.go:
    mov [TOPV], rbx
    call l_loadregs
    call qword [E2_ENTRY]
    cmp qword [TOPV], E2X64 + 9
    jne .ck
    mov rax, [REGVAL]
    mov [CUR_OPS], rax
.ck:
    mov rbx, [TOPV]
    lea rcx, [rbx - 72]
    mov rax, [SP_AFTER]
    cmp rax, rcx
    je .s0
    ERR 2, -1, rax, rcx
.s0:
    mov rax, [rbx - 8]
    mov rcx, [REGVAL]
    cmp rax, rcx
    je .s1
    ERR 1, 0, rax, rcx
.s1:
    mov esi, 1
.sl:
    movzx eax, byte [CUR_OPS + rsi - 1]
    mov rcx, [REGVAL + rax * 8 - 0x50 * 8]
    lea rdi, [rsi + 1]
    neg rdi
    mov rax, [rbx + rdi * 8]
    cmp rax, rcx
    je .sn
    ERR 1, rsi, rax, rcx
.sn:
    inc esi
    cmp esi, 9
    jb .sl
    movzx eax, byte [E2X64]
    cmp eax, 0x50
    jne .ce
    mov rax, [E2X64 + 1]
    cmp rax, [CUR_OPS]
    je .n
.ce:
    mov rcx, [CUR_OPS]
    ERR 4, -1, rax, rcx
.n:
    inc qword [TURN]
    cmp qword [TURN], TOTAL
    jb .t
    CHKE "SMC: a push run whose first record rewrites the next eight (the registers they push): they push the new registers at once, and later turns run the new bytes"
    ret

l_op7:
    mov [H_SAVE], rdx
    mov [H_SAVE + 8], rcx
    xor edx, edx
    mov ecx, 7
    div ecx
    mov al, [LIN(opset) + rdx]
    mov rcx, [H_SAVE + 8]
    mov rdx, [H_SAVE]
    ret

l_chk:                          ; ZF = pass; RSI name, RDI suffix or 0
    pushfq
    SAVEALL
    lahf
    inc word [CHECKS_ADDR]
    mov rbx, rsi
    mov esi, LIN(rom_ok_str)
    test ah, 0x40
    jnz .p
    inc word [FAILS_ADDR]
    mov esi, LIN(rom_fail_str)
.p:
    call l_puts
    mov rsi, [MODE_STR]
    call l_puts
    mov rsi, rbx
    call l_puts
    test rdi, rdi
    jz .nl
    mov rsi, rdi
    call l_puts
.nl:
    mov al, 10
    out DEBUGCON_PORT, al
    RESTALL
    popfq
    ret

l_puts:                         ; RSI
    SAVEALL
.l:
    mov al, [rsi]
    inc rsi
    test al, al
    jz .d
    out DEBUGCON_PORT, al
    jmp .l
.d:
    RESTALL
    ret

l_puthex:                       ; RAX: 16 digits
    SAVEALL
    mov rbx, rax
    mov ecx, 16
.h:
    rol rbx, 4
    mov al, bl
    and al, 0x0F
    add al, '0'
    cmp al, '9'
    jbe .d
    add al, 'a' - '0' - 10
.d:
    out DEBUGCON_PORT, al
    dec ecx
    jnz .h
    RESTALL
    ret

l_finish:                       ; the summary line and the exit
    mov esi, LIN(rom_sum_str)
    call l_puts
    movzx eax, word [CHECKS_ADDR]
    call l_puthex
    mov esi, LIN(rom_sum2_str)
    call l_puts
    movzx eax, word [FAILS_ADDR]
    call l_puthex
    mov al, 10
    out DEBUGCON_PORT, al
    xor al, al
    cmp word [FAILS_ADDR], 0
    je .x
    mov al, 1
.x:
    out EXIT_PORT, al
    hlt

; l_gate: vector EDI -> handler RAX (linear), ECX = type << 8 | IST
; (lm.inc's SET_GATE64 saves with a push run).
l_gate:
    jmp lm_set_gate64

; ---- exceptions and interrupts ----
l_ud:
    lea rsp, [rsp - 16]
    mov qword [rsp], 6
    mov qword [rsp + 8], 0
    jmp l_rec
l_gp:
    push 13
    jmp l_rec
l_pf:                           ; on IST2
    push 14
    jmp l_rec
    PAGEFIT 64
l_pf_pmc:                       ; where RDPMC counts: RDPMC 4 instructions in
    mov [H_SAVE], rax
    mov [H_SAVE + 8], rcx
    mov [H_SAVE + 16], rdx
    xor ecx, ecx
    rdpmc
    mov [PMC1], eax
    mov [PMC1 + 4], edx
    mov rax, [H_SAVE]
    mov rcx, [H_SAVE + 8]
    mov rdx, [H_SAVE + 16]
    push 14
    jmp l_rec
; [rsp] vector, +8 code, +16 RIP, +24 CS, +32 RFLAGS, +40 RSP, +48 SS
l_rec:
    cmp qword [RESUME_EIP], 0
    je lm_exc64                 ; unexpected: lm.inc reports it
    mov [REC + 0 * 8], rax
    mov [REC + 1 * 8], rcx
    mov [REC + 2 * 8], rdx
    mov [REC + 3 * 8], rbx
    mov [REC + 5 * 8], rbp
    mov [REC + 6 * 8], rsi
    mov [REC + 7 * 8], rdi
    mov [REC + 8 * 8], r8
    mov [REC + 9 * 8], r9
    mov [REC + 10 * 8], r10
    mov [REC + 11 * 8], r11
    mov [REC + 12 * 8], r12
    mov [REC + 13 * 8], r13
    mov [REC + 14 * 8], r14
    mov [REC + 15 * 8], r15
    mov rax, [rsp + 40]
    mov [REC_SP], rax
    mov [REC + 4 * 8], rax
    mov rax, [rsp]
    mov [REC_VEC], rax
    mov rax, [rsp + 8]
    mov [REC_ERR], rax
    mov rax, [rsp + 16]
    mov [REC_EIP], rax
    mov rax, cr2
    mov [REC_CR2], rax
    inc qword [REC_CNT]
    mov rax, [RESUME_EIP]       ; on at RESUME_EIP, ring 0, RSP = RESUME_SP
    mov [rsp + 16], rax
    mov qword [rsp + 24], SEL_CODE64
    mov qword [rsp + 32], 2
    mov rax, [RESUME_SP]
    mov [rsp + 40], rax
    mov qword [rsp + 48], SEL_DATA
    add rsp, 16
    iretq

l_irq:                          ; IRQ0: a push run, changes, a pop run
    push rax
    push rcx
    push rdx
    push rbx
    push rbp
    push rsi
    push rdi
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    push qword 0x5A5A5A5A
    push byte 0x7F
    mov rax, -1
    add rax, 1
    mov rcx, [rsp]
    mov rdx, [rsp + 8]
    cmp rcx, 0x7F
    jne .bad
    cmp rdx, 0x5A5A5A5A
    je .ok
.bad:
    inc qword [HERR]
.ok:
    mov rbx, rcx
    mov rsi, rdx
    mov rdi, rsp
    mov r8, rcx
    mov r9, rdx
    mov r10, -1
    mov r11, r10
    mov r12, r10
    mov r13, r10
    mov r14, r10
    mov r15, r10
    mov rbp, r10
    inc qword [TICKS]
    mov al, 0x20
    out 0x20, al
    add rsp, 16
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rdi
    pop rsi
    pop rbp
    pop rbx
    pop rdx
    pop rcx
    pop rax
    iretq
l_iret:
    iretq

SHARED

; ======================================================================
; data
; ======================================================================
xgdt:
    DESC 0xF0000, 0xFFFF, 0x9B, 0x0     ; SEL_CODE16
    DESC 0, 0xFFFF, 0x93, 0x0           ; SEL_DATA16
    DESC 0, 0xFFFFF, 0x93, 0x8          ; SEL_SS16F: G = 1, B = 0
xgdt_end:
idt32r: dw 256 * 8 - 1
        dd IDT_BASE
opset:  db 0x50, 0x51, 0x52, 0x53, 0x55, 0x56, 0x57

str_pm32:  db "pm32 ", 0
str_lm64:  db "lm64 ", 0
str_ph0:   db ", stack within one page", 0
str_ph1:   db ", a page boundary swept over every slot position", 0
str_d0:    db "  (error bits ", 0
str_d1:    db ", first failing turn ", 0
str_d2:    db ", check ", 0
str_d3:    db " at ", 0
str_d4:    db ": got ", 0
str_d5:    db " want ", 0
str_d6:    db `)\n`, 0
str_unexp: db "FAIL pm32 unexpected exception ", 0
str_code:  db " code ", 0
str_at:    db " at ", 0
str_nopmc: db `note: RDPMC does not count retired instructions here (#UD or #GP): the instruction-count checks are left out\n`, 0
asp_p0: db ": the slots of the records before the fault hold their values", 0
asp_p1: db ": ESP/RSP at the fault moved by those records only", 0
asp_p2: db ": the registers unchanged", 0
asp_p3: db ": no byte of the faulting slot (nor above the run) written", 0
asp_q0: db ": the registers popped before the fault hold their slots, the others keep their values", 0
asp_x:  db "", 0
asp_5:  db ": #PF with the right error code and CR2, one per turn", 0
asp_6:  db ": the pushed EIP/RIP is the faulting record's", 0
asp_7:  db ": RDPMC counts exactly the instructions before the fault", 0
align 4
asp_push: dd LIN(asp_p0), LIN(asp_p1), LIN(asp_p2), LIN(asp_p3), LIN(asp_x), LIN(asp_5), LIN(asp_6), LIN(asp_7)
asp_pop:  dd LIN(asp_q0), LIN(asp_p1), LIN(asp_x), LIN(asp_x), LIN(asp_x), LIN(asp_5), LIN(asp_6), LIN(asp_7)

    LM_LIB
ROM_END
