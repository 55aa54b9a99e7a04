; jit_follow.asm — hot blocks that go on past forward JMPs. The recompiler
; gathers a block straight on past an unconditional direct JMP (EB rel8,
; E9 rel32, no 66 prefix) whose target lies further on in the same 4 KiB
; page (up to four a block, for code with a flat CS): the JMP emits no
; code, the records after it sit where the target is, and the block's byte
; range runs to the end of its furthest record. All of that must stay
; exact. In 32-bit protected mode with paging (flat CS) and in 64-bit
; mode, each case runs 80 to 640 turns (translated at the first visit
; under check.sh's [jit] row, and at the default threshold of 50 visits):
;  a. chains of 1 to 6 forward JMPs (EB and E9, gaps of 0 to 1000 bytes,
;     JMP $+2 among them, a Jcc side exit in some) between units of work:
;     register arithmetic, loads and stores, flags set before a JMP and
;     read after it (ADC, SBB, SETcc, CMOVcc), a CALL that pushes its own
;     address, in 64-bit code RIP-relative loads and R8-R14; each against
;     the same units without the JMPs ("straight"): registers, flags,
;     memory; at ring 0 and ring 3. Also a Jcc into the skipped gap, a JMP
;     into the middle of another instruction, and JMPs around the
;     recompiler's 64-record block limit.
;  b. faults (#PF on a not-present page, #DE, #UD, #GP) at the first
;     instruction after the 1st, 2nd, 3rd and 5th JMP and a unit later:
;     vector, error code, CR2, the pushed EIP/RIP (the faulting
;     instruction's), registers and flags as the straight code's at its
;     fault (the work before the JMPs done, none after); ring 0 and 3.
;  c. where RDPMC counts retired instructions (PerfEvtSel0 event C0h:
;     rawbox, real CPUs; not QEMU's TCG, where a note says so), every case
;     of (a), (b) and (e) at ring 0 counts exactly the straight code's
;     instructions plus the JMPs, faults included (part of the case's
;     check: error bit 80h in its detail line).
;  d. self-modifying code: stores between runs into the JMP's target
;     instruction, its displacement (to other targets, to JMP $+2), its
;     opcode (a 2-byte NOP in its place) and the skipped gap; stores
;     inside the block, before the JMP, into its target, into a later
;     JMP's displacement and its gap, and after two JMPs into a third's
;     target: each run executes the bytes as they are then.
;  e. a JMP to offset FFDh whose instruction runs into the next page: the
;     next page not present when first translated (#PF, CR2 = the next
;     page), then present in one of two frames swapped with INVLPG and
;     patched through both pages, then not present again (ring 0 and 3);
;     JMPs to FFFh (a 1-byte instruction) and FFDh (two instructions, the
;     second at FFFh) that go on into the next page.
;  f. (32-bit) JMPs with a 66 prefix (EB and E9 with 16-bit operand size)
;     at 10F1xxh: EIP wraps to 0F1xxh, not to the target in the JMP's page.
;     (Not in 64-bit mode, where Intel CPUs ignore the prefix on a near JMP
;     and AMD ones do not.)
;  g. single-step traps (TF) through code with JMPs, hot before: one trap
;     per instruction, each at the next instruction's address.
;  h. PIT interrupts (about 4 kHz) into a hot self-looping block that
;     goes on past two JMPs: every interrupted EIP an instruction of the
;     loop (none in a gap), the registers and memory after the interrupted
;     turns as the straight loop's after as many.
; Check lines carry the mode ("pm32", "lm64") and the ring. A failure's
; detail line gives its error bits (1 registers, 2 EFLAGS, 4 memory, 8/10h/
; 20h the JMP code's fault vector or error code/EIP/CR2, 40h the straight
; code's, 80h RDPMC, 100h/200h a case's own check). Intel SDM vol. 2A JMP
; (operand size, EIP wrap), vol. 3A 4.7 (page-fault error code), 6.15,
; 8.1.3 and 11.6 (self-modifying code), vol. 3B 17.3.1.4 (single-step),
; 20 (RDPMC).
;
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "lm.inc"

; ---- variables (linear = physical) ----
%define VB         0x4000
%define REGVAL     (VB + 0x000)     ; 16 slots: the registers of a run (4: EFLAGS)
%define DUMPB      (VB + 0x080)     ; 32 slots: registers after it (4: EFLAGS, 16: ESP)
%define REC        (VB + 0x180)     ; 16 slots: the registers at an exception
%define MEMB       (VB + 0x200)     ; 256 bytes the code under test works on
%define RJ         (VB + 0x300)     ; a run's results (DUMPB, MEMB, fault,
%define RS         (VB + 0x600)     ; RDPMC): of the JMP code, of the straight code
%define R_MEM      0x100
%define R_VEC      0x200
%define R_ERR      0x208
%define R_EIP      0x210
%define R_CR2      0x218
%define R_PMC      0x220
%define TRACE      (VB + 0x900)     ; 32 slots: the single-step trace
%define MISC       (VB + 0xA00)
%define TURN       (MISC + 0x000)
%define ERRS       (MISC + 0x008)   ; error bits of this case
%define FIRST      (MISC + 0x010)   ; its first failing turn (-1: none),
%define F_BIT      (MISC + 0x018)   ; and that failure's bit, index, got,
%define F_K        (MISC + 0x020)   ; want
%define F_GOT      (MISC + 0x028)
%define F_WANT     (MISC + 0x030)
%define E_BIT      (MISC + 0x038)   ; a failure (ERR)
%define E_K        (MISC + 0x040)
%define E_GOT      (MISC + 0x048)
%define E_WANT     (MISC + 0x050)
%define REC_VEC    (MISC + 0x058)   ; the last exception (-1: none)
%define REC_ERR    (MISC + 0x060)
%define REC_EIP    (MISC + 0x068)
%define REC_FL     (MISC + 0x070)
%define REC_CR2    (MISC + 0x078)
%define RESUME_EIP (MISC + 0x080)   ; 0: an exception is unexpected
%define RESUME_SP  (MISC + 0x088)
%define CALLT      (MISC + 0x090)   ; the code a run calls
%define RING       (MISC + 0x098)   ; byte: 0 or 3
%define PMC_OK     (MISC + 0x0A0)   ; byte: RDPMC counts instructions
%define PMC_CHK    (MISC + 0x0A8)   ; byte: ... and this case counts them
%define PMC0       (MISC + 0x0B0)
%define PMC1       (MISC + 0x0B8)
%define S_AX       (MISC + 0x0C0)   ; the recorder's saves
%define S_CX       (MISC + 0x0C8)
%define S_DX       (MISC + 0x0D0)
%define P_SALT     (MISC + 0x0D8)   ; salt of a case's inputs
%define P_FLMASK   (MISC + 0x0E0)   ; the EFLAGS bits compared
%define P_PRE      (MISC + 0x0E8)   ; a routine after the inputs are made
%define ZERO       (MISC + 0x0F0)   ; always 0: the divisor of #DE
%define BADSEL     (MISC + 0x0F8)   ; FFF8h: a selector past the GDT limit
%define TICKS      (MISC + 0x100)   ; IRQ0s
%define IRQ_BAD    (MISC + 0x108)   ; IRQ0s from outside IRQ_LO..IRQ_HI or
%define IRQ_LO     (MISC + 0x110)   ; in GAP1 or GAP2
%define IRQ_HI     (MISC + 0x118)
%define GAP1_LO    (MISC + 0x120)
%define GAP1_HI    (MISC + 0x128)
%define GAP2_LO    (MISC + 0x130)
%define GAP2_HI    (MISC + 0x138)
%define KCOUNT     (MISC + 0x140)   ; turns of the interrupted loop
%define KLEFT      (MISC + 0x148)   ; turns left to the straight one
%define K1         (MISC + 0x150)
%define T1         (MISC + 0x158)
%define TRACE_N    (MISC + 0x160)   ; single steps in TR_LO..TR_HI
%define TR_LO      (MISC + 0x168)
%define TR_HI      (MISC + 0x170)
%define CUR_ADD    (MISC + 0x178)   ; SMC: what the code adds now,
%define IMMV       (MISC + 0x180)   ; the target's immediate,
%define PATCHN     (MISC + 0x188)   ; the stores made
%define MODE_STR   (MISC + 0x190)
%define CUR_CASE   (MISC + 0x198)   ; the case table's entry
%define CT_FIELDS  (MISC + 0x1A0)   ; a case (its table entry, CT):
%define P_J        (CT_FIELDS + 0 * 8)  ; the JMP code
%define P_S        (CT_FIELDS + 1 * 8)  ; the straight code
%define P_NJ       (CT_FIELDS + 2 * 8)  ; JMPs the first runs more
%define P_TURNS    (CT_FIELDS + 4 * 8)  ; (3: the ring)
%define P_VEC      (CT_FIELDS + 5 * 8)  ; the fault wanted (-1: none),
%define P_ERR      (CT_FIELDS + 6 * 8)  ; its error code (-1: none),
%define P_EJ       (CT_FIELDS + 7 * 8)  ; EIP in the JMP code,
%define P_ES       (CT_FIELDS + 8 * 8)  ; in the straight code,
%define P_CR2      (CT_FIELDS + 9 * 8)  ; CR2 (-1: not compared)
%define CT_PRE     (CT_FIELDS + 10 * 8) ; a routine before the case
%define P_TURNHOOK (CT_FIELDS + 11 * 8) ; one before each turn
%define P_HOOK     (CT_FIELDS + 12 * 8) ; one after each comparison
%define CT_NAME    (CT_FIELDS + 13 * 8)
%define SEEDM      (VB + 0xD00)     ; MEMB as made for this turn

; ---- pages ----
%define PD32     0x14000            ; 32-bit paging: PD and the PT of 0-4 MiB
%define PT32     0x15000
%define MB32     0x100000           ; the 32-bit code under test
%define MB64     0x180000           ; the 64-bit code under test
%define NP_PAGE  0x1F0000           ; not present
%define FRAME_B  0x1E0000           ; frames for the page after PX1
%define FRAME_C  0x1E1000
; per mode, from MB: 10000h-2FFFFh code packed, 30000h SMC from outside,
; 31000h SMC inside, 32000h/33000h (PX1/PN1) across a page into a page
; that moves, 34000h/35000h (PX2/PN2) JMPs to the page's last bytes
%define PX1      (MB + 0x32000)
%define PN1      (MB + 0x33000)
%define PX2      (MB + 0x34000)

%define SEL_CODE16 (GDT_FREE)
%define SEL_DATA16 (GDT_FREE + 8)

%define TURNS      128              ; a case's turns at ring 0 and at ring 3
%define TURNS3     80               ; (the default threshold is 50 visits)
%define FLAGS_ALL  0xCD5            ; CF PF AF ZF SF DF OF
%define KCAP       3000000
%define TICKS_WANT 40
%define PIT_DIV    298              ; about 4 kHz

; ---- modes ----
%macro USE32 0
bits 32
%define SZ 4
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
%define SAVESZ 32
%define PFX p
%define MB MB32
%define PTE(a) (PT32 + ((a) >> 12) * 4)
%define GPERR 0xFFF8
%endmacro

%macro USE64 0
bits 64
%define SZ 8
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
%define SAVESZ 120
%define PFX l
%define MB MB64
%define PTE(a) (PT_BASE + ((a) >> 12) * 8)
%define GPERR 0
%endmacro

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

%macro LOADREGS 0               ; every register but ESP/RSP from REGVAL
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

%macro DUMP 0                   ; every register, EFLAGS and ESP to DUMPB
    mov [DUMPB + 0 * 8], xAX
    mov [DUMPB + 1 * 8], xCX
    mov [DUMPB + 2 * 8], xDX
    mov [DUMPB + 3 * 8], xBX
    mov [DUMPB + 5 * 8], xBP
    mov [DUMPB + 6 * 8], xSI
    mov [DUMPB + 7 * 8], xDI
%if __?BITS?__ == 64
    mov [DUMPB + 8 * 8], r8
    mov [DUMPB + 9 * 8], r9
    mov [DUMPB + 10 * 8], r10
    mov [DUMPB + 11 * 8], r11
    mov [DUMPB + 12 * 8], r12
    mov [DUMPB + 13 * 8], r13
    mov [DUMPB + 14 * 8], r14
    mov [DUMPB + 15 * 8], r15
%endif
    pushf
    pop W [DUMPB + 4 * 8]
    mov [DUMPB + 16 * 8], xSP
%endmacro

%macro DATA0 0                  ; ring-0 data segments again
    mov ax, SEL_DATA
%if __?BITS?__ == 32
    mov ds, ax
    mov es, ax
%else
    mov ss, ax
%endif
%endmacro

; CHK "name"[, "more"]: ZF = pass; registers and flags kept. The name is
; the CALL's return address: the harness itself has no forward JMP (they
; are what is tested), so a broken follow fails the checks, not the
; harness.
%macro CHK 1+
    lea xSP, [xSP - 2 * SZ]
    mov [xSP], xSI
    mov [xSP + SZ], xDI
    mov edi, 0
    call %%s
    db %1, 0
%%s:
    pop xSI
    call %[PFX]_chk
    mov xSI, [xSP]
    mov xDI, [xSP + SZ]
    lea xSP, [xSP + 2 * SZ]
%endmacro

; ERR bit, index, got (register), want: note a failed comparison of this
; turn (the first one is kept for the report). Clobbers xDX.
%macro ERR 4
    mov W [E_BIT], %1
    mov W [E_K], %2
    mov [E_GOT], %3
    mov xDX, %4
    mov [E_WANT], xDX
    call %[PFX]_err
%endmacro

; ---- the code under test ----
; Snippets are assembled in the ROM and copied to RAM (copysnips) where
; they run: SNIP name, address; ENDSNIP name. RT(snippet, label): where a
; label of it runs. SNIPP name: the next free place in the packed area,
; not across a page boundary.
%define RT(s, x) ((x) - (s) + s %+ _dst)
%define PACK_AT(a, len) ((a) + ((((a) & 0xFFF) + (len) > 0x1000) * (0x1000 - ((a) & 0xFFF))))

%macro SNIP 2
    align 4, db 0xCC
    dd %1_end - %1, %2
%1_dst equ %2
%1:
%endmacro

%macro SNIPP 1
    SNIP %1, PACK_AT(SNIP_NEXT, %1_end - %1)
%xdefine SNIP_NEXT ((%1_dst + %1_end - %1 + 15) & ~15)
%endmacro

%macro ENDSNIP 1
%1_end:
%endmacro

; A table for the RIP-relative loads of the units (64-bit).
%macro TBL 1
%if __?BITS?__ == 64
    align 8, db 0xCC
%1_tbl:
    dq 0x0123456789ABCDEF, 0x13579BDF02468ACE, 0xFEDCBA9876543210, 0x0F1E2D3C4B5A6978
    dq 0x1122334455667788, 0x99AABBCCDDEEFF00, 0x5A5A5A5AA5A5A5A5, 0x3C3C3C3CC3C3C3C3
%endif
%endmacro

; U k, snippet, jcc: unit of work k. Each starts by reading the flags the
; one before left (ADC, SBB, SETcc, CMOVcc) and ends with an instruction
; that defines all six (no flag an instruction leaves undefined is read).
; jcc: a JC over one instruction in unit 1 (a side exit of the block).
%macro U 3
%assign %%m (%1) % 4
%assign %%o1 (((%1) * 24) & 0x78)
%assign %%o2 ((((%1) + 3) * 40) & 0x78)
%if %%m == 0
    adc xAX, xBX
    mov [MEMB + %%o1], xAX
    rol xCX, ((%1) % 7) + 1
    add xDX, [MEMB + %%o2]
    lea xSI, [xSI + xAX * 2 + (%1) + 1]
 %if __?BITS?__ == 64
    adc r8, r9
    mov r10, [rel %2_tbl + (((%1) * 8) & 0x38)]
    xor r9, r10
 %endif
    sub xDX, xSI
%elif %%m == 1
    setb byte [MEMB + 0x80 + (%1)]
    cmovs xBX, xDX
    sbb xDI, 0x1234 + (%1)
 %if %3
    jc %%over
    add xBX, 0x77
%%over:
 %endif
    xor [MEMB + %%o2], xDI
 %if __?BITS?__ == 64
    lea r11, [r8 + r12 * 4 + (%1)]
    add r12, [rel %2_tbl + ((((%1) + 2) * 8) & 0x38)]
 %endif
    imul xBP, xAX, 0x9E37 + (%1)
    cmp xBP, xCX
%elif %%m == 2
    cmovl xSI, xAX
    adc xCX, [MEMB + %%o1]
    setnz al
    shl xDX, 3
    or xBX, xDX
 %if __?BITS?__ == 64
    sbb r13, r14
    mov [MEMB + 0x40 + %%o2 / 2], r13
 %endif
    neg xBP
%else
    sbb xAX, xDI
    mov xDI, [MEMB + %%o1]
    dec xDX
    setc byte [MEMB + 0xA0 + (%1)]
    add [MEMB + %%o2], xBX
    bswap xCX
 %if __?BITS?__ == 64
    adc r14, rax
    xchg r8, r11
 %endif
    add xSI, xBX
%endif
%endmacro

; JUMP g: g >= 0: JMP rel8 over g bytes; g < 0: JMP rel32 over -g-1
; bytes. The gap holds CMCs (F5): run by mistake, they flip CF.
%macro JUMP 1
%if (%1) >= 0
    db 0xEB, (%1)
    times (%1) db 0xF5
%else
    db 0xE9
    dd -(%1) - 1
    times -(%1) - 1 db 0xF5
%endif
%endmacro

; The faulting instruction of a chain (in its context): 1 #PF (a load
; from the not-present page), 2 #DE, 3 #UD, 4 #GP (32-bit: MOV DS of a
; selector past the GDT limit, #GP(FFF8h); 64-bit: a load from a
; non-canonical address, #GP(0)).
%macro FAULTI 0
%$flt:
%if %$fk == 1
    add xSI, [NP_PAGE + 0x100 + 8 * %$k]
%[%$sn]_cr2 equ NP_PAGE + 0x100 + 8 * %$k
%elif %$fk == 2
    div W [ZERO]
%elif %$fk == 3
    ud2
%elif __?BITS?__ == 64
    mov rax, [qword 0x8000000000000000]
%else
    mov ds, [BADSEL]
%endif
%[%$sn]_fault equ RT(%$sn, %$flt)
%endmacro

; CHAIN name, straight, jcc unit (-1: none), fault kind (0: none), fault
; place (2u: the start of unit u, the first instruction after JMP u;
; 2u+1: its end), JUMP codes...: units 0..n with a JMP after each but
; the last (none when straight); before the last unit, CALL/POP of its
; own address less where it should be (0 in MEMB[F8h]).
%macro CHAIN 5-*
    %push chain
    %xdefine %$sn %1
    %assign %$st %2
    %assign %$jc %3
    %assign %$fk %4
    %assign %$fp %5
    %assign %$n %0 - 5
    %rotate 5
    %assign %$k 0
    %rep %$n + 1
        %if %$k == %$n
            call %$ge
%$ge:
            pop W [MEMB + 0xF8]
            sub W [MEMB + 0xF8], RT(%$sn, %$ge)
        %endif
        %if %$fk && %$fp == 2 * %$k
            FAULTI
        %endif
        U %$k, %$sn, %$jc == %$k
        %if %$fk && %$fp == 2 * %$k + 1
            FAULTI
        %endif
        %if %$k < %$n
            %if %$st == 0
                JUMP %1
            %endif
            %rotate 1
        %endif
        %assign %$k %$k + 1
    %endrep
    ret
    TBL %$sn
    %pop
%endmacro

; PAIR name, jcc, fault kind, fault place, JUMP codes...: name_j (with
; the JMPs) and name_s (straight), packed.
%macro PAIR 5-*
    SNIPP %1_j
    CHAIN %1_j, 0, %{2:-1}
    ENDSNIP %1_j
    SNIPP %1_s
    CHAIN %1_s, 1, %{2:-1}
    ENDSNIP %1_s
%endmacro

; BMB lead, straight: `lead` one-instruction units, then four JMPs with
; an instruction after each: with 59 the third JMP is the 64th record
; (the block is full: not followed), with 60 the second JMP's target is
; the 64th (the block ends there and falls through).
%macro BMB 2
%assign %%k 0
%rep %1
 %if %%k % 3 == 0
    lea xAX, [xAX + xCX + %%k]
 %elif %%k % 3 == 1
    adc xCX, xAX
 %else
    add xDX, xCX
 %endif
 %assign %%k %%k + 1
%endrep
%if !%2
    JUMP 3
%endif
    sbb xBX, xDX
%if !%2
    JUMP -6
%endif
    add xSI, xBX
%if !%2
    JUMP 2
%endif
    adc xDI, xSI
%if !%2
    JUMP 4
%endif
    sub xBP, xDI
    ret
%endmacro

; REC_H vector, error code pushed?: the recorder's entry. RDPMC first
; (where counting: the same instructions before it at every entry).
%macro REC_H 2
%[PFX]_h%1:
%if %2 == 0
    push byte -1
%endif
    mov [S_AX], xAX
    mov [S_CX], xCX
    mov [S_DX], xDX
    cmp byte [PMC_CHK], 0
    je %%n
    xor ecx, ecx
    rdpmc
    mov [PMC1], eax
    mov [PMC1 + 4], edx
%%n:
    mov W [REC_VEC], %1
    call %[PFX]_rec
%endmacro

; The comparisons of %[PFX]_cmp: CMPSN, REPE CMPS of the mode's words.
%macro CMPSN 0
%if __?BITS?__ == 64
    repe cmpsq
%else
    repe cmpsd
%endif
%endmacro
%macro CMPRUN_E 2               ; offset, words: the first difference to ERR
    mov xSI, RJ + %1
    mov xDI, RS + %1
    mov ecx, %2
    call .cmps
%endmacro
%macro CMPRUN 2                 ; offset, words: differences into BL
    mov xSI, RJ + %1
    mov xDI, RS + %1
    mov ecx, %2
    CMPSN
    setne al
    or bl, al
%endmacro

; ======================================================================
; the harness, once per mode (after USE32 or USE64; labels %[PFX]_...)
; ======================================================================
%macro MODE_LIB 0
%[PFX]_puts:                    ; xSI: NUL-terminated string (linear)
    push xAX
    push xSI
.l: mov al, [xSI]
    test al, al
    jz .d
    out DEBUGCON_PORT, al
    inc xSI
    jmp .l
.d: pop xSI
    pop xAX
    ret

%[PFX]_puthex:                  ; xAX in hex
    push xAX
    push xBX
    push xCX
    mov xBX, xAX
    mov ecx, 2 * SZ
.h: rol xBX, 4
    mov al, bl
    and al, 15
    add al, '0'
    cmp al, '9'
    jbe .o
    add al, 'a' - '0' - 10
.o: out DEBUGCON_PORT, al
    dec ecx
    jnz .h
    pop xCX
    pop xBX
    pop xAX
    ret

%[PFX]_chk:                     ; ZF = pass, xSI = name, xDI = more or 0 (linear)
    pushf
    SAVEALL
    mov xBX, xSI
    mov xSI, LIN(str_ok)
    test byte [xSP + SAVESZ], 0x40
    jnz .p
    mov xSI, LIN(str_fail)
    inc word [FAILS_ADDR]
.p: inc word [CHECKS_ADDR]
    call %[PFX]_puts
    mov xSI, [MODE_STR]
    call %[PFX]_puts
    mov xSI, LIN(str_ring0)
    cmp byte [RING], 0
    je .r0
    mov xSI, LIN(str_ring3)
.r0:
    call %[PFX]_puts
    mov xSI, xBX
    call %[PFX]_puts
    test xDI, xDI
    jz .ns
    mov xSI, xDI
    call %[PFX]_puts
.ns:
    mov al, 10
    out DEBUGCON_PORT, al
    RESTALL
    popf
    ret

%[PFX]_err:                     ; E_*: one failed comparison
    push xAX
    mov xAX, [E_BIT]
    or [ERRS], xAX
    cmp W [FIRST], -1
    jne .r
    mov xAX, [TURN]
    mov [FIRST], xAX
    mov xAX, [E_BIT]
    mov [F_BIT], xAX
    mov xAX, [E_K]
    mov [F_K], xAX
    mov xAX, [E_GOT]
    mov [F_GOT], xAX
    mov xAX, [E_WANT]
    mov [F_WANT], xAX
.r: pop xAX
    ret

%[PFX]_detail:                  ; after a case's checks: its first failure
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
    mov al, ')'
    out DEBUGCON_PORT, al
    mov al, 10
    out DEBUGCON_PORT, al
    RESTALL
.r: ret

%[PFX]_reset:
    mov W [TURN], 0
    mov W [ERRS], 0
    mov W [FIRST], -1
    ret

; The inputs of a turn: REGVAL (its EFLAGS slot: CF PF AF ZF SF OF from
; it), MEMB, from TURN and P_SALT; then P_PRE.
%[PFX]_seed:
    SAVEALL
    mov xAX, [TURN]
    add xAX, [P_SALT]
    imul xAX, xAX, 0x2545F491
    xor ecx, ecx
.r: imul xAX, xAX, 0x6F4F2A35
    add xAX, 0x7F4A7C15
    rol xAX, 13
%if __?BITS?__ == 64
    mov rdx, rax
    shl rdx, 32
    xor rax, rdx
%endif
    mov [REGVAL + xCX * 8], xAX
    inc ecx
    cmp ecx, 16
    jb .r
    mov xDX, [REGVAL + 4 * 8]
    and edx, 0x8D5
    or edx, 2
    mov [REGVAL + 4 * 8], xDX
    xor ecx, ecx
.m: imul xAX, xAX, 0x6F4F2A35
    add xAX, xCX
    rol xAX, 7
    mov [MEMB + xCX], xAX
    add ecx, SZ
    cmp ecx, 0x100
    jb .m
    mov W [ZERO], 0
    RESTALL
    cmp W [P_PRE], 0
    je .n
    call [P_PRE]
.n: ret

; One run of CALLT at RING from REGVAL: DUMPB, MEMB, REC_VEC (-1: no
; fault; else REC_*, and DUMPB the registers at the fault), PMC0/PMC1
; around it when PMC_CHK (a fault: the recorder's RDPMC).
%[PFX]_run:
    mov [RESUME_SP], xSP
    mov W [RESUME_EIP], LIN(%[PFX]_run.resume)
    mov W [REC_VEC], -1
    cmp byte [RING], 0
    jne .r3
    cmp byte [PMC_CHK], 0
    je .np0
    xor ecx, ecx
    rdpmc
    mov [PMC0], eax
    mov [PMC0 + 4], edx
.np0:
    push W [REGVAL + 4 * 8]
    popf
    LOADREGS
    call [CALLT]
    DUMP
    pushf                       ; TF off (the single-step case sets it)
    and W [xSP], ~0x100
    popf
    cmp byte [PMC_CHK], 0
    je .np1
    xor ecx, ecx
    rdpmc
    mov [PMC1], eax
    mov [PMC1 + 4], edx
.np1:
    mov W [RESUME_EIP], 0
    ret
.r3:
%if __?BITS?__ == 64
    push SEL_DATA_R3
    push USER_TOP
    push 0x3002
    push SEL_CODE64_R3
    push LIN(%[PFX]_r3entry)
    iretq
%else
    mov ax, SEL_DATA_R3
    mov ds, ax
    mov es, ax
    push SEL_DATA_R3
    push USER_TOP
    push 0x3002
    push SEL_CODE32_R3
    push LIN(%[PFX]_r3entry)
    iretd
%endif
.resume:                        ; from the recorder, at ring 0
    DATA0
    mov xSP, [RESUME_SP]
    mov W [RESUME_EIP], 0
    cmp W [REC_VEC], 6
    jne .flt
    cmp W [REC_EIP], LIN(%[PFX]_r3ud)
    jne .flt
    mov W [REC_VEC], -1         ; a ring-3 run back through its UD2
    ret
.flt:
    xor ecx, ecx
.c: mov xAX, [REC + xCX * 8]
    mov [DUMPB + xCX * 8], xAX
    inc ecx
    cmp ecx, 16
    jb .c
    mov xAX, [REC + 4 * 8]
    mov [DUMPB + 16 * 8], xAX
    mov xAX, [REC_FL]
    mov [DUMPB + 4 * 8], xAX
    ret

%[PFX]_r3entry:                 ; ring 3: the run, then back by #UD
    push W [REGVAL + 4 * 8]
    popf
    LOADREGS
    call [CALLT]
    DUMP
%[PFX]_r3ud:
    ud2

%[PFX]_save:                    ; the run's results to xDI (RJ or RS)
    SAVEALL
    mov xSI, DUMPB
    mov ecx, 0x100
    rep movsb
    mov xSI, MEMB
    mov ecx, 0x100
    rep movsb
    RESTALL
    mov xAX, [REC_VEC]
    mov [xDI + R_VEC], xAX
    mov xAX, [REC_ERR]
    mov [xDI + R_ERR], xAX
    mov xAX, [REC_EIP]
    mov [xDI + R_EIP], xAX
    mov xAX, [REC_CR2]
    mov [xDI + R_CR2], xAX
    mov xAX, [PMC1]
    sub xAX, [PMC0]
    mov [xDI + R_PMC], xAX
    ret

; RJ against RS and the case's wants. The [jit-flush] row translates
; each block at nearly every visit: the usual path is one stretch without
; branches (REPE CMPS, SETcc), the detailed one only after a difference.
%[PFX]_cmp:
    SAVEALL
    xor ebx, ebx
    CMPRUN 0, 4 * 8 / SZ
    CMPRUN 5 * 8, (NREGS - 5) * 8 / SZ
    CMPRUN 16 * 8, 1
    CMPRUN R_MEM, 0x100 / SZ
    mov xAX, [RJ + 4 * 8]
    xor xAX, [RS + 4 * 8]
    test xAX, [P_FLMASK]
    setnz al
    or bl, al
    mov xAX, [RJ + R_VEC]
    cmp xAX, [P_VEC]
    setne al
    or bl, al
    mov xAX, [RS + R_VEC]
    cmp xAX, [P_VEC]
    setne al
    or bl, al
    xor edx, edx                ; the fault's details, when one is wanted
    mov xAX, [RJ + R_EIP]
    cmp xAX, [P_EJ]
    setne al
    or dl, al
    mov xAX, [RS + R_EIP]
    cmp xAX, [P_ES]
    setne al
    or dl, al
    mov xAX, [RJ + R_ERR]
    cmp xAX, [P_ERR]
    setne al
    or dl, al
    mov xAX, [RS + R_ERR]
    cmp xAX, [P_ERR]
    setne al
    or dl, al
    mov xAX, [RJ + R_CR2]
    cmp xAX, [P_CR2]
    setne al
    mov xCX, [RS + R_CR2]
    cmp xCX, [P_CR2]
    setne cl
    or al, cl
    cmp W [P_CR2], -1
    setne cl
    and al, cl
    or dl, al
    cmp W [P_VEC], -1
    setne al
    and dl, al
    or bl, dl
    mov xAX, [RJ + R_PMC]       ; the counts
    sub xAX, [RS + R_PMC]
    cmp xAX, [P_NJ]
    setne al
    and al, [PMC_CHK]
    or bl, al
    test bl, bl
    jnz .slow
.done:
    RESTALL
    cmp W [P_HOOK], 0
    je .nh
    call [P_HOOK]
.nh:
    ret
.slow:                          ; which, for the report
    CMPRUN_E 0, 4 * 8 / SZ
    CMPRUN_E 5 * 8, (NREGS - 5) * 8 / SZ
    CMPRUN_E 16 * 8, 1
    CMPRUN_E R_MEM, 0x100 / SZ
    mov xAX, [RJ + 4 * 8]       ; EFLAGS
    xor xAX, [RS + 4 * 8]
    test xAX, [P_FLMASK]
    jz .fl
    mov xAX, [RJ + 4 * 8]
    ERR 2, 4, xAX, [RS + 4 * 8]
.fl:
    mov xAX, [RJ + R_VEC]       ; the faults
    cmp xAX, [P_VEC]
    je .v1
    ERR 8, R_VEC, xAX, [P_VEC]
.v1:
    mov xAX, [RS + R_VEC]
    cmp xAX, [P_VEC]
    je .v2
    ERR 0x40, R_VEC, xAX, [P_VEC]
.v2:
    cmp W [P_VEC], -1
    je .nf
    mov xAX, [RJ + R_EIP]
    cmp xAX, [P_EJ]
    je .e1
    ERR 0x10, R_EIP, xAX, [P_EJ]
.e1:
    mov xAX, [RS + R_EIP]
    cmp xAX, [P_ES]
    je .e2
    ERR 0x40, R_EIP, xAX, [P_ES]
.e2:
    mov xAX, [RJ + R_ERR]
    cmp xAX, [P_ERR]
    je .e3
    ERR 8, R_ERR, xAX, [P_ERR]
.e3:
    mov xAX, [RS + R_ERR]
    cmp xAX, [P_ERR]
    je .e4
    ERR 0x40, R_ERR, xAX, [P_ERR]
.e4:
    cmp W [P_CR2], -1
    je .nf
    mov xAX, [RJ + R_CR2]
    cmp xAX, [P_CR2]
    je .c1
    ERR 0x20, R_CR2, xAX, [P_CR2]
.c1:
    mov xAX, [RS + R_CR2]
    cmp xAX, [P_CR2]
    je .nf
    ERR 0x40, R_CR2, xAX, [P_CR2]
.nf:
    cmp byte [PMC_CHK], 0
    je .done
    mov xAX, [RJ + R_PMC]
    sub xAX, [RS + R_PMC]
    cmp xAX, [P_NJ]
    je .done
    ERR 0x80, R_PMC, xAX, [P_NJ]
    jmp .done
; xCX words at RJ + k (xSI) against RS + k (xDI): bit 1 for registers
; (k < R_MEM), 4 for memory; the index is k.
.cmps:
    CMPSN
    je .same
    mov xAX, [xSI - SZ]
    lea xCX, [xSI - SZ - RJ]
    mov ebx, 1
    cmp ecx, R_MEM
    jb .bit
    mov ebx, 4
.bit:
    ERR xBX, xCX, xAX, [xDI - SZ]
.same:
    ret

; A case: P_TURNS turns of the JMP code and the straight code from the
; same inputs, compared.
%[PFX]_pair:
    call %[PFX]_reset
    mov byte [PMC_CHK], 0
    cmp byte [RING], 0
    jne .t
    mov al, [PMC_OK]
    mov [PMC_CHK], al
.t: cmp W [P_TURNHOOK], 0
    je .h
    call [P_TURNHOOK]
.h: call %[PFX]_seed
    mov xSI, MEMB               ; (the straight run gets them again)
    mov xDI, SEEDM
    mov ecx, 0x100
    rep movsb
    mov xAX, [P_J]
    mov [CALLT], xAX
    call %[PFX]_run
    mov xDI, RJ
    call %[PFX]_save
    mov xSI, SEEDM
    mov xDI, MEMB
    mov ecx, 0x100
    rep movsb
    mov xAX, [P_S]
    mov [CALLT], xAX
    call %[PFX]_run
    mov xDI, RS
    call %[PFX]_save
    call %[PFX]_cmp
    inc W [TURN]
    mov xAX, [TURN]
    cmp xAX, [P_TURNS]
    jb .t
    ret

; The check line of a case (xSI = its name; at ring 0 where RDPMC counts
; it covers the counts too: error bit 80h), then its first failure.
%[PFX]_report:
    cmp W [ERRS], 0
    mov edi, 0
    call %[PFX]_chk
    call %[PFX]_detail
    ret

; Every case of the table: CT entries of 14 dwords (sign-extended).
%[PFX]_cases:
    mov W [CUR_CASE], LIN(%[PFX]_casetab)
.l: mov xBX, [CUR_CASE]
    cmp xBX, LIN(%[PFX]_casetab_end)
    jae .d
%assign %%i 0
%rep 14
 %if __?BITS?__ == 64
    movsxd rax, dword [rbx + %%i * 4]
 %else
    mov eax, [ebx + %%i * 4]
 %endif
    mov [CT_FIELDS + %%i * 8], xAX
 %assign %%i %%i + 1
%endrep
    mov al, [CT_FIELDS + 3 * 8]
    mov [RING], al
    mov W [P_FLMASK], FLAGS_ALL
    mov W [P_PRE], 0
    add W [P_SALT], 0x3B9ACA07
    cmp W [CT_PRE], 0
    je .np
    call [CT_PRE]
.np:
    call %[PFX]_pair
    mov xSI, [CT_NAME]
    call %[PFX]_report
    add W [CUR_CASE], 14 * 4
    jmp .l
.d: ret

%[PFX]_copysnips:               ; every snippet of the mode to its place
    SAVEALL
    mov xSI, LIN(%[PFX]_snips)
.l: cmp xSI, LIN(%[PFX]_snips_end)
    jae .d
    mov ecx, [xSI]
    mov edi, [xSI + 4]
    add xSI, 8
    rep movsb
    add xSI, 3
    and xSI, ~3
    jmp .l
.d: RESTALL
    ret

; PerfEvtSel0 = EN | OS | USR | event C0h (instructions retired): does
; RDPMC count then?
%[PFX]_pmcprobe:
    mov byte [PMC_OK], 0
    mov [RESUME_SP], xSP
    mov W [RESUME_EIP], LIN(.no)
    mov ecx, 0x186
    mov eax, 0x004300C0
    xor edx, edx
    wrmsr
    xor ecx, ecx
    rdpmc
    mov byte [PMC_OK], 1
.no:
    mov xSP, [RESUME_SP]
    mov W [RESUME_EIP], 0
    cmp byte [PMC_OK], 0
    jne .y
    mov xSI, LIN(str_nopmc)
    call %[PFX]_puts
.y: ret

; ---- exceptions and interrupts ----
    REC_H 0, 0
    REC_H 6, 0
    REC_H 13, 1
    REC_H 14, 1

; [xSP] the REC_H call's return, +SZ error code, then EIP, CS, EFLAGS,
; ESP, SS: everything to REC_*, on at RESUME_EIP with xSP = RESUME_SP.
%[PFX]_rec:
    mov xAX, [S_AX]
    mov [REC + 0 * 8], xAX
    mov xAX, [S_CX]
    mov [REC + 1 * 8], xAX
    mov xAX, [S_DX]
    mov [REC + 2 * 8], xAX
    mov [REC + 3 * 8], xBX
    mov [REC + 5 * 8], xBP
    mov [REC + 6 * 8], xSI
    mov [REC + 7 * 8], xDI
%if __?BITS?__ == 64
    mov [REC + 8 * 8], r8
    mov [REC + 9 * 8], r9
    mov [REC + 10 * 8], r10
    mov [REC + 11 * 8], r11
    mov [REC + 12 * 8], r12
    mov [REC + 13 * 8], r13
    mov [REC + 14 * 8], r14
    mov [REC + 15 * 8], r15
%endif
    mov xAX, [xSP + 1 * SZ]
    mov [REC_ERR], xAX
    mov xAX, [xSP + 2 * SZ]
    mov [REC_EIP], xAX
    mov xAX, [xSP + 4 * SZ]
    mov [REC_FL], xAX
%if __?BITS?__ == 64
    mov xAX, [xSP + 5 * SZ]
%else
    lea xAX, [xSP + 5 * SZ]     ; the same ring: where the frame ends
    test byte [xSP + 3 * SZ], 3
    jz .s
    mov xAX, [xSP + 5 * SZ]     ; from ring 3: the pushed ESP
.s:
%endif
    mov [REC + 4 * 8], xAX
    mov xAX, cr2
    mov [REC_CR2], xAX
    cmp W [RESUME_EIP], 0
    je .fatal
    mov xSP, [RESUME_SP]
    jmp [RESUME_EIP]
.fatal:
    DATA0
    mov xSI, LIN(str_fail)
    call %[PFX]_puts
    mov xSI, [MODE_STR]
    call %[PFX]_puts
    mov xSI, LIN(str_unexp)
    call %[PFX]_puts
    mov xAX, [REC_VEC]
    call %[PFX]_puthex
    mov xSI, LIN(str_at)
    call %[PFX]_puts
    mov xAX, [REC_EIP]
    call %[PFX]_puthex
    mov al, 10
    out DEBUGCON_PORT, al
    inc word [FAILS_ADDR]
    mov al, 1
    out EXIT_PORT, al
    hlt

; IRQ0: counts, and looks at where it came in (IRQ_LO..IRQ_HI, outside
; GAP1 and GAP2: an instruction of the loop).
%[PFX]_irq:
    push xAX
    mov xAX, [xSP + SZ]
    inc W [TICKS]
    inc W [IRQ_BAD]
    cmp xAX, [IRQ_LO]
    jb .x
    cmp xAX, [IRQ_HI]
    jae .x
    cmp xAX, [GAP1_LO]
    jb .g1
    cmp xAX, [GAP1_HI]
    jb .x
.g1:
    cmp xAX, [GAP2_LO]
    jb .g2
    cmp xAX, [GAP2_HI]
    jb .x
.g2:
    dec W [IRQ_BAD]
.x: mov al, 0x20
    out 0x20, al
    pop xAX
%if __?BITS?__ == 64
    iretq
%else
    iretd
%endif

; #DB: the single-step trace of TR_LO..TR_HI.
%[PFX]_db:
    push xAX
    push xCX
    mov xAX, [xSP + 2 * SZ]
    cmp xAX, [TR_LO]
    jb .x
    cmp xAX, [TR_HI]
    jae .x
    mov xCX, [TRACE_N]
    inc W [TRACE_N]
    cmp ecx, 32
    jae .x
    mov [TRACE + xCX * 8], xAX
.x: pop xCX
    pop xAX
%if __?BITS?__ == 64
    iretq
%else
    iretd
%endif

%[PFX]_iret:
%if __?BITS?__ == 64
    iretq
%else
    iretd
%endif
%endmacro

; ======================================================================
; the code under test, once per mode: copied to MB + ... (copysnips)
; ======================================================================
%macro MODE_SNIPS 0
    align 4, db 0xCC
%[PFX]_snips:
%xdefine SNIP_NEXT (MB + 0x10000)
    ; (a) chains: jcc unit, no fault, the JUMP codes (g >= 0: JMP rel8
    ; over g bytes, g < 0: JMP rel32 over -g-1; 0 and -1: to the next
    ; instruction, which ends the block)
    PAIR %[PFX]_c1, -1, 0, 0, 5
    PAIR %[PFX]_c2, -1, 0, 0, -201
    PAIR %[PFX]_c3, -1, 0, 0, 1, -1
    PAIR %[PFX]_c4, -1, 0, 0, 17, -10, 100
    PAIR %[PFX]_c5, 1, 0, 0, 7, 120, -22, 4
    PAIR %[PFX]_c6, -1, 0, 0, 2, -65, 9, 127, 1
    PAIR %[PFX]_c7, 1, 0, 0, 11, -4, 40, 0, -201, 6
    PAIR %[PFX]_c8, -1, 0, 0, -301, -130, -1001, -3
    ; (b) faults: kind (FAULTI), place (2u: first
    ; instruction after JMP u; 2u+1: after unit u)
    PAIR %[PFX]_f1, -1, 1, 2, 9, 3
    PAIR %[PFX]_f2, -1, 1, 7, 4, -31, 12, 5
    PAIR %[PFX]_f3, -1, 1, 10, 3, 3, 3, 3, 3, 3
    PAIR %[PFX]_f4, -1, 2, 4, 6, -13, 2
    PAIR %[PFX]_f5, 1, 2, 9, 1, 2, 3, 4, 5
    PAIR %[PFX]_f6, -1, 3, 2, -41, 2
    PAIR %[PFX]_f7, -1, 3, 5, 20, 8, 3
    PAIR %[PFX]_f8, -1, 4, 6, 5, 5, 5, 5
    PAIR %[PFX]_f9, -1, 4, 3, 64, 1

    ; a JC (a side exit) into a JMP's gap, and JMPs on from there
    SNIPP %[PFX]_gj
.e: add eax, ebx
    jmp short .t
.g: add ecx, 0x100
    jmp short .bk
    times 3 db 0xF5
.t: jc .g
    add ecx, 0x200
.bk:
    sub edx, ecx
    jmp short .u
    db 0xF5
.u: ret
    ENDSNIP %[PFX]_gj
    SNIPP %[PFX]_gs
.e: add eax, ebx
    jc .g
    add ecx, 0x200
.bk:
    sub edx, ecx
    ret
.g: add ecx, 0x100
    jmp short .bk
    ENDSNIP %[PFX]_gs

    ; a JMP into the middle of a CMP EAX, imm32, whose immediate is ADD
    ; ECX, EDX; SBB EBX, EAX; and one to the CMP
    SNIPP %[PFX]_ov
.e: add eax, ecx
    jmp short .x1
    db 0xF5
.e2:
    add eax, ecx
    jmp short .x
    db 0xF5, 0xF5
.x: db 0x3D
.x1:
    add ecx, edx
    sbb ebx, eax
    adc edx, ebx
    ret
    ENDSNIP %[PFX]_ov
    SNIPP %[PFX]_os1
    add eax, ecx
    add ecx, edx
    sbb ebx, eax
    adc edx, ebx
    ret
    ENDSNIP %[PFX]_os1
    SNIPP %[PFX]_os2
    add eax, ecx
    cmp eax, 0xC319D101
    adc edx, ebx
    ret
    ENDSNIP %[PFX]_os2

    ; the block limit
    SNIPP %[PFX]_b59j
    BMB 59, 0
    ENDSNIP %[PFX]_b59j
    SNIPP %[PFX]_b59s
    BMB 59, 1
    ENDSNIP %[PFX]_b59s
    SNIPP %[PFX]_b60j
    BMB 60, 0
    ENDSNIP %[PFX]_b60j
    SNIPP %[PFX]_b60s
    BMB 60, 1
    ENDSNIP %[PFX]_b60s

    ; (e) the straight twins of xe2
    SNIPP %[PFX]_x2s
    add eax, ecx
    xchg eax, ecx
    add eax, 7
    sub eax, edx
    ret
    ENDSNIP %[PFX]_x2s
    SNIPP %[PFX]_x3s
    adc eax, ebx
    add eax, ecx
    xchg eax, ecx
    add eax, 7
    sub eax, edx
    ret
    ENDSNIP %[PFX]_x3s

    ; (g) single steps
    SNIPP %[PFX]_tf
.i0:
    add eax, 1
.i1:
    jmp short .i2
    times 3 db 0xF5
.i2:
    adc ebx, eax
.i3:
    jmp near .i4
    times 5 db 0xF5
.i4:
    mov [MEMB + 0x10], ebx
.i5:
    jmp short .i6
    db 0xF5
.i6:
    sub ecx, ebx
.i7:
    ret
    ENDSNIP %[PFX]_tf

    ; (h) the loop with JMPs that PIT interrupts, and the straight one
    SNIPP %[PFX]_plj
.e: sti
.top:
    stc
    U 0, %[PFX]_plj, 0
    jmp short .t1
.g1:
    times 9 db 0xF5
.t1:
    U 1, %[PFX]_plj, 0
    jmp near .t2
.g2:
    times 140 db 0xF5
.t2:
    U 2, %[PFX]_plj, 0
    inc W [KCOUNT]
    cmp W [KCOUNT], KCAP
    jae .out
    cmp W [TICKS], TICKS_WANT
    jb .top
.out:
    cli
    ret
    TBL %[PFX]_plj
    ENDSNIP %[PFX]_plj
    SNIPP %[PFX]_pls
.e: sti
.top:
    stc
    U 0, %[PFX]_pls, 0
    U 1, %[PFX]_pls, 0
    U 2, %[PFX]_pls, 0
    inc W [KCOUNT]
    dec W [KLEFT]
    jnz .top
    cli
    ret
    TBL %[PFX]_pls
    ENDSNIP %[PFX]_pls

    ; (d) stores from outside between runs: into the target's immediate,
    ; the displacement (to .g2, to .g by JMP $+2), the opcode (66 90 in
    ; its place: on to .g) and the gaps
    SNIP %[PFX]_sm1, MB + 0x30200
.e: add eax, 0x11
.j: jmp short .t
.g: add eax, 0x2000
    ret
.gf:
    times 9 db 0xF5
.g2:
    add eax, 0x40000
    ret
    times 5 db 0xF5
.t: add eax, 0x300000
    jmp short .u
.gt:
    times 3 db 0xF5
.u: ret
    ENDSNIP %[PFX]_sm1

    ; (d) stores inside the block: before the JMP into its target's
    ; immediate (ECX), after it into the next JMP's displacement (DL: to
    ; .u1 or .u2) and gap (DH), after that one into a third JMP's target
    ; (EBX)
    SNIP %[PFX]_sm2, MB + 0x31100
.e: mov [RT(%[PFX]_sm2, .t) + 1], ecx
    add eax, 1
    jmp short .t
    times 7 db 0xF5
.t: add eax, 0x1111
    mov [RT(%[PFX]_sm2, .j2) + 1], dl
    mov [RT(%[PFX]_sm2, .gp)], dh
.j2:
    jmp short .u1
.gp:
    times 4 db 0xF5
.u1:
    add eax, 0x10000
    jmp short .v
    times 3 db 0xF5
.u2:
    add eax, 0x20000
.v: mov [RT(%[PFX]_sm2, .t3) + 1], ebx
    jmp short .t3
    times 2 db 0xF5
.t3:
    add eax, 0x7777
    ret
    ENDSNIP %[PFX]_sm2

    ; (e) a JMP rel32 to FFDh: MOV EAX, imm32 with two immediate bytes in
    ; the next page (PN1, whose frame the test picks); .s: the straight
    ; entry (the same ADD, then the MOV)
    SNIP %[PFX]_xe1, PX1 + 0xF00
.e: add ebx, 1
    jmp near .m
    times 0xFFA - 0xF00 - ($ - %[PFX]_xe1) db 0xF5
.s: add ebx, 1
.m: db 0xB8, 0x11, 0x22
    ENDSNIP %[PFX]_xe1
    times -((RT(%[PFX]_xe1, %[PFX]_xe1.m) & 0xFFF) != 0xFFD) db 0

    ; (e) JMPs to FFFh (XCHG, 1 byte) and to FFDh (ADD, then the XCHG),
    ; on into the next page
    SNIP %[PFX]_xe2, PX2 + 0xF80
.e: add eax, ecx
    jmp short .a
.e3:
    adc eax, ebx
    jmp short .a3
    times 0xFFD - 0xF80 - ($ - %[PFX]_xe2) db 0xF5
.a3:
    add eax, ecx
.a: xchg eax, ecx
.pb:
    add eax, 7
    jmp short .b
    times 9 db 0xF5
.b: sub eax, edx
    ret
    ENDSNIP %[PFX]_xe2
    times -((RT(%[PFX]_xe2, %[PFX]_xe2.pb) & 0xFFF) != 0) db 0

%if __?BITS?__ == 32
    ; (f) JMPs with a 66 prefix at 10F1xxh: EIP wraps to 0F1xxh, where
    ; the landing pads are; their targets in this page are not reached
    SNIP p_f66, 0x10F100
.e: add eax, 3
    o16 jmp short .t1
    times 5 db 0xF5
.t1:
    add eax, 0x5000
    ret
.e2:
    add eax, 4
    db 0x66, 0xE9               ; (NASM's o16 JMP NEAR keeps a rel32)
    dw .t2 - ($ + 2)
    times 130 db 0xF5
.t2:
    add eax, 0x6000
    ret
    ENDSNIP p_f66
    SNIP p_f66a, 0xF000 + (RT(p_f66, p_f66.t1) & 0xFFF)
    add eax, 0x70000
    ret
    ENDSNIP p_f66a
    SNIP p_f66b, 0xF000 + (RT(p_f66, p_f66.t2) & 0xFFF)
    add eax, 0x80000
    ret
    ENDSNIP p_f66b
%endif
    align 4, db 0xCC
%[PFX]_snips_end:
%endmacro

; ======================================================================
; the cases, once per mode
; ======================================================================
; CT j, s, jumps, ring, turns, vector, error code, EIP j, EIP s, CR2,
; before, turn hook, hook, name: an entry of the case table.
%macro CT 14
    dd %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, LIN(%14)
%endmacro
; CTC chain, JMPs, ring, name; CTF chain, JMPs before the fault, ring,
; vector, error code, name.
%define TURNS_R(r) (TURNS + ((r) / 3) * (TURNS3 - TURNS))
%macro CTC 4
    CT %1_j_dst, %1_s_dst, %2, %3, TURNS_R(%3), -1, -1, 0, 0, -1, 0, 0, 0, %4
%endmacro
%macro CTF 6
%if %4 == 14
    CT %1_j_dst, %1_s_dst, %2, %3, TURNS_R(%3), %4, %5, %1_j_fault, %1_s_fault, %1_j_cr2, 0, 0, 0, %6
%else
    CT %1_j_dst, %1_s_dst, %2, %3, TURNS_R(%3), %4, %5, %1_j_fault, %1_s_fault, -1, 0, 0, 0, %6
%endif
%endmacro

%define D_T(p)  (p %+ _sm1.t - p %+ _sm1.j - 2)
%define D_G2(p) (p %+ _sm1.g2 - p %+ _sm1.j - 2)
%define D_U1(p) (p %+ _sm2.u1 - p %+ _sm2.j2 - 2)
%define D_U2(p) (p %+ _sm2.u2 - p %+ _sm2.j2 - 2)


%macro MODE_TESTS 0
%[PFX]_tests:
    call %[PFX]_cases
    ; ---- (d) self-modifying code ----
    call %[PFX]_smc1
    mov xSI, LIN(n_smc1)
    call %[PFX]_report
    mov byte [RING], 0
    call %[PFX]_smc2
    mov xSI, LIN(n_smc2)
    call %[PFX]_report
    mov byte [RING], 3
    call %[PFX]_smc2
    mov xSI, LIN(n_smc2)
    call %[PFX]_report
%if __?BITS?__ == 32
    ; ---- (f) ----
    call p_f66t
    mov esi, LIN(n_f66)
    call p_report
%endif
    ; ---- (g) ----
    call %[PFX]_tft
    mov xSI, LIN(n_tf)
    call %[PFX]_report
    ; ---- (h) ----
    call %[PFX]_pit
    mov xAX, [T1]
    cmp xAX, TICKS_WANT
    setb al
    test al, al
    CHK "PIT interrupts: 40 arrived in a hot self-looping block with JMPs"
    cmp W [IRQ_BAD], 0
    CHK "PIT interrupts: every interrupted EIP an instruction of the loop, none in a gap"
    mov xSI, LIN(n_pit)
    call %[PFX]_report
    ret

%[PFX]_casetab:
%assign %%r 0
%rep 2
    ; (a) chains
    CTC %[PFX]_c1, 1, %%r, n_c1
    CTC %[PFX]_c2, 1, %%r, n_c2
    CTC %[PFX]_c3, 2, %%r, n_c3
    CTC %[PFX]_c4, 3, %%r, n_c4
    CTC %[PFX]_c5, 4, %%r, n_c5
    CTC %[PFX]_c6, 5, %%r, n_c6
    CTC %[PFX]_c7, 6, %%r, n_c7
    CTC %[PFX]_c8, 4, %%r, n_c8
    ; (b) faults (#PF error code: 4 at ring 3)
    CTF %[PFX]_f1, 1, %%r, 14, %%r + %%r / 3, n_f1
    CTF %[PFX]_f2, 3, %%r, 14, %%r + %%r / 3, n_f2
    CTF %[PFX]_f3, 5, %%r, 14, %%r + %%r / 3, n_f3
    CTF %[PFX]_f4, 2, %%r, 0, -1, n_f4
    CTF %[PFX]_f5, 4, %%r, 0, -1, n_f5
    CTF %[PFX]_f6, 1, %%r, 6, -1, n_f6
    CTF %[PFX]_f7, 2, %%r, 6, -1, n_f7
    CTF %[PFX]_f8, 3, %%r, 13, GPERR, n_f8
    CTF %[PFX]_f9, 1, %%r, 13, GPERR, n_f9
    ; more shapes
    CT %[PFX]_gj_dst, %[PFX]_gs_dst, 2, %%r, TURNS_R(%%r), -1, -1, 0, 0, -1, 0, 0, 0, n_gj
    ; (e) page ends
    CT RT(%[PFX]_xe2, %[PFX]_xe2.e), %[PFX]_x2s_dst, 2, %%r, TURNS_R(%%r), -1, -1, 0, 0, -1, 0, 0, 0, n_xe2
    CT RT(%[PFX]_xe2, %[PFX]_xe2.e3), %[PFX]_x3s_dst, 2, %%r, TURNS_R(%%r), -1, -1, 0, 0, -1, 0, 0, 0, n_xe3
%assign %%r %%r + 3
%endrep
    CT %[PFX]_ov_dst, %[PFX]_os1_dst, 1, 0, TURNS, -1, -1, 0, 0, -1, 0, 0, 0, n_ov1
    CT RT(%[PFX]_ov, %[PFX]_ov.e2), %[PFX]_os2_dst, 1, 0, TURNS, -1, -1, 0, 0, -1, 0, 0, 0, n_ov2
    CT %[PFX]_b59j_dst, %[PFX]_b59s_dst, 4, 0, TURNS, -1, -1, 0, 0, -1, 0, 0, 0, n_b59
    CT %[PFX]_b60j_dst, %[PFX]_b60s_dst, 4, 0, TURNS, -1, -1, 0, 0, -1, 0, 0, 0, n_b60
    ; (e) the next page not present (at the first translation too), then
    ; present and moving, then not present again
    CT RT(%[PFX]_xe1, %[PFX]_xe1.e), RT(%[PFX]_xe1, %[PFX]_xe1.s), 1, 0, 100, 14, 0, RT(%[PFX]_xe1, %[PFX]_xe1.m), RT(%[PFX]_xe1, %[PFX]_xe1.m), PN1, LIN(%[PFX]_xe1np), 0, 0, n_xe1a
    CT RT(%[PFX]_xe1, %[PFX]_xe1.e), RT(%[PFX]_xe1, %[PFX]_xe1.s), 1, 0, 320, -1, -1, 0, 0, -1, LIN(%[PFX]_xe1p), LIN(%[PFX]_xe1turn), LIN(%[PFX]_xe1chk), n_xe1b
    CT RT(%[PFX]_xe1, %[PFX]_xe1.e), RT(%[PFX]_xe1, %[PFX]_xe1.s), 1, 0, 100, 14, 0, RT(%[PFX]_xe1, %[PFX]_xe1.m), RT(%[PFX]_xe1, %[PFX]_xe1.m), PN1, LIN(%[PFX]_xe1np), 0, 0, n_xe1c
    CT RT(%[PFX]_xe1, %[PFX]_xe1.e), RT(%[PFX]_xe1, %[PFX]_xe1.s), 1, 3, 100, 14, 4, RT(%[PFX]_xe1, %[PFX]_xe1.m), RT(%[PFX]_xe1, %[PFX]_xe1.m), PN1, 0, 0, 0, n_xe1c
%[PFX]_casetab_end:

%[PFX]_xe1np:                   ; the page after PX1 not present
    mov W [PTE(PN1)], 0
    invlpg [PN1]
    ret

%[PFX]_xe1p:                    ; present (frame B), and the JMP's block
    mov dword [FRAME_B], 0xC8014433 ; translated anew: i2 i3, ADD EAX, ECX;
    mov byte [FRAME_B + 4], 0xC3    ; RET
    mov dword [FRAME_C], 0xC8018877
    mov byte [FRAME_C + 4], 0xC3
    mov W [PTE(PN1)], FRAME_B | 7
    invlpg [PN1]
    mov byte [PX1 + 0xF40], 0xF5
    mov W [PATCHN], 0
    ret

; P_TURNHOOK of the page-crossing case: every 4th turn to turn 64, then
; every 64th: the other frame, a new immediate byte in the next page, one
; in the JMP's page.
%[PFX]_xe1turn:
    mov eax, [TURN]
    mov ecx, 3
    cmp eax, 64
    jb .a
    mov ecx, 63
.a: and eax, ecx
    cmp eax, ecx
    jne .r
    mov eax, [PATCHN]
    inc W [PATCHN]
    xor edx, edx
    mov ecx, 3
    div ecx
    test edx, edx
    jnz .k1
    xor W [PTE(PN1)], FRAME_B ^ FRAME_C
    invlpg [PN1]
    ret
.k1:
    mov eax, [TURN]
    cmp edx, 1
    jne .k2
    mov [PN1 + 1], al
    ret
.k2:
    xor al, 0x5A
    mov [PX1 + 0xFFE], al
.r: ret

%[PFX]_xe1chk:                  ; P_HOOK: EAX = the bytes' immediate + ECX
    mov eax, [PX1 + 0xFFE]
    add eax, [REGVAL + 1 * 8]
    cmp eax, [RJ]
    je .r
    mov ecx, [RJ]
    ERR 0x100, 0, xCX, xAX
.r: ret

; (d) from outside: 256 turns with a store after every 4th run, 384 with
; one after every 64th (hot at the default threshold between them).
%[PFX]_smc1:
    call %[PFX]_reset
    mov W [PATCHN], 0
    mov dword [CUR_ADD], 0x300000
    mov dword [IMMV], 0x300000
    mov byte [RING], 0
    mov byte [PMC_CHK], 0
    mov W [P_PRE], 0
    mov W [CALLT], RT(%[PFX]_sm1, %[PFX]_sm1.e)
.t: mov eax, [TURN]
    mov ecx, 3
    cmp eax, 256
    jb .a
    mov ecx, 63
.a: and eax, ecx
    cmp eax, ecx
    jne .run
    call .patch
.run:
    call %[PFX]_seed
    call %[PFX]_run
    mov eax, [REGVAL]
    add eax, 0x11
    add eax, [CUR_ADD]
    cmp eax, [DUMPB]
    je .ok
    mov ecx, [DUMPB]
    mov xBX, [PATCHN]
    ERR 0x100, xBX, xCX, xAX
.ok:
    inc W [TURN]
    cmp W [TURN], 640
    jb .t
    ret
.patch:
    mov eax, [PATCHN]
    inc W [PATCHN]
    xor edx, edx
    mov ecx, 5
    div ecx
    cmp edx, 1
    je .k1
    cmp edx, 2
    je .k2
    cmp edx, 3
    je .k3
    cmp edx, 4
    je .k4
    mov eax, [TURN]             ; a new immediate of the target
    imul eax, eax, 0x01000193
    add eax, 0x00123457
    mov [IMMV], eax
    mov [CUR_ADD], eax
    mov [RT(%[PFX]_sm1, %[PFX]_sm1.t) + 1], eax
    ret
.k1:                            ; the displacement: to .g2
    mov byte [RT(%[PFX]_sm1, %[PFX]_sm1.j) + 1], D_G2(%[PFX])
    mov dword [CUR_ADD], 0x40000
    ret
.k2:                            ; JMP $+2: on to .g
    mov word [RT(%[PFX]_sm1, %[PFX]_sm1.j)], 0x00EB
    mov dword [CUR_ADD], 0x2000
    ret
.k3:                            ; 66 90 (a 2-byte NOP) for the JMP
    mov word [RT(%[PFX]_sm1, %[PFX]_sm1.j)], 0x9066
    mov dword [CUR_ADD], 0x2000
    ret
.k4:                            ; the JMP to .t again, new bytes in the gaps
    mov word [RT(%[PFX]_sm1, %[PFX]_sm1.j)], 0xEB | (D_T(%[PFX]) << 8)
    mov eax, [TURN]
    imul eax, eax, 0x9E3779B1
    mov [RT(%[PFX]_sm1, %[PFX]_sm1.gf)], eax
    mov [RT(%[PFX]_sm1, %[PFX]_sm1.gf) + 4], eax
    mov [RT(%[PFX]_sm1, %[PFX]_sm1.gf) + 8], al
    mov [RT(%[PFX]_sm1, %[PFX]_sm1.gt)], ax
    mov [RT(%[PFX]_sm1, %[PFX]_sm1.gt) + 2], ah
    mov eax, [IMMV]
    mov [CUR_ADD], eax
    ret

; (d) inside: EAX = EAX + 1 + ECX + 10000h (.u1) or 20000h (.u2) + EBX
%[PFX]_smc2:
    call %[PFX]_reset
    mov byte [PMC_CHK], 0
    mov W [P_PRE], LIN(%[PFX]_sm2pre)
    mov W [CALLT], RT(%[PFX]_sm2, %[PFX]_sm2.e)
.t: call %[PFX]_seed
    call %[PFX]_run
    mov eax, [REGVAL]
    add eax, 1 + 0x10000
    add eax, [REGVAL + 1 * 8]
    add eax, [REGVAL + 3 * 8]
    test byte [TURN], 1
    jz .u1
    add eax, 0x10000
.u1:
    cmp eax, [DUMPB]
    je .ok
    mov ecx, [DUMPB]
    ERR 0x100, 0, xCX, xAX
.ok:
    inc W [TURN]
    cmp W [TURN], TURNS
    jb .t
    mov W [P_PRE], 0
    ret
%[PFX]_sm2pre:
    mov byte [REGVAL + 2 * 8], D_U1(%[PFX])
    test byte [TURN], 1
    jz .r
    mov byte [REGVAL + 2 * 8], D_U2(%[PFX])
.r: ret

%if __?BITS?__ == 32
; (f) EAX + 3 + 70000h and EAX + 4 + 80000h: the landing pads'
p_f66t:
    call p_reset
    mov byte [RING], 0
    mov byte [PMC_CHK], 0
    mov dword [P_PRE], 0
.t: call p_seed
    mov dword [CALLT], RT(p_f66, p_f66.e)
    call p_run
    mov eax, [REGVAL]
    add eax, 3 + 0x70000
    cmp eax, [DUMPB]
    je .a
    mov ecx, [DUMPB]
    ERR 0x100, 1, ecx, eax
.a: call p_seed
    mov dword [CALLT], RT(p_f66, p_f66.e2)
    call p_run
    mov eax, [REGVAL]
    add eax, 4 + 0x80000
    cmp eax, [DUMPB]
    je .b
    mov ecx, [DUMPB]
    ERR 0x100, 2, ecx, eax
.b: inc dword [TURN]
    cmp dword [TURN], TURNS
    jb .t
    ret
%endif

; (g) TURNS runs without TF, then 4 turns of a run without it and one with
; it, compared, and the trace of the one with it.
%[PFX]_tft:
    call %[PFX]_reset
    mov byte [RING], 0
    mov byte [PMC_CHK], 0
    mov W [P_PRE], 0
    mov W [P_VEC], -1
    mov W [P_HOOK], 0
    mov W [P_FLMASK], FLAGS_ALL
    mov W [CALLT], RT(%[PFX]_tf, %[PFX]_tf.i0)
    mov W [TR_LO], RT(%[PFX]_tf, %[PFX]_tf.i0)
    mov W [TR_HI], RT(%[PFX]_tf, %[PFX]_tf_end)
.h: call %[PFX]_seed
    call %[PFX]_run
    inc W [TURN]
    cmp W [TURN], TURNS
    jb .h
.t: call %[PFX]_seed
    call %[PFX]_run
    mov xDI, RJ
    call %[PFX]_save
    call %[PFX]_seed
    or W [REGVAL + 4 * 8], 0x100
    mov W [TRACE_N], 0
    call %[PFX]_run
    mov xDI, RS
    call %[PFX]_save
    call %[PFX]_cmp
    mov xAX, [TRACE_N]
    cmp xAX, 8
    je .n
    ERR 0x100, 0x88, xAX, 8
.n: xor ecx, ecx
.c: mov eax, [LIN(%[PFX]_tfexp) + xCX * 4]
    cmp eax, [TRACE + xCX * 8]
    je .cn
    mov xBX, [TRACE + xCX * 8]
    ERR 0x200, xCX, xBX, xAX
.cn:
    inc ecx
    cmp ecx, 8
    jb .c
    inc W [TURN]
    cmp W [TURN], TURNS + 4
    jb .t
    ret
%[PFX]_tfexp:
    dd RT(%[PFX]_tf, %[PFX]_tf.i0), RT(%[PFX]_tf, %[PFX]_tf.i1)
    dd RT(%[PFX]_tf, %[PFX]_tf.i2), RT(%[PFX]_tf, %[PFX]_tf.i3)
    dd RT(%[PFX]_tf, %[PFX]_tf.i4), RT(%[PFX]_tf, %[PFX]_tf.i5)
    dd RT(%[PFX]_tf, %[PFX]_tf.i6), RT(%[PFX]_tf, %[PFX]_tf.i7)

; (h) the loop with JMPs under PIT interrupts until 40 came (K turns),
; then the straight loop K turns without them, compared.
%[PFX]_pit:
    call %[PFX]_reset
    mov byte [RING], 0
    mov byte [PMC_CHK], 0
    mov W [P_PRE], 0
    mov W [P_VEC], -1
    mov W [P_HOOK], 0
    mov W [P_FLMASK], 0
    mov W [TICKS], 0
    mov W [IRQ_BAD], 0
    mov W [KCOUNT], 0
    mov W [IRQ_LO], RT(%[PFX]_plj, %[PFX]_plj.e)
    mov W [IRQ_HI], RT(%[PFX]_plj, %[PFX]_plj.out) + 1
    mov W [GAP1_LO], RT(%[PFX]_plj, %[PFX]_plj.g1)
    mov W [GAP1_HI], RT(%[PFX]_plj, %[PFX]_plj.t1)
    mov W [GAP2_LO], RT(%[PFX]_plj, %[PFX]_plj.g2)
    mov W [GAP2_HI], RT(%[PFX]_plj, %[PFX]_plj.t2)
    mov W [CALLT], RT(%[PFX]_plj, %[PFX]_plj.e)
    call %[PFX]_seed
    mov al, 0x34                ; channel 0, lo/hi, mode 2
    out 0x43, al
    mov al, PIT_DIV & 0xFF
    out 0x40, al
    mov al, PIT_DIV >> 8
    out 0x40, al
    mov al, 0xFE                ; IRQ0 unmasked
    out 0x21, al
    call %[PFX]_run
    mov al, 0xFF
    out 0x21, al
    mov xDI, RJ
    call %[PFX]_save
    mov xAX, [TICKS]
    mov [T1], xAX
    mov xAX, [KCOUNT]
    mov [K1], xAX
    mov [KLEFT], xAX
    mov W [KCOUNT], 0
    call %[PFX]_seed
    mov W [CALLT], RT(%[PFX]_pls, %[PFX]_pls.e)
    call %[PFX]_run
    mov xDI, RS
    call %[PFX]_save
    call %[PFX]_cmp
    ret
%endmacro

; ======================================================================
; real mode: on to 32-bit protected mode with a flat CS
; ======================================================================
start:
    ROM_INIT
    PUTS `jit_follow: hot blocks that go on past forward JMPs: chains, faults, RDPMC, SMC, page ends, 66 JMPs, TF, interrupts\n`
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
; 32-bit protected mode, flat CS (labels through LIN), paging
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
    ; IDT: 0-31 to stubs that end the test, the rest to an IRET, then
    ; the recorders, the single-step tracer and IRQ0
    mov edi, IDT_BASE
    mov eax, LIN(p_stubs)
    xor ebx, ebx
.g1:
    call p_gate
    add edi, 8
    add eax, 8
    inc ebx
    cmp ebx, 32
    jb .g1
    mov eax, LIN(p_iret)
.g2:
    call p_gate
    add edi, 8
    inc ebx
    cmp ebx, 256
    jb .g2
    mov edi, IDT_BASE + 0 * 8
    mov eax, LIN(p_h0)
    call p_gate
    mov edi, IDT_BASE + 1 * 8
    mov eax, LIN(p_db)
    call p_gate
    mov edi, IDT_BASE + 6 * 8
    mov eax, LIN(p_h6)
    call p_gate
    mov edi, IDT_BASE + 13 * 8
    mov eax, LIN(p_h13)
    call p_gate
    mov edi, IDT_BASE + 14 * 8
    mov eax, LIN(p_h14)
    call p_gate
    mov edi, IDT_BASE + 0x20 * 8
    mov eax, LIN(p_irq)
    call p_gate
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
    call p_copysnips
    ; paging: 0-4 MiB identity, user pages, NP_PAGE not present
    mov edi, PD32
    xor eax, eax
    mov ecx, 2 * 1024
    rep stosd
    mov dword [PD32], PT32 | 7
    mov edi, PT32
    mov eax, 7
.pt:
    mov [edi], eax
    add eax, 0x1000
    add edi, 4
    cmp edi, PT32 + 4096
    jb .pt
    mov dword [PTE(NP_PAGE)], 0
    mov eax, PD32
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80010000          ; PG, WP
    mov cr0, eax

    mov dword [MODE_STR], LIN(str_pm32)
    mov dword [BADSEL], 0xFFF8
    mov dword [RESUME_EIP], 0
    mov dword [P_SALT], 0
    call p_pmcprobe
    call p_tests
    mov eax, cr0                ; back to real mode, then long mode
    and eax, 0x7FFFFFFF
    mov cr0, eax
    jmp SEL_CODE16:pm32_exit

p_gate:                         ; EDI = gate, EAX = handler (linear)
    mov [edi], ax
    mov word [edi + 2], SEL_CODE32F
    mov word [edi + 4], 0x8E00
    push eax
    shr eax, 16
    mov [edi + 6], ax
    pop eax
    ret

align 8
p_stubs:                        ; 8 bytes each: an exception nobody expects
%assign n 0
%rep 32
    push byte n
    jmp near p_unexp
    times (n + 1) * 8 - ($ - p_stubs) db 0xCC
%assign n n + 1
%endrep

p_unexp:                        ; [esp] vector, then error code or EIP...
    DATA0
    mov esi, LIN(str_fail)
    call p_puts
    mov esi, LIN(str_pm32)
    call p_puts
    mov esi, LIN(str_unexp)
    call p_puts
    mov eax, [esp]
    call p_puthex
    mov esi, LIN(str_at)
    call p_puts
    mov eax, [esp + 4]
    call p_puthex
    mov al, ' '
    out DEBUGCON_PORT, al
    mov eax, [esp + 8]
    call p_puthex
    mov al, 10
    out DEBUGCON_PORT, al
    mov al, 1
    out EXIT_PORT, al
    hlt

    MODE_LIB
    MODE_TESTS
    MODE_SNIPS

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
    xor edi, edi
    mov eax, LIN(l_h0)
    mov ecx, 0x8E00
    call lm_set_gate64
    mov edi, 1
    mov eax, LIN(l_db)
    call lm_set_gate64
    mov edi, 6
    mov eax, LIN(l_h6)
    call lm_set_gate64
    mov edi, 13
    mov eax, LIN(l_h13)
    call lm_set_gate64
    mov edi, 14
    mov eax, LIN(l_h14)
    call lm_set_gate64
    mov edi, 0x20
    mov eax, LIN(l_irq)
    call lm_set_gate64
    mov edi, 0x27               ; spurious IRQs
    mov eax, LIN(l_iret)
    call lm_set_gate64
    mov edi, 0x2F
    call lm_set_gate64
    call l_copysnips
    mov qword [PTE(NP_PAGE)], 0
    mov rax, cr3
    mov cr3, rax
    mov qword [MODE_STR], LIN(str_lm64)
    mov qword [RESUME_EIP], 0
    call l_pmcprobe
    call l_tests
    call lm_finish64

    MODE_LIB
    MODE_TESTS
    MODE_SNIPS

; ======================================================================
; data
; ======================================================================
xgdt:
    DESC 0xF0000, 0xFFFF, 0x9B, 0x0     ; SEL_CODE16
    DESC 0, 0xFFFF, 0x93, 0x0           ; SEL_DATA16
xgdt_end:
idt32r: dw 256 * 8 - 1
        dd IDT_BASE

str_ok:    db "ok ", 0
str_fail:  db "FAIL ", 0
str_pm32:  db "pm32 ", 0
str_lm64:  db "lm64 ", 0
str_unexp: db "unexpected exception ", 0
str_at:    db " at ", 0
str_d0:    db "  (error bits ", 0
str_d1:    db ", first failing turn ", 0
str_d2:    db ", check ", 0
str_d3:    db " index ", 0
str_d4:    db ": got ", 0
str_d5:    db " want ", 0
str_ring0: db "ring 0: ", 0
str_ring3: db "ring 3: ", 0
; the cases' names (both modes, both rings)
n_c1:   db "1 JMP rel8 over 5 bytes, against the straight code", 0
n_c2:   db "1 JMP rel32 over 200 bytes", 0
n_c3:   db "a JMP rel8, then a JMP rel32 to the next instruction (not followed)", 0
n_c4:   db "3 JMPs (rel8, rel32, rel8 over 100 bytes)", 0
n_c5:   db "4 JMPs, a JC side exit after the first", 0
n_c6:   db "5 JMPs (one more than a block follows), one rel8 over 127 bytes", 0
n_c7:   db "6 JMPs, JMP $+2 among them, a JC side exit", 0
n_c8:   db "4 JMPs rel32 over 300, 129, 1000 and 2 bytes", 0
n_f1:   db "#PF at the first instruction after a JMP: vector, error code, CR2, EIP, registers, flags", 0
n_f2:   db "#PF a unit after the third JMP", 0
n_f3:   db "#PF at the first instruction after the fifth JMP", 0
n_f4:   db "#DE at the first instruction after the second JMP", 0
n_f5:   db "#DE a unit after the fourth JMP, a JC side exit before", 0
n_f6:   db "#UD at the first instruction after a JMP rel32", 0
n_f7:   db "#UD a unit after the second JMP", 0
n_f8:   db "#GP at the first instruction after the third JMP", 0
n_f9:   db "#GP a unit after a JMP rel8 over 64 bytes", 0
n_gj:   db "a JC (side exit) into a JMP's gap in half the turns, JMPs on from there", 0
n_ov1:  db "a JMP into the middle of a CMP's immediate (two instructions there)", 0
n_ov2:  db "a JMP to that CMP, in the same page", 0
n_b59:  db "JMPs as the 60th, 62nd and 64th record of a block (a full block does not follow)", 0
n_b60:  db "JMPs as the 61st and 63rd record (the block full at the second one's target)", 0
n_xe2:  db "a JMP to offset FFFh (a 1-byte instruction), on into the next page", 0
n_xe3:  db "a JMP to offset FFDh (2 instructions), on into the next page", 0
n_xe1a: db "a JMP to FFDh, the instruction there into a not-present page: #PF there, CR2 the next page", 0
n_xe1b: db "the same with the next page present, its frame swapped (INVLPG) and both pages patched: each run as the bytes are", 0
n_xe1c: db "the next page not present again: #PF at the instruction the JMP goes to", 0
n_smc1: db "stores between runs into a JMP's target, displacement, opcode and gaps: each run runs the bytes as they are", 0
n_smc2: db "stores inside the block into a JMP's target, a later JMP's displacement and gap, a third's target: run at once", 0
n_f66:  db "JMP rel8 and rel16 with a 66 prefix at 10F1xxh go to 0F1xxh (EIP wraps at 64 KiB), not to their target in the page", 0
n_tf:   db "single steps (TF) through hot code with JMPs: a trap at every instruction, at the next one's address", 0
n_pit:  db "PIT interrupts: registers and memory after the interrupted turns as the straight loop's after as many", 0
str_nopmc: db `note: RDPMC does not count retired instructions here (#UD or #GP): the cases' checks leave the counts out\n`, 0

    LM_LIB
ROM_END
