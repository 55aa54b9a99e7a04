; jit_chain.asm — a jump into another linear page must run the code that
; page maps to now, also when a recompiler has chained it to the block it
; found there before (blocks are keyed by physical address; a chained
; jump is right only while the target page still maps to that block's
; frame), and an indirect one also when it has an inline cache linked to
; the block of an earlier target. In 32-bit protected mode (non-PAE 4 KiB
; pages) and 64-bit mode (4-level paging, the pages above 4 GiB), at ring
; 0, flat CS.
;
; The code pages (the same bytes serve both modes): page LA (frame PA)
; holds the paths, each ending in the next page LB (or LB2 after LA2):
;   1 JMP rel32, 2 CALL rel32, 3 a taken Jcc the block goes on past (side
;   exit), 4 a taken Jcc ending its block (after an untaken one), 5 JMP
;   rel8 over the page end, 6 straight-line code running off the page end,
;   7 JMP rel32 from LA2 back into LB, 8 MOV ECX, imm32 straddling the end
;   of LA2 (the same tail bytes in both of LB2's frames), then on in LB2;
;   indirect ones, the target being LA's own address (CALL to the next
;   instruction) plus the distance to LB, so an alias of LA goes to its
;   own next page: 9 RET, 10 JMP r32/r64, 11 JMP m32/m64, 12 CALL r32/r64,
;   13 CALL m32/m64, 14 RET imm16 (dropping 16 bytes the path reserved),
;   15 one RET whose target is LB on even calls and LB2 on odd ones (an
;   inline cache relinked every turn), 16 the same RET code taking LB on
;   every third call and LB2 on the others (relinked, then the same
;   target again: its generation decides). 15 and 16 return to LA, which
;   takes 8000h off what LB2's code adds and puts in the path number.
; LB maps frame PB (its code returns 1111h + path << 16 in EAX) or PC
; (2222h + path << 16); LB2 maps PB2 or PC2 alike. A driver calls a path
; once a turn and compares EAX; a check fails on any wrong turn and a note
; names the first.
;  S1 "next page remapped, INVLPG": 200 turns with PB (hot: translated and
;     chained at any threshold), then six times: PTE to the other frame,
;     INVLPG, 100 turns.
;  S2 MOV CR3 every turn between two roots that share LA but map LB to PB
;     in one and PC in the other; each turn must see its own root's code.
;  S3 as S2 with LA and LA2 global (CR4.PGE): the jumping page survives
;     MOV CR3, the (non-global) target must not.
;  S4 LB global: remapped with INVLPG, as S1.
;  S5 LB global: remapped, then only CR4.PGE cleared and set again (which
;     flushes global entries, SDM vol. 3A 4.10.4.1), no INVLPG.
;     (A global PTE changed with only a MOV CR3 may stay stale on real
;     hardware: not checked.)
;  S6 LB global and MOV CR3 every turn, remapped with INVLPG.
;  S7 frame PA also at LA + 40 KiB, whose next page maps PC (and LA2's
;     frame likewise): no flush at all, turns alternate the two aliases of
;     the same code, each must run its own next page.
;  S8 one frame PE at two linear addresses, a loop of JMP/CALL/Jcc that
;     stays within the page (no page change to guard), entered through
;     both aliases by turns; the second alias remapped now and then to a
;     frame PF with a different loop (INVLPG). Each turn's result holds
;     the alias's base (CALL/POP) and the loop count.
; Check lines: "pm32 SCENARIO: PATH" and "lm64 SCENARIO: PATH".
; Intel SDM vol. 3A 4.10.4 (invalidation of TLBs), 4.10.2.4 (global
; pages), 4.10.4.1 (MOV CR3, MOV CR4, INVLPG).
;
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "lm.inc"

; ---- variables (identity-mapped low memory; qword slots, the 32-bit
; part uses their low dwords) ----
%define P_ENTRY0 0x0800         ; the path's linear address, turns 2k
%define P_ENTRY1 0x0808         ; ... turns 2k+1 (when P_ALT = 1)
%define P_EXP0   0x0810         ; EAX wanted
%define P_EXP1   0x0818
%define P_CR3_0  0x0820         ; CR3 loaded before the call (P_CR3ON)
%define P_CR3_1  0x0828
%define P_ALT    0x0830         ; 1: odd turns use the *1 slots
%define P_CR3ON  0x0838
%define P_TURNS  0x0840
%define R_BAD    0x0848         ; wrong turns
%define R_FIRST  0x0850         ; the first wrong turn
%define R_GOT    0x0858         ; ... its EAX
%define PHASE    0x0860
%define RBASE    0x0868         ; linear base of the code region
%define P_MARK0  0x0870         ; the code mapped now: 1111h or 2222h
%define P_MARK1  0x0878
%define TABP     0x0880         ; the path table (ROM offset)
%define TABN     0x0888         ; its rows
%define FARP     0x0890         ; m16:32 of the 32-bit driver
%define MODE_STR 0x0898         ; "pm32 " or "lm64 " (ROM offset)
%define P_SLOT   0x08A0         ; paths 11 and 13: the target, for JMP/CALL m
%define P_POLY2  0x08A8         ; path 15's calls mod 2
%define P_POLY3  0x08B0         ; path 16's calls mod 3
%define FREC     0x0900         ; 16 rows of 32 bytes, dwords: failed,
%define FREC_END 0x0B00         ; wrong turns, phase, turn, got, want

; ---- frames ----
%define PA    0x30000
%define PB    0x31000
%define PC    0x32000
%define PA2   0x33000
%define PB2   0x34000
%define PC2   0x35000
%define PE    0x36000
%define PF    0x37000
%define DRV32 0x38000           ; the 32-bit driver (flat CS)

; ---- page tables ----
%define PD_X   0x14000          ; 32-bit: root X
%define PT_ID  0x15000          ; 0-4 MiB identity
%define PTB_X  0x16000          ; the code region in root X
%define PD_Y   0x17000          ; root Y
%define PTB_Y  0x18000
%define PD64X  0x14000          ; 64-bit: PDPT_BASE[5] -> PD64X -> PT64X
%define PT64X  0x15000
%define PML4_Y 0x16000          ; root Y: its own PDPT for the region
%define PDPT_Y 0x17000
%define PD64Y  0x18000
%define PT64Y  0x19000

%define RB32 0x400000           ; the code region's linear base
%define RB64 0x140000000        ; (5 GiB: PML4 0, PDPT 5)
%define PG   0x100              ; PTE.G
%define CR4_PGE 0x80

; ---- the region (offsets from its base) ----
%define LB_OFF  0x1000
%define LA2_OFF 0x2000
%define LB2_OFF 0x3000
%define LE1_OFF 0x6000          ; PE
%define LE2_OFF 0x8000          ; PE or PF
%define LX_OFF  0xA000          ; PA, PC, PA2, PC2 again (S7)

%define A_JMP   0x000           ; in LA
%define A_CALL  0x040
%define A_JCC   0x080
%define A_JCC2  0x0C0
%define A_NT    0x0F0           ; the untaken Jcc's target
%define A_RET   0x100
%define A_JMPR  0x140
%define A_JMPM  0x180
%define A_CALLR 0x1C0
%define A_CALLM 0x200
%define A_RETN  0x240
%define A_POLY2 0x280
%define A_POLY3 0x300
%define A_SHORT 0xFC0
%define A_FALL  0xFE0
%define B_FALL  0x000           ; in LB
%define B_SHORT 0x040
%define B_JMP   0x100
%define B_CALL  0x200
%define B_JCC   0x300
%define B_JCC2  0x380
%define B_BACK  0x400
%define B_RET   0x440
%define B_JMPR  0x460
%define B_JMPM  0x480
%define B_CALLR 0x4A0
%define B_CALLM 0x4C0
%define B_RETN  0x4E0
%define B_POLY  0x500           ; paths 15 and 16
%define B2_POLY 0x100           ; in LB2
%define POLY_LB2 0x8000         ; what LB2's B2_POLY adds
%define A2_BACK  0x000          ; in LA2
%define A2_CROSS 0xFF0
%define E_ENTRY 0x100           ; in PE / PF
%define E_MID   0x800
%define E_N1    20              ; PE's loop count
%define E_N2    24              ; PF's
%define NPATHS  16              ; rows of the path tables (FREC's rows)

%define SEL_CODE16 (GDT_FREE)
%define SEL_DATA16 (GDT_FREE + 8)

; exactly %2 bytes from label %1 to here (a negative TIMES stops NASM)
%macro AT_SIZE 2
    times ($ - %1) - (%2) db 0
    times (%2) - ($ - %1) db 0
%endmacro

; opcode %1 with ModRM.reg %2 on [%3], absolute in both modes: a SIB byte
; with no base and no index (a bare disp32 is RIP-relative in 64-bit mode)
%macro OP_ABS 3
    db %1, ((%2) << 3) | 4, 0x25
    dd %3
%endmacro

; ======================================================================
; real mode
; ======================================================================
start:
    ROM_INIT
    PUTS `jit_chain: chained jumps into another page after remaps, CR3 switches, global pages, aliases\n`
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
    mov eax, 1
    cpuid
    test edx, 1 << 13
    jnz .pge_ok
    SKIP_TEST "no global pages (CPUID 1 EDX.PGE = 0)"
.pge_ok:
    cld
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
    jmp dword SEL_CODE32:pm32_main

; ======================================================================
; 32-bit protected mode (ROM code: CS = SEL_CODE32, base F0000h)
; ======================================================================
bits 32
pm32_main:
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, STACK_TOP
    call lm_build_tables32      ; for its legacy IDT: exceptions are reported
    lidt [cs:lm_legacy_idtr]
    xor eax, eax
    mov [EXC_RESUME], eax
    mov [EXC_RESUME + 4], eax
    mov edi, P_ENTRY0
    mov ecx, (FREC_END - P_ENTRY0) / 4
    rep stosd
    call place_code
    call build_pt32
    mov eax, PD_X
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    mov dword [FARP], DRV32
    mov word [FARP + 4], SEL_CODE32F
    mov dword [RBASE], RB32
    mov dword [MODE_STR], str_pm32
    call scen32
    mov eax, cr0                ; paging and global pages off, to real mode
    and eax, 0x7FFFFFFF
    mov cr0, eax
    mov eax, cr4
    and eax, ~CR4_PGE
    mov cr4, eax
    jmp SEL_CODE16:pm32_exit

; The code pages: 0CCh (INT3: a stray jump is reported) and the images.
place_code:
    mov edi, PA
    mov eax, 0xCCCCCCCC
    mov ecx, (DRV32 + 0x1000 - PA) / 4
    rep stosd
    mov ebx, code_tab
.r:
    movzx esi, word [cs:ebx]
    test esi, esi
    jz .done
    movzx ecx, word [cs:ebx + 2]
    mov edi, [cs:ebx + 4]
    cs rep movsb
    add ebx, 8
    jmp .r
.done:
    ret

build_pt32:
    mov edi, PD_X
    xor eax, eax
    mov ecx, 5 * 1024
    rep stosd
    mov edi, PT_ID
    mov eax, 3
.id:
    mov [edi], eax
    add eax, 0x1000
    add edi, 4
    cmp edi, PT_ID + 4096
    jb .id
    mov dword [PD_X], PT_ID | 3
    mov dword [PD_X + (RB32 >> 22) * 4], PTB_X | 3
    mov dword [PD_Y], PT_ID | 3
    mov dword [PD_Y + (RB32 >> 22) * 4], PTB_Y | 3
    mov edi, PTB_X
    call region32
    mov edi, PTB_Y
    call region32
    mov dword [PTB_Y + (LB_OFF >> 12) * 4], PC | 3
    mov dword [PTB_Y + (LB2_OFF >> 12) * 4], PC2 | 3
    ret

region32:                       ; EDI = page table of the region
    mov esi, region_map
.r:
    movzx eax, word [cs:esi]
    cmp eax, 0xFFFF
    je .d
    mov edx, [cs:esi + 2]
    or edx, 3
    mov [edi + eax * 4], edx
    add esi, 6
    jmp .r
.d:
    ret

; map_b32: EAX = 0: LB -> PB, LB2 -> PB2; 1: PC, PC2; EDX = more PTE bits.
map_b32:
    push ecx
    mov ecx, PB | 3
    mov dword [P_MARK0], 0x1111
    test eax, eax
    jz .s
    mov ecx, PC | 3
    mov dword [P_MARK0], 0x2222
.s:
    or ecx, edx
    mov [PTB_X + (LB_OFF >> 12) * 4], ecx
    add ecx, PB2 - PB
    mov [PTB_X + (LB2_OFF >> 12) * 4], ecx
    mov ecx, [P_MARK0]
    mov [P_MARK1], ecx
    pop ecx
    ret

pge_toggle32:                   ; flushes global entries too
    push eax
    mov eax, cr4
    and eax, ~CR4_PGE
    mov cr4, eax
    or eax, CR4_PGE
    mov cr4, eax
    pop eax
    ret

; remaps32: ECX phases; phase k maps frame (k & 1) with PTE bits EDX, then
; EDI = 0: INVLPG LB and LB2; 1: CR4.PGE toggled; 200 turns in phase 0,
; 100 in the others, every path.
remaps32:
    pushad
    xor ebx, ebx
.k:
    mov eax, ebx
    and eax, 1
    call map_b32
    test edi, edi
    jnz .pge
    invlpg [RB32 + LB_OFF]
    invlpg [RB32 + LB2_OFF]
    jmp .go
.pge:
    call pge_toggle32
.go:
    mov [PHASE], ebx
    mov dword [P_TURNS], 100
    test ebx, ebx
    jnz .t
    mov dword [P_TURNS], 200
.t:
    call run_all32
    inc ebx
    cmp ebx, ecx
    jb .k
    popad
    ret

; Both roots mapped apart, MOV CR3 every turn, 300 turns.
cr3_alt32:
    mov dword [P_CR3_0], PD_X
    mov dword [P_CR3_1], PD_Y
    mov dword [P_ALT], 1
    mov dword [P_CR3ON], 1
    mov dword [P_MARK0], 0x1111
    mov dword [P_MARK1], 0x2222
    mov dword [PHASE], 0
    mov dword [P_TURNS], 300
    call run_all32
    mov eax, PD_X
    mov cr3, eax
    mov dword [P_ALT], 0
    mov dword [P_CR3ON], 0
    ret

; EDI = page table: PTE.G on LA and LA2 (EAX = PG) or off (EAX = 0)
glob_a32:
    and dword [edi + 0], ~PG
    and dword [edi + (LA2_OFF >> 12) * 4], ~PG
    or [edi + 0], eax
    or [edi + (LA2_OFF >> 12) * 4], eax
    ret

; E value: ECX = loop count, EDX = the page's linear base -> EAX
e_value32:
    mov eax, ecx
    inc eax
    imul eax, ecx
    shr eax, 1
    push edx
    imul edx, ecx
    add eax, edx
    pop edx
    ret

scen32:
    mov dword [TABP], paths
    mov dword [TABN], NPATHS
    call frec_clear32
    mov ecx, 7
    xor edx, edx
    xor edi, edi
    call remaps32
    mov esi, s_invlpg
    call report32

    call frec_clear32
    call cr3_alt32
    mov esi, s_cr3
    call report32

    call frec_clear32
    mov eax, PG
    mov edi, PTB_X
    call glob_a32
    mov edi, PTB_Y
    call glob_a32
    mov eax, cr4
    or eax, CR4_PGE
    mov cr4, eax
    call cr3_alt32
    mov esi, s_cr3g
    call report32
    xor eax, eax
    mov edi, PTB_X
    call glob_a32
    mov edi, PTB_Y
    call glob_a32
    call pge_toggle32

    call frec_clear32
    mov ecx, 7
    mov edx, PG
    xor edi, edi
    call remaps32
    mov esi, s_ginvlpg
    call report32

    call frec_clear32
    mov ecx, 7
    mov edx, PG
    mov edi, 1
    call remaps32
    mov esi, s_gpge
    call report32

    call frec_clear32
    mov dword [P_CR3_0], PD_X
    mov dword [P_CR3ON], 1
    mov ecx, 3
    mov edx, PG
    xor edi, edi
    call remaps32
    mov dword [P_CR3ON], 0
    mov esi, s_gcr3
    call report32

    xor eax, eax                ; LB -> PB, not global; PGE off
    xor edx, edx
    call map_b32
    mov eax, cr4
    and eax, ~CR4_PGE
    mov cr4, eax
    call frec_clear32
    mov dword [TABP], paths_x
    mov dword [P_ALT], 1
    mov dword [P_MARK1], 0x2222
    mov dword [PHASE], 0
    mov dword [P_TURNS], 300
    call run_all32
    mov dword [P_ALT], 0
    mov esi, s_alias
    call report32

    call frec_clear32           ; S8: one page at two addresses
    mov dword [TABP], epath
    mov dword [TABN], 1
    mov dword [P_ALT], 1
    xor ebx, ebx
.e:
    mov eax, PE | 3
    mov ecx, E_N1
    test bl, 1
    jz .e1
    mov eax, PF | 3
    mov ecx, E_N2
.e1:
    mov [PTB_X + (LE2_OFF >> 12) * 4], eax
    invlpg [RB32 + LE2_OFF]
    mov edx, RB32 + LE2_OFF
    call e_value32
    mov [P_MARK1], eax
    mov ecx, E_N1
    mov edx, RB32 + LE1_OFF
    call e_value32
    mov [P_MARK0], eax
    mov [PHASE], ebx
    mov dword [P_TURNS], 100
    test ebx, ebx
    jnz .e2
    mov dword [P_TURNS], 200
.e2:
    call run_all32
    inc ebx
    cmp ebx, 5
    jb .e
    mov dword [P_ALT], 0
    mov esi, s_same
    call report32
    ret

frec_clear32:
    push edi
    push ecx
    push eax
    mov edi, FREC
    mov ecx, (FREC_END - FREC) / 4
    xor eax, eax
    rep stosd
    pop eax
    pop ecx
    pop edi
    ret

; Every row of the path table once, the driver running [P_TURNS] turns;
; the first wrong turn of each row is kept in FREC.
run_all32:
    pushad
    mov esi, [TABP]
    xor ebx, ebx
.row:
    mov eax, [cs:esi]
    add eax, [RBASE]
    mov [P_ENTRY0], eax
    mov eax, [cs:esi + 4]
    add eax, [RBASE]
    mov [P_ENTRY1], eax
    mov eax, [cs:esi + 12]      ; the path's tag
    mov edx, [P_MARK0]
    add edx, eax
    mov [P_EXP0], edx
    add eax, [P_MARK1]
    mov [P_EXP1], eax
    push esi
    push ebx
    call far [FARP]
    pop ebx
    pop esi
    mov eax, [R_BAD]
    test eax, eax
    jz .next
    mov edi, ebx
    shl edi, 5
    add edi, FREC
    add [edi + 4], eax
    cmp dword [edi], 0
    jne .next
    mov dword [edi], 1
    mov eax, [PHASE]
    mov [edi + 8], eax
    mov eax, [R_FIRST]
    mov [edi + 12], eax
    and eax, [P_ALT]
    mov eax, [P_EXP0 + eax * 8]
    mov [edi + 20], eax
    mov eax, [R_GOT]
    mov [edi + 16], eax
.next:
    add esi, 16
    inc ebx
    cmp ebx, [TABN]
    jb .row
    popad
    ret

; One check line per row of the table: ESI = scenario name.
report32:
    pushad
    mov ebp, esi
    mov esi, [TABP]
    mov ebx, FREC
    xor ecx, ecx
.r:
    inc word [CHECKS_ADDR]
    mov edx, rom_ok_str
    cmp dword [ebx], 0
    je .p
    inc word [FAILS_ADDR]
    mov edx, rom_fail_str
.p:
    push esi
    mov esi, edx
    call lm_puts32
    mov esi, [MODE_STR]
    call lm_puts32
    mov esi, ebp
    call lm_puts32
    mov esi, str_colon
    call lm_puts32
    pop esi
    push esi
    mov esi, [cs:esi + 8]
    call lm_puts32
    mov al, 10
    out DEBUGCON_PORT, al
    cmp dword [ebx], 0
    je .n
    mov esi, str_d1
    call lm_puts32
    mov eax, [ebx + 4]
    call puthex32
    mov esi, str_d2
    call lm_puts32
    mov eax, [ebx + 8]
    call puthex32
    mov esi, str_d3
    call lm_puts32
    mov eax, [ebx + 12]
    call puthex32
    mov esi, str_d4
    call lm_puts32
    mov eax, [ebx + 16]
    call puthex32
    mov esi, str_d5
    call lm_puts32
    mov eax, [ebx + 20]
    call puthex32
    mov esi, str_d6
    call lm_puts32
.n:
    pop esi
    add esi, 16
    add ebx, 32
    inc ecx
    cmp ecx, [TABN]
    jb .r
    popad
    ret

puthex32:                       ; EAX -> 8 hex digits
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

; The 32-bit driver, copied to DRV32 and far-called with the flat CS (so
; blocks may chain): [P_TURNS] turns, each a call to the path; R_BAD etc.
drive32:
    push ebp
    xor ebp, ebp
    xor ecx, ecx
.l:
    mov ebx, ecx
    and ebx, [P_ALT]
    cmp dword [P_CR3ON], 0
    je .c
    mov eax, [P_CR3_0 + ebx * 8]
    mov cr3, eax
.c:
    push ecx
    push ebx
    mov eax, 0xBADBAD00
    call [P_ENTRY0 + ebx * 8]
    pop ebx
    pop ecx
    cmp eax, [P_EXP0 + ebx * 8]
    je .ok
    inc ebp
    cmp ebp, 1
    jne .ok
    mov [R_FIRST], ecx
    mov [R_GOT], eax
.ok:
    inc ecx
    cmp ecx, [P_TURNS]
    jb .l
    mov [R_BAD], ebp
    pop ebp
    retf
drive32_end:

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

; ======================================================================
; 64-bit mode
; ======================================================================
    LM_ENTER
    mov edi, PD64X
    xor eax, eax
    mov ecx, 6 * 4096 / 8
    rep stosq
    mov qword [PDPT_BASE + (RB64 >> 30) * 8], PD64X | 3
    mov qword [PD64X], PT64X | 3
    mov edi, PT64X
    call region64
    mov esi, PDPT_BASE          ; root Y: the same but for its own PDPT
    mov edi, PDPT_Y
    mov ecx, 512
    rep movsq
    mov qword [PML4_Y], PDPT_Y | 7
    mov qword [PDPT_Y + (RB64 >> 30) * 8], PD64Y | 3
    mov qword [PD64Y], PT64Y | 3
    mov edi, PT64Y
    call region64
    mov qword [PT64Y + (LB_OFF >> 12) * 8], PC | 3
    mov qword [PT64Y + (LB2_OFF >> 12) * 8], PC2 | 3
    mov rax, cr3
    mov cr3, rax
    mov edi, P_ENTRY0
    mov ecx, (FREC_END - P_ENTRY0) / 8
    xor eax, eax
    rep stosq
    mov rax, RB64
    mov [RBASE], rax
    mov dword [MODE_STR], str_lm64
    call scen64
    FINISH64

region64:                       ; RDI = page table of the region
    lea rsi, [rel region_map]
.r:
    movzx eax, word [rsi]
    cmp eax, 0xFFFF
    je .d
    mov edx, [rsi + 2]
    or edx, 3
    mov [rdi + rax * 8], rdx
    add rsi, 6
    jmp .r
.d:
    ret

map_b64:                        ; as map_b32
    push rcx
    mov ecx, PB | 3
    mov dword [P_MARK0], 0x1111
    test eax, eax
    jz .s
    mov ecx, PC | 3
    mov dword [P_MARK0], 0x2222
.s:
    or ecx, edx
    mov [PT64X + (LB_OFF >> 12) * 8], rcx
    add ecx, PB2 - PB
    mov [PT64X + (LB2_OFF >> 12) * 8], rcx
    mov ecx, [P_MARK0]
    mov [P_MARK1], ecx
    pop rcx
    ret

pge_toggle64:
    push rax
    mov rax, cr4
    and rax, ~CR4_PGE
    mov cr4, rax
    or rax, CR4_PGE
    mov cr4, rax
    pop rax
    ret

remaps64:                       ; as remaps32 (ECX, EDX, EDI)
    push rax
    push rbx
    xor ebx, ebx
.k:
    mov eax, ebx
    and eax, 1
    call map_b64
    test edi, edi
    jnz .pge
    mov rax, RB64 + LB_OFF
    invlpg [rax]
    mov rax, RB64 + LB2_OFF
    invlpg [rax]
    jmp .go
.pge:
    call pge_toggle64
.go:
    mov [PHASE], ebx
    mov dword [P_TURNS], 100
    test ebx, ebx
    jnz .t
    mov dword [P_TURNS], 200
.t:
    call run_all64
    inc ebx
    cmp ebx, ecx
    jb .k
    pop rbx
    pop rax
    ret

cr3_alt64:
    mov qword [P_CR3_0], PML4_BASE
    mov qword [P_CR3_1], PML4_Y
    mov dword [P_ALT], 1
    mov dword [P_CR3ON], 1
    mov dword [P_MARK0], 0x1111
    mov dword [P_MARK1], 0x2222
    mov dword [PHASE], 0
    mov dword [P_TURNS], 300
    call run_all64
    mov eax, PML4_BASE
    mov cr3, rax
    mov dword [P_ALT], 0
    mov dword [P_CR3ON], 0
    ret

glob_a64:                       ; as glob_a32 (RDI, EAX)
    and qword [rdi + 0], ~PG
    and qword [rdi + (LA2_OFF >> 12) * 8], ~PG
    or [rdi + 0], rax
    or [rdi + (LA2_OFF >> 12) * 8], rax
    ret

e_value64:                      ; as e_value32
    mov eax, ecx
    inc eax
    imul eax, ecx
    shr eax, 1
    push rdx
    imul edx, ecx
    add eax, edx
    pop rdx
    ret

scen64:
    mov dword [TABP], paths
    mov dword [TABN], NPATHS
    call frec_clear64
    mov ecx, 7
    xor edx, edx
    xor edi, edi
    call remaps64
    lea rsi, [rel s_invlpg]
    call report64

    call frec_clear64
    call cr3_alt64
    lea rsi, [rel s_cr3]
    call report64

    call frec_clear64
    mov eax, PG
    mov edi, PT64X
    call glob_a64
    mov edi, PT64Y
    call glob_a64
    mov rax, cr4
    or rax, CR4_PGE
    mov cr4, rax
    call cr3_alt64
    lea rsi, [rel s_cr3g]
    call report64
    xor eax, eax
    mov edi, PT64X
    call glob_a64
    mov edi, PT64Y
    call glob_a64
    call pge_toggle64

    call frec_clear64
    mov ecx, 7
    mov edx, PG
    xor edi, edi
    call remaps64
    lea rsi, [rel s_ginvlpg]
    call report64

    call frec_clear64
    mov ecx, 7
    mov edx, PG
    mov edi, 1
    call remaps64
    lea rsi, [rel s_gpge]
    call report64

    call frec_clear64
    mov qword [P_CR3_0], PML4_BASE
    mov dword [P_CR3ON], 1
    mov ecx, 3
    mov edx, PG
    xor edi, edi
    call remaps64
    mov dword [P_CR3ON], 0
    lea rsi, [rel s_gcr3]
    call report64

    xor eax, eax
    xor edx, edx
    call map_b64
    mov rax, cr4
    and rax, ~CR4_PGE
    mov cr4, rax
    call frec_clear64
    mov dword [TABP], paths_x
    mov dword [P_ALT], 1
    mov dword [P_MARK1], 0x2222
    mov dword [PHASE], 0
    mov dword [P_TURNS], 300
    call run_all64
    mov dword [P_ALT], 0
    lea rsi, [rel s_alias]
    call report64

    call frec_clear64
    mov dword [TABP], epath
    mov dword [TABN], 1
    mov dword [P_ALT], 1
    xor ebx, ebx
.e:
    mov eax, PE | 3
    mov ecx, E_N1
    test bl, 1
    jz .e1
    mov eax, PF | 3
    mov ecx, E_N2
.e1:
    mov [PT64X + (LE2_OFF >> 12) * 8], rax
    mov rax, RB64 + LE2_OFF
    invlpg [rax]
    mov edx, (RB64 + LE2_OFF) & 0xFFFFFFFF     ; the result keeps 32 bits
    call e_value64
    mov [P_MARK1], eax
    mov ecx, E_N1
    mov edx, (RB64 + LE1_OFF) & 0xFFFFFFFF
    call e_value64
    mov [P_MARK0], eax
    mov [PHASE], ebx
    mov dword [P_TURNS], 100
    test ebx, ebx
    jnz .e2
    mov dword [P_TURNS], 200
.e2:
    call run_all64
    inc ebx
    cmp ebx, 5
    jb .e
    mov dword [P_ALT], 0
    lea rsi, [rel s_same]
    call report64
    ret

frec_clear64:
    push rdi
    push rcx
    push rax
    mov edi, FREC
    mov ecx, (FREC_END - FREC) / 8
    xor eax, eax
    rep stosq
    pop rax
    pop rcx
    pop rdi
    ret

run_all64:                      ; as run_all32
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    mov esi, [TABP]
    add rsi, ROM_BASE
    xor ebx, ebx
.row:
    mov eax, [rsi]
    add rax, [RBASE]
    mov [P_ENTRY0], rax
    mov eax, [rsi + 4]
    add rax, [RBASE]
    mov [P_ENTRY1], rax
    mov eax, [rsi + 12]
    mov edx, [P_MARK0]
    add edx, eax
    mov [P_EXP0], edx
    add eax, [P_MARK1]
    mov [P_EXP1], eax
    push rsi
    push rbx
    call drive64
    pop rbx
    pop rsi
    mov eax, [R_BAD]
    test eax, eax
    jz .next
    mov edi, ebx
    shl edi, 5
    add edi, FREC
    add [rdi + 4], eax
    cmp dword [rdi], 0
    jne .next
    mov dword [rdi], 1
    mov eax, [PHASE]
    mov [rdi + 8], eax
    mov eax, [R_FIRST]
    mov [rdi + 12], eax
    and eax, [P_ALT]
    mov eax, [P_EXP0 + rax * 8]
    mov [rdi + 20], eax
    mov eax, [R_GOT]
    mov [rdi + 16], eax
.next:
    add rsi, 16
    inc ebx
    cmp ebx, [TABN]
    jb .row
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    ret

report64:                       ; as report32 (RSI = scenario name)
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rbp
    mov rbp, rsi
    mov esi, [TABP]
    add rsi, ROM_BASE
    mov ebx, FREC
    xor ecx, ecx
.r:
    inc word [CHECKS_ADDR]
    lea rdx, [rel rom_ok_str]
    cmp dword [rbx], 0
    je .p
    inc word [FAILS_ADDR]
    lea rdx, [rel rom_fail_str]
.p:
    push rsi
    mov rsi, rdx
    call lm_puts64
    mov esi, [MODE_STR]
    add rsi, ROM_BASE
    call lm_puts64
    mov rsi, rbp
    call lm_puts64
    lea rsi, [rel str_colon]
    call lm_puts64
    pop rsi
    push rsi
    mov esi, [rsi + 8]
    add rsi, ROM_BASE
    call lm_puts64
    mov al, 10
    out DEBUGCON_PORT, al
    cmp dword [rbx], 0
    je .n
    lea rsi, [rel str_d1]
    call lm_puts64
    mov eax, [rbx + 4]
    call puthex64_32
    lea rsi, [rel str_d2]
    call lm_puts64
    mov eax, [rbx + 8]
    call puthex64_32
    lea rsi, [rel str_d3]
    call lm_puts64
    mov eax, [rbx + 12]
    call puthex64_32
    lea rsi, [rel str_d4]
    call lm_puts64
    mov eax, [rbx + 16]
    call puthex64_32
    lea rsi, [rel str_d5]
    call lm_puts64
    mov eax, [rbx + 20]
    call puthex64_32
    lea rsi, [rel str_d6]
    call lm_puts64
.n:
    pop rsi
    add rsi, 16
    add ebx, 32
    inc ecx
    cmp ecx, [TABN]
    jb .r
    pop rbp
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    ret

puthex64_32:                    ; EAX -> 8 hex digits
    push rax
    push rbx
    push rcx
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
    pop rcx
    pop rbx
    pop rax
    ret

drive64:                        ; as drive32, in the ROM
    push rbp
    xor ebp, ebp
    xor ecx, ecx
.l:
    mov rbx, rcx
    and rbx, [P_ALT]
    cmp qword [P_CR3ON], 0
    je .c
    mov rax, [P_CR3_0 + rbx * 8]
    mov cr3, rax
.c:
    push rcx
    push rbx
    mov eax, 0xBADBAD00
    call [P_ENTRY0 + rbx * 8]
    pop rbx
    pop rcx
    cmp eax, [P_EXP0 + rbx * 8]
    je .ok
    inc ebp
    cmp ebp, 1
    jne .ok
    mov [R_FIRST], ecx
    mov [R_GOT], eax
.ok:
    inc ecx
    cmp rcx, [P_TURNS]
    jb .l
    mov [R_BAD], ebp
    pop rbp
    ret

; ======================================================================
; the code pages (bits 32; every instruction here encodes alike in
; 64-bit mode: no INC/DEC r32, PUSH or POP r32 mnemonics, no [disp32])
; ======================================================================
bits 32
; Paths 15 and 16 in LA: %1 the slot counting its calls, %2 the period
; (LB at count 0, LB2 at the others), %3 the path. Branch-free up to the
; one RET, so that a single block holds it whichever page it goes to.
%macro POLY_PATH 3
    call %%pick                 ; the target returns here
    and ecx, POLY_LB2           ; ECX = -1 on LB2's turns
    sub eax, ecx
    add eax, %3 << 16
    ret
%%pick:
    OP_ABS 0x8B, 1, %1          ; mov ecx, [%1]: this call's count
    lea edx, [ecx + 1]
    cmp edx, %2
    sbb eax, eax
    and edx, eax                ; the next count, mod %2
    OP_ABS 0x89, 2, %1          ; mov [%1], edx
    neg ecx
    sbb ecx, ecx                ; -1 if the count was not 0: LB2
    mov edx, ecx
    and edx, (LB2_OFF + B2_POLY) - (LB_OFF + B_POLY)
    add edx, R(LB_OFF + B_POLY) - %%here
    call %%here
%%here:
    add [esp], edx
    ret                         ; into LB or LB2
%endmacro

; LA from offset 0. R(x): the region's offset x as seen from this image.
img_a_lo:
%define R(x) (img_a_lo + (x))
    mov eax, 0xBAD00001         ; A_JMP
    jmp near R(LB_OFF + B_JMP)
    times A_CALL - ($ - img_a_lo) db 0xCC
    mov eax, 0xBAD00002
    call R(LB_OFF + B_CALL)
    ret
    times A_JCC - ($ - img_a_lo) db 0xCC
    xor edx, edx
    mov eax, 0xBAD00003
    jz near R(LB_OFF + B_JCC)   ; taken; the block goes on past it
    mov eax, 0xBAD0000E
    ret
    times A_JCC2 - ($ - img_a_lo) db 0xCC
    xor edx, edx
    mov eax, 0xBAD00004
    jnz near R(A_NT)            ; not taken (the block's side exit)
    jz near R(LB_OFF + B_JCC2)  ; taken: the block's last instruction
    mov eax, 0xBAD0000E
    ret
    times A_NT - ($ - img_a_lo) db 0xCC
    mov eax, 0xBAD0000F
    ret
; The indirect paths: a CALL to the next instruction pushes its address,
; a dword ADD makes it the target in LB (in 64-bit mode the qword's low
; half: RB64's low dword, 40000000h, plus an offset does not carry).
    times A_RET - ($ - img_a_lo) db 0xCC
    mov eax, 0xBAD00009
    call .ret_here
.ret_here:
    add dword [esp], R(LB_OFF + B_RET) - .ret_here
    ret
    times A_JMPR - ($ - img_a_lo) db 0xCC
    mov eax, 0xBAD00010
    call .jmpr_here
.jmpr_here:
    add dword [esp], R(LB_OFF + B_JMPR) - .jmpr_here
    db 0x5A                     ; pop edx (pop rdx)
    jmp edx                     ; (jmp rdx)
    times A_JMPM - ($ - img_a_lo) db 0xCC
    mov eax, 0xBAD00011
    call .jmpm_here
.jmpm_here:
    add dword [esp], R(LB_OFF + B_JMPM) - .jmpm_here
    OP_ABS 0x8F, 0, P_SLOT      ; pop dword (qword) [P_SLOT]
    OP_ABS 0xFF, 4, P_SLOT      ; jmp [P_SLOT]
    times A_CALLR - ($ - img_a_lo) db 0xCC
    mov eax, 0xBAD00012
    call .callr_here
.callr_here:
    add dword [esp], R(LB_OFF + B_CALLR) - .callr_here
    db 0x5A                     ; pop edx (pop rdx)
    call edx                    ; (call rdx)
    ret
    times A_CALLM - ($ - img_a_lo) db 0xCC
    mov eax, 0xBAD00013
    call .callm_here
.callm_here:
    add dword [esp], R(LB_OFF + B_CALLM) - .callm_here
    OP_ABS 0x8F, 0, P_SLOT      ; pop dword (qword) [P_SLOT]
    OP_ABS 0xFF, 2, P_SLOT      ; call [P_SLOT]
    ret
    times A_RETN - ($ - img_a_lo) db 0xCC
    mov eax, 0xBAD00014
    sub esp, 16                 ; for RET 16 to drop (RSP: below 4 GiB)
    call .retn_here
.retn_here:
    add dword [esp], R(LB_OFF + B_RETN) - .retn_here
    ret 16
    times A_POLY2 - ($ - img_a_lo) db 0xCC
    POLY_PATH P_POLY2, 2, 15
    times A_POLY3 - ($ - img_a_lo) db 0xCC
    POLY_PATH P_POLY3, 3, 16
img_a_lo_end:

img_a_hi:                       ; LA from A_SHORT to the page's end
%define R(x) (img_a_hi - A_SHORT + (x))
    mov eax, 0xBAD00005
    jmp short R(LB_OFF + B_SHORT)
    times A_FALL - A_SHORT - ($ - img_a_hi) db 0xCC
%rep 6
    mov eax, 0xBAD00006         ; A_FALL: on to the last byte
%endrep
    xor edx, edx
img_a_hi_end:
    AT_SIZE img_a_hi, 0x1000 - A_SHORT

; LB: MARK + path << 16 at each target
%macro IMG_B 1
%%s:
    mov eax, %1 + (6 << 16)     ; B_FALL
    ret
    times B_SHORT - ($ - %%s) db 0xCC
    mov eax, %1 + (5 << 16)
    ret
    times B_JMP - ($ - %%s) db 0xCC
    mov eax, %1 + (1 << 16)
    ret
    times B_CALL - ($ - %%s) db 0xCC
    mov eax, %1 + (2 << 16)
    ret
    times B_JCC - ($ - %%s) db 0xCC
    mov eax, %1 + (3 << 16)
    ret
    times B_JCC2 - ($ - %%s) db 0xCC
    mov eax, %1 + (4 << 16)
    ret
    times B_BACK - ($ - %%s) db 0xCC
    mov eax, %1 + (7 << 16)
    ret
    times B_RET - ($ - %%s) db 0xCC
    mov eax, %1 + (9 << 16)
    ret
    times B_JMPR - ($ - %%s) db 0xCC
    mov eax, %1 + (10 << 16)
    ret
    times B_JMPM - ($ - %%s) db 0xCC
    mov eax, %1 + (11 << 16)
    ret
    times B_CALLR - ($ - %%s) db 0xCC
    mov eax, %1 + (12 << 16)
    ret
    times B_CALLM - ($ - %%s) db 0xCC
    mov eax, %1 + (13 << 16)
    ret
    times B_RETN - ($ - %%s) db 0xCC
    mov eax, %1 + (14 << 16)
    ret
    times B_POLY - ($ - %%s) db 0xCC
    mov eax, %1                 ; paths 15, 16 (LA adds the path)
    ret
%endmacro
img_pb:
    IMG_B 0x1111
img_pb_end:
img_pc:
    IMG_B 0x2222
img_pc_end:

img_a2_lo:                      ; LA2 from offset 0
%define R(x) (img_a2_lo - LA2_OFF + (x))
    mov eax, 0xBAD00007
    jmp near R(LB_OFF + B_BACK)
img_a2_lo_end:

img_a2_hi:                      ; LA2 from A2_CROSS
    mov eax, 0xBAD00008
    mov edx, 0xBAD00008
    nop
    nop
    nop
    nop
    db 0xB9, 0x11               ; mov ecx, 44332211h: 3 bytes in LB2
img_a2_hi_end:
    AT_SIZE img_a2_hi, 0x1000 - A2_CROSS

%macro IMG_B2 1                 ; LB2 from 0: the tail, then MARK + 8 << 16
%%s:
    db 0x22, 0x33, 0x44
    mov eax, ecx
    sub eax, 0x44332211 - (%1 + (8 << 16))
    ret
    times B2_POLY - ($ - %%s) db 0xCC
    mov eax, %1 + POLY_LB2      ; paths 15, 16
    ret
%endmacro
img_pb2:
    IMG_B2 0x1111
img_pb2_end:
img_pc2:
    IMG_B2 0x2222
img_pc2_end:

; PE / PF from E_ENTRY: EAX = N(N+1)/2 + N * the page's linear base
; (low 32 bits), by a loop of JMP, CALL and Jcc within the page.
%macro IMG_E 1
%%s:
    mov ecx, %1
    xor eax, eax
%%loop:
    add eax, ecx
    jmp near %%mid
    times E_MID - E_ENTRY - ($ - %%s) db 0xCC
%%mid:
    call %%get
%%get:
    db 0x5A                     ; pop edx (pop rdx in 64-bit mode)
    sub edx, E_MID + 5
    add eax, edx
    sub ecx, 1
    jnz near %%loop
    ret
%endmacro
img_pe:
    IMG_E E_N1
img_pe_end:
img_pf:
    IMG_E E_N2
img_pf_end:

; ======================================================================
; data
; ======================================================================
code_tab:                       ; ROM offset, length, destination
    dw img_a_lo, img_a_lo_end - img_a_lo
    dd PA
    dw img_a_hi, img_a_hi_end - img_a_hi
    dd PA + A_SHORT
    dw img_pb, img_pb_end - img_pb
    dd PB
    dw img_pc, img_pc_end - img_pc
    dd PC
    dw img_a2_lo, img_a2_lo_end - img_a2_lo
    dd PA2
    dw img_a2_hi, img_a2_hi_end - img_a2_hi
    dd PA2 + A2_CROSS
    dw img_pb2, img_pb2_end - img_pb2
    dd PB2
    dw img_pc2, img_pc2_end - img_pc2
    dd PC2
    dw img_pe, img_pe_end - img_pe
    dd PE + E_ENTRY
    dw img_pf, img_pf_end - img_pf
    dd PF + E_ENTRY
    dw drive32, drive32_end - drive32
    dd DRV32
    dw 0

region_map:                     ; page of the region, frame
    dw 0
    dd PA
    dw LB_OFF >> 12
    dd PB
    dw LA2_OFF >> 12
    dd PA2
    dw LB2_OFF >> 12
    dd PB2
    dw LE1_OFF >> 12
    dd PE
    dw LE2_OFF >> 12
    dd PE
    dw LX_OFF >> 12
    dd PA
    dw (LX_OFF + LB_OFF) >> 12
    dd PC
    dw (LX_OFF + LA2_OFF) >> 12
    dd PA2
    dw (LX_OFF + LB2_OFF) >> 12
    dd PC2
    dw 0xFFFF

; rows: entry on even turns, on odd turns, name, tag (EAX = mark + tag)
%macro PATHS 1
    dd A_JMP, A_JMP + %1, p_jmp, 1 << 16
    dd A_CALL, A_CALL + %1, p_call, 2 << 16
    dd A_JCC, A_JCC + %1, p_jcc, 3 << 16
    dd A_JCC2, A_JCC2 + %1, p_jcc2, 4 << 16
    dd A_SHORT, A_SHORT + %1, p_short, 5 << 16
    dd A_FALL, A_FALL + %1, p_fall, 6 << 16
    dd LA2_OFF + A2_BACK, LA2_OFF + A2_BACK + %1, p_back, 7 << 16
    dd LA2_OFF + A2_CROSS, LA2_OFF + A2_CROSS + %1, p_cross, 8 << 16
    dd A_RET, A_RET + %1, p_ret, 9 << 16
    dd A_JMPR, A_JMPR + %1, p_jmpr, 10 << 16
    dd A_JMPM, A_JMPM + %1, p_jmpm, 11 << 16
    dd A_CALLR, A_CALLR + %1, p_callr, 12 << 16
    dd A_CALLM, A_CALLM + %1, p_callm, 13 << 16
    dd A_RETN, A_RETN + %1, p_retn, 14 << 16
    dd A_POLY2, A_POLY2 + %1, p_poly2, 15 << 16
    dd A_POLY3, A_POLY3 + %1, p_poly3, 16 << 16
%endmacro
paths:   PATHS 0
paths_x: PATHS LX_OFF
epath:
    dd LE1_OFF + E_ENTRY, LE2_OFF + E_ENTRY, p_same, 0

xgdt:
    DESC 0xF0000, 0xFFFF, 0x9B, 0x0     ; SEL_CODE16
    DESC 0, 0xFFFF, 0x93, 0x0           ; SEL_DATA16
xgdt_end:
rm_idtr: dw 0x3FF
         dd 0

str_pm32:  db "pm32 ", 0
str_lm64:  db "lm64 ", 0
str_colon: db ": ", 0
str_d1:    db "  (wrong turns ", 0
str_d2:    db "; the first in phase ", 0
str_d3:    db ", turn ", 0
str_d4:    db ": eax ", 0
str_d5:    db ", want ", 0
str_d6:    db `)\n`, 0
s_invlpg:  db "next page remapped, INVLPG", 0
s_cr3:     db "MOV CR3 every turn between two roots mapping the next page apart", 0
s_cr3g:    db "MOV CR3 every turn between two roots mapping the next page apart, the jumping page global", 0
s_ginvlpg: db "next page global, remapped, INVLPG", 0
s_gpge:    db "next page global, remapped, CR4.PGE cleared and set (no INVLPG)", 0
s_gcr3:    db "next page global, MOV CR3 every turn, remapped with INVLPG", 0
s_alias:   db "the jumping page at a second address whose next page maps another frame, by turns", 0
s_same:    db "one frame at two addresses (the second remapped now and then)", 0
p_jmp:     db "JMP rel32 into the next page runs the code mapped there now", 0
p_call:    db "CALL rel32 into the next page runs the code mapped there now", 0
p_jcc:     db "a taken Jcc (side exit) into the next page runs the code mapped there now", 0
p_jcc2:    db "a taken Jcc (block end) into the next page runs the code mapped there now", 0
p_short:   db "JMP rel8 over the page end runs the code mapped there now", 0
p_fall:    db "code running off the page end goes on with the code mapped there now", 0
p_back:    db "JMP rel32 back into the page below runs the code mapped there now", 0
p_cross:   db "an instruction straddling the page end, then the code mapped there now", 0
p_ret:     db "RET into the next page runs the code mapped there now", 0
p_jmpr:    db "JMP through a register into the next page runs the code mapped there now", 0
p_jmpm:    db "JMP through memory into the next page runs the code mapped there now", 0
p_callr:   db "CALL through a register into the next page runs the code mapped there now", 0
p_callm:   db "CALL through memory into the next page runs the code mapped there now", 0
p_retn:    db "RET imm16 into the next page runs the code mapped there now", 0
p_poly2:   db "one RET into the next page and the one after by turns runs the code mapped there now", 0
p_poly3:   db "one RET into the next page every third call, else the one after, runs the code mapped there now", 0
p_same:    db "a loop of JMP/CALL/Jcc within the page gives each alias its own result", 0

    LM_LIB
ROM_END
