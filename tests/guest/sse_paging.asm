; sse_paging.asm — SSE memory operands and paging (SDM vol. 3 4.7, 6.15
; "Interrupt 14"; vol. 2 each page's exception list): a 16-byte (or 8- or
; 4-byte) access that crosses into a not-present page takes #PF with CR2 =
; the first byte of that page and writes nothing (the bytes in the present
; page stay as they were); a load leaves its destination unchanged; the
; alignment #GP(0) of MOVAPS/MOVDQA comes before any #PF, even for an
; address inside a not-present page; LDMXCSR from a not-present page leaves
; MXCSR alone. 32-bit protected mode with 4 KiB pages (identity map of the
; first 4 MiB, page 0x30000 not present). Confirmed on a host CPU (AMD
; EPYC, through SIGSEGV's si_addr and trap number).
;
;
; qemu-differs: QEMU 7.2 writes the bytes of a split 16-byte MOVDQU store
; that fall in the present page before it takes the #PF (the host CPU
; writes none: a fault leaves the state as before the instruction, SDM
; vol. 3 6.5); that check prints "qemu-departs". Its 8- and 4-byte split
; stores write nothing, as they should.
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "pm.inc"
%include "sse.inc"

%define PD_ADDR  0x20000
%define PT_ADDR  0x21000
%define HOLE     0x30000        ; the not-present page

start:
    ROM_INIT
    PUTS `sse_paging: SSE accesses across a not-present page\n`
    PUTS `note: QEMU writes the first part of a split 16-byte store before its #PF (SDM wins)\n`
    NEED_CPUID1 edx, 25, "no SSE"
    NEED_CPUID1 edx, 26, "no SSE2"
    NEED_CPUID1 ecx, 19, "no SSE4.1"
    SSE_DETECT_QEMU
    PM_SETUP
    PM_ENTER32 pm_start

bits 32
%macro FILL_5A 0                ; the 32 bytes below HOLE
    mov edi, HOLE - 0x20
    mov ecx, 8
    mov eax, 0x5a5a5a5a
    rep stosd
%endmacro

pm_start:
    SSE_ENABLE CR4_OSFXSR | CR4_OSXMMEXCPT
    ; page table: identity map 0-4 MiB, supervisor read/write, HOLE absent
    mov edi, PT_ADDR
    mov eax, 0x003
    mov ecx, 1024
.pte:
    stosd
    add eax, 0x1000
    loop .pte
    mov dword [PT_ADDR + (HOLE >> 12) * 4], 0
    mov edi, PD_ADDR
    xor eax, eax
    mov ecx, 1024
    rep stosd
    mov dword [PD_ADDR], PT_ADDR | 0x003
    mov eax, PD_ADDR
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    jmp .paged
.paged:
    FILL_5A

    pcmpeqb xmm0, xmm0
    TRY
    movdqu [HOLE - 8], xmm0
    CATCH 14, 0x02, "MOVDQU store across into a not-present page: #PF (W)"
    mov eax, cr2
    EXPECT_R eax, HOLE, "  CR2 = first byte of the not-present page"
    QEMU_DEPARTS_BEGIN
    EXPECT_MEM HOLE - 8, "  nothing written in the present page", 0x5a5a5a5a, 0x5a5a5a5a
    QEMU_DEPARTS_END
    FILL_5A
    LDX xmm1, 0x1111111111111111, 0x2222222222222222
    TRY
    movdqu xmm1, [HOLE - 4]
    CATCH 14, 0x00, "MOVDQU load across: #PF (R)"
    mov eax, cr2
    EXPECT_R eax, HOLE, "  CR2 = first byte of the not-present page"
    EXPECT_X xmm1, 0x1111111111111111, 0x2222222222222222, "  xmm1 not written"
    TRY
    movq [HOLE - 4], xmm0
    CATCH 14, 0x02, "MOVQ m64 store across: #PF"
    QEMU_DEPARTS_BEGIN
    EXPECT_MEM HOLE - 4, "  MOVQ: nothing written", 0x5a5a5a5a
    QEMU_DEPARTS_END
    FILL_5A
    TRY
    pextrd [HOLE - 2], xmm0, 0
    CATCH 14, 0x02, "PEXTRD m32 store across: #PF"
    QEMU_DEPARTS_BEGIN
    EXPECT_MEM HOLE - 4, "  PEXTRD: nothing written", 0x5a5a5a5a
    QEMU_DEPARTS_END
    FILL_5A
    TRY
    paddd xmm1, [HOLE - 16 + 8]
    CATCH 13, 0, "PADDD misaligned and across: #GP(0) before #PF"
    TRY
    movaps [HOLE + 8], xmm0
    CATCH 13, 0, "MOVAPS misaligned inside a not-present page: #GP(0), not #PF"
    TRY
    movdqa xmm1, [HOLE + 16]
    CATCH 14, 0x00, "MOVDQA aligned inside a not-present page: #PF"
    SET_MXCSR 0x1f80
    TRY
    ldmxcsr [HOLE + 4]
    CATCH 14, 0x00, "LDMXCSR from a not-present page: #PF"
    EXPECT_MXCSR 0x1f80, "  MXCSR unchanged"
    movdqu xmm2, [HOLE - 16]
    EXPECT_X xmm2, 0x5a5a5a5a5a5a5a5a, 0x5a5a5a5a5a5a5a5a, "MOVDQU load ending at the page boundary works"
    FINISH32

bits 16
gdt_template:
    GDT_STANDARD
gdt_template_end:

    PM_LIB
    SSE_LIB
ROM_END
