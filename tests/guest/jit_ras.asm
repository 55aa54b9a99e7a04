; jit_ras.asm — CALL and RET in hot blocks: the recompiler's return-address
; stack. A guest CALL in chained code pushes a host frame (the guest return
; address, the TLB generations, the mode key) and enters its target with a
; host CALL; a RET whose popped address, generations and key match the top
; frame comes back with the host RET. Whatever the guest does to its stack,
; its code or its page tables, every RET must land where the popped
; address says, in the code mapped there now, in the mode of the RET
; (Intel SDM vol. 2A CALL, vol. 2B RET; vol. 3A 11.6 for stores to code).
; In 32-bit protected mode with paging (flat CS, ring 0 and ring 3) and in
; 64-bit mode (ring 0 and ring 3), every loop runs 80 turns, so its blocks
; are translated at the default threshold of 50 visits as well as at the
; first:
;  1. nested direct calls, depth 1 to 10 (some with a frame pointer), the
;     results against the same arithmetic done inline; recursion fib(8)
;     to fib(13) against an iterative fib;
;  2. CALL r/m, register and memory operands, through a table of 4
;     routines picked by the turn (one of them calls through the table
;     again);
;  3. a callee that moves its return address (add [esp/rsp], n: the code
;     between must not run) or replaces it (the RET goes elsewhere);
;  4. a callee that pops its return address and jumps back (3200 calls
;     with no RET: the frames pile up past the 2048 the recompiler keeps),
;     then ordinary calls; a RET from another stack (holding another
;     return address, or the same one: ESP/RSP must be the other stack's);
;     a callee that returns past its caller (add esp/rsp, n; ret);
;  5. recursion 2047, 2048, 2049, 3000 and 4000 deep, unwound: the sum,
;     every level's pushed value, every return counted (10 turns);
;  6. a callee that writes the immediate of the MOV right after its CALL
;     (in the same page), and a callee in another page that rewrites the
;     instruction there to another one (MOV or XOR with a new immediate):
;     the RET runs the new bytes;
;  7. a callee that maps the page holding its return address to another
;     physical page (other code at the same offset) and flushes the TLB
;     (MOV CR3 or INVLPG; at ring 3 through INT 31h): the RET runs the new
;     mapping's code; then the page is mapped back;
;  8. #UD, #BP and #PF (a not-present page the handler maps) inside a
;     callee, whose handlers fix up and IRET; then the callee returns;
;  9. (32-bit) CALL and RET with 66h in code below 64 KiB: call word,
;     call word r16, o16 ret, a 32-bit RET after a 16-bit CALL and the
;     reverse;
; 10. RET imm16 with stack arguments, also nested;
; 11. (ring 0) a callee that IRETs to ring 3, where a RET pops the ring-0
;     call's return address: that code runs at ring 3 (its load of a
;     supervisor page is a #PF with error code 5);
; 12. (32-bit) a callee that turns A20 off through port 92h (the keyboard
;     controller's A20 is off from the start) after two calls from the
;     same site that did not: the page of its return address, above 1 MiB,
;     now reads the page 1 MiB below, whose code must run (a memory-map
;     change that no instruction ending a block made).
; Check lines carry the mode ("pm32 r0", "pm32 r3", "lm64 r0", "lm64 r3"),
; the case, and the value seen.
;
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
%include "rom.inc"
%include "lm.inc"

; ---- variables ----
%define VB       0x4000
%define TURN     (VB + 0x00)
%define ERRS     (VB + 0x08)
%define EXPV     (VB + 0x10)
%define GOTV     (VB + 0x18)
%define SAVE_SP  (VB + 0x20)
%define SP_AFTER (VB + 0x28)
%define SUM      (VB + 0x30)
%define SUM2     (VB + 0x38)
%define CNT      (VB + 0x40)
%define CNT2     (VB + 0x48)
%define CNT3     (VB + 0x50)
%define CASE     (VB + 0x58)
%define MODE_STR (VB + 0x60)
%define H_W      (VB + 0x68)
%define SAVE_SP2 (VB + 0x70)
%define RET_ADDR (VB + 0x78)
%define SAVE0    (VB + 0x80)        ; ring 0's stack while ring 3 runs
%define BACK     (VB + 0x88)        ; where INT 30h goes back to ring 0
%define RESUME   (VB + 0x90)        ; where a #PF on SUP resumes (ring 0)
%define N_UD     (VB + 0x98)
%define N_BP     (VB + 0xA0)
%define N_PF     (VB + 0xA8)
%define PF_ERR   (VB + 0xB0)
%define X1       (VB + 0xB8)
%define X2       (VB + 0xC0)
%define TBL      (VB + 0x200)       ; case 2's table of routines

; ---- pages (identity mapped unless said) ----
%define PD32     0x14000
%define PT32     0x15000
%define LOW16    0x5000             ; case 9's code, below 64 KiB
%define SMC      0x20000            ; case 6a's code
%define REMAP    0x21000            ; case 7's code: maps to REMAP or REMAP_B
%define NP       0x22000            ; case 8: not present until the #PF
%define ALT_TOP  0x23800            ; case 4b's other stack
%define SMC2     0x24000            ; case 6b's code
%define SUP      0x25000            ; supervisor only
%define U3STK    0x26800            ; case 11's ring-3 stack
%define REMAP_B  0x2E000
%define A20LO    0x2F000            ; case 12: A20HI with A20 off
%define A20HI    0x12F000
%define DEEP_TOP 0x40000            ; case 5's stack (64 KiB)

%define SEL_CODE16 (GDT_FREE)
%define SEL_DATA16 (GDT_FREE + 8)

%define TURNS  80
%define MARK_A 0x0A0A0A0A
%define MARK_B 0x0B0B0B0B
%define NPVAL  0x600DF00D

%macro USE32 0
bits 32
%define SZ 4
%define W dword
%define xAX eax
%define xBX ebx
%define xCX ecx
%define xDX edx
%define xSI esi
%define xDI edi
%define xBP ebp
%define xSP esp
%define CHK p_chk
%define PFX p
%define IRETX iretd
%define UCODE SEL_CODE32_R3
%define PTE(x) (PT32 + ((x) >> 12) * 4)
%endmacro

%macro USE64 0
bits 64
%define SZ 8
%define W qword
%define xAX rax
%define xBX rbx
%define xCX rcx
%define xDX rdx
%define xSI rsi
%define xDI rdi
%define xBP rbp
%define xSP rsp
%define CHK l_chk
%define PFX l
%define IRETX iretq
%define UCODE SEL_CODE64_R3
%define PTE(x) (PT_BASE + ((x) >> 12) * 8)
%endmacro

; NAME "case": the case name the next check lines carry.
%macro NAME 1
    jmp %%a
%%s: db %1, 0
%%a:
    mov W [CASE], LIN(%%s)
%endmacro

; PX got, want, "aspect": a check line "ok MODE CASE: aspect GOT" (on a
; failure also "want WANT"). got and want are not xAX.
%macro PX 3
    jmp %%a
%%s: db %3, 0
%%a:
    mov [H_W], xAX
    mov xAX, %2
    mov [EXPV + 0x100], xAX
    mov xAX, %1
    mov [GOTV + 0x100], xAX
    mov xAX, [H_W]
    push xSI
    mov xSI, LIN(%%s)
    call CHK
    pop xSI
%endmacro

%macro RESET 0
    mov W [TURN], 0
    mov W [ERRS], 0
    mov W [SUM], 0
    mov W [SUM2], 0
    mov W [CNT], 0
    mov W [CNT2], 0
    mov W [CNT3], 0
%endmacro

; NEXT label: the next turn, back at label while there are turns left.
%macro NEXT 1
    inc W [TURN]
    cmp W [TURN], TURNS
    jb %1
%endmacro

; DIFF a, b: ERRS gets the bits in which a and b differ (a is a register,
; clobbered).
%macro DIFF 2
    xor %1, %2
    or [ERRS], %1
%endmacro

; VALUE: EAX = this turn's value (changes every turn), the turn from [TURN].
%macro VALUE 0
    mov eax, [TURN]
    inc eax
    imul eax, eax, 0x9E3779B9
%endmacro

; TURN_MOD n: EDX = turn mod n (EAX, ECX clobbered).
%macro TURN_MOD 1
    mov eax, [TURN]
    xor edx, edx
    mov ecx, %1
    div ecx
%endmacro

; COPY dest, from, to: copy the template between the labels to dest.
%macro COPY 3
    mov xSI, LIN(%2)
    mov xDI, %1
    mov xCX, %3 - %2
    cld
    rep movsb
%endmacro

; SETPTE lin, value, how: the PTE of lin gets value, then the TLB is
; flushed (how 0: INVLPG, 1: MOV CR3); at ring 3 through INT 31h.
%macro SETPTE 3
    push xAX
    push xCX
    push xDX
    mov xAX, %1
    mov xDX, %2
    mov ecx, %3
    call %[PFX]_setpte
    pop xDX
    pop xCX
    pop xAX
%endmacro

; ---------------------------------------------------------------- 1
%macro C1_NEST 0
    NAME "1a nested calls depth 1-10"
    RESET
%%turn:
%assign d 1
%rep 10
    mov xBX, [TURN]
    add xBX, d * 0x101
    call %[PFX]_nest%[d]
    add [SUM], xAX
    mov xDX, xAX
    mov xAX, xBX
  %assign k 1
  %rep d
    imul xAX, xAX, 3
    add xAX, k
  %assign k k + 1
  %endrep
    add [SUM2], xAX
    DIFF xDX, xAX
%assign d d + 1
%endrep
    NEXT %%turn
    PX [SUM], [SUM2], "sum of the results"
    PX [ERRS], 0, "bits wrong"
%endmacro

%macro C1_FIB 0
    NAME "1b recursion fib(8..13)"
    RESET
%%turn:
    TURN_MOD 6
    lea ecx, [edx + 8]
    call %[PFX]_fib
    add [SUM], xAX
    mov xDI, xAX
    xor eax, eax                ; iterative: (a, b) = (b, a + b), n times
    mov ebx, 1
%%it:
    mov esi, ebx
    add ebx, eax
    mov eax, esi
    dec ecx
    jnz %%it
    add [SUM2], xAX
    DIFF xDI, xAX
    NEXT %%turn
    PX [SUM], [SUM2], "sum of fib"
    PX [ERRS], 0, "bits wrong"
%endmacro

; ---------------------------------------------------------------- 2
%macro C2_IND 0
    NAME "2 call r/m through a table of 4"
    mov W [TBL], LIN(%[PFX]_if0)
    mov W [TBL + SZ], LIN(%[PFX]_if1)
    mov W [TBL + 2 * SZ], LIN(%[PFX]_if2)
    mov W [TBL + 3 * SZ], LIN(%[PFX]_if3)
    RESET
%%turn:
    mov xCX, [TURN]
    and ecx, 3
    mov xBX, [TURN]
    add xBX, 0x1234
    mov xAX, [TBL + xCX * SZ]
    call xAX
    mov xDI, xAX
    call W [TBL + xCX * SZ]
    add [SUM], xAX
    DIFF xDI, xAX               ; both forms agree
    mov xDX, xBX
    cmp ecx, 1
    jb %%e0
    je %%e1
    cmp ecx, 2
    je %%e2
    sub xDX, 7
    jmp %%ed
%%e0:
    inc xDX
    jmp %%ed
%%e1:
    add xDX, xDX
    jmp %%ed
%%e2:
    inc xDX
    xor xDX, 0x55
%%ed:
    add [SUM2], xDX
    DIFF xDX, xAX
    NEXT %%turn
    PX [SUM], [SUM2], "sum of the results"
    PX [ERRS], 0, "bits wrong"
%endmacro

; ---------------------------------------------------------------- 3
%macro C3_RETADDR 0
    NAME "3 the callee moves its return address"
    RESET
%%turn:
    TURN_MOD 3
    mov xBX, xDX                ; 0: plain, 1: add [esp], 2: replaced
    call %%adj
%%skipped:
    inc W [CNT]
    test ebx, ebx
    jz %%after
    inc W [ERRS]                ; the skipped code ran
%%after:
    cmp ebx, 1
    jne %%next
    inc W [CNT2]
    jmp %%next
%%other:
    inc W [CNT3]
    cmp ebx, 2
    je %%next
    inc W [ERRS]
    jmp %%next
%%adj:
    cmp ebx, 1
    jb %%r
    je %%add
    mov W [xSP], LIN(%%other)
    ret
%%add:
    add W [xSP], %%after - %%skipped
%%r:
    ret
%%next:
    NEXT %%turn
    PX [CNT], 27, "plain returns"
    PX [CNT2], 27, "returns past the skipped code"
    PX [CNT3], 26, "returns to a replaced address"
    PX [ERRS], 0, "wrong landings"
%endmacro

; ---------------------------------------------------------------- 4
%macro C4_PILE 0
    NAME "4a pop and jump back, 3200 times"
    RESET
%%turn:
    mov ecx, 40
%%in:
    call %%pj
    inc W [CNT]
    dec ecx
    jnz %%in
    mov xBX, [TURN]
    call %[PFX]_nest10
    add [SUM], xAX
    mov xDX, xAX
    mov xAX, xBX
  %assign k 1
  %rep 10
    imul xAX, xAX, 3
    add xAX, k
  %assign k k + 1
  %endrep
    add [SUM2], xAX
    DIFF xDX, xAX
    mov ecx, 8
    call %[PFX]_fib
    mov xDX, xAX
    DIFF xDX, 21
    NEXT %%turn
    jmp %%done
%%pj:
    pop xDX
    jmp xDX
%%done:
    PX [CNT], TURNS * 40, "pop-and-jump calls"
    PX [SUM], [SUM2], "then nest10, sum"
    PX [ERRS], 0, "bits wrong (nest10, fib(8))"
%endmacro

%macro C4_ALT 0
    NAME "4b RET from another stack"
    RESET
%%turn:
    mov [SAVE_SP2], xSP
    mov xBX, [TURN]
    call %%sw
%%ret:
    mov [SP_AFTER], xSP
    mov xSP, [SAVE_SP2]
    inc W [CNT]
    test bl, 1
    jnz %%chk
    inc W [ERRS]                ; even turns go to %%alt
    jmp %%chk
%%alt:
    mov [SP_AFTER], xSP
    mov xSP, [SAVE_SP2]
    inc W [CNT2]
    test bl, 1
    jz %%chk
    inc W [ERRS]
%%chk:
    cmp W [SP_AFTER], ALT_TOP
    je %%next
    inc W [ERRS]
    jmp %%next
%%sw:                           ; the other stack: %%alt, or (odd) %%ret
    mov W [ALT_TOP - SZ], LIN(%%alt)
    test bl, 1
    jz %%sw2
    mov W [ALT_TOP - SZ], LIN(%%ret)
%%sw2:
    mov xSP, ALT_TOP - SZ
    ret
%%next:
    NEXT %%turn
    PX [CNT], 40, "returns to the call site from the other stack"
    PX [CNT2], 40, "returns to the other stack's address"
    PX [ERRS], 0, "wrong landings or stack pointers"
%endmacro

%macro C4_PAST 0
    NAME "4c a callee returns past its caller"
    RESET
%%turn:
    mov [SAVE_SP2], xSP
    call %%a
    mov xDX, xSP
    DIFF xDX, [SAVE_SP2]
    NEXT %%turn
    jmp %%done
%%a:
    call %%b
    inc W [CNT]                 ; %%c returns here
    ret
%%b:
    call %%c
    inc W [ERRS]                ; skipped
    ret
%%c:
    add xSP, SZ
    ret
%%done:
    PX [CNT], TURNS, "landed in the caller's caller"
    PX [ERRS], 0, "wrong (skipped code ran, stack pointer)"
%endmacro

; ---------------------------------------------------------------- 5
%macro C5_DEEP 0
    NAME "5 recursion 2047..4000 deep"
    RESET
%%turn:
    TURN_MOD 5                  ; 3000, 2047, 2048, 2049, 4000
    lea ecx, [edx + 2046]
    test edx, edx
    jnz %%d1
    mov ecx, 3000
%%d1:
    cmp edx, 4
    jne %%d2
    mov ecx, 4000
%%d2:
    mov [SAVE_SP], xSP
    mov xSP, DEEP_TOP
    push xCX
    call %[PFX]_deep
    pop xCX
    mov xDX, xSP
    mov xSP, [SAVE_SP]
    DIFF xDX, DEEP_TOP
    add [SUM], xAX
    lea xDX, [xCX + 1]
    imul xDX, xCX
    shr xDX, 1
    add [SUM2], xDX
    DIFF xDX, xAX
    inc W [TURN]                ; (10 turns: hot after the first anyway)
    cmp W [TURN], 10
    jb %%turn
    PX [SUM], [SUM2], "sum of the sums"
    PX [CNT], 2 * (3001 + 2048 + 2049 + 2050 + 4001), "returns"
    PX [CNT3], 0, "levels whose pushed value was wrong"
    PX [ERRS], 0, "bits wrong"
%endmacro

; ---------------------------------------------------------------- 6
%macro C6_SMC_NEAR 0
    NAME "6a the callee writes the immediate after its CALL"
    jmp %%go
%%tpl:
    call %%f                    ; at 0, 5 bytes
    mov eax, 0                  ; at 5: B8 imm32
    jmp W [RET_ADDR]
%%f:
    mov [SMC + 6], ecx
    ret
%%end:
%%go:
    COPY SMC, %%tpl, %%end
    RESET
%%turn:
    VALUE
    mov ecx, eax
    mov W [RET_ADDR], LIN(%%back)
    mov eax, SMC
    jmp xAX
%%back:
    add [SUM], eax
    add [SUM2], ecx
    DIFF ecx, eax
    NEXT %%turn
    PX [SUM], [SUM2], "sum of the immediates seen"
    PX [ERRS], 0, "bits wrong"
%endmacro

%macro C6_SMC_FAR 0
    NAME "6b a callee in another page rewrites the return site"
    jmp %%go
%%tpl:
    db 0xE8                     ; call PFX_smcf
    dd LIN(%[PFX]_smcf) - (SMC2 + 5)
    mov eax, 0                  ; at 5: MOV or XOR EAX, imm32
    jmp W [RET_ADDR]
%%end:
%%go:
    COPY SMC2, %%tpl, %%end
    RESET
%%turn:
    mov W [RET_ADDR], LIN(%%back)
    VALUE
    mov ecx, eax                ; the immediate
    mov dl, 0xB8                ; odd turns MOV, even XOR
    test byte [TURN], 1
    jnz %%op
    mov dl, 0x35
%%op:
    mov eax, [TURN]
    imul eax, eax, 0x01010101
    xor eax, 0xA5C3E1F0         ; EAX before: the XOR's other operand
    mov esi, eax
    mov edi, SMC2
    jmp xDI
%%back:
    xor esi, ecx                ; what the XOR gives
    cmp dl, 0xB8
    jne %%x
    mov esi, ecx                ; what the MOV gives
%%x:
    add [SUM], eax
    add [SUM2], esi
    DIFF esi, eax
    NEXT %%turn
    PX [SUM], [SUM2], "sum of EAX after the rewritten instruction"
    PX [ERRS], 0, "bits wrong"
%endmacro

; ---------------------------------------------------------------- 7
%macro C7_REMAP 0
    NAME "7 the callee remaps its return address's page"
    jmp %%go
%%tpl:
    db 0xE8                     ; call PFX_remapf
    dd LIN(%[PFX]_remapf) - (REMAP + 5)
    mov eax, MARK_A             ; at 5 (REMAP_B: MARK_B)
    jmp W [RET_ADDR]
%%end:
%%go:
    COPY REMAP, %%tpl, %%end
    COPY REMAP_B, %%tpl, %%end
    mov dword [REMAP_B + 6], MARK_B
    RESET
%%turn:
    mov W [RET_ADDR], LIN(%%back)
    mov xBX, [TURN]             ; odd turns remap (bit 1: MOV CR3)
    mov eax, REMAP
    jmp xAX
%%back:
    mov edx, MARK_A
    test bl, 1
    jz %%a
    mov edx, MARK_B
    inc W [CNT]
    SETPTE REMAP, REMAP | 7, 0
%%a:
    cmp eax, MARK_B
    jne %%b
    inc W [CNT2]
%%b:
    DIFF edx, eax
    NEXT %%turn
    PX [CNT], 40, "remapped turns"
    PX [CNT2], 40, "returns into the new page's code"
    PX [ERRS], 0, "bits wrong"
%endmacro

; ---------------------------------------------------------------- 8
%macro C8_EXC 0
    NAME "8 #UD, #BP, #PF in the callee"
    RESET
    mov W [N_UD], 0
    mov W [N_BP], 0
    mov W [N_PF], 0
%%turn:
    SETPTE NP, 0, 0
    mov xBX, [TURN]
    call %[PFX]_exf
    mov edx, NPVAL
    add xDX, xBX
    add [SUM], xAX
    add [SUM2], xDX
    DIFF xDX, xAX
    NEXT %%turn
    PX [N_UD], TURNS, "#UD taken"
    PX [N_BP], TURNS, "#BP taken"
    PX [N_PF], TURNS, "#PF taken"
    PX [SUM], [SUM2], "sum of the results"
    PX [ERRS], 0, "bits wrong"
%endmacro

; ---------------------------------------------------------------- 9
%macro C9_O16 0
    NAME "9 call and ret with 66h below 64 KiB"
    jmp %%go
%%tpl:
    mov ebp, esp
    call word %%f               ; 16-bit CALL, 16-bit RET
%%r1:
    mov edx, esp
    DIFF edx, ebp
    mov ebx, LOW16 + (%%g - %%tpl)
    call bx                     ; 16-bit CALL r16, 32-bit RET
%%r2:
    mov edx, esp
    DIFF edx, ebp
    call %%h                    ; 32-bit CALL, 16-bit RET
    lea edx, [esp + 2]
    DIFF edx, ebp
    add esp, 2
    jmp dword [RET_ADDR]
%%f:
    add eax, 0x10
    movzx edx, word [esp]
    mov [X1], edx
    o16 ret
%%g:
    add eax, 0x100
    movzx edx, word [esp]
    mov [X2], edx
    add esp, 2                  ; the pushed IP as a dword
    push edx
    ret
%%h:
    add eax, 0x1000
    o16 ret
%%end:
%%go:
    COPY LOW16, %%tpl, %%end
    RESET
%%turn:
    mov dword [RET_ADDR], LIN(%%back)
    mov eax, [TURN]
    mov ecx, eax
    mov edx, LOW16
    jmp edx
%%back:
    sub eax, ecx
    add [SUM], eax
    mov edx, 0x1110
    DIFF edx, eax
    NEXT %%turn
    PX [SUM], TURNS * 0x1110, "sum of what the routines added"
    PX [X1], LOW16 + (%%r1 - %%tpl), "call word pushed"
    PX [X2], LOW16 + (%%r2 - %%tpl), "call bx pushed"
    PX [ERRS], 0, "bits wrong"
%endmacro

; ---------------------------------------------------------------- 10
%macro C10_RETIMM 0
    NAME "10 ret imm16 with stack arguments"
    RESET
%%turn:
    mov xBX, [TURN]
    mov [SAVE_SP2], xSP
    push xBX
    push W 1000
    call %[PFX]_sub2            ; 1000 - turn
    mov xDX, xSP
    DIFF xDX, [SAVE_SP2]
    add [SUM], xAX
    mov edx, 1000
    sub xDX, xBX
    DIFF xDX, xAX
    push xBX
    call %[PFX]_sub3            ; 7 turn - turn
    mov xDX, xSP
    DIFF xDX, [SAVE_SP2]
    add [SUM], xAX
    imul xDX, xBX, 6
    DIFF xDX, xAX
    NEXT %%turn
    PX [SUM], 1000 * TURNS + 5 * (TURNS * (TURNS - 1) / 2), "sum of the results"
    PX [ERRS], 0, "bits wrong"
%endmacro

; ---------------------------------------------------------------- 11
; Odd turns: the callee IRETs to ring 3, whose RET pops the return
; address of the ring-0 CALL; the load there is a ring-3 load of a
; supervisor page: #PF, whose handler resumes at %%res (ring 0).
%macro C11_RING3_RET 0
    NAME "11 a ring-3 RET to a ring-0 call's return address"
%if SZ == 4
    mov ax, SEL_DATA_R3         ; (no segment load between CALL and RET)
    mov ds, ax
    mov es, ax
%endif
    RESET
%%turn:
    mov [SAVE_SP], xSP
    mov W [RESUME], LIN(%%res)
    mov W [PF_ERR], -1
    mov xBX, [TURN]
    call %%k
%%ret:
    mov eax, [SUP]              ; ring 0: reads; ring 3: #PF
    inc W [CNT]
    test bl, 1
    jz %%next
    inc W [ERRS]                ; ran at ring 0 on an odd turn
    jmp %%next
%%k:
    test bl, 1
    jz %%kr
    mov W [U3STK - SZ], LIN(%%ret)
    push W SEL_DATA_R3
    push W U3STK - SZ
    push W 0x3002
    push W UCODE
    push W LIN(%%u3)
    IRETX
%%kr:
    ret
%%u3:
    ret
%%res:
    inc W [CNT2]
    cmp W [PF_ERR], 5
    je %%r1
    inc W [ERRS]
%%r1:
    test bl, 1
    jnz %%next
    inc W [ERRS]
%%next:
    NEXT %%turn
    PX [CNT], 40, "ring-0 returns"
    PX [CNT2], 40, "#PF at ring 3 (error code 5)"
    PX [ERRS], 0, "wrong"
%if SZ == 4
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
%endif
%endmacro

; ---------------------------------------------------------------- 12
; (32-bit) Each turn calls from A20HI three times; the third call turns
; A20 off (port 92h bit 1), so that the page of its return address (bit
; 20 set) reads A20LO's bytes: a memory-map change inside chained code (an
; OUT does not end a block). The first two calls return with the same
; mapping as at the call, the third must not return into their code.
%macro C12_A20 0
    NAME "12 the callee turns A20 off under its return address"
    jmp %%go
%%tpl:
    db 0xE8                     ; call PFX_a20f
    dd LIN(%[PFX]_a20f) - (A20HI + 5)
    mov eax, 0                  ; at 5: A20HI MARK_A, A20LO MARK_B
    jmp W [RET_ADDR]
%%end:
%%go:
    COPY A20HI, %%tpl, %%end
    COPY A20LO, %%tpl, %%end
    mov dword [A20HI + 6], MARK_A
    mov dword [A20LO + 6], MARK_B
    RESET
%%turn:
    mov W [X1], 0               ; the call of the turn: 0, 1, 2
%%call:
    mov W [RET_ADDR], LIN(%%back)
    xor ebx, ebx
    cmp W [X1], 2
    jne %%on
    inc ebx                     ; the third: A20 off
%%on:
    mov eax, A20HI
    jmp xAX
%%back:
    mov edx, MARK_A
    test ebx, ebx
    jz %%a
    mov edx, MARK_B
    mov esi, eax
    in al, 0x92                 ; A20 on again
    and al, 0xFE
    or al, 2
    out 0x92, al
    mov eax, esi
    inc W [CNT]
%%a:
    cmp eax, MARK_B
    jne %%b
    inc W [CNT2]
%%b:
    DIFF edx, eax
    inc W [X1]
    cmp W [X1], 3
    jb %%call
    NEXT %%turn
    PX [CNT], TURNS, "calls that turned A20 off"
    PX [CNT2], TURNS, "returns into the aliased page's code"
    PX [ERRS], 0, "bits wrong"
%endmacro

; The cases, at the ring RING.
%macro CASES 0
    C1_NEST
    C1_FIB
    C2_IND
    C3_RETADDR
    C4_PILE
    C4_ALT
    C4_PAST
    C5_DEEP
    C6_SMC_NEAR
    C6_SMC_FAR
    C7_REMAP
    C8_EXC
%if SZ == 4
    C9_O16
    C12_A20
%endif
    C10_RETIMM
%if RING == 0
    C11_RING3_RET
%endif
%endmacro

; The routines the cases call (PFX_ names), in either mode.
%macro ROUTINES 0
%[PFX]_nest0:                   ; nest k: nest(k-1) * 3 + k from xBX
    mov xAX, xBX
    ret
%assign k 1
%rep 10
%assign km k - 1
%[PFX]_nest%[k]:
  %if k & 1
    push xBP
    mov xBP, xSP
    call %[PFX]_nest%[km]
    pop xBP
  %else
    call %[PFX]_nest%[km]
  %endif
    imul xAX, xAX, 3
    add xAX, k
    ret
%assign k k + 1
%endrep

%[PFX]_fib:                     ; ECX = n: xAX = fib(n); keeps xCX
    cmp xCX, 2
    jb .small
    push xCX
    dec xCX
    call %[PFX]_fib
    push xAX
    dec xCX
    call %[PFX]_fib
    pop xDX
    add xAX, xDX
    pop xCX
    ret
.small:
    mov xAX, xCX
    ret

%[PFX]_if0:
    lea xAX, [xBX + 1]
    ret
%[PFX]_if1:
    lea xAX, [xBX + xBX]
    ret
%[PFX]_if2:                     ; through the table again
    call W [TBL]
    xor xAX, 0x55
    ret
%[PFX]_if3:
    lea xAX, [xBX - 7]
    ret

%[PFX]_deep:                    ; xCX = n: xAX = 1 + ... + n; keeps xCX
    test xCX, xCX
    jz .z
    push xCX
    dec xCX
    call %[PFX]_deep
    inc xCX
    cmp xCX, [xSP]
    je .ok
    inc W [CNT3]
.ok:
    pop xCX
    add xAX, xCX
    inc W [CNT]
    ret
.z:
    xor eax, eax
    inc W [CNT]
    ret

%[PFX]_smcf:                    ; DL = opcode, ECX = immediate, at SMC2 + 5
    mov [SMC2 + 5], dl
    mov [SMC2 + 6], ecx
    ret

%[PFX]_remapf:                  ; xBX = turn: odd turns map REMAP to REMAP_B
    test bl, 1
    jz .r
    push xAX
    push xCX
    push xDX
    mov ecx, ebx                ; turn bit 1: MOV CR3
    shr ecx, 1
    and ecx, 1
    mov xAX, REMAP
    mov xDX, REMAP_B | 7
    call %[PFX]_setpte
    pop xDX
    pop xCX
    pop xAX
.r:
    ret

%[PFX]_a20f:                    ; xBX = turn: odd turns turn A20 off
    test bl, 1
    jz .r
    push xAX
    in al, 0x92
    and al, 0xFC                ; (bit 0 would reset)
    out 0x92, al
    pop xAX
.r:
    ret

%[PFX]_exf:                     ; xAX = [NP + 40h] + xBX, after #UD and #BP
    ud2
    int3
    call %[PFX]_exf2
    add xAX, xBX
    ret
%[PFX]_exf2:
    mov eax, [NP + 0x40]        ; #PF: the handler maps NP
    ret

%[PFX]_sub2:                    ; (a, b pushed in that order): b - a
    mov xAX, [xSP + SZ]
    sub xAX, [xSP + 2 * SZ]
    ret 2 * SZ
%[PFX]_sub3:                    ; (a): sub2(a, 7 a)
    mov xAX, [xSP + SZ]
    push xAX
    imul xAX, xAX, 7
    push xAX
    call %[PFX]_sub2
    ret SZ

; setpte: xAX = linear address, xDX = PTE, ECX = 0 INVLPG / 1 MOV CR3;
; at ring 3 through INT 31h. Keeps every register.
%[PFX]_setpte:
    push xSI
    mov si, cs
    test si, 3
    pop xSI
    jz %[PFX]_setpte0
    int 0x31
    ret
%[PFX]_setpte0:
    push xSI
    mov xSI, xAX
    shr xSI, 12
    mov [PTE(0) + xSI * (SZ)], xDX
    test ecx, ecx
    jnz .cr3
    invlpg [xAX]
    pop xSI
    ret
.cr3:
    mov xSI, cr3
    mov cr3, xSI
    pop xSI
    ret
%endmacro

; ======================================================================
bits 16
start:
    ROM_INIT
    PUTS `jit_ras: CALL and RET in hot blocks (the return-address stack)\n`
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
    mov di, GDT_BASE
    mov cx, 0x1000
    xor al, al
    rep stosb
    mov si, lm_gdt
    mov di, GDT_BASE
    mov cx, lm_gdt_end - lm_gdt
    cs rep movsb
    mov si, xgdt
    mov di, GDT_BASE + GDT_FREE
    mov cx, xgdt_end - xgdt
    cs rep movsb
    o32 lgdt [cs:lm_gdtr]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp dword SEL_CODE32F:LIN(pm32_main)

; ======================================================================
; 32-bit protected mode, flat CS
; ======================================================================
USE32
pm32_main:
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, STACK_TOP
    mov edi, IDT_BASE
    mov ecx, 256
    mov eax, LIN(p_unexp)
.g:
    call gate32
    add edi, 8
    loop .g
    mov edi, IDT_BASE + 3 * 8
    mov eax, LIN(p_bp)
    call gate32
    mov byte [edi + 5], 0xEE            ; DPL 3
    mov edi, IDT_BASE + 6 * 8
    mov eax, LIN(p_ud)
    call gate32
    mov edi, IDT_BASE + 14 * 8
    mov eax, LIN(p_pf)
    call gate32
    mov edi, IDT_BASE + 0x30 * 8
    mov eax, LIN(p_back)
    call gate32
    mov byte [edi + 5], 0xEE
    mov edi, IDT_BASE + 0x31 * 8
    mov eax, LIN(p_svc)
    call gate32
    mov byte [edi + 5], 0xEE
    lidt [LIN(idt32r)]
    mov edi, TSS_BASE
    xor eax, eax
    mov ecx, 0x68 / 4
    rep stosd
    mov dword [TSS_BASE + 4], RSP0_TOP
    mov dword [TSS_BASE + 8], SEL_DATA
    mov word [TSS_BASE + 0x66], 0x68
    mov ax, SEL_TSS
    ltr ax
    ; paging: 0-4 MiB identity, U/S everywhere but SUP
    mov edi, PD32
    xor eax, eax
    mov ecx, 2 * 1024
    rep stosd
    mov dword [PD32], PT32 | 7
    mov edi, PT32
    mov eax, 7
.pt:
    mov [edi], eax
    add eax, 0x1000
    add edi, 4
    cmp edi, PT32 + 4096
    jb .pt
    mov dword [PT32 + (SUP >> 12) * 4], SUP | 3
    mov dword [NP + 0x40], NPVAL
    mov eax, PD32
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80010000          ; PG, WP
    mov cr0, eax
    ; A20 from port 92h alone (case 12): the keyboard controller's output
    ; port with A20 off (D1h, DDh), then port 92h bit 1 on
    call kbc_wait
    mov al, 0xD1
    out 0x64, al
    call kbc_wait
    mov al, 0xDD
    out 0x60, al
    call kbc_wait
    in al, 0x92
    and al, 0xFE
    or al, 2
    out 0x92, al

    mov dword [MODE_STR], LIN(str_pm32)
%define RING 0
    CASES

    ; ring 3 (IOPL 3: the check lines are written from there)
    mov [SAVE0], esp
    mov dword [BACK], LIN(pm32_r3_done)
    mov dword [MODE_STR], LIN(str_pm32r3)
    mov ax, SEL_DATA_R3
    mov ds, ax
    mov es, ax
    push dword SEL_DATA_R3
    push dword USER_TOP
    push dword 0x3002
    push dword SEL_CODE32_R3
    push dword LIN(pm32_r3)
    iretd
pm32_r3:
%define RING 3
    CASES
    int 0x30
pm32_r3_done:
    mov eax, cr0                ; back to real mode
    and eax, 0x7FFFFFFF
    mov cr0, eax
    jmp SEL_CODE16:pm32_exit

kbc_wait:                       ; until the controller's input buffer is empty
    in al, 0x64
    test al, 2
    jnz kbc_wait
    ret

gate32:                         ; EDI = gate, EAX = handler (linear)
    mov [edi], ax
    mov word [edi + 2], SEL_CODE32F
    mov word [edi + 4], 0x8E00
    push eax
    shr eax, 16
    mov [edi + 6], ax
    pop eax
    ret

; Handlers (DS, ES stay the interrupted code's: flat either way).
p_ud:
    add dword [esp], 2
    inc dword [N_UD]
    iretd
p_bp:
    inc dword [N_BP]
    iretd
p_pf:                           ; NP: map it and retry; SUP: to [RESUME]
    push eax
    mov eax, cr2
    and eax, ~0xFFF
    cmp eax, NP
    je .np
    cmp eax, SUP
    jne p_unexp
    mov eax, [esp + 4]
    mov [PF_ERR], eax
    mov esp, [SAVE_SP]
    jmp [RESUME]
.np:
    mov dword [PTE(NP)], NP | 7
    invlpg [NP]
    inc dword [N_PF]
    pop eax
    add esp, 4
    iretd
p_svc:                          ; INT 31h: setpte at ring 0
    call p_setpte0
    iretd
p_back:                         ; INT 30h: back to ring 0
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov esp, [SAVE0]
    jmp [BACK]

p_unexp:
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov esi, LIN(str_unexp)
    call p_puts
    mov eax, [esp]
    call p_hex
    mov al, ' '
    out DEBUGCON_PORT, al
    mov eax, [esp + 4]
    call p_hex
    mov al, ' '
    out DEBUGCON_PORT, al
    mov eax, [esp + 8]
    call p_hex
    mov al, 10
    out DEBUGCON_PORT, al
    inc word [FAILS_ADDR]
    mov al, 1
    out EXIT_PORT, al
    hlt

p_puts:                         ; ESI = linear string
    push eax
    push esi
.l:
    mov al, [esi]
    inc esi
    test al, al
    jz .d
    out DEBUGCON_PORT, al
    jmp .l
.d:
    pop esi
    pop eax
    ret

p_hex:                          ; EAX, 8 digits
    pushad
    mov ebx, eax
    mov ecx, 8
.h:
    rol ebx, 4
    mov al, bl
    and al, 15
    add al, '0'
    cmp al, '9'
    jbe .o
    add al, 'a' - '0' - 10
.o:
    out DEBUGCON_PORT, al
    loop .h
    popad
    ret

p_chk:                          ; ESI = aspect; [GOTV+100h], [EXPV+100h]
    pushad
    pushfd
    inc word [CHECKS_ADDR]
    mov eax, [GOTV + 0x100]
    cmp eax, [EXPV + 0x100]
    mov edx, LIN(rom_ok_str)
    je .p
    inc word [FAILS_ADDR]
    mov edx, LIN(rom_fail_str)
.p:
    xchg edx, esi
    call p_puts
    mov esi, [MODE_STR]
    call p_puts
    mov esi, [CASE]
    call p_puts
    mov esi, LIN(str_colon)
    call p_puts
    mov esi, edx
    call p_puts
    mov al, ' '
    out DEBUGCON_PORT, al
    mov eax, [GOTV + 0x100]
    call p_hex
    mov eax, [GOTV + 0x100]
    cmp eax, [EXPV + 0x100]
    je .e
    mov esi, LIN(str_want)
    call p_puts
    mov eax, [EXPV + 0x100]
    call p_hex
.e:
    mov al, 10
    out DEBUGCON_PORT, al
    popfd
    popad
    ret

    ROUTINES

; ======================================================================
; back to real mode, then long mode
; ======================================================================
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
    LM_ENTER
    USE64
    SET_GATE64 3, l_bp, 0xEE, 0
    SET_GATE64 6, l_ud, 0x8E, 0
    SET_GATE64 14, l_pf, 0x8E, 0
    SET_GATE64 0x30, l_back, 0xEE, 0
    SET_GATE64 0x31, l_svc, 0xEE, 0
    mov qword [PT_BASE + (SUP >> 12) * 8], SUP | 3
    mov qword [PT_BASE + (NP >> 12) * 8], NP | 7
    mov rax, cr3
    mov cr3, rax
    mov qword [MODE_STR], LIN(str_lm64)
%define RING 0
    CASES

    mov [SAVE0], rsp
    mov qword [BACK], LIN(lm64_r3_done)
    mov qword [MODE_STR], LIN(str_lm64r3)
    push qword SEL_DATA_R3
    push qword USER_TOP
    push qword 0x3002
    push qword SEL_CODE64_R3
    push qword LIN(lm64_r3)
    iretq
lm64_r3:
%define RING 3
    CASES
    int 0x30
lm64_r3_done:
    FINISH64

l_ud:
    add qword [rsp], 2
    inc qword [N_UD]
    iretq
l_bp:
    inc qword [N_BP]
    iretq
l_pf:                           ; NP: map it and retry; SUP: to [RESUME]
    push rax
    mov rax, cr2
    and rax, ~0xFFF
    cmp rax, NP
    je .np
    cmp rax, SUP
    jne .fatal
    mov rax, [rsp + 8]
    mov [PF_ERR], rax
    mov rsp, [SAVE_SP]
    jmp [RESUME]
.np:
    mov qword [PTE(NP)], NP | 7
    invlpg [NP]
    inc qword [N_PF]
    pop rax
    add rsp, 8
    iretq
.fatal:
    pop rax
    jmp lm_stubs + 14 * 16      ; lm.inc reports it
l_svc:
    call l_setpte0
    iretq
l_back:
    mov rsp, [SAVE0]
    jmp [BACK]

l_chk:                          ; RSI = aspect; [GOTV+100h], [EXPV+100h]
    pushfq
    push rax
    push rdx
    push rsi
    inc word [CHECKS_ADDR]
    mov rax, [GOTV + 0x100]
    cmp rax, [EXPV + 0x100]
    lea rdx, [rel rom_ok_str]
    je .p
    inc word [FAILS_ADDR]
    lea rdx, [rel rom_fail_str]
.p:
    xchg rdx, rsi
    call lm_puts64
    mov rsi, [MODE_STR]
    call lm_puts64
    mov rsi, [CASE]
    call lm_puts64
    lea rsi, [rel str_colon]
    call lm_puts64
    mov rsi, rdx
    call lm_puts64
    mov al, ' '
    out DEBUGCON_PORT, al
    mov rax, [GOTV + 0x100]
    call lm_puthex64
    cmp rax, [EXPV + 0x100]
    je .e
    lea rsi, [rel str_want]
    call lm_puts64
    mov rax, [EXPV + 0x100]
    call lm_puthex64
.e:
    mov al, 10
    out DEBUGCON_PORT, al
    pop rsi
    pop rdx
    pop rax
    popfq
    ret

    ROUTINES

xgdt:
    DESC 0xF0000, 0xFFFF, 0x9B, 0x0     ; SEL_CODE16
    DESC 0, 0xFFFF, 0x93, 0x0           ; SEL_DATA16
xgdt_end:
idt32r: dw 256 * 8 - 1
        dd IDT_BASE
str_pm32:    db "pm32 r0 ", 0
str_pm32r3:  db "pm32 r3 ", 0
str_lm64:    db "lm64 r0 ", 0
str_lm64r3:  db "lm64 r3 ", 0
str_colon:   db ": ", 0
str_want:    db " want ", 0
str_unexp:   db "FAIL pm32 unexpected exception, stack ", 0

    LM_LIB
ROM_END
