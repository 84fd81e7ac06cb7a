/*
 * proto.h - the request mxbounce-filter sends to mxbounced, and the reply
 *
 *	request: one connection per message; the filter sends
 *	         "MXB2 <start_us> <length>\n" then <length> bytes: the five
 *	         envelope fields (queue id, sender, recipient, original
 *	         recipient, client address), each ended by a NUL byte and
 *	         empty when absent. The filter's standard input (the message,
 *	         a pipe from Postfix) travels with the first bytes as
 *	         SCM_RIGHTS: mxbounced reads the message from it, so the
 *	         filter never copies it. <start_us> is the filter's start on
 *	         CLOCK_MONOTONIC (one clock for the whole system): the daemon
 *	         measures the deadline from it.
 *	reply:   one line, "OK <text>\n" once the report is committed, or
 *	         "DEFER <x.y.z> <text>\n".
 *
 * Private to filter/. Plain C: mxbounce-filter links nothing but the C
 * library.
 */
#ifndef MXB_FILTER_PROTO_H
#define MXB_FILTER_PROTO_H

#define MXB_PROTO_MAGIC "MXB2"
#define MXB_PROTO_FIELDS 5       /* envelope fields in a request */
#define MXB_PROTO_FIELD_MAX 2048 /* bytes of one field; the filter cuts longer ones */
#define MXB_PROTO_HEADER_MAX 64  /* bytes of the request header line */
#define MXB_PROTO_REPLY_MAX 512  /* bytes of the reply line */
#define MXB_PROTO_REQUEST_MAX (MXB_PROTO_HEADER_MAX + MXB_PROTO_FIELDS * (MXB_PROTO_FIELD_MAX + 1))

#endif
