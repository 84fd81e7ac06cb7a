/*
 * fuzz_dsn - the pieces that read text the remote server wrote: the
 * delivery-status field parser, status codes and SMTP replies found in
 * free text, the text cleaner, and the diagnostic-text rules.
 */
#include <stdlib.h>
#include <string.h>

#include <mxb/classify.h>

#include "fuzz.h"

#define FUZZ_MAX_FIELD 200 /* small, so that cutting is exercised */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    gboolean cut = FALSE;

    /* The field parser takes a length: no terminating NUL is read. */
    GPtrArray *blocks = mxb_dsn_parse_blocks(p, size, FUZZ_MAX_FIELD, &cut);
    for (guint i = 0; i < blocks->len; i++) {
        const mxb_dsn_block *b = g_ptr_array_index(blocks, i);
        for (guint k = 0; k < b->fields->len; k++) {
            const mxb_dsn_field *f = g_ptr_array_index(b->fields, k);
            if (strlen(f->value) > FUZZ_MAX_FIELD)
                abort();
            g_free(mxb_dsn_strip_comments(f->value));
            g_free(mxb_dsn_address(f->value));
        }
        (void)mxb_dsn_block_get(b, "Status");
    }
    g_ptr_array_unref(blocks);

    /* The rest take C strings. */
    g_autofree char *s = g_strndup(p, size);
    char status[12];
    (void)mxb_status_parse(s, status);
    (void)mxb_status_find(s, status);
    (void)mxb_status_find_best(s, status);
    (void)mxb_smtp_code_find(s);
    (void)mxb_smtp_failure_code_find(s);
    g_autofree char *clean = mxb_text_clean(p, size, FUZZ_MAX_FIELD, &cut);
    if (clean != NULL && (!g_utf8_validate(clean, -1, NULL) || strlen(clean) > FUZZ_MAX_FIELD))
        abort();
    if (clean != NULL && strpbrk(clean, "\r\n\t") != NULL)
        abort(); /* one line, whatever came in */
    if (mxb_classify_text(s) >= MXB_REASON_COUNT)
        abort();
    return 0;
}
