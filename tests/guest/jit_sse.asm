; jit_sse.asm — SSE/SSE2 in straight-line blocks and hot loops, written for
; a recompiler that keeps guest XMM registers in host registers and the
; guest MXCSR in the host's across a block, writing them back at handler
; calls, slow paths, exits and back-edges. Every check is an exact bit
; pattern from the SDM's rules (vol. 1 4.8 and 11.5: IEEE rounding, the
; MXCSR flags, DAZ/FTZ, masked responses; vol. 2 the instruction pages;
; vol. 3 6.15 and 13.1: #XM, #NM, #UD, #GP, #PF). Each sequence under
; test has no branch in it and starts where it cannot run into a 4 KiB
; page boundary (BLKSTART), so that it is one translated block.
;
; 32-bit protected mode, 4 KiB paging (page HOLE not present):
;  a. MXCSR flags: PE then ZE in one block, STMXCSR at its end; LDMXCSR
;     clearing the flags mid-block, then OE, then IE from CVTTSD2SI between
;     the other ops; the flags of one block kept by the next; FXSAVE twice
;     in a block (its MXCSR and XMM images); FXRSTOR mid-block (its XMM
;     values and MXCSR used at once: the rounding mode, the flags and the
;     register written before it are the image's).
;  b. rounding: four LDMXCSRs (RD RU RZ RN) each followed by an inexact
;     ADDPD in one block, DIVSS, the mode left in MXCSR used by the next
;     blocks (ADDPD, CVTSD2SI); FTZ (tiny result flushed, UE PE) and not
;     (exact denormal, no flag); DAZ, when FXSAVE's MXCSR_MASK has it; x87
;     instructions in a block with MXCSR toward zero + FTZ + DAZ still
;     round by the x87 control word and keep denormals.
;  c. an unmasked exception mid-block, ZM cleared by LDMXCSR in the block,
;     by an earlier block or by FXRSTOR; DIVPD/DIVSD by zero and CVTTSD2SI
;     with IM clear: #XM (19) at the exact EIP, destination unchanged, the
;     instructions before it retired (XMM, GPR, memory), MXCSR.ZE set,
;     nothing after it run; with CR4.OSXMMEXCPT=0 the same is #UD.
;  d. CR0.TS=1 (by MOV CR0; by LMSW between two SSE instructions): #NM at
;     the first SSE instruction (FP, integer, load, STMXCSR), once; the
;     handler's CLTS and return re-run it and the block goes on; CR0.EM=1
;     and CR4.OSFXSR=0: #UD, nothing written.
;  e. misaligned m128 of ADDPD, MOVAPS, MOVAPD, MOVDQA (loads and stores):
;     #GP(0), destination and memory unchanged (also when the operand runs
;     into HOLE: alignment first); MOVUPS/MOVDQU/MOVUPD misaligned, across
;     a page boundary, ending at a page end: fine; 16- and 8-byte accesses
;     running into HOLE: #PF, CR2 = HOLE, the error code, nothing stored,
;     the MXCSR flags of the ops before them kept; a block of register ops,
;     loads, a page-crossing store and loads of the stored bytes, run with
;     a flushed TLB and again with a warm one.
;  f. 1000-turn loops accumulating in all 8 XMM registers (ADDPD MULPD
;     ADDSD PADDQ PSUBD SUBPD PSHUFD PADDD, m128/m64 operands, round up)
;     with MOVD to a GPR, FXSAVE and IN in the body: once as one block that
;     jumps back to its own start (PUSHFD too), once cut into blocks by
;     CPUID and POPFD; every register, the last FXSAVE image and MXCSR.
;  g. semantics: scalar ops and MOVSD/MOVSS reg,reg keep the upper lanes,
;     MOVSD/MOVSS/MOVQ/MOVD loads zero them, MOVQ xmm,xmm zeroes the upper
;     half; SQRTPD/SQRTSD; MINPD/MAXPD with a NaN (the source returned, SNaN
;     unquieted) and with +0/-0 (the source), IE; CMPPD's eight predicates
;     and CMPSD (IE only for the signalling ones); SHUFPD, UNPCKHPD,
;     UNPCKLPD; PADDQ (no carry between lanes), PSUBD, PXOR (also of a
;     register with itself), PAND, ANDNPD; PEXTRW, MOVD.
; 64-bit mode (XMM8-15, RIP-relative operands):
;  h. flags and rounding in one block; the loops of f over all 16 XMM
;     registers (PUSHFQ/POPFQ); misaligned MOVAPS [rip], MOVDQA, ADDPD
;     [rsp + 1]: #GP(0); MOVDQU into HOLE: #PF, CR2; DIVPD with ZM clear:
;     #XM (RIP exact); #NM with CR0.TS and a handler that re-runs it.
; Check lines start with "pm32" or "lm64".
;
; qemu-differs: QEMU 7.2 never raises #XM or #UD for an unmasked SIMD floating-point exception (it applies the masked response, writes the destination and runs on), does not set MXCSR.DE for a denormal source, and writes the part of a split 16-byte store that lies in the present page before its #PF; those checks print "qemu-departs" there (SDM vol. 1 11.5, vol. 3 6.5 win)
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "lm.inc"

; ---- variables (lm.inc's free 0x0700 area) ----
%define X_VEC     0x0700        ; 32-bit handler's record: vector,
%define X_ERR     0x0704        ; error code (-1: none),
%define X_EIP     0x0708        ; pushed EIP,
%define X_CNT     0x070C        ; exceptions taken,
%define X_EDX     0x0710        ; EDX at the resume (must be 600Dh)
%define X_CR2     0x0714
%define X_RESUME  0x0718        ; where to resume (one shot; 0: fatal)
%define X_RETRY   0x071C        ; 1: #NM does CLTS and re-runs the instruction
%define N_CNT     0x0720        ; 64-bit #NM handler: count, RIP
%define N_RIP     0x0728
%define QFLAG     0x0730        ; 1 under QEMU TCG (brand string)
%define QDCNT     0x0734
%define DAZ_OK    0x0738        ; 1: MXCSR_MASK has DAZ
%define CBUF      0x0780        ; scratch of the check helpers (16-aligned)

; ---- memory ----
%define PD32   0x14000          ; 32-bit paging: PD, PT for 0-4 MiB
%define PT32   0x15000
%define KDATA  0x20000          ; the constant table, copied from the ROM
%define RES    0x22000          ; results stored by the blocks
%define FXIMG  0x23000          ; FXSAVE images, 200h apart
%define BUF    0x24000          ; scratch for the alignment tests
%define PGA    0x26000          ; pages for the cold/warm TLB block
%define HOLE   0x31000          ; not present (0x30000 is)

%define K(l) (KDATA + (l) - kbase)

; ---- descriptors after lm.inc's ----
%define X_CODE16 (GDT_FREE + 0x00)
%define X_DATA16 (GDT_FREE + 0x08)

; ======================================================================
; check macros (32- and 64-bit)
; ======================================================================
; QD_BEGIN ... QD_END: checks where QEMU departs from the SDM; a failure
; under QEMU TCG prints "qemu-departs NAME" instead of failing.
%assign qd 0
%macro QD_BEGIN 0
%assign qd 1
%endmacro
%macro QD_END 0
%assign qd 0
%endmacro

; CHK "name": ZF=1 passes.
%macro CHK 1+
    jmp %%a
%%n: db %1, 0
%%a:
%if __BITS__ == 64
    push rsi
    lea rsi, [rel %%n]
  %if qd
    call qcheck64
  %else
    call chk64
  %endif
    pop rsi
%else
    push esi
    mov esi, %%n
  %if qd
    call qcheck32
  %else
    call chk32
  %endif
    pop esi
%endif
%endmacro

; PUTS32 "text" (32-bit code, CS = SEL_CODE32)
%macro PUTS32 1
    jmp %%a
%%s: db %1, 0
%%a:
    push esi
    mov esi, %%s
    call lm_puts32
    pop esi
%endmacro

; CMPB actual flat address, expected label (ROM), length -> ZF
%macro CMPB 3
%if __BITS__ == 64
    push rsi
    push rdi
    push rcx
    mov esi, %1
    lea rdi, [rel %2]
    mov ecx, %3
    call xcmp64
    pop rcx
    pop rdi
    pop rsi
%else
    push esi
    push edi
    push ecx
    mov esi, %1
    mov edi, 0xF0000 + %2
    mov ecx, %3
    call xcmp32
    pop ecx
    pop edi
    pop esi
%endif
%endmacro

; MEQ address, "name", dd list: the bytes at a flat address.
%macro MEQ 3+
    jmp %%a
%%e: dd %3
%%z:
%%a:
    CMPB %1, %%e, %%z - %%e
    CHK %2
%endmacro

; XEQ xmm, lo64, hi64, "name"
%macro XEQ 4
    movdqu [CBUF], %1
    jmp %%a
%%e: dq %2, %3
%%a:
    CMPB CBUF, %%e, 16
    CHK %4
%endmacro

; REQ r/m32, value, "name"
%macro REQ 3
    mov [CBUF + 0x20], %1
    MEQ CBUF + 0x20, {%3}, %2
%endmacro

; MXEQ value, "name": MXCSR now
%macro MXEQ 2
    stmxcsr [CBUF + 0x30]
    MEQ CBUF + 0x30, {%2}, %1
%endmacro

; ---- 32-bit faults ----
%macro ARM32 1
    mov dword [X_RESUME], %1
    mov dword [X_VEC], -1
    mov dword [X_ERR], -1
    mov dword [X_EIP], -1
    mov dword [X_CNT], 0
    mov dword [X_EDX], -1
    mov dword [X_CR2], -1
%endmacro

; BLKSTART label: jump to `label`, moved to the next page when fewer than
; 256 bytes of this one are left, so that a sequence of up to 256 bytes
; from it has no 4 KiB page boundary in it (a translated block stops at
; one); BLKCHK label after the sequence fails the assembly when it is
; longer.
%macro BLKSTART 1
    jmp %1
    times ((($ - $$) & 0xFFF) > 0xF00) * (0x1000 - (($ - $$) & 0xFFF)) db 0xCC
%1:
%endmacro
%macro BLKCHK 1
    times -(($ - %1) > 256) db 0
%endmacro

;   FBEGIN
;     <instructions before>
;   FAT
;     <the faulting instruction>
;     <instructions that must not run>
;   FEND vector, error code, "name"
; One block (entered by a jump) runs the instructions before and then the
; faulting one, which must raise `vector` with that code and its own EIP,
; once; nothing after it may run (FEND adds EDX := BADh). The check line is
; "NAME: vector, code, EIP, ...". Execution goes on after FEND with every
; other register as the fault left it.
%macro FBEGIN 0
    %push fault
    ARM32 %$res
    mov edx, 0x600D
    BLKSTART %$blk
%endmacro
%macro FAT 0
%$f:
%endmacro
%macro FEND 3
    mov edx, 0xBAD
    BLKCHK %$blk
%$res:
    mov dword [X_RESUME], 0
    mov [X_EDX], edx
    MEQ X_VEC, {%3, ": vector, code, EIP, once, nothing after it ran"}, %1, %2, %$f, 1, 0x600D
    %pop
%endmacro

; FAULT32 vector, code, "name", {one instruction before}, {the faulting one}
%macro FAULT32 5
    FBEGIN
    %4
    FAT
    %5
    FEND %1, %2, %3
%endmacro

;   NBEGIN
;     <instructions before>
;   NAT
;     <the first SSE instruction>
;     <the rest of the block>
;   NEND "name"
; CR0.TS is set before the block; the SSE instruction raises #NM, the
; handler clears TS and returns to it, and the block runs to its end.
%macro NBEGIN 0
    %push nm
    ARM32 0
    mov dword [X_RETRY], 1
    mov eax, cr0
    or eax, 8
    mov cr0, eax
    BLKSTART %$blk
%endmacro
%macro NAT 0
%$f:
%endmacro
%macro NEND 1
    BLKCHK %$blk
    mov dword [X_RETRY], 0
    MEQ X_VEC, {%1, ": #NM at the first SSE instruction, once"}, 7, -1, %$f, 1
    mov eax, cr0
    and eax, 8
    REQ eax, 0, {%1, ": CR0.TS clear after the handler's CLTS"}
    %pop
%endmacro

bits 16
; ======================================================================
; real mode: checks, the GDT and IDT, then 32-bit protected mode
; ======================================================================
start:
    ROM_INIT
    PUTS `jit_sse: SSE in translated blocks: MXCSR, rounding, faults, registers across loops\n`
    mov eax, 1
    cpuid
    test edx, 1 << 26
    jnz .sse2
    SKIP_TEST "no SSE2 (CPUID.1:EDX[26])"
.sse2:
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb .nolm
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29
    jnz .lm
.nolm:
    SKIP_TEST "no long mode (CPUID 80000001h EDX.LM = 0)"
.lm:
    mov byte [QFLAG], 0         ; QEMU TCG: brand string "QEMU TCG ..."
    mov dword [QDCNT], 0
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000004
    jb .brand
    mov eax, 0x80000002
    cpuid
    cmp eax, 'QEMU'
    jne .brand
    cmp ebx, ' TCG'
    jne .brand
    mov byte [QFLAG], 1
    PUTS `note: QEMU TCG: checks where it departs from the SDM print qemu-departs\n`
.brand:
    cld
    mov si, lm_gdt
    mov di, GDT_BASE
    mov cx, lm_gdt_end - lm_gdt
    cs rep movsb
    mov si, xgdt
    mov di, GDT_BASE + GDT_FREE
    mov cx, xgdt_end - xgdt
    cs rep movsb
    mov di, LIDT_BASE           ; 32 gates to the recording stubs
    mov ax, xstubs
    mov cx, 32
.idt:
    mov [di], ax
    mov word [di + 2], SEL_CODE32
    mov word [di + 4], 0x8E00
    mov word [di + 6], 0
    add ax, 16
    add di, 8
    loop .idt
    mov dword [X_RESUME], 0
    mov dword [X_RETRY], 0
    o32 lgdt [cs:lm_gdtr]
    o32 lidt [cs:xidtr]
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
    ; the constant table into RAM, the other areas cleared
    mov esi, 0xF0000 + kbase
    mov edi, KDATA
    mov ecx, (kend - kbase + 3) / 4
    rep movsd
    mov edi, RES
    xor eax, eax
    mov ecx, (HOLE + 0x1000 - RES) / 4
    rep stosd
    ; 32-bit paging: 0-4 MiB identity mapped with 4 KiB pages, HOLE absent
    mov edi, PD32
    mov ecx, 1024
    rep stosd
    mov dword [PD32], PT32 | 3
    mov edi, PT32
    mov eax, 3
.pt:
    stosd
    add eax, 0x1000
    cmp edi, PT32 + 4096
    jb .pt
    mov dword [PT32 + (HOLE >> 12) * 4], 0
    mov eax, PD32
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    and eax, ~0x0C              ; EM=0 TS=0
    or eax, 0x22                ; MP NE
    mov cr0, eax
    mov eax, cr4
    or eax, 0x600               ; OSFXSR OSXMMEXCPT
    mov cr4, eax
    ldmxcsr [K(mx_def)]

    call t32_flags
    call t32_round
    call t32_xm
    call t32_nm
    call t32_align
    call t32_tlb
    call t32_loop
    call t32_sem

    ; back to real mode, then long mode
    mov eax, cr0
    and eax, 0x7FFFFFFF
    mov cr0, eax
    jmp X_CODE16:pm16_back

; ======================================================================
; a. MXCSR flags
; ======================================================================
t32_flags:
    movdqa xmm0, [K(k_1_h)]
    movdqa xmm1, [K(k_t60)]
    movdqa xmm2, [K(k_1_1)]
    movdqa xmm3, [K(k_4_0)]
    movdqa xmm4, [K(k_3_h)]
    movdqa xmm5, [K(k_max_1)]
    movdqa xmm6, xmm5
    movdqa xmm7, [K(k_9_h)]
    ldmxcsr [K(mx_all)]         ; every flag set before the block
    BLKSTART .b
    ldmxcsr [K(mx_def)]         ; flags cleared
    addsd xmm0, xmm1            ; 1 + 2^-60: PE
    divpd xmm2, xmm3            ; (1/4, 1/0): ZE
    mulsd xmm4, xmm4            ; 9, exact
    stmxcsr [RES]               ; PE ZE
    ldmxcsr [K(mx_def)]         ; cleared mid-block
    addpd xmm5, xmm6            ; (MAX + MAX, 1 + 1): OE PE
    stmxcsr [RES + 4]           ; OE PE
    subsd xmm7, xmm4            ; 9 - 9, exact
    cvttsd2si eax, xmm5         ; +inf: IE, integer indefinite
    addsd xmm7, xmm2            ; 0 + 1/4, exact
    stmxcsr [RES + 8]           ; IE OE PE
    BLKCHK .b
    jmp .c
.c:
    MEQ RES, "pm32 a: ADDSD inexact then DIVPD by zero in one block: STMXCSR at its end has PE and ZE", 0x1FA4
    MEQ RES + 4, "pm32 a: LDMXCSR clears the flags mid-block, then ADDPD overflow: OE PE only", 0x1FA8
    MEQ RES + 8, "pm32 a: CVTTSD2SI of +inf (IE) between the other ops: IE OE PE", 0x1FA9
    REQ eax, 0x80000000, "pm32 a: CVTTSD2SI of +inf: integer indefinite"
    XEQ xmm0, 0x3FF0000000000000, 0xDEADBEEFCAFEF00D, "pm32 a: ADDSD 1 + 2^-60 = 1, upper lane kept"
    XEQ xmm2, 0x3FD0000000000000, 0x7FF0000000000000, "pm32 a: DIVPD (1/4, 1/0) = (0.25, +inf)"
    XEQ xmm4, 0x4022000000000000, 0x5555AAAA5555AAAA, "pm32 a: MULSD 3 * 3 = 9, upper lane kept"
    XEQ xmm5, 0x7FF0000000000000, 0x4000000000000000, "pm32 a: ADDPD (MAX + MAX, 1 + 1) = (+inf, 2)"
    XEQ xmm7, 0x3FD0000000000000, 0x0F0E0D0C0B0A0908, "pm32 a: SUBSD then ADDSD: 0.25, upper lane kept"
    MXEQ 0x1FA9, "pm32 a: the flags still set after the block ended"
    BLKSTART .d
    divsd xmm6, [K(k_zero)]     ; MAX / 0: ZE, no LDMXCSR in this block
    stmxcsr [RES + 12]
    BLKCHK .d
    jmp .e
.e:
    MEQ RES + 12, "pm32 a: the next block's DIVSD by zero adds ZE to the flags of the last", 0x1FAD
    XEQ xmm6, 0x7FF0000000000000, 0x3FF0000000000000, "pm32 a: DIVSD MAX / 0 = +inf, upper lane kept"

    ; FXSAVE mid-block, twice
    movdqa xmm0, [K(k_1_h)]
    BLKSTART .f
    ldmxcsr [K(mx_def)]
    addsd xmm0, xmm1            ; PE, xmm0 = (1, H)
    fxsave [FXIMG]
    divsd xmm0, [K(k_zero)]     ; ZE, xmm0 = (+inf, H)
    mulpd xmm2, xmm3            ; (0.25 * 4, inf * 0) = (1, QNaN indefinite): IE
    fxsave [FXIMG + 0x200]
    stmxcsr [RES + 16]
    BLKCHK .f
    jmp .g
.g:
    MEQ FXIMG + 24, "pm32 a: FXSAVE mid-block after an inexact ADDSD: MXCSR PE", 0x1FA0
    MEQ FXIMG + 160, "pm32 a: FXSAVE mid-block: XMM0 image is the ADDSD result", 0, 0x3FF00000, 0xCAFEF00D, 0xDEADBEEF
    MEQ FXIMG + 160 + 32, "pm32 a: FXSAVE mid-block: XMM2 image (0.25, +inf)", 0, 0x3FD00000, 0, 0x7FF00000
    MEQ FXIMG + 0x200 + 24, "pm32 a: second FXSAVE in the block: MXCSR IE ZE PE", 0x1FA5
    MEQ FXIMG + 0x200 + 160, "pm32 a: second FXSAVE: XMM0 image +inf", 0, 0x7FF00000, 0xCAFEF00D, 0xDEADBEEF
    MEQ FXIMG + 0x200 + 160 + 32, "pm32 a: second FXSAVE: XMM2 image (1, QNaN indefinite)", 0, 0x3FF00000, 0, 0xFFF80000
    MEQ RES + 16, "pm32 a: STMXCSR after the second FXSAVE: IE ZE PE", 0x1FA5

    ; FXRSTOR mid-block: image = the second one with XMM0 = (1, -1),
    ; XMM1 = (b, -b) (b = 2^-53 + 2^-60), XMM3 = (4, 0), MXCSR round-up
    mov esi, FXIMG + 0x200
    mov edi, FXIMG + 0x400
    mov ecx, 512 / 4
    rep movsd
    mov dword [FXIMG + 0x400 + 24], 0x5F80
    mov esi, K(k_pm1)
    mov edi, FXIMG + 0x400 + 160
    movsd
    movsd
    movsd
    movsd
    mov esi, K(k_pmb)
    movsd
    movsd
    movsd
    movsd
    mov esi, K(k_4_0)
    mov edi, FXIMG + 0x400 + 160 + 48
    movsd
    movsd
    movsd
    movsd
    BLKSTART .h
    ldmxcsr [K(mx_def)]
    divsd xmm3, [K(k_zero)]     ; ZE, xmm3 = (+inf, 0): both undone below
    movdqa xmm0, [K(k_ones)]
    addpd xmm1, xmm1            ; a value FXRSTOR must replace
    fxrstor [FXIMG + 0x400]
    addpd xmm0, xmm1            ; round up: (1 + b, -1 - b)
    stmxcsr [RES + 20]
    BLKCHK .h
    jmp .i
.i:
    MEQ RES + 20, "pm32 a: FXRSTOR mid-block loads MXCSR (round up, the earlier ZE gone); ADDPD after it: PE", 0x5FA0
    XEQ xmm0, 0x3FF0000000000001, 0xBFF0000000000000, "pm32 a: ADDPD after FXRSTOR uses the restored XMM0/XMM1 and rounds up"
    XEQ xmm1, 0x3CA0200000000000, 0xBCA0200000000000, "pm32 a: XMM1 as FXRSTOR loaded it"
    XEQ xmm3, 0x4010000000000000, 0, "pm32 a: XMM3 written before FXRSTOR is the image's (4, 0)"
    ldmxcsr [K(mx_def)]
    ret

; ======================================================================
; b. rounding control, FTZ, DAZ
; ======================================================================
t32_round:
    movdqa xmm0, [K(k_pm1)]     ; (1, -1)
    movdqa xmm1, [K(k_pmb)]     ; (b, -b): 1 + b is 1 + 1/2 ulp + a bit
    BLKSTART .b
    ldmxcsr [K(mx_rd)]
    movapd xmm2, xmm0
    addpd xmm2, xmm1
    ldmxcsr [K(mx_ru)]
    movapd xmm3, xmm0
    addpd xmm3, xmm1
    ldmxcsr [K(mx_rz)]
    movapd xmm4, xmm0
    addpd xmm4, xmm1
    ldmxcsr [K(mx_def)]
    movapd xmm5, xmm0
    addpd xmm5, xmm1
    ldmxcsr [K(mx_rd)]
    movaps xmm6, [K(k_f1)]
    divss xmm6, [K(k_f3)]       ; 1/3 rounded down
    ldmxcsr [K(mx_ru)]          ; left for the next blocks
    BLKCHK .b
    BLKSTART .c
    movapd xmm7, xmm0
    addpd xmm7, xmm1            ; round up, set by the last block
    cvtsd2si eax, [K(k_25)]     ; 2.5 rounded up: 3
    stmxcsr [RES]
    ldmxcsr [K(mx_rz)]
    BLKCHK .c
    BLKSTART .d
    cvtsd2si ecx, [K(k_m25)]    ; -2.5 toward zero: -2
    movaps xmm0, [K(k_f1)]
    divss xmm0, [K(k_f3)]       ; 1/3 toward zero
    ldmxcsr [K(mx_rn)]
    divss xmm0, [K(k_f3)]       ; again, to nearest
    stmxcsr [RES + 4]
    BLKCHK .d
    jmp .e
.e:
    XEQ xmm2, 0x3FF0000000000000, 0xBFF0000000000001, "pm32 b: LDMXCSR round down, ADDPD (1 + b, -1 - b) in the same block"
    XEQ xmm3, 0x3FF0000000000001, 0xBFF0000000000000, "pm32 b: LDMXCSR round up, ADDPD in the same block"
    XEQ xmm4, 0x3FF0000000000000, 0xBFF0000000000000, "pm32 b: LDMXCSR toward zero, ADDPD in the same block"
    XEQ xmm5, 0x3FF0000000000001, 0xBFF0000000000001, "pm32 b: LDMXCSR to nearest, ADDPD in the same block"
    XEQ xmm6, 0x111111113EAAAAAA, 0x3333333322222222, "pm32 b: DIVSS 1/3 round down, upper lanes kept"
    XEQ xmm7, 0x3FF0000000000001, 0xBFF0000000000000, "pm32 b: round up left by the last block: ADDPD in the next"
    REQ eax, 3, "pm32 b: CVTSD2SI 2.5 round up (after an ADDPD in the block): 3"
    MEQ RES, "pm32 b: MXCSR round up with PE", 0x5FA0
    REQ ecx, -2, "pm32 b: CVTSD2SI -2.5 toward zero: -2"
    ; 1/3 toward zero = 3EAAAAAAh, that / 3 to nearest = 3DE38E38h
    XEQ xmm0, 0x111111113DE38E38, 0x3333333322222222, "pm32 b: DIVSS toward zero then to nearest in one block"
    MEQ RES + 4, "pm32 b: MXCSR after the LDMXCSR and an exact DIVSS: no flag", 0x1F80

    ; FTZ
    BLKSTART .f
    ldmxcsr [K(mx_ftz)]
    movapd xmm0, [K(k_tiny)]    ; (2^-1000, 2^-1000)
    mulpd xmm0, [K(k_tinym)]    ; * (2^-30, 2^10): 2^-1030 flushed
    stmxcsr [RES + 8]
    ldmxcsr [K(mx_def)]
    movapd xmm1, [K(k_tiny)]
    mulpd xmm1, [K(k_tinym)]    ; exact denormal 2^-1030
    stmxcsr [RES + 12]
    BLKCHK .f
    jmp .g
.g:
    XEQ xmm0, 0, 0x0210000000000000, "pm32 b: FTZ: 2^-1030 flushed to +0, 2^-990 kept"
    MEQ RES + 8, "pm32 b: FTZ: UE and PE", 0x9FB0
    XEQ xmm1, 0x0000100000000000, 0x0210000000000000, "pm32 b: FTZ off: exact denormal 2^-1030"
    MEQ RES + 12, "pm32 b: FTZ off: an exact tiny result sets no flag (UE masked)", 0x1F80

    ; DAZ, when MXCSR_MASK (FXSAVE offset 28; 0 means FFBFh) allows it
    fxsave [FXIMG]
    mov eax, [FXIMG + 28]
    test eax, eax
    jnz .mask
    mov eax, 0xFFBF
.mask:
    and eax, 0x40
    shr eax, 6
    mov [DAZ_OK], eax
    jnz .daz
    PUTS32 `note: MXCSR_MASK has no DAZ: the DAZ checks are left out\n`
    ret
.daz:
    BLKSTART .h
    ldmxcsr [K(mx_daz)]
    movapd xmm2, [K(k_den)]     ; (2^-1074, 1)
    mulpd xmm2, [K(k_p100)]     ; * 2^100: the denormal read as +0
    stmxcsr [RES + 16]
    movdqa xmm3, [K(k_den)]     ; moves are not affected
    ldmxcsr [K(mx_def)]
    movapd xmm4, [K(k_den)]
    mulpd xmm4, [K(k_p100)]     ; 2^-974
    stmxcsr [RES + 20]
    BLKCHK .h
    jmp .i
.i:
    XEQ xmm2, 0, 0x4630000000000000, "pm32 b: DAZ: 2^-1074 * 2^100 = +0"
    MEQ RES + 16, "pm32 b: DAZ: no DE, no PE", 0x1FC0
    XEQ xmm3, 1, 0x3FF0000000000000, "pm32 b: DAZ: MOVDQA copies the denormal"
    XEQ xmm4, 0x0310000000000000, 0x4630000000000000, "pm32 b: DAZ off: 2^-1074 * 2^100 = 2^-974"
    QD_BEGIN
    MEQ RES + 20, "pm32 b: DAZ off: DE for the denormal source", 0x1F82
    QD_END

    ; x87 in a block whose MXCSR says toward zero, FTZ and DAZ (so only
    ; with DAZ): the x87 rounds by its own control word (to nearest) and
    ; has no DAZ
    fninit
    ldmxcsr [K(mx_rzfd)]
    BLKSTART .x
    movapd xmm0, [K(k_pm1)]
    addpd xmm0, [K(k_pmb)]      ; toward zero
    fld qword [K(k_third)]      ; 1/3
    fstp dword [RES + 16]       ; to nearest: 3EAAAAABh
    fild dword [K(k_7_2)]
    fidiv dword [K(k_7_2) + 4]  ; 3.5
    fistp dword [RES + 20]      ; to nearest even: 4
    fld qword [K(k_den)]        ; 2^-1074
    fstp qword [RES + 24]       ; stored back unchanged
    movapd xmm1, [K(k_den)]
    addpd xmm1, xmm1            ; DAZ: (0, 2)
    stmxcsr [RES + 32]
    BLKCHK .x
    MEQ RES + 16, "pm32 b: x87 FSTP m32 in a block with MXCSR toward zero: rounds to nearest by its own control word", 0x3EAAAAAB
    MEQ RES + 20, "pm32 b: x87 FISTP 3.5 there: 4 (to nearest even)", 4
    MEQ RES + 24, "pm32 b: x87 FLD/FSTP m64 of a denormal there: unchanged (no DAZ on the x87)", 1, 0
    XEQ xmm0, 0x3FF0000000000000, 0xBFF0000000000000, "pm32 b: ADDPD toward zero around the x87 instructions"
    XEQ xmm1, 0, 0x4000000000000000, "pm32 b: ADDPD with DAZ around the x87 instructions"
    MEQ RES + 32, "pm32 b: MXCSR toward zero, FTZ, DAZ, PE", 0xFFE0
    fninit
    ldmxcsr [K(mx_def)]
    ret

; ======================================================================
; c. unmasked exceptions mid-block
; ======================================================================
%macro XM_IN 0                  ; the inputs of the #XM blocks
    movdqa xmm0, [K(k_1_1)]
    movdqa xmm1, [K(k_t60)]
    movdqa xmm2, [K(k_6_1)]     ; (6, 1)
    movdqa xmm3, [K(k_3_0)]     ; (3, 0)
    movdqa xmm4, [K(k_qa)]
    movdqa xmm5, [K(k_qb)]
    mov dword [RES], 0
    mov dword [RES + 4], 0
    mov dword [RES + 8], 0
    mov dword [RES + 12], 0
    mov eax, 0x11111111
%endmacro

%macro XM_RETIRED 1             ; what ran before the fault
    QD_BEGIN
    XEQ xmm2, 0x4018000000000000, 0x3FF0000000000000, {%1, ": DIVPD's destination unchanged"}
    REQ eax, 0x12345678, {%1, ": the MOV to EAX before it retired, nothing after it ran"}
    XEQ xmm0, 0x3FF0000000000000, 0x3FF0000000000000, {%1, ": the ADDPD before it retired, nothing after it ran"}
    MEQ RES, {%1, ": the MOVDQU store before it retired, nothing after it ran"}, 0, 0x3FF00000, 0, 0x3FF00000
    QD_END
    XEQ xmm4, 0x3333333333333333, 0x0000000000000000, {%1, ": the PADDQ before it retired"}
%endmacro

t32_xm:
    ; ZM cleared by LDMXCSR in the block itself
    XM_IN
    QD_BEGIN
    FBEGIN
    ldmxcsr [K(mx_zm0)]
    addpd xmm0, xmm1            ; (1 + 2^-60, ...): PE
    paddq xmm4, xmm5
    movdqu [RES], xmm0
    mov eax, 0x12345678
    FAT
    divpd xmm2, xmm3            ; (6/3, 1/0)
    mov eax, 0xBAD
    pxor xmm0, xmm0
    movdqu [RES], xmm5
    FEND 19, -1, "pm32 c: LDMXCSR ZM=0, ADDPD, PADDQ, MOVDQU, MOV, DIVPD (6/3, 1/0): #XM"
    QD_END
    XM_RETIRED "pm32 c: #XM"
    MXEQ 0x1DA4, "pm32 c: #XM: MXCSR has the ADDPD's PE and the DIVPD's ZE"

    ; ZM cleared by an earlier block; the faulting DIVSD (m64) is the
    ; block's first floating-point instruction
    XM_IN
    movdqa xmm6, [K(k_6_1)]
    ldmxcsr [K(mx_zm0)]
    QD_BEGIN
    FBEGIN
    movdqa xmm7, [K(k_qb)]
    paddq xmm4, xmm7
    mov eax, 0x12345678
    FAT
    divsd xmm6, [K(k_zero)]
    mov eax, 0xBAD
    pxor xmm4, xmm4
    FEND 19, -1, "pm32 c: ZM=0 from an earlier block, MOVDQA, PADDQ, DIVSD x/0 (m64): #XM"
    XEQ xmm6, 0x4018000000000000, 0x3FF0000000000000, "pm32 c: #XM of DIVSD: destination unchanged"
    REQ eax, 0x12345678, "pm32 c: #XM of DIVSD: the MOV before it retired, nothing after it ran"
    QD_END
    QD_BEGIN
    XEQ xmm4, 0x3333333333333333, 0, "pm32 c: #XM of DIVSD: the PADDQ before it retired, nothing after it ran"
    QD_END
    MXEQ 0x1D84, "pm32 c: #XM of DIVSD: MXCSR.ZE"

    ; ZM cleared by FXRSTOR mid-block
    XM_IN
    ldmxcsr [K(mx_def)]
    fxsave [FXIMG + 0x600]
    mov dword [FXIMG + 0x600 + 24], 0x1D80
    QD_BEGIN
    FBEGIN
    addpd xmm7, xmm7
    movdqa xmm2, [K(k_ones)]
    fxrstor [FXIMG + 0x600]
    mov eax, 0x12345678
    FAT
    divpd xmm2, xmm3
    mov eax, 0xBAD
    FEND 19, -1, "pm32 c: ADDPD, MOVDQA, FXRSTOR (ZM=0), DIVPD (6/3, 1/0): #XM"
    XEQ xmm2, 0x4018000000000000, 0x3FF0000000000000, "pm32 c: #XM after FXRSTOR: DIVPD's destination as FXRSTOR loaded it"
    REQ eax, 0x12345678, "pm32 c: #XM after FXRSTOR: nothing after it ran"
    QD_END
    MXEQ 0x1D84, "pm32 c: #XM after FXRSTOR: MXCSR ZE only (the image's flags)"

    ; a conversion to an integer register: CVTTSD2SI of 3e9 with IM=0
    movdqa xmm6, [K(k_3e9)]
    ldmxcsr [K(mx_def)]
    mov ecx, 0x5555AAAA
    QD_BEGIN
    FBEGIN
    ldmxcsr [K(mx_im0)]
    addsd xmm6, [K(k_zero)]
    FAT
    cvttsd2si ecx, xmm6
    mov ecx, 0xBAD
    FEND 19, -1, "pm32 c: LDMXCSR IM=0, ADDSD, CVTTSD2SI 3e9: #XM"
    REQ ecx, 0x5555AAAA, "pm32 c: #XM of CVTTSD2SI: ECX not written"
    QD_END
    MXEQ 0x1F01, "pm32 c: #XM of CVTTSD2SI: MXCSR.IE"

    ; CR4.OSXMMEXCPT=0: #UD instead
    mov eax, cr4
    and eax, ~0x400
    mov cr4, eax
    XM_IN
    QD_BEGIN
    FBEGIN
    ldmxcsr [K(mx_zm0)]
    addpd xmm0, xmm1
    paddq xmm4, xmm5
    movdqu [RES], xmm0
    mov eax, 0x12345678
    FAT
    divpd xmm2, xmm3
    mov eax, 0xBAD
    pxor xmm0, xmm0
    movdqu [RES], xmm5
    FEND 6, -1, "pm32 c: CR4.OSXMMEXCPT=0: LDMXCSR ZM=0, ADDPD, PADDQ, MOVDQU, MOV, DIVPD: #UD"
    QD_END
    XM_RETIRED "pm32 c: #UD"
    MXEQ 0x1DA4, "pm32 c: #UD: MXCSR has PE and ZE"
    mov eax, cr4
    or eax, 0x400
    mov cr4, eax
    ldmxcsr [K(mx_def)]
    ret

; ======================================================================
; d. CR0.TS, CR0.EM, CR4.OSFXSR
; ======================================================================
t32_nm:
    movdqa xmm0, [K(k_1_2)]
    movdqa xmm1, [K(k_3_4)]
    movdqa xmm2, [K(k_2_2)]
    movdqa xmm3, [K(k_half_q)]
    NBEGIN
    mov ebx, 0x11
    NAT
    addpd xmm0, xmm1
    mulpd xmm2, xmm3
    mov ecx, 0x22
    NEND "pm32 d: CR0.TS=1, ADDPD"
    XEQ xmm0, 0x4010000000000000, 0x4018000000000000, "pm32 d: ADDPD re-run after #NM: (4, 6)"
    XEQ xmm2, 0x3FF0000000000000, 0x3FE0000000000000, "pm32 d: the MULPD after it: (1, 0.5)"
    REQ ebx, 0x11, "pm32 d: EBX (before) kept"
    REQ ecx, 0x22, "pm32 d: ECX (after) written"

    NBEGIN
    NAT
    movdqa xmm4, [K(k_qa)]
    paddq xmm4, xmm4
    NEND "pm32 d: CR0.TS=1, MOVDQA load"
    XEQ xmm4, 0x2222222222222222, 0, "pm32 d: MOVDQA re-run after #NM, then PADDQ"

    NBEGIN
    NAT
    paddq xmm4, [K(k_qb)]
    psubq xmm4, [K(k_qa)]
    NEND "pm32 d: CR0.TS=1, PADDQ"
    XEQ xmm4, 0x3333333333333333, 0, "pm32 d: PADDQ re-run after #NM, then PSUBQ"

    ldmxcsr [K(mx_ru)]
    NBEGIN
    NAT
    stmxcsr [RES]
    ldmxcsr [K(mx_def)]
    NEND "pm32 d: CR0.TS=1, STMXCSR"
    MEQ RES, "pm32 d: STMXCSR re-run after #NM stores the MXCSR", 0x5F80
    MXEQ 0x1F80, "pm32 d: the LDMXCSR after it"

    ; LMSW sets TS in the middle of a block
    movdqa xmm0, [K(k_1_2)]
    movdqa xmm2, [K(k_2_2)]
    mov eax, cr0
    or eax, 8
    mov edx, eax
    ARM32 0
    mov dword [X_RETRY], 1
    BLKSTART .l
    addpd xmm0, xmm1
    lmsw dx
.lf:
    mulpd xmm2, xmm3
    addpd xmm0, xmm0
    BLKCHK .l
    mov dword [X_RETRY], 0
    MEQ X_VEC, "pm32 d: LMSW sets TS mid-block: #NM at the next SSE instruction, once", 7, -1, .lf, 1
    XEQ xmm0, 0x4020000000000000, 0x4028000000000000, "pm32 d: ADDPD before LMSW and after the #NM: (8, 12)"
    XEQ xmm2, 0x3FF0000000000000, 0x3FE0000000000000, "pm32 d: MULPD re-run after the #NM"

    ; CR0.EM=1: #UD
    mov dword [RES], 0xA5A5A5A5
    mov dword [RES + 4], 0xA5A5A5A5
    mov dword [RES + 8], 0xA5A5A5A5
    mov dword [RES + 12], 0xA5A5A5A5
    mov eax, cr0
    or eax, 4
    mov cr0, eax
    FAULT32 6, -1, "pm32 d: CR0.EM=1: ADDPD", {mov ebx, 1}, {addpd xmm0, xmm1}
    FAULT32 6, -1, "pm32 d: CR0.EM=1: PXOR", {mov ebx, 2}, {pxor xmm0, xmm0}
    FAULT32 6, -1, "pm32 d: CR0.EM=1: MOVDQA store", {mov ebx, 3}, {movdqa [RES], xmm0}
    FAULT32 6, -1, "pm32 d: CR0.EM=1: LDMXCSR", {mov ebx, 4}, {ldmxcsr [K(mx_ru)]}
    mov eax, cr0
    and eax, ~4
    mov cr0, eax
    XEQ xmm0, 0x4020000000000000, 0x4028000000000000, "pm32 d: CR0.EM=1: XMM0 unchanged"
    MEQ RES, "pm32 d: CR0.EM=1: memory unchanged", 0xA5A5A5A5, 0xA5A5A5A5, 0xA5A5A5A5, 0xA5A5A5A5
    MXEQ 0x1F80, "pm32 d: CR0.EM=1: MXCSR unchanged"

    ; CR4.OSFXSR=0: #UD
    mov eax, cr4
    and eax, ~0x200
    mov cr4, eax
    FAULT32 6, -1, "pm32 d: CR4.OSFXSR=0: MULPD", {mov ebx, 1}, {mulpd xmm0, xmm1}
    FAULT32 6, -1, "pm32 d: CR4.OSFXSR=0: PADDQ", {mov ebx, 2}, {paddq xmm0, xmm0}
    FAULT32 6, -1, "pm32 d: CR4.OSFXSR=0: MOVAPS load", {mov ebx, 3}, {movaps xmm0, [K(k_ones)]}
    mov eax, cr4
    or eax, 0x200
    mov cr4, eax
    XEQ xmm0, 0x4020000000000000, 0x4028000000000000, "pm32 d: CR4.OSFXSR=0: XMM0 unchanged"
    ret

; ======================================================================
; e. alignment, page faults
; ======================================================================
%macro FILL_BUF 0               ; BUF..BUF+3Fh and HOLE-20h..HOLE-1: bytes 80h + i
    mov edi, BUF
    call fill40
    mov edi, HOLE - 0x40
    call fill40
%endmacro

t32_align:
    FILL_BUF
    mov eax, [BUF]              ; both pages in the TLB
    mov eax, [HOLE - 8]
    movdqa xmm0, [K(k_1_2)]
    movdqa xmm1, [K(k_3_4)]
    movdqa xmm3, [K(k_qa)]
    movdqa xmm4, [K(k_qb)]
    FAULT32 13, 0, "pm32 e: ADDPD, then ADDPD xmm, [16n + 8]: #GP(0)", {addpd xmm1, xmm0}, {addpd xmm0, [BUF + 8]}
    XEQ xmm0, 0x3FF0000000000000, 0x4000000000000000, "pm32 e: misaligned ADDPD: destination unchanged"
    XEQ xmm1, 0x4010000000000000, 0x4018000000000000, "pm32 e: misaligned ADDPD: the ADDPD before it retired"
    FAULT32 13, 0, "pm32 e: MOVAPS xmm, [16n + 4]: #GP(0)", {paddq xmm4, xmm3}, {movaps xmm3, [BUF + 4]}
    XEQ xmm3, 0x1111111111111111, 0, "pm32 e: misaligned MOVAPS load: destination unchanged"
    XEQ xmm4, 0x3333333333333333, 0, "pm32 e: misaligned MOVAPS load: the PADDQ before it retired"
    FAULT32 13, 0, "pm32 e: MOVAPS [16n + 4], xmm: #GP(0)", {movaps [BUF + 0x20], xmm1}, {movaps [BUF + 4], xmm3}
    FAULT32 13, 0, "pm32 e: MOVDQA xmm, [16n + 1]: #GP(0)", {}, {movdqa xmm3, [BUF + 1]}
    FAULT32 13, 0, "pm32 e: MOVDQA [16n + 15], xmm: #GP(0)", {}, {movdqa [BUF + 15], xmm4}
    FAULT32 13, 0, "pm32 e: MOVAPD [16n + 8], xmm: #GP(0)", {}, {movapd [BUF + 8], xmm4}
    FAULT32 13, 0, "pm32 e: ADDPD xmm, [HOLE - 8] (misaligned, into a not-present page): #GP(0), not #PF", {}, {addpd xmm0, [HOLE - 8]}
    FAULT32 13, 0, "pm32 e: MOVDQA [HOLE - 8], xmm: #GP(0), not #PF", {}, {movdqa [HOLE - 8], xmm4}
    XEQ xmm3, 0x1111111111111111, 0, "pm32 e: misaligned MOVDQA load: destination unchanged"
    MEQ BUF, "pm32 e: misaligned stores wrote nothing (the aligned MOVAPS before them did)", 0x83828180, 0x87868584, 0x8B8A8988, 0x8F8E8D8C, 0x93929190, 0x97969594, 0x9B9A9998, 0x9F9E9D9C, 0, 0x40100000, 0, 0x40180000
    MEQ HOLE - 16, "pm32 e: MOVDQA into the not-present page wrote nothing", 0xB3B2B1B0, 0xB7B6B5B4, 0xBBBAB9B8, 0xBFBEBDBC

    ; unaligned forms work
    BLKSTART .u
    movups xmm5, [BUF + 1]
    movdqu xmm6, [BUF + 0x1B]
    movupd xmm7, [BUF + 0x0F]
    movdqu [BUF + 0x31], xmm4
    movups [BUF + 0x43], xmm5   ; (BUF+40h.. were not filled: zero)
    movdqu xmm2, [HOLE - 16]    ; ends at the page end
    movupd [HOLE - 0x1008], xmm4 ; crosses from 2F000h into 30000h
    movdqu xmm0, [HOLE - 0x1008]
    BLKCHK .u
    jmp .v
.v:
    XEQ xmm5, 0x8887868584838281, 0x908F8E8D8C8B8A89, "pm32 e: MOVUPS load at 16n + 1"
    XEQ xmm6, 0x0000009F9E9D9C9B, 0x0000004010000000, "pm32 e: MOVDQU load at 16n + 11 (into the MOVAPS bytes)"
    XEQ xmm7, 0x969594939291908F, 0x9E9D9C9B9A999897, "pm32 e: MOVUPD load at 16n + 15"
    MEQ BUF + 0x30, "pm32 e: MOVDQU store at 16n + 1: 16 bytes, the bytes around kept", 0x333333B0, 0x33333333, 0x00000033, 0, 0x81000000
    MEQ BUF + 0x40, "pm32 e: MOVUPS store at 16n + 3", 0x81000000, 0x85848382, 0x89888786, 0x8D8C8B8A, 0x00908F8E
    XEQ xmm2, 0xB7B6B5B4B3B2B1B0, 0xBFBEBDBCBBBAB9B8, "pm32 e: MOVDQU load of the last 16 bytes before HOLE"
    XEQ xmm0, 0x3333333333333333, 0, "pm32 e: MOVUPD store and MOVDQU load across a page boundary"

    ; #PF: 16- and 8-byte accesses running into HOLE
    movdqa xmm0, [K(k_1_h)]
    movdqa xmm1, [K(k_t60)]
    movdqa xmm5, [K(k_qa)]
    movdqa xmm6, [K(k_1_h)]
    ldmxcsr [K(mx_def)]
    FAULT32 14, 0, "pm32 e: ADDSD inexact, then MOVDQU xmm, [HOLE - 8]: #PF(0)", {addsd xmm0, xmm1}, {movdqu xmm5, [HOLE - 8]}
    MEQ X_CR2, "pm32 e: MOVDQU load: CR2 = HOLE", HOLE
    XEQ xmm5, 0x1111111111111111, 0, "pm32 e: MOVDQU load into HOLE: destination unchanged"
    MXEQ 0x1FA0, "pm32 e: #PF after ADDSD: MXCSR keeps PE"
    FAULT32 14, 2, "pm32 e: DIVSD by zero, then MOVDQU [HOLE - 8], xmm: #PF(W)", {divsd xmm6, [K(k_zero)]}, {movdqu [HOLE - 8], xmm5}
    MEQ X_CR2, "pm32 e: MOVDQU store: CR2 = HOLE", HOLE
    MXEQ 0x1FA4, "pm32 e: #PF after DIVSD by zero: MXCSR keeps ZE"
    XEQ xmm6, 0x7FF0000000000000, 0xDEADBEEFCAFEF00D, "pm32 e: the DIVSD before the #PF retired"
    QD_BEGIN
    MEQ HOLE - 16, "pm32 e: split MOVDQU store: nothing written in the present page", 0xB3B2B1B0, 0xB7B6B5B4, 0xBBBAB9B8, 0xBFBEBDBC
    QD_END
    mov edi, HOLE - 0x40        ; (QEMU wrote the present half)
    call fill40
    FAULT32 14, 0, "pm32 e: MOVSD xmm, [HOLE - 4]: #PF(0)", {}, {movsd xmm5, [HOLE - 4]}
    MEQ X_CR2, "pm32 e: MOVSD load: CR2 = HOLE", HOLE
    FAULT32 14, 0, "pm32 e: ADDSD xmm, [HOLE - 4]: #PF(0)", {}, {addsd xmm5, [HOLE - 4]}
    MEQ X_CR2, "pm32 e: ADDSD load: CR2 = HOLE", HOLE
    FAULT32 14, 2, "pm32 e: MOVQ [HOLE - 4], xmm: #PF(W)", {}, {movq [HOLE - 4], xmm0}
    MEQ X_CR2, "pm32 e: MOVQ store: CR2 = HOLE", HOLE
    XEQ xmm5, 0x1111111111111111, 0, "pm32 e: the faulting loads wrote nothing"
    MEQ HOLE - 8, "pm32 e: the split 8-byte store wrote nothing", 0xBBBAB9B8, 0xBFBEBDBC
    ldmxcsr [K(mx_def)]
    ret

fill40:                         ; EDI: 40h bytes 80h + i
    mov eax, 0x83828180
.l:
    stosd
    add eax, 0x04040404
    cmp eax, 0xC3C2C1C0
    jne .l
    ret

; ======================================================================
; e. (cont.) register ops, loads, stores and reloads in one block, with a
; flushed TLB and then a warm one
; ======================================================================
t32_tlb:
    mov dword [PGA + 0x2000], 0 ; (0.0) for the DIVSD
    mov dword [PGA + 0x2004], 0
    mov eax, cr3                ; flush the TLB: the first run misses
    mov cr3, eax
    call .run
    PUTS32 `pm32 e: the mixed block with a flushed TLB:\n`
    call .chk
    call .run
    PUTS32 `pm32 e: the mixed block again with a warm TLB:\n`
    call .chk
    ret
.run:
    movdqa xmm0, [K(k_1_2)]
    movdqa xmm1, [K(k_3_4)]
    movdqa xmm3, [K(k_2_2)]
    movdqa xmm4, [K(k_1_1)]
    movdqa xmm5, [K(k_ones)]
    ldmxcsr [K(mx_def)]
    BLKSTART .blk
    addpd xmm0, xmm1            ; (4, 6)
    mulpd xmm3, [K(k_half_q)]   ; (1, 0.5)
    addsd xmm4, [K(k_t60)]      ; 1 + 2^-60: PE
    movdqu [PGA + 0x0FF8], xmm0 ; crosses into PGA+1000h
    subpd xmm0, xmm3            ; (3, 5.5)
    movdqa xmm2, [PGA + 0x0FF0]
    movdqu xmm6, [PGA + 0x0FF8] ; the stored (4, 6)
    paddq xmm5, xmm2            ; all ones + (0, 4.0 bits) per lane
    divsd xmm4, [PGA + 0x2000]  ; 1 / 0: ZE
    movdqa [PGA + 0x3000], xmm0
    movq xmm7, [PGA + 0x3008]   ; 5.5, upper half zero
    stmxcsr [PGA + 0x3010]
    BLKCHK .blk
    ret
.chk:
    XEQ xmm0, 0x4008000000000000, 0x4016000000000000, "pm32 e: mixed block: ADDPD then SUBPD with a cached source"
    XEQ xmm3, 0x3FF0000000000000, 0x3FE0000000000000, "pm32 e: mixed block: MULPD m128"
    XEQ xmm6, 0x4010000000000000, 0x4018000000000000, "pm32 e: mixed block: MOVDQU reloads the page-crossing store"
    MEQ PGA + 0x0FF0, "pm32 e: mixed block: the page-crossing store in memory", 0, 0, 0, 0x40100000, 0, 0x40180000
    XEQ xmm2, 0, 0x4010000000000000, "pm32 e: mixed block: MOVDQA of half the stored bytes"
    XEQ xmm5, 0xFFFFFFFFFFFFFFFF, 0x400FFFFFFFFFFFFF, "pm32 e: mixed block: PADDQ of it"
    XEQ xmm4, 0x7FF0000000000000, 0x3FF0000000000000, "pm32 e: mixed block: DIVSD by a zero m64"
    XEQ xmm7, 0x4016000000000000, 0, "pm32 e: mixed block: MOVQ of a stored lane"
    MEQ PGA + 0x3010, "pm32 e: mixed block: MXCSR PE ZE", 0x1FA4
    ret

; ======================================================================
; f. a hot loop over all eight XMM registers
; ======================================================================
%define TURNS 1000
%macro LOOP_IN 0
    pxor xmm0, xmm0
    movdqa xmm1, [K(k_1_1)]
    movdqa xmm2, [K(k_0_h)]
    movdqa xmm3, [K(k_q3)]
    pxor xmm4, xmm4
    pxor xmm5, xmm5
    movdqa xmm6, [K(k_0_1)]
    movdqa xmm7, [K(k_d7)]
%endmacro

; one turn's arithmetic on XMM0-3 (first half) and XMM4-7 (second)
%macro LOOP_A 0
    addpd xmm0, [K(l_inc)]      ; += (1, 0.5)
    mulpd xmm1, [K(l_mul)]      ; *= (2, 0.5)
    addsd xmm2, [K(l_tenth)]    ; += 0.1 rounded up, upper lane kept
    paddq xmm3, [K(l_incq)]     ; += (100000001h, -1)
%endmacro
%macro LOOP_B 0
    psubd xmm4, [K(l_decd)]     ; -= (1, 2, 3, 4)
    subpd xmm5, xmm0            ; -= XMM0
    addpd xmm6, [K(l_e)]        ; += (0.25, 2^-60) rounded up
    pshufd xmm7, xmm7, 0x39     ; rotate the dwords
    paddd xmm7, [K(l_one)]      ; dword 0 += 1
%endmacro

; LOOP32 name, macro: 1000 turns with the macro's instructions in the middle,
; then every register, the last turn's FXSAVE image and MXCSR checked.
%macro LOOP32 2
    LOOP_IN
    ldmxcsr [K(mx_ru)]
    mov esi, TURNS
    xor ebp, ebp
    BLKSTART %%top
    LOOP_A
    movd eax, xmm3              ; turn number
    add ebp, eax
    fxsave [FXIMG]
    %2
    LOOP_B
    in al, 0x80
    dec esi
    jnz %%top
    BLKCHK %%top
    stmxcsr [RES]
    REQ esi, 0, {%1, ": 1000 turns"}
    REQ ebp, 500500, {%1, ": MOVD from XMM3 each turn, summed: 500500"}
    XEQ xmm0, 0x408F400000000000, 0x407F400000000000, {%1, ": XMM0 ADDPD m128: (1000, 500)"}
    XEQ xmm1, 0x7E70000000000000, 0x0170000000000000, {%1, ": XMM1 MULPD m128: (2^1000, 2^-1000)"}
    XEQ xmm2, 0x4059000000000112, 0x0123456789ABCDEF, {%1, ": XMM2 ADDSD 0.1 rounded up 1000 times, upper lane kept"}
    XEQ xmm3, 0x000003E8000003E8, 0x0000000000000C18, {%1, ": XMM3 PADDQ"}
    XEQ xmm4, 0xFFFFF830FFFFFC18, 0xFFFFF060FFFFF448, {%1, ": XMM4 PSUBD"}
    XEQ xmm5, 0xC11E8C5000000000, 0xC10E8C5000000000, {%1, ": XMM5 SUBPD of XMM0: (-500500, -250250)"}
    XEQ xmm6, 0x406F400000000000, 0x3FF00000000003E8, {%1, ": XMM6 ADDPD rounded up: (250, 1 + 1000 ulp)"}
    XEQ xmm7, 0x0000011A0000010A, 0x0000013A0000012A, {%1, ": XMM7 PSHUFD and PADDD"}
    MEQ RES, {%1, ": MXCSR round up, PE"}, 0x5FA0
    MEQ FXIMG + 24, {%1, ": last turn's FXSAVE: MXCSR"}, 0x5FA0
    MEQ FXIMG + 160, {%1, ": last turn's FXSAVE: XMM0-3 of turn 1000, XMM4-7 of turn 999"}, \
        0x00000000, 0x408F4000, 0x00000000, 0x407F4000, \
        0x00000000, 0x7E700000, 0x00000000, 0x01700000, \
        0x00000112, 0x40590000, 0x89ABCDEF, 0x01234567, \
        0x000003E8, 0x000003E8, 0x00000C18, 0x00000000, \
        0xFFFFFC19, 0xFFFFF832, 0xFFFFF44B, 0xFFFFF064, \
        0x00000000, 0xC11E7CB0, 0x00000000, 0xC10E7CB0, \
        0x00000000, 0x406F3800, 0x000003E7, 0x3FF00000, \
        0x0000013A, 0x00000109, 0x0000011A, 0x0000012A
    ldmxcsr [K(mx_def)]
%endmacro

%macro MID_A 0                  ; handlers that do not end a block
    pushfd
    pop ecx
%endmacro
%macro MID_B 0                  ; CPUID and POPFD end one
    xor eax, eax
    cpuid
    pushfd
    popfd
%endmacro

t32_loop:
    ; one block that jumps back to its own start; the handlers it calls
    ; (FXSAVE, PUSHFD, IN) are not SSE
    LOOP32 "pm32 f: one-block loop with FXSAVE, PUSHFD, IN", MID_A
    ; the same turn cut into blocks by CPUID and POPFD
    LOOP32 "pm32 f: loop cut into blocks by CPUID and POPFD", MID_B
    ret

; ======================================================================
; g. semantics
; ======================================================================
t32_sem:
    BLKSTART .a
    movdqa xmm0, [K(k_1_h)]
    movdqa xmm1, [K(k_2_h)]
    addsd xmm0, xmm1
    movdqa xmm2, [K(k_5_h)]
    movsd xmm2, xmm1
    movdqa xmm3, [K(k_ones)]
    movsd xmm3, [K(k_5_h)]
    movdqa xmm4, [K(k_ones)]
    movss xmm4, [K(k_f) + 4]
    movdqa xmm6, [K(k_f)]
    movdqa xmm5, [K(k_ones)]
    movss xmm5, xmm6
    movdqa xmm7, [K(k_ones)]
    movq xmm7, xmm0
    BLKCHK .a
    jmp .b
.b:
    XEQ xmm0, 0x4008000000000000, 0xDEADBEEFCAFEF00D, "pm32 g: ADDSD xmm, xmm keeps the upper lane"
    XEQ xmm1, 0x4000000000000000, 0x0123456789ABCDEF, "pm32 g: ADDSD's source unchanged"
    XEQ xmm2, 0x4000000000000000, 0x1122334455667788, "pm32 g: MOVSD xmm, xmm keeps the upper lane"
    XEQ xmm3, 0x4014000000000000, 0, "pm32 g: MOVSD xmm, m64 zeroes the upper lane"
    XEQ xmm4, 0x0000000040200000, 0, "pm32 g: MOVSS xmm, m32 zeroes bits 127:32"
    XEQ xmm5, 0xFFFFFFFF3FC00000, 0xFFFFFFFFFFFFFFFF, "pm32 g: MOVSS xmm, xmm keeps bits 127:32"
    XEQ xmm7, 0x4008000000000000, 0, "pm32 g: MOVQ xmm, xmm zeroes the upper half"

    ldmxcsr [K(mx_def)]
    mov eax, 0x89ABCDEF
    BLKSTART .c
    movdqa xmm0, [K(k_ones)]
    movq xmm0, [K(k_5_h)]
    movdqa xmm1, [K(k_ones)]
    movd xmm1, eax
    movdqa xmm2, [K(k_sq)]      ; (4, 2)
    movdqa xmm3, [K(k_ones)]
    sqrtpd xmm3, xmm2           ; (2, sqrt 2): PE
    movdqa xmm4, [K(k_f)]
    addss xmm4, [K(k_f) + 8]    ; 1.5 + 3.5
    movdqa xmm5, [K(k_1_h)]
    sqrtsd xmm5, xmm2           ; sqrt 4, upper lane kept
    pextrw ecx, xmm3, 7
    movd edx, xmm4
    pextrw ebx, xmm5, 6
    stmxcsr [RES]
    BLKCHK .c
    jmp .d
.d:
    XEQ xmm0, 0x4014000000000000, 0, "pm32 g: MOVQ xmm, m64 zeroes the upper half"
    XEQ xmm1, 0x0000000089ABCDEF, 0, "pm32 g: MOVD xmm, r32 zeroes bits 127:32"
    XEQ xmm3, 0x4000000000000000, 0x3FF6A09E667F3BCD, "pm32 g: SQRTPD (4, 2) = (2, sqrt 2 rounded to nearest)"
    XEQ xmm4, 0x4020000040A00000, 0x4090000040600000, "pm32 g: ADDSS xmm, m32 keeps bits 127:32"
    XEQ xmm5, 0x4000000000000000, 0xDEADBEEFCAFEF00D, "pm32 g: SQRTSD keeps the upper lane"
    REQ ecx, 0x3FF6, "pm32 g: PEXTRW word 7 of the SQRTPD result"
    REQ edx, 0x40A00000, "pm32 g: MOVD r32 of the ADDSS result"
    REQ ebx, 0xBEEF, "pm32 g: PEXTRW word 6 of the SQRTSD result"
    MEQ RES, "pm32 g: SQRTPD of 2 inexact: PE", 0x1FA0

    ldmxcsr [K(mx_def)]
    BLKSTART .e
    movdqa xmm0, [K(k_mn1)]     ; (QNaN a, 2)
    movdqa xmm1, xmm0
    minpd xmm0, [K(k_mn2)]      ; with (3, QNaN b)
    maxpd xmm1, [K(k_mn2)]
    movdqa xmm2, [K(k_pz_nz)]   ; (+0, -0)
    movdqa xmm3, [K(k_nz_pz)]   ; (-0, +0)
    movdqa xmm4, xmm2
    minpd xmm2, xmm3
    maxpd xmm4, xmm3
    movdqa xmm5, [K(k_1_m5)]    ; (1, -5)
    movdqa xmm6, [K(k_sn_m6)]   ; (SNaN, -6)
    movdqa xmm7, xmm5
    minpd xmm5, xmm6
    maxpd xmm7, xmm6
    stmxcsr [RES]
    BLKCHK .e
    jmp .f
.f:
    XEQ xmm0, 0x4008000000000000, 0x7FF8000000000456, "pm32 g: MINPD with a NaN in either operand returns the source"
    XEQ xmm1, 0x4008000000000000, 0x7FF8000000000456, "pm32 g: MAXPD with a NaN in either operand returns the source"
    XEQ xmm2, 0x8000000000000000, 0, "pm32 g: MINPD of zeros returns the source"
    XEQ xmm4, 0x8000000000000000, 0, "pm32 g: MAXPD of zeros returns the source"
    XEQ xmm5, 0x7FF0000000000001, 0xC018000000000000, "pm32 g: MINPD with an SNaN source returns it unquieted"
    XEQ xmm7, 0x7FF0000000000001, 0xC014000000000000, "pm32 g: MAXPD with an SNaN source returns it unquieted"
    MEQ RES, "pm32 g: MINPD/MAXPD with NaNs: IE", 0x1F81

    ldmxcsr [K(mx_def)]
    BLKSTART .g
    movdqa xmm0, [K(k_cx)]      ; (1, QNaN) against (2, 1)
    movdqa xmm1, xmm0
    movdqa xmm2, xmm0
    movdqa xmm3, xmm0
    cmppd xmm0, [K(k_cy)], 0    ; EQ
    cmppd xmm1, [K(k_cy)], 3    ; UNORD
    cmppd xmm2, [K(k_cy)], 4    ; NEQ
    cmppd xmm3, [K(k_cy)], 7    ; ORD
    stmxcsr [RES]
    movdqa xmm4, [K(k_cx)]
    movdqa xmm5, xmm4
    movdqa xmm6, xmm4
    movdqa xmm7, xmm4
    cmppd xmm4, [K(k_cy)], 1    ; LT
    cmppd xmm5, [K(k_cy)], 2    ; LE
    cmppd xmm6, [K(k_cy)], 5    ; NLT
    cmppd xmm7, [K(k_cy)], 6    ; NLE
    stmxcsr [RES + 4]
    BLKCHK .g
    jmp .h
.h:
    XEQ xmm0, 0, 0, "pm32 g: CMPPD EQ (1 vs 2, QNaN vs 1)"
    XEQ xmm1, 0, -1, "pm32 g: CMPPD UNORD"
    XEQ xmm2, -1, -1, "pm32 g: CMPPD NEQ"
    XEQ xmm3, -1, 0, "pm32 g: CMPPD ORD"
    MEQ RES, "pm32 g: CMPPD EQ/UNORD/NEQ/ORD with a QNaN: no IE", 0x1F80
    XEQ xmm4, -1, 0, "pm32 g: CMPPD LT"
    XEQ xmm5, -1, 0, "pm32 g: CMPPD LE"
    XEQ xmm6, 0, -1, "pm32 g: CMPPD NLT"
    XEQ xmm7, 0, -1, "pm32 g: CMPPD NLE"
    MEQ RES + 4, "pm32 g: CMPPD LT/LE/NLT/NLE with a QNaN: IE", 0x1F81

    ldmxcsr [K(mx_def)]
    BLKSTART .i
    movdqa xmm0, [K(k_cp)]      ; (3, 2) against (2, 2)
    movdqa xmm1, xmm0
    movdqa xmm2, xmm0
    movdqa xmm3, xmm0
    cmppd xmm0, [K(k_cq)], 0
    cmppd xmm1, [K(k_cq)], 1
    cmppd xmm2, [K(k_cq)], 2
    cmppd xmm3, [K(k_cq)], 5
    movdqa xmm4, [K(k_1_h)]
    movdqa xmm5, xmm4
    movdqa xmm6, [K(k_cx)]
    cmpsd xmm4, [K(k_2_h)], 2   ; 1 <= 2, upper lane kept
    cmpsd xmm5, [K(k_2_h)], 0   ; 1 == 2
    cmpsd xmm6, xmm6, 0         ; 1 == 1 (the QNaN lane is not compared)
    stmxcsr [RES]
    BLKCHK .i
    jmp .j
.j:
    XEQ xmm0, 0, -1, "pm32 g: CMPPD EQ (3 vs 2, 2 vs 2)"
    XEQ xmm1, 0, 0, "pm32 g: CMPPD LT"
    XEQ xmm2, 0, -1, "pm32 g: CMPPD LE"
    XEQ xmm3, -1, -1, "pm32 g: CMPPD NLT"
    XEQ xmm4, -1, 0xDEADBEEFCAFEF00D, "pm32 g: CMPSD LE keeps the upper lane"
    XEQ xmm5, 0, 0xDEADBEEFCAFEF00D, "pm32 g: CMPSD EQ false"
    XEQ xmm6, -1, 0x7FF8000000000000, "pm32 g: CMPSD EQ of a register with itself, QNaN upper lane kept"
    MEQ RES, "pm32 g: CMPPD/CMPSD without NaN operands: no flag", 0x1F80

    BLKSTART .k
    movdqa xmm0, [K(k_s12)]     ; (1111h.., 2222h..)
    movdqa xmm1, [K(k_s34)]     ; (3333h.., 4444h..)
    movdqa xmm2, xmm0
    shufpd xmm2, xmm1, 0
    movdqa xmm3, xmm0
    shufpd xmm3, xmm1, 1
    movdqa xmm4, xmm0
    shufpd xmm4, xmm1, 2
    movdqa xmm5, xmm0
    shufpd xmm5, xmm1, 3
    movdqa xmm6, xmm0
    unpckhpd xmm6, xmm1
    movdqa xmm7, xmm0
    unpcklpd xmm7, xmm1
    shufpd xmm0, xmm0, 1        ; swap the lanes in place
    BLKCHK .k
    jmp .l
.l:
    XEQ xmm2, 0x1111111111111111, 0x3333333333333333, "pm32 g: SHUFPD 0"
    XEQ xmm3, 0x2222222222222222, 0x3333333333333333, "pm32 g: SHUFPD 1"
    XEQ xmm4, 0x1111111111111111, 0x4444444444444444, "pm32 g: SHUFPD 2"
    XEQ xmm5, 0x2222222222222222, 0x4444444444444444, "pm32 g: SHUFPD 3"
    XEQ xmm6, 0x2222222222222222, 0x4444444444444444, "pm32 g: UNPCKHPD"
    XEQ xmm7, 0x1111111111111111, 0x3333333333333333, "pm32 g: UNPCKLPD"
    XEQ xmm0, 0x2222222222222222, 0x1111111111111111, "pm32 g: SHUFPD of a register with itself"

    BLKSTART .m
    movdqa xmm0, [K(k_pq1)]     ; (-1, 7FFF..FFh)
    paddq xmm0, [K(k_pq2)]      ; + (1, 1)
    movdqa xmm1, [K(k_pd1)]
    psubd xmm1, [K(k_pd2)]
    movdqa xmm2, [K(k_la)]
    movdqa xmm3, xmm2
    movdqa xmm4, xmm2
    pxor xmm2, [K(k_lb)]
    pand xmm3, [K(k_lb)]
    andnpd xmm4, [K(k_lb)]
    movdqa xmm5, [K(k_lb)]
    pxor xmm5, xmm5
    movdqa xmm6, [K(k_la)]
    movdqa xmm7, [K(k_lb)]
    pand xmm6, xmm7
    pxor xmm7, xmm6
    BLKCHK .m
    jmp .n
.n:
    XEQ xmm0, 0, 0x8000000000000000, "pm32 g: PADDQ: lane 0 wraps, no carry into lane 1"
    XEQ xmm1, 0x00000003FFFFFFFF, 0xFFFFFFFF7FFFFFFF, "pm32 g: PSUBD"
    XEQ xmm2, 0x0FF00FF00FF00FF0, 0x0FF00FF00FF00FF0, "pm32 g: PXOR m128"
    XEQ xmm3, 0x000F000F000F000F, 0xF000F000F000F000, "pm32 g: PAND m128"
    XEQ xmm4, 0x0F000F000F000F00, 0x0F000F000F000F00, "pm32 g: ANDNPD m128"
    XEQ xmm5, 0, 0, "pm32 g: PXOR of a register with itself"
    XEQ xmm7, 0x0F000F000F000F00, 0x0F000F000F000F00, "pm32 g: PAND then PXOR of registers"
    ret

; ======================================================================
; 16-bit protected mode, real mode, long mode
; ======================================================================
bits 16
pm16_back:
    mov ax, X_DATA16
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov eax, cr0
    and al, 0xFE
    mov cr0, eax
    jmp 0xF000:rm_back
rm_back:
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov sp, 0x7C00
    o32 lidt [cs:rm_idtr]
    LM_ENTER
    call t64_all
    mov eax, [QDCNT]
    test eax, eax
    jz .fin
    PUTS64 `note: checks where QEMU departs from the SDM printed qemu-departs\n`
.fin:
    FINISH64

; ======================================================================
; 64-bit mode
; ======================================================================
t64_all:
    mov rax, cr0
    and eax, ~0x0C              ; EM=0 TS=0
    or eax, 0x22
    mov cr0, rax
    mov rax, cr4
    or eax, 0x600               ; OSFXSR OSXMMEXCPT
    mov cr4, rax
    ldmxcsr [rel mx_def]
    call t64_flags
    call t64_loop
    call t64_faults
    ret

; ---- flags and rounding in one block, XMM8-15, RIP-relative operands ----
t64_flags:
    movdqa xmm8, [rel k_1_h]
    movdqa xmm9, [rel k_t60]
    movdqa xmm10, [rel k_1_1]
    movdqa xmm11, [rel k_4_0]
    movdqa xmm12, [rel k_pm1]
    movdqa xmm13, [rel k_pmb]
    ldmxcsr [rel mx_all]        ; every flag set before the block
    BLKSTART .b
    ldmxcsr [rel mx_def]
    addsd xmm8, xmm9            ; PE
    divpd xmm10, xmm11          ; ZE
    stmxcsr [RES]
    ldmxcsr [rel mx_rd]
    movapd xmm14, xmm12
    addpd xmm14, xmm13
    ldmxcsr [rel mx_ru]
    movapd xmm15, xmm12
    addpd xmm15, [rel k_pmb]
    cvtsd2si r9, [rel k_25]
    movq r10, xmm15
    pextrw r11d, xmm14, 7
    stmxcsr [RES + 4]
    BLKCHK .b
    jmp .c
.c:
    MEQ RES, "lm64 h: ADDSD inexact, DIVPD by zero (XMM8-11) in one block: STMXCSR has PE ZE", 0x1FA4
    XEQ xmm8, 0x3FF0000000000000, 0xDEADBEEFCAFEF00D, "lm64 h: ADDSD xmm8, xmm9: 1, upper lane kept"
    XEQ xmm10, 0x3FD0000000000000, 0x7FF0000000000000, "lm64 h: DIVPD xmm10, xmm11: (0.25, +inf)"
    XEQ xmm14, 0x3FF0000000000000, 0xBFF0000000000001, "lm64 h: LDMXCSR round down, ADDPD xmm14, xmm13 in the same block"
    XEQ xmm15, 0x3FF0000000000001, 0xBFF0000000000000, "lm64 h: LDMXCSR round up, ADDPD xmm15, [rip + k] in the same block"
    EXPECT64 r9, 3, "lm64 h: CVTSD2SI r64, [rip + k]: 2.5 rounded up is 3"
    EXPECT64 r10, 0x3FF0000000000001, "lm64 h: MOVQ r64, xmm15"
    EXPECT64 r11, 0xBFF0, "lm64 h: PEXTRW r32, xmm14, 7"
    MEQ RES + 4, "lm64 h: MXCSR round up, PE", 0x5FA0
    ldmxcsr [rel mx_def]
    ret

; ---- a hot loop over all sixteen XMM registers ----
; LOOP64 name, macro: as LOOP32, XMM8-15 too
%macro LOOP64 2
    LOOP_IN
    pxor xmm8, xmm8
    movdqa xmm9, [rel k_1_1]
    pxor xmm10, xmm10
    pxor xmm11, xmm11
    pxor xmm12, xmm12
    movdqa xmm13, [rel k_1_h]
    pxor xmm14, xmm14
    movdqa xmm15, [rel k_0_h]
    ldmxcsr [rel mx_ru]
    mov r15d, TURNS
    xor ebp, ebp
    BLKSTART %%top
    LOOP_A
    addpd xmm8, xmm0            ; += XMM0
    mulpd xmm9, [rel l_mul2]    ; *= (0.5, 2)
    psubq xmm10, xmm3           ; -= XMM3
    pxor xmm11, xmm4            ; ^= XMM4 (of the last turn)
    movq rax, xmm3
    add rbp, rax
    fxsave [FXIMG]
    %2
    LOOP_B
    paddw xmm12, [rel l_incw]   ; += words 1..8
    sqrtsd xmm13, xmm0          ; sqrt of the turn number, rounded up
    paddd xmm14, xmm7           ; += XMM7
    subsd xmm15, xmm6           ; -= XMM6's lane 0
    in al, 0x80
    dec r15d
    jnz %%top
    BLKCHK %%top
    stmxcsr [RES]
    EXPECT64 r15, 0, {%1, ": 1000 turns"}
    EXPECT64 rbp, 0x0007A3140007A314, {%1, ": MOVQ from XMM3 each turn, summed"}
    XEQ xmm0, 0x408F400000000000, 0x407F400000000000, {%1, ": XMM0 ADDPD m128: (1000, 500)"}
    XEQ xmm1, 0x7E70000000000000, 0x0170000000000000, {%1, ": XMM1 MULPD m128: (2^1000, 2^-1000)"}
    XEQ xmm2, 0x4059000000000112, 0x0123456789ABCDEF, {%1, ": XMM2 ADDSD 0.1 rounded up 1000 times"}
    XEQ xmm3, 0x000003E8000003E8, 0x0000000000000C18, {%1, ": XMM3 PADDQ"}
    XEQ xmm4, 0xFFFFF830FFFFFC18, 0xFFFFF060FFFFF448, {%1, ": XMM4 PSUBD"}
    XEQ xmm5, 0xC11E8C5000000000, 0xC10E8C5000000000, {%1, ": XMM5 SUBPD of XMM0"}
    XEQ xmm6, 0x406F400000000000, 0x3FF00000000003E8, {%1, ": XMM6 ADDPD rounded up"}
    XEQ xmm7, 0x0000011A0000010A, 0x0000013A0000012A, {%1, ": XMM7 PSHUFD and PADDD"}
    XEQ xmm8, 0x411E8C5000000000, 0x410E8C5000000000, {%1, ": XMM8 ADDPD of XMM0: (500500, 250250)"}
    XEQ xmm9, 0x0170000000000000, 0x7E70000000000000, {%1, ": XMM9 MULPD [rip + k]: (2^-1000, 2^1000)"}
    XEQ xmm10, 0xFFF85CEBFFF85CEC, 0xFFFFFFFFFFC92314, {%1, ": XMM10 PSUBQ of XMM3"}
    XEQ xmm11, 0xFFFFF830FFFFFC18, 0xFFFFF060FFFFF070, {%1, ": XMM11 PXOR of XMM4"}
    XEQ xmm12, 0x0FA00BB807D003E8, 0x1F401B5817701388, {%1, ": XMM12 PADDW [rip + k]"}
    XEQ xmm13, 0x403F9F6E4990F228, 0xDEADBEEFCAFEF00D, {%1, ": XMM13 SQRTSD of 1000 rounded up, upper lane kept"}
    XEQ xmm14, 0x0002838E0002867C, 0x0002858200028488, {%1, ": XMM14 PADDD of XMM7"}
    XEQ xmm15, 0xC0FE8C5000000000, 0x0123456789ABCDEF, {%1, ": XMM15 SUBSD of XMM6: -125125, upper lane kept"}
    MEQ RES, {%1, ": MXCSR round up, PE"}, 0x5FA0
    MEQ FXIMG + 160, {%1, ": last turn's FXSAVE: XMM0-3 and 8-11 of turn 1000, XMM4-7 and 12-15 of turn 999"}, \
        0x00000000, 0x408F4000, 0x00000000, 0x407F4000, \
        0x00000000, 0x7E700000, 0x00000000, 0x01700000, \
        0x00000112, 0x40590000, 0x89ABCDEF, 0x01234567, \
        0x000003E8, 0x000003E8, 0x00000C18, 0x00000000, \
        0xFFFFFC19, 0xFFFFF832, 0xFFFFF44B, 0xFFFFF064, \
        0x00000000, 0xC11E7CB0, 0x00000000, 0xC10E7CB0, \
        0x00000000, 0x406F3800, 0x000003E7, 0x3FF00000, \
        0x0000013A, 0x00000109, 0x0000011A, 0x0000012A, \
        0x00000000, 0x411E8C50, 0x00000000, 0x410E8C50, \
        0x00000000, 0x01700000, 0x00000000, 0x7E700000, \
        0xFFF85CEC, 0xFFF85CEB, 0xFFC92314, 0xFFFFFFFF, \
        0xFFFFFC18, 0xFFFFF830, 0xFFFFF070, 0xFFFFF060, \
        0x07CE03E7, 0x0F9C0BB5, 0x176A1383, 0x1F381B51, \
        0xD0237251, 0x403F9B61, 0xCAFEF00D, 0xDEADBEEF, \
        0x00028572, 0x00028274, 0x0002835E, 0x00028448, \
        0x00000000, 0xC0FE7CB0, 0x89ABCDEF, 0x01234567
    ldmxcsr [rel mx_def]
%endmacro

%macro MID64_A 0
    pushfq
    pop rcx
%endmacro
%macro MID64_B 0
    xor eax, eax
    cpuid
    pushfq
    popfq
%endmacro

t64_loop:
    LOOP64 "lm64 h: one-block loop with FXSAVE, PUSHFQ, IN", MID64_A
    LOOP64 "lm64 h: loop cut into blocks by CPUID and POPFQ", MID64_B
    ret

; ---- faults ----
;   F64BEGIN / F64AT / F64END vector, code, "name": as FBEGIN/FAT/FEND,
; with lm.inc's handler (it keeps every register but RSP); F64END
; clobbers RAX.
%macro F64BEGIN 0
    %push f64
    lea rax, [rel %$res]
    mov [EXC_RESUME], rax
    mov [EXC_RESUME_RSP], rsp
    mov qword [EXC_VEC], -1
    mov qword [EXC_CODE], -1
    mov qword [EXC_RIP], -1
    mov qword [EXC_COUNT], 0
    mov edx, 0x600D
    BLKSTART %$blk
%endmacro
%macro F64AT 0
%$f:
%endmacro
%macro F64END 3
    mov edx, 0xBAD
    BLKCHK %$blk
%$res:
    mov qword [EXC_RESUME], 0
    mov rax, [EXC_VEC]
    mov [CBUF + 0x40], eax
    mov rax, [EXC_CODE]
    mov [CBUF + 0x44], eax
    mov rax, [EXC_RIP]
    mov [CBUF + 0x48], eax
    mov rax, [EXC_COUNT]
    mov [CBUF + 0x4C], eax
    mov [CBUF + 0x50], edx
    MEQ CBUF + 0x40, {%3, ": vector, code, RIP, once, nothing after it ran"}, %1, %2, LIN(%$f), 1, 0x600D
    %pop
%endmacro

t64_faults:
    mov qword [PT_BASE + (HOLE >> 12) * 8], 0   ; HOLE not present
    invlpg [HOLE]
    mov rax, 0xB7B6B5B4B3B2B1B0
    mov [HOLE - 16], rax
    mov rax, 0xBFBEBDBCBBBAB9B8
    mov [HOLE - 8], rax
    mov rax, 0x8786858483828180
    mov [BUF], rax
    mov rax, 0x8F8E8D8C8B8A8988
    mov [BUF + 8], rax
    movdqa xmm8, [rel k_1_2]
    movdqa xmm9, [rel k_qa]
    movdqa xmm11, [rel k_qa]
    movdqa xmm12, [rel k_qb]
    movdqa xmm13, [rel k_3_4]

    F64BEGIN
    addpd xmm13, xmm8
    F64AT
    movaps xmm9, [rel kbase + 8]
    F64END 13, 0, "lm64 h: ADDPD, then MOVAPS xmm9, [rip + 16n + 8]: #GP(0)"
    XEQ xmm9, 0x1111111111111111, 0, "lm64 h: misaligned MOVAPS: xmm9 unchanged"
    XEQ xmm13, 0x4010000000000000, 0x4018000000000000, "lm64 h: the ADDPD xmm13 before it retired"
    F64BEGIN
    F64AT
    movdqa [BUF + 4], xmm12
    F64END 13, 0, "lm64 h: MOVDQA [16n + 4], xmm12: #GP(0)"
    F64BEGIN
    F64AT
    addpd xmm13, [rsp + 1]
    F64END 13, 0, "lm64 h: ADDPD xmm13, [rsp + 1]: #GP(0)"
    MEQ BUF, "lm64 h: the misaligned store wrote nothing", 0x83828180, 0x87868584, 0x8B8A8988, 0x8F8E8D8C
    XEQ xmm13, 0x4010000000000000, 0x4018000000000000, "lm64 h: misaligned ADDPD: xmm13 unchanged"

    ldmxcsr [rel mx_def]
    F64BEGIN
    addsd xmm8, [rel k_t60]     ; PE
    F64AT
    movdqu xmm11, [HOLE - 8]
    F64END 14, 0, "lm64 h: ADDSD, then MOVDQU xmm11, [HOLE - 8]: #PF(0)"
    EXPECT64 [EXC_CR2], HOLE, "lm64 h: MOVDQU load: CR2 = HOLE"
    XEQ xmm11, 0x1111111111111111, 0, "lm64 h: MOVDQU load into HOLE: xmm11 unchanged"
    MXEQ 0x1FA0, "lm64 h: #PF after ADDSD: MXCSR keeps PE"
    F64BEGIN
    F64AT
    movdqu [HOLE - 8], xmm12
    F64END 14, 2, "lm64 h: MOVDQU [HOLE - 8], xmm12: #PF(W)"
    EXPECT64 [EXC_CR2], HOLE, "lm64 h: MOVDQU store: CR2 = HOLE"
    QD_BEGIN
    MEQ HOLE - 16, "lm64 h: split MOVDQU store: nothing written in the present page", 0xB3B2B1B0, 0xB7B6B5B4, 0xBBBAB9B8, 0xBFBEBDBC
    QD_END

    ; #XM
    movdqa xmm12, [rel k_6_1]
    movdqa xmm13, [rel k_3_0]
    movdqa xmm14, [rel k_1_1]
    mov r8d, 0x11111111
    QD_BEGIN
    F64BEGIN
    ldmxcsr [rel mx_zm0]
    addpd xmm14, [rel k_t60]    ; PE
    mov r8d, 0x12345678
    F64AT
    divpd xmm12, xmm13          ; (6/3, 1/0)
    mov r8d, 0xBAD
    pxor xmm14, xmm14
    F64END 19, -1, "lm64 h: LDMXCSR ZM=0, ADDPD, DIVPD xmm12, xmm13 (6/3, 1/0): #XM"
    XEQ xmm12, 0x4018000000000000, 0x3FF0000000000000, "lm64 h: #XM: xmm12 unchanged"
    REQ r8d, 0x12345678, "lm64 h: #XM: the MOV before it retired, nothing after it ran"
    XEQ xmm14, 0x3FF0000000000000, 0x3FF0000000000000, "lm64 h: #XM: the ADDPD before it retired, nothing after it ran"
    QD_END
    MXEQ 0x1DA4, "lm64 h: #XM: MXCSR PE and ZE"
    ldmxcsr [rel mx_def]

    ; #NM: CR0.TS=1, a handler that does CLTS and returns
    SET_GATE64 7, nm64, 0x8E, 0
    mov qword [N_CNT], 0
    movdqa xmm8, [rel k_1_2]
    movdqa xmm15, [rel k_3_4]
    mov rax, cr0
    or eax, 8
    mov cr0, rax
    BLKSTART .nm
    mov r9d, 0x11
.nmf:
    addpd xmm15, xmm8
    mulpd xmm8, xmm8
    mov r10d, 0x22
    BLKCHK .nm
    jmp .nm2
.nm2:
    EXPECT64 [N_CNT], 1, "lm64 h: CR0.TS=1: one #NM"
    lea rax, [rel .nmf]
    EXPECT64 [N_RIP], rax, "lm64 h: CR0.TS=1: #NM at the first SSE instruction"
    XEQ xmm15, 0x4010000000000000, 0x4018000000000000, "lm64 h: ADDPD xmm15, xmm8 re-run after #NM"
    XEQ xmm8, 0x3FF0000000000000, 0x4010000000000000, "lm64 h: the MULPD xmm8 after it"
    EXPECT64 r10, 0x22, "lm64 h: the MOV after it"
    mov rax, cr0
    and eax, 8
    EXPECT64 rax, 0, "lm64 h: CR0.TS clear after the handler's CLTS"
    SET_GATE64 7, lm_stubs + 7 * 16, 0x8E, 0
    ret

nm64:                           ; #NM: CLTS, count, back to the instruction
    clts
    inc qword [N_CNT]
    push rax
    mov rax, [rsp + 8]
    mov [N_RIP], rax
    pop rax
    iretq

; ======================================================================
; library
; ======================================================================
bits 32
chk32:                          ; ZF = pass, CS:ESI = name (prefix added)
    jmp lm_check32

qcheck32:                       ; the same; a failure under QEMU departs
    jz chk32
    cmp byte [QFLAG], 0
    jne .qd
    cmp esp, 0                  ; ZF=0 again: a failure
    jmp chk32
.qd:
    pushfd
    push esi
    mov esi, s_qd
    call lm_puts32
    pop esi
    call lm_puts32
    push eax
    mov al, 10
    out DEBUGCON_PORT, al
    pop eax
    inc dword [QDCNT]
    popfd
    ret

; ESI actual, EDI expected (flat), ECX bytes -> ZF=1 when equal; else
; prints both, highest byte first
xcmp32:
    push eax
    push ebx
    xor ebx, ebx
.l:
    mov al, [esi + ebx]
    cmp al, [edi + ebx]
    jne .diff
    inc ebx
    cmp ebx, ecx
    jb .l
    pop ebx
    pop eax
    cmp eax, eax
    ret
.diff:
    push esi
    mov esi, s_got
    call lm_puts32
    pop esi
    call dump32
    push esi
    mov esi, s_want
    call lm_puts32
    mov esi, edi
    call dump32
    pop esi
    mov al, 10
    out DEBUGCON_PORT, al
    pop ebx
    pop eax
    cmp esp, 0                  ; ZF=0
    ret

dump32:                         ; ECX bytes at flat ESI, highest first
    push eax
    push ebx
    mov ebx, ecx
.l:
    dec ebx
    mov al, [esi + ebx]
    call hex8
    test ebx, 3
    jnz .n
    test ebx, ebx
    jz .n
    mov al, ' '
    out DEBUGCON_PORT, al
.n:
    test ebx, ebx
    jnz .l
    pop ebx
    pop eax
    ret

hex8:                           ; AL -> 2 hex digits (CS-independent)
    push eax
    shr al, 4
    call .nib
    mov al, [esp]
    and al, 0x0F
    call .nib
    pop eax
    ret
.nib:
    add al, '0'
    cmp al, '9'
    jbe .d
    add al, 'a' - '0' - 10
.d:
    out DEBUGCON_PORT, al
    ret

hex32:                          ; EAX -> 8 hex digits
    pushad
    mov ebx, eax
    mov ecx, 4
.l:
    rol ebx, 8
    mov al, bl
    call hex8
    loop .l
    popad
    ret

; Exception stubs for 32-bit protected mode, 16 bytes each.
align 16
xstubs:
%assign n 0
%rep 32
%if n == 8 || (n >= 10 && n <= 14) || n == 17
    push byte n
%else
    push byte -1
    push byte n
%endif
    jmp xhandler
    times (n + 1) * 16 - ($ - xstubs) db 0xCC
%assign n n + 1
%endrep

; [esp] vector, +4 error code, +8 EIP, +12 CS, +16 EFLAGS. Records them
; and CR2; #NM with X_RETRY set: CLTS and back to the instruction; else
; resume at X_RESUME (one shot) or end the test. Keeps every register.
xhandler:
    push eax
    mov eax, [esp + 4]
    mov [X_VEC], eax
    mov eax, [esp + 8]
    mov [X_ERR], eax
    mov eax, [esp + 12]
    mov [X_EIP], eax
    mov eax, cr2
    mov [X_CR2], eax
    inc dword [X_CNT]
    cmp dword [X_VEC], 7
    jne .res
    cmp dword [X_RETRY], 0
    je .res
    clts
    jmp .ret
.res:
    mov eax, [X_RESUME]
    test eax, eax
    jz .fatal
    mov dword [X_RESUME], 0
    mov [esp + 12], eax
.ret:
    pop eax
    add esp, 8
    iretd
.fatal:
    mov esi, s_unexp
    call lm_puts32
    mov eax, [X_VEC]
    call hex32
    mov esi, s_code
    call lm_puts32
    mov eax, [X_ERR]
    call hex32
    mov esi, s_at
    call lm_puts32
    mov eax, [X_EIP]
    call hex32
    mov al, 10
    out DEBUGCON_PORT, al
    mov al, 1
    out EXIT_PORT, al
    hlt

bits 64
chk64:
    jmp lm_check64

qcheck64:
    jz chk64
    cmp byte [QFLAG], 0
    jne .qd
    cmp rsp, 0                  ; ZF=0 again: a failure
    jmp chk64
.qd:
    pushfq
    push rsi
    lea rsi, [rel s_qd]
    call lm_puts64
    pop rsi
    call lm_puts64
    push rax
    mov al, 10
    out DEBUGCON_PORT, al
    pop rax
    inc dword [QDCNT]
    popfq
    ret

xcmp64:                         ; RSI actual, RDI expected, RCX bytes
    push rax
    push rbx
    xor ebx, ebx
.l:
    mov al, [rsi + rbx]
    cmp al, [rdi + rbx]
    jne .diff
    inc ebx
    cmp ebx, ecx
    jb .l
    pop rbx
    pop rax
    cmp eax, eax
    ret
.diff:
    push rsi
    lea rsi, [rel s_got]
    call lm_puts64
    pop rsi
    call dump64
    push rsi
    lea rsi, [rel s_want]
    call lm_puts64
    mov rsi, rdi
    call dump64
    pop rsi
    mov al, 10
    out DEBUGCON_PORT, al
    pop rbx
    pop rax
    cmp rsp, 0
    ret

dump64:
    push rax
    push rbx
    mov ebx, ecx
.l:
    dec ebx
    mov al, [rsi + rbx]
    call hex8_64
    test ebx, 3
    jnz .n
    test ebx, ebx
    jz .n
    mov al, ' '
    out DEBUGCON_PORT, al
.n:
    test ebx, ebx
    jnz .l
    pop rbx
    pop rax
    ret

hex8_64:
    push rax
    shr al, 4
    call .nib
    mov al, [rsp]
    and al, 0x0F
    call .nib
    pop rax
    ret
.nib:
    add al, '0'
    cmp al, '9'
    jbe .d
    add al, 'a' - '0' - 10
.d:
    out DEBUGCON_PORT, al
    ret

; ======================================================================
; data
; ======================================================================
s_got:    db "  got ", 0
s_want:   db " want ", 0
s_qd:     db "qemu-departs ", 0
s_unexp:  db "FAIL unexpected exception ", 0
s_code:   db " code ", 0
s_at:     db " at ", 0

xgdt:
    DESC 0xF0000, 0xFFFF, 0x9B, 0x0         ; X_CODE16
    DESC 0, 0xFFFF, 0x93, 0x0               ; X_DATA16
xgdt_end:

xidtr:  dw 32 * 8 - 1
        dd LIDT_BASE
rm_idtr: dw 0x3FF
        dd 0

; The constants, copied to KDATA (K(label) is the copy's address).
%macro KQ 3
    align 16
%1: dq %2, %3
%endmacro
    align 16
kbase:
KQ k_ones,   -1, -1
KQ k_zero,   0, 0
KQ k_1_h,    0x3FF0000000000000, 0xDEADBEEFCAFEF00D
KQ k_2_h,    0x4000000000000000, 0x0123456789ABCDEF
KQ k_5_h,    0x4014000000000000, 0x1122334455667788
KQ k_f,      0x402000003FC00000, 0x4090000040600000     ; 1.5 2.5 3.5 4.5 (float)
KQ k_t60,    0x3C30000000000000, 0x3C30000000000000     ; 2^-60
KQ k_1_1,    0x3FF0000000000000, 0x3FF0000000000000
KQ k_4_0,    0x4010000000000000, 0
KQ k_3_h,    0x4008000000000000, 0x5555AAAA5555AAAA
KQ k_max_1,  0x7FEFFFFFFFFFFFFF, 0x3FF0000000000000
KQ k_9_h,    0x4022000000000000, 0x0F0E0D0C0B0A0908
KQ k_pm1,    0x3FF0000000000000, 0xBFF0000000000000     ; (1, -1)
KQ k_pmb,    0x3CA0200000000000, 0xBCA0200000000000     ; (b, -b), b = 2^-53 + 2^-60
KQ k_f1,     0x111111113F800000, 0x3333333322222222     ; 1.0f and patterns
KQ k_f3,     0x0000000040400000, 0                      ; 3.0f
KQ k_25,     0x4004000000000000, 0                      ; 2.5
KQ k_m25,    0xC004000000000000, 0                      ; -2.5
KQ k_tiny,   0x0170000000000000, 0x0170000000000000     ; 2^-1000
KQ k_tinym,  0x3E10000000000000, 0x4090000000000000     ; (2^-30, 2^10)
KQ k_den,    0x0000000000000001, 0x3FF0000000000000     ; (2^-1074, 1)
KQ k_p100,   0x4630000000000000, 0x4630000000000000     ; 2^100
KQ k_6_1,    0x4018000000000000, 0x3FF0000000000000
KQ k_3_0,    0x4008000000000000, 0
KQ k_qa,     0x1111111111111111, 0
KQ k_qb,     0x2222222222222222, 0
KQ k_3e9,    0x41E65A0BC0000000, 0x0123456789ABCDEF     ; 3e9
KQ k_1_2,    0x3FF0000000000000, 0x4000000000000000
KQ k_3_4,    0x4008000000000000, 0x4010000000000000
KQ k_2_2,    0x4000000000000000, 0x4000000000000000
KQ k_half_q, 0x3FE0000000000000, 0x3FD0000000000000     ; (0.5, 0.25)
KQ k_0_h,    0, 0x0123456789ABCDEF
KQ k_q3,     0, 0x1000
KQ k_0_1,    0, 0x3FF0000000000000
KQ k_d7,     0x0000002000000010, 0x0000004000000030
KQ l_inc,    0x3FF0000000000000, 0x3FE0000000000000     ; (1, 0.5)
KQ l_mul,    0x4000000000000000, 0x3FE0000000000000     ; (2, 0.5)
KQ l_tenth,  0x3FB999999999999A, 0                      ; 0.1
KQ l_incq,   0x0000000100000001, 0xFFFFFFFFFFFFFFFF
KQ l_decd,   0x0000000200000001, 0x0000000400000003
KQ l_e,      0x3FD0000000000000, 0x3C30000000000000     ; (0.25, 2^-60)
KQ l_one,    1, 0
KQ l_mul2,   0x3FE0000000000000, 0x4000000000000000     ; (0.5, 2)
KQ l_incw,   0x0004000300020001, 0x0008000700060005     ; words 1..8
KQ k_third,  0x3FD5555555555555, 0                      ; 1/3
KQ k_7_2,    0x0000000200000007, 0                      ; dwords 7, 2
KQ k_sq,     0x4010000000000000, 0x4000000000000000     ; (4, 2)
KQ k_mn1,    0x7FF8000000000123, 0x4000000000000000     ; (QNaN a, 2)
KQ k_mn2,    0x4008000000000000, 0x7FF8000000000456     ; (3, QNaN b)
KQ k_pz_nz,  0, 0x8000000000000000
KQ k_nz_pz,  0x8000000000000000, 0
KQ k_1_m5,   0x3FF0000000000000, 0xC014000000000000     ; (1, -5)
KQ k_sn_m6,  0x7FF0000000000001, 0xC018000000000000     ; (SNaN, -6)
KQ k_cx,     0x3FF0000000000000, 0x7FF8000000000000     ; (1, QNaN)
KQ k_cy,     0x4000000000000000, 0x3FF0000000000000     ; (2, 1)
KQ k_cp,     0x4008000000000000, 0x4000000000000000     ; (3, 2)
KQ k_cq,     0x4000000000000000, 0x4000000000000000     ; (2, 2)
KQ k_s12,    0x1111111111111111, 0x2222222222222222
KQ k_s34,    0x3333333333333333, 0x4444444444444444
KQ k_pq1,    0xFFFFFFFFFFFFFFFF, 0x7FFFFFFFFFFFFFFF
KQ k_pq2,    1, 1
KQ k_pd1,    0x0000000500000000, 0x0000000180000000     ; dwords 0 5 80000000h 1
KQ k_pd2,    0x0000000200000001, 0x0000000200000001     ; dwords 1 2 1 2
KQ k_la,     0x00FF00FF00FF00FF, 0xF0F0F0F0F0F0F0F0
KQ k_lb,     0x0F0F0F0F0F0F0F0F, 0xFF00FF00FF00FF00
mx_def:  dd 0x1F80
mx_rn:   dd 0x1F80
mx_rd:   dd 0x3F80
mx_ru:   dd 0x5F80
mx_rz:   dd 0x7F80
mx_ftz:  dd 0x9F80
mx_daz:  dd 0x1FC0
mx_rzfd: dd 0xFFC0                 ; toward zero, FTZ, DAZ
mx_all:  dd 0x1FBF
mx_zm0:  dd 0x1D80
mx_im0:  dd 0x1F00
    align 16
kend:

    LM_LIB
ROM_END
