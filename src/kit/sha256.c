/* SPDX-License-Identifier: Apache-2.0 */
/* SHA-256 as FIPS 180-4 section 6.2 describes it; on x86 processors with
 * the SHA extensions, their instructions do the compression, and on those
 * without them but with BMI2 (Intel from 2013 to the Ice Lake servers),
 * the plain C compiled for BMI2's rotates (no copy before each rotate).
 * Found at run time, by the caller that keeps the answer - the library
 * holds no global state: it still runs everywhere, and under valgrind,
 * which hides the SHA instructions, the BMI2 path is what callgrind counts. */
#include "kit/sha256.h"

#include <string.h>

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define ITSM__SHA_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define BSIG0(x)   (ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22))
#define BSIG1(x)   (ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25))
#define SSIG0(x)   (ROTR(x, 7) ^ ROTR(x, 18) ^ ((x) >> 3))
#define SSIG1(x)   (ROTR(x, 17) ^ ROTR(x, 19) ^ ((x) >> 10))
#define CH(e, f, g)  ((g) ^ ((e) & ((f) ^ (g))))          /* (e & f) ^ (~e & g), one operation fewer */
#define MAJ(a, b, c) (((a) & (b)) | ((c) & ((a) | (b))))   /* (a & b) ^ (a & c) ^ (b & c) */

/* One round. The eight working variables are never shuffled: each round
 * names them one place further on (the unrolled rounds below), so only d
 * and h are written. */
#define ROUND(a, b, c, d, e, f, g, h, t, j)                                   \
    do {                                                                      \
        uint32_t t1_ = (h) + BSIG1(e) + CH(e, f, g) + K[(t) + (j)] + w[j];    \
        (d) += t1_;                                                           \
        (h) = t1_ + BSIG0(a) + MAJ(a, b, c);                                  \
    } while (0)

#define EIGHT(t, j)                                    \
    do {                                               \
        ROUND(a, b, c, d, e, f, g, k, t, (j) + 0);     \
        ROUND(k, a, b, c, d, e, f, g, t, (j) + 1);     \
        ROUND(g, k, a, b, c, d, e, f, t, (j) + 2);     \
        ROUND(f, g, k, a, b, c, d, e, t, (j) + 3);     \
        ROUND(e, f, g, k, a, b, c, d, t, (j) + 4);     \
        ROUND(d, e, f, g, k, a, b, c, t, (j) + 5);     \
        ROUND(c, d, e, f, g, k, a, b, t, (j) + 6);     \
        ROUND(b, c, d, e, f, g, k, a, t, (j) + 7);     \
    } while (0)

/* One block into st. The schedule is kept as its last sixteen words:
 * w[j] becomes W[t + j] from W[t + j - 16] (itself), W[t + j - 15],
 * W[t + j - 7] and W[t + j - 2], in place (each of those is still, or
 * already, where it is wanted). Inlined into each compilation below. */
static inline __attribute__((always_inline)) void compress_body(uint32_t st[8], const unsigned char p[64])
{
    uint32_t w[16];
    for (int j = 0; j < 16; j++)
        w[j] = (uint32_t)p[4 * j] << 24 | (uint32_t)p[4 * j + 1] << 16 | (uint32_t)p[4 * j + 2] << 8 |
               (uint32_t)p[4 * j + 3];
    uint32_t a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], k = st[7];
    for (int t = 0; t < 64; t += 16) {
        if (t)
            for (int j = 0; j < 16; j++)
                w[j] += SSIG1(w[(j + 14) & 15]) + w[(j + 9) & 15] + SSIG0(w[(j + 1) & 15]);
        EIGHT(t, 0);
        EIGHT(t, 8);
    }
    st[0] += a;
    st[1] += b;
    st[2] += c;
    st[3] += d;
    st[4] += e;
    st[5] += f;
    st[6] += g;
    st[7] += k;
}

static void compress_c(uint32_t st[8], const unsigned char p[64]) { compress_body(st, p); }

void itsm__sha256_blocks_c(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
    for (; nblocks; nblocks--, p += 64)
        compress_c(h, p);
}

#ifdef ITSM__SHA_X86
/* The same C with BMI2's rorx: a rotate into another register, where the
 * plain x86-64 rotate overwrites its operand and wants a copy first. */
__attribute__((target("bmi2"))) static void blocks_bmi2(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
    for (; nblocks; nblocks--, p += 64)
        compress_body(h, p);
}
#endif

#ifdef ITSM__SHA_X86
/* Four rounds a step with SHA256RNDS2 (two each), the schedule with
 * SHA256MSG1/MSG2; the state kept as the instructions want it (ABEF, CDGH). */
__attribute__((target("sha,sse4.1"))) static void blocks_ni(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
    const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);   /* big-endian words */
    __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)&h[0]), 0xB1);   /* CDAB */
    __m128i st1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)&h[4]), 0x1B);   /* EFGH */
    __m128i st0 = _mm_alignr_epi8(tmp, st1, 8);    /* ABEF */
    st1 = _mm_blend_epi16(st1, tmp, 0xF0);         /* CDGH */
    for (; nblocks; nblocks--, p += 64) {
        __m128i save0 = st0, save1 = st1, w[4];
        /* Unrolled, so w[] lives in registers (rolled, it went through the
         * stack: about half the time of a block). */
#pragma GCC unroll 16
        for (int i = 0; i < 16; i++) {
            if (i < 4)
                w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i)), swap);
            else   /* W[t..t+3] from W[t-16..t-1] */
                w[i & 3] = _mm_sha256msg2_epu32(
                    _mm_add_epi32(_mm_sha256msg1_epu32(w[i & 3], w[(i + 1) & 3]),
                                  _mm_alignr_epi8(w[(i + 3) & 3], w[(i + 2) & 3], 4)),
                    w[(i + 3) & 3]);
            __m128i m = _mm_add_epi32(w[i & 3], _mm_loadu_si128((const __m128i *)(const void *)&K[4 * i]));
            st1 = _mm_sha256rnds2_epu32(st1, st0, m);
            st0 = _mm_sha256rnds2_epu32(st0, st1, _mm_shuffle_epi32(m, 0x0E));
        }
        st0 = _mm_add_epi32(st0, save0);
        st1 = _mm_add_epi32(st1, save1);
    }
    tmp = _mm_shuffle_epi32(st0, 0x1B);            /* FEBA */
    st1 = _mm_shuffle_epi32(st1, 0xB1);            /* DCHG */
    _mm_storeu_si128((__m128i *)(void *)&h[0], _mm_blend_epi16(tmp, st1, 0xF0));   /* DCBA */
    _mm_storeu_si128((__m128i *)(void *)&h[4], _mm_alignr_epi8(st1, tmp, 8));      /* HGFE */
}

#endif

int itsm__sha256_have_ni(void) { return itsm__sha256_accel() == ITSM__SHA_NI; }

int itsm__sha256_accel(void)
{
#ifdef ITSM__SHA_X86
    unsigned a, b, c, d, b7 = 0;
    if (__get_cpuid_max(0, NULL) < 7)
        return ITSM__SHA_PLAIN;
    __cpuid_count(7, 0, a, b7, c, d);
    if (__get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSE4_1) && (c & bit_SSSE3) && ((b7 >> 29) & 1u))   /* SHA */
        return ITSM__SHA_NI;
    return (b7 >> 8) & 1u ? ITSM__SHA_BMI2 : ITSM__SHA_PLAIN;
#else
    return ITSM__SHA_PLAIN;
#endif
}

int itsm__sha256_blocks_ni(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
#ifdef ITSM__SHA_X86
    if (itsm__sha256_have_ni()) {
        blocks_ni(h, p, nblocks);
        return 1;
    }
#else
    (void)h, (void)p, (void)nblocks;
#endif
    return 0;
}

int itsm__sha256_blocks_bmi2(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
#ifdef ITSM__SHA_X86
    unsigned a, b7 = 0, c, d;
    if (__get_cpuid_max(0, NULL) >= 7) {
        __cpuid_count(7, 0, a, b7, c, d);
        if ((b7 >> 8) & 1u) {
            blocks_bmi2(h, p, nblocks);
            return 1;
        }
    }
#else
    (void)h, (void)p, (void)nblocks;
#endif
    return 0;
}

static void compress_n(const itsm__sha256 *s, uint32_t h[8], const unsigned char *p, size_t nblocks)
{
#ifdef ITSM__SHA_X86
    if (s->accel == ITSM__SHA_NI) {
        blocks_ni(h, p, nblocks);
        return;
    }
    if (s->accel == ITSM__SHA_BMI2) {
        blocks_bmi2(h, p, nblocks);
        return;
    }
#else
    (void)s;
#endif
    itsm__sha256_blocks_c(h, p, nblocks);
}

void itsm__sha256_init(itsm__sha256 *s)
{
    static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    memcpy(s->h, iv, sizeof iv);
    s->bytes = 0;
    s->used = 0;
    s->accel = ITSM__SHA_PLAIN;
}

void itsm__sha256_update(itsm__sha256 *s, const void *data, size_t n)
{
    const unsigned char *p = data;
    s->bytes += n;
    if (s->used) {
        size_t take = 64 - s->used < n ? 64 - s->used : n;
        memcpy(s->block + s->used, p, take);
        s->used += take;
        p += take;
        n -= take;
        if (s->used < 64)
            return;
        compress_n(s, s->h, s->block, 1);
        s->used = 0;
    }
    if (n >= 64) {
        compress_n(s, s->h, p, n / 64);
        p += n / 64 * 64;
        n %= 64;
    }
    memcpy(s->block, p, n);
    s->used = n;
}

void itsm__sha256_final(itsm__sha256 *s, unsigned char out[32])
{
    uint64_t bits = s->bytes * 8;
    s->block[s->used++] = 0x80;
    if (s->used > 56) {
        memset(s->block + s->used, 0, 64 - s->used);
        compress_n(s, s->h, s->block, 1);
        s->used = 0;
    }
    memset(s->block + s->used, 0, 56 - s->used);
    for (int i = 0; i < 8; i++)
        s->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
    compress_n(s, s->h, s->block, 1);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(s->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)s->h[i];
    }
}

void itsm__sha256_of(const void *data, size_t n, unsigned char out[32])
{
    itsm__sha256 s;
    itsm__sha256_init(&s);
    itsm__sha256_update(&s, data, n);
    itsm__sha256_final(&s, out);
}

/* Every stored event carries its link in hex: two digits a byte, by table. */
static const char hex_pairs[513] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
    "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
    "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
    "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
    "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

void itsm__hex32(const unsigned char in[32], char out[65])
{
    for (int i = 0; i < 32; i++)
        memcpy(out + 2 * i, hex_pairs + 2 * in[i], 2);
    out[64] = '\0';
}

/* Each byte's value as a lowercase hex digit, or 16 (none): one lookup
 * a digit, the digits' validity gathered in one test at the end (a
 * loaded store's events each carry 64 of them). */
static const unsigned char hexval[256] = {
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
     0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 16, 16, 16, 16, 16, 16,
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
    16, 10, 11, 12, 13, 14, 15, 16, 16, 16, 16, 16, 16, 16, 16, 16,
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
};

int itsm__unhex32(const char *s, size_t n, unsigned char out[32])
{
    if (n != 64)
        return -1;
    const unsigned char *u = (const unsigned char *)s;
    unsigned bad = 0;
    for (int i = 0; i < 32; i++) {
        unsigned hi = hexval[u[2 * i]], lo = hexval[u[2 * i + 1]];
        bad |= hi | lo;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return bad & 16 ? -1 : 0;
}
