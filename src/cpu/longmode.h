/* Long-mode architecture shared by the CPU's system parts: the EFER bits,
 * the long-mode MSRs (src/cpu/efer.c), MAXPHYADDR and the canonical-address
 * rule. AMD APM vol. 2 3.1.7 (EFER), 5.3.1 (canonical addresses), 6.1.1
 * (SYSCALL MSRs); Intel SDM vol. 3A 2.2.1, 3.3.7.1, vol. 4 table 2-2. */
#ifndef RAWBOX_CPU_LONGMODE_H
#define RAWBOX_CPU_LONGMODE_H

#include <stdbool.h>
#include <stdint.h>

struct cpu;
struct cpu_model;

/* IA32_EFER bits. */
#define EFER_SCE 0x001u     /* SYSCALL/SYSRET enable */
#define EFER_LME 0x100u     /* long mode enable */
#define EFER_LMA 0x400u     /* long mode active (read-only) */
#define EFER_NXE 0x800u     /* execute-disable bit in PAE/4-level entries */

/* Long-mode MSR indexes. */
enum {
    MSR_EFER = 0xc0000080u,
    MSR_STAR = 0xc0000081u,
    MSR_LSTAR = 0xc0000082u,
    MSR_CSTAR = 0xc0000083u,
    MSR_FMASK = 0xc0000084u,
    MSR_FS_BASE = 0xc0000100u,
    MSR_GS_BASE = 0xc0000101u,
    MSR_KERNEL_GS_BASE = 0xc0000102u,
    MSR_TSC_AUX = 0xc0000103u,
};

/* Linear-address width of 4-level paging: an address is canonical when
 * bits 63..47 are all equal (APM vol. 2 5.3.1, SDM vol. 1 3.3.7.1). */
#define VIRT_ADDR_BITS 48

static inline bool is_canonical(uint64_t a)
{
    return (uint64_t)((int64_t)(a << (64 - VIRT_ADDR_BITS)) >> (64 - VIRT_ADDR_BITS)) == a;
}

/* The EFER bits this model may set (0: the model has no IA32_EFER). */
uint64_t efer_valid_bits(const struct cpu_model *m);

/* RDMSR/WRMSR of EFER and the long-mode MSRs. Return -1 when `idx` is not
 * one of them (the caller goes on), 0 for #GP(0), 1 when done. */
int lm_msr_read(struct cpu *cpu, uint32_t idx, uint64_t *v);
int lm_msr_write(struct cpu *cpu, uint32_t idx, uint64_t v);

#endif
