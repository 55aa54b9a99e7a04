; lm_alu64.asm — 64-bit integer instructions in 64-bit mode: REX prefixes
; (W, R, X, B), R8-R15, the SPL/BPL/SIL/DIL byte registers, zero-extension
; of 32-bit results against 16/8-bit writes, MOVSXD, MOV r64, imm64, the
; flags of 64-bit ADD/SUB/IMUL/MUL/SHL/SHR/SAR/ROL/RCR/BSF/BSR/BT*,
; 128/64 DIV and IDIV with #DE, CQO/CDQE, CMPXCHG16B and its alignment #GP.
; Only flags the SDM defines for each instruction are compared.
; Intel SDM vol. 1 3.4.1.1 (64-bit GPRs), vol. 2 2.2.1 (REX), each
; instruction's page; AMD APM vol. 3.
;
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "lm.inc"

%define CF 0x001
%define PF 0x004
%define AF 0x010
%define ZF 0x040
%define SF 0x080
%define OF 0x800
%define ARITH (CF | PF | AF | ZF | SF | OF)

%define M128 0x4000             ; 16-byte aligned scratch

; FLAGS mask, value, "name": compare the defined flags (clobbers R11).
%macro FLAGS 3
    pushfq
    pop r11
    and r11, %1
    EXPECT64 r11, %2, %3
%endmacro

start:
    ROM_INIT
    PUTS `lm_alu64: 64-bit arithmetic with REX prefixes\n`
    LM_ENTER

    ; ---- registers and REX ----
    mov r12, 0x0123456789ABCDEF
    EXPECT64 r12, 0x0123456789ABCDEF, "MOV r64, imm64 (REX.W.B B8+r) loads all 64 bits"
    mov rax, -2
    EXPECT64 rax, 0xFFFFFFFFFFFFFFFE, "MOV r/m64, imm32 sign-extends"
    mov r8, 0x1111
    mov r15, r8
    add r15, r8
    EXPECT64 r15, 0x2222, "R8 and R15 through REX.R and REX.B"
    mov r10, 0x1000
    mov r11, 3
    lea r9, [r10 + r11 * 4 + 8]
    EXPECT64 r9, 0x1014, "LEA with REX.X (R11 index) and REX.B (R10 base)"
    mov rsi, 0x1234
    mov sil, 0xAB
    EXPECT64 rsi, 0x12AB, "MOV SIL, imm8 writes the low byte of RSI"
    mov rdi, 0x55AA
    mov rdx, 0x7700
    xor eax, eax
    db 0x40, 0x88, 0xF8         ; REX + 88 /r: MOV AL, DIL (DH without REX)
    EXPECT64 rax, 0xAA, "an empty REX prefix turns BH/DH into SPL/BPL/SIL/DIL"
    mov rbp, 0x10000
    mov bpl, 0x7F
    EXPECT64 rbp, 0x1007F, "MOV BPL, imm8"

    ; ---- operand-size writes ----
    mov rax, -1
    mov eax, 1
    EXPECT64 rax, 1, "a 32-bit MOV zero-extends into bits 63:32"
    mov rax, -1
    add eax, 0
    EXPECT64 rax, 0xFFFFFFFF, "a 32-bit ADD zero-extends its result"
    mov rax, -1
    mov ax, 0
    EXPECT64 rax, 0xFFFFFFFFFFFF0000, "a 16-bit MOV keeps bits 63:16"
    mov rax, -1
    mov al, 0
    EXPECT64 rax, 0xFFFFFFFFFFFFFF00, "an 8-bit MOV keeps bits 63:8"
    mov rax, -1
    nop                         ; 90: XCHG EAX, EAX is NOP in 64-bit mode
    EXPECT64 rax, -1, "opcode 90 (XCHG EAX, EAX) does not zero-extend RAX"
    mov rax, -1
    db 0x87, 0xC0               ; XCHG EAX, EAX with ModRM
    EXPECT64 rax, 0xFFFFFFFF, "87 C0 (XCHG EAX, EAX) zero-extends RAX"
    mov r8, -1
    mov r9, 0x100000005
    xchg r8, r9
    EXPECT64 r8, 0x100000005, "XCHG r64, r64"
    mov ecx, 0x80000000
    movsxd rax, ecx
    EXPECT64 rax, 0xFFFFFFFF80000000, "MOVSXD sign-extends a doubleword"
    mov byte [SCRATCH], 0x80
    movsx rax, byte [SCRATCH]
    EXPECT64 rax, -128, "MOVSX r64, m8"
    mov rax, -1
    movzx rax, byte [SCRATCH]
    EXPECT64 rax, 0x80, "MOVZX r64, m8"

    ; ---- ADD/SUB/INC/NEG flags ----
    mov rax, 0x7FFFFFFFFFFFFFFF
    add rax, 1
    FLAGS ARITH, OF | SF | AF | PF, "ADD 7FFF...+1: OF SF AF PF"
    EXPECT64 rax, 0x8000000000000000, "ADD 7FFF...+1 = 8000..."
    mov rax, -1
    add rax, 1
    FLAGS ARITH, CF | ZF | AF | PF, "ADD FFFF...+1: CF ZF AF PF"
    xor eax, eax
    sub rax, 1
    FLAGS ARITH, CF | SF | AF | PF, "SUB 0-1: CF SF AF PF"
    mov rax, 0x8000000000000000
    sub rax, 1
    FLAGS ARITH, OF | AF | PF, "SUB 8000...-1: OF AF PF"
    mov rax, 0x7FFFFFFFFFFFFFFF
    inc rax
    FLAGS OF | SF | ZF, OF | SF, "INC r64 (FF /0) sets OF at 7FFF..."
    mov rax, 0x8000000000000000
    neg rax
    FLAGS OF | CF, OF | CF, "NEG 8000...: OF and CF"
    mov rax, 0x100000000
    add rax, -1                 ; imm8 sign-extended to 64 bits
    EXPECT64 rax, 0xFFFFFFFF, "ADD r64, imm8 sign-extends the immediate"
    stc
    mov rax, -1
    adc rax, 0
    FLAGS CF | ZF, CF | ZF, "ADC r64 carries out of bit 63"
    push -1
    pop rax
    EXPECT64 rax, -1, "PUSH imm8 pushes it sign-extended to 64 bits"

    ; ---- multiply ----
    mov rax, 0x100000000
    imul rax, rax
    FLAGS CF | OF, CF | OF, "IMUL r64, r64 overflow sets CF and OF"
    EXPECT64 rax, 0, "IMUL r64, r64 keeps the low 64 bits"
    mov rax, -3
    imul rax, rax, 5
    FLAGS CF | OF, 0, "IMUL r64, r64, imm without overflow clears CF and OF"
    EXPECT64 rax, -15, "IMUL r64, r64, imm8"
    mov rax, -1
    mov rbx, 2
    mul rbx
    FLAGS CF | OF, CF | OF, "MUL r64: high half non-zero sets CF and OF"
    EXPECT64 rdx, 1, "MUL r64: RDX = high 64 bits"
    EXPECT64 rax, 0xFFFFFFFFFFFFFFFE, "MUL r64: RAX = low 64 bits"
    mov rax, -1
    mov rbx, -1
    imul rbx
    FLAGS CF | OF, 0, "IMUL r64 (-1 * -1) clears CF and OF"
    EXPECT64 rdx, 0, "IMUL r64: RDX:RAX = 1 (high)"

    ; ---- divide ----
    mov rdx, 1
    xor eax, eax
    mov rbx, 2
    div rbx
    EXPECT64 rax, 0x8000000000000000, "DIV r64: 2^64 / 2 quotient"
    EXPECT64 rdx, 0, "DIV r64: remainder"
    mov rdx, -1
    mov rax, -7
    mov rbx, 2
    idiv rbx
    EXPECT64 rax, -3, "IDIV r64: -7 / 2 = -3 (truncates)"
    EXPECT64 rdx, -1, "IDIV r64: remainder -1"
    mov rdx, 2
    xor eax, eax
    mov rbx, 2
    TRY64
    div rbx
    CATCH64 0, -1, "DIV r64 with a quotient of 2^64 -> #DE"
    mov rdx, -1
    mov rax, 0x8000000000000000
    mov rbx, -1
    TRY64
    idiv rbx
    CATCH64 0, -1, "IDIV r64: -2^63 / -1 -> #DE"
    EXPECT64 rax, 0x8000000000000000, "the faulting IDIV leaves RAX unchanged"
    xor ebx, ebx
    TRY64
.div0:
    div rbx
    CATCH64 0, -1, "DIV r64 by zero -> #DE"
    lea rax, [rel .div0]
    EXPECT64 [EXC_RIP], rax, "#DE frame RIP is the DIV itself"

    ; ---- sign extension ----
    mov rax, -5
    cqo
    EXPECT64 rdx, -1, "CQO fills RDX with the sign of RAX"
    mov rax, 0x12345678FFFFFFFF
    cdqe
    EXPECT64 rax, -1, "CDQE sign-extends EAX into RAX"
    mov rdx, -1
    mov eax, 0x80000000
    cdq
    EXPECT64 rdx, 0xFFFFFFFF, "CDQ writes EDX and zero-extends RDX"

    ; ---- shifts and rotates ----
    mov rax, 1
    shl rax, 63
    FLAGS CF | ZF | SF | PF, SF | PF, "SHL r64, 63: SF, no CF"
    EXPECT64 rax, 0x8000000000000000, "SHL r64, 63"
    mov rax, 0xC000000000000000
    shl rax, 1
    FLAGS CF | OF | ZF | SF, CF | SF, "SHL r64, 1: CF = old bit 63, OF = 0 (CF = new sign)"
    mov rax, 0x8000000000000000
    shr rax, 1
    FLAGS CF | OF | SF, OF, "SHR r64, 1: OF = old bit 63"
    mov rax, 0x8000000000000000
    sar rax, 63
    EXPECT64 rax, -1, "SAR r64, 63 copies the sign"
    mov rax, 0x1234
    mov cl, 64
    shl rax, cl
    EXPECT64 rax, 0x1234, "SHL r64, CL masks the count to 6 bits (64 -> 0)"
    mov cl, 65
    shl rax, cl
    EXPECT64 rax, 0x2468, "SHL r64, CL: 65 counts as 1"
    mov eax, 0x1234
    mov cl, 32
    shl eax, cl
    EXPECT64 rax, 0x1234, "SHL r32, CL masks the count to 5 bits"
    mov rax, 0x123456789ABCDEF0
    rol rax, 4
    FLAGS CF, CF, "ROL r64, 4: CF = new bit 0"
    EXPECT64 rax, 0x23456789ABCDEF01, "ROL r64, 4"
    mov rax, 1
    clc
    rcr rax, 1
    FLAGS CF | OF, CF, "RCR r64, 1: CF = old bit 0"
    EXPECT64 rax, 0, "RCR r64, 1 with CF=0"
    stc
    rcr rax, 1
    EXPECT64 rax, 0x8000000000000000, "RCR r64, 1 rotates CF into bit 63"
    mov rax, 0x8000000000000001
    stc
    rcl rax, 1
    EXPECT64 rax, 3, "RCL r64, 1 rotates bit 63 into CF and CF into bit 0"
    FLAGS CF, CF, "RCL r64, 1 carry out"
    mov rax, 0x00FF000000000000
    mov rbx, 0x0123456789ABCDEF
    shld rax, rbx, 8
    EXPECT64 rax, 0xFF00000000000001, "SHLD r64, r64, 8"

    ; ---- bit scan and bit test ----
    mov rax, 0x8000000000000000
    bsf rbx, rax
    FLAGS ZF, 0, "BSF r64 of a non-zero value clears ZF"
    EXPECT64 rbx, 63, "BSF r64 finds bit 63"
    mov rax, 0x0000000100000001
    bsr rbx, rax
    EXPECT64 rbx, 32, "BSR r64 finds bit 32"
    xor eax, eax
    bsf rbx, rax
    FLAGS ZF, ZF, "BSF r64 of zero sets ZF"
    mov rax, 0x8000000000000000
    bt rax, 63
    FLAGS CF, CF, "BT r64, 63"
    bt rax, 127                 ; register operand: offset mod 64
    FLAGS CF, CF, "BT r64, imm uses the offset modulo 64"
    xor eax, eax
    mov [M128], rax
    mov [M128 + 8], rax
    mov [M128 + 16], rax
    mov rcx, 140                ; byte 17, bit 4
    bts [M128], rcx
    FLAGS CF, 0, "BTS m64, r64: CF = old bit"
    EXPECT64 [M128 + 16], 0x1000, "BTS m64, r64 addresses bit 140 beyond the qword"
    mov rcx, -1                 ; bit -1: byte M128-1, bit 7
    mov byte [M128 - 1], 0x80
    btr [M128], rcx
    FLAGS CF, CF, "BTR m64, -1 finds the bit below the operand"
    movzx eax, byte [M128 - 1]
    EXPECT64 rax, 0, "BTR m64, -1 clears it"
    mov rax, 5
    btc rax, 2
    EXPECT64 rax, 1, "BTC r64, imm"

    ; ---- exchange, byte swap, strings ----
    mov rax, 0x0102030405060708
    bswap rax
    EXPECT64 rax, 0x0807060504030201, "BSWAP r64"
    mov rax, 0xFFFFFFFF11223344
    bswap eax
    EXPECT64 rax, 0x44332211, "BSWAP r32 zero-extends"
    mov qword [M128], 10
    mov rax, 0x100000000
    xadd [M128], rax
    EXPECT64 rax, 10, "XADD m64, r64 returns the old value"
    EXPECT64 [M128], 0x10000000A, "XADD m64, r64 stores the sum"
    mov rax, 0x10000000A
    mov rbx, -1
    cmpxchg [M128], rbx
    FLAGS ZF, ZF, "CMPXCHG m64 equal: ZF = 1"
    EXPECT64 [M128], -1, "CMPXCHG m64 equal stores the source"
    mov rax, 5
    cmpxchg [M128], rbx
    EXPECT64 rax, -1, "CMPXCHG m64 different loads RAX"
    cld
    mov rdi, M128
    mov rax, 0x5A5A5A5A5A5A5A5A
    mov rcx, 3
    rep stosq
    EXPECT64 rcx, 0, "REP STOSQ counts RCX down to 0"
    EXPECT64 rdi, M128 + 24, "REP STOSQ advances RDI by 8 per element"
    EXPECT64 [M128 + 16], rax, "REP STOSQ stores 64-bit elements"
    mov rsi, M128
    mov rdi, M128 + 32
    movsq
    EXPECT64 [M128 + 32], 0x5A5A5A5A5A5A5A5A, "MOVSQ copies a qword"
    EXPECT64 rsi, M128 + 8, "MOVSQ advances RSI by 8"

    ; ---- CMPXCHG16B ----
    mov eax, 1
    cpuid
    bt ecx, 13                  ; CX16
    jnc .no_cx16
    mov rax, 0x1111111111111111
    mov [M128], rax
    mov rax, 0x2222222222222222
    mov [M128 + 8], rax
    mov rax, 0x1111111111111111
    mov rdx, 0x2222222222222222
    mov rbx, 0x3333333333333333
    mov rcx, 0x4444444444444444
    cmpxchg16b [M128]
    FLAGS ZF, ZF, "CMPXCHG16B equal: ZF = 1"
    EXPECT64 [M128], 0x3333333333333333, "CMPXCHG16B equal stores RBX low"
    EXPECT64 [M128 + 8], 0x4444444444444444, "CMPXCHG16B equal stores RCX high"
    xor eax, eax
    xor edx, edx
    cmpxchg16b [M128]
    FLAGS ZF, 0, "CMPXCHG16B different: ZF = 0"
    EXPECT64 rax, 0x3333333333333333, "CMPXCHG16B different loads RAX"
    EXPECT64 rdx, 0x4444444444444444, "CMPXCHG16B different loads RDX"
    TRY64
    cmpxchg16b [M128 + 8]
    CATCH64 13, 0, "CMPXCHG16B on an 8-byte-aligned operand -> #GP(0)"
    jmp .cx16_done
.no_cx16:
    PUTS64 `note: no CMPXCHG16B (CPUID.1:ECX.CX16 = 0), not tested\n`
.cx16_done:

    ; ---- LAHF/SAHF in 64-bit mode ----
    mov eax, 0x80000001
    cpuid
    bt ecx, 0
    jnc .no_lahf
    mov ah, 0xD5
    sahf
    mov ah, 0
    lahf
    movzx eax, ah
    EXPECT64 rax, 0xD7, "SAHF/LAHF in 64-bit mode (CPUID 80000001h ECX.LAHF)"
.no_lahf:
    FINISH64

    LM_LIB
ROM_END
