/*
 * mxb/verp.h - signed VERP tokens: who sent the message a report is about
 *
 * SYNOPSIS
 *	#include <mxb/verp.h>
 *
 *	char *mxb_verp_make(const mxb_verp_keyring *kr, const mxb_verp_token *t,
 *			    const char *recipient, GError **err);
 *	mxb_verp_verdict mxb_verp_check(const mxb_verp_keyring *kr, const char *token,
 *					const char *recipient, guint today,
 *					mxb_verp_token *out);
 *
 * DESCRIPTION
 *	The sending app puts a token in the envelope sender,
 *	PREFIX+TOKEN@BOUNCE_DOMAIN. TOKEN is the lowercase RFC 4648 base32
 *	(no padding) of 30 bytes:
 *
 *	  0	version (high 4 bits, MXB_VERP_VERSION) | flags (low 4 bits:
 *		MXB_VERP_FLAG_LIST the reference is a list id, not a message
 *		id; MXB_VERP_FLAG_BOUND the MAC covers the recipient)
 *	  1	key id
 *	  2-9	account id, unsigned, big-endian
 *	  10-17	message or list id, unsigned, big-endian
 *	  18-19	day the token was made, days since 1970-01-01 UTC
 *	  20-29	HMAC-SHA256(key, bytes 0-19 [+ address key of the
 *		recipient when bound]), first 10 bytes
 *
 *	48 characters, so the local part "b+TOKEN" stays far below the 64
 *	octets RFC 5321 allows. Case does not matter when checking: MTAs that
 *	fold the envelope to upper case still deliver verifiable tokens. The
 *	token holds no personal data; a bound token proves the report is
 *	about the address the message went to (docs/verp.md).
 *
 *	The SQL function mxbounce.verp_token() (db/sql) makes the same bytes.
 *
 *	mxb_address_key() is how addresses are compared everywhere: the
 *	domain lower-cased and IDN domains in their ASCII (A-label) form;
 *	the local part lower-cased (mail systems treat it case-insensitively
 *	in practice, RFC 5321 section 2.4 notwithstanding).
 *
 * DIAGNOSTICS
 *	mxb_verp_check() never fails in any other way than its verdict; the
 *	fields in *out are filled in whenever the token decodes, for the log.
 */
#ifndef MXB_VERP_H
#define MXB_VERP_H

#include <glib.h>

G_BEGIN_DECLS

#define MXB_VERP_VERSION 1
#define MXB_VERP_FLAG_LIST 0x1
#define MXB_VERP_FLAG_BOUND 0x2
#define MXB_VERP_PAYLOAD_LEN 20
#define MXB_VERP_MAC_LEN 10 /* 80 bits: 2^80 guesses per forged token */
#define MXB_VERP_RAW_LEN (MXB_VERP_PAYLOAD_LEN + MXB_VERP_MAC_LEN)
#define MXB_VERP_TOKEN_LEN 48 /* base32 of 30 bytes */
/* A key shorter than 128 bits is refused; 256 bits are recommended. */
#define MXB_VERP_KEY_MIN 16
#define MXB_VERP_KEY_MAX 64
#define MXB_VERP_KEYS 256 /* key ids 0..255 */
/* Reports come back within days (Postfix gives up after 5); complaints
 * and late auto-replies within weeks. Older tokens are not trusted. */
#define MXB_VERP_DEFAULT_MAX_AGE 60
#define MXB_VERP_MAX_MAX_AGE 3650
/* Characters of [verp] prefix, the local part before the '+' */
#define MXB_VERP_PREFIX_MAX 15
/* Clock skew between the app's hosts and ours. */
#define MXB_VERP_FUTURE_DAYS 1
/* The longest address mxb_address_key() looks at (RFC 5321: 254). */
#define MXB_ADDRESS_MAX 320

typedef struct mxb_verp_keyring {
    GBytes *keys[MXB_VERP_KEYS]; /* NULL where no key has that id */
    int signing;                 /* key id for new tokens, -1 when no key */
    int max_age;                 /* days */
    char *prefix;                /* local part before the delimiter, "b" */
    char *domain;                /* the bounce domain, or NULL */
} mxb_verp_keyring;

typedef struct mxb_verp_token {
    guint8 version;
    guint8 flags; /* MXB_VERP_FLAG_* */
    guint8 key_id;
    guint64 account;
    guint64 ref; /* message id, or list id with MXB_VERP_FLAG_LIST */
    guint16 day;
} mxb_verp_token;

typedef enum {
    MXB_VERP_NONE = 0,    /* no token in the address */
    MXB_VERP_OK,          /* verified */
    MXB_VERP_MALFORMED,   /* not 48 base32 characters or wrong version */
    MXB_VERP_UNKNOWN_KEY, /* no key with that id is configured */
    MXB_VERP_BAD_MAC,     /* forged or tampered */
    MXB_VERP_EXPIRED,     /* older than max_age days */
    MXB_VERP_FUTURE,      /* made after tomorrow */
    MXB_VERP_NO_RECIPIENT /* bound, and no recipient to check it against */
} mxb_verp_verdict;

/* mxb_verp_keyring_new - empty keyring with the defaults; owned by caller */
mxb_verp_keyring *mxb_verp_keyring_new(void);

/* mxb_verp_keyring_free - NULL is fine; key bytes are wiped */
void mxb_verp_keyring_free(mxb_verp_keyring *kr);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(mxb_verp_keyring, mxb_verp_keyring_free)

/* mxb_verp_keyring_add - key id from base64 text; 0 or -1 with err */
int mxb_verp_keyring_add(mxb_verp_keyring *kr, int id, const char *base64, GError **err);

/* mxb_verp_today - days since 1970-01-01 UTC */
guint mxb_verp_today(void);

/*
 * mxb_verp_make - the token for t, signed with the key t->key_id (which
 * must be configured; t->version is ignored, tokens are made in
 * MXB_VERP_VERSION). recipient is required when t->flags has
 * MXB_VERP_FLAG_BOUND. Returns the 48 characters, owned by the caller,
 * or NULL with err.
 */
char *mxb_verp_make(const mxb_verp_keyring *kr, const mxb_verp_token *t, const char *recipient,
                    GError **err);

/*
 * mxb_verp_check - verify token (any case) on day today; recipient is
 * the address the report is about (may be NULL; needed for bound tokens).
 * *out is filled in whenever the token decodes.
 */
mxb_verp_verdict mxb_verp_check(const mxb_verp_keyring *kr, const char *token,
                                const char *recipient, guint today, mxb_verp_token *out);

/* mxb_verp_verdict_name - "verified", "forged", ...; static */
const char *mxb_verp_verdict_name(mxb_verp_verdict v);

/*
 * mxb_verp_token_of - the token in an envelope recipient
 * "prefix+TOKEN@domain" (the first '+' of the local part), or NULL when
 * there is none; owned by the caller.
 */
char *mxb_verp_token_of(const char *address);

/*
 * mxb_address_key - the comparison form of an address (see above), or
 * NULL when it is not an address (no '@', empty parts, longer than
 * MXB_ADDRESS_MAX, a domain IDNA cannot convert); owned by the caller.
 */
char *mxb_address_key(const char *address);

G_END_DECLS

#endif
