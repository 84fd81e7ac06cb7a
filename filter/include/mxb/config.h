/*
 * mxb/config.h - the mxbounce.conf file (GKeyFile), shared by the filter
 * and the mxbounce command
 *
 * DESCRIPTION
 *	mxb_config_load() reads and validates the whole file at once; a
 *	missing file, a syntax error or a value out of range is an error
 *	(the filter then defers: exit 75). mxbounce.conf(5) documents every
 *	key; docs/mxbounce.conf.sample is a commented example.
 */
#ifndef MXB_CONFIG_H
#define MXB_CONFIG_H

#include <sys/stat.h>

#include <glib.h>

#include <mxb/classify.h>
#include <mxb/verp.h>

G_BEGIN_DECLS

/* The filter's own deadline: far below Postfix's default pipe time_limit
 * of 1000 s, above any sane report's processing time. */
#define MXB_DEFAULT_DEADLINE 60
#define MXB_MAX_DEADLINE 900
#define MXB_DEFAULT_CONNECT_TIMEOUT 10

typedef enum {
    MXB_LOG_SYSLOG = 0, /* facility mail, like Postfix's own programs */
    MXB_LOG_STDERR,     /* for tests and interactive runs */
} mxb_log_target;

/* Daemon workers: threads that read and parse messages at once. Each
 * holds at most one message (memory: about 3 x workers x max_message_size, bench/memory); one
 * writer thread with one database connection records what they have
 * parsed, all that waits in one transaction. 8 lets the writer gather up
 * to 8 messages per commit when Postfix runs many deliveries at once. */
#define MXB_DEFAULT_WORKERS 8
#define MXB_MAX_WORKERS 500

typedef struct mxb_config {
    char *path;
    char *conninfo;               /* [database] conninfo; may hold a password; NULL
                                   * only from mxb_config_load_keys() */
    int connect_timeout;          /* [database] connect_timeout, seconds */
    int deadline;                 /* [filter] deadline, seconds */
    mxb_log_target log;           /* [filter] log */
    char *socket;                 /* [daemon] socket, NULL when unset */
    int workers;                  /* [daemon] workers */
    int socket_mode;              /* [daemon] socket_mode, octal permission bits */
    mxb_limits limits;            /* [limits] */
    mxb_verp_keyring *verp;       /* [verp]: keys, never NULL (may hold no key) */
    char *local_rules_path;       /* [classify] local_rules, NULL when unset */
    mxb_local_rules *local_rules; /* its rules, once
                                   * mxb_config_use_local_rules() read them */
} mxb_config;

/* mxb_config_load - read and validate; *out owned by the caller */
int mxb_config_load(mxb_config **out, const char *path, GError **err);

/*
 * mxb_config_load_keys - the same, for a program that only makes or checks
 * VERP tokens (mxbounce verp): a missing [database] conninfo is no error,
 * so a host of the sending app needs no database password to make tokens.
 */
int mxb_config_load_keys(mxb_config **out, const char *path, GError **err);

/*
 * mxb_config_parse - validate the text of a configuration file, as
 * mxb_config_load() does after reading it (path is left NULL). st: the
 * file's status, for the permission check, or NULL to skip it (the fuzz
 * target and tests); need_database: conninfo required.
 */
int mxb_config_parse(mxb_config **out, const char *text, size_t len, const struct stat *st,
                     gboolean need_database, GError **err);

/*
 * mxb_config_use_local_rules - for the programs that classify (the filter,
 * mxbounced, mxbounce replay): read the file [classify] local_rules names
 * and make this process classify with it (mxb_classify_set_local_rules);
 * 0 when none is named, -1 and *err (naming the file and the rule) when
 * it cannot be read or a rule is wrong. The other commands never read
 * it, so a mistake in it stops no cron job but the classifying ones.
 */
int mxb_config_use_local_rules(mxb_config *cfg, GError **err);

/* mxb_local_rules_read - the local rules of the file at path
 * (mxb_local_rules_parse); NULL and *err, naming the file, on any error */
mxb_local_rules *mxb_local_rules_read(const char *path, GError **err);

/* mxb_config_free - NULL is fine; the conninfo is wiped */
void mxb_config_free(mxb_config *cfg);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(mxb_config, mxb_config_free)

G_END_DECLS

#endif
