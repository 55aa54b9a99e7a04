; lm_addr.asm — addressing and control flow in 64-bit mode: RIP-relative
; operands (RIP = end of the whole instruction), ModRM/SIB special cases
; with REX, the 67h prefix (32-bit addresses), stack operand sizes (64 and
; 16, no 32), near CALL/RET/JMP with 64-bit targets, canonical-address
; checks (#GP(0), #SS(0) through RSP/RBP, branch targets fault at the
; branch), segment bases ignored except FS/GS (FS/GS base MSRs, SWAPGS,
; RDFSBASE family), and opcodes that are invalid in 64-bit mode.
; Intel SDM vol. 1 3.3.7 (canonical), 3.5.1.1, vol. 2 2.2.1.3-2.2.1.6
; (RIP-relative, REX special cases), 2.2.1.2; vol. 3A 3.4.4 (segments in
; IA-32e mode), 6.14 (exceptions); AMD APM vol. 3 1.7, appendix B.
;
; Every check QEMU TCG fails here passes on the development host's AMD EPYC
; (qemu-system-x86_64 -enable-kvm -cpu host, which stops at the #UD list).
;
; qemu-differs: QEMU 7.2 TCG raises #GP instead of #SS(0) for non-canonical RSP/RBP-based addresses (SDM 6.14: #SS; the PUSH case then double-faults), takes the non-canonical branch #GP on the target instead of on the JMP/CALL/RET (SDM JMP/CALL/RET: #GP(0) at the branch), adds the DS/ES base under an explicit DS:/ES: override (SDM 3.4.4: bases treated as 0), and accepts non-canonical values in WRMSR IA32_FS_BASE and WRGSBASE (SDM: #GP(0))
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "lm.inc"

%define DATA        0x4000
%define SEL_BASED   GDT_FREE    ; data, base 0x1000, limit 0 (byte granular)
%define NONCANON    0x0000800000000000

; UD "name", bytes...: the bytes must raise #UD in 64-bit mode.
%macro UD 2+
    TRY64
    db %2
    times 8 nop
    CATCH64 6, -1, %1
    mov rsp, [EXC_RESUME_RSP]
%endmacro

start:
    ROM_INIT
    PUTS `lm_addr: 64-bit addressing, stack, branches, canonical checks\n`
    LM_ENTER
    SET_GATE64 12, lm_stubs + 12 * 16, 0x8E, 2   ; #SS on IST2: RSP may be bad

    ; ---- RIP-relative ----
    mov rax, [rel rom_qword]
    EXPECT64 rax, 0x1122334455667788, "MOV r64, [RIP+disp32] reads ROM data"
    ; MOV dword [RIP+disp32], imm32 to RAM: disp counts from the end of
    ; the immediate, not of the displacement
    db 0xC7, 0x05
    dd (DATA - ROM_BASE) - (.after_mov - $$)
    dd 0xCAFEF00D
.after_mov:
    mov eax, [DATA]
    EXPECT64 rax, 0xCAFEF00D, "RIP-relative store with an immediate: RIP = end of instruction"
    db 0x49, 0x8D, 0x05         ; REX.B LEA RAX, [RIP+0]: REX.B does not
    dd 0                        ; turn mod=00 rm=101 into R13
.after_lea:
    lea rbx, [rel .after_lea]
    EXPECT64 rax, rbx, "mod=00 rm=101 is RIP-relative even with REX.B"
    mov r13, 0x5555
    db 0x49, 0x8D, 0x04, 0x25   ; LEA RAX, [disp32] (SIB base=101, REX.B)
    dd 0x1234
    EXPECT64 rax, 0x1234, "SIB base=101 with mod=00 is disp32 even with REX.B (no R13)"
    mov r12, 0x100
    db 0x4A, 0x8D, 0x04, 0x25   ; REX.X: SIB index=100 is R12, not 'none'
    dd 0x10
    EXPECT64 rax, 0x110, "SIB index=100 with REX.X is R12"
    mov r13, 0x2000
    lea rax, [r13]              ; needs mod=01 disp8=0
    EXPECT64 rax, 0x2000, "LEA RAX, [R13] (mod=01, disp8 0)"
    mov r12, 0x3000
    lea rax, [r12 + 8]          ; needs a SIB byte
    EXPECT64 rax, 0x3008, "LEA RAX, [R12+8] (SIB)"
    mov rbx, 0x100000000
    mov rcx, 3
    lea rax, [rbx + rcx * 8 - 0x10]
    EXPECT64 rax, 0x100000008, "LEA r64 with a 64-bit base, scaled index and negative disp"
    mov rax, -1
    lea eax, [rbx + rcx * 8 - 0x10]
    EXPECT64 rax, 8, "LEA r32 truncates and zero-extends"
    mov rax, -1
    lea ax, [rbx + rcx]
    EXPECT64 rax, 0xFFFFFFFFFFFF0003, "LEA r16 keeps bits 63:16"

    ; ---- 67h: 32-bit addressing ----
    mov dword [DATA + 8], 0x600DCAFE
    mov ebx, 0xFFFFFFF0
    mov ecx, DATA + 0x18
    mov eax, [ebx + ecx]        ; 67h: 0xFFFFFFF0 + 0x4018 wraps to 0x4008
    EXPECT64 rax, 0x600DCAFE, "67h: the 32-bit effective address wraps at 4 GiB"
    mov rbx, 0xFFFFFFFF00000000 | (DATA + 8)
    mov eax, [ebx]              ; only EBX is used
    EXPECT64 rax, 0x600DCAFE, "67h: bits 63:32 of the base register are ignored"
    mov ebx, 0xFFFFFFF0
    lea rax, [ebx + ecx]
    EXPECT64 rax, DATA + 8, "67h LEA r64 gives the 32-bit address zero-extended"
    db 0x67, 0x8D, 0x05         ; 67h LEA EAX, [EIP+0]: RIP-relative with
    dd 0                        ; 32-bit addressing
.after_eip:
    lea rbx, [rel .after_eip]
    EXPECT64 rax, rbx, "67h RIP-relative uses EIP (here the same value)"

    ; ---- stack operand sizes ----
    mov rbx, rsp
    push ax
    sub rbx, rsp
    pop ax
    EXPECT64 rbx, 2, "66h PUSH r16 moves RSP by 2"
    mov rbx, rsp
    db 0x48, 0x50               ; REX.W PUSH RAX: still 8
    sub rbx, rsp
    pop rax
    EXPECT64 rbx, 8, "REX.W PUSH r64 moves RSP by 8"
    mov rbx, rsp
    push word 0x1234
    sub rbx, rsp
    movzx eax, word [rsp]
    add rsp, 2
    EXPECT64 rbx, 2, "66h PUSH imm16 moves RSP by 2"
    EXPECT64 rax, 0x1234, "66h PUSH imm16 stores the word"
    mov rbx, rsp
    push fs
    sub rbx, rsp
    add rsp, 8
    EXPECT64 rbx, 8, "PUSH FS moves RSP by 8"
    mov rbx, rsp
    pushfq
    sub rbx, rsp
    popfq
    EXPECT64 rbx, 8, "PUSHFQ moves RSP by 8"
    mov rax, 0x1122334455667788
    push rax
    mov rax, 0
    pop ax
    EXPECT64 rax, 0x7788, "66h POP r16 pops 2 bytes"
    add rsp, 6

    ; ---- near CALL/RET/JMP ----
    mov rbx, rsp
    call .callee
.ret1:
    jmp .after_callee
.callee:
    mov rax, [rsp]
    lea rcx, [rel .ret1]
    EXPECT64 rax, rcx, "CALL rel32 pushes the 64-bit return RIP"
    mov rax, rbx
    sub rax, rsp
    EXPECT64 rax, 8, "CALL rel32 moves RSP by 8"
    ret
.after_callee:
    EXPECT64 rsp, rbx, "RET pops 8 bytes"
    lea rax, [rel .callee2]
    call rax
    EXPECT64 rdx, 0x77, "CALL r64 reaches a 64-bit target"
    call [rel callee2_ptr]
    EXPECT64 rdx, 0x77, "CALL m64 through a RIP-relative pointer"
    mov rbx, rsp
    call .callee3
    EXPECT64 rsp, rbx, "RET imm16 pops the return address and the operand bytes"
    lea rax, [rel .jtarget]
    xor edx, edx
    jmp rax
    mov edx, 1
.jtarget:
    EXPECT64 rdx, 0, "JMP r64"
    jmp .branches_done
.callee2:
    mov edx, 0x77
    ret
.callee3:
    pop rcx
    push 0                      ; an 8-byte argument slot below the return
    push rcx
    ret 8
.branches_done:

    ; ---- canonical addresses ----
    mov rax, NONCANON
    TRY64
.gp1:
    mov rbx, [rax]
    CATCH64 13, 0, "load from a non-canonical address -> #GP(0)"
    lea rax, [rel .gp1]
    EXPECT64 [EXC_RIP], rax, "#GP frame RIP = the faulting load"
    TRY64
    mov rax, [qword NONCANON]   ; A1 moffs64
    CATCH64 13, 0, "MOV RAX, moffs64 at a non-canonical address -> #GP(0)"
    mov rax, 0xFFFF7FFFFFFFFFFF
    TRY64
    mov [rax], rbx
    CATCH64 13, 0, "store to FFFF7FFF_FFFFFFFF (bit 47 = 0, 63:48 = 1) -> #GP(0)"
    mov rax, 0xFFFF800000000000
    TRY64
    mov rbx, [rax]
    CATCH64 14, 0, "FFFF8000_00000000 is canonical: unmapped -> #PF, not #GP"
    mov rax, 0xFFFF800000000000
    EXPECT64 [EXC_CR2], rax, "#PF CR2 = the canonical high address"
    mov rbp, NONCANON
    TRY64
    mov rbx, [rbp]
    CATCH64 12, 0, "RBP-based non-canonical load -> #SS(0)"
    mov rax, NONCANON
    TRY64
    mov rbx, [rsp + rax]
    CATCH64 12, 0, "RSP-based non-canonical load -> #SS(0)"
    mov rax, NONCANON
    TRY64
[warning push]
[warning -prefix-seg]   ; the override is the point: NASM warns it does nothing
    mov rbx, [ds:rbp]
[warning pop]
    CATCH64 13, 0, "DS override on an RBP base: non-canonical -> #GP(0)"
    TRY64
    mov rsp, NONCANON + 8
    push rax
    CATCH64 12, 0, "PUSH with a non-canonical RSP -> #SS(0)"
    mov rax, 0x00007FFFFFFFFFF8
    TRY64
    mov rbx, [rax + 0x10]
    CATCH64 13, 0, "load at 7FFF_FFFFFFF8 + 0x10 (non-canonical) -> #GP(0)"
    mov rax, NONCANON
    TRY64
.jmp_bad:
    jmp rax
    CATCH64 13, 0, "JMP to a non-canonical target -> #GP(0)"
    lea rax, [rel .jmp_bad]
    EXPECT64 [EXC_RIP], rax, "the #GP is taken on the JMP (frame RIP = the JMP)"
    mov rax, NONCANON
    TRY64
.call_bad:
    call rax
    CATCH64 13, 0, "CALL to a non-canonical target -> #GP(0)"
    lea rax, [rel .call_bad]
    EXPECT64 [EXC_RIP], rax, "the #GP is taken on the CALL"
    mov rax, NONCANON
    TRY64
    push rax
.ret_bad:
    ret
    CATCH64 13, 0, "RET to a non-canonical address -> #GP(0)"
    lea rax, [rel .ret_bad]
    EXPECT64 [EXC_RIP], rax, "the #GP is taken on the RET"

    ; ---- segment bases in 64-bit mode ----
    mov dword [GDT_BASE + SEL_BASED], 0x10000000   ; base 15:0 = 0x1000, limit 0
    mov dword [GDT_BASE + SEL_BASED + 4], 0x00009300
    mov ax, SEL_BASED
    mov ds, ax
    mov es, ax
    mov qword [DATA], 0x1234
    mov qword [DATA + 0x1000], 0x5678
    mov rax, [DATA]
    EXPECT64 rax, 0x1234, "DS base and limit are ignored in 64-bit mode"
[warning push]
[warning -prefix-seg]   ; the overrides are the point, as above
    mov rax, [ds:DATA]
    EXPECT64 rax, 0x1234, "a DS: override does not bring the DS base back"
    mov rax, [es:DATA]
[warning pop]
    EXPECT64 rax, 0x1234, "ES base is ignored in 64-bit mode"
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov ecx, MSR_FS_BASE
    mov eax, DATA
    xor edx, edx
    wrmsr
    mov rax, [fs:0x1000]
    EXPECT64 rax, 0x5678, "FS: adds IA32_FS_BASE"
    mov ecx, MSR_GS_BASE
    mov eax, DATA + 0x1000
    wrmsr
    mov ecx, MSR_KERNEL_GS_BASE
    mov eax, DATA
    wrmsr
    mov rax, [gs:0]
    EXPECT64 rax, 0x5678, "GS: adds IA32_GS_BASE"
    swapgs
    mov rax, [gs:0]
    EXPECT64 rax, 0x1234, "SWAPGS: GS base now from IA32_KERNEL_GS_BASE"
    mov ecx, MSR_KERNEL_GS_BASE
    rdmsr
    EXPECT64 rax, DATA + 0x1000, "SWAPGS put the old GS base into IA32_KERNEL_GS_BASE"
    swapgs
    mov ecx, MSR_FS_BASE
    mov eax, 0
    mov edx, 0x8000             ; 0x0000800000000000
    TRY64
    wrmsr
    CATCH64 13, 0, "WRMSR of a non-canonical IA32_FS_BASE -> #GP(0)"
    mov ax, SEL_DATA
    mov fs, ax
    mov ecx, MSR_FS_BASE
    rdmsr
    EXPECT64 rax, 0, "MOV FS, sel loads the descriptor's base into FS.base"
    mov eax, 7
    xor ecx, ecx
    cpuid
    bt ebx, 0                   ; FSGSBASE
    jnc .no_fsgsbase
    TRY64
    rdfsbase rax
    CATCH64 6, -1, "RDFSBASE with CR4.FSGSBASE = 0 -> #UD"
    mov rax, cr4
    bts rax, 16
    mov cr4, rax
    mov rax, 0x12345000
    wrfsbase rax
    mov ecx, MSR_FS_BASE
    rdmsr
    EXPECT64 rax, 0x12345000, "WRFSBASE writes IA32_FS_BASE"
    rdgsbase rax
    EXPECT64 rax, DATA + 0x1000, "RDGSBASE reads the GS base"
    mov rax, NONCANON
    TRY64
    wrgsbase rax
    CATCH64 13, 0, "WRGSBASE of a non-canonical value -> #GP(0)"
    mov rax, cr4
    btr rax, 16
    mov cr4, rax
.no_fsgsbase:

    ; ---- opcodes invalid in 64-bit mode ----
    UD "PUSH ES (06) -> #UD", 0x06
    UD "POP ES (07) -> #UD", 0x07
    UD "PUSH CS (0E) -> #UD", 0x0E
    UD "PUSH SS (16) -> #UD", 0x16
    UD "POP SS (17) -> #UD", 0x17
    UD "PUSH DS (1E) -> #UD", 0x1E
    UD "POP DS (1F) -> #UD", 0x1F
    UD "DAA (27) -> #UD", 0x27
    UD "DAS (2F) -> #UD", 0x2F
    UD "AAA (37) -> #UD", 0x37
    UD "AAS (3F) -> #UD", 0x3F
    UD "PUSHA (60) -> #UD", 0x60
    UD "POPA (61) -> #UD", 0x61
    UD "INTO (CE) -> #UD", 0xCE
    UD "AAM (D4) -> #UD", 0xD4, 0x0A
    UD "AAD (D5) -> #UD", 0xD5, 0x0A
    UD "SALC (D6) -> #UD", 0xD6
    UD "far CALL ptr16:32 (9A) -> #UD", 0x9A, 0, 0, 0, 0, 8, 0
    UD "far JMP ptr16:32 (EA) -> #UD", 0xEA, 0, 0, 0, 0, 8, 0
    UD "LES (C4, a VEX prefix with reserved map 0 here) -> #UD", 0xC4, 0xE0, 0x78, 0x00, 0xC0
    UD "BOUND (62, an EVEX prefix here) -> #UD", 0x62, 0x00
    UD "indirect far JMP with a register operand (FF /5 mod=3) -> #UD", 0xFF, 0xE8
    FINISH64

align 8
rom_qword:   dq 0x1122334455667788
callee2_ptr: dq LIN(start.callee2)

    LM_LIB
ROM_END
