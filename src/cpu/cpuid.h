/* CPUID, MSRs and the time-stamp counter (src/cpu/cpuid.c, src/cpu/msr.c).
 * The feature bits reported are the single list of what the CPU
 * implements; CR4 writes accept only the bits these features allow. */
#ifndef RAWBOX_CPU_CPUID_H
#define RAWBOX_CPU_CPUID_H

#include <stdbool.h>
#include <stdint.h>
#include "cpu/cpu.h"

/* CPUID.1:EDX bits. */
#define CPUID_FPU   (1u << 0)
#define CPUID_VME   (1u << 1)
#define CPUID_DE    (1u << 2)
#define CPUID_PSE   (1u << 3)
#define CPUID_TSC   (1u << 4)
#define CPUID_MSR   (1u << 5)
#define CPUID_PAE   (1u << 6)
#define CPUID_MCE   (1u << 7)
#define CPUID_CX8   (1u << 8)
#define CPUID_APIC  (1u << 9)
#define CPUID_SEP   (1u << 11)
#define CPUID_MTRR  (1u << 12)
#define CPUID_PGE   (1u << 13)
#define CPUID_MCA   (1u << 14)
#define CPUID_CMOV  (1u << 15)
#define CPUID_PAT   (1u << 16)
#define CPUID_PSE36 (1u << 17)
#define CPUID_MMX   (1u << 23)

/* The CPUID.1:EDX feature word. Fixed at build time except the bits a
 * board may add or remove (APIC when it has a local APIC, VME when the
 * V86 code implements the extensions). */
extern uint32_t cpuid_features_edx;
/* Family 6 model 8 stepping 3 (as cpu_reset() puts in EDX). */
#define CPUID_SIGNATURE 0x00000683u

/* The four registers EAX, EBX, ECX, EDX for leaf/subleaf. */
void cpuid_query(uint32_t leaf, uint32_t sub, uint32_t out[4]);

/* CR4 bits a MOV CR4 may set with the features above. */
uint32_t cpuid_cr4_valid(void);

/* Guest TSC frequency and its source: host monotonic nanoseconds by
 * default; a board may install its virtual clock instead. */
#define TSC_HZ 1000000000ull
extern uint64_t (*msr_tsc_source)(void *opaque);  /* nanoseconds */
extern void *msr_tsc_opaque;
uint64_t msr_read_tsc(struct cpu *cpu);

/* The board's local APIC hears each IA32_APIC_BASE write that passed the
 * reserved-bit check (BSP bit already kept); false makes the WRMSR #GP(0)
 * and leaves the MSR unchanged. NULL: the MSR is only stored. */
extern bool (*msr_apic_base_hook)(void *opaque, uint64_t v);
extern void *msr_apic_base_opaque;

/* MSR access without the privilege check; false means #GP(0). */
bool msr_read(struct cpu *cpu, uint32_t idx, uint64_t *v);
bool msr_write(struct cpu *cpu, uint32_t idx, uint64_t v);

#endif
