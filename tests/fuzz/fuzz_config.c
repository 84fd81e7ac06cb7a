/*
 * fuzz_config - the configuration file's text through the same parse and
 * validation mxb_config_load() applies after reading the file (GKeyFile,
 * integer ranges, the VERP key ring, the password finder of the
 * permission check). The first byte picks whether a database is
 * required; the rest is the file.
 *
 * Invariants on success: every limit inside the range the loader
 * documents, a conninfo that is NULL or not blank, an absolute socket
 * path, a known log target.
 */
#include <stdlib.h>
#include <string.h>

#include <mxb/config.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autoptr(mxb_config) cfg = NULL;
    g_autoptr(GError) err = NULL;

    if (size == 0)
        return 0;
    gboolean need_database = data[0] & 1;
    if (mxb_config_parse(&cfg, (const char *)data + 1, size - 1, NULL, need_database, &err) != 0) {
        if (err == NULL || err->message == NULL || cfg != NULL)
            abort(); /* a refusal says why, and yields nothing */
        return 0;
    }
    const mxb_limits *l = &cfg->limits;
    if (l->max_message < 1024 || l->max_depth < 1 || l->max_depth > 100 || l->max_parts < 1 ||
        l->max_recipients < 1 || l->max_field < 64 || l->max_header < 1024 ||
        l->max_structure_lines < 100 || l->max_diagnostic < 64)
        abort();
    if (cfg->deadline < 1 || cfg->connect_timeout < 1 || cfg->workers < 1 ||
        cfg->workers > MXB_MAX_WORKERS)
        abort();
    if (need_database && cfg->conninfo == NULL)
        abort();
    if (cfg->conninfo != NULL && *cfg->conninfo == '\0')
        abort();
    if (cfg->socket != NULL && cfg->socket[0] != '/')
        abort();
    if (cfg->log != MXB_LOG_SYSLOG && cfg->log != MXB_LOG_STDERR)
        abort();
    if (cfg->socket_mode < 0 || cfg->socket_mode > 0777)
        abort();
    return 0;
}
