; sse41.asm — SSE4.1 (SDM vol. 2 pages): PMOVSX/PMOVZX, PMULLD/PMULDQ,
; PMIN/PMAX (SB SD UW UD), PACKUSDW, PCMPEQQ, PBLENDW/BLENDPS/BLENDPD and
; the variable blends with the implicit XMM0 mask, PTEST flags, ROUNDPS/PD/
; SS/SD in each mode with imm bit 2 (MXCSR.RC) and bit 3 (no PE), SNaN
; quieting with IE, DPPS/DPPD masks, INSERTPS (register and memory forms,
; zero mask), EXTRACTPS, PINSRB/D, PEXTRB/D (immediates taken modulo the
; lane count), MPSADBW, PHMINPOSUW, MOVNTDQA (aligned memory only).
; 32-bit protected mode; results, flags and MXCSR follow the SDM,
; confirmed on a host CPU (AMD EPYC).
;
; qemu-differs: QEMU 7.2 does not check the alignment of the m128 operand
; of PTEST and ROUNDPS (SDM and host CPU: #GP(0)); those 2 checks print
; "qemu-departs".
; qemu-cmd: qemu-system-x86_64 -cpu max
; (rawbox-args: --cpu max, once `rawbox run` takes --cpu)
%include "rom.inc"
%include "pm.inc"
%include "sse.inc"

start:
    ROM_INIT
    PUTS `sse41: SSE4.1 in 32-bit protected mode\n`
    NEED_CPUID1 edx, 26, "no SSE2"
    NEED_CPUID1 ecx, 19, "no SSE4.1"
    SSE_DETECT_QEMU
    PM_SETUP
    PM_ENTER32 pm_start

bits 32
pm_start:
    SSE_ENABLE CR4_OSFXSR | CR4_OSXMMEXCPT
    ; ---- PMOVSX / PMOVZX ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffffffffffffffff, 0xffffffffffffffff
    LDX xmm1, 0x4081fe0001ff7f80, 0x8877665544332211
    pmovsxbw xmm0, xmm1
    EXPECT_X xmm0, 0x0001ffff007fff80, 0x0040ff81fffe0000, "pmovsxbw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffffffffffffffff, 0xffffffffffffffff
    LDX xmm1, 0x4081fe0001ff7f80, 0x8877665544332211
    pmovsxbd xmm0, xmm1
    EXPECT_X xmm0, 0x0000007fffffff80, 0x00000001ffffffff, "pmovsxbd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffffffffffffffff, 0xffffffffffffffff
    LDX xmm1, 0x4081fe0001ff7f80, 0x8877665544332211
    pmovsxbq xmm0, xmm1
    EXPECT_X xmm0, 0xffffffffffffff80, 0x000000000000007f, "pmovsxbq xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffffffffffffffff, 0xffffffffffffffff
    LDX xmm1, 0x4081fe0001ff7f80, 0x8877665544332211
    pmovsxwd xmm0, xmm1
    EXPECT_X xmm0, 0x000001ff00007f80, 0x00004081fffffe00, "pmovsxwd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffffffffffffffff, 0xffffffffffffffff
    LDX xmm1, 0x4081fe0001ff7f80, 0x8877665544332211
    pmovsxwq xmm0, xmm1
    EXPECT_X xmm0, 0x0000000000007f80, 0x00000000000001ff, "pmovsxwq xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffffffffffffffff, 0xffffffffffffffff
    LDX xmm1, 0x4081fe0001ff7f80, 0x8877665544332211
    pmovsxdq xmm0, xmm1
    EXPECT_X xmm0, 0x0000000001ff7f80, 0x000000004081fe00, "pmovsxdq xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffffffffffffffff, 0xffffffffffffffff
    LDX xmm1, 0x4081fe0001ff7f80, 0x8877665544332211
    pmovzxbw xmm0, xmm1
    EXPECT_X xmm0, 0x000100ff007f0080, 0x0040008100fe0000, "pmovzxbw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffffffffffffffff, 0xffffffffffffffff
    LDX xmm1, 0x4081fe0001ff7f80, 0x8877665544332211
    pmovzxbd xmm0, xmm1
    EXPECT_X xmm0, 0x0000007f00000080, 0x00000001000000ff, "pmovzxbd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffffffffffffffff, 0xffffffffffffffff
    LDX xmm1, 0x4081fe0001ff7f80, 0x8877665544332211
    pmovzxbq xmm0, xmm1
    EXPECT_X xmm0, 0x0000000000000080, 0x000000000000007f, "pmovzxbq xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffffffffffffffff, 0xffffffffffffffff
    LDX xmm1, 0x4081fe0001ff7f80, 0x8877665544332211
    pmovzxwd xmm0, xmm1
    EXPECT_X xmm0, 0x000001ff00007f80, 0x000040810000fe00, "pmovzxwd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffffffffffffffff, 0xffffffffffffffff
    LDX xmm1, 0x4081fe0001ff7f80, 0x8877665544332211
    pmovzxwq xmm0, xmm1
    EXPECT_X xmm0, 0x0000000000007f80, 0x00000000000001ff, "pmovzxwq xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffffffffffffffff, 0xffffffffffffffff
    LDX xmm1, 0x4081fe0001ff7f80, 0x8877665544332211
    pmovzxdq xmm0, xmm1
    EXPECT_X xmm0, 0x0000000001ff7f80, 0x000000004081fe00, "pmovzxdq xmm0, xmm1"
    ; ---- multiplies, min/max, PACKUSDW, PCMPEQQ ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7fffffff80000000, 0x12345678ffffffff
    LDX xmm1, 0x7fffffff00000002, 0x9abcdef080000000
    pmulld xmm0, xmm1
    EXPECT_X xmm0, 0x0000000100000000, 0x242d208080000000, "pmulld xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7fffffff80000000, 0x12345678ffffffff
    LDX xmm1, 0x7fffffff00000002, 0x9abcdef080000000
    pmuldq xmm0, xmm1
    EXPECT_X xmm0, 0xffffffff00000000, 0x0000000080000000, "pmuldq xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7fffffff80000000, 0x12345678ffffffff
    LDX xmm1, 0x7fffffff00000002, 0x9abcdef080000000
    pminsd xmm0, xmm1
    EXPECT_X xmm0, 0x7fffffff80000000, 0x9abcdef080000000, "pminsd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7fffffff80000000, 0x12345678ffffffff
    LDX xmm1, 0x7fffffff00000002, 0x9abcdef080000000
    pmaxsd xmm0, xmm1
    EXPECT_X xmm0, 0x7fffffff00000002, 0x12345678ffffffff, "pmaxsd xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7fffffff80000000, 0x12345678ffffffff
    LDX xmm1, 0x7fffffff00000002, 0x9abcdef080000000
    pminud xmm0, xmm1
    EXPECT_X xmm0, 0x7fffffff00000002, 0x1234567880000000, "pminud xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7fffffff80000000, 0x12345678ffffffff
    LDX xmm1, 0x7fffffff00000002, 0x9abcdef080000000
    pmaxud xmm0, xmm1
    EXPECT_X xmm0, 0x7fffffff80000000, 0x9abcdef0ffffffff, "pmaxud xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7fffffff80000000, 0x12345678ffffffff
    LDX xmm1, 0x7fffffff00000002, 0x9abcdef080000000
    pminsb xmm0, xmm1
    EXPECT_X xmm0, 0x7fffffff80000000, 0x9abcdef080ffffff, "pminsb xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7fffffff80000000, 0x12345678ffffffff
    LDX xmm1, 0x7fffffff00000002, 0x9abcdef080000000
    pmaxsb xmm0, xmm1
    EXPECT_X xmm0, 0x7fffffff00000002, 0x12345678ff000000, "pmaxsb xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7fffffff80000000, 0x12345678ffffffff
    LDX xmm1, 0x7fffffff00000002, 0x9abcdef080000000
    pminuw xmm0, xmm1
    EXPECT_X xmm0, 0x7fffffff00000000, 0x1234567880000000, "pminuw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7fffffff80000000, 0x12345678ffffffff
    LDX xmm1, 0x7fffffff00000002, 0x9abcdef080000000
    pmaxuw xmm0, xmm1
    EXPECT_X xmm0, 0x7fffffff80000002, 0x9abcdef0ffffffff, "pmaxuw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7fffffff80000000, 0x12345678ffffffff
    LDX xmm1, 0x7fffffff00000002, 0x9abcdef080000000
    packusdw xmm0, xmm1
    EXPECT_X xmm0, 0xffff0000ffff0000, 0x00000000ffff0002, "packusdw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7fffffff80000000, 0x12345678ffffffff
    LDX xmm1, 0x7fffffff00000002, 0x9abcdef080000000
    pcmpeqq xmm0, xmm1
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "pcmpeqq xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000ffff00010000, 0x7fffffffffffffff
    LDX xmm1, 0x8000000000008000, 0x0001234500000001
    packusdw xmm0, xmm1
    EXPECT_X xmm0, 0xffff0000ffffffff, 0xffff000100008000, "packusdw saturation"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000005, 0x8000000000000000
    LDX xmm1, 0x0000000000000005, 0x0000000000000000
    pcmpeqq xmm0, xmm1
    EXPECT_X xmm0, 0xffffffffffffffff, 0x0000000000000000, "pcmpeqq mixed"
    ; ---- blends ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0xa1a1a1a1a0a0a0a0, 0xa3a3a3a3a2a2a2a2
    LDX xmm1, 0xb1b1b1b1b0b0b0b0, 0xb3b3b3b3b2b2b2b2
    pblendw xmm0, xmm1, 0x00
    EXPECT_X xmm0, 0xa1a1a1a1a0a0a0a0, 0xa3a3a3a3a2a2a2a2, "pblendw xmm0, xmm1, 0x00"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xa1a1a1a1a0a0a0a0, 0xa3a3a3a3a2a2a2a2
    LDX xmm1, 0xb1b1b1b1b0b0b0b0, 0xb3b3b3b3b2b2b2b2
    pblendw xmm0, xmm1, 0xa5
    EXPECT_X xmm0, 0xa1a1b1b1a0a0b0b0, 0xb3b3a3a3b2b2a2a2, "pblendw xmm0, xmm1, 0xa5"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xa1a1a1a1a0a0a0a0, 0xa3a3a3a3a2a2a2a2
    LDX xmm1, 0xb1b1b1b1b0b0b0b0, 0xb3b3b3b3b2b2b2b2
    pblendw xmm0, xmm1, 0xff
    EXPECT_X xmm0, 0xb1b1b1b1b0b0b0b0, 0xb3b3b3b3b2b2b2b2, "pblendw xmm0, xmm1, 0xff"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xa1a1a1a1a0a0a0a0, 0xa3a3a3a3a2a2a2a2
    LDX xmm1, 0xb1b1b1b1b0b0b0b0, 0xb3b3b3b3b2b2b2b2
    pblendw xmm0, xmm1, 0x3c
    EXPECT_X xmm0, 0xb1b1b1b1a0a0a0a0, 0xa3a3a3a3b2b2b2b2, "pblendw xmm0, xmm1, 0x3c"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xa1a1a1a1a0a0a0a0, 0xa3a3a3a3a2a2a2a2
    LDX xmm1, 0xb1b1b1b1b0b0b0b0, 0xb3b3b3b3b2b2b2b2
    blendps xmm0, xmm1, 0x0
    EXPECT_X xmm0, 0xa1a1a1a1a0a0a0a0, 0xa3a3a3a3a2a2a2a2, "blendps xmm0, xmm1, 0x0"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xa1a1a1a1a0a0a0a0, 0xa3a3a3a3a2a2a2a2
    LDX xmm1, 0xb1b1b1b1b0b0b0b0, 0xb3b3b3b3b2b2b2b2
    blendps xmm0, xmm1, 0x5
    EXPECT_X xmm0, 0xa1a1a1a1b0b0b0b0, 0xa3a3a3a3b2b2b2b2, "blendps xmm0, xmm1, 0x5"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xa1a1a1a1a0a0a0a0, 0xa3a3a3a3a2a2a2a2
    LDX xmm1, 0xb1b1b1b1b0b0b0b0, 0xb3b3b3b3b2b2b2b2
    blendps xmm0, xmm1, 0xa
    EXPECT_X xmm0, 0xb1b1b1b1a0a0a0a0, 0xb3b3b3b3a2a2a2a2, "blendps xmm0, xmm1, 0xa"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xa1a1a1a1a0a0a0a0, 0xa3a3a3a3a2a2a2a2
    LDX xmm1, 0xb1b1b1b1b0b0b0b0, 0xb3b3b3b3b2b2b2b2
    blendps xmm0, xmm1, 0xf
    EXPECT_X xmm0, 0xb1b1b1b1b0b0b0b0, 0xb3b3b3b3b2b2b2b2, "blendps xmm0, xmm1, 0xf"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xa1a1a1a1a0a0a0a0, 0xa3a3a3a3a2a2a2a2
    LDX xmm1, 0xb1b1b1b1b0b0b0b0, 0xb3b3b3b3b2b2b2b2
    blendpd xmm0, xmm1, 1
    EXPECT_X xmm0, 0xb1b1b1b1b0b0b0b0, 0xa3a3a3a3a2a2a2a2, "blendpd xmm0, xmm1, 1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xa1a1a1a1a0a0a0a0, 0xa3a3a3a3a2a2a2a2
    LDX xmm1, 0xb1b1b1b1b0b0b0b0, 0xb3b3b3b3b2b2b2b2
    blendpd xmm0, xmm1, 2
    EXPECT_X xmm0, 0xa1a1a1a1a0a0a0a0, 0xb3b3b3b3b2b2b2b2, "blendpd xmm0, xmm1, 2"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x00008000ff7f0080, 0x8000000080000000
    LDX xmm1, 0xa1a1a1a1a0a0a0a0, 0xa3a3a3a3a2a2a2a2
    LDX xmm2, 0xb1b1b1b1b0b0b0b0, 0xb3b3b3b3b2b2b2b2
    pblendvb xmm1, xmm2
    EXPECT_X xmm1, 0xa1a1b1a1b0a0a0b0, 0xb3a3a3a3b2a2a2a2, "pblendvb (mask xmm0, bit 7 of each byte): xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7fffffff80000000, 0x00000000ffffffff
    LDX xmm1, 0xa1a1a1a1a0a0a0a0, 0xa3a3a3a3a2a2a2a2
    LDX xmm2, 0xb1b1b1b1b0b0b0b0, 0xb3b3b3b3b2b2b2b2
    blendvps xmm1, xmm2
    EXPECT_X xmm1, 0xa1a1a1a1b0b0b0b0, 0xa3a3a3a3b2b2b2b2, "blendvps (mask xmm0 sign bits): xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x7fffffffffffffff, 0x8000000000000000
    LDX xmm1, 0xa1a1a1a1a0a0a0a0, 0xa3a3a3a3a2a2a2a2
    LDX xmm2, 0xb1b1b1b1b0b0b0b0, 0xb3b3b3b3b2b2b2b2
    blendvpd xmm1, xmm2
    EXPECT_X xmm1, 0xa1a1a1a1a0a0a0a0, 0xb3b3b3b3b2b2b2b2, "blendvpd (mask xmm0 sign bits): xmm1"
    ; ---- PTEST: ZF = (a AND b) == 0, CF = (NOT a AND b) == 0; AF OF PF SF cleared ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000000000ff00, 0x0000000000000000
    LDX xmm1, 0x00000000000000ff, 0x0000000000000000
    ptest xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x040, "ptest disjoint: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x000000000000ff00, 0x0000000000000001
    LDX xmm1, 0x0000000000000f00, 0x0000000000000001
    ptest xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x001, "ptest subset: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000001, 0x0000000000000002
    LDX xmm1, 0x0000000000000003, 0x0000000000000002
    ptest xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x000, "ptest overlap: flags"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    ptest xmm0, xmm1
    SAVE_FLAGS
    EXPECT_FLAGS 0x8d5, 0x041, "ptest zero: flags"
    ; ---- ROUNDPS/PD/SS/SD: imm bits 1:0 mode, bit 2 use MXCSR.RC, bit 3 suppress PE ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc020000040200000, 0xbf0000003fc00000
    roundps xmm0, xmm1, 0
    EXPECT_X xmm0, 0xc000000040000000, 0x8000000040000000, "roundps xmm0, xmm1, 0"
    EXPECT_MXCSR 0x1fa0, "roundps xmm0, xmm1, 0: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc020000040200000, 0xbf0000003fc00000
    roundps xmm0, xmm1, 1
    EXPECT_X xmm0, 0xc040000040000000, 0xbf8000003f800000, "roundps xmm0, xmm1, 1"
    EXPECT_MXCSR 0x1fa0, "roundps xmm0, xmm1, 1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc020000040200000, 0xbf0000003fc00000
    roundps xmm0, xmm1, 2
    EXPECT_X xmm0, 0xc000000040400000, 0x8000000040000000, "roundps xmm0, xmm1, 2"
    EXPECT_MXCSR 0x1fa0, "roundps xmm0, xmm1, 2: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc020000040200000, 0xbf0000003fc00000
    roundps xmm0, xmm1, 3
    EXPECT_X xmm0, 0xc000000040000000, 0x800000003f800000, "roundps xmm0, xmm1, 3"
    EXPECT_MXCSR 0x1fa0, "roundps xmm0, xmm1, 3: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc020000040200000, 0xbf0000003fc00000
    roundps xmm0, xmm1, 4
    EXPECT_X xmm0, 0xc000000040000000, 0x8000000040000000, "roundps xmm0, xmm1, 4"
    EXPECT_MXCSR 0x1fa0, "roundps xmm0, xmm1, 4: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc020000040200000, 0xbf0000003fc00000
    roundps xmm0, xmm1, 8
    EXPECT_X xmm0, 0xc000000040000000, 0x8000000040000000, "roundps xmm0, xmm1, 8"
    EXPECT_MXCSR 0x1f80, "roundps xmm0, xmm1, 8: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc020000040200000, 0xbf0000003fc00000
    roundps xmm0, xmm1, 9
    EXPECT_X xmm0, 0xc040000040000000, 0xbf8000003f800000, "roundps xmm0, xmm1, 9"
    EXPECT_MXCSR 0x1f80, "roundps xmm0, xmm1, 9: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc020000040200000, 0xbf0000003fc00000
    roundps xmm0, xmm1, 10
    EXPECT_X xmm0, 0xc000000040400000, 0x8000000040000000, "roundps xmm0, xmm1, 10"
    EXPECT_MXCSR 0x1f80, "roundps xmm0, xmm1, 10: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc020000040200000, 0xbf0000003fc00000
    roundps xmm0, xmm1, 11
    EXPECT_X xmm0, 0xc000000040000000, 0x800000003f800000, "roundps xmm0, xmm1, 11"
    EXPECT_MXCSR 0x1f80, "roundps xmm0, xmm1, 11: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc020000040200000, 0xbf0000003fc00000
    roundps xmm0, xmm1, 12
    EXPECT_X xmm0, 0xc000000040000000, 0x8000000040000000, "roundps xmm0, xmm1, 12"
    EXPECT_MXCSR 0x1f80, "roundps xmm0, xmm1, 12: mxcsr"
    SET_MXCSR 0x3f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xc020000040200000, 0xbf0000003fc00000
    roundps xmm0, xmm1, 4
    EXPECT_X xmm0, 0xc040000040000000, 0xbf8000003f800000, "roundps imm 4 with MXCSR.RC=down"
    EXPECT_MXCSR 0x3fa0, "roundps imm 4 with MXCSR.RC=down: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xffc000017f800001, 0x000000017f800000
    roundps xmm0, xmm1, 0
    EXPECT_X xmm0, 0xffc000017fc00001, 0x000000007f800000, "roundps SNaN QNaN inf denormal"
    EXPECT_MXCSR 0x1fa1, "roundps SNaN QNaN inf denormal: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0x60ad78ec80000001, 0x4b000000ba83126f
    roundps xmm0, xmm1, 1
    EXPECT_X xmm0, 0x60ad78ecbf800000, 0x4b000000bf800000, "roundps floor -denormal, big, -0.001"
    EXPECT_MXCSR 0x1fa0, "roundps floor -denormal, big, -0.001: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xbff8000000000000, 0x432fffffffffffff
    roundpd xmm0, xmm1, 0
    EXPECT_X xmm0, 0xc000000000000000, 0x4330000000000000, "roundpd xmm0, xmm1, 0"
    EXPECT_MXCSR 0x1fa0, "roundpd xmm0, xmm1, 0: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xbff8000000000000, 0x432fffffffffffff
    roundpd xmm0, xmm1, 1
    EXPECT_X xmm0, 0xc000000000000000, 0x432ffffffffffffe, "roundpd xmm0, xmm1, 1"
    EXPECT_MXCSR 0x1fa0, "roundpd xmm0, xmm1, 1: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xbff8000000000000, 0x432fffffffffffff
    roundpd xmm0, xmm1, 2
    EXPECT_X xmm0, 0xbff0000000000000, 0x4330000000000000, "roundpd xmm0, xmm1, 2"
    EXPECT_MXCSR 0x1fa0, "roundpd xmm0, xmm1, 2: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xbff8000000000000, 0x432fffffffffffff
    roundpd xmm0, xmm1, 3
    EXPECT_X xmm0, 0xbff0000000000000, 0x432ffffffffffffe, "roundpd xmm0, xmm1, 3"
    EXPECT_MXCSR 0x1fa0, "roundpd xmm0, xmm1, 3: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000000
    LDX xmm1, 0xbff8000000000000, 0x432fffffffffffff
    roundpd xmm0, xmm1, 9
    EXPECT_X xmm0, 0xc000000000000000, 0x432ffffffffffffe, "roundpd xmm0, xmm1, 9"
    EXPECT_MXCSR 0x1f80, "roundpd xmm0, xmm1, 9: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xdeadbeef00000000, 0x12345678cafef00d
    LDX xmm1, 0x41100000be800000, 0x4110000041100000
    roundss xmm0, xmm1, 2
    EXPECT_X xmm0, 0xdeadbeef80000000, 0x12345678cafef00d, "roundss ceil -0.25 = -0, keeps lanes 1-3"
    EXPECT_MXCSR 0x1fa0, "roundss ceil -0.25 = -0, keeps lanes 1-3: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0xc01f000000000000, 0x3ff0000000000000
    roundsd xmm0, xmm1, 11
    EXPECT_X xmm0, 0xc01c000000000000, 0xdeadbeefcafef00d, "roundsd trunc, no PE, keeps bits 127:64"
    EXPECT_MXCSR 0x1f80, "roundsd trunc, no PE, keeps bits 127:64: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0xdeadbeefcafef00d
    LDX xmm1, 0xc01f000000000000, 0x3ff0000000000000
    roundsd xmm0, xmm1, 3
    EXPECT_X xmm0, 0xc01c000000000000, 0xdeadbeefcafef00d, "roundsd trunc with PE"
    EXPECT_MXCSR 0x1fa0, "roundsd trunc with PE: mxcsr"
    ; ---- DPPS/DPPD: imm bits 7:4 select products, bits 3:0 the lanes written ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x400000003f800000, 0x4080000040400000
    LDX xmm1, 0x42c8000041200000, 0x3dcccccd447a0000
    dpps xmm0, xmm1, 0xff
    EXPECT_X xmm0, 0x4548a6664548a666, 0x4548a6664548a666, "dpps xmm0, xmm1, 0xff"
    EXPECT_MXCSR 0x1fa0, "dpps xmm0, xmm1, 0xff: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x400000003f800000, 0x4080000040400000
    LDX xmm1, 0x42c8000041200000, 0x3dcccccd447a0000
    dpps xmm0, xmm1, 0x71
    EXPECT_X xmm0, 0x000000004548a000, 0x0000000000000000, "dpps xmm0, xmm1, 0x71"
    EXPECT_MXCSR 0x1f80, "dpps xmm0, xmm1, 0x71: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x400000003f800000, 0x4080000040400000
    LDX xmm1, 0x42c8000041200000, 0x3dcccccd447a0000
    dpps xmm0, xmm1, 0x3c
    EXPECT_X xmm0, 0x0000000000000000, 0x4352000043520000, "dpps xmm0, xmm1, 0x3c"
    EXPECT_MXCSR 0x1f80, "dpps xmm0, xmm1, 0x3c: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x400000003f800000, 0x4080000040400000
    LDX xmm1, 0x42c8000041200000, 0x3dcccccd447a0000
    dpps xmm0, xmm1, 0xf0
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "dpps xmm0, xmm1, 0xf0"
    EXPECT_MXCSR 0x1fa0, "dpps xmm0, xmm1, 0xf0: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x400000003f800000, 0x4080000040400000
    LDX xmm1, 0x42c8000041200000, 0x3dcccccd447a0000
    dpps xmm0, xmm1, 0x0f
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "dpps xmm0, xmm1, 0x0f"
    EXPECT_MXCSR 0x1f80, "dpps xmm0, xmm1, 0x0f: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x400000003f800000, 0x4080000040400000
    LDX xmm1, 0x42c8000041200000, 0x3dcccccd447a0000
    dpps xmm0, xmm1, 0x85
    EXPECT_X xmm0, 0x000000003ecccccd, 0x000000003ecccccd, "dpps xmm0, xmm1, 0x85"
    EXPECT_MXCSR 0x1f80, "dpps xmm0, xmm1, 0x85: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff8000000000000, 0x3fb999999999999a
    LDX xmm1, 0x4000000000000000, 0x3fd3333333333333
    dppd xmm0, xmm1, 0x31
    EXPECT_X xmm0, 0x40083d70a3d70a3d, 0x0000000000000000, "dppd xmm0, xmm1, 0x31"
    EXPECT_MXCSR 0x1fa0, "dppd xmm0, xmm1, 0x31: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff8000000000000, 0x3fb999999999999a
    LDX xmm1, 0x4000000000000000, 0x3fd3333333333333
    dppd xmm0, xmm1, 0x12
    EXPECT_X xmm0, 0x0000000000000000, 0x4008000000000000, "dppd xmm0, xmm1, 0x12"
    EXPECT_MXCSR 0x1f80, "dppd xmm0, xmm1, 0x12: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff8000000000000, 0x3fb999999999999a
    LDX xmm1, 0x4000000000000000, 0x3fd3333333333333
    dppd xmm0, xmm1, 0x23
    EXPECT_X xmm0, 0x3f9eb851eb851eb8, 0x3f9eb851eb851eb8, "dppd xmm0, xmm1, 0x23"
    EXPECT_MXCSR 0x1fa0, "dppd xmm0, xmm1, 0x23: mxcsr"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x3ff8000000000000, 0x3fb999999999999a
    LDX xmm1, 0x4000000000000000, 0x3fd3333333333333
    dppd xmm0, xmm1, 0x10
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "dppd xmm0, xmm1, 0x10"
    EXPECT_MXCSR 0x1f80, "dppd xmm0, xmm1, 0x10: mxcsr"
    ; ---- INSERTPS / EXTRACTPS / PINSR* / PEXTR* ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000002100000020, 0x0000002300000022
    insertps xmm0, xmm1, 0x00
    EXPECT_X xmm0, 0x0000001100000020, 0x0000001300000012, "insertps xmm0, xmm1, 0x00"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000002100000020, 0x0000002300000022
    insertps xmm0, xmm1, 0xd0
    EXPECT_X xmm0, 0x0000002300000010, 0x0000001300000012, "insertps xmm0, xmm1, 0xd0"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000002100000020, 0x0000002300000022
    insertps xmm0, xmm1, 0x65
    EXPECT_X xmm0, 0x0000001100000000, 0x0000001300000000, "insertps xmm0, xmm1, 0x65"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000002100000020, 0x0000002300000022
    insertps xmm0, xmm1, 0x3f
    EXPECT_X xmm0, 0x0000000000000000, 0x0000000000000000, "insertps xmm0, xmm1, 0x3f"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000002100000020, 0x0000002300000022
    insertps xmm0, xmm1, 0x9a
    EXPECT_X xmm0, 0x0000000000000010, 0x0000000000000012, "insertps xmm0, xmm1, 0x9a"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0xffffffff
    extractps eax, xmm0, 0
    EXPECT_R eax, 0x00000010, "extractps eax, xmm0, 0: eax"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0xffffffff
    extractps eax, xmm0, 3
    EXPECT_R eax, 0x00000013, "extractps eax, xmm0, 3: eax"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0xffffffff
    extractps eax, xmm0, 6
    EXPECT_R eax, 0x00000012, "extractps eax, xmm0, 6: eax"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0x12345678
    pinsrb xmm0, eax, 9
    EXPECT_X xmm0, 0x0000001100000010, 0x0000001300007812, "pinsrb xmm0, eax, 9"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0xab
    pinsrb xmm0, eax, 31
    EXPECT_X xmm0, 0x0000001100000010, 0xab00001300000012, "pinsrb imm 31 uses bits 3:0"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0xdeadbeef
    pinsrd xmm0, eax, 2
    EXPECT_X xmm0, 0x0000001100000010, 0x00000013deadbeef, "pinsrd xmm0, eax, 2"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0xdeadbeef
    pinsrd xmm0, eax, 7
    EXPECT_X xmm0, 0x0000001100000010, 0xdeadbeef00000012, "pinsrd imm 7 uses bits 1:0"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000000000, 0x0000000000000080
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0xffffffff
    pextrb eax, xmm0, 8
    EXPECT_R eax, 0x00000080, "pextrb zero-extends: eax"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000000000009900, 0x0000000000000080
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0xffffffff
    pextrb eax, xmm0, 17
    EXPECT_R eax, 0x00000099, "pextrb imm 17 uses bits 3:0: eax"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0000001100000010, 0x0000001300000012
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0xffffffff
    pextrd eax, xmm0, 3
    EXPECT_R eax, 0x00000013, "pextrd eax, xmm0, 3: eax"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x0003000200010000, 0x0007000680050004
    LDX xmm1, 0x0000000000000000, 0x0000000000000000
    mov eax, 0xffffffff
    pextrw eax, xmm0, 5
    EXPECT_R eax, 0x00008005, "pextrw (SSE4.1 encoding family, reg form): eax"
    ; ---- MPSADBW, PHMINPOSUW ----
    SET_MXCSR 0x1f80
    LDX xmm0, 0x03deb9946f4a2500, 0x2b06e1bc97724d28
    LDX xmm1, 0x50453a2f24190e03, 0xa89d92877c71665b
    mpsadbw xmm0, xmm1, 0
    EXPECT_X xmm0, 0x024c01b801240096, 0x009c011e01a00222, "mpsadbw xmm0, xmm1, 0"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x03deb9946f4a2500, 0x2b06e1bc97724d28
    LDX xmm1, 0x50453a2f24190e03, 0xa89d92877c71665b
    mpsadbw xmm0, xmm1, 1
    EXPECT_X xmm0, 0x019c010800880068, 0x00680106019801ca, "mpsadbw xmm0, xmm1, 1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x03deb9946f4a2500, 0x2b06e1bc97724d28
    LDX xmm1, 0x50453a2f24190e03, 0xa89d92877c71665b
    mpsadbw xmm0, xmm1, 2
    EXPECT_X xmm0, 0x00ec007a006c00d0, 0x00c4015e01980172, "mpsadbw xmm0, xmm1, 2"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x03deb9946f4a2500, 0x2b06e1bc97724d28
    LDX xmm1, 0x50453a2f24190e03, 0xa89d92877c71665b
    mpsadbw xmm0, xmm1, 3
    EXPECT_X xmm0, 0x006c007a00ec0180, 0x017401b60198011a, "mpsadbw xmm0, xmm1, 3"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x03deb9946f4a2500, 0x2b06e1bc97724d28
    LDX xmm1, 0x50453a2f24190e03, 0xa89d92877c71665b
    mpsadbw xmm0, xmm1, 4
    EXPECT_X xmm0, 0x009c011e01a00222, 0x0228025801c40130, "mpsadbw xmm0, xmm1, 4"
    SET_MXCSR 0x1f80
    LDX xmm0, 0x03deb9946f4a2500, 0x2b06e1bc97724d28
    LDX xmm1, 0x50453a2f24190e03, 0xa89d92877c71665b
    mpsadbw xmm0, xmm1, 7
    EXPECT_X xmm0, 0x017401b60198011a, 0x01200072007400e0, "mpsadbw xmm0, xmm1, 7"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffffffffffffffff, 0xffffffffffffffff
    LDX xmm1, 0x0003000700080009, 0x0004ffff00030005
    phminposuw xmm0, xmm1
    EXPECT_X xmm0, 0x0000000000030003, 0x0000000000000000, "phminposuw xmm0, xmm1"
    SET_MXCSR 0x1f80
    LDX xmm0, 0xffffffffffffffff, 0xffffffffffffffff
    LDX xmm1, 0xffffffffffffffff, 0xffffffffffffffff
    phminposuw xmm0, xmm1
    EXPECT_X xmm0, 0x000000000000ffff, 0x0000000000000000, "phminposuw all FFFF -> index 0"
    ; ---- memory forms ----
    SET_MXCSR 0x1f80
    LDX xmm1, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    movdqa [SBUF + 0x200], xmm1
    movdqu [SBUF + 0x211], xmm1
    LDX xmm0, 0, 0
    movntdqa xmm0, [SBUF + 0x200]
    EXPECT_X xmm0, 0x0706050403020100, 0x0f0e0d0c0b0a0908, "MOVNTDQA aligned"
    TRY
    movntdqa xmm0, [SBUF + 0x208]
    CATCH 13, 0, "MOVNTDQA misaligned: #GP(0)"
    QEMU_DEPARTS_BEGIN
    TRY
    ptest xmm0, [SBUF + 0x211]
    XCATCH 13, 0, "PTEST xmm, m128 misaligned: #GP(0)"
    TRY
    roundps xmm0, [SBUF + 0x211], 0
    XCATCH 13, 0, "ROUNDPS xmm, m128 misaligned: #GP(0)"
    QEMU_DEPARTS_END
    roundss xmm0, [SBUF + 0x211], 0
    EXPECT_X xmm0, 0, 0, "ROUNDSS xmm, m32 misaligned is fine (tiny -> 0)"
    pmovzxbw xmm0, [SBUF + 0x211]
    EXPECT_X xmm0, 0x0003000200010000, 0x0007000600050004, "PMOVZXBW xmm, m64 misaligned is fine"
    LDX xmm0, 0x1111111111111111, 0x2222222222222222
    insertps xmm0, [SBUF + 0x211 + 4], 0xd0
    EXPECT_X xmm0, 0x0706050411111111, 0x2222222222222222, "INSERTPS xmm, m32, D0: count_s ignored, lane 1"
    pinsrb xmm0, [SBUF + 0x211 + 15], 0
    EXPECT_X xmm0, 0x070605041111110f, 0x2222222222222222, "PINSRB xmm, m8"
    pextrd [SBUF + 0x301], xmm0, 1
    pextrb [SBUF + 0x305], xmm0, 15
    extractps [SBUF + 0x306], xmm0, 2
    EXPECT_MEM SBUF + 0x301, "PEXTRD m32 / PEXTRB m8 / EXTRACTPS m32", 0x07060504, 0x22222222, 0x00000022
    FINISH32

bits 16
gdt_template:
    GDT_STANDARD
gdt_template_end:

    PM_LIB
    SSE_LIB
ROM_END
