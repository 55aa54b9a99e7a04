; jit_cross.asm — a hot routine whose instruction runs from one page into
; the next (32-bit protected mode, paging): the recompiler translates such
; an instruction with the bytes it found in the next page and must notice
; when they change, whether through a store into that page or a new
; mapping of it (INVLPG), and when the next page is not present (#PF at
; the fetch, CR2 = the next page).
;  - routine at 0x400FF0: ADD EBX, 1; three NOPs; then MOV EAX, imm32 at
;    0x400FFD, whose last two immediate bytes sit at 0x401000; RETF there (called through the flat code selector 0x30).
;  - 240 calls; from turn 64 every fourth turn stores a new immediate
;    byte at 0x401000 (or 0x401001), every eighth turn switches the page
;    at 0x401000 between two frames holding different bytes (INVLPG);
;    the value each call returns is compared with what the bytes say.
;  - then the page at 0x401000 is made not present: the call faults in
;    the fetch of the MOV (#PF, error code 0, CR2 0x401000, return EIP
;    0x400FFD, EBX already incremented).
; Intel SDM vol. 3A 8.1.3 (self-modifying code), 4.10.4 (INVLPG), 6.15
; (#PF on an instruction fetch).
%include "rom.inc"
%include "pg32.inc"

%define PD     0x20000
%define PT0    0x21000
%define PT1    0x22000          ; 0x400000..0x7FFFFF
%define FA     0x30000          ; 0x400000: the routine's first page
%define FB     0x31000          ; 0x401000, frame B
%define FC     0x32000          ; 0x401000, frame C
%define TURNS  240

start:
    ROM_INIT
    PUTS `jit_cross: an instruction across a page boundary in hot code\n`
    PM_ENTER

    mov edi, PD
    xor eax, eax
    mov ecx, 3 * 1024
    rep stosd
    mov dword [PD + 0], PT0 | 3
    mov dword [PD + 4], PT1 | 3
    mov edi, PT0
    mov eax, 3
    mov ecx, 1024
.id:
    stosd
    add eax, 0x1000
    loop .id
    mov dword [PT1 + 0], FA | 3
    mov dword [PT1 + 4], FB | 3

    ; the routine: 83 C3 01 (ADD EBX, 1) at FF0, NOPs, B8 (MOV EAX) at FFD
    ; with i0 i1 = 11 22 in this page and i2 i3 + CB (RETF) in the next
    mov edi, FA + 0xFF0
    mov al, 0x90
    mov ecx, 16
    rep stosb
    mov word [FA + 0xFF0], 0xC383
    mov byte [FA + 0xFF2], 0x01
    mov byte [FA + 0xFFD], 0xB8
    mov word [FA + 0xFFE], 0x2211
    mov dword [FB], 0x00CB4433
    mov dword [FC], 0x00CB8877

    mov eax, PD
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    jmp .paged
.paged:
    PUTS32 `paging on\n`

    ; EBP = turn, EBX = calls made (the routine counts), ESI = mismatches,
    ; EDI = the immediate expected next.
    xor ebp, ebp
    xor ebx, ebx
    xor esi, esi
    mov edi, 0x44332211
.turn:
    cmp ebp, 64
    jb .call
    test ebp, 7
    jnz .patch
    ; every eighth turn: the other frame at 0x401000
    mov eax, [PT1 + 4]
    xor eax, (FB ^ FC)
    mov [PT1 + 4], eax
    invlpg [0x401000]
    movzx eax, word [0x401000]
    shl eax, 16
    and edi, 0xFFFF
    or edi, eax
    jmp .call
.patch:
    test ebp, 3
    jnz .call
    ; every fourth turn: a new byte through the linear address
    mov eax, ebp
    mov ecx, ebp
    shr ecx, 2
    and ecx, 1
    mov [0x401000 + ecx], al
    movzx eax, word [0x401000]
    shl eax, 16
    and edi, 0xFFFF
    or edi, eax
.call:
    call 0x30:0x400FF0
    cmp eax, edi
    je .same
    inc esi
.same:
    inc ebp
    cmp ebp, TURNS
    jb .turn
    EXPECT32 esi, 0, "every call returned the immediate its bytes held"
    EXPECT32 ebx, TURNS, "every call ran the routine"

    ; ---- the next page not present: #PF in the fetch ----
    mov dword [PT1 + 4], 0
    invlpg [0x401000]
    ; the fault returns in the routine's flat code segment (base 0):
    ; RESUME is a linear address there, which jumps back to this one
    ARM 0xF0000 + .pf_flat
    call 0x30:0x400FF0
.pf_flat:
    jmp 0x08:.pf
.pf:
    add esp, 8                      ; the far call's return address
    EXPECT32 [EXC_VEC], 14, "#PF fetching the MOV across the page"
    EXPECT32 [EXC_ERR], 0, "error code: not present, supervisor read"
    mov eax, cr2
    EXPECT32 eax, 0x401000, "CR2 is the next page"
    EXPECT32 [EXC_EIP], 0x400FFD, "return EIP is the MOV"
    EXPECT32 ebx, TURNS + 1, "the ADD before it ran"
    FINISH32

bits 16
ROM_END
