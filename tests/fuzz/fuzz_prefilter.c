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
 * reach (the first 64), so that libFuzzer keeps inputs that reach other
 * rules (PCRE2 and Vectorscan are not instrumented: their coverage is not
 * seen) */
static void reached(size_t slot)
{
    static volatile unsigned hits[64];

    switch (slot) {
#define C(n)                                                                                       \
    case n:                                                                                        \
        hits[n]++;                                                                                 \
        break;
        C(0)
        C(1)
        C(2)
        C(3)
        C(4)
        C(5)
        C(6)
        C(7)
        C(8)
        C(9)
        C(10)
        C(11)
        C(12)
        C(13)
        C(14)
        C(15)
        C(16)
        C(17)
        C(18)
        C(19)
        C(20)
        C(21)
        C(22)
        C(23)
        C(24)
        C(25)
        C(26)
        C(27)
        C(28)
        C(29)
        C(30)
        C(31)
        C(32)
        C(33)
        C(34)
        C(35)
        C(36)
        C(37)
        C(38)
        C(39)
        C(40)
        C(41)
        C(42)
        C(43)
        C(44)
        C(45)
        C(46)
        C(47)
        C(48)
        C(49)
        C(50)
        C(51)
        C(52)
        C(53)
        C(54)
        C(55)
        C(56)
        C(57)
        C(58)
        C(59)
        C(60)
        C(61)
        C(62)
        C(63)
#undef C
    default:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#ifdef MXB_PREFILTER
    if (!mxb_prefilter_active())
        abort(); /* the database was refused: nothing would be checked */
#endif
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
