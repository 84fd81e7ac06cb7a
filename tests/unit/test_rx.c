/*
 * test_rx.c - unit tests of the rules compiled at build time
 * (classify/rx.c, classify/rules-blob-gen.c)
 *
 * DESCRIPTION
 *	The blob in the library is what compiling rules.c's patterns now
 *	gives, byte for byte; a blob of another count or PCRE2 version is
 *	refused (the classifier then compiles); mxb_rx_match() reads text as
 *	GRegex with G_REGEX_CASELESS | G_REGEX_RAW does. test_rules runs every
 *	rule case with the blob, test_rules_runtime without it.
 */
#include <string.h>

#include <mxb/classify.h>

#include "rx.h"
#include "unit.h"

/* encode_all - every rule pattern compiled now and serialized; owned by
 * caller (pcre2_serialize_free) */
static uint8_t *encode_all(PCRE2_SIZE *size)
{
    size_t n = mxb_rule_pattern_count();
    const pcre2_code **codes = g_new0(const pcre2_code *, n);
    uint8_t *bytes = NULL;

    for (size_t i = 0; i < n; i++)
        codes[i] = mxb_rx_compile(mxb_rule_pattern(i));
    assert_int_equal(pcre2_serialize_encode(codes, (int32_t)n, &bytes, size, NULL), (int)n);
    for (size_t i = 0; i < n; i++)
        pcre2_code_free((pcre2_code *)codes[i]);
    g_free(codes);
    return bytes;
}

static void test_blob_is_current(void **state)
{
    (void)state;
    PCRE2_SIZE size = 0;
    uint8_t *bytes = encode_all(&size);

    assert_true(mxb_rule_pattern_count() > 40);
    assert_int_equal(mxb_rules_blob_size, size);
    assert_memory_equal(mxb_rules_blob, bytes, size);
    pcre2_serialize_free(bytes);
}

static void test_blob_decodes(void **state)
{
    (void)state;
    size_t n = mxb_rule_pattern_count();
    pcre2_code **codes = mxb_rx_decode(mxb_rules_blob, mxb_rules_blob_size, n);

    assert_non_null(codes);
    /* slot 0 is the first text rule, our sender refused */
    assert_true(mxb_rx_match(codes[0], "550 Sender Address Rejected", NULL, NULL));
    assert_false(mxb_rx_match(codes[0], "550 5.1.1 user unknown", NULL, NULL));
    for (size_t i = 0; i < n; i++)
        pcre2_code_free(codes[i]);
    g_free(codes);
}

static void test_blob_refused(void **state)
{
    (void)state;
    size_t n = mxb_rule_pattern_count();

    assert_null(mxb_rx_decode(mxb_rules_blob, 0, n));
    assert_null(mxb_rx_decode(mxb_rules_blob, mxb_rules_blob_size, n - 1));
    assert_null(mxb_rx_decode(mxb_rules_blob, mxb_rules_blob_size, n + 1));
    assert_null(mxb_rx_decode(mxb_rules_blob, mxb_rules_blob_size, 0));

    /* The header (pcre2_serialize.c): magic, version (major << 16 |
     * minor), configuration, count; each a 32-bit word. Another minor
     * version of PCRE2, or no magic, is refused. */
    uint32_t *copy = g_malloc(mxb_rules_blob_size);
    memcpy(copy, mxb_rules_blob, mxb_rules_blob_size);
    copy[1] += 1;
    assert_null(mxb_rx_decode((const unsigned char *)copy, mxb_rules_blob_size, n));
    copy[1] -= 1;
    copy[0] ^= 0xffu;
    assert_null(mxb_rx_decode((const unsigned char *)copy, mxb_rules_blob_size, n));
    copy[0] ^= 0xffu;
    pcre2_code **codes = mxb_rx_decode((const unsigned char *)copy, mxb_rules_blob_size, n);
    assert_non_null(codes); /* the copy itself is fine */
    for (size_t i = 0; i < n; i++)
        pcre2_code_free(codes[i]);
    g_free(codes);
    g_free(copy);
}

static void test_match(void **state)
{
    (void)state;
    static const struct {
        const char *pattern, *text;
        gboolean match;
        size_t start, end;
    } cases[] = {
        /* ASCII case-insensitive, anywhere */
        {"user unknown", "550 User Unknown here", TRUE, 4, 16},
        {"\\bquota\\b", "over QUOTA.", TRUE, 5, 10},
        /* bytes, not UTF-8: invalid UTF-8 is text like any other */
        {"caf.", "caf\xff", TRUE, 0, 4},
        {"b.d",
         "a\xc3(b\xe9"
         "d",
         TRUE, 3, 6},
        /* any newline convention, as GRegex: a dot stops at CR and at
         * NEL (0x85) */
        {"a.b", "a\rb", FALSE, 0, 0},
        {"a.b",
         "a\x85"
         "b",
         FALSE, 0, 0},
        {"a.b", "a\tb", TRUE, 0, 3},
        {"(?m)^b", "a\rb", TRUE, 2, 3},
        /* groups fit in the one pair: the whole match */
        {"(x)(y)(z)", "wxyz", TRUE, 1, 4},
        {"nothing", "", FALSE, 0, 0},
    };
    int failures = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        pcre2_code *re = mxb_rx_compile(cases[i].pattern);
        size_t start = 99, end = 99;
        gboolean got = mxb_rx_match(re, cases[i].text, &start, &end);
        failures += check_int(cases[i].pattern, "match", got, cases[i].match);
        if (got && cases[i].match) {
            failures += check_int(cases[i].pattern, "start", (int)start, (int)cases[i].start);
            failures += check_int(cases[i].pattern, "end", (int)end, (int)cases[i].end);
        }
        failures += check_int(cases[i].pattern, "without offsets",
                              mxb_rx_match(re, cases[i].text, NULL, NULL), cases[i].match);
        pcre2_code_free(re);
    }
    assert_int_equal(failures, 0);
}

/* What GRegex says of the same patterns and texts, for the options the
 * rules were compiled with before (G_REGEX_CASELESS | G_REGEX_RAW). */
static void test_same_as_gregex(void **state)
{
    (void)state;
    static const char *texts[] = {
        "550 5.1.1 <a@b>: Recipient address rejected: User unknown in virtual mailbox table",
        "552 5.2.2 Mailbox full\r\nover quota",
        "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred",
        "host mx.example.com said: 554 5.7.1 Service unavailable; Client host blocked using zen",
        "lost connection with mx\x85 while sending RCPT TO",
        "\xe3\x83\x87\xe3\x82\xa3\xe3\x83\xac\xe3\x82\xaf\xe3\x83\x88\xe3\x83\xaa",
        "",
    };
    int failures = 0;

    for (size_t slot = 0; slot < mxb_rule_pattern_count(); slot++) {
        const char *pattern = mxb_rule_pattern(slot);
        GRegex *g = g_regex_new(pattern, G_REGEX_CASELESS | G_REGEX_RAW, 0, NULL);
        pcre2_code *re = mxb_rx_compile(pattern);
        assert_non_null(g);
        for (size_t t = 0; t < G_N_ELEMENTS(texts); t++) {
            char label[32];
            g_snprintf(label, sizeof label, "slot %zu, text %zu", slot, t);
            failures += check_int(label, "match", mxb_rx_match(re, texts[t], NULL, NULL),
                                  g_regex_match(g, texts[t], 0, NULL));
        }
        pcre2_code_free(re);
        g_regex_unref(g);
    }
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blob_is_current), cmocka_unit_test(test_blob_decodes),
        cmocka_unit_test(test_blob_refused),    cmocka_unit_test(test_match),
        cmocka_unit_test(test_same_as_gregex),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
