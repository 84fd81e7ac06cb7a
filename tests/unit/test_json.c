/*
 * test_json.c - unit tests of mxbounce's JSON helpers (classify/json.c)
 *
 * DESCRIPTION
 *	mxb_json_parse() takes one object and nothing after it but white
 *	space, within len bytes, nested at most depth levels as json-c
 *	counts them (every value a level), and says which error it was;
 *	the member and element accessors return NULL for anything of
 *	another type; mxb_json_string() writes what mxbounce classify
 *	--json and the database get: compact, "/" as it is, control
 *	characters escaped.
 */
#include <string.h>

#include <mxb/json.h>

#include "unit.h"

static void test_parse(void **state)
{
    static const char nul[] = "{}\0{}";
    static const struct {
        const char *label, *text;
        gssize len;
        int depth;
        int want; /* -1: parsed, else the MXB_JSON_ERROR code */
    } cases[] = {
        {"an object", "{\"a\":1}", -1, 8, -1},
        {"white space around", " \t{\"a\":1}\r\n ", -1, 8, -1},
        {"more after", "{\"a\":1} x", -1, 8, MXB_JSON_ERROR_INVALID},
        {"a second object", "{}{}", -1, 8, MXB_JSON_ERROR_INVALID},
        {"cut", "{\"a\":", -1, 8, MXB_JSON_ERROR_INVALID},
        {"empty", "", -1, 8, MXB_JSON_ERROR_INVALID},
        {"an array", "[1]", -1, 8, MXB_JSON_ERROR_INVALID},
        {"null", "null", -1, 8, MXB_JSON_ERROR_INVALID},
        {"a string", "\"x\"", -1, 8, MXB_JSON_ERROR_INVALID},
        {"not JSON", "{a b}", -1, 8, MXB_JSON_ERROR_INVALID},
        {"len ends the text", "{\"a\":1}garbage", 7, 8, -1},
        {"len cuts the object", "{\"a\":1}", 6, 8, MXB_JSON_ERROR_INVALID},
        {"a NUL, then more", nul, sizeof nul - 1, 8, MXB_JSON_ERROR_INVALID},
        /* levels: the object, each array, and a value inside the last */
        {"3 levels, depth 3", "{\"a\":[[]]}", -1, 3, -1},
        {"3 levels, depth 2", "{\"a\":[[]]}", -1, 2, MXB_JSON_ERROR_DEPTH},
        {"a value is a level", "{\"a\":[1]}", -1, 2, MXB_JSON_ERROR_DEPTH},
        {"a value, depth 3", "{\"a\":[1]}", -1, 3, -1},
    };
    int failures = 0;

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) err = NULL;
        g_autoptr(json_object) o =
            mxb_json_parse(cases[i].text, cases[i].len, cases[i].depth, &err);
        failures += check_int(cases[i].label, "parsed", o != NULL, cases[i].want < 0);
        failures += check_int(cases[i].label, "error set", err != NULL, cases[i].want >= 0);
        if (err && cases[i].want >= 0) {
            failures += check_int(cases[i].label, "domain", err->domain == MXB_JSON_ERROR, 1);
            failures += check_int(cases[i].label, "code", err->code, cases[i].want);
        }
    }
    assert_int_equal(failures, 0);
}

/* test_parse_deep - half a million levels: refused at MXB_JSON_MAX_DEPTH,
 * without recursion */
static void test_parse_deep(void **state)
{
    GString *s = g_string_new("{\"a\":");

    (void)state;
    for (int i = 0; i < 500000; i++)
        g_string_append_c(s, '[');
    for (int i = 0; i < 500000; i++)
        g_string_append_c(s, ']');
    g_string_append_c(s, '}');
    g_autoptr(GError) err = NULL;
    json_object *o = mxb_json_parse(s->str, (gssize)s->len, MXB_JSON_MAX_DEPTH, &err);
    assert_null(o);
    assert_true(g_error_matches(err, MXB_JSON_ERROR, MXB_JSON_ERROR_DEPTH));
    g_string_free(s, TRUE);
}

static void test_members(void **state)
{
    g_autoptr(json_object) o = mxb_json_parse(
        "{\"s\":\"x\",\"n\":null,\"i\":3,\"o\":{},\"a\":[{\"k\":1},2]}", -1, 8, NULL);
    int failures = 0;

    (void)state;
    assert_non_null(o);
    failures += check_str("string", "value",
                          json_object_get_string(mxb_json_member(o, "s", json_type_string)), "x");
    failures +=
        check_int("string as int", "found", mxb_json_member(o, "s", json_type_int) != NULL, 0);
    failures += check_int("null", "found", mxb_json_member(o, "n", json_type_string) != NULL, 0);
    failures += check_int("missing", "found", mxb_json_member(o, "z", json_type_int) != NULL, 0);
    failures +=
        check_int("no object", "found", mxb_json_member(NULL, "s", json_type_string) != NULL, 0);
    failures +=
        check_int("int", "value", json_object_get_int(mxb_json_member(o, "i", json_type_int)), 3);
    json_object *a = mxb_json_member(o, "a", json_type_array);
    failures += check_int("array", "length", (long long)mxb_json_length(a), 2);
    failures += check_int("no array", "length", (long long)mxb_json_length(NULL), 0);
    failures += check_int("an object", "length",
                          (long long)mxb_json_length(mxb_json_member(o, "o", json_type_object)), 0);
    failures +=
        check_int("element 0", "object", mxb_json_element(a, 0, json_type_object) != NULL, 1);
    failures +=
        check_int("element 1", "object", mxb_json_element(a, 1, json_type_object) != NULL, 0);
    failures += check_int("element 1", "int", mxb_json_element(a, 1, json_type_int) != NULL, 1);
    failures += check_int("element 2", "any", mxb_json_element(a, 2, json_type_int) != NULL, 0);
    failures +=
        check_int("no array", "element", mxb_json_element(NULL, 0, json_type_int) != NULL, 0);
    assert_int_equal(failures, 0);
}

static void test_string(void **state)
{
    g_autoptr(json_object) o = json_object_new_object();

    (void)state;
    json_object_object_add(o, "s", json_object_new_string("a\"b\\c/d\ne\x01\x7f f \xc3\xa9"));
    json_object_object_add(o, "n", NULL);
    json_object_object_add(o, "i", json_object_new_int64(-5));
    json_object_object_add(o, "t", json_object_new_boolean(TRUE));
    g_autofree char *s = mxb_json_string(o);
    assert_int_equal(check_str("object", "text", s,
                               "{\"s\":\"a\\\"b\\\\c/d\\ne\\u0001\x7f f \xc3\xa9\",\"n\":null,"
                               "\"i\":-5,\"t\":true}"),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_deep),
        cmocka_unit_test(test_members),
        cmocka_unit_test(test_string),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
