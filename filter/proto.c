/*
 * proto.c - encode and decode the filter-to-daemon request (proto.h)
 */
#include <string.h>

#include "proto.h"

#define REQUEST_TYPE "(ayayayayaytay)"

/* bytestring - a string as "ay" without its NUL */
static GVariant *bytestring(const char *s)
{
    return g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, s ? s : "", s ? strlen(s) : 0, 1);
}

/* mxb_proto_encode - serialise one request */
GBytes *mxb_proto_encode(const char *const env[5], guint64 received, const guint8 *msg, size_t len)
{
    GVariant *v =
        g_variant_new("(@ay@ay@ay@ay@ayt@ay)", bytestring(env[0]), bytestring(env[1]),
                      bytestring(env[2]), bytestring(env[3]), bytestring(env[4]), received,
                      g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, msg, len, 1));
    GBytes *b;

    g_variant_ref_sink(v);
    b = g_variant_get_data_as_bytes(v);
    g_variant_unref(v);
    return b;
}

/* mxb_proto_decode - deserialise one request, untrusted */
gboolean mxb_proto_decode(GBytes *body, char *env[5], guint64 *received, const guint8 **msg,
                          size_t *len, GVariant **keep)
{
    GVariant *v = g_variant_new_from_bytes(G_VARIANT_TYPE(REQUEST_TYPE), body, FALSE);
    gsize n;

    g_variant_ref_sink(v);
    /* Not trusted: a malformed body reads as default values; insist on the
     * normal form so that nothing was silently repaired. */
    if (!g_variant_is_normal_form(v)) {
        g_variant_unref(v);
        return FALSE;
    }
    for (int i = 0; i < 5; i++) {
        GVariant *c = g_variant_get_child_value(v, (gsize)i);
        const char *p = g_variant_get_fixed_array(c, &n, 1);
        /* An empty array has no data pointer; a NUL inside cuts the string. */
        env[i] = g_strndup(p ? p : "", n);
        g_variant_unref(c);
    }
    GVariant *r = g_variant_get_child_value(v, 5);
    *received = g_variant_get_uint64(r);
    g_variant_unref(r);
    GVariant *m = g_variant_get_child_value(v, 6);
    *msg = g_variant_get_fixed_array(m, &n, 1);
    *len = n;
    g_variant_unref(m); /* the data stays alive in v */
    *keep = v;
    return TRUE;
}
