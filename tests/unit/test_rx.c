/*
 * test_rx.c - unit tests of the rules compiled at build time
 * (classify/rx.c, classify/rules-blob-gen.c)
 *
 * DESCRIPTION
 *	The blob in the library is what compiling rules.c's patterns now
 *	gives, byte for byte; a blob of another count or PCRE2 version is
 *	refused (the classifier then compiles); a pattern splits at its
 *	top-level '|' only, and its alternatives match what it matched;
 *	mxb_rx_match() reads text as GRegex with G_REGEX_CASELESS |
 *	G_REGEX_RAW does (the subject patterns, without G_REGEX_RAW), but
 *	for NEL (0x85), which ends no line on bytes; no
 *	pattern repeats a group; the prefilter's database holds the slots it
 *	should and skips what cannot match. test_rules runs every rule case
 *	with the blob, test_rules_runtime without it, test_rules_prefilter
 *	with the JIT behind the prefilter.
 */
#include <string.h>

#include <mxb/classify.h>

#include "rx.h"
#include "unit.h"

static void test_blob_is_current(void **state)
{
    (void)state;
    size_t n = mxb_rule_pattern_count(), split_slots = 0;

    assert_true(n > 40);
    assert_int_equal(mxb_rules_blob_slots, n);
    for (size_t slot = 0; slot < n; slot++) {
        gboolean split = FALSE, utf8 = FALSE;
        const char *pattern = mxb_rule_pattern(slot, &split, &utf8);
        size_t size = 0, count = 0;
        uint8_t *bytes = mxb_rx_encode(pattern, split, utf8, &size, &count);
        assert_int_equal(mxb_rules_blob_size[slot], size);
        assert_int_equal(mxb_rules_blob_codes[slot], count);
        assert_memory_equal(mxb_rules_blob[slot], bytes, size);
        pcre2_serialize_free(bytes);
        split_slots += count > 1;
    }
    /* most rules split (not the phase, nor a rule of one alternative) */
    assert_true(split_slots > n / 2);
}

/* decode_slot0 - the first text rule (our sender refused), decoded */
static pcre2_code **decode_slot0(const unsigned char *blob, size_t count)
{
    return mxb_rx_decode(blob, mxb_rules_blob_size[0], count);
}

static void free_codes(pcre2_code **codes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        pcre2_code_free(codes[i]);
    g_free(codes);
}

static void test_blob_decodes(void **state)
{
    (void)state;
    size_t n = mxb_rules_blob_codes[0];
    pcre2_code **codes = decode_slot0(mxb_rules_blob[0], n);
    gboolean sender = FALSE, unknown = FALSE;

    assert_non_null(codes);
    assert_true(n > 1);
    for (size_t i = 0; i < n; i++) {
        sender |= mxb_rx_match(codes[i], "550 Sender Address Rejected", NULL, NULL);
        unknown |= mxb_rx_match(codes[i], "550 5.1.1 user unknown", NULL, NULL);
    }
    assert_true(sender);
    assert_false(unknown);
    free_codes(codes, n);
}

static void test_blob_refused(void **state)
{
    (void)state;
    size_t n = mxb_rules_blob_codes[0], size = mxb_rules_blob_size[0];

    assert_null(mxb_rx_decode(mxb_rules_blob[0], 0, n));
    assert_null(decode_slot0(mxb_rules_blob[0], n - 1));
    assert_null(decode_slot0(mxb_rules_blob[0], n + 1));
    assert_null(decode_slot0(mxb_rules_blob[0], 0));

    /* The header (pcre2_serialize.c): magic, version (major << 16 |
     * minor), configuration, count; each a 32-bit word. Another minor
     * version of PCRE2, or no magic, is refused. */
    uint32_t *copy = g_malloc(size);
    memcpy(copy, mxb_rules_blob[0], size);
    copy[1] += 1;
    assert_null(decode_slot0((const unsigned char *)copy, n));
    copy[1] -= 1;
    copy[0] ^= 0xffu;
    assert_null(decode_slot0((const unsigned char *)copy, n));
    copy[0] ^= 0xffu;
    pcre2_code **codes = decode_slot0((const unsigned char *)copy, n);
    assert_non_null(codes); /* the copy itself is fine */
    free_codes(codes, n);
    g_free(copy);
}

static void test_alternatives(void **state)
{
    (void)state;
    static const struct {
        const char *pattern;
        const char *want; /* the alternatives joined by " ~ ", NULL: refused */
    } cases[] = {
        {"a|b|c", "a ~ b ~ c"},
        {"abc", "abc"},
        {"(a|b)c|d", "(a|b)c ~ d"},
        {"x(?:a|(b|c))|y", "x(?:a|(b|c)) ~ y"},
        {"a\\\\|b", "a\\\\ ~ b"}, /* an escaped backslash, then the bar */
        {"a\\|b|c", "a\\|b ~ c"},
        {"[|]|x", "[|] ~ x"},
        {"[^()|]+|x", "[^()|]+ ~ x"},
        {"[]|]|x", "[]|] ~ x"},
        {"[^]|]|x", "[^]|] ~ x"},
        {"[\\]|]|x", "[\\]|] ~ x"},
        {"[[:alpha:]|]|x", "[[:alpha:]|] ~ x"},
        {"(?<!a|b)c|d", "(?<!a|b)c ~ d"},
        {"(?i:a|b)|c", "(?i:a|b) ~ c"},
        {"|a", " ~ a"},
        /* refused: splitting would change what matches */
        {"(a)\\1|b", NULL},
        {"(?<n>a)\\k<n>|b", NULL},
        {"(a)\\g1|b", NULL},
        {"a|(?i)b|c", NULL},
        {"a|(?-i)b", NULL},
        {"(a)|(?1)", NULL},
        {"a(?#c|d)|b", NULL},
        {"\\Qa|b\\E|c", NULL},
    };
    int failures = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        GPtrArray *alts = mxb_rx_alternatives(cases[i].pattern);
        g_autofree char *got = NULL;
        if (alts != NULL) {
            g_ptr_array_add(alts, NULL);
            got = g_strjoinv(" ~ ", (char **)alts->pdata);
            g_ptr_array_unref(alts);
        }
        failures += check_str(cases[i].pattern, "alternatives", got, cases[i].want);
    }
    assert_int_equal(failures, 0);
}

/* A rule split into its alternatives matches the texts it matched whole:
 * the texts here are the fixed ones below and every alternative of every
 * rule, as written (most are their own words). */
static void test_split_same(void **state)
{
    (void)state;
    GPtrArray *texts = g_ptr_array_new_with_free_func(g_free);
    static const char *fixed[] = {
        "550 5.1.1 <a@b>: Recipient address rejected: User unknown in virtual mailbox table",
        "552 5.2.2 Mailbox full\r\nover quota",
        "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred",
        "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
        "550 OFR004_416 mailbox unknown; 550 5.1.1 RCP-P1 see postmaster.facebook.com",
        "MSEXCH:IMS:Example:SITE:SERVER 3550 (000C05A6) Unknown Recipient",
        "",
    };
    size_t n = mxb_rule_pattern_count();
    int failures = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(fixed); i++)
        g_ptr_array_add(texts, g_strdup(fixed[i]));
    for (size_t slot = 0; slot < n; slot++) {
        GPtrArray *alts = mxb_rx_alternatives(mxb_rule_pattern(slot, NULL, NULL));
        assert_non_null(alts);
        for (guint i = 0; i < alts->len; i++)
            g_ptr_array_add(texts, g_strdup(g_ptr_array_index(alts, i)));
        g_ptr_array_unref(alts);
    }
    for (size_t slot = 0; slot < n; slot++) {
        gboolean split = FALSE, utf8 = FALSE;
        const char *pattern = mxb_rule_pattern(slot, &split, &utf8);
        if (!split)
            continue;
        pcre2_code *whole = mxb_rx_compile(pattern, utf8);
        size_t count = mxb_rules_blob_codes[slot];
        pcre2_code **codes = mxb_rx_decode(mxb_rules_blob[slot], mxb_rules_blob_size[slot], count);
        assert_non_null(codes);
        for (guint t = 0; t < texts->len; t++) {
            const char *text = g_ptr_array_index(texts, t);
            gboolean any = FALSE;
            for (size_t i = 0; i < count && !any; i++)
                any = mxb_rx_match(codes[i], text, NULL, NULL);
            char label[48];
            g_snprintf(label, sizeof label, "slot %zu, text %u", slot, t);
            failures += check_int(label, "split matches as whole", any,
                                  mxb_rx_match(whole, text, NULL, NULL));
        }
        free_codes(codes, count);
        pcre2_code_free(whole);
    }
    g_ptr_array_unref(texts);
    assert_int_equal(failures, 0);
}

/* No pattern repeats a group ("(a|b)*", "(x)+", "(y){0,9}"): the frames a
 * match keeps in its match data (rx.c) stay a few, whatever the text */
static void test_no_group_repetition(void **state)
{
    (void)state;
    int failures = 0;

    for (size_t slot = 0; slot < mxb_rule_pattern_count(); slot++) {
        const char *pattern = mxb_rule_pattern(slot, NULL, NULL);
        char label[32];
        g_snprintf(label, sizeof label, "slot %zu", slot);
        for (const char *p = strchr(pattern, ')'); p != NULL; p = strchr(p + 1, ')'))
            if (p[-1] != '\\' && (p[1] == '*' || p[1] == '+' || p[1] == '{'))
                failures += check_str(label, "group repeated", p, NULL);
    }
    assert_int_equal(failures, 0);
}

static void test_match(void **state)
{
    (void)state;
    static const struct {
        const char *pattern, *text;
        gboolean match;
        size_t start, end;
        gboolean utf8; /* the subjects' patterns, as GRegex without G_REGEX_RAW */
    } cases[] = {
        /* ASCII case-insensitive, anywhere */
        {"user unknown", "550 User Unknown here", TRUE, 4, 16, FALSE},
        {"\\bquota\\b", "over QUOTA.", TRUE, 5, 10, FALSE},
        /* bytes, not UTF-8: invalid UTF-8 is text like any other */
        {"caf.", "caf\xff", TRUE, 0, 4, FALSE},
        {"b.d",
         "a\xc3(b\xe9"
         "d",
         TRUE, 3, 6, FALSE},
        /* on bytes, CR and LF end a line, not NEL (0x85): a dot stops at
         * CR, and goes on over 0x85, a continuation byte of many UTF-8
         * characters (GRegex's "any newline" stopped there) */
        {"a.b", "a\rb", FALSE, 0, 0, FALSE},
        {"a.b",
         "a\x85"
         "b",
         TRUE, 0, 3, FALSE},
        {"ip.{0,24}\xe9\xbb\x91", "IP\xe5\x85\xa5\xe9\xbb\x91", TRUE, 0, 8, FALSE},
        {"a.b", "a\tb", TRUE, 0, 3, FALSE},
        {"(?m)^b", "a\rb", TRUE, 2, 3, FALSE},
        /* GRegex's PCRE2_UCP on bytes: a byte above 0x7f is its Latin-1
         * character, so 0xe9 (é) is a letter for \b and folds with 0xc9 */
        {"\\bx", "\xe9x", FALSE, 0, 0, FALSE},
        {"\\bx", "-x", TRUE, 1, 2, FALSE},
        {"\xe9", "\xc9", TRUE, 0, 1, FALSE},
        {"\\bquota\\b", "quota\xc3\xa9", FALSE, 0, 0, FALSE},
        /* UTF-8 (the subjects): caseless beyond ASCII, a character of two
         * bytes as one, and a text that is not UTF-8 matches nothing */
        {"r\xc3\xa9ponse automatique", "R\xc3\x89PONSE AUTOMATIQUE", TRUE, 0, 20, TRUE},
        {"\xd0\xb0\xd0\xb2\xd1\x82\xd0\xbe\xd0\xbe\xd1\x82\xd0\xb2\xd0\xb5\xd1\x82",
         "\xd0\x90\xd0\x92\xd0\xa2\xd0\x9e\xd0\x9e\xd0\xa2\xd0\x92\xd0\x95\xd0\xa2", TRUE, 0, 18,
         TRUE}, /* автоответ, АВТООТВЕТ */
        {"^.$", "\xc3\xa9", TRUE, 0, 2, TRUE},
        {"caf", "caf\xff", FALSE, 0, 0, TRUE},
        {"\\bwarning$", "Delay warning", TRUE, 6, 13, TRUE},
        /* groups fit in the one pair: the whole match */
        {"(x)(y)(z)", "wxyz", TRUE, 1, 4, FALSE},
        {"nothing", "", FALSE, 0, 0, FALSE},
    };
    int failures = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        pcre2_code *re = mxb_rx_compile(cases[i].pattern, cases[i].utf8);
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

/* What GRegex says of the same patterns and texts, for the options they
 * were compiled with before (G_REGEX_CASELESS | G_REGEX_RAW; the subjects
 * without G_REGEX_RAW). */
static void test_same_as_gregex(void **state)
{
    (void)state;
    static const char *texts[] = {
        "550 5.1.1 <a@b>: Recipient address rejected: User unknown in virtual mailbox table",
        "552 5.2.2 Mailbox full\r\nover quota",
        "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred",
        "host mx.example.com said: 554 5.7.1 Service unavailable; Client host blocked using zen",
        "lost connection with mx\x85 while sending RCPT TO",
        "quota\xc3\xa9 \xe9x \xc9 blocked\xe9 r\xc3\xa9pertori\xc3\xa9",
        "\xe3\x83\x87\xe3\x82\xa3\xe3\x83\xac\xe3\x82\xaf\xe3\x83\x88\xe3\x83\xaa",
        "",
    };
    int failures = 0;

    for (size_t slot = 0; slot < mxb_rule_pattern_count(); slot++) {
        gboolean utf8 = FALSE;
        const char *pattern = mxb_rule_pattern(slot, NULL, &utf8);
        GRegex *g = g_regex_new(pattern, G_REGEX_CASELESS | (utf8 ? 0 : G_REGEX_RAW), 0, NULL);
        pcre2_code *re = mxb_rx_compile(pattern, utf8);
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

/* slots_allowed - how many slots the prefilter lets text reach */
static size_t slots_allowed(const char *text)
{
    size_t n = 0;

    for (size_t slot = 0; slot < mxb_rule_pattern_count(); slot++)
        n += mxb_prefilter_allows(slot, text);
    return n;
}

/* The prefilter (rx.h): in the database are the slots it should be, it
 * skips the rules that cannot match a plain text, lets every rule read
 * the texts it does not prefilter, and never skips one that matches. */
static void test_prefilter(void **state)
{
    (void)state;
    size_t n = mxb_rule_pattern_count();

#ifndef MXB_PREFILTER
    assert_false(mxb_prefilter_active());
    assert_int_equal(slots_allowed("nothing a rule reads"), n);
#else
    assert_true(mxb_prefilter_active());
    /* every slot is in it, its pieces numbered in a row */
    size_t ids = 0;
    for (size_t slot = 0; slot < n; slot++) {
        assert_int_equal(mxb_rules_prefilter_slots[slot], 1);
        assert_int_equal(mxb_rules_prefilter_first[slot], ids);
        ids += mxb_rules_blob_codes[slot];
    }
    assert_int_equal(mxb_rules_prefilter_ids, ids);
    /* A plain text reaches few rules; "mailbox full" reaches its own */
    assert_true(slots_allowed("the weather is fine today") < n / 4);
    size_t full = slots_allowed("552 5.2.2 mailbox full");
    assert_true(full > slots_allowed("the weather is fine today"));
    assert_true(full < n / 2);
    /* Not prefiltered: a byte above 0x7f, a CR, a control byte; a text
     * of MXB_PREFILTER_TEXT_MAX bytes is, one more is not */
    assert_int_equal(slots_allowed("the weather is fine today \xc3\xa9"), n);
    assert_int_equal(slots_allowed("the weather is fine today\r"), n);
    assert_int_equal(slots_allowed("the weather is fine\x01today"), n);
    assert_true(slots_allowed("the weather is fine\ttoday\n") < n / 4);
    char *text = g_strnfill(MXB_PREFILTER_TEXT_MAX + 1, 'a');
    assert_int_equal(slots_allowed(text), n);
    text[MXB_PREFILTER_TEXT_MAX] = '\0';
    assert_true(slots_allowed(text) < n / 4);
    g_free(text);
#endif
    /* Never a slot skipped where its pattern matches: the texts of
     * test_same_as_gregex and some that only lookarounds refuse */
    static const char *texts[] = {
        "550 5.1.1 <a@b>: Recipient address rejected: User unknown in virtual mailbox table",
        "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred",
        "host mx.example.com said: 554 5.7.1 Service unavailable; Client host blocked using zen",
        "552 5.2.2 sending quota exceeded",
        "550 sender address rejected: not owned by user",
        "Mail delivery failed: returning message to sender",
        "Undelivered Mail Returned to Sender",
        "Automatic reply: out of office",
        "(in reply to end of DATA command)",
        "",
    };
    for (size_t t = 0; t < G_N_ELEMENTS(texts); t++)
        assert_int_equal(mxb_prefilter_misses(texts[t]), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blob_is_current),     cmocka_unit_test(test_blob_decodes),
        cmocka_unit_test(test_blob_refused),        cmocka_unit_test(test_alternatives),
        cmocka_unit_test(test_split_same),          cmocka_unit_test(test_match),
        cmocka_unit_test(test_no_group_repetition), cmocka_unit_test(test_same_as_gregex),
        cmocka_unit_test(test_prefilter),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
