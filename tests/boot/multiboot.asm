; multiboot.asm — a Multiboot v1 kernel (a.out kludge, flat binary at 1 MiB)
; that checks the machine state and information structure its loader gives
; it (Multiboot Specification 0.6.96, s3.2 and s3.3), reports one line per
; check on the debug console (port 0xE9) and exits through port 0xF4
; (0 = all passed -> VM exit status 1, 1 = a check failed -> status 3).
;
; tests/boot/multiboot.sh runs it under QEMU (-kernel) and rawbox
; (--kernel) with one module "mbmod.bin modarg" and --append "mbtest-arg".
; Where loaders may differ (boot_loader_name) the value is only printed.

; Assembled with -DELF it is instead an ELF32 object, linked at 1 MiB by
; tests/boot/multiboot.sh, and loaded from its PT_LOAD segments (no address
; fields; the BSS is the segment's memsz beyond filesz).

bits 32
%ifdef ELF
section .text
MB_FLAGS equ 0x00000003         ; page-align modules, memory info
%else
org 0x100000
MB_FLAGS equ 0x00010003         ; page-align modules, memory info, a.out kludge
%endif

global start
mb_header:
    dd 0x1BADB002
    dd MB_FLAGS
    dd -(0x1BADB002 + MB_FLAGS)
%ifndef ELF
    dd mb_header                ; header_addr
    dd 0x100000                 ; load_addr
    dd 0                        ; load_end_addr: the whole file
    dd bss_end                  ; bss_end_addr
    dd start                    ; entry_addr
%endif

; CHECK jcc, "name": pass when the condition holds. Keeps all registers.
%macro CHECK 2
    push esi
    j%1 %%ok
    mov esi, %%name
    call fail
    jmp %%done
%%ok:
    mov esi, %%name
    call pass
    jmp %%done
%%name: db %2, 0
%%done:
    pop esi
%endmacro

start:
    mov [saved_eax], eax
    mov [saved_ebx], ebx
    mov esp, stack_top          ; ESP is undefined at entry (spec s3.2)
    pushfd
    pop eax
    mov [saved_eflags], eax
    mov eax, [saved_eax]
    mov eax, cr0
    mov [saved_cr0], eax

    mov esi, eflags_msg
    call puts
    mov eax, [saved_eflags]
    call puthex
    mov esi, nl
    call puts
    cmp dword [saved_eax], 0x2BADB002
    CHECK e, "EAX holds 0x2BADB002"
    test dword [saved_eflags], 0x200
    CHECK z, "interrupts are disabled (EFLAGS.IF = 0)"
    test dword [saved_eflags], 0x20000
    CHECK z, "not in virtual-8086 mode"
    mov eax, [saved_cr0]
    and eax, 0x80000001
    cmp eax, 1
    CHECK e, "CR0: PE set, PG clear"
    mov ax, ds
    lar eax, eax
    and eax, 0x00c09a00           ; G, D/B, P, S, type bit 1 (writable)
    cmp eax, 0x00c09200
    CHECK e, "DS is a 32-bit writable flat data segment"
    mov eax, cs
    lar eax, eax
    and eax, 0x00c09800
    cmp eax, 0x00c09800
    CHECK e, "CS is a 32-bit code segment"
    cmp dword [bss_probe], 0
    CHECK e, "BSS up to bss_end_addr is zero"

    mov ebx, [saved_ebx]
    test dword [ebx], 1
    CHECK nz, "info flags: memory fields valid"
    cmp dword [ebx + 4], 639
    CHECK e, "mem_lower is 639 KiB"
    cmp dword [ebx + 8], 255 * 1024 - 1024
    CHECK a, "mem_upper is over 254 MiB (256 MiB guest)"
    test dword [ebx], 1 << 6
    CHECK nz, "info flags: memory map valid"
    ; The map must have a RAM entry starting at 1 MiB.
    mov esi, [ebx + 48]
    mov ecx, [ebx + 44]
    add ecx, esi
    xor edx, edx
.mmap:
    cmp esi, ecx
    jae .mmap_done
    cmp dword [esi + 4], 0x100000
    jne .next
    cmp dword [esi + 8], 0
    jne .next
    cmp dword [esi + 20], 1
    jne .next
    inc edx
.next:
    add esi, [esi]
    add esi, 4
    jmp .mmap
.mmap_done:
    cmp edx, 1
    CHECK e, "memory map has available RAM at 1 MiB"

    test dword [ebx], 1 << 2
    CHECK nz, "info flags: command line valid"
    mov esi, [ebx + 16]
    mov edi, want_cmd
    call ends_with
    CHECK e, "command line ends with the --append text"

    test dword [ebx], 1 << 3
    CHECK nz, "info flags: modules valid"
    cmp dword [ebx + 20], 1
    CHECK e, "one module"
    mov esi, [ebx + 24]
    mov eax, [esi]
    test eax, 0xfff
    CHECK z, "the module is page aligned"
    mov edx, [esi + 4]
    sub edx, eax
    push esi
    mov esi, modsize_msg
    call puts
    xchg eax, edx
    call puthex
    xchg eax, edx
    mov esi, nl
    call puts
    pop esi
    cmp edx, 16
    CHECK e, "mod_end - mod_start is the module's size"
    cmp dword [eax], 'MODU'
    CHECK e, "module contents are in memory"
    cmp eax, bss_end
    CHECK ae, "the module lies above the kernel's BSS"
    mov esi, [esi + 8]
    push esi
    mov esi, modstr_msg
    call puts
    pop esi
    call puts_keep
    mov esi, nl
    call puts
    mov esi, [ebx + 24]
    mov esi, [esi + 8]
    mov edi, want_modarg
    call ends_with
    CHECK e, "module string carries its arguments"

    test dword [ebx], 1 << 9
    jz .no_name
    mov esi, name_msg
    call puts
    mov esi, [ebx + 64]
    call puts
    mov esi, nl
    call puts
.no_name:
    mov al, [failed]
    out 0xf4, al
    cli
    hlt
    jmp $

; ends_with: ZF=1 if the string at ESI ends with the string at EDI.
ends_with:
    push esi
    push edi
    mov ecx, esi
.s_end:
    cmp byte [ecx], 0
    je .s_found
    inc ecx
    jmp .s_end
.s_found:
    mov edx, edi
.t_end:
    cmp byte [edx], 0
    je .t_found
    inc edx
    jmp .t_end
.t_found:
    sub edx, edi                ; suffix length
    sub ecx, esi                ; string length
    cmp ecx, edx
    jb .no
    add esi, ecx
    sub esi, edx
    mov ecx, edx
    repe cmpsb
    jmp .out
.no:
    or ecx, 1                   ; ZF=0
.out:
    pop edi
    pop esi
    ret

puts_keep:
    push esi
    call puts
    pop esi
    ret
puts:
    push eax
.l: lodsb
    test al, al
    jz .d
    out 0xe9, al
    jmp .l
.d: pop eax
    ret

; pass/fail: print "ok NAME" / "FAIL NAME" (NAME at ESI); keep all registers.
pass:
    pushad
    push esi
    mov esi, ok_msg
    call puts
    pop esi
    call puts
    mov esi, nl
    call puts
    popad
    ret

fail:
    pushad
    mov byte [failed], 1
    push esi
    mov esi, fail_msg
    call puts
    pop esi
    call puts
    mov esi, nl
    call puts
    popad
    ret

; puthex: print EAX as 8 hex digits.
puthex:
    pushad
    mov ecx, 8
.d: rol eax, 4
    mov edx, eax
    and edx, 15
    mov dl, [hexdig + edx]
    xchg eax, edx
    out 0xe9, al
    xchg eax, edx
    loop .d
    popad
    ret
hexdig: db "0123456789abcdef"

ok_msg: db "ok ", 0
fail_msg: db "FAIL ", 0
eflags_msg: db "note: EFLAGS at entry = ", 0
modsize_msg: db "note: module size = ", 0
modstr_msg: db "note: module string = ", 0
name_msg: db "note: boot_loader_name is ", 0
nl: db 10, 0
want_cmd: db "mbtest-arg", 0
want_modarg: db " modarg", 0
failed: db 0
align 4
file_end:

; BSS: not in the file, cleared by the loader.
%ifdef ELF
section .bss
%else
absolute file_end
%endif
saved_eax: resd 1
saved_ebx: resd 1
saved_eflags: resd 1
saved_cr0: resd 1
bss_probe: resd 1
resb 4096
stack_top:
bss_end:
