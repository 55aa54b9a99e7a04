; jit_sti.asm — the interrupt shadow of STI in hot blocks, and INT n / IRET
; round trips. With IF = 0 before STI, a maskable interrupt that is pending
; is taken after the instruction that FOLLOWS STI, not before it (Intel SDM
; vol. 2B STI; vol. 3A 6.8.3). The recompiler runs STI natively inside a
; block at CPL 0 and looks for events right after that instruction; STI
; as a block's last record, or before a JMP the block goes on past, stays
; a call of its handler. INT n is delivered by a direct call, and INT n
; and IRET leave through inline caches after the new mode's key and event
; mask are computed. In 32-bit protected mode (flat CS), 16-bit real mode
; (the local APIC through an unreal FS) and 64-bit mode, every case runs
; 128 turns (translated at the first visit under check.sh's [jit] row, and
; at the default threshold of 50 visits). The interrupt is a local APIC
; self-IPI (ICR, vector 50h) sent while IF = 0, on odd turns (even turns:
; none pending, nothing may be delivered), or the APIC timer (51h). Its
; handler records the return address (and the registers, the interrupted
; stack pointer and the word on top of that stack, a sequence number);
; each turn compares them with what is wanted:
;  a. sti; <native form>; cli: ADD on a register, a store, an MMIO load,
;     and sti; cli (nothing taken) then sti; nop; cli
;  b. sti; <handler call>: CPUID, IN, OUT
;  c. sti; push; push; push (a PUSH run; also with PUSH imm): taken after
;     the first push (ESP and the value on top of the stack checked)
;  d. sti; pop; pop: taken after the first pop
;  e. sti; jmp short forward (taken at the target), sti; jz taken / not
;     taken, sti; call (taken at the callee, return address on the stack),
;     sti; ret; sti; jmp short into a hot loop that waits for the
;     interrupt (an STI the recompiler leaves to its handler, its JMP
;     followed: taken at the loop's first instruction)
;  f. sti; hlt with the IPI pending, and with the APIC timer firing later
;     (one-shot, 2000 bus clocks): taken after the HLT either way
;  g. sti as the last byte of a 4 KiB page (the next instruction on the
;     next page), and as record 63, 64 and 65 of a block (the recompiler
;     takes at most 64 records a block)
;  h. sti; sti; nop: taken after the second STI (it is in the first one's
;     shadow and makes none of its own: IF is already 1; the SDM's
;     "STI; STI; RET" example says interrupts may be recognized before the
;     RET; rawbox's interpreter and QEMU take it there)
;  i. sti; <faulting instruction>: #GP (in 32-bit code MOV ES with a
;     selector past the GDT's limit, a handler call: QEMU's TCG checks no
;     data segment limits; in 64-bit code a load from a non-canonical
;     address), #UD (UD2), and #PF in 64-bit code (a load from a page
;     that is not present): the fault comes first (its frame's EIP is the
;     faulting instruction, its EFLAGS has IF = 1), then the interrupt, at
;     the address the fault handler's IRET resumes at
;  j. sti with nothing pending before 48 ALU instructions: nothing taken,
;     registers as without the STI
;  k. (32- and 64-bit) ring 3: INT 60h (DPL 3 interrupt gate) to a ring-0
;     handler and IRET back, in a hot loop: the frame the handler sees
;     (EIP, CS, EFLAGS, ESP, SS), EAX changed by the handler, CF flipped in
;     the frame and RFLAGS after the IRET; on odd turns the handler sends a
;     self-IPI, taken right after the IRET (IF = 1 again) at the user
;     instruction; on even turns the user code sends one by a store to the
;     ICR, taken right after it or (QEMU) at the target of the JMP $+2
;     after it; INT 62h through a
;     DPL 0 gate: #GP with error code 62h * 8 + 2 = 312h at the INT
;  l. at CPL 0: sti; int 60h (the same handler; the IPI it sends on odd
;     turns is taken after its IRET), sti; int 60h and then a self-IPI by
;     a store (taken right after it, or at the JMP's target after it as
;     QEMU does), (32/64) sti; int 63h through a
;     trap gate with the IPI pending: taken before the trap handler's
;     first instruction; and an IRET from IF = 0 code to IF = 1 code that
;     sends a self-IPI by a store: taken right after the store, as in the
;     interpreter, which looks for events after every instruction (the
;     recompiler must have its event mask follow the IF the IRET loaded)
; Every case first takes what an earlier one left pending (sti; nop; cli).
; Check lines: mode, case, then "ints" (interrupts taken), "ret" (the last
; wanted interrupt's return address minus the wanted one: 0 when exact),
; "x" (a case's value: the interrupted stack pointer minus the one before
; STI, the fault's error code...), "errs" (bits: 1 an interrupt count in a
; turn, 2 the return address, 4 and up the case's own checks).
;
; qemu-differs: QEMU 7.2 TCG (1) puts vector*16+2 into the error code of the #GP for INT n through a 64-bit IDT gate of too low a DPL (SDM 6.13: the index is the vector, so vector*8+2; lm64 k1 prints x 00000622, errs 100h); (2) after sti; jz (taken) chains to the target's translation block without looking at interrupts, so the pending one is not taken before the CLI there (SDM STI: after the instruction that follows STI; e2 ints 0; the QEMU bug asterinas PR 537 reported for sti; ret); (3) after sti; int 63h through a trap gate takes the pending interrupt only after the handler's first instruction (l3 ret 6 / 8), apparently the STI's shadow outliving the INT; (4) takes a self-IPI sent by a store to the ICR only at the end of its translation block, after the JMP that follows the store (l4 ret 2; rawbox takes it right after the store; the SDM promises neither)
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "lm.inc"

%define APIC      0xFEE00000
%define ICR_SELF  0x44000           ; ICR low: shorthand self, fixed, assert
%define VIPI      0x50
%define VTMR      0x51
%define VINT      0x60              ; INT n: interrupt gate, DPL 3
%define VBACK     0x61              ; INT n from ring 3 back to the kernel
%define VGP       0x62              ; DPL 0: INT n from ring 3 is #GP
%define VTRAP     0x63              ; trap gate, DPL 0
%define TURNS     128

%define SEL_CODE16 (GDT_FREE)
%define SEL_DATA16 (GDT_FREE + 8)
%define APIC_PD    0x14000          ; 64-bit: the PD of 3-4 GiB (the APIC)

; ---- variables: 8-byte slots (16- and 32-bit code uses the low part) ----
%define VB        0x4000
%define V_TURN    (VB + 0x000)      ; turns left (odd: an interrupt pending)
%define V_ERRS    (VB + 0x008)      ; the case's error bits
%define V_NINT    (VB + 0x010)      ; interrupts taken in the case
%define V_TINT    (VB + 0x018)      ; ... in this turn
%define V_SEQ     (VB + 0x020)      ; events (interrupts and faults) so far
%define V_LASTOFF (VB + 0x028)
%define V_X       (VB + 0x030)
%define V_WANTN   (VB + 0x038)
%define V_SP0     (VB + 0x040)
%define V_MEM     (VB + 0x048)
%define RESUME    (VB + 0x050)      ; where a fault resumes (one shot; 0: fatal)
%define KSP       (VB + 0x058)
%define MODE_STR  (VB + 0x060)
%define U_FLIN    (VB + 0x068)
%define U_FLOUT   (VB + 0x070)
%define V_HIPI    (VB + 0x078)      ; byte: the INT 60h handler sends IPIs
%define V_SAVE    (VB + 0x080)      ; 8 slots
%define REC_RIP   (VB + 0x100)      ; the interrupt handler's record
%define REC_CS    (VB + 0x108)
%define REC_FL    (VB + 0x110)
%define REC_SP    (VB + 0x118)
%define REC_TOS   (VB + 0x120)
%define REC_VEC   (VB + 0x128)
%define REC_SEQ   (VB + 0x130)
%define REC_M     (VB + 0x138)
%define REC_AX    (VB + 0x140)
%define REC_BX    (VB + 0x148)
%define REC_CX    (VB + 0x150)
%define REC_DX    (VB + 0x158)
%define REC_SI    (VB + 0x160)
%define REC_DI    (VB + 0x168)
%define REC_BP    (VB + 0x170)
%define F_VEC     (VB + 0x180)      ; the fault handler's record
%define F_ERR     (VB + 0x188)
%define F_RIP     (VB + 0x190)
%define F_FL      (VB + 0x198)
%define F_SEQ     (VB + 0x1A0)
%define F_CNT     (VB + 0x1A8)
%define F_CR2     (VB + 0x1B0)
%define F_AX      (VB + 0x1B8)
%define F_CS      (VB + 0x1C0)
%define K_RIP     (VB + 0x200)      ; the INT 60h handler's record
%define K_CS      (VB + 0x208)
%define K_FL      (VB + 0x210)
%define K_SP      (VB + 0x218)
%define K_SS      (VB + 0x220)
%define K_N       (VB + 0x228)
%define K_AX      (VB + 0x230)
%define VB_END    (VB + 0x300)

; ---- modes ----
%macro USE16 0
bits 16
%define SZ 2
%define W word
%define xAX ax
%define xBX bx
%define xCX cx
%define xDX dx
%define xSI si
%define xDI di
%define xBP bp
%define xSP sp
%define xSPa esp
%define xAXf eax
%define xBXf ebx
%define xCXf ecx
%define PFX r
%define CADDR(x) (x)
%define IRETX iret
%endmacro

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
%define xSPa esp
%define xAXf eax
%define xBXf ebx
%define xCXf ecx
%define PFX p
%define CADDR(x) LIN(x)
%define IRETX iretd
%define UCS SEL_CODE32_R3
%define USS SEL_DATA_R3
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
%define xSPa rsp
%define xAXf rax
%define xBXf rbx
%define xCXf rcx
%define PFX l
%define CADDR(x) LIN(x)
%define IRETX iretq
%define UCS (SEL_CODE64_R3 | 3)
%define USS SEL_DATA_R3
%endmacro

; APICW offset, value: a local APIC register write (flags kept)
%macro APICW 2
%if __?BITS?__ == 16
    mov dword [fs:dword APIC + %1], %2
%else
    push xAX
    mov eax, APIC
    mov dword [xAX + %1], %2
    pop xAX
%endif
%endmacro

%macro IPI 0
    APICW 0x300, ICR_SELF | VIPI
%endmacro

; CHK a, b, bit: a != b sets the bit in V_ERRS (flags clobbered)
%macro CHK 3
    cmp %1, %2
    je %%ok
    or W [V_ERRS], %3
%%ok:
%endmacro

; CASE pend[, src]: a case's loop. pend: 0 no interrupt wanted, 1 one every
; turn, 2 one on odd turns. src: 0 a self-IPI at the turn's start (as pend
; says), 1 the APIC timer started every turn, 2 nothing (the case raises it)
%macro CASE 1-2 0
    %push case
    %assign %$pend %1
    sti                         ; what an earlier case left pending
    nop
    cli
    call %[PFX]_caseinit
%if %1 == 0
    mov W [V_WANTN], 0
%elif %1 == 1
    mov W [V_WANTN], TURNS
%else
    mov W [V_WANTN], TURNS / 2
%endif
    mov W [V_TURN], TURNS
%$turn:
    mov W [V_TINT], 0
    mov W [REC_RIP], 0
    mov W [F_CNT], 0
    mov W [V_SEQ], 0
    mov W [K_N], 0
%if %2 == 1
    APICW 0x380, 2000
%elif %2 == 0
  %if %1 == 1
    IPI
  %elif %1 == 2
    test byte [V_TURN], 1
    jz %$nopend
    IPI
%$nopend:
  %endif
%endif
%endmacro

; The code up to ENDPEND runs in the turns that want an interrupt only.
%assign pendn 0
%macro IFPEND 0
  %assign pendn pendn + 1
  %if %$pend == 2
    test byte [V_TURN], 1
    jz pskip_%[pendn]
  %elif %$pend == 0
    jmp pskip_%[pendn]
  %endif
%endmacro
%macro ENDPEND 0
pskip_%[pendn]:
%endmacro

; TURNEND label: after the window (IF = 0 again): this turn's interrupt
; count, and the wanted one's return address (the label).
%macro TURNEND 1
%if %$pend == 0
    CHK W [V_TINT], 0, 1
%else
  %if %$pend == 2
    test byte [V_TURN], 1
    jnz %%p
    CHK W [V_TINT], 0, 1
    jmp %%d
%%p:
  %endif
    CHK W [V_TINT], 1, 1
    mov xAX, [REC_RIP]
    sub xAX, CADDR(%1)
    mov [V_LASTOFF], xAX
    CHK xAX, 0, 2
%%d:
%endif
%endmacro

%macro REPORT 1
    call %%s
    db %1, 0
%%s:
    pop xSI
    call %[PFX]_report
%endmacro

%macro CASE_END 1
    dec W [V_TURN]
    jnz %$turn
    %pop
    REPORT %1
%endmacro

; ---- case j: a long straight run ----
%macro JSEED 0
    mov xAX, [V_TURN]
    mov xBX, xAX
    add xBX, 0x1357
    mov xCX, 0x2468
    mov xDX, xAX
    shl xDX, 3
    mov xSI, 0x1111
    mov xDI, 0x2222
    mov xBP, 0x3333
%endmacro
%macro JRUN 0
%rep 8
    add xAX, xBX
    xor xCX, xAX
    rol xDX, 3
    add xSI, xDX
    sub xDI, xCX
    imul xBP, xSI, 5
%endrep
%endmacro

; G_LIMIT n, "name": STI after n NOPs at the start of a block
%macro G_LIMIT 2
    CASE 2
    mov xBX, 1
    call %$sub
    jmp %$done
%$sub:
    times %1 nop
    sti
    add xBX, 2
%$ret:
    cli
    ret
%$done:
    TURNEND %$ret
    IFPEND
    CHK W [REC_BX], 3, 4
    ENDPEND
    CHK xBX, 3, 8
    CASE_END %2
%endmacro

; ---------------------------------------------------------------- library
%macro MODE_LIB 0
%[PFX]_puts:                    ; xSI: NUL-terminated string (CADDR)
    push xAX
    push xSI
%%l:
%if __?BITS?__ == 16
    cs lodsb
%else
    mov al, [xSI]
    inc xSI
%endif
    test al, al
    jz %%d
    out DEBUGCON_PORT, al
    jmp %%l
%%d:
    pop xSI
    pop xAX
    ret

%[PFX]_puthex:                  ; EAX in hex, 8 digits
    push xAXf
    push xBXf
    push xCXf
    mov ebx, eax
    mov ecx, 8
%%h:
    rol ebx, 4
    mov al, bl
    and al, 15
    add al, '0'
    cmp al, '9'
    jbe %%o
    add al, 'a' - '0' - 10
%%o:
    out DEBUGCON_PORT, al
    dec ecx
    jnz %%h
    pop xCXf
    pop xBXf
    pop xAXf
    ret

%[PFX]_field:                   ; xSI: label, EAX: value
    call %[PFX]_puts
    jmp %[PFX]_puthex

%[PFX]_report:                  ; xSI: the case's name
    mov xDI, CADDR(str_ok)
    mov xAX, [V_ERRS]
    test xAX, xAX
    jnz %%f
    mov xAX, [V_NINT]
    cmp xAX, [V_WANTN]
    je %%p
%%f:
    mov xDI, CADDR(str_fail)
    inc word [FAILS_ADDR]
%%p:
    inc word [CHECKS_ADDR]
    xchg xSI, xDI
    call %[PFX]_puts
    mov xSI, [MODE_STR]
    call %[PFX]_puts
    mov xSI, xDI
    call %[PFX]_puts
    mov xSI, CADDR(str_ints)
    mov eax, [V_NINT]
    call %[PFX]_field
    mov xSI, CADDR(str_ret)
    mov eax, [V_LASTOFF]
    call %[PFX]_field
    mov xSI, CADDR(str_x)
    mov eax, [V_X]
    call %[PFX]_field
    mov xSI, CADDR(str_errs)
    mov eax, [V_ERRS]
    call %[PFX]_field
    mov al, 10
    out DEBUGCON_PORT, al
    ret

%[PFX]_caseinit:
    push xAX
    xor eax, eax
    mov [V_ERRS], xAX
    mov [V_NINT], xAX
    mov [V_LASTOFF], xAX
    mov [V_X], xAX
    mov [V_SEQ], xAX
    mov [F_CNT], xAX
    mov [RESUME], xAX
    mov [K_N], xAX
    mov [V_HIPI], xAX
    pop xAX
    ret

; Interrupts: [xSPa] vector, then the frame.
%[PFX]_vipi:
    push VIPI
    jmp %[PFX]_irq
%[PFX]_vtmr:
    push VTMR
%[PFX]_irq:
    mov [REC_AX], xAX
    mov [REC_BX], xBX
    mov [REC_CX], xCX
    mov [REC_DX], xDX
    mov [REC_SI], xSI
    mov [REC_DI], xDI
    mov [REC_BP], xBP
    mov xAX, [xSPa]
    mov [REC_VEC], xAX
    mov xAX, [xSPa + SZ]
    mov [REC_RIP], xAX
    movzx eax, word [xSPa + 2 * SZ]
    mov [REC_CS], xAX
    mov xAX, [xSPa + 3 * SZ]
    mov [REC_FL], xAX
%if __?BITS?__ == 64
    mov rbx, [rsp + 4 * 8]
%elif __?BITS?__ == 32
    lea ebx, [esp + 4 * 4]
    test byte [REC_CS], 3
    jz %%sp
    mov ebx, [esp + 4 * 4]
%%sp:
%else
    lea bx, [esp + 4 * 2]
%endif
    mov [REC_SP], xBX
    mov xBX, [xBX]
    mov [REC_TOS], xBX
    mov xAX, [V_MEM]
    mov [REC_M], xAX
    inc W [V_SEQ]
    mov xAX, [V_SEQ]
    mov [REC_SEQ], xAX
    inc W [V_NINT]
    inc W [V_TINT]
    APICW 0xB0, 0               ; EOI
    mov xAX, [REC_AX]
    mov xBX, [REC_BX]
    add xSP, SZ
    IRETX

; Faults: [xSPa] vector, error code (-1: none), then the frame. Resume at
; [RESUME] (one shot) or end the test.
%[PFX]_f6:
    push -1
    push 6
    jmp %[PFX]_flt
%[PFX]_f13:
    push 13
    jmp %[PFX]_flt
%[PFX]_f14:
    push 14
    jmp %[PFX]_flt
%[PFX]_funexp:
    push -1
    push 0x100
%[PFX]_flt:
    mov [F_AX], xAX
    mov xAX, [xSPa]
    mov [F_VEC], xAX
    mov xAX, [xSPa + SZ]
    mov [F_ERR], xAX
    mov xAX, [xSPa + 2 * SZ]
    mov [F_RIP], xAX
    movzx eax, word [xSPa + 3 * SZ]
    mov [F_CS], xAX
    mov xAX, [xSPa + 4 * SZ]
    mov [F_FL], xAX
%if __?BITS?__ != 16
    mov xAX, cr2
    mov [F_CR2], xAX
%endif
    inc W [V_SEQ]
    mov xAX, [V_SEQ]
    mov [F_SEQ], xAX
    inc W [F_CNT]
    mov xAX, [RESUME]
    test xAX, xAX
    jz %%fatal
    mov W [RESUME], 0
    mov [xSPa + 2 * SZ], xAX
    mov xAX, [F_AX]
    add xSP, 2 * SZ
    IRETX
%%fatal:
    mov xSI, CADDR(str_fail)
    call %[PFX]_puts
    mov xSI, [MODE_STR]
    call %[PFX]_puts
    mov xSI, CADDR(str_unexp)
    mov eax, [F_VEC]
    call %[PFX]_field
    mov xSI, CADDR(str_code)
    mov eax, [F_ERR]
    call %[PFX]_field
    mov xSI, CADDR(str_at)
    mov eax, [F_RIP]
    call %[PFX]_field
    mov al, 10
    out DEBUGCON_PORT, al
    mov al, 1
    out EXIT_PORT, al
    hlt

; INT 60h: records the frame, EAX + 1, CF flipped in the frame (IRET
; must load it), and with V_HIPI on odd turns a self-IPI, pending until
; the IRET sets IF again.
%[PFX]_vint:
    mov [K_AX], xAX
    mov xAX, [xSPa]
    mov [K_RIP], xAX
    movzx eax, word [xSPa + SZ]
    mov [K_CS], xAX
    mov xAX, [xSPa + 2 * SZ]
    mov [K_FL], xAX
%if __?BITS?__ == 64
    mov rax, [rsp + 3 * 8]
    mov [K_SP], rax
    movzx eax, word [rsp + 4 * 8]
    mov [K_SS], rax
%elif __?BITS?__ == 32
    test byte [K_CS], 3
    jnz %%r3
    lea eax, [esp + 3 * 4]
    mov [K_SP], eax
    xor eax, eax
    mov ax, ss
    mov [K_SS], eax
    jmp %%kf
%%r3:
    mov eax, [esp + 3 * 4]
    mov [K_SP], eax
    movzx eax, word [esp + 4 * 4]
    mov [K_SS], eax
%%kf:
%else
    lea ax, [esp + 3 * 2]
    mov [K_SP], ax
    mov ax, ss
    mov [K_SS], ax
%endif
    xor byte [xSPa + 2 * SZ], 1
    inc W [K_N]
    cmp W [K_N], 8
    ja %[PFX]_kloop
    cmp byte [V_HIPI], 0
    je %%no
    test byte [V_TURN], 1
    jz %%no
    IPI
%%no:
    mov xAX, [K_AX]
    inc xAX
    IRETX

%[PFX]_kloop:                   ; an INT n returning to itself, say
    mov xSI, CADDR(str_fail)
    call %[PFX]_puts
    mov xSI, [MODE_STR]
    call %[PFX]_puts
    mov xSI, CADDR(str_kloop)
    mov eax, [K_RIP]
    call %[PFX]_field
    mov al, 10
    out DEBUGCON_PORT, al
    mov al, 1
    out EXIT_PORT, al
    hlt

%if __?BITS?__ != 16
%[PFX]_vtrap:                   ; INT 63h, trap gate: IF stays 1
    inc W [K_N]
    cmp W [K_N], 8
    ja %[PFX]_kloop
    IRETX

%[PFX]_vback:                   ; INT 61h from ring 3: back to the kernel
%if __?BITS?__ == 32
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
%else
    mov ax, SEL_DATA
    mov ss, ax
%endif
    mov xSP, [KSP]
    ret

%[PFX]_urun:                    ; run %[PFX]_user at ring 3, IF = 1
    mov [KSP], xSP
    push USS
    push USER_TOP
    push 0x202
    push UCS
    push CADDR(%[PFX]_user)
    IRETX

; ---- case k: ring 3 ----
%[PFX]_user:
%if __?BITS?__ == 32
    mov ax, USS
    mov ds, ax
    mov es, ax
%endif
%%t:
    mov W [V_TINT], 0
    mov W [REC_RIP], 0
    mov W [K_N], 0
    mov xBX, [V_TURN]
    mov xAX, xBX
    add xAX, 0x1000
    mov xSI, 0x5151
    mov xDI, 0x6161
    mov xBP, 0x7171
    cmp ebx, 64                 ; flags that vary with the turn
    pushf
    pop W [U_FLIN]
    int VINT
%%after:
    pushf
    pop W [U_FLOUT]
    mov xDX, xBX
    add xDX, 0x1001
    CHK xAX, xDX, 4             ; EAX + 1 by the handler, the rest kept
    CHK xSI, 0x5151, 4
    CHK xDI, 0x6161, 4
    CHK xBP, 0x7171, 4
    CHK xSP, USER_TOP, 4
    mov xDX, [U_FLIN]           ; RFLAGS after the IRET: CF flipped
    xor edx, 1
    CHK xDX, [U_FLOUT], 8
    CHK W [K_N], 1, 0x10        ; the frame the handler saw
    CHK W [K_RIP], CADDR(%%after), 0x10
    CHK W [K_CS], UCS, 0x10
    mov xDX, [U_FLIN]
    CHK xDX, [K_FL], 0x10
    CHK W [K_SP], USER_TOP, 0x10
    CHK W [K_SS], USS, 0x10
    test byte [V_TURN], 1
    jz %%even
    ; odd turns: the handler's IPI, taken right after the IRET
    CHK W [V_TINT], 1, 1
    mov xAX, [REC_RIP]
    sub xAX, CADDR(%%after)
    mov [V_LASTOFF], xAX
    CHK xAX, 0, 2
    CHK W [REC_CS], UCS, 0x20
    CHK W [REC_SP], USER_TOP, 0x20
    jmp %%gp
%%even:
    ; even turns: none after the IRET; one sent by a store with IF = 1,
    ; taken right after it (rawbox) or at the end of QEMU's translation
    ; block (the JMP), not later
    CHK W [V_TINT], 0, 1
    mov eax, APIC
    mov dword [xAX + 0x300], ICR_SELF | VIPI
%%st:
    jmp short %%st2
%%st2:
    CHK W [V_TINT], 1, 0x40
    mov xAX, [REC_RIP]
    cmp xAX, CADDR(%%st)
    je %%gp
    CHK xAX, CADDR(%%st2), 0x40
%%gp:
    ; INT n through a DPL 0 gate: #GP(vector * 8 + 2) at the INT
    mov W [RESUME], CADDR(%%gpres)
    mov W [F_CNT], 0
%%gpi:
    int VGP
%%gpres:
    CHK W [F_CNT], 1, 0x80
    CHK W [F_VEC], 13, 0x80
    CHK W [F_RIP], CADDR(%%gpi), 0x80
    CHK W [F_CS], UCS, 0x80
    mov xAX, [F_ERR]
    mov [V_X], xAX
    CHK xAX, VGP * 8 + 2, 0x100
    dec W [V_TURN]
    jnz %%t
    int VBACK
%endif
%endmacro

; ---------------------------------------------------------------- the cases
%macro MODE_TESTS 0
%[PFX]_tests:
    ; ---- a. sti; <native form>; cli ----
    CASE 2
    mov xBX, 100
    sti
    add xBX, 5
%$ret:
    add xBX, 7
    cli
    TURNEND %$ret
    IFPEND
    CHK W [REC_BX], 105, 4
    ENDPEND
    CHK xBX, 112, 8
    CASE_END "a1 sti; add reg"

    CASE 2
    mov W [V_MEM], 0
    mov xBX, 0x77
    sti
    mov [V_MEM], xBX
%$ret:
    cli
    TURNEND %$ret
    IFPEND
    CHK W [REC_M], 0x77, 4
    ENDPEND
    CHK W [V_MEM], 0x77, 8
    CASE_END "a2 sti; store"

    CASE 2
    xor eax, eax
%if __?BITS?__ == 16
    sti
    mov eax, [fs:dword APIC + 0x30]
%else
    mov edi, APIC
    sti
    mov eax, [xDI + 0x30]
%endif
%$ret:
    cli
    IFPEND
    CHK W [REC_AX], xAX, 4
    ENDPEND
    test eax, eax               ; (the APIC version register is not 0)
    jnz %$nz
    or W [V_ERRS], 8
%$nz:
    TURNEND %$ret
    CASE_END "a3 sti; MMIO load"

    CASE 2
    sti
    cli
    mov xAX, [V_TINT]
    mov [V_X], xAX
    CHK xAX, 0, 4
    sti
    nop
%$ret:
    cli
    TURNEND %$ret
    CASE_END "a4 sti; cli (none), then sti; nop; cli"

    ; ---- b. sti; <handler call> ----
    CASE 2
    xor eax, eax
    sti
    cpuid
%$ret:
    cli
    IFPEND
    CHK W [REC_AX], xAX, 4
    ENDPEND
    TURNEND %$ret
    CASE_END "b1 sti; cpuid"

    CASE 2
    mov al, 0
    sti
    in al, 0x21
%$ret:
    cli
    IFPEND
    CHK byte [REC_AX], 0xFF, 4
    ENDPEND
    CHK al, 0xFF, 8
    TURNEND %$ret
    CASE_END "b2 sti; in"

    CASE 2
    mov al, 0xFF
    sti
    out 0x21, al
%$ret:
    cli
    TURNEND %$ret
    CASE_END "b3 sti; out"

    ; ---- c. sti; a PUSH run ----
    CASE 2
    mov xBX, 0x11
    mov xSI, 0x22
    mov xDI, 0x33
    mov [V_SP0], xSP
    sti
    push xBX
%$ret:
    push xSI
    push xDI
    cli
    TURNEND %$ret
    IFPEND
    mov xAX, [REC_SP]
    sub xAX, [V_SP0]
    mov [V_X], xAX
    CHK xAX, -SZ, 4
    CHK W [REC_TOS], 0x11, 8
    ENDPEND
    pop xAX
    CHK xAX, 0x33, 0x10
    pop xAX
    CHK xAX, 0x22, 0x10
    pop xAX
    CHK xAX, 0x11, 0x10
    CHK xSP, [V_SP0], 0x20
    mov xSP, [V_SP0]            ; (a wrong one would take the test down)
    CASE_END "c1 sti; push reg x3"

    CASE 2
    mov xBX, 0x11
    mov xSI, 0x22
    mov [V_SP0], xSP
    sti
    push 0x44
%$ret:
    push xBX
    push 0x55
    push xSI
    cli
    TURNEND %$ret
    IFPEND
    mov xAX, [REC_SP]
    sub xAX, [V_SP0]
    mov [V_X], xAX
    CHK xAX, -SZ, 4
    CHK W [REC_TOS], 0x44, 8
    ENDPEND
    pop xAX
    CHK xAX, 0x22, 0x10
    pop xAX
    CHK xAX, 0x55, 0x10
    pop xAX
    CHK xAX, 0x11, 0x10
    pop xAX
    CHK xAX, 0x44, 0x10
    CHK xSP, [V_SP0], 0x20
    mov xSP, [V_SP0]
    CASE_END "c2 sti; push imm, reg, imm, reg"

    ; ---- d. sti; a POP run ----
    CASE 2
    push 0x44
    push 0x55
    mov [V_SP0], xSP
    xor ebx, ebx
    xor esi, esi
    sti
    pop xBX
%$ret:
    pop xSI
    cli
    TURNEND %$ret
    IFPEND
    CHK W [REC_BX], 0x55, 4
    CHK W [REC_SI], 0, 4
    mov xAX, [REC_SP]
    sub xAX, [V_SP0]
    mov [V_X], xAX
    CHK xAX, SZ, 8
    ENDPEND
    CHK xBX, 0x55, 0x10
    CHK xSI, 0x44, 0x10
    mov xAX, xSP
    sub xAX, [V_SP0]
    CHK xAX, 2 * SZ, 0x20
    mov xSP, [V_SP0]
    add xSP, 2 * SZ
    CASE_END "d1 sti; pop reg x2"

    ; ---- e. sti; a branch ----
    CASE 2
    sti
    jmp short %$ret
    times 6 db 0xCC
%$ret:
    cli
    TURNEND %$ret
    CASE_END "e1 sti; jmp short forward"

    ; The same into a spin loop that waits for the interrupt: a hot loop
    ; of its own, whose back edge must see the event STI let in.
    CASE 2
    mov xCX, 20000
    sti
    jmp short %$spin
    times 6 db 0xCC
%$spin:
    cmp W [V_TINT], 0
    jne %$got
    dec xCX
    jnz %$spin
%$got:
    cli
    TURNEND %$spin
    CASE_END "e5 sti; jmp short into a loop waiting for the interrupt"

    CASE 2
    xor eax, eax                ; ZF = 1
    sti
    jz %$ret
    times 6 db 0xCC
%$ret:
    cli
    TURNEND %$ret
    CASE_END "e2 sti; jz taken"

    CASE 2
    or eax, 1                   ; ZF = 0
    sti
    jz %$bad
%$ret:
    cli
    TURNEND %$ret
    jmp %$over
%$bad:
    ud2
%$over:
    CASE_END "e3 sti; jz not taken"

    CASE 2
    mov [V_SP0], xSP
    sti
    call %$sub
%$back:
    jmp %$done
%$sub:
    cli
    ret
%$done:
    TURNEND %$sub
    IFPEND
    CHK W [REC_TOS], CADDR(%$back), 4
    mov xAX, [REC_SP]
    sub xAX, [V_SP0]
    mov [V_X], xAX
    CHK xAX, -SZ, 4
    ENDPEND
    CASE_END "e4 sti; call"

    CASE 2
    push CADDR(%$ret)
    sti
    ret
    times 6 db 0xCC
%$ret:
    cli
    TURNEND %$ret
    CASE_END "e5 sti; ret"

    ; ---- f. sti; hlt ----
    CASE 1
    sti
    hlt
%$ret:
    cli
    TURNEND %$ret
    CHK W [REC_VEC], VIPI, 4
    CASE_END "f1 sti; hlt, IPI pending"

    APICW 0x320, VTMR           ; one-shot timer
    CASE 1, 1
    sti
    hlt
%$ret:
    cli
    TURNEND %$ret
    CHK W [REC_VEC], VTMR, 4
    CASE_END "f2 sti; hlt, the timer fires later"
    APICW 0x320, 0x10000 | VTMR

    ; ---- g. sti ending a block ----
    CASE 2
    mov xBX, 1
    jmp %$pg
    times ((0x1000 - 24 - (($ - $$) & 0xFFF)) & 0xFFF) db 0xCC
%$pg:
    add xBX, 2
    times (0xFFF - (($ - $$) & 0xFFF)) nop
    sti                         ; the page's last byte
    add xBX, 4                  ; on the next page
%$ret:
    cli
    TURNEND %$ret
    IFPEND
    CHK W [REC_BX], 7, 4
    ENDPEND
    CHK xBX, 7, 8
    CASE_END "g1 sti at a page's last byte"

    G_LIMIT 62, "g2 sti as record 63 of a block"
    G_LIMIT 63, "g3 sti as record 64 of a block"
    G_LIMIT 64, "g4 sti as record 65 of a block"

    ; ---- h. sti; sti; nop ----
    CASE 2
    sti
    sti
%$ret:
    nop
    cli
    TURNEND %$ret
    CASE_END "h1 sti; sti; nop"

    ; ---- i. sti; a fault ----
%if __?BITS?__ != 16
    CASE 2
%if __?BITS?__ == 32
    mov edx, 0xFFF8             ; past the GDT's limit
%else
    mov rsi, 0x8000000000000000 ; not canonical
%endif
    mov W [RESUME], CADDR(%$res)
    mov xBX, 0x1234
    sti
%$flt:
%if __?BITS?__ == 32
    mov es, dx
%else
    mov eax, [rsi]
%endif
    mov xBX, 0                  ; (not reached)
%$res:
    cli
    TURNEND %$res
    CHK W [F_CNT], 1, 4
    CHK W [F_VEC], 13, 8
%if __?BITS?__ == 32
    CHK W [F_ERR], 0xFFF8, 8
%else
    CHK W [F_ERR], 0, 8
%endif
    CHK W [F_RIP], CADDR(%$flt), 0x10
    CHK xBX, 0x1234, 0x10
    test word [F_FL], 0x200     ; IF = 1 in the fault's frame
    jnz %$if1
    or W [V_ERRS], 0x20
%$if1:
    IFPEND
    mov xAX, [F_SEQ]            ; the fault first
    CHK xAX, 1, 0x40
    mov xAX, [REC_SEQ]
    CHK xAX, 2, 0x40
    ENDPEND
    mov xAX, [F_VEC]
    shl eax, 16
    or eax, [F_ERR]
    mov [V_X], xAX
    CASE_END "i1 sti; #GP"
%endif

    CASE 2
    mov W [RESUME], CADDR(%$res)
    sti
%$flt:
    ud2
%$res:
    cli
    TURNEND %$res
    CHK W [F_CNT], 1, 4
    CHK W [F_VEC], 6, 8
    CHK W [F_ERR], -1, 8
    CHK W [F_RIP], CADDR(%$flt), 0x10
    test word [F_FL], 0x200
    jnz %$if1
    or W [V_ERRS], 0x20
%$if1:
    IFPEND
    mov xAX, [F_SEQ]
    CHK xAX, 1, 0x40
    mov xAX, [REC_SEQ]
    CHK xAX, 2, 0x40
    ENDPEND
    mov xAX, [F_VEC]
    mov [V_X], xAX
    CASE_END "i2 sti; #UD"

%if __?BITS?__ == 64
    CASE 2
    mov esi, 0x80000000         ; PDPT entry 2: not present
    mov W [RESUME], CADDR(%$res)
    sti
%$flt:
    mov eax, [rsi]
%$res:
    cli
    TURNEND %$res
    CHK W [F_CNT], 1, 4
    CHK W [F_VEC], 14, 8
    CHK W [F_ERR], 0, 8
    CHK W [F_RIP], CADDR(%$flt), 0x10
    CHK W [F_CR2], rsi, 0x10
    test word [F_FL], 0x200
    jnz %$if1
    or W [V_ERRS], 0x20
%$if1:
    IFPEND
    mov xAX, [F_SEQ]
    CHK xAX, 1, 0x40
    mov xAX, [REC_SEQ]
    CHK xAX, 2, 0x40
    ENDPEND
    mov xAX, [F_CR2]
    mov [V_X], xAX
    CASE_END "i3 sti; #PF"
%endif

    ; ---- j. sti with nothing pending: a long run ----
    CASE 0
    JSEED
    JRUN
    mov [V_SAVE + 0 * 8], xAX
    mov [V_SAVE + 1 * 8], xBX
    mov [V_SAVE + 2 * 8], xCX
    mov [V_SAVE + 3 * 8], xDX
    mov [V_SAVE + 4 * 8], xSI
    mov [V_SAVE + 5 * 8], xDI
    mov [V_SAVE + 6 * 8], xBP
    JSEED
    sti
    JRUN
    cli
    CHK xAX, [V_SAVE + 0 * 8], 4
    CHK xBX, [V_SAVE + 1 * 8], 4
    CHK xCX, [V_SAVE + 2 * 8], 4
    CHK xDX, [V_SAVE + 3 * 8], 4
    CHK xSI, [V_SAVE + 4 * 8], 4
    CHK xDI, [V_SAVE + 5 * 8], 4
    CHK xBP, [V_SAVE + 6 * 8], 4
    mov [V_X], xBP
    TURNEND 0
    CASE_END "j1 sti, nothing pending, 48 instructions"

    ; ---- l. at CPL 0: sti; int n ----
    CASE 2, 2
    mov byte [V_HIPI], 1
    mov W [K_N], 0
    mov xAX, 0x2000
    xor ebx, ebx                ; known flags
    pushf
    pop W [U_FLIN]
    sti
    int VINT
%$ret:
    pushf
    pop W [U_FLOUT]
    cli
    CHK xAX, 0x2001, 8          ; (TURNEND uses EAX)
    TURNEND %$ret
    CHK W [K_N], 1, 4
    CHK W [K_RIP], CADDR(%$ret), 4
    mov xDX, [U_FLIN]
    or edx, 0x200
    CHK xDX, [K_FL], 0x10       ; the frame: IF = 1 (set by the STI)
    xor edx, 1
    CHK xDX, [U_FLOUT], 0x20    ; after the IRET: CF flipped, IF = 1
    mov xAX, [K_SP]
    sub xAX, xSP
    mov [V_X], xAX
    CHK xAX, 0, 0x40
    CASE_END "l1 sti; int 60h, the handler's IPI after its IRET"

    CASE 1, 2
    sti
    int VINT
    ; IF = 1, nothing pending: a self-IPI by a store, taken right after
    ; it (rawbox) or at the end of QEMU's translation block (the JMP)
%if __?BITS?__ == 16
    mov dword [fs:dword APIC + 0x300], ICR_SELF | VIPI
%else
    mov eax, APIC
    mov dword [xAX + 0x300], ICR_SELF | VIPI
%endif
%$st:
    jmp short %$st2
%$st2:
    mov xCX, [V_TINT]
    cli
    CHK xCX, 1, 1
    mov xAX, [REC_RIP]
    cmp xAX, CADDR(%$st)
    je %$ok
    CHK xAX, CADDR(%$st2), 2
%$ok:
    CASE_END "l2 sti; int 60h, then a self-IPI by a store"

    ; IRET from IF = 0 code (a block the run loop entered after the CLI)
    ; to IF = 1 code, then a self-IPI by a store: the event mask must
    ; follow the IF the IRET loaded (else the interrupt comes only when
    ; the block leaves, after the JMP)
    CASE 1, 2
%if __?BITS?__ == 64
    mov rax, rsp
    push SEL_DATA
    push rax
    pushfq
    or qword [rsp], 0x200
    push SEL_CODE64
%elif __?BITS?__ == 32
    pushfd
    or dword [esp], 0x200
    push SEL_CODE32F
%else
    pushf
    or word [esp], 0x200
    push cs
%endif
    push CADDR(%$tgt)
    IRETX
%$tgt:
%if __?BITS?__ == 16
    mov dword [fs:dword APIC + 0x300], ICR_SELF | VIPI
%else
    mov eax, APIC
    mov dword [xAX + 0x300], ICR_SELF | VIPI
%endif
%$st:
    jmp short %$st2
%$st2:
    mov xCX, [V_TINT]
    cli
    CHK xCX, 1, 1
    mov xAX, [REC_RIP]          ; right after the store, as the interpreter
    sub xAX, CADDR(%$st)        ; looks at events after every instruction
    mov [V_LASTOFF], xAX
    CHK xAX, 0, 2
    CASE_END "l4 iret to IF = 1, then a self-IPI by a store"

%if __?BITS?__ != 16
    CASE 1
    sti
    int VTRAP
%$back:
    cli
    TURNEND %[PFX]_vtrap
    CHK W [REC_TOS], CADDR(%$back), 4
    CASE_END "l3 sti; int 63h (trap gate), taken at the handler's entry"

    ; ---- k. ring 3: INT n, IRET, #GP ----
    sti
    nop
    cli
    call %[PFX]_caseinit
    mov byte [V_HIPI], 1
    mov W [V_WANTN], TURNS
    mov W [V_TURN], TURNS
    call %[PFX]_urun
    REPORT "k1 ring 3: int 60h and IRET, IPIs after the IRET and by a store, int 62h #GP"
%endif
    ret
%endmacro

; ======================================================================
; start: real mode, then 32-bit protected mode
; ======================================================================
bits 16
start:
    ROM_INIT
    PUTS `jit_sti: the STI interrupt shadow in hot blocks, INT n and IRET\n`
    mov eax, 0x80000000         ; the last part needs long mode
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

USE32
pm32_main:
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, STACK_TOP
    call p_zero
    mov dword [MODE_STR], LIN(str_pm32)
    ; IDT: every vector to the fault recorder (no RESUME: the test ends),
    ; then ours
    xor edi, edi
    mov ecx, 0x8E00
.g:
    mov eax, LIN(p_funexp)
    call p_gate
    inc edi
    cmp edi, 256
    jb .g
    mov edi, 6
    mov eax, LIN(p_f6)
    call p_gate
    mov edi, 13
    mov eax, LIN(p_f13)
    call p_gate
    mov edi, 14
    mov eax, LIN(p_f14)
    call p_gate
    mov edi, VIPI
    mov eax, LIN(p_vipi)
    call p_gate
    mov edi, VTMR
    mov eax, LIN(p_vtmr)
    call p_gate
    mov ecx, 0xEE00
    mov edi, VINT
    mov eax, LIN(p_vint)
    call p_gate
    mov edi, VBACK
    mov eax, LIN(p_vback)
    call p_gate
    mov ecx, 0x8F00
    mov edi, VTRAP
    mov eax, LIN(p_vtrap)
    call p_gate
    lidt [LIN(idt32r)]
    ; TSS: the ring-0 stack for ring 3
    mov edi, TSS_BASE
    xor eax, eax
    mov ecx, 0x68 / 4
    rep stosd
    mov dword [TSS_BASE + 4], RSP0_TOP
    mov dword [TSS_BASE + 8], SEL_DATA
    mov word [TSS_BASE + 0x66], 0x68
    mov ax, SEL_TSS
    ltr ax
    ; 8259s at 20h-2Fh, every input masked; the local APIC enabled, its
    ; LINT0 masked, the timer divided by 1 and masked
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
    mov dword [APIC + 0xF0], 0x1FF
    mov dword [APIC + 0x350], 0x10700
    mov dword [APIC + 0x80], 0
    mov dword [APIC + 0x3E0], 0xB
    mov dword [APIC + 0x320], 0x10000 | VTMR
    call p_tests
    ; back to real mode, FS flat (unreal) for the local APIC
    jmp SEL_CODE16:rm_entry

p_gate:                         ; EDI = vector, EAX = handler, ECX = type << 8
    mov [IDT_BASE + edi * 8], ax
    mov word [IDT_BASE + edi * 8 + 2], SEL_CODE32F
    mov [IDT_BASE + edi * 8 + 4], cx
    push eax
    shr eax, 16
    mov [IDT_BASE + edi * 8 + 6], ax
    pop eax
    ret

p_zero:
    push edi
    push ecx
    push eax
    mov edi, VB
    mov ecx, (VB_END - VB) / 4
    xor eax, eax
    rep stosd
    pop eax
    pop ecx
    pop edi
    ret

    MODE_LIB
    MODE_TESTS

; ======================================================================
; 16-bit real mode
; ======================================================================
bits 16
rm_entry:
    mov ax, SEL_DATA16
    mov ds, ax
    mov es, ax
    mov gs, ax
    mov ss, ax
    mov ax, SEL_DATA            ; base 0, limit 4 GiB: kept in real mode
    mov fs, ax
    mov eax, cr0
    and al, 0xFE
    mov cr0, eax
    jmp 0xF000:rm_main
rm_main:
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov gs, ax
    mov ss, ax
    mov esp, 0x7C00
    o32 lidt [cs:rm_idtr]
    mov di, VB
    mov cx, (VB_END - VB) / 2
    xor ax, ax
    rep stosw
    mov word [MODE_STR], str_rm16
    mov word [6 * 4], r_f6
    mov word [6 * 4 + 2], 0xF000
    mov word [VIPI * 4], r_vipi
    mov word [VIPI * 4 + 2], 0xF000
    mov word [VTMR * 4], r_vtmr
    mov word [VTMR * 4 + 2], 0xF000
    mov word [VINT * 4], r_vint
    mov word [VINT * 4 + 2], 0xF000
    call r_tests

; ======================================================================
; 64-bit mode
; ======================================================================
    LM_ENTER
    USE64
    mov edi, VB
    mov ecx, (VB_END - VB) / 8
    xor eax, eax
    rep stosq
    mov qword [MODE_STR], LIN(str_lm64)
    ; the local APIC: a 2 MiB page at FEE00000h, PCD, user too
    mov edi, APIC_PD
    mov ecx, 512
    rep stosq
    mov eax, APIC | 0x9F
    mov [APIC_PD + (APIC >> 21 & 511) * 8], rax
    mov qword [PDPT_BASE + 3 * 8], APIC_PD | 7
    mov rax, cr3
    mov cr3, rax
    mov ecx, 0x8E00
    mov edi, 6
    lea rax, [rel l_f6]
    call lm_set_gate64
    mov edi, 13
    lea rax, [rel l_f13]
    call lm_set_gate64
    mov edi, 14
    lea rax, [rel l_f14]
    call lm_set_gate64
    mov edi, VIPI
    lea rax, [rel l_vipi]
    call lm_set_gate64
    mov edi, VTMR
    lea rax, [rel l_vtmr]
    call lm_set_gate64
    mov ecx, 0xEE00
    mov edi, VINT
    lea rax, [rel l_vint]
    call lm_set_gate64
    mov edi, VBACK
    lea rax, [rel l_vback]
    call lm_set_gate64
    mov ecx, 0x8F00
    mov edi, VTRAP
    lea rax, [rel l_vtrap]
    call lm_set_gate64
    call l_tests
    FINISH64

    MODE_LIB
    MODE_TESTS

    USE16
    MODE_LIB
    MODE_TESTS

    LM_LIB

; ======================================================================
; data
; ======================================================================
xgdt:
    DESC 0xF0000, 0xFFFF, 0x9B, 0x0     ; SEL_CODE16
    DESC 0, 0xFFFF, 0x93, 0x0           ; SEL_DATA16
xgdt_end:
idt32r: dw 256 * 8 - 1
        dd IDT_BASE
rm_idtr: dw 0x3FF
        dd 0

str_ok:    db "ok ", 0
str_fail:  db "FAIL ", 0
str_pm32:  db "pm32 ", 0
str_rm16:  db "rm16 ", 0
str_lm64:  db "lm64 ", 0
str_ints:  db ": ints ", 0
str_ret:   db " ret ", 0
str_x:     db " x ", 0
str_errs:  db " errs ", 0
str_unexp: db "unexpected vector ", 0
str_code:  db " code ", 0
str_at:    db " at ", 0
str_kloop: db "INT n handler entered again and again, last from ", 0

    ROM_END
