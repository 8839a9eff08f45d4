/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: the binary event form's numbers and strings, read by one
 * code for its two readers - the tree reader (kit/json_bin.c) and replay
 * straight from the bytes (core/replay_bin*.c) - so both take exactly the
 * same bytes. */
#ifndef ITSM_SRC_KIT_BIN_READ_H
#define ITSM_SRC_KIT_BIN_READ_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* What a varint's reading found. */
enum {
    ITSM__BIN_VARINT_OK = 0,
    ITSM__BIN_VARINT_END,     /* it runs past the end */
    ITSM__BIN_VARINT_WIDE,    /* it does not fit 64 bits */
    ITSM__BIN_VARINT_LONG     /* not the shortest form */
};

/* The varint at p[*pos] (p holds n bytes), *pos moved past it. */
int itsm__bin_varint_long(const unsigned char *p, size_t n, size_t *pos, uint64_t *out);

/* Most numbers of an event (keys, lengths, revisions) are one byte. */
static inline int itsm__bin_varint(const unsigned char *p, size_t n, size_t *pos, uint64_t *out)
{
    if (*pos < n && p[*pos] < 0x80) {
        *out = p[(*pos)++];
        return ITSM__BIN_VARINT_OK;
    }
    return itsm__bin_varint_long(p, n, pos, out);
}

/* Where the first byte of s[0..n) that is not valid UTF-8 is, or n. */
size_t itsm__bin_utf8_bad(const unsigned char *s, size_t n);

/* Whether s[0..n) is ASCII: eight bytes a check (the last eight
 * overlapping), as most strings of an event are nothing else. */
static inline int itsm__bin_ascii(const unsigned char *s, size_t n)
{
    uint64_t c = 0, w;
    if (n >= 8) {
        for (size_t i = 0; i + 8 <= n; i += 8) {
            memcpy(&w, s + i, 8);
            c |= w;
        }
        memcpy(&w, s + n - 8, 8);
        return !((c | w) & 0x8080808080808080u);
    }
    for (size_t i = 0; i < n; i++)
        c |= s[i];
    return !(c & 0x80);
}

/* Whether s[0..n) is UTF-8. */
static inline int itsm__bin_utf8(const unsigned char *s, size_t n)
{
    return itsm__bin_ascii(s, n) || itsm__bin_utf8_bad(s, n) == n;
}

#endif
