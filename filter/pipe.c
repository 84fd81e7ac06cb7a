/*
 * pipe.c - the shared behaviour of the programs Postfix's pipe(8) runs
 *
 * DIAGNOSTICS
 *	When deferring, one line on standard output, first, so that pipe(8)
 *	takes its leading X.Y.Z as the DSN code ("4.3.0 mxbounce: database
 *	unavailable"); then one log line to syslog (facility mail) or stderr.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <mxb/log.h>

#include "pipe.h"

#define READ_CHUNK (64u * 1024u) /* read(2) size */

static mxb_log_target log_target = MXB_LOG_SYSLOG;
static char log_queue_id[MXB_LOG_QUEUE_ID_MAX + 1] = "-";
static const char *log_ident = "mxbounce-filter";

/* on_alarm - the backstop: the deadline passed somewhere we could not
 * check it. Only async-signal-safe calls here. */
static void on_alarm(int sig)
{
    static const char msg[] = "4.4.7 mxbounce: deadline exceeded\n";

    (void)sig;
    (void)!write(STDOUT_FILENO, msg, sizeof(msg) - 1);
    _exit(FILTER_DEFER);
}

/* mxb_pipe_start - arm the backstop before anything can hang */
void mxb_pipe_start(const char *ident)
{
    log_ident = ident;
    signal(SIGALRM, on_alarm);
    signal(SIGPIPE, SIG_IGN);
    alarm(MXB_DEFAULT_DEADLINE + STARTUP_DEADLINE_GRACE);
    openlog(ident, LOG_PID, LOG_MAIL);
}

/* mxb_pipe_set_log - where log lines go, and the queue id they start with */
void mxb_pipe_set_log(mxb_log_target target, const char *queue_id)
{
    char *e = g_strescape(queue_id ? queue_id : "-", NULL);

    log_target = target;
    g_strlcpy(log_queue_id, e, sizeof(log_queue_id));
    g_free(e);
}

/* mxb_pipe_log - one log line */
void mxb_pipe_log(int prio, const char *fmt, ...)
{
    char line[MXB_LOG_LINE_MAX + 1];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap); /* truncation is the cap */
    va_end(ap);
    if (log_target == MXB_LOG_SYSLOG)
        syslog(prio, "%s: %s", log_queue_id, line);
    else
        fprintf(stderr, "%s: %s: %s\n", log_ident, log_queue_id, line);
}

/* mxb_pipe_defer - the short line for Postfix, a log line, exit 75 */
void mxb_pipe_defer(const char *dsn, const char *what, const char *detail)
{
    printf("%s mxbounce: %s\n", dsn, what);
    fflush(stdout);
    mxb_pipe_log(LOG_WARNING, "result=deferred reason=\"%s\" detail=\"%.*s\"", what,
                 MXB_LOG_DETAIL_MAX, detail ? detail : "");
    exit(FILTER_DEFER);
}

/* mxb_pipe_parse_args - -c FILE, --version, then the envelope after "--" */
void mxb_pipe_parse_args(mxb_pipe_args *a, int *argc, char ***argv, const char *ident)
{
    GOptionEntry entries[] = {
        {"config", 'c', 0, G_OPTION_ARG_FILENAME, &a->config_path, "Configuration file", "FILE"},
        {"version", 0, 0, G_OPTION_ARG_NONE, &a->version, "Print the version", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) opt = g_option_context_new("-- QUEUE_ID SENDER RECIPIENT "
                                                         "[ORIGINAL_RECIPIENT [CLIENT_ADDRESS]]");
    g_autoptr(GError) err = NULL;
    char **v;
    int n, first = 1;

    memset(a, 0, sizeof(*a));
    g_option_context_add_main_entries(opt, entries, NULL);
    if (!g_option_context_parse(opt, argc, argv, &err))
        mxb_pipe_defer("4.3.5", "usage error", err->message);
    if (a->version)
        return;
    v = *argv;
    n = *argc;
    /* GOption leaves "--" in argv when it is followed by arguments. */
    if (first < n && strcmp(v[first], "--") == 0)
        first++;
    if (n - first < 3 || n - first > 5) {
        g_autofree char *why = g_strdup_printf("usage: %s [-c FILE] -- QUEUE_ID SENDER RECIPIENT "
                                               "[ORIGINAL_RECIPIENT [CLIENT_ADDRESS]]",
                                               ident);
        mxb_pipe_defer("4.3.5", "usage error", why);
    }
    a->env.queue_id = v[first];
    a->env.sender = v[first + 1];
    a->env.recipient = v[first + 2];
    if (*a->env.recipient == '\0')
        mxb_pipe_defer("4.3.5", "usage error", "empty RECIPIENT (master.cf passes ${recipient})");
    a->env.original_recipient = n - first > 3 ? v[first + 3] : NULL;
    a->env.client_address = n - first > 4 ? v[first + 4] : NULL;
    if (a->config_path == NULL)
        a->config_path = g_strdup(MXB_SYSCONF_FILE);
}

/* mxb_pipe_config - the configuration, or exit 75 */
mxb_config *mxb_pipe_config(mxb_pipe_args *a)
{
    g_autoptr(GError) err = NULL;
    mxb_config *cfg = NULL;

    mxb_pipe_set_log(MXB_LOG_SYSLOG, a->env.queue_id);
    if (mxb_config_load(&cfg, a->config_path, &err) < 0 ||
        mxb_config_use_local_rules(cfg, &err) < 0)
        mxb_pipe_defer("4.3.5", "configuration error", err->message);
    g_clear_pointer(&a->config_path, g_free);
    mxb_pipe_set_log(cfg->log, a->env.queue_id);
    return cfg;
}

/* mxb_pipe_read - read stdin to the end, keeping at most max bytes */
gssize mxb_pipe_read(GByteArray *buf, size_t max)
{
    char chunk[READ_CHUNK];
    size_t total = 0;

    for (;;) {
        ssize_t n = read(STDIN_FILENO, chunk, sizeof(chunk));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0)
            break;
        if (buf->len < max)
            g_byte_array_append(buf, (const guint8 *)chunk, (guint)MIN((size_t)n, max - buf->len));
        total += (size_t)n;
    }
    return (gssize)total;
}
