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
 *	X-Failed-Recipients (Exim and others), mail-system senders and
 *	non-delivery subjects, whose plain text text.c reads. Anything else
 *	is kind not_bounce.
 */
#include <string.h>

#include "internal.h"

/* host_in - the Reporting-MTA value ("dns; mx.google.com") names a host
 * of domain, or domain itself */
static gboolean host_in(const char *value, const char *domain)
{
    g_autofree char *v = g_ascii_strdown(value, -1);
    char *comment = strchr(v, '(');

    if (comment != NULL)
        *comment = '\0'; /* "dns; mx.google.com (Google)" */
    g_strchomp(v);
    size_t n = strlen(v), d = strlen(domain);
    if (n > 0 && v[n - 1] == '.')
        v[--n] = '\0'; /* the root's dot */

    return n >= d && strcmp(v + n - d, domain) == 0 &&
           (n == d || v[n - d - 1] == '.' || v[n - d - 1] == ' ' || v[n - d - 1] == ';');
}

/* mxb_guess_mta - the software that wrote a DSN, by its extension fields
 * (Gmail writes Exchange's X-Original-Message-ID and Sendmail's
 * Received-From-MTA: by its Reporting-MTA). Exchange writes
 * Received-From-MTA too, and X-Display-Name in a recipient's block
 * (blocks from first on), which Sendmail never does; Microsoft's own
 * hosts (Outlook.com, Hotmail, Exchange Online) are Exchange. */
const char *mxb_guess_mta(const mxb_dsn_block *m, const GPtrArray *blocks, guint first)
{
    static const char *const microsoft[] = {"outlook.com", "hotmail.com", "outlook.cn"};
    const char *reporter = mxb_dsn_block_get(m, "Reporting-MTA");

    if (mxb_dsn_block_get(m, "X-Postfix-Queue-ID") || mxb_dsn_block_get(m, "X-Postfix-Sender"))
        return "postfix";
    if (reporter && (host_in(reporter, "google.com") || host_in(reporter, "googlemail.com")))
        return "gmail";
    if (mxb_dsn_block_get(m, "X-Original-Message-ID") || mxb_dsn_block_get(m, "X-Display-Name"))
        return "exchange";
    for (size_t i = 0; reporter && i < G_N_ELEMENTS(microsoft); i++)
        if (host_in(reporter, microsoft[i]))
            return "exchange";
    for (guint i = first; blocks && i < blocks->len; i++)
        if (mxb_dsn_block_get(g_ptr_array_index(blocks, i), "X-Display-Name"))
            return "exchange";
    if (mxb_dsn_block_get(m, "Received-From-MTA"))
        return "sendmail";
    return "rfc3464";
}

/* header_mailbox - the first addr-spec of a header field, or NULL (owned
 * by the caller) */
static char *header_mailbox(GMimeObject *m, const char *name)
{
    const char *v = g_mime_object_get_header(m, name);
    InternetAddressList *list = v ? mxb_address_list_parse(v) : NULL;
    char *addr = g_strdup(mxb_first_mailbox(list));

    if (list)
        g_object_unref(list);
    return addr;
}

/* answering_address - who answered: the From, unless it is postmaster@
 * and an Exchange inbox rule names its mailbox, or a mailing list
 * rewrote it ("Jo via list@example.org" <list@example.org>) or it has no
 * address ("\"Jo <jo@example.org>\""): then the mailbox whose Exchange
 * inbox rule answered (X-MS-Exchange-Inbox-Rules-Loop; a list may set
 * its own Reply-To), else the Reply-To. Owned by the caller; NULL when
 * none says */
static char *answering_address(GMimeMessage *msg)
{
    GMimeObject *m = GMIME_OBJECT(msg);
    InternetAddressList *from = g_mime_message_get_from(msg); /* borrowed */
    InternetAddress *first = from && internet_address_list_length(from) > 0
                                 ? internet_address_list_get_address(from, 0)
                                 : NULL;
    const char *name = first ? internet_address_get_name(first) : NULL;
    const char *own = mxb_first_mailbox(from);
    g_autofree char *low = name ? g_ascii_strdown(name, -1) : NULL;
    char *addr = header_mailbox(m, "X-MS-Exchange-Inbox-Rules-Loop");
    /* Office 365 sends some out-of-office replies from postmaster@: the
     * mailbox whose rule answered is the one away */
    if (addr != NULL && own != NULL && g_ascii_strncasecmp(own, "postmaster@", 11) == 0)
        return addr;
    if (own != NULL && (low == NULL || strstr(low, " via ") == NULL)) {
        g_free(addr);
        return g_strdup(own);
    }
    if (addr == NULL)
        addr = header_mailbox(m, "Reply-To");
    return addr != NULL ? addr : g_strdup(own);
}

/* from_result - a result of this kind about the address that answered
 * (auto-replies and challenges speak for the address that received) */
static void from_result(mxb_report *rep, const mxb_limits *lim, GMimeMessage *msg, mxb_kind kind)
{
    mxb_result *r = mxb_result_add(rep, lim, kind);

    if (r) {
        g_autofree char *addr = answering_address(msg);
        r->recipient = mxb_clean_field(rep, addr, lim->max_field);
    }
}

static gboolean feedback_result(mxb_report *rep, const mxb_limits *lim, const mxb_dsn_block *b,
                                gboolean arf, const char *rcpt);

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
    if (b == NULL) {
        mxb_result_add(rep, lim, arf ? MXB_KIND_COMPLAINT : MXB_KIND_MDN);
        return TRUE;
    }
    /* One result per Original-Rcpt-To (RFC 5965 allows several; a report
     * without one gets its recipient from the returned headers later).
     * ARF's drafts named the address of an opt-out report so, which has
     * no Original-Rcpt-To: Removal-Recipient. */
    const char *field = arf ? "Original-Rcpt-To" : "Final-Recipient";
    if (arf && mxb_dsn_block_get(b, field) == NULL && mxb_dsn_block_get(b, "Removal-Recipient"))
        field = "Removal-Recipient";
    guint n = 0;
    for (guint i = 0; i <= b->fields->len; i++) {
        const mxb_dsn_field *f = i < b->fields->len ? g_ptr_array_index(b->fields, i) : NULL;
        if (f != NULL && g_ascii_strcasecmp(f->name, field) != 0)
            continue;
        if (f == NULL && n > 0)
            break;
        n++;
        if (!feedback_result(rep, lim, b, arf, f ? f->value : NULL))
            break;
    }
    return TRUE;
}

/*
 * mdn_refused - an MDN's Disposition says the message was refused: the
 * action mode "automatic-action" and the type "deleted" (RFC 8098 3.2.6).
 * That is how Sieve's reject answers (RFC 5429 2.2.2), and Dovecot's
 * delivery agent for a mailbox over its quota: "Your message to <a@b> was
 * automatically rejected:" and the reason on the next line.
 */
static gboolean mdn_refused(const char *disposition)
{
    if (disposition == NULL)
        return FALSE;
    g_autofree char *bare = mxb_dsn_strip_comments(disposition);
    g_autofree char *low = g_ascii_strdown(g_strstrip(bare), -1);
    const char *semi = strchr(low, ';');
    if (semi == NULL || !g_str_has_prefix(low, "automatic-action"))
        return FALSE;
    for (semi++; *semi == ' ' || *semi == '\t'; semi++)
        ;
    return g_str_has_prefix(semi, "deleted");
}

/* Most tags read before a subject's words */
#define SUBJECT_TAGS_MAX 3
/* Longest tag read before a subject's words, its brackets included */
#define SUBJECT_TAG_MAX 64
/* Longest prefix before a subject's colon read as a prefix ("SPAM:",
 * "Re:"), not as the subject's own words */
#define SUBJECT_PREFIX_MAX 12

static const char *past_tag(const char *p);

/* not_read_receipt - the subject of a receipt for a message deleted
 * unread (Exchange's "Not read: <subject>", "Your message ... was deleted
 * without being read"): it carries the same Disposition as a refusal, yet
 * the message was delivered */
static gboolean not_read_receipt(const char *subject)
{
    static const char *const prefixes[] = {"not read", "nicht gelesen", "non lu",       "no leído",
                                           "no leido", "non letto",     "niet gelezen", "não lido",
                                           "nao lido", "não lida",      "nao lida"};

    /* as it is, or past the tags a gateway put before it */
    const char *s = subject;
    for (int n = 0; s != NULL && n <= SUBJECT_TAGS_MAX; n++, s = past_tag(s))
        if (mxb_labelled(s, prefixes, G_N_ELEMENTS(prefixes)))
            return TRUE;
    return FALSE;
}

/* from_reader - the receipt comes from the recipient's own address and
 * its subject says nothing of a refusal: its mail reader sent it (KMail
 * says "deleted" of a message a filter of the reader's moved to the
 * trash, in every language, under "Message Disposition Notification"),
 * not a delivery agent's refusal (Dovecot's and Cyrus' come from a system
 * address; Zimbra's from the recipient's own, under "Message rejected") */
static gboolean from_reader(const mxb_report *rep, const char *recipient)
{
    static const char *const refusal[] = {"reject", "refus",          "rechaz", "abgelehnt",
                                          "rifiut", "zurückgewiesen", "rejet",  "rejeit",
                                          "geweig", "odrzuc",         "отклон", "拒"};

    if (rep->from == NULL || recipient == NULL)
        return FALSE;
    /* the subject's own words: past the tags before it, its short
     * prefixes ("SPAM:", "Re:") and the first longer words before a colon
     * ("Rejected: ...", "Return Receipt (deleted): ..."), not the quoted
     * subject after them */
    const char *s = rep->subject;
    for (int n = 0; s != NULL && n < SUBJECT_TAGS_MAX && past_tag(s) != NULL; n++)
        s = past_tag(s);
    for (int n = 0; s != NULL && *s != '\0' && n < SUBJECT_TAGS_MAX; n++) {
        const char *colon = strchr(s, ':');
        size_t len = colon ? (size_t)(colon - s) : strlen(s);
        g_autofree char *part = g_utf8_strdown(s, (gssize)len);
        for (size_t i = 0; i < G_N_ELEMENTS(refusal); i++)
            if (strstr(part, refusal[i]) != NULL)
                return FALSE;
        if (colon == NULL || len > SUBJECT_PREFIX_MAX)
            break;
        s = colon + 1;
    }
    InternetAddressList *l = internet_address_list_parse(NULL, rep->from);
    InternetAddress *ia =
        l && internet_address_list_length(l) > 0 ? internet_address_list_get_address(l, 0) : NULL;
    const char *a = mxb_mailbox_addr(ia);
    gboolean same = a != NULL && g_ascii_strcasecmp(a, recipient) == 0;
    g_clear_object(&l);
    return same;
}

/* mxb_feedback_kind - the kind of a feedback report whose type (lower
 * case, or NULL) is given: a complaint, unless nobody complained: the
 * recipient wanted the message (RFC 5965 not-spam), or a receiver reports
 * failed authentication (RFC 6591): recorded, never a complaint
 * (db/sql/007) */
mxb_kind mxb_feedback_kind(const char *type)
{
    return type && (strcmp(type, "not-spam") == 0 || strcmp(type, "auth-failure") == 0)
               ? MXB_KIND_FEEDBACK
               : MXB_KIND_COMPLAINT;
}

/* feedback_result - one complaint or MDN result about rcpt (may be NULL);
 * FALSE when the recipient limit is reached */
static gboolean feedback_result(mxb_report *rep, const mxb_limits *lim, const mxb_dsn_block *b,
                                gboolean arf, const char *rcpt)
{
    mxb_result *r = mxb_result_add(rep, lim, arf ? MXB_KIND_COMPLAINT : MXB_KIND_MDN);

    if (r == NULL)
        return FALSE;
    if (rcpt) {
        /* A redacted value ("xxxx", "redacted") is no address: the
         * returned message may name it (parse.c). For a receipt, a bare
         * local part or an AS2 identity names no mailbox either. */
        g_autofree char *a = mxb_dsn_address(rcpt);
        if (a != NULL && strchr(a, '@') != NULL)
            r->recipient = mxb_clean_field(rep, a, lim->max_field);
    }
    if (arf) {
        const char *ft = mxb_dsn_block_get(b, "Feedback-Type");
        if (ft) {
            g_autofree char *bare = mxb_dsn_strip_comments(ft);
            g_autofree char *low = g_ascii_strdown(bare, -1);
            r->feedback_type = mxb_clean_field(rep, low, 64);
        }
        r->kind = mxb_feedback_kind(r->feedback_type);
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
        if (mdn_refused(mxb_dsn_block_get(b, "Disposition")) && !not_read_receipt(rep->subject) &&
            !from_reader(rep, r->recipient)) {
            /* A refusal, not a receipt: a bounce whose words are in the
             * human-readable part (parse.c reads them there). */
            r->kind = MXB_KIND_BOUNCE;
            r->action = g_strdup("failed");
            r->status = g_strdup("5.0.0");
            mxb_classify(r);
        }
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
    if (g_mime_object_get_header(m, "X-Autoreply") ||
        g_mime_object_get_header(m, "X-Autorespond") ||
        g_mime_object_get_header(m, "X-Autoresponder") ||
        g_mime_object_get_header(m, "X-AutoReply-From") ||
        g_mime_object_get_header(m, "X-Mail-Autoreply"))
        return TRUE;
    /* CommuniGate's "X-Autogenerated: Reply" (its other values are
     * forwards and the like), Mailtraq's "X-POST-MessageClass: 9;
     * Autoresponder", qmail's autoresponder's "Delivered-To: Autoresponder" */
    if ((v = g_mime_object_get_header(m, "X-Autogenerated")) != NULL &&
        g_ascii_strncasecmp(v, "Reply", 5) == 0)
        return TRUE;
    if ((v = g_mime_object_get_header(m, "X-POST-MessageClass")) != NULL) {
        g_autofree char *low = g_ascii_strdown(v, -1);
        if (strstr(low, "autoresponder") != NULL)
            return TRUE;
    }
    if ((v = g_mime_object_get_header(m, "Delivered-To")) != NULL &&
        g_ascii_strcasecmp(v, "Autoresponder") == 0)
        return TRUE;
    if ((v = g_mime_object_get_header(m, "X-Amazon-Auto-Reply")) != NULL &&
        (g_ascii_strncasecmp(v, "yes", 3) == 0 || g_ascii_strncasecmp(v, "true", 4) == 0))
        return TRUE;
    /* an Exchange mailbox rule's own message (its replies; a rule's
     * forward keeps the original sender and never reaches us) */
    if ((v = g_mime_object_get_header(m, "X-MS-Exchange-Generated-Message-Source")) != NULL &&
        g_ascii_strncasecmp(v, "Mailbox Rules Agent", 19) == 0)
        return TRUE;
    /* Kopano's and Zarafa's vacation replies mark their loops so */
    if (g_mime_object_get_header(m, "X-Kopano-Vacation") ||
        g_mime_object_get_header(m, "X-Zarafa-Vacation"))
        return TRUE;
    if ((v = g_mime_object_get_header(m, "X-Apple-Action")) != NULL &&
        g_ascii_strncasecmp(v, "VACATION", 8) == 0)
        return TRUE;
    if ((v = g_mime_object_get_header(m, "Precedence")) != NULL) {
        g_autofree char *bare = mxb_dsn_strip_comments(v);
        if (g_ascii_strncasecmp(bare, "auto_reply", 10) == 0)
            return TRUE;
    }
    return FALSE;
}

/* is_rule_reply - an Exchange inbox rule's reply ("reply using a
 * template", an out-of-office rule): the rule loop header with the
 * request that nobody answer it back. Either alone is a person's mail: a
 * rule forwards too, and an application may ask for no replies. Read
 * after the null sender's failure words: a report may carry both. */
static gboolean is_rule_reply(GMimeObject *m)
{
    const char *v = g_mime_object_get_header(m, "X-Auto-Response-Suppress");

    if (v == NULL || g_mime_object_get_header(m, "X-MS-Exchange-Inbox-Rules-Loop") == NULL)
        return FALSE;
    g_autofree char *bare = mxb_dsn_strip_comments(v);
    g_auto(GStrv) words = g_strsplit_set(bare, ", \t", -1);
    for (char **w = words; *w; w++)
        if (g_ascii_strcasecmp(*w, "All") == 0 || g_ascii_strcasecmp(*w, "OOF") == 0 ||
            g_ascii_strcasecmp(*w, "AutoReply") == 0)
            return TRUE;
    return FALSE;
}

/* is_auto_generated - RFC 3834 "Auto-Submitted: auto-generated" (or RFC
 * 5435's "auto-notified", a Sieve notification): sent by a program, not in
 * reply. Sent to our bounce address, which no person
 * replies to, it is a ticket system's or a list's automatic answer. */
static gboolean is_auto_generated(GMimeObject *m)
{
    const char *v = g_mime_object_get_header(m, "Auto-Submitted");
    g_autofree char *bare = v ? mxb_dsn_strip_comments(v) : NULL;

    /* Jira's notices (X-JIRA-FingerPrint) may drop RFC 3834's header */
    return (bare != NULL && (g_ascii_strncasecmp(bare, "auto-generated", 14) == 0 ||
                             g_ascii_strncasecmp(bare, "auto-notified", 13) == 0)) ||
           is_rule_reply(m) || g_mime_object_get_header(m, "X-JIRA-FingerPrint") != NULL;
}

/* is_bulk - "Precedence: bulk" or "junk", which vacation(1) and other
 * responders write: an automatic answer when the null sender sent it (a
 * newsletter writes it too, but under a sender of its own) */
static gboolean is_bulk(GMimeObject *m)
{
    const char *v = g_mime_object_get_header(m, "Precedence");
    g_autofree char *bare = v ? g_strstrip(mxb_dsn_strip_comments(v)) : NULL;

    return bare != NULL &&
           (g_ascii_strcasecmp(bare, "bulk") == 0 || g_ascii_strcasecmp(bare, "junk") == 0);
}

/* has_verdict - a result from the first on carries a server's verdict */
static gboolean has_verdict(const mxb_report *rep, guint first)
{
    for (guint i = first; i < rep->results->len; i++) {
        const mxb_result *r = g_ptr_array_index(rep->results, i);
        if (r->smtp_code > 0 ||
            (r->kind == MXB_KIND_BOUNCE && r->reason != MXB_REASON_UNDETERMINED) ||
            (r->status && !g_str_has_suffix(r->status, ".0.0")))
            return TRUE;
    }
    return FALSE;
}

/* spam_filter_mark - au (KDDI EZweb) marks a report of its users' spam
 * filter with "X-SPASIGN: NG"; a failure the words do not explain is
 * that filter's (content_rejected), not an unknown reason */
static void spam_filter_mark(mxb_report *rep, GMimeObject *m, guint first)
{
    const char *v = g_mime_object_get_header(m, "X-SPASIGN");
    g_autofree char *bare = v ? mxb_dsn_strip_comments(v) : NULL;

    if (bare == NULL || g_ascii_strncasecmp(bare, "NG", 2) != 0)
        return;
    for (guint i = first; i < rep->results->len; i++) {
        mxb_result *r = g_ptr_array_index(rep->results, i);
        if (r->kind == MXB_KIND_BOUNCE && r->reason == MXB_REASON_UNDETERMINED &&
            r->local_rule == 0) {
            r->reason = MXB_REASON_CONTENT_REJECTED;
            r->klass = mxb_reason_class(r->reason);
        }
    }
}

/* from_daemon - does the From: look like a mail system: 2 for a name
 * only mail systems use (MAILER-DAEMON, "Mail Delivery System"), 1 for
 * postmaster and the content filters that write their own notices
 * (Symantec's "AntiVirus for SMTP Gateways", MailScanner), whose
 * addresses send other mail too (DMARC reports, a relay's default
 * login), 0 for none */
static int from_daemon(const char *from)
{
    static const struct {
        const char *mark;
        int strength;
    } marks[] = {{"mailer-daemon", 2}, {"mailer_daemon", 2},      {"postmaster", 1},
                 {"post_master", 1},   {"mail delivery", 2},      {"mail administrator", 2},
                 {"mail system", 2},   {"delivery subsystem", 2}, {"mdaemon", 2},
                 {"antivirus", 1},     {"anti-virus", 1},         {"mailscanner", 1}};
    g_autofree char *low = NULL;
    int best = 0;

    if (from == NULL)
        return 0;
    low = g_ascii_strdown(from, -1);
    for (size_t i = 0; i < G_N_ELEMENTS(marks); i++)
        for (const char *hit = strstr(low, marks[i].mark); hit != NULL;
             hit = strstr(hit + 1, marks[i].mark)) {
            /* "Mail Administrator", "Jetmail System"; not the "Email
             * Administrator" or "E-mail Delivery" that lures sign with */
            const char *e = hit > low && hit[-1] == '-' ? hit - 1 : hit;
            if (e > low && e[-1] == 'e' && (e - 1 == low || !g_ascii_isalnum(e[-2])))
                continue;
            best = MAX(best, marks[i].strength);
            break;
        }
    return best;
}

/* mxb_from_daemon - whether a From names a mail system (from_daemon) */
gboolean mxb_from_daemon(const char *from)
{
    return from_daemon(from) > 0;
}

/*
 * list_notice - a mailing-list manager's notice about a post it refused:
 * fml ("X-MLServer: fml ...") writes "You are not a member of this mailing
 * list <list@example.org>." or "Duplicated Message-ID in
 * <list@example.org>." above "Original mail as follows:". A bounce whose
 * recipient is the list (the first <address> of the notice) and whose
 * diagnostic is the notice; TRUE when it added one.
 */
static gboolean list_notice(mxb_report *rep, const mxb_limits *lim, GMimeMessage *msg)
{
    static GRegex *re;
    const char *v = g_mime_object_get_header(GMIME_OBJECT(msg), "X-MLServer");
    GMimeObject *part = g_mime_message_get_body(msg); /* borrowed */
    g_autoptr(GMatchInfo) mi = NULL;

    if (v == NULL || g_ascii_strncasecmp(v, "fml", 3) != 0 || part == NULL)
        return FALSE;
    if (g_once_init_enter(&re)) {
        GRegex *r = g_regex_new("^(.*<([^<>\\s@]+@[^<>\\s@]+)>.*)$",
                                G_REGEX_MULTILINE | G_REGEX_RAW, 0, NULL);
        g_assert(r != NULL); /* ours */
        g_once_init_leave(&re, r);
    }
    g_autofree char *text = mxb_part_text(part, MXB_TEXT_MAX, NULL);
    if (text == NULL)
        return FALSE;
    char *orig = strstr(text, "Original mail as follows:");
    if (orig)
        *orig = '\0';
    if (!g_regex_match(re, text, 0, &mi))
        return FALSE;
    mxb_result *r = mxb_result_add(rep, lim, MXB_KIND_BOUNCE);
    if (r == NULL)
        return TRUE;
    g_autofree char *addr = g_match_info_fetch(mi, 2);
    g_autofree char *line = g_match_info_fetch(mi, 1);
    r->recipient = mxb_clean_field(rep, addr, lim->max_field);
    r->diagnostic = mxb_clean_field(rep, line, lim->max_diagnostic);
    r->action = g_strdup("failed");
    r->status = g_strdup("5.0.0");
    r->mta = g_strdup("fml");
    mxb_classify(r);
    return TRUE;
}

/* Subjects of non-delivery reports, and of the delay warnings among them. */
static const char bounce_subject[] =
    "undeliver|deliver(y|ies)? (status|fail|failure|problem|report|notification|has failed)"
    "|returned mail|failure notice|mail delivery|non.?deliver|could not be delivered"
    "|not (be )?delivered|rejected|mail system error|returned to sender|\\bbounced?\\b"
    "|message delivery|delayed mail|delivery delay|could not send|unable to deliver"
    "|permanent error|delivery failure|mail failure|nicht zustellbar|unzustellbar"
    "|non remis|no entregado|no se puede entregar|non recapitabile|impossibile recapitare"
    "|n(ã|a)o (é possível|foi possível|pode ser) entreg|n(ã|a)o entregue|onbestelbaar"
    "|ej levererbart|ikke leveret|kan ikke leveres|kunne ikke leveres|ikke levert|tavoittamaton"
    "|nedoručiteln|kézbesíthetetlen|teslim edilemedi|teslim edilemiyor|無法傳遞|无法投递"
    "|배달 못 ?함|δεν είναι δυνατή η παράδοση"
    "|niedostarczalne|nie można dostarczyć|недоставля|недоставленн|не доставлено"
    "|(zustellung|übermittlung) verzögert|remise (retardée|différée)|entrega (retrasada|atrasada)"
    "|recapito ritardato|bezorging vertraagd|vertraagde bezorging|配信遅延|送信遅延"
    "|メールエラー|エラーメール|不達|配信不能|配信エラー|未配達"
    "|送信できません|届きませんでした|退信|投递失败|投遞失敗|发送失败|發送失敗|无法送达|無法送達";
static const char delay_subject[] =
    "delay|could not send message for past|not yet (been )?delivered|will retry"
    "|\\(warning\\)|^warning:|\\bwarning$|\\bwarning: (could not|cannot|can.t) send (this "
    ")?message for"
    "|verzögert|retardée|différée|retrasada|atrasada|ritardato|vertraagd|遅延|延迟|지연";
/* Challenge-response systems: the sender must prove to be a person
 * before the message is delivered (Boxbe, SpamArrest, Mailborder, cPanel's
 * BoxTrapper and others). Subject or the first text, case-insensitive. */
static const char challenge_words[] =
    "verify (that )?you\\s+are\\s+(a\\s+)?(human|real|not a robot)"
    "|confirm (that )?you\\s+are\\s+(a\\s+)?(human|real)"
    "|once i approve you\\b"
    "|please (verify|confirm) your (email|message|address)|sender verification (request|required)"
    "|awaiting (your )?(verification|confirmation)|held (pending|until) (your )?verification"
    "|challenge.response|spam ?arrest|boxtrapper|boxbe|click (the link|here) to (verify|confirm)"
    "|added to (my|the) (approved|allowed) senders|(join|added to) my guest list"
    "|add yourself to (my|the)( \\w+)? (guest|approved senders?|allowed senders?) list"
    "|message .{0,80}has been waitlisted"
    "|will be delivered to \\S+ upon your verification|enter the (random )?image verification code"
    "|protect(ing)? (myself|me|my inbox) from (receiving )?(junk|spam|unsolicited)";

/* A challenge that says which product protects the account, or the
 * recipient's allowed list: enough in the text by itself (Bluebottle's
 * come from a support address under "RE:", with no mark of an automatic
 * message); a product's name alone is not ("a bluebottle stung me") */
static const char challenge_signed[] =
    "protected by (bluebottle|boxbe|spam ?arrest|mailinblack)\\b|\\bboxtrapper\\b"
    "|added to the recipient.s (approved|allowed|safe) (senders? )?list"
    "|(messages|e-?mails?|mail) only from senders i have approved";

/* A queue's own words that it goes on trying (text.c reads such a report
 * as a delay warning, with "has been delayed" and the like besides): a
 * mail system wrote them, not a person */
static const char queue_retrying[] =
    "will (continue to )?retry|will (continue to )?try (again|to deliver|delivering|to send)"
    "|attempts will continue|will continue to (be made|attempt)|will keep trying|will be retried"
    "|this is a warning (message )?only|will be reattempted|following address\\(es\\) deferred"
    "|temporary error and you do not have to resend";

/* Words of a failure in the text of a message with the null sender. */
static const char failure_words[] =
    "could not be delivered|undeliverable|delivery (has )?failed|unable to deliver"
    "|(invalid|unknown) (user|recipient|address)|no such (user|mailbox)|user unknown"
    "|mailbox (is )?full|permanent(ly)? (error|fail)|was(n.?t| not) delivered|not been delivered"
    "|传递邮件失败|傳遞郵件失敗";
/* Words of a notice that the message went through (Exchange's "Delivered:"
 * and "Relayed:" without a status part, GroupWise's "Message status -
 * delivered", OpenSMTPD's relay notice): not "could not be delivered to
 * the following recipients". */
static const char success_words[] =
    "(has been|was|were) (successfully )?(delivered|relayed) to (the following|these|all( of)? the"
    "|all) (recipients?|addresses|recipient\\(s\\))"
    "|delivery to (these|the following) recipients (or groups )?(is complete|succeeded"
    "|was successful)|successful mail delivery report"
    /* Exchange's receipt in other languages */
    "|foi entregue aos seguintes destinat(á|a)rios|a (é|e)t(é|e) remis aux destinataires suivants"
    "|se entreg(ó|o) a los siguientes destinatarios|recapitato ai seguenti destinatari"
    "|is bezorgd bij de volgende|an (die )?folgende(n)? empf(ä|ae)nger (ü|ue)bermittelt";
/* ... unless the notice also says something failed or was refused
 * ("Delivery to the following recipients succeeded: a@b ... Delivery to
 * the following recipients failed: c@d") */
static const char not_success_words[] =
    "fail|couldn.?t be|could not be|cannot be|can.t be|was(n.?t| not) delivered"
    /* the same in the languages of the receipts above (success_words),
     * whose negation stands before the words of a delivery */
    "|n(ã|a)o (foi|pôde ser|pode ser) entregue|no se (entreg|pudo entregar)"
    "|non (è|e) stat[oa] recapitat|konnte nicht|nicht (zugestellt|(ü|ue)bermittelt)"
    "|n.a pas (pu )?(é|e)t(é|e) remis|niet (worden )?bezorgd|\\bfalhou\\b"
    "|\\bfalha (na|ao|de) entrega|\\bfall(ó|o) (la |el )?(entrega|env(í|i)o)|non riuscit"
    "|fehlgeschlagen|(é|e)chec de (la )?(remise|distribution|livraison)|\\ba (é|e)chou(é|e)\\b"
    "|\\bmislukt\\b|(não|nao|no) encontrad|non trovat|nicht gefunden|introuvable"
    "|niet gevonden"
    "|not (be )?delivered|not (be )?reached|did not reach|(?<!non-)fatal|reject|undeliver"
    "|unable to deliver|bounced|\\bblocked\\b|(^|\\n|said:? |was:? |reply:? ?)\\s*[45][0-9][0-9][ "
    "-]"
    "|(?<![0-9.])[45]\\.[0-9]{1,3}\\.[0-9]{1,3}(?![0-9.])";
/* A subject of a success notice, where a report's subject would say
 * failure ("Delivery Status Notification (Success)" reads as a report's) */
static const char success_subject[] =
    "^\\s*(delivered|relayed|entregue|entregado|remis|recapitato|bezorgd|zugestellt)\\s*:"
    "|\\((success|relay)\\)|successful mail delivery"
    "|message status - delivered|notification: (delivered|relay(ed)?|success)"
    "|(?<!non-)(?<!non )\\bdelivery report\\b|delivery has succeeded";
/* A subject that opens with a failure: words after it quote the returned
 * message's subject ("Undeliverable: Flight delay compensation") */
static const char failure_prefix[] =
    "^\\s*(undeliverable|undelivered mail|returned mail|mail delivery failed|failure notice"
    "|delivery failure|delivery status notification \\(failure\\)|nicht zustellbar"
    "|unzustellbar|non remis|no entregado|non "
    "recapitabile|onbestelbaar)\\b(?!\\s*[:-]\\s*warning\\b)"
    /* MailScanner's notices of what it removed: never retried */
    "|^\\s*warning: e-?mail (viruses|virus|errors?|filenames?|content) detected";
/* Subjects of a filter's notices about its quarantine (a digest of held
 * spam, a message released from it): about mail that was held, not a
 * failure ("Daily Spam Report for 'a@b'", "Message released from
 * quarantine") */
static const char quarantine_subject[] =
    "\\bspam (quarantine )?(report|summary|digest)\\b|\\bquarantine (summary|digest|report"
    "|notification)\\b|\\breleased from (the )?quarantine\\b";
static const char reply_prefix[] =
    "^\\s*(re|fw|fwd|aw|wg|sv|tr|res|enc|rv|r|i|antw|doorst|vs|vb|odp|pd|ynt|vl|rif|wtr)"
    "(\\[[0-9]{1,3}\\])?\\s*:";
/* Subjects of out-of-office and other automatic replies (Office 365 sends
 * some from postmaster: the subject decides before the sender does). */
static const char auto_reply_subject[] =
    "^\\s*(?:[\\[(【]\\s*)?(automatic reply|auto(matic)?[ -]?reply|auto[ "
    "-]?response|automatic[ -]response(?!s)\\b|autoresponder|auto:"
    "|out of (the )?office|abwesenheit|automatische antwort|r[ée]ponse automatique"
    "|respuesta autom[aá]tica|resposta autom[aá]tica|risposta automatica|automatisch antwoord"
    "|automatyczna odpowied|automatiskt svar|automatisk svar|automaattinen vastaus"
    "|automatická odpověď|otomatik yan[ıi]t|автоответ|автоматический ответ"
    "|自動(応答|返信|回覆)|自动回复|不在(通知|のお知らせ)|자동 ?회신|자동 ?응답"
    "|vacation|away from (the )?office"
    "|autosvar|fr(å|a)nvaro|fuori sede|risposta non al computer|自动答复"
    "|odpowied(ź|z) automatyczna|automatikus v(á|a)lasz|r(ă|a)spuns automat"
    "|автовідповідь|αυτόματη απάντηση"
    /* Outlook's and list robots' prefixes in more languages */
    "|תשובה אוטומטית|מענה[- ]אוטומטי|מחוץ למשרד|(ال)?رد (ال)?(تلقائي|آلي)|خارج المكتب|پاسخ خودکار"
    "|автоматичен отговор|аутоматски одговор|автоматски одговор|automatski odgovor"
    "|samodejni odgovor|automatická odpoveď|automatinis atsakymas|automātiskā atbilde"
    "|automaatne vastus|resposta automàtica|trả lời tự động|balasan (otomatis|automatik)"
    "|स्वचालित (उत्तर|जवाब)|ตอบกลับอัตโนมัติ|sjálfvirkt svar|outomatiese antwoord"
    "|erantzun automatikoa|awtomatikong tugon"
    /* Outlook's "Out of Office:" in other languages */
    "|h(á|a)zon k(í|i)v(ü|u)l|poza biurem|mimo kancel(á|a)(ř|r)|absent du bureau"
    "|fuera de la oficina|izvan ureda)"
    /* Lotus Notes: "<name> is out of the office." */
    "|^[^:]{1,80}\\bis out of the office\\.?\\s*$";

/* A list manager's words that refuse a post (Mailman, LISTSERV, ezmlm,
 * mlmmj, Dada, Ecartis, Lyris, ...), and those that hold one for its
 * moderator (no refusal yet). */
static const char list_refusal_words[] =
    "not allowed to (post|send)|(has been|was) automatically rejected"
    "|rejected by the (list )?moderator"
    "|not accepted by the moderator|banned from (this|the) (mailing )?list"
    "|is (currently )?closed[ -]posting|had been served out|posting was rejected"
    "|your mail has been refused|n.t seem that you (currently )?have permission"
    "|(have|has) no permission to (post|send)|mail was rejected due to"
    "|not (be |been )?delivered to the (mailing )?list|couldn.t deliver it to the mailing list"
    "|is not subscribed,? and only subscribers may post|the denied message is below"
    "|unable to be delivered to the list|rifiutat[ao] dal moderatore"
    "|rejet(é|e)e? par le mod(é|e)rateur|vom moderator abgelehnt|rechazado por el moderador";
static const char list_held_words[] =
    "\\bheld (for|until)|is being held|has been held|awaits? (the )?moderator|awaiting "
    "(moderator |moderation )?approval|pending (moderator )?approval|review it for approval"
    "|requires? (moderator )?approval|zur(ü|ue)ckgehalten|genehmigung erforderlich"
    "|en attente (de|d.)|in attesa di|retenid[oa]|pendiente de aprobaci(ó|o)n";

const char *mxb_pattern_text(mxb_pattern p)
{
    static const char *const text[MXB_PATTERN_COUNT] = {
        [MXB_PATTERN_REPLY_PREFIX] = reply_prefix,
        [MXB_PATTERN_BOUNCE_SUBJECT] = bounce_subject,
        [MXB_PATTERN_AUTO_REPLY_SUBJECT] = auto_reply_subject,
        [MXB_PATTERN_DELAY_SUBJECT] = delay_subject,
        [MXB_PATTERN_CHALLENGE] = challenge_words,
        [MXB_PATTERN_CHALLENGE_SIGNED] = challenge_signed,
        [MXB_PATTERN_QUEUE_RETRYING] = queue_retrying,
        [MXB_PATTERN_FAILURE] = failure_words,
        [MXB_PATTERN_SUCCESS] = success_words,
        [MXB_PATTERN_NOT_SUCCESS] = not_success_words,
        [MXB_PATTERN_SUCCESS_SUBJECT] = success_subject,
        [MXB_PATTERN_FAILURE_PREFIX] = failure_prefix,
        [MXB_PATTERN_QUARANTINE_SUBJECT] = quarantine_subject,
        [MXB_PATTERN_LIST_REFUSAL] = list_refusal_words,
        [MXB_PATTERN_LIST_HELD] = list_held_words,
    };

    g_assert((unsigned)p < MXB_PATTERN_COUNT);
    return text[p];
}

/* subject_is - a case-insensitive search of the subject (the patterns are
 * compiled with the rules, rules.c) */
static gboolean subject_is(const char *subject, mxb_pattern p)
{
    return subject != NULL && mxb_pattern_match(p, subject);
}

/* past_tag - past the tag that a filter or gateway put at p, before a
 * subject's words ("[EXTERNAL] ", "(EXTERNAL) ", "[SPAM] ", "***SPAM*** ",
 * "*EXTERNAL* ", "{Spam?} ", "【外部】") and the blanks after it; NULL when
 * p holds none */
static const char *past_tag(const char *p)
{
    static const struct {
        const char *open, *close;
    } tags[] = {{"[", "]"}, {"(", ")"}, {"{", "}"}, {"*", "*"}, {"\xe3\x80\x90", "\xe3\x80\x91"}};

    while (*p == ' ' || *p == '\t')
        p++;
    for (size_t i = 0; i < G_N_ELEMENTS(tags); i++) {
        size_t on = strlen(tags[i].open), cn = strlen(tags[i].close);
        if (strncmp(p, tags[i].open, on) != 0)
            continue;
        const char *from = p + on;
        while (*tags[i].open == '*' && *from == '*')
            from++;
        const char *c = strstr(from, tags[i].close);
        if (c == NULL || c == from || c - p > SUBJECT_TAG_MAX)
            continue;
        c += cn;
        while (*tags[i].close == '*' && *c == '*')
            c++;
        while (*c == ' ' || *c == '\t')
            c++;
        return *c != '\0' ? c : NULL;
    }
    return NULL;
}

/* subject_says - the subject matches the pattern, as it is or without
 * the first tags put before it (SUBJECT_TAGS_MAX at most) */
static gboolean subject_says(const char *subject, mxb_pattern p)
{
    const char *s = subject;

    for (int n = 0; s != NULL && n <= SUBJECT_TAGS_MAX; n++) {
        if (subject_is(s, p))
            return TRUE;
        s = past_tag(s);
    }
    return FALSE;
}

/* The text a message's body holds, decoded once however many of the
 * questions below ask it (body_says) */
typedef struct body {
    GMimeMessage *msg;
    gboolean read;
    char *text; /* the first text part's first 8 KB, or NULL */
    char *own;  /* the same without lines that quote a header field */
} body;

static void body_clear(body *b)
{
    g_clear_pointer(&b->text, g_free);
    g_clear_pointer(&b->own, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(body, body_clear)

/* body_own - the body's text without the lines that quote a header
 * field, read once (with the text itself: the first text part's first 8
 * KB; in a multipart body, its first text/plain part that is no
 * attachment); NULL when there is none */
static const char *body_own(body *b)
{
    if (!b->read) {
        b->read = TRUE;
        GMimeObject *part = g_mime_message_get_body(b->msg); /* borrowed */
        /* multipart/alternative or mixed: its first text/plain part, not
         * below a returned message (a few levels down at most) */
        for (int depth = 0; depth < 4 && part != NULL && GMIME_IS_MULTIPART(part); depth++) {
            GMimeMultipart *mp = GMIME_MULTIPART(part);
            GMimeObject *next = NULL;
            for (int i = 0; next == NULL && i < g_mime_multipart_get_count(mp); i++) {
                GMimeObject *c = g_mime_multipart_get_part(mp, i); /* borrowed */
                GMimeContentType *ct = g_mime_object_get_content_type(c);
                const char *disp = g_mime_object_get_disposition(c);
                if (GMIME_IS_MULTIPART(c) ||
                    (GMIME_IS_TEXT_PART(c) && ct &&
                     g_mime_content_type_is_type(ct, "text", "plain") &&
                     (disp == NULL || g_ascii_strcasecmp(disp, "attachment") != 0)))
                    next = c;
            }
            part = next;
        }
        if (part != NULL && GMIME_IS_TEXT_PART(part))
            b->text = mxb_part_text(part, 8192, NULL);
        /* the notice's own words: not a quoted "Subject: Why I was unable
         * ..." nor "Subject: Your payment will be reattempted" */
        if (b->text != NULL)
            b->own = mxb_without_field_lines(b->text);
    }
    return b->own;
}

/* body_says - the body's text matches the pattern (a character the 8 KB
 * cut in two is made valid by mxb_pattern_match); the refusal and queue
 * words not in lines that quote a header field */
static gboolean body_says(body *b, mxb_pattern p)
{
    if (body_own(b) == NULL || b->text == NULL)
        return FALSE;
    if (p == MXB_PATTERN_NOT_SUCCESS || p == MXB_PATTERN_QUEUE_RETRYING)
        return subject_is(b->own, p);
    return subject_is(b->text, p);
}

/* names_failure - MDaemon's notice of a failure: "Warning:", an address,
 * " - " and failure words ("Warning: a@b - User unknown!"); only that
 * shape: a delay warning's subject may quote the returned message's
 * ("Delivery Delayed: Invalid address on your order") */
static gboolean names_failure(const char *subject)
{
    const char *p = subject;

    while (g_ascii_isspace(*p))
        p++;
    if (g_ascii_strncasecmp(p, "warning:", 8) != 0)
        return FALSE;
    const char *at = strchr(p, '@'), *dash = strstr(p, " - ");
    return at != NULL && dash != NULL && at < dash && subject_is(dash + 3, MXB_PATTERN_FAILURE);
}

/* mxb_subject_says_delay - the subject of a delay warning, but not
 * MDaemon's notice of a failure (names_failure) nor one that opens with a
 * failure, whose delay words quote the returned message's subject
 * ("Undeliverable: Flight delay compensation"; Sendmail's "Returned mail:
 * warning: ..." is a warning) */
gboolean mxb_subject_says_delay(const char *subject)
{
    if (!subject_says(subject, MXB_PATTERN_DELAY_SUBJECT) ||
        subject_says(subject, MXB_PATTERN_FAILURE_PREFIX))
        return FALSE;
    /* MDaemon's failure, under the tags before it too */
    const char *s = subject;
    for (int n = 0; s != NULL && n <= SUBJECT_TAGS_MAX; n++, s = past_tag(s))
        if (names_failure(s))
            return FALSE;
    return TRUE;
}

/* success_notice - a notice without a status part that the message went
 * through: the recipients it names (found as a report's are) delivered,
 * unless the words under one say it failed, or one line naming nobody */
static void success_notice(mxb_report *rep, const mxb_limits *lim, GMimeMessage *msg, guint first)
{
    mxb_text_bounce(rep, lim, msg, NULL, FALSE, FALSE);
    if (rep->results->len == first)
        mxb_result_add(rep, lim, MXB_KIND_DELIVERED);
    gboolean failed_group = FALSE; /* after a heading of failed addresses */
    for (guint i = first; i < rep->results->len; i++) {
        mxb_result *r = g_ptr_array_index(rep->results, i);
        if (failed_group)
            continue;
        /* The words under an address contradict the notice (OpenSMTPD
         * 5.7 wrote "successfully delivered" over "a@b: Envelope
         * expired"): they decide. */
        /* (Not a heading that introduces the addresses after it: "Die
         * Zustellung an folgende Empfänger ist fehlgeschlagen:") */
        size_t dl = r->diagnostic ? strlen(r->diagnostic) : 0;
        gboolean heading = dl > 0 && r->diagnostic[dl - 1] == ':';
        gboolean says_failed =
            r->diagnostic != NULL && subject_is(r->diagnostic, MXB_PATTERN_NOT_SUCCESS);
        if (r->smtp_code >= 400 ||
            (r->diagnostic != NULL && mxb_classify_text(r->diagnostic) != MXB_REASON_NONE) ||
            (!heading && says_failed))
            continue;
        /* a heading of failures: the addresses under it failed */
        failed_group = heading && says_failed;
        r->kind = MXB_KIND_DELIVERED;
        g_free(r->action);
        r->action = g_strdup("delivered");
        g_free(r->status);
        r->status = g_strdup("2.0.0");
        g_clear_pointer(&r->field_status, g_free);
        mxb_classify(r);
    }
}

/* spamcop_report - SpamCop's report of a spam a user submitted ("[SpamCop
 * (192.0.2.1) id:123]..." from <id>@reports.spamcop.net; it masks the
 * recipients as "x"): a complaint of type abuse that names nobody; TRUE
 * when the message is one (whether or not the recipient limit left room
 * for its result) */
static gboolean spamcop_report(mxb_report *rep, const mxb_limits *lim)
{
    const char *at = rep->from ? strrchr(rep->from, '@') : NULL;
    const char *subject = rep->subject;

    if (at == NULL || subject == NULL)
        return FALSE;
    while (*subject == ' ' || *subject == '\t')
        subject++;
    /* a tag a filter put before it ("[SPAM] [SpamCop (...") */
    const char *t = subject;
    for (int n = 0;
         t != NULL && n <= SUBJECT_TAGS_MAX && g_ascii_strncasecmp(subject, "[spamcop (", 10) != 0;
         n++, t = past_tag(t))
        subject = t;
    if (g_ascii_strncasecmp(at, "@reports.spamcop.net", 20) != 0 ||
        (at[20] != '\0' && at[20] != '>' && at[20] != ' ') ||
        g_ascii_strncasecmp(subject, "[spamcop (", 10) != 0)
        return FALSE;
    mxb_result *r = mxb_result_add(rep, lim, MXB_KIND_COMPLAINT);
    if (r) {
        r->feedback_type = g_strdup("abuse");
        r->mta = g_strdup("spamcop");
    }
    return TRUE;
}

/* returned_part - a part of the message is a returned message or its
 * headers (message/rfc822, text/rfc822-headers, ...) */
static void returned_part(GMimeObject *parent, GMimeObject *part, gpointer found)
{
    (void)parent;
    if (mxb_is_returned_type(part))
        *(gboolean *)found = TRUE;
}

/* returns_message - the message carries a returned message */
static gboolean returns_message(GMimeMessage *msg)
{
    gboolean found = FALSE;

    g_mime_message_foreach(msg, returned_part, &found);
    return found;
}

/* list_address - the list that a list's owner address serves
 * ("team-owner@", "team+owner@", "owner-team@"; Mailman sends its
 * refusals from "team-bounces@"), or NULL; newly allocated */
static char *list_address(const char *addr)
{
    static const char *const suffixes[] = {"-owner", "+owner", "-bounces"};
    const char *at = addr ? strrchr(addr, '@') : NULL;

    if (at == NULL || at == addr || at[1] == '\0')
        return NULL;
    size_t local = (size_t)(at - addr);
    for (size_t i = 0; i < G_N_ELEMENTS(suffixes); i++) {
        size_t n = strlen(suffixes[i]);
        if (local > n && g_ascii_strncasecmp(at - n, suffixes[i], n) == 0)
            return g_strdup_printf("%.*s%s", (int)(local - n), addr, at);
    }
    if (local > 6 && g_ascii_strncasecmp(addr, "owner-", 6) == 0)
        return g_strdup(addr + 6);
    return NULL;
}

/* list_post - the address of a List-Post header ("<mailto:team@...>"),
 * or NULL; newly allocated */
static char *list_post(GMimeMessage *msg)
{
    const char *v = g_mime_object_get_header(GMIME_OBJECT(msg), "List-Post");
    g_autofree char *low = v ? g_ascii_strdown(v, -1) : NULL;
    const char *mt = low ? strstr(low, "mailto:") : NULL;

    if (mt == NULL)
        return NULL;
    size_t n = strcspn(mt + 7, ">?, \t\r\n");
    g_autofree char *a = g_strndup(mt + 7, MIN(n, 254));
    const char *at = strrchr(a, '@');
    return at != NULL && at > a && at[1] != '\0' ? g_steal_pointer(&a) : NULL;
}

/* list_manager - the message comes from a list manager: a list's owner
 * address (the list is its address without the role), or a list
 * server's own mailbox ("listserv@", "majordomo@": the list is List-Post's
 * address, if any); *list is the list's address or NULL */
static gboolean list_manager(GMimeMessage *msg, const char *from_addr, char **list)
{
    static const char *const servers[] = {"listserv", "listserver", "majordomo", "ecartis",
                                          "lyris",    "mlmmj",      "sympa"};
    const char *at = from_addr ? strrchr(from_addr, '@') : NULL;

    *list = list_address(from_addr);
    if (*list != NULL)
        return TRUE;
    for (size_t i = 0; at != NULL && i < G_N_ELEMENTS(servers); i++)
        if ((size_t)(at - from_addr) == strlen(servers[i]) &&
            g_ascii_strncasecmp(from_addr, servers[i], strlen(servers[i])) == 0) {
            *list = list_post(msg);
            return TRUE;
        }
    return FALSE;
}

/*
 * list_refusal - a list manager's own refusal of a post (our message, sent
 * to a list address on a customer's list): "You are not allowed to post
 * to this mailing list, and your message has been automatically
 * rejected" (Mailman), "your message could not be delivered to the list"
 * (mlmmj), "served out" (LISTSERV), from the list manager (list_manager),
 * not a mail system's report, with no words that hold the post for its
 * moderator. A bounce of the list's address (NULL when nothing names it:
 * it suppresses nothing), status 5.7.2 (RFC 3463: "the sender is not
 * authorized to send a message to the intended mailing list"): the reason
 * of its words, else sender_rejected, and never hard (a list that refuses
 * a post is no dead address). The diagnostic is the paragraph that
 * refuses. TRUE when the message is one (whether or not the recipient
 * limit left room for its result).
 */
static gboolean list_refusal(mxb_report *rep, const mxb_limits *lim, GMimeMessage *msg, body *words)
{
    static GRegex *blanks, *paragraph; /* once per process */
    g_autofree char *list = NULL;

    if (!list_manager(msg, mxb_first_mailbox(g_mime_message_get_from(msg)), &list) ||
        body_own(words) == NULL)
        return FALSE;
    if (g_once_init_enter(&blanks)) {
        paragraph = g_regex_new("\\n[ \\t\\r]*\\n", G_REGEX_RAW, 0, NULL);
        /* ASCII blanks only: GRegex reads \\s by Unicode even on raw
         * bytes, and 0x85 and 0xA0 stand inside UTF-8 letters */
        GRegex *b = g_regex_new("[ \\t\\r\\n\\f\\v]+", G_REGEX_RAW, 0, NULL);
        g_assert(b != NULL && paragraph != NULL); /* ours */
        g_once_init_leave(&blanks, b);
    }
    /* the words as one line: a refusal wraps where it likes */
    g_autofree char *flat = g_regex_replace_literal(blanks, words->own, -1, 0, " ", 0, NULL);
    if (flat == NULL || !mxb_pattern_match(MXB_PATTERN_LIST_REFUSAL, flat) ||
        mxb_pattern_match(MXB_PATTERN_LIST_HELD, flat))
        return FALSE;
    mxb_result *r = mxb_result_add(rep, lim, MXB_KIND_BOUNCE);
    if (r == NULL)
        return TRUE;
    /* the paragraph that refuses, else the words whole */
    g_auto(GStrv) paras = g_regex_split(paragraph, words->own, 0);
    for (char **p = paras; p && *p && r->diagnostic == NULL; p++) {
        g_autofree char *one = g_regex_replace_literal(blanks, *p, -1, 0, " ", 0, NULL);
        if (one != NULL && mxb_pattern_match(MXB_PATTERN_LIST_REFUSAL, one))
            r->diagnostic = mxb_text_clean(one, strlen(one), lim->max_diagnostic, NULL);
    }
    if (r->diagnostic == NULL)
        r->diagnostic = mxb_text_clean(flat, strlen(flat), lim->max_diagnostic, NULL);
    r->recipient = mxb_clean_field(rep, list, lim->max_field);
    r->action = g_strdup("failed");
    r->status = g_strdup("5.7.2");
    r->mta = g_strdup("list");
    mxb_classify(r);
    if (r->klass == MXB_CLASS_HARD) {
        r->reason = MXB_REASON_SENDER_REJECTED;
        r->klass = MXB_CLASS_BLOCK;
    }
    return TRUE;
}

/* exchange_system_mailbox - the From is Exchange's system mailbox
 * ("MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@...": the name and
 * 32 hexadecimal digits, the address itself, not a display name) */
static gboolean exchange_system_mailbox(GMimeMessage *msg)
{
    static const char name[] = "microsoftexchange";
    const char *a = mxb_first_mailbox(g_mime_message_get_from(msg));
    size_t n = strlen(name), i;

    if (a == NULL || g_ascii_strncasecmp(a, name, n) != 0)
        return FALSE;
    for (i = 0; i < 32 && g_ascii_isxdigit(a[n + i]); i++)
        ;
    return i == 32 && a[n + i] == '@';
}

/* mxb_nonstandard - classify a message without a status part */
void mxb_nonstandard(mxb_report *rep, const mxb_limits *lim, GMimeMessage *msg,
                     gboolean null_sender)
{
    GMimeObject *m = GMIME_OBJECT(msg);
    const char *failed = g_mime_object_get_header(m, "X-Failed-Recipients");
    /* Exchange marks its own non-delivery reports, whatever system
     * mailbox sends them ("MicrosoftExchange329e71...@"): a report. */
    gboolean ndr_mark = g_mime_object_get_header(m, "X-MS-Exchange-Message-Is-Ndr") != NULL;
    int mark = from_daemon(rep->from);
    gboolean daemon = ndr_mark || mark > 0;
    gboolean only_daemons = ndr_mark || mark == 2; /* a name no one else uses */
    gboolean reply = subject_says(rep->subject, MXB_PATTERN_REPLY_PREFIX);
    gboolean bounce_subj = !reply && subject_says(rep->subject, MXB_PATTERN_BOUNCE_SUBJECT);
    g_auto(body) words = {.msg = msg};
    mxb_result *r;

    /* Exchange's journal report: a copy of a message for an archive */
    if (g_mime_object_get_header(m, "X-MS-Journal-Report") != NULL) {
        mxb_result_add(rep, lim, MXB_KIND_NOT_BOUNCE);
        return;
    }
    if (mxb_ses_notification(rep, lim, msg) || list_notice(rep, lim, msg) ||
        spamcop_report(rep, lim))
        return;
    /* a list manager's refusal: not a mail system's report */
    if (failed == NULL && !daemon && !is_auto_reply(m) && list_refusal(rep, lim, msg, &words))
        return;
    if (failed == NULL && subject_says(rep->subject, MXB_PATTERN_AUTO_REPLY_SUBJECT)) {
        from_result(rep, lim, msg, MXB_KIND_AUTO_REPLY);
        return;
    }
    /* A filter's digest of its quarantine, or a message it released: the
     * addresses it lists are senders of held mail, not failed recipients */
    if (failed == NULL && !ndr_mark && mark != 2 &&
        !subject_says(rep->subject, MXB_PATTERN_FAILURE_PREFIX) &&
        subject_says(rep->subject, MXB_PATTERN_QUARANTINE_SUBJECT)) {
        mxb_result_add(rep, lim, MXB_KIND_NOT_BOUNCE);
        return;
    }
    /* Exchange's receipt from its system mailbox, with no mark of a report:
     * each recipient's own words say whether it failed (success_notice) */
    if (failed == NULL && exchange_system_mailbox(msg) &&
        subject_says(rep->subject, MXB_PATTERN_SUCCESS_SUBJECT) &&
        body_says(&words, MXB_PATTERN_SUCCESS)) {
        success_notice(rep, lim, msg, rep->results->len);
        return;
    }
    if (failed != NULL || daemon || bounce_subj) {
        gboolean delayed =
            (daemon || bounce_subj) && failed == NULL && mxb_subject_says_delay(rep->subject);
        guint first = rep->results->len;
        if (failed == NULL &&
            (!bounce_subj || subject_says(rep->subject, MXB_PATTERN_SUCCESS_SUBJECT)) &&
            body_says(&words, MXB_PATTERN_SUCCESS) && !body_says(&words, MXB_PATTERN_NOT_SUCCESS)) {
            success_notice(rep, lim, msg, first);
            return;
        }
        if (mxb_text_bounce(rep, lim, msg, failed, delayed, FALSE)) {
            spam_filter_mark(rep, m, first);
            /* Only the subject spoke of a failure, and a sender wrote it
             * (not the null sender, not a mail system): a person writing
             * about mail that did not arrive, unless the text carries a
             * server's verdict (a reply code, a status, a known reason)
             * or a queue's words that it goes on trying. */
            if (failed != NULL || daemon || null_sender || has_verdict(rep, first) ||
                body_says(&words, MXB_PATTERN_QUEUE_RETRYING))
                return;
            g_ptr_array_set_size(rep->results, first);
        }
        if (failed == NULL && !bounce_subj && is_auto_reply(m) && !ndr_mark &&
            !subject_says(rep->subject, MXB_PATTERN_NOT_SUCCESS) &&
            !body_says(&words, MXB_PATTERN_FAILURE) &&
            !body_says(&words, MXB_PATTERN_NOT_SUCCESS)) {
            /* A mail system's address (Office 365 answers out of office
             * from postmaster) under a subject in a language not known
             * above, an RFC 3834 mark and no word of a failure, a
             * refusal or a reply code in subject or text: an automatic
             * reply. A report is "auto-replied" too (RFC 3834 5.1), but
             * says what failed. */
            from_result(rep, lim, msg, MXB_KIND_AUTO_REPLY);
            return;
        }
        if (failed != NULL ||
            (daemon && (only_daemons || null_sender || bounce_subj || delayed ||
                        returns_message(msg) || body_says(&words, MXB_PATTERN_FAILURE) ||
                        body_says(&words, MXB_PATTERN_NOT_SUCCESS) ||
                        body_says(&words, MXB_PATTERN_QUEUE_RETRYING)))) {
            /* A mail system's report that names nobody we can find; a
             * delay when its subject or its queue's words say so. Not
             * postmaster@ alone, with no word of a failure nor a returned
             * message: a DMARC report from postmaster@, mail an
             * application sends through a relay's postmaster@ login. */
            gboolean waits =
                failed == NULL && (body_says(&words, MXB_PATTERN_QUEUE_RETRYING) ||
                                   (delayed && !body_says(&words, MXB_PATTERN_FAILURE)));
            r = mxb_result_add(rep, lim, waits ? MXB_KIND_DELAYED : MXB_KIND_BOUNCE);
            if (r) {
                mxb_text_verdict(rep, lim, msg, r);
                mxb_classify(r);
            }
            return;
        }
    }
    /* A challenge is an automatic reply of a kind: the person behind it
     * sees the message only after the sender answers. The recipient is the
     * protected address, the challenge's From. */
    if (subject_says(rep->subject, MXB_PATTERN_CHALLENGE) ||
        ((is_auto_reply(m) || is_auto_generated(m) || null_sender) &&
         body_says(&words, MXB_PATTERN_CHALLENGE)) ||
        body_says(&words, MXB_PATTERN_CHALLENGE_SIGNED)) {
        from_result(rep, lim, msg, MXB_KIND_CHALLENGE);
        return;
    }
    /* The null sender marks mail a system sent; with failure words in its
     * text it is a report: before RFC 3834's mark only from Exchange's
     * system mailbox ("MicrosoftExchange329e71...@", whose reports carry
     * "auto-replied" in languages whose subjects are not known above;
     * under a sender of its own, a copy of one with a report's subject);
     * a vacation reply under the null sender may say "not delivered" of
     * someone else's mail. */
    gboolean exchange_system = exchange_system_mailbox(msg);
    if (((exchange_system && (null_sender || bounce_subj)) || (null_sender && !is_auto_reply(m))) &&
        body_says(&words, MXB_PATTERN_FAILURE) &&
        mxb_text_bounce(rep, lim, msg, NULL, FALSE, FALSE))
        return;
    if (is_auto_reply(m)) {
        from_result(rep, lim, msg, MXB_KIND_AUTO_REPLY);
        return;
    }
    if (is_auto_generated(m) || (null_sender && is_bulk(m))) {
        from_result(rep, lim, msg, MXB_KIND_AUTO_REPLY);
        return;
    }
    mxb_result_add(rep, lim, MXB_KIND_NOT_BOUNCE);
}
