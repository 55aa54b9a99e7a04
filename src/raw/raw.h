/* Raw mode (src/raw/): guest user code runs natively on the host CPU in
 * a helper process while everything else runs in the interpreter. The
 * design and the threat model are in docs/raw-mode.md. */
#ifndef RAWBOX_RAW_RAW_H
#define RAWBOX_RAW_RAW_H

#include <stdio.h>

#include "cpu/engine.h"

extern const struct engine_ops engine_raw;

/* Make `cpu` run under raw mode (after cpu_init). The helper starts when
 * guest user code first may run natively. */
void raw_attach(struct cpu *cpu);

/* The --stats report: entries, exits by reason, time in each engine,
 * shadow mappings filled and dropped, interrupt latency. */
void raw_print_stats(struct cpu *cpu, FILE *f);

#endif
