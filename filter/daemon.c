/*
 * mxbounced - record returned messages for mxbounce-filter, with pooled connections
 *
 * SYNOPSIS
 *	mxbounced [-c FILE]
 *
 * DESCRIPTION
 *	The daemon mode of mxbounce-filter(8). Listens on the Unix socket
 *	[daemon] socket; every connection carries one message (filter/proto.h).
 *	[daemon] workers threads accept the connections themselves (no hand-
 *	over through another thread: one wake-up less per message); each
 *	keeps one database connection and records the message exactly as the
 *	direct mode does (filter/record.c), then answers "OK" after the commit or
 *	"DEFER x.y.z text" on any failure, which the filter turns into exit
 *	75. A request that is not well formed is answered DEFER too: only a
 *	broken or foreign client sends one.
 *
 *	It keeps no state besides its connections: stopping it at any time
 *	loses nothing (the filters defer, Postfix retries). It runs in the
 *	foreground, for systemd (postfix-examples/mxbounced.service), and
 *	stops on SIGTERM or SIGINT after the requests in progress; filters
 *	still waiting in the listen queue then find the socket closed and
 *	defer.
 *
 * DIAGNOSTICS
 *	One log line per message to syslog (facility mail) or stderr:
 *	queue id, then key=value pairs, as the direct mode writes them.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include <mxb/record.h>

#include "proto.h"

#define LISTEN_BACKLOG 128     /* connections waiting for a worker */
#define DEADLINE_MARGIN_MS 200 /* answer this much before the filter gives up */

static const mxb_config *config;
static int stop_pipe[2] = {-1, -1}; /* readable once a stop is asked for */
static int listen_fd = -1;          /* non-blocking: workers race for connections */

/* logline - one line to syslog or stderr; thread-safe */
G_GNUC_PRINTF(3, 4)
static void logline(int prio, const char *qid, const char *fmt, ...)
{
    g_autofree char *line = NULL;
    g_autofree char *q = mxb_log_escape(qid ? qid : "-", 40);
    va_list ap;

    va_start(ap, fmt);
    line = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (strlen(line) > 900)
        line[900] = '\0';
    if (config == NULL || config->log == MXB_LOG_SYSLOG)
        syslog(prio, "%s: %s", q, line);
    else
        fprintf(stderr, "mxbounced: %s: %s\n", q, line);
}

/* on_signal - ask the accept loop to stop */
static void on_signal(int sig)
{
    (void)sig;
    (void)!write(stop_pipe[1], "x", 1);
}

/* read_full - exactly len bytes, or FALSE (EOF, error, SO_RCVTIMEO) */
static gboolean read_full(int fd, void *p, size_t len)
{
    char *cp = p;

    while (len > 0) {
        ssize_t n = read(fd, cp, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FALSE;
        cp += n;
        len -= (size_t)n;
    }
    return TRUE;
}

/* reply - one answer line; a vanished client is not an error */
static void reply(int fd, const char *line)
{
    size_t len = strlen(line);

    (void)!write(fd, line, len);
}

/*
 * read_header - "MXB1 <ms> <len>\n" from one read(2) or a few; the bytes
 * read past the newline (the start of the body) are left in h at
 * h[*hlen .. *got).
 */
static gboolean read_header(int fd, char h[MXB_PROTO_HEADER_MAX], size_t *hlen, size_t *got,
                            gint64 *ms, guint64 *len)
{
    char *nl = NULL, *end;
    size_t n = 0;

    while (nl == NULL && n < MXB_PROTO_HEADER_MAX - 1) {
        ssize_t r = read(fd, h + n, MXB_PROTO_HEADER_MAX - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return FALSE;
        nl = memchr(h + n, '\n', (size_t)r);
        n += (size_t)r;
    }
    if (nl == NULL)
        return FALSE;
    *nl = '\0';
    *hlen = (size_t)(nl - h) + 1;
    *got = n;
    if (strncmp(h, MXB_PROTO_MAGIC " ", 5) != 0)
        return FALSE;
    *ms = g_ascii_strtoll(h + 5, &end, 10);
    if (end == h + 5 || *end != ' ' || *ms <= 0)
        return FALSE;
    const char *lp = end + 1;
    *len = g_ascii_strtoull(lp, &end, 10);
    return end != lp && *end == '\0';
}

/* serve - one connection, one message; *db is the worker's connection */
static void serve(int fd, const mxb_config *cfg, mxb_db **db)
{
    gint64 start = g_get_monotonic_time(), ms = 0;
    guint64 len = 0, received = 0;
    struct timeval tv = {.tv_sec = cfg->deadline};
    char *env[5] = {NULL};
    GVariant *keep = NULL;
    const guint8 *msg = NULL;
    size_t mlen = 0;

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    char h[MXB_PROTO_HEADER_MAX];
    size_t hlen = 0, got = 0;

    if (!read_header(fd, h, &hlen, &got, &ms, &len) ||
        len > cfg->limits.max_message + MXB_PROTO_FRAMING || got - hlen > len) {
        reply(fd, "DEFER 4.3.0 bad request\n");
        logline(LOG_WARNING, NULL, "result=deferred reason=\"bad request header\"");
        close(fd);
        return;
    }
    g_autofree guint8 *body = g_malloc(len ? len : 1);
    size_t early = got - hlen; /* body bytes that came with the header */
    memcpy(body, h + hlen, early);
    if (!read_full(fd, body + early, len - early)) {
        reply(fd, "DEFER 4.3.0 bad request\n");
        logline(LOG_WARNING, NULL, "result=deferred reason=\"request cut short\"");
        close(fd);
        return;
    }
    g_autoptr(GBytes) b = g_bytes_new_take(g_steal_pointer(&body), len);
    if (!mxb_proto_decode(b, env, &received, &msg, &mlen, &keep)) {
        reply(fd, "DEFER 4.3.0 bad request\n");
        logline(LOG_WARNING, NULL, "result=deferred reason=\"malformed request\"");
        close(fd);
        return;
    }
    mxb_envelope e = {env[0], env[1], env[2], *env[3] ? env[3] : NULL, *env[4] ? env[4] : NULL};
    gint64 deadline = start + MIN(ms - DEADLINE_MARGIN_MS, (gint64)cfg->deadline * 1000) * 1000;
    mxb_record_out out;
    if (mxb_record_message(&out, db, cfg, &e, (const char *)msg, mlen, received, start, deadline,
                           "mxbounced") < 0) {
        g_autofree char *line = g_strdup_printf("DEFER %s %s\n", out.dsn, out.what);
        reply(fd, line);
        logline(LOG_WARNING, env[0], "result=deferred reason=\"%s\" detail=\"%.300s\"", out.what,
                out.detail);
    } else {
        reply(fd, "OK\n");
        logline(LOG_INFO, env[0], "%s", out.log);
    }
    mxb_record_out_clear(&out);
    close(fd);
    for (int i = 0; i < 5; i++)
        g_free(env[i]);
    g_variant_unref(keep);
}

/* worker - accept and serve until a stop is asked for */
static gpointer worker(gpointer data)
{
    const mxb_config *cfg = data;
    mxb_db *db = NULL; /* this worker's connection, opened on first use */

    for (;;) {
        struct pollfd p[2] = {{.fd = listen_fd, .events = POLLIN},
                              {.fd = stop_pipe[0], .events = POLLIN}};
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (p[1].revents)
            break;
        int fd = accept(listen_fd, NULL, NULL); /* the daemon never execs */
        if (fd < 0) {
            /* Another worker took it or the client gave up (retry at once);
             * no descriptor is left (EMFILE, ENFILE: wait rather than spin). */
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED)
                g_usleep(10 * 1000);
            continue;
        }
        /* The accepted socket must block (SO_RCVTIMEO bounds its reads). */
        serve(fd, cfg, &db);
    }
    mxb_db_close(db);
    return NULL;
}

/* listen_on - a fresh listening socket at path */
static int listen_on(const char *path, int mode)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct stat st;
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "mxbounced: %s: socket path too long\n", path);
        return -1;
    }
    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    /* A socket left by a previous run is removed; anything else is not. */
    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
        unlink(path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        chmod(path, (mode_t)mode) < 0 || listen(fd, LISTEN_BACKLOG) < 0) {
        fprintf(stderr, "mxbounced: %s: %s\n", path, g_strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

int main(int argc, char **argv)
{
    g_autofree char *config_opt = NULL;
    GOptionEntry entries[] = {
        {"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_opt, "Configuration file", "FILE"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) opt = g_option_context_new("- record reports for mxbounce-filter");
    g_autoptr(GError) err = NULL;
    g_autoptr(mxb_config) cfg = NULL;
    g_autoptr(GPtrArray) threads = g_ptr_array_new();

    g_option_context_add_main_entries(opt, entries, NULL);
    if (!g_option_context_parse(opt, &argc, &argv, &err)) {
        fprintf(stderr, "mxbounced: %s\n", err->message);
        return 2;
    }
    const char *path = config_opt ? config_opt : MXB_SYSCONF_FILE;
    if (mxb_config_load(&cfg, path, &err) < 0) {
        fprintf(stderr, "mxbounced: %s: %s\n", path, err->message);
        return 1;
    }
    if (cfg->socket == NULL || cfg->conninfo == NULL) {
        fprintf(stderr, "mxbounced: %s: needs [daemon] socket and [database] conninfo\n", path);
        return 1;
    }
    config = cfg;
    mxb_classify_set_optimize(TRUE); /* a long-lived process */
    openlog("mxbounced", LOG_PID, LOG_MAIL);
    if (pipe(stop_pipe) < 0)
        return 1;
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    listen_fd = listen_on(cfg->socket, cfg->socket_mode);
    if (listen_fd < 0)
        return 1;
    for (int i = 0; i < cfg->workers; i++) {
        GThread *t = g_thread_try_new("mxbounced-worker", worker, cfg, &err);
        if (t == NULL) {
            fprintf(stderr, "mxbounced: %s\n", err->message);
            return 1;
        }
        g_ptr_array_add(threads, t);
    }
    logline(LOG_INFO, NULL, "started socket=%s workers=%d", cfg->socket, cfg->workers);

    /* The signal handler writes to stop_pipe; every worker sees it, ends
     * the message in hand and returns. */
    for (guint i = 0; i < threads->len; i++)
        g_thread_join(g_ptr_array_index(threads, i));
    close(listen_fd);
    unlink(cfg->socket);
    logline(LOG_INFO, NULL, "stopped");
    return 0;
}
