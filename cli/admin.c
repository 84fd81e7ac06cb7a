/*
 * mxbounce-admin - the database commands of mxbounce(1)
 *
 * SYNOPSIS
 *	mxbounce-admin migrate [-c FILE]
 *	mxbounce-admin replay [-c FILE] [--since YYYY-MM-DD|Nd] [--all] [--dry-run]
 *	mxbounce-admin retention [-c FILE] [--dry-run] [--verbose]
 *	mxbounce-admin verp sync-keys [-c FILE]
 *	mxbounce-admin review|account|report ...	(cli/review.c, cli/report.c)
 *
 * DESCRIPTION
 *	mxbounce execs this program (from libexec, or beside itself in a
 *	build tree) for the commands that need PostgreSQL, so that mxbounce
 *	classify loads no database library. Run it through mxbounce.
 *
 * EXIT STATUS
 *	0 success; 1 the configuration or the database failed; 2 usage error.
 */
#include <stdio.h>
#include <string.h>

#include <mxb/config.h>
#include <mxb/db.h>
#include <mxb/record.h>

#include "admin.h"

/* open_db - see admin.h */
mxb_db *open_db(const char *cmd, const char *config_opt, mxb_config **cfg)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *app = g_strdup_printf("mxbounce-%s", cmd);
    const char *path = config_opt ? config_opt : MXB_SYSCONF_FILE;
    mxb_db *db = NULL;

    *cfg = NULL;
    if (mxb_config_load(cfg, path, &err) < 0) {
        fprintf(stderr, "mxbounce %s: %s: %s\n", cmd, path, err->message);
        return NULL;
    }
    if ((*cfg)->conninfo == NULL) {
        fprintf(stderr, "mxbounce %s: %s: [database] conninfo is missing\n", cmd, path);
        return NULL;
    }
    /* application_name: no spaces ("verp sync-keys" -> "mxbounce-verp") */
    char *sp = strchr(app, ' ');
    if (sp)
        *sp = '\0';
    gint64 deadline = g_get_monotonic_time() + (gint64)(*cfg)->connect_timeout * G_USEC_PER_SEC;
    if (mxb_db_connect(&db, (*cfg)->conninfo, app, FALSE, deadline, &err) < 0) {
        fprintf(stderr, "mxbounce %s: %s\n", cmd, err->message);
        return NULL;
    }
    return db;
}

/* cmd_migrate - mxbounce migrate [-c FILE] */
static int cmd_migrate(int argc, char **argv)
{
    g_autofree char *config_opt = NULL; /* GOption allocates it */
    GOptionEntry entries[] = {
        {"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_opt, "Configuration file", "FILE"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) opt = g_option_context_new("- apply database migrations");
    g_autoptr(GError) err = NULL;
    g_autoptr(mxb_config) cfg = NULL;
    mxb_db *db = NULL;
    int applied, version;

    g_option_context_add_main_entries(opt, entries, NULL);
    if (!g_option_context_parse(opt, &argc, &argv, &err)) {
        fprintf(stderr, "mxbounce migrate: %s\n", err->message);
        return EXIT_USAGE;
    }
    if ((db = open_db("migrate", config_opt, &cfg)) == NULL)
        return 1;
    if (mxb_db_migrate(db, &applied, &version, &err) < 0) {
        fprintf(stderr, "mxbounce migrate: %s\n", err->message);
        mxb_db_close(db);
        return 1;
    }
    mxb_db_close(db);
    printf("mxbounce migrate: %d migration(s) applied, schema version %d\n", applied, version);
    return 0;
}

/* cmd_sync_keys - mxbounce verp sync-keys [-c FILE]: the [verp] keys into
 * mxbounce.verp_keys, for the SQL function verp_token() */
static int cmd_sync_keys(int argc, char **argv)
{
    g_autofree char *config_opt = NULL; /* GOption allocates it */
    GOptionEntry entries[] = {
        {"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_opt, "Configuration file", "FILE"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) opt =
        g_option_context_new("- copy the [verp] keys into the database");
    g_autoptr(GError) err = NULL;
    g_autoptr(mxb_config) cfg = NULL;
    mxb_db *db = NULL;
    int n = 0;

    g_option_context_add_main_entries(opt, entries, NULL);
    if (!g_option_context_parse(opt, &argc, &argv, &err) || argc != 1) {
        fprintf(stderr, "mxbounce verp sync-keys: %s\n", err ? err->message : "no arguments");
        return EXIT_USAGE;
    }
    if ((db = open_db("verp sync-keys", config_opt, &cfg)) == NULL)
        return 1;
    if (mxb_db_sync_keys(db, cfg->verp->keys, MXB_VERP_KEYS, cfg->verp->signing, &n, &err) < 0) {
        fprintf(stderr, "mxbounce verp sync-keys: %s\n", err->message);
        mxb_db_close(db);
        return 1;
    }
    mxb_db_close(db);
    printf("mxbounce verp sync-keys: %d key(s), signing key %d\n", n, cfg->verp->signing);
    return 0;
}

/* cmd_retention - mxbounce retention [-c FILE] [--dry-run] [--verbose] */
static int cmd_retention(int argc, char **argv)
{
    g_autofree char *config_opt = NULL; /* GOption allocates it */
    gboolean dry_run = FALSE, verbose = FALSE;
    GOptionEntry entries[] = {
        {"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_opt, "Configuration file", "FILE"},
        {"dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, "Only count what would go", NULL},
        {"verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Also print what did not change", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) opt =
        g_option_context_new("- partitions ahead, old events, raw messages and reports");
    g_autoptr(GError) err = NULL;
    g_autoptr(mxb_config) cfg = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    mxb_db *db = NULL;

    g_option_context_add_main_entries(opt, entries, NULL);
    if (!g_option_context_parse(opt, &argc, &argv, &err) || argc != 1) {
        fprintf(stderr, "mxbounce retention: %s\n", err ? err->message : "no arguments");
        return EXIT_USAGE;
    }
    if ((db = open_db("retention", config_opt, &cfg)) == NULL)
        return 1;
    if (mxb_db_retention(db, dry_run, &lines, &err) < 0) {
        fprintf(stderr, "mxbounce retention: %s\n", err->message);
        mxb_db_close(db);
        return 1;
    }
    mxb_db_close(db);
    /* Quiet for cron when nothing happened. */
    for (guint i = 0; i < lines->len; i++) {
        const char *l = g_ptr_array_index(lines, i);
        const char *colon = strstr(l, ": ");
        gboolean zero = colon && colon[2] == '0' && (colon[3] == '\0' || colon[3] == ' ');
        if (verbose || dry_run || !zero)
            printf("mxbounce retention: %s%s\n", dry_run ? "would go, " : "", l);
    }
    return 0;
}

/* parse_since - "YYYY-MM-DD" (UTC) or "Nd" (days ago) into epoch seconds */
static gboolean parse_since(const char *s, gint64 *out)
{
    guint64 days;
    char *end = NULL;

    if (s == NULL) {
        *out = 0;
        return TRUE;
    }
    days = g_ascii_strtoull(s, &end, 10);
    if (end != s && strcmp(end, "d") == 0) {
        *out = g_get_real_time() / G_USEC_PER_SEC - (gint64)days * 86400;
        return TRUE;
    }
    g_autofree char *iso = g_strconcat(s, "T00:00:00Z", NULL);
    g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(iso, NULL);
    if (dt == NULL)
        return FALSE;
    *out = g_date_time_to_unix(dt);
    return TRUE;
}

/* replay_one - classify one stored report again and hand it to the
 * database; prints its changes; adds to the counters */
static int replay_one(mxb_db *db, const mxb_config *cfg, const mxb_stored_report *sr,
                      gboolean dry_run, int *changed, int *events, int *added, int *lifted,
                      GError **err)
{
    g_autoptr(mxb_report) rep = NULL;
    g_autoptr(GPtrArray) changes = NULL;
    const mxb_envelope env = {sr->queue_id, sr->sender, sr->recipient, sr->original_recipient,
                              sr->client_address};
    gsize len;
    const char *raw = g_bytes_get_data(sr->raw, &len);
    const char *token = NULL;

    mxb_report_parse_envelope(&rep, raw, len, &cfg->limits, sr->sender ? sr->sender : "");
    if (sr->truncated)
        rep->flags |= MXB_REPORT_TRUNCATED_INPUT;
    /* A token is judged as on the day the report came. */
    mxb_event_link *links =
        mxb_record_correlate(cfg, &env, rep, (guint)(sr->received / 86400), &token);
    g_autofree char *rjson = mxb_db_report_json(&env, rep, token);
    g_autofree char *ejson = mxb_db_events_json(rep, links);
    mxb_record_links_free(links, rep->results->len);
    if (mxb_db_replay_report(db, sr->id, rjson, ejson, dry_run, &changes, err) < 0)
        return -1;
    if (changes->len > 0)
        (*changed)++;
    for (guint i = 0; i < changes->len; i++) {
        const char *c = g_ptr_array_index(changes, i);
        printf("report %" G_GINT64_FORMAT ": %s\n", sr->id, c);
        if (g_str_has_prefix(c, "event:"))
            (*events)++;
        else if (g_str_has_prefix(c, "suppressed:"))
            (*added)++;
        else
            (*lifted)++;
    }
    return 0;
}

/* cmd_replay - mxbounce replay [-c FILE] [--since DATE|Nd] [--all] [--dry-run] */
static int cmd_replay(int argc, char **argv)
{
    g_autofree char *config_opt = NULL, *since_opt = NULL; /* GOption allocates them */
    gboolean dry_run = FALSE, all = FALSE;
    GOptionEntry entries[] = {
        {"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_opt, "Configuration file", "FILE"},
        {"since", 's', 0, G_OPTION_ARG_STRING, &since_opt,
         "Only reports that came since this UTC day, or N days ago", "YYYY-MM-DD|Nd"},
        {"all", 'a', 0, G_OPTION_ARG_NONE, &all, "Also reports already classified by this version",
         NULL},
        {"dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, "Print the changes, write nothing", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) opt =
        g_option_context_new("- classify stored reports again with the current rules");
    g_autoptr(GError) err = NULL;
    g_autoptr(mxb_config) cfg = NULL;
    mxb_db *db = NULL;
    gint64 since, last = 0;
    int read = 0, changed = 0, events = 0, added = 0, lifted = 0;

    g_option_context_add_main_entries(opt, entries, NULL);
    if (!g_option_context_parse(opt, &argc, &argv, &err) || argc != 1 ||
        !parse_since(since_opt, &since)) {
        fprintf(stderr, "mxbounce replay: %s\n",
                err ? err->message : "--since takes YYYY-MM-DD or Nd, and no other arguments");
        return EXIT_USAGE;
    }
    if ((db = open_db("replay", config_opt, &cfg)) == NULL)
        return 1;
    if (mxb_config_use_local_rules(cfg, &err) < 0) {
        fprintf(stderr, "mxbounce replay: %s\n", err->message);
        mxb_db_close(db);
        return 1;
    }
    mxb_classify_set_optimize(TRUE);
    for (;;) {
        g_autoptr(GPtrArray) batch = NULL;
        if (mxb_db_stored_reports(db, last, since, all, 100, &batch, &err) < 0)
            goto fail;
        if (batch->len == 0)
            break;
        for (guint i = 0; i < batch->len; i++) {
            const mxb_stored_report *sr = g_ptr_array_index(batch, i);
            if (replay_one(db, cfg, sr, dry_run, &changed, &events, &added, &lifted, &err) < 0)
                goto fail;
            read++;
            last = sr->id;
        }
    }
    mxb_db_close(db);
    printf("mxbounce replay: %d report(s) classified again (classifier %s), %d changed: "
           "%d event change(s), %d suppression(s) added, %d lifted%s\n",
           read, mxb_classifier_version(), changed, events, added, lifted,
           dry_run ? "; dry run, nothing written" : "");
    return 0;

fail:
    fprintf(stderr, "mxbounce replay: %s (after report %" G_GINT64_FORMAT ")\n", err->message,
            last);
    mxb_db_close(db);
    return 1;
}

int main(int argc, char **argv)
{
    /* Every time these commands print is UTC: libpq sends PGTZ as the
     * session's TimeZone at startup (pgbouncer keeps it per client too). */
    g_setenv("PGTZ", "UTC", TRUE);
    if (argc >= 2 && strcmp(argv[1], "review") == 0)
        return mxb_cli_review(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "account") == 0)
        return mxb_cli_account(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "report") == 0)
        return mxb_cli_report(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "replay") == 0)
        return cmd_replay(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "retention") == 0)
        return cmd_retention(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "migrate") == 0)
        return cmd_migrate(argc - 1, argv + 1);
    if (argc >= 3 && strcmp(argv[1], "verp") == 0 && strcmp(argv[2], "sync-keys") == 0)
        return cmd_sync_keys(argc - 2, argv + 2);
    fprintf(stderr,
            "usage: mxbounce migrate [-c FILE]\n"
            "       mxbounce replay [-c FILE] [--since YYYY-MM-DD|Nd] [--all] [--dry-run]\n"
            "       mxbounce retention [-c FILE] [--dry-run] [--verbose]\n"
            "       mxbounce verp sync-keys [-c FILE]\n"
            "       mxbounce review [-c FILE] [--dry-run] [--json] [--verbose]\n"
            "       mxbounce account reinstate|show|list ...\n"
            "       mxbounce report [-c FILE] --account ID [--list L] [--since Nd|YYYY-MM-DD]\n"
            "                       [--top N] [--format text|json|csv|html] [-o FILE]\n");
    return EXIT_USAGE;
}
