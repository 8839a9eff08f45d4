/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: a host string's bytes checked against the bytes remembered for
 * its address, a few aligned words at a time instead of a strcmp call.
 *
 * A cache keyed by the host's pointer must still read the host's bytes
 * (the host may have rewritten them), but it knows what they should be:
 * the string remembered, at a known offset in its aligned words. The
 * check reads the aligned words that hold it and compares them under a
 * mask, word by word, reading a word only when every byte before it
 * matched (so, the expected string having no NUL before its end, the
 * host's string runs into that word): an aligned word never crosses a
 * page, so no word read can fault, as in libc's strlen. The bytes around
 * the string are masked off (memcheck counts them as defined through the
 * mask). Strings longer than the words kept, or built for ASan, fall back
 * to strcmp: ASan checks whole words and would report the bytes around.
 */
#ifndef ITSM_SRC_KIT_BYTES_AT_H
#define ITSM_SRC_KIT_BYTES_AT_H

#include <stdint.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define ITSM__BYTES_AT_WORDS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ITSM__BYTES_AT_WORDS 0
#endif
#endif
#ifndef ITSM__BYTES_AT_WORDS
#define ITSM__BYTES_AT_WORDS 1
#endif

/* The words kept: strings of up to 24 bytes with their NUL, less the
 * offset of the first in its word (a name such as "awaiting_vendor" fits
 * at any offset). */
#define ITSM__BYTES_AT_N 3
struct itsm__bytes_at {
    uint64_t want[ITSM__BYTES_AT_N], mask[ITSM__BYTES_AT_N];
    unsigned char words;   /* 0: compare with strcmp */
};

/* Remember that the string at `s` is `want` (NUL-terminated). */
static inline void itsm__bytes_at_set(struct itsm__bytes_at *b, const char *s, const char *want)
{
    unsigned char w[8 * ITSM__BYTES_AT_N] = { 0 }, m[8 * ITSM__BYTES_AT_N] = { 0 };
    size_t off = (uintptr_t)s & 7u, n = strlen(want) + 1;
    b->words = 0;
    if (!ITSM__BYTES_AT_WORDS || off + n > sizeof w)
        return;
    memcpy(w + off, want, n);
    memset(m + off, 0xff, n);
    memcpy(b->want, w, sizeof w);
    memcpy(b->mask, m, sizeof m);
    b->words = (unsigned char)((off + n + 7) / 8);
}

/* Whether the NUL-terminated string at `s` is the `want` remembered for it
 * by itsm__bytes_at_set (with `s`). */
static inline int itsm__bytes_at_same(const struct itsm__bytes_at *b, const char *s, const char *want)
{
    if (!ITSM__BYTES_AT_WORDS || !b->words)
        return strcmp(want, s) == 0;
    const unsigned char *a = (const unsigned char *)((uintptr_t)s & ~(uintptr_t)7u);
    uint64_t w;
    memcpy(&w, a, sizeof w);
    if ((w ^ b->want[0]) & b->mask[0])
        return 0;
    for (unsigned i = 1; i < b->words; i++) {
        memcpy(&w, a + 8 * i, sizeof w);
        if ((w ^ b->want[i]) & b->mask[i])
            return 0;
    }
    return 1;
}

#endif
