/*
 * parse-floor - read and MIME-parse files, and nothing else
 *
 *   mxbounce-parse-floor ROUNDS FILE...
 *
 * Reads each file and parses it with GMime exactly as the classifier does
 * (mxb_gmime_parse), then frees the tree, ROUNDS times over; prints the
 * messages per second. No classifier built on GMime can be faster than
 * this: bench/classify-speed prints it beside mxbounce's batch rate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gmime/gmime.h>

#include "internal.h" /* mxb_gmime_parse */

int main(int argc, char **argv)
{
    struct timespec t0, t1;
    long rounds = argc > 2 ? strtol(argv[1], NULL, 10) : 0;
    guint64 n = 0;

    if (rounds < 1) {
        fprintf(stderr, "usage: mxbounce-parse-floor ROUNDS FILE...\n");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long r = 0; r < rounds; r++) {
        for (int i = 2; i < argc; i++) {
            char *bytes = NULL;
            gsize len = 0;
            if (!g_file_get_contents(argv[i], &bytes, &len, NULL))
                continue;
            GMimeMessage *msg = mxb_gmime_parse(bytes, len);
            if (msg)
                g_object_unref(msg);
            g_free(bytes);
            n++;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%" G_GUINT64_FORMAT " %.3f %.0f\n", n, secs, secs > 0 ? (double)n / secs : 0.0);
    return 0;
}
