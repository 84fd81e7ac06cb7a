/*
 * test_local.c - the operator's local rules (classify/local.c): the file,
 * its limits one past each, the order and scope of the rules, the class
 * they give, and the version they make
 */
#include <string.h>
#include <sys/stat.h>

#include <mxb/classify.h>
#include <mxb/config.h>

#include <glib/gstdio.h>

#include "internal.h" /* mxb_local_rules_steps */
#include "unit.h"

/* rules_of - the rules of text, which must parse */
static mxb_local_rules *rules_of(const char *text)
{
    g_autoptr(GError) err = NULL;
    mxb_local_rules *rules = mxb_local_rules_parse(text, strlen(text), &err);

    if (rules == NULL)
        fail_msg("%s", err->message);
    return rules;
}

/* error_of - the message of text's error, which must not parse */
static char *error_of(const char *text, size_t len)
{
    GError *err = NULL;
    mxb_local_rules *rules = mxb_local_rules_parse(text, len, &err);

    if (rules != NULL) {
        mxb_local_rules_unref(rules);
        fail_msg("parsed, but should not: %.80s", text);
    }
    char *msg = g_strdup(err->message);
    g_error_free(err);
    return msg;
}

/* classify - kind, status, recipient and words through mxb_classify */
static void classify(mxb_result *r, mxb_kind kind, const char *status, const char *recipient,
                     const char *diagnostic)
{
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->action = kind == MXB_KIND_DELAYED ? "delayed" : "failed";
    r->status = (char *)status; /* borrowed: mxb_classify only reads */
    r->recipient = (char *)recipient;
    r->diagnostic = (char *)diagnostic;
    mxb_classify(r);
}

static const char two_rules[] = "# a comment\n"
                                "[first]\n"
                                "reason = reputation\n"
                                "pattern = \\(S3150\\)\n"
                                "\n"
                                "[second, for two domains]\n"
                                "reason = mailbox_disabled\n"
                                "pattern = ^550 5\\.7\\.1 .*s3150\n"
                                "domains = @Example.NET; example.org\n"
                                "[third]\n"
                                "reason = moved\n"
                                "pattern = gone for good\n"
                                "domains = example.org\n";

/* the built-in rules read these words as content_rejected */
static const char *const words = "550 5.7.1 Message refused (S3150).";

/* test_order_and_scope - first match wins; domains limit a rule */
static void test_order_and_scope(void **state)
{
    mxb_result r;

    (void)state;
    mxb_local_rules *rules = rules_of(two_rules);
    assert_int_equal(mxb_local_rules_count(rules), 3);
    /* Without them, the built-in reading. */
    classify(&r, MXB_KIND_BOUNCE, "5.1.1", "a@example.org", "550 5.1.1 gone for good");
    assert_int_equal(r.reason, MXB_REASON_USER_UNKNOWN);
    classify(&r, MXB_KIND_BOUNCE, "5.7.1", "a@example.net", words);
    assert_int_equal(r.reason, MXB_REASON_CONTENT_REJECTED);
    assert_int_equal(r.local_rule, 0);
    mxb_classify_set_local_rules(rules);
    mxb_local_rules_unref(rules); /* the process keeps its own reference */

    /* The first rule matches every recipient, before the second. */
    classify(&r, MXB_KIND_BOUNCE, "5.7.1", "a@example.net", words);
    assert_int_equal(r.reason, MXB_REASON_REPUTATION);
    assert_int_equal(r.klass, MXB_CLASS_BLOCK);
    assert_int_equal(r.local_rule, 1);
    assert_string_equal(mxb_local_rule_name(r.local_rule), "first");
    assert_null(mxb_local_rule_name(4));
    /* The third only for its domain; over an exact 5.1.1 too. */
    classify(&r, MXB_KIND_BOUNCE, "5.1.1", "a@EXAMPLE.org", "550 5.1.1 Gone for good");
    assert_int_equal(r.reason, MXB_REASON_MOVED);
    assert_int_equal(r.klass, MXB_CLASS_HARD);
    classify(&r, MXB_KIND_BOUNCE, "5.1.1", "a@example.com", "550 5.1.1 gone for good");
    assert_int_equal(r.reason, MXB_REASON_USER_UNKNOWN);
    classify(&r, MXB_KIND_BOUNCE, "5.1.1", "a@sub.example.org", "550 5.1.1 gone for good");
    assert_int_equal(r.reason, MXB_REASON_USER_UNKNOWN);
    classify(&r, MXB_KIND_BOUNCE, "5.1.1", NULL, "550 5.1.1 gone for good");
    assert_int_equal(r.reason, MXB_REASON_USER_UNKNOWN);
    /* A temporary failure is never hard, a delay has no class. */
    classify(&r, MXB_KIND_BOUNCE, "4.1.1", "a@example.org", "450 4.1.1 gone for good");
    assert_int_equal(r.reason, MXB_REASON_MOVED);
    assert_int_equal(r.klass, MXB_CLASS_SOFT);
    classify(&r, MXB_KIND_DELAYED, "4.1.1", "a@example.org", "450 4.1.1 gone for good");
    assert_int_equal(r.reason, MXB_REASON_MOVED);
    assert_int_equal(r.klass, MXB_CLASS_NONE);
    /* Only failures and delays are read. */
    classify(&r, MXB_KIND_AUTO_REPLY, NULL, "a@example.org", "gone for good");
    assert_int_equal(r.reason, MXB_REASON_NONE);
    assert_int_equal(r.klass, MXB_CLASS_NONE);
    /* No words: the empty text, which these rules do not match. */
    classify(&r, MXB_KIND_BOUNCE, "5.2.2", "a@example.org", NULL);
    assert_int_equal(r.reason, MXB_REASON_MAILBOX_FULL);

    mxb_classify_set_local_rules(NULL);
    classify(&r, MXB_KIND_BOUNCE, "5.7.1", "a@example.net", words);
    assert_int_equal(r.reason, MXB_REASON_CONTENT_REJECTED);
    classify(&r, MXB_KIND_BOUNCE, "5.1.1", "a@example.org", "550 5.1.1 gone for good");
    assert_int_equal(r.reason, MXB_REASON_USER_UNKNOWN);
}

/* test_utf8 - patterns read characters, not bytes, in every script */
static void test_utf8(void **state)
{
    mxb_result r;

    (void)state;
    mxb_local_rules *rules = rules_of("[fr]\nreason = mailbox_full\npattern = BOÎTE PLEINE\n"
                                      "[word]\nreason = moved\npattern = ^bo\\wte d.m.nag(e|é)e$\n"
                                      "[dom]\nreason = reputation\npattern = refus\n"
                                      "domains = bücher.example\n");
    mxb_classify_set_local_rules(rules);
    mxb_local_rules_unref(rules);
    classify(&r, MXB_KIND_BOUNCE, "5.2.2", "a@example.fr", "552 boîte pleine");
    assert_int_equal(r.reason, MXB_REASON_MAILBOX_FULL);
    classify(&r, MXB_KIND_BOUNCE, "5.0.0", "a@example.fr", "boîte déménagée");
    assert_int_equal(r.reason, MXB_REASON_MOVED);
    classify(&r, MXB_KIND_BOUNCE, "5.0.0", "a@BÜCHER.example", "550 refusé");
    assert_int_equal(r.reason, MXB_REASON_REPUTATION);
    /* Words that are not UTF-8 are left to the built-in rules. */
    classify(&r, MXB_KIND_BOUNCE, "5.0.0", "a@example.fr", "552 bo\xeete pleine");
    assert_int_equal(r.local_rule, 0);
    mxb_classify_set_local_rules(NULL);
}

/* dsn_of - a delivery status notification for n recipients, each
 * refused with words */
static GString *dsn_of(int n, const char *said)
{
    GString *m = g_string_new("From: MAILER-DAEMON@mx.example.org\n"
                              "To: b@bounces.example.com\n"
                              "Subject: Undelivered Mail Returned to Sender\n"
                              "MIME-Version: 1.0\n"
                              "Content-Type: multipart/report; report-type=delivery-status; "
                              "boundary=\"B\"\n\n--B\nContent-Type: text/plain\n\nFailed.\n\n"
                              "--B\nContent-Type: message/delivery-status\n\n"
                              "Reporting-MTA: dns; mx.example.org\n");
    for (int i = 0; i < n; i++)
        g_string_append_printf(m,
                               "\nFinal-Recipient: rfc822; r%d@example.net\nAction: failed\n"
                               "Status: 5.0.0\nDiagnostic-Code: smtp; %s\n",
                               i, said);
    g_string_append(m, "\n--B--\n");
    return m;
}

/* steps_to_match - the steps a one-recipient report with these words
 * spends on its local rules, and whether one decided */
static guint64 steps_to_match(const char *said, size_t budget, gboolean *decided)
{
    mxb_limits limits;
    g_autoptr(mxb_report) rep = NULL;
    g_autoptr(GString) m = dsn_of(1, said);

    mxb_limits_default(&limits);
    limits.max_local_steps = budget;
    assert_int_equal(mxb_report_parse(&rep, m->str, m->len, &limits), 0);
    *decided = ((const mxb_result *)g_ptr_array_index(rep->results, 0))->local_rule != 0;
    return mxb_local_rules_steps();
}

/* test_budget - all the local rules' matches of one report share a
 * budget of steps (max_local_steps), at and one past which they match or
 * stop; a report that spends it leaves its other recipients to the
 * built-in rules, and the next report has its own; PCRE2's heap limit
 * stops a match that would need more */
static void test_budget(void **state)
{
    mxb_limits limits;
    gboolean decided;

    (void)state;
    mxb_limits_default(&limits);
    assert_int_equal(limits.max_local_steps, MXB_DEFAULT_MAX_LOCAL_STEPS);
    /* A pattern that matches only after much backtracking: (a+)+ tries
     * every way to split the a's before it finds the digit further on. */
    static const char slow[] = "[slow]\nreason = moved\npattern = (a+)+\\d\n";
    static const char late[] = "550 aaaaaaaaaaaa! a5 user unknown";
    mxb_local_rules *rules = rules_of(slow);
    mxb_classify_set_local_rules(rules);
    mxb_local_rules_unref(rules);
    guint64 need = steps_to_match(late, 1000u * 1000u * 1000u, &decided);
    assert_true(decided);
    assert_true(need > 1000);
    assert_int_equal(steps_to_match(late, need, &decided), need); /* at the budget */
    assert_true(decided);
    steps_to_match(late, need - 1, &decided); /* one past it */
    assert_false(decided);

    /* (a+)+$ on runs of a's: no match, after 2^15 ways at each of 2000
     * positions, unless stopped: the default budget stops it, and the
     * report's other recipients get the built-in reading; the next
     * report's recipients are read by the rule again. */
    g_autoptr(GString) runs = g_string_new("550 ");
    for (int i = 0; i < 120; i++)
        g_string_append(runs, "aaaaaaaaaaaaaaab");
    rules = rules_of("[evil]\nreason = moved\npattern = (a+)+$\n"
                     "[plain]\nreason = moved\npattern = user unknown\n");
    mxb_classify_set_local_rules(rules);
    mxb_local_rules_unref(rules);
    g_autoptr(GString) three = dsn_of(1, runs->str);
    g_string_truncate(three, three->len - strlen("\n--B--\n"));
    for (int i = 1; i < 3; i++)
        g_string_append_printf(three,
                               "\nFinal-Recipient: rfc822; s%d@example.net\nAction: failed\n"
                               "Status: 5.0.0\nDiagnostic-Code: smtp; 550 user unknown\n",
                               i);
    g_string_append(three, "\n--B--\n");
    g_autoptr(mxb_report) rep = NULL;
    assert_int_equal(mxb_report_parse(&rep, three->str, three->len, &limits), 0);
    assert_int_equal(rep->results->len, 3);
    for (guint i = 0; i < 3; i++) {
        const mxb_result *r = g_ptr_array_index(rep->results, i);
        assert_int_equal(r->local_rule, 0);
        assert_int_equal(r->reason, i == 0 ? MXB_REASON_UNDETERMINED : MXB_REASON_USER_UNKNOWN);
    }
    assert_true(mxb_local_rules_steps() > MXB_DEFAULT_MAX_LOCAL_STEPS);
    assert_true(rep->flags & MXB_REPORT_LOCAL_RULES_CUT);
    assert_non_null(strstr(rep->problem, "local rules' step budget spent"));
    g_autoptr(GString) plain = dsn_of(2, "550 user unknown");
    g_autoptr(mxb_report) next = NULL;
    assert_int_equal(mxb_report_parse(&next, plain->str, plain->len, &limits), 0);
    for (guint i = 0; i < 2; i++)
        assert_int_equal(((const mxb_result *)g_ptr_array_index(next->results, i))->local_rule, 2);
    assert_false(next->flags & MXB_REPORT_LOCAL_RULES_CUT);

    /* One item can read a run of the text (a possessive or atomic repeat,
     * a backreference): the steps count the characters it moves over, so
     * such a rule at every position of a long word spends the budget
     * (PCRE2's items alone would be about 100,000 here: 50,000 letters
     * read at each of 50,000 positions, which took seconds). */
    static const char *const runs_of[] = {"\\w+\\s+\\d{3}", "(?>\\w*)\\d{3}", "(.+)\\1\\d"};
    g_autoptr(GString) long_words = g_string_new(NULL);
    for (int i = 0; i < 50000; i++)
        g_string_append_c(long_words, 'a');
    for (size_t k = 0; k < G_N_ELEMENTS(runs_of); k++) {
        g_autofree char *t = g_strdup_printf("[runs]\nreason = moved\npattern = %s\n", runs_of[k]);
        rules = rules_of(t);
        mxb_classify_set_local_rules(rules);
        mxb_local_rules_unref(rules);
        mxb_result x;
        classify(&x, MXB_KIND_BOUNCE, "5.0.0", "a@example.org", long_words->str);
        if (!(mxb_local_rules_steps() > MXB_DEFAULT_MAX_LOCAL_STEPS))
            fail_msg("%s: %" G_GUINT64_FORMAT " steps", runs_of[k], mxb_local_rules_steps());
    }

    /* A step is not a fixed time: [^...]{999} of 1,350 letters compares
     * each character with each of them, inside one item that fails
     * without moving (a second a match here, for a few thousand steps).
     * The clock spends the budget after MXB_LOCAL_RULE_TIME_US: twenty
     * recipients would take twenty seconds here (a machine forty times
     * as fast would still pass the half second), the report is cut and
     * says so. */
    g_autoptr(GString) cjk = g_string_new("[cjk]\nreason = moved\npattern = [^");
    for (gunichar c = 0x4E00; c < 0x4E00 + 1350; c++)
        g_string_append_unichar(cjk, c);
    g_string_append(cjk, "]{999}\n");
    rules = rules_of(cjk->str);
    mxb_classify_set_local_rules(rules);
    mxb_local_rules_unref(rules);
    g_autoptr(GString) wide = g_string_new("550 ");
    for (int i = 0; i < 990; i++)
        g_string_append(wide, "ā");
    g_autoptr(GString) twenty = dsn_of(20, wide->str);
    g_autoptr(mxb_report) cut = NULL;
    assert_int_equal(mxb_report_parse(&cut, twenty->str, twenty->len, &limits), 0);
    assert_true(cut->flags & MXB_REPORT_LOCAL_RULES_CUT);

    /* (?:(a)|b)*c keeps a frame for each a: 10,000 fit in 20 MB, 100,000
     * do not (GRegex alone, without the limit, matches both). */
    rules = rules_of("[frames]\nreason = moved\npattern = (?:(a)|b)*c\n");
    mxb_classify_set_local_rules(rules);
    mxb_local_rules_unref(rules);
    g_autoptr(GRegex) unlimited = g_regex_new("(?:(a)|b)*c", 0, 0, NULL);
    for (int n = 10000; n <= 100000; n *= 10) {
        g_autoptr(GString) t = g_string_new(NULL);
        for (int i = 0; i < n; i++)
            g_string_append_c(t, 'a');
        g_string_append_c(t, 'c');
        assert_true(g_regex_match(unlimited, t->str, 0, NULL));
        mxb_result r;
        classify(&r, MXB_KIND_BOUNCE, "5.0.0", "a@example.org", t->str);
        assert_int_equal(r.local_rule, n == 10000 ? 1 : 0);
        if (n == 100000) /* stopped by the heap, which counts as many steps */
            assert_true(mxb_local_rules_steps() > MXB_LOCAL_RULE_HEAP_STEPS);
    }
    mxb_classify_set_local_rules(NULL);
}

/* test_config_steps - [limits] max_local_rule_steps: its range, at and
 * one past each end, and the value reaches the limits */
static void test_config_steps(void **state)
{
    static const struct {
        const char *value;
        gboolean ok;
        size_t steps;
    } cases[] = {
        {"999", FALSE, 0},
        {"1000", TRUE, 1000},
        {"1000000000", TRUE, 1000000000},
        {"1000000001", FALSE, 0},
    };

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *text =
            g_strdup_printf("[limits]\nmax_local_rule_steps = %s\n", cases[i].value);
        g_autoptr(mxb_config) cfg = NULL;
        g_autoptr(GError) err = NULL;
        int rc = mxb_config_parse(&cfg, text, strlen(text), NULL, FALSE, &err);
        assert_int_equal(rc == 0, cases[i].ok);
        if (cases[i].ok)
            assert_int_equal(cfg->limits.max_local_steps, cases[i].steps);
    }
    g_autoptr(mxb_config) none = NULL;
    assert_int_equal(mxb_config_parse(&none, "", 0, NULL, FALSE, NULL), 0);
    assert_int_equal(none->limits.max_local_steps, MXB_DEFAULT_MAX_LOCAL_STEPS);
}

/* test_version - the version says which rules, not how they are written */
static void test_version(void **state)
{
    (void)state;
    assert_string_equal(mxb_classifier_version(), MXB_CLASSIFIER_VERSION);
    mxb_local_rules *a = rules_of(two_rules);
    mxb_classify_set_local_rules(a);
    g_autofree char *va = g_strdup(mxb_classifier_version());
    g_autofree char *prefix = g_strconcat(MXB_CLASSIFIER_VERSION, "+local.", NULL);
    assert_true(g_str_has_prefix(va, prefix));
    assert_int_equal(strlen(va), strlen(prefix) + 12);
    for (const char *p = va + strlen(prefix); *p; p++)
        assert_true(g_ascii_isxdigit(*p) && !g_ascii_isupper(*p));

    /* Other comments and group names: the same rules, the same version. */
    g_autofree char *renamed = g_strdup(two_rules);
    memcpy(strstr(renamed, "[first]"), "[other]", 7);
    memcpy(renamed, "# other  ", 9);
    mxb_local_rules *b = rules_of(renamed);
    mxb_classify_set_local_rules(b);
    assert_string_equal(mxb_classifier_version(), va);

    /* Another reason, pattern or domain: another version. */
    static const char *const changes[][2] = {
        {"reason = reputation", "reason = auth_failure"},
        {"gone for good", "gone for ever"},
        {"domains = example.org\n", "domains = example.com\n"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(changes); i++) {
        g_autoptr(GString) t = g_string_new(two_rules);
        g_string_replace(t, changes[i][0], changes[i][1], 1);
        assert_string_not_equal(t->str, two_rules);
        mxb_local_rules *c = rules_of(t->str);
        mxb_classify_set_local_rules(c);
        mxb_local_rules_unref(c);
        assert_string_not_equal(mxb_classifier_version(), va);
    }
    /* A file without rules is no rules. */
    mxb_local_rules *none = rules_of("# nothing yet\n");
    assert_int_equal(mxb_local_rules_count(none), 0);
    mxb_classify_set_local_rules(none);
    assert_string_equal(mxb_classifier_version(), MXB_CLASSIFIER_VERSION);
    mxb_classify_set_local_rules(NULL);
    assert_string_equal(mxb_classifier_version(), MXB_CLASSIFIER_VERSION);
    mxb_local_rules_unref(none);
    mxb_local_rules_unref(a);
    mxb_local_rules_unref(b);
}

/* test_errors - every mistake is an error that names the rule */
static void test_errors(void **state)
{
    static const struct {
        const char *text, *message;
    } cases[] = {
        {"[r]\nreason = reputation\n", "rule [r]: needs both reason and pattern"},
        {"[r]\npattern = x\n", "rule [r]: needs both reason and pattern"},
        {"[r]\nreason = spam\npattern = x\n", "rule [r]: \"spam\" is not a reason"},
        {"[r]\nreason = reputation\npattern = (x\n", "rule [r]: pattern: "},
        {"[r]\nreason = reputation\npattern = \n", "rule [r]: the pattern must have 1 to"},
        {"[r]\nreason = reputation\npattern = x\ndomain = example.com\n",
         "rule [r]: unknown key \"domain\""},
        {"[r]\nreason = reputation\npattern = x\ndomains = ;@;\n",
         "rule [r]: domains must name 1 to"},
        {"reason = reputation\n", "Key file does not start with a group"},
        {"[a]\nreason = reputation\npattern = x\n[b]\nreason = moved\npattern = y\n"
         "  [a]\ndomains = example.com\n",
         "rule [a] is written twice"},
        {"[r]\nreason = reputation\npattern = x\npattern = y\n",
         "rule [r]: pattern is written twice"},
        {"[r]\nreason = reputation\npattern = (*LIMIT_MATCH=99999999)x\n",
         "rule [r]: the pattern may not set PCRE2's limits"},
        {"[r]\nreason = reputation\npattern = x\ndomains = example.com,example.org\n",
         "rule [r]: \"example.com,example.org\" is not a domain"},
        {"[r]\nreason = reputation\npattern = x\ndomains = a b.example\n",
         "rule [r]: \"a b.example\" is not a domain"},
        {"[r]\nreason = reput\xe9tion\npattern = x\n", "rule [r]: reason: "},
        {"[r]\nreason = reputation\npattern = caf\xe9\n", "rule [r]: pattern: "},
    };

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg = error_of(cases[i].text, strlen(cases[i].text));
        if (strstr(msg, cases[i].message) == NULL)
            fail_msg("%s: got \"%s\", want \"%s\"", cases[i].text, msg, cases[i].message);
    }
}

/* test_limits - each limit holds, and one past it is an error */
static void test_limits(void **state)
{
    (void)state;
    /* MXB_LOCAL_RULES_MAX rules; one more */
    g_autoptr(GString) t = g_string_new(NULL);
    for (int i = 0; i < MXB_LOCAL_RULES_MAX; i++)
        g_string_append_printf(t, "[r%d]\nreason = reputation\npattern = w%d\n", i, i);
    mxb_local_rules *rules = rules_of(t->str);
    assert_int_equal(mxb_local_rules_count(rules), MXB_LOCAL_RULES_MAX);
    mxb_local_rules_unref(rules);
    g_string_append(t, "[one-more]\nreason = reputation\npattern = x\n");
    g_autofree char *m1 = error_of(t->str, t->len);
    assert_non_null(strstr(m1, "rules: at most"));

    /* a pattern of MXB_LOCAL_RULE_PATTERN_MAX bytes; one more */
    g_autoptr(GString) p = g_string_new("[r]\nreason = reputation\npattern = ");
    for (int i = 0; i < MXB_LOCAL_RULE_PATTERN_MAX; i++)
        g_string_append_c(p, 'a');
    g_string_append_c(p, '\n');
    rules = rules_of(p->str);
    mxb_local_rules_unref(rules);
    g_string_insert_c(p, p->len - 1, 'a');
    g_autofree char *m2 = error_of(p->str, p->len);
    assert_non_null(strstr(m2, "the pattern must have 1 to"));

    /* MXB_LOCAL_RULE_DOMAINS_MAX domains; one more */
    g_autoptr(GString) d = g_string_new("[r]\nreason = reputation\npattern = x\ndomains = ");
    for (int i = 0; i < MXB_LOCAL_RULE_DOMAINS_MAX; i++)
        g_string_append_printf(d, "d%d.example;", i);
    g_string_append_c(d, '\n');
    rules = rules_of(d->str);
    mxb_local_rules_unref(rules);
    g_string_insert(d, d->len - 1, "one-more.example;");
    g_autofree char *m3 = error_of(d->str, d->len);
    assert_non_null(strstr(m3, "domains must name 1 to"));

    /* MXB_LOCAL_RULE_GROUPS_MAX groups that capture; one more */
    g_autoptr(GString) g = g_string_new("[r]\nreason = reputation\npattern = ");
    for (int i = 0; i < MXB_LOCAL_RULE_GROUPS_MAX; i++)
        g_string_append(g, "(a)");
    g_string_append(g, "(?:b)\n");
    rules = rules_of(g->str);
    mxb_local_rules_unref(rules);
    g_string_insert(g, g->len - 1, "(c)");
    g_autofree char *m5 = error_of(g->str, g->len);
    assert_non_null(strstr(m5, "groups that capture"));

    /* a file of MXB_LOCAL_RULES_FILE_MAX bytes; one more */
    g_autoptr(GString) f = g_string_new("[r]\nreason = reputation\npattern = x\n");
    while (f->len < MXB_LOCAL_RULES_FILE_MAX)
        g_string_append_c(f, '#');
    g_string_truncate(f, MXB_LOCAL_RULES_FILE_MAX - 1);
    g_string_append_c(f, '\n');
    assert_int_equal(f->len, MXB_LOCAL_RULES_FILE_MAX);
    rules = rules_of(f->str);
    assert_int_equal(mxb_local_rules_count(rules), 1);
    mxb_local_rules_unref(rules);
    g_string_insert_c(f, 0, '\n');
    g_autofree char *m4 = error_of(f->str, f->len);
    assert_non_null(strstr(m4, "longer than"));
}

/* test_load - a file by its path; errors name it */
static void test_load(void **state)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("mxb-local-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "rules", NULL);

    (void)state;
    assert_true(g_file_set_contents(path, two_rules, -1, NULL));
    mxb_local_rules *rules = mxb_local_rules_read(path, &err);
    assert_non_null(rules);
    assert_int_equal(mxb_local_rules_count(rules), 3);
    mxb_local_rules_unref(rules);
    assert_true(g_file_set_contents(path, "[bad]\nreason = x\npattern = y\n", -1, NULL));
    assert_null(mxb_local_rules_read(path, &err));
    assert_true(g_str_has_prefix(err->message, path));
    assert_non_null(strstr(err->message, "rule [bad]"));
    g_clear_error(&err);
    /* others may change it: refused, as mxbounce.conf would be */
    assert_true(g_file_set_contents(path, two_rules, -1, NULL));
    assert_int_equal(g_chmod(path, 0646), 0);
    assert_null(mxb_local_rules_read(path, &err));
    assert_non_null(strstr(err->message, "others may change it"));
    g_clear_error(&err);
    assert_int_equal(g_chmod(path, 0644), 0);
    /* one byte past MXB_LOCAL_RULES_FILE_MAX, read no further */
    g_autoptr(GString) big = g_string_new(two_rules);
    while (big->len <= MXB_LOCAL_RULES_FILE_MAX)
        g_string_append_c(big, '#');
    assert_true(g_file_set_contents(path, big->str, (gssize)big->len, NULL));
    assert_null(mxb_local_rules_read(path, &err));
    assert_non_null(strstr(err->message, "longer than 1048576 bytes"));
    g_clear_error(&err);
    g_remove(path);
    assert_null(mxb_local_rules_read(path, &err));
    assert_true(g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT));
    g_clear_error(&err);
    /* not a regular file: a FIFO (no wait for a writer), a device */
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_null(mxb_local_rules_read(path, &err));
    assert_non_null(strstr(err->message, "not a regular file"));
    g_clear_error(&err);
    g_remove(path);
    assert_null(mxb_local_rules_read("/dev/zero", &err));
    assert_non_null(strstr(err->message, "not a regular file"));
    g_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_and_scope), cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_budget),          cmocka_unit_test(test_config_steps),
        cmocka_unit_test(test_version),         cmocka_unit_test(test_errors),
        cmocka_unit_test(test_limits),          cmocka_unit_test(test_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
