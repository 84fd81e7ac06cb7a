/*
 * mxbounce-filter - record one returned message (Postfix pipe(8) program)
 *
 * SYNOPSIS
 *	mxbounce-filter [-c FILE] [--daemon SOCKET] -- QUEUE_ID SENDER
 *		RECIPIENT [ORIGINAL_RECIPIENT [CLIENT_ADDRESS]] < message
 *
 * DESCRIPTION
 *	Run by a Postfix pipe(8) service for every message that reaches the
 *	bounce domain. Two modes, chosen on the master.cf command line:
 *
 *	direct	(without --daemon) runs mxbounce-record with the same
 *		arguments and standard input and waits for it; it reads
 *		the configuration file, parses, classifies and records the
 *		message with a database connection of its own. Should it
 *		end otherwise than with 0 or 75 (killed when memory ran
 *		out, its libraries not loaded), the filter defers.
 *	daemon	(--daemon SOCKET) hands the message to mxbounced over its
 *		Unix socket: the envelope fields and the standard input
 *		descriptor itself (filter/proto.h), so the message is never
 *		copied here. mxbounced reads, classifies and records it with
 *		a pooled connection under its own configuration and
 *		deadline, and answers once the report is committed. -c is
 *		accepted and not read: the daemon's configuration rules.
 *
 *	This program links nothing but the C library, so that starting it
 *	costs no more than starting a program that only drains its input:
 *	on the 2-core reference machine GLib's start-up, GOption and the
 *	configuration file were 0.9 ms of the 2.5 ms one run cost, and
 *	Postfix starts one per message. The expensive libraries live in
 *	mxbounce-record and mxbounced.
 *
 * EXIT STATUS
 *	0   EX_OK       recorded (or already recorded) and committed
 *	75  EX_TEMPFAIL anything environmental: configuration, the daemon
 *	                or the database unavailable, the deadline, a read
 *	                error, mxbounce-record killed or not started.
 *	                Postfix keeps the message and retries. Usage
 *	                errors are a broken master.cf, so they defer too.
 *	Never 1: Postfix would bounce the message, and a bounce of a bounce
 *	is thrown away. Killed by a signal: Postfix defers.
 *
 * DIAGNOSTICS
 *	When deferring, one line on standard output that Postfix logs, e.g.
 *	"4.3.0 mxbounce: daemon unavailable", and the detail (the system's
 *	error) in one line to syslog (facility mail). The line for a
 *	recorded message is written by whoever recorded it.
 *
 * SEE ALSO
 *	mxbounce-filter(8), mxbounced(8), mxbounce.conf(5)
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <mxb/log.h>

#include "proto.h"

#define FILTER_OK EX_OK          /* delivered */
#define FILTER_DEFER EX_TEMPFAIL /* deferred, retried later */
#define RECORD_PROGRAM "mxbounce-record"

/* How long the filter waits for mxbounced at most. The daemon answers
 * within its own [filter] deadline (at most 900 s, MXB_MAX_DEADLINE),
 * measured from this program's start; this backstop only ends the wait
 * on a daemon that is alive but stuck. It stays below Postfix's default
 * pipe time limit of 1000 s. */
#define FILTER_WAIT_MAX (900 + 5)

static const char *queue_id = "-";

/* safe_id - the queue id for a log line: Postfix's are [0-9A-Za-z] */
static const char *safe_id(void)
{
    for (const char *p = queue_id; *p; p++) {
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
            return "-";
    }
    return *queue_id ? queue_id : "-";
}

/* defer - the short line for Postfix, a log line with the detail, exit 75 */
_Noreturn static void defer(const char *dsn, const char *what, const char *detail)
{
    printf("%s mxbounce: %s\n", dsn, what);
    fflush(stdout);
    openlog("mxbounce-filter", LOG_PID, LOG_MAIL);
    syslog(LOG_WARNING, "%.*s: result=deferred reason=\"%s\" detail=\"%.*s\"", MXB_LOG_QUEUE_ID_MAX,
           safe_id(), what, MXB_LOG_DETAIL_MAX, detail ? detail : "");
    exit(FILTER_DEFER);
}

/* on_alarm - the backstop: the daemon neither answered nor went away */
static void on_alarm(int sig)
{
    static const char msg[] = "4.4.7 mxbounce: deadline exceeded\n";

    (void)sig;
    (void)!write(STDOUT_FILENO, msg, sizeof(msg) - 1);
    _exit(FILTER_DEFER);
}

/* record_program - mxbounce-record beside this program, else the installed one */
static const char *record_program(void)
{
    static char path[4096];
    ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - sizeof(RECORD_PROGRAM) - 1);

    if (n > 0) {
        path[n] = '\0';
        char *slash = strrchr(path, '/');
        if (slash != NULL) {
            strcpy(slash + 1, RECORD_PROGRAM);
            if (access(path, X_OK) == 0)
                return path;
        }
    }
    return MXB_LIBEXEC_DIR "/" RECORD_PROGRAM;
}

/*
 * direct_mode - run mxbounce-record on our standard input and relay how it
 * ended. It exits 0 or 75 and prints its own line. Anything else would
 * reach Postfix as a crash without a line, or as a status it bounces on
 * (a null-sender report bounced is a report lost): GLib aborts when memory
 * runs out (SIGTRAP), the kernel's OOM killer sends SIGKILL, the dynamic
 * loader exits 127 when it cannot map the libraries. Those become 75 here,
 * with a line. mxbounce-record dies with us, as we die with the delivery
 * agent (main).
 */
static int direct_mode(char **argv, pid_t agent)
{
    const char *prog = record_program();
    pid_t self = getpid(), pid;
    int status;
    char detail[96];

    fflush(stdout);
    pid = fork();
    if (pid < 0)
        defer("4.3.0", "cannot run " RECORD_PROGRAM, strerror(errno));
    if (pid == 0) {
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 && getppid() != self)
            _exit(FILTER_DEFER); /* we are gone already: nobody reads a line */
        /* the agent it watches up to its commit (mxb_agent_open) */
        char agent_pid[24];
        snprintf(agent_pid, sizeof(agent_pid), "%d", (int)agent);
        if (agent > 1)
            setenv("MXB_AGENT_PID", agent_pid, 1);
        else
            unsetenv("MXB_AGENT_PID");
        execv(prog, argv);
        defer("4.3.5", "cannot run " RECORD_PROGRAM, strerror(errno));
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            defer("4.3.0", "cannot run " RECORD_PROGRAM, strerror(errno));
    }
    if (WIFEXITED(status) &&
        (WEXITSTATUS(status) == FILTER_OK || WEXITSTATUS(status) == FILTER_DEFER))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        snprintf(detail, sizeof(detail), RECORD_PROGRAM " killed by signal %d (%s)",
                 WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        snprintf(detail, sizeof(detail), RECORD_PROGRAM " exited with status %d",
                 WEXITSTATUS(status));
    defer("4.3.0", "recording failed", detail);
}

/* send_request - header, fields and our standard input in one sendmsg(2) */
static int send_request(int fd, const char *buf, size_t len)
{
    char control[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
    struct msghdr m = {.msg_iov = &iov,
                       .msg_iovlen = 1,
                       .msg_control = control,
                       .msg_controllen = sizeof(control)};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    int in = STDIN_FILENO;

    memset(control, 0, sizeof(control));
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &in, sizeof(in));
    for (;;) {
        ssize_t n = sendmsg(fd, &m, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        /* The descriptor went with the first byte; the rest (a full
         * socket buffer only) goes without. */
        iov.iov_base = (char *)iov.iov_base + n;
        iov.iov_len -= (size_t)n;
        if (iov.iov_len == 0)
            return 0;
        m.msg_control = NULL;
        m.msg_controllen = 0;
    }
}

/* daemon_mode - hand the message to mxbounced and relay its answer */
static int daemon_mode(const char *socket_path, char **env, int nenv, long long start_us)
{
    static char req[MXB_PROTO_REQUEST_MAX];
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    char reply[MXB_PROTO_REPLY_MAX];
    size_t flen = 0, got = 0;
    int fd;

    if (socket_path[0] != '/')
        defer("4.3.5", "usage error", "--daemon: the socket path must be absolute");
    if (strlen(socket_path) >= sizeof(sa.sun_path))
        defer("4.3.5", "usage error", "--daemon: socket path too long");
    strcpy(sa.sun_path, socket_path);

    /* The fields, each cut at MXB_PROTO_FIELD_MAX bytes and NUL-ended. */
    char *fields = req + MXB_PROTO_HEADER_MAX;
    for (int i = 0; i < MXB_PROTO_FIELDS; i++) {
        const char *v = i < nenv ? env[i] : "";
        size_t n = strnlen(v, MXB_PROTO_FIELD_MAX);
        memcpy(fields + flen, v, n);
        flen += n;
        fields[flen++] = '\0';
    }
    char header[MXB_PROTO_HEADER_MAX];
    int hl = snprintf(header, sizeof(header), MXB_PROTO_MAGIC " %lld %zu\n", start_us, flen);
    char *msg = fields - hl;
    memcpy(msg, header, (size_t)hl);

    alarm(FILTER_WAIT_MAX);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        defer("4.3.0", "daemon unavailable", strerror(errno));
    /* A full listen queue blocks here, within the backstop. */
    while (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        if (errno != EINTR)
            defer("4.3.0", "daemon unavailable", strerror(errno));
    }
    if (send_request(fd, msg, (size_t)hl + flen) < 0)
        defer("4.3.0", "daemon unavailable", strerror(errno));

    /* One reply line; EOF before it means the daemon died: defer. */
    while (got < sizeof(reply) - 1 && memchr(reply, '\n', got) == NULL) {
        ssize_t n = read(fd, reply + got, sizeof(reply) - 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            defer("4.3.0", "daemon unavailable", "no answer from the daemon");
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
        defer(reply + 6, reply + 12, "answer of the daemon");
    }
    defer("4.3.0", "daemon error", reply);
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'},
        {"daemon", required_argument, NULL, 'd'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *socket_path = NULL;
    struct timespec ts;
    int c;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    signal(SIGALRM, on_alarm);
    signal(SIGPIPE, SIG_IGN);
    /* Inherited as ignored (a wrapper that ran us), SIGCHLD would make
     * waitpid fail after mxbounce-record committed: a defer every time. */
    signal(SIGCHLD, SIG_DFL);
    opterr = 0;
    /* "+": stop at the first operand, never reorder argv (it is passed
     * on to mxbounce-record as it came). */
    while ((c = getopt_long(argc, argv, "+c:", options, NULL)) != -1) {
        if (c == 'd') {
            socket_path = optarg;
        } else if (c == 'V') {
            printf("mxbounce-filter %s\n", MXB_VERSION);
            return FILTER_OK;
        } else if (c != 'c') {
            defer("4.3.5", "usage error", "unknown option or missing argument");
        }
    }
    int n = argc - optind;
    if (n < 3 || n > 5)
        defer("4.3.5", "usage error",
              "usage: mxbounce-filter [-c FILE] [--daemon SOCKET] -- QUEUE_ID SENDER RECIPIENT "
              "[ORIGINAL_RECIPIENT [CLIENT_ADDRESS]]");
    queue_id = argv[optind];
    /* pipe(8)'s ${recipient} is never empty: an empty one is a master.cf
     * error, deferred alike in both modes (mxbounced answers it "bad
     * request"), so the message waits in the queue for the fix. */
    if (argv[optind + 2][0] == '\0')
        defer("4.3.5", "usage error", "empty RECIPIENT (master.cf passes ${recipient})");

    /* The delivery agent that writes our standard input (pipe(8)) can die
     * in the middle of a message (postfix stop, an OOM kill): we would
     * read a prefix of it to end of file and record that, and Postfix,
     * which never sees our exit, delivers the whole message again later
     * (a second report, counted twice). So we die with it, before
     * anything is committed; mxbounce-record dies with us (direct_mode),
     * and in daemon mode mxbounced sees us gone. */
    pid_t parent = getppid();
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 && getppid() != parent)
        defer("4.3.0", "delivery agent gone", "the parent exited before the message was read");

    if (socket_path == NULL)
        return direct_mode(argv, parent);
    return daemon_mode(socket_path, argv + optind, n,
                       (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}
