/*
 * rx.c - the text rules' regular expressions, through PCRE2 itself
 * (rx.h says why)
 */
#include <string.h>

#include "rx.h"

pcre2_code *mxb_rx_compile(const char *pattern, gboolean utf8)
{
    return mxb_rx_compile_with(pattern, utf8, 0);
}

pcre2_code *mxb_rx_compile_with(const char *pattern, gboolean utf8, uint32_t options)
{
    int err = 0;
    PCRE2_SIZE at = 0;
    pcre2_compile_context *cc = pcre2_compile_context_create(NULL);

    /* GRegex's defaults: any newline, \R for any Unicode line break, and
     * PCRE2_UCP even on bytes (GLib 2.74, regex_compile): a byte above
     * 0x7f is the Latin-1 character of that code for \b, \w and case,
     * so that the lead byte of a UTF-8 letter is a word character. But
     * on bytes, only CR and LF end a line: "any" would also take 0x85
     * (Latin-1's NEL), a continuation byte of many UTF-8 characters
     * (Chinese 入, Russian х, Polish ą), where '.' and '$' then stopped
     * ("IP已被列入黑名单" did not match "ip.{0,24}黑名单"). */
    pcre2_set_newline(cc, utf8 ? PCRE2_NEWLINE_ANY : PCRE2_NEWLINE_ANYCRLF);
    pcre2_set_bsr(cc, PCRE2_BSR_UNICODE);
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                      PCRE2_CASELESS | PCRE2_UCP | (utf8 ? PCRE2_UTF : 0) | options, &err, &at, cc);
    pcre2_compile_context_free(cc);
    if (re == NULL) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        g_error("rule pattern, offset %zu: %s: %s", (size_t)at, (const char *)msg, pattern);
    }
    return re;
}

/* class_end - the ']' that closes the character class opened at p */
static const char *class_end(const char *p)
{
    p++;
    if (*p == '^')
        p++;
    if (*p == ']') /* a literal ']' first */
        p++;
    for (; *p && *p != ']'; p++) {
        if (*p == '\\' && p[1])
            p++;
        else if (p[0] == '[' && p[1] == ':') { /* [:alpha:] */
            const char *e = strstr(p + 2, ":]");
            if (e != NULL)
                p = e + 1;
        }
    }
    return p;
}

/* group_refused - whether the group opened at p is one that splitting
 * could change: an option setting "(?i)", a comment, a subroutine call */
static gboolean group_refused(const char *p)
{
    if (p[1] != '?')
        return FALSE;
    const char *q = p + 2;
    if (*q == '#' || *q == 'R' || *q == '&' || g_ascii_isdigit(*q) ||
        ((*q == '+' || *q == '-') && g_ascii_isdigit(q[1])) ||
        (*q == 'P' && (q[1] == '=' || q[1] == '>')))
        return TRUE;
    while (g_ascii_isalpha(*q) || *q == '-' || *q == '^')
        q++;
    return *q == ')' && q > p + 2; /* "(?i)", not "(?i:" */
}

GPtrArray *mxb_rx_alternatives(const char *pattern)
{
    GPtrArray *alts = g_ptr_array_new_with_free_func(g_free);
    const char *start = pattern;
    int depth = 0;

    for (const char *p = pattern; *p; p++) {
        if (*p == '\\') {
            char c = p[1];
            if (c == 'Q' || c == 'g' || c == 'k' || (c >= '1' && c <= '9'))
                goto refused; /* quoting, backreferences */
            if (c)
                p++;
        } else if (*p == '[') {
            p = class_end(p);
            if (*p == '\0')
                break;
        } else if (*p == '(') {
            if (group_refused(p))
                goto refused;
            depth++;
        } else if (*p == ')') {
            depth--;
        } else if (*p == '|' && depth == 0) {
            g_ptr_array_add(alts, g_strndup(start, (gsize)(p - start)));
            start = p + 1;
        }
    }
    g_ptr_array_add(alts, g_strdup(start));
    return alts;

refused:
    g_ptr_array_unref(alts);
    return NULL;
}

GPtrArray *mxb_rx_pieces(const char *pattern, gboolean split)
{
    GPtrArray *alts = split ? mxb_rx_alternatives(pattern) : NULL;

    if (alts == NULL) {
        alts = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(alts, g_strdup(pattern));
    }
    return alts;
}

uint8_t *mxb_rx_encode(const char *pattern, gboolean split, gboolean utf8, size_t *size,
                       size_t *count)
{
    GPtrArray *alts = mxb_rx_pieces(pattern, split);
    size_t n = alts->len;
    const pcre2_code **codes = g_new0(const pcre2_code *, n);
    uint8_t *bytes = NULL;
    PCRE2_SIZE len = 0;

    /* a pattern kept whole is read, and may be read within a bound */
    for (size_t i = 0; i < n; i++)
        codes[i] = mxb_rx_compile_with(g_ptr_array_index(alts, i), utf8,
                                       split ? 0 : PCRE2_USE_OFFSET_LIMIT);
    int32_t rc = pcre2_serialize_encode(codes, (int32_t)n, &bytes, &len, NULL);
    for (size_t i = 0; i < n; i++)
        pcre2_code_free((pcre2_code *)codes[i]);
    g_free(codes);
    g_ptr_array_unref(alts);
    if (rc != (int32_t)n)
        g_error("pcre2_serialize_encode: %d", rc);
    *size = len;
    *count = n;
    return bytes;
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

static void match_data_free(gpointer md)
{
    pcre2_match_data_free(md);
}

/* One match data per thread, kept: PCRE2 keeps its backtracking frames
 * (20 KiB at first) in it, which a new one allocates again. They do not
 * grow with the text: no pattern repeats a group (test_rx checks), so a
 * match needs a few frames whatever it reads; PCRE2's heap limit (20 MB)
 * would stop one that did, as it stopped GRegex. */
static GPrivate match_data_key = G_PRIVATE_INIT(match_data_free);

static void match_context_free(gpointer mc)
{
    pcre2_match_context_free(mc);
}

static GPrivate match_context_key = G_PRIVATE_INIT(match_context_free);

gboolean mxb_rx_match(const pcre2_code *re, const char *text, size_t *start, size_t *end)
{
    return mxb_rx_match_within(re, text, PCRE2_UNSET, start, end);
}

gboolean mxb_rx_match_within(const pcre2_code *re, const char *text, size_t limit, size_t *start,
                             size_t *end)
{
    pcre2_match_data *md = g_private_get(&match_data_key);
    pcre2_match_context *mc = NULL;

    if (md == NULL) {
        /* One pair: the whole match. A pattern with groups still matches
         * (pcre2_match returns 0, the pair filled). */
        md = pcre2_match_data_create(1, NULL);
        g_private_set(&match_data_key, md);
    }
    if (limit != PCRE2_UNSET) {
        mc = g_private_get(&match_context_key);
        if (mc == NULL) {
            mc = pcre2_match_context_create(NULL);
            g_private_set(&match_context_key, mc);
        }
        pcre2_set_offset_limit(mc, limit);
    }
    int rc = pcre2_match(re, (PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED, 0, 0, md, mc);
    if (rc >= 0 && start != NULL && end != NULL) {
        const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        *start = ov[0];
        *end = ov[1];
    }
    return rc >= 0;
}
