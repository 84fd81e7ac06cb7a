/*
 * fuzz_report - the whole parse: MIME, the report formats, classification
 *
 * The input is a returned message as the filter gets it. Every result
 * must come back with its invariants (a known kind, a class that fits
 * the reason, a delay with a reason and no class, text fields within
 * their limits); a violation aborts, and the fuzzer reports it as a
 * crash.
 */
#include <stdlib.h>
#include <string.h>

#include <mxb/classify.h>

#include "fuzz.h"

/* temporary - a 4.x.x status, or a 4xx reply under a status that says
 * nothing more (none or c.0.0, as Exim writes 5.0.0 over a retry
 * timeout's 450) */
static int temporary(const mxb_result *r)
{
    if (r->status != NULL && r->status[0] == '4')
        return 1;
    int generic = r->status == NULL || r->status[0] == '\0' || strcmp(r->status + 1, ".0.0") == 0;
    return generic && r->smtp_code >= 400 && r->smtp_code < 500;
}

static void check(const mxb_report *rep, const mxb_limits *limits)
{
    if (rep->results == NULL || rep->results->len == 0)
        abort(); /* never empty after a parse */
    for (guint i = 0; i < rep->results->len; i++) {
        const mxb_result *r = g_ptr_array_index(rep->results, i);
        if (r->kind > MXB_KIND_UNPARSEABLE || r->reason >= MXB_REASON_COUNT ||
            mxb_kind_name(r->kind) == NULL)
            abort();
        if (r->kind == MXB_KIND_BOUNCE &&
            (r->reason == MXB_REASON_NONE || (mxb_reason_class(r->reason) != r->klass &&
                                              !(mxb_reason_class(r->reason) == MXB_CLASS_HARD &&
                                                r->klass == MXB_CLASS_SOFT && temporary(r)))))
            abort(); /* the class is the reason's, but "try again" is never hard */
        if (r->kind == MXB_KIND_DELAYED &&
            (r->reason == MXB_REASON_NONE || r->klass != MXB_CLASS_NONE))
            abort(); /* a delay has a reason and no class: it has not failed */
        if (r->kind != MXB_KIND_BOUNCE && r->kind != MXB_KIND_DELAYED &&
            (r->reason != MXB_REASON_NONE || r->klass != MXB_CLASS_NONE))
            abort(); /* the other kinds have neither */
        if (r->diagnostic != NULL && (strlen(r->diagnostic) > limits->max_diagnostic ||
                                      !g_utf8_validate(r->diagnostic, -1, NULL)))
            abort();
        if (r->recipient != NULL && !g_utf8_validate(r->recipient, -1, NULL))
            abort();
    }
    if (rep->results->len > limits->max_recipients)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mxb_limits limits;
    mxb_report *rep = NULL;

    mxb_limits_default(&limits);
    if (mxb_report_parse(&rep, (const char *)data, size, &limits) != 0 || rep == NULL)
        abort(); /* every input gets a report, if only "unparseable" */
    check(rep, &limits);
    mxb_report_free(rep);
    return 0;
}
