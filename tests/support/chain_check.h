/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the tamper-evidence tests (tests/test_chain.c,
 * tests/test_chain_tamper.c): the stored event without its hash, its record,
 * the links an outside auditor recomputes from the stored text alone, a
 * stored story, and a load of a store into a fresh engine. */
#ifndef ITSM_TEST_CHAIN_CHECK_H
#define ITSM_TEST_CHAIN_CHECK_H

#include "scenario.h"
#include "kit/sha256.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The stored event without its hash member, and the hash (NULL: none). */
static inline char *canonical(const char *json, char hash[65])
{
    size_t n = strlen(json) + 1;
    char *c = malloc(n);
    memcpy(c, json, n);
    char *h = strstr(c, ",\"hash\":\"");
    hash[0] = '\0';
    if (h) {
        snprintf(hash, 65, "%.64s", h + strlen(",\"hash\":\""));
        strcpy(h, "}");
    }
    return c;
}

/* The record id of a stored event (the third member). */
static inline void record_of(const char *json, char id[80])
{
    const char *p = strstr(json, "\"record\":\"") + strlen("\"record\":\"");
    snprintf(id, 80, "%.*s", (int)strcspn(p, "\""), p);
}

/* link = SHA-256(prev || the binary form of the canonical JSON c). */
static inline void link_of(const unsigned char prev[32], const char *c, unsigned char link[32])
{
    unsigned char bin[8192];
    size_t len = 0;
    assert_ok(itsm_event_json_to_binary(c, strlen(c), bin, sizeof bin, &len, NULL));
    itsm__sha256 sh;
    itsm__sha256_init(&sh);
    itsm__sha256_update(&sh, prev, 32);
    itsm__sha256_update(&sh, bin, len);
    itsm__sha256_final(&sh, link);
}

/* A record of the story still open (notes can go on it). */
static inline itsm_record *an_open_record(itsm_engine *eng)
{
    for (size_t i = 0; i < itsm_engine_record_count(eng); i++) {
        itsm_record *r;
        assert_ok(itsm_engine_record_at(&r, eng, i));
        if (itsm_record_is_open(r))
            return r;
    }
    fail_msg("the story leaves no record open");
    return NULL;
}

static inline void story_store(memstore *s, itsm_engine **keep)
{
    static vclock clock;   /* outlives the call: a kept engine reads it */
    clock.now = T0;
    itsm_engine *eng;
    scenario sc;
    memstore_init(s);
    assert_ok(scenario_engine_new(&eng, s, &clock, NULL, NULL));
    scenario_init(&sc, eng, &clock);
    for (size_t i = 0; i < scenario_nsteps; i++)
        assert_ok(scenario_run_step(&sc, i));
    if (keep)
        *keep = eng;
    else
        itsm_engine_free(eng);
}

/* The clock of every loading engine (it outlives the call). */
static vclock load_clock = { T0 + 86400 };

static inline int load_into(itsm_engine **out, memstore *s)
{
    assert_ok(scenario_engine_new(out, s, &load_clock, NULL, NULL));
    return itsm_engine_load(*out);
}

/* Replace the first `from` in event i with `to`. */
static inline void edit(memstore *s, size_t i, const char *from, const char *to)
{
    char *p = strstr(s->events[i], from);
    assert_non_null(p);
    size_t n = strlen(s->events[i]) - strlen(from) + strlen(to);
    char *e = malloc(n + 1);
    snprintf(e, n + 1, "%.*s%s%s", (int)(p - s->events[i]), s->events[i], to, p + strlen(from));
    free(s->events[i]);
    s->events[i] = e;
}

/* The index of the event of `id` at revision `rev`. */
static inline size_t event_at(const memstore *s, const char *id, int rev)
{
    char want[120];
    snprintf(want, sizeof want, "\"record\":\"%s\",", id);
    char r[32];
    snprintf(r, sizeof r, "\"rev\":%d,", rev);
    for (size_t i = 0; i < s->n; i++)
        if (strstr(s->events[i], want) && strstr(s->events[i], r))
            return i;
    fail_msg("no event %s rev %d", id, rev);
    return 0;
}

/* Recompute the hash of event i (and, when `onwards`, of every later event
 * of its record) as a forger who knows the rule would. */
static inline void reseal(memstore *s, size_t i, int onwards)
{
    char id[80];
    record_of(s->events[i], id);
    unsigned char prev[32] = { 0 };
    for (size_t j = 0; j < s->n; j++) {
        char rid[80], hash[65];
        record_of(s->events[j], rid);
        if (strcmp(rid, id))
            continue;
        char *c = canonical(s->events[j], hash);
        if (j >= i && (onwards || j == i)) {
            unsigned char link[32];
            char hex[65];
            link_of(prev, c, link);
            itsm__hex32(link, hex);
            edit(s, j, hash, hex);
            memcpy(prev, link, 32);
        } else {
            assert_int_equal(itsm__unhex32(hash, 64, prev), 0);
        }
        free(c);
    }
}

static inline void expect_broken(memstore *s, const char *why, const char *id, int rev)
{
    itsm_engine *eng;
    int rc = load_into(&eng, s);
    if (rc != ITSM_ETAMPER)
        fail_msg("%s: load gave %s (%s), not ITSM_ETAMPER", why, itsm_errname(rc), itsm_errmsg(eng));
    char want[160];
    snprintf(want, sizeof want, "record %s revision %d ", id, rev);
    if (!strstr(itsm_errmsg(eng), want))
        fail_msg("%s: the message does not name %s: %s", why, want, itsm_errmsg(eng));
    /* Nothing of a tampered store is trusted: the engine is as empty as
     * before the load, and still works. */
    assert_int_equal(itsm_engine_record_count(eng), 0);
    assert_int_equal(itsm_errcode(eng), ITSM_ETAMPER);
    itsm_record *r;
    assert_int_equal(itsm_record_find(&r, eng, id), ITSM_ENOTFOUND);
    size_t len = 0;
    assert_int_equal(itsm_engine_audit_to_json(eng, NULL, 0, &len), ITSM_ELIMIT);
    char doc[128];
    assert_ok(itsm_engine_audit_to_json(eng, doc, sizeof doc, &len));
    assert_non_null(strstr(doc, "\"records\":0,"));
    itsm_engine_free(eng);
}

#endif
