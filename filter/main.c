/*
 * mxbounce-filter - record one returned message (Postfix pipe(8) program)
 *
 * SYNOPSIS
 *	mxbounce-filter [-c FILE] -- QUEUE_ID SENDER RECIPIENT
 *		[ORIGINAL_RECIPIENT [CLIENT_ADDRESS]] < message
 *
 * DESCRIPTION
 *	Run by a Postfix pipe(8) service for every message that reaches the
 *	bounce domain. Two modes, chosen by [filter] mode in the
 *	configuration file:
 *
 *	direct	(the default) runs mxbounce-record, which parses, classifies
 *		and records the message in this process with a database
 *		connection of its own.
 *	daemon	reads the message and hands it to mxbounced over a Unix
 *		socket; mxbounced parses, classifies and records it with a
 *		pooled connection and answers once the report is committed.
 *
 *	This program links nothing but GLib (statically where the build
 *	can), so that starting it costs little more than starting a program
 *	that only drains its input: the expensive libraries (GMime, libpq and
 *	what they load) live in mxbounce-record and mxbounced.
 *
 * EXIT STATUS
 *	0   EX_OK       recorded (or already recorded) and committed
 *	75  EX_TEMPFAIL anything environmental: configuration, the daemon
 *	                or the database unavailable, the deadline, a read
 *	                error. Postfix keeps the message and retries. Usage
 *	                errors are a broken master.cf, so they defer too.
 *	Never 1: Postfix would bounce the message, and a bounce of a bounce
 *	is thrown away. Killed by a signal (out of memory aborts): Postfix
 *	defers.
 *
 * DIAGNOSTICS
 *	When deferring, one line on standard output that Postfix logs, e.g.
 *	"4.3.0 mxbounce: database unavailable". One log line per message to
 *	syslog (facility mail) or stderr, written by whoever recorded it.
 *
 * SEE ALSO
 *	mxbounce-filter(8), mxbounced(8), mxbounce.conf(5)
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "pipe.h"
#include "proto.h"

#define RECORD_PROGRAM "mxbounce-record"

/* record_program - mxbounce-record beside this program, else the installed one */
static char *record_program(void)
{
    g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);

    if (self != NULL) {
        g_autofree char *dir = g_path_get_dirname(self);
        char *p = g_build_filename(dir, RECORD_PROGRAM, NULL);
        if (access(p, X_OK) == 0)
            return p;
        g_free(p);
    }
    return g_strdup(MXB_LIBEXEC_DIR "/" RECORD_PROGRAM);
}

/* wait_fd - poll one descriptor until ready or the deadline; 1, 0 (timeout), -1 */
static int wait_fd(int fd, short events, gint64 deadline)
{
    struct pollfd p = {.fd = fd, .events = events};

    for (;;) {
        gint64 left = deadline - g_get_monotonic_time();
        if (left <= 0)
            return 0;
        int rc = poll(&p, 1, (int)MIN(left / 1000 + 1, 60000));
        if (rc > 0)
            return 1;
        if (rc < 0 && errno != EINTR)
            return -1;
    }
}

/* write_all - the whole buffer before the deadline */
static gboolean write_all(int fd, const void *p, size_t len, gint64 deadline)
{
    const char *cp = p;

    while (len > 0) {
        ssize_t n = write(fd, cp, len);
        if (n > 0) {
            cp += n;
            len -= (size_t)n;
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (wait_fd(fd, POLLOUT, deadline) <= 0)
                return FALSE;
        } else {
            return FALSE;
        }
    }
    return TRUE;
}

/* daemon_mode - send the message to mxbounced and relay its answer */
static int daemon_mode(const mxb_config *cfg, const mxb_envelope *env, gint64 deadline)
{
    g_autoptr(GByteArray) buf = g_byte_array_new();
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    char header[MXB_PROTO_HEADER_MAX], reply[MXB_PROTO_REPLY_MAX];
    size_t got = 0;
    gssize total;
    int fd;

    total = mxb_pipe_read(buf, cfg->limits.max_message);
    if (total < 0)
        mxb_pipe_defer("4.3.0", "cannot read message", g_strerror(errno));
    if (strlen(cfg->socket) >= sizeof(sa.sun_path))
        mxb_pipe_defer("4.3.5", "configuration error", "[daemon] socket path too long");
    g_strlcpy(sa.sun_path, cfg->socket, sizeof(sa.sun_path));
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        mxb_pipe_defer("4.3.0", "daemon unavailable", g_strerror(errno));
    while (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        /* A full listen queue says EAGAIN: wait for room, not for ever. */
        if (errno != EAGAIN && errno != EINTR)
            mxb_pipe_defer("4.3.0", "daemon unavailable", g_strerror(errno));
        if (g_get_monotonic_time() >= deadline)
            mxb_pipe_defer("4.4.7", "deadline exceeded", "connecting to the daemon");
        g_usleep(10000);
    }

    const char *fields[5] = {env->queue_id, env->sender, env->recipient, env->original_recipient,
                             env->client_address};
    g_autoptr(GBytes) body = mxb_proto_encode(fields, (guint64)total, buf->data, buf->len);
    gint64 left_ms = (deadline - g_get_monotonic_time()) / 1000;
    int hl = g_snprintf(header, sizeof(header), MXB_PROTO_MAGIC " %" G_GINT64_FORMAT " %zu\n",
                        MAX(left_ms, 1), g_bytes_get_size(body));
    if (!write_all(fd, header, (size_t)hl, deadline) ||
        !write_all(fd, g_bytes_get_data(body, NULL), g_bytes_get_size(body), deadline))
        mxb_pipe_defer(g_get_monotonic_time() >= deadline ? "4.4.7" : "4.3.0",
                       g_get_monotonic_time() >= deadline ? "deadline exceeded"
                                                          : "daemon unavailable",
                       "sending to the daemon");
    shutdown(fd, SHUT_WR);

    /* One reply line; EOF before it means the daemon died: defer. */
    while (got < sizeof(reply) - 1 && memchr(reply, '\n', got) == NULL) {
        int w = wait_fd(fd, POLLIN, deadline);
        if (w == 0)
            mxb_pipe_defer("4.4.7", "deadline exceeded", "waiting for the daemon");
        ssize_t n = w > 0 ? read(fd, reply + got, sizeof(reply) - 1 - got) : -1;
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (n <= 0)
            mxb_pipe_defer("4.3.0", "daemon unavailable", "no answer from the daemon");
        got += (size_t)n;
    }
    close(fd);
    reply[got] = '\0';
    reply[strcspn(reply, "\n")] = '\0';
    if (strncmp(reply, "OK", 2) == 0)
        return FILTER_OK;
    if (strncmp(reply, "DEFER ", 6) == 0 && strlen(reply) > 12 && reply[7] == '.') {
        /* "DEFER 4.3.0 database unavailable" */
        reply[11] = '\0';
        mxb_pipe_defer(reply + 6, reply + 12, "answer of the daemon");
    }
    mxb_pipe_defer("4.3.0", "daemon error", reply);
}

int main(int argc, char **argv)
{
    g_autoptr(mxb_config) cfg = NULL;
    g_auto(GStrv) saved = g_strdupv(argv); /* for exec: GOption edits argv */
    mxb_pipe_args args;
    gint64 start = g_get_monotonic_time();

    mxb_pipe_start("mxbounce-filter");
    mxb_pipe_parse_args(&args, &argc, &argv, "mxbounce-filter");
    if (args.version) {
        printf("mxbounce-filter %s\n", MXB_VERSION);
        return FILTER_OK;
    }
    cfg = mxb_pipe_config(&args);

    if (cfg->mode == MXB_MODE_DIRECT) {
        g_autofree char *prog = record_program();
        execv(prog, saved);
        mxb_pipe_defer("4.3.5", "cannot run " RECORD_PROGRAM, g_strerror(errno));
    }
    alarm((unsigned)cfg->deadline + STARTUP_DEADLINE_GRACE);
    return daemon_mode(cfg, &args.env, start + (gint64)cfg->deadline * G_USEC_PER_SEC);
}
