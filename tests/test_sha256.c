/* SPDX-License-Identifier: Apache-2.0 */
/* SHA-256 (src/kit/sha256.c), the hash of the event chain, against the
 * NIST test vectors (FIPS 180-4 examples, CAVP short and long messages)
 * and against itself when fed in pieces. */
#include "support.h"
#include "kit/sha256.h"

#include <stdlib.h>
#include <string.h>

static void hex_of(const void *data, size_t n, char out[65])
{
    unsigned char d[32];
    itsm__sha256_of(data, n, d);
    itsm__hex32(d, out);
}

static void nist_vectors(void **state)
{
    (void)state;
    static const struct { const char *msg, *digest; } v[] = {
        { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
        { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
        { "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
          "mnopqrstnopqrstu",
          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
        { "The quick brown fox jumps over the lazy dog",
          "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592" },
    };
    char out[65];
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        hex_of(v[i].msg, strlen(v[i].msg), out);
        assert_string_equal(out, v[i].digest);
    }
}

/* One million 'a' (FIPS 180-2 appendix B.3), fed in uneven pieces. */
static void a_million_a_in_pieces(void **state)
{
    (void)state;
    char *a = malloc(1000000);
    memset(a, 'a', 1000000);
    char out[65];
    hex_of(a, 1000000, out);
    assert_string_equal(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    itsm__sha256 s;
    itsm__sha256_init(&s);
    size_t at = 0, step = 1;
    while (at < 1000000) {
        size_t n = step < 1000000 - at ? step : 1000000 - at;
        itsm__sha256_update(&s, a + at, n);
        at += n;
        step = step * 7 % 131 + 1;
    }
    unsigned char d[32];
    itsm__sha256_final(&s, d);
    itsm__hex32(d, out);
    assert_string_equal(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

/* Every length around the block and padding boundaries: whole and in
 * pieces agree; the 55/56/64-byte cases cross the padding edge. */
static void lengths_around_the_block_edges(void **state)
{
    (void)state;
    unsigned char buf[200];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(i * 31 + 7);
    for (size_t n = 0; n <= sizeof buf; n++) {
        unsigned char whole[32], parts[32];
        itsm__sha256_of(buf, n, whole);
        itsm__sha256 s;
        itsm__sha256_init(&s);
        for (size_t k = 0; k < n; k++)
            itsm__sha256_update(&s, buf + k, 1);
        itsm__sha256_final(&s, parts);
        assert_memory_equal(whole, parts, 32);
    }
    /* NIST CAVP SHA256ShortMsg: Len = 8, Msg = d3. */
    unsigned char d3 = 0xd3, d[32];
    char out[65];
    itsm__sha256_of(&d3, 1, d);
    itsm__hex32(d, out);
    assert_string_equal(out, "28969cdfa74a12c82f3bad960b0b000aca2ac329deea5c2328ebc6f2ba9802c1");
}

static void hex_round_trip_and_refusals(void **state)
{
    (void)state;
    unsigned char d[32], back[32];
    char hex[65];
    itsm__sha256_of("abc", 3, d);
    itsm__hex32(d, hex);
    assert_int_equal(itsm__unhex32(hex, 64, back), 0);
    assert_memory_equal(d, back, 32);
    assert_int_equal(itsm__unhex32(hex, 63, back), -1);
    hex[5] = 'A';   /* upper case is not the canonical form */
    assert_int_equal(itsm__unhex32(hex, 64, back), -1);
    hex[5] = 'g';
    assert_int_equal(itsm__unhex32(hex, 64, back), -1);
}

/* The NIST vectors again through each compression path this processor
 * has: plain C always, the SHA instructions and the BMI2 build where
 * present (a path it lacks is said so, not run). */
static void nist_vectors_through_every_path(void **state)
{
    (void)state;
    static const struct { const char *msg, *digest; } v[] = {
        { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
        { "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
          "mnopqrstnopqrstu",
          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
    };
    static const unsigned char probe[64];
    const int paths[] = { ITSM__SHA_PLAIN, ITSM__SHA_NI, ITSM__SHA_BMI2 };
    for (size_t p = 0; p < sizeof paths / sizeof paths[0]; p++) {
        uint32_t h[8] = { 0 };
        if ((paths[p] == ITSM__SHA_NI && !itsm__sha256_blocks_ni(h, probe, 1)) ||
            (paths[p] == ITSM__SHA_BMI2 && !itsm__sha256_blocks_bmi2(h, probe, 1))) {
            print_message("no %s here: that path is not run\n", paths[p] == ITSM__SHA_NI ? "SHA instructions" : "BMI2");
            continue;
        }
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
            itsm__sha256 s;
            itsm__sha256_init(&s);
            s.accel = paths[p];
            itsm__sha256_update(&s, v[i].msg, strlen(v[i].msg));
            unsigned char d[32];
            char out[65];
            itsm__sha256_final(&s, d);
            itsm__hex32(d, out);
            assert_string_equal(out, v[i].digest);
        }
    }
    /* the path the chain takes is one of them */
    int a = itsm__sha256_accel();
    assert_true(a == ITSM__SHA_PLAIN || a == ITSM__SHA_NI || a == ITSM__SHA_BMI2);
}

/* The SHA instructions' compression and the plain C one give the same
 * state for any blocks and any number of them (where the processor has
 * the instructions; elsewhere the C path is the only one and this says so). */
static void instructions_and_plain_c_agree(void **state)
{
    (void)state;
    unsigned char buf[64 * 9];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof buf; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (unsigned char)(x >> 16);
    }
    for (size_t n = 1; n <= 9; n++) {
        uint32_t c[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                          0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
        uint32_t ni[8];
        memcpy(ni, c, sizeof c);
        itsm__sha256_blocks_c(c, buf, n);
        if (!itsm__sha256_blocks_ni(ni, buf, n)) {
            print_message("no SHA instructions here: only the plain C compression runs\n");
            return;
        }
        assert_memory_equal(c, ni, sizeof c);
    }
}

/* The BMI2 build of the C compression and the plain one agree the same
 * way (where the processor has BMI2). */
static void bmi2_and_plain_c_agree(void **state)
{
    (void)state;
    unsigned char buf[64 * 9];
    uint32_t x = 777;
    for (size_t i = 0; i < sizeof buf; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (unsigned char)(x >> 16);
    }
    for (size_t n = 1; n <= 9; n++) {
        uint32_t c[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                          0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
        uint32_t b[8];
        memcpy(b, c, sizeof c);
        itsm__sha256_blocks_c(c, buf, n);
        if (!itsm__sha256_blocks_bmi2(b, buf, n)) {
            print_message("no BMI2 here: only the plain C compression runs\n");
            return;
        }
        assert_memory_equal(c, b, sizeof c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nist_vectors),
        cmocka_unit_test(a_million_a_in_pieces),
        cmocka_unit_test(lengths_around_the_block_edges),
        cmocka_unit_test(hex_round_trip_and_refusals),
        cmocka_unit_test(nist_vectors_through_every_path),
        cmocka_unit_test(instructions_and_plain_c_agree),
        cmocka_unit_test(bmi2_and_plain_c_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
