/* SPDX-License-Identifier: Apache-2.0 */
/* A record's whole history (itsm_record_timeline): every stored event of
 * the record, read back through the store's read_record at the call, so
 * the engine keeps no history in memory. The old value of each change is
 * found by folding the record's events in order; what an event of any
 * type did is said from its stable JSON alone, so event types added later
 * show up without code here. Without read_record: the engine's notes. */
#include "core/core.h"
#include "core/abi.h"
#include "kit/json.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The snapshot's strings live in blocks it owns. */
typedef struct tl_block {
    struct tl_block *next;
    size_t used, cap;
    char data[];
} tl_block;

typedef struct tl_change { const char *field, *old_value, *new_value; } tl_change;
typedef struct tl_entry { itsm_timeline_entry e; size_t first_change, json_len; } tl_entry;

struct itsm_timeline {
    itsm_allocator alloc;
    itsm_json_limits limits;   /* the engine's, to read an event again (itsm__timeline_flag) */
    tl_entry  *v;
    size_t     n, cap;
    tl_change *ch;
    size_t     nch, cch;
    tl_block  *blocks;
    int        complete;
};

/* A copy of s[0..n) in the timeline's blocks; NULL when out of memory. */
static char *keep(itsm_timeline *tl, const char *s, size_t n)
{
    tl_block *b = tl->blocks;
    if (!b || b->cap - b->used < n + 1) {
        size_t cap = n + 1 > 16384 ? n + 1 : 16384;
        if (!(b = itsm__malloc(&tl->alloc, sizeof *b + cap)))
            return NULL;
        b->next = tl->blocks;
        b->used = 0;
        b->cap = cap;
        tl->blocks = b;
    }
    char *p = b->data + b->used;
    memcpy(p, s, n);
    p[n] = '\0';
    b->used += n + 1;
    return p;
}

void itsm_timeline_free(itsm_timeline *tl)
{
    if (!tl)
        return;
    itsm_allocator a = tl->alloc;
    while (tl->blocks) {
        tl_block *b = tl->blocks;
        tl->blocks = b->next;
        itsm__free(&a, b);
    }
    itsm__free(&a, tl->v);
    itsm__free(&a, tl->ch);
    itsm__free(&a, tl);
}

/* ---- building from stored events ---- */

/* The value a field has after the events folded so far. */
typedef struct tl_value { const char *field, *value; } tl_value;

/* Text grown while describing one event. */
typedef struct tl_text { char *s; size_t n, cap; int oom; } tl_text;

typedef struct builder {
    itsm_engine   *eng;
    itsm_record   *rec;
    itsm_timeline *tl;
    uint64_t       rev;       /* the last revision read */
    tl_value      *cur;
    size_t         ncur, ccur;
    tl_text        text;
    int            rc;        /* the first failure; the engine's message says why */
} builder;

static void text_add(builder *b, const char *s, size_t n)
{
    tl_text *t = &b->text;
    if (t->oom || itsm__grow(&b->eng->alloc, (void **)&t->s, &t->cap, t->n + n + 1, 1)) {
        t->oom = 1;
        return;
    }
    memcpy(t->s + t->n, s, n);
    t->n += n;
    t->s[t->n] = '\0';
}

static void text_str(builder *b, const char *s) { text_add(b, s, strlen(s)); }

/* A scalar as text: strings as they are, integers in decimal, true/false;
 * NULL for null (and for containers, which a field never holds). */
static const char *scalar(const itsm__jval *v, char num[32])
{
    switch (v->type) {
    case ITSM__JSTRING: return v->u.str.s;
    case ITSM__JTRUE:   return "true";
    case ITSM__JFALSE:  return "false";
    case ITSM__JNUMBER:
        if (v->u.num.is_int)
            snprintf(num, 32, "%lld", (long long)v->u.num.i);
        else
            snprintf(num, 32, "%.17g", v->u.num.d);
        return num;
    default:            return NULL;
    }
}

static int is_envelope(const char *key)
{
    static const char *const env[] = { "v", "type", "record", "kind", "rev", "at", "actor", "set", "pv", "hash", NULL };
    for (int i = 0; env[i]; i++)
        if (!strcmp(key, env[i]))
            return 1;
    return 0;
}

/* "key value" for a scalar, "key a b" for an array of scalars; an object
 * gives its own members that way (one level: a nested document such as a
 * handover packet is left to the event's json). */
static void describe_member(builder *b, const itsm__jmember *m, int depth, int *first)
{
    char num[32];
    const itsm__jval *v = &m->val;
    if (v->type == ITSM__JOBJECT) {
        if (depth == 0)
            for (size_t i = 0; i < v->u.obj.n; i++)
                describe_member(b, &v->u.obj.members[i], depth + 1, first);
        return;
    }
    if (v->type == ITSM__JNULL)
        return;
    text_str(b, *first ? ": " : ", ");
    *first = 0;
    text_str(b, m->key);
    if (v->type == ITSM__JARRAY) {
        for (size_t i = 0; i < v->u.arr.n; i++) {
            const char *s = scalar(&v->u.arr.items[i], num);
            if (s) {
                text_str(b, " ");
                text_str(b, s);
            }
        }
        return;
    }
    text_str(b, " ");
    text_str(b, scalar(v, num));
}

static int fail(builder *b, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int fail(builder *b, int code, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    b->rc = code == ITSM_ENOMEM ? itsm__oom(b->eng) : itsm__err(b->eng, code, "%s", msg);
    return b->rc;
}

static const char *str_member(const itsm__jval *obj, const char *key)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    return v && v->type == ITSM__JSTRING ? v->u.str.s : NULL;
}

static itsm_time time_member(const itsm__jval *obj, const char *key)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    itsm_time t;
    if (!v || v->type != ITSM__JSTRING || itsm__time_parse(v->u.str.s, v->u.str.len, &t) != ITSM_OK)
        return ITSM_TIME_NONE;
    return t;
}

/* Fold the event's `set` into the current values, recording each change. */
static int fold_set(builder *b, const itsm__jval *set, itsm_timeline_entry *e)
{
    itsm_timeline *tl = b->tl;
    char num[32];
    if (!set || set->type != ITSM__JOBJECT)
        return ITSM_OK;
    for (size_t i = 0; i < set->u.obj.n; i++) {
        const itsm__jmember *m = &set->u.obj.members[i];
        size_t k = 0;
        while (k < b->ncur && strcmp(b->cur[k].field, m->key))
            k++;
        if (k == b->ncur) {
            if (itsm__grow(&b->eng->alloc, (void **)&b->cur, &b->ccur, b->ncur + 1, sizeof *b->cur))
                return ITSM_ENOMEM;
            const char *name = keep(tl, m->key, m->klen);
            if (!name)
                return ITSM_ENOMEM;
            b->cur[b->ncur++] = (tl_value){ name, NULL };
        }
        const char *s = scalar(&m->val, num), *now = NULL;
        if (s && !(now = keep(tl, s, strlen(s))))
            return ITSM_ENOMEM;
        if (itsm__grow(&tl->alloc, (void **)&tl->ch, &tl->cch, tl->nch + 1, sizeof *tl->ch))
            return ITSM_ENOMEM;
        tl->ch[tl->nch++] = (tl_change){ b->cur[k].field, b->cur[k].value, now };
        b->cur[k].value = now;
        e->nchanges++;
    }
    return ITSM_OK;
}

/* What the event did, in one line (notes: their text). */
static void describe(builder *b, const char *type, const itsm__jval *root, const itsm_timeline_entry *e)
{
    b->text.n = 0;
    if (!strcmp(type, "open")) {
        text_str(b, "opened in ");
        text_str(b, e->to_state ? e->to_state : "?");
    } else if (!strcmp(type, "transition")) {
        text_str(b, e->event ? e->event : "?");
        text_str(b, ": ");
        text_str(b, e->from_state ? e->from_state : "?");
        text_str(b, " -> ");
        text_str(b, e->to_state ? e->to_state : "?");
    } else if (!strcmp(type, "update")) {
        const itsm__jval *set = itsm__json_get(root, "set");
        text_str(b, "changed");
        for (size_t i = 0; set && set->type == ITSM__JOBJECT && i < set->u.obj.n; i++) {
            text_str(b, i ? ", " : " ");
            text_str(b, set->u.obj.members[i].key);
        }
    } else if (!strcmp(type, "link")) {
        const itsm__jval *l = itsm__json_get(root, "link");
        const char *k = str_member(l, "kind"), *t = str_member(l, "target");
        /* "parent": this record is a child of the target */
        text_str(b, k && !strcmp(k, "parent") ? "child of " : k && !strcmp(k, "child") ? "parent of " : "related to ");
        text_str(b, t ? t : "?");
    } else {
        int first = 1;
        text_str(b, type);
        for (size_t i = 0; i < root->u.obj.n; i++)
            if (!is_envelope(root->u.obj.members[i].key))
                describe_member(b, &root->u.obj.members[i], 0, &first);
    }
}

static int read_event(builder *b, const itsm__jval *root, const char *json, size_t len)
{
    itsm_timeline *tl = b->tl;
    const char *id = b->rec->id;
    const itsm__jval *rev = itsm__json_get(root, "rev");
    const char *type = str_member(root, "type"), *rid = str_member(root, "record");
    itsm_time at = time_member(root, "at");
    if (!type || !rid || !rev || rev->type != ITSM__JNUMBER || !rev->u.num.is_int || at == ITSM_TIME_NONE)
        return fail(b, ITSM_EPARSE, "the store gave %s an event without type, record, rev or at "
                    "after revision %llu", id, (unsigned long long)b->rev);
    if (strcmp(rid, id))
        return fail(b, ITSM_ESTORE, "the store's read_record for %s gave an event of %.64s", id, rid);
    if (rev->u.num.i < 1 || (uint64_t)rev->u.num.i != b->rev + 1)
        return fail(b, ITSM_ESTORE, "the store's read_record for %s gave revision %lld after %llu", id,
                    (long long)rev->u.num.i, (unsigned long long)b->rev);
    b->rev++;

    itsm_timeline_entry e;
    memset(&e, 0, sizeof e);
    e.size = sizeof e;
    e.at = at;
    e.expected_restoration = e.next_update = ITSM_TIME_NONE;
    e.revision = b->rev;
    const char *actor = str_member(root, "actor");
    const char *event = str_member(root, "event"), *from = str_member(root, "from");
    const char *to = str_member(root, !strcmp(type, "open") ? "state" : "to");
    int transition = !strcmp(type, "transition");
    if (!(e.type = keep(tl, type, strlen(type))) || !(e.json = keep(tl, json, len)) ||
        (actor && !(e.author = keep(tl, actor, strlen(actor)))) ||
        (transition && event && !(e.event = keep(tl, event, strlen(event)))) ||
        (transition && from && !(e.from_state = keep(tl, from, strlen(from)))) ||
        ((transition || !strcmp(type, "open")) && to && !(e.to_state = keep(tl, to, strlen(to)))))
        return fail(b, ITSM_ENOMEM, "out of memory");

    if (!strcmp(type, "note")) {
        const itsm__jval *n = itsm__json_get(root, "note");
        const char *k = str_member(n, "kind"), *text = str_member(n, "text");
        e.kind = !k ? (itsm_note_kind)0 : !strcmp(k, "work") ? ITSM_NOTE_WORK
               : !strcmp(k, "customer") ? ITSM_NOTE_CUSTOMER : !strcmp(k, "system") ? ITSM_NOTE_SYSTEM
               : (itsm_note_kind)0;
        e.expected_restoration = time_member(n, "expected_restoration");
        e.next_update = time_member(n, "next_update");
        if (!(e.text = keep(tl, text ? text : "", text ? strlen(text) : 0)))
            return fail(b, ITSM_ENOMEM, "out of memory");
    } else {
        describe(b, type, root, &e);
        if (b->text.oom || !(e.text = keep(tl, b->text.s, b->text.n)))
            return fail(b, ITSM_ENOMEM, "out of memory");
    }
    size_t first = tl->nch;
    if (fold_set(b, itsm__json_get(root, "set"), &e) != ITSM_OK)
        return fail(b, ITSM_ENOMEM, "out of memory");
    if (itsm__grow(&tl->alloc, (void **)&tl->v, &tl->cap, tl->n + 1, sizeof *tl->v))
        return fail(b, ITSM_ENOMEM, "out of memory");
    tl->v[tl->n++] = (tl_entry){ e, first, len };
    return ITSM_OK;
}

static int on_event(void *ctx, const char *json, size_t len)
{
    builder *b = ctx;
    if (b->rc)
        return b->rc;
    if (!json)
        return fail(b, ITSM_EPARSE, "the store gave %s a NULL event after revision %llu", b->rec->id,
                    (unsigned long long)b->rev);
    itsm__jdoc *doc = NULL;
    itsm_parse_error perr;
    memset(&perr, 0, sizeof perr);
    int rc = itsm__event_parse(&doc, json, len, &b->eng->alloc, &b->eng->limits, &perr);
    if (rc == ITSM_ENOMEM)
        return fail(b, rc, "out of memory");
    if (rc)
        return fail(b, rc, "the stored event after revision %llu of %s is not JSON: %s (line %zu, column %zu)",
                    (unsigned long long)b->rev, b->rec->id, perr.text, perr.line, perr.column);
    const itsm__jval *root = itsm__jdoc_root(doc);
    rc = root->type == ITSM__JOBJECT
             ? read_event(b, root, json, len)
             : fail(b, ITSM_EPARSE, "the stored event after revision %llu of %s is not an object",
                    (unsigned long long)b->rev, b->rec->id);
    itsm__jdoc_free(doc);
    return rc;
}

/* ---- without read_record: the notes the engine keeps ---- */

static int from_notes(itsm_timeline *tl, const itsm_record *r)
{
    if (r->x->nnotes && !(tl->v = itsm__calloc(&tl->alloc, r->x->nnotes, sizeof *tl->v)))
        return ITSM_ENOMEM;
    tl->cap = r->x->nnotes;
    for (uint32_t i = 0; i < r->x->nnotes; i++) {
        const itsm__note *n = &r->x->notes[i];
        itsm_timeline_entry e = { sizeof e, (itsm_note_kind)n->kind, n->at, n->author, n->text, n->eta,
                                  n->next_update, "note", 0, NULL, NULL, NULL, 0, NULL };
        /* copied: the snapshot outlives changes to the record */
        if (!(e.text = keep(tl, n->text, strlen(n->text))) ||
            (n->author && !(e.author = keep(tl, n->author, strlen(n->author)))))
            return ITSM_ENOMEM;
        tl->v[tl->n++] = (tl_entry){ e, 0, 0 };
    }
    return ITSM_OK;
}

int itsm_record_timeline(itsm_timeline **out, itsm_record *rec)
{
    if (out)
        *out = NULL;
    if (!rec)
        return ITSM_EINVAL;
    itsm_engine *eng = rec->eng;
    if (!out)
        return itsm__err(eng, ITSM_EINVAL, "itsm_record_timeline: out is NULL");
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    itsm_timeline *tl = itsm__calloc(&eng->alloc, 1, sizeof *tl);
    if (!tl)
        return itsm__oom(eng);
    tl->alloc = eng->alloc;
    tl->limits = eng->limits;
    if (eng->has_store && eng->store.read_record) {
        builder b;
        memset(&b, 0, sizeof b);
        b.eng = eng;
        b.rec = rec;
        b.tl = tl;
        /* The store must not call back into the engine while it reads. */
        eng->in_callback = 1;
        rc = eng->store.read_record(eng->store_user, rec->id, on_event, &b);
        eng->in_callback = 0;
        itsm__free(&eng->alloc, b.cur);
        itsm__free(&eng->alloc, b.text.s);
        if (b.rc)
            rc = b.rc;
        else if (rc)
            itsm__err(eng, rc, "the store's read_record for %s failed (%s)", rec->id, itsm_errname(rc));
        tl->complete = 1;
    } else if ((rc = from_notes(tl, rec)) != ITSM_OK) {
        itsm__oom(eng);
    }
    if (rc) {
        itsm_timeline_free(tl);
        return rc;
    }
    *out = tl;
    return ITSM_OK;
}

itsm_timeline *itsm__history_of(itsm_engine *eng, const itsm_record *r)
{
    if (!eng->has_store || !eng->store.read_record || itsm__entry_blocked(eng))
        return NULL;
    /* A failed read leaves the message of a failure the caller does not
     * report: the message of the engine's last failure stays. */
    itsm__errbuf kept = eng->err;
    itsm_timeline *tl = NULL;
    if (itsm_record_timeline(&tl, (itsm_record *)(uintptr_t)r) != ITSM_OK) {
        eng->err = kept;
        return NULL;
    }
    return tl;
}

itsm_time itsm__history_find(itsm_engine *eng, const itsm_record *r,
                             int (*match)(const itsm_timeline_entry *e, void *arg), void *arg)
{
    itsm_timeline *tl = itsm__history_of(eng, r);
    itsm_time at = ITSM_TIME_NONE;
    for (size_t i = 0; tl && at == ITSM_TIME_NONE && i < tl->n; i++)
        if (match(&tl->v[i].e, arg))
            at = tl->v[i].e.at;
    itsm_timeline_free(tl);
    return at;
}

int itsm__timeline_flag(const itsm_timeline *tl, size_t index, const char *key)
{
    if (!tl || index >= tl->n || !tl->v[index].e.json)
        return -1;
    itsm__jdoc *doc = NULL;
    if (itsm__event_parse(&doc, tl->v[index].e.json, tl->v[index].json_len, &tl->alloc, &tl->limits, NULL) !=
        ITSM_OK)
        return -1;
    const itsm__jval *v = itsm__json_get(itsm__jdoc_root(doc), key);
    int flag = !v ? -1 : v->type == ITSM__JTRUE ? 1 : v->type == ITSM__JFALSE ? 0 : -1;
    itsm__jdoc_free(doc);
    return flag;
}

/* ---- excerpts ---- */

void itsm__timeline_keep(itsm_timeline *tl, int (*wanted)(const itsm_timeline_entry *e))
{
    size_t k = 0;
    for (size_t i = 0; i < tl->n; i++)
        if (wanted(&tl->v[i].e))
            tl->v[k++] = tl->v[i];   /* the changes stay where they are: entries point into them */
    tl->n = k;
}

/* ---- reading ---- */

size_t itsm_timeline_count(const itsm_timeline *tl) { return tl ? tl->n : 0; }
int itsm_timeline_complete(const itsm_timeline *tl) { return tl ? tl->complete : 0; }

int itsm_timeline_at(const itsm_timeline *tl, size_t index, itsm_timeline_entry *out)
{
    char msg[256];
    if (!tl || !out || index >= tl->n || ITSM__SIZED_MSG(out, itsm_timeline_entry, json, msg, sizeof msg))
        return ITSM_EINVAL;
    itsm__sized_put(out, out->size, &tl->v[index].e);
    return ITSM_OK;
}

int itsm_timeline_change_at(const itsm_timeline *tl, size_t index, size_t change, itsm_field_change *out)
{
    char msg[256];
    if (!tl || !out || index >= tl->n || change >= tl->v[index].e.nchanges ||
        ITSM__SIZED_MSG(out, itsm_field_change, new_value, msg, sizeof msg))
        return ITSM_EINVAL;
    const tl_change *c = &tl->ch[tl->v[index].first_change + change];
    itsm_field_change full = { sizeof full, c->field, c->old_value, c->new_value };
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}
