/*
 * test_verp.c - signed VERP tokens, address keys and the [verp] config
 */
#include "unit.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include <mxb/config.h>
#include <mxb/verp.h>

/* Key 1: bytes 0..31; key 7: bytes 32..63 (base64 below). */
#define KEY1 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
#define KEY7 "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="
/* The known answers, computed independently (Python hmac + base32);
 * db/sql's mxbounce.verp_token() must give the same
 * (tests/integration/verp.sh). */
#define KA_MESSAGE "caaqaaaaaaaaaabkaaaaaaaaclliotra2vgacmz523rumddi"
#define KA_BOUND "cmdqaaaaaaaaaabkaaaaaaaaaaaaotraniv3ctlddsm7gwuw"

static mxb_verp_keyring *ring(void)
{
    mxb_verp_keyring *kr = mxb_verp_keyring_new();

    assert_int_equal(mxb_verp_keyring_add(kr, 1, KEY1, NULL), 0);
    assert_int_equal(mxb_verp_keyring_add(kr, 7, KEY7, NULL), 0);
    kr->signing = 7;
    return kr;
}

static char *make(const mxb_verp_keyring *kr, guint8 key, guint8 flags, guint64 account,
                  guint64 ref, guint16 day, const char *rcpt)
{
    mxb_verp_token t = {.key_id = key, .flags = flags, .account = account, .ref = ref, .day = day};
    g_autoptr(GError) err = NULL;
    char *tok = mxb_verp_make(kr, &t, rcpt, &err);

    if (tok == NULL)
        fail_msg("mxb_verp_make: %s", err->message);
    return tok;
}

static void test_known_answers(void **state)
{
    (void)state;
    g_autoptr(mxb_verp_keyring) kr = ring();
    g_autofree char *a = make(kr, 1, 0, 42, 1234567, 20000, NULL);
    g_autofree char *b =
        make(kr, 7, MXB_VERP_FLAG_LIST | MXB_VERP_FLAG_BOUND, 42, 7, 20000, "Bob@Example.COM");

    assert_string_equal(a, KA_MESSAGE);
    assert_string_equal(b, KA_BOUND);
    assert_int_equal(strlen(a), MXB_VERP_TOKEN_LEN);
}

static void test_round_trip(void **state)
{
    (void)state;
    g_autoptr(mxb_verp_keyring) kr = ring();
    static const struct {
        guint8 key, flags;
        guint64 account, ref;
        guint16 day;
    } cases[] = {
        {1, 0, 0, 0, 20000},
        {7, MXB_VERP_FLAG_LIST, 1, 2, 20001},
        {7, 0, G_MAXUINT64, G_MAXUINT64, 20002},
        {1, MXB_VERP_FLAG_LIST, 123456789012345, 99, 19999},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *tok = make(kr, cases[i].key, cases[i].flags, cases[i].account,
                                    cases[i].ref, cases[i].day, NULL);
        mxb_verp_token t;
        g_autofree char *upper = g_ascii_strup(tok, -1);
        assert_int_equal(mxb_verp_check(kr, tok, NULL, 20002, &t), MXB_VERP_OK);
        assert_int_equal(t.key_id, cases[i].key);
        assert_int_equal(t.flags, cases[i].flags);
        assert_true(t.account == cases[i].account);
        assert_true(t.ref == cases[i].ref);
        assert_int_equal(t.day, cases[i].day);
        /* MTAs that upper-case the envelope still deliver good tokens */
        assert_int_equal(mxb_verp_check(kr, upper, NULL, 20002, &t), MXB_VERP_OK);
    }
}

static void test_tampered(void **state)
{
    (void)state;
    g_autoptr(mxb_verp_keyring) kr = ring();
    g_autofree char *tok = make(kr, 7, 0, 42, 1234567, 20000, NULL);
    mxb_verp_token t;

    /* Every character changed to another base32 character: never verified. */
    for (size_t i = 0; i < MXB_VERP_TOKEN_LEN; i++) {
        g_autofree char *bad = g_strdup(tok);
        bad[i] = bad[i] == 'q' ? 'r' : 'q';
        mxb_verp_verdict v = mxb_verp_check(kr, bad, NULL, 20000, &t);
        if (v == MXB_VERP_OK)
            fail_msg("character %zu changed, still verified: %s", i, bad);
    }
    /* A payload changed: the MAC no longer matches. */
    g_autofree char *acct = g_strdup(tok);
    acct[12] = acct[12] == 'a' ? 'b' : 'a';
    assert_int_equal(mxb_verp_check(kr, acct, NULL, 20000, &t), MXB_VERP_BAD_MAC);
    /* The MAC changed. */
    g_autofree char *m = g_strdup(tok);
    m[47] = m[47] == 'a' ? 'b' : 'a';
    assert_int_equal(mxb_verp_check(kr, m, NULL, 20000, &t), MXB_VERP_BAD_MAC);
}

static void test_malformed(void **state)
{
    (void)state;
    g_autoptr(mxb_verp_keyring) kr = ring();
    g_autofree char *tok = make(kr, 7, 0, 42, 1234567, 20000, NULL);
    g_autofree char *shorter = g_strndup(tok, MXB_VERP_TOKEN_LEN - 1);
    g_autofree char *longer = g_strconcat(tok, "a", NULL);
    g_autofree char *digit = g_strdup(tok);
    g_autofree char *version2 = g_strdup(tok);
    mxb_verp_token t;

    digit[5] = '1';    /* not in the alphabet */
    version2[0] = 'e'; /* version nibble 2 */
    assert_int_equal(mxb_verp_check(kr, NULL, NULL, 20000, &t), MXB_VERP_NONE);
    assert_int_equal(mxb_verp_check(kr, "", NULL, 20000, &t), MXB_VERP_NONE);
    assert_int_equal(mxb_verp_check(kr, shorter, NULL, 20000, &t), MXB_VERP_MALFORMED);
    assert_int_equal(mxb_verp_check(kr, longer, NULL, 20000, &t), MXB_VERP_MALFORMED);
    assert_int_equal(mxb_verp_check(kr, digit, NULL, 20000, &t), MXB_VERP_MALFORMED);
    assert_int_equal(mxb_verp_check(kr, version2, NULL, 20000, &t), MXB_VERP_MALFORMED);
    assert_int_equal(mxb_verp_check(kr, "tok", NULL, 20000, &t), MXB_VERP_MALFORMED);
}

static void test_keys_and_age(void **state)
{
    (void)state;
    g_autoptr(mxb_verp_keyring) kr = ring();
    g_autoptr(mxb_verp_keyring) other = mxb_verp_keyring_new();
    g_autofree char *tok = make(kr, 1, 0, 42, 1, 20000, NULL);
    mxb_verp_token t;

    /* Same id, another key: forged. No key with the id: unknown. */
    assert_int_equal(mxb_verp_keyring_add(other, 1, KEY7, NULL), 0);
    assert_int_equal(mxb_verp_check(other, tok, NULL, 20000, &t), MXB_VERP_BAD_MAC);
    g_autoptr(mxb_verp_keyring) none = mxb_verp_keyring_new();
    assert_int_equal(mxb_verp_check(none, tok, NULL, 20000, &t), MXB_VERP_UNKNOWN_KEY);
    assert_int_equal(t.account, 42); /* fields are there for the log */

    /* Age: max_age days old is fine, one more is expired. */
    assert_int_equal(kr->max_age, MXB_VERP_DEFAULT_MAX_AGE);
    assert_int_equal(mxb_verp_check(kr, tok, NULL, 20000 + MXB_VERP_DEFAULT_MAX_AGE, &t),
                     MXB_VERP_OK);
    assert_int_equal(mxb_verp_check(kr, tok, NULL, 20000 + MXB_VERP_DEFAULT_MAX_AGE + 1, &t),
                     MXB_VERP_EXPIRED);
    kr->max_age = 5;
    assert_int_equal(mxb_verp_check(kr, tok, NULL, 20006, &t), MXB_VERP_EXPIRED);
    /* Clock skew: a token of tomorrow is fine, of the day after not. */
    assert_int_equal(mxb_verp_check(kr, tok, NULL, 20000 - MXB_VERP_FUTURE_DAYS, &t), MXB_VERP_OK);
    assert_int_equal(mxb_verp_check(kr, tok, NULL, 20000 - MXB_VERP_FUTURE_DAYS - 1, &t),
                     MXB_VERP_FUTURE);
}

static void test_bound(void **state)
{
    (void)state;
    g_autoptr(mxb_verp_keyring) kr = ring();
    g_autofree char *tok = make(kr, 7, MXB_VERP_FLAG_BOUND, 42, 1, 20000, "bob@bücher.example");
    mxb_verp_token t;

    assert_int_equal(mxb_verp_check(kr, tok, "bob@bücher.example", 20000, &t), MXB_VERP_OK);
    assert_int_equal(mxb_verp_check(kr, tok, "<BOB@xn--bcher-kva.example.>", 20000, &t),
                     MXB_VERP_OK);
    assert_int_equal(mxb_verp_check(kr, tok, "alice@bücher.example", 20000, &t), MXB_VERP_BAD_MAC);
    assert_int_equal(mxb_verp_check(kr, tok, NULL, 20000, &t), MXB_VERP_NO_RECIPIENT);
    assert_int_equal(mxb_verp_check(kr, tok, "not an address", 20000, &t), MXB_VERP_NO_RECIPIENT);

    /* A bound token needs a recipient to be made. */
    mxb_verp_token b = {.key_id = 7, .flags = MXB_VERP_FLAG_BOUND};
    g_autoptr(GError) err = NULL;
    assert_null(mxb_verp_make(kr, &b, NULL, &err));
    assert_non_null(err);
    g_clear_error(&err);
    b.key_id = 3; /* no such key */
    assert_null(mxb_verp_make(kr, &b, "a@b.example", &err));
    assert_non_null(err);
}

static void test_address_key(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"Bob@Example.COM", "bob@example.com"},
        {"  <Bob@Example.com>  ", "bob@example.com"},
        {"bob@example.com.", "bob@example.com"},
        {"bob@example.com..", "bob@example.com"},
        {"\t bob@example.com \f\r\n", "bob@example.com"},
        {"bob@example.com\v", NULL}, /* \v is no blank to GLib nor to SQL's key */
        {"bob@bücher.example", "bob@xn--bcher-kva.example"},
        {"bob@BÜCHER.example", "bob@xn--bcher-kva.example"},
        {"\"Bob Smith\"@example.com", "\"bob smith\"@example.com"},
        {"user+tag@Example.com", "user+tag@example.com"},
        {"a@b@example.com", "a@b@example.com"},   /* the last @ splits */
        {"josé@example.com", "josé@example.com"}, /* non-ASCII local: as is */
        {"", NULL},
        {"bob", NULL},
        {"@example.com", NULL},
        {"bob@", NULL},
        {"bob@.", NULL},
        {"bo b@example.com", NULL},
        {"bob@exa mple.com", NULL},
        {"bob\x01@example.com", NULL},
        {"bob@\xff.example", NULL},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *got = mxb_address_key(cases[i].in);
        if (g_strcmp0(got, cases[i].want) != 0)
            fail_msg("address_key(%s): got %s, want %s", cases[i].in, got ? got : "NULL",
                     cases[i].want ? cases[i].want : "NULL");
    }
    assert_null(mxb_address_key(NULL));
    /* MXB_ADDRESS_MAX, and one past it */
    g_autofree char *local = g_strnfill(MXB_ADDRESS_MAX - 12, 'a');
    g_autofree char *at_max = g_strconcat(local, "@example.com", NULL);
    g_autofree char *past = g_strconcat(local, "a@example.com", NULL);
    assert_int_equal(strlen(at_max), MXB_ADDRESS_MAX);
    g_autofree char *k = mxb_address_key(at_max);
    assert_non_null(k);
    assert_null(mxb_address_key(past));
}

static void test_token_of(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"b+abc@bounces.example.com", "abc"},
        {"b+ABC@bounces.example.com", "ABC"},
        {"b+a+c@bounces.example.com", "a+c"},
        {"b+@bounces.example.com", ""},
        {"b@bounces.example.com", NULL},
        {"b@bou+nces.example.com", NULL},
        {"b+abc", "abc"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *got = mxb_verp_token_of(cases[i].in);
        if (g_strcmp0(got, cases[i].want) != 0)
            fail_msg("token_of(%s): got %s, want %s", cases[i].in, got ? got : "NULL",
                     cases[i].want ? cases[i].want : "NULL");
    }
    assert_null(mxb_verp_token_of(NULL));
}

/* load_conf - write text to a temporary file and load it */
static int load_conf(const char *text, mxb_config **cfg, GError **err)
{
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("mxb-verp-XXXXXX.conf", &path, NULL);
    int rc;

    assert_true(fd >= 0);
    close(fd);
    assert_true(g_file_set_contents(path, text, -1, NULL));
    assert_int_equal(g_chmod(path, 0600), 0); /* it may hold keys */
    rc = mxb_config_load(cfg, path, err);
    g_unlink(path);
    return rc;
}

/* load_mode - write text to a temporary file of that mode and load it */
static int load_mode(const char *text, int mode, GError **err)
{
    g_autofree char *path = NULL;
    g_autoptr(mxb_config) cfg = NULL;
    int fd = g_file_open_tmp("mxb-mode-XXXXXX.conf", &path, NULL);

    assert_true(fd >= 0);
    close(fd);
    assert_true(g_file_set_contents(path, text, -1, NULL));
    assert_int_equal(g_chmod(path, mode), 0);
    int rc = mxb_config_load(&cfg, path, err);
    g_unlink(path);
    return rc;
}

/* A file others can read is refused while it holds a secret; one others
 * can change, always. */
static void test_config_mode(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int mode;
        const char *error; /* a word of the error, or NULL: loads */
    } cases[] = {
        {"[database]\nconninfo = dbname=x\n", 0644, NULL},
        {"[database]\nconninfo = dbname=x password=s3cr3t\n", 0644, "anyone may read"},
        {"[database]\nconninfo = dbname=x password = s3cr3t\n", 0604, "anyone may read"},
        {"[database]\nconninfo = password=s3cr3t\n", 0644, "anyone may read"},
        {"[database]\nconninfo = dbname=x password=s3cr3t\n", 0640, NULL},
        {"[database]\nconninfo = dbname=x password=s3cr3t\n", 0600, NULL},
        /* on the safe side: any "password" counts */
        {"[database]\nconninfo = dbname=x passwordx=s3cr3t\n", 0644, "anyone may read"},
        {"[database]\nconninfo = dbname='x'password=s3cr3t\n", 0644, "anyone may read"},
        {"[database]\nconninfo = dbname=x\\npassword=s3cr3t\n", 0644, "anyone may read"},
        {"[database]\nconninfo = dbname=x sslpassword=s3cr3t\n", 0644, "anyone may read"},
        {"[database]\nconninfo = dbname=x PASSWORD=s3cr3t\n", 0644, "anyone may read"},
        {"[database]\nconninfo = postgresql://u:pa?s3cr3t@db.example/mx\n", 0644,
         "anyone may read"},
        {"[database]\nconninfo = postgresql://u@db.example/mx?%70assword=s3cr3t\n", 0644,
         "anyone may read"},
        {"[database]\nconninfo = postgresql://u:s3cr3t@db.example/mx\n", 0644, "anyone may read"},
        {"[database]\nconninfo = postgres://u@db.example/mx?password=s3cr3t\n", 0644,
         "anyone may read"},
        {"[database]\nconninfo = postgresql://u@db.example:5432/mx\n", 0644, NULL},
        {"[database]\nconninfo = dbname=x\n[verp]\nkey.1 = " KEY1 "\n", 0644, "VERP keys"},
        {"[database]\nconninfo = dbname=x\n[verp]\nkey.1 = " KEY1 "\n", 0640, NULL},
        {"[database]\nconninfo = dbname=x\n", 0602, "anyone may change"},
        {"[database]\nconninfo = dbname=x\n", 0666, "anyone may change"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) err = NULL;
        int rc = load_mode(cases[i].text, cases[i].mode, &err);
        if (cases[i].error == NULL && rc != 0)
            fail_msg("case %zu: %s", i, err->message);
        if (cases[i].error != NULL && (rc == 0 || strstr(err->message, cases[i].error) == NULL))
            fail_msg("case %zu: want an error with \"%s\", got %s", i, cases[i].error,
                     rc == 0 ? "success" : err->message);
        if (rc != 0 && strstr(err->message, "s3cr3t") != NULL)
            fail_msg("case %zu: the error shows the password: %s", i, err->message);
    }
}

static void test_config(void **state)
{
    (void)state;
    static const struct {
        const char *verp;  /* the [verp] group's lines */
        const char *error; /* a word of the error, or NULL: loads */
    } cases[] = {
        {"", NULL},
        {"key.1 = " KEY1 "\nkey.7 = " KEY7 "\n", NULL},
        {"key.1 = " KEY1 "\nsigning_key = 1\nmax_age_days = 30\nprefix = bnc\n"
         "domain = bounces.example.com\n",
         NULL},
        {"key.256 = " KEY1 "\n", "key ids"},
        {"key.x = " KEY1 "\n", "key ids"},
        {"key.1 = AAECAwQFBgcICQoLDA0ODw==\n", NULL}, /* 16 bytes, the minimum */
        {"key.1 = AAECAwQFBgcICQoLDA0O\n", "bytes"},  /* 15 */
        {"key.1 = not*base64\n", "base64"},
        {"key.1 = " KEY1 "\nsigning_key = 2\n", "signing_key"},
        {"key.1 = " KEY1 "\nmax_age_days = 0\n", "max_age_days"},
        {"prefix = a+b\n", "prefix"},
        {"prefix = 0123456789abcdef\n", "prefix"}, /* 16 characters */
        {"domain = a@b\n", "domain"},
        /* each bound, and one past it (docs/limits.md) */
        {"key.255 = " KEY1 "\nsigning_key = 255\n", NULL}, /* MXB_VERP_KEYS - 1 */
        {"key.1 = "
         "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw=="
         "\n",
         NULL}, /* 64 bytes, MXB_VERP_KEY_MAX */
        {"key.1 = "
         "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0A="
         "\n",
         "bytes"},                                         /* 65 */
        {"key.1 = " KEY1 "\nmax_age_days = 3650\n", NULL}, /* MXB_VERP_MAX_MAX_AGE */
        {"key.1 = " KEY1 "\nmax_age_days = 3651\n", "max_age_days"},
        {"prefix = 0123456789abcde\n", NULL}, /* 15 characters */
        {"[filter]\ndeadline = 900\n", NULL}, /* MXB_MAX_DEADLINE */
        {"[filter]\ndeadline = 901\n", "deadline"},
        {"[database]\nconnect_timeout = 900\n", NULL},
        {"[database]\nconnect_timeout = 901\n", "connect_timeout"},
        {"[daemon]\nworkers = 500\n", NULL}, /* MXB_MAX_WORKERS */
        {"[daemon]\nworkers = 501\n", "workers"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *text =
            g_strdup_printf("[database]\nconninfo = dbname=x\n[verp]\n%s", cases[i].verp);
        g_autoptr(mxb_config) cfg = NULL;
        g_autoptr(GError) err = NULL;
        int rc = load_conf(text, &cfg, &err);
        if (cases[i].error == NULL && rc != 0)
            fail_msg("case %zu: %s", i, err->message);
        if (cases[i].error != NULL && (rc == 0 || strstr(err->message, cases[i].error) == NULL))
            fail_msg("case %zu: want an error with \"%s\", got %s", i, cases[i].error,
                     rc == 0 ? "success" : err->message);
    }
    /* The newest key signs unless told otherwise; the rest is kept. */
    g_autoptr(mxb_config) cfg = NULL;
    assert_int_equal(load_conf("[database]\nconninfo = x\n[verp]\nkey.1 = " KEY1 "\nkey.7 = " KEY7
                               "\nprefix = bnc\ndomain = b.example\n",
                               &cfg, NULL),
                     0);
    assert_int_equal(cfg->verp->signing, 7);
    assert_string_equal(cfg->verp->prefix, "bnc");
    assert_string_equal(cfg->verp->domain, "b.example");
    /* Only keys: the loader for mxbounce verp takes it, the full one not. */
    g_autoptr(mxb_config) keys_only = NULL;
    g_autoptr(GError) kerr = NULL;
    g_autofree char *kpath = NULL;
    int kfd = g_file_open_tmp("mxb-verp-XXXXXX.conf", &kpath, NULL);
    assert_true(kfd >= 0);
    close(kfd);
    assert_true(g_file_set_contents(kpath, "[verp]\nkey.1 = " KEY1 "\n", -1, NULL));
    assert_int_equal(g_chmod(kpath, 0600), 0);
    assert_int_equal(mxb_config_load_keys(&keys_only, kpath, NULL), 0);
    assert_int_equal(keys_only->verp->signing, 1);
    g_autoptr(mxb_config) full = NULL;
    assert_int_equal(mxb_config_load(&full, kpath, &kerr), -1);
    assert_non_null(strstr(kerr->message, "conninfo"));
    g_unlink(kpath);
    g_autoptr(mxb_config) nokey = NULL;
    assert_int_equal(load_conf("[database]\nconninfo = x\n", &nokey, NULL), 0);
    assert_int_equal(nokey->verp->signing, -1);
    assert_string_equal(nokey->verp->prefix, "b");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers), cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_tampered),      cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_keys_and_age),  cmocka_unit_test(test_bound),
        cmocka_unit_test(test_address_key),   cmocka_unit_test(test_token_of),
        cmocka_unit_test(test_config),        cmocka_unit_test(test_config_mode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
