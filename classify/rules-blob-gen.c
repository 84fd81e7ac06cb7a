/*
 * rules-blob-gen - compile the rules of rules.c and write them, serialized
 * by PCRE2, as C source (rules-blob.c) for the classify library
 *
 *   mxb-rules-blob OUTPUT.c
 *
 * Run by the build (classify/CMakeLists.txt) whenever the classifier
 * changes. Its output depends on the PCRE2 it is built with; a classifier
 * that runs with another version compiles the rules itself (rx.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rx.h"

#ifdef MXB_PREFILTER
#include <hs.h>
#endif

/* The generator has no blob of its own (rules.c, linked in, names it). */
const unsigned char *const mxb_rules_blob[1] = {NULL};
const size_t mxb_rules_blob_size[1] = {0};
const size_t mxb_rules_blob_codes[1] = {0};
const size_t mxb_rules_blob_slots = 0;
const char *const mxb_rules_prefilter = NULL;
const size_t mxb_rules_prefilter_size = 0;
const unsigned char mxb_rules_prefilter_slots[1] = {0};
const size_t mxb_rules_prefilter_first[1] = {0};
const size_t mxb_rules_prefilter_ids = 0;

/* write_prefilter - the prefilter's database (rx.h) and its tables: the
 * pieces of every slot the blob keeps, numbered in a row. A slot with a
 * piece Vectorscan refuses stays out; compiled for any CPU of the family
 * (Vectorscan's runtime picks its code when it scans). */
static void write_prefilter(FILE *out, size_t n)
{
    unsigned char *in = g_new0(unsigned char, n);
    size_t *first = g_new0(size_t, n), ids = 0;
    GPtrArray **pieces = g_new0(GPtrArray *, n);
    char *bytes = NULL;
    size_t len = 0;

    for (size_t slot = 0; slot < n; slot++) {
        gboolean split = FALSE;
        const char *pattern = mxb_rule_pattern(slot, &split, NULL);
        pieces[slot] = mxb_rx_pieces(pattern, split);
        first[slot] = ids;
        ids += pieces[slot]->len;
        in[slot] = 1;
    }
#ifdef MXB_PREFILTER
    const char **patterns = g_new0(const char *, ids);
    unsigned int *flags = g_new0(unsigned int, ids), *id = g_new0(unsigned int, ids);
    size_t *owner = g_new0(size_t, ids);
    for (;;) {
        unsigned int count = 0;
        for (size_t slot = 0; slot < n; slot++) {
            gboolean utf8 = FALSE;
            mxb_rule_pattern(slot, NULL, &utf8);
            for (guint i = 0; in[slot] && i < pieces[slot]->len; i++) {
                patterns[count] = g_ptr_array_index(pieces[slot], i);
                flags[count] = HS_FLAG_PREFILTER | HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH |
                               HS_FLAG_ALLOWEMPTY | (utf8 ? HS_FLAG_UTF8 | HS_FLAG_UCP : 0);
                id[count] = (unsigned int)(first[slot] + i);
                owner[count++] = slot;
            }
        }
        if (count == 0)
            break;
        hs_platform_info_t any = {.tune = HS_TUNE_FAMILY_GENERIC, .cpu_features = 0};
        hs_database_t *db = NULL;
        hs_compile_error_t *err = NULL;
        if (hs_compile_multi(patterns, flags, id, count, HS_MODE_BLOCK, &any, &db, &err) ==
            HS_SUCCESS) {
            if (hs_serialize_database(db, &bytes, &len) != HS_SUCCESS) {
                bytes = NULL;
                len = 0;
            }
            hs_free_database(db);
            break;
        }
        fprintf(stderr, "mxb-rules-blob: prefilter: %s", err->message);
        if (err->expression < 0 || (unsigned int)err->expression >= count) {
            fprintf(stderr, "; no prefilter\n");
            hs_free_compile_error(err);
            memset(in, 0, n);
            break;
        }
        fprintf(stderr, " (slot %zu, left out)\n", owner[err->expression]);
        in[owner[err->expression]] = 0;
        hs_free_compile_error(err);
    }
    g_free(patterns);
    g_free(flags);
    g_free(id);
    g_free(owner);
#endif
    if (bytes == NULL)
        memset(in, 0, n);
    fprintf(out, "\n/* The prefilter (rx.h): %zu bytes, %zu pieces */\n", len, ids);
    if (len > 0) {
        fprintf(out, "static const char prefilter[] = {");
        for (size_t i = 0; i < len; i++)
            fprintf(out, "%s%d,", i % 16 ? " " : "\n    ", (int)(signed char)bytes[i]);
        fprintf(out, "\n};\nconst char *const mxb_rules_prefilter = prefilter;\n");
    } else {
        fprintf(out, "const char *const mxb_rules_prefilter = NULL;\n");
    }
    fprintf(out, "const size_t mxb_rules_prefilter_size = %zu;\n", len);
    fprintf(out, "const size_t mxb_rules_prefilter_ids = %zu;\n", ids);
    fprintf(out, "const unsigned char mxb_rules_prefilter_slots[] = {");
    for (size_t slot = 0; slot < n; slot++)
        fprintf(out, "%s%d,", slot % 16 ? " " : "\n    ", in[slot]);
    fprintf(out, "\n};\nconst size_t mxb_rules_prefilter_first[] = {");
    for (size_t slot = 0; slot < n; slot++)
        fprintf(out, "%s%zu,", slot % 8 ? " " : "\n    ", first[slot]);
    fprintf(out, "\n};\n");
    free(bytes); /* Vectorscan's allocator is malloc */
    for (size_t slot = 0; slot < n; slot++)
        g_ptr_array_unref(pieces[slot]);
    g_free(pieces);
    g_free(first);
    g_free(in);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mxb-rules-blob OUTPUT.c\n");
        return 2;
    }
    g_autofree char *tmp = g_strconcat(argv[1], ".tmp", NULL);
    FILE *out = fopen(tmp, "w");
    if (out == NULL) {
        perror(tmp);
        return 1;
    }

    size_t n = mxb_rule_pattern_count(), total = 0;
    size_t *sizes = g_new0(size_t, n), *counts = g_new0(size_t, n);
    fprintf(out,
            "/* Generated by mxb-rules-blob (classify/rules-blob-gen.c) from the\n"
            " * %zu patterns of classify/rules.c, PCRE2 %d.%d: do not edit. */\n"
            "#include <stddef.h>\n",
            n, PCRE2_MAJOR, PCRE2_MINOR);
    for (size_t slot = 0; slot < n; slot++) {
        gboolean split = FALSE, utf8 = FALSE;
        const char *pattern = mxb_rule_pattern(slot, &split, &utf8);
        uint8_t *bytes = mxb_rx_encode(pattern, split, utf8, &sizes[slot], &counts[slot]);
        /* PCRE2 reads the header in place: aligned as malloc's memory is */
        fprintf(out, "\n_Alignas(16) static const unsigned char slot%zu[] = {", slot);
        for (size_t i = 0; i < sizes[slot]; i++)
            fprintf(out, "%s0x%02x,", i % 16 ? " " : "\n    ", bytes[i]);
        fprintf(out, "\n};\n");
        pcre2_serialize_free(bytes);
        total += counts[slot];
    }
    fprintf(out, "\nconst unsigned char *const mxb_rules_blob[] = {");
    for (size_t slot = 0; slot < n; slot++)
        fprintf(out, "%sslot%zu,", slot % 8 ? " " : "\n    ", slot);
    fprintf(out, "\n};\nconst size_t mxb_rules_blob_size[] = {");
    for (size_t slot = 0; slot < n; slot++)
        fprintf(out, "%s%zu,", slot % 8 ? " " : "\n    ", sizes[slot]);
    fprintf(out, "\n};\n/* %zu codes in all */\nconst size_t mxb_rules_blob_codes[] = {", total);
    for (size_t slot = 0; slot < n; slot++)
        fprintf(out, "%s%zu,", slot % 8 ? " " : "\n    ", counts[slot]);
    fprintf(out, "\n};\nconst size_t mxb_rules_blob_slots = %zu;\n", n);
    write_prefilter(out, n);
    g_free(sizes);
    g_free(counts);
    if (fclose(out) != 0 || rename(tmp, argv[1]) != 0) {
        perror(argv[1]);
        return 1;
    }
    return 0;
}
