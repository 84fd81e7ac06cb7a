/*
 * replay - run a fuzz target's function on files, without libFuzzer
 *
 *	fuzz_replay_TARGET FILE|DIR...
 *
 * Each file (each regular file in a directory) is one input. This is how
 * ctest replays the seeds (tests/fixtures) and every crash the fuzzers
 * ever found (tests/fuzz/regressions/TARGET/) in the ordinary and the
 * sanitizer builds. Exit 0 when every input returned; a crash is the
 * failure. Exit 2 when a path cannot be read or no input was found.
 */
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "fuzz.h"

static int run_file(const char *path)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    g_autoptr(GError) err = NULL;

    if (!g_file_get_contents(path, &data, &len, &err)) {
        fprintf(stderr, "replay: %s\n", err->message);
        return -1;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)data, len);
    return 0;
}

int main(int argc, char **argv)
{
    unsigned n = 0;

    for (int i = 1; i < argc; i++) {
        if (!g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
            if (run_file(argv[i]) < 0)
                return 2;
            n++;
            continue;
        }
        g_autoptr(GError) err = NULL;
        g_autoptr(GDir) dir = g_dir_open(argv[i], 0, &err);
        if (dir == NULL) {
            fprintf(stderr, "replay: %s\n", err->message);
            return 2;
        }
        const char *name;
        while ((name = g_dir_read_name(dir)) != NULL) {
            g_autofree char *path = g_build_filename(argv[i], name, NULL);
            if (!g_file_test(path, G_FILE_TEST_IS_REGULAR) || name[0] == '.')
                continue;
            if (run_file(path) < 0)
                return 2;
            n++;
        }
    }
    if (n == 0) {
        fprintf(stderr, "replay: no input\n");
        return 2;
    }
    printf("replay: %u inputs\n", n);
    return 0;
}
