/* Unit tests for command-line value parsing (src/util/parse.c) and log
 * category parsing (src/util/log.c). */
#include "test.h"
#include "util/log.h"
#include "util/parse.h"

int main(void)
{
    uint64_t v = 7;

    CHECK(parse_size("512M", 1, &v) == 0 && v == 512ull << 20, "512M");
    CHECK(parse_size("1G", 1, &v) == 0 && v == 1ull << 30, "1G");
    CHECK(parse_size("64k", 1, &v) == 0 && v == 65536, "64k lower case");
    CHECK(parse_size("2MiB", 1, &v) == 0 && v == 2ull << 20, "2MiB");
    CHECK(parse_size("3MB", 1, &v) == 0 && v == 3ull << 20, "3MB");
    CHECK(parse_size("1.5G", 1, &v) == 0 && v == 3ull << 29, "1.5G");
    CHECK(parse_size("4096", 1, &v) == 0 && v == 4096, "bare number, unit 1");
    CHECK(parse_size("256", 1 << 20, &v) == 0 && v == 256ull << 20, "bare number, unit MiB");
    CHECK(parse_size("100b", 1 << 20, &v) == 0 && v == 100, "b suffix means bytes");
    v = 7;
    CHECK(parse_size("", 1, &v) != 0 && v == 7, "empty rejected, out untouched");
    CHECK(parse_size("12X", 1, &v) != 0, "unknown suffix rejected");
    CHECK(parse_size("-1M", 1, &v) != 0, "negative rejected");
    CHECK(parse_size("1Mx", 1, &v) != 0, "trailing garbage rejected");
    CHECK(parse_size("99999999999T", 1, &v) != 0, "overflow rejected");
    CHECK(parse_u64("0x10", &v) == 0 && v == 16, "hex integer");
    CHECK(parse_u64("1000000", &v) == 0 && v == 1000000, "decimal integer");
    CHECK(parse_u64("10z", &v) != 0, "integer with garbage rejected");
    CHECK(parse_u64("-5", &v) != 0, "negative integer rejected");
    CHECK(parse_seconds("2.5", &v) == 0 && v == 2500000000ull, "2.5 seconds");
    CHECK(parse_seconds("abc", &v) != 0, "bad seconds rejected");

    log_mask = 0;
    CHECK(log_parse("exc,io") == 0 && log_mask == ((1u << LOG_EXC) | (1u << LOG_IO)), "log exc,io");
    CHECK(log_parse("all") == 0 && log_mask == (1u << LOG_CAT_COUNT) - 1, "log all");
    CHECK(log_parse("none") == 0 && log_mask == 0, "log none");
    CHECK(log_parse("post,bogus") == -1 && log_mask == 0, "unknown category rejected, mask unchanged");
    CHECK_STR(log_bad_word(), "bogus", "bad word named");
    return test_summary();
}
