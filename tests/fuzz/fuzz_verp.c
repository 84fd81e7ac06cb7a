/*
 * fuzz_verp - what the envelope recipient of a returned message goes
 * through: finding the VERP token, checking it against a key ring, and
 * the address key used to compare recipients. The input is the address.
 */
#include <stdlib.h>
#include <string.h>

#include <mxb/verp.h>

#include "fuzz.h"

static mxb_verp_keyring *ring;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ring == NULL) {
        ring = mxb_verp_keyring_new();
        /* a fixed key, so that crashes reproduce */
        static const guchar key[32] = "mxbounce fuzz key, 32 bytes long";
        g_autofree char *b64 = g_base64_encode(key, sizeof(key));
        if (mxb_verp_keyring_add(ring, 1, b64, NULL) != 0)
            abort();
    }
    g_autofree char *address = g_strndup((const char *)data, size);
    g_autofree char *token = mxb_verp_token_of(address);
    if (token != NULL) {
        mxb_verp_token t;
        mxb_verp_verdict v = mxb_verp_check(ring, token, address, mxb_verp_today(), &t);
        if (mxb_verp_verdict_name(v) == NULL)
            abort();
    }
    g_autofree char *key = mxb_address_key(address);
    if (key != NULL && strlen(key) > strlen(address) * 4 + 64)
        abort();
    return 0;
}
