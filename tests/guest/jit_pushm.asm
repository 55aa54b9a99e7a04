; jit_pushm.asm — PUSH r/m with a memory operand (FF /6) in hot blocks. The
; recompiler loads the operand through its own TLB probe and then pushes it
; as PUSH reg does; a fault in the load must come before any in the push,
; and an address using ESP/RSP takes the stack pointer before the push
; (Intel SDM vol. 2B PUSH). In 32-bit protected mode with paging (flat CS,
; ring 0 and ring 3) and in 64-bit mode (ring 0, #PF on IST2), every loop
; runs 80 turns, so its block is translated at the default threshold of 50
; visits as well as at the first; the pushed value changes every turn:
;  1. push [abs], [base+index*scale+disp], [rip+disp] (64-bit), through FS
;     with a descriptor base (32-bit) and FS/GS with an MSR base (64-bit):
;     the slot holds the value, ESP/RSP moved by the operand size;
;  2. push [esp], [esp+4], [rsp], [rsp+8]: the stack pointer before the
;     push forms the address (the slots around hold other values);
;  3. the load faults (not-present page, also a load straddling into it):
;     #PF, error code, CR2, the frame's EIP/RIP = the PUSH, ESP/RSP
;     unchanged;
;  4. the push's store faults: a read-only stack page (32-bit: ring 3;
;     64-bit: ring 0 with CR0.WP = 1) and a not-present one: #PF, CR2 = the
;     slot, ESP/RSP unchanged, the read-only slot still holds its canary;
;  5. the operand across a page boundary (the two pages not neighbours in
;     physical memory), the slot aligned;
;  6. the push writes the immediate of a hot routine (stack over code),
;     which then runs with the new bytes; and the immediate of the MOV
;     right after the PUSH in the same block, which runs the new bytes at
;     once (SDM vol. 3A 11.6);
;  7. (32-bit) push word [mem] (66h): SP moved by 2.
; Check lines carry the mode ("pm32", "lm64"), the case, and the value seen.
;
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "lm.inc"

; ---- variables ----
%define VB       0x4000
%define TURN     (VB + 0x00)
%define ERRS     (VB + 0x08)
%define EXPV     (VB + 0x10)
%define GOTV     (VB + 0x18)
%define SAVE_SP  (VB + 0x20)
%define SP_AFTER (VB + 0x28)
%define RESUME   (VB + 0x30)
%define PF_ERR   (VB + 0x38)
%define PF_EIP   (VB + 0x40)
%define PF_SP    (VB + 0x48)
%define PF_CR2   (VB + 0x50)
%define PF_CNT   (VB + 0x58)
%define CASE     (VB + 0x60)
%define MODE_STR (VB + 0x68)
%define SAVE0    (VB + 0x70)
%define H_W      (VB + 0x78)
%define AT_EIP   (VB + 0x80)
%define RET_ADDR (VB + 0x90)

; ---- pages ----
%define PD32     0x14000
%define PT32     0x15000
%define DATA     0x20000            ; the operands
%define NP       0x21000            ; not present
%define XLO      0x22000            ; maps to XLO_PH: not XHI's neighbour
%define XHI      0x23000
%define XLO_PH   0x2E000
%define RO       0x24000            ; present, read-only
%define TSTK     0x26800            ; the stack under test
%define CODE     0x27000            ; the routine the pushes patch
%define CODE2    0x28000            ; the block whose push patches itself
%define FSB      0x1F000            ; FS base (32-bit descriptor)
%define FSB64    0x20100            ; FS base (64-bit MSR)
%define GSB64    0x20200            ; GS base (64-bit MSR)

%define SEL_CODE16 (GDT_FREE)
%define SEL_DATA16 (GDT_FREE + 8)
%define SEL_FS     (GDT_FREE + 0x10)

%define TURNS  80
%define CANARY 0x5AA5C33C

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
%define xSP esp
%define CHK p_chk
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
%define xSP rsp
%define CHK l_chk
%endmacro

; NAME "case": the case name the next check lines carry.
%macro NAME 1
    jmp %%a
%%s: db %1, 0
%%a:
    mov W [CASE], LIN(%%s)
%endmacro

; PX got, want, "aspect": a check line "ok MODE CASE: aspect GOT" (on a
; failure also "want WANT"). got and want are not xAX/xDX. The harness
; pushes no memory operand.
%macro PX 3
    jmp %%a
%%s: db %3, 0
%%a:
    mov [H_W], xAX
    mov xAX, %2
    mov [EXPV + 0x100], xAX
    mov xAX, %1
    mov [GOTV + 0x100], xAX
    mov xAX, [H_W]
    push xSI
    mov xSI, LIN(%%s)
    call CHK
    pop xSI
%endmacro

; VALUE: xAX = this turn's value (changes every turn, all bytes nonzero
; bits), the turn from [TURN].
%macro VALUE 0
    mov xAX, [TURN]
    inc xAX
%if SZ == 8
    mov xDX, 0x9E3779B97F4A7C15
    imul xAX, xDX
%else
    imul eax, eax, 0x9E3779B9
%endif
%endmacro

; PLOOP src, wr, size, instr: TURNS turns of `instr` (a PUSH of `size`
; bytes from the linear address src; wr = 1: the test writes this turn's
; value there first) with ESP/RSP = TSTK and the slots around holding the
; value's complement. EBX = DATA, ESI = 3 for the addresses (64-bit: also
; R8 = R12 = R13 = DATA, R9 = 3). Checks the
; last turn's slot against the operand and ESP/RSP, and that every turn
; was right.
%macro PLOOP 4
    mov W [ERRS], 0
    mov W [TURN], 0
%%turn:
    VALUE
    not xAX
    mov [TSTK - 2 * SZ], xAX
    mov [TSTK - SZ], xAX
    mov [TSTK], xAX
    mov [TSTK + SZ], xAX
    not xAX
%if %2
  %if %3 == 2
    mov [%1], ax
  %elif %3 == 4
    mov [%1], eax
  %else
    mov [%1], rax
  %endif
%endif
    xor xAX, xAX
  %if %3 == 2
    mov ax, [%1]
  %elif %3 == 4
    mov eax, [%1]
  %else
    mov rax, [%1]
  %endif
    mov [EXPV], xAX
    mov xBX, DATA
    mov xSI, 3
%if SZ == 8
    mov r8, DATA
    mov r9, 3
    mov r12, DATA
    mov r13, DATA
%endif
    mov [SAVE_SP], xSP
    mov xSP, TSTK
    %4
    mov [SP_AFTER], xSP
    xor xAX, xAX
  %if %3 == 2
    mov ax, [xSP]
  %elif %3 == 4
    mov eax, [xSP]
  %else
    mov rax, [xSP]
  %endif
    mov xSP, [SAVE_SP]
    mov [GOTV], xAX
    cmp xAX, [EXPV]
    jne %%bad
    cmp W [SP_AFTER], TSTK - %3
    je %%next
%%bad:
    inc W [ERRS]
%%next:
    inc W [TURN]
    cmp W [TURN], TURNS
    jb %%turn
    PX [GOTV], [EXPV], "the slot holds the operand"
    mov xBX, [SP_AFTER]
    sub xBX, TSTK
    PX xBX, -%3, "ESP/RSP moved by"
    PX [ERRS], 0, "turns wrong"
%endmacro

; FLOOP sp, err, cr2, instr: TURNS turns of `instr` (a PUSH that faults)
; with ESP/RSP = sp: #PF with the error code and CR2, at the PUSH, with
; ESP/RSP unchanged.
%macro FLOOP 4
    mov W [ERRS], 0
    mov W [TURN], 0
    mov W [PF_CNT], 0
    mov W [AT_EIP], LIN(%%at)
%%turn:
    VALUE
    mov [DATA + 0x10], xAX
    mov [DATA + 0x1000 - SZ], xAX
    mov W [PF_ERR], -1
    mov W [PF_CR2], -1
    mov W [PF_EIP], -1
    mov W [PF_SP], -1
    mov W [RESUME], LIN(%%res)
    mov xBX, DATA
    mov xSI, 3
    mov [SAVE_SP], xSP
    mov xSP, %1
%%at:
    %4
    mov xSP, [SAVE_SP]
    inc W [ERRS]                ; no fault
    jmp %%next
%%res:
    mov [SP_AFTER], xSP
    mov xSP, [SAVE_SP]
    cmp W [PF_ERR], %2
    jne %%bad
    cmp W [PF_CR2], %3
    jne %%bad
    cmp W [PF_EIP], LIN(%%at)
    jne %%bad
    cmp W [PF_SP], %1
    jne %%bad
    cmp W [SP_AFTER], %1
    je %%next
%%bad:
    inc W [ERRS]
%%next:
    inc W [TURN]
    cmp W [TURN], TURNS
    jb %%turn
    mov W [RESUME], 0
    PX [PF_CNT], TURNS, "faults"
    PX [PF_ERR], %2, "error code"
    PX [PF_CR2], %3, "CR2"
    mov xBX, [PF_EIP]
    sub xBX, [AT_EIP]
    PX xBX, 0, "frame EIP/RIP minus the PUSH"
    mov xBX, [PF_SP]
    sub xBX, %1
    PX xBX, 0, "ESP/RSP at the fault minus before"
    PX [ERRS], 0, "turns wrong"
%endmacro

; SMCLOOP: a routine at CODE (B8 imm32 C3: mov eax, imm32; ret) called
; every turn; before each call a PUSH with ESP/RSP over the routine writes
; this turn's value into the immediate (in 64-bit mode the upper half of
; the slot rewrites the RET as C3 and three bytes after it).
%macro SMCLOOP 0
    mov dword [CODE], 0xB8
    mov dword [CODE + 4], 0xC300
    mov W [ERRS], 0
    mov W [TURN], 0
%%turn:
    VALUE
    mov eax, eax
%if SZ == 8
    mov rdx, 0xC300000000
    or rax, rdx
%endif
    mov [DATA + 0x300], xAX
    mov eax, eax
    mov [EXPV], xAX
    mov [SAVE_SP], xSP
    mov xSP, CODE + 1 + SZ
    push W [DATA + 0x300]
    mov xSP, [SAVE_SP]
    mov eax, CODE
    call xAX
    mov eax, eax
    mov [GOTV], xAX
    cmp xAX, [EXPV]
    je %%next
    inc W [ERRS]
%%next:
    inc W [TURN]
    cmp W [TURN], TURNS
    jb %%turn
    PX [GOTV], [EXPV], "the routine returns the pushed immediate"
    PX [ERRS], 0, "turns wrong"
%endmacro

; SELFLOOP: a block in RAM (copied from the template) whose PUSH, with
; ESP/RSP over the block itself, writes the immediate of its own next
; instruction (MOV EAX, imm32); the new bytes run at once (in 64-bit mode
; the upper half of the slot rewrites the next instruction's first four
; bytes with themselves).
%macro SELFLOOP 0
    jmp %%go
%%tpl:
    mov esp, CODE2 + (%%mov + 1 - %%tpl) + SZ
    push W [DATA + 0x310]
%%mov:
    mov eax, 0
    mov xSP, [SAVE_SP]
    jmp [RET_ADDR]
%%end:
%%go:
    mov xSI, LIN(%%tpl)
    mov xDI, CODE2
    mov xCX, %%end - %%tpl
    rep movsb
    mov W [ERRS], 0
    mov W [TURN], 0
%%turn:
    VALUE
    mov eax, eax
%if SZ == 8
    mov edx, [LIN(%%mov + 5)]
    shl rdx, 32
    or rax, rdx
%endif
    mov [DATA + 0x310], xAX
    mov eax, eax
    mov [EXPV], xAX
    mov [SAVE_SP], xSP
    mov W [RET_ADDR], LIN(%%back)
    mov eax, CODE2
    jmp xAX
%%back:
    mov eax, eax
    mov [GOTV], xAX
    cmp xAX, [EXPV]
    je %%next
    inc W [ERRS]
%%next:
    inc W [TURN]
    cmp W [TURN], TURNS
    jb %%turn
    PX [GOTV], [EXPV], "EAX from the rewritten MOV"
    PX [ERRS], 0, "turns wrong"
%endmacro

; The checks, in either mode.
%macro CASES 0
    NAME "push [abs]"
    PLOOP DATA + 0x20, 1, SZ, {push W [DATA + 0x20]}
    NAME "push [base+index*scale+disp]"
    PLOOP DATA + 3 * SZ + 0x40, 1, SZ, {push W [xBX + xSI * SZ + 0x40]}
    NAME "push [esp/rsp]"
    PLOOP TSTK, 1, SZ, {push W [xSP]}
    NAME "push [esp/rsp+size]"
    PLOOP TSTK + SZ, 1, SZ, {push W [xSP + SZ]}
    NAME "push [esp/rsp+index*size-size]"
    PLOOP TSTK + 2 * SZ, 1, SZ, {push W [xSP + xSI * SZ - SZ]}
    NAME "push [operand across a page boundary]"
    PLOOP XHI - 2, 1, SZ, {push W [XHI - 2]}
    NAME "load fault: push [not-present page]"
    FLOOP TSTK, 0, NP + 0x10, {push W [NP + 0x10]}
    NAME "load fault: push [operand straddling into a not-present page]"
    FLOOP TSTK, 0, NP, {push W [xBX + NP - DATA - 2]}
    NAME "self-modifying: the slot is a hot routine's immediate"
    SMCLOOP
    NAME "self-modifying: the slot is the block's own next instruction"
    SELFLOOP
%endmacro

; ======================================================================
bits 16
start:
    ROM_INIT
    PUTS `jit_pushm: PUSH r/m with a memory operand in hot blocks\n`
    mov eax, 0x80000000
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
; 32-bit protected mode, flat CS
; ======================================================================
USE32
pm32_main:
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov gs, ax
    mov ss, ax
    mov ax, SEL_FS
    mov fs, ax
    mov esp, STACK_TOP
    mov edi, IDT_BASE
    mov ecx, 256
    mov eax, LIN(p_unexp)
.g:
    call gate32
    add edi, 8
    loop .g
    mov edi, IDT_BASE + 14 * 8
    mov eax, LIN(p_pf)
    call gate32
    mov edi, IDT_BASE + 0x30 * 8
    mov eax, LIN(p_back)
    call gate32
    mov byte [IDT_BASE + 0x30 * 8 + 5], 0xEE    ; DPL 3
    lidt [LIN(idt32r)]
    mov edi, TSS_BASE
    xor eax, eax
    mov ecx, 0x68 / 4
    rep stosd
    mov dword [TSS_BASE + 4], RSP0_TOP
    mov dword [TSS_BASE + 8], SEL_DATA
    mov word [TSS_BASE + 0x66], 0x68
    mov ax, SEL_TSS
    ltr ax
    ; paging: 0-4 MiB identity, U/S everywhere; NP not present, RO
    ; read-only, XLO elsewhere in physical memory
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
    mov dword [PT32 + (NP >> 12) * 4], 0
    mov dword [PT32 + (RO >> 12) * 4], RO | 5
    mov dword [PT32 + (XLO >> 12) * 4], XLO_PH | 7
    mov dword [RO + 0x7FC], CANARY
    mov eax, PD32
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80010000          ; PG, WP
    mov cr0, eax
    mov dword [MODE_STR], LIN(str_pm32)
    mov dword [RESUME], 0

    CASES
    NAME "push [fs:disp] (FS base 1F000h)"
    PLOOP FSB + 0x1000 + 0x50, 1, 4, {push dword [fs:0x1000 + 0x50]}
    NAME "push [fs:index*4+disp] (FS base 1F000h)"
    PLOOP FSB + 0x1000 + 12 + 0x60, 1, 4, {push dword [fs:esi * 4 + 0x1060]}
    NAME "push word [ebx+disp] (66h)"
    PLOOP DATA + 0x70, 1, 2, {push word [ebx + 0x70]}
    NAME "push word [esp+2] (66h)"
    PLOOP TSTK + 2, 1, 2, {push word [esp + 2]}

    ; ring 3 (IOPL 3): the push's store faults
    mov [SAVE0], esp
    mov ax, SEL_DATA_R3
    mov ds, ax
    mov es, ax
    push dword SEL_DATA_R3
    push dword USER_TOP
    pushfd
    or dword [esp], 0x3000
    push dword SEL_CODE32_R3
    push dword LIN(ring3)
    iretd
ring3:
    NAME "ring 3, store fault: stack page read-only"
    FLOOP RO + 0x800, 7, RO + 0x7FC, {push dword [DATA + 0x10]}
    PX [RO + 0x7FC], CANARY, "the slot still holds its canary"
    NAME "ring 3, store fault: stack page not present"
    FLOOP NP + 0x800, 6, NP + 0x7FC, {push dword [ebx + esi * 4 + 0xFF0]}
    NAME "ring 3, push [esp+4]"
    PLOOP TSTK + 4, 1, 4, {push dword [esp + 4]}
    int 0x30
p_back:
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov esp, [SAVE0]

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

; #PF: [esp] error code, EIP, CS, EFLAGS (ESP, SS from ring 3)
p_pf:
    push eax
    push ds
    mov ax, SEL_DATA
    mov ds, ax
    mov eax, [esp + 8]
    mov [PF_ERR], eax
    mov eax, [esp + 12]
    mov [PF_EIP], eax
    mov eax, cr2
    mov [PF_CR2], eax
    lea eax, [esp + 24]         ; ring 0: ESP before the frame
    test byte [esp + 16], 3
    jz .r0
    mov eax, [esp + 24]         ; ring 3: the frame's ESP
.r0:
    mov [PF_SP], eax
    inc dword [PF_CNT]
    mov eax, [RESUME]
    test eax, eax
    jz p_unexp
    mov [esp + 12], eax
    pop ds
    pop eax
    add esp, 4
    iretd

p_unexp:
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov esi, LIN(str_unexp)
    call p_puts
    mov eax, [esp]
    call p_hex
    mov al, ' '
    out DEBUGCON_PORT, al
    mov eax, [esp + 4]
    call p_hex
    mov al, 10
    out DEBUGCON_PORT, al
    inc word [FAILS_ADDR]
    mov al, 1
    out EXIT_PORT, al
    hlt

p_puts:                         ; ESI = linear string
    push eax
    push esi
.l:
    mov al, [esi]
    inc esi
    test al, al
    jz .d
    out DEBUGCON_PORT, al
    jmp .l
.d:
    pop esi
    pop eax
    ret

p_hex:                          ; EAX, 8 digits
    pushad
    mov ebx, eax
    mov ecx, 8
.h:
    rol ebx, 4
    mov al, bl
    and al, 15
    add al, '0'
    cmp al, '9'
    jbe .o
    add al, 'a' - '0' - 10
.o:
    out DEBUGCON_PORT, al
    loop .h
    popad
    ret

p_chk:                          ; ESI = aspect; [GOTV+100h], [EXPV+100h]
    pushad
    pushfd
    inc word [CHECKS_ADDR]
    mov eax, [GOTV + 0x100]
    cmp eax, [EXPV + 0x100]
    mov edx, LIN(rom_ok_str)
    je .p
    inc word [FAILS_ADDR]
    mov edx, LIN(rom_fail_str)
.p:
    xchg edx, esi
    call p_puts
    mov esi, [MODE_STR]
    call p_puts
    mov esi, [CASE]
    call p_puts
    mov esi, LIN(str_colon)
    call p_puts
    mov esi, edx
    call p_puts
    mov al, ' '
    out DEBUGCON_PORT, al
    mov eax, [GOTV + 0x100]
    call p_hex
    mov eax, [GOTV + 0x100]
    cmp eax, [EXPV + 0x100]
    je .e
    mov esi, LIN(str_want)
    call p_puts
    mov eax, [EXPV + 0x100]
    call p_hex
.e:
    mov al, 10
    out DEBUGCON_PORT, al
    popfd
    popad
    ret

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
    SET_GATE64 14, l_pf, 0x8E, 2
    mov rax, CANARY             ; before RO is read-only (CR0.WP is
    mov [RO + 0x7F8], rax       ; still set from the 32-bit part)
    mov qword [PT_BASE + (NP >> 12) * 8], 0
    mov qword [PT_BASE + (RO >> 12) * 8], RO | 5
    mov qword [PT_BASE + (XLO >> 12) * 8], XLO_PH | 7
    mov rax, cr3
    mov cr3, rax
    mov rax, cr0
    or eax, 0x10000             ; WP
    mov cr0, rax
    mov ecx, MSR_FS_BASE
    mov eax, FSB64
    xor edx, edx
    wrmsr
    mov ecx, MSR_GS_BASE
    mov eax, GSB64
    wrmsr
    mov qword [MODE_STR], LIN(str_lm64)
    mov qword [RESUME], 0

    CASES
    NAME "push [rip+disp] (RAM)"
    PLOOP DATA + 0x80, 1, 8, {push qword [rel $$ + DATA + 0x80 - ROM_BASE]}
    NAME "push [rip+disp] (ROM)"
    PLOOP LIN(romq), 0, 8, {push qword [rel romq]}
    NAME "push [fs:disp] (MSR base)"
    PLOOP FSB64 + 0x18, 1, 8, {push qword [fs:0x18]}
    NAME "push [gs:index*8+disp] (MSR base)"
    PLOOP GSB64 + 24 + 0x28, 1, 8, {push qword [gs:rsi * 8 + 0x28]}
    NAME "push [r8+r9*8+disp] (REX)"
    PLOOP DATA + 24 + 0xA0, 1, 8, {push qword [r8 + r9 * 8 + 0xA0]}
    NAME "push [r12+disp] (SIB)"
    PLOOP DATA + 0xB0, 1, 8, {push qword [r12 + 0xB0]}
    NAME "push [r13+r9*8] (disp8 0)"
    PLOOP DATA + 24, 1, 8, {push qword [r13 + r9 * 8]}
    NAME "store fault: stack page read-only, CR0.WP = 1"
    FLOOP RO + 0x800, 3, RO + 0x7F8, {push qword [DATA + 0x10]}
    mov rbx, CANARY
    PX [RO + 0x7F8], rbx, "the slot still holds its canary"
    NAME "store fault: stack page not present"
    FLOOP NP + 0x800, 2, NP + 0x7F8, {push qword [gs:0x10 - (GSB64 - DATA)]}
    FINISH64

; #PF on IST2: [rsp] error code, RIP, CS, RFLAGS, RSP, SS
l_pf:
    push rax
    mov rax, [rsp + 8]
    mov [PF_ERR], rax
    mov rax, [rsp + 16]
    mov [PF_EIP], rax
    mov rax, [rsp + 40]
    mov [PF_SP], rax
    mov rax, cr2
    mov [PF_CR2], rax
    inc qword [PF_CNT]
    mov rax, [RESUME]
    test rax, rax
    jz .fatal
    mov [rsp + 16], rax
    pop rax
    add rsp, 8
    iretq
.fatal:
    lea rsi, [rel str_unexp64]
    call lm_puts64
    mov rax, [PF_EIP]
    call lm_puthex64
    mov al, 10
    out DEBUGCON_PORT, al
    inc word [FAILS_ADDR]
    FINISH64

l_chk:                          ; RSI = aspect; [GOTV+100h], [EXPV+100h]
    pushfq
    push rax
    push rdx
    push rsi
    inc word [CHECKS_ADDR]
    mov rax, [GOTV + 0x100]
    cmp rax, [EXPV + 0x100]
    lea rdx, [rel rom_ok_str]
    je .p
    inc word [FAILS_ADDR]
    lea rdx, [rel rom_fail_str]
.p:
    xchg rdx, rsi
    call lm_puts64
    mov rsi, [MODE_STR]
    call lm_puts64
    mov rsi, [CASE]
    call lm_puts64
    lea rsi, [rel str_colon]
    call lm_puts64
    mov rsi, rdx
    call lm_puts64
    mov al, ' '
    out DEBUGCON_PORT, al
    mov rax, [GOTV + 0x100]
    call lm_puthex64
    cmp rax, [EXPV + 0x100]
    je .e
    lea rsi, [rel str_want]
    call lm_puts64
    mov rax, [EXPV + 0x100]
    call lm_puthex64
.e:
    mov al, 10
    out DEBUGCON_PORT, al
    pop rsi
    pop rdx
    pop rax
    popfq
    ret

align 8
romq:      dq 0x0123456789ABCDEF
xgdt:
    DESC 0xF0000, 0xFFFF, 0x9B, 0x0     ; SEL_CODE16
    DESC 0, 0xFFFF, 0x93, 0x0           ; SEL_DATA16
    DESC FSB, 0xFFFF, 0x93, 0x4         ; SEL_FS: base 1F000h, 64 KiB
xgdt_end:
idt32r: dw 256 * 8 - 1
        dd IDT_BASE
str_pm32:    db "pm32 ", 0
str_lm64:    db "lm64 ", 0
str_colon:   db ": ", 0
str_want:    db " want ", 0
str_unexp:   db "FAIL pm32 unexpected exception, stack ", 0
str_unexp64: db "FAIL lm64 unexpected #PF at ", 0

    LM_LIB
ROM_END
