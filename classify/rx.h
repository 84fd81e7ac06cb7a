/*
 * rx.h - the text rules' regular expressions, through PCRE2 itself
 *
 * The rules of rules.c are compiled when the project is built
 * (rules-blob-gen.c writes them, serialized by PCRE2, into rules-blob.c)
 * and decoded at run time, which costs a memcpy where compiling them
 * cost about 0.4 ms of every process that classifies one message.
 * GRegex, which the rest of the classifier uses, cannot be made from a
 * compiled pattern, so the rules are matched with PCRE2's own API, with
 * the options GRegex gives PCRE2 for G_REGEX_CASELESS | G_REGEX_RAW.
 */
#ifndef MXB_CLASSIFY_RX_H
#define MXB_CLASSIFY_RX_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <glib.h>
#include <pcre2.h>

/* mxb_rx_compile - pattern compiled as GRegex compiles it with
 * G_REGEX_CASELESS | G_REGEX_RAW: bytes, ASCII case-insensitive, any
 * newline convention. Aborts on a bad pattern: the patterns are ours, a
 * bad one is a build defect that the unit tests catch. */
pcre2_code *mxb_rx_compile(const char *pattern);

/* mxb_rx_decode - the count patterns that PCRE2 serialized into blob,
 * decoded; NULL when blob is empty, holds another count, or was made by
 * another version of PCRE2 (then the caller compiles). Owned by caller,
 * each code and the array. */
pcre2_code **mxb_rx_decode(const unsigned char *blob, size_t size, size_t count);

/* mxb_rx_match - whether re matches text (NUL-terminated) anywhere; the
 * whole match's offsets in *start and *end when they are not NULL. A
 * match that exceeds PCRE2's limits is no match, as in GRegex. */
gboolean mxb_rx_match(const pcre2_code *re, const char *text, size_t *start, size_t *end);

/* The rules' patterns serialized at build time (rules-blob.c, generated);
 * size 0 in the generator itself. */
extern const unsigned char mxb_rules_blob[];
extern const size_t mxb_rules_blob_size;

/* mxb_rule_pattern_count, mxb_rule_pattern - every pattern of rules.c
 * (text rules, provider words and codes, the union of the codes, the
 * SMTP phase), in the order of the blob */
size_t mxb_rule_pattern_count(void);
const char *mxb_rule_pattern(size_t slot);

/* mxb_classify_set_precompiled - whether the rules come from the blob
 * (the default) or are compiled at run time, as when the blob is made by
 * another PCRE2; for tests, before any rule is used */
void mxb_classify_set_precompiled(gboolean on);

/* mxb_classify_precompiled - whether the rules came from the blob (once
 * a rule was used) */
gboolean mxb_classify_precompiled(void);

#endif
