; jit_segs.asm — memory operands through segments that are not flat, inside
; hot loops the recompiler translates. For such a segment its inline probe
; (src/jit/native.c emit_probe) runs the interpreter's fast test (mmu.h
; mmu_fast_host: present, writable, expand-up data; offset + size - 1 within
; the limit), adds the 32-bit base (wrapping at 4 GiB) and probes the TLB;
; anything else goes to a slow path that runs the full checks with the
; original offset. In 64-bit code the FS/GS base is added, with no limit.
; Every loop runs 100 turns (the fault loops 80), so its blocks are
; translated at the default threshold (50) as well as at the [jit] row's 1.
;
;  a. bases: loads (byte, word, dword, qword in 64-bit code; MOVZX/MOVSX;
;     an ALU source), stores (the bytes next to them kept), read-modify-write
;     (ADD SUB AND OR XOR INC DEC, with and without LOCK: value and flags),
;     CMP/TEST with memory (flags), accesses crossing a page (the TLB
;     probe's slow path) and address-size wrap ([bx+di+disp] past FFFFh; in
;     64-bit code a 32-bit address past 4 GiB), each compared with the same
;     bytes read through a flat segment (base 0, 4 GiB limit). Runs:
;       real mode: DS ES FS with real-mode bases (GS: 4 GiB limit kept from
;         protected mode, the flat reference);
;       16-bit protected mode: DS ES FS 16-bit data segments with bases;
;       32-bit protected mode, paging off and on: DS ES FS GS all with bases
;         (FS's base + offset wraps past 4 GiB); DS/ES flat, FS/GS with bases;
;         expand-down ES/FS (valid offsets above the limit: the slow path);
;         loads, CMP/TEST and page-crossing loads through a read-only FS;
;       64-bit mode: FS and GS bases from WRMSR FS_BASE/GS_BASE, changed
;         every 8 turns; GS switched by SWAPGS (KERNEL_GS_BASE) every turn.
;  b. faults in the middle of a hot block (32-bit and 16-bit protected
;     mode): the accesses ending exactly at the limit (dword load, word
;     store, byte ADD) pass, then one that ends a byte further faults:
;     #GP(0) through DS/ES/FS/GS (load, store, ADD, LOCK OR, MOVZX, CMP,
;     INC), #SS(0) through SS; an expand-down segment at and below its
;     limit and past its upper bound FFFFh; a store, INC and LOCK XOR to a
;     read-only segment. Per turn: vector and error code, one exception, the
;     pushed EIP is the faulting instruction's, the registers written before
;     it hold their new values and its destination (register or memory) is
;     unchanged. 64-bit: base + offset not canonical (a qword through FS
;     that ends past 7FFF_FFFF_FFFFh, a LOCK INC through GS after SWAPGS)
;     -> #GP(0), the same per-turn checks.
;  c. FS reloaded every fourth turn from four descriptors (other bases, a
;     7FFh limit, read-only, expand-down) under one translated body: each
;     base is seen, and faults come exactly where limit and type demand.
;  d. compatibility mode: FS base + offset wraps past 4 GiB while the TLB
;     holds the page 4 GiB above (64-bit code touches it each turn), so a
;     base added without the wrap would hit it: load, store, ADD.
; Check lines start with the mode: "real", "pm16", "pm32", "pm32 paging",
; "lm64", "compat". Intel SDM vol. 3A 3.4.5 (segment descriptors, expand-down),
; 5.3 (limit checking), 5.4 (type checking), 6.15 (#GP, #SS), 3.2.4 and
; 5.3.1 (canonical addresses in 64-bit mode), vol. 2 SWAPGS.
;
; qemu-differs: QEMU's TCG does not check data segment limits or types (SDM vol. 3A 5.3, 5.4), so the #GP/#SS scenarios of 32-bit and 16-bit protected mode run only where a probe load beyond a limit faults (rawbox, real CPUs); under QEMU a note says so, those check lines are left out and the FS-reload loop uses only the two descriptors that cannot fault
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "lm.inc"

%define TURNS  100              ; turns of each hot loop
%define FTURNS 80               ; turns of each fault loop

; ---- variables (below lm.inc's GDT; SS-relative: SS is flat throughout) ----
%define TURN     0x0700
%define ERRS     0x0704         ; error bits of the running loop
%define FIRST    0x0708         ; turn of the first error (-1: none)
%define MODE     0x070C         ; word: the mode's name (a ROM offset)
%define NOCHK    0x0710         ; 1: a load beyond a limit did not fault (QEMU)
%define FSR_IDX  0x0714
%define FSR_OLD  0x0718
%define X_VEC    0x0720         ; the 32-bit handler's record
%define X_ERR    0x0724
%define X_EIP    0x0728
%define X_CS     0x072C
%define X_CNT    0x0730
%define X_RESUME 0x0734         ; where the handler resumes (0: fatal); one shot
%define X_SAVESP 0x0738
%define X_REGS   0x0740         ; EAX ECX EDX EBX ESP EBP ESI EDI at the fault
%define Q_RSP    0x0760

; ---- tables ----
%define PD32  0x14000           ; 32-bit paging: PD, PTs for 0-8 MiB
%define PT32  0x15000
%define PDPT_H 0x19000          ; long mode: the page at 7FFF_FFFF_F000h
%define PD_H   0x1A000
%define PT_H   0x1B000
%define CANON_PHYS 0x8A0000     ; ... is this physical page
%define PD_X   0x1C000          ; long mode: 4 GiB + 2 MiB (compatibility mode
%define ALIAS_PHYS 0xA00000     ; test) is this 2 MiB page

; ---- descriptors after lm.inc's ----
%define X_CODE16 (GDT_FREE + 0x00)
%define X_DATA16 (GDT_FREE + 0x08)
%define X_DS     (GDT_FREE + 0x10)
%define X_ES     (GDT_FREE + 0x18)
%define X_FS     (GDT_FREE + 0x20)
%define X_GS     (GDT_FREE + 0x28)
%define X_SMALL  (GDT_FREE + 0x30)
%define X_EDOWN  (GDT_FREE + 0x38)
%define X_RO     (GDT_FREE + 0x40)
%define X_SSMALL (GDT_FREE + 0x48)
%define X_V0     (GDT_FREE + 0x50)
%define X_V1     (GDT_FREE + 0x58)
%define X_V2     (GDT_FREE + 0x60)
%define X_V3     (GDT_FREE + 0x68)
%define X_P16A   (GDT_FREE + 0x70)
%define X_P16B   (GDT_FREE + 0x78)
%define X_P16C   (GDT_FREE + 0x80)
%define X_SS16   (GDT_FREE + 0x88)

; 64-bit bases (each pair alike modulo 4 KiB: the page-crossing offsets
; are computed from the low bits)
%define FSB0 0x623000
%define FSB1 0x634000
%define GSB0 0x645005
%define GSB1 0x656005
%define SWB0 0x667009
%define SWB1 0x678009
%define CANON_BASE 0x00007FFFFFFFF000

; ======================================================================
; macros: error bits and check lines (16-, 32- and 64-bit code)
; ======================================================================

; ZF1 bit: unless ZF = 1, set `bit` in ERRS (and note the turn).
%macro ZF1 1
    je %%ok
%if __BITS__ == 64
    push qword %1
    call fail64
%elif __BITS__ == 32
    push dword %1
    call fail32
%else
    push word %1
    call fail16
%endif
%%ok:
%endmacro

%macro EQ 3                     ; a, b, bit
    cmp %1, %2
    ZF1 %3
%endmacro

; ASPECT bits, "name": one check line, failed when any of `bits` is set.
%macro ASPECT 2
    jmp %%a
%%n: db %2, 0
%%a:
%if __BITS__ == 64
    mov eax, [ERRS]
    and eax, %1
    lea rsi, [rel %%n]
    call rep64
%elif __BITS__ == 32
    mov eax, [ss:ERRS]
    and eax, %1
    mov esi, %%n
    call rep32
%else
    mov eax, [ss:ERRS]
    and eax, %1
    mov si, %%n
    call rep16
%endif
%endmacro

%macro ASPECTS 1                ; the check lines of a BODY_ALL loop
    ASPECT 1, {%1, ": loads (MOV, MOVZX, MOVSX, an ALU source)"}
    ASPECT 2, {%1, ": stores (the bytes next to them kept)"}
    ASPECT 4, {%1, ": read-modify-write, LOCK too (value and flags)"}
    ASPECT 8, {%1, ": CMP/TEST with memory (flags)"}
    ASPECT 16, {%1, ": accesses crossing a page (TLB slow path)"}
    ASPECT 32, {%1, ": address-size wrap"}
%endmacro

; The flags: FL_SAVE keeps them in EBP/RBP, FL_SAME bit compares the
; arithmetic ones now with those.
%macro FL_SAVE 0
%if __BITS__ == 64
    pushfq
    pop rbp
%else
    pushfd
    pop ebp
%endif
%endmacro

%macro FL_SAME 1
%if __BITS__ == 64
    pushfq
    xor rbp, [rsp]
    add rsp, 8
%else
    pushfd
    xor ebp, [esp]
    add esp, 4
%endif
    and ebp, 0x8D5
    EQ ebp, 0, %1
%endmacro

; ======================================================================
; macros: one turn of a hot loop
; ======================================================================
; Four slots name where the accesses go: segment register SGx, a
; displacement OFx added to the turn's offset, and LNx = segment base + OFx
; (modulo 4 GiB), so that segment offset EBX + OFx + d is flat address
; EBX + LNx + d, which the reference reads as [RS RB + LNx + d]; PGx is
; LNx's low 12 bits (for page-crossing offsets).
; Registers: ESI turn, EBX (OF) the turn's offset, EDX a value, ECX a
; source; EAX, EDI, EBP scratch.
%macro SLOTS 12
    %define SGa %1
    %define OFa %2
    %define LNa %3
    %define PGa ((%3) & 0xFFF)
    %define SGb %4
    %define OFb %5
    %define LNb %6
    %define PGb ((%6) & 0xFFF)
    %define SGc %7
    %define OFc %8
    %define LNc %9
    %define PGc ((%9) & 0xFFF)
    %define SGd %10
    %define OFd %11
    %define LNd %12
    %define PGd ((%12) & 0xFFF)
%endmacro

%macro SLOTS64 16               ; LNx a register expression, PGx given
    %define SGa %1
    %define OFa %2
    %define LNa %3
    %define PGa %4
    %define SGb %5
    %define OFb %6
    %define LNb %7
    %define PGb %8
    %define SGc %9
    %define OFc %10
    %define LNc %11
    %define PGc %12
    %define SGd %13
    %define OFd %14
    %define LNd %15
    %define PGd %16
%endmacro

; A page-crossing displacement: with X page-aligned, flat X + PGx + PX(PGx)
; is 3 bytes before a page end, so a dword there crosses it.
%define PX(p) ((0xFFD - (p)) & 0xFFF)

; VS: the segment of the loop variables (SS; none in 64-bit code).
%define VS ss:

; HOT_BEGIN [hook]: start of the turn loop (HOT_OFF, HOT_STRIDE); the hook
; runs first in each turn. TOUCH: each turn writes (adds 0 to) a byte at
; each slot's offset taken as a flat address, so that an access that lost
; its base would hit the TLB there and read or write the wrong bytes
; instead of being put right by the slow path. For the same reason no
; base is a multiple of 1 MiB (the TLB has 256 entries indexed by the page
; number), and the slots' pages and aliases have distinct TLB indices.
%macro HOT_BEGIN 0-1
    %push hot
    mov dword [VS ERRS], 0
    mov dword [VS FIRST], -1
    xor esi, esi
%$turn:
    mov [VS TURN], esi
    %1
    imul ebx, esi, HOT_STRIDE
    add ebx, HOT_OFF
    imul edx, esi, 0x61C88647
    add edx, 0x01234567
    mov ecx, edx
    rol ecx, 13
    add byte [RS RB + OFa], 0   ; the offsets alone: in the TLB (see TOUCH)
    add byte [RS RB + OFb], 0
    add byte [RS RB + OFc], 0
    add byte [RS RB + OFd], 0
%endmacro

%macro HOT_END 0
    inc esi
    cmp esi, TURNS
    jb %$turn
    %pop
%endmacro

%macro LOADS 1
    mov eax, [SGa:OF + OFa]
    EQ eax, [RS RB + LNa], %1
    mov ax, [SGb:OF + OFb + 1]
    EQ ax, [RS RB + LNb + 1], %1
    movzx eax, word [SGc:OF + OFc + 2]
    movzx edi, word [RS RB + LNc + 2]
    EQ eax, edi, %1
    movsx eax, byte [SGd:OF + OFd + 3]
    movsx edi, byte [RS RB + LNd + 3]
    EQ eax, edi, %1
    movsx eax, word [SGa:OF + OFa + 5]
    movsx edi, word [RS RB + LNa + 5]
    EQ eax, edi, %1
    movzx eax, byte [SGb:OF + OFb + 7]
    movzx edi, byte [RS RB + LNb + 7]
    EQ eax, edi, %1
    mov al, [SGc:OF + OFc + 9]
    EQ al, [RS RB + LNc + 9], %1
    mov eax, esi
    add eax, [SGd:OF + OFd + 0xA]
    mov edi, esi
    add edi, [RS RB + LNd + 0xA]
    EQ eax, edi, %1
%if __BITS__ == 64
    mov rax, [SGa:OF + OFa + 0x76]
    EQ rax, [RS RB + LNa + 0x76], %1
    movsxd rax, dword [SGb:OF + OFb + 0x7B]
    movsxd rdi, dword [RS RB + LNb + 0x7B]
    EQ rax, rdi, %1
%endif
%endmacro

%macro STORES 1
    mov [SGd:OF + OFd + 0x10], edx
    EQ edx, [RS RB + LNd + 0x10], %1
    mov edi, [RS RB + LNa + 0x14]       ; a word store into the middle
    mov [SGa:OF + OFa + 0x15], dx
    movzx eax, dx
    shl eax, 8
    and edi, 0xFF0000FF
    or edi, eax
    EQ edi, [RS RB + LNa + 0x14], %1
    mov edi, [RS RB + LNb + 0x18]       ; a byte store into the middle
    mov [SGb:OF + OFb + 0x19], dl
    movzx eax, dl
    shl eax, 8
    and edi, 0xFFFF00FF
    or edi, eax
    EQ edi, [RS RB + LNb + 0x18], %1
    mov dword [SGc:OF + OFc + 0x1C], 0x5EC0DE00
    EQ dword [RS RB + LNc + 0x1C], 0x5EC0DE00, %1
    mov byte [SGd:OF + OFd + 0x20], 0xA5
    EQ byte [RS RB + LNd + 0x20], 0xA5, %1
    mov word [SGa:OF + OFa + 0x22], 0x1234
    EQ word [RS RB + LNa + 0x22], 0x1234, %1
%if __BITS__ == 64
    mov rax, rdx
    shl rax, 29
    xor rax, rcx
    mov [SGb:OF + OFb + 0x24], rax
    EQ rax, [RS RB + LNb + 0x24], %1
%endif
%endmacro

; RMW register form, memory form, memory operand, its flat reference,
; scratch register of the operand's size, source, bit: the memory form
; must give the register form's value and arithmetic flags.
%macro RMW 7
    mov %5, %4
    %1 %5, %6
    FL_SAVE
    %2 %3, %6
    FL_SAME %7
    EQ %5, %4, %7
%endmacro

%macro RMWU 6                   ; the same for INC/DEC (CF kept)
    mov %5, %4
    %1 %5
    FL_SAVE
    %2 %3
    FL_SAME %6
    EQ %5, %4, %6
%endmacro

%macro RMWS 1
    RMW add, add, dword [SGa:OF + OFa + 0x30], dword [RS RB + LNa + 0x30], eax, ecx, %1
    RMW sub, sub, word [SGb:OF + OFb + 0x34], word [RS RB + LNb + 0x34], ax, cx, %1
    RMW and, and, dword [SGc:OF + OFc + 0x36], dword [RS RB + LNc + 0x36], eax, ecx, %1
    RMW or, or, byte [SGd:OF + OFd + 0x3A], byte [RS RB + LNd + 0x3A], al, cl, %1
    RMW xor, xor, dword [SGa:OF + OFa + 0x3B], dword [RS RB + LNa + 0x3B], eax, 0x5A5AA5A5, %1
    RMW and, and, word [SGb:OF + OFb + 0x3F], word [RS RB + LNb + 0x3F], ax, -8, %1
    RMW add, lock add, dword [SGc:OF + OFc + 0x41], dword [RS RB + LNc + 0x41], eax, ecx, %1
    RMW xor, lock xor, word [SGd:OF + OFd + 0x45], word [RS RB + LNd + 0x45], ax, 0x1234, %1
    RMW or, lock or, byte [SGa:OF + OFa + 0x47], byte [RS RB + LNa + 0x47], al, 0x81, %1
    RMW sub, lock sub, dword [SGb:OF + OFb + 0x48], dword [RS RB + LNb + 0x48], eax, edx, %1
    RMWU inc, inc, dword [SGc:OF + OFc + 0x4C], dword [RS RB + LNc + 0x4C], eax, %1
    RMWU dec, dec, word [SGd:OF + OFd + 0x50], word [RS RB + LNd + 0x50], ax, %1
    RMWU inc, lock inc, byte [SGa:OF + OFa + 0x52], byte [RS RB + LNa + 0x52], al, %1
    RMWU dec, lock dec, dword [SGb:OF + OFb + 0x53], dword [RS RB + LNb + 0x53], eax, %1
    RMWU inc, inc, word [SGc:OF + OFc + 0x57], word [RS RB + LNc + 0x57], ax, %1
    RMWU dec, dec, byte [SGd:OF + OFd + 0x59], byte [RS RB + LNd + 0x59], al, %1
%if __BITS__ == 64
    RMW add, lock add, qword [SGa:OF + OFa + 0x5A], qword [RS RB + LNa + 0x5A], rax, rcx, %1
    RMWU dec, dec, qword [SGb:OF + OFb + 0x62], qword [RS RB + LNb + 0x62], rax, %1
%endif
%endmacro

; CMPF {compare through the segment}, {the same through the reference}, bit
%macro CMPF 3
    %1
    FL_SAVE
    %2
    FL_SAME %3
%endmacro

%macro CMPS 1
    CMPF {cmp [SGa:OF + OFa + 0x6A], edx}, {cmp [RS RB + LNa + 0x6A], edx}, %1
    CMPF {cmp cx, [SGb:OF + OFb + 0x6B]}, {cmp cx, [RS RB + LNb + 0x6B]}, %1
    CMPF {test [SGc:OF + OFc + 0x6C], ecx}, {test [RS RB + LNc + 0x6C], ecx}, %1
    CMPF {test byte [SGd:OF + OFd + 0x6E], 0x5A}, {test byte [RS RB + LNd + 0x6E], 0x5A}, %1
    CMPF {cmp dword [SGa:OF + OFa + 0x6F], 0x7F}, {cmp dword [RS RB + LNa + 0x6F], 0x7F}, %1
    CMPF {cmp [SGb:OF + OFb + 0x70], dl}, {cmp [RS RB + LNb + 0x70], dl}, %1
    mov eax, [RS RB + LNc + 0x71]       ; equal to what is there: ZF = 1
    cmp [SGc:OF + OFc + 0x71], eax
    ZF1 %1
%endmacro

; Page-crossing accesses: EBX = CROSS0 + (turn & 3) * 1000h.
%macro CROSS_AT 0
    mov ebx, esi
    and ebx, 3
    shl ebx, 12
    add ebx, CROSS0
%endmacro

%macro CROSS_LD 1
    CROSS_AT
    mov eax, [SGa:OF + OFa + PX(PGa)]
    EQ eax, [RS RB + LNa + PX(PGa)], %1
    movzx eax, word [SGb:OF + OFb + PX(PGb) + 2]
    movzx edi, word [RS RB + LNb + PX(PGb) + 2]
    EQ eax, edi, %1
    mov eax, esi
    sub eax, [SGc:OF + OFc + PX(PGc) + 1]
    mov edi, esi
    sub edi, [RS RB + LNc + PX(PGc) + 1]
    EQ eax, edi, %1
%endmacro

%macro CROSS_WR 1
    CROSS_AT
    mov [SGd:OF + OFd + PX(PGd)], edx
    EQ edx, [RS RB + LNd + PX(PGd)], %1
    RMW add, add, word [SGa:OF + OFa + PX(PGa) + 2], word [RS RB + LNa + PX(PGa) + 2], ax, cx, %1
    RMWU inc, lock inc, dword [SGb:OF + OFb + PX(PGb) + 1], dword [RS RB + LNb + PX(PGb) + 1], eax, %1
%endmacro

; WRAP16 segment, base, bit: [bx+di+disp] past FFFFh wraps to A000h + 4 * turn.
%macro WRAP16 3
    lea edi, [esi * 4]
    add byte [RS edi + 0xA000], 0       ; TOUCH
    mov ebx, 0xFFC0
    mov eax, [%1:bx + di + 0xA040]
    EQ eax, [RS edi + %2 + 0xA000], %3
    mov [%1:bx + di + 0xA440], edx
    EQ edx, [RS edi + %2 + 0xA400], %3
    RMW add, add, dword [%1:bx + di + 0xA840], dword [RS edi + %2 + 0xA800], eax, ecx, %3
    RMWU dec, lock dec, word [%1:bx + di + 0xAC40], word [RS edi + %2 + 0xAC00], ax, %3
%endmacro

; WRAP32 segment, base register, bit (64-bit code): a 32-bit address past
; 4 GiB wraps to 200000h + 4 * turn before the base is added.
%macro WRAP32 3
    mov ebx, esi
    lea ebx, [ebx * 4 - 0x100]
    lea rdi, [rsi * 4]
    add byte [rdi + 0x200000], 0        ; TOUCH
    mov eax, [%1:ebx + 0x200100]
    EQ eax, [%2 + rdi + 0x200000], %3
    mov [%1:ebx + 0x200500], edx
    EQ edx, [%2 + rdi + 0x200400], %3
    RMW add, lock add, dword [%1:ebx + 0x200900], dword [%2 + rdi + 0x200800], eax, ecx, %3
%endmacro

; BODY_ALL wrap segment, its base: everything, bits 1 to 32 (see ASPECTS).
%macro BODY_ALL 2
    LOADS 1
    STORES 2
    RMWS 4
    CMPS 8
    CROSS_LD 16
    CROSS_WR 16
%if __BITS__ == 64
    WRAP32 %1, %2, 32
%else
    WRAP16 %1, %2, 32
%endif
%endmacro

; ======================================================================
; macros: fault loops (16- and 32-bit protected mode)
; ======================================================================
; FAULT vector, {setup}, {ok part}, {faulting instruction}, {restore},
;       {memory check: ZF = 1}, ESP in the block, "name"
; Each turn: setup (ESI = turn), then a block that writes EAX ECX EDX EDI
; EBP, runs the ok part and the faulting instruction; the handler records
; the registers and resumes at %%resume. Error bits: 1 vector, error code
; or count; 2 pushed EIP/CS; 4 registers (EDX: the faulting instruction's
; destination, unchanged); 8 memory and EBP (the ok part's load).
%macro FAULT 8
    mov dword [ss:ERRS], 0
    mov dword [ss:FIRST], -1
    mov dword [ss:TURN], 0
    mov [ss:X_SAVESP], esp
%%turn:
    mov dword [ss:X_VEC], -1
    mov dword [ss:X_ERR], -1
    mov dword [ss:X_CNT], 0
    mov dword [ss:X_RESUME], %%resume
    mov esi, [ss:TURN]
    %2
    mov esp, %7
    jmp %%top
    align 128                   ; the block up to the fault within a code page
%%top:
    lea eax, [esi * 8 + 0x11]
    mov edi, esi
    not edi
    mov ecx, 0xC0C0C0C0
    add ecx, esi
    mov edx, 0xD0D0D0D0
    mov ebp, 0xE0E0E0E0
    %3
%%fault:
    %4
    mov eax, 0xBAD                      ; none of this may run
    mov ecx, eax
    mov edx, eax
    ud2
%%resume:
    %5
    mov esp, [ss:X_SAVESP]
    mov esi, [ss:TURN]
    cmp dword [ss:X_VEC], %1
    jne %%e1
    cmp dword [ss:X_ERR], 0
    jne %%e1
    cmp dword [ss:X_CNT], 1
%%e1:
    ZF1 1
    cmp dword [ss:X_EIP], %%fault
    jne %%e2
    mov ax, cs
    cmp [ss:X_CS], ax
%%e2:
    ZF1 2
    lea eax, [esi * 8 + 0x11]
    cmp [ss:X_REGS + 0], eax
    jne %%e4
    lea eax, [esi + 0xC0C0C0C0]
    cmp [ss:X_REGS + 4], eax
    jne %%e4
    cmp dword [ss:X_REGS + 8], 0xD0D0D0D0
    jne %%e4
    cmp dword [ss:X_REGS + 16], %7
    jne %%e4
    cmp [ss:X_REGS + 24], esi
    jne %%e4
    mov eax, esi
    not eax
    cmp [ss:X_REGS + 28], eax
%%e4:
    ZF1 4
    %6
    ZF1 8
    inc dword [ss:TURN]
    cmp dword [ss:TURN], FTURNS
    jb %%turn
    ASPECT -1, %8
%endmacro

; V, the turn's value at the edge: EAX = turn * 01010101h + 5A3C0F00h.
%macro VAL 0
    imul eax, esi, 0x01010101
    add eax, 0x5A3C0F00
%endmacro

; Top edge (expand-up, or expand-down's upper bound): V at offset limit-3,
; 0BADF00Dh past the limit.
%macro SET_TOP 3                ; segment register, selector, flat address of limit-3
    VAL
    mov edi, %3
    mov [ss:edi], eax
    mov dword [ss:edi + 4], 0x0BADF00D
    mov ax, %2
    mov %1, ax
%endmacro

%macro OK_TOP 2                 ; segment register, limit
    mov ebp, [%1:%2 - 3]        ; the dword ending at the limit
    mov [%1:%2 - 1], cx         ; the word ending there
    add byte [%1:%2], al        ; the last byte
%endmacro

%macro MC_TOP 1                 ; flat address of limit-3
    VAL
    cmp [ss:X_REGS + 20], eax
    jne %%r
    lea edx, [esi * 8 + 0x11]
    lea ecx, [esi + 0xC0C0C0C0]
    and eax, 0xFFFF
    movzx ebx, cl
    shl ebx, 16
    or eax, ebx
    movzx ebx, ch
    add bl, dl
    shl ebx, 24
    or eax, ebx
    mov edi, %1
    cmp [ss:edi], eax
    jne %%r
    cmp dword [ss:edi + 4], 0x0BADF00D
%%r:
%endmacro

; Bottom edge of an expand-down segment: V at the lowest valid offset,
; 0BADF00Dh in the dword below it.
%macro SET_BOT 3                ; segment register, selector, flat address of limit+1
    VAL
    mov edi, %3
    mov [ss:edi], eax
    mov dword [ss:edi - 4], 0x0BADF00D
    mov ax, %2
    mov %1, ax
%endmacro

%macro OK_BOT 2                 ; segment register, lowest valid offset
    mov ebp, [%1:%2]
    mov [%1:%2 + 2], cx
    add byte [%1:%2], al
%endmacro

%macro MC_BOT 1
    VAL
    cmp [ss:X_REGS + 20], eax
    jne %%r
    lea edx, [esi * 8 + 0x11]
    lea ecx, [esi + 0xC0C0C0C0]
    mov ebx, eax
    add bl, dl
    and eax, 0xFF00
    movzx ebx, bl
    or eax, ebx
    shl ecx, 16
    or eax, ecx
    mov edi, %1
    cmp [ss:edi], eax
    jne %%r
    cmp dword [ss:edi - 4], 0x0BADF00D
%%r:
%endmacro

; Read-only segment: V at offset limit-3, ~V at offset 100h.
%macro SET_RO 4                 ; segment register, selector, flat limit-3, flat 100h
    VAL
    mov edi, %3
    mov [ss:edi], eax
    not eax
    mov edi, %4
    mov [ss:edi], eax
    mov ax, %2
    mov %1, ax
%endmacro

%macro OK_RO 2                  ; segment register, limit: reads only
    mov ebp, [%1:%2 - 3]
    cmp [%1:0x100], eax
    test byte [%1:%2], al
%endmacro

%macro MC_RO 2
    VAL
    cmp [ss:X_REGS + 20], eax
    jne %%r
    mov edi, %1
    cmp [ss:edi], eax
    jne %%r
    not eax
    mov edi, %2
    cmp [ss:edi], eax
%%r:
%endmacro

%macro NOTE32 1                 ; print a line (32-bit code)
    jmp %%a
%%s: db %1, 0
%%a:
    push esi
    mov esi, %%s
    call lm_puts32
    pop esi
%endmacro

%macro RESTORE_SS 0
    mov ax, SEL_DATA
    mov ss, ax
%endmacro

; ======================================================================
; real mode: set up, then 32-bit protected mode
; ======================================================================
start:
    ROM_INIT
    PUTS `jit_segs: memory operands through segments with bases, limits and types in hot loops\n`
    mov eax, 0x80000000         ; the 64-bit part needs long mode
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
    mov esp, 0x7C00
    xor di, di                  ; IVT 0-31: unexpected
    mov cx, 32
.ivt:
    mov word [di], rm_unexp
    mov word [di + 2], 0xF000
    add di, 4
    loop .ivt
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
    ; every region the loops reach holds a pattern of its addresses
    mov edi, 0x50000
    mov ecx, (0x90000 - 0x50000) / 4
    call fill32
    mov edi, 0x100000
    mov ecx, (0x5D0000 - 0x100000) / 4
    call fill32
    mov edi, 0x800000
    mov ecx, (CANON_PHYS + 0x1000 - 0x800000) / 4
    call fill32
    ; does a load beyond a data segment limit fault? (QEMU's TCG: no)
    mov ax, X_SMALL
    mov fs, ax
    mov dword [X_VEC], -1
    mov dword [X_RESUME], .probed
    mov eax, [fs:0x1000]
.probed:
    mov dword [X_RESUME], 0
    mov ax, SEL_DATA
    mov fs, ax
    xor eax, eax
    cmp dword [X_VEC], 13
    setne al
    mov [NOCHK], eax
    test eax, eax
    jz .checked
    NOTE32 `note: a load beyond a data segment limit did not fault (QEMU's TCG does not check data segment limits or types): the #GP/#SS scenarios of 16- and 32-bit protected mode are left out\n`
.checked:

    mov word [MODE], str_pm32
    call t32_all

    ; 32-bit paging: 0-8 MiB identity mapped with 4 KiB pages
    mov edi, PD32
    xor eax, eax
    mov ecx, 3 * 1024
    rep stosd
    mov dword [PD32], PT32 | 3
    mov dword [PD32 + 4], (PT32 + 0x1000) | 3
    mov edi, PT32
    mov eax, 3
.pt:
    stosd
    add eax, 0x1000
    cmp edi, PT32 + 2 * 4096
    jb .pt
    mov eax, PD32
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    mov word [MODE], str_pm32pg
    call t32_all
    mov eax, cr0
    and eax, 0x7FFFFFFF
    mov cr0, eax
    jmp X_CODE16:pm16_main

; ======================================================================
; 32-bit protected mode (CS = SEL_CODE32, base F0000h; SS flat)
; ======================================================================
%define HOT_OFF    0x40000
%define HOT_STRIDE 0x247
%define CROSS0     0x40000
%define OF ebx
%define RB ebx
%define RS ss:

flat32:                         ; DS ES FS GS flat again
    push eax
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    pop eax
    ret

t32_all:
    ; ---- (a) all four with bases; FS's wraps past 4 GiB (FFF76000h + 45xxxxh)
    mov ax, X_DS
    mov ds, ax
    mov ax, X_ES
    mov es, ax
    mov ax, X_FS
    mov fs, ax
    mov ax, X_GS
    mov gs, ax
    SLOTS ds, 0, 0x123000, es, 0, 0x254003, fs, 0x410000, 0x386000, gs, 0, 0x437000
    HOT_BEGIN
    BODY_ALL ds, 0x123000
    HOT_END
    call flat32
    ASPECTS "DS ES FS GS with bases (FS: base + offset past 4 GiB)"

    ; ---- (a) DS/ES flat (the block's key says so), FS and GS with bases
    mov ax, X_FS
    mov fs, ax
    mov ax, X_GS
    mov gs, ax
    SLOTS fs, 0x410000, 0x386000, gs, 0, 0x437000, gs, 0x8000, 0x43F000, fs, 0x418000, 0x38E000
    HOT_BEGIN
    BODY_ALL gs, 0x437000
    HOT_END
    call flat32
    ASPECTS "DS/ES flat, FS and GS with bases"

    ; ---- (a) expand-down ES and FS (limit FFFh, B=0: offsets 1000h-FFFFh)
    mov ax, X_EDOWN
    mov es, ax
    mov fs, ax
    mov ax, X_GS
    mov gs, ax
    SLOTS es, -0x3F000, 0x4D1000, fs, -0x3E800, 0x4D1800, gs, 0, 0x437000, fs, -0x3EC00, 0x4D1400
    HOT_BEGIN
    BODY_ALL gs, 0x437000
    HOT_END
    call flat32
    ASPECTS "expand-down ES and FS (slow path), GS with a base"

    ; ---- (a) read-only FS: loads, CMP/TEST, page-crossing loads
    mov ax, X_RO
    mov fs, ax
    SLOTS fs, -0x3F000, 0x4E1000, fs, -0x3F800, 0x4E0800, fs, -0x3FF00, 0x4E0100, fs, -0x3EC00, 0x4E1400
    HOT_BEGIN
    LOADS 1
    CMPS 8
    CROSS_LD 16
    HOT_END
    call flat32
    ASPECT 1, "read-only FS (slow path): loads"
    ASPECT 8, "read-only FS (slow path): CMP/TEST with memory"
    ASPECT 16, "read-only FS (slow path): loads crossing a page"

    ; ---- (c) FS reloaded under one translated body
    call fs_reload

    ; ---- (b) faults
    cmp dword [NOCHK], 0
    jne .nofaults
    FAULT 13, {SET_TOP fs, X_SMALL, 0x5013FC}, {OK_TOP fs, 0xFFF}, {mov edx, [fs:0xFFD]}, {}, {MC_TOP 0x5013FC}, 0x8800, "FS limit FFFh: dword load at FFDh -> #GP(0)"
    FAULT 13, {SET_TOP gs, X_SMALL, 0x5013FC}, {OK_TOP gs, 0xFFF}, {mov [gs:0xFFE], edx}, {}, {MC_TOP 0x5013FC}, 0x8800, "GS limit FFFh: dword store at FFEh -> #GP(0), nothing written"
    FAULT 13, {SET_TOP es, X_SMALL, 0x5013FC}, {OK_TOP es, 0xFFF}, {add [es:0xFFD], ecx}, {}, {MC_TOP 0x5013FC}, 0x8800, "ES limit FFFh: ADD to the dword at FFDh -> #GP(0), nothing written"
    FAULT 13, {SET_TOP ds, X_SMALL, 0x5013FC}, {OK_TOP ds, 0xFFF}, {lock or word [ds:0xFFF], cx}, {}, {MC_TOP 0x5013FC}, 0x8800, "DS limit FFFh: LOCK OR to the word at FFFh -> #GP(0), nothing written"
    FAULT 13, {SET_TOP fs, X_SMALL, 0x5013FC}, {OK_TOP fs, 0xFFF}, {movzx edx, word [fs:0xFFF]}, {}, {MC_TOP 0x5013FC}, 0x8800, "FS limit FFFh: MOVZX of the word at FFFh -> #GP(0)"
    FAULT 13, {SET_TOP gs, X_SMALL, 0x5013FC}, {OK_TOP gs, 0xFFF}, {cmp [gs:0x1000], al}, {}, {MC_TOP 0x5013FC}, 0x8800, "GS limit FFFh: CMP with the byte at 1000h -> #GP(0)"
    FAULT 13, {SET_TOP fs, X_SMALL, 0x5013FC}, {OK_TOP fs, 0xFFF}, {inc dword [fs:0xFFE]}, {}, {MC_TOP 0x5013FC}, 0x8800, "FS limit FFFh: INC of the dword at FFEh -> #GP(0), nothing written"
    FAULT 12, {SET_TOP ss, X_SSMALL, 0x5313FC}, {OK_TOP ss, 0xFFF}, {mov edx, [esp + 0xFD]}, {RESTORE_SS}, {MC_TOP 0x5313FC}, 0xF00, "SS limit FFFh: dword load at ESP+FDh = FFDh -> #SS(0)"
    FAULT 13, {SET_BOT fs, X_EDOWN, 0x511000}, {OK_BOT fs, 0x1000}, {mov edx, [fs:0xFFF]}, {}, {MC_BOT 0x511000}, 0x8800, "expand-down FS limit FFFh: dword load at the limit -> #GP(0)"
    FAULT 13, {SET_BOT fs, X_EDOWN, 0x511000}, {OK_BOT fs, 0x1000}, {add [fs:0xFFC], ecx}, {}, {MC_BOT 0x511000}, 0x8800, "expand-down FS limit FFFh: ADD to the dword ending at the limit -> #GP(0), nothing written"
    FAULT 13, {SET_BOT fs, X_EDOWN, 0x511000}, {OK_BOT fs, 0x1000}, {mov edx, [fs:0x800]}, {}, {MC_BOT 0x511000}, 0x8800, "expand-down FS limit FFFh: dword load at 800h, below the limit -> #GP(0)"
    FAULT 13, {SET_TOP fs, X_EDOWN, 0x51FFFC}, {OK_TOP fs, 0xFFFF}, {mov dx, [fs:0xFFFF]}, {}, {MC_TOP 0x51FFFC}, 0x8800, "expand-down FS (B=0): word load at FFFFh, past the upper bound -> #GP(0)"
    FAULT 13, {SET_RO fs, X_RO, 0x52FFFC, 0x520100}, {OK_RO fs, 0xFFFF}, {mov [fs:0x100], edx}, {}, {MC_RO 0x52FFFC, 0x520100}, 0x8800, "read-only FS: store -> #GP(0), nothing written"
    FAULT 13, {SET_RO fs, X_RO, 0x52FFFC, 0x520100}, {OK_RO fs, 0xFFFF}, {inc dword [fs:0x100]}, {}, {MC_RO 0x52FFFC, 0x520100}, 0x8800, "read-only FS: INC -> #GP(0), nothing written"
    FAULT 13, {SET_RO fs, X_RO, 0x52FFFC, 0x520100}, {OK_RO fs, 0xFFFF}, {lock xor [fs:0x100], ecx}, {}, {MC_RO 0x52FFFC, 0x520100}, 0x8800, "read-only FS: LOCK XOR -> #GP(0), nothing written"
    call flat32
.nofaults:
    ret

; (c) FS reloaded every fourth turn from fsr_tab (under QEMU only its first
; two entries, which cannot fault); the body after the reload is one
; translated block whichever descriptor FS holds. Bits: 1 the load saw
; the base; 2 the ADD's result (or no write where it faulted); 4 fault
; where and only where the limit or type demands it; 8 registers.
fs_reload:
    mov dword [ERRS], 0
    mov dword [FIRST], -1
    xor esi, esi
.turn:
    mov [TURN], esi
    test esi, 3
    jnz .same
    mov eax, esi
    shr eax, 2
    xor edx, edx
    mov ecx, 4
    cmp dword [NOCHK], 0
    je .k
    mov ecx, 2
.k:
    div ecx
    mov [FSR_IDX], edx
    mov ax, [cs:fsr_tab + edx * 8]
    mov fs, ax
    jmp .same
    align 256                   ; the block within a code page (records that
.same:                          ; cross one are left to the interpreter)
    mov edx, [FSR_IDX]
    mov ebp, [cs:fsr_tab + edx * 8 + 4]     ; flat address of FS offset 0
    mov ebx, esi
    and ebx, 0x1F
    shl ebx, 4
    add ebx, 0x100                          ; offsets 100h-2F0h
    mov eax, [ebp + ebx + 0x10]
    mov [FSR_OLD], eax
    imul ecx, esi, 0x01000193
    mov dword [X_VEC], -1
    mov dword [X_CNT], 0
    mov dword [X_RESUME], .resume
    mov edi, 0x1111
    mov edx, 0xD0D0D0D0
    xor eax, eax
    mov eax, [fs:ebx]
.f1:
    add [fs:ebx + 0x10], ecx                ; read-only: #GP
.f2:
    mov edx, [fs:ebx + 0x5FD]               ; limit 7FFh: #GP from EBX 200h on
    mov edi, 0x2222
.resume:
    mov dword [X_RESUME], 0
    EQ eax, [ebp + ebx], 1
    mov eax, [FSR_IDX]
    cmp eax, 3
    je .ro
    cmp eax, 2
    jne .nofault
    cmp ebx, 0x7FF - 0x600                  ; the dword at EBX + 5FDh ends past 7FFh
    jbe .nofault
    cmp dword [X_EIP], .f2                  ; past the limit: the ADD done
    jne .e4
    mov eax, [FSR_OLD]
    add eax, ecx
    EQ eax, [ebp + ebx + 0x10], 2
    jmp .fault
.ro:
    cmp dword [X_EIP], .f1                  ; read-only: nothing written
    jne .e4
    mov eax, [FSR_OLD]
    EQ eax, [ebp + ebx + 0x10], 2
.fault:
    cmp dword [X_VEC], 13
    jne .e4
    cmp dword [X_ERR], 0
    jne .e4
    cmp dword [X_CNT], 1
.e4:
    ZF1 4
    EQ edx, 0xD0D0D0D0, 8
    EQ edi, 0x1111, 8
    jmp .next
.nofault:
    EQ dword [X_CNT], 0, 4
    mov eax, [FSR_OLD]
    add eax, ecx
    EQ eax, [ebp + ebx + 0x10], 2
    EQ edx, [ebp + ebx + 0x5FD], 1
    EQ edi, 0x2222, 8
.next:
    inc esi
    cmp esi, 128
    jb .turn
    call flat32
    ASPECT 1, "FS reloaded every 4th turn (4 descriptors) under one translated body: loads see each base"
    ASPECT 2, "FS reloaded every 4th turn: the ADD through FS writes where and only where it may"
    ASPECT 4, "FS reloaded every 4th turn: #GP(0) exactly where the 7FFh limit or read-only type demands"
    ASPECT 8, "FS reloaded every 4th turn: registers at the end of each turn"
    ret

; ======================================================================
; 16-bit protected mode (CS = X_CODE16, base F0000h; SS flat, B=1)
; ======================================================================
bits 16
%define HOT_OFF    0x9000
%define HOT_STRIDE 0x83
%define CROSS0     0xA000
%define OF bx
%define RB ebx
%define RS gs:

pm16_main:
    mov word [ss:MODE], str_pm16
    mov ax, X_P16A
    mov ds, ax
    mov ax, X_P16B
    mov es, ax
    mov ax, X_P16C
    mov fs, ax
    SLOTS ds, 0, 0x580400, es, 0, 0x590007, fs, 0, 0x5A0000, fs, 0x21, 0x5A0021
    HOT_BEGIN
    BODY_ALL ds, 0x580400
    HOT_END
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov fs, ax
    ASPECTS "DS ES FS (16-bit data segments) with bases"
    cmp dword [ss:NOCHK], 0
    jne .nofaults
    FAULT 13, {SET_TOP ds, X_P16A, 0x5903FC}, {OK_TOP ds, 0xFFFF}, {mov dx, [ds:0xFFFF]}, {}, {MC_TOP 0x5903FC}, 0x8000, "DS limit FFFFh: word load at FFFFh -> #GP(0)"
    FAULT 13, {SET_TOP es, X_P16B, 0x5A0003}, {OK_TOP es, 0xFFFF}, {mov [es:0xFFFE], edx}, {}, {MC_TOP 0x5A0003}, 0x8000, "ES limit FFFFh: dword store at FFFEh -> #GP(0), nothing written"
    FAULT 12, {SET_TOP ss, X_SS16, 0x5C03FC}, {OK_TOP ss, 0xFFFF}, {mov edx, [ss:0xFFFD]}, {RESTORE_SS}, {MC_TOP 0x5C03FC}, 0x8000, "SS limit FFFFh: dword load at FFFDh -> #SS(0)"
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
.nofaults:
    ; back to real mode; GS keeps its 4 GiB limit there (the flat reference)
    mov ax, X_DATA16
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov ss, ax
    mov ax, SEL_DATA
    mov gs, ax
    mov eax, cr0
    and al, 0xFE
    mov cr0, eax
    jmp 0xF000:real_main

; ======================================================================
; real mode (DS ES FS with bases; GS base 0 with a 4 GiB limit)
; ======================================================================
real_main:
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov ss, ax
    mov gs, ax
    mov esp, 0x7C00
    o32 lidt [cs:rm_idtr]
    mov word [MODE], str_real
    mov ax, 0x5000
    mov ds, ax
    mov ax, 0x6001
    mov es, ax
    mov ax, 0x7800
    mov fs, ax
    SLOTS ds, 0, 0x50000, es, 0, 0x60010, fs, 0, 0x78000, ds, 7, 0x50007
    HOT_BEGIN
    BODY_ALL ds, 0x50000
    HOT_END
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov fs, ax
    ASPECTS "DS ES FS with real-mode bases"

    ; ---- 64-bit mode ----
    LM_ENTER
    call t64_all
    FINISH64

; ======================================================================
; 64-bit mode
; ======================================================================
bits 64
%define HOT_OFF    0x200000
%define HOT_STRIDE 0x247
%define CROSS0     0x200000
%define OF rbx
%define RB rbx
%define RS
%define VS

%macro WRBASE 2                 ; MSR, value (EAX, ECX, EDX clobbered)
    mov ecx, %1
    mov rax, %2
    mov rdx, rax
    shr rdx, 32
    wrmsr
%endmacro

; Turn hook: FS base (R8) FSB0/FSB1 switched at turns 0 mod 8, GS base
; (R9) GSB0/GSB1 at turns 4 mod 8.
%macro HOOK_MSR 0
    mov eax, esi
    and eax, 7
    jnz %%gs
    mov r8d, FSB0
    test esi, 8
    jz %%f
    mov r8d, FSB1
%%f:
    WRBASE MSR_FS_BASE, r8
    jmp %%done
%%gs:
    cmp eax, 4
    jne %%done
    mov r9d, GSB0
    test esi, 8
    jz %%g
    mov r9d, GSB1
%%g:
    WRBASE MSR_GS_BASE, r9
%%done:
%endmacro

%macro HOOK_SWAPGS 0            ; GS base (R9) and KERNEL_GS_BASE (R10) swapped
    swapgs
    xchg r9, r10
%endmacro

; V64 at the end of the last canonical page.
%macro VAL64 0                  ; R12 = turn * 0101..01h + 5A3C0F00F00F3C5Ah
    mov r12, 0x0101010101010101
    imul r12, rsi
    mov r13, 0x5A3C0F00F00F3C5A
    add r12, r13
%endmacro

%macro SET_CANON 0
    VAL64
    mov [CANON_PHYS + 0xFF8], r12
%endmacro

%macro SET_CANON_GS 0           ; GS base = CANON_BASE until the restore's SWAPGS
    SET_CANON
    lea ebx, [rsi + 0x201000]   ; without the base: harmless test data
    swapgs
%endmacro

%macro OK_CANON 1               ; the qword ending at 7FFF_FFFF_FFFFh, a dword store and a byte ADD there
    mov rbp, [%1:0xFF8]
    mov [%1:0xFFC], ecx
    add byte [%1:0xFFF], al
%endmacro

; FAULT64 {setup}, {ok part}, {faulting instruction}, {restore}, "name":
; as FAULT, with lm.inc's handler (it keeps every register but RSP).
%macro FAULT64 5
    mov dword [ERRS], 0
    mov dword [FIRST], -1
    mov dword [TURN], 0
%%turn:
    mov qword [EXC_VEC], -1
    mov qword [EXC_CODE], -1
    mov qword [EXC_COUNT], 0
    lea rax, [rel %%resume]
    mov [EXC_RESUME], rax
    mov [EXC_RESUME_RSP], rsp
    mov [Q_RSP], rsp
    mov esi, [TURN]
    %1
    jmp %%top
    align 128                   ; the block up to the fault within a code page
%%top:
    lea eax, [rsi * 8 + 0x11]
    mov rdi, rsi
    not rdi
    mov rcx, 0xC0C0C0C0C0C0C0C0
    add rcx, rsi
    mov rdx, 0xD0D0D0D0D0D0D0D0
    mov rbp, 0xE0E0E0E0E0E0E0E0
    %2
%%fault:
    %3
    mov eax, 0xBAD                      ; none of this may run
    mov ecx, eax
    mov edx, eax
    ud2
%%resume:
    %4
    lea r11, [rsi * 8 + 0x11]           ; the registers at the fault
    cmp rax, r11
    jne %%e4
    mov r11, 0xC0C0C0C0C0C0C0C0
    add r11, rsi
    cmp rcx, r11
    jne %%e4
    mov r11, 0xD0D0D0D0D0D0D0D0
    cmp rdx, r11
    jne %%e4
    mov r11, rsi
    not r11
    cmp rdi, r11
    jne %%e4
    mov r11, [EXC_RSP]
    cmp r11, [Q_RSP]
%%e4:
    ZF1 4
    VAL64                               ; RBP and the page's last qword
    cmp rbp, r12
    jne %%e8
    lea r13d, [rsi * 8 + 0x11]
    shl r13d, 24
    mov r14d, 0xC0C0C0C0
    add r14d, esi
    add r14d, r13d
    shl r14, 32
    mov r12d, r12d
    or r12, r14
    cmp [CANON_PHYS + 0xFF8], r12
%%e8:
    ZF1 8
    cmp qword [EXC_VEC], 13
    jne %%e1
    cmp qword [EXC_CODE], 0
    jne %%e1
    cmp qword [EXC_COUNT], 1
%%e1:
    ZF1 1
    lea r11, [rel %%fault]
    cmp [EXC_RIP], r11
    ZF1 2
    inc dword [TURN]
    cmp dword [TURN], FTURNS
    jb %%turn
    ASPECT -1, %5
%endmacro

t64_all:
    ; ---- (a) FS and GS bases from the MSRs
    WRBASE MSR_GS_BASE, GSB1
    mov r9d, GSB1
    SLOTS64 fs, 0, r8, 0, gs, 0, r9, 5, fs, 0x8000, r8 + 0x8000, 0, gs, 0x8000, r9 + 0x8000, 5
    HOT_BEGIN HOOK_MSR
    BODY_ALL fs, r8
    HOT_END
    ASPECTS "FS/GS bases from WRMSR FS_BASE/GS_BASE, changed every 8 turns"

    ; ---- (a) GS switched by SWAPGS every turn
    WRBASE MSR_GS_BASE, SWB0
    WRBASE MSR_KERNEL_GS_BASE, SWB1
    mov r9d, SWB0
    mov r10d, SWB1
    SLOTS64 gs, 0, r9, 9, gs, 0x4000, r9 + 0x4000, 9, gs, 0x8000, r9 + 0x8000, 9, gs, 0xC000, r9 + 0xC000, 9
    HOT_BEGIN HOOK_SWAPGS
    BODY_ALL gs, r9
    HOT_END
    ASPECTS "GS base swapped with KERNEL_GS_BASE by SWAPGS every turn"

    ; ---- (b) base + offset not canonical: map 7FFF_FFFF_F000h (the last
    ; canonical page of the lower half) to CANON_PHYS
    mov edi, PDPT_H
    xor eax, eax
    mov ecx, 3 * 4096 / 8
    rep stosq
    mov qword [PML4_BASE + 255 * 8], PDPT_H | 3
    mov qword [PDPT_H + 511 * 8], PD_H | 3
    mov qword [PD_H + 511 * 8], PT_H | 3
    mov qword [PT_H + 511 * 8], CANON_PHYS | 3
    mov rax, cr3
    mov cr3, rax
    WRBASE MSR_FS_BASE, CANON_BASE
    FAULT64 {SET_CANON}, {OK_CANON fs}, {mov rdx, [fs:0xFFC]}, {}, "FS base 7FFF_FFFF_F000h: qword load at FFCh ends past the canonical half -> #GP(0)"
    WRBASE MSR_GS_BASE, 0
    WRBASE MSR_KERNEL_GS_BASE, CANON_BASE
    FAULT64 {SET_CANON_GS}, {OK_CANON gs}, {lock inc byte [gs:rbx]}, {swapgs}, "GS base 7FFF_FFFF_F000h after SWAPGS: LOCK INC of the byte at 201000h + turn -> #GP(0)"
    WRBASE MSR_FS_BASE, 0
    WRBASE MSR_KERNEL_GS_BASE, 0

    ; ---- (d) compatibility mode: FS base + offset wraps past 4 GiB while
    ; the TLB maps the page 4 GiB higher (filled by 64-bit code each turn)
    lea rsi, [rel xgdt]                 ; LM_ENTER cleared our descriptors
    mov edi, GDT_BASE + GDT_FREE
    mov ecx, xgdt_end - xgdt
    rep movsb
    mov edi, PD_X
    xor eax, eax
    mov ecx, 4096 / 8
    rep stosq
    mov qword [PD_X + 8], ALIAS_PHYS | 0x83     ; 4 GiB + 2 MiB: a 2 MiB page
    mov qword [PDPT_BASE + 4 * 8], PD_X | 3
    mov rax, cr3
    mov cr3, rax
    call far dword [rel fp_compat]
    ret

fp_compat: dd compat_main
           dw SEL_CODE32

; Far-called from compatibility mode once a turn: EBX = the turn's offset;
; the page of FS:EBX+410000h taken without the 4 GiB wrap into the TLB.
touch64:
    mov eax, ebx
    mov rdx, 0x100000000 + 0x386000
    add byte [rdx + rax], 0
    retf

bits 32
; (d) in compatibility mode (CS = SEL_CODE32, base F0000h; DS ES SS flat).
; Bits: 1 the load, 2 the store, 4 the ADD through FS.
compat_main:
    mov word [MODE], str_compat
    mov ax, X_FS                        ; base FFF76000h
    mov fs, ax
    mov dword [ERRS], 0
    mov dword [FIRST], -1
    xor esi, esi
.turn:
    mov [TURN], esi
    imul ebx, esi, 0x247
    add ebx, 0x40000
    imul edx, esi, 0x61C88647
    add edx, 0x01234567
    mov ecx, edx
    rol ecx, 13
    mov edi, [ebx + 0x386008]           ; the ADD's operand before (flat)
    call far [cs:touch_ptr]
    mov eax, [fs:ebx + 0x410000]        ; FFF76000h + 45xxxxh: 3Cxxxxh
    mov [fs:ebx + 0x410004], edx
    add [fs:ebx + 0x410008], ecx
    EQ eax, [ebx + 0x386000], 1
    EQ edx, [ebx + 0x386004], 2
    add edi, ecx
    EQ edi, [ebx + 0x386008], 4
    inc esi
    cmp esi, TURNS
    jb .turn
    xor eax, eax
    mov fs, ax
    ASPECT 1, "FS base + offset wraps past 4 GiB while the TLB maps the page 4 GiB above: load"
    ASPECT 2, "FS base + offset wraps past 4 GiB while the TLB maps the page 4 GiB above: store"
    ASPECT 4, "FS base + offset wraps past 4 GiB while the TLB maps the page 4 GiB above: ADD to memory"
    retf

touch_ptr: dd LIN(touch64)
           dw SEL_CODE64
bits 64

; ======================================================================
; library
; ======================================================================
fail64:                         ; [rsp + 8] = error bit; keeps everything
    pushfq
    push rax
    mov rax, [rsp + 24]
    or [ERRS], eax
    cmp dword [FIRST], -1
    jne .r
    mov eax, [TURN]
    mov [FIRST], eax
.r:
    pop rax
    popfq
    ret 8

rep64:                          ; RSI = name, EAX = error bits (0: pass)
    push rax
    push rbx
    push rsi
    mov ebx, eax
    inc word [CHECKS_ADDR]
    lea rsi, [rel rom_ok_str]
    test ebx, ebx
    jz .p
    inc word [FAILS_ADDR]
    lea rsi, [rel rom_fail_str]
.p:
    call lm_puts64
    lea rsi, [rel str_lm64]
    call lm_puts64
    mov rsi, [rsp]
    call lm_puts64
    test ebx, ebx
    jz .nl
    lea rsi, [rel str_errs]
    call lm_puts64
    mov eax, ebx
    call lm_puthex64
    lea rsi, [rel str_turn]
    call lm_puts64
    mov eax, [FIRST]
    call lm_puthex64
    lea rsi, [rel str_close]
    call lm_puts64
.nl:
    mov al, 10
    out DEBUGCON_PORT, al
    pop rsi
    pop rbx
    pop rax
    ret

bits 32
fail32:                         ; [esp + 4] = error bit; keeps everything
    pushfd
    push eax
    mov eax, [esp + 12]
    or [ss:ERRS], eax
    cmp dword [ss:FIRST], -1
    jne .r
    mov eax, [ss:TURN]
    mov [ss:FIRST], eax
.r:
    pop eax
    popfd
    ret 4

rep32:                          ; ESI = name, EAX = error bits (0: pass)
    pushad
    mov ebx, eax
    mov edi, esi
    inc word [ss:CHECKS_ADDR]
    mov esi, rom_ok_str
    test ebx, ebx
    jz .p
    inc word [ss:FAILS_ADDR]
    mov esi, rom_fail_str
.p:
    call lm_puts32
    movzx esi, word [ss:MODE]
    call lm_puts32
    mov esi, str_colon
    call lm_puts32
    mov esi, edi
    call lm_puts32
    test ebx, ebx
    jz .nl
    mov esi, str_errs
    call lm_puts32
    mov eax, ebx
    call hex32
    mov esi, str_turn
    call lm_puts32
    mov eax, [ss:FIRST]
    call hex32
    mov esi, str_close
    call lm_puts32
.nl:
    mov al, 10
    out DEBUGCON_PORT, al
    popad
    ret

hex32:                          ; EAX -> 8 hex digits
    pushad
    mov ebx, eax
    mov ecx, 8
.d:
    rol ebx, 4
    mov al, bl
    and al, 0x0F
    add al, '0'
    cmp al, '9'
    jbe .o
    add al, 'a' - '0' - 10
.o:
    out DEBUGCON_PORT, al
    loop .d
    popad
    ret

; EDI = start, ECX = dwords: each dword = its address * 2545F491h + 7F4A7C15h
fill32:
    imul eax, edi, 0x2545F491
    add eax, 0x7F4A7C15
    stosd
    loop fill32
    ret

; Exception stubs for 16- and 32-bit protected mode, 16 bytes each.
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

; [esp] vector, +4 error code, +8 EIP, +12 CS, +16 EFLAGS. Records all of
; it and the registers; resumes at X_RESUME (one shot) with every
; register as it was, else ends the test.
xhandler:
    push ds
    push eax
    mov ax, SEL_DATA
    mov ds, ax
    mov eax, [esp]
    mov [X_REGS + 0], eax
    mov [X_REGS + 4], ecx
    mov [X_REGS + 8], edx
    mov [X_REGS + 12], ebx
    lea eax, [esp + 28]
    mov [X_REGS + 16], eax
    mov [X_REGS + 20], ebp
    mov [X_REGS + 24], esi
    mov [X_REGS + 28], edi
    mov eax, [esp + 8]
    mov [X_VEC], eax
    mov eax, [esp + 12]
    mov [X_ERR], eax
    mov eax, [esp + 16]
    mov [X_EIP], eax
    mov eax, [esp + 20]
    mov [X_CS], eax
    inc dword [X_CNT]
    mov eax, [X_RESUME]
    test eax, eax
    jz .fatal
    mov dword [X_RESUME], 0
    mov [esp + 16], eax
    pop eax
    pop ds
    add esp, 8
    iretd
.fatal:
    mov esi, str_unexp
    call lm_puts32
    mov eax, [X_VEC]
    call hex32
    mov esi, str_code
    call lm_puts32
    mov eax, [X_ERR]
    call hex32
    mov esi, str_at
    call lm_puts32
    mov eax, [X_CS]
    call hex32
    mov al, ':'
    out DEBUGCON_PORT, al
    mov eax, [X_EIP]
    call hex32
    mov al, 10
    out DEBUGCON_PORT, al
    mov al, 1
    out EXIT_PORT, al
    hlt

bits 16
fail16:                         ; [sp + 2] = error bit; keeps everything
    push bp
    mov bp, sp
    pushfd
    push eax
    movzx eax, word [bp + 4]
    or [ss:ERRS], eax
    cmp dword [ss:FIRST], -1
    jne .r
    mov eax, [ss:TURN]
    mov [ss:FIRST], eax
.r:
    pop eax
    popfd
    pop bp
    ret 2

rep16:                          ; SI = name, EAX = error bits (0: pass)
    pushad
    mov ebx, eax
    mov di, si
    inc word [ss:CHECKS_ADDR]
    mov si, rom_ok_str
    test ebx, ebx
    jz .p
    inc word [ss:FAILS_ADDR]
    mov si, rom_fail_str
.p:
    call rom_puts16
    mov si, [ss:MODE]
    call rom_puts16
    mov si, str_colon
    call rom_puts16
    mov si, di
    call rom_puts16
    test ebx, ebx
    jz .nl
    mov si, str_errs
    call rom_puts16
    mov ax, bx
    call rom_puthex16
    mov si, str_turn
    call rom_puts16
    mov ax, [ss:FIRST]
    call rom_puthex16
    mov si, str_close
    call rom_puts16
.nl:
    mov al, 10
    out DEBUGCON_PORT, al
    popad
    ret

rm_unexp:
    PUTS `FAIL real: unexpected interrupt or exception\n`
    xor ax, ax
    mov ds, ax
    inc word [FAILS_ADDR]
    FINISH

; ======================================================================
; data
; ======================================================================
xgdt:
    DESC 0xF0000, 0xFFFF, 0x9B, 0x0         ; X_CODE16
    DESC 0, 0xFFFF, 0x93, 0x0               ; X_DATA16
    DESC 0x00123000, 0xFFFFF, 0x93, 0xC     ; X_DS
    DESC 0x00254003, 0xFFFFF, 0x93, 0xC     ; X_ES: an odd base
    DESC 0xFFF76000, 0xFFFFF, 0x93, 0xC     ; X_FS: base + 410000h wraps
    DESC 0x00437000, 0xFFFFF, 0x93, 0xC     ; X_GS
    DESC 0x00500400, 0xFFF, 0x93, 0x4       ; X_SMALL: limit FFFh, not at a page end
    DESC 0x00510000, 0xFFF, 0x97, 0x0       ; X_EDOWN: expand-down, B=0
    DESC 0x00520000, 0xFFFF, 0x91, 0x4      ; X_RO: read-only
    DESC 0x00530400, 0xFFF, 0x93, 0x4       ; X_SSMALL: a stack, limit FFFh
    DESC 0x00540000, 0xFFFF, 0x93, 0x4      ; X_V0
    DESC 0x00550010, 0x7FF, 0x93, 0x4       ; X_V1: limit 7FFh
    DESC 0x00560000, 0xFFFF, 0x91, 0x4      ; X_V2: read-only
    DESC 0x00570000, 0xFF, 0x97, 0x0        ; X_V3: expand-down, limit FFh
    DESC 0x00580400, 0xFFFF, 0x93, 0x0      ; X_P16A
    DESC 0x00590007, 0xFFFF, 0x93, 0x0      ; X_P16B
    DESC 0x005A0000, 0xFFFF, 0x93, 0x0      ; X_P16C
    DESC 0x005B0400, 0xFFFF, 0x93, 0x4      ; X_SS16: limit FFFFh, B=1
xgdt_end:

fsr_tab:                        ; selector, flat address of offset 0
    dd X_V0, 0x540000
    dd X_V3, 0x570000
    dd X_V1, 0x550010
    dd X_V2, 0x560000

xidtr:  dw 32 * 8 - 1
        dd LIDT_BASE
rm_idtr: dw 0x3FF
        dd 0

str_real:   db "real", 0
str_pm16:   db "pm16", 0
str_pm32:   db "pm32", 0
str_pm32pg: db "pm32 paging", 0
str_compat: db "compat", 0
str_lm64:   db "lm64: ", 0
str_colon:  db ": ", 0
str_errs:   db "  (error bits ", 0
str_turn:   db ", first in turn ", 0
str_close:  db ")", 0
str_unexp:  db "FAIL unexpected exception ", 0
str_code:   db " code ", 0
str_at:     db " at ", 0

    LM_LIB
ROM_END
