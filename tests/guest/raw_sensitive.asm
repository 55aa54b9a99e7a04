; raw_sensitive.asm — instructions that ring 3 may execute but that show
; or depend on state only the kernel set (or that fault only because of
; it), checked at ring 3 against what the kernel knows. A raw engine that
; runs user code natively must give the guest's values, not the host's:
; CPUID leaves 0, 1 and 80000001h (against CPUID at ring 0); SGDT, SIDT
; (the tables the kernel loaded); SLDT, STR (register and 16-bit memory
; forms); SMSW (against CR0); MOV from CS SS DS ES FS GS (zero-extended,
; or a 16-bit store); PUSHF with IOPL 0 and IOPL 3 (POPF changes neither
; IF nor IOPL at CPL 3, but AC and ID); LAR, LSL, VERR, VERW on code, data,
; system and gate descriptors of both DPLs, null and out-of-limit
; selectors; RDTSC and RDTSCP counting up (RDTSCP's ECX = IA32_TSC_AUX),
; both #GP(0) with CR4.TSD = 1, and RDPMC #GP(0) with CR4.PCE = 0.
; Intel SDM vol. 2 (each instruction), vol. 3A 2.8 (system instructions),
; 3.4.5 (descriptors), 5.10.4 (privilege checks), 17.17 (TSC).
; Each value is printed as well ("  name: value"). The user code runs
; from guest RAM (user32.inc), CPUID on a page of its own.
;
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "pm.inc"
%include "user32.inc"

%define SEL_LDT0  0x30          ; LDT, DPL 0 (LLDT at init)
%define SEL_RO3   0x38          ; read-only data, DPL 3, limit FFFFh
%define SEL_XO3   0x40          ; execute-only code, DPL 3, limit FFFh
%define SEL_CONF0 0x48          ; conforming readable code, DPL 0, 4 GiB
%define SEL_GATE3 0x50          ; 32-bit call gate, DPL 3
%define SEL_LDT3  0x58          ; LDT, DPL 3, limit 17h
%define SEL_BYTE3 0x60          ; data, DPL 3, limit 12345h (bytes)
%define SEL_PAGE3 0x68          ; data, DPL 3, limit ABCh (4 KiB units)
%define SEL_TSS3  0x70          ; available 32-bit TSS, DPL 3
%define SEL_NP3   0x78          ; data, DPL 3, not present

%define TSC_AUX   0x5A17
%define SYS_CPUID (SYS_TEST + 0)    ; EBX = leaf, ECX -> the user's EAX-EDX, ESI = name
%define SYS_CR4   (SYS_TEST + 1)    ; EBX = bits to set, ECX = bits to clear

%define U_KCR0  (U_FREE + 0x00)     ; CR0 as the kernel reads it
%define U_T0    (U_FREE + 0x08)     ; TSC values
%define U_T1    (U_FREE + 0x10)
%define U_BUF   (U_FREE + 0x40)

start:
    ROM_INIT
    PUTS `raw_sensitive: CPUID, descriptor tables, selectors, flags, TSC at ring 3\n`
    PM_SETUP
    PM_ENTER32 pm_main

bits 32
pm_main:
    U32_INIT
    SET_SYSCALL SYS_CPUID, sys_cpuid
    SET_SYSCALL SYS_CR4, sys_cr4
    mov ax, SEL_LDT0
    lldt ax
    mov ecx, 0xC0000103         ; IA32_TSC_AUX
    mov eax, TSC_AUX
    xor edx, edx
    wrmsr
    mov eax, cr0
    mov [U_KCR0], eax
    PUTS32 "  kernel CR0: "
    PUTHEX32 eax
    PUTS32 `\n`

    U32_RUN user_main
    mov dword [K_USER_EFL], 0x3202          ; IOPL 3 this time
    U32_RUN user_iopl3
    FINISH32

; SYS_CPUID: CPUID at ring 0 with the user's leaf (ECX = 0), compared
; with the four values ring 3 got
sys_cpuid:
    mov eax, [ebp + F_EBX]
    xor ecx, ecx
    cpuid
    mov edi, [ebp + F_ECX]
    PUTS32 "  ring 0: "
    PUTHEX32 eax
    PUTS32 " "
    PUTHEX32 ebx
    PUTS32 " "
    PUTHEX32 ecx
    PUTS32 " "
    PUTHEX32 edx
    PUTS32 `\n  ring 3: `
    PUTHEX32 [edi]
    PUTS32 " "
    PUTHEX32 [edi + 4]
    PUTS32 " "
    PUTHEX32 [edi + 8]
    PUTS32 " "
    PUTHEX32 [edi + 12]
    PUTS32 `\n`
    cmp eax, [edi]
    jne .report
    cmp ebx, [edi + 4]
    jne .report
    cmp ecx, [edi + 8]
    jne .report
    cmp edx, [edi + 12]
.report:
    mov byte [K_QOK], 0
    mov esi, [ebp + F_ESI]
    call k_report
    ret

sys_cr4:
    mov eax, cr4
    or eax, [ebp + F_EBX]
    mov edx, [ebp + F_ECX]
    not edx
    and eax, edx
    mov cr4, eax
    ret

; ---------------------------------------------------------------- user
%macro UCPUID 2
    mov eax, %1
    xor ecx, ecx
    call u_cpuid
    mov [U_BUF], eax
    mov [U_BUF + 4], ebx
    mov [U_BUF + 8], ecx
    mov [U_BUF + 12], edx
    mov ebx, %1
    mov ecx, U_BUF
    jmp %%after
%%name: db %2, 0
%%after:
    mov esi, %%name
    USYS SYS_CPUID
%endmacro

; SELCHK selector, LAR, LSL, VERR, VERW, "what": LAR/LSL -1 = fails (ZF = 0,
; destination unchanged); VERR/VERW 1 = ZF set
%macro SELCHK 6
    mov ecx, %1
    call u_lar
%strcat %%n1 "LAR ", %6
    UEXPECT eax, %2, %%n1
    call u_lsl
%strcat %%n2 "LSL ", %6
    UEXPECT eax, %3, %%n2
    xor eax, eax
    verr cx
    setz al
%strcat %%n3 "VERR ", %6
    UEXPECT eax, %4, %%n3
    xor eax, eax
    verw cx
    setz al
%strcat %%n4 "VERW ", %6
    UEXPECT eax, %5, %%n4
%endmacro

; Ring-3 code, copied to RAM by U32_INIT.
    U32_USER_BEGIN
user_main:
    ; ---- CPUID ----
    UCPUID 0, "CPUID leaf 0 at ring 3 = at ring 0"
    UCPUID 1, "CPUID leaf 1 at ring 3 = at ring 0"
    UCPUID 0x80000001, "CPUID leaf 80000001h at ring 3 = at ring 0"

    ; ---- descriptor-table registers ----
    mov dword [U_BUF], 0xFFFFFFFF
    mov dword [U_BUF + 4], 0xFFFFFFFF
    sgdt [U_BUF]
    movzx eax, word [U_BUF]
    UPUT "SGDT limit", eax
    UPUT "SGDT base", [U_BUF + 2]
    UEXPECT eax, 0x7FF, "SGDT at ring 3: the limit the kernel loaded"
    UEXPECT [U_BUF + 2], GDT_BASE, "SGDT at ring 3: the base the kernel loaded"
    mov dword [U_BUF], 0xFFFFFFFF
    mov dword [U_BUF + 4], 0xFFFFFFFF
    sidt [U_BUF]
    movzx eax, word [U_BUF]
    UPUT "SIDT limit", eax
    UPUT "SIDT base", [U_BUF + 2]
    UEXPECT eax, 0x7FF, "SIDT at ring 3: the limit the kernel loaded"
    UEXPECT [U_BUF + 2], IDT_BASE, "SIDT at ring 3: the base the kernel loaded"
    mov eax, 0xA5A5A5A5
    sldt eax
    UPUT "SLDT r32", eax
    UEXPECT eax, SEL_LDT0, "SLDT r32: the LDT selector, zero-extended"
    mov dword [U_BUF], 0xFFFFFFFF
    sldt [U_BUF]
    UEXPECT [U_BUF], 0xFFFF0000 | SEL_LDT0, "SLDT m16 writes two bytes"
    mov eax, 0xA5A5A5A5
    str eax
    UPUT "STR r32", eax
    UEXPECT eax, KSEL_TSS, "STR r32: the TSS selector, zero-extended"
    mov dword [U_BUF], 0xFFFFFFFF
    str [U_BUF]
    UEXPECT [U_BUF], 0xFFFF0000 | KSEL_TSS, "STR m16 writes two bytes"
    mov eax, 0xA5A5A5A5
    smsw eax
    UPUT "SMSW r32", eax
    movzx eax, ax
    movzx ebx, word [U_KCR0]
    UEXPECT eax, ebx, "SMSW r32: CR0 bits 15:0 as the kernel reads them"
    mov dword [U_BUF], 0xFFFFFFFF
    smsw [U_BUF]
    or ebx, 0xFFFF0000
    UEXPECT [U_BUF], ebx, "SMSW m16: CR0 bits 15:0, two bytes"

    ; ---- segment registers ----
    mov ax, SEL_BYTE3 | 3
    mov fs, ax
    xor eax, eax
    mov gs, ax
    mov eax, 0xA5A5A5A5
    mov eax, cs
    UPUT "CS", eax
    UEXPECT eax, USEL_CODE, "MOV r32, CS: 0x1B zero-extended"
    mov eax, 0xA5A5A5A5
    mov eax, ss
    UPUT "SS", eax
    UEXPECT eax, USEL_DATA, "MOV r32, SS: 0x23"
    mov eax, 0xA5A5A5A5
    mov eax, ds
    UEXPECT eax, USEL_DATA, "MOV r32, DS: 0x23"
    mov eax, 0xA5A5A5A5
    mov eax, es
    UEXPECT eax, USEL_DATA, "MOV r32, ES: 0x23"
    mov eax, 0xA5A5A5A5
    mov eax, fs
    UPUT "FS", eax
    UEXPECT eax, SEL_BYTE3 | 3, "MOV r32, FS: the selector the user loaded"
    mov eax, 0xA5A5A5A5
    mov eax, gs
    UEXPECT eax, 0, "MOV r32, GS: null"
    mov dword [U_BUF], 0xFFFFFFFF
    mov [U_BUF], cs
    UEXPECT [U_BUF], 0xFFFF0000 | USEL_CODE, "MOV m16, CS writes two bytes"
    mov dword [U_BUF], 0xFFFFFFFF
    mov [U_BUF], ss
    UEXPECT [U_BUF], 0xFFFF0000 | USEL_DATA, "MOV m16, SS writes two bytes"
    mov ax, USEL_DATA
    mov fs, ax
    mov gs, ax

    ; ---- EFLAGS, IOPL 0 ----
    push dword 0
    popfd
    pushfd
    pop eax
    UPUT "PUSHF after POPF 0", eax
    UEXPECT eax, 0x202, "PUSHF at CPL 3, IOPL 0: IF = 1 (POPF cannot clear it), IOPL 0"
    push dword 0x3202
    popfd
    pushfd
    pop eax
    UEXPECT eax, 0x202, "POPF at CPL 3 does not raise IOPL"
    push dword 0x240CD7         ; ID AC OF DF SF ZF AF PF CF
    popfd
    pushfd
    pop eax
    push dword 0x202
    popfd
    UPUT "PUSHF after POPF 240CD7h", eax
    UEXPECT eax, 0x240ED7, "POPF at CPL 3 sets ID, AC, the arithmetic flags and DF; IF stays"

    ; ---- LAR LSL VERR VERW ----
    SELCHK USEL_CODE, 0x00C0FB00, 0xFFFFFFFF, 1, 0, "user code 0x1B"
    SELCHK USEL_DATA, 0x00C0F300, 0xFFFFFFFF, 1, 1, "user data 0x23"
    SELCHK KSEL_CODE | 3, -1, -1, 0, 0, "DPL-0 code 0x0B"
    SELCHK KSEL_DATA, -1, -1, 0, 0, "DPL-0 data 0x10"
    SELCHK KSEL_TSS, -1, -1, 0, 0, "DPL-0 TSS 0x28"
    SELCHK SEL_LDT0, -1, -1, 0, 0, "DPL-0 LDT 0x30"
    SELCHK SEL_RO3 | 3, 0x0040F100, 0xFFFF, 1, 0, "read-only data 0x3B"
    SELCHK SEL_XO3 | 3, 0x0040F900, 0xFFF, 0, 0, "execute-only code 0x43"
    SELCHK SEL_CONF0 | 3, 0x00C09F00, 0xFFFFFFFF, 1, 0, "conforming DPL-0 code 0x4B"
    SELCHK SEL_GATE3 | 3, 0x0000EC00, -1, 0, 0, "call gate DPL 3 0x53"
    SELCHK SEL_LDT3 | 3, 0x0000E200, 0x17, 0, 0, "LDT DPL 3 0x5B"
    SELCHK SEL_BYTE3 | 3, 0x0040F300, 0x12345, 1, 1, "data limit 12345h 0x63"
    SELCHK SEL_PAGE3 | 3, 0x00C0F300, 0xABCFFF, 1, 1, "data limit ABCh G=1 0x6B"
    SELCHK SEL_TSS3 | 3, 0x0000E900, 0x67, 0, 0, "TSS DPL 3 0x73"
    SELCHK SEL_NP3 | 3, 0x00407300, 0xFFFF, 1, 1, "not-present data 0x7B"
    SELCHK 0, -1, -1, 0, 0, "null selector"
    SELCHK 0x0803, -1, -1, 0, 0, "selector beyond the GDT limit"
    SELCHK 0x0007, -1, -1, 0, 0, "LDT selector 0x07 (null descriptor)"

    ; ---- TSC ----
    rdtsc
    mov [U_T0], eax
    mov [U_T0 + 4], edx
    mov ecx, 100
.delay:
    loop .delay
    rdtsc
    mov [U_T1], eax
    mov [U_T1 + 4], edx
    call u_tsc_up
    UEXPECT eax, 1, "RDTSC at CPL 3 (CR4.TSD = 0): a second read is larger"
    mov ecx, 0xFFFFFFFF
    rdtscp
    mov [U_T0], eax
    mov [U_T0 + 4], edx
    UPUT "RDTSCP ECX", ecx
    UEXPECT ecx, TSC_AUX, "RDTSCP: ECX = IA32_TSC_AUX as the kernel wrote it"
    rdtscp
    mov [U_T1], eax
    mov [U_T1 + 4], edx
    call u_tsc_up
    UEXPECT eax, 1, "RDTSCP: a second read is larger"
    mov ebx, 4                  ; CR4.TSD
    xor ecx, ecx
    USYS SYS_CR4
    UTRY
    rdtsc
    UCATCH 13, 0, "RDTSC at CPL 3 with CR4.TSD = 1 -> #GP(0)"
    UTRY
    rdtscp
    UCATCH 13, 0, "RDTSCP at CPL 3 with CR4.TSD = 1 -> #GP(0)"
    xor ebx, ebx
    mov ecx, 4
    USYS SYS_CR4
    rdtsc
    UEXC -2, -1, -1, -1, "RDTSC again with CR4.TSD = 0: no fault"
    xor ecx, ecx
    UTRY
    rdpmc
    UCATCH 13, 0, "RDPMC at CPL 3 with CR4.PCE = 0 -> #GP(0)"
    USYS SYS_EXIT

user_iopl3:
    pushfd
    pop eax
    UPUT "PUSHF at IOPL 3", eax
    UEXPECT eax, 0x3202, "PUSHF at CPL 3 shows IOPL 3 as the kernel set it"
    push dword 0x0202
    popfd
    pushfd
    pop eax
    UEXPECT eax, 0x3202, "POPF at CPL 3 cannot lower IOPL"
    USYS SYS_EXIT

; ECX = selector -> EAX = LAR result, -1 if ZF = 0 and EAX unchanged
u_lar:
    mov eax, 0x5A5A5A5A
    lar eax, ecx
    jz .ret
    cmp eax, 0x5A5A5A5A
    mov eax, -1
    je .ret
    mov eax, -2
.ret:
    ret

u_lsl:
    mov eax, 0x5A5A5A5A
    lsl eax, ecx
    jz .ret
    cmp eax, 0x5A5A5A5A
    mov eax, -1
    je .ret
    mov eax, -2
.ret:
    ret

; EAX = 1 if the 64-bit U_T1 > U_T0
u_tsc_up:
    mov eax, [U_T1]
    mov edx, [U_T1 + 4]
    sub eax, [U_T0]
    sbb edx, [U_T0 + 4]
    jb .no
    or eax, edx
    jz .no
    mov eax, 1
    ret
.no:
    xor eax, eax
    ret

; CPUID alone on the last code page: a raw engine that must not run CPUID
; natively can leave just this page to the interpreter.
    align 4096, db 0xCC
u_cpuid:                        ; EAX = leaf, ECX = subleaf
    cpuid
    ret
    U32_USER_DATA
    U32_USER_END

gdt_template:
    U32_GDT
    DESC LDT_BASE, 0x17, 0x82, 0x0      ; 30 LDT, DPL 0
    DESC 0, 0xFFFF, 0xF1, 0x4           ; 38 read-only data, DPL 3
    DESC 0, 0x0FFF, 0xF9, 0x4           ; 40 execute-only code, DPL 3
    DESC 0, 0xFFFFF, 0x9F, 0xC          ; 48 conforming readable code, DPL 0
    dw 0x1234, KSEL_CODE, 0xEC00, 0     ; 50 call gate, DPL 3 -> 08:1234
    DESC LDT_BASE, 0x17, 0xE2, 0x0      ; 58 LDT, DPL 3
    DESC 0, 0x12345, 0xF3, 0x4          ; 60 data, DPL 3, byte limit
    DESC 0, 0x00ABC, 0xF3, 0xC          ; 68 data, DPL 3, 4 KiB units
    DESC TSS0_BASE, 0x67, 0xE9, 0x0     ; 70 available TSS, DPL 3
    DESC 0, 0xFFFF, 0x73, 0x4           ; 78 data, DPL 3, not present
gdt_template_end:

    PM_LIB
    U32_LIB
    ROM_END
