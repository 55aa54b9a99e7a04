; fxsave.asm — FXSAVE/FXRSTOR and XSAVE/XRSTOR/XGETBV/XSETBV for the x87
; and SSE state. SDM vol. 1 10.5 (table 10-2, the legacy image: FCW, FSW,
; abridged FTW, FOP, FIP, FCS, FDP, FDS, MXCSR, MXCSR_MASK, ST0-ST7 in
; 16-byte slots, XMM0-7), vol. 2 FXSAVE/FXRSTOR (#GP(0) for an address not
; 16-byte aligned or, in FXRSTOR, reserved MXCSR bits; #NM with CR0.TS;
; #UD with CR0.EM), vol. 1 ch. 13 and vol. 2 XSAVE/XRSTOR/XSETBV/XGETBV
; (XCR0 bits 0-1, the XSAVE header, RFBM selecting the components, the
; init state loaded for a component whose XSTATE_BV bit is clear, #GP(0)
; for a 64-byte misaligned area, reserved header bytes, XSTATE_BV bits
; outside XCR0 and invalid XCR0 values, #UD for XGETBV with CR4.OSXSAVE=0).
; With CR4.OSFXSR=0, FXSAVE/FXRSTOR leave the XMM registers out (the SDM
; calls this implementation dependent; Intel and AMD CPUs do so). FIP/FDP/
; FOP follow the SDM (AMD CPUs store them only with FSW.ES=1), FCS/FDS
; read as 0 when CPUID.(7,0):EBX[13] deprecates them. 32-bit protected mode.
;
; qemu-differs: QEMU 7.2 stores FIP, FDP, FOP, FCS and FDS as 0 in FXSAVE,
; does not #GP on reserved MXCSR bits in FXRSTOR, and raises #NM instead
; of the current SDM's #UD for FXSAVE/FXRSTOR with CR0.EM=1 (older SDM
; editions said #NM); and its XSAVE ignores CR0.TS (SDM: #NM), its XRSTOR
; reserved MXCSR bits (SDM: #GP(0)); those checks print "qemu-departs".
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "pm.inc"
%include "sse.inc"

%define HAS_XSAVE 0xBF10
%define FCS_DEPR  0xBF14        ; dword: 0 or FFFFFFFF when FCS/FDS are deprecated
%define IMG2      (SIMG + 0x400)

start:
    ROM_INIT
    PUTS `fxsave: FXSAVE/FXRSTOR and XSAVE/XRSTOR in 32-bit protected mode\n`
    PUTS `note: QEMU stores no FIP/FDP/FOP/FCS/FDS, skips FXRSTOR's MXCSR check, #NM for CR0.EM (SDM wins)\n`
    NEED_CPUID1 edx, 24, "no FXSR"
    NEED_CPUID1 edx, 25, "no SSE"
    mov byte [HAS_XSAVE], 0
    mov eax, 1
    cpuid
    bt ecx, 26
    setc [HAS_XSAVE]
    mov dword [FCS_DEPR], 0
    xor eax, eax
    cpuid
    cmp eax, 7
    jb .no7
    mov eax, 7
    xor ecx, ecx
    cpuid
    bt ebx, 13
    jnc .no7
    mov dword [FCS_DEPR], 0xffffffff
.no7:
    SSE_DETECT_QEMU
    PM_SETUP
    PM_ENTER32 pm_start

bits 32
; fill the image areas with 5A
%macro FILL_IMG 2
    mov edi, %1
    mov ecx, (%2) / 4
    mov eax, 0x5a5a5a5a
    cld
    rep stosd
%endmacro

pm_start:
    SSE_ENABLE CR4_OSFXSR | CR4_OSXMMEXCPT

    ; ---- FXSAVE: the image ----
    FILL_IMG SIMG, 0x800
    fninit
    mov word [SBUF + 0x50], 0x027f
    fldcw [SBUF + 0x50]
    mov dword [SBUF + 0x40], 0x3f800000
    fldz
    fld dword [SBUF + 0x40]
fx_fdiv:
    fdiv st0, st1               ; +inf, ZE (masked); TOP=6
    SET_MXCSR 0x3f85
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x1111111111111111, 0x1010101010101010
    LDX xmm2, 0x2222222222222222, 0x2020202020202020
    LDX xmm3, 0x3333333333333333, 0x3030303030303030
    LDX xmm4, 0x4444444444444444, 0x4040404040404040
    LDX xmm5, 0x5555555555555555, 0x5050505050505050
    LDX xmm6, 0x6666666666666666, 0x6060606060606060
    LDX xmm7, 0x7777777777777777, 0x7070707070707070
    fxsave [SIMG]
    movzx eax, word [SIMG + 0]
    EXPECT_R eax, 0x027f, "FXSAVE: FCW"
    movzx eax, word [SIMG + 2]
    EXPECT_R eax, 0x3004, "FXSAVE: FSW (TOP=6, ZE)"
    movzx eax, byte [SIMG + 4]
    EXPECT_R eax, 0xc0, "FXSAVE: abridged FTW (R6, R7 valid)"
    QEMU_DEPARTS_BEGIN
    mov eax, [SIMG + 8]
    EXPECT_R eax, fx_fdiv, "FXSAVE: FIP = offset of the FDIV"
    mov eax, [SIMG + 16]
    EXPECT_R eax, SBUF + 0x40, "FXSAVE: FDP = offset of the FLD m32 operand"
    movzx eax, word [SIMG + 6]
    EXPECT_R eax, 0x00f1, "FXSAVE: FOP of FDIV ST0,ST1 (D8 F1) = 0F1"
    movzx eax, word [SIMG + 12]
    mov ebx, [FCS_DEPR]
    not ebx
    and ebx, SEL_CODE32
    cmp eax, ebx
    CHECKQ "FXSAVE: FCS (code selector, 0 if deprecated)"
    movzx eax, word [SIMG + 20]
    mov ebx, [FCS_DEPR]
    not ebx
    and ebx, SEL_DATA32
    cmp eax, ebx
    CHECKQ "FXSAVE: FDS (data selector, 0 if deprecated)"
    QEMU_DEPARTS_END
    mov eax, [SIMG + 24]
    EXPECT_R eax, 0x3f85, "FXSAVE: MXCSR"
    mov eax, [SIMG + 28]
    EXPECT_R eax, 0xffff, "FXSAVE: MXCSR_MASK FFFF (DAZ supported, bits 31:16 reserved)"
    EXPECT_MEM SIMG + 32, "FXSAVE: ST0 = +inf", 0, 0x80000000
    movzx eax, word [SIMG + 32 + 8]
    EXPECT_R eax, 0x7fff, "FXSAVE: ST0 exponent"
    EXPECT_MEM SIMG + 48, "FXSAVE: ST1 = +0", 0, 0
    movzx eax, word [SIMG + 48 + 8]
    EXPECT_R eax, 0, "FXSAVE: ST1 exponent"
    EXPECT_MEM SIMG + 160, "FXSAVE: XMM0", 0, 0, 0, 0
    EXPECT_MEM SIMG + 160 + 16 * 3, "FXSAVE: XMM3", 0x33333333, 0x33333333, 0x30303030, 0x30303030
    EXPECT_MEM SIMG + 160 + 16 * 7, "FXSAVE: XMM7", 0x77777777, 0x77777777, 0x70707070, 0x70707070
    EXPECT_MXCSR 0x3f85, "FXSAVE keeps MXCSR"
    fnstsw ax
    and eax, 0x3800
    EXPECT_R eax, 0x3000, "FXSAVE keeps the x87 state (TOP=6; unlike FNSAVE)"

    ; ---- FXRSTOR ----
    mov word [SIMG + 0], 0x037f
    mov word [SIMG + 2], 0x1800             ; TOP=3
    mov byte [SIMG + 4], 0x18               ; R3 (ST0), R4 (ST1) valid
    mov dword [SIMG + 32], 0
    mov dword [SIMG + 36], 0x80000000
    mov word [SIMG + 40], 0x4000            ; ST0 = 2.0
    mov dword [SIMG + 48], 0
    mov dword [SIMG + 52], 0xc0000000
    mov word [SIMG + 56], 0x4000            ; ST1 = 3.0
    mov dword [SIMG + 24], 0x7f80           ; round toward zero
    mov dword [SIMG + 160 + 16 * 3], 0xdeadbeef
    fninit
    LDX xmm3, 0, 0
    SET_MXCSR 0x1f80
    fxrstor [SIMG]
    fnstcw [SBUF + 0x60]
    movzx eax, word [SBUF + 0x60]
    EXPECT_R eax, 0x037f, "FXRSTOR: FCW"
    fnstenv [SBUF + 0x80]
    movzx eax, word [SBUF + 0x80 + 4]
    EXPECT_R eax, 0x1800, "FXRSTOR: FSW (TOP=3)"
    movzx eax, word [SBUF + 0x80 + 8]
    EXPECT_R eax, 0xfc3f, "FXRSTOR: abridged FTW 18 -> full tags FC3F (R3 R4 valid)"
    fldenv [SBUF + 0x80]
    fadd st0, st1
    fstp dword [SBUF + 0x70]
    mov eax, [SBUF + 0x70]
    EXPECT_R eax, 0x40a00000, "FXRSTOR: ST0 + ST1 = 5.0"
    EXPECT_MXCSR 0x7f80, "FXRSTOR: MXCSR"
    EXPECT_X xmm3, 0x33333333deadbeef, 0x3030303030303030, "FXRSTOR: XMM3"
    fninit

    ; ---- faults ----
    TRY
    fxsave [SIMG + 8]
    CATCH 13, 0, "FXSAVE misaligned by 8: #GP(0)"
    TRY
    fxrstor [SIMG + 0x10 + 4]
    CATCH 13, 0, "FXRSTOR misaligned by 4: #GP(0)"
    mov dword [SIMG + 24], 0x00011f80
    SET_MXCSR 0x1f81
    QEMU_DEPARTS_BEGIN
    TRY
    fxrstor [SIMG]
    XCATCH 13, 0, "FXRSTOR with MXCSR bit 16 set: #GP(0)"
    EXPECT_MXCSR 0x1f81, "the faulting FXRSTOR loads no MXCSR"
    QEMU_DEPARTS_END
    mov dword [SIMG + 24], 0x1f80
    mov eax, cr0
    or eax, 8
    mov cr0, eax
    TRY
    fxsave [SIMG]
    CATCH 7, -1, "FXSAVE with CR0.TS=1: #NM"
    TRY
    fxrstor [SIMG]
    CATCH 7, -1, "FXRSTOR with CR0.TS=1: #NM"
    clts
    mov eax, cr0
    or eax, 4
    mov cr0, eax
    QEMU_DEPARTS_BEGIN
    TRY
    fxsave [SIMG]
    XCATCH 6, -1, "FXSAVE with CR0.EM=1: #UD"
    TRY
    fxrstor [SIMG]
    XCATCH 6, -1, "FXRSTOR with CR0.EM=1: #UD"
    QEMU_DEPARTS_END
    mov eax, cr0
    and eax, ~4
    mov cr0, eax

    ; ---- CR4.OSFXSR=0: XMM registers neither saved nor loaded ----
    LDX xmm0, 0x0123456789abcdef, 0xfedcba9876543210
    FILL_IMG IMG2, 0x200
    mov eax, cr4
    and eax, ~CR4_OSFXSR
    mov cr4, eax
    fninit
    fxsave [IMG2]
    movzx eax, word [IMG2]
    EXPECT_R eax, 0x037f, "OSFXSR=0: FXSAVE still saves the x87 state"
    EXPECT_MEM IMG2 + 160, "OSFXSR=0: FXSAVE leaves the XMM0 slot alone", 0x5a5a5a5a, 0x5a5a5a5a, 0x5a5a5a5a, 0x5a5a5a5a
    mov dword [IMG2 + 24], 0x1f80
    fxrstor [IMG2]
    mov eax, cr4
    or eax, CR4_OSFXSR
    mov cr4, eax
    EXPECT_X xmm0, 0x0123456789abcdef, 0xfedcba9876543210, "OSFXSR=0: FXRSTOR leaves XMM0 alone"

    ; ---- XSAVE family ----
    cmp byte [HAS_XSAVE], 0
    jne xsave_tests
    PUTS32 `note: no XSAVE in CPUID, its checks are left out\n`
    FINISH32
xsave_tests:
    TRY
    xgetbv
    CATCH 6, -1, "XGETBV with CR4.OSXSAVE=0: #UD"
    mov eax, cr4
    or eax, CR4_OSXSAVE
    mov cr4, eax
    xor ecx, ecx
    xgetbv
    and eax, 3
    EXPECT_R eax, 1, "XCR0 after reset: x87 only"
    mov eax, 3
    xor edx, edx
    xor ecx, ecx
    xsetbv
    xor ecx, ecx
    xgetbv
    EXPECT_R eax, 3, "XSETBV 3: XCR0 = x87 | SSE"
    EXPECT_R edx, 0, "XCR0 high half 0"
    mov eax, 2
    xor edx, edx
    xor ecx, ecx
    TRY
    xsetbv
    CATCH 13, 0, "XSETBV with bit 0 clear: #GP(0)"
    mov eax, 3
    xor edx, edx
    mov ecx, 1
    TRY
    xsetbv
    CATCH 13, 0, "XSETBV to XCR1: #GP(0)"
    mov ecx, 0x55
    TRY
    xgetbv
    CATCH 13, 0, "XGETBV of a nonexistent XCR: #GP(0)"
    mov eax, 0xd
    xor ecx, ecx
    cpuid
    EXPECT_R ebx, 576, "CPUID.(0Dh,0):EBX = 576 for XCR0 = 3"

    ; XSAVE with RFBM = 3
    FILL_IMG SIMG, 0x800
    mov edi, SIMG + 512                     ; the XSAVE header must be 0
    mov ecx, 64 / 4
    xor eax, eax
    rep stosd
    fninit
    fld1
    SET_MXCSR 0x1f80
    LDX xmm5, 0xaaaaaaaaaaaaaaaa, 0xbbbbbbbbbbbbbbbb
    mov eax, 3
    xor edx, edx
    xsave [SIMG]
    movzx eax, word [SIMG]
    EXPECT_R eax, 0x037f, "XSAVE: FCW in the legacy area"
    movzx eax, byte [SIMG + 4]
    EXPECT_R eax, 0x80, "XSAVE: abridged FTW"
    EXPECT_MEM SIMG + 160 + 16 * 5, "XSAVE: XMM5", 0xaaaaaaaa, 0xaaaaaaaa, 0xbbbbbbbb, 0xbbbbbbbb
    mov eax, [SIMG + 24]
    EXPECT_R eax, 0x1f80, "XSAVE: MXCSR"
    mov eax, [SIMG + 512]
    and eax, 3
    EXPECT_R eax, 3, "XSAVE: XSTATE_BV bits 0 and 1 set (both components in use)"
    mov eax, [SIMG + 516]
    EXPECT_R eax, 0, "XSAVE: XSTATE_BV high dword 0"

    ; XSAVE with RFBM = 2: the x87 part of the legacy area is not written
    FILL_IMG IMG2, 0x240
    mov edi, IMG2 + 512
    mov ecx, 64 / 4
    xor eax, eax
    rep stosd
    mov eax, 2
    xor edx, edx
    xsave [IMG2]
    movzx eax, word [IMG2]
    EXPECT_R eax, 0x5a5a, "XSAVE RFBM=2: FCW not written"
    EXPECT_MEM IMG2 + 32, "XSAVE RFBM=2: ST0 slot not written", 0x5a5a5a5a, 0x5a5a5a5a
    EXPECT_MEM IMG2 + 160 + 16 * 5, "XSAVE RFBM=2: XMM5 written", 0xaaaaaaaa, 0xaaaaaaaa, 0xbbbbbbbb, 0xbbbbbbbb
    mov eax, [IMG2 + 24]
    EXPECT_R eax, 0x1f80, "XSAVE RFBM=2: MXCSR written"
    mov eax, [IMG2 + 512]
    and eax, 3
    EXPECT_R eax, 2, "XSAVE RFBM=2: XSTATE_BV bit 1 only"

    ; XRSTOR: XSTATE_BV[1] = 0 loads the SSE init state (XMM = 0), MXCSR from memory
    mov dword [SIMG + 512], 1
    mov dword [SIMG + 24], 0x3f80
    LDX xmm5, 1, 2
    mov eax, 3
    xor edx, edx
    xrstor [SIMG]
    EXPECT_X xmm5, 0, 0, "XRSTOR with XSTATE_BV[1]=0: XMM5 = 0"
    EXPECT_MXCSR 0x3f80, "XRSTOR: MXCSR loaded from the image (RFBM[1]=1)"
    fnstsw ax
    and eax, 0x3800
    EXPECT_R eax, 0x3800, "XRSTOR: x87 loaded (TOP=7 from the image)"
    mov dword [SIMG + 512], 3
    LDX xmm5, 1, 2
    mov eax, 1
    xor edx, edx
    xrstor [SIMG]
    EXPECT_X xmm5, 1, 2, "XRSTOR with RFBM=1: XMM5 untouched"
    mov eax, 3
    xor edx, edx
    xrstor [SIMG]
    EXPECT_X xmm5, 0xaaaaaaaaaaaaaaaa, 0xbbbbbbbbbbbbbbbb, "XRSTOR with XSTATE_BV=3: XMM5 from the image"
    fninit

    ; XSAVE/XRSTOR faults
    mov eax, 3
    xor edx, edx
    TRY
    xsave [SIMG + 0x10]
    CATCH 13, 0, "XSAVE 16- but not 64-byte aligned: #GP(0)"
    TRY
    xrstor [SIMG + 0x20]
    CATCH 13, 0, "XRSTOR not 64-byte aligned: #GP(0)"
    mov dword [SIMG + 512], 7               ; bit 2 is not in XCR0
    TRY
    xrstor [SIMG]
    CATCH 13, 0, "XRSTOR with XSTATE_BV outside XCR0: #GP(0)"
    mov dword [SIMG + 512], 3
    mov byte [SIMG + 512 + 20], 1           ; header bytes 16-63 must be 0
    TRY
    xrstor [SIMG]
    CATCH 13, 0, "XRSTOR with a reserved header byte set: #GP(0)"
    mov byte [SIMG + 512 + 20], 0
    mov dword [SIMG + 24], 0x10000
    QEMU_DEPARTS_BEGIN
    TRY
    xrstor [SIMG]
    XCATCH 13, 0, "XRSTOR with a reserved MXCSR bit: #GP(0)"
    QEMU_DEPARTS_END
    mov dword [SIMG + 24], 0x1f80
    mov eax, cr0
    or eax, 8
    mov cr0, eax
    mov eax, 3
    QEMU_DEPARTS_BEGIN
    TRY
    xsave [SIMG]
    XCATCH 7, -1, "XSAVE with CR0.TS=1: #NM"
    QEMU_DEPARTS_END
    clts
    mov eax, cr4
    and eax, ~CR4_OSXSAVE
    mov cr4, eax
    mov eax, 3
    TRY
    xsave [SIMG]
    CATCH 6, -1, "XSAVE with CR4.OSXSAVE=0: #UD"
    FINISH32

bits 16
gdt_template:
    GDT_STANDARD
gdt_template_end:

    PM_LIB
    SSE_LIB
ROM_END
