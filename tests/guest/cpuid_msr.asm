; cpuid_msr.asm — CPUID, RDMSR/WRMSR, RDTSC, SYSENTER/SYSEXIT.
; Checks that hold for any P6-class CPU with our feature set (vendor,
; family 6, the feature bits rawbox reports that QEMU's qemu32 also has),
; MSRs read back what was written, MTRRcap and PAT reset values, the TSC
; advancing, CR4.TSD and CPL checks (#GP(0)), and a SYSENTER/SYSEXIT round
; trip with the flat segments the SDM defines. When the brand string is
; rawbox's, the exact rawbox CPUID values are checked too.
; Intel SDM vol. 2 CPUID, RDMSR, WRMSR, RDTSC, SYSENTER, SYSEXIT; vol. 3A
; 11.11 (MTRRs), 11.12.4 (PAT reset value).
;
; qemu-differs: the rawbox-only checks (brand, model 8, no MMX/SSE, leaf 2 descriptors, MTRRcap, TSC write, which qemu32 lacks or ignores) run only when the brand string is "rawbox virtual CPU", so QEMU prints fewer check lines.
; rawbox-args: --cpu p6
%include "rom.inc"
%include "pg32.inc"

%define ROMBASE 0xF0000
%define SAVE    0x0540          ; scratch words written by flat-CS code

%macro RDMSR_EXPECT 4           ; msr, expected edx, expected eax, name
    mov ecx, %1
    rdmsr
    EXPECT32 edx, %2, %4, " (EDX)"
    EXPECT32 eax, %3, %4, " (EAX)"
%endmacro

start:
    ROM_INIT
    PUTS `cpuid_msr: CPUID, MSRs, TSC, SYSENTER\n`
    PM_ENTER

    ; ---- CPUID ----
    xor eax, eax
    cpuid
    EXPECT32 ebx, 'Genu', "CPUID 0: vendor EBX"
    EXPECT32 edx, 'ineI', "CPUID 0: vendor EDX"
    EXPECT32 ecx, 'ntel', "CPUID 0: vendor ECX"
    cmp eax, 2
    setae al
    movzx eax, al
    EXPECT32 eax, 1, "CPUID 0: max leaf >= 2"
    mov eax, 1
    cpuid
    mov ebx, eax
    shr ebx, 8
    and ebx, 0xf
    EXPECT32 ebx, 6, "CPUID 1: family 6"
    and edx, 0x0001A97D
    EXPECT32 edx, 0x0001A97D, "CPUID 1: FPU DE PSE TSC MSR PAE CX8 SEP PGE CMOV PAT"

    ; Exact values when running on rawbox.
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000004
    jb .not_rawbox
    mov eax, 0x80000002
    cpuid
    cmp eax, 'rawb'
    jne .not_rawbox
    EXPECT32 ebx, 'ox v', "rawbox: brand string 1"
    EXPECT32 ecx, 'irtu', "rawbox: brand string 2"
    EXPECT32 edx, 'al C', "rawbox: brand string 3"
    mov eax, 0x80000003
    cpuid
    and eax, 0xffffff
    EXPECT32 eax, 'PU', "rawbox: brand string end"
    mov eax, 1
    cpuid
    EXPECT32 eax, 0x683, "rawbox: family 6 model 8 stepping 3"
    EXPECT32 edx, 0x0003FBFD, "rawbox: exactly the implemented features"
    EXPECT32 ecx, 0, "rawbox: no CPUID.1:ECX features"
    mov eax, 2
    cpuid
    EXPECT32 eax, 0x03020101, "rawbox: leaf 2 EAX descriptors"
    EXPECT32 edx, 0x0c040882, "rawbox: leaf 2 EDX descriptors"
    mov eax, 0x80000000
    cpuid
    EXPECT32 eax, 0x80000004, "rawbox: max extended leaf"
    ; qemu32 has no MTRRs (MTRRcap reads 0 there).
    RDMSR_EXPECT 0xFE, 0, 0x508, "rawbox: MTRRcap 8 variable ranges, fixed, WC"
    ; A TSC write sets the counter (SDM 17.17; QEMU's TCG ignores it).
    mov ecx, 0x10
    mov eax, 0x10000000
    xor edx, edx
    wrmsr
    rdtsc
    sub eax, 0x10000000
    cmp eax, 0x10000000
    setb al
    movzx eax, al
    EXPECT32 eax, 1, "rawbox: TSC write sets the counter"
    jmp .cpuid_done
.not_rawbox:
    PUTS32 `note: not rawbox, exact CPUID values skipped\n`
.cpuid_done:

    ; ---- MSRs ----
    RDMSR_EXPECT 0x277, 0x00070406, 0x00070406, "PAT reset value"
    mov ecx, 0x1B
    rdmsr
    and eax, 0xfffff900
    EXPECT32 eax, 0xFEE00900, "APIC_BASE: 0xFEE00000, enabled, BSP"
    mov ecx, 0x174
    mov eax, 0x1234
    xor edx, edx
    wrmsr
    RDMSR_EXPECT 0x174, 0, 0x1234, "SYSENTER_CS reads back"
    mov ecx, 0x2FF
    mov eax, 0xC06
    xor edx, edx
    wrmsr
    RDMSR_EXPECT 0x2FF, 0, 0xC06, "MTRRdefType reads back"
    mov ecx, 0x200
    mov eax, 0x00100006
    xor edx, edx
    wrmsr
    RDMSR_EXPECT 0x200, 0, 0x00100006, "MTRR PhysBase0 reads back"
    mov ecx, 0x250
    mov eax, 0x06060606
    mov edx, 0x06060606
    wrmsr
    RDMSR_EXPECT 0x250, 0x06060606, 0x06060606, "fixed MTRR 64K reads back"

    ; ---- TSC ----
    rdtsc
    mov esi, eax
    mov edi, edx
    mov ecx, 1000
.spin:
    loop .spin
    rdtsc
    sub eax, esi
    sbb edx, edi
    or edx, edx
    setz bl
    test eax, eax
    setnz bh
    and bl, bh
    movzx eax, bl
    EXPECT32 eax, 1, "TSC advances"
    ; ---- privilege checks ----
    USER_CALL user_rdtsc
    EXPECT32 [EXC_VEC], 0xFFFFFFFF, "RDTSC at CPL 3 with CR4.TSD=0"
    mov eax, cr4
    or eax, 4
    mov cr4, eax
    USER_CALL user_rdtsc
    EXPECT32 [EXC_VEC], 13, "RDTSC at CPL 3 with CR4.TSD=1 is #GP"
    EXPECT32 [EXC_ERR], 0, "with error code 0"
    rdtsc                           ; CPL 0: allowed
    mov eax, cr4
    and eax, ~4
    mov cr4, eax
    USER_CALL user_rdmsr
    EXPECT32 [EXC_VEC], 13, "RDMSR at CPL 3 is #GP"
    USER_CALL user_mov_cr
    EXPECT32 [EXC_VEC], 13, "MOV from CR0 at CPL 3 is #GP"

    ; ---- SYSENTER / SYSEXIT ----
    mov ecx, 0x174
    xor eax, eax
    xor edx, edx
    wrmsr
    ARM .se0
    sysenter
.se0:
    EXPECT32 [EXC_VEC], 13, "SYSENTER with SYSENTER_CS = 0 is #GP"
    mov ecx, 0x174
    mov eax, 0x08
    wrmsr
    mov ecx, 0x175
    mov eax, 0x6800
    wrmsr
    mov ecx, 0x176
    mov eax, ROMBASE + sysenter_target
    wrmsr
    mov dword [SAVE + 0], 0
    mov dword [SAVE + 16], 0
    USER_CALL user_sysenter
    EXPECT32 [SAVE + 0], 0x08, "SYSENTER: CS = SYSENTER_CS"
    EXPECT32 [SAVE + 4], 0x10, "SYSENTER: SS = SYSENTER_CS + 8"
    EXPECT32 [SAVE + 8], 0x6800, "SYSENTER: ESP = SYSENTER_ESP"
    EXPECT32 [SAVE + 12], 0x2, "SYSENTER: flat CS reads linear memory (ROM byte)"
    EXPECT32 [SAVE + 16], 0x1B, "SYSEXIT: CS = SYSENTER_CS + 16, RPL 3"
    EXPECT32 [SAVE + 20], 0x23, "SYSEXIT: SS = SYSENTER_CS + 24, RPL 3"
    EXPECT32 [SAVE + 24], 0x4ff0, "SYSEXIT: ESP = ECX"
    FINISH32

; ---- ring-3 probes ----
user_rdtsc:
    ARM .r
    rdtsc
    mov dword [EXC_VEC], 0xFFFFFFFF
.r: int 0x30
user_rdmsr:
    ARM .r
    mov ecx, 0x10
    rdmsr
.r: int 0x30
user_mov_cr:
    ARM .r
    mov eax, cr0
.r: int 0x30
user_sysenter:
    mov ecx, 0x4ff0                 ; ESP to return with
    mov edx, ROMBASE + sysexit_target
    sysenter
    int 0x30                        ; not reached

; Runs with the flat CS SYSENTER loads: no CS-relative data here.
sysenter_target:
    mov ax, cs
    movzx eax, ax
    mov [SAVE + 0], eax
    mov ax, ss
    movzx eax, ax
    mov [SAVE + 4], eax
    mov [SAVE + 8], esp
    movzx eax, byte [ROMBASE + sysenter_marker]
    mov [SAVE + 12], eax
    sysexit
sysenter_marker: db 2

sysexit_target:                     ; ring 3, flat CS
    mov ax, cs
    movzx eax, ax
    mov [SAVE + 16], eax
    mov ax, ss
    movzx eax, ax
    mov [SAVE + 20], eax
    mov [SAVE + 24], esp
    int 0x30

bits 16
ROM_END
