/*
 * mxbounce-filter - record one returned message in PostgreSQL (Postfix pipe)
 *
 * SYNOPSIS
 *	mxbounce-filter [-c FILE] -- QUEUE_ID SENDER RECIPIENT
 *		[ORIGINAL_RECIPIENT [CLIENT_ADDRESS]] < message
 *
 * DESCRIPTION
 *	Run by a Postfix pipe(8) service for every message that reaches the
 *	bounce domain. Reads the message from standard input (at most
 *	[limits] max_message_size bytes are kept, the rest is read and
 *	dropped), classifies it (classify/), and records the report, one
 *	event per recipient and the raw bytes in one database statement
 *	(db/). The same report delivered twice is recorded once.
 *
 * EXIT STATUS
 *	This file alone decides the exit status (sysexits.h):
 *	0   EX_OK       recorded (or already recorded) and committed
 *	75  EX_TEMPFAIL anything environmental: configuration, database,
 *	                deadline, read error. Postfix keeps the message and
 *	                retries it. Usage errors are a broken master.cf, so
 *	                they defer too. Never 1: Postfix would bounce the
 *	                message, and a bounce of a bounce is thrown away.
 *
 * DIAGNOSTICS
 *	One line on standard output when deferring (Postfix shows it in
 *	its log), e.g. "4.3.0 mxbounce: database unavailable". One log
 *	line per message to syslog (facility mail) or stderr: the queue id,
 *	then key=value pairs, untrusted text escaped and capped.
 *
 * SEE ALSO
 *	mxbounce-filter(8), mxbounce.conf(5), postfix-examples/master.cf
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <syslog.h>
#include <unistd.h>

#include <mxb/classify.h>
#include <mxb/config.h>
#include <mxb/db.h>

/* Exit statuses and what Postfix does with them (pipe(8)). */
#define FILTER_OK EX_OK          /* delivered */
#define FILTER_DEFER EX_TEMPFAIL /* deferred, retried later */
#define READ_CHUNK (64u * 1024u) /* read(2) size */
#define LOG_LINE_MAX 900         /* syslog line cap */
#define LOG_RCPTS_MAX 5          /* recipients named in the log line */
#define STARTUP_DEADLINE_GRACE 5 /* seconds the alarm backstop adds */

static mxb_log_target log_target = MXB_LOG_SYSLOG;
static const char *log_queue_id = "-";

/* on_alarm - the backstop: the deadline passed somewhere we could not
 * check it. Only async-signal-safe calls here. */
static void on_alarm(int sig)
{
    static const char msg[] = "4.4.7 mxbounce: deadline exceeded\n";

    (void)sig;
    (void)!write(STDOUT_FILENO, msg, sizeof(msg) - 1);
    _exit(FILTER_DEFER);
}

/* logmsg - one log line, to syslog or stderr */
G_GNUC_PRINTF(2, 3)
static void logmsg(int prio, const char *fmt, ...)
{
    char line[LOG_LINE_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap); /* truncation is the cap */
    va_end(ap);
    if (log_target == MXB_LOG_SYSLOG)
        syslog(prio, "%.100s: %s", log_queue_id, line);
    else
        fprintf(stderr, "mxbounce-filter: %.100s: %s\n", log_queue_id, line);
}

/* defer - the one short line for Postfix, a log line, exit 75 */
G_GNUC_NORETURN
static void defer(const char *dsn, const char *what, const char *detail)
{
    /* The short line first: pipe(8) takes a leading X.Y.Z as the DSN code. */
    printf("%s mxbounce: %s\n", dsn, what);
    fflush(stdout);
    logmsg(LOG_WARNING, "result=deferred reason=\"%s\" detail=\"%.300s\"", what,
           detail ? detail : "");
    exit(FILTER_DEFER);
}

/* esc - log-safe copy: C escapes for quotes and non-ASCII, capped */
static char *esc(const char *s, size_t cap)
{
    g_autofree char *e = g_strescape(s ? s : "", NULL);

    if (strlen(e) > cap)
        e[cap] = '\0';
    return g_steal_pointer(&e);
}

/* read_message - stdin into buf up to max; the rest is read and dropped.
 * Returns the total number of bytes on stdin, or -1 on a read error. */
static gssize read_message(GByteArray *buf, size_t max)
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

/* content_hash - SHA-256 of the report without our trace fields */
static void content_hash(const GByteArray *buf, unsigned char out[32])
{
    g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
    size_t off = mxb_report_content_offset((const char *)buf->data, buf->len);
    gsize n = 32;

    if (off >= buf->len)
        off = 0; /* nothing but trace fields: hash it all */
    g_checksum_update(sum, buf->data + off, buf->len - off);
    g_checksum_get_digest(sum, out, &n);
}

/* summary - "rcpt/status/class/reason" for the first few results */
static char *summary(const mxb_report *rep)
{
    GString *s = g_string_new(NULL);

    for (guint i = 0; i < rep->results->len && i < LOG_RCPTS_MAX; i++) {
        const mxb_result *r = g_ptr_array_index(rep->results, i);
        g_autofree char *rc = esc(r->recipient ? r->recipient : "-", 100);
        g_string_append_printf(s, "%s%s:%s:%s:%s", i ? "," : "", rc, r->status ? r->status : "-",
                               mxb_class_name(r->klass) ? mxb_class_name(r->klass) : "-",
                               mxb_reason_name(r->reason) ? mxb_reason_name(r->reason) : "-");
    }
    return g_string_free(s, FALSE);
}

/* usage - a broken master.cf line: defer, say so */
G_GNUC_NORETURN
static void usage(const char *why)
{
    defer("4.3.5", "usage error",
          why ? why
              : "usage: mxbounce-filter [-c FILE] -- QUEUE_ID SENDER RECIPIENT "
                "[ORIGINAL_RECIPIENT [CLIENT_ADDRESS]]");
}

int main(int argc, char **argv)
{
    g_autofree char *config_opt = NULL; /* GOption allocates it */
    gboolean show_version = FALSE;
    GOptionEntry entries[] = {
        {"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_opt, "Configuration file", "FILE"},
        {"version", 0, 0, G_OPTION_ARG_NONE, &show_version, "Print the version", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) opt = g_option_context_new("-- QUEUE_ID SENDER RECIPIENT "
                                                         "[ORIGINAL_RECIPIENT [CLIENT_ADDRESS]]");
    g_autoptr(GError) err = NULL;
    g_autoptr(mxb_config) cfg = NULL;
    g_autoptr(GByteArray) buf = g_byte_array_new();
    g_autoptr(mxb_report) rep = NULL;
    mxb_db *db = NULL;
    mxb_record_outcome rec;
    mxb_envelope env = {0};
    unsigned char sha[32];
    gint64 start = g_get_monotonic_time(), deadline;
    gssize total;

    /* The backstop runs before anything can hang: reading the config on a
     * stuck NFS mount counts too. It is re-armed once the deadline is known. */
    signal(SIGALRM, on_alarm);
    signal(SIGPIPE, SIG_IGN);
    alarm(MXB_DEFAULT_DEADLINE + STARTUP_DEADLINE_GRACE);
    openlog("mxbounce-filter", LOG_PID, LOG_MAIL);

    g_option_context_add_main_entries(opt, entries, NULL);
    g_option_context_set_help_enabled(opt, TRUE);
    if (!g_option_context_parse(opt, &argc, &argv, &err))
        usage(err->message);
    if (show_version) {
        printf("mxbounce-filter %s (classifier %s, schema %d)\n", MXB_VERSION,
               MXB_CLASSIFIER_VERSION, MXB_SCHEMA_VERSION);
        return FILTER_OK;
    }
    /* GOption leaves "--" in argv when it is followed by arguments. */
    int first = 1;
    if (first < argc && strcmp(argv[first], "--") == 0)
        first++;
    if (argc - first < 3 || argc - first > 5)
        usage(NULL);
    env.queue_id = argv[first];
    env.sender = argv[first + 1];
    env.recipient = argv[first + 2];
    env.original_recipient = argc - first > 3 ? argv[first + 3] : NULL;
    env.client_address = argc - first > 4 ? argv[first + 4] : NULL;
    g_autofree char *qid = esc(env.queue_id, 40);
    log_queue_id = qid;

    const char *config_path = config_opt ? config_opt : MXB_SYSCONF_FILE;
    if (mxb_config_load(&cfg, config_path, &err) < 0)
        defer("4.3.5", "configuration error", err->message);
    log_target = cfg->log;
    deadline = start + (gint64)cfg->deadline * G_USEC_PER_SEC;
    alarm((unsigned)cfg->deadline + STARTUP_DEADLINE_GRACE);

    total = read_message(buf, cfg->limits.max_message);
    if (total < 0)
        defer("4.3.0", "cannot read message", g_strerror(errno));

    content_hash(buf, sha);
    mxb_report_parse(&rep, (const char *)buf->data, buf->len, &cfg->limits);
    if ((size_t)total > buf->len)
        rep->flags |= MXB_REPORT_TRUNCATED_INPUT;

    gint64 connect_deadline =
        MIN(deadline, g_get_monotonic_time() + (gint64)cfg->connect_timeout * G_USEC_PER_SEC);
    if (mxb_db_connect(&db, cfg->conninfo, "mxbounce-filter", connect_deadline, &err) < 0)
        defer("4.3.0", "database unavailable", err->message);
    if (mxb_db_record(&rec, db, &env, rep, sha, (const char *)buf->data, buf->len, (size_t)total,
                      deadline, &err) < 0) {
        mxb_db_close(db);
        if (g_error_matches(err, MXB_DB_ERROR, MXB_DB_ERROR_SCHEMA))
            defer("4.3.5", "database schema too old", err->message);
        if (g_error_matches(err, MXB_DB_ERROR, MXB_DB_ERROR_TIMEOUT))
            defer("4.4.7", "deadline exceeded", err->message);
        defer("4.3.0", "database error", err->message);
    }
    mxb_db_close(db);
    alarm(0);

    const mxb_result *r0 = g_ptr_array_index(rep->results, 0);
    g_autofree char *rcpts = summary(rep);
    g_autofree char *sender = esc(env.sender, 100);
    g_autofree char *problem = esc(rep->problem, 100);
    logmsg(LOG_INFO,
           "result=%s report=%" G_GINT64_FORMAT " kind=%s events=%u rcpts=%s sender=<%s> "
           "size=%zd truncated=%s problem=\"%s\" ms=%" G_GINT64_FORMAT,
           rec.duplicate ? "duplicate" : "recorded", rec.report_id, mxb_kind_name(r0->kind),
           rep->results->len, rcpts, sender, total, rep->flags ? "yes" : "no", problem,
           (g_get_monotonic_time() - start) / 1000);
    return FILTER_OK;
}
