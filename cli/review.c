/*
 * review.c - mxbounce review and mxbounce account (in mxbounce-admin)
 *
 * SYNOPSIS
 *	mxbounce review [-c FILE] [--dry-run] [--json] [--verbose]
 *	mxbounce account reinstate [-c FILE] ID [--list L] --reason TEXT [--by WHO]
 *	mxbounce account show [-c FILE] [--json] ID
 *	mxbounce account list [-c FILE] [--json]
 *
 * DESCRIPTION
 *	review calls mxbounce.review() (db/sql/005_review.sql), which judges
 *	every account and list in one transaction, and prints what changed:
 *	nothing when nothing did (cron mails any output), one line per
 *	change otherwise. --json prints the function's whole answer.
 *
 *	account reinstate calls mxbounce.reinstate(); show prints an
 *	account's status, its lists and its last decisions; list prints the
 *	accounts and lists that are not active.
 *
 * EXIT STATUS
 *	0 success (also when another review was running: nothing done, one
 *	line on standard error); 1 the configuration or the database failed,
 *	or there was nothing to reinstate; 2 usage error.
 */
#include <stdio.h>
#include <string.h>

#include "admin.h"

/* clean_text - see admin.h */
char *clean_text(const char *s, glong max)
{
    g_autofree char *valid = g_utf8_make_valid(s ? s : "", -1);
    GString *out = g_string_sized_new(strlen(valid));

    /* C0, DEL and C1 controls (a terminal obeys ESC and CSI), and format
     * characters (bidirectional overrides can disguise text) */
    for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_iscntrl(c) || g_unichar_type(c) == G_UNICODE_FORMAT)
            g_string_append_c(out, ' ');
        else
            g_string_append_len(out, p, g_utf8_next_char(p) - p);
    }
    if (max > 0 && g_utf8_strlen(out->str, -1) > max) {
        char *cut = g_utf8_substring(out->str, 0, max - 3);
        g_string_assign(out, cut);
        g_string_append(out, "...");
        g_free(cut);
    }
    return g_string_free(out, FALSE);
}

/* when - see admin.h */
char *when(const char *ts)
{
    char *c = clean_text(ts, 0);

    if (strlen(c) >= 16)
        c[16] = '\0';
    if (strlen(c) > 10 && c[10] == 'T')
        c[10] = ' ';
    return c;
}

/* need_schema - see admin.h */
int need_schema(mxb_db *db, const char *cmd, int version)
{
    g_autoptr(GError) err = NULL;
    int have = 0;

    if (mxb_db_schema_version(db, &have, &err) < 0) {
        fprintf(stderr, "mxbounce %s: %s\n", cmd, err->message);
        return -1;
    }
    if (have < version) {
        fprintf(stderr,
                "mxbounce %s: the database schema is version %d, this command needs %d: "
                "run mxbounce migrate\n",
                cmd, have, version);
        return -1;
    }
    return 0;
}

/* str_or - see admin.h */
const char *str_or(json_object *o, const char *name, const char *dflt)
{
    json_object *n = mxb_json_member(o, name, json_type_string);

    return n ? json_object_get_string(n) : dflt;
}

/* num_of - see admin.h */
json_object *num_of(json_object *o, const char *name)
{
    json_object *n = mxb_json_member(o, name, json_type_int);

    return n ? n : mxb_json_member(o, name, json_type_double);
}

/* int_or - see admin.h */
gint64 int_or(json_object *o, const char *name, gint64 dflt)
{
    json_object *n = num_of(o, name);

    return n ? json_object_get_int64(n) : dflt;
}

/* parse_object - the JSON text the database returned, as an object owned
 * by the caller */
static json_object *parse_object(const char *text, GError **err)
{
    if (text == NULL) {
        g_set_error(err, MXB_JSON_ERROR, MXB_JSON_ERROR_INVALID,
                    "the database answered no JSON object");
        return NULL;
    }
    return mxb_json_parse(text, -1, MXB_JSON_MAX_DEPTH, err);
}

/* print_change - "account 2 list 5: active -> suspended: why" */
static void print_change(json_object *c, const char *indent)
{
    g_autofree char *why = clean_text(str_or(c, "why", ""), 0);
    gint64 list = int_or(c, "list_id", -1);

    printf("%saccount %" G_GINT64_FORMAT, indent, int_or(c, "account_id", 0));
    if (list >= 0)
        printf(" list %" G_GINT64_FORMAT, list);
    printf(": %s -> %s: %s\n", str_or(c, "old_status", "?"), str_or(c, "new_status", "?"), why);
}

/* mxb_cli_review - mxbounce review [-c FILE] [--dry-run] [--json] [--verbose] */
int mxb_cli_review(int argc, char **argv)
{
    g_autofree char *config_opt = NULL; /* GOption allocates it */
    gboolean dry_run = FALSE, json = FALSE, verbose = FALSE;
    GOptionEntry entries[] = {
        {"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_opt, "Configuration file", "FILE"},
        {"dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, "Print the decisions, write nothing",
         NULL},
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the whole answer as JSON", NULL},
        {"verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Print a summary even with no change",
         NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) opt =
        g_option_context_new("- judge accounts and lists on their bounce and complaint rates");
    g_autoptr(GError) err = NULL;
    g_autoptr(mxb_config) cfg = NULL;
    g_autofree char *answer = NULL;
    mxb_db *db = NULL;
    g_autoptr(json_object) o = NULL;

    g_option_context_add_main_entries(opt, entries, NULL);
    if (!g_option_context_parse(opt, &argc, &argv, &err) || argc != 1) {
        fprintf(stderr, "mxbounce review: %s\n", err ? err->message : "no arguments");
        return EXIT_USAGE;
    }
    if ((db = open_db("review", config_opt, &cfg)) == NULL)
        return 1;
    if (need_schema(db, "review", MXB_SCHEMA_REVIEW) < 0) {
        mxb_db_close(db);
        return 1;
    }
    const char *values[] = {dry_run ? "t" : "f"};
    if (mxb_db_query_value(db, "SELECT mxbounce.review($1)", 1, values, &answer, &err) < 0) {
        fprintf(stderr, "mxbounce review: %s\n", err->message);
        mxb_db_close(db);
        return 1;
    }
    mxb_db_close(db);
    if ((o = parse_object(answer, &err)) == NULL) {
        fprintf(stderr, "mxbounce review: %s\n", err->message);
        return 1;
    }
    if (json_object_object_get_ex(o, "skipped", NULL)) {
        fprintf(stderr, "mxbounce review: %s; nothing done\n", str_or(o, "skipped", "skipped"));
        if (json)
            puts(answer);
        return 0;
    }
    if (json) {
        puts(answer);
        return 0;
    }
    json_object *changes = mxb_json_member(o, "changes", json_type_array);
    size_t n = mxb_json_length(changes);
    if (n == 0 && !dry_run && !verbose)
        return 0; /* quiet for cron */
    printf("mxbounce review: %s%zu change(s); judged %" G_GINT64_FORMAT
           " account(s) and %" G_GINT64_FORMAT " list(s), %" G_GINT64_FORMAT
           " account(s) sent too little to judge\n",
           dry_run ? "dry run, would make " : "", n, int_or(o, "accounts", 0),
           int_or(o, "lists", 0), int_or(o, "low_volume", 0));
    for (size_t i = 0; i < n; i++)
        print_change(mxb_json_element(changes, i, json_type_object), "  ");
    return 0;
}

/* account_reinstate - mxbounce account reinstate ID [--list L] --reason TEXT [--by WHO] */
static int account_reinstate(int argc, char **argv)
{
    g_autofree char *config_opt = NULL, *reason = NULL, *by = NULL;
    gint64 list = G_MININT64; /* not given */
    GOptionEntry entries[] = {
        {"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_opt, "Configuration file", "FILE"},
        {"list", 'l', 0, G_OPTION_ARG_INT64, &list, "Reinstate this list of the account", "L"},
        {"reason", 'r', 0, G_OPTION_ARG_STRING, &reason, "Why (required; goes into the audit)",
         "TEXT"},
        {"by", 0, 0, G_OPTION_ARG_STRING, &by, "Who decides (default: your login name)", "WHO"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) opt = g_option_context_new("ID - put an account back to active");
    g_autoptr(GError) err = NULL;
    g_autoptr(mxb_config) cfg = NULL;
    g_autofree char *id = NULL, *list_s = NULL;
    mxb_db *db = NULL;
    char *end = NULL;

    g_option_context_add_main_entries(opt, entries, NULL);
    if (!g_option_context_parse(opt, &argc, &argv, &err) || argc != 2 || reason == NULL ||
        *g_strstrip(reason) == '\0') {
        fprintf(stderr, "mxbounce account reinstate: %s\n",
                err ? err->message : "give one account ID and --reason TEXT");
        return EXIT_USAGE;
    }
    gint64 account = g_ascii_strtoll(argv[1], &end, 10);
    if (end == argv[1] || *end != '\0' || account <= 0 || (list != G_MININT64 && list <= 0)) {
        fprintf(stderr, "mxbounce account reinstate: %s\n",
                account <= 0 ? "the account id must be a positive number"
                             : "--list must be a positive number");
        return EXIT_USAGE;
    }
    if ((db = open_db("account", config_opt, &cfg)) == NULL)
        return 1;
    if (need_schema(db, "account", MXB_SCHEMA_REVIEW) < 0) {
        mxb_db_close(db);
        return 1;
    }
    id = g_strdup_printf("%" G_GINT64_FORMAT, account);
    list_s = list != G_MININT64 ? g_strdup_printf("%" G_GINT64_FORMAT, list) : NULL;
    const char *values[] = {id, list_s, by ? by : g_get_user_name(), reason};
    g_autofree char *review_id = NULL;
    int rc = mxb_db_query_value(db, "SELECT mxbounce.reinstate($1, $2, $3, $4)", 4, values,
                                &review_id, &err);
    mxb_db_close(db);
    if (rc < 0) {
        fprintf(stderr, "mxbounce account reinstate: %s\n", err->message);
        return 1;
    }
    printf("mxbounce account reinstate: account %s%s%s is active; only events from now on "
           "count (decision %s)\n",
           id, list_s ? " list " : "", list_s ? list_s : "", review_id);
    return 0;
}

/*
 * query_object - one JSON-returning query of the account commands: with
 * json the answer is printed as it is (returns 0); else it is parsed
 * into *out (returns 1, the object owned by the caller). -1: failed,
 * the error printed.
 */
static int query_object(const char *cmd, const char *config_opt, const char *sql, int n,
                        const char *const *values, gboolean json, json_object **out)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(mxb_config) cfg = NULL;
    g_autofree char *answer = NULL;
    mxb_db *db = NULL;
    int rc;

    if ((db = open_db("account", config_opt, &cfg)) == NULL)
        return -1;
    if (need_schema(db, "account", MXB_SCHEMA_REVIEW) < 0) {
        mxb_db_close(db);
        return -1;
    }
    rc = mxb_db_query_value(db, sql, n, values, &answer, &err);
    mxb_db_close(db);
    if (rc < 0) {
        fprintf(stderr, "mxbounce %s: %s\n", cmd, err->message);
        return -1;
    }
    if (json) {
        puts(answer);
        return 0;
    }
    if ((*out = parse_object(answer, &err)) == NULL) {
        fprintf(stderr, "mxbounce %s: %s\n", cmd, err->message);
        return -1;
    }
    return 1;
}

/* print_reviews - the decisions of an array, newest first */
static void print_reviews(json_object *a)
{
    for (size_t i = 0; i < mxb_json_length(a); i++) {
        json_object *r = mxb_json_element(a, i, json_type_object);
        g_autofree char *why = clean_text(str_or(r, "why", ""), 0);
        g_autofree char *who = clean_text(str_or(r, "who", ""), 0);
        gint64 list = int_or(r, "list_id", -1);
        g_autofree char *at = when(str_or(r, "at", "?"));
        printf("  %s", at);
        if (list >= 0)
            printf(" list %" G_GINT64_FORMAT, list);
        printf(" %s -> %s by %s: %s\n", str_or(r, "old_status", "?"), str_or(r, "new_status", "?"),
               who, why);
    }
}

/*
 * account_options - -c FILE and --json of an account command, and want
 * arguments after the command's name; FALSE (said on stderr) otherwise
 */
static gboolean account_options(const char *cmd, const char *summary, int *argc, char ***argv,
                                int want, const char *usage, char **config_opt, gboolean *json)
{
    GOptionEntry entries[] = {
        {"config", 'c', 0, G_OPTION_ARG_FILENAME, config_opt, "Configuration file", "FILE"},
        {"json", 0, 0, G_OPTION_ARG_NONE, json, "Print JSON", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) opt = g_option_context_new(summary);
    g_autoptr(GError) err = NULL;

    g_option_context_add_main_entries(opt, entries, NULL);
    if (!g_option_context_parse(opt, argc, argv, &err) || *argc != want) {
        fprintf(stderr, "mxbounce %s: %s\n", cmd, err ? err->message : usage);
        return FALSE;
    }
    return TRUE;
}

/* account_show - mxbounce account show ID [--json] */
static int account_show(int argc, char **argv)
{
    g_autofree char *config_opt = NULL;
    gboolean json = FALSE;
    char *end = NULL;
    g_autoptr(json_object) o = NULL;
    int rc;

    if (!account_options("account show", "ID - an account's review state", &argc, &argv, 2,
                         "give one account ID", &config_opt, &json))
        return EXIT_USAGE;
    (void)g_ascii_strtoll(argv[1], &end, 10);
    if (end == argv[1] || *end != '\0') {
        fprintf(stderr, "mxbounce account show: %s is not an account id\n", argv[1]);
        return EXIT_USAGE;
    }
    const char *values[] = {argv[1]};
    rc = query_object(
        "account show", config_opt,
        "SELECT jsonb_build_object("
        " 'account_id', $1::bigint,"
        " 'account', (SELECT to_jsonb(a) FROM mxbounce.accounts a WHERE a.id = $1),"
        " 'lists', coalesce((SELECT jsonb_agg(to_jsonb(l) ORDER BY l.list_id)"
        "   FROM mxbounce.lists l WHERE l.account_id = $1), '[]'),"
        " 'reviews', coalesce((SELECT jsonb_agg(to_jsonb(r) ORDER BY r.at DESC, r.id DESC)"
        "   FROM (SELECT id, at, list_id, old_status, new_status, why, who"
        "   FROM mxbounce.account_reviews WHERE account_id = $1"
        "   ORDER BY at DESC, id DESC LIMIT 20) r), '[]'))",
        1, values, json, &o);
    if (rc <= 0)
        return rc < 0 ? 1 : 0;
    json_object *a = mxb_json_member(o, "account", json_type_object);
    g_autofree char *name = clean_text(a ? str_or(a, "name", "") : "", 80);
    g_autofree char *reason = clean_text(a ? str_or(a, "status_reason", "") : "", 0);
    printf("account %s%s%s%s: %s", argv[1], *name ? " (" : "", name, *name ? ")" : "",
           a ? str_or(a, "status", "active") : "active (never reviewed)");
    if (a) {
        g_autofree char *since = when(str_or(a, "status_changed_at", "?"));
        printf(" since %s", since);
    }
    printf("\n");
    if (*reason)
        printf("  reason: %s\n", reason);
    if (a && str_or(a, "counts_from", NULL)) {
        g_autofree char *from = when(str_or(a, "counts_from", ""));
        printf("  counts events from %s (reinstated)\n", from);
    }
    json_object *lists = mxb_json_member(o, "lists", json_type_array);
    for (size_t i = 0; i < mxb_json_length(lists); i++) {
        json_object *l = mxb_json_element(lists, i, json_type_object);
        g_autofree char *lname = clean_text(str_or(l, "name", ""), 60);
        g_autofree char *lreason = clean_text(str_or(l, "status_reason", ""), 0);
        printf("  list %" G_GINT64_FORMAT "%s%s%s: %s%s%s\n", int_or(l, "list_id", 0),
               *lname ? " (" : "", lname, *lname ? ")" : "", str_or(l, "status", "?"),
               *lreason ? ": " : "", lreason);
    }
    json_object *reviews = mxb_json_member(o, "reviews", json_type_array);
    if (mxb_json_length(reviews) > 0) {
        printf("decisions, newest first:\n");
        print_reviews(reviews);
    }
    return 0;
}

/* account_list - mxbounce account list [--json]: what is not active */
static int account_list(int argc, char **argv)
{
    g_autofree char *config_opt = NULL;
    gboolean json = FALSE;
    g_autoptr(json_object) o = NULL;
    int rc;

    if (!account_options("account list",
                         "- accounts and lists that are warned, under review or suspended", &argc,
                         &argv, 1, "no arguments", &config_opt, &json))
        return EXIT_USAGE;
    rc = query_object(
        "account list", config_opt,
        "SELECT jsonb_build_object('items', coalesce(jsonb_agg(x ORDER BY"
        " mxbounce.status_rank(x.status) DESC, x.account_id, x.list_id NULLS FIRST),"
        " '[]')) FROM ("
        " SELECT id AS account_id, NULL::bigint AS list_id, status, status_changed_at,"
        "  status_reason FROM mxbounce.accounts WHERE status <> 'active'"
        " UNION ALL SELECT account_id, list_id, status, status_changed_at, status_reason"
        "  FROM mxbounce.lists WHERE status <> 'active') x",
        0, NULL, json, &o);
    if (rc <= 0)
        return rc < 0 ? 1 : 0;
    json_object *items = mxb_json_member(o, "items", json_type_array);
    for (size_t i = 0; i < mxb_json_length(items); i++) {
        json_object *x = mxb_json_element(items, i, json_type_object);
        g_autofree char *reason = clean_text(str_or(x, "status_reason", ""), 0);
        gint64 list = int_or(x, "list_id", -1);
        g_autofree char *at = when(str_or(x, "status_changed_at", "?"));
        printf("%-9s %s account %" G_GINT64_FORMAT, str_or(x, "status", "?"), at,
               int_or(x, "account_id", 0));
        if (list >= 0)
            printf(" list %" G_GINT64_FORMAT, list);
        printf("%s%s\n", *reason ? ": " : "", reason);
    }
    return 0;
}

/* mxb_cli_account - mxbounce account reinstate|show|list */
int mxb_cli_account(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "reinstate") == 0)
        return account_reinstate(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "show") == 0)
        return account_show(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return account_list(argc - 1, argv + 1);
    fprintf(stderr, "usage: mxbounce account reinstate [-c FILE] ID [--list L] --reason TEXT "
                    "[--by WHO]\n"
                    "       mxbounce account show [-c FILE] [--json] ID\n"
                    "       mxbounce account list [-c FILE] [--json]\n");
    return EXIT_USAGE;
}
