/*
 * json.c - JSON with json-c (mxb/json.h)
 */
#include <limits.h>
#include <string.h>

#include <mxb/json.h>

G_DEFINE_QUARK(mxb - json - error - quark, mxb_json_error)

/* mxb_json_member - see mxb/json.h */
json_object *mxb_json_member(json_object *o, const char *name, json_type type)
{
    json_object *v = NULL;

    if (o == NULL || !json_object_object_get_ex(o, name, &v) || !json_object_is_type(v, type))
        return NULL;
    return v;
}

/* mxb_json_length - see mxb/json.h */
size_t mxb_json_length(json_object *a)
{
    return json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

/* mxb_json_element - see mxb/json.h */
json_object *mxb_json_element(json_object *a, size_t i, json_type type)
{
    json_object *v = i < mxb_json_length(a) ? json_object_array_get_idx(a, i) : NULL;

    return json_object_is_type(v, type) ? v : NULL;
}

/* mxb_json_parse - see mxb/json.h */
json_object *mxb_json_parse(const char *text, gssize len, int depth, GError **err)
{
    size_t n = len < 0 ? strlen(text) : (size_t)len;

    if (n > INT_MAX) {
        g_set_error(err, MXB_JSON_ERROR, MXB_JSON_ERROR_INVALID, "JSON text too long");
        return NULL;
    }
    g_autoptr(json_tokener) tok = json_tokener_new_ex(depth);
    if (tok == NULL)
        g_error("json_tokener_new_ex: out of memory");
    g_autoptr(json_object) o = json_tokener_parse_ex(tok, text, (int)n);
    enum json_tokener_error e = json_tokener_get_error(tok);
    if (e != json_tokener_success) {
        /* continue: the text ended inside the JSON */
        g_set_error(err, MXB_JSON_ERROR,
                    e == json_tokener_error_depth ? MXB_JSON_ERROR_DEPTH : MXB_JSON_ERROR_INVALID,
                    "JSON: %s at byte %zu",
                    e == json_tokener_continue ? "unexpected end of data"
                                               : json_tokener_error_desc(e),
                    json_tokener_get_parse_end(tok));
        return NULL;
    }
    for (size_t i = json_tokener_get_parse_end(tok); i < n; i++) {
        if (!g_ascii_isspace(text[i])) {
            g_set_error(err, MXB_JSON_ERROR, MXB_JSON_ERROR_INVALID, "JSON: more after byte %zu",
                        i);
            return NULL;
        }
    }
    if (o == NULL || !json_object_is_type(o, json_type_object)) {
        g_set_error(err, MXB_JSON_ERROR, MXB_JSON_ERROR_INVALID, "JSON: not an object");
        return NULL;
    }
    return g_steal_pointer(&o);
}

/* mxb_json_string - see mxb/json.h */
char *mxb_json_string(json_object *o)
{
    const char *s =
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

    if (s == NULL) /* json-c could not allocate */
        g_error("json_object_to_json_string_ext: out of memory");
    return g_strdup(s);
}
