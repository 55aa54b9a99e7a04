; sse_mxcsr.asm — MXCSR (SDM vol. 1 10.2.3, 11.5; vol. 2 LDMXCSR): load and
; store, #GP(0) for reserved bits; the four rounding modes on DIVSS, ADDSD,
; CVTSD2SS, CVTSD2SI and CVTPS2DQ (and CVTTPS2DQ ignoring them); overflow
; in each mode (infinity or the largest finite number); DAZ (denormal
; sources read as signed zero, no DE; moves unaffected); FTZ (a tiny
; result becomes signed zero with UE and PE when underflow is masked; an
; exact tiny result also underflows); sticky flags; masked responses
; (QNaN indefinite, signed infinity); unmasked exceptions with
; CR4.OSXMMEXCPT=1: #XM (vector 19), the destination (XMM or GPR) is not
; written, the pre-computation flags IE/DE/ZE of all lanes are set and no
; post-computation flag when one of them is unmasked (vol. 1 11.5.2), an
; unmasked OE/UE/PE sets its flag; with CR4.OSXMMEXCPT=0 the same
; exception is #UD; an unmasked flag already set raises nothing by itself.
; 32-bit protected mode. Results and MXCSR values follow the SDM and were
; confirmed on a host CPU (AMD EPYC; faulting cases through SIGFPE and the
; signal context's MXCSR and XMM0).
;
; qemu-differs: QEMU 7.2 never raises #XM or #UD for an unmasked SIMD
; floating-point exception (it applies the masked response and writes the
; destination), never sets DE for a denormal source, and does not #GP on
; reserved MXCSR bits in LDMXCSR; those checks print "qemu-departs".
; qemu-cmd: qemu-system-x86_64 -cpu max
; (rawbox-args: --cpu max, once `rawbox run` takes --cpu)
%include "rom.inc"
%include "pm.inc"
%include "sse.inc"

start:
    ROM_INIT
    PUTS `sse_mxcsr: MXCSR rounding, DAZ/FTZ, masked and unmasked exceptions\n`
    PUTS `note: QEMU has no unmasked SIMD FP exceptions, no DE flag and no LDMXCSR #GP (SDM wins)\n`
    NEED_CPUID1 edx, 25, "no SSE"
    NEED_CPUID1 edx, 26, "no SSE2"
    SSE_DETECT_QEMU
    PM_SETUP
    PM_ENTER32 pm_start

bits 32
pm_start:
    SSE_ENABLE CR4_OSFXSR | CR4_OSXMMEXCPT

    ; ---- LDMXCSR / STMXCSR ----
    stmxcsr [SBUF + 0x100]
    EXPECT_MEM SBUF + 0x100, "MXCSR at reset is 1F80", 0x1f80
    SET_MXCSR 0xffff
    EXPECT_MXCSR 0xffff, "LDMXCSR FFFF: every bit 15:0 is writable (DAZ and FTZ too)"
    SET_MXCSR 0x1f80
    QEMU_DEPARTS_BEGIN
    mov dword [SBUF + 0x104], 0x00011f80
    TRY
    ldmxcsr [SBUF + 0x104]
    XCATCH 13, 0, "LDMXCSR with bit 16 set: #GP(0)"
    mov dword [SBUF + 0x104], 0x80001f80
    TRY
    ldmxcsr [SBUF + 0x104]
    XCATCH 13, 0, "LDMXCSR with bit 31 set: #GP(0)"
    EXPECT_MXCSR 0x1f80, "MXCSR unchanged by the faulting LDMXCSR"
    QEMU_DEPARTS_END
    mov dword [SBUF + 0x109], 0x1f81
    ldmxcsr [SBUF + 0x109]
    stmxcsr [SBUF + 0x111]
    EXPECT_MEM SBUF + 0x111, "LDMXCSR/STMXCSR at misaligned addresses", 0x1f81

    ; ---- sticky flags; a set flag whose exception is unmasked raises nothing ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3f800000, 0
    LDX xmm1, 0x40400000, 0
    divss xmm0, xmm1                    ; PE
    addss xmm1, xmm1                    ; exact
    EXPECT_MXCSR 0x1fa0, "PE stays set after an exact ADDSS"
    SET_MXCSR 0x0020 | 0x4              ; PE and ZE set, everything unmasked
    addss xmm1, xmm1
    EXPECT_X xmm1, 0x41400000, 0, "exact ADDSS with PE and ZE set and unmasked: no fault"
    ; ---- the four rounding modes (MXCSR.RC bits 14:13) ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef3f800000, 0x12345678cafef00d
    LDX xmm1, 0x3f80000040400000, 0x3f8000003f800000
    divss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef3eaaaaab, 0x12345678cafef00d, "divss 1/3 round nearest"
    EXPECT_MXCSR 0x1fa0, "divss 1/3 round nearest: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeefbf800000, 0x12345678cafef00d
    LDX xmm1, 0x3f80000040400000, 0x3f8000003f800000
    divss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeefbeaaaaab, 0x12345678cafef00d, "divss -1/3 round nearest"
    EXPECT_MXCSR 0x1fa0, "divss -1/3 round nearest: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff0000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x3c30000000000000, 0x0000000000000000
    addsd xmm0, xmm1
    EXPECT_X xmm0, 0x3ff0000000000000, 0xdeadbeefcafef00d, "addsd 1+2^-60 round nearest"
    EXPECT_MXCSR 0x1fa0, "addsd 1+2^-60 round nearest: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef00000000, 0x12345678cafef00d
    LDX xmm1, 0xbfd5555555555555, 0x0000000000000000
    cvtsd2ss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeefbeaaaaab, 0x12345678cafef00d, "cvtsd2ss -1/3 round nearest"
    EXPECT_MXCSR 0x1fa0, "cvtsd2ss -1/3 round nearest: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x4004000000000000, 0x0000000000000000
    mov eax, 0x0
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0x00000002, "cvtsd2si 2.5 round nearest: eax"
    EXPECT_MXCSR 0x1fa0, "cvtsd2si 2.5 round nearest: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc004000000000000, 0x0000000000000000
    mov eax, 0x0
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0xfffffffe, "cvtsd2si -2.5 round nearest: eax"
    EXPECT_MXCSR 0x1fa0, "cvtsd2si -2.5 round nearest: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3ff8000000000000, 0x0000000000000000
    mov eax, 0x0
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0x00000002, "cvtsd2si 1.5 round nearest: eax"
    EXPECT_MXCSR 0x1fa0, "cvtsd2si 1.5 round nearest: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xbfe0000000000000, 0x0000000000000000
    mov eax, 0x0
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0x00000000, "cvtsd2si -0.5 round nearest: eax"
    EXPECT_MXCSR 0x1fa0, "cvtsd2si -0.5 round nearest: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc020000040200000, 0xbf0000003fc00000
    cvtps2dq xmm0, xmm1
    EXPECT_X xmm0, 0xfffffffe00000002, 0x0000000000000002, "cvtps2dq (2.5 -2.5 1.5 -0.5) round nearest"
    EXPECT_MXCSR 0x1fa0, "cvtps2dq (2.5 -2.5 1.5 -0.5) round nearest: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc020000040200000, 0xbf0000003fc00000
    cvttps2dq xmm0, xmm1
    EXPECT_X xmm0, 0xfffffffe00000002, 0x0000000000000001, "cvttps2dq truncates in round nearest"
    EXPECT_MXCSR 0x1fa0, "cvttps2dq truncates in round nearest: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef7f7fffff, 0x12345678cafef00d
    LDX xmm1, 0x3f80000040000000, 0x3f8000003f800000
    mulss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef7f800000, 0x12345678cafef00d, "mulss overflow round nearest"
    EXPECT_MXCSR 0x1fa8, "mulss overflow round nearest: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeefff7fffff, 0x12345678cafef00d
    LDX xmm1, 0x3f80000040000000, 0x3f8000003f800000
    mulss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeefff800000, 0x12345678cafef00d, "mulss negative overflow round nearest"
    EXPECT_MXCSR 0x1fa8, "mulss negative overflow round nearest: mxcsr"
    SET_MXCSR 0x3f80
    LDX xmm0, 0xdeadbeef3f800000, 0x12345678cafef00d
    LDX xmm1, 0x3f80000040400000, 0x3f8000003f800000
    divss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef3eaaaaaa, 0x12345678cafef00d, "divss 1/3 round down"
    EXPECT_MXCSR 0x3fa0, "divss 1/3 round down: mxcsr"
    SET_MXCSR 0x3f80
    LDX xmm0, 0xdeadbeefbf800000, 0x12345678cafef00d
    LDX xmm1, 0x3f80000040400000, 0x3f8000003f800000
    divss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeefbeaaaaab, 0x12345678cafef00d, "divss -1/3 round down"
    EXPECT_MXCSR 0x3fa0, "divss -1/3 round down: mxcsr"
    SET_MXCSR 0x3f80
    LDX xmm0, 0x3ff0000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x3c30000000000000, 0x0000000000000000
    addsd xmm0, xmm1
    EXPECT_X xmm0, 0x3ff0000000000000, 0xdeadbeefcafef00d, "addsd 1+2^-60 round down"
    EXPECT_MXCSR 0x3fa0, "addsd 1+2^-60 round down: mxcsr"
    SET_MXCSR 0x3f80
    LDX xmm0, 0xdeadbeef00000000, 0x12345678cafef00d
    LDX xmm1, 0xbfd5555555555555, 0x0000000000000000
    cvtsd2ss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeefbeaaaaab, 0x12345678cafef00d, "cvtsd2ss -1/3 round down"
    EXPECT_MXCSR 0x3fa0, "cvtsd2ss -1/3 round down: mxcsr"
    SET_MXCSR 0x3f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x4004000000000000, 0x0000000000000000
    mov eax, 0x0
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0x00000002, "cvtsd2si 2.5 round down: eax"
    EXPECT_MXCSR 0x3fa0, "cvtsd2si 2.5 round down: mxcsr"
    SET_MXCSR 0x3f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc004000000000000, 0x0000000000000000
    mov eax, 0x0
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0xfffffffd, "cvtsd2si -2.5 round down: eax"
    EXPECT_MXCSR 0x3fa0, "cvtsd2si -2.5 round down: mxcsr"
    SET_MXCSR 0x3f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3ff8000000000000, 0x0000000000000000
    mov eax, 0x0
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0x00000001, "cvtsd2si 1.5 round down: eax"
    EXPECT_MXCSR 0x3fa0, "cvtsd2si 1.5 round down: mxcsr"
    SET_MXCSR 0x3f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xbfe0000000000000, 0x0000000000000000
    mov eax, 0x0
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0xffffffff, "cvtsd2si -0.5 round down: eax"
    EXPECT_MXCSR 0x3fa0, "cvtsd2si -0.5 round down: mxcsr"
    SET_MXCSR 0x3f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc020000040200000, 0xbf0000003fc00000
    cvtps2dq xmm0, xmm1
    EXPECT_X xmm0, 0xfffffffd00000002, 0xffffffff00000001, "cvtps2dq (2.5 -2.5 1.5 -0.5) round down"
    EXPECT_MXCSR 0x3fa0, "cvtps2dq (2.5 -2.5 1.5 -0.5) round down: mxcsr"
    SET_MXCSR 0x3f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc020000040200000, 0xbf0000003fc00000
    cvttps2dq xmm0, xmm1
    EXPECT_X xmm0, 0xfffffffe00000002, 0x0000000000000001, "cvttps2dq truncates in round down"
    EXPECT_MXCSR 0x3fa0, "cvttps2dq truncates in round down: mxcsr"
    SET_MXCSR 0x3f80
    LDX xmm0, 0xdeadbeef7f7fffff, 0x12345678cafef00d
    LDX xmm1, 0x3f80000040000000, 0x3f8000003f800000
    mulss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef7f7fffff, 0x12345678cafef00d, "mulss overflow round down"
    EXPECT_MXCSR 0x3fa8, "mulss overflow round down: mxcsr"
    SET_MXCSR 0x3f80
    LDX xmm0, 0xdeadbeefff7fffff, 0x12345678cafef00d
    LDX xmm1, 0x3f80000040000000, 0x3f8000003f800000
    mulss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeefff800000, 0x12345678cafef00d, "mulss negative overflow round down"
    EXPECT_MXCSR 0x3fa8, "mulss negative overflow round down: mxcsr"
    SET_MXCSR 0x5f80
    LDX xmm0, 0xdeadbeef3f800000, 0x12345678cafef00d
    LDX xmm1, 0x3f80000040400000, 0x3f8000003f800000
    divss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef3eaaaaab, 0x12345678cafef00d, "divss 1/3 round up"
    EXPECT_MXCSR 0x5fa0, "divss 1/3 round up: mxcsr"
    SET_MXCSR 0x5f80
    LDX xmm0, 0xdeadbeefbf800000, 0x12345678cafef00d
    LDX xmm1, 0x3f80000040400000, 0x3f8000003f800000
    divss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeefbeaaaaaa, 0x12345678cafef00d, "divss -1/3 round up"
    EXPECT_MXCSR 0x5fa0, "divss -1/3 round up: mxcsr"
    SET_MXCSR 0x5f80
    LDX xmm0, 0x3ff0000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x3c30000000000000, 0x0000000000000000
    addsd xmm0, xmm1
    EXPECT_X xmm0, 0x3ff0000000000001, 0xdeadbeefcafef00d, "addsd 1+2^-60 round up"
    EXPECT_MXCSR 0x5fa0, "addsd 1+2^-60 round up: mxcsr"
    SET_MXCSR 0x5f80
    LDX xmm0, 0xdeadbeef00000000, 0x12345678cafef00d
    LDX xmm1, 0xbfd5555555555555, 0x0000000000000000
    cvtsd2ss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeefbeaaaaaa, 0x12345678cafef00d, "cvtsd2ss -1/3 round up"
    EXPECT_MXCSR 0x5fa0, "cvtsd2ss -1/3 round up: mxcsr"
    SET_MXCSR 0x5f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x4004000000000000, 0x0000000000000000
    mov eax, 0x0
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0x00000003, "cvtsd2si 2.5 round up: eax"
    EXPECT_MXCSR 0x5fa0, "cvtsd2si 2.5 round up: mxcsr"
    SET_MXCSR 0x5f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc004000000000000, 0x0000000000000000
    mov eax, 0x0
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0xfffffffe, "cvtsd2si -2.5 round up: eax"
    EXPECT_MXCSR 0x5fa0, "cvtsd2si -2.5 round up: mxcsr"
    SET_MXCSR 0x5f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3ff8000000000000, 0x0000000000000000
    mov eax, 0x0
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0x00000002, "cvtsd2si 1.5 round up: eax"
    EXPECT_MXCSR 0x5fa0, "cvtsd2si 1.5 round up: mxcsr"
    SET_MXCSR 0x5f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xbfe0000000000000, 0x0000000000000000
    mov eax, 0x0
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0x00000000, "cvtsd2si -0.5 round up: eax"
    EXPECT_MXCSR 0x5fa0, "cvtsd2si -0.5 round up: mxcsr"
    SET_MXCSR 0x5f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc020000040200000, 0xbf0000003fc00000
    cvtps2dq xmm0, xmm1
    EXPECT_X xmm0, 0xfffffffe00000003, 0x0000000000000002, "cvtps2dq (2.5 -2.5 1.5 -0.5) round up"
    EXPECT_MXCSR 0x5fa0, "cvtps2dq (2.5 -2.5 1.5 -0.5) round up: mxcsr"
    SET_MXCSR 0x5f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc020000040200000, 0xbf0000003fc00000
    cvttps2dq xmm0, xmm1
    EXPECT_X xmm0, 0xfffffffe00000002, 0x0000000000000001, "cvttps2dq truncates in round up"
    EXPECT_MXCSR 0x5fa0, "cvttps2dq truncates in round up: mxcsr"
    SET_MXCSR 0x5f80
    LDX xmm0, 0xdeadbeef7f7fffff, 0x12345678cafef00d
    LDX xmm1, 0x3f80000040000000, 0x3f8000003f800000
    mulss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef7f800000, 0x12345678cafef00d, "mulss overflow round up"
    EXPECT_MXCSR 0x5fa8, "mulss overflow round up: mxcsr"
    SET_MXCSR 0x5f80
    LDX xmm0, 0xdeadbeefff7fffff, 0x12345678cafef00d
    LDX xmm1, 0x3f80000040000000, 0x3f8000003f800000
    mulss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeefff7fffff, 0x12345678cafef00d, "mulss negative overflow round up"
    EXPECT_MXCSR 0x5fa8, "mulss negative overflow round up: mxcsr"
    SET_MXCSR 0x7f80
    LDX xmm0, 0xdeadbeef3f800000, 0x12345678cafef00d
    LDX xmm1, 0x3f80000040400000, 0x3f8000003f800000
    divss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef3eaaaaaa, 0x12345678cafef00d, "divss 1/3 round toward zero"
    EXPECT_MXCSR 0x7fa0, "divss 1/3 round toward zero: mxcsr"
    SET_MXCSR 0x7f80
    LDX xmm0, 0xdeadbeefbf800000, 0x12345678cafef00d
    LDX xmm1, 0x3f80000040400000, 0x3f8000003f800000
    divss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeefbeaaaaaa, 0x12345678cafef00d, "divss -1/3 round toward zero"
    EXPECT_MXCSR 0x7fa0, "divss -1/3 round toward zero: mxcsr"
    SET_MXCSR 0x7f80
    LDX xmm0, 0x3ff0000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x3c30000000000000, 0x0000000000000000
    addsd xmm0, xmm1
    EXPECT_X xmm0, 0x3ff0000000000000, 0xdeadbeefcafef00d, "addsd 1+2^-60 round toward zero"
    EXPECT_MXCSR 0x7fa0, "addsd 1+2^-60 round toward zero: mxcsr"
    SET_MXCSR 0x7f80
    LDX xmm0, 0xdeadbeef00000000, 0x12345678cafef00d
    LDX xmm1, 0xbfd5555555555555, 0x0000000000000000
    cvtsd2ss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeefbeaaaaaa, 0x12345678cafef00d, "cvtsd2ss -1/3 round toward zero"
    EXPECT_MXCSR 0x7fa0, "cvtsd2ss -1/3 round toward zero: mxcsr"
    SET_MXCSR 0x7f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x4004000000000000, 0x0000000000000000
    mov eax, 0x0
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0x00000002, "cvtsd2si 2.5 round toward zero: eax"
    EXPECT_MXCSR 0x7fa0, "cvtsd2si 2.5 round toward zero: mxcsr"
    SET_MXCSR 0x7f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc004000000000000, 0x0000000000000000
    mov eax, 0x0
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0xfffffffe, "cvtsd2si -2.5 round toward zero: eax"
    EXPECT_MXCSR 0x7fa0, "cvtsd2si -2.5 round toward zero: mxcsr"
    SET_MXCSR 0x7f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3ff8000000000000, 0x0000000000000000
    mov eax, 0x0
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0x00000001, "cvtsd2si 1.5 round toward zero: eax"
    EXPECT_MXCSR 0x7fa0, "cvtsd2si 1.5 round toward zero: mxcsr"
    SET_MXCSR 0x7f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xbfe0000000000000, 0x0000000000000000
    mov eax, 0x0
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0x00000000, "cvtsd2si -0.5 round toward zero: eax"
    EXPECT_MXCSR 0x7fa0, "cvtsd2si -0.5 round toward zero: mxcsr"
    SET_MXCSR 0x7f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc020000040200000, 0xbf0000003fc00000
    cvtps2dq xmm0, xmm1
    EXPECT_X xmm0, 0xfffffffe00000002, 0x0000000000000001, "cvtps2dq (2.5 -2.5 1.5 -0.5) round toward zero"
    EXPECT_MXCSR 0x7fa0, "cvtps2dq (2.5 -2.5 1.5 -0.5) round toward zero: mxcsr"
    SET_MXCSR 0x7f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc020000040200000, 0xbf0000003fc00000
    cvttps2dq xmm0, xmm1
    EXPECT_X xmm0, 0xfffffffe00000002, 0x0000000000000001, "cvttps2dq truncates in round toward zero"
    EXPECT_MXCSR 0x7fa0, "cvttps2dq truncates in round toward zero: mxcsr"
    SET_MXCSR 0x7f80
    LDX xmm0, 0xdeadbeef7f7fffff, 0x12345678cafef00d
    LDX xmm1, 0x3f80000040000000, 0x3f8000003f800000
    mulss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef7f7fffff, 0x12345678cafef00d, "mulss overflow round toward zero"
    EXPECT_MXCSR 0x7fa8, "mulss overflow round toward zero: mxcsr"
    SET_MXCSR 0x7f80
    LDX xmm0, 0xdeadbeefff7fffff, 0x12345678cafef00d
    LDX xmm1, 0x3f80000040000000, 0x3f8000003f800000
    mulss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeefff7fffff, 0x12345678cafef00d, "mulss negative overflow round toward zero"
    EXPECT_MXCSR 0x7fa8, "mulss negative overflow round toward zero: mxcsr"
    ; ---- DAZ (bit 6): denormal sources read as zero of the same sign, no DE ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef3f800000, 0x12345678cafef00d
    LDX xmm1, 0x3f80000000000001, 0x3f8000003f800000
    addss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef3f800000, 0x12345678cafef00d, "addss 1 + denormal DAZ=0"
    QEMU_DEPARTS_BEGIN
    EXPECT_MXCSR 0x1fa2, "addss 1 + denormal DAZ=0: mxcsr"
    QEMU_DEPARTS_END
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef80400000, 0x12345678cafef00d
    LDX xmm1, 0x3f8000003f800000, 0x3f8000003f800000
    mulss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef80400000, 0x12345678cafef00d, "mulss -denormal * 1 DAZ=0"
    QEMU_DEPARTS_BEGIN
    EXPECT_MXCSR 0x1f82, "mulss -denormal * 1 DAZ=0: mxcsr"
    QEMU_DEPARTS_END
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x3f80000000000001, 0x3f8000003f800000
    cvtss2sd xmm0, xmm1
    EXPECT_X xmm0, 0x36a0000000000000, 0xdeadbeefcafef00d, "cvtss2sd denormal DAZ=0"
    QEMU_DEPARTS_BEGIN
    EXPECT_MXCSR 0x1f82, "cvtss2sd denormal DAZ=0: mxcsr"
    QEMU_DEPARTS_END
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef00000001, 0x12345678cafef00d
    LDX xmm1, 0x3f80000000000000, 0x3f8000003f800000
    cmpss xmm0, xmm1, 0
    EXPECT_X xmm0, 0xdeadbeef00000000, 0x12345678cafef00d, "cmpss denormal == 0 DAZ=0"
    QEMU_DEPARTS_BEGIN
    EXPECT_MXCSR 0x1f82, "cmpss denormal == 0 DAZ=0: mxcsr"
    QEMU_DEPARTS_END
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef00000001, 0x12345678cafef00d
    LDX xmm1, 0x3f80000000000000, 0x3f8000003f800000
    comiss xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x000, "comiss denormal vs 0 DAZ=0: flags"
    QEMU_DEPARTS_BEGIN
    EXPECT_MXCSR 0x1f82, "comiss denormal vs 0 DAZ=0: mxcsr"
    QEMU_DEPARTS_END
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef3f800000, 0x12345678cafef00d
    LDX xmm1, 0x3f80000000000001, 0x3f8000003f800000
    movss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef00000001, 0x12345678cafef00d, "movss copies a denormal DAZ=0"
    EXPECT_MXCSR 0x1f80, "movss copies a denormal DAZ=0: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000001, 0x3ff0000000000000
    LDX xmm1, 0x0000000000000000, 0x8000000000000001
    addpd xmm0, xmm1
    EXPECT_X xmm0, 0x0000000000000001, 0x3ff0000000000000, "addpd denormals DAZ=0"
    QEMU_DEPARTS_BEGIN
    EXPECT_MXCSR 0x1fa2, "addpd denormals DAZ=0: mxcsr"
    QEMU_DEPARTS_END
    SET_MXCSR 0x1fc0
    LDX xmm0, 0xdeadbeef3f800000, 0x12345678cafef00d
    LDX xmm1, 0x3f80000000000001, 0x3f8000003f800000
    addss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef3f800000, 0x12345678cafef00d, "addss 1 + denormal DAZ=1"
    EXPECT_MXCSR 0x1fc0, "addss 1 + denormal DAZ=1: mxcsr"
    SET_MXCSR 0x1fc0
    LDX xmm0, 0xdeadbeef80400000, 0x12345678cafef00d
    LDX xmm1, 0x3f8000003f800000, 0x3f8000003f800000
    mulss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef80000000, 0x12345678cafef00d, "mulss -denormal * 1 DAZ=1"
    EXPECT_MXCSR 0x1fc0, "mulss -denormal * 1 DAZ=1: mxcsr"
    SET_MXCSR 0x1fc0
    LDX xmm0, 0x0000000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x3f80000000000001, 0x3f8000003f800000
    cvtss2sd xmm0, xmm1
    EXPECT_X xmm0, 0x0000000000000000, 0xdeadbeefcafef00d, "cvtss2sd denormal DAZ=1"
    EXPECT_MXCSR 0x1fc0, "cvtss2sd denormal DAZ=1: mxcsr"
    SET_MXCSR 0x1fc0
    LDX xmm0, 0xdeadbeef00000001, 0x12345678cafef00d
    LDX xmm1, 0x3f80000000000000, 0x3f8000003f800000
    cmpss xmm0, xmm1, 0
    EXPECT_X xmm0, 0xdeadbeefffffffff, 0x12345678cafef00d, "cmpss denormal == 0 DAZ=1"
    EXPECT_MXCSR 0x1fc0, "cmpss denormal == 0 DAZ=1: mxcsr"
    SET_MXCSR 0x1fc0
    LDX xmm0, 0xdeadbeef00000001, 0x12345678cafef00d
    LDX xmm1, 0x3f80000000000000, 0x3f8000003f800000
    comiss xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x040, "comiss denormal vs 0 DAZ=1: flags"
    EXPECT_MXCSR 0x1fc0, "comiss denormal vs 0 DAZ=1: mxcsr"
    SET_MXCSR 0x1fc0
    LDX xmm0, 0xdeadbeef3f800000, 0x12345678cafef00d
    LDX xmm1, 0x3f80000000000001, 0x3f8000003f800000
    movss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef00000001, 0x12345678cafef00d, "movss copies a denormal DAZ=1"
    EXPECT_MXCSR 0x1fc0, "movss copies a denormal DAZ=1: mxcsr"
    SET_MXCSR 0x1fc0
    LDX xmm0, 0x0000000000000001, 0x3ff0000000000000
    LDX xmm1, 0x0000000000000000, 0x8000000000000001
    addpd xmm0, xmm1
    EXPECT_X xmm0, 0x0000000000000000, 0x3ff0000000000000, "addpd denormals DAZ=1"
    EXPECT_MXCSR 0x1fc0, "addpd denormals DAZ=1: mxcsr"
    ; ---- FTZ (bit 15): a tiny result becomes zero with UE and PE (underflow masked) ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef1e3ce508, 0x12345678cafef00d
    LDX xmm1, 0x3f8000001e3ce508, 0x3f8000003f800000
    mulss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef000116c2, 0x12345678cafef00d, "mulss 1e-20*1e-20 FTZ=0"
    EXPECT_MXCSR 0x1fb0, "mulss 1e-20*1e-20 FTZ=0: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef9e3ce508, 0x12345678cafef00d
    LDX xmm1, 0x3f8000001e3ce508, 0x3f8000003f800000
    mulss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef800116c2, 0x12345678cafef00d, "mulss -1e-20*1e-20 FTZ=0"
    EXPECT_MXCSR 0x1fb0, "mulss -1e-20*1e-20 FTZ=0: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef1f000000, 0x12345678cafef00d
    LDX xmm1, 0x3f8000001f000000, 0x3f8000003f800000
    mulss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef00080000, 0x12345678cafef00d, "mulss 2^-65*2^-65 (exact denormal) FTZ=0"
    EXPECT_MXCSR 0x1f80, "mulss 2^-65*2^-65 (exact denormal) FTZ=0: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x16687e92154ef7ac, 0x0000000000000000
    LDX xmm1, 0x16687e92154ef7ac, 0x0000000000000000
    mulsd xmm0, xmm1
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "mulsd 1e-200*1e-200 FTZ=0"
    EXPECT_MXCSR 0x1fb0, "mulsd 1e-200*1e-200 FTZ=0: mxcsr"
    SET_MXCSR 0x9f80
    LDX xmm0, 0xdeadbeef1e3ce508, 0x12345678cafef00d
    LDX xmm1, 0x3f8000001e3ce508, 0x3f8000003f800000
    mulss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef00000000, 0x12345678cafef00d, "mulss 1e-20*1e-20 FTZ=1"
    EXPECT_MXCSR 0x9fb0, "mulss 1e-20*1e-20 FTZ=1: mxcsr"
    SET_MXCSR 0x9f80
    LDX xmm0, 0xdeadbeef9e3ce508, 0x12345678cafef00d
    LDX xmm1, 0x3f8000001e3ce508, 0x3f8000003f800000
    mulss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef80000000, 0x12345678cafef00d, "mulss -1e-20*1e-20 FTZ=1"
    EXPECT_MXCSR 0x9fb0, "mulss -1e-20*1e-20 FTZ=1: mxcsr"
    SET_MXCSR 0x9f80
    LDX xmm0, 0xdeadbeef1f000000, 0x12345678cafef00d
    LDX xmm1, 0x3f8000001f000000, 0x3f8000003f800000
    mulss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef00000000, 0x12345678cafef00d, "mulss 2^-65*2^-65 (exact denormal) FTZ=1"
    EXPECT_MXCSR 0x9fb0, "mulss 2^-65*2^-65 (exact denormal) FTZ=1: mxcsr"
    SET_MXCSR 0x9f80
    LDX xmm0, 0x16687e92154ef7ac, 0x0000000000000000
    LDX xmm1, 0x16687e92154ef7ac, 0x0000000000000000
    mulsd xmm0, xmm1
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "mulsd 1e-200*1e-200 FTZ=1"
    EXPECT_MXCSR 0x9fb0, "mulsd 1e-200*1e-200 FTZ=1: mxcsr"
    SET_MXCSR 0xdfc0
    LDX xmm0, 0xdeadbeef1e3ce508, 0x12345678cafef00d
    LDX xmm1, 0x3f8000001e3ce508, 0x3f8000003f800000
    mulss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef00000000, 0x12345678cafef00d, "mulss tiny with FTZ, DAZ and round toward zero"
    EXPECT_MXCSR 0xdff0, "mulss tiny with FTZ, DAZ and round toward zero: mxcsr"
    ; ---- masked responses: invalid -> QNaN indefinite, x/0 -> signed infinity ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef7f800000, 0x12345678cafef00d
    LDX xmm1, 0x3f800000ff800000, 0x3f8000003f800000
    addss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeefffc00000, 0x12345678cafef00d, "addss inf + -inf = indefinite"
    EXPECT_MXCSR 0x1f81, "addss inf + -inf = indefinite: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeefbf800000, 0x12345678cafef00d
    LDX xmm1, 0x3f80000000000000, 0x3f8000003f800000
    divss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeefff800000, 0x12345678cafef00d, "divss -1/0 = -inf"
    EXPECT_MXCSR 0x1f84, "divss -1/0 = -inf: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef00000000, 0x12345678cafef00d
    LDX xmm1, 0x3f80000000000000, 0x3f8000003f800000
    divss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeefffc00000, 0x12345678cafef00d, "divss 0/0 = indefinite (IE, not ZE)"
    EXPECT_MXCSR 0x1f81, "divss 0/0 = indefinite (IE, not ZE): mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x8000000000000001, 0x0000000000000000
    sqrtsd xmm0, xmm1
    EXPECT_X xmm0, 0xfff8000000000000, 0xdeadbeefcafef00d, "sqrtsd -denormal = -0? (DE)"
    EXPECT_MXCSR 0x1f81, "sqrtsd -denormal = -0? (DE): mxcsr"
    ; ---- unmasked exceptions (CR4.OSXMMEXCPT=1): #XM, the destination is not written;
    ;      pre-computation flags (IE DE ZE) of every lane first, and then no OE UE PE ----
    SET_MXCSR 0x1d80
    LDX xmm0, 0xdeadbeef3f800000, 0x12345678cafef00d
    LDX xmm1, 0x3f80000000000000, 0x3f8000003f800000
    QEMU_DEPARTS_BEGIN
    TRY
    divss xmm0, xmm1
    XCATCH 19, -1, "divss 1/0 ZM=0: #XM"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0xdeadbeef3f800000, 0x12345678cafef00d, "divss 1/0 ZM=0: xmm0 not written"
    QEMU_DEPARTS_END
    EXPECT_MXCSR 0x1d84, "divss 1/0 ZM=0: mxcsr"
    SET_MXCSR 0x1d80
    LDX xmm0, 0x3f8000003f800000, 0x4080000040000000
    LDX xmm1, 0x0000000040400000, 0x400000003f800000
    QEMU_DEPARTS_BEGIN
    TRY
    divps xmm0, xmm1
    XCATCH 19, -1, "divps (1/3, 1/0) ZM=0: ZE only: #XM"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0x3f8000003f800000, 0x4080000040000000, "divps (1/3, 1/0) ZM=0: ZE only: xmm0 not written"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_MXCSR 0x1d84, "divps (1/3, 1/0) ZM=0: ZE only: mxcsr"
    QEMU_DEPARTS_END
    SET_MXCSR 0xf80
    LDX xmm0, 0x3f8000003f800000, 0x4080000040000000
    LDX xmm1, 0x0000000040400000, 0x400000003f800000
    QEMU_DEPARTS_BEGIN
    TRY
    divps xmm0, xmm1
    XCATCH 19, -1, "divps (1/3, 1/0) PM=0: ZE and PE: #XM"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0x3f8000003f800000, 0x4080000040000000, "divps (1/3, 1/0) PM=0: ZE and PE: xmm0 not written"
    QEMU_DEPARTS_END
    EXPECT_MXCSR 0xfa4, "divps (1/3, 1/0) PM=0: ZE and PE: mxcsr"
    SET_MXCSR 0xf80
    LDX xmm0, 0x3f8000003f800000, 0x4080000040000000
    LDX xmm1, 0x40a0000040400000, 0x400000003f800000
    QEMU_DEPARTS_BEGIN
    TRY
    divps xmm0, xmm1
    XCATCH 19, -1, "divps 1/3 PM=0: #XM"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0x3f8000003f800000, 0x4080000040000000, "divps 1/3 PM=0: xmm0 not written"
    QEMU_DEPARTS_END
    EXPECT_MXCSR 0xfa0, "divps 1/3 PM=0: mxcsr"
    SET_MXCSR 0x1f00
    LDX xmm0, 0x3f8000007f800002, 0x400000003f800000
    LDX xmm1, 0x404000003f800000, 0x4000000000000001
    QEMU_DEPARTS_BEGIN
    TRY
    addps xmm0, xmm1
    XCATCH 19, -1, "addps (SNaN, 1+3, 1+denormal) IM=0: IE and DE: #XM"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0x3f8000007f800002, 0x400000003f800000, "addps (SNaN, 1+3, 1+denormal) IM=0: IE and DE: xmm0 not written"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_MXCSR 0x1f03, "addps (SNaN, 1+3, 1+denormal) IM=0: IE and DE: mxcsr"
    QEMU_DEPARTS_END
    SET_MXCSR 0x1e80
    LDX xmm0, 0x3f8000003f800000, 0x400000003f800000
    LDX xmm1, 0x2edbe6ff3f800000, 0x4000000000000001
    QEMU_DEPARTS_BEGIN
    TRY
    addps xmm0, xmm1
    XCATCH 19, -1, "addps (1+1e-10, 1+denormal) DM=0: DE only: #XM"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0x3f8000003f800000, 0x400000003f800000, "addps (1+1e-10, 1+denormal) DM=0: DE only: xmm0 not written"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_MXCSR 0x1e82, "addps (1+1e-10, 1+denormal) DM=0: DE only: mxcsr"
    QEMU_DEPARTS_END
    SET_MXCSR 0x1ec0
    LDX xmm0, 0x3f8000003f800000, 0x400000003f800000
    LDX xmm1, 0x2edbe6ff3f800000, 0x4000000000000001
    addps xmm0, xmm1
    EXPECT_X xmm0, 0x3f80000040000000, 0x408000003f800000, "addps DM=0 with DAZ=1: no exception, PE"
    EXPECT_MXCSR 0x1ee0, "addps DM=0 with DAZ=1: no exception, PE: mxcsr"
    SET_MXCSR 0x1b80
    LDX xmm0, 0xdeadbeef7f7fffff, 0x12345678cafef00d
    LDX xmm1, 0x3f80000040000000, 0x3f8000003f800000
    QEMU_DEPARTS_BEGIN
    TRY
    mulss xmm0, xmm1
    XCATCH 19, -1, "mulss overflow OM=0: #XM"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0xdeadbeef7f7fffff, 0x12345678cafef00d, "mulss overflow OM=0: xmm0 not written"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_MXCSR 0x1b88, "mulss overflow OM=0: mxcsr"
    QEMU_DEPARTS_END
    SET_MXCSR 0x1780
    LDX xmm0, 0xdeadbeef1e3ce508, 0x12345678cafef00d
    LDX xmm1, 0x3f8000001e3ce508, 0x3f8000003f800000
    QEMU_DEPARTS_BEGIN
    TRY
    mulss xmm0, xmm1
    XCATCH 19, -1, "mulss underflow UM=0: #XM"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0xdeadbeef1e3ce508, 0x12345678cafef00d, "mulss underflow UM=0: xmm0 not written"
    QEMU_DEPARTS_END
    EXPECT_MXCSR 0x17b0, "mulss underflow UM=0: mxcsr"
    SET_MXCSR 0x9780
    LDX xmm0, 0xdeadbeef1e3ce508, 0x12345678cafef00d
    LDX xmm1, 0x3f8000001e3ce508, 0x3f8000003f800000
    QEMU_DEPARTS_BEGIN
    TRY
    mulss xmm0, xmm1
    XCATCH 19, -1, "mulss underflow UM=0 FTZ=1: #XM"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0xdeadbeef1e3ce508, 0x12345678cafef00d, "mulss underflow UM=0 FTZ=1: xmm0 not written"
    QEMU_DEPARTS_END
    EXPECT_MXCSR 0x97b0, "mulss underflow UM=0 FTZ=1: mxcsr"
    SET_MXCSR 0x1780
    LDX xmm0, 0xdeadbeef1f000000, 0x12345678cafef00d
    LDX xmm1, 0x3f8000001f000000, 0x3f8000003f800000
    QEMU_DEPARTS_BEGIN
    TRY
    mulss xmm0, xmm1
    XCATCH 19, -1, "mulss exact denormal UM=0: #XM"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0xdeadbeef1f000000, 0x12345678cafef00d, "mulss exact denormal UM=0: xmm0 not written"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_MXCSR 0x1790, "mulss exact denormal UM=0: mxcsr"
    QEMU_DEPARTS_END
    SET_MXCSR 0x1f00
    LDX xmm0, 0xdeadbeef7fc00000, 0x12345678cafef00d
    LDX xmm1, 0x3f8000003f800000, 0x3f8000003f800000
    QEMU_DEPARTS_BEGIN
    TRY
    comiss xmm0, xmm1
    XCATCH 19, -1, "comiss QNaN IM=0: #XM"
    QEMU_DEPARTS_END
    EXPECT_X xmm0, 0xdeadbeef7fc00000, 0x12345678cafef00d, "comiss QNaN IM=0: xmm0 not written"
    EXPECT_MXCSR 0x1f01, "comiss QNaN IM=0: mxcsr"
    SET_MXCSR 0x1f00
    LDX xmm0, 0xdeadbeef7fc00000, 0x12345678cafef00d
    LDX xmm1, 0x3f8000003f800000, 0x3f8000003f800000
    ucomiss xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x045, "ucomiss QNaN IM=0: no fault: flags"
    EXPECT_MXCSR 0x1f00, "ucomiss QNaN IM=0: no fault: mxcsr"
    SET_MXCSR 0x1f00
    LDX xmm0, 0xdeadbeef7f800001, 0x12345678cafef00d
    LDX xmm1, 0x3f8000003f800000, 0x3f8000003f800000
    QEMU_DEPARTS_BEGIN
    TRY
    ucomiss xmm0, xmm1
    XCATCH 19, -1, "ucomiss SNaN IM=0: #XM"
    QEMU_DEPARTS_END
    EXPECT_X xmm0, 0xdeadbeef7f800001, 0x12345678cafef00d, "ucomiss SNaN IM=0: xmm0 not written"
    EXPECT_MXCSR 0x1f01, "ucomiss SNaN IM=0: mxcsr"
    SET_MXCSR 0x3f
    LDX xmm0, 0xdeadbeef3f800000, 0x12345678cafef00d
    LDX xmm1, 0x3f8000003f800000, 0x3f8000003f800000
    addss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef40000000, 0x12345678cafef00d, "all unmasked, all flags set, exact addss: no fault"
    EXPECT_MXCSR 0x3f, "all unmasked, all flags set, exact addss: no fault: mxcsr"
    SET_MXCSR 0x1f00
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x41e65a0bc0000000, 0x0000000000000000
    mov eax, 0x5555aaaa
    QEMU_DEPARTS_BEGIN
    TRY
    cvtsd2si eax, xmm1
    XCATCH 19, -1, "cvtsd2si 3e9 IM=0: #XM"
    QEMU_DEPARTS_END
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "cvtsd2si 3e9 IM=0: xmm0 not written"
    EXPECT_MXCSR 0x1f01, "cvtsd2si 3e9 IM=0: mxcsr"
    QEMU_DEPARTS_BEGIN
    EXPECT_R eax, 0x5555aaaa, "cvtsd2si 3e9 IM=0: eax not written"
    QEMU_DEPARTS_END
    SET_MXCSR 0xf80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x4004000000000000, 0x0000000000000000
    mov eax, 0x5555aaaa
    QEMU_DEPARTS_BEGIN
    TRY
    cvtsd2si eax, xmm1
    XCATCH 19, -1, "cvtsd2si 2.5 PM=0: #XM"
    QEMU_DEPARTS_END
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "cvtsd2si 2.5 PM=0: xmm0 not written"
    EXPECT_MXCSR 0xfa0, "cvtsd2si 2.5 PM=0: mxcsr"
    QEMU_DEPARTS_BEGIN
    EXPECT_R eax, 0x5555aaaa, "cvtsd2si 2.5 PM=0: eax not written"
    QEMU_DEPARTS_END
    ; ---- more unmasked cases: scalar forms ignore the upper lanes, predicates that do not
    ;      signal on a QNaN do not fault, every lane contributes its pre-computation flags ----
    SET_MXCSR 0x1f00
    LDX xmm0, 0xdeadbeef3f800000, 0x12345678cafef00d
    LDX xmm1, 0x7f80000140000000, 0x3f8000003f800000
    addss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef40400000, 0x12345678cafef00d, "addss IM=0, SNaN in lane 1 only: no fault"
    EXPECT_MXCSR 0x1f00, "addss IM=0, SNaN in lane 1 only: no fault: mxcsr"
    SET_MXCSR 0x1f00
    LDX xmm0, 0x400000003f800000, 0x4080000040400000
    LDX xmm1, 0x3f8000007fc00000, 0x3f8000003f800000
    QEMU_DEPARTS_BEGIN
    TRY
    minps xmm0, xmm1
    XCATCH 19, -1, "minps QNaN IM=0: #XM"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0x400000003f800000, 0x4080000040400000, "minps QNaN IM=0: xmm0 not written"
    QEMU_DEPARTS_END
    EXPECT_MXCSR 0x1f01, "minps QNaN IM=0: mxcsr"
    SET_MXCSR 0x1f00
    LDX xmm0, 0x400000003f800000, 0x4080000040400000
    LDX xmm1, 0x3f8000007fc00000, 0x3f8000003f800000
    QEMU_DEPARTS_BEGIN
    TRY
    cmpps xmm0, xmm1, 1
    XCATCH 19, -1, "cmpps LT QNaN IM=0: #XM"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0x400000003f800000, 0x4080000040400000, "cmpps LT QNaN IM=0: xmm0 not written"
    QEMU_DEPARTS_END
    EXPECT_MXCSR 0x1f01, "cmpps LT QNaN IM=0: mxcsr"
    SET_MXCSR 0x1f00
    LDX xmm0, 0x400000003f800000, 0x4080000040400000
    LDX xmm1, 0x3f8000007fc00000, 0x3f8000003f800000
    cmpps xmm0, xmm1, 0
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "cmpps EQ QNaN IM=0: no fault"
    EXPECT_MXCSR 0x1f00, "cmpps EQ QNaN IM=0: no fault: mxcsr"
    SET_MXCSR 0x1f00
    LDX xmm0, 0x400000003f800000, 0x4080000040400000
    LDX xmm1, 0x3f8000007f800001, 0x3f8000003f800000
    QEMU_DEPARTS_BEGIN
    TRY
    cmpps xmm0, xmm1, 3
    XCATCH 19, -1, "cmpps UNORD SNaN IM=0: #XM"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0x400000003f800000, 0x4080000040400000, "cmpps UNORD SNaN IM=0: xmm0 not written"
    QEMU_DEPARTS_END
    EXPECT_MXCSR 0x1f01, "cmpps UNORD SNaN IM=0: mxcsr"
    SET_MXCSR 0x1f00
    LDX xmm0, 0x0000000200000001, 0x0000000400000003
    LDX xmm1, 0x7fc000003fc00000, 0x3f80000040200000
    QEMU_DEPARTS_BEGIN
    TRY
    cvtps2dq xmm0, xmm1
    XCATCH 19, -1, "cvtps2dq NaN lane IM=0: #XM"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0x0000000200000001, 0x0000000400000003, "cvtps2dq NaN lane IM=0: xmm0 not written"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_MXCSR 0x1f01, "cvtps2dq NaN lane IM=0: mxcsr"
    QEMU_DEPARTS_END
    SET_MXCSR 0x1f00
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f8000004f32d05e, 0x3f8000003f800000
    mov eax, 0x5555aaaa
    QEMU_DEPARTS_BEGIN
    TRY
    cvttss2si eax, xmm1
    XCATCH 19, -1, "cvttss2si 3e9 IM=0: #XM"
    QEMU_DEPARTS_END
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "cvttss2si 3e9 IM=0: xmm0 not written"
    EXPECT_MXCSR 0x1f01, "cvttss2si 3e9 IM=0: mxcsr"
    QEMU_DEPARTS_BEGIN
    EXPECT_R eax, 0x5555aaaa, "cvttss2si 3e9 IM=0: eax not written"
    QEMU_DEPARTS_END
    SET_MXCSR 0x1f00
    LDX xmm0, 0x400000003f800000, 0x4080000040400000
    LDX xmm1, 0xbf80000040800000, 0x4110000040000000
    QEMU_DEPARTS_BEGIN
    TRY
    sqrtps xmm0, xmm1
    XCATCH 19, -1, "sqrtps (-1 lane) IM=0: #XM"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0x400000003f800000, 0x4080000040400000, "sqrtps (-1 lane) IM=0: xmm0 not written"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_MXCSR 0x1f01, "sqrtps (-1 lane) IM=0: mxcsr"
    QEMU_DEPARTS_END
    SET_MXCSR 0x1d80
    LDX xmm0, 0x3ff0000000000000, 0x4000000000000000
    LDX xmm1, 0x4008000000000000, 0x0000000000000000
    QEMU_DEPARTS_BEGIN
    TRY
    divpd xmm0, xmm1
    XCATCH 19, -1, "divpd (1/3, 2/0) ZM=0: #XM"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0x3ff0000000000000, 0x4000000000000000, "divpd (1/3, 2/0) ZM=0: xmm0 not written"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_MXCSR 0x1d84, "divpd (1/3, 2/0) ZM=0: mxcsr"
    QEMU_DEPARTS_END
    SET_MXCSR 0x1f00
    LDX xmm0, 0x3f80000000000000, 0x3f8000003f800000
    LDX xmm1, 0x0000000000000000, 0x3f80000040400000
    QEMU_DEPARTS_BEGIN
    TRY
    divps xmm0, xmm1
    XCATCH 19, -1, "divps (0/0, 1/0, 1/3) IM=0: IE and ZE, no PE: #XM"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0x3f80000000000000, 0x3f8000003f800000, "divps (0/0, 1/0, 1/3) IM=0: IE and ZE, no PE: xmm0 not written"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_MXCSR 0x1f05, "divps (0/0, 1/0, 1/3) IM=0: IE and ZE, no PE: mxcsr"
    QEMU_DEPARTS_END
    SET_MXCSR 0xf80
    LDX xmm0, 0x3ff0000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x39b4484bfeebc2a0, 0x0000000000000000
    QEMU_DEPARTS_BEGIN
    TRY
    addsd xmm0, xmm1
    XCATCH 19, -1, "addsd inexact PM=0: #XM"
    QEMU_DEPARTS_END
    EXPECT_X xmm0, 0x3ff0000000000000, 0xdeadbeefcafef00d, "addsd inexact PM=0: xmm0 not written"
    EXPECT_MXCSR 0xfa0, "addsd inexact PM=0: mxcsr"
    ; ---- CR4.OSXMMEXCPT=0: an unmasked exception is #UD, the destination is not written ----
    mov eax, cr4
    and eax, ~CR4_OSXMMEXCPT
    mov cr4, eax
    SET_MXCSR 0x1d80
    LDX xmm0, 0x3f800000, 0x1111111122222222
    LDX xmm1, 0, 0
    QEMU_DEPARTS_BEGIN
    TRY
    divss xmm0, xmm1
    XCATCH 6, -1, "DIVSS 1/0, ZM=0, CR4.OSXMMEXCPT=0: #UD"
    EXPECT_X xmm0, 0x3f800000, 0x1111111122222222, "DIVSS #UD: xmm0 not written"
    QEMU_DEPARTS_END
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3f800000, 0x1111111122222222
    divss xmm0, xmm1
    EXPECT_X xmm0, 0x7f800000, 0x1111111122222222, "masked: DIVSS 1/0 = inf with OSXMMEXCPT=0"
    EXPECT_MXCSR 0x1f84, "masked: ZE"
    mov eax, cr4
    or eax, CR4_OSXMMEXCPT
    mov cr4, eax
    SET_MXCSR 0x1f80
    FINISH32

bits 16
gdt_template:
    GDT_STANDARD
gdt_template_end:

    PM_LIB
    SSE_LIB
ROM_END
