/*
 * verp.c - signed VERP tokens and the comparison form of addresses
 *
 * The token layout is in mxb/verp.h and docs/verp.md. GLib has HMAC
 * (GHmac) and base64 but no base32: the 30 lines of RFC 4648 base32 here
 * are written by hand, as is the constant-time comparison of the MAC.
 */
#include <string.h>
#include <time.h>

#include <mxb/verp.h>

static const char b32_alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";

/* b32_encode - RFC 4648 base32, lower case, no padding; len % 5 == 0 */
static void b32_encode(const guint8 *in, size_t len, char *out)
{
    size_t o = 0;

    for (size_t i = 0; i < len; i += 5) {
        guint64 v = 0;
        for (int j = 0; j < 5; j++)
            v = v << 8 | in[i + (size_t)j];
        for (int j = 7; j >= 0; j--)
            out[o++] = b32_alphabet[(v >> (j * 5)) & 31];
    }
    out[o] = '\0';
}

/* b32_value - value of one base32 character in either case, or -1 */
static int b32_value(char c)
{
    c = g_ascii_tolower(c);
    if (c >= 'a' && c <= 'z')
        return c - 'a';
    if (c >= '2' && c <= '7')
        return c - '2' + 26;
    return -1;
}

/* b32_decode - exactly MXB_VERP_TOKEN_LEN characters into 30 bytes */
static gboolean b32_decode(const char *in, guint8 out[MXB_VERP_RAW_LEN])
{
    if (strlen(in) != MXB_VERP_TOKEN_LEN)
        return FALSE;
    for (size_t i = 0, o = 0; i < MXB_VERP_TOKEN_LEN; i += 8) {
        guint64 v = 0;
        for (size_t j = 0; j < 8; j++) {
            int d = b32_value(in[i + j]);
            if (d < 0)
                return FALSE;
            v = v << 5 | (guint64)d;
        }
        for (int j = 4; j >= 0; j--)
            out[o++] = (guint8)(v >> (j * 8));
    }
    return TRUE;
}

/* put_be / get_be - big-endian integers of n bytes */
static void put_be(guint8 *p, guint64 v, int n)
{
    for (int i = n - 1; i >= 0; i--, v >>= 8)
        p[i] = (guint8)v;
}

static guint64 get_be(const guint8 *p, int n)
{
    guint64 v = 0;

    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* mac - HMAC-SHA256 of the payload (and the bound address), truncated */
static void mac(GBytes *key, const guint8 payload[MXB_VERP_PAYLOAD_LEN], const char *bound,
                guint8 out[MXB_VERP_MAC_LEN])
{
    gsize klen;
    const guint8 *k = g_bytes_get_data(key, &klen);
    g_autoptr(GHmac) h = g_hmac_new(G_CHECKSUM_SHA256, k, klen);
    guint8 digest[32];
    gsize dlen = sizeof(digest);

    g_hmac_update(h, payload, MXB_VERP_PAYLOAD_LEN);
    if (bound)
        g_hmac_update(h, (const guchar *)bound, (gssize)strlen(bound));
    g_hmac_get_digest(h, digest, &dlen);
    memcpy(out, digest, MXB_VERP_MAC_LEN);
}

/* mxb_verp_keyring_new - no keys, default age and prefix */
mxb_verp_keyring *mxb_verp_keyring_new(void)
{
    mxb_verp_keyring *kr = g_new0(mxb_verp_keyring, 1);

    kr->signing = -1;
    kr->max_age = MXB_VERP_DEFAULT_MAX_AGE;
    kr->prefix = g_strdup("b");
    return kr;
}

/* mxb_verp_keyring_free - wipe the keys and free */
void mxb_verp_keyring_free(mxb_verp_keyring *kr)
{
    if (kr == NULL)
        return;
    for (int i = 0; i < MXB_VERP_KEYS; i++)
        if (kr->keys[i]) {
            gsize n;
            /* GBytes made by g_bytes_new_take() own writable memory. */
            guint8 *p = (guint8 *)g_bytes_get_data(kr->keys[i], &n);
            memset(p, 0, n);
            g_bytes_unref(kr->keys[i]);
        }
    g_free(kr->prefix);
    g_free(kr->domain);
    g_free(kr);
}

/* mxb_verp_keyring_add - decode a base64 key and store it under id */
int mxb_verp_keyring_add(mxb_verp_keyring *kr, int id, const char *base64, GError **err)
{
    g_autofree char *text = g_strstrip(g_strdup(base64));
    gsize n = 0;
    guint8 *key;

    if (id < 0 || id >= MXB_VERP_KEYS) {
        g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                    "key id %d is outside 0..%d", id, MXB_VERP_KEYS - 1);
        return -1;
    }
    for (const char *c = text; *c; c++)
        if (!g_ascii_isalnum(*c) && *c != '+' && *c != '/' && *c != '=') {
            g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                        "key %d is not base64", id);
            return -1;
        }
    key = g_base64_decode(text, &n);
    memset(text, 0, strlen(text));
    if (n < MXB_VERP_KEY_MIN || n > MXB_VERP_KEY_MAX) {
        memset(key, 0, n);
        g_free(key);
        g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                    "key %d has %zu bytes; keys have %d to %d (mxbounce verp new-key makes one)",
                    id, (size_t)n, MXB_VERP_KEY_MIN, MXB_VERP_KEY_MAX);
        return -1;
    }
    if (kr->keys[id]) {
        g_bytes_unref(kr->keys[id]);
    }
    kr->keys[id] = g_bytes_new_take(key, n);
    return 0;
}

/* mxb_verp_today - days since the epoch, UTC */
guint mxb_verp_today(void)
{
    return (guint)(time(NULL) / 86400);
}

/* mxb_verp_make - build and sign a token */
char *mxb_verp_make(const mxb_verp_keyring *kr, const mxb_verp_token *t, const char *recipient,
                    GError **err)
{
    guint8 raw[MXB_VERP_RAW_LEN];
    g_autofree char *bound = NULL;
    char *out;

    if (kr->keys[t->key_id] == NULL) {
        g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                    "no key with id %u is configured", t->key_id);
        return NULL;
    }
    if (t->flags & ~(MXB_VERP_FLAG_LIST | MXB_VERP_FLAG_BOUND)) {
        g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "unknown flags");
        return NULL;
    }
    if (t->flags & MXB_VERP_FLAG_BOUND) {
        bound = mxb_address_key(recipient);
        if (bound == NULL) {
            g_set_error(err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                        "a bound token needs the recipient's address");
            return NULL;
        }
    }
    raw[0] = (guint8)(MXB_VERP_VERSION << 4 | t->flags);
    raw[1] = t->key_id;
    put_be(raw + 2, t->account, 8);
    put_be(raw + 10, t->ref, 8);
    put_be(raw + 18, t->day, 2);
    mac(kr->keys[t->key_id], raw, bound, raw + MXB_VERP_PAYLOAD_LEN);
    out = g_malloc(MXB_VERP_TOKEN_LEN + 1);
    b32_encode(raw, sizeof(raw), out);
    return out;
}

/* mxb_verp_check - decode, find the key, compare the MAC, check the age */
mxb_verp_verdict mxb_verp_check(const mxb_verp_keyring *kr, const char *token,
                                const char *recipient, guint today, mxb_verp_token *out)
{
    guint8 raw[MXB_VERP_RAW_LEN], want[MXB_VERP_MAC_LEN];
    g_autofree char *bound = NULL;
    guint8 diff = 0;

    memset(out, 0, sizeof(*out));
    if (token == NULL || *token == '\0')
        return MXB_VERP_NONE;
    if (!b32_decode(token, raw) || raw[0] >> 4 != MXB_VERP_VERSION ||
        (raw[0] & 0xf & ~(MXB_VERP_FLAG_LIST | MXB_VERP_FLAG_BOUND)) != 0)
        return MXB_VERP_MALFORMED;
    out->version = raw[0] >> 4;
    out->flags = raw[0] & 0xf;
    out->key_id = raw[1];
    out->account = get_be(raw + 2, 8);
    out->ref = get_be(raw + 10, 8);
    out->day = (guint16)get_be(raw + 18, 2);
    if (kr->keys[out->key_id] == NULL)
        return MXB_VERP_UNKNOWN_KEY;
    if (out->flags & MXB_VERP_FLAG_BOUND) {
        bound = mxb_address_key(recipient);
        if (bound == NULL)
            return MXB_VERP_NO_RECIPIENT;
    }
    mac(kr->keys[out->key_id], raw, bound, want);
    for (int i = 0; i < MXB_VERP_MAC_LEN; i++)
        diff |= want[i] ^ raw[MXB_VERP_PAYLOAD_LEN + i];
    if (diff != 0)
        return MXB_VERP_BAD_MAC;
    if (out->day > today + MXB_VERP_FUTURE_DAYS)
        return MXB_VERP_FUTURE;
    if (today > out->day && today - out->day > (guint)kr->max_age)
        return MXB_VERP_EXPIRED;
    return MXB_VERP_OK;
}

/* mxb_verp_verdict_name - the word for logs and the database */
const char *mxb_verp_verdict_name(mxb_verp_verdict v)
{
    switch (v) {
    case MXB_VERP_NONE:
        return "none";
    case MXB_VERP_OK:
        return "verified";
    case MXB_VERP_MALFORMED:
        return "malformed";
    case MXB_VERP_UNKNOWN_KEY:
        return "unknown_key";
    case MXB_VERP_BAD_MAC:
        return "bad_mac";
    case MXB_VERP_EXPIRED:
        return "expired";
    case MXB_VERP_FUTURE:
        return "future";
    case MXB_VERP_NO_RECIPIENT:
        return "no_recipient";
    }
    return "none";
}

/* mxb_verp_token_of - what follows the first '+' of the local part */
char *mxb_verp_token_of(const char *address)
{
    const char *at, *plus;

    if (address == NULL)
        return NULL;
    at = strrchr(address, '@');
    plus = strchr(address, '+');
    if (plus == NULL || (at != NULL && plus > at))
        return NULL;
    return g_strndup(plus + 1, at ? (gsize)(at - plus - 1) : strlen(plus + 1));
}

/* mxb_address_key - lower-cased address with an ASCII domain */
char *mxb_address_key(const char *address)
{
    g_autofree char *a = NULL, *domain = NULL;
    char *at, *start, *end;

    if (address == NULL || !g_utf8_validate(address, -1, NULL))
        return NULL;
    a = g_strstrip(g_strdup(address));
    if (strlen(a) > MXB_ADDRESS_MAX) /* bytes, after the blanks around */
        return NULL;
    start = a;
    end = a + strlen(a);
    if (*start == '<' && end > start && end[-1] == '>') {
        start++;
        *--end = '\0';
    }
    at = strrchr(start, '@');
    if (at == NULL || at == start || at[1] == '\0')
        return NULL;
    *at = '\0';
    /* Spaces only inside a quoted local part; control characters never. */
    gboolean quoted = at - start >= 2 && *start == '"' && at[-1] == '"';
    for (char *c = start; *c; c++)
        if ((guchar)*c < ' ' || *c == 0x7f || (*c == ' ' && !quoted))
            return NULL;
    if (g_str_is_ascii(at + 1))
        domain = g_strdup(at + 1);
    else if ((domain = g_hostname_to_ascii(at + 1)) == NULL)
        return NULL;
    for (char *c = domain; *c; c++)
        if ((guchar)*c <= ' ' || *c == '@' || *c == 0x7f)
            return NULL;
    size_t dl = strlen(domain);
    while (dl > 0 && domain[dl - 1] == '.')
        domain[--dl] = '\0';
    if (dl == 0)
        return NULL;
    for (char *c = start; *c; c++)
        *c = g_ascii_tolower(*c);
    for (char *c = domain; *c; c++)
        *c = g_ascii_tolower(*c);
    return g_strconcat(start, "@", domain, NULL);
}
