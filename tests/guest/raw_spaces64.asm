; raw_spaces64.asm — many address spaces and page-table edits that no TLB
; flush announces, the way an engine that shadows guest user mappings per
; address space and keeps them across CR3 writes must follow them. Ring-3
; code reads and writes fixed linear addresses natively; the kernel
; (user64.inc's, plus the system calls below) edits the tables, mostly
; those of an address space that is not current, and only ever relies on
; what the SDM guarantees: with no PCID (and no global user pages), MOV CR3
; invalidates every TLB and paging-structure cache entry, INVLPG those of
; its page, a #PF those of the faulting address, and an entry whose P goes
; from 0 to 1 needs no invalidation at all (Intel SDM vol. 3A 4.10.4.1,
; 4.10.4.3). The checks, numbered as printed:
;  1  ten address spaces (ten PML4s sharing the kernel half), one user page
;     at 512 GiB mapped to another frame in each, visited round robin three
;     times: each sees its frame and the writes made in it before;
;  2  a PTE of a space changed while another runs (no INVLPG), then MOV CR3
;     to it; the same for a page table shared by three spaces (one of them
;     using it at another linear address); a whole page table rewritten
;     with REP MOVSQ (entries 0 and 17h changed);
;  3  the same one level up and more: PDE to another page table, PDPTE to
;     another PD, PML4E to another space's PDPT, PDE to a 2 MiB page; a
;     PDE and a PDPTE made not present (#PF code 4 / 6 with CR2 and RIP;
;     the handler sets P again without INVLPG and the access is retried);
;  4  A and D cleared in a PTE of a space that is not current, in the
;     current space with INVLPG, and with a CR3 reload: a read sets A only,
;     a write then D;
;  5  R/W cleared in the PTE of a written page of a space that is not
;     current (and in the current one, then a CR3 reload): a write faults,
;     code 7, and is retried once R/W is back; XD set by a 32-bit write to
;     the upper half of a code page's PTE: a fetch faults, code 15h;
;  6  a user-writable page that is the page table mapping it (a recursive
;     PTE): the user reads the table through it, writes a PTE through it
;     to remap another of its pages, and after a system call doing INVLPG
;     or a CR3 reload sees the new frame, eight times back and forth; once
;     with the alias's A/D already set and read first, once with them clear
;     and written first;
;  7  one frame of code mapped writable (data, NX) in space 0 and
;     executable in spaces 5, 6 (another address) and 8 (the same address):
;     the user rewrites an immediate in space 0 and calls the code in the
;     others (the CR3 write and IRETQ serialize: SDM vol. 3A, "Handling
;     Self- and Cross-Modifying Code"); and both
;     mappings in one space, with CPUID in a system call in between; then
;     CPUID written into the frame in space 0 and run in space 5 reports
;     what the kernel's CPUID does (the code is the guest's, so is CPUID);
;  8  a recursive PML4 entry (user, read-only): the user reads a PTE and a
;     PDE through it and follows their changes, which also change what the
;     recursive addresses map; a write through it faults;
;  9  frames user code wrote as data become page tables of space 5: then
;     user writes to them (from space 3, from spaces 3 and 4, from space 5
;     itself) change space 5's mappings;
; 10  fw_cfg DMA (QEMU's device, which rawbox has too; skipped where there
;     is none) reads 16 bytes ("QEMU" and zeros) over two PTEs of space 1
;     while space 0 runs: one becomes a supervisor page (#PF code 5), the
;     other not present (#PF code 4).
;
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
; raw-native: its ring-3 code is in guest RAM, so raw mode must run it on the host CPU (where the host runs 64-bit code: always)
%include "rom.inc"
%include "lm.inc"
%include "user64.inc"

; the tests' tables, identity mapped for the kernel (supervisor 2 MiB pages)
%define TB(n)      (0x600000 + (n) * 0x1000)
%define SPML4(i)   TB(i)               ; space i = 0..9
%define SPDPT(i)   TB(16 + (i))        ; its PML4[1]
%define SPD(i)     TB(32 + (i))
%define SPT(i)     TB(48 + (i))
%define PT_ALT     TB(64)              ; check 3: another PT,
%define PD_ALT     TB(65)              ; another PD,
%define PT_ALT2    TB(66)              ; and its PT
%define SHPT       TB(67)              ; check 2: shared by spaces 2, 3, 4
%define APT0       TB(68)              ; check 6: space 0's aliased table
%define APT7       TB(69)              ; and space 7's
%define PT_T       TB(70)              ; check 2: SPT(5) but entries 0, 17h
%define NTB        71
%define SPACES     10

; user linear addresses, all under PML4[1]
%define TPAGE      0x8000000000        ; SPT(i)[0] -> UFRAME(i)
%define CODE_W     0x8000001000        ; SPT(i)[1]: the code frame, check 7
%define CODE_X     0x8000002000        ; SPT(i)[2]
%define SH2        0x8000200000        ; SPD(2)[1], SPD(4)[1] -> SHPT
%define SH3        0x8000400000        ; SPD(3)[2] -> SHPT
%define AP         0x8000600000        ; SPD(0)[3] -> APT0, SPD(7)[3] -> APT7
%define ALIAS      (AP + 0x1FF000)     ; APTn[511] -> APTn itself
%define DPAGE(n)   (TPAGE + (n) * 0x1000)      ; check 9: data views of
%define QLIN(n)    (TPAGE + (n) * 0x200000)    ; tables at SPD(5)[n]
; check 8: space 2's PML4[2] -> SPML4(2): the PTE and PDE of TPAGE
%define RPTE       ((2 << 39) | ((TPAGE >> 9) & 0x7FFFFFFFF8))
%define RPDE       ((2 << 39) | (2 << 30) | ((TPAGE >> 18) & 0x3FFFFFF8))

; frames: the first qword of UFRAME(n) is MARK(n); the 2 MiB page BIG has
; MARK(0xB16) and MARK(0xB19) at offsets 0 and 3000h
%define MARK(n)    (0x5ACE0000 + (n))
%define BIG        0x800000
%define CF         UFRAME(30)          ; code: mov eax, imm32 / ret
%define V1(r, i)   (0x1000 + (r) * 16 + (i))   ; check 1's writes

%define NX         (1 << 63)

; user variables
%define U_I      (U_FREE + 0)
%define U_R      (U_FREE + 8)
%define U_MISS   (U_FREE + 16)
%define U_V      (U_FREE + 24)

; kernel variables: the #PF fix armed by SYS_ARM
%define K_FIXP   0x4B00
%define K_FIXV   0x4B08

; system calls
%define SYS_SPACE  (SYS_TEST + 0)  ; RDI = i: CR3 = SPML4(i)
%define SYS_POKE   (SYS_TEST + 1)  ; [RDI] = RSI (physical); RDX != 0: INVLPG [RDX]
%define SYS_PEEK   (SYS_TEST + 2)  ; RAX = [RDI] (physical)
%define SYS_INVLPG (SYS_TEST + 3)  ; INVLPG [RDI]
%define SYS_RELOAD (SYS_TEST + 4)  ; MOV CR3, CR3
%define SYS_ARM    (SYS_TEST + 5)  ; next user #PF: [RDI] = RSI (no INVLPG), retry
%define SYS_SERIAL (SYS_TEST + 6)  ; CPUID
%define SYS_COPY   (SYS_TEST + 7)  ; RDX qwords from RSI to RDI (physical), REP MOVSQ
%define SYS_POKE32 (SYS_TEST + 8)  ; dword [RDI] = ESI (physical)
%define SYS_CPUID0 (SYS_TEST + 9)  ; RAX = EBX of CPUID leaf 0
%define SYS_DMA    (SYS_TEST + 10) ; fw_cfg DMA: RSI bytes of the signature
                                   ; item to physical RDI; RAX = 1: no DMA
%define FWCFG      0x510
%define K_DMA      0x4B40          ; the DMA descriptor

start:
    ROM_INIT
    PUTS `raw_spaces64: ten address spaces and page-table edits without flushes\n`
    LM_ENTER
    U64_INIT
    SET_SYSCALL SYS_SPACE, sys_space
    SET_SYSCALL SYS_POKE, sys_poke
    SET_SYSCALL SYS_PEEK, sys_peek
    SET_SYSCALL SYS_INVLPG, sys_invlpg
    SET_SYSCALL SYS_RELOAD, sys_reload
    SET_SYSCALL SYS_ARM, sys_arm
    SET_SYSCALL SYS_SERIAL, sys_serial
    SET_SYSCALL SYS_COPY, sys_copy
    SET_SYSCALL SYS_POKE32, sys_poke32
    SET_SYSCALL SYS_CPUID0, sys_cpuid0
    SET_SYSCALL SYS_DMA, sys_dma
    lea rax, [rel pf_fix]
    mov [K_PF_HOOK], rax
    xor eax, eax
    mov [K_FIXP], rax

    ; tables zeroed; frames zeroed and marked
    mov edi, TB(0)
    mov ecx, NTB * 512
    rep stosq
    mov edi, UFRAME(0)
    mov ecx, 64 * 512
    rep stosq
    mov edi, UFRAME(0)
    mov eax, MARK(0)
.mark:
    mov [rdi], rax
    inc eax
    add edi, 0x1000
    cmp edi, UFRAME(64)
    jb .mark
    mov qword [BIG], MARK(0xB16)
    mov qword [BIG + 0x3000], MARK(0xB19)

    ; ten spaces: the kernel half of PML4_A, then PML4[1] -> PDPT -> PD ->
    ; PT -> UFRAME(i) at TPAGE
%assign i 0
%rep SPACES
    mov rax, [PML4_A]
    mov [SPML4(i)], rax
    mov qword [SPML4(i) + 8], SPDPT(i) | 7
    mov qword [SPDPT(i)], SPD(i) | 7
    mov qword [SPD(i)], SPT(i) | 7
    mov qword [SPT(i)], UFRAME(i) | 7
%assign i i + 1
%endrep
    mov qword [SPD(2) + 1 * 8], SHPT | 7
    mov qword [SPD(3) + 2 * 8], SHPT | 7
    mov qword [SPD(4) + 1 * 8], SHPT | 7
    mov qword [SHPT], UFRAME(23) | 7
    mov qword [PT_ALT], UFRAME(21) | 7
    mov qword [PD_ALT], PT_ALT2 | 7
    mov qword [PT_ALT2], UFRAME(22) | 7
    ; recursive PTEs: space 0's with A and D set (and its PDE's A, so that
    ; no walk writes the PDE), space 7's with them clear
    mov qword [SPD(0) + 3 * 8], APT0 | 0x27
    mov qword [APT0], UFRAME(25) | 7
    mov qword [APT0 + 511 * 8], APT0 | 0x67
    mov qword [SPD(7) + 3 * 8], APT7 | 7
    mov qword [APT7], UFRAME(27) | 7
    mov qword [APT7 + 511 * 8], APT7 | 7
    ; the code frame: writable data in 0 and 9, code in 5, 6, 8 and 9
    mov rax, 0x0000C300000000B8         ; mov eax, 0 / ret
    mov [CF], rax
    mov rax, NX | CF | 7
    mov [SPT(0) + 1 * 8], rax
    mov [SPT(9) + 1 * 8], rax
    mov qword [SPT(5) + 2 * 8], CF | 5
    mov qword [SPT(6) + 2 * 8], CF | 5
    mov qword [SPT(8) + 1 * 8], CF | 5
    mov qword [SPT(9) + 2 * 8], CF | 5
    ; check 8: space 2's recursive entry
    mov qword [SPML4(2) + 2 * 8], SPML4(2) | 5
    ; check 9: Q1 = UFRAME(45) and Q2 = UFRAME(49) data in spaces 3 and 4,
    ; Q3 = UFRAME(52) in space 5
    mov qword [SPT(3) + 3 * 8], UFRAME(45) | 7
    mov qword [SPT(4) + 3 * 8], UFRAME(45) | 7
    mov qword [SPT(3) + 4 * 8], UFRAME(49) | 7
    mov qword [SPT(4) + 4 * 8], UFRAME(49) | 7
    mov qword [SPT(5) + 5 * 8], UFRAME(52) | 7
    ; check 10: two more pages of space 1
    mov qword [SPT(1) + 0x16 * 8], UFRAME(56) | 7
    mov qword [SPT(1) + 0x17 * 8], UFRAME(55) | 7
    ; check 2: SPT(5) with UFRAME(43) at TPAGE and UFRAME(42) at 17h
    mov qword [SPT(5) + 0x17 * 8], UFRAME(41) | 7
    mov esi, SPT(5)
    mov edi, PT_T
    mov ecx, 512
    rep movsq
    mov qword [PT_T], UFRAME(43) | 7
    mov qword [PT_T + 0x17 * 8], UFRAME(42) | 7
    mov eax, SPML4(0)
    mov cr3, rax

    U64_RUN user_main
    FINISH64


; ---------------------------------------------------------------- kernel
sys_space:
    mov rax, [rbp + F_RDI]
    shl rax, 12
    add rax, SPML4(0)
    mov cr3, rax
    ret

sys_poke:
    mov rax, [rbp + F_RDI]
    mov rdx, [rbp + F_RSI]
    mov [rax], rdx
    mov rax, [rbp + F_RDX]
    test rax, rax
    jz .ret
    invlpg [rax]
.ret:
    ret

sys_peek:
    mov rax, [rbp + F_RDI]
    mov rax, [rax]
    mov [rbp + F_RAX], rax
    ret

sys_invlpg:
    mov rax, [rbp + F_RDI]
    invlpg [rax]
    ret

sys_reload:
    mov rax, cr3
    mov cr3, rax
    ret

sys_arm:
    mov rax, [rbp + F_RSI]
    mov [K_FIXV], rax
    mov rax, [rbp + F_RDI]
    mov [K_FIXP], rax
    ret

sys_serial:
    xor eax, eax
    cpuid
    ret

sys_copy:
    mov rdi, [rbp + F_RDI]
    mov rsi, [rbp + F_RSI]
    mov rcx, [rbp + F_RDX]
    rep movsq
    ret

sys_poke32:
    mov rax, [rbp + F_RDI]
    mov edx, [rbp + F_RSI]
    mov [rax], edx
    ret

sys_cpuid0:
    xor eax, eax
    cpuid
    mov [rbp + F_RAX], rbx
    ret

; fw_cfg: the signature item (key 0) must read "QEMU" and the ID item
; (key 1) have bit 1 (DMA); then a DMA read with select (control bits 3
; and 1), whose control word comes back 0
sys_dma:
    mov qword [rbp + F_RAX], 1
    mov dx, FWCFG
    xor eax, eax
    out dx, ax
    inc edx
    xor ecx, ecx
.sig:
    in al, dx
    shl ecx, 8
    mov cl, al
    cmp ecx, 'Q'
    je .sig
    cmp ecx, ('Q' << 8) | 'E'
    je .sig
    cmp ecx, ('Q' << 16) | ('E' << 8) | 'M'
    je .sig
    cmp ecx, ('Q' << 24) | ('E' << 16) | ('M' << 8) | 'U'
    jne .ret
    dec edx
    mov ax, 1
    out dx, ax
    inc edx
    in al, dx
    test al, 2
    jz .ret
    mov dword [K_DMA], 0x0A000000       ; big endian (key 0 << 16) | 0Ah
    mov eax, [rbp + F_RSI]
    bswap eax
    mov [K_DMA + 4], eax
    mov dword [K_DMA + 8], 0
    mov eax, [rbp + F_RDI]
    bswap eax
    mov [K_DMA + 12], eax
    mov dx, FWCFG + 4
    xor eax, eax
    out dx, eax
    mov dx, FWCFG + 8
    mov eax, K_DMA
    bswap eax
    out dx, eax
    mov eax, [K_DMA]
    mov [rbp + F_RAX], rax
.ret:
    ret

; #PF with a fix armed: make it (a P or R/W bit going from 0 to 1 needs no
; INVLPG, and the #PF itself drops the faulting address's entries), retry
pf_fix:
    mov rax, [K_FIXP]
    test rax, rax
    jz .no
    mov rdx, [K_FIXV]
    mov [rax], rdx
    mov qword [K_FIXP], 0
    clc
    ret
.no:
    stc
    ret

; ---------------------------------------------------------------- user
    U64_USER_BEGIN

%macro SPACE 1
    mov edi, %1
    USYS SYS_SPACE
%endmacro
%macro POKE 3                   ; physical, value, INVLPG address or 0
    mov edi, %1
    mov rsi, %2
    mov rdx, %3
    USYS SYS_POKE
%endmacro
%macro ARM 2
    mov edi, %1
    mov rsi, %2
    USYS SYS_ARM
%endmacro
%macro AD_EXPECT 3              ; PTE at physical %1: A/D bits = %2
    mov edi, %1
    USYS SYS_PEEK
    and eax, 0x60
    UEXPECT rax, %2, %3
%endmacro

user_main:
    call u_spaces
    call u_pte
    call u_upper
    call u_ad
    call u_wp
    call u_alias0
    call u_alias7
    call u_code
    call u_recursive
    call u_newtables
    call u_dma
    USYS SYS_EXIT

; RAX = what the user saw, RDX = what it should have: a difference counts
; in U_MISS and is printed (not a check line)
u_want:
    cmp rax, rdx
    je .ok
    inc qword [U_MISS]
    UPUT "got", rax
    UPUT "want", rdx
.ok:
    ret

; ---- 1: ten spaces round robin ----
u_spaces:
    xor eax, eax
    mov [U_MISS], rax
    mov [U_R], rax
    mov rbx, TPAGE
.round:
    mov qword [U_I], 0
.space:
    mov rdi, [U_I]
    mov eax, SYS_SPACE
    test dil, 1
    jz .int
    syscall
    jmp .in
.int:
    int 0x80
.in:
    mov rax, [rbx]
    mov rdx, [U_I]
    add edx, MARK(0)
    call u_want
    xor edx, edx                        ; round 0: never written
    cmp qword [U_R], 0
    je .prev
    mov rdx, [U_R]
    shl rdx, 4
    add rdx, [U_I]
    add rdx, V1(-1, 0)
.prev:
    mov rax, [rbx + 8]
    call u_want
    add rdx, 16
    cmp qword [U_R], 0
    jne .write
    mov rdx, [U_I]
    add rdx, V1(0, 0)
.write:
    mov [rbx + 8], rdx
    mov rax, [rbx + 8]
    call u_want
    inc qword [U_I]
    cmp qword [U_I], SPACES
    jb .space
    inc qword [U_R]
    cmp qword [U_R], 3
    jb .round
    UEXPECT [U_MISS], 0, "1: ten address spaces (more than raw mode's 8 helpers) visited round robin three times by MOV CR3: each reads its own frame and the writes made in it before"
    ret

; ---- 2: a PTE changed while its space is not current ----
u_pte:
    mov rbx, TPAGE
    SPACE 1
    UEXPECT [rbx], MARK(1), "2: space 1 reads its frame"
    SPACE 0
    POKE SPT(1), UFRAME(20) | 7, 0
    SPACE 1
    UEXPECT [rbx], MARK(20), "2: space 1's PTE pointed at another frame while space 0 ran (no INVLPG): space 1 reads the new frame"
    mov qword [rbx + 8], 0x2020
    SPACE 0
    POKE SPT(1), UFRAME(1) | 7, 0
    SPACE 1
    UEXPECT [rbx], MARK(1), "2: changed back the same way: space 1 reads its first frame"
    UEXPECT [rbx + 8], V1(2, 1), "2: with the value it wrote there in check 1"

    mov r12, SH2
    mov r13, SH3
    SPACE 2
    UEXPECT [r12], MARK(23), "2: space 2 reads the page of the shared table at 8000200000h"
    mov qword [r12 + 8], 0x2323
    SPACE 3
    UEXPECT [r13 + 8], 0x2323, "2: space 3 reads the same frame through it at 8000400000h"
    SPACE 4
    UEXPECT [r12 + 8], 0x2323, "2: space 4 reads it at 8000200000h"
    SPACE 0
    POKE SHPT, UFRAME(24) | 7, 0
    SPACE 2
    UEXPECT [r12], MARK(24), "2: the shared table's PTE changed while space 0 ran: space 2 reads the new frame"
    SPACE 3
    UEXPECT [r13], MARK(24), "2: space 3 (the other address) too"
    SPACE 4
    UEXPECT [r12], MARK(24), "2: space 4 too"

    SPACE 5
    UEXPECT [rbx], MARK(5), "2: space 5 reads its frame"
    UEXPECT [rbx + 0x17000], MARK(41), "2: and its page 17h"
    SPACE 0
    mov edi, SPT(5)
    mov esi, PT_T
    mov edx, 512
    USYS SYS_COPY
    SPACE 5
    UEXPECT [rbx], MARK(43), "2: space 5's whole page table rewritten by REP MOVSQ while space 0 ran: space 5 reads the new frame"
    UEXPECT [rbx + 0x17000], MARK(42), "2: and the new frame of its page 17h"
    ret

; ---- 3: upper-level entries ----
u_upper:
    mov rbx, TPAGE
    SPACE 1
    UEXPECT [rbx], MARK(1), "3: space 1 reads its frame"
    SPACE 0
    POKE SPD(1), PT_ALT | 7, 0
    SPACE 1
    UEXPECT [rbx], MARK(21), "3a: space 1's PDE pointed at another page table while space 0 ran: its frame is read"
    SPACE 0
    POKE SPDPT(1), PD_ALT | 7, 0
    SPACE 1
    UEXPECT [rbx], MARK(22), "3b: space 1's PDPTE pointed at another PD while space 0 ran: that PD's frame is read"
    SPACE 0
    POKE SPML4(1) + 8, SPDPT(9) | 7, 0
    SPACE 1
    UEXPECT [rbx], MARK(9), "3c: space 1's PML4E pointed at space 9's PDPT while space 0 ran: space 9's frame is read"
    UEXPECT [rbx + 8], V1(2, 9), "3c: with space 9's writes"
    SPACE 0
    POKE SPML4(1) + 8, SPDPT(1) | 7, 0
    POKE SPDPT(1), SPD(1) | 7, 0
    POKE SPD(1), BIG | 0x87, 0
    SPACE 1
    UEXPECT [rbx], MARK(0xB16), "3d: space 1's PDE made a 2 MiB page while space 0 ran: its first 4 KiB are read"
    UEXPECT [rbx + 0x3000], MARK(0xB19), "3d: and its fourth"
    SPACE 0
    POKE SPD(1), SPT(1) | 7, 0
    SPACE 1
    UEXPECT [rbx], MARK(1), "3: all three entries set back while space 0 ran: space 1 reads its own frame"

    SPACE 0
    POKE SPD(1), SPT(1) | 6, 0
    ARM SPD(1), SPT(1) | 7
    SPACE 1
.pf:
    mov rax, [rbx + 8]
    UEXC 14, 4, UL(.pf), TPAGE + 8, "3e: space 1's PDE made not present while space 0 ran: a read faults, code 4, CR2, RIP"
    UEXPECT rax, V1(2, 1), "3e: the read is retried once P is set again (no INVLPG)"
    SPACE 0
    POKE SPDPT(1), SPD(1) | 6, 0
    ARM SPDPT(1), SPD(1) | 7
    SPACE 1
    mov ecx, 0x3F3F
.pfw:
    mov [rbx + 16], rcx
    UEXC 14, 6, UL(.pfw), TPAGE + 16, "3f: space 1's PDPTE made not present while space 0 ran: a write faults, code 6, CR2, RIP"
    UEXPECT [rbx + 16], 0x3F3F, "3f: the retried write lands"
    ret

; ---- 4: accessed and dirty bits ----
u_ad:
    mov rbx, TPAGE
    SPACE 1
    mov qword [rbx + 24], 0x44
    SPACE 0
    POKE SPT(1), UFRAME(1) | 7, 0
    SPACE 1
    mov rax, [rbx]
    AD_EXPECT SPT(1), 0x20, "4a: A and D cleared in space 1's PTE while space 0 ran: a read in space 1 sets A, not D"
    mov qword [rbx + 24], 0x45
    AD_EXPECT SPT(1), 0x60, "4a: then a write sets D"
    POKE SPT(1), UFRAME(1) | 7, TPAGE
    mov rax, [rbx]
    AD_EXPECT SPT(1), 0x20, "4b: A and D cleared in the current space with INVLPG: a read sets A, not D"
    mov qword [rbx + 24], 0x46
    AD_EXPECT SPT(1), 0x60, "4b: then a write sets D"
    POKE SPT(1), UFRAME(1) | 7, 0
    USYS SYS_RELOAD
    mov rax, [rbx]
    AD_EXPECT SPT(1), 0x20, "4c: A and D cleared in the current space, CR3 reloaded: a read sets A, not D"
    mov qword [rbx + 24], 0x47
    AD_EXPECT SPT(1), 0x60, "4c: then a write sets D"
    UEXPECT [rbx + 24], 0x47, "4: and the writes landed"
    ret

; ---- 5: write protection ----
u_wp:
    mov rbx, TPAGE
    SPACE 1
    mov qword [rbx + 32], 1
    SPACE 0
    POKE SPT(1), UFRAME(1) | 0x65, 0
    ARM SPT(1), UFRAME(1) | 0x67
    SPACE 1
    mov rax, [rbx + 32]
    UEXPECT rax, 1, "5: space 1's written page made read-only (A, D kept) while space 0 ran: a read works"
.w:
    mov qword [rbx + 32], 2
    UEXC 14, 7, UL(.w), TPAGE + 32, "5: a write faults, code 7 (P W U), CR2, RIP"
    UEXPECT [rbx + 32], 2, "5: the retried write lands once R/W is set again"
    POKE SPT(1), UFRAME(1) | 0x65, 0
    ARM SPT(1), UFRAME(1) | 0x67
    USYS SYS_RELOAD
.w2:
    mov qword [rbx + 32], 3
    UEXC 14, 7, UL(.w2), TPAGE + 32, "5: made read-only in the current space, CR3 reloaded: a write faults, code 7"
    UEXPECT [rbx + 32], 3, "5: the retried write lands"

    mov r13, CODE_X
    SPACE 6
    call r13
    UEXPECT rax, 0, "5: space 6 runs its code page"
    SPACE 0
    mov edi, SPT(6) + 2 * 8 + 4
    mov esi, NX >> 32
    USYS SYS_POKE32
    ARM SPT(6) + 2 * 8, CF | 0x25
    SPACE 6
    mov eax, 1
    call r13
    UEXC 14, 0x15, CODE_X, CODE_X, "5: XD set in space 6's code PTE by a 32-bit write to its upper half while space 0 ran: a fetch faults, code 15h (P U I/D)"
    UEXPECT rax, 0, "5: the fetch is retried once XD is clear"
    ret

; ---- 6: a page table the user maps and writes ----
; RBX = page 0, R12 = the alias, R13 = page 0's frames (first in the high
; dword, second in the low), R14 = the alias's own entry as it must read
u_alias:
    xor eax, eax
    mov [U_MISS], rax
    mov [U_I], rax
.loop:
    mov r15, r13                        ; odd rounds: back to the first frame
    shr r15, 32
    test byte [U_I], 1
    jnz .frame
    mov r15d, r13d                      ; even rounds: the second
.frame:
    mov rdx, r15
    or edx, 7
    mov [r12], rdx
    mov rdi, rbx
    mov eax, SYS_INVLPG
    test byte [U_I], 1
    jz .sys
    mov eax, SYS_RELOAD
.sys:
    int 0x80
    lea rdx, [r15 - UFRAME(0)]
    shr edx, 12
    add edx, MARK(0)
    mov rax, [rbx]
    call u_want
    lea rdx, [r15 + 0x27]               ; the entry once used: A set
    mov rax, [r12]
    call u_want
    mov rax, [r12 + 511 * 8]
    mov rdx, r14
    call u_want
    inc qword [U_I]
    cmp qword [U_I], 8
    jb .loop
    ret

u_alias0:
    SPACE 0
    mov rbx, AP
    mov r12, ALIAS
    UEXPECT [r12 + 511 * 8], APT0 | 0x67, "6a: space 0's recursive PTE (A, D set), read first: the alias shows its own entry"
    UEXPECT [r12], UFRAME(25) | 7, "6a: and page 0's, not used yet"
    UEXPECT [rbx], MARK(25), "6a: page 0 reads its frame"
    mov r13, (UFRAME(25) << 32) | UFRAME(26)
    mov r14, APT0 | 0x67
    call u_alias
    UEXPECT [U_MISS], 0, "6a: page 0 remapped 8 times by user writes to the alias, each followed by INVLPG or a CR3 reload in a system call: reads follow, the alias shows A set"
    ret

u_alias7:
    SPACE 7
    mov rbx, AP
    mov r12, ALIAS
    mov qword [r12 + 8], UFRAME(29) | 7
    UEXPECT [rbx + 0x1000], MARK(29), "6b: space 7's recursive PTE (A, D clear), written first: the PTE written through it maps page 1"
    UEXPECT [rbx], MARK(27), "6b: page 0 reads its frame"
    UEXPECT [r12 + 511 * 8], APT7 | 0x67, "6b: the alias's own entry now has A and D set"
    mov r13, (UFRAME(27) << 32) | UFRAME(28)
    mov r14, APT7 | 0x67
    call u_alias
    UEXPECT [U_MISS], 0, "6b: page 0 remapped 8 times through that alias, each followed by INVLPG or a CR3 reload: reads follow"
    ret

; ---- 7: code written in one space, run in others ----
u_code:
    mov r12, CODE_W
    mov r13, CODE_X
    SPACE 5
    call r13
    UEXPECT rax, 0, "7: space 5 runs the code frame at 8000002000h"
    SPACE 6
    call r13
    UEXPECT rax, 0, "7: space 6 at 8000002000h"
    SPACE 8
    call r12
    UEXPECT rax, 0, "7: space 8 at 8000001000h"
    xor eax, eax
    mov [U_MISS], rax
    mov [U_I], rax
.loop:
    SPACE 0
    mov rdx, [U_I]
    imul edx, edx, 0x01010101
    add edx, 0x11223344
    mov [r12 + 1], edx
    mov [U_V], rdx
    mov rax, [U_I]                      ; spaces 5, 6, 8 in turn
    xor edx, edx
    mov ecx, 3
    div ecx
    lea rdi, [rdx + 5]
    cmp edx, 2
    jne .sp
    mov edi, 8
.sp:
    USYS SYS_SPACE
    mov rcx, r13
    cmp edi, 8
    jne .call
    mov rcx, r12
.call:
    call rcx
    mov rdx, [U_V]
    call u_want
    inc qword [U_I]
    cmp qword [U_I], 12
    jb .loop
    UEXPECT [U_MISS], 0, "7: an immediate rewritten 12 times through the writable mapping in space 0, run each time in space 5, 6 or 8: the new code runs"

    SPACE 9
    call r13
    mov [U_V], rax
    UEXPECT [U_V], 0x11223344 + 11 * 0x01010101, "7b: space 9 maps the frame writable and executable: the last code runs"
    xor eax, eax
    mov [U_MISS], rax
    mov [U_I], rax
.loop9:
    mov rdx, [U_I]
    imul edx, edx, 0x00110011
    add edx, 0x7700
    mov [r12 + 1], edx
    mov [U_V], rdx
    USYS SYS_SERIAL
    call r13
    mov rdx, [U_V]
    call u_want
    inc qword [U_I]
    cmp qword [U_I], 8
    jb .loop9
    UEXPECT [U_MISS], 0, "7b: rewritten 8 times through the writable address, CPUID in a system call, run at the executable one: the new code runs"

    ; 31 C0 0F A2 89 D8 C3: xor eax, eax / cpuid / mov eax, ebx / ret,
    ; built so that this page does not hold CPUID's bytes itself
    SPACE 5
    call r13
    mov [U_V], rax
    SPACE 0
    mov eax, ~0xA20FC031
    not eax
    mov [r12], eax
    mov dword [r12 + 4], 0x00C3D889
    USYS SYS_CPUID0
    mov [U_V], rax
    SPACE 5
    push rbx
    call r13
    pop rbx
    UEXPECT rax, [U_V], "7c: CPUID written into the frame in space 0, run in space 5: it reports what the kernel's CPUID does (vendor, EBX)"
    ret

; ---- 8: a recursive PML4 entry ----
%macro ENTRY_EXPECT 3           ; the entry at user address %1, A/D masked
    mov rax, %1
    and eax, ~0x60
    UEXPECT rax, %2, %3
%endmacro
u_recursive:
    mov rbx, TPAGE
    mov r12, RPTE
    mov r13, RPDE
    SPACE 2
    UEXPECT [rbx], MARK(2), "8: space 2 reads its frame"
    ENTRY_EXPECT [r12], UFRAME(2) | 7, "8: space 2's recursive PML4 entry (user, read-only): the PTE of the page read through it"
    ENTRY_EXPECT [r13], SPT(2) | 7, "8: and its PDE"
    SPACE 0
    POKE SPT(2), UFRAME(44) | 7, 0
    SPACE 2
    UEXPECT [rbx], MARK(44), "8: the PTE changed while space 0 ran: space 2 reads the new frame"
    ENTRY_EXPECT [r12], UFRAME(44) | 7, "8: and the new PTE through the recursive entry"
    SPACE 0
    POKE SPD(2), PT_ALT | 7, 0
    SPACE 2
    UEXPECT [rbx], MARK(21), "8: the PDE pointed at another page table while space 0 ran: space 2 reads its frame"
    ENTRY_EXPECT [r12], UFRAME(21) | 7, "8: the recursive address of the PTE now maps that page table"
    ENTRY_EXPECT [r13], PT_ALT | 7, "8: and the PDE reads the new value"
    SPACE 0
    POKE SPD(2), SPT(2) | 7, 0
    POKE SPT(2), UFRAME(2) | 7, 0
    SPACE 2
    UEXPECT [rbx], MARK(2), "8: both set back while space 0 ran: space 2 reads its frame"
    ENTRY_EXPECT [r12], UFRAME(2) | 7, "8: and its PTE through the recursive entry"
    UTRY
    mov [r12], rax
    UCATCH 14, 7, "8: a user write through the read-only recursive entry faults, code 7"
    ret

; ---- 9: data frames become page tables ----
u_newtables:
    SPACE 4
    mov rbx, DPAGE(3)
    UEXPECT [rbx], MARK(45), "9: spaces 3 and 4 map frame Q1 as data"
    SPACE 3
    mov qword [rbx], UFRAME(46) | 7
    SPACE 0
    POKE SPD(5) + 3 * 8, UFRAME(45) | 7, 0
    SPACE 5
    mov r12, QLIN(3)
    UEXPECT [r12], MARK(46), "9a: Q1, written by space 3, made a page table of space 5: its entry maps"
    SPACE 3
    mov qword [rbx], UFRAME(47) | 7
    SPACE 5
    UEXPECT [r12], MARK(47), "9a: space 3 rewrote the entry through its data mapping: space 5 follows"
    SPACE 4
    mov qword [rbx], UFRAME(48) | 7
    SPACE 5
    UEXPECT [r12], MARK(48), "9a: so does space 4"

    mov rbx, DPAGE(4)
    SPACE 3
    mov qword [rbx], UFRAME(50) | 7
    SPACE 4
    mov qword [rbx + 8], 0
    SPACE 0
    POKE SPD(5) + 4 * 8, UFRAME(49) | 7, 0
    SPACE 5
    mov r12, QLIN(4)
    UEXPECT [r12], MARK(50), "9b: Q2, written by spaces 3 and 4, made a page table of space 5: its entry maps"
    SPACE 4
    mov qword [rbx], UFRAME(51) | 7
    SPACE 5
    UEXPECT [r12], MARK(51), "9b: space 4 rewrote the entry: space 5 follows"
    SPACE 3
    mov qword [rbx], UFRAME(50) | 7
    SPACE 5
    UEXPECT [r12], MARK(50), "9b: so does space 3"

    SPACE 5
    mov rbx, DPAGE(5)
    mov r12, QLIN(5)
    mov qword [rbx], UFRAME(53) | 7
    POKE SPD(5) + 5 * 8, UFRAME(52) | 7, 0
    UEXPECT [r12], MARK(53), "9c: Q3, written by space 5, made a page table of space 5 itself: its entry maps"
    mov qword [rbx], UFRAME(54) | 7
    mov rdi, r12
    USYS SYS_INVLPG
    UEXPECT [r12], MARK(54), "9c: space 5 rewrote the entry through its data mapping, then INVLPG: it follows"
    ret

; ---- 10: DMA into page tables ----
u_dma:
    mov rbx, TPAGE
    SPACE 1
    UEXPECT [rbx + 0x16000], MARK(56), "10: space 1 reads its pages 16h"
    UEXPECT [rbx + 0x17000], MARK(55), "10: and 17h"
    SPACE 0
    mov edi, SPT(1) + 0x16 * 8
    mov esi, 16
    USYS SYS_DMA
    test rax, rax
    jnz .none
    ARM SPT(1) + 0x17 * 8, UFRAME(55) | 0x67
    SPACE 1
.r17:
    mov rax, [rbx + 0x17000]
    UEXC 14, 4, UL(.r17), TPAGE + 0x17000, "10: fw_cfg DMA wrote 'QEMU' and zeros over PTEs 16h and 17h of space 1 while space 0 ran: page 17h is not present, #PF code 4"
    UEXPECT rax, MARK(55), "10: the read is retried once the PTE is back"
    ARM SPT(1) + 0x16 * 8, UFRAME(56) | 0x67
.r16:
    mov rax, [rbx + 0x16000]
    UEXC 14, 5, UL(.r16), TPAGE + 0x16000, "10: page 16h is a supervisor page now, #PF code 5"
    UEXPECT rax, MARK(56), "10: the read is retried once the PTE is back"
    ret
.none:
    USAY "10: no fw_cfg DMA here: nothing to check"
    ret

    U64_USER_DATA
    dq 0
    U64_USER_END

    U64_LIB
    LM_LIB
    ROM_END
