/* Minimal unit-test support: one line per check, a closing summary.
 *
 * Each unit test is its own program (tests/unit/<dir>/<name>_test.c). Use
 *     CHECK(cond, "name %d", ...)        pass when cond is true
 *     CHECK_EQ(actual, expected, "name") integers, both printed on failure
 *     CHECK_STR(actual, expected, "name")
 * and finish main() with `return test_summary();`, which prints exactly
 * "N passed, N failed" and returns 1 when anything failed.
 * Passing checks print "ok NAME"; failing ones "FAIL NAME (file:line) ...".
 * Set TEST_QUIET=1 in the environment to print only failures and the
 * summary. */
#ifndef RAWBOX_TEST_H
#define RAWBOX_TEST_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_passed_, test_failed_;

static inline bool test_quiet_(void)
{
    static int q = -1;
    if (q < 0) {
        const char *e = getenv("TEST_QUIET");
        q = e && *e && strcmp(e, "0") != 0;
    }
    return q;
}

static inline void test_name_(const char *fmt, va_list ap)
{
    vprintf(fmt, ap);
}

__attribute__((format(printf, 4, 5)))
static inline bool test_check_(bool ok, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    if (ok) {
        test_passed_++;
        if (!test_quiet_()) {
            fputs("ok ", stdout);
            va_start(ap, fmt);
            test_name_(fmt, ap);
            va_end(ap);
            putchar('\n');
        }
    } else {
        test_failed_++;
        fputs("FAIL ", stdout);
        va_start(ap, fmt);
        test_name_(fmt, ap);
        va_end(ap);
        printf(" (%s:%d)\n", file, line);
    }
    fflush(stdout);
    return ok;
}

__attribute__((format(printf, 6, 7)))
static inline bool test_check_eq_(uint64_t a, uint64_t b, const char *file, int line,
                                  const char *expr, const char *fmt, ...)
{
    va_list ap;
    bool ok = a == b;
    if (ok) {
        test_passed_++;
        if (!test_quiet_()) {
            fputs("ok ", stdout);
            va_start(ap, fmt);
            test_name_(fmt, ap);
            va_end(ap);
            putchar('\n');
        }
    } else {
        test_failed_++;
        fputs("FAIL ", stdout);
        va_start(ap, fmt);
        test_name_(fmt, ap);
        va_end(ap);
        printf(" (%s:%d): %s is 0x%" PRIx64 ", expected 0x%" PRIx64 "\n",
               file, line, expr, a, b);
    }
    fflush(stdout);
    return ok;
}

__attribute__((format(printf, 6, 7)))
static inline bool test_check_str_(const char *a, const char *b, const char *file, int line,
                                   const char *expr, const char *fmt, ...)
{
    va_list ap;
    bool ok = a && b && strcmp(a, b) == 0;
    if (ok) {
        test_passed_++;
        if (!test_quiet_()) {
            fputs("ok ", stdout);
            va_start(ap, fmt);
            test_name_(fmt, ap);
            va_end(ap);
            putchar('\n');
        }
    } else {
        test_failed_++;
        fputs("FAIL ", stdout);
        va_start(ap, fmt);
        test_name_(fmt, ap);
        va_end(ap);
        printf(" (%s:%d): %s is \"%s\", expected \"%s\"\n", file, line, expr,
               a ? a : "(null)", b ? b : "(null)");
    }
    fflush(stdout);
    return ok;
}

#define CHECK(cond, ...) test_check_(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_EQ(a, b, ...) \
    test_check_eq_((uint64_t)(a), (uint64_t)(b), __FILE__, __LINE__, #a, __VA_ARGS__)
#define CHECK_STR(a, b, ...) \
    test_check_str_((a), (b), __FILE__, __LINE__, #a, __VA_ARGS__)

/* Print the closing line; the return value is main()'s exit status. */
static inline int test_summary(void)
{
    printf("%d passed, %d failed\n", test_passed_, test_failed_);
    fflush(stdout);
    return test_failed_ ? 1 : 0;
}

#endif
