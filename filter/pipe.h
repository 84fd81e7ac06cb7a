/*
 * pipe.h - what mxbounce-record, run for Postfix's pipe(8), does: argv,
 * exit statuses, the one output line, logging, reading stdin.
 * (mxbounce-filter links only libc and has its own, in main.c.)
 * Private to filter/. Only filter programs decide exit statuses.
 */
#ifndef MXB_FILTER_PIPE_H
#define MXB_FILTER_PIPE_H

#include <glib.h>
#include <sysexits.h>

#include <mxb/config.h>
#include <mxb/db.h>

/* Exit statuses and what Postfix does with them (pipe(8)). */
#define FILTER_OK EX_OK          /* delivered */
#define FILTER_DEFER EX_TEMPFAIL /* deferred, retried later */
#define STARTUP_DEADLINE_GRACE 5 /* seconds the alarm backstop adds */

typedef struct mxb_pipe_args {
    char *config_path; /* -c, owned */
    gboolean version;
    mxb_envelope env; /* pointers into argv */
} mxb_pipe_args;

/* mxb_pipe_start - alarm backstop, SIGPIPE, syslog ident */
void mxb_pipe_start(const char *ident);

/* mxb_pipe_parse_args - argv of the master.cf line; defers on a usage error */
void mxb_pipe_parse_args(mxb_pipe_args *a, int *argc, char ***argv, const char *ident);

/* mxb_pipe_config - load the -c file (frees a->config_path) and set the
 * log target; defers on any configuration error. Owned by the caller. */
mxb_config *mxb_pipe_config(mxb_pipe_args *a);

/* mxb_pipe_set_log - log target and queue id for the log lines */
void mxb_pipe_set_log(mxb_log_target target, const char *queue_id);

/* mxb_pipe_log - one log line: queue id, then the text */
void mxb_pipe_log(int prio, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* mxb_pipe_defer - the one short line, a log line, exit 75 */
G_GNUC_NORETURN void mxb_pipe_defer(const char *dsn, const char *what, const char *detail);

/* mxb_pipe_read - stdin up to max bytes kept, the rest read and dropped;
 * returns the bytes read in all, or -1 on a read error */
gssize mxb_pipe_read(GByteArray *buf, size_t max);

#endif
