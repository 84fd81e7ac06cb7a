/*
 * db.c - libpq connection, the one-round-trip record call, migrations
 *
 * DESCRIPTION
 *	Connecting and querying are non-blocking (PQconnectStartParams,
 *	PQsendQueryParams) and wait with poll(2) against one monotonic
 *	deadline, so a hanging server or a held lock turns into
 *	MXB_DB_ERROR_TIMEOUT instead of a Postfix time-limit kill. On a
 *	timeout the running query is cancelled; the statement is its own
 *	transaction, so either it committed or nothing was written.
 *
 *	A connection used for more than one report (mxbounced's) prepares
 *	the record call once, as a named statement, after its first report:
 *	parsing, analysing and planning the call was about a tenth of the
 *	backend's CPU per report. A connection pooler in transaction mode
 *	(pgbouncer before 1.21, or without max_prepared_statements) may run
 *	the next transaction on a server connection that does not have the
 *	statement; the first such error (26000, or 42P05 when preparing)
 *	turns named statements off for the rest of the process, and the
 *	caller's retry on a fresh connection records the report unnamed.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include <mxb/db.h>
#include <mxb/json.h>

struct mxb_db {
    PGconn *conn;
    gboolean schema_ok; /* a record call on this connection passed the schema check */
    gboolean prepared;  /* the record call is prepared on this connection (record_stmt) */
};

/* Set (for good) when a pooler lost or shared our named statement. */
static gint no_prepare;

/* OIDs of the parameter types we send (pg_type.dat; stable). */
#define OID_BYTEA 17
#define OID_INT4 23
#define OID_TEXT 25
#define OID_JSONB 3802

/* mxb_db_error_quark - the GError domain of this library */
GQuark mxb_db_error_quark(void)
{
    return g_quark_from_static_string("mxb-db-error-quark");
}

/* first_line - libpq messages end in newlines; keep the first line, at
 * most MXB_DB_MESSAGE_MAX bytes of it */
static char *first_line(const char *msg)
{
    size_t n = strcspn(msg ? msg : "", "\r\n");

    return g_strndup(msg ? msg : "", MIN(n, MXB_DB_MESSAGE_MAX));
}

/* wait_socket - poll the connection's socket until ready or deadline */
static int wait_socket(PGconn *conn, gboolean for_write, gint64 deadline)
{
    struct pollfd pfd = {.fd = PQsocket(conn), .events = for_write ? POLLOUT : POLLIN};

    for (;;) {
        gint64 left = deadline - g_get_monotonic_time();
        if (left <= 0)
            return 0;
        int ms = (int)MIN(left / 1000 + 1, 60 * 1000);
        int rc = poll(&pfd, 1, ms);
        if (rc > 0)
            return 1;
        if (rc < 0 && errno != EINTR)
            return -1;
    }
}

/* ignore_notice - libpq's notice processor that prints nothing */
static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* mxb_db_connect - connect with a deadline */
int mxb_db_connect(mxb_db **out, const char *conninfo, const char *application_name, gboolean quiet,
                   gint64 deadline, GError **err)
{
    const char *keys[] = {"dbname", "fallback_application_name", NULL};
    const char *vals[] = {conninfo, application_name, NULL};
    PGconn *conn;
    PostgresPollingStatusType st = PGRES_POLLING_WRITING;

    *out = NULL;
    conn = PQconnectStartParams(keys, vals, 1);
    if (conn == NULL) {
        g_set_error(err, MXB_DB_ERROR, MXB_DB_ERROR_CONNECT, "out of memory");
        return -1;
    }
    /* A server's notices (a WARNING when another backend crashed, one at
     * start-up when the database's collation version changed, a NOTICE of
     * a function) would go to standard error, which Postfix shows before
     * the filter's one line: the filter and mxbounced print none. The
     * commands of mxbounce keep them for the operator. */
    if (quiet)
        PQsetNoticeProcessor(conn, ignore_notice, NULL);
    if (PQstatus(conn) == CONNECTION_BAD) {
        g_autofree char *m = first_line(PQerrorMessage(conn));
        g_set_error(err, MXB_DB_ERROR, MXB_DB_ERROR_CONNECT, "cannot connect: %s", m);
        PQfinish(conn);
        return -1;
    }
    while (st != PGRES_POLLING_OK && st != PGRES_POLLING_FAILED) {
        int rc = wait_socket(conn, st == PGRES_POLLING_WRITING, deadline);
        if (rc == 0) {
            g_set_error(err, MXB_DB_ERROR, MXB_DB_ERROR_TIMEOUT,
                        "deadline passed while connecting");
            PQfinish(conn);
            return -1;
        }
        st = PQconnectPoll(conn);
    }
    if (st == PGRES_POLLING_FAILED) {
        g_autofree char *m = first_line(PQerrorMessage(conn));
        g_set_error(err, MXB_DB_ERROR, MXB_DB_ERROR_CONNECT, "cannot connect: %s", m);
        PQfinish(conn);
        return -1;
    }
    *out = g_new0(mxb_db, 1);
    (*out)->conn = conn; /* ownership moves to *out */
    return 0;
}

/* mxb_db_close - close the connection */
void mxb_db_close(mxb_db *db)
{
    if (db == NULL)
        return;
    PQfinish(db->conn);
    g_free(db);
}

/*
 * cancel - ask the server to stop the running statement, waiting at most
 * MXB_DB_CANCEL_WAIT_MS for it. libpq's PQcancel (before PostgreSQL 17's
 * non-blocking cancel) waits for the server to close the cancel
 * connection, with no time limit: a server that is stopped (SIGSTOP, a
 * frozen VM) or cut off held the caller until it came back, and
 * mxbounced answered long past its deadline. So the request is made by a
 * thread of its own; past the wait we go on without it (closing the
 * connection). Should the statement still commit, the redelivery is a
 * duplicate. A thread left waiting ends when the server takes the request
 * or the connection to it fails; there is about one per server that
 * stopped answering, since a connection that timed out is closed and a new
 * one cannot be made to such a server (the direct mode's process exits).
 */
typedef struct cancel_req {
    PGcancel *c;
    GMutex lock;
    GCond cond;
    gboolean done;
    gint refs; /* the caller's and the thread's */
} cancel_req;

static void cancel_req_unref(cancel_req *r)
{
    if (!g_atomic_int_dec_and_test(&r->refs))
        return;
    PQfreeCancel(r->c);
    g_mutex_clear(&r->lock);
    g_cond_clear(&r->cond);
    g_free(r);
}

static gpointer cancel_thread(gpointer data)
{
    cancel_req *r = data;
    char buf[256];

    (void)PQcancel(r->c, buf, sizeof(buf));
    g_mutex_lock(&r->lock);
    r->done = TRUE;
    g_cond_signal(&r->cond);
    g_mutex_unlock(&r->lock);
    cancel_req_unref(r);
    return NULL;
}

static void cancel(PGconn *conn)
{
    PGcancel *c = PQgetCancel(conn);
    if (c == NULL)
        return;
    cancel_req *r = g_new0(cancel_req, 1);
    r->c = c;
    r->refs = 2;
    g_mutex_init(&r->lock);
    g_cond_init(&r->cond);
    GThread *t = g_thread_try_new("mxb-cancel", cancel_thread, r, NULL);
    if (t == NULL) {
        cancel_req_unref(r); /* the thread's */
        cancel_req_unref(r);
        return;
    }
    g_thread_unref(t); /* it ends on its own */
    gint64 until = g_get_monotonic_time() + MXB_DB_CANCEL_WAIT_MS * G_TIME_SPAN_MILLISECOND;
    g_mutex_lock(&r->lock);
    while (!r->done && g_cond_wait_until(&r->cond, &r->lock, until))
        ;
    g_mutex_unlock(&r->lock);
    cancel_req_unref(r);
}

/* set_result_error - a failed PGresult into a GError */
static void set_result_error(GError **err, PGresult *res, PGconn *conn)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    g_autofree char *m = first_line(res ? PQresultErrorMessage(res) : PQerrorMessage(conn));

    /* The named record statement is missing (26000) or already there
     * (42P05): a pooler moved us to another server connection. */
    if (state && (strcmp(state, "26000") == 0 || strcmp(state, "42P05") == 0))
        g_atomic_int_set(&no_prepare, 1);
    if (state && (strcmp(state, "MXB01") == 0 || strcmp(state, "42883") == 0 ||
                  strcmp(state, "3F000") == 0 || strcmp(state, "42P01") == 0))
        g_set_error(err, MXB_DB_ERROR, MXB_DB_ERROR_SCHEMA,
                    "database schema missing or older than version %d: %s", MXB_SCHEMA_VERSION, m);
    else if (state && (strcmp(state, "40P01") == 0 || strcmp(state, "40001") == 0))
        g_set_error(err, MXB_DB_ERROR, MXB_DB_ERROR_BUSY, "%s %s", state, m);
    else
        g_set_error(err, MXB_DB_ERROR, MXB_DB_ERROR_QUERY, "%s%s%s", state ? state : "",
                    state ? " " : "", m);
}

/*
 * await_result - after a PQsend* call: send it all and wait for its
 * results against a deadline; returns the first result (caller
 * PQclear()s) or NULL with err set.
 */
static PGresult *await_result(PGconn *conn, gint64 deadline, GError **err)
{
    PGresult *res, *first = NULL;

    /* Flush the parameters (the raw message can be megabytes). */
    for (;;) {
        int f = PQflush(conn);
        if (f == 0)
            break;
        if (f < 0 || wait_socket(conn, TRUE, deadline) <= 0)
            goto timeout_or_fail;
    }
    for (;;) {
        if (!PQconsumeInput(conn)) {
            set_result_error(err, NULL, conn);
            return NULL;
        }
        while (!PQisBusy(conn)) {
            res = PQgetResult(conn);
            if (res == NULL)
                return first;
            if (first == NULL)
                first = res;
            else
                PQclear(res);
        }
        if (wait_socket(conn, FALSE, deadline) <= 0)
            goto timeout_or_fail;
    }

timeout_or_fail:
    if (g_get_monotonic_time() >= deadline) {
        cancel(conn);
        g_set_error(err, MXB_DB_ERROR, MXB_DB_ERROR_TIMEOUT, "deadline passed during query");
    } else {
        set_result_error(err, NULL, conn);
    }
    PQclear(first);
    return NULL;
}

/* check_ok - PGresult status check, sets err */
static int check_ok(PGresult *res, PGconn *conn, GError **err)
{
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return 0;
    set_result_error(err, res, conn);
    return -1;
}

/* add_str - json member, null when s is NULL */
static void add_str(json_object *o, const char *name, const char *s)
{
    json_object_object_add(o, name, s ? json_object_new_string(s) : NULL);
}

/* clean_arg - envelope text from argv, valid UTF-8, capped */
static char *clean_arg(const char *s)
{
    return s ? mxb_text_clean(s, strlen(s), 1000, NULL) : NULL;
}

/* mxb_db_report_json - report-level fields as a JSON object */
char *mxb_db_report_json(const mxb_envelope *env, const mxb_report *rep, const char *token)
{
    g_autoptr(json_object) b = json_object_new_object();
    const char *const names[] = {"queue_id", "sender", "recipient", "original_recipient",
                                 "client_address"};
    const char *const vals[] = {env->queue_id, env->sender, env->recipient, env->original_recipient,
                                env->client_address};

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        g_autofree char *v = clean_arg(vals[i]);
        add_str(b, names[i], v && *v ? v : NULL);
    }
    add_str(b, "subject", rep->subject);
    add_str(b, "from", rep->from);
    add_str(b, "orig_message_id", rep->orig_message_id);
    add_str(b, "envelope_id", rep->envelope_id);
    add_str(b, "problem", rep->problem);
    add_str(b, "classifier_version", mxb_classifier_version());
    add_str(b, "token", token);
    json_object_object_add(b, "flags", json_object_new_int64(rep->flags));
    return mxb_json_string(b);
}

/* mxb_db_events_json - per-recipient fields as a JSON array */
/* add_id - json integer member, null when negative */
static void add_id(json_object *o, const char *name, gint64 v)
{
    json_object_object_add(o, name, v >= 0 ? json_object_new_int64(v) : NULL);
}

char *mxb_db_events_json(const mxb_report *rep, const mxb_event_link *links)
{
    g_autoptr(json_object) a = json_object_new_array();

    for (guint i = 0; i < rep->results->len; i++) {
        const mxb_result *r = g_ptr_array_index(rep->results, i);
        json_object *b = json_object_new_object();
        json_object_array_add(a, b);
        json_object_object_add(b, "seq", json_object_new_int64(i));
        add_str(b, "kind", mxb_kind_name(r->kind));
        add_str(b, "recipient", r->recipient);
        add_str(b, "original_recipient", r->original_recipient);
        add_str(b, "action", r->action);
        add_str(b, "status", r->status);
        json_object_object_add(
            b, "smtp_code",
            r->smtp_code >= 200 && r->smtp_code <= 599 ? json_object_new_int(r->smtp_code) : NULL);
        add_str(b, "diagnostic", r->diagnostic);
        add_str(b, "remote_mta", r->remote_mta);
        add_str(b, "reporting_mta", r->reporting_mta);
        add_str(b, "class", mxb_class_name(r->klass));
        add_str(b, "reason", mxb_reason_name(r->reason));
        add_str(b, "mta", r->mta);
        add_str(b, "feedback_type", r->feedback_type);
        const mxb_event_link *l = links ? &links[i] : NULL;
        add_str(b, "recipient_key", l ? l->recipient_key : NULL);
        add_str(b, "match", l && l->match ? l->match : "none");
        add_str(b, "token", l ? l->token : NULL);
        json_object_object_add(b, "bound", json_object_new_boolean(l && l->bound));
        add_id(b, "account_id", l ? l->account_id : -1);
        add_id(b, "list_id", l ? l->list_id : -1);
        add_id(b, "message_ref", l ? l->message_ref : -1);
    }
    return mxb_json_string(a);
}

static const char record_sql[] = "SELECT outcome, report_id, n_events"
                                 " FROM mxbounce.record_report($1, $2, $3, $4, $5, $6)";
static const Oid record_types[] = {OID_INT4, OID_BYTEA, OID_BYTEA, OID_INT4, OID_JSONB, OID_JSONB};
static const int record_formats[] = {0, 1, 1, 0, 0, 0};

/*
 * record_stmt - the name of the prepared record call on this connection,
 * preparing it first (one round trip) if it is not yet; NULL to send the
 * call unnamed: on a connection's first report (most connections, in
 * direct mode, make only one), when named statements are off, or when
 * preparing failed for a pooler's sake. -1 (err set) when the connection
 * failed.
 */
static int record_stmt(mxb_db *db, const char **stmt, gint64 deadline, GError **err)
{
    static char name[32];
    static gsize once;

    *stmt = NULL;
    if (!db->schema_ok || g_atomic_int_get(&no_prepare))
        return 0;
    /* The name tells the text: behind a pooler another process's
     * statement of this name may be the one that runs. */
    if (g_once_init_enter(&once)) {
        g_snprintf(name, sizeof(name), "mxbounce_record_%08x", g_str_hash(record_sql));
        g_once_init_leave(&once, 1);
    }
    if (!db->prepared) {
        if (!PQsendPrepare(db->conn, name, record_sql, 6, record_types)) {
            set_result_error(err, NULL, db->conn);
            return -1;
        }
        PGresult *res = await_result(db->conn, deadline, err);
        if (res == NULL)
            return -1;
        int rc = check_ok(res, db->conn, err);
        PQclear(res);
        if (rc < 0) {
            if (!g_atomic_int_get(&no_prepare))
                return -1;
            g_clear_error(err); /* 42P05: unnamed from now on */
            return 0;
        }
        db->prepared = TRUE;
    }
    *stmt = name;
    return 0;
}

/* The parameters of one record_report call. */
typedef struct record_params {
    char version[16];
    char size[24];
    char *rjson, *ejson;
    const char *values[6];
    int lengths[6];
} record_params;

/*
 * params_init - the call's parameters; check_schema asks the function to
 * check the schema version (a connection's first call; 0 skips it,
 * db/sql/003_schema_check_once.sql). FALSE (err set) if too large.
 */
static gboolean params_init(record_params *p, const mxb_db_item *it, gboolean check_schema,
                            GError **err)
{
    memset(p, 0, sizeof(*p));
    if (it->raw_len > (size_t)G_MAXINT32) {
        g_set_error(err, MXB_DB_ERROR, MXB_DB_ERROR_QUERY, "raw message too large");
        return FALSE;
    }
    g_snprintf(p->version, sizeof(p->version), "%d", check_schema ? MXB_SCHEMA_VERSION : 0);
    g_snprintf(p->size, sizeof(p->size), "%zu", MIN(it->received_size, (size_t)G_MAXINT32));
    p->rjson = mxb_db_report_json(it->env, it->report, it->token);
    p->ejson = mxb_db_events_json(it->report, it->links);
    /* An empty message may come as NULL; NULL would be SQL NULL. */
    const char *values[] = {
        p->version, (const char *)it->sha256, it->raw ? it->raw : "", p->size, p->rjson, p->ejson};
    const int lengths[] = {0, 32, (int)it->raw_len, 0, 0, 0};
    memcpy(p->values, values, sizeof(values));
    memcpy(p->lengths, lengths, sizeof(lengths));
    return TRUE;
}

static void params_clear(record_params *p)
{
    g_free(p->rjson);
    g_free(p->ejson);
}

/* send_record - send one record call: the prepared statement stmt, or
 * unnamed when stmt is NULL; FALSE (err set) when libpq refuses */
static gboolean send_record(PGconn *conn, const char *stmt, const record_params *p, GError **err)
{
    if (stmt ? PQsendQueryPrepared(conn, stmt, 6, p->values, p->lengths, record_formats, 0)
             : PQsendQueryParams(conn, record_sql, 6, record_types, p->values, p->lengths,
                                 record_formats, 0))
        return TRUE;
    set_result_error(err, NULL, conn);
    return FALSE;
}

/* outcome_of - the one row of record_report; FALSE (err set) otherwise */
static gboolean outcome_of(mxb_record_outcome *out, PGresult *res, PGconn *conn, GError **err)
{
    if (check_ok(res, conn, err) < 0)
        return FALSE;
    if (PQntuples(res) != 1) {
        g_set_error(err, MXB_DB_ERROR, MXB_DB_ERROR_QUERY, "record_report returned no row");
        return FALSE;
    }
    out->duplicate = strcmp(PQgetvalue(res, 0, 0), "duplicate") == 0;
    out->report_id = g_ascii_strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    out->n_events = atoi(PQgetvalue(res, 0, 2));
    return TRUE;
}

/* mxb_db_record - one report, one statement, one transaction */
int mxb_db_record(mxb_record_outcome *out, mxb_db *db, const mxb_db_item *it, gint64 deadline,
                  GError **err)
{
    record_params p;
    PGresult *res;
    gboolean ok;
    const char *stmt;

    memset(out, 0, sizeof(*out));
    if (record_stmt(db, &stmt, deadline, err) < 0)
        return -1;
    if (!params_init(&p, it, !db->schema_ok, err))
        return -1;
    res = send_record(db->conn, stmt, &p, err) ? await_result(db->conn, deadline, err) : NULL;
    params_clear(&p);
    if (res == NULL)
        return -1;
    ok = outcome_of(out, res, db->conn, err);
    PQclear(res);
    if (!ok)
        return -1;
    db->schema_ok = TRUE;
    return 0;
}

/*
 * pipe_result - the next result of a pipeline (NULL between the results
 * of two statements): 1, 0 at the deadline, -1 when the connection fails
 */
static int pipe_result(PGconn *conn, gint64 deadline, PGresult **res)
{
    for (;;) {
        if (!PQisBusy(conn)) {
            *res = PQgetResult(conn);
            return 1;
        }
        int w = wait_socket(conn, FALSE, deadline);
        if (w <= 0)
            return w;
        if (!PQconsumeInput(conn))
            return -1;
    }
}

/*
 * flush_until - send what libpq holds on a non-blocking connection,
 * reading what the server sends meanwhile (it may answer the first
 * statements before it reads the last): 1, 0 at the deadline, -1
 */
static int flush_until(PGconn *conn, gint64 deadline)
{
    for (;;) {
        int f = PQflush(conn);
        if (f <= 0)
            return f == 0 ? 1 : -1;
        gint64 left = deadline - g_get_monotonic_time();
        if (left <= 0)
            return 0;
        struct pollfd p = {.fd = PQsocket(conn), .events = POLLIN | POLLOUT};
        int rc = poll(&p, 1, (int)MIN(left / 1000 + 1, 60 * 1000));
        if (rc < 0 && errno != EINTR)
            return -1;
        if (rc > 0 && (p.revents & POLLIN) && !PQconsumeInput(conn))
            return -1;
    }
}

/*
 * mxb_db_record_batch - several reports in one pipeline (libpq pipeline
 * mode): one round trip, and one implicit transaction up to the Sync, so
 * one commit for all. All or nothing: if any call fails, none is
 * recorded, and -1 tells the caller to record them one by one (which
 * isolates the one that failed). The connection may be in any state after
 * -1: close it. The connection is non-blocking meanwhile: a statement
 * waiting on a lock stops the server reading the next ones, and sending
 * them must still end at the deadline.
 */
int mxb_db_record_batch(mxb_record_outcome *outs, mxb_db *db, const mxb_db_item *items, guint n,
                        gint64 deadline, GError **err)
{
    PGconn *conn = db->conn;
    record_params *ps = g_new0(record_params, n);
    guint made = 0;
    int rc = -1, w;
    PGresult *res = NULL;
    const char *stmt;

    memset(outs, 0, n * sizeof(*outs));
    if (record_stmt(db, &stmt, deadline, err) < 0)
        goto out;
    for (; made < n; made++) {
        if (!params_init(&ps[made], &items[made], made == 0 && !db->schema_ok, err))
            goto out;
    }
    if (PQsetnonblocking(conn, 1) != 0 || !PQenterPipelineMode(conn)) {
        set_result_error(err, NULL, conn);
        goto out;
    }
    for (guint i = 0; i < n; i++) {
        if (!send_record(conn, stmt, &ps[i], err))
            goto out;
        if ((w = flush_until(conn, deadline)) <= 0)
            goto broken;
    }
    if (!PQpipelineSync(conn)) {
        set_result_error(err, NULL, conn);
        goto out;
    }
    if ((w = flush_until(conn, deadline)) <= 0)
        goto broken;
    gboolean failed = FALSE;
    for (guint i = 0; i < n; i++) {
        /* The statement's result, then NULL. */
        if ((w = pipe_result(conn, deadline, &res)) <= 0 || (res == NULL && (w = -1)))
            goto broken;
        if (!failed && !outcome_of(&outs[i], res, conn, err))
            failed = TRUE;
        PQclear(res);
        for (gboolean more = TRUE; more;) {
            if ((w = pipe_result(conn, deadline, &res)) <= 0)
                goto broken;
            more = res != NULL;
            PQclear(res);
        }
    }
    if ((w = pipe_result(conn, deadline, &res)) <= 0)
        goto broken;
    if (PQresultStatus(res) != PGRES_PIPELINE_SYNC) {
        if (!failed)
            set_result_error(err, res, conn);
        failed = TRUE;
    }
    PQclear(res);
    if (!failed && PQexitPipelineMode(conn) && PQsetnonblocking(conn, 0) == 0) {
        db->schema_ok = TRUE;
        rc = 0;
    } else if (!failed) {
        set_result_error(err, NULL, conn);
    }
    goto out;

broken:
    if (w == 0) {
        cancel(conn);
        g_clear_error(err);
        g_set_error(err, MXB_DB_ERROR, MXB_DB_ERROR_TIMEOUT, "deadline passed during query");
    } else if (err == NULL || *err == NULL) {
        set_result_error(err, NULL, conn);
    }
out:
    for (guint i = 0; i < made; i++)
        params_clear(&ps[i]);
    g_free(ps);
    return rc;
}

/* mxb_db_sync_keys - replace the keys in mxbounce.verp_keys */
int mxb_db_sync_keys(mxb_db *db, GBytes *const *keys, int nkeys, int signing, int *n, GError **err)
{
    PGresult *res;

    *n = 0;
    res = PQexec(db->conn, "BEGIN; DELETE FROM mxbounce.verp_keys");
    if (check_ok(res, db->conn, err) < 0)
        goto rollback;
    PQclear(res);
    for (int id = 0; id < nkeys; id++) {
        if (keys[id] == NULL)
            continue;
        gsize len;
        const char *secret = g_bytes_get_data(keys[id], &len);
        g_autofree char *ids = g_strdup_printf("%d", id);
        const char *values[] = {ids, secret, id == signing ? "t" : "f"};
        const int lengths[] = {0, (int)len, 0};
        const int formats[] = {0, 1, 0};
        res = PQexecParams(db->conn,
                           "INSERT INTO mxbounce.verp_keys (id, secret, signing)"
                           " VALUES ($1, $2, $3)",
                           3, NULL, values, lengths, formats, 0);
        if (check_ok(res, db->conn, err) < 0)
            goto rollback;
        PQclear(res);
        (*n)++;
    }
    res = PQexec(db->conn, "COMMIT");
    if (check_ok(res, db->conn, err) < 0)
        goto rollback;
    PQclear(res);
    return 0;

rollback:
    PQclear(res);
    PQclear(PQexec(db->conn, "ROLLBACK"));
    return -1;
}

/* mxb_db_retention - run the housekeeping function, collect its rows */
int mxb_db_retention(mxb_db *db, gboolean dry_run, GPtrArray **lines, GError **err)
{
    const char *values[] = {dry_run ? "t" : "f"};
    PGresult *res = PQexecParams(db->conn, "SELECT what, n, detail FROM mxbounce.retention($1)", 1,
                                 NULL, values, NULL, NULL, 0);

    *lines = NULL;
    if (check_ok(res, db->conn, err) < 0) {
        PQclear(res);
        return -1;
    }
    *lines = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; i < PQntuples(res); i++)
        g_ptr_array_add(*lines,
                        g_strdup_printf("%s: %s%s%s", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
                                        PQgetisnull(res, i, 2) ? "" : " ", PQgetvalue(res, i, 2)));
    PQclear(res);
    return 0;
}

/* mxb_stored_report_free - free a stored report */
void mxb_stored_report_free(mxb_stored_report *r)
{
    if (r == NULL)
        return;
    g_free(r->queue_id);
    g_free(r->sender);
    g_free(r->recipient);
    g_free(r->original_recipient);
    g_free(r->client_address);
    if (r->raw)
        g_bytes_unref(r->raw);
    g_free(r);
}

/* value_or_null - a text column, NULL for SQL NULL; owned by the caller */
static char *value_or_null(PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : g_strdup(PQgetvalue(res, row, col));
}

/* be64 - a bigint in PostgreSQL's binary format */
static gint64 be64(const char *p)
{
    guint64 v;

    memcpy(&v, p, sizeof(v));
    return (gint64)GUINT64_FROM_BE(v);
}

/* mxb_db_stored_reports - one batch of reports to classify again */
int mxb_db_stored_reports(mxb_db *db, gint64 after_id, gint64 since, gboolean all, int limit,
                          GPtrArray **out, GError **err)
{
    static const char sql[] =
        "SELECT r.id, extract(epoch FROM r.received_at)::bigint, r.queue_id, r.envelope_sender,"
        " r.envelope_recipient, r.original_recipient, r.client_address, m.truncated, m.content"
        " FROM mxbounce.reports r JOIN mxbounce.raw_messages m ON m.sha256 = r.sha256"
        " WHERE r.id > $1 AND r.received_at >= to_timestamp($2)"
        " AND ($3 OR r.classifier_version <> $4)"
        " ORDER BY r.id LIMIT $5";
    g_autofree char *a = g_strdup_printf("%" G_GINT64_FORMAT, after_id);
    g_autofree char *b = g_strdup_printf("%" G_GINT64_FORMAT, since);
    g_autofree char *l = g_strdup_printf("%d", limit);
    const char *values[] = {a, b, all ? "t" : "f", mxb_classifier_version(), l};
    /* Text parameters, binary results: the raw bytes come back as they are. */
    PGresult *res = PQexecParams(db->conn, sql, 5, NULL, values, NULL, NULL, 1);

    *out = NULL;
    if (check_ok(res, db->conn, err) < 0) {
        PQclear(res);
        return -1;
    }
    *out = g_ptr_array_new_with_free_func((GDestroyNotify)mxb_stored_report_free);
    for (int i = 0; i < PQntuples(res); i++) {
        mxb_stored_report *r = g_new0(mxb_stored_report, 1);
        r->id = be64(PQgetvalue(res, i, 0));
        r->received = be64(PQgetvalue(res, i, 1));
        r->queue_id = value_or_null(res, i, 2);
        r->sender = value_or_null(res, i, 3);
        r->recipient = value_or_null(res, i, 4);
        r->original_recipient = value_or_null(res, i, 5);
        r->client_address = value_or_null(res, i, 6);
        r->truncated = *PQgetvalue(res, i, 7) != 0;
        r->raw = g_bytes_new(PQgetvalue(res, i, 8), (gsize)PQgetlength(res, i, 8));
        g_ptr_array_add(*out, r);
    }
    PQclear(res);
    return 0;
}

/* mxb_db_replay_report - one report's new events, in a transaction */
int mxb_db_replay_report(mxb_db *db, gint64 report_id, const char *report_json,
                         const char *events_json, gboolean dry_run, GPtrArray **changes,
                         GError **err)
{
    g_autofree char *id = g_strdup_printf("%" G_GINT64_FORMAT, report_id);
    const char *values[] = {id, report_json, events_json, mxb_classifier_version()};
    PGresult *res;

    *changes = NULL;
    res = PQexec(db->conn, "BEGIN");
    if (check_ok(res, db->conn, err) < 0)
        goto fail;
    PQclear(res);
    res =
        PQexecParams(db->conn, "SELECT change, detail FROM mxbounce.replay_report($1, $2, $3, $4)",
                     4, NULL, values, NULL, NULL, 0);
    if (check_ok(res, db->conn, err) < 0)
        goto fail;
    *changes = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; i < PQntuples(res); i++)
        g_ptr_array_add(*changes,
                        g_strdup_printf("%s: %s", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1)));
    PQclear(res);
    res = PQexec(db->conn, dry_run ? "ROLLBACK" : "COMMIT");
    if (check_ok(res, db->conn, err) < 0)
        goto fail;
    PQclear(res);
    return 0;

fail:
    PQclear(res);
    PQclear(PQexec(db->conn, "ROLLBACK"));
    if (*changes) {
        g_ptr_array_unref(*changes);
        *changes = NULL;
    }
    return -1;
}

/* simple - a parameterless statement with a generous deadline */
static int simple(mxb_db *db, const char *sql, GError **err)
{
    PGresult *res = PQexec(db->conn, sql);
    int rc = check_ok(res, db->conn, err);

    PQclear(res);
    return rc;
}

/* current_version - schema version, 0 when the schema is new */
static int current_version(mxb_db *db, int *version, GError **err)
{
    PGresult *res = PQexec(db->conn, "SELECT coalesce(max(version), 0)"
                                     " FROM mxbounce.schema_migrations");

    if (check_ok(res, db->conn, err) < 0) {
        PQclear(res);
        return -1;
    }
    *version = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return 0;
}

/* mxb_db_migrate - apply pending migrations */
int mxb_db_migrate(mxb_db *db, int *applied, int *version, GError **err)
{
    *applied = 0;
    *version = 0;
    if (simple(db, "SET client_min_messages = warning", err) < 0)
        return -1;
    if (simple(db,
               "CREATE SCHEMA IF NOT EXISTS mxbounce;"
               "CREATE TABLE IF NOT EXISTS mxbounce.schema_migrations ("
               " version integer PRIMARY KEY, name text NOT NULL,"
               " applied_at timestamptz NOT NULL DEFAULT now())",
               err) < 0)
        return -1;
    for (size_t i = 0; i < mxb_migrations_count; i++) {
        const mxb_migration *m = &mxb_migrations[i];
        int cur;

        /* One transaction per migration; the lock makes concurrent
         * migrate runs take turns, the re-read makes them idempotent. */
        if (simple(db, "BEGIN; SELECT pg_advisory_xact_lock(7236711)", err) < 0)
            return -1;
        if (current_version(db, &cur, err) < 0)
            goto rollback;
        if (cur >= m->version) {
            if (simple(db, "COMMIT", err) < 0)
                return -1;
            continue;
        }
        if (simple(db, m->sql, err) < 0)
            goto rollback;
        {
            g_autofree char *v = g_strdup_printf("%d", m->version);
            const char *vals[] = {v, m->name};
            PGresult *res = PQexecParams(db->conn,
                                         "INSERT INTO mxbounce.schema_migrations (version, name)"
                                         " VALUES ($1, $2)",
                                         2, NULL, vals, NULL, NULL, 0);
            int rc = check_ok(res, db->conn, err);
            PQclear(res);
            if (rc < 0)
                goto rollback;
        }
        if (simple(db, "COMMIT", err) < 0)
            return -1;
        (*applied)++;
    }
    return current_version(db, version, err);

rollback:
    PQclear(PQexec(db->conn, "ROLLBACK"));
    return -1;
}

/* mxb_db_query_value - first column of the first row, as text */
int mxb_db_query_value(mxb_db *db, const char *sql, int n, const char *const *values, char **out,
                       GError **err)
{
    PGresult *res = PQexecParams(db->conn, sql, n, NULL, values, NULL, NULL, 0);

    *out = NULL;
    if (check_ok(res, db->conn, err) < 0) {
        PQclear(res);
        return -1;
    }
    if (PQntuples(res) > 0 && PQnfields(res) > 0 && !PQgetisnull(res, 0, 0))
        *out = g_strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return 0;
}

/* mxb_db_schema_version - through the function, which every role may call */
int mxb_db_schema_version(mxb_db *db, int *version, GError **err)
{
    g_autofree char *v = NULL;

    *version = 0;
    if (mxb_db_query_value(db, "SELECT mxbounce.schema_version()", 0, NULL, &v, err) < 0)
        return -1;
    *version = v ? atoi(v) : 0;
    return 0;
}
