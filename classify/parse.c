/*
 * parse.c - walk a returned message's MIME tree and collect the results
 *
 * DESCRIPTION
 *	mxb_report_parse() turns the bytes Postfix hands over into an
 *	mxb_report. GMime parses the MIME structure; the walk descends into
 *	multiparts and message/rfc822 parts itself (g_mime_message_foreach
 *	does not), so nested reports are found. In a multipart/report whose
 *	status part was found, the returned message is read for its headers
 *	only: a bounce of a bounce must not count twice.
 *
 *	Formats handled here: RFC 6522 multipart/report with RFC 3464
 *	message/delivery-status or RFC 6533 message/global-delivery-status,
 *	the returned message/rfc822, message/global, text/rfc822-headers and
 *	message/global-headers parts. A message without a status part is
 *	classified by its headers (classify/nonstandard.c).
 *
 * LIMITS
 *	max_depth and max_parts stop the walk; max_recipients stops adding
 *	results; max_field and max_diagnostic cut text. Every cut sets a
 *	MXB_REPORT_TRUNCATED_* flag and report->problem.
 */
#include <string.h>

#include <gmime/gmime.h>

#include "internal.h"

typedef struct walk_ctx {
    const mxb_limits *limits;
    mxb_report *report;
    unsigned parts;
    gboolean have_status;   /* a status part was found anywhere */
    gboolean status_fields; /* and one of them held a field */
    char *returned_one;     /* the one To: address of a report's returned message whose
                             * status part named nobody (owned) */
    const char *failed;     /* the message's X-Failed-Recipients (borrowed), or NULL */
    GHashTable *notes;      /* mxb_result * -> the comment of its Status field
                             * (owned), when its block had no Diagnostic-Code */
} walk_ctx;

static void walk(walk_ctx *ctx, GMimeObject *obj, unsigned depth);

#ifdef MXB_GMIME_WITHOUT_GIO
/*
 * g_mime_stream_gio_get_type - GMime's GIO stream, which g_mime_init()
 * registers and nothing here makes. With GMime linked statically this
 * definition is the one the linker finds, so the archive's GIO stream,
 * and with it GIO and the libraries GIO loads, stay out of the program
 * (CMakeLists.txt, MXB_STATIC_GMIME). A program that did make a GIO
 * stream would pull the archive's definition too and fail to link.
 */
GType g_mime_stream_gio_get_type(void)
{
    return G_TYPE_INVALID;
}
#endif

/* gmime_init_once - GMime wants one g_mime_init() per process */
static void gmime_init_once(void)
{
    static gsize done = 0;

    if (g_once_init_enter(&done)) {
        g_mime_init();
        g_once_init_leave(&done, 1);
    }
}

/* result_free - free one mxb_result */
static void result_free(gpointer data)
{
    mxb_result *r = data;

    g_free(r->recipient);
    g_free(r->original_recipient);
    g_free(r->action);
    g_free(r->status);
    g_free(r->field_status);
    g_free(r->diagnostic);
    g_free(r->remote_mta);
    g_free(r->reporting_mta);
    g_free(r->mta);
    g_free(r->feedback_type);
    g_free(r->last_attempt);
    g_free(r->will_retry_until);
    g_free(r);
}

/* mxb_report_free - free a report */
void mxb_report_free(mxb_report *report)
{
    if (report == NULL)
        return;
    g_ptr_array_unref(report->results);
    g_free(report->envelope_id);
    g_free(report->subject);
    g_free(report->from);
    g_free(report->orig_message_id);
    g_free(report->platform_token);
    g_free(report->problem);
    g_free(report);
}

/* mxb_report_note - remember the first problem and set a flag */
void mxb_report_note(mxb_report *report, unsigned flag, const char *problem)
{
    report->flags |= flag;
    if (report->problem == NULL)
        report->problem = g_strdup(problem);
}

/* mxb_result_new - an empty result, added to the report unless full;
 * returns NULL (and notes it) when max_recipients is reached. The report
 * owns the result. */
mxb_result *mxb_result_add(mxb_report *report, const mxb_limits *limits, mxb_kind kind)
{
    mxb_result *r;

    if (report->results->len >= limits->max_recipients) {
        mxb_report_note(report, MXB_REPORT_TRUNCATED_RECIPIENTS, "too many recipients");
        return NULL;
    }
    r = g_new0(mxb_result, 1);
    r->kind = kind;
    g_ptr_array_add(report->results, r);
    return r;
}

/* mxb_clean_field - clean text capped at max_field, NULL stays NULL */
char *mxb_clean_field(mxb_report *report, const char *s, size_t max)
{
    gboolean cut = FALSE;
    char *out;

    if (s == NULL)
        return NULL;
    out = mxb_text_clean(s, strlen(s), max, &cut);
    if (cut)
        mxb_report_note(report, MXB_REPORT_TRUNCATED_FIELD, "field truncated");
    if (*out == '\0') {
        g_free(out);
        return NULL;
    }
    return out;
}

/*
 * Charset converters kept open for the life of the process, one per
 * charset name a part gave, so that glibc keeps that charset's gconv
 * module loaded. Without one, every part's converter loads the module
 * and unloads it again (a dlopen and a dlclose per part: 6% of the batch
 * CPU on the corpus, docs/accuracy-and-speed.md). A name iconv does not
 * know is remembered too, so that it is not looked for again. Bounded,
 * because a message can give any string as its charset: past
 * MXB_CHARSET_PINS_MAX names, parts still convert, at the old cost.
 */
static GMutex pins_lock;
static GHashTable *pins; /* iconv name -> iconv_t, or (iconv_t)-1 when unknown */

/* pin_charset - keep a converter from charset to UTF-8 open */
static void pin_charset(const char *charset)
{
    const char *name = g_mime_charset_iconv_name(charset);

    if (name == NULL || strlen(name) > MXB_CHARSET_NAME_MAX)
        return; /* no real charset has such a name: not worth keeping */
    g_mutex_lock(&pins_lock);
    if (pins == NULL)
        pins = g_hash_table_new(g_str_hash, g_str_equal);
    if (g_hash_table_size(pins) < MXB_CHARSET_PINS_MAX && !g_hash_table_contains(pins, name))
        g_hash_table_insert(pins, g_strdup(name), g_mime_iconv_open("UTF-8", name));
    g_mutex_unlock(&pins_lock);
}

/* mxb_charset_pins - how many charset names are kept */
guint mxb_charset_pins(void)
{
    guint n;

    g_mutex_lock(&pins_lock);
    n = pins ? g_hash_table_size(pins) : 0;
    g_mutex_unlock(&pins_lock);
    return n;
}

/*
 * decoded_read - read a part's content through its transfer decoding and,
 * when charset is not NULL, a conversion from it to UTF-8; at most max
 * bytes come out, and decoding stops there, so a part never costs more
 * memory than its reader's cap however large it is (a "decoding bomb"
 * is bounded twice: base64 and QP never expand, and this stops early).
 * *cut is set when more was there. Owned by caller.
 */
static GByteArray *decoded_read(GMimePart *part, const char *charset, size_t max, gboolean *cut)
{
    GMimeDataWrapper *content = g_mime_part_get_content(part); /* borrowed */
    GByteArray *bytes = g_byte_array_new();
    GMimeStream *raw, *filtered;
    GMimeContentEncoding enc;
    guint8 chunk[4096];
    ssize_t n;

    if (content == NULL || (raw = g_mime_data_wrapper_get_stream(content)) == NULL)
        return bytes;
    g_mime_stream_reset(raw);
    filtered = g_mime_stream_filter_new(raw);
    enc = g_mime_data_wrapper_get_encoding(content);
    if (enc == GMIME_CONTENT_ENCODING_BASE64 || enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
        enc == GMIME_CONTENT_ENCODING_UUENCODE) {
        GMimeFilter *f = g_mime_filter_basic_new(enc, FALSE);
        g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), f);
        g_object_unref(f);
    }
    if (charset != NULL) {
        pin_charset(charset);
        /* NULL when iconv knows no such charset: the bytes stay as sent.
         * Old mailers' "x-" names ("x-sjis", Outlook Express's "x-x-big5")
         * are tried without the prefix, twice at most. */
        GMimeFilter *f = g_mime_filter_charset_new(charset, "UTF-8");
        const char *bare = charset;
        for (int strip = 0;
             strip < 2 && f == NULL && g_ascii_strncasecmp(bare, "x-", 2) == 0 && bare[2] != '\0';
             strip++) {
            bare += 2;
            f = g_mime_filter_charset_new(bare, "UTF-8");
            if (f != NULL)
                pin_charset(bare); /* only a name iconv knows: each unknown one is pinned once */
        }
        if (f != NULL) {
            g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), f);
            g_object_unref(f);
        }
    }
    while (bytes->len <= max && (n = g_mime_stream_read(filtered, (char *)chunk, sizeof chunk)) > 0)
        g_byte_array_append(bytes, chunk, (guint)MIN((size_t)n, max + 1 - bytes->len));
    g_object_unref(filtered);
    g_mime_stream_reset(raw);
    if (bytes->len > max) {
        g_byte_array_set_size(bytes, (guint)max);
        *cut = TRUE;
    }
    return bytes;
}

/* mxb_part_bytes - the decoded content of a leaf part, capped; owned by caller */
GByteArray *mxb_part_bytes(GMimePart *part, size_t max, gboolean *cut)
{
    return decoded_read(part, NULL, max, cut);
}

/* Windows-1252's characters for bytes 0x80-0x9F, where it differs from
 * ISO-8859-1 (its five unassigned bytes as ISO-8859-1's controls).
 * Written out: converting a byte at a time through iconv opened and
 * closed a converter per part, the cost pin_charset() removes. */
static const gunichar cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

/* western_fallback - 8-bit text without a charset label (or labelled
 * us-ascii) that is no UTF-8 and no ISO-2022-JP (whose escapes
 * mxb_text_clean reads): each byte that is no UTF-8 is read as
 * Windows-1252, as browsers read unlabelled mail ("Empf\xe4nger
 * unbekannt" was "Empf\xef\xbf\xbdnger" and lost its verdict); what is
 * UTF-8 stays so (a stray byte in a quoted original does not turn the
 * report's UTF-8 words into mojibake). Not for a character the reader's
 * cap cut in two at the end (cut), nor text whose bytes outside UTF-8
 * outnumber a quarter of its ASCII letters (CJK without a label, which no
 * Western charset reads). Takes and returns an owned string. */
static char *western_fallback(char *text, gboolean cut)
{
    size_t len = strlen(text), bad = 0, letters = 0;
    const char *tail = NULL; /* a UTF-8 sequence cut by the reader's cap */

    if (memchr(text, 0x1b, len) != NULL)
        return text;
    for (const char *cp = text;;) {
        const char *stop = NULL;
        gboolean ok = g_utf8_validate(cp, -1, &stop);
        for (const char *a = cp; a < stop; a++)
            letters += g_ascii_isalpha(*a) != 0;
        if (ok)
            break;
        const unsigned char *e = (const unsigned char *)stop;
        size_t rest = strnlen(stop, 4);
        gboolean cut_here = cut && rest < 4 && e[0] >= 0xc2 && e[0] <= 0xf4;
        for (size_t k = 1; cut_here && k < rest; k++)
            cut_here = (e[k] & 0xc0) == 0x80;
        if (cut_here) {
            tail = stop;
            break;
        }
        bad++;
        cp = stop + 1;
    }
    if (bad == 0 || bad * 4 > letters)
        return text;
    GString *out = g_string_sized_new(len + bad * 2);
    for (const char *cp = text; *cp && cp != tail;) {
        const char *stop = NULL;
        gboolean ok = g_utf8_validate(cp, -1, &stop);
        g_string_append_len(out, cp, stop - cp);
        if (ok || stop == tail)
            break;
        unsigned char b = (unsigned char)*stop;
        g_string_append_unichar(out, b < 0xa0 ? cp1252_high[b - 0x80] : (gunichar)b);
        cp = stop + 1;
    }
    if (tail != NULL)
        g_string_append(out, tail);
    g_free(text);
    return g_string_free(out, FALSE);
}

/* mxb_part_text - the decoded text of a text part in UTF-8 (as far as its
 * charset label allows), capped at max bytes, NUL-terminated; owned by
 * caller. What g_mime_text_part_get_text() gives, without decoding all. */
char *mxb_part_text(GMimeObject *obj, size_t max, gboolean *cut)
{
    const char *charset;
    GByteArray *bytes;
    gboolean here = FALSE; /* this part was cut */

    if (!GMIME_IS_TEXT_PART(obj))
        return NULL;
    charset = g_mime_object_get_content_type_parameter(obj, "charset");
    /* 8-bit bytes under "us-ascii" are mislabelled (iconv would drop
     * them): read as if unlabelled, UTF-8 when they are, else Western */
    gboolean ascii = charset != NULL && (g_ascii_strcasecmp(charset, "us-ascii") == 0 ||
                                         g_ascii_strcasecmp(charset, "ascii") == 0);
    bytes = decoded_read(GMIME_PART(obj), ascii ? NULL : charset, max, &here);
    if (cut != NULL && here)
        *cut = TRUE;
    g_byte_array_append(bytes, (const guint8 *)"", 1);
    char *text = (char *)g_byte_array_free(bytes, FALSE);
    if (charset == NULL || ascii)
        text = western_fallback(text, here);
    return text;
}

/* strip_type - "dns; mx.example" -> "mx.example"; "smtp; 550 x" -> "550 x" */
static const char *strip_type(const char *value)
{
    const char *semi = strchr(value, ';');

    if (semi == NULL || semi - value > 32)
        return value;
    for (const char *cp = value; cp < semi; cp++)
        if (!g_ascii_isalnum(*cp) && *cp != '-' && *cp != '_' && *cp != '.')
            return value;
    semi++;
    while (*semi == ' ' || *semi == '\t')
        semi++;
    return semi;
}

/* supplementary_info - the remote server's reply that Exchange 2003 and
 * Hotmail wrote into X-Supplementary-Info when they gave no
 * Diagnostic-Code: "< #5.5.0 smtp;550 Requested action not taken:
 * mailbox unavailable>" or "<mx.example.net #5.1.1 smtp;550 ...>" ->
 * "smtp;550 Requested ... unavailable" (its type is stripped as a
 * Diagnostic-Code's is); NULL when there is none */
static char *supplementary_info(const char *value)
{
    if (value == NULL)
        return NULL;
    while (*value == ' ' || *value == '\t' || *value == '<')
        value++;
    /* "<mx.example.net #5.1.1 smtp;550 ...>": the host that answered
     * first, as Exchange writes it in its text too */
    const char *hash = strchr(value, '#'), *semi = strchr(value, ';');
    if (hash != NULL && (semi == NULL || hash < semi))
        value = hash;
    if (*value == '#') { /* the status, which the Status field has too */
        while (*value != '\0' && *value != ' ' && *value != '\t')
            value++;
        while (*value == ' ' || *value == '\t')
            value++;
    }
    char *v = g_strdup(value);
    size_t n = strlen(v);
    while (n > 0 && (v[n - 1] == '>' || v[n - 1] == ' ' || v[n - 1] == '\t'))
        v[--n] = '\0';
    if (n == 0)
        g_clear_pointer(&v, g_free);
    return v;
}

/* mta_name - "dns; mx.example (comment)" -> cleaned host name or NULL */
static char *mta_name(mxb_report *report, const char *value, size_t max)
{
    g_autofree char *bare = NULL;

    if (value == NULL)
        return NULL;
    bare = mxb_dsn_strip_comments(value);
    return mxb_clean_field(report, strip_type(bare), max);
}

/* kind_from_action - DSN action to kind; FALSE if unknown */
static gboolean kind_from_action(const char *action, mxb_kind *kind)
{
    static const struct {
        const char *action;
        mxb_kind kind;
    } map[] = {
        {"failed", MXB_KIND_BOUNCE},       {"delayed", MXB_KIND_DELAYED},
        {"delivered", MXB_KIND_DELIVERED}, {"relayed", MXB_KIND_DELIVERED},
        {"expanded", MXB_KIND_DELIVERED},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(map); i++)
        if (g_ascii_strcasecmp(action, map[i].action) == 0) {
            *kind = map[i].kind;
            return TRUE;
        }
    return FALSE;
}

/* full_address - local@domain with a dot in the domain, or a literal */
static gboolean full_address(const char *a)
{
    const char *at = strrchr(a, '@');

    return at != NULL && at > a && (strchr(at + 1, '.') != NULL || at[1] == '[');
}

/* is_recipient_block - does a block speak of one recipient */
static gboolean is_recipient_block(const mxb_dsn_block *b)
{
    return mxb_dsn_block_get(b, "Final-Recipient") || mxb_dsn_block_get(b, "Original-Recipient") ||
           mxb_dsn_block_get(b, "Action") || mxb_dsn_block_get(b, "Status");
}

/* exit_status_only - a diagnostic that is only a number: the exit status
 * of a local delivery program (Sendmail's "Diagnostic-Code: X-Unix; 71") */
static gboolean exit_status_only(const char *diagnostic)
{
    if (diagnostic == NULL || *diagnostic == '\0')
        return FALSE;
    for (const char *cp = diagnostic; *cp; cp++)
        if (!g_ascii_isdigit(*cp))
            return FALSE;
    return TRUE;
}

/* failed_one - the one address X-Failed-Recipients names, or NULL */
static char *failed_one(const char *failed)
{
    if (failed == NULL)
        return NULL;
    InternetAddressList *list = mxb_address_list_parse(failed);
    const char *a =
        list != NULL && internet_address_list_length(list) == 1 ? mxb_first_mailbox(list) : NULL;
    char *one = g_strdup(a); /* mxb_first_mailbox: one with a domain */
    if (list != NULL)
        g_object_unref(list);
    return one;
}

/* is_program - a recipient field that names a local program, "rfc822;
 * |/usr/bin/prog" (Exim), "RFC822; |IFS=' ' && exec procmail ..."
 * (Sendmail's X-Actual-Recipient), perhaps quoted */
static gboolean is_program(const char *field)
{
    const char *semi = field ? strchr(field, ';') : NULL;

    if (semi == NULL)
        return FALSE;
    semi += strspn(semi + 1, " \t\"<") + 1;
    return *semi == '|';
}

/* has_letter - s holds an ASCII letter */
static gboolean has_letter(const char *s)
{
    for (; *s; s++)
        if (g_ascii_isalpha(*s))
            return TRUE;
    return FALSE;
}

/* strict_date - the value is an RFC 5322 date-time, to the second or the
 * minute, with a numeric or named zone (and a comment after it): GMime's
 * reader takes anything and drops what it does not know (fractions of a
 * second and a time with dots read as midnight, "PM" and "CEST" are
 * ignored), which would make hours look like seconds */
static gboolean strict_date(const char *v)
{
    static GRegex *re;

    if (g_once_init_enter(&re)) {
        GRegex *x =
            g_regex_new("^\\s*(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\\s*,\\s*)?[0-9]{1,2}\\s+"
                        "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\\s+[0-9]{4}\\s+"
                        "[0-9]{2}:[0-9]{2}(?::[0-9]{2})?\\s+(?:[+-][0-9]{4}|UT|GMT|[ECMP][SD]T)"
                        "\\s*(?:\\([^()]*\\)\\s*)?$",
                        G_REGEX_CASELESS | G_REGEX_RAW | mxb_regex_optimize(), 0, NULL);
        g_assert(x != NULL); /* ours */
        g_once_init_leave(&re, x);
    }
    return g_regex_match(re, v, 0, NULL);
}

/* seconds_between - from one RFC 5322 date to another, read by GMime; -1
 * when either is absent or not strictly one (strict_date), or the second
 * is before the first */
static gint64 seconds_between(const char *from, const char *to)
{
    if (from == NULL || to == NULL || !strict_date(from) || !strict_date(to))
        return -1;
    g_autoptr(GDateTime) a = g_mime_utils_header_decode_date(from);
    g_autoptr(GDateTime) b = g_mime_utils_header_decode_date(to);
    if (a == NULL || b == NULL)
        return -1;
    GTimeSpan d = g_date_time_difference(b, a);
    return d < 0 ? -1 : d / G_TIME_SPAN_SECOND;
}

/* status_comment - the comment of a Status field, from its first '(' to
 * its last ')' (a comment nested in it whole: "5.0.0 (remote smtp server:
 * 550 user unknown)"), cleaned and cut to max bytes; NULL when it has
 * none or no letter in it */
static char *status_comment(const char *field, size_t max)
{
    const char *open = strchr(field, '(');
    if (open == NULL)
        return NULL;
    open++;
    const char *close = strrchr(open, ')');
    size_t n = close ? (size_t)(close - open) : strlen(open);
    char *text = mxb_text_clean(open, n, max, NULL);
    if (!has_letter(text))
        g_clear_pointer(&text, g_free);
    return text;
}

/* recipient_result - one per-recipient block into a result; arrival is
 * the report's Arrival-Date (its first block's), or NULL */
static void recipient_result(walk_ctx *ctx, const mxb_dsn_block *b, const char *reporting_mta,
                             const char *mta, const char *arrival)
{
    const mxb_limits *lim = ctx->limits;
    mxb_report *rep = ctx->report;
    const char *v;
    char code[12];
    mxb_kind kind = MXB_KIND_BOUNCE;
    g_autofree char *action = NULL;
    mxb_result *r;

    if ((v = mxb_dsn_block_get(b, "Action")) != NULL) {
        action = mxb_dsn_strip_comments(v);
        char *sp = strpbrk(action, " \t;");
        if (sp)
            *sp = '\0';
        for (char *cp = action; *cp; cp++)
            *cp = g_ascii_tolower(*cp);
    }

    r = mxb_result_add(rep, lim, MXB_KIND_BOUNCE);
    if (r == NULL)
        return;

    r->to_program = is_program(mxb_dsn_block_get(b, "Final-Recipient")) ||
                    is_program(mxb_dsn_block_get(b, "X-Actual-Recipient"));
    v = mxb_dsn_block_get(b, "Final-Recipient");
    if (v == NULL)
        v = mxb_dsn_block_get(b, "X-Actual-Recipient");
    if (v == NULL)
        v = mxb_dsn_block_get(b, "Original-Recipient");
    if (v != NULL) {
        g_autofree char *a = mxb_dsn_address(v);
        /* An address of another type than RFC 822's or RFC 6533's ("x400;
         * C=au;A=...;S=surname", "unknown; nair_s") names no mailbox the
         * sender knows; the original recipient may (below), and the text
         * may say why it failed (enrich_from_text), but the report names
         * nobody (cleared at the end of the parse). */
        size_t semi = strcspn(v, ";"), tl = semi; /* the value is stripped (dsn.c) */
        while (tl > 0 && (v[tl - 1] == ' ' || v[tl - 1] == '\t'))
            tl--;
        r->no_mailbox = v[semi] != '\0' && !(tl == 6 && g_ascii_strncasecmp(v, "rfc822", 6) == 0) &&
                        !(tl == 5 && g_ascii_strncasecmp(v, "utf-8", 5) == 0);
        r->recipient = mxb_clean_field(rep, a, lim->max_field);
    }
    if ((v = mxb_dsn_block_get(b, "Original-Recipient")) != NULL) {
        g_autofree char *a = mxb_dsn_address(v);
        r->original_recipient = mxb_clean_field(rep, a, lim->max_field);
    }
    /* A final recipient that is empty ("system;<>", CommuniGate Pro when
     * it refused the message as a whole): the original one. */
    if ((r->recipient == NULL || *r->recipient == '\0') && r->original_recipient != NULL &&
        *r->original_recipient != '\0') {
        g_free(r->recipient);
        r->recipient = g_strdup(r->original_recipient);
    }
    /* A final recipient on a host of the reporter's own (a domain without
     * a dot: "kijitora@server", after a source route) names no mailbox the
     * sender knows; the original recipient, a full address, does. */
    if (r->recipient && r->original_recipient && !full_address(r->recipient) &&
        full_address(r->original_recipient)) {
        g_free(r->recipient);
        r->recipient = g_strdup(r->original_recipient);
    }
    /* A final recipient that is no address at all: Exim writes the file or
     * pipe an alias delivered to ("rfc822;/var/spool/mail/n/nyaan"), and
     * X-Failed-Recipients the address, when it names one. */
    if (r->recipient && strchr(r->recipient, '@') == NULL) {
        g_autofree char *one = failed_one(ctx->failed);
        if (one != NULL) {
            g_free(r->recipient);
            r->recipient = mxb_clean_field(rep, one, lim->max_field);
        }
    }
    const char *diag_field = mxb_dsn_block_get(b, "Diagnostic-Code");
    g_autofree char *supplementary = NULL;
    if (diag_field == NULL &&
        (supplementary = supplementary_info(mxb_dsn_block_get(b, "X-Supplementary-Info"))))
        diag_field = supplementary;
    const char *status_field = mxb_dsn_block_get(b, "Status");
    g_autofree char *status_bare =
        status_field ? g_strstrip(mxb_dsn_strip_comments(status_field)) : NULL;
    char field_code[12];
    gboolean status_code = status_bare != NULL && mxb_status_parse(status_bare, field_code);
    if (diag_field != NULL) {
        gboolean cut = FALSE;
        const char *text = strip_type(diag_field);
        /* RFC 2047 words in the field ("550 =?UTF-8?Q?Empf=C3=A4nger_unbekannt?="),
         * which RFC 3464 does not provide for and some reporters write */
        g_autofree char *decoded =
            strstr(text, "=?") != NULL && strstr(text, "?=") != NULL && strstr(text, "?=@") == NULL
                ? g_mime_utils_header_decode_text(NULL, text)
                : NULL; /* not an address's encoded local part: the address as written */
        if (decoded != NULL)
            text = decoded;
        r->diagnostic = mxb_text_clean(text, strlen(text), lim->max_diagnostic, &cut);
        if (cut)
            mxb_report_note(rep, MXB_REPORT_TRUNCATED_FIELD, "diagnostic truncated");
        /* Nothing said ("X-James; unknown", Apache James's when it has no
         * reply to report): the text part may say it (enrich_from_text). */
        if (*r->diagnostic == '\0' || g_ascii_strcasecmp(r->diagnostic, "unknown") == 0 ||
            g_ascii_strcasecmp(r->diagnostic, "none") == 0)
            g_clear_pointer(&r->diagnostic, g_free);
    }
    /* A Status that is no RFC 3463 code but the server's reply itself,
     * its words with it ("Status: 553 Exceeded maximum inbound message
     * size", NTMail), is the diagnostic when the block gives none. A bare
     * code ("Status: 550") says less than the text part may (it is read
     * for a recipient without a diagnostic, enrich_from_text). */
    if (r->diagnostic == NULL && status_bare != NULL && !status_code &&
        g_ascii_isdigit(status_bare[0]) && mxb_smtp_code_find(status_bare) != 0 &&
        has_letter(status_bare))
        r->diagnostic = mxb_text_clean(status_bare, strlen(status_bare), lim->max_diagnostic, NULL);
    /* A Status whose comment holds the error itself ("Status: 5.1.1
     * (remote smtp server: 550 5.1.1 no such mailbox)", mox; "4.0.0
     * (host name lookup failure)", RFC 3464's example) and no
     * Diagnostic-Code: kept, read after the text part had its say
     * (notes_as_diagnostics). */
    if (r->diagnostic == NULL && diag_field == NULL && status_field != NULL) {
        char *note = status_comment(status_field, lim->max_diagnostic);
        if (note != NULL)
            g_hash_table_replace(ctx->notes, r, note);
    }
    /* A local program's exit status ("X-Unix; 255", sysexits.h) is no
     * SMTP reply: exit_status_from_text() looks for the words. */
    r->smtp_code = diag_field != NULL && g_ascii_strncasecmp(diag_field, "x-unix", 6) == 0 &&
                           exit_status_only(r->diagnostic)
                       ? 0
                       : mxb_smtp_code_find(r->diagnostic);

    /* Status: the remote server's own code in the diagnostic text wins
     * over the reporter's Status field (it is the more specific of the
     * two, e.g. field 4.4.7 "expired", diagnostic "4.4.1 timed out"),
     * unless it is only "c.0.0"; the field is kept for classification.
     * With neither, "c.0.0" from the reply code or the action. */
    if (status_code)
        r->status = g_strdup(field_code);
    if (mxb_status_find_best(r->diagnostic, code) &&
        (r->status == NULL ||
         (strcmp(code, r->status) != 0 &&
          !(g_str_has_suffix(code, ".0.0") && !g_str_has_suffix(r->status, ".0.0"))))) {
        r->field_status = r->status; /* ownership moves */
        r->status = g_strdup(code);
    }
    if (action == NULL || !kind_from_action(action, &kind)) {
        /* No usable Action: the status class tells. */
        if (r->status && r->status[0] == '2')
            kind = MXB_KIND_DELIVERED;
        else if (r->status && r->status[0] == '4' && mxb_dsn_block_get(b, "Will-Retry-Until"))
            kind = MXB_KIND_DELAYED;
        else
            kind = MXB_KIND_BOUNCE;
    }
    r->kind = kind;
    if (action != NULL && *action != '\0')
        r->action = mxb_clean_field(rep, action, 32);
    /* A success status on a failure or a delay contradicts the Action,
     * which decides the kind: the field is kept, and the status says only
     * what the reply code or the action tells. */
    if (r->status && r->status[0] == '2' && kind != MXB_KIND_DELIVERED) {
        g_free(r->field_status);
        r->field_status = g_steal_pointer(&r->status);
    }
    if (r->status == NULL) {
        char cls = kind == MXB_KIND_DELIVERED ? '2' : kind == MXB_KIND_DELAYED ? '4' : '5';
        if (r->smtp_code >= 200 && (r->smtp_code < 300) == (kind == MXB_KIND_DELIVERED))
            cls = (char)('0' + r->smtp_code / 100);
        r->status = g_strdup_printf("%c.0.0", cls);
    }

    r->remote_mta = mta_name(rep, mxb_dsn_block_get(b, "Remote-MTA"), lim->max_field);
    r->reporting_mta = g_strdup(reporting_mta);
    r->mta = g_strdup(mta);
    r->last_attempt = mxb_clean_field(rep, mxb_dsn_block_get(b, "Last-Attempt-Date"), 100);
    r->will_retry_until = mxb_clean_field(rep, mxb_dsn_block_get(b, "Will-Retry-Until"), 100);
    gint64 queued = seconds_between(arrival, mxb_dsn_block_get(b, "Last-Attempt-Date"));
    r->at_once = queued >= 0 && queued < MXB_GAVE_UP_AT_ONCE;
    mxb_classify(r);
}

/* status_blocks - the field blocks of a delivery-status body */
static void status_blocks(walk_ctx *ctx, const char *p, size_t len)
{
    gboolean fcut = FALSE;
    g_autoptr(GPtrArray) blocks = mxb_dsn_parse_blocks(p, len, ctx->limits->max_field, &fcut);
    g_autofree char *reporting_mta = NULL;
    const char *mta = "rfc3464";
    guint first = 0;

    if (fcut)
        mxb_report_note(ctx->report, MXB_REPORT_TRUNCATED_FIELD, "field truncated");
    ctx->have_status = TRUE;
    if (blocks->len == 0)
        return;
    ctx->status_fields = TRUE;

    const mxb_dsn_block *msg = g_ptr_array_index(blocks, 0);
    /* The per-message block; one written without the blank line before
     * the recipients' (Boxbe: "Reporting-MTA, Remote-MTA, Action,
     * Arrival-Date" and then "Final-Recipient") holds an Action too, but
     * no recipient, and a recipient's block follows it. */
    gboolean merged = blocks->len > 1 && mxb_dsn_block_get(msg, "Reporting-MTA") &&
                      !mxb_dsn_block_get(msg, "Final-Recipient") &&
                      !mxb_dsn_block_get(msg, "Original-Recipient") &&
                      (mxb_dsn_block_get(g_ptr_array_index(blocks, 1), "Final-Recipient") ||
                       mxb_dsn_block_get(g_ptr_array_index(blocks, 1), "Original-Recipient"));
    if (merged ||
        (!mxb_dsn_block_get(msg, "Final-Recipient") && !mxb_dsn_block_get(msg, "Action"))) {
        first = 1;
        reporting_mta =
            mta_name(ctx->report, mxb_dsn_block_get(msg, "Reporting-MTA"), ctx->limits->max_field);
        const char *envid = mxb_dsn_block_get(msg, "Original-Envelope-Id");
        if (envid && ctx->report->envelope_id == NULL)
            ctx->report->envelope_id = mxb_clean_field(ctx->report, envid, ctx->limits->max_field);
        mta = mxb_guess_mta(msg, blocks, first);
    }
    /* A per-message field: in the first block, also when the writer left
     * out the blank line before the first recipient's */
    const char *arrival = mxb_dsn_block_get(msg, "Arrival-Date");
    /* A block written a third time word for word is skipped before it
     * takes a place under max_recipients (drop_repeats would drop its
     * result anyway, but after the cap: the blocks after a thousand
     * repeats were lost). The second is kept: a recipient named twice
     * (Exim's alias, each child's block naming it) cannot take words from
     * the text, whose paragraphs may be either's (shared()). */
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = first; i < blocks->len; i++) {
        const mxb_dsn_block *b = g_ptr_array_index(blocks, i);
        if (!is_recipient_block(b))
            continue;
        GString *key = g_string_new(NULL);
        for (guint f = 0; f < b->fields->len; f++) {
            const mxb_dsn_field *fl = g_ptr_array_index(b->fields, f);
            g_string_append_printf(key, "%s\x1f%s\x1e", fl->name, fl->value);
        }
        guint times = GPOINTER_TO_UINT(g_hash_table_lookup(seen, key->str));
        g_hash_table_replace(seen, g_string_free(key, FALSE), GUINT_TO_POINTER(MIN(times + 1, 2)));
        if (times < 2)
            recipient_result(ctx, b, reporting_mta, mta, arrival);
    }
}

/* status_part - parse a message/(global-)delivery-status part */
static void status_part(walk_ctx *ctx, GMimePart *part)
{
    gboolean cut = FALSE;
    g_autoptr(GByteArray) bytes = mxb_part_bytes(part, ctx->limits->max_status_part, &cut);

    if (cut)
        mxb_report_note(ctx->report, MXB_REPORT_TRUNCATED_FIELD, "status part truncated");
    status_blocks(ctx, (const char *)bytes->data, bytes->len);
}

static void enrich_from_text(walk_ctx *ctx, GMimeObject *human, guint first, char **text,
                             char **low);
static void mailer_output_from_text(walk_ctx *ctx, GMimeObject *human, guint first, char **text,
                                    char **low);

/* says_what_happened - a line of the block (len bytes at p) opens with
 * an Action or Status field (blanks before its colon allowed; not an
 * indented line, which continues the field above it) */
static gboolean says_what_happened(const char *p, size_t len)
{
    static const char *const names[] = {"action", "status"};

    for (const char *line = p; line != NULL && line < p + len;) {
        const char *q = line;
        for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
            size_t n = strlen(names[i]);
            if ((size_t)(p + len - q) > n && g_ascii_strncasecmp(q, names[i], n) == 0) {
                const char *c = q + n;
                while (c < p + len && (*c == ' ' || *c == '\t'))
                    c++;
                if (c < p + len && *c == ':')
                    return TRUE;
            }
        }
        const char *nl = memchr(line, '\n', (size_t)(p + len - line));
        line = nl ? nl + 1 : NULL;
    }
    return FALSE;
}

/*
 * embedded_status - a delivery-status body that MIME did not show us: a
 * report forwarded as text, a boundary GMime could not see (" --b"), or
 * the MIME headers lost. Looks in p (the raw bytes, or a part's decoded
 * text) for the first Final-Recipient or Original-Recipient line and
 * parses from the "Reporting-MTA:" line before it (if any) to the next
 * boundary-like line, when the block has an Action or Status field.
 * header: p opens with the message's header (the raw bytes), whose end
 * the human-readable words start after; not so in a part's decoded text.
 */
static void embedded_status(walk_ctx *ctx, const char *p, size_t len, gboolean header)
{
    static GRegex *rcpt_re, *start_re;
    static gsize once = 0;
    GMatchInfo *mi = NULL;
    gint rs = 0, re = 0, start, end;

    if (g_once_init_enter(&once)) {
        rcpt_re = g_regex_new("^(Final|Original)-Recipient[ \t]*:",
                              G_REGEX_CASELESS | G_REGEX_MULTILINE | G_REGEX_RAW |
                                  G_REGEX_NEWLINE_ANYCRLF | mxb_regex_optimize(),
                              0, NULL);
        start_re = g_regex_new("^Reporting-MTA[ \t]*:",
                               G_REGEX_CASELESS | G_REGEX_MULTILINE | G_REGEX_RAW |
                                   G_REGEX_NEWLINE_ANYCRLF | mxb_regex_optimize(),
                               0, NULL);
        g_once_init_leave(&once, 1);
    }
    if (len > G_MAXINT32)
        len = G_MAXINT32;
    if (!g_regex_match_full(rcpt_re, p, (gssize)len, 0, 0, &mi, NULL)) {
        g_match_info_free(mi);
        return;
    }
    g_match_info_fetch_pos(mi, 0, &rs, &re);
    g_match_info_free(mi);
    start = rs;
    /* A Reporting-MTA line within 4 KB before it opens the report. */
    gint from = rs > 4096 ? rs - 4096 : 0;
    if (g_regex_match_full(start_re, p + from, rs - from, 0, 0, &mi, NULL)) {
        gint ms, me;
        g_match_info_fetch_pos(mi, 0, &ms, &me);
        start = from + ms;
    }
    g_match_info_free(mi);
    /* The report ends at a MIME boundary ("--...") or a Content-Type line. */
    end = start;
    while ((size_t)end < len) {
        const char *nl = memchr(p + end, '\n', len - (size_t)end);
        gint next = nl ? (gint)(nl - p) + 1 : (gint)len;
        const char *line = p + end;
        size_t ll = (size_t)(next - end);
        while (ll > 0 && (*line == ' ' || *line == '\t')) {
            line++;
            ll--;
        }
        if (end > rs && ((ll >= 2 && line[0] == '-' && line[1] == '-') ||
                         (ll >= 13 && g_ascii_strncasecmp(line, "Content-Type:", 13) == 0)))
            break;
        end = next;
        if ((size_t)(end - start) > ctx->limits->max_status_part)
            break;
    }
    /* A status block says what happened (Action, Status): a header
     * quoted in a reply ("Original-Recipient: rfc822;jo@...") is none */
    if (!says_what_happened(p + start, (size_t)(end - start)))
        return;
    guint first = ctx->report->results->len;
    status_blocks(ctx, p + start, (size_t)(end - start));
    /* The words above the report, below the message's header, are its
     * human-readable part. */
    const char *body = p, *stop = p + start;
    while (header && body < stop) { /* past the first line of nothing but CRs */
        const char *nl = memchr(body, '\n', (size_t)(stop - body));
        const char *q = body;
        while (q < stop && *q == '\r')
            q++;
        body = nl ? nl + 1 : stop;
        if (q == nl)
            break;
    }
    g_autofree char *text = g_strndup(body, MIN((gsize)(stop - body), MXB_TEXT_MAX));
    g_autofree char *low = g_ascii_strdown(text, -1);
    mailer_output_from_text(ctx, NULL, first, &text, &low);
    enrich_from_text(ctx, NULL, first, &text, &low);
}

/* mxb_mailbox_addr - the addr-spec of a mailbox that has a domain, or
 * NULL: GMime keeps the place of the '@' that opens the domain, so a
 * quoted local part with an '@' in it and no domain ("\"Jo
 * <jo@example.com>\"", a display name written without its address) is
 * none */
const char *mxb_mailbox_addr(InternetAddress *ia)
{
    if (ia == NULL || !INTERNET_ADDRESS_IS_MAILBOX(ia))
        return NULL;
    InternetAddressMailbox *mb = INTERNET_ADDRESS_MAILBOX(ia);
    const char *addr = internet_address_mailbox_get_addr(mb);
    return addr != NULL && mb->at > 0 ? addr : NULL;
}

/* mxb_first_mailbox - the first addr-spec of an address list, or NULL;
 * NULL too when it has no domain (`To: "undisclosed recipients"` is a
 * local part alone; the next one is someone else) */
const char *mxb_first_mailbox(InternetAddressList *list)
{
    for (int i = 0; list && i < internet_address_list_length(list); i++) {
        InternetAddress *ia = internet_address_list_get_address(list, i); /* borrowed */
        if (INTERNET_ADDRESS_IS_MAILBOX(ia))
            return mxb_mailbox_addr(ia);
    }
    return NULL;
}

/* tie_back - the returned message m's Message-ID and platform token (our
 * own headers), unless the report has them already; NULL m is fine */
static void tie_back(walk_ctx *ctx, GMimeMessage *m)
{
    mxb_report *rep = ctx->report;
    const char *mid = m ? g_mime_message_get_message_id(m) : NULL;
    const char *tok = m ? g_mime_object_get_header(GMIME_OBJECT(m), MXB_PLATFORM_HEADER) : NULL;

    if (mid != NULL && rep->orig_message_id == NULL)
        rep->orig_message_id = mxb_clean_field(rep, mid, ctx->limits->max_field);
    if (tok != NULL && rep->platform_token == NULL)
        rep->platform_token = mxb_clean_field(rep, tok, ctx->limits->max_field);
}

/* wants_returned_to - a complaint, feedback report or read receipt that
 * names nobody: it is about the returned message's To: */
static gboolean wants_returned_to(const mxb_result *r)
{
    return (r->kind == MXB_KIND_COMPLAINT || r->kind == MXB_KIND_FEEDBACK ||
            r->kind == MXB_KIND_MDN) &&
           r->recipient == NULL;
}

static size_t bound_structure(mxb_report *rep, const mxb_limits *lim, const char **p, size_t len,
                              GString **copy, gboolean returned);

/*
 * returned_headers - Message-ID of a returned message or header part; a
 * complaint or read receipt since first that names nobody is about the
 * returned message's X-HmXmrOriginalRecipient (Hotmail's stamp), else its
 * To: when that holds one address. A status part with fields
 * but no recipient block keeps that To: for the report's one line, when
 * it holds one address and nothing else (ctx->returned_one).
 */
static void returned_headers(walk_ctx *ctx, GMimeObject *obj, guint first)
{
    GMimeMessage *inner = NULL, *m = NULL;
    gboolean need_to = FALSE;

    for (guint i = first; i < ctx->report->results->len; i++) {
        const mxb_result *r = g_ptr_array_index(ctx->report->results, i);
        if (wants_returned_to(r))
            need_to = TRUE;
    }
    /* A reporter that wrote its fields but no recipient block; an empty
     * status part says too little (Gmail leaves one on a failure of the
     * sender's own account, about every recipient). */
    gboolean need_one =
        ctx->status_fields && ctx->report->results->len == first && ctx->returned_one == NULL;
    if (ctx->report->orig_message_id != NULL && ctx->report->platform_token != NULL && !need_to &&
        !need_one)
        return;
    if (GMIME_IS_MESSAGE_PART(obj)) {
        m = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj)); /* borrowed */
    } else if (GMIME_IS_PART(obj)) {
        gboolean cut = FALSE;
        g_autoptr(GByteArray) bytes = mxb_part_bytes(GMIME_PART(obj), MXB_RETURNED_MAX, &cut);
        g_autoptr(GString) capped = NULL;
        const char *hp = (const char *)bytes->data;
        size_t hlen = bound_structure(ctx->report, ctx->limits, &hp, bytes->len, &capped, TRUE);
        m = inner = mxb_gmime_parse(hp, hlen);
    }
    tie_back(ctx, m);
    InternetAddressList *tos = m ? g_mime_message_get_to(m) : NULL; /* borrowed */
    /* Whom it was about: Hotmail's own stamp, else a To: of one address
     * (of several, the first may not be the one who complained) */
    g_autofree char *to = NULL;
    if (need_to && m) {
        const char *hm = g_mime_object_get_header(GMIME_OBJECT(m), "X-HmXmrOriginalRecipient");
        g_autofree char *h = hm ? mxb_dsn_address(hm) : NULL; /* read as jmrp_result does */
        if (h != NULL && strchr(h, '@') != NULL)
            to = g_steal_pointer(&h);
        else if (tos != NULL && internet_address_list_length(tos) == 1 && mxb_first_mailbox(tos))
            to = g_strdup(mxb_first_mailbox(tos));
    }
    if (need_one && tos != NULL && internet_address_list_length(tos) == 1) {
        const char *one = mxb_first_mailbox(tos);
        if (one != NULL)
            ctx->returned_one = mxb_clean_field(ctx->report, one, ctx->limits->max_field);
    }
    for (guint i = first; to && i < ctx->report->results->len; i++) {
        mxb_result *r = g_ptr_array_index(ctx->report->results, i);
        if (wants_returned_to(r))
            r->recipient = mxb_clean_field(ctx->report, to, ctx->limits->max_field);
    }
    if (inner)
        g_object_unref(inner);
}

/* is_type - content type test */
static gboolean is_type(GMimeObject *obj, const char *type, const char *subtype)
{
    GMimeContentType *ct = g_mime_object_get_content_type(obj); /* borrowed */

    return ct && g_mime_content_type_is_type(ct, type, subtype);
}

/* is_status_type - message/delivery-status or its RFC 6533 form */
static gboolean is_status_type(GMimeObject *obj)
{
    return is_type(obj, "message", "delivery-status") ||
           is_type(obj, "message", "global-delivery-status");
}

/* mxb_is_returned_type - the returned message or its headers */
gboolean mxb_is_returned_type(GMimeObject *obj)
{
    return is_type(obj, "message", "rfc822") || is_type(obj, "message", "global") ||
           is_type(obj, "text", "rfc822-headers") || is_type(obj, "message", "global-headers") ||
           is_type(obj, "message", "rfc822-headers"); /* not registered, but written */
}

/* human_text - the decoded, UTF-8 text of a text/plain part, capped */
static char *human_text(GMimeObject *obj)
{
    if (!is_type(obj, "text", "plain"))
        return NULL;
    return mxb_part_text(obj, MXB_TEXT_MAX, NULL); /* NULL unless a text part */
}

/* human_lower - the human-readable part's text and its lower-case copy,
 * decoded on the first call (*low still NULL) and shared by the passes
 * below; FALSE when it has none */
static gboolean human_lower(GMimeObject *human, char **text, char **low)
{
    if (*low != NULL)
        return TRUE;
    *text = human_text(human);
    if (*text == NULL)
        return FALSE;
    *low = g_ascii_strdown(*text, -1);
    return TRUE;
}

/* take_diagnostic - line (owned) becomes r's diagnostic, found in the
 * human-readable part: its reply code, and its status in place of one less
 * specific of the same class (the field's is kept); classified again */
static void take_diagnostic(mxb_result *r, char *line)
{
    char code[12];

    r->diagnostic = line;
    r->smtp_code = mxb_smtp_code_find(r->diagnostic);
    if (mxb_status_find_best(r->diagnostic, code) && !g_str_has_suffix(code, ".0.0") &&
        (r->status == NULL || code[0] == r->status[0] || r->smtp_code / 100 == code[0] - '0')) {
        g_free(r->field_status);
        r->field_status = r->status; /* ownership moves */
        r->status = g_strdup(code);
    }
    mxb_classify(r);
}

/* Most lines of a reply that paragraph() reads under an address */
#define PARAGRAPH_LINES 8

/* wants_words - r has no diagnostic and no status or one that says
 * nothing: "c.0.0", and with x50 also "c.5.0" (Sendmail's stand-in) */
static gboolean wants_words(const mxb_result *r, gboolean x50)
{
    return r->diagnostic == NULL && (r->status == NULL || g_str_has_suffix(r->status, ".0.0") ||
                                     (x50 && g_str_has_suffix(r->status, ".5.0")));
}

/* lowered - each result's recipient in lower case (NULL for none), in the
 * order of the results; free with g_ptr_array_unref */
static GPtrArray *lowered(const mxb_report *rep)
{
    GPtrArray *a = g_ptr_array_new_full(rep->results->len, g_free);

    for (guint j = 0; j < rep->results->len; j++) {
        const mxb_result *o = g_ptr_array_index(rep->results, j);
        g_ptr_array_add(a,
                        o->recipient && *o->recipient ? g_ascii_strdown(o->recipient, -1) : NULL);
    }
    return a;
}

/* find_address - the first mention of the address needle in low that is
 * not the end of a longer one ("smith@b" in "2.smith@b", "brien@b" in
 * "o'brien@b"; an apostrophe after no letter or digit is a quote), or
 * NULL */
static const char *find_address(const char *low, const char *needle)
{
    const char *hit = strstr(low, needle);

    while (hit != NULL && hit > low &&
           (g_ascii_isalnum(hit[-1]) || strchr(".!#$%&*+/=?^_{|}~-", hit[-1]) != NULL ||
            (hit[-1] == '\'' && hit - 1 > low && g_ascii_isalnum(hit[-2]))))
        hit = strstr(hit + 1, needle);
    return hit;
}

/* shared - another result has the same recipient (Exim's alias, each
 * child's block naming the alias): the text cannot tell whose words are
 * whose */
static gboolean shared(const GPtrArray *lows, guint self)
{
    const char *me = g_ptr_array_index(lows, self);

    for (guint j = 0; me != NULL && j < lows->len; j++)
        if (j != self && g_strcmp0(g_ptr_array_index(lows, j), me) == 0)
            return TRUE;
    return FALSE;
}

/* names_other - the line [p, end) of the lower-case text names the
 * recipient (lows, lowered()) of another result than self */
static gboolean names_other(const GPtrArray *lows, guint self, const char *p, const char *end)
{
    for (guint j = 0; j < lows->len; j++) {
        const char *needle = g_ptr_array_index(lows, j);
        if (j != self && needle != NULL && g_strstr_len(p, end - p, needle) != NULL)
            return TRUE;
    }
    return FALSE;
}

/* paragraph - the reply written under an address line in the lower-case
 * text low (Exim: "  a@b\n    SMTP error from remote mail server after
 * RCPT TO:<a@b>:\n    host mx [ip]: 550 5.1.1 <a@b>:\n    Recipient
 * address rejected: ..."): the first line below it unless that is blank,
 * and the lines after it while they are indented deeper than the address
 * line, up to a blank line, PARAGRAPH_LINES lines or max bytes. A line
 * that names another result's recipient (lows) ends it, and a first line
 * that does gives nothing. Its offset in low through *start; its length. */
static size_t paragraph(const GPtrArray *lows, guint self, const char *low, const char *hit,
                        size_t max, size_t *start)
{
    const char *bol = mxb_line_start(low, hit), *line, *first = NULL;
    size_t indent = 0, n = 0;

    while (bol[indent] == ' ' || bol[indent] == '\t')
        indent++;
    line = strchr(hit, '\n');
    for (int k = 0; line != NULL && k < PARAGRAPH_LINES; k++) {
        line++;
        const char *nl = strchr(line, '\n');
        const char *end = nl ? nl : line + strlen(line);
        size_t ind = 0;
        while (line + ind < end && g_ascii_isspace(line[ind]))
            ind++;
        /* A transcript's lines (Courier: ">>> RCPT TO:<a@b>", "<<< 450
         * ...") belong to it at any depth; a command naming another
         * address (a pipelined session's RCPT for someone else) does not. */
        gboolean dialogue = end - (line + ind) > 4 && (strncmp(line + ind, ">>> ", 4) == 0 ||
                                                       strncmp(line + ind, "<<< ", 4) == 0);
        if (dialogue && line[ind] == '>' && memchr(line, '@', (size_t)(end - line)) != NULL &&
            g_strstr_len(line, end - line, g_ptr_array_index(lows, self)) == NULL)
            break;
        if (line + ind == end || (k > 0 && ind <= indent && !dialogue) ||
            names_other(lows, self, line, end) || mxb_field_line(line))
            break;
        if (first == NULL)
            first = line + ind;
        n = (size_t)(end - first);
        if (n >= max)
            break;
        line = nl;
    }
    *start = first ? (size_t)(first - low) : 0;
    return n;
}

/* continues - the line from bol to eol (its newline) goes on on the line
 * at next: it ends with a comma (ASCII, full-width or ideographic) or the
 * next line is indented deeper */
static gboolean continues(const char *bol, const char *eol, const char *next)
{
    const char *e = eol;
    size_t ind = 0, nind = 0;

    while (e > bol && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        e--;
    if ((e > bol && e[-1] == ',') ||
        (e - bol >= 3 && (memcmp(e - 3, "\xef\xbc\x8c", 3) == 0 || /* ， */
                          memcmp(e - 3, "\xe3\x80\x81", 3) == 0))) /* 、 */
        return TRUE;
    while (bol[ind] == ' ' || bol[ind] == '\t')
        ind++;
    while (next[nind] == ' ' || next[nind] == '\t')
        nind++;
    return nind > ind;
}

/* address_alone - the line from bol to eol names the address needle and
 * nothing else ("a@b", "<a@b>:", "a@b (a@b)<mailto:a@b>") */
static gboolean address_alone(const char *bol, const char *eol, const char *needle)
{
    size_t n = strlen(needle);

    for (const char *p = bol; p < eol;) {
        if ((size_t)(eol - p) >= n && memcmp(p, needle, n) == 0)
            p += n;
        else if (eol - p >= 7 && g_ascii_strncasecmp(p, "mailto:", 7) == 0)
            p += 7;
        else if (strchr(" \t\r<>()[]\"':;,.", *p) != NULL)
            p++;
        else
            return FALSE;
    }
    return TRUE;
}

/*
 * enrich_from_text - a recipient whose status part gave no diagnostic and
 * only a "c.0.0" status: the human-readable part often names it with the
 * remote server's reply on the same line ("a@b: 550 5.1.1 ...") or the
 * next one, or with words the text rules know ("wasn't delivered to a@b
 * because the address couldn't be found"). Take that line as the
 * diagnostic.
 */
static void enrich_from_text(walk_ctx *ctx, GMimeObject *human, guint first, char **text,
                             char **low)
{
    g_autoptr(GPtrArray) lows = NULL; /* the recipients, lower case, once */

    for (guint i = first; i < ctx->report->results->len; i++) {
        mxb_result *r = g_ptr_array_index(ctx->report->results, i);
        char code[12];
        if (r->recipient == NULL || !wants_words(r, FALSE))
            continue;
        /* Decoded only when a recipient needs it: most reports never do. */
        if (!human_lower(human, text, low))
            return;
        if (lows == NULL)
            lows = lowered(ctx->report);
        const char *needle = g_ptr_array_index(lows, i);
        if (needle == NULL || shared(lows, i))
            continue;
        /* The first mention that is not a quoted header field of the
         * returned message ("To: a@b" above "Subject: ..."). */
        const char *hit = find_address(*low, needle);
        while (hit != NULL && mxb_field_line(mxb_line_start(*low, hit))) {
            const char *eol = strchr(hit, '\n'); /* the next line on: linear */
            hit = eol ? find_address(eol + 1, needle) : NULL;
        }
        if (hit == NULL)
            continue;
        const char *cp = *text + (hit - *low) + strlen(needle);
        const char *eol = strchr(cp, '\n');
        size_t n = eol ? (size_t)(eol - cp) : strlen(cp);
        while (n > 0 && strchr(">:;)'\" \t\r", *cp)) {
            cp++;
            n--;
        }
        while (n > 0 && (cp[n - 1] == ' ' || cp[n - 1] == '\t' || cp[n - 1] == '\r'))
            n--;
        if (n > 0 && cp[n - 1] == ':' && eol != NULL) {
            /* The words go on on the next line: "Your message to <a@b>
             * was automatically rejected:\nQuota exceeded" (Sieve). */
            const char *next = strchr(eol + 1, '\n');
            n = next ? (size_t)(next - cp) : strlen(cp);
        } else if (n == 0 && eol != NULL) {
            /* The reply is below the address line (paragraph). */
            size_t at = 0;
            n = paragraph(lows, i, *low, hit, ctx->limits->max_diagnostic, &at);
            cp = *text + at;
        }
        g_autofree char *line = mxb_text_clean(cp, n, ctx->limits->max_diagnostic, NULL);
        if (mxb_smtp_code_find(line) == 0 && !mxb_status_find(line, code) &&
            mxb_classify_text(line) == MXB_REASON_NONE) {
            /* The words may stand before the address on its line: Exim's
             * "pipe to |/usr/bin/prog a@b" (a local program failed),
             * IMail's "Unknown user: a@b". */
            const char *bol = mxb_line_start(*low, hit);
            const char *end = strchr(hit, '\n');
            size_t whole = end ? (size_t)(end - bol) : strlen(bol);
            g_free(line);
            line = mxb_text_clean(*text + (bol - *low), whole, ctx->limits->max_diagnostic, NULL);
            if (mxb_classify_text(line) == MXB_REASON_NONE) {
                /* The words go on on the next line: the sentence does
                 * ("your mail to <a@b> could not be delivered,\nbecause
                 * the recipient does not exist"; the address's line ends
                 * with a comma or the next is indented deeper), or the
                 * line names the address alone (Exchange's "a@b
                 * (a@b)<mailto:a@b>" above its words), or the next line
                 * carries a server's reply. Never a quoted header field
                 * ("Subject: ...", the sender's words), nor a line that
                 * names another address (our sender's). */
                const char *next = end ? end + 1 : NULL;
                const char *next_end = next ? strchr(next, '\n') : NULL;
                size_t nn = next ? (next_end ? (size_t)(next_end - next) : strlen(next)) : 0;
                g_autofree char *nl = nn ? g_strndup(next, nn) : NULL;
                const char *lead = next ? next + strspn(next, " \t") : "";
                if (nn == 0 || mxb_field_line(next) ||
                    /* a quoted subject: the sender's words */
                    *lead == '"' || *lead == '\'' || strncmp(lead, "\xe2\x80\x9c", 3) == 0 ||
                    strncmp(lead, "\xc2\xab", 2) == 0 ||
                    (memchr(next, '@', nn) != NULL && g_strstr_len(next, nn, needle) == NULL) ||
                    names_other(lows, i, next, next + nn) ||
                    !(continues(bol, end, next) || address_alone(bol, end, needle) ||
                      mxb_smtp_failure_code_find(nl) != 0))
                    continue; /* neither a server reply nor words of a verdict */
                g_free(line);
                line = mxb_text_clean(*text + (bol - *low), whole + 1 + nn,
                                      ctx->limits->max_diagnostic, NULL);
                if (mxb_classify_text(line) == MXB_REASON_NONE)
                    continue;
            }
        }
        take_diagnostic(r, g_steal_pointer(&line));
    }
}

/* Most lines of a local program's output read above Sendmail's statement */
#define MAILER_OUTPUT_LINES 3

/*
 * mailer_output_from_text - a recipient with no diagnostic and no status
 * or one that says nothing (c.0.0, c.5.0): Sendmail's transcript prints what its
 * local delivery agent said above its own statement about the address
 * ("mail.local: unknown user: kijitora" over "554 <a@b>... Service
 * unavailable"). Those lines, at most MAILER_OUTPUT_LINES, each opening
 * with a letter, not "while talking to" (the SMTP session's) and naming
 * no other recipient, become the diagnostic when the rules know their
 * words.
 */
static void mailer_output_from_text(walk_ctx *ctx, GMimeObject *human, guint first, char **text,
                                    char **low)
{
    g_autoptr(GPtrArray) lows = NULL;

    for (guint i = first; i < ctx->report->results->len; i++) {
        mxb_result *r = g_ptr_array_index(ctx->report->results, i);
        if (r->recipient == NULL || !wants_words(r, TRUE))
            continue;
        if (!human_lower(human, text, low))
            return;
        if (lows == NULL)
            lows = lowered(ctx->report);
        const char *needle = shared(lows, i) ? NULL : g_ptr_array_index(lows, i);
        size_t nlen = needle ? strlen(needle) : 0;
        for (const char *hit = needle ? strstr(*low, needle) : NULL; hit != NULL;
             hit = strstr(hit + nlen, needle)) {
            /* The statement: "554 <a@b>... ", "550 5.1.1 <a@b>... ": the
             * address whole (after '<' or a space), a reply code and
             * perhaps a status before it on its line (a bounded look
             * back: the line may be long). */
            const char *bol = hit;
            while (bol > *low && hit - bol < 16 && bol[-1] != '\n' &&
                   (g_ascii_isdigit(bol[-1]) || strchr(" .<", bol[-1]) != NULL))
                bol--;
            const char *after = hit + nlen + (hit[nlen] == '>');
            if (hit == bol || (hit[-1] != '<' && hit[-1] != ' ') ||
                (bol > *low && bol[-1] != '\n') || !g_ascii_isdigit(*bol) ||
                strncmp(after, "...", 3) != 0)
                continue;
            /* The lines above it, nearest first, while they are words. */
            const char *top = bol;
            for (int k = 0; k < MAILER_OUTPUT_LINES && top > *low; k++) {
                const char *up = mxb_line_start(*low, top - 1);
                if (!g_ascii_isalpha(*up) || g_str_has_prefix(up, "while talking") ||
                    names_other(lows, i, up, top - 1))
                    break;
                top = up;
            }
            if (top == bol)
                break;
            g_autofree char *line = mxb_text_clean(*text + (top - *low), (size_t)(bol - top),
                                                   ctx->limits->max_diagnostic, NULL);
            if (mxb_classify_text(line) != MXB_REASON_NONE)
                take_diagnostic(r, g_steal_pointer(&line));
            break;
        }
    }
}

/* Most lines read under "Transcript of session follows" for the reply */
#define TRANSCRIPT_SCAN_LINES 8

/*
 * transcript_from_text - a report of one recipient with no diagnostic and
 * no status or one that says nothing: the human-readable part's
 * transcript ("----- Transcript of session follows -----", Sendmail and
 * the servers that copy its report) holds the reply or the statement
 * about it ("554 could not connect and send the mail to 192.0.2.1"). The
 * first line that opens with a failure code in its first
 * TRANSCRIPT_SCAN_LINES lines becomes the diagnostic when the rules know
 * its words.
 */
static void transcript_from_text(walk_ctx *ctx, GMimeObject *human, guint first, char **text,
                                 char **low)
{
    mxb_result *r;

    if (ctx->report->results->len != first + 1)
        return;
    r = g_ptr_array_index(ctx->report->results, first);
    if (!wants_words(r, TRUE) || !human_lower(human, text, low))
        return;
    const char *mark = strstr(*low, "transcript of session follows");
    const char *line = mark ? strchr(mark, '\n') : NULL;
    for (int k = 0; line != NULL && k < TRANSCRIPT_SCAN_LINES; k++) {
        line++;
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        const char *p = line + strspn(line, " \t");
        /* The reporter's statement, not a "<<< " reply: the command that
         * reply answered (HELO, MAIL FROM) is not read here. */
        if ((p[0] == '4' || p[0] == '5') && g_ascii_isdigit(p[1]) && g_ascii_isdigit(p[2]) &&
            (p[3] == ' ' || p[3] == '-')) {
            g_autofree char *words =
                mxb_text_clean(*text + (line - *low), n, ctx->limits->max_diagnostic, NULL);
            if (mxb_classify_text(words) != MXB_REASON_NONE)
                take_diagnostic(r, g_steal_pointer(&words));
            return; /* the first reply only */
        }
        line = nl;
    }
}

/*
 * exit_status_from_text - a report of one recipient whose diagnostic is
 * only a local program's exit status: Sendmail's transcript in the
 * human-readable part carries the words it made of it ("554 5.3.0
 * unknown mailer error 255", "451 4.0.0 Operating system error"), on a
 * line of a reply code and a status. The first such line is the
 * diagnostic (take_diagnostic).
 */
static void exit_status_from_text(walk_ctx *ctx, GMimeObject *human, guint first, char **text,
                                  char **low)
{
    static GRegex *re; /* once per process */
    mxb_result *r;

    if (ctx->report->results->len != first + 1)
        return;
    r = g_ptr_array_index(ctx->report->results, first);
    if (!exit_status_only(r->diagnostic) || r->smtp_code != 0 || !human_lower(human, text, low))
        return;
    if (g_once_init_enter(&re)) {
        GRegex *x = g_regex_new("^[245][0-9][0-9][ -][245]\\.[0-9]{1,3}\\.[0-9]{1,3} .*$",
                                G_REGEX_MULTILINE | G_REGEX_RAW, 0, NULL);
        g_once_init_leave(&re, x);
    }
    g_autoptr(GMatchInfo) mi = NULL;
    if (!g_regex_match(re, *text, 0, &mi))
        return;
    int start, end;
    g_match_info_fetch_pos(mi, 0, &start, &end);
    g_autofree char *line =
        mxb_text_clean(*text + start, (size_t)(end - start), ctx->limits->max_diagnostic, NULL);
    g_free(r->diagnostic);
    take_diagnostic(r, g_steal_pointer(&line));
}

/*
 * challenge_from_text - a status part with temporary statuses only whose
 * human-readable part asks the sender to prove itself (Boxbe's DSN:
 * "Sender not pre-approved", "has been waitlisted ... add yourself to my
 * Guest List"): the message is held, not refused, and the recipient is
 * the protected address: a challenge. A permanent status keeps a report
 * a failure whatever its text says.
 */
static void challenge_from_text(walk_ctx *ctx, GMimeObject *human, guint first, char **text,
                                char **low)
{
    mxb_report *rep = ctx->report;

    if (rep->results->len == first)
        return;
    for (guint i = first; i < rep->results->len; i++) {
        const mxb_result *r = g_ptr_array_index(rep->results, i);
        if (r->status == NULL || r->status[0] != '4')
            return;
    }
    if (!human_lower(human, text, low) || !mxb_pattern_match(MXB_PATTERN_CHALLENGE, *text))
        return;
    for (guint i = first; i < rep->results->len; i++) {
        mxb_result *r = g_ptr_array_index(rep->results, i);
        r->kind = MXB_KIND_CHALLENGE;
        mxb_classify(r); /* a challenge has no class or reason */
    }
}

/*
 * phase_from_text - Postfix writes the SMTP phase of each failure in its
 * human-readable part only ("<a@b>: host mx said: 550 Unknown user a@b
 * (in reply to end of DATA command)"), and so does Exim ("a@b\n  host mx
 * [192.0.2.1]\n  SMTP error from remote mail server after EHLO mx: 550
 * Rejected"); the status part's diagnostic leaves it out. Read it from
 * the recipient's paragraph for the results whose reason it can change:
 * an unknown user or domain (the end of DATA: its filter, or our
 * sender's domain, docs/taxonomy.md) and a
 * reason that only a code gave (the greeting and EHLO: the sending host;
 * MAIL FROM: our sender).
 */
static void phase_from_text(walk_ctx *ctx, GMimeObject *human, guint first, char **text, char **low)
{
    for (guint i = first; i < ctx->report->results->len; i++) {
        mxb_result *r = g_ptr_array_index(ctx->report->results, i);
        if (r->recipient == NULL || r->phase != MXB_PHASE_UNKNOWN ||
            (r->reason != MXB_REASON_USER_UNKNOWN && r->reason != MXB_REASON_DOMAIN_UNKNOWN &&
             !r->code_only))
            continue;
        if (!human_lower(human, text, low))
            return;
        g_autofree char *needle = g_ascii_strdown(r->recipient, -1);
        const char *hit = find_address(*low, needle);
        if (hit == NULL)
            continue;
        /* The recipient's paragraph: the words start before the next
         * blank line and no further than MXB_PHASE_SCAN_MAX bytes from
         * the address (a regex that said so, "^(?:(?!\n[ \t]*\n).){0,1000}?",
         * was compiled into a thousand copies of its group: 5 ms of the
         * JIT's in every batch) */
        size_t limit = 0;
        while (limit < MXB_PHASE_SCAN_MAX && hit[limit] != '\0') {
            if (hit[limit] == '\n') {
                size_t j = limit + 1;
                while (hit[j] == ' ' || hit[j] == '\t')
                    j++;
                if (hit[j] == '\n')
                    break;
            }
            limit++;
        }
        r->phase = mxb_phase_within(hit, limit);
        if (r->phase != MXB_PHASE_UNKNOWN)
            mxb_classify(r);
    }
}

/*
 * name_from_text - a report of one recipient whose Final-Recipient is not
 * an address ("rfc822; @mx.example.org", left by source routes and broken
 * MTAs): the human-readable part names it on a line of its own ("<a@b>",
 * "a@b: ...", "a@b... User unknown"). Taken only when exactly one address
 * is written so.
 */
static void name_from_text(walk_ctx *ctx, GMimeObject *human, guint first)
{
    static GRegex *re;
    static gsize done;
    mxb_result *r;

    if (ctx->report->results->len != first + 1)
        return;
    r = g_ptr_array_index(ctx->report->results, first);
    if (r->recipient != NULL || (r->kind != MXB_KIND_BOUNCE && r->kind != MXB_KIND_DELAYED))
        return;
    if (g_once_init_enter(&done)) {
        re = g_regex_new("^[ \\t]*<?([^\\s<>@\"]+@[A-Za-z0-9.-]+\\.[A-Za-z]+)>?"
                         "[ \\t]*(?:$|:|\\.\\.\\.)",
                         G_REGEX_MULTILINE | G_REGEX_NEWLINE_ANYCRLF | mxb_regex_optimize(), 0,
                         NULL);
        g_once_init_leave(&done, 1);
    }
    g_autofree char *text = human_text(human);
    g_autofree char *found = NULL;
    GMatchInfo *mi = NULL;
    gboolean several = FALSE;

    if (text == NULL)
        return;
    g_regex_match(re, text, 0, &mi);
    for (; g_match_info_matches(mi) && !several; g_match_info_next(mi, NULL)) {
        g_autofree char *a = g_match_info_fetch(mi, 1);
        if (found == NULL)
            found = g_steal_pointer(&a);
        else if (g_ascii_strcasecmp(found, a) != 0)
            several = TRUE;
    }
    g_match_info_free(mi);
    if (found != NULL && !several)
        r->recipient = mxb_clean_field(ctx->report, found, ctx->limits->max_field);
}

/* first_plain - the first text/plain at or below obj (an alternative part
 * holds the human-readable text of many reports), or NULL; borrowed */
static GMimeObject *first_plain(GMimeObject *obj, unsigned depth)
{
    if (GMIME_IS_TEXT_PART(obj) && is_type(obj, "text", "plain"))
        return obj;
    if (!GMIME_IS_MULTIPART(obj) || depth >= 3)
        return NULL;
    int n = g_mime_multipart_get_count(GMIME_MULTIPART(obj));
    for (int i = 0; i < n; i++) {
        GMimeObject *c = g_mime_multipart_get_part(GMIME_MULTIPART(obj), i); /* borrowed */
        if (is_status_type(c))
            return NULL;
        GMimeObject *t = first_plain(c, depth + 1);
        if (t)
            return t;
    }
    return NULL;
}

/* report_part - a multipart/report: status parts first, then returned */
static void report_part(walk_ctx *ctx, GMimeMultipart *mp, unsigned depth)
{
    int n = g_mime_multipart_get_count(mp);
    gboolean found = FALSE;
    guint first = ctx->report->results->len;
    GMimeObject *human = NULL; /* borrowed: the first text/plain before the report */

    for (int i = 0; i < n; i++) {
        GMimeObject *child = g_mime_multipart_get_part(mp, i); /* borrowed */
        if (human == NULL && !found && !is_status_type(child) && !mxb_is_returned_type(child))
            human = first_plain(child, 0);
        if (GMIME_IS_PART(child) && is_status_type(child)) {
            if (++ctx->parts > ctx->limits->max_parts) {
                mxb_report_note(ctx->report, MXB_REPORT_TRUNCATED_PARTS, "too many MIME parts");
                return;
            }
            status_part(ctx, GMIME_PART(child));
            found = TRUE;
        } else if (mxb_report_part(ctx->report, ctx->limits, child)) {
            found = TRUE;
        }
    }
    if (found && human != NULL) {
        name_from_text(ctx, human, first);
        g_autofree char *text = NULL, *low = NULL;
        mailer_output_from_text(ctx, human, first, &text, &low);
        enrich_from_text(ctx, human, first, &text, &low);
        transcript_from_text(ctx, human, first, &text, &low);
        exit_status_from_text(ctx, human, first, &text, &low);
        phase_from_text(ctx, human, first, &text, &low);
        challenge_from_text(ctx, human, first, &text, &low);
    }
    for (int i = 0; i < n; i++) {
        GMimeObject *child = g_mime_multipart_get_part(mp, i); /* borrowed */
        if (found && mxb_is_returned_type(child))
            returned_headers(ctx, child, first);
        else if (!found)
            walk(ctx, child, depth + 1);
    }
}

/* has_status_child - a multipart/mixed that is a report in all but name */
static gboolean has_status_child(GMimeMultipart *mp)
{
    int n = g_mime_multipart_get_count(mp);

    for (int i = 0; i < n; i++)
        if (is_status_type(g_mime_multipart_get_part(mp, i)))
            return TRUE;
    return FALSE;
}

/* jmrp_result - a JMRP complaint about the mailbox of X-HmXmrOriginalRecipient
 * value v; NULL when the report has no room for more results */
static mxb_result *jmrp_result(walk_ctx *ctx, const char *v)
{
    mxb_result *r = mxb_result_add(ctx->report, ctx->limits, MXB_KIND_COMPLAINT);

    if (r == NULL)
        return NULL;
    g_autofree char *a = mxb_dsn_address(v);
    r->recipient = mxb_clean_field(ctx->report, a, ctx->limits->max_field);
    if (r->recipient != NULL && *r->recipient == '\0')
        g_clear_pointer(&r->recipient, g_free);
    r->feedback_type = g_strdup("abuse");
    r->mta = g_strdup("jmrp");
    return r;
}

/*
 * jmrp_complaint - Microsoft's Junk Mail Reporting Program (Outlook.com,
 * Hotmail) reports a complaint not as RFC 5965 but as the message itself,
 * attached, with the complaining mailbox in X-HmXmrOriginalRecipient.
 * TRUE when obj (a message/rfc822 part holding m) was such a report.
 */
static gboolean jmrp_complaint(walk_ctx *ctx, GMimeObject *obj, GMimeMessage *m)
{
    const char *v = g_mime_object_get_header(GMIME_OBJECT(m), "X-HmXmrOriginalRecipient");
    guint first = ctx->report->results->len;

    if (v == NULL)
        return FALSE;
    if (jmrp_result(ctx, v) != NULL)
        returned_headers(ctx, obj, first); /* Message-ID, token; To: if no recipient */
    return TRUE;
}

/*
 * jmrp_inline - JMRP's older form: the complained-of message itself, not
 * attached, with X-HmXmrOriginalRecipient added to its own header (sent
 * by Hotmail's junk mail reporting hosts from staff@hotmail.com). Its
 * Message-ID and token are ours. TRUE when msg was such a report.
 */
static gboolean jmrp_inline(walk_ctx *ctx, GMimeMessage *msg)
{
    const char *v = g_mime_object_get_header(GMIME_OBJECT(msg), "X-HmXmrOriginalRecipient");
    mxb_report *rep = ctx->report;

    if (v == NULL || ctx->have_status || rep->results->len > 0)
        return FALSE;
    if (jmrp_result(ctx, v) != NULL)
        tie_back(ctx, msg);
    return TRUE;
}

/* walk - visit one MIME object */
static void walk(walk_ctx *ctx, GMimeObject *obj, unsigned depth)
{
    if (depth > ctx->limits->max_depth) {
        mxb_report_note(ctx->report, MXB_REPORT_TRUNCATED_PARTS, "MIME nesting too deep");
        return;
    }
    if (++ctx->parts > ctx->limits->max_parts) {
        mxb_report_note(ctx->report, MXB_REPORT_TRUNCATED_PARTS, "too many MIME parts");
        return;
    }
    if (GMIME_IS_MULTIPART(obj)) {
        GMimeMultipart *mp = GMIME_MULTIPART(obj);
        if (is_type(obj, "multipart", "report") || has_status_child(mp)) {
            report_part(ctx, mp, depth);
            return;
        }
        int n = g_mime_multipart_get_count(mp);
        for (int i = 0; i < n; i++)
            walk(ctx, g_mime_multipart_get_part(mp, i), depth + 1);
    } else if (GMIME_IS_MESSAGE_PART(obj)) {
        GMimeMessage *m = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj)); /* borrowed */
        GMimeObject *body = m ? g_mime_message_get_mime_part(m) : NULL;             /* borrowed */
        if (m && !ctx->have_status && jmrp_complaint(ctx, obj, m))
            return;
        if (body)
            walk(ctx, body, depth + 1);
    } else if (GMIME_IS_PART(obj) && is_status_type(obj)) {
        /* A status part outside multipart/report: some reporters do that. */
        status_part(ctx, GMIME_PART(obj));
    }
}

/* note_reply - a server's reply in a Status comment: at its start ("550
 * 5.1.1 ...", "5.1.1 ...") or after "said:", "server:", "reply:" or
 * "smtp;" ("remote smtp server: 550 user unknown", mox); FALSE for a
 * number in the reporter's own words ("gave up after 551 attempts") */
static gboolean note_reply(const char *note)
{
    static const char *const marks[] = {"said:", "server:", "reply:", "smtp;"};
    g_autofree char *low = g_ascii_strdown(note, -1);
    const char *end = low + strlen(low);

    for (size_t m = 0; m <= G_N_ELEMENTS(marks); m++) {
        const char *p = m == 0 ? low : strstr(low, marks[m - 1]);
        if (p == NULL)
            continue;
        if (m > 0)
            p += strlen(marks[m - 1]);
        while (*p == ' ')
            p++;
        if (mxb_reply_code_at(p, end) ||
            ((*p == '4' || *p == '5') && p[1] == '.' && g_ascii_isdigit(p[2])))
            return TRUE;
    }
    return FALSE;
}

/* names_other_host - the comment opens with a host's name and a colon
 * ("relay.example.net: host unknown", RFC 3464's shape) and that host is
 * not the recipient's domain, its parent or a subdomain of it */
static gboolean names_other_host(const char *note, const char *recipient)
{
    const char *colon = strchr(note, ':');
    const char *at = recipient ? strrchr(recipient, '@') : NULL;

    if (colon == NULL || colon == note || memchr(note, ' ', (size_t)(colon - note)) != NULL ||
        memchr(note, '.', (size_t)(colon - note)) == NULL)
        return FALSE;
    if (at == NULL)
        return TRUE;
    g_autofree char *ace = g_hostname_to_ascii(at + 1); /* a U-label domain, decoded */
    return !mxb_same_or_parent(note, (size_t)(colon - note), ace ? ace : at + 1);
}

/* notes_as_diagnostics - a failed recipient that neither its status
 * block nor the text part gave a diagnostic reads its Status field's
 * comment: a server's reply in it (note_reply), or words the rules know
 * ("permanent failure" says nothing more than the code). Words alone are
 * the reporter's, and its numbers no reply code; and the words of RFC
 * 3464's "<host>: host unknown" are about that host, maybe a relay: they
 * name the recipient's domain dead only when the host is that domain
 * (names_other_host). Not a delay: one without a Diagnostic-Code is expired
 * (docs/taxonomy.md), as Sisimai labels it too, and a delay has no class
 * to get wrong. */
static void notes_as_diagnostics(walk_ctx *ctx)
{
    for (guint i = 0; i < ctx->report->results->len; i++) {
        mxb_result *r = g_ptr_array_index(ctx->report->results, i);
        char *note = r->diagnostic == NULL && r->kind == MXB_KIND_BOUNCE
                         ? g_hash_table_lookup(ctx->notes, r)
                         : NULL;
        if (note == NULL)
            continue;
        if (note_reply(note)) {
            g_hash_table_steal(ctx->notes, r);
            take_diagnostic(r, note);
            continue;
        }
        mxb_reason words = mxb_classify_text(note);
        if (words == MXB_REASON_NONE ||
            ((words == MXB_REASON_DOMAIN_UNKNOWN || words == MXB_REASON_NOT_ACCEPTING) &&
             names_other_host(note, r->recipient)))
            continue;
        g_hash_table_steal(ctx->notes, r);
        r->diagnostic = note;
        mxb_classify(r);
    }
}

/* mxb_gmime_parse - GMime message from bytes, LF or CRLF; caller unrefs */
GMimeMessage *mxb_gmime_parse(const char *p, size_t len)
{
    GMimeStream *mem, *filtered;
    GMimeFilter *dos2unix;
    GMimeParser *parser;
    GMimeMessage *msg;

    gmime_init_once();
    mem = g_mime_stream_mem_new_with_buffer(len ? p : "", len);
    if (len == 0 || memchr(p, '\r', len) == NULL) {
        filtered = mem; /* nothing to convert: no filter stream to read through */
    } else {
        filtered = g_mime_stream_filter_new(mem);
        dos2unix = g_mime_filter_dos2unix_new(FALSE);
        g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), dos2unix);
        g_object_unref(dos2unix); /* the filter stream holds it */
        g_object_unref(mem);      /* the filter stream holds it */
    }
    parser = g_mime_parser_new_with_stream(filtered);
    g_object_unref(filtered); /* the parser holds it */
    g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
    g_mime_parser_set_persist_stream(parser, FALSE); /* content copied, not referenced */
    msg = g_mime_parser_construct_message(parser, NULL);
    g_object_unref(parser);
    return msg;
}

/* mxb_colon_cut - offset of the colon one past MXB_FIELD_COLONS_MAX */
size_t mxb_colon_cut(const char *p, size_t len)
{
    size_t n = 0;

    for (const char *c = memchr(p, ':', len); c; c = memchr(c + 1, ':', len - (size_t)(c + 1 - p)))
        if (++n > MXB_FIELD_COLONS_MAX)
            return (size_t)(c - p);
    return len;
}

/* mxb_address_list_parse - GMime's address list, the colons bounded */
InternetAddressList *mxb_address_list_parse(const char *value)
{
    size_t len = strlen(value), cut = mxb_colon_cut(value, len);

    if (cut == len)
        return internet_address_list_parse(NULL, value);
    g_autofree char *head = g_strndup(value, cut);
    return internet_address_list_parse(NULL, head);
}

static gboolean field_line(const char *p, size_t len);

/* skip_preamble - length of leading lines of white space only (a message
 * saved or pasted with them above its header) when a header field or an
 * mbox "From " line follows them, and of that mbox line; or 0 */
static size_t skip_preamble(const char *p, size_t len)
{
    const char *nl;
    size_t off = 0, e;

    for (;;) {
        for (e = off; e < len && (p[e] == ' ' || p[e] == '\t' || p[e] == '\r'); e++)
            ;
        if (e >= len || p[e] != '\n')
            break;
        off = e + 1;
    }
    if (off > 0) {
        nl = memchr(p + off, '\n', len - off);
        size_t n = nl ? (size_t)(nl - (p + off)) : len - off;
        if (!field_line(p + off, n) && !(len - off >= 5 && memcmp(p + off, "From ", 5) == 0))
            return 0;
    }
    if (len - off < 5 || memcmp(p + off, "From ", 5) != 0)
        return off;
    nl = memchr(p + off, '\n', len - off);
    return nl ? (size_t)(nl - p) + 1 : len;
}

/* The fields a receiving MTA and its filters put on top of a message as
 * they take it, which differ from one delivery of the same report to the
 * next (another MX, another queue id, another scan): RFC 5321's trace
 * fields, Postfix's Delivered-To and X-Original-To, RFC 7208's
 * Received-SPF, RFC 8601's Authentication-Results, RFC 8617's ARC set,
 * and the stamps of spam and virus filters (SpamAssassin, Rspamd, amavis,
 * milter-greylist, ClamAV). A name ending in '-' is a family: any field
 * whose name starts so. */
static const char *const trace_names[] = {
    "Received",
    "Return-Path",
    "Delivered-To",
    "X-Original-To",
    "Received-SPF",
    "Authentication-Results",
    "ARC-Seal",
    "ARC-Message-Signature",
    "ARC-Authentication-Results",
    "X-Spam-",
    "X-Rspamd-",
    "X-Amavis-",
    "X-Virus-",
    "X-Quarantine-ID",
    "X-Greylist",
    "X-Envelope-From",
    "X-Envelope-To",
};

/* trace_field_len - length of a leading trace field (trace_names) with
 * its folded lines, or 0 when the line at p is not one */
static size_t trace_field_len(const char *p, size_t len)
{
    size_t n = 0, name = 0;
    gboolean match = FALSE;

    /* the field's name: up to its colon, no blank or control in it */
    while (name < len && p[name] != ':' && p[name] > ' ' && p[name] < 0x7f)
        name++;
    if (name == 0 || name >= len || p[name] != ':')
        return 0;
    for (size_t i = 0; i < G_N_ELEMENTS(trace_names) && !match; i++) {
        size_t l = strlen(trace_names[i]);
        gboolean family = trace_names[i][l - 1] == '-';
        match = (family ? name > l : name == l) && g_ascii_strncasecmp(p, trace_names[i], l) == 0;
    }
    if (!match)
        return 0;
    do {
        const char *nl = memchr(p + n, '\n', len - n);
        n = nl ? (size_t)(nl - p) + 1 : len;
    } while (n < len && (p[n] == ' ' || p[n] == '\t'));
    return n;
}

/*
 * bare_cr_ends - a CR not followed by LF ends a line too, as in mail saved
 * by old Mac OS mail programs ("\r" alone) and in Python's email package,
 * which reads \r\n, \r and \n alike; GMime reads only \n and \r\n. A run
 * of CRs that an LF follows is left as it is: CR CR LF, from a line end
 * converted twice, stays one line end (GMime's CRLF filter reads it so).
 * Returns the bytes to parse: p itself when it has no bare CR, else a
 * copy (in *copy, the caller frees) where each bare CR is an LF.
 */
static const char *bare_cr_ends(const char *p, size_t len, GString **copy)
{
    const char *cr;
    size_t i = 0;

    if (len == 0)
        return p;
    while ((cr = memchr(p + i, '\r', len - i)) != NULL) {
        size_t start = (size_t)(cr - p);
        for (i = start; i < len && p[i] == '\r'; i++)
            ;
        if (i < len && p[i] == '\n')
            continue;
        if (*copy == NULL)
            *copy = g_string_new_len(p, (gssize)len);
        memset((*copy)->str + start, '\n', i - start);
    }
    return *copy ? (*copy)->str : p;
}

/* mxb_report_content_offset - skip blank lines, mbox line, leading trace fields */
size_t mxb_report_content_offset(const char *p, size_t len)
{
    size_t off = skip_preamble(p, len), n;

    while (off < len && (n = trace_field_len(p + off, len - off)) > 0)
        off += n;
    return off;
}

/* field_line - does the line at p (len bytes, no newline) start a header
 * field as GMime's parser takes one: a name without blanks (8-bit and
 * even empty names pass), blanks, a colon; a blank first byte continues
 * the field before. A superset of what GMime keeps: control characters,
 * which it drops, count too. */
static gboolean field_line(const char *p, size_t len)
{
    size_t i = 0;

    if (len == 0 || p[0] == ' ' || p[0] == '\t')
        return FALSE;
    while (i < len && p[i] != ':' && p[i] != ' ' && p[i] != '\t')
        i++;
    while (i < len && (p[i] == ' ' || p[i] == '\t'))
        i++;
    return i < len && p[i] == ':';
}

/* line_end - offset just past the line at pos (its '\n' included) */
static size_t line_end(const char *p, size_t len, size_t pos)
{
    const char *nl = memchr(p + pos, '\n', len - pos);
    return nl ? (size_t)(nl - p) + 1 : len;
}

/* address_field - a field GMime parses as addresses while it builds a
 * message's header (gmime-message.c: Sender, From, Reply-To, To, Cc,
 * Bcc); name..name+len is the field's name and any blanks after it */
static gboolean address_field(const char *name, size_t len)
{
    static const char *const names[] = {"sender", "from", "reply-to", "to", "cc", "bcc"};

    while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t'))
        len--;
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        if (strlen(names[i]) == len && g_ascii_strncasecmp(name, names[i], len) == 0)
            return TRUE;
    return FALSE;
}

/*
 * bound_structure - the limits GMime's parser cannot apply, applied to the
 * bytes before it sees them (docs/limits.md):
 *   - a header field with its folded lines longer than max_header keeps
 *     its first max_header bytes, as Postfix's header_size_limit does (the
 *     kept part ends with a line end, added if the cut falls in a line);
 *   - an address field GMime parses (address_field) whose value holds
 *     more than MXB_FIELD_COLONS_MAX colons keeps what comes before the
 *     one past the limit (GMime's address parser calls itself once for
 *     every group a group opens);
 *   - past max_structure_lines header fields and boundary lines ("--" at a
 *     line start) in the whole message, the message is cut: GMime builds
 *     an object of about half a kilobyte for each, so 10 MB of "X: v"
 *     lines would take a gigabyte.
 * Lines in bodies that look like fields count and are cut alike; real
 * reports have under 400 such lines and no field near 100 KB. Returns the
 * new length; *copy is set (caller frees) only when a field was cut, so
 * the common case copies nothing. returned: the bytes are a returned
 * message's headers that a part decodes to, not the message; cut at the
 * structure limit, they say so.
 */
static size_t bound_structure(mxb_report *rep, const mxb_limits *lim, const char **p, size_t len,
                              GString **copy, gboolean returned)
{
    const char *s = *p;
    GString *out = NULL;
    size_t pos = 0, lines = 0;

    while (pos < len) {
        size_t start = pos, end = line_end(s, len, pos);
        gboolean field = field_line(s + start, end - start);
        if (field || (end - start >= 2 && s[start] == '-' && s[start + 1] == '-')) {
            if (++lines > lim->max_structure_lines) {
                if (returned)
                    mxb_report_note(rep, MXB_REPORT_TRUNCATED_FIELD,
                                    "returned headers truncated at structure limit");
                else
                    mxb_report_note(rep, MXB_REPORT_TRUNCATED_INPUT,
                                    "message truncated at structure limit");
                break;
            }
        }
        if (field)
            while (end < len && (s[end] == ' ' || s[end] == '\t'))
                end = line_end(s, len, end);
        pos = end;
        size_t keep = end - start;
        if (field) {
            const char *colon = memchr(s + start, ':', keep); /* the name's own */
            size_t name = (size_t)(colon - (s + start)) + 1;
            size_t cut = address_field(s + start, name - 1)
                             ? name + mxb_colon_cut(s + start + name, keep - name)
                             : keep;
            if (cut < keep && cut <= lim->max_header) {
                keep = cut;
                mxb_report_note(rep, MXB_REPORT_TRUNCATED_FIELD,
                                "header field truncated at colon limit");
            } else if (keep > lim->max_header) {
                keep = lim->max_header;
                mxb_report_note(rep, MXB_REPORT_TRUNCATED_FIELD, "header field truncated");
            }
        }
        if (keep == end - start) {
            if (out)
                g_string_append_len(out, s + start, (gssize)keep);
            continue;
        }
        if (out == NULL)
            out = g_string_new_len(s, (gssize)start);
        g_string_append_len(out, s + start, (gssize)keep);
        if (s[start + keep - 1] != '\n')
            g_string_append_c(out, '\n');
    }
    if (out == NULL)
        return pos;
    *copy = out;
    *p = out->str;
    return out->len;
}

/* has_headers - did GMime find at least one header field */
static gboolean has_headers(GMimeMessage *msg)
{
    GMimeHeaderList *h = g_mime_object_get_header_list(GMIME_OBJECT(msg)); /* borrowed */

    return h != NULL && g_mime_header_list_get_count(h) > 0;
}

/* mxb_report_parse - parse and classify one returned message */
int mxb_report_parse(mxb_report **out, const char *p, size_t len, const mxb_limits *limits)
{
    return mxb_report_parse_envelope(out, p, len, limits, NULL);
}

/* null_return_path - Return-Path: <> */
static gboolean null_return_path(GMimeMessage *msg)
{
    const char *v = g_mime_object_get_header(GMIME_OBJECT(msg), "Return-Path");

    if (v == NULL)
        return FALSE;
    while (*v == ' ' || *v == '\t')
        v++;
    return strncmp(v, "<>", 2) == 0;
}

/* drop_repeats - a result that says exactly what an earlier one of the
 * report says (Sendmail writes an alias's failure once for each way it
 * reached it; two identical status blocks): one fact, one line, so that
 * no address is counted twice for one report */
static void drop_repeats(mxb_report *rep)
{
    if (rep->results->len < 2)
        return;
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < rep->results->len;) {
        const mxb_result *r = g_ptr_array_index(rep->results, i);
        g_autofree char *rcpt = r->recipient ? g_ascii_strdown(r->recipient, -1) : NULL;
        /* \x1e stands for a field that is absent, \x1f between fields */
#define F(s) ((s) ? (s) : "\x1e")
        char *key = g_strdup_printf(
            "%d\x1f%s\x1f%s\x1f%s\x1f%s\x1f%d\x1f%s\x1f%s\x1f%d\x1f%d\x1f%s", r->kind, F(rcpt),
            F(r->original_recipient), F(r->action), F(r->status), r->smtp_code, F(r->diagnostic),
            F(r->remote_mta), r->reason, r->klass, F(r->feedback_type));
#undef F
        if (g_hash_table_add(seen, key))
            i++;
        else
            g_ptr_array_remove_index(rep->results, i);
    }
}

/* encoded_text - the message's first text/plain part that is no
 * attachment (outside returned messages, at most three multiparts down:
 * a gateway wraps a report in one of its own to add a footer), when it is
 * base64 or quoted-printable; NULL otherwise (borrowed) */
static GMimeObject *encoded_text(GMimeObject *obj, unsigned depth)
{
    if (GMIME_IS_MULTIPART(obj)) {
        int n = depth < 3 ? g_mime_multipart_get_count(GMIME_MULTIPART(obj)) : 0;
        for (int i = 0; i < n; i++) {
            GMimeObject *c = g_mime_multipart_get_part(GMIME_MULTIPART(obj), i);
            GMimeContentDisposition *d = g_mime_object_get_content_disposition(c);
            if (GMIME_IS_MULTIPART(c) || (GMIME_IS_TEXT_PART(c) && is_type(c, "text", "plain") &&
                                          !(d && g_mime_content_disposition_is_attachment(d))))
                return encoded_text(c, depth + 1);
        }
        return NULL;
    }
    if (!GMIME_IS_TEXT_PART(obj) || !is_type(obj, "text", "plain"))
        return NULL;
    GMimeContentEncoding e = g_mime_part_get_content_encoding(GMIME_PART(obj));
    return e == GMIME_CONTENT_ENCODING_BASE64 || e == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ? obj
                                                                                             : NULL;
}

/* mxb_report_parse_envelope - parse and classify, the envelope sender known */
int mxb_report_parse_envelope(mxb_report **out, const char *p, size_t len, const mxb_limits *limits,
                              const char *envelope_sender)
{
    mxb_report *rep = g_new0(mxb_report, 1);
    walk_ctx ctx = {.limits = limits, .report = rep};
    g_autoptr(GHashTable) notes =
        g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    ctx.notes = notes;
    g_autoptr(GString) capped = NULL, lines = NULL;
    GMimeMessage *msg;
    size_t skip;

    *out = NULL;
    mxb_local_rules_new_report(limits->max_local_steps);
    rep->results = g_ptr_array_new_with_free_func(result_free);
    if (len > limits->max_message) {
        mxb_report_note(rep, MXB_REPORT_TRUNCATED_INPUT, "message truncated at size limit");
        len = limits->max_message;
    }
    p = bare_cr_ends(p, len, &lines);
    skip = skip_preamble(p, len);
    p += skip;
    len = bound_structure(rep, limits, &p, len - skip, &capped, FALSE);
    msg = mxb_gmime_parse(p, len);
    if (msg == NULL || !has_headers(msg)) {
        mxb_result_add(rep, limits, MXB_KIND_UNPARSEABLE);
        if (rep->problem == NULL)
            rep->problem = g_strdup(msg == NULL ? "not a MIME message" : "no header fields");
        if (msg)
            g_object_unref(msg);
        *out = rep;
        return 0;
    }
    rep->null_sender = envelope_sender != NULL
                           ? *envelope_sender == '\0' || strcmp(envelope_sender, "<>") == 0
                           : null_return_path(msg);
    rep->subject = mxb_clean_field(rep, g_mime_message_get_subject(msg), limits->max_field);
    rep->from = mxb_clean_field(rep, g_mime_object_get_header(GMIME_OBJECT(msg), "From"),
                                limits->max_field);

    GMimeObject *body = g_mime_message_get_mime_part(msg); /* borrowed */
    ctx.failed = g_mime_object_get_header(GMIME_OBJECT(msg), "X-Failed-Recipients");
    if (body)
        walk(&ctx, body, 0);
    jmrp_inline(&ctx, msg);
    /* The raw-text fallback must not undo the depth and parts limits. */
    if (!ctx.have_status && rep->results->len == 0 && !(rep->flags & MXB_REPORT_TRUNCATED_PARTS)) {
        /* A status block carried as text counts when a mail system sent
         * it (the null sender, a mail system's From): a person's mail may
         * quote or forward a report about someone else. In the raw bytes,
         * or in the decoded text of a part that the mail system's program
         * encoded (base64, quoted-printable), where the raw bytes hide it. */
        gboolean system = rep->null_sender || mxb_from_daemon(rep->from);
        /* the decoded text first: raw quoted-printable has its "=" of
         * soft line breaks and escapes in the addresses */
        GMimeObject *t = system && body ? encoded_text(body, 0) : NULL;
        g_autofree char *dec = t ? mxb_part_text(t, limits->max_message, NULL) : NULL;
        if (dec != NULL)
            embedded_status(&ctx, dec, strlen(dec), FALSE);
        if (system && rep->results->len == 0)
            embedded_status(&ctx, p, len, TRUE);
    }
    notes_as_diagnostics(&ctx);
    /* An empty status part leaves the words to the text, and the names to
     * X-Failed-Recipients when there is one (Gmail's failure of the
     * sender's own account). */
    if (rep->results->len == 0 &&
        (!ctx.have_status ||
         g_mime_object_get_header(GMIME_OBJECT(msg), "X-Failed-Recipients") != NULL)) {
        mxb_nonstandard(rep, limits, msg, rep->null_sender);
    }
    /* A status part without a recipient block (Netscape Messaging Server
     * writes only the per-message fields): the human-readable part names
     * the recipients, as in a report without one. */
    if (rep->results->len == 0 && ctx.have_status)
        mxb_text_bounce(rep, limits, msg, NULL, mxb_subject_says_delay(rep->subject), TRUE);
    if (rep->results->len == 0) {
        /* A status part that named nobody: still one line for the report,
         * about the returned message's one addressee if it had one. */
        mxb_result *r = mxb_result_add(rep, limits, MXB_KIND_BOUNCE);
        if (r && ctx.returned_one != NULL) {
            /* A report is about a failure unless its subject says delay
             * (RFC 3463 "other or undefined", as for a missing Status). */
            gboolean delayed = mxb_subject_says_delay(rep->subject);
            r->recipient = g_steal_pointer(&ctx.returned_one);
            r->kind = delayed ? MXB_KIND_DELAYED : MXB_KIND_BOUNCE;
            r->action = g_strdup(delayed ? "delayed" : "failed");
            r->status = g_strdup(delayed ? "4.0.0" : "5.0.0");
        } else if (r) {
            /* nobody at all: the text's words say why */
            mxb_text_verdict(rep, limits, msg, r);
        }
        if (r)
            mxb_classify(r);
    }
    for (guint i = 0; i < rep->results->len; i++) {
        mxb_result *r = g_ptr_array_index(rep->results, i);
        if (r->no_mailbox && r->recipient != NULL && strchr(r->recipient, '@') == NULL)
            g_clear_pointer(&r->recipient, g_free);
    }
    drop_repeats(rep);
    if (mxb_local_rules_spent())
        mxb_report_note(rep, MXB_REPORT_LOCAL_RULES_CUT,
                        "local rules' step budget spent: the rest read by the built-in rules");
    g_free(ctx.returned_one);
    g_object_unref(msg);
    *out = rep;
    return 0;
}
