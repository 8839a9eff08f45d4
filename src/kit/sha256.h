/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: SHA-256 (FIPS 180-4), for the hash chain of stored events
 * (src/integrity/chain.c). Plain C, no tables beyond the round constants,
 * or the x86 SHA instructions where the processor has them, or the plain C
 * built for BMI2; every path tested against the NIST vectors
 * (tests/test_sha256.c). */
#ifndef ITSM_SRC_KIT_SHA256_H
#define ITSM_SRC_KIT_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct itsm__sha256 {
    uint32_t      h[8];
    uint64_t      bytes;      /* message length so far */
    unsigned char block[64];
    size_t        used;       /* bytes waiting in block */
    int           accel;      /* an ITSM__SHA_ path (init sets plain C; set it from itsm__sha256_accel) */
} itsm__sha256;

void itsm__sha256_init(itsm__sha256 *s);
void itsm__sha256_update(itsm__sha256 *s, const void *data, size_t n);
void itsm__sha256_final(itsm__sha256 *s, unsigned char out[32]);
/* One call: out = SHA-256(data[0..n)). */
void itsm__sha256_of(const void *data, size_t n, unsigned char out[32]);
/* The compression of `nblocks` 64-byte blocks into h: in plain C, with
 * the x86 SHA extensions, and the plain C built for BMI2 (the last two 0,
 * doing nothing, when the processor lacks them). The tests hold them
 * against each other. */
void itsm__sha256_blocks_c(uint32_t h[8], const unsigned char *p, size_t nblocks);
int  itsm__sha256_blocks_ni(uint32_t h[8], const unsigned char *p, size_t nblocks);
int  itsm__sha256_blocks_bmi2(uint32_t h[8], const unsigned char *p, size_t nblocks);
/* The compression paths, fastest first as itsm__sha256_accel picks them. */
enum { ITSM__SHA_PLAIN = 0, ITSM__SHA_NI = 1, ITSM__SHA_BMI2 = 2 };
/* The fastest path this processor has (asks the processor each time: keep
 * the answer); itsm__sha256_have_ni: 1 when that is the SHA instructions. */
int  itsm__sha256_accel(void);
int  itsm__sha256_have_ni(void);
/* 64 lowercase hex digits and a NUL. */
void itsm__hex32(const unsigned char in[32], char out[65]);
/* Read exactly 64 hex digits (lowercase); 0, or -1 when s is not that. */
int  itsm__unhex32(const char *s, size_t n, unsigned char out[32]);

#endif
