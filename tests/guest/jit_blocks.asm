; jit_blocks.asm — what a recompiler must keep exact inside hot straight-line
; blocks, in real mode, 32-bit protected mode (with paging), 64-bit mode and
; compatibility mode:
;  a. self-modifying code: a hot loop whose body patches an immediate a few
;     instructions ahead in its own block; a store into the very next
;     instruction (its opcode and immediate, ADD <-> SUB); a hot routine on
;     another page patched between calls. Each loop runs 240 turns: the
;     first 60 aim the store at a scratch page (so the block is translated
;     at the default threshold too), then every fourth turn patches and the
;     others write the scratch page again, so the block is translated anew
;     between patches; the expected value is the one last patched in.
;  b. an exception in the middle of a block: after MOV/ADD/LEA/PUSH and an
;     ADD whose flags differ between even and odd turns, a faulting
;     instruction, then more writes. The handler records every register and
;     the frame; per turn: vector, error code and CR2; the pushed EIP/RIP
;     is the faulting instruction's; the registers and memory written before
;     it hold their new values and those after it the old; ESP/RSP at the
;     fault (the earlier PUSHes done, nothing more); the pushed EFLAGS hold
;     the ADD's arithmetic flags (DIV, whose flags are undefined, must not
;     let them be dropped). #DE (DIV), #UD (UD2), #PF on a load and on a
;     PUSH (at ring 3 in 32-bit code, on an IST stack in 64-bit mode),
;     #GP for IN at ring 3 without I/O permission, for a non-canonical
;     address, and for a load beyond the FS limit. 64 turns each.
;  c. PIT interrupts (8259 master at vector 20h, about 4 kHz) into a hot
;     loop whose flags feed later instructions (ADC/SBB chains, PUSHF,
;     SETcc): after 40 interrupts, the state equals an uninterrupted run of
;     the same number of turns. The handler changes flags and registers it
;     restores.
;  d. one physical page at three linear addresses: CALL/POP (and in
;     64-bit mode LEA [RIP]) must give each alias's own address, and bytes
;     written through one alias (every fourth of 128 calls) must run when
;     the page is entered through another.
; Check lines carry the mode: "real", "pm32", "lm64", "compat".
; Intel SDM vol. 3A 6.5 (faults restart at the faulting instruction), 6.12,
; 6.14, 8.1.3 (self-modifying code), 4.10 (paging); vol. 1 3.4.3 (flags).
;
; qemu-differs: QEMU's TCG does not check data segment limits (SDM vol. 3A 5.3), so the 32-bit "#GP (load beyond the FS limit)" scenario runs only where a probe load beyond the limit faults (rawbox, real CPUs); under QEMU those five check lines are left out and a note says so
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "lm.inc"

; ---- variables (physical = linear in every paged mode here) ----
%define REC        0x0700       ; 16 qwords: the GPRs at the fault
%define R_AX  (REC + 0 * 8)
%define R_CX  (REC + 1 * 8)
%define R_DX  (REC + 2 * 8)
%define R_BX  (REC + 3 * 8)
%define R_SP  (REC + 4 * 8)     ; ESP/RSP at the faulting instruction
%define R_BP  (REC + 5 * 8)
%define R_SI  (REC + 6 * 8)
%define R_DI  (REC + 7 * 8)
%define R_R8  (REC + 8 * 8)
%define R_R9  (REC + 9 * 8)
%define R_R14 (REC + 14 * 8)
%define R_R15 (REC + 15 * 8)
%define REC_VEC    0x0780
%define REC_ERR    0x0788
%define REC_EIP    0x0790
%define REC_CS     0x0798
%define REC_FL     0x07A0
%define REC_CR2    0x07A8
%define REC_CNT    0x07B0
%define RESUME_EIP 0x07B8       ; 0: an exception is unexpected
%define RESUME_ESP 0x07C0
%define RESUME_CS  0x07C8       ; used by the 64-bit handler only
%define EXP_VEC    0x07D0
%define EXP_ERR    0x07D8
%define EXP_CR2    0x07E0       ; -1: not compared
%define EXP_EIP    0x07E8
%define EXP_ESP    0x07F0
%define F_ITER     0x0800
%define F_ERRS     0x0808
%define F_FIRST    0x0810
%define F_PRE      0x0818       ; written before the fault
%define F_POST     0x0820       ; written after it (must stay 0)
%define MODE_STR   0x0828       ; 32-bit checks: "pm32" or "compat"
%define IS_PM32    0x0830
%define TICKS      0x0838
%define K          0x0840
%define KLIMIT     0x0848
%define TTARGET    0x0850
%define K1         0x0858
%define T1         0x0860
%define MIXBUF     0x0868
%define PMASK      0x0870
%define EXPV       0x0950       ; SMC loops: the immediate in the code
%define ZERO       0x0878       ; the divisor
%define FARP       0x0880       ; m16:32 for indirect far calls
%define ALIASES    0x0890       ; 3 qwords: linear addresses of CODE_C
%define SAVE       0x08C0       ; 16 qwords

; ---- pages ----
%define CODE_A   0x20000        ; SMC loops
%define CODE_B   0x21000        ; a routine patched from another page
%define CODE_C   0x22000        ; the page run through three aliases
%define SCR_PAGE 0x23000        ; where warm-up stores go
; CODE_T holds a RET that each turn of the SMC loops calls: the branch to
; another page hands control back to the recompiler's dispatcher, whose
; interpreted stretches otherwise may run a loop within one page for a
; whole slice (the interpreter's chained handlers follow taken branches)
; and never meet the translated block again.
%define CODE_T   0x24000
%define NP_PAGE  0x1E000        ; not present when paging is on
%define STK_PAGE 0x1F000        ; present, right above NP_PAGE
%define PD32     0x14000        ; 32-bit paging: PD, PT for 0-4 MiB,
%define PT32     0x15000        ; PT for 4-8 MiB (the aliases)
%define PT32B    0x16000
%define PD64B    0x17000        ; long mode: PD and PT for 1 GiB up
%define PT64B    0x18000
%define IDT32    IDT_BASE       ; legacy IDT (LM_ENTER builds its own here)
%define F_STACK16 0x7000
%define F_STACK32 0x8800
%define F_STACK64 0x8800

%define SEL_CODE16 (GDT_FREE)
%define SEL_DATA16 (GDT_FREE + 8)
%define SEL_SMALL  (GDT_FREE + 0x10)   ; flat data with limit 0xFFF

%define WARM   60               ; SMC loops: turns before patching starts
%define TOTAL  240
%define FITERS 64               ; turns of each fault scenario
%define TICKS_WANT 40
%define KCAP   3000000          ; turns before giving up on interrupts
%define PIT_DIV 298             ; about 4 kHz

%define FLAGS_EVEN 0x894        ; 1 + 7FFF..F: OF SF AF PF
%define FLAGS_ODD  0x055        ; 80..01 + 7FFF..F: CF ZF AF PF
%define ARITH      0x8D5

; ---- macros ----
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

%macro PUTS32 1
    jmp %%a
%%s: db %1, 0
%%a:
    push esi
    mov esi, %%s
    call puts32
    pop esi
%endmacro

%macro RCHECK 1                 ; 16-bit: ZF = pass
    jmp %%a
%%n: db %1, 0
%%a:
    push si
    push di
    mov si, %%n
    mov di, 0
    call chk16
    pop di
    pop si
%endmacro

%macro MCHECK 1                 ; 32-bit (pm32 or compat): ZF = pass
    jmp %%a
%%n: db %1, 0
%%a:
    push esi
    push edi
    mov esi, %%n
    mov edi, 0
    call chk32
    pop edi
    pop esi
%endmacro

%macro LCHECK 1                 ; 64-bit: ZF = pass
    jmp %%a
%%n: db %1, 0
%%a:
    push rsi
    push rdi
    lea rsi, [rel %%n]
    mov edi, 0
    call chk64
    pop rdi
    pop rsi
%endmacro

; FSCEN16 insn, vector, "name": real mode, 64 turns of the block at %%top.
%macro FSCEN16 3
    mov word [F_ITER], 0
    mov word [F_ERRS], 0
    mov word [F_FIRST], 0xFFFF
    mov [RESUME_ESP], sp
    mov word [RESUME_EIP], %%resume
%%next:
    mov word [REC_VEC], 0xFFFF
    mov word [REC_CNT], 0
    mov word [F_POST], 0
    mov word [F_PRE], 0xFFFF
    mov sp, F_STACK16
    jmp %%top
%%top:
    mov ax, [F_ITER]
    mov di, ax
    and di, 1
    ror di, 1
    or di, 1                    ; 1 or 8001h
    mov bx, 0x0B0B
    mov cx, 0x0C0C
    mov dx, 0x0D0D
    mov bp, 0x0E0E
    mov si, 0x0505
    mov [F_PRE], ax
    shl ax, 2
    add ax, 0x1000
    add cx, bx                  ; 1717h
    push cx
    lea si, [bx + si + 0x10]    ; 1020h
    push si
    add di, 0x7FFF              ; the flags the frame must hold
    mov bx, 0x1234
%%fault:
    %1
    mov bp, 0xDEAD
    mov word [F_POST], 0xDEAD
    add ax, 1
    push ax
    xor cx, cx
    mov si, 0x0BAD
    ud2
%%resume:
    mov sp, [RESUME_ESP]
    mov word [EXP_VEC], %2
    mov word [EXP_EIP], %%fault
    mov word [EXP_ESP], F_STACK16 - 4
    call fcheck16
    inc word [F_ITER]
    cmp word [F_ITER], FITERS
    jb %%next
    mov word [RESUME_EIP], 0
    mov si, %%name
    call freport16
    jmp %%after
%%name: db %3, 0
%%after:
%endmacro

; FSCEN32 insn, vector, error code, CR2 (-1: any), ring (0/3), stack, "name":
; 32-bit code, shared by protected and compatibility mode. Ring 0 runs the
; block with CS = SEL_CODE32 (base F0000h), ring 3 with the flat 2Bh.
%macro FSCEN32 7
    mov dword [F_ITER], 0
    mov dword [F_ERRS], 0
    mov dword [F_FIRST], -1
    mov [RESUME_ESP], esp
    mov dword [RESUME_ESP + 4], 0
    mov dword [RESUME_EIP], %%resume
    mov dword [RESUME_EIP + 4], 0
    mov dword [RESUME_CS], SEL_CODE32
    mov dword [RESUME_CS + 4], 0
%%next:
    mov dword [REC_VEC], -1
    mov dword [REC_CNT], 0
    mov dword [F_POST], 0
    mov dword [F_PRE], -1
%if %5 == 3
    mov ax, SEL_DATA_R3
    mov ds, ax
    mov es, ax
    push dword SEL_DATA_R3
    push dword %6
    push dword 2
    push dword SEL_CODE32_R3
    push dword LIN(%%top)
    iretd
%else
    mov esp, %6
    jmp %%top
%endif
%%top:
    mov eax, [F_ITER]
    mov edi, eax
    and edi, 1
    ror edi, 1
    or edi, 1                   ; 1 or 80000001h
    mov ebx, 0x0B0B0B0B
    mov ecx, 0x0C0C0C0C
    mov edx, 0x0D0D0D0D
    mov ebp, 0x0E0E0E0E
    mov esi, 0x05050505
    mov [F_PRE], eax
    lea eax, [eax * 4 + 0x1000]
    add ecx, ebx                ; 17171717h
    push ecx
    lea esi, [ecx + eax * 2]
    push esi
    add edi, 0x7FFFFFFF         ; the flags the frame must hold
    mov ebx, 0x12345678
%%fault:
    %1
    mov ebp, 0xDEADBEEF
    mov dword [F_POST], 0xDEADBEEF
    add eax, 1
    push eax
    xor ecx, ecx
    mov esi, 0xBAD
    ud2
%%resume:
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov esp, [RESUME_ESP]
    mov dword [EXP_VEC], %2
    mov dword [EXP_ERR], %3
    mov dword [EXP_CR2], %4
%if %5 == 3
    mov dword [EXP_EIP], LIN(%%fault)
%else
    mov dword [EXP_EIP], %%fault
%endif
    mov dword [EXP_ESP], %6 - 8
    call fcheck32
    inc dword [F_ITER]
    cmp dword [F_ITER], FITERS
    jb %%next
    mov dword [RESUME_EIP], 0
    mov esi, %%name
    call freport32
    jmp %%after
%%name: db %7, 0
%%after:
%endmacro

; FSCEN64 insn, vector, error code, CR2 (-1: any), stack, "name"
%macro FSCEN64 6
    mov qword [F_ITER], 0
    mov qword [F_ERRS], 0
    mov qword [F_FIRST], -1
    mov [RESUME_ESP], rsp
    lea rax, [rel %%resume]
    mov [RESUME_EIP], rax
    mov qword [RESUME_CS], SEL_CODE64
%%next:
    mov qword [REC_VEC], -1
    mov qword [REC_CNT], 0
    mov qword [F_POST], 0
    mov qword [F_PRE], -1
    mov rsp, %5
    jmp %%top
%%top:
    mov rax, [F_ITER]
    mov rdi, rax
    and edi, 1
    ror rdi, 1
    or rdi, 1                   ; 1 or 8000000000000001h
    mov rbx, 0x0B0B0B0B0B0B0B0B
    mov rcx, 0x0C0C0C0C0C0C0C0C
    mov rdx, 0x0D0D0D0D0D0D0D0D
    mov rbp, 0x0E0E0E0E0E0E0E0E
    mov rsi, 0x0505050505050505
    mov r8, 0x0808080808080808
    mov r9, 0x0909090909090909
    mov r11, 0x7FFFFFFFFFFFFFFF
    mov r10, 0x0000800000000000
    mov r15, 0x0F0F0F0F0F0F0F0F
    mov [F_PRE], rax
    lea rax, [rax * 4 + 0x1000]
    add rcx, rbx                ; 1717..17h
    push rcx
    lea rsi, [rcx + rax * 2]
    push rsi
    add r8, r9                  ; 1111..11h
    mov r14, 0x123456789ABCDEF0
    add rdi, r11                ; the flags the frame must hold
    mov rbx, 0x12345678
%%fault:
    %1
    mov rbp, 0xDEADBEEF
    mov [F_POST], rbp
    add rax, 1
    mov r9, rbp
    mov r15, rbp
    push rax
    xor ecx, ecx
    ud2
%%resume:
    mov rsp, [RESUME_ESP]
    mov qword [EXP_VEC], %2
    mov qword [EXP_ERR], %3
    mov qword [EXP_CR2], %4
    lea rax, [rel %%fault]
    mov [EXP_EIP], rax
    mov qword [EXP_ESP], %5 - 16
    call fcheck64
    inc qword [F_ITER]
    cmp qword [F_ITER], FITERS
    jb %%next
    mov qword [RESUME_EIP], 0
    lea rsi, [rel %%name]
    call freport64
    jmp %%after
%%name: db %6, 0
%%after:
%endmacro

; ======================================================================
; real mode
; ======================================================================
start:
    ROM_INIT
    PUTS `jit_blocks: SMC, faults and interrupts inside hot blocks, aliased code pages\n`
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
    mov dword [ZERO], 0
    mov dword [ZERO + 4], 0
    mov word [RESUME_EIP], 0
    xor di, di                  ; IVT: everything unexpected but ours
    mov cx, 256
.ivt:
    mov word [di], rm_unexp
    mov word [di + 2], 0xF000
    add di, 4
    loop .ivt
    mov word [0 * 4], rm_exc0
    mov word [6 * 4], rm_exc6
    mov word [0x20 * 4], rm_irq
    mov word [0x27 * 4], rm_iret

    ; ---- (a) SMC ----
    cld
    mov ax, CODE_A >> 4
    mov es, ax
    xor di, di
    mov si, rm_chunk_a
    mov cx, rm_chunk_a_end - rm_chunk_a
    cs rep movsb
    mov ax, CODE_B >> 4
    mov es, ax
    xor di, di
    mov si, rm_chunk_b
    mov cx, rm_chunk_b_end - rm_chunk_b
    cs rep movsb
    mov ax, CODE_T >> 4
    mov es, ax
    mov byte [es:0], 0xC3
    xor ax, ax
    mov es, ax
    call (CODE_A >> 4):(rm_ahead - rm_chunk_a)
    test bp, bp
    RCHECK "SMC: a hot loop patching an immediate a few instructions ahead in its own block sees each new value"
    call (CODE_A >> 4):(rm_next - rm_chunk_a)
    test bp, bp
    RCHECK "SMC: a store into the very next instruction (opcode and immediate) takes effect at once"
    call rm_other_test
    test bp, bp
    RCHECK "SMC: a hot routine on another page, patched between calls, runs the new bytes"

    ; ---- (b) faults ----
    FSCEN16 {div word [ZERO]}, 0, "#DE (DIV by zero) mid-block"
    FSCEN16 {ud2}, 6, "#UD (UD2) mid-block"

    ; ---- 32-bit protected mode ----
    cld
    mov si, lm_gdt
    mov di, GDT_BASE
    mov cx, lm_gdt_end - lm_gdt
    cs rep movsb
    mov si, xgdt
    mov di, GDT_BASE + GDT_FREE
    mov cx, xgdt_end - xgdt
    cs rep movsb
    mov di, IDT32               ; 0-31: recording stubs; 20h: IRQ0; rest: IRET
    mov ax, pm_stubs
    mov cx, 32
.g1:
    mov [di], ax
    mov word [di + 2], SEL_CODE32
    mov word [di + 4], 0x8E00
    mov word [di + 6], 0
    add ax, 16
    add di, 8
    loop .g1
    mov cx, 256 - 32
.g2:
    mov word [di], pm_iret32
    mov word [di + 2], SEL_CODE32
    mov word [di + 4], 0x8E00
    mov word [di + 6], 0
    add di, 8
    loop .g2
    mov word [IDT32 + 0x20 * 8], pm_irq32
    o32 lgdt [cs:lm_gdtr]
    o32 lidt [cs:idt32r]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp dword SEL_CODE32:pm32_main

bits 32
pm32_main:
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, STACK_TOP
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
    ; TSS: ring-0 stack for faults at ring 3; no I/O bitmap
    mov edi, TSS_BASE
    xor eax, eax
    mov ecx, 0x68 / 4
    rep stosd
    mov dword [TSS_BASE + 4], RSP0_TOP
    mov dword [TSS_BASE + 8], SEL_DATA
    mov word [TSS_BASE + 0x66], 0x68
    mov ax, SEL_TSS
    ltr ax
    ; 32-bit paging: 0-4 MiB identity but NP_PAGE; CODE_C also at 4 MiB
    ; and 4 MiB + 12 KiB
    mov edi, PD32
    xor eax, eax
    mov ecx, 3 * 1024
    rep stosd
    mov dword [PD32], PT32 | 7
    mov dword [PD32 + 4], PT32B | 7
    mov edi, PT32
    mov eax, 7
.pt:
    mov [edi], eax
    add eax, 0x1000
    add edi, 4
    cmp edi, PT32 + 4096
    jb .pt
    mov dword [PT32 + (NP_PAGE >> 12) * 4], 0
    mov dword [PT32B + 0 * 4], CODE_C | 7
    mov dword [PT32B + 3 * 4], CODE_C | 7
    mov eax, PD32
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax

    mov dword [MODE_STR], str_pm32
    mov dword [IS_PM32], 1
    xor eax, eax
    mov edi, ALIASES
    mov ecx, 6
    rep stosd
    mov dword [ALIASES], CODE_C
    mov dword [ALIASES + 8], 0x400000
    mov dword [ALIASES + 16], 0x403000
    call t32_all

    mov eax, cr0                ; back to real mode
    and eax, 0x7FFFFFFF
    mov cr0, eax
    jmp SEL_CODE16:pm32_exit
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
    o32 lidt [cs:rm_idtr]

    ; ---- (c) interrupts in real mode ----
    mov dword [TICKS], 0
    mov dword [K], 0
    mov dword [KLIMIT], KCAP
    mov dword [TTARGET], TICKS_WANT
    PIT_ON
    call mix16_init
    sti
    call mix16
    cli
    mov [SAVE + 0], ax
    mov [SAVE + 8], bx
    mov [SAVE + 16], dx
    mov [SAVE + 24], si
    mov [SAVE + 32], di
    mov [SAVE + 40], bp
    PIT_OFF
    mov eax, [K]
    mov [K1], eax
    mov eax, [TICKS]
    mov [T1], eax
    mov dword [K], 0
    mov eax, [K1]
    mov [KLIMIT], eax
    mov dword [TTARGET], -1
    call mix16_init
    call mix16
    mov cx, ax
    cmp dword [T1], TICKS_WANT
    setb al
    test al, al
    RCHECK "PIT interrupts: 40 timer interrupts arrived in the hot loop"
    xor cx, [SAVE + 0]
    xor bx, [SAVE + 8]
    xor dx, [SAVE + 16]
    xor si, [SAVE + 24]
    xor di, [SAVE + 32]
    or cx, bx
    or cx, dx
    or cx, si
    or cx, di
    RCHECK "PIT interrupts: the registers after the interrupted run equal an uninterrupted run's"
    cmp bp, [SAVE + 40]
    RCHECK "PIT interrupts: the flags checksum (carries between instructions, PUSHF, SETcc) is the same"

    ; ======================================================================
    ; long mode
    ; ======================================================================
    LM_ENTER
    SET_GATE64 0, rec64_0, 0x8E, 0
    SET_GATE64 6, rec64_6, 0x8E, 0
    SET_GATE64 13, rec64_13, 0x8E, 0
    SET_GATE64 14, rec64_14, 0x8E, 2
    SET_GATE64 0x20, irq64, 0x8E, 0
    SET_GATE64 0x27, iret64, 0x8E, 0
    mov qword [RESUME_EIP], 0
    ; NP_PAGE not present; CODE_C also at 1 GiB and 1 GiB + 12 KiB
    mov qword [PT_BASE + (NP_PAGE >> 12) * 8], 0
    mov edi, PD64B
    xor eax, eax
    mov ecx, 2 * 4096 / 8
    rep stosq
    mov qword [PDPT_BASE + 8], PD64B | 7
    mov qword [PD64B], PT64B | 7
    mov qword [PT64B + 0 * 8], CODE_C | 7
    mov qword [PT64B + 3 * 8], CODE_C | 7
    mov rax, cr3
    mov cr3, rax
    mov qword [ALIASES], CODE_C
    mov qword [ALIASES + 8], 0x40000000
    mov qword [ALIASES + 16], 0x40003000
    call t64_all

    ; ---- compatibility mode ----
    mov qword [MODE_STR], str_compat
    mov qword [IS_PM32], 0
    call far dword [rel fp_compat]
    FINISH64

fp_compat: dd compat_main
           dw SEL_CODE32

bits 32
compat_main:
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    call t32_all
    retf

; ======================================================================
; 32-bit part (protected and compatibility mode, CS = SEL_CODE32, CPL 0)
; ======================================================================
t32_all:
    cld
    mov esi, c32_a
    mov edi, CODE_A
    mov ecx, c32_a_end - c32_a
    cs rep movsb
    mov esi, c32_b
    mov edi, CODE_B
    mov ecx, c32_b_end - c32_b
    cs rep movsb
    mov esi, c32_c
    mov edi, CODE_C
    mov ecx, c32_c_end - c32_c
    cs rep movsb
    mov byte [CODE_T], 0xC3
    mov word [FARP + 4], SEL_CODE32F

    ; ---- (a) SMC ----
    mov dword [FARP], CODE_A + ahead32 - c32_a
    call far [FARP]
    test ebp, ebp
    MCHECK "SMC: a hot loop patching an immediate a few instructions ahead in its own block sees each new value"
    mov dword [FARP], CODE_A + next32 - c32_a
    call far [FARP]
    test ebp, ebp
    MCHECK "SMC: a store into the very next instruction (opcode and immediate) takes effect at once"
    call other32_test
    test ebp, ebp
    MCHECK "SMC: a hot routine on another page, patched between calls, runs the new bytes"

    ; ---- (b) faults ----
    FSCEN32 {div dword [ZERO]}, 0, 0, -1, 0, F_STACK32, "#DE (DIV by zero) mid-block"
    FSCEN32 {mov edx, [NP_PAGE + 0x123]}, 14, 0, NP_PAGE + 0x123, 0, F_STACK32, "#PF (load from a not-present page) mid-block"
    FSCEN32 {push edx}, 14, 6, NP_PAGE + 0xFFC, 3, STK_PAGE + 8, "#PF (ring-3 PUSH onto a not-present stack page) mid-block"
    FSCEN32 {in al, dx}, 13, 0, -1, 3, STK_PAGE + 0x808, "#GP (ring-3 IN without I/O permission) mid-block"
    cmp dword [IS_PM32], 0
    je .no_limit
    mov ax, SEL_SMALL
    mov fs, ax
    mov dword [REC_VEC], -1     ; does a load beyond the limit fault at all?
    mov [RESUME_ESP], esp
    mov dword [RESUME_EIP], .probed
    mov eax, [fs:0x1000]
.probed:
    mov dword [RESUME_EIP], 0
    cmp dword [REC_VEC], 13
    jne .unchecked
    FSCEN32 {mov edx, [fs:0x1000]}, 13, 0, -1, 0, F_STACK32, "#GP (load beyond the FS limit) mid-block"
    jmp .limit_done
.unchecked:
    PUTS32 `note: a load beyond the FS limit did not fault (QEMU's TCG does not check data segment limits): that scenario is left out\n`
.limit_done:
    mov ax, SEL_DATA
    mov fs, ax
.no_limit:

    ; ---- (c) interrupts ----
    mov dword [TICKS], 0
    mov dword [K], 0
    mov dword [KLIMIT], KCAP
    mov dword [TTARGET], TICKS_WANT
    PIT_ON
    call mix32_init
    sti
    call mix32
    cli
    mov [SAVE + 0], eax
    mov [SAVE + 8], ebx
    mov [SAVE + 16], edx
    mov [SAVE + 24], esi
    mov [SAVE + 32], edi
    mov [SAVE + 40], ebp
    PIT_OFF
    mov eax, [K]
    mov [K1], eax
    mov eax, [TICKS]
    mov [T1], eax
    mov dword [K], 0
    mov eax, [K1]
    mov [KLIMIT], eax
    mov dword [TTARGET], -1
    call mix32_init
    call mix32
    mov ecx, eax
    cmp dword [T1], TICKS_WANT
    setb al
    test al, al
    MCHECK "PIT interrupts: 40 timer interrupts arrived in the hot loop"
    xor ecx, [SAVE + 0]
    xor ebx, [SAVE + 8]
    xor edx, [SAVE + 16]
    xor esi, [SAVE + 24]
    xor edi, [SAVE + 32]
    or ecx, ebx
    or ecx, edx
    or ecx, esi
    or ecx, edi
    MCHECK "PIT interrupts: the registers after the interrupted run equal an uninterrupted run's"
    cmp ebp, [SAVE + 40]
    MCHECK "PIT interrupts: the flags checksum (carries between instructions, PUSHF, SETcc) is the same"

    ; ---- (d) aliases ----
    xor ebp, ebp
    xor ecx, ecx
.al1:                           ; CALL/POP through alias i mod 3
    mov eax, ecx
    xor edx, edx
    mov ebx, 3
    div ebx
    mov ebx, [ALIASES + edx * 8]
    mov [FARP], ebx
    push ecx
    push ebx
    call far [FARP]
    pop ebx
    pop ecx
    sub eax, ebx
    cmp eax, alias32.next - c32_c
    je .al1_ok
    or ebp, 1
.al1_ok:
    inc ecx
    cmp ecx, 96
    jb .al1
    test ebp, ebp
    MCHECK "aliases: CALL/POP at three linear aliases of one physical page gives each alias's own EIP"
    xor ebp, ebp
    xor ecx, ecx
    mov dword [EXPV], 0
.al2:                           ; every 4th turn write through alias i+1; run alias i
    mov eax, ecx
    xor edx, edx
    mov ebx, 3
    div ebx
    mov ebx, [ALIASES + edx * 8]
    test cl, 3
    jnz .al2_run
    inc edx
    cmp edx, 3
    jb .al2_w
    xor edx, edx
.al2_w:
    mov edi, [ALIASES + edx * 8]
    imul esi, ecx, 0x01010101
    add esi, 7
    mov [edi + alias32.imm - c32_c], esi
    mov [EXPV], esi
.al2_run:
    mov [FARP], ebx
    push ecx
    push ebx
    call far [FARP]
    pop ebx
    pop ecx
    cmp edx, [EXPV]
    je .al2_imm
    or ebp, 2
.al2_imm:
    sub eax, ebx
    cmp eax, alias32.next - c32_c
    je .al2_ok
    or ebp, 1
.al2_ok:
    inc ecx
    cmp ecx, 128
    jb .al2
    test ebp, ebp
    MCHECK "aliases: bytes written through one alias run when the page is entered through another"
    ret

; other32_test: the routine at CODE_B, called through FARP, returns its
; patched immediate in EBX; EBP = differences.
other32_test:
    xor ebp, ebp
    xor ecx, ecx
    xor edi, edi                ; the immediate last written
.l:
    cmp ecx, WARM
    jb .call
    test cl, 3
    jnz .call
    lea edi, [ecx + 0x04321000]
    mov [CODE_B + other32.imm - c32_b], edi
.call:
    mov dword [FARP], CODE_B + other32 - c32_b
    push ecx
    push edi
    call far [FARP]
    pop edi
    pop ecx
    xor ebx, edi
    or ebp, ebx
    inc ecx
    cmp ecx, TOTAL
    jb .l
    ret

mix32_init:
    mov eax, 0x12345678
    mov ebx, 0x9ABCDEF0
    mov edx, 0x0BADF00D
    mov esi, 0xDEADBEEF
    mov edi, 0x31415926
    xor ebp, ebp
    ret

; One turn is a block whose flags feed later instructions; loops until
; [K] reaches [KLIMIT] or [TICKS] reaches [TTARGET].
mix32:
.top:
    add eax, ebx
    adc edx, esi
    lea ecx, [eax + edx * 2 + 0x55]
    mov [MIXBUF], ecx
    sbb edi, ecx
    push edi
    pushfd
    pop ecx
    and ecx, ARITH
    add ebp, ecx
    pop ecx
    xor ebx, ecx
    rol esi, 5
    add esi, [MIXBUF]
    inc ebx
    adc ebp, 0
    neg edi
    sbb eax, 0
    imul ecx, ebx, 0x2545F491
    add eax, ecx
    cmc
    adc edx, 0x9E3779B9
    setc cl
    movzx ecx, cl
    add ebp, ecx
    seto cl
    movzx ecx, cl
    lea ebp, [ebp + ecx * 2]
    inc dword [K]
    mov ecx, [K]
    cmp ecx, [KLIMIT]
    jae .done
    mov ecx, [TICKS]
    cmp ecx, [TTARGET]
    jb .top
.done:
    ret

; fcheck32: compare the record of this turn with what the block wrote.
fcheck32:
    xor ebp, ebp
    mov ebx, [F_ITER]
    mov eax, [REC_VEC]
    cmp eax, [EXP_VEC]
    jne .e0
    mov eax, [REC_ERR]
    cmp eax, [EXP_ERR]
    jne .e0
    cmp dword [REC_CNT], 1
    jne .e0
    mov eax, [EXP_CR2]
    cmp eax, -1
    je .ok0
    cmp eax, [REC_CR2]
    je .ok0
.e0:
    or ebp, 1
.ok0:
    mov eax, [REC_EIP]
    cmp eax, [EXP_EIP]
    je .ok1
    or ebp, 2
.ok1:
    lea eax, [ebx * 4 + 0x1000]
    cmp [R_AX], eax
    jne .e2
    lea ecx, [eax * 2 + 0x17171717]
    cmp [R_SI], ecx
    jne .e2
    cmp dword [R_BX], 0x12345678
    jne .e2
    cmp dword [R_CX], 0x17171717
    jne .e2
    mov edx, ebx
    and edx, 1
    dec edx
    and edx, 0x80000000
    cmp [R_DI], edx
    jne .e2
    cmp [F_PRE], ebx
    jne .e2
    cmp dword [R_DX], 0x0D0D0D0D
    jne .e2
    cmp dword [R_BP], 0x0E0E0E0E
    jne .e2
    cmp dword [F_POST], 0
    je .ok2
.e2:
    or ebp, 4
.ok2:
    lea ecx, [ebx * 8 + 0x1000 * 2 + 0x17171717]
    mov edx, [EXP_ESP]
    cmp [R_SP], edx
    jne .e3
    cmp [edx], ecx
    jne .e3
    cmp dword [edx + 4], 0x17171717
    je .ok3
.e3:
    or ebp, 8
.ok3:
    mov eax, [REC_FL]
    and eax, ARITH
    mov edx, ebx
    and edx, 1
    neg edx
    and edx, FLAGS_ODD ^ FLAGS_EVEN
    xor edx, FLAGS_EVEN
    cmp eax, edx
    je .ok4
    or ebp, 16
.ok4:
    test ebp, ebp
    jz .r
    or [F_ERRS], ebp
    cmp dword [F_FIRST], -1
    jne .r
    mov [F_FIRST], ebx
.r:
    ret

freport32:                      ; ESI = scenario name; [F_ERRS]
    mov edi, asp0
    test dword [F_ERRS], 1
    call chk32
    mov edi, asp1
    test dword [F_ERRS], 2
    call chk32
    mov edi, asp2
    test dword [F_ERRS], 4
    call chk32
    mov edi, asp3
    test dword [F_ERRS], 8
    call chk32
    mov edi, asp4
    test dword [F_ERRS], 16
    call chk32
    cmp dword [F_ERRS], 0
    je .r
    mov esi, str_errbits
    call puts32
    mov eax, [F_ERRS]
    call puthex32
    mov esi, str_first
    call puts32
    mov eax, [F_FIRST]
    call puthex32
    mov esi, str_close
    call puts32
.r:
    ret

chk32:                          ; ZF = pass; ESI name, EDI aspect or 0 (CS)
    pushfd
    pushad
    lahf
    inc word [CHECKS_ADDR]
    push esi
    mov esi, rom_ok_str
    test ah, 0x40
    jnz .p
    inc word [FAILS_ADDR]
    mov esi, rom_fail_str
.p:
    call puts32
    mov esi, [MODE_STR]
    call puts32
    mov esi, str_space
    call puts32
    pop esi
    call puts32
    test edi, edi
    jz .nl
    mov esi, str_colon
    call puts32
    mov esi, edi
    call puts32
.nl:
    mov al, 10
    out DEBUGCON_PORT, al
    popad
    popfd
    ret

puts32:                         ; CS:ESI
    push eax
    push esi
.l:
    mov al, [cs:esi]
    inc esi
    test al, al
    jz .d
    out DEBUGCON_PORT, al
    jmp .l
.d:
    pop esi
    pop eax
    ret

puthex32:                       ; EAX
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

; ---- protected-mode exception and interrupt handlers ----
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

; [esp] vector, +4 code, +8 EIP, +12 CS, +16 EFLAGS (+20 ESP, +24 SS from ring 3)
pm_exc32:
    pushad
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov ebp, esp
    cmp dword [RESUME_EIP], 0
    je .fatal
    mov eax, [ebp + 28]
    mov [R_AX], eax
    mov eax, [ebp + 24]
    mov [R_CX], eax
    mov eax, [ebp + 20]
    mov [R_DX], eax
    mov eax, [ebp + 16]
    mov [R_BX], eax
    mov eax, [ebp + 8]
    mov [R_BP], eax
    mov eax, [ebp + 4]
    mov [R_SI], eax
    mov eax, [ebp]
    mov [R_DI], eax
    lea eax, [ebp + 32 + 20]    ; same privilege: the frame's end
    test byte [ebp + 32 + 12], 3
    jz .same
    mov eax, [ebp + 32 + 20]    ; from ring 3: the pushed ESP
.same:
    mov [R_SP], eax
    mov eax, [ebp + 32]
    mov [REC_VEC], eax
    mov eax, [ebp + 36]
    mov [REC_ERR], eax
    mov eax, [ebp + 40]
    mov [REC_EIP], eax
    mov eax, [ebp + 44]
    mov [REC_CS], eax
    mov eax, [ebp + 48]
    mov [REC_FL], eax
    mov eax, cr2
    mov [REC_CR2], eax
    inc dword [REC_CNT]
    mov esp, [RESUME_ESP]
    jmp [RESUME_EIP]
.fatal:
    mov esi, str_unexp
    call puts32
    mov eax, [ebp + 32]
    call puthex32
    mov esi, str_at
    call puts32
    mov eax, [ebp + 44]
    call puthex32
    mov al, ':'
    out DEBUGCON_PORT, al
    mov eax, [ebp + 40]
    call puthex32
    mov al, 10
    out DEBUGCON_PORT, al
    mov al, 1
    out EXIT_PORT, al
    hlt

pm_irq32:                       ; IRQ0: count; flags and ECX changed inside
    push eax
    push ecx
    mov ecx, -1
    add ecx, 1
    inc dword [ss:TICKS]
    mov al, 0x20
    out 0x20, al
    pop ecx
    pop eax
    iretd
pm_iret32:
    iretd

; ======================================================================
; 64-bit part
; ======================================================================
bits 64
t64_all:
    cld
    lea rsi, [rel c64_a]
    mov edi, CODE_A
    mov ecx, c64_a_end - c64_a
    rep movsb
    lea rsi, [rel c64_b]
    mov edi, CODE_B
    mov ecx, c64_b_end - c64_b
    rep movsb
    lea rsi, [rel c64_c]
    mov edi, CODE_C
    mov ecx, c64_c_end - c64_c
    rep movsb
    mov byte [CODE_T], 0xC3

    ; ---- (a) SMC ----
    mov eax, CODE_A + ahead64 - c64_a
    call rax
    test rbp, rbp
    LCHECK "SMC: a hot loop patching an imm64 a few instructions ahead in its own block sees each new value"
    mov eax, CODE_A + next64 - c64_a
    call rax
    test rbp, rbp
    LCHECK "SMC: a store into the very next instruction (opcode and immediate) takes effect at once"
    xor ebp, ebp
    xor r12d, r12d
    xor r13d, r13d              ; the immediate last written
.o:
    cmp r12d, WARM
    jb .ocall
    test r12b, 3
    jnz .ocall
    mov r13, 0x0432100000000000
    lea r13, [r13 + r12 * 8 + 1]
    mov [CODE_B + other64.imm - c64_b], r13
.ocall:
    mov ecx, r12d
    mov eax, CODE_B + other64 - c64_b
    call rax
    xor rbx, r13
    or rbp, rbx
    inc r12d
    cmp r12d, TOTAL
    jb .o
    test rbp, rbp
    LCHECK "SMC: a hot routine on another page, patched between calls, runs the new bytes"

    ; ---- (b) faults ----
    FSCEN64 {div qword [ZERO]}, 0, 0, -1, F_STACK64, "#DE (DIV by zero) mid-block"
    FSCEN64 {mov rdx, [NP_PAGE + 0x123]}, 14, 0, NP_PAGE + 0x123, F_STACK64, "#PF (load from a not-present page) mid-block"
    FSCEN64 {push rdx}, 14, 2, NP_PAGE + 0xFF8, STK_PAGE + 16, "#PF (PUSH onto a not-present stack page, handler on IST2) mid-block"
    FSCEN64 {mov rdx, [r10]}, 13, 0, -1, F_STACK64, "#GP (non-canonical load) mid-block"

    ; ---- (c) interrupts ----
    mov qword [TICKS], 0
    mov qword [K], 0
    mov qword [KLIMIT], KCAP
    mov qword [TTARGET], TICKS_WANT
    PIT_ON
    call mix64_init
    sti
    call mix64
    cli
    call mix64_save
    PIT_OFF
    mov rax, [K]
    mov [K1], rax
    mov rax, [TICKS]
    mov [T1], rax
    mov qword [K], 0
    mov rax, [K1]
    mov [KLIMIT], rax
    mov qword [TTARGET], -1
    call mix64_init
    call mix64
    mov rcx, rax
    cmp qword [T1], TICKS_WANT
    setb al
    test al, al
    LCHECK "PIT interrupts: 40 timer interrupts arrived in the hot loop"
    xor rcx, [SAVE + 0]
    xor rbx, [SAVE + 8]
    xor rdx, [SAVE + 16]
    xor rsi, [SAVE + 24]
    xor rdi, [SAVE + 32]
    xor r8, [SAVE + 48]
    xor r9, [SAVE + 56]
    xor r10, [SAVE + 64]
    xor r11, [SAVE + 72]
    or rcx, rbx
    or rcx, rdx
    or rcx, rsi
    or rcx, rdi
    or rcx, r8
    or rcx, r9
    or rcx, r10
    or rcx, r11
    LCHECK "PIT interrupts: the registers after the interrupted run equal an uninterrupted run's"
    cmp rbp, [SAVE + 40]
    LCHECK "PIT interrupts: the flags checksum (carries between instructions, PUSHF, SETcc) is the same"

    ; ---- (d) aliases ----
    xor ebp, ebp
    xor r12d, r12d
.al1:
    mov eax, r12d
    xor edx, edx
    mov ecx, 3
    div ecx
    mov r13, [ALIASES + rdx * 8]
    call r13
    lea r14, [r13 + alias64.next - c64_c]
    cmp rax, r14
    je .al1_a
    or ebp, 1
.al1_a:
    cmp rcx, r14
    je .al1_b
    or ebp, 2
.al1_b:
    inc r12d
    cmp r12d, 96
    jb .al1
    test ebp, 1
    LCHECK "aliases: CALL/POP at three linear aliases of one physical page gives each alias's own RIP"
    test ebp, 2
    LCHECK "aliases: LEA [RIP] at three linear aliases of one physical page gives each alias's own address"
    xor ebp, ebp
    xor r12d, r12d
    xor r15d, r15d              ; the immediate last written
.al2:
    mov eax, r12d
    xor edx, edx
    mov ecx, 3
    div ecx
    mov r13, [ALIASES + rdx * 8]
    test r12b, 3
    jnz .al2_run
    inc edx
    cmp edx, 3
    jb .al2_w
    xor edx, edx
.al2_w:
    mov rdi, [ALIASES + rdx * 8]
    imul r15d, r12d, 0x01010101
    add r15d, 7
    mov [rdi + alias64.imm - c64_c], r15d
.al2_run:
    call r13
    cmp edx, r15d
    je .al2_imm
    or ebp, 2
.al2_imm:
    lea r14, [r13 + alias64.next - c64_c]
    cmp rax, r14
    je .al2_ok
    or ebp, 1
.al2_ok:
    inc r12d
    cmp r12d, 128
    jb .al2
    test ebp, ebp
    LCHECK "aliases: bytes written through one alias run when the page is entered through another"
    ret

mix64_init:
    mov rax, 0x123456789ABCDEF0
    mov rbx, 0x0FEDCBA987654321
    mov rdx, 0x0BADF00D0BADF00D
    mov rsi, 0xDEADBEEFCAFEBABE
    mov rdi, 0x3141592653589793
    mov r8, 0x2718281828459045
    mov r9, 0x1414213562373095
    mov r10, 0x1732050807568877
    mov r11, 0x5555AAAA5555AAAA
    xor ebp, ebp
    ret

mix64_save:
    mov [SAVE + 0], rax
    mov [SAVE + 8], rbx
    mov [SAVE + 16], rdx
    mov [SAVE + 24], rsi
    mov [SAVE + 32], rdi
    mov [SAVE + 40], rbp
    mov [SAVE + 48], r8
    mov [SAVE + 56], r9
    mov [SAVE + 64], r10
    mov [SAVE + 72], r11
    ret

mix64:
.top:
    add rax, rbx
    adc rdx, rsi
    lea rcx, [rax + rdx * 2 + 0x55]
    mov [MIXBUF], rcx
    sbb rdi, rcx
    push rdi
    pushfq
    pop rcx
    and ecx, ARITH
    add rbp, rcx
    pop rcx
    xor rbx, rcx
    rol rsi, 5
    add rsi, [MIXBUF]
    inc rbx
    adc rbp, 0
    neg rdi
    sbb rax, 0
    imul rcx, rbx, 0x2545F491
    add rax, rcx
    adc r8, rax
    xor r9, r8
    add r9, r10
    sbb r10, r11
    bswap r11
    add r11, r9
    cmc
    mov rcx, 0x9E3779B97F4A7C15
    adc rdx, rcx
    setc cl
    movzx ecx, cl
    add rbp, rcx
    seto cl
    movzx ecx, cl
    lea rbp, [rbp + rcx * 2]
    inc qword [K]
    mov rcx, [K]
    cmp rcx, [KLIMIT]
    jae .done
    mov rcx, [TICKS]
    cmp rcx, [TTARGET]
    jb .top
.done:
    ret

fcheck64:
    xor ebp, ebp
    mov rbx, [F_ITER]
    mov rax, [REC_VEC]
    cmp rax, [EXP_VEC]
    jne .e0
    mov rax, [REC_ERR]
    cmp rax, [EXP_ERR]
    jne .e0
    cmp qword [REC_CNT], 1
    jne .e0
    mov rax, [EXP_CR2]
    cmp rax, -1
    je .ok0
    cmp rax, [REC_CR2]
    je .ok0
.e0:
    or ebp, 1
.ok0:
    mov rax, [REC_EIP]
    cmp rax, [EXP_EIP]
    je .ok1
    or ebp, 2
.ok1:
    lea rax, [rbx * 4 + 0x1000]
    cmp [R_AX], rax
    jne .e2
    mov rcx, 0x1717171717171717
    cmp [R_CX], rcx
    jne .e2
    lea rcx, [rcx + rax * 2]    ; RSI
    cmp [R_SI], rcx
    jne .e2
    cmp qword [R_BX], 0x12345678
    jne .e2
    mov rdx, rbx
    and edx, 1
    dec rdx
    mov rax, 0x8000000000000000
    and rdx, rax
    cmp [R_DI], rdx
    jne .e2
    mov rax, 0x1111111111111111
    cmp [R_R8], rax
    jne .e2
    mov rax, 0x123456789ABCDEF0
    cmp [R_R14], rax
    jne .e2
    cmp [F_PRE], rbx
    jne .e2
    mov rax, 0x0D0D0D0D0D0D0D0D
    cmp [R_DX], rax
    jne .e2
    mov rax, 0x0E0E0E0E0E0E0E0E
    cmp [R_BP], rax
    jne .e2
    mov rax, 0x0909090909090909
    cmp [R_R9], rax
    jne .e2
    mov rax, 0x0F0F0F0F0F0F0F0F
    cmp [R_R15], rax
    jne .e2
    cmp qword [F_POST], 0
    je .ok2
.e2:
    or ebp, 4
.ok2:
    lea rax, [rbx * 4 + 0x1000]
    mov rcx, 0x1717171717171717
    lea rcx, [rcx + rax * 2]
    mov rdx, [EXP_ESP]
    cmp [R_SP], rdx
    jne .e3
    cmp [rdx], rcx
    jne .e3
    mov rax, 0x1717171717171717
    cmp [rdx + 8], rax
    je .ok3
.e3:
    or ebp, 8
.ok3:
    mov rax, [REC_FL]
    and eax, ARITH
    mov edx, ebx
    and edx, 1
    neg edx
    and edx, FLAGS_ODD ^ FLAGS_EVEN
    xor edx, FLAGS_EVEN
    cmp eax, edx
    je .ok4
    or ebp, 16
.ok4:
    test ebp, ebp
    jz .r
    or [F_ERRS], rbp
    cmp qword [F_FIRST], -1
    jne .r
    mov [F_FIRST], rbx
.r:
    ret

freport64:                      ; RSI = scenario name; [F_ERRS]
    lea rdi, [rel asp0]
    test qword [F_ERRS], 1
    call chk64
    lea rdi, [rel asp1]
    test qword [F_ERRS], 2
    call chk64
    lea rdi, [rel asp2]
    test qword [F_ERRS], 4
    call chk64
    lea rdi, [rel asp3]
    test qword [F_ERRS], 8
    call chk64
    lea rdi, [rel asp4]
    test qword [F_ERRS], 16
    call chk64
    cmp qword [F_ERRS], 0
    je .r
    lea rsi, [rel str_errbits]
    call lm_puts64
    mov rax, [F_ERRS]
    call lm_puthex64
    lea rsi, [rel str_first]
    call lm_puts64
    mov rax, [F_FIRST]
    call lm_puthex64
    lea rsi, [rel str_close]
    call lm_puts64
.r:
    ret

chk64:                          ; ZF = pass; RSI name, RDI aspect or 0
    pushfq
    push rax
    push rsi
    lahf
    inc word [CHECKS_ADDR]
    lea rsi, [rel rom_ok_str]
    test ah, 0x40
    jnz .p
    inc word [FAILS_ADDR]
    lea rsi, [rel rom_fail_str]
.p:
    call lm_puts64
    lea rsi, [rel str_lm64]
    call lm_puts64
    pop rsi
    call lm_puts64
    test rdi, rdi
    jz .nl
    push rsi
    lea rsi, [rel str_colon]
    call lm_puts64
    mov rsi, rdi
    call lm_puts64
    pop rsi
.nl:
    mov al, 10
    out DEBUGCON_PORT, al
    pop rax
    popfq
    ret

; 64-bit recording stubs (also used from compatibility mode)
rec64_0:
    push 0
    push 0
    jmp rec64
rec64_6:
    push 0
    push 6
    jmp rec64
rec64_13:
    push 13
    jmp rec64
rec64_14:
    push 14
    jmp rec64
; [rsp] vector, +8 code, +16 RIP, +24 CS, +32 RFLAGS, +40 RSP, +48 SS
rec64:
    cmp qword [RESUME_EIP], 0
    je lm_exc64                 ; unexpected: lm.inc reports it
    mov [R_AX], rax
    mov [R_CX], rcx
    mov [R_DX], rdx
    mov [R_BX], rbx
    mov [R_BP], rbp
    mov [R_SI], rsi
    mov [R_DI], rdi
    mov [REC + 8 * 8], r8
    mov [REC + 9 * 8], r9
    mov [REC + 10 * 8], r10
    mov [REC + 11 * 8], r11
    mov [REC + 12 * 8], r12
    mov [REC + 13 * 8], r13
    mov [REC + 14 * 8], r14
    mov [REC + 15 * 8], r15
    mov rax, [rsp + 40]
    mov [R_SP], rax
    mov rax, [rsp]
    mov [REC_VEC], rax
    mov rax, [rsp + 8]
    mov [REC_ERR], rax
    mov rax, [rsp + 16]
    mov [REC_EIP], rax
    mov rax, [rsp + 24]
    mov [REC_CS], rax
    mov rax, [rsp + 32]
    mov [REC_FL], rax
    mov rax, cr2
    mov [REC_CR2], rax
    inc qword [REC_CNT]
    mov rax, [RESUME_ESP]
    push SEL_DATA
    push rax
    push 2
    push qword [RESUME_CS]
    push qword [RESUME_EIP]
    iretq

irq64:                          ; IRQ0: count; flags and RCX changed inside
    push rax
    push rcx
    mov rcx, -1
    add rcx, 1
    inc qword [TICKS]
    mov al, 0x20
    out 0x20, al
    pop rcx
    pop rax
    iretq
iret64:
    iretq

; ======================================================================
; 16-bit helpers
; ======================================================================
bits 16
rm_other_test:                  ; the routine at CODE_B returns BX = its immediate
    xor bp, bp
    xor cx, cx
    xor di, di                  ; the immediate last written
.l:
    cmp cx, WARM
    jb .call
    test cl, 3
    jnz .call
    mov di, cx
    add di, 0x4321
    push es
    mov ax, CODE_B >> 4
    mov es, ax
    mov [es:rm_other.imm - rm_chunk_b], di
    pop es
.call:
    push cx
    push di
    call (CODE_B >> 4):0
    pop di
    pop cx
    xor bx, di
    or bp, bx
    inc cx
    cmp cx, TOTAL
    jb .l
    ret

mix16_init:
    mov ax, 0x1234
    mov bx, 0x9ABC
    mov dx, 0x0BAD
    mov si, 0xBEEF
    mov di, 0x3141
    xor bp, bp
    ret

mix16:
.top:
    add ax, bx
    adc dx, si
    lea cx, [bx + si + 0x55]
    mov [MIXBUF], cx
    sbb di, cx
    push di
    pushf
    pop cx
    and cx, ARITH
    add bp, cx
    pop cx
    xor bx, cx
    rol si, 5
    add si, [MIXBUF]
    inc bx
    adc bp, 0
    neg di
    sbb ax, 0
    imul cx, bx, 0x2545
    add ax, cx
    cmc
    adc dx, 0x9E37
    setc cl
    movzx cx, cl
    add bp, cx
    seto cl
    movzx cx, cl
    add bp, cx
    add bp, cx
    inc dword [K]
    mov ecx, [K]
    cmp ecx, [KLIMIT]
    jae .done
    mov ecx, [TICKS]
    cmp ecx, [TTARGET]
    jb .top
.done:
    ret

fcheck16:
    xor bp, bp
    mov bx, [F_ITER]
    mov ax, [REC_VEC]
    cmp ax, [EXP_VEC]
    jne .e0
    cmp word [REC_CNT], 1
    je .ok0
.e0:
    or bp, 1
.ok0:
    mov ax, [REC_EIP]
    cmp ax, [EXP_EIP]
    jne .e1
    cmp word [REC_CS], 0xF000
    je .ok1
.e1:
    or bp, 2
.ok1:
    mov ax, bx
    shl ax, 2
    add ax, 0x1000
    cmp [R_AX], ax
    jne .e2
    cmp word [R_BX], 0x1234
    jne .e2
    cmp word [R_CX], 0x1717
    jne .e2
    cmp word [R_SI], 0x1020
    jne .e2
    mov dx, bx
    and dx, 1
    dec dx
    and dx, 0x8000
    cmp [R_DI], dx
    jne .e2
    cmp [F_PRE], bx
    jne .e2
    cmp word [R_DX], 0x0D0D
    jne .e2
    cmp word [R_BP], 0x0E0E
    jne .e2
    cmp word [F_POST], 0
    je .ok2
.e2:
    or bp, 4
.ok2:
    mov si, [EXP_ESP]
    cmp [R_SP], si
    jne .e3
    cmp word [si], 0x1020
    jne .e3
    cmp word [si + 2], 0x1717
    je .ok3
.e3:
    or bp, 8
.ok3:
    mov ax, [REC_FL]
    and ax, ARITH
    mov dx, bx
    and dx, 1
    neg dx
    and dx, FLAGS_ODD ^ FLAGS_EVEN
    xor dx, FLAGS_EVEN
    cmp ax, dx
    je .ok4
    or bp, 16
.ok4:
    test bp, bp
    jz .r
    or [F_ERRS], bp
    cmp word [F_FIRST], 0xFFFF
    jne .r
    mov [F_FIRST], bx
.r:
    ret

freport16:                      ; SI = scenario name; [F_ERRS]
    mov di, asp0
    test word [F_ERRS], 1
    call chk16
    mov di, asp1
    test word [F_ERRS], 2
    call chk16
    mov di, asp2
    test word [F_ERRS], 4
    call chk16
    mov di, asp3
    test word [F_ERRS], 8
    call chk16
    mov di, asp4
    test word [F_ERRS], 16
    call chk16
    cmp word [F_ERRS], 0
    je .r
    mov si, str_errbits
    call rom_puts16
    mov ax, [F_ERRS]
    call rom_puthex16
    mov si, str_first
    call rom_puts16
    mov ax, [F_FIRST]
    call rom_puthex16
    mov si, str_close
    call rom_puts16
.r:
    ret

chk16:                          ; ZF = pass; SI name, DI aspect or 0 (CS)
    pushf
    pusha
    lahf
    inc word [ss:CHECKS_ADDR]
    push si
    mov si, rom_ok_str
    test ah, 0x40
    jnz .p
    inc word [ss:FAILS_ADDR]
    mov si, rom_fail_str
.p:
    call rom_puts16
    mov si, str_real
    call rom_puts16
    pop si
    call rom_puts16
    test di, di
    jz .nl
    mov si, str_colon
    call rom_puts16
    mov si, di
    call rom_puts16
.nl:
    mov al, 10
    out DEBUGCON_PORT, al
    popa
    popf
    ret

; real-mode handlers (DS = SS = 0 throughout the real-mode parts)
rm_exc0:
    push word 0
    jmp rm_exc
rm_exc6:
    push word 6
    jmp rm_exc
rm_exc:                         ; [sp] vector, +2 IP, +4 CS, +6 FLAGS
    pusha                       ; DI SI BP SP BX DX CX AX
    mov bp, sp
    cmp word [ss:RESUME_EIP], 0
    je rm_unexp
    mov ax, [bp + 14]
    mov [ss:R_AX], ax
    mov ax, [bp + 12]
    mov [ss:R_CX], ax
    mov ax, [bp + 10]
    mov [ss:R_DX], ax
    mov ax, [bp + 8]
    mov [ss:R_BX], ax
    mov ax, [bp + 6]            ; SP before PUSHA: the vector's slot
    add ax, 8
    mov [ss:R_SP], ax
    mov ax, [bp + 4]
    mov [ss:R_BP], ax
    mov ax, [bp + 2]
    mov [ss:R_SI], ax
    mov ax, [bp]
    mov [ss:R_DI], ax
    mov ax, [bp + 16]
    mov [ss:REC_VEC], ax
    mov ax, [bp + 18]
    mov [ss:REC_EIP], ax
    mov ax, [bp + 20]
    mov [ss:REC_CS], ax
    mov ax, [bp + 22]
    mov [ss:REC_FL], ax
    inc word [ss:REC_CNT]
    mov sp, [ss:RESUME_ESP]
    jmp word [ss:RESUME_EIP]
rm_unexp:
    PUTS `FAIL real unexpected interrupt or exception\n`
    FINISH
rm_irq:                         ; IRQ0: count; flags and BX changed inside
    push ax
    push bx
    mov bx, 0xFFFF
    add bx, 1
    inc dword [ss:TICKS]
    mov al, 0x20
    out 0x20, al
    pop bx
    pop ax
    iret
rm_iret:
    iret

; ======================================================================
; code copied to RAM (labels relative to each chunk's start)
; ======================================================================
%define RM_SCR (SCR_PAGE - CODE_A)

; real mode, CS = CODE_A >> 4; DS = 0; returns BP = differences
rm_chunk_a:
; RM_NOPATCH: DX = -1 on turns that write the scratch page instead (the
; first WARM, then three of every four), 0 on turns that patch.
%macro RM_NOPATCH 0
    cmp cx, WARM
    sbb dx, dx
    mov ax, cx
    and ax, 3
    neg ax
    sbb ax, ax
    or dx, ax
%endmacro
rm_ahead:
    xor bp, bp
    xor cx, cx
    xor di, di
    mov word [EXPV], 0
.top:
    RM_NOPATCH
    mov bx, dx
    and bx, RM_SCR ^ (.imm - rm_chunk_a)
    xor bx, .imm - rm_chunk_a   ; store target: scratch or .imm
    mov si, cx
    shl si, 3
    add si, 0x1234
    mov [cs:bx], si
    not dx
    and si, dx
    not dx
    and dx, [EXPV]
    or dx, si                   ; the immediate expected below
    mov [EXPV], dx
    add di, 3
    lea di, [di + 1]
    db 0xB8                     ; mov ax, imm16
.imm:
    dw 0
    xor ax, dx
    or bp, ax
    inc cx
    mov ax, CODE_T - CODE_A
    call ax                     ; a RET on another page: see CODE_T
    cmp cx, TOTAL
    jb .top
    retf

rm_next:
    xor bp, bp
    xor cx, cx
    mov word [EXPV], 0
.top:
    RM_NOPATCH
    mov bx, dx
    and bx, RM_SCR ^ (.op - rm_chunk_a)
    xor bx, .op - rm_chunk_a
    not dx
    mov [PMASK], dx             ; -1 on patching turns
    mov si, cx
    shr si, 2
    and si, 1
    neg si                      ; -1 on every other patch: SUB
    mov dx, si
    and dx, 0x05 ^ 0x2D
    xor dx, 0x05                ; the opcode: ADD AX or SUB AX, imm16
    mov dh, cl                  ; the immediate's low byte
    mov ax, 0x1000
    mov [cs:bx], dx
.op:
    db 0x05                     ; add ax, imm16 (patched)
    dw 0
    mov di, cx
    and di, 0xFF
    xor di, si
    sub di, si                  ; +/- the new immediate
    and di, [PMASK]
    mov si, [PMASK]
    not si
    and si, [EXPV]
    or di, si                   ; or the last one when not patching
    mov [EXPV], di
    add di, 0x1000
    xor ax, di
    or bp, ax
    inc cx
    mov ax, CODE_T - CODE_A
    call ax                     ; a RET on another page: see CODE_T
    cmp cx, TOTAL
    jb .top
    retf
rm_chunk_a_end:

rm_chunk_b:                     ; CS = CODE_B >> 4
rm_other:
    mov ax, cx
    add ax, 1
    mov dx, ax
    db 0xBB                     ; mov bx, imm16
.imm:
    dw 0
    add dx, bx
    retf
rm_chunk_b_end:

bits 32
; 32-bit, flat CS (SEL_CODE32F), far-called; return EBP = differences
c32_a:
%macro NOPATCH32 0              ; EDX = -1: write the scratch page this turn
    cmp ecx, WARM
    sbb edx, edx
    test cl, 3
    setnz al
    movzx eax, al
    neg eax
    or edx, eax
%endmacro
ahead32:
    xor ebp, ebp
    xor ecx, ecx
    xor edi, edi
    mov dword [EXPV], 0
.top:
    NOPATCH32
    mov ebx, edx
    and ebx, SCR_PAGE ^ (CODE_A + .imm - c32_a)
    xor ebx, CODE_A + .imm - c32_a
    lea esi, [ecx * 8 + 0x01234567]
    mov [ebx], esi
    not edx
    and esi, edx
    not edx
    and edx, [EXPV]
    or edx, esi
    mov [EXPV], edx
    add edi, 3
    lea edi, [edi + ecx]
    db 0xB8                     ; mov eax, imm32
.imm:
    dd 0
    xor eax, edx
    or ebp, eax
    inc ecx
    mov eax, CODE_T
    call eax                    ; a RET on another page: see CODE_T
    cmp ecx, TOTAL
    jb .top
    retf

next32:
    xor ebp, ebp
    xor ecx, ecx
    mov dword [EXPV], 0
.top:
    NOPATCH32
    mov ebx, edx
    and ebx, SCR_PAGE ^ (CODE_A + .op - c32_a)
    xor ebx, CODE_A + .op - c32_a
    not edx
    mov [PMASK], edx
    mov esi, ecx
    shr esi, 2
    and esi, 1
    neg esi
    mov edx, esi
    and edx, 0x05 ^ 0x2D
    xor edx, 0x05
    mov edi, ecx
    shl edi, 8
    or edx, edi                 ; opcode, then the immediate's low 3 bytes
    mov eax, 0x10000
    mov [ebx], edx
.op:
    db 0x05                     ; add eax, imm32 (patched)
    dd 0
    mov edi, ecx
    xor edi, esi
    sub edi, esi
    and edi, [PMASK]
    mov esi, [PMASK]
    not esi
    and esi, [EXPV]
    or edi, esi
    mov [EXPV], edi
    add edi, 0x10000
    xor eax, edi
    or ebp, eax
    inc ecx
    mov eax, CODE_T
    call eax                    ; a RET on another page: see CODE_T
    cmp ecx, TOTAL
    jb .top
    retf
c32_a_end:

c32_b:
other32:
    mov eax, ecx
    add eax, 1
    lea edx, [eax * 2]
    db 0xBB                     ; mov ebx, imm32
.imm:
    dd 0
    add edx, ebx
    retf
c32_b_end:

c32_c:
alias32:
    call .next
.next:
    pop eax
    db 0xBA                     ; mov edx, imm32
.imm:
    dd 0
    lea ecx, [eax + 0x10]
    retf
c32_c_end:

bits 64
c64_a:
%macro NOPATCH64 0              ; RDX = -1: write the scratch page this turn
    cmp ecx, WARM
    sbb rdx, rdx
    test cl, 3
    setnz al
    movzx eax, al
    neg rax
    or rdx, rax
%endmacro
ahead64:
    xor ebp, ebp
    xor ecx, ecx
    xor edi, edi
    xor r10d, r10d              ; the immediate in the code
    lea r8, [rel .imm]
    mov r9d, SCR_PAGE
.top:
    NOPATCH64
    test rdx, rdx
    mov rbx, r8
    cmovnz rbx, r9              ; store target: scratch or .imm
    mov rsi, rcx
    shl rsi, 40
    lea rsi, [rsi + rcx * 8 + 0x1234567]
    mov [rbx], rsi
    test rdx, rdx
    cmovz r10, rsi
    add rdi, 3
    lea rdi, [rdi + rcx]
    db 0x48, 0xB8               ; mov rax, imm64
.imm:
    dq 0
    xor rax, r10
    or rbp, rax
    inc ecx
    mov eax, CODE_T
    call rax                    ; a RET on another page: see CODE_T
    cmp ecx, TOTAL
    jb .top
    ret

next64:
    xor ebp, ebp
    xor ecx, ecx
    xor r11d, r11d              ; +/- the immediate in the code
    lea r8, [rel .op + 1]       ; the opcode byte after REX.W
    mov r9d, SCR_PAGE
.top:
    NOPATCH64
    mov r10, rdx
    not r10                     ; -1 on patching turns
    test rdx, rdx
    mov rbx, r8
    cmovnz rbx, r9
    mov esi, ecx
    shr esi, 2
    and esi, 1
    neg rsi
    mov edx, esi
    and edx, 0x05 ^ 0x2D
    xor edx, 0x05
    mov edi, ecx
    shl edi, 8
    or edx, edi
    mov eax, 0x10000
    mov [rbx], edx
.op:
    db 0x48, 0x05               ; add rax, imm32 (patched)
    dd 0
    mov rdi, rcx
    xor rdi, rsi
    sub rdi, rsi
    test r10, r10
    cmovnz r11, rdi
    lea rdi, [r11 + 0x10000]
    xor rax, rdi
    or rbp, rax
    inc ecx
    mov eax, CODE_T
    call rax                    ; a RET on another page: see CODE_T
    cmp ecx, TOTAL
    jb .top
    ret
c64_a_end:

c64_b:
other64:
    mov eax, ecx
    add eax, 1
    lea edx, [rax * 2]
    db 0x48, 0xBB               ; mov rbx, imm64
.imm:
    dq 0
    add rdx, rbx
    ret
c64_b_end:

c64_c:
alias64:
    call .next
.next:
    pop rax
    lea rcx, [rel .next]
    db 0xBA                     ; mov edx, imm32
.imm:
    dd 0
    ret
c64_c_end:

; ======================================================================
; data
; ======================================================================
xgdt:
    DESC 0xF0000, 0xFFFF, 0x9B, 0x0     ; SEL_CODE16
    DESC 0, 0xFFFF, 0x93, 0x0           ; SEL_DATA16
    DESC 0, 0xFFF, 0x93, 0x4            ; SEL_SMALL: limit 0FFFh
xgdt_end:
idt32r: dw 256 * 8 - 1
        dd IDT32
rm_idtr: dw 0x3FF
        dd 0

str_real:    db "real ", 0
str_pm32:    db "pm32", 0
str_compat:  db "compat", 0
str_lm64:    db "lm64 ", 0
str_space:   db " ", 0
str_colon:   db ": ", 0
str_errbits: db "  (error bits ", 0
str_first:   db ", first in turn ", 0
str_close:   db `)\n`, 0
str_unexp:   db "FAIL unexpected exception ", 0
str_at:      db " at ", 0
asp0: db "vector, error code and CR2; one exception per turn", 0
asp1: db "the pushed EIP/RIP is the faulting instruction's", 0
asp2: db "registers and memory written before the fault hold the new values, those after it the old", 0
asp3: db "ESP/RSP at the fault holds the earlier pushes and nothing more", 0
asp4: db "the pushed EFLAGS hold the flags of the last ADD before the fault", 0

    LM_LIB
ROM_END
