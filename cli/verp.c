/*
 * verp.c - mxbounce verp: make and check signed VERP tokens
 *
 * SYNOPSIS
 *	mxbounce verp make [-c FILE] --account ID (--message ID | --list ID)
 *		[--recipient ADDRESS] [--day N] [--key ID] [--address]
 *	mxbounce verp check [-c FILE] [--recipient ADDRESS] [--day N]
 *		TOKEN|ADDRESS
 *	mxbounce verp new-key
 *
 * DESCRIPTION
 *	make prints the token (with --address the whole envelope sender,
 *	PREFIX+TOKEN@DOMAIN of the [verp] group); --recipient binds the
 *	token to that address. check prints the verdict and the fields and
 *	exits 0 only for a verified token. new-key prints a fresh 256-bit
 *	key in the form the configuration file takes. The SQL function
 *	mxbounce.verp_token() makes the same tokens (docs/verp.md).
 *
 * EXIT STATUS
 *	0 success (check: verified); 1 not verified, or the configuration
 *	failed; 2 usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <mxb/config.h>
#include <mxb/verp.h>

#include "cli.h"

/* load - the configuration file of -c, or the installed one; it needs
 * no [database] here */
static mxb_config *load(const char *path)
{
    g_autoptr(GError) err = NULL;
    mxb_config *cfg = NULL;
    const char *p = path ? path : MXB_SYSCONF_FILE;

    if (mxb_config_load_keys(&cfg, p, &err) < 0) {
        fprintf(stderr, "mxbounce verp: %s: %s\n", p, err->message);
        return NULL;
    }
    return cfg;
}

/* Addresses are taken as G_OPTION_ARG_FILENAME, i.e. as raw bytes:
 * they are UTF-8 whatever the locale, and mxb_address_key() checks them. */

/* parse_id - a decimal id of at most max */
static gboolean parse_id(const char *s, guint64 max, guint64 *out)
{
    return s != NULL && g_ascii_string_to_unsigned(s, 10, 0, max, out, NULL);
}

/* cmd_make - mxbounce verp make */
static int cmd_make(int argc, char **argv)
{
    g_autofree char *config = NULL, *account = NULL, *message = NULL, *list = NULL;
    g_autofree char *recipient = NULL, *day = NULL, *key = NULL;
    gboolean address = FALSE;
    GOptionEntry entries[] = {
        {"config", 'c', 0, G_OPTION_ARG_FILENAME, &config, "Configuration file", "FILE"},
        {"account", 0, 0, G_OPTION_ARG_STRING, &account, "Account id", "ID"},
        {"message", 0, 0, G_OPTION_ARG_STRING, &message, "Message id", "ID"},
        {"list", 0, 0, G_OPTION_ARG_STRING, &list, "List id (instead of a message id)", "ID"},
        {"recipient", 0, 0, G_OPTION_ARG_FILENAME, &recipient, "Bind the token to this address",
         "ADDRESS"},
        {"day", 0, 0, G_OPTION_ARG_STRING, &day, "Day number (default today, UTC)", "N"},
        {"key", 0, 0, G_OPTION_ARG_STRING, &key, "Key id (default [verp] signing_key)", "ID"},
        {"address", 0, 0, G_OPTION_ARG_NONE, &address, "Print PREFIX+TOKEN@DOMAIN", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) opt = g_option_context_new("- make a signed VERP token");
    g_autoptr(GError) err = NULL;
    g_autoptr(mxb_config) cfg = NULL;
    mxb_verp_token t = {0};
    guint64 v;

    g_option_context_add_main_entries(opt, entries, NULL);
    if (!g_option_context_parse(opt, &argc, &argv, &err)) {
        fprintf(stderr, "mxbounce verp make: %s\n", err->message);
        return EXIT_USAGE;
    }
    /* Ids are PostgreSQL bigints; account 0 is the platform itself. */
    if (argc != 1 || !parse_id(account, G_MAXINT64, &t.account) || t.account == 0 ||
        (message == NULL) == (list == NULL) ||
        !parse_id(message ? message : list, G_MAXINT64, &t.ref)) {
        fprintf(stderr, "mxbounce verp make: give --account ID (1 or more) and one of "
                        "--message ID or --list ID (decimal)\n");
        return EXIT_USAGE;
    }
    if (list)
        t.flags |= MXB_VERP_FLAG_LIST;
    if (recipient)
        t.flags |= MXB_VERP_FLAG_BOUND;
    t.day = (guint16)mxb_verp_today();
    if (day) {
        if (!parse_id(day, G_MAXUINT16, &v)) {
            fprintf(stderr, "mxbounce verp make: --day takes 0..65535\n");
            return EXIT_USAGE;
        }
        t.day = (guint16)v;
    }
    if ((cfg = load(config)) == NULL)
        return 1;
    if (key) {
        if (!parse_id(key, MXB_VERP_KEYS - 1, &v)) {
            fprintf(stderr, "mxbounce verp make: --key takes 0..%d\n", MXB_VERP_KEYS - 1);
            return EXIT_USAGE;
        }
        t.key_id = (guint8)v;
    } else if (cfg->verp->signing < 0) {
        fprintf(stderr, "mxbounce verp make: %s has no [verp] key\n", cfg->path);
        return 1;
    } else {
        t.key_id = (guint8)cfg->verp->signing;
    }
    g_autofree char *tok = mxb_verp_make(cfg->verp, &t, recipient, &err);
    if (tok == NULL) {
        fprintf(stderr, "mxbounce verp make: %s\n", err->message);
        return 1;
    }
    if (!address) {
        puts(tok);
        return 0;
    }
    if (cfg->verp->domain == NULL) {
        fprintf(stderr, "mxbounce verp make: --address needs [verp] domain\n");
        return 1;
    }
    printf("%s+%s@%s\n", cfg->verp->prefix, tok, cfg->verp->domain);
    return 0;
}

/* cmd_check - mxbounce verp check */
static int cmd_check(int argc, char **argv)
{
    g_autofree char *config = NULL, *recipient = NULL, *day = NULL;
    GOptionEntry entries[] = {
        {"config", 'c', 0, G_OPTION_ARG_FILENAME, &config, "Configuration file", "FILE"},
        {"recipient", 0, 0, G_OPTION_ARG_FILENAME, &recipient,
         "The address the report is about (for bound tokens)", "ADDRESS"},
        {"day", 0, 0, G_OPTION_ARG_STRING, &day, "Check as on day N (default today)", "N"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) opt =
        g_option_context_new("TOKEN|ADDRESS - verify a signed VERP token");
    g_autoptr(GError) err = NULL;
    g_autoptr(mxb_config) cfg = NULL;
    mxb_verp_token t;
    guint64 today = mxb_verp_today();

    g_option_context_add_main_entries(opt, entries, NULL);
    if (!g_option_context_parse(opt, &argc, &argv, &err)) {
        fprintf(stderr, "mxbounce verp check: %s\n", err->message);
        return EXIT_USAGE;
    }
    if (argc != 2 || (day && !parse_id(day, G_MAXUINT16, &today))) {
        fprintf(stderr, "usage: mxbounce verp check [-c FILE] [--recipient ADDRESS] [--day N] "
                        "TOKEN|ADDRESS\n");
        return EXIT_USAGE;
    }
    if ((cfg = load(config)) == NULL)
        return 1;
    g_autofree char *tok = strchr(argv[1], '@') ? mxb_verp_token_of(argv[1]) : g_strdup(argv[1]);
    mxb_verp_verdict v = mxb_verp_check(cfg->verp, tok, recipient, (guint)today, &t);
    printf("%s", mxb_verp_verdict_name(v));
    if (v != MXB_VERP_NONE && v != MXB_VERP_MALFORMED)
        printf(" key=%u account=%" G_GUINT64_FORMAT " %s=%" G_GUINT64_FORMAT " day=%u bound=%s",
               t.key_id, t.account, t.flags & MXB_VERP_FLAG_LIST ? "list" : "message", t.ref, t.day,
               t.flags & MXB_VERP_FLAG_BOUND ? "yes" : "no");
    putchar('\n');
    return v == MXB_VERP_OK ? 0 : 1;
}

/* cmd_new_key - 32 random bytes from the kernel, base64 */
static int cmd_new_key(void)
{
    guint8 key[32];
    size_t got = 0;

    while (got < sizeof(key)) {
        ssize_t n = getrandom(key + got, sizeof(key) - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fprintf(stderr, "mxbounce verp new-key: getrandom: %s\n", g_strerror(errno));
            return 1;
        }
        got += (size_t)n;
    }
    g_autofree char *b64 = g_base64_encode(key, sizeof(key));
    memset(key, 0, sizeof(key));
    printf("%s\n", b64);
    return 0;
}

/* mxb_cli_verp - dispatch mxbounce verp SUBCOMMAND */
int mxb_cli_verp(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "make") == 0)
        return cmd_make(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    if (argc == 2 && strcmp(argv[1], "new-key") == 0)
        return cmd_new_key();
    fprintf(stderr, "usage: mxbounce verp make [-c FILE] --account ID (--message ID | --list ID) "
                    "[--recipient ADDRESS] [--day N] [--key ID] [--address]\n"
                    "       mxbounce verp check [-c FILE] [--recipient ADDRESS] [--day N] "
                    "TOKEN|ADDRESS\n"
                    "       mxbounce verp new-key\n"
                    "       mxbounce verp sync-keys [-c FILE]\n");
    return EXIT_USAGE;
}
