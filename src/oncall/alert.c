/* SPDX-License-Identifier: Apache-2.0 */
/* Alert intake (itsm/oncall.h): deduplication by key, grouping by service
 * (or the alert's group) within the policy's window, and the indexes the
 * "alert_received" events build. */
#include "oncall/oncall_int.h"
#include "core/abi.h"
#include "kit/opts.h"

#include <string.h>

ITSM__DEFINE_INIT(itsm_alert_init, itsm_alert, ITSM_ALERT_VERSION, ITSM_ALERT_INIT)

static itsm__ockey *key_of(const itsm__ptrmap *m, const char *key)
{
    return key && m->n ? itsm__ptrmap_get(m, key) : NULL;
}

/* Entries the event's indexes lack, allocated before apply. */
int itsm__oc_alert_reserve(itsm_engine *eng, itsm_event *ev, itsm__ocev *x)
{
    (void)ev;
    const itsm__oceng *oe = itsm__oce(eng);
    if (!x->fresh_key && !key_of(&oe->keys, x->key) &&
        !(x->fresh_key = itsm__calloc(&eng->alloc, 1, sizeof *x->fresh_key)))
        return ITSM_ENOMEM;
    if (x->outcome == ITSM_ALERT_OPENED && x->group && !x->fresh_group && !key_of(&oe->groups, x->group) &&
        !(x->fresh_group = itsm__calloc(&eng->alloc, 1, sizeof *x->fresh_group)))
        return ITSM_ENOMEM;
    return ITSM_OK;
}

static itsm__ockey *take_key(itsm__ptrmap *m, const char *key, itsm__ockey **fresh)
{
    itsm__ockey *k = key_of(m, key);
    if (k)
        return k;
    k = *fresh;
    *fresh = NULL;
    k->key = key;
    itsm__ptrmap_put(m, k);
    return k;
}

/* The key names the incident from now on; an incident an alert opened
 * starts its group's window. */
void itsm__oc_alert_apply(itsm_engine *eng, itsm_event *ev, itsm__ocev *x)
{
    itsm__oceng *oe = itsm__oce(eng);
    take_key(&oe->keys, x->key, &x->fresh_key)->rec = ev->rec;
    if (x->outcome == ITSM_ALERT_OPENED && x->group) {
        itsm__ockey *g = take_key(&oe->groups, x->group, &x->fresh_group);
        g->rec = ev->rec;
        g->at = ev->at;
    }
}

/* The group an alert counts in: its own, else the service among the
 * incident's fields (NULL: none). */
static int group_of(itsm_engine *eng, const itsm_alert *a, const char **out)
{
    *out = NULL;
    if (a->group)
        return itsm__symbol_arg(eng, a->group, "the alert's group", out);
    for (size_t i = 0; i < a->nfields && a->fields; i++)
        if (a->fields[i].field == ITSM_F_SERVICE && a->fields[i].str)
            return itsm__symbol_arg(eng, a->fields[i].str, "the alert's service", out);
    return ITSM_OK;
}

static int attach(itsm_engine *eng, itsm_record *r, const char *key, const char *group, int outcome, itsm_time at)
{
    itsm__ocev *x;
    itsm__batch_begin(eng);
    if (!itsm__oc_event(eng, ITSM__OC_ALERT, r, at, &x)) {
        itsm__batch_abort(eng);
        return ITSM_ENOMEM;
    }
    const itsm__ocrec *o = itsm__oc_rec(eng, r);
    x->key = key;
    x->group = group;
    x->outcome = outcome;
    x->count = (o ? o->alerts : 0) + 1;
    return itsm__batch_commit(eng);
}

static int open_incident(itsm_record **out, itsm_engine *eng, const itsm_alert *a, const char *key,
                         const char *group, itsm_time at)
{
    char idbuf[32];
    const char *id;
    size_t idn;
    uint64_t seq;
    int rc;
    if ((rc = itsm__new_id(eng, ITSM_KIND_INCIDENT, NULL, idbuf, &id, &idn, &seq)))
        return rc;
    itsm__batch_begin(eng);
    itsm_event *ev = itsm__batch_open(eng, ITSM_KIND_INCIDENT, id, idn, at);
    if (!ev || (rc = itsm__propose_all(eng, ev, a->fields, a->nfields))) {
        itsm__batch_abort(eng);
        return ev ? rc : eng->err.code;
    }
    itsm_record *r = ev->rec;
    itsm__ocev *x;
    if (!itsm__oc_event(eng, ITSM__OC_ALERT, r, at, &x)) {
        itsm__batch_abort(eng);
        return ITSM_ENOMEM;
    }
    x->key = key;
    x->group = group;
    x->outcome = ITSM_ALERT_OPENED;
    x->count = 1;
    if ((rc = itsm__batch_commit(eng)))
        return rc;
    itsm__remember_id(eng, ITSM_KIND_INCIDENT, 0, r, seq);
    *out = r;
    return ITSM_OK;
}

int itsm_alert_ingest(itsm_record **out, itsm_alert_outcome *outcome, itsm_engine *eng, const itsm_alert *a)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!out)
        return itsm__err(eng, ITSM_EINVAL, "out is NULL");
    *out = NULL;
    if (outcome)
        *outcome = (itsm_alert_outcome)0;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    if (!a)
        return itsm__err(eng, ITSM_EINVAL, "the alert is NULL");
    if ((rc = itsm__version_out(eng, a->version, ITSM_ALERT_VERSION, "alert")))
        return rc;
    const char *key, *group;
    if ((rc = itsm__symbol_arg(eng, a->dedup_key, "the alert's dedup key", &key)) ||
        (rc = group_of(eng, a, &group)))
        return rc;
    if (a->nfields && !a->fields)
        return itsm__err(eng, ITSM_EINVAL, "the alert's fields are NULL");
    itsm_time at;
    if ((rc = itsm__now(eng, &at)))
        return rc;
    const itsm__oceng *oe = itsm__oce(eng);
    const itsm__ockey *k = key_of(&oe->keys, key);
    int how = 0;
    itsm_record *r = NULL;
    if (k && itsm__oc_live(eng, k->rec)) {
        r = k->rec;
        how = ITSM_ALERT_DUPLICATE;
    } else if (group && itsm__ocs(eng->policy)->window && (k = key_of(&oe->groups, group)) &&
               itsm__oc_live(eng, k->rec) && at - k->at <= (itsm_time)itsm__ocs(eng->policy)->window) {
        r = k->rec;
        how = ITSM_ALERT_GROUPED;
    }
    if (r) {
        /* Never before the incident's last event (a log replayed case by
         * case, the clock going back between cases): the host named no
         * record, so its intake is not refused for that one's time. */
        itsm_time last = itsm__rec_num(r, itsm__fields[ITSM_F_UPDATED_AT].slot);
        rc = attach(eng, r, key, group, how, last > at ? last : at);
    } else {
        how = ITSM_ALERT_OPENED;
        rc = open_incident(&r, eng, a, key, group, at);
    }
    if (rc)
        return rc;
    *out = r;
    if (outcome)
        *outcome = (itsm_alert_outcome)how;
    return ITSM_OK;
}
