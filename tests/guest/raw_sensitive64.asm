; raw_sensitive64.asm — the 64-bit counterpart of raw_sensitive.asm:
; instructions that 64-bit ring-3 code may execute but that show state only
; the kernel set, checked at ring 3 against what the kernel knows. A raw
; engine that runs user code natively must give the guest's values, not
; the host's: CPUID leaves 0, 1, 7, 0Dh (subleaves 0 and 1), 80000000h and
; 80000001h (against CPUID at ring 0); SGDT and SIDT (10 bytes: the tables
; the kernel loaded); SLDT and STR (64-bit, 32-bit register and 16-bit
; memory forms; the kernel's TR is not the usual 40h); SMSW (against CR0,
; whose MP bit the kernel clears); MOV from CS SS DS ES FS GS; PUSHF with
; IOPL 0 and IOPL 3 (POPF and CLI change IF only at IOPL 3, IOPL never);
; LAR, LSL, VERR, VERW on code, data, LDT, TSS and call-gate descriptors
; (IA-32e forms, DPL 0 or 3), null, LDT and out-of-limit selectors, and on 23h, 2Bh, 33h,
; 3Bh and 7Bh, which a host would answer from its own GDT; RDTSC and RDTSCP
; between two kernel reads of the TSC (RDTSCP's ECX = IA32_TSC_AUX as the
; kernel wrote it), both #GP(0) with CR4.TSD = 1, RDPMC #GP(0) with
; CR4.PCE = 0; FS and GS bases the kernel wrote (WRMSR), read through fs:
; and gs: and switched by a system call; RDFSBASE and WRGSBASE #UD with
; CR4.FSGSBASE = 0 (a host kernel may have set its own).
; Intel SDM vol. 2 (each instruction), vol. 3A 2.8 (system instructions),
; 3.4.5 and 8.2.3 (descriptors in IA-32e mode), 5.10.4, 17.17 (TSC).
; Each value is printed too ("  name: value"). The user code runs from guest
; RAM (user64.inc); RDTSC/RDTSCP sit alone on one page, CPUID on the last
; code page (u_cpuid), so that the rest stays native in a raw engine that
; keeps such pages to its interpreter.
;
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
; raw-native: its ring-3 code is in guest RAM, so raw mode must run it on the host CPU (where the host runs 64-bit code: always)
%include "rom.inc"
%include "lm.inc"
%include "user64.inc"

; more descriptors (GDT_FREE = 50h on); every code/data one accessed
%define SEL_RO3    0x50         ; read-only data, DPL 3, limit FFFFh
%define SEL_XO3    0x58         ; execute-only 32-bit code, DPL 3, limit FFFh
%define SEL_LDT0   0x60         ; LDT, DPL 0 (16 bytes), LLDT at init
%define SEL_CONF0  0x70         ; conforming readable code, DPL 0, 4 GiB
%define SEL_BYTE3  0x78         ; data, DPL 3, limit 12345h (bytes)
%define SEL_GATE3  0x80         ; 64-bit call gate, DPL 3 (16 bytes)
%define SEL_TSS3   0x90         ; available 64-bit TSS, DPL 3 (16 bytes)
%define SEL_PAGE3  0xA0         ; data, DPL 3, limit ABCh (4 KiB units)
%define SEL_NP3    0xA8         ; data, DPL 3, not present
%define SEL_TR     0xD0         ; the TSS the kernel's TR selects (16 bytes)
%define LDT64_BASE 0x6000       ; null, data DPL 3 limit 5555h, null

%define TSC_AUX    0x5A17
%define FS_LIN     0x460000     ; -> UFRAME(0)
%define GS_LIN     0x8000000000 ; -> UFRAME(1), through PML4[1]

%define SYS_CPUID   (SYS_TEST + 0)  ; RDI = leaf, RSI = subleaf, R8 -> the user's EAX-EDX, RDX = name
%define SYS_CR4     (SYS_TEST + 1)  ; RDI = bits to set, RSI = bits to clear
%define SYS_RDTSC   (SYS_TEST + 2)  ; RAX = the TSC read at ring 0
%define SYS_SETBASE (SYS_TEST + 3)  ; RDI = FS base, RSI = GS base (WRMSR)

%define U_KCR0  (U_FREE + 0x00)     ; CR0 as the kernel reads it
%define U_T0    (U_FREE + 0x08)     ; TSC values
%define U_T1    (U_FREE + 0x10)
%define U_T2    (U_FREE + 0x18)
%define U_T3    (U_FREE + 0x20)
%define U_RSP   (U_FREE + 0x28)
%define U_BUF   (U_FREE + 0x40)     ; 16 bytes

start:
    ROM_INIT
    PUTS `raw_sensitive64: CPUID, descriptor tables, selectors, flags, TSC, FS/GS at ring 3 in long mode\n`
    LM_ENTER
    U64_INIT
    SET_SYSCALL SYS_CPUID, sys_cpuid
    SET_SYSCALL SYS_CR4, sys_cr4
    SET_SYSCALL SYS_RDTSC, sys_rdtsc
    SET_SYSCALL SYS_SETBASE, sys_setbase
    ; the descriptors, the LDT, and TR moved to a TSS selector of its own
    lea rsi, [rel sens_gdt]
    mov edi, GDT_BASE + GDT_FREE
    mov ecx, sens_gdt_end - sens_gdt
    rep movsb
    lea rsi, [rel sens_ldt]
    mov edi, LDT64_BASE
    mov ecx, 3
    rep movsq
    mov ax, SEL_LDT0
    lldt ax
    mov ax, SEL_TR
    ltr ax
    mov ecx, 0xC0000103         ; IA32_TSC_AUX
    mov eax, TSC_AUX
    xor edx, edx
    wrmsr
    ; CR0.MP = 0 (nothing here waits with TS = 1): CR0's low word is then
    ; not the 33h a usual host has
    mov rax, cr0
    and eax, ~2
    mov cr0, rax
    mov [U_KCR0], rax
    PUTS64 "  kernel CR0: "
    PUTHEX64 rax
    PUTS64 `\n`
    ; the FS and GS targets: FS_LIN -> UFRAME(0), GS_LIN -> UFRAME(1)
    mov edi, UFRAME(0)
    xor eax, eax
    mov ecx, 2 * 512
    rep stosq
    mov rax, 0xF5F5000000000001
    mov [UFRAME(0)], rax
    inc rax
    mov [UFRAME(0) + 8], rax
    mov rax, 0x6565000000000001
    mov [UFRAME(1)], rax
    inc rax
    mov [UFRAME(1) + 8], rax
    mov qword [U_PTE(FS_LIN)], UFRAME(0) | 7
    mov qword [PML4_A + 8], PT_FREE | 7
    mov qword [PT_FREE], (PT_FREE + 0x1000) | 7
    mov qword [PT_FREE + 0x1000], (PT_FREE + 0x2000) | 7
    mov qword [PT_FREE + 0x2000], UFRAME(1) | 7
    mov rax, cr3
    mov cr3, rax

    U64_RUN user_main
    mov qword [K_USER_RFL], 0x3202          ; IOPL 3 this time
    U64_RUN user_iopl3
    FINISH64

; ---------------------------------------------------------------- kernel
; SYS_CPUID: CPUID at ring 0 with the user's leaf and subleaf, compared
; with the four values ring 3 got
sys_cpuid:
    mov eax, [rbp + F_RDI]
    mov ecx, [rbp + F_RSI]
    cpuid
    mov [SCRATCH], eax
    mov [SCRATCH + 4], ebx
    mov [SCRATCH + 8], ecx
    mov [SCRATCH + 12], edx
    PUTS64 "  ring 0:"
    mov esi, SCRATCH
    call k_put4
    PUTS64 "  ring 3:"
    mov rsi, [rbp + F_R8]
    call k_put4
    mov rdi, [rbp + F_R8]
    mov rax, [SCRATCH]
    cmp rax, [rdi]
    jne .report
    mov rax, [SCRATCH + 8]
    cmp rax, [rdi + 8]
.report:
    mov byte [K_QOK], 0
    mov rsi, [rbp + F_RDX]
    call k_report
    ret

k_put4:                         ; RSI -> four dwords, printed as one line
    push rcx
    xor ecx, ecx
.l:
    mov al, ' '
    out DEBUGCON_PORT, al
    mov eax, [rsi + rcx * 4]
    call k_puthex32
    inc ecx
    cmp ecx, 4
    jb .l
    mov al, 10
    out DEBUGCON_PORT, al
    pop rcx
    ret

k_puthex32:                     ; EAX -> 8 hex digits
    push rbx
    push rcx
    mov ebx, eax
    mov ecx, 8
.hex:
    rol ebx, 4
    mov al, bl
    and al, 0x0f
    add al, '0'
    cmp al, '9'
    jbe .digit
    add al, 'a' - '0' - 10
.digit:
    out DEBUGCON_PORT, al
    loop .hex
    pop rcx
    pop rbx
    ret

sys_cr4:
    mov rax, cr4
    or rax, [rbp + F_RDI]
    mov rdx, [rbp + F_RSI]
    not rdx
    and rax, rdx
    mov cr4, rax
    ret

sys_rdtsc:
    rdtsc
    shl rdx, 32
    or rax, rdx
    mov [rbp + F_RAX], rax
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

; ---------------------------------------------------------------- user
; UCPUID leaf, subleaf, "name"
%macro UCPUID 3
    mov eax, %1
    mov ecx, %2
    call u_cpuid
    mov [U_BUF], eax
    mov [U_BUF + 4], ebx
    mov [U_BUF + 8], ecx
    mov [U_BUF + 12], edx
    mov edi, %1
    mov esi, %2
    mov r8d, U_BUF
    push rdx
    jmp %%after
%%name: db %3, 0
%%after:
    lea rdx, [rel %%name]
    USYS SYS_CPUID
    pop rdx
%endmacro

; UCALLTRY function, vector, code, "name": the first instruction of the
; function faults (the user resumes after the call, RSP as before)
%macro UCALLTRY 4
    mov [U_RSP], rsp
    mov qword [U_RESUME], UL(%%catch)
    call %1
%%catch:
    mov rsp, [U_RSP]
    mov qword [U_RESUME], 0
    UEXC %2, %3, UL(%1), -1, %4
%endmacro

; SELCHK selector, LAR, LSL, VERR, VERW, "what": LAR/LSL -1 = fails (ZF = 0,
; destination unchanged); VERR/VERW 1 = ZF set. Each value is printed.
%macro SELCHK 6
    mov ecx, %1
    call u_lar
%strcat %%n1 "LAR ", %6
    UPUT %%n1, rax
    UEXPECT rax, %2, %%n1
    call u_lsl
%strcat %%n2 "LSL ", %6
    UPUT %%n2, rax
    UEXPECT rax, %3, %%n2
    xor eax, eax
    verr cx
    setz al
%strcat %%n3 "VERR ", %6
    UPUT %%n3, rax
    UEXPECT rax, %4, %%n3
    xor eax, eax
    verw cx
    setz al
%strcat %%n4 "VERW ", %6
    UPUT %%n4, rax
    UEXPECT rax, %5, %%n4
%endmacro

; Ring-3 code, copied to RAM by U64_INIT.
    U64_USER_BEGIN
user_main:
    call u_cpuids
    call u_tables
    call u_segs
    call u_flags
    call u_selectors
    call u_tsc
    call u_bases
    USYS SYS_EXIT

; ---- CPUID ----
u_cpuids:
    UCPUID 0, 0, "CPUID leaf 0 at ring 3 = at ring 0"
    UCPUID 1, 0, "CPUID leaf 1 at ring 3 = at ring 0"
    UCPUID 7, 0, "CPUID leaf 7 subleaf 0 at ring 3 = at ring 0"
    UCPUID 0xD, 0, "CPUID leaf 0Dh subleaf 0 at ring 3 = at ring 0"
    UCPUID 0xD, 1, "CPUID leaf 0Dh subleaf 1 at ring 3 = at ring 0"
    UCPUID 0x80000000, 0, "CPUID leaf 80000000h at ring 3 = at ring 0"
    UCPUID 0x80000001, 0, "CPUID leaf 80000001h at ring 3 = at ring 0"
    ret

; ---- descriptor-table registers and the machine status word ----
%macro FILLBUF 0
    mov qword [U_BUF], -1
    mov qword [U_BUF + 8], -1
%endmacro
u_tables:
    FILLBUF
    sgdt [U_BUF]
    movzx eax, word [U_BUF]
    UPUT "SGDT limit", rax
    UEXPECT rax, 0xFFF, "SGDT at ring 3: the limit the kernel loaded"
    mov rax, [U_BUF + 2]
    UPUT "SGDT base", rax
    UEXPECT rax, GDT_BASE, "SGDT at ring 3: the 64-bit base the kernel loaded"
    movzx eax, word [U_BUF + 10]
    UEXPECT rax, 0xFFFF, "SGDT in 64-bit mode stores 10 bytes"
    FILLBUF
    sidt [U_BUF]
    movzx eax, word [U_BUF]
    UPUT "SIDT limit", rax
    UEXPECT rax, 0xFFF, "SIDT at ring 3: the limit the kernel loaded"
    mov rax, [U_BUF + 2]
    UPUT "SIDT base", rax
    UEXPECT rax, IDT_BASE, "SIDT at ring 3: the 64-bit base the kernel loaded"
    movzx eax, word [U_BUF + 10]
    UEXPECT rax, 0xFFFF, "SIDT in 64-bit mode stores 10 bytes"

    mov rax, -1
    sldt rax
    UPUT "SLDT r64", rax
    UEXPECT rax, SEL_LDT0, "SLDT r64: the LDT selector, zero-extended"
    mov rax, -1
    sldt eax
    UEXPECT rax, SEL_LDT0, "SLDT r32: the LDT selector, zero-extended to 64 bits"
    FILLBUF
    sldt [U_BUF]
    mov rax, [U_BUF]
    UEXPECT rax, 0xFFFFFFFFFFFF0000 | SEL_LDT0, "SLDT m16 writes two bytes"
    mov rax, -1
    str rax
    UPUT "STR r64", rax
    UEXPECT rax, SEL_TR, "STR r64: the TSS selector (D0h), zero-extended"
    mov rax, -1
    str eax
    UEXPECT rax, SEL_TR, "STR r32: the TSS selector, zero-extended to 64 bits"
    FILLBUF
    str [U_BUF]
    mov rax, [U_BUF]
    UEXPECT rax, 0xFFFFFFFFFFFF0000 | SEL_TR, "STR m16 writes two bytes"

    mov rax, -1
    smsw rax
    UPUT "SMSW r64", rax
    movzx eax, ax
    movzx ebx, word [U_KCR0]
    UEXPECT rax, rbx, "SMSW r64: CR0 bits 15:0 as the kernel reads them (MP = 0)"
    mov rax, -1
    smsw eax
    UPUT "SMSW r32", rax
    movzx eax, ax
    UEXPECT rax, rbx, "SMSW r32: CR0 bits 15:0"
    FILLBUF
    smsw [U_BUF]
    mov rax, [U_BUF]
    mov rcx, 0xFFFFFFFFFFFF0000
    or rcx, rbx
    UEXPECT rax, rcx, "SMSW m16: CR0 bits 15:0, two bytes"
    ret

; ---- segment registers ----
u_segs:
    mov rax, -1
    mov rax, cs
    UPUT "CS", rax
    UEXPECT rax, UCS64, "MOV r64, CS: 3Bh zero-extended"
    mov rax, -1
    mov eax, cs
    UEXPECT rax, UCS64, "MOV r32, CS: 3Bh zero-extended"
    mov rax, -1
    mov rax, ss
    UPUT "SS", rax
    UEXPECT rax, USS, "MOV r64, SS: 33h"
    mov rax, -1
    mov rax, ds
    UPUT "DS", rax
    UEXPECT rax, USS, "MOV r64, DS: 33h"
    mov rax, -1
    mov rax, es
    UPUT "ES", rax
    UEXPECT rax, USS, "MOV r64, ES: 33h"
    mov rax, -1
    mov rax, fs
    UPUT "FS", rax
    UEXPECT rax, 0, "MOV r64, FS: null"
    mov rax, -1
    mov rax, gs
    UPUT "GS", rax
    UEXPECT rax, 0, "MOV r64, GS: null"
    FILLBUF
    mov [U_BUF], cs
    mov rax, [U_BUF]
    UEXPECT rax, 0xFFFFFFFFFFFF0000 | UCS64, "MOV m16, CS writes two bytes"
    FILLBUF
    mov [U_BUF], ss
    mov rax, [U_BUF]
    UEXPECT rax, 0xFFFFFFFFFFFF0000 | USS, "MOV m16, SS writes two bytes"
    ; selectors the user loads itself
    mov ax, SEL_BYTE3 | 3
    mov es, ax
    mov ax, SEL_RO3 | 3
    mov gs, ax
    mov rax, -1
    mov rax, es
    UPUT "ES after MOV ES, 7Bh", rax
    UEXPECT rax, SEL_BYTE3 | 3, "MOV r64, ES: the selector the user loaded (7Bh)"
    mov rax, -1
    mov rax, gs
    UPUT "GS after MOV GS, 53h", rax
    UEXPECT rax, SEL_RO3 | 3, "MOV r64, GS: the selector the user loaded (53h)"
    mov ax, USS
    mov es, ax
    xor eax, eax
    mov gs, ax
    ret

; ---- RFLAGS at IOPL 0 ----
u_flags:
    pushfq
    pop rax
    UPUT "PUSHF", rax
    and eax, 0x7200             ; NT IOPL IF
    UEXPECT rax, 0x200, "PUSHF at CPL 3: IF = 1, IOPL 0 as the kernel set them"
    push 0
    popfq
    pushfq
    pop rax
    UPUT "PUSHF after POPF 0", rax
    UEXPECT rax, 0x202, "POPF at CPL 3, IOPL 0 cannot clear IF"
    push 0x3202
    popfq
    pushfq
    pop rax
    UEXPECT rax, 0x202, "POPF at CPL 3 does not raise IOPL"
    push 0x240CD7               ; ID AC OF DF SF ZF AF PF CF
    popfq
    pushfq
    pop rax
    push 0x202
    popfq
    UPUT "PUSHF after POPF 240CD7h", rax
    UEXPECT rax, 0x240ED7, "POPF at CPL 3 sets ID, AC, the arithmetic flags and DF; IF stays"
    ret

; ---- LAR LSL VERR VERW ----
u_selectors:
    SELCHK UCS64, 0x00A0FB00, 0xFFFFFFFF, 1, 0, "64-bit user code 3Bh"
    SELCHK USS, 0x00C0F300, 0xFFFFFFFF, 1, 1, "user data 33h"
    SELCHK UCS32, 0x00C0FB00, 0xFFFFFFFF, 1, 0, "32-bit user code 2Bh"
    SELCHK SEL_CODE32F | 3, -1, -1, 0, 0, "DPL-0 32-bit code 23h"
    SELCHK SEL_CODE64 | 3, -1, -1, 0, 0, "DPL-0 64-bit code 0Bh"
    SELCHK SEL_DATA, -1, -1, 0, 0, "DPL-0 data 10h"
    SELCHK SEL_TSS | 3, -1, -1, 0, 0, "DPL-0 TSS 43h"
    SELCHK SEL_TSS + 8 | 3, -1, -1, 0, 0, "upper half of a TSS descriptor 4Bh"
    SELCHK SEL_LDT0 | 3, -1, -1, 0, 0, "DPL-0 LDT 63h"
    SELCHK SEL_RO3 | 3, 0x0040F100, 0xFFFF, 1, 0, "read-only data 53h"
    SELCHK SEL_XO3 | 3, 0x0040F900, 0xFFF, 0, 0, "execute-only code 5Bh"
    SELCHK SEL_CONF0 | 3, 0x00C09F00, 0xFFFFFFFF, 1, 0, "conforming DPL-0 code 73h"
    SELCHK SEL_BYTE3 | 3, 0x0040F300, 0x12345, 1, 1, "data limit 12345h 7Bh"
    SELCHK SEL_GATE3 | 3, 0x0000EC00, -1, 0, 0, "64-bit call gate DPL 3 83h"
    SELCHK SEL_TSS3 | 3, 0x0000E900, 0x67, 0, 0, "64-bit TSS DPL 3 93h"
    SELCHK SEL_PAGE3 | 3, 0x00C0F300, 0xABCFFF, 1, 1, "data limit ABCh G=1 A3h"
    SELCHK SEL_NP3 | 3, 0x00407300, 0xFFFF, 1, 1, "not-present data ABh"
    SELCHK SEL_TR | 3, -1, -1, 0, 0, "the kernel's busy TSS, DPL 0, D3h"
    SELCHK 0x000F, 0x0040F300, 0x5555, 1, 1, "LDT selector 0Fh (data, DPL 3)"
    SELCHK 0x0007, -1, -1, 0, 0, "LDT selector 07h (null descriptor)"
    SELCHK 0, -1, -1, 0, 0, "null selector"
    SELCHK 0x1003, -1, -1, 0, 0, "selector beyond the GDT limit"
    mov rax, -1
    mov ecx, UCS64
    lar rax, cx
    UEXPECT rax, 0x00A0FB00, "LAR r64: the access rights zero-extended"
    ret

; ---- TSC ----
u_tsc:
    USYS SYS_RDTSC
    mov [U_T0], rax
    call u_rdtsc
    mov [U_T1], rax
    mov ecx, 100
.delay:
    loop .delay
    call u_rdtsc
    mov [U_T2], rax
    USYS SYS_RDTSC
    mov [U_T3], rax
    UPUT "kernel TSC before", [U_T0]
    UPUT "RDTSC", [U_T1]
    UPUT "RDTSC again", [U_T2]
    UPUT "kernel TSC after", [U_T3]
    mov rax, [U_T1]
    cmp rax, [U_T0]
    seta al
    movzx eax, al
    UEXPECT rax, 1, "RDTSC at CPL 3 (CR4.TSD = 0) is later than the kernel's RDTSC before it"
    mov rax, [U_T2]
    cmp rax, [U_T1]
    seta al
    movzx eax, al
    UEXPECT rax, 1, "RDTSC at CPL 3: a second read is larger"
    mov rax, [U_T3]
    cmp rax, [U_T2]
    seta al
    movzx eax, al
    UEXPECT rax, 1, "the kernel's RDTSC after them is larger still"

    USYS SYS_RDTSC
    mov [U_T0], rax
    mov rcx, -1
    call u_rdtscp
    mov [U_T1], rax
    UPUT "RDTSCP ECX", rcx
    UEXPECT rcx, TSC_AUX, "RDTSCP: RCX = IA32_TSC_AUX as the kernel wrote it, zero-extended"
    call u_rdtscp
    mov [U_T2], rax
    USYS SYS_RDTSC
    mov [U_T3], rax
    UPUT "RDTSCP", [U_T1]
    mov rax, [U_T1]
    cmp rax, [U_T0]
    seta al
    movzx eax, al
    UEXPECT rax, 1, "RDTSCP at CPL 3 is later than the kernel's RDTSC before it"
    mov rax, [U_T2]
    cmp rax, [U_T1]
    seta al
    movzx eax, al
    UEXPECT rax, 1, "RDTSCP: a second read is larger"
    mov rax, [U_T3]
    cmp rax, [U_T2]
    seta al
    movzx eax, al
    UEXPECT rax, 1, "the kernel's RDTSC after RDTSCP is larger still"

    mov edi, 4                  ; CR4.TSD
    xor esi, esi
    USYS SYS_CR4
    UCALLTRY u_rdtsc, 13, 0, "RDTSC at CPL 3 with CR4.TSD = 1 -> #GP(0)"
    UCALLTRY u_rdtscp, 13, 0, "RDTSCP at CPL 3 with CR4.TSD = 1 -> #GP(0)"
    xor edi, edi
    mov esi, 4
    USYS SYS_CR4
    call u_rdtsc
    UEXC -2, -1, -1, -1, "RDTSC again with CR4.TSD = 0: no fault"
    xor ecx, ecx
    UTRY
    rdpmc
    UCATCH 13, 0, "RDPMC at CPL 3 with CR4.PCE = 0 -> #GP(0)"
    ret

; ---- FS and GS bases ----
u_bases:
    mov edi, FS_LIN
    mov rsi, GS_LIN
    USYS SYS_SETBASE
    mov rax, [fs:0]
    UPUT "[fs:0]", rax
    mov rbx, 0xF5F5000000000001
    UEXPECT rax, rbx, "fs:0 reads at the FS base the kernel wrote (IA32_FS_BASE)"
    mov ecx, 1
    mov rax, [gs:rcx * 8]
    UPUT "[gs:8]", rax
    mov rbx, 0x6565000000000002
    UEXPECT rax, rbx, "gs:8 reads at the GS base above 4 GiB the kernel wrote (IA32_GS_BASE)"
    mov rdi, GS_LIN
    mov esi, FS_LIN
    mov eax, SYS_SETBASE
    syscall
    mov rax, [fs:8]
    UPUT "[fs:8] after the switch", rax
    mov rbx, 0x6565000000000002
    UEXPECT rax, rbx, "fs:8 after a SYSCALL that swapped the bases"
    mov rax, [gs:0]
    UPUT "[gs:0] after the switch", rax
    mov rbx, 0xF5F5000000000001
    UEXPECT rax, rbx, "gs:0 after a SYSCALL that swapped the bases"
    mov rax, -1
    mov rax, fs
    UEXPECT rax, 0, "the FS selector stays null under a WRMSR-set base"

    UTRY
    rdfsbase rax
    UCATCH 6, -1, "RDFSBASE with CR4.FSGSBASE = 0 -> #UD"
    UTRY
    wrgsbase rax
    UCATCH 6, -1, "WRGSBASE with CR4.FSGSBASE = 0 -> #UD"
    xor edi, edi
    xor esi, esi
    USYS SYS_SETBASE
    ret

; ---- RFLAGS at IOPL 3 (a second run) ----
user_iopl3:
    pushfq
    pop rax
    UPUT "PUSHF at IOPL 3", rax
    UEXPECT rax, 0x3202, "PUSHF at CPL 3 shows IOPL 3 as the kernel set it"
    push 0x0202
    popfq
    pushfq
    pop rax
    UEXPECT rax, 0x3202, "POPF at CPL 3 cannot lower IOPL"
    cli
    pushfq
    pop rax
    sti
    UPUT "PUSHF after CLI at IOPL 3", rax
    UEXPECT rax, 0x3002, "CLI at CPL 3 with IOPL 3 clears IF"
    push 0x3002
    popfq
    pushfq
    pop rax
    push 0x3202
    popfq
    UEXPECT rax, 0x3002, "POPF at CPL 3 with IOPL 3 clears IF"
    USYS SYS_EXIT

; ECX = selector -> RAX = LAR result, -1 if ZF = 0 and RAX unchanged
u_lar:
    mov eax, 0x5A5A5A5A
    lar eax, ecx
    jz .ret
    cmp eax, 0x5A5A5A5A
    mov rax, -1
    je .ret
    mov rax, -2
.ret:
    ret

u_lsl:
    mov eax, 0x5A5A5A5A
    lsl eax, ecx
    jz .ret
    cmp eax, 0x5A5A5A5A
    mov rax, -1
    je .ret
    mov rax, -2
.ret:
    ret

; RDTSC and RDTSCP alone on a page, CPUID alone on the last code page: a
; raw engine that must not run them natively can leave just these pages to
; the interpreter, and everything else here still runs natively.
    align 4096, db 0xCC
u_rdtsc:                        ; RAX = the TSC
    rdtsc
    shl rdx, 32
    or rax, rdx
    ret
u_rdtscp:                       ; RAX = the TSC, RCX = TSC_AUX
    rdtscp
    shl rdx, 32
    or rax, rdx
    ret
    align 4096, db 0xCC
u_cpuid:                        ; EAX = leaf, ECX = subleaf
    cpuid
    ret
    U64_USER_DATA
    U64_USER_END

; ---------------------------------------------------------------- data
sens_gdt:                       ; from GDT_FREE (50h) on
    DESC 0, 0xFFFF, 0xF1, 0x4           ; 50 read-only data, DPL 3
    DESC 0, 0x0FFF, 0xF9, 0x4           ; 58 execute-only code, DPL 3
    DESC LDT64_BASE, 0x17, 0x82, 0x0    ; 60 LDT, DPL 0
    dq 0
    DESC 0, 0xFFFFF, 0x9F, 0xC          ; 70 conforming readable code, DPL 0
    DESC 0, 0x12345, 0xF3, 0x4          ; 78 data, DPL 3, byte limit
    dw 0x1234, SEL_CODE64, 0xEC00, 0    ; 80 64-bit call gate, DPL 3 -> 08:1234
    dq 0
    DESC TSS_BASE, 0x67, 0xE9, 0x0      ; 90 available 64-bit TSS, DPL 3
    dq 0
    DESC 0, 0x00ABC, 0xF3, 0xC          ; A0 data, DPL 3, 4 KiB units
    DESC 0, 0xFFFF, 0x73, 0x4           ; A8 data, DPL 3, not present
    dq 0, 0, 0, 0                       ; B0-C8 null
    DESC TSS_BASE, 0x67, 0x89, 0x0      ; D0 available 64-bit TSS (LTR)
    dq 0
sens_gdt_end:
sens_ldt:
    dq 0
    DESC 0, 0x5555, 0xF3, 0x4           ; 0F data, DPL 3
    dq 0

    U64_LIB
    LM_LIB
    ROM_END
