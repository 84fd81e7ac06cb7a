/*
 * mxbounce-admin - the database commands of mxbounce(1)
 *
 * SYNOPSIS
 *	mxbounce-admin migrate [-c FILE]
 *	mxbounce-admin retention [-c FILE] [--dry-run] [--verbose]
 *	mxbounce-admin verp sync-keys [-c FILE]
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

#define EXIT_USAGE 2

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
    const char *config_path = config_opt ? config_opt : MXB_SYSCONF_FILE;
    if (mxb_config_load(&cfg, config_path, &err) < 0) {
        fprintf(stderr, "mxbounce migrate: %s: %s\n", config_path, err->message);
        return 1;
    }
    if (cfg->conninfo == NULL) {
        fprintf(stderr, "mxbounce migrate: %s: [database] conninfo is missing\n", config_path);
        return 1;
    }
    gint64 deadline = g_get_monotonic_time() + (gint64)cfg->connect_timeout * G_USEC_PER_SEC;
    if (mxb_db_connect(&db, cfg->conninfo, "mxbounce-migrate", deadline, &err) < 0) {
        fprintf(stderr, "mxbounce migrate: %s\n", err->message);
        return 1;
    }
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
    const char *config_path = config_opt ? config_opt : MXB_SYSCONF_FILE;
    if (mxb_config_load(&cfg, config_path, &err) < 0) {
        fprintf(stderr, "mxbounce verp sync-keys: %s: %s\n", config_path, err->message);
        return 1;
    }
    if (cfg->conninfo == NULL) {
        fprintf(stderr, "mxbounce verp sync-keys: %s: [database] conninfo is missing\n",
                config_path);
        return 1;
    }
    gint64 deadline = g_get_monotonic_time() + (gint64)cfg->connect_timeout * G_USEC_PER_SEC;
    if (mxb_db_connect(&db, cfg->conninfo, "mxbounce-verp", deadline, &err) < 0 ||
        mxb_db_sync_keys(db, cfg->verp->keys, MXB_VERP_KEYS, cfg->verp->signing, &n, &err) < 0) {
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
    const char *config_path = config_opt ? config_opt : MXB_SYSCONF_FILE;
    if (mxb_config_load(&cfg, config_path, &err) < 0) {
        fprintf(stderr, "mxbounce retention: %s: %s\n", config_path, err->message);
        return 1;
    }
    if (cfg->conninfo == NULL) {
        fprintf(stderr, "mxbounce retention: %s: [database] conninfo is missing\n", config_path);
        return 1;
    }
    gint64 deadline = g_get_monotonic_time() + (gint64)cfg->connect_timeout * G_USEC_PER_SEC;
    if (mxb_db_connect(&db, cfg->conninfo, "mxbounce-retention", deadline, &err) < 0 ||
        mxb_db_retention(db, dry_run, &lines, &err) < 0) {
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

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "retention") == 0)
        return cmd_retention(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "migrate") == 0)
        return cmd_migrate(argc - 1, argv + 1);
    if (argc >= 3 && strcmp(argv[1], "verp") == 0 && strcmp(argv[2], "sync-keys") == 0)
        return cmd_sync_keys(argc - 2, argv + 2);
    fprintf(stderr, "usage: mxbounce migrate [-c FILE]\n"
                    "       mxbounce retention [-c FILE] [--dry-run] [--verbose]\n"
                    "       mxbounce verp sync-keys [-c FILE]\n");
    return EXIT_USAGE;
}
