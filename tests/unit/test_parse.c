/*
 * test_parse.c - unit tests of mxb_report_parse() (classify/parse.c)
 *
 * DESCRIPTION
 *	Every fixture in tests/fixtures (MXB_FIXTURES_DIR) against the table
 *	of tests/fixtures/README.md, each parsed from an exact-size copy so
 *	that AddressSanitizer sees any read past the end; the same fixtures
 *	with CRLF line ends, and with CR alone; every limit of mxb_limits at the limit and one
 *	past it, on reports built in memory; the fallbacks; and
 *	mxb_report_content_offset().
 */
#include <string.h>

#include <gmime/gmime.h>
#include <mxb/classify.h>

#include "internal.h" /* mxb_charset_pins, mxb_part_text */

#include "unit.h"

#ifndef MXB_FIXTURES_DIR
#error "MXB_FIXTURES_DIR must name tests/fixtures"
#endif

/* want_result - one expected result; NULL or 0 means absent */
typedef struct want_result {
    const char *recipient;
    const char *action;
    const char *status;
    int smtp_code;
    mxb_kind kind;
    const char *klass;
    const char *reason;
} want_result;

/* The README table. Where it says status "—" for dsn-no-status.eml, the
 * program derives "5.0.0" from the 550 reply on purpose. */
static const struct {
    const char *file;
    unsigned n;
    want_result r[4];
} fixtures[] = {
    {"dsn-postfix-user-unknown.eml",
     1,
     {{"alice@example.net", "failed", "5.1.1", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"}}},
    {"dsn-mailbox-full-folded.eml",
     1,
     {{"bob@example.org", "failed", "5.2.2", 552, MXB_KIND_BOUNCE, "soft", "mailbox_full"}}},
    {"dsn-multi-recipient.eml",
     3,
     {{"carol@example.net", "failed", "5.1.1", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"},
      {"dave@example.net", "failed", "5.7.1", 550, MXB_KIND_BOUNCE, "block", "content_rejected"},
      {"erin@example.net", "delayed", "4.4.1", 0, MXB_KIND_DELAYED, NULL, "network_error"}}},
    {"dsn-delayed.eml",
     1,
     {{"niaj@example.org", "delayed", "4.4.1", 0, MXB_KIND_DELAYED, NULL, "network_error"}}},
    {"dsn-delivered.eml",
     1,
     {{"olivia@example.net", "delivered", "2.0.0", 250, MXB_KIND_DELIVERED, NULL, NULL}}},
    {"dsn-global-utf8.eml",
     1,
     {{"用户@例子.example", "failed", "5.1.1", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"}}},
    {"dsn-nested-report.eml",
     1,
     {{"frank@nowhere.example.invalid", "failed", "5.1.2", 0, MXB_KIND_BOUNCE, "hard",
       "domain_unknown"}}},
    {"dsn-mbox-crlf.eml",
     1,
     {{"grace@example.com", "failed", "5.7.1", 550, MXB_KIND_BOUNCE, "block", "reputation"}}},
    {"dsn-address-types.eml",
     2,
     {{"Heidi@Example.NET", "failed", "5.1.1", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"},
      {"ivan@example.net", "failed", "5.0.0", 0, MXB_KIND_BOUNCE, "soft", "system_error"}}},
    {"dsn-rate-limited.eml",
     1,
     {{"judy@example.com", "delayed", "4.7.28", 421, MXB_KIND_DELAYED, NULL, "rate_limited"}}},
    {"dsn-auth-failure.eml",
     1,
     {{"ken@example.com", "failed", "5.7.26", 550, MXB_KIND_BOUNCE, "block", "auth_failure"}}},
    {"garbage.eml", 1, {{NULL, NULL, NULL, 0, MXB_KIND_UNPARSEABLE, NULL, NULL}}},
    {"human-reply.eml", 1, {{NULL, NULL, NULL, 0, MXB_KIND_NOT_BOUNCE, NULL, NULL}}},
    {"dsn-no-status.eml",
     1,
     {{"leo@example.org", "failed", "5.0.0", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"}}},
    {"dsn-mailbox-full-552.eml",
     1,
     {{"mallory@example.net", "failed", "5.2.2", 552, MXB_KIND_BOUNCE, "soft", "mailbox_full"}}},
    /* Human-readable reports (classify/text.c) */
    {"text-qmail.eml",
     1,
     {{"nora@example.net", "failed", "5.1.1", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"}}},
    {"text-exim-multi.eml",
     2,
     {{"oscar@example.org", "failed", "5.2.2", 552, MXB_KIND_BOUNCE, "soft", "mailbox_full"},
      {"pat@example.com", "failed", "5.7.1", 550, MXB_KIND_BOUNCE, "block", "content_rejected"}}},
    {"text-sendmail-transcript.eml",
     2,
     {{"quinn@example.net", "failed", "5.0.0", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"},
      {"rita@example.invalid", "failed", "5.0.0", 550, MXB_KIND_BOUNCE, "hard", "domain_unknown"}}},
    {"text-exchange-legacy.eml",
     1,
     {{"sam@example.com", "failed", "5.0.0", 0, MXB_KIND_BOUNCE, "hard", "user_unknown"}}},
    {"text-exchange55-x400.eml",
     1,
     {{"wanda@example.COM", "failed", "5.0.0", 0, MXB_KIND_BOUNCE, "hard", "user_unknown"}}},
    {"text-antivirus-gateway.eml",
     1,
     {{"Zeno@example.org", "delayed", "4.0.0", 0, MXB_KIND_DELAYED, NULL, "expired"}}},
    {"text-quoted-address.eml",
     1,
     {{"xena@example.net", "failed", "5.0.0", 0, MXB_KIND_BOUNCE, "soft", "expired"}}},
    {"dsn-no-recipient-block.eml",
     2,
     {{"una@example.org", "failed", "5.0.0", 0, MXB_KIND_BOUNCE, "soft", "expired"},
      {"victor@example.org", "failed", "5.0.0", 0, MXB_KIND_BOUNCE, "soft", "expired"}}},
    {"dsn-sendmail-exit-status.eml",
     1,
     {{"support@example.org", "failed", "5.3.0", 554, MXB_KIND_BOUNCE, "soft", "system_error"}}},
    {"dsn-exim-file-delivery.eml",
     1,
     {{"yara%example.net@store2.example.net", "failed", "5.0.0", 0, MXB_KIND_BOUNCE, "soft",
       "mailbox_full"}}},
    {"dsn-exim-no-diagnostic.eml",
     3,
     {{"amy@example.net", "failed", "5.2.2", 552, MXB_KIND_BOUNCE, "soft", "mailbox_full"},
      {"bob@example.net", "failed", "5.0.0", 0, MXB_KIND_BOUNCE, "soft", "undetermined"},
      {"zack@example.net", "failed", "5.1.1", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"}}},
    {"dsn-final-recipient-no-local.eml",
     1,
     {{"wanda@example.net", "failed", "5.1.1", 0, MXB_KIND_BOUNCE, "hard", "user_unknown"}}},
    {"text-sendmail-v5-coded.eml",
     1,
     {{"xena@example.edu", "failed", "5.0.0", 554, MXB_KIND_BOUNCE, "block", "sender_rejected"}}},
    {"text-hmailserver.eml",
     3,
     {{"anna@example.net", "failed", "5.1.1", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"},
      {"bert@example.org", "failed", "5.2.2", 552, MXB_KIND_BOUNCE, "soft", "mailbox_full"},
      {"carl@example.com", "failed", "5.7.1", 554, MXB_KIND_BOUNCE, "block", "reputation"}}},
    {"text-smartermail.eml",
     3,
     {{"dora@example.net", "failed", "5.1.1", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"},
      {"fred@example.org", "failed", "5.0.0", 0, MXB_KIND_BOUNCE, "soft", "mailbox_full"},
      {"gina@example.com", "failed", "5.0.0", 0, MXB_KIND_BOUNCE, "soft", "mailbox_full"}}},
    {"dsn-gmail-dns-at-once.eml",
     1,
     {{"nina@gmial.example", "failed", "4.0.0", 0, MXB_KIND_BOUNCE, "soft", "network_error"}}},
    {"dsn-global-cut-lines.eml",
     1,
     {{"olga@example.net", "failed", "5.2.0", 552, MXB_KIND_BOUNCE, "block", "content_rejected"}}},
    {"dsn-courier-delay.eml",
     1,
     {{"kurt@example.net", "delayed", "4.1.7", 450, MXB_KIND_DELAYED, NULL, "sender_rejected"}}},
    {"dsn-communigate.eml",
     2,
     {{"ilse@example.lv", "failed", "5.1.1", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"},
      {"juris@example.lv", "failed", "5.0.0", 0, MXB_KIND_BOUNCE, "block", "auth_failure"}}},
    {"dsn-sendmail-local-mailer.eml",
     3,
     {{"wynn@example.edu", "failed", "5.5.0", 0, MXB_KIND_BOUNCE, "hard", "user_unknown"},
      {"xavi@example.edu", "failed", "5.5.0", 0, MXB_KIND_BOUNCE, "soft", "mailbox_full"},
      {"vick@example.edu", "failed", "5.5.0", 0, MXB_KIND_BOUNCE, "soft", "undetermined"}}},
    {"dsn-sendmail-local-no-boundary.eml",
     3,
     {{"yael@example.edu", "failed", "5.5.0", 0, MXB_KIND_BOUNCE, "hard", "user_unknown"},
      {"zeno@example.edu", "failed", "5.5.0", 0, MXB_KIND_BOUNCE, "soft", "mailbox_full"},
      {"xena@example.edu", "failed", "5.5.0", 0, MXB_KIND_BOUNCE, "soft", "undetermined"}}},
    {"dsn-sendmail-program.eml",
     1,
     {{"vera@example.edu", "failed", "5.5.0", 0, MXB_KIND_BOUNCE, "soft", "system_error"}}},
    {"text-postfix-two-verdicts.eml",
     2,
     {{"amy@example.net", "failed", "5.1.1", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"},
      {"bob@example.org", "failed", "5.0.0", 550, MXB_KIND_BOUNCE, "soft", "undetermined"}}},
    {"text-sendmail-v5-transcript.eml",
     4,
     {{"yuri@example.edu", "failed", "5.0.0", 554, MXB_KIND_BOUNCE, "block", "content_rejected"},
      {"zoe@example.org", "failed", "5.0.0", 550, MXB_KIND_BOUNCE, "hard", "domain_unknown"},
      {"walt@example.net", "failed", "5.0.0", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"},
      {"uma@example.net", "failed", "5.0.0", 554, MXB_KIND_BOUNCE, "block", "content_rejected"}}},
    {"text-exchange-to-is-recipient.eml",
     1,
     {{"vic@example.net", "failed", "5.0.0", 0, MXB_KIND_BOUNCE, "hard", "user_unknown"}}},
    {"text-contact-line.eml",
     1,
     {{"tina@example.net", "failed", "5.1.1", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"}}},
    {"text-returned-to-only.eml",
     1,
     {{"2025550143@mms.example.com", "failed", "5.0.0", 0, MXB_KIND_BOUNCE, "hard",
       "user_unknown"}}},
    {"text-delay-warning.eml",
     1,
     {{"victor@example.org", "delayed", "4.4.1", 421, MXB_KIND_DELAYED, NULL, "expired"}}},
    {"text-null-sender.eml",
     1,
     {{"amy@carrier.example.net", "failed", "5.0.0", 0, MXB_KIND_BOUNCE, "soft", "mailbox_full"}}},
    {"text-broken-multipart.eml",
     1,
     {{"2025550188@mms.example.org", "failed", "5.0.0", 550, MXB_KIND_BOUNCE, "hard",
       "user_unknown"}}},
    /* Complaints and auto-replies */
    {"arf-multi-recipient.eml",
     2,
     {{"xena@example.net", NULL, NULL, 0, MXB_KIND_COMPLAINT, NULL, NULL},
      {"yuri@example.net", NULL, NULL, 0, MXB_KIND_COMPLAINT, NULL, NULL}}},
    {"arf-no-rcpt-to.eml", 1, {{"zoe@example.org", NULL, NULL, 0, MXB_KIND_COMPLAINT, NULL, NULL}}},
    {"arf-opt-out.eml", 1, {{"amy@example.org", NULL, NULL, 0, MXB_KIND_COMPLAINT, NULL, NULL}}},
    {"ses-sns-bounce.eml",
     2,
     {{"finn@example.net", "failed", "5.1.1", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"},
      {"gus@example.org", "failed", "5.2.2", 552, MXB_KIND_BOUNCE, "soft", "mailbox_full"}}},
    {"ses-complaint.eml", 1, {{"hal@example.com", NULL, NULL, 0, MXB_KIND_COMPLAINT, NULL, NULL}}},
    {"mdn-read-receipt.eml", 1, {{"dee@example.net", NULL, NULL, 0, MXB_KIND_MDN, NULL, NULL}}},
    {"mdn-sieve-reject.eml",
     1,
     {{"yusuf@example.net", "failed", "5.0.0", 0, MXB_KIND_BOUNCE, "soft", "mailbox_full"}}},
    {"challenge-response.eml",
     1,
     {{"bea@example.com", NULL, NULL, 0, MXB_KIND_CHALLENGE, NULL, NULL}}},
    {"auto-reply-subject.eml",
     1,
     {{"postmaster@tenant.example.com", NULL, NULL, 0, MXB_KIND_AUTO_REPLY, NULL, NULL}}},
    {"text-html-only.eml",
     1,
     {{"wendy@example.net", "failed", "5.1.10", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"}}},
    /* One fixture per provider format (tests/fixtures/README.md) */
    {"text-gmail-permanent.eml",
     1,
     {{"paula@example.com", "failed", "5.1.1", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"}}},
    {"text-yahoo.eml",
     1,
     {{"quentin@example.net", "failed", "5.0.0", 0, MXB_KIND_BOUNCE, "hard", "user_unknown"}}},
    {"dsn-courier.eml",
     1,
     {{"rosa@example.net", "failed", "5.2.1", 550, MXB_KIND_BOUNCE, "soft", "mailbox_disabled"}}},
    {"text-opensmtpd.eml",
     1,
     {{"steve@example.com", "failed", "5.1.1", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"}}},
    {"text-domino.eml",
     1,
     {{"ursula@notes.example.com", "failed", "5.0.0", 0, MXB_KIND_BOUNCE, "hard", "user_unknown"}}},
    {"text-mdaemon.eml",
     1,
     {{"victoria@example.org", "failed", "5.2.2", 552, MXB_KIND_BOUNCE, "soft", "mailbox_full"}}},
    {"text-imail.eml",
     1,
     {{"walter@imail.example.com", "failed", "5.1.1", 550, MXB_KIND_BOUNCE, "hard",
       "user_unknown"}}},
    {"text-gmx.eml",
     1,
     {{"xavier@example.net", "failed", "5.1.1", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"}}},
    {"text-zoho.eml",
     1,
     {{"yvonne@example.com", "failed", "5.1.1", 0, MXB_KIND_BOUNCE, "hard", "user_unknown"}}},
    {"text-mcafee.eml",
     1,
     {{"zack@example.org", "failed", "5.1.1", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"}}},
    {"text-messagelabs.eml",
     1,
     {{"abby@example.com", "failed", "5.7.1", 554, MXB_KIND_BOUNCE, "block", "content_rejected"}}},
    {"text-carrier-iso2022jp.eml",
     1,
     {{"090-0000-0000@docomo.example.ne.jp", "failed", "5.0.0", 550, MXB_KIND_BOUNCE, "hard",
       "user_unknown"}}},
    {"text-office365-plain.eml",
     1,
     {{"carla@example.com", "failed", "5.1.10", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"}}},
    {"text-exchange2010-multi.eml",
     2,
     {{"hanna@corp.example.com", "failed", "5.1.1", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"},
      {"igor@corp.example.com", "failed", "5.2.2", 550, MXB_KIND_BOUNCE, "soft", "mailbox_full"}}},
    {"text-groupwise.eml",
     1,
     {{"dmitri@gw.example.org", "failed", "5.0.0", 0, MXB_KIND_BOUNCE, "hard", "user_unknown"}}},
    {"text-exim-delay.eml",
     1,
     {{"elena@example.com", "delayed", "4.7.1", 451, MXB_KIND_DELAYED, NULL, "content_rejected"}}},
    {"text-amavis-spam.eml",
     1,
     {{"felix@example.com", "failed", "5.0.0", 0, MXB_KIND_BOUNCE, "block", "content_rejected"}}},
    {"dsn-barracuda-spam.eml",
     1,
     {{"ines@example.org", "failed", "5.7.1", 550, MXB_KIND_BOUNCE, "block", "content_rejected"}}},
    {"text-fml-not-member.eml",
     1,
     {{"announce@lists.example.org", "failed", "5.0.0", 0, MXB_KIND_BOUNCE, "block",
       "sender_rejected"}}},
    {"jmrp-complaint.eml",
     1,
     {{"gina@fbl.example.com", NULL, NULL, 0, MXB_KIND_COMPLAINT, NULL, NULL}}},
    {"dsn-challenge-waitlisted.eml",
     1,
     {{"ivy@example.net", "failed", "4.7.0", 0, MXB_KIND_CHALLENGE, NULL, NULL}}},
    {"jmrp-inline.eml",
     1,
     {{"hana@fbl.example.com", NULL, NULL, 0, MXB_KIND_COMPLAINT, NULL, NULL}}},
    {"dsn-two-glued.eml",
     2,
     {{"bella@example.net", "failed", "5.1.1", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"},
      {"cody@example.org", "failed", "4.2.2", 452, MXB_KIND_BOUNCE, "soft", "mailbox_full"}}},
};

/* read_fixture - the bytes of one fixture; owned by the caller */
static char *read_fixture(const char *name, size_t *len)
{
    g_autofree char *path = g_build_filename(MXB_FIXTURES_DIR, name, NULL);
    GError *err = NULL;
    char *data = NULL;
    gsize n = 0;

    if (!g_file_get_contents(path, &data, &n, &err)) {
        print_error("%s: %s\n", path, err->message);
        g_error_free(err);
        fail();
    }
    *len = n;
    return data;
}

/* parse_exact - parse len bytes from an exact-size copy */
static mxb_report *parse_exact(const char *p, size_t len, const mxb_limits *limits)
{
    g_autofree char *copy = unit_copy(p, len);
    mxb_report *rep = NULL;

    assert_int_equal(mxb_report_parse(&rep, copy, len, limits), 0);
    assert_non_null(rep);
    assert_non_null(rep->results);
    return rep;
}

/* clean_string - valid UTF-8 without control characters, or NULL */
static int clean_string(const char *label, const char *what, const char *s)
{
    if (s == NULL)
        return 0;
    for (const unsigned char *cp = (const unsigned char *)s; *cp; cp++)
        if (*cp < 0x20 || *cp == 0x7f)
            return check_str(label, what, s, "(no control characters)");
    if (!g_utf8_validate(s, -1, NULL))
        return check_str(label, what, s, "(valid UTF-8)");
    return 0;
}

/* check_report - results in order against the table; every string clean */
static int check_report(const char *label, const mxb_report *rep, const want_result *want,
                        unsigned n)
{
    int failures = 0;

    failures += check_int(label, "results", rep->results->len, n);
    for (guint i = 0; i < rep->results->len && i < n; i++) {
        const mxb_result *r = g_ptr_array_index(rep->results, i);
        const want_result *w = &want[i];
        g_autofree char *l = g_strdup_printf("%s[%u]", label, i);
        failures += check_str(l, "recipient", r->recipient, w->recipient);
        failures += check_str(l, "kind", mxb_kind_name(r->kind), mxb_kind_name(w->kind));
        failures += check_str(l, "action", r->action, w->action);
        failures += check_str(l, "status", r->status, w->status);
        failures += check_int(l, "smtp_code", r->smtp_code, w->smtp_code);
        failures += check_str(l, "class", mxb_class_name(r->klass), w->klass);
        failures += check_str(l, "reason", mxb_reason_name(r->reason), w->reason);
        const char *strings[] = {r->recipient,     r->original_recipient, r->action,
                                 r->status,        r->field_status,       r->diagnostic,
                                 r->remote_mta,    r->reporting_mta,      r->mta,
                                 r->feedback_type, r->last_attempt,       r->will_retry_until};
        for (size_t k = 0; k < G_N_ELEMENTS(strings); k++)
            failures += clean_string(l, "string field", strings[k]);
    }
    const char *rstrings[] = {rep->envelope_id, rep->subject, rep->from, rep->orig_message_id};
    for (size_t k = 0; k < G_N_ELEMENTS(rstrings); k++)
        failures += clean_string(label, "report string", rstrings[k]);
    return failures;
}

/* test_fixtures - every fixture against the README table */
static void test_fixtures(void **state)
{
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    for (size_t i = 0; i < G_N_ELEMENTS(fixtures); i++) {
        size_t len;
        g_autofree char *data = read_fixture(fixtures[i].file, &len);
        g_autoptr(mxb_report) rep = parse_exact(data, len, &lim);
        failures += check_report(fixtures[i].file, rep, fixtures[i].r, fixtures[i].n);
        failures += check_int(fixtures[i].file, "flags", rep->flags, 0);
    }
    assert_int_equal(failures, 0);
}

/* test_fixtures_all_listed - a new fixture must get a line in the table */
static void test_fixtures_all_listed(void **state)
{
    g_autoptr(GDir) dir = g_dir_open(MXB_FIXTURES_DIR, 0, NULL);
    const char *name;
    unsigned seen = 0;
    int failures = 0;

    (void)state;
    assert_non_null(dir);
    while ((name = g_dir_read_name(dir)) != NULL) {
        gboolean listed = FALSE;
        if (!g_str_has_suffix(name, ".eml"))
            continue;
        seen++;
        for (size_t i = 0; i < G_N_ELEMENTS(fixtures) && !listed; i++)
            listed = strcmp(fixtures[i].file, name) == 0;
        failures += check_int(name, "listed in test_parse.c", listed, TRUE);
    }
    failures += check_int("fixtures", "count", seen, G_N_ELEMENTS(fixtures));
    assert_int_equal(failures, 0);
}

/* relined - every line end (LF, or CR LF) written as eol */
static char *relined(const char *p, size_t len, const char *eol, size_t *out_len)
{
    GString *out = g_string_sized_new(len + len / 20);

    for (size_t i = 0; i < len; i++) {
        if (p[i] == '\r' && i + 1 < len && p[i + 1] == '\n')
            continue;
        if (p[i] == '\n')
            g_string_append(out, eol);
        else
            g_string_append_c(out, p[i]);
    }
    *out_len = out->len;
    return g_string_free(out, FALSE);
}

/* fixtures_relined - every fixture with its line ends written as eol and
 * prefix (may be "") put above it */
static int fixtures_relined(const char *eol, const char *prefix, const char *name)
{
    mxb_limits lim;
    int failures = 0;

    mxb_limits_default(&lim);
    for (size_t i = 0; i < G_N_ELEMENTS(fixtures); i++) {
        size_t len, rlen;
        if (strcmp(fixtures[i].file, "garbage.eml") == 0)
            continue; /* binary: no lines */
        g_autofree char *data = read_fixture(fixtures[i].file, &len);
        g_autofree char *re = relined(data, len, eol, &rlen);
        g_autoptr(GString) in = g_string_new(prefix);
        g_string_append_len(in, re, (gssize)rlen);
        g_autoptr(mxb_report) rep = parse_exact(in->str, in->len, &lim);
        g_autofree char *label = g_strdup_printf("%s (%s)", fixtures[i].file, name);
        failures += check_report(label, rep, fixtures[i].r, fixtures[i].n);
        failures += check_int(label, "flags", rep->flags, 0);
    }
    return failures;
}

/* test_fixtures_crlf - the same results with CRLF line ends */
static void test_fixtures_crlf(void **state)
{
    (void)state;
    assert_int_equal(fixtures_relined("\r\n", "", "CRLF"), 0);
}

/* test_fixtures_cr - the same results with CR line ends alone, as old Mac
 * OS mail programs saved mail, and with CR CR LF, a CRLF converted twice */
static void test_fixtures_cr(void **state)
{
    (void)state;
    assert_int_equal(fixtures_relined("\r", "", "CR"), 0);
    assert_int_equal(fixtures_relined("\r\r\n", "", "CR CR LF"), 0);
}

/* test_fixtures_blank_above - the same results with lines of white space
 * above the header, as a message saved or pasted so arrives in a file */
static void test_fixtures_blank_above(void **state)
{
    (void)state;
    assert_int_equal(fixtures_relined("\n", "\n   \t\n\r\n", "blank lines above"), 0);
}

/* test_fixture_details - tie-back data and other fields the README names */
static void test_fixture_details(void **state)
{
    static const struct {
        const char *file;
        const char *orig_message_id;
        const char *envelope_id;
        const char *reporting_mta;
        const char *original_recipient; /* of the first result */
        const char *diagnostic;         /* of the first result */
    } cases[] = {
        {"dsn-postfix-user-unknown.eml", "n1126.a7q2.0001@sender.example.com", NULL,
         "mx1.example.net", "alice@example.net",
         "550 5.1.1 <alice@example.net>: Recipient address rejected: User unknown in local "
         "recipient table"},
        {"dsn-mailbox-full-folded.eml", "n1126.b3x9.0002@sender.example.com", NULL,
         "relay.example.org", NULL,
         "552 5.2.2 <bob@example.org>: Mailbox full: the recipient's mailbox has exceeded its "
         "storage quota (10240 of 10240 MB used); the message was not stored"},
        {"jmrp-inline.eml", "n1126.h4i5.0031@sender.example.com", NULL, NULL, NULL, NULL},
        {"dsn-multi-recipient.eml", "n1126.c5d1.0003@sender.example.com", "n1126-ghi789-0003",
         "gw.example.net", "carol@example.net",
         "550 5.1.1 <carol@example.net>: Recipient address rejected: User unknown"},
        {"dsn-delayed.eml", "n1126.n2j4.0004@sender.example.com", NULL, "outbound2.example.com",
         "niaj@example.org", "connect to mail.example.org[192.0.2.44]:25: Connection timed out"},
        {"dsn-global-utf8.eml", "n1126.u8c1.0006@sender.example.com", NULL,
         "mx.xn--fsqu00a.example", "用户@例子.example",
         "550 5.1.1 <用户@例子.example>: 用户不存在 (no such user)"},
        {"dsn-nested-report.eml", "n1126.f6k8.0007@sender.example.com", NULL, "smtp.example.org",
         "frank@nowhere.example.invalid",
         "Host or domain name not found. Name service error for name=nowhere.example.invalid "
         "type=A: Host not found"},
        {"dsn-mbox-crlf.eml", "n1126.g1r5.0008@sender.example.com", NULL, "smtp-out3.example.org",
         NULL,
         "550 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using "
         "zen.spamhaus.example"},
        {"dsn-address-types.eml", "n1126.h4i2.0009@sender.example.com", NULL, "mailhub.example.net",
         NULL, "550 5.1.1 <Heidi@Example.NET>... User unknown"},
        {"dsn-rate-limited.eml", "n1126.j3u7.0010@sender.example.com", NULL,
         "outbound1.example.com", "judy@example.com",
         "421 4.7.28 Our system has detected an unusual rate of unsolicited mail originating "
         "from your IP address. Please try again later."},
        {"dsn-auth-failure.eml", "n1126.k8e2.0011@sender.example.com", NULL, "out2.example.org",
         NULL,
         "550 5.7.26 Unauthenticated email from sender.example.com is not accepted due to "
         "domain's DMARC policy. Ask the sender.example.com administrator to publish SPF and "
         "DKIM for this mail."},
        {"dsn-no-status.eml", "n1126.l2e6.0014@sender.example.com", NULL, "relay2.example.net",
         NULL, "550 Requested action not taken: mailbox unavailable"},
        {"dsn-mailbox-full-552.eml", "n1126.m5l1.0015@sender.example.com", NULL, "mx1.example.net",
         "mallory@example.net", "552 5.2.2 Mailbox full / over quota"},
    };
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        size_t len;
        g_autofree char *data = read_fixture(cases[i].file, &len);
        g_autoptr(mxb_report) rep = parse_exact(data, len, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += check_str(cases[i].file, "orig_message_id", rep->orig_message_id,
                              cases[i].orig_message_id);
        failures += check_str(cases[i].file, "envelope_id", rep->envelope_id, cases[i].envelope_id);
        failures +=
            check_str(cases[i].file, "reporting_mta", r->reporting_mta, cases[i].reporting_mta);
        failures += check_str(cases[i].file, "original_recipient", r->original_recipient,
                              cases[i].original_recipient);
        failures += check_str(cases[i].file, "diagnostic", r->diagnostic, cases[i].diagnostic);
    }
    assert_int_equal(failures, 0);
}

/*
 * Reports built in memory.
 */

/* recipients_body - a delivery-status body with n failed recipients */
static char *recipients_body(unsigned n)
{
    GString *s = g_string_new("Reporting-MTA: dns; mx.example.net\n");

    for (unsigned i = 1; i <= n; i++)
        g_string_append_printf(s,
                               "\nFinal-Recipient: rfc822; u%u@example.net\n"
                               "Action: failed\n"
                               "Status: 5.1.1\n"
                               "Diagnostic-Code: smtp; 550 5.1.1 user unknown\n",
                               i);
    return g_string_free(s, FALSE);
}

/* report_entity - a multipart/report entity (Content-Type and body)
 * around a delivery-status body, base64-encoded if asked: then the raw
 * bytes hold no "Final-Recipient:" line for the text fallback to find */
static char *report_entity(const char *status_body, size_t len, gboolean base64)
{
    g_autofree char *b64 = base64 ? g_base64_encode((const guchar *)status_body, len) : NULL;
    GString *s = g_string_new(NULL);

    g_string_append(s, "Content-Type: multipart/report; report-type=delivery-status;\n"
                       "\tboundary=\"rpt\"\n"
                       "\n"
                       "--rpt\n"
                       "Content-Type: text/plain; charset=us-ascii\n"
                       "\n"
                       "Your message could not be delivered.\n"
                       "\n"
                       "--rpt\n"
                       "Content-Type: message/delivery-status\n");
    if (base64) {
        g_string_append(s, "Content-Transfer-Encoding: base64\n\n");
        size_t n = strlen(b64);
        for (size_t i = 0; i < n; i += 76)
            g_string_append_printf(s, "%.76s\n", b64 + i);
    } else {
        g_string_append(s, "\n");
        g_string_append_len(s, status_body, (gssize)len);
    }
    g_string_append(s, "\n--rpt--\n");
    return g_string_free(s, FALSE);
}

/* daemon_message - entity with the headers of a mailer-daemon report */
static char *daemon_message(const char *entity)
{
    return g_strconcat("From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\n"
                       "To: b+tok@bounces.example.com\n"
                       "Subject: Undelivered Mail Returned to Sender\n"
                       "MIME-Version: 1.0\n",
                       entity, NULL);
}

/* report_message - a complete DSN with n recipients */
static char *report_message(unsigned n, gboolean base64)
{
    g_autofree char *body = recipients_body(n);
    g_autofree char *entity = report_entity(body, strlen(body), base64);

    return daemon_message(entity);
}

/* parse_str - parse a NUL-terminated message from an exact-size copy */
static mxb_report *parse_str(const char *msg, const mxb_limits *limits)
{
    return parse_exact(msg, strlen(msg), limits);
}

/* first_is - the report's first result has this kind and recipient;
 * the number of mismatches */
static int first_is(const char *label, const mxb_report *rep, const char *kind,
                    const char *recipient)
{
    const mxb_result *r = g_ptr_array_index(rep->results, 0);

    return check_str(label, "kind", mxb_kind_name(r->kind), kind) +
           check_str(label, "recipient", r->recipient, recipient);
}

/* test_system_senders - a From that names a mail system (or a content
 * filter) marks a notice whose subject and envelope say nothing; a
 * person's From does not */
static void test_system_senders(void **state)
{
    static const struct {
        const char *from, *kind, *recipient;
    } cases[] = {
        {"MAILER-DAEMON@gw.example.org", "bounce", "zoe@example.org"},
        {"Mailer_Daemon <x@gw.example.org>", "bounce", "zoe@example.org"},
        {"postmaster@gw.example.org", "bounce", "zoe@example.org"},
        {"Post_Master <x@gw.example.org>", "bounce", "zoe@example.org"},
        {"Mail Delivery Service <x@gw.example.org>", "bounce", "zoe@example.org"},
        {"Mail Administrator <x@gw.example.org>", "bounce", "zoe@example.org"},
        {"Mail System <x@gw.example.org>", "bounce", "zoe@example.org"},
        {"Mail Delivery Subsystem <x@gw.example.org>", "bounce", "zoe@example.org"},
        {"MDaemon <x@gw.example.org>", "bounce", "zoe@example.org"},
        {"AntiVirus Gateway <av@gw.example.org>", "bounce", "zoe@example.org"},
        {"Anti-Virus <av@gw.example.org>", "bounce", "zoe@example.org"},
        {"MailScanner <scanner@gw.example.org>", "bounce", "zoe@example.org"},
        {"Yann Person <yann@example.net>", "not_bounce", NULL},
    };
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg =
            g_strdup_printf("From: %s\nTo: b+tok@bounces.example.com\nSubject: Message notice\n\n"
                            "The message you sent to zoe@example.org was rejected because it\n"
                            "contained a virus. It has not been delivered.\n",
                            cases[i].from);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        failures += first_is(cases[i].from, rep, cases[i].kind, cases[i].recipient);
    }
    assert_int_equal(failures, 0);
}

/* recipients_ok - results u1..un, all user_unknown */
static int recipients_ok(const char *label, const mxb_report *rep, unsigned n)
{
    int failures = check_int(label, "results", rep->results->len, n);

    for (guint i = 0; i < rep->results->len; i++) {
        const mxb_result *r = g_ptr_array_index(rep->results, i);
        g_autofree char *want = g_strdup_printf("u%u@example.net", i + 1);
        g_autofree char *l = g_strdup_printf("%s[%u]", label, i);
        failures += check_str(l, "recipient", r->recipient, want);
        failures += check_str(l, "reason", mxb_reason_name(r->reason), "user_unknown");
    }
    return failures;
}

/* test_limit_recipients - max_recipients at the limit and one past */
static void test_limit_recipients(void **state)
{
    static const struct {
        unsigned max, n;
        unsigned want_n;
        unsigned want_flags;
    } cases[] = {
        {1, 1, 1, 0},
        {1, 2, 1, MXB_REPORT_TRUNCATED_RECIPIENTS},
        {5, 5, 5, 0},
        {5, 6, 5, MXB_REPORT_TRUNCATED_RECIPIENTS},
        {5, 40, 5, MXB_REPORT_TRUNCATED_RECIPIENTS},
        {MXB_DEFAULT_MAX_RECIPIENTS, MXB_DEFAULT_MAX_RECIPIENTS, MXB_DEFAULT_MAX_RECIPIENTS, 0},
        {MXB_DEFAULT_MAX_RECIPIENTS, MXB_DEFAULT_MAX_RECIPIENTS + 1, MXB_DEFAULT_MAX_RECIPIENTS,
         MXB_REPORT_TRUNCATED_RECIPIENTS},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        g_autofree char *label =
            g_strdup_printf("max_recipients %u, %u recipients", cases[i].max, cases[i].n);
        g_autofree char *msg = report_message(cases[i].n, FALSE);
        mxb_limits_default(&lim);
        lim.max_recipients = cases[i].max;
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        failures += recipients_ok(label, rep, cases[i].want_n);
        failures += check_int(label, "flags", rep->flags, cases[i].want_flags);
        failures += check_int(label, "problem set", rep->problem != NULL, cases[i].want_flags != 0);
    }
    assert_int_equal(failures, 0);
}

/* nested_message - the report inside k message/rfc822 wrappers */
static char *nested_message(unsigned k, gboolean base64)
{
    char *msg = report_message(1, base64);

    for (unsigned i = 0; i < k; i++) {
        char *outer = g_strdup_printf("From: gateway%u@example.org\n"
                                      "To: b+tok@bounces.example.com\n"
                                      "Subject: Fwd: report %u\n"
                                      "MIME-Version: 1.0\n"
                                      "Content-Type: message/rfc822\n"
                                      "\n"
                                      "%s",
                                      i, i, msg);
        g_free(msg);
        msg = outer;
    }
    return msg;
}

/* run_depth - the depth limit cases on nested messages */
static int run_depth(gboolean base64)
{
    /* The multipart/report inside k wrappers is walked at depth k. */
    static const struct {
        unsigned max_depth, k;
        gboolean found;
    } cases[] = {
        {0, 0, TRUE},
        {0, 1, FALSE},
        {1, 1, TRUE},
        {1, 2, FALSE},
        {3, 3, TRUE},
        {3, 4, FALSE},
        {3, 9, FALSE},
        /* the default, and one past it */
        {MXB_DEFAULT_MAX_DEPTH, MXB_DEFAULT_MAX_DEPTH, TRUE},
        {MXB_DEFAULT_MAX_DEPTH, MXB_DEFAULT_MAX_DEPTH + 1, FALSE},
        /* deeply nested: stopped, not walked */
        {MXB_DEFAULT_MAX_DEPTH, 2000, FALSE},
    };
    int failures = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        g_autofree char *label = g_strdup_printf("max_depth %u, %u wrappers%s", cases[i].max_depth,
                                                 cases[i].k, base64 ? "" : ", plain status part");
        g_autofree char *msg = nested_message(cases[i].k, base64);
        mxb_limits_default(&lim);
        lim.max_depth = cases[i].max_depth;
        lim.max_structure_lines = 1000000; /* the depth limit alone */
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += check_int(label, "results", rep->results->len, 1);
        failures +=
            check_str(label, "recipient", r->recipient, cases[i].found ? "u1@example.net" : NULL);
        failures +=
            check_int(label, "flags", rep->flags, cases[i].found ? 0 : MXB_REPORT_TRUNCATED_PARTS);
    }
    return failures;
}

/* test_limit_depth - max_depth at the limit and one past (base64 status
 * part, so only the MIME walk can find the recipient) */
static void test_limit_depth(void **state)
{
    (void)state;
    assert_int_equal(run_depth(TRUE), 0);
}

/* mixed_message - multipart/mixed with k text parts, then the report */
static char *mixed_message(unsigned k, gboolean base64)
{
    g_autofree char *body = recipients_body(1);
    g_autofree char *entity = report_entity(body, strlen(body), base64);
    GString *s = g_string_new("From: gateway@example.org\n"
                              "To: b+tok@bounces.example.com\n"
                              "Subject: Fwd: report\n"
                              "MIME-Version: 1.0\n"
                              "Content-Type: multipart/mixed; boundary=\"mix\"\n"
                              "\n");

    for (unsigned i = 0; i < k; i++)
        g_string_append_printf(s, "--mix\nContent-Type: text/plain\n\npart %u\n\n", i);
    g_string_append_printf(s, "--mix\n%s\n--mix--\n", entity);
    return g_string_free(s, FALSE);
}

/* run_parts - the parts limit cases on multipart/mixed messages */
static int run_parts(gboolean base64)
{
    /* Parts visited: the mixed (1), k text parts, the report (1) and its
     * status part (1): the status part is part k + 3. */
    static const struct {
        unsigned max_parts, k;
        gboolean found;
    } cases[] = {
        {3, 0, TRUE},
        {2, 0, FALSE},
        {8, 5, TRUE},
        {7, 5, FALSE},
        {6, 5, FALSE},
        {103, 100, TRUE},
        {102, 100, FALSE},
        /* the default, and one past it */
        {MXB_DEFAULT_MAX_PARTS, MXB_DEFAULT_MAX_PARTS - 3, TRUE},
        {MXB_DEFAULT_MAX_PARTS, MXB_DEFAULT_MAX_PARTS - 2, FALSE},
        /* many parts: the walk stops at the limit */
        {MXB_DEFAULT_MAX_PARTS, 20000, FALSE},
    };
    int failures = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        g_autofree char *label =
            g_strdup_printf("max_parts %u, %u text parts%s", cases[i].max_parts, cases[i].k,
                            base64 ? "" : ", plain status part");
        g_autofree char *msg = mixed_message(cases[i].k, base64);
        mxb_limits_default(&lim);
        lim.max_parts = cases[i].max_parts;
        lim.max_structure_lines = 1000000; /* the parts limit alone */
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += check_int(label, "results", rep->results->len, 1);
        failures +=
            check_str(label, "recipient", r->recipient, cases[i].found ? "u1@example.net" : NULL);
        failures +=
            check_int(label, "flags", rep->flags, cases[i].found ? 0 : MXB_REPORT_TRUNCATED_PARTS);
    }
    return failures;
}

/* test_limit_parts - max_parts at the limit and one past (base64 status
 * part, so only the MIME walk can find the recipient) */
static void test_limit_parts(void **state)
{
    (void)state;
    assert_int_equal(run_parts(TRUE), 0);
}

/*
 * test_limit_text_fallback_regression - SUSPECTED BUG (limit bypass): when the
 * walk stops at max_depth or max_parts and so finds no status part,
 * mxb_report_parse() falls back to embedded_status() on the raw bytes,
 * which finds the cut-off report's "Final-Recipient:" lines anyway. The
 * flag is set, but the recipient one past the limit is still reported
 * (from a heuristic path the limits were meant to keep hostile structure
 * away from).
 */
static void test_limit_text_fallback_regression(void **state)
{
    (void)state;
    assert_int_equal(run_depth(FALSE) + run_parts(FALSE), 0);
}

/* test_limit_text - a plain-text report is read up to MXB_TEXT_MAX bytes:
 * an address that ends exactly there is found, one byte later it is cut
 * ("zed@example.i" is no address) */
static void test_limit_text(void **state)
{
    static const char head[] = "From: MAILER-DAEMON@mx.example.net\n"
                               "To: b+tok@bounces.example.com\n"
                               "Subject: Undelivered Mail Returned to Sender\n"
                               "Content-Type: text/plain; charset=us-ascii\n"
                               "\n";
    static const char addr[] = "zed@example.io";
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    for (size_t extra = 0; extra <= 1; extra++) {
        GString *m = g_string_new(head);
        size_t filler = MXB_TEXT_MAX - strlen(addr) + extra;
        for (size_t i = 0; i < filler; i++)
            g_string_append_c(m, i % 64 == 63 || i + 1 == filler ? '\n' : 'x');
        g_string_append(m, addr);
        g_string_append(m, "\n550 5.1.1 User unknown\n");
        g_autofree char *msg = g_string_free(m, FALSE);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        const char *label = extra ? "text one past the limit" : "text at the limit";
        failures += check_int(label, "results", rep->results->len, 1);
        failures += check_str(label, "recipient", r->recipient, extra ? NULL : addr);
        failures += check_int(label, "kind", r->kind, MXB_KIND_BOUNCE);
    }
    assert_int_equal(failures, 0);
}

/* test_limit_message - max_message at the input length and one below */
static void test_limit_message(void **state)
{
    g_autofree char *msg = report_message(1, FALSE);
    size_t len = strlen(msg);
    static const struct {
        int delta; /* max_message = len + delta */
        unsigned want_flags;
    } cases[] = {
        {+1, 0},
        {0, 0},
        {-1, MXB_REPORT_TRUNCATED_INPUT},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        g_autofree char *label = g_strdup_printf("max_message len%+d", cases[i].delta);
        mxb_limits_default(&lim);
        lim.max_message = (size_t)((long)len + cases[i].delta);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += check_int(label, "flags", rep->flags, cases[i].want_flags);
        failures += check_int(label, "problem set", rep->problem != NULL, cases[i].want_flags != 0);
        /* The cut is at the last newline: the recipient is still there. */
        failures += check_str(label, "recipient", r->recipient, "u1@example.net");
    }

    /* Cut in the headers: nothing past max_message is looked at. */
    mxb_limits lim;
    mxb_limits_default(&lim);
    lim.max_message = 10;
    g_autoptr(mxb_report) rep = parse_str(msg, &lim);
    failures += check_int("max_message 10", "flags", rep->flags & MXB_REPORT_TRUNCATED_INPUT,
                          MXB_REPORT_TRUNCATED_INPUT);
    failures += check_int("max_message 10", "results", rep->results->len, 1);
    failures +=
        check_str("max_message 10", "recipient",
                  ((const mxb_result *)g_ptr_array_index(rep->results, 0))->recipient, NULL);
    assert_int_equal(failures, 0);
}

/* diag_message - one recipient whose diagnostic text is exactly n bytes */
static char *diag_message(size_t n)
{
    const char *head = "550 5.1.1 user unknown ";
    GString *diag = g_string_new(head);
    g_autofree char *body = NULL;
    g_autofree char *entity = NULL;

    while (diag->len < n)
        g_string_append_c(diag, (char)('a' + diag->len % 26));
    g_string_truncate(diag, n);
    body = g_strdup_printf("Reporting-MTA: dns; mx.example.net\n"
                           "\n"
                           "Final-Recipient: rfc822; u1@example.net\n"
                           "Action: failed\n"
                           "Status: 5.1.1\n"
                           "Diagnostic-Code: smtp; %s\n",
                           diag->str);
    g_string_free(diag, TRUE);
    entity = report_entity(body, strlen(body), FALSE);
    return daemon_message(entity);
}

/* test_limit_diagnostic - max_diagnostic at the limit and one past */
static void test_limit_diagnostic(void **state)
{
    static const struct {
        size_t max, n;
        size_t want_len;
        unsigned want_flags;
    } cases[] = {
        {40, 40, 40, 0},
        {40, 41, 40, MXB_REPORT_TRUNCATED_FIELD},
        {40, 39, 39, 0},
        {MXB_DEFAULT_MAX_DIAGNOSTIC, MXB_DEFAULT_MAX_DIAGNOSTIC, MXB_DEFAULT_MAX_DIAGNOSTIC, 0},
        {MXB_DEFAULT_MAX_DIAGNOSTIC, MXB_DEFAULT_MAX_DIAGNOSTIC + 1, MXB_DEFAULT_MAX_DIAGNOSTIC,
         MXB_REPORT_TRUNCATED_FIELD},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        g_autofree char *label =
            g_strdup_printf("max_diagnostic %zu, %zu bytes", cases[i].max, cases[i].n);
        g_autofree char *msg = diag_message(cases[i].n);
        mxb_limits_default(&lim);
        lim.max_diagnostic = cases[i].max;
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += check_int(label, "results", rep->results->len, 1);
        failures += check_int(label, "diagnostic length", r->diagnostic ? strlen(r->diagnostic) : 0,
                              cases[i].want_len);
        failures += check_int(label, "flags", rep->flags, cases[i].want_flags);
        failures += check_str(label, "reason", mxb_reason_name(r->reason), "user_unknown");
        failures += check_int(label, "smtp_code", r->smtp_code, 550);
    }
    assert_int_equal(failures, 0);
}

/* test_limit_status_part - max_status_part at the decoded size and one
 * below, and at the default and one past */
static void test_limit_status_part(void **state)
{
    g_autofree char *body = recipients_body(2);
    size_t len = strlen(body);
    static const struct {
        int delta; /* max_status_part = len + delta */
        unsigned want_flags;
    } cases[] = {
        {0, 0},
        {-1, MXB_REPORT_TRUNCATED_FIELD},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        g_autofree char *label = g_strdup_printf("max_status_part len%+d", cases[i].delta);
        /* base64: the decoded size is exactly len. */
        g_autofree char *entity = report_entity(body, len, TRUE);
        g_autofree char *msg = daemon_message(entity);
        mxb_limits_default(&lim);
        lim.max_status_part = (size_t)((long)len + cases[i].delta);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        failures += check_int(label, "flags", rep->flags, cases[i].want_flags);
        failures += check_int(label, "results", rep->results->len, 2);
    }
    /* At the default: the part padded with empty lines to 1 MiB, and one
     * byte more; decoding stops at the limit either way. */
    for (size_t extra = 0; extra <= 1; extra++) {
        mxb_limits lim;
        const char *label = extra ? "default max_status_part + 1" : "default max_status_part";
        GString *padded = g_string_new(body);
        while (padded->len < MXB_DEFAULT_MAX_STATUS_PART + extra)
            g_string_append_c(padded, '\n');
        g_autofree char *entity = report_entity(padded->str, padded->len, TRUE);
        g_autofree char *msg = daemon_message(entity);
        g_string_free(padded, TRUE);
        mxb_limits_default(&lim);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        failures += check_int(label, "flags", rep->flags, extra ? MXB_REPORT_TRUNCATED_FIELD : 0);
        failures += check_int(label, "results", rep->results->len, 2);
    }
    assert_int_equal(failures, 0);
}

/* test_limit_field - max_field applies to the DSN fields of a report */
static void test_limit_field(void **state)
{
    static const char body[] = "Reporting-MTA: dns; mx.example.net\n"
                               "\n"
                               "Final-Recipient: rfc822; u1@example.net\n"
                               "Action: failed\n"
                               "Status: 5.1.1\n"
                               "Remote-MTA: dns; a-rather-long-host-name.example.net\n";
    g_autofree char *entity = report_entity(body, sizeof body - 1, FALSE);
    g_autofree char *msg = daemon_message(entity);
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    lim.max_field = 30; /* the Remote-MTA value is 40 bytes */
    g_autoptr(mxb_report) rep = parse_str(msg, &lim);
    const mxb_result *r = g_ptr_array_index(rep->results, 0);
    failures += check_int("max_field 30", "flags", rep->flags, MXB_REPORT_TRUNCATED_FIELD);
    failures += check_str("max_field 30", "recipient", r->recipient, "u1@example.net");
    failures += check_int("max_field 30", "remote_mta within max",
                          r->remote_mta != NULL && strlen(r->remote_mta) <= 30, TRUE);
    assert_int_equal(failures, 0);
}

/* subject_field - a Subject field of exactly n bytes with its folded
 * lines ("Subject: xx...\n" then " 123456789\n" lines), n >= 32 */
static char *subject_field(size_t n)
{
    size_t k = (n - 21) / 11, a = n - 10 - 11 * k;
    GString *f = g_string_new("Subject: ");

    for (size_t i = 0; i < a; i++)
        g_string_append_c(f, 'x');
    g_string_append_c(f, '\n');
    for (size_t i = 0; i < k; i++)
        g_string_append(f, " 123456789\n");
    g_assert(f->len == n);
    return g_string_free(f, FALSE);
}

/* test_limit_header - max_header at a field's length, one and six past,
 * at a small limit and at the default; a single line past it is cut inside */
static void test_limit_header(void **state)
{
    static const struct {
        size_t max, n;
    } cases[] = {
        {1000, 1000},
        {1000, 1001},
        {1000, 1006},
        {MXB_DEFAULT_MAX_HEADER, MXB_DEFAULT_MAX_HEADER},
        {MXB_DEFAULT_MAX_HEADER, MXB_DEFAULT_MAX_HEADER + 1},
    };
    g_autofree char *body = recipients_body(1);
    g_autofree char *entity = report_entity(body, strlen(body), FALSE);
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        g_autofree char *label =
            g_strdup_printf("max_header %zu, field of %zu bytes", cases[i].max, cases[i].n);
        g_autofree char *field = subject_field(cases[i].n);
        g_autofree char *msg =
            g_strconcat(field, "From: MAILER-DAEMON@mx.example.net\n",
                        "To: b+tok@bounces.example.com\n", "MIME-Version: 1.0\n", entity, NULL);
        /* what is kept, unfolded: the first max bytes less the name and line ends */
        g_autofree char *kept = g_strndup(field + 9, MIN(cases[i].n, cases[i].max) - 9);
        GString *want = g_string_new(NULL);
        for (const char *c = kept; *c; c++)
            if (*c != '\n')
                g_string_append_c(want, *c);
        gboolean over = cases[i].n > cases[i].max;
        mxb_limits_default(&lim);
        lim.max_header = cases[i].max;
        lim.max_field = 1024 * 1024;
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        failures += check_int(label, "flags", rep->flags, over ? MXB_REPORT_TRUNCATED_FIELD : 0);
        failures +=
            check_str(label, "problem", rep->problem, over ? "header field truncated" : NULL);
        failures += check_str(label, "subject", rep->subject, want->str);
        failures += check_int(label, "results", rep->results->len, 1);
        failures += check_str(label, "recipient",
                              ((const mxb_result *)g_ptr_array_index(rep->results, 0))->recipient,
                              "u1@example.net");
        g_string_free(want, TRUE);
    }

    /* One line, no folding: cut inside it, the next field still read. */
    mxb_limits lim;
    mxb_limits_default(&lim);
    lim.max_header = 1000;
    GString *m = g_string_new("X-Long: ");
    while (m->len < 5000)
        g_string_append_c(m, 'y');
    g_string_append(m, "\nFrom: MAILER-DAEMON@mx.example.net\nSubject: after\n"
                       "MIME-Version: 1.0\n");
    g_string_append(m, entity);
    g_autofree char *msg = g_string_free(m, FALSE);
    g_autoptr(mxb_report) rep = parse_str(msg, &lim);
    failures += check_int("one long line", "flags", rep->flags, MXB_REPORT_TRUNCATED_FIELD);
    failures += check_str("one long line", "subject", rep->subject, "after");
    failures += check_str("one long line", "recipient",
                          ((const mxb_result *)g_ptr_array_index(rep->results, 0))->recipient,
                          "u1@example.net");
    assert_int_equal(failures, 0);
}

static size_t structure_lines(const char *msg);

/* base64_returned_headers - a DSN with this subject and status body whose
 * returned headers are in a base64 text/rfc822-headers part */
static char *base64_returned_headers(const char *subject, const char *status_body,
                                     const char *headers)
{
    g_autofree char *b64 = g_base64_encode((const guchar *)headers, strlen(headers));
    GString *m = g_string_new(NULL);

    g_string_append_printf(m,
                           "From: MAILER-DAEMON@mx.example.net\nSubject: %s\n"
                           "MIME-Version: 1.0\n"
                           "Content-Type: multipart/report; report-type=delivery-status;\n"
                           "\tboundary=\"rpt\"\n\n--rpt\nContent-Type: message/delivery-status\n\n",
                           subject);
    g_string_append(m, status_body);
    g_string_append(m, "\n--rpt\nContent-Type: text/rfc822-headers\n"
                       "Content-Transfer-Encoding: base64\n\n");
    for (size_t i = 0; i < strlen(b64); i += 76)
        g_string_append_printf(m, "%.76s\n", b64 + i);
    g_string_append(m, "\n--rpt--\n");
    return g_string_free(m, FALSE);
}

/* colons_field - "NAME: " and a value of n "a:" (n colons) and a last
 * "a", then a line end */
static char *colons_field(const char *name, size_t n)
{
    GString *f = g_string_new(name);

    g_string_append(f, ": ");
    for (size_t i = 0; i < n; i++)
        g_string_append(f, "a:");
    g_string_append(f, "a\n");
    return g_string_free(f, FALSE);
}

/* test_limit_colons - MXB_FIELD_COLONS_MAX colons in an address field's
 * value, and one past: the value is cut before the colon one past (other
 * fields keep theirs); a field past max_header too is noted for the limit
 * that cut it; groups nested 45,000 deep in an address field (past GMime's
 * stack before the limit), in the message's header and in returned
 * headers only base64 shows */
static void test_limit_colons(void **state)
{
    g_autofree char *body = recipients_body(1);
    g_autofree char *entity = report_entity(body, strlen(body), FALSE);
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    lim.max_field = 1024 * 1024;
    failures += check_int("no colon", "cut", (int)mxb_colon_cut("abc", 3), 3);
    for (size_t n = MXB_FIELD_COLONS_MAX; n <= MXB_FIELD_COLONS_MAX + 1; n++) {
        g_autofree char *label = g_strdup_printf("a value of %zu colons", n);
        g_autofree char *cc = colons_field("Cc", n);
        g_autofree char *subject = colons_field("Subject", n);
        size_t vlen = strlen(cc) - 5; /* "Cc: " and the line end */
        gboolean over = n > MXB_FIELD_COLONS_MAX;
        failures += check_int(label, "cut", (int)mxb_colon_cut(cc + 4, vlen),
                              over ? 2 * MXB_FIELD_COLONS_MAX + 1 : (int)vlen);
        g_autofree char *msg =
            g_strconcat(cc, subject, "From: MAILER-DAEMON@mx.example.net\n",
                        "To: b+tok@bounces.example.com\n", "MIME-Version: 1.0\n", entity, NULL);
        g_autofree char *want = g_strndup(subject + 9, strlen(subject) - 10);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        failures += check_int(label, "flags", rep->flags, over ? MXB_REPORT_TRUNCATED_FIELD : 0);
        failures += check_str(label, "problem", rep->problem,
                              over ? "header field truncated at colon limit" : NULL);
        failures += check_str(label, "subject, not an address field", rep->subject, want);
        failures += check_int(label, "results", rep->results->len, 1);
    }
    /* Past max_header as well: the colon limit cut first, and says so. */
    {
        mxb_limits small = lim;
        small.max_header = 4000;
        g_autofree char *field = colons_field("Cc", MXB_FIELD_COLONS_MAX + 1);
        GString *cc = g_string_new(field);
        g_string_truncate(cc, cc->len - 1);
        for (int i = 0; i < 5000; i++)
            g_string_append_c(cc, 'x');
        g_autofree char *msg =
            g_strconcat(cc->str, "\nFrom: MAILER-DAEMON@mx.example.net\nSubject: both\n",
                        "MIME-Version: 1.0\n", entity, NULL);
        g_string_free(cc, TRUE);
        g_autoptr(mxb_report) rep = parse_str(msg, &small);
        failures += check_str("both limits", "problem", rep->problem,
                              "header field truncated at colon limit");
        failures += check_str("both limits", "subject", rep->subject, "both");
    }
    /* The other order: max_header reached before the colon one past. */
    {
        mxb_limits small = lim;
        small.max_header = 4000;
        GString *cc = g_string_new("Cc: ");
        for (int i = 0; i < 5000; i++)
            g_string_append_c(cc, 'x');
        g_autofree char *field = colons_field("", MXB_FIELD_COLONS_MAX + 1);
        g_string_append(cc, field + 2); /* without ": " */
        g_autofree char *msg =
            g_strconcat(cc->str, "From: MAILER-DAEMON@mx.example.net\nSubject: header\n",
                        "MIME-Version: 1.0\n", entity, NULL);
        g_string_free(cc, TRUE);
        g_autoptr(mxb_report) rep = parse_str(msg, &small);
        failures +=
            check_str("max_header first", "problem", rep->problem, "header field truncated");
        failures += check_str("max_header first", "subject", rep->subject, "header");
    }

    /* To: g:g:g:...: 45,000 groups, 90 KB, under max_header. */
    GString *groups = g_string_new("To: ");
    for (int i = 0; i < 45000; i++)
        g_string_append(groups, "g:");
    g_string_append(groups, "x@example.org\n");
    g_autofree char *msg = g_strconcat(groups->str, "From: MAILER-DAEMON@mx.example.net\n",
                                       "Subject: deep\n", "MIME-Version: 1.0\n", entity, NULL);
    g_autoptr(mxb_report) rep = parse_str(msg, &lim);
    failures += check_int("groups in To:", "flags", rep->flags, MXB_REPORT_TRUNCATED_FIELD);
    failures += check_str("groups in To:", "subject", rep->subject, "deep");
    failures += check_str("groups in To:", "recipient",
                          ((const mxb_result *)g_ptr_array_index(rep->results, 0))->recipient,
                          "u1@example.net");

    /* The same in returned headers that only base64 shows. */
    g_string_append(groups, "Message-ID: <returned@example.com>\n");
    g_autofree char *msg2 = base64_returned_headers("returned", body, groups->str);
    g_autoptr(mxb_report) rep2 = parse_str(msg2, &lim);
    failures +=
        check_int("groups in returned headers", "flags", rep2->flags, MXB_REPORT_TRUNCATED_FIELD);
    failures += check_str("groups in returned headers", "orig_message_id", rep2->orig_message_id,
                          "returned@example.com");
    g_string_free(groups, TRUE);

    /* Returned headers past max_structure_lines (101 field lines, the
     * Message-ID last) where the message itself is not: cut, and said. */
    GString *hdrs = g_string_new(NULL);
    for (int i = 0; i < 100; i++)
        g_string_append_printf(hdrs, "X-H%d: v\n", i);
    g_string_append(hdrs, "Message-ID: <last@example.com>\n");
    g_autofree char *msg3 = base64_returned_headers("many", body, hdrs->str);
    g_string_free(hdrs, TRUE);
    assert_true(structure_lines(msg3) < 100);
    for (size_t max = 100; max <= 101; max++) {
        g_autofree char *label = g_strdup_printf("101 returned header lines, limit %zu", max);
        mxb_limits few = lim;
        few.max_structure_lines = max;
        g_autoptr(mxb_report) rep3 = parse_str(msg3, &few);
        gboolean over = max < 101;
        failures += check_int(label, "flags", rep3->flags, over ? MXB_REPORT_TRUNCATED_FIELD : 0);
        failures += check_str(label, "problem", rep3->problem,
                              over ? "returned headers truncated at structure limit" : NULL);
        failures += check_str(label, "orig_message_id", rep3->orig_message_id,
                              over ? NULL : "last@example.com");
    }
    assert_int_equal(failures, 0);
}

/* structure_lines - header fields and boundary lines of msg, counted here
 * with a regex, apart from the parser's own loop */
static size_t structure_lines(const char *msg)
{
    g_autoptr(GRegex) re =
        g_regex_new("^(--|[^ \\t:\\n][^ \\t:\\n]*[ \\t]*:)", G_REGEX_MULTILINE, 0, NULL);
    g_autoptr(GMatchInfo) mi = NULL;
    size_t n = 0;

    for (g_regex_match(re, msg, 0, &mi); g_match_info_matches(mi); g_match_info_next(mi, NULL))
        n++;
    return n;
}

/* test_limit_structure - max_structure_lines at a message's count of
 * header fields and boundary lines, and one past: the message is cut
 * before the line one past (here in the epilogue, after the report) */
static void test_limit_structure(void **state)
{
    g_autofree char *base = report_message(1, TRUE);
    size_t have = structure_lines(base);
    static const struct {
        size_t max;
        int extra; /* fields added in the epilogue: max - have + extra */
    } cases[] = {
        {100, 0},
        {100, 1},
        {MXB_DEFAULT_MAX_STRUCTURE_LINES, 0},
        {MXB_DEFAULT_MAX_STRUCTURE_LINES, 1},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        g_autofree char *label =
            g_strdup_printf("max_structure_lines %zu, %+d", cases[i].max, cases[i].extra);
        GString *m = g_string_new(base);
        for (long k = 0; k < (long)(cases[i].max - have) + cases[i].extra; k++)
            g_string_append(m, "X-Epilogue: v\n");
        g_autofree char *msg = g_string_free(m, FALSE);
        g_assert(structure_lines(msg) == cases[i].max + (size_t)cases[i].extra);
        mxb_limits_default(&lim);
        lim.max_structure_lines = cases[i].max;
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        failures += check_int(label, "flags", rep->flags,
                              cases[i].extra > 0 ? MXB_REPORT_TRUNCATED_INPUT : 0);
        failures += check_str(label, "problem", rep->problem,
                              cases[i].extra > 0 ? "message truncated at structure limit" : NULL);
        failures += check_int(label, "results", rep->results->len, 1);
        failures += check_str(label, "recipient",
                              ((const mxb_result *)g_ptr_array_index(rep->results, 0))->recipient,
                              "u1@example.net");
    }

    /* 10 MB of "X: v" lines: cut after the limit, a result all the same */
    mxb_limits lim;
    mxb_limits_default(&lim);
    GString *m = g_string_new("From: a@example.org\n");
    while (m->len < 10 * 1000 * 1000)
        g_string_append(m, "X: v\n");
    g_string_append(m, "\nbody\n");
    g_autofree char *msg = g_string_free(m, FALSE);
    g_autoptr(mxb_report) rep = parse_str(msg, &lim);
    failures += check_int("2M header fields", "flags", rep->flags, MXB_REPORT_TRUNCATED_INPUT);
    failures += check_int("2M header fields", "results", rep->results->len, 1);
    assert_int_equal(failures, 0);
}

/* test_empty_input - length 0: one unparseable result, also without a
 * buffer at all (an empty file read into a GByteArray has none) */
static void test_empty_input(void **state)
{
    mxb_limits lim;

    (void)state;
    mxb_limits_default(&lim);
    for (int i = 0; i < 2; i++) {
        mxb_report *rep = NULL;
        assert_int_equal(mxb_report_parse(&rep, i == 0 ? "" : NULL, 0, &lim), 0);
        assert_non_null(rep);
        assert_int_equal(rep->results->len, 1);
        assert_int_equal(((mxb_result *)g_ptr_array_index(rep->results, 0))->kind,
                         MXB_KIND_UNPARSEABLE);
        assert_non_null(rep->problem);
        mxb_report_free(rep);
    }
    mxb_report_free(NULL); /* fine */
}

/* test_odd_inputs - inputs without a usable structure still give a report */
static void test_odd_inputs(void **state)
{
    static const struct {
        const char *label;
        const char *in;
        mxb_kind kind;
    } cases[] = {
        {"one newline", "\n", MXB_KIND_UNPARSEABLE},
        {"mbox line only", "From MAILER-DAEMON Thu Nov 26 03:20:00 2026\n", MXB_KIND_UNPARSEABLE},
        {"header only", "Subject: hello", MXB_KIND_NOT_BOUNCE},
        {"daemon without report", "From: MAILER-DAEMON@mx.example.net\nSubject: x\n\nsorry\n",
         MXB_KIND_BOUNCE},
        {"auto reply", "From: a@example.net\nAuto-Submitted: auto-replied\n\naway\n",
         MXB_KIND_AUTO_REPLY},
        {"exchange inbox rule reply",
         "From: a@example.net\nX-Auto-Response-Suppress: All\n"
         "X-MS-Exchange-Inbox-Rules-Loop: a@example.net\n\naway\n",
         MXB_KIND_AUTO_REPLY},
        {"exchange inbox rule, oof among others",
         "From: a@example.net\nX-Auto-Response-Suppress: DR, OOF\n"
         "X-MS-Exchange-Inbox-Rules-Loop: a@example.net\n\naway\n",
         MXB_KIND_AUTO_REPLY},
        {"exchange inbox rule headers on a null sender's failure report",
         "Return-Path: <>\nFrom: Microsoft Outlook <amy@example.net>\nSubject: Delivery notice\n"
         "X-Auto-Response-Suppress: All\nX-MS-Exchange-Inbox-Rules-Loop: amy@example.net\n\n"
         "Delivery has failed to these recipients or groups:\n\namy@example.net\n"
         "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'\n",
         MXB_KIND_BOUNCE},
        {"exchange inbox rule alone (a forward)",
         "From: a@example.net\nX-MS-Exchange-Inbox-Rules-Loop: a@example.net\n\nhello\n",
         MXB_KIND_NOT_BOUNCE},
        {"auto-response suppress alone",
         "From: a@example.net\nX-Auto-Response-Suppress: All\n\nhello\n", MXB_KIND_NOT_BOUNCE},
        {"exchange inbox rule, read receipts only",
         "From: a@example.net\nX-Auto-Response-Suppress: RN, NRN\n"
         "X-MS-Exchange-Inbox-Rules-Loop: a@example.net\n\nhello\n",
         MXB_KIND_NOT_BOUNCE},
        {"empty delivery-status",
         "From: MAILER-DAEMON@mx.example.net\nMIME-Version: 1.0\n"
         "Content-Type: message/delivery-status\n\n",
         MXB_KIND_BOUNCE},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        mxb_limits_default(&lim);
        g_autoptr(mxb_report) rep = parse_str(cases[i].in, &lim);
        failures += check_int(cases[i].label, "results", rep->results->len, 1);
        failures +=
            check_str(cases[i].label, "kind",
                      mxb_kind_name(((const mxb_result *)g_ptr_array_index(rep->results, 0))->kind),
                      mxb_kind_name(cases[i].kind));
    }
    assert_int_equal(failures, 0);
}

/* test_auto_reply_subjects - out-of-office subjects without RFC 3834
 * headers, in the languages auto_reply_subject[] knows; a reply is not */
static void test_auto_reply_subjects(void **state)
{
    static const struct {
        const char *subject; /* RFC 2047 where not ASCII */
        mxb_kind kind;
    } cases[] = {
        {"Automatic reply: November digest", MXB_KIND_AUTO_REPLY},
        {"Out of Office: November digest", MXB_KIND_AUTO_REPLY},
        {"Automatische Antwort: November digest", MXB_KIND_AUTO_REPLY},
        {"Abwesenheitsnotiz: November digest", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?q?R=C3=A9ponse_automatique_=3A_November_digest?=", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?q?Respuesta_autom=C3=A1tica=3A_November_digest?=", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?q?Resposta_autom=C3=A1tica=3A_November_digest?=", MXB_KIND_AUTO_REPLY},
        {"Risposta automatica: November digest", MXB_KIND_AUTO_REPLY},
        {"Automatisch antwoord: November digest", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?0JDQstGC0L7QvtGC0LLQtdGCOiBOb3ZlbWJlciBkaWdlc3Q=?=", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?44CQ6Ieq5YuV6L+U5L+h44CRTm92ZW1iZXIgZGlnZXN0?=", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?q?Automatyczna_odpowied=C5=BA=3A_November_digest?=", MXB_KIND_AUTO_REPLY},
        {"Automatiskt svar: November digest", MXB_KIND_AUTO_REPLY},
        {"Automatisk svar: November digest", MXB_KIND_AUTO_REPLY},
        {"Automaattinen vastaus: November digest", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?q?Automatick=C3=A1_odpov=C4=9B=C4=8F=3A_November_digest?=", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?q?Otomatik_yan=C4=B1t=3A_November_digest?=", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?6Ieq5Yqo5Zue5aSNOiBOb3ZlbWJlciBkaWdlc3Q=?=", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?7J6Q64+ZIO2ajOyLoDogTm92ZW1iZXIgZGlnZXN0?=", MXB_KIND_AUTO_REPLY},
        {"Auto: November digest", MXB_KIND_AUTO_REPLY},               /* Lotus Notes */
        {"Automatic Response: November digest", MXB_KIND_AUTO_REPLY}, /* Mailtraq */
        {"Autosvar: November digest", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?q?Fr=C3=A5nvaro=3A_November_digest?=", MXB_KIND_AUTO_REPLY},
        {"Fuori sede: November digest", MXB_KIND_AUTO_REPLY},
        {"Risposta Non al computer: November digest", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?6Ieq5Yqo562U5aSNOiBOb3ZlbWJlciBkaWdlc3Q=?=", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?q?Odpowied=C5=BA_automatyczna=3A_November_digest?=", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?q?Automatikus_v=C3=A1lasz=3A_November_digest?=", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?q?R=C4=83spuns_automat=3A_November_digest?=", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?0JDQstGC0L7QstGW0LTQv9C+0LLRltC00Yw6IE5vdmVtYmVyIGRpZ2VzdA==?=",
         MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?zpHPhc+Ez4zOvM6xz4TOtyDOsc+AzqzOvc+EzrfPg863OiBOb3ZlbWJlciBkaWdlc3Q=?=",
         MXB_KIND_AUTO_REPLY},
        /* Outlook's and list robots' prefixes in more languages */
        {"=?utf-8?b?16rXqdeV15HXlCDXkNeV15jXldee15jXmdeqOiBOb3ZlbWJlciBkaWdlc3Q=?=",
         MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?157Xoteg15Qt15DXldeY15XXnteY15k6IE5vdmVtYmVyIGRpZ2VzdA==?=",
         MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?157Xl9eV16Ug15zXntep16jXkzogTm92ZW1iZXIgZGlnZXN0?=", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?2LHYryDYqtmE2YLYp9im2Yo6IE5vdmVtYmVyIGRpZ2VzdA==?=", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?2KfZhNix2K8g2KfZhNiq2YTZgtin2KbZijogTm92ZW1iZXIgZGlnZXN0?=",
         MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?2LHYryDYotmE2Yo6IE5vdmVtYmVyIGRpZ2VzdA==?=", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?2K7Yp9ix2Kwg2KfZhNmF2YPYqtioOiBOb3ZlbWJlciBkaWdlc3Q=?=", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?2b7Yp9iz2K4g2K7ZiNiv2qnYp9ixOiBOb3ZlbWJlciBkaWdlc3Q=?=", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?0JDQstGC0L7QvNCw0YLQuNGH0LXQvSDQvtGC0LPQvtCy0L7RgDogTm92ZW1iZXIgZGlnZXN0?=",
         MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?0JDRg9GC0L7QvNCw0YLRgdC60Lgg0L7QtNCz0L7QstC+0YA6IE5vdmVtYmVyIGRpZ2VzdA==?=",
         MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?0JDQstGC0L7QvNCw0YLRgdC60Lgg0L7QtNCz0L7QstC+0YA6IE5vdmVtYmVyIGRpZ2VzdA==?=",
         MXB_KIND_AUTO_REPLY},
        {"Automatski odgovor: November digest", MXB_KIND_AUTO_REPLY},
        {"Samodejni odgovor: November digest", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?QXV0b21hdGlja8OhIG9kcG92ZcSPOiBOb3ZlbWJlciBkaWdlc3Q=?=", MXB_KIND_AUTO_REPLY},
        {"Automatinis atsakymas: November digest", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?QXV0b23EgXRpc2vEgSBhdGJpbGRlOiBOb3ZlbWJlciBkaWdlc3Q=?=", MXB_KIND_AUTO_REPLY},
        {"Automaatne vastus: November digest", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?UmVzcG9zdGEgYXV0b23DoHRpY2E6IE5vdmVtYmVyIGRpZ2VzdA==?=", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?VHLhuqMgbOG7nWkgVOG7sSDEkeG7mW5nOiBOb3ZlbWJlciBkaWdlc3Q=?=",
         MXB_KIND_AUTO_REPLY},
        {"Balasan Otomatis: November digest", MXB_KIND_AUTO_REPLY},
        {"Balasan Automatik: November digest", MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?4KS44KWN4KS14KSa4KS+4KSy4KS/4KSkIOCkieCkpOCljeCkpOCksDogTm92ZW1iZXIgZGlnZXN0?=",
         MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?4KS44KWN4KS14KSa4KS+4KSy4KS/4KSkIOCknOCkteCkvuCkrDogTm92ZW1iZXIgZGlnZXN0?=",
         MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?"
         "4LiV4Lit4Lia4LiB4Lil4Lix4Lia4Lit4Lix4LiV4LmC4LiZ4Lih4Lix4LiV4Li0OiBOb3ZlbWJlciBkaWdlc3Q=?"
         "=",
         MXB_KIND_AUTO_REPLY},
        {"=?utf-8?b?U2rDoWxmdmlya3Qgc3ZhcjogTm92ZW1iZXIgZGlnZXN0?=", MXB_KIND_AUTO_REPLY},
        {"Outomatiese antwoord: November digest", MXB_KIND_AUTO_REPLY},
        {"Erantzun automatikoa: November digest", MXB_KIND_AUTO_REPLY},
        {"Awtomatikong tugon: November digest", MXB_KIND_AUTO_REPLY},
        {"Martin Keller is out of the office.", MXB_KIND_AUTO_REPLY}, /* Lotus Notes */
        {"Who is out of the office this week?", MXB_KIND_NOT_BOUNCE},
        {"Automatic responses in the new helpdesk", MXB_KIND_NOT_BOUNCE},
        {"Re: November digest", MXB_KIND_NOT_BOUNCE},
        {"About the automatic reply", MXB_KIND_NOT_BOUNCE},
        {"Autumn: November digest", MXB_KIND_NOT_BOUNCE},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        mxb_limits_default(&lim);
        g_autofree char *msg = g_strdup_printf("From: Ivy <ivy@example.net>\n"
                                               "To: b+tok@bounces.example.com\n"
                                               "Subject: %s\n\nI am away until Monday.\n",
                                               cases[i].subject);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += check_str(cases[i].subject, "kind", mxb_kind_name(r->kind),
                              mxb_kind_name(cases[i].kind));
        if (cases[i].kind == MXB_KIND_AUTO_REPLY)
            failures += check_str(cases[i].subject, "recipient", r->recipient, "ivy@example.net");
    }
    assert_int_equal(failures, 0);
}

/* test_auto_generated - "Auto-Submitted: auto-generated" sent to our bounce
 * address is an automatic answer (a ticket system's); a mail system's
 * report with the same header is still a bounce; a challenge's subject
 * wins over it */
static void test_auto_generated(void **state)
{
    static const struct {
        const char *label, *from, *subject, *extra, *body, *kind, *recipient;
    } cases[] = {
        {"ticket system", "Support <support@help.example.net>", "[#48213] Request received",
         "Auto-Submitted: auto-generated\n", "Your request has been received.\n", "auto_reply",
         "support@help.example.net"},
        {"Sieve notification", "Notify <notify@help.example.net>", "New mail",
         "Auto-Submitted: auto-notified\n", "You have new mail.\n", "auto_reply",
         "notify@help.example.net"},
        {"without the header", "Support <support@help.example.net>", "[#48213] Request received",
         "", "Your request has been received.\n", "not_bounce", NULL},
        {"a mail system's report", "Mail Delivery System <MAILER-DAEMON@mx.example.net>",
         "Mail delivery failed", "Auto-Submitted: auto-generated\n",
         "<cy@example.org>: 550 5.1.1 user unknown\n", "bounce", "cy@example.org"},
        {"a challenge", "Lee <notify@screen.example.net>", "Request to join my Guest List",
         "Auto-Submitted: auto-generated\n", "Click the link to be added.\n", "challenge",
         "notify@screen.example.net"},
        {"a challenge by its body: add yourself", "Lee <notify@screen.example.net>", "Re: Hello",
         "Auto-Submitted: auto-generated\n",
         "Please add yourself to my Screen Guest List so your messages reach me.\n", "challenge",
         "notify@screen.example.net"},
        {"a challenge by its body: waitlisted", "Lee <notify@screen.example.net>", "Re: Hello",
         "Auto-Submitted: auto-generated\n", "Your message about \"Hello\" has been waitlisted.\n",
         "challenge", "notify@screen.example.net"},
        /* Words that name the product or the recipient's allowed list
         * need no mark of an automatic message (Bluebottle's have none) */
        {"a signed challenge, no marks", "lee@screen.example.net", "RE: Hello", "",
         "This account is protected by Bluebottle.  Please click on the\nfollowing link to "
         "have your address added to the recipient's allowed\nlist.\n",
         "challenge", "lee@screen.example.net"},
        {"the allowed list alone", "lee@screen.example.net", "RE: Hello", "",
         "Click below to be added to the recipient's approved senders list.\n", "challenge",
         "lee@screen.example.net"},
        {"a challenge's words across a line", "Lee <lee@screen.example.net>",
         "Your email requires verification", "Auto-Submitted: auto-replied\n",
         "The message you sent requires that you verify that you\nare a real live human being.\n",
         "challenge", "lee@screen.example.net"},
        {"only from approved senders, no marks", "lee@screen.example.net", "Re: Hello", "",
         "To control spam, I now allow incoming messages only from senders I have approved\n"
         "beforehand. Once I approve you, I will receive your original message.\n",
         "challenge", "lee@screen.example.net"},
        {"approving a schedule is no challenge", "Lee <lee@screen.example.net>", "Re: Hello",
         "Auto-Submitted: auto-replied\n",
         "I am away; your request will be answered once I approve your team's schedule.\n",
         "auto_reply", "lee@screen.example.net"},
        {"Amazon's auto-reply header", "Orders <no-reply@shop.example.net>", "RE: Hello",
         "X-Amazon-Auto-Reply: yes\n", "We received your message.\n", "auto_reply",
         "no-reply@shop.example.net"},
        {"unsigned words without marks: a person's mail", "lee@screen.example.net", "RE: Hello", "",
         "Please confirm your email address.\n", "not_bounce", NULL},
        {"a product's name alone: a person's mail", "pat@example.org", "Re: Your order", "",
         "A bluebottle stung me at the beach; my friends use Boxbe and Mailinblack.\n",
         "not_bounce", NULL},
        /* vacation(1)'s Precedence: with the null sender, an answer */
        {"the null sender and Precedence: bulk", "John <john@example.net>",
         "Thank you for your e-mail", "Return-Path: <>\nPrecedence: bulk\n",
         "I will endeavour to reply as soon as possible.\n", "auto_reply", "john@example.net"},
        {"Precedence: junk", "John <john@example.net>", "Thank you for your e-mail",
         "Return-Path: <>\nPrecedence: junk\n", "I will reply soon.\n", "auto_reply",
         "john@example.net"},
        {"Precedence: bulk under a sender: a newsletter", "News <news@example.net>", "Our news",
         "Return-Path: <news@example.net>\nPrecedence: bulk\n", "Hello.\n", "not_bounce", NULL},
        {"the null sender alone", "John <john@example.net>", "Thank you for your e-mail",
         "Return-Path: <>\n", "I will reply soon.\n", "not_bounce", NULL},
        /* responders' own headers */
        {"X-Autoresponder (OpenSRS)", "Ann <ann@example.net>", "Re: Hello",
         "X-Autoresponder: Will not send another autoreply for 86400 seconds\n", "Away.\n",
         "auto_reply", "ann@example.net"},
        {"X-AutoReply-From", "Ann <ann@example.net>", "Re: Hello",
         "X-AutoReply-From: ann@example.net\n", "Away.\n", "auto_reply", "ann@example.net"},
        {"X-Mail-Autoreply", "Ann <ann@example.net>", "Re: Hello", "X-Mail-Autoreply: yes\n",
         "Away.\n", "auto_reply", "ann@example.net"},
        {"CommuniGate's X-Autogenerated: Reply", "Ann <ann@example.net>", "Re: Hello",
         "X-Autogenerated: Reply\n", "Away.\n", "auto_reply", "ann@example.net"},
        {"CommuniGate's X-Autogenerated: Forward is no reply", "Ann <ann@example.net>", "Hello",
         "X-Autogenerated: Forward\n", "Hello.\n", "not_bounce", NULL},
        {"Mailtraq's message class", "Ann <ann@example.net>", "Re: Hello",
         "X-POST-MessageClass: 9; Autoresponder\n", "Away.\n", "auto_reply", "ann@example.net"},
        {"qmail's autoresponder", "Ann <ann@example.net>", "Re: Hello",
         "Delivered-To: Autoresponder\n", "Away.\n", "auto_reply", "ann@example.net"},
        /* postmaster's out of office under a subject in another language */
        {"postmaster's auto-reply, subject unknown", "Postmaster <postmaster@tenant.example.net>",
         "Poissaoloilmoitus: Hello", "Auto-Submitted: auto-replied\n",
         "I am out of the office this week.\n", "auto_reply", "postmaster@tenant.example.net"},
        {"postmaster's report is auto-replied too", "Postmaster <postmaster@tenant.example.net>",
         "Undeliverable: Hello", "Auto-Submitted: auto-replied\n",
         "Your message couldn't be delivered.\n", "bounce", NULL},
        {"MailGuard's hold for verification", "Mail Guard <guard@screen.example.net>",
         "Message on hold", "Auto-Submitted: auto-generated\n",
         "Your e-mail has been put on-hold and will be delivered to sales@screen.example.net "
         "upon your verification.\n",
         "challenge", "guard@screen.example.net"},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        mxb_limits_default(&lim);
        g_autofree char *msg =
            g_strdup_printf("From: %s\nTo: b+tok@bounces.example.com\n"
                            "Subject: %s\n%s\n%s",
                            cases[i].from, cases[i].subject, cases[i].extra, cases[i].body);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        failures += first_is(cases[i].label, rep, cases[i].kind, cases[i].recipient);
    }
    assert_int_equal(failures, 0);
}

/* test_bounce_subjects - Exchange's "Undeliverable:" in the sender's
 * language, from a From that is no mail daemon's, is a report */
static void test_bounce_subjects(void **state)
{
    static const char *const subjects[] = {
        "Undeliverable: Invoice",
        "Unzustellbar: Rechnung",
        "=?utf-8?q?Non_remis=C2=A0=3A_Facture?=",
        "No se puede entregar: Factura",
        "Non recapitabile: Fattura",
        "=?utf-8?q?N=C3=A3o_=C3=A9_poss=C3=ADvel_entregar=3A_Fatura?=",
        "Onbestelbaar: Factuur",
        "=?utf-8?q?Nie_mo=C5=BCna_dostarczy=C4=87=3A_Faktura?=",
        "=?utf-8?b?0J3QtdC00L7RgdGC0LDQstC70Y/QtdC80L7QtTog0KHRh9GR0YI=?=",
        "=?utf-8?b?6YCA5L+h6YCa55+l?=",             /* Chinese: a bounce notice */
        "=?utf-8?b?5oqV6YGe5aSx5pWXOiDnmbznpag=?=", /* Traditional Chinese: delivery failed */
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(subjects); i++) {
        mxb_limits lim;
        mxb_limits_default(&lim);
        g_autofree char *msg =
            g_strdup_printf("From: Microsoft Outlook <MicrosoftExchange329e71ec@contoso.example>\n"
                            "To: b+tok@bounces.example.com\nSubject: %s\n\nkim@example.org\n"
                            "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound'\n",
                            subjects[i]);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        failures += first_is(subjects[i], rep, "bounce", "kim@example.org");
    }
    assert_int_equal(failures, 0);
}

/* test_person_about_failure - a subject about failed delivery, written by
 * a person (a sender that is not null, a From that is no mail system), is
 * a report only when its text carries a server's verdict */
static void test_person_about_failure(void **state)
{
    static const struct {
        const char *label, *sender, *body, *kind, *recipient;
    } cases[] = {
        {"a person's words", "dana@example.org",
         "My colleague pat@example.org says your newsletter never arrives.\n", "not_bounce", NULL},
        {"the same from the null sender", "",
         "My colleague pat@example.org says your newsletter never arrives.\n", "bounce",
         "pat@example.org"},
        {"a server's reply in it", "dana@example.org",
         "<pat@example.org>: 550 5.1.1 user unknown\n", "bounce", "pat@example.org"},
        {"a known reason in it", "dana@example.org", "pat@example.org: mailbox is full\n", "bounce",
         "pat@example.org"},
        {"a person's words about a delay", "dana@example.org",
         "Delivery delayed: pat@example.org still waits for your newsletter.\n", "not_bounce",
         NULL},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        mxb_limits_default(&lim);
        g_autofree char *msg =
            g_strdup_printf("From: Dana <dana@example.org>\n"
                            "To: b+tok@bounces.example.com\n"
                            "Subject: %s\n\n%s",
                            strstr(cases[i].body, "delay") ? "Delivery delayed for your newsletter"
                                                           : "Your emails are undeliverable",
                            cases[i].body);
        g_autoptr(mxb_report) rep = NULL;
        assert_int_equal(mxb_report_parse_envelope(&rep, msg, strlen(msg), &lim, cases[i].sender),
                         0);
        failures += check_int(cases[i].label, "results", rep->results->len, 1);
        failures += first_is(cases[i].label, rep, cases[i].kind, cases[i].recipient);
    }
    assert_int_equal(failures, 0);
}

/* test_success_status_on_failure - a 2.x.x Status under Action: failed or
 * delayed gives way to what the reply code or the action says */
static void test_success_status_on_failure(void **state)
{
    static const struct {
        const char *action, *status, *diagnostic, *kind, *want;
    } cases[] = {
        {"failed", "2.0.0", "smtp; 550 Requested action not taken: mailbox unavailable", "bounce",
         "5.0.0"},
        {"failed", "2.0.0", "smtp; 250 2.0.0 Ok", "bounce", "5.0.0"},
        {"delayed", "2.0.0", NULL, "delayed", "4.0.0"},
        {"failed", "5.1.1", "smtp; 550 5.1.1 user unknown", "bounce", "5.1.1"},
        {"delivered", "2.0.0", "smtp; 250 2.0.0 Ok", "delivered", "2.0.0"},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        mxb_limits_default(&lim);
        g_autofree char *diag = cases[i].diagnostic
                                    ? g_strdup_printf("Diagnostic-Code: %s\n", cases[i].diagnostic)
                                    : g_strdup("");
        g_autofree char *msg = g_strdup_printf(
            "From: MAILER-DAEMON@mx.example.net\nTo: b+tok@bounces.example.com\n"
            "Subject: Delivery Status Notification\nMIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
            "--B\nContent-Type: text/plain\n\nReport.\n\n"
            "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n"
            "Final-Recipient: rfc822; cy@example.org\nAction: %s\nStatus: %s\n%s\n--B--\n",
            cases[i].action, cases[i].status, diag);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        g_autofree char *label = g_strdup_printf("%s %s", cases[i].action, cases[i].status);
        failures += check_str(label, "kind", mxb_kind_name(r->kind), cases[i].kind);
        failures += check_str(label, "status", r->status, cases[i].want);
    }
    /* A report in words whose text holds a success code: here a version
     * number in the returned subject, never the failure's status. */
    mxb_limits lim;
    mxb_limits_default(&lim);
    g_autoptr(mxb_report) rep = parse_str(
        "From: System Administrator <postmaster@example.com>\nTo: b+tok@bounces.example.com\n"
        "Subject: Undeliverable: RELEASED Listserver 2.0.12\n\n"
        "Your message\n\n  Subject: RELEASED Listserver 2.0.12\n\n"
        "did not reach the following recipient(s):\n\n"
        "dee@example.com on Thu, 11 Jul 2002 16:54:54 -0300\n"
        "    The recipient name is not recognized\n",
        &lim);
    const mxb_result *r = rep->results->len > 0 ? g_ptr_array_index(rep->results, 0) : NULL;
    failures += check_str("text report, version number", "recipient", r ? r->recipient : NULL,
                          "dee@example.com");
    failures += check_str("text report, version number", "status", r ? r->status : NULL, "5.0.0");
    assert_int_equal(failures, 0);
}

/* simple_dsn - a multipart/report from relay.example.net: text as its
 * human-readable part and block as its one recipient's fields */
static char *simple_dsn(const char *text, const char *block)
{
    return g_strdup_printf(
        "From: MAILER-DAEMON@relay.example.net\nTo: b+tok@bounces.example.com\n"
        "Subject: Undelivered Mail\nMIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
        "--b\nContent-Type: text/plain\n\n%s\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; "
        "relay.example.net\n\n%s\n--b--\n",
        text, block);
}

/* check_one_result - simple_dsn(text, block) gives one result with this
 * status, reply code, reason and (when with_diagnostic) diagnostic;
 * returns the number of failed checks */
static int check_one_result(const char *label, const char *text, const char *block,
                            const mxb_limits *lim, const char *status, int smtp_code,
                            const char *reason, gboolean with_diagnostic, const char *diagnostic)
{
    g_autofree char *msg = simple_dsn(text, block);
    g_autoptr(mxb_report) rep = parse_str(msg, lim);
    const mxb_result *r = g_ptr_array_index(rep->results, 0);
    int failures = check_int(label, "results", rep->results->len, 1);

    failures += check_str(label, "status", r->status, status);
    failures += check_int(label, "smtp_code", r->smtp_code, smtp_code);
    failures += check_str(label, "reason", mxb_reason_name(r->reason), reason);
    if (with_diagnostic)
        failures += check_str(label, "diagnostic", r->diagnostic, diagnostic);
    return failures;
}

/* test_final_recipient_local_host - a Final-Recipient on the reporter's
 * own host (no dot in its domain, after a source route) gives way to a
 * full Original-Recipient; a full Final-Recipient never does */
static void test_final_recipient_local_host(void **state)
{
    static const struct {
        const char *final, *original, *want;
    } cases[] = {
        {"rfc822;@relay.example.net:kim@server", "rfc822;kim@example.net", "kim@example.net"},
        {"rfc822;kim@localhost", "rfc822;kim@example.net", "kim@example.net"},
        {"rfc822;kim@server", "rfc822;kim@other", "kim@server"},
        {"rfc822;real@forward.example.org", "rfc822;alias@example.net", "real@forward.example.org"},
        {"rfc822;kim@[192.0.2.7]", "rfc822;kim@example.net", "kim@[192.0.2.7]"},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        mxb_limits_default(&lim);
        g_autofree char *block =
            g_strdup_printf("Original-Recipient: %s\nFinal-Recipient: %s\nAction: failed\n"
                            "Status: 5.1.1\n",
                            cases[i].original, cases[i].final);
        g_autofree char *msg = simple_dsn("failed\n", block);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        failures += check_int(cases[i].final, "results", rep->results->len, 1);
        failures += check_str(cases[i].final, "recipient",
                              ((const mxb_result *)g_ptr_array_index(rep->results, 0))->recipient,
                              cases[i].want);
    }
    assert_int_equal(failures, 0);
}

/* test_exit_status - a Diagnostic-Code that is only a number: an X-Unix
 * one is a local program's exit status (no reply code; the transcript's
 * reply line is the diagnostic), an SMTP one that is a reply code stays */
static void test_exit_status(void **state)
{
    static const struct {
        const char *diagnostic, *status;
        int smtp_code;
        const char *reason;
    } cases[] = {
        {"X-Unix; 75", "5.3.0", 554, "system_error"},
        {"x-unix; 255", "5.3.0", 554, "system_error"},
        {"smtp; 552", "5.0.0", 552, "mailbox_full"},
        /* no reply code either: the transcript's line is better words */
        {"smtp; 71", "5.3.0", 554, "system_error"},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        mxb_limits_default(&lim);
        g_autofree char *block = g_strdup_printf(
            "Final-Recipient: rfc822;kim@example.net\nAction: failed\nStatus: 5.0.0\n"
            "Diagnostic-Code: %s\n",
            cases[i].diagnostic);
        failures += check_one_result(cases[i].diagnostic,
                                     "   ----- Transcript of session follows -----\n"
                                     "554 5.3.0 unknown mailer error 75\n",
                                     block, &lim, cases[i].status, cases[i].smtp_code,
                                     cases[i].reason, FALSE, NULL);
    }
    assert_int_equal(failures, 0);
}

/* test_status_is_a_reply - a Status field that holds the server's reply
 * with its words instead of an RFC 3463 code (NTMail) is the diagnostic
 * when there is no Diagnostic-Code; a bare code leaves the text part to
 * speak; a Diagnostic-Code still wins */
static void test_status_is_a_reply(void **state)
{
    static const struct {
        const char *text, *fields, *status, *diagnostic;
        int smtp_code;
        const char *reason;
    } cases[] = {
        {"Your message was not delivered.\n", "Status: 553 Exceeded maximum inbound message size\n",
         "5.0.0", "553 Exceeded maximum inbound message size", 553, "too_large"},
        {"Your message was not delivered.\n", "Status: 552\n", "5.0.0", NULL, 0, "undetermined"},
        {"<lou@example.net>: host mx.example.net[192.0.2.9] said: 550 5.1.1 <lou@example.net>: "
         "Recipient address rejected: User unknown\n",
         "Status: 550\n", "5.1.1",
         "host mx.example.net[192.0.2.9] said: 550 5.1.1 <lou@example.net>: Recipient address "
         "rejected: User unknown",
         550, "user_unknown"},
        {"Your message was not delivered.\n",
         "Status: 550\nDiagnostic-Code: smtp; 550 5.2.1 The email account is disabled\n", "5.2.1",
         "550 5.2.1 The email account is disabled", 550, "mailbox_disabled"},
        {"Your message was not delivered.\n", "Status: 5.1.1\n", "5.1.1", NULL, 0, "user_unknown"},
        {"Your message was not delivered.\n", "Status: failed miserably\n", "5.0.0", NULL, 0,
         "undetermined"},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        mxb_limits_default(&lim);
        g_autofree char *block = g_strdup_printf(
            "Final-Recipient: rfc822;lou@example.net\nAction: failed\n%s", cases[i].fields);
        failures +=
            check_one_result(cases[i].fields, cases[i].text, block, &lim, cases[i].status,
                             cases[i].smtp_code, cases[i].reason, TRUE, cases[i].diagnostic);
    }
    assert_int_equal(failures, 0);
}

/* test_paragraph_under_address - a recipient without a diagnostic takes
 * the reply written under its address line: the lines indented deeper
 * than it, up to a blank line; nothing when a blank line follows it */
static void test_paragraph_under_address(void **state)
{
    static const struct {
        const char *text, *diagnostic, *reason;
    } cases[] = {
        {"  lou@example.net\n    host mx.example.net [192.0.2.9]:\n    550 5.1.1 user unknown\n"
         "Nothing more about it.\n",
         "host mx.example.net [192.0.2.9]: 550 5.1.1 user unknown", "user_unknown"},
        {"lou@example.net\n550 5.2.2 mailbox full\nAnother line at the same depth.\n",
         "550 5.2.2 mailbox full", "mailbox_full"},
        {"lou@example.net\n550 5.2.2 mailbox full\n   \n  Other words.\n", "550 5.2.2 mailbox full",
         "mailbox_full"},
        /* PARAGRAPH_LINES (8) lines are read, the ninth is not */
        {"  lou@example.net\n    l1\n    l2\n    l3\n    l4\n    l5\n    l6\n    l7\n    l8 550\n"
         "    l9 mailbox full\n",
         "l1 l2 l3 l4 l5 l6 l7 l8 550", "undetermined"},
        {"  lou@example.net\n    l1\n    l2\n    l3\n    l4\n    l5\n    l6\n    l7 550\n"
         "    l8 mailbox full\n",
         "l1 l2 l3 l4 l5 l6 l7 550 l8 mailbox full", "mailbox_full"},
        {"  lou@example.net\n\n  Another paragraph: 550 5.1.1 user unknown\n", NULL,
         "undetermined"},
        /* Exim's alias: the address it generated above, the words under */
        {"  unknown@example.org\n    (generated from lou@example.net)\n    Address unknown "
         "(:fail:)\n",
         "Address unknown (:fail:)", "user_unknown"},
        /* a pipelined session: another address's RCPT ends the dialogue */
        {"lou@example.net\n>>> RCPT To:<lou@example.net>\n>>> RCPT To:<zed@example.org>\n"
         "<<< 550 5.1.1 User unknown\n",
         NULL, "undetermined"},
        /* the address quoted (CommuniGate Pro), the reply under it */
        {"Failed to deliver to 'lou@example.net'\nSMTP module(domain [192.0.2.9]) reports:\n"
         " host 192.0.2.9 says:\n 550 5.1.1 User unknown\n",
         "SMTP module(domain [192.0.2.9]) reports: host 192.0.2.9 says: 550 5.1.1 User unknown",
         "user_unknown"},
        {"Failed to deliver to '<lou@example.net>'\nMailbox full\n", "Mailbox full",
         "mailbox_full"},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        mxb_limits_default(&lim);
        g_autofree char *msg =
            simple_dsn(cases[i].text,
                       "Final-Recipient: rfc822;lou@example.net\nAction: failed\nStatus: 5.0.0\n");
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += check_str(cases[i].text, "diagnostic", r->diagnostic, cases[i].diagnostic);
        failures += check_str(cases[i].text, "reason", mxb_reason_name(r->reason), cases[i].reason);
    }
    assert_int_equal(failures, 0);
}

/* test_mention_in_brackets - Outlook's "a@b (a@b)" ends its line with
 * the address again: the words of the lines under it are the diagnostic,
 * not the report's first lines */
static void test_mention_in_brackets(void **state)
{
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    g_autoptr(mxb_report) rep =
        parse_str("From: postmaster@example.com\nTo: b+tok@bounces.example.com\n"
                  "Subject: Undeliverable: Hello\nContent-Type: text/plain\n\n"
                  "Delivery has failed to these recipients or groups:\n"
                  "hannah@example.org (hannah@example.org)\n"
                  "The Domain Name System (DNS) reported that the recipient's domain does not "
                  "exist.\n\nSubject: Hello\n",
                  &lim);
    failures += first_is("a@b (a@b)", rep, "bounce", "hannah@example.org");
    const mxb_result *r = g_ptr_array_index(rep->results, 0);
    failures += check_str("a@b (a@b)", "diagnostic", r->diagnostic,
                          "(hannah@example.org) The Domain Name System (DNS) reported that the "
                          "recipient's domain does not exist.");
    assert_int_equal(failures, 0);
}

/* test_forward_to_owner - ezmlm's refusal under qmail's report asks a
 * subscriber to "forward this message to" the list's owner: that address
 * is no recipient */
static void test_forward_to_owner(void **state)
{
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    g_autoptr(mxb_report) rep =
        parse_str("From: MAILER-DAEMON@mx.example.net\nTo: b+tok@bounces.example.com\n"
                  "Subject: failure notice\n\n"
                  "Hi. This is the qmail-send program at mx.example.net.\n"
                  "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
                  "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
                  "<team@lists.example.net>:\n"
                  "Sorry, only subscribers may post. If you are a subscriber, please forward this "
                  "message to team-owner@lists.example.net to get your new address included.\n\n"
                  "--- Below this line is a copy of the message.\n\n"
                  "From: news@sender.example\nTo: team@lists.example.net\nSubject: Hello\n",
                  &lim);
    failures += check_int("forward to the owner", "results", (int)rep->results->len, 1);
    failures += first_is("forward to the owner", rep, "bounce", "team@lists.example.net");
    assert_int_equal(failures, 0);
}

/* test_list_refusal_words - a list manager's refusal in French keeps its
 * letters whole in the diagnostic (the blanks squeezed are ASCII ones) */
static void test_list_refusal_words(void **state)
{
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    g_autoptr(mxb_report) rep = parse_str(
        "From: equipe-owner@listes.example.fr\nTo: b+tok@bounces.example.com\nSubject: Offre\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        "Votre message \xc3\xa0 la liste a \xc3\xa9t\xc3\xa9 rejet\xc3\xa9 par le "
        "mod\xc3\xa9rateur.\n",
        &lim);
    failures += first_is("a French refusal", rep, "bounce", "equipe@listes.example.fr");
    const mxb_result *r = g_ptr_array_index(rep->results, 0);
    failures += check_str("a French refusal", "diagnostic", r->diagnostic,
                          "Votre message \xc3\xa0 la liste a \xc3\xa9t\xc3\xa9 rejet\xc3\xa9 "
                          "par le mod\xc3\xa9rateur.");
    assert_int_equal(failures, 0);
}

/* test_mixed_receipt - Exchange's receipt in German from its system
 * mailbox that lists a failed recipient too: each recipient's own words
 * decide (delivered, and the failed one a bounce) */
static void test_mixed_receipt(void **state)
{
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    g_autoptr(mxb_report) rep = parse_str(
        "From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.de>\n"
        "Return-Path: <>\nTo: b+tok@bounces.example.com\nSubject: Zugestellt: Angebot\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        "Ihre Nachricht wurde an folgende Empf\xc3\xa4nger \xc3\xbc"
        "bermittelt:\n\n    anna@example.de\n\n"
        "Die Zustellung an folgende Empf\xc3\xa4nger ist fehlgeschlagen:\n\n"
        "    bernd@example.de\n    Empf\xc3\xa4nger nicht gefunden\n",
        &lim);
    failures += check_int("mixed receipt", "results", (int)rep->results->len, 2);
    failures += first_is("mixed receipt", rep, "delivered", "anna@example.de");
    if (rep->results->len == 2) {
        const mxb_result *r = g_ptr_array_index(rep->results, 1);
        failures += check_str("mixed receipt", "second kind", mxb_kind_name(r->kind), "bounce");
        failures += check_str("mixed receipt", "second", r->recipient, "bernd@example.de");
    }
    failures +=
        check_str("mixed receipt", "action",
                  ((const mxb_result *)g_ptr_array_index(rep->results, 0))->action, "delivered");
    /* in English, the failed address without words of its own */
    g_autoptr(mxb_report) en = parse_str(
        "From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com>\n"
        "To: b+tok@bounces.example.com\nSubject: Delivered: Offer\n\n"
        "Your message has been delivered to the following recipients:\n\nanna@example.com\n\n"
        "Delivery to the following recipients failed:\n\nbernd@example.com\n",
        &lim);
    failures += check_int("mixed receipt, English", "results", (int)en->results->len, 2);
    failures += first_is("mixed receipt, English", en, "delivered", "anna@example.com");
    if (en->results->len == 2)
        failures += check_str(
            "mixed receipt, English", "second kind",
            mxb_kind_name(((const mxb_result *)g_ptr_array_index(en->results, 1))->kind), "bounce");
    assert_int_equal(failures, 0);
}

/* test_mailer_output - a recipient without a diagnostic and a status
 * that says nothing takes the words its local delivery agent printed
 * above Sendmail's statement about it: MAILER_OUTPUT_LINES (3) lines,
 * not the fourth; not for an exact status */
static void test_mailer_output(void **state)
{
    static const struct {
        const char *text, *status, *diagnostic, *reason;
    } cases[] = {
        {"mail.local: unknown user: lou\n554 5.5.0 <lou@example.net>... Service unavailable\n",
         "5.5.0", "mail.local: unknown user: lou", "user_unknown"},
        {"mail.local: unknown user: lou\nl2\nl3\n554 <lou@example.net>... Service unavailable\n",
         "5.0.0", "mail.local: unknown user: lou l2 l3", "user_unknown"},
        /* the fourth line up is not read */
        {"mail.local: unknown user: lou\nl2\nl3\nl4\n554 <lou@example.net>... Service "
         "unavailable\n",
         "5.5.0", NULL, "undetermined"},
        /* c.0.0: before the words after the address on its line */
        {"mail.local: unknown user: lou\n554 <lou@example.net>... Service unavailable\n", "5.0.0",
         "mail.local: unknown user: lou", "user_unknown"},
        /* words the rules do not know are not taken */
        {"mail.local: cannot create /var/mail/lou\n554 <lou@example.net>... Service "
         "unavailable\n",
         "5.5.0", NULL, "undetermined"},
        /* a status of its own: the words are not needed */
        {"mail.local: unknown user: lou\n554 5.2.2 <lou@example.net>... Service unavailable\n",
         "5.2.2", NULL, "mailbox_full"},
        /* another address that ends like this one is not this one's */
        {"mail.local: unknown user: 2.lou\n554 5.5.0 <2.lou@example.net>... Service "
         "unavailable\n",
         "5.5.0", NULL, "undetermined"},
        {"<2.lou@example.net>: 550 5.1.1 user unknown\n", "5.0.0", NULL, "undetermined"},
        /* not Sendmail's statement (no "..."): nothing */
        {"<o'lou@example.net>: 550 5.1.1 User unknown\n", "5.0.0", NULL, "undetermined"},
        {"mail.local: unknown user: lou\n554 <lou@example.net> Service unavailable\n", "5.5.0",
         NULL, "undetermined"},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        mxb_limits_default(&lim);
        g_autofree char *fields =
            g_strdup_printf("Final-Recipient: rfc822;lou@example.net\nAction: failed\nStatus: %s\n",
                            cases[i].status);
        g_autofree char *msg = simple_dsn(cases[i].text, fields);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += check_str(cases[i].text, "diagnostic", r->diagnostic, cases[i].diagnostic);
        failures += check_str(cases[i].text, "reason", mxb_reason_name(r->reason), cases[i].reason);
    }
    assert_int_equal(failures, 0);
}

/* sendmail_v5 - a report in words: Sendmail's transcript, then more */
static char *sendmail_v5(const char *transcript)
{
    return g_strdup_printf("From: Mail Delivery Subsystem <MAILER-DAEMON@old.example.net>\n"
                           "To: b+tok@bounces.example.com\n"
                           "Subject: Returned mail: see transcript for details\n\n"
                           "   ----- Transcript of session follows -----\n%s",
                           transcript);
}

/* test_limit_transcript_lines - Sendmail's "554 <a@b>... Remote protocol
 * error" reads TRANSCRIPT_LINES (8) lines above it for the server's
 * reply and the command it answered, not one further up */
static void test_limit_transcript_lines(void **state)
{
    int failures = 0;

    (void)state;
    for (int n = 8; n <= 9; n++) {
        mxb_limits lim;
        mxb_limits_default(&lim);
        GString *tr = g_string_new("While talking to mx.example.net:\n>>> DATA\n"
                                   "<<< 552 Mailbox full\n");
        for (int i = 2; i < n; i++) /* the command n lines up */
            g_string_append_printf(tr, "x%d\n", i);
        g_string_append(tr, "554 <lou@example.net>... Remote protocol error\n");
        g_autofree char *msg = sendmail_v5(tr->str);
        g_string_free(tr, TRUE);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        g_autofree char *label = g_strdup_printf("command %d lines up", n);
        failures += check_str(label, "reason", mxb_reason_name(r->reason),
                              n == 8 ? "mailbox_full" : "content_rejected");
        failures += check_str(label, "diagnostic", r->diagnostic,
                              n == 8 ? "554 Remote protocol error <<< 552 Mailbox full"
                                     : "554 Remote protocol error");
    }
    assert_int_equal(failures, 0);
}

/* test_transcript_reply - the server's reply above Sendmail's statement
 * follows its words, with the phase of the command it answered: a
 * refusal of our host or sender is never a dead address; another
 * recipient's reply, even on several lines, is not taken */
static void test_transcript_reply(void **state)
{
    static const struct {
        const char *transcript, *diagnostic, *reason, *klass;
    } cases[] = {
        {"While talking to mx.example.net:\n>>> HELO old.example.net\n"
         "<<< 550 old.example.net: Host unknown (Name server: old.example.net: host not found)\n"
         "554 <lou@example.net>... Service unavailable\n",
         "554 Service unavailable <<< 550 old.example.net: Host unknown (Name server: "
         "old.example.net: host not found)",
         "reputation", "block"},
        {"While talking to mx.example.net:\n>>> MAIL From:<news@sender.example.com>\n"
         "<<< 550 <news@sender.example.com>... User unknown\n"
         "554 <lou@example.net>... Remote protocol error\n",
         "554 Remote protocol error <<< 550 <news@sender.example.com>... User unknown",
         "sender_rejected", "block"},
        {"While talking to mx.example.net:\n<<< 554 No SMTP service here, user unknown\n"
         "554 <lou@example.net>... Remote protocol error\n",
         "554 Remote protocol error <<< 554 No SMTP service here, user unknown", "reputation",
         "block"},
        {"While talking to mx.example.net:\n>>> DATA\n<<< 552-Mailbox full\n<<< 552 Try later\n"
         "554 <lou@example.net>... Remote protocol error\n",
         "554 Remote protocol error <<< 552-Mailbox full <<< 552 Try later", "mailbox_full",
         "soft"},
        {"While talking to mx.example.net:\n>>> RCPT To:<amy@example.net>\n"
         "<<< 550-5.1.1 The account does not exist.\n<<< 550 5.1.1 No such user\n"
         "554 <lou@example.net>... Remote protocol error\n",
         "554 Remote protocol error", "content_rejected", "block"},
        {"While talking to mx.example.net:\n>>> QUIT\n<<< 550 User unknown\n"
         "554 <lou@example.net>... Remote protocol error\n",
         "554 Remote protocol error", "content_rejected", "block"},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        mxb_limits_default(&lim);
        g_autofree char *msg = sendmail_v5(cases[i].transcript);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        const mxb_result *r = NULL;
        for (guint k = 0; k < rep->results->len; k++) {
            const mxb_result *x = g_ptr_array_index(rep->results, k);
            if (g_strcmp0(x->recipient, "lou@example.net") == 0)
                r = x;
        }
        if (r == NULL) {
            failures += check_str(cases[i].transcript, "recipient", NULL, "lou@example.net");
            continue;
        }
        failures +=
            check_str(cases[i].transcript, "diagnostic", r->diagnostic, cases[i].diagnostic);
        failures +=
            check_str(cases[i].transcript, "reason", mxb_reason_name(r->reason), cases[i].reason);
        failures +=
            check_str(cases[i].transcript, "class", mxb_class_name(r->klass), cases[i].klass);
    }
    assert_int_equal(failures, 0);
}

/* test_transcript_from_text - one recipient with no diagnostic takes the
 * reporter's first statement of a failure code under "Transcript of
 * session follows": within TRANSCRIPT_SCAN_LINES (8) lines, not the 9th;
 * never a "<<< " reply, whose command is not read; not for two recipients */
static void test_transcript_from_text(void **state)
{
    static const char block[] = "Final-Recipient: rfc822;lou@example.net\nAction: failed\n";
    static const char mark[] = "   ----- Transcript of session follows -----\n";
    int failures = 0;
    mxb_limits lim;

    (void)state;
    mxb_limits_default(&lim);
    for (int n = 8; n <= 9; n++) {
        GString *text = g_string_new(mark);
        for (int i = 1; i < n; i++)
            g_string_append_printf(text, "x%d\n", i);
        g_string_append(text, "554 could not connect and send the mail to 192.0.2.1\n");
        g_autofree char *label = g_strdup_printf("statement %d lines down", n);
        failures += check_one_result(label, text->str, block, &lim, "5.0.0", n == 8 ? 554 : 0,
                                     n == 8 ? "network_error" : "undetermined", TRUE,
                                     n == 8 ? "554 could not connect and send the mail to 192.0.2.1"
                                            : NULL);
        g_string_free(text, TRUE);
    }
    /* a reply to our HELO: its words are not the recipient's */
    g_autofree char *helo =
        g_strconcat(mark,
                    "... while talking to mx.example.net.:\n>>> HELO old.example.net\n"
                    "<<< 550 old.example.net: Host unknown\n554 5.0.0 Service unavailable\n",
                    NULL);
    failures += check_one_result("HELO", helo, block, &lim, "5.0.0", 554, "system_error", TRUE,
                                 "554 5.0.0 Service unavailable");
    /* two recipients: whose statement it is, the text does not say */
    g_autofree char *two = g_strconcat(block,
                                       "\nFinal-Recipient: rfc822;amy@example.net\n"
                                       "Action: failed\n",
                                       NULL);
    g_autofree char *tr = g_strconcat(mark, "554 could not connect and send the mail\n", NULL);
    g_autofree char *msg = simple_dsn(tr, two);
    g_autoptr(mxb_report) rep = parse_str(msg, &lim);
    failures += check_int("two recipients", "results", rep->results->len, 2);
    for (guint i = 0; i < rep->results->len; i++) {
        const mxb_result *r = g_ptr_array_index(rep->results, i);
        failures += check_str("two recipients", "diagnostic", r->diagnostic, NULL);
    }
    assert_int_equal(failures, 0);
}

/* test_undisclosed_to - a complaint that names nobody is about the
 * returned message's To:, but only an address with a domain: `To:
 * "undisclosed recipients"` leaves it without a recipient */
static void test_undisclosed_to(void **state)
{
    static const char tmpl[] =
        "From: fbl@isp.example.net\nTo: fbl@example.com\nSubject: Abuse report\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=feedback-report; boundary=\"b\"\n\n"
        "--b\nContent-Type: text/plain\n\nA complaint.\n"
        "--b\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\n"
        "User-Agent: ISP-FBL/1.0\nVersion: 1\n\n"
        "--b\nContent-Type: message/rfc822\n\nFrom: news@sender.example.com\nTo: %s\n"
        "Subject: November digest\nMessage-ID: <n1@sender.example.com>\n\nHello.\n--b--\n";
    static const struct {
        const char *to, *recipient;
    } cases[] = {
        {"\"undisclosed recipients\"", NULL},
        {"undisclosed-recipients:;", NULL},
        {"Lou <lou@example.net>", "lou@example.net"},
        /* the first entry names nobody: the next one is someone else */
        {"redacted, bob@example.net", NULL},
    };
    int failures = 0;
    mxb_limits lim;

    (void)state;
    mxb_limits_default(&lim);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg = g_strdup_printf(tmpl, cases[i].to);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += check_int(cases[i].to, "kind", r->kind, MXB_KIND_COMPLAINT);
        failures += check_str(cases[i].to, "recipient", r->recipient, cases[i].recipient);
    }
    assert_int_equal(failures, 0);
}

/* test_feedback_edges - public set 26: a redacted Original-Rcpt-To names
 * nobody (the returned To: does, also from a message/rfc822-headers
 * part); SES's not-spam is feedback as ARF's is; SpamCop's report of a
 * submitted spam is a complaint that names nobody, its summary none */
static void test_feedback_edges(void **state)
{
    static const char arf[] =
        "From: fbl@isp.example.net\nTo: fbl@example.com\nSubject: Abuse report\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=feedback-report; boundary=\"b\"\n\n"
        "--b\nContent-Type: text/plain\n\nA complaint.\n"
        "--b\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\n"
        "User-Agent: ISP-FBL/1.0\nVersion: 1\n%s\n"
        "--b\nContent-Type: %s\n\nFrom: news@sender.example.com\nTo: Lou <lou@example.net>\n"
        "Subject: November digest\nMessage-ID: <n1@sender.example.com>\n\n--b--\n";
    static const char ses[] =
        "Return-Path: <>\nFrom: no-reply@amazonses.example.com\nTo: b+x@bounces.example.com\n"
        "Subject: Amazon SES Complaint Notification\nContent-Type: text/plain\n\n"
        "{\"notificationType\": \"Complaint\", \"complaint\": {\"complainedRecipients\": "
        "[{\"emailAddress\": \"hal@example.com\"}], \"complaintFeedbackType\": \"%s\"}, "
        "\"mail\": {\"source\": \"news@sender.example.com\"}}\n";
    static const char spamcop[] =
        "From: %s\nTo: abuse@sender.example.com\nSubject: %s\n\n"
        "[ SpamCop V1.3.3 ]\nThis message is brief for your comfort.\n\n"
        "Offending message:\nFrom: news@sender.example.com\nTo: x\nSubject: November digest\n";
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    g_autofree char *m1 = g_strdup_printf(arf, "Original-Rcpt-To: xxxx\n", "message/rfc822");
    /* of two To: addresses, the first may not be the one who complained;
     * Hotmail's stamp says who it was */
    GString *two = g_string_new(m1);
    g_string_replace(two, "To: Lou <lou@example.net>", "To: lou@example.net, amy@example.net", 1);
    GString *hm = g_string_new(two->str);
    g_string_replace(hm, "Subject: November digest",
                     "X-HmXmrOriginalRecipient: <amy@example.net>\nSubject: November digest", 1);
    g_autofree char *m7 = g_string_free(two, FALSE);
    g_autofree char *m8 = g_string_free(hm, FALSE);
    g_autofree char *m2 = g_strdup_printf(arf, "", "message/rfc822-headers");
    g_autofree char *m3 = g_strdup_printf(ses, "not-spam");
    g_autofree char *m4 = g_strdup_printf(ses, "abuse");
    g_autofree char *m5 = g_strdup_printf(spamcop, "123456789@reports.spamcop.net",
                                          "[SpamCop (192.0.2.7) id:123456789]November digest");
    g_autofree char *m6 = g_strdup_printf(spamcop, "SpamCop robot <summaries@admin.spamcop.net>",
                                          "[SpamCop] summary report");
    static const struct {
        const char *label, *kind, *recipient, *type;
    } want[] = {
        {"a redacted Original-Rcpt-To", "complaint", "lou@example.net", "abuse"},
        {"message/rfc822-headers", "complaint", "lou@example.net", "abuse"},
        {"SES not-spam", "feedback", "hal@example.com", "not-spam"},
        {"SES abuse", "complaint", "hal@example.com", "abuse"},
        {"SpamCop's report", "complaint", NULL, "abuse"},
        {"SpamCop's summary", "not_bounce", NULL, NULL},
        {"a redacted recipient, two To: addresses", "complaint", NULL, "abuse"},
        {"Hotmail's stamp over two To: addresses", "complaint", "amy@example.net", "abuse"},
    };
    const char *msgs[] = {m1, m2, m3, m4, m5, m6, m7, m8};
    for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
        g_autoptr(mxb_report) rep = parse_str(msgs[i], &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += first_is(want[i].label, rep, want[i].kind, want[i].recipient);
        failures += check_str(want[i].label, "feedback_type", r->feedback_type, want[i].type);
    }
    assert_int_equal(failures, 0);
}

/* test_answering_address - an automatic reply is about the mailbox that
 * answered: the From, unless a mailing list rewrote it ("via") or it
 * holds no address, when the mailbox whose Exchange inbox rule answered
 * says, else the Reply-To */
static void test_answering_address(void **state)
{
    static const struct {
        const char *label, *headers, *recipient;
    } cases[] = {
        {"the From", "From: Jo <jo@example.org>\n", "jo@example.org"},
        {"the From over Exchange's inbox rule",
         "From: Jo <jo@example.org>\nX-MS-Exchange-Inbox-Rules-Loop: ann@example.org\n",
         "jo@example.org"},
        {"a list rewrote the From: Exchange's inbox rule, not the list's Reply-To",
         "From: \"Jo via team@lists.example.net\" <team@lists.example.net>\n"
         "Reply-To: team@lists.example.net\nX-MS-Exchange-Inbox-Rules-Loop: jo@example.org\n",
         "jo@example.org"},
        {"a list rewrote the From",
         "From: \"Jo via team@lists.example.net\" <team@lists.example.net>\n"
         "Reply-To: jo@example.org\n",
         "jo@example.org"},
        {"a list rewrote it and no Reply-To",
         "From: \"Jo via team@lists.example.net\" <team@lists.example.net>\n",
         "team@lists.example.net"},
        {"a From that is a display name alone",
         "From: \"Jo <jo@example.org>\"\nReply-To: jo@example.org\n", "jo@example.org"},
        {"a display name alone, nothing else", "From: \"Jo <jo@example.org>\"\n", NULL},
    };
    int failures = 0;
    mxb_limits lim;

    (void)state;
    mxb_limits_default(&lim);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg = g_strdup_printf("%sTo: b+tok@bounces.example.com\n"
                                               "Subject: Automatic reply: November digest\n"
                                               "Auto-Submitted: auto-replied\n\nI am away.\n",
                                               cases[i].headers);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        failures += first_is(cases[i].label, rep, "auto_reply", cases[i].recipient);
    }
    assert_int_equal(failures, 0);
}

/* test_repeated_blocks - a status block that says exactly what an earlier
 * one says (Sendmail's alias, reached twice) is one result: the address
 * is not counted twice for one report; blocks that differ stay */
static void test_repeated_blocks(void **state)
{
    static const char tmpl[] =
        "From: MAILER-DAEMON@mx.example.net\nTo: b@bounces.example.com\nSubject: Returned mail: "
        "see transcript for details\nMIME-Version: 1.0\nContent-Type: multipart/report; "
        "report-type=delivery-status; boundary=\"b\"\n\n"
        "--b\nContent-Type: text/plain\n\nThe following addresses had permanent fatal errors\n\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n"
        "Final-Recipient: RFC822; <ana@example.net>\nAction: failed\nStatus: 5.1.1\n"
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown\n\n"
        "Final-Recipient: RFC822; <%s>\nAction: failed\nStatus: 5.1.1\n"
        "Diagnostic-Code: smtp; %s\n\n--b--\n";
    static const struct {
        const char *recipient, *diagnostic;
        int results;
    } cases[] = {
        {"ana@example.net", "550 5.1.1 User unknown", 1},
        {"Ana@Example.NET", "550 5.1.1 User unknown", 1},
        {"ana@example.net", "550 5.1.1 No such mailbox", 2},
        {"bo@example.net", "550 5.1.1 User unknown", 2},
    };
    int failures = 0;
    mxb_limits lim;

    (void)state;
    mxb_limits_default(&lim);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg = g_strdup_printf(tmpl, cases[i].recipient, cases[i].diagnostic);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        failures +=
            check_int(cases[i].recipient, "results", (int)rep->results->len, cases[i].results);
    }
    assert_int_equal(failures, 0);
}

/* test_repeats_before_the_cap - blocks written a third time word for word
 * take no place under max_recipients: the one after max_recipients + 1
 * repeats is still read, and nothing is cut */
static void test_repeats_before_the_cap(void **state)
{
    mxb_limits lim;

    (void)state;
    mxb_limits_default(&lim);
    GString *msg = g_string_new(
        "From: MAILER-DAEMON@mx.example.net\nTo: b@bounces.example.com\nSubject: Returned mail\n"
        "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; "
        "boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nFailed.\n\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n");
    for (unsigned i = 0; i < lim.max_recipients + 1; i++)
        g_string_append(msg, "Final-Recipient: rfc822; jo@example.net\nAction: failed\n"
                             "Status: 5.1.1\n\n");
    g_string_append(msg, "Final-Recipient: rfc822; ann@example.net\nAction: failed\n"
                         "Status: 5.2.2\n\n--b--\n");
    g_autoptr(mxb_report) rep = NULL;
    assert_int_equal(mxb_report_parse(&rep, msg->str, msg->len, &lim), 0);
    g_string_free(msg, TRUE);
    int failures = check_int("repeats", "results", (int)rep->results->len, 2);
    if (rep->results->len == 2)
        failures += check_str("repeats", "second recipient",
                              ((const mxb_result *)g_ptr_array_index(rep->results, 1))->recipient,
                              "ann@example.net");
    failures += check_int("repeats", "recipients cut",
                          (rep->flags & MXB_REPORT_TRUNCATED_RECIPIENTS) != 0, 0);
    assert_int_equal(failures, 0);
}

/* test_supplementary_info - Exchange 2003 and Hotmail wrote the remote
 * reply into X-Supplementary-Info, with no Diagnostic-Code: it is the
 * diagnostic then, and only then */
static void test_supplementary_info(void **state)
{
    static const char tmpl[] =
        "From: postmaster@hotmail.example\nTo: b@bounces.example.com\nSubject: Delivery Status "
        "Notification (Failure)\nMIME-Version: 1.0\nContent-Type: multipart/report; "
        "report-type=delivery-status; boundary=\"b\"\n\n"
        "--b\nContent-Type: text/plain\n\nDelivery to the following recipients failed.\n\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mc1.hotmail.example\n\n"
        "Final-recipient: RFC822; ana@example.net\nAction: failed\nStatus: 5.5.0\n%s\n--b--\n";
    static const struct {
        const char *fields, *diagnostic, *reason;
        int code;
    } cases[] = {
        {"X-Supplementary-Info: < #5.5.0 smtp;550 Requested action not taken: mailbox\n"
         " unavailable (495782920:4198:-2147467259)>\n",
         "550 Requested action not taken: mailbox unavailable (495782920:4198:-2147467259)",
         "user_unknown", 550},
        {"X-Supplementary-Info: <smtp;552 Mailbox full>\n", "552 Mailbox full", "mailbox_full",
         552},
        {"X-Supplementary-Info: <mx.example.net #5.1.1 smtp;550 5.1.1 No such user>\n",
         "550 5.1.1 No such user", "user_unknown", 550},
        {"Diagnostic-Code: smtp;554 Message refused as spam\n"
         "X-Supplementary-Info: < #5.5.0 smtp;550 Requested action not taken: mailbox "
         "unavailable>\n",
         "554 Message refused as spam", "content_rejected", 554},
        {"X-Supplementary-Info: < >\n", NULL, "undetermined", 0},
    };
    int failures = 0;
    mxb_limits lim;

    (void)state;
    mxb_limits_default(&lim);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg = g_strdup_printf(tmpl, cases[i].fields);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += check_str(cases[i].fields, "diagnostic", r->diagnostic, cases[i].diagnostic);
        failures += check_int(cases[i].fields, "smtp_code", r->smtp_code, cases[i].code);
        failures +=
            check_str(cases[i].fields, "reason", mxb_reason_name(r->reason), cases[i].reason);
    }
    assert_int_equal(failures, 0);
}

/* test_returned_to_twice - a report that names nobody falls back on the
 * returned message's one To: address; the same address in the report's
 * text ("To: a@b" under the failure) and in the returned message is
 * still one (Yahoo's "Failure Notice" after its retries), two others are
 * not (nobody is guessed) */
static void test_returned_to_twice(void **state)
{
    static const char tmpl[] =
        "From: MAILER-DAEMON@yahoo.example\nTo: b@bounces.example.com\nSubject: Failure Notice\n"
        "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; "
        "boundary=\"b\"\n\n"
        "--b\nContent-Type: text/plain\n\nI'm afraid I wasn't able to deliver the following "
        "message.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n"
        "Subject: November digest\nTo: %s\n\n--- Below this line is a copy of the message.\n\n"
        "--b\nContent-Type: message/rfc822\n\nFrom: news@sender.example.com\nTo: %s\n"
        "Subject: November digest\n\nHello.\n--b--\n";
    static const struct {
        const char *text_to, *returned_to, *recipient;
    } cases[] = {
        {"ana@example.net", "Ana <ANA@example.net>", "ANA@example.net"},
        {"ana@example.net", "bo@example.net", NULL},
    };
    int failures = 0;
    mxb_limits lim;

    (void)state;
    mxb_limits_default(&lim);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg = g_strdup_printf(tmpl, cases[i].text_to, cases[i].returned_to);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += check_int(cases[i].returned_to, "results", (int)rep->results->len, 1);
        failures += check_int(cases[i].returned_to, "kind", r->kind, MXB_KIND_BOUNCE);
        failures += check_str(cases[i].returned_to, "recipient", r->recipient, cases[i].recipient);
    }
    assert_int_equal(failures, 0);
}

/* test_text_sender_is - Exim's "The sender is <a@b>." names the sender,
 * not a recipient */
static void test_text_sender_is(void **state)
{
    static const char msg[] =
        "From: Mail Delivery System <Mailer-Daemon@mx.example.net>\n"
        "To: b+tok@bounces.example.com\nSubject: Mail delivery failed\n\n"
        "A message could not be delivered.\nThe sender is <news@sender.example.com>.\n\n"
        "The following address(es) failed:\n\n  amy@example.net\n    550 5.1.1 User unknown\n";
    mxb_limits lim;

    (void)state;
    mxb_limits_default(&lim);
    g_autoptr(mxb_report) rep = parse_str(msg, &lim);
    int failures = check_int("sender is", "results", rep->results->len, 1);
    const mxb_result *r = g_ptr_array_index(rep->results, 0);
    failures += check_str("sender is", "recipient", r->recipient, "amy@example.net");
    assert_int_equal(failures, 0);
}

/* test_shared_recipient - two status blocks name the same recipient
 * (Exim's alias, one block a child): the text cannot tell whose words are
 * whose, so neither takes any, and the two then say the same: one result
 * (drop_repeats) */
static void test_shared_recipient(void **state)
{
    mxb_limits lim;

    (void)state;
    mxb_limits_default(&lim);
    g_autofree char *msg =
        simple_dsn("  carl@example.net\n    (generated from team@example.org)\n"
                   "    Unrouteable address\n\n  dora@example.net\n"
                   "    (generated from team@example.org)\n    552 Mailbox full\n",
                   "Final-Recipient: rfc822;team@example.org\nAction: failed\nStatus: 5.0.0\n\n"
                   "Final-Recipient: rfc822;team@example.org\nAction: failed\nStatus: 5.0.0\n");
    g_autoptr(mxb_report) rep = parse_str(msg, &lim);
    int failures = check_int("shared", "results", rep->results->len, 1);
    for (guint i = 0; i < rep->results->len; i++) {
        const mxb_result *r = g_ptr_array_index(rep->results, i);
        failures += check_str("shared", "diagnostic", r->diagnostic, NULL);
        failures += check_str("shared", "class", mxb_class_name(r->klass), "soft");
    }
    assert_int_equal(failures, 0);
}

/* test_empty_final_recipient - "Final-Recipient: system;<>" (CommuniGate
 * Pro refusing the message as a whole) names nobody: the Original-Recipient
 * is the recipient */
static void test_empty_final_recipient(void **state)
{
    mxb_limits lim;

    (void)state;
    mxb_limits_default(&lim);
    g_autofree char *msg =
        simple_dsn("Failed to deliver to '<lou@example.net>'\n",
                   "Original-Recipient: rfc822;<lou@example.net>\n"
                   "Final-Recipient: system;<>\nAction: failed\nStatus: 5.0.0\n");
    g_autoptr(mxb_report) rep = parse_str(msg, &lim);
    assert_int_equal(rep->results->len, 1);
    const mxb_result *r = g_ptr_array_index(rep->results, 0);
    assert_int_equal(check_str("system;<>", "recipient", r->recipient, "lou@example.net"), 0);
}

/* test_limit_context_before - a report in words reads CONTEXT_BEFORE
 * (256) bytes before an address on its line to tell it from a recipient:
 * "contact" that far back makes help@ no recipient, one byte further it is
 * not read */
static void test_limit_context_before(void **state)
{
    int failures = 0;

    (void)state;
    for (int d = 256; d <= 257; d++) {
        mxb_limits lim;
        mxb_limits_default(&lim);
        GString *msg = g_string_new(
            "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\n"
            "To: b+tok@bounces.example.com\nSubject: Undelivered Mail Returned to Sender\n\n"
            "This is the mail system at host mx.example.net.\n\n"
            "<amy@example.net>: host mx.example.net said: 550 5.1.1 User unknown\n\n"
            "For help please contact");
        for (int i = (int)strlen("contact"); i < d; i++)
            g_string_append_c(msg, ' ');
        g_string_append(msg, "help@example.org today.\n");
        g_autoptr(mxb_report) rep = parse_str(msg->str, &lim);
        g_string_free(msg, TRUE);
        g_autofree char *label = g_strdup_printf("\"contact\" %d bytes before", d);
        failures += check_int(label, "results", rep->results->len, d == 256 ? 1 : 2);
    }
    assert_int_equal(failures, 0);
}

/* test_limit_diagnostic_lines - a report in words: DIAG_LINES_MAX (12)
 * lines after the address belong to its diagnostic, the 13th does not */
static void test_limit_diagnostic_lines(void **state)
{
    int failures = 0;

    (void)state;
    for (int n = 12; n <= 13; n++) {
        mxb_limits lim;
        mxb_limits_default(&lim);
        GString *msg = g_string_new(
            "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\n"
            "To: b+tok@bounces.example.com\nSubject: Undelivered Mail Returned to Sender\n\n"
            "This is the mail system at host mx.example.net.\n\n"
            "I'm sorry to have to inform you that your message could not\n"
            "be delivered to one or more recipients.\n\n"
            "<ann@example.net>: host mx.example.net said:\n");
        for (int i = 1; i < n; i++)
            g_string_append_printf(msg, "x%d\n", i);
        g_string_append(msg, "mailbox full\n");
        g_autoptr(mxb_report) rep = parse_str(msg->str, &lim);
        g_string_free(msg, TRUE);
        const mxb_result *r = rep->results->len ? g_ptr_array_index(rep->results, 0) : NULL;
        g_autofree char *label = g_strdup_printf("verdict on line %d", n);
        failures += check_str(label, "recipient", r ? r->recipient : NULL, "ann@example.net");
        failures += check_str(label, "reason", r ? mxb_reason_name(r->reason) : NULL,
                              n == 12 ? "mailbox_full" : "undetermined");
    }
    assert_int_equal(failures, 0);
}

/* test_status_part_names_nobody - a status part with fields but no
 * recipient block: the returned message's one To: address, failed (or
 * delayed by the subject); two addresses, or an empty status part, name
 * nobody, unless X-Failed-Recipients does */
static void test_status_part_names_nobody(void **state)
{
    static const struct {
        const char *label, *subject, *status_body, *to;
        const char *want_rcpt, *want_status;
        mxb_kind want_kind;
        const char *failed; /* X-Failed-Recipients, or NULL */
    } cases[] = {
        {"one To", "Undelivered Mail Returned to Sender", "Reporting-MTA: dns; mx.example.net\n",
         "kai@example.org", "kai@example.org", "5.0.0", MXB_KIND_BOUNCE, NULL},
        {"one To, delay subject", "Delayed Mail (still being retried)",
         "Reporting-MTA: dns; mx.example.net\n", "kai@example.org", "kai@example.org", "4.0.0",
         MXB_KIND_DELAYED, NULL},
        {"two To", "Undelivered Mail Returned to Sender", "Reporting-MTA: dns; mx.example.net\n",
         "kai@example.org, lea@example.org", NULL, "5.0.0", MXB_KIND_BOUNCE, NULL},
        {"empty status part", "Delivery Status Notification (Failure)", "", "kai@example.org", NULL,
         "5.0.0", MXB_KIND_BOUNCE, NULL},
        {"empty status part, X-Failed-Recipients", "Delivery Status Notification (Failure)", "",
         "kai@example.org, lea@example.org", "group@groups.example.org", "5.0.0", MXB_KIND_BOUNCE,
         "group@groups.example.org"},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        mxb_limits_default(&lim);
        g_autofree char *failed =
            cases[i].failed ? g_strdup_printf("X-Failed-Recipients: %s\n", cases[i].failed)
                            : g_strdup("");
        g_autofree char *msg = g_strdup_printf(
            "From: MAILER-DAEMON@mx.example.net\nTo: b+tok@bounces.example.com\nSubject: %s\n"
            "%sMIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
            "--b\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n"
            "--b\nContent-Type: message/delivery-status\n\n%s\n"
            "--b\nContent-Type: message/rfc822\n\nFrom: news@sender.example.com\nTo: %s\n"
            "Subject: November digest\n\nHello.\n--b--\n",
            cases[i].subject, failed, cases[i].status_body, cases[i].to);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        failures += check_int(cases[i].label, "results", rep->results->len, 1);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += check_str(cases[i].label, "recipient", r->recipient, cases[i].want_rcpt);
        failures += check_str(cases[i].label, "status", r->status, cases[i].want_status);
        failures += check_str(cases[i].label, "kind", mxb_kind_name(r->kind),
                              mxb_kind_name(cases[i].want_kind));
    }
    assert_int_equal(failures, 0);
}

/* postfix_report - a Postfix report about ana@example.jp: PARAGRAPHS as its
 * human-readable part, DIAGNOSTIC in its status part; caller frees */
static char *postfix_report(const char *paragraphs, const char *diagnostic)
{
    return g_strdup_printf(
        "From: MAILER-DAEMON@mx.example.net\nTo: b+tok@bounces.example.com\n"
        "Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
        "--b\nContent-Type: text/plain\n\nThis is the mail system at host mx.example.net.\n\n"
        "%s\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; "
        "mx.example.net\n\n"
        "Final-Recipient: rfc822; ana@example.jp\nAction: failed\nStatus: 5.0.0\n"
        "Diagnostic-Code: smtp; %s\n\n--b--\n",
        paragraphs, diagnostic);
}

/* test_phase_from_text - Postfix names the SMTP phase only in its text
 * part: "(in reply to end of DATA command)" after an unknown user makes it
 * the recipient's filter; RCPT, or another recipient's paragraph, does not */
static void test_phase_from_text(void **state)
{
    static const char unknown[] = "550 Unknown user ana@example.jp";
    static const struct {
        const char *label, *paragraphs, *diagnostic, *reason;
    } cases[] = {
        {"end of DATA, wrapped",
         "<ana@example.jp>: host mx.example.jp[192.0.2.5] said: 550 Unknown user\n"
         "    ana@example.jp (in reply to end of DATA\n    command)\n",
         unknown, "content_rejected"},
        {"RCPT",
         "<ana@example.jp>: host mx.example.jp[192.0.2.5] said: 550 Unknown user\n"
         "    ana@example.jp (in reply to RCPT TO command)\n",
         unknown, "user_unknown"},
        /* A domain not found at the end of DATA: our sender's domain */
        {"a domain not found, end of DATA",
         "<ana@example.jp>: host mx.example.jp[192.0.2.5] said: 550 Domain may not\n"
         "    exist or DNS check failed (in reply to end of DATA command)\n",
         "550 Domain may not exist or DNS check failed", "sender_rejected"},
        {"a domain not found, RCPT",
         "<ana@example.jp>: host mx.example.jp[192.0.2.5] said: 550 Domain may not\n"
         "    exist or DNS check failed (in reply to RCPT TO command)\n",
         "550 Domain may not exist or DNS check failed", "domain_unknown"},
        {"end of DATA in the next recipient's paragraph",
         "<ana@example.jp>: host mx.example.jp[192.0.2.5] said: 550 Unknown user\n"
         "    ana@example.jp (in reply to RCPT TO command)\n\n"
         "<bo@example.jp>: host mx.example.jp[192.0.2.5] said: 554 Rejected (in reply to end\n"
         "    of DATA command)\n",
         unknown, "user_unknown"},
        /* A reason that only a code gave: the phase decides first. */
        {"Postfix, MAIL FROM: our sender",
         "<ana@example.jp>: host mx.example.jp[192.0.2.5] said: 554\n"
         "    Transaction failed (in reply to MAIL FROM command)\n",
         "554 Transaction failed", "sender_rejected"},
        {"Postfix, EHLO: the sending host",
         "<ana@example.jp>: host mx.example.jp[192.0.2.5] said: 550 Rejected (in reply to\n"
         "    EHLO command)\n",
         "550 Rejected", "reputation"},
        {"Postfix, RCPT TO says nothing more",
         "<ana@example.jp>: host mx.example.jp[192.0.2.5] said: 550 Rejected (in reply to\n"
         "    RCPT TO command)\n",
         "550 Rejected", "undetermined"},
        {"Exim, after EHLO",
         "  ana@example.jp\n    host mx.example.jp [192.0.2.5]\n"
         "    SMTP error from remote mail server after EHLO mx.example.net:\n    550 Rejected\n",
         "550 Rejected", "reputation"},
        {"Exim, after initial connection",
         "  ana@example.jp\n    SMTP error from remote mail server after initial connection:\n"
         "    host mx.example.jp [192.0.2.5]: 554 No\n",
         "554 No", "reputation"},
        {"Exim, after pipelined MAIL FROM",
         "  ana@example.jp\n    host mx.example.jp [192.0.2.5]\n"
         "    SMTP error from remote mail server after pipelined MAIL FROM:<b@example.com>\n"
         "    SIZE=1234: 550 No\n",
         "550 No", "sender_rejected"},
        {"words beat the phase",
         "<ana@example.jp>: host mx.example.jp[192.0.2.5] said: 554 Your message looks like\n"
         "    spam (in reply to MAIL FROM command)\n",
         "554 Your message looks like spam", "content_rejected"},
        {"a phase past the paragraph is not the recipient's",
         "<ana@example.jp>: host mx.example.jp[192.0.2.5] said: 550 Rejected\n\n"
         "<bo@example.jp>: host mx.example.jp[192.0.2.5] said: 550 Rejected (in reply to\n"
         "    MAIL FROM command)\n",
         "550 Rejected", "undetermined"},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        mxb_limits_default(&lim);
        g_autofree char *msg = postfix_report(cases[i].paragraphs, cases[i].diagnostic);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += first_is(cases[i].label, rep, "bounce", "ana@example.jp");
        failures +=
            check_str(cases[i].label, "reason", mxb_reason_name(r->reason), cases[i].reason);
    }
    assert_int_equal(failures, 0);
}

/* test_phase_of - the words of each MTA that name a phase, and the
 * phase each names; words that name none */
static void test_phase_of(void **state)
{
    static const struct {
        const char *words;
        mxb_phase phase;
    } cases[] = {
        {"in reply to end of DATA command", MXB_PHASE_END_OF_DATA},
        {"in reply to DATA command", MXB_PHASE_DATA},
        {"in reply to RCPT TO command", MXB_PHASE_RCPT},
        {"in reply to MAIL FROM command", MXB_PHASE_MAIL},
        {"in reply to EHLO command", MXB_PHASE_HELO},
        {"in reply to HELO command", MXB_PHASE_HELO},
        {"in reply to LHLO command", MXB_PHASE_HELO},
        {"SMTP error from remote mail server after initial connection", MXB_PHASE_CONNECT},
        {"remote mail server after EHLO", MXB_PHASE_HELO},
        {"remote mail server after pipelined MAIL FROM", MXB_PHASE_MAIL},
        {"remote mailer after RCPT TO", MXB_PHASE_RCPT},
        {"remote mail server after end of data", MXB_PHASE_END_OF_DATA},
        {"remote mail server after DATA", MXB_PHASE_DATA},
        {"after end of data", MXB_PHASE_END_OF_DATA},
        {"failed after I sent the message", MXB_PHASE_END_OF_DATA},
        {"failed on DATA command", MXB_PHASE_DATA},
        {"but sender was rejected", MXB_PHASE_MAIL},
        {"but greeting failed", MXB_PHASE_CONNECT},
        {"but my name was rejected", MXB_PHASE_HELO},
        {"nothing of the kind", MXB_PHASE_UNKNOWN},
    };
    g_autoptr(GRegex) re = g_regex_new(MXB_PHASE_WORDS, G_REGEX_CASELESS, 0, NULL);
    int failures = 0;

    (void)state;
    assert_non_null(re);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        gboolean named = cases[i].phase != MXB_PHASE_UNKNOWN;
        if (g_regex_match(re, cases[i].words, 0, NULL) != named) {
            fprintf(stderr, "%s: MXB_PHASE_WORDS %s\n", cases[i].words,
                    named ? "does not match" : "matches");
            failures++;
        }
        if (mxb_phase_of(cases[i].words) != cases[i].phase) {
            fprintf(stderr, "%s: phase %d, want %d\n", cases[i].words,
                    (int)mxb_phase_of(cases[i].words), (int)cases[i].phase);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* test_phase_paragraph - the phase is read in the recipient's paragraph
 * only: up to a blank line (spaces and tabs are blank), not past it */
static void test_phase_paragraph(void **state)
{
    static const struct {
        const char *para, *reason;
    } cases[] = {
        {"<ana@example.jp>: host said: 550 Unknown user (in reply to end of DATA command)\n",
         "content_rejected"},
        {"<ana@example.jp>: host said: 550 Unknown user\n(in reply to end of DATA command)\n",
         "content_rejected"},
        {"<ana@example.jp>: host said: 550 Unknown user\n\n(in reply to end of DATA command)\n",
         "user_unknown"},
        {"<ana@example.jp>: host said: 550 Unknown user\n \t\n(in reply to end of DATA command)\n",
         "user_unknown"},
        {"<ana@example.jp>: host said: 550 Unknown user\n  x\n(in reply to end of DATA command)\n",
         "content_rejected"},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg = postfix_report(cases[i].para, "550 Unknown user ana@example.jp");
        mxb_limits lim;
        mxb_limits_default(&lim);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        g_autofree char *label = g_strdup_printf("paragraph %zu", i);
        failures += check_str(label, "reason", mxb_reason_name(r->reason), cases[i].reason);
    }
    assert_int_equal(failures, 0);
}

/* test_limit_phase_scan - the phase is looked for MXB_PHASE_SCAN_MAX bytes
 * after the recipient's address at most: at the limit it counts, one past
 * it not */
static void test_limit_phase_scan(void **state)
{
    static const char addr[] = "ana@example.jp";
    /* An unknown user at the end of DATA; a reason only a code gave, at
     * EHLO: at the limit the phase counts, one past it not. */
    static const struct {
        const char *command, *diagnostic, *at, *past;
    } kinds[] = {
        {"end of DATA", "550 Unknown user ana@example.jp", "content_rejected", "user_unknown"},
        {"EHLO", "550 Rejected", "reputation", "undetermined"},
    };
    int failures = 0;

    (void)state;
    for (size_t k = 0; k < G_N_ELEMENTS(kinds); k++) {
        for (unsigned over = 0; over <= 1; over++) {
            /* From the address to "in reply": the address, ">: ", the
             * padding, " (". */
            size_t pad = MXB_PHASE_SCAN_MAX - (sizeof addr - 1) - 3 - 2 + over;
            g_autofree char *x = g_strnfill(pad, 'x');
            g_autofree char *para =
                g_strdup_printf("<%s>: %s (in reply to %s command)\n", addr, x, kinds[k].command);
            g_autofree char *msg = postfix_report(para, kinds[k].diagnostic);
            mxb_limits lim;
            mxb_limits_default(&lim);
            g_autoptr(mxb_report) rep = parse_str(msg, &lim);
            const mxb_result *r = g_ptr_array_index(rep->results, 0);
            g_autofree char *label = g_strdup_printf("%s, %s", kinds[k].command,
                                                     over ? "one past the limit" : "at the limit");
            failures += check_str(label, "reason", mxb_reason_name(r->reason),
                                  over ? kinds[k].past : kinds[k].at);
        }
    }
    assert_int_equal(failures, 0);
}

/* test_spam_filter_mark - au's "X-SPASIGN: NG" on a plain-text report
 * makes a failure the words do not explain its spam filter's */
static void test_spam_filter_mark(void **state)
{
    static const struct {
        const char *label, *header, *reason;
    } cases[] = {
        {"marked NG", "X-SPASIGN: NG\n", "content_rejected"},
        {"marked OK", "X-SPASIGN: OK\n", "undetermined"},
        {"not marked", "", "undetermined"},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        mxb_limits_default(&lim);
        g_autofree char *msg = g_strdup_printf(
            "From: MAILER-DAEMON@mx.example.ne.jp\nTo: b+tok@bounces.example.com\n"
            "Subject: Mail System Error - Returned Mail\n%s\n"
            "<mio@ezweb.example.ne.jp>\n\n"
            "Each of the following recipients was rejected by a remote mail server.\n",
            cases[i].header);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += first_is(cases[i].label, rep, "bounce", "mio@ezweb.example.ne.jp");
        failures +=
            check_str(cases[i].label, "reason", mxb_reason_name(r->reason), cases[i].reason);
    }
    assert_int_equal(failures, 0);
}

/* test_mta_names - the mta field of a fixture of each writer: from a DSN's
 * extension fields or Reporting-MTA, or from a report's words */
static void test_mta_names(void **state)
{
    static const struct {
        const char *file, *mta;
    } cases[] = {
        {"dsn-postfix-user-unknown.eml", "postfix"},
        {"dsn-address-types.eml", "exchange"}, /* X-Display-Name in a recipient's block */
        {"dsn-communigate.eml", "rfc3464"},
        {"dsn-gmail-dns-at-once.eml", "gmail"}, /* X-Original-Message-ID, Google's Reporting-MTA */
        {"text-exchange-legacy.eml", "exchange"},
        {"text-exim-multi.eml", "exim"},
        {"text-qmail.eml", "qmail"},
        {"arf-no-rcpt-to.eml", "arf"},
        {"text-hmailserver.eml", "hmailserver"}, /* after Exchange's sentence */
        {"text-smartermail.eml", "smartermail"},
    };
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        size_t len;
        g_autofree char *data = read_fixture(cases[i].file, &len);
        g_autoptr(mxb_report) rep = parse_exact(data, len, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += check_str(cases[i].file, "mta", r->mta, cases[i].mta);
    }
    /* SmarterMail's last recipient: its words end where the returned
     * message begins ("-- The header and top 20 lines of the message
     * follows --"), not twelve lines into it */
    size_t len;
    g_autofree char *data = read_fixture("text-smartermail.eml", &len);
    g_autoptr(mxb_report) rep = parse_exact(data, len, &lim);
    failures += check_int("text-smartermail.eml", "results", rep->results->len, 3);
    if (rep->results->len == 3)
        failures += check_str("text-smartermail.eml", "last diagnostic",
                              ((const mxb_result *)g_ptr_array_index(rep->results, 2))->diagnostic,
                              "Reason: The domain size limit has been exceeded");
    assert_int_equal(failures, 0);
}

/* test_gave_up_at_once - a recipient failed with a temporary status is
 * expired (the reporter retried until its queue lifetime ran out), unless
 * its Last-Attempt-Date is less than MXB_GAVE_UP_AT_ONCE seconds after
 * the Arrival-Date: then the words decide (Gmail's DNS error, 4.0.0,
 * within a second) */
static void test_gave_up_at_once(void **state)
{
    static const struct {
        const char *label, *arrival, *last, *reason;
    } cases[] = {
        {"one second", "Tue, 01 Oct 2019 22:04:33 -0700", "Tue, 01 Oct 2019 22:04:34 -0700",
         "network_error"},
        {"599 s", "Tue, 01 Oct 2019 22:00:00 -0700", "Tue, 01 Oct 2019 22:09:59 -0700",
         "network_error"},
        {"600 s, one past", "Tue, 01 Oct 2019 22:00:00 -0700", "Tue, 01 Oct 2019 22:10:00 -0700",
         "expired"},
        {"two days", "Tue, 01 Oct 2019 22:00:00 -0700", "Thu, 03 Oct 2019 22:00:00 -0700",
         "expired"},
        {"another zone, one minute", "Wed, 02 Oct 2019 05:00:00 +0000",
         "Tue, 01 Oct 2019 22:01:00 -0700", "network_error"},
        {"no Arrival-Date", NULL, "Tue, 01 Oct 2019 22:04:34 -0700", "expired"},
        {"no Last-Attempt-Date", "Tue, 01 Oct 2019 22:04:33 -0700", NULL, "expired"},
        {"unreadable date", "yesterday", "Tue, 01 Oct 2019 22:04:34 -0700", "expired"},
        {"last before arrival", "Tue, 01 Oct 2019 22:04:34 -0700",
         "Tue, 01 Oct 2019 22:04:33 -0700", "expired"},
        {"without seconds, a comment", "Tue, 1 Oct 2019 22:04 -0700 (PDT)",
         "Tue, 1 Oct 2019 22:05 -0700 (PDT)", "network_error"},
        {"a named zone", "Tue, 01 Oct 2019 22:04:33 PDT", "Wed, 02 Oct 2019 05:04:40 GMT",
         "network_error"},
        /* GMime reads these as other times; not strictly RFC 5322, so they
         * prove nothing (22 and 12 hours, read as seconds apart) */
        {"fractions of a second", "Tue, 01 Oct 2019 01:00:00.25 -0700",
         "Tue, 01 Oct 2019 23:00:00.75 -0700", "expired"},
        {"AM and PM", "10/01/2019 06:04:34 AM", "10/01/2019 06:10:00 PM", "expired"},
        {"a date without a time", "Tue, 01 Oct 2019", "Tue, 01 Oct 2019", "expired"},
        {"a time with dots", "Tue, 01 Oct 2019 01.00.00 -0700", "Tue, 01 Oct 2019 22.59.00 -0700",
         "expired"},
        {"a zone GMime does not know", "Tue, 01 Oct 2019 06:00:00 CEST",
         "Tue, 01 Oct 2019 06:05:00 +0000", "expired"},
    };
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *arrival = cases[i].arrival
                                       ? g_strdup_printf("Arrival-Date: %s\n", cases[i].arrival)
                                       : g_strdup("");
        g_autofree char *last = cases[i].last
                                    ? g_strdup_printf("Last-Attempt-Date: %s\n", cases[i].last)
                                    : g_strdup("");
        g_autofree char *msg = g_strdup_printf(
            "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
            "To: b+tok@bounces.example.com\n"
            "Subject: Delivery Status Notification (Failure)\n"
            "MIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n"
            "\n"
            "--b1\n"
            "Content-Type: message/delivery-status\n"
            "\n"
            "Reporting-MTA: dns; googlemail.com\n"
            "%s"
            "\n"
            "Final-Recipient: rfc822; kim@gmal.example\n"
            "Action: failed\n"
            "Status: 4.0.0\n"
            "Diagnostic-Code: smtp; DNS Error: 1234 DNS type 'mx' lookup of gmal.example\n"
            " responded with code NOERROR\n"
            "%s"
            "\n"
            "--b1--\n",
            arrival, last);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        failures += first_is(cases[i].label, rep, "bounce", "kim@gmal.example");
        failures += check_str(
            cases[i].label, "reason",
            mxb_reason_name(((const mxb_result *)g_ptr_array_index(rep->results, 0))->reason),
            cases[i].reason);
    }
    /* The per-message fields and the first recipient's in one block (no
     * blank line between): the Arrival-Date is every recipient's */
    static const char merged[] =
        "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
        "To: b+tok@bounces.example.com\n"
        "Subject: Delivery Status Notification (Failure)\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n"
        "\n"
        "--b1\n"
        "Content-Type: message/delivery-status\n"
        "\n"
        "Reporting-MTA: dns; googlemail.com\n"
        "Arrival-Date: Tue, 01 Oct 2019 22:04:33 -0700\n"
        "Final-Recipient: rfc822; kim@gmal.example\n"
        "Action: failed\n"
        "Status: 4.0.0\n"
        "Diagnostic-Code: smtp; Connection timed out\n"
        "Last-Attempt-Date: Tue, 01 Oct 2019 22:04:34 -0700\n"
        "\n"
        "Final-Recipient: rfc822; lee@gmal.example\n"
        "Action: failed\n"
        "Status: 4.0.0\n"
        "Diagnostic-Code: smtp; Connection timed out\n"
        "Last-Attempt-Date: Tue, 01 Oct 2019 22:04:35 -0700\n"
        "\n"
        "--b1--\n";
    g_autoptr(mxb_report) rep = parse_str(merged, &lim);
    failures += check_int("merged first block", "results", rep->results->len, 2);
    for (guint i = 0; i < rep->results->len; i++)
        failures += check_str(
            "merged first block", "reason",
            mxb_reason_name(((const mxb_result *)g_ptr_array_index(rep->results, i))->reason),
            "network_error");
    assert_int_equal(failures, 0);
}

/* test_mta_reporting - Google's Reporting-MTA names Gmail, with a comment,
 * a root's dot or a tab; not a host that merely ends in its letters, an
 * empty value, nor over Postfix's own fields */
static void test_mta_reporting(void **state)
{
    static const struct {
        const char *label, *fields, *mta, *rcpt_fields; /* NULL: none */
    } cases[] = {
        {"googlemail.com", "Reporting-MTA: dns; googlemail.com\n", "gmail", NULL},
        {"Sendmail's Received-From-MTA",
         "Reporting-MTA: dns; mx.example.org\n"
         "Received-From-MTA: DNS; app.example.com\n",
         "sendmail", NULL},
        {"Exchange's too, and X-Display-Name in a recipient's block",
         "Reporting-MTA: dns;mail.example.org\nReceived-From-MTA: dns;app.example.com\n",
         "exchange", "X-Display-Name: Kim\n"},
        {"Exchange Online's host",
         "Reporting-MTA: dns;BN8PR09MB1234.namprd09.prod.outlook.com\n"
         "Received-From-MTA: dns;BN8PR09MB5678.namprd09.prod.outlook.com\n",
         "exchange", NULL},
        {"Hotmail's host", "Reporting-MTA: dns;SNT004-OMC1S34.hotmail.com\n", "exchange", NULL},
        {"letters, not Microsoft's domain", "Reporting-MTA: dns; nothotmail.com\n", "rfc3464",
         NULL},
        {"a host of google.com, a comment", "Reporting-MTA: dns; mx.google.com (Google)\n", "gmail",
         NULL},
        {"the root's dot", "Reporting-MTA: dns; mx.google.com.\n", "gmail", NULL},
        {"a tab, no type", "Reporting-MTA: \tgoogle.com\n", "gmail", NULL},
        {"letters, not the domain", "Reporting-MTA: dns; notgoogle.com\n", "rfc3464", NULL},
        {"empty", "Reporting-MTA: \n", "rfc3464", NULL},
        {"one letter", "Reporting-MTA: m\n", "rfc3464", NULL},
        {"Postfix's fields first", "Reporting-MTA: dns; mx.google.com\nX-Postfix-Queue-ID: 4AB\n",
         "postfix", NULL},
    };
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg = g_strdup_printf(
            "From: MAILER-DAEMON@example.org\n"
            "To: b+tok@bounces.example.com\n"
            "Subject: Delivery Status Notification (Failure)\n"
            "MIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n"
            "\n"
            "--b1\n"
            "Content-Type: message/delivery-status\n"
            "\n"
            "%s"
            "\n"
            "Final-Recipient: rfc822; kim@example.net\n"
            "%s"
            "Action: failed\n"
            "Status: 5.1.1\n"
            "\n"
            "--b1--\n",
            cases[i].fields, cases[i].rcpt_fields ? cases[i].rcpt_fields : "");
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        failures +=
            check_str(cases[i].label, "mta",
                      ((const mxb_result *)g_ptr_array_index(rep->results, 0))->mta, cases[i].mta);
    }
    assert_int_equal(failures, 0);
}

/* test_forwarded_plain_text - a status block carried as text/plain (a
 * report forwarded as text, a status part MIME did not show) counts when
 * a mail system sent it, not in a person's mail, which may quote or
 * forward a report about someone else */
static void test_forwarded_plain_text(void **state)
{
    static const char body[] =
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=us-ascii\n"
        "\n"
        "Forwarding this, it bounced.\n"
        "\n"
        "-------- Forwarded Message --------\n"
        "Reporting-MTA: dns; mx1.example.net\n"
        "Arrival-Date: Thu, 26 Nov 2026 03:14:07 +0000\n"
        "\n"
        "Final-Recipient: rfc822; alice@example.net\n"
        "Action: failed\n"
        "Status: 5.1.1\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <alice@example.net>: User unknown\n"
        "\n"
        "-- \n"
        "Helpdesk\n";
    static const want_result want[] = {
        {"alice@example.net", "failed", "5.1.1", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"}};
    mxb_limits lim;

    (void)state;
    mxb_limits_default(&lim);
    g_autofree char *daemon =
        g_strconcat("From: Mail Delivery System <MAILER-DAEMON@mx1.example.net>\n"
                    "To: b+tok@bounces.example.com\n"
                    "Subject: Returned mail\n",
                    body, NULL);
    g_autoptr(mxb_report) rep = parse_str(daemon, &lim);
    int failures = check_report("a mail system's text", rep, want, 1);
    failures += check_str("a mail system's text", "reporting_mta",
                          ((const mxb_result *)g_ptr_array_index(rep->results, 0))->reporting_mta,
                          "mx1.example.net");
    g_autofree char *person = g_strconcat("From: Helpdesk <helpdesk@example.org>\n"
                                          "To: b+tok@bounces.example.com\n"
                                          "Subject: Fwd: Undelivered Mail Returned to Sender\n",
                                          body, NULL);
    g_autoptr(mxb_report) fwd = parse_str(person, &lim);
    failures +=
        check_str("a person's forward", "kind",
                  mxb_kind_name(((const mxb_result *)g_ptr_array_index(fwd->results, 0))->kind),
                  "not_bounce");
    assert_int_equal(failures, 0);
}

/* test_forwarded_encoded_text - a report carried as text that a mail
 * system's program encoded (base64, quoted-printable): the raw bytes hide
 * the status lines, the decoded text shows them. Not from a person (who
 * may quote a report in mail so encoded), nor in an attachment. */
static void test_forwarded_encoded_text(void **state)
{
    static const char text[] =
        "This is the mail system at host mx1.example.net.\n\n"
        "Reporting-MTA: dns; mx1.example.net\n\nFinal-Recipient: rfc822; alice@example.net\n"
        "Action: failed\nStatus: 5.1.1\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <alice@example.net>: User unknown\n";
    static const want_result want[] = {
        {"alice@example.net", "failed", "5.1.1", 550, MXB_KIND_BOUNCE, "hard", "user_unknown"}};
    static const char daemon[] = "Mail Delivery System <MAILER-DAEMON@mx1.example.net>";
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    g_autofree char *b64 = g_base64_encode((const guchar *)text, strlen(text));
    GString *folded = g_string_new(NULL);
    for (size_t i = 0; b64[i] != '\0'; i += 76)
        g_string_append_printf(folded, "%.76s\n", b64 + i);
    /* quoted-printable: every line break soft, every '=' and ':' encoded */
    GString *qp = g_string_new(NULL);
    for (const char *p = text; *p; p++) {
        if (*p == '\n' || *p == ':' || *p == '=')
            g_string_append_printf(qp, "=%02X=\n", (unsigned char)*p);
        else
            g_string_append_c(qp, *p);
    }
    static const struct {
        const char *label, *from, *head, *encoding, *tail;
        gboolean read;
    } shapes[] = {
        {"the body", daemon, "Content-Type: text/plain; charset=us-ascii\n", "base64", "", TRUE},
        {"quoted-printable", daemon, "Content-Type: text/plain; charset=us-ascii\n",
         "quoted-printable", "", TRUE},
        {"in a multipart", daemon,
         "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\n"
         "Content-Type: text/plain; charset=us-ascii\n",
         "base64", "--b--\n", TRUE},
        /* a gateway's multipart around it, for its footer */
        {"under a gateway's multipart", daemon,
         "Content-Type: multipart/mixed; boundary=\"g\"\n\n--g\n"
         "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\n"
         "Content-Type: text/plain; charset=us-ascii\n",
         "base64", "--b--\n--g\nContent-Type: text/plain\n\nScanned by the gateway.\n--g--\n",
         TRUE},
        {"from a person", "Helpdesk <helpdesk@example.org>",
         "Content-Type: text/plain; charset=us-ascii\n", "base64", "", FALSE},
        {"an attachment", daemon,
         "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\n"
         "Content-Type: text/plain; charset=us-ascii\nContent-Disposition: attachment\n",
         "base64", "--b--\n", FALSE},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(shapes); i++) {
        g_autofree char *msg = g_strdup_printf(
            "From: %s\nTo: b+tok@bounces.example.com\nSubject: Undelivered Mail Returned to "
            "Sender\n"
            "MIME-Version: 1.0\n%sContent-Transfer-Encoding: %s\n\n%s%s",
            shapes[i].from, shapes[i].head, shapes[i].encoding,
            strcmp(shapes[i].encoding, "base64") == 0 ? folded->str : qp->str, shapes[i].tail);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        if (shapes[i].read)
            failures += check_report(shapes[i].label, rep, want, 1);
        /* read as the status part's fields, not as a text report's words */
        failures += check_int(shapes[i].label, "read as a status part",
                              r->mta != NULL && strcmp(r->mta, "rfc3464") == 0, shapes[i].read);
    }
    g_string_free(folded, TRUE);
    g_string_free(qp, TRUE);
    assert_int_equal(failures, 0);
}

/* test_enrich_from_words - a DSN with only 5.0.0 takes its reason from a
 * human-readable line that names the recipient with words of a verdict */
static void test_enrich_from_words(void **state)
{
    static const char msg[] =
        "From: Mail Delivery Subsystem <mailer-daemon@example.org>\n"
        "To: b+tok@bounces.example.com\n"
        "Subject: Delivery Status Notification (Failure)\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status;\n"
        " boundary=\"b1\"\n"
        "\n"
        "--b1\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "\n"
        "** Address not found **\n"
        "\n"
        "Your message wasn't delivered to ann@example.org because the address "
        "couldn't be found.\n"
        "\n"
        "--b1\n"
        "Content-Type: message/delivery-status\n"
        "\n"
        "Reporting-MTA: dns; mx.example.org\n"
        "\n"
        "Final-Recipient: rfc822; ann@example.org\n"
        "Action: failed\n"
        "Status: 5.0.0\n"
        "\n"
        "--b1--\n";
    static const want_result want[] = {
        {"ann@example.org", "failed", "5.0.0", 0, MXB_KIND_BOUNCE, "hard", "user_unknown"}};
    mxb_limits lim;

    (void)state;
    mxb_limits_default(&lim);
    g_autoptr(mxb_report) rep = parse_str(msg, &lim);
    int failures = check_report("enrich from words", rep, want, 1);

    /* The same text inside multipart/alternative (Gmail's layout). */
    GString *alt = g_string_new(msg);
    g_string_replace(alt, "--b1\nContent-Type: text/plain; charset=UTF-8\n",
                     "--b1\nContent-Type: multipart/alternative; boundary=\"b2\"\n\n"
                     "--b2\nContent-Type: text/plain; charset=UTF-8\n",
                     1);
    g_string_replace(alt, "couldn't be found.\n\n--b1\n",
                     "couldn't be found.\n\n--b2\nContent-Type: text/html\n\n<p>x</p>\n"
                     "--b2--\n\n--b1\n",
                     1);
    g_autofree char *m2 = g_string_free(alt, FALSE);
    assert_non_null(strstr(m2, "multipart/alternative")); /* both replacements made */
    assert_non_null(strstr(m2, "--b2--"));
    g_autoptr(mxb_report) rep2 = parse_str(m2, &lim);
    failures += check_report("enrich from words, alternative", rep2, want, 1);

    /* The words before the address on its line: an Exim pipe, IMail's
     * "Unknown user: a@b"; a line with no words leaves the result alone. */
    static const struct {
        const char *label, *line, *reason, *klass;
        const char *status; /* a reply's status, or the status part's */
        int code;
    } before[] = {
        {"Exim pipe",
         "  pipe to |/usr/local/bin/prog ann@example.org /home/ann\n"
         "    generated by ann@example.org\n",
         "system_error", "soft", "5.0.0", 0},
        {"words before the address", "Unknown user: ann@example.org\n", "user_unknown", "hard",
         "5.0.0", 0},
        {"no words on the line", "To: ann@example.org\n", "undetermined", "soft", "5.0.0", 0},
        {"the sentence goes on on the next line",
         "Your message to ann@example.org could not be delivered,\n"
         "because the recipient does not exist.\n",
         "user_unknown", "hard", "5.0.0", 0},
        {"a deeper next line goes on",
         "Your message to ann@example.org was returned\n    because the recipient does not exist\n",
         "user_unknown", "hard", "5.0.0", 0},
        {"quoted fields with full-width colons",
         "To\xef\xbc\x9a ann@example.org\nSubject\xef\xbc\x9a Your account does not exist\n",
         "undetermined", "soft", "5.0.0", 0},
        {"the next line without a verdict", "To: ann@example.org\nSubject: November digest\n",
         "undetermined", "soft", "5.0.0", 0},
        /* the review of .41: the sender's words are no verdict */
        {"a quoted To: and the subject below it",
         "  To: ann@example.org, bob@example.org\n"
         "  Subject: Your account does not exist yet - finish signing up\n",
         "undetermined", "soft", "5.0.0", 0},
        {"a quoted To: alone and the subject below it",
         "  To: ann@example.org\n  Subject: Your account does not exist yet\n", "undetermined",
         "soft", "5.0.0", 0},
        {"a quoted To:, then the real line",
         "  To: ann@example.org\n  Subject: Invalid address on your order\n\n"
         "Recipient address: ann@example.org\nReason: Over quota\n",
         "mailbox_full", "soft", "5.0.0", 0},
        {"the next line names our sender",
         "Your message to ann@example.org was rejected by our mail filter.\n"
         "Reason: the envelope sender bounces+abc@bounce.sender.example does not exist.\n",
         "undetermined", "soft", "5.0.0", 0},
        /* the review of .43: the words that do go on */
        {"Exchange's line of the address alone",
         "ann@example.org (ann@example.org)<mailto:ann@example.org>\n"
         "Your message couldn't be delivered. The recipient's mailbox is full.\n",
         "mailbox_full", "soft", "5.0.0", 0},
        {"the next line names another address",
         "Your message to ann@example.org could not be delivered,\n"
         "The sender news@sender.example: 550 5.1.1 does not exist\n",
         "undetermined", "soft", "5.0.0", 0},
        {"the next line quotes the subject",
         "Your message to ann@example.org, with the subject\n  "
         "\"Reminder: your invoice address is not valid\" could not be delivered.\n",
         "undetermined", "soft", "5.0.0", 0},
        /* A server's reply on the next line (the review of .43): it gives
         * the reply code and a status of its own */
        {"Postfix's reply on the next line, echoing the address",
         "<ann@example.org>: host mx.example.org[192.0.2.1]\n"
         "    said: 552 <ann@example.org> rejected: over quota\n",
         "mailbox_full", "soft", "5.0.0", 552},
        {"a server's reply on the next line",
         "Your message to ann@example.org could not be delivered.\n"
         "The remote server said: 550 5.2.1 mailbox unavailable\n",
         "user_unknown", "hard", "5.2.1", 550},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(before); i++) {
        GString *m = g_string_new(msg);
        g_string_replace(m,
                         "Your message wasn't delivered to ann@example.org because the address "
                         "couldn't be found.\n",
                         before[i].line, 1);
        g_autofree char *m3 = g_string_free(m, FALSE);
        assert_null(strstr(m3, "couldn't be found")); /* replaced */
        const want_result w = {"ann@example.org", "failed",        before[i].status, before[i].code,
                               MXB_KIND_BOUNCE,   before[i].klass, before[i].reason};
        g_autoptr(mxb_report) rep3 = parse_str(m3, &lim);
        failures += check_report(before[i].label, rep3, &w, 1);
    }
    assert_int_equal(failures, 0);
}

/* test_text_display_name - "a@b <c@d>": the address is c@d, and an address
 * later on the recipient's own line belongs to its diagnostic */
static void test_text_display_name(void **state)
{
    static const char msg[] = "From: Mail Delivery System <Mailer-Daemon@mx.example.net>\n"
                              "To: b+tok@bounces.example.com\n"
                              "Subject: Mail delivery failed: returning message to sender\n"
                              "\n"
                              "A message that you sent contained one or more recipient addresses "
                              "that were\nincorrectly constructed:\n"
                              "\n"
                              "  kim@example.com <lee@example.net>: malformed address: "
                              "<lee@example.net> may not follow kim@example.com\n"
                              "\n"
                              "This address has been ignored.\n";
    mxb_limits lim;

    (void)state;
    mxb_limits_default(&lim);
    g_autoptr(mxb_report) rep = parse_str(msg, &lim);
    const mxb_result *r = g_ptr_array_index(rep->results, 0);
    int failures = check_int("display name", "results", rep->results->len, 1);
    failures += check_str("display name", "recipient", r->recipient, "lee@example.net");
    assert_int_equal(failures, 0);
}

/* test_delay_subjects - the subject of a plain-text report tells a delay
 * warning (kind delayed) from a report that gave up, when its words do
 * not say (the fixture's "has been delayed" taken out); words that say
 * it is still trying make a delay warning under any subject */
static void test_delay_subjects(void **state)
{
    static const struct {
        const char *subject;
        mxb_kind kind;
    } cases[] = {
        {"Delivery Status Notification (Delay)", MXB_KIND_DELAYED},
        {"Delivery status notification: warning", MXB_KIND_DELAYED},
        {"Warning: could not send message for past 4 hours", MXB_KIND_DELAYED},
        {"Mail delivery warning", MXB_KIND_DELAYED},
        {"=?utf-8?q?=C3=9Cbermittlung_verz=C3=B6gert=3A_Rechnung?=", MXB_KIND_DELAYED},
        {"=?utf-8?q?Remise_retard=C3=A9e_=3A_Facture?=", MXB_KIND_DELAYED},
        {"Entrega retrasada: Factura", MXB_KIND_DELAYED},
        {"Recapito ritardato: Fattura", MXB_KIND_DELAYED},
        {"Bezorging vertraagd: Factuur", MXB_KIND_DELAYED},
        {"=?utf-8?b?6YWN5L+h6YGF5bu244Gu44GK55+l44KJ44Gb?=", MXB_KIND_DELAYED},
        {"Undelivered Mail Returned to Sender", MXB_KIND_BOUNCE},
        {"Returned mail: see transcript for details", MXB_KIND_BOUNCE},
        {"Warnings about your account", MXB_KIND_BOUNCE}, /* not at the end */
        /* MDaemon's notice of a failure under "Warning:" */
        {"Warning: jo@example.net - User unknown!", MXB_KIND_BOUNCE},
        /* a delay warning that quotes a subject with failure words */
        {"Delivery Delayed: Invalid address on your order", MXB_KIND_DELAYED},
        {"Warning: message delayed, unable to deliver for 4 hours", MXB_KIND_DELAYED},
    };
    static const char *const failure_subjects[] = {"Undelivered Mail Returned to Sender",
                                                   "Delivery failure notification"};
    size_t len;
    g_autofree char *fixture = read_fixture("text-delay-warning.eml", &len);
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *subject = g_strconcat("Subject: ", cases[i].subject, NULL);
        g_autoptr(GRegex) re = g_regex_new("^Subject: Delivery Status Notification \\(Delay\\)$",
                                           G_REGEX_MULTILINE, 0, NULL);
        g_autofree char *msg =
            g_regex_replace_literal(re, fixture, (gssize)len, 0, subject, 0, NULL);
        g_autoptr(GRegex) words = g_regex_new("has been delayed:", 0, 0, NULL);
        g_autofree char *neutral0 =
            g_regex_replace_literal(words, msg, -1, 0, "was not delivered:", 0, NULL);
        /* the banner of a warning says so by itself (below) */
        g_autoptr(GRegex) banner = g_regex_new("THIS IS A WARNING MESSAGE ONLY\\.|will be retried"
                                               "|YOU DO NOT NEED TO RESEND YOUR MESSAGE\\.",
                                               0, 0, NULL);
        g_autofree char *neutral =
            g_regex_replace_literal(banner, neutral0, -1, 0, "Details follow.", 0, NULL);
        g_autoptr(mxb_report) rep = parse_str(neutral, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += check_str(cases[i].subject, "kind", mxb_kind_name(r->kind),
                              mxb_kind_name(cases[i].kind));
    }
    for (size_t i = 0; i < G_N_ELEMENTS(failure_subjects); i++) {
        g_autofree char *subject = g_strconcat("Subject: ", failure_subjects[i], NULL);
        g_autoptr(GRegex) re = g_regex_new("^Subject: Delivery Status Notification \\(Delay\\)$",
                                           G_REGEX_MULTILINE, 0, NULL);
        g_autofree char *msg =
            g_regex_replace_literal(re, fixture, (gssize)len, 0, subject, 0, NULL);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += check_str(failure_subjects[i], "kind (the words say delayed)",
                              mxb_kind_name(r->kind), "delayed");
    }
    assert_int_equal(failures, 0);
}

/* test_retrying_words - a plain-text report that says it is still trying
 * is a delay warning under any subject and any sender; not when it also
 * carries a permanent reply or status, or says the message comes back */
static void test_retrying_words(void **state)
{
    static const struct {
        const char *body, *kind;
    } cases[] = {
        {"Please do not resend your original message.\n\nDelivery attempts will continue to be "
         "made for 5  day(s).\n",
         "delayed"},
        {"The server will retry for 2 more days.\n", "delayed"},
        {"550 5.1.1 User unknown\n\nContact your postmaster, who will try to help.\n", "bounce"},
        {"Your message has been delayed for 48 hours and has been aborted.\n", "bounce"},
        {"This message has been delayed 5 times and will be returned.\n", "bounce"},
        {"No further delivery attempts will be made; the message has been delayed too long.\n",
         "bounce"},
        {"Our server will try to notify the recipient's administrator.\n", "bounce"},
        {"550 5.7.1 Rejected. Our server will retry delivery of other messages\n", "bounce"},
        {"I'm not going to try again; this message has been in the queue too long. It will "
         "retry no more.\n",
         "bounce"},
    };
    int failures = 0;
    mxb_limits lim;

    (void)state;
    mxb_limits_default(&lim);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg = g_strdup_printf(
            "From: Mail Gateway <gateway@mx.example.net>\nTo: b@bounces.example.com\n"
            "Subject: Undeliverable: hello\n\njo@example.org\n%s",
            cases[i].body);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        failures += first_is(cases[i].body, rep, cases[i].kind, "jo@example.org");
    }
    assert_int_equal(failures, 0);
}

/* test_envelope_sender - a notice without subject or mail-system sender is
 * a report only with the null sender: from the envelope when the filter
 * knows it, else from Return-Path (Postfix strips that field) */
static void test_envelope_sender(void **state)
{
    static const char body[] = "From: no-reply@carrier.example.net\n"
                               "To: b+tok@bounces.example.com\n"
                               "Content-Type: text/plain\n"
                               "\n"
                               "Could not be delivered to: <amy@carrier.example.net>\n"
                               "As their mailbox is full.\n";
    static const struct {
        const char *label, *return_path, *sender;
        mxb_kind kind;
    } cases[] = {
        {"null envelope sender", NULL, "", MXB_KIND_BOUNCE},
        {"<> envelope sender", NULL, "<>", MXB_KIND_BOUNCE},
        {"envelope sender of a person", NULL, "amy@carrier.example.net", MXB_KIND_NOT_BOUNCE},
        {"unknown envelope, Return-Path <>", "Return-Path: <>\n", NULL, MXB_KIND_BOUNCE},
        {"unknown envelope, no Return-Path", "", NULL, MXB_KIND_NOT_BOUNCE},
        {"envelope wins over Return-Path", "Return-Path: <>\n", "x@example.org",
         MXB_KIND_NOT_BOUNCE},
    };
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg =
            g_strconcat(cases[i].return_path ? cases[i].return_path : "", body, NULL);
        mxb_report *rep = NULL;
        mxb_report_parse_envelope(&rep, msg, strlen(msg), &lim, cases[i].sender);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures +=
            check_str(cases[i].label, "kind", mxb_kind_name(r->kind), mxb_kind_name(cases[i].kind));
        mxb_report_free(rep);
    }
    assert_int_equal(failures, 0);
}

/* test_body_not_utf8 - the words of a notice from the null sender are
 * read in its body even when the body is not UTF-8 throughout: a stray
 * byte, or the 8 KB read cutting a character in two */
static void test_body_not_utf8(void **state)
{
    static const char head[] = "From: no-reply@carrier.example.net\n"
                               "To: b+tok@bounces.example.com\n"
                               "Content-Type: text/plain; charset=utf-8\n"
                               "\n";
    static const char words[] = "Could not be delivered to: <amy@carrier.example.net>\n"
                                "As their mailbox is full.\n";
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    /* a stray byte (Latin-1 in a UTF-8 part) before the words */
    g_autofree char *stray = g_strconcat(head, "Caf\xe9 ferm\xe9.\n", words, NULL);
    /* the words, then text whose 8,192nd byte is the first of "é" */
    GString *cut = g_string_new(head);
    g_string_append(cut, words);
    gsize body_start = strlen(head);
    while (cut->len - body_start < 8191)
        g_string_append_c(cut, 'x');
    g_string_append(cut, "\xc3\xa9 and more\n");
    const char *msgs[] = {stray, cut->str};
    const char *labels[] = {"a stray Latin-1 byte", "a character cut at 8 KB"};

    for (size_t i = 0; i < G_N_ELEMENTS(msgs); i++) {
        mxb_report *rep = NULL;
        mxb_report_parse_envelope(&rep, msgs[i], strlen(msgs[i]), &lim, "");
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures +=
            check_str(labels[i], "kind", mxb_kind_name(r->kind), mxb_kind_name(MXB_KIND_BOUNCE));
        failures += check_str(labels[i], "recipient", r->recipient, "amy@carrier.example.net");
        mxb_report_free(rep);
    }
    g_string_free(cut, TRUE);
    assert_int_equal(failures, 0);
}

/* test_encodings - the words of a plain-text report reach the diagnostic
 * as UTF-8 whatever the charset label says: Shift_JIS, UTF-7, a misspelled
 * label, no label over 8-bit text, and bytes that fit no label */
static void test_encodings(void **state)
{
    static const struct {
        const char *label, *charset, *body, *want;
    } cases[] = {
        {"Shift_JIS", "shift_jis",
         "\x83\x86\x81\x5b\x83\x55\x81\x5b\x95\x73\x96\xbe\x82\xc5\x82\xb7", "ユーザー不明です"},
        {"UTF-7", "utf-7", "+MOYw/DC2MPxODWYOMGcwWQ-", "ユーザー不明です"},
        {"misspelled utf8", "utf8", "Empf\xc3\xa4nger unbekannt", "Empfänger unbekannt"},
        {"misspelled latin1", "iso8859-1", "Empf\xe4nger unbekannt", "Empfänger unbekannt"},
        {"unknown label", "x-no-such-charset", "Empf\xe4nger unbekannt", NULL},
        {"no label, 8-bit", NULL, "Empf\xe4nger unbekannt", NULL},
    };
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *ct = cases[i].charset
                                  ? g_strdup_printf("text/plain; charset=%s", cases[i].charset)
                                  : g_strdup("text/plain");
        g_autofree char *msg = g_strdup_printf("From: MAILER-DAEMON@mx.example.net\n"
                                               "To: b+tok@bounces.example.com\n"
                                               "Subject: Undelivered Mail Returned to Sender\n"
                                               "Content-Type: %s\n"
                                               "Content-Transfer-Encoding: 8bit\n"
                                               "\n"
                                               "<cy@example.jp>:\n"
                                               "%s\n",
                                               ct, cases[i].body);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += check_str(cases[i].label, "recipient", r->recipient, "cy@example.jp");
        if (r->diagnostic == NULL || !g_utf8_validate(r->diagnostic, -1, NULL)) {
            print_message("%s: diagnostic missing or not UTF-8\n", cases[i].label);
            failures++;
        } else if (cases[i].want) {
            failures += check_str(cases[i].label, "diagnostic", r->diagnostic, cases[i].want);
        }
    }
    assert_int_equal(failures, 0);
}

/* part_text_of - the text of a one-part message's body, as mxb_part_text
 * gives it */
static char *part_text_of(const char *charset, const char *body)
{
    g_autofree char *raw = g_strdup_printf("Content-Type: text/plain; charset=%s\n"
                                           "Content-Transfer-Encoding: 8bit\n\n%s",
                                           charset, body);
    GMimeMessage *msg = mxb_gmime_parse(raw, strlen(raw));
    char *text = mxb_part_text(g_mime_message_get_body(msg), 100, NULL);

    g_object_unref(msg);
    return text;
}

/* test_charset_fallbacks - old mailers' "x-" names of a charset are read
 * without the prefix; unlabelled 8-bit Western text is Windows-1252, not
 * CJK text nor a character cut at the end; RFC 2047 words in a
 * Diagnostic-Code are decoded, but not an address's */
static void test_charset_fallbacks(void **state)
{
    static const struct {
        const char *charset, *body, *want;
    } cases[] = {
        {"x-sjis", "\x83\x81\x81[\x83\x8b", "\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab"}, /* メール */
        {"x-x-big5", "\xa4\xa3", "\xe4\xb8\x8d"},                                    /* 不 */
        {"us-ascii", "Grund: Empf\xe4nger unbekannt", "Grund: Empf\xc3\xa4nger unbekannt"},
        {"us-ascii", "price \x80 5", "price \xe2\x82\xac 5"}, /* Windows-1252's euro */
        /* nearly all 8-bit: CJK without a label stays as sent */
        {"us-ascii", "\xd3\xc3\xbb\xa7\xb2\xbb\xb4\xe6\xd4\xda", NULL},
        /* valid UTF-8 and a character cut at the end stay */
        {"us-ascii", "Empf\xc3\xa4nger", "Empf\xc3\xa4nger"},
        {"us-ascii", "Empfang \xc3", "Empfang \xc3\x83"}, /* not cut: Windows-1252 */
        /* UTF-8 words and one stray byte: only that byte is re-read */
        {"us-ascii",
         "Empf\xc3\xa4nger unbekannt; Gr\xfc\xdf"
         "e",
         "Empf\xc3\xa4nger unbekannt; Gr\xc3\xbc\xc3\x9f"
         "e"},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *t = part_text_of(cases[i].charset, cases[i].body);
        failures +=
            check_str(cases[i].body, "text", t, cases[i].want ? cases[i].want : cases[i].body);
    }
    /* a character the reader's cap (100 bytes here) cut in two stays */
    GString *longer = g_string_new(NULL);
    for (int i = 0; i < 99; i++)
        g_string_append_c(longer, 'a');
    g_string_append(longer, "\xc3\xa4");
    g_autofree char *cuttext = part_text_of("us-ascii", longer->str);
    g_string_truncate(longer, 100);
    failures += check_str("cut by the cap", "text", cuttext, longer->str);
    g_string_free(longer, TRUE);

    static const char head[] =
        "From: MAILER-DAEMON@mx.sender.example\nTo: b+x@bounces.example.com\n"
        "Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
        "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.sender.example\n\n"
        "Final-Recipient: rfc822; %s\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; %s\n\n"
        "--B--\n";
    mxb_limits lim;
    mxb_limits_default(&lim);
    g_autofree char *m1 =
        g_strdup_printf(head, "jo@example.de", "550 =?UTF-8?Q?Empf=C3=A4nger_unbekannt?=");
    g_autoptr(mxb_report) r1 = parse_str(m1, &lim);
    const mxb_result *a = g_ptr_array_index(r1->results, 0);
    failures += check_str("encoded word", "diagnostic", a->diagnostic, "550 Empfänger unbekannt");
    failures += check_str("encoded word", "reason", mxb_reason_name(a->reason), "user_unknown");
    g_autofree char *m2 =
        g_strdup_printf(head, "=?utf-8?B?8J+QiA==?=@example.org",
                        "550 5.1.1 <=?utf-8?B?8J+QiA==?=@example.org>... User unknown");
    g_autoptr(mxb_report) r2 = parse_str(m2, &lim);
    const mxb_result *b = g_ptr_array_index(r2->results, 0);
    failures += check_str("encoded local part", "diagnostic", b->diagnostic,
                          "550 5.1.1 <=?utf-8?B?8J+QiA==?=@example.org>... User unknown");
    assert_int_equal(failures, 0);
}

/* test_exchange_localized_ndr - Exchange's report in Chinese, with no
 * status part: its subject ("无法投递:") makes it a failure; its sender,
 * the system mailbox "MicrosoftExchange<hex>", is no mark of a report */
static void test_exchange_localized_ndr(void **state)
{
    static const char msg[] =
        "From: Microsoft Outlook\n "
        "<MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@contoso.example>\n"
        "To: b+x@bounces.example.com\n"
        "Subject: =?utf-8?b?5peg5rOV5oqV6YCSOiDmiqXku7c=?=\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
        "wu.hao@contoso.example\n"
        "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found'\n";
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    g_autoptr(mxb_report) rep = parse_str(msg, &lim);
    assert_int_equal(rep->results->len, 1);
    const mxb_result *r = g_ptr_array_index(rep->results, 0);
    failures += first_is("zh NDR", rep, "bounce", "wu.hao@contoso.example");
    failures += check_str("zh NDR", "reason", mxb_reason_name(r->reason), "user_unknown");
    assert_int_equal(failures, 0);
}

/* test_limit_charset_pins - a charset's converter is kept once however many
 * parts use it; names fill the table up to MXB_CHARSET_PINS_MAX and not
 * one past it, and parts convert the same either way */
static void test_limit_charset_pins(void **state)
{
    char name[64];
    char *t;

    (void)state;
    t = part_text_of("ISO-8859-2", "\xb1");
    assert_string_equal(t, "\xc4\x85"); /* ą */
    g_free(t);
    guint n = mxb_charset_pins();
    assert_true(n >= 1 && n < MXB_CHARSET_PINS_MAX);
    t = part_text_of("iso-8859-2", "\xb1"); /* the same charset again */
    assert_string_equal(t, "\xc4\x85");
    g_free(t);
    assert_int_equal(mxb_charset_pins(), n);

    /* A name of MXB_CHARSET_NAME_MAX bytes is kept, one byte more is not. */
    char longname[MXB_CHARSET_NAME_MAX + 2];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0'; /* one past */
    g_free(part_text_of(longname, "caf\xe9"));
    assert_int_equal(mxb_charset_pins(), n);
    longname[MXB_CHARSET_NAME_MAX] = '\0'; /* at the limit */
    g_free(part_text_of(longname, "caf\xe9"));
    assert_int_equal(mxb_charset_pins(), ++n);

    /* Names iconv does not know count too: each is kept once. */
    for (guint i = 0; mxb_charset_pins() < MXB_CHARSET_PINS_MAX; i++) {
        g_snprintf(name, sizeof name, "x-mxb-pin-%u", i);
        t = part_text_of(name, "caf\xe9");
        assert_memory_equal(t, "caf\xe9", 5); /* the bytes as sent */
        g_free(t);
        assert_int_equal(mxb_charset_pins(), n + i + 1);
    }
    /* One past: not kept, and still converted. */
    t = part_text_of("KOI8-R", "\xc1");
    assert_string_equal(t, "\xd0\xb0"); /* а */
    g_free(t);
    t = part_text_of("x-mxb-pin-past", "caf\xe9");
    assert_memory_equal(t, "caf\xe9", 5);
    g_free(t);
    assert_int_equal(mxb_charset_pins(), MXB_CHARSET_PINS_MAX);
}

/* test_limit_json_depth - an SES notification nested MXB_JSON_MAX_DEPTH (64)
 * deep is read; one level more is not, and says so in the report's
 * problem; half a million levels neither crash nor hang */
static void test_limit_json_depth(void **state)
{
    static const struct {
        const char *label;
        size_t brackets; /* levels inside the 4 of the notification */
        const char *recipient;
        const char *problem; /* "": none; NULL: not checked (the megabyte line
                              * is noted first) */
    } cases[] = {
        {"JSON 64 deep", 60, "a@example.net", ""},
        {"JSON 65 deep", 61, NULL, "JSON nested too deep"},
        {"JSON 500,004 deep", 500000, NULL, NULL},
    };
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        GString *m =
            g_string_new("From: x@example.com\nTo: b+tok@bounces.example.com\n"
                         "Subject: AWS Notification Message\nContent-Type: text/plain\n\n"
                         "{\"notificationType\":\"Bounce\",\"bounce\":{\"bouncedRecipients\":"
                         "[{\"emailAddress\":\"a@example.net\",\"x\":");
        for (size_t k = 0; k < cases[i].brackets; k++)
            g_string_append_c(m, '[');
        for (size_t k = 0; k < cases[i].brackets; k++)
            g_string_append_c(m, ']');
        g_string_append(m, "}]}}\n");
        g_autofree char *msg = g_string_free(m, FALSE);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += check_str(cases[i].label, "recipient", r->recipient, cases[i].recipient);
        if (cases[i].problem)
            failures += check_str(cases[i].label, "problem", rep->problem ? rep->problem : "",
                                  cases[i].problem);
    }
    assert_int_equal(failures, 0);
}

/* test_content_offset - skip the mbox line and leading trace fields */
static void test_content_offset(void **state)
{
    static const struct {
        const char *label;
        const char *in;
        const char *rest; /* all of the input from the offset on */
    } cases[] = {
        {"nothing to skip", "From: a@example.net\nSubject: x\n",
         "From: a@example.net\nSubject: x\n"},
        {"mbox line", "From MAILER-DAEMON Thu Nov 26 03:20:00 2026\nFrom: a@example.net\n",
         "From: a@example.net\n"},
        {"all trace fields, folded",
         "From MAILER-DAEMON Thu Nov 26 03:20:00 2026\n"
         "Return-Path: <>\n"
         "Received: from mx1.example.net (mx1.example.net [203.0.113.41])\n"
         "\tby mx.bounces.example.com (Postfix) with ESMTPS id 4Hx7pQ1Rk2z5\n"
         "    for <b+abc@bounces.example.com>; Thu, 26 Nov 2026 03:14:10 +0000\n"
         "Delivered-To: b+abc@bounces.example.com\n"
         "X-Original-To: b+abc@bounces.example.com\n"
         "Received: by mx1.example.net (Postfix)\n"
         "\tid 7C41E2A0F3\n"
         "Date: Thu, 26 Nov 2026 03:14:09 +0000\n"
         "Received: after the first other header\n",
         "Date: Thu, 26 Nov 2026 03:14:09 +0000\n"
         "Received: after the first other header\n"},
        {"stops at the first other header",
         "Received: a\nSubject: s\nReceived: b\nReturn-Path: <>\n",
         "Subject: s\nReceived: b\nReturn-Path: <>\n"},
        {"CRLF, folded", "Return-Path: <>\r\nReceived: from a\r\n\tby b\r\n for c\r\nDate: x\r\n",
         "Date: x\r\n"},
        {"case-insensitive names", "RECEIVED: a\nreturn-path: <>\nDate: x\n", "Date: x\n"},
        {"what receivers and their filters stamp on top",
         "Received-SPF: pass (mx2: domain of x designates y)\n"
         "Authentication-Results: mx2.example.net; spf=pass\n"
         "ARC-Seal: i=1; a=rsa-sha256; cv=none\nARC-Message-Signature: i=1; h=from\n"
         "ARC-Authentication-Results: i=1; mx2\nX-Spam-Status: No, score=0.1\n"
         "X-Spam-Flag: NO\nX-Rspamd-Queue-Id: 4B1C2\nX-Rspamd-Server: r1\n"
         "X-Amavis-Modified: yes\nX-Virus-Scanned: amavisd-new\nX-Quarantine-ID: <q1>\n"
         "X-Greylist: delayed 300 seconds\nX-Envelope-From: <>\nX-Envelope-To: b@b.example\n"
         "Date: x\n",
         "Date: x\n"},
        {"a family's prefix alone is no field", "X-Spam-: 1\nX-Spam: 1\nDate: x\n",
         "X-Spam-: 1\nX-Spam: 1\nDate: x\n"},
        {"a longer name is another field", "Received-By: a\nX-Greylisted: b\n",
         "Received-By: a\nX-Greylisted: b\n"},
        {"a blank before the colon: no trace field", "Received : a\nDate: x\n",
         "Received : a\nDate: x\n"},
        {"the report's own X- fields stay", "Received: a\nX-Mailer: m\nX-Spam-Flag: NO\n",
         "X-Mailer: m\nX-Spam-Flag: NO\n"},
        {"X-Original-To only", "X-Original-To: b@example.com\nTo: b@example.com\n",
         "To: b@example.com\n"},
        {"From: is not an mbox line", "From: a@example.net\nReceived: a\n",
         "From: a@example.net\nReceived: a\n"},
        {"no final newline", "Received: a\n\tb", ""},
        {"mbox line without newline", "From MAILER-DAEMON", ""},
        {"body right after trace fields", "Received: a\n\nReceived: b\n", "\nReceived: b\n"},
        {"blank lines above the header", "\n  \t\r\n\r\nReceived: a\nDate: x\n", "Date: x\n"},
        {"blank lines above an mbox line", "\n\nFrom a@b Thu\nDate: x\n", "Date: x\n"},
        {"blank lines above a body: kept", "\n\nHello there\n", "\n\nHello there\n"},
        {"only blank lines: kept", "\n \n", "\n \n"},
        {"empty", "", ""},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        size_t len = strlen(cases[i].in);
        g_autofree char *copy = unit_copy(cases[i].in, len);
        size_t off = mxb_report_content_offset(copy, len);
        failures += check_int(cases[i].label, "offset within input", off <= len, TRUE);
        if (off <= len)
            failures += check_str(cases[i].label, "rest", cases[i].in + off, cases[i].rest);
    }
    assert_int_equal(failures, 0);
}

/* test_content_offset_length - bytes after len are never looked at */
static void test_content_offset_length(void **state)
{
    static const char buf[] = "Received: a\n\tb\nReceived: c\nDate: x\n";
    static const struct {
        size_t len;
        size_t want;
    } cases[] = {
        {0, 0},   /* nothing */
        {5, 0},   /* "Recei": not a trace field */
        {9, 9},   /* "Received:" */
        {12, 12}, /* "Received: a\n" */
        {13, 13}, /* the folded line begins */
        {15, 15}, /* "\tb\n" */
        {27, 27}, /* second Received */
        {30, 27}, /* "Dat" */
        {sizeof buf - 1, 27},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *copy = unit_copy(buf, cases[i].len);
        char label[32];
        g_snprintf(label, sizeof label, "len %zu", cases[i].len);
        failures +=
            check_int(label, "offset", (long long)mxb_report_content_offset(copy, cases[i].len),
                      (long long)cases[i].want);
    }
    assert_int_equal(failures, 0);
}

/* test_html_style_script_comment - a report's HTML: what its style
 * sheet, script and comments hold is no words of it (a 21cn.com report's
 * CSS had become its diagnostic); an element that never ends drops the
 * rest, as a browser shows nothing of it */
static void test_html_style_script_comment(void **state)
{
    static const char head[] = "Return-Path: <>\n"
                               "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n"
                               "To: b+x@bounces.example.com\n"
                               "Subject: Undeliverable mail\n"
                               "MIME-Version: 1.0\n"
                               "Content-Type: text/html; charset=utf-8\n\n";
    static const struct {
        const char *label, *html, *diagnostic, *reason;
    } cases[] = {
        {"style, script and comment dropped",
         "<html><head><STYLE type=\"text/css\">.n { font: 12px } /* over quota */</STYLE >\n"
         "<script>var s = \"blocked using zen\";</script><!-- mailbox <b>full</b> --></head>\n"
         "<body><p>Returned mail</p><p>We could not deliver your message to jo@example.org.</p>\n"
         "</body></html>\n",
         "Returned mail We could not deliver your message to jo@example.org.", "undetermined"},
        {"a tag that only begins with the name is kept",
         "<p>Returned mail</p><styled>x</styled><p>jo@example.org: 550 5.1.1 no such user</p>\n",
         "550 5.1.1 no such user", "user_unknown"},
        {"a style that never ends drops the rest",
         "<p>Returned mail to jo@example.org: 550 5.1.1 no such user</p><style>.n { over quota }\n",
         "550 5.1.1 no such user", "user_unknown"},
        {"a comment that never ends drops the rest",
         "<p>Returned mail to jo@example.org: 552 mailbox full</p><!-- 550 5.1.1 <b>no such "
         "user</b>\n",
         "552 mailbox full", "mailbox_full"},
        {"an empty comment ends where it begins",
         "<p>Returned mail</p><!--><p>jo@example.org: 550 5.1.1 no such user</p><!-- x -->\n",
         "550 5.1.1 no such user", "user_unknown"},
        {"so does <!--->",
         "<p>Returned mail</p><!---><p>jo@example.org: 550 5.1.1 no such user</p><!-- x -->\n",
         "550 5.1.1 no such user", "user_unknown"},
    };
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg = g_strconcat(head, cases[i].html, NULL);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        if (rep->results->len != 1) {
            failures += check_int(cases[i].label, "results", (int)rep->results->len, 1);
            continue;
        }
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += check_str(cases[i].label, "recipient", r->recipient, "jo@example.org");
        failures += check_str(cases[i].label, "diagnostic", r->diagnostic, cases[i].diagnostic);
        failures +=
            check_str(cases[i].label, "reason", mxb_reason_name(r->reason), cases[i].reason);
    }
    assert_int_equal(failures, 0);
}

/* test_one_letter_label - a recipient whose domain ends in a mistyped
 * one-letter label is that address, and its domain's lookup failure is
 * the recipient's; a one-letter label with more after it is no end */
static void test_one_letter_label(void **state)
{
    static const char head[] = "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\n"
                               "To: b+x@bounces.example.com\n"
                               "Subject: Undelivered Mail Returned to Sender\n\n"
                               "This is the mail system at host mx.example.net.\n\n"
                               "I'm sorry to have to inform you that your message could not\n"
                               "be delivered to one or more recipients.\n\n";
    static const struct {
        const char *label, *text, *recipient, *reason;
    } cases[] = {
        {"one-letter label",
         "<jo@estate.example.ne.j>: Host or domain name not found. Name\n"
         "service error for name=estate.example.ne.j type=A: Host not found\n",
         "jo@estate.example.ne.j", "domain_unknown"},
        {"a one-letter label in prose or a queue id is no address",
         "Your message could not be delivered (job 88123@q1.s, queue 4):\n"
         "<ann@example.org>: host mx.example.org said: 550 5.1.1 no such user\n"
         "Addresses such as a@b.c are examples.\n",
         "ann@example.org", "user_unknown"},
        {"a digit after the letter: no address there",
         "<jo@example.c0m>: Host or domain name not found. Name service\n"
         "error for name=example.c0m type=A: Host not found\n"
         "<ann@example.org>: host mx.example.org said: 550 5.1.1 no such user\n",
         "ann@example.org", "user_unknown"},
    };
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg = g_strconcat(head, cases[i].text, NULL);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        if (rep->results->len != 1) {
            failures += check_int(cases[i].label, "results", (int)rep->results->len, 1);
            continue;
        }
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += check_str(cases[i].label, "recipient", r->recipient, cases[i].recipient);
        failures +=
            check_str(cases[i].label, "reason", mxb_reason_name(r->reason), cases[i].reason);
    }
    assert_int_equal(failures, 0);
}

/* test_closing_advice - the reporter's closing advice under the address
 * ("Please reply to <postmaster> if you feel this message to be in
 * error") is no reason: the words above the address are */
static void test_closing_advice(void **state)
{
    static const char msg[] = "From: Mail Administrator <Postmaster@mail.example.net>\n"
                              "To: b+x@bounces.example.com\n"
                              "Subject: Mail System Error - Returned Mail\n\n"
                              "This Message was undeliverable due to the following reason:\n\n"
                              "The user(s) account is temporarily over quota.\n\n"
                              "<jo@example.net>\n\n"
                              "Please reply to <Postmaster@mail.example.net>\n"
                              "if you feel this message to be in error.\n";
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    g_autoptr(mxb_report) rep = parse_str(msg, &lim);
    assert_int_equal(rep->results->len, 1);
    const mxb_result *r = g_ptr_array_index(rep->results, 0);
    failures += check_str("closing advice", "recipient", r->recipient, "jo@example.net");
    failures += check_str("closing advice", "reason", mxb_reason_name(r->reason), "mailbox_full");
    assert_int_equal(failures, 0);
}

/* test_status_comment - a failure whose block has no Diagnostic-Code
 * reads the comment of its Status field (mox writes the remote server's
 * reply there; so does RFC 3464's example) when the text part says
 * nothing of it; a comment that says nothing more, and a delay's, are not
 * taken */
static void test_status_comment(void **state)
{
    static const char msg[] =
        "From: MAILER-DAEMON@mox.example\n"
        "To: b+x@bounces.example.com\n"
        "Subject: mail delivery failure\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
        "--B\nContent-Type: text/plain\n\nDelivery has failed.\n\n"
        "--B\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mox.example\n\n"
        "Final-Recipient: rfc822; jo@b.example\nAction: failed\n"
        "Status: 5.0.0 (remote smtp server: 550 user unknown)\n\n"
        "Final-Recipient: rfc822; al@c.example\nAction: delayed\n"
        "Status: 4.0.0 (c.example: host name lookup failure)\n\n"
        "Final-Recipient: rfc822; ed@c.example\nAction: failed\n"
        "Status: 5.0.0 (permanent failure)\n\n"
        "Final-Recipient: rfc822; cy@c.example\nAction: failed\n"
        "Status: 5.0.0 (remote smtp server: 550 user unknown)\n"
        "Diagnostic-Code: smtp; 552 mailbox full\n\n"
        "Final-Recipient: rfc822; di@c.example\nAction: failed\n"
        "Status: 5.0.0 (gave up after 551 attempts)\n\n"
        "Final-Recipient: rfc822; ev@c.example\nAction: failed\n"
        "Status: 5.0.0 (relay.sender.example: host unknown)\n\n"
        "Final-Recipient: rfc822; fy@c.example\nAction: failed\n"
        "Status: 5.0.0 (c.example: host unknown)\n\n"
        "Final-Recipient: rfc822; gu@c.example\nAction: failed\n"
        "Status: 5.0.0 (domain does not accept email as indicated with single dot for mx "
        "record)\n\n"
        "--B--\n";
    static const struct {
        const char *recipient, *reason, *diagnostic;
    } want[] = {
        {"jo@b.example", "user_unknown", "remote smtp server: 550 user unknown"},
        {"al@c.example", "expired", NULL},
        {"ed@c.example", "undetermined", NULL},
        {"cy@c.example", "mailbox_full", "552 mailbox full"},
        /* a number in the reporter's words is no reply code */
        {"di@c.example", "undetermined", NULL},
        /* another host's name: a relay's, maybe */
        {"ev@c.example", "undetermined", NULL},
        {"fy@c.example", "domain_unknown", "c.example: host unknown"},
        {"gu@c.example", "not_accepting",
         "domain does not accept email as indicated with single dot for mx record"},
    };
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    g_autoptr(mxb_report) rep = parse_str(msg, &lim);
    assert_int_equal(rep->results->len, G_N_ELEMENTS(want));
    for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
        const mxb_result *r = g_ptr_array_index(rep->results, i);
        failures += check_str(want[i].recipient, "recipient", r->recipient, want[i].recipient);
        failures +=
            check_str(want[i].recipient, "reason", mxb_reason_name(r->reason), want[i].reason);
        failures += check_str(want[i].recipient, "diagnostic", r->diagnostic, want[i].diagnostic);
    }
    assert_int_equal(failures, 0);
}

/* test_notices_without_status - a mail system's notice without a status
 * part that the message went through is no failure (unless the words
 * under an address say it failed); one that says it goes on trying is a
 * delay, also when it names nobody */
static void test_notices_without_status(void **state)
{
    /* kind NULL: two results, both failures */
    static const struct {
        const char *label, *from, *subject, *body, *kind, *recipient, *reason;
    } cases[] = {
        {"OpenSMTPD's relay notice", "MAILER-DAEMON@mx.sender.example",
         "Delivery status notification: relayed",
         "Your message was relayed to these recipients.\n\n"
         "kim@example.org: 250 2.0.0 Ok: queued as 4XyZ\n",
         "delivered", "kim@example.org", NULL},
        {"a success notice whose words under the address say expired",
         "MAILER-DAEMON@mx.sender.example", "Delivery status notification",
         "Your message was successfully delivered to these recipients.\n\n"
         "amandine@example.org: Envelope expired\n",
         "bounce", "amandine@example.org", "expired"},
        {"GroupWise's delivered status", "postmaster@agency.example", "Message status - delivered",
         "The message was delivered to the following recipient(s):\n\n  kim@agency.example\n",
         "delivered", "kim@agency.example", NULL},
        {"Exchange's Delivered: over a quoted warning", "postmaster@example.org",
         "Delivered: FW: Ransomware Trojan Warning",
         "Your message has been delivered to the following recipients:\n\nkim@example.org\n",
         "delivered", "kim@example.org", NULL},
        {"a failure that says delivered nowhere", "postmaster@example.org", "Undeliverable: Hello",
         "Your message could not be delivered to the following recipients:\n\n"
         "kim@example.org: 550 5.1.1 user unknown\n",
         "bounce", "kim@example.org", "user_unknown"},
        {"cPanel's deferral", "Mail Delivery System <MAILER-DAEMON@host.example.net>",
         "Mail delivery deferred",
         "This message was created automatically by mail delivery software.\n\n"
         "This is a temporary error. The following address(es) deferred:\n\n"
         "  kim@example.org\n"
         "    Domain example.net has exceeded the max emails per hour (121/100 (121%)) "
         "allowed.  Message will be reattempted later\n",
         "delayed", "kim@example.org", "rate_limited"},
        {"Sendmail's old warning under Returned mail:", "MAILER-DAEMON@mx.sender.example",
         "Returned mail: warning: cannot send message for 4 hours",
         "    **********************************************\n"
         "    **      THIS IS A WARNING MESSAGE ONLY      **\n"
         "    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **\n"
         "    **********************************************\n\n"
         "   ----- Transcript of session follows -----\n"
         "kim@example.org... Deferred: Connection timed out with mx.example.org.\n"
         "Will keep trying until message is 5 days old\n",
         "delayed", "kim@example.org", "network_error"},
        {"a delay warning that names nobody", "Mail Delivery System <MAILER-DAEMON@mx.example>",
         "Warning: message 1Zb92h-0002aX-BS delayed 2 hours",
         "We will continue to attempt delivery for some days.\n", "delayed", NULL, "expired"},
        {"a failure that names nobody", "Mail Delivery System <MAILER-DAEMON@mx.example>",
         "Mail delivery failed", "Your message could not be delivered.\n", "bounce", NULL,
         "undetermined"},
        /* the review of .35 */
        {"retry words in a quoted subject are the sender's",
         "System Administrator <postmaster@example.com>",
         "Undeliverable: Your card was declined - payment will be reattempted",
         "Your message\n\n  Subject: Your card was declined - payment will be reattempted\n\n"
         "did not reach the following recipient(s):\n\n"
         "sam@example.com on 2 Nov 2026 10:00\n"
         "    The recipient name is not recognized\n",
         "bounce", "sam@example.com", "user_unknown"},
        {"a notice of a success and of a failure: no success", "postmaster@mail.contoso.example",
         "Delivery Status Notification (Success)",
         "Delivery to the following recipients succeeded.\n\n       ann@contoso.example\n\n"
         "Delivery to the following recipients failed.\n\n       kim@contoso.example\n",
         NULL, NULL, NULL},
        {"a quoted subject ending in out of the office", "MAILER-DAEMON@mx.example.org",
         "Undeliverable: Your account manager is out of the office.",
         "Your message to kim@example.org could not be delivered.\n\n"
         "550 5.1.1 <kim@example.org>: Recipient address rejected: User unknown\n",
         "bounce", "kim@example.org", "user_unknown"},
        {"a quoted subject with delay in it", "MAILER-DAEMON@mx.example.org",
         "Undeliverable: Flight delay compensation",
         "Your message to kim@example.org could not be delivered:\n\n"
         "kim@example.org: the mailbox does not exist\n",
         "bounce", "kim@example.org", "user_unknown"},
        {"postmaster's report without failure words but a reply: not an auto-reply",
         "Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "Address not found",
         "Your message wasn't delivered because the address couldn't be found.\n\n"
         "The response from the remote server was:\n"
         "550 5.1.1 The email account that you tried to reach does not exist.\n",
         "bounce", NULL, "user_unknown"},
        /* the review of .36 */
        {"a success notice quoting a subject with unable, sent by an IP",
         "postmaster@contoso.example", "Relayed: Why I was unable to attend",
         "Delivery to these recipients or groups is complete, but no delivery notification was "
         "sent by the destination server:\n\njo@contoso.example\n\n"
         "Subject: Why I was unable to attend\nSent by Microsoft Exchange Server 10.4.12.5\n",
         "delivered", "jo@contoso.example", NULL},
        {"a delivery report subject", "postmaster@contoso.example", "Delivery report: Invoice",
         "Your message has been delivered to the following recipients:\n\njo@contoso.example\n",
         "delivered", "jo@contoso.example", NULL},
        /* postmaster@ sends other mail too: a report only with words of
         * a failure, a reply code or a returned message (public set 26) */
        {"postmaster's out of office, unable to answer", "Postmaster <postmaster@contoso.example>",
         "Poissaoloilmoitus: Hello",
         "I am unable to answer; I cannot check messages this week. Call 555-1234.\n", "not_bounce",
         NULL, NULL},
        {"a DMARC aggregate report from postmaster", "postmaster@amazonses.example",
         "Dmarc Aggregate Report Domain: {example.com} Submitter: {Amazon SES} Report-ID: {1}",
         "This is an aggregate report from Amazon SES.\n", "not_bounce", NULL, NULL},
        {"postmaster's notice with a reply code", "postmaster@mx.example.org", "Notice",
         "Your message was returned:\n550 5.7.1 rejected by policy\n", "bounce", NULL,
         "content_rejected"},
        {"MAILER-DAEMON's notice without words: a report", "MAILER-DAEMON@mx.example.org", "x",
         "sorry\n", "bounce", NULL, "undetermined"},
        {"a delay naming nobody whose words also say could not be delivered",
         "Mail Delivery System <MAILER-DAEMON@mx.example.org>",
         "Delayed Mail (still being retried)",
         "Your message could not be delivered for 4 hours. It will be retried until it is 5 days "
         "old.\n",
         "delayed", NULL, "expired"},
        {"a local part in UTF-8 is whole", "MAILER-DAEMON@mx.example.org", "Mail delivery failed",
         "This message was created automatically by mail delivery software.\n\n"
         "  j\xc3\xb6rg@example.de\n    550 5.1.1 user unknown\n",
         "bounce", "j\xc3\xb6rg@example.de", "user_unknown"},
        {"Sendmail's warning of transient non-fatal errors", "MAILER-DAEMON@mx.sender.example",
         "Mail status",
         "The original message was received at Mon, 2 Nov 2026 06:00:00 GMT\n\n"
         "   ----- Transcript of session follows -----\n"
         "This message was not delivered due to transient non-fatal errors.\n"
         "kim@example.org... Deferred: Connection timed out with mx.example.org.\n"
         "Will keep trying until message is 5 days old\n",
         "delayed", "kim@example.org", "network_error"},
        /* public set 25 and the review of .41 */
        {"a lure signed Email Administrator", "Email Administrator <admin@phish.example>",
         "Mail delivery failed: your mailbox is full",
         "Your mailbox has exceeded its storage limit. Incoming messages could not be delivered."
         " Click here to re-validate it.\n",
         "not_bounce", NULL, NULL},
        {"a lure signed E-mail Delivery", "E-mail Delivery <admin@phish.example>",
         "Undelivered messages pending",
         "You have 5 messages that could not be delivered to your inbox.\n", "not_bounce", NULL,
         NULL},
        {"a mail system's name inside a product's", "\"Jetmail System\" <>\nReturn-Path: <>",
         "Mail Error",
         "Your mail cannot be delivered to the following address(es):\n"
         "  dylan@example.org: mailbox full\n",
         "bounce", "dylan@example.org", "mailbox_full"},
        {"a virus notice names its forged sender",
         "MessageLabs SkyScan AV Service <av@ml.example>"
         "\nReturn-Path: <>",
         "Virus alert",
         "The email has now been quarantined and was not delivered.\n\n"
         "The message sender was a.person@sender.example\n"
         "The message recipients were:\n  jo@rcpt.example\n",
         "bounce", "jo@rcpt.example", "undetermined"},
        {"a virus notice names its sender on the next line",
         "MessageLabs SkyScan AV Service <av@ml.example>\nReturn-Path: <>", "Virus alert",
         "The email has now been quarantined and was not delivered.\n\n"
         "The message sender was\n    a.person@sender.example\n"
         "The message recipients were:\n  jo@rcpt.example\n",
         "bounce", "jo@rcpt.example", "undetermined"},
        {"returned to the sender, then the recipient", "MAILER-DAEMON@mx.example.org",
         "Undelivered Mail Returned to Sender",
         "Your message could not be delivered and is returned to the sender\n"
         "<jo@rcpt.example>: 550 5.1.1 user unknown\n",
         "bounce", "jo@rcpt.example", "user_unknown"},
        {"a notice's Message ID line names no recipient", "MAILER-DAEMON@mx.example.org",
         "Mail delivery failed",
         "Message ID: <abc123@elsewhere.example>\n\n"
         "The following address failed:\n  jo@rcpt.example\n    550 5.1.1 user unknown\n",
         "bounce", "jo@rcpt.example", "user_unknown"},
        {"a policy's following senders name no recipient", "MAILER-DAEMON@mx.example.org",
         "Undeliverable: Report",
         "Following Senders violate organizational policy: 'news@sender.example'\n\n"
         "Blocked Recipient Address: jo@rcpt.example\n",
         "bounce", "jo@rcpt.example", "content_rejected"},
        {"a replacement address to resend to is no recipient", "postmaster@rcpt.example.org",
         "Undeliverable: Hello",
         "Your message to jane.doe@rcpt.example.org was not delivered.\n"
         "Jane Doe's address has changed. Please resend your message to jane.doe@newco.example.\n",
         "bounce", "jane.doe@rcpt.example.org", "undetermined"},
        {"a leaver's notice names where it forwarded the message", "postmaster@rcpt.example.org",
         "Undeliverable: Hello",
         "This employee is no longer with the company. Your message has been forwarded to "
         "manager@rcpt.example.org.\n",
         "bounce", NULL, "user_unknown"},
        {"a message id before the recipient on its line", "MAILER-DAEMON@mx.example.org",
         "Mail delivery failed",
         "The message (message id 4711) addressed to jo@rcpt.example was rejected: user "
         "unknown.\n",
         "bounce", "jo@rcpt.example", "user_unknown"},
        {"a status changed to failed, then the recipient", "MAILER-DAEMON@mx.example.org",
         "Mail delivery failed",
         "The status of your message changed to failed for jo@rcpt.example: 550 5.1.1 user "
         "unknown\n",
         "bounce", "jo@rcpt.example", "user_unknown"},
        {"forwarded to a recipient that refused it", "MAILER-DAEMON@mx.example.org",
         "Mail delivery failed",
         "Your message has been forwarded to jo@rcpt.example but the remote server rejected it: "
         "550 5.1.1 user unknown\n",
         "bounce", "jo@rcpt.example", "user_unknown"},
        {"postmaster's reply code after reply:", "postmaster@mx.example.org", "Notice",
         "The remote server reply:550 mailbox unavailable\n", "bounce", NULL, "user_unknown"},
        {"postmaster's notice under the null sender", "postmaster@mx.example.org\nReturn-Path: <>",
         "Virus Alert", "InterScan has detected virus(es). Action: deleted\n", "bounce", NULL,
         "content_rejected"},
        {"postmaster's notice carrying a returned message",
         "postmaster@mx.example.org\nMIME-Version: 1.0\n"
         "Content-Type: multipart/mixed; boundary=\"b\"",
         "Notice",
         "--b\nContent-Type: text/plain\n\nSee the attached message.\n"
         "--b\nContent-Type: message/rfc822\n\nFrom: news@sender.example\n"
         "To: undisclosed-recipients:;\n"
         "Subject: hi\n\nhi\n--b--\n",
         "bounce", NULL, "undetermined"},
        {"a SpamCop look-alike domain", "123@reports.spamcop.net.evil.example",
         "[SpamCop (192.0.2.7) id:123]November digest", "Hello\n", "not_bounce", NULL, NULL},
        {"a challenge protecting from junk mail",
         "Jo <jo@example.org>\nAuto-Submitted: auto-replied", "Re: November digest",
         "I'm protecting myself from receiving junk mail. Please click the link below to complete "
         "the verification process.\n",
         "challenge", "jo@example.org", NULL},
        /* public set 23 */
        {"Exchange's marked report from its system mailbox, naming nobody",
         "Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@outlook.example>"
         "\nAuto-Submitted: auto-replied\nX-MS-Exchange-Message-Is-Ndr: ",
         "Undeliverable: Hello",
         "Your message couldn't be delivered. Despite repeated attempts to contact the "
         "recipient's email system it didn't respond.\n",
         "bounce", NULL, "expired"},
        /* public sets 29 and 31: a report that names nobody is still read */
        {"Exchange Online's restricted sender, naming nobody", "postmaster@outlook.example",
         "Undeliverable: Hello",
         "Your message couldn't be delivered because you weren't recognized as a valid sender.\n\n"
         "The remote server returned '550 5.1.8 Access denied, bad outbound sender'.\n",
         "bounce", NULL, "sender_rejected"},
        {"Gmail's domain not found in Spanish, naming nobody",
         "Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "Mensaje no entregado",
         "Tu mensaje no se ha entregado porque no se ha encontrado el dominio example.invalid.\n",
         "bounce", NULL, "domain_unknown"},
        {"XMail's ID line names the message, not a recipient", "MAILER-DAEMON@xmail.example",
         "Undelivered Mail",
         "[<00>] XMail bounce: Rcpt=[kim@example.org];Error=[550 5.1.1 User unknown]\n\n"
         "[<01>] Error sending message [1707900000.2104.xmail-pc] from [xmail.example].\n\n"
         "ID:        <S1A2B3@xmail.example>\nMail From: <user@xmail.example>\n"
         "Rcpt To:   <kim@example.org>\n",
         "bounce", "kim@example.org", "user_unknown"},
        /* the review of the day */
        {"a vacation reply under the null sender naming a colleague's full mailbox",
         "Jane <jane@partner.example>\nReturn-Path: <>\nAuto-Submitted: auto-replied",
         "Away until Monday",
         "I am away. Mail to bob@partner.example has not been delivered since his mailbox is "
         "full.\n",
         "auto_reply", "jane@partner.example", NULL},
        {"a failure whose subject quotes a spam report", "MAILER-DAEMON@mx.example.net",
         "Undeliverable: Weekly spam report",
         "Your message could not be delivered to kim@example.org: 550 5.1.1 user unknown\n",
         "bounce", "kim@example.org", "user_unknown"},
        /* public set 38 */
        {"Office 365's out-of-office from postmaster: the rule's mailbox",
         "postmaster@contoso.example\nX-MS-Exchange-Inbox-Rules-Loop: jane.doe@contoso.example\n"
         "Auto-Submitted: auto-replied",
         "Automatic reply: July offers", "I am out of the office until 13 July.\n", "auto_reply",
         "jane.doe@contoso.example", NULL},
        {"Amazon's auto-reply header says true", "help@shop.example\nX-Amazon-Auto-Reply: true",
         "Your message", "This is an automated reply.\n", "auto_reply", "help@shop.example", NULL},
        {"Exchange's Mailbox Rules Agent",
         "kim@example.org\nX-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent",
         "I'm out of office Re: Hello", "I'm currently out of office.\n", "auto_reply",
         "kim@example.org", NULL},
        {"a Jira notice without RFC 3834's header",
         "Jira <jira@it.example.org>\nX-JIRA-FingerPrint: 0123abcd", "[JIRA] (ITHELP-381) Printer",
         "Your request ITHELP-381 has been received.\n", "auto_reply", "jira@it.example.org", NULL},
        /* public sets 39 and 42 */
        {"Kopano's vacation header", "Anna <anna@kopano.example>\nX-Kopano-Vacation: autorespond",
         "Back on 20 July", "I am away until 20 July.\n", "auto_reply", "anna@kopano.example",
         NULL},
        {"Zarafa's vacation header", "Anna <anna@zarafa.example>\nX-Zarafa-Vacation: autorespond",
         "Back on 20 July", "I am away until 20 July.\n", "auto_reply", "anna@zarafa.example",
         NULL},
        {"Exchange's system mailbox, a copy without the null sender",
         "Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com>\n"
         "Auto-Submitted: auto-replied",
         "Undeliverable: Statements",
         "Delivery has failed to these recipients or groups:\n\nkim@example.org\n"
         "The e-mail address you entered couldn't be found.\n",
         "bounce", "kim@example.org", "user_unknown"},
        /* public set 41 */
        {"Outlook's Hungarian out-of-office subject", "Peter <peter@example.hu>\nReturn-Path: <>",
         "H\xc3\xa1zon k\xc3\xadv\xc3\xbcl: July news", "I am on leave.\n", "auto_reply",
         "peter@example.hu", NULL},
        {"Outlook's Hebrew report: the words under 'a@b (a@b)'", "postmaster@example.co.il",
         "Undeliverable: July news",
         "hannah@tip-tap.example (hannah@tip-tap.example)\n"
         "\xd7\x94\xd7\xaa\xd7\x97\xd7\x95\xd7\x9d \xd7\xa9\xd7\x9c "
         "\xd7\x94\xd7\xa0\xd7\x9e\xd7\xa2\xd7\x9f \xd7\x9c\xd7\x90 "
         "\xd7\xa7\xd7\x99\xd7\x99\xd7\x9d.\n",
         "bounce", "hannah@tip-tap.example", "domain_unknown"},
        /* the review of .59-.60: Exchange's system mailbox is its address */
        {"a display name that says MicrosoftExchange",
         "\"MicrosoftExchange Admin\" <noreply@lure.example>\nAuto-Submitted: auto-replied",
         "Invoice",
         "Your message could not be delivered to ceo@partner.example.org: 550 5.1.1 user "
         "unknown\n",
         "auto_reply", "noreply@lure.example", NULL},
        {"the system mailbox's quota notice, no report",
         "Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com>\n"
         "Auto-Submitted: auto-generated",
         "Your mailbox is almost full",
         "Your mailbox is full and can no longer send messages.\n\nkim@example.org\n", "auto_reply",
         "MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com", NULL},
        /* public set 47 */
        {"Exchange's receipt in Portuguese", "Microsoft Outlook <postmaster@example.pt>",
         "Entregue: Proposta",
         "A sua mensagem foi entregue aos seguintes destinat\xc3\xa1rios:\n\n"
         "Cliente (cliente@example.org)\n\nAssunto: Proposta\n",
         "delivered", "cliente@example.org", NULL},
        {"Exchange's receipt from its system mailbox",
         "Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com>",
         "Delivered: Offer",
         "Your message has been delivered to the following recipients:\n\n"
         "Kim (kim@example.org)\n\nSubject: Offer\n",
         "delivered", "kim@example.org", NULL},
        {"Exchange's journal report",
         "postmaster@corp.example\nReturn-Path: <>\n"
         "X-MS-Journal-Report: application/msgtnef",
         "Journal report", "Journal report for a message sent by alice@example.com.\n",
         "not_bounce", NULL, NULL},
        /* the whole day's review */
        {"MDaemon's failure under a tag", "MDaemon@mx.example.org",
         "[EXTERNAL] Warning: jo@example.org - User unknown!",
         "The message could not be delivered.\n\njo@example.org - User unknown!\n", "bounce",
         "jo@example.org", "user_unknown"},
        {"an out-of-office from a list's owner address",
         "team-owner@lists.example.org\n"
         "Auto-Submitted: auto-replied",
         "Away", "I am away; you are not allowed to post to the list while I am.\n", "auto_reply",
         "team-owner@lists.example.org", NULL},
        /* the review of .66-.67 */
        {"a receipt for a recipient named Fallon", "Microsoft Outlook <postmaster@example.com>",
         "Relayed: Offer",
         "Delivery to these recipients or groups is complete, but no delivery notification was "
         "sent by the destination server:\n\nsean.fallon@example.org\n\nSubject: Offer\n",
         "delivered", "sean.fallon@example.org", NULL},
        {"a person's forward under Outlook's Portuguese prefix", "Jo <jo@example.org>",
         "ENC: Undelivered Mail Returned to Sender",
         "Veja abaixo.\n\n<kim@example.org>: host mx.example.org said: 550 5.1.1 user unknown\n",
         "not_bounce", NULL, NULL},
        {"a person's forward under a parenthesised tag", "Jo <jo@example.org>",
         "(EXTERNAL) Fwd: Undelivered Mail Returned to Sender",
         "See below.\n\n<kim@example.org>: host mx.example.org said: 550 5.1.1 user unknown\n",
         "not_bounce", NULL, NULL},
        {"an auto-reply under a Japanese tag", "Jo <jo@example.org>",
         "\xe3\x80\x90\xe5\xa4\x96\xe9\x83\xa8\xe3\x80\x91"
         "Automatic reply: Offer",
         "I am away.\n", "auto_reply", "jo@example.org", NULL},
        /* the review of .64-.65: the negation before a receipt's words */
        {"a Portuguese failure: not delivered to these recipients", "postmaster@example.pt",
         "Mensagem devolvida",
         "A sua mensagem n\xc3\xa3o foi entregue aos seguintes destinat\xc3\xa1rios:\n\n"
         "ana@example.pt\n",
         "bounce", "ana@example.pt", "undetermined"},
        {"a Spanish failure", "postmaster@example.es", "Mensaje devuelto",
         "Su mensaje no se entreg\xc3\xb3 a los siguientes destinatarios:\n\nana@example.es\n",
         "bounce", "ana@example.es", "undetermined"},
        {"an Italian failure", "postmaster@example.it", "Messaggio restituito",
         "Il messaggio non \xc3\xa8 stato recapitato ai seguenti destinatari:\n\n"
         "anna@example.it\n",
         "bounce", "anna@example.it", "undetermined"},
        /* public set 43: a list manager's own refusal of a post */
        {"Mailman's refusal of a non-member's post",
         "team-owner@lists.example.org\nX-Mailman-Version: 2.1.39", "Spring update",
         "You are not allowed to post to this mailing list, and your message has been\n"
         "automatically rejected.  If you think that your messages are being rejected in\n"
         "error, contact the mailing list owner at team-owner@lists.example.org.\n",
         "bounce", "team@lists.example.org", "sender_rejected"},
        {"Mailman's hold for the moderator: no refusal yet",
         "team-owner@lists.example.org\nX-Mailman-Version: 2.1.39",
         "Your message to Team awaits moderator approval",
         "Your mail to 'Team' with the subject\n\n    Spring update\n\nIs being held until the "
         "list moderator can review it for approval.\n\nThe reason it is being held:\n\n"
         "    Post by non-member to a members-only list\n",
         "not_bounce", NULL, NULL},
        {"Mailman's hold in German", "team-owner@lists.example.de\nX-Mailman-Version: 2.1.39",
         "Spring update",
         "Ihre Mail an \"Team\" wird zur\xc3\xbc"
         "ckgehalten, bis der Listenmoderator Ihre E-Mail genehmigt.\n\n"
         "    Post by non-member to a members-only list\n",
         "not_bounce", NULL, NULL},
        {"mlmmj's size refusal, wrapped", "team+owner@lists.example.org", "Spring update",
         "Hi, this is the mlmmj program managing the mailinglist\n\nteam@lists.example.org\n\n"
         "Your mail was rejected due to\nthe size limit of 1000000 bytes.\n",
         "bounce", "team@lists.example.org", "too_large"},
        /* the review of .61-.63: no list refusal */
        {"a list's welcome", "team-owner@lists.example.org\nX-Mailman-Version: 2.1.39",
         "Welcome to the Team mailing list",
         "Welcome! You now have permission to post to this list: only subscribers may post.\n",
         "not_bounce", NULL, NULL},
        {"a list post quoting words of a refusal",
         "Jo <jo@example.org>\nX-Mailman-Version: 2.1.39\n"
         "List-Post: <mailto:team@lists.example.org>",
         "Re: the board", "I am not a member of the board, and I was not allowed to post there.\n",
         "not_bounce", NULL, NULL},
        {"an out-of-office from an -admin address",
         "it-admin@corp.example\nAuto-Submitted: auto-replied", "Out of office",
         "I am away; my messages have no permission to send replies.\n", "auto_reply",
         "it-admin@corp.example", NULL},
        {"a mail system's report from an owner address",
         "owner-relations@hotel.example\nReturn-Path: <>", "Undelivered Mail",
         "Your message could not be delivered to relations@hotel.example: 550 5.1.1 user "
         "unknown\n",
         "bounce", "relations@hotel.example", "user_unknown"},
        {"a list's refusal whose words condemn an address: never hard",
         "team-owner@lists.example.org", "Spring update",
         "Your message has been automatically rejected: user unknown.\n", "bounce",
         "team@lists.example.org", "sender_rejected"},
        /* a gateway's or a filter's tag before the subject */
        {"a person's forward under a gateway's tag", "Jo <jo@example.org>",
         "[EXTERNAL] Fwd: Undelivered Mail Returned to Sender",
         "See below.\n\n<kim@example.org>: host mx.example.org said: 550 5.1.1 user unknown\n",
         "not_bounce", NULL, NULL},
        {"an out-of-office under a gateway's tag", "Jo <jo@example.org>",
         "[EXTERNAL] Automatic reply: December offer", "I am away.\n", "auto_reply",
         "jo@example.org", NULL},
        {"a bracketed auto-reply subject under a tag", "Jo <jo@example.org>",
         "[EXTERNAL] [Automatic reply] December offer", "I am away.\n", "auto_reply",
         "jo@example.org", NULL},
        {"a SpamCop report under a filter's tag", "123@reports.spamcop.net",
         "***SPAM*** [SpamCop (192.0.2.7) id:123]November digest", "Hello\n", "complaint", NULL,
         NULL},
        {"an out-of-office quoting a header of the message it answers",
         "Jo <jo@example.org>\nReturn-Path: <>\nAuto-Submitted: auto-replied",
         "Automatic reply: December offer",
         "I am away until 7 December.\n\n-----Original Message-----\n"
         "Original-Recipient: rfc822;jo@example.org\nFrom: News <news@sender.example>\n"
         "Subject: December offer\n",
         "auto_reply", "jo@example.org", NULL},
        {"Mailman's refusal from the list's -bounces address", "team-bounces@lists.example.org",
         "Request to mailing list Team rejected",
         "Your request to the team@lists.example.org mailing list\n\n    Posting of your message "
         "titled \"Spring\"\n\nhas been rejected by the list moderator.\n",
         "bounce", "team@lists.example.org", "sender_rejected"},
        {"mlmmj: not subscribed, only subscribers may post", "team+owner@lists.example.org",
         "Spring update",
         "Hi, this is the mlmmj program managing the mailinglist\n\nteam@lists.example.org\n\n"
         "but this address is not subscribed, and only subscribers may post to\nthe list.\n",
         "bounce", "team@lists.example.org", "sender_rejected"},
        {"LISTSERV: served out, no list address", "LISTSERV@LISTSERV.EXAMPLE.EDU",
         "Rejected posting",
         "Mail has been received for delivery to the CLOCKS list from a user that had been "
         "served out.\n",
         "bounce", NULL, "sender_rejected"},
        /* public set 37 */
        {"Exchange's Chinese report under RFC 3834's mark and the null sender",
         "Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.cn>\n"
         "Return-Path: <>\nAuto-Submitted: auto-replied\n"
         "Content-Type: text/plain; charset=utf-8",
         "=?utf-8?b?5Y+N6aaI?=",
         "向以下收件人或组传递邮件失败:\n\nkim@example.org\n"
         "由于此组限定只接收经过身份验证的发件人所发送的邮件，无法传递你的邮件。\n",
         "bounce", "kim@example.org", "sender_rejected"},
        {"Exchange's Chinese subject", "Microsoft Outlook <postmaster@example.cn>",
         "=?utf-8?b?5peg5rOV6YCB6L6+OiDlj43ppog=?=",
         "kim@example.org\n由于此组限定只接收经过身份验证的发件人所发送的邮件\n", "bounce",
         "kim@example.org", "sender_rejected"},
        /* public set 35 */
        {"a quarantine digest from postmaster", "Proxmox Mail Gateway <postmaster@pmg.example.org>",
         "Daily Spam Report for 'b@bounces.example.com' - 2026-07-06",
         "There are 2 messages in your spam quarantine:\n\n"
         "spammer@bad.example.net   Cheap pills\nMAILER-DAEMON@mx.example.net   Undelivered\n",
         "not_bounce", NULL, NULL},
        {"a message released from quarantine",
         "eFa <postmaster@efa.example.org>\nMIME-Version: 1.0\n"
         "Content-Type: multipart/mixed; boundary=\"b\"",
         "Message released from quarantine",
         "--b\nContent-Type: text/plain\n\nPlease find the original message attached.\n"
         "--b\nContent-Type: message/rfc822\n\nFrom: Kim <kim@example.org>\n"
         "To: b+tok@bounces.example.com\nSubject: Re: Your March statement\n\nThanks.\n--b--\n",
         "not_bounce", NULL, NULL},
        {"MailScanner's virus warning: no delay", "\"MailScanner\" <postmaster@mx1.example.org>",
         "Warning: E-mail viruses detected",
         "Our virus detector has just been triggered by a message you sent:-\n"
         "  To: kim@example.org\n  Subject: Your March statement\n"
         "Any infected parts of the message (statement.pdf.exe)\nhave not been delivered.\n",
         "bounce", "kim@example.org", "content_rejected"},
        /* the review of .50 */
        {"a final failure that says others need no resend", "MAILER-DAEMON@mx.example.org",
         "Undelivered Mail",
         "Your message could not be delivered to kim@example.org: the mailbox does not exist.\n"
         "You do not need to resend the message to the other recipients.\n",
         "bounce", "kim@example.org", "user_unknown"},
        {"an ID: line's address named again as a recipient", "MAILER-DAEMON@mx.example.org",
         "Undelivered Mail", "ID: kim@example.org\n\n<kim@example.org>: 550 5.1.1 user unknown\n",
         "bounce", "kim@example.org", "user_unknown"},
        {"Sendmail's queue gave up after timeouts", "MAILER-DAEMON@mx.example.org",
         "Returned mail: see transcript for details",
         "   ----- The following addresses had permanent fatal errors -----\n<kim@example.org>\n\n"
         "   ----- Transcript of session follows -----\n"
         "<kim@example.org>... Deferred: Connection timed out with mx.example.org.\n"
         "Message could not be delivered for 5 days\nMessage will be deleted from queue\n",
         "bounce", "kim@example.org", "expired"},
        {"a gave-up queue does not undo an unknown user", "MAILER-DAEMON@mx.example.org",
         "Returned mail: see transcript for details",
         "   ----- The following addresses had permanent fatal errors -----\n<kim@example.org>\n\n"
         "   ----- Transcript of session follows -----\n"
         "550 5.1.1 <kim@example.org>... User unknown\n"
         "Message could not be delivered for 5 days\nMessage will be deleted from queue\n",
         "bounce", "kim@example.org", "user_unknown"},
        {"XMail's temporary error: no need to resend", "MAILER-DAEMON@xmail.example",
         "Undelivered Mail",
         "[<00>] XMail bounce: Rcpt=[kim@example.org];Error=[451 4.3.0 Temporary failure]\n\n"
         "** This is a temporary error and you do not have to resend the message **\n"
         "** The system will try to resend the message at Mon, 6 Jul 2026 10:00:00 **\n",
         "delayed", "kim@example.org", "system_error"},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        mxb_limits_default(&lim);
        g_autofree char *msg =
            g_strdup_printf("From: %s\nTo: b+tok@bounces.example.com\nSubject: %s\n\n%s",
                            cases[i].from, cases[i].subject, cases[i].body);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        if (cases[i].kind == NULL) {
            /* every address a failure */
            for (guint j = 0; j < rep->results->len; j++) {
                const mxb_result *r = g_ptr_array_index(rep->results, j);
                failures += check_str(cases[i].label, "kind", mxb_kind_name(r->kind), "bounce");
            }
            failures += check_int(cases[i].label, "results", (int)rep->results->len, 2);
            continue;
        }
        if (rep->results->len != 1) {
            failures += check_int(cases[i].label, "results", (int)rep->results->len, 1);
            continue;
        }
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += first_is(cases[i].label, rep, cases[i].kind, cases[i].recipient);
        failures +=
            check_str(cases[i].label, "reason", mxb_reason_name(r->reason), cases[i].reason);
    }
    assert_int_equal(failures, 0);
}

/* far_status_report - a report whose text names nobody (the returned
 * headers' To: kim@example.org does): a first line, head, 14 lines of
 * filler, then tail; caller frees */
static mxb_report *far_status_report(const char *head, const char *tail, const mxb_limits *lim)
{
    GString *m = g_string_new("From: MAILER-DAEMON@mx.example.net\nTo: b+tok@bounces.example.com\n"
                              "Subject: Undelivered Mail\nMIME-Version: 1.0\n"
                              "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\n"
                              "Content-Type: text/plain\n\nYour message could not be delivered.\n");
    g_string_append(m, head);
    for (int i = 0; i < 14; i++)
        g_string_append_printf(m, "Line %d of the notice.\n", i);
    g_string_append_printf(m,
                           "%s--b\nContent-Type: text/rfc822-headers\n\n"
                           "From: news@sender.example.com\nTo: kim@example.org\nSubject: Hello\n"
                           "--b--\n",
                           tail);
    mxb_report *rep = parse_str(m->str, lim);
    g_string_free(m, TRUE);
    return rep;
}

/* test_html_text - an HTML-only report read as a browser shows it: list
 * items and rows on lines of their own (not glued into "a@bSent"), a
 * part that does not open with a tag keeps its lines (the returned
 * message's marker still opens one), a status far below the first lines
 * of an Office 365 card brings its words */
static void test_html_text(void **state)
{
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    g_autoptr(mxb_report) list = parse_str(
        "From: MAILER-DAEMON@mx.example.org\nTo: b+tok@bounces.example.com\n"
        "Subject: Failure Notice\nContent-Type: text/html\n\n"
        "<html><body><p>Your message could not be delivered.</p><ul><li>Recipient : "
        "<span>kim@example.org</span></li><li>Sent time : <span>2020-11-04</span></li>"
        "<li>Remote host said : <span>550 5.1.1 User unknown</span></li></ul></body></html>\n",
        &lim);
    failures += check_int("list items", "results", (int)list->results->len, 1);
    failures += first_is("list items", list, "bounce", "kim@example.org");

    g_autoptr(mxb_report) plain =
        parse_str("From: MAILER-DAEMON@mx.example.org\nTo: b+tok@bounces.example.com\n"
                  "Subject: failure delivery\nContent-Type: text/html\n\n"
                  "I'm afraid I wasn't able to deliver the following message to kim@example.org.\n"
                  "This is a permanent error; I've given up.\n"
                  "---Below this line is a copy of the message.\n\n"
                  "Return-Path: <b+tok@bounces.example.com>\nTo: lea@example.net\nSubject: Hello\n",
                  &lim);
    failures += check_int("no block element", "results", (int)plain->results->len, 1);
    failures += first_is("no block element", plain, "bounce", "kim@example.org");
    const mxb_result *pr = g_ptr_array_index(plain->results, 0);
    failures += check_int("no block element", "diagnostic stops at the marker",
                          pr->diagnostic != NULL && strstr(pr->diagnostic, "copy of") == NULL, 1);

    GString *card = g_string_new(
        "From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com>\n"
        "To: b+tok@bounces.example.com\nSubject: Undeliverable: Hello\nMIME-Version: 1.0\n"
        "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/html\n\n"
        "<html><body><table>\n  <tr>\n    <td>Your message to <span>Kim</span> couldn't be\n"
        "      delivered.</td>\n  </tr>\n");
    for (int i = 0; i < 14; i++)
        g_string_append_printf(card, "  <tr><td>Advice %d of the card.</td></tr>\n", i);
    g_string_append(card, "  <tr><td>Status code: 550 5.1.10</td></tr>\n"
                          "  <tr><td>Reported error: 550 5.1.10 RESOLVER.ADR.RecipientNotFound; "
                          "Recipient not found by SMTP address lookup</td></tr>\n"
                          "</table></body></html>\n--b\nContent-Type: text/rfc822-headers\n\n"
                          "From: news@sender.example.com\nTo: kim@example.org\nSubject: Hello\n"
                          "--b--\n");
    g_autoptr(mxb_report) far = parse_str(card->str, &lim);
    g_string_free(card, TRUE);
    const mxb_result *r = g_ptr_array_index(far->results, 0);
    failures += first_is("card", far, "bounce", "kim@example.org");
    failures += check_str("card", "reason", mxb_reason_name(r->reason), "user_unknown");

    /* the review of .53 */
    static const struct {
        const char *label, *html;
        int results;
        const char *last, *reason; /* the last result's recipient and reason */
    } cases[] = {
        {"rows of inline elements on lines of their own",
         "<html><body><p>Delivery failed.</p>\n<span>jane@example.org</span> <span>552 5.2.2 "
         "mailbox full</span>\n<span>bob@example.org</span> <span>550 5.1.1 user "
         "unknown</span>\n</body></html>\n",
         2, "bob@example.org", "user_unknown"},
        {"nested pre keeps its lines",
         "<html><body><pre><pre>Delivery failed.</pre>\njane@example.org: 552 5.2.2 mailbox "
         "full\nbob@example.org: 550 5.1.1 user unknown\n</pre></body></html>\n",
         2, "bob@example.org", "user_unknown"},
        {"a text head quoting an HTML original",
         "Hi. This is the qmail-send program at mx.example.net.\n\n<kim@example.org>:\n"
         "I'm not going to try again; this message has been in the queue too long.\n\n"
         "<lea@example.org>:\n550 5.1.1 user unknown\n\n"
         "--- Below this line is a copy of the message.\n\n<html><body><p>News</p></body></html>\n",
         2, "lea@example.org", "user_unknown"},
        {"cells on one line: the address apart from the reply",
         "<html><body><p>Delivery failed.</p><table><tr><td>kim@example.org</td><td>User "
         "unknown</td></tr></table></body></html>\n",
         1, "kim@example.org", "user_unknown"},
        {"a cell's label beside the address it labels",
         "<html><body><p>Your message to kim@example.org couldn't be delivered.</p>\n<table>\n"
         "  <tr>\n    <td>Sender Address:</td>\n    <td>jo@sender.example.com</td>\n  </tr>\n"
         "</table></body></html>\n",
         1, "kim@example.org", "undetermined"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg =
            g_strconcat("From: MAILER-DAEMON@mx.example.net\nTo: b+tok@bounces.example.com\n"
                        "Subject: Undelivered Mail\nContent-Type: text/html\n\n",
                        cases[i].html, NULL);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        failures += check_int(cases[i].label, "results", (int)rep->results->len, cases[i].results);
        const mxb_result *last = g_ptr_array_index(rep->results, rep->results->len - 1);
        failures += check_str(cases[i].label, "recipient", last->recipient, cases[i].last);
        failures +=
            check_str(cases[i].label, "reason", mxb_reason_name(last->reason), cases[i].reason);
    }
    /* advice that names the code comes first: the words after the reply */
    g_autoptr(mxb_report) advice = far_status_report(
        "Fix email delivery issues for error code 5.1.10 in Office 365.\n",
        "Status code: 550 5.1.10 Recipient not found by SMTP address lookup\n", &lim);
    r = g_ptr_array_index(advice->results, 0);
    failures += check_str("a status after a reply code", "reason", mxb_reason_name(r->reason),
                          "user_unknown");
    /* a status inside an address is no status: the words where it stands */
    g_autoptr(mxb_report) in_ip =
        far_status_report("Relay 10.5.7.1 answered: the postmaster does not exist\n",
                          "Message rejected as spam (#5.7.1)\n", &lim);
    r = g_ptr_array_index(in_ip->results, 0);
    failures += first_is("status inside an IP", in_ip, "bounce", "kim@example.org");
    failures +=
        check_str("status inside an IP", "reason", mxb_reason_name(r->reason), "content_rejected");
    assert_int_equal(failures, 0);
}

/* test_nameless_verdict - a report that names nobody: a delay keeps a
 * 4.x.x status whatever its words carry; a status below the first lines
 * brings its own line into the diagnostic */
static void test_nameless_verdict(void **state)
{
    mxb_limits lim;
    int failures = 0;

    (void)state;
    mxb_limits_default(&lim);
    g_autoptr(mxb_report) delay =
        parse_str("From: MAILER-DAEMON@mx.example.org\nTo: b+tok@bounces.example.com\n"
                  "Subject: Delivery Status Notification (Delay)\n\n"
                  "Delivery of your message is delayed.\nLast attempt: 552 5.2.2 over quota\n",
                  &lim);
    const mxb_result *r = g_ptr_array_index(delay->results, 0);
    failures += check_str("nameless delay", "kind", mxb_kind_name(r->kind), "delayed");
    failures += check_str("nameless delay", "recipient", r->recipient, NULL);
    failures += check_str("nameless delay", "status", r->status, "4.0.0");

    GString *body =
        g_string_new("From: MAILER-DAEMON@mx.example.org\nTo: b+tok@bounces.example.com\n"
                     "Subject: Undelivered Mail\n\nYour message could not be delivered.\n");
    for (int i = 0; i < 14; i++)
        g_string_append_printf(body, "Line %d of the notice.\n", i);
    g_string_append(body, "550 5.7.1 Your IP 192.0.2.1 is listed in Spamhaus\n");
    g_autoptr(mxb_report) far = parse_str(body->str, &lim);
    g_string_free(body, TRUE);
    r = g_ptr_array_index(far->results, 0);
    failures += check_str("status far down", "status", r->status, "5.7.1");
    failures += check_str("status far down", "reason", mxb_reason_name(r->reason), "reputation");
    failures += check_int("status far down", "diagnostic from its line",
                          r->diagnostic != NULL && g_str_has_prefix(r->diagnostic, "550 5.7.1"), 1);
    assert_int_equal(failures, 0);
}

/* test_dsn_other_address_types - a Final-Recipient of a type that names no
 * Internet mailbox (x400, "unknown") and no '@' names nobody, though the
 * text still says why; the original recipient stands in when it is one */
static void test_dsn_other_address_types(void **state)
{
    static const struct {
        const char *label, *text, *fields, *status, *recipient, *reason;
    } cases[] = {
        {"an X.400 address alone", "Your message could not be delivered.\n",
         "Final-Recipient: x400; C=au;A=myadmd;P=myprmd;O=myorg;S=surname\n", "5.1.1", NULL,
         "user_unknown"},
        {"an X.400 address and an RFC 822 original", "Your message could not be delivered.\n",
         "Original-Recipient: rfc822; kim@example.org\n"
         "Final-Recipient: x400; C=au;A=myadmd;P=myprmd;O=myorg;S=surname\n",
         "5.1.1", "kim@example.org", "user_unknown"},
        {"RFC 3464's unknown type, the text's verdict",
         "Invalid address - nair_s\n%DIR-E-NODIRMTCH, No matching Directory Entry\n",
         "Final-Recipient: unknown; nair_s\n", "5.0.0", NULL, "user_unknown"},
        {"an RFC 822 local name stays", "Your message could not be delivered.\n",
         "Final-Recipient: rfc822; postmaster\n", "5.1.1", "postmaster", "user_unknown"},
        {"a quoted local part stays as written (the address key keeps it too)",
         "Your message could not be delivered.\n",
         "Final-Recipient: rfc822; \"dave\"@example.org\n", "5.1.1", "\"dave\"@example.org",
         "user_unknown"},
        {"Apache James's unknown diagnostic: the text's words",
         "Die Nachricht an kim@example.org: Benutzer nicht vorhanden\n",
         "Final-Recipient: rfc822; kim@example.org\nDiagnostic-Code: X-James; unknown\n", "5.0.0",
         "kim@example.org", "user_unknown"},
        {"a type with blanks around it", "Your message could not be delivered.\n",
         "Final-Recipient: rfc822 ; postmaster\n", "5.1.1", "postmaster", "user_unknown"},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        mxb_limits_default(&lim);
        g_autofree char *msg = g_strdup_printf(
            "From: MAILER-DAEMON@mx.example.net\nTo: b+tok@bounces.example.com\n"
            "Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
            "--b\nContent-Type: text/plain\n\n%s\n"
            "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n"
            "%sAction: failed\nStatus: %s\n\n--b--\n",
            cases[i].text, cases[i].fields, cases[i].status);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        if (rep->results->len != 1) {
            failures += check_int(cases[i].label, "results", (int)rep->results->len, 1);
            continue;
        }
        const mxb_result *r = g_ptr_array_index(rep->results, 0);
        failures += first_is(cases[i].label, rep, "bounce", cases[i].recipient);
        failures +=
            check_str(cases[i].label, "reason", mxb_reason_name(r->reason), cases[i].reason);
    }
    assert_int_equal(failures, 0);
}

/* test_not_read_receipt - a receipt for a message deleted unread has the
 * Disposition of a refusal ("automatic-action/...; deleted") and the
 * subject "Not read:": a read receipt, not a bounce; so does one from the
 * recipient's own address (KMail's, when a filter of the reader's trashed
 * the message); Sieve's refusal from a system address under another
 * subject stays a bounce */
static void test_not_read_receipt(void **state)
{
    static const struct {
        const char *from, *subject, *kind;
    } cases[] = {
        {"Ivy <ivy@example.net>", "Not read: November digest", "mdn"},
        {"Ivy <ivy@example.net>", "Nicht gelesen: November digest", "mdn"},
        {"Ivy <ivy@example.net>", "Non lu : November digest", "mdn"},
        {"Kim <kim@example.net>", "[EXTERNAL] Not read: November digest", "mdn"},
        {"Ivy <ivy@example.net>", "Message Disposition Notification", "mdn"},
        {"IVY@example.net", "Message Disposition Notification", "mdn"},
        /* Zimbra's Sieve reject: the recipient's own From, its subject a
         * refusal's; a reader's receipt under the null sender (RFC 8098) */
        {"ivy@example.net\nReturn-Path: <>", "Message rejected", "bounce"},
        {"Ivy <ivy@example.net>\nReturn-Path: <>", "Message Disposition Notification", "mdn"},
        /* the quoted subject's words are not the receipt's */
        {"Ivy <ivy@example.net>", "Return Receipt (deleted): Your claim was rejected", "mdn"},
        /* a Sieve reject's subject under a filter's tag or prefix */
        {"ivy@example.net\nReturn-Path: <>", "[SPAM: 6.1] Rejected: Offer", "bounce"},
        {"ivy@example.net\nReturn-Path: <>", "SPAM: Rejected: Offer", "bounce"},
        /* a Sieve reject from the recipient's own address in French */
        {"ivy@example.net\nReturn-Path: <>", "Message rejet\xc3\xa9 : November digest", "bounce"},
        /* the recipient's name, another address */
        {"\"ivy@example.net\" <postmaster@example.net>", "Automatically rejected mail", "bounce"},
        {"Mail Delivery Subsystem <MAILER-DAEMON@example.net>", "Automatically rejected mail",
         "bounce"},
        {"Ivy's filter <ivy.filter@example.net>", "Automatically rejected mail", "bounce"},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        mxb_limits lim;
        mxb_limits_default(&lim);
        g_autofree char *msg = g_strdup_printf(
            "From: %s\nTo: b+tok@bounces.example.com\nSubject: %s\n"
            "MIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=disposition-notification; "
            "boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n"
            "Your message was deleted without being read.\n\n--b\n"
            "Content-Type: message/disposition-notification\n\n"
            "Final-Recipient: rfc822; ivy@example.net\n"
            "Disposition: automatic-action/MDN-sent-automatically; deleted\n\n--b--\n",
            cases[i].from, cases[i].subject);
        g_autoptr(mxb_report) rep = parse_str(msg, &lim);
        failures += first_is(cases[i].subject, rep, cases[i].kind, "ivy@example.net");
    }
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixtures),
        cmocka_unit_test(test_fixtures_all_listed),
        cmocka_unit_test(test_fixtures_crlf),
        cmocka_unit_test(test_fixtures_cr),
        cmocka_unit_test(test_fixtures_blank_above),
        cmocka_unit_test(test_exit_status),
        cmocka_unit_test(test_status_is_a_reply),
        cmocka_unit_test(test_paragraph_under_address),
        cmocka_unit_test(test_mention_in_brackets),
        cmocka_unit_test(test_forward_to_owner),
        cmocka_unit_test(test_mixed_receipt),
        cmocka_unit_test(test_list_refusal_words),
        cmocka_unit_test(test_mailer_output),
        cmocka_unit_test(test_empty_final_recipient),
        cmocka_unit_test(test_shared_recipient),
        cmocka_unit_test(test_text_sender_is),
        cmocka_unit_test(test_undisclosed_to),
        cmocka_unit_test(test_returned_to_twice),
        cmocka_unit_test(test_supplementary_info),
        cmocka_unit_test(test_repeated_blocks),
        cmocka_unit_test(test_repeats_before_the_cap),
        cmocka_unit_test(test_answering_address),
        cmocka_unit_test(test_transcript_from_text),
        cmocka_unit_test(test_limit_diagnostic_lines),
        cmocka_unit_test(test_limit_context_before),
        cmocka_unit_test(test_limit_transcript_lines),
        cmocka_unit_test(test_transcript_reply),
        cmocka_unit_test(test_fixture_details),
        cmocka_unit_test(test_limit_recipients),
        cmocka_unit_test(test_limit_depth),
        cmocka_unit_test(test_limit_parts),
        cmocka_unit_test(test_limit_text_fallback_regression),
        cmocka_unit_test(test_limit_message),
        cmocka_unit_test(test_limit_text),
        cmocka_unit_test(test_enrich_from_words),
        cmocka_unit_test(test_feedback_edges),
        cmocka_unit_test(test_envelope_sender),
        cmocka_unit_test(test_body_not_utf8),
        cmocka_unit_test(test_delay_subjects),
        cmocka_unit_test(test_retrying_words),
        cmocka_unit_test(test_text_display_name),
        cmocka_unit_test(test_encodings),
        cmocka_unit_test(test_limit_json_depth),
        cmocka_unit_test(test_limit_charset_pins),
        cmocka_unit_test(test_limit_diagnostic),
        cmocka_unit_test(test_limit_status_part),
        cmocka_unit_test(test_limit_field),
        cmocka_unit_test(test_limit_header),
        cmocka_unit_test(test_limit_colons),
        cmocka_unit_test(test_limit_structure),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_odd_inputs),
        cmocka_unit_test(test_system_senders),
        cmocka_unit_test(test_auto_reply_subjects),
        cmocka_unit_test(test_auto_generated),
        cmocka_unit_test(test_success_status_on_failure),
        cmocka_unit_test(test_person_about_failure),
        cmocka_unit_test(test_bounce_subjects),
        cmocka_unit_test(test_final_recipient_local_host),
        cmocka_unit_test(test_status_part_names_nobody),
        cmocka_unit_test(test_phase_from_text),
        cmocka_unit_test(test_spam_filter_mark),
        cmocka_unit_test(test_phase_of),
        cmocka_unit_test(test_limit_phase_scan),
        cmocka_unit_test(test_phase_paragraph),
        cmocka_unit_test(test_forwarded_plain_text),
        cmocka_unit_test(test_forwarded_encoded_text),
        cmocka_unit_test(test_gave_up_at_once),
        cmocka_unit_test(test_mta_names),
        cmocka_unit_test(test_mta_reporting),
        cmocka_unit_test(test_html_style_script_comment),
        cmocka_unit_test(test_one_letter_label),
        cmocka_unit_test(test_closing_advice),
        cmocka_unit_test(test_status_comment),
        cmocka_unit_test(test_notices_without_status),
        cmocka_unit_test(test_charset_fallbacks),
        cmocka_unit_test(test_exchange_localized_ndr),
        cmocka_unit_test(test_not_read_receipt),
        cmocka_unit_test(test_dsn_other_address_types),
        cmocka_unit_test(test_nameless_verdict),
        cmocka_unit_test(test_html_text),
        cmocka_unit_test(test_content_offset),
        cmocka_unit_test(test_content_offset_length),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
