/* Unit tests for save-state sections (src/vm/savestate.c): round trip,
 * lookup by name in any order, version and range checks, missing and
 * corrupt data, error messages naming the section and field. */
#include "test.h"
#include "util/savestate.h"

int main(void)
{
    struct savestate w, r;
    ss_init_write(&w);
    ss_section_begin(&w, "alpha", 2);
    ss_put(&w, "x", 42);
    ss_put(&w, "big", 0x123456789abcdef0ull);
    ss_put_bytes(&w, "blob", "hello", 5);
    ss_section_end(&w);
    ss_section_begin(&w, "beta", 1);
    ss_put(&w, "y", 300);
    ss_section_end(&w);
    CHECK(ss_error(&w) == NULL, "writing succeeds");

    uint64_t v;
    uint32_t ver;
    uint8_t u8;
    char blob[6] = { 0 };
    ss_init_read(&r, w.buf, w.len);
    CHECK_EQ(ss_section_open(&r, "beta", 1, 1, NULL), 0, "sections found in any order");
    CHECK_EQ(ss_get(&r, "y", 1000, &v), 0, "field read");
    CHECK_EQ(v, 300, "value round-trips");
    CHECK_EQ(ss_section_open(&r, "alpha", 1, 3, &ver), 0, "version within range");
    CHECK_EQ(ver, 2, "version reported");
    CHECK_EQ(ss_get_bytes(&r, "blob", blob, 5), 0, "bytes read");
    CHECK_STR(blob, "hello", "bytes round-trip");
    CHECK_EQ(ss_get(&r, "big", UINT64_MAX, &v), 0, "64-bit field");
    CHECK_EQ(v, 0x123456789abcdef0ull, "64-bit value round-trips");
    CHECK_EQ(ss_get(&r, "x", 100, &v), 0, "fields found in any order");

    CHECK(ss_get_u8(&r, "y", 255, &u8) != 0, "field of another section is not visible");
    CHECK(strstr(ss_error(&r), "alpha") && strstr(ss_error(&r), "'y' missing"),
          "error names section and field: %s", ss_error(&r));
    CHECK(ss_get(&r, "x", 100, &v) != 0, "errors are sticky");

    ss_init_read(&r, w.buf, w.len);
    ss_section_open(&r, "alpha", 1, 3, NULL);
    CHECK(ss_get(&r, "x", 41, &v) != 0, "value above the maximum refused");
    CHECK(strstr(ss_error(&r), "'x' value 42 out of range 0..41"), "range error: %s", ss_error(&r));

    ss_init_read(&r, w.buf, w.len);
    CHECK(ss_section_open(&r, "alpha", 3, 4, NULL) != 0, "unsupported version refused");
    CHECK(strstr(ss_error(&r), "version 2 not supported"), "version error: %s", ss_error(&r));

    ss_init_read(&r, w.buf, w.len);
    CHECK(ss_section_open(&r, "gamma", 1, 1, NULL) != 0, "missing section refused");

    ss_init_read(&r, w.buf, w.len);
    ss_section_open(&r, "alpha", 1, 3, NULL);
    CHECK(ss_get_bytes(&r, "blob", blob, 4) != 0, "byte field of the wrong size refused");
    ss_init_read(&r, w.buf, w.len);
    ss_section_open(&r, "alpha", 1, 3, NULL);
    CHECK(ss_get(&r, "blob", UINT64_MAX, &v) != 0, "byte field read as integer refused");

    /* Truncated and corrupt buffers never read out of bounds. */
    int bad = 0;
    for (size_t len = 0; len < w.len; len++) {
        uint8_t *copy = malloc(len ? len : 1);
        memcpy(copy, w.buf, len);
        ss_init_read(&r, copy, len);
        if (ss_section_open(&r, "beta", 1, 1, NULL) == 0 && ss_get(&r, "y", 1000, &v) == 0 &&
            len < w.len)
            bad++;
        free(copy);
    }
    CHECK_EQ(bad, 0, "every truncation of the buffer is refused");
    uint8_t *junk = malloc(w.len);
    memcpy(junk, w.buf, w.len);
    for (size_t i = 0; i < w.len; i++) {
        uint8_t save = junk[i];
        junk[i] = 0xff;
        ss_init_read(&r, junk, w.len);
        if (ss_section_open(&r, "beta", 1, 1, NULL) == 0)
            ss_get(&r, "y", 1000, &v);
        junk[i] = save;
    }
    free(junk);
    CHECK(1, "corrupting any byte is handled without crashing");
    ss_free(&w);
    return test_summary();
}
