/* SPDX-License-Identifier: Apache-2.0 */
/* Internal to src/integrity: the chain's state and the helpers the
 * duplicate check (duplicates.c) shares with the chain (chain.c). */
#ifndef ITSM_SRC_INTEGRITY_CHAIN_INT_H
#define ITSM_SRC_INTEGRITY_CHAIN_INT_H

#include "core/core.h"
#include "kit/json.h"

#include <stddef.h>
#include <stdint.h>

/* The date part of the time the canonical writer wrote last: day (t /
 * 86400; -1: none yet) and its "YYYY-MM-DDT". */
typedef struct canon_day {
    int64_t day;
    char    date[11];
} canon_day;

/* What is known of a chain. */
enum { CH_UNKNOWN = 0, CH_KNOWN = 1, CH_SEALED = 2 /* known, and hashes were written or read */ };

typedef struct chainst {
    int            active;      /* a step went through: heads are kept */
    unsigned char (*head)[32];  /* by record position (eng->recs) */
    unsigned char *known;       /* CH_* by record position */
    uint64_t      *last;        /* by record position: fingerprint of its newest revision */
    size_t         cap;         /* entries of head, known and last */
    unsigned char *bstate;      /* per event of the batch being committed: CH_* after it */
    size_t         cbstate;
    char          *scratch;     /* the canonical JSON being hashed */
    size_t         cscratch;
    uint64_t      *bfp;         /* per event of the batch being committed: its fingerprint */
    size_t        *bpos;        /* per event of the batch: its record's position */
    unsigned char *bin;         /* the canonical binary form being fingerprinted */
    size_t         cbin;
    unsigned char *arena;       /* the canonical forms of the batch's events, one after another */
    size_t         narena, carena;
    size_t        *boff;        /* per event of the batch: its form's offset in arena (SIZE_MAX: none) */
    int            accel;       /* the SHA-256 path (itsm__sha256_accel): asked once per engine */
    canon_day      cday;        /* the canonical writer's last date */

    /* Duplicates of older revisions (duplicates.c). One record's stored
     * events, read back on demand: their fingerprints, revision n at
     * [n - 1], for the record at position rd_pos (SIZE_MAX: none). */
    size_t         rd_pos;
    uint64_t      *rd_fp;
    size_t         rd_n, rd_cap;
    /* The chain recomputed over each record's duplicates met so far, by
     * position: walk_rev the revision reached (0: none), nwalks how many
     * are unfinished; freed when none is, and when a load ends. loading:
     * itsm_engine_load's scan runs (the store cannot be read meanwhile). */
    int            loading;
    uint64_t      *walk_rev;
    unsigned char (*walk_link)[32];
    size_t         walk_cap, nwalks;
} chainst;

typedef void (*put_fn)(itsm__jw *w, const void *what);

chainst *itsm__chain_state(const itsm_engine *eng);
size_t itsm__chain_position(const itsm_engine *eng, const itsm_record *r);
uint64_t itsm__fp64(const unsigned char *p, size_t n);
/* The canonical binary form `put` writes, into cs->bin; its length in *len. */
int itsm__chain_canonical(itsm_engine *eng, chainst *cs, put_fn put, const void *what, size_t *len);
/* SHA-256(prev || bytes[0..len)): the binary rule. */
void itsm__chain_link_bin(const chainst *cs, const unsigned char prev[32], const unsigned char *bytes, size_t len,
                          unsigned char out[32]);
/* The canonical binary form of a record's event (canon.c) into
 * buf[0..cap), its times' date part from *cd: 1 and its length in *len;
 * 0 when the generic writer must write it (policy events, custom fields,
 * non-ASCII text, too long). */
int itsm__canon_fast(const itsm_event *ev, canon_day *cd, unsigned char *buf, size_t cap, size_t *len);
/* SHA-256(prev || the canonical JSON `put` writes): the earlier rule. */
int itsm__chain_link_json(itsm_engine *eng, chainst *cs, put_fn put, const void *what,
                          const unsigned char prev[32], unsigned char out[32]);
/* A stored event's tree written as the library writes it, without "hash". */
void itsm__chain_put_tree(itsm__jw *w, const void *root);
/* Free the duplicate check's state. */
void itsm__dup_free(itsm_engine *eng, chainst *cs);

#endif
