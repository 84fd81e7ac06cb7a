/*
 * record.c - hash, parse, classify and record one message
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <mxb/classify.h>
#include <mxb/record.h>
#include <mxb/verp.h>

/* mxb_log_escape - log-safe copy: C escapes for quotes and non-ASCII */
char *mxb_log_escape(const char *s, size_t cap)
{
    char *e = g_strescape(s ? s : "", NULL);

    if (strlen(e) > cap)
        e[cap] = '\0';
    return e;
}

/* stat_fields - the parent pid and the flags of process pid, from
 * /proc/<pid>/stat ("pid (comm) state ppid pgrp session tty tpgid flags
 * ..."; the name may hold blanks and parentheses); FALSE when unread */
static gboolean stat_fields(int pid, int *ppid, unsigned *flags)
{
    char path[64], buf[512];

    g_snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    FILE *f = fopen(path, "re");
    if (f == NULL)
        return FALSE;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *close = strrchr(buf, ')');
    return close != NULL && sscanf(close + 1, " %*c %d %*d %*d %*d %*d %u", ppid, flags) == 2;
}

/* mxb_agent_open - watch process pid (record.h) */
mxb_agent mxb_agent_open(int pid)
{
    mxb_agent a = {-1, pid};

#ifdef SYS_pidfd_open
    if (pid > 1)
        a.fd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
#endif
    if (a.fd < 0)
        a.fd = -1;
    return a;
}

/* mxb_agent_of - watch the parent of process pid (record.h) */
mxb_agent mxb_agent_of(int pid)
{
    int ppid = 0, again = 0;
    unsigned flags;

    if (!stat_fields(pid, &ppid, &flags) || ppid <= 1)
        return (mxb_agent){-1, 0};
    mxb_agent a = mxb_agent_open(ppid);
    /* still its parent once the pidfd is open: not a pid used again */
    if (a.fd >= 0 && (!stat_fields(pid, &again, &flags) || again != ppid))
        mxb_agent_close(&a);
    return a;
}

/* mxb_agent_gone - the watched agent has exited or is exiting (record.h) */
gboolean mxb_agent_gone(const mxb_agent *agent)
{
    struct pollfd pfd = {.fd = agent->fd, .events = POLLIN};
    int ppid;
    unsigned flags;

    if (agent->fd < 0)
        return FALSE;
    if (poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN) != 0)
        return TRUE;
    /* PF_EXITING (0x4): set before the agent's files are closed, while
     * its pidfd is not readable yet */
    return stat_fields(agent->pid, &ppid, &flags) && (flags & 0x4) != 0;
}

/* mxb_agent_close - the pidfd, if any (record.h) */
void mxb_agent_close(mxb_agent *agent)
{
    if (agent->fd >= 0)
        close(agent->fd);
    agent->fd = -1;
}

/* content_hash - SHA-256 of the report without our trace fields */
static void content_hash(const char *raw, size_t len, unsigned char out[32])
{
    g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
    size_t off = mxb_report_content_offset(raw, len);
    gsize n = 32;

    if (off >= len)
        off = 0; /* nothing but trace fields: hash it all */
    g_checksum_update(sum, (const guchar *)raw + off, (gssize)(len - off));
    g_checksum_get_digest(sum, out, &n);
}

/* summary - "rcpt:status:class:reason" for the first few results */
static char *summary(const mxb_report *rep)
{
    GString *s = g_string_new(NULL);

    for (guint i = 0; i < rep->results->len && i < MXB_LOG_RCPTS_MAX; i++) {
        const mxb_result *r = g_ptr_array_index(rep->results, i);
        g_autofree char *rc = mxb_log_escape(r->recipient ? r->recipient : "-", MXB_LOG_FIELD_MAX);
        const char *cls = mxb_class_name(r->klass), *rsn = mxb_reason_name(r->reason);
        g_string_append_printf(s, "%s%s:%s:%s:%s", i ? "," : "", rc, r->status ? r->status : "-",
                               cls ? cls : "-", rsn ? rsn : "-");
    }
    return g_string_free(s, FALSE);
}

/* mxb_record_links_free - the links and their owned strings */
void mxb_record_links_free(mxb_event_link *links, guint n)
{
    if (links == NULL)
        return;
    for (guint i = 0; i < n; i++)
        g_free(links[i].recipient_key);
    g_free(links);
}

/* set_link - the token's facts into one event's link */
static void set_link(mxb_event_link *l, const char *match, const mxb_verp_token *t)
{
    l->match = match;
    l->bound = (t->flags & MXB_VERP_FLAG_BOUND) != 0;
    /* Account 0 is the platform itself: no token speaks for it. */
    l->account_id = t->account >= 1 && t->account <= G_MAXINT64 ? (gint64)t->account : -1;
    if (t->flags & MXB_VERP_FLAG_LIST)
        l->list_id = t->ref <= G_MAXINT64 ? (gint64)t->ref : -1;
    else
        l->message_ref = t->ref <= G_MAXINT64 ? (gint64)t->ref : -1;
}

/*
 * mxb_record_correlate - tie every event to its message (docs/verp.md):
 *  1. the envelope recipient's token verifies (for this recipient, when
 *     bound): "verified";
 *  2. else a token in the returned message's MXB_PLATFORM_HEADER or the
 *     DSN's Original-Envelope-Id verifies: "verified" when it is bound to
 *     this recipient (only the recipient's own mail system has seen it),
 *     "header" otherwise;
 *  3. else "none" (record_report still tries the returned Message-ID).
 * *verdict is the envelope token's verdict for the report (static).
 */
mxb_event_link *mxb_record_correlate(const mxb_config *cfg, const mxb_envelope *env,
                                     const mxb_report *rep, guint today, const char **verdict)
{
    mxb_event_link *links = g_new0(mxb_event_link, rep->results->len);
    g_autofree char *envtok = mxb_verp_token_of(env->recipient);
    const char *others[] = {rep->platform_token, rep->envelope_id};
    mxb_verp_token t;

    mxb_verp_token whole_t = {0};
    /* Checked once; again per recipient only when the token is bound. */
    mxb_verp_verdict whole =
        envtok ? mxb_verp_check(cfg->verp, envtok, NULL, today, &whole_t) : MXB_VERP_NONE;
    mxb_verp_verdict first = MXB_VERP_NONE;
    gboolean any_ok = FALSE;

    for (guint i = 0; i < rep->results->len; i++) {
        const mxb_result *r = g_ptr_array_index(rep->results, i);
        mxb_event_link *l = &links[i];
        l->match = "none";
        l->account_id = l->list_id = l->message_ref = -1;
        l->recipient_key = mxb_address_key(r->recipient);
        mxb_verp_verdict v = whole;
        t = whole_t;
        if (whole == MXB_VERP_NO_RECIPIENT)
            v = mxb_verp_check(cfg->verp, envtok, r->recipient, today, &t);
        l->token = envtok ? mxb_verp_verdict_name(v) : NULL;
        if (i == 0)
            first = v;
        if (v == MXB_VERP_OK) {
            any_ok = TRUE;
            set_link(l, "verified", &t);
            continue;
        }
        for (size_t j = 0; j < G_N_ELEMENTS(others); j++) {
            g_autofree char *tok = others[j] ? g_strstrip(g_strdup(others[j])) : NULL;
            if (tok && strchr(tok, '@')) { /* ENVID may be the whole address */
                char *inner = mxb_verp_token_of(tok);
                g_free(tok);
                tok = inner;
            }
            if (tok == NULL || strlen(tok) != MXB_VERP_TOKEN_LEN)
                continue;
            mxb_verp_verdict hv = mxb_verp_check(cfg->verp, tok, r->recipient, today, &t);
            if (hv == MXB_VERP_OK) {
                set_link(l, (t.flags & MXB_VERP_FLAG_BOUND) ? "verified" : "header", &t);
                l->token = mxb_verp_verdict_name(hv);
                break;
            }
            if (l->token == NULL)
                l->token = mxb_verp_verdict_name(hv);
        }
    }
    /* The report's word on its envelope token: verified when it verified
     * for a recipient (a bound token needs one), else what it was. */
    if (envtok == NULL)
        *verdict = NULL;
    else if (any_ok)
        *verdict = mxb_verp_verdict_name(MXB_VERP_OK);
    else
        *verdict = mxb_verp_verdict_name(whole == MXB_VERP_NO_RECIPIENT ? first : whole);
    return links;
}

/* fail - fill in a failure */
static int fail(mxb_record_out *out, const char *dsn, const char *what, const GError *err)
{
    out->dsn = dsn;
    out->what = what;
    out->detail = g_strdup(err ? err->message : "");
    return -1;
}

/* mxb_record_out_clear - free the owned strings */
void mxb_record_out_clear(mxb_record_out *out)
{
    g_clear_pointer(&out->detail, g_free);
    g_clear_pointer(&out->log, g_free);
}

/* success - the log line of a recorded message */
static int success(mxb_record_out *out, const mxb_record_job *job, const mxb_record_outcome *rec)
{
    const mxb_report *rep = job->report;
    const mxb_result *r0 = g_ptr_array_index(rep->results, 0);
    g_autofree char *rcpts = summary(rep);
    g_autofree char *sender = mxb_log_escape(job->env->sender, MXB_LOG_FIELD_MAX);
    g_autofree char *problem = mxb_log_escape(rep->problem, MXB_LOG_FIELD_MAX);

    out->log = g_strdup_printf(
        "result=%s report=%" G_GINT64_FORMAT " kind=%s events=%u rcpts=%s token=%s match=%s "
        "sender=<%s> size=%zu truncated=%s problem=\"%s\" ms=%" G_GINT64_FORMAT,
        rec->duplicate ? "duplicate" : "recorded", rec->report_id, mxb_kind_name(r0->kind),
        rep->results->len, rcpts, job->token ? job->token : "none", job->links[0].match, sender,
        job->received, rep->flags ? "yes" : "no", problem,
        (g_get_monotonic_time() - job->start) / 1000);
    return 0;
}

/* item_of - what the database layer needs of a job */
static mxb_db_item item_of(const mxb_record_job *job)
{
    return (mxb_db_item){job->env, job->report, job->links, job->token,
                         job->sha, job->raw,    job->len,   job->received};
}

/* mxb_record_prepare - hash, parse, classify and correlate one message */
void mxb_record_prepare(mxb_record_job *job, const mxb_config *cfg, const mxb_envelope *env,
                        const char *raw, size_t len, size_t received, gint64 start, gint64 deadline)
{
    *job = (mxb_record_job){.env = env,
                            .raw = raw,
                            .len = len,
                            .received = received,
                            .start = start,
                            .deadline = deadline};
    content_hash(raw, len, job->sha);
    mxb_report_parse_envelope(&job->report, raw, len, &cfg->limits, env->sender ? env->sender : "");
    if (received > len)
        job->report->flags |= MXB_REPORT_TRUNCATED_INPUT;
    job->links = mxb_record_correlate(cfg, env, job->report, mxb_verp_today(), &job->token);
}

/* mxb_record_job_clear - what prepare made */
void mxb_record_job_clear(mxb_record_job *job)
{
    if (job->report != NULL)
        mxb_record_links_free(job->links, job->report->results->len);
    g_clear_pointer(&job->report, mxb_report_free);
    job->links = NULL;
}

/* connect_if_needed - a connection in *db, within the deadline */
static int connect_if_needed(mxb_db **db, const mxb_config *cfg, const char *application_name,
                             gint64 deadline, GError **err)
{
    if (*db != NULL)
        return 0;
    gint64 cd =
        MIN(deadline, g_get_monotonic_time() + (gint64)cfg->connect_timeout * G_USEC_PER_SEC);
    return mxb_db_connect(db, cfg->conninfo, application_name, TRUE, cd, err);
}

/*
 * retry_fresh - after a failure (the connection closed): try once more?
 * A pooled connection may have died since its last use (the server
 * restarted): one failure on a reused connection is retried once on a
 * fresh one. Safe: the statement either committed, and the retry sees a
 * duplicate, or it did not.
 */
static gboolean retry_fresh(gboolean reused, int attempt, gint64 deadline, const GError *err)
{
    return reused && attempt == 0 && g_get_monotonic_time() < deadline &&
           !g_error_matches(err, MXB_DB_ERROR, MXB_DB_ERROR_TIMEOUT) &&
           !g_error_matches(err, MXB_DB_ERROR, MXB_DB_ERROR_SCHEMA);
}

/*
 * retry_busy - after a deadlock or serialization failure: try again?
 * Another transaction locked the same suppressions in another order (a
 * daemon's batch of several reports against one report, on another host
 * or in direct mode); PostgreSQL rolled ours back. Nothing was written,
 * and the same call again almost always goes through: up to
 * MXB_RECORD_BUSY_RETRIES times, after a random pause of 10 to 100 ms so
 * that the two do not meet again, within the deadline.
 */
static gboolean retry_busy(int *busy, gint64 deadline, const GError *err)
{
    if (!g_error_matches(err, MXB_DB_ERROR, MXB_DB_ERROR_BUSY) || *busy >= MXB_RECORD_BUSY_RETRIES)
        return FALSE;
    gint64 pause = g_random_int_range(10, 101) * 1000;
    if (g_get_monotonic_time() + pause >= deadline)
        return FALSE;
    (*busy)++;
    g_usleep((gulong)pause);
    return TRUE;
}

/* mxb_record_commit - the database call with its retries, and the log line */
int mxb_record_commit(mxb_record_out *out, mxb_db **db, const mxb_config *cfg,
                      const mxb_record_job *job, const char *application_name)
{
    g_autoptr(GError) err = NULL;
    mxb_record_outcome rec;
    mxb_db_item it = item_of(job);
    gint64 deadline = job->deadline;
    int busy = 0;

    memset(out, 0, sizeof(*out));
    if (g_get_monotonic_time() >= deadline)
        return fail(out, "4.4.7", "deadline exceeded", NULL);
    for (int attempt = 0;; attempt++) {
        gboolean reused = *db != NULL;
        if (connect_if_needed(db, cfg, application_name, deadline, &err) < 0) {
            /* Out of time while connecting is the deadline's doing. */
            if (g_get_monotonic_time() >= deadline)
                return fail(out, "4.4.7", "deadline exceeded", err);
            return fail(out, "4.3.0", "database unavailable", err);
        }
        if (mxb_db_record(&rec, *db, &it, deadline, &err) == 0)
            break;
        /* The connection may be in any state now: never reuse it. */
        mxb_db_close(*db);
        *db = NULL;
        if (retry_busy(&busy, deadline, err) || retry_fresh(reused, attempt, deadline, err)) {
            g_clear_error(&err);
            continue;
        }
        if (g_error_matches(err, MXB_DB_ERROR, MXB_DB_ERROR_SCHEMA))
            return fail(out, "4.3.5", "database schema too old", err);
        if (g_error_matches(err, MXB_DB_ERROR, MXB_DB_ERROR_TIMEOUT))
            return fail(out, "4.4.7", "deadline exceeded", err);
        if (g_error_matches(err, MXB_DB_ERROR, MXB_DB_ERROR_CONNECT))
            return fail(out, "4.3.0", "database unavailable", err);
        if (g_error_matches(err, MXB_DB_ERROR, MXB_DB_ERROR_BUSY))
            return fail(out, "4.3.0", "database busy", err);
        return fail(out, "4.3.0", "database error", err);
    }
    return success(out, job, &rec);
}

/* mxb_record_commit_batch - n jobs in one transaction, or none (-1) */
int mxb_record_commit_batch(mxb_record_out *outs, mxb_db **db, const mxb_config *cfg,
                            mxb_record_job *const *jobs, guint n, const char *application_name,
                            GError **err)
{
    g_autofree mxb_db_item *items = g_new(mxb_db_item, n);
    g_autofree mxb_record_outcome *recs = g_new(mxb_record_outcome, n);
    gint64 deadline = G_MAXINT64;

    for (guint i = 0; i < n; i++) {
        items[i] = item_of(jobs[i]);
        deadline = MIN(deadline, jobs[i]->deadline);
    }
    for (int attempt = 0;; attempt++) {
        gboolean reused = *db != NULL;
        if (connect_if_needed(db, cfg, application_name, deadline, err) < 0)
            return -1;
        if (mxb_db_record_batch(recs, *db, items, n, deadline, err) == 0)
            break;
        mxb_db_close(*db);
        *db = NULL;
        if (!retry_fresh(reused, attempt, deadline, err ? *err : NULL))
            return -1;
        g_clear_error(err);
    }
    for (guint i = 0; i < n; i++) {
        memset(&outs[i], 0, sizeof(outs[i]));
        success(&outs[i], jobs[i], &recs[i]);
    }
    return 0;
}
