; jit_atomics.asm — XADD and CMPXCHG with a memory destination, and the
; sign extensions CBW/CWDE/CDQE and CWD/CDQ/CQO, in hot blocks of the
; recompiler (its native forms of them: an inline TLB write probe, the
; whole instruction as its handler on a miss). The reference is the
; interpreter (src/cpu/bitops.c xadd_common, cmpxchg_common) and the SDM
; (vol. 2B XADD, CMPXCHG, CBW/CWDE/CDQE, CWD/CDQ/CQO; vol. 3A 4.7, 4.8).
;
; In 32-bit protected mode with paging (flat CS) and in 64-bit mode, each
; case runs TURNS = 120 turns of a harness copied to RAM whose slots hold
; the case's instruction (patched in per case), so its blocks are
; translated at the default threshold of 50 visits as well as at the
; first. Each run of the instruction has the registers, the operand with 8
; canary bytes either side and the flags (the complement of the expected
; ones) set anew, the registers loaded by MOVs in its block (the
; recompiler caches some), and checks every register (upper bits too) and
; the 24 bytes against values the assembler computed (XV, CV, SV). The
; full harness (the plain size and LOCK cases, the sign extensions) runs
; it five times a turn: flags read right after by PUSHF, then a chain of
; Jccs of 11 conditions (the first in the same block); by SETcc of all 16
; conditions, then a chain; after 16 MOVs by PUSHF and SETcc; by ADC; by
; ADC after an INC (which keeps CF). The short harness (the other cases)
; runs the first and the third. A case of two variants alternates them
; turn by turn in the same code (CMPXCHG: equal, unequal). Cases:
;  a. XADD and CMPXCHG, byte, word, dword (and qword), with and without
;     LOCK; sources AH/BH/CH/DH, SIL/DIL and R8B-R15B; 16-bit and 8-bit
;     forms keep the register's other bits; in 64-bit mode a 32-bit XADD
;     zero-extends its source register, a 32-bit CMPXCHG that fails
;     zero-extends into RAX and one that succeeds leaves RAX whole; after
;     a CMP in the same block (whose flags record it must supersede).
;  b. the source register in the address (XADD [EBX], EBX; as the index),
;     the accumulator as the source (CMPXCHG [m], EAX/AX/AL/RAX, [m], AH)
;     and in the address (CMPXCHG [EAX], ECX); segments with a base (FS in
;     32-bit code, FS and GS in 64-bit mode), 16-bit addresses wrapping at
;     64 KiB (through DS and SS), 32-bit addresses in 64-bit mode.
;  c. operands across a page boundary (the two pages not neighbours in
;     physical memory): the probe's miss; on a page whose TLB entry was
;     just invalidated (INVLPG) and whose PTE has A = D = 0: both set after
;     (an unequal CMPXCHG writes too), also with the page read first (the
;     TLB then holds it readable only).
;  d. a read-only page (CR0.WP = 1; read first, so the TLB holds it
;     readable) and a not-present page, within it or across its start:
;     #PF, the error code (W = 1, an unequal CMPXCHG too), CR2, the
;     EIP/RIP of the instruction, no register, flag or byte changed (after
;     a CMP in the same block: the CMP's flags pushed).
;  e. ring 3: cases of (a) and (c), a read-only and a not-present page.
;  f. CBW/CWDE/CDQE/CWD/CDQ/CQO right after an ADD, SUB or CMP of 8 to 64
;     bits in the same slot: the flags are that instruction's.
;  g. self-looping blocks: a Fibonacci LOCK XADD loop (dword, qword, AH;
;     RIP-relative) counting its carries with ADC; a CAS loop whose LOCK
;     CMPXCHG is equal and unequal by turns (dword with RAX's upper half
;     set, RIP-relative too; word with EAX's).
;  h. self-modifying code: XADD and CMPXCHG (LOCK or not, CMPXCHG equal
;     or not) into the immediate of a hot routine on another page, and
;     into the next instruction of their own block, which runs the new
;     bytes at once (SDM vol. 3A 11.6).
; Check lines carry the mode ("pm32", "lm64").
;
; QEMU 7.2 departs in one point, which the test allows for where the CPU
; is not rawbox's (its brand string): XADD and CMPXCHG on a not-present
; page report W = 0 in the error code (a read), where hardware and rawbox
; report W = 1 (the read is done with write intent; see cpu_rd_rmw). A
; note line says so; the check lines are the same.
;
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "lm.inc"

; ---- variables (linear = physical) ----
%define VB         0x4000
%define CUR        (VB + 0x000)     ; the variant of this turn:
%define C_REGIN    (CUR + 0x000)    ;  16 qwords: the registers before
%define C_EXPR     (CUR + 0x080)    ;  16 qwords: the registers after
%define C_IMG      (CUR + 0x100)    ;  24 bytes around the operand before
%define C_EIMG     (CUR + 0x118)    ;  ... and after
%define C_FLIN     (CUR + 0x130)    ;  the flags before
%define C_FLEXP    (CUR + 0x138)    ;  the arithmetic flags after
%define C_CCEXP    (CUR + 0x140)    ;  the 16 conditions after (bit cc)
%define C_JEXP     (CUR + 0x148)    ;  the Jcc chains' conditions
%define C_CCB      (CUR + 0x150)    ;  16 bytes: what SETcc cc gives
%define C_JB       (CUR + 0x160)    ;  16 bytes: which Jcc of a chain jumps
%define VSIZE      0x170
%define VARS       (VB + 0x180)     ; the case's variants (2 at most)
%define DUMP       (VB + 0x480)     ; 16 qwords: the registers after
%define REC        (VB + 0x500)     ; 16 qwords: the registers at a fault
%define BASEV      (VB + 0x580)     ; 16 qwords: the default registers
%define CCS        (VB + 0x600)     ; SETcc bytes right after
%define CCS3       (VB + 0x610)     ; SETcc bytes after the MOVs
%define FLG1       (VB + 0x620)
%define FLG3       (VB + 0x628)
%define ADCV       (VB + 0x630)
%define TURN       (VB + 0x640)
%define ERRS       (VB + 0x648)
%define FIRST      (VB + 0x650)
%define F_BIT      (VB + 0x658)
%define F_K        (VB + 0x660)
%define F_GOT      (VB + 0x668)
%define F_WANT     (VB + 0x670)
%define E_BIT      (VB + 0x678)
%define NAME       (VB + 0x698)
%define MODE_STR   (VB + 0x6A0)
%define CDESC      (VB + 0x6A8)
%define CSZ        (VB + 0x6B0)
%define CFL        (VB + 0x6B8)
%define MEMA       (VB + 0x6C0)
%define IMGB       (VB + 0x6C8)     ; where the 24 bytes are (MEMA - 8,
%define PTEA       (VB + 0x6D0)     ; through the alias for faults)
%define EXP_ERR    (VB + 0x6D8)
%define EXP_CR2    (VB + 0x6E0)
%define ERRMASK    (VB + 0x6E8)
%define NVAR       (VB + 0x6F0)
%define BSRC       (VB + 0x6F8)
%define BDST       (VB + 0x700)
%define RESUME_EIP (VB + 0x708)     ; 0: an exception is unexpected
%define RESUME_SP  (VB + 0x710)
%define REC_VEC    (VB + 0x718)
%define REC_ERR    (VB + 0x720)
%define REC_EIP    (VB + 0x728)
%define REC_CR2    (VB + 0x730)
%define REC_FL     (VB + 0x738)
%define EXP_EIP    (VB + 0x740)
%define IS_RB      (VB + 0x748)     ; byte: 1 when the CPU is rawbox's
%define DETAILED   (VB + 0x750)
%define HSAVE      (VB + 0x758)     ; 2 qwords
%define EXPV       (VB + 0x780)     ; 4 qwords (SMC)
%define JMA        (VB + 0x7C0)     ; 16 bytes: 1 where a Jcc jumped
%define PREPFN     (VB + 0x7D0)     ; the case's prep routine
%define ADCHK      (VB + 0x7D8)     ; 60h: A and D must be set after
%define JMB2       (VB + 0x7E0)     ; (JMA: the chain after PUSHF, JMB2:
%define HPTR       (VB + 0x7F0)     ; after SETcc); the case's harness

; ---- pages ----
%define DATA     0x20000
%define PAIR     0x22000            ; 21000h maps to PAIR_LO: the pages
%define PAIR_LO  0x2E000            ; at the boundary are not neighbours
%define FRESH    0x23000            ; INVLPG, A and D cleared each run
%define W_RO     0x24000
%define RO_PAGE  0x25000            ; present, read-only
%define W_NP     0x26000
%define NP_PAGE  0x27000            ; not present
%define SMC1     0x28000
%define SMC2     0x29000
%define HARN     0x2A000            ; the full harness
%define FHARN    0x2C000            ; the fault harness
%define SHARN    0x2D000            ; the short harness
%define ALIAS_D  0x10000            ; 34000h-37000h: 24000h-27000h writable
%define PD32     0x14000
%define PT32     0x15000

%define SEL_CODE16 (GDT_FREE)
%define SEL_DATA16 (GDT_FREE + 8)
%define SEL_FS32   (GDT_FREE + 0x10)    ; data, base 100h, 4 GiB

; case flags
%define CF_FAULT 1                  ; the instruction faults (fault harness)
%define CF_FRESH 2                  ; INVLPG and A = D = 0 before each run
%define CF_READ  4                  ; read the operand first (TLB: readable)
%define CF_R3    8                  ; ring 3
%define CF_NPW   16                 ; not present: W compared on rawbox only
%define CF_FULL  32                 ; the full harness (SETcc, ADC runs too)

%define TURNS  120
%define LOOPN  300
%define STURNS 400

; register numbers
%define IAX 0
%define ICX 1
%define IDX 2
%define IBX 3
%define IBP 5
%define ISI 6
%define IDI 7
%define I8  8
%define I9  9
%define I10 10
%define I11 11
%define I12 12
%define I13 13
%define I14 14
%define I15 15

; ---- expected values, computed by the assembler ----
%define SZMASK(s) ((-((s) == 8)) | ((1 << (((s) * 8) & 63)) - 1))
; f with its low s bytes (s < 4; at bit `sh`) replaced by v; s >= 4: v
; alone (a 32-bit write zero-extends)
%define MERGE(f, v, s, sh) ((((s) >= 4) * ((v) & SZMASK(s))) | (((s) < 4) * (((f) & ~(SZMASK(s) << (sh))) | (((v) & SZMASK(s)) << (sh)))))
%define SX(v, b) (((((v) & ((1 << (b)) - 1)) ^ (1 << ((b) - 1)))) - (1 << ((b) - 1)))

; CALC op (0 ADD, 1 SUB), a, b, size: RES, FL (CF PF AF ZF SF OF as in
; EFLAGS), CCM (bit cc: condition cc holds), JMX (the Jcc chains' bits).
; Carries from the operands' top bits (NASM compares signed or not
; depending on the operands, so no comparisons).
%macro CALC 4
    %assign %%w (%4) * 8
    %assign %%m SZMASK(%4)
    %assign %%a (%2) & %%m
    %assign %%b (%3) & %%m
    %if %1 == 0
        %assign RES (%%a + %%b) & %%m
        %assign %%cf ((((%%a & %%b) | ((%%a | %%b) & ~RES)) >> (%%w - 1)) & 1)
        %assign %%of ((((%%a ^ RES) & (%%b ^ RES)) >> (%%w - 1)) & 1)
    %else
        %assign RES (%%a - %%b) & %%m
        %assign %%cf ((((~%%a & %%b) | ((~%%a | %%b) & RES)) >> (%%w - 1)) & 1)
        %assign %%of ((((%%a ^ %%b) & (%%a ^ RES)) >> (%%w - 1)) & 1)
    %endif
    %assign %%zf (RES == 0)
    %assign %%sf (RES >> (%%w - 1)) & 1
    %assign %%af ((%%a ^ %%b ^ RES) >> 4) & 1
    %assign %%p RES & 0xFF
    %assign %%p %%p ^ (%%p >> 4)
    %assign %%p %%p ^ (%%p >> 2)
    %assign %%p %%p ^ (%%p >> 1)
    %assign %%pf 1 - (%%p & 1)
    %assign FL %%cf | (%%pf << 2) | (%%af << 4) | (%%zf << 6) | (%%sf << 7) | (%%of << 11)
    %assign %%l %%sf ^ %%of
    %assign %%be %%cf | %%zf
    %assign %%le %%zf | %%l
    %assign CCM %%of | ((1 - %%of) << 1) | (%%cf << 2) | ((1 - %%cf) << 3) | (%%zf << 4) | ((1 - %%zf) << 5) | (%%be << 6) | ((1 - %%be) << 7) | (%%sf << 8) | ((1 - %%sf) << 9) | (%%pf << 10) | ((1 - %%pf) << 11) | (%%l << 12) | ((1 - %%l) << 13) | (%%le << 14) | ((1 - %%le) << 15)
    ; Jcc chains: z b l le be s o p nz ae g
    %assign JMX %%zf | (%%cf << 1) | (%%l << 2) | (%%le << 3) | (%%be << 4) | (%%sf << 5) | (%%of << 6) | (%%pf << 7) | ((1 - %%zf) << 8) | ((1 - %%cf) << 9) | ((1 - %%le) << 10)
%endmacro

; ---- case descriptors ----
; CASE "suffix", size, flags, operand address, #PF error code, CR2,
; {pre}, {instruction}: a jump over the descriptor, its variants (XV,
; CV, SV) follow, CASE_END runs it. The name is the instruction's text
; and the suffix. Descriptor: dd name, db size, flags, length of the
; slot's code, of its pre, dd address, error code, CR2, 8 bytes of slot
; (pre, instruction; one NOP fills the rest when patched in); variants:
; db 1, dq memory before, after, dw flags before, after (faults: at the
; fault), conditions, Jcc bits, db n, n deltas (db kind << 4 | register,
; dq value; kind 0: before, 1: after, 2: both); db 0.
%macro CASE 8
    %push case
    %assign CSIZE %2
    %assign CMEMA %4
    %assign CFAULT ((%3) & CF_FAULT)
    %assign PREFL -1
    jmp %$run
    %defstr %$is %8
%$name: db %$is, %1, 0
%$desc:
    dd LIN(%$name)
    db %2, %3, %$end - %$ins, %$pre - %$ins
    dd %4, %5, %6
%$ins:
    %7
%$pre:
    %8
%$end:
    times 8 - ($ - %$ins) db 0x90
%endmacro

%macro CASE_END 0
    db 0
%$run:
    mov xSI, LIN(%$desc)
    call %[PFX]_case
    %pop
%endmacro

; NCASE "suffix", size, flags, address, {instruction}
%macro NCASE 5
    CASE %1, %2, %3, %4, 0, 0, {}, {%5}
%endmacro

; PCASE "suffix", size, flags, address, {pre}, {instruction}
%macro PCASE 6
    CASE %1, %2, %3, %4, 0, 0, {%5}, {%6}
%endmacro

; FCASE "suffix", size, flags, address, error code, CR2, {instruction}
%macro FCASE 7
    CASE %1, %2, (%3) | CF_FAULT, %4, %5, %6, {}, {%7}
%endmacro

; FPCASE as FCASE, {pre} before {instruction}: each variant after PRE
%macro FPCASE 8
    CASE %1, %2, (%3) | CF_FAULT, %4, %5, %6, {%7}, {%8}
%endmacro

; PRE op (0 ADD, 1 SUB/CMP), size, a, b: the flags a fault after the
; pre pushes, for the next variant
%macro PRE 4
    CALC %1, %3, %4, %2
    %assign PREFL FL
%endmacro

; SCASE "suffix", {ALU instruction}, {sign extension}
%macro SCASE 3
    CASE %1, 1, CF_FULL, DATA + 0x7F0, 0, 0, {%2}, {%3}
%endmacro

%macro VREC 3                   ; memory before, after, deltas
    %assign %%fin ((~FL) & 0x8D5) | 2
    %assign %%fx FL
    %if CFAULT
        %if PREFL >= 0
            %assign %%fx PREFL
        %else
            %assign %%fx %%fin & 0x8D5
        %endif
    %endif
    %assign PREFL -1
    db 1
    dq %1, %2
    dw %%fin, %%fx, CCM, JMX
    db %3
%endmacro

%macro DELTA 3                  ; kind, register, value
    db ((%1) << 4) | (%2)
    dq %3
%endmacro

; XV memory, source register, shift (8: AH-BH), the source's whole value,
; address register[, its value]: an XADD variant.
%macro XV 5-6 CMEMA
    %assign %%m SZMASK(CSIZE)
    %assign %%d (%1) & %%m
    %assign %%s ((%4) >> (%3)) & %%m
    CALC 0, %%d, %%s, CSIZE
    VREC %%d, RES, 3
    DELTA 2, %5, %6
    DELTA 0, %2, %4
    DELTA 1, %2, MERGE(%4, %%d, CSIZE, %3)
%endmacro

; CV memory, the accumulator's whole value, source register, shift, the
; source's whole value, address register[, its value]: a CMPXCHG variant.
%macro CV 6-7 CMEMA
    %assign %%m SZMASK(CSIZE)
    %assign %%d (%1) & %%m
    %assign %%a (%2) & %%m
    %assign %%s ((%5) >> (%4)) & %%m
    CALC 1, %%a, %%d, CSIZE
    %if %%a == %%d
        %assign %%mx %%s
        %assign %%ax (%2)
    %else
        %assign %%mx %%d
        %assign %%ax MERGE(%2, %%d, CSIZE, 0)
    %endif
    VREC %%d, %%mx, 4
    DELTA 2, %6, %7
    DELTA 2, %3, %5
    DELTA 0, IAX, %2
    DELTA 1, IAX, %%ax
%endmacro

; SV ALU op (0 ADD, 1 SUB, 2 CMP) of ECX/RCX and EBX/RBX, its size, their
; values, EAX/RAX and EDX/RDX, kind (0 CBW, 1 CWDE, 2 CDQE, 3 CWD, 4 CDQ,
; 5 CQO): a sign extension variant, the flags the ALU op's.
%macro SV 7
    CALC ((%1) != 0), %3, %4, %2
    %if %1 == 2
        %assign %%cx (%3)
    %else
        %assign %%cx MERGE(%3, RES, %2, 0)
    %endif
    %assign %%ax (%5)
    %assign %%dx (%6)
    %if %7 == 0
        %assign %%ax MERGE(%5, SX(%5, 8), 2, 0)
    %elif %7 == 1
        %assign %%ax SX(%5, 16) & 0xFFFFFFFF
    %elif %7 == 2
        %assign %%ax SX(%5, 32)
    %elif %7 == 3
        %assign %%dx MERGE(%6, -(((%5) >> 15) & 1), 2, 0)
    %elif %7 == 4
        %assign %%dx (-(((%5) >> 31) & 1)) & 0xFFFFFFFF
    %else
        %assign %%dx -(((%5) >> 63) & 1)
    %endif
    VREC 0x5A, 0x5A, 7
    DELTA 0, ICX, %3
    DELTA 1, ICX, %%cx
    DELTA 2, IBX, %4
    DELTA 0, IAX, %5
    DELTA 1, IAX, %%ax
    DELTA 0, IDX, %6
    DELTA 1, IDX, %%dx
%endmacro

%macro PREPIMG 0
    mov xAX, [IMGB]
%if MODE64
    mov rdx, [C_IMG]
    mov [rax], rdx
    mov rdx, [C_IMG + 8]
    mov [rax + 8], rdx
    mov rdx, [C_IMG + 16]
    mov [rax + 16], rdx
%else
%assign HK 0
%rep 6
    mov edx, [C_IMG + HK]
    mov [eax + HK], edx
%assign HK HK + 4
%endrep
%endif
%endmacro

%macro PREPEND 0
    mov byte [ADCV], 0x40
    push W [C_FLIN]
    popf
    ret
%endmacro

; ---- the self-looping blocks' results, computed here ----
%assign FA32 1
%assign FC32 0
%assign FK32 0
%assign FA64 1
%assign FC64 0
%assign FK64 0
%assign FA8 1
%assign FC8 0
%assign FK8 0
%rep LOOPN
    CALC 0, FA32, FC32, 4
    %assign FK32 FK32 + (FL & 1)
    %assign FC32 FA32
    %assign FA32 RES
    CALC 0, FA64, FC64, 8
    %assign FK64 FK64 + (FL & 1)
    %assign FC64 FA64
    %assign FA64 RES
    CALC 0, FA8, FC8, 1
    %assign FK8 FK8 + (FL & 1)
    %assign FC8 FA8
    %assign FA8 RES
%endrep

; ---- modes: register names and sizes ----
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
%define PFX p
%define PTESZ 4
%define PTBASE PT32
%define MODE64 0
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
%define PFX l
%define PTESZ 8
%define PTBASE PT_BASE
%define MODE64 1
%endmacro

%macro LOADREGS 0
    mov xAX, [C_REGIN + 0 * 8]
    mov xCX, [C_REGIN + 1 * 8]
    mov xDX, [C_REGIN + 2 * 8]
    mov xBX, [C_REGIN + 3 * 8]
    mov xBP, [C_REGIN + 5 * 8]
    mov xSI, [C_REGIN + 6 * 8]
    mov xDI, [C_REGIN + 7 * 8]
%if MODE64
    mov r8, [C_REGIN + 8 * 8]
    mov r9, [C_REGIN + 9 * 8]
    mov r10, [C_REGIN + 10 * 8]
    mov r11, [C_REGIN + 11 * 8]
    mov r12, [C_REGIN + 12 * 8]
    mov r13, [C_REGIN + 13 * 8]
    mov r14, [C_REGIN + 14 * 8]
    mov r15, [C_REGIN + 15 * 8]
%endif
%endmacro

%macro DUMPREGS 0
    mov [DUMP + 0 * 8], xAX
    mov [DUMP + 1 * 8], xCX
    mov [DUMP + 2 * 8], xDX
    mov [DUMP + 3 * 8], xBX
    mov [DUMP + 5 * 8], xBP
    mov [DUMP + 6 * 8], xSI
    mov [DUMP + 7 * 8], xDI
%if MODE64
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

%macro SETALL 1                 ; SETcc of the 16 conditions into %1 + cc
    seto byte [%1 + 0]
    setno byte [%1 + 1]
    setb byte [%1 + 2]
    setae byte [%1 + 3]
    sete byte [%1 + 4]
    setne byte [%1 + 5]
    setbe byte [%1 + 6]
    seta byte [%1 + 7]
    sets byte [%1 + 8]
    setns byte [%1 + 9]
    setp byte [%1 + 10]
    setnp byte [%1 + 11]
    setl byte [%1 + 12]
    setge byte [%1 + 13]
    setle byte [%1 + 14]
    setg byte [%1 + 15]
%endmacro

; ERRX bit: a failed check of this turn; xDX index, xAX got, xCX want.
%macro ERRX 1
    mov W [E_BIT], %1
    call %[PFX]_err
%endmacro

%macro RESET_ERRS 0
    mov W [TURN], 0
    mov W [ERRS], 0
    mov W [FIRST], -1
    mov W [DETAILED], 0
%endmacro

; REPORT mask, "suffix": a check line for the case (NAME), passing when
; no error bit of mask is set; the first failure's details after it.
%macro REPORT 2
    jmp %%a
%%s: db %2, 0
%%a:
    test W [ERRS], %1
    mov esi, LIN(%%s)
    call %[PFX]_line
%endmacro

; A call from the harness (run at HBASE, assembled at HSTART) to a routine
; of the ROM.
%macro HCALL 1
    db 0xE8
    dd ((%1) - $) + HSTART + (ROM_BASE - HBASE - 4)
%endmacro

%macro HSLOT 0                  ; 8 bytes the case's instruction goes into
%%s:
    times 8 db 0x90
    %assign NS NS + 1
    %xdefine SLOT_%[NS] (HBASE + (%%s - HSTART))
%endmacro

%macro HRUN 0                   ; memory, flags, registers; the instruction
    call W [PREPFN]
    LOADREGS
    HSLOT
%endmacro

%macro JC 3                     ; j%1 jumps: byte %3 of %2 = 1 (a MOV:
    j%1 %%t                     ; the flags kept for the next Jcc)
    jmp %%n
%%t:
    mov byte [%2 + %3], 1
%%n:
%endmacro

%define JCC_0 z
%define JCC_1 b
%define JCC_2 l
%define JCC_3 le
%define JCC_4 be
%define JCC_5 s
%define JCC_6 o
%define JCC_7 p
%define JCC_8 nz
%define JCC_9 ae
%define JCC_10 g

%macro JCHAIN 2                 ; the 11 Jccs into bytes at %1, from %2 on
%assign %%k 0
%rep 11
%assign %%i ((%2) + %%k) % 11
%xdefine %%cc JCC_%[%%i]
    JC %%cc, %1, %%i
%assign %%k %%k + 1
%endrep
%endmacro

; CCMASK bytes: xAX = the mask of the 16 bytes at `bytes` (ECX used)
%macro CCMASK 1
    xor ecx, ecx
%assign HK 0
%rep 16
    movzx eax, byte [%1 + HK]
    shl eax, HK
    or ecx, eax
%assign HK HK + 1
%endrep
    mov eax, ecx
%endmacro

; XCOMMON: EBP != 0 when the registers (DUMP against C_EXPR, 128 bytes),
; the 24 bytes (C_EIMG) or the PTE's A and D (ADCHK) differ. Few
; instructions, no branch: every block fewer to run and to translate.
%macro XCOMMON 0
    cld
    mov esi, DUMP
    mov edi, C_EXPR
    mov ecx, 32
    repe cmpsd
    setne bl
    mov xSI, [IMGB]
    mov edi, C_EIMG
    mov ecx, 24
    repe cmpsb
    setne bh
    movzx ebp, bx
    mov xAX, [PTEA]
    mov eax, [xAX]
    and eax, [ADCHK]
    xor eax, [ADCHK]
    or ebp, eax
%endmacro

%macro X16 2                    ; EBP |= the 16 bytes at %1 and %2 differ
    mov esi, %1
    mov edi, %2
    mov ecx, 16
    repe cmpsb
    setne al
    movzx eax, al
    or ebp, eax
%endmacro

; RING3_IRET label: on at `label` at ring 3 (IOPL 0) on the ring-3 stack.
%macro RING3_IRET 1
    lea xSP, [xSP - 5 * SZ]
    mov W [xSP], LIN(%1)
%if MODE64
    mov W [xSP + SZ], SEL_CODE64_R3
%else
    mov W [xSP + SZ], SEL_CODE32_R3
%endif
    mov W [xSP + 2 * SZ], 2
    mov W [xSP + 3 * SZ], USER_TOP
    mov W [xSP + 4 * SZ], SEL_DATA_R3
%if MODE64
    iretq
%else
    mov ax, SEL_DATA_R3
    mov ds, ax
    mov es, ax
    iretd
%endif
%endmacro

%macro DATA0 0                  ; ring-0 data segments again (32-bit)
%if MODE64 == 0
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
%endif
%endmacro

; The special pages: PAIR - 1000h elsewhere, RO_PAGE read-only, NP_PAGE
; not present, the alias window writable.
%macro MAPS 0
    mov dword [PTBASE + ((PAIR - 0x1000) >> 12) * PTESZ], PAIR_LO | 7
    mov dword [PTBASE + (RO_PAGE >> 12) * PTESZ], RO_PAGE | 5
    mov dword [PTBASE + (NP_PAGE >> 12) * PTESZ], 0
    mov dword [PTBASE + ((W_RO + ALIAS_D) >> 12) * PTESZ], W_RO | 7
    mov dword [PTBASE + ((RO_PAGE + ALIAS_D) >> 12) * PTESZ], RO_PAGE | 7
    mov dword [PTBASE + ((W_NP + ALIAS_D) >> 12) * PTESZ], W_NP | 7
    mov dword [PTBASE + ((NP_PAGE + ALIAS_D) >> 12) * PTESZ], NP_PAGE | 7
%endmacro

; ======================================================================
; routines of both modes (expanded after USE32 and after USE64)
; ======================================================================
%macro SHARED 0
; ---- the full harness, copied to HARN: five runs of the slot; the
; registers loaded in each run's block (so the recompiler caches some) ----
%xdefine HSTART %[PFX]_harn
%xdefine HBASE HARN
%assign NS 0
%[PFX]_harn:
    HRUN                        ; PUSHF right after, then 11 Jccs
    pushf
    pop W [FLG1]
    JCHAIN JMA, 0
    HCALL %[PFX]_chk_a
    HRUN                        ; SETcc right after, then 11 Jccs
    SETALL CCS
    JCHAIN JMB2, 2
    HCALL %[PFX]_chk_b
    HRUN                        ; MOVs after it, the flags after them
    DUMPREGS
    pushf
    pop W [FLG3]
    SETALL CCS3
    HCALL %[PFX]_chk_c
    HRUN                        ; ADC right after
    adc byte [ADCV], 0
    HCALL %[PFX]_chk_d
    HRUN                        ; CF kept by an INC, then ADC
    inc byte [ADCV + 1]
    adc byte [ADCV], 0
    HCALL %[PFX]_chk_d
    ret
%[PFX]_harn_end:

; ---- the short harness, copied to SHARN: the PUSHF and MOVs runs ----
%xdefine HSTART %[PFX]_sharn
%xdefine HBASE SHARN
%[PFX]_sharn:
    HRUN
    pushf
    pop W [FLG1]
    HCALL %[PFX]_chk_as
    HRUN
    DUMPREGS
    pushf
    pop W [FLG3]
    SETALL CCS3
    HCALL %[PFX]_chk_c
    ret
%[PFX]_sharn_end:

; ---- the fault harness, copied to FHARN ----
%xdefine HSTART %[PFX]_fharn
%xdefine HBASE FHARN
%[PFX]_fharn:
    call W [PREPFN]
    LOADREGS
%[PFX]_fslot:
    HSLOT
    ud2                         ; no fault: #UD ends the run
%[PFX]_fharn_end:
%[PFX]_slots:
%assign HK 1
%rep NS
    dd SLOT_%[HK]
%assign HK HK + 1
%endrep
%[PFX]_nsl equ NS

; ring 3: one turn of a harness, then #UD back to ring 0
%[PFX]_r3n:
    call W [HPTR]
    ud2
%[PFX]_r3f:
    mov eax, FHARN
    call xAX
    ud2

%[PFX]_init:                    ; the harnesses, the default registers
    cld
    mov esi, LIN(%[PFX]_harn)
    mov edi, HARN
    mov ecx, %[PFX]_harn_end - %[PFX]_harn
    rep movsb
    mov esi, LIN(%[PFX]_sharn)
    mov edi, SHARN
    mov ecx, %[PFX]_sharn_end - %[PFX]_sharn
    rep movsb
    mov esi, LIN(%[PFX]_fharn)
    mov edi, FHARN
    mov ecx, %[PFX]_fharn_end - %[PFX]_fharn
    rep movsb
    mov edi, DUMP               ; (DUMPREGS and the recorders leave
    xor eax, eax                ; ESP's slot and, in 32-bit code, the
    mov ecx, 128                ; upper halves 0)
    rep stosb
    mov edi, REC
    mov ecx, 128
    rep stosb
    mov esi, LIN(basev)         ; (32-bit code: the low halves of the
    mov edi, BASEV              ; first 8, the rest 0)
    mov ecx, 128
    rep movsb
%if MODE64 == 0
    mov edi, BASEV
    xor ecx, ecx
.b: mov dword [edi + ecx * 8 + 4], 0
    cmp ecx, 8
    jb .n
    mov dword [edi + ecx * 8], 0
.n: inc ecx
    cmp ecx, 16
    jb .b
%endif
    ret

; The 24 bytes, ADC's byte and the flags of the variant; between, INVLPG
; and A = D = 0 (prepf), the operand's last byte read (prepr), or both, the
; TLB then holding the page readable only (prepfr). No branch.
%[PFX]_prep:
    PREPIMG
    PREPEND
%[PFX]_prepf:
    PREPIMG
    mov xAX, [PTEA]
    and dword [xAX], ~0x60
    mov xAX, [MEMA]
    invlpg [xAX]
    PREPEND
%[PFX]_prepr:
    PREPIMG
    mov xAX, [MEMA]
    add xAX, [CSZ]
    movzx eax, byte [xAX - 1]
    PREPEND
%[PFX]_prepfr:
    PREPIMG
    mov xAX, [PTEA]
    and dword [xAX], ~0x60
    mov xAX, [MEMA]
    invlpg [xAX]
    movzx eax, byte [xAX]
    PREPEND

%[PFX]_err:                     ; E_BIT; xDX index, xAX got, xCX want
    push xAX
    push xBX
    mov xBX, [E_BIT]
    or [ERRS], xBX
    cmp W [FIRST], -1
    jne .r
    mov [F_BIT], xBX
    mov [F_K], xDX
    mov [F_GOT], xAX
    mov [F_WANT], xCX
    mov xAX, [TURN]
    mov [FIRST], xAX
.r: pop xBX
    pop xAX
    ret

; The checks after each kind of run: with no branch whether anything
; differs; only when something does, the slow path finds what and notes
; it.
%[PFX]_chk_a:
    DUMPREGS
    XCOMMON
    mov xAX, [FLG1]
    and eax, 0x8D5
    xor eax, [C_FLEXP]
    or ebp, eax
    X16 JMA, C_JB
    test ebp, ebp
    jnz .s
    ret
.s: call %[PFX]_slow
    mov xAX, [FLG1]
    and eax, 0x8D5
    mov xCX, [C_FLEXP]
    mov edx, -1
    cmp xAX, xCX
    je .j
    ERRX 8
.j: mov ebx, JMA
    jmp %[PFX]_slow_j

%[PFX]_chk_as:                  ; (the short harness: no Jcc chain)
    DUMPREGS
    XCOMMON
    mov xAX, [FLG1]
    and eax, 0x8D5
    xor eax, [C_FLEXP]
    or ebp, eax
    test ebp, ebp
    jnz .s
    ret
.s: call %[PFX]_slow
    mov xAX, [FLG1]
    and eax, 0x8D5
    mov xCX, [C_FLEXP]
    mov edx, -1
    cmp xAX, xCX
    je .r
    ERRX 8
.r: ret

%[PFX]_chk_b:
    DUMPREGS
    XCOMMON
    X16 CCS, C_CCB
    X16 JMB2, C_JB
    test ebp, ebp
    jnz .s
    ret
.s: call %[PFX]_slow
    CCMASK CCS
    mov xCX, [C_CCEXP]
    mov edx, -1
    cmp xAX, xCX
    je .j
    ERRX 16
.j: mov ebx, JMB2
    jmp %[PFX]_slow_j

%[PFX]_chk_c:                   ; (the harness stored the registers)
    XCOMMON
    mov xAX, [FLG3]
    and eax, 0x8D5
    xor eax, [C_FLEXP]
    or ebp, eax
    X16 CCS3, C_CCB
    test ebp, ebp
    jnz .s
    ret
.s: call %[PFX]_slow
    mov xAX, [FLG3]
    and eax, 0x8D5
    mov xCX, [C_FLEXP]
    mov edx, -1
    cmp xAX, xCX
    je .c
    ERRX 32
.c: CCMASK CCS3
    mov xCX, [C_CCEXP]
    mov edx, -1
    cmp xAX, xCX
    je .r
    ERRX 64
.r: ret

%[PFX]_chk_d:
    DUMPREGS
    XCOMMON
    movzx eax, byte [ADCV]
    mov xCX, [C_FLEXP]
    and ecx, 1
    add ecx, 0x40
    xor eax, ecx
    or ebp, eax
    test ebp, ebp
    jnz .s
    ret
.s: call %[PFX]_slow
    movzx eax, byte [ADCV]
    mov xCX, [C_FLEXP]
    and ecx, 1
    add ecx, 0x40
    mov edx, -1
    cmp xAX, xCX
    je .r
    ERRX 128
.r: ret

%[PFX]_slow_j:                  ; xBX: a chain's 16 bytes against C_JEXP
    CCMASK xBX
    mov xCX, [C_JEXP]
    mov edx, -1
    cmp xAX, xCX
    je .r
    ERRX 256
.r: ret

; which register, byte or A/D bit differs
%[PFX]_slow:
    xor edx, edx
.r: cmp edx, 4
    je .rn
    mov xAX, [DUMP + xDX * 8]
    mov xCX, [C_EXPR + xDX * 8]
    cmp xAX, xCX
    je .rn
    ERRX 1
.rn:
    inc edx
    cmp edx, NREGS
    jb .r
    mov xSI, [IMGB]
    xor edx, edx
.m: mov xAX, [xSI + xDX]
    mov xCX, [C_EIMG + xDX]
    cmp xAX, xCX
    je .mn
    ERRX 2
.mn:
    add edx, SZ
    cmp edx, 24
    jb .m
    mov xDX, [PTEA]
    mov eax, [xDX]
    and eax, [ADCHK]
    mov ecx, [ADCHK]
    cmp eax, ecx
    je .x
    ERRX 4
.x: ret

%[PFX]_chk_r3:                  ; a ring-3 turn ended by its UD2
    mov xAX, [REC_VEC]
    mov ecx, 6
    cmp xAX, xCX
    je .r
    mov xDX, [REC_EIP]
    ERRX 0x200
.r: ret

; a run of the fault harness: #PF at the instruction (after the slot's
; pre), nothing changed, the flags those before it (as the checks above:
; the loops only when something differs)
%[PFX]_chk_f:
    cld
    mov esi, REC
    mov edi, C_REGIN
    mov ecx, 32
    repe cmpsd
    setne bl
    mov xSI, [IMGB]
    mov edi, C_IMG
    mov ecx, 24
    repe cmpsb
    setne bh
    movzx ebp, bx
    mov xAX, [REC_VEC]
    xor eax, 14
    or ebp, eax
    mov xAX, [REC_ERR]
    xor xAX, [EXP_ERR]
    and xAX, [ERRMASK]
    or xBP, xAX
    mov xAX, [REC_CR2]
    xor xAX, [EXP_CR2]
    or xBP, xAX
    mov xAX, [REC_EIP]
    xor xAX, [EXP_EIP]
    or xBP, xAX
    mov xAX, [REC_FL]
    and eax, 0x8D5
    xor xAX, [C_FLEXP]
    or xBP, xAX
    test xBP, xBP
    jnz .s
    ret
.s: mov xDX, [REC_EIP]
    mov xAX, [REC_VEC]
    mov ecx, 14
    cmp xAX, xCX
    je .1
    ERRX 0x400
.1: mov xAX, [REC_ERR]
    and xAX, [ERRMASK]
    mov xCX, [EXP_ERR]
    and xCX, [ERRMASK]
    cmp xAX, xCX
    je .2
    ERRX 0x800
.2: mov xAX, [REC_CR2]
    mov xCX, [EXP_CR2]
    cmp xAX, xCX
    je .3
    ERRX 0x1000
.3: mov xAX, [REC_EIP]
    mov xCX, [EXP_EIP]
    cmp xAX, xCX
    je .4
    ERRX 0x2000
.4: xor edx, edx
.r: cmp edx, 4
    je .rn
    mov xAX, [REC + xDX * 8]
    mov xCX, [C_REGIN + xDX * 8]
    cmp xAX, xCX
    je .rn
    ERRX 0x4000
.rn:
    inc edx
    cmp edx, NREGS
    jb .r
    mov xAX, [REC_FL]
    and eax, 0x8D5
    mov xCX, [C_FLEXP]
    cmp xAX, xCX
    je .5
    mov edx, -1
    ERRX 0x8000
.5: mov xSI, [IMGB]
    xor edx, edx
.m: mov xAX, [xSI + xDX]
    mov xCX, [C_IMG + xDX]
    cmp xAX, xCX
    je .mn
    ERRX 0x10000
.mn:
    add edx, SZ
    cmp edx, 24
    jb .m
    ret

; BSRC: a variant record, BDST: its area; BSRC past it after.
%[PFX]_build:
    cld
    mov esi, BASEV
    mov xDI, [BDST]
    mov ecx, 128
    rep movsb
    mov esi, BASEV
    mov ecx, 128
    rep movsb
    mov esi, LIN(canary)
    mov ecx, 24
    rep movsb
    mov esi, LIN(canary)
    mov ecx, 24
    rep movsb
    mov xSI, [BSRC]
    mov xDI, [BDST]
    mov xCX, [CSZ]
    xor edx, edx
.b: mov al, [xSI + 1 + xDX]
    mov [xDI + 0x108 + xDX], al
    mov al, [xSI + 9 + xDX]
    mov [xDI + 0x120 + xDX], al
    inc edx
    cmp edx, ecx
    jb .b
    movzx eax, word [xSI + 17]
    mov [xDI + 0x130], xAX
    movzx eax, word [xSI + 19]
    mov [xDI + 0x138], xAX
    movzx eax, word [xSI + 21]
    mov [xDI + 0x140], xAX
    movzx eax, word [xSI + 23]
    mov [xDI + 0x148], xAX
    xor ecx, ecx                ; the conditions and chains as bytes
.cb:
    movzx eax, word [xSI + 21]
    bt eax, ecx
    setc byte [xDI + 0x150 + xCX]
    movzx eax, word [xSI + 23]
    bt eax, ecx
    setc byte [xDI + 0x160 + xCX]
    inc ecx
    cmp ecx, 16
    jb .cb
    movzx ecx, byte [xSI + 25]
    add xSI, 26
.d: test ecx, ecx
    jz .e
    movzx eax, byte [xSI]
    mov edx, eax
    and edx, 15
    shr eax, 4
    mov xBX, [xSI + 1]
    cmp eax, 1
    je .x
    mov [xDI + xDX * 8], xBX
    test eax, eax
    jz .nx
.x: mov [xDI + 0x80 + xDX * 8], xBX
.nx:
    add xSI, 9
    dec ecx
    jmp .d
.e: mov [BSRC], xSI
    ret

; Run the case whose descriptor xSI points at, TURNS turns, and report.
%[PFX]_case:
    mov [CDESC], xSI
    mov eax, [xSI]
    mov [NAME], xAX
    movzx eax, byte [xSI + 4]
    mov [CSZ], xAX
    movzx eax, byte [xSI + 5]
    mov [CFL], xAX
    mov eax, [xSI + 8]
    mov [MEMA], xAX
    mov ecx, eax
    shr ecx, 12
    imul ecx, ecx, PTESZ
    add ecx, PTBASE
    mov [PTEA], xCX
    sub eax, 8
    test byte [CFL], CF_FAULT
    jz .ni
    add eax, ALIAS_D
.ni:
    mov [IMGB], xAX
    mov eax, [xSI + 12]
    mov [EXP_ERR], xAX
    mov eax, [xSI + 16]
    mov [EXP_CR2], xAX
    movzx eax, byte [xSI + 7]
    add eax, FHARN + (%[PFX]_fslot - %[PFX]_fharn)
    mov [EXP_EIP], xAX
    mov W [PREPFN], LIN(%[PFX]_prep)
    mov W [ADCHK], 0
    test byte [CFL], CF_READ
    jz .nrd
    mov W [PREPFN], LIN(%[PFX]_prepr)
.nrd:
    test byte [CFL], CF_FRESH
    jz .nfr
    mov W [PREPFN], LIN(%[PFX]_prepf)
    mov W [ADCHK], 0x60
    test byte [CFL], CF_READ
    jz .nfr
    mov W [PREPFN], LIN(%[PFX]_prepfr)
.nfr:
    mov W [HPTR], SHARN
    test byte [CFL], CF_FULL
    jz .nfu
    mov W [HPTR], HARN
.nfu:
    mov W [ERRMASK], -1
    test byte [CFL], CF_NPW
    jz .nm
    cmp byte [IS_RB], 0
    jne .nm
    mov W [ERRMASK], ~2
.nm:
    cld                         ; the slots
    xor ebx, ebx
.p: mov edi, [LIN(%[PFX]_slots) + xBX * 4]
    mov xSI, [CDESC]
    movzx ecx, byte [xSI + 6]
    add xSI, 20
    rep movsb
    mov xSI, [CDESC]            ; the rest: one NOP of 8 - length bytes
    movzx ecx, byte [xSI + 6]
    neg ecx
    add ecx, 8
    lea esi, [ecx * 8 + LIN(nops)]
    rep movsb
    inc ebx
    cmp ebx, %[PFX]_nsl
    jb .p
    mov xSI, [CDESC]             ; the variants
    add xSI, 28
    mov [BSRC], xSI
    mov W [NVAR], 0
.v: mov xSI, [BSRC]
    cmp byte [xSI], 1
    jne .vd
    mov xAX, [NVAR]
    imul eax, eax, VSIZE
    add eax, VARS
    mov [BDST], xAX
    call %[PFX]_build
    inc W [NVAR]
    jmp .v
.vd:
    RESET_ERRS
.t: mov xAX, [TURN]             ; variant TURN mod NVAR
    xor edx, edx
    div W [NVAR]
    imul edx, edx, VSIZE
    lea esi, [edx + VARS]
    mov edi, CUR
    mov ecx, VSIZE
    cld
    rep movsb
%assign HK 0
%rep 4
    mov dword [JMA + HK], 0
    mov dword [JMB2 + HK], 0
%assign HK HK + 4
%endrep
    mov W [REC_VEC], -1
    mov [RESUME_SP], xSP
    test byte [CFL], CF_FAULT
    jnz .f
    test byte [CFL], CF_R3
    jnz .r3
    call W [HPTR]
    jmp .n
.r3:
    mov W [RESUME_EIP], LIN(.r3back)
    RING3_IRET %[PFX]_r3n
.r3back:
    DATA0
    mov xSP, [RESUME_SP]
    mov W [RESUME_EIP], 0
    call %[PFX]_chk_r3
    jmp .n
.f: mov W [RESUME_EIP], LIN(.fback)
    test byte [CFL], CF_R3
    jz .f0
    RING3_IRET %[PFX]_r3f
.f0:
    mov eax, FHARN
    call xAX
.fback:
    DATA0
    mov xSP, [RESUME_SP]
    mov W [RESUME_EIP], 0
    call %[PFX]_chk_f
.n: inc W [TURN]
    cmp W [TURN], TURNS
    jb .t
    test byte [CFL], CF_FAULT
    jnz .rf
    REPORT 0x207, ": registers, memory"
    test byte [CFL], CF_FULL
    jz .rs
    REPORT 0x198, ": flags right after (PUSHF, SETcc, ADC; Jcc chains)"
    jmp .rl
.rs:
    REPORT 0x198, ": flags right after (PUSHF)"
.rl:
    REPORT 0x060, ": flags after 16 MOVs (PUSHF, SETcc)"
    ret
.rf:
    REPORT 0x3C00, ": #PF, error code, CR2, EIP at the instruction"
    REPORT 0x1C000, ": no register, flag or byte of memory changed"
    ret

; ---- (g) self-looping blocks ----
%[PFX]_loops:
    mov W [NAME], LIN(str_fib32)
    RESET_ERRS
.t1:
    mov dword [DATA + 0x800], 1
    xor ecx, ecx
    xor esi, esi
    mov ebp, LOOPN
    mov edi, DATA + 0x800
    jmp .l1
.l1:
    lock xadd [xDI], ecx
    adc esi, 0
    dec ebp
    jnz .l1
    mov [DUMP + 8], xCX
    mov [DUMP + 16], xSI
    xor edx, edx
    mov eax, [DATA + 0x800]
    mov ecx, FA32
    cmp eax, ecx
    je .a1
    ERRX 1
.a1:
    mov xAX, [DUMP + 8]
    mov ecx, FC32
    cmp xAX, xCX
    je .b1
    ERRX 2
.b1:
    mov xAX, [DUMP + 16]
    mov ecx, FK32
    cmp xAX, xCX
    je .c1
    ERRX 4
.c1:
    inc W [TURN]
    cmp W [TURN], 3
    jb .t1
    REPORT 7, ": memory, ECX, carries counted by ADC"

    mov W [NAME], LIN(str_fib8)
    RESET_ERRS
.t2:
    mov byte [DATA + 0x808], 1
    mov eax, 0x12340077
%if MODE64
    mov rcx, 0xFEDCBA9800000000
    or rax, rcx
%endif
    xor esi, esi
    mov ebp, LOOPN
    mov edi, DATA + 0x808
    jmp .l2
.l2:
    lock xadd [xDI], ah
    adc esi, 0
    dec ebp
    jnz .l2
    mov [DUMP], xAX
    mov [DUMP + 16], xSI
    xor edx, edx
    movzx eax, byte [DATA + 0x808]
    mov ecx, FA8
    cmp eax, ecx
    je .a2
    ERRX 1
.a2:
    mov xAX, [DUMP]
%if MODE64
    mov rcx, 0xFEDCBA9812340077 | (FC8 << 8)
%else
    mov ecx, 0x12340077 | (FC8 << 8)
%endif
    cmp xAX, xCX
    je .b2
    ERRX 2
.b2:
    mov xAX, [DUMP + 16]
    mov ecx, FK8
    cmp xAX, xCX
    je .c2
    ERRX 4
.c2:
    inc W [TURN]
    cmp W [TURN], 3
    jb .t2
    REPORT 7, ": memory, the rest of EAX/RAX kept, carries counted by ADC"

%if MODE64
    mov W [NAME], LIN(str_fib64)
    RESET_ERRS
.t3:
    mov qword [DATA + 0x810], 1
    xor ecx, ecx
    xor esi, esi
    mov ebp, LOOPN
    mov edi, DATA + 0x810
    jmp .l3
.l3:
    lock xadd [rdi], rcx
    adc esi, 0
    dec ebp
    jnz .l3
    mov [DUMP + 8], rcx
    mov [DUMP + 16], rsi
    xor edx, edx
    mov rax, [DATA + 0x810]
    mov rcx, FA64
    cmp rax, rcx
    je .a3
    ERRX 1
.a3:
    mov rax, [DUMP + 8]
    mov rcx, FC64
    cmp rax, rcx
    je .b3
    ERRX 2
.b3:
    mov rax, [DUMP + 16]
    mov ecx, FK64
    cmp rax, rcx
    je .c3
    ERRX 4
.c3:
    inc qword [TURN]
    cmp qword [TURN], 3
    jb .t3
    REPORT 7, ": memory, RCX, carries counted by ADC"

    mov W [NAME], LIN(str_fibrip)
    RESET_ERRS
.t6:
    mov dword [DATA + 0x820], 1
    xor ecx, ecx
    xor esi, esi
    mov ebp, LOOPN
    jmp .l6
.l6:
    lock xadd [rel $$ + (DATA + 0x820 - ROM_BASE)], ecx
    adc esi, 0
    dec ebp
    jnz .l6
    mov [DUMP + 8], rcx
    mov [DUMP + 16], rsi
    xor edx, edx
    mov eax, [DATA + 0x820]
    mov ecx, FA32
    cmp eax, ecx
    je .a6
    ERRX 1
.a6:
    mov rax, [DUMP + 8]
    mov ecx, FC32
    cmp rax, rcx
    je .b6
    ERRX 2
.b6:
    mov rax, [DUMP + 16]
    mov ecx, FK32
    cmp rax, rcx
    je .c6
    ERRX 4
.c6:
    inc qword [TURN]
    cmp qword [TURN], 3
    jb .t6
    REPORT 7, ": memory, ECX, carries counted by ADC"

    mov W [NAME], LIN(str_casrip)
    RESET_ERRS
.t7:
    mov dword [DATA + 0x860], 0
    mov rax, 0xDEADBEEF00000000
    xor ebx, ebx
    mov ebp, LOOPN
    jmp .l7
.l7:
    lea ecx, [rax + 1]
    lock cmpxchg [rel $$ + (DATA + 0x860 - ROM_BASE)], ecx
    adc ebx, 0
    dec ebp
    jnz .l7
    mov [DUMP], rax
    mov [DUMP + 8], rbx
    xor edx, edx
    mov eax, [DATA + 0x860]
    mov ecx, LOOPN / 2
    cmp eax, ecx
    je .a7
    ERRX 1
.a7:
    mov rax, [DUMP]
    mov ecx, LOOPN / 2
    cmp rax, rcx
    je .b7
    ERRX 2
.b7:
    mov rax, [DUMP + 8]
    mov ecx, LOOPN / 2
    cmp rax, rcx
    je .c7
    ERRX 4
.c7:
    inc qword [TURN]
    cmp qword [TURN], 3
    jb .t7
    REPORT 7, ": memory, RAX (zero-extended once a compare failed), failures counted by ADC"
%endif

    mov W [NAME], LIN(str_cas32)
    RESET_ERRS
.t4:
    mov dword [DATA + 0x840], 0
%if MODE64
    mov rax, 0xDEADBEEF00000000
%else
    xor eax, eax
%endif
    xor ebx, ebx
    mov ebp, LOOPN
    mov edi, DATA + 0x840
    jmp .l4
.l4:
    lea ecx, [xAX + 1]
    lock cmpxchg [xDI], ecx
    adc ebx, 0
    dec ebp
    jnz .l4
    mov [DUMP], xAX
    mov [DUMP + 8], xBX
    xor edx, edx
    mov eax, [DATA + 0x840]
    mov ecx, LOOPN / 2
    cmp eax, ecx
    je .a4
    ERRX 1
.a4:
    mov xAX, [DUMP]
    mov ecx, LOOPN / 2
    cmp xAX, xCX
    je .b4
    ERRX 2
.b4:
    mov xAX, [DUMP + 8]
    mov ecx, LOOPN / 2
    cmp xAX, xCX
    je .c4
    ERRX 4
.c4:
    inc W [TURN]
    cmp W [TURN], 3
    jb .t4
    REPORT 7, ": memory, EAX/RAX (zero-extended once a compare failed), failures counted by ADC"

    mov W [NAME], LIN(str_cas16)
    RESET_ERRS
.t5:
    mov word [DATA + 0x848], 0
    mov eax, 0xABCD0000
%if MODE64
    mov rcx, 0x1122334400000000
    or rax, rcx
%endif
    xor ebx, ebx
    mov ebp, LOOPN
    mov edi, DATA + 0x848
    jmp .l5
.l5:
    lea ecx, [xAX + 1]
    lock cmpxchg [xDI], cx
    adc ebx, 0
    dec ebp
    jnz .l5
    mov [DUMP], xAX
    mov [DUMP + 8], xBX
    xor edx, edx
    movzx eax, word [DATA + 0x848]
    mov ecx, LOOPN / 2
    cmp eax, ecx
    je .a5
    ERRX 1
.a5:
    mov xAX, [DUMP]
%if MODE64
    mov rcx, 0x11223344ABCD0000 | (LOOPN / 2)
%else
    mov ecx, 0xABCD0000 | (LOOPN / 2)
%endif
    cmp xAX, xCX
    je .b5
    ERRX 2
.b5:
    mov xAX, [DUMP + 8]
    mov ecx, LOOPN / 2
    cmp xAX, xCX
    je .c5
    ERRX 4
.c5:
    inc W [TURN]
    cmp W [TURN], 3
    jb .t5
    REPORT 7, ": memory, AX (the rest of EAX/RAX kept), failures counted by ADC"
    ret

; ---- (h) self-modifying code ----
; SMC1: mov eax, imm32; ret. Turn t: XADD, LOCK XADD, CMPXCHG (equal),
; LOCK CMPXCHG (unequal) by turns into the immediate, the routine called
; before and after; the register each loads is the old immediate.
%[PFX]_smc1:
    mov W [NAME], LIN(str_smc1)
    mov byte [SMC1], 0xB8
    mov dword [SMC1 + 1], 0x10203040
    mov byte [SMC1 + 5], 0xC3
    mov dword [EXPV], 0x10203040
    RESET_ERRS
.t: mov eax, SMC1
    call xAX
    xor edx, edx
    mov ecx, [EXPV]
    cmp eax, ecx
    je .a
    ERRX 1
.a: mov eax, [TURN]
    imul ecx, eax, 0x01000193
    add ecx, 0x11
    mov edi, SMC1 + 1
    mov edx, [EXPV]             ; the old immediate
    mov [DUMP + 16], xDX
    mov byte [DUMP + 9], 0      ; ZF wanted (CMPXCHG only)
    and eax, 3
    jz .x0
    cmp eax, 1
    je .x1
    cmp eax, 2
    je .c2
    mov eax, edx                ; 3: LOCK CMPXCHG, unequal
    xor eax, 0x100
    lock cmpxchg [xDI], ecx
    setz byte [DUMP + 8]
    mov [DUMP], xAX
    jmp .k
.c2:
    mov eax, edx                ; 2: CMPXCHG, equal
    mov [EXPV], ecx
    cmpxchg [xDI], ecx
    setz byte [DUMP + 8]
    mov byte [DUMP + 9], 1
    mov [DUMP], xAX
    jmp .k
.x1:
    add [EXPV], ecx             ; 1: LOCK XADD
    lock xadd [xDI], ecx
    mov byte [DUMP + 8], 0
    mov [DUMP], xCX
    jmp .k
.x0:
    add [EXPV], ecx             ; 0: XADD
    xadd [xDI], ecx
    mov byte [DUMP + 8], 0
    mov [DUMP], xCX
.k: mov xAX, [DUMP]
    mov xCX, [DUMP + 16]
    xor edx, edx
    cmp xAX, xCX
    je .b
    ERRX 2
.b: movzx eax, byte [DUMP + 8]
    movzx ecx, byte [DUMP + 9]
    cmp eax, ecx
    je .c
    ERRX 4
.c: mov eax, SMC1
    call xAX
    xor edx, edx
    mov ecx, [EXPV]
    cmp eax, ecx
    je .d
    ERRX 8
.d: inc W [TURN]
    cmp W [TURN], STURNS
    jb .t
    REPORT 15, ": the routine runs the new immediate; ECX/EAX the old one; ZF"
    ret

; SMC2: four routines, each the instruction and `mov edx, imm32; ret`,
; the instruction writing into that immediate: EDX is the new value.
%[PFX]_smc2:
    mov W [NAME], LIN(str_smc2)
    cld
    mov esi, LIN(%[PFX]_s2tpl)
    mov edi, SMC2
    mov ecx, %[PFX]_s2end - %[PFX]_s2tpl
    rep movsb
    mov eax, 0x01020304
    mov [EXPV], xAX
    mov [EXPV + 8], xAX
    mov [EXPV + 16], xAX
    mov [EXPV + 24], xAX
    RESET_ERRS
.t: mov xBX, [TURN]
    and ebx, 3                  ; the routine
    mov eax, [TURN]
    imul ecx, eax, 0x2545F491
    add ecx, 0x3D
    movzx edi, word [LIN(%[PFX]_s2imm) + xBX * 2]
    add edi, SMC2
    mov edx, [EXPV + xBX * 8]   ; EDX: the immediate now
    cmp ebx, 2
    jb .xadd
    mov eax, edx                ; CMPXCHG: equal on turns 8k..8k+3
    test byte [TURN], 4
    jz .eq
    xor eax, 0x8000
    mov [DUMP], xCX             ; unequal: ECX kept, EAX = the old value
    mov [DUMP + 8], xDX
    jmp .go
.eq:
    mov [DUMP + 8], xAX         ; equal: EAX kept, ECX kept, imm = ECX
    mov [DUMP], xCX
    mov [EXPV + xBX * 8], xCX
    jmp .go
.xadd:
    mov [DUMP], xDX             ; XADD: ECX = the old value, imm += ECX
    add [EXPV + xBX * 8], ecx
    mov [DUMP + 8], xAX
.go:
    mov [DUMP + 16], xBX
    mov esi, ebx
    shl esi, 6
    add esi, SMC2
    mov [DUMP + 24], xSI
    call W [DUMP + 24]
    mov [DUMP + 32], xAX
    mov [DUMP + 40], xCX
    mov [DUMP + 48], xDX
    mov xBX, [DUMP + 16]
    xor edx, edx
    mov xAX, [DUMP + 48]        ; EDX: the new immediate at once
    mov ecx, [EXPV + xBX * 8]
    cmp xAX, xCX
    je .a
    ERRX 1
.a: mov xAX, [DUMP + 40]
    mov xCX, [DUMP]
    cmp xAX, xCX
    je .b
    ERRX 2
.b: mov xAX, [DUMP + 32]
    mov xCX, [DUMP + 8]
    cmp xAX, xCX
    je .c
    ERRX 4
.c: mov xBX, [DUMP + 16]        ; the immediate's bytes
    movzx edi, word [LIN(%[PFX]_s2imm) + xBX * 2]
    add edi, SMC2
    mov eax, [xDI]
    mov ecx, [EXPV + xBX * 8]
    cmp eax, ecx
    je .e
    ERRX 8
.e: inc W [TURN]
    cmp W [TURN], STURNS
    jb .t
    REPORT 15, ": EDX is the new immediate at once; ECX, EAX; the bytes"
    ret

%[PFX]_s2tpl:
    xadd [xDI], ecx
%[PFX]_s2m0:
    mov edx, 0x01020304
    ret
    times 0x40 - ($ - %[PFX]_s2tpl) db 0xCC
    lock xadd [xDI], ecx
%[PFX]_s2m1:
    mov edx, 0x01020304
    ret
    times 0x80 - ($ - %[PFX]_s2tpl) db 0xCC
    cmpxchg [xDI], ecx
%[PFX]_s2m2:
    mov edx, 0x01020304
    ret
    times 0xC0 - ($ - %[PFX]_s2tpl) db 0xCC
    lock cmpxchg [xDI], ecx
%[PFX]_s2m3:
    mov edx, 0x01020304
    ret
%[PFX]_s2end:
%[PFX]_s2imm:
    dw %[PFX]_s2m0 - %[PFX]_s2tpl + 1, %[PFX]_s2m1 - %[PFX]_s2tpl + 1
    dw %[PFX]_s2m2 - %[PFX]_s2tpl + 1, %[PFX]_s2m3 - %[PFX]_s2tpl + 1

; ---- reporting ----
%[PFX]_line:                    ; ZF = pass; xSI = the suffix (linear)
    setz byte [HSAVE]
    mov [HSAVE + 8], xSI
    inc word [CHECKS_ADDR]
    mov esi, LIN(rom_ok_str)
    cmp byte [HSAVE], 0
    jne .p
    inc word [FAILS_ADDR]
    mov esi, LIN(rom_fail_str)
.p: call %[PFX]_puts
    mov xSI, [MODE_STR]
    call %[PFX]_puts
    mov xSI, [NAME]
    call %[PFX]_puts
    mov xSI, [HSAVE + 8]
    call %[PFX]_puts
    mov al, 10
    out DEBUGCON_PORT, al
    cmp byte [HSAVE], 0
    jne .r
    cmp W [DETAILED], 0
    jne .r
    mov W [DETAILED], 1
    mov esi, LIN(str_d0)
    call %[PFX]_puts
    mov xAX, [ERRS]
    call %[PFX]_puthex
    mov esi, LIN(str_d1)
    call %[PFX]_puts
    mov xAX, [FIRST]
    call %[PFX]_puthex
    mov esi, LIN(str_d2)
    call %[PFX]_puts
    mov xAX, [F_BIT]
    call %[PFX]_puthex
    mov esi, LIN(str_d3)
    call %[PFX]_puts
    mov xAX, [F_K]
    call %[PFX]_puthex
    mov esi, LIN(str_d4)
    call %[PFX]_puts
    mov xAX, [F_GOT]
    call %[PFX]_puthex
    mov esi, LIN(str_d5)
    call %[PFX]_puts
    mov xAX, [F_WANT]
    call %[PFX]_puthex
    mov esi, LIN(str_d6)
    call %[PFX]_puts
.r: ret

%[PFX]_puts:                    ; xSI (linear)
    push xAX
    push xSI
.l: mov al, [xSI]
    inc xSI
    test al, al
    jz .d
    out DEBUGCON_PORT, al
    jmp .l
.d: pop xSI
    pop xAX
    ret

%[PFX]_puthex:                  ; xAX
    push xAX
    push xBX
    push xCX
    mov xBX, xAX
    mov ecx, SZ * 2
.h: rol xBX, 4
    mov al, bl
    and al, 0x0F
    add al, '0'
    cmp al, '9'
    jbe .d
    add al, 'a' - '0' - 10
.d: out DEBUGCON_PORT, al
    dec ecx
    jnz .h
    pop xCX
    pop xBX
    pop xAX
    ret
%endmacro

; ======================================================================
; real mode: the CPU, the GDT, on to 32-bit protected mode
; ======================================================================
start:
    ROM_INIT
    PUTS `jit_atomics: XADD, CMPXCHG to memory and CBW..CQO in hot blocks: sizes, LOCK, registers, flags, page boundaries, faults, SMC\n`
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
    mov byte [IS_RB], 0         ; rawbox's brand string?
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000002
    jb .brand
    mov eax, 0x80000002
    cpuid
    cmp eax, 'rawb'
    jne .brand
    cmp ebx, 'ox v'
    jne .brand
    mov byte [IS_RB], 1
.brand:
    cmp byte [IS_RB], 0
    jne .rb
    PUTS `note: not rawbox: the W bit of the error code of XADD/CMPXCHG on a not-present page is not compared (QEMU 7.2 reports a read; hardware and rawbox a write)\n`
.rb:
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
    mov edi, IDT_BASE           ; IDT: 0-31 recording stubs, the rest IRET
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
    lidt [LIN(idt32r)]
    mov edi, TSS_BASE           ; TSS: the ring-0 stack for ring 3
    xor eax, eax
    mov ecx, 0x68 / 4
    rep stosd
    mov dword [TSS_BASE + 4], RSP0_TOP
    mov dword [TSS_BASE + 8], SEL_DATA
    mov word [TSS_BASE + 0x66], 0x68
    mov ax, SEL_TSS
    ltr ax
    mov edi, PD32               ; paging: 0-4 MiB identity, MAPS
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
    MAPS
    mov eax, PD32
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80010000          ; PG, WP
    mov cr0, eax
    mov dword [MODE_STR], LIN(str_pm32)
    mov dword [RESUME_EIP], 0
    call p_init
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

t32:
    ; ---- (a) XADD ----
    NCASE "", 1, CF_FULL, DATA + 0x10, {xadd [edi], cl}
    XV 0x7F, ICX, 0, 0x9ABCDE01, IDI
    XV 0xFF, ICX, 0, 0x12345601, IDI
    CASE_END
    NCASE "", 1, CF_FULL, DATA + 0x18, {lock xadd [edi], cl}
    XV 0x80, ICX, 0, 0x55AA5580, IDI
    XV 0x12, ICX, 0, 0x55AA5534, IDI
    CASE_END
    NCASE "", 2, CF_FULL, DATA + 0x20, {xadd [edi], dx}
    XV 0x7FFF, IDX, 0, 0xCAFE0001, IDI
    XV 0xFFFF, IDX, 0, 0x1234FFFF, IDI
    CASE_END
    NCASE "", 2, CF_FULL, DATA + 0x28, {lock xadd [edi], si}
    XV 0x8000, ISI, 0, 0x87658000, IDI
    XV 0x0F0F, ISI, 0, 0x0000F0F1, IDI
    CASE_END
    NCASE "", 4, CF_FULL, DATA + 0x30, {xadd [edi], ecx}
    XV 0x80000000, ICX, 0, 0x80000000, IDI
    XV 0x7FFFFFFF, ICX, 0, 0x00000001, IDI
    CASE_END
    NCASE "", 4, CF_FULL, DATA + 0x38, {lock xadd [edi], ebp}
    XV 0xFFFFFFFF, IBP, 0, 0xFFFFFFFF, IDI
    XV 0x12345678, IBP, 0, 0x0FEDCBA9, IDI
    CASE_END
    NCASE "", 1, 0, DATA + 0x40, {xadd [edi], ah}
    XV 0x7F, IAX, 8, 0x11220177, IDI
    XV 0xF0, IAX, 8, 0x1122F0EE, IDI
    CASE_END
    NCASE "", 1, 0, DATA + 0x48, {lock xadd [edi], bh}
    XV 0x01, IBX, 8, 0x3344FF55, IDI
    XV 0x40, IBX, 8, 0x33444055, IDI
    CASE_END
    NCASE "", 1, 0, DATA + 0x50, {xadd [esi], ch}
    XV 0x99, ICX, 8, 0xABCD6611, ISI
    XV 0x00, ICX, 8, 0xABCD0011, ISI
    CASE_END
    NCASE "", 1, 0, DATA + 0x58, {lock xadd [ebx], dh}
    XV 0x80, IDX, 8, 0x00008000, IBX
    XV 0x7E, IDX, 8, 0x12340100, IBX
    CASE_END
    ; ---- (b) the source in the address ----
    NCASE " (the source is the base)", 4, 0, DATA + 0x60, {xadd [ebx], ebx}
    XV 0x100000000 - CMEMA, IBX, 0, CMEMA, IBX
    XV 0x11111111, IBX, 0, CMEMA, IBX
    CASE_END
    NCASE " (the source is the base)", 2, 0, DATA + 0x68, {lock xadd [ebx], bx}
    XV 0x1234, IBX, 0, CMEMA, IBX
    XV 0xFFFF, IBX, 0, CMEMA, IBX
    CASE_END
    NCASE " (the source is the base)", 1, 0, DATA + 0x70, {lock xadd [ebx], bl}
    XV 0x90, IBX, 0, CMEMA, IBX
    XV 0x10, IBX, 0, CMEMA, IBX
    CASE_END
    NCASE " (the source is the index)", 4, 0, DATA + 0x78, {lock xadd [ecx + edx * 4 + 8], edx}
    XV 0x7FFFFFFE, IDX, 0, 3, ICX, CMEMA - 20
    XV 0x00000100, IDX, 0, 3, ICX, CMEMA - 20
    CASE_END
    ; ---- (a) CMPXCHG: variant 1 equal, 2 unequal ----
    NCASE "", 1, CF_FULL, DATA + 0x80, {cmpxchg [edi], cl}
    CV 0x42, 0x77665542, ICX, 0, 0x123456F0, IDI
    CV 0x43, 0x77665542, ICX, 0, 0x123456F0, IDI
    CASE_END
    NCASE "", 1, CF_FULL, DATA + 0x88, {lock cmpxchg [edi], dl}
    CV 0x80, 0x00000080, IDX, 0, 0x0000007F, IDI
    CV 0x80, 0x0000007F, IDX, 0, 0x0000007F, IDI
    CASE_END
    NCASE "", 2, CF_FULL, DATA + 0x90, {cmpxchg [edi], cx}
    CV 0x8000, 0xFFFF8000, ICX, 0, 0xAAAA5555, IDI
    CV 0x0001, 0xFFFF8000, ICX, 0, 0xAAAA5555, IDI
    CASE_END
    NCASE "", 2, CF_FULL, DATA + 0x98, {lock cmpxchg [edi], bp}
    CV 0x1234, 0x56781234, IBP, 0, 0x9999FFFF, IDI
    CV 0xFFFF, 0x56781234, IBP, 0, 0x9999FFFF, IDI
    CASE_END
    NCASE "", 4, CF_FULL, DATA + 0xA0, {cmpxchg [edi], ecx}
    CV 0x89ABCDEF, 0x89ABCDEF, ICX, 0, 0x01020304, IDI
    CV 0x89ABCDEE, 0x89ABCDEF, ICX, 0, 0x01020304, IDI
    CASE_END
    NCASE "", 4, CF_FULL, DATA + 0xA8, {lock cmpxchg [edi], esi}
    CV 0x00000000, 0x00000000, ISI, 0, 0xFFFFFFFF, IDI
    CV 0x80000000, 0x00000000, ISI, 0, 0xFFFFFFFF, IDI
    CASE_END
    NCASE " (the source is AH)", 1, 0, DATA + 0xB0, {cmpxchg [edi], ah}
    CV 0x5A, 0x1234C35A, IAX, 8, 0x1234C35A, IDI
    CV 0x5B, 0x1234C35A, IAX, 8, 0x1234C35A, IDI
    CASE_END
    NCASE "", 1, 0, DATA + 0xB8, {lock cmpxchg [edi], bh}
    CV 0x00, 0x00000000, IBX, 8, 0x0000FF00, IDI
    CV 0xFF, 0x00000000, IBX, 8, 0x0000FF00, IDI
    CASE_END
    ; ---- (b) the accumulator as the source, in the address ----
    NCASE " (the source is the accumulator)", 4, 0, DATA + 0xC0, {cmpxchg [edi], eax}
    CV 0x11223344, 0x11223344, IAX, 0, 0x11223344, IDI
    CV 0x11223345, 0x11223344, IAX, 0, 0x11223344, IDI
    CASE_END
    NCASE " (the source is the accumulator)", 2, 0, DATA + 0xC8, {lock cmpxchg [edi], ax}
    CV 0x7777, 0xEEEE7777, IAX, 0, 0xEEEE7777, IDI
    CV 0x7778, 0xEEEE7777, IAX, 0, 0xEEEE7777, IDI
    CASE_END
    NCASE " (the source is the accumulator)", 1, 0, DATA + 0xD0, {cmpxchg [edi], al}
    CV 0x01, 0xCCCCCC01, IAX, 0, 0xCCCCCC01, IDI
    CV 0x00, 0xCCCCCC01, IAX, 0, 0xCCCCCC01, IDI
    CASE_END
    NCASE " (the accumulator is the base)", 4, 0, DATA + 0xD8, {lock cmpxchg [eax], ecx}
    CV CMEMA, CMEMA, ICX, 0, 0x0BADF00D, IAX
    CV CMEMA + 1, CMEMA, ICX, 0, 0x0BADF00D, IAX
    CASE_END
    NCASE " (the source is the base)", 4, 0, DATA + 0xE0, {cmpxchg [ecx], ecx}
    CV 0x00005555, 0x00005555, ICX, 0, CMEMA, ICX
    CV 0x00005555, 0x00005556, ICX, 0, CMEMA, ICX
    CASE_END
    NCASE " (the accumulator is the source and the index)", 4, 0, DATA + 0xE8, {lock cmpxchg [esi + eax * 2 + 0x10], eax}
    CV 4, 4, IAX, 0, 4, ISI, CMEMA - 0x18
    CV 0x99, 4, IAX, 0, 4, ISI, CMEMA - 0x18
    CASE_END
    ; ---- (b) a segment with a base, 16-bit addresses ----
    mov ax, SEL_FS32
    mov fs, ax
    NCASE " (FS base 100h)", 4, 0, DATA + 0x120, {lock xadd [fs:edi], ecx}
    XV 0x89ABCDEF, ICX, 0, 0x76543211, IDI, CMEMA - 0x100
    XV 0x00000001, ICX, 0, 0xFFFFFFFF, IDI, CMEMA - 0x100
    CASE_END
    NCASE " (FS base 100h)", 2, 0, DATA + 0x128, {cmpxchg [fs:edi], dx}
    CV 0x1234, 0x99991234, IDX, 0, 0x0000ABCD, IDI, CMEMA - 0x100
    CV 0x1235, 0x99991234, IDX, 0, 0x0000ABCD, IDI, CMEMA - 0x100
    CASE_END
    mov ax, SEL_DATA
    mov fs, ax
    NCASE " (16-bit address wrapping at 64 KiB; EBX's upper half set)", 4, 0, 0x4E10, {a16 lock xadd [bx + 0x5000], ecx}
    XV 0x7FFFFFFF, ICX, 0, 0x80000001, IBX, 0xABCDFE10
    XV 0x10000000, ICX, 0, 0x0F000000, IBX, 0xABCDFE10
    CASE_END
    NCASE " (16-bit address through SS; EBP's upper half set)", 2, 0, 0x4E40, {a16 cmpxchg [bp + 0x10], dx}
    CV 0x5555, 0xAAAA5555, IDX, 0, 0x1111, IBP, 0x12344E30
    CV 0x5556, 0xAAAA5555, IDX, 0, 0x1111, IBP, 0x12344E30
    CASE_END
    ; ---- (a) after a CMP in the same block (its flags superseded) ----
    PCASE " after cmp ecx, ebx", 4, CF_FULL, DATA + 0x140, {cmp ecx, ebx}, {lock xadd [edi], ecx}
    XV 0x80000000, ICX, 0, 0x80000000, IDI
    XV 0x0000FFFF, ICX, 0, 0x00000001, IDI
    CASE_END
    PCASE " after cmp eax, ecx", 2, CF_FULL, DATA + 0x148, {cmp eax, ecx}, {cmpxchg [edi], cx}
    CV 0x8000, 0x12348000, ICX, 0, 0x00000001, IDI
    CV 0x7FFF, 0x12348000, ICX, 0, 0x00000001, IDI
    CASE_END
    PCASE " after cmp ecx, ebx, across a page boundary", 4, 0, PAIR - 2, {cmp ecx, ebx}, {xadd [edi], ecx}
    XV 0xFFFFFFFF, ICX, 0, 0x00000001, IDI
    XV 0x00000001, ICX, 0, 0x7FFFFFFF, IDI
    CASE_END
    ; ---- (c) across a page boundary ----
    NCASE " across a page boundary", 2, 0, PAIR - 1, {lock xadd [edi], cx}
    XV 0x80FF, ICX, 0, 0x12340101, IDI
    XV 0x0001, ICX, 0, 0x1234FFFF, IDI
    CASE_END
    NCASE " across a page boundary", 4, 0, PAIR - 3, {xadd [edi], ecx}
    XV 0xFFFFFFF0, ICX, 0, 0x00000010, IDI
    XV 0x01020304, ICX, 0, 0x7FFFFFFF, IDI
    CASE_END
    NCASE " across a page boundary", 4, 0, PAIR - 1, {lock xadd [edi], edx}
    XV 0x89ABCDEF, IDX, 0, 0x76543210, IDI
    XV 0x00000000, IDX, 0, 0x00000000, IDI
    CASE_END
    NCASE " across a page boundary", 2, 0, PAIR - 1, {cmpxchg [edi], dx}
    CV 0xA55A, 0x9999A55A, IDX, 0, 0x00001234, IDI
    CV 0x5AA5, 0x9999A55A, IDX, 0, 0x00001234, IDI
    CASE_END
    NCASE " across a page boundary", 4, 0, PAIR - 2, {lock cmpxchg [edi], ecx}
    CV 0xDEADBEEF, 0xDEADBEEF, ICX, 0, 0x13579BDF, IDI
    CV 0x00000001, 0xDEADBEEF, ICX, 0, 0x13579BDF, IDI
    CASE_END
    NCASE " across a page boundary", 4, 0, PAIR - 3, {cmpxchg [edi], esi}
    CV 0x7FFFFFFF, 0x7FFFFFFF, ISI, 0, 0x80000000, IDI
    CV 0x80000000, 0x7FFFFFFF, ISI, 0, 0x80000000, IDI
    CASE_END
    ; ---- (c) a TLB entry just invalidated, A = D = 0 ----
    NCASE " after INVLPG, A = D = 0 (both set after)", 4, CF_FRESH, FRESH + 0x10, {xadd [edi], ecx}
    XV 0x00000001, ICX, 0, 0xFFFFFFFF, IDI
    XV 0x40000000, ICX, 0, 0x40000000, IDI
    CASE_END
    NCASE " after INVLPG, A = D = 0 (both set after)", 4, CF_FRESH, FRESH + 0x20, {lock cmpxchg [edi], edx}
    CV 0x31415926, 0x31415926, IDX, 0, 0x27182818, IDI
    CV 0x31415927, 0x31415926, IDX, 0, 0x27182818, IDI
    CASE_END
    NCASE " after INVLPG, A = D = 0 (both set after)", 1, CF_FRESH, FRESH + 0x30, {cmpxchg [edi], bl}
    CV 0xEE, 0x000000EE, IBX, 0, 0x00000011, IDI
    CV 0xEF, 0x000000EE, IBX, 0, 0x00000011, IDI
    CASE_END
    NCASE " after INVLPG, A = D = 0, across a page boundary", 2, CF_FRESH, FRESH + 0xFFF, {lock xadd [edi], ax}
    XV 0x1111, IAX, 0, 0xFFFFEEEF, IDI
    XV 0x8001, IAX, 0, 0x00008001, IDI
    CASE_END
    NCASE " after INVLPG, A = D = 0 and a read (the TLB holds the page readable; D set after)", 4, CF_FRESH | CF_READ, FRESH + 0x40, {lock xadd [edi], ecx}
    XV 0xFFFF0000, ICX, 0, 0x00010000, IDI
    XV 0x01010101, ICX, 0, 0x10101010, IDI
    CASE_END
    NCASE " after INVLPG, A = D = 0 and a read (the TLB holds the page readable; D set after)", 1, CF_FRESH | CF_READ, FRESH + 0x48, {cmpxchg [edi], ch}
    CV 0x80, 0x80, ICX, 8, 0x7F00, IDI
    CV 0x81, 0x80, ICX, 8, 0x7F00, IDI
    CASE_END
    ; ---- (d) faults, ring 0 ----
    FCASE " into a read-only page", 4, CF_READ, RO_PAGE + 0x10, 3, RO_PAGE + 0x10, {xadd [edi], ecx}
    XV 0x11111111, ICX, 0, 0x22222222, IDI
    XV 0xFFFFFFFF, ICX, 0, 0x00000001, IDI
    CASE_END
    FCASE " into a read-only page", 1, CF_READ, RO_PAGE + 0x20, 3, RO_PAGE + 0x20, {lock xadd [edi], cl}
    XV 0x11, ICX, 0, 0x22, IDI
    CASE_END
    FCASE " into a read-only page (equal, unequal)", 4, CF_READ, RO_PAGE + 0x30, 3, RO_PAGE + 0x30, {cmpxchg [edi], ecx}
    CV 0x600DF00D, 0x600DF00D, ICX, 0, 0x12345678, IDI
    CV 0x600DF00D, 0x600DF00E, ICX, 0, 0x12345678, IDI
    CASE_END
    FCASE " into a read-only page (equal, unequal)", 2, CF_READ, RO_PAGE + 0x40, 3, RO_PAGE + 0x40, {lock cmpxchg [edi], bx}
    CV 0x4321, 0x00004321, IBX, 0, 0x00001111, IDI
    CV 0x4321, 0x00004322, IBX, 0, 0x00001111, IDI
    CASE_END
    FCASE " across into a read-only page", 4, CF_READ, RO_PAGE - 2, 3, RO_PAGE, {lock xadd [edi], edx}
    XV 0x01010101, IDX, 0, 0x02020202, IDI
    CASE_END
    FCASE " across into a read-only page (equal, unequal)", 4, CF_READ, RO_PAGE - 1, 3, RO_PAGE, {cmpxchg [edi], ecx}
    CV 0xCAFEBABE, 0xCAFEBABE, ICX, 0, 0x0, IDI
    CV 0xCAFEBABE, 0xCAFEBABF, ICX, 0, 0x0, IDI
    CASE_END
    FCASE " into a not-present page", 4, CF_NPW, NP_PAGE + 0x10, 2, NP_PAGE + 0x10, {xadd [edi], ecx}
    XV 0x11111111, ICX, 0, 0x22222222, IDI
    CASE_END
    FCASE " into a not-present page (equal, unequal)", 4, CF_NPW, NP_PAGE + 0x20, 2, NP_PAGE + 0x20, {lock cmpxchg [edi], ecx}
    CV 0x12121212, 0x12121212, ICX, 0, 0x34343434, IDI
    CV 0x12121212, 0x12121213, ICX, 0, 0x34343434, IDI
    CASE_END
    FCASE " across into a not-present page (equal, unequal)", 2, CF_NPW, NP_PAGE - 1, 2, NP_PAGE, {cmpxchg [edi], dx}
    CV 0x5555, 0x00005555, IDX, 0, 0x0000AAAA, IDI
    CV 0x5555, 0x00005554, IDX, 0, 0x0000AAAA, IDI
    CASE_END
    FCASE " into a not-present page", 1, CF_NPW, NP_PAGE + 0x100, 2, NP_PAGE + 0x100, {lock xadd [edi], ah}
    XV 0x77, IAX, 8, 0x00008800, IDI
    CASE_END
    FPCASE " after cmp ecx, edi, into a read-only page (the CMP's flags pushed)", 4, CF_READ, RO_PAGE + 0x70, 3, RO_PAGE + 0x70, {cmp ecx, edi}, {lock xadd [edi], ecx}
    PRE 1, 4, 0x80000000, CMEMA
    XV 0x11111111, ICX, 0, 0x80000000, IDI
    PRE 1, 4, CMEMA, CMEMA
    XV 0x11111111, ICX, 0, CMEMA, IDI
    CASE_END
    FPCASE " after cmp eax, ecx, into a not-present page (the CMP's flags pushed)", 4, CF_NPW, NP_PAGE + 0x50, 2, NP_PAGE + 0x50, {cmp eax, ecx}, {cmpxchg [edi], ecx}
    PRE 1, 4, 0x00000001, 0x00000002
    CV 0x1, 0x00000001, ICX, 0, 0x00000002, IDI
    PRE 1, 4, 0x7FFFFFFF, 0xFFFFFFFF
    CV 0x1, 0x7FFFFFFF, ICX, 0, 0xFFFFFFFF, IDI
    CASE_END
    ; ---- (e) ring 3 ----
    NCASE " at ring 3", 4, CF_R3, DATA + 0x100, {xadd [edi], ecx}
    XV 0x7FFFFFFF, ICX, 0, 0x00000001, IDI
    XV 0x00000005, ICX, 0, 0xFFFFFFFB, IDI
    CASE_END
    NCASE " at ring 3", 2, CF_R3, DATA + 0x108, {lock cmpxchg [edi], dx}
    CV 0x2468, 0x13572468, IDX, 0, 0xFFFF8642, IDI
    CV 0x2469, 0x13572468, IDX, 0, 0xFFFF8642, IDI
    CASE_END
    NCASE " at ring 3", 1, CF_R3, DATA + 0x110, {cmpxchg [edi], ah}
    CV 0x10, 0x0000F010, IAX, 8, 0x0000F010, IDI
    CV 0x20, 0x0000F010, IAX, 8, 0x0000F010, IDI
    CASE_END
    NCASE " at ring 3 across a page boundary", 4, CF_R3, PAIR - 2, {lock xadd [edi], ebx}
    XV 0x00010000, IBX, 0, 0xFFFF0000, IDI
    XV 0x12345678, IBX, 0, 0x11111111, IDI
    CASE_END
    FCASE " at ring 3 into a read-only page (equal, unequal)", 4, CF_R3 | CF_READ, RO_PAGE + 0x50, 7, RO_PAGE + 0x50, {lock cmpxchg [edi], ecx}
    CV 0x0000ABCD, 0x0000ABCD, ICX, 0, 0x1, IDI
    CV 0x0000ABCD, 0x0000ABCE, ICX, 0, 0x1, IDI
    CASE_END
    FCASE " at ring 3 into a read-only page", 2, CF_R3 | CF_READ, RO_PAGE + 0x60, 7, RO_PAGE + 0x60, {xadd [edi], cx}
    XV 0x1111, ICX, 0, 0x2222, IDI
    CASE_END
    FCASE " at ring 3 into a not-present page", 4, CF_R3 | CF_NPW, NP_PAGE + 0x30, 6, NP_PAGE + 0x30, {xadd [edi], ecx}
    XV 0x1111, ICX, 0, 0x2222, IDI
    CASE_END
    FCASE " at ring 3 into a not-present page (equal, unequal)", 1, CF_R3 | CF_NPW, NP_PAGE + 0x40, 6, NP_PAGE + 0x40, {lock cmpxchg [edi], cl}
    CV 0x33, 0x33, ICX, 0, 0x44, IDI
    CV 0x33, 0x34, ICX, 0, 0x44, IDI
    CASE_END
    ; ---- (f) sign extensions after an ALU instruction ----
    SCASE " after add ecx, ebx", {add ecx, ebx}, {cbw}
    SV 0, 4, 0xFFFFFFFF, 0x00000001, 0x12345680, 0x9ABCDEF0, 0
    SV 0, 4, 0x7FFFFFFF, 0x00000001, 0x1234567F, 0x9ABCDEF0, 0
    CASE_END
    SCASE " after cmp cl, bl", {cmp cl, bl}, {cwde}
    SV 2, 1, 0x00000080, 0x00000001, 0x55558000, 0x11111111, 1
    SV 2, 1, 0x00000010, 0x00000020, 0x55557FFF, 0x11111111, 1
    CASE_END
    SCASE " after sub cx, bx", {sub cx, bx}, {cwd}
    SV 1, 2, 0x12340000, 0x00000001, 0x00008000, 0x77777777, 3
    SV 1, 2, 0x12348000, 0x00000001, 0xFFFF7FFF, 0x77777777, 3
    CASE_END
    SCASE " after add ecx, ebx", {add ecx, ebx}, {cdq}
    SV 0, 4, 0x80000000, 0x80000000, 0x80000000, 0x12345678, 4
    SV 0, 4, 0x00000F00, 0x00000100, 0x7FFFFFFF, 0x12345678, 4
    CASE_END
    SCASE " after cmp ecx, ebx", {cmp ecx, ebx}, {cbw}
    SV 2, 4, 0x00000005, 0x00000005, 0xAAAA00FF, 0x0, 0
    SV 2, 4, 0x80000000, 0x00000001, 0xAAAA0001, 0x0, 0
    CASE_END
    SCASE " after sub ecx, ebx", {sub ecx, ebx}, {cdq}
    SV 1, 4, 0x00000000, 0x00000001, 0xFFFFFFFF, 0x0, 4
    SV 1, 4, 0x7FFFFFFF, 0xFFFFFFFF, 0x00000000, 0xFFFFFFFF, 4
    CASE_END
    ; ---- (g), (h) ----
    call p_loops
    call p_smc1
    call p_smc2
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
    push byte n
%endif
    jmp pm_exc32
    times (n + 1) * 16 - ($ - pm_stubs) db 0xCC
%assign n n + 1
%endrep

; [esp] vector, +4 code, +8 EIP, +12 CS, +16 EFLAGS: recorded, then on
; at RESUME_EIP (ring 0, ESP = RESUME_SP)
pm_exc32:
    pushad
    mov ebp, esp
    cmp dword [ss:RESUME_EIP], 0
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
    mov eax, [ebp + 32]
    mov [REC_VEC], eax
    mov eax, [ebp + 36]
    mov [REC_ERR], eax
    mov eax, [ebp + 40]
    mov [REC_EIP], eax
    mov eax, [ebp + 48]
    mov [REC_FL], eax
    mov eax, cr2
    mov [REC_CR2], eax
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

pm_iret32:
    iretd

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
    call lm_set_gate64
    mov edi, 13
    mov eax, LIN(l_gp)
    call lm_set_gate64
    mov edi, 14
    mov eax, LIN(l_pf)
    call lm_set_gate64
    MAPS
    mov rax, cr0
    or eax, 0x10000             ; WP
    mov cr0, rax
    mov rax, cr3
    mov cr3, rax
    mov qword [MODE_STR], LIN(str_lm64)
    mov qword [RESUME_EIP], 0
    call l_init
    call t64
    FINISH64

t64:
    ; ---- (a) XADD ----
    NCASE "", 1, CF_FULL, DATA + 0x10, {xadd [rdi], cl}
    XV 0x7F, ICX, 0, 0x1122334455667701, IDI
    XV 0xFF, ICX, 0, 0x8877665544332201, IDI
    CASE_END
    NCASE "", 1, CF_FULL, DATA + 0x18, {lock xadd [rdi], sil}
    XV 0x80, ISI, 0, 0xFFFFFFFFFFFFFF80, IDI
    XV 0x12, ISI, 0, 0x0000000000000034, IDI
    CASE_END
    NCASE "", 2, CF_FULL, DATA + 0x20, {xadd [rdi], dx}
    XV 0x7FFF, IDX, 0, 0x123456789ABC0001, IDI
    XV 0xFFFF, IDX, 0, 0xFFFFFFFFFFFFFFFF, IDI
    CASE_END
    NCASE "", 2, CF_FULL, DATA + 0x28, {lock xadd [rdi], r10w}
    XV 0x8000, I10, 0, 0x8000000000008000, IDI
    XV 0x0F0F, I10, 0, 0x000000000000F0F1, IDI
    CASE_END
    NCASE " (RCX's upper half cleared)", 4, CF_FULL, DATA + 0x30, {xadd [rdi], ecx}
    XV 0x80000000, ICX, 0, 0xAAAAAAAA80000000, IDI
    XV 0x7FFFFFFF, ICX, 0, 0x5555555500000001, IDI
    CASE_END
    NCASE " (R9's upper half cleared)", 4, CF_FULL, DATA + 0x38, {lock xadd [rdi], r9d}
    XV 0xFFFFFFFF, I9, 0, 0xFFFFFFFFFFFFFFFF, IDI
    XV 0x12345678, I9, 0, 0x000000010FEDCBA9, IDI
    CASE_END
    NCASE "", 8, CF_FULL, DATA + 0x40, {xadd [rdi], rcx}
    XV 0x8000000000000000, ICX, 0, 0x8000000000000000, IDI
    XV 0x7FFFFFFFFFFFFFFF, ICX, 0, 0x0000000000000001, IDI
    CASE_END
    NCASE "", 8, CF_FULL, DATA + 0x48, {lock xadd [rdi], r14}
    XV 0xFFFFFFFFFFFFFFFF, I14, 0, 0x0000000000000001, IDI
    XV 0x0123456789ABCDEF, I14, 0, 0x0FEDCBA987654321, IDI
    CASE_END
    NCASE "", 1, 0, DATA + 0x50, {xadd [rdi], ah}
    XV 0x7F, IAX, 8, 0x1122334455660177, IDI
    XV 0xF0, IAX, 8, 0xFFFFFFFFFFFFF0EE, IDI
    CASE_END
    NCASE "", 1, 0, DATA + 0x58, {lock xadd [rdi], bh}
    XV 0x01, IBX, 8, 0x000000003344FF55, IDI
    XV 0x40, IBX, 8, 0x9999999933444055, IDI
    CASE_END
    NCASE "", 1, 0, DATA + 0x60, {xadd [rbx], dil}
    XV 0x99, IDI, 0, 0xABCDEF0123456766, IBX
    XV 0x00, IDI, 0, 0xABCDEF0123456700, IBX
    CASE_END
    NCASE "", 1, 0, DATA + 0x68, {lock xadd [rsi], r9b}
    XV 0x80, I9, 0, 0x0000000000000080, ISI
    XV 0x7E, I9, 0, 0x1234567812345601, ISI
    CASE_END
    NCASE "", 1, 0, DATA + 0x70, {lock xadd [r13], r15b}
    XV 0xC0, I15, 0, 0x5A5A5A5A5A5A5A40, I13
    XV 0x3F, I15, 0, 0x5A5A5A5A5A5A5AC0, I13
    CASE_END
    ; ---- (b) the source in the address ----
    NCASE " (the source is the base)", 4, 0, DATA + 0x78, {xadd [rbx], ebx}
    XV 0x100000000 - CMEMA, IBX, 0, CMEMA, IBX
    XV 0x11111111, IBX, 0, CMEMA, IBX
    CASE_END
    NCASE " (the source is the base)", 8, 0, DATA + 0x80, {lock xadd [rbx], rbx}
    XV 0xFFFFFFFFFFFFFFFF, IBX, 0, CMEMA, IBX
    XV 0x7FFFFFFFFFFFFFFF, IBX, 0, CMEMA, IBX
    CASE_END
    NCASE " (the source is the base)", 2, 0, DATA + 0x88, {lock xadd [rbx], bx}
    XV 0x1234, IBX, 0, CMEMA, IBX
    XV 0xFFFF, IBX, 0, CMEMA, IBX
    CASE_END
    NCASE " (the source is the base)", 1, 0, DATA + 0x90, {xadd [r12], r12b}
    XV 0x90, I12, 0, CMEMA, I12
    XV 0x10, I12, 0, CMEMA, I12
    CASE_END
    NCASE " (the source is the index)", 8, 0, DATA + 0x98, {lock xadd [rcx + rdx * 4 + 8], rdx}
    XV 0x7FFFFFFFFFFFFFFE, IDX, 0, 3, ICX, CMEMA - 20
    XV 0x0000000000000100, IDX, 0, 3, ICX, CMEMA - 20
    CASE_END
    NCASE " (the source is the index)", 4, 0, DATA + 0xA0, {xadd [r8 + r9 * 2], r9d}
    XV 0x80000000, I9, 0, 0x10, I8, CMEMA - 0x20
    XV 0x00000001, I9, 0, 0x10, I8, CMEMA - 0x20
    CASE_END
    ; ---- (a) CMPXCHG: variant 1 equal, 2 unequal ----
    NCASE "", 1, CF_FULL, DATA + 0xA8, {cmpxchg [rdi], cl}
    CV 0x42, 0x7766554433221142, ICX, 0, 0x12345678123456F0, IDI
    CV 0x43, 0x7766554433221142, ICX, 0, 0x12345678123456F0, IDI
    CASE_END
    NCASE "", 1, CF_FULL, DATA + 0xB0, {lock cmpxchg [rdi], r12b}
    CV 0x80, 0xFFFFFFFFFFFFFF80, I12, 0, 0x000000000000007F, IDI
    CV 0x80, 0xFFFFFFFFFFFFFF7F, I12, 0, 0x000000000000007F, IDI
    CASE_END
    NCASE "", 2, CF_FULL, DATA + 0xB8, {cmpxchg [rdi], dx}
    CV 0x8000, 0xFFFFFFFFFFFF8000, IDX, 0, 0xAAAAAAAAAAAA5555, IDI
    CV 0x0001, 0xFFFFFFFFFFFF8000, IDX, 0, 0xAAAAAAAAAAAA5555, IDI
    CASE_END
    NCASE "", 2, CF_FULL, DATA + 0xC0, {lock cmpxchg [rdi], r10w}
    CV 0x1234, 0x5678567856781234, I10, 0, 0x999999999999FFFF, IDI
    CV 0xFFFF, 0x5678567856781234, I10, 0, 0x999999999999FFFF, IDI
    CASE_END
    NCASE " (equal: RAX whole; unequal: zero-extended)", 4, CF_FULL, DATA + 0xC8, {cmpxchg [rdi], ecx}
    CV 0x89ABCDEF, 0xDEADBEEF89ABCDEF, ICX, 0, 0xFFFFFFFF01020304, IDI
    CV 0x89ABCDEE, 0xDEADBEEF89ABCDEF, ICX, 0, 0xFFFFFFFF01020304, IDI
    CASE_END
    NCASE " (equal: RAX whole; unequal: zero-extended)", 4, CF_FULL, DATA + 0xD0, {lock cmpxchg [rdi], r11d}
    CV 0x00000000, 0x8000000000000000, I11, 0, 0x00000001FFFFFFFF, IDI
    CV 0x80000000, 0x8000000000000000, I11, 0, 0x00000001FFFFFFFF, IDI
    CASE_END
    NCASE "", 8, CF_FULL, DATA + 0xD8, {cmpxchg [rdi], rcx}
    CV 0x0123456789ABCDEF, 0x0123456789ABCDEF, ICX, 0, 0xFEDCBA9876543210, IDI
    CV 0x8123456789ABCDEF, 0x0123456789ABCDEF, ICX, 0, 0xFEDCBA9876543210, IDI
    CASE_END
    NCASE "", 8, CF_FULL, DATA + 0xE0, {lock cmpxchg [rdi], r15}
    CV 0x0000000000000000, 0x0000000000000000, I15, 0, 0xFFFFFFFFFFFFFFFF, IDI
    CV 0x8000000000000000, 0x0000000000000000, I15, 0, 0xFFFFFFFFFFFFFFFF, IDI
    CASE_END
    NCASE " (the source is AH)", 1, 0, DATA + 0xE8, {cmpxchg [rdi], ah}
    CV 0x5A, 0xF0F0F0F01234C35A, IAX, 8, 0xF0F0F0F01234C35A, IDI
    CV 0x5B, 0xF0F0F0F01234C35A, IAX, 8, 0xF0F0F0F01234C35A, IDI
    CASE_END
    NCASE "", 1, 0, DATA + 0xF0, {lock cmpxchg [rdi], bh}
    CV 0x00, 0x1111111100000000, IBX, 8, 0x000000000000FF00, IDI
    CV 0xFF, 0x1111111100000000, IBX, 8, 0x000000000000FF00, IDI
    CASE_END
    NCASE "", 1, 0, DATA + 0xF8, {cmpxchg [rdi], sil}
    CV 0x7F, 0x000000000000007F, ISI, 0, 0x00000000000000C3, IDI
    CV 0x7E, 0x000000000000007F, ISI, 0, 0x00000000000000C3, IDI
    CASE_END
    NCASE "", 1, 0, DATA + 0x100, {lock cmpxchg [rbx], dil}
    CV 0x01, 0x2222222222222201, IDI, 0, 0x4444444444444402, IBX
    CV 0x02, 0x2222222222222201, IDI, 0, 0x4444444444444402, IBX
    CASE_END
    ; ---- (b) the accumulator as the source, in the address ----
    NCASE " (the source is the accumulator)", 4, 0, DATA + 0x108, {cmpxchg [rdi], eax}
    CV 0x11223344, 0xABCDEF0111223344, IAX, 0, 0xABCDEF0111223344, IDI
    CV 0x11223345, 0xABCDEF0111223344, IAX, 0, 0xABCDEF0111223344, IDI
    CASE_END
    NCASE " (the source is the accumulator)", 8, 0, DATA + 0x110, {lock cmpxchg [rdi], rax}
    CV 0xFEDCBA9876543210, 0xFEDCBA9876543210, IAX, 0, 0xFEDCBA9876543210, IDI
    CV 0x0EDCBA9876543210, 0xFEDCBA9876543210, IAX, 0, 0xFEDCBA9876543210, IDI
    CASE_END
    NCASE " (the source is the accumulator)", 2, 0, DATA + 0x118, {cmpxchg [rdi], ax}
    CV 0x7777, 0xEEEEEEEEEEEE7777, IAX, 0, 0xEEEEEEEEEEEE7777, IDI
    CV 0x7778, 0xEEEEEEEEEEEE7777, IAX, 0, 0xEEEEEEEEEEEE7777, IDI
    CASE_END
    NCASE " (the source is the accumulator)", 1, 0, DATA + 0x120, {lock cmpxchg [rdi], al}
    CV 0x01, 0xCCCCCCCCCCCCCC01, IAX, 0, 0xCCCCCCCCCCCCCC01, IDI
    CV 0x00, 0xCCCCCCCCCCCCCC01, IAX, 0, 0xCCCCCCCCCCCCCC01, IDI
    CASE_END
    NCASE " (the accumulator is the base)", 8, 0, DATA + 0x128, {lock cmpxchg [rax], rcx}
    CV CMEMA, CMEMA, ICX, 0, 0x0BADF00D0BADF00D, IAX
    CV CMEMA + 1, CMEMA, ICX, 0, 0x0BADF00D0BADF00D, IAX
    CASE_END
    NCASE " (the accumulator is the base)", 4, 0, DATA + 0x130, {cmpxchg [rax], ecx}
    CV CMEMA, CMEMA, ICX, 0, 0x0BADF00D0BADF00D, IAX
    CV CMEMA + 1, CMEMA, ICX, 0, 0x0BADF00D0BADF00D, IAX
    CASE_END
    NCASE " (the source is the base)", 8, 0, DATA + 0x138, {cmpxchg [rcx], rcx}
    CV 0x0000000000005555, 0x0000000000005555, ICX, 0, CMEMA, ICX
    CV 0x0000000000005555, 0x8000000000005555, ICX, 0, CMEMA, ICX
    CASE_END
    NCASE " (the accumulator is the source and the index)", 4, 0, DATA + 0x140, {lock cmpxchg [rsi + rax * 2 + 0x10], eax}
    CV 4, 4, IAX, 0, 4, ISI, CMEMA - 0x18
    CV 0x99, 4, IAX, 0, 4, ISI, CMEMA - 0x18
    CASE_END
    ; ---- (b) FS and GS bases, 32-bit addresses ----
    mov ecx, MSR_FS_BASE
    mov eax, 0x2000
    xor edx, edx
    wrmsr
    mov ecx, MSR_GS_BASE
    mov eax, 0x1000
    wrmsr
    NCASE " (GS base 1000h)", 4, 0, DATA + 0x220, {lock xadd [gs:rdi], ecx}
    XV 0x89ABCDEF, ICX, 0, 0x1111111176543211, IDI, CMEMA - 0x1000
    XV 0x00000001, ICX, 0, 0xFFFFFFFFFFFFFFFF, IDI, CMEMA - 0x1000
    CASE_END
    NCASE " (FS base 2000h)", 8, 0, DATA + 0x228, {cmpxchg [fs:rdi], rdx}
    CV 0x0123456789ABCDEF, 0x0123456789ABCDEF, IDX, 0, 0x5A5A5A5A5A5A5A5A, IDI, CMEMA - 0x2000
    CV 0x0123456789ABCDEE, 0x0123456789ABCDEF, IDX, 0, 0x5A5A5A5A5A5A5A5A, IDI, CMEMA - 0x2000
    CASE_END
    NCASE " (32-bit address: RDI's upper half ignored)", 4, 0, DATA + 0x230, {lock xadd [edi], ecx}
    XV 0x7FFFFFFF, ICX, 0, 1, IDI, 0xABCD000000000000 | CMEMA
    XV 0x12345678, ICX, 0, 0x11111111, IDI, 0xABCD000000000000 | CMEMA
    CASE_END
    NCASE " (32-bit address: RAX's upper half ignored; equal: RAX whole)", 4, 0, DATA + 0x238, {cmpxchg [eax], ecx}
    CV CMEMA, 0xFFFFFFFF00000000 | CMEMA, ICX, 0, 0x77, IAX, 0xFFFFFFFF00000000 | CMEMA
    CV CMEMA + 1, 0xFFFFFFFF00000000 | CMEMA, ICX, 0, 0x77, IAX, 0xFFFFFFFF00000000 | CMEMA
    CASE_END
    ; ---- (a) after a CMP in the same block (its flags superseded) ----
    PCASE " after cmp rcx, rbx", 8, CF_FULL, DATA + 0x240, {cmp rcx, rbx}, {lock xadd [rdi], rcx}
    XV 0x8000000000000000, ICX, 0, 0x8000000000000000, IDI
    XV 0x00000000FFFFFFFF, ICX, 0, 0x0000000000000001, IDI
    CASE_END
    PCASE " after cmp rax, rcx", 4, CF_FULL, DATA + 0x248, {cmp rax, rcx}, {cmpxchg [rdi], ecx}
    CV 0x80000000, 0x1234567880000000, ICX, 0, 0x00000001, IDI
    CV 0x7FFFFFFF, 0x1234567880000000, ICX, 0, 0x00000001, IDI
    CASE_END
    PCASE " after cmp ecx, ebx, across a page boundary", 2, 0, PAIR - 1, {cmp ecx, ebx}, {lock xadd [rdi], cx}
    XV 0xFFFF, ICX, 0, 0xFFFFFFFF00000001, IDI
    XV 0x0001, ICX, 0, 0x7FFFFFFFFFFF7FFF, IDI
    CASE_END
    ; ---- (c) across a page boundary ----
    NCASE " across a page boundary", 2, 0, PAIR - 1, {lock xadd [rdi], cx}
    XV 0x80FF, ICX, 0, 0x1234123412340101, IDI
    XV 0x0001, ICX, 0, 0x123412341234FFFF, IDI
    CASE_END
    NCASE " across a page boundary", 4, 0, PAIR - 3, {xadd [rdi], ecx}
    XV 0xFFFFFFF0, ICX, 0, 0xFFFFFFFF00000010, IDI
    XV 0x01020304, ICX, 0, 0x000000017FFFFFFF, IDI
    CASE_END
    NCASE " across a page boundary", 8, 0, PAIR - 5, {lock xadd [rdi], rcx}
    XV 0x89ABCDEF01234567, ICX, 0, 0x7654321076543210, IDI
    XV 0xFFFFFFFFFFFFFFFF, ICX, 0, 0xFFFFFFFFFFFFFFFF, IDI
    CASE_END
    NCASE " across a page boundary", 2, 0, PAIR - 1, {cmpxchg [rdi], dx}
    CV 0xA55A, 0x99999999A55A, IDX, 0, 0x1234, IDI
    CV 0x5AA5, 0x99999999A55A, IDX, 0, 0x1234, IDI
    CASE_END
    NCASE " across a page boundary", 4, 0, PAIR - 2, {lock cmpxchg [rdi], ecx}
    CV 0xDEADBEEF, 0x01234567DEADBEEF, ICX, 0, 0x13579BDF, IDI
    CV 0x00000001, 0x01234567DEADBEEF, ICX, 0, 0x13579BDF, IDI
    CASE_END
    NCASE " across a page boundary", 8, 0, PAIR - 7, {cmpxchg [rdi], r8}
    CV 0x7FFFFFFFFFFFFFFF, 0x7FFFFFFFFFFFFFFF, I8, 0, 0x8000000000000000, IDI
    CV 0x8000000000000000, 0x7FFFFFFFFFFFFFFF, I8, 0, 0x8000000000000000, IDI
    CASE_END
    ; ---- (c) a TLB entry just invalidated, A = D = 0 ----
    NCASE " after INVLPG, A = D = 0 (both set after)", 4, CF_FRESH, FRESH + 0x10, {xadd [rdi], ecx}
    XV 0x00000001, ICX, 0, 0xFFFFFFFFFFFFFFFF, IDI
    XV 0x40000000, ICX, 0, 0x0000000040000000, IDI
    CASE_END
    NCASE " after INVLPG, A = D = 0 (both set after)", 8, CF_FRESH, FRESH + 0x20, {lock cmpxchg [rdi], rdx}
    CV 0x3141592653589793, 0x3141592653589793, IDX, 0, 0x2718281828459045, IDI
    CV 0x3141592653589794, 0x3141592653589793, IDX, 0, 0x2718281828459045, IDI
    CASE_END
    NCASE " after INVLPG, A = D = 0 (both set after)", 1, CF_FRESH, FRESH + 0x30, {cmpxchg [rdi], bl}
    CV 0xEE, 0xEE, IBX, 0, 0x11, IDI
    CV 0xEF, 0xEE, IBX, 0, 0x11, IDI
    CASE_END
    NCASE " after INVLPG, A = D = 0, across a page boundary", 2, CF_FRESH, FRESH + 0xFFF, {lock xadd [rdi], ax}
    XV 0x1111, IAX, 0, 0xFFFFFFFFFFFFEEEF, IDI
    XV 0x8001, IAX, 0, 0x0000000000008001, IDI
    CASE_END
    NCASE " after INVLPG, A = D = 0 and a read (the TLB holds the page readable; D set after)", 8, CF_FRESH | CF_READ, FRESH + 0x40, {cmpxchg [rdi], rcx}
    CV 0x8000000000000001, 0x8000000000000001, ICX, 0, 0x1234, IDI
    CV 0x8000000000000002, 0x8000000000000001, ICX, 0, 0x1234, IDI
    CASE_END
    NCASE " after INVLPG, A = D = 0 and a read (the TLB holds the page readable; D set after)", 2, CF_FRESH | CF_READ, FRESH + 0x48, {lock xadd [rdi], r13w}
    XV 0xFFFF, I13, 0, 0x1234567812340001, IDI
    XV 0x7000, I13, 0, 0x1234567812341000, IDI
    CASE_END
    ; ---- (d) faults, ring 0 ----
    FCASE " into a read-only page", 4, CF_READ, RO_PAGE + 0x10, 3, RO_PAGE + 0x10, {xadd [rdi], ecx}
    XV 0x11111111, ICX, 0, 0xAAAAAAAA22222222, IDI
    XV 0xFFFFFFFF, ICX, 0, 0x0000000000000001, IDI
    CASE_END
    FCASE " into a read-only page", 1, CF_READ, RO_PAGE + 0x20, 3, RO_PAGE + 0x20, {lock xadd [rdi], r11b}
    XV 0x11, I11, 0, 0x22, IDI
    CASE_END
    FCASE " into a read-only page (equal, unequal)", 8, CF_READ, RO_PAGE + 0x30, 3, RO_PAGE + 0x30, {cmpxchg [rdi], rcx}
    CV 0x600DF00D600DF00D, 0x600DF00D600DF00D, ICX, 0, 0x12345678, IDI
    CV 0x600DF00D600DF00D, 0x600DF00D600DF00E, ICX, 0, 0x12345678, IDI
    CASE_END
    FCASE " into a read-only page (equal, unequal)", 2, CF_READ, RO_PAGE + 0x40, 3, RO_PAGE + 0x40, {lock cmpxchg [rdi], bx}
    CV 0x4321, 0x4321, IBX, 0, 0x1111, IDI
    CV 0x4321, 0x4322, IBX, 0, 0x1111, IDI
    CASE_END
    FCASE " across into a read-only page", 4, CF_READ, RO_PAGE - 2, 3, RO_PAGE, {lock xadd [rdi], edx}
    XV 0x01010101, IDX, 0, 0xF2F2F2F202020202, IDI
    CASE_END
    FCASE " across into a read-only page (equal, unequal)", 8, CF_READ, RO_PAGE - 4, 3, RO_PAGE, {cmpxchg [rdi], rcx}
    CV 0xCAFEBABECAFEBABE, 0xCAFEBABECAFEBABE, ICX, 0, 0, IDI
    CV 0xCAFEBABECAFEBABE, 0xCAFEBABECAFEBABF, ICX, 0, 0, IDI
    CASE_END
    FCASE " into a not-present page", 4, CF_NPW, NP_PAGE + 0x10, 2, NP_PAGE + 0x10, {xadd [rdi], ecx}
    XV 0x11111111, ICX, 0, 0x3333333322222222, IDI
    CASE_END
    FCASE " into a not-present page (equal, unequal)", 8, CF_NPW, NP_PAGE + 0x20, 2, NP_PAGE + 0x20, {lock cmpxchg [rdi], rcx}
    CV 0x1212121212121212, 0x1212121212121212, ICX, 0, 0x34343434, IDI
    CV 0x1212121212121212, 0x1212121212121213, ICX, 0, 0x34343434, IDI
    CASE_END
    FCASE " across into a not-present page (equal, unequal)", 2, CF_NPW, NP_PAGE - 1, 2, NP_PAGE, {cmpxchg [rdi], dx}
    CV 0x5555, 0x5555, IDX, 0, 0xAAAA, IDI
    CV 0x5555, 0x5554, IDX, 0, 0xAAAA, IDI
    CASE_END
    FCASE " into a not-present page", 1, CF_NPW, NP_PAGE + 0x100, 2, NP_PAGE + 0x100, {lock xadd [rdi], ah}
    XV 0x77, IAX, 8, 0x8800, IDI
    CASE_END
    FPCASE " after cmp rcx, rdi, into a read-only page (the CMP's flags pushed)", 4, CF_READ, RO_PAGE + 0x70, 3, RO_PAGE + 0x70, {cmp rcx, rdi}, {lock xadd [rdi], ecx}
    PRE 1, 8, 0x8000000000000000, CMEMA
    XV 0x11111111, ICX, 0, 0x8000000000000000, IDI
    PRE 1, 8, CMEMA, CMEMA
    XV 0x11111111, ICX, 0, CMEMA, IDI
    CASE_END
    FPCASE " after cmp eax, ecx, into a not-present page (the CMP's flags pushed)", 8, CF_NPW, NP_PAGE + 0x50, 2, NP_PAGE + 0x50, {cmp eax, ecx}, {cmpxchg [rdi], rcx}
    PRE 1, 4, 0x00000001, 0x00000002
    CV 0x1, 0x00000001, ICX, 0, 0x00000002, IDI
    PRE 1, 4, 0x7FFFFFFF, 0xFFFFFFFF
    CV 0x1, 0x7FFFFFFF, ICX, 0, 0xFFFFFFFF, IDI
    CASE_END
    ; ---- (e) ring 3 ----
    NCASE " at ring 3", 4, CF_R3, DATA + 0x200, {xadd [rdi], ecx}
    XV 0x7FFFFFFF, ICX, 0, 0xFFFFFFFF00000001, IDI
    XV 0x00000005, ICX, 0, 0x00000000FFFFFFFB, IDI
    CASE_END
    NCASE " at ring 3", 8, CF_R3, DATA + 0x208, {lock cmpxchg [rdi], rdx}
    CV 0x2468246824682468, 0x2468246824682468, IDX, 0, 0xFFFF8642, IDI
    CV 0x2468246824682469, 0x2468246824682468, IDX, 0, 0xFFFF8642, IDI
    CASE_END
    NCASE " at ring 3", 1, CF_R3, DATA + 0x210, {cmpxchg [rdi], ah}
    CV 0x10, 0x1F010, IAX, 8, 0x1F010, IDI
    CV 0x20, 0x1F010, IAX, 8, 0x1F010, IDI
    CASE_END
    NCASE " at ring 3 across a page boundary", 8, CF_R3, PAIR - 4, {lock xadd [rdi], rbx}
    XV 0x0000000100000000, IBX, 0, 0xFFFFFFFF00000000, IDI
    XV 0x1234567812345678, IBX, 0, 0x1111111111111111, IDI
    CASE_END
    FCASE " at ring 3 into a read-only page (equal, unequal)", 4, CF_R3 | CF_READ, RO_PAGE + 0x50, 7, RO_PAGE + 0x50, {lock cmpxchg [rdi], ecx}
    CV 0xABCD, 0x1234567800000000 | 0xABCD, ICX, 0, 1, IDI
    CV 0xABCD, 0x1234567800000000 | 0xABCE, ICX, 0, 1, IDI
    CASE_END
    FCASE " at ring 3 into a read-only page", 2, CF_R3 | CF_READ, RO_PAGE + 0x60, 7, RO_PAGE + 0x60, {xadd [rdi], cx}
    XV 0x1111, ICX, 0, 0x2222, IDI
    CASE_END
    FCASE " at ring 3 into a not-present page", 8, CF_R3 | CF_NPW, NP_PAGE + 0x30, 6, NP_PAGE + 0x30, {xadd [rdi], rcx}
    XV 0x1111, ICX, 0, 0x2222, IDI
    CASE_END
    FCASE " at ring 3 into a not-present page (equal, unequal)", 1, CF_R3 | CF_NPW, NP_PAGE + 0x40, 6, NP_PAGE + 0x40, {lock cmpxchg [rdi], cl}
    CV 0x33, 0x33, ICX, 0, 0x44, IDI
    CV 0x33, 0x34, ICX, 0, 0x44, IDI
    CASE_END
    ; ---- (f) sign extensions after an ALU instruction ----
    SCASE " after add ecx, ebx", {add ecx, ebx}, {cbw}
    SV 0, 4, 0xFFFFFFFF, 0x00000001, 0x1234567812345680, 0x9ABCDEF0, 0
    SV 0, 4, 0x7FFFFFFF, 0x00000001, 0x123456781234567F, 0x9ABCDEF0, 0
    CASE_END
    SCASE " after cmp cl, bl", {cmp cl, bl}, {cwde}
    SV 2, 1, 0x80, 0x01, 0xFFFFFFFF55558000, 0x1111111111111111, 1
    SV 2, 1, 0x10, 0x20, 0xFFFFFFFF55557FFF, 0x1111111111111111, 1
    CASE_END
    SCASE " after sub cx, bx", {sub cx, bx}, {cdqe}
    SV 1, 2, 0x12340000, 0x00000001, 0x0000000080000000, 0x77777777, 2
    SV 1, 2, 0x12348000, 0x00000001, 0xFFFFFFFF7FFFFFFF, 0x77777777, 2
    CASE_END
    SCASE " after add rcx, rbx", {add rcx, rbx}, {cwd}
    SV 0, 8, 0x8000000000000000, 0x8000000000000000, 0x0000000000008000, 0x1234567812345678, 3
    SV 0, 8, 0x0000000000000F00, 0x0000000000000100, 0x0000000000007FFF, 0x1234567812345678, 3
    CASE_END
    SCASE " after cmp ecx, ebx", {cmp ecx, ebx}, {cdq}
    SV 2, 4, 0x00000005, 0x00000005, 0xAAAAAAAA80000000, 0xFFFFFFFFFFFFFFFF, 4
    SV 2, 4, 0x80000000, 0x00000001, 0xAAAAAAAA7FFFFFFF, 0xFFFFFFFFFFFFFFFF, 4
    CASE_END
    SCASE " after sub rcx, rbx", {sub rcx, rbx}, {cqo}
    SV 1, 8, 0x0000000000000000, 0x0000000000000001, 0x8000000000000000, 0x0, 5
    SV 1, 8, 0x7FFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFF, 0x7FFFFFFFFFFFFFFF, 0x5555, 5
    CASE_END
    SCASE " after add cl, bl", {add cl, bl}, {cqo}
    SV 0, 1, 0x7F, 0x01, 0xFFFFFFFFFFFFFFFF, 0x0, 5
    SV 0, 1, 0xFF, 0x01, 0x0, 0x12345, 5
    CASE_END
    SCASE " after sub ecx, ebx", {sub ecx, ebx}, {cdqe}
    SV 1, 4, 0x00000000, 0x00000001, 0x00000000FFFFFFFF, 0x0, 2
    SV 1, 4, 0x80000000, 0x00000001, 0xFFFFFFFF00000001, 0x0, 2
    CASE_END
    ; ---- (g), (h) ----
    call l_loops
    call l_smc1
    call l_smc2
    ret

; ---- exceptions: #UD, #GP, #PF recorded; the rest end the test ----
l_ud:
    push qword 0
    push qword 6
    jmp l_rec
l_gp:
    push qword 13
    jmp l_rec
l_pf:
    push qword 14
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
    mov rax, [rsp]
    mov [REC_VEC], rax
    mov rax, [rsp + 8]
    mov [REC_ERR], rax
    mov rax, [rsp + 16]
    mov [REC_EIP], rax
    mov rax, [rsp + 32]
    mov [REC_FL], rax
    mov rax, cr2
    mov [REC_CR2], rax
    mov rax, [RESUME_EIP]       ; on at RESUME_EIP, ring 0, RSP = RESUME_SP
    mov [rsp + 16], rax
    mov qword [rsp + 24], SEL_CODE64
    mov qword [rsp + 32], 2
    mov rax, [RESUME_SP]
    mov [rsp + 40], rax
    mov qword [rsp + 48], SEL_DATA
    add rsp, 16
    iretq

SHARED

; ======================================================================
; data
; ======================================================================
xgdt:
    DESC 0xF0000, 0xFFFF, 0x9B, 0x0     ; SEL_CODE16
    DESC 0, 0xFFFF, 0x93, 0x0           ; SEL_DATA16
    DESC 0x100, 0xFFFFF, 0x93, 0xC      ; SEL_FS32
xgdt_end:
idt32r: dw 256 * 8 - 1
        dd IDT_BASE
align 8
basev:  dq 0x8877665544332211, 0x1F2E3D4C5B6A7988, 0x0123456789ABCDEF, 0xFEDCBA9876543210
        dq 0x0, 0x5555AAAA5555AAAA, 0xC3C3C3C33C3C3C3C, 0x7F7F7F7F80808080
        dq 0x1111111111111111, 0x2222222222222222, 0x3333333333333333, 0x4444444444444444
        dq 0x5555555555555555, 0x6666666666666666, 0x7777777777777777, 0x9999999999999999
nops:   db 0, 0, 0, 0, 0, 0, 0, 0               ; NOPs of 0 to 7 bytes
        db 0x90, 0, 0, 0, 0, 0, 0, 0
        db 0x66, 0x90, 0, 0, 0, 0, 0, 0
        db 0x0F, 0x1F, 0x00, 0, 0, 0, 0, 0
        db 0x0F, 0x1F, 0x40, 0x00, 0, 0, 0, 0
        db 0x0F, 0x1F, 0x44, 0x00, 0x00, 0, 0, 0
        db 0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00, 0, 0
        db 0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00, 0
canary: db 0xC8, 0xC7, 0xC6, 0xC5, 0xC4, 0xC3, 0xC2, 0xC1
        db 0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8
        db 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8

str_pm32:  db "pm32 ", 0
str_lm64:  db "lm64 ", 0
str_fib32: db "a self-looping block: 300 x lock xadd [edi], ecx (Fibonacci)", 0
str_fib8:  db "a self-looping block: 300 x lock xadd [edi], ah (Fibonacci)", 0
str_fib64: db "a self-looping block: 300 x lock xadd [rdi], rcx (Fibonacci)", 0
str_fibrip: db "a self-looping block: 300 x lock xadd [rip + d], ecx (Fibonacci)", 0
str_casrip: db "a self-looping block: 300 x lea ecx, [rax + 1]; lock cmpxchg [rip + d], ecx (equal and unequal by turns)", 0
str_cas32: db "a self-looping block: 300 x lea ecx, [eax + 1]; lock cmpxchg [edi], ecx (equal and unequal by turns)", 0
str_cas16: db "a self-looping block: 300 x lea ecx, [eax + 1]; lock cmpxchg [edi], cx (equal and unequal by turns)", 0
str_smc1:  db "SMC: xadd, lock xadd, cmpxchg (equal), lock cmpxchg (unequal) into mov eax, imm32 of a hot routine on another page", 0
str_smc2:  db "SMC: xadd, lock xadd, cmpxchg, lock cmpxchg (equal, unequal) into mov edx, imm32, the next instruction of their block", 0
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

    LM_LIB
ROM_END
