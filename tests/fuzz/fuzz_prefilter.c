/*
 * fuzz_prefilter - the text rules' prefilter (classify/rx.h) against
 * PCRE2: no rule that matches a text may be one the prefilter skipped.
 * The input becomes a text the prefilter reads (printable ASCII, tabs,
 * line feeds): a byte outside those is mapped into them, so that the
 * fuzzer's mutations stay meaningful; texts of other bytes are not
 * prefiltered at all.
 */
#include <stdlib.h>

#include <mxb/classify.h>

#include "fuzz.h"
#include "rx.h"

/* reached - an edge of its own for each slot the prefilter lets a text
 * reach, so that libFuzzer keeps inputs that reach other rules (PCRE2 and
 * Vectorscan are not instrumented: their coverage is not seen) */
static void reached(size_t slot)
{
    static volatile unsigned hits[8];

    switch (slot % 8) {
    case 0:
        hits[0]++;
        break;
    case 1:
        hits[1]++;
        break;
    case 2:
        hits[2]++;
        break;
    case 3:
        hits[3]++;
        break;
    case 4:
        hits[4]++;
        break;
    case 5:
        hits[5]++;
        break;
    case 6:
        hits[6]++;
        break;
    default:
        hits[7]++;
        break;
    }
    switch (slot / 8) {
    case 0:
        hits[0]++;
        break;
    case 1:
        hits[1]++;
        break;
    case 2:
        hits[2]++;
        break;
    case 3:
        hits[3]++;
        break;
    case 4:
        hits[4]++;
        break;
    case 5:
        hits[5]++;
        break;
    case 6:
        hits[6]++;
        break;
    default:
        hits[7]++;
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MXB_PREFILTER_TEXT_MAX)
        return 0;
    char *text = g_malloc(size + 1);
    for (size_t i = 0; i < size; i++) {
        uint8_t c = data[i];
        text[i] = (char)((c >= 0x20 && c <= 0x7e) || c == '\t' || c == '\n' ? c : 0x20 + c % 95);
    }
    text[size] = '\0';
    int slot = mxb_prefilter_misses(text);
    for (size_t i = 0; i < mxb_rule_pattern_count(); i++)
        if (mxb_prefilter_allows(i, text))
            reached(i);
    g_free(text);
    if (slot >= 0)
        abort(); /* the prefilter skipped a slot that matches */
    return 0;
}
