/*
 * mxb/record.h - one returned message from bytes to a committed report
 *
 * DESCRIPTION
 *	mxb_record_prepare() and mxb_record_commit() are the work of the
 *	filter: hash, parse and classify the message, then record it with
 *	one database call. They are shared by the direct program
 *	(mxbounce-record, one process per message) and the daemon
 *	(mxbounced, whose writer may commit several prepared messages at
 *	once: mxb_record_commit_batch).
 *
 *	On success out->log is the key=value line to log for the message.
 *	On failure out->dsn, out->what and out->detail say why, and the
 *	caller defers the message (exit 75 or a DEFER reply). Every failure
 *	here is environmental: no input makes it fail while the database is
 *	up.
 */
#ifndef MXB_RECORD_H
#define MXB_RECORD_H

#include <glib.h>

#include <mxb/config.h>
#include <mxb/db.h>
#include <mxb/log.h>

G_BEGIN_DECLS

/* Tries after a deadlock or serialization failure before the message is
 * deferred ("4.3.0 database busy"); each after a pause of 10 to 100 ms,
 * all within the deadline (docs/limits.md) */
#define MXB_RECORD_BUSY_RETRIES 3

typedef struct mxb_record_out {
    const char *dsn;  /* "4.3.0" etc. on failure, static */
    const char *what; /* short reason on failure, static */
    char *detail;     /* the error's text on failure, owned */
    char *log;        /* the log line on success, owned */
} mxb_record_out;

/* One message between parsing and the database (mxb_record_prepare);
 * env and raw stay the caller's and must outlive it. */
typedef struct mxb_record_job {
    const mxb_envelope *env;
    const char *raw;
    size_t len, received;
    gint64 start, deadline;
    unsigned char sha[32];
    mxb_report *report;    /* owned */
    mxb_event_link *links; /* owned, one per result */
    const char *token;     /* the envelope token's verdict, static */
} mxb_record_job;

/* mxb_record_prepare - hash, parse, classify and correlate (no database).
 * received is the size read from the client (may exceed len when the
 * message was cut at the size limit); start and deadline are
 * g_get_monotonic_time() values. */
void mxb_record_prepare(mxb_record_job *job, const mxb_config *cfg, const mxb_envelope *env,
                        const char *raw, size_t len, size_t received, gint64 start,
                        gint64 deadline);

/* mxb_record_job_clear - free what mxb_record_prepare made */
void mxb_record_job_clear(mxb_record_job *job);

/*
 * mxb_record_commit - record a prepared message. *db is a connection to
 * reuse, or NULL to open one (left open in *db on success; closed and set
 * to NULL on a database failure). Returns 0 or -1; a job whose deadline
 * has passed is answered 4.4.7 at once.
 */
int mxb_record_commit(mxb_record_out *out, mxb_db **db, const mxb_config *cfg,
                      const mxb_record_job *job, const char *application_name);

/*
 * mxb_record_commit_batch - n prepared messages in one transaction (one
 * commit), bounded by the earliest deadline. 0: all recorded, outs[] set.
 * -1: none recorded (*db closed and NULL, err says why): record each
 * with mxb_record_commit, which isolates a message that fails.
 */
int mxb_record_commit_batch(mxb_record_out *outs, mxb_db **db, const mxb_config *cfg,
                            mxb_record_job *const *jobs, guint n, const char *application_name,
                            GError **err);

/*
 * mxb_record_correlate - tie every result of rep to its message through
 * the VERP tokens (docs/verp.md), judging token age as on day today
 * (mxb_verp_today() when recording; the day a stored report came, when
 * replaying). Returns one link per result, free with
 * mxb_record_links_free(); *verdict is the envelope token's verdict
 * (static, NULL when there was no token).
 */
mxb_event_link *mxb_record_correlate(const mxb_config *cfg, const mxb_envelope *env,
                                     const mxb_report *rep, guint today, const char **verdict);

/* mxb_record_links_free - free links of n results; NULL is fine */
void mxb_record_links_free(mxb_event_link *links, guint n);

/* mxb_record_out_clear - free the owned strings */
void mxb_record_out_clear(mxb_record_out *out);

/*
 * The delivery agent (Postfix's pipe(8), the parent of mxbounce-filter)
 * can die while it writes the message (postfix stop, an OOM kill): the
 * message read to its end of file is then a prefix, and Postfix, which
 * saw no exit, delivers it whole again later. Whoever records it watches
 * the agent and records nothing once it is gone. The end of file comes
 * first (the agent's files close before it has exited), so the look is
 * taken as late as it can be, just before the commit. The agent's pid
 * reaches mxbounce-record from mxbounce-filter in MXB_AGENT_PID.
 *
 * mxb_agent_open - watch process pid, the agent (a pidfd); nothing is
 * watched (fd -1) when pid is 1 or less or no pidfd can be had (an old
 * kernel, a sandbox)
 * mxb_agent_of - watch the parent of process pid (read from /proc: a
 * hidden /proc, or a parent that is init, watches nothing)
 * mxb_agent_gone - whether the watched agent has exited or is exiting:
 * its pidfd is readable, or its flags say PF_EXITING, which the kernel
 * sets before it closes the agent's files (the end of file we read)
 * mxb_agent_close - the pidfd, if any
 */
typedef struct mxb_agent {
    int fd; /* pidfd, or -1: nothing watched */
    int pid;
} mxb_agent;
mxb_agent mxb_agent_open(int pid);
mxb_agent mxb_agent_of(int pid);
gboolean mxb_agent_gone(const mxb_agent *agent);
void mxb_agent_close(mxb_agent *agent);

/* mxb_log_escape - untrusted text for a log line: C escapes, capped */
char *mxb_log_escape(const char *s, size_t cap);

G_END_DECLS

#endif
