/*
 * prefilter.c - the text rules' prefilter: one Vectorscan scan of a text
 * names the rules that may match it (rx.h says why and when)
 */
#include <string.h>

#include <mxb/classify.h>

#include "rx.h"

#ifdef MXB_PREFILTER
#include <hs_runtime.h>
#endif

void mxb_classify_set_optimize(gboolean on)
{
    mxb_rules_set_optimize(on, mxb_prefilter_read);
}

int mxb_prefilter_misses(const char *text)
{
    /* valid throughout: the rules' matching does not read the prefilter */
    const guint64 *maybe = mxb_prefilter_read(text);

    for (size_t slot = 0; maybe != NULL && slot < mxb_rules_blob_slots; slot++) {
        if (!mxb_rules_prefilter_slots[slot])
            continue;
        int pieces = mxb_rule_pieces(slot);
        size_t first = mxb_rules_prefilter_first[slot];
        gboolean named = FALSE;
        for (size_t i = 0; i < mxb_rules_blob_codes[slot]; i++) {
            gboolean bit = mxb_prefilter_bit(maybe, first + i);
            named |= bit;
            if (!bit && pieces >= 0 && mxb_rule_piece_match(slot, i, text))
                return (int)slot;
        }
        if (!named && mxb_rule_whole_match(slot, text))
            return (int)slot;
    }
    return -1;
}

#ifdef MXB_PREFILTER

static hs_database_t *db; /* NULL: no prefilter */

/* One per thread: Vectorscan's scratch, and the last text with the
 * pieces that may match it */
typedef struct {
    hs_scratch_t *scratch;
    char *text; /* a copy; NULL before the first */
    size_t len;
    gboolean prefiltered; /* the text is of the kind that is (rx.h) */
    guint64 *maybe;       /* a bit for each piece */
} prefilter_state;

static void state_free(gpointer p)
{
    prefilter_state *st = p;

    hs_free_scratch(st->scratch);
    g_free(st->text);
    g_free(st->maybe);
    g_free(st);
}

static GPrivate state_key = G_PRIVATE_INIT(state_free);

static size_t words(void)
{
    return (mxb_rules_prefilter_ids + 63) / 64;
}

/* database - deserialized once per process; NULL when there is none or
 * Vectorscan refuses it */
static hs_database_t *database(void)
{
    static gsize done;

    if (g_once_init_enter(&done)) {
        hs_database_t *d = NULL;
        /* On a CPU below what Vectorscan's runtime needs, its
         * dispatcher answers HS_ARCH_ERROR: no prefilter */
        if (mxb_rules_prefilter_size > 0 &&
            hs_deserialize_database(mxb_rules_prefilter, mxb_rules_prefilter_size, &d) !=
                HS_SUCCESS)
            d = NULL;
        db = d;
        g_once_init_leave(&done, 1);
    }
    return db;
}

gboolean mxb_prefilter_active(void)
{
    return database() != NULL;
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                    unsigned int flags, void *ctx)
{
    guint64 *maybe = ctx;

    (void)from, (void)to, (void)flags;
    if (id < mxb_rules_prefilter_ids)
        maybe[id / 64] |= G_GUINT64_CONSTANT(1) << (id % 64);
    return 0;
}

/* plain - whether text is of the kind that is prefiltered (rx.h) */
static gboolean plain(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c < 0x20 && c != '\t' && c != '\n') || c > 0x7e)
            return FALSE;
    }
    return TRUE;
}

const guint64 *mxb_prefilter_read(const char *text)
{
    if (database() == NULL)
        return NULL;
    size_t len = strlen(text);
    if (len > MXB_PREFILTER_TEXT_MAX)
        return NULL;

    prefilter_state *st = g_private_get(&state_key);
    if (st == NULL) {
        st = g_new0(prefilter_state, 1);
        st->maybe = g_new0(guint64, words());
        if (hs_alloc_scratch(db, &st->scratch) != HS_SUCCESS) {
            state_free(st); /* no memory: every rule is tried */
            return NULL;
        }
        g_private_set(&state_key, st);
    }
    if (st->text == NULL || st->len != len || memcmp(st->text, text, len) != 0) {
        g_free(st->text);
        st->text = g_malloc(len + 1);
        memcpy(st->text, text, len + 1);
        st->len = len;
        st->prefiltered = plain(text, len);
        memset(st->maybe, 0, words() * sizeof *st->maybe);
        if (st->prefiltered &&
            hs_scan(db, text, (unsigned int)len, 0, st->scratch, on_match, st->maybe) != HS_SUCCESS)
            st->prefiltered = FALSE; /* every rule is tried */
    }
    return st->prefiltered ? st->maybe : NULL;
}

gboolean mxb_prefilter_allows(size_t slot, const char *text)
{
    if (slot >= mxb_rules_blob_slots || !mxb_rules_prefilter_slots[slot])
        return TRUE;
    const guint64 *maybe = mxb_prefilter_read(text);
    if (maybe == NULL)
        return TRUE;
    for (size_t i = 0; i < mxb_rules_blob_codes[slot]; i++)
        if (mxb_prefilter_bit(maybe, mxb_rules_prefilter_first[slot] + i))
            return TRUE;
    return FALSE;
}

#else /* no prefilter */

gboolean mxb_prefilter_active(void)
{
    return FALSE;
}

const guint64 *mxb_prefilter_read(const char *text)
{
    (void)text;
    return NULL;
}

gboolean mxb_prefilter_allows(size_t slot, const char *text)
{
    (void)slot, (void)text;
    return TRUE;
}

#endif
