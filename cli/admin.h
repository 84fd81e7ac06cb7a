/*
 * admin.h - what the database commands of mxbounce-admin share
 */
#ifndef MXB_ADMIN_H
#define MXB_ADMIN_H

#include <mxb/config.h>
#include <mxb/db.h>
#include <mxb/json.h>

#define EXIT_USAGE 2

/* The schema the review, account and report commands need. */
#define MXB_SCHEMA_REVIEW 5

/*
 * open_db - the configuration file (-c, or the installed one) and a
 * connection to its database, for the command named cmd; on failure the
 * error is printed and NULL returned. *cfg is owned by the caller.
 */
mxb_db *open_db(const char *cmd, const char *config_opt, mxb_config **cfg);

/* mxb_cli_review - mxbounce review ...; argv[0] is "review" */
int mxb_cli_review(int argc, char **argv);

/* mxb_cli_account - mxbounce account reinstate|show|list ...; argv[0] is "account" */
int mxb_cli_account(int argc, char **argv);

/* mxb_cli_report - mxbounce report ...; argv[0] is "report" */
int mxb_cli_report(int argc, char **argv);

/* need_schema - print why and return -1 when the database's schema is
 * older than version */
int need_schema(mxb_db *db, const char *cmd, int version);

/* clean_text - s for a terminal or a file: control characters become
 * spaces, invalid UTF-8 is replaced, at most max characters (0: no
 * limit) with "..." when cut; NULL gives "" */
char *clean_text(const char *s, glong max);

/* when - a timestamp the database gave (ISO 8601, UTC: mxbounce-admin
 * sets PGTZ) to the minute, as "2026-11-20 10:05"; owned by the caller */
char *when(const char *ts);

/* str_or - a string member of o (NULL is fine), or dflt when missing,
 * null or not a string */
const char *str_or(json_object *o, const char *name, const char *dflt);

/* num_of - a number member of o (NULL is fine), integer or not; NULL when
 * missing, null or not a number */
json_object *num_of(json_object *o, const char *name);

/* int_or - an integer member of o (NULL is fine), or dflt */
gint64 int_or(json_object *o, const char *name, gint64 dflt);

#endif
