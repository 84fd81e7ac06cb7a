/*
 * text.c - human-readable bounces: the reports without a status part
 *
 * DESCRIPTION
 *	Half of the bounces on the internet are plain text written for a
 *	person: qmail, Exim, old Postfix and Sendmail, Exchange 2003, Yahoo,
 *	Gmail, security gateways, carriers. They differ in wording but share
 *	a shape, and mxb_text_bounce() reads the shape, not the wording:
 *
 *	1. the text: the message's text parts outside any returned message
 *	   (text/html only when there is no text/plain), decoded to UTF-8 by
 *	   GMime, at most MXB_TEXT_MAX bytes;
 *	2. the returned message is cut off: a marker line ("--- Below this
 *	   line is a copy of the message.", "------ This is a copy of the
 *	   message", ...) or the first run of header lines that carries a
 *	   Received, Return-Path, Message-ID, DKIM-Signature or MIME-Version;
 *	3. the recipients: every address left in the text, except those of
 *	   the sender side (the report's own From, To, Reply-To and
 *	   Return-Path, the returned message's From, Sender, Reply-To and
 *	   Return-Path), mail-system mailboxes (postmaster, mailer-daemon),
 *	   and addresses in header-like lines (From:, To:, MAIL FROM:,
 *	   Message-ID: ...). When the report names its recipients in
 *	   X-Failed-Recipients, those are the recipients and the text only
 *	   gives their diagnostics;
 *	4. the diagnostic of a recipient: the text from its address to the
 *	   next recipient (whitespace folded), or, when that is empty, the
 *	   text of the next recipient that has one, else the paragraph
 *	   before; status and reply code are read from it, and with a single
 *	   recipient from the whole text (a recipient the text names nowhere
 *	   takes the text's first lines, or the words from the line of its
 *	   status, at_status); a report that names nobody takes the same
 *	   (mxb_text_verdict);
 *	5. a report without any code gets c.0.0 from its reply code or its
 *	   words ("temporary", "will retry" ...: 4.0.0; else 5.0.0), and the
 *	   text rules decide the reason (rules.c).
 *
 *	The wording of individual MTAs only names the software (mta_marks[]).
 *	Everything here is bounded: the text by MXB_TEXT_MAX, recipients by
 *	the limits, every regex runs once over the capped text.
 */
#include <string.h>

#include "internal.h"

/* How far before an address its context is read (same line only): keeps
 * the work linear on a long line full of addresses. */
#define CONTEXT_BEFORE 256

/* Lines after an address that still belong to its diagnostic. */
#define DIAG_LINES_MAX 12

/* Markers of the returned message, at the start of a line (after any
 * dashes, equals signs, quote marks or blanks), case-insensitive. */
static const char returned_markers[] =
    "^[ \\t>*=_-]*("
    "below this line is a copy of the message"
    "|this is a copy of the message"
    "|original message follows"
    "|the original message follows"
    "|original message headers?"
    "|the header of the original message"
    "|unsent message below"
    "|unsent message follows"
    "|message text follows"
    "|a copy of the original message"
    "|original message( -|---|:|$)"
    "|returned message"
    "|undelivered message headers"
    "|content-type: message/rfc822"
    "|headers of the original message"
    "|message headers?( follows?)?[ \\t\\r-]*$"
    "|(the )?header and (the )?(top|first) \\d+ lines of the message"
    "|the first \\d+ lines of the message follow"
    ")";

/* An address; the domain ends in a label of letters, of one letter only
 * where the address closes its angle brackets or a colon and a blank
 * follow, as a report names its recipient (a mistyped "<a@example.ne.j>:"
 * is the address that failed, not "a@example.ne"; "a@b.c" in prose, a
 * queue id "88123@q1.s" and an address cut at the end of a text are
 * none). It starts where the
 * search starts (\G: after the previous match) or where a run of
 * local-part characters starts: a match from inside the run would reach
 * the same '@' and domain, so the leftmost match is one of these anyway.
 * Without that, PCRE2's interpreter read the whole run again from each of
 * its characters: a report of 65 KB of "5555...@9.9.9..." took 108 s,
 * now milliseconds. */
static const char address_pattern[] =
    "(?:\\G|(?<![A-Za-z0-9!#$%&'*+/=?^_`{|}~.-])(?<![\\xc2-\\xdf][\\x80-\\xbf]))"
    "(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]|[\\xc2-\\xdf][\\x80-\\xbf])+@"
    "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+"
    "(?:[A-Za-z]{2,24}|[A-Za-z](?=>|:[ \\t]))";

/* Lines whose addresses are never the failed recipient. */
static const char *const sender_line_keys[] = {
    "from:",
    "reply-to:",
    "sender:",
    "sender address:", /* Office 365's "Original Message Details" */
    "original sender:",
    "return-path:",
    "to:",
    "cc:",
    "bcc:",
    "message-id:",
    "id:", /* XMail's "ID:        <S1A2B3@host>", the message's (that
            * mention only: "ID: jane@example.org" may name a user) */
    "in-reply-to:",
    "references:",
    "mail from:",
    "x-apparently-from",
    "x-original-sender",
    "errors-to:",
    "envelope-from",
    "smtp.mailfrom",
    "list-unsubscribe",
    "resent-from:",
    "x-sender:",
};

/* Mail-system mailboxes: they write reports, they do not fail. */
static const char *const system_locals[] = {"postmaster", "mailer-daemon", "mailer_daemon", "abuse",
                                            "noreply",    "no-reply",      "hostmaster"};

/* Words that name the software (first match wins); informational only. */
static const struct {
    const char *needle; /* lower case */
    const char *mta;
} mta_marks[] = {
    {"qmail-send program", "qmail"},
    {"this message was created automatically by mail delivery software", "exim"},
    {"this is the mail system at host", "postfix"},
    {"the postfix program", "postfix"},
    /* Gmail's words; "delivery to the following recipients failed."
     * alone is also MessageLabs' and Exchange's. */
    {"delivery to the following recipient failed permanently", "gmail"},
    {"delivery to the following recipients failed permanently", "gmail"},
    {"delivery to the following recipient has been delayed", "gmail"},
    {"** message not delivered **", "gmail"},
    {"sorry, we were unable to deliver your message", "yahoo"},
    /* hMailServer's template begins with Exchange's sentence */
    {"hmailserver sent:", "hmailserver"},
    {"did not reach the following recipient", "exchange"},
    {"your message did not reach some or all", "exchange"},
    {"could not deliver message to the following recipient(s):", "smartermail"},
    {"this is the mailer-daemon, please do not reply", "opensmtpd"},
    {"courier mail server", "courier"},
    {"the following addresses had permanent fatal errors", "sendmail"},
    {"transcript of session follows", "sendmail"},
    {"amazon ses", "amazonses"},
    {"lotus domino", "domino"},
    {"mdaemon", "mdaemon"},
};

/* Words of a report that has not given up yet. */
static const char temporary_pattern[] =
    "temporar|will (continue to )?(retry|try)|not yet been delivered|has been delayed"
    "|attempts will continue|will continue to (be made|attempt)"
    "|delivery (has been )?delayed|try again later|transient";

/* Of those, the words of a reporter that is still trying: a delay
 * warning, whatever its subject says ("Delivery failure notification"
 * over "Delivery attempts will continue to be made for 5 day(s)"): the
 * queue's own (MXB_PATTERN_QUEUE_RETRYING, nonstandard.c) or these */
static const char retrying_pattern[] =
    "not yet been delivered|has been delayed|delivery (has been )?delayed";
/* ... unless the text also carries a permanent reply or status, or says
 * the message comes back ("has been delayed ... and will be returned",
 * "no further attempts") */
static const char final_pattern[] =
    "\\b5\\d\\d\\b|\\b5\\.\\d{1,3}\\.\\d{1,3}\\b|no further|\\babort"
    "|(will|is being|has been|will now) (be )?returned";

/* Words of a report that has given up: they win over the above. */
static const char permanent_pattern[] =
    "permanent|(?<!non-)(?<!non )fatal|given up|giving up|not going to try again"
    "|failed permanently";

/* Words of a queue that gave up after retrying (Sendmail's "Message could
 * not be delivered for 5 days / Message will be deleted from queue" under
 * a transcript's "Deferred: Connection timed out"): as a Status of x.4.7,
 * the reason of a failure whose own words name only the last attempt's
 * network error, or nothing */
static const char gave_up_pattern[] =
    "could not be delivered for \\d+ (days?|hours?)|will be deleted from (the )?queue";

static GRegex *re_marker, *re_address, *re_temporary, *re_retrying, *re_final, *re_permanent,
    *re_gave_up;

/* mxb_line_start - the start of the line in text that holds p */
const char *mxb_line_start(const char *text, const char *p)
{
    while (p > text && p[-1] != '\n')
        p--;
    return p;
}

/* mxb_labelled - p, after blanks and quoting '>', opens with one of the
 * n names (ASCII case ignored), then blanks and a colon (ASCII or
 * full-width) */
gboolean mxb_labelled(const char *p, const char *const *names, size_t n)
{
    while (*p == ' ' || *p == '\t' || *p == '>')
        p++;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        if (g_ascii_strncasecmp(p, names[i], len) != 0)
            continue;
        const char *q = p + len;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q == ':' || strncmp(q, "\xef\xbc\x9a", 3) == 0) /* ： */
            return TRUE;
    }
    return FALSE;
}

/* mxb_field_line - the line at p (to its end or a newline) quotes a header
 * field of the returned message ("Subject: ...", "To: ...", "Sent: ..." in
 * English, six other languages, Japanese and Chinese) */
gboolean mxb_field_line(const char *p)
{
    static const char *const names[] = {
        "subject",
        "to",
        "from",
        "sent",
        "date",
        "cc",
        "betreff",
        "objet",
        "asunto",
        "oggetto",
        "assunto",
        "onderwerp",
        "\xe4\xbb\xb6\xe5\x90\x8d",                         /* 件名 */
        "\xe4\xb8\xbb\xe9\xa1\x8c",                         /* 主題 */
        "\xe4\xb8\xbb\xe9\xa2\x98",                         /* 主题 */
        "\xe9\x83\xb5\xe4\xbb\xb6\xe4\xb8\xbb\xe9\xa1\x8c", /* 郵件主題 */
    };

    return mxb_labelled(p, names, G_N_ELEMENTS(names));
}

/* mxb_without_field_lines - text without the lines that quote a header
 * field of the returned message (mxb_field_line); owned by caller */
char *mxb_without_field_lines(const char *text)
{
    GString *out = g_string_sized_new(strlen(text));

    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
        if (!mxb_field_line(line))
            g_string_append_len(out, line, (gssize)len);
        line += len;
    }
    return g_string_free(out, FALSE);
}

/* compile - the regexes of this file, once per process */
static void compile(void)
{
    static gsize done = 0;

    if (!g_once_init_enter(&done))
        return;
    re_marker = g_regex_new(
        returned_markers, G_REGEX_CASELESS | G_REGEX_MULTILINE | G_REGEX_RAW | mxb_regex_optimize(),
        0, NULL);
    re_address = g_regex_new(address_pattern, G_REGEX_RAW | mxb_regex_optimize(), 0, NULL);
    re_temporary = g_regex_new(temporary_pattern,
                               G_REGEX_CASELESS | G_REGEX_RAW | mxb_regex_optimize(), 0, NULL);
    re_retrying = g_regex_new(retrying_pattern,
                              G_REGEX_CASELESS | G_REGEX_RAW | mxb_regex_optimize(), 0, NULL);
    re_final =
        g_regex_new(final_pattern, G_REGEX_CASELESS | G_REGEX_RAW | mxb_regex_optimize(), 0, NULL);
    re_permanent = g_regex_new(permanent_pattern,
                               G_REGEX_CASELESS | G_REGEX_RAW | mxb_regex_optimize(), 0, NULL);
    /* The patterns are ours: a bad one is a build defect the unit tests
     * catch, never input-dependent. */
    re_gave_up = g_regex_new(gave_up_pattern, G_REGEX_CASELESS | G_REGEX_RAW | mxb_regex_optimize(),
                             0, NULL);
    g_assert(re_marker && re_address && re_temporary && re_retrying && re_final && re_permanent &&
             re_gave_up);
    g_once_init_leave(&done, 1);
}

typedef struct text_ctx {
    const mxb_limits *limits;
    GString *plain;     /* text/plain parts */
    GString *html;      /* text/html parts, tags stripped */
    GPtrArray *senders; /* lower-case addresses of the sender side */
    GPtrArray *orig_to; /* To: of the returned message, as written */
    unsigned parts;
} text_ctx;

/* has_address - a is in the list already (case aside): the returned
 * message's To: read twice, from its part and from the report's text,
 * is still one address */
static gboolean has_address(const GPtrArray *list, const char *a)
{
    for (guint i = 0; i < list->len; i++)
        if (g_ascii_strcasecmp(g_ptr_array_index(list, i), a) == 0)
            return TRUE;
    return FALSE;
}

/* add_addresses - the addr-specs of a header value, each once, at most 64
 * in all */
static void add_addresses(GPtrArray *to, const char *value, gboolean lower)
{
    InternetAddressList *list;

    if (value == NULL)
        return;
    list = mxb_address_list_parse(value);
    if (list == NULL)
        return;
    for (int i = 0; i < internet_address_list_length(list) && to->len < 64; i++) {
        InternetAddress *ia = internet_address_list_get_address(list, i); /* borrowed */
        if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
            const char *a = mxb_mailbox_addr(ia);
            if (a && !has_address(to, a))
                g_ptr_array_add(to, lower ? g_ascii_strdown(a, -1) : g_strdup(a));
        }
    }
    g_object_unref(list);
}

/* add_sender - the addr-specs of a header value join the sender side */
static void add_sender(text_ctx *c, const char *value)
{
    add_addresses(c->senders, value, TRUE);
}

/* add_senders_of - the sender-side header fields of one header block */
static void add_senders_of(text_ctx *c, GMimeObject *obj)
{
    static const char *const names[] = {"From", "Sender", "Reply-To", "Return-Path"};

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        add_sender(c, g_mime_object_get_header(obj, names[i]));
}

/* opens - p opens the element name ("<style>", "<style type=...>") */
static gboolean opens(const char *p, const char *name)
{
    size_t n = strlen(name);

    return p[0] == '<' && g_ascii_strncasecmp(p + 1, name, n) == 0 &&
           (p[n + 1] == '>' || g_ascii_isspace(p[n + 1]));
}

/* skip_element - past the end of the element that opens at p and holds no
 * text: a comment ("-->"), a style sheet or a script (its end tag, found
 * case-insensitively); NULL when it never ends, as for a browser; p
 * itself when no such element opens there */
static const char *skip_element(const char *p)
{
    if (!opens(p, "style") && !opens(p, "script") && strncmp(p, "<!--", 4) != 0)
        return p;
    if (strncmp(p, "<!--", 4) == 0) {
        if (p[4] == '>' || (p[4] == '-' && p[5] == '>')) /* "<!-->", "<!--->": empty */
            return p + (p[4] == '>' ? 5 : 6);
        const char *end = strstr(p + 4, "-->");
        return end ? end + 3 : NULL;
    }
    const char *close = opens(p, "style") ? "</style" : "</script";
    size_t n = strlen(close);
    for (p = strchr(p + 1, '<'); p != NULL; p = strchr(p + 1, '<'))
        if (g_ascii_strncasecmp(p, close, n) == 0) {
            const char *end = strchr(p + n, '>');
            return end ? end + 1 : NULL;
        }
    return NULL;
}

/* HTML elements whose start and end break a line of text */
static const char *const block_elements[] = {"br", "p",     "div", "tr",  "li",        "ul",
                                             "ol", "table", "h1",  "h2",  "h3",        "h4",
                                             "h5", "h6",    "hr",  "pre", "blockquote"};

/* tag_is - the tag at p (after '<' and an optional '/') is one of names */
static gboolean tag_is(const char *p, const char *const *names, size_t n)
{
    p += p[1] == '/' ? 2 : 1;
    char first = g_ascii_tolower(*p);
    for (size_t i = 0; i < n; i++) {
        if (names[i][0] != first)
            continue;
        size_t len = strlen(names[i]);
        if (g_ascii_strncasecmp(p, names[i], len) == 0 && !g_ascii_isalnum(p[len]))
            return TRUE;
    }
    return FALSE;
}

/* strip_tags - text of an HTML part: tags dropped, and what style
 * sheets, scripts and comments hold (a report's CSS is no words of it); a
 * few entities decoded; a block element's start and end a newline, a
 * table cell's a space; a run of white space one space, or a newline
 * when it holds one (a report typed text/html whose lines are its
 * layout), except before a table cell (Office 365's pretty-printed card
 * puts each cell on a line of its own: "Sender Address:" stays beside
 * the address it labels). A part that
 * does not open with a tag is text that only says it is HTML (Yahoo's
 * plain report), and what preformatted elements hold (<pre>, <xmp>, ...)
 * keeps its white space. Hand-written: GLib and GMime have no
 * HTML-to-text conversion, and the rules only need the words. */
static void strip_tags(GString *out, const char *html, size_t max)
{
    static const struct {
        const char *entity;
        char c;
    } entities[] = {{"&lt;", '<'},   {"&gt;", '>'},   {"&amp;", '&'},
                    {"&nbsp;", ' '}, {"&quot;", '"'}, {"&apos;", '\''}};
    static const char *const cells[] = {"td", "th"};
    static const char *const pre[] = {"pre", "xmp", "listing", "plaintext", "textarea"};
    const char *p = html;
    const char *start = html + strspn(html, " \t\r\n");
    if ((guchar)start[0] == 0xEF && (guchar)start[1] == 0xBB && (guchar)start[2] == 0xBF)
        start += 3;                /* a byte-order mark */
    gboolean text = *start != '<'; /* no markup at its head: text */
    unsigned pre_depth = 0;

    while (*p && out->len < max) {
        const char *past = *p == '<' ? skip_element(p) : p;
        if (past == NULL)
            break;
        if (past != p) {
            p = past;
            continue;
        }
        if (*p == '<') {
            const char *end = strchr(p, '>');
            if (end == NULL)
                break;
            /* "<kim@example.org>" written raw is an address, no tag */
            size_t body = (size_t)(end - p - 1), plain = 0;
            while (plain < body && strchr(" \t\r\n=\"'", p[1 + plain]) == NULL)
                plain++;
            if (body > 2 && plain == body && memchr(p + 1, '@', body) != NULL) {
                g_string_append_len(out, p, (gssize)MIN(body + 2, max - out->len));
                p = end + 1;
                continue;
            }
            if (g_ascii_isalpha(p[1]) || (p[1] == '/' && g_ascii_isalpha(p[2]))) {
                if (tag_is(p, pre, G_N_ELEMENTS(pre))) {
                    if (p[1] != '/')
                        pre_depth = MIN(pre_depth + 1, 64);
                    else if (pre_depth > 0)
                        pre_depth--;
                }
                if (tag_is(p, block_elements, G_N_ELEMENTS(block_elements)))
                    g_string_append_c(out, '\n');
                else if (tag_is(p, cells, G_N_ELEMENTS(cells)) && out->len > 0 &&
                         out->str[out->len - 1] != ' ' && out->str[out->len - 1] != '\n')
                    g_string_append_c(out, ' ');
            }
            p = end + 1;
            continue;
        }
        if (!text && pre_depth == 0 && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
            const char *q = p + strspn(p, " \t\r\n");
            /* before a table cell: the cell's space, whatever the layout */
            gboolean newline = memchr(p, '\n', (size_t)(q - p)) != NULL &&
                               !(*q == '<' && tag_is(q, cells, G_N_ELEMENTS(cells)));
            char last = out->len > 0 ? out->str[out->len - 1] : '\n';
            if (newline && last != '\n')
                g_string_append_c(out, '\n');
            else if (last != ' ' && last != '\n')
                g_string_append_c(out, ' ');
            p = q;
            continue;
        }
        if (p[0] == '&' && p[1] == '#' && g_ascii_isdigit(p[2])) {
            char *end = NULL;
            guint64 v = g_ascii_strtoull(p + 2, &end, 10);
            if (end && *end == ';' && v >= 32 && v < 127) {
                g_string_append_c(out, (char)v);
                p = end + 1;
                continue;
            }
        }
        if (*p == '&') {
            size_t i;
            for (i = 0; i < G_N_ELEMENTS(entities); i++) {
                size_t n = strlen(entities[i].entity);
                if (g_ascii_strncasecmp(p, entities[i].entity, n) == 0) {
                    g_string_append_c(out, entities[i].c);
                    p += n;
                    break;
                }
            }
            if (i < G_N_ELEMENTS(entities))
                continue;
        }
        g_string_append_c(out, *p++);
    }
}

/* header_lines - in header lines of a returned message (p..end): From:,
 * Sender:, Reply-To: and Return-Path: join the sender side; To: is kept
 * as the last resort for the recipient. indented: also lines with blanks
 * before the name ("  To: a@b" in Exchange's summary). */
static void header_lines(text_ctx *c, const char *p, const char *end, gboolean indented)
{
    static const char *const names[] = {"from:", "sender:", "reply-to:", "return-path:", "to:"};

    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (eol == NULL)
            eol = end;
        const char *q = p;
        while (indented && q < eol && (*q == ' ' || *q == '\t'))
            q++;
        for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
            size_t n = strlen(names[i]);
            if ((size_t)(eol - q) > n && g_ascii_strncasecmp(q, names[i], n) == 0) {
                g_autofree char *v = g_strndup(q + n, (gsize)(eol - q - (long)n));
                if (i == G_N_ELEMENTS(names) - 1)
                    add_addresses(c->orig_to, v, FALSE);
                else
                    add_sender(c, v);
            }
        }
        p = eol + 1;
    }
}

/* is_type - content type test */
static gboolean is_type(GMimeObject *obj, const char *type, const char *subtype)
{
    GMimeContentType *ct = g_mime_object_get_content_type(obj); /* borrowed */

    return ct != NULL && g_mime_content_type_is_type(ct, type, subtype);
}

/* collect - the text parts outside returned messages; returned headers
 * give the original sender */
static void collect(text_ctx *c, GMimeObject *obj, unsigned depth)
{
    if (depth > c->limits->max_depth || ++c->parts > c->limits->max_parts)
        return;
    if (GMIME_IS_MULTIPART(obj)) {
        GMimeMultipart *mp = GMIME_MULTIPART(obj);
        int n = g_mime_multipart_get_count(mp);
        const char *pro = g_mime_multipart_get_prologue(mp);
        /* A multipart whose boundary never comes (a broken Content-Type)
         * holds everything in its prologue: read it as text. */
        if (n == 0 && pro != NULL && c->plain->len < MXB_TEXT_MAX)
            g_string_append_len(c->plain, pro,
                                (gssize)MIN(strlen(pro), MXB_TEXT_MAX - c->plain->len));
        for (int i = 0; i < n; i++)
            collect(c, g_mime_multipart_get_part(mp, i), depth + 1);
    } else if (GMIME_IS_MESSAGE_PART(obj)) {
        /* The returned message: only its sender side is of use. */
        GMimeMessage *m = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj)); /* borrowed */
        if (m) {
            add_senders_of(c, GMIME_OBJECT(m));
            add_addresses(c->orig_to, g_mime_object_get_header(GMIME_OBJECT(m), "To"), FALSE);
        }
    } else if (GMIME_IS_TEXT_PART(obj)) {
        GMimeContentDisposition *d = g_mime_object_get_content_disposition(obj); /* borrowed */
        if (is_type(obj, "text", "rfc822-headers")) {
            g_autofree char *h = mxb_part_text(obj, MXB_TEXT_MAX, NULL);
            if (h)
                header_lines(c, h, h + strlen(h), TRUE);
            return;
        }
        if (d && g_mime_content_disposition_is_attachment(d) && !is_type(obj, "text", "plain"))
            return;
        gboolean plain = is_type(obj, "text", "plain"), html = is_type(obj, "text", "html");
        GString *out = plain ? c->plain : html ? c->html : NULL;
        if (out == NULL || out->len >= MXB_TEXT_MAX)
            return;
        g_autofree char *t =
            mxb_part_text(obj, plain ? MXB_TEXT_MAX - out->len : MXB_HTML_MAX, NULL);
        if (t == NULL)
            return;
        if (out->len)
            g_string_append_c(out, '\n');
        if (plain)
            g_string_append_len(out, t, (gssize)MIN(strlen(t), MXB_TEXT_MAX - out->len));
        else
            strip_tags(out, t, MXB_TEXT_MAX);
    }
}

/* is_header_line - "Name: value" at the start of a line */
static gboolean is_header_line(const char *p, const char *eol, const char **name_end)
{
    const char *q = p;

    if (!g_ascii_isalpha(*q))
        return FALSE;
    while (q < eol && (g_ascii_isalnum(*q) || *q == '-') && q - p < 60)
        q++;
    *name_end = q;
    return q < eol && *q == ':';
}

/* header_block_start - the first run of 3+ header lines that includes a
 * field only a message (not a report) has; the offset, or len */
static size_t header_block_start(const char *t, size_t len)
{
    static const char *const telling[] = {"received",       "return-path",  "message-id",
                                          "dkim-signature", "mime-version", "x-mailer"};
    const char *run = NULL, *p = t, *end = t + len;
    int n = 0;
    gboolean tells = FALSE;

    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p)), *ne;
        if (eol == NULL)
            eol = end;
        if (is_header_line(p, eol, &ne)) {
            if (n++ == 0)
                run = p;
            for (size_t i = 0; i < G_N_ELEMENTS(telling); i++)
                if ((size_t)(ne - p) == strlen(telling[i]) &&
                    g_ascii_strncasecmp(p, telling[i], (size_t)(ne - p)) == 0)
                    tells = TRUE;
            if (n >= 3 && tells)
                return (size_t)(run - t);
        } else if (!(n > 0 && (*p == ' ' || *p == '\t') && p < eol)) {
            n = 0; /* a folded line continues the run; anything else ends it */
            tells = FALSE;
        }
        p = eol + 1;
    }
    return len;
}

/* What a line says of the addresses on it (sender_line). */
typedef enum {
    LINE_ANY = 0, /* may name a recipient */
    LINE_HEADER,  /* "To: a@b" in a summary: not here, maybe elsewhere */
    LINE_NEVER,   /* "From:", "MAIL FROM", "contact a@b": not a recipient anywhere */
} line_kind;

/* sender_line - is the address on a line whose addresses are not
 * recipients ("From: ...", "MAIL FROM:<...>", "Message-ID: <...>")? The
 * original To:, Cc: and Bcc: of a summary only say so of that mention:
 * the address they name is often the one that failed, further down. */
static line_kind sender_line(const char *line_start, const char *addr)
{
    const char *p = line_start;

    while (p < addr && (*p == ' ' || *p == '\t' || *p == '>'))
        p++;
    for (size_t i = 0; i < G_N_ELEMENTS(sender_line_keys); i++) {
        size_t n = strlen(sender_line_keys[i]);
        /* At the start of the line, or just before the address. */
        if (g_ascii_strncasecmp(p, sender_line_keys[i], n) == 0)
            return strcmp(sender_line_keys[i], "to:") == 0 ||
                           strcmp(sender_line_keys[i], "cc:") == 0 ||
                           strcmp(sender_line_keys[i], "bcc:") == 0 ||
                           strcmp(sender_line_keys[i], "id:") == 0
                       ? LINE_HEADER
                       : LINE_NEVER;
    }
    /* "... MAIL FROM:<a@b> ...", "please contact <a@b>", Exim's "The
     * sender is <a@b>.", ezmlm's "please forward this message to
     * list-owner@..." anywhere before the address on its line */
    static const char *const before[] = {
        "mail from",    "message-id", "envelope-from", "contact",       "write to",
        "assistance",   "questions",  "http",          "the sender is", "forward this message to",
        "forward it to"};
    g_autofree char *low = g_ascii_strdown(line_start, (gssize)(addr - line_start));
    for (size_t i = 0; i < G_N_ELEMENTS(before); i++)
        if (strstr(low, before[i]))
            return LINE_NEVER;
    return LINE_ANY;
}

/* line_before - the start of the line that ends just before offset bol
 * (a line start > 0) */
static size_t line_before(const char *t, size_t bol)
{
    size_t up = bol - 1;

    while (up > 0 && t[up - 1] != '\n')
        up--;
    return up;
}

/* Bytes either side of an address read for a reply code on its line */
#define NEAR_ADDRESS 512

/* named_as_sender - the words just before the address, on its line or at
 * the end of the line above when it opens its own, call it the sender
 * ("The message sender was\n    a@b", MessageLabs' virus notice; "the
 * originator: a@b"; not "returned to the sender\n<a@b>"), a message's
 * identifier ("Message ID: <a@b>"), a DLP rule's offender ("Following
 * Senders violate organizational policy: 'a@b'"), an address to write to
 * instead ("please resend your message to a@b", "has changed to a@b"), or,
 * on a line without a server's reply, where the message went ("has been
 * forwarded to a@b"); t is the text, ls the start of the address's line,
 * s the address */
static gboolean named_as_sender(const char *t, size_t ls, size_t s)
{
    static const char *const keys[] = {"sender was",
                                       "sender is",
                                       "sender:",
                                       "originator was",
                                       "originator is",
                                       "originator:",
                                       "message id:",
                                       "message id",
                                       "violate organizational policy:",
                                       "resend your message to",
                                       "resend your e-mail to",
                                       "resend your email to",
                                       "resend to",
                                       "moved to",
                                       "changed to"};
    static const char *const went[] = {"forwarded to", "redirected to"};
    size_t e = s, own = ls; /* own: the address's own line */

    while (e > ls && strchr(" \t<\"'", t[e - 1]) != NULL)
        e--;
    if (e == ls && ls > 0) { /* the address opens its line: the line above */
        e = ls - 1;          /* its newline */
        ls = line_before(t, ls);
        while (e > ls && strchr(" \t\r<\"'", t[e - 1]) != NULL)
            e--;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(keys) + G_N_ELEMENTS(went); i++) {
        const char *key = i < G_N_ELEMENTS(keys) ? keys[i] : went[i - G_N_ELEMENTS(keys)];
        size_t n = strlen(key);
        if (e - ls >= n && g_ascii_strncasecmp(t + e - n, key, n) == 0 &&
            (e - ls == n || !g_ascii_isalnum(t[e - n - 1]))) {
            if (i < G_N_ELEMENTS(keys))
                return TRUE;
            /* the line near the address (bounded: a line may hold
             * thousands of addresses) */
            size_t from = MAX(own, s > NEAR_ADDRESS ? s - NEAR_ADDRESS : 0);
            const char *eol = strchr(t + s, '\n');
            size_t to = eol ? (size_t)(eol - t) : s + strlen(t + s);
            g_autofree char *near = g_strndup(t + from, MIN(to, s + NEAR_ADDRESS) - from);
            return mxb_smtp_failure_code_find(near) == 0;
        }
    }
    return FALSE;
}

/* leads_line - the address opens its line ("<a@b>:", "  a@b", "a@b on ..."):
 * the recipient lists of the text formats. Such a mention is a recipient
 * even when the same address also sent the message. */
static gboolean leads_line(const char *line_start, const char *addr)
{
    const char *p = line_start;

    while (p < addr && (*p == ' ' || *p == '\t'))
        p++;
    /* Sendmail's "550 <a@b>... User unknown", "RCPT To:<a@b>" */
    if (mxb_reply_code_at(p, addr))
        p += 4;
    else if (addr - p >= 8 && g_ascii_strncasecmp(p, "rcpt to:", 8) == 0)
        p += 8;
    for (; p < addr; p++)
        if (*p != ' ' && *p != '\t' && *p != '<' && *p != '"')
            return FALSE;
    return TRUE;
}

/* in_reply - the address comes after a reply or status code on its line
 * ("550 5.1.1 <a@b>... User unknown"): it repeats a recipient */
static gboolean in_reply(const char *line_start, const char *addr)
{
    for (const char *p = line_start; p + 3 <= addr; p++)
        if ((*p == '4' || *p == '5') && g_ascii_isdigit(p[1]) && g_ascii_isdigit(p[2]) &&
            (p == line_start || !g_ascii_isalnum(p[-1])) &&
            (p + 3 == addr || !g_ascii_isalnum(p[3])))
            return TRUE;
    return FALSE;
}

/* is_system_local - postmaster@, mailer-daemon@ ... */
static gboolean is_system_local(const char *addr)
{
    const char *at = strchr(addr, '@');

    for (size_t i = 0; at && i < G_N_ELEMENTS(system_locals); i++)
        if ((size_t)(at - addr) == strlen(system_locals[i]) &&
            g_ascii_strncasecmp(addr, system_locals[i], (size_t)(at - addr)) == 0)
            return TRUE;
    return FALSE;
}

typedef struct candidate {
    char *addr;    /* lower case */
    char *written; /* as written */
    size_t start;  /* offset of its first mention */
    size_t line;   /* offset of the start of that line */
    size_t end;    /* offset just past the address */
} candidate;

static void candidate_free(gpointer p)
{
    candidate *c = p;

    g_free(c->addr);
    g_free(c->written);
    g_free(c);
}

/* find_candidates - the recipients named in the text, first mention order */
static GPtrArray *find_candidates(const text_ctx *c, const char *t, size_t len, unsigned max,
                                  gboolean system_ok)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(candidate_free);
    g_autoptr(GPtrArray) refused = g_ptr_array_new_with_free_func(g_free);
    GMatchInfo *mi = NULL;

    g_regex_match_full(re_address, t, (gssize)len, 0, 0, &mi, NULL);
    while (g_match_info_matches(mi) && out->len < max) {
        int s, e;
        g_match_info_fetch_pos(mi, 0, &s, &e);
        /* Trim dots a sentence put around the address, a quote before
         * it ('a@b', `a@b'), and X.400's "SMTP=" of Exchange 5.5
         * ("c=US;a= ;p=Org;dda:SMTP=a@b;"). */
        while (e > s && t[e - 1] == '.')
            e--;
        while (s < e && (t[s] == '.' || t[s] == '\'' || t[s] == '`'))
            s++;
        if (e - s > 5 && g_ascii_strncasecmp(t + s, "smtp=", 5) == 0)
            s += 5;
        g_autofree char *addr = g_ascii_strdown(t + s, e - s);
        size_t ls = (size_t)s;
        while (ls > 0 && t[ls - 1] != '\n')
            ls--;
        /* "a@b <c@d>": a@b is a display name; the address is c@d. */
        size_t after = (size_t)e;
        while (after < len && (t[after] == ' ' || t[after] == '\t'))
            after++;
        gboolean display = after > (size_t)e && after + 1 < len && t[after] == '<' &&
                           memchr(t + after, '@', MIN(len - after, 256)) != NULL;
        const char *ctx = t + MAX(ls, (size_t)s > CONTEXT_BEFORE ? (size_t)s - CONTEXT_BEFORE : 0);
        gboolean leads = !display && leads_line(t + ls, t + s);
        gboolean skip =
            display || strchr(addr, '@') == NULL || (!system_ok && is_system_local(addr));
        line_kind lk = skip                                ? LINE_ANY
                       : named_as_sender(t, ls, (size_t)s) ? LINE_NEVER
                                                           : sender_line(ctx, t + s);
        if (lk == LINE_NEVER && refused->len < 64)
            /* "please contact a@b": not a recipient anywhere in the text */
            g_ptr_array_add(refused, g_strdup(addr));
        skip = skip || lk != LINE_ANY;
        /* After a recipient, its diagnostic may name other addresses: on
         * a reply line, or on the recipient's own line. */
        if (!skip && out->len > 0 && !leads) {
            const candidate *prev = g_ptr_array_index(out, out->len - 1);
            skip = in_reply(ctx, t + s) || prev->line == ls;
        }
        for (guint i = 0; !skip && i < refused->len; i++)
            skip = strcmp(addr, g_ptr_array_index(refused, i)) == 0;
        for (guint i = 0; !skip && !leads && i < c->senders->len; i++)
            skip = strcmp(addr, g_ptr_array_index(c->senders, i)) == 0;
        for (guint i = 0; !skip && i < out->len; i++)
            skip = strcmp(addr, ((candidate *)g_ptr_array_index(out, i))->addr) == 0;
        if (!skip) {
            candidate *cd = g_new0(candidate, 1);
            cd->addr = g_steal_pointer(&addr);
            cd->written = g_strndup(t + s, (gsize)(e - s));
            cd->start = (size_t)s;
            cd->line = ls;
            cd->end = (size_t)e;
            g_ptr_array_add(out, cd);
        }
        g_match_info_next(mi, NULL);
    }
    g_match_info_free(mi);
    return out;
}

/* fold - whitespace folded to single spaces, punctuation trimmed at the
 * start, with a quote that closed an address ("'a@b', failed because",
 * "\"a@b\": SMTP error"); NULL when nothing is left */
static char *fold(const char *p, size_t n, size_t max)
{
    GString *s = g_string_sized_new(MIN(n, max) + 1);
    gboolean space = FALSE;
    int lines = 0;

    while (n > 0 && *p != '\0' &&
           (strchr(">:;,.)] \t\r\n", *p) ||
            (strchr("'`\"", *p) && n > 1 && p[1] != '\0' && strchr(">:;,.)] \t\r\n", p[1])))) {
        p++;
        n--;
    }
    for (size_t i = 0; i < n && s->len < max; i++) {
        char ch = p[i];
        if (ch == '\n' && ++lines > DIAG_LINES_MAX)
            break;
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
            space = s->len > 0;
            continue;
        }
        if (space)
            g_string_append_c(s, ' ');
        space = FALSE;
        g_string_append_c(s, ch);
    }
    if (s->len == 0) {
        g_string_free(s, TRUE);
        return NULL;
    }
    return g_string_free(s, FALSE);
}

/* mta_of - the software that wrote the text, or NULL */
static const char *mta_of(const char *low)
{
    for (size_t i = 0; i < G_N_ELEMENTS(mta_marks); i++)
        if (strstr(low, mta_marks[i].needle))
            return mta_marks[i].mta;
    return NULL;
}

/* set_status - status and reply code from the diagnostic, else from the
 * whole text (one recipient), else c.0.0 from the code or the words */
static void set_status(mxb_result *r, const char *whole, gboolean single, gboolean temporary)
{
    char code[12];

    r->smtp_code = mxb_smtp_failure_code_find(r->diagnostic);
    if (r->smtp_code == 0 && single)
        r->smtp_code = mxb_smtp_failure_code_find(whole);
    /* A failure's code only (a 2.x.x in these words is a version number,
     * "RELEASED Mailman 2.0.12", or another recipient's line). */
    if (r->diagnostic && mxb_failure_status_find(r->diagnostic, code)) {
        r->status = g_strdup(code);
        return;
    }
    if (single && mxb_failure_status_find(whole, code)) {
        r->status = g_strdup(code);
        return;
    }
    if (r->smtp_code >= 400 && r->smtp_code < 600)
        r->status = g_strdup_printf("%d.0.0", r->smtp_code / 100);
    else
        r->status = g_strdup(temporary ? "4.0.0" : "5.0.0");
}

/* sendmail_line - the candidate's own line is Sendmail's statement about
 * it, "554 <a@b>... Remote protocol error" (a reply code, perhaps a
 * status, the address, "..."): the words end with that line */
static gboolean sendmail_line(const candidate *c, const char *t, size_t len)
{
    const char *p = t + c->line, *addr = t + c->start;

    while (p < addr && (*p == ' ' || *p == '\t'))
        p++;
    if (!mxb_reply_code_at(p, addr) || p[3] != ' ')
        return FALSE;
    for (p += 4; p < addr; p++)
        if (!g_ascii_isdigit(*p) && (*p == '\0' || strchr(". <", *p) == NULL))
            return FALSE;
    size_t e = c->end;
    if (e < len && t[e] == '>')
        e++;
    return len - e >= 3 && memcmp(t + e, "...", 3) == 0;
}

/* other_named - low (lower case) names a candidate other than i */
static gboolean other_named(GPtrArray *cands, guint i, const char *low)
{
    for (guint j = 0; j < cands->len; j++)
        if (j != i && strstr(low, ((candidate *)g_ptr_array_index(cands, j))->addr) != NULL)
            return TRUE;
    return FALSE;
}

/* Most lines read above Sendmail's statement for the server's reply */
#define TRANSCRIPT_LINES 8

/* command_phase - the SMTP phase of Sendmail's echo of a command (">>>
 * DATA", ">>> MAIL From:<s>"), lower case; MXB_PHASE_UNKNOWN for others
 * (RCPT is the caller's to judge, QUIT and RSET answer nothing) */
static mxb_phase command_phase(const char *low)
{
    static const struct {
        const char *cmd;
        mxb_phase phase;
    } cmds[] = {{".", MXB_PHASE_END_OF_DATA}, {"data", MXB_PHASE_DATA}, {"mail", MXB_PHASE_MAIL},
                {"rcpt", MXB_PHASE_RCPT},     {"ehlo", MXB_PHASE_HELO}, {"helo", MXB_PHASE_HELO},
                {"lhlo", MXB_PHASE_HELO}};
    const char *w = low + 4; /* past ">>> " */

    for (size_t k = 0; k < G_N_ELEMENTS(cmds); k++) {
        size_t n = strlen(cmds[k].cmd);
        if (strncmp(w, cmds[k].cmd, n) == 0 && !g_ascii_isalpha(w[n]))
            return cmds[k].phase;
    }
    return MXB_PHASE_UNKNOWN;
}

/* transcript_reply - the start and end of the remote server's reply
 * ("<<< 550 Insecure Mail Relay", all lines of a multi-line one) above
 * Sendmail's statement about candidate i, in the same session of its
 * transcript, and in *phase the command it answered (">>> MAIL From:",
 * none: the greeting). FALSE when there is none, or it answered another
 * recipient's RCPT or a command that refuses nobody. */
static gboolean transcript_reply(GPtrArray *cands, guint i, const char *t, size_t *from, size_t *to,
                                 mxb_phase *phase)
{
    const candidate *c = g_ptr_array_index(cands, i);
    size_t eol = c->line, last = 0;

    for (int n = 0; n < TRANSCRIPT_LINES && eol > 0; n++) {
        size_t bol = line_before(t, eol);
        g_autofree char *low = g_ascii_strdown(t + bol, (gssize)(eol - 1 - bol));
        const char *p = low + strspn(low, " \t");
        gboolean reply = strncmp(p, "<<< ", 4) == 0 && (p[4] == '4' || p[4] == '5');
        if (last > 0 && !reply) {
            /* Above the first line of the reply: the command it answered,
             * or the session's start (the greeting). */
            if (strncmp(p, ">>> ", 4) == 0)
                *phase = command_phase(p);
            else if (strstr(p, "while talking to") != NULL)
                *phase = MXB_PHASE_CONNECT;
            else
                return FALSE;
            if (*phase == MXB_PHASE_UNKNOWN || other_named(cands, i, p))
                return FALSE; /* QUIT, or another recipient's RCPT */
            *from = eol;      /* the reply's first line */
            *to = last;
            return TRUE;
        }
        if (*p == '\0' || *p == '\r' || strstr(p, "while talking to") != NULL)
            return FALSE; /* a blank line, another session */
        if (other_named(cands, i, p))
            return FALSE; /* about another recipient */
        if (reply && last == 0)
            last = eol - 1; /* the end of the reply's last line */
        eol = bol;
    }
    return FALSE;
}

/* diagnostic_of - the text that belongs to candidate i; *phase the SMTP
 * phase of the refusal when the transcript shows it, else unchanged */
static char *diagnostic_of(GPtrArray *cands, guint i, const char *t, size_t len, size_t max,
                           mxb_phase *phase)
{
    const candidate *c = g_ptr_array_index(cands, i);
    size_t to = i + 1 < cands->len ? ((candidate *)g_ptr_array_index(cands, i + 1))->line : len;

    /* The words, lower case; the searches below shorten them. */
    g_autofree char *seg = to > c->end ? g_ascii_strdown(t + c->end, (gssize)(to - c->end)) : NULL;

    /* Another recipient named again ends these words: Exchange lists each
     * recipient twice, words for people first, then a code for
     * administrators ("a@b" alone, "#550 5.1.1 ... ##" below it). */
    for (guint j = 0; seg != NULL && j < cands->len; j++) {
        const char *hit =
            j == i ? NULL : strstr(seg, ((candidate *)g_ptr_array_index(cands, j))->addr);
        if (hit == NULL)
            continue;
        size_t at = c->end + (size_t)(hit - seg);
        while (at > c->end && t[at - 1] != '\n')
            at--;
        if (at > c->end && at < to) {
            to = at;
            seg[to - c->end] = '\0';
        }
    }

    /* Mentioned again ("554 <a@b>... User unknown"): the diagnostic ends
     * with that line and the indented lines that continue it, or, when
     * the address ends its line, with the paragraph that follows. */
    const char *last = NULL;
    if (seg != NULL) {
        const char *hit = seg;
        while ((hit = strstr(hit, c->addr)) != NULL)
            last = hit++;
        if (last != NULL) {
            size_t e = c->end + (size_t)(last - seg) + strlen(c->addr);
            gboolean alone = TRUE;
            for (; e < to && t[e] != '\n'; e++)
                if (strchr(">:;,. \t\r)", t[e]) == NULL)
                    alone = FALSE;
            while (e + 1 < to && (alone || t[e + 1] == ' ' || t[e + 1] == '\t')) {
                size_t n = e + 1;
                while (n < to && (t[n] == ' ' || t[n] == '\t'))
                    n++;
                if (n >= to || t[n] == '\n')
                    break; /* a blank line ends it */
                e = n;
                while (e < to && t[e] != '\n')
                    e++;
            }
            to = MIN(to, e);
        }
    }
    /* Named nowhere else, on Sendmail's own line: that line and the
     * indented ones under it. The next line is another statement ("550
     * example.org (smtp)... 550 Host unknown", about another host). */
    gboolean own_line = last == NULL && sendmail_line(c, t, len);
    if (own_line) {
        size_t e = c->end;
        while (e < to && t[e] != '\n')
            e++;
        while (e + 1 < to && (t[e + 1] == ' ' || t[e + 1] == '\t')) {
            size_t n = e + 1;
            while (n < to && (t[n] == ' ' || t[n] == '\t'))
                n++;
            if (n >= to || t[n] == '\n' || t[n] == '\r')
                break;
            for (e = n; e < to && t[e] != '\n';)
                e++;
        }
        to = MIN(to, e);
    }
    /* "554 <a@b>... Remote protocol error": the reply code before the
     * address is the only answer for it, and leads the diagnostic. (Not
     * when the line goes on with the remote server's own code, as in
     * "554 <a@b>... 550 Host unknown".) */
    const char *lp = t + c->line, *addr = t + c->start;
    while (lp < addr && (*lp == ' ' || *lp == '\t'))
        lp++;
    gboolean coded = mxb_reply_code_at(lp, addr) && max > 8;
    for (const char *q = lp + 4; coded && q < addr; q++)
        coded = *q == ' ' || *q == '\t' || *q == '<';
    if (coded) {
        const char *eol = memchr(t + c->end, '\n', len - c->end);
        g_autofree char *rest =
            g_strndup(t + c->end, eol ? (gsize)(eol - (t + c->end)) : len - c->end);
        coded = mxb_smtp_failure_code_find(rest) == 0;
    }
    char *d = to > c->end ? fold(t + c->end, to - c->end, coded ? max - 4 : max) : NULL;
    /* The reporter's closing advice under the address is no reason
     * ("Please reply to <postmaster@...> if you feel this message to be
     * in error", under the reason above the address): the words are
     * then those before it (below). */
    if (d != NULL && g_ascii_strncasecmp(d, "please reply to ", 16) == 0) {
        g_autofree char *low = g_ascii_strdown(d, -1);
        if (strstr(low, "if you feel this message to be in error") != NULL)
            g_clear_pointer(&d, g_free);
    }
    if (d != NULL && coded) {
        char *with = g_strdup_printf("%.3s %s", lp, d);
        g_free(d);
        d = with;
    }

    /* Sendmail's own words for a refusal it was given ("554 <a@b>...
     * Remote protocol error", unless the line carries the server's reply
     * itself): the server's reply above it in the transcript follows
     * them ("<<< 501 <s@c>... no access from mail server"), and the
     * command it answered is the phase. */
    size_t rf, rt;
    mxb_phase ph = MXB_PHASE_UNKNOWN;
    if (d != NULL && own_line && coded && transcript_reply(cands, i, t, &rf, &rt, &ph)) {
        g_autofree char *reply = fold(t + rf, rt - rf, max);
        if (reply != NULL) {
            char *with = g_strdup_printf("%s %s", d, reply);
            g_free(d);
            d = with;
            *phase = ph;
        }
    }

    /* No code in the words: the line under a later mention of the
     * address alone on its line, if it holds one (Exchange's part for
     * administrators, past the other recipients). */
    char code[12];
    if (d != NULL && to < len && !mxb_status_find(d, code) && mxb_smtp_failure_code_find(d) == 0) {
        g_autofree char *rest = g_ascii_strdown(t + to, (gssize)(len - to));
        size_t alen = strlen(c->addr);
        for (const char *hit = strstr(rest, c->addr); hit != NULL; hit = strstr(hit + 1, c->addr)) {
            const char *e = hit + alen, *bol = hit;
            while (bol > rest && (bol[-1] == ' ' || bol[-1] == '\t'))
                bol--;
            while (*e == ' ' || *e == '\t' || *e == '\r')
                e++;
            if ((bol > rest && bol[-1] != '\n') || *e != '\n')
                continue; /* not alone on its line */
            const char *nl = strchr(e + 1, '\n');
            size_t n = nl ? (size_t)(nl - (e + 1)) : strlen(e + 1);
            const char *line = t + to + (size_t)(e + 1 - rest);
            g_autofree char *next = g_strndup(line, n);
            if (mxb_smtp_failure_code_find(next) == 0 && !mxb_status_find(next, code))
                continue;
            g_autofree char *f = fold(next, n, max);
            if (f != NULL) {
                char *with = g_strdup_printf("%s %s", f, d);
                g_free(d);
                d = with;
            }
            break;
        }
    }

    /* A list of addresses, then one reason for all of them. */
    for (guint j = i + 1; d == NULL && j < cands->len; j++) {
        const candidate *n = g_ptr_array_index(cands, j);
        size_t nto =
            j + 1 < cands->len ? ((candidate *)g_ptr_array_index(cands, j + 1))->line : len;
        if (nto > n->end)
            d = fold(t + n->end, nto - n->end, max);
    }
    if (d == NULL) {
        /* The words came first: the paragraph before the address. */
        size_t from = i > 0 ? ((candidate *)g_ptr_array_index(cands, i - 1))->end : 0;
        size_t para = c->line;
        while (para > from + 1 && !(t[para - 1] == '\n' && t[para - 2] == '\n'))
            para--;
        if (c->line > para)
            d = fold(t + para, c->line - para, max);
    }
    return d;
}

/* code_at - the first place where code stands in text as a code of its
 * own, not inside an address, a version or a date ("10.5.7.1",
 * "15.2.2", "2025.7.1"); with after_reply, only after a server's reply
 * code ("550 5.1.10"); NULL when none */
static const char *code_at(const char *text, const char *code, gboolean after_reply)
{
    size_t n = strlen(code);

    for (const char *c = strstr(text, code); c != NULL; c = strstr(c + 1, code)) {
        if ((c > text && (g_ascii_isdigit(c[-1]) || c[-1] == '.')) || g_ascii_isdigit(c[n]) ||
            (c[n] == '.' && g_ascii_isdigit(c[n + 1])))
            continue;
        if (!after_reply ||
            (c - text >= 4 && (c[-4] == '4' || c[-4] == '5') && g_ascii_isdigit(c[-3]) &&
             g_ascii_isdigit(c[-2]) && (c[-1] == ' ' || c[-1] == '-')))
            return c;
    }
    return NULL;
}

/* at_status - r's diagnostic, the first lines of the whole text, misses
 * the status read from that text (an Office 365 card's "Reported error:
 * 550 5.1.10 RESOLVER.ADR.RecipientNotFound" below its advice): the words
 * from the line where the status stands as a code of its own, after a
 * server's reply code if it stands so anywhere (not in advice that names
 * the code: "error code 5.1.10 in Office 365") */
static void at_status(mxb_report *rep, const mxb_limits *lim, mxb_result *r, const char *whole)
{
    if (r->status == NULL || g_str_has_suffix(r->status, ".0.0"))
        return;
    const char *reply = code_at(whole, r->status, TRUE);
    if (r->diagnostic != NULL && (code_at(r->diagnostic, r->status, TRUE) != NULL ||
                                  (reply == NULL && code_at(r->diagnostic, r->status, FALSE))))
        return; /* the diagnostic holds it already, the best way it stands */
    const char *at = reply != NULL ? reply : code_at(whole, r->status, FALSE);
    if (at == NULL)
        return;
    at = mxb_line_start(whole, at);
    g_autofree char *from = fold(at, strlen(at), lim->max_diagnostic);
    g_free(r->diagnostic);
    r->diagnostic = from ? mxb_clean_field(rep, from, lim->max_diagnostic) : NULL;
}

/* report_text - steps 1 and 2: the report's text (its text/plain parts,
 * else its text/html), into c with the sender side's addresses and the
 * returned message's To:; *cut is where the returned message starts */
static GString *report_text(text_ctx *c, GMimeMessage *msg, size_t *cut)
{
    GMimeObject *top = GMIME_OBJECT(msg);
    GMimeObject *body = g_mime_message_get_mime_part(msg); /* borrowed */

    compile();
    c->plain = g_string_new(NULL);
    c->html = g_string_new(NULL);
    c->senders = g_ptr_array_new_with_free_func(g_free);
    c->orig_to = g_ptr_array_new_with_free_func(g_free);
    add_senders_of(c, top);
    add_sender(c, g_mime_object_get_header(top, "To"));
    if (body)
        collect(c, body, 0);
    GString *text = c->plain->len ? c->plain : c->html;

    /* Cut off the returned message. */
    size_t len = text->len;
    GMatchInfo *mi = NULL;
    *cut = len;
    if (g_regex_match_full(re_marker, text->str, (gssize)len, 0, 0, &mi, NULL)) {
        int s, e;
        g_match_info_fetch_pos(mi, 0, &s, &e);
        *cut = (size_t)s;
    }
    g_match_info_free(mi);
    *cut = MIN(*cut, header_block_start(text->str, len));
    header_lines(c, text->str + *cut, text->str + len, FALSE);
    return text;
}

static void text_ctx_clear(text_ctx *c)
{
    g_string_free(c->plain, TRUE);
    g_string_free(c->html, TRUE);
    g_ptr_array_unref(c->senders);
    g_ptr_array_unref(c->orig_to);
}

/*
 * mxb_text_bounce - recipients of a human-readable bounce; TRUE when it
 * added results. failed is X-Failed-Recipients (may be NULL); named_only:
 * no last resort to the returned message's To:.
 */
gboolean mxb_text_bounce(mxb_report *rep, const mxb_limits *lim, GMimeMessage *msg,
                         const char *failed, gboolean delayed, gboolean named_only)
{
    text_ctx c = {.limits = lim};
    gboolean added = FALSE;
    size_t cut;
    GString *text = report_text(&c, msg, &cut);

    const char *t = text->str;
    g_autofree char *whole = g_strndup(t, cut);
    g_autofree char *low = g_ascii_strdown(whole, -1);
    const char *mta = mta_of(low);
    gboolean permanent = g_regex_match(re_permanent, whole, 0, NULL);
    /* Still trying, in so many words, and no X-Failed-Recipients (Exim's
     * failures; its delay warnings carry none): a delay warning. The
     * words of a quoted subject or header line are the sender's ("Subject:
     * Your payment will be reattempted", under Exchange's summary). */
    g_autofree char *own = mxb_without_field_lines(whole);
    if (!delayed && !permanent && failed == NULL &&
        (mxb_pattern_match(MXB_PATTERN_QUEUE_RETRYING, own) ||
         g_regex_match(re_retrying, own, 0, NULL)) &&
        !g_regex_match(re_final, whole, 0, NULL))
        delayed = TRUE;
    gboolean temporary = delayed || (!permanent && g_regex_match(re_temporary, whole, 0, NULL));
    g_autoptr(GPtrArray) cands = find_candidates(&c, t, cut, lim->max_recipients, FALSE);
    if (cands->len == 0) {
        /* A report about postmaster@ itself names nobody else. */
        g_ptr_array_unref(cands);
        cands = find_candidates(&c, t, cut, lim->max_recipients, TRUE);
    }

    /* X-Failed-Recipients, when present, says who; the text says why. */
    g_autoptr(GPtrArray) who = g_ptr_array_new_with_free_func(g_free);
    if (failed) {
        InternetAddressList *list = mxb_address_list_parse(failed);
        for (int i = 0; list && i < internet_address_list_length(list); i++) {
            InternetAddress *ia = internet_address_list_get_address(list, i); /* borrowed */
            if (INTERNET_ADDRESS_IS_MAILBOX(ia))
                g_ptr_array_add(
                    who, g_strdup(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia))));
        }
        if (list)
            g_object_unref(list);
        if (mta == NULL)
            mta = "exim";
    } else {
        for (guint i = 0; i < cands->len; i++)
            g_ptr_array_add(who, g_strdup(((candidate *)g_ptr_array_index(cands, i))->written));
    }
    if (who->len == 0 && !named_only) {
        /* Last resort: the returned message had one To: address. */
        header_lines(&c, whole, whole + strlen(whole), TRUE);
        if (c.orig_to->len == 1)
            g_ptr_array_add(who, g_strdup(g_ptr_array_index(c.orig_to, 0)));
    }

    guint first = rep->results->len;
    gboolean own_verdict = FALSE; /* a recipient's own words gave a reason */
    for (guint i = 0; i < who->len; i++) {
        const char *addr = g_ptr_array_index(who, i);
        mxb_result *r = mxb_result_add(rep, lim, delayed ? MXB_KIND_DELAYED : MXB_KIND_BOUNCE);
        if (r == NULL)
            break;
        added = TRUE;
        r->recipient = mxb_clean_field(rep, addr, lim->max_field);
        r->action = g_strdup(delayed ? "delayed" : "failed");
        r->mta = g_strdup(mta);
        for (guint j = 0; j < cands->len; j++) {
            const candidate *cd = g_ptr_array_index(cands, j);
            if (g_ascii_strcasecmp(cd->addr, addr) == 0) {
                g_autofree char *d =
                    diagnostic_of(cands, j, t, cut, lim->max_diagnostic, &r->phase);
                r->diagnostic = d ? mxb_clean_field(rep, d, lim->max_diagnostic) : NULL;
                break;
            }
        }
        gboolean from_whole = r->diagnostic == NULL && who->len == 1;
        if (from_whole) {
            g_autofree char *d = fold(whole, strlen(whole), lim->max_diagnostic);
            r->diagnostic = d ? mxb_clean_field(rep, d, lim->max_diagnostic) : NULL;
        }
        set_status(r, whole, who->len == 1, temporary);
        if (from_whole)
            at_status(rep, lim, r, whole);
        mxb_classify(r);
        own_verdict = own_verdict || r->reason != MXB_REASON_UNDETERMINED;
    }
    /* No recipient's own words say anything, and the report's do: one
     * reason for every address ("Error: Invalid user address" above the
     * address; Netscape's paragraph above its list of recipients). Not
     * when another recipient's words gave a verdict: the report's words
     * would be that one's ("User unknown" for all). */
    if (!own_verdict && rep->results->len > first && mxb_classify_text(whole) != MXB_REASON_NONE) {
        g_autofree char *d = fold(whole, strlen(whole), lim->max_diagnostic);
        for (guint i = first; i < rep->results->len; i++) {
            mxb_result *r = g_ptr_array_index(rep->results, i);
            g_free(r->diagnostic);
            r->diagnostic = mxb_clean_field(rep, d, lim->max_diagnostic);
            mxb_classify(r);
        }
    }
    /* The queue gave up (gave_up_pattern): expired, unless a recipient's
     * words gave a verdict of their own (a blocklist, an unknown user) */
    if (rep->results->len > first && g_regex_match(re_gave_up, whole, 0, NULL)) {
        for (guint i = first; i < rep->results->len; i++) {
            mxb_result *r = g_ptr_array_index(rep->results, i);
            if (r->kind == MXB_KIND_BOUNCE && r->local_rule == 0 &&
                (r->reason == MXB_REASON_NETWORK_ERROR || r->reason == MXB_REASON_UNDETERMINED)) {
                r->reason = MXB_REASON_EXPIRED;
                r->klass = mxb_reason_class(r->reason);
            }
        }
    }

    text_ctx_clear(&c);
    return added;
}

/* mxb_text_verdict - the words of a report that names nobody (its text
 * up to the returned message: its first lines, or from the line of the
 * status it carries when that stands further down) as r's diagnostic,
 * with the status and reply code they carry, as for a report of one
 * recipient: "550 5.1.8 Access denied, bad outbound sender" says our
 * account is refused even when the report names no address. A delay
 * keeps a 4.x.x status. */
void mxb_text_verdict(mxb_report *rep, const mxb_limits *lim, GMimeMessage *msg, mxb_result *r)
{
    text_ctx c = {.limits = lim};
    size_t cut;
    GString *text = report_text(&c, msg, &cut);
    g_autofree char *whole = g_strndup(text->str, cut);
    g_autofree char *low = g_ascii_strdown(whole, -1);
    gboolean temporary =
        r->kind == MXB_KIND_DELAYED || (!g_regex_match(re_permanent, whole, 0, NULL) &&
                                        g_regex_match(re_temporary, whole, 0, NULL));
    g_autofree char *d = fold(whole, strlen(whole), lim->max_diagnostic);

    g_free(r->diagnostic);
    r->diagnostic = d ? mxb_clean_field(rep, d, lim->max_diagnostic) : NULL;
    g_clear_pointer(&r->status, g_free);
    set_status(r, whole, TRUE, temporary);
    /* A delay waits: a failure's status in its words is not its own. */
    if (r->kind == MXB_KIND_DELAYED && r->status[0] != '4') {
        g_free(r->status);
        r->status = g_strdup("4.0.0");
    }
    at_status(rep, lim, r, whole);
    if (r->mta == NULL)
        r->mta = g_strdup(mta_of(low));
    text_ctx_clear(&c);
}
