/*
 * limits.c - the compiled-in limits (docs/limits.md)
 *
 * A file of its own so that programs that only read the configuration
 * (the thin mxbounce-filter) link it without the parser.
 */
#include <mxb/classify.h>

/* mxb_limits_default - the compiled-in limits */
void mxb_limits_default(mxb_limits *limits)
{
    limits->max_message = MXB_DEFAULT_MAX_MESSAGE;
    limits->max_depth = MXB_DEFAULT_MAX_DEPTH;
    limits->max_parts = MXB_DEFAULT_MAX_PARTS;
    limits->max_recipients = MXB_DEFAULT_MAX_RECIPIENTS;
    limits->max_field = MXB_DEFAULT_MAX_FIELD;
    limits->max_diagnostic = MXB_DEFAULT_MAX_DIAGNOSTIC;
    limits->max_status_part = MXB_DEFAULT_MAX_STATUS_PART;
    limits->max_header = MXB_DEFAULT_MAX_HEADER;
    limits->max_structure_lines = MXB_DEFAULT_MAX_STRUCTURE_LINES;
    limits->max_local_steps = MXB_DEFAULT_MAX_LOCAL_STEPS;
}
