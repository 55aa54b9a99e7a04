/* Logging with run-time categories (see log.h).
 *
 * Categories are bits of log_mask, switched on by --log LIST. Messages go to
 * stderr unless --log-file names a file. Each line starts with the category
 * name so a grep can pick one subsystem out of a long log. log_warn/log_err
 * print regardless of the mask. Nothing here is thread-safe beyond what
 * stdio gives; rawbox runs its vCPU and devices on one thread. */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

unsigned log_mask;

const char *const log_cat_names[LOG_CAT_COUNT] = {
    [LOG_EXC] = "exc",
    [LOG_IO] = "io",
    [LOG_MODE] = "mode",
    [LOG_POST] = "post",
    [LOG_CPU] = "cpu",
    [LOG_HW] = "hw",
    [LOG_BOOT] = "boot",
};

static const char *const log_cat_help[LOG_CAT_COUNT] = {
    [LOG_EXC] = "exceptions and interrupts delivered",
    [LOG_IO] = "unhandled I/O port and MMIO accesses",
    [LOG_MODE] = "mode switches (real, protected, paging, V86)",
    [LOG_POST] = "POST codes written to port 0x80",
    [LOG_CPU] = "unimplemented instructions, MSRs, CPUID leaves",
    [LOG_HW] = "device activity",
    [LOG_BOOT] = "firmware and kernel loaders",
};

static FILE *log_file;
static char bad_word[64];

static FILE *out(void)
{
    return log_file ? log_file : stderr;
}

void log_print_help(void *file)
{
    FILE *f = file;
    fprintf(f, "log categories (--log a,b,c; also all, none):\n");
    for (int i = 0; i < LOG_CAT_COUNT; i++)
        fprintf(f, "  %-6s %s\n", log_cat_names[i], log_cat_help[i]);
}

const char *log_bad_word(void)
{
    return bad_word;
}

int log_parse(const char *spec)
{
    unsigned mask = log_mask;
    const char *p = spec;

    bad_word[0] = 0;
    if (strcmp(spec, "help") == 0) {
        log_print_help(stdout);
        return 1;
    }
    while (*p) {
        size_t n = strcspn(p, ",");
        int found = 0;
        if (n == 0) {
            p++;
            continue;
        }
        if (n == 3 && strncmp(p, "all", 3) == 0) {
            mask = (1u << LOG_CAT_COUNT) - 1;
            found = 1;
        } else if (n == 4 && strncmp(p, "none", 4) == 0) {
            mask = 0;
            found = 1;
        }
        for (int i = 0; i < LOG_CAT_COUNT && !found; i++) {
            if (strlen(log_cat_names[i]) == n && strncmp(p, log_cat_names[i], n) == 0) {
                mask |= 1u << i;
                found = 1;
            }
        }
        if (!found) {
            snprintf(bad_word, sizeof bad_word, "%.*s", (int)(n < 60 ? n : 60), p);
            return -1;
        }
        p += n;
    }
    log_mask = mask;
    return 0;
}

int log_set_file(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    setvbuf(f, NULL, _IOLBF, 0);
    if (log_file)
        fclose(log_file);
    log_file = f;
    return 0;
}

void log_msg(enum log_cat c, const char *fmt, ...)
{
    va_list ap;
    FILE *f = out();
    fprintf(f, "[%s] ", (unsigned)c < LOG_CAT_COUNT ? log_cat_names[c] : "?");
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
}

void log_warn(const char *fmt, ...)
{
    va_list ap;
    FILE *f = out();
    fputs("rawbox: warning: ", f);
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
}

void log_err(const char *fmt, ...)
{
    va_list ap;
    /* Errors always reach the terminal too, even with --log-file. */
    FILE *f = out();
    fputs("rawbox: ", f);
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
    if (f != stderr) {
        fputs("rawbox: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
    }
}
