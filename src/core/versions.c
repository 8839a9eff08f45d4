/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Policy versions (docs/policy.md, "Versions"): the versions an engine
 * knows, the `policy` event that puts a version's document into the store,
 * its replay, and adopting a new version live.
 *
 * A version is a policy document and its SHA-256; its id (an event's "pv")
 * is the first 16 hex digits. vers[0] is the engine's initial policy, so
 * events stored before versions existed (no "pv") are judged under it.
 * Every store holds the document of each version its events name: a
 * version's policy event goes with the first event under it that the
 * engine appends when it has not seen the store hold it (batch.c).
 * Every record carries the version it is under (rec->pv); an event is
 * under the current version, except one of a closed record, which keeps
 * its own (batch.c). The service-level verdicts read the record's version
 * (itsm__rec_policy); every version's states and events are the current
 * one's first ones, and roles, custom fields, service-level stop states
 * and agreements are alike in every version of an engine (compatible
 * below), so that a record's state and the engine's indexes mean the same
 * under each. The current version's transition index (eng->tr_ix) is
 * rebuilt at each adoption; a version's added closed and stop states join
 * the engine's settled bits when it is kept.
 */
#include "core/core.h"
#include "kit/json.h"
#include "kit/sha256.h"

#include <stdio.h>
#include <string.h>

/* ---- the table ---- */

static void pver_free(itsm_engine *eng, itsm__pver *v)
{
    if (!v)
        return;
    itsm_policy_free(v->policy);
    itsm__free(&eng->alloc, v->doc_rec);   /* one block, nothing hangs off it */
    itsm__free(&eng->alloc, v);
}

/* A version owning `p` (freed on failure). */
static int pver_new(itsm_engine *eng, itsm_policy *p, const unsigned char hash[32], itsm__pver **out)
{
    itsm__pver *v = itsm__calloc(&eng->alloc, 1, sizeof *v);
    if (!v) {
        itsm_policy_free(p);
        return itsm__oom(eng);
    }
    v->policy = p;
    memcpy(v->hash, hash, 32);
    char hex[65], rid[ITSM__POLICY_RID] = "";
    itsm__hex32(hash, hex);
    memcpy(v->id, hex, 16);
    v->id[16] = '\0';
    /* Room for the longest id a policy event gets (name_doc_rec). */
    if (!(v->doc_rec = itsm__record_alloc(eng, rid, sizeof rid - 1, 0))) {
        pver_free(eng, v);
        return itsm__oom(eng);
    }
    *out = v;
    return ITSM_OK;
}

/* The policy event's record: "~policy.<id>" for an adoption, which every
 * engine writes once (a second engine adopting the same version conflicts
 * and loads the store); "~policy.<id>/<record>/<rev>" for the copy an
 * engine writes before its first event under the version when it has not
 * seen the store hold it: unique with that event, so engines sharing a
 * store never conflict over it (the store may then hold a version's
 * document more than once; replay takes the first and skips the others). */
static void name_doc_rec(itsm__pver *v, const itsm_event *first)
{
    if (first)
        snprintf(v->doc_rec->id, ITSM__POLICY_RID, ITSM__POLICY_RECORD "%s/%s/%llu", v->id, first->rec->id,
                 (unsigned long long)first->rev);
    else
        snprintf(v->doc_rec->id, ITSM__POLICY_RID, ITSM__POLICY_RECORD "%s", v->id);
}

static int find_hash(const itsm_engine *eng, const unsigned char hash[32])
{
    for (size_t i = 0; i < eng->nvers; i++)
        if (memcmp(eng->vers[i]->hash, hash, 32) == 0)
            return (int)i;
    return -1;
}

int itsm__versions_find(const itsm_engine *eng, const char *id, size_t n)
{
    if (n != 16)
        return -1;
    for (size_t i = 0; i < eng->nvers; i++)
        if (memcmp(eng->vers[i]->id, id, 16) == 0)
            return (int)i;
    return -1;
}

int itsm__versions_init(itsm_engine *eng)
{
    unsigned char h[32];
    itsm__pver *v;
    if (itsm__policy_digest(eng->policy, h) ||
        itsm__grow(&eng->alloc, (void **)&eng->vers, &eng->cvers, 1, sizeof *eng->vers))
        return ITSM_ENOMEM;
    itsm_policy *p;
    if (itsm__policy_clone(&p, eng->policy, &eng->alloc) != ITSM_OK)
        return ITSM_ENOMEM;
    if (pver_new(eng, p, h, &v) != ITSM_OK)
        return ITSM_ENOMEM;
    itsm_policy_free(eng->policy);
    eng->policy = v->policy;
    itsm__policy_caches_clear(eng);
    eng->vers[eng->nvers++] = v;
    eng->cur = 0;
    return ITSM_OK;
}

void itsm__versions_free(itsm_engine *eng)
{
    for (size_t i = 0; i < eng->nvers; i++)
        pver_free(eng, eng->vers[i]);
    itsm__free(&eng->alloc, eng->vers);
    eng->vers = NULL;
    eng->nvers = eng->cvers = 0;
}

void itsm__versions_unstore(itsm_engine *eng)
{
    for (size_t i = 0; i < eng->nvers; i++)
        eng->vers[i]->stored = 0;
}

/* ---- what may differ between versions ---- */

static int same_str(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

/* The first way `wide` does not extend `narrow` (narrow's states, with
 * their flags, and events are wide's first ones, in order), in why; 0 when
 * it does. */
static int lc_differs(const itsm__lifecycle *wide, const itsm__lifecycle *narrow, const char *kn, const char *wid,
                      const char *nid, char *why, size_t cap)
{
    for (size_t i = 0; i < narrow->nstates; i++) {
        if (i < wide->nstates && strcmp(wide->states[i], narrow->states[i]) == 0) {
            if (wide->state_flags[i] == narrow->state_flags[i])
                continue;
            snprintf(why, cap, "the %s state '%s' has other flags (initial, closed) in version %s than in %s", kn,
                     narrow->states[i], wid, nid);
            return 1;
        }
        snprintf(why, cap, "the %s lifecycle of version %s lacks state '%s' of version %s, or has it elsewhere than "
                 "at position %zu", kn, wid, narrow->states[i], nid, i + 1);
        return 1;
    }
    for (size_t i = 0; i < narrow->nevents; i++)
        if (i >= wide->nevents || strcmp(wide->events[i], narrow->events[i]) != 0) {
            snprintf(why, cap, "the %s lifecycle of version %s lacks event '%s' of version %s, or has it elsewhere "
                     "than at position %zu", kn, wid, narrow->events[i], nid, i + 1);
            return 1;
        }
    return 0;
}

/* Whether versions `wide` and `narrow` can be versions of one engine, the
 * current one being `wide` (at an adoption: the new version; `narrow` the
 * current) or `narrow` (a version from the store, registered under the
 * current `wide`): ITSM_OK, or ITSM_EPOLICY with why in the engine's
 * message. A record's state and events are indexes into its kind's
 * lifecycle, read under the current version whichever version the record
 * is under: so every version's states and events are the current one's
 * first ones, in order, each state with its flags; states and events are
 * only ever added after them, transitions change freely. */
static int compatible(itsm_engine *eng, const itsm_policy *wide, const itsm_policy *narrow, const char *wid,
                      const char *nid, const char *nextid)
{
    char why[300] = "";
    for (int k = 1; k <= ITSM_KIND_COUNT && !why[0]; k++) {
        const char *kn = itsm_kind_name((itsm_kind)k);
        if (lc_differs(&wide->lc[k], &narrow->lc[k], kn, wid, nid, why, sizeof why))
            break;
        for (int r = 0; r < ITSM_ROLE_COUNT && !why[0]; r++)
            if (!same_str(itsm__role_of(wide, k, r), itsm__role_of(narrow, k, r)))
                snprintf(why, sizeof why, "the %s lifecycle's roles differ (role '%s')", kn,
                         itsm_role_name((itsm_role)r));
    }
    size_t n = strlen(why);
    if (n)
        snprintf(why + n, sizeof why - n, " (a version keeps the states, with their flags, the events and the roles "
                 "of the engine's versions, and may add states and events after them and change transitions)");
    if (!why[0]) {
        int same = wide->ncf == narrow->ncf;
        for (uint32_t i = 0; same && i < wide->ncf; i++)
            same = strcmp(wide->cf[i].info.name, narrow->cf[i].info.name) == 0 &&
                   wide->cf[i].info.type == narrow->cf[i].info.type;
        if (!same)
            snprintf(why, sizeof why, "its custom fields differ (names, types or order)");
    }
    for (size_t i = 0; i < itsm__ncapabilities && !why[0]; i++)
        if (itsm__capabilities[i]->version_check)
            itsm__capabilities[i]->version_check(narrow, wide, why, sizeof why);
    if (!why[0])
        return ITSM_OK;
    return itsm__err(eng, ITSM_EPOLICY, "policy version %s cannot join version %s of this engine: %s", nextid,
                     eng->vers[eng->cur]->id, why);
}

/* Keep `v` (room reserved) and tell the capabilities. */
static size_t keep(itsm_engine *eng, itsm__pver *v)
{
    eng->vers[eng->nvers++] = v;
    for (int k = 1; k <= ITSM_KIND_COUNT; k++) {   /* its added closed states settle a record too */
        const itsm__lifecycle *lc = &v->policy->lc[k];
        for (size_t st = 0; st < lc->nstates; st++)
            if (itsm__lc_is_closed(lc, (int)st))
                eng->settled[k][st / 64] |= (uint64_t)1 << (st % 64);
    }
    for (size_t i = 0; i < itsm__ncapabilities; i++)
        if (itsm__capabilities[i]->version_added)
            itsm__capabilities[i]->version_added(eng, v->policy);
    return eng->nvers - 1;
}

static int room(itsm_engine *eng)
{
    if (eng->nvers >= ITSM__MAX_VERSIONS)
        return itsm__err(eng, ITSM_ELIMIT, "an engine knows at most %d policy versions", ITSM__MAX_VERSIONS);
    if (itsm__grow(&eng->alloc, (void **)&eng->vers, &eng->cvers, eng->nvers + 1, sizeof *eng->vers))
        return itsm__oom(eng);
    return ITSM_OK;
}

/* ---- the policy event ---- */

typedef struct pev { const itsm__pver *v; itsm__jdoc *doc; } pev;

static void policy_write(const itsm_event *ev, itsm__jw *w)
{
    const pev *x = ev->ext;
    char hex[65];
    itsm__jw_key(w, "policy");
    itsm__jw_value(w, itsm__jdoc_root(x->doc));
    itsm__hex32(x->v->hash, hex);
    itsm__jw_key(w, "sha256");
    itsm__jw_strn(w, hex, 64);
}

static const char *const policy_keys[] = { "policy", "sha256", NULL };
/* Written only: replay reads a policy event before the record classes
 * (itsm__versions_replay). */
static const itsm__evclass policy_class = { "policy", policy_keys, policy_write, NULL, NULL, NULL, NULL };

/* One policy event of `v`, its document parsed into *doc (freed by the
 * caller); ITSM_ENOMEM. */
static int policy_event(itsm_engine *eng, itsm__pver *v, itsm_time at, const itsm_event *first, itsm_event *ev,
                        pev *x)
{
    size_t len = 0;
    itsm_policy_to_json(v->policy, NULL, 0, &len);
    char *text = itsm__malloc(&eng->alloc, len + 1);
    if (!text)
        return ITSM_ENOMEM;
    itsm_json_limits lim = { len + 1, len + 1, 4096 };
    itsm_policy_to_json(v->policy, text, len + 1, &len);
    int rc = itsm__json_parse(&x->doc, text, len, &eng->alloc, &lim, NULL);
    itsm__free(&eng->alloc, text);
    if (rc)
        return ITSM_ENOMEM;
    x->v = v;
    name_doc_rec(v, first);
    ev->type = ITSM__EV_EXT;
    ev->cls = &policy_class;
    ev->ext = x;
    ev->rec = v->doc_rec;
    ev->rev = 1;
    ev->at = at;
    ev->actor = eng->actor;
    ev->final = ev->applied = 1;
    return ITSM_OK;
}

/* One store.append of the policy events of vs[0..nv) (nv <= 2), then
 * evs[0..n): all kept or none. *prep: the failure was this side's (out of
 * memory, message set), not the store's. */
static int append_with(itsm_engine *eng, itsm__pver *const *vs, size_t nv, itsm_time at,
                       const itsm_event *const *evs, size_t n, int *prep)
{
    *prep = 1;
    itsm_event *pe = itsm__calloc(&eng->alloc, 2, sizeof *pe);
    const itsm_event **all = itsm__calloc(&eng->alloc, n + 2, sizeof *all);
    pev x[2] = { { NULL, NULL }, { NULL, NULL } };
    int rc = pe && all ? ITSM_OK : ITSM_ENOMEM;
    for (size_t i = 0; i < nv && !rc; i++)
        rc = policy_event(eng, vs[i], at, n ? evs[0] : NULL, &pe[i], &x[i]);
    if (rc) {
        rc = itsm__oom(eng);
    } else {
        for (size_t i = 0; i < nv; i++)
            all[i] = &pe[i];
        for (size_t i = 0; i < n; i++)
            all[nv + i] = evs[i];
        *prep = 0;
        eng->in_callback = 1;
        rc = eng->store.append(eng->store_user, all, nv + n);
        eng->in_callback = 0;
    }
    for (size_t i = 0; i < 2; i++)
        if (x[i].doc)
            itsm__jdoc_free(x[i].doc);
    itsm__free(&eng->alloc, all);
    itsm__free(&eng->alloc, pe);
    return rc;
}

int itsm__versions_append(itsm_engine *eng, int *prep)
{
    itsm__pver *v = eng->vers[eng->cur];
    int rc = append_with(eng, &v, 1, eng->batch[0].at, eng->batch_ptrs, eng->nbatch, prep);
    if (rc == ITSM_OK)
        v->stored = 1;
    return rc;
}

/* ---- replay of a policy event ---- */

/* Told by the first bytes, {"v":1,"type":"policy" in either form (the
 * binary: magic, version, object, key v, 1, key type, the 6-byte string). */
int itsm__versions_is_event(const void *doc, size_t len)
{
    static const char json[] = "{\"v\":1,\"type\":\"policy\"";
    static const unsigned char bin[] = { 0xE5, 0x01, 0x07, 0x02, 0x03, 0x02, 0x03, 0x05, 0x06,
                                         'p', 'o', 'l', 'i', 'c', 'y' };
    return (len >= sizeof json - 1 && memcmp(doc, json, sizeof json - 1) == 0) ||
           (len >= sizeof bin && memcmp(doc, bin, sizeof bin) == 0);
}

static int pbad(itsm_engine *eng, itsm_parse_error *err, const itsm__jval *v, const char *what)
{
    itsm__json_schema_error(err, v, "policy event: %s", what);
    return itsm__err(eng, ITSM_EPARSE, "policy event %zu:%zu: %s", v->line, v->column, what);
}

int itsm__versions_replay(itsm_engine *eng, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const keys[] = { "v", "type", "record", "kind", "rev", "at", "actor", "policy", "sha256", NULL };
    int rc = itsm__json_only_keys(root, keys, "a policy event", err);
    if (rc)
        return itsm__err(eng, rc, "policy event: %s", err ? err->text : "unknown member");
    const itsm__jval *vv = itsm__json_get(root, "v"), *rid = itsm__json_get(root, "record"),
                     *kind = itsm__json_get(root, "kind"), *rev = itsm__json_get(root, "rev"),
                     *at = itsm__json_get(root, "at"), *doc = itsm__json_get(root, "policy"),
                     *sha = itsm__json_get(root, "sha256");
    itsm_time t;
    size_t pre = strlen(ITSM__POLICY_RECORD);
    if (!vv || vv->type != ITSM__JNUMBER || !vv->u.num.is_int || vv->u.num.i != 1)
        return pbad(eng, err, vv ? vv : root, "unsupported event version (expected \"v\": 1)");
    if (!rid || rid->type != ITSM__JSTRING || rid->u.str.len < pre + 16 || rid->u.str.len >= ITSM__POLICY_RID ||
        memcmp(rid->u.str.s, ITSM__POLICY_RECORD, pre) != 0 || (rid->u.str.len > pre + 16 && rid->u.str.s[pre + 16] != '/'))
        return pbad(eng, err, rid ? rid : root,
                    "'record' must be \"" ITSM__POLICY_RECORD "\" and the version id (then '/' and what names the copy)");
    if (!kind || kind->type != ITSM__JSTRING || strcmp(kind->u.str.s, "policy") != 0)
        return pbad(eng, err, kind ? kind : root, "'kind' must be \"policy\"");
    if (!rev || rev->type != ITSM__JNUMBER || !rev->u.num.is_int || rev->u.num.i != 1)
        return pbad(eng, err, rev ? rev : root, "'rev' must be 1");
    if (!at || at->type != ITSM__JSTRING || itsm__time_parse(at->u.str.s, at->u.str.len, &t) != ITSM_OK)
        return pbad(eng, err, at ? at : root, "expected a time \"YYYY-MM-DDTHH:MM:SSZ\"");
    unsigned char carried[32], h[32];
    if (!sha || sha->type != ITSM__JSTRING || itsm__unhex32(sha->u.str.s, sha->u.str.len, carried))
        return pbad(eng, err, sha ? sha : root, "'sha256' must be 64 lowercase hex digits");
    if (!doc || doc->type != ITSM__JOBJECT)
        return pbad(eng, err, doc ? doc : root, "'policy' must be the policy document (an object)");
    const char *id = rid->u.str.s + pre;
    int known = find_hash(eng, carried);
    itsm_policy *p;
    if ((rc = itsm__policy_from_jval(&p, doc, &eng->alloc, err)))
        return rc == ITSM_ENOMEM ? itsm__oom(eng)
                                 : itsm__err(eng, rc, "policy event %.16s: %s", id, err ? err->text : "invalid policy");
    if (itsm__policy_digest(p, h)) {
        itsm_policy_free(p);
        return itsm__oom(eng);
    }
    char hex[65];
    itsm__hex32(h, hex);
    if (memcmp(h, carried, 32) != 0 || memcmp(hex, id, 16) != 0) {
        itsm_policy_free(p);
        return itsm__tampered(eng, rid->u.str.s, 1, "holds a policy document that does not match its hash");
    }
    if (known >= 0) {
        itsm_policy_free(p);
        eng->vers[known]->stored = 1;
        return ITSM_OK;
    }
    size_t nf = itsm_policy_check(p);
    if (nf) {
        const char *first = itsm_policy_finding(p, 0);
        rc = itsm__err(eng, ITSM_EPOLICY, "policy version %.16s in the store has %zu finding%s: %s", id, nf,
                       nf == 1 ? "" : "s", first ? first : "");
        itsm_policy_free(p);
        return rc;
    }
    itsm__pver *v;
    hex[16] = '\0';
    if ((rc = compatible(eng, eng->policy, p, eng->vers[eng->cur]->id, hex, hex)) || (rc = room(eng))) {
        itsm_policy_free(p);
        return rc;
    }
    if ((rc = pver_new(eng, p, h, &v)))
        return rc;
    v->stored = 1;
    keep(eng, v);
    return ITSM_OK;
}

/* ---- the public calls ---- */

int itsm_engine_adopt_policy(itsm_engine *eng, const itsm_policy *policy)
{
    if (!eng)
        return ITSM_EINVAL;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    if (!policy)
        return itsm__err(eng, ITSM_EINVAL, "itsm_engine_adopt_policy: policy is NULL");
    itsm_time now;
    if ((rc = itsm__now(eng, &now)))
        return rc;
    itsm_policy *p;
    if (itsm__policy_clone(&p, policy, &eng->alloc) != ITSM_OK)
        return itsm__oom(eng);
    size_t nf = itsm_policy_check(p);
    if (nf) {
        const char *first = itsm_policy_finding(p, 0);
        rc = itsm__err(eng, ITSM_EPOLICY, "the policy has %zu finding%s: %s", nf, nf == 1 ? "" : "s",
                       first ? first : itsm_policy_errmsg(p));
        itsm_policy_free(p);
        return rc;
    }
    unsigned char h[32];
    if (itsm__policy_digest(p, h)) {
        itsm_policy_free(p);
        return itsm__oom(eng);
    }
    int known = find_hash(eng, h);
    itsm__pver *v;
    const char *curid = eng->vers[eng->cur]->id;
    if (known >= 0) {
        itsm_policy_free(p);
        v = eng->vers[known];
        /* back to an earlier version: it must have the states and events
         * added since */
        if ((size_t)known != eng->cur && (rc = compatible(eng, v->policy, eng->policy, v->id, curid, v->id)))
            return rc;
    } else {
        char hex[65];
        itsm__hex32(h, hex);
        hex[16] = '\0';
        if ((rc = compatible(eng, p, eng->policy, hex, curid, hex)) || (rc = room(eng))) {
            itsm_policy_free(p);
            return rc;
        }
        if ((rc = pver_new(eng, p, h, &v)))
            return rc;
    }
    /* The transitions' index of the new current version, ready before
     * anything changes. */
    uint16_t *trix[ITSM_KIND_COUNT + 1];
    if ((rc = itsm__tr_index_build(eng, v->policy, trix))) {
        if (known < 0)
            pver_free(eng, v);
        return itsm__oom(eng);
    }
    /* The new version's document now, and that of the one in force until
     * now if the store lacks it (a store written before every store held
     * its documents, or no event yet), in one append. */
    itsm__pver *was = eng->vers[eng->cur], *docs[2];
    size_t nd = 0;
    if (eng->has_store && was != v && !was->stored)
        docs[nd++] = was;
    if (eng->has_store && !v->stored)
        docs[nd++] = v;
    if (nd) {
        int prep;
        rc = append_with(eng, docs, nd, now, NULL, 0, &prep);
        if (rc) {
            if (!prep) {
                int code = (rc == ITSM_ECONFLICT || rc == ITSM_EUSER) ? rc : ITSM_ESTORE;
                rc = itsm__err(eng, code, "store append refused the policy event of version %s (store returned %s)%s",
                               docs[nd - 1]->id, itsm_errname(rc),
                               code == ITSM_ECONFLICT ? ": another engine stored it first: load the store" : "");
            }
            itsm__tr_index_free(eng, trix);
            if (known < 0)
                pver_free(eng, v);
            return rc;
        }
        for (size_t i = 0; i < nd; i++)
            docs[i]->stored = 1;
    }
    size_t ix = known >= 0 ? (size_t)known : keep(eng, v);
    eng->cur = (uint16_t)ix;
    eng->policy = v->policy;
    itsm__policy_caches_clear(eng);
    itsm__tr_index_set(eng, trix);
    return ITSM_OK;
}

int itsm__versions_restore(itsm_engine *eng, uint16_t ix)
{
    if (ix == eng->cur || ix >= eng->nvers)
        return ITSM_OK;
    uint16_t *trix[ITSM_KIND_COUNT + 1];
    if (itsm__tr_index_build(eng, eng->vers[ix]->policy, trix))
        return ITSM_ENOMEM;
    eng->cur = ix;
    eng->policy = eng->vers[ix]->policy;
    itsm__policy_caches_clear(eng);
    itsm__tr_index_set(eng, trix);
    return ITSM_OK;
}

const char *itsm_engine_policy_version(const itsm_engine *eng)
{
    return eng ? eng->vers[eng->cur]->id : NULL;
}

const char *itsm_record_policy_version(const itsm_record *r)
{
    return r ? r->eng->vers[r->pv]->id : NULL;
}

const itsm_policy *itsm_record_policy(const itsm_record *r)
{
    return r ? itsm__rec_policy(r) : NULL;
}

const char *itsm_event_policy_version(const itsm_event *ev)
{
    return ev && ev->rec->kind ? ev->rec->eng->vers[ev->pv]->id : NULL;
}
