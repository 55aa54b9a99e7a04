; sse_fp.asm — SSE/SSE2 floating point (SDM vol. 1 4.8.3, 10.4, 11.4; vol. 2
; instruction pages) with all exceptions masked: ADD/SUB/MUL/DIV/SQRT/MIN/
; MAX in PS/PD/SS/SD forms and the MXCSR flags they set (PE, IE, ZE); the
; NaN rules of vol. 1 table 4-7 (a NaN first source wins, SNaNs are
; quieted, QNaN indefinite for invalid operations); MIN/MAX returning the
; second source for a NaN (unquieted) and for two zeros; CMPPS/PD/SS/SD
; predicates 0-7 and which of them signal on a QNaN; COMISS/UCOMISS/
; COMISD/UCOMISD flags and IE; logic, SHUFPS/PD, UNPCK, MOVHLPS/MOVLHPS,
; MOVSS/MOVSD register and memory forms, MOVMSKPS/PD; scalar forms leave
; the upper lanes alone; MOVAPS needs alignment, scalar memory operands do
; not; RCP/RSQRT special values and their 1.5*2^-12 error bound. 32-bit
; protected mode. Expected values and MXCSR flags follow the
; SDM, confirmed on a host CPU (AMD EPYC).
;
; qemu-differs: QEMU 7.2 (softfloat) picks the QNaN when the first source
; is an SNaN and the second a QNaN; the SDM (vol. 1 table 4-7) and the host
; CPU return the first source, quieted. Its RCPPS/RSQRTPS compute 1/x
; exactly, so denormal sources and tiny results are not treated as 0 (SDM
; RCPPS/RSQRTPS: denormal source -> signed infinity, tiny result -> 0).
; These 11 checks print "qemu-departs".
; qemu-cmd: qemu-system-x86_64 -cpu max
; (rawbox-args: --cpu max, once `rawbox run` takes --cpu)
%include "rom.inc"
%include "pm.inc"
%include "sse.inc"

start:
    ROM_INIT
    PUTS `sse_fp: SSE/SSE2 floating point in 32-bit protected mode\n`
    PUTS `note: QEMU returns the QNaN for SNaN op QNaN where the SDM returns the quieted first source\n`
    NEED_CPUID1 edx, 25, "no SSE"
    NEED_CPUID1 edx, 26, "no SSE2"
    SSE_DETECT_QEMU
    PM_SETUP
    PM_ENTER32 pm_start

bits 32
pm_start:
    SSE_ENABLE CR4_OSFXSR | CR4_OSXMMEXCPT
    ; ---- arithmetic: exact and inexact values (PE), then the NaN rules: a QNaN or SNaN
    ;      first source wins, an SNaN is quieted, IE for any SNaN (SDM vol. 1 table 4-7) ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0xc01000003fc00000, 0x3dcccccd501502f9
    LDX xmm1, 0x3f00000040100000, 0x3e4ccccdc0400000
    addps xmm0, xmm1
    EXPECT_X xmm0, 0xbfe0000040700000, 0x3e99999a501502f9, "addps xmm0, xmm1"
    EXPECT_MXCSR 0x1fa0, "addps xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7fc000017fc00001, 0x3f8000007f800002
    LDX xmm1, 0x3f800000ff80000b, 0xffc00b0bffc00b0b
    addps xmm0, xmm1
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0x7fc000017fc00001, 0xffc00b0b7fc00002, "addps NaN lanes"
    QEMU_DEPARTS_END
    EXPECT_MXCSR 0x1f81, "addps NaN lanes: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xc01000003fc00000, 0x3dcccccd501502f9
    LDX xmm1, 0x3f00000040100000, 0x3e4ccccdc0400000
    subps xmm0, xmm1
    EXPECT_X xmm0, 0xc0300000bf400000, 0xbdcccccd501502f9, "subps xmm0, xmm1"
    EXPECT_MXCSR 0x1fa0, "subps xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7fc000017fc00001, 0x3f8000007f800002
    LDX xmm1, 0x3f800000ff80000b, 0xffc00b0bffc00b0b
    subps xmm0, xmm1
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0x7fc000017fc00001, 0xffc00b0b7fc00002, "subps NaN lanes"
    QEMU_DEPARTS_END
    EXPECT_MXCSR 0x1f81, "subps NaN lanes: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xc01000003fc00000, 0x3dcccccd501502f9
    LDX xmm1, 0x3f00000040100000, 0x3e4ccccdc0400000
    mulps xmm0, xmm1
    EXPECT_X xmm0, 0xbf90000040580000, 0x3ca3d70bd0df8476, "mulps xmm0, xmm1"
    EXPECT_MXCSR 0x1fa0, "mulps xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7fc000017fc00001, 0x3f8000007f800002
    LDX xmm1, 0x3f800000ff80000b, 0xffc00b0bffc00b0b
    mulps xmm0, xmm1
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0x7fc000017fc00001, 0xffc00b0b7fc00002, "mulps NaN lanes"
    QEMU_DEPARTS_END
    EXPECT_MXCSR 0x1f81, "mulps NaN lanes: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xc01000003fc00000, 0x3dcccccd501502f9
    LDX xmm1, 0x3f00000040100000, 0x3e4ccccdc0400000
    divps xmm0, xmm1
    EXPECT_X xmm0, 0xc09000003f2aaaab, 0x3f000000cf46aea1, "divps xmm0, xmm1"
    EXPECT_MXCSR 0x1fa0, "divps xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7fc000017fc00001, 0x3f8000007f800002
    LDX xmm1, 0x3f800000ff80000b, 0xffc00b0bffc00b0b
    divps xmm0, xmm1
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0x7fc000017fc00001, 0xffc00b0b7fc00002, "divps NaN lanes"
    QEMU_DEPARTS_END
    EXPECT_MXCSR 0x1f81, "divps NaN lanes: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff8000000000000, 0x7e37e43c8800759c
    LDX xmm1, 0xbfb999999999999a, 0x4202a05f20000000
    addpd xmm0, xmm1
    EXPECT_X xmm0, 0x3ff6666666666666, 0x7e37e43c8800759c, "addpd xmm0, xmm1"
    EXPECT_MXCSR 0x1fa0, "addpd xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ff8000000000001, 0x7ff0000000000002
    LDX xmm1, 0xfff000000000000b, 0xfff8000000000b0b
    addpd xmm0, xmm1
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0x7ff8000000000001, 0x7ff8000000000002, "addpd NaN lanes"
    QEMU_DEPARTS_END
    EXPECT_MXCSR 0x1f81, "addpd NaN lanes: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff8000000000000, 0x7e37e43c8800759c
    LDX xmm1, 0xbfb999999999999a, 0x4202a05f20000000
    subpd xmm0, xmm1
    EXPECT_X xmm0, 0x3ff999999999999a, 0x7e37e43c8800759c, "subpd xmm0, xmm1"
    EXPECT_MXCSR 0x1fa0, "subpd xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ff8000000000001, 0x7ff0000000000002
    LDX xmm1, 0xfff000000000000b, 0xfff8000000000b0b
    subpd xmm0, xmm1
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0x7ff8000000000001, 0x7ff8000000000002, "subpd NaN lanes"
    QEMU_DEPARTS_END
    EXPECT_MXCSR 0x1f81, "subpd NaN lanes: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff8000000000000, 0x7e37e43c8800759c
    LDX xmm1, 0xbfb999999999999a, 0x4202a05f20000000
    mulpd xmm0, xmm1
    EXPECT_X xmm0, 0xbfc3333333333334, 0x7ff0000000000000, "mulpd xmm0, xmm1"
    EXPECT_MXCSR 0x1fa8, "mulpd xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ff8000000000001, 0x7ff0000000000002
    LDX xmm1, 0xfff000000000000b, 0xfff8000000000b0b
    mulpd xmm0, xmm1
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0x7ff8000000000001, 0x7ff8000000000002, "mulpd NaN lanes"
    QEMU_DEPARTS_END
    EXPECT_MXCSR 0x1f81, "mulpd NaN lanes: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff8000000000000, 0x7e37e43c8800759c
    LDX xmm1, 0xbfb999999999999a, 0x4202a05f20000000
    divpd xmm0, xmm1
    EXPECT_X xmm0, 0xc02e000000000000, 0x7c2485ce9e7a065f, "divpd xmm0, xmm1"
    EXPECT_MXCSR 0x1fa0, "divpd xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ff8000000000001, 0x7ff0000000000002
    LDX xmm1, 0xfff000000000000b, 0xfff8000000000b0b
    divpd xmm0, xmm1
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0x7ff8000000000001, 0x7ff8000000000002, "divpd NaN lanes"
    QEMU_DEPARTS_END
    EXPECT_MXCSR 0x1f81, "divpd NaN lanes: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef40400000, 0x12345678cafef00d
    LDX xmm1, 0xaaaaaaaa3e800000, 0xccccccccbbbbbbbb
    addss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef40500000, 0x12345678cafef00d, "addss keeps lanes 1-3"
    EXPECT_MXCSR 0x1f80, "addss keeps lanes 1-3: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef40400000, 0x12345678cafef00d
    LDX xmm1, 0xaaaaaaaa3e800000, 0xccccccccbbbbbbbb
    subss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef40300000, 0x12345678cafef00d, "subss keeps lanes 1-3"
    EXPECT_MXCSR 0x1f80, "subss keeps lanes 1-3: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef40400000, 0x12345678cafef00d
    LDX xmm1, 0xaaaaaaaa3e800000, 0xccccccccbbbbbbbb
    mulss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef3f400000, 0x12345678cafef00d, "mulss keeps lanes 1-3"
    EXPECT_MXCSR 0x1f80, "mulss keeps lanes 1-3: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef40400000, 0x12345678cafef00d
    LDX xmm1, 0xaaaaaaaa3e800000, 0xccccccccbbbbbbbb
    divss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef41400000, 0x12345678cafef00d, "divss keeps lanes 1-3"
    EXPECT_MXCSR 0x1f80, "divss keeps lanes 1-3: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef40400000, 0x12345678cafef00d
    LDX xmm1, 0xaaaaaaaa3e800000, 0xccccccccbbbbbbbb
    sqrtss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef3f000000, 0x12345678cafef00d, "sqrtss keeps lanes 1-3"
    EXPECT_MXCSR 0x1f80, "sqrtss keeps lanes 1-3: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef40400000, 0x12345678cafef00d
    LDX xmm1, 0xaaaaaaaa3e800000, 0xccccccccbbbbbbbb
    minss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef3e800000, 0x12345678cafef00d, "minss keeps lanes 1-3"
    EXPECT_MXCSR 0x1f80, "minss keeps lanes 1-3: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef40400000, 0x12345678cafef00d
    LDX xmm1, 0xaaaaaaaa3e800000, 0xccccccccbbbbbbbb
    maxss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef40400000, 0x12345678cafef00d, "maxss keeps lanes 1-3"
    EXPECT_MXCSR 0x1f80, "maxss keeps lanes 1-3: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3f8000007f800002, 0x4040000040000000
    LDX xmm1, 0xffc00b0b3f800000, 0xff80000bff80000b
    addss xmm0, xmm1
    EXPECT_X xmm0, 0x3f8000007fc00002, 0x4040000040000000, "addss: SNaN in lane 0 only; upper-lane NaNs of xmm1 ignored"
    EXPECT_MXCSR 0x1f81, "addss: SNaN in lane 0 only; upper-lane NaNs of xmm1 ignored: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4008000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x3fd0000000000000, 0xaaaaaaaaaaaaaaaa
    addsd xmm0, xmm1
    EXPECT_X xmm0, 0x400a000000000000, 0xdeadbeefcafef00d, "addsd keeps bits 127:64"
    EXPECT_MXCSR 0x1f80, "addsd keeps bits 127:64: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4008000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x3fd0000000000000, 0xaaaaaaaaaaaaaaaa
    subsd xmm0, xmm1
    EXPECT_X xmm0, 0x4006000000000000, 0xdeadbeefcafef00d, "subsd keeps bits 127:64"
    EXPECT_MXCSR 0x1f80, "subsd keeps bits 127:64: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4008000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x3fd0000000000000, 0xaaaaaaaaaaaaaaaa
    mulsd xmm0, xmm1
    EXPECT_X xmm0, 0x3fe8000000000000, 0xdeadbeefcafef00d, "mulsd keeps bits 127:64"
    EXPECT_MXCSR 0x1f80, "mulsd keeps bits 127:64: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4008000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x3fd0000000000000, 0xaaaaaaaaaaaaaaaa
    divsd xmm0, xmm1
    EXPECT_X xmm0, 0x4028000000000000, 0xdeadbeefcafef00d, "divsd keeps bits 127:64"
    EXPECT_MXCSR 0x1f80, "divsd keeps bits 127:64: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4008000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x3fd0000000000000, 0xaaaaaaaaaaaaaaaa
    sqrtsd xmm0, xmm1
    EXPECT_X xmm0, 0x3fe0000000000000, 0xdeadbeefcafef00d, "sqrtsd keeps bits 127:64"
    EXPECT_MXCSR 0x1f80, "sqrtsd keeps bits 127:64: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4008000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x3fd0000000000000, 0xaaaaaaaaaaaaaaaa
    minsd xmm0, xmm1
    EXPECT_X xmm0, 0x3fd0000000000000, 0xdeadbeefcafef00d, "minsd keeps bits 127:64"
    EXPECT_MXCSR 0x1f80, "minsd keeps bits 127:64: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4008000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x3fd0000000000000, 0xaaaaaaaaaaaaaaaa
    maxsd xmm0, xmm1
    EXPECT_X xmm0, 0x4008000000000000, 0xdeadbeefcafef00d, "maxsd keeps bits 127:64"
    EXPECT_MXCSR 0x1f80, "maxsd keeps bits 127:64: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ff0000000000002, 0x3ff0000000000000
    LDX xmm1, 0xfff8000000000b0b, 0xfff000000000000b
    mulsd xmm0, xmm1
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0x7ff8000000000002, 0x3ff0000000000000, "mulsd: SNaN first source quieted"
    QEMU_DEPARTS_END
    EXPECT_MXCSR 0x1f81, "mulsd: SNaN first source quieted: mxcsr"
    ; ---- SQRT: negative -> QNaN indefinite with IE, -0 -> -0 ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xbf80000040800000, 0x4000000080000000
    sqrtps xmm0, xmm1
    EXPECT_X xmm0, 0xffc0000040000000, 0x3fb504f380000000, "sqrtps xmm0, xmm1"
    EXPECT_MXCSR 0x1fa1, "sqrtps xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc010000000000000, 0x4000000000000000
    sqrtpd xmm0, xmm1
    EXPECT_X xmm0, 0xfff8000000000000, 0x3ff6a09e667f3bcd, "sqrtpd xmm0, xmm1"
    EXPECT_MXCSR 0x1fa1, "sqrtpd xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xffc00b0b7f800002, 0xff8000007f800000
    sqrtps xmm0, xmm1
    EXPECT_X xmm0, 0xffc00b0b7fc00002, 0xffc000007f800000, "sqrtps NaN, +inf, -inf"
    EXPECT_MXCSR 0x1f81, "sqrtps NaN, +inf, -inf: mxcsr"
    ; ---- divide by zero and invalid ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0xbf8000003f800000, 0x7f80000000000000
    LDX xmm1, 0x0000000000000000, 0x7f80000080000000
    divps xmm0, xmm1
    EXPECT_X xmm0, 0xff8000007f800000, 0xffc00000ffc00000, "divps x/0, 0/0, inf/inf"
    EXPECT_MXCSR 0x1f85, "divps x/0, 0/0, inf/inf: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7f80000000000000, 0x4040000040000000
    LDX xmm1, 0x800000007f800000, 0x3f8000003f800000
    mulps xmm0, xmm1
    EXPECT_X xmm0, 0xffc00000ffc00000, 0x4040000040000000, "mulps 0*inf"
    EXPECT_MXCSR 0x1f81, "mulps 0*inf: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ff0000000000000, 0x3ff0000000000000
    LDX xmm1, 0x7ff0000000000000, 0x3ff0000000000000
    subpd xmm0, xmm1
    EXPECT_X xmm0, 0xfff8000000000000, 0x0000000000000000, "subpd inf-inf"
    EXPECT_MXCSR 0x1f81, "subpd inf-inf: mxcsr"
    ; ---- MIN/MAX: a NaN in either source or two zeros return the second source unchanged
    ;      (even an SNaN), IE for a QNaN too (SDM MINPS/MAXPS) ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7fc000013f800000, 0x8000000000000000
    LDX xmm1, 0x4040000040000000, 0x0000000080000000
    minps xmm0, xmm1
    EXPECT_X xmm0, 0x404000003f800000, 0x0000000080000000, "minps xmm0, xmm1"
    EXPECT_MXCSR 0x1f81, "minps xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3f8000007f800002, 0x7fc00001c0a00000
    LDX xmm1, 0xff80000b3f800000, 0xffc00b0bc0e00000
    minps xmm0, xmm1
    EXPECT_X xmm0, 0xff80000b3f800000, 0xffc00b0bc0e00000, "minps SNaN lanes"
    EXPECT_MXCSR 0x1f81, "minps SNaN lanes: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7fc000013f800000, 0x8000000000000000
    LDX xmm1, 0x4040000040000000, 0x0000000080000000
    maxps xmm0, xmm1
    EXPECT_X xmm0, 0x4040000040000000, 0x0000000080000000, "maxps xmm0, xmm1"
    EXPECT_MXCSR 0x1f81, "maxps xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3f8000007f800002, 0x7fc00001c0a00000
    LDX xmm1, 0xff80000b3f800000, 0xffc00b0bc0e00000
    maxps xmm0, xmm1
    EXPECT_X xmm0, 0xff80000b3f800000, 0xffc00b0bc0a00000, "maxps SNaN lanes"
    EXPECT_MXCSR 0x1f81, "maxps SNaN lanes: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ff8000000000001, 0x8000000000000000
    LDX xmm1, 0x3ff0000000000000, 0x0000000000000000
    minpd xmm0, xmm1
    EXPECT_X xmm0, 0x3ff0000000000000, 0x0000000000000000, "minpd xmm0, xmm1"
    EXPECT_MXCSR 0x1f81, "minpd xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xbff0000000000000, 0x4000000000000000
    LDX xmm1, 0xfff000000000000b, 0x3ff0000000000000
    minpd xmm0, xmm1
    EXPECT_X xmm0, 0xfff000000000000b, 0x3ff0000000000000, "minpd SNaN second source returned as is"
    EXPECT_MXCSR 0x1f81, "minpd SNaN second source returned as is: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ff8000000000001, 0x8000000000000000
    LDX xmm1, 0x3ff0000000000000, 0x0000000000000000
    maxpd xmm0, xmm1
    EXPECT_X xmm0, 0x3ff0000000000000, 0x0000000000000000, "maxpd xmm0, xmm1"
    EXPECT_MXCSR 0x1f81, "maxpd xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xbff0000000000000, 0x4000000000000000
    LDX xmm1, 0xfff000000000000b, 0x3ff0000000000000
    maxpd xmm0, xmm1
    EXPECT_X xmm0, 0xfff000000000000b, 0x4000000000000000, "maxpd SNaN second source returned as is"
    EXPECT_MXCSR 0x1f81, "maxpd SNaN second source returned as is: mxcsr"
    ; ---- CMPPS/CMPPD/CMPSS/CMPSD predicates 0-7: EQ LT LE UNORD NEQ NLT NLE ORD;
    ;      LT LE NLT NLE signal IE on a QNaN, the others only on an SNaN ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3f8000003f800000, 0x400000007fc00001
    LDX xmm1, 0x400000003f800000, 0x3f8000003f800000
    cmpps xmm0, xmm1, 0
    EXPECT_X xmm0, 0x00000000ffffffff, 0x0000000000000000, "cmpps xmm0, xmm1, 0"
    EXPECT_MXCSR 0x1f80, "cmpps xmm0, xmm1, 0: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3f8000003f800000, 0x400000007fc00001
    LDX xmm1, 0x400000003f800000, 0x3f8000003f800000
    cmpps xmm0, xmm1, 1
    EXPECT_X xmm0, 0xffffffff00000000, 0x0000000000000000, "cmpps xmm0, xmm1, 1"
    EXPECT_MXCSR 0x1f81, "cmpps xmm0, xmm1, 1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3f8000003f800000, 0x400000007fc00001
    LDX xmm1, 0x400000003f800000, 0x3f8000003f800000
    cmpps xmm0, xmm1, 2
    EXPECT_X xmm0, 0xffffffffffffffff, 0x0000000000000000, "cmpps xmm0, xmm1, 2"
    EXPECT_MXCSR 0x1f81, "cmpps xmm0, xmm1, 2: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3f8000003f800000, 0x400000007fc00001
    LDX xmm1, 0x400000003f800000, 0x3f8000003f800000
    cmpps xmm0, xmm1, 3
    EXPECT_X xmm0, 0x0000000000000000, 0x00000000ffffffff, "cmpps xmm0, xmm1, 3"
    EXPECT_MXCSR 0x1f80, "cmpps xmm0, xmm1, 3: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3f8000003f800000, 0x400000007fc00001
    LDX xmm1, 0x400000003f800000, 0x3f8000003f800000
    cmpps xmm0, xmm1, 4
    EXPECT_X xmm0, 0xffffffff00000000, 0xffffffffffffffff, "cmpps xmm0, xmm1, 4"
    EXPECT_MXCSR 0x1f80, "cmpps xmm0, xmm1, 4: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3f8000003f800000, 0x400000007fc00001
    LDX xmm1, 0x400000003f800000, 0x3f8000003f800000
    cmpps xmm0, xmm1, 5
    EXPECT_X xmm0, 0x00000000ffffffff, 0xffffffffffffffff, "cmpps xmm0, xmm1, 5"
    EXPECT_MXCSR 0x1f81, "cmpps xmm0, xmm1, 5: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3f8000003f800000, 0x400000007fc00001
    LDX xmm1, 0x400000003f800000, 0x3f8000003f800000
    cmpps xmm0, xmm1, 6
    EXPECT_X xmm0, 0x0000000000000000, 0xffffffffffffffff, "cmpps xmm0, xmm1, 6"
    EXPECT_MXCSR 0x1f81, "cmpps xmm0, xmm1, 6: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3f8000003f800000, 0x400000007fc00001
    LDX xmm1, 0x400000003f800000, 0x3f8000003f800000
    cmpps xmm0, xmm1, 7
    EXPECT_X xmm0, 0xffffffffffffffff, 0xffffffff00000000, "cmpps xmm0, xmm1, 7"
    EXPECT_MXCSR 0x1f80, "cmpps xmm0, xmm1, 7: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff0000000000000, 0x7ff8000000000001
    LDX xmm1, 0x4000000000000000, 0x3ff0000000000000
    cmppd xmm0, xmm1, 0
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "cmppd xmm0, xmm1, 0"
    EXPECT_MXCSR 0x1f80, "cmppd xmm0, xmm1, 0: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff0000000000000, 0x7ff8000000000001
    LDX xmm1, 0x4000000000000000, 0x3ff0000000000000
    cmppd xmm0, xmm1, 1
    EXPECT_X xmm0, 0xffffffffffffffff, 0x0000000000000000, "cmppd xmm0, xmm1, 1"
    EXPECT_MXCSR 0x1f81, "cmppd xmm0, xmm1, 1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff0000000000000, 0x7ff8000000000001
    LDX xmm1, 0x4000000000000000, 0x3ff0000000000000
    cmppd xmm0, xmm1, 2
    EXPECT_X xmm0, 0xffffffffffffffff, 0x0000000000000000, "cmppd xmm0, xmm1, 2"
    EXPECT_MXCSR 0x1f81, "cmppd xmm0, xmm1, 2: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff0000000000000, 0x7ff8000000000001
    LDX xmm1, 0x4000000000000000, 0x3ff0000000000000
    cmppd xmm0, xmm1, 3
    EXPECT_X xmm0, 0x0000000000000000, 0xffffffffffffffff, "cmppd xmm0, xmm1, 3"
    EXPECT_MXCSR 0x1f80, "cmppd xmm0, xmm1, 3: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff0000000000000, 0x7ff8000000000001
    LDX xmm1, 0x4000000000000000, 0x3ff0000000000000
    cmppd xmm0, xmm1, 4
    EXPECT_X xmm0, 0xffffffffffffffff, 0xffffffffffffffff, "cmppd xmm0, xmm1, 4"
    EXPECT_MXCSR 0x1f80, "cmppd xmm0, xmm1, 4: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff0000000000000, 0x7ff8000000000001
    LDX xmm1, 0x4000000000000000, 0x3ff0000000000000
    cmppd xmm0, xmm1, 5
    EXPECT_X xmm0, 0x0000000000000000, 0xffffffffffffffff, "cmppd xmm0, xmm1, 5"
    EXPECT_MXCSR 0x1f81, "cmppd xmm0, xmm1, 5: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff0000000000000, 0x7ff8000000000001
    LDX xmm1, 0x4000000000000000, 0x3ff0000000000000
    cmppd xmm0, xmm1, 6
    EXPECT_X xmm0, 0x0000000000000000, 0xffffffffffffffff, "cmppd xmm0, xmm1, 6"
    EXPECT_MXCSR 0x1f81, "cmppd xmm0, xmm1, 6: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff0000000000000, 0x7ff8000000000001
    LDX xmm1, 0x4000000000000000, 0x3ff0000000000000
    cmppd xmm0, xmm1, 7
    EXPECT_X xmm0, 0xffffffffffffffff, 0x0000000000000000, "cmppd xmm0, xmm1, 7"
    EXPECT_MXCSR 0x1f80, "cmppd xmm0, xmm1, 7: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3f8000007f800002, 0x3f8000003f800000
    LDX xmm1, 0x3f8000003f800000, 0x3f8000003f800000
    cmpps xmm0, xmm1, 0
    EXPECT_X xmm0, 0xffffffff00000000, 0xffffffffffffffff, "cmpps EQ with an SNaN: IE"
    EXPECT_MXCSR 0x1f81, "cmpps EQ with an SNaN: IE: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef3f800000, 0x4040000040000000
    LDX xmm1, 0x40a0000040000000, 0x40e0000040c00000
    cmpss xmm0, xmm1, 1
    EXPECT_X xmm0, 0xdeadbeefffffffff, 0x4040000040000000, "cmpss LT keeps lanes 1-3"
    EXPECT_MXCSR 0x1f80, "cmpss LT keeps lanes 1-3: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff0000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0xfff8000000000b0b, 0x3ff0000000000000
    cmpsd xmm0, xmm1, 2
    EXPECT_X xmm0, 0x0000000000000000, 0xdeadbeefcafef00d, "cmpsd LE with QNaN: 0, IE"
    EXPECT_MXCSR 0x1f81, "cmpsd LE with QNaN: 0, IE: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4008000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x4000000000000000, 0x3ff0000000000000
    cmpsd xmm0, xmm1, 6
    EXPECT_X xmm0, 0xffffffffffffffff, 0xdeadbeefcafef00d, "cmpsd NLE"
    EXPECT_MXCSR 0x1f80, "cmpsd NLE: mxcsr"
    ; ---- COMISS/UCOMISS/COMISD/UCOMISD: ZF PF CF, OF SF AF cleared; COMIS* signal IE on
    ;      a QNaN, UCOMIS* only on an SNaN ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x411000003f800000, 0x4110000041100000
    LDX xmm1, 0x4100000040000000, 0x4100000041000000
    comiss xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x001, "comiss less: flags"
    EXPECT_MXCSR 0x1f80, "comiss less: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4110000040000000, 0x4110000041100000
    LDX xmm1, 0x410000003f800000, 0x4100000041000000
    comiss xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x000, "comiss greater: flags"
    EXPECT_MXCSR 0x1f80, "comiss greater: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4110000080000000, 0x4110000041100000
    LDX xmm1, 0x4100000000000000, 0x4100000041000000
    comiss xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x040, "comiss -0 = +0: flags"
    EXPECT_MXCSR 0x1f80, "comiss -0 = +0: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x411000007fc00001, 0x4110000041100000
    LDX xmm1, 0x410000003f800000, 0x4100000041000000
    comiss xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x045, "comiss QNaN: flags"
    EXPECT_MXCSR 0x1f81, "comiss QNaN: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x411000003f800000, 0x4110000041100000
    LDX xmm1, 0x41000000ff80000b, 0x4100000041000000
    comiss xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x045, "comiss SNaN: flags"
    EXPECT_MXCSR 0x1f81, "comiss SNaN: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x411000003f800000, 0x4110000041100000
    LDX xmm1, 0x4100000040000000, 0x4100000041000000
    ucomiss xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x001, "ucomiss less: flags"
    EXPECT_MXCSR 0x1f80, "ucomiss less: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4110000040000000, 0x4110000041100000
    LDX xmm1, 0x410000003f800000, 0x4100000041000000
    ucomiss xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x000, "ucomiss greater: flags"
    EXPECT_MXCSR 0x1f80, "ucomiss greater: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4110000080000000, 0x4110000041100000
    LDX xmm1, 0x4100000000000000, 0x4100000041000000
    ucomiss xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x040, "ucomiss -0 = +0: flags"
    EXPECT_MXCSR 0x1f80, "ucomiss -0 = +0: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x411000007fc00001, 0x4110000041100000
    LDX xmm1, 0x410000003f800000, 0x4100000041000000
    ucomiss xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x045, "ucomiss QNaN: flags"
    EXPECT_MXCSR 0x1f80, "ucomiss QNaN: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x411000003f800000, 0x4110000041100000
    LDX xmm1, 0x41000000ff80000b, 0x4100000041000000
    ucomiss xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x045, "ucomiss SNaN: flags"
    EXPECT_MXCSR 0x1f81, "ucomiss SNaN: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff0000000000000, 0x4022000000000000
    LDX xmm1, 0x4000000000000000, 0x4020000000000000
    comisd xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x001, "comisd less: flags"
    EXPECT_MXCSR 0x1f80, "comisd less: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ff8000000000001, 0x4022000000000000
    LDX xmm1, 0x3ff0000000000000, 0x4020000000000000
    comisd xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x045, "comisd QNaN: flags"
    EXPECT_MXCSR 0x1f81, "comisd QNaN: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ff0000000000002, 0x4022000000000000
    LDX xmm1, 0x3ff0000000000000, 0x4020000000000000
    comisd xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x045, "comisd SNaN: flags"
    EXPECT_MXCSR 0x1f81, "comisd SNaN: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff0000000000000, 0x4022000000000000
    LDX xmm1, 0x4000000000000000, 0x4020000000000000
    ucomisd xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x001, "ucomisd less: flags"
    EXPECT_MXCSR 0x1f80, "ucomisd less: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ff8000000000001, 0x4022000000000000
    LDX xmm1, 0x3ff0000000000000, 0x4020000000000000
    ucomisd xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x045, "ucomisd QNaN: flags"
    EXPECT_MXCSR 0x1f80, "ucomisd QNaN: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7ff0000000000002, 0x4022000000000000
    LDX xmm1, 0x3ff0000000000000, 0x4020000000000000
    ucomisd xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x045, "ucomisd SNaN: flags"
    EXPECT_MXCSR 0x1f81, "ucomisd SNaN: mxcsr"
    ; ---- logic, shuffles, unpacks, moves, sign masks ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf0f0ff00aa55cc33, 0x8000000080000000
    LDX xmm1, 0x0ff0f0f00f0f3c3c, 0x7fffffffffffffff
    andps xmm0, xmm1
    EXPECT_X xmm0, 0x00f0f0000a050c30, 0x0000000080000000, "andps xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf0f0ff00aa55cc33, 0x8000000080000000
    LDX xmm1, 0x0ff0f0f00f0f3c3c, 0x7fffffffffffffff
    andnps xmm0, xmm1
    EXPECT_X xmm0, 0x0f0000f0050a300c, 0x7fffffff7fffffff, "andnps xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf0f0ff00aa55cc33, 0x8000000080000000
    LDX xmm1, 0x0ff0f0f00f0f3c3c, 0x7fffffffffffffff
    orps xmm0, xmm1
    EXPECT_X xmm0, 0xfff0fff0af5ffc3f, 0xffffffffffffffff, "orps xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf0f0ff00aa55cc33, 0x8000000080000000
    LDX xmm1, 0x0ff0f0f00f0f3c3c, 0x7fffffffffffffff
    xorps xmm0, xmm1
    EXPECT_X xmm0, 0xff000ff0a55af00f, 0xffffffff7fffffff, "xorps xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf0f0ff00aa55cc33, 0x8000000080000000
    LDX xmm1, 0x0ff0f0f00f0f3c3c, 0x7fffffffffffffff
    andpd xmm0, xmm1
    EXPECT_X xmm0, 0x00f0f0000a050c30, 0x0000000080000000, "andpd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf0f0ff00aa55cc33, 0x8000000080000000
    LDX xmm1, 0x0ff0f0f00f0f3c3c, 0x7fffffffffffffff
    andnpd xmm0, xmm1
    EXPECT_X xmm0, 0x0f0000f0050a300c, 0x7fffffff7fffffff, "andnpd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf0f0ff00aa55cc33, 0x8000000080000000
    LDX xmm1, 0x0ff0f0f00f0f3c3c, 0x7fffffffffffffff
    orpd xmm0, xmm1
    EXPECT_X xmm0, 0xfff0fff0af5ffc3f, 0xffffffffffffffff, "orpd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xf0f0ff00aa55cc33, 0x8000000080000000
    LDX xmm1, 0x0ff0f0f00f0f3c3c, 0x7fffffffffffffff
    xorpd xmm0, xmm1
    EXPECT_X xmm0, 0xff000ff0a55af00f, 0xffffffff7fffffff, "xorpd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000002100000020, 0x0000002300000022
    shufps xmm0, xmm1, 0x1b
    EXPECT_X xmm0, 0x0000001200000013, 0x0000002000000021, "shufps xmm0, xmm1, 0x1b"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000002100000020, 0x0000002300000022
    shufps xmm0, xmm1, 0xe4
    EXPECT_X xmm0, 0x0000001100000010, 0x0000002300000022, "shufps xmm0, xmm1, 0xe4"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000002100000020, 0x0000002300000022
    shufps xmm0, xmm1, 0x4e
    EXPECT_X xmm0, 0x0000001300000012, 0x0000002100000020, "shufps xmm0, xmm1, 0x4e"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000002100000020, 0x0000002300000022
    shufps xmm0, xmm1, 0xb1
    EXPECT_X xmm0, 0x0000001000000011, 0x0000002200000023, "shufps xmm0, xmm1, 0xb1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000002100000020, 0x0000002300000022
    shufpd xmm0, xmm1, 0
    EXPECT_X xmm0, 0x0000001100000010, 0x0000002100000020, "shufpd xmm0, xmm1, 0"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000002100000020, 0x0000002300000022
    shufpd xmm0, xmm1, 1
    EXPECT_X xmm0, 0x0000001300000012, 0x0000002100000020, "shufpd xmm0, xmm1, 1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000002100000020, 0x0000002300000022
    shufpd xmm0, xmm1, 2
    EXPECT_X xmm0, 0x0000001100000010, 0x0000002300000022, "shufpd xmm0, xmm1, 2"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000002100000020, 0x0000002300000022
    shufpd xmm0, xmm1, 3
    EXPECT_X xmm0, 0x0000001300000012, 0x0000002300000022, "shufpd xmm0, xmm1, 3"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000002100000020, 0x0000002300000022
    unpcklps xmm0, xmm1
    EXPECT_X xmm0, 0x0000002000000010, 0x0000002100000011, "unpcklps xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000002100000020, 0x0000002300000022
    unpckhps xmm0, xmm1
    EXPECT_X xmm0, 0x0000002200000012, 0x0000002300000013, "unpckhps xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000002100000020, 0x0000002300000022
    unpcklpd xmm0, xmm1
    EXPECT_X xmm0, 0x0000001100000010, 0x0000002100000020, "unpcklpd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000002100000020, 0x0000002300000022
    unpckhpd xmm0, xmm1
    EXPECT_X xmm0, 0x0000001300000012, 0x0000002300000022, "unpckhpd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000002100000020, 0x0000002300000022
    movhlps xmm0, xmm1
    EXPECT_X xmm0, 0x0000002300000022, 0x0000001300000012, "movhlps xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000002100000020, 0x0000002300000022
    movlhps xmm0, xmm1
    EXPECT_X xmm0, 0x0000001100000010, 0x0000002100000020, "movlhps xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000002100000020, 0x0000002300000022
    movss xmm0, xmm1
    EXPECT_X xmm0, 0x0000001100000020, 0x0000001300000012, "movss xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000002100000020, 0x0000002300000022
    movsd xmm0, xmm1
    EXPECT_X xmm0, 0x0000002100000020, 0x0000001300000012, "movsd xmm0, xmm1 keeps bits 127:64"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3f800000bf800000, 0xffc0000080000000
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0xffffffff
    movmskps eax, xmm0
    EXPECT_R eax, 0x0000000d, "movmskps eax, xmm0: eax"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff0000000000000, 0x8000000000000000
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0xffffffff
    movmskpd eax, xmm0
    EXPECT_R eax, 0x00000002, "movmskpd eax, xmm0: eax"
    ; ---- RCP/RSQRT special values (exact by the SDM: denormal sources read as 0, tiny
    ;      results flushed to 0, NaNs quieted, never a MXCSR flag); approximations are checked
    ;      against the 1.5*2^-12 relative error bound further down ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x8000000000000000, 0xff8000007f800000
    rcpps xmm0, xmm1
    EXPECT_X xmm0, 0xff8000007f800000, 0x8000000000000000, "rcpps +-0, +-inf"
    EXPECT_MXCSR 0x1f80, "rcpps +-0, +-inf: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x807fffff00000001, 0xff7fffff7f7fffff
    rcpps xmm0, xmm1
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0xff8000007f800000, 0x8000000000000000, "rcpps +-denormal, +-max"
    QEMU_DEPARTS_END
    EXPECT_MXCSR 0x1f80, "rcpps +-denormal, +-max: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x7f8000017fc00001, 0x00000000ffc00b0b
    rcpps xmm0, xmm1
    EXPECT_X xmm0, 0x7fc000017fc00001, 0x7f800000ffc00b0b, "rcpps NaNs"
    EXPECT_MXCSR 0x1f80, "rcpps NaNs: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x8000000000000000, 0xff8000007f800000
    rsqrtps xmm0, xmm1
    EXPECT_X xmm0, 0xff8000007f800000, 0xffc0000000000000, "rsqrtps +-0, +-inf"
    EXPECT_MXCSR 0x1f80, "rsqrtps +-0, +-inf: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x8000000100000001, 0x7f800001bf800000
    rsqrtps xmm0, xmm1
    QEMU_DEPARTS_BEGIN
    EXPECT_X xmm0, 0xff8000007f800000, 0x7fc00001ffc00000, "rsqrtps denormals, -1, SNaN"
    QEMU_DEPARTS_END
    EXPECT_MXCSR 0x1f80, "rsqrtps denormals, -1, SNaN: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x400000003f800000, 0x4080000040400000
    LDX xmm1, 0x40a0000000000000, 0x40e0000040c00000
    rcpss xmm0, xmm1
    EXPECT_X xmm0, 0x400000007f800000, 0x4080000040400000, "rcpss keeps lanes 1-3"
    EXPECT_MXCSR 0x1f80, "rcpss keeps lanes 1-3: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x400000003f800000, 0x4080000040400000
    LDX xmm1, 0x40a00000ff800000, 0x40e0000040c00000
    rsqrtss xmm0, xmm1
    EXPECT_X xmm0, 0x40000000ffc00000, 0x4080000040400000, "rsqrtss keeps lanes 1-3"
    EXPECT_MXCSR 0x1f80, "rsqrtss keeps lanes 1-3: mxcsr"
    ; ---- memory forms ----
    SET_MXCSR 0x1f80
    mov dword [SBUF + 0x201], 0x3fc00000          ; 1.5f at a misaligned address
    mov dword [SBUF + 0x205], 0x11111111
    LDX xmm0, 0x5555555555555555, 0x6666666666666666
    movss xmm0, [SBUF + 0x201]
    EXPECT_X xmm0, 0x000000003fc00000, 0, "MOVSS xmm, m32 zeroes bits 127:32"
    movsd xmm0, [SBUF + 0x201]
    EXPECT_X xmm0, 0x111111113fc00000, 0, "MOVSD xmm, m64 zeroes bits 127:64"
    LDX xmm0, 0x5555555555555555, 0x6666666666666666
    movlps xmm0, [SBUF + 0x201]
    EXPECT_X xmm0, 0x111111113fc00000, 0x6666666666666666, "MOVLPS xmm, m64 keeps bits 127:64"
    movhps xmm0, [SBUF + 0x201]
    EXPECT_X xmm0, 0x111111113fc00000, 0x111111113fc00000, "MOVHPS xmm, m64 keeps bits 63:0"
    LDX xmm1, 0x40000000, 0
    addss xmm1, [SBUF + 0x201]
    EXPECT_X xmm1, 0x40600000, 0, "ADDSS xmm, m32 misaligned is fine (2 + 1.5)"
    TRY
    addps xmm1, [SBUF + 0x201]
    CATCH 13, 0, "ADDPS xmm, m128 misaligned: #GP(0)"
    TRY
    movaps xmm1, [SBUF + 0x208]
    CATCH 13, 0, "MOVAPS load misaligned: #GP(0)"
    TRY
    movapd [SBUF + 0x204], xmm1
    CATCH 13, 0, "MOVAPD store misaligned: #GP(0)"
    TRY
    movntps [SBUF + 0x208], xmm1
    CATCH 13, 0, "MOVNTPS misaligned: #GP(0)"
    movups [SBUF + 0x203], xmm0
    movups xmm2, [SBUF + 0x203]
    EXPECT_X xmm2, 0x111111113fc00000, 0x111111113fc00000, "MOVUPS misaligned store and load"
    LDX xmm3, 0x3ff0000000000000, 0x4000000000000000
    movss [SBUF + 0x301], xmm1
    movsd [SBUF + 0x305], xmm3
    movhpd [SBUF + 0x30d], xmm3
    EXPECT_MEM SBUF + 0x301, "MOVSS m32 / MOVSD m64 / MOVHPD m64 stores", 0x40600000, 0, 0x3ff00000, 0, 0x40000000
    EXPECT_MXCSR 0x1f80, "no flags from moves, logic and the exact ADDSS"

    ; ---- RCPSS / RSQRTSS accuracy: |relative error| <= 1.5 * 2^-12 (SDM RCPSS/RSQRTSS) ----
    mov esi, 0xF0000 + rcp_inputs
.rcp_loop:
    movss xmm1, [esi]
    rcpss xmm0, xmm1
    mulss xmm0, xmm1                    ; ~1
    subss xmm0, [0xF0000 + k_one]
    andps xmm0, [0xF0000 + k_abs]
    comiss xmm0, [0xF0000 + k_bound]
    SAVE_FLAGS
    EXPECT_FLAGS 0x41, 0x01, "RCPSS within 1.5*2^-12 of 1/x"
    sqrtss xmm2, xmm1
    rsqrtss xmm0, xmm1
    mulss xmm0, xmm2                    ; ~1
    subss xmm0, [0xF0000 + k_one]
    andps xmm0, [0xF0000 + k_abs]
    comiss xmm0, [0xF0000 + k_bound]
    SAVE_FLAGS
    EXPECT_FLAGS 0x41, 0x01, "RSQRTSS within 1.5*2^-12 of 1/sqrt(x)"
    add esi, 4
    cmp esi, 0xF0000 + rcp_inputs_end
    jb .rcp_loop
    SET_MXCSR 0x1f80
    FINISH32

align 16
k_abs:   dd 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff
k_one:   dd 1.0
k_bound: dd 0x39c01000                  ; 1.5 * 2^-12 + 2^-23 (the product's rounding)
rcp_inputs: dd 3.0, 7.0, 0.1, 1.0e20, 123.456, 1.0e-30, 5.5e3
rcp_inputs_end:

bits 16
gdt_template:
    GDT_STANDARD
gdt_template_end:

    PM_LIB
    SSE_LIB
ROM_END
