/* SPDX-License-Identifier: Apache-2.0 */
/* The robustness checks of the public API (tests/test_api_*.c, which define
 * _GNU_SOURCE before including it, for strcasestr): the world every check
 * runs against (an engine with records, a policy, packets, a report, a
 * second engine), the bad strings, and the one check of a bad call - a
 * negative code the header documents, a fresh engine message naming the
 * argument, and every record, policy and packet exactly as it was. Failures
 * are collected, not fatal one by one, so one run lists them all. */
#ifndef ITSM_TEST_API_CHECK_H
#define ITSM_TEST_API_CHECK_H

#include "support.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- bad strings ---- */
static char *LONG_STR;                        /* ITSM_MAX_TEXT + 1 bytes of 'a' */

static const char BADUTF8[] = "ab\xff\xfe" "cd";

static const char EMPTY[] = "";

/* ---- failure collection ---- */
static int failures;

static inline void failf(int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static inline void failf(int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "line %d: ", line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    failures++;
}

/* ---- the world every check runs against ---- */
typedef struct world {
    fixture      f;
    itsm_record *inc;    /* INC-1: open, "new", service/category, a note, linked to PRB */
    itsm_record *inc2;   /* INC-2: open, no service */
    itsm_record *prb;    /* a problem in "new" */
    itsm_policy *pol;    /* a default policy owned by the test */
    itsm_packet *pkt;    /* a draft shift packet for INC-1 */
    itsm_packet *ops;    /* a draft to_operations packet with one deliverable */
    itsm_report *rep;
    itsm_engine *other;  /* a second engine (no store) */
    itsm_record *alien;  /* a record of the second engine */
} world;

static world W;

static inline void world_open(void)
{
    memset(&W, 0, sizeof W);
    fixture_open(&W.f);
    itsm_engine *eng = W.f.eng;
    itsm_change fields[] = {
        { ITSM_F_SUMMARY, "mail down", 0 }, { ITSM_F_SERVICE, "mail", 0 },
        { ITSM_F_CATEGORY, "network", 0 }, { ITSM_F_IMPACT, NULL, 2 }, { ITSM_F_URGENCY, NULL, 2 },
    };
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    ro.id = "INC-1";
    ro.fields = fields;
    ro.nfields = sizeof fields / sizeof fields[0];
    assert_ok(itsm_record_open(&W.inc, eng, &ro));
    ro.id = "INC-2";
    ro.fields = fields;
    ro.nfields = 1;
    assert_ok(itsm_record_open(&W.inc2, eng, &ro));
    ro.id = "PRB-1";
    ro.kind = ITSM_KIND_PROBLEM;
    ro.fields = fields;
    ro.nfields = 1;
    assert_ok(itsm_record_open(&W.prb, eng, &ro));
    itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
    no.text = "looked at the relay";
    assert_ok(itsm_record_add_note(W.inc, &no));
    assert_ok(itsm_record_link(W.inc, ITSM_LINK_RELATED, W.prb));
    assert_ok(itsm_policy_new_default(&W.pol, NULL));
    assert_ok(itsm_packet_new(&W.pkt, W.inc, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_new(&W.ops, W.inc, ITSM_PACKET_TO_OPERATIONS));
    assert_ok(itsm_packet_add_deliverable(W.ops, "runbook", "ann", "bob", 1));
    itsm_report_opts rpo = ITSM_REPORT_OPTS_INIT;
    assert_ok(itsm_report_new(&W.rep, eng, &rpo));
    assert_ok(itsm_engine_new(&W.other, NULL));
    ro.id = "X-1";
    ro.kind = ITSM_KIND_INCIDENT;
    ro.nfields = 0;
    assert_ok(itsm_record_open(&W.alien, W.other, &ro));
}

static inline void world_close(void)
{
    itsm_report_free(W.rep);
    itsm_packet_free(W.pkt);
    itsm_packet_free(W.ops);
    itsm_policy_free(W.pol);
    itsm_engine_free(W.other);
    fixture_close(&W.f);
}

/* Leave a known, different failure on the engine so a stale message of it
 * is told apart from the bad call's own. */
static inline const char *prime(itsm_engine *eng)
{
    if (!eng)
        return NULL;
    assert_int_equal(itsm_engine_set_actor(eng, ""), ITSM_EINVAL);
    return itsm_errmsg(eng);
}

static inline char *policy_json(const itsm_policy *p)
{
    size_t len = 0;
    if (!p || itsm_policy_to_json(p, NULL, 0, &len) != ITSM_ELIMIT)
        return NULL;
    char *buf = malloc(len + 1);
    assert_non_null(buf);
    assert_int_equal(itsm_policy_to_json(p, buf, len + 1, &len), ITSM_OK);
    return buf;
}

static inline char *packet_json(const itsm_packet *p)
{
    size_t len = 0;
    if (!p || itsm_packet_to_json(p, NULL, 0, &len) != ITSM_ELIMIT)
        return NULL;
    char *buf = malloc(len + 1);
    assert_non_null(buf);
    assert_int_equal(itsm_packet_to_json(p, buf, len + 1, &len), ITSM_OK);
    /* state and number are not content, but must not change either */
    char *out = malloc(len + 64);
    assert_non_null(out);
    snprintf(out, len + 64, "%s|%d|%u", buf, (int)itsm_packet_state_of(p), (unsigned)itsm_packet_seq(p));
    free(buf);
    return out;
}

static inline int code_in(int rc, const int *allowed)
{
    for (; *allowed; allowed++)
        if (rc == *allowed)
            return 1;
    return 0;
}

static inline const char *codes_text(const int *allowed)
{
    static char buf[256];
    size_t off = 0;
    buf[0] = '\0';
    for (; *allowed && off < sizeof buf; allowed++)
        off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%s", off ? "|" : "", itsm_errname(*allowed));
    return buf;
}

/* Snapshot of everything a bad call must leave alone. */
typedef struct snap {
    char *dump, *pol, *pkt;
    char *stale;
} snap;

static inline snap take(itsm_engine *eng, const itsm_policy *pol, const itsm_packet *pkt)
{
    snap s;
    s.dump = engine_dump(W.f.eng);
    s.pol = policy_json(pol);
    s.pkt = packet_json(pkt);
    const char *m = prime(eng);
    s.stale = m ? strdup(m) : NULL;
    return s;
}

static inline void same_str(int line, const char *call, const char *what, char *before, char *after)
{
    if ((before || after) && (!before || !after || strcmp(before, after) != 0))
        failf(line, "%s changed the %s", call, what);
    free(before);
    free(after);
}

/*
 * The one check. `eng` is the engine reachable from the call (NULL when
 * none); `needle` must appear (case-insensitively) in its message (NULL:
 * no wording required, only a fresh, non-empty message). `pol`/`pkt`, when
 * given, must be unchanged; so must the world engine's records, always.
 */
static inline void check_bad(int line, const char *call, int rc, itsm_engine *eng, const char *needle,
                      const itsm_policy *pol, const itsm_packet *pkt, snap s, const int *allowed)
{
    if (rc >= 0)
        failf(line, "%s returned %d, wanted a negative code (%s)", call, rc, codes_text(allowed));
    else if (!code_in(rc, allowed))
        failf(line, "%s returned %s, not among the documented %s", call, itsm_errname(rc), codes_text(allowed));
    if (eng && rc < 0) {
        const char *m = itsm_errmsg(eng);
        if (itsm_errcode(eng) != rc)
            failf(line, "%s: itsm_errcode is %s, the call returned %s", call,
                  itsm_errname(itsm_errcode(eng)), itsm_errname(rc));
        if (!m || !*m)
            failf(line, "%s: empty engine message", call);
        else if (s.stale && strcmp(m, s.stale) == 0)
            failf(line, "%s: the engine message is stale (\"%s\")", call, m);
        else if (needle && !strcasestr(m, needle))
            failf(line, "%s: message \"%s\" does not mention \"%s\"", call, m, needle);
    }
    free(s.stale);
    same_str(line, call, "records", s.dump, engine_dump(W.f.eng));
    same_str(line, call, "policy", s.pol, policy_json(pol));
    same_str(line, call, "packet", s.pkt, packet_json(pkt));
}

#define CODES(...) ((const int[]){ __VA_ARGS__, 0 })

/* A second, different primer: when the bad call's message equals the first
 * primer's, the call is run again after this one to tell "the same words"
 * from "stale". */
static inline const char *prime2(itsm_engine *eng)
{
    itsm_record *r;
    assert_int_equal(itsm_record_find(&r, eng, "PRIMER-B"), ITSM_ENOTFOUND);
    return itsm_errmsg(eng);
}

static inline void rerun_if_same(itsm_engine *eng, snap *s)
{
    if (!eng || !s->stale || strcmp(itsm_errmsg(eng), s->stale) != 0)
        return;
    free(s->stale);
    s->stale = strdup(prime2(eng));
}

/* A bad call with an engine reachable. */
#define BAD_E(eng, needle, call, ...) do {                                     \
        snap s_ = take((eng), NULL, NULL);                                     \
        int rc_ = (call);                                                      \
        if ((eng) && s_.stale && strcmp(itsm_errmsg(eng), s_.stale) == 0) {    \
            rerun_if_same((eng), &s_);                                         \
            rc_ = (call);                                                      \
        }                                                                      \
        check_bad(__LINE__, #call, rc_, (eng), (needle), NULL, NULL, s_, CODES(__VA_ARGS__)); \
    } while (0)

/* No engine reachable (NULL handle, or a policy/report-only call). */
#define BAD_N(call, ...) do {                                                  \
        snap s_ = take(NULL, NULL, NULL);                                      \
        int rc_ = (call);                                                      \
        check_bad(__LINE__, #call, rc_, NULL, NULL, NULL, NULL, s_, CODES(__VA_ARGS__)); \
    } while (0)

/* A bad call on a policy: its own message must be set and mention `needle`,
 * and the policy must be unchanged. */
static inline void prime_policy(itsm_policy *p)
{
    if (p)
        assert_int_equal(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "Not A Name", 0), ITSM_EINVAL);
}

#define BAD_P(pol, needle, call, ...) do {                                     \
        snap s_ = take(NULL, (pol), NULL);                                     \
        prime_policy(pol);                                                     \
        char *st_ = strdup(itsm_policy_errmsg(pol));                           \
        int rc_ = (call);                                                      \
        if (rc_ < 0 && strcmp(itsm_policy_errmsg(pol), st_) == 0) {           \
            free(st_);                                                         \
            assert_int_equal(itsm_policy_set_priority((pol), 9, 9, 9), ITSM_EINVAL); \
            st_ = strdup(itsm_policy_errmsg(pol));                             \
            rc_ = (call);                                                      \
        }                                                                      \
        const char *m_ = itsm_policy_errmsg(pol);                              \
        if (rc_ < 0 && (!*m_ || strcmp(m_, st_) == 0))                         \
            failf(__LINE__, "%s: policy message empty or stale (\"%s\")", #call, m_); \
        else if (rc_ < 0 && (needle) && !strcasestr(m_, (needle) ? (needle) : "")) \
            failf(__LINE__, "%s: policy message \"%s\" does not mention \"%s\"", #call, m_, \
                  (needle) ? (needle) : "");                                   \
        free(st_);                                                             \
        check_bad(__LINE__, #call, rc_, NULL, NULL, (pol), NULL, s_, CODES(__VA_ARGS__)); \
    } while (0)

#define EXPECT(cond) do { if (!(cond)) failf(__LINE__, "expected %s", #cond); } while (0)

/* ---- snprintf-style writers ---- */
static inline void check_writer(int line, const char *name, int (*call)(const void *, char *, size_t, size_t *),
                         const void *obj)
{
    size_t len = 12345;
    int rc = call(obj, NULL, 0, &len);
    if (rc != ITSM_ELIMIT && !(rc == ITSM_OK && len == 0)) {
        failf(line, "%s(NULL, 0) gave %s", name, itsm_errname(rc));
        return;
    }
    size_t full = len;
    char *buf = malloc(full + 1);
    assert_non_null(buf);
    if (call(obj, buf, full + 1, &len) != ITSM_OK || len != full || strlen(buf) != full)
        failf(line, "%s with %zu bytes did not fit or changed length", name, full + 1);
    if (full > 0) {
        char *small = malloc(full);
        assert_non_null(small);
        memset(small, 'x', full);
        size_t l2 = 0;
        rc = call(obj, small, full, &l2);
        if (rc != ITSM_ELIMIT || l2 != full || small[full - 1] != '\0' || strncmp(small, buf, full - 1) != 0)
            failf(line, "%s one byte short: %s, len %zu (want ELIMIT, %zu, truncated and terminated)", name,
                  itsm_errname(rc), l2, full);
        l2 = 0;
        char one[1] = { 'x' };
        rc = call(obj, one, 1, &l2);
        if (rc != ITSM_ELIMIT || l2 != full || one[0] != '\0')
            failf(line, "%s cap 1: %s, len %zu", name, itsm_errname(rc), l2);
        free(small);
    }
    free(buf);
}

static inline int group_setup(void **state)
{
    (void)state;
    LONG_STR = malloc(ITSM_MAX_TEXT + 2);
    if (!LONG_STR)
        return -1;
    memset(LONG_STR, 'a', ITSM_MAX_TEXT + 1);
    LONG_STR[ITSM_MAX_TEXT + 1] = '\0';
    return 0;
}

static inline int group_teardown(void **state)
{
    (void)state;
    free(LONG_STR);
    return 0;
}

static inline int reset(void **state)
{
    (void)state;
    failures = 0;
    return 0;
}

#endif
