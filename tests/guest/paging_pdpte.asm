; paging_pdpte.asm — when PAE paging (re)loads its four PDPTE registers.
; Two page directories, PDA and PDB, map the pages at 0x400000 + k*4 KiB to
; different frames (marked 0xA0+k and 0xB0+k); the code and data stay
; identity-mapped through both. Each check rewrites PDPT entry 0 in memory
; to name the other directory, performs one event that the SDM says loads
; the PDPTEs from CR3, and reads a page no earlier check has touched (so no
; TLB entry can answer for it): the value shows which directory the walk
; used. Events: MOV CR0 setting PG; MOV CR0 changing CD; changing NW (with
; CD); MOV CR4 changing PGE and PSE; MOV CR3 with the same value and with
; another PDPT.
; The opposite case (a PDPT written in memory with no such event keeps the
; old registers, e.g. across CLTS) is in tests/unit/cpu/paging_test.c: QEMU
; reads the PDPT at walk time and would not agree.
; Intel SDM vol. 3A 4.4.1 (PDPTE registers: "If PAE paging would be in use
; following an execution of MOV to CR0 or MOV to CR4 and the instruction is
; modifying any of CR0.CD, CR0.NW, CR0.PG, CR4.PAE, CR4.PGE, or CR4.PSE").
; Linux 686-pae toggles CR0.CD with PAE paging on when it programs MTRRs.
%include "rom.inc"
%include "pg32.inc"

%define PDPT   0x23000          ; first PDPT (32-byte aligned)
%define PDPT2  0x23020          ; second PDPT in the same page
%define PDA    0x24000
%define PDB    0x25000
%define PT0    0x26000          ; identity map of 0..2 MiB (both directories)
%define PTA    0x27000          ; 4..6 MiB through PDA
%define PTB    0x28000          ; 4..6 MiB through PDB
%define FRAMES 0x30000          ; frame k of A: FRAMES + 2k*4K, of B: + (2k+1)*4K
%define NPAGES 10

; POINT dir: PDPT entry 0 (in memory only) -> dir
%macro POINT 1
    mov dword [PDPT], %1 | 1
    mov dword [PDPT + 4], 0
%endmacro

start:
    ROM_INIT
    PUTS `paging_pdpte: PDPTE register loads (MOV CR0 PG/CD/NW, CR4 PGE/PSE, CR3)\n`
    PM_ENTER

    mov edi, PDPT
    xor eax, eax
    mov ecx, (FRAMES + 2 * NPAGES * 0x1000 - PDPT) / 4
    rep stosd
    mov dword [PDPT2], PDB | 1
    mov dword [PDA + 0 * 8], PT0 | 7
    mov dword [PDA + 2 * 8], PTA | 7
    mov dword [PDB + 0 * 8], PT0 | 7
    mov dword [PDB + 2 * 8], PTB | 7
    mov edi, PT0
    mov eax, 7
    mov ecx, 512
.id:
    mov [edi], eax
    add edi, 8
    add eax, 0x1000
    loop .id
    ; page k: PTA[k] -> frame 2k (marked 0xA0+k), PTB[k] -> frame 2k+1 (0xB0+k)
    xor ecx, ecx
.pages:
    mov eax, ecx
    shl eax, 13                     ; 2k * 4 KiB
    add eax, FRAMES
    mov edx, ecx
    add edx, 0xA0
    mov [eax], edx
    add edx, 0x10
    mov [eax + 0x1000], edx
    lea edx, [eax + 7]
    mov [PTA + ecx * 8], edx
    add edx, 0x1000
    mov [PTB + ecx * 8], edx
    inc ecx
    cmp ecx, NPAGES
    jb .pages

    ; CD and NW are set at reset: start with caching enabled.
    mov eax, cr0
    and eax, ~0x60000000
    mov cr0, eax

    ; MOV CR0 setting PG loads the PDPTEs.
    POINT PDA
    mov eax, cr4
    or eax, 0x20                    ; PAE
    mov cr4, eax
    mov eax, PDPT
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    jmp .on
.on:
    EXPECT32 [0x400000], 0xA0, "MOV CR0 setting PG loads the PDPTEs"

    ; MOV CR0 setting CD, then clearing it: each reloads.
    POINT PDB
    mov eax, cr0
    or eax, 0x40000000              ; CD
    mov cr0, eax
    EXPECT32 [0x401000], 0xB1, "MOV CR0 setting CD reloads the PDPTEs"
    POINT PDA
    mov eax, cr0
    and eax, ~0x40000000
    mov cr0, eax
    EXPECT32 [0x402000], 0xA2, "MOV CR0 clearing CD reloads the PDPTEs"

    ; NW (only valid with CD): set CD, then NW too, then clear both.
    mov eax, cr0
    or eax, 0x40000000
    mov cr0, eax
    POINT PDB
    or eax, 0x20000000              ; NW
    mov cr0, eax
    EXPECT32 [0x403000], 0xB3, "MOV CR0 setting NW reloads the PDPTEs"
    and eax, ~0x60000000
    mov cr0, eax

    ; CR4: PGE and PSE changes reload.
    POINT PDA
    mov eax, cr4
    or eax, 0x80                    ; PGE
    mov cr4, eax
    EXPECT32 [0x404000], 0xA4, "MOV CR4 setting PGE reloads the PDPTEs"
    POINT PDB
    or eax, 0x10                    ; PSE
    mov cr4, eax
    EXPECT32 [0x405000], 0xB5, "MOV CR4 setting PSE reloads the PDPTEs"
    and eax, ~0x90
    mov cr4, eax

    ; MOV CR3 reloads, with the same value and with another table.
    POINT PDA
    mov eax, PDPT
    mov cr3, eax
    EXPECT32 [0x406000], 0xA6, "MOV CR3 (same value) reloads the PDPTEs"
    mov eax, PDPT2
    mov cr3, eax
    EXPECT32 [0x407000], 0xB7, "MOV CR3 of a second PDPT"
    mov eax, PDPT
    mov cr3, eax
    EXPECT32 [0x408000], 0xA8, "MOV CR3 back to the first PDPT"

    mov eax, cr0
    and eax, 0x7fffffff
    mov cr0, eax
    mov eax, cr4
    and eax, ~0x20
    mov cr4, eax
    FINISH32

bits 16
ROM_END
