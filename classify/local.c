/*
 * local.c - an operator's own rules, tried before the built-in ones
 *
 * A mail operator who sees a receiver's words read wrongly needs the
 * right reading today, not in the next release. The local rules file
 * (mxbounce.conf [classify] local_rules, `mxbounce classify
 * --local-rules`) is a GKeyFile whose every group is one rule:
 *
 *	[example-policy-code]
 *	reason = reputation
 *	pattern = \(S3150\)
 *	domains = example.net;example.org
 *
 * The rules are tried in the order of the file, before every built-in
 * step, on the diagnostic as mxbounce stores it (the `diagnostic` of an
 * event); the first whose pattern matches (and whose domains, when
 * given, hold the recipient's domain) gives the reason, and the class
 * is the reason's (a temporary failure is never hard, as with the
 * built-in rules). Only failures and delays are read. Patterns are PCRE2
 * patterns on UTF-8 text (diagnostics are made valid UTF-8 before they
 * are classified), case-insensitive for every script, compiled with the
 * options GRegex would give them.
 *
 * An operator's pattern may backtrack without end on some words, and
 * PCRE2's own match limit counts again from zero at every position of
 * the text, so it bounds nothing. The rules are therefore matched with
 * PCRE2's API rather than GRegex's: compiled with PCRE2_AUTO_CALLOUT, so
 * that matching calls count_step() before every item it tries, which
 * counts the steps of all the local rules' matches of one report
 * (mxb_local_rules_new_report starts the count) and abandons the match
 * past max_local_steps (mxb_limits); a step is an item tried, and one
 * more for each character the match moved over since the last item (one
 * item can read a run of the text), and one for each 64 bytes of every
 * text a rule reads (PCRE2's own scan); the rest of that report is read by the
 * built-in rules alone. The count is the same every time (replay gives
 * what the filter gave), but a step is not a fixed time: one item can
 * compare many characters without moving (a counted repeat of a large
 * class that fails inside it: a millisecond a step). So the budget is
 * spent too when the report's local rules have matched for
 * MXB_LOCAL_RULE_TIME_US (the clock is read every CLOCK_EVERY callouts
 * and between matches): whatever a message says, they cost it at most
 * about half a second, and only a report cut by the clock can be read
 * otherwise by a replay (it says so: MXB_REPORT_LOCAL_RULES_CUT). The
 * heap of one match is limited to MXB_LOCAL_RULE_HEAP_KIB.
 * The file is read by the programs (mxb_local_rules_read, filter/config.c):
 * the classifier does no I/O.
 *
 * Every event records the classifier version; with local rules it is
 * the built-in version followed by "+local." and the first 12 hex digits
 * of a SHA-256 of the rules (their reasons, patterns and domains, in
 * order: comments and group names do not count), so `mxbounce replay`
 * reads stored reports again when the rules change.
 *
 * The rules are set once per process, before any thread classifies
 * (mxb_classify_set_local_rules), and only read afterwards; a compiled
 * pattern may be matched from several threads at once, each with its own
 * match data and context.
 */
#include <string.h>

#include "internal.h"
#include "rx.h" /* PCRE2, 8-bit code units */

typedef struct {
    char *name; /* the group's name, for messages */
    mxb_reason reason;
    pcre2_code *re;
    GStrv domains; /* lower case; NULL: any recipient */
} local_rule;

struct mxb_local_rules {
    GPtrArray *rules; /* of local_rule * */
    char hash[13];    /* 12 hex digits of the rules' SHA-256, "" for none */
};

static void local_rule_free(gpointer p)
{
    local_rule *r = p;

    g_free(r->name);
    pcre2_code_free(r->re);
    g_strfreev(r->domains);
    g_free(r);
}

static void rules_clear(gpointer p)
{
    mxb_local_rules *rules = p;

    g_ptr_array_unref(rules->rules);
}

static mxb_reason reason_by_name(const char *name)
{
    for (int i = MXB_REASON_NONE + 1; i < MXB_REASON_COUNT; i++)
        if (strcmp(name, mxb_reason_name((mxb_reason)i)) == 0)
            return (mxb_reason)i;
    return MXB_REASON_NONE;
}

static const char *const rule_keys[] = {"reason", "pattern", "domains"};

/* get_string - a key's value, NULL when absent, *failed when unreadable */
static char *get_string(GKeyFile *kf, const char *group, const char *key, gboolean raw,
                        gboolean *failed, GError **err)
{
    g_autoptr(GError) e = NULL;
    char *v =
        raw ? g_key_file_get_value(kf, group, key, &e) : g_key_file_get_string(kf, group, key, &e);

    *failed = FALSE;
    if (v == NULL && e != NULL &&
        !g_error_matches(e, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND)) {
        g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "rule [%s]: %s: %s",
                    group, key, e->message);
        *failed = TRUE;
    }
    return v;
}

/* a_domain - a recipient domain as written in a rule: no space, comma,
 * '@' or ';' (the separator) inside */
static gboolean a_domain(const char *d)
{
    if (*d == '\0')
        return FALSE;
    for (; *d; d++)
        if (g_ascii_isspace(*d) || *d == ',' || *d == '@' || *d == ';')
            return FALSE;
    return TRUE;
}

/* parse_rule - one group of the file; NULL and *err set when it is wrong */
static local_rule *parse_rule(GKeyFile *kf, const char *group, pcre2_compile_context *cc,
                              GChecksum *sum, GError **err)
{
    g_autoptr(GError) e = NULL;
    g_auto(GStrv) keys = g_key_file_get_keys(kf, group, NULL, NULL);

    for (char **k = keys; k && *k; k++) {
        gboolean known = FALSE;
        for (size_t i = 0; i < G_N_ELEMENTS(rule_keys); i++)
            known = known || strcmp(*k, rule_keys[i]) == 0;
        if (!known) {
            g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                        "rule [%s]: unknown key \"%s\" (a rule has reason, pattern and domains)",
                        group, *k);
            return NULL;
        }
        /* GKeyFile keeps the last of a key written twice: refuse it */
        for (char **l = keys; l < k; l++)
            if (strcmp(*l, *k) == 0) {
                g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                            "rule [%s]: %s is written twice", group, *k);
                return NULL;
            }
    }
    gboolean failed = FALSE;
    g_autofree char *reason = get_string(kf, group, "reason", FALSE, &failed, err);
    if (failed)
        return NULL;
    /* The pattern as written: GKeyFile's escapes would eat its backslashes. */
    g_autofree char *pattern = get_string(kf, group, "pattern", TRUE, &failed, err);
    if (failed)
        return NULL;
    if (reason == NULL || pattern == NULL) {
        g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                    "rule [%s]: needs both reason and pattern", group);
        return NULL;
    }
    g_strstrip(reason);
    g_strchomp(pattern);
    mxb_reason r = reason_by_name(reason);
    if (r == MXB_REASON_NONE) {
        g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                    "rule [%s]: \"%s\" is not a reason (docs/taxonomy.md names them)", group,
                    reason);
        return NULL;
    }
    if (*pattern == '\0' || strlen(pattern) > MXB_LOCAL_RULE_PATTERN_MAX) {
        g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                    "rule [%s]: the pattern must have 1 to %d bytes", group,
                    MXB_LOCAL_RULE_PATTERN_MAX);
        return NULL;
    }
    if (!g_utf8_validate(pattern, -1, NULL)) {
        g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                    "rule [%s]: pattern: not UTF-8", group);
        return NULL;
    }
    if (strstr(pattern, "(*LIMIT_") != NULL || strstr(pattern, "(?C") != NULL) {
        g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                    "rule [%s]: the pattern may not set PCRE2's limits nor call out", group);
        return NULL;
    }
    /* GRegex's options for G_REGEX_CASELESS (UTF-8, Unicode properties
     * for \w, \b and case), with a callout before every item */
    int code = 0;
    PCRE2_SIZE at = 0;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP | PCRE2_AUTO_CALLOUT |
                                       PCRE2_NEVER_BACKSLASH_C,
                                   &code, &at, cc);
    uint32_t groups = 0;
    if (re != NULL && (pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &groups) != 0 ||
                       groups > MXB_LOCAL_RULE_GROUPS_MAX)) {
        /* every step of a match costs more with every group it keeps */
        pcre2_code_free(re);
        g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                    "rule [%s]: the pattern has more than %d groups that capture (write (?:...))",
                    group, MXB_LOCAL_RULE_GROUPS_MAX);
        return NULL;
    }
    if (re == NULL) {
        PCRE2_UCHAR msg[256];
        if (pcre2_get_error_message(code, msg, sizeof msg) < 0)
            g_strlcpy((char *)msg, "not a pattern", sizeof msg);
        g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                    "rule [%s]: pattern: %s, at byte %zu", group, (const char *)msg, (size_t)at);
        return NULL;
    }
    local_rule *rule = g_new0(local_rule, 1);
    rule->name = g_strdup(group);
    rule->reason = r;
    rule->re = re;
    if (g_key_file_has_key(kf, group, "domains", NULL)) {
        gsize n = 0;
        g_auto(GStrv) list = g_key_file_get_string_list(kf, group, "domains", &n, &e);
        g_autoptr(GPtrArray) domains = g_ptr_array_new_with_free_func(g_free);
        if (list == NULL) {
            g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                        "rule [%s]: domains: %s", group, e->message);
            local_rule_free(rule);
            return NULL;
        }
        for (gsize i = 0; i < n; i++) {
            char *d = g_strstrip(list[i]);
            if (*d == '@')
                d++;
            if (*d == '\0')
                continue;
            if (!a_domain(d)) {
                g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                            "rule [%s]: \"%s\" is not a domain (domains are separated by ';')",
                            group, d);
                local_rule_free(rule);
                return NULL;
            }
            g_ptr_array_add(domains, g_utf8_strdown(d, -1));
        }
        if (domains->len == 0 || domains->len > MXB_LOCAL_RULE_DOMAINS_MAX) {
            g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                        "rule [%s]: domains must name 1 to %d domains, separated by ';'", group,
                        MXB_LOCAL_RULE_DOMAINS_MAX);
            local_rule_free(rule);
            return NULL;
        }
        g_ptr_array_add(domains, NULL);
        rule->domains = (GStrv)g_ptr_array_steal(domains, NULL);
    }
    /* What the rule does, for the version: not its name nor comments. */
    g_checksum_update(sum, (const guchar *)reason, (gssize)strlen(reason) + 1);
    g_checksum_update(sum, (const guchar *)pattern, (gssize)strlen(pattern) + 1);
    for (char **d = rule->domains; d && *d; d++)
        g_checksum_update(sum, (const guchar *)*d, (gssize)strlen(*d) + 1);
    g_checksum_update(sum, (const guchar *)"\n", 1);
    return rule;
}

/* twice - the name of a group written twice in text (GKeyFile merges
 * them into one), or NULL. Group lines as GKeyFile reads them: after any
 * leading space, from '[' to the line's last ']'. */
static char *twice(const char *text, size_t len)
{
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    const char *p = text, *end = text + len;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        while (p < eol && g_ascii_isspace(*p))
            p++;
        const char *close = eol;
        while (close > p && *(close - 1) != ']')
            close--;
        if (p < eol && *p == '[' && close > p + 1) {
            char *name = g_strndup(p + 1, (gsize)(close - 1 - (p + 1)));
            if (!g_hash_table_add(seen, name))
                return g_strdup(name); /* the table kept its own copy */
        }
        p = nl ? nl + 1 : end;
    }
    return NULL;
}

/* mxb_local_rules_parse - the rules of a file's text */
mxb_local_rules *mxb_local_rules_parse(const char *text, size_t len, GError **err)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);

    if (len > MXB_LOCAL_RULES_FILE_MAX) {
        g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_FAILED, "longer than %d bytes",
                    MXB_LOCAL_RULES_FILE_MAX);
        return NULL;
    }
    if (!g_key_file_load_from_data(kf, text, len, G_KEY_FILE_NONE, err))
        return NULL;
    g_autofree char *dup = twice(text, len);
    if (dup != NULL) {
        g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
                    "rule [%s] is written twice (GKeyFile would merge them)", dup);
        return NULL;
    }
    gsize n = 0;
    g_auto(GStrv) groups = g_key_file_get_groups(kf, &n);
    if (n > MXB_LOCAL_RULES_MAX) {
        g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                    "%" G_GSIZE_FORMAT " rules: at most %d", n, MXB_LOCAL_RULES_MAX);
        return NULL;
    }
    mxb_local_rules *rules = g_atomic_rc_box_new0(mxb_local_rules);
    rules->rules = g_ptr_array_new_with_free_func(local_rule_free);
    /* GRegex's newline defaults, as rx.c sets them for UTF-8 patterns
     * (local rules are compiled as UTF-8, PCRE2_UTF) */
    pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
    if (cc == NULL)
        g_error("out of memory");
    pcre2_set_newline(cc, PCRE2_NEWLINE_ANY);
    pcre2_set_bsr(cc, PCRE2_BSR_UNICODE);
    for (gsize i = 0; i < n; i++) {
        local_rule *rule = parse_rule(kf, groups[i], cc, sum, err);
        if (rule == NULL) {
            pcre2_compile_context_free(cc);
            mxb_local_rules_unref(rules);
            return NULL;
        }
        g_ptr_array_add(rules->rules, rule);
    }
    pcre2_compile_context_free(cc);
    if (rules->rules->len > 0)
        g_strlcpy(rules->hash, g_checksum_get_string(sum), sizeof rules->hash);
    return rules;
}

mxb_local_rules *mxb_local_rules_ref(mxb_local_rules *rules)
{
    return rules ? g_atomic_rc_box_acquire(rules) : NULL;
}

void mxb_local_rules_unref(mxb_local_rules *rules)
{
    if (rules != NULL)
        g_atomic_rc_box_release_full(rules, rules_clear);
}

guint mxb_local_rules_count(const mxb_local_rules *rules)
{
    return rules ? rules->rules->len : 0;
}

/* Steps of the local rules' matches for the report this thread is
 * parsing (the budget) */
static _Thread_local guint64 steps;
static _Thread_local guint64 budget = MXB_DEFAULT_MAX_LOCAL_STEPS;

/* The process's rules and the version they make (set before threads). */
static mxb_local_rules *installed;
static char version[sizeof MXB_CLASSIFIER_VERSION + sizeof "+local." + 12];

void mxb_classify_set_local_rules(mxb_local_rules *rules)
{
    mxb_local_rules *old = installed;

    installed = rules && rules->rules->len > 0 ? mxb_local_rules_ref(rules) : NULL;
    /* this thread's budget, for a caller that parses no report */
    mxb_local_rules_new_report(MXB_DEFAULT_MAX_LOCAL_STEPS);
    mxb_local_rules_unref(old);
    if (installed != NULL)
        g_snprintf(version, sizeof version, "%s+local.%s", MXB_CLASSIFIER_VERSION, installed->hash);
}

const char *mxb_local_rule_name(guint n)
{
    if (installed == NULL || n == 0 || n > installed->rules->len)
        return NULL;
    return ((const local_rule *)g_ptr_array_index(installed->rules, n - 1))->name;
}

const char *mxb_classifier_version(void)
{
    return installed ? version : MXB_CLASSIFIER_VERSION;
}

/* domain_in - whether the recipient's domain (lower case, NULL when it
 * has none) is one of the rule's */
static gboolean domain_in(const local_rule *rule, const char *domain)
{
    if (domain == NULL)
        return FALSE;
    for (char **d = rule->domains; *d; d++)
        if (strcmp(domain, *d) == 0)
            return TRUE;
    return FALSE;
}

/* the thread's match data and context */

typedef struct {
    pcre2_match_context *context;
    pcre2_match_data *data;
} matcher;

static void matcher_free(gpointer p)
{
    matcher *m = p;

    pcre2_match_context_free(m->context);
    pcre2_match_data_free(m->data);
    g_free(m);
}

static GPrivate matcher_key = G_PRIVATE_INIT(matcher_free);

/* Where the last callout of this thread's match stood in the text; when
 * its report began to match local rules (0: not yet), and the callouts
 * since the clock was last read */
static _Thread_local PCRE2_SIZE last_at;
static _Thread_local gint64 started_us;
static _Thread_local unsigned since_clock;

/* Callouts between two readings of the clock (a reading costs about as
 * much as the cheapest step) */
#define CLOCK_EVERY 16

/* out_of_time - the report's local rules have matched for longer than
 * MXB_LOCAL_RULE_TIME_US: their budget is spent */
static gboolean out_of_time(void)
{
    if (g_get_monotonic_time() - started_us <= MXB_LOCAL_RULE_TIME_US)
        return FALSE;
    steps = budget + 1;
    return TRUE;
}

/* count_step - called by PCRE2 before every item a local pattern tries:
 * a step, and one more for every character between this position and the
 * last one, since one item can read a whole run of the text (a
 * possessive or atomic repeat, a backreference, \X); past the report's
 * budget, the match is abandoned (no match) */
static int count_step(pcre2_callout_block *block, void *data)
{
    (void)data;
    PCRE2_SIZE at = block->current_position;
    steps += 1 + (at > last_at ? at - last_at : last_at - at);
    last_at = at;
    if (++since_clock >= CLOCK_EVERY) {
        since_clock = 0;
        out_of_time();
    }
    return steps > budget ? PCRE2_ERROR_CALLOUT : 0;
}

static matcher *thread_matcher(void)
{
    matcher *m = g_private_get(&matcher_key);

    if (m == NULL) {
        m = g_new0(matcher, 1);
        m->context = pcre2_match_context_create(NULL);
        m->data = pcre2_match_data_create(1, NULL);
        if (m->context == NULL || m->data == NULL)
            g_error("out of memory"); /* as g_malloc */
        pcre2_set_callout(m->context, count_step, NULL);
        pcre2_set_heap_limit(m->context, MXB_LOCAL_RULE_HEAP_KIB);
        g_private_set(&matcher_key, m);
    }
    return m;
}

void mxb_local_rules_new_report(size_t max_steps)
{
    steps = 0;
    budget = max_steps;
    started_us = 0;
    since_clock = 0;
}

gboolean mxb_local_rules_spent(void)
{
    return steps > budget;
}

guint64 mxb_local_rules_steps(void)
{
    return steps;
}

/* mxb_local_reason - the first local rule that reads r, or NONE */
mxb_reason mxb_local_reason(const mxb_result *r, guint *rule)
{
    *rule = 0;
    if (installed == NULL)
        return MXB_REASON_NONE;
    const char *text = r->diagnostic ? r->diagnostic : "";
    /* The patterns read UTF-8; the filter's diagnostics are made so */
    size_t len = strlen(text);
    if (!g_utf8_validate(text, (gssize)len, NULL))
        return MXB_REASON_NONE;
    matcher *m = thread_matcher();
    if (started_us == 0)
        started_us = g_get_monotonic_time();
    /* the recipient's domain, lower case, once for all the rules */
    const char *at = r->recipient ? strrchr(r->recipient, '@') : NULL;
    g_autofree char *domain =
        at != NULL && g_utf8_validate(at + 1, -1, NULL) ? g_utf8_strdown(at + 1, -1) : NULL;
    for (guint i = 0; i < installed->rules->len; i++) {
        const local_rule *lr = g_ptr_array_index(installed->rules, i);
        if (lr->domains != NULL && !domain_in(lr, domain))
            continue;
        /* PCRE2 reads the text before any callout (its start-up
         * scan for the letters a pattern needs): a step a 64 bytes */
        steps += len / 64;
        if (steps > budget || out_of_time())
            return MXB_REASON_NONE; /* the report's budget is spent */
        last_at = 0;
        int rc =
            pcre2_match(lr->re, (PCRE2_SPTR)text, len, 0, PCRE2_NO_UTF_CHECK, m->data, m->context);
        if (rc >= 0) {
            *rule = i + 1;
            return lr->reason;
        }
        if (rc == PCRE2_ERROR_HEAPLIMIT)
            steps += MXB_LOCAL_RULE_HEAP_STEPS; /* growing 20 MB of frames */
        if (rc != PCRE2_ERROR_NOMATCH) {
            /* a limit: PCRE2 10.42 keeps the frames it grew (up to the
             * heap limit) in the match data; give them back */
            pcre2_match_data_free(m->data);
            m->data = pcre2_match_data_create(1, NULL);
            if (m->data == NULL)
                g_error("out of memory");
        }
    }
    return MXB_REASON_NONE;
}
