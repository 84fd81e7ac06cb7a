/*
 * rx.h - the text rules' regular expressions, through PCRE2 itself
 *
 * The rules of rules.c (and the subject patterns of nonstandard.c,
 * mxb_pattern) are compiled when the project is built:
 * rules-blob-gen.c writes them, serialized by PCRE2, into rules-blob.c,
 * one set of codes per rule (its slot). A process decodes a slot the
 * first time a text reaches it, which costs a memcpy where compiling the
 * rules cost about 0.4 ms of every process that classifies one message.
 *
 * In the blob a rule is kept as its alternatives (its pattern split at
 * the top-level '|'), each compiled alone, and a text matches the rule
 * when it matches one of them. PCRE2's interpreter tries every
 * alternative of one large alternation at every position of the text
 * that could start one; an alternative alone starts only where its own
 * first letters stand. On a 150-byte diagnostic, the 107 alternatives of
 * the unknown-user rule took 107 us as one pattern and 18 us one by one.
 * A process that asked for the JIT (mxb_classify_set_optimize) compiles
 * each rule whole instead, as machine code, where the large alternation
 * is fastest; so does a process whose PCRE2 is not the one that made the
 * blob (pcre2_serialize_decode refuses it). A process that asked for the
 * JIT also asks the prefilter (below) which pieces a text may match.
 *
 * GRegex, which the rest of the classifier uses, cannot be made from a
 * compiled pattern, so the rules are matched with PCRE2's API, with the
 * options GRegex gives PCRE2 for G_REGEX_CASELESS | G_REGEX_RAW.
 */
#ifndef MXB_CLASSIFY_RX_H
#define MXB_CLASSIFY_RX_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <glib.h>
#include <pcre2.h>

/* mxb_rx_compile - pattern compiled as GRegex compiles it with
 * G_REGEX_CASELESS | G_REGEX_RAW: bytes, case-insensitive, and Unicode
 * properties for \b, \w and case, a byte above 0x7f being read as the
 * Latin-1 character of that code (GLib sets PCRE2_UCP); but only CR and
 * LF end a line (GRegex's "any newline" also took 0x85, a continuation
 * byte of many UTF-8 characters, where '.' stopped). With utf8, as GRegex compiles it with
 * G_REGEX_CASELESS alone: UTF-8 characters, and a text that is not UTF-8 matches nothing. Aborts on
 * a bad pattern: the patterns are ours, a bad one is a build defect that the unit tests catch. */
pcre2_code *mxb_rx_compile(const char *pattern, gboolean utf8);

/* mxb_rx_compile_with - the same with more PCRE2 compile options
 * (PCRE2_USE_OFFSET_LIMIT for a pattern read within a bound) */
pcre2_code *mxb_rx_compile_with(const char *pattern, gboolean utf8, uint32_t options);

/* mxb_rx_alternatives - pattern split at its top-level '|' (not in a
 * group, a character class or an escape), each alternative a new string;
 * NULL when splitting could change what matches: a pattern with a
 * backreference or subroutine call (group numbers change), an option
 * setting such as "(?i)" (it reaches into the alternatives after it), a
 * comment or \Q...\E quoting. Free with g_ptr_array_unref. */
GPtrArray *mxb_rx_alternatives(const char *pattern);

/* mxb_rx_pieces - what the blob keeps of pattern: its alternatives when
 * split (and it splits), else the pattern whole, one string */
GPtrArray *mxb_rx_pieces(const char *pattern, gboolean split);

/* mxb_rx_encode - pattern compiled and serialized by PCRE2, as its
 * alternatives when split (and it splits) or else whole; *count is the
 * number of codes. A pattern not split (its match is read: the phase)
 * is compiled with PCRE2_USE_OFFSET_LIMIT, for mxb_rx_match_within.
 * Free with pcre2_serialize_free. */
uint8_t *mxb_rx_encode(const char *pattern, gboolean split, gboolean utf8, size_t *size,
                       size_t *count);

/* mxb_rx_decode - the count codes that PCRE2 serialized into blob,
 * decoded; NULL when blob is empty, holds another count, or was made by
 * another version of PCRE2. Owned by caller, each code and the array. */
pcre2_code **mxb_rx_decode(const unsigned char *blob, size_t size, size_t count);

/* mxb_rx_match - whether re matches text (NUL-terminated) anywhere; the
 * whole match's offsets in *start and *end when they are not NULL. A
 * match that exceeds PCRE2's limits is no match, as in GRegex. */
gboolean mxb_rx_match(const pcre2_code *re, const char *text, size_t *start, size_t *end);

/* mxb_rx_match_within - the same for a match that starts no further than
 * limit bytes into text (PCRE2's offset limit: the search reads no start
 * past it); re compiled with PCRE2_USE_OFFSET_LIMIT. PCRE2_UNSET: no
 * bound. */
gboolean mxb_rx_match_within(const pcre2_code *re, const char *text, size_t limit, size_t *start,
                             size_t *end);

/* The blob (rules-blob.c, generated): for each of mxb_rules_blob_slots
 * slots, its serialized codes, their size and count. No slots in the
 * generator itself. */
extern const unsigned char *const mxb_rules_blob[];
extern const size_t mxb_rules_blob_size[];
extern const size_t mxb_rules_blob_codes[];
extern const size_t mxb_rules_blob_slots;

/* mxb_rule_pattern_count, mxb_rule_pattern - every pattern of rules.c
 * (text rules, provider words and codes, the union of the codes, the
 * SMTP phase, Sendmail's echo) and nonstandard.c's subjects
 * (mxb_pattern), in the order of the blob's slots; *split (may be NULL)
 * says whether only whether it matches is asked, so that its
 * alternatives may stand alone (not the phase, whose words are read),
 * *utf8 (may be NULL) whether it reads UTF-8 (the subjects) */
size_t mxb_rule_pattern_count(void);
const char *mxb_rule_pattern(size_t slot, gboolean *split, gboolean *utf8);

/*
 * The prefilter (prefilter.c; MXB_PREFILTER, CMakeLists.txt). A rule
 * tried on a text costs a scan of the text, and a text that no rule
 * names is scanned by every rule in turn: in a batch of the corpus the
 * rules' 12,000 scans of 690 texts were a sixth of all the time. The
 * build also compiles every piece the blob keeps (each alternative of a
 * split rule, or the rule whole) into one Vectorscan database in
 * prefilter mode (HS_FLAG_PREFILTER: a piece matches wherever its
 * pattern does, and maybe where it does not: lookarounds and
 * backreferences are widened). A process that asked for the JIT scans
 * each text once with it and tries with PCRE2 only the pieces it names,
 * from the blob (a rule's large alternation, even by the JIT, took
 * 12 us to confirm a match; its one alternative far less). PCRE2 still
 * decides: the results are the same, the prefilter only skips what
 * cannot match.
 *
 * Only texts of printable ASCII, tabs and line feeds are prefiltered
 * (MXB_PREFILTER_TEXT_MAX bytes at most): on them the two engines agree
 * on case, \b, \w, \s and '$' (and the subjects' UTF-8 patterns fold
 * U+017F and the Kelvin sign to s and k in both; PCRE2 folds no other
 * letter to ASCII). Elsewhere PCRE2's UCP reading of bytes above 0x7f
 * (a Latin-1 letter is a word character, 0xa0 a space) and its newlines
 * (a '$' before a final CR) could match where Vectorscan does not, and
 * Vectorscan's UTF-8 patterns need valid UTF-8, so every rule is tried
 * there as before, whole. A slot with a piece Vectorscan refuses (\R,
 * for one) would stay out of the database; none does.
 *
 * The pieces are interpreted, where a whole rule was matched by the JIT:
 * a text that reached PCRE2's limits (the interpreter's match and heap
 * limits, the JIT's stack) could read otherwise, as between a process
 * that classifies one message (the pieces, interpreted) and a batch
 * before; no rule repeats a group (test_rx), which is what reaches them.
 */
#define MXB_PREFILTER_TEXT_MAX 65536

/* The database (rules-blob.c): serialized, empty when the project was
 * built without the prefilter or Vectorscan refused every piece; for each of
 * mxb_rules_blob_slots slots, 1 when the slot is in it, and the id of
 * its first piece (its pieces are numbered in a row, as many as
 * mxb_rules_blob_codes says); mxb_rules_prefilter_ids pieces in all. */
extern const char *const mxb_rules_prefilter;
extern const size_t mxb_rules_prefilter_size;
extern const unsigned char mxb_rules_prefilter_slots[];
extern const size_t mxb_rules_prefilter_first[];
extern const size_t mxb_rules_prefilter_ids;

/* mxb_prefilter_read - the prefilter's answer for text: a bit for each
 * piece (by id) that may match it; NULL when there is no answer (no
 * prefilter in this process, a text it does not prefilter). The last
 * text's answer is kept (a copy of the text, per thread): the rules are
 * tried on one text in turn. Valid until the thread's next call. */
const guint64 *mxb_prefilter_read(const char *text);

/* mxb_prefilter_bit - piece id's bit in an answer */
static inline gboolean mxb_prefilter_bit(const guint64 *maybe, size_t id)
{
    return (maybe[id / 64] >> (id % 64)) & 1;
}

/* mxb_prefilter_allows - FALSE when the prefilter shows that no piece of
 * slot can match text; TRUE when one may, when text is not prefiltered
 * (above) or the slot is not in the database, and when the process has
 * no prefilter */
gboolean mxb_prefilter_allows(size_t slot, const char *text);

/* mxb_prefilter_misses - the first slot with a piece that matches text
 * but that the prefilter says cannot (a defect), or -1; for tests */
int mxb_prefilter_misses(const char *text);

/* How rules.c and the prefilter meet. The prefilter (prefilter.c) is
 * linked only into programs that call mxb_classify_set_optimize(), which
 * lives there: a program that classifies one message at a time
 * (mxbounce-record) does not carry Vectorscan's runtime (4.8 MB) nor
 * resolve its CPU dispatchers at every start. mxb_classify_set_optimize
 * hands rules.c its reader; rules.c hands the tests its pieces. */
typedef const guint64 *(*mxb_prefilter_reader)(const char *text);

/* mxb_rules_set_optimize - optimize, and the prefilter's reader (NULL:
 * none); fixed once the rules have read it */
void mxb_rules_set_optimize(gboolean on, mxb_prefilter_reader reader);

/* mxb_rule_pieces - how many pieces of slot came from the blob, -1 when
 * the blob is not used; mxb_rule_piece_match - whether one matches text;
 * mxb_rule_whole_match - whether the slot's rule matches text as a
 * process without the prefilter tries it */
int mxb_rule_pieces(size_t slot);
gboolean mxb_rule_piece_match(size_t slot, size_t piece, const char *text);
gboolean mxb_rule_whole_match(size_t slot, const char *text);

/* mxb_prefilter_active - whether this process reads the database: built
 * with it, and Vectorscan took it (not when another version or a CPU
 * that lacks what Vectorscan needs meets it) */
gboolean mxb_prefilter_active(void);

/* mxb_classify_set_precompiled - whether the rules come from the blob
 * (the default) or are compiled at run time, as when the blob is made by
 * another PCRE2; for tests, before any rule is used */
void mxb_classify_set_precompiled(gboolean on);

/* mxb_classify_precompiled - whether a rule came from the blob */
gboolean mxb_classify_precompiled(void);

#endif
