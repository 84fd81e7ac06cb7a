/*
 * mxbounce - the admin command
 *
 * SYNOPSIS
 *	mxbounce classify [--json] [--mbox] [--jobs N] [--local-rules FILE] FILE...
 *		(FILE "-" is standard input)
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
 *	at the start or after a blank line starting one. Messages are
 *	classified by --jobs threads (all processors by default), printed in
 *	the order of the command line and of each mailbox.
 *
 *	migrate applies the schema migrations compiled into mxbounce-admin
 *	(libexec) to the database of the configuration file; this program
 *	execs it, so that classify starts without libpq.
 *
 * EXIT STATUS
 *	0 success; 1 a file could not be read, standard output could not be
 *	written, or the database failed; 2 usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mxb/classify.h>
#include <mxb/config.h>
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
static void print_json(GString *out, const char *file, guint message, const mxb_report *rep)
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
        g_string_append(out, s);
        g_string_append_c(out, '\n');
    }
}

/* print_text - one readable line per result; FILE[N] for an mbox's Nth */
static void print_text(GString *out, const char *file, guint message, const mxb_report *rep)
{
    g_autofree char *name = message > 0 ? g_strdup_printf("%s[%u]", file, message) : NULL;

    for (guint i = 0; i < rep->results->len; i++) {
        const mxb_result *r = g_ptr_array_index(rep->results, i);
        const char *cls = mxb_class_name(r->klass), *rsn = mxb_reason_name(r->reason);
        const char *local = mxb_local_rule_name(r->local_rule);
        g_string_append_printf(
            out, "%s: %s %s status=%s smtp=%d class=%s reason=%s mta=%s%s%s%s\n",
            name ? name : file, mxb_kind_name(r->kind), r->recipient ? r->recipient : "-",
            r->status ? r->status : "-", r->smtp_code, cls ? cls : "-", rsn ? rsn : "-",
            r->mta ? r->mta : "-", local ? " local=[" : "", local ? local : "", local ? "]" : "");
        if (r->diagnostic)
            g_string_append_printf(out, "    %s\n", r->diagnostic);
    }
}

/*
 * The messages of one classify run are jobs, classified by a pool of
 * threads (--jobs) and printed by the main thread in the order they were
 * added: the output does not depend on how many threads there are. At
 * most JOB_WINDOW_PER_THREAD jobs per thread wait to be printed, so
 * memory does not grow with the number of files; when that many wait,
 * the main thread sleeps until the first half is done and prints it, and
 * a thread wakes it only for the job it waits for (a wake-up for each job
 * cost a quarter more CPU on two processors). The classifier is safe
 * to run in threads: its regexes are compiled once (g_once), PCRE2's
 * match data is per thread, and GMime's objects are per message.
 */
#define JOB_WINDOW_PER_THREAD 16
#define JOBS_MAX 64 /* --jobs above this is this */

/* A mailbox, mapped; each of its jobs holds a reference (GRcBox) */
typedef struct {
    GMappedFile *map;
    uintptr_t released; /* its pages before this address were given back */
} mailbox;

static void mailbox_clear(gpointer data)
{
    g_mapped_file_unref(((mailbox *)data)->map);
}

typedef struct {
    const char *file; /* as named on the command line */
    guint message;    /* place in an mbox, from 1; 0 for a file */
    const char *data; /* the message (an mbox's, mapped), or NULL: read file */
    size_t len;
    mailbox *mbox;     /* the mailbox data is in, a reference; or NULL */
    GByteArray *input; /* standard input, read by the main thread */
    GString *out;      /* what it prints on standard output */
    char *error;       /* what it prints on standard error (the file unread) */
    gint done;         /* atomic: set by its thread when the rest is written */
} job;

typedef struct {
    GThreadPool *pool; /* NULL: each job runs when added */
    GQueue waiting;    /* jobs added, not yet printed, oldest first */
    job *awaited;      /* atomic: the job the main thread sleeps on, or NULL */
    guint window;
    GMutex lock;
    GCond cond;
    const mxb_limits *limits;
    gboolean json;
    int rc;
    int write_error; /* errno of the first failed write to standard output */
} runner;

/* job_run - read (when it is a file), parse, classify, format */
static void job_run(job *j, const runner *run)
{
    g_autoptr(GByteArray) buf = j->input;
    g_autoptr(mxb_report) rep = NULL;
    const char *p = j->data;
    size_t len = j->len;

    j->input = NULL;
    if (p == NULL && buf == NULL) {
        g_autoptr(GError) err = NULL;
        buf = read_input(j->file, run->limits->max_message, &err);
        if (buf == NULL) {
            j->error = g_strdup_printf("mxbounce classify: %s\n", err->message);
            return;
        }
    }
    if (buf != NULL) {
        p = (const char *)buf->data;
        len = buf->len;
    }
    mxb_report_parse(&rep, p, len, run->limits);
    if (run->json)
        print_json(j->out, j->file, j->message, rep);
    else
        print_text(j->out, j->file, j->message, rep);
}

/* job_thread - a pool thread's work: one job, then its done flag. The
 * lock is taken only to wake the main thread when it waits for this job:
 * taken for every job, it was contended (a futex call a job). Both sides
 * write their flag before reading the other's, with g_atomic's full
 * barriers, so one of them sees the other's. */
static void job_thread(gpointer data, gpointer user)
{
    job *j = data;
    runner *run = user;

    job_run(j, run);
    g_atomic_int_set(&j->done, TRUE);
    if (g_atomic_pointer_get(&run->awaited) == j) {
        g_mutex_lock(&run->lock);
        g_cond_signal(&run->cond);
        g_mutex_unlock(&run->lock);
    }
}

/* release_pages - the pages of a mailbox before the end of a message
 * printed, given back once RELEASE_CHUNK of them are: the mapping is
 * private, read-only and never written, so a page read again (by a
 * message in work in another thread) comes back from the file as it was.
 * A mailbox read from end to end would otherwise stay resident in whole
 * until it is unmapped. Linux maps the pages around a faulting one that
 * are in the page cache (64 KiB, aligned, by default), so reading a
 * message maps again some of those given back before it: FAULT_AROUND
 * bytes before the chunk are given back again with it. Measured on 430 MB
 * of 93,000 messages (two threads): peak RSS 427 MB before; 36 MB
 * giving back each message's pages, and a quarter slower; 8.5 MB by the
 * chunk, at the same speed as before (bench/memory's mailbox of 420 MB
 * and 288,000 messages: 7.2 MB with one thread, 7.7 MB with two). */
#define RELEASE_CHUNK (1024 * 1024)
#define FAULT_AROUND (64 * 1024)
static void release_pages(mailbox *mb, const char *p, size_t len)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t base = (uintptr_t)g_mapped_file_get_contents(mb->map) & ~(page - 1);
    uintptr_t end = ((uintptr_t)p + len) & ~(page - 1);

    if (mb->released < base)
        mb->released = base;
    if (end < mb->released + RELEASE_CHUNK)
        return;
    uintptr_t start = mb->released - base > FAULT_AROUND ? mb->released - FAULT_AROUND : base;
    madvise((void *)start, end - start, MADV_DONTNEED);
    mb->released = end;
}

/* job_wait - until j is done */
static void job_wait(runner *run, job *j)
{
    if (g_atomic_int_get(&j->done))
        return;
    g_mutex_lock(&run->lock);
    g_atomic_pointer_set(&run->awaited, j);
    while (!g_atomic_int_get(&j->done))
        g_cond_wait(&run->cond, &run->lock);
    g_atomic_pointer_set(&run->awaited, NULL);
    g_mutex_unlock(&run->lock);
}

/* job_print - the oldest job's output, once it is done; 1 when its file
 * could not be read */
static int job_print(runner *run)
{
    job *j = g_queue_pop_head(&run->waiting);
    int rc = 0;

    job_wait(run, j);
    if (fwrite(j->out->str, 1, j->out->len, stdout) != j->out->len && run->write_error == 0)
        run->write_error = errno;
    if (j->error != NULL) {
        fflush(stdout);
        fputs(j->error, stderr);
        rc = 1;
    }
    g_string_free(j->out, TRUE);
    g_free(j->error); /* (its input went with job_run) */
    if (j->mbox != NULL) {
        release_pages(j->mbox, j->data, j->len);
        g_rc_box_release_full(j->mbox, mailbox_clear);
    }
    g_free(j);
    return rc;
}

/* runner_init - threads threads (1: none) */
static void runner_init(runner *run, guint threads, const mxb_limits *limits, gboolean json)
{
    memset(run, 0, sizeof *run);
    g_queue_init(&run->waiting);
    g_mutex_init(&run->lock);
    g_cond_init(&run->cond);
    run->limits = limits;
    run->json = json;
    run->window = threads * JOB_WINDOW_PER_THREAD;
    if (threads > 1) {
        g_autoptr(GError) err = NULL;
        run->pool = g_thread_pool_new(job_thread, run, (gint)threads, TRUE, &err);
        /* Some threads may have started (a limit on processes): they are
         * used; none: the messages are classified by this one */
        if (g_thread_pool_get_num_threads(run->pool) == 0) {
            fprintf(stderr, "mxbounce classify: no thread started (%s): classifying in one\n",
                    err ? err->message : "unknown error");
            g_thread_pool_free(run->pool, TRUE, TRUE);
            run->pool = NULL;
        }
    }
}

/* runner_add - a message to classify: a file (data NULL), standard input
 * read (input), or an mbox's message (data, len in mbox, of which the job
 * keeps a reference until it is printed); error, a line for standard
 * error instead */
static void runner_add(runner *run, const char *file, guint message, const char *data, size_t len,
                       mailbox *mbox, GByteArray *input, char *error)
{
    job *j = g_new0(job, 1);

    j->file = file;
    j->message = message;
    j->data = data;
    j->len = len;
    j->mbox = mbox ? g_rc_box_acquire(mbox) : NULL;
    j->input = input;
    j->out = g_string_new(NULL);
    j->error = error;
    g_queue_push_tail(&run->waiting, j);
    /* Run here without a pool, or when the pool refuses the job (not an
     * exclusive pool, whose threads all started) */
    if (error != NULL || run->pool == NULL || !g_thread_pool_push(run->pool, j, NULL)) {
        if (error == NULL)
            job_run(j, run);
        g_atomic_int_set(&j->done, TRUE);
    }
    if (run->pool == NULL) {
        run->rc |= job_print(run);
    } else if (run->waiting.length >= run->window) {
        /* the last of the half to print: the threads take the jobs in
         * order, so the ones before it are done by then, or nearly */
        job_wait(run, g_queue_peek_nth(&run->waiting, run->waiting.length - run->window / 2 - 1));
        while (run->waiting.length > run->window / 2)
            run->rc |= job_print(run);
    }
}

/* runner_drain - every job added printed */
static void runner_drain(runner *run)
{
    while (run->waiting.length > 0)
        run->rc |= job_print(run);
}

/* runner_finish - drained, threads ended; the exit status: 1 also when
 * standard output could not be written (a full disk), which would
 * otherwise lose lines without a word */
static int runner_finish(runner *run)
{
    runner_drain(run);
    if (run->pool != NULL)
        g_thread_pool_free(run->pool, FALSE, TRUE);
    g_mutex_clear(&run->lock);
    g_cond_clear(&run->cond);
    if (fflush(stdout) != 0 && run->write_error == 0)
        run->write_error = errno ? errno : EIO;
    if (run->write_error != 0 || ferror(stdout)) {
        fprintf(stderr, "mxbounce classify: standard output: %s\n",
                g_strerror(run->write_error ? run->write_error : EIO));
        run->rc = 1;
    }
    return run->rc;
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
 * temporary file first: a mailbox of any size costs the memory of the
 * messages in work (the pages of those printed are given back, a
 * megabyte at a time), and the mapping lives until its last message is
 * printed. A file with no
 * "From " line is one message. */
static void classify_mbox(runner *run, const char *path)
{
    gboolean in = strcmp(path, "-") == 0;
    int fd = in ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
    g_autoptr(GError) err = NULL;
    GMappedFile *map;
    struct stat st;

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
        runner_add(run, path, 1, "", 0, NULL, NULL, NULL);
        return;
    }
    map = g_mapped_file_new_from_fd(fd, FALSE, &err);
    close(fd);
    if (map == NULL) {
        runner_add(run, path, 0, NULL, 0, NULL, NULL,
                   g_strdup_printf("mxbounce classify: %s: %s\n", path, err->message));
        return;
    }
    mailbox *mb = g_rc_box_new0(mailbox);
    mb->map = map;
    const char *base = g_mapped_file_get_contents(map);
    size_t size = g_mapped_file_get_length(map);
    size_t from = next_from_line(base, size, 0);
    if (from == size)
        from = 0; /* no "From " line: the whole file is one message */
    for (guint n = 1; from < size; n++) {
        size_t to = next_from_line(base, size, from + 1);
        runner_add(run, path, n, base + from, to - from, mb, NULL, NULL);
        from = to;
    }
    g_rc_box_release_full(mb, mailbox_clear);
    return;

fail:
    runner_add(run, path, 0, NULL, 0, NULL, NULL,
               g_strdup_printf("mxbounce classify: %s: %s\n", path, g_strerror(errno)));
    if (fd >= 0)
        close(fd);
}

/* cmd_classify - mxbounce classify [--json] [--mbox] [--jobs N] [--local-rules FILE] FILE... */
static int cmd_classify(int argc, char **argv)
{
    gboolean json = FALSE, mbox = FALSE;
    gint jobs = 0;
    g_autofree char *rules_path = NULL; /* GOption allocates it */
    GOptionEntry entries[] = {
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON object per line", NULL},
        {"mbox", 0, 0, G_OPTION_ARG_NONE, &mbox,
         "Each FILE is a mailbox: classify every message in it", NULL},
        {"jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
         "Classify with N threads (default 0: one per processor)", "N"},
        {"local-rules", 0, 0, G_OPTION_ARG_FILENAME, &rules_path,
         "Try the local rules of FILE first, as the filter does with [classify] local_rules",
         "FILE"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) opt = g_option_context_new("FILE... - parse and classify reports");
    g_autoptr(GError) err = NULL;
    mxb_limits limits;
    runner run;

    g_option_context_add_main_entries(opt, entries, NULL);
    if (!g_option_context_parse(opt, &argc, &argv, &err)) {
        fprintf(stderr, "mxbounce classify: %s\n", err->message);
        return EXIT_USAGE;
    }
    if (argc < 2) {
        fprintf(stderr, "mxbounce classify: no FILE given (use - for standard input)\n");
        return EXIT_USAGE;
    }
    if (jobs < 0) {
        fprintf(stderr, "mxbounce classify: --jobs %d: not a number of threads\n", jobs);
        return EXIT_USAGE;
    }
    if (jobs == 0)
        jobs = (gint)g_get_num_processors();
    if (jobs > JOBS_MAX)
        jobs = JOBS_MAX;
    if (!mbox && argc == 2)
        jobs = 1; /* one message: no thread to start */
    if (rules_path != NULL) {
        mxb_local_rules *rules = mxb_local_rules_read(rules_path, &err);
        if (rules == NULL) {
            fprintf(stderr, "mxbounce classify: %s\n", err->message);
            return 1;
        }
        mxb_classify_set_local_rules(rules);
        mxb_local_rules_unref(rules);
    }
    mxb_limits_default(&limits);
    /* Many files, or mailboxes: compiling the rules to machine code and
     * reading the rules' prefilter pay (about 40% on the corpus); one
     * file: it would cost more than it saves (a few ms). */
    mxb_classify_set_optimize(mbox || argc > 16);
    runner_init(&run, (guint)jobs, &limits, json);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            continue;
        if (mbox) {
            classify_mbox(&run, argv[i]);
            continue;
        }
        if (strcmp(argv[i], "-") != 0) {
            runner_add(&run, argv[i], 0, NULL, 0, NULL, NULL, NULL); /* read by its thread */
            continue;
        }
        g_autoptr(GError) ferr = NULL;
        GByteArray *buf = read_input(argv[i], limits.max_message, &ferr);
        runner_add(&run, argv[i], 0, NULL, 0, NULL, buf,
                   buf ? NULL : g_strdup_printf("mxbounce classify: %s\n", ferr->message));
    }
    return runner_finish(&run);
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
    fprintf(fp,
            "usage: mxbounce classify [--json] [--mbox] [--jobs N] [--local-rules FILE] FILE...\n"
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
