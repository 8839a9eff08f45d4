/* SPDX-License-Identifier: Apache-2.0 */
/* What-if (itsm/whatif.h): a store's events replayed into two scratch
 * engines, one under the actual policy and one under the candidate, each
 * judging its clocks afresh (sla/rejudge.h); then the records compared. */
#include "whatif/whatif_int.h"
#include "core/abi.h"
#include "sla/rejudge.h"
#include "itsm/agreement.h"
#include "itsm/sla.h"
#include "itsm/version.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int itsm_whatif_opts_init(itsm_whatif_opts *opts, unsigned version)
{
    if (!opts || version == 0 || version > ITSM_WHATIF_OPTS_VERSION)
        return ITSM_EINVAL;
    itsm_whatif_opts init = ITSM_WHATIF_OPTS_INIT;
    *opts = init;
    return ITSM_OK;
}

/* The call's failure, to the caller's buffer and the engine's message. */
typedef struct wctx {
    itsm_engine            *eng;        /* itsm_whatif_new's, or NULL */
    const itsm_whatif_opts *opts;
    itsm_allocator          alloc;
    itsm_time               as_of;
    itsm_engine            *side[2];    /* the actual run and the candidate, rejudged */
    int                     versions;   /* the actual side judges under the versions the events name */
    size_t                  events;     /* records' events replayed */
    size_t                  pos;        /* events read from the store, policy events too */
    itsm_time               latest;
    int                     failed;     /* the replay's code */
    char                    msg[ITSM__ERRMSG];
} wctx;

static int fail(wctx *c, int code, const char *fmt, ...) ITSM__PRINTF(3, 4);
static int fail(wctx *c, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->msg, sizeof c->msg, fmt, ap);
    va_end(ap);
    if (c->opts && c->opts->errmsg && c->opts->errmsg_cap)
        snprintf(c->opts->errmsg, c->opts->errmsg_cap, "%s", c->msg);
    if (c->eng)
        itsm__err(c->eng, code, "%s", c->msg);
    return code;
}

static int judge_before(itsm_engine *eng, itsm_record *r, itsm_time at) { return itsm__sla_rejudge(eng, r, at); }

const itsm__rejudge itsm__whatif_rejudge = { judge_before, itsm__sla_verdict_classes, 4, 0 };
/* The actual side of itsm_whatif_new: the engine's run, each event judged
 * under the version it names (policy.md, Versions: changing a policy never
 * rewrites the verdicts of the past). */
static const itsm__rejudge as_it_was = { judge_before, itsm__sla_verdict_classes, 4, 1 };

static itsm_time scratch_clock(void *user) { return *(const itsm_time *)user; }

int itsm__whatif_scratch(itsm_engine **out, const itsm_policy *policy, const itsm_allocator *alloc,
                         const itsm_json_limits *limits, const itsm_time *now, char *why, size_t cap)
{
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = policy;
    o.alloc = *alloc;
    o.clock = scratch_clock;
    o.clock_user = (void *)(uintptr_t)now;
    if (limits)
        o.limits = *limits;
    o.errmsg = why;
    o.errmsg_cap = cap;
    int rc = itsm_engine_new(out, &o);
    if (rc == ITSM_OK)
        (*out)->rejudge = &itsm__whatif_rejudge;
    return rc;
}

static int scratch_new(wctx *c, int side, const itsm_policy *policy, const itsm_json_limits *limits)
{
    static const char *const names[2] = { "actual", "candidate" };
    char why[ITSM__ERRMSG];
    int rc = itsm__whatif_scratch(&c->side[side], policy, &c->alloc, limits, &c->latest, why, sizeof why);
    if (rc != ITSM_OK)
        return fail(c, rc, "%s policy: %s", names[side], why);
    if (side == 0 && c->versions)
        c->side[0]->rejudge = &as_it_was;
    return ITSM_OK;
}

/* One stored event into both sides. */
static int emit(void *ctx, const char *json, size_t len)
{
    wctx *c = ctx;
    static const char *const names[2] = { "actual", "candidate" };
    c->pos++;
    /* A version's document: the actual side of an engine's what-if judges
     * under the versions as they were; otherwise each side under its own. */
    int version = itsm__versions_is_event(json, len);
    if (version && !c->versions)
        return ITSM_OK;
    for (int s = 0; s < (version ? 1 : 2); s++) {
        itsm_parse_error err;
        int rc = itsm_engine_replay(c->side[s], json, len, &err);
        if (rc != ITSM_OK) {
            c->failed = rc;
            snprintf(c->msg, sizeof c->msg, "%s: event %zu of the store: %s", names[s], c->pos,
                     itsm_errmsg(c->side[s]));
            return rc;
        }
    }
    if (!version)
        c->events++;
    return ITSM_OK;
}

static int run(wctx *c, const itsm_store *store, void *store_user, const itsm_policy *actual,
               const itsm_policy *candidate, const itsm_json_limits *limits, itsm_whatif **out)
{
    int rc;
    if ((rc = scratch_new(c, 0, actual, limits)) != ITSM_OK || (rc = scratch_new(c, 1, candidate, limits)) != ITSM_OK)
        return rc;
    if (c->eng)
        c->eng->in_callback = 1;   /* the store may not call the engine while it scans */
    rc = store->scan(store_user, emit, c);
    if (c->eng)
        c->eng->in_callback = 0;
    if (rc != ITSM_OK) {
        if (c->failed == rc) {
            char why[sizeof c->msg];
            memcpy(why, c->msg, sizeof why);
            return fail(c, rc, "%s", why);
        }
        return fail(c, rc, "the store's scan failed (%s)", itsm_errname(rc));
    }
    if (c->as_of == ITSM_TIME_NONE) {
        c->as_of = ITSM_TIME_MIN;
        for (size_t i = 0; i < itsm_engine_record_count(c->side[0]); i++) {
            itsm_record *r;
            itsm_engine_record_at(&r, c->side[0], i);
            itsm_time t = itsm_record_int(r, ITSM_F_UPDATED_AT);
            if (t > c->as_of)
                c->as_of = t;
        }
    }
    itsm_whatif *w = itsm__calloc(&c->alloc, 1, sizeof *w);
    if (!w)
        return fail(c, ITSM_ENOMEM, "out of memory");
    w->alloc = c->alloc;
    w->events = c->events;
    if ((rc = itsm__whatif_compare(w, c->side[0], c->side[1], c->as_of)) != ITSM_OK) {
        itsm_whatif_free(w);
        return fail(c, rc, "out of memory");
    }
    *out = w;
    return ITSM_OK;
}

static int opts_of(wctx *c, const itsm_whatif_opts *opts)
{
    c->as_of = ITSM_TIME_NONE;
    if (!opts)
        return ITSM_OK;
    if (opts->version == 0 || opts->version > ITSM_WHATIF_OPTS_VERSION)
        return fail(c, ITSM_EINVAL, "what-if options version %u is %s this library's %d (itsm %s)", opts->version,
                    opts->version ? "newer than" : "not", ITSM_WHATIF_OPTS_VERSION, ITSM_VERSION_STRING);
    c->opts = opts;
    if (opts->errmsg && opts->errmsg_cap)
        opts->errmsg[0] = '\0';
    if (opts->as_of != ITSM_TIME_NONE && (opts->as_of < ITSM_TIME_MIN || opts->as_of > ITSM_TIME_MAX))
        return fail(c, ITSM_EINVAL, "as_of %lld is outside 1970..9999", (long long)opts->as_of);
    c->as_of = opts->as_of;
    return ITSM_OK;
}

static void ctx_done(wctx *c)
{
    itsm_engine_free(c->side[0]);
    itsm_engine_free(c->side[1]);
}

int itsm_whatif_new(itsm_whatif **out, itsm_engine *eng, const itsm_policy *candidate, const itsm_whatif_opts *opts)
{
    if (out)
        *out = NULL;
    if (!eng)
        return ITSM_EINVAL;
    wctx c;
    memset(&c, 0, sizeof c);
    c.eng = eng;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    if (!out || !candidate)
        return fail(&c, ITSM_EINVAL, "itsm_whatif_new: %s is NULL", !out ? "out" : "candidate");
    if ((rc = opts_of(&c, opts)) != ITSM_OK)
        return rc;
    if (!eng->has_store || !eng->store.scan)
        return fail(&c, ITSM_EINVAL, "itsm_whatif_new: the engine's store has no scan callback to read its events from");
    c.alloc = eng->alloc;
    c.versions = 1;
    rc = run(&c, &eng->store, eng->store_user, eng->policy, candidate, &eng->limits, out);
    ctx_done(&c);
    return rc;
}

int itsm_whatif_store(itsm_whatif **out, const itsm_store *store, void *store_user, const itsm_policy *actual,
                      const itsm_policy *candidate, const itsm_whatif_opts *opts)
{
    wctx c;
    memset(&c, 0, sizeof c);
    if (out)
        *out = NULL;
    int rc = opts_of(&c, opts);
    if (rc)
        return rc;
    if (!out || !store || !actual || !candidate)
        return fail(&c, ITSM_EINVAL, "itsm_whatif_store: %s is NULL",
                    !out ? "out" : !store ? "store" : !actual ? "actual" : "candidate");
    itsm_store st;
    char why[192];
    if (itsm__store_read(&st, store, why, sizeof why) != ITSM_OK)
        return fail(&c, ITSM_EINVAL, "%s", why);
    if (!st.scan)
        return fail(&c, ITSM_EINVAL, "itsm_whatif_store: the store has no scan callback to read its events from");
    if (itsm__alloc_resolve(&c.alloc, opts ? &opts->alloc : NULL) != ITSM_OK)
        return fail(&c, ITSM_EINVAL, "the allocator's three functions must all be set, or all NULL");
    rc = run(&c, &st, store_user, actual, candidate, NULL, out);
    ctx_done(&c);
    return rc;
}
