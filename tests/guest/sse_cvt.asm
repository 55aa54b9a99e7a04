; sse_cvt.asm — SSE/SSE2 conversions (SDM vol. 2 CVT* pages, vol. 1
; 11.5.2.1 and 4.8.3.7): int32 -> float/double (rounded by MXCSR.RC, PE
; when inexact), float/double -> int32 rounded and truncating (the integer
; indefinite 80000000 with IE for NaN and out-of-range sources), float <->
; double (SNaN quieted with IE, QNaN payloads kept or truncated, overflow
; and underflow), the packed forms (which zero the upper half where the
; SDM says so) and the MMX forms CVTPI2PS/CVTPS2PI/CVTTPS2PI/CVTPI2PD/
; CVTPD2PI/CVTTPD2PI. Only the 32-bit integer forms exist in 32-bit mode.
; 32-bit protected mode, exceptions masked; results and MXCSR flags follow
; the SDM, confirmed on a host CPU (AMD EPYC).
;
; qemu-cmd: qemu-system-x86_64 -cpu max
; (rawbox-args: --cpu max, once `rawbox run` takes --cpu)
%include "rom.inc"
%include "pm.inc"
%include "sse.inc"

start:
    ROM_INIT
    PUTS `sse_cvt: SSE/SSE2 conversions in 32-bit protected mode\n`
    NEED_CPUID1 edx, 25, "no SSE"
    NEED_CPUID1 edx, 26, "no SSE2"
    SSE_DETECT_QEMU
    PM_SETUP
    PM_ENTER32 pm_start

bits 32
pm_start:
    SSE_ENABLE CR4_OSFXSR | CR4_OSXMMEXCPT
    ; ---- integer to float: CVTSI2SS/SD (rounded by MXCSR.RC, PE when inexact) ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef41100000, 0x12345678cafef00d
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x0
    cvtsi2ss xmm0, eax
    EXPECT_X xmm0, 0xdeadbeef00000000, 0x12345678cafef00d, "cvtsi2ss 0"
    EXPECT_MXCSR 0x1f80, "cvtsi2ss 0: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef41100000, 0x12345678cafef00d
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x1
    cvtsi2ss xmm0, eax
    EXPECT_X xmm0, 0xdeadbeef3f800000, 0x12345678cafef00d, "cvtsi2ss 1"
    EXPECT_MXCSR 0x1f80, "cvtsi2ss 1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef41100000, 0x12345678cafef00d
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0xffffffff
    cvtsi2ss xmm0, eax
    EXPECT_X xmm0, 0xdeadbeefbf800000, 0x12345678cafef00d, "cvtsi2ss -1"
    EXPECT_MXCSR 0x1f80, "cvtsi2ss -1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef41100000, 0x12345678cafef00d
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x1000001
    cvtsi2ss xmm0, eax
    EXPECT_X xmm0, 0xdeadbeef4b800000, 0x12345678cafef00d, "cvtsi2ss 16777217"
    EXPECT_MXCSR 0x1fa0, "cvtsi2ss 16777217: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef41100000, 0x12345678cafef00d
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x7fffffff
    cvtsi2ss xmm0, eax
    EXPECT_X xmm0, 0xdeadbeef4f000000, 0x12345678cafef00d, "cvtsi2ss 2147483647"
    EXPECT_MXCSR 0x1fa0, "cvtsi2ss 2147483647: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef41100000, 0x12345678cafef00d
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x80000000
    cvtsi2ss xmm0, eax
    EXPECT_X xmm0, 0xdeadbeefcf000000, 0x12345678cafef00d, "cvtsi2ss -2147483648"
    EXPECT_MXCSR 0x1f80, "cvtsi2ss -2147483648: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef41100000, 0x12345678cafef00d
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x75bcd15
    cvtsi2ss xmm0, eax
    EXPECT_X xmm0, 0xdeadbeef4ceb79a3, 0x12345678cafef00d, "cvtsi2ss 123456789"
    EXPECT_MXCSR 0x1fa0, "cvtsi2ss 123456789: mxcsr"
    SET_MXCSR 0x3f80
    LDX xmm0, 0xdeadbeef41100000, 0x12345678cafef00d
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x1000003
    cvtsi2ss xmm0, eax
    EXPECT_X xmm0, 0xdeadbeef4b800001, 0x12345678cafef00d, "cvtsi2ss 16777219 round up"
    EXPECT_MXCSR 0x3fa0, "cvtsi2ss 16777219 round up: mxcsr"
    SET_MXCSR 0x7f80
    LDX xmm0, 0xdeadbeef41100000, 0x12345678cafef00d
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0xfefffffd
    cvtsi2ss xmm0, eax
    EXPECT_X xmm0, 0xdeadbeefcb800001, 0x12345678cafef00d, "cvtsi2ss -16777219 toward zero"
    EXPECT_MXCSR 0x7fa0, "cvtsi2ss -16777219 toward zero: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4022000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x0
    cvtsi2sd xmm0, eax
    EXPECT_X xmm0, 0x0000000000000000, 0xdeadbeefcafef00d, "cvtsi2sd 0 (exact)"
    EXPECT_MXCSR 0x1f80, "cvtsi2sd 0 (exact): mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4022000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0xffffffff
    cvtsi2sd xmm0, eax
    EXPECT_X xmm0, 0xbff0000000000000, 0xdeadbeefcafef00d, "cvtsi2sd -1 (exact)"
    EXPECT_MXCSR 0x1f80, "cvtsi2sd -1 (exact): mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4022000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x7fffffff
    cvtsi2sd xmm0, eax
    EXPECT_X xmm0, 0x41dfffffffc00000, 0xdeadbeefcafef00d, "cvtsi2sd 2147483647 (exact)"
    EXPECT_MXCSR 0x1f80, "cvtsi2sd 2147483647 (exact): mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4022000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x80000000
    cvtsi2sd xmm0, eax
    EXPECT_X xmm0, 0xc1e0000000000000, 0xdeadbeefcafef00d, "cvtsi2sd -2147483648 (exact)"
    EXPECT_MXCSR 0x1f80, "cvtsi2sd -2147483648 (exact): mxcsr"
    ; ---- float to int32: rounded and truncating forms; integer indefinite 80000000 with IE
    ;      for NaN and out-of-range values ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f8000003fc00000, 0x3f8000003f800000
    mov eax, 0x5555
    cvtss2si eax, xmm1
    EXPECT_R eax, 0x00000002, "cvtss2si 1.5: eax"
    EXPECT_MXCSR 0x1fa0, "cvtss2si 1.5: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f8000003fc00000, 0x3f8000003f800000
    mov eax, 0x5555
    cvttss2si eax, xmm1
    EXPECT_R eax, 0x00000001, "cvttss2si 1.5: eax"
    EXPECT_MXCSR 0x1fa0, "cvttss2si 1.5: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f800000bfc00000, 0x3f8000003f800000
    mov eax, 0x5555
    cvtss2si eax, xmm1
    EXPECT_R eax, 0xfffffffe, "cvtss2si -1.5: eax"
    EXPECT_MXCSR 0x1fa0, "cvtss2si -1.5: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f800000bfc00000, 0x3f8000003f800000
    mov eax, 0x5555
    cvttss2si eax, xmm1
    EXPECT_R eax, 0xffffffff, "cvttss2si -1.5: eax"
    EXPECT_MXCSR 0x1fa0, "cvttss2si -1.5: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f8000004effffff, 0x3f8000003f800000
    mov eax, 0x5555
    cvtss2si eax, xmm1
    EXPECT_R eax, 0x7fffff80, "cvtss2si 2147483520: eax"
    EXPECT_MXCSR 0x1f80, "cvtss2si 2147483520: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f8000004effffff, 0x3f8000003f800000
    mov eax, 0x5555
    cvttss2si eax, xmm1
    EXPECT_R eax, 0x7fffff80, "cvttss2si 2147483520: eax"
    EXPECT_MXCSR 0x1f80, "cvttss2si 2147483520: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f8000004f000000, 0x3f8000003f800000
    mov eax, 0x5555
    cvtss2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvtss2si 2^31: eax"
    EXPECT_MXCSR 0x1f81, "cvtss2si 2^31: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f8000004f000000, 0x3f8000003f800000
    mov eax, 0x5555
    cvttss2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvttss2si 2^31: eax"
    EXPECT_MXCSR 0x1f81, "cvttss2si 2^31: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f800000cf000000, 0x3f8000003f800000
    mov eax, 0x5555
    cvtss2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvtss2si -2^31: eax"
    EXPECT_MXCSR 0x1f80, "cvtss2si -2^31: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f800000cf000000, 0x3f8000003f800000
    mov eax, 0x5555
    cvttss2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvttss2si -2^31: eax"
    EXPECT_MXCSR 0x1f80, "cvttss2si -2^31: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f800000cf000001, 0x3f8000003f800000
    mov eax, 0x5555
    cvtss2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvtss2si -2^31-256: eax"
    EXPECT_MXCSR 0x1f81, "cvtss2si -2^31-256: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f800000cf000001, 0x3f8000003f800000
    mov eax, 0x5555
    cvttss2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvttss2si -2^31-256: eax"
    EXPECT_MXCSR 0x1f81, "cvttss2si -2^31-256: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f8000007fc00000, 0x3f8000003f800000
    mov eax, 0x5555
    cvtss2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvtss2si QNaN: eax"
    EXPECT_MXCSR 0x1f81, "cvtss2si QNaN: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f8000007fc00000, 0x3f8000003f800000
    mov eax, 0x5555
    cvttss2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvttss2si QNaN: eax"
    EXPECT_MXCSR 0x1f81, "cvttss2si QNaN: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f8000007f800001, 0x3f8000003f800000
    mov eax, 0x5555
    cvtss2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvtss2si SNaN: eax"
    EXPECT_MXCSR 0x1f81, "cvtss2si SNaN: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f8000007f800001, 0x3f8000003f800000
    mov eax, 0x5555
    cvttss2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvttss2si SNaN: eax"
    EXPECT_MXCSR 0x1f81, "cvttss2si SNaN: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f800000ff800000, 0x3f8000003f800000
    mov eax, 0x5555
    cvtss2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvtss2si -inf: eax"
    EXPECT_MXCSR 0x1f81, "cvtss2si -inf: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f800000ff800000, 0x3f8000003f800000
    mov eax, 0x5555
    cvttss2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvttss2si -inf: eax"
    EXPECT_MXCSR 0x1f81, "cvttss2si -inf: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f8000003effffff, 0x3f8000003f800000
    mov eax, 0x5555
    cvtss2si eax, xmm1
    EXPECT_R eax, 0x00000000, "cvtss2si 0.49999997: eax"
    EXPECT_MXCSR 0x1fa0, "cvtss2si 0.49999997: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f8000003effffff, 0x3f8000003f800000
    mov eax, 0x5555
    cvttss2si eax, xmm1
    EXPECT_R eax, 0x00000000, "cvttss2si 0.49999997: eax"
    EXPECT_MXCSR 0x1fa0, "cvttss2si 0.49999997: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f80000000000001, 0x3f8000003f800000
    mov eax, 0x5555
    cvtss2si eax, xmm1
    EXPECT_R eax, 0x00000000, "cvtss2si denormal: eax"
    EXPECT_MXCSR 0x1fa0, "cvtss2si denormal: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x3f80000000000001, 0x3f8000003f800000
    mov eax, 0x5555
    cvttss2si eax, xmm1
    EXPECT_R eax, 0x00000000, "cvttss2si denormal: eax"
    EXPECT_MXCSR 0x1fa0, "cvttss2si denormal: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x4004000000000000, 0x3ff0000000000000
    mov eax, 0x5555
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0x00000002, "cvtsd2si 2.5: eax"
    EXPECT_MXCSR 0x1fa0, "cvtsd2si 2.5: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x4004000000000000, 0x3ff0000000000000
    mov eax, 0x5555
    cvttsd2si eax, xmm1
    EXPECT_R eax, 0x00000002, "cvttsd2si 2.5: eax"
    EXPECT_MXCSR 0x1fa0, "cvttsd2si 2.5: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc00599999999999a, 0x3ff0000000000000
    mov eax, 0x5555
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0xfffffffd, "cvtsd2si -2.7: eax"
    EXPECT_MXCSR 0x1fa0, "cvtsd2si -2.7: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc00599999999999a, 0x3ff0000000000000
    mov eax, 0x5555
    cvttsd2si eax, xmm1
    EXPECT_R eax, 0xfffffffe, "cvttsd2si -2.7: eax"
    EXPECT_MXCSR 0x1fa0, "cvttsd2si -2.7: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x41dfffffffc00000, 0x3ff0000000000000
    mov eax, 0x5555
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0x7fffffff, "cvtsd2si 2^31-1: eax"
    EXPECT_MXCSR 0x1f80, "cvtsd2si 2^31-1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x41dfffffffc00000, 0x3ff0000000000000
    mov eax, 0x5555
    cvttsd2si eax, xmm1
    EXPECT_R eax, 0x7fffffff, "cvttsd2si 2^31-1: eax"
    EXPECT_MXCSR 0x1f80, "cvttsd2si 2^31-1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x41dfffffffe00000, 0x3ff0000000000000
    mov eax, 0x5555
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvtsd2si 2^31-0.5: eax"
    EXPECT_MXCSR 0x1f81, "cvtsd2si 2^31-0.5: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x41dfffffffe00000, 0x3ff0000000000000
    mov eax, 0x5555
    cvttsd2si eax, xmm1
    EXPECT_R eax, 0x7fffffff, "cvttsd2si 2^31-0.5: eax"
    EXPECT_MXCSR 0x1fa0, "cvttsd2si 2^31-0.5: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x41e0000000000000, 0x3ff0000000000000
    mov eax, 0x5555
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvtsd2si 2^31: eax"
    EXPECT_MXCSR 0x1f81, "cvtsd2si 2^31: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x41e0000000000000, 0x3ff0000000000000
    mov eax, 0x5555
    cvttsd2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvttsd2si 2^31: eax"
    EXPECT_MXCSR 0x1f81, "cvttsd2si 2^31: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc1e00000001ccccd, 0x3ff0000000000000
    mov eax, 0x5555
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvtsd2si -2^31-0.9: eax"
    EXPECT_MXCSR 0x1f81, "cvtsd2si -2^31-0.9: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc1e00000001ccccd, 0x3ff0000000000000
    mov eax, 0x5555
    cvttsd2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvttsd2si -2^31-0.9: eax"
    EXPECT_MXCSR 0x1fa0, "cvttsd2si -2^31-0.9: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc1e0000000200000, 0x3ff0000000000000
    mov eax, 0x5555
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvtsd2si -2^31-1: eax"
    EXPECT_MXCSR 0x1f81, "cvtsd2si -2^31-1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc1e0000000200000, 0x3ff0000000000000
    mov eax, 0x5555
    cvttsd2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvttsd2si -2^31-1: eax"
    EXPECT_MXCSR 0x1f81, "cvttsd2si -2^31-1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x7ff8000000000000, 0x3ff0000000000000
    mov eax, 0x5555
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvtsd2si QNaN: eax"
    EXPECT_MXCSR 0x1f81, "cvtsd2si QNaN: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x7ff8000000000000, 0x3ff0000000000000
    mov eax, 0x5555
    cvttsd2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvttsd2si QNaN: eax"
    EXPECT_MXCSR 0x1f81, "cvttsd2si QNaN: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x7e37e43c8800759c, 0x3ff0000000000000
    mov eax, 0x5555
    cvtsd2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvtsd2si 1e300: eax"
    EXPECT_MXCSR 0x1f81, "cvtsd2si 1e300: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x7e37e43c8800759c, 0x3ff0000000000000
    mov eax, 0x5555
    cvttsd2si eax, xmm1
    EXPECT_R eax, 0x80000000, "cvttsd2si 1e300: eax"
    EXPECT_MXCSR 0x1f81, "cvttsd2si 1e300: mxcsr"
    ; ---- float <-> double ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x3f8000003dcccccd, 0x3f8000003f800000
    cvtss2sd xmm0, xmm1
    EXPECT_X xmm0, 0x3fb99999a0000000, 0xdeadbeefcafef00d, "cvtss2sd 0.1f keeps bits 127:64"
    EXPECT_MXCSR 0x1f80, "cvtss2sd 0.1f keeps bits 127:64: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x3f8000007f800001, 0x3f8000003f800000
    cvtss2sd xmm0, xmm1
    EXPECT_X xmm0, 0x7ff8000020000000, 0xdeadbeefcafef00d, "cvtss2sd SNaN -> QNaN, IE"
    EXPECT_MXCSR 0x1f81, "cvtss2sd SNaN -> QNaN, IE: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0x3f800000ffc12345, 0x3f8000003f800000
    cvtss2sd xmm0, xmm1
    EXPECT_X xmm0, 0xfff82468a0000000, 0xdeadbeefcafef00d, "cvtss2sd QNaN payload"
    EXPECT_MXCSR 0x1f80, "cvtss2sd QNaN payload: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef00000000, 0x12345678cafef00d
    LDX xmm1, 0x3fb999999999999a, 0x3ff0000000000000
    cvtsd2ss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef3dcccccd, 0x12345678cafef00d, "cvtsd2ss 0.1 keeps lanes 1-3"
    EXPECT_MXCSR 0x1fa0, "cvtsd2ss 0.1 keeps lanes 1-3: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef00000000, 0x12345678cafef00d
    LDX xmm1, 0x7e37e43c8800759c, 0x3ff0000000000000
    cvtsd2ss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef7f800000, 0x12345678cafef00d, "cvtsd2ss 1e300 overflow"
    EXPECT_MXCSR 0x1fa8, "cvtsd2ss 1e300 overflow: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef00000000, 0x12345678cafef00d
    LDX xmm1, 0x81a56e1fc2f8f359, 0x3ff0000000000000
    cvtsd2ss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef80000000, 0x12345678cafef00d, "cvtsd2ss -1e-300 underflow"
    EXPECT_MXCSR 0x1fb0, "cvtsd2ss -1e-300 underflow: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef00000000, 0x12345678cafef00d
    LDX xmm1, 0x7ff0000000000123, 0x3ff0000000000000
    cvtsd2ss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeef7fc00000, 0x12345678cafef00d, "cvtsd2ss SNaN -> QNaN, IE"
    EXPECT_MXCSR 0x1f81, "cvtsd2ss SNaN -> QNaN, IE: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef00000000, 0x12345678cafef00d
    LDX xmm1, 0xfff8123456789abc, 0x3ff0000000000000
    cvtsd2ss xmm0, xmm1
    EXPECT_X xmm0, 0xdeadbeefffc091a2, 0x12345678cafef00d, "cvtsd2ss QNaN payload truncated"
    EXPECT_MXCSR 0x1f80, "cvtsd2ss QNaN payload truncated: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xbdcccccd3fc00000, 0x40c0000040a00000
    cvtps2pd xmm0, xmm1
    EXPECT_X xmm0, 0x3ff8000000000000, 0xbfb99999a0000000, "cvtps2pd xmm0, xmm1"
    EXPECT_MXCSR 0x1f80, "cvtps2pd xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x400000003f800000, 0x4080000040400000
    LDX xmm1, 0x3fb999999999999a, 0xfe37e43c8800759c
    cvtpd2ps xmm0, xmm1
    EXPECT_X xmm0, 0xff8000003dcccccd, 0x0000000000000000, "cvtpd2ps zeroes bits 127:64"
    EXPECT_MXCSR 0x1fa8, "cvtpd2ps zeroes bits 127:64: mxcsr"
    ; ---- packed int32 <-> float/double ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xfffffffe00000001, 0x7fffffff01000001
    cvtdq2ps xmm0, xmm1
    EXPECT_X xmm0, 0xc00000003f800000, 0x4f0000004b800000, "cvtdq2ps xmm0, xmm1"
    EXPECT_MXCSR 0x1fa0, "cvtdq2ps xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc02000003fc00000, 0x7fc000004f32d05e
    cvtps2dq xmm0, xmm1
    EXPECT_X xmm0, 0xfffffffe00000002, 0x8000000080000000, "cvtps2dq with out-of-range and NaN lanes"
    EXPECT_MXCSR 0x1fa1, "cvtps2dq with out-of-range and NaN lanes: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc039999a3ff33333, 0x3f000000cf32d05e
    cvttps2dq xmm0, xmm1
    EXPECT_X xmm0, 0xfffffffe00000001, 0x0000000080000000, "cvttps2dq"
    EXPECT_MXCSR 0x1fa1, "cvttps2dq: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x7ffffffffffffff9, 0x0000000600000005
    cvtdq2pd xmm0, xmm1
    EXPECT_X xmm0, 0xc01c000000000000, 0x41dfffffffc00000, "cvtdq2pd xmm0, xmm1"
    EXPECT_MXCSR 0x1f80, "cvtdq2pd xmm0, xmm1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000200000001, 0x0000000400000003
    LDX xmm1, 0xbff8000000000000, 0x4004000000000000
    cvtpd2dq xmm0, xmm1
    EXPECT_X xmm0, 0x00000002fffffffe, 0x0000000000000000, "cvtpd2dq zeroes bits 127:64"
    EXPECT_MXCSR 0x1fa0, "cvtpd2dq zeroes bits 127:64: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000200000001, 0x0000000400000003
    LDX xmm1, 0xbff8000000000000, 0x4202a05f20000000
    cvttpd2dq xmm0, xmm1
    EXPECT_X xmm0, 0x80000000ffffffff, 0x0000000000000000, "cvttpd2dq"
    EXPECT_MXCSR 0x1fa1, "cvttpd2dq: mxcsr"
    ; ---- MMX forms ----
    SET_MXCSR 0x1f80
    LDMM mm0, 0x4110000041100000
    LDMM mm1, 0x01000001fffffffd
    LDX xmm0, 0x4110000041100000, 0xcafef00ddeadbeef
    LDX xmm1, 0x01000001fffffffd, 0x0000000000000000
    cvtpi2ps xmm0, mm1
    EXPECT_X xmm0, 0x4b800000c0400000, 0xcafef00ddeadbeef, "cvtpi2ps keeps bits 127:64"
    EXPECT_MXCSR 0x1fa0, "cvtpi2ps keeps bits 127:64: mxcsr"
    SET_MXCSR 0x1f80
    LDMM mm0, 0x0000000000000000
    LDMM mm1, 0xc060000040200000
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc060000040200000, 0x40e0000040e00000
    cvtps2pi mm0, xmm1
    EXPECT_MM mm0, 0xfffffffc00000002, "cvtps2pi"
    EXPECT_MXCSR 0x1fa0, "cvtps2pi: mxcsr"
    SET_MXCSR 0x1f80
    LDMM mm0, 0x0000000000000000
    LDMM mm1, 0xcf32d05e40200000
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xcf32d05e40200000, 0x40e0000040e00000
    cvttps2pi mm0, xmm1
    EXPECT_MM mm0, 0x8000000000000002, "cvttps2pi"
    EXPECT_MXCSR 0x1fa1, "cvttps2pi: mxcsr"
    SET_MXCSR 0x1f80
    LDMM mm0, 0x0000000000000000
    LDMM mm1, 0x7ffffffffffffffd
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x7ffffffffffffffd, 0x0000000000000000
    cvtpi2pd xmm0, mm1
    EXPECT_X xmm0, 0xc008000000000000, 0x41dfffffffc00000, "cvtpi2pd"
    EXPECT_MXCSR 0x1f80, "cvtpi2pd: mxcsr"
    SET_MXCSR 0x1f80
    LDMM mm0, 0x0000000000000000
    LDMM mm1, 0xc004000000000000
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc004000000000000, 0x400c000000000000
    cvtpd2pi mm0, xmm1
    EXPECT_MM mm0, 0x00000004fffffffe, "cvtpd2pi"
    EXPECT_MXCSR 0x1fa0, "cvtpd2pi: mxcsr"
    SET_MXCSR 0x1f80
    LDMM mm0, 0x0000000000000000
    LDMM mm1, 0xc004000000000000
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc004000000000000, 0x7ff8000000000000
    cvttpd2pi mm0, xmm1
    EXPECT_MM mm0, 0x80000000fffffffe, "cvttpd2pi"
    EXPECT_MXCSR 0x1fa1, "cvttpd2pi: mxcsr"
    emms

    ; ---- memory sources (no alignment needed) ----
    SET_MXCSR 0x1f80
    mov dword [SBUF + 0x201], -5
    mov dword [SBUF + 0x209], 0x40200000        ; 2.5f
    mov dword [SBUF + 0x211], 0
    mov dword [SBUF + 0x215], 0xc0040000        ; -2.5
    LDX xmm0, 0, 0x1111111111111111
    cvtsi2ss xmm0, [SBUF + 0x201]
    EXPECT_X xmm0, 0xc0a00000, 0x1111111111111111, "CVTSI2SS xmm, m32"
    cvtsi2sd xmm0, [SBUF + 0x201]
    EXPECT_X xmm0, 0xc014000000000000, 0x1111111111111111, "CVTSI2SD xmm, m32"
    cvtss2si eax, [SBUF + 0x209]
    EXPECT_R eax, 2, "CVTSS2SI r32, m32 (2.5 -> 2, nearest even)"
    cvttsd2si eax, [SBUF + 0x211]
    EXPECT_R eax, -2, "CVTTSD2SI r32, m64 (-2.5 -> -2)"
    cvtss2sd xmm0, [SBUF + 0x209]
    EXPECT_X xmm0, 0x4004000000000000, 0x1111111111111111, "CVTSS2SD xmm, m32"
    EXPECT_MXCSR 0x1fa0, "MXCSR: PE from the rounding CVTSS2SI"
    FINISH32

bits 16
gdt_template:
    GDT_STANDARD
gdt_template_end:

    PM_LIB
    SSE_LIB
ROM_END
