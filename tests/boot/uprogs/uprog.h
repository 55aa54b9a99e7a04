/* Shared by the boot tests' C programs (tests/boot/uprogs/NAME.c): a running
 * checksum of everything a program computed, and the one last line the boot
 * test looks for, "NAME: ok <checksum>" or "NAME: FAIL <why>".
 *
 * Every line a program prints starts with "NAME: " and is the same on every
 * run and every engine (no pids, addresses or times), so the boot test can
 * diff a program's output between engines line by line. */
#ifndef UPROG_H
#define UPROG_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *uprog_name = "?";
static uint64_t uprog_sum = 0xcbf29ce484222325ull;     /* FNV-1a offset basis */
static char uprog_why[200];
static int uprog_failed;

static inline void ck_bytes(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        uprog_sum ^= b[i];
        uprog_sum *= 0x100000001b3ull;
    }
}

static inline void ck_u64(uint64_t v)
{
    ck_bytes(&v, sizeof v);
}

/* A line of output, prefixed with the program's name; it joins the checksum. */
__attribute__((format(printf, 1, 2))) static inline void say(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    ck_bytes(line, strlen(line));
    printf("%s: %s\n", uprog_name, line);
}

/* Record a failure (the first one's text is what the last line shows) and
 * print it where it happened. */
__attribute__((format(printf, 1, 2))) static inline void fail(const char *fmt, ...)
{
    char line[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    printf("%s: failed: %s\n", uprog_name, line);
    if (!uprog_failed++)
        snprintf(uprog_why, sizeof uprog_why, "%s", line);
}

#define CHECK(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)

static inline int finish(void)
{
    if (uprog_failed)
        printf("%s: FAIL %s (%d failures)\n", uprog_name, uprog_why, uprog_failed);
    else
        printf("%s: ok %016llx\n", uprog_name, (unsigned long long)uprog_sum);
    fflush(stdout);
    return uprog_failed ? 1 : 0;
}

#endif
