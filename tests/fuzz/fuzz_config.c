/*
 * fuzz_config - the configuration file's text through the same parse and
 * validation mxb_config_load() applies after reading the file (GKeyFile,
 * integer ranges, the VERP key ring, the password finder of the
 * permission check). The first byte picks whether a database is
 * required; the rest is the file. With the first byte's bit of value 2 set, the
 * rest is a local rules file instead (mxb_local_rules_parse), and a
 * bounce whose diagnostic is that same text is classified with it.
 *
 * Invariants on success: every limit inside the range the loader
 * documents, a conninfo that is NULL or not blank, an absolute socket
 * path, a known log target.
 */
#include <stdlib.h>
#include <string.h>

#include <mxb/config.h>

#include "fuzz.h"

/* local_rules - a rules file: refused with a reason, or rules that
 * classify a bounce with a known reason and make a version that names them */
static int local_rules(const uint8_t *data, size_t size)
{
    g_autoptr(GError) err = NULL;
    mxb_local_rules *rules = mxb_local_rules_parse((const char *)data, size, &err);

    if (rules == NULL) {
        if (err == NULL || err->message == NULL)
            abort();
        return 0;
    }
    if (mxb_local_rules_count(rules) > MXB_LOCAL_RULES_MAX)
        abort();
    mxb_classify_set_local_rules(rules);
    if (mxb_local_rules_count(rules) > 0 &&
        !g_str_has_prefix(mxb_classifier_version(), MXB_CLASSIFIER_VERSION "+local."))
        abort();
    g_autofree char *words = g_strndup((const char *)data, MIN(size, MXB_DEFAULT_MAX_DIAGNOSTIC));
    mxb_result r = {.kind = MXB_KIND_BOUNCE, .diagnostic = words, .recipient = "a@example.org"};
    mxb_classify(&r);
    if (r.reason <= MXB_REASON_NONE || r.reason >= MXB_REASON_COUNT || r.klass == MXB_CLASS_NONE)
        abort();
    mxb_classify_set_local_rules(NULL);
    mxb_local_rules_unref(rules);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autoptr(mxb_config) cfg = NULL;
    g_autoptr(GError) err = NULL;

    if (size == 0)
        return 0;
    if (data[0] & 2)
        return local_rules(data + 1, size - 1);
    gboolean need_database = data[0] & 1;
    if (mxb_config_parse(&cfg, (const char *)data + 1, size - 1, NULL, need_database, &err) != 0) {
        if (err == NULL || err->message == NULL || cfg != NULL)
            abort(); /* a refusal says why, and yields nothing */
        return 0;
    }
    const mxb_limits *l = &cfg->limits;
    if (l->max_message < 1024 || l->max_depth < 1 || l->max_depth > 100 || l->max_parts < 1 ||
        l->max_recipients < 1 || l->max_field < 64 || l->max_header < 1024 ||
        l->max_structure_lines < 100 || l->max_diagnostic < 64 || l->max_local_steps < 1000)
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
