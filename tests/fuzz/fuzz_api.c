/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for whole API sequences, see README.md.
 *
 * fuzz-build: -Itools/scenario tools/scenario/state.c
 *
 * Each input decodes to a sequence of public calls over every record kind:
 * opening with odd field values, updates, valid and unknown transition
 * names, notes, links, the clock moving forwards and backwards, ticks,
 * escalation, major incidents and their post-incident reviews, outages,
 * problems and changes, handover packets (built, proposed, acknowledged,
 * rejected), service-level overrides, the actor, request fulfilment
 * (catalogue items and tasks), approvals, risk answers, change plans
 * against a blackout, problem proposals accepted and dismissed, survey
 * answers, on-call pages, acknowledgements and alerts, read-only queries
 * (reports with filters and groups, the change schedule, agreements) -
 * and one-shot failures of an allocation or of the store append.
 *
 * The engines run a policy with something for each of those: the default
 * one with a service catalogue, every closed record in the survey sample,
 * a change freeze, a contract agreement and an escalation policy with an
 * alert grouping window (fuzz_policy below).
 *
 * Three engines see the same calls, all on one virtual clock:
 *   A  the engine under test: its allocator and store fail when told to;
 *   B  a twin that never fails: it shows what every call should have done;
 *   S  a shadow that only replays A's store (on a store of its own that
 *      stays empty, so it keeps and checks the hash chain).
 * After every call:
 *   - a call that failed (any error) left A exactly as it was: A still
 *     equals B, which has not made the call yet, and A's store grew by
 *     nothing (a tick may have fired earlier timers: they are stored);
 *   - an injected fault gives ITSM_ENOMEM (allocation) or the store's own
 *     code (ITSM_ESTORE for anything else); A then retries the call;
 *   - a call without an injected fault returns in A what it returns in B;
 *   - A equals B (a call that succeeded despite a fault delivered
 *     everything), A's store holds the same events as B's, byte for byte;
 *   - S, after replaying A's new events, equals A.
 * "Equal" is the text of everything the public getters show (state.h),
 * plus the caller's packets. Freeing the engines gives back every block.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <itsm.h>

#include "state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                       \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            fprintf(stderr, "fuzz_api: check failed: %s (line %d, op %d)\n", #cond, __LINE__, \
                    g_op);                                                                \
            abort();                                                                      \
        }                                                                                 \
    } while (0)

static int g_op;   /* the current op's code, for messages */
static int g_trace = -1;   /* FUZZ_API_TRACE=1: print every call */

/* ---- an allocator that counts, and fails one chosen call ---- */

typedef struct falloc {
    long calls;      /* allocations so far */
    long fail_at;    /* fail this one (1-based); 0: never */
    int  failed;
    long live;
} falloc;

typedef struct fhdr { size_t size; size_t pad; } fhdr;

static int fa_fail(falloc *fa)
{
    fa->calls++;
    if (fa->fail_at && fa->calls == fa->fail_at) {
        fa->failed = 1;
        fa->fail_at = 0;
        return 1;
    }
    return 0;
}

static void *fa_malloc(void *user, size_t size)
{
    falloc *fa = user;
    if (fa_fail(fa))
        return NULL;
    fhdr *h = malloc(sizeof *h + size);
    if (!h)
        return NULL;
    h->size = size;
    fa->live++;
    return h + 1;
}

static void *fa_realloc(void *user, void *ptr, size_t size)
{
    falloc *fa = user;
    if (!ptr)
        return fa_malloc(user, size);
    if (fa_fail(fa))
        return NULL;
    fhdr *h = realloc((fhdr *)ptr - 1, sizeof *h + size);
    if (!h)
        return NULL;
    h->size = size;
    return h + 1;
}

static void fa_free(void *user, void *ptr)
{
    ((falloc *)user)->live--;
    free((fhdr *)ptr - 1);
}

/* ---- a store of JSON lines that fails one append when told to ---- */

typedef struct mstore {
    char  **ev;
    size_t *len;
    size_t  n, cap;
    int     fail_code;   /* fail the next append with this; 0: never */
    int     failed;
} mstore;

static int ms_append(void *user, const itsm_event *const *evs, size_t n)
{
    mstore *s = user;
    if (s->fail_code) {
        int code = s->fail_code;
        s->fail_code = 0;
        s->failed = 1;
        return code;
    }
    CHECK(n >= 1);
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        CHECK(itsm_event_to_json(evs[i], NULL, 0, &len) == ITSM_ELIMIT);
        char *buf = malloc(len + 1);
        CHECK(buf && itsm_event_to_json(evs[i], buf, len + 1, &len) == ITSM_OK);
        if (s->n == s->cap) {
            s->cap = s->cap ? 2 * s->cap : 64;
            s->ev = realloc(s->ev, s->cap * sizeof *s->ev);
            s->len = realloc(s->len, s->cap * sizeof *s->len);
            CHECK(s->ev && s->len);
        }
        s->ev[s->n] = buf;
        s->len[s->n++] = len;
    }
    return ITSM_OK;
}

/* A store that gives its events back, so the engine writes the hash chain. */
static int ms_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    mstore *s = user;
    for (size_t i = 0; i < s->n; i++) {
        int rc = emit(ctx, s->ev[i], s->len[i]);
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

static const itsm_store ms_methods = { ITSM_STORE_VERSION, ms_append, ms_scan, NULL, NULL, NULL };

static void ms_free(mstore *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->ev[i]);
    free(s->ev);
    free(s->len);
    memset(s, 0, sizeof *s);
}

/* ---- the engines ---- */

#define NPK 4        /* caller-owned packets per engine */
#define MAX_OPS 96

typedef struct side {
    itsm_engine *eng;
    falloc       fa;
    mstore       st;
    itsm_packet *pk[NPK];
} side;

static itsm_time g_now;
static itsm_time clock_read(void *user) { return *(const itsm_time *)user; }

#define T_START ((itsm_time)1772442000)   /* 2026-03-02T09:00:00Z, a Monday */

/* The default policy, and: a catalogue of two items (tasks in two steps),
 * every closed record surveyed, a blackout the day after the start, an
 * agreement on priority 1-2 records. Built once. */
static itsm_policy *g_policy;

static const char catalogue[] =
    "\"catalogue\":[{\"name\":\"new_laptop\",\"tasks\":["
    "{\"name\":\"order_laptop\",\"group\":\"procurement\",\"step\":1,\"ola_minutes\":60},"
    "{\"name\":\"create_account\",\"group\":\"identity\",\"step\":1},"
    "{\"name\":\"image_laptop\",\"group\":\"desktop\",\"step\":2}]},"
    "{\"name\":\"software_install\",\"tasks\":[{\"name\":\"install\",\"group\":\"desktop\"}]}]";

static itsm_policy *fuzz_policy(void)
{
    itsm_policy *def = NULL, *pol = NULL;
    CHECK(itsm_policy_new_default(&def, NULL) == ITSM_OK);
    size_t len = 0;
    CHECK(itsm_policy_to_json(def, NULL, 0, &len) == ITSM_ELIMIT);
    char *doc = malloc(len + 1), *with = malloc(len + sizeof catalogue);
    CHECK(doc && with && itsm_policy_to_json(def, doc, len + 1, &len) == ITSM_OK);
    itsm_policy_free(def);
    char *at = strstr(doc, "\"catalogue\":[]");
    CHECK(at != NULL);
    size_t head = (size_t)(at - doc), cut = strlen("\"catalogue\":[]");
    memcpy(with, doc, head);
    memcpy(with + head, catalogue, sizeof catalogue - 1);
    strcpy(with + head + sizeof catalogue - 1, at + cut);
    CHECK(itsm_policy_from_json(&pol, with, strlen(with), NULL, NULL, NULL) == ITSM_OK);
    free(doc);
    free(with);
    CHECK(itsm_policy_set_closure(pol, 3 * 86400, 1000, 1) == ITSM_OK);
    itsm_blackout_def bo = ITSM_BLACKOUT_DEF_INIT;
    bo.name = "freeze";
    bo.from = T_START + 86400;
    bo.to = T_START + 2 * 86400;
    CHECK(itsm_policy_set_blackout(pol, &bo) == ITSM_OK);
    itsm_agreement_target t = { 0, 4 * 3600, NULL };
    itsm_agreement_def ag = ITSM_AGREEMENT_DEF_INIT;
    ag.name = "contract";
    ag.applies = "priority <= 2";
    ag.stop = "state == 'resolved'";
    ag.targets = &t;
    ag.ntargets = 1;
    CHECK(itsm_policy_set_agreement(pol, &ag, NULL) == ITSM_OK);
    static const char *const first[] = { "ann" }, *const then[] = { "bob", "desk" };
    itsm_oncall_step steps[2] = { { first, 1, 5 }, { then, 2, 15 } };
    itsm_oncall_def oc = ITSM_ONCALL_DEF_INIT;
    oc.name = "desk";
    oc.steps = steps;
    oc.nsteps = 2;
    oc.repeat = 1;
    CHECK(itsm_policy_add_oncall(pol, &oc) == ITSM_OK);
    CHECK(itsm_policy_set_alert_window(pol, 10) == ITSM_OK);
    CHECK(itsm_policy_check(pol) == 0);
    return pol;
}

static void side_open(side *s, int with_store)
{
    memset(s, 0, sizeof *s);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.clock = clock_read;
    o.clock_user = &g_now;
    o.policy = g_policy;
    o.alloc.malloc_fn = fa_malloc;
    o.alloc.realloc_fn = fa_realloc;
    o.alloc.free_fn = fa_free;
    o.alloc.user = &s->fa;
    if (with_store) {
        o.store = &ms_methods;
        o.store_user = &s->st;
    }
    CHECK(itsm_engine_new(&s->eng, &o) == ITSM_OK);
}

static void side_close(side *s)
{
    for (int i = 0; i < NPK; i++)
        itsm_packet_free(s->pk[i]);
    itsm_engine_free(s->eng);
    ms_free(&s->st);
    CHECK(s->fa.live == 0);
}

static char *side_state(side *s, int packets)
{
    state_buf b = { NULL, 0, 0, 0, 0 };
    state_put(&b, "%s", "");
    state_engine(&b, s->eng, g_now);
    for (int i = 0; packets && i < NPK; i++) {
        state_put(&b, "caller %d ", i);
        if (s->pk[i])
            state_packet(&b, s->pk[i]);
        else
            state_put(&b, "none\n");
    }
    CHECK(!b.oom && !b.errors);
    return b.s;
}

static void same_state(side *a, side *b, const char *what)
{
    char *x = side_state(a, 1), *y = side_state(b, 1);
    if (strcmp(x, y) != 0) {
        fprintf(stderr, "fuzz_api: %s (op %d)\n--- A\n%s--- B\n%s", what, g_op, x, y);
        abort();
    }
    free(x);
    free(y);
}

/* ---- input ---- */

typedef struct input { const uint8_t *p; size_t n; } input;

static unsigned u8(input *in)
{
    if (!in->n)
        return 0;
    in->n--;
    return *in->p++;
}

#define PICK(in, arr) ((arr)[u8(in) % (sizeof(arr) / sizeof((arr)[0]))])

static char long_sym[300], long_text[70000], ctrl[] = "a\x01" "b";

static const char *const symbols[] = {
    "desk", "network", "ann", "bob", "carl", "messaging", "payroll", "email", "fixed", "awaiting_customer",
    "awaiting_supplier", "awaiting_change", "software", "hardware", "standard", "normal", "emergency", "gold",
    "24x7", "business", "INC-000001", "PRB-000001", "risk_accepted", "fix_applied", "duplicate", "linked",
    "\xc3\xa9t\xc3\xa9", "", "bad\xff", " padded ", "none", "x",
};

static const char *const texts[] = {
    "Mail down", "Relay restarted", "checked the queue", "cannot print", "restart the service",
    "payroll batch fails at step 3", "", "line\nbreak", "\xe2\x82\xac 5", "bad\xc3(",
};

static const char *const events[] = {
    "assign", "start", "hold", "resume", "resolve", "reopen", "confirm", "auto_close", "cancel",
    "parent_resolved", "submit", "approve", "reject", "fulfil", "complete", "close", "assess", "analyse",
    "identify", "request_change", "close_without_fix", "authorize", "schedule", "implement", "back_out",
    "publish", "revise", "retire", "", "RESOLVE", "explode", "resolve ", "resolve\xff",
};

/* Names the policy's catalogue, approval rules and questionnaire know. */
static const char *const cap_names[] = {
    "new_laptop", "software_install", "order_laptop", "create_account", "image_laptop", "install",
    "approver", "change_manager", "ecab", "cab", "users", "backout", "experience", "outage", "reach", "few",
    "tested", "often", "none", "one", "department", "never", "ann", "bob", "carl", "desk", "contract",
    "priority <= 2", "service", "impact", "state == 'closed'", "state ==",
};

static const int64_t ints[] = { 0, 1, 2, 3, 4, 5, 6, -1, 100, INT64_MAX, INT64_MIN, 1, 2, 3 };

static const int64_t deltas[] = { 0, 1, 59, 60, 900, 1800, 3600, 4 * 3600, 8 * 3600, 86400, 3 * 86400,
                                  7 * 86400, 30 * 86400, -1, -3600, -86400, 14400, 600 };

static const char *sym(input *in)
{
    unsigned k = u8(in);
    if (k == 255)
        return long_sym;
    if (k == 254)
        return ctrl;
    if (k == 253)
        return NULL;
    return symbols[k % (sizeof symbols / sizeof *symbols)];
}

static const char *text(input *in)
{
    unsigned k = u8(in);
    if (k == 255)
        return long_text;
    if (k == 254)
        return long_sym;
    if (k == 253)
        return NULL;
    if (k >= 128)
        return sym(in);
    return texts[k % (sizeof texts / sizeof *texts)];
}

static const char *cap_name(input *in)
{
    unsigned k = u8(in);
    if (k >= 224)
        return sym(in);
    return cap_names[k % (sizeof cap_names / sizeof *cap_names)];
}

static itsm_time when(input *in)
{
    unsigned k = u8(in) % 12;
    switch (k) {
    case 0: return ITSM_TIME_NONE;
    case 1: return g_now;
    case 2: return g_now + 900;
    case 3: return g_now + 3600;
    case 4: return g_now - 3600;
    case 5: return g_now + 3 * 86400;
    case 6: return 0;
    case 7: return -5;
    case 8: return ITSM_TIME_MAX;
    case 9: return ITSM_TIME_MAX + 1;
    case 10: return g_now + 1800;
    default: return g_now + 86400;
    }
}

static void change(input *in, itsm_change *c)
{
    unsigned f = u8(in) % (ITSM_F__COUNT + 1);
    c->field = f == ITSM_F__COUNT ? (itsm_field)-1 : (itsm_field)f;
    c->str = NULL;
    c->num = 0;
    unsigned odd = u8(in);
    itsm_field_type t = f == ITSM_F__COUNT ? ITSM_TYPE_TEXT : itsm_field_type_of((itsm_field)f);
    if (odd >= 240) {   /* the wrong kind of value, or an unset */
        c->str = odd & 1 ? sym(in) : NULL;
        c->num = PICK(in, ints);
        return;
    }
    switch (t) {
    case ITSM_TYPE_TEXT: c->str = text(in); break;
    case ITSM_TYPE_SYMBOL: case ITSM_TYPE_ENUM: c->str = sym(in); break;
    case ITSM_TYPE_INT: c->num = PICK(in, ints); break;
    case ITSM_TYPE_BOOL: c->num = u8(in) % 4 == 3 ? 2 : u8(in) & 1; break;
    case ITSM_TYPE_TIME: c->num = when(in); break;
    }
}

static size_t changes(input *in, itsm_change *c, size_t max)
{
    size_t n = u8(in) % (max + 1);
    for (size_t i = 0; i < n; i++)
        change(in, &c[i]);
    return n;
}

/* ---- one call, on one side ---- */

enum {
    OP_OPEN, OP_UPDATE, OP_FIRE, OP_NOTE, OP_LINK, OP_CLOCK, OP_TICK, OP_ESCALATE, OP_MAJOR,
    OP_OUTAGE, OP_PROBLEM, OP_PACKET, OP_SLA, OP_ACTOR, OP_SET, OP_QUERY, OP_FAIL_ALLOC,
    OP_FAIL_STORE, OP_FIRE2, OP_REQUEST, OP_APPROVAL, OP_RISK, OP_PLAN, OP_PROPOSAL, OP_SURVEY, OP_ONCALL,
    OP_ADOPT, OP__COUNT
};

/* A decoded call: everything both sides need, so they make the same one. */
typedef struct call {
    int           op, sub;
    unsigned      ra, rb;        /* record picks */
    int           kind;
    const char   *id, *s1, *s2, *s3;
    itsm_change   ch[6];
    size_t        nch;
    int64_t       num;
    itsm_time     t1, t2;
    const char   *groups[5];
    size_t        ngroups;
} call;

static itsm_record *rec_at(side *s, unsigned pick)
{
    size_t n = itsm_engine_record_count(s->eng);
    if (!n || pick == 255)
        return NULL;
    itsm_record *r = NULL;
    CHECK(itsm_engine_record_at(&r, s->eng, pick % n) == ITSM_OK);
    return r;
}

static void decode(input *in, call *c)
{
    memset(c, 0, sizeof *c);
    c->op = (int)(u8(in) % OP__COUNT);
    c->sub = (int)u8(in);
    c->ra = u8(in);
    c->rb = u8(in);
    switch (c->op) {
    case OP_OPEN:
        c->kind = (int)(u8(in) % 6);   /* 5 is not a kind */
        c->id = u8(in) % 8 == 0 ? sym(in) : NULL;
        c->nch = changes(in, c->ch, 6);
        break;
    case OP_UPDATE: case OP_PROBLEM:
        c->nch = changes(in, c->ch, 4);
        c->s1 = sym(in);
        c->s2 = text(in);
        break;
    case OP_FIRE: case OP_FIRE2:
        c->s1 = PICK(in, events);
        c->nch = changes(in, c->ch, 3);
        break;
    case OP_NOTE:
        c->kind = (int)(u8(in) % 4);
        c->s1 = text(in);
        c->t1 = when(in);
        c->t2 = when(in);
        break;
    case OP_LINK:
        c->kind = (int)(u8(in) % 4);
        break;
    case OP_CLOCK: case OP_TICK:
        c->num = PICK(in, deltas);
        break;
    case OP_ESCALATE: case OP_MAJOR: case OP_OUTAGE: case OP_PACKET: case OP_SLA: case OP_ACTOR:
    case OP_SET: case OP_QUERY:
        c->kind = (int)u8(in);
        c->num = PICK(in, ints);
        c->s1 = sym(in);
        c->s2 = text(in);
        c->s3 = sym(in);
        c->t1 = when(in);
        c->t2 = when(in);
        c->ngroups = u8(in) % 6;
        for (size_t i = 0; i < c->ngroups; i++)
            c->groups[i] = sym(in);
        break;
    case OP_REQUEST: case OP_APPROVAL: case OP_RISK: case OP_PLAN: case OP_PROPOSAL: case OP_SURVEY:
    case OP_ONCALL:
        c->kind = (int)u8(in);
        c->num = PICK(in, ints);
        c->s1 = cap_name(in);
        c->s2 = text(in);
        c->s3 = cap_name(in);
        c->t1 = when(in);
        c->t2 = when(in);
        c->nch = changes(in, c->ch, 2);
        break;
    case OP_FAIL_ALLOC:
        c->num = u8(in) % 48 + 1;
        break;
    case OP_FAIL_STORE: {
        static const int codes[] = { ITSM_ESTORE, ITSM_ECONFLICT, ITSM_EUSER, ITSM_EINVAL, 7 };
        c->num = PICK(in, codes);
        break;
    }
    }
}

static int do_packet(side *s, const call *c)
{
    unsigned slot = c->ra % NPK;
    itsm_packet *p = s->pk[slot];
    switch (c->sub % 12) {
    case 0: {
        itsm_record *r = rec_at(s, c->rb);
        itsm_packet *np = (itsm_packet *)&np;
        int rc = itsm_packet_new(&np, r, (itsm_packet_kind)(c->kind % 7));
        CHECK(rc == ITSM_OK ? np != NULL : np == NULL);
        if (rc == ITSM_OK) {
            itsm_packet_free(s->pk[slot]);
            s->pk[slot] = np;
        }
        return rc;
    }
    case 1: return itsm_packet_set_text(p, (itsm_packet_text)(c->kind % (ITSM_PT__COUNT + 1)), c->s2);
    case 2: {
        itsm_packet_entry e = { sizeof(itsm_packet_entry), c->s2, c->s1, c->t1 };
        return itsm_packet_add(p, (itsm_packet_list)(c->kind % (ITSM_PL__COUNT + 1)), &e);
    }
    case 3: return itsm_packet_add_deliverable(p, c->s1, c->s3, c->groups[0], (int)(c->num & 1));
    case 4: return itsm_packet_set_deliverable_status(p, c->s1, (itsm_deliverable_status)(c->kind % 6), c->s3);
    case 5: case 6: return itsm_packet_propose(p, s->eng);
    case 7: return itsm_packet_acknowledge(p, s->eng, c->s1);
    case 8: return itsm_packet_reject(p, s->eng, c->s1, c->s2);
    case 9: {
        /* the engine's own copy answers */
        size_t n = itsm_engine_handover_count(s->eng);
        itsm_packet *mine = NULL;
        if (n)
            CHECK(itsm_engine_handover_at(&mine, s->eng, c->rb % n) == ITSM_OK);
        return c->kind & 1 ? itsm_packet_reject(mine, s->eng, c->s1, c->s2)
                           : itsm_packet_acknowledge(mine, s->eng, c->s1);
    }
    case 10: return itsm_packet_set_next_update(p, c->t1);
    default:
        if (c->kind & 1)
            return itsm_packet_set_contact_verified(p, (int)(c->num & 3));
        itsm_packet_free(s->pk[slot]);
        s->pk[slot] = NULL;
        return ITSM_OK;
    }
}

static int do_query(side *s, const call *c)
{
    itsm_record *r = rec_at(s, c->ra);
    switch (c->sub % 12) {
    case 7: {
        itsm_schedule_query q = ITSM_SCHEDULE_QUERY_INIT;
        q.from = c->kind & 1 ? c->t1 : q.from;
        q.to = c->kind & 2 ? c->t2 : q.to;
        q.service = c->kind & 4 ? c->s1 : NULL;
        q.ci = c->kind & 8 ? c->s3 : NULL;
        q.planned = (c->kind >> 4) & 1;
        itsm_schedule_entry e[4] = { { .size = sizeof(itsm_schedule_entry) } };
        size_t n = 0;
        int rc = itsm_change_schedule(e, 4, &n, s->eng, &q);
        if (rc == ITSM_OK)
            for (size_t i = 0; i < n && i < 4; i++)
                CHECK(e[i].rec != NULL && e[i].start < e[i].end);
        return rc;
    }
    case 8: {
        itsm_collision col[4] = { { .size = sizeof(itsm_collision) } };
        size_t n = 0;
        return itsm_change_collisions(col, 4, &n, r);
    }
    case 9: {
        itsm_agreement_report ar = { .size = sizeof ar };
        int rc = itsm_engine_agreement_report(&ar, s->eng, c->kind & 1 ? "contract" : c->s1);
        if (rc == ITSM_OK)
            CHECK(ar.met + ar.breached + ar.open + ar.cancelled >= ar.applied);
        return rc;
    }
    case 10: {
        /* A report over a filter and a group-by field; its figures and texts. */
        static const char *const filters[] = { "priority <= 2", "state != 'closed' and not major",
                                               "service == 'payroll'", "priority <=", NULL };
        static const char *const by[] = { "service", "impact", "assignment_group", "colour", NULL };
        itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
        o.filter = filters[c->kind % 5];
        o.group_by = by[(c->kind / 5) % 5];
        itsm_report *rep = NULL;
        int rc = itsm_report_new(&rep, s->eng, &o);
        if (rc == ITSM_OK) {
            for (size_t i = 0; i < itsm_report_group_count(rep); i++) {
                itsm_report_group g = { .size = sizeof g };
                CHECK(itsm_report_group_at(rep, i, &g) == ITSM_OK && g.count > 0);
            }
            for (size_t i = 0; i < itsm_report_survey_count(rep); i++) {
                itsm_report_survey sv = { .size = sizeof sv };
                CHECK(itsm_report_survey_at(rep, i, &sv) == ITSM_OK && sv.answered <= sv.sent);
            }
            itsm_report_proposals pp = { .size = sizeof pp };
            CHECK(itsm_report_proposals_of(&pp, rep) == ITSM_OK);
            CHECK(pp.pending + pp.accepted + pp.dismissed == pp.proposed);
            size_t len = 0;
            CHECK(itsm_report_to_json(rep, NULL, 0, &len) == ITSM_ELIMIT);
            CHECK(itsm_report_to_csv(rep, NULL, 0, &len) == ITSM_ELIMIT);
        }
        itsm_report_free(rep);
        return rc;
    }
    case 11: {
        /* Every proposal names its incidents, and each of them names it back. */
        for (size_t i = 0; i < itsm_engine_problem_proposal_count(s->eng); i++) {
            itsm_problem_proposal pp = { .size = sizeof pp };
            CHECK(itsm_engine_problem_proposal_at(&pp, s->eng, i) == ITSM_OK);
            for (size_t k = 0; k < pp.incidents; k++) {
                const char *id = itsm_engine_problem_proposal_incident(s->eng, i, k);
                itsm_record *inc = NULL;
                size_t ix = 0;
                CHECK(id && itsm_record_find(&inc, s->eng, id) == ITSM_OK);
                CHECK(itsm_record_problem_proposal(&ix, inc) == ITSM_OK && ix == i);
            }
        }
        return ITSM_OK;
    }
    case 6: {
        /* The audit document (every record's chain head): measured, then
         * written; the record's own head is in it. */
        size_t len = 0;
        int rc = itsm_engine_audit_to_json(s->eng, NULL, 0, &len);
        if (rc != ITSM_ELIMIT)
            return rc;
        char *doc = malloc(len + 1);
        size_t len2 = 0;
        rc = itsm_engine_audit_to_json(s->eng, doc, len + 1, &len2);
        char hex[65];
        if (rc == ITSM_OK) {
            CHECK(len2 == len && strlen(doc) == len);
            if (r && itsm_record_chain_head(r, hex) == ITSM_OK)
                CHECK(strstr(doc, hex) != NULL);
        }
        free(doc);
        return rc;
    }
    case 0: {
        itsm_aging_entry out[8] = { { .size = sizeof(itsm_aging_entry) } };
        size_t n = 0;
        int rc = itsm_engine_aging(out, 8, &n, s->eng, (itsm_aging_order)(c->kind % 4), c->t1);
        if (rc == ITSM_OK)
            CHECK(n <= 8);
        return rc;
    }
    case 1: {
        itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
        if (c->kind & 1)
            o.to = c->t1;
        itsm_report *rep = NULL;
        int rc = itsm_report_new(&rep, s->eng, &o);
        itsm_report_free(rep);
        return rc;
    }
    case 2: {
        itsm_match m[4] = { { .size = sizeof(itsm_match) } };
        size_t n = 0;
        return itsm_diagnose(m, 4, &n, r);
    }
    case 3: {
        itsm_decision d = { .size = sizeof d };
        itsm_decision_opts o = ITSM_DECISION_OPTS_INIT;
        o.cause_known = (int)(c->kind % 3) - 1;
        o.root_cause_needed = (int)((c->kind >> 2) % 3) - 1;
        o.fix_needs_change = (int)((c->kind >> 4) % 3) - 1;
        return itsm_problem_decide(&d, r, &o);
    }
    case 4: {
        const char *dec = NULL;
        return itsm_knowledge_decide(&dec, r);
    }
    default: {
        itsm_knowledge_query q = ITSM_KNOWLEDGE_QUERY_INIT;
        q.service = c->s1;
        q.category = c->s3;
        q.words = c->s2;
        q.incidents = c->kind & 1;
        itsm_match m[4] = { { .size = sizeof(itsm_match) } };
        size_t n = 0;
        return itsm_knowledge_search(m, 4, &n, s->eng, &q);
    }
    }
}

/* The policy versions a call may adopt: the engines' own, one with
 * shorter targets, one with longer targets and another agreement target
 * (made once from g_policy, kept for the process: the engines copy them). */
static const itsm_policy *version_policy(int which)
{
    static itsm_policy *pol[3];
    if (!which)
        return g_policy;
    if (!pol[which]) {
        CHECK(itsm_policy_clone(&pol[which], g_policy) == ITSM_OK);
        itsm_sla_def d = ITSM_SLA_DEF_INIT;
        d.name = "standard";
        for (int i = 0; i < 5; i++) {
            d.response[i] = (uint32_t)(which == 1 ? 600 : 7200);
            d.resolution[i] = (uint32_t)(which == 1 ? 3600 : 86400) * (uint32_t)(i + 1);
        }
        CHECK(itsm_policy_set_sla(pol[which], &d) == ITSM_OK);
        CHECK(itsm_policy_set_name(pol[which], which == 1 ? "short" : "long") == ITSM_OK);
        if (which == 2) {
            itsm_agreement_target t = { 0, 8 * 3600, NULL };
            itsm_agreement_def ag = ITSM_AGREEMENT_DEF_INIT;
            ag.name = "contract";
            ag.applies = "priority <= 2";
            ag.stop = "state == 'resolved'";
            ag.targets = &t;
            ag.ntargets = 1;
            CHECK(itsm_policy_set_agreement(pol[which], &ag, NULL) == ITSM_OK);
        }
        CHECK(itsm_policy_check(pol[which]) == 0);
    }
    return pol[which];
}

static int do_call(side *s, const call *c, size_t *fired)
{
    itsm_record *a = rec_at(s, c->ra), *b = rec_at(s, c->rb);
    switch (c->op) {
    case OP_OPEN: {
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        o.kind = (itsm_kind)c->kind;
        o.id = c->id;
        o.fields = c->ch;
        o.nfields = c->nch;
        itsm_record *out = (itsm_record *)&out;
        int rc = itsm_record_open(&out, s->eng, &o);
        CHECK(rc == ITSM_OK ? out != NULL : 1);
        return rc;
    }
    case OP_UPDATE: return itsm_record_update(a, c->ch, c->nch);
    case OP_FIRE: case OP_FIRE2: return itsm_record_fire(a, c->s1, c->ch, c->nch);
    case OP_NOTE: {
        itsm_note_opts o = ITSM_NOTE_OPTS_INIT;
        o.kind = (itsm_note_kind)c->kind;
        o.text = c->s1;
        o.expected_restoration = c->t1;
        o.next_update = c->t2;
        return itsm_record_add_note(a, &o);
    }
    case OP_LINK: return itsm_record_link(a, (itsm_link_kind)c->kind, b);
    case OP_TICK: return itsm_engine_tick(s->eng, g_now + c->num, fired);
    case OP_ESCALATE:
        if (c->sub & 1)
            return itsm_record_escalate_hierarchical(a, c->s2);
        return itsm_record_escalate(a, (int)(c->kind % 5) - 1, c->sub & 2 ? c->s1 : NULL, c->s2);
    case OP_MAJOR:
        if (c->sub >= 200)   /* the post-incident review (itsm/review.h) */
            switch (c->sub % 6) {
            case 0: return itsm_review_open(a);
            case 1: return itsm_review_add_cause(a, c->s2);
            case 2: return itsm_review_add_action(a, c->s1, c->s2, c->kind & 1 ? c->s3 : NULL, c->t1);
            case 3: return itsm_review_assign_action(a, c->s1, c->s3);
            case 4: return itsm_review_action_done(a, c->s1, c->s2);
            default: return itsm_review_complete(a);
            }
        switch (c->sub % 6) {
        case 0: return itsm_major_propose(a, c->s2);
        case 1: return itsm_major_decide(a, c->kind & 1, c->s1);
        case 2: return itsm_major_communication_issued(a);
        case 3: return itsm_major_engage_groups(a, c->groups, c->ngroups);
        default: return itsm_major_attach(a, b);
        }
    case OP_OUTAGE:
        return c->sub & 1 ? itsm_outage_end(a) : itsm_outage_declare(a, c->t1, c->t2);
    case OP_PROBLEM: {
        itsm_problem_open_opts o = ITSM_PROBLEM_OPEN_OPTS_INIT;
        o.fields = c->ch;
        o.nfields = c->nch;
        itsm_record *out = NULL;
        switch (c->sub % 3) {
        case 0: return itsm_problem_open_from_incident(&out, a, &o);
        case 1: return itsm_change_open_from_problem(&out, a, &o);
        default: return itsm_problem_close(a, c->s1, c->s2);
        }
    }
    case OP_PACKET: return do_packet(s, c);
    case OP_SLA: return itsm_record_set_sla(a, c->sub & 1 ? NULL : c->s1);
    case OP_ACTOR: return itsm_engine_set_actor(s->eng, c->sub % 4 == 0 ? NULL : c->s1);
    case OP_SET: {
        itsm_field f = (itsm_field)(c->kind % (ITSM_F__COUNT + 1));
        return c->sub & 1 ? itsm_record_set_int(a, f, c->sub & 2 ? c->t1 : c->num)
                          : itsm_record_set_str(a, f, c->sub & 2 ? c->s2 : c->s1);
    }
    case OP_QUERY: return do_query(s, c);
    case OP_REQUEST:
        switch (c->sub % 3) {
        case 0: return itsm_request_choose_item(a, c->s1);
        case 1: return itsm_request_task_assign(a, c->s1, c->s3);
        default: return itsm_request_task_close(a, c->s1, (itsm_task_state)(c->kind % 5), c->sub & 4 ? c->s2 : NULL);
        }
    case OP_APPROVAL: {
        static const char *const people[] = { "carl", "mia", "ann", "bob" };
        const char *level = c->kind & 1 ? c->s3 : NULL;
        const char *by = c->kind & 2 ? c->s1 : people[(c->kind >> 2) % 4];
        switch (c->sub % 3) {
        case 0: return itsm_record_approve(a, level, by, c->sub & 4 ? c->s2 : NULL);
        case 1: return itsm_record_reject_approval(a, level, by, c->sub & 4 ? c->s2 : NULL);
        default: return itsm_record_delegate_approval(a, level, by, c->s3, c->sub & 4 ? c->s2 : NULL);
        }
    }
    case OP_RISK: return itsm_record_answer_risk(a, c->s1, c->s3);
    case OP_PLAN: return itsm_change_plan(a, c->t1, c->t2);
    case OP_PROPOSAL: {
        if (c->sub & 1)
            return itsm_problem_proposal_dismiss(a, c->s2);
        itsm_problem_open_opts o = ITSM_PROBLEM_OPEN_OPTS_INIT;
        o.id = c->sub & 2 ? c->s3 : NULL;
        o.fields = c->ch;
        o.nfields = c->nch;
        itsm_record *out = NULL;
        return itsm_problem_proposal_accept(&out, a, c->sub & 4 ? &o : NULL);
    }
    case OP_SURVEY: return itsm_record_survey_answer(a, c->sub & 1 ? (int)(c->kind % 8) - 1 : (int)c->num, c->s2);
    case OP_ADOPT: return itsm_engine_adopt_policy(s->eng, version_policy(c->sub % 3));
    case OP_ONCALL:
        switch (c->sub % 3) {
        case 0: return itsm_oncall_page(a, c->sub & 4 ? c->s1 : "desk");
        case 1: return itsm_oncall_acknowledge(a, c->s1);
        default: {
            itsm_alert al = ITSM_ALERT_INIT;
            al.dedup_key = c->s3;
            al.group = c->sub & 4 ? c->s1 : NULL;
            al.fields = c->ch;
            al.nfields = c->nch;
            itsm_record *out = NULL;
            itsm_alert_outcome how = (itsm_alert_outcome)0;
            int rc = itsm_alert_ingest(&out, &how, s->eng, &al);
            CHECK(rc == ITSM_OK ? out != NULL && how >= ITSM_ALERT_OPENED && how <= ITSM_ALERT_GROUPED
                                : out == NULL && how == 0);
            return rc;
        }
        }
    default: return ITSM_OK;
    }
}

static int known_code(int rc)
{
    return rc <= 0 && strcmp(itsm_errname(rc), "ITSM_EUNKNOWN") != 0;
}

/* ---- the run ---- */

static void replay_new(side *shadow, const mstore *st, size_t *done)
{
    for (; *done < st->n; (*done)++) {
        itsm_parse_error err;
        int rc = itsm_engine_replay_json(shadow->eng, st->ev[*done], st->len[*done], &err);
        if (rc != ITSM_OK) {
            fprintf(stderr, "fuzz_api: replay of stored event %zu failed: %s (%s)\n%s\n", *done, itsm_errname(rc),
                    itsm_errmsg(shadow->eng), st->ev[*done]);
            abort();
        }
    }
}

static void same_store(const mstore *a, const mstore *b)
{
    CHECK(a->n == b->n);
    for (size_t i = 0; i < a->n; i++) {
        if (a->len[i] != b->len[i] || memcmp(a->ev[i], b->ev[i], a->len[i]) != 0) {
            fprintf(stderr, "fuzz_api: stored event %zu differs\nA: %s\nB: %s\n", i, a->ev[i], b->ev[i]);
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!long_sym[0]) {
        memset(long_sym, 's', sizeof long_sym - 1);
        memset(long_text, 't', sizeof long_text - 1);
    }
    if (g_trace < 0)
        g_trace = getenv("FUZZ_API_TRACE") != NULL;
    if (!g_policy)
        g_policy = fuzz_policy();   /* kept for the process's life */
    g_now = T_START;
    side A, B, S;
    side_open(&A, 1);
    side_open(&B, 1);
    side_open(&S, 1);   /* a store that gives events back: S keeps the chain too */
    size_t replayed = 0;
    input in = { data, size };
    long arm_alloc = 0;
    int arm_store = 0;

    for (int ops = 0; in.n && ops < MAX_OPS; ops++) {
        call c;
        decode(&in, &c);
        g_op = c.op;
        if (c.op == OP_CLOCK) {
            g_now += c.num;
            if (g_now < ITSM_TIME_MIN)
                g_now = ITSM_TIME_MIN;
            continue;
        }
        if (c.op == OP_FAIL_ALLOC) {
            arm_alloc = (long)c.num;
            continue;
        }
        if (c.op == OP_FAIL_STORE) {
            arm_store = (int)c.num;
            continue;
        }
        size_t stored = A.st.n;
        A.fa.failed = 0;
        A.st.failed = 0;
        A.fa.fail_at = arm_alloc ? A.fa.calls + arm_alloc : 0;
        A.st.fail_code = arm_store;
        int store_code = arm_store;
        arm_alloc = 0;
        arm_store = 0;

        size_t fired_a = 0, fired_b = 0;
        int rca = do_call(&A, &c, &fired_a);
        /* A's message as the call left it: the state reads below are calls
         * too (a getter's "none" keeps it, but a failing index read sets
         * its own). */
        char amsg[512];
        int acode = itsm_errcode(A.eng);
        snprintf(amsg, sizeof amsg, "%s", itsm_errmsg(A.eng));
        int injected = A.fa.failed || A.st.failed;
        A.fa.fail_at = 0;
        A.st.fail_code = 0;
        CHECK(known_code(rca));
        if (rca != ITSM_OK) {
            if (A.fa.failed)
                CHECK(rca == ITSM_ENOMEM);
            else if (A.st.failed)
                CHECK(rca == (store_code == ITSM_ECONFLICT || store_code == ITSM_EUSER ? store_code : ITSM_ESTORE));
            if (c.op == OP_TICK) {
                /* Timers fired before the failure are kept; the failed one is not. */
                replay_new(&S, &A.st, &replayed);
                char *x = side_state(&A, 0), *y = side_state(&S, 0);
                CHECK(strcmp(x, y) == 0);
                free(x);
                free(y);
            } else {
                CHECK(A.st.n == stored);
                same_state(&A, &B, "a failed call changed the engine");
            }
        }
        int rcb = do_call(&B, &c, &fired_b);
        CHECK(!B.fa.failed && !B.st.failed);
        if (rca != ITSM_OK && injected) {
            size_t more = 0;
            rca = do_call(&A, &c, &more);   /* the retry, with nothing failing */
            acode = itsm_errcode(A.eng);
            snprintf(amsg, sizeof amsg, "%s", itsm_errmsg(A.eng));
            fired_a += more;
        }
        if (g_trace)
            fprintf(stderr, "op %d sub %d ra %u rb %u kind %d s1=%.20s s2=%.20s: A %s (%s) B %s (%s)%s\n", c.op,
                    c.sub, c.ra, c.rb, c.kind, c.s1 ? c.s1 : "-", c.s2 ? c.s2 : "-", itsm_errname(rca),
                    amsg, itsm_errname(rcb), itsm_errmsg(B.eng), injected ? " [injected]" : "");
        if (rca != rcb) {
            fprintf(stderr, "fuzz_api: op %d: A %s (%s), B %s (%s)\n", c.op, itsm_errname(rca), amsg,
                    itsm_errname(rcb), itsm_errmsg(B.eng));
            abort();
        }
        /* The same message, when the call set one (a NULL handle cannot). */
        if (rca != ITSM_OK && acode == rca && itsm_errcode(B.eng) == rcb && strcmp(amsg, itsm_errmsg(B.eng)) != 0) {
            fprintf(stderr, "fuzz_api: op %d: A says \"%s\", B \"%s\"\n", c.op, amsg, itsm_errmsg(B.eng));
            abort();
        }
        CHECK(fired_a == fired_b);
        same_state(&A, &B, "the engine under test differs from its twin");
        same_store(&A.st, &B.st);
        replay_new(&S, &A.st, &replayed);
        char *x = side_state(&A, 0), *y = side_state(&S, 0);
        if (strcmp(x, y) != 0) {
            fprintf(stderr, "fuzz_api: the store's replay differs (op %d)\n--- live\n%s--- replayed\n%s", c.op, x, y);
            abort();
        }
        free(x);
        free(y);
    }
    /* FUZZ_API_STORE=FILE appends A's store to FILE (how make_corpus.sh
     * cuts event seeds from the API stories). */
    const char *keep = getenv("FUZZ_API_STORE");
    FILE *out = keep ? fopen(keep, "ab") : NULL;
    for (size_t i = 0; out && i < A.st.n; i++)
        fprintf(out, "%s\n", A.st.ev[i]);
    if (out)
        fclose(out);
    /* And literally: the whole store into a fresh engine. */
    side F;
    side_open(&F, 1);
    size_t none = 0;
    replay_new(&F, &A.st, &none);
    char *x = side_state(&A, 0), *y = side_state(&F, 0);
    CHECK(strcmp(x, y) == 0);
    free(x);
    free(y);
    side_close(&F);
    side_close(&A);
    side_close(&B);
    side_close(&S);
    return 0;
}
