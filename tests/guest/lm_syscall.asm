; lm_syscall.asm — SYSCALL and SYSRET in long mode: #UD while EFER.SCE = 0,
; SYSCALL saving RIP in RCX and RFLAGS in R11, masking RFLAGS with
; IA32_FMASK and loading CS/SS from STAR[47:32]; SYSRET to 64-bit ring 3
; (CS = STAR[63:48] + 16, SS = + 8, RFLAGS = R11 & 3C7FD7h | 2) and to
; compatibility mode (CS = STAR[63:48], EIP = ECX); SYSRET at CPL 3
; -> #GP(0); SYSRET with a non-canonical RCX (Intel: #GP(0) at CPL 0).
; Intel SDM vol. 2B SYSCALL, SYSRET; vol. 3A 5.8.8; AMD APM vol. 3.
;
; qemu-differs: QEMU 7.2 TCG clears the arithmetic flags in RFLAGS on SYSCALL in long mode (SDM SYSCALL: RFLAGS <- RFLAGS AND NOT IA32_FMASK keeps them); on SYSRET it leaves out VIF and VIP and would load VM and RF from R11 (SDM: RFLAGS <- R11 AND 3C7FD7h OR 2; the test sets no VM); with vendor=GenuineIntel it still takes SYSCALL in compatibility mode (Intel: #UD) and faults a non-canonical SYSRET at CPL 3 (Intel: #GP(0) at CPL 0)
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "lm.inc"

%define SC_RCX  0x0800          ; what the SYSCALL entry saw
%define SC_R11  0x0808
%define SC_RFL  0x0810
%define SC_CS   0x0818
%define SC_SS   0x0820
%define SC_RSP  0x0828
%define SC_KRSP 0x0830          ; kernel RSP to continue with
%define SC_CONT 0x0838          ; where the entry continues

%define FMASK   0x44700         ; AC, NT, DF, IF, TF
%define STAR    ((0x28 << 48) | (SEL_CODE64 << 32))
%define USER_RFL_IN  (0x3C7ED7 | 0x10000 | 0x8028)   ; + RF, bits 3, 5, 15
; (not VM: QEMU 7.2 would load it, and VM=1 in long mode breaks its I/O)
%define USER_RFL     0x3C7ED7                        ; what SYSRET keeps

; SYSCALL_TO label: the next SYSCALL's entry continues at label (CPL 0,
; RSP as now).
%macro SYSCALL_TO 1
    mov [SC_KRSP], rsp
    push rax
    lea rax, [rel %1]
    mov [SC_CONT], rax
    pop rax
%endmacro

start:
    ROM_INIT
    PUTS `lm_syscall: SYSCALL/SYSRET, STAR/LSTAR/FMASK\n`
    LM_ENTER
    mov al, 0xFF                ; mask the PICs: user code runs with IF = 1
    out 0x21, al
    out 0xA1, al

    ; ---- EFER.SCE = 0 ----
    TRY64
    syscall
    CATCH64 6, -1, "SYSCALL with EFER.SCE = 0 -> #UD"
    TRY64
    o64 sysret
    CATCH64 6, -1, "SYSRET with EFER.SCE = 0 -> #UD"

    mov ecx, MSR_STAR
    mov eax, STAR & 0xFFFFFFFF
    mov edx, STAR >> 32
    wrmsr
    mov ecx, MSR_LSTAR
    lea rax, [rel syscall_entry]
    xor edx, edx
    wrmsr
    mov ecx, MSR_FMASK
    mov eax, FMASK
    wrmsr
    mov ecx, MSR_EFER
    rdmsr
    or eax, EFER_SCE
    wrmsr
    mov ecx, MSR_STAR
    rdmsr
    shl rdx, 32
    or rax, rdx
    mov rdx, STAR
    EXPECT64 rax, rdx, "STAR reads back"

    ; ---- SYSCALL at CPL 0 ----
    SYSCALL_TO .k1
    std
    pushfq
    pop rbx                     ; RFLAGS at the SYSCALL
    syscall
.after1:
    jmp .k1                     ; never: the entry continues at .k1
.k1:
    cld
    lea rax, [rel .after1]
    EXPECT64 [SC_RCX], rax, "SYSCALL: RCX = the next RIP"
    EXPECT64 [SC_R11], rbx, "SYSCALL: R11 = RFLAGS (DF set)"
    mov rax, rbx
    and rax, ~FMASK
    EXPECT64 [SC_RFL], rax, "SYSCALL: RFLAGS &= ~IA32_FMASK (DF cleared)"
    EXPECT64 [SC_CS], SEL_CODE64, "SYSCALL: CS = STAR[47:32]"
    EXPECT64 [SC_SS], SEL_DATA, "SYSCALL: SS = STAR[47:32] + 8"
    EXPECT64 [SC_RSP], rsp, "SYSCALL does not switch stacks"

    ; ---- SYSRET to 64-bit ring 3, SYSCALL back ----
    SYSCALL_TO .k2
    lea rcx, [rel user64]
    mov r11, USER_RFL_IN
    mov rsp, USER_TOP
    o64 sysret
.k2:
    EXPECT64 r12, USER_RFL, "SYSRET: RFLAGS = R11 & 3C7FD7h | 2 (bits 3, 5, 15 cleared)"
    EXPECT64 r13, SEL_CODE64_R3, "SYSRET (REX.W): CS = STAR[63:48] + 16, RPL 3"
    EXPECT64 r14, SEL_DATA_R3, "SYSRET: SS = STAR[63:48] + 8, RPL 3"
    EXPECT64 r15, USER_TOP, "SYSRET does not switch stacks"
    EXPECT64 [SC_RSP], USER_TOP, "SYSCALL from ring 3 keeps the user RSP"
    lea rax, [rel user64.after]
    EXPECT64 [SC_RCX], rax, "SYSCALL from ring 3: RCX = the user's next RIP"
    EXPECT64 [SC_R11], USER_RFL, "SYSCALL from ring 3: R11 = the user RFLAGS"
    EXPECT64 [SC_RFL], USER_RFL & ~FMASK, "SYSCALL from ring 3: IF, DF, AC, NT cleared by FMASK"
    EXPECT64 [SC_CS], SEL_CODE64, "SYSCALL from ring 3: CS = STAR[47:32], CPL 0"
    EXPECT64 [SC_SS], SEL_DATA, "SYSCALL from ring 3: SS = STAR[47:32] + 8"

    ; ---- SYSRET at CPL 3 ----
    lea rcx, [rel user_sysret]
    mov r11, 0x2
    TRY64
    o64 sysret                  ; to ring 3, which tries SYSRET itself
    CATCH64 13, 0, "SYSRET at CPL 3 -> #GP(0)"
    EXPECT64 [EXC_CS], SEL_CODE64_R3, "the SYSRET #GP is taken at CPL 3"

    ; ---- SYSRET to compatibility mode ----
    mov rcx, 0xFFFFFFFF00000000 ; only ECX is used
    or rcx, LIN(user32)
    mov r11, 0x202
    TRY64
    sysret                      ; 32-bit operand size: compatibility mode
    CATCH64 6, -1, "SYSRET (no REX.W) reaches compatibility-mode code (its UD2)"
    EXPECT64 [EXC_CS], SEL_CODE32_R3, "SYSRET to compatibility mode: CS = STAR[63:48], RPL 3"
    EXPECT64 [EXC_SS], SEL_DATA_R3, "SYSRET to compatibility mode: SS = STAR[63:48] + 8"
    mov rax, LIN(user32.ud)
    EXPECT64 [EXC_RIP], rax, "SYSRET to compatibility mode: EIP = ECX (bits 63:32 dropped)"
    EXPECT64 rsi, SEL_CODE32_R3, "compatibility-mode code reads CS = 2Bh"
    and edi, 0x202
    EXPECT64 rdi, 0x202, "SYSRET to compatibility mode loads RFLAGS from R11"

    ; ---- SYSCALL in compatibility mode (vendor-specific) ----
    mov ecx, MSR_CSTAR
    lea rax, [rel syscall_entry]
    mov rdx, rax
    shr rdx, 32
    wrmsr
    xor eax, eax
    cpuid
    cmp ecx, 'ntel'
    je .compat_intel
    SYSCALL_TO .k4              ; AMD: through IA32_CSTAR
    mov ecx, LIN(user32_sc)
    mov r11, 0x2
    sysret
.k4:
    EXPECT64 [SC_CS], SEL_CODE64, "AMD: SYSCALL in compatibility mode enters 64-bit code at IA32_CSTAR"
    mov eax, LIN(user32_sc.after)
    EXPECT64 [SC_RCX], rax, "AMD: SYSCALL in compatibility mode saves the next EIP in RCX"
    jmp .compat_done
.compat_intel:
    SYSCALL_TO .intel_no_ud     ; a SYSCALL that goes through fails below
    mov ecx, LIN(user32_sc)
    mov r11, 0x2
    TRY64
    sysret
.intel_no_ud:
    CATCH64 6, -1, "Intel: SYSCALL in compatibility mode -> #UD"
.compat_done:

    ; ---- SYSRET with a non-canonical RCX (vendor-specific) ----
    xor eax, eax
    cpuid
    cmp ecx, 'ntel'             ; GenuineIntel: #GP(0) at CPL 0
    jne .not_intel
    mov rcx, 0x0000800000000000
    mov r11, 0x2
    TRY64
    o64 sysret
    CATCH64 13, 0, "Intel: SYSRET to a non-canonical RCX -> #GP(0)"
    EXPECT64 [EXC_CS], SEL_CODE64, "Intel: that #GP is taken at CPL 0"
    jmp .canon_done
.not_intel:
    PUTS64 `note: not GenuineIntel: SYSRET with a non-canonical RCX not checked (AMD faults at CPL 3)\n`
.canon_done:
    FINISH64

syscall_entry:
    mov [SC_RCX], rcx
    mov [SC_R11], r11
    mov [SC_RSP], rsp
    pushfq
    pop qword [SC_RFL]
    push rax
    xor eax, eax
    mov ax, cs
    mov [SC_CS], rax
    mov ax, ss
    mov [SC_SS], rax
    pop rax
    mov rsp, [SC_KRSP]
    jmp [SC_CONT]

user64:                         ; CPL 3, 64-bit
    pushfq
    pop r12
    mov r13d, 0                 ; MOV, not XOR: the flags are checked
    mov r13w, cs
    mov r14d, 0
    mov r14w, ss
    mov r15, rsp
    syscall
.after:
    ud2

user_sysret:                    ; CPL 3: SYSRET must fault here
    lea rcx, [rel .wrong]
    o64 sysret
.wrong:
    ud2

bits 32
user32_sc:                      ; CPL 3, compatibility mode
    syscall
.after:
    ud2

user32:                         ; CPL 3, compatibility mode, CS base 0
    xor esi, esi
    mov si, cs
    pushfd
    pop edi
.ud:
    ud2
bits 64

    LM_LIB
ROM_END
