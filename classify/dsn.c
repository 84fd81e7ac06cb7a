/*
 * dsn.c - RFC 3464 field blocks, RFC 3463 status codes, SMTP reply codes
 *
 * DESCRIPTION
 *	GMime hands a message/delivery-status part over as a leaf part; its
 *	body is a sequence of header-like blocks separated by blank lines
 *	(RFC 3464 section 2). GMime's header parser stops at the first blank
 *	line, so the blocks are split here by hand: this is the one
 *	hand-written parser of the project (house style: libraries first). Everything else in
 *	this file validates untrusted text against explicit digit and length
 *	limits, in the manner of Postfix's dsn_util.c.
 *
 *	Input is never assumed to be NUL-terminated or valid UTF-8.
 */
#include <stdlib.h>
#include <string.h>

#include <mxb/classify.h>

/* field_free - free one mxb_dsn_field */
static void field_free(gpointer data)
{
    mxb_dsn_field *f = data;

    g_free(f->name);
    g_free(f->value);
    g_free(f);
}

/* block_free - free one mxb_dsn_block */
static void block_free(gpointer data)
{
    mxb_dsn_block *b = data;

    g_ptr_array_unref(b->fields);
    g_free(b);
}

/* is_blank_line - only spaces, tabs and CR */
static gboolean is_blank_line(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return FALSE;
    return TRUE;
}

/* field_name_len - length of "Name" in "Name: value", 0 if not a field line */
static size_t field_name_len(const char *p, size_t len)
{
    size_t i;

    /* RFC 5322 ftext: printable US-ASCII except colon. A name is short. */
    for (i = 0; i < len && i < 100; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == ':')
            break;
        if (c <= 32 || c >= 127)
            return 0;
    }
    if (i == 0 || i >= len || p[i] != ':')
        return 0;
    return i;
}

/* append_capped - append text to a field value, honouring the cap */
static void append_capped(GString *value, const char *p, size_t len, size_t max,
                          gboolean *truncated)
{
    if (value->len >= max) {
        if (len > 0 && truncated)
            *truncated = TRUE;
        return;
    }
    if (len > max - value->len) {
        len = max - value->len;
        if (truncated)
            *truncated = TRUE;
    }
    g_string_append_len(value, p, (gssize)len);
}

/* finish_field - trim the pending field and move it into the block */
static void finish_field(mxb_dsn_block *block, char **name, GString **value)
{
    mxb_dsn_field *f;

    if (*name == NULL)
        return;
    f = g_new0(mxb_dsn_field, 1);
    f->name = *name; /* ownership moves to f */
    f->value = g_strstrip(g_string_free(*value, FALSE));
    g_ptr_array_add(block->fields, f);
    *name = NULL;
    *value = NULL;
}

/* block_new - an empty block */
static mxb_dsn_block *block_new(void)
{
    mxb_dsn_block *b = g_new0(mxb_dsn_block, 1);

    b->fields = g_ptr_array_new_with_free_func(field_free);
    return b;
}

/* What the block being read has, kept as its fields come in: looking it
 * up again for every line cost fields x lines (a megabyte of one-line
 * runs under a Diagnostic-Code, base64 in seven status parts, took 30 s). */
typedef struct {
    gboolean final, action, status, original;
    const char *final_value; /* the first Final-Recipient's, owned by the block */
} block_seen;

/* seen_add - note the field finish_field just moved into the block */
static void seen_add(block_seen *seen, const mxb_dsn_block *b, guint before)
{
    if (b->fields->len == before)
        return;
    const mxb_dsn_field *f = g_ptr_array_index(b->fields, b->fields->len - 1);
    if (g_ascii_strcasecmp(f->name, "Final-Recipient") == 0) {
        if (!seen->final)
            seen->final_value = f->value;
        seen->final = TRUE;
    } else if (g_ascii_strcasecmp(f->name, "Action") == 0) {
        seen->action = TRUE;
    } else if (g_ascii_strcasecmp(f->name, "Status") == 0) {
        seen->status = TRUE;
    } else if (g_ascii_strcasecmp(f->name, "Original-Recipient") == 0) {
        seen->original = TRUE;
    }
}

/* starts_new_recipient - a second Final-Recipient, or an Original-Recipient
 * after a complete recipient (Final-Recipient, Action and Status, or a
 * second Original-Recipient), begins the next recipient's block. "Action,
 * Final-Recipient, Original-Recipient, Status" is still one recipient. */
static gboolean starts_new_recipient(const block_seen *seen, const char *name, size_t nlen)
{
    if (nlen == 15 && g_ascii_strncasecmp(name, "Final-Recipient", 15) == 0)
        return seen->final;
    if (nlen == 18 && g_ascii_strncasecmp(name, "Original-Recipient", 18) == 0)
        return seen->final && seen->action && (seen->status || seen->original);
    return FALSE;
}

/* A line this long or longer that a line which is no field follows was
 * cut by the reporter at its width, not at a space (docs/limits.md). */
#define BROKEN_FOLD_WIDTH 100
/* A line this long or longer that ends in '=' was broken by
 * quoted-printable (its lines are at most 76 long, docs/limits.md). */
#define QP_SOFT_BREAK_WIDTH 70

/* is_diagnostic - Diagnostic-Code, or a vendor's X-...-Diagnostic-Code */
static gboolean is_diagnostic(const char *name)
{
    size_t n = strlen(name);

    return n >= 15 && g_ascii_strcasecmp(name + n - 15, "Diagnostic-Code") == 0;
}

/* continues_diagnostic - a line that is no field may continue the
 * diagnostic above it, unless it is written as a field ("Status : 5.1.1")
 * or names an address that is not this block's recipient (the next
 * recipient's words, when the blank line between them is missing) */
static gboolean continues_diagnostic(const char *want, const char *line, size_t llen)
{
    size_t i = 0;

    while (i < llen && (g_ascii_isalnum(line[i]) || line[i] == '-'))
        i++;
    if (i > 0) {
        size_t j = i;
        while (j < llen && (line[j] == ' ' || line[j] == '\t'))
            j++;
        if (j > i && j < llen && line[j] == ':')
            return FALSE;
    }
    if (memchr(line, '@', llen) == NULL)
        return TRUE;
    if (want == NULL)
        return FALSE;
    g_autofree char *low = g_ascii_strdown(line, (gssize)llen);
    /* Every '@' of the line must belong to this recipient's address. */
    size_t wl = strlen(want);
    const char *at_in_want = strchr(want, '@');
    size_t before = at_in_want ? (size_t)(at_in_want - want) : 0;
    for (const char *at = strchr(low, '@'); at; at = strchr(at + 1, '@')) {
        if ((size_t)(at - low) < before || strncmp(at - before, want, wl) != 0)
            return FALSE;
    }
    return TRUE;
}

/* append_run_on - a continuation line of a diagnostic: with a space, or
 * none where the line before was cut inside a word (a line of
 * BROKEN_FOLD_WIDTH or more that ends in no space, the next not opening
 * a reply of its own) or at quoted-printable's soft break (a line of
 * QP_SOFT_BREAK_WIDTH or more ending in '=', not "?=" of an encoded
 * word); quoted-printable's "=20" at the end is the space it stands for */
static void append_run_on(GString *value, const char *line, size_t llen, size_t prev_len,
                          size_t max_field, gboolean *truncated)
{
    size_t vl = value->len;
    gboolean cut = prev_len >= BROKEN_FOLD_WIDTH && !g_ascii_isspace(value->str[vl - 1]) &&
                   !mxb_reply_code_at(line, line + llen);

    if (vl >= 3 &&
        (strcmp(value->str + vl - 3, "=20") == 0 || strcmp(value->str + vl - 3, "=09") == 0)) {
        g_string_truncate(value, vl - 3);
        cut = FALSE;
    } else if (value->str[vl - 1] == '=' && prev_len >= QP_SOFT_BREAK_WIDTH &&
               (vl < 2 || value->str[vl - 2] != '?')) {
        g_string_truncate(value, vl - 1);
        cut = TRUE;
    }
    if (!cut)
        append_capped(value, " ", 1, max_field, truncated);
    append_capped(value, line, llen, max_field, truncated);
}

/* mxb_dsn_parse_blocks - split a delivery-status body into field blocks */
GPtrArray *mxb_dsn_parse_blocks(const char *p, size_t len, size_t max_field, gboolean *truncated)
{
    GPtrArray *blocks = g_ptr_array_new_with_free_func(block_free);
    mxb_dsn_block *block = NULL;
    char *name = NULL;
    GString *value = NULL;
    size_t pos = 0, last_len = 0;
    block_seen seen = {0};
    /* The block's recipient, lower case, for the lines that may run on a
     * diagnostic: parsed once a block, not again for each line (a megabyte
     * of "@" lines under a diagnostic took 75 s). */
    g_autofree char *want = NULL;
    const char *want_of = NULL;
    gboolean want_known = FALSE;

    while (pos < len) {
        const char *line = p + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t llen = nl ? (size_t)(nl - line) : len - pos;

        pos += llen + (nl ? 1 : 0);
        if (llen > 0 && line[llen - 1] == '\r')
            llen--;
        size_t prev_len = last_len;
        last_len = llen;

        if (is_blank_line(line, llen)) {
            if (block) {
                finish_field(block, &name, &value);
                if (block->fields->len > 0)
                    g_ptr_array_add(blocks, block);
                else
                    block_free(block);
                block = NULL;
            }
            seen = (block_seen){0};
            want_known = FALSE;
            continue;
        }
        if ((line[0] == ' ' || line[0] == '\t') && name != NULL) {
            /* Folded continuation: unfold to one space. */
            size_t skip = 0;
            while (skip < llen && (line[skip] == ' ' || line[skip] == '\t'))
                skip++;
            append_capped(value, " ", 1, max_field, truncated);
            append_capped(value, line + skip, llen - skip, max_field, truncated);
            continue;
        }
        size_t nlen = field_name_len(line, llen);
        if (nlen == 0) {
            /* A diagnostic that runs on over lines that are not folded
             * (Gmail's global-delivery-status cuts long lines at a fixed
             * width, even inside a word or a link): they are its words.
             * Any other line that is no field is skipped. */
            if (name != NULL && value != NULL && is_diagnostic(name) && value->len > 0) {
                if (!want_known || want_of != seen.final_value) {
                    g_autofree char *addr =
                        seen.final_value ? mxb_dsn_address(seen.final_value) : NULL;
                    g_free(want);
                    want = addr ? g_ascii_strdown(addr, -1) : NULL;
                    want_of = seen.final_value;
                    want_known = TRUE;
                }
                if (continues_diagnostic(want, line, llen))
                    append_run_on(value, line, llen, prev_len, max_field, truncated);
            }
            continue;
        }
        if (block == NULL)
            block = block_new();
        guint before = block->fields->len;
        finish_field(block, &name, &value);
        seen_add(&seen, block, before);
        if (starts_new_recipient(&seen, line, nlen)) {
            /* Blank line missing between two recipients. */
            g_ptr_array_add(blocks, block);
            block = block_new();
            seen = (block_seen){0};
            want_known = FALSE;
        }
        name = g_strndup(line, nlen);
        value = g_string_new(NULL);
        size_t vs = nlen + 1; /* the cap counts the value, not the space after the colon */
        while (vs < llen && (line[vs] == ' ' || line[vs] == '\t'))
            vs++;
        append_capped(value, line + vs, llen - vs, max_field, truncated);
    }
    if (block) {
        finish_field(block, &name, &value);
        if (block->fields->len > 0)
            g_ptr_array_add(blocks, block);
        else
            block_free(block);
    }
    return blocks;
}

/* mxb_dsn_block_get - first value of a named field */
const char *mxb_dsn_block_get(const mxb_dsn_block *block, const char *name)
{
    for (guint i = 0; i < block->fields->len; i++) {
        const mxb_dsn_field *f = g_ptr_array_index(block->fields, i);
        if (g_ascii_strcasecmp(f->name, name) == 0)
            return f->value;
    }
    return NULL;
}

/* mxb_dsn_strip_comments - remove (comments), honouring nesting and quotes */
char *mxb_dsn_strip_comments(const char *s)
{
    GString *out = g_string_sized_new(strlen(s));
    int depth = 0;
    gboolean quoted = FALSE;

    for (const char *cp = s; *cp; cp++) {
        if (*cp == '\\' && cp[1] != '\0') {
            if (depth == 0)
                g_string_append_len(out, cp, 2);
            cp++;
            continue;
        }
        if (!quoted && *cp == '(') {
            /* Depth is bounded by the field cap; no recursion. */
            depth++;
            continue;
        }
        if (!quoted && *cp == ')' && depth > 0) {
            depth--;
            if (depth == 0)
                g_string_append_c(out, ' ');
            continue;
        }
        if (depth == 0) {
            if (*cp == '"')
                quoted = !quoted;
            g_string_append_c(out, *cp);
        }
    }
    return g_strstrip(g_string_free(out, FALSE));
}

/* unitext - "\x{F6}" escapes of RFC 6533's utf-8-addr-xtext (also
 * written under the rfc822 type when a report is downgraded: "rfc822;
 * m\x{F8}x@xn--...") as the UTF-8 they stand for; an escape of an ASCII
 * or control character, a surrogate or no character at all stays as
 * written. Takes and returns an owned string. */
static char *unitext(char *addr)
{
    if (strstr(addr, "\\x{") == NULL)
        return addr;
    GString *out = g_string_sized_new(strlen(addr));
    for (const char *cp = addr; *cp;) {
        const char *end = NULL;
        gunichar c = 0;
        if (g_str_has_prefix(cp, "\\x{")) {
            const char *hex = cp + 3;
            for (end = hex; g_ascii_isxdigit(*end) && end - hex < 6; end++)
                c = c * 16 + (gunichar)g_ascii_xdigit_value(*end);
            if (end == hex || *end != '}')
                c = 0;
        }
        if (c >= 0xa0 && g_unichar_validate(c)) {
            g_string_append_unichar(out, c);
            cp = end + 1;
        } else {
            g_string_append_c(out, *cp++);
        }
    }
    g_free(addr);
    return g_string_free(out, FALSE);
}

/* mxb_dsn_address - bare address from "type; address", its RFC 6533
 * escapes decoded */
char *mxb_dsn_address(const char *value)
{
    g_autofree char *bare = mxb_dsn_strip_comments(value);
    const char *semi = strchr(bare, ';');
    const char *addr = bare;
    char *out;
    size_t n;

    /* "rfc822; a@b", "utf-8; a@b", "X-Unknown; a@b": the type has no '@'. */
    if (semi != NULL && memchr(bare, '@', (size_t)(semi - bare)) == NULL)
        addr = semi + 1;
    while (*addr == ' ' || *addr == '\t' || *addr == '<')
        addr++;
    g_auto(GStrv) words = NULL;
    const char *q = *addr == '"' ? strchr(addr + 1, '"') : NULL;
    if (q != NULL) {
        /* A quoted local part may hold spaces: keep it whole up to the
         * first space or '>' after the closing quote. */
        n = (size_t)(q - addr) + 1 + strcspn(q + 1, " \t>");
        words = g_new0(char *, 2);
        words[0] = g_strndup(addr, n);
        addr = words[0];
    } else {
        /* Several words ("|/usr/bin/prog a@b /home/x"): the one with an '@'. */
        words = g_strsplit_set(addr, " \t", -1);
        addr = NULL;
        for (char **w = words; *w && addr == NULL; w++)
            if (strchr(*w, '@') != NULL)
                addr = *w;
        if (addr == NULL)
            addr = words[0] ? words[0] : "";
        while (*addr == '<')
            addr++;
    }
    /* RFC 5321 source route "@relay:user@domain": keep the mailbox. */
    if (*addr == '@' && strchr(addr, ':') != NULL)
        addr = strrchr(addr, ':') + 1;
    n = strlen(addr);
    while (n > 0 &&
           (addr[n - 1] == '>' || addr[n - 1] == '.' || addr[n - 1] == ',' || addr[n - 1] == ';'))
        n--;
    /* A fully quoted address loses its quotes; a quoted local part keeps them. */
    if (n >= 2 && addr[0] == '"' && addr[n - 1] == '"') {
        addr++;
        n -= 2;
    }
    /* An address needs something before the '@'. */
    if (n == 0 || addr[0] == '@')
        return NULL;
    out = g_strndup(addr, n);
    return unitext(out);
}

/* digits - count of ASCII digits at s, at most max+1 */
static size_t digits(const char *s, size_t max)
{
    size_t n = 0;

    while (n <= max && g_ascii_isdigit(s[n]))
        n++;
    return n;
}

/* status_at - RFC 3463 code exactly at s; returns its length or 0 */
static size_t status_at(const char *s, char out[12])
{
    size_t n1, n2;

    if (s[0] != '2' && s[0] != '4' && s[0] != '5')
        return 0;
    if (s[1] != '.')
        return 0;
    n1 = digits(s + 2, 3);
    if (n1 == 0 || n1 > 3 || s[2 + n1] != '.')
        return 0;
    n2 = digits(s + 3 + n1, 3);
    if (n2 == 0 || n2 > 3)
        return 0;
    size_t end = 3 + n1 + n2;
    /* Not the start of a longer dotted number such as an IPv4 address. */
    if (s[end] == '.' && g_ascii_isdigit(s[end + 1]))
        return 0;
    g_snprintf(out, 12, "%c.%d.%d", s[0], atoi(s + 2), atoi(s + 3 + n1));
    return end;
}

/* mxb_status_parse - RFC 3463 code at the start of s */
gboolean mxb_status_parse(const char *s, char out[12])
{
    if (s == NULL)
        return FALSE;
    while (*s == ' ' || *s == '\t')
        s++;
    return status_at(s, out) > 0;
}

/* Which codes the searches below take: any class, or failures (4, 5) */
enum { ANY_CLASS, FAILURE_ONLY };

/* taken - out is a code of the classes asked for */
static gboolean taken(const char out[12], int classes)
{
    return classes == ANY_CLASS || out[0] != '2';
}

/* find_status - the first status code in text of the classes asked for;
 * with specific, the first that is not c.0.0 */
static gboolean find_status(const char *text, char out[12], gboolean specific, int classes)
{
    if (text == NULL)
        return FALSE;
    for (const char *cp = text; *cp; cp++) {
        /* "550-5.1.1" is a code after a reply code; "x-5.1.1" is not. */
        if (cp > text && (g_ascii_isalnum(cp[-1]) || cp[-1] == '.' ||
                          (cp[-1] == '-' && (cp - text < 4 || !g_ascii_isdigit(cp[-2])))))
            continue;
        if (status_at(cp, out) > 0 && taken(out, classes) &&
            (!specific || !g_str_has_suffix(out, ".0.0")))
            return TRUE;
    }
    return FALSE;
}

/* mxb_status_find - first RFC 3463 code in free text */
gboolean mxb_status_find(const char *text, char out[12])
{
    return find_status(text, out, FALSE, ANY_CLASS);
}

/* status_best - prefer the code that follows a reply code */
static gboolean status_best(const char *text, char out[12], int classes)
{
    char generic[12] = "";

    if (text == NULL)
        return FALSE;
    for (const char *cp = text; *cp; cp++) {
        /* "550 5.7.1", "550-5.7.1", "550-'5.7.1", "550 '5.7.1" */
        if ((cp[0] != '4' && cp[0] != '5') || !g_ascii_isdigit(cp[1]) || !g_ascii_isdigit(cp[2]) ||
            (cp > text && g_ascii_isalnum(cp[-1])))
            continue;
        const char *q = cp + 3;
        if (*q != ' ' && *q != '-')
            continue;
        q++;
        if (*q == '\'' || *q == '"')
            q++;
        if (status_at(q, out) > 0 && taken(out, classes)) {
            /* "550 5.0.0 <a@b>... #5.1.1 bad address": a c.0.0 says
             * nothing, so a more specific code later in the text wins */
            if (!g_str_has_suffix(out, ".0.0"))
                return TRUE;
            if (generic[0] == '\0')
                g_strlcpy(generic, out, sizeof generic);
        }
    }
    if (generic[0] != '\0') {
        if (!find_status(text, out, TRUE, classes))
            g_strlcpy(out, generic, 12);
        return TRUE;
    }
    return find_status(text, out, FALSE, classes);
}

gboolean mxb_status_find_best(const char *text, char out[12])
{
    return status_best(text, out, ANY_CLASS);
}

gboolean mxb_failure_status_find(const char *text, char out[12])
{
    return status_best(text, out, FAILURE_ONLY);
}

/* code_find - first reply code of class first_class or above (2, 4) */
static int code_find(const char *text, char first_class)
{
    if (text == NULL)
        return 0;
    for (const char *cp = text; *cp; cp++) {
        if ((*cp != '2' && *cp != '4' && *cp != '5') || *cp < first_class)
            continue;
        if (cp > text && (g_ascii_isalnum(cp[-1]) || cp[-1] == '.' || cp[-1] == '-' ||
                          cp[-1] == ':' || cp[-1] == '/' || cp[-1] == '+' || cp[-1] == '_'))
            continue; /* part of a word, a number, a time, a path or a code ("LPN007_517") */
        if (!g_ascii_isdigit(cp[1]) || !g_ascii_isdigit(cp[2]))
            continue;
        /* A reply code is followed by space, '-', or the end. */
        if (cp[3] != '\0' && cp[3] != ' ' && cp[3] != '-' && cp[3] != '\t')
            continue;
        /* "550-5.1.1" is a code; "2026-11-26" is not (4 digits, excluded
         * above), and neither is a port in "25-". Second digit 0-5. */
        if (cp[1] > '5')
            continue;
        return (cp[0] - '0') * 100 + (cp[1] - '0') * 10 + (cp[2] - '0');
    }
    return 0;
}

gboolean mxb_reply_code_at(const char *p, const char *end)
{
    return end - p >= 4 && (*p == '4' || *p == '5') && g_ascii_isdigit(p[1]) &&
           g_ascii_isdigit(p[2]) && (p[3] == ' ' || p[3] == '-');
}

/* mxb_smtp_code_find - first SMTP reply code (2xx-5xx) in free text, or 0 */
int mxb_smtp_code_find(const char *text)
{
    return code_find(text, '2');
}

/* mxb_smtp_failure_code_find - first 4xx or 5xx reply code, or 0 */
int mxb_smtp_failure_code_find(const char *text)
{
    return code_find(text, '4');
}

/* mxb_text_clean - valid UTF-8, single line, no control characters, capped */
char *mxb_text_clean(const char *p, size_t len, size_t max, gboolean *cut)
{
    g_autofree char *jis = NULL;

    /* Raw ISO-2022-JP (ESC $ B ... ESC ( B) where only ASCII belongs, in a
     * DSN field or an unlabelled text: Japanese servers write that. */
    if (memchr(p, 0x1b, len) != NULL && g_strstr_len(p, (gssize)len, "\x1b$B") != NULL) {
        gsize n = 0;
        jis = g_convert(p, (gssize)len, "UTF-8", "ISO-2022-JP", NULL, &n, NULL);
        if (jis != NULL) {
            p = jis;
            len = n;
        }
    }
    g_autofree char *valid = g_utf8_make_valid(p, (gssize)len);
    GString *out = g_string_sized_new(MIN(strlen(valid), max) + 1);
    gboolean space = FALSE;

    for (const char *cp = valid; *cp; cp++) {
        unsigned char c = (unsigned char)*cp;
        if (c < 0x20 || c == 0x7f || c == ' ') {
            space = out->len > 0;
            continue;
        }
        if (c == 0xC2 && (unsigned char)cp[1] >= 0x80 && (unsigned char)cp[1] <= 0x9F) {
            /* C1 control character U+0080..U+009F (two bytes in UTF-8). */
            cp++;
            space = out->len > 0;
            continue;
        }
        if (space) {
            g_string_append_c(out, ' ');
            space = FALSE;
        }
        g_string_append_c(out, (char)c);
    }
    if (out->len > max) {
        /* Cut at a character boundary. */
        const char *end = out->str + max;
        while (end > out->str && ((unsigned char)*end & 0xC0) == 0x80)
            end--;
        g_string_truncate(out, (gsize)(end - out->str));
        while (out->len > 0 && out->str[out->len - 1] == ' ')
            g_string_truncate(out, out->len - 1);
        if (cut)
            *cut = TRUE;
    }
    return g_string_free(out, FALSE);
}
