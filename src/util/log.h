/* Logging with categories switchable at run time (--log a,b,c). Messages go
 * to stderr (or --log-file). log_warn/log_err always print. */
#ifndef RAWBOX_UTIL_LOG_H
#define RAWBOX_UTIL_LOG_H

#include <stdbool.h>

enum log_cat {
    LOG_EXC,        /* exceptions and interrupts delivered */
    LOG_IO,         /* unhandled port and MMIO accesses */
    LOG_MODE,       /* mode switches: real/protected/paging/V86 */
    LOG_POST,       /* POST codes on port 0x80 */
    LOG_CPU,        /* unimplemented instructions, MSRs, CPUID leaves */
    LOG_HW,         /* devices */
    LOG_BOOT,       /* loaders and firmware */
    LOG_CAT_COUNT
};

extern unsigned log_mask;
extern const char *const log_cat_names[LOG_CAT_COUNT];

static inline bool log_on(enum log_cat c) { return (log_mask >> c) & 1; }

/* Parse "exc,io,mode" (or "all", "none", "help") into log_mask. Returns 0,
 * 1 after printing the category list for "help", or -1 on an unknown word
 * (then log_bad_word() returns it). */
int log_parse(const char *spec);
const char *log_bad_word(void);
void log_print_help(void *file);    /* a FILE *: one category per line */
int log_set_file(const char *path);

void log_msg(enum log_cat c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define LOG(cat, ...) do { if (log_on(cat)) log_msg(cat, __VA_ARGS__); } while (0)
/* Log once per call site (unimplemented registers and the like). */
#define LOG_ONCE(cat, ...) do { static bool done_; \
    if (!done_) { done_ = true; log_msg(cat, __VA_ARGS__); } } while (0)

#endif
