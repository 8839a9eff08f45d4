/* SPDX-License-Identifier: Apache-2.0 */
/* What-if: the getters and the JSON form (itsm/whatif.h). */
#include "whatif/whatif_int.h"
#include "core/abi.h"
#include "kit/json.h"

#include <string.h>

/* A result struct the caller sized: its first release is this one, so
 * every member up to the last must fit. */
#define SIZED_BAD(out, type, last) ((out)->size < ITSM__END(type, last) || (out)->size > sizeof(type))

void itsm_whatif_free(itsm_whatif *w)
{
    if (!w)
        return;
    itsm_allocator a = w->alloc;
    for (size_t i = 0; i < w->nstrs; i++)
        itsm__free(&a, w->strs[i]);
    itsm__free(&a, w->strs);
    itsm__free(&a, w->flips);
    itsm__free(&a, w->slas);
    itsm__free(&a, w->groups);
    itsm__free(&a, w);
}

const char *itsm_whatif_verdict_name(itsm_whatif_verdict v)
{
    static const char *const names[] = { "none", "pending", "met", "breached" };
    return (unsigned)v < 4 ? names[v] : NULL;
}

const char *itsm_whatif_clock_name(itsm_whatif_clock c)
{
    static const char *const names[] = { "response", "resolution", "agreement" };
    return (unsigned)c < 3 ? names[c] : NULL;
}

const char *itsm_whatif_measure_name(itsm_whatif_measure m)
{
    static const char *const names[] = { "resolve_wall", "resolve_work" };
    return (unsigned)m < 2 ? names[m] : NULL;
}

int itsm_whatif_summary_of(itsm_whatif_summary *out, const itsm_whatif *w)
{
    if (!out || !w || SIZED_BAD(out, itsm_whatif_summary, candidate_breached))
        return ITSM_EINVAL;
    itsm__sized_put(out, out->size, &w->sum);
    return ITSM_OK;
}

size_t itsm_whatif_flip_count(const itsm_whatif *w) { return w ? w->nflips : 0; }

int itsm_whatif_flip_at(const itsm_whatif *w, size_t index, itsm_whatif_flip *out)
{
    if (!out || !w || index >= w->nflips || SIZED_BAD(out, itsm_whatif_flip, candidate_elapsed))
        return ITSM_EINVAL;
    itsm__sized_put(out, out->size, &w->flips[index]);
    return ITSM_OK;
}

size_t itsm_whatif_sla_count(const itsm_whatif *w) { return w ? w->nslas : 0; }

int itsm_whatif_sla_at(const itsm_whatif *w, size_t index, itsm_whatif_sla *out)
{
    if (!out || !w || index >= w->nslas || SIZED_BAD(out, itsm_whatif_sla, candidate_pending))
        return ITSM_EINVAL;
    itsm__sized_put(out, out->size, &w->slas[index]);
    return ITSM_OK;
}

size_t itsm_whatif_group_count(const itsm_whatif *w) { return w ? w->ngroups : 0; }

int itsm_whatif_group_at(const itsm_whatif *w, size_t index, itsm_whatif_group *out)
{
    if (!out || !w || index >= w->ngroups || SIZED_BAD(out, itsm_whatif_group, to_met))
        return ITSM_EINVAL;
    itsm__sized_put(out, out->size, &w->groups[index]);
    return ITSM_OK;
}

int itsm_whatif_duration_of(itsm_whatif_duration *out, const itsm_whatif *w, itsm_whatif_measure m)
{
    if (!out || !w || (unsigned)m > ITSM_WHATIF_RESOLVE_WORK || SIZED_BAD(out, itsm_whatif_duration, max_delta))
        return ITSM_EINVAL;
    itsm__sized_put(out, out->size, &w->dur[m]);
    return ITSM_OK;
}

/* ---- JSON --------------------------------------------------------------- */

static void key_count(itsm__jw *j, const char *key, size_t n)
{
    itsm__jw_key(j, key);
    itsm__jw_int(j, (int64_t)n);
}

static void side(itsm__jw *j, const char *key, size_t met, size_t breached, size_t pending)
{
    itsm__jw_key(j, key);
    itsm__jw_obj_begin(j);
    key_count(j, "met", met);
    key_count(j, "breached", breached);
    key_count(j, "pending", pending);
    itsm__jw_obj_end(j);
}

static void flip_side(itsm__jw *j, const char *key, const char *sla, itsm_whatif_verdict v, uint32_t target,
                      int64_t elapsed)
{
    itsm__jw_key(j, key);
    itsm__jw_obj_begin(j);
    itsm__jw_key(j, "sla");
    itsm__jw_str(j, sla);
    itsm__jw_key(j, "verdict");
    itsm__jw_str(j, itsm_whatif_verdict_name(v));
    itsm__jw_key(j, "target");
    itsm__jw_int(j, target);
    itsm__jw_key(j, "elapsed");
    itsm__jw_int(j, elapsed);
    itsm__jw_obj_end(j);
}

static void duration(itsm__jw *j, const itsm_whatif_duration *d)
{
    itsm__jw_obj_begin(j);
    key_count(j, "count", d->count);
    key_count(j, "changed", d->changed);
    itsm__jw_key(j, "actual_mean");
    itsm__jw_double(j, d->actual_mean);
    itsm__jw_key(j, "candidate_mean");
    itsm__jw_double(j, d->candidate_mean);
    itsm__jw_key(j, "mean_delta");
    itsm__jw_double(j, d->mean_delta);
    const char *const keys[] = { "actual_p50", "candidate_p50", "actual_p90", "candidate_p90", "max_delta" };
    const int64_t vals[] = { d->actual_p50, d->candidate_p50, d->actual_p90, d->candidate_p90, d->max_delta };
    for (size_t i = 0; i < 5; i++) {
        itsm__jw_key(j, keys[i]);
        itsm__jw_int(j, vals[i]);
    }
    itsm__jw_obj_end(j);
}

int itsm_whatif_to_json(const itsm_whatif *w, size_t max_flips, char *buf, size_t cap, size_t *len)
{
    if (!w || !len || (!buf && cap))
        return ITSM_EINVAL;
    itsm__jw j;
    itsm__jw_init(&j, buf, cap);
    const itsm_whatif_summary *s = &w->sum;
    itsm__jw_obj_begin(&j);
    itsm__jw_key(&j, "version");
    itsm__jw_int(&j, 1);
    itsm__jw_key(&j, "as_of");
    itsm__jw_time(&j, s->as_of);
    key_count(&j, "events", s->events);
    key_count(&j, "records", s->records);
    key_count(&j, "clocks", s->clocks);
    key_count(&j, "flips", s->flips);
    key_count(&j, "to_breached", s->to_breached);
    key_count(&j, "to_met", s->to_met);
    key_count(&j, "actual_breached", s->actual_breached);
    key_count(&j, "candidate_breached", s->candidate_breached);
    itsm__jw_key(&j, "slas");
    itsm__jw_arr_begin(&j);
    for (size_t i = 0; i < w->nslas; i++) {
        const itsm_whatif_sla *r = &w->slas[i];
        itsm__jw_obj_begin(&j);
        itsm__jw_key(&j, "clock");
        itsm__jw_str(&j, itsm_whatif_clock_name(r->clock));
        itsm__jw_key(&j, "name");
        itsm__jw_str(&j, r->name);
        side(&j, "actual", r->actual_met, r->actual_breached, r->actual_pending);
        side(&j, "candidate", r->candidate_met, r->candidate_breached, r->candidate_pending);
        itsm__jw_obj_end(&j);
    }
    itsm__jw_arr_end(&j);
    itsm__jw_key(&j, "groups");
    itsm__jw_arr_begin(&j);
    for (size_t i = 0; i < w->ngroups; i++) {
        const itsm_whatif_group *g = &w->groups[i];
        itsm__jw_obj_begin(&j);
        itsm__jw_key(&j, "group");
        itsm__jw_str(&j, g->group);
        key_count(&j, "records", g->records);
        key_count(&j, "actual_breached", g->actual_breached);
        key_count(&j, "candidate_breached", g->candidate_breached);
        key_count(&j, "to_breached", g->to_breached);
        key_count(&j, "to_met", g->to_met);
        itsm__jw_obj_end(&j);
    }
    itsm__jw_arr_end(&j);
    itsm__jw_key(&j, "durations");
    itsm__jw_obj_begin(&j);
    for (int m = 0; m < 2; m++) {
        itsm__jw_key(&j, itsm_whatif_measure_name((itsm_whatif_measure)m));
        duration(&j, &w->dur[m]);
    }
    itsm__jw_obj_end(&j);
    size_t listed = w->nflips < max_flips ? w->nflips : max_flips;
    key_count(&j, "flips_listed", listed);
    itsm__jw_key(&j, "flip_list");
    itsm__jw_arr_begin(&j);
    for (size_t i = 0; i < listed; i++) {
        const itsm_whatif_flip *f = &w->flips[i];
        itsm__jw_obj_begin(&j);
        itsm__jw_key(&j, "record");
        itsm__jw_str(&j, f->record);
        itsm__jw_key(&j, "group");
        itsm__jw_str(&j, f->group);
        itsm__jw_key(&j, "priority");
        itsm__jw_int(&j, f->priority);
        itsm__jw_key(&j, "clock");
        itsm__jw_str(&j, itsm_whatif_clock_name(f->clock));
        flip_side(&j, "actual", f->actual_sla, f->actual, f->actual_target, f->actual_elapsed);
        flip_side(&j, "candidate", f->candidate_sla, f->candidate, f->candidate_target, f->candidate_elapsed);
        itsm__jw_obj_end(&j);
    }
    itsm__jw_arr_end(&j);
    itsm__jw_obj_end(&j);
    return itsm__jw_finish(&j, len);
}
