/*
 * mxbounce - the admin command
 *
 * SYNOPSIS
 *	mxbounce classify [--json] [--mbox] FILE...	(FILE "-" is standard input)
 *	mxbounce migrate [-c FILE]
 *	mxbounce replay [-c FILE] [--since YYYY-MM-DD|Nd] [--all] [--dry-run]
 *	mxbounce retention [-c FILE] [--dry-run] [--verbose]
 *	mxbounce verp make|check|new-key|sync-keys ...	(cli/verp.c)
 *	mxbounce review|account|report ...	(cli/review.c, cli/report.c)
 *	mxbounce version
 *
 * DESCRIPTION
 *	classify runs the filter's parser and classifier on files, with no
 *	database, and prints one line per (file, recipient); with --json one
 *	JSON object per line with the fields of docs/classify-json.md. This
 *	is the interface accuracy is measured with: keep it stable. With
 *	--mbox each FILE is a mailbox of many messages, each "From " line
 *	at the start or after a blank line starting one.
 *
 *	migrate applies the schema migrations compiled into mxbounce-admin
 *	(libexec) to the database of the configuration file; this program
 *	execs it, so that classify starts without libpq.
 *
 * EXIT STATUS
 *	0 success; 1 a file could not be read or the database failed;
 *	2 usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mxb/classify.h>
#include <mxb/db.h> /* MXB_SCHEMA_VERSION only: this program does not link libpq */
#include <mxb/json.h>

#include "cli.h"

#define ADMIN_PROGRAM "mxbounce-admin"

/* read_input - a whole file, or stdin for "-", capped at max+1 bytes so
 * the parser can see the message was longer */
static GByteArray *read_input(const char *path, size_t max, GError **err)
{
    GByteArray *buf = g_byte_array_new();
    char chunk[65536];
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t n;

    if (fp == NULL) {
        g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", path,
                    g_strerror(errno));
        g_byte_array_unref(buf);
        return NULL;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        if (buf->len <= max)
            g_byte_array_append(buf, (const guint8 *)chunk, (guint)n);
    if (ferror(fp)) {
        g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_IO, "%s: read error", path);
        g_byte_array_unref(buf);
        buf = NULL;
    }
    if (fp != stdin)
        fclose(fp);
    return buf;
}

/* member - string or null member */
static void member(json_object *o, const char *name, const char *value)
{
    json_object_object_add(o, name, value ? json_object_new_string(value) : NULL);
}

/* print_json - one object per result, fields in the documented order;
 * "message" (the message's place in an mbox, from 1) only with --mbox */
static void print_json(const char *file, guint message, const mxb_report *rep)
{
    g_autofree char *name = g_utf8_make_valid(file, -1);

    for (guint i = 0; i < rep->results->len; i++) {
        const mxb_result *r = g_ptr_array_index(rep->results, i);
        g_autoptr(json_object) b = json_object_new_object();
        member(b, "file", name);
        if (message > 0)
            json_object_object_add(b, "message", json_object_new_int64(message));
        member(b, "kind", mxb_kind_name(r->kind));
        member(b, "recipient", r->recipient);
        member(b, "original_recipient", r->original_recipient);
        member(b, "action", r->action);
        member(b, "status", r->status);
        json_object_object_add(b, "smtp_code",
                               r->smtp_code ? json_object_new_int(r->smtp_code) : NULL);
        member(b, "diagnostic", r->diagnostic);
        member(b, "remote_mta", r->remote_mta);
        member(b, "reporting_mta", r->reporting_mta);
        member(b, "class", mxb_class_name(r->klass));
        member(b, "reason", mxb_reason_name(r->reason));
        member(b, "mta", r->mta);
        member(b, "feedback_type", r->feedback_type);
        g_autofree char *s = mxb_json_string(b);
        puts(s);
    }
}

/* print_text - one readable line per result; FILE[N] for an mbox's Nth */
static void print_text(const char *file, guint message, const mxb_report *rep)
{
    g_autofree char *name = message > 0 ? g_strdup_printf("%s[%u]", file, message) : NULL;

    for (guint i = 0; i < rep->results->len; i++) {
        const mxb_result *r = g_ptr_array_index(rep->results, i);
        const char *cls = mxb_class_name(r->klass), *rsn = mxb_reason_name(r->reason);
        printf("%s: %s %s status=%s smtp=%d class=%s reason=%s mta=%s\n", name ? name : file,
               mxb_kind_name(r->kind), r->recipient ? r->recipient : "-",
               r->status ? r->status : "-", r->smtp_code, cls ? cls : "-", rsn ? rsn : "-",
               r->mta ? r->mta : "-");
        if (r->diagnostic)
            printf("    %s\n", r->diagnostic);
    }
}

/* classify_one - parse, classify and print one message */
static void classify_one(const char *file, guint message, const char *p, size_t len,
                         const mxb_limits *limits, gboolean json)
{
    g_autoptr(mxb_report) rep = NULL;

    mxb_report_parse(&rep, p, len, limits);
    if (json)
        print_json(file, message, rep);
    else
        print_text(file, message, rep);
}

/* spool - a copy of what fd reads (a pipe, standard input) in an
 * unlinked temporary file, so that it can be mapped; -1 on failure */
static int spool(int fd)
{
    FILE *tmp = tmpfile();
    char chunk[65536];
    ssize_t n;

    if (tmp == NULL)
        return -1;
    while ((n = read(fd, chunk, sizeof chunk)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || fwrite(chunk, 1, (size_t)n, tmp) != (size_t)n) {
            fclose(tmp);
            return -1;
        }
    }
    int out = fflush(tmp) == 0 ? dup(fileno(tmp)) : -1;
    fclose(tmp);
    return out;
}

/* next_from_line - offset of the next line that starts a message of an
 * mbox at or after pos: "From " at the start of the file or after a
 * blank line (mboxo and mboxrd write one before each message; a body
 * line "From me to you" that a writer left unescaped seldom follows
 * one). len when there is none. Written by hand: GMime's mbox parser
 * builds every message's whole tree, without the classifier's limits,
 * and stops at the first "From " line that no header follows. */
static size_t next_from_line(const char *p, size_t len, size_t pos)
{
    if (pos == 0 && len >= 5 && memcmp(p, "From ", 5) == 0)
        return 0;
    while (pos < len) {
        const char *nl = memchr(p + pos, '\n', len - pos);
        if (nl == NULL)
            return len;
        size_t at = (size_t)(nl - p) + 1;
        /* "From " after a blank line (LF or CRLF) */
        if (len - at >= 5 && memcmp(p + at, "From ", 5) == 0 &&
            ((at >= 2 && p[at - 2] == '\n') || (at >= 3 && p[at - 2] == '\r' && p[at - 3] == '\n')))
            return at;
        pos = at;
    }
    return len;
}

/* classify_mbox - every message of a mailbox, each classified as it would
 * be alone (from its "From " line, which the parser skips, to the next).
 * A file is mapped, not read, and a pipe or standard input spooled to a
 * temporary file first: a mailbox of any size costs the memory of its
 * largest message. A file with no "From " line is one message. Returns
 * 0, or 1 when it could not be read. */
static int classify_mbox(const char *path, const mxb_limits *limits, gboolean json)
{
    gboolean in = strcmp(path, "-") == 0;
    int fd = in ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    const char *base;
    size_t size;
    void *map;

    if (fd < 0 || fstat(fd, &st) != 0)
        goto fail;
    if (S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        int copy = spool(fd);
        close(fd);
        fd = copy;
        if (fd < 0 || fstat(fd, &st) != 0)
            goto fail;
    }
    if (st.st_size == 0) {
        close(fd);
        classify_one(path, 1, "", 0, limits, json);
        return 0;
    }
    size = (size_t)st.st_size;
    map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        fprintf(stderr, "mxbounce classify: %s: %s\n", path, g_strerror(errno));
        return 1;
    }
    base = map;
    size_t from = next_from_line(base, size, 0);
    if (from == size)
        from = 0; /* no "From " line: the whole file is one message */
    for (guint n = 1; from < size; n++) {
        size_t to = next_from_line(base, size, from + 1);
        classify_one(path, n, base + from, to - from, limits, json);
        from = to;
    }
    munmap(map, size);
    return 0;

fail:
    fprintf(stderr, "mxbounce classify: %s: %s\n", path, g_strerror(errno));
    if (fd >= 0)
        close(fd);
    return 1;
}

/* cmd_classify - mxbounce classify [--json] [--mbox] FILE... */
static int cmd_classify(int argc, char **argv)
{
    gboolean json = FALSE, mbox = FALSE;
    GOptionEntry entries[] = {
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON object per line", NULL},
        {"mbox", 0, 0, G_OPTION_ARG_NONE, &mbox,
         "Each FILE is a mailbox: classify every message in it", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) opt = g_option_context_new("FILE... - parse and classify reports");
    g_autoptr(GError) err = NULL;
    mxb_limits limits;
    int rc = 0;

    g_option_context_add_main_entries(opt, entries, NULL);
    if (!g_option_context_parse(opt, &argc, &argv, &err)) {
        fprintf(stderr, "mxbounce classify: %s\n", err->message);
        return EXIT_USAGE;
    }
    if (argc < 2) {
        fprintf(stderr, "mxbounce classify: no FILE given (use - for standard input)\n");
        return EXIT_USAGE;
    }
    mxb_limits_default(&limits);
    /* Many files: compiling the rules to machine code pays (about 30% on
     * the corpus); one file: it would cost more than it saves. */
    mxb_classify_set_optimize(argc > 16);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            continue;
        if (mbox) {
            rc |= classify_mbox(argv[i], &limits, json);
            continue;
        }
        g_autoptr(GError) ferr = NULL;
        g_autoptr(GByteArray) buf = read_input(argv[i], limits.max_message, &ferr);
        if (buf == NULL) {
            fprintf(stderr, "mxbounce classify: %s\n", ferr->message);
            rc = 1;
            continue;
        }
        classify_one(argv[i], 0, (const char *)buf->data, buf->len, &limits, json);
    }
    return rc;
}

/* admin_program - mxbounce-admin beside this program, else the installed one */
static char *admin_program(void)
{
    g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);

    if (self != NULL) {
        g_autofree char *dir = g_path_get_dirname(self);
        char *p = g_build_filename(dir, ADMIN_PROGRAM, NULL);
        if (access(p, X_OK) == 0)
            return p;
        g_free(p);
    }
    return g_strdup(MXB_LIBEXEC_DIR "/" ADMIN_PROGRAM);
}

/* run_admin - the database commands live in mxbounce-admin, so that
 * classify starts without loading libpq and its 20 libraries */
static int run_admin(char **argv)
{
    g_autofree char *prog = admin_program();

    execv(prog, argv);
    fprintf(stderr, "mxbounce: cannot run %s: %s\n", prog, g_strerror(errno));
    return 1;
}

/* usage - the subcommands */
static int usage(FILE *fp)
{
    fprintf(fp, "usage: mxbounce classify [--json] [--mbox] FILE...\n"
                "       mxbounce migrate [-c FILE]\n"
                "       mxbounce replay [-c FILE] [--since YYYY-MM-DD|Nd] [--all] [--dry-run]\n"
                "       mxbounce retention [-c FILE] [--dry-run] [--verbose]\n"
                "       mxbounce verp make|check|new-key|sync-keys ...\n"
                "       mxbounce review [-c FILE] [--dry-run] [--json] [--verbose]\n"
                "       mxbounce account reinstate|show|list ...\n"
                "       mxbounce report [-c FILE] --account ID [--list L] [--since Nd|YYYY-MM-DD]\n"
                "                       [--top N] [--format text|json|csv|html] [-o FILE]\n"
                "       mxbounce version\n");
    return fp == stderr ? EXIT_USAGE : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    if (strcmp(argv[1], "classify") == 0)
        return cmd_classify(argc - 1, argv + 1);
    if (strcmp(argv[1], "migrate") == 0 || strcmp(argv[1], "retention") == 0 ||
        strcmp(argv[1], "replay") == 0 || strcmp(argv[1], "review") == 0 ||
        strcmp(argv[1], "account") == 0 || strcmp(argv[1], "report") == 0)
        return run_admin(argv);
    if (strcmp(argv[1], "verp") == 0 && argc >= 3 && strcmp(argv[2], "sync-keys") == 0)
        return run_admin(argv);
    if (strcmp(argv[1], "verp") == 0)
        return mxb_cli_verp(argc - 1, argv + 1);
    if (strcmp(argv[1], "version") == 0) {
        printf("mxbounce %s (classifier %s, schema %d)\n", MXB_VERSION, MXB_CLASSIFIER_VERSION,
               MXB_SCHEMA_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0)
        return usage(stdout);
    return usage(stderr);
}
