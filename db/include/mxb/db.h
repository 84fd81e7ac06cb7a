/*
 * mxb/db.h - PostgreSQL side of mxbounce: connect, record, migrate
 *
 * SYNOPSIS
 *	#include <mxb/db.h>
 *
 * DESCRIPTION
 *	mxb_db_connect() opens one libpq connection with a deadline;
 *	mxb_db_record() writes one parsed report in a single round trip
 *	(the SQL function mxbounce.record_report, one implicit transaction);
 *	mxb_db_migrate() applies the migrations compiled into the program.
 *
 *	Everything goes through PQexecParams with the unnamed statement, so
 *	it works through pgbouncer in transaction mode. No GMime here: the
 *	report arrives as the classifier's plain data (mxb/classify.h).
 *
 * DIAGNOSTICS
 *	Functions return 0 on success, -1 on failure with a GError in the
 *	MXB_DB_ERROR domain; every failure is environmental from the
 *	filter's point of view (the caller defers the message).
 */
#ifndef MXB_DB_H
#define MXB_DB_H

#include <glib.h>

#include <mxb/classify.h>

G_BEGIN_DECLS

/* The schema version this build writes into; older schemas are refused. */
#define MXB_SCHEMA_VERSION 9 /* record_report keeps its commit durable (009) */
/* Bytes of an error of libpq or the server kept for a log line: its
 * first line, cut here (docs/limits.md) */
#define MXB_DB_MESSAGE_MAX 200
/* How long a statement past its deadline waits for the server to take
 * its cancel request (docs/limits.md) */
#define MXB_DB_CANCEL_WAIT_MS 100

#define MXB_DB_ERROR (mxb_db_error_quark())
GQuark mxb_db_error_quark(void);

typedef enum {
    MXB_DB_ERROR_CONNECT, /* could not connect */
    MXB_DB_ERROR_TIMEOUT, /* the deadline passed */
    MXB_DB_ERROR_SCHEMA,  /* schema missing or older than MXB_SCHEMA_VERSION */
    MXB_DB_ERROR_QUERY,   /* anything else the server or libpq said */
    MXB_DB_ERROR_BUSY,    /* a deadlock or serialization failure (40P01,
                           * 40001): rolled back, worth trying again */
} mxb_db_error;

typedef struct mxb_db mxb_db;

/* The envelope Postfix passes in argv; any field may be NULL. */
typedef struct mxb_envelope {
    const char *queue_id;
    const char *sender;
    const char *recipient;
    const char *original_recipient;
    const char *client_address;
} mxb_envelope;

/*
 * How one event is tied to the message that caused it (filter/record.c
 * fills it in from the VERP token; record_report may still match an
 * event with match "none" through the returned Message-ID).
 */
typedef struct mxb_event_link {
    const char *match;   /* "verified", "header" or "none"; static */
    const char *token;   /* verdict on the token tried, NULL when none; static */
    gboolean bound;      /* the token named this recipient */
    gint64 account_id;   /* < 0: unknown */
    gint64 list_id;      /* < 0: unknown */
    gint64 message_ref;  /* < 0: unknown */
    char *recipient_key; /* mxb_address_key() of the recipient, or NULL; owned */
} mxb_event_link;

/* What mxb_db_record() did. */
typedef struct mxb_record_outcome {
    gboolean duplicate; /* the report was already recorded */
    gint64 report_id;
    int n_events;
} mxb_record_outcome;

/*
 * mxb_db_connect - connect before the monotonic deadline (g_get_monotonic_time
 * microseconds); *out owned by the caller, free with mxb_db_close().
 * The conninfo is never put into an error message. quiet: the server's
 * notices are not printed (the filter programs: one line a message).
 */
int mxb_db_connect(mxb_db **out, const char *conninfo, const char *application_name, gboolean quiet,
                   gint64 deadline, GError **err);

/* mxb_db_close - close and free; NULL is fine */
void mxb_db_close(mxb_db *db);

/* One report to record: raw bytes (stored up to raw_len), its dedup
 * hash (32 bytes), the size received, envelope and results; links has
 * one entry per result (NULL: none tied), token is the verdict on the
 * envelope's token (NULL: none). Everything is the caller's. */
typedef struct mxb_db_item {
    const mxb_envelope *env;
    const mxb_report *report;
    const mxb_event_link *links;
    const char *token;
    const unsigned char *sha256;
    const char *raw;
    size_t raw_len;
    size_t received_size;
} mxb_db_item;

/* mxb_db_record - record one report: one statement, one transaction */
int mxb_db_record(mxb_record_outcome *out, mxb_db *db, const mxb_db_item *item, gint64 deadline,
                  GError **err);

/*
 * mxb_db_record_batch - n reports in one round trip and one transaction,
 * all or nothing (libpq pipeline mode). On -1 nothing was recorded and
 * the connection must be closed; record them one by one instead.
 */
int mxb_db_record_batch(mxb_record_outcome *outs, mxb_db *db, const mxb_db_item *items, guint n,
                        gint64 deadline, GError **err);

/*
 * mxb_db_migrate - apply pending migrations, each in its own transaction;
 * *applied counts them. Safe to run concurrently (advisory lock).
 */
int mxb_db_migrate(mxb_db *db, int *applied, int *version, GError **err);

/*
 * mxb_db_sync_keys - make mxbounce.verp_keys hold exactly these keys:
 * keys[id] is the secret of key id or NULL (nkeys entries), signing the
 * id of the signing key or -1; one transaction; *n counts them.
 */
int mxb_db_sync_keys(mxb_db *db, GBytes *const *keys, int nkeys, int signing, int *n, GError **err);

/*
 * mxb_db_retention - mxbounce.retention(): partitions ahead, old
 * partitions and rows dropped (or only counted with dry_run). *lines gets
 * one "what: n [detail]" string per kind of thing; owned by the caller.
 */
int mxb_db_retention(mxb_db *db, gboolean dry_run, GPtrArray **lines, GError **err);

/* A stored report, as mxbounce replay reads it back. */
typedef struct mxb_stored_report {
    gint64 id;
    gint64 received; /* seconds since the epoch */
    char *queue_id;  /* envelope fields: NULL when not recorded */
    char *sender;
    char *recipient;
    char *original_recipient;
    char *client_address;
    gboolean truncated; /* the raw message was cut at the size limit */
    GBytes *raw;
} mxb_stored_report;

/* mxb_stored_report_free - NULL is fine */
void mxb_stored_report_free(mxb_stored_report *r);

/*
 * mxb_db_stored_reports - up to limit reports with id > after_id that came
 * at or after since (seconds since the epoch) and still have their raw
 * message; only those of another classifier version unless all. In id
 * order; *out is a GPtrArray of mxb_stored_report, owned by the caller.
 */
int mxb_db_stored_reports(mxb_db *db, gint64 after_id, gint64 since, gboolean all, int limit,
                          GPtrArray **out, GError **err);

/*
 * mxb_db_replay_report - mxbounce.replay_report() in its own transaction,
 * rolled back when dry_run: replace a report's events by the ones given
 * and derive the suppressions of the addresses involved again. *changes
 * gets one "change: detail" string per change (empty: the events are the
 * same); owned by the caller.
 */
int mxb_db_replay_report(mxb_db *db, gint64 report_id, const char *report_json,
                         const char *events_json, gboolean dry_run, GPtrArray **changes,
                         GError **err);

/*
 * mxb_db_query_value - run sql with n text parameters (a NULL value is
 * SQL NULL) in its own implicit transaction; *out gets the first column of
 * the first row as text, NULL when there is no row or it is null; owned
 * by the caller. For the admin commands, which get JSON from SQL. A
 * failure's message starts with the SQLSTATE ("MXB03 ERROR: ...").
 */
int mxb_db_query_value(mxb_db *db, const char *sql, int n, const char *const *values, char **out,
                       GError **err);

/* mxb_db_schema_version - mxbounce.schema_version(): the newest migration
 * applied (any role may ask) */
int mxb_db_schema_version(mxb_db *db, int *version, GError **err);

/* mxb_db_report_json - the report-level JSON the record call sends; owned
 * by the caller. Public for tests. */
char *mxb_db_report_json(const mxb_envelope *env, const mxb_report *report, const char *token);

/* mxb_db_events_json - the per-recipient JSON array; owned by the caller */
char *mxb_db_events_json(const mxb_report *report, const mxb_event_link *links);

/* One embedded migration (generated from db/sql at build time). */
typedef struct mxb_migration {
    int version;
    const char *name;
    const char *sql;
} mxb_migration;

extern const mxb_migration mxb_migrations[];
extern const size_t mxb_migrations_count;

G_END_DECLS

#endif
