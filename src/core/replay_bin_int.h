/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: replay straight from the binary event form, in three parts -
 * reading the bytes into members (core/replay_bin_read.c), checking and
 * applying a built-in event (core/replay_bin.c), an extension class's
 * members as the flat tree its reader takes (core/replay_bin_class.c). */
#ifndef ITSM_SRC_CORE_REPLAY_BIN_INT_H
#define ITSM_SRC_CORE_REPLAY_BIN_INT_H

#include "core/core.h"
#include "kit/json.h"

#include <string.h>

/* At most this many members in "set" (or in a note or a link), and this
 * many at the top of an event besides the table's envelope and built-in
 * ones, "pv" and "hash": more, and the tree path reads it. */
#define RB_INNER 96
#define RB_TOP 32

typedef struct rbv {
    const unsigned char *s;   /* a string's bytes (in the input) */
    size_t   n;
    int64_t  i;               /* a whole number */
    unsigned char tag;        /* 0: absent; else the value's tag byte */
    unsigned char nul;        /* a string holding a NUL byte (0 while unchecked) */
    unsigned char unchecked;  /* a string itsm__rb_decode_replay did not check */
} rbv;

typedef struct rbm {          /* a member */
    const unsigned char *key; /* an inline key's bytes (entry < 0; else not set) */
    size_t   klen;
    int      entry;           /* the key table's entry, or -1 */
    rbv      val;
} rbm;

typedef struct rb {
    const unsigned char *p;
    size_t   n, pos;
    size_t   max_string;
    rbv      top[ITSM__K_FIELD0];   /* the envelope's and built-in types' members */
    uint32_t topmask;               /* bit e: top[e] is there */
    rbv      pv, hash;
    unsigned char inl;              /* pv (bit 0) and hash (bit 1) are there (a null's tag is 0) */
    rbm      xm[RB_TOP];            /* the others (an extension class's), in order */
    int      nx;
    int      set, note, link;       /* where each object's members begin in in[] (-1: absent) */
    int      nset, nnote, nlink;
    rbm      in[RB_INNER];
    int      nin;
    char    *scratch;               /* NUL-terminated copies */
    size_t   sused, scap;
} rb;

_Static_assert(ITSM__K_FIELD0 <= 32, "topmask has a bit per top member of the table");

/* Read the whole event into b's members: 0, or -1 when the bytes are not
 * what the fast path takes (the tree path then reads them). */
int itsm__rb_decode(rb *b);

/* itsm__rb_decode for the replay (core/replay_bin.c), which matches most
 * strings against ones it knows: the values of the top members and of
 * "set" read by the common step are left unchecked (UTF-8, a NUL), as
 * bytes equal to a known string - a name, an interned symbol, a time
 * read before - are valid. Each use of such a value either compares it
 * whole with a known string, or checks it (itsm__rb_check, or a value
 * check that refuses what is not UTF-8 and, where the decoder would,
 * a NUL: the id, symbol, text and time checks). */
int itsm__rb_decode_replay(rb *b);

/* A string value checked as the decoder checks one (at once, when it was
 * read checked): 0, 1 when it holds a NUL, -1 when it is not UTF-8 (then
 * the tree path reads the event). */
int itsm__rb_check(const rbv *v);

/* The key-table entries among a class's keys, as bits (entry e: bit
 * e % 64 of keys[e / 64]), and each entry's place among them (at[e], -1
 * for none); its other keys are found by name. */
void itsm__rb_class_keys(const itsm__evclass *cls, uint64_t keys[2], signed char at[128]);
/* Whether the event's members are the envelope's and the class's own
 * (keys: itsm__rb_class_keys of cls). */
int itsm__rb_class_fits(const rb *b, const itsm__evclass *cls, const uint64_t keys[2]);
/* The class's reader: its read_members on the decoded members where it
 * has one, else its read on the members made a flat tree; 0 or -1. */
int itsm__rb_read_class(itsm_engine *eng, rb *b, itsm_event *ev, const itsm__evclass *cls);

/* A copy of n bytes in the scratch, NUL-terminated (a NUL inside kept). */
static inline char *itsm__rb_dup(rb *b, const unsigned char *s, size_t n)
{
    if (n + 1 > b->scap - b->sused)
        return NULL;
    char *d = b->scratch + b->sused;
    memcpy(d, s, n);
    d[n] = '\0';
    b->sused += n + 1;
    return d;
}

#endif
