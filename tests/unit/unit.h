/*
 * unit.h - helpers shared by the cmocka unit tests
 *
 * DESCRIPTION
 *	The tests are tables of cases. Each case is checked with
 *	check_str() or check_int(), which print "label: what: got X, want Y"
 *	on a mismatch and return 1, so one run reports every failing case;
 *	the test then asserts that the failure count is zero.
 *
 *	Strings are printed quoted with control characters and bytes that
 *	are not printable ASCII or UTF-8 escaped as \xNN; NULL prints as NULL.
 */
#ifndef MXB_UNIT_H
#define MXB_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <glib.h>

/* unit_quote - printable form of s for messages; owned by the caller */
static inline char *unit_quote(const char *s)
{
    GString *out;

    if (s == NULL)
        return g_strdup("NULL");
    out = g_string_new("\"");
    for (const unsigned char *cp = (const unsigned char *)s; *cp; cp++) {
        if (*cp < 0x20 || *cp == 0x7f || *cp == '"' || *cp == '\\')
            g_string_append_printf(out, "\\x%02x", *cp);
        else
            g_string_append_c(out, (char)*cp);
    }
    g_string_append_c(out, '"');
    return g_string_free(out, FALSE);
}

/* check_str - 0 if equal (NULL equals only NULL), else print and 1 */
static inline int check_str(const char *label, const char *what, const char *got, const char *want)
{
    if (g_strcmp0(got, want) == 0)
        return 0;
    g_autofree char *g = unit_quote(got);
    g_autofree char *w = unit_quote(want);
    print_error("%s: %s: got %s, want %s\n", label, what, g, w);
    return 1;
}

/* check_int - 0 if equal, else print and 1 */
static inline int check_int(const char *label, const char *what, long long got, long long want)
{
    if (got == want)
        return 0;
    print_error("%s: %s: got %lld, want %lld\n", label, what, got, want);
    return 1;
}

/* unit_copy - an exact-size heap copy of len bytes with no NUL after it,
 * so that AddressSanitizer catches any read past len; owned by the caller */
static inline char *unit_copy(const char *p, size_t len)
{
    return g_memdup2(p, len == 0 ? 1 : len);
}

#endif
