/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Robustness of the whole public API (every ITSM_API function of
 * include/itsm/ headers): NULL for each pointer argument, out-of-range enums and
 * integers, and for strings an over-long one, invalid UTF-8 and "".
 *
 * For every bad call the test asserts:
 *   - no crash;
 *   - a negative code from the list the header documents for the function;
 *   - when an engine is reachable: itsm_errcode equals the code, and
 *     itsm_errmsg is non-empty, is not a stale message of an earlier failure
 *     (each call is preceded by a different, known failure), and mentions the
 *     offending argument;
 *   - every record exactly as it was (engine_dump); a policy or a packet the
 *     call was given exactly as it was (its JSON).
 * Getters must give their documented "nothing" value for NULL. Every
 * *_opts_init rejects unknown versions without touching the struct, every
 * *_free accepts NULL, and every snprintf-style writer honours (NULL, 0) and
 * reports the full length.
 *
 * Failures are collected, not fatal one by one, so one run lists them all.
 */
#define _GNU_SOURCE 1   /* strcasestr */
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
static void failf(int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void failf(int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "test_api_robustness.c:%d: ", line);
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

static void world_open(void)
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

static void world_close(void)
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
static const char *prime(itsm_engine *eng)
{
    if (!eng)
        return NULL;
    assert_int_equal(itsm_engine_set_actor(eng, ""), ITSM_EINVAL);
    return itsm_errmsg(eng);
}

static char *policy_json(const itsm_policy *p)
{
    size_t len = 0;
    if (!p || itsm_policy_to_json(p, NULL, 0, &len) != ITSM_ELIMIT)
        return NULL;
    char *buf = malloc(len + 1);
    assert_non_null(buf);
    assert_int_equal(itsm_policy_to_json(p, buf, len + 1, &len), ITSM_OK);
    return buf;
}

static char *packet_json(const itsm_packet *p)
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

static int code_in(int rc, const int *allowed)
{
    for (; *allowed; allowed++)
        if (rc == *allowed)
            return 1;
    return 0;
}

static const char *codes_text(const int *allowed)
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

static snap take(itsm_engine *eng, const itsm_policy *pol, const itsm_packet *pkt)
{
    snap s;
    s.dump = engine_dump(W.f.eng);
    s.pol = policy_json(pol);
    s.pkt = packet_json(pkt);
    const char *m = prime(eng);
    s.stale = m ? strdup(m) : NULL;
    return s;
}

static void same_str(int line, const char *call, const char *what, char *before, char *after)
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
static void check_bad(int line, const char *call, int rc, itsm_engine *eng, const char *needle,
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
static const char *prime2(itsm_engine *eng)
{
    itsm_record *r;
    assert_int_equal(itsm_record_find(&r, eng, "PRIMER-B"), ITSM_ENOTFOUND);
    return itsm_errmsg(eng);
}
static void rerun_if_same(itsm_engine *eng, snap *s)
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
static void prime_policy(itsm_policy *p)
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

/* A bad call on a packet: its own message must be set (non-empty), the
 * packet unchanged; `eng` when the call also reaches an engine. */
#define BAD_K(pkt, eng, needle, call, ...) do {                                \
        snap s_ = take((eng), NULL, (pkt));                                    \
        int rc_ = (call);                                                      \
        if (rc_ < 0 && !(eng) && (needle) && !strcasestr(itsm_packet_errmsg(pkt), (needle) ? (needle) : "")) \
            failf(__LINE__, "%s: packet message \"%s\" does not mention \"%s\"", #call, \
                  itsm_packet_errmsg(pkt), (needle) ? (needle) : "");          \
        check_bad(__LINE__, #call, rc_, (eng), (eng) ? (needle) : NULL, NULL, (pkt), s_, CODES(__VA_ARGS__)); \
    } while (0)

#define EXPECT(cond) do { if (!(cond)) failf(__LINE__, "expected %s", #cond); } while (0)

/* ---- snprintf-style writers ---- */
static void check_writer(int line, const char *name, int (*call)(const void *, char *, size_t, size_t *),
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

static int w_policy(const void *o, char *b, size_t c, size_t *l) { return itsm_policy_to_json(o, b, c, l); }
static int w_packet(const void *o, char *b, size_t c, size_t *l) { return itsm_packet_to_json(o, b, c, l); }
static int w_report(const void *o, char *b, size_t c, size_t *l) { return itsm_report_to_json(o, b, c, l); }
static int w_csv(const void *o, char *b, size_t c, size_t *l) { return itsm_report_to_csv(o, b, c, l); }
static int w_event(const void *o, char *b, size_t c, size_t *l) { return itsm_event_to_json(o, b, c, l); }
static int w_checklist(const void *o, char *b, size_t c, size_t *l)
{
    return itsm_policy_handover_checklist(o, ITSM_PACKET_DESK_TO_MAJOR, b, c, l);
}
static int w_hreport(const void *o, char *b, size_t c, size_t *l)
{
    return itsm_handover_report_to_json(o, ITSM_TIME_MIN, ITSM_TIME_MAX, b, c, l);
}

/* ---- opts_init: unknown versions, NULL ---- */
#define OPTS_INIT(fn, type, ver) do {                                          \
        type o_;                                                               \
        memset(&o_, 0xAB, sizeof o_);                                          \
        unsigned char ref_[sizeof o_];                                         \
        memcpy(ref_, &o_, sizeof o_);                                          \
        EXPECT(fn(NULL, ver) == ITSM_EINVAL);                                  \
        EXPECT(fn(&o_, 0) == ITSM_EINVAL);                                     \
        EXPECT(fn(&o_, (ver) + 1) == ITSM_EINVAL);                             \
        EXPECT(fn(&o_, UINT_MAX) == ITSM_EINVAL);                              \
        EXPECT(memcmp(&o_, ref_, sizeof o_) == 0);                             \
        EXPECT(fn(&o_, ver) == ITSM_OK);                                       \
        EXPECT(o_.version == (ver));                                           \
    } while (0)

static void test_opts_init(void **state)
{
    (void)state;
    OPTS_INIT(itsm_engine_opts_init, itsm_engine_opts, ITSM_ENGINE_OPTS_VERSION);
    OPTS_INIT(itsm_record_opts_init, itsm_record_opts, ITSM_RECORD_OPTS_VERSION);
    OPTS_INIT(itsm_note_opts_init, itsm_note_opts, ITSM_NOTE_OPTS_VERSION);
    OPTS_INIT(itsm_transition_def_init, itsm_transition_def, ITSM_TRANSITION_DEF_VERSION);
    OPTS_INIT(itsm_calendar_def_init, itsm_calendar_def, ITSM_CALENDAR_DEF_VERSION);
    OPTS_INIT(itsm_sla_def_init, itsm_sla_def, ITSM_SLA_DEF_VERSION);
    OPTS_INIT(itsm_problem_rules_init, itsm_problem_rules, ITSM_PROBLEM_RULES_VERSION);
    OPTS_INIT(itsm_decision_opts_init, itsm_decision_opts, ITSM_DECISION_OPTS_VERSION);
    OPTS_INIT(itsm_problem_open_opts_init, itsm_problem_open_opts, ITSM_PROBLEM_OPEN_OPTS_VERSION);
    OPTS_INIT(itsm_knowledge_query_init, itsm_knowledge_query, ITSM_KNOWLEDGE_QUERY_VERSION);
    OPTS_INIT(itsm_report_opts_init, itsm_report_opts, ITSM_REPORT_OPTS_VERSION);
    assert_int_equal(failures, 0);
}

/* ---- free functions accept NULL ---- */
static void test_free_null(void **state)
{
    (void)state;
    itsm_engine_free(NULL);
    itsm_policy_free(NULL);
    itsm_packet_free(NULL);
    itsm_report_free(NULL);
}

/* ---- pure functions: names, codes, versions, fields, kinds ---- */
static void test_pure(void **state)
{
    (void)state;
    EXPECT(strcmp(itsm_errstr(12345), "unknown error") == 0);
    EXPECT(strcmp(itsm_errstr(INT_MIN), "unknown error") == 0);
    EXPECT(strcmp(itsm_errname(12345), "ITSM_EUNKNOWN") == 0);
    EXPECT(strcmp(itsm_errname(INT_MIN), "ITSM_EUNKNOWN") == 0);
    for (int c = ITSM_ETAMPER; c <= ITSM_OK; c++)
        EXPECT(itsm_errstr(c) && *itsm_errstr(c) && strncmp(itsm_errname(c), "ITSM_", 5) == 0);
    EXPECT(itsm_version_number() == ITSM_VERSION_NUMBER);
    EXPECT(strcmp(itsm_version_string(), ITSM_VERSION_STRING) == 0);

    EXPECT(itsm_kind_name((itsm_kind)0) == NULL);
    EXPECT(itsm_kind_name((itsm_kind)(ITSM_KIND_COUNT + 1)) == NULL);
    EXPECT(itsm_kind_name((itsm_kind)-1) == NULL);
    itsm_kind k = ITSM_KIND_CHANGE;
    EXPECT(itsm_kind_from_name(NULL, "incident") == ITSM_EINVAL);
    EXPECT(itsm_kind_from_name(&k, NULL) == ITSM_EINVAL);
    EXPECT(itsm_kind_from_name(&k, EMPTY) == ITSM_ENOTFOUND);
    EXPECT(itsm_kind_from_name(&k, LONG_STR) == ITSM_ENOTFOUND);
    EXPECT(itsm_kind_from_name(&k, BADUTF8) == ITSM_ENOTFOUND);
    EXPECT(k == ITSM_KIND_CHANGE);

    EXPECT(itsm_field_name((itsm_field)-1) == NULL);
    EXPECT(itsm_field_name(ITSM_F__COUNT) == NULL);
    EXPECT(itsm_field_type_of((itsm_field)-1) == 0);
    EXPECT(itsm_field_type_of(ITSM_F__COUNT) == 0);
    EXPECT(itsm_field_is_engine_owned((itsm_field)-1) == 0);
    EXPECT(itsm_field_is_engine_owned(ITSM_F__COUNT) == 0);
    itsm_field f = ITSM_F_CI;
    EXPECT(itsm_field_from_name(NULL, "summary") == ITSM_EINVAL);
    EXPECT(itsm_field_from_name(&f, NULL) == ITSM_EINVAL);
    EXPECT(itsm_field_from_name(&f, EMPTY) == ITSM_ENOTFOUND);
    EXPECT(itsm_field_from_name(&f, LONG_STR) == ITSM_ENOTFOUND);
    EXPECT(itsm_field_from_name(&f, BADUTF8) == ITSM_ENOTFOUND);
    EXPECT(f == ITSM_F_CI);

    itsm_packet_kind pk = ITSM_PACKET_TO_CHANGE;
    EXPECT(itsm_packet_kind_name((itsm_packet_kind)0) == NULL);
    EXPECT(itsm_packet_kind_name((itsm_packet_kind)6) == NULL);
    EXPECT(itsm_packet_kind_from_name(NULL, "shift") == ITSM_EINVAL);
    EXPECT(itsm_packet_kind_from_name(&pk, NULL) == ITSM_EINVAL);
    EXPECT(itsm_packet_kind_from_name(&pk, EMPTY) == ITSM_ENOTFOUND);
    EXPECT(itsm_packet_kind_from_name(&pk, LONG_STR) == ITSM_ENOTFOUND);
    EXPECT(itsm_packet_kind_from_name(&pk, BADUTF8) == ITSM_ENOTFOUND);
    EXPECT(pk == ITSM_PACKET_TO_CHANGE);

    EXPECT(itsm_verdict_name((itsm_verdict)0) == NULL);
    EXPECT(itsm_verdict_name((itsm_verdict)4) == NULL);
    EXPECT(itsm_reason_name((itsm_reason)0) == NULL);
    EXPECT(itsm_reason_name((itsm_reason)9) == NULL);
    EXPECT(itsm_deliverable_status_name((itsm_deliverable_status)0) == NULL);
    EXPECT(itsm_deliverable_status_name((itsm_deliverable_status)5) == NULL);
    EXPECT(itsm_report_measure_name((itsm_report_measure)-1) == NULL);
    EXPECT(itsm_report_measure_name((itsm_report_measure)ITSM_MEASURE_COUNT) == NULL);
    EXPECT(itsm_report_aging_bound(ITSM_REPORT_AGING_BUCKETS) == 0);
    EXPECT(itsm_report_aging_bound((size_t)-1) == 0);
    assert_int_equal(failures, 0);
}

/* ---- engine ---- */
static void test_engine(void **state)
{
    (void)state;
    world_open();
    itsm_engine *eng = W.f.eng;
    itsm_record *r = NULL;

    /* creation */
    itsm_engine *e2 = (itsm_engine *)&W;
    itsm_engine_opts eo = ITSM_ENGINE_OPTS_INIT;
    BAD_N(itsm_engine_new(NULL, NULL), ITSM_EINVAL);
    BAD_N(itsm_engine_new(NULL, &eo), ITSM_EINVAL);
    eo.version = ITSM_ENGINE_OPTS_VERSION + 1;
    BAD_N(itsm_engine_new(&e2, &eo), ITSM_EINVAL);
    EXPECT(e2 == NULL);
    eo.version = ITSM_ENGINE_OPTS_VERSION;
    eo.alloc.malloc_fn = W.f.store.n ? NULL : NULL;
    failalloc fa = { 0, 0, 0, 0 };
    eo.alloc = failalloc_make(&fa);
    eo.alloc.free_fn = NULL;   /* half set */
    BAD_N(itsm_engine_new(&e2, &eo), ITSM_EINVAL);
    EXPECT(e2 == NULL);
    eo.alloc = (itsm_allocator){ NULL, NULL, NULL, NULL };
    itsm_store st = memstore_methods;
    st.version = ITSM_STORE_VERSION + 1;
    eo.store = &st;
    BAD_N(itsm_engine_new(&e2, &eo), ITSM_EINVAL);
    st = memstore_methods;
    st.append = NULL;
    BAD_N(itsm_engine_new(&e2, &eo), ITSM_EINVAL);
    EXPECT(e2 == NULL);
    eo.store = NULL;
    itsm_policy *bad = NULL;
    assert_ok(itsm_policy_new_default(&bad, NULL));
    assert_ok(itsm_policy_add_state(bad, ITSM_KIND_INCIDENT, "limbo", 0));   /* unreachable */
    eo.policy = bad;
    BAD_N(itsm_engine_new(&e2, &eo), ITSM_EPOLICY);
    EXPECT(e2 == NULL);
    itsm_policy_free(bad);

    /* getters */
    EXPECT(itsm_errmsg(NULL) != NULL);
    EXPECT(itsm_errcode(NULL) == ITSM_EINVAL);
    EXPECT(itsm_engine_policy(NULL) == NULL);
    EXPECT(itsm_engine_now(NULL) == ITSM_TIME_NONE);
    EXPECT(itsm_engine_record_count(NULL) == 0);
    EXPECT(itsm_engine_next_deadline(NULL) == ITSM_TIME_NONE);
    EXPECT(itsm_engine_outage(NULL, "mail") == NULL);
    EXPECT(itsm_engine_outage(eng, NULL) == NULL);
    EXPECT(itsm_engine_outage(eng, EMPTY) == NULL);
    EXPECT(itsm_engine_outage(eng, LONG_STR) == NULL);
    EXPECT(itsm_engine_outage(eng, BADUTF8) == NULL);
    EXPECT(itsm_engine_handover_count(NULL) == 0);
    EXPECT(itsm_quality_log_count(NULL) == 0);

    /* actor */
    BAD_N(itsm_engine_set_actor(NULL, "ann"), ITSM_EINVAL);
    BAD_E(eng, "actor", itsm_engine_set_actor(eng, LONG_STR), ITSM_ELIMIT);
    BAD_E(eng, "actor", itsm_engine_set_actor(eng, BADUTF8), ITSM_EINVAL);
    /* set_actor(eng, "") is the primer itself; check its message here */
    EXPECT(itsm_engine_set_actor(eng, EMPTY) == ITSM_EINVAL && strstr(itsm_errmsg(eng), "actor"));

    /* records by index */
    BAD_N(itsm_engine_record_at(&r, NULL, 0), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_engine_record_at(NULL, eng, 0), ITSM_EINVAL);
    BAD_E(eng, "index", itsm_engine_record_at(&r, eng, 3), ITSM_EINVAL);
    BAD_E(eng, "index", itsm_engine_record_at(&r, eng, SIZE_MAX), ITSM_EINVAL);

    /* replay */
    itsm_parse_error pe;
    BAD_N(itsm_engine_replay_json(NULL, "{}", 2, &pe), ITSM_EINVAL);
    BAD_E(eng, "json", itsm_engine_replay_json(eng, NULL, 4, &pe), ITSM_EINVAL);
    BAD_E(eng, NULL, itsm_engine_replay_json(eng, "{", 1, &pe), ITSM_EPARSE);
    EXPECT(pe.code == ITSM_EPARSE && pe.text[0]);
    BAD_E(eng, NULL, itsm_engine_replay_json(eng, EMPTY, 0, NULL), ITSM_EPARSE);
    BAD_E(eng, NULL, itsm_engine_replay_json(eng, "\"\xff\"", 3, &pe), ITSM_EPARSE);
    BAD_E(eng, NULL, itsm_engine_replay_json(eng, "{}", 2, &pe), ITSM_EPARSE);
    BAD_E(eng, NULL, itsm_engine_replay_json(eng, LONG_STR, strlen(LONG_STR), &pe), ITSM_EPARSE);
    {
        char deep[200];
        memset(deep, '[', sizeof deep);
        BAD_E(eng, NULL, itsm_engine_replay_json(eng, deep, sizeof deep, &pe), ITSM_ELIMIT, ITSM_EPARSE);
    }
    /* an event of a record the engine does not know */
    BAD_E(eng, "NOPE-1",
          itsm_engine_replay_json(eng, "{\"v\":1,\"type\":\"note\",\"record\":\"NOPE-1\",\"kind\":\"incident\","
                                  "\"rev\":2,\"at\":\"2026-03-02T09:00:00Z\",\"note\":{\"kind\":\"work\",\"text\":\"x\"}}",
                                  strlen("{\"v\":1,\"type\":\"note\",\"record\":\"NOPE-1\",\"kind\":\"incident\","
                                         "\"rev\":2,\"at\":\"2026-03-02T09:00:00Z\",\"note\":{\"kind\":\"work\",\"text\":\"x\"}}"),
                                  &pe),
          ITSM_ENOTFOUND, ITSM_EPARSE);
    BAD_N(itsm_engine_load(NULL), ITSM_EINVAL);
    BAD_E(W.other, "scan", itsm_engine_load(W.other), ITSM_EINVAL);

    /* tick */
    size_t fired = 7;
    BAD_N(itsm_engine_tick(NULL, T0, &fired), ITSM_EINVAL);
    BAD_E(eng, "1970", itsm_engine_tick(eng, -5, &fired), ITSM_EINVAL);
    BAD_E(eng, "1970", itsm_engine_tick(eng, ITSM_TIME_MAX + 1, &fired), ITSM_EINVAL);

    /* aging */
    itsm_aging_entry ae[4] = { { .size = sizeof(itsm_aging_entry) } };
    size_t n = 99;
    BAD_N(itsm_engine_aging(ae, 4, &n, NULL, ITSM_AGING_BY_AGE, T0), ITSM_EINVAL);
    BAD_E(eng, "n", itsm_engine_aging(ae, 4, NULL, eng, ITSM_AGING_BY_AGE, T0), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_engine_aging(NULL, 4, &n, eng, ITSM_AGING_BY_AGE, T0), ITSM_EINVAL);
    BAD_E(eng, "order", itsm_engine_aging(ae, 4, &n, eng, (itsm_aging_order)0, T0), ITSM_EINVAL);
    BAD_E(eng, "order", itsm_engine_aging(ae, 4, &n, eng, (itsm_aging_order)3, T0), ITSM_EINVAL);
    BAD_E(eng, "1970", itsm_engine_aging(ae, 4, &n, eng, ITSM_AGING_BY_AGE, -5), ITSM_EINVAL);

    /* handovers and the quality log */
    itsm_packet *hp = NULL;
    itsm_quality_entry qe = { .size = sizeof qe };
    BAD_N(itsm_engine_handover_at(&hp, NULL, 0), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_engine_handover_at(NULL, eng, 0), ITSM_EINVAL);
    BAD_E(eng, "index", itsm_engine_handover_at(&hp, eng, 0), ITSM_EINVAL);
    BAD_N(itsm_engine_handover_find(&hp, NULL, 1), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_engine_handover_find(NULL, eng, 1), ITSM_EINVAL);
    BAD_E(eng, "99", itsm_engine_handover_find(&hp, eng, 99), ITSM_ENOTFOUND);
    BAD_E(eng, "0", itsm_engine_handover_find(&hp, eng, 0), ITSM_ENOTFOUND, ITSM_EINVAL);
    BAD_N(itsm_quality_log_at(NULL, 0, &qe), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_quality_log_at(eng, 0, NULL), ITSM_EINVAL);
    BAD_E(eng, "index", itsm_quality_log_at(eng, 0, &qe), ITSM_EINVAL);
    size_t len = 0;
    BAD_N(itsm_handover_report_to_json(NULL, 0, T0, NULL, 0, &len), ITSM_EINVAL);
    BAD_E(eng, "len", itsm_handover_report_to_json(eng, 0, T0, NULL, 0, NULL), ITSM_EINVAL);
    BAD_E(eng, "1970", itsm_handover_report_to_json(eng, -5, T0, NULL, 0, &len), ITSM_EINVAL);
    BAD_E(eng, "1970", itsm_handover_report_to_json(eng, 0, ITSM_TIME_MAX + 1, NULL, 0, &len), ITSM_EINVAL);
    BAD_E(eng, "from", itsm_handover_report_to_json(eng, T0, T0 - 1, NULL, 0, &len), ITSM_EINVAL);
    check_writer(__LINE__, "itsm_handover_report_to_json", w_hreport, eng);

    world_close();
    assert_int_equal(failures, 0);
}

/* ---- records ---- */
static void test_record(void **state)
{
    (void)state;
    world_open();
    itsm_engine *eng = W.f.eng;
    itsm_record *r = NULL, *inc = W.inc;

    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    BAD_N(itsm_record_open(&r, NULL, &ro), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_record_open(NULL, eng, &ro), ITSM_EINVAL);
    BAD_E(eng, "options", itsm_record_open(&r, eng, NULL), ITSM_EINVAL);
    ro.version = 2;
    BAD_E(eng, "version", itsm_record_open(&r, eng, &ro), ITSM_EINVAL);
    ro.version = ITSM_RECORD_OPTS_VERSION;
    ro.kind = (itsm_kind)0;
    BAD_E(eng, "kind", itsm_record_open(&r, eng, &ro), ITSM_EINVAL);
    ro.kind = (itsm_kind)6;
    BAD_E(eng, "kind", itsm_record_open(&r, eng, &ro), ITSM_EINVAL);
    ro.kind = ITSM_KIND_INCIDENT;
    const char *bad_ids[] = { EMPTY, LONG_STR, BADUTF8, "a b", "x/y" };
    for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
        ro.id = bad_ids[i];
        BAD_E(eng, "id", itsm_record_open(&r, eng, &ro), ITSM_EINVAL);
    }
    ro.id = "INC-1";
    BAD_E(eng, "INC-1", itsm_record_open(&r, eng, &ro), ITSM_EEXISTS);
    ro.id = "NEW-1";
    ro.nfields = 1;
    BAD_E(eng, "changes", itsm_record_open(&r, eng, &ro), ITSM_EINVAL);
    {
        struct { itsm_change c; const char *needle; int code; } bad_changes[] = {
            { { (itsm_field)-1, NULL, 0 }, "field", ITSM_EINVAL },
            { { ITSM_F__COUNT, NULL, 0 }, "field", ITSM_EINVAL },
            { { ITSM_F_SUMMARY, NULL, 0 }, NULL, 0 },               /* placeholder: replaced below */
            { { ITSM_F_SUMMARY, BADUTF8, 0 }, "summary", ITSM_EINVAL },
            { { ITSM_F_SERVICE, EMPTY, 0 }, "service", ITSM_EINVAL },
            { { ITSM_F_SERVICE, BADUTF8, 0 }, "service", ITSM_EINVAL },
            { { ITSM_F_SERVICE, "tab\there", 0 }, "service", ITSM_EINVAL },
            { { ITSM_F_IMPACT, NULL, 0 }, "impact", ITSM_EINVAL },
            { { ITSM_F_IMPACT, NULL, 4 }, "impact", ITSM_EINVAL },
            { { ITSM_F_URGENCY, NULL, INT64_MIN }, "urgency", ITSM_EINVAL },
            { { ITSM_F_PRIORITY, NULL, 6 }, "priority", ITSM_EINVAL },
            { { ITSM_F_MAJOR, NULL, 2 }, "major", ITSM_EINVAL },
            { { ITSM_F_OPENED_AT, NULL, T0 }, "opened_at", ITSM_EINVAL },
            { { ITSM_F_REOPENS, NULL, 1 }, "reopens", ITSM_EINVAL },
        };
        bad_changes[2].c.str = LONG_STR;
        bad_changes[2].needle = "summary";
        bad_changes[2].code = ITSM_ELIMIT;
        itsm_change sym_long = { ITSM_F_SERVICE, NULL, 0 };
        char sym[ITSM_MAX_SYMBOL + 2];
        memset(sym, 's', sizeof sym - 1);
        sym[sizeof sym - 1] = '\0';
        sym_long.str = sym;
        for (size_t i = 0; i < sizeof bad_changes / sizeof bad_changes[0]; i++) {
            ro.fields = &bad_changes[i].c;
            ro.nfields = 1;
            BAD_E(eng, bad_changes[i].needle, itsm_record_open(&r, eng, &ro), bad_changes[i].code);
            BAD_E(eng, bad_changes[i].needle, itsm_record_update(inc, &bad_changes[i].c, 1), bad_changes[i].code);
            BAD_E(eng, bad_changes[i].needle, itsm_record_fire(inc, "assign", &bad_changes[i].c, 1),
                  bad_changes[i].code);
        }
        ro.fields = &sym_long;
        BAD_E(eng, "service", itsm_record_open(&r, eng, &ro), ITSM_ELIMIT);
        BAD_E(eng, "service", itsm_record_update(inc, &sym_long, 1), ITSM_ELIMIT);
        itsm_change twice[2] = { { ITSM_F_SUMMARY, "a", 0 }, { ITSM_F_SUMMARY, "b", 0 } };
        BAD_E(eng, "summary", itsm_record_update(inc, twice, 2), ITSM_EINVAL);
        /* a good change followed by a bad one: all or none */
        itsm_change mixed[2] = { { ITSM_F_SUMMARY, "changed", 0 }, { ITSM_F_IMPACT, NULL, 9 } };
        BAD_E(eng, "impact", itsm_record_update(inc, mixed, 2), ITSM_EINVAL);
        BAD_E(eng, "impact", itsm_record_fire(inc, "assign", mixed, 2), ITSM_EINVAL);
    }
    ro.fields = NULL;
    ro.nfields = 0;

    /* find */
    BAD_N(itsm_record_find(&r, NULL, "INC-1"), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_record_find(NULL, eng, "INC-1"), ITSM_EINVAL);
    BAD_E(eng, "id", itsm_record_find(&r, eng, NULL), ITSM_EINVAL);
    BAD_E(eng, "record", itsm_record_find(&r, eng, EMPTY), ITSM_ENOTFOUND, ITSM_EINVAL);
    BAD_E(eng, "record", itsm_record_find(&r, eng, LONG_STR), ITSM_ENOTFOUND, ITSM_EINVAL);
    BAD_E(eng, "record", itsm_record_find(&r, eng, BADUTF8), ITSM_ENOTFOUND, ITSM_EINVAL);

    /* getters */
    EXPECT(itsm_record_id(NULL) == NULL);
    EXPECT(itsm_record_kind(NULL) == 0);
    EXPECT(itsm_record_state(NULL) == NULL);
    EXPECT(itsm_record_is_open(NULL) == 0);
    EXPECT(itsm_record_revision(NULL) == 0);
    EXPECT(itsm_record_engine(NULL) == NULL);
    EXPECT(itsm_record_str(NULL, ITSM_F_SUMMARY) == NULL);
    EXPECT(itsm_record_str(inc, (itsm_field)-1) == NULL);
    EXPECT(itsm_record_str(inc, ITSM_F__COUNT) == NULL);
    EXPECT(itsm_record_str(inc, ITSM_F_IMPACT) == NULL);
    EXPECT(itsm_record_int(NULL, ITSM_F_IMPACT) == 0);
    EXPECT(itsm_record_int(NULL, ITSM_F_OPENED_AT) == ITSM_TIME_NONE);
    EXPECT(itsm_record_int(inc, (itsm_field)-1) == 0);
    EXPECT(itsm_record_int(inc, ITSM_F__COUNT) == 0);
    EXPECT(itsm_record_int(inc, ITSM_F_SUMMARY) == 0);
    EXPECT(itsm_record_has(NULL, ITSM_F_SUMMARY) == 0);
    EXPECT(itsm_record_has(inc, (itsm_field)-1) == 0);
    EXPECT(itsm_record_has(inc, ITSM_F__COUNT) == 0);
    EXPECT(itsm_record_timeline_count(NULL) == 0);
    EXPECT(itsm_record_link_count(NULL) == 0);

    /* update / set */
    itsm_change ok = { ITSM_F_SUMMARY, "x", 0 };
    BAD_N(itsm_record_update(NULL, &ok, 1), ITSM_EINVAL);
    BAD_E(eng, "changes", itsm_record_update(inc, NULL, 1), ITSM_EINVAL);
    BAD_E(eng, "change", itsm_record_update(inc, &ok, 0), ITSM_EINVAL);
    BAD_E(eng, "changes", itsm_record_update(inc, &ok, SIZE_MAX), ITSM_EINVAL);
    BAD_N(itsm_record_set_str(NULL, ITSM_F_SUMMARY, "x"), ITSM_EINVAL);
    BAD_E(eng, "field", itsm_record_set_str(inc, (itsm_field)-1, "x"), ITSM_EINVAL);
    BAD_E(eng, "field", itsm_record_set_str(inc, ITSM_F__COUNT, "x"), ITSM_EINVAL);
    BAD_E(eng, "impact", itsm_record_set_str(inc, ITSM_F_IMPACT, "x"), ITSM_EINVAL);
    BAD_E(eng, "opened_at", itsm_record_set_str(inc, ITSM_F_OPENED_AT, "x"), ITSM_EINVAL);
    BAD_E(eng, "summary", itsm_record_set_str(inc, ITSM_F_SUMMARY, LONG_STR), ITSM_ELIMIT);
    BAD_E(eng, "summary", itsm_record_set_str(inc, ITSM_F_SUMMARY, BADUTF8), ITSM_EINVAL);
    BAD_E(eng, "category", itsm_record_set_str(inc, ITSM_F_CATEGORY, EMPTY), ITSM_EINVAL);
    BAD_E(eng, "category", itsm_record_set_str(inc, ITSM_F_CATEGORY, LONG_STR), ITSM_ELIMIT);
    BAD_N(itsm_record_set_int(NULL, ITSM_F_IMPACT, 1), ITSM_EINVAL);
    BAD_E(eng, "field", itsm_record_set_int(inc, (itsm_field)-1, 1), ITSM_EINVAL);
    BAD_E(eng, "summary", itsm_record_set_int(inc, ITSM_F_SUMMARY, 1), ITSM_EINVAL);
    BAD_E(eng, "impact", itsm_record_set_int(inc, ITSM_F_IMPACT, 0), ITSM_EINVAL);
    BAD_E(eng, "impact", itsm_record_set_int(inc, ITSM_F_IMPACT, INT64_MAX), ITSM_EINVAL);
    BAD_E(eng, "reassignments", itsm_record_set_int(inc, ITSM_F_REASSIGNMENTS, 3), ITSM_EINVAL);

    /* fire */
    BAD_N(itsm_record_fire(NULL, "assign", NULL, 0), ITSM_EINVAL);
    BAD_E(eng, "event", itsm_record_fire(inc, NULL, NULL, 0), ITSM_EINVAL);
    BAD_E(eng, "transition", itsm_record_fire(inc, EMPTY, NULL, 0), ITSM_ETRANSITION, ITSM_EINVAL);
    BAD_E(eng, "transition", itsm_record_fire(inc, LONG_STR, NULL, 0), ITSM_ETRANSITION, ITSM_EINVAL);
    BAD_E(eng, "transition", itsm_record_fire(inc, BADUTF8, NULL, 0), ITSM_ETRANSITION, ITSM_EINVAL);
    BAD_E(eng, "resolve", itsm_record_fire(inc, "resolve", NULL, 0), ITSM_ETRANSITION);
    BAD_E(eng, "assignment_group", itsm_record_fire(inc, "assign", NULL, 0), ITSM_EGUARD);
    BAD_E(eng, "changes", itsm_record_fire(inc, "assign", NULL, 2), ITSM_EINVAL);

    /* notes */
    itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
    no.text = "x";
    BAD_N(itsm_record_add_note(NULL, &no), ITSM_EINVAL);
    BAD_E(eng, "note", itsm_record_add_note(inc, NULL), ITSM_EINVAL);
    no.version = 2;
    BAD_E(eng, "version", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.version = ITSM_NOTE_OPTS_VERSION;
    no.kind = (itsm_note_kind)0;
    BAD_E(eng, "kind", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.kind = ITSM_NOTE_SYSTEM;
    BAD_E(eng, "kind", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.kind = (itsm_note_kind)99;
    BAD_E(eng, "kind", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.kind = ITSM_NOTE_WORK;
    no.text = NULL;
    BAD_E(eng, "text", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.text = EMPTY;
    BAD_E(eng, "text", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.text = LONG_STR;
    BAD_E(eng, "note", itsm_record_add_note(inc, &no), ITSM_ELIMIT);
    no.text = BADUTF8;
    BAD_E(eng, "UTF-8", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.kind = ITSM_NOTE_CUSTOMER;
    no.text = "restarted the relay";
    BAD_E(eng, "restoration", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.expected_restoration = T0 + 3600;
    BAD_E(eng, "next update", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.next_update = T0 - 10;
    BAD_E(eng, "next update", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.next_update = ITSM_TIME_MAX + 1;
    BAD_E(eng, "next update", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.next_update = T0 + 1800;
    no.expected_restoration = -7;
    BAD_E(eng, "restoration", itsm_record_add_note(inc, &no), ITSM_EINVAL);

    /* timeline and links by index */
    itsm_timeline_entry te = { .size = sizeof te };
    itsm_link lk = { .size = sizeof lk };
    BAD_N(itsm_record_timeline_at(NULL, 0, &te), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_record_timeline_at(inc, 0, NULL), ITSM_EINVAL);
    BAD_E(eng, "index", itsm_record_timeline_at(inc, 1, &te), ITSM_EINVAL);
    BAD_E(eng, "index", itsm_record_timeline_at(inc, SIZE_MAX, &te), ITSM_EINVAL);
    BAD_N(itsm_record_link_at(NULL, 0, &lk), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_record_link_at(inc, 0, NULL), ITSM_EINVAL);
    BAD_E(eng, "index", itsm_record_link_at(inc, 1, &lk), ITSM_EINVAL);
    BAD_E(eng, "index", itsm_record_link_at(W.inc2, 0, &lk), ITSM_EINVAL);

    /* link */
    BAD_N(itsm_record_link(NULL, ITSM_LINK_RELATED, inc), ITSM_EINVAL);
    BAD_E(eng, "target", itsm_record_link(inc, ITSM_LINK_RELATED, NULL), ITSM_EINVAL);
    BAD_E(eng, "engine", itsm_record_link(inc, ITSM_LINK_RELATED, W.alien), ITSM_EINVAL);
    BAD_E(eng, "itself", itsm_record_link(inc, ITSM_LINK_RELATED, inc), ITSM_EINVAL);
    BAD_E(eng, "link kind", itsm_record_link(inc, (itsm_link_kind)0, W.inc2), ITSM_EINVAL);
    BAD_E(eng, "link kind", itsm_record_link(inc, (itsm_link_kind)4, W.inc2), ITSM_EINVAL);
    BAD_E(eng, "PRB-1", itsm_record_link(inc, ITSM_LINK_RELATED, W.prb), ITSM_EEXISTS);

    world_close();
    assert_int_equal(failures, 0);
}

/* ---- events (through a sink) ---- */
static void sink_check(void *user, const itsm_event *const *events, size_t n)
{
    (void)user;
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        EXPECT(itsm_event_to_json(events[i], NULL, 0, NULL) == ITSM_EINVAL);
        EXPECT(itsm_event_to_json(NULL, NULL, 0, &len) == ITSM_EINVAL);
        check_writer(__LINE__, "itsm_event_to_json", w_event, events[i]);
    }
}

static void test_event(void **state)
{
    (void)state;
    EXPECT(itsm_event_type(NULL) == NULL);
    EXPECT(itsm_event_record_id(NULL) == NULL);
    EXPECT(itsm_event_record_kind(NULL) == 0);
    EXPECT(itsm_event_revision(NULL) == 0);
    EXPECT(itsm_event_time(NULL) == ITSM_TIME_NONE);
    EXPECT(itsm_event_actor(NULL) == NULL);
    EXPECT(itsm_event_name(NULL) == NULL);
    EXPECT(itsm_event_from_state(NULL) == NULL);
    EXPECT(itsm_event_to_state(NULL) == NULL);
    itsm_engine_opts eo = ITSM_ENGINE_OPTS_INIT;
    eo.sink = sink_check;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &eo));
    itsm_record *r;
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&r, eng, &ro));
    assert_ok(itsm_record_set_str(r, ITSM_F_SUMMARY, "quoted \"text\" and \xc3\xa9"));
    itsm_engine_free(eng);
    assert_int_equal(failures, 0);
}

/* ---- policy ---- */
static void test_policy(void **state)
{
    (void)state;
    world_open();
    itsm_policy *pol = W.pol, *p2 = (itsm_policy *)&W;
    itsm_allocator half = { NULL, NULL, NULL, NULL };
    failalloc fa = { 0, 0, 0, 0 };
    half = failalloc_make(&fa);
    half.realloc_fn = NULL;

    BAD_N(itsm_policy_new_default(NULL, NULL), ITSM_EINVAL);
    BAD_N(itsm_policy_new_default(&p2, &half), ITSM_EINVAL);
    EXPECT(p2 == NULL);
    p2 = (itsm_policy *)&W;
    BAD_N(itsm_policy_new_empty(NULL, NULL), ITSM_EINVAL);
    BAD_N(itsm_policy_new_empty(&p2, &half), ITSM_EINVAL);
    EXPECT(p2 == NULL);
    BAD_N(itsm_policy_clone(NULL, pol), ITSM_EINVAL);
    BAD_N(itsm_policy_clone(&p2, NULL), ITSM_EINVAL);
    EXPECT(p2 == NULL);

    EXPECT(itsm_policy_errmsg(NULL) != NULL);
    EXPECT(itsm_policy_check(NULL) == 0);
    EXPECT(itsm_policy_finding(NULL, 0) == NULL);
    EXPECT(itsm_policy_finding(pol, 0) == NULL);
    EXPECT(itsm_policy_finding(pol, SIZE_MAX) == NULL);
    EXPECT(itsm_policy_priority(NULL, 1, 1) == 0);
    EXPECT(itsm_policy_priority(pol, 0, 1) == 0);
    EXPECT(itsm_policy_priority(pol, 1, 4) == 0);
    EXPECT(itsm_policy_priority(pol, INT_MIN, INT_MAX) == 0);
    EXPECT(itsm_policy_reassignment_rule(NULL) == ITSM_REASSIGN_GROUP);
    EXPECT(itsm_policy_route(NULL, "c", "s") == NULL);
    EXPECT(itsm_policy_route(pol, LONG_STR, BADUTF8) == NULL);

    /* lifecycles */
    BAD_N(itsm_policy_lifecycle_clear(NULL, ITSM_KIND_INCIDENT), ITSM_EINVAL);
    BAD_P(pol, "kind", itsm_policy_lifecycle_clear(pol, (itsm_kind)0), ITSM_EINVAL);
    BAD_P(pol, "kind", itsm_policy_lifecycle_clear(pol, (itsm_kind)6), ITSM_EINVAL);
    BAD_N(itsm_policy_add_state(NULL, ITSM_KIND_INCIDENT, "x", 0), ITSM_EINVAL);
    BAD_P(pol, "kind", itsm_policy_add_state(pol, (itsm_kind)0, "x", 0), ITSM_EINVAL);
    BAD_P(pol, "state", itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, NULL, 0), ITSM_EINVAL);
    BAD_P(pol, "state", itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, EMPTY, 0), ITSM_EINVAL);
    BAD_P(pol, "state", itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, LONG_STR, 0), ITSM_EINVAL);
    BAD_P(pol, "state", itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, BADUTF8, 0), ITSM_EINVAL);
    BAD_P(pol, "new", itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, "new", 0), ITSM_EEXISTS);
    BAD_P(pol, "initial", itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, "second", ITSM_STATE_INITIAL),
          ITSM_EINVAL);
    BAD_P(pol, "flags", itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, "odd", 0x80u), ITSM_EINVAL);
    BAD_N(itsm_policy_add_event(NULL, ITSM_KIND_INCIDENT, "x"), ITSM_EINVAL);
    BAD_P(pol, "kind", itsm_policy_add_event(pol, (itsm_kind)99, "x"), ITSM_EINVAL);
    BAD_P(pol, "event", itsm_policy_add_event(pol, ITSM_KIND_INCIDENT, NULL), ITSM_EINVAL);
    BAD_P(pol, "event", itsm_policy_add_event(pol, ITSM_KIND_INCIDENT, EMPTY), ITSM_EINVAL);
    BAD_P(pol, "event", itsm_policy_add_event(pol, ITSM_KIND_INCIDENT, LONG_STR), ITSM_EINVAL);
    BAD_P(pol, "event", itsm_policy_add_event(pol, ITSM_KIND_INCIDENT, BADUTF8), ITSM_EINVAL);
    BAD_P(pol, "assign", itsm_policy_add_event(pol, ITSM_KIND_INCIDENT, "assign"), ITSM_EEXISTS);

    itsm_transition_def td = ITSM_TRANSITION_DEF_INIT;
    td.from = "new";
    td.event = "assign";
    td.to = "assigned";
    BAD_N(itsm_policy_add_transition(NULL, ITSM_KIND_INCIDENT, &td), ITSM_EINVAL);
    BAD_P(pol, "kind", itsm_policy_add_transition(pol, (itsm_kind)0, &td), ITSM_EINVAL);
    BAD_P(pol, "transition", itsm_policy_add_transition(pol, ITSM_KIND_INCIDENT, NULL), ITSM_EINVAL);
    td.version = 2;
    BAD_P(pol, "version", itsm_policy_add_transition(pol, ITSM_KIND_INCIDENT, &td), ITSM_EINVAL);
    td.version = ITSM_TRANSITION_DEF_VERSION;
    BAD_P(pol, "assign", itsm_policy_add_transition(pol, ITSM_KIND_INCIDENT, &td), ITSM_EEXISTS);
    {
        struct { const char *from, *event, *to, *guard, *stamp, *clear; const char *needle; int code; } bad[] = {
            { NULL, "assign", "assigned", NULL, NULL, NULL, "from", ITSM_EINVAL },
            { "new", NULL, "assigned", NULL, NULL, NULL, "event", ITSM_EINVAL },
            { "new", "assign", NULL, NULL, NULL, NULL, "to", ITSM_EINVAL },
            { "nowhere", "assign", "assigned", NULL, NULL, NULL, "nowhere", ITSM_ENOTFOUND },
            { "new", "fly", "assigned", NULL, NULL, NULL, "fly", ITSM_ENOTFOUND },
            { "new", "assign", "moon", NULL, NULL, NULL, "moon", ITSM_ENOTFOUND },
            { EMPTY, "assign", "assigned", NULL, NULL, NULL, "from", ITSM_ENOTFOUND, },
            { BADUTF8, "assign", "assigned", NULL, NULL, NULL, "state", ITSM_ENOTFOUND },
            { "assigned", "resolve", "resolved", "nofield", NULL, NULL, "nofield", ITSM_ENOTFOUND },
            { "assigned", "resolve", "resolved", "a=", NULL, NULL, "'a'", ITSM_ENOTFOUND },
            { "assigned", "resolve", "resolved", "summary=", NULL, NULL, "guard", ITSM_EINVAL },
            { "assigned", "resolve", "resolved", BADUTF8, NULL, NULL, "field", ITSM_ENOTFOUND },
            { "assigned", "resolve", "resolved", NULL, "summary", NULL, "summary", ITSM_EINVAL },
            { "assigned", "resolve", "resolved", NULL, NULL, "opened_at", "opened_at", ITSM_EINVAL },
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
            d.from = bad[i].from;
            d.event = bad[i].event;
            d.to = bad[i].to;
            d.guard = bad[i].guard;
            d.stamp = bad[i].stamp;
            d.clear = bad[i].clear;
            BAD_P(pol, bad[i].needle, itsm_policy_add_transition(pol, ITSM_KIND_INCIDENT, &d), bad[i].code,
                  ITSM_EINVAL);
        }
        itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
        d.from = "assigned";
        d.event = "resolve";
        d.to = "resolved";
        d.guard = LONG_STR;
        BAD_P(pol, "field", itsm_policy_add_transition(pol, ITSM_KIND_INCIDENT, &d), ITSM_EINVAL,
              ITSM_ELIMIT, ITSM_ENOTFOUND);
    }

    /* priority matrix */
    BAD_N(itsm_policy_set_priority(NULL, 1, 1, 1), ITSM_EINVAL);
    BAD_P(pol, "impact", itsm_policy_set_priority(pol, 0, 1, 1), ITSM_EINVAL);
    BAD_P(pol, "urgency", itsm_policy_set_priority(pol, 1, 4, 1), ITSM_EINVAL);
    BAD_P(pol, "priority", itsm_policy_set_priority(pol, 1, 1, 0), ITSM_EINVAL);
    BAD_P(pol, "priority", itsm_policy_set_priority(pol, 1, 1, 6), ITSM_EINVAL);

    /* reassignment rule */
    BAD_N(itsm_policy_set_reassignment_rule(NULL, ITSM_REASSIGN_GROUP), ITSM_EINVAL);
    BAD_P(pol, "reassignment rule", itsm_policy_set_reassignment_rule(pol, (itsm_reassign_rule)3), ITSM_EINVAL);
    BAD_P(pol, "reassignment rule", itsm_policy_set_reassignment_rule(pol, (itsm_reassign_rule)-1), ITSM_EINVAL);

    /* documents */
    itsm_parse_error pe;
    const char *docs[] = { "{", "", "\"\xff\"", "[]", "{\"version\":1,\"version\":1}", "nul" };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        p2 = (itsm_policy *)&W;
        memset(&pe, 0, sizeof pe);
        BAD_N(itsm_policy_from_json(&p2, docs[i], strlen(docs[i]), NULL, NULL, &pe), ITSM_EPARSE);
        EXPECT(p2 == NULL && pe.code == ITSM_EPARSE && pe.text[0] && pe.line >= 1);
        p2 = (itsm_policy *)&W;
        BAD_N(itsm_policy_parse_json(&p2, docs[i], strlen(docs[i]), NULL, NULL, NULL), ITSM_EPARSE);
        EXPECT(p2 == NULL);
    }
    {
        char deep[300];
        memset(deep, '[', sizeof deep);
        p2 = (itsm_policy *)&W;
        BAD_N(itsm_policy_from_json(&p2, deep, sizeof deep, NULL, NULL, &pe), ITSM_ELIMIT, ITSM_EPARSE);
        EXPECT(p2 == NULL);
        itsm_json_limits lim = { 4, 0, 0 };
        BAD_N(itsm_policy_from_json(&p2, "{}    ", 6, NULL, &lim, &pe), ITSM_ELIMIT);
        EXPECT(pe.code == ITSM_ELIMIT);
        BAD_N(itsm_policy_parse_json(&p2, "{}    ", 6, &half, NULL, &pe), ITSM_EINVAL);
    }
    BAD_N(itsm_policy_from_json(NULL, "{}", 2, NULL, NULL, &pe), ITSM_EINVAL);
    BAD_N(itsm_policy_from_json(&p2, NULL, 2, NULL, NULL, &pe), ITSM_EINVAL);
    BAD_N(itsm_policy_parse_json(NULL, "{}", 2, NULL, NULL, &pe), ITSM_EINVAL);
    BAD_N(itsm_policy_parse_json(&p2, NULL, 2, NULL, NULL, &pe), ITSM_EINVAL);
    size_t len = 0;
    BAD_N(itsm_policy_to_json(NULL, NULL, 0, &len), ITSM_EINVAL);
    BAD_N(itsm_policy_to_json(pol, NULL, 0, NULL), ITSM_EINVAL);
    BAD_N(itsm_policy_to_json(pol, NULL, 10, &len), ITSM_EINVAL);
    check_writer(__LINE__, "itsm_policy_to_json", w_policy, pol);

    world_close();
    assert_int_equal(failures, 0);
}

/* ---- service levels ---- */
static void test_sla(void **state)
{
    (void)state;
    world_open();
    itsm_engine *eng = W.f.eng;
    itsm_policy *pol = W.pol;
    itsm_record *inc = W.inc;

    itsm_calendar_def cd = ITSM_CALENDAR_DEF_INIT;
    cd.name = "office";
    for (int d = 0; d < 5; d++) {
        cd.start[d] = 9 * 3600;
        cd.end[d] = 17 * 3600;
    }
    BAD_N(itsm_policy_set_calendar(NULL, &cd), ITSM_EINVAL);
    BAD_P(pol, "calendar", itsm_policy_set_calendar(pol, NULL), ITSM_EINVAL);
    {
        const char *hol_bad[] = { "2026-13-01" };
        const char *hol_null[] = { NULL };
        struct { int what; const char *needle; int code; } bad[] = {
            { 0, "version", ITSM_EINVAL }, { 1, "name", ITSM_EINVAL }, { 2, "name", ITSM_EINVAL },
            { 3, "name", ITSM_EINVAL }, { 4, "name", ITSM_EINVAL }, { 5, "offset", ITSM_EINVAL },
            { 6, "offset", ITSM_EINVAL }, { 7, "day 0", ITSM_EINVAL }, { 8, "day 0", ITSM_EINVAL },
            { 9, "2026-13-01", ITSM_EINVAL }, { 10, "holiday", ITSM_EINVAL }, { 11, "holidays", ITSM_EINVAL },
            { 12, "holiday", ITSM_ELIMIT }, { 13, "working", ITSM_EINVAL }, { 14, "day 0", ITSM_EINVAL },
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            itsm_calendar_def c = cd;
            switch (bad[i].what) {
            case 0: c.version = ITSM_CALENDAR_DEF_VERSION + 1; break;
            case 1: c.name = NULL; break;
            case 2: c.name = EMPTY; break;
            case 3: c.name = LONG_STR; break;
            case 4: c.name = BADUTF8; break;
            case 5: c.utc_offset = 50401; break;
            case 6: c.utc_offset = INT32_MIN; break;
            case 7: c.start[0] = 18 * 3600; break;
            case 8: c.end[0] = 86401; break;
            case 9: c.holidays = hol_bad; c.nholidays = 1; break;
            case 10: c.holidays = hol_null; c.nholidays = 1; break;
            case 11: c.holidays = NULL; c.nholidays = 3; break;
            case 12: c.holidays = hol_null; c.nholidays = 5000; break;
            case 13: memset(c.start, 0, sizeof c.start); memset(c.end, 0, sizeof c.end); break;
            case 14: c.start[0] = -1; break;
            }
            BAD_P(pol, bad[i].needle, itsm_policy_set_calendar(pol, &c), bad[i].code);
        }
    }
    int64_t work = 0;
    itsm_time due = 0;
    BAD_N(itsm_calendar_work(NULL, pol, "24x7", T0, T0 + 1), ITSM_EINVAL);
    BAD_N(itsm_calendar_work(&work, NULL, "24x7", T0, T0 + 1), ITSM_EINVAL);
    BAD_N(itsm_calendar_work(&work, pol, NULL, T0, T0 + 1), ITSM_EINVAL);
    BAD_N(itsm_calendar_work(&work, pol, "nosuch", T0, T0 + 1), ITSM_ENOTFOUND);
    BAD_N(itsm_calendar_work(&work, pol, LONG_STR, T0, T0 + 1), ITSM_ENOTFOUND, ITSM_EINVAL);
    BAD_N(itsm_calendar_work(&work, pol, BADUTF8, T0, T0 + 1), ITSM_ENOTFOUND, ITSM_EINVAL);
    BAD_N(itsm_calendar_work(&work, pol, "24x7", -1, T0), ITSM_EINVAL);
    BAD_N(itsm_calendar_work(&work, pol, "24x7", T0, ITSM_TIME_MAX + 1), ITSM_EINVAL);
    BAD_N(itsm_calendar_add(NULL, pol, "24x7", T0, 1), ITSM_EINVAL);
    BAD_N(itsm_calendar_add(&due, NULL, "24x7", T0, 1), ITSM_EINVAL);
    BAD_N(itsm_calendar_add(&due, pol, NULL, T0, 1), ITSM_EINVAL);
    BAD_N(itsm_calendar_add(&due, pol, "nosuch", T0, 1), ITSM_ENOTFOUND);
    BAD_N(itsm_calendar_add(&due, pol, "24x7", ITSM_TIME_MAX + 1, 1), ITSM_EINVAL);
    BAD_N(itsm_calendar_add(&due, pol, "24x7", T0, -1), ITSM_EINVAL);
    /* documented: a result past 9999 saturates */
    EXPECT(itsm_calendar_add(&due, pol, "24x7", T0, INT64_MAX) == ITSM_OK && due == ITSM_TIME_MAX);

    itsm_sla_def sd = ITSM_SLA_DEF_INIT;
    sd.name = "gold";
    BAD_N(itsm_policy_set_sla(NULL, &sd), ITSM_EINVAL);
    BAD_P(pol, "sla", itsm_policy_set_sla(pol, NULL), ITSM_EINVAL);
    sd.version = 9;
    BAD_P(pol, "version", itsm_policy_set_sla(pol, &sd), ITSM_EINVAL);
    sd.version = ITSM_SLA_DEF_VERSION;
    const char *bad_names[] = { NULL, EMPTY, LONG_STR, BADUTF8, "Gold" };
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        sd.name = bad_names[i];
        BAD_P(pol, "name", itsm_policy_set_sla(pol, &sd), ITSM_EINVAL);
    }
    sd.name = "gold";
    sd.calendar[2] = "nosuch";
    BAD_P(pol, "nosuch", itsm_policy_set_sla(pol, &sd), ITSM_ENOTFOUND);
    sd.calendar[2] = BADUTF8;
    BAD_P(pol, "calendar", itsm_policy_set_sla(pol, &sd), ITSM_ENOTFOUND, ITSM_EINVAL);

    BAD_N(itsm_policy_set_default_sla(NULL, "standard"), ITSM_EINVAL);
    BAD_P(pol, "sla", itsm_policy_set_default_sla(pol, NULL), ITSM_EINVAL, ITSM_ENOTFOUND);
    BAD_P(pol, "nosuch", itsm_policy_set_default_sla(pol, "nosuch"), ITSM_ENOTFOUND);
    BAD_P(pol, "sla", itsm_policy_set_default_sla(pol, EMPTY), ITSM_ENOTFOUND, ITSM_EINVAL);
    BAD_P(pol, "sla", itsm_policy_set_default_sla(pol, LONG_STR), ITSM_ENOTFOUND, ITSM_EINVAL);
    BAD_N(itsm_policy_set_service_sla(NULL, "mail", "standard"), ITSM_EINVAL);
    BAD_P(pol, "service", itsm_policy_set_service_sla(pol, NULL, "standard"), ITSM_EINVAL);
    BAD_P(pol, "service", itsm_policy_set_service_sla(pol, EMPTY, "standard"), ITSM_EINVAL);
    BAD_P(pol, "service", itsm_policy_set_service_sla(pol, LONG_STR, "standard"), ITSM_EINVAL);
    BAD_P(pol, "service", itsm_policy_set_service_sla(pol, BADUTF8, "standard"), ITSM_EINVAL);
    BAD_P(pol, "nosuch", itsm_policy_set_service_sla(pol, "mail", "nosuch"), ITSM_ENOTFOUND);
    BAD_N(itsm_policy_set_ola(NULL, "desk", 60, NULL), ITSM_EINVAL);
    BAD_P(pol, "group", itsm_policy_set_ola(pol, NULL, 60, NULL), ITSM_EINVAL);
    BAD_P(pol, "group", itsm_policy_set_ola(pol, EMPTY, 60, NULL), ITSM_EINVAL);
    BAD_P(pol, "group", itsm_policy_set_ola(pol, LONG_STR, 60, NULL), ITSM_EINVAL);
    BAD_P(pol, "group", itsm_policy_set_ola(pol, BADUTF8, 60, NULL), ITSM_EINVAL);
    BAD_P(pol, "nosuch", itsm_policy_set_ola(pol, "desk", 60, "nosuch"), ITSM_ENOTFOUND);
    BAD_N(itsm_policy_set_pause(NULL, "awaiting_customer", 1), ITSM_EINVAL);
    BAD_P(pol, "reason", itsm_policy_set_pause(pol, NULL, 1), ITSM_EINVAL);
    BAD_P(pol, "reason", itsm_policy_set_pause(pol, EMPTY, 1), ITSM_EINVAL);
    BAD_P(pol, "reason", itsm_policy_set_pause(pol, LONG_STR, 1), ITSM_EINVAL);
    BAD_P(pol, "reason", itsm_policy_set_pause(pol, BADUTF8, 1), ITSM_EINVAL);
    BAD_P(pol, "mask", itsm_policy_set_pause(pol, "awaiting_customer", 0x100u), ITSM_EINVAL);
    BAD_P(pol, "mask", itsm_policy_set_pause(pol, "awaiting_customer", ITSM_TIMER_BIT(ITSM_TIMER_NEXT_UPDATE)),
          ITSM_EINVAL);
    {
        unsigned w0[] = { 0 }, w1000[] = { 1000 }, wdesc[] = { 500, 400 }, wdup[] = { 500, 500 };
        unsigned w9[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
        BAD_N(itsm_policy_set_warnings(NULL, w9, 1), ITSM_EINVAL);
        BAD_P(pol, "warning", itsm_policy_set_warnings(pol, NULL, 1), ITSM_EINVAL);
        BAD_P(pol, "warning", itsm_policy_set_warnings(pol, w0, 1), ITSM_EINVAL);
        BAD_P(pol, "warning", itsm_policy_set_warnings(pol, w1000, 1), ITSM_EINVAL);
        BAD_P(pol, "warning", itsm_policy_set_warnings(pol, wdesc, 2), ITSM_EINVAL);
        BAD_P(pol, "warning", itsm_policy_set_warnings(pol, wdup, 2), ITSM_EINVAL);
        BAD_P(pol, "warning", itsm_policy_set_warnings(pol, w9, 9), ITSM_EINVAL);
        BAD_P(pol, "warning", itsm_policy_set_warnings(pol, w9, SIZE_MAX), ITSM_EINVAL);
    }
    {
        const char *s9[] = { "a", "b", "c", "d", "e", "f", "g", "h", "i" };
        const char *sdup[] = { "resolved", "resolved" };
        const char *sbad[] = { NULL }, *sempty[] = { EMPTY }, *slong[] = { LONG_STR }, *sutf[] = { BADUTF8 };
        BAD_N(itsm_policy_set_sla_stop_states(NULL, s9, 1), ITSM_EINVAL);
        BAD_P(pol, "states", itsm_policy_set_sla_stop_states(pol, NULL, 1), ITSM_EINVAL);
        BAD_P(pol, "stop state", itsm_policy_set_sla_stop_states(pol, s9, 9), ITSM_EINVAL);
        BAD_P(pol, "resolved", itsm_policy_set_sla_stop_states(pol, sdup, 2), ITSM_EINVAL);
        BAD_P(pol, "stop state", itsm_policy_set_sla_stop_states(pol, sbad, 1), ITSM_EINVAL);
        BAD_P(pol, "stop state", itsm_policy_set_sla_stop_states(pol, sempty, 1), ITSM_EINVAL);
        BAD_P(pol, "stop state", itsm_policy_set_sla_stop_states(pol, slong, 1), ITSM_EINVAL);
        BAD_P(pol, "stop state", itsm_policy_set_sla_stop_states(pol, sutf, 1), ITSM_EINVAL);
    }

    /* timers */
    itsm_timer_info ti = { .size = sizeof ti };
    BAD_N(itsm_record_timer(&ti, NULL, ITSM_TIMER_RESPONSE, T0), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_record_timer(NULL, inc, ITSM_TIMER_RESPONSE, T0), ITSM_EINVAL);
    BAD_E(eng, "timer", itsm_record_timer(&ti, inc, (itsm_timer)4, T0), ITSM_EINVAL);
    BAD_E(eng, "timer", itsm_record_timer(&ti, inc, (itsm_timer)-1, T0), ITSM_EINVAL);
    BAD_E(eng, "1970", itsm_record_timer(&ti, inc, ITSM_TIMER_RESPONSE, -5), ITSM_EINVAL);
    EXPECT(itsm_record_sla(NULL) == NULL);
    BAD_N(itsm_record_set_sla(NULL, "standard"), ITSM_EINVAL);
    BAD_E(eng, "nosuch", itsm_record_set_sla(inc, "nosuch"), ITSM_ENOTFOUND);
    BAD_E(eng, "sla", itsm_record_set_sla(inc, EMPTY), ITSM_ENOTFOUND, ITSM_EINVAL);
    BAD_E(eng, "sla", itsm_record_set_sla(inc, LONG_STR), ITSM_ENOTFOUND, ITSM_EINVAL);
    BAD_E(eng, "sla", itsm_record_set_sla(inc, BADUTF8), ITSM_ENOTFOUND, ITSM_EINVAL);
    BAD_E(eng, "PRB-1", itsm_record_set_sla(W.prb, NULL), ITSM_ESTATE);

    world_close();
    assert_int_equal(failures, 0);
}

/* ---- escalation and major incidents ---- */
static void test_escalation(void **state)
{
    (void)state;
    world_open();
    itsm_engine *eng = W.f.eng;
    itsm_policy *pol = W.pol;
    itsm_record *inc = W.inc;

    BAD_N(itsm_policy_add_route(NULL, "c", "s", "g"), ITSM_EINVAL);
    BAD_P(pol, "group", itsm_policy_add_route(pol, "c", "s", NULL), ITSM_EINVAL);
    BAD_P(pol, "group", itsm_policy_add_route(pol, "c", "s", EMPTY), ITSM_EINVAL);
    BAD_P(pol, "group", itsm_policy_add_route(pol, "c", "s", LONG_STR), ITSM_EINVAL);
    BAD_P(pol, "group", itsm_policy_add_route(pol, "c", "s", BADUTF8), ITSM_EINVAL);
    BAD_P(pol, "category", itsm_policy_add_route(pol, BADUTF8, "s", "g"), ITSM_EINVAL);
    BAD_P(pol, "category", itsm_policy_add_route(pol, EMPTY, "s", "g"), ITSM_EINVAL);
    BAD_P(pol, "service", itsm_policy_add_route(pol, "c", LONG_STR, "g"), ITSM_EINVAL);
    {
        const char *roles[] = { "lead", "manager" };
        const char *bad1[] = { NULL }, *bad2[] = { EMPTY }, *bad3[] = { LONG_STR }, *bad4[] = { BADUTF8 },
                   *bad5[] = { "Lead" };
        const char *r10[10] = { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j" };
        BAD_N(itsm_policy_set_ladder(NULL, roles, 2, 1, 0), ITSM_EINVAL);
        BAD_P(pol, "roles", itsm_policy_set_ladder(pol, NULL, 2, 1, 0), ITSM_EINVAL);
        BAD_P(pol, "role", itsm_policy_set_ladder(pol, roles, 0, 1, 0), ITSM_EINVAL);
        BAD_P(pol, "role", itsm_policy_set_ladder(pol, r10, 10, 1, 0), ITSM_EINVAL);
        BAD_P(pol, "role", itsm_policy_set_ladder(pol, bad1, 1, 1, 0), ITSM_EINVAL);
        BAD_P(pol, "role", itsm_policy_set_ladder(pol, bad2, 1, 1, 0), ITSM_EINVAL);
        BAD_P(pol, "role", itsm_policy_set_ladder(pol, bad3, 1, 1, 0), ITSM_EINVAL);
        BAD_P(pol, "role", itsm_policy_set_ladder(pol, bad4, 1, 1, 0), ITSM_EINVAL);
        BAD_P(pol, "role", itsm_policy_set_ladder(pol, bad5, 1, 1, 0), ITSM_EINVAL);
    }
    BAD_N(itsm_policy_set_ola_climb(NULL, 1), ITSM_EINVAL);
    itsm_major_policy mp = ITSM_MAJOR_POLICY_INIT;
    BAD_N(itsm_policy_set_major(NULL, &mp), ITSM_EINVAL);
    BAD_P(pol, "major", itsm_policy_set_major(pol, NULL), ITSM_EINVAL);
    mp.version = 2;
    BAD_P(pol, "version", itsm_policy_set_major(pol, &mp), ITSM_EINVAL);
    mp.version = ITSM_MAJOR_POLICY_VERSION;
    mp.propose_at_priority = 6;
    BAD_P(pol, "priority", itsm_policy_set_major(pol, &mp), ITSM_EINVAL);
    mp.propose_at_priority = -1;
    BAD_P(pol, "priority", itsm_policy_set_major(pol, &mp), ITSM_EINVAL);
    mp.propose_at_priority = 1;
    mp.communication_due = 0;
    BAD_P(pol, "communication_due", itsm_policy_set_major(pol, &mp), ITSM_EINVAL);
    mp.communication_due = 900;
    mp.groups_due = 0;
    BAD_P(pol, "groups_due", itsm_policy_set_major(pol, &mp), ITSM_EINVAL);

    /* functional */
    BAD_N(itsm_record_escalate(NULL, 0, NULL, "tried a reboot"), ITSM_EINVAL);
    BAD_E(eng, "tried", itsm_record_escalate(inc, 0, NULL, NULL), ITSM_EINVAL);
    BAD_E(eng, "tried", itsm_record_escalate(inc, 0, NULL, EMPTY), ITSM_EINVAL);
    BAD_E(eng, "tried", itsm_record_escalate(inc, 0, NULL, LONG_STR), ITSM_ELIMIT);
    BAD_E(eng, "tried", itsm_record_escalate(inc, 0, NULL, BADUTF8), ITSM_EINVAL);
    BAD_E(eng, "level", itsm_record_escalate(inc, -1, NULL, "x"), ITSM_EINVAL);
    BAD_E(eng, "level", itsm_record_escalate(inc, 4, NULL, "x"), ITSM_EINVAL);
    BAD_E(eng, "level", itsm_record_escalate(inc, INT_MIN, NULL, "x"), ITSM_EINVAL);
    BAD_E(eng, "group", itsm_record_escalate(inc, 0, EMPTY, "x"), ITSM_EINVAL);
    BAD_E(eng, "group", itsm_record_escalate(inc, 0, LONG_STR, "x"), ITSM_EINVAL, ITSM_ELIMIT);
    BAD_E(eng, "group", itsm_record_escalate(inc, 0, BADUTF8, "x"), ITSM_EINVAL);
    EXPECT(itsm_record_first_contact_resolution(NULL) == 0);

    /* hierarchical */
    BAD_N(itsm_record_escalate_hierarchical(NULL, "slow"), ITSM_EINVAL);
    BAD_E(eng, "reason", itsm_record_escalate_hierarchical(inc, NULL), ITSM_EINVAL);
    BAD_E(eng, "reason", itsm_record_escalate_hierarchical(inc, EMPTY), ITSM_EINVAL);
    BAD_E(eng, "reason", itsm_record_escalate_hierarchical(inc, LONG_STR), ITSM_ELIMIT);
    BAD_E(eng, "reason", itsm_record_escalate_hierarchical(inc, BADUTF8), ITSM_EINVAL);
    EXPECT(itsm_record_escalation_audience(NULL) == NULL);

    /* major incidents */
    BAD_N(itsm_major_propose(NULL, "big"), ITSM_EINVAL);
    BAD_E(eng, "reason", itsm_major_propose(inc, LONG_STR), ITSM_ELIMIT, ITSM_EINVAL);
    BAD_E(eng, "reason", itsm_major_propose(inc, BADUTF8), ITSM_EINVAL);
    BAD_E(eng, "reason", itsm_major_propose(inc, EMPTY), ITSM_EINVAL);
    BAD_E(eng, "PRB-1", itsm_major_propose(W.prb, "big"), ITSM_EINVAL, ITSM_ESTATE);
    BAD_N(itsm_major_decide(NULL, 1, "mim"), ITSM_EINVAL);
    BAD_E(eng, "propos", itsm_major_decide(inc, 1, "mim"), ITSM_ESTATE);
    BAD_E(eng, "manager", itsm_major_decide(inc, 1, NULL), ITSM_EINVAL, ITSM_ESTATE);
    BAD_N(itsm_major_communication_issued(NULL), ITSM_EINVAL);
    BAD_E(eng, "major", itsm_major_communication_issued(inc), ITSM_ESTATE);
    {
        const char *g[] = { "net", "db", "apps", "infra", "sec" };
        BAD_N(itsm_major_engage_groups(NULL, g, 1), ITSM_EINVAL);
        BAD_E(eng, NULL, itsm_major_engage_groups(inc, NULL, 1), ITSM_EINVAL, ITSM_ESTATE);
        BAD_E(eng, NULL, itsm_major_engage_groups(inc, g, 0), ITSM_EINVAL, ITSM_ESTATE);
        BAD_E(eng, NULL, itsm_major_engage_groups(inc, g, 5), ITSM_EINVAL, ITSM_ESTATE);
    }
    BAD_N(itsm_major_attach(NULL, inc), ITSM_EINVAL);
    BAD_E(eng, "child", itsm_major_attach(inc, NULL), ITSM_EINVAL);
    BAD_E(eng, NULL, itsm_major_attach(inc, inc), ITSM_EINVAL, ITSM_ESTATE);
    BAD_E(eng, NULL, itsm_major_attach(inc, W.inc2), ITSM_ESTATE);
    BAD_E(eng, NULL, itsm_major_attach(inc, W.alien), ITSM_EINVAL, ITSM_ESTATE);
    EXPECT(itsm_record_major_state(NULL) == ITSM_MAJOR_NONE);
    EXPECT(itsm_record_major_phase(NULL) == ITSM_PHASE_NONE);
    itsm_time due;
    int done, missed;
    BAD_N(itsm_record_major_deadline(&due, &done, &missed, NULL, 0), ITSM_EINVAL);
    BAD_E(eng, "due", itsm_record_major_deadline(NULL, &done, &missed, inc, 0), ITSM_EINVAL);
    BAD_E(eng, "done", itsm_record_major_deadline(&due, NULL, &missed, inc, 0), ITSM_EINVAL);
    BAD_E(eng, "missed", itsm_record_major_deadline(&due, &done, NULL, inc, 0), ITSM_EINVAL);
    BAD_E(eng, "which", itsm_record_major_deadline(&due, &done, &missed, inc, 2), ITSM_EINVAL, ITSM_ESTATE);
    BAD_E(eng, "major", itsm_record_major_deadline(&due, &done, &missed, inc, 0), ITSM_ESTATE);

    world_close();
    assert_int_equal(failures, 0);
}

/* ---- problems ---- */
static void test_problem(void **state)
{
    (void)state;
    world_open();
    itsm_engine *eng = W.f.eng;
    itsm_policy *pol = W.pol;
    itsm_record *inc = W.inc, *prb = W.prb;

    itsm_problem_rules pr = ITSM_PROBLEM_RULES_INIT;
    BAD_N(itsm_policy_problem_rules(NULL, pol), ITSM_EINVAL);
    BAD_N(itsm_policy_problem_rules(&pr, NULL), ITSM_EINVAL);
    BAD_N(itsm_policy_set_problem_rules(NULL, &pr), ITSM_EINVAL);
    BAD_P(pol, "rules", itsm_policy_set_problem_rules(pol, NULL), ITSM_EINVAL);
    {
        struct { int what; const char *needle; } bad[] = {
            { 0, "version" }, { 1, "recurrence_count" }, { 2, "recurrence_count" }, { 3, "recurrence_count" },
            { 4, "recurrence_window" }, { 5, "recurrence_window" }, { 6, "major_review" },
            { 7, "recurrence_ci" }, { 8, "recurrence_push" },
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            itsm_problem_rules r = ITSM_PROBLEM_RULES_INIT;
            switch (bad[i].what) {
            case 0: r.version = ITSM_PROBLEM_RULES_VERSION + 1; break;
            case 1: r.recurrence_count = 1; break;
            case 2: r.recurrence_count = 1001; break;
            case 3: r.recurrence_count = -1; break;
            case 4: r.recurrence_window = 0; break;
            case 5: r.recurrence_window = ITSM_PROBLEM_MAX_WINDOW + 1; break;
            case 6: r.major_review = 2; break;
            case 7: r.recurrence_ci = 2; break;
            case 8: r.recurrence_push = -1; break;
            }
            BAD_P(pol, bad[i].needle, itsm_policy_set_problem_rules(pol, &r), ITSM_EINVAL);
        }
    }

    itsm_decision d = { .size = sizeof d };
    itsm_decision_opts dopt = ITSM_DECISION_OPTS_INIT;
    BAD_E(eng, "out", itsm_problem_decide(NULL, inc, &dopt), ITSM_EINVAL);
    BAD_N(itsm_problem_decide(&d, NULL, &dopt), ITSM_EINVAL);
    BAD_E(eng, "incident", itsm_problem_decide(&d, prb, NULL), ITSM_EINVAL);
    BAD_E(eng, "INC-1", itsm_problem_decide(&d, inc, NULL), ITSM_ESTATE);
    dopt.version = 2;
    BAD_E(eng, "version", itsm_problem_decide(&d, inc, &dopt), ITSM_EINVAL);
    dopt.version = ITSM_DECISION_OPTS_VERSION;
    dopt.cause_known = 5;
    BAD_E(eng, "cause_known", itsm_problem_decide(&d, inc, &dopt), ITSM_EINVAL);
    dopt.cause_known = ITSM_ANSWER_FROM_RECORD;
    dopt.fix_needs_change = -2;
    BAD_E(eng, "fix_needs_change", itsm_problem_decide(&d, inc, &dopt), ITSM_EINVAL);

    size_t cnt = 0;
    BAD_N(itsm_problem_recurrence(&cnt, NULL, "mail", "network", T0), ITSM_EINVAL);
    BAD_E(eng, "count", itsm_problem_recurrence(NULL, eng, "mail", "network", T0), ITSM_EINVAL);
    BAD_E(eng, "service", itsm_problem_recurrence(&cnt, eng, NULL, "network", T0), ITSM_EINVAL);
    BAD_E(eng, "category", itsm_problem_recurrence(&cnt, eng, "mail", NULL, T0), ITSM_EINVAL);
    BAD_E(eng, "1970", itsm_problem_recurrence(&cnt, eng, "mail", "network", -1), ITSM_EINVAL);

    itsm_record *out = NULL;
    itsm_problem_open_opts po = ITSM_PROBLEM_OPEN_OPTS_INIT;
    BAD_E(eng, "out", itsm_problem_open_from_incident(NULL, inc, &po), ITSM_EINVAL);
    BAD_N(itsm_problem_open_from_incident(&out, NULL, &po), ITSM_EINVAL);
    BAD_E(eng, "incident", itsm_problem_open_from_incident(&out, prb, &po), ITSM_EINVAL);
    po.version = 2;
    BAD_E(eng, "version", itsm_problem_open_from_incident(&out, inc, &po), ITSM_EINVAL);
    po.version = ITSM_PROBLEM_OPEN_OPTS_VERSION;
    po.id = "bad id";
    BAD_E(eng, "id", itsm_problem_open_from_incident(&out, inc, &po), ITSM_EINVAL);
    po.id = "PRB-1";
    BAD_E(eng, "PRB-1", itsm_problem_open_from_incident(&out, inc, &po), ITSM_EEXISTS);
    po.id = NULL;
    itsm_change badc = { ITSM_F_IMPACT, NULL, 9 };
    po.fields = &badc;
    po.nfields = 1;
    BAD_E(eng, "impact", itsm_problem_open_from_incident(&out, inc, &po), ITSM_EINVAL);
    po.fields = NULL;
    BAD_E(eng, "fields", itsm_problem_open_from_incident(&out, inc, &po), ITSM_EINVAL);
    po.nfields = 0;
    BAD_E(eng, "out", itsm_change_open_from_problem(NULL, prb, &po), ITSM_EINVAL);
    BAD_N(itsm_change_open_from_problem(&out, NULL, &po), ITSM_EINVAL);
    BAD_E(eng, "problem", itsm_change_open_from_problem(&out, inc, &po), ITSM_EINVAL);
    BAD_E(eng, "known error", itsm_change_open_from_problem(&out, prb, &po), ITSM_ESTATE);
    po.version = 0;
    BAD_E(eng, NULL, itsm_change_open_from_problem(&out, prb, &po), ITSM_EINVAL, ITSM_ESTATE);

    BAD_N(itsm_problem_close(NULL, "fix_applied", "patched"), ITSM_EINVAL);
    BAD_E(eng, "code", itsm_problem_close(prb, NULL, "patched"), ITSM_EINVAL);
    BAD_E(eng, "code", itsm_problem_close(prb, EMPTY, "patched"), ITSM_EINVAL);
    BAD_E(eng, "code", itsm_problem_close(prb, "bogus", "patched"), ITSM_EINVAL);
    BAD_E(eng, "code", itsm_problem_close(prb, LONG_STR, "patched"), ITSM_EINVAL);
    BAD_E(eng, "code", itsm_problem_close(prb, BADUTF8, "patched"), ITSM_EINVAL);
    BAD_E(eng, "notes", itsm_problem_close(prb, "fix_applied", NULL), ITSM_EINVAL);
    BAD_E(eng, "notes", itsm_problem_close(prb, "fix_applied", EMPTY), ITSM_EINVAL);
    BAD_E(eng, "close_justification", itsm_problem_close(prb, "risk_accepted", LONG_STR), ITSM_ELIMIT);
    BAD_E(eng, "close_justification", itsm_problem_close(prb, "risk_accepted", BADUTF8), ITSM_EINVAL);
    BAD_E(eng, "problem", itsm_problem_close(inc, "fix_applied", "patched"), ITSM_EINVAL);
    BAD_E(eng, NULL, itsm_problem_close(prb, "fix_applied", "patched"), ITSM_ETRANSITION, ITSM_EGUARD);

    world_close();
    assert_int_equal(failures, 0);
}

/* ---- knowledge, communication, closure ---- */
static void test_knowledge_comm(void **state)
{
    (void)state;
    world_open();
    itsm_engine *eng = W.f.eng;
    itsm_policy *pol = W.pol;
    itsm_record *inc = W.inc;

    itsm_match m[4] = { { .size = sizeof(itsm_match) } };
    size_t n = 0;
    itsm_knowledge_query q = ITSM_KNOWLEDGE_QUERY_INIT;
    BAD_N(itsm_knowledge_search(m, 4, &n, NULL, &q), ITSM_EINVAL);
    BAD_E(eng, "n", itsm_knowledge_search(m, 4, NULL, eng, &q), ITSM_EINVAL);
    BAD_E(eng, "query", itsm_knowledge_search(m, 4, &n, eng, NULL), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_knowledge_search(NULL, 4, &n, eng, &q), ITSM_EINVAL);
    q.version = 2;
    BAD_E(eng, "version", itsm_knowledge_search(m, 4, &n, eng, &q), ITSM_EINVAL);
    q.version = ITSM_KNOWLEDGE_QUERY_VERSION;
    q.words = BADUTF8;
    BAD_E(eng, "words", itsm_knowledge_search(m, 4, &n, eng, &q), ITSM_EINVAL);
    q.words = LONG_STR;
    BAD_E(eng, "words", itsm_knowledge_search(m, 4, &n, eng, &q), ITSM_ELIMIT, ITSM_EINVAL);
    q.words = NULL;
    q.service = BADUTF8;
    BAD_E(eng, "service", itsm_knowledge_search(m, 4, &n, eng, &q), ITSM_EINVAL);
    q.service = NULL;
    q.category = LONG_STR;
    BAD_E(eng, "category", itsm_knowledge_search(m, 4, &n, eng, &q), ITSM_EINVAL, ITSM_ELIMIT);
    q.category = NULL;
    BAD_N(itsm_diagnose(m, 4, &n, NULL), ITSM_EINVAL);
    BAD_E(eng, "n", itsm_diagnose(m, 4, NULL, inc), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_diagnose(NULL, 4, &n, inc), ITSM_EINVAL);
    const char *dec = NULL;
    BAD_N(itsm_knowledge_decide(&dec, NULL), ITSM_EINVAL);

    /* policy */
    uint32_t cad[5] = { 1800, 3600, 14400, 28800, 28800 };
    uint32_t cad0[5] = { 1800, 0, 14400, 28800, 28800 };
    BAD_N(itsm_policy_set_cadence(NULL, cad, 2), ITSM_EINVAL);
    BAD_P(pol, "cadence", itsm_policy_set_cadence(pol, NULL, 2), ITSM_EINVAL);
    BAD_P(pol, "cadence", itsm_policy_set_cadence(pol, cad0, 2), ITSM_EINVAL);
    BAD_P(pol, "priority", itsm_policy_set_cadence(pol, cad, -1), ITSM_EINVAL);
    BAD_P(pol, "priority", itsm_policy_set_cadence(pol, cad, 6), ITSM_EINVAL);
    BAD_N(itsm_policy_set_closure(NULL, 100, 100, 1), ITSM_EINVAL);
    BAD_P(pol, "survey", itsm_policy_set_closure(pol, 100, 1001, 1), ITSM_EINVAL);

    /* communication */
    EXPECT(itsm_record_audience(NULL) == ITSM_AUDIENCE_NONE);
    EXPECT(itsm_record_survey_sampled(NULL) == 0);
    EXPECT(itsm_record_knowledge_candidate(NULL) == 0);
    EXPECT(itsm_record_auto_close_due(NULL) == ITSM_TIME_NONE);
    BAD_N(itsm_outage_declare(NULL, T0 + 3600, T0 + 1800), ITSM_EINVAL);
    BAD_E(eng, "service", itsm_outage_declare(W.inc2, T0 + 3600, T0 + 1800), ITSM_EINVAL);
    BAD_E(eng, "restoration", itsm_outage_declare(inc, -5, T0 + 1800), ITSM_EINVAL);
    BAD_E(eng, "next update", itsm_outage_declare(inc, T0 + 3600, ITSM_TIME_MAX + 1), ITSM_EINVAL);
    BAD_E(eng, "next update", itsm_outage_declare(inc, T0 + 3600, ITSM_TIME_NONE), ITSM_EINVAL);
    BAD_E(eng, "next update", itsm_outage_declare(inc, T0 + 3600, T0 - 100), ITSM_EINVAL);
    BAD_N(itsm_outage_end(NULL), ITSM_EINVAL);
    BAD_E(eng, "outage", itsm_outage_end(inc), ITSM_ESTATE, ITSM_ENOTFOUND);

    world_close();
    assert_int_equal(failures, 0);
}

/* ---- handover packets ---- */
static void test_handover(void **state)
{
    (void)state;
    world_open();
    itsm_engine *eng = W.f.eng;
    itsm_policy *pol = W.pol;
    itsm_packet *pkt = W.pkt, *ops = W.ops, *p2 = (itsm_packet *)&W;

    BAD_N(itsm_packet_new(NULL, W.inc, ITSM_PACKET_SHIFT), ITSM_EINVAL);
    BAD_N(itsm_packet_new(&p2, NULL, ITSM_PACKET_SHIFT), ITSM_EINVAL);
    EXPECT(p2 == NULL);
    BAD_E(eng, "kind", itsm_packet_new(&p2, W.inc, (itsm_packet_kind)0), ITSM_EINVAL);
    BAD_E(eng, "kind", itsm_packet_new(&p2, W.inc, (itsm_packet_kind)6), ITSM_EINVAL);
    EXPECT(p2 == NULL);
    BAD_N(itsm_packet_clone(NULL, pkt), ITSM_EINVAL);
    BAD_N(itsm_packet_clone(&p2, NULL), ITSM_EINVAL);

    /* getters */
    EXPECT(itsm_packet_kind_of(NULL) == 0);
    EXPECT(itsm_packet_state_of(NULL) == 0);
    EXPECT(itsm_packet_record_id(NULL) == NULL);
    EXPECT(itsm_packet_record_kind(NULL) == 0);
    EXPECT(itsm_packet_created_at(NULL) == ITSM_TIME_NONE);
    EXPECT(itsm_packet_seq(NULL) == 0);
    EXPECT(itsm_packet_errmsg(NULL) != NULL);
    EXPECT(itsm_packet_text_of(NULL, ITSM_PT_OBJECT) == NULL);
    EXPECT(itsm_packet_text_of(pkt, (itsm_packet_text)-1) == NULL);
    EXPECT(itsm_packet_text_of(pkt, ITSM_PT__COUNT) == NULL);
    EXPECT(itsm_packet_next_update(NULL) == ITSM_TIME_NONE);
    EXPECT(itsm_packet_contact_verified(NULL) == 0);
    EXPECT(itsm_packet_count(NULL, ITSM_PL_ACTIONS) == 0);
    EXPECT(itsm_packet_count(pkt, (itsm_packet_list)-1) == 0);
    EXPECT(itsm_packet_count(pkt, ITSM_PL__COUNT) == 0);
    EXPECT(itsm_packet_deliverable_count(NULL) == 0);
    EXPECT(itsm_packet_gate_open(NULL) == 0);
    EXPECT(itsm_packet_decided_by(NULL) == NULL);
    EXPECT(itsm_packet_decided_at(NULL) == ITSM_TIME_NONE);
    EXPECT(itsm_packet_proposed_at(NULL) == ITSM_TIME_NONE);
    EXPECT(itsm_packet_equal(NULL, pkt) == 0);
    EXPECT(itsm_packet_equal(pkt, NULL) == 0);

    /* content */
    BAD_N(itsm_packet_set_text(NULL, ITSM_PT_OBJECT, "x"), ITSM_EINVAL);
    BAD_K(pkt, NULL, "slot", itsm_packet_set_text(pkt, (itsm_packet_text)-1, "x"), ITSM_EINVAL);
    BAD_K(pkt, NULL, "slot", itsm_packet_set_text(pkt, ITSM_PT__COUNT, "x"), ITSM_EINVAL);
    BAD_K(pkt, NULL, "object", itsm_packet_set_text(pkt, ITSM_PT_OBJECT, LONG_STR), ITSM_ELIMIT);
    BAD_K(pkt, NULL, "object", itsm_packet_set_text(pkt, ITSM_PT_OBJECT, BADUTF8), ITSM_EINVAL);
    BAD_N(itsm_packet_set_next_update(NULL, T0), ITSM_EINVAL);
    BAD_K(pkt, NULL, "1970", itsm_packet_set_next_update(pkt, -5), ITSM_EINVAL);
    BAD_K(pkt, NULL, "1970", itsm_packet_set_next_update(pkt, ITSM_TIME_MAX + 1), ITSM_EINVAL);
    BAD_N(itsm_packet_set_contact_verified(NULL, 1), ITSM_EINVAL);
    itsm_packet_entry pe = { sizeof(itsm_packet_entry), "restarted", "ann", T0 };
    BAD_N(itsm_packet_add(NULL, ITSM_PL_ACTIONS, &pe), ITSM_EINVAL);
    BAD_K(pkt, NULL, "list", itsm_packet_add(pkt, (itsm_packet_list)-1, &pe), ITSM_EINVAL);
    BAD_K(pkt, NULL, "list", itsm_packet_add(pkt, ITSM_PL__COUNT, &pe), ITSM_EINVAL);
    BAD_K(pkt, NULL, "entry", itsm_packet_add(pkt, ITSM_PL_ACTIONS, NULL), ITSM_EINVAL);
    {
        struct { itsm_packet_list list; itsm_packet_entry e; const char *needle; int code; } bad[] = {
            { ITSM_PL_ACTIONS, { sizeof(itsm_packet_entry), NULL, "ann", T0 }, "text", ITSM_EINVAL },
            { ITSM_PL_ACTIONS, { sizeof(itsm_packet_entry), EMPTY, "ann", T0 }, "text", ITSM_EINVAL },
            { ITSM_PL_ACTIONS, { sizeof(itsm_packet_entry), BADUTF8, "ann", T0 }, "UTF-8", ITSM_EINVAL },
            { ITSM_PL_ACTIONS, { sizeof(itsm_packet_entry), "x", BADUTF8, T0 }, "UTF-8", ITSM_EINVAL },
            { ITSM_PL_ACTIONS, { sizeof(itsm_packet_entry), "x", "ann", -5 }, "1970", ITSM_EINVAL },
            { ITSM_PL_HYPOTHESES, { sizeof(itsm_packet_entry), "dns", "ann", ITSM_TIME_NONE }, "who", ITSM_EINVAL },
            { ITSM_PL_HYPOTHESES, { sizeof(itsm_packet_entry), "dns", NULL, T0 }, "at", ITSM_EINVAL },
            { ITSM_PL_OPEN_ACTIONS, { sizeof(itsm_packet_entry), "call back", NULL, T0 }, "owner", ITSM_EINVAL },
            { ITSM_PL_ACTIONS, { sizeof(itsm_packet_entry), NULL, NULL, T0 }, "text", ITSM_EINVAL },
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
            BAD_K(pkt, NULL, bad[i].needle, itsm_packet_add(pkt, bad[i].list, &bad[i].e), bad[i].code);
        itsm_packet_entry lng = { sizeof(itsm_packet_entry), NULL, NULL, ITSM_TIME_NONE };
        lng.text = LONG_STR;
        BAD_K(pkt, NULL, "text", itsm_packet_add(pkt, ITSM_PL_HYPOTHESES, &lng), ITSM_ELIMIT);
    }
    BAD_N(itsm_packet_clear(NULL, ITSM_PL_ACTIONS), ITSM_EINVAL);
    BAD_K(pkt, NULL, "list", itsm_packet_clear(pkt, (itsm_packet_list)-1), ITSM_EINVAL);
    BAD_K(pkt, NULL, "list", itsm_packet_clear(pkt, ITSM_PL__COUNT), ITSM_EINVAL);
    itsm_packet_entry got = { .size = sizeof got };
    BAD_N(itsm_packet_at(NULL, ITSM_PL_ACTIONS, 0, &got), ITSM_EINVAL);
    BAD_K(pkt, NULL, "list", itsm_packet_at(pkt, ITSM_PL__COUNT, 0, &got), ITSM_EINVAL);
    BAD_K(pkt, NULL, "index", itsm_packet_at(pkt, ITSM_PL_ACTIONS, 999, &got), ITSM_EINVAL);
    BAD_K(pkt, NULL, "out", itsm_packet_at(pkt, ITSM_PL_ACTIONS, 0, NULL), ITSM_EINVAL);

    /* deliverables */
    BAD_N(itsm_packet_add_deliverable(NULL, "x", "ann", "bob", 1), ITSM_EINVAL);
    BAD_K(ops, NULL, "name", itsm_packet_add_deliverable(ops, NULL, "ann", "bob", 1), ITSM_EINVAL);
    BAD_K(ops, NULL, "name", itsm_packet_add_deliverable(ops, EMPTY, "ann", "bob", 1), ITSM_EINVAL);
    BAD_K(ops, NULL, "name", itsm_packet_add_deliverable(ops, LONG_STR, "ann", "bob", 1), ITSM_ELIMIT, ITSM_EINVAL);
    BAD_K(ops, NULL, "name", itsm_packet_add_deliverable(ops, BADUTF8, "ann", "bob", 1), ITSM_EINVAL);
    BAD_K(ops, NULL, "owner", itsm_packet_add_deliverable(ops, "x", NULL, "bob", 1), ITSM_EINVAL);
    BAD_K(ops, NULL, "owner", itsm_packet_add_deliverable(ops, "x", BADUTF8, "bob", 1), ITSM_EINVAL);
    BAD_K(ops, NULL, "approver", itsm_packet_add_deliverable(ops, "x", "ann", NULL, 1), ITSM_EINVAL);
    BAD_K(ops, NULL, "approver", itsm_packet_add_deliverable(ops, "x", "ann", EMPTY, 1), ITSM_EINVAL);
    BAD_K(ops, NULL, "runbook", itsm_packet_add_deliverable(ops, "runbook", "ann", "bob", 1), ITSM_EEXISTS);
    BAD_N(itsm_packet_set_deliverable_status(NULL, "runbook", ITSM_DELIVERABLE_DELIVERED, "ann"), ITSM_EINVAL);
    BAD_K(ops, NULL, "name", itsm_packet_set_deliverable_status(ops, NULL, ITSM_DELIVERABLE_DELIVERED, "ann"),
          ITSM_EINVAL);
    BAD_K(ops, NULL, "nosuch", itsm_packet_set_deliverable_status(ops, "nosuch", ITSM_DELIVERABLE_DELIVERED, "ann"),
          ITSM_ENOTFOUND);
    BAD_K(ops, NULL, "status",
          itsm_packet_set_deliverable_status(ops, "runbook", (itsm_deliverable_status)0, "ann"), ITSM_EINVAL);
    BAD_K(ops, NULL, "status",
          itsm_packet_set_deliverable_status(ops, "runbook", (itsm_deliverable_status)5, "ann"), ITSM_EINVAL);
    BAD_K(ops, NULL, "approver",
          itsm_packet_set_deliverable_status(ops, "runbook", ITSM_DELIVERABLE_APPROVED, "ann"), ITSM_EINVAL);
    BAD_K(ops, NULL, "approver",
          itsm_packet_set_deliverable_status(ops, "runbook", ITSM_DELIVERABLE_APPROVED, NULL), ITSM_EINVAL);
    BAD_K(ops, NULL, "approver",
          itsm_packet_set_deliverable_status(ops, "runbook", ITSM_DELIVERABLE_APPROVED, BADUTF8), ITSM_EINVAL);
    itsm_deliverable dv = { .size = sizeof dv };
    BAD_N(itsm_packet_deliverable_at(NULL, 0, &dv), ITSM_EINVAL);
    BAD_K(ops, NULL, "index", itsm_packet_deliverable_at(ops, 1, &dv), ITSM_EINVAL);
    BAD_K(ops, NULL, "out", itsm_packet_deliverable_at(ops, 0, NULL), ITSM_EINVAL);

    /* checklist and completeness */
    BAD_N(itsm_policy_set_handover_checklist(NULL, ITSM_PACKET_SHIFT, "object"), ITSM_EINVAL);
    BAD_P(pol, "kind", itsm_policy_set_handover_checklist(pol, (itsm_packet_kind)0, "object"), ITSM_EINVAL);
    BAD_P(pol, "items", itsm_policy_set_handover_checklist(pol, ITSM_PACKET_SHIFT, NULL), ITSM_EINVAL);
    BAD_P(pol, "bogus", itsm_policy_set_handover_checklist(pol, ITSM_PACKET_SHIFT, "object bogus"),
          ITSM_ENOTFOUND);
    BAD_P(pol, "item", itsm_policy_set_handover_checklist(pol, ITSM_PACKET_SHIFT, LONG_STR), ITSM_ENOTFOUND,
          ITSM_ELIMIT, ITSM_EINVAL);
    BAD_P(pol, "item", itsm_policy_set_handover_checklist(pol, ITSM_PACKET_SHIFT, BADUTF8), ITSM_ENOTFOUND,
          ITSM_EINVAL);
    size_t len = 0;
    char small[4];
    BAD_N(itsm_policy_handover_checklist(NULL, ITSM_PACKET_SHIFT, small, sizeof small, &len), ITSM_EINVAL);
    BAD_N(itsm_policy_handover_checklist(pol, (itsm_packet_kind)9, small, sizeof small, &len), ITSM_EINVAL);
    BAD_N(itsm_policy_handover_checklist(pol, ITSM_PACKET_SHIFT, NULL, 0, NULL), ITSM_EINVAL);
    BAD_N(itsm_policy_handover_checklist(pol, ITSM_PACKET_SHIFT, NULL, 5, &len), ITSM_EINVAL);
    check_writer(__LINE__, "itsm_policy_handover_checklist", w_checklist, pol);
    int score = -1;
    BAD_N(itsm_packet_completeness(NULL, pkt, pol, NULL, 0), ITSM_EINVAL);
    BAD_N(itsm_packet_completeness(&score, NULL, pol, NULL, 0), ITSM_EINVAL);
    BAD_N(itsm_packet_completeness(&score, pkt, NULL, NULL, 0), ITSM_EINVAL);
    EXPECT(score == -1);
    BAD_N(itsm_packet_completeness(&score, pkt, pol, NULL, 5), ITSM_EINVAL);
    EXPECT(score == -1);

    /* the two-party handover */
    BAD_N(itsm_packet_propose(NULL, eng), ITSM_EINVAL);
    BAD_K(pkt, NULL, NULL, itsm_packet_propose(pkt, NULL), ITSM_EINVAL);
    BAD_K(pkt, W.other, "INC-1", itsm_packet_propose(pkt, W.other), ITSM_ENOTFOUND);
    BAD_N(itsm_packet_acknowledge(NULL, eng, "bob"), ITSM_EINVAL);
    BAD_K(pkt, NULL, NULL, itsm_packet_acknowledge(pkt, NULL, "bob"), ITSM_EINVAL);
    BAD_K(pkt, eng, "propos", itsm_packet_acknowledge(pkt, eng, "bob"), ITSM_ESTATE, ITSM_ENOTFOUND);
    BAD_N(itsm_packet_reject(NULL, eng, "bob", "thin"), ITSM_EINVAL);
    BAD_K(pkt, NULL, NULL, itsm_packet_reject(pkt, NULL, "bob", "thin"), ITSM_EINVAL);
    BAD_K(pkt, eng, "propos", itsm_packet_reject(pkt, eng, "bob", "thin"), ITSM_ESTATE, ITSM_ENOTFOUND);
    /* a proposed packet, then bad decisions on it */
    itsm_packet *pp = NULL;
    assert_ok(itsm_packet_clone(&pp, pkt));
    assert_ok(itsm_packet_set_text(pp, ITSM_PT_RECEIVER, "bob"));
    assert_ok(itsm_packet_propose(pp, eng));
    BAD_K(pp, eng, "proposed", itsm_packet_propose(pp, eng), ITSM_ESTATE);
    BAD_K(pp, eng, "by", itsm_packet_acknowledge(pp, eng, NULL), ITSM_EINVAL);
    BAD_K(pp, eng, "by", itsm_packet_acknowledge(pp, eng, EMPTY), ITSM_EINVAL);
    BAD_K(pp, eng, "by", itsm_packet_acknowledge(pp, eng, LONG_STR), ITSM_EINVAL, ITSM_ELIMIT);
    BAD_K(pp, eng, "by", itsm_packet_acknowledge(pp, eng, BADUTF8), ITSM_EINVAL);
    BAD_K(pp, eng, "'eve' cannot answer", itsm_packet_acknowledge(pp, eng, "eve"), ITSM_EINVAL);
    BAD_K(pp, W.other, NULL, itsm_packet_acknowledge(pp, W.other, "bob"), ITSM_ENOTFOUND);
    BAD_K(pp, eng, "by", itsm_packet_reject(pp, eng, NULL, "thin"), ITSM_EINVAL);
    BAD_K(pp, eng, "'eve' cannot answer", itsm_packet_reject(pp, eng, "eve", "thin"), ITSM_EINVAL);
    BAD_K(pp, eng, "reason", itsm_packet_reject(pp, eng, "bob", NULL), ITSM_EINVAL);
    BAD_K(pp, eng, "reason", itsm_packet_reject(pp, eng, "bob", EMPTY), ITSM_EINVAL);
    BAD_K(pp, eng, "reason", itsm_packet_reject(pp, eng, "bob", LONG_STR), ITSM_ELIMIT);
    BAD_K(pp, eng, "reason", itsm_packet_reject(pp, eng, "bob", BADUTF8), ITSM_EINVAL);
    BAD_K(pp, NULL, "proposed", itsm_packet_set_text(pp, ITSM_PT_OBJECT, "late"), ITSM_ESTATE);
    BAD_K(pp, NULL, "proposed", itsm_packet_add(pp, ITSM_PL_ACTIONS, &pe), ITSM_ESTATE);
    BAD_K(pp, NULL, "proposed", itsm_packet_clear(pp, ITSM_PL_ACTIONS), ITSM_ESTATE);
    BAD_K(pp, NULL, "proposed", itsm_packet_set_next_update(pp, T0 + 60), ITSM_ESTATE);
    BAD_K(pp, NULL, "proposed", itsm_packet_set_contact_verified(pp, 1), ITSM_ESTATE);
    itsm_packet_free(pp);
    BAD_E(eng, "index", itsm_engine_handover_at(&pp, eng, 1), ITSM_EINVAL);

    /* JSON */
    BAD_N(itsm_packet_to_json(NULL, NULL, 0, &len), ITSM_EINVAL);
    BAD_N(itsm_packet_to_json(pkt, NULL, 0, NULL), ITSM_EINVAL);
    BAD_N(itsm_packet_to_json(pkt, NULL, 10, &len), ITSM_EINVAL);
    check_writer(__LINE__, "itsm_packet_to_json", w_packet, pkt);
    check_writer(__LINE__, "itsm_packet_to_json", w_packet, ops);
    itsm_parse_error per;
    const char *docs[] = { "{", "", "\"\xff\"", "[]", "{}", "{\"version\":1,\"version\":1}" };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        p2 = (itsm_packet *)&W;
        memset(&per, 0, sizeof per);
        BAD_N(itsm_packet_from_json(&p2, docs[i], strlen(docs[i]), NULL, NULL, &per), ITSM_EPARSE);
        EXPECT(p2 == NULL && per.code == ITSM_EPARSE && per.text[0]);
    }
    BAD_N(itsm_packet_from_json(NULL, "{}", 2, NULL, NULL, &per), ITSM_EINVAL);
    BAD_N(itsm_packet_from_json(&p2, NULL, 2, NULL, NULL, &per), ITSM_EINVAL);
    {
        char deep[300];
        memset(deep, '{', sizeof deep);
        BAD_N(itsm_packet_from_json(&p2, deep, sizeof deep, NULL, NULL, NULL), ITSM_ELIMIT, ITSM_EPARSE);
        itsm_json_limits lim = { 3, 0, 0 };
        BAD_N(itsm_packet_from_json(&p2, "{}      ", 8, NULL, &lim, &per), ITSM_ELIMIT);
        itsm_allocator half = { NULL, NULL, NULL, NULL };
        failalloc fa = { 0, 0, 0, 0 };
        half = failalloc_make(&fa);
        half.malloc_fn = NULL;
        BAD_N(itsm_packet_from_json(&p2, "{}", 2, &half, NULL, &per), ITSM_EINVAL);
    }

    world_close();
    assert_int_equal(failures, 0);
}

/* ---- reports ---- */
static void test_report(void **state)
{
    (void)state;
    world_open();
    itsm_engine *eng = W.f.eng;
    itsm_report *rep = W.rep, *r2 = (itsm_report *)&W;

    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    BAD_N(itsm_report_new(NULL, eng, &o), ITSM_EINVAL);
    BAD_N(itsm_report_new(&r2, NULL, &o), ITSM_EINVAL);
    EXPECT(r2 == NULL);
    BAD_E(eng, "options", itsm_report_new(&r2, eng, NULL), ITSM_EINVAL);
    {
        struct { int what; const char *needle; int code; } bad[] = {
            { 0, "version", ITSM_EINVAL }, { 1, "1970", ITSM_EINVAL }, { 2, "1970", ITSM_EINVAL },
            { 3, "from", ITSM_EINVAL }, { 4, "kind", ITSM_EINVAL }, { 5, "kind", ITSM_EINVAL },
            { 6, "nosuch", ITSM_ENOTFOUND }, { 7, "calendar", ITSM_ENOTFOUND }, { 8, "calendar", ITSM_ENOTFOUND },
            { 9, "1970", ITSM_EINVAL },
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            itsm_report_opts b = ITSM_REPORT_OPTS_INIT;
            switch (bad[i].what) {
            case 0: b.version = ITSM_REPORT_OPTS_VERSION + 1; break;
            case 1: b.from = -1; break;
            case 2: b.to = ITSM_TIME_MAX + 1; break;
            case 3: b.from = T0; b.to = T0; break;
            case 4: b.kinds = 1u; break;
            case 5: b.kinds = 1u << 7; break;
            case 6: b.calendar = "nosuch"; break;
            case 7: b.calendar = LONG_STR; break;
            case 8: b.calendar = BADUTF8; break;
            case 9: b.now = -9; break;
            }
            r2 = (itsm_report *)&W;
            BAD_E(eng, bad[i].needle, itsm_report_new(&r2, eng, &b), bad[i].code, ITSM_EINVAL);
            EXPECT(r2 == NULL);
        }
    }

    EXPECT(itsm_report_from(NULL) == ITSM_TIME_NONE);
    EXPECT(itsm_report_to(NULL) == ITSM_TIME_NONE);
    EXPECT(itsm_report_now(NULL) == ITSM_TIME_NONE);
    EXPECT(itsm_report_calendar(NULL) == NULL);
    EXPECT(itsm_report_total(NULL) == 0);
    EXPECT(itsm_report_by_kind(NULL, ITSM_KIND_INCIDENT) == 0);
    EXPECT(itsm_report_by_kind(rep, (itsm_kind)0) == 0);
    EXPECT(itsm_report_by_kind(rep, (itsm_kind)6) == 0);
    EXPECT(itsm_report_by_priority(NULL, 1) == 0);
    EXPECT(itsm_report_by_priority(rep, -1) == 0);
    EXPECT(itsm_report_by_priority(rep, 6) == 0);
    EXPECT(itsm_report_state_count(NULL) == 0);
    EXPECT(itsm_report_category_count(NULL) == 0);
    EXPECT(itsm_report_sender_count(NULL) == 0);
    EXPECT(itsm_report_aging(NULL, 0) == 0);
    EXPECT(itsm_report_aging(rep, ITSM_REPORT_AGING_BUCKETS) == 0);
    EXPECT(itsm_report_trend_count(NULL) == 0);

    itsm_report_row row = { .size = sizeof row };
    itsm_report_stat st = { .size = sizeof st };
    itsm_report_figures fg = { .size = sizeof fg };
    itsm_report_sla_figures sf = { .size = sizeof sf };
    itsm_report_sender sn = { .size = sizeof sn };
    itsm_report_trend tr = { .size = sizeof tr };
    BAD_N(itsm_report_state_at(NULL, 0, &row), ITSM_EINVAL);
    BAD_N(itsm_report_state_at(rep, 0, NULL), ITSM_EINVAL);
    BAD_N(itsm_report_state_at(rep, 999, &row), ITSM_EINVAL);
    BAD_N(itsm_report_category_at(NULL, 0, &row), ITSM_EINVAL);
    BAD_N(itsm_report_category_at(rep, 0, NULL), ITSM_EINVAL);
    BAD_N(itsm_report_category_at(rep, 999, &row), ITSM_EINVAL);
    BAD_N(itsm_report_duration(NULL, rep, ITSM_MEASURE_RESOLVE_WALL), ITSM_EINVAL);
    BAD_N(itsm_report_duration(&st, NULL, ITSM_MEASURE_RESOLVE_WALL), ITSM_EINVAL);
    BAD_N(itsm_report_duration(&st, rep, (itsm_report_measure)-1), ITSM_EINVAL);
    BAD_N(itsm_report_duration(&st, rep, (itsm_report_measure)ITSM_MEASURE_COUNT), ITSM_EINVAL);
    BAD_N(itsm_report_figures_of(NULL, rep), ITSM_EINVAL);
    BAD_N(itsm_report_figures_of(&fg, NULL), ITSM_EINVAL);
    BAD_N(itsm_report_sla(NULL, rep), ITSM_EINVAL);
    BAD_N(itsm_report_sla(&sf, NULL), ITSM_EINVAL);
    BAD_N(itsm_report_sender_at(NULL, 0, &sn), ITSM_EINVAL);
    BAD_N(itsm_report_sender_at(rep, 0, NULL), ITSM_EINVAL);
    BAD_N(itsm_report_sender_at(rep, 999, &sn), ITSM_EINVAL);
    BAD_N(itsm_report_trend_at(NULL, 0, &tr), ITSM_EINVAL);
    BAD_N(itsm_report_trend_at(rep, 0, NULL), ITSM_EINVAL);
    BAD_N(itsm_report_trend_at(rep, 999, &tr), ITSM_EINVAL);

    size_t len = 0;
    BAD_N(itsm_report_to_json(NULL, NULL, 0, &len), ITSM_EINVAL);
    BAD_N(itsm_report_to_json(rep, NULL, 0, NULL), ITSM_EINVAL);
    BAD_N(itsm_report_to_json(rep, NULL, 10, &len), ITSM_EINVAL);
    BAD_N(itsm_report_to_csv(NULL, NULL, 0, &len), ITSM_EINVAL);
    BAD_N(itsm_report_to_csv(rep, NULL, 0, NULL), ITSM_EINVAL);
    BAD_N(itsm_report_to_csv(rep, NULL, 10, &len), ITSM_EINVAL);
    check_writer(__LINE__, "itsm_report_to_json", w_report, rep);
    check_writer(__LINE__, "itsm_report_to_csv", w_csv, rep);

    world_close();
    assert_int_equal(failures, 0);
}

/* ---- a message is never stale: a success after a failure, then a new failure ---- */
static void test_fresh_messages(void **state)
{
    (void)state;
    world_open();
    itsm_engine *eng = W.f.eng;
    itsm_record *r = NULL;
    EXPECT(itsm_record_find(&r, eng, "NOPE") == ITSM_ENOTFOUND);
    EXPECT(strstr(itsm_errmsg(eng), "NOPE") != NULL);
    EXPECT(itsm_record_find(&r, eng, "INC-1") == ITSM_OK);
    /* documented: the last failure's message is kept after a success */
    EXPECT(itsm_errcode(eng) == ITSM_ENOTFOUND && strstr(itsm_errmsg(eng), "NOPE") != NULL);
    EXPECT(itsm_engine_record_at(&r, eng, 99) == ITSM_EINVAL);
    EXPECT(itsm_errcode(eng) == ITSM_EINVAL && strstr(itsm_errmsg(eng), "NOPE") == NULL);
    world_close();
    assert_int_equal(failures, 0);
}

static int group_setup(void **state)
{
    (void)state;
    LONG_STR = malloc(ITSM_MAX_TEXT + 2);
    if (!LONG_STR)
        return -1;
    memset(LONG_STR, 'a', ITSM_MAX_TEXT + 1);
    LONG_STR[ITSM_MAX_TEXT + 1] = '\0';
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    free(LONG_STR);
    return 0;
}

static int reset(void **state)
{
    (void)state;
    failures = 0;
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_opts_init, reset),
        cmocka_unit_test_setup(test_free_null, reset),
        cmocka_unit_test_setup(test_pure, reset),
        cmocka_unit_test_setup(test_engine, reset),
        cmocka_unit_test_setup(test_record, reset),
        cmocka_unit_test_setup(test_event, reset),
        cmocka_unit_test_setup(test_policy, reset),
        cmocka_unit_test_setup(test_sla, reset),
        cmocka_unit_test_setup(test_escalation, reset),
        cmocka_unit_test_setup(test_problem, reset),
        cmocka_unit_test_setup(test_knowledge_comm, reset),
        cmocka_unit_test_setup(test_handover, reset),
        cmocka_unit_test_setup(test_report, reset),
        cmocka_unit_test_setup(test_fresh_messages, reset),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
