/*
 * mxb/log.h - the bounds of a log line of the filter programs
 *
 * Whatever the message, its envelope or the database says, a log line of
 * mxbounce-filter, mxbounce-record or mxbounced stays one bounded line
 * (docs/limits.md). No GLib here: mxbounce-filter links only libc.
 */
#ifndef MXB_LOG_H
#define MXB_LOG_H

#define MXB_LOG_LINE_MAX 900    /* bytes of a line's text after the queue id */
#define MXB_LOG_RCPTS_MAX 5     /* recipients a line names (rcpts=) */
#define MXB_LOG_FIELD_MAX 100   /* bytes of a recipient, sender or problem, escaped */
#define MXB_LOG_DETAIL_MAX 300  /* bytes of a deferral's detail (an error's text) */
#define MXB_LOG_QUEUE_ID_MAX 40 /* bytes of the queue id */

#endif
