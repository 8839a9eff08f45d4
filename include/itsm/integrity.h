/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/integrity.h - tamper evidence: the hash chain of stored events.
 *
 * Every event an engine with a store writes carries a "hash": the link of
 * its record's chain,
 *
 *     link(rev) = SHA-256( link(rev - 1) || canonical(event) ),  link(0) = 32 zero bytes
 *
 * where canonical(event) is the event's binary form exactly as
 * itsm_event_to_binary writes it without the "hash" member (docs/events.md,
 * "The hash chain"). Links written by earlier versions hash the event's
 * JSON (itsm_event_to_json without "hash") instead; a carried link by
 * either rule is accepted, so their stores stay verifiable.
 * Replaying (itsm_engine_replay_json, itsm_engine_load) recomputes every
 * link from the events it reads and refuses the first event whose stored
 * hash does not match, or that carries none after its record's earlier
 * events did, with ITSM_ETAMPER; the message names the record and the
 * revision of that first broken link, and the refused event changes
 * nothing. Loading into an engine that holds no record yet also refuses
 * an event out of its record's sequence 1, 2, 3... (removed, repeated,
 * moved, or of a record never opened), and leaves the engine empty when
 * it finds the store tampered (itsm_engine_load in itsm/engine.h). A store
 * edited by hand is detected there; one whose hashes were all recomputed
 * by whoever edited it, or whose newest events of a record were removed,
 * is detected by comparing the chain heads (below) with ones kept
 * elsewhere.
 *
 * The chain is kept by an engine whose store gives its events back (it
 * has scan or read_record: itsm/sys/store.h). An engine without such a
 * store keeps none - nothing it writes could be verified later - and pays
 * nothing for it: it writes no links, checks none it replays, and knows no
 * head. To verify a store, load it through an engine on a store that gives
 * events back.
 */
#ifndef ITSM_INTEGRITY_H
#define ITSM_INTEGRITY_H

#include "common.h"
#include "event.h"
#include "record.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The chain link an event carries (the event borrowed, as in a store's
 * append or the sink): 64 lowercase hex digits and a NUL into `hex`, which
 * the caller owns. ITSM_OK; ITSM_ENOTFOUND when it carries none (the
 * engine keeps no chain); ITSM_EINVAL for NULL. For a store that keeps
 * events in another form than the JSON text: it keeps these 32 bytes with
 * the event. */
ITSM_API int itsm_event_chain(const itsm_event *ev, char hex[65]);

/* The head of a record's chain: the link of its newest event, 64
 * lowercase hex digits and a NUL into `hex`. ITSM_OK; ITSM_ENOTFOUND when
 * it is not known: the engine keeps no chain (its store does not give
 * events back), the message says so; ITSM_EINVAL for NULL. */
ITSM_API int itsm_record_chain_head(const itsm_record *rec, char hex[65]);

/*
 * The chain head of every record, for an external audit: keep the
 * document (or just its digest) somewhere the store's writers cannot
 * reach, and compare later. JSON, snprintf-style (ITSM_OK when it fitted,
 * ITSM_ELIMIT when not: *len says how much is needed):
 *   {"itsm_audit":1,"records":2,
 *    "digest":"<SHA-256 of the lines 'id rev head\n', in id order>",
 *    "heads":[{"record":"INC-000001","rev":7,"hash":"9f86..."},
 *             {"record":"PRB-000001","rev":3,"hash":null}]}
 * Records in id order (byte order), so two engines holding the same
 * records write the same document; "hash" is null (and "-" in the digest's
 * line) when the head is not known. `buf` is the caller's; the engine is
 * only read. Errors: ITSM_EINVAL (NULL, NULL buf with cap > 0),
 * ITSM_ENOMEM, ITSM_ELIMIT.
 */
ITSM_API int itsm_engine_audit_to_json(const itsm_engine *eng, char *buf, size_t cap, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
