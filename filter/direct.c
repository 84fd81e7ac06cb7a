/*
 * mxbounce-record - record one returned message in PostgreSQL, in-process
 *
 * SYNOPSIS
 *	mxbounce-record [-c FILE] -- QUEUE_ID SENDER RECIPIENT
 *		[ORIGINAL_RECIPIENT [CLIENT_ADDRESS]] < message
 *
 * DESCRIPTION
 *	The direct mode of mxbounce-filter(8): mxbounce-filter runs this
 *	program (a child, same argv, same standard input) when it runs without
 *	--daemon. It reads the message (at most [limits] max_message_size
 *	bytes are kept, the rest is read and dropped), classifies it, and
 *	records it with one database statement (filter/record.c), on a
 *	connection of its own.
 *
 * EXIT STATUS
 *	0 recorded (or already recorded) and committed; 75 anything
 *	environmental (configuration, database, deadline, read error).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <mxb/record.h>

#include "pipe.h"

int main(int argc, char **argv)
{
    g_autoptr(mxb_config) cfg = NULL;
    g_autoptr(GByteArray) buf = g_byte_array_new();
    mxb_pipe_args args;
    mxb_record_out out;
    mxb_db *db = NULL;
    gint64 start = g_get_monotonic_time(), deadline;
    gssize total;
    pid_t parent = getppid();
    /* pipe(8), named by mxbounce-filter (nothing watched without it) */
    const char *agent_pid = getenv("MXB_AGENT_PID");
    mxb_agent agent = mxb_agent_open(agent_pid ? atoi(agent_pid) : 0);

    mxb_pipe_start("mxbounce-filter");
    mxb_pipe_parse_args(&args, &argc, &argv, "mxbounce-record");
    if (args.version) {
        printf("mxbounce-record %s (classifier %s, schema %d)\n", MXB_VERSION,
               MXB_CLASSIFIER_VERSION, MXB_SCHEMA_VERSION);
        return FILTER_OK;
    }
    cfg = mxb_pipe_config(&args);
    deadline = start + (gint64)cfg->deadline * G_USEC_PER_SEC;
    alarm((unsigned)cfg->deadline + STARTUP_DEADLINE_GRACE);

    total = mxb_pipe_read(buf, cfg->limits.max_message);
    if (total < 0)
        mxb_pipe_defer("4.3.0", "cannot read message", g_strerror(errno));

    mxb_record_job job;
    mxb_record_prepare(&job, cfg, &args.env, (const char *)buf->data, buf->len, (size_t)total,
                       start, deadline);
    /* The delivery agent died (the end of input may have been that
     * death), or mxbounce-filter, killed with it: the last look before
     * anything is sent (mxb_agent_gone). */
    if (getppid() != parent || mxb_agent_gone(&agent))
        mxb_pipe_defer("4.3.0", "delivery agent gone", "it exited before the commit");
    int rc = mxb_record_commit(&out, &db, cfg, &job, "mxbounce-filter");
    mxb_record_job_clear(&job);
    if (rc < 0)
        mxb_pipe_defer(out.dsn, out.what, out.detail);
    mxb_db_close(db);
    alarm(0);
    mxb_pipe_log(LOG_INFO, "%s", out.log);
    mxb_record_out_clear(&out);
    return FILTER_OK;
}
