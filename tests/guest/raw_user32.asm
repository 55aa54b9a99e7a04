; raw_user32.asm — ring-3 code under a small 32-bit kernel (protected
; mode, 32-bit paging with 4 KiB pages), the behaviour a raw engine that
; runs user code natively must reproduce exactly: system calls by INT 0x80
; and SYSENTER/SYSEXIT with every register in and out (300 round trips
; each); #PF for a not-present page, a read-only page (CR0.WP = 1 and 0),
; a supervisor page (read and write), a fetch from a not-present page and
; a page the kernel unmapped or write-protected after use, with error code,
; CR2 and EIP, retried after the handler's fix; accessed and dirty bits
; (read: A; write: A and D; fetch: A) again after the kernel clears them;
; CR3 switches between two address spaces and a PTE remapped with INVLPG
; or a CR3 reload; #GP (HLT, CLI, STI, IN, OUT, INT through a DPL-0 gate,
; segment loads, privileged instructions), #UD, #DE, #BP, #OF, #AC; x87 #MF
; at FWAIT and SSE #XM; x87 and SSE registers across system calls (and a
; kernel that changes one) and timer interrupts; PIT interrupts preempting
; a user loop; user code and data on a page below 0x10000; self-modifying
; user code. The kernel is user32.inc's; the user code and its constants
; run from guest RAM (read-only pages), as a guest OS's would, so that a
; raw engine really runs them natively.
; Intel SDM vol. 3A 4.3, 4.7, 4.8, 4.10.4 (paging), 5.8.7 (SYSENTER),
; 6.12 (interrupt gates), 6.15 (exception classes), vol. 1 8.7 (x87
; exceptions), 11.5 (SIMD exceptions).
;
; qemu-differs: QEMU 7.2 TCG raises no #GP(0) for a load through a null ES (SDM vol. 3A 5.4.1), never raises #XM for an unmasked SIMD floating-point exception (it writes the masked result; SDM vol. 1 11.5.1, vol. 3A 6.15 interrupt 19) and raises no #AC for a misaligned access with CR0.AM = EFLAGS.AC = 1 at CPL 3 (SDM vol. 3A 6.15 interrupt 17); those checks print "qemu-departs" there
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "pm.inc"
%include "user32.inc"

; user pages (linear) and their frames
%define PFPAGE(n) (0x420000 + (n) * 0x1000)  ; #PF pages -> UFRAME(n)
%define ADPAGE(n) (0x430000 + (n) * 0x1000)  ; A/D pages -> UFRAME(16 + n)
%define RMPAGE    0x440000                   ; remapped: UFRAME(32) / (33)
%define SMCPAGE   0x450000                   ; -> UFRAME(48)
%define SWPAGE    0x800000                   ; PD_A -> UFRAME(64), PD_B -> (65)
%define LOW_LIN   0x2000                     ; user page below 0x10000
%define LOW_FRAME UFRAME(80)
%define PT_SA     PT_FREE                    ; PTs for 8-12 MiB in PD_A, PD_B
%define PT_SB     (PT_FREE + 0x1000)

%define SYS_MIX    (SYS_TEST + 0)   ; scramble EAX-EBP (see sys_mix)
%define SYS_SETWP  (SYS_TEST + 1)   ; EBX = CR0.WP
%define SYS_UNMAP  (SYS_TEST + 2)   ; EBX = linear: PTE = 0, INVLPG
%define SYS_RDONLY (SYS_TEST + 3)   ; EBX = linear: clear R/W, INVLPG
%define SYS_CLRAD  (SYS_TEST + 4)   ; EBX = linear: clear A and D, INVLPG
%define SYS_SETCR3 (SYS_TEST + 5)   ; EBX = 0: PD_A, 1: PD_B
%define SYS_REMAP  (SYS_TEST + 6)   ; EBX = linear, ECX = frame, EDX = 0: INVLPG, 1: reload CR3
%define SYS_FPCHK  (SYS_TEST + 7)   ; check the user x87/SSE state, XMM0 dword 0 += 1
%define SYS_NOP    (SYS_TEST + 8)

; user variables
%define U_I     (U_FREE + 0x00)
%define U_MISS  (U_FREE + 0x04)
%define U_FMISS (U_FREE + 0x08)
%define U_SMISS (U_FREE + 0x0C)
%define U_FL    (U_FREE + 0x10)
%define U_ESP   (U_FREE + 0x14)
%define U_SPIN  (U_FREE + 0x18)
%define U_SUM   (U_FREE + 0x1C)
%define U_OUT   (U_FREE + 0x40)     ; 7 dwords
%define U_BUF   (U_FREE + 0x80)     ; 16-byte aligned

%define ROUNDS  300
%define SPIN_MAX 20000000

start:
    ROM_INIT
    PUTS `raw_user32: ring-3 code under a 32-bit paging kernel\n`
    PM_SETUP
    PM_ENTER32 pm_main

bits 32
pm_main:
    U32_INIT
    SET_SYSCALL SYS_MIX, sys_mix
    SET_SYSCALL SYS_SETWP, sys_setwp
    SET_SYSCALL SYS_UNMAP, sys_unmap
    SET_SYSCALL SYS_RDONLY, sys_rdonly
    SET_SYSCALL SYS_CLRAD, sys_clrad
    SET_SYSCALL SYS_SETCR3, sys_setcr3
    SET_SYSCALL SYS_REMAP, sys_remap
    SET_SYSCALL SYS_FPCHK, sys_fpchk
    SET_SYSCALL SYS_NOP, sys_nop
    mov dword [K_PF_HOOK], pf_fix

    ; frames: zeroed, the first dword of each = 0xC0DE0000 + n
    cld
    mov edi, UFRAME(0)
    xor eax, eax
    mov ecx, 96 * 1024
    rep stosd
    mov edi, UFRAME(0)
    mov eax, 0xC0DE0000
.mark:
    mov [edi], eax
    inc eax
    add edi, 0x1000
    cmp edi, UFRAME(96)
    jb .mark
    ; #PF pages: 0 not present, 1 read-only, 2 supervisor, 3 not present
    ; (code), 4 read-only, 5 user RW, 6 not present, 7 supervisor
    mov dword [U_PTE(PFPAGE(1))], UFRAME(1) | 5
    mov dword [U_PTE(PFPAGE(2))], UFRAME(2) | 3
    mov dword [U_PTE(PFPAGE(4))], UFRAME(4) | 5
    mov dword [U_PTE(PFPAGE(5))], UFRAME(5) | 7
    mov dword [U_PTE(PFPAGE(7))], UFRAME(7) | 3
    mov dword [UFRAME(3)], 0xDE0003B8       ; mov eax, 0xC0DE0003 / ret
    mov word [UFRAME(3) + 4], 0xC3C0
    ; A/D pages, user RW, A = D = 0; page 5 holds a RET
    mov edi, U_PTE(ADPAGE(0))
    mov eax, UFRAME(16) | 7
.ad:
    stosd
    add eax, 0x1000
    cmp edi, U_PTE(ADPAGE(6))
    jb .ad
    mov byte [UFRAME(21)], 0xC3
    mov dword [U_PTE(RMPAGE)], UFRAME(32) | 7
    mov dword [U_PTE(SMCPAGE)], UFRAME(48) | 7
    ; the switched page: PD_A and PD_B map it to different frames
    mov dword [PD_A + 8], PT_SA | 7
    mov dword [PD_B + 8], PT_SB | 7
    mov dword [PT_SA], UFRAME(64) | 7
    mov dword [PT_SB], UFRAME(65) | 7
    ; the low page: code and data copied to LOW_FRAME, mapped at LOW_LIN
    mov esi, KLIN(low_code)
    mov edi, LOW_FRAME
    mov ecx, low_code_end - low_code
    rep movsb
    mov dword [PT_LOW + (LOW_LIN >> 12) * 4], LOW_FRAME | 7
    mov eax, cr3
    mov cr3, eax

    U32_RUN user_main
    FINISH32

; ---------------------------------------------------------------- kernel
; SYS_MIX: EAX = EBX + ESI, EBX ^= 5A5A5A5Ah, ECX *= 3, EDX -= 7,
; ESI += 1001h, EDI = NOT EDI, EBP -= EBX
sys_mix:
    mov eax, [ebp + F_EBX]
    add eax, [ebp + F_ESI]
    mov [ebp + F_EAX], eax
    mov eax, [ebp + F_EBX]
    sub [ebp + F_EBP], eax
    xor dword [ebp + F_EBX], 0x5A5A5A5A
    mov eax, [ebp + F_ECX]
    lea eax, [eax + eax * 2]
    mov [ebp + F_ECX], eax
    sub dword [ebp + F_EDX], 7
    add dword [ebp + F_ESI], 0x1001
    not dword [ebp + F_EDI]
    ret

sys_setwp:
    mov eax, cr0
    and eax, ~0x10000
    cmp dword [ebp + F_EBX], 0
    je .set
    or eax, 0x10000
.set:
    mov cr0, eax
    ret

sys_unmap:
    mov eax, [ebp + F_EBX]
    call k_pte_addr
    mov dword [eax], 0
    mov eax, [ebp + F_EBX]
    invlpg [eax]
    ret

sys_rdonly:
    mov eax, [ebp + F_EBX]
    call k_pte_addr
    and dword [eax], ~2
    mov eax, [ebp + F_EBX]
    invlpg [eax]
    ret

sys_clrad:
    mov eax, [ebp + F_EBX]
    call k_pte_addr
    and dword [eax], ~0x60
    mov eax, [ebp + F_EBX]
    invlpg [eax]
    ret

sys_setcr3:
    mov eax, PD_A
    cmp dword [ebp + F_EBX], 0
    je .set
    mov eax, PD_B
.set:
    mov cr3, eax
    ret

sys_remap:
    mov eax, [ebp + F_EBX]
    call k_pte_addr
    mov edx, [ebp + F_ECX]
    or edx, 7
    mov [eax], edx
    cmp dword [ebp + F_EDX], 0
    jne .cr3
    mov eax, [ebp + F_EBX]
    invlpg [eax]
    ret
.cr3:
    mov eax, cr3
    mov cr3, eax
    ret

sys_nop:
    ret

; #PF hook: a fault on one of the PFPAGEs maps it user RW and retries
pf_fix:
    mov eax, cr2
    sub eax, PFPAGE(0)
    cmp eax, 8 * 0x1000
    jae .no
    and eax, ~0xFFF
    add eax, UFRAME(0) | 7
    push eax
    mov eax, cr2
    call k_pte_addr
    pop dword [eax]
    mov eax, cr2
    invlpg [eax]
    clc
    ret
.no:
    stc
    ret

; SYS_FPCHK: the kernel's FXSAVE must show ST0-ST7 = 8..1 (FILD) and
; XMM0-XMM7 = xmm_pat; then XMM0's dword 0 goes up by one.
sys_fpchk:
    fxsave [K_FX]
    fninit
    mov ecx, 1
.fild:
    mov [SCRATCH], ecx
    fild dword [SCRATCH]
    inc ecx
    cmp ecx, 8
    jbe .fild
    fxsave [K_FX2]
    xor edx, edx                ; mismatches
    xor ecx, ecx
.st:
    mov eax, [K_FX + 32 + ecx * 8]
    cmp eax, [K_FX2 + 32 + ecx * 8]
    setne al
    movzx eax, al
    add edx, eax
    mov eax, [K_FX + 32 + 4 + ecx * 8]
    cmp eax, [K_FX2 + 32 + 4 + ecx * 8]
    setne al
    movzx eax, al
    add edx, eax
    mov ax, [K_FX + 32 + 8 + ecx * 8]
    cmp ax, [K_FX2 + 32 + 8 + ecx * 8]
    setne al
    movzx eax, al
    add edx, eax
    add ecx, 2                  ; 16 bytes a register: ECX*8 = offset
    cmp ecx, 16
    jb .st
    xor ecx, ecx
.xmm:
    mov eax, [K_FX + 160 + ecx * 4]
    cmp eax, [KLIN(xmm_pat) + ecx * 4]
    setne al
    movzx eax, al
    add edx, eax
    inc ecx
    cmp ecx, 32
    jb .xmm
    inc dword [K_FX + 160]
    fxrstor [K_FX]
    cmp edx, 0
    CHECK32 "kernel FXSAVE at INT 0x80 sees the user's ST0-ST7 and XMM0-XMM7"
    ret

; ---------------------------------------------------------------- user
; Ring-3 code and its constants, copied to RAM by U32_INIT.
    U32_USER_BEGIN
user_main:
    call u_syscalls
    call u_pf
    call u_ad
    call u_cr3
    call u_exceptions
    call u_fpexc
    call u_fpstate
    call u_timer
    call u_low
    call u_smc
    USYS SYS_EXIT

; ---- system calls ----
; EAX = i -> the SYS_MIX arguments in EBX ECX EDX ESI EDI EBP
u_mkargs:
    imul ebx, eax, 0x1E3779B1
    lea ecx, [eax + 0x11111111]
    mov edx, eax
    not edx
    mov esi, eax
    shl esi, 8
    or esi, 0x55
    mov edi, eax
    xor edi, 0xA5A5A5A5
    imul ebp, eax, 7
    add ebp, 0x3000
    ret

u_saveout:
    mov [U_OUT + 0], eax
    mov [U_OUT + 4], ebx
    mov [U_OUT + 8], ecx
    mov [U_OUT + 12], edx
    mov [U_OUT + 16], esi
    mov [U_OUT + 20], edi
    mov [U_OUT + 24], ebp
    ret

; compare U_OUT with SYS_MIX of the arguments in registers; a mismatch
; counts in U_MISS. u_cmpmix80 also compares ECX and EDX.
u_cmpmix80:
    lea eax, [ecx + ecx * 2]
    cmp eax, [U_OUT + 8]
    jne u_cmpmix.bad
    lea eax, [edx - 7]
    cmp eax, [U_OUT + 12]
    jne u_cmpmix.bad
u_cmpmix:
    lea eax, [ebx + esi]
    cmp eax, [U_OUT + 0]
    jne .bad
    mov eax, ebx
    xor eax, 0x5A5A5A5A
    cmp eax, [U_OUT + 4]
    jne .bad
    lea eax, [esi + 0x1001]
    cmp eax, [U_OUT + 16]
    jne .bad
    mov eax, edi
    not eax
    cmp eax, [U_OUT + 20]
    jne .bad
    mov eax, ebp
    sub eax, ebx
    cmp eax, [U_OUT + 24]
    jne .bad
    ret
.bad:
    inc dword [U_MISS]
    ret

u_syscalls:
    xor eax, eax
    mov [U_I], eax
    mov [U_MISS], eax
    mov [U_FMISS], eax
    mov [U_SMISS], eax
.int80:
    mov eax, [U_I]
    call u_mkargs
    mov [U_ESP], esp
    push dword 0xED7            ; CF PF AF ZF SF IF DF OF
    popfd
    mov eax, SYS_MIX
    int 0x80
    pushfd
    pop dword [U_FL]
    cld
    cmp esp, [U_ESP]
    je .sp1
    inc dword [U_SMISS]
.sp1:
    cmp dword [U_FL], 0xED7
    je .fl1
    inc dword [U_FMISS]
.fl1:
    call u_saveout
    mov eax, [U_I]
    call u_mkargs
    call u_cmpmix80
    inc dword [U_I]
    cmp dword [U_I], ROUNDS
    jb .int80
    UEXPECT [U_MISS], 0, "INT 0x80: 300 round trips, EAX-EBP in and out"
    UEXPECT [U_FMISS], 0, "INT 0x80: IRET gives back EFLAGS (CF PF AF ZF SF DF OF)"
    UEXPECT [U_SMISS], 0, "INT 0x80: ESP kept"

    xor eax, eax
    mov [U_I], eax
    mov [U_MISS], eax
    mov [U_SMISS], eax
.sysenter:
    mov eax, [U_I]
    add eax, 1000
    call u_mkargs
    mov [U_ESP], esp
    mov eax, SYS_MIX
    call u_sysenter
    cmp esp, [U_ESP]
    je .sp2
    inc dword [U_SMISS]
.sp2:
    pushfd
    pop dword [U_FL]
    call u_saveout
    mov eax, [U_I]
    add eax, 1000
    call u_mkargs
    call u_cmpmix
    test dword [U_FL], 0x200
    jnz .if2
    inc dword [U_MISS]
.if2:
    inc dword [U_I]
    cmp dword [U_I], ROUNDS
    jb .sysenter
    UEXPECT [U_MISS], 0, "SYSENTER/SYSEXIT: 300 round trips, EAX EBX ESI EDI EBP, IF = 1 after"
    UEXPECT [U_SMISS], 0, "SYSEXIT: ESP = ECX"
    mov eax, cs
    UEXPECT eax, USEL_CODE, "SYSEXIT: CS = SYSENTER_CS + 16, RPL 3"
    mov eax, ss
    UEXPECT eax, USEL_DATA, "SYSEXIT: SS = SYSENTER_CS + 24, RPL 3"
    ret

; ---- page faults ----
u_pf:
.r0:
    mov eax, [PFPAGE(0)]
    UEXC 14, 4, UL(.r0), PFPAGE(0), "#PF user read, not present: code 4, CR2, EIP"
    UEXPECT eax, 0xC0DE0000, "the read is retried after the kernel maps the page"
.w1:
    mov dword [PFPAGE(1) + 4], 0x11223344
    UEXC 14, 7, UL(.w1), PFPAGE(1) + 4, "#PF user write, read-only page, CR0.WP = 1: code 7"
    UEXPECT [PFPAGE(1) + 4], 0x11223344, "the retried write lands"
    xor ebx, ebx
    USYS SYS_SETWP
.w4:
    mov dword [PFPAGE(4) + 8], 0x55667788
    UEXC 14, 7, UL(.w4), PFPAGE(4) + 8, "#PF user write, read-only page, CR0.WP = 0: code 7"
    UEXPECT [PFPAGE(4) + 8], 0x55667788, "the retried write lands (WP = 0)"
    mov ebx, 1
    USYS SYS_SETWP
.s2:
    mov eax, [PFPAGE(2)]
    UEXC 14, 5, UL(.s2), PFPAGE(2), "#PF user read, supervisor page: code 5"
    UEXPECT eax, 0xC0DE0002, "the read is retried once the page is user"
.s7:
    mov word [PFPAGE(7) + 0xFFE], 0x1234
    UEXC 14, 7, UL(.s7), PFPAGE(7) + 0xFFE, "#PF user write, supervisor page: code 7"
    UEXPECT [PFPAGE(7) + 0xFFC], 0x12340000, "the retried write lands"
    mov ecx, PFPAGE(3)
    xor eax, eax
    call ecx
    UEXC 14, 4, PFPAGE(3), PFPAGE(3), "#PF user fetch, not present: code 4 (no I/D bit in 32-bit paging), EIP = CR2"
    UEXPECT eax, 0xC0DE0003, "the fetch is retried: the code on the page runs and returns"
    ; a page the user has used, then unmapped or write-protected
    mov eax, [PFPAGE(5)]
    mov dword [PFPAGE(5) + 4], 5
    UEXPECT eax, 0xC0DE0005, "a mapped page reads without a fault"
    UEXC -2, -1, -1, -1, "no fault on a present user page"
    mov ebx, PFPAGE(5)
    USYS SYS_UNMAP
.u5:
    mov eax, [PFPAGE(5) + 4]
    UEXC 14, 4, UL(.u5), PFPAGE(5) + 4, "#PF after the kernel unmaps a used page (PTE = 0, INVLPG)"
    UEXPECT eax, 5, "the retried read sees the page again"
    mov ebx, PFPAGE(5)
    USYS SYS_RDONLY
    mov eax, [PFPAGE(5) + 4]
    UEXC -2, -1, -1, -1, "a read of the write-protected page does not fault"
.p5:
    add dword [PFPAGE(5) + 4], 1
    UEXC 14, 7, UL(.p5), PFPAGE(5) + 4, "#PF write after the kernel clears R/W of a written page (INVLPG)"
    UEXPECT [PFPAGE(5) + 4], 6, "the retried ADD lands once"
    ret

; ---- accessed and dirty bits ----
%macro AD_EXPECT 3
    mov ebx, %1
    USYS SYS_GETPTE
    and eax, 0x60
    UEXPECT eax, %2, %3
%endmacro
u_ad:
    AD_EXPECT ADPAGE(4), 0, "untouched page: A = 0, D = 0"
    mov eax, [ADPAGE(0)]
    AD_EXPECT ADPAGE(0), 0x20, "user read: A = 1, D = 0"
    mov dword [ADPAGE(1) + 8], 1
    AD_EXPECT ADPAGE(1), 0x60, "user write: A = 1, D = 1"
    mov eax, [ADPAGE(2)]
    AD_EXPECT ADPAGE(2), 0x20, "read first: A = 1, D = 0"
    mov byte [ADPAGE(2) + 1], 1
    AD_EXPECT ADPAGE(2), 0x60, "then a write sets D"
    inc dword [ADPAGE(3)]
    AD_EXPECT ADPAGE(3), 0x60, "read-modify-write: A = 1, D = 1"
    mov ecx, ADPAGE(5)
    call ecx
    AD_EXPECT ADPAGE(5), 0x20, "instruction fetch: A = 1, D = 0"
    mov ebx, ADPAGE(0)
    USYS SYS_CLRAD
    AD_EXPECT ADPAGE(0), 0, "kernel cleared A and D (INVLPG)"
    mov eax, [ADPAGE(0)]
    AD_EXPECT ADPAGE(0), 0x20, "read after the clear sets A again"
    mov ebx, ADPAGE(1)
    USYS SYS_CLRAD
    mov eax, [ADPAGE(1)]
    AD_EXPECT ADPAGE(1), 0x20, "read of a once-dirty page after the clear: A only"
    mov [ADPAGE(1) + 12], eax
    AD_EXPECT ADPAGE(1), 0x60, "then a write sets D again"
    UEXC -2, -1, -1, -1, "no faults for A/D updates"
    ret

; ---- CR3 switches and INVLPG ----
u_cr3:
    UEXPECT [SWPAGE], 0xC0DE0040, "address space A maps its own frame"
    xor eax, eax
    mov [U_I], eax
    mov [U_MISS], eax
.loop:
    mov ebx, 1
    mov eax, SYS_SETCR3
    test byte [U_I], 1
    jz .int1
    call u_sysenter
    jmp .b
.int1:
    int 0x80
.b:
    cmp dword [SWPAGE], 0xC0DE0041
    je .b_ok
    inc dword [U_MISS]
.b_ok:
    mov eax, [U_I]              ; B's +4 holds the previous round's i
    test eax, eax
    jz .b_prev
    dec eax
.b_prev:
    cmp [SWPAGE + 4], eax
    je .b_ok2
    inc dword [U_MISS]
.b_ok2:
    mov eax, [U_I]
    mov [SWPAGE + 4], eax
    xor ebx, ebx
    mov eax, SYS_SETCR3
    test byte [U_I], 2
    jz .int2
    call u_sysenter
    jmp .a
.int2:
    int 0x80
.a:
    cmp dword [SWPAGE], 0xC0DE0040
    je .a_ok
    inc dword [U_MISS]
.a_ok:
    mov eax, [U_I]              ; A's +4 holds NOT of the previous round's i
    test eax, eax
    jz .a_prev
    dec eax
    not eax
.a_prev:
    cmp [SWPAGE + 4], eax
    je .a_ok2
    inc dword [U_MISS]
.a_ok2:
    mov eax, [U_I]
    not eax
    mov [SWPAGE + 4], eax
    inc dword [U_I]
    cmp dword [U_I], 100
    jb .loop
    UEXPECT [U_MISS], 0, "100 CR3 switches (INT 0x80 and SYSENTER): each space sees its own frame"
    mov ebx, 1
    USYS SYS_SETCR3
    UEXPECT [SWPAGE + 4], 99, "space B kept the last write made in it"
    xor ebx, ebx
    USYS SYS_SETCR3

    UEXPECT [RMPAGE], 0xC0DE0020, "remap: the first frame"
    xor eax, eax
    mov [U_I], eax
    mov [U_MISS], eax
.remap:
    mov ebx, RMPAGE
    mov ecx, UFRAME(33)
    mov edx, [U_I]
    and edx, 1
    USYS SYS_REMAP
    cmp dword [RMPAGE], 0xC0DE0021
    je .r1
    inc dword [U_MISS]
.r1:
    mov ebx, RMPAGE
    mov ecx, UFRAME(32)
    mov edx, [U_I]
    and edx, 1
    USYS SYS_REMAP
    cmp dword [RMPAGE], 0xC0DE0020
    je .r2
    inc dword [U_MISS]
.r2:
    inc dword [U_I]
    cmp dword [U_I], 20
    jb .remap
    UEXPECT [U_MISS], 0, "PTE remapped 40 times (INVLPG or CR3 reload): reads follow"
    ret

; ---- exceptions ----
u_exceptions:
    UTRY
    hlt
    UCATCH 13, 0, "HLT at CPL 3 -> #GP(0)"
    UTRY
    cli
    UCATCH 13, 0, "CLI at CPL 3, IOPL 0 -> #GP(0)"
    UTRY
    sti
    UCATCH 13, 0, "STI at CPL 3, IOPL 0 -> #GP(0)"
    UTRY
    in al, 0x80
    UCATCH 13, 0, "IN at CPL 3, IOPL 0, no I/O bitmap -> #GP(0)"
    UTRY
    out 0xE9, al
    UCATCH 13, 0, "OUT at CPL 3, IOPL 0, no I/O bitmap -> #GP(0)"
    UTRY
    int 0x41
    UCATCH 13, 0x41 * 8 + 2, "INT 0x41 through a DPL-0 gate -> #GP(0x41*8+2)"
    mov ax, KSEL_DATA
    UTRY
    mov ds, ax
    UCATCH 13, KSEL_DATA, "MOV DS, DPL-0 data selector at CPL 3 -> #GP(selector)"
    mov ax, 0x0803
    UTRY
    mov ds, ax
    UCATCH 13, 0x0800, "MOV DS, selector beyond the GDT limit -> #GP(selector)"
    xor eax, eax
    mov es, ax
    UTRY
    mov eax, [es:U_DATA]
    UCATCHQ 13, 0, "a load through a null ES -> #GP(0)"
    mov ax, USEL_DATA
    mov es, ax
    xor eax, eax
    UTRY
    mov ss, ax
    UCATCH 13, 0, "MOV SS, null selector -> #GP(0)"
    UTRY
    mov eax, cr0
    UCATCH 13, 0, "MOV from CR0 at CPL 3 -> #GP(0)"
    mov ecx, 0x10
    UTRY
    rdmsr
    UCATCH 13, 0, "RDMSR at CPL 3 -> #GP(0)"
    UTRY
    sysexit
    UCATCH 13, 0, "SYSEXIT at CPL 3 -> #GP(0)"
    UTRY
    ud2
    UCATCH 6, -1, "UD2 -> #UD"
    mov eax, 1
    xor edx, edx
    xor ecx, ecx
    UTRY
    div ecx
    UCATCH 0, -1, "DIV by 0 -> #DE"
    mov eax, 0x80000000
    cdq
    mov ecx, -1
    UTRY
    idiv ecx
    UCATCH 0, -1, "IDIV 80000000h / -1 -> #DE"
    int3
.bp:
    UEXC 3, -1, UL(.bp), -1, "INT3 -> #BP through a DPL-3 gate, EIP after it"
    mov al, 0x7F
    add al, 1
    into
.of:
    UEXC 4, -1, UL(.of), -1, "INTO with OF = 1 -> #OF, EIP after it"
    xor eax, eax
    into
    UEXC -2, -1, -1, -1, "INTO with OF = 0: nothing"
    ; #AC: CR0.AM is set; EFLAGS.AC decides
    mov dword [U_BUF], 0x44332211
    mov dword [U_BUF + 4], 0x88776655
    pushfd
    or dword [esp], 0x40000
    popfd
    UTRY
    mov eax, [U_BUF + 1]
    UCATCHQ 17, 0, "misaligned dword load, CR0.AM = AC = 1 -> #AC(0)"
    UTRY
    mov eax, [U_BUF + 4]
    UCATCH -2, -1, "aligned dword load with AC = 1: no #AC"
    pushfd
    and dword [esp], ~0x40000
    popfd
    UTRY
    mov eax, [U_BUF + 3]
    UCATCH -2, -1, "misaligned dword load with AC = 0: no #AC"
    UEXPECT eax, 0x77665544, "and it reads the bytes"
    ret

; ---- x87 #MF and SIMD #XM ----
u_fpexc:
    fninit
    fldcw [UL(fcw_zm)]
    fldz
    fld1
    fdiv st0, st1               ; 1/0, divide-by-zero unmasked: pending
    UTRY
    fwait
    UCATCH 16, -1, "x87 divide by zero unmasked, CR0.NE = 1: #MF at the FWAIT"
    mov eax, [U_EXTRA]
    and eax, 0x80BF
    UEXPECT eax, 0x8084, "#MF: the kernel's FSW has ZE, ES and B"
    fnstsw ax
    and eax, 0x80BF
    UEXPECT eax, 0, "the kernel's FNCLEX reaches the user's FSW"
    fninit

    ldmxcsr [UL(mxcsr_zm)]
    movaps xmm0, [UL(ones)]
    xorps xmm1, xmm1
    UTRY
    divps xmm0, xmm1
    UCATCHQ 19, -1, "DIVPS by zero with ZM = 0, CR4.OSXMMEXCPT = 1 -> #XM"
    UEXPECTQ [U_EXTRA], 0x1D84, "#XM: the kernel's MXCSR has ZE"
    stmxcsr [U_BUF]
    UEXPECT [U_BUF], 0x1D84, "the user's MXCSR after #XM: ZE set, masks kept"
    pcmpeqd xmm0, [UL(ones)]
    pmovmskb eax, xmm0
    UEXPECTQ eax, 0xFFFF, "#XM: the destination is not written"
    ldmxcsr [UL(mxcsr_default)]
    ret

; ---- x87 and SSE registers across kernel entries ----
%macro XMM_EXPECT 3
    pcmpeqd xmm%1, [%2]
    pmovmskb eax, xmm%1
    UEXPECT eax, 0xFFFF, %3
%endmacro
u_fpstate:
    fninit
    mov ecx, 1
.fild:
    mov [U_BUF], ecx
    fild dword [U_BUF]
    inc ecx
    cmp ecx, 8
    jbe .fild
    movdqu xmm0, [UL(xmm_pat) + 0 * 16]
    movdqu xmm1, [UL(xmm_pat) + 1 * 16]
    movdqu xmm2, [UL(xmm_pat) + 2 * 16]
    movdqu xmm3, [UL(xmm_pat) + 3 * 16]
    movdqu xmm4, [UL(xmm_pat) + 4 * 16]
    movdqu xmm5, [UL(xmm_pat) + 5 * 16]
    movdqu xmm6, [UL(xmm_pat) + 6 * 16]
    movdqu xmm7, [UL(xmm_pat) + 7 * 16]
    USYS SYS_FPCHK
    mov dword [U_I], 50
.calls:
    mov eax, SYS_NOP
    int 0x80
    mov eax, SYS_NOP
    call u_sysenter
    dec dword [U_I]
    jnz .calls
    mov ebx, 1
    USYS SYS_TIMER
    mov dword [U_SPIN], SPIN_MAX
.spin:
    dec dword [U_SPIN]
    jz .spun
    cmp dword [U_TICKS], 3
    jb .spin
.spun:
    xor ebx, ebx
    USYS SYS_TIMER
    mov eax, [U_TICKS]
    cmp eax, 3
    setae al
    movzx eax, al
    UEXPECT eax, 1, "three timer interrupts while the user holds x87/SSE state"
    mov ecx, 8
    mov ebx, 0
.fist:
    fistp dword [U_BUF]
    cmp [U_BUF], ecx
    je .fist_ok
    inc ebx
.fist_ok:
    loop .fist
    UEXPECT ebx, 0, "ST0-ST7 survive system calls and interrupts"
    XMM_EXPECT 0, UL(xmm0_after), "XMM0 has the kernel's change (dword 0 + 1)"
    XMM_EXPECT 1, UL(xmm_pat) + 1 * 16, "XMM1 survives"
    XMM_EXPECT 2, UL(xmm_pat) + 2 * 16, "XMM2 survives"
    XMM_EXPECT 3, UL(xmm_pat) + 3 * 16, "XMM3 survives"
    XMM_EXPECT 4, UL(xmm_pat) + 4 * 16, "XMM4 survives"
    XMM_EXPECT 5, UL(xmm_pat) + 5 * 16, "XMM5 survives"
    XMM_EXPECT 6, UL(xmm_pat) + 6 * 16, "XMM6 survives"
    XMM_EXPECT 7, UL(xmm_pat) + 7 * 16, "XMM7 survives"
    ret

; ---- timer preemption: a loop that only an interrupt can end ----
u_timer:
    mov eax, 0x11111111
    mov ebx, 0x22222222
    mov ecx, 0x33333333
    mov edx, 0x44444444
    mov esi, 0x55555555
    mov edi, 0x66666666
    mov ebp, 0x77777777
    push eax
    push ebx
    mov ebx, 1
    USYS SYS_TIMER
    pop ebx
    pop eax
    mov dword [U_SPIN], SPIN_MAX
.spin:
    dec dword [U_SPIN]
    jz .spun
    cmp dword [U_TICKS], 5
    jb .spin
.spun:
    mov [U_OUT + 0], eax
    mov [U_OUT + 4], ebx
    xor ebx, ebx
    USYS SYS_TIMER
    mov eax, [U_TICKS]
    cmp eax, 5
    setae al
    movzx eax, al
    UEXPECT eax, 1, "a user loop on a counter sees 5 timer ticks (PIT, IRQ0)"
    UEXPECT [U_OUT + 0], 0x11111111, "EAX survives the interrupts"
    UEXPECT [U_OUT + 4], 0x22222222, "EBX survives the interrupts"
    UEXPECT ecx, 0x33333333, "ECX survives the interrupts"
    UEXPECT edx, 0x44444444, "EDX survives the interrupts"
    UEXPECT esi, 0x55555555, "ESI survives the interrupts"
    UEXPECT edi, 0x66666666, "EDI survives the interrupts"
    UEXPECT ebp, 0x77777777, "EBP survives the interrupts"
    ret

; ---- code and data on a user page below 0x10000 ----
u_low:
    mov eax, LOW_LIN
    call eax
    UEXC 14, 4, LOW_LIN + (low_pf - low_code), PFPAGE(6), "#PF from code on the low page: code 4, CR2, EIP"
    UEXPECT eax, 36 * 0x01010101, "code at linear 0x2000 sums its table"
    UEXPECT [LOW_LIN + 0xF00], 36 * 0x01010101, "and stores the sum on its page"
    UEXPECT [LOW_LIN + 0xF04], 1, "INT 0x80 from the low page: result checked there"
    UEXPECT [LOW_LIN + 0xF08], 1, "SYSENTER from the low page: result checked there"
    UEXPECT [LOW_LIN + 0xF0C], 0xC0DE0006, "a read from the low page retried after #PF"
    ret

; copied to LOW_FRAME, runs at LOW_LIN
%define LOWA(x) (LOW_LIN + ((x) - low_code))
low_code:
    xor eax, eax
    mov ecx, 8
.sum:
    add eax, [LOWA(low_tab) + ecx * 4 - 4]
    loop .sum
    mov [LOW_LIN + 0xF00], eax
    mov ebx, 5
    mov esi, 6
    mov eax, SYS_MIX
    int 0x80
    cmp eax, 11
    sete al
    movzx eax, al
    mov [LOW_LIN + 0xF04], eax
    mov ebx, 7
    mov esi, 8
    mov eax, SYS_MIX
    mov ecx, esp
    mov edx, LOWA(.back)
    sysenter
.back:
    cmp eax, 15
    sete al
    movzx eax, al
    mov [LOW_LIN + 0xF08], eax
low_pf:
    mov eax, [PFPAGE(6)]
    mov [LOW_LIN + 0xF0C], eax
    mov eax, [LOW_LIN + 0xF00]
    ret
low_tab:
    dd 0x01010101, 0x02020202, 0x03030303, 0x04040404
    dd 0x05050505, 0x06060606, 0x07070707, 0x08080808
low_code_end:

; ---- self-modifying user code ----
u_smc:
    mov dword [SMCPAGE], 0x332211B8         ; mov eax, 44332211h / ret
    mov word [SMCPAGE + 4], 0xC344
    mov ecx, SMCPAGE
    call ecx
    UEXPECT eax, 0x44332211, "user code written to a page, then run"
    mov dword [SMCPAGE], 0xC305418D         ; lea eax, [ecx + 5] / ret
    mov ecx, SMCPAGE
    call ecx
    UEXPECT eax, SMCPAGE + 5, "the same bytes rewritten with another instruction"
    ; the immediate of an instruction that has run, rewritten 100 times
    mov byte [SMCPAGE + 0x100], 0xB8        ; mov eax, imm32 / ret
    mov byte [SMCPAGE + 0x105], 0xC3
    xor ebx, ebx
    xor esi, esi
    mov edi, SMCPAGE + 0x100
.loop:
    imul eax, ebx, 3
    mov [SMCPAGE + 0x101], eax
    call edi
    add esi, eax
    inc ebx
    cmp ebx, 100
    jb .loop
    UEXPECT esi, 3 * 4950, "an immediate rewritten before each of 100 runs"
    ret

; ---------------------------------------------------------------- data
    U32_USER_DATA
xmm_pat:
%assign i 0
%rep 8
    dd 0x10000000 * (i + 1) + 0x1111, 0x0F000000 - i, 0x00ABCDEF + i * 0x100, 0x7E57DA7A ^ i
%assign i i + 1
%endrep
xmm0_after:
    dd 0x10000000 + 0x1111 + 1, 0x0F000000, 0x00ABCDEF, 0x7E57DA7A
ones:
    dd 1.0, 1.0, 1.0, 1.0
fcw_zm:
    dw 0x037B                   ; ZM clear
mxcsr_zm:
    dd 0x1D80                   ; ZM clear
mxcsr_default:
    dd 0x1F80
    U32_USER_END

gdt_template:
    U32_GDT
gdt_template_end:

    PM_LIB
    U32_LIB
    ROM_END
