; cpuid_archcap_p6.asm — the P6 model has no CPUID leaf 7 and so no
; IA32_ARCH_CAPABILITIES: the highest basic leaf is below 7, and RDMSR and
; WRMSR of MSR 10AH are #GP(0), as for any MSR the CPU lacks. When the
; brand string is rawbox's, the highest basic leaf is exactly 2 (a Pentium
; III's) and leaf 2's descriptors are the model's.
; Intel SDM vol. 2A CPUID; vol. 4 table 2-2 (IA32_ARCH_CAPABILITIES exists
; only if CPUID.(EAX=07H,ECX=0):EDX[29] = 1); vol. 2B RDMSR, WRMSR.
;
; qemu-differs: QEMU's TCG does not #GP on an MSR it lacks (RDMSR 0x10A reads 0, WRMSR is ignored).
; rawbox-args: --cpu p6
%include "rom.inc"
%include "pg32.inc"

%define ARCH_CAP_MSR 0x10A

start:
    ROM_INIT
    PUTS `cpuid_archcap_p6: no leaf 7, no IA32_ARCH_CAPABILITIES\n`
    PM_ENTER

    xor eax, eax
    cpuid
    cmp eax, 7
    setb al
    movzx eax, al
    EXPECT32 eax, 1, "highest basic leaf below 7: no leaf 7"
    ARM .rd
    mov ecx, ARCH_CAP_MSR
    rdmsr
.rd:
    EXPECT32 [EXC_VEC], 13, "RDMSR 0x10A is #GP"
    EXPECT32 [EXC_ERR], 0, "with error code 0"
    ARM .wr
    mov ecx, ARCH_CAP_MSR
    xor eax, eax
    xor edx, edx
    wrmsr
.wr:
    EXPECT32 [EXC_VEC], 13, "WRMSR 0x10A is #GP"

    ; Exact values when running on rawbox.
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000004
    jb .not_rawbox
    mov eax, 0x80000002
    cpuid
    cmp eax, 'rawb'
    jne .not_rawbox
    xor eax, eax
    cpuid
    EXPECT32 eax, 2, "rawbox: highest basic leaf 2"
    mov eax, 7                      ; above the maximum: leaf 2's answer
    xor ecx, ecx
    cpuid
    EXPECT32 eax, 0x03020101, "rawbox: leaf 7 answers as leaf 2 (EAX)"
    EXPECT32 edx, 0x0c040882, "rawbox: leaf 7 answers as leaf 2 (EDX)"
    jmp .done
.not_rawbox:
    PUTS32 `note: not rawbox, exact values skipped\n`
.done:
    FINISH32

bits 16
ROM_END
