; raw_escape64.asm — what a hostile 64-bit guest program would try against
; an engine that runs it natively inside a host process, each of which
; must behave exactly as the guest's own CPU state decides (its IDT, page
; tables and GDT), never as the host's would:
; (a) SYSCALL with host (Linux x86-64) system call numbers and plausible
;     arguments (getpid, fork, execve, kill(0, 9), exit_group, mmap over the
;     user's code, mprotect, rt_sigreturn on a garbage stack, seccomp,
;     prctl(PR_SET_SECCOMP), arch_prctl(ARCH_SET_FS), a number with garbage
;     in RAX's upper half): each arrives in the guest kernel's SYSCALL entry
;     with every register as the user set it (RCX = return RIP, R11 =
;     RFLAGS) and returns with them;
; (b) INT 0x80 with i386 numbers (exit, execve, exit_group): each arrives at
;     the guest's DPL-3 gate 0x80 with every register and returns;
; (c) reads, writes and jumps to linear addresses ring 3 may not use:
;     0 (the kernel's, supervisor), and ones the guest does not map:
;     7FFFFFFFF000h (a host's last user page), FFFF800000000000h
;     (canonical kernel half), 0000800000000000h (not canonical) and the
;     pages at 3F0000000000h where rawbox puts its helper's region: #PF with
;     its error code, CR2 and RIP, or #GP(0) where not canonical;
; (d) JMP FAR and CALL FAR to 33h, 23h and 2Bh (a host's 64-bit user CS,
;     32-bit user CS and user DS): here 30h is data (#GP(30h)), 20h a
;     not-present code segment (#NP(20h)) and 28h 32-bit code (compatibility
;     mode, CS = 2Bh; back by JMP FAR / RETF);
; (e) MOV DS/ES/FS/GS/SS with 2Bh and 23h, and reading them back: DS, FS,
;     GS take 2Bh (readable code), SS refuses it (#GP(28h)), 23h gives
;     #NP(20h) (#GP(20h) for SS).
; Every item prints a "  try: ..." line before it runs, so a run that dies
; on one shows which. (c)'s helper-region items come last, the jumps there
; at the very end: rawbox ends the VM when guest code enters its stub.
; Intel SDM vol. 3A 5.8.8 (SYSCALL), 6.12-6.14, 4.7 (#PF error code),
; 3.3.7.1 (canonical addresses), 5.8.1-5.8.6 (far transfers), 3.4.3, 5.10
; (segment loads), vol. 2 JMP, CALL, MOV, RET.
;
; qemu-differs: QEMU 7.2 TCG takes a near JMP to a non-canonical address and raises the #GP(0) at the target (RIP = 800000000000h) instead of at the JMP (SDM vol. 2A JMP, Operation: the #GP(0) for a non-canonical tempRIP comes before RIP is loaded, so it is reported at the JMP); that check prints "qemu-departs" there
; qemu-cmd: qemu-system-x86_64 -cpu max
; rawbox-args: --cpu max
; raw-native: its ring-3 code is in guest RAM, so raw mode must run it on the host CPU (where the host runs 64-bit code: always)
%include "rom.inc"
%include "lm.inc"
%include "user64.inc"

%define SEL_NP32  0x20          ; 32-bit code, DPL 3, not present (23h)

%define SYS_ARM    (SYS_TEST + 0)   ; the next system call is recorded in U_REC
%define SYS_DISARM (SYS_TEST + 1)

; user data
%define U_RSP     (U_FREE + 0x00)
%define U_KIND    (U_FREE + 0x08)   ; 0 SYSCALL, 1 INT 0x80
%define U_RETRIP  (U_FREE + 0x10)
%define U_RECCNT  (U_FREE + 0x18)
%define U_MISS    (U_FREE + 0x20)
%define U_BACK    (U_FREE + 0x28)   ; m16:32 far pointer back to 64-bit code
%define U_CCS     (U_FREE + 0x30)   ; compatibility code's CS
%define U_CRET    (U_FREE + 0x38)   ; CALL FAR's pushed EIP and CS
%define U_CRETCS  (U_FREE + 0x40)
%define U_LANDED  (U_FREE + 0x48)
%define U_IN      (U_DATA + 0x100)  ; 16 qwords: RAX RCX RDX RBX RSP RBP RSI RDI R8-R15
%define U_OUT     (U_DATA + 0x180)
%define U_WANTS   (U_DATA + 0x200)
%define U_REC     (U_DATA + 0x280)  ; the kernel's frame (F_* layout, 22 qwords)
%define U_ARGV    (U_DATA + 0x340)
%define U_GARBAGE (U_DATA + 0x800)  ; to 0xFFF: 41h bytes
%define U_RFL     0xED7             ; CF PF AF ZF SF IF DF OF

%define I_RAX 0
%define I_RCX 1
%define I_RDX 2
%define I_RBX 3
%define I_RSP 4
%define I_RBP 5
%define I_RSI 6
%define I_RDI 7
%define I_R8  8
%define I_R9  9
%define I_R10 10
%define I_R11 11

start:
    ROM_INIT
    PUTS `raw_escape64: host system calls, host addresses and host selectors from ring 3\n`
    LM_ENTER
    U64_INIT
    SET_SYSCALL SYS_ARM, sys_arm
    SET_SYSCALL SYS_DISARM, sys_disarm
    ; 20h: 32-bit code, execute/read, DPL 3, not present
    mov rax, [rel np_desc]
    mov [GDT_BASE + SEL_NP32], rax
    ; execve's argv and a page of garbage for rt_sigreturn
    mov qword [U_ARGV], UL(binsh)
    mov qword [U_ARGV + 8], 0
    mov edi, U_GARBAGE
    mov eax, 0x41414141
    mov ecx, 0x200
    rep stosd
    U64_RUN user_main
    FINISH64

; ---------------------------------------------------------------- kernel
sys_arm:
    lea rax, [rel k_record]
    mov [K_SYS_TRAP], rax
    mov qword [U_RECCNT], 0
    mov edi, U_REC
    mov rax, -1
    mov ecx, 22
    rep stosq
    ret

sys_disarm:
    ret                         ; the table's entry: the trap is spent

; K_SYS_TRAP: the frame as the kernel's entry built it, for the user
k_record:
    mov rsi, rbp
    mov edi, U_REC
    mov ecx, 22
    rep movsq
    inc qword [U_RECCNT]
    ret

; ---------------------------------------------------------------- user
; HC_BEGIN kind, "say": print, then U_IN = a pattern per register, RSP 0
; (the caller's stack); SETIN i, value; HC_END "name" makes the call
%macro HC_BEGIN 2
    USAY %2
    mov qword [U_KIND], %1
    call u_fillin
%endmacro
%macro SETIN 2
    mov rax, %2
    mov [U_IN + (%1) * 8], rax
%endmacro
%macro HC_END 1
    call u_hostcall
    call u_hostcheck
    UEXPECT [U_MISS], 0, %1
%endmacro

; XTRY vector, code, cr2, "name", {instruction}: the instruction faults
; with vector and code at its own RIP (cr2 -1: not compared)
%macro XTRY 5
%strcat %%say "try: ", %4
    USAY %%say
    mov qword [U_RESUME], UL(%%catch)
%%fault:
    %5
%%catch:
    mov qword [U_RESUME], 0
    UEXC %1, %2, UL(%%fault), %3, %4
%endmacro

; XTRYQ: XTRY with UEXCQ's QEMU rule
%macro XTRYQ 5
%strcat %%say "try: ", %4
    USAY %%say
    mov qword [U_RESUME], UL(%%catch)
%%fault:
    %5
%%catch:
    mov qword [U_RESUME], 0
    UEXCQ %1, %2, UL(%%fault), %3, %4
%endmacro

; XJMP target, code, "name": JMP to a page the user may not fetch from:
; #PF(code) there
%macro XJMP 3
%strcat %%say "try: ", %3
    USAY %%say
    mov qword [U_RESUME], UL(%%catch)
    mov rbx, %1
    jmp rbx
%%catch:
    mov qword [U_RESUME], 0
    UEXC 14, %2, %1, %1, %3
%endmacro

; Ring-3 code, copied to RAM by U64_INIT.
    U64_USER_BEGIN
user_main:
    call u_hostcalls
    call u_int80
    call u_far
    call u_segs
    call u_addrs
    USYS SYS_EXIT

; ---- (a) host system call numbers through SYSCALL ----
u_hostcalls:
    HC_BEGIN 0, "try: SYSCALL 39 (host getpid)"
    SETIN I_RAX, 39
    HC_END "SYSCALL 39 (host getpid) reaches the guest kernel with every register and returns"
    HC_BEGIN 0, "try: SYSCALL 57 (host fork)"
    SETIN I_RAX, 57
    HC_END "SYSCALL 57 (host fork) reaches the guest kernel with every register and returns"
    HC_BEGIN 0, `try: SYSCALL 59 (host execve("/bin/sh", argv, NULL))`
    SETIN I_RAX, 59
    SETIN I_RDI, UL(binsh)
    SETIN I_RSI, U_ARGV
    SETIN I_RDX, 0
    HC_END "SYSCALL 59 (host execve) reaches the guest kernel with every register and returns"
    HC_BEGIN 0, "try: SYSCALL 62 (host kill(0, SIGKILL))"
    SETIN I_RAX, 62
    SETIN I_RDI, 0
    SETIN I_RSI, 9
    HC_END "SYSCALL 62 (host kill(0, 9)) reaches the guest kernel with every register and returns"
    HC_BEGIN 0, "try: SYSCALL 231 (host exit_group(0))"
    SETIN I_RAX, 231
    SETIN I_RDI, 0
    HC_END "SYSCALL 231 (host exit_group) reaches the guest kernel with every register and returns"
    HC_BEGIN 0, "try: SYSCALL 9 (host mmap over the user's code, RWX, MAP_FIXED|MAP_ANONYMOUS)"
    SETIN I_RAX, 9
    SETIN I_RDI, UL(u64_user_begin)
    SETIN I_RSI, 0x1000
    SETIN I_RDX, 7
    SETIN I_R10, 0x32
    SETIN I_R8, -1
    SETIN I_R9, 0
    HC_END "SYSCALL 9 (host mmap) reaches the guest kernel with every register and returns"
    HC_BEGIN 0, "try: SYSCALL 10 (host mprotect of the user's code, RWX)"
    SETIN I_RAX, 10
    SETIN I_RDI, UL(u64_user_begin)
    SETIN I_RSI, 0x1000
    SETIN I_RDX, 7
    HC_END "SYSCALL 10 (host mprotect) reaches the guest kernel with every register and returns"
    HC_BEGIN 0, "try: SYSCALL 15 (host rt_sigreturn) on a stack of garbage"
    SETIN I_RAX, 15
    SETIN I_RSP, U_GARBAGE + 0x400
    HC_END "SYSCALL 15 (host rt_sigreturn, garbage stack) reaches the guest kernel with every register and returns"
    HC_BEGIN 0, "try: SYSCALL 317 (host seccomp(SECCOMP_SET_MODE_STRICT))"
    SETIN I_RAX, 317
    SETIN I_RDI, 0
    SETIN I_RSI, 0
    SETIN I_RDX, 0
    HC_END "SYSCALL 317 (host seccomp) reaches the guest kernel with every register and returns"
    HC_BEGIN 0, "try: SYSCALL 157 (host prctl(PR_SET_SECCOMP, 1))"
    SETIN I_RAX, 157
    SETIN I_RDI, 22
    SETIN I_RSI, 1
    HC_END "SYSCALL 157 (host prctl) reaches the guest kernel with every register and returns"
    HC_BEGIN 0, "try: SYSCALL 158 (host arch_prctl(ARCH_SET_FS, 414141410000h))"
    SETIN I_RAX, 158
    SETIN I_RDI, 0x1002
    SETIN I_RSI, 0x414141410000
    HC_END "SYSCALL 158 (host arch_prctl) reaches the guest kernel with every register and returns"
    HC_BEGIN 0, "try: SYSCALL with RAX = FFFFFFFF00000027h (getpid in the low half)"
    SETIN I_RAX, 0xFFFFFFFF00000027
    HC_END "SYSCALL with RAX = FFFFFFFF00000027h reaches the guest kernel with every register and returns"
    ret

; ---- (b) i386 numbers through INT 0x80 ----
u_int80:
    HC_BEGIN 1, "try: INT 0x80, EAX = 1 (i386 exit(0))"
    SETIN I_RAX, 1
    SETIN I_RBX, 0
    HC_END "INT 0x80 EAX = 1 (i386 exit) arrives at the guest's gate 0x80 with every register and returns"
    HC_BEGIN 1, "try: INT 0x80, EAX = 11 (i386 execve)"
    SETIN I_RAX, 11
    SETIN I_RBX, UL(binsh)
    SETIN I_RCX, U_ARGV
    SETIN I_RDX, 0
    HC_END "INT 0x80 EAX = 11 (i386 execve) arrives at the guest's gate 0x80 with every register and returns"
    HC_BEGIN 1, "try: INT 0x80, EAX = 252 (i386 exit_group(0))"
    SETIN I_RAX, 252
    SETIN I_RBX, 0
    HC_END "INT 0x80 EAX = 252 (i386 exit_group) arrives at the guest's gate 0x80 with every register and returns"
    ret

; U_IN[k] = a value of its own per register, RSP 0
u_fillin:
    push rax
    push rcx
    push rdx
    mov rdx, 0x5EC0DE0000000001
    mov rax, 0x0101010100000101
    xor ecx, ecx
.l:
    mov [U_IN + rcx * 8], rdx
    add rdx, rax
    inc ecx
    cmp ecx, 16
    jb .l
    mov qword [U_IN + I_RSP * 8], 0
    pop rdx
    pop rcx
    pop rax
    ret

%macro LOADALL 0
    mov rcx, [U_IN + 1 * 8]
    mov rdx, [U_IN + 2 * 8]
    mov rbx, [U_IN + 3 * 8]
    mov rbp, [U_IN + 5 * 8]
    mov rsi, [U_IN + 6 * 8]
    mov rdi, [U_IN + 7 * 8]
    mov r8, [U_IN + 8 * 8]
    mov r9, [U_IN + 9 * 8]
    mov r10, [U_IN + 10 * 8]
    mov r11, [U_IN + 11 * 8]
    mov r12, [U_IN + 12 * 8]
    mov r13, [U_IN + 13 * 8]
    mov r14, [U_IN + 14 * 8]
    mov r15, [U_IN + 15 * 8]
    mov rsp, [U_IN + 4 * 8]
    mov rax, [U_IN + 0 * 8]
%endmacro
%macro SAVEALL 0
    mov [U_OUT + 0 * 8], rax
    mov [U_OUT + 1 * 8], rcx
    mov [U_OUT + 2 * 8], rdx
    mov [U_OUT + 3 * 8], rbx
    mov [U_OUT + 4 * 8], rsp
    mov [U_OUT + 5 * 8], rbp
    mov [U_OUT + 6 * 8], rsi
    mov [U_OUT + 7 * 8], rdi
    mov [U_OUT + 8 * 8], r8
    mov [U_OUT + 9 * 8], r9
    mov [U_OUT + 10 * 8], r10
    mov [U_OUT + 11 * 8], r11
    mov [U_OUT + 12 * 8], r12
    mov [U_OUT + 13 * 8], r13
    mov [U_OUT + 14 * 8], r14
    mov [U_OUT + 15 * 8], r15
%endmacro

; [U_KIND] = 0: SYSCALL, 1: INT 0x80, with every register from U_IN and
; RFLAGS = U_RFL; U_OUT = the registers after, U_RETRIP = the return RIP.
; The kernel records its frame in U_REC.
u_hostcall:
    mov [U_RSP], rsp
    cmp qword [U_IN + I_RSP * 8], 0
    jne .rsp
    mov [U_IN + I_RSP * 8], rsp
.rsp:
    USYS SYS_ARM
    cmp qword [U_KIND], 0
    jne .int80
    lea rax, [rel .sys_back]
    mov [U_RETRIP], rax
    push U_RFL
    popfq
    LOADALL
    syscall
.sys_back:
    SAVEALL
    jmp .done
.int80:
    lea rax, [rel .int_back]
    mov [U_RETRIP], rax
    push U_RFL
    popfq
    LOADALL
    int 0x80
.int_back:
    SAVEALL
.done:
    mov rsp, [U_RSP]
    push 0x202
    popfq
    USYS SYS_DISARM             ; recorded instead if the call never arrived
    ret

; U_MISS = the differences between U_IN (SYSCALL: RCX = return RIP, R11
; = RFLAGS) and the kernel's frame, and the registers after the return;
; each is printed
%macro MISS 3                   ; "what", got, want
    UPUT %1, %2
    UPUT "      want", %3
    inc qword [U_MISS]
%endmacro
u_hostcheck:
    xor eax, eax
    mov [U_MISS], rax
    xor ecx, ecx
.copy:
    mov rax, [U_IN + rcx * 8]
    mov [U_WANTS + rcx * 8], rax
    inc ecx
    cmp ecx, 16
    jb .copy
    mov eax, 0x80
    cmp qword [U_KIND], 0
    jne .kind
    mov rax, [U_RETRIP]
    mov [U_WANTS + I_RCX * 8], rax
    mov qword [U_WANTS + I_R11 * 8], U_RFL
    mov eax, 0x100
.kind:
    cmp [U_REC + F_VEC], rax
    je .vec
    MISS "    kernel entry (80h INT, 100h SYSCALL)", [U_REC + F_VEC], rax
.vec:
    cmp qword [U_RECCNT], 1
    je .cnt
    MISS "    system calls the kernel recorded", [U_RECCNT], 1
.cnt:
    mov rax, [U_RETRIP]
    cmp [U_REC + F_RIP], rax
    je .rip
    MISS "    return RIP in the kernel's frame", [U_REC + F_RIP], rax
.rip:
    cmp qword [U_REC + F_CS], UCS64
    je .cs
    MISS "    CS in the kernel's frame", [U_REC + F_CS], UCS64
.cs:
    xor ecx, ecx
.reg:
    lea rdx, [rel frame_slot]
    movzx edx, byte [rdx + rcx]
    mov rax, [U_REC + rdx]
    cmp rax, [U_WANTS + rcx * 8]
    je .after
    UPUT "    register (0-15: RAX RCX RDX RBX RSP RBP RSI RDI R8-R15) in the kernel", rcx
    MISS "      got", [U_REC + rdx], [U_WANTS + rcx * 8]
.after:
    mov rax, [U_OUT + rcx * 8]
    cmp rax, [U_WANTS + rcx * 8]
    je .next
    UPUT "    register (0-15: RAX RCX RDX RBX RSP RBP RSI RDI R8-R15) after the return", rcx
    MISS "      got", [U_OUT + rcx * 8], [U_WANTS + rcx * 8]
.next:
    inc ecx
    cmp ecx, 16
    jb .reg
    ret

; ---- (d) far transfers to a host's selectors ----
u_far:
    mov qword [U_LANDED], 0
    mov [U_RSP], rsp            ; for far_landed64
    XTRY 13, 0x30, -1, "JMP FAR to 33h (here user data) -> #GP(30h)", {jmp far dword [rel fp_33]}
    XTRY 11, 0x20, -1, "JMP FAR to 23h (here not-present code) -> #NP(20h)", {jmp far dword [rel fp_23]}
    mov [U_RSP], rsp
    XTRY 13, 0x30, -1, "CALL FAR to 33h (here user data) -> #GP(30h)", {call far dword [rel fp_33]}
    mov rsp, [U_RSP]
    XTRY 11, 0x20, -1, "CALL FAR to 23h (here not-present code) -> #NP(20h)", {call far dword [rel fp_23]}
    mov rsp, [U_RSP]
    UEXPECT [U_LANDED], 0, "no far transfer landed at a host-selector target"

    USAY "try: JMP FAR to 2Bh (here 32-bit user code)"
    mov qword [U_CCS], -1
    lea rax, [rel .jback]
    mov [U_BACK], eax
    mov word [U_BACK + 4], UCS64
    mov [U_RSP], rsp
    jmp far dword [rel fp_2b]
.jback:
    mov rax, [U_CCS]
    UEXPECT rax, UCS32, "JMP FAR to 2Bh: compatibility mode with CS = 2Bh, back by JMP FAR"
    mov rax, rsp
    UEXPECT rax, [U_RSP], "JMP FAR to 2Bh and back: RSP kept"
    mov rax, cs
    UEXPECT rax, UCS64, "JMP FAR back to 3Bh: 64-bit mode again"

    USAY "try: CALL FAR to 2Bh (here 32-bit user code)"
    mov qword [U_CCS], -1
    mov qword [U_CRET], -1
    mov qword [U_CRETCS], -1
    mov [U_RSP], rsp
    call far dword [rel fp_2b_call]
.cback:
    mov rax, [U_CCS]
    UEXPECT rax, UCS32, "CALL FAR to 2Bh: compatibility mode with CS = 2Bh"
    mov eax, [U_CRET]
    lea rbx, [rel .cback]
    UEXPECT rax, rbx, "CALL FAR m16:32: the pushed EIP is the next instruction"
    movzx eax, word [U_CRETCS]
    UEXPECT rax, UCS64, "CALL FAR m16:32: the pushed CS is 3Bh"
    mov rax, rsp
    UEXPECT rax, [U_RSP], "RETF from compatibility mode: RSP back"
    mov rax, cs
    UEXPECT rax, UCS64, "RETF to 3Bh: 64-bit mode again"
    ret

; where a far transfer to a host selector would land natively
far_landed64:
    mov qword [U_LANDED], 1
    mov rax, [U_RESUME]
    mov qword [U_RESUME], 0
    mov rsp, [U_RSP]
    jmp rax

; ---- (e) segment loads with a host's selectors ----
u_segs:
    USAY "try: MOV DS, 2Bh"
    mov ax, UCS32
    mov ds, ax
    mov rax, -1
    mov rax, ds
    UPUT "DS after MOV DS, 2Bh", rax
    UEXPECT rax, UCS32, "MOV DS, 2Bh (here readable 32-bit code) loads; MOV r, DS reads 2Bh"
    USAY "try: MOV FS, 2Bh and MOV GS, 2Bh"
    mov ax, UCS32
    mov fs, ax
    mov gs, ax
    mov rax, -1
    mov rax, fs
    UEXPECT rax, UCS32, "MOV FS, 2Bh loads; MOV r, FS reads 2Bh"
    mov rax, -1
    mov rax, gs
    UEXPECT rax, UCS32, "MOV GS, 2Bh loads; MOV r, GS reads 2Bh"
    mov ax, UCS32
    XTRY 13, UCS32 & ~3, -1, "MOV SS, 2Bh (here code) -> #GP(28h)", {mov ss, ax}
    mov rax, -1
    mov rax, ss
    UEXPECT rax, USS, "SS is still 33h"
    mov ax, SEL_NP32 | 3
    XTRY 11, SEL_NP32, -1, "MOV DS, 23h (here not-present code) -> #NP(20h)", {mov ds, ax}
    XTRY 11, SEL_NP32, -1, "MOV ES, 23h -> #NP(20h)", {mov es, ax}
    XTRY 13, SEL_NP32, -1, "MOV SS, 23h (here code) -> #GP(20h)", {mov ss, ax}
    mov rax, -1
    mov rax, ds
    UEXPECT rax, UCS32, "DS is still 2Bh"
    mov rax, -1
    mov rax, es
    UEXPECT rax, USS, "ES is still 33h"
    mov ax, USS
    mov ss, ax
    mov rax, -1
    mov rax, ss
    UEXPECT rax, USS, "MOV SS, 33h loads; MOV r, SS reads 33h"
    mov ax, USS
    mov ds, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    ret

; ---- (c) addresses the guest does not map ----
u_addrs:
    xor eax, eax
    ; page 0 is the kernel's (supervisor): P = 1 in the error codes
    XTRY 14, 5, 0, "read at 0 (a supervisor page) -> #PF(5), CR2 = 0", {mov rax, [0]}
    XTRY 14, 7, 0, "write at 0 (a supervisor page) -> #PF(7), CR2 = 0", {mov [0], rax}
    XJMP 0, 0x15, "JMP to 0 (a supervisor page) -> #PF(15h) there, CR2 = 0"
    mov rbx, 0x7FFFFFFFF000
    XTRY 14, 4, 0x7FFFFFFFF000, "read at 7FFFFFFFF000h -> #PF(4)", {mov rax, [rbx]}
    XTRY 14, 6, 0x7FFFFFFFF008, "write at 7FFFFFFFF008h -> #PF(6)", {mov [rbx + 8], rax}
    XJMP 0x7FFFFFFFF000, 0x14, "JMP to 7FFFFFFFF000h -> #PF(14h) there"
    mov rbx, 0xFFFF800000000000
    XTRY 14, 4, 0xFFFF800000000000, "read at FFFF800000000000h -> #PF(4)", {mov rax, [rbx]}
    XTRY 14, 6, 0xFFFF800000000000, "write at FFFF800000000000h -> #PF(6)", {mov [rbx], rax}
    XJMP 0xFFFF800000000000, 0x14, "JMP to FFFF800000000000h -> #PF(14h) there"
    mov rbx, 0x0000800000000000
    XTRY 13, 0, -1, "read at 800000000000h (not canonical) -> #GP(0)", {mov rax, [rbx]}
    XTRY 13, 0, -1, "write at 800000000000h (not canonical) -> #GP(0)", {mov [rbx], rax}
    XTRYQ 13, 0, -1, "JMP to 800000000000h (not canonical) -> #GP(0) at the JMP", {jmp rbx}
    ; where rawbox puts its helper: code, command, report, signal stacks
    mov rbx, 0x3F0000000000
    mov rax, -1
    XTRY 14, 4, 0x3F0000000000, "read at 3F0000000000h -> #PF(4)", {mov rax, [rbx]}
    UPUT "value read (-1: none)", rax
    mov rax, -1
    XTRY 14, 4, 0x3F0000001000, "read at 3F0000001000h -> #PF(4)", {mov rax, [rbx + 0x1000]}
    UPUT "value read (-1: none)", rax
    mov rax, -1
    XTRY 14, 4, 0x3F0000003000, "read at 3F0000003000h -> #PF(4)", {mov rax, [rbx + 0x3000]}
    UPUT "value read (-1: none)", rax
    mov rax, -1
    XTRY 14, 4, 0x3F0000004000, "read at 3F0000004000h -> #PF(4)", {mov rax, [rbx + 0x4000]}
    UPUT "value read (-1: none)", rax
    mov rax, -1
    XTRY 14, 4, 0x3F0000013FF8, "read at 3F0000013FF8h -> #PF(4)", {mov rax, [rbx + 0x13FF8]}
    UPUT "value read (-1: none)", rax
    mov rax, -1
    XTRY 14, 4, 0x3F0000014000, "read at 3F0000014000h -> #PF(4)", {mov rax, [rbx + 0x14000]}
    UPUT "value read (-1: none)", rax
    XTRY 14, 6, 0x3F0000000000, "write at 3F0000000000h -> #PF(6)", {mov [rbx], rax}
    XTRY 14, 6, 0x3F0000001000, "write at 3F0000001000h -> #PF(6)", {mov [rbx + 0x1000], rax}
    XTRY 14, 6, 0x3F0000013FF8, "write at 3F0000013FF8h -> #PF(6)", {mov [rbx + 0x13FF8], rax}
    XTRY 14, 6, 0x3F0000003000, "write at 3F0000003000h -> #PF(6)", {mov [rbx + 0x3000], rax}
    XJMP 0x3F0000001000, 0x14, "JMP to 3F0000001000h -> #PF(14h) there"
    XJMP 0x3F0000003000, 0x14, "JMP to 3F0000003000h -> #PF(14h) there"
    XJMP 0x3F0000000000, 0x14, "JMP to 3F0000000000h -> #PF(14h) there"
    ret

; ---- compatibility-mode targets of the far transfers ----
bits 32
compat_jmp:
    mov eax, cs
    mov [U_CCS], eax
    mov dword [U_CCS + 4], 0
    jmp far [U_BACK]

compat_call:
    mov eax, cs
    mov [U_CCS], eax
    mov dword [U_CCS + 4], 0
    mov eax, [esp]
    mov [U_CRET], eax
    mov eax, [esp + 4]
    mov [U_CRETCS], eax
    retf
bits 64

    U64_USER_DATA
frame_slot:                     ; U_IN order -> the kernel frame's slot
    db F_RAX, F_RCX, F_RDX, F_RBX, F_RSP, F_RBP, F_RSI, F_RDI
    db F_R8, F_R9, F_R10, F_R11, F_R12, F_R13, F_R14, F_R15
binsh:
    db "/bin/sh", 0
align 8
fp_33:      dd UL(far_landed64)
            dw 0x33
align 8
fp_23:      dd UL(compat_jmp)
            dw 0x23
align 8
fp_2b:      dd UL(compat_jmp)
            dw 0x2B
align 8
fp_2b_call: dd UL(compat_call)
            dw 0x2B
    U64_USER_END

; ---------------------------------------------------------------- data
np_desc:
    DESC 0, 0xFFFFF, 0x7B, 0xC          ; 32-bit code, DPL 3, P = 0

    U64_LIB
    LM_LIB
    ROM_END
