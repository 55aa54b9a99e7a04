; lm_enter.asm — entering and leaving long mode: EFER.LMA follows CR0.PG
; when EFER.LME is set, CS.L selects 64-bit against compatibility mode,
; far RET/JMP/CALL between the two, leaving long mode through compatibility
; mode, and the #GP(0) checks of MOV CR0/CR4 and WRMSR EFER that guard the
; transitions; the shape of CPUID 80000001h and 80000008h.
; Intel SDM vol. 3A 10.8.5 (initializing IA-32e mode), 2.5 (CR0/CR4), MOV
; to CR exceptions (vol. 2B), 5.2.1 (CS.L/D), CPUID (vol. 2A);
; AMD APM vol. 2 14.6, 14.7.
;
; The four #GP checks for CR4.PAE, CR0.PG, EFER.LME and L=1/D=1 pass on the
; development host's AMD EPYC (qemu-system-x86_64 -enable-kvm -cpu host).
;
; qemu-differs: QEMU 7.2 TCG lets MOV CR4 clear PAE in long mode and MOV CR0 clear PG in 64-bit mode (SDM MOV CR: #GP(0)), lets WRMSR clear EFER.LME while paging (AMD APM 2 14.6/KVM: #GP(0)), loads a code segment with L=1 and D=1 (SDM JMP: #GP(sel)) and ignores MOV CR0 setting PG with LME=1 and PAE=0 instead of #GP(0); the test recovers from each so QEMU reaches its end
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "lm.inc"

%define SEL_LD_CODE  GDT_FREE          ; code with L=1 and D=1: invalid
%define RES          0x0800            ; results left by compatibility code

start:
    ROM_INIT
    PUTS `lm_enter: long-mode entry and exit, compatibility mode\n`
    LM_ENTER

    ; ---- in 64-bit mode ----
    mov ecx, MSR_EFER
    rdmsr
    and eax, EFER_LME | EFER_LMA
    EXPECT64 rax, EFER_LME | EFER_LMA, "EFER.LME and EFER.LMA are set after CR0.PG"
    mov ax, cs
    movzx eax, ax
    EXPECT64 rax, SEL_CODE64, "CS is the 64-bit code segment"
    mov rax, cr0
    mov rdx, 0x80000001
    and rax, rdx
    EXPECT64 rax, rdx, "CR0.PG and CR0.PE are set"
    mov rax, cr4
    and eax, 0x20
    EXPECT64 rax, 0x20, "CR4.PAE is set"
    mov rax, 0x123456789ABCDEF0
    mov rbx, rax
    shr rbx, 32
    EXPECT64 rbx, 0x12345678, "REX.W: 64-bit registers hold 64 bits"
    mov rbx, rsp
    push rax
    sub rbx, rsp
    pop rax
    EXPECT64 rbx, 8, "PUSH in 64-bit mode moves RSP by 8"
    lea rax, [rel here]
here:
    mov rbx, LIN(here)
    EXPECT64 rax, rbx, "RIP is the linear address (the CS base is ignored)"

    ; ---- CPUID ----
    mov eax, 0x80000000
    cpuid
    mov rbx, 0x80000008
    cmp eax, ebx
    setae al
    movzx eax, al
    EXPECT64 rax, 1, "CPUID 80000000h: leaves up to 80000008h exist"
    mov eax, 0x80000001
    cpuid
    mov eax, edx
    and eax, (1 << 29) | (1 << 11)
    EXPECT64 rax, (1 << 29) | (1 << 11), "CPUID 80000001h EDX: LM and SYSCALL in 64-bit mode"
    mov eax, 7
    xor ecx, ecx
    cpuid
    mov r8d, 48                 ; linear address bits: 48, or 57 with LA57
    bt ecx, 16
    jnc .no_la57
    mov r8d, 57
.no_la57:
    mov eax, 0x80000008
    cpuid
    movzx ebx, ah
    EXPECT64 rbx, r8, "CPUID 80000008h EAX[15:8]: 48 linear bits (57 with LA57)"
    movzx ebx, al
    cmp bl, 36
    setae cl
    cmp bl, 52
    setbe dl
    and cl, dl
    movzx ecx, cl
    EXPECT64 rcx, 1, "CPUID 80000008h EAX[7:0]: 36 to 52 physical bits"

    ; ---- far RET to compatibility mode, far JMP back ----
    mov dword [RES], 0
    push SEL_CODE32
    push compat1                ; offset in the F0000-based segment
    o64 retf
bits 32
compat1:
    mov eax, 5
    db 0x48                     ; DEC EAX here, REX.W in 64-bit mode
    nop
    mov [RES], eax
    mov ecx, MSR_EFER
    rdmsr
    mov [RES + 4], eax
    mov [RES + 8], esp
    jmp dword SEL_CODE64:LIN(back1)
bits 64
back1:
    mov eax, [RES]
    EXPECT64 rax, 4, "0x48 is DEC EAX in compatibility mode (RETF reached it)"
    mov eax, [RES + 4]
    and eax, EFER_LMA
    EXPECT64 rax, EFER_LMA, "EFER.LMA stays set in compatibility mode"
    mov eax, [RES + 8]
    mov rbx, rsp
    EXPECT64 rax, rbx, "the far RET popped two 8-byte slots in 64-bit mode"
    mov ax, cs
    movzx eax, ax
    EXPECT64 rax, SEL_CODE64, "far JMP ptr16:32 from compatibility mode loads the 64-bit CS"

    ; ---- far CALL m16:32 to compatibility mode, 32-bit RETF back ----
    mov rbx, rsp
    call far dword [rel farptr_compat2]
.ret2:
    sub rbx, rsp
    EXPECT64 rbx, 0, "far CALL m16:32 to compatibility mode and 32-bit RETF back balance RSP"
    mov eax, [RES]
    EXPECT64 rax, LIN(.ret2), "far CALL m16:32 pushed the return EIP in 4 bytes"
    mov eax, [RES + 4]
    EXPECT64 rax, SEL_CODE64, "far CALL m16:32 pushed CS in the next 4 bytes"

    ; ---- invalid transitions in 64-bit mode ----
    ; QEMU 7.2 lets this MOV through and walks 32-bit tables at CR3 from
    ; the next fetch on. So that it survives to restore CR4 on the next
    ; instruction, the ROM pages are also mapped in that reading: the PML4's
    ; first dword points at the PDPT page as a 32-bit page table, whose
    ; dwords 0xF0-0xFF (PDPT entries 78h-7Fh, unused here) map F0000-FFFFF.
    mov edi, PDPT_BASE + 0xF0 * 4
    mov eax, 0xF0000 | 7
.fake_pt:
    mov [rdi], eax
    add eax, 0x1000
    add edi, 4
    cmp edi, PDPT_BASE + 0x100 * 4
    jb .fake_pt
    mov rax, cr4
    mov rbx, rax
    and eax, ~0x20
    TRY64
    mov cr4, rax
    mov cr4, rbx                ; reached only if the MOV did not fault
    CATCH64 13, 0, "clearing CR4.PAE while EFER.LMA = 1 -> #GP(0)"
    mov edi, PDPT_BASE + 0xF0 * 4
    xor eax, eax
    mov ecx, 16
    rep stosd
    mov rax, cr3
    mov cr3, rax
    mov rax, cr4
    EXPECT64 rax, rbx, "CR4 unchanged by the faulting MOV"
    mov rax, cr0
    btr eax, 31
    TRY64
    mov cr0, rax
    ; Reached only if the MOV did not fault (QEMU 7.2): QEMU has left long
    ; mode, paging off, and runs on as 32-bit code. These 32-bit
    ; instructions turn paging back on and far-jump to the 64-bit CS, so
    ; that QEMU reaches the CATCH and the end of the test.
bits 32
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    jmp dword SEL_CODE64:LIN(.pg_back)
bits 64
.pg_back:
    CATCH64 13, 0, "clearing CR0.PG in 64-bit mode -> #GP(0)"
    mov ecx, MSR_EFER
    rdmsr
    mov ebx, eax
    and eax, ~EFER_LME
    TRY64
    wrmsr
    mov eax, ebx                ; reached only without the #GP: undo
    wrmsr
    CATCH64 13, 0, "WRMSR clearing EFER.LME while paging -> #GP(0)"
    mov rax, (0x9B << 40) | (0x6F << 48) | 0xFFFF
    mov [GDT_BASE + SEL_LD_CODE], rax          ; code DPL 0, G=0 D=1 L=1
    TRY64
    jmp far dword [rel farptr_ld]
    CATCH64 13, SEL_LD_CODE, "far JMP to a code segment with L=1 and D=1 -> #GP(sel)"

    ; ---- leave long mode through compatibility mode ----
    push SEL_CODE32
    push compat_leave
    o64 retf
bits 32
compat_leave:
    lidt [cs:lm_legacy_idtr]
    mov eax, cr0
    btr eax, 31
    mov cr0, eax                ; paging off: EFER.LMA = 0, legacy PM
    mov ecx, MSR_EFER
    rdmsr
    and eax, EFER_LME | EFER_LMA
    cmp eax, EFER_LME
    CHECK32 "CR0.PG clear in compatibility mode leaves long mode: LMA = 0, LME kept"
    mov eax, cr4
    and eax, ~0x20
    mov cr4, eax                ; PAE off is legal outside long mode
    mov eax, cr0
    bts eax, 31
    TRY32
    mov cr0, eax
    CATCH32 13, 0, "setting CR0.PG with EFER.LME = 1 and CR4.PAE = 0 -> #GP(0)"
    mov eax, cr0
    bt eax, 31
    setnc al
    cmp al, 1
    CHECK32 "CR0.PG still clear after the #GP"
    mov ecx, MSR_EFER
    rdmsr
    and eax, ~EFER_LME
    wrmsr                       ; LME may change while paging is off
    rdmsr
    test eax, EFER_LME | EFER_LMA
    CHECK32 "WRMSR clears EFER.LME while paging is off"
    ; 32-bit paging with PAE, no LME: legacy PAE paging, LMA stays 0
    mov eax, cr4
    or eax, 0x20
    mov cr4, eax
    mov dword [0x4000], PD_BASE | 1            ; PAE PDPT: 0-1 GiB
    mov dword [0x4004], 0
    mov dword [0x4008], 0
    mov dword [0x400C], 0
    mov dword [0x4010], 0
    mov dword [0x4014], 0
    mov dword [0x4018], 0
    mov dword [0x401C], 0
    mov eax, 0x4000
    mov cr3, eax
    mov eax, cr0
    bts eax, 31
    mov cr0, eax
    mov ecx, MSR_EFER
    rdmsr
    test eax, EFER_LMA
    CHECK32 "PAE paging without LME: EFER.LMA stays 0"
    mov eax, cr0
    btr eax, 31
    mov cr0, eax
    ; back into long mode
    mov eax, PML4_BASE
    mov cr3, eax
    mov ecx, MSR_EFER
    rdmsr
    or eax, EFER_LME
    wrmsr
    rdmsr
    and eax, EFER_LME | EFER_LMA
    cmp eax, EFER_LME
    CHECK32 "EFER.LME set with paging off: LMA still 0"
    mov eax, cr0
    bts eax, 31
    mov cr0, eax
    rdmsr
    and eax, EFER_LME | EFER_LMA
    cmp eax, EFER_LME | EFER_LMA
    CHECK32 "CR0.PG with EFER.LME sets EFER.LMA (compatibility mode)"
    jmp dword SEL_CODE64:LIN(back2)
bits 64
back2:
    lidt [rel lm_idtr]
    mov ax, cs
    movzx eax, ax
    EXPECT64 rax, SEL_CODE64, "far JMP re-enters 64-bit mode"
    mov rax, 0xFEDCBA9876543210
    ror rax, 32
    EXPECT64 rax, 0x76543210FEDCBA98, "64-bit arithmetic after re-entry"
    FINISH64

bits 32
compat2:                        ; reached by far CALL m16:32 from 64-bit mode
    mov eax, [esp]              ; return EIP, 4-byte slot
    mov [RES], eax
    mov eax, [esp + 4]          ; CS, 4-byte slot
    mov [RES + 4], eax
    retf
bits 64

farptr_compat2: dd compat2
                dw SEL_CODE32
farptr_ld:      dd LIN(ld_landing)
                dw SEL_LD_CODE

ld_landing:                     ; reached only without the #GP: go back to
    push SEL_CODE64             ; the 64-bit CS and fail at the CATCH
    push qword [EXC_RESUME]
    o64 retf

    LM_LIB
ROM_END
