/*
 * rx.c - the text rules' regular expressions, through PCRE2 itself
 * (rx.h says why)
 */
#include "rx.h"

pcre2_code *mxb_rx_compile(const char *pattern)
{
    int err = 0;
    PCRE2_SIZE at = 0;
    pcre2_compile_context *cc = pcre2_compile_context_create(NULL);

    /* GRegex's defaults: any newline, \R for any Unicode line break */
    pcre2_set_newline(cc, PCRE2_NEWLINE_ANY);
    pcre2_set_bsr(cc, PCRE2_BSR_UNICODE);
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_CASELESS, &err, &at, cc);
    pcre2_compile_context_free(cc);
    if (re == NULL) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        g_error("rule pattern, offset %zu: %s: %s", (size_t)at, (const char *)msg, pattern);
    }
    return re;
}

pcre2_code **mxb_rx_decode(const unsigned char *blob, size_t size, size_t count)
{
    if (size == 0 || count == 0 || count > INT32_MAX ||
        pcre2_serialize_get_number_of_codes(blob) != (int32_t)count)
        return NULL;
    pcre2_code **codes = g_new0(pcre2_code *, count);
    if (pcre2_serialize_decode(codes, (int32_t)count, blob, NULL) != (int32_t)count) {
        for (size_t i = 0; i < count; i++)
            pcre2_code_free(codes[i]);
        g_free(codes);
        return NULL;
    }
    return codes;
}

gboolean mxb_rx_match(const pcre2_code *re, const char *text, size_t *start, size_t *end)
{
    /* One pair: the whole match. A pattern with groups still matches
     * (pcre2_match returns 0, the pair filled). */
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    int rc = pcre2_match(re, (PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL);

    if (rc >= 0 && start != NULL && end != NULL) {
        const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        *start = ov[0];
        *end = ov[1];
    }
    pcre2_match_data_free(md);
    return rc >= 0;
}
