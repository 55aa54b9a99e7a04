; lm_paging.asm — 4-level paging in long mode: 4 KiB, 2 MiB and 1 GiB
; pages (1 GiB when CPUID 80000001h EDX.Page1GB), accessed/dirty bits in
; every level, not-present and protection #PF error codes with CR2, NX with
; EFER.NXE (I/D bit), return addresses above 4 GiB (#PF, INT n, an
; instruction breakpoint), x87 operands above 4 GiB, reserved bits (RSVD with P), U/S from ring 3, R/W
; with CR0.WP, SMEP and SMAP (STAC) when CPUID 7 has them, INVLPG, CR4.PGE
; and PCID (when CPUID.1:ECX.PCID; QEMU TCG has none, so that part is not
; cross-checked yet).
; Intel SDM vol. 3A 4.5 (4-level paging), 4.6 (access rights), 4.7 (#PF
; error code), 4.6.1 (SMEP/SMAP), 4.8 (A/D), 4.10.1 (PCID), 4.10.4 (invalidation);
; AMD APM vol. 2 5.3-5.6.
;
; All checks that the host has features for (no 1 GiB pages, no PCID there)
; pass on the development host's AMD EPYC under KVM, the RSVD codes included.
;
; qemu-differs: QEMU 7.2 TCG reports a reserved-bit #PF with P=0 (SDM 4.7: P=1 whenever RSVD is set, as on real CPUs)
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "lm.inc"

%define PDPT_T 0x14000          ; tables for linear 0x80_0000_0000 up
%define PD_T   0x15000
%define PT_T   0x16000
%define V      0x0000008000000000   ; PML4 entry 1
%define V4K    V                    ; 4 KiB page -> 0x200000
%define V2M    (V + 0x200000)       ; 2 MiB page -> 0x400000
%define V1G    (V + 0x40000000)     ; 1 GiB page -> 0
%define PHYS4K 0x200000
%define PHYS2M 0x400000
%define XD     0x8000000000000000

%define PF_P    1
%define PF_W    2
%define PF_U    4
%define PF_RSVD 8
%define PF_I    0x10

%macro FLUSH 0
    mov rax, cr3
    mov cr3, rax
%endmacro

; RING3 label: run `label` at CPL 3 (64-bit); it must end by faulting,
; which resumes at the CATCH64 that follows (TRY64 before RING3).
%macro RING3 1
    push SEL_DATA_R3
    push USER_TOP
    push 0x2
    push SEL_CODE64_R3
    lea rax, [rel %1]
    push rax
    iretq
%endmacro

start:
    ROM_INIT
    PUTS `lm_paging: 4-level paging, 4K/2M/1G pages, NX, A/D, #PF codes\n`
    LM_ENTER

    ; ---- build the tables for V ----
    cld
    mov edi, PDPT_T
    xor eax, eax
    mov ecx, 3 * 4096 / 8
    rep stosq
    mov qword [PML4_BASE + 8], PDPT_T | 7
    mov qword [PDPT_T], PD_T | 7
    mov qword [PD_T], PT_T | 7
    mov qword [PT_T], PHYS4K | 7
    mov qword [PD_T + 8], PHYS2M | 0x87
    mov qword [PHYS4K + 0x10], 0x4444
    mov qword [PHYS2M + 0x1FFFF8], 0x2222
    FLUSH

    ; ---- 4 KiB and 2 MiB pages, A/D ----
    mov rax, V4K + 0x10
    mov rax, [rax]
    EXPECT64 rax, 0x4444, "a 4 KiB page through all four levels"
    mov rax, [PML4_BASE + 8]
    and eax, 0x60
    EXPECT64 rax, 0x20, "the PML4E is accessed, not dirty, after a read"
    mov rax, [PDPT_T]
    and eax, 0x60
    EXPECT64 rax, 0x20, "the PDPTE is accessed after a read"
    mov rax, [PD_T]
    and eax, 0x60
    EXPECT64 rax, 0x20, "the PDE is accessed after a read"
    mov rax, [PT_T]
    and eax, 0x60
    EXPECT64 rax, 0x20, "the PTE is accessed, not dirty, after a read"
    mov rax, V4K + 0x18
    mov qword [rax], 5
    mov rax, [PT_T]
    and eax, 0x60
    EXPECT64 rax, 0x60, "the PTE is dirty after a write"
    mov rax, [PD_T]
    and eax, 0x40
    EXPECT64 rax, 0, "a PDE that points to a table gets no dirty bit"
    mov rax, V2M + 0x1FFFF8
    mov rax, [rax]
    EXPECT64 rax, 0x2222, "a 2 MiB page: 21-bit offset"
    mov rax, [PD_T + 8]
    and eax, 0x60
    EXPECT64 rax, 0x20, "the 2 MiB PDE is accessed after a read"
    mov rax, V2M
    mov qword [rax], 1
    mov rax, [PD_T + 8]
    and eax, 0x60
    EXPECT64 rax, 0x60, "the 2 MiB PDE is dirty after a write"

    ; ---- 1 GiB page ----
    mov eax, 0x80000001
    cpuid
    bt edx, 26
    jnc .no_1g
    mov qword [PDPT_T + 8], 0x87            ; 1 GiB at physical 0
    FLUSH
    mov rax, V1G + PHYS4K + 0x10
    mov rax, [rax]
    EXPECT64 rax, 0x4444, "a 1 GiB page: 30-bit offset"
    mov rax, [PDPT_T + 8]
    and eax, 0x60
    EXPECT64 rax, 0x20, "the 1 GiB PDPTE is accessed"
    mov qword [PDPT_T + 8], 0x87 | 0x2000   ; bit 13: reserved in a 1 GiB PDPTE
    FLUSH
    mov rax, V1G
    TRY64
    mov rbx, [rax]
    CATCH64 14, PF_P | PF_RSVD, "reserved bit 13 in a 1 GiB PDPTE -> #PF(P|RSVD)"
    jmp .done_1g
.no_1g:
    PUTS64 `note: no 1 GiB pages (CPUID 80000001h EDX bit 26 = 0), not tested\n`
.done_1g:

    ; ---- not present, CR2 ----
    mov rax, V4K + 0x1008
    TRY64
    mov rbx, [rax]
    CATCH64 14, 0, "read of a not-present PTE -> #PF(0)"
    mov rax, V4K + 0x1008
    EXPECT64 [EXC_CR2], rax, "CR2 = the faulting linear address"
    mov rax, V4K + 0x1008
    TRY64
    mov [rax], rbx
    CATCH64 14, PF_W, "write to a not-present PTE -> #PF(W)"
    mov rax, V + 0x80000000     ; PDPTE 2: not present
    TRY64
    mov rbx, [rax]
    CATCH64 14, 0, "not-present PDPTE -> #PF(0)"
    mov rax, 0x0000010000000000 ; PML4E 2: not present
    TRY64
    mov rbx, [rax]
    CATCH64 14, 0, "not-present PML4E -> #PF(0)"

    ; ---- reserved bits ----
    mov qword [PD_T + 8], PHYS2M | 0x87 | 0x2000    ; bit 13 in a 2 MiB PDE
    FLUSH
    mov rax, V2M
    TRY64
    mov rbx, [rax]
    CATCH64 14, PF_P | PF_RSVD, "reserved bit 13 in a 2 MiB PDE -> #PF(P|RSVD)"
    mov qword [PD_T + 8], PHYS2M | 0x87
    or qword [PML4_BASE + 8], 0x80                  ; PS in a PML4E
    FLUSH
    mov rax, V4K
    TRY64
    mov [rax], rbx
    CATCH64 14, PF_P | PF_W | PF_RSVD, "PS set in a PML4E -> #PF(P|W|RSVD)"
    and qword [PML4_BASE + 8], ~0x80
    mov rax, XD
    or [PT_T], rax                                  ; XD with EFER.NXE = 0
    FLUSH
    mov rax, V4K
    TRY64
    mov rbx, [rax]
    CATCH64 14, PF_P | PF_RSVD, "bit 63 with EFER.NXE = 0 is reserved -> #PF(P|RSVD)"

    ; ---- NX ----
    mov ecx, MSR_EFER
    rdmsr
    or eax, EFER_NXE
    wrmsr
    FLUSH
    mov dword [PHYS4K + 0x100], 0x3039B8            ; MOV EAX, 0x3039
    mov dword [PHYS4K + 0x104], 0xC300               ; RET
    mov rax, V4K
    mov rbx, [rax]              ; data reads of an XD page are fine
    EXPECT64 rbx, [PHYS4K], "a read from an XD page with NXE = 1"
    mov rax, V4K + 0x100
    TRY64
.nx_call:
    call rax
    CATCH64 14, PF_P | PF_I, "fetch from an XD page -> #PF(P|I/D)"
    mov rax, V4K + 0x100
    EXPECT64 [EXC_CR2], rax, "CR2 = the fetch address"
    EXPECT64 [EXC_RIP], rax, "the #PF frame RIP = the target (the CALL completed)"
    mov rax, ~XD
    and [PT_T], rax
    mov rax, V4K + 0x100
    invlpg [rax]
    xor eax, eax
    mov rbx, V4K + 0x100
    call rbx
    EXPECT64 rax, 0x3039, "fetch from the page once XD is clear and INVLPG ran"
    ; return addresses above 4 GiB: INT n and an instruction breakpoint
    mov word [PHYS4K + 0x110], 0x40CD               ; INT 40h
    mov rax, V4K + 0x110
    TRY64
    call rax
    CATCH64 0x40, -1, "INT 40h at RIP 80_0000_0110h"
    mov rax, V4K + 0x112
    EXPECT64 [EXC_RIP], rax, "the INT frame RIP is the next instruction, all 64 bits"
    mov rax, V4K + 0x100
    mov dr0, rax
    mov eax, 0x401                                  ; L0: execute breakpoint
    mov dr7, rax
    mov rax, V4K + 0x100
    TRY64
    call rax
    CATCH64 1, -1, "DR0 = 80_0000_0100h: instruction breakpoint -> #DB"
    mov rax, V4K + 0x100
    EXPECT64 [EXC_RIP], rax, "the #DB frame RIP is the breakpoint address"
    xor eax, eax
    mov dr7, rax
    ; x87 memory operands above 4 GiB
    mov dword [PHYS4K + 0x200], 12345
    mov rax, V4K + 0x200
    fninit
    fild dword [rax]
    fistp dword [rax + 4]
    mov eax, [PHYS4K + 0x204]
    EXPECT64 rax, 12345, "x87 FILD/FISTP through a linear address above 4 GiB"
    mov rax, V + 0x3000
    TRY64
    call rax
    CATCH64 14, PF_I, "fetch from a not-present page -> #PF(I/D)"

    ; ---- U/S and R/W ----
    and qword [PT_T], ~4                            ; supervisor page
    FLUSH
    TRY64
    RING3 user_read
    CATCH64 14, PF_P | PF_U, "ring-3 read of a supervisor page -> #PF(P|U)"
    or qword [PT_T], 4
    and qword [PT_T], ~2                            ; user, read-only
    FLUSH
    TRY64
    RING3 user_read
    CATCH64 6, -1, "ring-3 read of a user read-only page succeeds (then UD2)"
    EXPECT64 [EXC_CS], SEL_CODE64_R3, "the UD2 ran at CPL 3"
    TRY64
    RING3 user_write
    CATCH64 14, PF_P | PF_W | PF_U, "ring-3 write to a read-only page -> #PF(P|W|U)"
    and qword [PD_T], ~2                            ; read-only in the PDE
    or qword [PT_T], 2
    FLUSH
    TRY64
    RING3 user_write
    CATCH64 14, PF_P | PF_W | PF_U, "R/W = 0 in the PDE protects the whole table"
    or qword [PD_T], 2
    and qword [PT_T], ~2
    FLUSH
    mov rax, cr0
    btr rax, 16                                     ; WP = 0
    mov cr0, rax
    mov rax, V4K + 0x20
    mov qword [rax], 0x77
    EXPECT64 [PHYS4K + 0x20], 0x77, "CR0.WP = 0: supervisor writes a read-only page"
    mov rax, cr0
    bts rax, 16
    mov cr0, rax
    mov rax, V4K + 0x20
    TRY64
    mov qword [rax], 0x78
    CATCH64 14, PF_P | PF_W, "CR0.WP = 1: supervisor write to a read-only page -> #PF(P|W)"
    or qword [PT_T], 2
    FLUSH

    ; ---- SMEP and SMAP (user pages seen from CPL 0) ----
    ; The low 2 MiB (ROM code, stacks, tables, IDT/GDT) become supervisor
    ; pages for this part, as SMEP/SMAP would refuse them otherwise.
    mov edi, PT_BASE
.supervisor:
    and qword [rdi], ~4
    add edi, 8
    cmp edi, PT_BASE + 4096
    jb .supervisor
    FLUSH
    mov eax, 7
    xor ecx, ecx
    cpuid
    mov r12d, ebx
    bt r12d, 7                  ; SMEP
    jnc .no_smep
    mov rax, cr4
    bts rax, 20
    mov cr4, rax
    mov rax, V4K + 0x100        ; a user page holding MOV EAX/RET
    TRY64
    call rax
    CATCH64 14, PF_P | PF_I, "CR4.SMEP: CPL-0 fetch from a user page -> #PF(P|I/D)"
    mov rax, cr4
    btr rax, 20
    mov cr4, rax
    jmp .smep_done
.no_smep:
    PUTS64 `note: no SMEP (CPUID 7:EBX bit 7 = 0), not tested\n`
.smep_done:
    bt r12d, 20                 ; SMAP
    jnc .no_smap
    mov r13, [PHYS4K]           ; (the identity map of 0x200000 is user too)
    mov rax, cr4
    bts rax, 21
    mov cr4, rax
    mov rax, V4K
    TRY64
    mov rbx, [rax]
    CATCH64 14, PF_P, "CR4.SMAP: CPL-0 read of a user page with AC = 0 -> #PF(P)"
    stac
    mov rax, V4K
    mov rbx, [rax]
    clac
    EXPECT64 rbx, r13, "CR4.SMAP: the same read with AC = 1 (STAC) is allowed"
    mov rax, cr4
    btr rax, 21
    mov cr4, rax
    jmp .smap_done
.no_smap:
    PUTS64 `note: no SMAP (CPUID 7:EBX bit 20 = 0), not tested\n`
.smap_done:
    mov edi, PT_BASE
.user_again:
    or qword [rdi], 4
    add edi, 8
    cmp edi, PT_BASE + 4096
    jb .user_again
    FLUSH

    ; ---- INVLPG and global pages ----
    mov qword [PHYS4K + 0x1000], 0x5555
    mov rax, V4K
    mov rbx, [rax]              ; V4K -> PHYS4K in the TLB
    mov qword [PT_T], (PHYS4K + 0x1000) | 7
    invlpg [rax]
    mov rbx, [rax]
    EXPECT64 rbx, 0x5555, "INVLPG: the next access walks the new PTE"
    mov rax, cr4
    bts rax, 7                  ; PGE
    mov cr4, rax
    mov qword [PT_T], PHYS4K | 0x107                ; G
    mov rax, cr4
    btr rax, 7                  ; toggling PGE flushes global entries too
    mov cr4, rax
    bts rax, 7
    mov cr4, rax
    mov rax, V4K
    mov rbx, [rax]
    EXPECT64 rbx, [PHYS4K], "global PTE read after a CR4.PGE toggle"
    mov rax, cr4
    btr rax, 7
    mov cr4, rax

    ; ---- PCID ----
    mov eax, 1
    cpuid
    bt ecx, 17
    jnc .no_pcid
    mov rax, PML4_BASE | 1
    mov cr3, rax                ; PCID bits are address bits 11:0 (PWT) here
    mov rax, cr4
    bts rax, 17
    TRY64
    mov cr4, rax
    CATCH64 13, 0, "setting CR4.PCIDE with CR3[11:0] != 0 -> #GP(0)"
    mov rax, PML4_BASE
    mov cr3, rax
    mov rax, cr4
    bts rax, 17
    mov cr4, rax
    mov rax, PML4_BASE | 5
    mov cr3, rax
    mov rax, cr3
    EXPECT64 rax, PML4_BASE | 5, "CR3 holds PCID 5 with CR4.PCIDE = 1"
    mov rax, 0x8000000000000000 | PML4_BASE | 6
    mov cr3, rax
    mov rax, cr3
    EXPECT64 rax, PML4_BASE | 6, "CR3 bit 63 (no flush) is not stored"
    mov rax, V4K
    mov rbx, [rax]
    EXPECT64 rbx, [PHYS4K], "translation works under PCID 6"
    mov rax, PML4_BASE
    mov cr3, rax
    mov rax, cr4
    btr rax, 17
    mov cr4, rax
    jmp .pcid_done
.no_pcid:
    PUTS64 `note: no PCID (CPUID.1:ECX bit 17 = 0), not tested\n`
.pcid_done:
    FINISH64

user_read:
    mov rax, V4K
    mov rbx, [rax]
    ud2
user_write:
    mov rax, V4K + 8
    mov [rax], rbx
    ud2

    LM_LIB
ROM_END
