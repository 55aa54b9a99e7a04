; paging_4k.asm — 32-bit paging with 4 KiB pages: translation, accessed
; and dirty bits in the PDE/PTE, every page-fault error code a 32-bit
; non-PAE CPU without NX can produce (P, W, U combinations) with CR2,
; CR0.WP for supervisor writes, INVLPG after a PTE change, MOV CR3 and
; global pages surviving it (CR4.PGE), and paging off again.
; Intel SDM vol. 3A 4.3, 4.6, 4.7, 4.8, 4.10.4; ENTER's check of the
; final stack pointer (SDM vol. 2 ENTER, #PF).
; qemu-differs: QEMU does not fault an ENTER whose final ESP is in a not-present page (SDM ENTER: #PF)
%include "rom.inc"
%include "pg32.inc"

%define PD     0x20000          ; page directory
%define PT0    0x21000          ; identity map of 0..4 MiB (user, RW)
%define PT1    0x22000          ; 0x400000..0x7FFFFF test pages
%define PTE(n) (PT1 + 4 * (n))
%define FRAME0 0x30000
%define FRAME1 0x31000
%define FRAME2 0x32000
%define FRAME4 0x34000

start:
    ROM_INIT
    PUTS `paging_4k: 32-bit paging, 4 KiB pages\n`
    PM_ENTER

    ; ---- build the tables ----
    mov edi, PD
    xor eax, eax
    mov ecx, 3 * 1024
    rep stosd                       ; PD, PT0, PT1 zeroed
    mov dword [PD + 0], PT0 | 7
    mov dword [PD + 4], PT1 | 7
    mov edi, PT0
    mov eax, 7
    mov ecx, 1024
.id:
    stosd
    add eax, 0x1000
    loop .id
    mov dword [PTE(0)], FRAME0 | 7  ; 0x400000: user RW
    mov dword [PTE(1)], FRAME1 | 5  ; 0x401000: user read-only
    mov dword [PTE(2)], FRAME2 | 3  ; 0x402000: supervisor RW
    mov dword [PTE(3)], 0           ; 0x403000: not present
    mov dword [PTE(4)], FRAME4 | 7  ; 0x404000: user RW
    mov dword [FRAME0], 0x11111111
    mov dword [FRAME1], 0x22222222
    mov dword [FRAME2], 0x33333333
    mov dword [FRAME4], 0x44444444

    mov eax, PD
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    jmp .paged
.paged:
    PUTS32 `paging on\n`

    ; ---- translation, A/D bits ----
    EXPECT32 [0x400000], 0x11111111, "read through a 4 KiB page"
    EXPECT32 [0x401000], 0x22222222, "read-only page readable"
    mov eax, [PD + 4]
    and eax, 0x60
    EXPECT32 eax, 0x20, "PDE accessed set, dirty untouched"
    mov eax, [PTE(0)]
    and eax, 0x60
    EXPECT32 eax, 0x20, "PTE accessed set by a read, dirty clear"
    mov dword [0x400004], 0xabcdef01
    mov eax, [PTE(0)]
    and eax, 0x60
    EXPECT32 eax, 0x60, "PTE dirty set by a write"
    EXPECT32 [FRAME0 + 4], 0xabcdef01, "write reached the frame"
    mov eax, [PTE(4)]
    and eax, 0x60
    EXPECT32 eax, 0, "untouched PTE has neither A nor D"

    ; ---- supervisor page faults ----
    ARM .f1
    mov eax, [0x403010]
.f1:
    EXPECT32 [EXC_VEC], 14, "#PF on a not-present read"
    EXPECT32 [EXC_ERR], 0, "error code 0: supervisor read, not present"
    EXPECT32 [EXC_CR2], 0x403010, "CR2 = faulting address"
    ARM .f2
    mov dword [0x403ffc], 1
.f2:
    EXPECT32 [EXC_ERR], 2, "error code 2: supervisor write, not present"
    EXPECT32 [EXC_CR2], 0x403ffc, "CR2 for the write"
    ARM .f3
    mov eax, [0x7ff000]             ; PT1 entry 1023 is zero
.f3:
    EXPECT32 [EXC_ERR], 0, "not-present PTE at the end of a table"

    ; WP = 0: the supervisor writes to a read-only page.
    mov dword [0x401008], 0x5a5a5a5a
    EXPECT32 [FRAME1 + 8], 0x5a5a5a5a, "CR0.WP=0: supervisor write to read-only page"
    mov eax, cr0
    or eax, 0x10000
    mov cr0, eax
    ARM .f4
    mov dword [0x401008], 0
.f4:
    EXPECT32 [EXC_VEC], 14, "CR0.WP=1: supervisor write to read-only page faults"
    EXPECT32 [EXC_ERR], 3, "error code 3: supervisor write, protection"
    EXPECT32 [FRAME1 + 8], 0x5a5a5a5a, "faulting write stored nothing"
    mov eax, cr0
    and eax, ~0x10000
    mov cr0, eax

    ; A write crossing into a not-present page stores nothing.
    mov dword [0x402ffc], 0x77777777
    ARM .f5
    mov dword [0x402ffe], 0x12345678
.f5:
    EXPECT32 [EXC_CR2], 0x403000, "split write faults on the second page"
    EXPECT32 [0x402ffc], 0x77777777, "split write left the first page unchanged"

    ; ---- user page faults ----
    USER_CALL user_read_super
    EXPECT32 [EXC_ERR], 5, "error code 5: user read of a supervisor page"
    USER_CALL user_write_ro
    EXPECT32 [EXC_ERR], 7, "error code 7: user write to a read-only page"
    USER_CALL user_read_np
    EXPECT32 [EXC_ERR], 4, "error code 4: user read, not present"
    EXPECT32 [EXC_CR2], 0x403abc, "CR2 for the user fault"
    USER_CALL user_write_np
    EXPECT32 [EXC_ERR], 6, "error code 6: user write, not present"
    USER_CALL user_ok
    EXPECT32 [EXC_VEC], 0xFFFFFFFF, "user access to a user RW page"
    EXPECT32 [FRAME4 + 16], 0x600d600d, "user write landed"
    ; ENTER faults when a write at the final ESP would (SDM ENTER #PF),
    ; even though its own pushes hit a present page.
    PUTS32 `note: QEMU does not check the final ESP of ENTER; some of the next four checks fail there\n`
    USER_CALL user_enter_np
    EXPECT32 [EXC_VEC], 14, "ENTER: #PF when the final ESP page is not present"
    EXPECT32 [EXC_ERR], 6, "ENTER: error code 6: user write, not present"
    EXPECT32 [EXC_CR2], 0x403ff8, "ENTER: CR2 = final ESP"
    EXPECT32 [FRAME4 + 0x20], 0x404004, "ENTER: ESP unchanged by the fault"
    mov dword [FRAME4], 0x44444444  ; ENTER's push of EBP landed there

    ; ---- TLB maintenance ----
    mov eax, [0x404000]             ; cache 0x404000 -> FRAME4
    mov dword [PTE(4)], FRAME0 | 7  ; remap without telling the TLB
    mov eax, [0x404000]
    cmp eax, 0x44444444
    je .stale
    PUTS32 `note: no stale TLB entry seen (allowed)\n`
    jmp .invl
.stale:
    PUTS32 `note: stale TLB entry used before INVLPG (allowed)\n`
.invl:
    invlpg [0x404000]
    EXPECT32 [0x404000], 0x11111111, "INVLPG makes the new mapping visible"

    mov dword [PTE(4)], FRAME4 | 7
    mov eax, cr3
    mov cr3, eax
    EXPECT32 [0x404000], 0x44444444, "MOV CR3 flushes non-global entries"

    ; Global page: CR4.PGE with G in the PTE survives MOV CR3 (not
    ; guaranteed to be cached, so only the flush by CR4 is checked).
    mov eax, cr4
    or eax, 0x80
    mov cr4, eax
    mov dword [PTE(4)], FRAME4 | 0x107
    invlpg [0x404000]
    mov eax, [0x404000]
    mov dword [PTE(4)], FRAME0 | 0x107
    mov eax, cr3
    mov cr3, eax
    mov eax, [0x404000]
    cmp eax, 0x44444444
    je .gstale
    PUTS32 `note: global entry not kept across MOV CR3 (allowed)\n`
    jmp .gdone
.gstale:
    PUTS32 `note: global entry kept across MOV CR3\n`
.gdone:
    mov eax, cr4
    and eax, ~0x80
    mov cr4, eax
    EXPECT32 [0x404000], 0x11111111, "clearing CR4.PGE flushes global entries"

    ; ---- paging off ----
    mov eax, cr0
    and eax, 0x7fffffff
    mov cr0, eax
    jmp .flat
.flat:
    EXPECT32 [0x400000], 0, "paging off: linear = physical again"
    EXPECT32 [FRAME0], 0x11111111, "frames still hold the data"
    FINISH32

; ---- ring-3 probes, each ends with int 0x30 ----
user_read_super:
    ARM .r
    mov eax, [0x402000]
.r: int 0x30
user_write_ro:
    ARM .r
    mov dword [0x401000], 0
.r: int 0x30
user_read_np:
    ARM .r
    mov eax, [0x403abc]
.r: int 0x30
user_write_np:
    ARM .r
    mov byte [0x403001], 0
.r: int 0x30
user_enter_np:
    ARM .r
    mov esp, 0x404004
    enter 8, 0
.r: mov [0x404020], esp
    int 0x30
user_ok:
    ARM .r
    mov dword [0x404010], 0x600d600d
.r: int 0x30

bits 16
ROM_END
