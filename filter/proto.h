/*
 * proto.h - the request mxbounce-filter sends to mxbounced, and the reply
 *
 *	request: "MXB1 <remaining_ms> <length>\n" then <length> bytes, a
 *	         GVariant "(ayayayayayt ay)": queue id, sender, recipient,
 *	         original recipient, client address (each without NUL, empty
 *	         when absent), bytes received on stdin, the message (at most
 *	         max_message_size bytes).
 *	reply:   one line, "OK <text>\n" once the report is committed, or
 *	         "DEFER <x.y.z> <text>\n".
 *
 * Private to filter/. Strings travel as byte arrays: argv from Postfix is
 * not guaranteed to be UTF-8.
 */
#ifndef MXB_FILTER_PROTO_H
#define MXB_FILTER_PROTO_H

#include <glib.h>

#define MXB_PROTO_MAGIC "MXB1"
#define MXB_PROTO_HEADER_MAX 64         /* bytes of the request header line */
#define MXB_PROTO_FRAMING (64u * 1024u) /* GVariant overhead allowed beyond the message */
#define MXB_PROTO_REPLY_MAX 512         /* bytes of the reply line */

/* mxb_proto_encode - the request body; caller unrefs */
GBytes *mxb_proto_encode(const char *const env[5], guint64 received, const guint8 *msg, size_t len);

/* mxb_proto_decode - parse a request body; env[] strings are the caller's
 * (g_free), *msg points into *keep (unref it when done). FALSE if the body
 * is not a valid request. */
gboolean mxb_proto_decode(GBytes *body, char *env[5], guint64 *received, const guint8 **msg,
                          size_t *len, GVariant **keep);

#endif
