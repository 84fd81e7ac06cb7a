/*
 * nonstandard.c - what a message is when it carries no delivery-status part
 *
 * DESCRIPTION
 *	mxb_report_part() handles the other report types of RFC 6522 that
 *	can sit in a multipart/report: RFC 5965 feedback reports (kind
 *	complaint) and RFC 8098 disposition notifications (kind mdn).
 *
 *	mxb_nonstandard() looks at the headers of a message that has no
 *	status part: RFC 3834 auto-replies and their de-facto cousins,
 *	X-Failed-Recipients (Exim and others), and mailer-daemon senders.
 *	Anything else is kind not_bounce. The human-readable bounce formats
 *	of individual MTAs build on this file.
 */
#include <string.h>

#include "internal.h"

/* mxb_guess_mta - the software that wrote a DSN, by its extension fields */
const char *mxb_guess_mta(const mxb_dsn_block *m)
{
    if (mxb_dsn_block_get(m, "X-Postfix-Queue-ID") || mxb_dsn_block_get(m, "X-Postfix-Sender"))
        return "postfix";
    if (mxb_dsn_block_get(m, "Received-From-MTA"))
        return "sendmail";
    if (mxb_dsn_block_get(m, "X-Original-Message-ID") || mxb_dsn_block_get(m, "X-Display-Name"))
        return "exchange";
    return "rfc3464";
}

/* first_address - first addr-spec of a header value, cleaned; or NULL */
static char *first_address(mxb_report *rep, const mxb_limits *lim, const char *value)
{
    InternetAddressList *list;
    char *out = NULL;

    if (value == NULL)
        return NULL;
    list = internet_address_list_parse(NULL, value);
    if (list == NULL)
        return NULL;
    for (int i = 0; i < internet_address_list_length(list) && out == NULL; i++) {
        InternetAddress *ia = internet_address_list_get_address(list, i); /* borrowed */
        if (INTERNET_ADDRESS_IS_MAILBOX(ia))
            out = mxb_clean_field(rep,
                                  internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)),
                                  lim->max_field);
    }
    g_object_unref(list);
    return out;
}

/* mxb_report_part - feedback-report and disposition-notification parts */
gboolean mxb_report_part(mxb_report *rep, const mxb_limits *lim, GMimeObject *part)
{
    GMimeContentType *ct = g_mime_object_get_content_type(part); /* borrowed */
    gboolean arf, mdn, cut = FALSE;

    if (!GMIME_IS_PART(part) || ct == NULL)
        return FALSE;
    arf = g_mime_content_type_is_type(ct, "message", "feedback-report");
    mdn = g_mime_content_type_is_type(ct, "message", "disposition-notification") ||
          g_mime_content_type_is_type(ct, "message", "global-disposition-notification");
    if (!arf && !mdn)
        return FALSE;

    g_autoptr(GByteArray) bytes = mxb_part_bytes(GMIME_PART(part), lim->max_status_part, &cut);
    g_autoptr(GPtrArray) blocks =
        mxb_dsn_parse_blocks((const char *)bytes->data, bytes->len, lim->max_field, &cut);
    if (cut)
        mxb_report_note(rep, MXB_REPORT_TRUNCATED_FIELD, "report part truncated");
    const mxb_dsn_block *b = blocks->len > 0 ? g_ptr_array_index(blocks, 0) : NULL;
    mxb_result *r = mxb_result_add(rep, lim, arf ? MXB_KIND_COMPLAINT : MXB_KIND_MDN);
    if (r == NULL || b == NULL)
        return TRUE;
    const char *rcpt = mxb_dsn_block_get(b, arf ? "Original-Rcpt-To" : "Final-Recipient");
    if (rcpt) {
        g_autofree char *a = mxb_dsn_address(rcpt);
        r->recipient = mxb_clean_field(rep, a, lim->max_field);
    }
    if (arf) {
        const char *ft = mxb_dsn_block_get(b, "Feedback-Type");
        if (ft) {
            g_autofree char *bare = mxb_dsn_strip_comments(ft);
            g_autofree char *low = g_ascii_strdown(bare, -1);
            r->feedback_type = mxb_clean_field(rep, low, 64);
        }
        r->mta = g_strdup("arf");
        g_autofree char *rm = NULL;
        const char *v = mxb_dsn_block_get(b, "Reporting-MTA");
        if (v) {
            rm = mxb_dsn_strip_comments(v);
            const char *semi = strchr(rm, ';');
            r->reporting_mta = mxb_clean_field(rep, semi ? semi + 1 : rm, lim->max_field);
        }
    } else {
        r->mta = g_strdup("mdn");
    }
    return TRUE;
}

/* is_auto_reply - RFC 3834 Auto-Submitted and the de-facto headers */
static gboolean is_auto_reply(GMimeObject *m)
{
    const char *v;

    if ((v = g_mime_object_get_header(m, "Auto-Submitted")) != NULL) {
        g_autofree char *bare = mxb_dsn_strip_comments(v);
        if (g_ascii_strncasecmp(bare, "auto-replied", 12) == 0)
            return TRUE;
    }
    if (g_mime_object_get_header(m, "X-Autoreply") || g_mime_object_get_header(m, "X-Autorespond"))
        return TRUE;
    if ((v = g_mime_object_get_header(m, "Precedence")) != NULL) {
        g_autofree char *bare = mxb_dsn_strip_comments(v);
        if (g_ascii_strncasecmp(bare, "auto_reply", 10) == 0)
            return TRUE;
    }
    return FALSE;
}

/* from_daemon - does the From: look like a mail system */
static gboolean from_daemon(const char *from)
{
    g_autofree char *low = NULL;

    if (from == NULL)
        return FALSE;
    low = g_ascii_strdown(from, -1);
    return strstr(low, "mailer-daemon") || strstr(low, "postmaster") ||
           strstr(low, "mail delivery");
}

/* mxb_nonstandard - classify a message without a status part */
void mxb_nonstandard(mxb_report *rep, const mxb_limits *lim, GMimeMessage *msg)
{
    GMimeObject *m = GMIME_OBJECT(msg);
    const char *failed = g_mime_object_get_header(m, "X-Failed-Recipients");
    mxb_result *r;

    if (failed != NULL) {
        InternetAddressList *list = internet_address_list_parse(NULL, failed);
        int n = list ? internet_address_list_length(list) : 0;
        for (int i = 0; i < n; i++) {
            InternetAddress *ia = internet_address_list_get_address(list, i); /* borrowed */
            if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
                continue;
            r = mxb_result_add(rep, lim, MXB_KIND_BOUNCE);
            if (r == NULL)
                break;
            r->recipient = mxb_clean_field(
                rep, internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)),
                lim->max_field);
            r->mta = g_strdup("exim");
            mxb_classify(r);
        }
        if (list)
            g_object_unref(list);
        if (rep->results->len > 0)
            return;
    }
    if (is_auto_reply(m)) {
        r = mxb_result_add(rep, lim, MXB_KIND_AUTO_REPLY);
        if (r)
            r->recipient = first_address(rep, lim, g_mime_object_get_header(m, "From"));
        return;
    }
    if (from_daemon(rep->from)) {
        r = mxb_result_add(rep, lim, MXB_KIND_BOUNCE);
        if (r)
            mxb_classify(r);
        return;
    }
    mxb_result_add(rep, lim, MXB_KIND_NOT_BOUNCE);
}
