; cpuid_archcap.asm — CPUID leaf 7 and IA32_ARCH_CAPABILITIES (MSR 10AH) on
; the default model. Where CPUID.(EAX=7,ECX=0):EDX[29] is set the MSR
; exists and is read-only: RDMSR at CPL 0 reads it, WRMSR is #GP(0), and
; RDMSR at CPL 3 is #GP(0) as for any MSR. When the brand string is
; rawbox's, the exact values are checked too: highest basic leaf 7, leaf 7
; sub-leaf 0 EAX = EBX = ECX = 0 and EDX = bit 29 only, sub-leaf 1 all 0,
; leaves 3-6 all 0 (no deterministic cache leaf: leaf 2 stays the cache
; description), leaf 8 (above the maximum) answering as leaf 7, and the MSR
; holding exactly the "not affected" bits of src/cpu/cpuid.h
; (ARCH_CAPABILITIES_VALUE = 0x0D10E161).
; Intel SDM vol. 2A CPUID (leaf 07H, "Note" on leaves above the maximum);
; vol. 4 table 2-2 (IA32_ARCH_CAPABILITIES); vol. 2B RDMSR, WRMSR.
;
; qemu-differs: QEMU's TCG offers no IA32_ARCH_CAPABILITIES (CPUID.7.0:EDX[29] stays 0 even with -cpu max,+arch-capabilities), so under QEMU the test skips.
; rawbox-args: --cpu x86-64
%include "rom.inc"
%include "pg32.inc"

%define ARCH_CAP_MSR 0x10A
%define LEAF7        0x0560     ; leaf 7 sub-leaf 0: EAX EBX ECX EDX
%define MSRVAL       0x0570     ; RDMSR 0x10A: EAX, EDX

%macro ZERO_LEAF 2               ; leaf, name: all four registers 0
    mov eax, %1
    xor ecx, ecx
    cpuid
    or eax, ebx
    or eax, ecx
    or eax, edx
    EXPECT32 eax, 0, %2
%endmacro

start:
    ROM_INIT
    PUTS `cpuid_archcap: CPUID leaf 7, IA32_ARCH_CAPABILITIES\n`
    PM_ENTER

    xor eax, eax
    cpuid
    cmp eax, 7
    jb .absent
    mov eax, 7
    xor ecx, ecx
    cpuid
    mov [LEAF7], eax
    mov [LEAF7 + 4], ebx
    mov [LEAF7 + 8], ecx
    mov [LEAF7 + 12], edx
    bt edx, 29
    jc .present
.absent:
    PUTS32 `skip no IA32_ARCH_CAPABILITIES (CPUID.7.0:EDX[29] clear)\n`
    mov dx, EXIT_PORT
    mov al, 2
    out dx, al
    hlt

.present:
    ; ---- what holds on any CPU that reports the MSR ----
    mov dword [MSRVAL], 0xdeadbeef
    mov dword [MSRVAL + 4], 0xdeadbeef
    ARM .rd
    mov ecx, ARCH_CAP_MSR
    rdmsr
    mov [MSRVAL], eax
    mov [MSRVAL + 4], edx
.rd:
    EXPECT32 [EXC_VEC], 0xFFFFFFFF, "RDMSR 0x10A at CPL 0 does not fault"
    ARM .wr
    mov ecx, ARCH_CAP_MSR
    mov eax, [MSRVAL]
    mov edx, [MSRVAL + 4]
    wrmsr                           ; writing back the value read
.wr:
    EXPECT32 [EXC_VEC], 13, "WRMSR 0x10A (read-only) is #GP"
    EXPECT32 [EXC_ERR], 0, "with error code 0"
    ARM .wr0
    mov ecx, ARCH_CAP_MSR
    xor eax, eax
    xor edx, edx
    wrmsr
.wr0:
    EXPECT32 [EXC_VEC], 13, "WRMSR 0x10A of 0 is #GP"
    mov ecx, ARCH_CAP_MSR
    rdmsr
    EXPECT32 eax, [MSRVAL], "the failed writes left the MSR as it was (EAX)"
    EXPECT32 edx, [MSRVAL + 4], "the failed writes left the MSR as it was (EDX)"
    USER_CALL user_rdmsr
    EXPECT32 [EXC_VEC], 13, "RDMSR 0x10A at CPL 3 is #GP"

    ; ---- exact values when running on rawbox ----
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
    EXPECT32 eax, 7, "rawbox: highest basic leaf 7"
    EXPECT32 [LEAF7], 0, "rawbox: leaf 7 EAX (highest sub-leaf) 0"
    EXPECT32 [LEAF7 + 4], 0, "rawbox: leaf 7 EBX 0"
    EXPECT32 [LEAF7 + 8], 0, "rawbox: leaf 7 ECX 0"
    EXPECT32 [LEAF7 + 12], 0x20000000, "rawbox: leaf 7 EDX only ARCH_CAPABILITIES"
    mov eax, 7
    mov ecx, 1
    cpuid
    or eax, ebx
    or eax, ecx
    or eax, edx
    EXPECT32 eax, 0, "rawbox: leaf 7 sub-leaf 1 (invalid) reads 0"
    ZERO_LEAF 3, "rawbox: leaf 3 reads 0 (no serial number)"
    ZERO_LEAF 4, "rawbox: leaf 4 reads 0 (no deterministic cache leaves)"
    ZERO_LEAF 5, "rawbox: leaf 5 reads 0 (no MONITOR/MWAIT)"
    ZERO_LEAF 6, "rawbox: leaf 6 reads 0 (no thermal/power features)"
    mov eax, 2
    cpuid
    EXPECT32 eax, 0x03020101, "rawbox: leaf 2 EAX descriptors as before"
    EXPECT32 edx, 0x0c040882, "rawbox: leaf 2 EDX descriptors as before"
    mov eax, 8
    xor ecx, ecx
    cpuid
    EXPECT32 eax, [LEAF7], "rawbox: leaf 8 (above the maximum) answers as leaf 7 (EAX)"
    EXPECT32 edx, [LEAF7 + 12], "rawbox: leaf 8 answers as leaf 7 (EDX)"
    EXPECT32 [MSRVAL], 0x0D10E161, "rawbox: IA32_ARCH_CAPABILITIES low half (the *_NO bits)"
    EXPECT32 [MSRVAL + 4], 0, "rawbox: IA32_ARCH_CAPABILITIES high half 0"
    jmp .done
.not_rawbox:
    PUTS32 `note: not rawbox, exact values skipped\n`
.done:
    FINISH32

user_rdmsr:
    ARM .r
    mov ecx, ARCH_CAP_MSR
    rdmsr
.r: int 0x30

bits 16
ROM_END
