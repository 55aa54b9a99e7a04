; sse42.asm — SSE4.2 and POPCNT (SDM vol. 2 PCMPESTRI/PCMPESTRM/PCMPISTRI/
; PCMPISTRM, vol. 1 "SSE4.2 string and text instructions", PCMPGTQ, CRC32,
; POPCNT): each aggregation (equal any, ranges, equal each, equal ordered)
; in unsigned/signed byte/word formats, the four polarities, index of the
; least/most significant bit, bit and expanded masks, implicit (null) and
; explicit lengths (absolute value, saturated), the flags CF ZF SF OF (AF
; and PF cleared); memory operands need no alignment; PCMPGTQ; CRC32 (the
; CRC-32C polynomial) in its 8/16/32-bit source forms with the known check
; value crc32c("123456789") = E3069283, flags untouched; POPCNT and its
; flags. 32-bit protected mode; results follow the SDM, confirmed on a
; host CPU (AMD EPYC).
;
; qemu-differs: QEMU 7.2's PCMPESTRI gets an explicit length of 0 wrong
; (EAX=0 or EDX=0: it reports matches, where the SDM's empty string gives
; IntRes1 = 0, ECX = 16); those checks print "qemu-departs".
; qemu-cmd: qemu-system-x86_64 -cpu max
; (rawbox-args: --cpu max, once `rawbox run` takes --cpu)
%include "rom.inc"
%include "pm.inc"
%include "sse.inc"

start:
    ROM_INIT
    PUTS `sse42: SSE4.2 and POPCNT in 32-bit protected mode\n`
    NEED_CPUID1 edx, 26, "no SSE2"
    NEED_CPUID1 ecx, 20, "no SSE4.2"
    NEED_CPUID1 ecx, 23, "no POPCNT"
    SSE_DETECT_QEMU
    PM_SETUP
    PM_ENTER32 pm_start

bits 32
pm_start:
    SSE_ENABLE CR4_OSFXSR | CR4_OSXMMEXCPT
    ; ---- PCMPISTRI: imm 1:0 format, 3:2 aggregation, 5:4 polarity, 6 index of the MSB;
    ;      CF = result != 0, ZF = null in the second source, SF = null in the first, OF = bit 0 ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000756f696561, 0x0000000000000000
    LDX xmm1, 0x6f77206f6c6c6568, 0x0000000021646c72
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x00
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000001, "pcmpistri equal any ub pol 0 (0x00): ecx"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistri equal any ub pol 0 (0x00): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000756f696561, 0x0000000000000000
    LDX xmm1, 0x6f77206f6c6c6568, 0x0000000021646c72
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x40
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000007, "pcmpistri equal any ub pol 0 msb (0x40): ecx"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistri equal any ub pol 0 msb (0x40): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000756f696561, 0x0000000000000000
    LDX xmm1, 0x6f77206f6c6c6568, 0x0000000021646c72
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x10
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000000, "pcmpistri equal any ub pol 1 (0x10): ecx"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistri equal any ub pol 1 (0x10): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000756f696561, 0x0000000000000000
    LDX xmm1, 0x6f77206f6c6c6568, 0x0000000021646c72
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x20
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000001, "pcmpistri equal any ub pol 2 (0x20): ecx"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistri equal any ub pol 2 (0x20): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000756f696561, 0x0000000000000000
    LDX xmm1, 0x6f77206f6c6c6568, 0x0000000021646c72
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x30
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000000, "pcmpistri equal any ub pol 3 (0x30): ecx"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistri equal any ub pol 3 (0x30): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x006f006900650061, 0x0000000000000075
    LDX xmm1, 0x006c006c00780068, 0x0000006f0020006f
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x01
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000004, "pcmpistri equal any uw pol 0 (0x01): ecx"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistri equal any uw pol 0 (0x01): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000756f696561, 0x0000000000000000
    LDX xmm1, 0x6f77206f6c6c6568, 0x0000000021646c72
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x02
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000001, "pcmpistri equal any sb pol 0 (0x02): ecx"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistri equal any sb pol 0 (0x02): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x006f006900650061, 0x0000000000000075
    LDX xmm1, 0x006c006c00780068, 0x0000006f0020006f
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x03
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000004, "pcmpistri equal any sw pol 0 (0x03): ecx"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistri equal any sw pol 0 (0x03): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000005a417a61, 0x0000000000000000
    LDX xmm1, 0x7a21595862613231, 0x0000000000000000
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x04
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000002, "pcmpistri ranges ub pol 0 (0x04): ecx"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistri ranges ub pol 0 (0x04): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000005a417a61, 0x0000000000000000
    LDX xmm1, 0x7a21595862613231, 0x0000000000000000
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x44
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000007, "pcmpistri ranges ub pol 0 msb (0x44): ecx"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistri ranges ub pol 0 msb (0x44): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000005a417a61, 0x0000000000000000
    LDX xmm1, 0x7a21595862613231, 0x0000000000000000
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x14
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000000, "pcmpistri ranges ub pol 1 (0x14): ecx"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistri ranges ub pol 1 (0x14): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000005a417a61, 0x0000000000000000
    LDX xmm1, 0x7a21595862613231, 0x0000000000000000
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x24
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000002, "pcmpistri ranges ub pol 2 (0x24): ecx"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistri ranges ub pol 2 (0x24): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000005a417a61, 0x0000000000000000
    LDX xmm1, 0x7a21595862613231, 0x0000000000000000
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x34
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000000, "pcmpistri ranges ub pol 3 (0x34): ecx"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistri ranges ub pol 3 (0x34): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x00000000007a0061, 0x0000000000000000
    LDX xmm1, 0x0062006100320031, 0x007a0021005a0080
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x05
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000002, "pcmpistri ranges uw pol 0 (0x05): ecx"
    EXPECT_FLAGS 0x8d5, 0x081, "pcmpistri ranges uw pol 0 (0x05): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000005a417a61, 0x0000000000000000
    LDX xmm1, 0x7a21595862613231, 0x0000000000000000
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x06
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000002, "pcmpistri ranges sb pol 0 (0x06): ecx"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistri ranges sb pol 0 (0x06): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x00000000007a0061, 0x0000000000000000
    LDX xmm1, 0x0062006100320031, 0x007a0021005a0080
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x07
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000002, "pcmpistri ranges sw pol 0 (0x07): ecx"
    EXPECT_FLAGS 0x8d5, 0x081, "pcmpistri ranges sw pol 0 (0x07): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4f77206f6c6c6568, 0x0000000000646c72
    LDX xmm1, 0x6f77206f6c6c6568, 0x0000000000646c72
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x08
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000000, "pcmpistri equal each ub pol 0 (0x08): ecx"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistri equal each ub pol 0 (0x08): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4f77206f6c6c6568, 0x0000000000646c72
    LDX xmm1, 0x6f77206f6c6c6568, 0x0000000000646c72
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x48
    SAVE_FLAGS
    EXPECT_R ecx, 0x0000000f, "pcmpistri equal each ub pol 0 msb (0x48): ecx"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistri equal each ub pol 0 msb (0x48): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4f77206f6c6c6568, 0x0000000000646c72
    LDX xmm1, 0x6f77206f6c6c6568, 0x0000000000646c72
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x18
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000007, "pcmpistri equal each ub pol 1 (0x18): ecx"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistri equal each ub pol 1 (0x18): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4f77206f6c6c6568, 0x0000000000646c72
    LDX xmm1, 0x6f77206f6c6c6568, 0x0000000000646c72
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x28
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000000, "pcmpistri equal each ub pol 2 (0x28): ecx"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistri equal each ub pol 2 (0x28): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4f77206f6c6c6568, 0x0000000000646c72
    LDX xmm1, 0x6f77206f6c6c6568, 0x0000000000646c72
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x38
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000007, "pcmpistri equal each ub pol 3 (0x38): ecx"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistri equal each ub pol 3 (0x38): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0064006300620061, 0x0000000000000000
    LDX xmm1, 0x0064005800620061, 0x0000000000000000
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x09
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000000, "pcmpistri equal each uw pol 0 (0x09): ecx"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistri equal each uw pol 0 (0x09): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4f77206f6c6c6568, 0x0000000000646c72
    LDX xmm1, 0x6f77206f6c6c6568, 0x0000000000646c72
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x0a
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000000, "pcmpistri equal each sb pol 0 (0x0a): ecx"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistri equal each sb pol 0 (0x0a): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0064006300620061, 0x0000000000000000
    LDX xmm1, 0x0064005800620061, 0x0000000000000000
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x0b
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000000, "pcmpistri equal each sw pol 0 (0x0b): ecx"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistri equal each sw pol 0 (0x0b): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000006f6c, 0x0000000000000000
    LDX xmm1, 0x6f77206f6c6c6568, 0x00006f6c20646c72
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x0c
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000003, "pcmpistri equal ordered ub pol 0 (0x0c): ecx"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistri equal ordered ub pol 0 (0x0c): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000006f6c, 0x0000000000000000
    LDX xmm1, 0x6f77206f6c6c6568, 0x00006f6c20646c72
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x4c
    SAVE_FLAGS
    EXPECT_R ecx, 0x0000000c, "pcmpistri equal ordered ub pol 0 msb (0x4c): ecx"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistri equal ordered ub pol 0 msb (0x4c): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000006f6c, 0x0000000000000000
    LDX xmm1, 0x6f77206f6c6c6568, 0x00006f6c20646c72
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x1c
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000000, "pcmpistri equal ordered ub pol 1 (0x1c): ecx"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistri equal ordered ub pol 1 (0x1c): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000006f6c, 0x0000000000000000
    LDX xmm1, 0x6f77206f6c6c6568, 0x00006f6c20646c72
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x2c
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000003, "pcmpistri equal ordered ub pol 2 (0x2c): ecx"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistri equal ordered ub pol 2 (0x2c): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000006f6c, 0x0000000000000000
    LDX xmm1, 0x6f77206f6c6c6568, 0x00006f6c20646c72
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x3c
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000000, "pcmpistri equal ordered ub pol 3 (0x3c): ecx"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistri equal ordered ub pol 3 (0x3c): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x00000000006f006c, 0x0000000000000000
    LDX xmm1, 0x006f006c006f006c, 0x000000000000006c
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x0d
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000000, "pcmpistri equal ordered uw pol 0 (0x0d): ecx"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistri equal ordered uw pol 0 (0x0d): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000006f6c, 0x0000000000000000
    LDX xmm1, 0x6f77206f6c6c6568, 0x00006f6c20646c72
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x0e
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000003, "pcmpistri equal ordered sb pol 0 (0x0e): ecx"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistri equal ordered sb pol 0 (0x0e): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x00000000006f006c, 0x0000000000000000
    LDX xmm1, 0x006f006c006f006c, 0x000000000000006c
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x0f
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000000, "pcmpistri equal ordered sw pol 0 (0x0f): ecx"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistri equal ordered sw pol 0 (0x0f): flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000007f80, 0x0000000000000000
    LDX xmm1, 0x0000000000000090, 0x0000000000000000
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x14
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000000, "pcmpistri ranges ub: 80..7f empty unsigned: ecx"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistri ranges ub: 80..7f empty unsigned: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000007f80, 0x0000000000000000
    LDX xmm1, 0x00000000817f1090, 0x0000000000000000
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x16
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000004, "pcmpistri ranges sb: 80..7f all signed: ecx"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistri ranges sb: 80..7f all signed: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000636261, 0x0000000000000000
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x00
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000010, "pcmpistri empty second source: ecx"
    EXPECT_FLAGS 0x8d5, 0x0c0, "pcmpistri empty second source: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x08
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000000, "pcmpistri equal each, both empty: ecx"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistri equal each, both empty: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x0000000000636261, 0x0000000000000000
    mov ecx, 0x5555
    pcmpistri xmm0, xmm1, 0x0c
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000000, "pcmpistri equal ordered, empty needle matches everywhere: ecx"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistri equal ordered, empty needle matches everywhere: flags"
    ; ---- PCMPESTRI: explicit lengths in EAX and EDX (absolute value, saturated to 16 or 8) ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x007800756f696561, 0x0000000000000000
    LDX xmm1, 0x6f77006f6c6c7868, 0x2161612100646c72
    mov eax, 0x3
    mov ecx, 0x5555
    mov edx, 0xc
    pcmpestri xmm0, xmm1, 0x00
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000010, "pcmpestri equal any ub eax 3 edx 12: ecx"
    EXPECT_FLAGS 0x8d5, 0x0c0, "pcmpestri equal any ub eax 3 edx 12: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x007800756f696561, 0x0000000000000000
    LDX xmm1, 0x6f77006f6c6c7868, 0x2161612100646c72
    mov eax, 0xfffffffd
    mov ecx, 0x5555
    mov edx, 0x64
    pcmpestri xmm0, xmm1, 0x00
    SAVE_FLAGS
    EXPECT_R ecx, 0x0000000d, "pcmpestri equal any ub eax -3 edx 100: ecx"
    EXPECT_FLAGS 0x8d5, 0x081, "pcmpestri equal any ub eax -3 edx 100: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x007800756f696561, 0x0000000000000000
    LDX xmm1, 0x6f77006f6c6c7868, 0x2161612100646c72
    mov eax, 0x11
    mov ecx, 0x5555
    mov edx, 0x5
    pcmpestri xmm0, xmm1, 0x00
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000001, "pcmpestri equal any ub eax 17 edx 5: ecx"
    EXPECT_FLAGS 0x8d5, 0x041, "pcmpestri equal any ub eax 17 edx 5: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x007800756f696561, 0x0000000000000000
    LDX xmm1, 0x6f77006f6c6c7868, 0x2161612100646c72
    mov ecx, 0x5555
    mov edx, 0x10
    pcmpestri xmm0, xmm1, 0x00
    SAVE_FLAGS
    QEMU_DEPARTS_BEGIN
    EXPECT_R ecx, 0x00000010, "pcmpestri equal any ub eax 0 edx 16: ecx"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_FLAGS 0x8d5, 0x080, "pcmpestri equal any ub eax 0 edx 16: flags"
    QEMU_DEPARTS_END
    SET_MXCSR 0x1f80
    LDX xmm0, 0x007800756f696561, 0x0000000000000000
    LDX xmm1, 0x6f77006f6c6c7868, 0x2161612100646c72
    mov eax, 0x5
    mov ecx, 0x5555
    pcmpestri xmm0, xmm1, 0x00
    SAVE_FLAGS
    QEMU_DEPARTS_BEGIN
    EXPECT_R ecx, 0x00000010, "pcmpestri equal any ub eax 5 edx 0: ecx"
    QEMU_DEPARTS_END
    QEMU_DEPARTS_BEGIN
    EXPECT_FLAGS 0x8d5, 0x0c0, "pcmpestri equal any ub eax 5 edx 0: flags"
    QEMU_DEPARTS_END
    SET_MXCSR 0x1f80
    LDX xmm0, 0x007800756f696561, 0x0000000000000000
    LDX xmm1, 0x6f77006f6c6c7868, 0x2161612100646c72
    mov eax, 0x80000000
    mov ecx, 0x5555
    mov edx, 0x4
    pcmpestri xmm0, xmm1, 0x00
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000001, "pcmpestri equal any ub eax 2147483648 edx 4: ecx"
    EXPECT_FLAGS 0x8d5, 0x041, "pcmpestri equal any ub eax 2147483648 edx 4: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x00000000006f006c, 0x0000000000000000
    LDX xmm1, 0x006f006c006f006c, 0x006c006f006c0000
    mov eax, 0x2
    mov ecx, 0x5555
    mov edx, 0x8
    pcmpestri xmm0, xmm1, 0x0d
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000000, "pcmpestri equal ordered uw eax 2 edx 8: ecx"
    EXPECT_FLAGS 0x8d5, 0x881, "pcmpestri equal ordered uw eax 2 edx 8: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x00000000006f006c, 0x0000000000000000
    LDX xmm1, 0x006f006c006f006c, 0x006c006f006c0000
    mov eax, 0x2
    mov ecx, 0x5555
    mov edx, 0x3
    pcmpestri xmm0, xmm1, 0x0d
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000000, "pcmpestri equal ordered uw eax 2 edx 3: ecx"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpestri equal ordered uw eax 2 edx 3: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x00000000006f006c, 0x0000000000000000
    LDX xmm1, 0x006f006c006f006c, 0x006c006f006c0000
    mov eax, 0xfffffff7
    mov ecx, 0x5555
    mov edx, 0x9
    pcmpestri xmm0, xmm1, 0x0d
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000007, "pcmpestri equal ordered uw eax -9 edx 9: ecx"
    EXPECT_FLAGS 0x8d5, 0x001, "pcmpestri equal ordered uw eax -9 edx 9: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000006f6c6c6568, 0x0000000000000000
    LDX xmm1, 0x000000786c6c6568, 0x0000000000000000
    mov eax, 0x5
    mov ecx, 0x5555
    mov edx, 0x7
    pcmpestri xmm0, xmm1, 0x18
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000004, "pcmpestri equal each ub, polarity -: ecx"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpestri equal each ub, polarity -: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000006f6c6c6568, 0x0000000000000000
    LDX xmm1, 0x000000786c6c6568, 0x0000000000000000
    mov eax, 0x5
    mov ecx, 0x5555
    mov edx, 0x7
    pcmpestri xmm0, xmm1, 0x38
    SAVE_FLAGS
    EXPECT_R ecx, 0x00000004, "pcmpestri equal each ub, masked -: ecx"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpestri equal each ub, masked -: flags"
    ; ---- PCMPISTRM / PCMPESTRM: the mask in XMM0, bit mask or expanded (imm bit 6) ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000756f696561, 0x0000000000000000
    LDX xmm1, 0x6f77206f6c6c6568, 0x0000000021646c72
    pcmpistrm xmm0, xmm1, 0x00
    SAVE_FLAGS
    EXPECT_X xmm0, 0x0000000000000092, 0x0000000000000000, "pcmpistrm 0x00"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistrm 0x00: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000756f696561, 0x0000000000000000
    LDX xmm1, 0x6f77206f6c6c6568, 0x0000000021646c72
    pcmpistrm xmm0, xmm1, 0x40
    SAVE_FLAGS
    EXPECT_X xmm0, 0xff0000ff0000ff00, 0x0000000000000000, "pcmpistrm 0x40"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistrm 0x40: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000005a417a61, 0x0000000000000000
    LDX xmm1, 0x7a21595862613231, 0x0000000000000000
    pcmpistrm xmm0, xmm1, 0x04
    SAVE_FLAGS
    EXPECT_X xmm0, 0x00000000000000bc, 0x0000000000000000, "pcmpistrm 0x04"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistrm 0x04: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000005a417a61, 0x0000000000000000
    LDX xmm1, 0x7a21595862613231, 0x0000000000000000
    pcmpistrm xmm0, xmm1, 0x44
    SAVE_FLAGS
    EXPECT_X xmm0, 0xff00ffffffff0000, 0x0000000000000000, "pcmpistrm 0x44"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistrm 0x44: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4f77206f6c6c6568, 0x0000000000646c72
    LDX xmm1, 0x6f77206f6c6c6568, 0x0000000000646c72
    pcmpistrm xmm0, xmm1, 0x08
    SAVE_FLAGS
    EXPECT_X xmm0, 0x000000000000ff7f, 0x0000000000000000, "pcmpistrm 0x08"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistrm 0x08: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4f77206f6c6c6568, 0x0000000000646c72
    LDX xmm1, 0x6f77206f6c6c6568, 0x0000000000646c72
    pcmpistrm xmm0, xmm1, 0x48
    SAVE_FLAGS
    EXPECT_X xmm0, 0x00ffffffffffffff, 0xffffffffffffffff, "pcmpistrm 0x48"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistrm 0x48: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000006f6c, 0x0000000000000000
    LDX xmm1, 0x6f77206f6c6c6568, 0x00006f6c20646c72
    pcmpistrm xmm0, xmm1, 0x0c
    SAVE_FLAGS
    EXPECT_X xmm0, 0x0000000000001008, 0x0000000000000000, "pcmpistrm 0x0c"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistrm 0x0c: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000006f6c, 0x0000000000000000
    LDX xmm1, 0x6f77206f6c6c6568, 0x00006f6c20646c72
    pcmpistrm xmm0, xmm1, 0x4c
    SAVE_FLAGS
    EXPECT_X xmm0, 0x00000000ff000000, 0x000000ff00000000, "pcmpistrm 0x4c"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistrm 0x4c: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x006f006900650061, 0x0000000000000075
    LDX xmm1, 0x006c006c00780068, 0x0000006f0020006f
    pcmpistrm xmm0, xmm1, 0x01
    SAVE_FLAGS
    EXPECT_X xmm0, 0x0000000000000050, 0x0000000000000000, "pcmpistrm 0x01"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistrm 0x01: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x006f006900650061, 0x0000000000000075
    LDX xmm1, 0x006c006c00780068, 0x0000006f0020006f
    pcmpistrm xmm0, xmm1, 0x41
    SAVE_FLAGS
    EXPECT_X xmm0, 0x0000000000000000, 0x0000ffff0000ffff, "pcmpistrm 0x41"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpistrm 0x41: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x00000000006f006c, 0x0000000000000000
    LDX xmm1, 0x006f006c006f006c, 0x000000000000006c
    pcmpistrm xmm0, xmm1, 0x4d
    SAVE_FLAGS
    EXPECT_X xmm0, 0x0000ffff0000ffff, 0x0000000000000000, "pcmpistrm 0x4d"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistrm 0x4d: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000005a417a61, 0x0000000000000000
    LDX xmm1, 0x7a21595862613231, 0x0000000000000000
    pcmpistrm xmm0, xmm1, 0x34
    SAVE_FLAGS
    EXPECT_X xmm0, 0x0000000000000043, 0x0000000000000000, "pcmpistrm 0x34"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistrm 0x34: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000005a417a61, 0x0000000000000000
    LDX xmm1, 0x7a21595862613231, 0x0000000000000000
    pcmpistrm xmm0, xmm1, 0x74
    SAVE_FLAGS
    EXPECT_X xmm0, 0x00ff00000000ffff, 0x0000000000000000, "pcmpistrm 0x74"
    EXPECT_FLAGS 0x8d5, 0x8c1, "pcmpistrm 0x74: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000756f696561, 0x0000000000000000
    LDX xmm1, 0x6f77206f6c6c6568, 0x0000000021646c72
    mov eax, 0x4
    mov edx, 0xb
    pcmpestrm xmm0, xmm1, 0x00
    SAVE_FLAGS
    EXPECT_X xmm0, 0x0000000000000092, 0x0000000000000000, "pcmpestrm 0x00 eax 4 edx 11"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpestrm 0x00 eax 4 edx 11: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000756f696561, 0x0000000000000000
    LDX xmm1, 0x6f77206f6c6c6568, 0x0000000021646c72
    mov eax, 0x4
    mov edx, 0xb
    pcmpestrm xmm0, xmm1, 0x40
    SAVE_FLAGS
    EXPECT_X xmm0, 0xff0000ff0000ff00, 0x0000000000000000, "pcmpestrm 0x40 eax 4 edx 11"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpestrm 0x40 eax 4 edx 11: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000006f6c, 0x0000000000000000
    LDX xmm1, 0x6f77206f6c6c6568, 0x00006f6c20646c72
    mov eax, 0x4
    mov edx, 0xb
    pcmpestrm xmm0, xmm1, 0x0c
    SAVE_FLAGS
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "pcmpestrm 0x0c eax 4 edx 11"
    EXPECT_FLAGS 0x8d5, 0x0c0, "pcmpestrm 0x0c eax 4 edx 11: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x4f77206f6c6c6568, 0x0000000000646c72
    LDX xmm1, 0x6f77206f6c6c6568, 0x0000000000646c72
    mov eax, 0x4
    mov edx, 0xb
    pcmpestrm xmm0, xmm1, 0x1a
    SAVE_FLAGS
    EXPECT_X xmm0, 0x00000000000007f0, 0x0000000000000000, "pcmpestrm 0x1a eax 4 edx 11"
    EXPECT_FLAGS 0x8d5, 0x0c1, "pcmpestrm 0x1a eax 4 edx 11: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0064006300620061, 0x0000000000000000
    LDX xmm1, 0x0064005800620061, 0x0000000000000000
    mov eax, 0x4
    mov edx, 0xb
    pcmpestrm xmm0, xmm1, 0x5b
    SAVE_FLAGS
    EXPECT_X xmm0, 0x0000ffff00000000, 0xffffffffffffffff, "pcmpestrm 0x5b eax 4 edx 11"
    EXPECT_FLAGS 0x8d5, 0x081, "pcmpestrm 0x5b eax 4 edx 11: flags"
    ; ---- PCMPGTQ (signed) ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000001, 0x8000000000000000
    LDX xmm1, 0xffffffffffffffff, 0x7fffffffffffffff
    pcmpgtq xmm0, xmm1
    EXPECT_X xmm0, 0xffffffffffffffff, 0x0000000000000000, "pcmpgtq xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000005, 0x7fffffffffffffff
    LDX xmm1, 0x0000000000000005, 0x8000000000000000
    pcmpgtq xmm0, xmm1
    EXPECT_X xmm0, 0x0000000000000000, 0xffffffffffffffff, "pcmpgtq equal and extreme"
    ; ---- CRC32 (CRC-32C, reflected polynomial 82F63B78), register forms ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x0
    mov ecx, 0x31
    crc32 eax, cl
    EXPECT_R eax, 0xc288cab2, "crc32 eax, cl: eax"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0xffffffff
    mov ecx, 0x31
    crc32 eax, cl
    EXPECT_R eax, 0x6f0a661c, "crc32 eax, cl from FFFFFFFF: eax"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x12345678
    mov ecx, 0xabcd
    crc32 eax, cx
    EXPECT_R eax, 0xaae32043, "crc32 eax, cx: eax"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x12345678
    mov ecx, 0xdeadbeef
    crc32 eax, ecx
    EXPECT_R eax, 0xf3ed4b20, "crc32 eax, ecx: eax"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x0
    mov ecx, 0x0
    crc32 eax, ecx
    EXPECT_R eax, 0x00000000, "crc32 eax, ecx zero: eax"
    ; ---- POPCNT: ZF = (source == 0), CF OF SF AF PF cleared ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x5555
    mov ecx, 0x0
    popcnt eax, ecx
    SAVE_FLAGS
    EXPECT_R eax, 0x00000000, "popcnt 0x0: eax"
    EXPECT_FLAGS 0x8d5, 0x040, "popcnt 0x0: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x5555
    mov ecx, 0x1
    popcnt eax, ecx
    SAVE_FLAGS
    EXPECT_R eax, 0x00000001, "popcnt 0x1: eax"
    EXPECT_FLAGS 0x8d5, 0x000, "popcnt 0x1: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x5555
    mov ecx, 0xffffffff
    popcnt eax, ecx
    SAVE_FLAGS
    EXPECT_R eax, 0x00000020, "popcnt 0xffffffff: eax"
    EXPECT_FLAGS 0x8d5, 0x000, "popcnt 0xffffffff: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x5555
    mov ecx, 0x80000001
    popcnt eax, ecx
    SAVE_FLAGS
    EXPECT_R eax, 0x00000002, "popcnt 0x80000001: eax"
    EXPECT_FLAGS 0x8d5, 0x000, "popcnt 0x80000001: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x5555
    mov ecx, 0x12345678
    popcnt eax, ecx
    SAVE_FLAGS
    EXPECT_R eax, 0x0000000d, "popcnt 0x12345678: eax"
    EXPECT_FLAGS 0x8d5, 0x000, "popcnt 0x12345678: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x55555555
    mov ecx, 0xffff8001
    popcnt ax, cx
    SAVE_FLAGS
    EXPECT_R eax, 0x55550002, "popcnt ax, cx keeps eax 31:16: eax"
    EXPECT_FLAGS 0x8d5, 0x000, "popcnt ax, cx keeps eax 31:16: flags"
    ; ---- CRC32: the CRC-32C check value, byte by byte and in wider pieces ----
    mov esi, 0xF0000 + crc_digits
    mov eax, 0xffffffff
    mov ecx, 9
.crc_bytes:
    crc32 eax, byte [esi]
    inc esi
    loop .crc_bytes
    not eax
    EXPECT_R eax, 0xe3069283, "crc32c('123456789') byte by byte = E3069283"
    mov esi, 0xF0000 + crc_digits
    mov eax, 0xffffffff
    crc32 eax, dword [esi]
    crc32 eax, word [esi + 4]
    crc32 eax, word [esi + 6]
    crc32 eax, byte [esi + 8]
    not eax
    EXPECT_R eax, 0xe3069283, "crc32c('123456789') from m32, m16, m16, m8"
    mov eax, 0xffffffff
    mov ebx, [esi + 3]
    mov edx, [esi]
    crc32 eax, edx
    mov edx, [esi + 4]
    crc32 eax, edx
    mov dl, [esi + 8]
    crc32 eax, dl
    not eax
    EXPECT_R eax, 0xe3069283, "crc32c('123456789') from r32, r32, r8"
    mov eax, 0x12345678
    stc
    mov ecx, 0xffffffff
    xor ecx, 0x7fffffff             ; SF=1, ZF=0, PF... CF=0: set known flags next
    stc
    crc32 eax, ecx
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x085, "CRC32 leaves the flags alone (CF=1 PF=1 SF=1 stay)"

    ; ---- memory operands of PCMPxSTRx need no alignment; POPCNT m32 ----
    LDX xmm1, 0x6f77206f6c6c6568, 0x21646c72        ; "hello world!"
    movdqu [SBUF + 0x203], xmm1
    LDX xmm0, 0x00000000756f6965, 0                 ; "eiou": no 'a'
    pcmpistri xmm0, [SBUF + 0x203], 0x00
    EXPECT_R ecx, 1, "PCMPISTRI xmm, m128 misaligned: 'e' at index 1"
    mov eax, 4
    mov edx, 16
    pcmpestri xmm0, [SBUF + 0x204], 0x40
    EXPECT_R ecx, 6, "PCMPESTRI xmm, m128 misaligned, MSB index: 'o' at 6 (of 'ello world!')"
    mov dword [SBUF + 0x301], 0xf0f0f0f1
    popcnt ecx, [SBUF + 0x301]
    EXPECT_R ecx, 17, "POPCNT r32, m32 misaligned"
    FINISH32

crc_digits: db "123456789"

bits 16
gdt_template:
    GDT_STANDARD
gdt_template_end:

    PM_LIB
    SSE_LIB
ROM_END
