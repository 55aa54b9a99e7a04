; jit_muldiv.asm — one-operand MUL and IMUL (F6/F7 /4 /5) and SHLD/SHRD
; (0F A4/AC by an immediate, 0F A5/AD by CL) in hot blocks of the
; recompiler, which runs MUL/IMUL of every size and source and SHLD/SHRD of
; a 32/64-bit register by a register with a non-zero masked immediate
; natively (src/jit/native.c mul1, shiftd_imm) and the rest (a zero masked
; count, 16-bit and memory destinations, CL counts) in the interpreter's
; handler. The reference is the interpreter (src/cpu/muldiv.c muldiv_mul,
; src/cpu/shift.c shiftd_calc, the lazy flags of src/cpu/flags.c) with
; the flags the SDM leaves undefined (MUL/IMUL: SF ZF PF of the low half
; written, AF 0; SHLD/SHRD: AF 0, OF as for a count of 1; 16-bit counts
; above 16: the P6's 48-bit shift): the recompiler must give the same
; EFLAGS bit for bit. SDM vol. 2B MUL, IMUL, SHLD, SHRD.
;
; In 16-bit real mode, 32-bit protected mode (paging on, flat CS, the page
; before 22000h mapped to another frame) and 64-bit mode, each case runs
; TURNS = 64 turns (its blocks translated at the default threshold of 50
; visits too, not only at the first) of a harness copied to RAM (HBASE)
; whose four slots hold the case's instruction (patched in per case). A
; xorshift generator seeded per case (32-bit in real and protected mode,
; 64-bit in long mode) draws every register once, then each turn the flags
; before and the operands anew (the whole register or memory operand),
; shaped (random, shifted right, shifted right arithmetically, shifted
; left, 0..-3, 0..3, the minimum or the maximum); address registers are
; fixed. The slot runs four times a turn, each with registers (loaded by
; MOVs in its block), flags and memory operand set anew:
;  1. PUSHF right after;
;  2. SETcc of 8 conditions right after, MOVs, SETcc of the other 8, an
;     ADC to memory (CF), PUSHF (the ADC's flags);
;  3. the 16 Jccs right after (a chain, one branch each), then ADC ESP,
;     ESP (CF) and PUSHF;
;  4. MOVs and an ADD that overwrites every flag (the recompiler leaves
;     the slot's flags uncomputed): PUSHF gives the ADD's.
; Every register and the memory operand are stored after each run. The
; guest checks (the "errors" bits): 1 runs 2-4 left what run 1 left, 2 the
; memory operand too, 4 SETcc, the Jccs and the conditions of the flags
; PUSHF gave agree, 8 run 1 kept every register the instruction does not
; write. Per turn RAX, RDX, the destination, the memory operand, the
; flags, the conditions and the ADC results are folded into two checksums,
; h = rol(h, 5) + v: "all" takes everything, "def" only what the SDM
; defines (MUL: CF OF; SHLD/SHRD: CF SF ZF PF, OF for a count of 1, all
; flags kept for a count of 0, nothing for 16-bit counts above 16, whose
; result is undefined too). Each case prints one line with both and the
; last turn's RAX, RDX, destination (RAX if none) or memory operand,
; flags and conditions (bit cc), so a difference between engines is a
; different line. It passes when "def" is what a model of the
; instructions gives (the Python model at the end of this file, which
; follows the generator, the harness and the fold from the case's seed
; and writes the case tables), when no errors bit is set, and on rawbox's
; CPU (its brand string) when "all" is the model's value with the
; interpreter's undefined flags too.
;
; Cases: MUL and IMUL of AL, AH, CL, DH, SIL, DIL, BPL, R8B, R15B, 16, 32
; and 64-bit registers (the accumulator too) and of memory: plain, base +
; index * scale + disp, BX + SI wrapping at 64 KiB, segments with a base
; (FS, GS; a 32-bit linear address and a 64-bit address that wrap), the
; accumulator as the address, across a page boundary (the two pages not
; neighbours in physical memory), a 32-bit absolute address. SHLD and SHRD
; of 32 and 64-bit registers by counts 1..31/63, masked counts (32, 33,
; 63, 64, 65, 127, 200, 255), the same register as source and
; destination; 16-bit forms (counts 0, 1, 16, 17, 31), memory
; destinations (across a page boundary, through FS) and CL counts.
;
; qemu-differs: QEMU 7.2 computes OF of 64-bit SHRD for counts above 1, which the SDM leaves undefined, otherwise than rawbox (result bit 63 xor bit 62, as for 32 bits), so those lines' "all" checksums differ; the "def" checksums (defined results and flags) agree, and off rawbox's CPU only they are compared (hosts differ on more undefined flags: src/cpu/flags.c)
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "lm.inc"

%define TURNS 64

; ---- variables (linear = physical, reachable with DS = 0 in real mode) ----
%define IN       0x4000         ; 16 qwords: the registers before
%define OUT1     0x4080         ; 16 qwords after run 1; run k at OUT1 + k * 80h
%define OUTM     0x4280         ; 4 qwords: the memory operand after each run
%define FLIN     0x42A0         ; the flags before
%define FL1      0x42A8         ; run 1: PUSHF right after
%define FL2      0x42B0         ; run 2: after the ADC to memory
%define FL3      0x42B8         ; run 3: after ADC ESP, ESP
%define FL4      0x42C0         ; run 4: after the ADD
%define ADCM     0x42C8         ; run 2's ADC operand (all ones before)
%define ADCV     0x42D0         ; run 3: ESP after the ADC
%define ESP4     0x42D8         ; run 4: ESP after the ADD
%define MEMV     0x42E0         ; the memory operand before (8 bytes)
%define MEMA     0x42E8         ; its linear address
%define SAVE_SP  0x42F0
%define RNG      0x42F8
%define CC       0x4300         ; 16 bytes: SETcc cc, run 2
%define JB2      0x4310         ; 16 bytes: condition cc by the Jccs, run 3
%define CCX      0x4320         ; 16 bytes: SETcc cc of the pushed flags
%define CCMB     0x4330         ; 16 bytes: FFh where condition cc is defined
%define HDEF     0x4340
%define HALL     0x4348
%define ERRS     0x4350
%define TURN     0x4358
%define CDESC    0x4360         ; the case
%define FMASK    0x4368         ; this turn's defined flags,
%define CFDEF    0x4370         ; CF (all ones or 0),
%define RMASK    0x4378         ; destination bits
%define ONES     0x4380         ; all ones
%define T_BITS   0x43A8         ; shaping scratch
%define T_MASK   0x43B0
%define T_SH     0x43B8
%define BADF     0x43C8
%define SCRATCHM 0x43E0         ; the "memory operand" of register cases
%define EXP      0x4400         ; 16 qwords: IN with what the instruction may write
%define IS_RB    0x4FF0         ; byte: 1 on rawbox's CPU (not zeroed by _copy)
%define HBASE    0x5000         ; the harness (a page of its own)

; ---- memory operands ----
%define DATA     0x20000
%define PAIR     0x22000        ; the page before maps to PAIR_LO (paging)
%define PAIR_LO  0x2E000
%define RMD      0x4C00         ; real mode
%define PD32     0x14000
%define PT32     0x15000

%define RM_FSSEG 0x0400         ; real mode: FS base 4000h
%define RM_GSSEG 0x0480         ; GS base 4800h

%define SEL_CODE16 (GDT_FREE)
%define SEL_DATA16 (GDT_FREE + 8)
%define SEL_FS32   (GDT_FREE + 0x10)    ; data, base 100h, 4 GiB
%define SEL_GS32   (GDT_FREE + 0x18)    ; data, base FFFFF000h, 4 GiB

; ---- modes: register names and sizes ----
; The routines read the ROM's data (cases, strings) through CS (RS): in
; real mode (CS = F000h) at their offset, in the flat 32-bit code and in
; 64-bit mode at their linear address (ROMPTR).
%macro USE16 0
bits 16
%define W dword
%define WB 32
%define xAX eax
%define xBX ebx
%define xCX ecx
%define xDX edx
%define xSI esi
%define xDI edi
%define xBP ebp
%define xSP esp
%define NREGS 8
%define PFX r
%define ROMPTR(x) (x)
%define XS2 17
%define XS3 5
%define PUSHF_ pushfd
%define POPF_ popfd
%define HRET retf
%define RS cs:
%endmacro

%macro USE32 0
bits 32
%define W dword
%define WB 32
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
%define ROMPTR(x) LIN(x)
%define XS2 17
%define XS3 5
%define PUSHF_ pushfd
%define POPF_ popfd
%define HRET ret
%define RS cs:
%endmacro

%macro USE64 0
bits 64
%define W qword
%define WB 64
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
%define ROMPTR(x) LIN(x)
%define XS2 7
%define XS3 17
%define PUSHF_ pushfq
%define POPF_ popfq
%define HRET ret
%define RS
%endmacro

; register n of the mode's width
%define R32_0 eax
%define R32_1 ecx
%define R32_2 edx
%define R32_3 ebx
%define R32_5 ebp
%define R32_6 esi
%define R32_7 edi
%define R64_0 rax
%define R64_1 rcx
%define R64_2 rdx
%define R64_3 rbx
%define R64_5 rbp
%define R64_6 rsi
%define R64_7 rdi
%define R64_8 r8
%define R64_9 r9
%define R64_10 r10
%define R64_11 r11
%define R64_12 r12
%define R64_13 r13
%define R64_14 r14
%define R64_15 r15

%macro LOADREGS 0
%assign %%r 0
%rep NREGS
%if %%r != 4
    mov R%[WB]_%[%%r], [IN + %%r * 8]
%endif
%assign %%r %%r + 1
%endrep
%endmacro

%macro STOREREGS 1
%assign %%r 0
%rep NREGS
%if %%r != 4
    mov [%1 + %%r * 8], R%[WB]_%[%%r]
%endif
%assign %%r %%r + 1
%endrep
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

%define JCC_0 o
%define JCC_1 no
%define JCC_2 b
%define JCC_3 ae
%define JCC_4 e
%define JCC_5 ne
%define JCC_6 be
%define JCC_7 a
%define JCC_8 s
%define JCC_9 ns
%define JCC_10 p
%define JCC_11 np
%define JCC_12 l
%define JCC_13 ge
%define JCC_14 le
%define JCC_15 g

; JC cc, base, n: byte n ^ 1 of base = 1 when j<cc> does not jump (the
; opposite condition holds), one branch
%macro JC 3
    j%1 %%n
    mov byte [%2 + ((%3) ^ 1)], 1
%%n:
%endmacro

%macro JCHAIN 1                 ; the 16 Jccs into the bytes at %1
%assign %%k 0
%rep 16
%assign %%i (%%k * 7) % 16
%xdefine %%cc JCC_%[%%i]
    JC %%cc, %1, %%i
%assign %%k %%k + 1
%endrep
%endmacro

%macro SETCC8 2                 ; SETcc of conditions %2..%2 + 7 into %1 + cc
%assign %%i %2
%rep 8
%xdefine %%cc JCC_%[%%i]
    set%[%%cc] byte [%1 + %%i]
%assign %%i %%i + 1
%endrep
%endmacro

; BYTEMASK bytes: ECX = bit cc set where byte cc is 1 (EAX used)
%macro BYTEMASK 1
    xor ecx, ecx
%assign %%k 0
%rep 16
    movzx eax, byte [%1 + %%k]
    shl eax, %%k
    or ecx, eax
%assign %%k %%k + 1
%endrep
%endmacro

; A run of the harness: memory operand, flags, registers; the slot (the
; instruction and one NOP of 66h prefixes filling 16 bytes)
%macro RUN 1
    mov xAX, [MEMV]
    mov xDX, [MEMA]
    mov [xDX], xAX
    push W [FLIN]
    POPF_
    LOADREGS
%[PFX]_s%1:
    times 16 db 0x90
%endmacro

%macro FINRUN 1                 ; registers and memory after run %1
    STOREREGS OUT1 + (%1) * 0x80
    mov xDX, [MEMA]
    mov xAX, [xDX]
    mov [OUTM + (%1) * 8], xAX
%endmacro

%macro PUTSX 1                  ; the string at label %1
    push xSI
    mov xSI, ROMPTR(%1)
    call %[PFX]_puts
    pop xSI
%endmacro

%macro NEXT 0                   ; xorshift: xAX = the next value (xDX used)
    mov xAX, [RNG]
    mov xDX, xAX
    shl xDX, 13
    xor xAX, xDX
    mov xDX, xAX
    shr xDX, XS2
    xor xAX, xDX
    mov xDX, xAX
    shl xDX, XS3
    xor xAX, xDX
    mov [RNG], xAX
%endmacro

; FOLDV value, mask: xCX = rol(xCX, 5) + value ("all"), xDX = rol(xDX, 5)
; + (value & mask) ("def")
%macro FOLDV 2
    mov xAX, %1
    rol xCX, 5
    add xCX, xAX
    and xAX, %2
    rol xDX, 5
    add xDX, xAX
%endmacro

%macro CCMB4 4                  ; the 16 bytes of CCMB as dwords
    mov dword [CCMB], %1
    mov dword [CCMB + 4], %2
    mov dword [CCMB + 8], %3
    mov dword [CCMB + 12], %4
%endmacro

; ---- cases ----
; CASE "name", kind (0 MUL/IMUL, 1 SHLD/SHRD by the immediate, 2 by CL),
; operand size, immediate count, destination (register, 80h memory, FEh
; none), the memory operand's linear address (0: none), seed, "def",
; "all", {instruction}; then RSHAPE, SHAPE and FIX records and CASE_END.
; Descriptor: +0 dd name, +4 db kind, size, count, destination, +8 dd
; address, +16 dq seed, +24 dq def, +32 dq all, +40 16 bytes of slot,
; +56 records of 12 bytes (db type, register (80h: the memory operand),
; bit, size, dq value), done each turn in order: RSHAPE (3) the register
; = the next value, then as SHAPE (1) its operand of `size` bytes at
; `bit` shaped (see _shape); FIX (2) the register = value; db 0 ends them.
%macro CASE 10
    %push case
    jmp %$run
%$name: db %1, 0
%$desc:
    dd ROMPTR(%$name)
    db %2, %3, %4, %5
    dd %6, 0
    dq %7, %8, %9
%$ins:
    %10
    times 15 - ($ - %$ins) db 0x66
    db 0x90
%endmacro

%macro RSHAPE 3
    db 3, %1, %2, %3
    dd 0, 0
%endmacro

%macro SHAPE 3
    db 1, %1, %2, %3
    dd 0, 0
%endmacro

%macro FIX 2
    db 2, %1, 0, 0
    dq %2
%endmacro

%macro CASE_END 0
    db 0
%$run:
    mov xSI, ROMPTR(%$desc)
    call %[PFX]_case
    %pop
%endmacro

; ======================================================================
; routines of every mode (expanded after USE16, USE32 and USE64)
; ======================================================================
%macro SHARED 0
; ---- the harness, copied to HBASE; four runs of the slot ----
%[PFX]_harn:
    mov [SAVE_SP], xSP
    RUN 0                       ; 1. PUSHF right after
    PUSHF_
    pop W [FL1]
    FINRUN 0
    RUN 1                       ; 2. SETcc right after and after MOVs,
    SETCC8 CC, 0                ;    ADC to memory
    mov xSP, xSP
    lea xSP, [xSP]
    SETCC8 CC, 8
    adc W [ADCM], 0
    PUSHF_
    pop W [FL2]
    FINRUN 1
    RUN 2                       ; 3. the 16 Jccs right after, ADC ESP, ESP
    JCHAIN JB2
    mov esp, 0x40
    adc xSP, xSP
    mov [ADCV], xSP
    mov xSP, [SAVE_SP]
    PUSHF_
    pop W [FL3]
    FINRUN 2
    RUN 3                       ; 4. MOVs, then every flag overwritten
    mov esp, 0x7FFFFFF1
    lea xSP, [xSP + 2]
    add xSP, 0x10
    mov [ESP4], xSP
    mov xSP, [SAVE_SP]
    PUSHF_
    pop W [FL4]
    FINRUN 3
    HRET
%[PFX]_harn_end:

; A turn's input: the flags, then the case's records.
%[PFX]_gen:
    NEXT
    and eax, 0x8D5
    or eax, 2
    mov [FLIN], xAX
%assign %%k 0
%rep 16 / (WB / 8)
    mov W [JB2 + %%k], 0
%assign %%k %%k + WB / 8
%endrep
    mov W [ADCM], -1
    mov xSI, [CDESC]
    add xSI, 56
.rec:
    mov al, [RS xSI]
    movzx ebx, byte [RS xSI + 1]
    lea xBX, [IN + xBX * 8]
    cmp byte [RS xSI + 1], 0x80
    jne .t
    mov ebx, MEMV
.t: test al, al
    jz .ret
    cmp al, 2
    jb .shape
    je .fix
    NEXT                        ; 3: drawn anew, then shaped
    mov [xBX], xAX
    jmp .shape
.fix:
    mov xAX, [RS xSI + 4]
    mov [xBX], xAX
    jmp .nx
.shape:
    call %[PFX]_shape
.nx:
    add xSI, 12
    jmp .rec
.ret:
    ret

; Shape the operand of the record at xSI in the value at xBX: its `size`
; bytes at `bit`, from s = the next value: by s & 7, unchanged (0, 1),
; >> k (2), arithmetic >> k (3), << k (4), -j (5), j (6), the minimum or
; the maximum (7); k = (s >> 8) & (bits - 1), j = (s >> 16) & 3.
%[PFX]_shape:
    NEXT
    push xAX
    movzx ecx, byte [RS xSI + 3]
    shl ecx, 3
    mov [T_BITS], xCX
    xor eax, eax
    dec xAX
    cmp ecx, WB
    je .m
    xor eax, eax
    inc eax
    shl xAX, cl
    dec xAX
.m: mov [T_MASK], xAX
    movzx ecx, byte [RS xSI + 2]
    mov [T_SH], xCX
    mov xAX, [xBX]
    shr xAX, cl
    and xAX, [T_MASK]
    pop xDX
    mov xCX, xDX
    shr xCX, 8
    mov xDI, [T_BITS]
    dec xDI
    and xCX, xDI
    mov xDI, xDX
    shr xDI, 16
    and edi, 3
    and edx, 7
    cmp edx, 2
    jb .put
    je .m2
    cmp edx, 4
    jb .m3
    je .m4
    cmp edx, 6
    jb .m5
    je .m6
    mov xCX, [T_BITS]
    dec ecx
    xor eax, eax
    inc eax
    shl xAX, cl
    and edi, 1
    sub xAX, xDI
    jmp .fin
.m2:
    shr xAX, cl
    jmp .fin
.m3:
    mov edx, ecx
    mov ecx, WB
    sub ecx, [T_BITS]
    shl xAX, cl
    add ecx, edx
    sar xAX, cl
    jmp .fin
.m4:
    shl xAX, cl
    jmp .fin
.m5:
    xor eax, eax
    sub xAX, xDI
    jmp .fin
.m6:
    mov xAX, xDI
.fin:
    and xAX, [T_MASK]
.put:
    mov ecx, [T_SH]
    shl xAX, cl
    mov xDX, [T_MASK]
    shl xDX, cl
    not xDX
    and xDX, [xBX]
    or xAX, xDX
    mov [xBX], xAX
    ret

; What the SDM defines this turn: FMASK, CFDEF, RMASK, CCMB.
%[PFX]_masks:
    mov xSI, [CDESC]
    mov W [FMASK], 0x801
    mov W [CFDEF], -1
    mov W [RMASK], -1
    movzx eax, byte [RS xSI + 4]
    test eax, eax
    jz .mul
    movzx ecx, byte [RS xSI + 6]
    cmp eax, 2
    jne .c
    movzx ecx, byte [IN + 1 * 8]
.c: movzx edx, byte [RS xSI + 5]
    mov eax, 31
    cmp edx, 8
    jne .c2
    mov eax, 63
.c2:
    and ecx, eax
    mov W [FMASK], 0x8D5        ; count 0: all kept
    test ecx, ecx
    jz .all
    cmp edx, 2
    jne .n16
    cmp ecx, 16
    jbe .n16
    mov W [FMASK], 0            ; 16 bits, count > 16: nothing
    mov W [CFDEF], 0
    mov W [RMASK], ~0xFFFF
    CCMB4 0, 0, 0, 0
    ret
.n16:
    mov W [FMASK], 0x8C5        ; count 1: all but AF
    cmp ecx, 1
    je .all
    mov W [FMASK], 0x0C5        ; else OF undefined too: B, Z, BE, S, P
    CCMB4 0xFFFF0000, 0xFFFFFFFF, 0xFFFFFFFF, 0
    ret
.all:
    CCMB4 -1, -1, -1, -1
    ret
.mul:
    CCMB4 -1, 0, 0, 0           ; MUL: CF, OF: O, B
    ret

; The turn's checks (ERRS bit 0: runs 2-4 left other registers than run
; 1, bit 1: another memory operand, bit 2: the conditions of SETcc, the
; Jccs and the pushed flags disagree, bit 3: run 1 changed a register the
; instruction does not write) and checksums.
%[PFX]_fold:
    mov esi, OUT1
    mov edi, OUT1 + 0x80
    mov ecx, 3 * 0x80 / 4
    repe cmpsd
    setne bl
    mov esi, OUTM
    mov edi, OUTM + 8
    mov ecx, 3 * 8 / 4
    repe cmpsd
    setne al
    shl al, 1
    or bl, al
    push W [FL1]
    POPF_
    SETALL CCX
    mov esi, CC
    mov edi, JB2
    mov ecx, 32 / 4
    repe cmpsd
    setne al
    shl al, 2
    or bl, al
    or [ERRS], bl
    mov xSI, [CDESC]            ; run 1 kept the registers the instruction
    movzx ebx, byte [RS xSI + 7]    ; does not write (RAX, RDX, the
    cmp ebx, 16                 ; destination may change: they are
    jb .dr                      ; folded below)
    xor ebx, ebx
.dr:
    mov esi, IN
    mov edi, EXP
    mov ecx, NREGS * 2
    rep movsd
    mov xAX, [OUT1 + 0 * 8]
    mov [EXP + 0 * 8], xAX
    mov xAX, [OUT1 + 2 * 8]
    mov [EXP + 2 * 8], xAX
    mov xAX, [OUT1 + 4 * 8]
    mov [EXP + 4 * 8], xAX
    mov xAX, [OUT1 + xBX * 8]
    mov [EXP + xBX * 8], xAX
    mov esi, EXP
    mov edi, OUT1
    mov ecx, NREGS * 2
    repe cmpsd
    setne al
    shl al, 3
    or [ERRS], al
    mov xCX, [HALL]             ; RAX, RDX, the destination register (RAX
    mov xDX, [HDEF]             ; if none) and the memory operand; "def"
    rol xCX, 5                  ; without the destination's undefined
    add xCX, [OUT1 + 0 * 8]     ; bits
    rol xCX, 5
    add xCX, [OUT1 + 2 * 8]
    rol xCX, 5
    add xCX, [OUT1 + xBX * 8]
    rol xCX, 5
    add xCX, [OUTM]
    mov xSI, [CDESC]
    movzx esi, byte [RS xSI + 7]
    mov xAX, [RMASK]
    cmp esi, 0x80
    jne .r
    and [OUTM], xAX
    jmp .r2
.r: cmp esi, 16
    jae .r2
    and [OUT1 + xBX * 8], xAX
.r2:
    mov xAX, [OUT1 + 0 * 8]
    mov xSI, [OUT1 + 2 * 8]
    mov xDI, [OUT1 + xBX * 8]
    mov xBX, [OUTM]
    rol xDX, 5
    add xDX, xAX
    rol xDX, 5
    add xDX, xSI
    rol xDX, 5
    add xDX, xDI
    rol xDX, 5
    add xDX, xBX
    FOLDV [FL1], [FMASK]
%assign %%k 0
%rep 16 / (WB / 8)
    FOLDV [CC + %%k], [CCMB + %%k]
%assign %%k %%k + WB / 8
%endrep
    FOLDV [ADCM], [CFDEF]
    FOLDV [FL2], [CFDEF]
    FOLDV [ADCV], [CFDEF]
    FOLDV [FL3], [CFDEF]
    FOLDV [ESP4], [ONES]
    FOLDV [FL4], [ONES]
    mov [HALL], xCX
    mov [HDEF], xDX
    ret

; xSI = the case's descriptor: patch the slots, draw the registers, run
; the turns, report.
%[PFX]_case:
    mov [CDESC], xSI
%assign %%k 0
%rep 4
%assign %%o 0
%rep 4
    mov eax, [RS xSI + 40 + %%o]
    mov [HBASE + (%[PFX]_s%[%%k] - %[PFX]_harn) + %%o], eax
%assign %%o %%o + 4
%endrep
%assign %%k %%k + 1
%endrep
    mov eax, [RS xSI + 8]
    test eax, eax
    jnz .m
    mov eax, SCRATCHM
.m: mov [MEMA], xAX
    mov xAX, [RS xSI + 16]
    mov [RNG], xAX
    xor ebx, ebx
.i: NEXT
    mov [IN + xBX * 8], xAX
    inc ebx
    cmp ebx, NREGS
    jb .i
    NEXT
    mov [MEMV], xAX
    xor eax, eax
    mov [HDEF], xAX
    mov [HALL], xAX
    mov [ERRS], xAX
    mov [TURN], xAX
    dec xAX
    mov [ONES], xAX
.turn:
    call %[PFX]_gen
    call %[PFX]_masks
%ifidn PFX, r
    call 0:HBASE
%else
    mov eax, HBASE
    call xAX
%endif
    call %[PFX]_fold
    inc W [TURN]
    cmp W [TURN], TURNS
    jb .turn
    ; fall through
; The case's line: "ok|FAIL MODE NAME: def=.. all=.., last turn: a=RAX
; d=RDX x=destination fl=FLAGS cc=conditions[, want ...]"
%[PFX]_report:
    mov xSI, [CDESC]
    mov byte [BADF], 1
    mov xAX, [HDEF]
    cmp xAX, [RS xSI + 24]
    jne .bad
    cmp W [ERRS], 0
    jne .bad
    cmp byte [IS_RB], 0
    je .good
    mov xAX, [HALL]
    cmp xAX, [RS xSI + 32]
    jne .bad
.good:
    mov byte [BADF], 0
    PUTSX str_ok
    jmp .body
.bad:
    inc word [FAILS_ADDR]
    PUTSX str_fail
.body:
    inc word [CHECKS_ADDR]
    PUTSX %[PFX]_mode
    mov xSI, [CDESC]
    mov esi, [RS xSI]
    call %[PFX]_puts
    PUTSX str_def
    mov xAX, [HDEF]
    mov ecx, WB / 4
    call %[PFX]_hex
    PUTSX str_all
    mov xAX, [HALL]
    call %[PFX]_hex
    PUTSX str_a
    mov xAX, [OUT1 + 0 * 8]
    call %[PFX]_hex
    PUTSX str_d
    mov xAX, [OUT1 + 2 * 8]
    call %[PFX]_hex
    PUTSX str_x
    mov xSI, [CDESC]
    movzx ebx, byte [RS xSI + 7]
    mov xAX, [OUTM]
    cmp ebx, 16
    jae .x
    mov xAX, [OUT1 + xBX * 8]
.x: call %[PFX]_hex
    PUTSX str_fl
    mov xAX, [FL1]
    mov ecx, 4
    call %[PFX]_hex
    PUTSX str_cc
    BYTEMASK CC
    mov eax, ecx
    mov ecx, 4
    call %[PFX]_hex
    cmp byte [BADF], 0
    je .eol
    PUTSX str_wdef
    mov xSI, [CDESC]
    mov xAX, [RS xSI + 24]
    mov ecx, WB / 4
    call %[PFX]_hex
    PUTSX str_wall
    mov xSI, [CDESC]
    mov xAX, [RS xSI + 32]
    call %[PFX]_hex
    PUTSX str_errs
    mov xAX, [ERRS]
    mov ecx, 1
    call %[PFX]_hex
.eol:
    mov al, 10
    out DEBUGCON_PORT, al
    ret

%[PFX]_puts:                    ; xSI = a string in the ROM
    push xAX
    push xSI
.l: mov al, [RS xSI]
    inc xSI
    test al, al
    jz .e
    out DEBUGCON_PORT, al
    jmp .l
.e: pop xSI
    pop xAX
    ret

%[PFX]_hex:                     ; xAX in ECX hex digits
    push xAX
    push xBX
    push xCX
    mov xBX, xAX
.d: dec ecx
    push xCX
    shl ecx, 2
    mov xAX, xBX
    shr xAX, cl
    and eax, 15
    add al, '0'
    cmp al, '9'
    jbe .o
    add al, 'a' - '0' - 10
.o: out DEBUGCON_PORT, al
    pop xCX
    test ecx, ecx
    jnz .d
    pop xCX
    pop xBX
    pop xAX
    ret

%[PFX]_copy:                    ; the variables zeroed, the harness to HBASE
    mov edi, IN
    xor eax, eax
    mov ecx, (EXP + 0x80 - IN) / 4
    rep stosd
    mov esi, ROMPTR(%[PFX]_harn)
    mov edi, HBASE
.c: mov al, [RS xSI]
    mov [xDI], al
    inc esi
    inc edi
    cmp esi, ROMPTR(%[PFX]_harn_end)
    jb .c
    ret
%endmacro

; ======================================================================
; 16-bit start, real mode
; ======================================================================
start:
    ROM_INIT
    PUTS `jit_muldiv: MUL, IMUL, SHLD, SHRD in hot blocks: every size and source, flags (undefined ones too), flag readers\n`
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
    PUTS `note: not rawbox: only the "def" checksums (what the SDM defines) are compared\n`
.rb:
    mov ax, RM_FSSEG
    mov fs, ax
    mov ax, RM_GSSEG
    mov gs, ax
    call r_copy
    call r_cases
    ; ---- into 32-bit protected mode ----
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

USE16
SHARED
r_mode: db "rm16 ", 0

r_cases:
; >>> cases rm16
    CASE "mul al", 0, 1, 0, 0xFE, 0x0, 0xA6EAF652BA3F2E1D, 0xBE957070, 0x59275258, {mul al}
    RSHAPE 0x00, 0, 1
    CASE_END
    CASE "imul al", 0, 1, 0, 0xFE, 0x0, 0x4522700C3989AA32, 0x0FD9CCBB, 0x1528D22E, {imul al}
    RSHAPE 0x00, 0, 1
    CASE_END
    CASE "mul ah", 0, 1, 0, 0xFE, 0x0, 0xE359E9C5B8D42647, 0xECA8A170, 0x1FD3B4CC, {mul ah}
    RSHAPE 0x00, 0, 1
    SHAPE 0x00, 8, 1
    CASE_END
    CASE "imul ah", 0, 1, 0, 0xFE, 0x0, 0x8191637F381EA25C, 0xFED250A0, 0x0F84837E, {imul ah}
    RSHAPE 0x00, 0, 1
    SHAPE 0x00, 8, 1
    CASE_END
    CASE "mul byte [bx + si] (BX + SI wraps at 64 KiB)", 0, 1, 0, 0xFE, 0x4C10, 0x1FC8DD38B7691E71, 0x617DEBB1, 0xA0C3802E, {mul byte [bx + si]}
    RSHAPE 0x00, 0, 1
    RSHAPE 0x80, 0, 1
    FIX 3, 0xF000
    FIX 6, 0x5C10
    CASE_END
    CASE "imul byte [bx + si] (BX + SI wraps at 64 KiB)", 0, 1, 0, 0xFE, 0x4C10, 0xBE0056F236B39A86, 0x3793C34D, 0x1106B133, {imul byte [bx + si]}
    RSHAPE 0x00, 0, 1
    RSHAPE 0x80, 0, 1
    FIX 3, 0xF000
    FIX 6, 0x5C10
    CASE_END
    CASE "mul dx", 0, 2, 0, 0xFE, 0x0, 0x5C37D0ABB5FE169B, 0xC6FA0DD3, 0x3F107D10, {mul dx}
    RSHAPE 0x00, 0, 2
    RSHAPE 0x02, 0, 2
    CASE_END
    CASE "imul dx", 0, 2, 0, 0xFE, 0x0, 0xFA6F4A65354892B0, 0x156F199D, 0x266C3892, {imul dx}
    RSHAPE 0x00, 0, 2
    RSHAPE 0x02, 0, 2
    CASE_END
    CASE "mul word [fs:di] (FS base 4000h)", 0, 2, 0, 0xFE, 0x4C20, 0x98A6C41EB4930EC5, 0x5B4FF80C, 0x3C4F1F38, {mul word [fs:di]}
    RSHAPE 0x00, 0, 2
    RSHAPE 0x80, 0, 2
    FIX 7, 0xC20
    CASE_END
    CASE "imul word [fs:di] (FS base 4000h)", 0, 2, 0, 0xFE, 0x4C20, 0x36DE3DD833DD8ADA, 0x231C4B3E, 0x2B7B6EA7, {imul word [fs:di]}
    RSHAPE 0x00, 0, 2
    RSHAPE 0x80, 0, 2
    FIX 7, 0xC20
    CASE_END
    CASE "mul ecx", 0, 4, 0, 0xFE, 0x0, 0xD515B791B32806EF, 0xDE4BB9EF, 0xC186C67B, {mul ecx}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x01, 0, 4
    CASE_END
    CASE "imul ecx", 0, 4, 0, 0xFE, 0x0, 0x734D314B32728304, 0x8AC6698A, 0x5FA65FB7, {imul ecx}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x01, 0, 4
    CASE_END
    CASE "mul dword [gs:edi + 3] (GS base 4800h)", 0, 4, 0, 0xFE, 0x4C30, 0x1184AB04B1BCFF19, 0x3EF9ACA8, 0x4600F750, {mul dword [gs:edi + 3]}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x80, 0, 4
    FIX 7, 0x42D
    CASE_END
    CASE "imul dword [gs:edi + 3] (GS base 4800h)", 0, 4, 0, 0xFE, 0x4C30, 0xAFBC24BE31077B2E, 0xB4615F1F, 0x733D395A, {imul dword [gs:edi + 3]}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x80, 0, 4
    FIX 7, 0x42D
    CASE_END
    CASE "shld eax, ebx, 1", 1, 4, 1, 0x00, 0x0, 0x4DF39E77B051F743, 0xECF69BD8, 0x288742AF, {shld eax, ebx, 1}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x03, 0, 4
    CASE_END
    CASE "shrd ecx, edx, 13", 1, 4, 13, 0x01, 0x0, 0xEC2B18312F9C7358, 0x3DE48E40, 0x0F6CECFC, {shrd ecx, edx, 13}
    RSHAPE 0x01, 0, 4
    RSHAPE 0x02, 0, 4
    CASE_END
    CASE "shrd ebp, eax, 32", 1, 4, 32, 0x05, 0x0, 0x8A6291EAAEE6EF6D, 0xC368F876, 0x9D20522B, {shrd ebp, eax, 32}
    RSHAPE 0x05, 0, 4
    RSHAPE 0x00, 0, 4
    CASE_END
    CASE "shld edx, esi, cl", 2, 4, 0, 0x02, 0x0, 0x289A0BA42E316B82, 0xDA13FFE3, 0x63CA5EB7, {shld edx, esi, cl}
    RSHAPE 0x02, 0, 4
    RSHAPE 0x06, 0, 4
    RSHAPE 0x01, 0, 1
    CASE_END
    CASE "shld ax, bx, 17", 1, 2, 17, 0x00, 0x0, 0xC6D1855DAD7BE797, 0x14EDCA74, 0x28AB89E3, {shld ax, bx, 17}
    RSHAPE 0x00, 0, 2
    RSHAPE 0x03, 0, 2
    CASE_END
    CASE "shrd bx, si, cl", 2, 2, 0, 0x03, 0x0, 0x6508FF172CC663AC, 0x3A699607, 0x4AB5DCCB, {shrd bx, si, cl}
    RSHAPE 0x03, 0, 2
    RSHAPE 0x06, 0, 2
    RSHAPE 0x01, 0, 1
    CASE_END
    CASE "shld dword [di], ecx, 7", 1, 4, 7, 0x80, 0x4C40, 0x034078D0AC10DFC1, 0x755D78A1, 0x93AC5CFC, {shld dword [di], ecx, 7}
    RSHAPE 0x80, 0, 4
    RSHAPE 0x01, 0, 4
    FIX 7, 0x4C40
    CASE_END
; <<< cases rm16
    ret

; back from protected mode, on to long mode
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
    jmp lm64_main

; ======================================================================
; 32-bit protected mode, flat CS (labels through LIN), paging
; ======================================================================
USE32
pm32_main:
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, STACK_TOP
    mov ax, SEL_FS32
    mov fs, ax
    mov ax, SEL_GS32
    mov gs, ax
    call lm_build_tables32      ; (its legacy IDT reports any exception)
    lidt [LIN(lm_legacy_idtr)]
    mov edi, PD32               ; paging: 0-4 MiB identity, but the page
    xor eax, eax                ; before PAIR elsewhere
    mov ecx, 2 * 1024
    rep stosd
    mov dword [PD32], PT32 | 3
    mov edi, PT32
    mov eax, 3
.pt:
    mov [edi], eax
    add eax, 0x1000
    add edi, 4
    cmp edi, PT32 + 4096
    jb .pt
    mov dword [PT32 + ((PAIR - 0x1000) >> 12) * 4], PAIR_LO | 3
    mov eax, PD32
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    call p_copy
    call p_cases
    mov eax, cr0
    and eax, 0x7FFFFFFF
    mov cr0, eax
    jmp SEL_CODE16:pm32_exit

SHARED
p_mode: db "pm32 ", 0

p_cases:
; >>> cases pm32
    CASE "mul al", 0, 1, 0, 0xFE, 0x0, 0xAF9E72EBF533E025, 0xFA49F106, 0x0C54E826, {mul al}
    RSHAPE 0x00, 0, 1
    CASE_END
    CASE "imul al", 0, 1, 0, 0xFE, 0x0, 0x4DD5ECA5747E5C3A, 0x39A70CDF, 0xA96EFED6, {imul al}
    RSHAPE 0x00, 0, 1
    CASE_END
    CASE "mul cl", 0, 1, 0, 0xFE, 0x0, 0xEC0D665EF3C8D84F, 0x228F5DC4, 0x1CB5D287, {mul cl}
    RSHAPE 0x00, 0, 1
    RSHAPE 0x01, 0, 1
    CASE_END
    CASE "imul cl", 0, 1, 0, 0xFE, 0x0, 0x8A44E01873135464, 0xEFAEB339, 0x23C2A0DF, {imul cl}
    RSHAPE 0x00, 0, 1
    RSHAPE 0x01, 0, 1
    CASE_END
    CASE "mul ah", 0, 1, 0, 0xFE, 0x0, 0x287C59D1F25DD079, 0x594BEDA7, 0xBCB73833, {mul ah}
    RSHAPE 0x00, 0, 1
    SHAPE 0x00, 8, 1
    CASE_END
    CASE "imul ah", 0, 1, 0, 0xFE, 0x0, 0xC6B3D38B71A84C8E, 0x4EF38EED, 0x84669464, {imul ah}
    RSHAPE 0x00, 0, 1
    SHAPE 0x00, 8, 1
    CASE_END
    CASE "mul dh", 0, 1, 0, 0xFE, 0x0, 0x64EB4D44F0F2C8A3, 0x387BDA75, 0x3F24AFD9, {mul dh}
    RSHAPE 0x00, 0, 1
    RSHAPE 0x02, 8, 1
    CASE_END
    CASE "imul dh", 0, 1, 0, 0xFE, 0x0, 0x0322C6FE703D44B8, 0xCC95DC05, 0x7D185DE6, {imul dh}
    RSHAPE 0x00, 0, 1
    RSHAPE 0x02, 8, 1
    CASE_END
    CASE "mul byte [fs:ebx] (FS base 100h)", 0, 1, 0, 0xFE, 0x20018, 0xA15A40B7EF87C0CD, 0x36531999, 0x2F192F9D, {mul byte [fs:ebx]}
    RSHAPE 0x00, 0, 1
    RSHAPE 0x80, 0, 1
    FIX 3, 0x1FF18
    CASE_END
    CASE "imul byte [fs:ebx] (FS base 100h)", 0, 1, 0, 0xFE, 0x20018, 0x3F91BA716ED23CE2, 0x329B9FD8, 0x4FD7393A, {imul byte [fs:ebx]}
    RSHAPE 0x00, 0, 1
    RSHAPE 0x80, 0, 1
    FIX 3, 0x1FF18
    CASE_END
    CASE "mul ax", 0, 2, 0, 0xFE, 0x0, 0xDDC9342AEE1CB8F7, 0xD921D13A, 0xC7BC3DF3, {mul ax}
    RSHAPE 0x00, 0, 2
    CASE_END
    CASE "imul ax", 0, 2, 0, 0xFE, 0x0, 0x7C00ADE46D67350C, 0x28775812, 0x52F49AC8, {imul ax}
    RSHAPE 0x00, 0, 2
    CASE_END
    CASE "mul dx", 0, 2, 0, 0xFE, 0x0, 0x1A38279DECB1B121, 0x4118C8FF, 0x453D5B34, {mul dx}
    RSHAPE 0x00, 0, 2
    RSHAPE 0x02, 0, 2
    CASE_END
    CASE "imul dx", 0, 2, 0, 0xFE, 0x0, 0xB86FA1576BFC2D36, 0x6FC9AFDB, 0x68C0CF42, {imul dx}
    RSHAPE 0x00, 0, 2
    RSHAPE 0x02, 0, 2
    CASE_END
    CASE "mul si", 0, 2, 0, 0xFE, 0x0, 0x56A71B10EB46A94B, 0x10045AE3, 0x2C89E67E, {mul si}
    RSHAPE 0x00, 0, 2
    RSHAPE 0x06, 0, 2
    CASE_END
    CASE "imul si", 0, 2, 0, 0xFE, 0x0, 0xF4DE94CA6A912560, 0xC942F69D, 0xBB88A1A4, {imul si}
    RSHAPE 0x00, 0, 2
    RSHAPE 0x06, 0, 2
    CASE_END
    CASE "mul word [edi] (across a page boundary)", 0, 2, 0, 0xFE, 0x21FFF, 0x93160E83E9DBA175, 0x567D70C6, 0x18D44C12, {mul word [edi]}
    RSHAPE 0x00, 0, 2
    RSHAPE 0x80, 0, 2
    FIX 7, 0x21FFF
    CASE_END
    CASE "imul word [edi] (across a page boundary)", 0, 2, 0, 0xFE, 0x21FFF, 0x314D883D69261D8A, 0x8BE39B99, 0x34AEAEC1, {imul word [edi]}
    RSHAPE 0x00, 0, 2
    RSHAPE 0x80, 0, 2
    FIX 7, 0x21FFF
    CASE_END
    CASE "mul eax", 0, 4, 0, 0xFE, 0x0, 0xCF8501F6E870999F, 0xFE64A699, 0x0C539269, {mul eax}
    RSHAPE 0x00, 0, 4
    CASE_END
    CASE "imul eax", 0, 4, 0, 0xFE, 0x0, 0x6DBC7BB067BB15B4, 0xF8D4F23F, 0xAE538778, {imul eax}
    RSHAPE 0x00, 0, 4
    CASE_END
    CASE "mul ecx", 0, 4, 0, 0xFE, 0x0, 0x0BF3F569E70591C9, 0xFBE9ABFC, 0xFD6A675F, {mul ecx}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x01, 0, 4
    CASE_END
    CASE "imul ecx", 0, 4, 0, 0xFE, 0x0, 0xAA2B6F2366500DDE, 0x40BDF710, 0xA02E6DAF, {imul ecx}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x01, 0, 4
    CASE_END
    CASE "mul edx", 0, 4, 0, 0xFE, 0x0, 0x4862E8DCE59A89F3, 0xF138A6AB, 0x93BC23DD, {mul edx}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x02, 0, 4
    CASE_END
    CASE "imul edx", 0, 4, 0, 0xFE, 0x0, 0xE69A629664E50608, 0xE44DB367, 0x116BC37F, {imul edx}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x02, 0, 4
    CASE_END
    CASE "mul ebp", 0, 4, 0, 0xFE, 0x0, 0x84D1DC4FE42F821D, 0x366BC24E, 0x92C11BA8, {mul ebp}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x05, 0, 4
    CASE_END
    CASE "imul ebp", 0, 4, 0, 0xFE, 0x0, 0x230956096379FE32, 0x95540A37, 0xF68D1624, {imul ebp}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x05, 0, 4
    CASE_END
    CASE "mul dword [ebx + esi * 4 + 8]", 0, 4, 0, 0xFE, 0x20030, 0xC140CFC2E2C47A47, 0x19682AB1, 0xAB17487D, {mul dword [ebx + esi * 4 + 8]}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x80, 0, 4
    FIX 3, 0x1FFE4
    FIX 6, 0x11
    CASE_END
    CASE "imul dword [ebx + esi * 4 + 8]", 0, 4, 0, 0xFE, 0x20030, 0x5F78497C620EF65C, 0x100D40C5, 0x9178497E, {imul dword [ebx + esi * 4 + 8]}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x80, 0, 4
    FIX 3, 0x1FFE4
    FIX 6, 0x11
    CASE_END
    CASE "mul dword [edi] (across a page boundary)", 0, 4, 0, 0xFE, 0x21FFE, 0xFDAFC335E1597271, 0x3433F30B, 0xDA909EFE, {mul dword [edi]}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x80, 0, 4
    FIX 7, 0x21FFE
    CASE_END
    CASE "imul dword [edi] (across a page boundary)", 0, 4, 0, 0xFE, 0x21FFE, 0x9BE73CEF60A3EE86, 0x40778032, 0xDFABADD0, {imul dword [edi]}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x80, 0, 4
    FIX 7, 0x21FFE
    CASE_END
    CASE "mul dword [gs:edx] (GS base FFFFF000h: the linear address wraps)", 0, 4, 0, 0xFE, 0x20038, 0x3A1EB6A8DFEE6A9B, 0x4A8D9156, 0x47B2330E, {mul dword [gs:edx]}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x80, 0, 4
    FIX 2, 0x21038
    CASE_END
    CASE "imul dword [gs:edx] (GS base FFFFF000h: the linear address wraps)", 0, 4, 0, 0xFE, 0x20038, 0xD85630625F38E6B0, 0x3F1BDE4D, 0x813F25C3, {imul dword [gs:edx]}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x80, 0, 4
    FIX 2, 0x21038
    CASE_END
    CASE "mul dword [fs:eax] (FS base 100h, EAX the address)", 0, 4, 0, 0xFE, 0x20040, 0x768DAA1BDE8362C5, 0xFA0AEB4B, 0xB0C5FD4C, {mul dword [fs:eax]}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x80, 0, 4
    FIX 0, 0x1FF40
    CASE_END
    CASE "imul dword [fs:eax] (FS base 100h, EAX the address)", 0, 4, 0, 0xFE, 0x20040, 0x14C523D55DCDDEDA, 0x09D7AD2A, 0x91E8172A, {imul dword [fs:eax]}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x80, 0, 4
    FIX 0, 0x1FF40
    CASE_END
    CASE "shld ebx, ecx, 1", 1, 4, 1, 0x03, 0x0, 0xB2FC9D8EDD185AEF, 0x14462900, 0x366EB3EB, {shld ebx, ecx, 1}
    RSHAPE 0x03, 0, 4
    RSHAPE 0x01, 0, 4
    CASE_END
    CASE "shrd edx, eax, 1", 1, 4, 1, 0x02, 0x0, 0x513417485C62D704, 0x81E88CF2, 0x962290AE, {shrd edx, eax, 1}
    RSHAPE 0x02, 0, 4
    RSHAPE 0x00, 0, 4
    CASE_END
    CASE "shld eax, edx, 2", 1, 4, 2, 0x00, 0x0, 0xEF6B9101DBAD5319, 0x8C39683D, 0xB15C1757, {shld eax, edx, 2}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x02, 0, 4
    CASE_END
    CASE "shrd edi, esi, 7", 1, 4, 7, 0x07, 0x0, 0x8DA30ABB5AF7CF2E, 0x4DA5CB3B, 0x855516ED, {shrd edi, esi, 7}
    RSHAPE 0x07, 0, 4
    RSHAPE 0x06, 0, 4
    CASE_END
    CASE "shld ecx, esi, 17", 1, 4, 17, 0x01, 0x0, 0x2BDA8474DA424B43, 0x5D64AF52, 0x21B4616D, {shld ecx, esi, 17}
    RSHAPE 0x01, 0, 4
    RSHAPE 0x06, 0, 4
    CASE_END
    CASE "shrd ebp, ecx, 31", 1, 4, 31, 0x05, 0x0, 0xCA11FE2E598CC758, 0x035429E3, 0xE93FFC21, {shrd ebp, ecx, 31}
    RSHAPE 0x05, 0, 4
    RSHAPE 0x01, 0, 4
    CASE_END
    CASE "shld eax, eax, 5", 1, 4, 5, 0x00, 0x0, 0x684977E7D8D7436D, 0x02BFD0FD, 0xD55BC06F, {shld eax, eax, 5}
    RSHAPE 0x00, 0, 4
    CASE_END
    CASE "shrd ebx, ebx, 27", 1, 4, 27, 0x03, 0x0, 0x0680F1A15821BF82, 0x80611A70, 0x53C497DF, {shrd ebx, ebx, 27}
    RSHAPE 0x03, 0, 4
    CASE_END
    CASE "shld ebx, ecx, 32", 1, 4, 32, 0x03, 0x0, 0xA4B86B5AD76C3B97, 0xC32B5E16, 0x828389EB, {shld ebx, ecx, 32}
    RSHAPE 0x03, 0, 4
    RSHAPE 0x01, 0, 4
    CASE_END
    CASE "shrd eax, edi, 33", 1, 4, 33, 0x00, 0x0, 0x42EFE51456B6B7AC, 0x1CBF99A4, 0x39AD4601, {shrd eax, edi, 33}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x07, 0, 4
    CASE_END
    CASE "shld ecx, edx, 63", 1, 4, 63, 0x01, 0x0, 0xE1275ECDD60133C1, 0xFFD255DE, 0x8C34FF1B, {shld ecx, edx, 63}
    RSHAPE 0x01, 0, 4
    RSHAPE 0x02, 0, 4
    CASE_END
    CASE "shrd edi, ecx, 255", 1, 4, 255, 0x07, 0x0, 0x7F5ED887554BAFD6, 0x4DEABB2D, 0xB8B66879, {shrd edi, ecx, 255}
    RSHAPE 0x07, 0, 4
    RSHAPE 0x01, 0, 4
    CASE_END
    CASE "shld ax, bx, 1", 1, 2, 1, 0x00, 0x0, 0x1D965240D4962BEB, 0xE3B0911F, 0x70E95709, {shld ax, bx, 1}
    RSHAPE 0x00, 0, 2
    RSHAPE 0x03, 0, 2
    CASE_END
    CASE "shld si, dx, 16", 1, 2, 16, 0x06, 0x0, 0xBBCDCBFA53E0A800, 0x2B78BBD0, 0xC743DE1F, {shld si, dx, 16}
    RSHAPE 0x06, 0, 2
    RSHAPE 0x02, 0, 2
    CASE_END
    CASE "shrd ax, dx, 31", 1, 2, 31, 0x00, 0x0, 0x5A0545B3D32B2415, 0x8EA6B00D, 0xCFC16871, {shrd ax, dx, 31}
    RSHAPE 0x00, 0, 2
    RSHAPE 0x02, 0, 2
    CASE_END
    CASE "shrd cx, bx, 0", 1, 2, 0, 0x01, 0x0, 0xF83CBF6D5275A02A, 0x93892C74, 0x2F03AC4A, {shrd cx, bx, 0}
    RSHAPE 0x01, 0, 2
    RSHAPE 0x03, 0, 2
    CASE_END
    CASE "shrd dword [edi], eax, 31 (across a page boundary)", 1, 4, 31, 0x80, 0x21FFE, 0x96743926D1C01C3F, 0x8BEAEFED, 0x4DBFEECB, {shrd dword [edi], eax, 31}
    RSHAPE 0x80, 0, 4
    RSHAPE 0x00, 0, 4
    FIX 7, 0x21FFE
    CASE_END
    CASE "shld dword [edi], ebx, cl", 2, 4, 0, 0x80, 0x20068, 0x34ABB2E0510A9854, 0x790CC79D, 0x5BE1D3BB, {shld dword [edi], ebx, cl}
    RSHAPE 0x80, 0, 4
    RSHAPE 0x03, 0, 4
    RSHAPE 0x01, 0, 1
    FIX 7, 0x20068
    CASE_END
    CASE "shld word [fs:ebx], dx, 12 (FS base 100h)", 1, 2, 12, 0x80, 0x20060, 0xD2E32C99D0551469, 0x60E77105, 0xAB46EA2A, {shld word [fs:ebx], dx, 12}
    RSHAPE 0x80, 0, 2
    RSHAPE 0x02, 0, 2
    FIX 3, 0x1FF60
    CASE_END
    CASE "shld ebx, edx, cl", 2, 4, 0, 0x03, 0x0, 0x711AA6534F9F907E, 0xFD309B27, 0xA1FF8CDA, {shld ebx, edx, cl}
    RSHAPE 0x03, 0, 4
    RSHAPE 0x02, 0, 4
    RSHAPE 0x01, 0, 1
    CASE_END
    CASE "shrd ecx, eax, cl", 2, 4, 0, 0x01, 0x0, 0x0F52200CCEEA0C93, 0x6283982A, 0x121C0294, {shrd ecx, eax, cl}
    RSHAPE 0x01, 0, 4
    RSHAPE 0x00, 0, 4
    SHAPE 0x01, 0, 1
    CASE_END
    CASE "shrd dx, si, cl", 2, 2, 0, 0x02, 0x0, 0xAD8999C64E3488A8, 0xD4DCF83E, 0x2BBB5C9D, {shrd dx, si, cl}
    RSHAPE 0x02, 0, 2
    RSHAPE 0x06, 0, 2
    RSHAPE 0x01, 0, 1
    CASE_END
; <<< cases pm32
    ret

; ======================================================================
; 64-bit mode
; ======================================================================
USE64
lm64_main:
    mov ecx, MSR_FS_BASE
    mov eax, 0x2000
    xor edx, edx
    wrmsr
    mov ecx, MSR_GS_BASE        ; FFFFFFFFFFFF0000h
    mov eax, 0xFFFF0000
    mov edx, 0xFFFFFFFF
    wrmsr
    mov dword [PT_BASE + ((PAIR - 0x1000) >> 12) * 8], PAIR_LO | 7
    mov rax, cr3
    mov cr3, rax
    call l_copy
    call l_cases
    FINISH64

SHARED
l_mode: db "lm64 ", 0

l_cases:
; >>> cases lm64
    CASE "mul al", 0, 1, 0, 0xFE, 0x0, 0xB851EF853028922D, 0x6782F2EA53265018, 0x4087F5F1FBE99023, {mul al}
    RSHAPE 0x00, 0, 1
    CASE_END
    CASE "imul al", 0, 1, 0, 0xFE, 0x0, 0x5689693EAF730E42, 0x550665671110A138, 0x8B3F73E44CF87842, {imul al}
    RSHAPE 0x00, 0, 1
    CASE_END
    CASE "mul ah", 0, 1, 0, 0xFE, 0x0, 0xF4C0E2F82EBD8A57, 0x3D1D98A54F8FE660, 0x8955A542E950A7C9, {mul ah}
    RSHAPE 0x00, 0, 1
    SHAPE 0x00, 8, 1
    CASE_END
    CASE "imul ah", 0, 1, 0, 0xFE, 0x0, 0x92F85CB1AE08066C, 0x1A62714F5E683299, 0x54C7721FAB5F34B9, {imul ah}
    RSHAPE 0x00, 0, 1
    SHAPE 0x00, 8, 1
    CASE_END
    CASE "mul sil", 0, 1, 0, 0xFE, 0x0, 0x312FD66B2D528281, 0xC98EA3DAC402A5F5, 0xBC3436778A15E5EB, {mul sil}
    RSHAPE 0x00, 0, 1
    RSHAPE 0x06, 0, 1
    CASE_END
    CASE "imul sil", 0, 1, 0, 0xFE, 0x0, 0xCF675024AC9CFE96, 0xBDE99908C12E2BF0, 0x31B8548899A8138A, {imul sil}
    RSHAPE 0x00, 0, 1
    RSHAPE 0x06, 0, 1
    CASE_END
    CASE "mul dil", 0, 1, 0, 0xFE, 0x0, 0x6D9EC9DE2BE77AAB, 0x2723140444FF29BA, 0xF90CDA553CEAF337, {mul dil}
    RSHAPE 0x00, 0, 1
    RSHAPE 0x07, 0, 1
    CASE_END
    CASE "imul dil", 0, 1, 0, 0xFE, 0x0, 0x0BD64397AB31F6C0, 0x03AD4F1B785CA8CF, 0x5692604B21D922AE, {imul dil}
    RSHAPE 0x00, 0, 1
    RSHAPE 0x07, 0, 1
    CASE_END
    CASE "mul bpl", 0, 1, 0, 0xFE, 0x0, 0xAA0DBD512A7C72D5, 0x782B6EBEA118FE59, 0x9B23C88A6EF32534, {mul bpl}
    RSHAPE 0x00, 0, 1
    RSHAPE 0x05, 0, 1
    CASE_END
    CASE "imul bpl", 0, 1, 0, 0xFE, 0x0, 0x4845370AA9C6EEEA, 0x20A0892419AF67E0, 0x028084266F3CA6E7, {imul bpl}
    RSHAPE 0x00, 0, 1
    RSHAPE 0x05, 0, 1
    CASE_END
    CASE "mul r8b", 0, 1, 0, 0xFE, 0x0, 0xE67CB0C429116AFF, 0xA64769E1D85F4E53, 0x51434CA361D23FCF, {mul r8b}
    RSHAPE 0x00, 0, 1
    RSHAPE 0x08, 0, 1
    CASE_END
    CASE "imul r8b", 0, 1, 0, 0xFE, 0x0, 0x84B42A7DA85BE714, 0x1138C069ED7E7A88, 0x4367E0D04D6409DF, {imul r8b}
    RSHAPE 0x00, 0, 1
    RSHAPE 0x08, 0, 1
    CASE_END
    CASE "mul r15b", 0, 1, 0, 0xFE, 0x0, 0x22EBA43727A66329, 0x5C8D6C94D01BD5B4, 0xF2BE1F65C6B24A7E, {mul r15b}
    RSHAPE 0x00, 0, 1
    RSHAPE 0x0F, 0, 1
    CASE_END
    CASE "imul r15b", 0, 1, 0, 0xFE, 0x0, 0xC1231DF0A6F0DF3E, 0x48375E323F39060E, 0x98DDF126FA36800A, {imul r15b}
    RSHAPE 0x00, 0, 1
    RSHAPE 0x0F, 0, 1
    CASE_END
    CASE "mul byte [fs:rbx] (FS base 2000h)", 0, 1, 0, 0xFE, 0x20018, 0x5F5A97AA263B5B53, 0xADC47C96530E74E9, 0x0991B3C69749E0E3, {mul byte [fs:rbx]}
    RSHAPE 0x00, 0, 1
    RSHAPE 0x80, 0, 1
    FIX 3, 0x1E018
    CASE_END
    CASE "imul byte [fs:rbx] (FS base 2000h)", 0, 1, 0, 0xFE, 0x20018, 0xFD921163A585D768, 0xF0EAD366417B3516, 0xC6EC6A9EAD3C62B9, {imul byte [fs:rbx]}
    RSHAPE 0x00, 0, 1
    RSHAPE 0x80, 0, 1
    FIX 3, 0x1E018
    CASE_END
    CASE "mul ax", 0, 2, 0, 0xFE, 0x0, 0x9BC98B1D24D0537D, 0x1052657E8FBCE3AE, 0xD6E2D7FADC6A7926, {mul ax}
    RSHAPE 0x00, 0, 2
    CASE_END
    CASE "imul ax", 0, 2, 0, 0xFE, 0x0, 0x3A0104D6A41ACF92, 0xC2BE1A7EFB82499E, 0x75DB6F13B87CFFA2, {imul ax}
    RSHAPE 0x00, 0, 2
    CASE_END
    CASE "mul dx", 0, 2, 0, 0xFE, 0x0, 0xD8387E9023654BA7, 0x607D55F54DACDB13, 0x74307481DDD8B026, {mul dx}
    RSHAPE 0x00, 0, 2
    RSHAPE 0x02, 0, 2
    CASE_END
    CASE "imul dx", 0, 2, 0, 0xFE, 0x0, 0x766FF849A2AFC7BC, 0x313D6F555DA3A9A5, 0xE7B0E49117C16040, {imul dx}
    RSHAPE 0x00, 0, 2
    RSHAPE 0x02, 0, 2
    CASE_END
    CASE "mul r9w", 0, 2, 0, 0xFE, 0x0, 0x14A7720321FA43D1, 0xED098A7712B58FA9, 0x848DC2B7F7DF6C94, {mul r9w}
    RSHAPE 0x00, 0, 2
    RSHAPE 0x09, 0, 2
    CASE_END
    CASE "imul r9w", 0, 2, 0, 0xFE, 0x0, 0xB2DEEBBCA144BFE6, 0x12C61441A5EE29DA, 0x7840FA7248DD84A5, {imul r9w}
    RSHAPE 0x00, 0, 2
    RSHAPE 0x09, 0, 2
    CASE_END
    CASE "mul word [rdi] (across a page boundary)", 0, 2, 0, 0xFE, 0x21FFF, 0x51166576208F3BFB, 0xB2947EB5A013C127, 0xF8919D38AB513BAE, {mul word [rdi]}
    RSHAPE 0x00, 0, 2
    RSHAPE 0x80, 0, 2
    FIX 7, 0x21FFF
    CASE_END
    CASE "imul word [rdi] (across a page boundary)", 0, 2, 0, 0xFE, 0x21FFF, 0xEF4DDF2F9FD9B810, 0xCD725BE58998490B, 0xA2F449AB69DCDEF2, {imul word [rdi]}
    RSHAPE 0x00, 0, 2
    RSHAPE 0x80, 0, 2
    FIX 7, 0x21FFF
    CASE_END
    CASE "mul word [gs:rsi] (GS base FFFFFFFFFFFF0000h: the address wraps)", 0, 2, 0, 0xFE, 0x20020, 0x8D8558E91F243425, 0x94A66ED59DE8F228, 0x78096FA5A355003B, {mul word [gs:rsi]}
    RSHAPE 0x00, 0, 2
    RSHAPE 0x80, 0, 2
    FIX 6, 0x30020
    CASE_END
    CASE "imul word [gs:rsi] (GS base FFFFFFFFFFFF0000h: the address wraps)", 0, 2, 0, 0xFE, 0x20020, 0x2BBCD2A29E6EB03A, 0xB297488971D7152E, 0xD09F6FA48107AC85, {imul word [gs:rsi]}
    RSHAPE 0x00, 0, 2
    RSHAPE 0x80, 0, 2
    FIX 6, 0x30020
    CASE_END
    CASE "mul eax", 0, 4, 0, 0xFE, 0x0, 0xC9F44C5C1DB92C4F, 0x7BEEB853E06C87ED, 0xF35CC95791F106F0, {mul eax}
    RSHAPE 0x00, 0, 4
    CASE_END
    CASE "imul eax", 0, 4, 0, 0xFE, 0x0, 0x682BC6159D03A864, 0xAEBBADF21F4FD393, 0xFB273ABE088354E6, {imul eax}
    RSHAPE 0x00, 0, 4
    CASE_END
    CASE "mul edx", 0, 4, 0, 0xFE, 0x0, 0x06633FCF1C4E2479, 0xF7D104E2F8EB28AA, 0xEA7A4E95C01ED64E, {mul edx}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x02, 0, 4
    CASE_END
    CASE "imul edx", 0, 4, 0, 0xFE, 0x0, 0xA49AB9889B98A08E, 0xFB0F339C1E54FABD, 0x834847A7208E8EDD, {imul edx}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x02, 0, 4
    CASE_END
    CASE "mul r8d", 0, 4, 0, 0xFE, 0x0, 0x42D233421AE31CA3, 0xD1983712F25409E7, 0x8F2C918C77455CA2, {mul r8d}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x08, 0, 4
    CASE_END
    CASE "imul r8d", 0, 4, 0, 0xFE, 0x0, 0xE109ACFB9A2D98B8, 0x242B17A0E6A3672D, 0x9CF30F39B9C98DA8, {imul r8d}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x08, 0, 4
    CASE_END
    CASE "mul r13d", 0, 4, 0, 0xFE, 0x0, 0x7F4126B5197814CD, 0x65F9A09BA215B4CF, 0x3F74D88DFFAB6ACB, {mul r13d}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x0D, 0, 4
    CASE_END
    CASE "imul r13d", 0, 4, 0, 0xFE, 0x0, 0x1D78A06E98C290E2, 0x37A01C579BD7CC4C, 0x09209B588CD30452, {imul r13d}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x0D, 0, 4
    CASE_END
    CASE "mul dword [r12 + r13 * 2 + 0x10]", 0, 4, 0, 0xFE, 0x20030, 0xBBB01A28180D0CF7, 0xEE55FDCAE86F47CD, 0x787A0CCE7FF3385D, {mul dword [r12 + r13 * 2 + 0x10]}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x80, 0, 4
    FIX 12, 0x1FDDA
    FIX 13, 0x123
    CASE_END
    CASE "imul dword [r12 + r13 * 2 + 0x10]", 0, 4, 0, 0xFE, 0x20030, 0x59E793E19757890C, 0x5E3A1B706DAD8299, 0xEB82454CDEA1A283, {imul dword [r12 + r13 * 2 + 0x10]}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x80, 0, 4
    FIX 12, 0x1FDDA
    FIX 13, 0x123
    CASE_END
    CASE "mul dword [rsi] (across a page boundary)", 0, 4, 0, 0xFE, 0x21FFE, 0xF81F0D9B16A20521, 0x2CC02DEA433655C1, 0xAEAD8BEB297D9155, {mul dword [rsi]}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x80, 0, 4
    FIX 6, 0x21FFE
    CASE_END
    CASE "imul dword [rsi] (across a page boundary)", 0, 4, 0, 0xFE, 0x21FFE, 0x9656875495EC8136, 0x74B3C56DDF9F66B8, 0x45567152F72A8DB4, {imul dword [rsi]}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x80, 0, 4
    FIX 6, 0x21FFE
    CASE_END
    CASE "mul dword [fs:rcx] (FS base 2000h)", 0, 4, 0, 0xFE, 0x20038, 0x348E010E1536FD4B, 0x6253BDDE632BE4A6, 0xDC49538F1261724F, {mul dword [fs:rcx]}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x80, 0, 4
    FIX 1, 0x1E038
    CASE_END
    CASE "imul dword [fs:rcx] (FS base 2000h)", 0, 4, 0, 0xFE, 0x20038, 0xD2C57AC794817960, 0x36B32A9954174320, 0x381F933D2075863E, {imul dword [fs:rcx]}
    RSHAPE 0x00, 0, 4
    RSHAPE 0x80, 0, 4
    FIX 1, 0x1E038
    CASE_END
    CASE "mul rax", 0, 8, 0, 0xFE, 0x0, 0x70FCF48113CBF575, 0x6639C4AF6274D324, 0xFD76E30D272E28C2, {mul rax}
    RSHAPE 0x00, 0, 8
    CASE_END
    CASE "imul rax", 0, 8, 0, 0xFE, 0x0, 0x0F346E3A9316718A, 0xD0DD34413A396F51, 0x39A661A0FDA430DE, {imul rax}
    RSHAPE 0x00, 0, 8
    CASE_END
    CASE "mul rcx", 0, 8, 0, 0xFE, 0x0, 0xAD6BE7F41260ED9F, 0xFC0F76549C08C4E9, 0x35ED8F3CF2D311CD, {mul rcx}
    RSHAPE 0x00, 0, 8
    RSHAPE 0x01, 0, 8
    CASE_END
    CASE "imul rcx", 0, 8, 0, 0xFE, 0x0, 0x4BA361AD91AB69B4, 0xB0EB4A2C66609E02, 0x7E02903BAF039A8E, {imul rcx}
    RSHAPE 0x00, 0, 8
    RSHAPE 0x01, 0, 8
    CASE_END
    CASE "mul rdx", 0, 8, 0, 0xFE, 0x0, 0xE9DADB6710F5E5C9, 0xD0264337AF15B5C2, 0x6080FE48DACFDD62, {mul rdx}
    RSHAPE 0x00, 0, 8
    RSHAPE 0x02, 0, 8
    CASE_END
    CASE "imul rdx", 0, 8, 0, 0xFE, 0x0, 0x88125520904061DE, 0xF8388671F9BDAE57, 0xF1A1B9A3153DFAB5, {imul rdx}
    RSHAPE 0x00, 0, 8
    RSHAPE 0x02, 0, 8
    CASE_END
    CASE "mul r15", 0, 8, 0, 0xFE, 0x0, 0x2649CEDA0F8ADDF3, 0x2CDA565CB2DF4173, 0xD03B3EA2DA03FDC9, {mul r15}
    RSHAPE 0x00, 0, 8
    RSHAPE 0x0F, 0, 8
    CASE_END
    CASE "imul r15", 0, 8, 0, 0xFE, 0x0, 0xC48148938ED55A08, 0x729B9E0CF3213101, 0xC34FDF792D2C0A62, {imul r15}
    RSHAPE 0x00, 0, 8
    RSHAPE 0x0F, 0, 8
    CASE_END
    CASE "mul qword [rdi]", 0, 8, 0, 0xFE, 0x20040, 0x62B8C24D0E1FD61D, 0xB36E7FE320BEB6EA, 0x714014E2EFB0C3A5, {mul qword [rdi]}
    RSHAPE 0x00, 0, 8
    RSHAPE 0x80, 0, 8
    FIX 7, 0x20040
    CASE_END
    CASE "imul qword [rdi]", 0, 8, 0, 0xFE, 0x20040, 0x00F03C068D6A5232, 0xC38113F4061CF6B7, 0xA87A1C461A9A9A59, {imul qword [rdi]}
    RSHAPE 0x00, 0, 8
    RSHAPE 0x80, 0, 8
    FIX 7, 0x20040
    CASE_END
    CASE "mul qword [r9] (across a page boundary)", 0, 8, 0, 0xFE, 0x21FFC, 0x9F27B5C00CB4CE47, 0x850FF9D934B6BF7E, 0x7A04A3B8C25030B1, {mul qword [r9]}
    RSHAPE 0x00, 0, 8
    RSHAPE 0x80, 0, 8
    FIX 9, 0x21FFC
    CASE_END
    CASE "imul qword [r9] (across a page boundary)", 0, 8, 0, 0xFE, 0x21FFC, 0x3D5F2F798BFF4A5C, 0x599F78CD68BC42ED, 0xAEA6D894F7E98B74, {imul qword [r9]}
    RSHAPE 0x00, 0, 8
    RSHAPE 0x80, 0, 8
    FIX 9, 0x21FFC
    CASE_END
    CASE "mul qword [gs:r10 + 8] (GS base FFFFFFFFFFFF0000h)", 0, 8, 0, 0xFE, 0x20048, 0xDB96A9330B49C671, 0xFDDCD4DA3C3286BB, 0xB3C4AACE8CADA67A, {mul qword [gs:r10 + 8]}
    RSHAPE 0x00, 0, 8
    RSHAPE 0x80, 0, 8
    FIX 10, 0x30040
    CASE_END
    CASE "imul qword [gs:r10 + 8] (GS base FFFFFFFFFFFF0000h)", 0, 8, 0, 0xFE, 0x20048, 0x79CE22EC8A944286, 0x9303AF7B658FA376, 0x16389D4112292B8C, {imul qword [gs:r10 + 8]}
    RSHAPE 0x00, 0, 8
    RSHAPE 0x80, 0, 8
    FIX 10, 0x30040
    CASE_END
    CASE "mul qword [0x20050] (a 32-bit absolute address)", 0, 8, 0, 0xFE, 0x20050, 0x18059CA609DEBE9B, 0x6CD467733C88FFA1, 0x67FEF9653832065A, {mul qword [0x20050]}
    RSHAPE 0x00, 0, 8
    RSHAPE 0x80, 0, 8
    CASE_END
    CASE "imul qword [0x20050] (a 32-bit absolute address)", 0, 8, 0, 0xFE, 0x20050, 0xB63D165F89293AB0, 0x44D43F439D1BFFF6, 0xA5E54F42538D9531, {imul qword [0x20050]}
    RSHAPE 0x00, 0, 8
    RSHAPE 0x80, 0, 8
    CASE_END
    CASE "mul qword [fs:rax] (FS base 2000h, RAX the address)", 0, 8, 0, 0xFE, 0x20058, 0x547490190873B6C5, 0xB2F3C3AF8FF8A9BA, 0x8195B3F9D6F65139, {mul qword [fs:rax]}
    RSHAPE 0x00, 0, 8
    RSHAPE 0x80, 0, 8
    FIX 0, 0x1E058
    CASE_END
    CASE "imul qword [fs:rax] (FS base 2000h, RAX the address)", 0, 8, 0, 0xFE, 0x20058, 0xF2AC09D287BE32DA, 0x802A35FC33AE4EF0, 0x1FBCBE007273DBDF, {imul qword [fs:rax]}
    RSHAPE 0x00, 0, 8
    RSHAPE 0x80, 0, 8
    FIX 0, 0x1E058
    CASE_END
    CASE "shld ebx, ecx, 1", 1, 4, 1, 0x03, 0x0, 0x90E3838C0708AEEF, 0x4A0E9FB971350155, 0xB0F4241180CA8955, {shld ebx, ecx, 1}
    RSHAPE 0x03, 0, 4
    RSHAPE 0x01, 0, 4
    CASE_END
    CASE "shrd r9d, r14d, 1", 1, 4, 1, 0x09, 0x0, 0x2F1AFD4586532B04, 0xFE73017A68F9AB20, 0x3F11A50DE2BBED59, {shrd r9d, r14d, 1}
    RSHAPE 0x09, 0, 4
    RSHAPE 0x0E, 0, 4
    CASE_END
    CASE "shld r12d, eax, 8", 1, 4, 8, 0x0C, 0x0, 0xCD5276FF059DA719, 0x204CAE7067EE1F4F, 0xA3CD7E2D256C1D95, {shld r12d, eax, 8}
    RSHAPE 0x0C, 0, 4
    RSHAPE 0x00, 0, 4
    CASE_END
    CASE "shrd r13d, ebp, 16", 1, 4, 16, 0x0D, 0x0, 0x6B89F0B884E8232E, 0x536948F6A774FDF9, 0x5D9160FC981E131F, {shrd r13d, ebp, 16}
    RSHAPE 0x0D, 0, 4
    RSHAPE 0x05, 0, 4
    CASE_END
    CASE "shld ecx, r11d, 17", 1, 4, 17, 0x01, 0x0, 0x09C16A7204329F43, 0x983ADA6F4C8974A4, 0x48A4F1D7FDE08597, {shld ecx, r11d, 17}
    RSHAPE 0x01, 0, 4
    RSHAPE 0x0B, 0, 4
    CASE_END
    CASE "shrd ebp, ecx, 31", 1, 4, 31, 0x05, 0x0, 0xA7F8E42B837D1B58, 0xFFF0C4D285C678B4, 0x9A2276AB8055A18F, {shrd ebp, ecx, 31}
    RSHAPE 0x05, 0, 4
    RSHAPE 0x01, 0, 4
    CASE_END
    CASE "shld r10d, r10d, 5", 1, 4, 5, 0x0A, 0x0, 0x46305DE502C7976D, 0xDEE75D3177071E70, 0x2651C13AA4FF3BCA, {shld r10d, r10d, 5}
    RSHAPE 0x0A, 0, 4
    CASE_END
    CASE "shrd r14d, esi, 32", 1, 4, 32, 0x0E, 0x0, 0xE467D79E82121382, 0x321739E899BE59DD, 0x5EFFE4C6C3C0D9FB, {shrd r14d, esi, 32}
    RSHAPE 0x0E, 0, 4
    RSHAPE 0x06, 0, 4
    CASE_END
    CASE "shld edx, esi, 33", 1, 4, 33, 0x02, 0x0, 0x829F5158015C8F97, 0x319C7B354D7D83CF, 0x31906334BDA183CF, {shld edx, esi, 33}
    RSHAPE 0x02, 0, 4
    RSHAPE 0x06, 0, 4
    CASE_END
    CASE "shrd esi, eax, 255", 1, 4, 255, 0x06, 0x0, 0x20D6CB1180A70BAC, 0xF5B46D3DC4E86AC7, 0xD56048946B9DED3E, {shrd esi, eax, 255}
    RSHAPE 0x06, 0, 4
    RSHAPE 0x00, 0, 4
    CASE_END
    CASE "shld rbx, rcx, 1", 1, 8, 1, 0x03, 0x0, 0xBF0E44CAFFF187C1, 0x32416A74052C994C, 0xEBF9862C7D656340, {shld rbx, rcx, 1}
    RSHAPE 0x03, 0, 8
    RSHAPE 0x01, 0, 8
    CASE_END
    CASE "shrd rbx, rcx, 1", 1, 8, 1, 0x03, 0x0, 0x5D45BE847F3C03D6, 0xCFA180D547F61F91, 0x72674CEBE771018B, {shrd rbx, rcx, 1}
    RSHAPE 0x03, 0, 8
    RSHAPE 0x01, 0, 8
    CASE_END
    CASE "shld rax, rdx, 2", 1, 8, 2, 0x00, 0x0, 0xFB7D383DFE867FEB, 0x946AC44AEECACBBC, 0x1DF1B181F462D448, {shld rax, rdx, 2}
    RSHAPE 0x00, 0, 8
    RSHAPE 0x02, 0, 8
    CASE_END
    CASE "shrd rdx, r15, 3", 1, 8, 3, 0x02, 0x0, 0x99B4B1F77DD0FC00, 0x249FD071F1A66BBB, 0xCD1AEBE9FC3D7624, {shrd rdx, r15, 3}
    RSHAPE 0x02, 0, 8
    RSHAPE 0x0F, 0, 8
    CASE_END
    CASE "shld rcx, r12, 32", 1, 8, 32, 0x01, 0x0, 0x37EC2BB0FD1B7815, 0x8A64D29C4CEC67DA, 0x5BA733A98443EC53, {shld rcx, r12, 32}
    RSHAPE 0x01, 0, 8
    RSHAPE 0x0C, 0, 8
    CASE_END
    CASE "shrd rax, r10, 33", 1, 8, 33, 0x00, 0x0, 0xD623A56A7C65F42A, 0x46CE6280440EADFD, 0xABEA626407782CC7, {shrd rax, r10, 33}
    RSHAPE 0x00, 0, 8
    RSHAPE 0x0A, 0, 8
    CASE_END
    CASE "shld r15, rdx, 48", 1, 8, 48, 0x0F, 0x0, 0x745B1F23FBB0703F, 0x5D340C831DF89AFA, 0xF382AAC91E3185C9, {shld r15, rdx, 48}
    RSHAPE 0x0F, 0, 8
    RSHAPE 0x02, 0, 8
    CASE_END
    CASE "shrd rbx, r14, 62", 1, 8, 62, 0x03, 0x0, 0x129298DD7AFAEC54, 0xB9326A68EF8EF139, 0x88DC27A72B8F6055, {shrd rbx, r14, 62}
    RSHAPE 0x03, 0, 8
    RSHAPE 0x0E, 0, 8
    CASE_END
    CASE "shld rbp, rsi, 63", 1, 8, 63, 0x05, 0x0, 0xB0CA1296FA456869, 0x81A4F27A8D7D2471, 0x90B2FFC8A851DBBD, {shld rbp, rsi, 63}
    RSHAPE 0x05, 0, 8
    RSHAPE 0x06, 0, 8
    CASE_END
    CASE "shrd r10, r10, 51", 1, 8, 51, 0x0A, 0x0, 0x4F018C50798FE47E, 0xD6FE91B73CC59F7B, 0xC00C1BBA328B048A, {shrd r10, r10, 51}
    RSHAPE 0x0A, 0, 8
    CASE_END
    CASE "shld rdi, r11, 64", 1, 8, 64, 0x07, 0x0, 0xED390609F8DA6093, 0xD68C146307E9836B, 0xFDFD3D2A18C1F4C1, {shld rdi, r11, 64}
    RSHAPE 0x07, 0, 8
    RSHAPE 0x0B, 0, 8
    CASE_END
    CASE "shrd r12, r13, 65", 1, 8, 65, 0x0C, 0x0, 0x8B707FC37824DCA8, 0xE05F85064E10890B, 0x5E5086207C9251B9, {shrd r12, r13, 65}
    RSHAPE 0x0C, 0, 8
    RSHAPE 0x0D, 0, 8
    CASE_END
    CASE "shld rcx, rbx, 127", 1, 8, 127, 0x01, 0x0, 0x29A7F97CF76F58BD, 0xE3F28BE2B92BAE90, 0xB17ADCC26822193A, {shld rcx, rbx, 127}
    RSHAPE 0x01, 0, 8
    RSHAPE 0x03, 0, 8
    CASE_END
    CASE "shrd r9, rdx, 200", 1, 8, 200, 0x09, 0x0, 0xC7DF733676B9D4D2, 0xDE614E7212C3303E, 0x100C1BBE81B4D167, {shrd r9, rdx, 200}
    RSHAPE 0x09, 0, 8
    RSHAPE 0x02, 0, 8
    CASE_END
    CASE "shld r11w, dx, 17", 1, 2, 17, 0x0B, 0x0, 0x6616ECEFF60450E7, 0x19270B753E03E1D9, 0x785AC0C394935868, {shld r11w, dx, 17}
    RSHAPE 0x0B, 0, 2
    RSHAPE 0x02, 0, 2
    CASE_END
    CASE "shrd r8w, si, 1", 1, 2, 1, 0x08, 0x0, 0x044E66A9754ECCFC, 0xA46BCF9F77382553, 0xD257EB9F1723655E, {shrd r8w, si, 1}
    RSHAPE 0x08, 0, 2
    RSHAPE 0x06, 0, 2
    CASE_END
    CASE "shld dx, ax, 0", 1, 2, 0, 0x02, 0x0, 0xA285E062F4994911, 0x98449F11FDCCD676, 0x5BA58830299E9EF5, {shld dx, ax, 0}
    RSHAPE 0x02, 0, 2
    RSHAPE 0x00, 0, 2
    CASE_END
    CASE "shrd qword [r9], rax, 63 (across a page boundary)", 1, 8, 63, 0x80, 0x21FFC, 0x40BD5A1C73E3C526, 0x100C9302C77332A1, 0x6CD6C67EC654FF05, {shrd qword [r9], rax, 63}
    RSHAPE 0x80, 0, 8
    RSHAPE 0x00, 0, 8
    FIX 9, 0x21FFC
    CASE_END
    CASE "shrd qword [fs:rbx], rsi, cl (FS base 2000h)", 2, 8, 0, 0x80, 0x20068, 0xDEF4D3D5F32E413B, 0xB9E689F039277CCA, 0xDA7B7FA63EDE011F, {shrd qword [fs:rbx], rsi, cl}
    RSHAPE 0x80, 0, 8
    RSHAPE 0x06, 0, 8
    RSHAPE 0x01, 0, 1
    FIX 3, 0x1E068
    CASE_END
    CASE "shld dword [rdi], r8d, 33", 1, 4, 33, 0x80, 0x20070, 0x7D2C4D8F7278BD50, 0x22874B6BFDAA4CE0, 0x226F0F6C01028990, {shld dword [rdi], r8d, 33}
    RSHAPE 0x80, 0, 4
    RSHAPE 0x08, 0, 4
    FIX 7, 0x20070
    CASE_END
    CASE "shld rbx, rdx, cl", 2, 8, 0, 0x03, 0x0, 0x1B63C748F1C33965, 0x8522EA6566CACAF1, 0xAEF4ECB207455B42, {shld rbx, rdx, cl}
    RSHAPE 0x03, 0, 8
    RSHAPE 0x02, 0, 8
    RSHAPE 0x01, 0, 1
    CASE_END
    CASE "shrd r12, rdi, cl", 2, 8, 0, 0x0C, 0x0, 0xB99B4102710DB57A, 0xCA1AA7BB2D22BE35, 0x26907486B39D3B30, {shrd r12, rdi, cl}
    RSHAPE 0x0C, 0, 8
    RSHAPE 0x07, 0, 8
    RSHAPE 0x01, 0, 1
    CASE_END
    CASE "shrd r14d, edi, cl", 2, 4, 0, 0x0E, 0x0, 0x57D2BABBF058318F, 0x0F3ECEC9E2053464, 0x90E2E8C9AE747E1E, {shrd r14d, edi, cl}
    RSHAPE 0x0E, 0, 4
    RSHAPE 0x07, 0, 4
    RSHAPE 0x01, 0, 1
    CASE_END
    CASE "shld r10w, bx, cl", 2, 2, 0, 0x0A, 0x0, 0xF60A34756FA2ADA4, 0xA4A8917E37943C74, 0xC39A2B503673F16D, {shld r10w, bx, cl}
    RSHAPE 0x0A, 0, 2
    RSHAPE 0x03, 0, 2
    RSHAPE 0x01, 0, 1
    CASE_END
; <<< cases lm64
    ret

; ======================================================================
; data
; ======================================================================
xgdt:
    DESC 0xF0000, 0xFFFF, 0x9B, 0x0         ; SEL_CODE16
    DESC 0, 0xFFFF, 0x93, 0x0               ; SEL_DATA16
    DESC 0x100, 0xFFFFF, 0x93, 0xC          ; SEL_FS32
    DESC 0xFFFFF000, 0xFFFFF, 0x93, 0xC     ; SEL_GS32
xgdt_end:

str_ok:   db "ok ", 0
str_fail: db "FAIL ", 0
str_def:  db ": def=", 0
str_all:  db " all=", 0
str_a:    db ", last turn: a=", 0
str_d:    db " d=", 0
str_x:    db " x=", 0
str_fl:   db " fl=", 0
str_cc:   db " cc=", 0
str_wdef: db ", want def=", 0
str_wall: db " all=", 0
str_errs: db " errors=", 0

    LM_LIB
ROM_END

; ---- the model (Python 3) that computed the cases' "def" and "all" ----
;py # The model behind the "def" and "all" values of tests/guest/jit_muldiv.asm:
;py # the generator, the instructions as the interpreter does them (muldiv_mul,
;py # shiftd_calc, the lazy flags), the harness's readers and the fold. It
;py # rewrites the case tables (between "; >>> cases MODE" and "; <<< cases
;py # MODE") from the lists at its end:
;py #   sed -n 's/^;py \?//p' tests/guest/jit_muldiv.asm | python3 - tests/guest/jit_muldiv.asm
;py import sys
;py CF, PF, AF, ZF, SF, OF = 1, 4, 0x10, 0x40, 0x80, 0x800
;py ARITH = 0x8D5
;py
;py def mask(bits):
;py     return (1 << bits) - 1
;py
;py def parity(v):
;py     return PF if bin(v & 0xFF).count('1') % 2 == 0 else 0
;py
;py def szp(r, size):
;py     bits = size * 8
;py     r &= mask(bits)
;py     return parity(r) | (ZF if r == 0 else 0) | (SF if (r >> (bits - 1)) & 1 else 0)
;py
;py def sx(v, bits):
;py     v &= mask(bits)
;py     return v - (1 << bits) if v >> (bits - 1) else v
;py
;py def add_flags(a, b, c, size):
;py     bits = size * 8
;py     m = mask(bits)
;py     a &= m; b &= m
;py     r = (a + b + c) & m
;py     cf = 1 if a + b + c > m else 0
;py     of = ((a ^ r) & (b ^ r)) >> (bits - 1) & 1
;py     af = ((a ^ b ^ r) >> 4) & 1
;py     return r, szp(r, size) | (CF if cf else 0) | (OF if of else 0) | (AF if af else 0)
;py
;py def cond(cc, f):
;py     o = bool(f & OF); c = bool(f & CF); z = bool(f & ZF); s = bool(f & SF); p = bool(f & PF)
;py     r = [o, c, z, c or z, s, p, s != o, z or (s != o)][cc >> 1]
;py     return int(r ^ (cc & 1))
;py
;py class Rng:
;py     def __init__(self, W, seed):
;py         self.W = W; self.x = seed & mask(W)
;py     def next(self):
;py         x, M = self.x, mask(self.W)
;py         if self.W == 32:
;py             x ^= (x << 13) & M; x ^= x >> 17; x ^= (x << 5) & M
;py         else:
;py             x ^= (x << 13) & M; x ^= x >> 7; x ^= (x << 17) & M
;py         self.x = x
;py         return x
;py
;py def shape(V, sh, size, s, W):
;py     bits = size * 8
;py     m = mask(bits)
;py     low = (V >> sh) & m
;py     mode = s & 7
;py     k = (s >> 8) & (bits - 1)
;py     j = (s >> 16) & 3
;py     if mode <= 1:
;py         v = low
;py     elif mode == 2:
;py         v = low >> k
;py     elif mode == 3:
;py         v = (sx(low, bits) >> k) & m
;py     elif mode == 4:
;py         v = (low << k) & m
;py     elif mode == 5:
;py         v = (-j) & m
;py     elif mode == 6:
;py         v = j
;py     else:
;py         v = ((1 << (bits - 1)) - (j & 1)) & m
;py     return ((V & ~(m << sh)) | (v << sh)) & mask(W)
;py
;py def mul(sign, size, a64, src64):
;py     bits = size * 8
;py     a = a64 & mask(bits); s = src64 & mask(bits)
;py     if sign:
;py         p = sx(a, bits) * sx(s, bits)
;py     else:
;py         p = a * s
;py     p &= mask(2 * bits)
;py     lo = p & mask(bits); hi = p >> bits
;py     if sign:
;py         over = (sx(lo, bits) & mask(2 * bits)) != p
;py     else:
;py         over = hi != 0
;py     return lo, hi, szp(lo, size) | ((CF | OF) if over else 0)
;py
;py def shiftd(left, size, dst, src, count):
;py     """shiftd_calc: (result, flags or None when the count is 0)"""
;py     if size == 8:
;py         count &= 63
;py     else:
;py         count &= 31
;py     if count == 0:
;py         return dst, None
;py     bits = size * 8
;py     dst &= mask(bits); src &= mask(bits)
;py     if size in (4, 8):
;py         if left:
;py             r = ((dst << count) | (src >> (bits - count))) & mask(bits)
;py             cf = (dst >> (bits - count)) & 1
;py             of = (r >> (bits - 1)) ^ cf
;py         else:
;py             r = ((dst >> count) | (src << (bits - count))) & mask(bits)
;py             cf = (dst >> (count - 1)) & 1
;py             of = ((r >> (bits - 1)) ^ (r >> (bits - 2))) & 1
;py     else:
;py         v = (dst << 32) | (src << 16) | dst
;py         if left:
;py             r = ((v << count) >> 32) & 0xFFFF
;py             cf = (v >> (48 - count)) & 1
;py             of = ((r >> 15) & 1) ^ cf
;py         else:
;py             r = (v >> count) & 0xFFFF
;py             cf = (v >> (count - 1)) & 1
;py             of = ((r >> 15) ^ (r >> 14)) & 1
;py     return r, szp(r, size) | (CF if cf else 0) | (OF if of else 0)
;py
;py TURNS = 64
;py
;py R64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi'] + ['r%d' % i for i in range(8, 16)]
;py R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'] + ['r%dd' % i for i in range(8, 16)]
;py R16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'] + ['r%dw' % i for i in range(8, 16)]
;py R8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil'] + ['r%db' % i for i in range(8, 16)]
;py HI8 = ['ah', 'ch', 'dh', 'bh']
;py KW = {1: 'byte', 2: 'word', 4: 'dword', 8: 'qword'}
;py
;py def reg(name):
;py     """(index, shift, size)"""
;py     if name in HI8:
;py         return HI8.index(name), 8, 1
;py     for tab, size in ((R64, 8), (R32, 4), (R16, 2), (R8, 1)):
;py         if name in tab:
;py             return tab.index(name), 0, size
;py     raise KeyError(name)
;py
;py class Mem:
;py     def __init__(self, addr, mema, fixes, note=''):
;py         self.addr, self.mema, self.fixes, self.note = addr, mema, fixes, note
;py
;py def case_mul(op, size, src):
;py     return dict(kind=0, op=op, size=size, src=src)
;py
;py def case_shd(op, size, dst, src, count):
;py     return dict(kind=2 if count == 'cl' else 1, op=op, size=size, dst=dst, src=src, count=count)
;py
;py def text_of(c):
;py     if c['kind'] == 0:
;py         s = c['src']
;py         if isinstance(s, Mem):
;py             return '%s %s %s' % (c['op'], KW[c['size']], s.addr), s.note
;py         return '%s %s' % (c['op'], s), ''
;py     d = c['dst']
;py     note = ''
;py     if isinstance(d, Mem):
;py         dt = '%s %s' % (KW[c['size']], d.addr)
;py         note = d.note
;py     else:
;py         dt = d
;py     return '%s %s, %s, %s' % (c['op'], dt, c['src'], c['count']), note
;py
;py def simulate(c, W, nregs, seed):
;py     M = mask(W)
;py     rng = Rng(W, seed)
;py     size = c['size']
;py     bits = size * 8
;py     shapes = []
;py     fixes = []
;py     if c['kind'] == 0:
;py         shapes.append((0, 0, size))
;py         s = c['src']
;py         if isinstance(s, Mem):
;py             shapes.append((0x80, 0, size))
;py             fixes = s.fixes
;py         else:
;py             i, sh, sz = reg(s)
;py             assert sz == size
;py             if (i, sh) != (0, 0):
;py                 shapes.append((i, sh, size))
;py         dst = 0xFE
;py     else:
;py         d = c['dst']
;py         if isinstance(d, Mem):
;py             shapes.append((0x80, 0, size))
;py             fixes = d.fixes
;py             dst = 0x80
;py         else:
;py             i, sh, sz = reg(d)
;py             assert sz == size and sh == 0
;py             shapes.append((i, 0, size))
;py             dst = i
;py         i, sh, sz = reg(c['src'])
;py         assert sz == size
;py         if i != dst:
;py             shapes.append((i, 0, size))
;py         if c['kind'] == 2:
;py             shapes.append((1, 0, 1))
;py     recs = []
;py     seen = set()
;py     for x in shapes:                # each target drawn anew before its first shape
;py         recs.append(('s' if x[0] in seen else 'rs',) + x)
;py         seen.add(x[0])
;py     recs += [('f', reg(r)[0], v & M) for r, v in fixes]
;py     fixed = set(r[1] for r in recs if r[0] == 'f')
;py     assert not (fixed & set(x[0] for x in shapes)) or c['kind'] == 0, c
;py     def fold(h, v):
;py         return (((h << 5) | (h >> (W - 5))) + v) & M
;py     hdef = hall = 0
;py     IN = [rng.next() for k in range(nregs)]
;py     MEMV = rng.next()
;py     for turn in range(TURNS):
;py         FLIN = (rng.next() & 0x8D5) | 2
;py         for r in recs:
;py             if r[0] == 'rs':
;py                 v = rng.next()
;py                 if r[1] == 0x80:
;py                     MEMV = v
;py                 else:
;py                     IN[r[1]] = v
;py             if r[0] in ('s', 'rs'):
;py                 s = rng.next()
;py                 if r[1] == 0x80:
;py                     MEMV = shape(MEMV, r[2], r[3], s, W)
;py                 else:
;py                     IN[r[1]] = shape(IN[r[1]], r[2], r[3], s, W)
;py             else:
;py                 IN[r[1]] = r[2]
;py         # what the SDM defines this turn
;py         fmask, ccm, cfdef, rmask = 0x801, 0x000F, M, M
;py         OUT = list(IN)
;py         MEM = MEMV
;py         if c['kind'] == 0:
;py             s = c['src']
;py             if isinstance(s, Mem):
;py                 sv = MEMV & mask(bits)
;py             else:
;py                 i, sh, sz = reg(s)
;py                 sv = (IN[i] >> sh) & mask(bits)
;py             lo, hi, fl = mul(c['op'] == 'imul', size, IN[0], sv)
;py             if size == 1:
;py                 OUT[0] = (IN[0] & ~0xFFFF & M) | (hi << 8) | lo
;py             elif size == 2:
;py                 OUT[0] = (IN[0] & ~0xFFFF & M) | lo
;py                 OUT[2] = (IN[2] & ~0xFFFF & M) | hi
;py             else:
;py                 OUT[0] = lo
;py                 OUT[2] = hi
;py             FL1 = (FLIN & ~ARITH) | fl
;py         else:
;py             cnt = c['count'] if c['kind'] == 1 else IN[1] & 0xFF
;py             cm = cnt & (63 if size == 8 else 31)
;py             fmask, ccm = 0x8D5, 0xFFFF
;py             if cm == 0:
;py                 pass
;py             elif size == 2 and cm > 16:
;py                 fmask, ccm, cfdef, rmask = 0, 0, 0, ~0xFFFF & M
;py             elif cm == 1:
;py                 fmask = 0x8C5
;py             else:
;py                 fmask, ccm = 0x0C5, 0x0FFC
;py             dv = MEMV if dst == 0x80 else IN[dst]
;py             r, fl = shiftd(c['op'] == 'shld', size, dv & mask(bits), IN[reg(c['src'])[0]] & mask(bits), cnt)
;py             if fl is None:
;py                 FL1 = FLIN
;py                 if dst != 0x80 and size == 4:
;py                     OUT[dst] = IN[dst] & 0xFFFFFFFF
;py             else:
;py                 FL1 = (FLIN & ~ARITH) | fl
;py                 if dst == 0x80:
;py                     MEM = (MEMV & ~mask(bits) & M) | r
;py                 elif size >= 4:
;py                     OUT[dst] = r
;py                 else:
;py                     OUT[dst] = (IN[dst] & ~mask(bits) & M) | r
;py         ccb = [cond(cc, FL1) for cc in range(16)]
;py         ccmb = [0xFF if (ccm >> cc) & 1 else 0 for cc in range(16)]
;py         cf = FL1 & CF
;py         ADCM, f2 = add_flags(M, 0, cf, W // 8)
;py         ADCV, f3 = add_flags(0x40, 0x40, cf, W // 8)
;py         ESP4, f4 = add_flags(0x7FFFFFF3, 0x10, 0, W // 8)
;py         FL2, FL3, FL4 = 2 | f2, 2 | f3, 2 | f4
;py         # preserved registers are checked by the guest; folded: RAX, RDX,
;py         # the destination register (RAX if none), the memory operand
;py         dc = dst if dst < 16 else 0
;py         for v in (OUT[0], OUT[2], OUT[dc], MEM):
;py             hall = fold(hall, v)
;py         if dst < 16:
;py             OUT[dst] &= rmask
;py         elif dst == 0x80:
;py             MEM &= rmask
;py         for v in (OUT[0], OUT[2], OUT[dc], MEM):
;py             hdef = fold(hdef, v)
;py         vals = [(FL1, fmask)]
;py         nb = W // 8
;py         for k in range(0, 16, nb):
;py             v = sum(ccb[k + j] << (8 * j) for j in range(nb))
;py             m = sum(ccmb[k + j] << (8 * j) for j in range(nb))
;py             vals.append((v, m))
;py         vals += [(ADCM, cfdef), (FL2, cfdef), (ADCV, cfdef), (FL3, cfdef), (ESP4, M), (FL4, M)]
;py         for v, m in vals:
;py             hall = fold(hall, v)
;py             hdef = fold(hdef, v & m)
;py     return dict(recs=recs, dst=dst, hdef=hdef, hall=hall)
;py
;py def emit(cases, W, nregs, first_seed):
;py     lines = []
;py     for n, c in enumerate(cases):
;py         seed = ((first_seed + n + 1) * 0x9E3779B97F4A7C15) & mask(64)
;py         if seed & 0xFFFFFFFF == 0:
;py             seed |= 1
;py         sim = simulate(c, W, nregs, seed & mask(W))
;py         text, note = text_of(c)
;py         name = text + note
;py         mema = 0
;py         obj = c['src'] if c['kind'] == 0 else c['dst']
;py         if isinstance(obj, Mem):
;py             mema = obj.mema
;py         count = c['count'] if c['kind'] == 1 else 0
;py         lines.append('    CASE "%s", %d, %d, %d, 0x%02X, 0x%X, 0x%016X, 0x%0*X, 0x%0*X, {%s}' % (
;py             name, c['kind'], c['size'], count, sim['dst'], mema, seed,
;py             W // 4, sim['hdef'], W // 4, sim['hall'], text))
;py         for r in sim['recs']:
;py             if r[0] == 'rs':
;py                 lines.append('    RSHAPE 0x%02X, %d, %d' % (r[1], r[2], r[3]))
;py             elif r[0] == 's':
;py                 lines.append('    SHAPE 0x%02X, %d, %d' % (r[1], r[2], r[3]))
;py             else:
;py                 lines.append('    FIX %d, 0x%X' % (r[1], r[2]))
;py         lines.append('    CASE_END')
;py     return lines
;py
;py DATA = 0x20000
;py PAIR = 0x22000
;py PM_FS, PM_GS = 0x100, 0xFFFFF000
;py LM_FS, LM_GS = 0x2000, 0xFFFFFFFFFFFF0000
;py RM_FS, RM_GS = 0x4000, 0x4800
;py RMD = 0x4C00
;py
;py def both(size, srcs):
;py     out = []
;py     for s in srcs:
;py         for op in ('mul', 'imul'):
;py             out.append(case_mul(op, size, s))
;py     return out
;py
;py def shd_list(size, items):
;py     out = []
;py     for op, d, s, c in items:
;py         out.append(case_shd(op, size, d, s, c))
;py     return out
;py
;py # ---------------------------------------------------------------- rm16
;py def rm16():
;py     cs = []
;py     cs += both(1, ['al', 'ah',
;py                    Mem('[bx + si]', RMD + 0x10, [('ebx', 0xF000), ('esi', RMD + 0x10 + 0x10000 - 0xF000)],
;py                        ' (BX + SI wraps at 64 KiB)')])
;py     cs += both(2, ['dx', Mem('[fs:di]', RMD + 0x20, [('edi', RMD + 0x20 - RM_FS)], ' (FS base 4000h)')])
;py     cs += both(4, ['ecx', Mem('[gs:edi + 3]', RMD + 0x30, [('edi', RMD + 0x30 - RM_GS - 3)], ' (GS base 4800h)')])
;py     cs += shd_list(4, [('shld', 'eax', 'ebx', 1), ('shrd', 'ecx', 'edx', 13), ('shrd', 'ebp', 'eax', 32),
;py                        ('shld', 'edx', 'esi', 'cl')])
;py     cs += shd_list(2, [('shld', 'ax', 'bx', 17), ('shrd', 'bx', 'si', 'cl')])
;py     cs += shd_list(4, [('shld', Mem('[di]', RMD + 0x40, [('edi', RMD + 0x40)]), 'ecx', 7)])
;py     return cs
;py
;py # ---------------------------------------------------------------- pm32
;py def pm32():
;py     cs = []
;py     cs += both(1, ['al', 'cl', 'ah', 'dh',
;py                    Mem('[fs:ebx]', DATA + 0x18, [('ebx', DATA + 0x18 - PM_FS)], ' (FS base 100h)')])
;py     cs += both(2, ['ax', 'dx', 'si',
;py                    Mem('[edi]', PAIR - 1, [('edi', PAIR - 1)], ' (across a page boundary)')])
;py     cs += both(4, ['eax', 'ecx', 'edx', 'ebp',
;py                    Mem('[ebx + esi * 4 + 8]', DATA + 0x30, [('ebx', DATA + 0x30 - 8 - 4 * 0x11), ('esi', 0x11)]),
;py                    Mem('[edi]', PAIR - 2, [('edi', PAIR - 2)], ' (across a page boundary)'),
;py                    Mem('[gs:edx]', DATA + 0x38, [('edx', DATA + 0x38 + 0x1000)],
;py                        ' (GS base FFFFF000h: the linear address wraps)'),
;py                    Mem('[fs:eax]', DATA + 0x40, [('eax', DATA + 0x40 - PM_FS)], ' (FS base 100h, EAX the address)')])
;py     cs += shd_list(4, [
;py         ('shld', 'ebx', 'ecx', 1), ('shrd', 'edx', 'eax', 1),
;py         ('shld', 'eax', 'edx', 2), ('shrd', 'edi', 'esi', 7),
;py         ('shld', 'ecx', 'esi', 17), ('shrd', 'ebp', 'ecx', 31),
;py         ('shld', 'eax', 'eax', 5), ('shrd', 'ebx', 'ebx', 27),
;py         ('shld', 'ebx', 'ecx', 32), ('shrd', 'eax', 'edi', 33),
;py         ('shld', 'ecx', 'edx', 63), ('shrd', 'edi', 'ecx', 255),
;py     ])
;py     cs += shd_list(2, [
;py         ('shld', 'ax', 'bx', 1), ('shld', 'si', 'dx', 16),
;py         ('shrd', 'ax', 'dx', 31), ('shrd', 'cx', 'bx', 0),
;py     ])
;py     cs += shd_list(4, [
;py         ('shrd', Mem('[edi]', PAIR - 2, [('edi', PAIR - 2)], ' (across a page boundary)'), 'eax', 31),
;py         ('shld', Mem('[edi]', DATA + 0x68, [('edi', DATA + 0x68)]), 'ebx', 'cl'),
;py     ])
;py     cs += shd_list(2, [
;py         ('shld', Mem('[fs:ebx]', DATA + 0x60, [('ebx', DATA + 0x60 - PM_FS)], ' (FS base 100h)'), 'dx', 12),
;py     ])
;py     cs += shd_list(4, [('shld', 'ebx', 'edx', 'cl'), ('shrd', 'ecx', 'eax', 'cl')])
;py     cs += shd_list(2, [('shrd', 'dx', 'si', 'cl')])
;py     return cs
;py
;py # ---------------------------------------------------------------- lm64
;py def lm64():
;py     cs = []
;py     cs += both(1, ['al', 'ah', 'sil', 'dil', 'bpl', 'r8b', 'r15b',
;py                    Mem('[fs:rbx]', DATA + 0x18, [('rbx', DATA + 0x18 - LM_FS)], ' (FS base 2000h)')])
;py     cs += both(2, ['ax', 'dx', 'r9w',
;py                    Mem('[rdi]', PAIR - 1, [('rdi', PAIR - 1)], ' (across a page boundary)'),
;py                    Mem('[gs:rsi]', DATA + 0x20, [('rsi', (DATA + 0x20 - LM_GS) & mask(64))],
;py                        ' (GS base FFFFFFFFFFFF0000h: the address wraps)')])
;py     cs += both(4, ['eax', 'edx', 'r8d', 'r13d',
;py                    Mem('[r12 + r13 * 2 + 0x10]', DATA + 0x30, [('r12', DATA + 0x30 - 0x10 - 2 * 0x123), ('r13', 0x123)]),
;py                    Mem('[rsi]', PAIR - 2, [('rsi', PAIR - 2)], ' (across a page boundary)'),
;py                    Mem('[fs:rcx]', DATA + 0x38, [('rcx', DATA + 0x38 - LM_FS)], ' (FS base 2000h)')])
;py     cs += both(8, ['rax', 'rcx', 'rdx', 'r15',
;py                    Mem('[rdi]', DATA + 0x40, [('rdi', DATA + 0x40)]),
;py                    Mem('[r9]', PAIR - 4, [('r9', PAIR - 4)], ' (across a page boundary)'),
;py                    Mem('[gs:r10 + 8]', DATA + 0x48, [('r10', (DATA + 0x48 - 8 - LM_GS) & mask(64))],
;py                        ' (GS base FFFFFFFFFFFF0000h)'),
;py                    Mem('[0x%X]' % (DATA + 0x50), DATA + 0x50, [], ' (a 32-bit absolute address)'),
;py                    Mem('[fs:rax]', DATA + 0x58, [('rax', DATA + 0x58 - LM_FS)], ' (FS base 2000h, RAX the address)')])
;py     cs += shd_list(4, [
;py         ('shld', 'ebx', 'ecx', 1), ('shrd', 'r9d', 'r14d', 1),
;py         ('shld', 'r12d', 'eax', 8), ('shrd', 'r13d', 'ebp', 16),
;py         ('shld', 'ecx', 'r11d', 17), ('shrd', 'ebp', 'ecx', 31),
;py         ('shld', 'r10d', 'r10d', 5), ('shrd', 'r14d', 'esi', 32),
;py         ('shld', 'edx', 'esi', 33), ('shrd', 'esi', 'eax', 255),
;py     ])
;py     cs += shd_list(8, [
;py         ('shld', 'rbx', 'rcx', 1), ('shrd', 'rbx', 'rcx', 1),
;py         ('shld', 'rax', 'rdx', 2), ('shrd', 'rdx', 'r15', 3),
;py         ('shld', 'rcx', 'r12', 32), ('shrd', 'rax', 'r10', 33),
;py         ('shld', 'r15', 'rdx', 48), ('shrd', 'rbx', 'r14', 62),
;py         ('shld', 'rbp', 'rsi', 63), ('shrd', 'r10', 'r10', 51),
;py         ('shld', 'rdi', 'r11', 64), ('shrd', 'r12', 'r13', 65),
;py         ('shld', 'rcx', 'rbx', 127), ('shrd', 'r9', 'rdx', 200),
;py     ])
;py     cs += shd_list(2, [('shld', 'r11w', 'dx', 17), ('shrd', 'r8w', 'si', 1), ('shld', 'dx', 'ax', 0)])
;py     cs += shd_list(8, [
;py         ('shrd', Mem('[r9]', PAIR - 4, [('r9', PAIR - 4)], ' (across a page boundary)'), 'rax', 63),
;py         ('shrd', Mem('[fs:rbx]', DATA + 0x68, [('rbx', DATA + 0x68 - LM_FS)], ' (FS base 2000h)'), 'rsi', 'cl'),
;py     ])
;py     cs += shd_list(4, [('shld', Mem('[rdi]', DATA + 0x70, [('rdi', DATA + 0x70)]), 'r8d', 33)])
;py     cs += shd_list(8, [('shld', 'rbx', 'rdx', 'cl'), ('shrd', 'r12', 'rdi', 'cl')])
;py     cs += shd_list(4, [('shrd', 'r14d', 'edi', 'cl')])
;py     cs += shd_list(2, [('shld', 'r10w', 'bx', 'cl')])
;py     return cs
;py
;py MODES = [('rm16', 32, 8, rm16, 1000), ('pm32', 32, 8, pm32, 2000), ('lm64', 64, 16, lm64, 3000)]
;py
;py def main(path):
;py     src = open(path).read()
;py     for mode, W, nregs, fn, s0 in MODES:
;py         lines = emit(fn(), W, nregs, s0)
;py         begin = '; >>> cases %s\n' % mode
;py         a = src.index(begin) + len(begin)
;py         b = src.index('; <<< cases %s\n' % mode)
;py         src = src[:a] + '\n'.join(lines) + '\n' + src[b:]
;py     open(path, 'w').write(src)
;py
;py main(sys.argv[1])
