; jit_x87.asm — x87 in translated blocks and hot loops, written for a
; recompiler that runs guest x87 instructions on the host FPU with the
; guest's whole x87 state loaded into it across a block and stored back at
; handler calls, slow paths, exits and (resident across) loop back-edges.
; Every check is an exact bit pattern from the SDM (vol. 1 ch. 8 and 9.5,
; 4.8.3, 4.9; vol. 2 the instruction pages; vol. 3 6.15, 12.2), or from
; running the same sequence on a host x87 where the SDM defines the result
; but not its bits (rounded values, the loops). C0-C3 are masked where the
; last instruction leaves them undefined. Each sequence under test has no
; branch in it and no 4 KiB page boundary (BLKSTART), so it is one block.
;
; 32-bit protected mode, 4 KiB paging, flat CS (blocks chained, loops in
; one block) and a CS with a base (not chained):
;  1. stack state: pushes and pops wrapping TOP past 0 and 7, FXCH, FFREE,
;     FDECSTP/FINCSTP, loads of every tag class, FXAM of an unsupported and
;     an empty register; FNSTENV (FCW, FSW, full tag word, FIP, FOP) and
;     the FNSAVE registers after the block, also with CPUID, FNSTENV,
;     FNSAVE+FRSTOR or IN in the middle; an x87 instruction across a page.
;  2. masked stack faults (overflow IE SF C1=1, underflow C1=0, the
;     indefinites pushed and stored, FXCH and FCOM of empty registers); FST
;     to an empty register; sticky PE ZE DE OE UE IE with C1 after each.
;  3. RN/RD/RU/RZ and single/double/extended precision by FLDCW mid-block
;     and between blocks (FDIV, FSQRT, FADD of a tie); FRSTOR and FXRSTOR of
;     another state mid-block.
;  4. every memory format in and out (FISTP/FBSTP out of range: the
;     indefinites and IE; FISTTP with SSE3), arithmetic and compares with
;     m32fp/m64fp/m16int/m32int; #PF on a page not present (CR2, error
;     code, the state exactly as before: TOP, tags, registers, FIP/FOP/FDP
;     of the instruction before, since the faulting one did not execute:
;     vol. 1 8.1.8); stores into the running code; a store to a read-only
;     page; a segment limit; m80/m64/m32 operands across pages, TLB cold
;     and warm.
;  5. FIP (pointing at prefixes), FCS, FOP, FDP, FDS after each kind of
;     instruction (FS with a base, A16, control instructions that keep
;     them, FINCSTP and FNOP that do not), FNSTENV and FXSAVE; FCS after
;     FNINIT/FLDENV/FXRSTOR in the block; DS with a base. FDP after a
;     register form is undefined in the SDM; the P6 model keeps it and so
;     is checked here.
;  6. unmasked #Z: FLDCW ZM=0 and FDIV x/0 in a block, #MF at the next
;     waiting instruction (FLD1, FWAIT, FADD) with its EIP, the handler's
;     FNSTENV, the destination kept; FNSTSW AX with ES pending; #NM for
;     CR0.TS (also set by LMSW mid-block; FWAIT with MP) and CR0.EM.
;  7. FCOMI/FUCOMI(P) with SETcc, PUSHFD (ZF PF CF; OF SF AF cleared) and
;     JA/JB/JE/JP right after it (the branch ending the block), FCMOVcc;
;     FCOM + FNSTSW AX + SAHF/TEST + Jcc; FXAM of every class, FTST.
;  8. 1000-turn loops over all eight registers (rotated by FINCSTP) with
;     memory operands, a pop and a push, round up: alone, with IN, FNSTENV,
;     CPUID, FLDCW (RU / RD with ZM clear) in the body or at its end, with
;     ADDSD/FCOM/CVTSD2SI, through a CS with a base; a loop on FCOMI + JA;
;     a loop taking timer interrupts whose handler uses the FPU.
;  9. MMX: MOVQ (TOP 0, tags from the contents, exponent all ones), EMMS,
;     MMX then x87 in one block without EMMS (overflow), x87 then MOVQ.
; 64-bit mode:
;  a. code above 4 GiB: FXSAVE64 FIP and FDP with all 64 bits.
;  b. FIP at a REX, 67h or FS prefix; A32 and FS-based FDP.
;  c. FUCOMI/FCOMI/FCOMIP with SETcc and Jcc.
;  d. the loops, with XMM8 and CPUID.
;  e. #PF of an m80 across into a page not present, #NM, #MF at FWAIT.
; Check lines start with "pm32 N" or "lm64 X".
;
; qemu-differs: QEMU 7.2 stores no FOP and zeros for FXSAVE's pointers, detects no x87 stack fault, reports no C1 round-up, no #D for a denormal operand of FADD m64, keeps an FST ST(i) target's empty tag, does not clear OF/SF/AF in FCOMI, updates FIP at FNOP and FNSTSW AX, stores A16 FDP unwrapped, applies the masked response to an unmasked #Z and raises #MF only at FWAIT, does not mask exceptions after FNSTENV, sets no all-ones exponent for an MMX register write and no TOP 0 at EMMS, checks no segment limit here; those checks print "qemu-departs" there (the SDM wins)
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "lm.inc"

; ---- variables (lm.inc's free 0x0700 area) ----
%define X_VEC     0x0700        ; 32-bit handler's record: vector,
%define X_ERR     0x0704        ; error code (-1: none),
%define X_EIP     0x0708        ; pushed EIP,
%define X_CNT     0x070C        ; exceptions taken,
%define X_EDX     0x0710        ; EDX at the resume
%define X_CR2     0x0714
%define X_RESUME  0x0718        ; where to resume (linear; one shot; 0: fatal)
%define X_RETRY   0x071C        ; 1: #NM does CLTS and returns; 2: #MF stores
                                ; the environment at MF_ENV, FNCLEX, returns
%define QFLAG     0x0730        ; 1 under QEMU TCG (brand string)
%define QDCNT     0x0734
%define F_SSE3    0x0738        ; CPUID.1:ECX.SSE3 (FISTTP)
%define F_FDPX    0x0739        ; CPUID.7:EBX[6] FDP_EXCPTN_ONLY
%define F_NOCSDS  0x073A        ; CPUID.7:EBX[13]: FCS and FDS stored as 0
%define CBUF      0x0780        ; scratch of the check macros
%define MF_ENV    0x0800        ; the #MF handler's FNSTENV image
%define N_CNT     0x0840        ; 64-bit #NM/#MF handler: count, RIP
%define N_RIP     0x0848
%define TICKS     0x0850        ; timer interrupts taken
%define BADIRQ    0x0854        ; ... whose FNSAVE image was not as expected
%define IRQ_SAVE  0x0900        ; the interrupt handler's FNSAVE image

; ---- memory ----
%define PD32   0x14000          ; 32-bit paging: PD, PT for 0-4 MiB
%define PT32   0x15000
%define PDHI   0x16000          ; 64-bit: PD of the alias at 4 GiB
%define KDATA  0x20000          ; the constant table, copied from the ROM
%define RES    0x22000          ; results stored by the blocks
%define IMG    0x23000          ; FNSTENV/FNSAVE/FXSAVE images
%define PGA    0x26000          ; two present pages for operands across a boundary
%define HOLE   0x31000          ; not present (0x30000 is)
%define SMC    0x5000           ; code copied to RAM
%define HIGH   0x100000000      ; 64-bit: the ROM again at HIGH + LIN(x)

%define K(l) (KDATA + (l) - kbase)
%define L(x) ((x) + ROM_BASE)   ; linear address of a ROM label (flat CS)

; ---- descriptors after lm.inc's ----
%define X_CODE16 (GDT_FREE + 0x00)
%define X_DATA16 (GDT_FREE + 0x08)
%define X_DB     (GDT_FREE + 0x10)      ; data, base 20000h (= KDATA)
%define X_DBL    (GDT_FREE + 0x18)      ; the same, limit FFFh

; x87 words
%define CW_DEF 0x037F

; ======================================================================
; check macros (32- and 64-bit): data after a call, read by the routine
; ======================================================================
%assign qd 0
%assign qdn 0
%macro QD_BEGIN 0
%assign qdn qdn + 1
%assign qd 1
%endmacro
%macro QD_END 0
%assign qdn qdn - 1
%assign qd qdn > 0
%endmacro

%macro CALLCHK 1
%if __BITS__ == 64
    call %1 %+ 64
%else
    call %1 %+ 32
%endif
%endmacro

; CHK "name": ZF=1 passes (registers and flags kept).
%macro CHK 1+
    CALLCHK zchk
    db qd
    db %1, 0
%endmacro

; MEQ address, "name", dd list: the bytes at a flat address.
%macro MEQ 3+
    CALLCHK mchk
    dd %1
    db %%e - %%s, qd
%%s: dd %3
%%e: db %2, 0
%endmacro
%macro MEQW 3+
    CALLCHK mchk
    dd %1
    db %%e - %%s, qd
%%s: dw %3
%%e: db %2, 0
%endmacro
%macro MEQQ 3+
    CALLCHK mchk
    dd %1
    db %%e - %%s, qd
%%s: dq %3
%%e: db %2, 0
%endmacro
; MEQMW address, "name", {mask words}, {value words}: (word & mask) == value
%macro MEQMW 4
    CALLCHK mchk
    dd %1
    db %%e - %%s, qd | 2
%%s: dw %4
%%e: dw %3
    db %2, 0
%endmacro
; F80S address, "name", mant, se, mant, se, ...: 10-byte reals in a row
%macro F80S 4-*
    %push f80s
    %define %$name %2
    CALLCHK mchk
    dd %1
    db %$e - %$s, qd
%$s:
    %rotate 2
    %rep (%0 - 2) / 2
        dq %1
        dw %2
        %rotate 2
    %endrep
%$e: db %$name, 0
    %pop
%endmacro

%macro SAVE_A 0
%if __BITS__ == 64
    push rax
%else
    push eax
%endif
%endmacro
%macro REST_A 0
%if __BITS__ == 64
    pop rax
%else
    pop eax
%endif
%endmacro

; REQ r32, value, "name"
%macro REQ 3
    mov [CBUF + 0x20], %1
    MEQ CBUF + 0x20, {%3}, %2
%endmacro
; RWEQ r16, value, "name"
%macro RWEQ 3
    mov [CBUF + 0x20], %1
    MEQW CBUF + 0x20, {%3}, %2
%endmacro

; SNAP image: FNSTENV, then FLDCW from the image (FNSTENV masks all
; exceptions). Neither changes FIP/FOP/FDP (control instructions).
%macro SNAP 1
    fnstenv [%1]
    fldcw [%1]
%endmacro

; ENVEQ image, fcw, fsw, ftw, "name": the control, status and tag words of
; a 32-bit environment image (reserved halves not compared)
%macro ENVEQ 5
    SAVE_A
    mov ax, [%1]
    mov [CBUF], ax
    mov ax, [%1 + 4]
    mov [CBUF + 2], ax
    mov ax, [%1 + 8]
    mov [CBUF + 4], ax
    REST_A
    MEQW CBUF, {%5}, %2, %3, %4
%endmacro
; ENVEQM image, fcw, fsw mask, fsw, ftw, "name": C bits the SDM leaves
; undefined masked out
%macro ENVEQM 6
    SAVE_A
    mov ax, [%1]
    mov [CBUF], ax
    mov ax, [%1 + 4]
    mov [CBUF + 2], ax
    mov ax, [%1 + 8]
    mov [CBUF + 4], ax
    REST_A
    MEQMW CBUF, {%6}, {0xFFFF, %3, 0xFFFF}, {%2, %4, %5}
%endmacro
; FIPEQ image, fip, fcs, "name": FIP offset and FCS selector (32-bit
; protected-mode environment image)
%macro FIPEQ 4
    SAVE_A
    mov eax, [%1 + 12]
    mov [CBUF], eax
    movzx eax, word [%1 + 16]
    mov [CBUF + 4], eax
    REST_A
    MEQ CBUF, {%4}, %2, %3
%endmacro
; FDPEQ image, fdp, fds, "name"
%macro FDPEQ 4
    SAVE_A
    mov eax, [%1 + 20]
    mov [CBUF], eax
    movzx eax, word [%1 + 24]
    mov [CBUF + 4], eax
    REST_A
    MEQ CBUF, {%4}, %2, %3
%endmacro
; FOPEQ image, fop, "name" (QEMU 7.2 stores none)
%macro FOPEQ 3
    QD_BEGIN
    MEQMW %1 + 18, {%3}, 0x07FF, %2
    QD_END
%endmacro

; BLKSTART label: jump to `label`, moved to the next page when fewer than
; 256 bytes of this one are left, so that a sequence of up to 256 bytes
; from it has no 4 KiB page boundary in it (a translated block stops at
; one); BLKCHK label after the sequence fails the assembly when it is
; longer.
%macro BLKSTART 1-2 256
    jmp %1
    times ((($ - $$) & 0xFFF) > 0x1000 - %2) * (0x1000 - (($ - $$) & 0xFFF)) db 0xCC
%1:
%endmacro
%macro BLKCHK 1-2 256
    times -(($ - %1) > %2) db 0
%endmacro

; ---- 32-bit faults (flat CS) ----
%macro ARM32 1
    mov dword [X_RESUME], %1
    mov dword [X_VEC], -1
    mov dword [X_ERR], -1
    mov dword [X_EIP], -1
    mov dword [X_CNT], 0
    mov dword [X_CR2], -1
%endmacro

bits 16
; ======================================================================
; real mode: CPUID, the GDT and IDT, then flat 32-bit protected mode
; ======================================================================
start:
    ROM_INIT
    PUTS `jit_x87: x87 in translated blocks: stack, flags, control word, pointers, faults, loops\n`
    mov eax, 1
    cpuid
    test edx, 1 << 0
    jz .nofx
    test edx, 1 << 24           ; FXSR
    jz .nofx
    test edx, 1 << 26           ; SSE2 (ADDSD in the loops)
    jnz .fx
.nofx:
    SKIP_TEST "no x87, FXSR or SSE2"
.fx:
    and cl, 1
    mov [F_SSE3], cl
    mov byte [F_FDPX], 0
    mov byte [F_NOCSDS], 0
    xor eax, eax
    cpuid
    cmp eax, 7
    jb .no7
    mov eax, 7
    xor ecx, ecx
    cpuid
    test ebx, 1 << 6
    setnz byte [F_FDPX]
    test ebx, 1 << 13
    setnz byte [F_NOCSDS]
.no7:
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
    mov byte [QFLAG], 0
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
    mov al, [F_FDPX]
    or al, [F_NOCSDS]
    jz .fdp
    PUTS `note: CPUID.7:EBX[6] or [13] set: the FDP, FCS and FDS checks assume both clear\n`
.fdp:
    cld
    mov si, lm_gdt
    mov di, GDT_BASE
    mov cx, lm_gdt_end - lm_gdt
    cs rep movsb
    mov si, xgdt
    mov di, GDT_BASE + GDT_FREE
    mov cx, xgdt_end - xgdt
    cs rep movsb
    mov di, LIDT_BASE           ; 32 gates to the recording stubs (flat CS)
    mov ax, xstubs
    mov cx, 32
.idt:
    mov [di], ax
    mov word [di + 2], SEL_CODE32F
    mov word [di + 4], 0x8E00
    mov word [di + 6], ROM_BASE >> 16
    add ax, 16
    add di, 8
    loop .idt
    mov ax, irq32               ; 20h: IRQ0; 21h-27h: IRET
    mov cx, 8
.irq:
    mov [di], ax
    mov word [di + 2], SEL_CODE32F
    mov word [di + 4], 0x8E00
    mov word [di + 6], ROM_BASE >> 16
    mov ax, irq_iret
    add di, 8
    loop .irq
    mov dword [X_RESUME], 0
    mov dword [X_RETRY], 0
    o32 lgdt [cs:lm_gdtr]
    o32 lidt [cs:xidtr]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp dword SEL_CODE32F:L(pm32_main)

bits 32
pm32_main:
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov gs, ax
    mov ss, ax
    mov ax, X_DB
    mov fs, ax
    mov esp, STACK_TOP
    ; the constant table into RAM, the other areas cleared
    mov esi, L(kbase)
    mov edi, KDATA
    mov ecx, (kend - kbase + 3) / 4
    rep movsd
    mov edi, RES
    xor eax, eax
    mov ecx, (HOLE + 0x1000 - RES) / 4
    rep stosd
    ; 8259s at 20h-2Fh, all masked; the local APIC passes them on (LINT0
    ; ExtINT), before paging hides it
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

    call t32_stack
    call t32_faults
    call t32_round
    call t32_mem
    call t32_ptr
    call t32_unmasked
    call t32_cmp
    call t32_loop
    call t32_mmx
    call t32_irq

    ; back to real mode, then long mode
    mov eax, cr0
    and eax, 0x7FFFFFFF
    mov cr0, eax
    jmp X_CODE16:pm16_back

; ======================================================================
; 1. stack state across a block
; ======================================================================
; The registers' stale contents (FRSTOR of img_stale: TOP 1, all empty).
%macro STALE 0
    frstor [K(img_stale)]
%endmacro

; SQ_STK tag, {middle}: from TOP 1 with every register empty (STALE), a
; push that wraps TOP from 0 to 7 and a pop from 7 to 0, loads of each tag
; class, FXCH, FFREE, FDECSTP, FINCSTP, FXAM of an unsupported and of an
; empty register; the middle runs at TOP 5.
%macro SQ_STK 2
    fld1                        ; TOP 0: p0 = 1
    fld qword [K(k_qnan)]       ; TOP 7: p7 = QNaN
    fstp st0                    ; TOP 0: p7 empty
    fldz                        ; TOP 7: p7 = +0
    fld qword [K(k_inf)]        ; TOP 6: p6 = +inf
..@stk_mid_%1:
    fld tword [K(k_den80)]      ; TOP 5: p5 = a denormal (no #D for m80)
    %2
    fldpi                       ; TOP 4: p4 = pi
    fld qword [K(k_qnan)]       ; TOP 3: p3 = QNaN
    fxch st5                    ; p3 <-> p0: p3 = 1, p0 = QNaN
    ffree st3                   ; p6 (+inf) empty
    fdecstp                     ; TOP 2
    fdecstp                     ; TOP 1
    fincstp                     ; TOP 2
    fld tword [K(k_unn80)]      ; TOP 1: p1 = an unnormal
    fxam                        ; unsupported: C3 C2 C0 = 000, C1 = 0
    fnstsw ax
    mov [RES], ax
    fincstp                     ; TOP 2: p2 empty
..@stk_end_%1:
    fxam                        ; empty: C3 C0 = 1, C2 = 0, C1 = sign of p2
%endmacro

; The state the sequence leaves: TOP 2, the final FXAM's C3 C1 C0, tags
; p7..p0 = zero empty special valid valid empty special special; the
; registers ST0..ST7 = p2 (stale, negative) 1 pi denormal +inf(stale) +0
; QNaN unnormal.
%macro STK_END 4                ; tag, FIP of the last FXAM, FCS, "name"
    MEQW RES, {%4, ": FNSTSW AX after FXAM of the unnormal (TOP 1, class unsupported)"}, 0x0800
    SNAP IMG
    ENVEQ IMG, CW_DEF, 0x5300, 0x783A, {%4, ": FCW, FSW (TOP 2, FXAM empty, C1 = sign), full tag word"}
    FIPEQ IMG, %2, %3, {%4, ": FIP and FCS of the last FXAM"}
    FOPEQ IMG, 0x1E5, {%4, ": FOP D9 E5"}
    fnsave [IMG + 0x40]
    F80S IMG + 0x40 + 28, {%4, ": FNSAVE registers ST0-ST7"}, \
        0xA000000000000002, 0xC002, 0x8000000000000000, 0x3FFF, \
        0xC90FDAA22168C235, 0x4000, 0x0000000000000123, 0x0000, \
        0x8000000000000000, 0x7FFF, 0, 0, \
        0xC000000000000800, 0x7FFF, 0x4000000000000000, 0x4000
%endmacro

%macro MID_CPUID 0
    xor eax, eax
    cpuid
%endmacro
%macro MID_SAVE 0
    fnsave [IMG + 0x180]
    frstor [IMG + 0x180]
%endmacro

t32_stack:
    STALE
    BLKSTART .a
    SQ_STK a, {}
    BLKCHK .a
    jmp .a1
.a1:
    STK_END a, L(..@stk_end_a), SEL_CODE32F, "pm32 1a: one block"

    STALE
    BLKSTART .b
    SQ_STK b, {MID_CPUID}
    BLKCHK .b
    jmp .b1
.b1:
    STK_END b, L(..@stk_end_b), SEL_CODE32F, "pm32 1b: CPUID in the middle"

    STALE
    BLKSTART .c
    SQ_STK c, {fnstenv [IMG + 0x100]}
    BLKCHK .c
    jmp .c1
.c1:
    ENVEQM IMG + 0x100, CW_DEF, 0xBAFF, 0x2800, 0x6BFC, "pm32 1c: FNSTENV mid-block: FCW, FSW (TOP 5, C1 0), tags"
    FIPEQ IMG + 0x100, L(..@stk_mid_c), SEL_CODE32F, "pm32 1c: FNSTENV mid-block: FIP, FCS of the FLD m80 before it"
    FOPEQ IMG + 0x100, 0x32D, "pm32 1c: FNSTENV mid-block: FOP DB 2D"
    FDPEQ IMG + 0x100, K(k_den80), SEL_DATA, "pm32 1c: FNSTENV mid-block: FDP, FDS of the FLD m80"
    STK_END c, L(..@stk_end_c), SEL_CODE32F, "pm32 1c: FNSTENV in the middle"

    STALE
    BLKSTART .d
    SQ_STK d, {MID_SAVE}
    BLKCHK .d
    jmp .d1
.d1:
    STK_END d, L(..@stk_end_d), SEL_CODE32F, "pm32 1d: FNSAVE, FRSTOR in the middle"

    STALE
    BLKSTART .e
    SQ_STK e, {in al, 0x80}
    BLKCHK .e
    jmp .e1
.e1:
    STK_END e, L(..@stk_end_e), SEL_CODE32F, "pm32 1e: IN from port 80h in the middle"

    ; an x87 instruction across a page boundary, in a block
    fninit
    fld1
    call xpage
    FIPEQ IMG, L(..@xpg) + 6, SEL_CODE32F, "pm32 1g: FADD after an FLD m64 across a page boundary: FIP"
    FDPEQ IMG, K(k_third64), SEL_DATA, "pm32 1g: its FDP is the FLD's"
    fnsave [IMG + 0x40]
    F80S IMG + 0x40 + 28, "pm32 1g: 1/3 + 1", 0xAAAAAAAAAAAAAA00, 0x3FFF

    ; the same through a code segment with a base (blocks not chained)
    STALE
    call SEL_CODE32:nc_stack
    STK_END f, ..@stk_end_f, SEL_CODE32, "pm32 1f: CS base F0000h"
    ret

; ======================================================================
; 2. masked stack faults and sticky flags inside a block
; ======================================================================
; From STALE (TOP 1, all empty): eight pushes fill the stack, a ninth
; overflows (IE SF C1=1, the QNaN indefinite pushed over p0); pops and an
; underflowing FADD (IE SF C1=0, ST0 := indefinite), FST of that QNaN
; (no IE), FSTP m64 of an empty ST0 (the m64 indefinite, popped), FXCH of
; two empty registers (both := indefinite), FCOM with an empty ST1
; (unordered, C1=0). FNSTSW AX after each step.
%macro SQ_SF 0
    fld1
    fld1
    fld1
    fld1
    fld1
    fld1
    fld1
    fld1                        ; TOP 1, p0..p7 = 1
    fnstsw ax
    mov [RES], ax
    fldz                        ; overflow: TOP 0, p0 = indefinite
    fnstsw ax
    mov [RES + 2], ax
    fstp tword [RES + 4]        ; the indefinite, popped: TOP 1
    fnstsw ax
    mov [RES + 14], ax
    fstp st0
    fstp st0
    fstp st0
    fstp st0
    fstp st0
    fstp st0
    fstp st0                    ; TOP 0, all empty
    fadd st0, st3               ; underflow: p0 = indefinite
    fnstsw ax
    mov [RES + 16], ax
    fst dword [RES + 18]        ; a QNaN: FFC00000, no exception
    fincstp                     ; TOP 1: ST0 = p1, empty
    fstp qword [RES + 22]       ; underflow: the m64 indefinite, popped: TOP 2
    fnstsw ax
    mov [RES + 30], ax
    fxch st4                    ; p2, p6 := indefinite
    fcom st1                    ; p3 empty: unordered
    fnstsw ax
    mov [RES + 32], ax
%endmacro

; FST to an empty register makes it non-empty (its tag follows the value)
%macro SQ_FSTE 0
    fld1                        ; TOP 7: p7 = 1
    fst st3                     ; p2 := 1, valid
    fldz                        ; TOP 6: p6 = 0
    fstp st2                    ; p0 := 0, zero; TOP 7
%endmacro

; Sticky flags, C1 after each: 1/3 (PE, rounded up), 1/0 (ZE), + a double
; denormal (DE, PE, rounded down), 2^16000 squared (OE PE, up to +inf),
; 2^-16000 squared (UE PE, down to +0), FSQRT of -1 (IE, indefinite).
%macro SQ_STICKY 0
    fld1
    fdiv qword [K(k_three)]     ; TOP 7
    fnstsw ax
    mov [RES], ax
    fld1
    fldz
    fdivp st1, st0              ; ST1 := 1/0, popped: TOP 6
    fnstsw ax
    mov [RES + 2], ax
    fstp st0                    ; TOP 7
    fadd qword [K(k_den64)]
    fnstsw ax
    mov [RES + 4], ax
    fld tword [K(k_big)]
    fmul st0, st0
    fnstsw ax
    mov [RES + 6], ax
    fstp st0
    fld tword [K(k_tiny)]
    fmul st0, st0
    fnstsw ax
    mov [RES + 8], ax
    fstp tword [RES + 16]
    fstp tword [RES + 26]
    fld qword [K(k_m1)]
    fsqrt
    fnstsw ax
    mov [RES + 10], ax
    fstp tword [RES + 36]
%endmacro

t32_faults:
    STALE
    BLKSTART .a
    SQ_SF
    BLKCHK .a
    jmp .a1
.a1:
    QD_BEGIN
    MEQMW RES, "pm32 2a: eight pushes: TOP 1, no flag, C1 0", 0xFBFF, 0x0800
    MEQW RES + 2, "pm32 2a: ninth push: overflow IE SF C1=1, TOP 0", 0x0241
    F80S RES + 4, "pm32 2a: overflow pushed the QNaN indefinite", 0xC000000000000000, 0xFFFF
    MEQMW RES + 14, "pm32 2a: FSTP m80 of it: no new flag, C1 0", 0xFBFF, 0x0841
    MEQMW RES + 16, "pm32 2a: FADD of empty registers: underflow IE SF C1=0", 0xFBFF, 0x0041
    MEQ RES + 18, "pm32 2a: FST m32 of the indefinite it left: FFC00000", 0xFFC00000
    MEQQ RES + 22, "pm32 2a: FSTP m64 of an empty ST0: the m64 indefinite", 0xFFF8000000000000
    MEQMW RES + 30, "pm32 2a: FSTP of an empty ST0: IE SF C1=0, popped (TOP 2)", 0xFBFF, 0x1041
    MEQW RES + 32, "pm32 2a: FCOM with an empty ST1: unordered C3 C2 C0, C1 0", 0x5541
    SNAP IMG
    ENVEQ IMG, CW_DEF, 0x5541, 0xEFEE, "pm32 2a: FCW, FSW, tags after the block (p0 p2 p6 indefinite)"
    fnsave [IMG + 0x40]
    F80S IMG + 0x40 + 28, "pm32 2a: registers: FXCH of empty registers wrote the indefinite to both", \
        0xC000000000000000, 0xFFFF, 0x8000000000000000, 0x3FFF, \
        0x8000000000000000, 0x3FFF, 0x8000000000000000, 0x3FFF, \
        0xC000000000000000, 0xFFFF, 0x8000000000000000, 0x3FFF, \
        0xC000000000000000, 0xFFFF, 0x8000000000000000, 0x3FFF
    QD_END

    fninit
    BLKSTART .b
    SQ_FSTE
    BLKCHK .b
    jmp .b1
.b1:
    QD_BEGIN
    SNAP IMG
    ENVEQM IMG, CW_DEF, 0xBAFF, 0x3800, 0x3FCD, "pm32 2b: FST/FSTP to empty registers: their tags follow the value"
    QD_END

    fninit
    BLKSTART .c
    SQ_STICKY
    BLKCHK .c
    jmp .c1
.c1:
    QD_BEGIN
    MEQMW RES, "pm32 2c: 1/3: PE, C1=1 (rounded up)", 0xBAFF, 0x3A20
    MEQMW RES + 2, "pm32 2c: 1/0: ZE added, C1=0", 0xBAFF, 0x3024
    MEQMW RES + 4, "pm32 2c: + double denormal: DE added, C1=0", 0xBAFF, 0x3826
    MEQMW RES + 6, "pm32 2c: 2^16000 squared: OE added, C1=1", 0xBAFF, 0x322E
    MEQMW RES + 8, "pm32 2c: 2^-16000 squared: UE added, C1=0", 0xBAFF, 0x303E
    MEQMW RES + 10, "pm32 2c: FSQRT(-1): IE added, C1=0", 0xBAFF, 0x383F
    QD_END
    F80S RES + 16, "pm32 2c: the underflowed product, then 1/3 + denormal", 0, 0, 0xAAAAAAAAAAAAAAAB, 0x3FFD
    F80S RES + 36, "pm32 2c: FSQRT(-1): the indefinite", 0xC000000000000000, 0xFFFF
    SNAP IMG
    QD_BEGIN
    ENVEQM IMG, CW_DEF, 0xBAFF, 0x003F, 0xFFFF, "pm32 2c: FSW (flags kept, TOP 0) and tags after the block"
    QD_END
    ret

; ======================================================================
; 3. precision and rounding control
; ======================================================================
; SQ_RC: under the control word in effect, 1/3, -1/7, sqrt 2 and
; 1 + 2^-64 (a tie) into RES+%1 (four 10-byte reals)
%macro SQ_RC 1
    fld1
    fdiv qword [K(k_three)]
    fstp tword [RES + %1]
    fld qword [K(k_m1)]
    fdiv qword [K(k_seven)]
    fstp tword [RES + %1 + 10]
    fld qword [K(k_two)]
    fsqrt
    fstp tword [RES + %1 + 20]
    fld1
    fadd qword [K(k_tie64)]
    fstp tword [RES + %1 + 30]
%endmacro
; the four rounding modes, FLDCW in the middle of the blocks
%macro SQ_RC4A 0
    fldcw [K(cw_rn)]
    SQ_RC 0
    fldcw [K(cw_rd)]
    SQ_RC 40
%endmacro
%macro SQ_RC4B 0
    fldcw [K(cw_ru)]
    SQ_RC 80
    fldcw [K(cw_rz)]
    SQ_RC 120
%endmacro
; precision control: single RN, single RU, double RN, double RU
%macro SQ_PC 0
    fldcw [K(cw_sn)]
    SQ_RC 0
    fldcw [K(cw_su)]
    SQ_RC 40
%endmacro
%macro SQ_PC2 0
    fldcw [K(cw_dn)]
    SQ_RC 80
    fldcw [K(cw_du)]
    SQ_RC 120
%endmacro

; 1/3, -1/7, sqrt 2, 1 + 2^-64 under RN, RD, RU, RZ (extended precision)
%macro RC_CHECK 1
    F80S RES, {%1, ": RN: 1/3, -1/7, sqrt 2, 1 + 2^-64 (tie to even)"}, \
        0xAAAAAAAAAAAAAAAB, 0x3FFD, 0x9249249249249249, 0xBFFC, \
        0xB504F333F9DE6484, 0x3FFF, 0x8000000000000000, 0x3FFF
    F80S RES + 40, {%1, ": RD: 1/3, -1/7, sqrt 2, 1 + 2^-64"}, \
        0xAAAAAAAAAAAAAAAA, 0x3FFD, 0x924924924924924A, 0xBFFC, \
        0xB504F333F9DE6484, 0x3FFF, 0x8000000000000000, 0x3FFF
    F80S RES + 80, {%1, ": RU: 1/3, -1/7, sqrt 2, 1 + 2^-64"}, \
        0xAAAAAAAAAAAAAAAB, 0x3FFD, 0x9249249249249249, 0xBFFC, \
        0xB504F333F9DE6485, 0x3FFF, 0x8000000000000001, 0x3FFF
    F80S RES + 120, {%1, ": RZ: 1/3, -1/7, sqrt 2, 1 + 2^-64"}, \
        0xAAAAAAAAAAAAAAAA, 0x3FFD, 0x9249249249249249, 0xBFFC, \
        0xB504F333F9DE6484, 0x3FFF, 0x8000000000000000, 0x3FFF
%endmacro
; the same in single precision RN, RU and double precision RN, RU
%macro PC_CHECK 1
    F80S RES, {%1, ": single RN"}, \
        0xAAAAAB0000000000, 0x3FFD, 0x9249250000000000, 0xBFFC, \
        0xB504F30000000000, 0x3FFF, 0x8000000000000000, 0x3FFF
    F80S RES + 40, {%1, ": single RU"}, \
        0xAAAAAB0000000000, 0x3FFD, 0x9249240000000000, 0xBFFC, \
        0xB504F40000000000, 0x3FFF, 0x8000010000000000, 0x3FFF
    F80S RES + 80, {%1, ": double RN"}, \
        0xAAAAAAAAAAAAA800, 0x3FFD, 0x9249249249249000, 0xBFFC, \
        0xB504F333F9DE6800, 0x3FFF, 0x8000000000000000, 0x3FFF
    F80S RES + 120, {%1, ": double RU"}, \
        0xAAAAAAAAAAAAB000, 0x3FFD, 0x9249249249249000, 0xBFFC, \
        0xB504F333F9DE6800, 0x3FFF, 0x8000000000000800, 0x3FFF
%endmacro

t32_round:
    fninit
    BLKSTART .a
    SQ_RC4A
    BLKCHK .a
    BLKSTART .b
    SQ_RC4B
    BLKCHK .b
    jmp .b1
.b1:
    RC_CHECK "pm32 3a: FLDCW mid-block"
    ; the control word set between blocks
    fldcw [K(cw_rd)]
    BLKSTART .c
    SQ_RC 40
    BLKCHK .c
    fldcw [K(cw_ru)]
    BLKSTART .d
    SQ_RC 80
    BLKCHK .d
    fldcw [K(cw_rz)]
    BLKSTART .e
    SQ_RC 120
    BLKCHK .e
    fldcw [K(cw_rn)]
    BLKSTART .f
    SQ_RC 0
    BLKCHK .f
    jmp .f1
.f1:
    RC_CHECK "pm32 3b: FLDCW between blocks"
    fninit
    BLKSTART .g
    SQ_PC
    BLKCHK .g
    BLKSTART .h
    SQ_PC2
    BLKCHK .h
    jmp .h1
.h1:
    PC_CHECK "pm32 3c: precision control by FLDCW mid-block"
    fnstcw [RES + 0x100]
    MEQW RES + 0x100, "pm32 3c: FNSTCW: double precision, round up", 0x0A7F
    ; FRSTOR and FXRSTOR of another state (TOP, registers, RC) mid-block
    fninit
    fld qword [K(k_third64)]
    fldpi
    fldcw [K(cw_ru)]
    fnsave [IMG + 0x100]        ; RU, TOP 6, pi and 1/3
    fninit
    fxsave [IMG + 0x400]        ; RN, all empty
    BLKSTART .r
    fld1
    fld1
    frstor [IMG + 0x100]
    fdiv st0, st1               ; pi / (1/3) rounded up
    fstp tword [RES]
    fxrstor [IMG + 0x400]
    fld1
    fld qword [K(k_third64)]
    fdivr st0, st1              ; 1 / (1/3) to nearest
    fstp tword [RES + 10]
    BLKCHK .r
    jmp .r1
.r1:
    F80S RES, "pm32 3d: FRSTOR (RU, TOP 6) then FDIV; FXRSTOR (RN, empty) then FLD, FDIVR", \
        0x96CBE3F9990E9403, 0x4002, 0xC000000000000300, 0x4000
    SNAP IMG
    ENVEQM IMG, CW_DEF, 0xB8FF, 0x3820, 0x3FFF, "pm32 3d: FSW (PE of the FDIVR), tags after the FXRSTOR"
    fninit
    ret

; ======================================================================
; 4. memory forms
; ======================================================================
; loads and stores of every format, rounding on the way out (RN)
%macro SQ_LS1 0
    fld dword [K(k_f32a)]       ; 1.5 + 2^-22
    fst qword [RES]             ; exact
    fld qword [K(k_third64)]
    fst dword [RES + 8]         ; rounded up: PE C1
    fnstsw ax
    mov [RES + 0x60], ax
    fstp tword [RES + 12]       ; exact
    fld tword [K(k_x80)]
    fst qword [RES + 22]        ; rounded
    fstp dword [RES + 30]       ; rounded, popped
    fild word [K(k_i16)]
    fild dword [K(k_i32)]
    fild qword [K(k_i64)]
    fistp qword [RES + 34]      ; exact
    fist dword [RES + 42]
    fistp word [RES + 46]       ; out of range: IE, 8000h
    fnstsw ax
    mov [RES + 0x62], ax
    fist word [RES + 48]
    fistp dword [RES + 50]
    fstp tword [RES + 0x40]     ; the 1.5 + 2^-22 loaded first
%endmacro
%macro SQ_LS2 0
    fld qword [K(k_2p5)]
    fist word [RES]             ; 2 (ties to even)
    fnstsw ax
    mov [RES + 0x60], ax
    fstp st0
    fld qword [K(k_m3p5)]
    fistp dword [RES + 2]       ; -4
    fnstsw ax
    mov [RES + 0x62], ax
    fld qword [K(k_1e19)]
    fistp qword [RES + 6]       ; out of range: IE, the integer indefinite
    fbld [K(k_bcd)]
    fbstp [RES + 14]            ; the same BCD back
    fld qword [K(k_1e18)]
    fbstp [RES + 24]            ; out of range: IE, the BCD indefinite
    fld qword [K(k_m2p5)]
    fbstp [RES + 34]            ; -2
    fbld [K(k_bcd)]
    fstp tword [RES + 44]
    fnstsw ax
    mov [RES + 0x64], ax
%endmacro
; FISTTP (SSE3) truncates whatever RC says (here: up)
%macro SQ_FISTTP 0
    fld qword [K(k_m3p5)]
    fisttp word [RES]           ; -3
    fld qword [K(k_2p5)]
    fisttp dword [RES + 2]      ; 2
    fld qword [K(k_i64b)]
    fisttp qword [RES + 6]      ; 2^62 + 2^61
    fld qword [K(k_1e19)]
    fisttp qword [RES + 14]     ; IE: indefinite
    fld qword [K(k_m3p5)]
    fisttp word [RES + 22]      ; popped: -3 again
    fnstsw ax
    mov [RES + 0x60], ax
%endmacro
; arithmetic and compares with m32fp, m64fp, m16int, m32int operands
%macro SQ_MARITH 0
    fld1
    fadd dword [K(k_f32a)]
    fmul qword [K(k_third64)]
    fiadd word [K(k_i16)]
    fisub dword [K(k_i32)]
    fidivr word [K(k_i16)]
    fimul dword [K(k_i32)]
    fsubr qword [K(k_2p5)]
    fdiv dword [K(k_f32a)]
    fisubr word [K(k_i16)]
    fidiv dword [K(k_i32)]
    fld st0
    fstp tword [RES]
    fnstsw ax
    mov [RES + 0x60], ax
    fld qword [K(k_2p5)]
    fcom dword [K(k_f32a)]      ; 2.5 > 1.5: 000
    fnstsw ax
    mov [RES + 0x62], ax
    fcomp qword [K(k_2p5)]      ; equal: C3, popped
    fnstsw ax
    mov [RES + 0x64], ax
    fild word [K(k_i16)]
    ficom word [K(k_i16)]       ; equal
    fnstsw ax
    mov [RES + 0x66], ax
    ficomp dword [K(k_i32)]     ; -12345 > -123456789, popped
    fnstsw ax
    mov [RES + 0x68], ax
    fld qword [K(k_qnan)]
    fcomp dword [K(k_f32a)]     ; QNaN: unordered, IE (FCOM is ordered)
    fnstsw ax
    mov [RES + 0x6A], ax
%endmacro
; FBEGIN / FAT / FEND vector, error code, "name": one block (entered by a
; jump) runs the instructions before FAT, then the one after it, which must
; raise `vector` with that code and its own EIP, once; nothing after it
; may run (FEND adds EDX := BADh). Execution goes on after FEND.
%macro FBEGIN 0
    %push fault
    ARM32 L(%$res)
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
    MEQ X_VEC, {%3, ": vector, code, EIP, once, nothing after it ran"}, %1, %2, L(%$f), 1, 0x600D
    %pop
%endmacro

; HOLE - 16 .. HOLE - 1: bytes 0F0h + i
%macro FILL_HOLE 0
    mov dword [HOLE - 16], 0xF3F2F1F0
    mov dword [HOLE - 12], 0xF7F6F5F4
    mov dword [HOLE - 8], 0xFBFAF9F8
    mov dword [HOLE - 4], 0xFFFEFDFC
%endmacro

; a page-crossing block: m80, m64, m32int operands across PGA + 1000h,
; + 2000h, + 3000h (stores, then loads of what was stored)
%macro SQ_CROSS 0
    fld tword [K(k_x80)]
    fld st0
    fstp tword [PGA + 0x0FFC]   ; 4 + 6 bytes
    fld tword [PGA + 0x0FFC]
    fld qword [K(k_third64)]
    fst qword [PGA + 0x1FFA]    ; 6 + 2
    fld qword [PGA + 0x1FFA]
    fild dword [K(k_i32)]
    fistp dword [PGA + 0x2FFE]  ; 2 + 2
    fild dword [PGA + 0x2FFE]
    fadd qword [PGA + 0x1FFA]   ; arithmetic with an m64 across a boundary
    fstp tword [RES]
    fstp tword [RES + 10]
    fstp tword [RES + 20]
    fstp tword [RES + 30]
    fstp tword [RES + 40]
%endmacro

%assign pfn 0
%macro PF_SETUP 0
    fld1
    fldpi
    fadd st0, st1
%assign pfn pfn + 1
%xdefine PF_A ..@pf_a_ %+ pfn
PF_A:
    fmul qword [K(k_third64)]   ; rounded up: C1 = 1
%endmacro

; PF_TEST error code, "name", CR2, {instruction}: in one block PF_SETUP,
; then the instruction: #PF with the code and CR2; the state (FSW, tags,
; FIP/FOP/FDP of the FMUL, the registers) exactly as before it
%macro PF_TEST 4
    fninit
    FBEGIN
    PF_SETUP
    FAT
    %4
    FEND 14, %1, %2
%if %3 == -1
    MEQMW X_CR2, {%2, ": CR2 in the page not present"}, {0xF000, 0xFFFF}, {HOLE & 0xFFFF, HOLE >> 16}
%else
    MEQ X_CR2, {%2, ": CR2"}, %3
%endif
    SNAP IMG
    ENVEQM IMG, CW_DEF, 0xB8FF, 0x3020, 0x0FFF, {%2, ": FSW (TOP 6, PE), tags as before"}
    QD_BEGIN
    MEQMW IMG + 4, {%2, ": C1 of the FMUL before it kept"}, 0x0200, 0x0200
    QD_END
    FIPEQ IMG, L(PF_A), SEL_CODE32F, {%2, ": FIP, FCS of the FMUL m64 before it"}
    FOPEQ IMG, 0x40D, {%2, ": FOP DC 0D (the FMUL)"}
    FDPEQ IMG, K(k_third64), SEL_DATA, {%2, ": FDP, FDS of the FMUL"}
    fnsave [IMG + 0x40]
    F80S IMG + 0x40 + 28, {%2, ": ST0, ST1 as before"}, \
        0xB0B53C6C1645D40B, 0x3FFF, 0x8000000000000000, 0x3FFF
%endmacro

%macro MEMCROSS_CHECK 1
    MEQ PGA + 0x0FFC, {%1, ": FSTP m80 across a page boundary"}, 0x76543210, 0xFEDCBA98, 0x3FFF
    MEQ PGA + 0x1FFA, {%1, ": FST m64 across a page boundary"}, 0x55555555, 0x3FD55555
    MEQ PGA + 0x2FFE, {%1, ": FISTP m32 across a page boundary"}, -123456789
    F80S RES, {%1, ": FILD m32, FADD m64 across boundaries; FLD m64 and m80 back"}, \
        0xEB79A29555555555, 0xC019, 0xAAAAAAAAAAAAA800, 0x3FFD, 0xAAAAAAAAAAAAA800, 0x3FFD, \
        0xFEDCBA9876543210, 0x3FFF, 0xFEDCBA9876543210, 0x3FFF
%endmacro

t32_mem:
    fninit
    BLKSTART .a
    SQ_LS1
    BLKCHK .a
    jmp .a1
.a1:
    MEQQ RES, "pm32 4a: FLD m32, FST m64: exact", 0x3FF8000040000000
    MEQ RES + 8, "pm32 4a: FLD m64 1/3, FST m32: rounded to nearest (up)", 0x3EAAAAAB
    QD_BEGIN
    MEQMW RES + 0x60, "pm32 4a: FST m32 rounded up: PE, C1=1", 0xBFFF, 0x3220
    QD_END
    F80S RES + 12, "pm32 4a: FSTP m80 of the FLD m64 value: exact", 0xAAAAAAAAAAAAA800, 0x3FFD
    MEQQ RES + 22, "pm32 4a: FLD m80, FST m64: rounded", 0x3FFFDB97530ECA86
    MEQ RES + 30, "pm32 4a: FSTP m32: rounded", 0x3FFEDCBB
    MEQQ RES + 34, "pm32 4a: FILD m64, FISTP m64: exact", 0x7123456789ABCDEF
    MEQ RES + 42, "pm32 4a: FILD m32, FIST m32", -123456789
    MEQW RES + 46, "pm32 4a: FISTP m16 of -123456789: the integer indefinite", 0x8000
    MEQMW RES + 0x62, "pm32 4a: FISTP m16 out of range: IE (PE kept), C1=0", 0xBFFF, 0x3021
    MEQW RES + 48, "pm32 4a: FILD m16, FIST m16", -12345
    MEQ RES + 50, "pm32 4a: FISTP m32 of it", -12345
    F80S RES + 0x40, "pm32 4a: FLD m32 into extended: exact", 0xC000020000000000, 0x3FFF

    fninit
    BLKSTART .b
    SQ_LS2
    BLKCHK .b
    jmp .b1
.b1:
    MEQW RES, "pm32 4b: FIST m16 of 2.5: 2 (ties to even)", 2
    QD_BEGIN
    MEQMW RES + 0x60, "pm32 4b: FIST 2.5: PE, C1=0", 0xBFFF, 0x3820
    QD_END
    MEQ RES + 2, "pm32 4b: FISTP m32 of -3.5: -4", -4
    QD_BEGIN
    MEQMW RES + 0x62, "pm32 4b: FISTP -3.5: PE, C1=1 (magnitude rounded up)", 0xBFFF, 0x0220
    QD_END
    MEQQ RES + 6, "pm32 4b: FISTP m64 of 1e19: the integer indefinite", 0x8000000000000000
    F80S RES + 14, "pm32 4b: FBLD, FBSTP: the same BCD", 0x0987654321098765, 0x8000
    F80S RES + 24, "pm32 4b: FBSTP of 10^18: the BCD indefinite", 0xC000000000000000, 0xFFFF
    F80S RES + 34, "pm32 4b: FBSTP of -2.5: -2", 2, 0x8000
    F80S RES + 44, "pm32 4b: FBLD value", 0xE0910C3E14034000, 0xC030
    MEQMW RES + 0x64, "pm32 4b: FSW at the end: IE PE, TOP 0", 0xBFFF, 0x0021

    cmp byte [F_SSE3], 0
    je .nosse3
    fninit
    fldcw [K(cw_ru)]
    BLKSTART .c
    SQ_FISTTP
    BLKCHK .c
    jmp .c1
.c1:
    MEQ RES, "pm32 4c: FISTTP m16 -3.5, m32 2.5 under RU: truncated", 0x0002FFFD
    MEQQ RES + 6, "pm32 4c: FISTTP m64 of 2^62 + 2^61", 0x6000000000000000
    MEQQ RES + 14, "pm32 4c: FISTTP m64 of 1e19: the integer indefinite", 0x8000000000000000
    MEQW RES + 22, "pm32 4c: FISTTP pops: -3 again", -3
    MEQMW RES + 0x60, "pm32 4c: FSW: IE PE, TOP 0", 0xBDFF, 0x0021
.nosse3:

    fninit
    BLKSTART .d
    SQ_MARITH
    BLKCHK .d
    jmp .d1
.d1:
    F80S RES, "pm32 4d: FADD m32, FMUL m64, FIADD m16, FISUB m32, FIDIVR, FIMUL, FSUBR, FDIV, FISUBR, FIDIV", 0x8BD4C66CE314D22F, 0x3FF0
    MEQMW RES + 0x60, "pm32 4d: its FSW: PE, TOP 7", 0xB8FF, 0x3820
    MEQW RES + 0x62, "pm32 4d: FCOM m32: greater", 0x3020
    MEQW RES + 0x64, "pm32 4d: FCOMP m64: equal (C3), popped", 0x7820
    MEQW RES + 0x66, "pm32 4d: FICOM m16: equal", 0x7020
    MEQW RES + 0x68, "pm32 4d: FICOMP m32: greater, popped", 0x3820
    MEQW RES + 0x6A, "pm32 4d: FCOMP m32 with a QNaN: unordered, IE", 0x7D21

    ; #PF: the state exactly as before the faulting instruction, which
    ; comes after FLD1, FLDPI, FADD, FMUL m64 in its block
    FILL_HOLE
    PF_TEST 0, "pm32 4e: FLD m64 from a page not present", HOLE + 8, {fld qword [HOLE + 8]}
    PF_TEST 0, "pm32 4e: FIADD m32 from a page not present", HOLE + 0xFFC, {fiadd dword [HOLE + 0xFFC]}
    PF_TEST 0, "pm32 4e: FILD m64 across into a page not present", HOLE, {fild qword [HOLE - 4]}
    PF_TEST 0, "pm32 4e: FBLD across into a page not present", -1, {fbld [HOLE - 6]}
    PF_TEST 2, "pm32 4e: FST m64 across into a page not present", HOLE, {fst qword [HOLE - 2]}
    PF_TEST 2, "pm32 4e: FISTP m32 across into a page not present", HOLE, {fistp dword [HOLE - 3]}
    QD_BEGIN
    MEQ HOLE - 4, "pm32 4e: FST m64, FISTP m32: nothing written in the present page", 0xFFFEFDFC
    QD_END
    fninit
    FBEGIN
    PF_SETUP
..@pf_b:
    fld st1
    FAT
    fstp tword [HOLE - 4]
    FEND 14, 2, "pm32 4e: FLD ST1, FSTP m80 across into a page not present"
    MEQ X_CR2, "pm32 4e: FSTP m80: CR2", HOLE
    QD_BEGIN
    MEQ HOLE - 16, "pm32 4e: FSTP m80: nothing written in the present page", 0xF3F2F1F0, 0xF7F6F5F4, 0xFBFAF9F8, 0xFFFEFDFC
    QD_END
    SNAP IMG
    ENVEQM IMG, CW_DEF, 0xBAFF, 0x2820, 0x03FF, "pm32 4e: FSTP m80: FSW (TOP 5: not popped), tags"
    FIPEQ IMG, L(..@pf_b), SEL_CODE32F, "pm32 4e: FSTP m80: FIP is the FLD ST1 before it"
    FOPEQ IMG, 0x1C1, "pm32 4e: FSTP m80: FOP D9 C1"
    fnsave [IMG + 0x40]
    F80S IMG + 0x40 + 28, "pm32 4e: FSTP m80: ST0-ST2 as before it", \
        0x8000000000000000, 0x3FFF, 0xB0B53C6C1645D40B, 0x3FFF, 0x8000000000000000, 0x3FFF
    FILL_HOLE

    ; x87 stores into the code of the running block (copied to RAM)
    mov esi, L(smc_code)
    mov edi, SMC
    mov ecx, smc_end - smc_code
    rep movsb
    fninit
    mov eax, SMC
    call eax
    REQ eax, 0x12345678, "pm32 4g: FISTP m32 into the next MOV's immediate in the same block"
    REQ ebx, 0x0BCDEF01, "pm32 4g: and again later in the block"
    mov eax, SMC
    call eax                    ; the patched bytes are the same now
    REQ ebx, 0x0BCDEF01, "pm32 4g: the second run"
    ; a store to a read-only page with CR0.WP: #PF(P W), nothing written
    mov dword [PGA + 0x2010], 0x55555555
    mov dword [PGA + 0x2014], 0x55555555
    mov dword [PT32 + ((PGA + 0x2000) >> 12) * 4], (PGA + 0x2000) | 1
    invlpg [PGA + 0x2000]
    mov eax, cr0
    or eax, 0x10000
    mov cr0, eax
    mov eax, [PGA + 0x2010]     ; in the TLB
    fninit
    FBEGIN
    fld1
    FAT
    fst qword [PGA + 0x2010]
    FEND 14, 3, "pm32 4h: FST m64 to a read-only page (CR0.WP)"
    MEQ PGA + 0x2010, "pm32 4h: nothing written", 0x55555555, 0x55555555
    SNAP IMG
    ENVEQM IMG, CW_DEF, 0xB8FF, 0x3800, 0x3FFF, "pm32 4h: the FLD1 before it only"
    mov dword [PT32 + ((PGA + 0x2000) >> 12) * 4], (PGA + 0x2000) | 3
    invlpg [PGA + 0x2000]

    ; a segment limit: GS limit FFFh (base 20000h)
    mov ax, X_DBL
    mov gs, ax
    mov dword [KDATA + 0xFFC], 0x3F800000
    fninit
    QD_BEGIN
    FBEGIN
    gs fld dword [0xFFC]        ; the last 4 bytes: fine
    FAT
    gs fld qword [0xFFC]        ; 8 bytes past the limit
    FEND 13, 0, "pm32 4i: FLD m64 past the GS limit: #GP(0)"
    SNAP IMG
    ENVEQM IMG, CW_DEF, 0xB8FF, 0x3800, 0x3FFF, "pm32 4i: #GP: only the FLD m32 before it"
    QD_END
    FDPEQ IMG, 0xFFC, X_DBL, "pm32 4i: #GP: FDP, FDS of the FLD m32 before it"
    mov ax, SEL_DATA
    mov gs, ax

    ; operands across page boundaries, first with a flushed TLB
    mov eax, cr3
    mov cr3, eax
    call .cross
    MEMCROSS_CHECK "pm32 4f: flushed TLB"
    call .cross
    MEMCROSS_CHECK "pm32 4f: warm TLB"
    ret
.cross:
    fninit
    BLKSTART .x
    SQ_CROSS
    BLKCHK .x
    ret
smc_code:                       ; position independent, run at SMC
    fild dword [K(k_smc)]
    fistp dword [SMC + (.p - smc_code) + 1]
.p: mov eax, 0x11111111
    fild dword [K(k_smc) + 4]
    fistp dword [SMC + (.q - smc_code) + 1]
.q: mov ebx, 0x22222222
    ret
smc_end:

; ======================================================================
; 5. FIP/FCS/FOP/FDP/FDS
; ======================================================================
; FXEQ image, fop, fip, fcs, fdp, fds, "name": a 32-bit FXSAVE image's
; pointers (QEMU 7.2 stores zeros)
%macro FXEQ 7
    SAVE_A
    movzx eax, word [%1 + 6]
    and eax, 0x7FF
    mov [CBUF], eax
    mov eax, [%1 + 8]
    mov [CBUF + 4], eax
    movzx eax, word [%1 + 12]
    mov [CBUF + 8], eax
    mov eax, [%1 + 16]
    mov [CBUF + 12], eax
    movzx eax, word [%1 + 20]
    mov [CBUF + 16], eax
    REST_A
    QD_BEGIN
    MEQ CBUF, {%7}, %2, %3, %4, %5, %6
    QD_END
%endmacro

; the pointers after each kind of instruction, FNSTENV between them
%macro SQ_PTR 1
    fld1
..@p5a_%1:
    fs fld qword [K(k_third64) - KDATA]     ; FS base = KDATA
    fnstenv [IMG]
..@p5b_%1:
    fadd st0, st1
    fnstenv [IMG + 0x20]
    fxsave [IMG + 0x200]
..@p5c_%1:
    a16 fld dword [bx + si]     ; 16-bit address FFF0h + 30h wraps to 20h
    fnstenv [IMG + 0x40]
    fnstsw ax                   ; control instructions: no update
    fldcw [K(cw_rn)]
    fnstenv [IMG + 0x60]
..@p5d_%1:
    fcomi st0, st1
    fnstenv [IMG + 0x80]
..@p5e_%1:
    fincstp
    fnstenv [IMG + 0xA0]
..@p5f_%1:
    fnop
    fnstenv [IMG + 0xC0]
..@p5g_%1:
    fdecstp
%endmacro

%macro PTR_CHECK 2
    FIPEQ IMG, L(..@p5a_%1), SEL_CODE32F, {%2, ": FS: FLD m64: FIP is its FS prefix"}
    FOPEQ IMG, 0x505, {%2, ": FS: FLD m64: FOP DD 05"}
    FDPEQ IMG, k_third64 - kbase, X_DB, {%2, ": FS: FLD m64: FDP is the offset, FDS = FS"}
    FIPEQ IMG + 0x20, L(..@p5b_%1), SEL_CODE32F, {%2, ": FADD ST0, ST1: FIP"}
    FOPEQ IMG + 0x20, 0x0C1, {%2, ": FADD ST0, ST1: FOP D8 C1"}
    FDPEQ IMG + 0x20, k_third64 - kbase, X_DB, {%2, ": FADD ST0, ST1: FDP, FDS of the FLD m64 kept (SDM: undefined)"}
    FXEQ IMG + 0x200, 0x0C1, L(..@p5b_%1), SEL_CODE32F, k_third64 - kbase, X_DB, {%2, ": FXSAVE after the FADD: FOP, FIP, FCS, FDP, FDS"}
    FIPEQ IMG + 0x40, L(..@p5c_%1), SEL_CODE32F, {%2, ": A16 FLD m32: FIP is its 67h prefix"}
    FOPEQ IMG + 0x40, 0x100, {%2, ": A16 FLD m32: FOP D9 00"}
    QD_BEGIN
    FDPEQ IMG + 0x40, 0x0020, SEL_DATA, {%2, ": A16 FLD m32: FDP is the wrapped 16-bit offset"}
    FIPEQ IMG + 0x60, L(..@p5c_%1), SEL_CODE32F, {%2, ": FNSTSW AX, FLDCW: FIP unchanged"}
    FOPEQ IMG + 0x60, 0x100, {%2, ": FNSTSW AX, FLDCW: FOP unchanged"}
    FDPEQ IMG + 0x60, 0x0020, SEL_DATA, {%2, ": FNSTSW AX, FLDCW: FDP unchanged"}
    QD_END
    FIPEQ IMG + 0x80, L(..@p5d_%1), SEL_CODE32F, {%2, ": FCOMI: FIP"}
    FOPEQ IMG + 0x80, 0x3F1, {%2, ": FCOMI: FOP DB F1"}
    FIPEQ IMG + 0xA0, L(..@p5e_%1), SEL_CODE32F, {%2, ": FINCSTP: FIP (not a control instruction for 8.1.8)"}
    FOPEQ IMG + 0xA0, 0x1F7, {%2, ": FINCSTP: FOP D9 F7"}
    QD_BEGIN
    FIPEQ IMG + 0xC0, L(..@p5f_%1), SEL_CODE32F, {%2, ": FNOP: FIP"}
    QD_END
    FOPEQ IMG + 0xC0, 0x1D0, {%2, ": FNOP: FOP D9 D0"}
    SNAP IMG + 0xE0
    FIPEQ IMG + 0xE0, L(..@p5g_%1), SEL_CODE32F, {%2, ": FDECSTP at the end of the block: FIP after it"}
    FOPEQ IMG + 0xE0, 0x1F6, {%2, ": FDECSTP at the end of the block: FOP D9 F6"}
    fxsave [IMG + 0x400]
    FXEQ IMG + 0x400, 0x1F6, L(..@p5g_%1), SEL_CODE32F, 0x0020, SEL_DATA, {%2, ": FXSAVE after the block: FOP, FIP, FCS, FDP (kept), FDS"}
    SNAP IMG
    ENVEQM IMG, CW_DEF, 0xB8FF, 0x2800, 0x03FF, {%2, ": FSW (TOP 5), tags at the end"}
%endmacro

; FCS_CASE "name", {handler}: in one block FLD1, the handler, FLD1,
; FNSTENV: FCS is the code segment's selector again
%macro FCS_CASE 2
    fninit
    BLKSTART %%b
    fld1
    %2
..@fcs_%+%%b:
    fld1
    fnstenv [IMG]
    BLKCHK %%b
    FIPEQ IMG, L(..@fcs_%+%%b), SEL_CODE32F, {%1}
%endmacro

t32_ptr:
    fninit
    fnstenv [IMG + 0x40]
    mov word [IMG + 0x40 + 16], 0x1234     ; FCS in an image
    fxsave [IMG + 0x400]
    mov word [IMG + 0x400 + 12], 0x1234
    FCS_CASE "pm32 5c: FNINIT (FCS := 0) then FLD1 in the block: FIP, FCS", {fninit}
    FCS_CASE "pm32 5c: FLDENV (FCS := 1234h) then FLD1 in the block: FIP, FCS", {fldenv [IMG + 0x40]}
    FCS_CASE "pm32 5c: FXRSTOR (FCS := 1234h) then FLD1 in the block: FIP, FCS", {fxrstor [IMG + 0x400]}
    ; DS with a base (the block's key is not flat)
    fninit
    mov ax, X_DB
    mov ds, ax
    BLKSTART .ds
    fld qword [k_third64 - kbase]
    fadd qword [k_third64 - kbase]
    fnstenv [IMG - KDATA]
    BLKCHK .ds
    mov ax, SEL_DATA
    mov ds, ax
    FDPEQ IMG, k_third64 - kbase, X_DB, "pm32 5d: DS base 20000h: FDP is the offset, FDS = DS"
    fninit
    mov dword [0x20], 0x40000000            ; 2.0 for the A16 FLD
    mov bx, 0xFFF0
    mov si, 0x30
    fninit
    mov eax, cr3                            ; the first run with a flushed TLB
    mov cr3, eax
    call .run
    PTR_CHECK a, "pm32 5a: cold TLB"
    call .run
    PTR_CHECK a, "pm32 5b: warm TLB"
    fninit
    ret
.run:
    fninit
    BLKSTART .a
    SQ_PTR a
    BLKCHK .a
    ret

; ======================================================================
; 6. unmasked exceptions, #NM
; ======================================================================
; MF_CHECK "name", FIP of the FDIV, the waiting instruction's label
%macro MF_CHECK 3
    MEQ X_VEC, {%1, ": #MF (16), EIP of the next waiting instruction, once"}, 16, -1, L(%3), 1
    MEQW MF_ENV, {%1, ": in the handler: FCW"}, 0x037B
    MEQMW MF_ENV + 4, {%1, ": in the handler: FSW (ZE ES B, TOP 6)"}, 0xB8FF, 0xB084
    QD_BEGIN
    MEQW MF_ENV + 8, {%1, ": in the handler: tags (ST1 = 1 kept: no result for an unmasked #Z)"}, 0x1FFF
    QD_END
    FIPEQ MF_ENV, L(%2), SEL_CODE32F, {%1, ": in the handler: FIP of the FDIV"}
    FOPEQ MF_ENV, 0x4F9, {%1, ": in the handler: FOP DC F9"}
%endmacro
; the stack after the handler's FNSTENV/FNCLEX and the return: the waiting
; instruction ran; ST1 = 1 (no result for an unmasked #Z)
%macro MF_AFTER 2
    fnstcw [RES + 0x60]
    MEQW RES + 0x60, {%1, ": FCW after the handler's FNSTENV: all masked"}, 0x037F
    fnsave [IMG]
    F80S IMG + 28, {%1, ": registers: the divisor, ST1 unchanged by the unmasked #Z"}, %2
%endmacro

; NM_TEST "name", {before}, {first x87 instruction}: CR0.TS set, a block
; with the instruction, FADD, FSTP m80: #NM at it, once, TS clear after
%macro NM_TEST 3
    fninit
    mov eax, cr0
    or eax, 8
    mov cr0, eax
    ARM32 0
    mov dword [X_RETRY], 1
    BLKSTART %%b
    %2
%%f:
    %3
    fld1
    fadd st0, st0
    fstp tword [RES]
    BLKCHK %%b
    mov dword [X_RETRY], 0
    MEQ X_VEC, {%1, ": #NM at it, once"}, 7, -1, L(%%f), 1
    mov eax, cr0
    and eax, 8
    REQ eax, 0, {%1, ": CR0.TS clear after the handler's CLTS"}
%endmacro

t32_unmasked:
    ; FLDCW clearing ZM, FDIV by zero and FLD1 in one block: #MF at FLD1
    fninit
    ARM32 0
    mov dword [X_RETRY], 2
    BLKSTART .a
    fld1
    fldz
    fldcw [K(cw_zm0)]
..@mf_a:
    fdiv st1, st0
..@mf_b:
    fld1
    fstp tword [RES]
    BLKCHK .a
    mov dword [X_RETRY], 0
    QD_BEGIN
    MF_CHECK "pm32 6a: FLDCW ZM=0, FDIV x/0, FLD1 in a block", ..@mf_a, ..@mf_b
    F80S RES, "pm32 6a: FLD1 re-run after the handler", 0x8000000000000000, 0x3FFF
    MF_AFTER "pm32 6a", {0, 0, 0x8000000000000000, 0x3FFF}
    QD_END

    ; the same with FWAIT as the waiting instruction
    fninit
    ARM32 0
    mov dword [X_RETRY], 2
    BLKSTART .b
    fld1
    fldz
    fldcw [K(cw_zm0)]
..@mf_c:
    fdiv st1, st0
..@mf_d:
    fwait
    BLKCHK .b
    mov dword [X_RETRY], 0
    MF_CHECK "pm32 6b: FLDCW ZM=0, FDIV x/0, FWAIT in a block", ..@mf_c, ..@mf_d
    QD_BEGIN
    MF_AFTER "pm32 6b", {0, 0, 0x8000000000000000, 0x3FFF}
    QD_END

    ; ZM cleared by an earlier block
    fninit
    fldcw [K(cw_zm0)]
    ARM32 0
    mov dword [X_RETRY], 2
    BLKSTART .c
    fld1
    fldz
..@mf_e:
    fdiv st1, st0
..@mf_f:
    fadd st0, st0
    BLKCHK .c
    mov dword [X_RETRY], 0
    QD_BEGIN
    MF_CHECK "pm32 6c: ZM=0 from before the block, FDIV x/0, FADD", ..@mf_e, ..@mf_f
    MF_AFTER "pm32 6c", {0, 0, 0x8000000000000000, 0x3FFF}
    QD_END

    ; an exception pending from an earlier block: FNSTSW AX does not wait
    fninit
    fldcw [K(cw_zm0)]
    fld1
    fldz
    fdiv st1, st0
    ARM32 0
    BLKSTART .d
    fnstsw ax
    mov [RES], ax
    fnclex
    fld1
    fnstsw ax
    mov [RES + 2], ax
    BLKCHK .d
    MEQ X_CNT, "pm32 6d: FNSTSW AX, FNCLEX, FLD1 with ES pending: no exception", 0
    MEQMW RES, "pm32 6d: FNSTSW AX: ZE ES B", 0xB8FF, 0xB084
    MEQMW RES + 2, "pm32 6d: after FNCLEX and FLD1: no flag, TOP 5", 0xB8FF, 0x2800
    fninit

    ; CR0.TS: #NM at the first x87 instruction, CLTS in the handler, re-run
    NM_TEST "pm32 6e: CR0.TS, FLD1 first", {mov ebx, 0x11}, {fld1}
    F80S RES, "pm32 6e: FLD1 re-run after #NM, then FADD, FSTP: 2", 0x8000000000000000, 0x4000
    NM_TEST "pm32 6e: CR0.TS, FNSTSW AX first (no-wait still faults)", {}, {fnstsw ax}
    ; LMSW sets TS between two x87 instructions of a block
    fninit
    ARM32 0
    mov dword [X_RETRY], 1
    mov eax, cr0
    or eax, 8
    mov edx, eax
    BLKSTART .l
    fld1
    lmsw dx
..@nm_l:
    fadd st0, st0
    fstp tword [RES]
    BLKCHK .l
    mov dword [X_RETRY], 0
    MEQ X_VEC, "pm32 6f: LMSW sets TS mid-block: #NM at the next x87 instruction, once", 7, -1, L(..@nm_l), 1
    F80S RES, "pm32 6f: FADD re-run after the #NM", 0x8000000000000000, 0x4000
    ; MP and TS: FWAIT faults too
    fninit
    ARM32 0
    mov dword [X_RETRY], 1
    BLKSTART .w
    fld1
    lmsw dx
..@nm_w:
    fwait
    fstp tword [RES]
    BLKCHK .w
    mov dword [X_RETRY], 0
    MEQ X_VEC, "pm32 6f: CR0.MP and TS: #NM at FWAIT, once", 7, -1, L(..@nm_w), 1
    F80S RES, "pm32 6f: FSTP after it", 0x8000000000000000, 0x3FFF

    ; CR0.EM: #NM, nothing done
    fninit
    fld1
    mov eax, cr0
    or eax, 4
    mov cr0, eax
    FBEGIN
    mov ebx, 1
    FAT
    fldpi
    FEND 7, -1, "pm32 6g: CR0.EM=1: FLDPI"
    FBEGIN
    FAT
    fninit
    FEND 7, -1, "pm32 6g: CR0.EM=1: FNINIT"
    FBEGIN
    FAT
    fadd st0, st0
    FEND 7, -1, "pm32 6g: CR0.EM=1: FADD"
    ARM32 0
    BLKSTART .m
    fwait
    BLKCHK .m
    MEQ X_CNT, "pm32 6g: CR0.EM=1, TS=0: FWAIT does not fault", 0
    mov eax, cr0
    and eax, ~4
    mov cr0, eax
    SNAP IMG
    ENVEQM IMG, CW_DEF, 0xB8FF, 0x3800, 0x3FFF, "pm32 6g: after CR0.EM: the FLD1 before it only"
    fnsave [IMG]
    F80S IMG + 28, "pm32 6g: ST0 = 1", 0x8000000000000000, 0x3FFF
    ret

; ======================================================================
; 7. FCOMI/FUCOMI(P) and branches, FNSTSW AX, FTST, FXAM
; ======================================================================
; CMPI insn, x, y, "name", setcc bytes, EFLAGS, FSW: in one block ST0 = x,
; ST1 = y (m80 loads), ADD leaving OF SF AF set, the compare, SETA SETB
; SETE SETP, PUSHFD, FNSTSW AX
%macro CMPI 7
    fninit
    BLKSTART %%b
    fld tword [K(%3)]
    fld tword [K(%2)]
    mov al, 0x7F
    add al, 0x11                ; OF SF AF set, ZF PF CF clear
    %1 st0, st1
    seta [RES]
    setb [RES + 1]
    sete [RES + 2]
    setp [RES + 3]
%if __BITS__ == 64
    pushfq
    pop rax
%else
    pushfd
    pop eax
%endif
    mov ecx, eax
    and eax, 0x45
    mov [RES + 4], eax
    and ecx, 0x890
    or [RES + 0x80], ecx        ; OF SF AF of every case
    fnstsw ax
    and eax, 0xBAFF
    mov [RES + 8], eax
    BLKCHK %%b
    MEQ RES, {%4}, %5, %6, %7
%endmacro
; per outcome: SETA SETB SETE SETP, ZF PF CF
%define LT 0x00000100, 0x001
%define GT 0x00000001, 0x000
%define EQ 0x00010000, 0x040
%define UN 0x01010100, 0x045

; JCASE insn, x, y, jcc, byte: the compare, then the branch at once (the
; block's last instruction); the target and the fall-through store 1 or 0
; and TOP after the exit
%macro JCASE 5
    fninit
    BLKSTART %%b
    fld tword [K(%3)]
    fld tword [K(%2)]
    %1 st0, st1
    %4 %%t
    BLKCHK %%b
    mov byte [RES + %5], 0
    jmp %%d
%%t:
    mov byte [RES + %5], 1
%%d:
    fnstsw ax
    shr eax, 11
    and al, 7
    mov [RES + 0x40 + %5], al
%endmacro
; JROW insn, x, y, first byte: JA JB JE JP
%macro JROW 4
    JCASE %1, %2, %3, ja, %4
    JCASE %1, %2, %3, jb, %4 + 1
    JCASE %1, %2, %3, je, %4 + 2
    JCASE %1, %2, %3, jp, %4 + 3
%endmacro

; SCASE x, y, {test}, jcc, byte: FCOM, FNSTSW AX, the test (SAHF or TEST
; AH), the branch
%macro SCASE 5
    fninit
    BLKSTART %%b
    fld tword [K(%2)]
    fld tword [K(%1)]
    fcom st1
    fnstsw ax
    %3
    %4 %%t
    BLKCHK %%b
    mov byte [RES + %5], 0
    jmp %%d
%%t:
    mov byte [RES + %5], 1
%%d:
%endmacro
; SROW x, y, byte: SAHF JB (C0), SAHF JE (C3), SAHF JP (C2), TEST AH 45h JZ (greater)
%macro SROW 3
    SCASE %1, %2, sahf, jb, %3
    SCASE %1, %2, sahf, je, %3 + 1
    SCASE %1, %2, sahf, jp, %3 + 2
    SCASE %1, %2, {test ah, 0x45}, jz, %3 + 3
%endmacro

; FXAM of each class, FTST of some; FNSTSW AX after each
%macro SQ_XAM 0
%assign n 0
%rep 9
    fld tword [K(t_xam) + 10 * n]
    fxam
    fnstsw ax
    mov [RES + 2 * n], ax
    fstp st0
%assign n n + 1
%endrep
    fld tword [K(t_xam)]
    ffree st0
    fxam                        ; empty (p7 holds +1.5)
    fnstsw ax
    mov [RES + 18], ax
%endmacro
%macro SQ_TST 0
%assign n 0
%rep 4
    fld tword [K(t_xam) + 10 * n]
    ftst
    fnstsw ax
    mov [RES + 20 + 2 * n], ax
    fstp st0
%assign n n + 1
%endrep
    fld tword [K(t_xam) + 60]   ; QNaN
    ftst
    fnstsw ax
    mov [RES + 28], ax
%endmacro

t32_cmp:
    mov dword [RES + 0x80], 0
    CMPI fcomi, t_one, t_two, "pm32 7a: FCOMI 1 < 2", LT, 0x3000
    CMPI fcomi, t_two, t_one, "pm32 7a: FCOMI 2 > 1", GT, 0x3000
    CMPI fcomi, t_two, t_two, "pm32 7a: FCOMI 2 = 2", EQ, 0x3000
    CMPI fcomi, t_one, t_qnan, "pm32 7a: FCOMI 1 ? QNaN: unordered, IE", UN, 0x3001
    CMPI fcomi, t_snan, t_one, "pm32 7a: FCOMI SNaN ? 1: unordered, IE", UN, 0x3001
    CMPI fucomi, t_one, t_two, "pm32 7a: FUCOMI 1 < 2", LT, 0x3000
    CMPI fucomi, t_two, t_one, "pm32 7a: FUCOMI 2 > 1", GT, 0x3000
    CMPI fucomi, t_one, t_one, "pm32 7a: FUCOMI 1 = 1", EQ, 0x3000
    CMPI fucomi, t_qnan, t_one, "pm32 7a: FUCOMI QNaN ? 1: unordered, no IE", UN, 0x3000
    CMPI fucomi, t_one, t_snan, "pm32 7a: FUCOMI 1 ? SNaN: unordered, IE", UN, 0x3001
    CMPI fcomip, t_one, t_two, "pm32 7a: FCOMIP 1 < 2, popped", LT, 0x3800
    CMPI fcomip, t_two, t_one, "pm32 7a: FCOMIP 2 > 1", GT, 0x3800
    CMPI fcomip, t_one, t_one, "pm32 7a: FCOMIP 1 = 1", EQ, 0x3800
    CMPI fcomip, t_qnan, t_two, "pm32 7a: FCOMIP QNaN ? 2: IE", UN, 0x3801
    CMPI fucomip, t_one, t_two, "pm32 7a: FUCOMIP 1 < 2, popped", LT, 0x3800
    CMPI fucomip, t_two, t_one, "pm32 7a: FUCOMIP 2 > 1", GT, 0x3800
    CMPI fucomip, t_two, t_two, "pm32 7a: FUCOMIP 2 = 2", EQ, 0x3800
    CMPI fucomip, t_two, t_qnan, "pm32 7a: FUCOMIP 2 ? QNaN: no IE", UN, 0x3800
    CMPI fucomip, t_snan, t_two, "pm32 7a: FUCOMIP SNaN ? 2: IE", UN, 0x3801
    QD_BEGIN
    MEQ RES + 0x80, "pm32 7a: OF SF AF (set before each) cleared by every compare", 0
    QD_END

    JROW fcomi, t_one, t_two, 0
    JROW fcomi, t_two, t_one, 4
    JROW fcomi, t_one, t_one, 8
    JROW fcomi, t_qnan, t_one, 12
    JROW fucomip, t_one, t_two, 16
    JROW fucomip, t_two, t_one, 20
    JROW fucomip, t_two, t_two, 24
    JROW fucomip, t_one, t_qnan, 28
    MEQ RES, "pm32 7b: FCOMI then JA JB JE JP: less, greater, equal, unordered", 0x00000100, 0x00000001, 0x00010000, 0x01010100
    MEQ RES + 16, "pm32 7b: FUCOMIP then JA JB JE JP", 0x00000100, 0x00000001, 0x00010000, 0x01010100
    MEQ RES + 0x40, "pm32 7b: TOP after each exit: 6 (FCOMI), 7 (FUCOMIP)", 0x06060606, 0x06060606, 0x06060606, 0x06060606, 0x07070707, 0x07070707, 0x07070707, 0x07070707

    ; FCOMI, then FCMOVcc (handlers reading EFLAGS) in the same block
    fninit
    BLKSTART .cm
    fld tword [K(t_two)]
    fld tword [K(t_one)]
    fldz                        ; ST0 = 0, ST1 = 1, ST2 = 2
    fxch st1
    fcomi st0, st2              ; 1 < 2: CF
    fcmovb st0, st2             ; taken: ST0 = 2
    fcmove st0, st1             ; not taken
    fcmovnbe st0, st1           ; not taken
    fcmovnb st0, st1            ; not taken
    fstp tword [RES]
    BLKCHK .cm
    F80S RES, "pm32 7c: FCOMI (less) then FCMOVB taken, FCMOVE/NBE/NB not", 0x8000000000000000, 0x4000

    SROW t_one, t_two, 0
    SROW t_two, t_one, 4
    SROW t_two, t_two, 8
    SROW t_qnan, t_two, 12
    MEQ RES, "pm32 7c: FCOM, FNSTSW AX, SAHF JB/JE/JP, TEST AH 45h JZ: less, greater, equal, unordered", 0x00000001, 0x01000000, 0x00000100, 0x00010101

    fninit
    BLKSTART .x
    SQ_XAM
    BLKCHK .x
    BLKSTART .y
    SQ_TST
    BLKCHK .y
    jmp .x1
.x1:
    MEQMW RES, "pm32 7d: FXAM +normal -normal +0 -0 +inf -inf QNaN denormal unnormal empty", \
        {0x4700, 0x4700, 0x4700, 0x4700, 0x4700, 0x4700, 0x4700, 0x4700, 0x4700, 0x4700}, \
        {0x0400, 0x0600, 0x4000, 0x4200, 0x0500, 0x0700, 0x0100, 0x4400, 0x0000, 0x4100}
    MEQMW RES + 20, "pm32 7d: FTST +normal -normal +0 -0, QNaN (IE)", \
        {0x4701, 0x4701, 0x4701, 0x4701, 0x4701}, \
        {0x0000, 0x0100, 0x4000, 0x4000, 0x4501}
    ret

; ======================================================================
; 8. loops: 1000 turns with all eight registers in use
; ======================================================================
%define TURNS 1000
; eight values, round up
%macro LP_INIT 0
    fninit
    fldcw [K(cw_ru)]
%assign n 0
%rep 8
    fld qword [K(l_init) + 8 * n]
%assign n n + 1
%endrep
%endmacro
; one turn: every register changes; TOP moves by one (FINCSTP with a full
; stack rotates it); memory operands in and out
; LP_BODY {middle}: one turn, stack-neutral: every register changes (the
; rotation by FINCSTP of a full stack moves TOP by one); memory operands in
; and out, a pop and a push
%macro LP_BODY 1
    fadd st0, st1               ; s0 += s1
    fmul qword [K(l_mul)]       ; *= 0.75 + 2^-40
    fxch st3
    fsubr qword [K(l_c)]        ; s3 = 1.1 - s3
    fst dword [RES + 0x100]     ; rounded to single (up)
    fxch st3
    %1
    fxch st6
    fdiv qword [K(l_c)]         ; s6 /= 1.1
    fxch st6
    fsub dword [RES + 0x100]    ; s0 -= single(s3)
    fxch st7
    fabs
    fsqrt                       ; s7 = sqrt |s7|
    fxch st7
    fstp qword [RES + 0x108]    ; pop s0, rounded to double
    mov eax, [RES + 0x108]      ; a hash of every turn's value in EBP
    xor ebp, eax                ; (no INC, DEC, ROL in the loops: they
    mov eax, [RES + 0x10C]      ; call a helper for the flags, which
    add ebp, eax                ; stores the x87 state every turn)
    imul ebp, ebp, 0x01000193
    fild word [K(l_i16)]        ; push 3
    fadd qword [RES + 0x108]    ; s0 = 3 + double(s0)
    fincstp                     ; rotate
%endmacro
%macro PORT80 0
    in al, 0x80
%endmacro
%macro MID_IOENV 0
    PORT80
    fnstenv [IMG + 0x300]
%endmacro
%macro MID_RC 0                 ; RU on even turns, RD with ZM clear on odd ones
    mov eax, esi
    and eax, 1
    mov ax, [K(cw_alt) + eax * 2]
    mov [CBUF + 0x60], ax
    fldcw [CBUF + 0x60]
%endmacro
%macro MID_SSE 0                ; XMM0 += 1.1; FCOM of it; C bits into EBP
    addsd xmm0, [K(l_c)]
    movsd [RES + 0x118], xmm0
    fcom qword [RES + 0x118]
    fnstsw ax
    movzx eax, ax
    xor ebp, eax
    cvtsd2si eax, xmm0
    add ebp, eax
%endmacro
; LP_RUN {middle}[, {tail}]: the loop, one block unless the middle or the
; tail (run at the end of each turn, before the back-edge) ends one
%macro LP_RUN 1-2 {}
    LP_INIT
    mov esi, TURNS
    xor ebp, ebp
    pxor xmm0, xmm0
    BLKSTART %%top, 320
    LP_BODY {%1}
    %2
    sub esi, 1
    jnz %%top
    BLKCHK %%top, 320
%endmacro
; LP_CHECK "name", FCW, hash, ST0-ST7 (mant, se): the counter, the hash,
; FCW, FSW (TOP 0, PE), tags (all valid), the registers
%macro LP_CHECK 19
    REQ esi, 0, {%1, ": 1000 turns"}
    REQ ebp, %3, {%1, ": hash of every turn's FSTP m64"}
    SNAP IMG
    ENVEQM IMG, %2, 0xB8FF, 0x0020, 0x0000, {%1, ": FCW, FSW, tags"}
    fnsave [IMG + 0x40]
    F80S IMG + 0x40 + 28, {%1, ": ST0-ST7"}, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, %16, %17, %18, %19
%endmacro
%define LP_PLAIN \
        0xD65B01B95A078060, 0xBFFD, 0xD65B01B95A078060, 0xBFFD, \
        0xD65B0215B3396C84, 0xBFFD, 0xC2638D56EFBC49F0, 0x3FFF, \
        0xC2638D52399B2B21, 0x3FFF, 0xC2638D3B234EB018, 0x3FFF, \
        0xD5D3E82773A36029, 0x3FFF, 0xB29A4FE496A71E80, 0x4000

t32_loop:
    LP_RUN {}
    LP_CHECK "pm32 8a: one-block loop", 0x0B7F, 0x2396D204, LP_PLAIN
    mov eax, cr3                ; the first turn's operands miss the TLB
    mov cr3, eax
    LP_RUN {}
    LP_CHECK "pm32 8a: the same after a TLB flush", 0x0B7F, 0x2396D204, LP_PLAIN
    LP_RUN {MID_IOENV}
    LP_CHECK "pm32 8b: IN and FNSTENV in the body", 0x0B7F, 0x2396D204, LP_PLAIN
    ENVEQ IMG + 0x300, 0x0B7F, 0x3820, 0x0000, "pm32 8b: the last turn's FNSTENV: TOP 7, tags"
    FOPEQ IMG + 0x300, 0x1CB, "pm32 8b: the last turn's FNSTENV: FOP D9 CB (FXCH ST3)"
    LP_RUN {MID_CPUID}
    LP_CHECK "pm32 8c: CPUID in the body", 0x0B7F, 0x2396D204, LP_PLAIN
    LP_RUN {MID_RC}
    LP_CHECK "pm32 8d: FLDCW RU / RD with ZM clear, turn by turn", 0x077B, 0x20D7AD7F, \
        0xD65B01F4E9DF2494, 0xBFFD, 0xD65B01AF41BED294, 0xBFFD, \
        0xD65B0251431109A8, 0xBFFD, 0xC2638D5469AA1E4E, 0x3FFF, \
        0xC2638D611D911224, 0x3FFF, 0xC2638D389D3C84EB, 0x3FFF, \
        0xD5D3E837D4CB7A6B, 0x3FFF, 0xB29A4FDFF371B700, 0x4000
    LP_RUN {MID_SSE}
    LP_CHECK "pm32 8e: ADDSD, MOVSD, FCOM m64, CVTSD2SI in the body", 0x0B7F, 0x9181D30D, LP_PLAIN
    movq [RES], xmm0
    MEQQ RES, "pm32 8e: XMM0: 1.1 added 1000 times (RN)", 0x4091300000000026
    call SEL_CODE32:nc_loop
    LP_CHECK "pm32 8f: CS base F0000h", 0x0B7F, 0x2396D204, LP_PLAIN
    LP_RUN {}, {fnstenv [IMG + 0x300]}
    LP_CHECK "pm32 8g: FNSTENV at the end of the body", 0x0B7F, 0x2396D204, LP_PLAIN
    LP_RUN {}, {MID_RC}
    LP_CHECK "pm32 8g: FLDCW (RU / RD, ZM clear) at the end of the body", 0x077B, 0x06BD44FD, \
        0xD65B01F4E9DF237C, 0xBFFD, 0xD65B01AF41BED3AC, 0xBFFD, \
        0xD65B025143110890, 0xBFFD, 0xC2638D5469AA1E94, 0x3FFF, \
        0xC2638D611D9111DE, 0x3FFF, 0xC2638D389D3C8531, 0x3FFF, \
        0xD5D3E837D4CB7A1F, 0x3FFF, 0xB29A4FDFF371B780, 0x4000
    ; a loop whose back-edge is a JA on FCOMI's flags: x += 1.1 while
    ; 1000 > x (unordered leaves it; FCMOVNB makes the limit 0 after 4000
    ; turns, in case)
    fninit
    fldz
    fld qword [K(l_c)]
    fldz
    fld qword [K(k_lim)]        ; ST0 = 1000, ST1 = x, ST2 = 1.1, ST3 = 0
    xor ecx, ecx
    BLKSTART .fl
    fxch st1
    fadd st0, st2
    fxch st1
    add ecx, 1
    cmp ecx, 4000
    fcmovnb st0, st3
    fcomi st0, st1
    ja .fl
    BLKCHK .fl
    REQ ecx, 910, "pm32 8h: FADD, FCOMI, JA back: 910 turns"
    fnsave [IMG]
    F80S IMG + 28, "pm32 8h: the limit, x, the step", 0xFA00000000000000, 0x4008, \
        0xFA400000000005B0, 0x4008, 0x8CCCCCCCCCCCD000, 0x3FFF
    fninit
    ret

; ---- timer interrupts during a loop; the handler uses the FPU ----
; TOP and registers come back to their values every 8 turns (exact
; integer arithmetic); turns go on until 20 interrupts were taken
%define QCAP 3000000
%macro PIT_ON 0
    mov al, 0x34                ; channel 0, lo/hi, mode 2, about 4 kHz
    out 0x43, al
    mov al, 298 & 0xFF
    out 0x40, al
    mov al, 298 >> 8
    out 0x40, al
    mov al, 0xFE                ; IRQ0 only
    out 0x21, al
%endmacro
t32_irq:
    mov dword [TICKS], 0
    mov dword [BADIRQ], 0
    fninit
%assign n 0
%rep 8
    fild word [K(l_int) + 2 * n]
%assign n n + 1
%endrep
    xor ecx, ecx
    PIT_ON
    sti
    BLKSTART .top
    fadd st0, st1
    fxch st2
    fchs
    fxch st2
    fsub st0, st1
    fxch st2
    fchs
    fxch st2
    fst qword [RES + 0x130]
    fadd qword [RES + 0x130]
    fmul qword [K(k_half)]
    fincstp
    add ecx, 1
    mov eax, [TICKS]            ; (every instruction native: the state
    cmp eax, 20                 ; stays in the host FPU across turns)
    sbb eax, eax                ; -1 while fewer than 20 interrupts
    cmp ecx, QCAP
    sbb edx, edx                ; -1 while below the cap
    and eax, edx
    jnz .top
    BLKCHK .top
    cli
    mov al, 0xFF
    out 0x21, al
    mov eax, ecx                ; TOP back to 0
    neg eax
    and eax, 7
    jz .z
.r:
    fincstp
    dec eax
    jnz .r
.z:
    cmp ecx, QCAP
    sbb eax, eax
    cmp eax, -1
    CHK "pm32 8i: 20 timer interrupts during the loop"
    MEQ BADIRQ, "pm32 8i: the handler's FNSAVE: TOP and tags as the loop leaves them", 0
    SNAP IMG
    ENVEQ IMG, CW_DEF, 0x0000, 0x0000, "pm32 8i: after the loop: FSW, tags"
    fnsave [IMG]
    F80S IMG + 28, "pm32 8i: after the loop: the registers as loaded", \
        0x8000000000000000, 0x4002, 0xE000000000000000, 0x4001, \
        0xC000000000000000, 0x4001, 0xA000000000000000, 0x4001, \
        0x8000000000000000, 0x4001, 0xC000000000000000, 0x4000, \
        0x8000000000000000, 0x4000, 0x8000000000000000, 0x3FFF
    ret

; IRQ0: FNSAVE (TOP and tags checked: the loop's values are all valid),
; FNINIT, some x87 work, FRSTOR, EOI
irq32:
    push eax
    fnsave [IRQ_SAVE]
    mov ax, [IRQ_SAVE + 4]      ; TOP of the image: the turns done
    shr ax, 11                  ; (ECX) mod 8, or one more between
    sub al, cl                  ; FINCSTP and INC ECX
    and al, 7
    cmp al, 1
    jbe .top
    inc dword [BADIRQ]
.top:
    cmp word [IRQ_SAVE + 8], 0
    je .tags
    inc dword [BADIRQ]
.tags:
    fninit
    fld1
    fldpi
    faddp st1, st0
    fstp qword [IRQ_SAVE + 0x70]
    frstor [IRQ_SAVE]
    inc dword [TICKS]
    mov al, 0x20
    out 0x20, al
    pop eax
    iretd
irq_iret:
    iretd

; ======================================================================
; 9. MMX between x87 blocks (SDM vol. 1 9.5: an MMX instruction sets TOP
; to 0 and every tag valid, an MMX register write sets its exponent to all
; ones; EMMS empties every tag)
; ======================================================================
t32_mmx:
    STALE                       ; TOP 1
    BLKSTART .a
    fld1                        ; TOP 0: p0 = 1
    fldpi                       ; TOP 7: p7 = pi
    fldz                        ; TOP 6: p6 = 0
    BLKCHK .a
    jmp .a1
.a1:
    movq mm1, [K(k_mmx)]
    SNAP IMG
    QD_BEGIN
    ENVEQM IMG, CW_DEF, 0xB8FF, 0x0000, 0x1008, "pm32 9a: after MOVQ mm1: TOP 0, tags from the contents (mm1 special)"
    QD_END
    movq [RES], mm7
    movq [RES + 8], mm0
    movq [RES + 16], mm1
    MEQQ RES, "pm32 9a: MOVQ from mm7, mm0, mm1: the x87 block's pi and 1, the MMX value", 0xC90FDAA22168C235, 0x8000000000000000, 0x0123456789ABCDEF
    fnsave [IMG]
    frstor [IMG]
    QD_BEGIN
    MEQW IMG + 28 + 18, "pm32 9a: FNSAVE: ST1 = mm1's exponent all ones", 0xFFFF
    QD_END
    emms
    SNAP IMG
    ENVEQM IMG, CW_DEF, 0xB8FF, 0x0000, 0xFFFF, "pm32 9b: EMMS: all tags empty, TOP 0"
    ; an MMX instruction, then x87 without EMMS in one block: the stack is
    ; full (every tag valid), FLD1 overflows
    BLKSTART .b
    movq mm2, [K(k_mmx)]
    fld1
    fnstsw ax
    mov [RES], ax
    fnclex
    emms
    fld1
    fnstsw ax
    mov [RES + 2], ax
    fld qword [K(k_third64)]
    fstp tword [RES + 4]
    BLKCHK .b
    jmp .b1
.b1:
    QD_BEGIN
    MEQW RES, "pm32 9c: MOVQ mm2 then FLD1 in one block: stack full: IE SF C1=1, TOP 7", 0x3A41
    QD_END
    MEQMW RES + 2, "pm32 9c: FNCLEX, EMMS, FLD1 in the same block: no stack fault", 0x0241, 0
    QD_BEGIN
    MEQMW RES + 2, "pm32 9c: EMMS set TOP to 0 (vol. 3 12.2), FLD1: TOP 7", 0x3800, 0x3800
    QD_END
    F80S RES + 4, "pm32 9c: FLD m64, FSTP m80 after it", 0xAAAAAAAAAAAAA800, 0x3FFD
    ; x87 writes, MMX reads in one block
    fninit
    BLKSTART .c
    fld qword [K(k_third64)]    ; TOP 7: p7
    fld1                        ; TOP 6: p6
    movq [RES], mm7
    movq [RES + 8], mm6
    emms
    fldpi
    fstp tword [RES + 16]
    BLKCHK .c
    jmp .c1
.c1:
    MEQQ RES, "pm32 9d: FLD then MOVQ from mm7, mm6 in one block", 0xAAAAAAAAAAAAA800, 0x8000000000000000
    F80S RES + 16, "pm32 9d: EMMS then FLDPI in the same block", 0xC90FDAA22168C235, 0x4000
    fninit
    ret

; FLD m64 (6 bytes) running into the next page, in the middle of a block
xpage:
    jmp .a
    times 0x1000 - 3 - (($ - $$) & 0xFFF) db 0xCC
.a:
    fwait                       ; (1 byte) the block starts 3 bytes before the page end
    nop
..@xpg:
    fld qword [K(k_third64)]
    fadd st0, st1
    fnstenv [IMG]
    ret

; ======================================================================
; code run through SEL_CODE32 (base F0000h: blocks that are not chained);
; far-called, position-independent
; ======================================================================
nc_stack:
    BLKSTART .f
    SQ_STK f, {}
    BLKCHK .f
    jmp .f1
.f1:
    retf

nc_loop:
    LP_RUN {}
    retf

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
    call t64_high
    call t64_ptr
    call t64_cmp
    call t64_loop
    call t64_faults
    ret

; ---- FIP and FDP above 4 GiB: the ROM mapped again at HIGH ----
t64_high:
    mov edi, PDHI
    xor eax, eax
    mov ecx, 1024
    rep stosd
    mov dword [PDHI], 0x87                      ; 2 MiB at physical 0
    mov dword [PDPT_BASE + 8 * (HIGH >> 30)], PDHI | 7
    mov rax, cr3
    mov cr3, rax
    lea rax, [rel hi_code]
    mov rcx, HIGH
    add rax, rcx
    call rax
    QD_BEGIN
    MEQW IMG + 6, "lm64 a: FXSAVE64 at RIP >= 4 GiB: FOP DC C0", 0x4C0
    MEQQ IMG + 8, "lm64 a: FXSAVE64: FIP = the whole RIP of the FADD", HIGH + LIN(..@hi_a)
    MEQQ IMG + 16, "lm64 a: FXSAVE64: FDP = the whole address of the FLD [rip + k] (kept)", HIGH + LIN(k_third64)
    QD_END
    MEQ IMG + 0x200 + 12, "lm64 a: FNSTENV there: FIP bits 31:0", LIN(..@hi_a)
    MEQ IMG + 0x200 + 20, "lm64 a: FNSTENV there: FDP bits 31:0", LIN(k_third64)
    fnsave [IMG]
    F80S IMG + 28, "lm64 a: FLD [rip + k], FADD: 2/3", 0xAAAAAAAAAAAAA800, 0x3FFE
    ret
hi_code:
    fninit
    BLKSTART .a
    fld qword [rel k_third64]
..@hi_a:
    fadd st0, st0
    fxsave64 [IMG]
    fnstenv [IMG + 0x200]
    BLKCHK .a
    ret

; ---- prefixes and address forms ----
t64_ptr:
    mov rax, [rel k_third64]
    mov [0x200100], rax         ; beyond the HIGH alias's 2 MiB
    mov ecx, MSR_FS_BASE
    mov eax, KDATA
    xor edx, edx
    wrmsr
    mov r8d, K(k_third64)
    mov ebx, 0xFFFFFF00
    fninit
    BLKSTART .a
..@r64a:
    fld qword [r8]              ; REX.B
    fnstenv [IMG]
..@r64b:
    a32 fld qword [ebx + 0x200100 + 0x100]  ; wraps to 200100h
    fxsave64 [IMG + 0x200]
..@r64c:
    fs fld qword [k_third64 - kbase]
    fnstenv [IMG + 0x40]
    BLKCHK .a
    MEQ IMG + 12, "lm64 b: FLD [r8]: FIP is its REX prefix", LIN(..@r64a)
    FOPEQ IMG, 0x500, "lm64 b: FLD [r8]: FOP DD 00"
    MEQ IMG + 20, "lm64 b: FLD [r8]: FDP", K(k_third64)
    QD_BEGIN
    MEQQ IMG + 0x200 + 8, "lm64 b: A32 FLD: FXSAVE64 FIP is its 67h prefix", LIN(..@r64b)
    MEQQ IMG + 0x200 + 16, "lm64 b: A32 FLD: FXSAVE64 FDP is the 32-bit wrapped address", 0x200100
    QD_END
    MEQ IMG + 0x40 + 12, "lm64 b: FS FLD: FIP is its FS prefix", LIN(..@r64c)
    MEQ IMG + 0x40 + 20, "lm64 b: FS FLD: FDP is the offset, not the linear address", k_third64 - kbase
    fnsave [IMG]
    F80S IMG + 28, "lm64 b: three loads of 1/3", 0xAAAAAAAAAAAAA800, 0x3FFD, \
        0xAAAAAAAAAAAAA800, 0x3FFD, 0xAAAAAAAAAAAAA800, 0x3FFD
    ret

t64_cmp:
    mov dword [RES + 0x80], 0
    CMPI fucomi, t_one, t_two, "lm64 c: FUCOMI 1 < 2", LT, 0x3000
    CMPI fucomi, t_two, t_one, "lm64 c: FUCOMI 2 > 1", GT, 0x3000
    CMPI fcomi, t_two, t_two, "lm64 c: FCOMI 2 = 2", EQ, 0x3000
    CMPI fcomip, t_qnan, t_two, "lm64 c: FCOMIP QNaN ? 2: IE", UN, 0x3801
    JROW fcomip, t_one, t_two, 0
    JROW fcomip, t_two, t_one, 4
    JROW fcomip, t_two, t_two, 8
    JROW fcomip, t_one, t_qnan, 12
    MEQ RES, "lm64 c: FCOMIP then JA JB JE JP", 0x00000100, 0x00000001, 0x00010000, 0x01010100
    MEQ RES + 0x40, "lm64 c: TOP 7 after each exit", 0x07070707, 0x07070707, 0x07070707, 0x07070707
    ret

%macro MID_SSE64 0              ; XMM8 += 1.1; FCOM of it; C bits into EBP
    addsd xmm8, [K(l_c)]
    movsd [RES + 0x118], xmm8
    fcom qword [RES + 0x118]
    fnstsw ax
    movzx eax, ax
    xor ebp, eax
    cvtsd2si r9, xmm8
    add ebp, r9d
%endmacro
t64_loop:
    LP_RUN {}
    LP_CHECK "lm64 d: one-block loop", 0x0B7F, 0x2396D204, LP_PLAIN
    LP_RUN {MID_CPUID}
    LP_CHECK "lm64 d: CPUID in the body", 0x0B7F, 0x2396D204, LP_PLAIN
    pxor xmm8, xmm8
    LP_RUN {MID_SSE64}
    LP_CHECK "lm64 d: ADDSD xmm8, FCOM, CVTSD2SI r64 in the body", 0x0B7F, 0x9181D30D, LP_PLAIN
    movq [RES], xmm8
    MEQQ RES, "lm64 d: XMM8: 1.1 added 1000 times", 0x4091300000000026
    fninit
    ret

; ---- faults ----
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
    fninit
    F64BEGIN
    fld1
    fldpi
    fadd st0, st1
..@pf64:
    fmul qword [rel k_third64]
    F64AT
    fld tword [HOLE - 2]
    F64END 14, 0, "lm64 e: FLD m80 across into a page not present"
    EXPECT64 [EXC_CR2], HOLE, "lm64 e: FLD m80: CR2"
    SNAP IMG
    ENVEQM IMG, CW_DEF, 0xB8FF, 0x3020, 0x0FFF, "lm64 e: FLD m80: FSW (TOP 6), tags as before"
    MEQ IMG + 12, "lm64 e: FLD m80: FIP bits 31:0 of the FMUL before it", LIN(..@pf64)
    MEQ IMG + 20, "lm64 e: FLD m80: FDP bits 31:0 of the FMUL", LIN(k_third64)
    fnsave [IMG + 0x40]
    F80S IMG + 0x40 + 28, "lm64 e: FLD m80: ST0, ST1 as before", \
        0xB0B53C6C1645D40B, 0x3FFF, 0x8000000000000000, 0x3FFF

    ; #NM with CR0.TS: CLTS in the handler, the instruction re-run
    SET_GATE64 7, nm64, 0x8E, 0
    mov qword [N_CNT], 0
    fninit
    mov rax, cr0
    or eax, 8
    mov cr0, rax
    BLKSTART .nm
..@nm64:
    fld1
    fadd st0, st0
    fstp tword [RES]
    BLKCHK .nm
    jmp .nm1
.nm1:
    lea rax, [rel ..@nm64]
    mov [CBUF + 0x30], rax
    MEQQ N_CNT, "lm64 e: CR0.TS: #NM once, at the first x87 instruction", 1
    EXPECT64 [N_RIP], [CBUF + 0x30], "lm64 e: CR0.TS: #NM RIP"
    F80S RES, "lm64 e: FLD1, FADD, FSTP re-run after #NM: 2", 0x8000000000000000, 0x4000

    ; #MF at FWAIT after FLDCW ZM=0 and FDIV by zero in one block; the
    ; handler stores the environment, FNCLEX, returns
    SET_GATE64 16, mf64, 0x8E, 0
    mov qword [N_CNT], 0
    fninit
    BLKSTART .mf
    fld1
    fldz
    fldcw [K(cw_zm0)]
..@mf64a:
    fdiv st1, st0
..@mf64b:
    fwait
    fld1
    BLKCHK .mf
    jmp .mf1
.mf1:
    lea rax, [rel ..@mf64b]
    mov [CBUF + 0x30], rax
    MEQQ N_CNT, "lm64 e: FDIV x/0 with ZM=0, FWAIT: #MF once", 1
    EXPECT64 [N_RIP], [CBUF + 0x30], "lm64 e: #MF RIP: the FWAIT"
    MEQMW MF_ENV + 4, "lm64 e: #MF: the handler's FSW: ZE ES B, TOP 6", 0xB8FF, 0xB084
    MEQ MF_ENV + 12, "lm64 e: #MF: FIP bits 31:0 of the FDIV", LIN(..@mf64a)
    SNAP IMG
    QD_BEGIN
    ENVEQM IMG, CW_DEF, 0xB8FF, 0x2800, 0x13FF, "lm64 e: after the handler: all masked, FLD1 ran (TOP 5), ST1 kept"
    QD_END
    SET_GATE64 7, lm_stubs + 7 * 16, 0x8E, 0
    SET_GATE64 16, lm_stubs + 16 * 16, 0x8E, 0
    fninit
    ret

nm64:                           ; #NM: CLTS, count, back to the instruction
    clts
    inc qword [N_CNT]
    push rax
    mov rax, [rsp + 8]
    mov [N_RIP], rax
    pop rax
    iretq
mf64:                           ; #MF: environment, FNCLEX, back
    fnstenv [MF_ENV]
    fnclex
    inc qword [N_CNT]
    push rax
    mov rax, [rsp + 8]
    mov [N_RIP], rax
    pop rax
    iretq

; ======================================================================
; check library
; ======================================================================
; The data after `call mchk32/64`: dd address; db length, flags (1: QEMU
; may depart, 2: a mask follows the expected bytes); the expected bytes;
; the mask; the name, NUL-terminated. After `call zchk32/64`: db flags;
; the name. Both return past the data, registers and flags kept.
bits 32
; EAX = 0: pass; DL = flags; ESI = name (linear)
report32:
    inc word [CHECKS_ADDR]
    test eax, eax
    jz .ok
    test dl, 1
    jz .fail
    cmp byte [QFLAG], 0
    je .fail
    inc dword [QDCNT]
    push esi
    mov esi, L(s_qd)
    jmp .pre
.fail:
    inc word [FAILS_ADDR]
    push esi
    mov esi, L(rom_fail_str)
    jmp .pre
.ok:
    push esi
    mov esi, L(rom_ok_str)
.pre:
    call lm_puts32
    pop esi
    call lm_puts32
    mov al, 10
    out DEBUGCON_PORT, al
    ret

; ESI -> past the NUL
skipz32:
    lodsb
    test al, al
    jnz skipz32
    ret

zchk32:
    pushfd
    pushad
    mov ebx, [esp + 36]
    mov eax, [esp + 32]
    and eax, 0x40
    xor eax, 0x40
    mov dl, [ebx]
    lea esi, [ebx + 1]
    call report32
    call skipz32
    mov [esp + 36], esi
    popad
    popfd
    ret

mchk32:
    pushfd
    pushad
    mov ebx, [esp + 36]
    movzx ecx, byte [ebx + 4]   ; length
    lea edi, [ebx + 6]          ; expected
    lea ebp, [edi + ecx]        ; the mask (if any)
    mov esi, [ebx]
    xor edx, edx
.l:
    cmp edx, ecx
    jae .eq
    mov al, [esi + edx]
    test byte [ebx + 5], 2
    jz .cmp
    and al, [ebp + edx]
.cmp:
    cmp al, [edi + edx]
    jne .ne
    inc edx
    jmp .l
.eq:
    xor eax, eax
    jmp .rep
.ne:
    mov eax, 1
.rep:
    push eax
    mov dl, [ebx + 5]
    test dl, 2
    jz .nm
    add ebp, ecx                ; the name after the mask
.nm:
    xchg esi, ebp               ; ESI = name, EBP = actual
    call report32
    pop eax
    test eax, eax
    jz .skip
    push esi
    mov esi, L(s_got)
    call lm_puts32
    mov esi, ebp
    call dump32
    mov esi, L(s_want)
    call lm_puts32
    mov esi, edi
    call dump32
    mov al, 10
    out DEBUGCON_PORT, al
    pop esi
.skip:
    call skipz32
    mov [esp + 36], esi
    popad
    popfd
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

hex8:                           ; AL -> 2 hex digits
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

; Exception stubs for 32-bit protected mode (flat CS), 16 bytes each.
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
; and CR2; #NM with X_RETRY bit 0: CLTS and back to the instruction; #MF
; with bit 1: FNSTENV at MF_ENV, FNCLEX and back to the instruction; else
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
    jne .mf
    test byte [X_RETRY], 1
    jz .res
    clts
    jmp .ret
.mf:
    cmp dword [X_VEC], 16
    jne .res
    test byte [X_RETRY], 2
    jz .res
    fnstenv [MF_ENV]
    fnclex
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
    mov esi, L(s_unexp)
    call lm_puts32
    mov eax, [X_VEC]
    call hex32
    mov esi, L(s_code)
    call lm_puts32
    mov eax, [X_ERR]
    call hex32
    mov esi, L(s_at)
    call lm_puts32
    mov eax, [X_EIP]
    call hex32
    mov al, 10
    out DEBUGCON_PORT, al
    inc word [FAILS_ADDR]
    mov al, 1
    out EXIT_PORT, al
    hlt

bits 64
report64:                       ; EAX = 0: pass; DL = flags; RSI = name
    inc word [CHECKS_ADDR]
    test eax, eax
    jz .ok
    test dl, 1
    jz .fail
    cmp byte [QFLAG], 0
    je .fail
    inc dword [QDCNT]
    push rsi
    lea rsi, [rel s_qd]
    jmp .pre
.fail:
    inc word [FAILS_ADDR]
    push rsi
    lea rsi, [rel rom_fail_str]
    jmp .pre
.ok:
    push rsi
    lea rsi, [rel rom_ok_str]
.pre:
    call lm_puts64
    pop rsi
    call lm_puts64
    mov al, 10
    out DEBUGCON_PORT, al
    ret

skipz64:
    lodsb
    test al, al
    jnz skipz64
    ret

%macro PUSHALL64 0
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
%endmacro
%macro POPALL64 0
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
%endmacro

zchk64:
    pushfq
    PUSHALL64
    mov rbx, [rsp + 64]
    mov rax, [rsp + 56]
    and eax, 0x40
    xor eax, 0x40
    mov dl, [rbx]
    lea rsi, [rbx + 1]
    call report64
    call skipz64
    mov [rsp + 64], rsi
    POPALL64
    popfq
    ret

mchk64:
    pushfq
    PUSHALL64
    mov rbx, [rsp + 64]
    movzx ecx, byte [rbx + 4]
    lea rdi, [rbx + 6]
    lea rbp, [rdi + rcx]
    mov esi, [rbx]
    xor edx, edx
.l:
    cmp edx, ecx
    jae .eq
    mov al, [rsi + rdx]
    test byte [rbx + 5], 2
    jz .cmp
    and al, [rbp + rdx]
.cmp:
    cmp al, [rdi + rdx]
    jne .ne
    inc edx
    jmp .l
.eq:
    xor eax, eax
    jmp .rep
.ne:
    mov eax, 1
.rep:
    push rax
    mov dl, [rbx + 5]
    test dl, 2
    jz .nm
    add rbp, rcx
.nm:
    xchg rsi, rbp
    call report64
    pop rax
    test eax, eax
    jz .skip
    push rsi
    lea rsi, [rel s_got]
    call lm_puts64
    mov rsi, rbp
    call dump64
    lea rsi, [rel s_want]
    call lm_puts64
    mov rsi, rdi
    call dump64
    mov al, 10
    out DEBUGCON_PORT, al
    pop rsi
.skip:
    call skipz64
    mov [rsp + 64], rsi
    POPALL64
    popfq
    ret

dump64:                         ; ECX bytes at RSI, highest first
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
    DESC KDATA, 0xFFFFF, 0x93, 0xC          ; X_DB
    DESC KDATA, 0xFFF, 0x93, 0x4            ; X_DBL
xgdt_end:

xidtr:  dw 40 * 8 - 1
        dd LIDT_BASE
rm_idtr: dw 0x3FF
        dd 0

; The constants, copied to KDATA (K(label) is the copy's address).
    align 16
kbase:
k_inf:    dq 0x7FF0000000000000
k_qnan:   dq 0x7FF8000000000001
k_den80:  dq 0x0000000000000123
          dw 0
k_unn80:  dq 0x4000000000000000
          dw 0x4000
k_three:  dq 0x4008000000000000
k_seven:  dq 0x401C000000000000
k_two:    dq 0x4000000000000000
k_m1:     dq 0xBFF0000000000000
k_tie64:  dq 0x3BF0000000000000     ; 2^-64: half an ulp of 1.0
k_den64:  dq 1                      ; 2^-1074
k_big:    dq 0x8000000000000000     ; 2^16000
          dw 0x3FFF + 16000
k_tiny:   dq 0x8000000000000000     ; 2^-16000
          dw 0x3FFF - 16000
cw_zm0:   dw 0x037B                 ; ZM clear
cw_rn:    dw 0x037F
cw_rd:    dw 0x077F
cw_ru:    dw 0x0B7F
cw_rz:    dw 0x0F7F
cw_sn:    dw 0x007F                 ; single precision
cw_su:    dw 0x087F
cw_dn:    dw 0x027F                 ; double precision
cw_du:    dw 0x0A7F
k_f32a:   dd 0x3FC00002             ; 1.5 + 2^-22
k_third64: dq 0x3FD5555555555555
k_x80:    dq 0xFEDCBA9876543210
          dw 0x3FFF
k_i16:    dw -12345
k_i32:    dd -123456789
k_i64:    dq 0x7123456789ABCDEF
k_i64b:   dq 0x43D8000000000000     ; 2^62 + 2^61
k_2p5:    dq 0x4004000000000000
k_m2p5:   dq 0xC004000000000000
k_m3p5:   dq 0xC00C000000000000
k_1e19:   dq 0x43E158E460913D00     ; 1e19 > 2^63
k_1e18:   dq 0x43ABC16D674EC800     ; 10^18: one digit too many for BCD
k_bcd:    dq 0x0987654321098765     ; -987654321098765 (packed BCD)
          dw 0x8000
t_one:    dq 0x8000000000000000
          dw 0x3FFF
t_two:    dq 0x8000000000000000
          dw 0x4000
t_qnan:   dq 0xC000000000000001
          dw 0x7FFF
t_snan:   dq 0x8000000000000001
          dw 0x7FFF
t_xam:    dq 0xC000000000000000     ; +1.5
          dw 0x3FFF
          dq 0x8000000000000000     ; -2
          dw 0xC000
          dq 0                      ; +0
          dw 0
          dq 0                      ; -0
          dw 0x8000
          dq 0x8000000000000000     ; +inf
          dw 0x7FFF
          dq 0x8000000000000000     ; -inf
          dw 0xFFFF
          dq 0xC000000000000001     ; QNaN
          dw 0x7FFF
          dq 0x0000000000000123     ; denormal
          dw 0
          dq 0x4000000000000000     ; unnormal
          dw 0x4000
k_mmx:    dq 0x0123456789ABCDEF
k_lim:    dq 1000.0
k_half:   dq 0.5
l_int:    dw 1, 2, 3, 4, 5, 6, 7, 8
k_smc:    dd 0x12345678, 0x0BCDEF01
l_init:   dq 1.0, 2.5, -3.25, 0.1, 7.0, 1.0e-3, -0.5, 100.0
l_mul:    dq 0x3FE8000000001000     ; 0.75 + 2^-40
l_c:      dq 0x3FF199999999999A     ; 1.1
l_i16:    dw 3
cw_alt:   dw 0x0B7F, 0x077B
    align 4
img_stale:                      ; FRSTOR image: TOP 1, all empty, p_k stale
    dd CW_DEF, 0x0800, 0xFFFF, 0, 0, 0, 0
%assign i 0
%rep 8
%assign n (i + 1) & 7
    dq 0xA000000000000000 + n
%if n == 2
    dw 0xC002
%else
    dw 0x4000 + n
%endif
%assign i i + 1
%endrep
    align 16
kend:

    LM_LIB
ROM_END
