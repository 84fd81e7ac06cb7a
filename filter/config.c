/*
 * config.c - load mxbounce.conf with GKeyFile and check every value
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <mxb/config.h>

/*
 * has_password - whether a libpq conninfo may carry a secret. On the safe
 * side, without a parser of libpq's grammar (this library does not link
 * libpq): any "password" in it (the password and sslpassword keywords,
 * in key=value form or as URI parameters, percent-decoded first), or
 * "user:password@" in a postgres:// or postgresql:// URI. A false alarm
 * only asks for the mode the file should have anyway.
 */
static gboolean has_password(const char *ci)
{
    gboolean uri = g_str_has_prefix(ci, "postgresql://") || g_str_has_prefix(ci, "postgres://");
    g_autofree char *decoded = uri ? g_uri_unescape_string(ci, NULL) : NULL;
    g_autofree char *lower = g_ascii_strdown(decoded ? decoded : ci, -1);

    if (strstr(lower, "password") != NULL)
        return TRUE;
    if (!uri)
        return FALSE;
    /* libpq takes the user information up to the first '@' before '/'. */
    const char *rest = strstr(ci, "://") + 3;
    size_t host = strcspn(rest, "/");
    const char *at = memchr(rest, '@', host);
    return at != NULL && memchr(rest, ':', (size_t)(at - rest)) != NULL;
}

/*
 * check_mode - refuse a file that others may change, or read while it
 * holds a secret (the database password, VERP keys)
 */
static gboolean check_mode(const struct stat *st, gboolean secret, GError **err)
{
    if (st->st_mode & S_IWOTH) {
        g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_PERM,
                    "anyone may change it: chmod o-rwx it (0640, group of the pipe user)");
        return FALSE;
    }
    if (secret && (st->st_mode & S_IROTH)) {
        g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_PERM,
                    "anyone may read it, and it holds the database password or VERP keys: "
                    "chmod o-rwx it (0640, group of the pipe user)");
        return FALSE;
    }
    return TRUE;
}

/* get_int - optional integer key within [min, max]; keeps *out if absent */
static gboolean get_int(GKeyFile *kf, const char *group, const char *key, gint64 min, gint64 max,
                        gint64 *out, GError **err)
{
    GError *e = NULL;
    gint64 v;

    if (!g_key_file_has_key(kf, group, key, NULL))
        return TRUE;
    v = g_key_file_get_int64(kf, group, key, &e);
    if (e != NULL) {
        g_propagate_prefixed_error(err, e, "[%s] %s: ", group, key);
        return FALSE;
    }
    if (v < min || v > max) {
        g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                    "[%s] %s = %" G_GINT64_FORMAT " is outside %" G_GINT64_FORMAT
                    "..%" G_GINT64_FORMAT,
                    group, key, v, min, max);
        return FALSE;
    }
    *out = v;
    return TRUE;
}

/* load_verp - the [verp] group: key.N = base64, signing_key, max_age_days,
 * prefix, domain */
static int load_verp(GKeyFile *kf, mxb_verp_keyring *kr, GError **err)
{
    g_auto(GStrv) keys = g_key_file_get_keys(kf, "verp", NULL, NULL);
    gint64 v;

    for (char **k = keys; k && *k; k++) {
        if (!g_str_has_prefix(*k, "key."))
            continue;
        const char *ids = *k + 4;
        char *end = NULL;
        guint64 id = g_ascii_strtoull(ids, &end, 10);
        if (end == ids || *end != '\0' || id >= MXB_VERP_KEYS) {
            g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                        "[verp] %s: key ids are 0..%d", *k, MXB_VERP_KEYS - 1);
            return -1;
        }
        g_autofree char *b64 = g_key_file_get_string(kf, "verp", *k, err);
        int rc = b64 ? mxb_verp_keyring_add(kr, (int)id, b64, err) : -1;
        if (b64)
            memset(b64, 0, strlen(b64));
        if (rc < 0) {
            g_prefix_error(err, "[verp] %s: ", *k);
            return -1;
        }
        if ((int)id > kr->signing)
            kr->signing = (int)id; /* default: the newest key signs */
    }
    v = kr->signing;
    if (!get_int(kf, "verp", "signing_key", 0, MXB_VERP_KEYS - 1, &v, err))
        return -1;
    if (v >= 0 && kr->keys[v] == NULL) {
        g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                    "[verp] signing_key = %d names no key.%d", (int)v, (int)v);
        return -1;
    }
    kr->signing = (int)v;
    v = kr->max_age;
    if (!get_int(kf, "verp", "max_age_days", 1, MXB_VERP_MAX_MAX_AGE, &v, err))
        return -1;
    kr->max_age = (int)v;
    g_autofree char *prefix = g_key_file_get_string(kf, "verp", "prefix", NULL);
    if (prefix != NULL) {
        g_strstrip(prefix);
        if (*prefix == '\0' || strlen(prefix) > MXB_VERP_PREFIX_MAX ||
            strpbrk(prefix, "+@ \t\"<>") != NULL) {
            g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                        "[verp] prefix must be 1 to %d characters without + @ or spaces",
                        MXB_VERP_PREFIX_MAX);
            return -1;
        }
        g_free(kr->prefix);
        kr->prefix = g_steal_pointer(&prefix);
    }
    g_autofree char *domain = g_key_file_get_string(kf, "verp", "domain", NULL);
    if (domain != NULL && *g_strstrip(domain) != '\0') {
        if (strpbrk(domain, "@ \t\"<>") != NULL) {
            g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                        "[verp] domain must be a domain name");
            return -1;
        }
        kr->domain = g_steal_pointer(&domain);
    }
    return 0;
}

/* mxb_config_free - free, wiping the secret */
void mxb_config_free(mxb_config *cfg)
{
    if (cfg == NULL)
        return;
    if (cfg->conninfo) {
        memset(cfg->conninfo, 0, strlen(cfg->conninfo));
        g_free(cfg->conninfo);
    }
    g_free(cfg->path);
    g_free(cfg->socket);
    g_free(cfg->local_rules_path);
    mxb_local_rules_unref(cfg->local_rules);
    mxb_verp_keyring_free(cfg->verp);
    g_free(cfg);
}

/* load - read the configuration file and validate it */
static int load(mxb_config **out, const char *path, gboolean need_database, GError **err)
{
    struct stat st;
    int rc;

    *out = NULL;
    /* The mode is checked on the descriptor the file is read from. */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        g_set_error_literal(err, G_FILE_ERROR, g_file_error_from_errno(e), g_strerror(e));
        return -1;
    }
    GIOChannel *ch = g_io_channel_unix_new(fd);
    g_io_channel_set_close_on_unref(ch, TRUE);
    gchar *text = NULL;
    gsize len = 0;
    gboolean read_ok = g_io_channel_set_encoding(ch, NULL, err) &&
                       g_io_channel_read_to_end(ch, &text, &len, err) == G_IO_STATUS_NORMAL;
    g_io_channel_unref(ch);
    rc = read_ok ? mxb_config_parse(out, text, len, &st, need_database, err) : -1;
    if (text != NULL) {
        memset(text, 0, len); /* it may hold the password */
        g_free(text);
    }
    if (rc == 0)
        (*out)->path = g_strdup(path);
    return rc;
}

/* mxb_config_parse - validate the text of a configuration file */
int mxb_config_parse(mxb_config **out, const char *text, size_t len, const struct stat *st,
                     gboolean need_database, GError **err)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autoptr(mxb_config) cfg = g_new0(mxb_config, 1);
    gint64 v;

    *out = NULL;
    if (!g_key_file_load_from_data(kf, text, len, G_KEY_FILE_NONE, err))
        return -1;
    cfg->verp = mxb_verp_keyring_new();
    if (load_verp(kf, cfg->verp, err) < 0)
        return -1;
    cfg->conninfo = g_key_file_get_string(kf, "database", "conninfo", NULL);
    if (cfg->conninfo != NULL && *g_strstrip(cfg->conninfo) == '\0')
        g_clear_pointer(&cfg->conninfo, g_free);
#define INT_KEY(group, key, min, max, field, def)                                                  \
    do {                                                                                           \
        v = (def);                                                                                 \
        if (!get_int(kf, group, key, min, max, &v, err))                                           \
            return -1;                                                                             \
        field = v;                                                                                 \
    } while (0)
    mxb_limits_default(&cfg->limits);
    INT_KEY("database", "connect_timeout", 1, MXB_MAX_DEADLINE, cfg->connect_timeout,
            MXB_DEFAULT_CONNECT_TIMEOUT);
    INT_KEY("filter", "deadline", 1, MXB_MAX_DEADLINE, cfg->deadline, MXB_DEFAULT_DEADLINE);
    INT_KEY("limits", "max_message_size", 1024, 1024 * 1024 * 1024, cfg->limits.max_message,
            MXB_DEFAULT_MAX_MESSAGE);
    INT_KEY("limits", "max_mime_depth", 1, 100, cfg->limits.max_depth, MXB_DEFAULT_MAX_DEPTH);
    INT_KEY("limits", "max_parts", 1, 100000, cfg->limits.max_parts, MXB_DEFAULT_MAX_PARTS);
    INT_KEY("limits", "max_recipients", 1, 100000, cfg->limits.max_recipients,
            MXB_DEFAULT_MAX_RECIPIENTS);
    INT_KEY("limits", "max_field", 64, 1024 * 1024, cfg->limits.max_field, MXB_DEFAULT_MAX_FIELD);
    INT_KEY("limits", "max_header", 1024, 16 * 1024 * 1024, cfg->limits.max_header,
            MXB_DEFAULT_MAX_HEADER);
    INT_KEY("limits", "max_structure_lines", 100, 10 * 1000 * 1000, cfg->limits.max_structure_lines,
            MXB_DEFAULT_MAX_STRUCTURE_LINES);
    INT_KEY("limits", "max_diagnostic", 64, 1024 * 1024, cfg->limits.max_diagnostic,
            MXB_DEFAULT_MAX_DIAGNOSTIC);
    INT_KEY("limits", "max_local_rule_steps", 1000, 1000 * 1000 * 1000, cfg->limits.max_local_steps,
            MXB_DEFAULT_MAX_LOCAL_STEPS);
    INT_KEY("daemon", "workers", 1, MXB_MAX_WORKERS, cfg->workers, MXB_DEFAULT_WORKERS);
#undef INT_KEY
    cfg->socket = g_key_file_get_string(kf, "daemon", "socket", NULL);
    if (cfg->socket != NULL && *g_strstrip(cfg->socket) != '/') {
        g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                    "[daemon] socket must be an absolute path");
        return -1;
    }
    cfg->local_rules_path = g_key_file_get_string(kf, "classify", "local_rules", NULL);
    if (cfg->local_rules_path != NULL && *g_strstrip(cfg->local_rules_path) == '\0')
        g_clear_pointer(&cfg->local_rules_path, g_free);
    if (cfg->local_rules_path != NULL && *cfg->local_rules_path != '/') {
        g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                    "[classify] local_rules must be an absolute path");
        return -1;
    }
    g_autofree char *sm = g_key_file_get_string(kf, "daemon", "socket_mode", NULL);
    cfg->socket_mode = 0660;
    if (sm != NULL) {
        char *end = NULL;
        guint64 m = g_ascii_strtoull(g_strstrip(sm), &end, 8);
        if (end == sm || *end != '\0' || m > 0777) {
            g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                        "[daemon] socket_mode must be octal permission bits, e.g. 0660");
            return -1;
        }
        cfg->socket_mode = (int)m;
    }
    /* The mode moved to the master.cf command line (mxbounce-filter
     * --daemon SOCKET): the filter no longer reads this file in daemon
     * mode. A file that still sets it is refused rather than ignored. */
    if (g_key_file_has_key(kf, "filter", "mode", NULL)) {
        g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                    "[filter] mode is gone: daemon mode is chosen in master.cf with "
                    "mxbounce-filter --daemon SOCKET");
        return -1;
    }
    /* signing is -1 exactly when no key is configured (load_verp) */
    gboolean keys = cfg->verp->signing >= 0;
    if (st != NULL && !check_mode(st, keys || (cfg->conninfo && has_password(cfg->conninfo)), err))
        return -1;
    if (need_database && cfg->conninfo == NULL) {
        g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                    "[database] conninfo is missing");
        return -1;
    }
    g_autofree char *log = g_key_file_get_string(kf, "filter", "log", NULL);
    if (log == NULL || strcmp(g_strstrip(log), "syslog") == 0)
        cfg->log = MXB_LOG_SYSLOG;
    else if (strcmp(log, "stderr") == 0)
        cfg->log = MXB_LOG_STDERR;
    else {
        g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                    "[filter] log must be syslog or stderr");
        return -1;
    }
    *out = g_steal_pointer(&cfg);
    return 0;
}

/* mxb_config_load - read and validate the configuration file */
int mxb_config_load(mxb_config **out, const char *path, GError **err)
{
    return load(out, path, TRUE, err);
}

/* mxb_config_load_keys - the same, without requiring a database */
int mxb_config_load_keys(mxb_config **out, const char *path, GError **err)
{
    return load(out, path, FALSE, err);
}

/* mxb_config_use_local_rules - read the local rules and classify with them */
int mxb_config_use_local_rules(mxb_config *cfg, GError **err)
{
    if (cfg->local_rules_path == NULL)
        return 0;
    if (cfg->local_rules == NULL &&
        (cfg->local_rules = mxb_local_rules_read(cfg->local_rules_path, err)) == NULL)
        return -1;
    mxb_classify_set_local_rules(cfg->local_rules);
    return 0;
}

/* mxb_local_rules_read - the rules of a file */
mxb_local_rules *mxb_local_rules_read(const char *path, GError **err)
{
    struct stat st;
    g_autoptr(GError) e = NULL;
    g_autoptr(GByteArray) text = g_byte_array_new();
    const char *why = NULL;

    /* Not blocking on a FIFO; a regular file only, that others cannot
     * change (whoever edits the rules can make any address hard), and
     * read no further than the chunk that passes the limit. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0 || fstat(fd, &st) != 0) {
        int en = errno;
        if (fd >= 0)
            close(fd);
        g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(en), "%s: %s", path, g_strerror(en));
        return NULL;
    }
    if (!S_ISREG(st.st_mode))
        why = "not a regular file";
    else if (st.st_mode & S_IWOTH)
        why = "others may change it (chmod o-w)";
    while (why == NULL) {
        guint8 buf[65536];
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            why = g_strerror(errno);
            break;
        }
        if (n == 0)
            break;
        g_byte_array_append(text, buf, (guint)n);
        if (text->len > MXB_LOCAL_RULES_FILE_MAX)
            why = "longer than " G_STRINGIFY(MXB_LOCAL_RULES_FILE_MAX) " bytes";
    }
    close(fd);
    if (why != NULL) {
        g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", path, why);
        return NULL;
    }
    mxb_local_rules *rules = mxb_local_rules_parse((const char *)text->data, text->len, &e);
    if (rules == NULL)
        g_set_error(err, e->domain, e->code, "%s: %s", path, e->message);
    return rules;
}
