/*
 * mxbounced - record returned messages for mxbounce-filter, with pooled connections
 *
 * SYNOPSIS
 *	mxbounced [-c FILE]
 *
 * DESCRIPTION
 *	The daemon mode of mxbounce-filter(8). Listens on the Unix socket
 *	[daemon] socket; every connection carries one message (filter/proto.h):
 *	the envelope and the filter's standard input descriptor.
 *	[daemon] workers threads accept the connections themselves (no hand-
 *	over through another thread: one wake-up less per message), read
 *	the message from the descriptor and parse and classify it as the
 *	direct mode does (filter/record.c). One writer thread with one
 *	database connection records what the workers hand it: every message
 *	waiting at that moment in one transaction (group commit), one by one
 *	if that fails. Each worker then answers "OK" after the commit or
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
#define _GNU_SOURCE /* struct ucred */
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include <mxb/record.h>

#include "proto.h"

#define LISTEN_BACKLOG 128       /* connections waiting for a worker */
#define DEADLINE_MARGIN_MS 200   /* answer this much before the filter gives up */
#define REQUEST_TIMEOUT_MS 10000 /* to read a request (the filter sends it at once) */

static const mxb_config *config;
static int stop_pipe[2] = {-1, -1}; /* readable once a stop is asked for */
static int listen_fd = -1;          /* non-blocking: workers race for connections */
static volatile sig_atomic_t stopping;
static volatile sig_atomic_t failed; /* a thread could not start: exit 1 */

/* logline - one line to syslog or stderr; thread-safe */
G_GNUC_PRINTF(3, 4)
static void logline(int prio, const char *qid, const char *fmt, ...)
{
    g_autofree char *line = NULL;
    g_autofree char *q = mxb_log_escape(qid ? qid : "-", MXB_LOG_QUEUE_ID_MAX);
    va_list ap;

    va_start(ap, fmt);
    line = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (strlen(line) > MXB_LOG_LINE_MAX)
        line[MXB_LOG_LINE_MAX] = '\0';
    if (config == NULL || config->log == MXB_LOG_SYSLOG)
        syslog(prio, "%s: %s", q, line);
    else
        fprintf(stderr, "mxbounced: %s: %s\n", q, line);
}

/* on_signal - ask the accept loop to stop */
static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
    (void)!write(stop_pipe[1], "x", 1);
}

/* reply - one answer line; a vanished client is not an error */
static void reply(int fd, const char *line)
{
    (void)!write(fd, line, strlen(line));
}

/* close_fds - every descriptor a control message carried */
static void close_fds(struct msghdr *m, int *keep)
{
    for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR(m, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < n; i++) {
            int fd;
            memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
            if (keep != NULL && *keep < 0 && n == 1)
                *keep = fd; /* the one descriptor of a well-formed request */
            else
                close(fd);
        }
    }
}

/*
 * read_request - "MXB2 <start_us> <len>\n" and <len> bytes of fields
 * into buf (NUL-terminated), the message descriptor into *msg_fd (-1 when
 * none came). Descriptors beyond the first, or with later bytes, are
 * closed. FALSE on anything not well formed.
 */
static gboolean read_request(int fd, char *buf, size_t *len, gint64 *start_us, int *msg_fd,
                             gint64 until)
{
    char *nl = NULL, *end;
    size_t n = 0, hlen = 0;
    guint64 flen = 0;

    *msg_fd = -1;
    for (;;) {
        union {
            char buf[CMSG_SPACE(4 * sizeof(int))];
            struct cmsghdr align;
        } control;
        struct iovec iov = {.iov_base = buf + n, .iov_len = MXB_PROTO_REQUEST_MAX - n};
        struct msghdr m = {.msg_iov = &iov,
                           .msg_iovlen = 1,
                           .msg_control = control.buf,
                           .msg_controllen = sizeof(control.buf)};
        if (iov.iov_len == 0)
            return FALSE;
        /* One time limit for the whole request, not one per read: a
         * client sending a byte now and then must not hold a worker. */
        struct pollfd p = {.fd = fd, .events = POLLIN};
        gint64 left = until - g_get_monotonic_time();
        if (left <= 0)
            return FALSE;
        int pr = poll(&p, 1, (int)(left / 1000 + 1));
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr <= 0)
            return FALSE;
        ssize_t r = recvmsg(fd, &m, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            continue;
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return FALSE;
        close_fds(&m, n == 0 && !(m.msg_flags & MSG_CTRUNC) ? msg_fd : NULL);
        n += (size_t)r;
        if (nl == NULL) {
            nl = memchr(buf, '\n', MIN(n, (size_t)MXB_PROTO_HEADER_MAX));
            if (nl == NULL) {
                if (n >= MXB_PROTO_HEADER_MAX)
                    return FALSE;
                continue;
            }
            *nl = '\0';
            hlen = (size_t)(nl - buf) + 1;
            if (strncmp(buf, MXB_PROTO_MAGIC " ", 5) != 0)
                return FALSE;
            *start_us = g_ascii_strtoll(buf + 5, &end, 10);
            if (end == buf + 5 || *end != ' ' || *start_us <= 0)
                return FALSE;
            const char *lp = end + 1;
            flen = g_ascii_strtoull(lp, &end, 10);
            if (end == lp || *end != '\0' || flen > MXB_PROTO_FIELDS * (MXB_PROTO_FIELD_MAX + 1))
                return FALSE;
        }
        if (n > hlen + flen)
            return FALSE;
        if (n == hlen + flen)
            break;
    }
    memmove(buf, buf + hlen, flen);
    *len = flen;
    return *msg_fd >= 0;
}

/* split_fields - the five NUL-ended fields of a request; FALSE if not five */
static gboolean split_fields(char *buf, size_t len, char *env[MXB_PROTO_FIELDS])
{
    size_t off = 0;

    for (int i = 0; i < MXB_PROTO_FIELDS; i++) {
        char *z = off < len ? memchr(buf + off, '\0', len - off) : NULL;
        if (z == NULL)
            return FALSE;
        env[i] = buf + off;
        off = (size_t)(z - buf) + 1;
    }
    return off == len;
}

/*
 * read_message - the message from the filter's standard input: at most
 * max bytes kept, the rest read and dropped (counted in *received).
 * 1 at end of input, 0 at the deadline, -1 on a read error.
 */
static int read_message(int fd, GByteArray *buf, size_t max, guint64 *received, gint64 deadline)
{
    char chunk[64 * 1024];

    *received = 0;
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        gint64 left = deadline - g_get_monotonic_time();
        if (left <= 0)
            return 0;
        int rc = poll(&p, 1, (int)MIN(left / 1000 + 1, 60 * 1000));
        if (rc < 0 && errno != EINTR)
            return -1;
        if (rc <= 0)
            continue;
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            return 1;
        if (buf->len < max)
            g_byte_array_append(buf, (const guint8 *)chunk, (guint)MIN((size_t)n, max - buf->len));
        *received += (guint64)n;
    }
}

/*
 * The writer: one thread, one database connection. Workers read and
 * parse in parallel, hand their job over (submit) and wait; the writer
 * takes every job waiting and records them in one transaction (group
 * commit: one commit, one round trip for the lot), or one by one when
 * that fails. At most [daemon] workers jobs exist at once, so memory
 * stays within about 3 x workers x max_message_size (bench/memory) and a batch
 * within workers.
 */
typedef struct job {
    mxb_record_job job;
    int client;             /* the filter's connection, looked at before the commit */
    const mxb_agent *agent; /* its delivery agent (mxb_agent_of), likewise */
    mxb_record_out out;
    int rc;        /* 0 recorded, -1 out says why not */
    guint batch;   /* messages in its transaction */
    gboolean done; /* under done_lock */
    GCond cond;    /* signalled when done: only its worker wakes */
} job;

/* Each worker keeps a message buffer of this size between messages,
 * so the common message costs no allocation; a larger one is freed
 * after use. Measured: growing a fresh buffer for every message was
 * about 4% of the daemon's CPU (malloc consolidating its free lists). */
#define MSG_BUF_KEEP (256 * 1024)

#define BATCH_MAX 64                           /* jobs in one transaction */
#define BATCH_MIN_LEFT_US (1 * G_USEC_PER_SEC) /* time a job needs left to join one */

/* Under load (the last transaction held more than one message, and the
 * writer has not been idle this long since) the writer waits this long
 * after the first job before it takes the rest, so that each transaction
 * holds more messages: a commit costs the database about 0.45 ms of CPU
 * whatever it holds (pgbench, fsync on). A message after a quiet spell is
 * not held back, nor is a batch when every worker's job already waits.
 * Under Postfix at concurrency 10 a delivery takes about 90 ms on the
 * 2-core reference machine, so the wait costs no throughput. */
#define BATCH_LINGER_US (10 * 1000)

static GAsyncQueue *jobs; /* job *, or &stop_job */
static job stop_job;      /* the writer stops when it takes this */
static GMutex done_lock;  /* job.done */

/* submit - hand a prepared job to the writer and wait until it is done */
static void submit(job *j)
{
    g_cond_init(&j->cond);
    g_async_queue_push(jobs, j);
    g_mutex_lock(&done_lock);
    while (!j->done)
        g_cond_wait(&j->cond, &done_lock);
    g_mutex_unlock(&done_lock);
    g_cond_clear(&j->cond);
}

/* client_gone - the filter closed its socket (it never does before our
 * answer, unless it died). A Unix socket whose peer is closed polls as
 * hung up; one the peer only shut down for writing does not. */
static gboolean client_gone(int fd)
{
    struct pollfd pfd = {.fd = fd, .events = 0};

    return poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLHUP | POLLERR)) != 0;
}

/* gone - why a job's message must not be recorded, or NULL: its delivery
 * agent died (the end of the message read may have been that death, not
 * the message's end), or the filter did, with it. Postfix delivers the
 * message again. */
static const char *gone(const job *j)
{
    if (mxb_agent_gone(j->agent))
        return "agent gone";
    return client_gone(j->client) ? "client gone" : NULL;
}

/* record_batch - record n jobs, together if they can be */
static void record_batch(job **batch, guint n, const mxb_config *cfg, mxb_db **db)
{
    mxb_record_job *live[BATCH_MAX];
    mxb_record_out outs[BATCH_MAX];
    guint nlive = 0;
    gint64 now = g_get_monotonic_time();

    /* Only jobs with time to spare go together: the transaction ends at
     * the earliest deadline, and one that ends there takes the others
     * down with it. The rest go alone (past their deadline: 4.4.7). */
    for (guint i = 0; i < n; i++) {
        /* Looked at again here, while it waited for the writer. */
        const char *why = gone(batch[i]);
        if (why != NULL) {
            batch[i]->out.dsn = "4.3.0";
            batch[i]->out.what = why;
            batch[i]->out.detail = g_strdup("before the commit");
            batch[i]->batch = 0;
            continue;
        }
        if (batch[i]->job.deadline > now + BATCH_MIN_LEFT_US)
            live[nlive++] = &batch[i]->job;
    }
    g_autoptr(GError) err = NULL;
    if (nlive >= 2 && mxb_record_commit_batch(outs, db, cfg, live, nlive, "mxbounced", &err) == 0) {
        for (guint i = 0, k = 0; i < n; i++) {
            if (batch[i]->batch != 0 && batch[i]->job.deadline > now + BATCH_MIN_LEFT_US) {
                batch[i]->out = outs[k++];
                batch[i]->rc = 0;
                batch[i]->batch = nlive;
            }
        }
        nlive = 0; /* done */
    } else if (nlive >= 2) {
        logline(LOG_WARNING, NULL, "batch of %u not recorded together, one by one now: %.*s", nlive,
                MXB_LOG_DETAIL_MAX, err ? err->message : "");
    }
    for (guint i = 0; i < n; i++) {
        if (batch[i]->rc == 0 || batch[i]->batch == 0)
            continue;
        /* Alone: a job past its deadline is answered at once. */
        batch[i]->rc = mxb_record_commit(&batch[i]->out, db, cfg, &batch[i]->job, "mxbounced");
        batch[i]->batch = 1;
    }
}

/* writer - take the waiting jobs, record them, wake their workers */
static gpointer writer(gpointer data)
{
    const mxb_config *cfg = data;
    mxb_db *db = NULL; /* opened on first use, reopened after a failure */
    gboolean stop = FALSE;
    guint last = 0; /* messages in the last transaction */

    while (!stop) {
        job *batch[BATCH_MAX];
        guint n = 0;
        gint64 idle_from = g_get_monotonic_time();
        job *j = g_async_queue_pop(jobs);
        /* Idle for a while: the load is over, this message goes alone. */
        if (g_get_monotonic_time() - idle_from > BATCH_LINGER_US)
            last = 0;
        /* At most workers jobs exist: when all wait already, go. */
        if (j != &stop_job && last > 1 &&
            g_async_queue_length(jobs) + 1 < MIN(BATCH_MAX, (gint)cfg->workers))
            g_usleep(BATCH_LINGER_US);
        while (j != NULL) {
            if (j == &stop_job) {
                stop = TRUE;
                break;
            }
            batch[n++] = j;
            j = n < BATCH_MAX ? g_async_queue_try_pop(jobs) : NULL;
        }
        if (n == 0)
            continue;
        record_batch(batch, n, cfg, &db);
        last = n;
        g_mutex_lock(&done_lock);
        for (guint i = 0; i < n; i++) {
            batch[i]->done = TRUE;
            g_cond_signal(&batch[i]->cond);
        }
        g_mutex_unlock(&done_lock);
    }
    mxb_db_close(db);
    return NULL;
}

/* serve - one connection, one message, recorded by the writer; req and
 * msg are the worker's buffers */
static void serve(int fd, const mxb_config *cfg, char *req, GByteArray *msg)
{
    gint64 now = g_get_monotonic_time(), start_us = 0;
    char *env[MXB_PROTO_FIELDS];
    size_t len = 0;
    guint64 received = 0;
    int msg_fd = -1;

    if (!read_request(fd, req, &len, &start_us, &msg_fd, now + REQUEST_TIMEOUT_MS * 1000) ||
        !split_fields(req, len, env) || *env[2] == '\0') {
        reply(fd, "DEFER 4.3.0 bad request\n");
        logline(LOG_WARNING, NULL, "result=deferred reason=\"bad request\"");
        if (msg_fd >= 0)
            close(msg_fd);
        close(fd);
        return;
    }
    /* The filter's parent, the delivery agent, watched from before the
     * message is read (once it has exited, the filter has another parent). */
    mxb_agent agent = {-1, 0};
    struct ucred peer;
    socklen_t peer_len = sizeof(peer);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &peer_len) == 0 && peer.pid > 0)
        agent = mxb_agent_of(peer.pid);
    /* The deadline counts from the filter's start (never from a time
     * later than now: a client cannot buy itself more time). */
    gint64 start = MIN(start_us, now);
    gint64 deadline = start + (gint64)cfg->deadline * G_USEC_PER_SEC - DEADLINE_MARGIN_MS * 1000;
    g_byte_array_set_size(msg, 0);
    int rm = read_message(msg_fd, msg, cfg->limits.max_message, &received, deadline);
    close(msg_fd);
    if (rm <= 0) {
        g_autofree char *line = g_strdup_printf(
            "DEFER %s\n", rm == 0 ? "4.4.7 deadline exceeded" : "4.3.0 cannot read message");
        reply(fd, line);
        logline(LOG_WARNING, env[0], "result=deferred reason=\"%s\"",
                rm == 0 ? "deadline exceeded" : "cannot read message");
        mxb_agent_close(&agent);
        close(fd);
        return;
    }
    mxb_envelope e = {env[0], env[1], env[2], *env[3] ? env[3] : NULL, *env[4] ? env[4] : NULL};
    job j = {.rc = -1, .client = fd, .agent = &agent, .batch = 1};
    mxb_record_prepare(&j.job, cfg, &e, (const char *)msg->data, msg->len, received, start,
                       deadline);
    /* The writer looks again before the commit. */
    const char *what = gone(&j);
    if (what != NULL) {
        g_autofree char *line = g_strdup_printf("DEFER 4.3.0 %s\n", what);
        mxb_record_job_clear(&j.job);
        reply(fd, line);
        logline(LOG_WARNING, env[0], "result=deferred reason=\"%s\"", what);
        mxb_agent_close(&agent);
        close(fd);
        return;
    }
    submit(&j);
    mxb_agent_close(&agent);
    mxb_record_job_clear(&j.job);
    mxb_record_out out = j.out;
    if (j.rc < 0) {
        g_autofree char *line = g_strdup_printf("DEFER %s %s\n", out.dsn, out.what);
        reply(fd, line);
        logline(LOG_WARNING, env[0], "result=deferred reason=\"%s\" detail=\"%.*s\"", out.what,
                MXB_LOG_DETAIL_MAX, out.detail);
    } else {
        reply(fd, "OK\n");
        logline(LOG_INFO, env[0], "%s batch=%u", out.log, j.batch);
    }
    mxb_record_out_clear(&out);
    close(fd);
}

/* worker - accept and serve until a stop is asked for */
static gpointer worker(gpointer data)
{
    const mxb_config *cfg = data;
    g_autofree char *req = g_malloc(MXB_PROTO_REQUEST_MAX); /* this worker's request buffer */
    GByteArray *msg = g_byte_array_sized_new(MSG_BUF_KEEP); /* and message buffer */

    /* Each worker waits on its own epoll set: EPOLLEXCLUSIVE wakes one
     * waiting worker per connection, not all (poll(2) would). */
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event lev = {.events = EPOLLIN | EPOLLEXCLUSIVE, .data.fd = listen_fd};
    struct epoll_event sev = {.events = EPOLLIN, .data.fd = stop_pipe[0]};
    if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, listen_fd, &lev) < 0 ||
        epoll_ctl(ep, EPOLL_CTL_ADD, stop_pipe[0], &sev) < 0) {
        logline(LOG_ERR, NULL, "worker cannot wait: %s", g_strerror(errno));
        if (ep >= 0)
            close(ep);
        failed = 1;
        on_signal(0); /* the daemon stops, and says so in its exit status */
        g_byte_array_unref(msg);
        return NULL;
    }
    while (!stopping) {
        /* Under load the next connection is already there: take it
         * before waiting. */
        int fd = accept(listen_fd, NULL, NULL); /* the daemon never execs */
        if (fd >= 0) {
            /* The accepted socket blocks (SO_RCVTIMEO bounds its reads). */
            serve(fd, cfg, req, msg);
            if (msg->len > MSG_BUF_KEEP) { /* a large message's memory is not kept */
                g_byte_array_unref(msg);
                msg = g_byte_array_sized_new(MSG_BUF_KEEP);
                /* nor what parsing and storing it took: glibc keeps freed
                 * memory in this thread's arena otherwise (bench/memory:
                 * 177 MB stayed after eight 50 MB messages) */
                malloc_trim(0);
            }
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            struct epoll_event ev[2];
            if (epoll_wait(ep, ev, 2, -1) < 0 && errno != EINTR)
                break;
            continue;
        }
        /* The client gave up (retry at once); no descriptor is left
         * (EMFILE, ENFILE: wait rather than spin). */
        if (errno != EINTR && errno != ECONNABORTED)
            g_usleep(10 * 1000);
    }
    close(ep);
    g_byte_array_unref(msg);
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
    if (mxb_config_load(&cfg, path, &err) < 0 || mxb_config_use_local_rules(cfg, &err) < 0) {
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
    jobs = g_async_queue_new();
    GThread *w = g_thread_try_new("mxbounced-writer", writer, cfg, &err);
    if (w == NULL) {
        fprintf(stderr, "mxbounced: %s\n", err->message);
        return 1;
    }
    for (int i = 0; i < cfg->workers; i++) {
        GThread *t = g_thread_try_new("mxbounced-worker", worker, cfg, &err);
        if (t == NULL) {
            /* Stop the workers already running (they use cfg), then exit 1. */
            fprintf(stderr, "mxbounced: %s\n", err->message);
            failed = 1;
            on_signal(0);
            break;
        }
        g_ptr_array_add(threads, t);
    }
    if (!failed)
        logline(LOG_INFO, NULL, "started socket=%s workers=%d", cfg->socket, cfg->workers);

    /* The signal handler writes to stop_pipe; every worker sees it, ends
     * the message in hand and returns. */
    for (guint i = 0; i < threads->len; i++)
        g_thread_join(g_ptr_array_index(threads, i));
    /* Every worker is out of submit(): nothing else is queued. */
    g_async_queue_push(jobs, &stop_job);
    g_thread_join(w);
    g_async_queue_unref(jobs);
    close(listen_fd);
    unlink(cfg->socket);
    logline(LOG_INFO, NULL, "stopped");
    return failed ? 1 : 0;
}
