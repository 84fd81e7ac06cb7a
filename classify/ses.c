/*
 * ses.c - Amazon SES notifications delivered by email
 *
 * DESCRIPTION
 *	A platform that also sends through Amazon SES may have SES's bounce,
 *	complaint and delivery notifications mailed to it, through Amazon SNS
 *	(an envelope with "Type": "Notification" whose "Message" is the
 *	notification as a JSON string) or directly. The notification is JSON
 *	in a text/plain body (AWS documents the fields as "Amazon SES
 *	notification contents"):
 *
 *	  notificationType Bounce:    bounce.bouncedRecipients[] with
 *	                              emailAddress, action, status,
 *	                              diagnosticCode; bounce.bounceType
 *	                              Permanent or Transient; reportingMTA
 *	  notificationType Complaint: complaint.complainedRecipients[] with
 *	                              emailAddress; complaintFeedbackType
 *	  notificationType Delivery:  delivery.recipients[]; smtpResponse
 *
 *	Parsed with json-c, at most max_status_part bytes of text and
 *	MXB_JSON_MAX_DEPTH levels of nesting. SNS mail wraps long lines
 *	("\n " inside a JSON string): they are joined before parsing.
 */
#include <string.h>

#include <mxb/json.h>

#include "internal.h"

/* member_string - a string member of an object, or NULL */
static const char *member_string(json_object *o, const char *name)
{
    return json_object_get_string(mxb_json_member(o, name, json_type_string));
}

/* parse_object - a notification or SNS envelope, or NULL (noted when it
 * is nested too deep) */
static json_object *parse_object(mxb_report *rep, const char *text, gssize len)
{
    g_autoptr(GError) err = NULL;
    json_object *o = mxb_json_parse(text, len, MXB_JSON_MAX_DEPTH, &err);

    if (g_error_matches(err, MXB_JSON_ERROR, MXB_JSON_ERROR_DEPTH))
        mxb_report_note(rep, 0, "JSON nested too deep");
    return o;
}

/* after_type - "dsn; host" -> "host" */
static const char *after_type(const char *v)
{
    const char *semi = v ? strchr(v, ';') : NULL;

    if (semi == NULL)
        return v;
    for (semi++; *semi == ' '; semi++)
        ;
    return semi;
}

/* add_recipients - one result per element of a recipients array */
static void add_recipients(mxb_report *rep, const mxb_limits *lim, json_object *list,
                           json_object *event, const char *type)
{
    gboolean bounce = strcmp(type, "Bounce") == 0, complaint = strcmp(type, "Complaint") == 0;
    size_t n = mxb_json_length(list);

    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(list, i);
        json_object *o = json_object_is_type(e, json_type_object) ? e : NULL;
        const char *addr =
            o ? member_string(o, "emailAddress")
              : (json_object_is_type(e, json_type_string) ? json_object_get_string(e) : NULL);
        mxb_result *r = mxb_result_add(rep, lim,
                                       bounce      ? MXB_KIND_BOUNCE
                                       : complaint ? MXB_KIND_COMPLAINT
                                                   : MXB_KIND_DELIVERED);
        if (r == NULL)
            return;
        r->recipient = mxb_clean_field(rep, addr, lim->max_field);
        r->mta = g_strdup("amazonses");
        r->reporting_mta =
            mxb_clean_field(rep, after_type(member_string(event, "reportingMTA")), lim->max_field);
        if (complaint) {
            const char *ft = member_string(event, "complaintFeedbackType");
            g_autofree char *low = ft ? g_ascii_strdown(ft, -1) : NULL;
            r->feedback_type = mxb_clean_field(rep, low, 64);
            r->kind = mxb_feedback_kind(r->feedback_type); /* as an ARF report's */
            continue;
        }
        char code[12];
        if (!bounce) {
            r->action = g_strdup("delivered");
            r->diagnostic =
                mxb_clean_field(rep, member_string(event, "smtpResponse"), lim->max_diagnostic);
            r->smtp_code = mxb_smtp_code_find(r->diagnostic);
            gboolean two =
                r->diagnostic && mxb_status_find_best(r->diagnostic, code) && code[0] == '2';
            r->status = g_strdup(two ? code : "2.0.0");
            continue;
        }
        const char *action = member_string(o, "action");
        gboolean transient = g_strcmp0(member_string(event, "bounceType"), "Transient") == 0;
        r->action = g_ascii_strdown(action ? action : "failed", -1);
        r->diagnostic = mxb_clean_field(rep, after_type(member_string(o, "diagnosticCode")),
                                        lim->max_diagnostic);
        r->smtp_code = mxb_smtp_failure_code_find(r->diagnostic);
        const char *st = member_string(o, "status");
        if (st && mxb_status_find(st, code))
            r->status = g_strdup(code);
        else if (r->diagnostic && mxb_status_find_best(r->diagnostic, code))
            r->status = g_strdup(code);
        else
            r->status = g_strdup(transient ? "4.0.0" : "5.0.0");
        mxb_classify(r);
    }
}

/* mxb_ses_notification - TRUE when the message was an SES notification */
gboolean mxb_ses_notification(mxb_report *rep, const mxb_limits *lim, GMimeMessage *msg)
{
    GMimeObject *part = g_mime_message_get_body(msg); /* borrowed */

    if (part == NULL || !GMIME_IS_TEXT_PART(part))
        return FALSE;
    g_autofree char *text = mxb_part_text(part, lim->max_status_part, NULL);
    if (text == NULL || strstr(text, "notificationType") == NULL)
        return FALSE;

    /* The JSON, with SNS's line wrapping undone. */
    const char *start = strchr(text, '{'), *end = strrchr(text, '}');
    if (start == NULL || end == NULL || end < start)
        return FALSE;
    GString *json = g_string_sized_new((gsize)(end - start) + 2);
    for (const char *p = start; p <= end; p++) {
        if (p[0] == '\r')
            continue;
        if (p[0] == '\n' && p[1] == ' ') {
            p++; /* "\n " is a fold */
            continue;
        }
        g_string_append_c(json, *p);
    }

    g_autoptr(json_object) outer = parse_object(rep, json->str, (gssize)json->len);
    g_autoptr(json_object) inner = NULL;
    json_object *o = outer;
    g_string_free(json, TRUE);
    const char *message = member_string(o, "Message");
    if (o && member_string(o, "notificationType") == NULL && message)
        o = inner = parse_object(rep, message, -1); /* an SNS envelope */
    const char *type = member_string(o, "notificationType");
    if (type == NULL)
        type = member_string(o, "eventType");
    if (type == NULL)
        return FALSE;

    json_object *event = NULL, *list = NULL;
    if (strcmp(type, "Bounce") == 0) {
        event = mxb_json_member(o, "bounce", json_type_object);
        list = mxb_json_member(event, "bouncedRecipients", json_type_array);
    } else if (strcmp(type, "Complaint") == 0) {
        event = mxb_json_member(o, "complaint", json_type_object);
        list = mxb_json_member(event, "complainedRecipients", json_type_array);
    } else if (strcmp(type, "Delivery") == 0) {
        event = mxb_json_member(o, "delivery", json_type_object);
        list = mxb_json_member(event, "recipients", json_type_array);
    } else {
        return FALSE;
    }
    add_recipients(rep, lim, list, event, type);
    if (rep->results->len == 0)
        mxb_report_note(rep, 0, "SES notification without recipients");
    return rep->results->len > 0;
}
