; pit_tsc.asm — calibrating the TSC against PIT channel 2, as Linux does.
;
; Runs the two loops of Linux's arch/x86/kernel/tsc.c with interrupts off:
;  - pit_calibrate_tsc(): channel 2 in mode 0 with a 10 ms (then 20 ms)
;    count, gate on through port 0x61 bit 0, poll port 0x61 bit 5 (OUT2)
;    and read the TSC each turn, keeping the smallest and largest TSC
;    step. Linux accepts the result only with >= 1000 turns (CAL_PIT_LOOPS)
;    and max step <= 10 x min step.
;  - quick_pit_calibrate(): channel 2 mode 0 from 0xFFFF, read the count
;    (LSB, MSB) until the MSB changes, for MSB = 0xFF, 0xFE, ...; each MSB
;    must be seen more than 5 times, and it succeeds once the TSC
;    uncertainty at both ends (d1 + d2) is below delta / 2048 (500 ppm).
; Checks for any PC (rawbox and QEMU): OUT2 rises when the count expires;
; the TSC counts at one rate, i.e. the 10 ms and 20 ms periods give the
; same TSC frequency within 2%.
; Checks only on rawbox (brand string "rawbox virtual CPU"): the TSC runs
; at 1 GHz against the PIT (within 0.5%), and both Linux loops succeed —
; rawbox's TSC and PIT read the same virtual clock, which advances evenly
; per instruction while the CPU runs, so a turn of a polling loop always
; costs the same TSC ticks.
; qemu-differs: the rawbox-only checks (1 GHz TSC, Linux's acceptance rules) are skipped under QEMU, whose TCG TSC and PIT follow host time: a loop turn the host delays breaks the 10x rule, and Linux prints "Unable to calibrate against PIT" there too.
; jit-flush-skip: the rawbox-only check that the TSC counts at 1 GHz against the PIT's OUT2 needs the virtual clock's pacing (src/vm/clock.c: paced by guest instructions, steered towards host time) to stay even, and a translation at nearly every block boundary makes host time per instruction erratic; a 1 us busy wait per block run, without any flush, fails it the same way: the clock on a slow host, not translated code (the [jit] row passes)
; Intel 8254 datasheet (mode 0, counter reads); IBM PC/AT port 61h.
%include "rom.inc"
%include "pg32.inc"

%define CNT     0x0600          ; pit_cal results
%define TMIN    0x0604
%define TMAX    0x0608
%define TTOT    0x060C
%define T1      0x0610
%define KHZ10   0x0614
%define QI      0x0620          ; quick_cal state
%define QTSC    0x0624
%define QD1     0x0628
%define QD2     0x062C
%define QDELTA  0x0630
%define QWHY    0x0634          ; 0 = success, 1..5 = where it failed
%define QKHZ    0x0638
%define GOOD    0x063C          ; pit_cal attempts that Linux would accept
%define RAWBOX  0x0640

%define PIT_HZ  1193182
%define LATCH10 (PIT_HZ / 100)
%define LATCH20 (PIT_HZ / 50)

%macro SHOW 2                   ; "label" value
    PUTS32 %1
    mov eax, %2
    call pm_puthex32
%endmacro

start:
    ROM_INIT
    PUTS `pit_tsc: TSC calibration against PIT channel 2 (Linux's loops)\n`
    PM_ENTER

    mov dword [RAWBOX], 0
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000004
    jb .brand_done
    mov eax, 0x80000002
    cpuid
    cmp eax, 'rawb'
    jne .brand_done
    mov dword [RAWBOX], 1
.brand_done:

    ; Warm-up: Linux calibrates after its early boot has run for a while;
    ; rawbox's clock learns the interpreter's speed in its first slices.
    mov ebx, LATCH20
    call pit_cal

    ; ---- pit_calibrate_tsc, three 10 ms attempts ----
    mov dword [GOOD], 0
    mov ecx, 3
.attempt:
    push ecx
    mov ebx, LATCH10
    call pit_cal
    SHOW "10 ms: turns ", [CNT]
    SHOW " min ", [TMIN]
    SHOW " max ", [TMAX]
    SHOW " tsc ", [TTOT]
    PUTS32 `\n`
    mov eax, [TTOT]
    xor edx, edx
    mov ecx, 10
    div ecx
    mov [KHZ10], eax
    cmp dword [CNT], 1000
    jb .reject
    mov eax, [TMIN]
    mov ecx, 10
    mul ecx
    test edx, edx
    jnz .accept
    cmp [TMAX], eax
    ja .reject
.accept:
    inc dword [GOOD]
.reject:
    pop ecx
    dec ecx
    jnz .attempt

    mov eax, [CNT]
    cmp eax, 0x10000000
    setb al
    movzx eax, al
    EXPECT32 eax, 1, "OUT2 rises when the mode 0 count expires"

    ; ---- one 20 ms period: the same TSC rate ----
    mov ebx, LATCH20
    call pit_cal
    SHOW "20 ms: turns ", [CNT]
    SHOW " min ", [TMIN]
    SHOW " max ", [TMAX]
    SHOW " tsc ", [TTOT]
    PUTS32 `\n`
    mov eax, [TTOT]
    xor edx, edx
    mov ecx, 20
    div ecx                     ; kHz over 20 ms
    mov ebx, [KHZ10]
    SHOW "TSC kHz (10 ms) ", ebx
    SHOW " (20 ms) ", eax
    PUTS32 `\n`
    sub eax, ebx                ; |k20 - k10| * 50 <= k10  (2%)
    jns .pos
    neg eax
.pos:
    mov ecx, 50
    mul ecx
    cmp eax, ebx
    setbe al
    movzx eax, al
    EXPECT32 eax, 1, "TSC rate over 10 ms and 20 ms agrees within 2%"

    ; ---- quick_pit_calibrate ----
    call quick_cal
    SHOW "quick: result ", [QWHY]
    SHOW " i ", [QI]
    SHOW " d1 ", [QD1]
    SHOW " d2 ", [QD2]
    SHOW " delta ", [QDELTA]
    SHOW " kHz ", [QKHZ]
    PUTS32 `\n`

    cmp dword [RAWBOX], 1
    jne .done
    mov eax, [KHZ10]            ; 1 GHz = 1000000 kHz, +-0.5%
    sub eax, 995000
    cmp eax, 10000
    setbe al
    movzx eax, al
    EXPECT32 eax, 1, "rawbox: TSC counts at 1 GHz against the PIT"
    mov eax, [GOOD]
    EXPECT32 eax, 3, "rawbox: pit_calibrate_tsc accepts all 3 attempts (>= 1000 turns, max <= 10 min)"
    mov eax, [QWHY]
    EXPECT32 eax, 0, "rawbox: quick_pit_calibrate succeeds"
    mov eax, [QKHZ]
    sub eax, 995000
    cmp eax, 10000
    setbe al
    movzx eax, al
    EXPECT32 eax, 1, "rawbox: quick_pit_calibrate finds 1 GHz"
    jmp .end
.done:
    PUTS32 `qemu-differs: rawbox-only checks skipped (TSC rate, Linux's acceptance rules)\n`
.end:
    FINISH32

; Gate channel 2 on, speaker off; mode 0 binary, LSB then MSB of BX.
pit_start:
    in al, 0x61
    and al, ~2
    or al, 1
    out 0x61, al
    mov al, 0xb0
    out 0x43, al
    mov al, bl
    out 0x42, al
    mov al, bh
    out 0x42, al
    ret

; pit_calibrate_tsc(latch = BX): turns, min and max TSC step, total.
pit_cal:
    call pit_start
    rdtsc
    mov esi, eax
    mov [T1], eax
    xor ecx, ecx
    mov edi, 0xffffffff
    xor ebp, ebp
.loop:
    in al, 0x61
    test al, 0x20
    jnz .out
    rdtsc
    mov edx, eax
    sub edx, esi
    mov esi, eax
    cmp edx, edi
    jae .notmin
    mov edi, edx
.notmin:
    cmp edx, ebp
    jbe .notmax
    mov ebp, edx
.notmax:
    inc ecx
    cmp ecx, 0x10000000
    jb .loop
.out:
    mov [CNT], ecx
    mov [TMIN], edi
    mov [TMAX], ebp
    sub esi, [T1]
    mov [TTOT], esi
    ret

; pit_expect_msb(BL): ECX = matching reads, ESI = TSC at the last one,
; EDI = TSC now minus TSC at the one before it.
expect_msb:
    xor ecx, ecx
    xor esi, esi
    xor ebp, ebp
.l:
    in al, 0x42
    in al, 0x42
    cmp al, bl
    jne .out
    mov ebp, esi
    rdtsc
    mov esi, eax
    inc ecx
    cmp ecx, 50000
    jb .l
.out:
    rdtsc
    sub eax, ebp
    mov edi, eax
    ret

%define QMAX (50 * PIT_HZ / 1000 / 256)

quick_cal:
    mov dword [QWHY], 1
    mov dword [QI], 0
    mov dword [QKHZ], 0
    mov bx, 0xffff
    call pit_start
    in al, 0x42                 ; pit_verify_msb(0): lets the count start
    in al, 0x42
    mov bl, 0xff
    call expect_msb
    mov [QD1], edi
    cmp ecx, 5
    jbe .ret
    mov [QTSC], esi
    mov dword [QI], 1
.iter:
    mov dword [QWHY], 2
    mov bl, 0xff
    sub bl, [QI]
    call expect_msb
    mov [QD2], edi
    cmp ecx, 5
    jbe .ret
    sub esi, [QTSC]
    mov [QDELTA], esi
    mov eax, [QD1]
    add eax, edi                ; d1 + d2
    cmp dword [QI], 1
    jne .not_first
    mov ecx, eax
    mov eax, esi
    mov edx, QMAX
    mul edx
    shrd eax, edx, 11
    mov dword [QWHY], 3
    cmp ecx, eax
    jae .ret                    ; the error will never fall below 500 ppm
    mov eax, ecx
.not_first:
    mov edx, esi
    shr edx, 11
    cmp eax, edx
    jae .next
    mov dword [QWHY], 5
    mov bl, 0xfe
    sub bl, [QI]
    in al, 0x42
    in al, 0x42
    cmp al, bl
    jne .ret
    mov eax, [QDELTA]           ; kHz = delta * PIT_HZ / (i * 256 * 1000)
    mov edx, PIT_HZ
    mul edx
    mov ecx, [QI]
    imul ecx, ecx, 256000
    div ecx
    mov [QKHZ], eax
    mov dword [QWHY], 0
    ret
.next:
    inc dword [QI]
    cmp dword [QI], QMAX
    jbe .iter
    mov dword [QWHY], 4
.ret:
    ret

bits 16
    ROM_END
