/* Command-line value parsing (see parse.h). Strict: no leading sign, no
 * trailing garbage, overflow rejected. */
#include "util/parse.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (!s || !isdigit((unsigned char)s[0]))
        return -1;
    errno = 0;
    v = strtoull(s, &end, 0);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

int parse_size(const char *s, uint64_t unit, uint64_t *out)
{
    char *end;
    double v;
    uint64_t mul = unit;

    if (!s || !(isdigit((unsigned char)s[0]) || s[0] == '.'))
        return -1;
    /* Plain integers are parsed exactly; strtod only for fractions. */
    errno = 0;
    unsigned long long iv = strtoull(s, &end, 10);
    if (errno)
        return -1;
    v = (double)iv;
    if (*end == '.') {
        v = strtod(s, &end);
        if (errno || !isfinite(v))
            return -1;
    }
    if (*end) {
        switch (tolower((unsigned char)*end)) {
        case 'b': mul = 1; break;
        case 'k': mul = 1ull << 10; break;
        case 'm': mul = 1ull << 20; break;
        case 'g': mul = 1ull << 30; break;
        case 't': mul = 1ull << 40; break;
        default: return -1;
        }
        if (tolower((unsigned char)*end) != 'b') {
            end++;
            if (strcasecmp(end, "ib") == 0 || strcasecmp(end, "b") == 0)
                end += strlen(end);
        } else {
            end++;
        }
        if (*end)
            return -1;
    }
    if (v * (double)mul >= 18446744073709551616.0)
        return -1;
    if (v == (double)iv && iv <= UINT64_MAX / mul) {
        *out = iv * mul;
        return 0;
    }
    *out = (uint64_t)(v * (double)mul);
    return 0;
}

int parse_seconds(const char *s, uint64_t *ns)
{
    char *end;
    double v;

    if (!s || !(isdigit((unsigned char)s[0]) || s[0] == '.'))
        return -1;
    errno = 0;
    v = strtod(s, &end);
    if (errno || *end || !isfinite(v) || v < 0 || v > 1e9)
        return -1;
    *ns = (uint64_t)(v * 1e9);
    return 0;
}
