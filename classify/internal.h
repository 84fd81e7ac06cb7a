/*
 * internal.h - helpers shared by the classify library's files
 */
#ifndef MXB_CLASSIFY_INTERNAL_H
#define MXB_CLASSIFY_INTERNAL_H

#include <gmime/gmime.h>

#include <mxb/classify.h>

/* mxb_regex_optimize - G_REGEX_OPTIMIZE (PCRE2's JIT) when the process
 * asked for it with mxb_classify_set_optimize(), else 0 */
GRegexCompileFlags mxb_regex_optimize(void);

/* mxb_mailbox_addr - the addr-spec of a mailbox that has a domain (GMime's
 * at > 0), else NULL (borrowed) */
const char *mxb_mailbox_addr(InternetAddress *ia);
/* mxb_first_mailbox - the first addr-spec of an address list (borrowed
 * from it), or NULL; NULL list is fine */
const char *mxb_first_mailbox(InternetAddressList *list);

/* mxb_report_note - set a MXB_REPORT_* flag and remember the first problem */
void mxb_report_note(mxb_report *report, unsigned flag, const char *problem);

/* mxb_result_add - a new result owned by the report, or NULL when full */
mxb_result *mxb_result_add(mxb_report *report, const mxb_limits *limits, mxb_kind kind);

/* mxb_clean_field - mxb_text_clean of a C string, NULL for NULL or empty */
char *mxb_clean_field(mxb_report *report, const char *s, size_t max);

/* mxb_part_bytes - decoded content of a leaf part, capped at max: decoding
 * stops there (docs/limits.md, "decoded size") */
GByteArray *mxb_part_bytes(GMimePart *part, size_t max, gboolean *cut);

/* mxb_part_text - decoded text of a text part, converted from its charset
 * to UTF-8, capped at max bytes and NUL-terminated; NULL for another kind
 * of part. cut may be NULL. */
char *mxb_part_text(GMimeObject *obj, size_t max, gboolean *cut);

/* Charset names whose converter to UTF-8 stays open for the process
 * (classify/parse.c, pin_charset): real mail uses a dozen. */
#define MXB_CHARSET_PINS_MAX 32u
/* ... and the longest name kept (IANA's longest is 45 bytes), so that the
 * table holds at most 32 short strings whatever messages say */
#define MXB_CHARSET_NAME_MAX 64u

/* A report that failed a recipient with a temporary status less than
 * this many seconds after the message arrived (its Arrival-Date and
 * Last-Attempt-Date) gave up at once: the reporter did not retry until
 * its queue lifetime ran out, so the reason is the words', not expired
 * (classify/rules.c). Queue lifetimes are hours to days; Gmail fails a
 * domain without MX or address records within a second, under 4.0.0. */
#define MXB_GAVE_UP_AT_ONCE 600

/* How far after a recipient's address, in its paragraph of a Postfix or
 * Exim report's text, the SMTP phase ("in reply to end of DATA command",
 * "after EHLO") is looked for (classify/parse.c, phase_from_text): both
 * write it within the one reply they quote, a few hundred bytes. */
#define MXB_PHASE_SCAN_MAX 1000u

/* The words that name the SMTP phase of a refusal, one PCRE group for
 * mxb_phase_of(): Postfix's "(in reply to RCPT TO command)", Exim's
 * "SMTP error from remote mail server after MAIL FROM:<...>", qmail's
 * "failed after I sent the message", "failed on DATA command",
 * "Connected to ... but sender was rejected" (or "but greeting failed",
 * "but my name was rejected"). */
#define MXB_PHASE_WORDS                                                                            \
    "(in\\s+reply\\s+to\\s+(end\\s+of\\s+data|data|rcpt\\s+to|mail\\s+from|(ehlo|helo|lhlo))\\s+"  \
    "command"                                                                                      \
    "|after\\s+end\\s+of\\s+data|remote\\s+mail(er|\\s+server)\\s+after\\s+(initial\\s+"           \
    "connection|end\\s+of\\s+data|data\\b"                                                         \
    "|(pipelined\\s+)?(rcpt\\s+to|mail\\s+from)|(ehlo|helo|lhlo)\\b)"                              \
    "|failed\\s+after\\s+i\\s+sent\\s+the\\s+message|failed\\s+on\\s+data\\s+command"              \
    "|\\bbut\\s+(sender\\s+was\\s+rejected|greeting\\s+failed|my\\s+name\\s+was\\s+rejected))"

/* The patterns of nonstandard.c, compiled with the rules at build time
 * (rules.c, rx.h): the subjects and words of reports, replies and
 * challenges. Matched on UTF-8, case-insensitive. */
typedef enum {
    MXB_PATTERN_REPLY_PREFIX,
    MXB_PATTERN_BOUNCE_SUBJECT,
    MXB_PATTERN_AUTO_REPLY_SUBJECT,
    MXB_PATTERN_DELAY_SUBJECT,
    MXB_PATTERN_CHALLENGE,
    MXB_PATTERN_CHALLENGE_SIGNED,
    MXB_PATTERN_QUEUE_RETRYING,
    MXB_PATTERN_FAILURE,
    MXB_PATTERN_SUCCESS,
    MXB_PATTERN_NOT_SUCCESS,
    MXB_PATTERN_SUCCESS_SUBJECT,
    MXB_PATTERN_FAILURE_PREFIX,
    MXB_PATTERN_QUARANTINE_SUBJECT,
    MXB_PATTERN_LIST_REFUSAL,
    MXB_PATTERN_LIST_HELD,
    MXB_PATTERN_COUNT
} mxb_pattern;

/* nonstandard.c: whether a From header names a mail system
 * ("MAILER-DAEMON", "postmaster", "Mail Delivery System", ...) */
gboolean mxb_from_daemon(const char *from);

/* rules.c: whether DNS names a (alen bytes) and b are equal, or one is
 * a parent of the other */
gboolean mxb_same_or_parent(const char *a, size_t alen, const char *b);

/* nonstandard.c: the kind of a feedback report of this type (lower case,
 * or NULL): a complaint, or feedback for not-spam and auth-failure */
mxb_kind mxb_feedback_kind(const char *type);

/* parse.c: mxb_is_returned_type - the returned message or its headers
 * (message/rfc822, message/global, text/ and message/rfc822-headers,
 * message/global-headers) */
gboolean mxb_is_returned_type(GMimeObject *obj);

/* text.c: mxb_line_start - the start of the line in text that holds p */
const char *mxb_line_start(const char *text, const char *p);

/* text.c: mxb_labelled - p, after blanks and quoting '>', opens with one of the n
 * names (ASCII case ignored), blanks and a colon (ASCII or full-width) */
gboolean mxb_labelled(const char *p, const char *const *names, size_t n);

/* text.c: mxb_field_line - the line at p quotes a header field of the returned
 * message ("Subject: ...", "To: ...") */
gboolean mxb_field_line(const char *p);

/* text.c: text without the lines that quote a header field of the
 * returned message ("Subject: ...", "To: ..."); owned by caller */
char *mxb_without_field_lines(const char *text);

/* mxb_pattern_text - the pattern itself (nonstandard.c) */
const char *mxb_pattern_text(mxb_pattern p);

/* mxb_pattern_match - whether text matches the pattern (rules.c); a text
 * that is not valid UTF-8 is made so first (U+FFFD for each bad byte) */
gboolean mxb_pattern_match(mxb_pattern p, const char *text);

/* mxb_phase_of - the phase that words matched by MXB_PHASE_WORDS name */
mxb_phase mxb_phase_of(const char *words);

/* mxb_phase_within - the phase MXB_PHASE_WORDS name in text when the
 * first of them start no further than limit bytes into it (the words may
 * run past it; PCRE2_UNSET: anywhere), else MXB_PHASE_UNKNOWN */
mxb_phase mxb_phase_within(const char *text, size_t limit);

/* mxb_charset_pins - how many charset names are kept (for the tests) */
guint mxb_charset_pins(void);

/* The returned message's headers read when only a text part carries them
 * (text/rfc822-headers): real ones are a few KB. */
#define MXB_RETURNED_MAX (256u * 1024u)

/* HTML read from a text/html part to find its text: markup and style
 * sheets are most of it, so four times the text it may give. */
#define MXB_HTML_MAX (4u * MXB_TEXT_MAX)

/* mxb_gmime_parse - a GMime message from bytes (LF or CRLF); caller unrefs */
GMimeMessage *mxb_gmime_parse(const char *p, size_t len);

/* Colons in one header field's value, or in an address list read from
 * text. GMime's address parser calls itself once for every group a group
 * opens ("To: g:g:g:...;"), so 45,000 of them (90 KB, under max_header)
 * overflowed an 8 MB stack. Past this many, the field is read only up to
 * the colon one past the limit. Real fields have a few (a DKIM-Signature's
 * h= list some dozens). */
#define MXB_FIELD_COLONS_MAX 1000

/* mxb_colon_cut - offset of the colon one past MXB_FIELD_COLONS_MAX in
 * p[0..len), or len when there are no more than that */
size_t mxb_colon_cut(const char *p, size_t len);

/* mxb_address_list_parse - internet_address_list_parse(NULL, value) of
 * no more than MXB_FIELD_COLONS_MAX colons (the rest is not read); NULL
 * when the value names no address. Caller unrefs. */
InternetAddressList *mxb_address_list_parse(const char *value);

/* mxb_guess_mta - which software wrote a DSN, from its per-message block
 * and the recipients' blocks (blocks from first on; blocks may be NULL) */
const char *mxb_guess_mta(const mxb_dsn_block *per_message, const GPtrArray *blocks, guint first);

/* mxb_report_part - handle a non-delivery report part of multipart/report
 * (feedback-report, disposition-notification); TRUE if it was one */
gboolean mxb_report_part(mxb_report *report, const mxb_limits *limits, GMimeObject *part);

/* mxb_text_bounce - recipients of a human-readable bounce (text.c); TRUE
 * when it added results. failed: X-Failed-Recipients, may be NULL.
 * named_only: only addresses the text names (not, as a last resort, the
 * returned message's one To:). */
gboolean mxb_text_bounce(mxb_report *report, const mxb_limits *limits, GMimeMessage *msg,
                         const char *failed, gboolean delayed, gboolean named_only);

/* mxb_text_verdict - diagnostic, status and reply code of r, a result
 * that names nobody, from the report's text (text.c); the caller
 * classifies r */
void mxb_text_verdict(mxb_report *report, const mxb_limits *limits, GMimeMessage *msg,
                      mxb_result *r);

/* mxb_ses_notification - an Amazon SES notification (JSON) mailed to us;
 * TRUE when it added results (ses.c) */
gboolean mxb_ses_notification(mxb_report *report, const mxb_limits *limits, GMimeMessage *msg);

/* mxb_subject_says_delay - the subject of a delay warning (nonstandard.c) */
gboolean mxb_subject_says_delay(const char *subject);

/* mxb_nonstandard - classify a message that has no status part */
void mxb_nonstandard(mxb_report *report, const mxb_limits *limits, GMimeMessage *msg,
                     gboolean null_sender);

/* mxb_local_reason - the reason of the first local rule that reads r
 * (local.c), and its number in *rule (1 for the first); MXB_REASON_NONE
 * when none does or none is set */
mxb_reason mxb_local_reason(const mxb_result *r, guint *rule);
/* mxb_local_rules_new_report - a new report: this thread's budget of
 * steps (mxb_limits.max_local_steps) starts again
 * (mxb_report_parse_envelope) */
void mxb_local_rules_new_report(size_t max_steps);
/* mxb_local_rules_steps - the steps this thread's report has spent */
guint64 mxb_local_rules_steps(void);
/* mxb_local_rules_spent - whether they passed its budget */
gboolean mxb_local_rules_spent(void);

#endif
