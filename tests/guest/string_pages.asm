; string_pages.asm — REP MOVS and REP STOS must give exactly the results of
; element-by-element execution (Intel SDM vol. 2 MOVS, STOS, REP; vol. 1
; 7.3.9; vol. 3A 6.5, 6.15, 17.3.1.2) however an engine batches them, in
; 32-bit protected mode with paging ("pm32") and in 64-bit mode ("lm64"):
;  a. runs of 0, 1, 2, 3, 4096/size - 1, 4096/size, 4096/size + 1 and
;     10000/size elements from page offsets 0, 1, 3, 4093 and 4095 (MOVS:
;     every pair of source and destination offsets), all sizes; and with
;     EFLAGS.DF=1 (downward, which must stay element by element);
;  b. overlapping MOVS: destination = source + 1, +2, +size, +size+1,
;     +100, +4096, -1, -size, -100, and through two linear pages that
;     share a frame (the overlap is physical only);
;  c. #PF in the middle of a run: destination or source running into a
;     not-present page (CR2 = the first byte of the first element touching
;     it, for an element straddling the page boundary the boundary itself,
;     as QEMU reports it too), a read-only destination (CR0.WP=1); the
;     accessed and dirty bits the run sets;
;  d. (pm32) segment limits that end mid-page: ES for STOS/MOVS, an FS
;     override for the MOVS source: #GP(0) at the first element past the
;     limit; segment bases that are not page-aligned;
;  e. (pm32) 16-bit addressing (67h): SI/DI wrap from FFFFh to 0 within
;     the segment in the middle of a run (base not page-aligned);
;  f. self-modifying code: REP MOVSB/STOSB rewriting a hot routine, REP
;     MOVS of a whole page image over one, REP STOSD filling its own code
;     page around its own bytes;
;  g. PIT interrupts during 1 MiB REP STOSD runs: taken mid-instruction
;     with consistent registers and memory, the final result exact;
;  h. CPL 3 with CR0.AM=1: EFLAGS.AC=1 and a misaligned element -> #AC(0)
;     at the first element; aligned runs with AC=1 and misaligned runs
;     with AC=0 exact; #PF at CPL 3 with U/S in the error code;
;  i. single-step (TF from IRET): #DB after the first element; a data
;     breakpoint inside a run: #DB after the element touching it (SDM vol.
;     3B 17.3.1.2; QEMU does so; rawbox delivers it only at the end of its
;     1024-iteration batch, also before page runs, so those lines fail).
;
; Every run is checked against a reference: the same registers and memory
; pattern, element-by-element plain MOVs (the element read whole, then
; written), then the REP instruction on the same pattern. All pages of
; the run and one page either side are compared byte for byte, and each
; window page's frame is followed by a sentinel frame that no linear page
; maps (an access running past the end of a page's frame shows there).
; Per group of runs the check lines are "memory", "registers" and, where
; runs stop, "exception"; a failing group prints its first failing run.
;
; qemu-differs: QEMU 7.2 TCG checks no data segment limits (SDM vol. 3A 5.3) and raises no #AC (SDM vol. 3A 6.15, interrupt 17): where a probe store past a limit or a misaligned CPL-3 access with AC=1 does not fault, the limit runs of part d and the #AC runs of part h are left out (a note says so), so QEMU prints fewer check lines
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "lm.inc"

; ---- memory (physical = linear but for the window) ----
%define WIN      0x400000       ; window: NW linear pages and the alias page
%define NW       20
%define ALIASOF  3              ; window page NW maps window page 3's frame
%define WIN_END  (WIN + (NW + 1) * 0x1000)
%define PHYS_W   0x240000       ; window page k: frame PHYS_W + 2k * 4 KiB;
                                ; the frame after it: a sentinel
%define SAVEBUF  0x300000       ; the reference run's result
%define BIG      0x110000       ; part g: 1 MiB
%define NPG      (WIN + 0x4000) ; window page 4: made not present / read-only
%define SENTV    0xE5E5E5E5
%define PD32     0x14000
%define PT32     0x15000        ; 0-4 MiB identity
%define PT32W    0x16000        ; 4-8 MiB: the window
%define PT64W    0x17000        ; 64-bit: 4 KiB pages for 4-6 MiB
%define CODE_A   0x20000        ; part f pages
%define CODE_B   0x22000
%define CODE_C   0x24000        ; and 0x25000
%define SMCDATA  0x27000        ; and 0x28000

; ---- variables (qwords); V_OPD..V_R3FL in the order of a table row ----
%define VAR(n) (0x700 + (n) * 8)
%define V_OPD    VAR(0)
%define V_SRC    VAR(1)         ; linear addresses of the run
%define V_DST    VAR(2)
%define V_SOFF   VAR(3)         ; ESI, EDI before it
%define V_DOFF   VAR(4)
%define V_CNT    VAR(5)         ; ECX before it
%define V_K      VAR(6)         ; elements done before it stops
%define V_VEC    VAR(7)         ; expected exception (-1: none)
%define V_ERR    VAR(8)         ; -1: not compared
%define V_CR2    VAR(9)         ; -1: not compared
%define V_HOOK   VAR(10)        ; called just before the run
%define V_UNHOOK VAR(11)        ; and after it
%define V_SSEL   VAR(12)        ; pm32: FS/GS selector, lm64: FS/GS base
%define V_DSEL   VAR(13)        ; pm32: ES selector
%define V_LO     VAR(14)        ; compared range (0: around the run)
%define V_HI     VAR(15)
%define V_R3FL   VAR(16)        ; EFLAGS at CPL 3
%define V_VAL    VAR(17)        ; EAX/RAX
%define V_SEED   VAR(18)
%define V_CLO    VAR(19)
%define V_CHI    VAR(20)
%define V_MISM   VAR(21)
%define V_XERR   VAR(22)        ; bits set by the unhook routine
%define REC_AX   VAR(24)        ; after the run or at the exception
%define REC_CX   VAR(25)
%define REC_SI   VAR(26)
%define REC_DI   VAR(27)
%define REC_FL   VAR(28)
%define REC_VEC  VAR(29)
%define REC_ERR  VAR(30)
%define REC_CR2  VAR(31)
%define REC_EIP  VAR(32)
%define REC_CNT  VAR(33)
%define RESUME_EIP VAR(34)
%define RESUME_ESP VAR(35)
%define R3_ESP   VAR(36)
%define R3_TGT   VAR(37)
%define R3_TMP   VAR(38)
%define G_NAME   VAR(39)
%define G_OPNAME VAR(40)
%define G_ASP    VAR(41)
%define G_ERR    VAR(42)
%define G_N      VAR(43)
%define F_OPD    VAR(44)        ; the first failing run of the group
%define F_SRC    VAR(45)
%define F_DST    VAR(46)
%define F_CNT    VAR(47)
%define F_K      VAR(48)
%define F_BITS   VAR(49)
%define F_MISM   VAR(50)
%define F_CX     VAR(51)
%define F_SI     VAR(52)
%define F_DI     VAR(53)
%define F_VEC    VAR(54)
%define F_ERR    VAR(55)
%define F_CR2    VAR(56)
%define F_EIP    VAR(57)
%define MODE_STR VAR(58)
%define L_I      VAR(59)
%define L_J      VAR(60)
%define L_L      VAR(61)
%define L_OP     VAR(62)
%define L_LEN    VAR(63)
%define TICKS    VAR(64)
%define MID      VAR(65)
%define GBAD     VAR(66)
%define GPREV    VAR(67)
%define GVAL     VAR(68)
%define GEND     VAR(69)
%define LIMOK    VAR(70)
%define ACOK     VAR(71)
%define FARP     VAR(72)
%define L_M      VAR(73)
%define L_X      VAR(74)
%define RUNS     VAR(75)

; ---- selectors after lm.inc's ----
%define SEL_CODE16 (GDT_FREE)
%define SEL_DATA16 (GDT_FREE + 0x08)
%define SEL_LIM    (GDT_FREE + 0x10)   ; base WIN, limit 2345h
%define SEL_SMALL  (GDT_FREE + 0x18)   ; base WIN + 4000h, limit 1801h
%define SEL_A16    (GDT_FREE + 0x20)   ; base WIN + 800h, limit FFFFFh
%define LIM_END    0x2346
%define SMALL_BASE (WIN + 0x4000)
%define SMALL_END  0x1802
%define A16_BASE   (WIN + 0x800)

; ---- op descriptor flags, aspects ----
%define F_MOVS 1
%define F_A16  2
%define F_R3   4
%define F_DOWN 8                ; run with EFLAGS.DF = 1
%define ASP_MEM  1
%define ASP_REGS 2
%define ASP_EXC  4
%define ASP_PTE  8
%define FLAGS_IN 0x8D7          ; OF SF ZF AF PF CF: a REP MOVS/STOS keeps them
%define PIT_DIV  50             ; about 24 kHz
%define ROWSZ    72

%macro PUTS32 1
    jmp %%a
%%s: db %1, 0
%%a:
    push esi
    mov esi, %%s
    call h32puts
    pop esi
%endmacro

; ======================================================================
; mode-generic code: assembled once for 32-bit and once for 64-bit
; ======================================================================
%macro MODE32 0
 %define xax eax
 %define xbx ebx
 %define xcx ecx
 %define xdx edx
 %define xsi esi
 %define xdi edi
 %define xbp ebp
 %define xsp esp
 %define XS 4
 %define XW dword
 %define CSO cs:
 %define ESO es:
 %define PTW PT32W
%endmacro
%macro MODE64 0
 %define xax rax
 %define xbx rbx
 %define xcx rcx
 %define xdx rdx
 %define xsi rsi
 %define xdi rdi
 %define xbp rbp
 %define xsp rsp
 %define XS 8
 %define XW qword
 %define CSO
 %define ESO
 %define PTW PT64W
%endmacro

%macro LADDR 2                  ; reg, ROM label: its address in this mode
%if XS == 4
    mov %1, %2
%else
    lea %1, [rel %2]
%endif
%endmacro
%macro LDD 2                    ; reg, dword: sign-extended in 64-bit mode
%if XS == 4
    mov %1, %2
%else
    movsxd %1, %2
%endif
%endmacro
%macro TADDR32 1                ; dword: a ROM label's address in this mode
%if XS == 4
    dd %1
%else
    dd LIN(%1)
%endif
%endmacro
%macro TADDRZ 1
%ifidn %1, 0
    dd 0
%else
    TADDR32 %1
%endif
%endmacro
%macro XPUTS 2                  ; prefix, "text"
    jmp %%a
%%s: db %2, 0
%%a:
    push xsi
    LADDR xsi, %%s
    call %{1}puts
    pop xsi
%endmacro
%macro XHEX 2                   ; prefix, value
    push xax
    mov xax, %2
    call %{1}hex
    pop xax
%endmacro
%macro XCHK 2                   ; prefix, "name": ZF = pass
    jmp %%a
%%s: db %2, 0
%%a:
    push xsi
    push xdi
    push xdx
    LADDR xsi, %%s
    mov xdi, 0
    mov xdx, 0
    call %{1}chk
    pop xdx
    pop xdi
    pop xsi
%endmacro
; Near call to code in RAM: pm32 through a flat code selector.
%macro FCALL 1
%if XS == 4
    mov dword [FARP], %1
    mov word [FARP + 4], SEL_CODE32F
    call far [FARP]
%else
    mov r11d, %1
    call r11
%endif
%endmacro
%macro FRET 0
%if XS == 4
    retf
%else
    ret
%endif
%endmacro

; Op descriptor: stub, REP EIP, reference routine, size, flags, name.
%macro OPD 7                    ; label, stub, ref, size, flags, "name", ring-3 REP
%1: TADDR32 %2
%if (%5) & F_R3
    dd LIN(%7)
%else
    TADDR32 %2
%endif
    TADDR32 %3
    dd %4, %5
    TADDR32 %%n
%%n: db %6, 0
%endmacro
%macro STUB 2
%1: %2
    ret
%endmacro
; Ring-3 op: the ring-0 stub enters CPL 3 at the REP, which ends in INT 31h.
%macro R3STUB 4                 ; prefix, stub, ring-3 label, instruction
%2: mov XW [R3_TGT], LIN(%3)
    jmp %{1}r3enter
%3: %4
    int 0x31
%endmacro
%macro REFSTOS 3                ; label, size, register
%1: test xcx, xcx
    jz %%d
%%l: mov [ESO xdi], %3
    add xdi, %2
    dec xcx
    jnz %%l
%%d: ret
%endmacro
%macro REFMOVS 3
%1: test xcx, xcx
    jz %%d
%%l: mov %3, [gs:xsi]
    mov [ESO xdi], %3
    add xsi, %2
    add xdi, %2
    dec xcx
    jnz %%l
%%d: ret
%endmacro
%macro REFDSTOS 3               ; EFLAGS.DF = 1
%1: test xcx, xcx
    jz %%d
%%l: mov [ESO xdi], %3
    sub xdi, %2
    dec xcx
    jnz %%l
%%d: ret
%endmacro
%macro REFDMOVS 3
%1: test xcx, xcx
    jz %%d
%%l: mov %3, [gs:xsi]
    mov [ESO xdi], %3
    sub xsi, %2
    sub xdi, %2
    dec xcx
    jnz %%l
%%d: ret
%endmacro
%macro REFSTOS16 3              ; 16-bit addressing (32-bit code only)
%1: test cx, cx
    jz %%d
%%l: mov [es:di], %3
    add di, %2
    dec cx
    jnz %%l
%%d: ret
%endmacro
%macro REFMOVS16 3
%1: test cx, cx
    jz %%d
%%l: mov %3, [gs:si]
    mov [es:di], %3
    add si, %2
    add di, %2
    dec cx
    jnz %%l
%%d: ret
%endmacro

; ---- table rows (dwords): opd, src, dst, soff, doff, cnt, k, vec, err,
; cr2, hook, unhook, ssel, dsel, lo, hi, r3fl, 0 ----
%macro ROW 17
    TADDR32 %1
    dd (%2), (%3), (%4), (%5), (%6), (%7), (%8), (%9), (%10)
    TADDRZ %11
    TADDRZ %12
    dd (%13), (%14), (%15), (%16), (%17), 0
%endmacro
; flat row: opd, src, dst, cnt, k, vec, err, cr2, hook, unhook, r3fl
%macro FROW 11
    ROW %1, %2, %3, %2, %3, %4, %5, %6, %7, %8, %9, %10, 0, 0, 0, 0, %11
%endmacro
%macro ENDROWS 0
    dd 0
%endmacro
; KAT start, size, boundary: RK = the elements that end below the
; boundary, RC = the first byte at or above it that the next one touches.
%macro KAT 3
 %assign RK ((%3) - (%1)) / (%2)
 %assign RC (%1) + RK * (%2)
 %if RC < (%3)
  %assign RC (%3)
 %endif
%endmacro

; ----------------------------------------------------------------------
; HARNESS prefix: printing, the run checker, hooks, refs, stubs, parts
; a, b, c, f, g, h and i.
; ----------------------------------------------------------------------
%macro HARNESS 1
%{1}puts:                       ; CS:xSI
    push xax
    push xsi
.l: mov al, [CSO xsi]
    inc xsi
    test al, al
    jz .d
    out DEBUGCON_PORT, al
    jmp .l
.d: pop xsi
    pop xax
    ret

%{1}hex:                        ; xAX
    push xax
    push xbx
    push xcx
    mov xbx, xax
    mov ecx, XS * 2
.h: rol xbx, 4
    mov al, bl
    and al, 0x0F
    add al, '0'
    cmp al, '9'
    jbe .o
    add al, 'a' - '0' - 10
.o: out DEBUGCON_PORT, al
    dec ecx
    jnz .h
    pop xcx
    pop xbx
    pop xax
    ret

; ZF = pass; xSI name, xDX second name or 0, xDI aspect or 0
%{1}chk:
    pushf
    push xax
    push xsi
    lahf
    inc word [CHECKS_ADDR]
    LADDR xsi, rom_ok_str
    test ah, 0x40
    jnz .p
    inc word [FAILS_ADDR]
    LADDR xsi, rom_fail_str
.p: call %{1}puts
    mov xsi, [MODE_STR]
    call %{1}puts
    mov al, ' '
    out DEBUGCON_PORT, al
    mov xsi, [xsp]
    call %{1}puts
    test xdx, xdx
    jz .a
    mov al, ' '
    out DEBUGCON_PORT, al
    mov xsi, xdx
    call %{1}puts
.a: test xdi, xdi
    jz .n
    mov al, ':'
    out DEBUGCON_PORT, al
    mov al, ' '
    out DEBUGCON_PORT, al
    mov xsi, xdi
    call %{1}puts
.n: mov al, 10
    out DEBUGCON_PORT, al
    pop xsi
    pop xax
    popf
    ret

; ---- memory of a run ----
%{1}fill:                       ; [V_CLO, V_CHI) <- the pattern of V_SEED
    mov xdi, [V_CLO]
    mov eax, edi
    imul eax, eax, -1640531535
    add eax, [V_SEED]
.l: mov [xdi], eax
    add eax, 0x78DDE6C4
    add xdi, 4
    cmp xdi, [V_CHI]
    jb .l
    ret

%{1}save:
    mov xsi, [V_CLO]
    mov xdi, SAVEBUF
.l: mov xax, [xsi]
    mov [xdi], xax
    add xsi, XS
    add xdi, XS
    cmp xsi, [V_CHI]
    jb .l
    ret

%{1}cmp:                        ; ZF = equal; else V_MISM = first byte
    mov xsi, [V_CLO]            ; (loops of one block each: cheap for a
    mov xdi, SAVEBUF            ; recompiler that flushes its cache often)
    xor edx, edx
.l: mov xax, [xsi]
    xor xax, [xdi]
    or xdx, xax
    add xsi, XS
    add xdi, XS
    cmp xsi, [V_CHI]
    jb .l
    test xdx, xdx
    jz .r
    mov xsi, [V_CLO]
    mov xdi, SAVEBUF
.b: mov al, [xsi]
    cmp al, [xdi]
    jne .f
    inc xsi
    inc xdi
    jmp .b
.f: mov [V_MISM], xsi
.r: ret

; The first 64 bytes of every sentinel frame: ZF = intact (repaired).
%{1}sent:
    xor edx, edx
    mov xsi, PHYS_W + 0x1000
.p:
%assign %%o 0
%rep 16
    mov eax, [xsi + %%o]
    xor eax, SENTV
    or edx, eax
%assign %%o %%o + 4
%endrep
    add xsi, 0x2000
    cmp xsi, PHYS_W + 2 * NW * 0x1000
    jb .p
    test edx, edx
    jz .r
    mov xsi, PHYS_W + 0x1000
.q: mov ecx, 16
.c: cmp dword [xsi + xcx * 4 - 4], SENTV
    jne .b
    dec ecx
    jnz .c
    add xsi, 0x2000
    jmp .q
.b: mov [V_MISM], xsi
    mov xsi, PHYS_W + 0x1000
.w: mov ecx, 16
.x: mov dword [xsi + xcx * 4 - 4], SENTV
    dec ecx
    jnz .x
    add xsi, 0x2000
    cmp xsi, PHYS_W + 2 * NW * 0x1000
    jb .w
    or edx, 1
.r: ret

%{1}segs_case:
%if XS == 4
    mov eax, [V_DSEL]
    test eax, eax
    jnz .d
    mov eax, SEL_DATA
.d: mov es, ax
    mov eax, [V_SSEL]
    test eax, eax
    jnz .s
    mov eax, SEL_DATA
.s: mov fs, ax
    mov gs, ax
%else
    mov eax, [V_SSEL]
    xor edx, edx
    mov ecx, MSR_FS_BASE
    wrmsr
    mov ecx, MSR_GS_BASE
    wrmsr
%endif
    ret

%{1}segs_flat:
%if XS == 4
    mov eax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
%else
    xor eax, eax
    xor edx, edx
    mov ecx, MSR_FS_BASE
    wrmsr
    mov ecx, MSR_GS_BASE
    wrmsr
%endif
    ret

%{1}defaults:
    mov XW [V_VEC], -1
    mov XW [V_ERR], -1
    mov XW [V_CR2], -1
    xor eax, eax
    mov [V_HOOK], xax
    mov [V_UNHOOK], xax
    mov [V_SSEL], xax
    mov [V_DSEL], xax
    mov [V_LO], xax
    mov [V_HI], xax
    mov XW [V_R3FL], 2
    mov XW [V_SOFF], 0x5EED0001
%if XS == 4
    mov eax, 0x87766554
%else
    mov rax, 0xC3B2A19887766554
%endif
    mov [V_VAL], xax
    add dword [V_SEED], 0x01000193
    ret

; ---- one run: reference, then the REP instruction; accumulate ----
%{1}case:
    push xbp
    mov xax, [V_LO]
    test xax, xax
    jz .auto
    mov [V_CLO], xax
    mov xax, [V_HI]
    mov [V_CHI], xax
    jmp .ranged
.auto:                          ; the pages of the run and one either side
    mov xbx, [V_OPD]
    LDD xcx, [CSO xbx + 12]
    mov xax, [V_K]
    inc xax
    imul xax, xcx
    mov xdx, [V_DST]
    mov xsi, xdx
    add xdx, xax
    test byte [CSO xbx + 16], F_MOVS
    jz .one
    mov xdi, [V_SRC]
    cmp xdi, xsi
    jae .n1
    mov xsi, xdi
.n1: add xdi, xax
    cmp xdi, xdx
    jbe .one
    mov xdx, xdi
.one:
    and xsi, -0x1000
    sub xsi, 0x1000
    cmp xsi, WIN
    jae .n2
    mov xsi, WIN
.n2: add xdx, 0x1FFF
    and xdx, -0x1000
    cmp xdx, WIN_END
    jbe .n3
    mov xdx, WIN_END
.n3: mov [V_CLO], xsi
    mov [V_CHI], xdx
.ranged:
    call %{1}fill
    call %{1}segs_case
    mov xbx, [V_OPD]
    LDD xbp, [CSO xbx + 8]
    mov xcx, [V_K]
    mov xsi, [V_SOFF]
    mov xdi, [V_DOFF]
    mov xax, [V_VAL]
    call xbp
    call %{1}segs_flat
    call %{1}save
    call %{1}fill
    mov xax, [V_HOOK]
    test xax, xax
    jz .nh
    call xax
.nh:
    mov XW [REC_VEC], -1
    mov XW [REC_CNT], 0
    mov [RESUME_ESP], xsp
    LADDR xax, .caught
    mov [RESUME_EIP], xax
    call %{1}segs_case
    mov xbx, [V_OPD]
    LDD xbp, [CSO xbx]
    mov edx, FLAGS_IN
    test byte [CSO xbx + 16], F_DOWN
    jz .up
    or edx, 0x400
.up: mov [L_X], xdx
    mov xcx, [V_CNT]
    mov xsi, [V_SOFF]
    mov xdi, [V_DOFF]
    mov xax, [V_VAL]
    push XW [L_X]
    popf
    call xbp
    pushf
    pop XW [REC_FL]
    mov [REC_AX], xax
    mov [REC_CX], xcx
    mov [REC_SI], xsi
    mov [REC_DI], xdi
.caught:
    push XW 2
    popf
    mov XW [RESUME_EIP], 0
    call %{1}segs_flat
    mov XW [V_XERR], 0
    mov xax, [V_UNHOOK]
    test xax, xax
    jz .nu
    call xax
.nu:
    xor ebp, ebp
    mov XW [V_MISM], 0
    call %{1}cmp
    jz .m1
    or ebp, ASP_MEM
.m1: call %{1}sent
    jz .m2
    or ebp, ASP_MEM
.m2:                            ; registers
    mov xbx, [V_OPD]
    LDD xcx, [CSO xbx + 12]
    mov xax, [V_K]
    imul xax, xcx
    mov bl, [CSO xbx + 16]
    test bl, F_DOWN
    jz .dn
    neg xax
.dn: mov xdx, [V_DOFF]
    test bl, F_A16
    jnz .d16
    add xdx, xax
    jmp .dc
.d16: add dx, ax
.dc: cmp xdx, [REC_DI]
    jne .rbad
    mov xdx, [V_SOFF]
    test bl, F_MOVS
    jz .sc
    test bl, F_A16
    jnz .s16
    add xdx, xax
    jmp .sc
.s16: add dx, ax
.sc: cmp xdx, [REC_SI]
    jne .rbad
    mov xdx, [V_CNT]
    mov xax, [V_K]
    test bl, F_A16
    jnz .c16
    sub xdx, xax
    jmp .cc
.c16: sub dx, ax
.cc: cmp xdx, [REC_CX]
    jne .rbad
    mov xdx, [V_VAL]
    cmp xdx, [REC_AX]
    jne .rbad
    test bl, F_R3
    jnz .rok
    mov xdx, [REC_FL]
    xor xdx, [L_X]
    test edx, 0xCD5
    jz .rok
.rbad: or ebp, ASP_REGS
.rok:                           ; exception
    mov xax, [V_VEC]
    cmp xax, -1
    jne .exp
    cmp XW [REC_VEC], -1
    jne .xbad
    jmp .xok
.exp: cmp xax, [REC_VEC]
    jne .xbad
    cmp XW [REC_CNT], 1
    jne .xbad
    mov xax, [V_ERR]
    cmp xax, -1
    je .e1
    cmp xax, [REC_ERR]
    jne .xbad
.e1: mov xax, [V_CR2]
    cmp xax, -1
    je .e2
    cmp xax, [REC_CR2]
    jne .xbad
.e2: mov xbx, [V_OPD]
    LDD xax, [CSO xbx + 4]
    cmp xax, [REC_EIP]
    je .xok
.xbad: or ebp, ASP_EXC
.xok:
    or ebp, [V_XERR]
    inc XW [G_N]
    inc XW [RUNS]
    or [G_ERR], xbp
    test ebp, ebp
    jz .done
    cmp XW [F_BITS], 0
    jne .done
    mov [F_BITS], xbp
    mov xax, [V_OPD]
    mov [F_OPD], xax
    mov xax, [V_SRC]
    mov [F_SRC], xax
    mov xax, [V_DST]
    mov [F_DST], xax
    mov xax, [V_CNT]
    mov [F_CNT], xax
    mov xax, [V_K]
    mov [F_K], xax
    mov xax, [V_MISM]
    mov [F_MISM], xax
    mov xax, [REC_CX]
    mov [F_CX], xax
    mov xax, [REC_SI]
    mov [F_SI], xax
    mov xax, [REC_DI]
    mov [F_DI], xax
    mov xax, [REC_VEC]
    mov [F_VEC], xax
    mov xax, [REC_ERR]
    mov [F_ERR], xax
    mov xax, [REC_CR2]
    mov [F_CR2], xax
    mov xax, [REC_EIP]
    mov [F_EIP], xax
.done:
    pop xbp
    ret

; ---- groups ----
%{1}gbegin:                     ; xSI name, xDX op name or 0, AL aspects
    mov [G_NAME], xsi
    mov [G_OPNAME], xdx
    movzx eax, al
    mov [G_ASP], xax
    xor eax, eax
    mov [G_ERR], xax
    mov [G_N], xax
    mov [F_BITS], xax
    ret

%{1}gend:
    push xbx
    mov ebx, 1
.a: test [G_ASP], ebx
    jz .n
    LADDR xdi, %{1}asp_mem
    cmp ebx, ASP_MEM
    je .c
    LADDR xdi, %{1}asp_regs
    cmp ebx, ASP_REGS
    je .c
    LADDR xdi, %{1}asp_exc
    cmp ebx, ASP_EXC
    je .c
    LADDR xdi, %{1}asp_pte
.c: mov xsi, [G_NAME]
    mov xdx, [G_OPNAME]
    test [G_ERR], ebx
    call %{1}chk
.n: shl ebx, 1
    cmp ebx, 16
    jb .a
    cmp XW [G_ERR], 0
    je .r
    call %{1}details
.r: pop xbx
    ret

%{1}details:
    push xax
    push xbx
    XPUTS %1, "  first failing run: "
    mov xbx, [F_OPD]
    LDD xsi, [CSO xbx + 20]
    call %{1}puts
    XPUTS %1, " src "
    XHEX %1, [F_SRC]
    XPUTS %1, " dst "
    XHEX %1, [F_DST]
    XPUTS %1, " count "
    XHEX %1, [F_CNT]
    XPUTS %1, " elements before the stop "
    XHEX %1, [F_K]
    XPUTS %1, "; wrong:"
    test byte [F_BITS], ASP_MEM
    jz .m
    XPUTS %1, " memory at "
    XHEX %1, [F_MISM]
.m: test byte [F_BITS], ASP_REGS
    jz .r
    XPUTS %1, " registers: ECX "
    XHEX %1, [F_CX]
    XPUTS %1, " ESI "
    XHEX %1, [F_SI]
    XPUTS %1, " EDI "
    XHEX %1, [F_DI]
.r: test byte [F_BITS], ASP_EXC
    jz .x
    XPUTS %1, " exception: vector "
    XHEX %1, [F_VEC]
    XPUTS %1, " code "
    XHEX %1, [F_ERR]
    XPUTS %1, " CR2 "
    XHEX %1, [F_CR2]
    XPUTS %1, " EIP "
    XHEX %1, [F_EIP]
.x: test byte [F_BITS], ASP_PTE
    jz .p
    XPUTS %1, " PTE A/D bits"
.p: XPUTS %1, `\n`
    pop xbx
    pop xax
    ret

; Rows at xBP (ends at opd 0) into the current group.
%{1}rows:
.r: LDD xax, [CSO xbp]
    test xax, xax
    jz .d
    call %{1}defaults
%assign %%f 0
%rep 17
    LDD xax, [CSO xbp + %%f * 4]
    mov [V_OPD + %%f * 8], xax
%assign %%f %%f + 1
%endrep
    LDD xax, [CSO xbp + 68]
    test xax, xax
    jz .v
    mov [V_VAL], xax
.v: call %{1}case
    add xbp, ROWSZ
    jmp .r
.d: ret

; group: xSI name, AL aspects, xBP rows
%{1}group:
    xor edx, edx
    call %{1}gbegin
    call %{1}rows
    jmp %{1}gend

; ---- hooks ----
%{1}hook_np:
    mov XW [PTW + 4 * XS], 0
    invlpg [NPG]
    ret
%{1}unhook_np:
    mov XW [PTW + 4 * XS], PHYS_W + 8 * 0x1000 + 7
    invlpg [NPG]
    ret
%{1}hook_ro:                    ; a load leaves a read-only translation
    and XW [PTW + 4 * XS], ~2
    invlpg [NPG]
    mov al, [NPG + 0x123]
    ret
%{1}hook_ad:                    ; A and D clear in window pages 5, 6, 8, 9
    and XW [PTW + 5 * XS], ~0x60
    and XW [PTW + 6 * XS], ~0x60
    and XW [PTW + 8 * XS], ~0x60
    and XW [PTW + 9 * XS], ~0x60
    invlpg [WIN + 0x5000]
    invlpg [WIN + 0x6000]
    invlpg [WIN + 0x8000]
    invlpg [WIN + 0x9000]
    mov al, [WIN + 0x5123]      ; loads leave translations without D
    mov al, [WIN + 0x6123]
    ret
%{1}unhook_ads:                 ; STOS into 5, 6: A, D set there, 8, 9 untouched
    xor edx, edx
    jmp %{1}unhook_ad
%{1}unhook_adm:                 ; MOVS from 8, 9: A set there, D clear
    mov edx, 0x20
%{1}unhook_ad:
    mov eax, [PTW + 5 * XS]
    and eax, 0x60
    cmp eax, 0x60
    jne .b
    mov eax, [PTW + 6 * XS]
    and eax, 0x60
    cmp eax, 0x60
    jne .b
    mov eax, [PTW + 8 * XS]
    and eax, 0x60
    cmp eax, edx
    jne .b
    mov eax, [PTW + 9 * XS]
    and eax, 0x60
    cmp eax, edx
    je .r
.b: or XW [V_XERR], ASP_PTE
.r: mov XW [PTW + 5 * XS], PHYS_W + 10 * 0x1000 + 7
    mov XW [PTW + 6 * XS], PHYS_W + 12 * 0x1000 + 7
    mov XW [PTW + 8 * XS], PHYS_W + 16 * 0x1000 + 7
    mov XW [PTW + 9 * XS], PHYS_W + 18 * 0x1000 + 7
    invlpg [WIN + 0x5000]
    invlpg [WIN + 0x6000]
    invlpg [WIN + 0x8000]
    invlpg [WIN + 0x9000]
    ret
%{1}hook_bpw:                   ; DR0: write, 4 bytes at WIN + 2010h
    mov xax, WIN + 0x2010
    mov dr0, xax
    xor eax, eax
    mov dr6, xax
    mov eax, 0x000D0301
    mov dr7, xax
    ret
%{1}hook_bprw:                  ; DR0: read/write, 4 bytes at WIN + 8010h
    mov xax, WIN + 0x8010
    mov dr0, xax
    xor eax, eax
    mov dr6, xax
    mov eax, 0x000F0301
    mov dr7, xax
    ret
%{1}hook_tf:
    xor eax, eax
    mov dr6, xax
    ret
%{1}unhook_bs:                  ; DR6.BS must say single step
    mov xax, dr6
    test eax, 0x4000
    jnz .k
    or XW [V_XERR], ASP_EXC
.k: xor eax, eax
    mov dr6, xax
    ret
%{1}unhook_bp:                  ; DR6.B0 must say DR0 hit
    xor eax, eax
    mov dr7, xax
    mov xax, dr6
    test al, 1
    jnz .k
    or XW [V_XERR], ASP_EXC
.k: xor eax, eax
    mov dr6, xax
    ret

; ---- ring 3: enter at [R3_TGT] with EFLAGS [V_R3FL]; INT 31h returns ----
%{1}r3enter:
    mov [R3_ESP], xsp
%if XS == 4
    push eax
    mov ax, SEL_DATA_R3
    mov ds, ax
    mov es, ax
    pop eax
    push dword SEL_DATA_R3
    push dword USER_TOP
    push dword [ss:V_R3FL]
    push dword SEL_CODE32_R3
    push dword [ss:R3_TGT]
    iretd
%else
    push qword SEL_DATA_R3
    push qword USER_TOP
    push qword [V_R3FL]
    push qword SEL_CODE64_R3
    push qword [R3_TGT]
    iretq
%endif
%{1}r3back:                     ; INT 31h (DPL 3 gate)
%if XS == 4
    push eax
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    pop eax
    mov esp, [R3_ESP]
    ret
%else
    mov [R3_TMP], rax
    mov ax, SEL_DATA
    mov ss, ax
    mov rax, [R3_TMP]
    mov rsp, [R3_ESP]
    ret
%endif

; ---- reference routines, stubs, op descriptors ----
    REFSTOS %{1}r_stos1, 1, al
    REFSTOS %{1}r_stos2, 2, ax
    REFSTOS %{1}r_stos4, 4, eax
    REFMOVS %{1}r_movs1, 1, al
    REFMOVS %{1}r_movs2, 2, ax
    REFMOVS %{1}r_movs4, 4, eax
    STUB %{1}s_stos1, {rep stosb}
    STUB %{1}s_stos2, {rep stosw}
    STUB %{1}s_stos4, {rep stosd}
    STUB %{1}s_movs1, {rep movsb}
    STUB %{1}s_movs2, {rep movsw}
    STUB %{1}s_movs4, {rep movsd}
    STUB %{1}s_fmovs1, {fs rep movsb}
    STUB %{1}s_fmovs2, {fs rep movsw}
    STUB %{1}s_fmovs4, {fs rep movsd}
    REFDSTOS %{1}r_dstos1, 1, al
    REFDSTOS %{1}r_dstos2, 2, ax
    REFDSTOS %{1}r_dstos4, 4, eax
    REFDMOVS %{1}r_dmovs1, 1, al
    REFDMOVS %{1}r_dmovs2, 2, ax
    REFDMOVS %{1}r_dmovs4, 4, eax
    R3STUB %1, %{1}s_r3movs1, %{1}u_movs1, {rep movsb}
    R3STUB %1, %{1}s_r3movs4, %{1}u_movs4, {rep movsd}
    R3STUB %1, %{1}s_r3stos2, %{1}u_stos2, {rep stosw}
    R3STUB %1, %{1}s_r3stos4, %{1}u_stos4, {rep stosd}
%if XS == 8
    REFSTOS %{1}r_stos8, 8, rax
    REFMOVS %{1}r_movs8, 8, rax
    REFDSTOS %{1}r_dstos8, 8, rax
    REFDMOVS %{1}r_dmovs8, 8, rax
    STUB %{1}s_stos8, {rep stosq}
    STUB %{1}s_movs8, {rep movsq}
    STUB %{1}s_fmovs8, {fs rep movsq}
    R3STUB %1, %{1}s_r3movs8, %{1}u_movs8, {rep movsq}
    R3STUB %1, %{1}s_r3stos8, %{1}u_stos8, {rep stosq}
%else
    REFSTOS16 %{1}r_stos1_16, 1, al
    REFSTOS16 %{1}r_stos2_16, 2, ax
    REFSTOS16 %{1}r_stos4_16, 4, eax
    REFMOVS16 %{1}r_movs1_16, 1, al
    REFMOVS16 %{1}r_movs2_16, 2, ax
    REFMOVS16 %{1}r_movs4_16, 4, eax
    STUB %{1}s_a16stos1, {a16 rep stosb}
    STUB %{1}s_a16stos2, {a16 rep stosw}
    STUB %{1}s_a16stos4, {a16 rep stosd}
    STUB %{1}s_a16fmovs1, {fs a16 rep movsb}
    STUB %{1}s_a16fmovs2, {fs a16 rep movsw}
    STUB %{1}s_a16fmovs4, {fs a16 rep movsd}
%endif

    OPD %{1}o_stos1, %{1}s_stos1, %{1}r_stos1, 1, 0, "rep stosb", 0
    OPD %{1}o_stos2, %{1}s_stos2, %{1}r_stos2, 2, 0, "rep stosw", 0
    OPD %{1}o_stos4, %{1}s_stos4, %{1}r_stos4, 4, 0, "rep stosd", 0
    OPD %{1}o_movs1, %{1}s_movs1, %{1}r_movs1, 1, F_MOVS, "rep movsb", 0
    OPD %{1}o_movs2, %{1}s_movs2, %{1}r_movs2, 2, F_MOVS, "rep movsw", 0
    OPD %{1}o_movs4, %{1}s_movs4, %{1}r_movs4, 4, F_MOVS, "rep movsd", 0
    OPD %{1}o_dstos1, %{1}s_stos1, %{1}r_dstos1, 1, F_DOWN, "std; rep stosb", 0
    OPD %{1}o_dstos2, %{1}s_stos2, %{1}r_dstos2, 2, F_DOWN, "std; rep stosw", 0
    OPD %{1}o_dstos4, %{1}s_stos4, %{1}r_dstos4, 4, F_DOWN, "std; rep stosd", 0
    OPD %{1}o_dmovs1, %{1}s_movs1, %{1}r_dmovs1, 1, F_MOVS | F_DOWN, "std; rep movsb", 0
    OPD %{1}o_dmovs2, %{1}s_movs2, %{1}r_dmovs2, 2, F_MOVS | F_DOWN, "std; rep movsw", 0
    OPD %{1}o_dmovs4, %{1}s_movs4, %{1}r_dmovs4, 4, F_MOVS | F_DOWN, "std; rep movsd", 0
    OPD %{1}o_fmovs1, %{1}s_fmovs1, %{1}r_movs1, 1, F_MOVS, "fs rep movsb", 0
    OPD %{1}o_fmovs2, %{1}s_fmovs2, %{1}r_movs2, 2, F_MOVS, "fs rep movsw", 0
    OPD %{1}o_fmovs4, %{1}s_fmovs4, %{1}r_movs4, 4, F_MOVS, "fs rep movsd", 0
    OPD %{1}o_r3movs1, %{1}s_r3movs1, %{1}r_movs1, 1, F_MOVS | F_R3, "CPL-3 rep movsb", %{1}u_movs1
    OPD %{1}o_r3movs4, %{1}s_r3movs4, %{1}r_movs4, 4, F_MOVS | F_R3, "CPL-3 rep movsd", %{1}u_movs4
    OPD %{1}o_r3stos2, %{1}s_r3stos2, %{1}r_stos2, 2, F_R3, "CPL-3 rep stosw", %{1}u_stos2
    OPD %{1}o_r3stos4, %{1}s_r3stos4, %{1}r_stos4, 4, F_R3, "CPL-3 rep stosd", %{1}u_stos4
%if XS == 8
    OPD %{1}o_stos8, %{1}s_stos8, %{1}r_stos8, 8, 0, "rep stosq", 0
    OPD %{1}o_movs8, %{1}s_movs8, %{1}r_movs8, 8, F_MOVS, "rep movsq", 0
    OPD %{1}o_dstos8, %{1}s_stos8, %{1}r_dstos8, 8, F_DOWN, "std; rep stosq", 0
    OPD %{1}o_dmovs8, %{1}s_movs8, %{1}r_dmovs8, 8, F_MOVS | F_DOWN, "std; rep movsq", 0
    OPD %{1}o_fmovs8, %{1}s_fmovs8, %{1}r_movs8, 8, F_MOVS, "fs rep movsq", 0
    OPD %{1}o_r3movs8, %{1}s_r3movs8, %{1}r_movs8, 8, F_MOVS | F_R3, "CPL-3 rep movsq", %{1}u_movs8
    OPD %{1}o_r3stos8, %{1}s_r3stos8, %{1}r_stos8, 8, F_R3, "CPL-3 rep stosq", %{1}u_stos8
%else
    OPD %{1}o_a16stos1, %{1}s_a16stos1, %{1}r_stos1_16, 1, F_A16, "a16 rep stosb", 0
    OPD %{1}o_a16stos2, %{1}s_a16stos2, %{1}r_stos2_16, 2, F_A16, "a16 rep stosw", 0
    OPD %{1}o_a16stos4, %{1}s_a16stos4, %{1}r_stos4_16, 4, F_A16, "a16 rep stosd", 0
    OPD %{1}o_a16fmovs1, %{1}s_a16fmovs1, %{1}r_movs1_16, 1, F_MOVS | F_A16, "fs a16 rep movsb", 0
    OPD %{1}o_a16fmovs2, %{1}s_a16fmovs2, %{1}r_movs2_16, 2, F_MOVS | F_A16, "fs a16 rep movsw", 0
    OPD %{1}o_a16fmovs4, %{1}s_a16fmovs4, %{1}r_movs4_16, 4, F_MOVS | F_A16, "fs a16 rep movsd", 0
%endif

%{1}asp_mem:  db "memory exact (the run, the bytes around it, the frame after each page)", 0
%{1}asp_regs: db "ESI/EDI/ECX as after the last element done, EAX and flags kept", 0
%{1}asp_exc:  db "exception: vector, error code, CR2, EIP of the REP instruction", 0
%{1}asp_pte:  db "PTE accessed and dirty bits", 0

; ---- a. lengths and page offsets ----
%{1}ops_a:
    TADDR32 %{1}o_stos1
    TADDR32 %{1}o_stos2
    TADDR32 %{1}o_stos4
%if XS == 8
    TADDR32 %{1}o_stos8
%endif
    TADDR32 %{1}o_movs1
    TADDR32 %{1}o_movs2
    TADDR32 %{1}o_movs4
%if XS == 8
    TADDR32 %{1}o_movs8
%endif
    dd 0
%{1}ops_b:
    TADDR32 %{1}o_movs1
    TADDR32 %{1}o_movs2
    TADDR32 %{1}o_movs4
%if XS == 8
    TADDR32 %{1}o_movs8
%endif
    dd 0
%{1}cnt_a:                      ; count = (base >> log2 size) + add
    dd 0, 0, 0, 1, 0, 2, 0, 3, 4096, -1, 4096, 0, 4096, 1, 10000, 0
%{1}cnt_b:
    dd 0, 3, 4096, -1, 4096, 2, 10000, 0
%{1}offs:
    dd 0, 1, 3, 4093, 4095
%{1}deltas:                     ; destination - source = a * size + b
    dd 0, 1, 0, 2, 1, 0, 1, 1, 0, 100, 0, 4096, 0, -1, -1, 0, 0, -100
%{1}nameA: db "a. runs of 0-3, 4096/size-1..+1 and 10000/size elements from page offsets 0/1/3/4093/4095,", 0
%{1}nameB: db "b. overlapping runs, destination - source = +1 +2 +size +size+1 +100 +4096 -1 -size -100,", 0

%{1}partA:
    LADDR xbp, %{1}ops_a
.op: LDD xbx, [CSO xbp]
    test xbx, xbx
    jz .done
    push xbp
    mov [L_OP], xbx
    LADDR xsi, %{1}nameA
    LDD xdx, [CSO xbx + 20]
    mov al, ASP_MEM | ASP_REGS
    call %{1}gbegin
    mov XW [L_I], 0
.ci: mov XW [L_J], 0
.dj: mov XW [L_L], 0
.sl: call %{1}defaults
    mov xbx, [L_OP]
    mov [V_OPD], xbx
    LDD xcx, [CSO xbx + 12]
    bsf ecx, ecx
    mov xdi, [L_I]
    LADDR xsi, %{1}cnt_a
    LDD xdx, [CSO xsi + xdi * 8]
    shr xdx, cl
    LDD xax, [CSO xsi + xdi * 8 + 4]
    add xdx, xax
    mov [V_CNT], xdx
    mov [V_K], xdx
    shl xdx, cl
    mov [L_LEN], xdx
    LADDR xsi, %{1}offs
    mov xdi, [L_J]
    LDD xdx, [CSO xsi + xdi * 4]
    test byte [CSO xbx + 16], F_MOVS
    jnz .movs
    add xdx, WIN + 0x1000
    mov [V_DST], xdx
    mov [V_DOFF], xdx
    mov [V_SRC], xdx
    call %{1}case
    jmp .nd
.movs:
    mov xdi, [L_L]
    LDD xax, [CSO xsi + xdi * 4]
    add xax, WIN + 0x1000
    mov [V_SRC], xax
    mov [V_SOFF], xax
    add xax, [L_LEN]
    add xax, 0xFFF
    and xax, -0x1000
    add xax, xdx
    mov [V_DST], xax
    mov [V_DOFF], xax
    call %{1}case
    inc XW [L_L]
    cmp XW [L_L], 5
    jb .sl
.nd: inc XW [L_J]
    cmp XW [L_J], 5
    jb .dj
    inc XW [L_I]
    cmp XW [L_I], 8
    jb .ci
    call %{1}gend
    pop xbp
    add xbp, 4
    jmp .op
.done:
    LADDR xsi, %{1}nameDF
    mov al, ASP_MEM | ASP_REGS
    LADDR xbp, %{1}rowsDF
    jmp %{1}group

%{1}partB:
    LADDR xbp, %{1}ops_b
.op: LDD xbx, [CSO xbp]
    test xbx, xbx
    jz .done
    push xbp
    mov [L_OP], xbx
    LADDR xsi, %{1}nameB
    LDD xdx, [CSO xbx + 20]
    mov al, ASP_MEM | ASP_REGS
    call %{1}gbegin
    mov XW [L_I], 0
.ci: mov XW [L_J], 0
.sj: mov XW [L_L], 0
.dl: call %{1}defaults
    mov xbx, [L_OP]
    mov [V_OPD], xbx
    LDD xcx, [CSO xbx + 12]
    mov [L_LEN], xcx
    bsf ecx, ecx
    mov xdi, [L_I]
    LADDR xsi, %{1}cnt_b
    LDD xdx, [CSO xsi + xdi * 8]
    shr xdx, cl
    LDD xax, [CSO xsi + xdi * 8 + 4]
    add xdx, xax
    mov [V_CNT], xdx
    mov [V_K], xdx
    mov xax, [L_J]              ; source page offset 0 or 4093
    imul xax, xax, 4093
    add xax, WIN + 0x6000
    mov [V_SRC], xax
    mov [V_SOFF], xax
    mov xdi, [L_L]
    LADDR xsi, %{1}deltas
    LDD xdx, [CSO xsi + xdi * 8]
    imul xdx, [L_LEN]
    LDD xcx, [CSO xsi + xdi * 8 + 4]
    add xdx, xcx
    add xax, xdx
    mov [V_DST], xax
    mov [V_DOFF], xax
    call %{1}case
    inc XW [L_L]
    cmp XW [L_L], 9
    jb .dl
    inc XW [L_J]
    cmp XW [L_J], 2
    jb .sj
    inc XW [L_I]
    cmp XW [L_I], 4
    jb .ci
    call %{1}gend
    pop xbp
    add xbp, 4
    jmp .op
.done: ret

; ---- table-driven parts (rows below) ----
%{1}partC:
%assign %%s 1
%rep 4
%if %%s < 8 || XS == 8
    LADDR xsi, %{1}nameC%[%%s]
    mov al, ASP_MEM | ASP_REGS | ASP_EXC
    LADDR xbp, %{1}rowsC%[%%s]
    call %{1}group
%endif
%assign %%s %%s * 2
%endrep
    LADDR xsi, %{1}nameAD
    mov al, ASP_MEM | ASP_REGS | ASP_PTE
    LADDR xbp, %{1}rowsAD
    call %{1}group
    LADDR xsi, %{1}nameAL
    mov al, ASP_MEM | ASP_REGS
    LADDR xbp, %{1}rowsAL
    jmp %{1}group

%{1}partH:
    ; does a misaligned CPL-3 access with AC=1 raise #AC here?
    call %{1}defaults
    LADDR xax, %{1}o_r3movs4
    mov [V_OPD], xax
    mov XW [V_SRC], WIN + 0x8001
    mov XW [V_SOFF], WIN + 0x8001
    mov XW [V_DST], WIN + 0x1000
    mov XW [V_DOFF], WIN + 0x1000
    mov XW [V_CNT], 1
    mov XW [V_K], 0
    mov XW [V_R3FL], 0x40002
    call %{1}case
    xor eax, eax
    cmp XW [REC_VEC], 17
    sete al
    mov [ACOK], xax
    test eax, eax
    jnz .ac
    XPUTS %1, `note: a misaligned CPL-3 access with CR0.AM = EFLAGS.AC = 1 did not raise #AC (QEMU's TCG has no alignment check): the #AC runs of part h are left out\n`
    jmp .noac
.ac: LADDR xsi, %{1}nameH1
    mov al, ASP_MEM | ASP_REGS | ASP_EXC
    LADDR xbp, %{1}rowsH1
    call %{1}group
.noac:
    LADDR xsi, %{1}nameH2
    mov al, ASP_MEM | ASP_REGS | ASP_EXC
    LADDR xbp, %{1}rowsH2
    call %{1}group
    LADDR xsi, %{1}nameH3
    mov al, ASP_MEM | ASP_REGS | ASP_EXC
    LADDR xbp, %{1}rowsH3
    call %{1}group
    LADDR xsi, %{1}nameH4
    mov al, ASP_MEM | ASP_REGS | ASP_EXC
    LADDR xbp, %{1}rowsH4
    jmp %{1}group

%{1}runs:                       ; how many runs were compared
    XPUTS %1, "  ("
    push xsi
    mov xsi, [MODE_STR]
    call %{1}puts
    pop xsi
    XPUTS %1, ": runs compared with their reference: "
    XHEX %1, [RUNS]
    XPUTS %1, `)\n`
    ret

%{1}partI:
    LADDR xsi, %{1}nameTF
    mov al, ASP_MEM | ASP_REGS | ASP_EXC
    LADDR xbp, %{1}rowsTF
    call %{1}group
    LADDR xsi, %{1}nameI
    mov al, ASP_MEM | ASP_REGS | ASP_EXC
    LADDR xbp, %{1}rowsI
    jmp %{1}group

; ---- f. self-modifying code ----
%{1}copy:                       ; ECX bytes from ROM at xSI to xDI
    mov al, [CSO xsi]
    mov [xdi], al
    inc xsi
    inc xdi
    dec ecx
    jnz %{1}copy
    ret

%{1}f_r1:                       ; copied to CODE_A + 100h
    mov eax, 0x11111111
    FRET
%{1}f_r1_end:
%{1}f_r4:                       ; copied to CODE_C + 800h
    rep stosd
    FRET
    int3
%{1}f_r4_end:

; The page image for CODE_B at SMCDATA: INT3s, at 800h "mov eax, EAX; ret".
%{1}f_image:
    mov xdi, SMCDATA
    mov edx, 1024
.l: mov dword [xdi], 0xCCCCCCCC
    add xdi, 4
    dec edx
    jnz .l
    mov byte [SMCDATA + 0x800], 0xB8
    mov [SMCDATA + 0x801], eax
%if XS == 4
    mov byte [SMCDATA + 0x805], 0xCB
%else
    mov byte [SMCDATA + 0x805], 0xC3
%endif
    ret

%{1}partF:
    cld
    LADDR xsi, %{1}f_r1
    mov edi, CODE_A + 0x100
    mov ecx, %{1}f_r1_end - %{1}f_r1
    call %{1}copy
    LADDR xsi, %{1}f_r4
    mov edi, CODE_C + 0x800
    mov ecx, %{1}f_r4_end - %{1}f_r4
    call %{1}copy
    mov eax, 0x22222222
    call %{1}f_image
    mov esi, SMCDATA
    mov edi, CODE_B
.cp: mov eax, [xsi]
    mov [xdi], eax
    add esi, 4
    add edi, 4
    cmp edi, CODE_B + 0x1000
    jb .cp

    ; f1: REP MOVSB / STOSB rewriting the MOV of a hot routine
    xor ebp, ebp
    mov XW [L_I], 0
    mov XW [L_J], 0x11111111
.t1: mov eax, [L_I]
    cmp eax, 60
    jb .c1
    test al, 3
    jnz .c1
    test al, 4
    jnz .s1
    imul eax, eax, 0x00010203
    add eax, 0x0A0B0C0D
    mov [L_J], eax
    mov byte [SMCDATA + 0x1000], 0xB8
    mov [SMCDATA + 0x1001], eax
    mov esi, SMCDATA + 0x1000
    mov edi, CODE_A + 0x100
    mov ecx, 5
    rep movsb
    jmp .c1
.s1: and eax, 0x7F
    or eax, 0x40
    imul edx, eax, 0x01010101
    mov [L_J], edx
    mov edi, CODE_A + 0x101
    mov ecx, 4
    rep stosb
.c1: FCALL CODE_A + 0x100
    cmp eax, [L_J]
    je .k1
    or ebp, 1
.k1: inc XW [L_I]
    cmp XW [L_I], 240
    jb .t1
    test ebp, ebp
    XCHK %1, "f. SMC: REP MOVSB (5 bytes) and REP STOSB (4 bytes) rewriting the MOV of a routine called 240 times: every call runs the bytes last written"

    ; f2: REP MOVS of a whole page image over a page with a hot routine
    xor ebp, ebp
    mov XW [L_I], 0
    mov XW [L_J], 0x22222222
.t2: mov eax, [L_I]
    cmp eax, 60
    jb .c2
    test al, 3
    jnz .c2
    imul eax, eax, 0x01000193
    add eax, 0x01234567
    mov [L_J], eax
    call %{1}f_image
    mov esi, SMCDATA
    mov edi, CODE_B
    mov eax, [L_I]
    shr eax, 2
    and eax, 3
    jz .mb
    cmp eax, 1
    je .mw
    cmp eax, 2
    je .md
%if XS == 8
    mov ecx, 512
    rep movsq
%else
    mov ecx, 1024
    rep movsd
%endif
    jmp .mx
.mb: mov ecx, 4096
    rep movsb
    jmp .mx
.mw: mov ecx, 2048
    rep movsw
    jmp .mx
.md: mov ecx, 1024
    rep movsd
.mx: test ecx, ecx
    jnz .b2
    cmp edi, CODE_B + 0x1000
    jne .b2
    cmp esi, SMCDATA + 0x1000
    je .c2
.b2: or ebp, 2
.c2: FCALL CODE_B + 0x800
    cmp eax, [L_J]
    je .k2
    or ebp, 1
.k2: inc XW [L_I]
    cmp XW [L_I], 240
    jb .t2
    test ebp, ebp
    XCHK %1, "f. SMC: REP MOVSB/W/D/Q copying a whole page image over a page whose routine is called 240 times: every call runs the new routine"

    ; f3: REP STOSD on its own code page, below and above its bytes
    xor ebp, ebp
    mov XW [L_I], 0
.t3: mov eax, [L_I]
    mov edi, SMCDATA + 0x1000
    mov ecx, 0x100
    cmp eax, 60
    jb .c3
    test al, 1
    jz .c3
    mov edi, CODE_C
    mov ecx, 0x200
    test al, 2
    jz .c3
    mov edi, CODE_C + 0x804
    mov ecx, (0x2000 - 0x804) / 4
.c3: mov [L_L], xdi
    mov [L_M], xcx
    imul eax, eax, -1640531527
    mov [L_J], eax
    FCALL CODE_C + 0x800
    test ecx, ecx
    jnz .b3
    mov xdx, [L_M]
    shl xdx, 2
    add xdx, [L_L]
    cmp xdi, xdx
    jne .b3
    mov xdi, [L_L]
    xor ecx, ecx
.v3: mov eax, [xdi]
    xor eax, [L_J]
    or ecx, eax
    add xdi, 4
    cmp xdi, xdx
    jb .v3
    test ecx, ecx
    jnz .b3
    LADDR xsi, %{1}f_r4
    mov eax, [CSO xsi]
    cmp [CODE_C + 0x800], eax
    je .k3
.b3: or ebp, 1
.k3: inc XW [L_I]
    cmp XW [L_I], 240
    jb .t3
    test ebp, ebp
    XCHK %1, "f. REP STOSD filling its own code page (below its bytes; above them on into the next page), called 240 times: runs on, ECX/EDI and memory exact, its bytes intact"
    ret

; ---- g. timer interrupts in 1 MiB REP STOSD runs ----
%{1}partG:
    cld
    mov edi, BIG
.f: mov dword [xdi], 0x5A5A5A5A
    add edi, 4
    cmp edi, BIG + 0x100000
    jb .f
    mov dword [BIG - 4], 0x600DF00D
    mov dword [BIG + 0x100000], 0x600DF00D
    xor eax, eax
    mov [TICKS], xax
    mov [MID], xax
    mov [GBAD], xax
    mov [GEND], xax
    mov [L_I], xax
    mov XW [GPREV], 0x5A5A5A5A
    mov al, 0x34                ; channel 0, lo/hi, mode 2
    out 0x43, al
    mov al, PIT_DIV & 0xFF
    out 0x40, al
    mov al, PIT_DIV >> 8
    out 0x40, al
    mov al, 0xFE
    out 0x21, al
    sti
.g: mov eax, [L_I]
    imul eax, eax, 0x01020304
    add eax, 0x11223344
    mov [GVAL], xax
    mov edi, BIG
    mov ecx, 0x40000
.grep:                          ; the REP the interrupt handlers look for
    rep stosd
    test ecx, ecx
    jnz .e
    cmp edi, BIG + 0x100000
    je .ok
.e: mov XW [GEND], 1
.ok: mov [GPREV], xax
    inc XW [L_I]
    cmp XW [MID], 3
    jae .out
    cmp XW [L_I], 20000         ; the virtual clock may need a while to
    jb .g                       ; learn what a REP batch costs
.out:
    cli
    mov al, 0xFF
    out 0x21, al
    mov edi, BIG
    xor edx, edx
.v: mov eax, [xdi]
    xor eax, [GPREV]
    or edx, eax
    add edi, 4
    cmp edi, BIG + 0x100000
    jb .v
    test edx, edx
    jnz .bad
    cmp dword [BIG - 4], 0x600DF00D
    jne .bad
    cmp dword [BIG + 0x100000], 0x600DF00D
    je .rep
.bad: mov XW [GEND], 1
.rep:
    XPUTS %1, "  (part g: runs "
    XHEX %1, [L_I]
    XPUTS %1, ", timer interrupts "
    XHEX %1, [TICKS]
    XPUTS %1, `, in the middle of a REP: at least 3 wanted)\n`
    cmp XW [TICKS], 0
    setz al
    test al, al
    XCHK %1, "g. PIT interrupts (about 24 kHz) arrive during repeated 1 MiB REP STOSD runs"
    cmp XW [MID], 0
    setz al
    test al, al
    XCHK %1, "g. some are taken in the middle of the instruction (EIP at the REP, 0 < ECX < 40000h)"
    cmp XW [GBAD], 0
    XCHK %1, "g. at each of those, EDI matches ECX, the dword below EDI holds the new value and the dword at EDI the old one"
    cmp XW [GEND], 0
    XCHK %1, "g. after each run ECX = 0 and EDI = the end; the last run's 1 MiB is exact and the dwords either side untouched"
    ret
%endmacro

; ----------------------------------------------------------------------
; Rows shared by both modes (prefix %1): c, AD, alias, h, i.
; ----------------------------------------------------------------------
%macro CSET 2                   ; prefix, size
 %if %2 == 1
  %assign %%d NPG - 3
 %else
  %assign %%d NPG - 2 * %2 - 1
 %endif
    KAT %%d, %2, NPG
    FROW %{1}o_stos%2, %%d, %%d, 16, RK, 14, 2, RC, %{1}hook_np, %{1}unhook_np, 2
    KAT NPG - 0x2000 + 3, %2, NPG
    FROW %{1}o_stos%2, NPG - 0x2000 + 3, NPG - 0x2000 + 3, 0x3000 / %2, RK, 14, 2, RC, %{1}hook_np, %{1}unhook_np, 2
    FROW %{1}o_movs%2, WIN + 0x8001, NPG - 0x2000 + 3, 0x3000 / %2, RK, 14, 2, RC, %{1}hook_np, %{1}unhook_np, 2
    FROW %{1}o_stos%2, NPG - 0x2000 + 3, NPG - 0x2000 + 3, 0x3000 / %2, RK, 14, 3, RC, %{1}hook_ro, %{1}unhook_np, 2
    KAT NPG - 0x2000 + 5, %2, NPG
    FROW %{1}o_movs%2, NPG - 0x2000 + 5, WIN + 0x8002, 0x3000 / %2, RK, 14, 0, RC, %{1}hook_np, %{1}unhook_np, 2
 %if %2 == 1
  %assign %%d NPG - 2
 %else
  %assign %%d NPG - 2 * %2 + 1
 %endif
    KAT %%d, %2, NPG
    FROW %{1}o_movs%2, %%d, WIN + 0x8003, 8, RK, 14, 0, RC, %{1}hook_np, %{1}unhook_np, 2
    KAT NPG - 0x1000, %2, NPG
    FROW %{1}o_movs%2, NPG - 0x1000, WIN + 0x8000, 0x2000 / %2, RK, 14, 0, RC, %{1}hook_np, %{1}unhook_np, 2
    KAT NPG - 0x1000 + 1, %2, NPG
    FROW %{1}o_movs%2, WIN + 0x8001, NPG - 0x1000 + 1, 0x2000 / %2, RK, 14, 3, RC, %{1}hook_ro, %{1}unhook_np, 2
    FROW %{1}o_stos%2, NPG - 0x1000, NPG - 0x1000, 0x2000 / %2, 0x1000 / %2, 14, 3, NPG, %{1}hook_ro, %{1}unhook_np, 2
    FROW %{1}o_movs%2, WIN + 0x8000, NPG - 0x1000, 0x2000 / %2, 0x1000 / %2, 14, 3, NPG, %{1}hook_ro, %{1}unhook_np, 2
    ENDROWS
%endmacro

%macro ADSET 2
    FROW %{1}o_movs%2, WIN + 0x8004, WIN + 0x5007, 0x1800 / %2, 0x1800 / %2, -1, -1, -1, %{1}hook_ad, %{1}unhook_adm, 2
    FROW %{1}o_stos%2, WIN + 0x5007, WIN + 0x5007, 0x1800 / %2, 0x1800 / %2, -1, -1, -1, %{1}hook_ad, %{1}unhook_ads, 2
%endmacro

; DF = 1: downward from the addresses given
%macro DFSET 2
    ROW %{1}o_dstos%2, WIN + 0x3003, WIN + 0x3003, 0x5EED0001, WIN + 0x3003, 0x2000 / %2, 0x2000 / %2, -1, -1, -1, 0, 0, 0, 0, WIN, WIN + 0x5000, 2
    ROW %{1}o_dmovs%2, WIN + 0x7001, WIN + 0x3005, WIN + 0x7001, WIN + 0x3005, 0x2000 / %2, 0x2000 / %2, -1, -1, -1, 0, 0, 0, 0, WIN, WIN + 0x9000, 2
    ROW %{1}o_dmovs%2, WIN + 0x3010, WIN + 0x300F, WIN + 0x3010, WIN + 0x300F, 0x1800 / %2, 0x1800 / %2, -1, -1, -1, 0, 0, 0, 0, WIN + 0x1000, WIN + 0x5000, 2
    ROW %{1}o_dmovs%2, WIN + 0x3010, WIN + 0x3011, WIN + 0x3010, WIN + 0x3011, 0x1800 / %2, 0x1800 / %2, -1, -1, -1, 0, 0, 0, 0, WIN + 0x1000, WIN + 0x5000, 2
%endmacro

; Two linear pages, one frame: the physical destination is source + d.
%define ALIASW (WIN + NW * 0x1000)
%macro ALSET 2
    %assign %%c 0xE00 / %2
    ROW %{1}o_movs%2, WIN + 0x3010, ALIASW + 0x11, WIN + 0x3010, ALIASW + 0x11, %%c, %%c, -1, -1, -1, 0, 0, 0, 0, WIN + 0x2000, WIN_END, 2
    ROW %{1}o_movs%2, WIN + 0x3010, ALIASW + 0x10 + %2, WIN + 0x3010, ALIASW + 0x10 + %2, %%c, %%c, -1, -1, -1, 0, 0, 0, 0, WIN + 0x2000, WIN_END, 2
    ROW %{1}o_movs%2, WIN + 0x3010, ALIASW + 0x11 + %2, WIN + 0x3010, ALIASW + 0x11 + %2, %%c, %%c, -1, -1, -1, 0, 0, 0, 0, WIN + 0x2000, WIN_END, 2
    ROW %{1}o_movs%2, ALIASW + 0x10, WIN + 0x3011, ALIASW + 0x10, WIN + 0x3011, %%c, %%c, -1, -1, -1, 0, 0, 0, 0, WIN + 0x2000, WIN_END, 2
    ROW %{1}o_movs%2, WIN + 0x3010, ALIASW + 0x0F, WIN + 0x3010, ALIASW + 0x0F, %%c, %%c, -1, -1, -1, 0, 0, 0, 0, WIN + 0x2000, WIN_END, 2
%endmacro

; h1: #AC(0) at the first element (AC=1)
%macro H1SET 1
    FROW %{1}o_r3movs4, WIN + 0x8000, WIN + 0x1001, 100, 0, 17, 0, -1, 0, 0, 0x40002
    FROW %{1}o_r3movs4, WIN + 0x8002, WIN + 0x1000, 100, 0, 17, 0, -1, 0, 0, 0x40002
    FROW %{1}o_r3stos4, WIN + 0x1FFE, WIN + 0x1FFE, 3000, 0, 17, 0, -1, 0, 0, 0x40002
    FROW %{1}o_r3stos2, WIN + 0x1001, WIN + 0x1001, 3000, 0, 17, 0, -1, 0, 0, 0x40002
%if XS == 8
    FROW %{1}o_r3movs8, WIN + 0x8000, WIN + 0x1004, 100, 0, 17, 0, -1, 0, 0, 0x40002
%endif
    ENDROWS
%endmacro
; h2: aligned runs with AC=1
%macro H2SET 1
    FROW %{1}o_r3movs4, WIN + 0x8000, WIN + 0x1000, 3000, 3000, -1, -1, -1, 0, 0, 0x40002
    FROW %{1}o_r3movs1, WIN + 0x8001, WIN + 0x1003, 9000, 9000, -1, -1, -1, 0, 0, 0x40002
    FROW %{1}o_r3stos4, WIN + 0x1FF0, WIN + 0x1FF0, 2000, 2000, -1, -1, -1, 0, 0, 0x40002
    FROW %{1}o_r3stos2, WIN + 0x1000, WIN + 0x1000, 4000, 4000, -1, -1, -1, 0, 0, 0x40002
%if XS == 8
    FROW %{1}o_r3movs8, WIN + 0x8008, WIN + 0x1FF8, 1500, 1500, -1, -1, -1, 0, 0, 0x40002
    FROW %{1}o_r3stos8, WIN + 0x1008, WIN + 0x1008, 1500, 1500, -1, -1, -1, 0, 0, 0x40002
%endif
    ENDROWS
%endmacro
; h3: misaligned runs with AC=0
%macro H3SET 1
    FROW %{1}o_r3movs4, WIN + 0x8001, WIN + 0x1003, 3000, 3000, -1, -1, -1, 0, 0, 2
    FROW %{1}o_r3stos4, WIN + 0x1002, WIN + 0x1002, 3000, 3000, -1, -1, -1, 0, 0, 2
    FROW %{1}o_r3stos2, WIN + 0x1001, WIN + 0x1001, 5000, 5000, -1, -1, -1, 0, 0, 2
%if XS == 8
    FROW %{1}o_r3movs8, WIN + 0x8003, WIN + 0x1005, 1500, 1500, -1, -1, -1, 0, 0, 2
    FROW %{1}o_r3stos8, WIN + 0x1004, WIN + 0x1004, 1500, 1500, -1, -1, -1, 0, 0, 2
%endif
    ENDROWS
%endmacro
; h4: #PF at CPL 3: U/S set in the error code
%macro H4SET 1
    KAT NPG - 0x1000 + 2, 4, NPG
    FROW %{1}o_r3stos4, NPG - 0x1000 + 2, NPG - 0x1000 + 2, 0x800, RK, 14, 6, RC, %{1}hook_np, %{1}unhook_np, 2
    KAT NPG - 0x1000 + 1, 4, NPG
    FROW %{1}o_r3movs4, NPG - 0x1000 + 1, WIN + 0x8000, 0x800, RK, 14, 4, RC, %{1}hook_np, %{1}unhook_np, 2
    KAT NPG - 0x1800 + 1, 1, NPG
    FROW %{1}o_r3movs1, NPG - 0x1800 + 1, WIN + 0x8000, 0x2000, RK, 14, 4, RC, %{1}hook_np, %{1}unhook_np, 0x40002
    ENDROWS
%endmacro
; i: data breakpoints; K = elements up to the one that touches DR0
%macro ISET 1
    KAT WIN + 0x1000, 4, WIN + 0x2010
    FROW %{1}o_stos4, WIN + 0x1000, WIN + 0x1000, 0x1000, RK + 1, 1, -1, -1, %{1}hook_bpw, %{1}unhook_bp, 2
    KAT WIN + 0x1003, 1, WIN + 0x2010
    FROW %{1}o_stos1, WIN + 0x1003, WIN + 0x1003, 0x3000, RK + 1, 1, -1, -1, %{1}hook_bpw, %{1}unhook_bp, 2
    KAT WIN + 0x1001, 2, WIN + 0x2010
    FROW %{1}o_movs2, WIN + 0x9001, WIN + 0x1001, 0x1000, RK + 1, 1, -1, -1, %{1}hook_bpw, %{1}unhook_bp, 2
    KAT WIN + 0x7001, 2, WIN + 0x8010
    FROW %{1}o_movs2, WIN + 0x7001, WIN + 0x1000, 0x1000, RK + 1, 1, -1, -1, %{1}hook_bprw, %{1}unhook_bp, 2
%if XS == 8
    KAT WIN + 0x1004, 8, WIN + 0x2010
    FROW %{1}o_stos8, WIN + 0x1004, WIN + 0x1004, 0x800, RK + 1, 1, -1, -1, %{1}hook_bpw, %{1}unhook_bp, 2
%endif
    ENDROWS
%endmacro

%macro TABLES 1
%{1}rowsC1: CSET %1, 1
%{1}rowsC2: CSET %1, 2
%{1}rowsC4: CSET %1, 4
%if XS == 8
%{1}rowsC8: CSET %1, 8
%endif
%{1}rowsAD:
    ADSET %1, 1
    ADSET %1, 2
    ADSET %1, 4
%if XS == 8
    ADSET %1, 8
%endif
    ENDROWS
%{1}rowsDF:
    DFSET %1, 1
    DFSET %1, 2
    DFSET %1, 4
%if XS == 8
    DFSET %1, 8
%endif
    ENDROWS
%{1}rowsAL:
    ALSET %1, 1
    ALSET %1, 2
    ALSET %1, 4
%if XS == 8
    ALSET %1, 8
%endif
    ENDROWS
%{1}rowsH1: H1SET %1
%{1}rowsH2: H2SET %1
%{1}rowsH3: H3SET %1
%{1}rowsH4: H4SET %1
%{1}rowsI:  ISET %1
%{1}rowsTF:
    FROW %{1}o_r3stos4, WIN + 0x1000, WIN + 0x1000, 0x1000, 1, 1, -1, -1, %{1}hook_tf, %{1}unhook_bs, 0x102
    FROW %{1}o_r3stos2, WIN + 0x1FFE, WIN + 0x1FFE, 0x1000, 1, 1, -1, -1, %{1}hook_tf, %{1}unhook_bs, 0x102
    FROW %{1}o_r3movs1, WIN + 0x8001, WIN + 0x1003, 0x3000, 1, 1, -1, -1, %{1}hook_tf, %{1}unhook_bs, 0x102
    FROW %{1}o_r3movs4, WIN + 0x8000, WIN + 0x1000, 0x1000, 1, 1, -1, -1, %{1}hook_tf, %{1}unhook_bs, 0x102
    ENDROWS
%{1}nameC1: db "c. #PF mid-run (destination or source reaching a not-present page, destination reaching a read-only one), byte elements", 0
%{1}nameC2: db "c. #PF mid-run (destination or source reaching a not-present page, destination reaching a read-only one), word elements", 0
%{1}nameC4: db "c. #PF mid-run (destination or source reaching a not-present page, destination reaching a read-only one), dword elements", 0
%if XS == 8
%{1}nameC8: db "c. #PF mid-run (destination or source reaching a not-present page, destination reaching a read-only one), qword elements", 0
%endif
%{1}nameDF: db "a. EFLAGS.DF=1: downward runs across page boundaries (STOS, MOVS, MOVS with destination = source - 1 and + 1)", 0
%{1}nameAD: db "c. runs over pages whose PTEs have A=0 D=0 (MOVS and STOS, all sizes)", 0
%{1}nameAL: db "b. MOVS between two linear pages mapping one frame (physical destination - source = +1 +size +size+1 -1, and reversed)", 0
%{1}nameH1: db "h. CPL 3, CR0.AM=1, EFLAGS.AC=1: a misaligned first element raises #AC(0) before anything is written", 0
%{1}nameH2: db "h. CPL 3, CR0.AM=1, EFLAGS.AC=1: aligned runs across pages", 0
%{1}nameH3: db "h. CPL 3, CR0.AM=1, EFLAGS.AC=0: misaligned runs across pages", 0
%{1}nameH4: db "h. CPL 3: #PF mid-run, U/S set in the error code", 0
%{1}nameTF: db "i. EFLAGS.TF=1 (from IRET to CPL 3): single-step #DB after the first element, EIP at the REP, DR6.BS", 0
%{1}nameI:  db "i. data breakpoint (DR0/DR7) inside a run: #DB after the element touching it, EIP at the REP", 0
%endmacro

; ======================================================================
; real mode
; ======================================================================
start:
    ROM_INIT
    PUTS `string_pages: REP MOVS/STOS a page at a time equal element by element\n`
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb .nolm
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29
    jnz .lm_ok
.nolm:
    SKIP_TEST "no long mode (CPUID 80000001h EDX.LM = 0)"
.lm_ok:
    cld
    mov si, lm_gdt
    mov di, GDT_BASE
    mov cx, lm_gdt_end - lm_gdt
.g1: mov al, [cs:si]
    mov [di], al
    inc si
    inc di
    loop .g1
    mov si, xgdt
    mov di, GDT_BASE + GDT_FREE
    mov cx, xgdt_end - xgdt
.g2: mov al, [cs:si]
    mov [di], al
    inc si
    inc di
    loop .g2
    ; IDT: 0-31 recording stubs, 20h IRQ0, 31h back from CPL 3, rest IRET
    mov di, IDT_BASE
    xor bx, bx
.idt: mov ax, pm_iret32
    mov dx, 0x8E00
    cmp bx, 32
    jae .i1
    mov ax, bx
    shl ax, 4
    add ax, stubs32
.i1: cmp bx, 0x20
    jne .i2
    mov ax, irq32
.i2: cmp bx, 0x31
    jne .i3
    mov ax, h32r3back
    mov dx, 0xEE00
.i3: mov [di], ax
    mov word [di + 2], SEL_CODE32
    mov [di + 4], dx
    mov word [di + 6], 0
    add di, 8
    inc bx
    cmp bx, 256
    jb .idt
    o32 lgdt [cs:lm_gdtr]
    o32 lidt [cs:idt32r]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp dword SEL_CODE32:pm32_main

; ======================================================================
; 32-bit protected mode (CS = SEL_CODE32, base F0000h)
; ======================================================================
bits 32
    MODE32
pm32_main:
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, STACK_TOP
    ; 8259s at 20h-2Fh, all masked; the LAPIC passes them on (LINT0 ExtINT)
    mov al, 0x11
    out 0x20, al
    out 0xA0, al
    mov al, 0x20
    out 0x21, al
    mov al, 0x28
    out 0xA1, al
    mov al, 4
    out 0x21, al
    mov al, 2
    out 0xA1, al
    mov al, 1
    out 0x21, al
    out 0xA1, al
    mov al, 0xFF
    out 0x21, al
    out 0xA1, al
    mov dword [0xFEE000F0], 0x1FF
    mov dword [0xFEE00350], 0x700
    ; TSS: the CPL-0 stack for CPL 3
    mov edi, TSS_BASE
    xor eax, eax
    mov ecx, 0x68 / 4
.t: mov [edi], eax
    add edi, 4
    loop .t
    mov dword [TSS_BASE + 4], RSP0_TOP
    mov dword [TSS_BASE + 8], SEL_DATA
    mov word [TSS_BASE + 0x66], 0x68
    mov ax, SEL_TSS
    ltr ax
    ; paging: 0-4 MiB identity, the window at 4 MiB
    mov edi, PD32
    xor eax, eax
.z: mov [edi], eax
    add edi, 4
    cmp edi, PT32W + 0x1000
    jb .z
    mov dword [PD32], PT32 | 7
    mov dword [PD32 + 4], PT32W | 7
    mov edi, PT32
    mov eax, 7
.pt: mov [edi], eax
    add eax, 0x1000
    add edi, 4
    cmp edi, PT32 + 0x1000
    jb .pt
    mov edi, PT32W
    mov eax, PHYS_W | 7
.pw: mov [edi], eax
    add eax, 0x2000
    add edi, 4
    cmp edi, PT32W + NW * 4
    jb .pw
    mov dword [PT32W + NW * 4], PHYS_W + 2 * ALIASOF * 0x1000 + 7
    mov eax, PD32
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80050000          ; PG, AM, WP
    mov cr0, eax
    call sentinels32
    mov dword [MODE_STR], str_pm32
    mov dword [RUNS], 0
    call t32_all
    ; back to real mode
    mov eax, cr0
    and eax, 0x7FFFFFFF
    mov cr0, eax
    jmp SEL_CODE16:pm32_exit
bits 16
pm32_exit:
    mov ax, SEL_DATA16
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov eax, cr0
    and al, 0xFE
    mov cr0, eax
    jmp 0xF000:real2
real2:
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov sp, 0x7C00
    o32 lidt [cs:rm_idtr]
    jmp lm_part

bits 32
sentinels32:
    mov edi, PHYS_W + 0x1000
.p: mov ecx, 1024
.l: mov dword [edi], SENTV
    add edi, 4
    loop .l
    add edi, 0x1000
    cmp edi, PHYS_W + 2 * NW * 0x1000
    jb .p
    ret

t32_all:
    call h32partA
    call h32partB
    call h32partC
    call d32
    call e32
    call h32partF
    call h32partG
    call h32partH
    call h32partI
    jmp h32runs

; d: segment limits; bases not page-aligned
d32:
    call h32defaults            ; does a store past a limit fault here?
    mov dword [V_OPD], h32o_stos1
    mov dword [V_DSEL], SEL_LIM
    mov dword [V_DOFF], LIM_END
    mov dword [V_DST], WIN + LIM_END
    mov dword [V_SRC], WIN + LIM_END
    mov dword [V_CNT], 1
    mov dword [V_K], 0
    call h32case
    xor eax, eax
    cmp dword [REC_VEC], 13
    sete al
    mov [LIMOK], eax
    test eax, eax
    jnz .lim
    PUTS32 `note: a store past ES's limit did not fault (QEMU's TCG does not check data segment limits): the limit runs of part d are left out\n`
    jmp .base
.lim:
    mov esi, name_d1
    mov al, ASP_MEM | ASP_REGS | ASP_EXC
    mov ebp, rows_d1
    call h32group
    mov esi, name_d2
    mov al, ASP_MEM | ASP_REGS | ASP_EXC
    mov ebp, rows_d2
    call h32group
.base:
    mov esi, name_d3
    mov al, ASP_MEM | ASP_REGS
    mov ebp, rows_d3
    jmp h32group

e32:
    mov esi, name_e
    mov al, ASP_MEM | ASP_REGS
    mov ebp, rows_e
    jmp h32group

%macro DSET 1                   ; size
    KAT 0x1003, %1, LIM_END
    ROW h32o_stos%1, WIN + 0x1003, WIN + 0x1003, 0x5EED0001, 0x1003, 0x2000 / %1, RK, 13, 0, -1, 0, 0, 0, SEL_LIM, 0, 0, 2
    ROW h32o_stos%1, WIN + LIM_END - 0x400 * %1, WIN + LIM_END - 0x400 * %1, 0x5EED0001, LIM_END - 0x400 * %1, 0x400, 0x400, -1, -1, -1, 0, 0, 0, SEL_LIM, 0, 0, 2
    KAT 0x1803, %1, LIM_END
    ROW h32o_movs%1, WIN + 0x8001, WIN + 0x1803, WIN + 0x8001, 0x1803, 0x1000 / %1, RK, 13, 0, -1, 0, 0, 0, SEL_LIM, 0, 0, 2
%endmacro
%macro D2SET 1
    KAT 0xFF1, %1, SMALL_END
    ROW h32o_fmovs%1, SMALL_BASE + 0xFF1, WIN + 0x8003, 0xFF1, WIN + 0x8003, 0x1000 / %1, RK, 13, 0, -1, 0, 0, SEL_SMALL, 0, 0, 0, 2
    ROW h32o_fmovs%1, SMALL_BASE + SMALL_END - 0x200 * %1, WIN + 0x8FFF, SMALL_END - 0x200 * %1, WIN + 0x8FFF, 0x200, 0x200, -1, -1, -1, 0, 0, SEL_SMALL, 0, 0, 0, 2
%endmacro
%macro D3SET 1
    ROW h32o_stos%1, A16_BASE + 0x7003, A16_BASE + 0x7003, 0x5EED0001, 0x7003, 0x1800 / %1, 0x1800 / %1, -1, -1, -1, 0, 0, 0, SEL_A16, 0, 0, 2
    ROW h32o_fmovs%1, A16_BASE + 0x6FFD, WIN + 0xA001, 0x6FFD, WIN + 0xA001, 0x1800 / %1, 0x1800 / %1, -1, -1, -1, 0, 0, SEL_A16, 0, 0, 0, 2
    ROW h32o_movs%1, WIN + 0x1001, A16_BASE + 0x8000, WIN + 0x1001, 0x8000, 0x1800 / %1, 0x1800 / %1, -1, -1, -1, 0, 0, 0, SEL_A16, 0, 0, 2
%endmacro
; e: DI/SI wrap at FFFFh; ECX, ESI, EDI keep their upper halves
%macro ESET 1
    ROW h32o_a16stos%1, A16_BASE + 0xFE00, A16_BASE + 0xFE00, 0x5EED0001, 0x1234FE00, 0x5A5A0000 + 0x400 / %1, 0x400 / %1, -1, -1, -1, 0, 0, 0, SEL_A16, WIN, WIN + 0x12000, 2
    ROW h32o_a16stos%1, A16_BASE + 0xF000, A16_BASE + 0xF000, 0x5EED0001, 0x1234F000, 0x5A5A0000 + 0x1400 / %1, 0x1400 / %1, -1, -1, -1, 0, 0, 0, SEL_A16, WIN, WIN + 0x12000, 2
    ROW h32o_a16fmovs%1, A16_BASE + 0xF000, A16_BASE + 0x4000, 0x4321F000, 0x12344000, 0x5A5A0000 + 0x1400 / %1, 0x1400 / %1, -1, -1, -1, 0, 0, SEL_A16, SEL_A16, WIN, WIN + 0x12000, 2
    ROW h32o_a16fmovs%1, A16_BASE + 0x4000, A16_BASE + 0xF000, 0x43214000, 0x1234F000, 0x5A5A0000 + 0x1400 / %1, 0x1400 / %1, -1, -1, -1, 0, 0, SEL_A16, SEL_A16, WIN, WIN + 0x12000, 2
%endmacro

rows_d1:
    DSET 1
    DSET 2
    DSET 4
    ROW h32o_stos4, WIN + 0x2344, WIN + 0x2344, 0x5EED0001, 0x2344, 5, 0, 13, 0, -1, 0, 0, 0, SEL_LIM, 0, 0, 2
    ROW h32o_stos2, WIN + 0x2345, WIN + 0x2345, 0x5EED0001, 0x2345, 5, 0, 13, 0, -1, 0, 0, 0, SEL_LIM, 0, 0, 2
    ENDROWS
rows_d2:
    D2SET 1
    D2SET 2
    D2SET 4
    ENDROWS
rows_d3:
    D3SET 1
    D3SET 2
    D3SET 4
    ENDROWS
rows_e:
    ESET 1
    ESET 2
    ESET 4
    ROW h32o_a16stos1, A16_BASE + 0xFE01, A16_BASE + 0xFE01, 0x5EED0001, 0xFE01, 0x3FF, 0x3FF, -1, -1, -1, 0, 0, 0, SEL_A16, WIN, WIN + 0x12000, 2
    ROW h32o_a16fmovs1, A16_BASE + 0xFF03, A16_BASE + 0x3001, 0xFF03, 0x3001, 0x3FF, 0x3FF, -1, -1, -1, 0, 0, SEL_A16, SEL_A16, WIN, WIN + 0x12000, 2
    ENDROWS
name_d1: db "d. ES limit 2345h (base: the window) ending mid-page: STOS/MOVS #GP(0) at the first element past it, or exactly done at it", 0
name_d2: db "d. FS override with limit 1801h as the MOVS source: #GP(0) at the first element past it, or exactly done at it", 0
name_d3: db "d. ES/FS with a base that is not page-aligned (window + 800h), 32-bit addressing", 0
name_e:  db "e. 16-bit addressing (67h), base window + 800h: DI/SI wrap from FFFFh to 0 mid-run; CX counts, upper halves kept", 0

    HARNESS h32
    TABLES h32

; ---- 32-bit handlers ----
align 16
stubs32:
%assign n 0
%rep 32
%if n == 8 || (n >= 10 && n <= 14) || n == 17
    push byte n
%else
    push byte -1
    push byte n
%endif
    jmp exc32
    times (n + 1) * 16 - ($ - stubs32) db 0xCC
%assign n n + 1
%endrep

; [esp] vector, +4 code, +8 EIP, +12 CS, +16 EFLAGS
exc32:
    push ds
    push eax
    mov ax, SEL_DATA
    mov ds, ax
    mov eax, [esp + 8]
    mov [REC_VEC], eax
    mov eax, [esp + 12]
    mov [REC_ERR], eax
    mov eax, [esp + 16]
    mov [REC_EIP], eax
    mov eax, [esp + 24]
    mov [REC_FL], eax
    mov eax, cr2
    mov [REC_CR2], eax
    pop eax
    mov [REC_AX], eax
    mov [REC_CX], ecx
    mov [REC_SI], esi
    mov [REC_DI], edi
    inc dword [REC_CNT]
    cmp dword [RESUME_EIP], 0
    je .fatal
    mov ax, SEL_DATA
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, [RESUME_ESP]
    jmp [RESUME_EIP]
.fatal:
    mov ax, SEL_DATA
    mov es, ax
    mov ss, ax
    mov esp, STACK_TOP
    PUTS32 "FAIL pm32 unexpected exception "
    mov eax, [REC_VEC]
    call h32hex
    PUTS32 " code "
    mov eax, [REC_ERR]
    call h32hex
    PUTS32 " at "
    mov eax, [REC_EIP]
    call h32hex
    mov al, 10
    out DEBUGCON_PORT, al
    inc word [FAILS_ADDR]
    PUTS32 "checks "
    movzx eax, word [CHECKS_ADDR]
    call h32hex
    PUTS32 `\n`
    mov al, 1
    out EXIT_PORT, al
    hlt

; IRQ0: count; at the REP of part g check what the interrupt sees
irq32:
    push eax
    inc dword [ss:TICKS]
    cmp dword [esp + 4], h32partG.grep
    jne .e
    test ecx, ecx
    jz .e
    cmp ecx, 0x40000
    jae .e
    inc dword [ss:MID]
    mov eax, 0x40000
    sub eax, ecx
    lea eax, [eax * 4 + BIG]
    cmp eax, edi
    jne .b
    mov eax, [ss:GVAL]
    cmp [ss:edi - 4], eax
    jne .b
    mov eax, [ss:GPREV]
    cmp [ss:edi], eax
    je .e
.b: inc dword [ss:GBAD]
.e: mov al, 0x20
    out 0x20, al
    pop eax
    iretd
pm_iret32:
    iretd

; ======================================================================
; long mode
; ======================================================================
bits 16
lm_part:
    LM_ENTER
    ; vectors 0-31 to the recording stubs, 20h IRQ0, 27h spurious, 31h
    xor edi, edi
    lea rbx, [rel stubs64]
.gt: mov ecx, 0x8E00
    mov rax, rbx
    call lm_set_gate64
    add rbx, 16
    inc edi
    cmp edi, 32
    jb .gt
    SET_GATE64 0x20, irq64, 0x8E, 0
    SET_GATE64 0x27, iret64, 0x8E, 0
    SET_GATE64 0x31, h64r3back, 0xEE, 0
    ; 4 KiB pages for 4-6 MiB: the window
    mov edi, PT64W
    xor eax, eax
.z: mov [rdi], rax
    add edi, 8
    cmp edi, PT64W + 0x1000
    jb .z
    mov edi, PT64W
    mov eax, PHYS_W | 7
.pw: mov [rdi], rax
    add eax, 0x2000
    add edi, 8
    cmp edi, PT64W + NW * 8
    jb .pw
    mov qword [PT64W + NW * 8], PHYS_W + 2 * ALIASOF * 0x1000 + 7
    mov qword [PD_BASE + 2 * 8], PT64W | 7
    mov rax, cr3
    mov cr3, rax
    mov rax, cr0
    or eax, 0x50000             ; AM, WP
    mov cr0, rax
    mov edi, PHYS_W + 0x1000    ; sentinels
.sp: mov ecx, 1024
.sl: mov dword [rdi], SENTV
    add edi, 4
    dec ecx
    jnz .sl
    add edi, 0x1000
    cmp edi, PHYS_W + 2 * NW * 0x1000
    jb .sp
    lea rax, [rel str_lm64]
    mov [MODE_STR], rax
    mov qword [RUNS], 0
    call h64partA
    call h64partB
    call h64partC
    call h64partF
    call h64partG
    call h64partH
    call h64partI
    call h64runs
    FINISH64

    MODE64
    HARNESS h64
    TABLES h64

align 16
stubs64:
%assign n 0
%rep 32
%if n == 8 || (n >= 10 && n <= 14) || n == 17
    push qword n
%else
    push qword -1
    push qword n
%endif
    jmp exc64
    times (n + 1) * 16 - ($ - stubs64) db 0xCC
%assign n n + 1
%endrep

; [rsp] vector, +8 code, +16 RIP, +24 CS, +32 RFLAGS
exc64:
    mov [REC_AX], rax
    mov rax, [rsp]
    mov [REC_VEC], rax
    mov rax, [rsp + 8]
    mov [REC_ERR], rax
    mov rax, [rsp + 16]
    mov [REC_EIP], rax
    mov rax, [rsp + 32]
    mov [REC_FL], rax
    mov rax, cr2
    mov [REC_CR2], rax
    mov [REC_CX], rcx
    mov [REC_SI], rsi
    mov [REC_DI], rdi
    inc qword [REC_CNT]
    cmp qword [RESUME_EIP], 0
    je .fatal
    mov ax, SEL_DATA
    mov ss, ax
    mov ds, ax
    mov es, ax
    mov rsp, [RESUME_ESP]
    jmp [RESUME_EIP]
.fatal:
    mov ax, SEL_DATA
    mov ss, ax
    mov ds, ax
    mov rsp, STACK_TOP
    XPUTS h64, "FAIL lm64 unexpected exception "
    mov rax, [REC_VEC]
    call h64hex
    XPUTS h64, " code "
    mov rax, [REC_ERR]
    call h64hex
    XPUTS h64, " at "
    mov rax, [REC_EIP]
    call h64hex
    mov al, 10
    out DEBUGCON_PORT, al
    inc word [FAILS_ADDR]
    FINISH64

irq64:
    push rax
    push rdx
    inc qword [TICKS]
    lea rax, [rel h64partG.grep]
    cmp [rsp + 16], rax
    jne .e
    test rcx, rcx
    jz .e
    cmp rcx, 0x40000
    jae .e
    inc qword [MID]
    mov eax, 0x40000
    sub eax, ecx
    lea rax, [rax * 4 + BIG]
    cmp rax, rdi
    jne .b
    mov eax, [GVAL]
    cmp [rdi - 4], eax
    jne .b
    mov eax, [GPREV]
    cmp [rdi], eax
    je .e
.b: inc qword [GBAD]
.e: mov al, 0x20
    out 0x20, al
    pop rdx
    pop rax
    iretq
iret64:
    iretq

; ---- data ----
xgdt:
    DESC 0xF0000, 0xFFFF, 0x9A, 0x0         ; SEL_CODE16
    DESC 0, 0xFFFF, 0x92, 0x0               ; SEL_DATA16
    DESC WIN, LIM_END - 1, 0x93, 0x4        ; SEL_LIM
    DESC SMALL_BASE, SMALL_END - 1, 0x93, 0x4   ; SEL_SMALL
    DESC A16_BASE, 0xFFFFF, 0x93, 0x4       ; SEL_A16
xgdt_end:
idt32r: dw 256 * 8 - 1
        dd IDT_BASE
rm_idtr: dw 0x3FF
         dd 0
str_pm32: db "pm32", 0
str_lm64: db "lm64", 0

    LM_LIB
ROM_END
