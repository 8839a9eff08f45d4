/* SPDX-License-Identifier: Apache-2.0 */
/* The migration check: the getters and the JSON form (itsm/migration.h). */
#include "whatif/migration_int.h"
#include "core/abi.h"
#include "kit/json.h"

#include <string.h>

const char *itsm__migration_keep(itsm_migration *m, const char *s)
{
    if (itsm__grow(&m->alloc, (void **)&m->strs, &m->cstrs, m->nstrs + 1, sizeof *m->strs))
        return NULL;
    char *d = itsm__strdup(&m->alloc, s);
    if (d)
        m->strs[m->nstrs++] = d;
    return d;
}

void itsm_migration_free(itsm_migration *m)
{
    if (!m)
        return;
    itsm_allocator a = m->alloc;
    for (size_t i = 0; i < m->nstrs; i++)
        itsm__free(&a, m->strs[i]);
    itsm__free(&a, m->strs);
    itsm__free(&a, m->list);
    itsm__free(&a, m);
}

const char *itsm_migration_kind_name(itsm_migration_kind kind)
{
    static const char *const names[ITSM_MIGRATION_KIND_COUNT] = {
        "state_removed", "transition_removed", "guard_fails", "sla_starts", "sla_stops", "timer_moves",
        "not_replayed"
    };
    return kind >= 1 && kind <= ITSM_MIGRATION_KIND_COUNT ? names[kind - 1] : NULL;
}

itsm_time itsm_migration_now(const itsm_migration *m) { return m ? m->now : ITSM_TIME_NONE; }
size_t itsm_migration_records(const itsm_migration *m) { return m ? m->records : 0; }
size_t itsm_migration_count(const itsm_migration *m) { return m ? m->nlist : 0; }

size_t itsm_migration_count_of(const itsm_migration *m, itsm_migration_kind kind)
{
    return m && kind >= 1 && kind <= ITSM_MIGRATION_KIND_COUNT ? m->counts[kind - 1] : 0;
}

int itsm_migration_at(const itsm_migration *m, size_t index, itsm_migration_finding *out)
{
    if (!m || !out || index >= m->nlist || out->size < ITSM__END(itsm_migration_finding, detail) ||
        out->size > sizeof *out)
        return ITSM_EINVAL;
    itsm__sized_put(out, out->size, &m->list[index]);
    return ITSM_OK;
}

static void key_str(itsm__jw *j, const char *key, const char *v)
{
    itsm__jw_key(j, key);
    itsm__jw_str(j, v);
}

static void key_int(itsm__jw *j, const char *key, int64_t v)
{
    itsm__jw_key(j, key);
    itsm__jw_int(j, v);
}

static void finding(itsm__jw *j, const itsm_migration_finding *f)
{
    itsm__jw_obj_begin(j);
    key_str(j, "kind", itsm_migration_kind_name(f->kind));
    key_str(j, "record", f->record);
    key_str(j, "record_kind", itsm_kind_name(f->record_kind));
    key_str(j, "state", f->state);
    if (f->event)
        key_str(j, "event", f->event);
    if (f->name) {
        key_str(j, "name", f->name);
        itsm__jw_key(j, "agreement");
        itsm__jw_bool(j, f->agreement);
    }
    if (f->kind == ITSM_MIGRATION_TIMER_MOVES) {
        key_str(j, "clock", itsm_whatif_clock_name(f->clock));
        key_int(j, "actual_target", f->actual_target);
        key_int(j, "candidate_target", f->candidate_target);
        itsm__jw_key(j, "actual_due");
        itsm__jw_time(j, f->actual_due);
        itsm__jw_key(j, "candidate_due");
        itsm__jw_time(j, f->candidate_due);
        key_int(j, "delta", f->delta);
    }
    if (f->detail)
        key_str(j, "detail", f->detail);
    itsm__jw_obj_end(j);
}

int itsm_migration_to_json(const itsm_migration *m, char *buf, size_t cap, size_t *len)
{
    if (!m || !len || (!buf && cap))
        return ITSM_EINVAL;
    itsm__jw j;
    itsm__jw_init(&j, buf, cap);
    itsm__jw_obj_begin(&j);
    key_int(&j, "version", 1);
    itsm__jw_key(&j, "now");
    itsm__jw_time(&j, m->now);
    key_int(&j, "records", (int64_t)m->records);
    key_int(&j, "findings", (int64_t)m->nlist);
    itsm__jw_key(&j, "counts");
    itsm__jw_obj_begin(&j);
    for (int k = 1; k <= ITSM_MIGRATION_KIND_COUNT; k++)
        key_int(&j, itsm_migration_kind_name((itsm_migration_kind)k), (int64_t)m->counts[k - 1]);
    itsm__jw_obj_end(&j);
    itsm__jw_key(&j, "list");
    itsm__jw_arr_begin(&j);
    for (size_t i = 0; i < m->nlist; i++)
        finding(&j, &m->list[i]);
    itsm__jw_arr_end(&j);
    itsm__jw_obj_end(&j);
    return itsm__jw_finish(&j, len);
}
