; raw_user64.asm — ring-3 code under a small long-mode kernel (4-level
; paging, 4 KiB user pages), the behaviour a raw engine that runs user code
; natively must reproduce exactly: SYSCALL/SYSRET and INT 0x80 round trips
; with every register in and out (RCX = return RIP, R11 = RFLAGS); #PF
; error codes with CR2 and RIP for not-present, read-only (CR0.WP = 1 and
; 0), supervisor, not-present fetch (I/D) and NX fetch (EFER.NXE, P|U|I/D),
; unmapped and write-protected after use, each retried after the fix;
; accessed/dirty bits; CR3 switches between two PML4s that map one user
; page (above 4 GiB) to two frames, and a PTE remapped with INVLPG or a CR3
; reload; #GP (HLT, CLI, IN, OUT, INT through a DPL-0 gate, segment loads,
; privileged instructions, SWAPGS), #UD (UD2, and INTO and AAA, which 64-bit
; mode does not have), #DE, #BP, #AC; x87 #MF at FWAIT and SSE #XM; FS and
; GS bases set by the kernel (WRMSR) and used through fs:/gs: by the user,
; switched by system calls; all 16 GPRs and XMM0-XMM15 across system calls
; (a kernel that changes XMM0 and XMM15) and timer interrupts; PIT
; interrupts preempting a user loop; self-modifying user code; and a
; compatibility-mode part (32-bit ring-3 code segment, L = 0, D = 1) with
; INT 0x80 calls, a #PF and a #GP. The kernel is user64.inc's; the user
; code and its constants run from guest RAM (read-only pages, the
; constants NX), as a guest OS's would, so that a raw engine really runs
; them natively.
; Intel SDM vol. 3A 4.5-4.8, 4.10.4 (paging), 5.8.8 (SYSCALL), 6.14
; (64-bit interrupts), 6.15; vol. 1 8.7, 11.5; AMD APM vol. 2 6.1.
;
; qemu-differs: QEMU 7.2 TCG puts vector*16+2 in the #GP error code of an INT through a DPL-0 64-bit gate (SDM 6.13/6.14.1: vector*8+2), raises no #AC for a misaligned access with CR0.AM = EFLAGS.AC = 1 at CPL 3 (SDM 6.15 interrupt 17) and never raises #XM for an unmasked SIMD floating-point exception (SDM vol. 1 11.5.1, vol. 3A 6.15 interrupt 19); those checks print "qemu-departs" there
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
; raw-native: its ring-3 code is in guest RAM, so raw mode must run it on the host CPU (where the host runs 64-bit code: always)
%include "rom.inc"
%include "lm.inc"
%include "user64.inc"

%define PFPAGE(n)   (0x420000 + (n) * 0x1000)   ; -> UFRAME(n)
%define ADPAGE(n)   (0x430000 + (n) * 0x1000)   ; -> UFRAME(16 + n)
%define RMPAGE      0x440000                    ; UFRAME(32) / (33)
%define SMCPAGE     0x450000                    ; UFRAME(48)
%define SWPAGE      0x8000000000                ; A: UFRAME(64), B: (65)
%define PDPT_SA     (PT_FREE + 0x0000)          ; PML4[1] in space A
%define PD_SA       (PT_FREE + 0x1000)
%define PT_SA       (PT_FREE + 0x2000)
%define PDPT_SB     (PT_FREE + 0x3000)          ; PML4[1] in space B
%define PD_SB       (PT_FREE + 0x4000)
%define PT_SB       (PT_FREE + 0x5000)

; user variables
%define U_SPIN   (U_FREE + 0)
%define U_I      (U_FREE + 8)
%define U_MISS   (U_FREE + 16)
%define U_FL     (U_FREE + 24)
%define U_RSP    (U_FREE + 32)
%define U_MODE   (U_FREE + 40)
%define U_IN     (U_DATA + 0x100)   ; 16 qwords: RAX RCX RDX RBX RSP RBP RSI RDI R8-R15
%define U_OUT    (U_DATA + 0x180)
%define U_BUF    (U_DATA + 0x200)   ; 16-byte aligned
%define U_FSA    (U_DATA + 0x800)   ; FS/GS base targets
%define U_FSB    (U_DATA + 0x900)

; system calls: RAX = number, arguments RDI RSI RDX, result RAX
%define SYS_MIX     (SYS_TEST + 0)  ; RAX = RDI + RSI; R15..RCX = ROL(x, 1) ^ MIX_KEY
%define SYS_MIX32   (SYS_TEST + 1)  ; compatibility mode, see sys_mix32
%define SYS_SETWP   (SYS_TEST + 2)  ; RDI = CR0.WP
%define SYS_UNMAP   (SYS_TEST + 3)  ; RDI = linear: PTE = 0, INVLPG
%define SYS_RDONLY  (SYS_TEST + 4)  ; RDI = linear: clear R/W, INVLPG
%define SYS_CLRAD   (SYS_TEST + 5)  ; RDI = linear: clear A and D, INVLPG
%define SYS_SETCR3  (SYS_TEST + 6)  ; RDI = 0: PML4_A, 1: PML4_B
%define SYS_REMAP   (SYS_TEST + 7)  ; RDI = linear, RSI = frame, RDX = 0: INVLPG, 1: CR3 reload
%define SYS_FPCHK   (SYS_TEST + 8)  ; check ST0-7, XMM0-15; XMM0 dword 0 and XMM15 dword 3 + 1
%define SYS_NOP     (SYS_TEST + 9)
%define SYS_SETBASE (SYS_TEST + 10) ; RDI = FS base, RSI = GS base

%define MIX_KEY  0x5A5A5A5AA5A5A5A5
%define ROUNDS   300
%define SPIN_MAX 20000000
%define U_RFL    0xED7          ; CF PF AF ZF SF IF DF OF

start:
    ROM_INIT
    PUTS `raw_user64: ring-3 code under a long-mode kernel\n`
    LM_ENTER
    U64_INIT
    SET_SYSCALL SYS_MIX, sys_mix
    SET_SYSCALL SYS_MIX32, sys_mix32
    SET_SYSCALL SYS_SETWP, sys_setwp
    SET_SYSCALL SYS_UNMAP, sys_unmap
    SET_SYSCALL SYS_RDONLY, sys_rdonly
    SET_SYSCALL SYS_CLRAD, sys_clrad
    SET_SYSCALL SYS_SETCR3, sys_setcr3
    SET_SYSCALL SYS_REMAP, sys_remap
    SET_SYSCALL SYS_FPCHK, sys_fpchk
    SET_SYSCALL SYS_NOP, sys_nop
    SET_SYSCALL SYS_SETBASE, sys_setbase
    lea rax, [rel pf_fix]
    mov [K_PF_HOOK], rax
    ; PML4[1] (512 GiB up): one page, another frame in each space
    mov qword [PML4_A + 8], PDPT_SA | 7
    mov qword [PML4_B + 8], PDPT_SB | 7
    mov qword [PDPT_SA], PD_SA | 7
    mov qword [PD_SA], PT_SA | 7
    mov qword [PT_SA], UFRAME(64) | 7
    mov qword [PDPT_SB], PD_SB | 7
    mov qword [PD_SB], PT_SB | 7
    mov qword [PT_SB], UFRAME(65) | 7

    ; frames: zeroed, the first qword of frame n = C0DE0000h + n
    mov edi, UFRAME(0)
    xor eax, eax
    mov ecx, 96 * 512
    rep stosq
    mov edi, UFRAME(0)
    mov eax, 0xC0DE0000
.mark:
    mov [rdi], rax
    inc eax
    add edi, 0x1000
    cmp edi, UFRAME(96)
    jb .mark
    ; #PF pages: 0 not present, 1 read-only, 2 supervisor, 3 not present
    ; (code), 4 read-only, 5 user RW, 6 NX (code), 7 supervisor, 8 not
    ; present (compatibility mode)
    mov qword [U_PTE(PFPAGE(1))], UFRAME(1) | 5
    mov qword [U_PTE(PFPAGE(2))], UFRAME(2) | 3
    mov qword [U_PTE(PFPAGE(4))], UFRAME(4) | 5
    mov qword [U_PTE(PFPAGE(5))], UFRAME(5) | 7
    mov rax, (1 << 63) | UFRAME(6) | 7
    mov [U_PTE(PFPAGE(6))], rax
    mov qword [U_PTE(PFPAGE(7))], UFRAME(7) | 3
    mov rax, 0xC3C0DE0003B8             ; mov eax, C0DE0003h / ret
    mov [UFRAME(3)], rax
    mov rax, 0xC3C0DE0006B8             ; mov eax, C0DE0006h / ret
    mov [UFRAME(6)], rax
    ; A/D pages, user RW, A = D = 0; page 5 holds a RET
    mov edi, U_PTE(ADPAGE(0))
    mov eax, UFRAME(16) | 7
.ad:
    stosq
    add eax, 0x1000
    cmp edi, U_PTE(ADPAGE(6))
    jb .ad
    mov byte [UFRAME(21)], 0xC3
    mov qword [U_PTE(RMPAGE)], UFRAME(32) | 7
    mov qword [U_PTE(SMCPAGE)], UFRAME(48) | 7
    ; FS/GS targets
    mov rax, 0xF5F5000000000001
    mov [U_FSA], rax
    mov rax, 0xF5F5000000000002
    mov [U_FSA + 8], rax
    mov rax, 0x6565000000000001
    mov [U_FSB], rax
    mov rax, 0x6565000000000002
    mov [U_FSB + 8], rax
    mov rax, cr3
    mov cr3, rax

    U64_RUN user_main
    U64_RUN32 compat_main
    FINISH64


; ---------------------------------------------------------------- kernel
sys_mix:
    mov rax, [rbp + F_RDI]
    add rax, [rbp + F_RSI]
    mov [rbp + F_RAX], rax
    mov rdx, MIX_KEY
    xor ecx, ecx
.l:
    mov rax, [rbp + rcx]
    rol rax, 1
    xor rax, rdx
    mov [rbp + rcx], rax
    add ecx, 8
    cmp ecx, F_RAX
    jb .l
    ret

; compatibility mode (32-bit values): EAX = EDI + ESI, EBX = NOT EBX,
; ECX *= 5, EDX += 3, ESI -= 1, EDI = ROL(EDI, 4), EBP ^= 5A5A5A5Ah
sys_mix32:
    mov eax, [rbp + F_RDI]
    add eax, [rbp + F_RSI]
    mov [rbp + F_RAX], rax
    mov eax, [rbp + F_RBX]
    not eax
    mov [rbp + F_RBX], rax
    mov eax, [rbp + F_RCX]
    lea eax, [eax + eax * 4]
    mov [rbp + F_RCX], rax
    mov eax, [rbp + F_RDX]
    add eax, 3
    mov [rbp + F_RDX], rax
    mov eax, [rbp + F_RSI]
    dec eax
    mov [rbp + F_RSI], rax
    mov eax, [rbp + F_RDI]
    rol eax, 4
    mov [rbp + F_RDI], rax
    mov eax, [rbp + F_RBP]
    xor eax, 0x5A5A5A5A
    mov [rbp + F_RBP], rax
    ret

sys_setwp:
    mov rax, cr0
    and eax, ~0x10000
    cmp qword [rbp + F_RDI], 0
    je .set
    or eax, 0x10000
.set:
    mov cr0, rax
    ret

sys_unmap:
    mov rax, [rbp + F_RDI]
    call k_pte_addr
    mov qword [rax], 0
    mov rax, [rbp + F_RDI]
    invlpg [rax]
    ret

sys_rdonly:
    mov rax, [rbp + F_RDI]
    call k_pte_addr
    and qword [rax], ~2
    mov rax, [rbp + F_RDI]
    invlpg [rax]
    ret

sys_clrad:
    mov rax, [rbp + F_RDI]
    call k_pte_addr
    and qword [rax], ~0x60
    mov rax, [rbp + F_RDI]
    invlpg [rax]
    ret

sys_setcr3:
    mov eax, PML4_A
    cmp qword [rbp + F_RDI], 0
    je .set
    mov eax, PML4_B
.set:
    mov cr3, rax
    ret

sys_remap:
    mov rax, [rbp + F_RDI]
    call k_pte_addr
    mov rdx, [rbp + F_RSI]
    or rdx, 7
    mov [rax], rdx
    cmp qword [rbp + F_RDX], 0
    jne .cr3
    mov rax, [rbp + F_RDI]
    invlpg [rax]
    ret
.cr3:
    mov rax, cr3
    mov cr3, rax
    ret

sys_nop:
    ret

sys_setbase:
    mov ecx, MSR_FS_BASE
    mov eax, [rbp + F_RDI]
    mov edx, [rbp + F_RDI + 4]
    wrmsr
    mov ecx, MSR_GS_BASE
    mov eax, [rbp + F_RSI]
    mov edx, [rbp + F_RSI + 4]
    wrmsr
    ret

; #PF on a PFPAGE: map it user RW (NX clear) and retry
pf_fix:
    mov rax, cr2
    sub rax, PFPAGE(0)
    cmp rax, 16 * 0x1000
    jae .no
    and eax, ~0xFFF
    add eax, UFRAME(0) | 7
    push rax
    mov rax, cr2
    call k_pte_addr
    pop qword [rax]
    mov rax, cr2
    invlpg [rax]
    clc
    ret
.no:
    stc
    ret

; SYS_FPCHK: the kernel's FXSAVE must show ST0-ST7 = 8..1 (FILD) and
; XMM0-XMM15 = xmm_pat; then XMM0 dword 0 and XMM15 dword 3 go up by one
sys_fpchk:
    fxsave64 [K_FX]
    fninit
    mov ecx, 1
.fild:
    mov [SCRATCH], ecx
    fild dword [SCRATCH]
    inc ecx
    cmp ecx, 8
    jbe .fild
    fxsave64 [K_FX2]
    xor edx, edx
    xor ecx, ecx
.st:
    mov rax, [K_FX + 32 + rcx]
    cmp rax, [K_FX2 + 32 + rcx]
    setne al
    movzx eax, al
    add edx, eax
    mov ax, [K_FX + 32 + 8 + rcx]
    cmp ax, [K_FX2 + 32 + 8 + rcx]
    setne al
    movzx eax, al
    add edx, eax
    add ecx, 16
    cmp ecx, 128
    jb .st
    lea rsi, [rel xmm_pat]
    xor ecx, ecx
.xmm:
    mov rax, [K_FX + 160 + rcx]
    cmp rax, [rsi + rcx]
    setne al
    movzx eax, al
    add edx, eax
    add ecx, 8
    cmp ecx, 256
    jb .xmm
    inc dword [K_FX + 160]
    inc dword [K_FX + 160 + 15 * 16 + 12]
    fxrstor64 [K_FX]
    cmp edx, 0
    CHECK64 "kernel FXSAVE at INT 0x80 sees the user's ST0-ST7 and XMM0-XMM15"
    ret

; ---------------------------------------------------------------- user
; Ring-3 code and its constants, copied to RAM by U64_INIT.
    U64_USER_BEGIN
user_main:
    call u_syscalls
    call u_pf
    call u_ad
    call u_cr3
    call u_exceptions
    call u_fpexc
    call u_fsgs
    call u_state
    call u_fpstate
    call u_timer
    call u_smc
    USYS SYS_EXIT

; ---- system calls ----
; RAX = i -> U_IN[k] = (i + k + 1) * mk_tab[k]
u_mkin:
    push rcx
    push rdx
    push rsi
    lea rsi, [rel mk_tab]
    xor ecx, ecx
.l:
    lea rdx, [rax + rcx + 1]
    imul rdx, [rsi + rcx * 8]
    mov [U_IN + rcx * 8], rdx
    inc ecx
    cmp ecx, 16
    jb .l
    pop rsi
    pop rdx
    pop rcx
    ret

; every GPR but RAX and RSP from U_IN
u_loadin:
    mov rcx, [U_IN + 1 * 8]
    mov rdx, [U_IN + 2 * 8]
    mov rbx, [U_IN + 3 * 8]
    mov rbp, [U_IN + 5 * 8]
    mov rsi, [U_IN + 6 * 8]
    mov rdi, [U_IN + 7 * 8]
    mov r8, [U_IN + 8 * 8]
    mov r9, [U_IN + 9 * 8]
    mov r10, [U_IN + 10 * 8]
    mov r11, [U_IN + 11 * 8]
    mov r12, [U_IN + 12 * 8]
    mov r13, [U_IN + 13 * 8]
    mov r14, [U_IN + 14 * 8]
    mov r15, [U_IN + 15 * 8]
    ret

; all 16 GPRs to U_OUT (RSP as the caller has it)
u_saveout:
    mov [U_OUT + 0 * 8], rax
    mov [U_OUT + 1 * 8], rcx
    mov [U_OUT + 2 * 8], rdx
    mov [U_OUT + 3 * 8], rbx
    lea rax, [rsp + 8]
    mov [U_OUT + 4 * 8], rax
    mov [U_OUT + 5 * 8], rbp
    mov [U_OUT + 6 * 8], rsi
    mov [U_OUT + 7 * 8], rdi
    mov [U_OUT + 8 * 8], r8
    mov [U_OUT + 9 * 8], r9
    mov [U_OUT + 10 * 8], r10
    mov [U_OUT + 11 * 8], r11
    mov [U_OUT + 12 * 8], r12
    mov [U_OUT + 13 * 8], r13
    mov [U_OUT + 14 * 8], r14
    mov [U_OUT + 15 * 8], r15
    mov rax, [U_OUT]
    ret

; U_OUT against SYS_MIX of U_IN: RAX = RSI + RDI, RSP = [U_RSP], the rest
; ROL 1 ^ MIX_KEY; [U_MODE] = 1 (SYSCALL): RCX and R11 not compared.
; A mismatch counts in U_MISS.
u_cmpmix:
    mov rax, [U_IN + 6 * 8]
    add rax, [U_IN + 7 * 8]
    cmp rax, [U_OUT]
    jne .bad
    mov rax, [U_RSP]
    cmp rax, [U_OUT + 4 * 8]
    jne .bad
    mov rdx, MIX_KEY
    mov ecx, 1
.l:
    cmp ecx, 4
    je .next
    cmp qword [U_MODE], 0
    je .cmp
    cmp ecx, 1
    je .next
    cmp ecx, 11
    je .next
.cmp:
    mov rax, [U_IN + rcx * 8]
    rol rax, 1
    xor rax, rdx
    cmp rax, [U_OUT + rcx * 8]
    jne .bad
.next:
    inc ecx
    cmp ecx, 16
    jb .l
    ret
.bad:
    inc qword [U_MISS]
    ret

u_syscalls:
    xor eax, eax
    mov [U_I], rax
    mov [U_MISS], rax
    mov [U_FL], rax
    mov [U_MODE], rax
.int80:
    mov rax, [U_I]
    call u_mkin
    call u_loadin
    mov [U_RSP], rsp
    push U_RFL
    popfq
    mov eax, SYS_MIX
    int 0x80
    pushfq
    pop qword [U_SAVE]
    cld
    call u_saveout
    cmp qword [U_SAVE], U_RFL
    je .fl1
    inc qword [U_FL]
.fl1:
    call u_cmpmix
    inc qword [U_I]
    cmp qword [U_I], ROUNDS
    jb .int80
    UEXPECT [U_MISS], 0, "INT 0x80: 300 round trips, all 16 GPRs in and out"
    UEXPECT [U_FL], 0, "INT 0x80: IRETQ gives back RFLAGS (CF PF AF ZF SF DF OF)"

    xor eax, eax
    mov [U_I], rax
    mov [U_MISS], rax
    mov [U_FL], rax
    mov qword [U_MODE], 1
.syscall:
    mov rax, [U_I]
    add rax, 1000
    call u_mkin
    call u_loadin
    mov [U_RSP], rsp
    push U_RFL
    popfq
    mov eax, SYS_MIX
    syscall
.after:
    pushfq
    pop qword [U_SAVE]
    cld
    call u_saveout
    cmp qword [U_SAVE], U_RFL
    jne .flbad
    cmp qword [U_OUT + 11 * 8], U_RFL
    jne .flbad
    lea rax, [rel .after]
    cmp [U_OUT + 1 * 8], rax
    je .fl2
.flbad:
    inc qword [U_FL]
.fl2:
    call u_cmpmix
    inc qword [U_I]
    cmp qword [U_I], ROUNDS
    jb .syscall
    UEXPECT [U_MISS], 0, "SYSCALL/SYSRET: 300 round trips, 14 GPRs in and out"
    UEXPECT [U_FL], 0, "SYSCALL/SYSRET: RCX = next RIP, R11 = RFLAGS, RFLAGS back (DF too)"
    mov eax, cs
    UEXPECT rax, UCS64, "SYSRET: CS = STAR[63:48] + 16, RPL 3"
    mov eax, ss
    UEXPECT rax, USS, "SYSRET: SS = STAR[63:48] + 8, RPL 3"
    ret

; ---- page faults ----
u_pf:
.r0:
    mov rax, [PFPAGE(0)]
    UEXC 14, 4, UL(.r0), PFPAGE(0), "#PF user read, not present: code 4, CR2, RIP"
    UEXPECT rax, 0xC0DE0000, "the read is retried after the kernel maps the page"
.w1:
    mov qword [PFPAGE(1) + 8], 0x11223344
    UEXC 14, 7, UL(.w1), PFPAGE(1) + 8, "#PF user write, read-only page, CR0.WP = 1: code 7"
    UEXPECT [PFPAGE(1) + 8], 0x11223344, "the retried write lands"
    xor edi, edi
    USYS SYS_SETWP
.w4:
    mov dword [PFPAGE(4) + 0xFFC], 0x55667788
    UEXC 14, 7, UL(.w4), PFPAGE(4) + 0xFFC, "#PF user write, read-only page, CR0.WP = 0: code 7"
    mov eax, [PFPAGE(4) + 0xFFC]
    UEXPECT rax, 0x55667788, "the retried write lands (WP = 0)"
    mov edi, 1
    USYS SYS_SETWP
.s2:
    mov rax, [PFPAGE(2)]
    UEXC 14, 5, UL(.s2), PFPAGE(2), "#PF user read, supervisor page: code 5"
    UEXPECT rax, 0xC0DE0002, "the read is retried once the page is user"
.s7:
    mov word [PFPAGE(7) + 0x10], 0x1234
    UEXC 14, 7, UL(.s7), PFPAGE(7) + 0x10, "#PF user write, supervisor page: code 7"
    UEXPECT [PFPAGE(7) + 0x10], 0x1234, "the retried write lands"
    mov ecx, PFPAGE(3)
    xor eax, eax
    call rcx
    UEXC 14, 0x14, PFPAGE(3), PFPAGE(3), "#PF user fetch, not present: code 14h (I/D, EFER.NXE = 1), RIP = CR2"
    UEXPECT rax, 0xC0DE0003, "the fetch is retried: the code on the page runs"
    mov ecx, PFPAGE(6)
    xor eax, eax
    call rcx
    UEXC 14, 0x15, PFPAGE(6), PFPAGE(6), "#PF user fetch from an NX page: code 15h (P, U, I/D)"
    UEXPECT rax, 0xC0DE0006, "the fetch is retried once XD is clear"
    mov rax, [PFPAGE(5)]
    mov qword [PFPAGE(5) + 8], 5
    UEXPECT rax, 0xC0DE0005, "a mapped page reads without a fault"
    UEXC -2, -1, -1, -1, "no fault on a present user page"
    mov edi, PFPAGE(5)
    USYS SYS_UNMAP
.u5:
    mov rax, [PFPAGE(5) + 8]
    UEXC 14, 4, UL(.u5), PFPAGE(5) + 8, "#PF after the kernel unmaps a used page (PTE = 0, INVLPG)"
    UEXPECT rax, 5, "the retried read sees the page again"
    mov edi, PFPAGE(5)
    USYS SYS_RDONLY
    mov rax, [PFPAGE(5) + 8]
    UEXC -2, -1, -1, -1, "a read of the write-protected page does not fault"
.p5:
    add qword [PFPAGE(5) + 8], 1
    UEXC 14, 7, UL(.p5), PFPAGE(5) + 8, "#PF write after the kernel clears R/W of a written page (INVLPG)"
    UEXPECT [PFPAGE(5) + 8], 6, "the retried ADD lands once"
    ret

; ---- accessed and dirty bits ----
%macro AD_EXPECT 3
    mov edi, %1
    USYS SYS_GETPTE
    and eax, 0x60
    UEXPECT rax, %2, %3
%endmacro
u_ad:
    AD_EXPECT ADPAGE(4), 0, "untouched page: A = 0, D = 0"
    mov rax, [ADPAGE(0)]
    AD_EXPECT ADPAGE(0), 0x20, "user read: A = 1, D = 0"
    mov qword [ADPAGE(1) + 8], 1
    AD_EXPECT ADPAGE(1), 0x60, "user write: A = 1, D = 1"
    mov rax, [ADPAGE(2)]
    AD_EXPECT ADPAGE(2), 0x20, "read first: A = 1, D = 0"
    mov byte [ADPAGE(2) + 1], 1
    AD_EXPECT ADPAGE(2), 0x60, "then a write sets D"
    inc qword [ADPAGE(3)]
    AD_EXPECT ADPAGE(3), 0x60, "read-modify-write: A = 1, D = 1"
    mov ecx, ADPAGE(5)
    call rcx
    AD_EXPECT ADPAGE(5), 0x20, "instruction fetch: A = 1, D = 0"
    mov edi, ADPAGE(0)
    USYS SYS_CLRAD
    AD_EXPECT ADPAGE(0), 0, "kernel cleared A and D (INVLPG)"
    mov rax, [ADPAGE(0)]
    AD_EXPECT ADPAGE(0), 0x20, "read after the clear sets A again"
    mov edi, ADPAGE(1)
    USYS SYS_CLRAD
    mov rax, [ADPAGE(1)]
    AD_EXPECT ADPAGE(1), 0x20, "read of a once-dirty page after the clear: A only"
    mov [ADPAGE(1) + 16], rax
    AD_EXPECT ADPAGE(1), 0x60, "then a write sets D again"
    UEXC -2, -1, -1, -1, "no faults for A/D updates"
    ret

; ---- CR3 switches and INVLPG ----
u_cr3:
    mov rbx, SWPAGE
    UEXPECT [rbx], 0xC0DE0040, "address space A maps its own frame at 512 GiB"
    xor eax, eax
    mov [U_I], rax
    mov [U_MISS], rax
.loop:
    mov edi, 1
    mov eax, SYS_SETCR3
    test byte [U_I], 1
    jz .int1
    syscall
    jmp .b
.int1:
    int 0x80
.b:
    mov eax, 0xC0DE0041
    cmp [rbx], rax
    je .b_ok
    inc qword [U_MISS]
.b_ok:
    mov rax, [U_I]              ; B's +8 holds the previous round's i
    test rax, rax
    jz .b_prev
    dec rax
.b_prev:
    cmp [rbx + 8], rax
    je .b_ok2
    inc qword [U_MISS]
.b_ok2:
    mov rax, [U_I]
    mov [rbx + 8], rax
    xor edi, edi
    mov eax, SYS_SETCR3
    test byte [U_I], 2
    jz .int2
    syscall
    jmp .a
.int2:
    int 0x80
.a:
    mov eax, 0xC0DE0040
    cmp [rbx], rax
    je .a_ok
    inc qword [U_MISS]
.a_ok:
    mov rax, [U_I]              ; A's +8 holds NOT of the previous round's i
    test rax, rax
    jz .a_prev
    dec rax
    not rax
.a_prev:
    cmp [rbx + 8], rax
    je .a_ok2
    inc qword [U_MISS]
.a_ok2:
    mov rax, [U_I]
    not rax
    mov [rbx + 8], rax
    inc qword [U_I]
    cmp qword [U_I], 100
    jb .loop
    UEXPECT [U_MISS], 0, "100 CR3 switches (INT 0x80 and SYSCALL): each space sees its own frame"
    mov edi, 1
    USYS SYS_SETCR3
    UEXPECT [rbx + 8], 99, "space B kept the last write made in it"
    xor edi, edi
    USYS SYS_SETCR3

    UEXPECT [RMPAGE], 0xC0DE0020, "remap: the first frame"
    xor eax, eax
    mov [U_I], rax
    mov [U_MISS], rax
.remap:
    mov edi, RMPAGE
    mov esi, UFRAME(33)
    mov rdx, [U_I]
    and edx, 1
    USYS SYS_REMAP
    mov eax, 0xC0DE0021
    cmp [RMPAGE], rax
    je .r1
    inc qword [U_MISS]
.r1:
    mov edi, RMPAGE
    mov esi, UFRAME(32)
    mov rdx, [U_I]
    and edx, 1
    USYS SYS_REMAP
    mov eax, 0xC0DE0020
    cmp [RMPAGE], rax
    je .r2
    inc qword [U_MISS]
.r2:
    inc qword [U_I]
    cmp qword [U_I], 20
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
    in al, 0x80
    UCATCH 13, 0, "IN at CPL 3, IOPL 0, no I/O bitmap -> #GP(0)"
    UTRY
    out 0xE9, al
    UCATCH 13, 0, "OUT at CPL 3, IOPL 0, no I/O bitmap -> #GP(0)"
    UTRY
    int 0x41
    UCATCHQ 13, 0x41 * 8 + 2, "INT 0x41 through a DPL-0 gate -> #GP(0x41*8+2)"
    mov ax, SEL_DATA
    UTRY
    mov ds, ax
    UCATCH 13, SEL_DATA, "MOV DS, DPL-0 data selector at CPL 3 -> #GP(selector)"
    xor eax, eax
    UTRY
    mov ss, ax
    UCATCH 13, 0, "MOV SS, null selector at CPL 3 -> #GP(0)"
    UTRY
    mov rax, cr0
    UCATCH 13, 0, "MOV from CR0 at CPL 3 -> #GP(0)"
    mov ecx, MSR_EFER
    UTRY
    rdmsr
    UCATCH 13, 0, "RDMSR at CPL 3 -> #GP(0)"
    UTRY
    swapgs
    UCATCH 13, 0, "SWAPGS at CPL 3 -> #GP(0)"
    UTRY
    ud2
    UCATCH 6, -1, "UD2 -> #UD"
    UTRY
    db 0xCE                     ; INTO
    UCATCH 6, -1, "INTO in 64-bit mode -> #UD"
    UTRY
    db 0x37                     ; AAA
    UCATCH 6, -1, "AAA in 64-bit mode -> #UD"
    mov eax, 1
    xor edx, edx
    xor ecx, ecx
    UTRY
    div rcx
    UCATCH 0, -1, "DIV by 0 -> #DE"
    mov rax, 0x8000000000000000
    cqo
    mov rcx, -1
    UTRY
    idiv rcx
    UCATCH 0, -1, "IDIV INT64_MIN / -1 -> #DE"
    int3
.bp:
    UEXC 3, -1, UL(.bp), -1, "INT3 -> #BP through a DPL-3 gate, RIP after it"
    ; #AC: CR0.AM is set; EFLAGS.AC decides
    mov rax, 0x8877665544332211
    mov [U_BUF], rax
    mov rax, 0x00FFEEDDCCBBAA99
    mov [U_BUF + 8], rax
    pushfq
    or qword [rsp], 0x40000
    popfq
    UTRY
    mov rax, [U_BUF + 4]
    UCATCHQ 17, 0, "misaligned qword load, CR0.AM = AC = 1 -> #AC(0)"
    UTRY
    mov rax, [U_BUF + 8]
    UCATCH -2, -1, "aligned qword load with AC = 1: no #AC"
    pushfq
    and qword [rsp], ~0x40000
    popfq
    UTRY
    mov rax, [U_BUF + 3]
    UCATCH -2, -1, "misaligned qword load with AC = 0: no #AC"
    mov rdx, 0xBBAA998877665544
    UEXPECT rax, rdx, "and it reads the bytes"
    ret

; ---- x87 #MF and SIMD #XM ----
u_fpexc:
    fninit
    fldcw [rel fcw_zm]
    fldz
    fld1
    fdiv st0, st1               ; 1/0, divide-by-zero unmasked: pending
    UTRY
    fwait
    UCATCH 16, -1, "x87 divide by zero unmasked, CR0.NE = 1: #MF at the FWAIT"
    mov rax, [U_EXTRA]
    and eax, 0x80BF
    UEXPECT rax, 0x8084, "#MF: the kernel's FSW has ZE, ES and B"
    fnstsw ax
    and eax, 0x80BF
    UEXPECT rax, 0, "the kernel's FNCLEX reaches the user's FSW"
    fninit

    ldmxcsr [rel mxcsr_zm]
    movaps xmm8, [rel ones]
    xorps xmm9, xmm9
    UTRY
    divps xmm8, xmm9
    UCATCHQ 19, -1, "DIVPS by zero with ZM = 0, CR4.OSXMMEXCPT = 1 -> #XM"
    UEXPECTQ [U_EXTRA], 0x1D84, "#XM: the kernel's MXCSR has ZE"
    stmxcsr [U_BUF]
    mov eax, [U_BUF]
    UEXPECT rax, 0x1D84, "the user's MXCSR after #XM: ZE set, masks kept"
    pcmpeqd xmm8, [rel ones]
    pmovmskb eax, xmm8
    UEXPECTQ rax, 0xFFFF, "#XM: the destination is not written"
    ldmxcsr [rel mxcsr_default]
    ret

; ---- FS and GS bases ----
u_fsgs:
    xor eax, eax
    mov [U_I], rax
    mov [U_MISS], rax
.loop:
    mov edi, U_FSA
    mov esi, U_FSB
    mov eax, SYS_SETBASE
    test byte [U_I], 1
    jz .int1
    syscall
    jmp .ab
.int1:
    int 0x80
.ab:
    mov rax, 0xF5F5000000000001
    cmp [fs:0], rax
    jne .bad
    mov rax, 0x6565000000000002
    cmp [gs:8], rax
    jne .bad
    mov edi, U_FSB
    mov esi, U_FSA
    mov eax, SYS_SETBASE
    test byte [U_I], 2
    jz .int2
    syscall
    jmp .ba
.int2:
    int 0x80
.ba:
    mov ecx, 1
    mov rax, 0x6565000000000002
    cmp [fs:rcx * 8], rax
    jne .bad
    mov rax, 0xF5F5000000000001
    cmp [gs:0], rax
    je .next
.bad:
    inc qword [U_MISS]
.next:
    inc qword [U_I]
    cmp qword [U_I], 50
    jb .loop
    UEXPECT [U_MISS], 0, "FS/GS bases from WRMSR, switched 100 times by system calls, used by fs:/gs:"
    mov eax, fs
    UEXPECT rax, 0, "FS selector still null"
    xor edi, edi
    xor esi, esi
    USYS SYS_SETBASE
    ret

; ---- all 16 GPRs across system calls ----
%macro GPR_EXPECT 1             ; U_OUT against U_IN, RSP against U_RSP
    xor ecx, ecx
    xor edx, edx
%%l:
    cmp ecx, 4
    je %%next
    mov rax, [U_IN + rcx * 8]
    cmp rax, [U_OUT + rcx * 8]
    je %%next
    inc edx
%%next:
    inc ecx
    cmp ecx, 16
    jb %%l
    mov rax, [U_RSP]
    cmp rax, [U_OUT + 4 * 8]
    je %%sp
    inc edx
%%sp:
    UEXPECT rdx, 0, %1
%endmacro
u_state:
    mov eax, 77
    call u_mkin
    mov eax, SYS_NOP
    mov [U_IN], rax
    call u_loadin
    mov [U_RSP], rsp
    int 0x80
    call u_saveout
    GPR_EXPECT "INT 0x80: all 16 GPRs kept"
    mov eax, 78
    call u_mkin
    mov eax, SYS_NOP
    mov [U_IN], rax
    call u_loadin
    mov [U_RSP], rsp
    syscall
.after:
    call u_saveout
    lea rax, [rel .after]
    mov [U_IN + 1 * 8], rax     ; RCX = the next RIP
    pushfq
    pop rax
    mov [U_IN + 11 * 8], rax    ; R11 = RFLAGS (unchanged since)
    GPR_EXPECT "SYSCALL: the GPRs kept but RCX = next RIP and R11 = RFLAGS"
    ret

; ---- x87 and SSE registers across kernel entries ----
%macro XMM_EXPECT 3
    pcmpeqd xmm%1, [rel %2]
    pmovmskb eax, xmm%1
    UEXPECT rax, 0xFFFF, %3
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
%assign r 0
%rep 16
    movdqu xmm%[r], [rel xmm_pat + %[r] * 16]
%assign r r + 1
%endrep
    USYS SYS_FPCHK
    mov qword [U_I], 50
.calls:
    mov eax, SYS_NOP
    int 0x80
    mov eax, SYS_NOP
    syscall
    dec qword [U_I]
    jnz .calls
    mov edi, 1
    USYS SYS_TIMER
    mov qword [U_SPIN], SPIN_MAX
.spin:
    dec qword [U_SPIN]
    jz .spun
    cmp qword [U_TICKS], 3
    jb .spin
.spun:
    xor edi, edi
    USYS SYS_TIMER
    mov rax, [U_TICKS]
    cmp rax, 3
    setae al
    movzx eax, al
    UEXPECT rax, 1, "three timer interrupts while the user holds x87/SSE state"
    mov ecx, 8
    xor ebx, ebx
.fist:
    fistp dword [U_BUF]
    cmp [U_BUF], ecx
    je .fist_ok
    inc ebx
.fist_ok:
    loop .fist
    UEXPECT rbx, 0, "ST0-ST7 survive system calls and interrupts"
    XMM_EXPECT 0, xmm0_after, "XMM0 has the kernel's change (dword 0 + 1)"
%assign r 1
%rep 14
%defstr rs %[r]
%strcat nm "XMM", rs, " survives"
    XMM_EXPECT %[r], xmm_pat + %[r] * 16, nm
%assign r r + 1
%endrep
    XMM_EXPECT 15, xmm15_after, "XMM15 has the kernel's change (dword 3 + 1)"
    ret

; ---- timer preemption: a loop that only an interrupt can end ----
u_timer:
    mov eax, 99
    call u_mkin
    mov rax, 0x0123456789ABCDEF
    mov [U_IN], rax
    mov edi, 1
    USYS SYS_TIMER
    call u_loadin
    mov rax, [U_IN]
    mov [U_RSP], rsp
    mov qword [U_SPIN], SPIN_MAX
.spin:
    dec qword [U_SPIN]
    jz .spun
    cmp qword [U_TICKS], 5
    jb .spin
.spun:
    call u_saveout
    xor edi, edi
    USYS SYS_TIMER
    mov rax, [U_TICKS]
    cmp rax, 5
    setae al
    movzx eax, al
    UEXPECT rax, 1, "a user loop on a counter sees 5 timer ticks (PIT, IRQ0)"
    GPR_EXPECT "all 16 GPRs survive the timer interrupts"
    ret

; ---- self-modifying user code ----
u_smc:
    mov dword [SMCPAGE], 0x332211B8         ; mov eax, 44332211h / ret
    mov word [SMCPAGE + 4], 0xC344
    mov ecx, SMCPAGE
    call rcx
    UEXPECT rax, 0x44332211, "user code written to a page, then run"
    mov dword [SMCPAGE], 0xC3054189         ; mov [rcx + 5], eax / ret
    mov ecx, SMCPAGE + 0x800
    mov eax, 0x600DF00D
    mov edx, SMCPAGE
    call rdx
    mov eax, [SMCPAGE + 0x805]
    UEXPECT rax, 0x600DF00D, "the same bytes rewritten with another instruction"
    mov byte [SMCPAGE + 0x100], 0xB8        ; mov eax, imm32 / ret
    mov byte [SMCPAGE + 0x105], 0xC3
    xor ebx, ebx
    xor esi, esi
    mov edi, SMCPAGE + 0x100
.loop:
    imul eax, ebx, 3
    mov [SMCPAGE + 0x101], eax
    call rdi
    add esi, eax
    inc ebx
    cmp ebx, 100
    jb .loop
    UEXPECT rsi, 3 * 4950, "an immediate rewritten before each of 100 runs"
    ret

; ---- compatibility mode: 32-bit ring-3 code, CS = 2Bh ----
bits 32
compat_main:
    mov eax, cs
    CEXPECT eax, UCS32, "compatibility mode: CS = 2Bh (L = 0, D = 1)"
    xor eax, eax
    mov [U_I], eax
    mov [U_MISS], eax
.mix:
    mov eax, [U_I]
    imul ebx, eax, 0x01234567
    lea ecx, [eax + 0x11]
    mov edx, eax
    not edx
    lea esi, [eax * 4 + 0x1000]
    lea edi, [eax + 0x7FFFFFF0]
    imul ebp, eax, 13
    mov eax, SYS_MIX32
    int 0x80
    mov [U_OUT + 0], eax
    mov [U_OUT + 4], ebx
    mov [U_OUT + 8], ecx
    mov [U_OUT + 12], edx
    mov [U_OUT + 16], esi
    mov [U_OUT + 20], edi
    mov [U_OUT + 24], ebp
    mov eax, [U_I]
    imul ebx, eax, 0x01234567
    lea ecx, [eax + 0x11]
    mov edx, eax
    not edx
    lea esi, [eax * 4 + 0x1000]
    lea edi, [eax + 0x7FFFFFF0]
    imul ebp, eax, 13
    lea eax, [edi + esi]
    cmp eax, [U_OUT + 0]
    jne .bad
    not ebx
    cmp ebx, [U_OUT + 4]
    jne .bad
    lea ecx, [ecx + ecx * 4]
    cmp ecx, [U_OUT + 8]
    jne .bad
    add edx, 3
    cmp edx, [U_OUT + 12]
    jne .bad
    dec esi
    cmp esi, [U_OUT + 16]
    jne .bad
    rol edi, 4
    cmp edi, [U_OUT + 20]
    jne .bad
    xor ebp, 0x5A5A5A5A
    cmp ebp, [U_OUT + 24]
    je .next
.bad:
    inc dword [U_MISS]
.next:
    inc dword [U_I]
    cmp dword [U_I], 100
    jb .mix
    CEXPECT [U_MISS], 0, "compatibility mode: 100 INT 0x80 round trips, EAX-EBP in and out"
.pf:
    mov eax, [PFPAGE(8) + 4]
    CEXC 14, 4, UL(.pf), PFPAGE(8) + 4, "compatibility mode: #PF user read, not present: code 4, CR2, EIP"
    mov eax, [PFPAGE(8)]
    CEXPECT eax, 0xC0DE0008, "compatibility mode: the read is retried"
    CTRY
    hlt
    CCATCH 13, 0, "compatibility mode: HLT -> #GP(0)"
    mov al, 0x7F
    add al, 1
    into
.of:
    CEXC 4, -1, UL(.of), -1, "compatibility mode: INTO with OF = 1 -> #OF, EIP after it"
    xor eax, eax
    into
    CEXC -2, -1, -1, -1, "compatibility mode: INTO with OF = 0: nothing"
    mov eax, SYS_EXIT
    int 0x80
bits 64

; ---------------------------------------------------------------- data
    U64_USER_DATA
align 8
mk_tab:
    dq 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xD6E8FEB86659FD93
    dq 0xA0761D6478BD642F, 0xE7037ED1A0B428DB, 0x8EBC6AF09C88C6E3, 0x589965CC75374CC3
    dq 0x1D8E4E27C47D124F, 0x72BE5D74F27B9F1B, 0x3C79AC492BA7B653, 0x1C69B3F74AC4AE35
    dq 0xB492B66FBE98F273, 0x9AE16A3B2F90404F, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9
align 16
xmm_pat:
%assign i 0
%rep 16
    dd 0x01000000 * (i + 1) + 0x1111, 0x0F000000 - i, 0x00ABCDEF + i * 0x100, 0x7E57DA7A ^ i
%assign i i + 1
%endrep
xmm0_after:
    dd 0x01000000 + 0x1111 + 1, 0x0F000000, 0x00ABCDEF, 0x7E57DA7A
xmm15_after:
    dd 0x01000000 * 16 + 0x1111, 0x0F000000 - 15, 0x00ABCDEF + 15 * 0x100, (0x7E57DA7A ^ 15) + 1
ones:
    dd 1.0, 1.0, 1.0, 1.0
fcw_zm:
    dw 0x037B                   ; ZM clear
mxcsr_zm:
    dd 0x1D80                   ; ZM clear
mxcsr_default:
    dd 0x1F80

    U64_USER_END

    U64_LIB
    LM_LIB
    ROM_END
