/*
 * mxb/classify.h - parse a returned report and classify every recipient
 *
 * SYNOPSIS
 *	#include <mxb/classify.h>
 *
 *	int mxb_report_parse(mxb_report **out, const char *p, size_t len,
 *			     const mxb_limits *limits);
 *	void mxb_report_free(mxb_report *report);
 *
 * DESCRIPTION
 *	mxb_report_parse() reads one message as it came back to the bounce
 *	address (bytes, not NUL-terminated, mbox "From " line allowed, lines
 *	ended by LF, CRLF or CR alone), walks its MIME tree with GMime and returns one
 *	mxb_result per recipient the report speaks of: DSN action, RFC 3463
 *	status, SMTP reply code, diagnostic text, MTAs, and the kind, class
 *	and reason of the taxonomy (docs/taxonomy.md).
 *
 *	Every string in a result is valid UTF-8 without control characters,
 *	capped by the limits, so it can go to JSON, syslog or SQL as it is.
 *
 *	The classifier does no I/O besides reading what it is handed.
 *
 * DIAGNOSTICS
 *	mxb_report_parse() returns 0 and a report for every input, garbage
 *	included (kind MXB_KIND_UNPARSEABLE, report->problem says why); it
 *	returns -1 only when it cannot allocate.
 */
#ifndef MXB_CLASSIFY_H
#define MXB_CLASSIFY_H

#include <glib.h>
#include <stddef.h>

G_BEGIN_DECLS

/*
 * Version of the classification rules, stored with every event so that
 * stored raw reports can be classified again when the rules improve.
 * Bump it whenever a rule, a table or the parser's output changes.
 */
#define MXB_CLASSIFIER_VERSION "2026.11.28.70"

/* Limits. Each default has its reason beside it (docs/limits.md). */

/* Postfix's own message_size_limit default; reports are small. */
#define MXB_DEFAULT_MAX_MESSAGE (10u * 1024u * 1024u)
/* Real reports nest 3 deep (gateway, report, returned message). */
#define MXB_DEFAULT_MAX_DEPTH 16
/* A DSN has 2-4 parts; a returned message rarely more than 50. */
#define MXB_DEFAULT_MAX_PARTS 512
/* Postfix's default smtp recipient limit is 50 per report batch; the
 * corpus maximum is 7. Recipients past this are dropped and logged. */
#define MXB_DEFAULT_MAX_RECIPIENTS 500
/* One DSN field after unfolding (RFC 5322 line limit x 4). */
#define MXB_DEFAULT_MAX_FIELD 4000
/* Diagnostic text kept per recipient (multi-line SMTP replies). */
#define MXB_DEFAULT_MAX_DIAGNOSTIC 2000
/* Decoded size of one status part: a report with 500 recipients
 * needs about 500 KB. */
#define MXB_DEFAULT_MAX_STATUS_PART (1024u * 1024u)

/* One header field of the message's own header, with its folded lines:
 * Postfix's header_size_limit default, so that mxbounce keeps what Postfix
 * itself would have kept of a message it received over SMTP. */
#define MXB_DEFAULT_MAX_HEADER (100u * 1024u)
/* Header fields and boundary lines in a whole message: real reports have
 * under 400; GMime spends about half a kilobyte on each. */
#define MXB_DEFAULT_MAX_STRUCTURE_LINES 10000
/* Steps of all the local rules' matches for one report (classify/local.c:
 * items tried, counted by a PCRE2 callout, characters moved over, text
 * scanned): past them the match is abandoned and the rest of the report
 * is read by the built-in rules alone (also past MXB_LOCAL_RULE_TIME_US) */
#define MXB_DEFAULT_MAX_LOCAL_STEPS 10000000

/* Decoded text of a plain-text report that is searched for recipients
 * (not configurable): the human part of real reports is under 8 KB;
 * longer text is a returned message the markers missed. */
#define MXB_TEXT_MAX (64u * 1024u)

typedef struct mxb_limits {
    size_t max_message; /* bytes read from the input */
    unsigned max_depth; /* MIME nesting, message/rfc822 included */
    unsigned max_parts; /* MIME parts visited */
    unsigned max_recipients;
    size_t max_field;           /* one unfolded DSN field */
    size_t max_diagnostic;      /* diagnostic text kept */
    size_t max_status_part;     /* decoded size of one delivery-status part */
    size_t max_header;          /* one header field with its folded lines */
    size_t max_structure_lines; /* header fields and boundary lines in all */
    size_t max_local_steps;     /* steps of the local rules' matches, one report */
} mxb_limits;

/* mxb_limits_default - fill in the compiled-in defaults */
void mxb_limits_default(mxb_limits *limits);

typedef enum {
    MXB_KIND_BOUNCE = 0, /* delivery failed (Action: failed) */
    MXB_KIND_DELAYED,
    MXB_KIND_DELIVERED, /* delivered, relayed, expanded */
    MXB_KIND_COMPLAINT,
    MXB_KIND_AUTO_REPLY,
    MXB_KIND_CHALLENGE,
    MXB_KIND_MDN,
    MXB_KIND_FEEDBACK, /* a feedback report that is no complaint (not-spam, auth-failure) */
    MXB_KIND_NOT_BOUNCE,
    MXB_KIND_UNPARSEABLE,
} mxb_kind;

typedef enum {
    MXB_CLASS_NONE = 0,
    MXB_CLASS_HARD,
    MXB_CLASS_SOFT,
    MXB_CLASS_BLOCK,
} mxb_class;

typedef enum {
    MXB_REASON_NONE = 0,
    MXB_REASON_USER_UNKNOWN,
    MXB_REASON_DOMAIN_UNKNOWN,
    MXB_REASON_NOT_ACCEPTING,
    MXB_REASON_MOVED,
    MXB_REASON_MAILBOX_DISABLED,
    MXB_REASON_MAILBOX_FULL,
    MXB_REASON_TOO_LARGE,
    MXB_REASON_EXPIRED,
    MXB_REASON_NETWORK_ERROR,
    MXB_REASON_SYSTEM_ERROR,
    MXB_REASON_UNDETERMINED,
    MXB_REASON_REPUTATION,
    MXB_REASON_CONTENT_REJECTED,
    MXB_REASON_AUTH_FAILURE,
    MXB_REASON_RATE_LIMITED,
    MXB_REASON_SENDER_REJECTED,
    MXB_REASON_COUNT
} mxb_reason;

/* The SMTP phase at which the remote server refused, as the report's
 * words say: Postfix's "(in reply to RCPT TO command)", Exim's "SMTP
 * error from remote mail server after MAIL FROM:<...>". */
typedef enum {
    MXB_PHASE_UNKNOWN = 0, /* the words do not say */
    MXB_PHASE_CONNECT,     /* the greeting, before anything was sent */
    MXB_PHASE_HELO,        /* EHLO, HELO or LHLO */
    MXB_PHASE_MAIL,        /* MAIL FROM */
    MXB_PHASE_RCPT,        /* RCPT TO */
    MXB_PHASE_DATA,        /* the DATA command */
    MXB_PHASE_END_OF_DATA  /* the end of the message: the recipient was
                            * accepted at RCPT */
} mxb_phase;

/* Flags on a report: what the limits cut off. */
#define MXB_REPORT_TRUNCATED_INPUT (1u << 0)      /* message longer than max_message */
#define MXB_REPORT_TRUNCATED_RECIPIENTS (1u << 1) /* more than max_recipients */
#define MXB_REPORT_TRUNCATED_PARTS (1u << 2)      /* more than max_parts or max_depth */
#define MXB_REPORT_TRUNCATED_FIELD (1u << 3)      /* a field or diagnostic was cut */
#define MXB_REPORT_LOCAL_RULES_CUT                                                                 \
    (1u << 4) /* the local rules' budget of steps                                                  \
               * was spent (max_local_steps): the                                                  \
               * rest was read by the built-in rules */

typedef struct mxb_result {
    mxb_kind kind;
    char *recipient;          /* NULL when the report names none */
    char *original_recipient; /* NULL when absent */
    char *action;             /* DSN action, lower case, NULL when absent */
    char *status;             /* "5.1.1", validated, NULL when none */
    char *field_status;       /* the DSN Status field when status came from
                               * the diagnostic text instead, else NULL */
    int smtp_code;            /* 0 when none */
    char *diagnostic;         /* remote server's words, NULL when none */
    char *remote_mta;
    char *reporting_mta;
    mxb_class klass;
    mxb_reason reason;
    char *mta;           /* which software wrote the report, NULL if unknown */
    char *feedback_type; /* ARF Feedback-Type, NULL otherwise */
    char *last_attempt;  /* Last-Attempt-Date as written, NULL when absent */
    char *will_retry_until;
    gboolean at_once;    /* the report's Arrival-Date and this recipient's
                          * Last-Attempt-Date are less than
                          * MXB_GAVE_UP_AT_ONCE seconds apart: it did not
                          * wait in a queue (FALSE when either is absent) */
    mxb_phase phase;     /* where the server refused it, from the report's
                          * text part when its diagnostic does not say */
    gboolean to_program; /* the report says it was delivered to a local
                          * program ("|/usr/bin/procmail"), whose failure
                          * is the receiving system's */
    gboolean no_mailbox; /* the Final-Recipient's type names no Internet
                          * mailbox ("x400; C=au;...", "unknown; nair_s"):
                          * without an '@' it is read against the text,
                          * then cleared, the report naming nobody */
    guint local_rule;    /* set by mxb_classify: the operator's local rule
                          * that gave the reason, 1 for the file's first
                          * (mxb_local_rule_name), 0 for none */
    gboolean code_only;  /* set by mxb_classify: neither words, an exact
                          * code nor the phase gave the reason; a code's
                          * subject, the reply code or nothing did */
} mxb_result;

/* The header in which the sending platform may repeat its VERP token, so
 * that reports sent elsewhere than to the envelope sender (feedback-loop
 * complaints) can be tied to the message (docs/verp.md). */
#define MXB_PLATFORM_HEADER "X-Mxbounce-Token"

typedef struct mxb_report {
    GPtrArray *results; /* of mxb_result *, never empty after parse */
    char *envelope_id;  /* Original-Envelope-Id */
    char *subject;      /* of the report itself */
    char *from;         /* of the report itself */
    char *orig_message_id;
    char *platform_token; /* MXB_PLATFORM_HEADER of the returned message */
    unsigned flags;       /* MXB_REPORT_* */
    char *problem;        /* why the report is unparseable or truncated, or NULL */
    gboolean null_sender; /* it came from the null sender (the envelope's,
                           * else its Return-Path: <>) */
} mxb_report;

/*
 * mxb_classify_set_optimize - compile the classifier's regular expressions
 * to machine code (PCRE2 JIT) and read the text rules' prefilter
 * (classify/rx.h). Worth it in a process that classifies many messages
 * (mxbounced, mxbounce classify over many files): a batch runs about 30%
 * faster with the JIT, about a fifth more with the prefilter. A process
 * that classifies one message is faster
 * without: the compilation costs about 2 ms, where without it the rules
 * come precompiled from the build (docs/taxonomy.md, "How the rules are
 * compiled"). Call it before the first parse; later calls change nothing.
 * Off by default.
 */
void mxb_classify_set_optimize(gboolean on);

/*
 * Local rules: an operator's own readings of receivers' words, tried in
 * the order of their file before every built-in rule (classify/local.c;
 * docs/configuration.md, "Local rules"). The file is a GKeyFile whose
 * every group is a rule: reason (a name of docs/taxonomy.md), pattern
 * (PCRE on the stored diagnostic, case-insensitive), domains (optional,
 * ';'-separated: the rule reads only recipients of these domains).
 */
#define MXB_LOCAL_RULES_MAX 1000         /* rules (groups) in one file */
#define MXB_LOCAL_RULES_FILE_MAX 1048576 /* bytes of the file (1 MiB) */
#define MXB_LOCAL_RULE_PATTERN_MAX 4096  /* bytes of one pattern */
#define MXB_LOCAL_RULE_DOMAINS_MAX 100   /* domains of one rule */
/* Heap of one match of a local pattern, KiB: past it, no match, and the
 * match counts MXB_LOCAL_RULE_HEAP_STEPS steps more (the frames it grew
 * cost about 10 ms to copy and free) */
#define MXB_LOCAL_RULE_HEAP_KIB 20000
#define MXB_LOCAL_RULE_HEAP_STEPS 1000000
/* Time one report's local rules may match, microseconds: past it their
 * budget is spent, as past max_local_steps (a step is not a fixed time) */
#define MXB_LOCAL_RULE_TIME_US 500000
/* Groups that capture in one local pattern: each makes every step of a
 * match dearer (1,360 made a step 15 times as dear) */
#define MXB_LOCAL_RULE_GROUPS_MAX 32

typedef struct mxb_local_rules mxb_local_rules;

/* mxb_local_rules_parse - compile the rules of a file's text (the
 * programs read the file: mxb_local_rules_read in mxb/config.h); NULL and
 * *err, naming the rule when one is wrong, on any error */
mxb_local_rules *mxb_local_rules_parse(const char *text, size_t len, GError **err);
mxb_local_rules *mxb_local_rules_ref(mxb_local_rules *rules);
void mxb_local_rules_unref(mxb_local_rules *rules); /* NULL is fine */
guint mxb_local_rules_count(const mxb_local_rules *rules);

/*
 * mxb_classify_set_local_rules - the rules this process classifies with
 * (a reference is kept; NULL or no rule: none). Call it before any
 * thread classifies, as mxb_classify_set_optimize.
 */
void mxb_classify_set_local_rules(mxb_local_rules *rules);

/*
 * mxb_classifier_version - the version every event records:
 * MXB_CLASSIFIER_VERSION, followed with local rules by "+local." and 12
 * hex digits of a SHA-256 of what the rules say (reasons, patterns and
 * domains in order), so that a change of them is a change of version.
 */
const char *mxb_classifier_version(void);

/* mxb_local_rule_name - the name (group) of the n-th rule of the rules
 * this process classifies with, 1 for the first; NULL for 0, past the
 * last, or with none (an mxb_result's local_rule) */
const char *mxb_local_rule_name(guint n);

/* mxb_report_parse - parse and classify; *out is owned by the caller */
int mxb_report_parse(mxb_report **out, const char *p, size_t len, const mxb_limits *limits);

/*
 * mxb_report_parse_envelope - the same, with the envelope sender the MTA
 * saw: "" (or "<>") for the null sender that reports use, an address
 * otherwise, NULL when unknown (then a "Return-Path: <>" field, as a
 * mailbox file keeps it, says the same; Postfix removes that field from
 * mail it receives, so the filter passes the envelope).
 */
int mxb_report_parse_envelope(mxb_report **out, const char *p, size_t len, const mxb_limits *limits,
                              const char *envelope_sender);

/* mxb_report_free - free a report and its results; NULL is fine */
void mxb_report_free(mxb_report *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(mxb_report, mxb_report_free)

const char *mxb_kind_name(mxb_kind kind);
const char *mxb_class_name(mxb_class klass);    /* NULL for MXB_CLASS_NONE */
const char *mxb_reason_name(mxb_reason reason); /* NULL for MXB_REASON_NONE */
/* mxb_reason_class - the class a reason belongs to */
mxb_class mxb_reason_class(mxb_reason reason);

/*
 * Lower-level pieces, public for the tests and the fuzzers.
 */

/* One "Name: value" field of a DSN block, value unfolded. */
typedef struct mxb_dsn_field {
    char *name;  /* as written */
    char *value; /* unfolded, trimmed; comments kept */
} mxb_dsn_field;

/* One block (per-message or per-recipient) of a delivery-status part. */
typedef struct mxb_dsn_block {
    GPtrArray *fields; /* of mxb_dsn_field * */
} mxb_dsn_block;

/*
 * mxb_dsn_parse_blocks - split a message/delivery-status body into blocks
 *
 * Returns a new array of mxb_dsn_block * (owned by the caller, free with
 * g_ptr_array_unref); lines without a colon are skipped; each value is cut
 * at max_field bytes (*truncated is then set, if not NULL).
 */
GPtrArray *mxb_dsn_parse_blocks(const char *p, size_t len, size_t max_field, gboolean *truncated);

/* mxb_dsn_block_get - first value of a field, case-insensitive, or NULL */
const char *mxb_dsn_block_get(const mxb_dsn_block *block, const char *name);

/*
 * mxb_dsn_strip_comments - copy of s without RFC 5322 (comments),
 * whitespace-trimmed; owned by the caller.
 */
char *mxb_dsn_strip_comments(const char *s);

/*
 * mxb_dsn_address - the address of "rfc822; <a@b>" or "utf-8; a@b", without
 * type, comments and angle brackets; NULL when nothing is left. Owned by
 * the caller.
 */
char *mxb_dsn_address(const char *value);

/*
 * mxb_status_parse - validate an RFC 3463 status code at the start of s
 * (after optional spaces). On success writes the canonical "c.s.d" into
 * out (at least 12 bytes) and returns TRUE.
 */
gboolean mxb_status_parse(const char *s, char out[12]);

/*
 * mxb_status_find - first RFC 3463 code in free text whose class is 2, 4
 * or 5, e.g. in "550 5.1.1 <a@b>: user unknown". Returns TRUE and writes
 * the code into out.
 */
gboolean mxb_status_find(const char *text, char out[12]);

/*
 * mxb_status_find_best - the code the remote server gave: the first one
 * right after an SMTP reply code ("550 5.7.1", "550-'5.7.1"), else the
 * first one at all.
 */
gboolean mxb_status_find_best(const char *text, char out[12]);

/* mxb_failure_status_find - as mxb_status_find_best, of the failure
 * classes (4, 5) only: in a failure's words a success code is a version
 * number ("Mailman 2.0.12") or another recipient's line */
gboolean mxb_failure_status_find(const char *text, char out[12]);

/* mxb_smtp_code_find - first SMTP reply code (2xx-5xx) in free text, or 0 */
int mxb_smtp_code_find(const char *text);

/* mxb_smtp_failure_code_find - the same, 4xx and 5xx only (free text of a
 * failure, where "222 bytes" is no reply) */
int mxb_smtp_failure_code_find(const char *text);

/* mxb_reply_code_at - p (before end) opens with a failure reply code and a
 * space or '-' ("550 ", "421-"): a line of a server's reply */
gboolean mxb_reply_code_at(const char *p, const char *end);

/*
 * mxb_classify - set klass and reason of a failed result from its status,
 * SMTP code and diagnostic text (classify/rules.c).
 */
void mxb_classify(mxb_result *result);

/* mxb_classify_text - the reason that the diagnostic-text rules give, or
 * MXB_REASON_NONE */
mxb_reason mxb_classify_text(const char *text);

/*
 * mxb_report_content_offset - where the report's own content starts: after
 * lines of white space only above a header, an mbox "From " line and the
 * fields a receiving MTA and its filters put on top (Received,
 * Return-Path, Delivered-To, X-Original-To, Received-SPF,
 * Authentication-Results, ARC-*, spam and virus stamps: trace_names in
 * parse.c). Two deliveries of
 * the same report by different paths differ only before this offset, so
 * the dedup hash is taken from here.
 */
size_t mxb_report_content_offset(const char *p, size_t len);

/* mxb_text_clean - valid UTF-8, no control characters, at most max bytes
 * (cut at a character boundary); owned by the caller. *cut set if cut. */
char *mxb_text_clean(const char *p, size_t len, size_t max, gboolean *cut);

G_END_DECLS

#endif
