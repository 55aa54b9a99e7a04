/* Catching a guest fault in a CPU unit test: TRY(stmt) runs stmt with the
 * vCPU's unwind point (cpu->fault_jmp, where except_raise() longjmps) set
 * here and is true if the guest faulted, with the vector and error code in
 * fault_vec/fault_code. The including file has `cpu` (struct cpu *) in scope
 * and includes test.h first. Shared by cr_msr_test, lm_intr_test and
 * paging_test. */
#ifndef RAWBOX_TESTS_FAULT_CATCH_H
#define RAWBOX_TESTS_FAULT_CATCH_H

#include <setjmp.h>
#include <stdbool.h>
#include "cpu/cpu.h"

static volatile int fault_vec;
static volatile uint32_t fault_code;

static inline bool fault_record(const struct cpu *c)
{
    fault_vec = c->exc_vector;
    fault_code = c->exc_code;
    return true;
}

#define TRY(stmt) ({                                        \
    volatile bool faulted_ = false;                         \
    if (setjmp(cpu->fault_jmp))                             \
        faulted_ = fault_record(cpu);                       \
    else {                                                  \
        stmt;                                               \
    }                                                       \
    faulted_; })

/* The statement faults with this vector and error code. */
#define EXPECT_FAULT(stmt, vec, code, name) do {                        \
    if (TRY(stmt)) {                                                    \
        CHECK_EQ(fault_vec, vec, "%s: vector", name);                   \
        CHECK_EQ(fault_code, code, "%s: error code", name);             \
    } else {                                                            \
        CHECK(0, "%s: expected a fault", name);                         \
    }                                                                   \
} while (0)

#define EXPECT_OK(stmt, name) CHECK(!TRY(stmt), "%s: no fault", name)

#endif
