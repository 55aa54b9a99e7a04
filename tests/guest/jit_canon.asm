; jit_canon.asm — near branches at the edges of the canonical range, hot.
; In 64-bit mode a near JMP, Jcc, CALL, LOOP or JRCXZ whose target is not
; canonical raises #GP(0) at the branch: the pushed RIP is the branch's,
; nothing has changed (CALL has pushed nothing, LOOP has not counted).
; The recompiler leaves this check out of direct branches in blocks more
; than 4 GiB inside the canonical range and keeps it within 4 GiB of the
; boundary; this test runs the same bytes on both sides of that line:
;  a. the last page of the lower half (0000_7FFF_FFFF_F000): JMP rel32,
;     JZ rel32 as the block's first Jcc (a side exit) and as its last
;     instruction, CALL rel32, JMP rel8, JZ rel8, LOOP and JRCXZ, each to
;     the page end + 1 (0000_8000_0000_0001) on every fourth turn and to
;     a legal target in the page on the others;
;  b. the same page's last instruction (a 7-byte NOP ending at
;     0000_8000_0000_0000, reached by falling through), and a MOV EAX,
;     imm32 that starts at ...FFFCh and runs across the boundary;
;  c. the first page of the upper half (FFFF_8000_0000_0000): the kinds of
;     (a) to its start - 8;
;  d. the code of (a)-(c) again at far aliases of the same physical pages
;     (0000_0000_0002_0000 and FFFF_FFFF_8000_0000, the next page mapped
;     too): every branch lands, at the address it names;
;  e. 0000_7FFF_0000_1000 (within 4 GiB of the boundary, not the last
;     page): CALL, JMP and JZ rel32 with displacement 7FFF_FFFFh reach
;     0000_7FFF_8000_1xxx, canonical and mapped;
;  f. 0000_7FFF_8000_1100 (2 GiB below the boundary, mid-band): the same
;     three with 7FFF_FFFFh reach 0000_8000_0000_1xxx: #GP(0) at each;
;  g. FFFF_8000_7FFF_F000 (2 GiB above it): CALL, JMP and JZ rel32 with
;     -8000_0000h reach FFFF_7FFF_FFFF_Fxxx: #GP(0) at each.
; Each case runs 256 turns, every fourth one the faulting (or, at a far
; alias, landing) one; the branch ends a block entered on every turn (the
; good turns leave it by an earlier Jcc), so it is translated at the
; default threshold too. Far aliases run first, so the bytes of a page
; have blocks translated far from the boundary before they run near it.
; Per turn: the exception (vector 13, error code 0, CS, one per faulting
; turn, none otherwise), the pushed RIP (or R11 = the address landed at),
; every register, the arithmetic flags and a store made in the block
; before the branch, RSP and the stack (nothing pushed; the slot a CALL
; would write keeps its sentinel, the return address above it too).
; Every recorded exception runs on IST2, so it writes nothing below RSP.
;
; Falling off the end of the lower half (b): the instruction that ends at
; 0000_8000_0000_0000 completes (RIP = 0000_8000_0000_0000); the fetch of
; the next one is a non-canonical reference, #GP(0) with that RIP in the
; frame (SDM vol. 1 3.3.7.1: a non-canonical linear reference faults,
; #GP(0) unless through SS; vol. 3A 6.15 #GP: the saved RIP points to the
; instruction that caused it, here the one whose fetch failed). QEMU 7.2
; reports exactly this (its code TLB fill raises #GP(0) for the fetch at
; 0000_8000_0000_0000); Linux keeps the top page of user space unmapped
; because on Intel a SYSCALL there completes and enters the kernel with a
; non-canonical return RIP (the instruction before the boundary runs). An
; instruction that itself runs across the boundary faults at its own
; start (RIP = ...FFFCh), as a fetch #PF in its second page would.
; Intel SDM vol. 2 JMP, Jcc, CALL, LOOP/LOOPcc, JCXZ (64-bit mode: #GP(0)
; if the target is non-canonical); vol. 3A 6.14.1, 6.15.
;
; qemu-differs: QEMU 7.2 TCG takes a near JMP/Jcc/CALL/LOOP/JRCXZ to a non-canonical address and raises the #GP(0) at the target (RIP = the target, CALL's return address pushed, LOOP's count taken) instead of at the branch (SDM vol. 2 JMP/Jcc/CALL/LOOP: the check comes before RIP, RSP or RCX change), so it fails the "RIP" checks of the near cases of (a), (c), (f) and (g), and there the RSP checks of CALL and the register checks of LOOP; it passes the fall-through and cross-page fetch cases (b) and every legal branch
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "lm.inc"

%define TURNS      256

; ---- physical pages (identity mapped too: the 0000_0000_0002_x000 aliases)
%define P_LO       0x20000      ; code of (a), (b)
%define P_NEXT     0x21000      ; landing pads after P_LO / before P_HI
%define P_HI       0x22000      ; code of (c)
%define P_E1       0x23000      ; code of (e)
%define P_E2       0x24000      ; its targets, and the code of (f)
%define P_G        0x25000      ; code of (g)

; ---- linear addresses
%define L_LO       0x00007FFFFFFFF000
%define L_HI       0xFFFF800000000000
%define L_E1       0x00007FFF00001000
%define L_E2       0x00007FFF80001000
%define L_UF       0xFFFFFFFF80000000   ; P_LO, P_NEXT, P_HI from here on
%define L_G        0xFFFF80007FFFF000

; ---- page tables for the high mappings
%define T_PDPT_A   0x30000      ; PML4[255]
%define T_PD_A     0x31000      ; PDPT_A[511]
%define T_PT_A     0x32000      ; PD_A[511]; PT_A[511] = P_LO
%define T_PD_E1    0x33000      ; PDPT_A[508]
%define T_PT_E1    0x34000      ; PT_E1[1] = P_E1
%define T_PD_E2    0x35000      ; PDPT_A[510]
%define T_PT_E2    0x36000      ; PT_E2[1] = P_E2
%define T_PDPT_B   0x37000      ; PML4[256]
%define T_PD_B     0x38000
%define T_PT_B     0x39000      ; PT_B[0] = P_HI
%define T_PDPT_C   0x3A000      ; PML4[511]
%define T_PD_C     0x3B000      ; PDPT_C[510]
%define T_PT_C     0x3C000      ; PT_C[0..2] = P_LO, P_NEXT, P_HI
%define T_PD_G     0x3D000      ; PDPT_B[1]
%define T_PT_G     0x3E000      ; PD_G[511]; PT_G[511] = P_G
%define T_PAGES    15

; ---- variables
%define REC        0x4000       ; 16 qwords: the GPRs at the fault / return
%define R_AX  (REC + 0 * 8)
%define R_CX  (REC + 1 * 8)
%define R_DX  (REC + 2 * 8)
%define R_BX  (REC + 3 * 8)
%define R_SP  (REC + 4 * 8)
%define R_BP  (REC + 5 * 8)
%define R_SI  (REC + 6 * 8)
%define R_DI  (REC + 7 * 8)
%define R_R8  (REC + 8 * 8)
%define R_R9  (REC + 9 * 8)
%define R_R10 (REC + 10 * 8)
%define R_R11 (REC + 11 * 8)
%define R_R12 (REC + 12 * 8)
%define R_R13 (REC + 13 * 8)
%define R_R14 (REC + 14 * 8)
%define R_R15 (REC + 15 * 8)
%define REC_VEC    0x4080
%define REC_ERR    0x4088
%define REC_RIP    0x4090
%define REC_CS     0x4098
%define REC_FL     0x40A0
%define REC_CNT    0x40A8
%define RESUME_RIP 0x40B0       ; 0: an exception is unexpected
%define DRV_RSP    0x40B8
%define CUR        0x40C0       ; the case record
%define TURN       0x40C8
%define ERRS       0x40D0
%define FIRST      0x40D8
%define CUR_ENTRY  0x40E0
%define F_VEC      0x40E8       ; the first failing turn's record
%define F_RIP      0x40F0
%define F_RSP      0x40F8
%define MEMSLOT    0x4100       ; the store in the block (RBP points here)
%define F_BITS     0x4108
%define F_R11      0x4110

%define TURN_STACK 0x6000       ; RSP at the call into a case's code
%define SENTINEL   0x5E5E5E5E5E5E5E5E

; inputs of every turn (RCX = the turn, RBP = MEMSLOT, R11 = 0)
%define IN_RAX     0x1111111111111000
%define IN_RBX     0x0B0B0B0B0B0B0B0B
%define IN_RDX     0x0D0D0D0D0D0D0D0D
%define IN_RSI     0x0505050505050505
%define IN_RDI     0x0707070707070707
%define IN_R8      0x0808080808080808
%define IN_R9      0x0909090909090909
%define IN_R10     0x0A0A0A0A0A0A0A0A
%define IN_R12     0x0C0C0C0C0C0C0C0C
%define IN_R13     0x1D1D1D1D1D1D1D1D
%define IN_R14     0x0E0E0E0E0E0E0E0E
%define IN_R15     0x0F0F0F0F0F0F0F0F

%define LAND_FWD   0x1001       ; forward targets: the page end + 1
%define LAND_BACK  -8           ; backward targets: the page start - 8

; kinds (what the register checks allow for)
%define K_PLAIN    0
%define K_LOOP     1            ; RCX: 2 at the fault, 1 landed, 0 not taken
%define K_JRCXZ    2            ; RCX: turn & 3
%define K_CROSS    3            ; landed: EAX = 90909090h (the MOV ran)

; case record: base, descriptor, mode (0: faults at the branch near the
; boundary; 1: lands), where-string
%define K_BASE     0
%define K_DESC     8
%define K_MODE     16
%define K_WHERE    24
%define K_SIZE     32
; descriptor: offsets from the base
%define D_ENTRY    0
%define D_FAULT    8            ; the faulting instruction (mode 0)
%define D_LAND     16           ; where the bad turn lands (mode 1)
%define D_GOOD     24           ; where good turns land
%define D_KIND     32
%define D_NAME     40

; ASSERT_EQ a, b: assembly fails unless a == b (label differences).
%macro ASSERT_EQ 2
    times (%1) - (%2) db 0
    times (%2) - (%1) db 0
%endmacro

; The work of a block before its branch: new RAX, RDX, R8, R10 and a store.
%macro BODY 0
    lea rax, [rax + rcx * 2 + 0x11]
    add rdx, rax
    xor r8, rcx
    inc r10
    mov [rbp], rax
%endmacro

; KDESC chunk, entry, fault offset, landing offset, good target, kind, "name"
%macro KDESC 7
    dq (%2) - (%1)
    dq %3
    dq %4
    dq (%5) - (%1)
    dq %6
    dq LIN(%%name)
%%name: db %7, 0
%endmacro

%macro KCASE 4                  ; base, descriptor, mode, where
    dq %1
    dq LIN(%2)
    dq %3
    dq LIN(%4)
%endmacro

; ======================================================================
start:
    ROM_INIT
    PUTS `jit_canon: near branches at the edges of the canonical range, hot\n`
    LM_ENTER
    call build_maps
    call copy_chunks
    SET_GATE64 3, rec_3, 0x8E, 2
    SET_GATE64 6, rec_6, 0x8E, 2
    SET_GATE64 13, rec_13, 0x8E, 2
    SET_GATE64 14, rec_14, 0x8E, 2
    mov qword [RESUME_RIP], 0

    ; every alias reads its physical page
    xor ebp, ebp
    mov rax, L_LO + 0xFF8
    mov rax, [rax]
    cmp rax, [P_LO + 0xFF8]
    setne bl
    or bpl, bl
    mov rax, L_HI + 0x10
    mov rax, [rax]
    cmp rax, [P_HI + 0x10]
    setne bl
    or bpl, bl
    mov rax, L_E1 + 0x20
    mov rax, [rax]
    cmp rax, [P_E1 + 0x20]
    setne bl
    or bpl, bl
    mov rax, L_E2 + 0x100
    mov rax, [rax]
    cmp rax, [P_E2 + 0x100]
    setne bl
    or bpl, bl
    mov rax, L_UF + 0x10
    mov rax, [rax]
    cmp rax, [P_LO + 0x10]
    setne bl
    or bpl, bl
    mov rax, L_UF + 0x1FF8
    mov rax, [rax]
    cmp rax, [P_NEXT + 0xFF8]
    setne bl
    or bpl, bl
    mov rax, L_UF + 0x2010
    mov rax, [rax]
    cmp rax, [P_HI + 0x10]
    setne bl
    or bpl, bl
    mov rax, L_G + 0x20
    mov rax, [rax]
    cmp rax, [P_G + 0x20]
    setne bl
    or bpl, bl
    test ebp, ebp
    CHECK64 "lm64 page tables: every alias reads the bytes of its physical page"

    lea rax, [rel cases]
    mov [CUR], rax
.case:
    mov rbx, [CUR]
    cmp qword [rbx + K_BASE], 0
    je .done
    call run_case
    add qword [CUR], K_SIZE
    jmp .case
.done:
    FINISH64

; ---- setup ----
build_maps:
    cld
    mov edi, T_PDPT_A
    xor eax, eax
    mov ecx, T_PAGES * 512
    rep stosq
    mov qword [PML4_BASE + 255 * 8], T_PDPT_A | 7
    mov qword [T_PDPT_A + 511 * 8], T_PD_A | 7
    mov qword [T_PD_A + 511 * 8], T_PT_A | 7
    mov qword [T_PT_A + 511 * 8], P_LO | 7
    mov qword [T_PDPT_A + 508 * 8], T_PD_E1 | 7
    mov qword [T_PD_E1], T_PT_E1 | 7
    mov qword [T_PT_E1 + 8], P_E1 | 7
    mov qword [T_PDPT_A + 510 * 8], T_PD_E2 | 7
    mov qword [T_PD_E2], T_PT_E2 | 7
    mov qword [T_PT_E2 + 8], P_E2 | 7
    mov qword [PML4_BASE + 256 * 8], T_PDPT_B | 7
    mov qword [T_PDPT_B], T_PD_B | 7
    mov qword [T_PD_B], T_PT_B | 7
    mov qword [T_PT_B], P_HI | 7
    mov qword [PML4_BASE + 511 * 8], T_PDPT_C | 7
    mov qword [T_PDPT_C + 510 * 8], T_PD_C | 7
    mov qword [T_PD_C], T_PT_C | 7
    mov qword [T_PT_C], P_LO | 7
    mov qword [T_PT_C + 8], P_NEXT | 7
    mov qword [T_PT_C + 16], P_HI | 7
    mov qword [T_PDPT_B + 8], T_PD_G | 7
    mov qword [T_PD_G + 511 * 8], T_PT_G | 7
    mov qword [T_PT_G + 511 * 8], P_G | 7
    mov rax, cr3
    mov cr3, rax
    ret

copy_chunks:
    cld
    mov edi, P_LO               ; what no chunk fills: INT3
    mov al, 0xCC
    mov ecx, 6 * 4096
    rep stosb
    lea rsi, [rel chunk_lo]
    mov edi, P_LO
    mov ecx, 4096
    rep movsb
    lea rsi, [rel chunk_next]
    mov edi, P_NEXT
    mov ecx, 4096
    rep movsb
    lea rsi, [rel chunk_hi]
    mov edi, P_HI
    mov ecx, chunk_hi_end - chunk_hi
    rep movsb
    lea rsi, [rel chunk_e1]
    mov edi, P_E1
    mov ecx, chunk_e1_end - chunk_e1
    rep movsb
    lea rsi, [rel chunk_e2]
    mov edi, P_E2
    mov ecx, chunk_e2_end - chunk_e2
    rep movsb
    lea rsi, [rel chunk_g]
    mov edi, P_G
    mov ecx, chunk_g_end - chunk_g
    rep movsb
    ret

; ---- one case: TURNS turns, then its four check lines ----
run_case:
    mov rbx, [CUR]
    mov rdi, [rbx + K_DESC]
    mov rax, [rbx + K_BASE]
    add rax, [rdi + D_ENTRY]
    mov [CUR_ENTRY], rax
    xor eax, eax
    mov [ERRS], rax
    mov [TURN], rax
    mov qword [FIRST], -1
.turn:
    xor eax, eax
    mov [REC_CNT], rax
    mov [MEMSLOT], rax
    mov qword [REC_VEC], -1
    mov qword [REC_ERR], -1
    mov qword [REC_RIP], -1
    mov qword [REC_CS], -1
    lea rax, [rel .resume]
    mov [RESUME_RIP], rax
    mov [DRV_RSP], rsp
    mov rsp, TURN_STACK
    mov rax, SENTINEL
    mov [TURN_STACK - 8], rax
    mov [TURN_STACK - 16], rax
    mov rax, IN_RAX
    mov rbx, IN_RBX
    mov rcx, [TURN]
    mov rdx, IN_RDX
    mov ebp, MEMSLOT
    mov rsi, IN_RSI
    mov rdi, IN_RDI
    mov r8, IN_R8
    mov r9, IN_R9
    mov r10, IN_R10
    xor r11d, r11d
    mov r12, IN_R12
    mov r13, IN_R13
    mov r14, IN_R14
    mov r15, IN_R15
    call [CUR_ENTRY]
.ret_here:
    mov [R_AX], rax
    mov [R_CX], rcx
    mov [R_DX], rdx
    mov [R_BX], rbx
    mov [R_SP], rsp
    mov [R_BP], rbp
    mov [R_SI], rsi
    mov [R_DI], rdi
    mov [R_R8], r8
    mov [R_R9], r9
    mov [R_R10], r10
    mov [R_R11], r11
    mov [R_R12], r12
    mov [R_R13], r13
    mov [R_R14], r14
    mov [R_R15], r15
    pushfq
    pop qword [REC_FL]
.resume:
    mov rsp, [DRV_RSP]
    mov qword [RESUME_RIP], 0
    call check_turn
    inc qword [TURN]
    cmp qword [TURN], TURNS
    jb .turn
    jmp report_case

; check_turn: the record of turn [TURN] of case [CUR] against what it
; must be; error bits (one per check line) into [ERRS].
check_turn:
    mov rbx, [CUR]
    mov rdi, [rbx + K_DESC]
    mov rsi, [rbx + K_BASE]
    mov rcx, [TURN]
    xor ebp, ebp
    xor r12d, r12d              ; R12 = 1: the bad turn
    test cl, 3
    setz r12b
    xor r13d, r13d              ; R13 = 1: a #GP is due
    cmp qword [rbx + K_MODE], 0
    jne .mode
    mov r13, r12
.mode:
    ; -- 1: the exception
    test r13, r13
    jz .a0_none
    cmp qword [REC_CNT], 1
    jne .e0
    cmp qword [REC_VEC], 13
    jne .e0
    cmp qword [REC_CS], SEL_CODE64
    jne .e0
    cmp qword [REC_ERR], 0
    je .a1
    jmp .e0
.a0_none:
    cmp qword [REC_CNT], 0
    je .a1
.e0:
    or ebp, 1
.a1:
    ; -- 2: the pushed RIP, or where the branch landed (R11)
    test r13, r13
    jz .a1_land
    mov rax, [rdi + D_FAULT]
    add rax, rsi
    cmp [REC_RIP], rax
    jne .e1
    cmp qword [R_R11], 0
    je .a2
    jmp .e1
.a1_land:
    mov rax, [rdi + D_GOOD]
    test r12, r12
    jz .a1_good
    mov rax, [rdi + D_LAND]
.a1_good:
    add rax, rsi
    cmp [R_R11], rax
    je .a2
.e1:
    or ebp, 2
.a2:
    ; -- 3: registers, flags and the store
    mov rax, IN_RAX
    lea rax, [rax + rcx * 2 + 0x11]
    cmp [MEMSLOT], rax
    jne .e2
    mov rdx, IN_RDX
    add rdx, rax
    cmp [R_DX], rdx
    jne .e2
    mov rdx, [rdi + D_KIND]
    cmp rdx, K_CROSS
    jne .rax
    test r12, r12
    jz .rax
    test r13, r13
    jnz .rax
    mov eax, 0x90909090         ; the MOV across the page end ran
.rax:
    cmp [R_AX], rax
    jne .e2
    mov rax, rcx                ; RCX: the turn, but for LOOP and JRCXZ
    cmp rdx, K_LOOP
    jne .not_loop
    xor eax, eax                ; not taken: counted down to 0
    test r12, r12
    jz .rcx
    mov eax, 1                  ; taken and landed: 1; faulted: still 2
    add rax, r13
    jmp .rcx
.not_loop:
    cmp rdx, K_JRCXZ
    jne .rcx
    mov eax, ecx
    and eax, 3
.rcx:
    cmp [R_CX], rax
    jne .e2
    mov rax, IN_R8
    xor rax, rcx
    cmp [R_R8], rax
    jne .e2
    mov rax, IN_R10 + 1
    cmp [R_R10], rax
    jne .e2
    mov rax, IN_RBX
    cmp [R_BX], rax
    jne .e2
    cmp qword [R_BP], MEMSLOT
    jne .e2
    mov rax, IN_RSI
    cmp [R_SI], rax
    jne .e2
    mov rax, IN_RDI
    cmp [R_DI], rax
    jne .e2
    mov rax, IN_R9
    cmp [R_R9], rax
    jne .e2
    mov rax, IN_R12
    cmp [R_R12], rax
    jne .e2
    mov rax, IN_R13
    cmp [R_R13], rax
    jne .e2
    mov rax, IN_R14
    cmp [R_R14], rax
    jne .e2
    mov rax, IN_R15
    cmp [R_R15], rax
    jne .e2
    ; flags of TEST CL, 3 (or AND ECX, 3): ZF PF on the bad turn, PF
    ; alone for turn & 3 = 3, none for 1 and 2
    mov rax, [REC_FL]
    and eax, 0x8C5              ; OF SF ZF PF CF (TEST leaves AF undefined)
    mov edx, 0x44
    test r12, r12
    jnz .fl
    xor edx, edx
    mov r8d, ecx
    and r8d, 3
    cmp r8d, 3
    jne .fl
    mov edx, 0x04
.fl:
    cmp eax, edx
    je .a3
.e2:
    or ebp, 4
.a3:
    ; -- 4: RSP and the stack
    test r13, r13
    jz .a3_land
    cmp qword [R_SP], TURN_STACK - 8
    jne .e3
    mov rax, SENTINEL
    cmp [TURN_STACK - 16], rax
    jne .e3
    lea rax, [rel run_case.ret_here]
    cmp [TURN_STACK - 8], rax
    je .done
    jmp .e3
.a3_land:
    cmp qword [R_SP], TURN_STACK
    je .done
.e3:
    or ebp, 8
.done:
    test ebp, ebp
    jz .r
    or [ERRS], rbp
    cmp qword [FIRST], -1
    jne .r
    mov [FIRST], rcx
    mov [F_BITS], rbp
    mov rax, [REC_VEC]
    mov [F_VEC], rax
    mov rax, [REC_RIP]
    mov [F_RIP], rax
    mov rax, [R_SP]
    mov [F_RSP], rax
    mov rax, [R_R11]
    mov [F_R11], rax
.r:
    ret

report_case:
    mov rbx, [CUR]
    lea rdx, [rel asp0]
    test qword [ERRS], 1
    call chk_case
    lea rdx, [rel asp1]
    test qword [ERRS], 2
    call chk_case
    lea rdx, [rel asp2]
    test qword [ERRS], 4
    call chk_case
    lea rdx, [rel asp3]
    test qword [ERRS], 8
    call chk_case
    cmp qword [ERRS], 0
    je .r
    PUTS64 "  (first failing turn "
    PUTHEX64 [FIRST]
    PUTS64 ": bits "
    PUTHEX64 [F_BITS]
    PUTS64 ", vector "
    PUTHEX64 [F_VEC]
    PUTS64 ", RIP "
    PUTHEX64 [F_RIP]
    PUTS64 ", RSP "
    PUTHEX64 [F_RSP]
    PUTS64 ", R11 "
    PUTHEX64 [F_R11]
    PUTS64 `)\n`
.r:
    ret

; chk_case: ZF = pass; RBX = case record, RDX = aspect. Prints
; "ok lm64 WHERE KIND: ASPECT" (or FAIL) and counts it.
chk_case:
    pushfq
    push rax
    push rsi
    lahf
    inc word [CHECKS_ADDR]
    lea rsi, [rel rom_ok_str]
    test ah, 0x40
    jnz .p
    inc word [FAILS_ADDR]
    lea rsi, [rel rom_fail_str]
.p:
    call lm_puts64
    lea rsi, [rel s_lm64]
    call lm_puts64
    mov rsi, [rbx + K_WHERE]
    call lm_puts64
    mov al, ' '
    out DEBUGCON_PORT, al
    mov rsi, [rbx + K_DESC]
    mov rsi, [rsi + D_NAME]
    call lm_puts64
    lea rsi, [rel s_colon]
    call lm_puts64
    mov rsi, rdx
    call lm_puts64
    mov al, 10
    out DEBUGCON_PORT, al
    pop rsi
    pop rax
    popfq
    ret

; ---- the recorder (IST2): every GPR, the frame; back to RESUME_RIP ----
rec_3:
    push 0
    push 3
    jmp rec
rec_6:
    push 0
    push 6
    jmp rec
rec_13:
    push 13
    jmp rec
rec_14:
    push 14
    jmp rec
; [rsp] vector, +8 code, +16 RIP, +24 CS, +32 RFLAGS, +40 RSP, +48 SS
rec:
    cmp qword [RESUME_RIP], 0
    je lm_exc64                 ; unexpected: lm.inc reports it
    mov [R_AX], rax
    mov [R_CX], rcx
    mov [R_DX], rdx
    mov [R_BX], rbx
    mov [R_BP], rbp
    mov [R_SI], rsi
    mov [R_DI], rdi
    mov [R_R8], r8
    mov [R_R9], r9
    mov [R_R10], r10
    mov [R_R11], r11
    mov [R_R12], r12
    mov [R_R13], r13
    mov [R_R14], r14
    mov [R_R15], r15
    mov rax, [rsp]
    mov [REC_VEC], rax
    mov rax, [rsp + 8]
    mov [REC_ERR], rax
    mov rax, [rsp + 16]
    mov [REC_RIP], rax
    mov rax, [rsp + 24]
    mov [REC_CS], rax
    mov rax, [rsp + 32]
    mov [REC_FL], rax
    mov rax, [rsp + 40]
    mov [R_SP], rax
    inc qword [REC_CNT]
    mov rax, [RESUME_RIP]
    mov [rsp + 16], rax
    mov qword [rsp + 24], SEL_CODE64
    mov qword [rsp + 32], 2
    mov rax, [DRV_RSP]
    mov [rsp + 40], rax
    mov qword [rsp + 48], SEL_DATA
    add rsp, 16
    iretq

; ======================================================================
; code pages (copied to RAM; labels relative to each chunk's start)
; ======================================================================
align 16
; P_LO: the last lower-half page near the boundary, 0000_0000_0002_0000
; and FFFF_FFFF_8000_0000 far from it.
chunk_lo:
lo_good_land:                   ; where every good turn lands
    lea r11, [rel $]
    ret
lo_jmp32:
    BODY
    test cl, 3
    jnz .good
.bad:
    jmp near chunk_lo + LAND_FWD
.good:
    jmp near lo_good_land
lo_jcc32s:
    BODY
    test cl, 3
.bad:
    jz near chunk_lo + LAND_FWD         ; the block's first Jcc: a side exit
    jmp near lo_good_land
lo_jcc32e:
    BODY
    test cl, 3
    js near lo_good_land                ; never taken: the side exit
.bad:
    jz near chunk_lo + LAND_FWD         ; the second Jcc ends the block
    jmp near lo_good_land
lo_call32:
    BODY
    test cl, 3
    jnz .good
.bad:
    call chunk_lo + LAND_FWD
    ret
.good:
    call lo_good_land
    ret
lo_cross:
    BODY
    test cl, 3
    jnz .good
    jmp near chunk_lo + 0xFFC           ; the MOV EAX inside lo_fall's NOP
.good:
    jmp near lo_good_land
    times 0xF68 - ($ - chunk_lo) db 0xCC
; rel8 branches to the page end + 1 must sit in its last 127 bytes
lo_good8:
    jmp near lo_good_land
lo_jmp8:
    BODY
    test cl, 3
    jnz lo_good8
.bad:
    jmp short chunk_lo + LAND_FWD
lo_jcc8:
    BODY
    test cl, 3
.bad:
    jz short chunk_lo + LAND_FWD
    jmp short lo_good8
lo_loop:
    BODY
    test cl, 3
    setz cl
    movzx ecx, cl
    lea ecx, [rcx + 1]                  ; 2 on the bad turn, else 1
.bad:
    loop chunk_lo + LAND_FWD
    jmp short lo_good8
lo_jrcxz:
    BODY
    and ecx, 3
.bad:
    jrcxz chunk_lo + LAND_FWD
    jmp short lo_good8
    times 0x1000 - 34 - ($ - chunk_lo) db 0xCC
; falls off the page: its last instruction ends at the page end
lo_fall:
    BODY
    test cl, 3
    jnz near lo_good_land
    db 0x0F, 0x1F, 0x80                 ; NOP [RAX + disp32], whose disp32
    db 0xB8, 0x90, 0x90, 0x90           ; is MOV EAX, imm32 (+ 1 byte beyond)
chunk_lo_end:
    ASSERT_EQ chunk_lo_end - chunk_lo, 0x1000

; P_NEXT: the page after P_LO and before P_HI at the far aliases
chunk_next:
    nop                                 ; the fall-through lands here
    lea r11, [rel $]                    ; forward branches (and the MOV) here
    ret
    times 0xFF8 - ($ - chunk_next) db 0xCC
    lea r11, [rel $]                    ; backward branches from P_HI
    ret
chunk_next_end:
    ASSERT_EQ chunk_next_end - chunk_next, 0x1000

; P_HI: the first upper-half page near the boundary, 0000_0000_0002_2000
; and FFFF_FFFF_8000_2000 far from it. The first bytes are INT3s (what a
; fetch at 0000_8000_0000_0000 would run if it read through PML4[256]).
chunk_hi:
    times 4 db 0xCC
hi_good_land:
    lea r11, [rel $]
    ret
; rel8 branches to the page start - 8 must sit in its first 120 bytes
hi_jmp8:
    BODY
    test cl, 3
    jnz hi_good_land
.bad:
    jmp short chunk_hi + LAND_BACK
hi_jcc8:
    BODY
    test cl, 3
.bad:
    jz short chunk_hi + LAND_BACK
    jmp short hi_good_land
hi_loop:
    BODY
    test cl, 3
    setz cl
    movzx ecx, cl
    lea ecx, [rcx + 1]
.bad:
    loop chunk_hi + LAND_BACK
    jmp short hi_good_land
hi_jrcxz:
    BODY
    and ecx, 3
.bad:
    jrcxz chunk_hi + LAND_BACK
    jmp short hi_good_land
hi_jmp32:
    BODY
    test cl, 3
    jnz .good
.bad:
    jmp near chunk_hi + LAND_BACK
.good:
    jmp near hi_good_land
hi_jcc32s:
    BODY
    test cl, 3
.bad:
    jz near chunk_hi + LAND_BACK
    jmp near hi_good_land
hi_jcc32e:
    BODY
    test cl, 3
    js near hi_good_land
.bad:
    jz near chunk_hi + LAND_BACK
    jmp near hi_good_land
hi_call32:
    BODY
    test cl, 3
    jnz .good
.bad:
    call chunk_hi + LAND_BACK
    ret
.good:
    call hi_good_land
    ret
chunk_hi_end:

; P_E1 at 0000_7FFF_0000_1000: displacement 7FFF_FFFFh reaches P_E2 at
; 0000_7FFF_8000_1000 + (the offset of the branch) + 4 (JZ: + 5).
chunk_e1:
e1_good_land:
    lea r11, [rel $]
    ret
e1_call:
    BODY
    test cl, 3
    jnz .good
.bad:
    db 0xE8
    dd 0x7FFFFFFF
    ret
.good:
    call e1_good_land
    ret
e1_jmp:
    BODY
    test cl, 3
    jnz .good
.bad:
    db 0xE9
    dd 0x7FFFFFFF
.good:
    jmp e1_good_land
e1_jcc:
    BODY
    test cl, 3
.bad:
    db 0x0F, 0x84
    dd 0x7FFFFFFF
    jmp e1_good_land
chunk_e1_end:

chunk_e2:
    times (e1_call.bad - chunk_e1) + 4 - ($ - chunk_e2) db 0xCC
    lea r11, [rel $]
    ret
    times (e1_jmp.bad - chunk_e1) + 4 - ($ - chunk_e2) db 0xCC
    lea r11, [rel $]
    ret
    times (e1_jcc.bad - chunk_e1) + 5 - ($ - chunk_e2) db 0xCC
    lea r11, [rel $]
    ret
; (f), from offset 100h on: 7FFF_FFFFh from 0000_7FFF_8000_1100 is
; 0000_8000_0000_1103 and up. (A target wrapped to 32 bits, 2^32 lower,
; would land in P_E1's INT3s.)
    times 0x100 - ($ - chunk_e2) db 0xCC
e2_good_land:
    lea r11, [rel $]
    ret
e2_call:
    BODY
    test cl, 3
    jnz .good
.bad:
    db 0xE8
    dd 0x7FFFFFFF
    ret
.good:
    call e2_good_land
    ret
e2_jmp:
    BODY
    test cl, 3
    jnz .good
.bad:
    db 0xE9
    dd 0x7FFFFFFF
.good:
    jmp e2_good_land
e2_jcc:
    BODY
    test cl, 3
.bad:
    db 0x0F, 0x84
    dd 0x7FFFFFFF
    jmp e2_good_land
chunk_e2_end:

; P_G at FFFF_8000_7FFF_F000 (g): displacement -8000_0000h reaches
; FFFF_7FFF_FFFF_F000 + (the offset of the branch) + its length.
chunk_g:
g_good_land:
    lea r11, [rel $]
    ret
g_call:
    BODY
    test cl, 3
    jnz .good
.bad:
    db 0xE8
    dd 0x80000000
    ret
.good:
    call g_good_land
    ret
g_jmp:
    BODY
    test cl, 3
    jnz .good
.bad:
    db 0xE9
    dd 0x80000000
.good:
    jmp g_good_land
g_jcc:
    BODY
    test cl, 3
.bad:
    db 0x0F, 0x84
    dd 0x80000000
    jmp g_good_land
chunk_g_end:

; ======================================================================
; descriptors and cases
; ======================================================================
d_lo_jmp32:  KDESC chunk_lo, lo_jmp32, lo_jmp32.bad - chunk_lo, LAND_FWD, lo_good_land, K_PLAIN, "JMP rel32 to the page end + 1"
d_lo_jcc32s: KDESC chunk_lo, lo_jcc32s, lo_jcc32s.bad - chunk_lo, LAND_FWD, lo_good_land, K_PLAIN, "JZ rel32 (the block's side exit) to the page end + 1"
d_lo_jcc32e: KDESC chunk_lo, lo_jcc32e, lo_jcc32e.bad - chunk_lo, LAND_FWD, lo_good_land, K_PLAIN, "JZ rel32 (the block's last instruction) to the page end + 1"
d_lo_call32: KDESC chunk_lo, lo_call32, lo_call32.bad - chunk_lo, LAND_FWD, lo_good_land, K_PLAIN, "CALL rel32 to the page end + 1"
d_lo_jmp8:   KDESC chunk_lo, lo_jmp8, lo_jmp8.bad - chunk_lo, LAND_FWD, lo_good_land, K_PLAIN, "JMP rel8 to the page end + 1"
d_lo_jcc8:   KDESC chunk_lo, lo_jcc8, lo_jcc8.bad - chunk_lo, LAND_FWD, lo_good_land, K_PLAIN, "JZ rel8 to the page end + 1"
d_lo_loop:   KDESC chunk_lo, lo_loop, lo_loop.bad - chunk_lo, LAND_FWD, lo_good_land, K_LOOP, "LOOP to the page end + 1"
d_lo_jrcxz:  KDESC chunk_lo, lo_jrcxz, lo_jrcxz.bad - chunk_lo, LAND_FWD, lo_good_land, K_JRCXZ, "JRCXZ to the page end + 1"
d_lo_fall:   KDESC chunk_lo, lo_fall, 0x1000, LAND_FWD, lo_good_land, K_PLAIN, "NOP ending at the page end, then the next fetch"
d_lo_cross:  KDESC chunk_lo, lo_cross, 0xFFC, LAND_FWD, lo_good_land, K_CROSS, "MOV EAX, imm32 running across the page end"
d_hi_jmp8:   KDESC chunk_hi, hi_jmp8, hi_jmp8.bad - chunk_hi, LAND_BACK, hi_good_land, K_PLAIN, "JMP rel8 to the page start - 8"
d_hi_jcc8:   KDESC chunk_hi, hi_jcc8, hi_jcc8.bad - chunk_hi, LAND_BACK, hi_good_land, K_PLAIN, "JZ rel8 to the page start - 8"
d_hi_loop:   KDESC chunk_hi, hi_loop, hi_loop.bad - chunk_hi, LAND_BACK, hi_good_land, K_LOOP, "LOOP to the page start - 8"
d_hi_jrcxz:  KDESC chunk_hi, hi_jrcxz, hi_jrcxz.bad - chunk_hi, LAND_BACK, hi_good_land, K_JRCXZ, "JRCXZ to the page start - 8"
d_hi_jmp32:  KDESC chunk_hi, hi_jmp32, hi_jmp32.bad - chunk_hi, LAND_BACK, hi_good_land, K_PLAIN, "JMP rel32 to the page start - 8"
d_hi_jcc32s: KDESC chunk_hi, hi_jcc32s, hi_jcc32s.bad - chunk_hi, LAND_BACK, hi_good_land, K_PLAIN, "JZ rel32 (the block's side exit) to the page start - 8"
d_hi_jcc32e: KDESC chunk_hi, hi_jcc32e, hi_jcc32e.bad - chunk_hi, LAND_BACK, hi_good_land, K_PLAIN, "JZ rel32 (the block's last instruction) to the page start - 8"
d_hi_call32: KDESC chunk_hi, hi_call32, hi_call32.bad - chunk_hi, LAND_BACK, hi_good_land, K_PLAIN, "CALL rel32 to the page start - 8"
d_e1_call:   KDESC chunk_e1, e1_call, 0, (e1_call.bad - chunk_e1) + 5 + 0x7FFFFFFF, e1_good_land, K_PLAIN, "CALL rel32 +7FFF_FFFFh (to 0000_7FFF_8000_1xxx)"
d_e1_jmp:    KDESC chunk_e1, e1_jmp, 0, (e1_jmp.bad - chunk_e1) + 5 + 0x7FFFFFFF, e1_good_land, K_PLAIN, "JMP rel32 +7FFF_FFFFh (to 0000_7FFF_8000_1xxx)"
d_e1_jcc:    KDESC chunk_e1, e1_jcc, 0, (e1_jcc.bad - chunk_e1) + 6 + 0x7FFFFFFF, e1_good_land, K_PLAIN, "JZ rel32 +7FFF_FFFFh (to 0000_7FFF_8000_1xxx)"
d_e2_call:   KDESC chunk_e2, e2_call, e2_call.bad - chunk_e2, 0, e2_good_land, K_PLAIN, "CALL rel32 +7FFF_FFFFh (to 0000_8000_0000_1xxx)"
d_e2_jmp:    KDESC chunk_e2, e2_jmp, e2_jmp.bad - chunk_e2, 0, e2_good_land, K_PLAIN, "JMP rel32 +7FFF_FFFFh (to 0000_8000_0000_1xxx)"
d_e2_jcc:    KDESC chunk_e2, e2_jcc, e2_jcc.bad - chunk_e2, 0, e2_good_land, K_PLAIN, "JZ rel32 +7FFF_FFFFh (to 0000_8000_0000_1xxx)"
d_g_call:    KDESC chunk_g, g_call, g_call.bad - chunk_g, 0, g_good_land, K_PLAIN, "CALL rel32 -8000_0000h (to FFFF_7FFF_FFFF_Fxxx)"
d_g_jmp:     KDESC chunk_g, g_jmp, g_jmp.bad - chunk_g, 0, g_good_land, K_PLAIN, "JMP rel32 -8000_0000h (to FFFF_7FFF_FFFF_Fxxx)"
d_g_jcc:     KDESC chunk_g, g_jcc, g_jcc.bad - chunk_g, 0, g_good_land, K_PLAIN, "JZ rel32 -8000_0000h (to FFFF_7FFF_FFFF_Fxxx)"

%macro LO_CASES 3               ; base, mode, where
    KCASE %1, d_lo_jmp32, %2, %3
    KCASE %1, d_lo_jcc32s, %2, %3
    KCASE %1, d_lo_jcc32e, %2, %3
    KCASE %1, d_lo_call32, %2, %3
    KCASE %1, d_lo_jmp8, %2, %3
    KCASE %1, d_lo_jcc8, %2, %3
    KCASE %1, d_lo_loop, %2, %3
    KCASE %1, d_lo_jrcxz, %2, %3
    KCASE %1, d_lo_fall, %2, %3
    KCASE %1, d_lo_cross, %2, %3
%endmacro
%macro HI_CASES 3
    KCASE %1, d_hi_jmp8, %2, %3
    KCASE %1, d_hi_jcc8, %2, %3
    KCASE %1, d_hi_loop, %2, %3
    KCASE %1, d_hi_jrcxz, %2, %3
    KCASE %1, d_hi_jmp32, %2, %3
    KCASE %1, d_hi_jcc32s, %2, %3
    KCASE %1, d_hi_jcc32e, %2, %3
    KCASE %1, d_hi_call32, %2, %3
%endmacro

align 8
cases:
    LO_CASES P_LO, 1, w_id_lo
    HI_CASES P_HI, 1, w_id_hi
    LO_CASES L_LO, 0, w_near_lo
    HI_CASES L_HI, 0, w_near_hi
    LO_CASES L_UF, 1, w_uf_lo
    HI_CASES L_UF + 0x2000, 1, w_uf_hi
    KCASE L_E1, d_e1_call, 1, w_e1
    KCASE L_E1, d_e1_jmp, 1, w_e1
    KCASE L_E1, d_e1_jcc, 1, w_e1
    KCASE L_E2, d_e2_call, 0, w_e2
    KCASE L_E2, d_e2_jmp, 0, w_e2
    KCASE L_E2, d_e2_jcc, 0, w_e2
    KCASE L_G, d_g_call, 0, w_g
    KCASE L_G, d_g_jmp, 0, w_g
    KCASE L_G, d_g_jcc, 0, w_g
    dq 0

s_lm64:    db "lm64 ", 0
s_colon:   db ": ", 0
w_near_lo: db "[0000_7FFF_FFFF_F000, last lower-half page]", 0
w_near_hi: db "[FFFF_8000_0000_0000, first upper-half page]", 0
w_id_lo:   db "[0000_0000_0002_0000, far alias of the last lower-half page]", 0
w_id_hi:   db "[0000_0000_0002_2000, far alias of the first upper-half page]", 0
w_uf_lo:   db "[FFFF_FFFF_8000_0000, far alias of the last lower-half page]", 0
w_uf_hi:   db "[FFFF_FFFF_8000_2000, far alias of the first upper-half page]", 0
w_e1:      db "[0000_7FFF_0000_1000, within 4 GiB of the boundary]", 0
w_e2:      db "[0000_7FFF_8000_1000, 2 GiB below the boundary]", 0
w_g:       db "[FFFF_8000_7FFF_F000, 2 GiB above the boundary]", 0
asp0: db "exception: #GP(0) once on each turn whose target is not canonical, none on the others", 0
asp1: db "RIP: the frame's is the faulting instruction's; legal branches land at their target", 0
asp2: db "registers, RFLAGS and the block's store as before the branch", 0
asp3: db "RSP and the stack: nothing pushed at the fault, the slots below untouched; balanced otherwise", 0

    LM_LIB
ROM_END
