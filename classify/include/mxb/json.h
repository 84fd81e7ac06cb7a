/*
 * mxb/json.h - JSON with json-c, as every mxbounce program uses it
 *
 * SYNOPSIS
 *	#include <mxb/json.h>
 *
 *	json_object *mxb_json_member(json_object *o, const char *name,
 *				     json_type type);
 *	size_t mxb_json_length(json_object *a);
 *	json_object *mxb_json_element(json_object *a, size_t i,
 *				      json_type type);
 *	json_object *mxb_json_parse(const char *text, gssize len, int depth,
 *				    GError **err);
 *	char *mxb_json_string(json_object *o);
 *
 * DESCRIPTION
 *	mxbounce reads and writes JSON with json-c. json-glib, GLib's own,
 *	is not used: its shared object needs GIO, and GIO brings libmount,
 *	libblkid, libselinux and libgmodule into every process, about 1 ms
 *	of each start (docs/accuracy-and-speed.md); Debian ships no static
 *	json-glib.
 *
 *	mxb_json_member() is o's member name when it is of the given type,
 *	else NULL; o may be NULL. A member that is JSON null is NULL, as
 *	json-c has it. mxb_json_length() is the length of an array, 0 for
 *	NULL or anything else; mxb_json_element() its element i when it is
 *	of the given type, else NULL.
 *
 *	mxb_json_parse() parses len bytes of text (-1: up to its NUL) that
 *	must hold one JSON object and nothing else but white space, nested
 *	at most depth levels (json-c counts every value: "[[]]" is 2 levels,
 *	"[[1]]" 3). It returns the object, owned by the caller
 *	(json_object_put, or g_autoptr(json_object)), or NULL and *err set
 *	in MXB_JSON_ERROR: MXB_JSON_ERROR_DEPTH when nested deeper,
 *	MXB_JSON_ERROR_INVALID otherwise (json-c's words). json-c's parser
 *	keeps its own stack of depth entries: no input recurses.
 *
 *	mxb_json_string() is o written compactly, with "/" as it is, in
 *	g_malloc'd memory; o is not freed.
 */
#ifndef MXB_JSON_H
#define MXB_JSON_H

#include <glib.h>
#include <json-c/json.h>

/* The deepest JSON any mxbounce program parses, as json-c counts it (an
 * SES notification is 6 deep; the database's answers 4). Deeper text is
 * not parsed: an SES notification is then read as if it were not one, an
 * answer of the database is an error. */
#define MXB_JSON_MAX_DEPTH 64

G_DEFINE_AUTOPTR_CLEANUP_FUNC(json_object, json_object_put)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(json_tokener, json_tokener_free)

#define MXB_JSON_ERROR (mxb_json_error_quark())
typedef enum {
    MXB_JSON_ERROR_INVALID, /* not JSON, not an object, or more after it */
    MXB_JSON_ERROR_DEPTH,   /* nested deeper than allowed */
} mxb_json_error;
GQuark mxb_json_error_quark(void);

json_object *mxb_json_member(json_object *o, const char *name, json_type type);
size_t mxb_json_length(json_object *a);
json_object *mxb_json_element(json_object *a, size_t i, json_type type);
json_object *mxb_json_parse(const char *text, gssize len, int depth, GError **err);
char *mxb_json_string(json_object *o);

#endif
