; paging_pae.asm — large pages and PAE: 4 MiB pages with CR4.PSE (A/D in
; the PDE, 22-bit offsets, the PS bit ignored without PSE), then PAE paging
; with 4 KiB and 2 MiB pages, A/D bits in 8-byte entries, #PF with the RSVD
; bit for reserved bits set in a PTE and a PDE (bit 62; bit 63 = XD is
; reserved while EFER.NXE is off) for supervisor and user accesses.
; Reserved PDPTE bits are not tested here: Intel CPUs refuse them with #GP
; at MOV CR3 while QEMU reads the PDPTEs at walk time (the unit test
; tests/unit/cpu/paging_test.c covers our #GP).
; Intel SDM vol. 3A 4.3, 4.4, 4.7 (error code RSVD), 4.8.
;
; qemu-differs: QEMU reports a reserved-bit #PF with P=0 (error code 8/0xa/0xc); the SDM (4.7: P=0 only for a not-present entry) and real CPUs ("Bad pagetable: 0009" in Linux logs) set P=1 with RSVD, as rawbox does.
%include "rom.inc"
%include "pg32.inc"

%define PD     0x20000          ; 32-bit page directory
%define PT0    0x21000          ; identity map 0..4 MiB
%define PDPT   0x23000          ; PAE: 4 PDPTEs (32-byte aligned)
%define PAEPD  0x24000          ; PAE page directory for 0..1 GiB
%define PAEPT0 0x25000          ; PAE table for 0..2 MiB (identity)
%define PAEPT2 0x26000          ; PAE table for 4..6 MiB

start:
    ROM_INIT
    PUTS `paging_pae: 4 MiB PSE pages, PAE 4 KiB and 2 MiB pages\n`
    PM_ENTER

    ; ---- 32-bit paging with a 4 MiB page ----
    mov edi, PD
    xor eax, eax
    mov ecx, 2 * 1024
    rep stosd
    mov dword [PD + 0], PT0 | 3
    mov edi, PT0
    mov eax, 3
    mov ecx, 1024
.id:
    stosd
    add eax, 0x1000
    loop .id
    ; 0x800000..0xBFFFFF -> 0xC00000 as one 4 MiB page (PS = bit 7)
    mov dword [PD + 8], 0x00C00000 | 0x83
    mov dword [0xC12344], 0xfeedbeef
    mov eax, cr4
    or eax, 0x10                    ; PSE
    mov cr4, eax
    mov eax, PD
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    jmp .p1
.p1:
    EXPECT32 [0x812344], 0xfeedbeef, "4 MiB page: 22-bit offset"
    mov eax, [PD + 8]
    and eax, 0x60
    EXPECT32 eax, 0x20, "4 MiB PDE accessed, not dirty"
    mov dword [0xBFFFFC], 0x01020304
    mov eax, [PD + 8]
    and eax, 0x60
    EXPECT32 eax, 0x60, "4 MiB PDE dirty after a write"
    ARM .f1
    mov eax, [0xC00000]             ; PDE 3 not present
.f1:
    EXPECT32 [EXC_ERR], 0, "#PF next to the large page"
    EXPECT32 [EXC_CR2], 0xC00000, "CR2 for it"
    ; Without CR4.PSE the PS bit is ignored: the PDE names a page table.
    mov dword [PD + 8], PT0 | 0x83
    mov eax, cr4
    and eax, ~0x10
    mov cr4, eax
    mov dword [0x5000], 0x5a5a1234
    EXPECT32 [0x805000], 0x5a5a1234, "PS ignored without CR4.PSE"
    mov eax, cr0
    and eax, 0x7fffffff
    mov cr0, eax

    ; ---- PAE ----
    mov edi, PDPT
    xor eax, eax
    mov ecx, (PAEPT2 + 0x1000 - PDPT) / 4
    rep stosd
    mov dword [PDPT + 0], PAEPD | 1
    mov dword [PAEPD + 0 * 8], PAEPT0 | 7   ; 0..2 MiB: table, user
    mov dword [PAEPD + 1 * 8], 0x200000 | 0x83   ; 2..4 MiB: identity 2 MiB page
    mov dword [PAEPD + 2 * 8], PAEPT2 | 7   ; 4..6 MiB: table
    mov dword [PAEPD + 3 * 8], 0xA00000 | 0x87   ; 6..8 MiB -> 10..12 MiB
    mov edi, PAEPT0
    mov eax, 7
    mov ecx, 512
.id2:
    mov [edi], eax
    add edi, 8
    add eax, 0x1000
    loop .id2
    mov dword [PAEPT2 + 0 * 8], 0x30000 | 7     ; 0x400000 -> 0x30000
    mov dword [PAEPT2 + 1 * 8], 0x31000 | 7     ; reserved bit 62 set below
    mov dword [PAEPT2 + 1 * 8 + 4], 0x40000000
    mov dword [PAEPT2 + 2 * 8], 0x32000 | 7     ; XD set: reserved without NXE
    mov dword [PAEPT2 + 2 * 8 + 4], 0x80000000
    mov dword [0x30000], 0xa5a5a5a5
    mov dword [0xA54320], 0x0badcafe

    mov eax, cr4
    or eax, 0x20                    ; PAE
    mov cr4, eax
    mov eax, PDPT
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    jmp .p2
.p2:
    PUTS32 `PAE paging on\n`
    EXPECT32 [0x400000], 0xa5a5a5a5, "PAE 4 KiB page"
    mov eax, [PAEPT2]
    and eax, 0x60
    EXPECT32 eax, 0x20, "PAE PTE accessed"
    mov eax, [PAEPD + 2 * 8]
    and eax, 0x20
    EXPECT32 eax, 0x20, "PAE PDE accessed"
    mov dword [0x400010], 7
    mov eax, [PAEPT2]
    and eax, 0x60
    EXPECT32 eax, 0x60, "PAE PTE dirty"
    EXPECT32 [0x654320], 0x0badcafe, "PAE 2 MiB page: 21-bit offset"
    mov eax, [PAEPD + 3 * 8]
    and eax, 0x60
    EXPECT32 eax, 0x20, "PAE 2 MiB PDE accessed, not dirty"
    mov byte [0x7fffff], 1
    mov eax, [PAEPD + 3 * 8]
    and eax, 0x60
    EXPECT32 eax, 0x60, "PAE 2 MiB PDE dirty"
    EXPECT32 [0x300000], 0, "identity 2 MiB page"

    PUTS32 `note: the SDM sets P together with RSVD; QEMU leaves P clear (qemu-differs)\n`
    ARM .f2
    mov eax, [0x401000]
.f2:
    EXPECT32 [EXC_VEC], 14, "reserved bit 62 in a PTE faults"
    EXPECT32 [EXC_ERR], 9, "error code 9: P + RSVD on a read"
    EXPECT32 [EXC_CR2], 0x401000, "CR2 for the reserved-bit fault"
    ARM .f3
    mov dword [0x402000], 0
.f3:
    EXPECT32 [EXC_ERR], 0xb, "XD without EFER.NXE is reserved: P + W + RSVD"
    USER_CALL user_rsvd
    EXPECT32 [EXC_ERR], 0xd, "user read of a reserved PTE: P + U + RSVD"
    ARM .f4
    mov eax, [0x403000]
.f4:
    EXPECT32 [EXC_ERR], 0, "PAE not-present PTE"
    ARM .f5
    mov eax, [0x40000000]
.f5:
    EXPECT32 [EXC_ERR], 0, "PAE not-present PDPTE"
    EXPECT32 [EXC_CR2], 0x40000000, "CR2 for the PDPTE fault"
    ; A reserved bit in a 2 MiB PDE.
    mov dword [PAEPD + 3 * 8 + 4], 0x40000000
    invlpg [0x600000]
    ARM .f6
    mov eax, [0x600000]
.f6:
    EXPECT32 [EXC_ERR], 9, "reserved bit in a 2 MiB PDE"

    mov eax, cr0
    and eax, 0x7fffffff
    mov cr0, eax
    mov eax, cr4
    and eax, ~0x20
    mov cr4, eax
    FINISH32

user_rsvd:
    ARM .r
    mov eax, [0x401000]
.r: int 0x30

bits 16
ROM_END
