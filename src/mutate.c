/* SPDX-License-Identifier: Apache-2.0 */
/* Public mutations: open, update, fire, note, link. Each validates, builds
 * its events, and commits them through the store (engine.c). */
#include "engine_int.h"
#include "abi.h"
#include "opts.h"
#include "json.h"

#include <stdio.h>
#include <string.h>

#define SLOT(f) (itsm__fields[f].slot)

int itsm__check_str(itsm_engine *eng, itsm_field f, const char *s, size_t n)
{
    const itsm__field_info *fi = &itsm__fields[f];
    size_t max = fi->type == ITSM_TYPE_SYMBOL ? ITSM_MAX_SYMBOL : ITSM_MAX_TEXT;
    if (n > max)
        return itsm__err(eng, ITSM_ELIMIT, "field '%s' is %zu bytes; the limit is %zu", fi->name, n, max);
    /* The common case in one pass: printable ASCII is valid UTF-8 with no
     * control character. Anything else takes the full checks below. */
    size_t k = 0;
    for (; k + 8 <= n; k += 8) {   /* eight at a time: no high bit, no byte < 0x20, no 0x7f */
        const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
        uint64_t w, d;
        memcpy(&w, s + k, 8);
        d = w ^ (0x7f * ones);
        if ((w & high) || ((w - 0x20 * ones) & ~w & high) || ((d - ones) & ~d & high))
            break;
    }
    while (k < n && (unsigned char)s[k] >= 0x20 && (unsigned char)s[k] < 0x7f)
        k++;
    if (k == n && n > 0)
        return ITSM_OK;
    if (!itsm__utf8_valid(s, n))
        return itsm__err(eng, ITSM_EINVAL, "field '%s' is not valid UTF-8", fi->name);
    if (fi->type == ITSM_TYPE_SYMBOL) {
        if (n == 0)
            return itsm__err(eng, ITSM_EINVAL, "field '%s' cannot be empty (use NULL to clear it)", fi->name);
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
                return itsm__err(eng, ITSM_EINVAL, "field '%s' contains a control character", fi->name);
    }
    return ITSM_OK;
}

/* Put one value into an event, validated and owned (text) or interned
 * (symbol). `engine_ok` lets the engine itself set its own fields. */
static int put_change(itsm_engine *eng, itsm_event *ev, const itsm_change *in, int engine_ok)
{
    if (!itsm__field_valid((int)in->field))
        return itsm__err(eng, ITSM_EINVAL, "unknown field %d", (int)in->field);
    const itsm__field_info *fi = &itsm__fields[in->field];
    if (fi->engine_owned && !engine_ok)
        return itsm__err(eng, ITSM_EINVAL, "field '%s' is maintained by the engine", fi->name);
    if (itsm__ev_find(ev, in->field))
        return itsm__err(eng, ITSM_EINVAL, "field '%s' is given twice", fi->name);
    itsm__change *c = itsm__ev_change(ev, in->field);
    if (!c)
        return itsm__err(eng, ITSM_ELIMIT, "too many changes in one step");
    if (itsm__field_is_str(in->field)) {
        if (!in->str)
            return ITSM_OK;   /* clears the field */
        size_t n = strlen(in->str);
        int rc = itsm__check_str(eng, in->field, in->str, n);
        if (rc)
            return rc;
        if (fi->type == ITSM_TYPE_TEXT) {
            if (!(c->owned = itsm__strndup(&eng->alloc, in->str, n)))
                return itsm__oom(eng);
        } else if (!(c->str = itsm__intern(eng, in->str, n))) {
            return itsm__oom(eng);
        }
        return ITSM_OK;
    }
    if (fi->type == ITSM_TYPE_TIME) {
        if (in->num != ITSM_TIME_NONE && (in->num < ITSM_TIME_MIN || in->num > ITSM_TIME_MAX))
            return itsm__err(eng, ITSM_EINVAL, "field '%s' time %lld is outside 1970..9999", fi->name,
                             (long long)in->num);
    } else if (in->num < fi->min || in->num > fi->max) {
        return itsm__err(eng, ITSM_EINVAL, "field '%s' must be %lld..%lld (got %lld)", fi->name,
                         (long long)fi->min, (long long)fi->max, (long long)in->num);
    }
    c->num = in->num;
    return ITSM_OK;
}

/* The value a field will have once the event applies. */
static int64_t view_num(const itsm_record *r, const itsm_event *ev, itsm_field f)
{
    const itsm__change *c = itsm__ev_find(ev, f);
    return c ? c->num : (r ? r->num[SLOT(f)] : 0);
}
static const char *view_str(const itsm_record *r, const itsm_event *ev, itsm_field f)
{
    const itsm__change *c = itsm__ev_find(ev, f);
    if (c)
        return itsm__fields[f].type == ITSM_TYPE_TEXT ? c->owned : c->str;
    return r ? r->str[SLOT(f)] : NULL;
}
static int view_has(const itsm_record *r, const itsm_event *ev, itsm_field f)
{
    switch (itsm__fields[f].type) {
    case ITSM_TYPE_TEXT:
    case ITSM_TYPE_SYMBOL:
        return view_str(r, ev, f) != NULL;
    case ITSM_TYPE_TIME:
        return view_num(r, ev, f) != ITSM_TIME_NONE;
    default:
        return view_num(r, ev, f) != 0;
    }
}

/* What every change implies: priority from impact x urgency (unless given),
 * a reassignment when the group moves from one group to another (or, under
 * ITSM_REASSIGN_GROUP_OR_ASSIGNEE, the assignee within the same group). */
static int derive(itsm_engine *eng, const itsm_record *r, itsm_event *ev)
{
    if ((itsm__ev_find(ev, ITSM_F_IMPACT) || itsm__ev_find(ev, ITSM_F_URGENCY)) &&
        !itsm__ev_find(ev, ITSM_F_PRIORITY)) {
        int impact = (int)view_num(r, ev, ITSM_F_IMPACT);
        int urgency = (int)view_num(r, ev, ITSM_F_URGENCY);
        int prio = itsm_policy_priority(eng->policy, impact, urgency);
        if (prio && (!r || r->num[SLOT(ITSM_F_PRIORITY)] != prio)) {
            itsm__change *c = itsm__ev_change(ev, ITSM_F_PRIORITY);
            if (!c)
                return itsm__err(eng, ITSM_ELIMIT, "too many changes in one step");
            c->num = prio;
        }
    }
    if (!r)
        return ITSM_OK;   /* opening a record assigns it: never a reassignment */
    /* Symbols are interned: pointer equality is value equality. */
    const char *group = r->str[SLOT(ITSM_F_ASSIGNMENT_GROUP)];
    const itsm__change *g = itsm__ev_find(ev, ITSM_F_ASSIGNMENT_GROUP);
    int moved = eng->policy->reassign == ITSM_REASSIGN_GROUP_CHANGE ? g && g->str != group
                                                                    : g && group && g->str && g->str != group;
    if (!moved && eng->policy->reassign == ITSM_REASSIGN_GROUP_OR_ASSIGNEE) {
        /* or the assignee moves from one person to another in the same group */
        const char *who = r->str[SLOT(ITSM_F_ASSIGNEE)];
        const itsm__change *a = itsm__ev_find(ev, ITSM_F_ASSIGNEE);
        moved = a && who && a->str && a->str != who && (!g || g->str == group);
    }
    if (moved) {   /* once per step, whichever moved */
        itsm__change *c = itsm__ev_change(ev, ITSM_F_REASSIGNMENTS);
        if (!c)
            return itsm__err(eng, ITSM_ELIMIT, "too many changes in one step");
        c->num = r->num[SLOT(ITSM_F_REASSIGNMENTS)] + 1;
    }
    return ITSM_OK;
}

int itsm__put_changes(itsm_engine *eng, itsm_event *ev, const itsm_change *changes, size_t n)
{
    if (n && !changes)
        return itsm__err(eng, ITSM_EINVAL, "changes is NULL but n is %zu", n);
    if (n > ITSM_F__COUNT)
        return itsm__err(eng, ITSM_EINVAL, "%zu changes given; there are only %d fields", n, (int)ITSM_F__COUNT);
    for (size_t i = 0; i < n; i++) {
        int rc = put_change(eng, ev, &changes[i], 0);
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

/* ---- open ---- */

ITSM__DEFINE_INIT(itsm_record_opts_init, itsm_record_opts, ITSM_RECORD_OPTS_VERSION, ITSM_RECORD_OPTS_INIT)

int itsm__id_valid(const char *id, size_t n)
{
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ':'))
            return 0;
    }
    return 1;
}

static const char *const id_prefix[ITSM_KIND_COUNT + 1] = { NULL, "INC", "REQ", "PRB", "CHG", "KB" };

int itsm__new_id(itsm_engine *eng, int kind, const char *id, char buf[32], const char **out, size_t *n,
                 uint64_t *seq)
{
    *seq = eng->seq[kind];
    if (id) {
        *n = strlen(id);
        if (!itsm__id_valid(id, *n))
            return itsm__err(eng, ITSM_EINVAL, "record id must be 1..64 characters of A-Z a-z 0-9 - _ . :");
        if (itsm__find(eng, id, *n))
            return itsm__err(eng, ITSM_EEXISTS, "record '%s' already exists", id);
        *out = id;
        return ITSM_OK;
    }
    /* Generated ids skip any the host took by hand. */
    do {
        ++*seq;
        snprintf(buf, 32, "%s-%06llu", id_prefix[kind], (unsigned long long)*seq);
        *n = strlen(buf);
    } while (itsm__find(eng, buf, *n));
    *out = buf;
    return ITSM_OK;
}

itsm_event *itsm__batch_open(itsm_engine *eng, int kind, const char *id, size_t n, itsm_time at)
{
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, kind);
    itsm_record *r = itsm__record_alloc(eng, id, n, kind);
    if (!r) {
        itsm__oom(eng);
        return NULL;
    }
    itsm_event *ev = itsm__batch_add(eng, ITSM__EV_OPEN, NULL, at);
    if (!ev) {
        itsm__record_free(eng, r);
        return NULL;
    }
    ev->rec = r;
    ev->owns_rec = 1;   /* until applied */
    ev->rev = 1;
    ev->to_state = itsm__lc_initial(lc);
    ev->to_name = lc->states[ev->to_state];
    return ev;
}

void itsm__remember_id(itsm_engine *eng, int kind, int host_chosen, const itsm_record *r, uint64_t seq)
{
    if (host_chosen)
        itsm__bump_seq(eng, kind, r->id);   /* as replay does, so both agree */
    else
        eng->seq[kind] = seq;
}

int itsm_record_open(itsm_record **out, itsm_engine *eng, const itsm_record_opts *opts)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!out)
        return itsm__err(eng, ITSM_EINVAL, "out is NULL");
    *out = NULL;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    if (!opts)
        return itsm__err(eng, ITSM_EINVAL, "record options are NULL");
    if ((rc = itsm__version_out(eng, opts->version, ITSM_RECORD_OPTS_VERSION, "record options")))
        return rc;
    const char *kn = itsm_kind_name(opts->kind);
    if (!kn)
        return itsm__err(eng, ITSM_EINVAL, "unknown record kind %d", (int)opts->kind);
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, (int)opts->kind);
    int initial = itsm__lc_initial(lc);
    if (initial < 0)
        return itsm__err(eng, ITSM_ENOTFOUND, "the policy has no lifecycle for %s records", kn);

    char idbuf[32];
    const char *id;
    size_t idn;
    uint64_t seq;
    if ((rc = itsm__new_id(eng, (int)opts->kind, opts->id, idbuf, &id, &idn, &seq)))
        return rc;
    itsm_time at = 0;
    if ((rc = itsm__now(eng, &at)))
        return rc;

    itsm__batch_begin(eng);
    itsm_event *ev = itsm__batch_open(eng, (int)opts->kind, id, idn, at);
    if (!ev)
        return ITSM_ENOMEM;
    itsm_record *r = ev->rec;
    if ((rc = itsm__put_changes(eng, ev, opts->fields, opts->nfields)) ||
        (rc = derive(eng, NULL, ev)) || (rc = itsm__reserve_record(eng))) {
        itsm__batch_abort(eng);
        return rc;
    }
    itsm__change *c = itsm__ev_change(ev, ITSM_F_OPENED_AT);
    if (!c) {
        itsm__batch_abort(eng);
        return itsm__err(eng, ITSM_ELIMIT, "too many changes in one step");
    }
    c->num = at;
    if ((rc = itsm__batch_commit(eng)))
        return rc;
    itsm__remember_id(eng, (int)opts->kind, opts->id != NULL, r, seq);
    *out = r;
    return ITSM_OK;
}

int itsm_record_find(itsm_record **out, itsm_engine *eng, const char *id)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!out || !id)
        return itsm__err(eng, ITSM_EINVAL, "out and id must not be NULL");
    size_t n = strlen(id);
    *out = itsm__find(eng, id, n);
    if (!*out) {
        /* The message of itsm__err(.., "no record '%s'", id), truncated
         * alike, without printf: hosts look up before they open, so a miss
         * is a common answer (a vsnprintf per new record in the replay). */
        static const char pre[] = "no record '";
        size_t cap = sizeof eng->errmsg - 1, k = sizeof pre - 1;
        memcpy(eng->errmsg, pre, k);
        size_t m = n < cap - k ? n : cap - k;
        memcpy(eng->errmsg + k, id, m);
        k += m;
        if (k < cap)
            eng->errmsg[k++] = '\'';
        eng->errmsg[k] = '\0';
        eng->errcode = ITSM_ENOTFOUND;
        return ITSM_ENOTFOUND;
    }
    return ITSM_OK;
}

/* ---- update ---- */

static int check_open_record(itsm_engine *eng, const itsm_record *r, const char *what)
{
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    if (itsm__lc_is_closed(lc, r->state))
        return itsm__err(eng, ITSM_ESTATE, "cannot %s %s: it is %s", what, r->id, lc->states[r->state]);
    return ITSM_OK;
}

int itsm_record_update(itsm_record *r, const itsm_change *changes, size_t n)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    itsm_time at = 0;
    int rc;
    if ((rc = itsm__check_entry(eng)) || (rc = check_open_record(eng, r, "update")))
        return rc;
    if (n == 0)
        return itsm__err(eng, ITSM_EINVAL, "an update needs at least one change");
    if ((rc = itsm__now(eng, &at)))
        return rc;
    itsm__batch_begin(eng);
    itsm_event *ev = itsm__batch_add(eng, ITSM__EV_UPDATE, r, at);
    if (!ev)
        return ITSM_ENOMEM;
    if ((rc = itsm__put_changes(eng, ev, changes, n)) || (rc = derive(eng, r, ev))) {
        itsm__batch_abort(eng);
        return rc;
    }
    return itsm__batch_commit(eng);
}

int itsm_record_set_str(itsm_record *r, itsm_field field, const char *value)
{
    itsm_change c = { field, value, 0 };
    if (r && itsm__field_valid((int)field) && !itsm__field_is_str(field))
        return itsm__err(r->eng, ITSM_EINVAL, "field '%s' is not a text or symbol field",
                         itsm__fields[field].name);
    return itsm_record_update(r, &c, 1);
}

int itsm_record_set_int(itsm_record *r, itsm_field field, int64_t value)
{
    itsm_change c = { field, NULL, value };
    if (r && itsm__field_valid((int)field) && itsm__field_is_str(field))
        return itsm__err(r->eng, ITSM_EINVAL, "field '%s' is not a number, bool or time field",
                         itsm__fields[field].name);
    return itsm_record_update(r, &c, 1);
}

/* ---- fire ---- */

static int has_link_to_kind(const itsm_record *r, itsm_kind k)
{
    for (uint32_t i = 0; i < r->nlinks; i++)
        if (r->links[i].kind == ITSM_LINK_RELATED && r->links[i].target->kind == k)
            return 1;
    return 0;
}

static int guard_fails(itsm_engine *eng, const itsm_record *r, const itsm_event *ev,
                       const itsm__transition *t, const char *event, const char *from)
{
    for (size_t i = 0; i < t->nterms; i++) {
        const itsm__gterm *g = &t->terms[i];
        const char *f0 = itsm__fields[g->fields[0]].name;
        switch (g->op) {
        case ITSM__G_SET:
            if (!view_has(r, ev, g->fields[0]))
                return itsm__err(eng, ITSM_EGUARD, "transition '%s' from '%s' needs field '%s'",
                                 event, from, f0);
            break;
        case ITSM__G_ANY: {
            int any = 0;
            for (unsigned f = 0; f < g->nfields && !any; f++)
                any = view_has(r, ev, g->fields[f]);
            if (!any) {
                char list[200];
                size_t off = 0;
                for (unsigned f = 0; f < g->nfields && off < sizeof list; f++)
                    off += (size_t)snprintf(list + off, sizeof list - off, "%s'%s'", f ? " or " : "",
                                            itsm__fields[g->fields[f]].name);
                return itsm__err(eng, ITSM_EGUARD, "transition '%s' from '%s' needs field %s",
                                 event, from, list);
            }
            break;
        }
        case ITSM__G_EQ:
            if (itsm__field_is_str(g->fields[0])) {
                const char *v = view_str(r, ev, g->fields[0]);
                if (!v || strcmp(v, g->value) != 0)
                    return itsm__err(eng, ITSM_EGUARD, "transition '%s' from '%s' needs field '%s' = '%s'",
                                     event, from, f0, g->value);
            } else if (view_num(r, ev, g->fields[0]) != g->num) {
                return itsm__err(eng, ITSM_EGUARD, "transition '%s' from '%s' needs field '%s' = %lld",
                                 event, from, f0, (long long)g->num);
            }
            break;
        case ITSM__G_LINK:
            if (!has_link_to_kind(r, g->link_kind))
                return itsm__err(eng, ITSM_EGUARD, "transition '%s' from '%s' needs a linked %s",
                                 event, from, itsm_kind_name(g->link_kind));
            break;
        }
    }
    return ITSM_OK;
}

static int batch_fire_found(itsm_record *r, int e, const itsm__transition *t, const itsm_change *changes,
                            size_t n, itsm_time at);

int itsm_record_fire(itsm_record *r, const char *event, const itsm_change *changes, size_t n)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    if (!event)
        return itsm__err(eng, ITSM_EINVAL, "event is NULL");
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    const char *from = lc->states[r->state];
    int e = itsm__lc_event(lc, event);
    if (e < 0) {
        /* Echo the name only when it could be one, so a message never
         * carries invalid UTF-8 or control bytes from the caller. */
        size_t len = 0;
        while (len <= 63 && ((event[len] >= 'a' && event[len] <= 'z') ||
                             (event[len] >= '0' && event[len] <= '9') || event[len] == '_'))
            len++;
        if (len == 0 || len > 63 || event[len] != '\0')
            return itsm__err(eng, ITSM_ETRANSITION, "no transition from '%s': the event name is not "
                             "1..63 characters of a-z, 0-9 and _", from);
        return itsm__err(eng, ITSM_ETRANSITION, "no transition '%s' from '%s': the %s lifecycle has no event '%s'",
                         event, from, itsm_kind_name((itsm_kind)r->kind), event);
    }
    const itsm__transition *t = itsm__find_transition(eng, r->kind, r->state, e);
    if (!t)
        return itsm__err(eng, ITSM_ETRANSITION, "no transition '%s' from '%s' for %s %s", event, from,
                         itsm_kind_name((itsm_kind)r->kind), r->id);
    itsm_time at = 0;
    if ((rc = itsm__now(eng, &at)))
        return rc;

    /* The step itself (guards, changes, the policy's stamps, clears and
     * counters) is built by itsm__batch_fire, which larger steps reuse. */
    itsm__batch_begin(eng);
    if ((rc = batch_fire_found(r, e, t, changes, n, at))) {
        itsm__batch_abort(eng);
        return rc;
    }
    return itsm__batch_commit(eng);
}

/* ---- notes ---- */

ITSM__DEFINE_INIT(itsm_note_opts_init, itsm_note_opts, ITSM_NOTE_OPTS_VERSION, ITSM_NOTE_OPTS_INIT)

int itsm_record_add_note(itsm_record *r, const itsm_note_opts *opts)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    int rc;
    if ((rc = itsm__check_entry(eng)) || (rc = check_open_record(eng, r, "add a note to")))
        return rc;
    if (!opts)
        return itsm__err(eng, ITSM_EINVAL, "note options are NULL");
    if ((rc = itsm__version_out(eng, opts->version, ITSM_NOTE_OPTS_VERSION, "note options")))
        return rc;
    if (opts->kind != ITSM_NOTE_WORK && opts->kind != ITSM_NOTE_CUSTOMER)
        return itsm__err(eng, ITSM_EINVAL, "note kind must be work or customer");
    itsm_time at = 0;
    if ((rc = itsm__now(eng, &at)))
        return rc;
    const char *what = opts->kind == ITSM_NOTE_CUSTOMER ? "a customer update" : "a work note";
    if (!opts->text || !*opts->text)
        return itsm__err(eng, ITSM_EINVAL, "%s needs its text%s", what,
                         opts->kind == ITSM_NOTE_CUSTOMER ? " (the actions taken)" : "");
    size_t n = strlen(opts->text);
    if (n > ITSM_MAX_TEXT)
        return itsm__err(eng, ITSM_ELIMIT, "note is %zu bytes; the limit is %d", n, ITSM_MAX_TEXT);
    if (!itsm__utf8_valid(opts->text, n))
        return itsm__err(eng, ITSM_EINVAL, "note is not valid UTF-8");
    if (opts->kind == ITSM_NOTE_CUSTOMER) {
        if (opts->expected_restoration == ITSM_TIME_NONE)
            return itsm__err(eng, ITSM_EINVAL, "a customer update needs the expected restoration time");
        if (opts->next_update == ITSM_TIME_NONE)
            return itsm__err(eng, ITSM_EINVAL, "a customer update needs the next update time");
        if ((rc = itsm__check_time(eng, opts->expected_restoration, "expected restoration time")) ||
            (rc = itsm__check_time(eng, opts->next_update, "next update time")))
            return rc;
        if (opts->next_update <= at)
            return itsm__err(eng, ITSM_EINVAL, "the next update time must be after the update itself");
    }
    itsm__batch_begin(eng);
    itsm_event *ev = itsm__batch_add(eng, ITSM__EV_NOTE, r, at);
    if (!ev)
        return ITSM_ENOMEM;
    ev->note.kind = (int)opts->kind;
    ev->note.at = at;
    ev->note.author = eng->actor;
    ev->note.eta = opts->kind == ITSM_NOTE_CUSTOMER ? opts->expected_restoration : ITSM_TIME_NONE;
    ev->note.next_update = opts->kind == ITSM_NOTE_CUSTOMER ? opts->next_update : ITSM_TIME_NONE;
    ev->note.text = itsm__strndup(&eng->alloc, opts->text, n);
    ev->note_owned = ev->note.text != NULL;
    if (!ev->note.text || (rc = itsm__reserve_note(eng, r))) {
        itsm__batch_abort(eng);
        return itsm__oom(eng);
    }
    return itsm__batch_commit(eng);
}

/* ---- links ---- */

static int has_link(const itsm_record *r, int kind, const itsm_record *target)
{
    for (uint32_t i = 0; i < r->nlinks; i++)
        if (r->links[i].kind == kind && r->links[i].target == target)
            return 1;
    return 0;
}

int itsm_record_link(itsm_record *from, itsm_link_kind kind, itsm_record *to)
{
    if (!from)
        return ITSM_EINVAL;
    itsm_engine *eng = from->eng;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    if (!to || to->eng != eng)
        return itsm__err(eng, ITSM_EINVAL, "the target record is NULL or belongs to another engine");
    if (to == from)
        return itsm__err(eng, ITSM_EINVAL, "record %s cannot be linked to itself", from->id);
    int back;
    switch (kind) {
    case ITSM_LINK_RELATED: back = ITSM_LINK_RELATED; break;
    case ITSM_LINK_PARENT:  back = ITSM_LINK_CHILD; break;
    case ITSM_LINK_CHILD:   back = ITSM_LINK_PARENT; break;
    default:
        return itsm__err(eng, ITSM_EINVAL, "unknown link kind %d", (int)kind);
    }
    /* Twice, or parent and child of the same record at once. */
    if (has_link(from, (int)kind, to) || (kind != ITSM_LINK_RELATED && has_link(from, back, to)))
        return itsm__err(eng, ITSM_EEXISTS, "%s is already linked to %s", from->id, to->id);
    itsm_time at = 0;
    if ((rc = itsm__now(eng, &at)))
        return rc;
    itsm__batch_begin(eng);
    itsm_event *a = itsm__batch_add(eng, ITSM__EV_LINK, from, at);
    itsm_event *b = a ? itsm__batch_add(eng, ITSM__EV_LINK, to, at) : NULL;
    if (!a || !b) {
        itsm__batch_abort(eng);
        return ITSM_ENOMEM;
    }
    a->link_kind = (int)kind;
    a->target = to;
    b->link_kind = back;
    b->target = from;
    if ((rc = itsm__reserve_link(eng, from)) || (rc = itsm__reserve_link(eng, to))) {
        itsm__batch_abort(eng);
        return rc;
    }
    return itsm__batch_commit(eng);
}

/* ---- a transition as one event of the batch being built ----
 * Used by itsm_record_fire and by larger steps (problem fixes resuming
 * incidents, a parent resolving its children, auto-close). Effects the
 * policy attaches to the step follow the caller's changes; a field the
 * caller set in the same call wins over a clear. */

int itsm__batch_fire(itsm_record *r, const char *event, const itsm_change *changes, size_t n, itsm_time at)
{
    itsm_engine *eng = r->eng;
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    const char *from = lc->states[r->state];
    int e = itsm__lc_event(lc, event);
    const itsm__transition *t = e < 0 ? NULL : itsm__find_transition(eng, r->kind, r->state, e);
    if (!t)
        return itsm__err(eng, ITSM_ETRANSITION, "no transition '%.64s' from '%s' for %s %s", event, from,
                         itsm_kind_name((itsm_kind)r->kind), r->id);
    return batch_fire_found(r, e, t, changes, n, at);
}

/* itsm__batch_fire once event `e` and its transition `t` are known
 * (itsm_record_fire has looked them up already). */
static int batch_fire_found(itsm_record *r, int e, const itsm__transition *t, const itsm_change *changes,
                            size_t n, itsm_time at)
{
    itsm_engine *eng = r->eng;
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    const char *from = lc->states[r->state];
    itsm_event *ev = itsm__batch_add(eng, ITSM__EV_TRANSITION, r, at);
    if (!ev)
        return ITSM_ENOMEM;
    ev->ev_name = lc->events[e];
    ev->from_name = from;
    ev->to_state = t->to;
    ev->to_name = lc->states[t->to];
    int rc;
    if ((rc = itsm__put_changes(eng, ev, changes, n)) || (rc = guard_fails(eng, r, ev, t, lc->events[e], from)))
        return rc;
    for (unsigned i = 0; i < t->nclears && !rc; i++) {
        if (itsm__ev_find(ev, t->clears[i]) || !view_has(r, ev, t->clears[i]))
            continue;
        if (!itsm__ev_change(ev, t->clears[i]))
            rc = itsm__err(eng, ITSM_ELIMIT, "too many changes in one step");
    }
    for (unsigned i = 0; i < t->nstamps && !rc; i++) {
        if (t->stamp_once[i] && r->num[SLOT(t->stamps[i])] != ITSM_TIME_NONE)
            continue;
        if (itsm__ev_find(ev, t->stamps[i]))   /* named twice in the stamp: one change, not a duplicate key */
            continue;
        itsm__change *c = itsm__ev_change(ev, t->stamps[i]);
        if (!c)
            rc = itsm__err(eng, ITSM_ELIMIT, "too many changes in one step");
        else
            c->num = at;
    }
    if (!rc && t->counts_reopen) {
        itsm__change *c = itsm__ev_change(ev, ITSM_F_REOPENS);
        if (!c)
            rc = itsm__err(eng, ITSM_ELIMIT, "too many changes in one step");
        else
            c->num = r->num[SLOT(ITSM_F_REOPENS)] + 1;
    }
    return rc ? rc : derive(eng, r, ev);
}

int itsm__fire_check(itsm_record *r, const char *event)
{
    itsm_engine *eng = r->eng;
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    int e = itsm__lc_event(lc, event);
    const itsm__transition *t = e < 0 ? NULL : itsm__find_transition(eng, r->kind, r->state, e);
    if (!t)
        return ITSM_ETRANSITION;
    static const itsm_event none;   /* no changes: guards read the record alone */
    return guard_fails(eng, r, &none, t, lc->events[e], lc->states[r->state]);
}
