/* SPDX-License-Identifier: Apache-2.0 */
/* Events: accessors and the stable JSON form (version 1, docs/events.md). */
#include "core/core.h"
#include "kit/json.h"
#include "kit/sha256.h"

#include <stddef.h>
#include <string.h>

static const char *const type_names[] = { NULL, "open", "update", "transition", "note", "link" };
static const char *const note_kinds[] = { NULL, "work", "customer", "system" };
static const char *const link_kinds[] = { NULL, "related", "parent", "child" };

const char *itsm__event_type_name(int type)
{
    return (type >= ITSM__EV_OPEN && type <= ITSM__EV_LINK) ? type_names[type] : "unknown";
}

const char *itsm_event_type(const itsm_event *ev)
{
    if (!ev)
        return NULL;
    return ev->type == ITSM__EV_EXT ? ev->cls->name : itsm__event_type_name(ev->type);
}

const itsm__evclass *itsm__evclass_find(const char *name)
{
    for (size_t i = 0; i < itsm__ncapabilities; i++)
        for (const itsm__evclass *const *c = itsm__capabilities[i]->classes; c && *c; c++)
            if (strcmp((*c)->name, name) == 0)
                return *c;
    return NULL;
}
void itsm__evclass_free_ext(itsm_engine *eng, itsm_event *ev)
{
    itsm__free(&eng->alloc, ev->ext);
    ev->ext = NULL;
}

const char *itsm_event_record_id(const itsm_event *ev) { return ev ? ev->rec->id : NULL; }
itsm_kind itsm_event_record_kind(const itsm_event *ev) { return ev ? (itsm_kind)ev->rec->kind : (itsm_kind)0; }
uint64_t itsm_event_revision(const itsm_event *ev) { return ev ? ev->rev : 0; }
uint64_t itsm_event_fields(const itsm_event *ev) { return ev ? ev->fset : 0; }
const itsm_record *itsm_event_record(const itsm_event *ev) { return ev ? ev->rec : NULL; }

/* The inline readers of itsm/event.h read struct itsm_event's leading
 * members through itsm_event_head: a change of those members (their order,
 * their types) must change the header's head and bump ITSM_EVENT_LAYOUT,
 * so that hosts built against the old one read through the getters. */
#define ITSM__HEAD_AT(ours, theirs) \
    (offsetof(struct itsm_event, ours) == offsetof(itsm_event_head, theirs) && \
     sizeof(((struct itsm_event *)0)->ours) == sizeof(((itsm_event_head *)0)->theirs))
_Static_assert(ITSM__HEAD_AT(type, type_) && ITSM__EV_TRANSITION == 3, "itsm_event_head: type");
_Static_assert(ITSM__HEAD_AT(rec, record), "itsm_event_head: record");
_Static_assert(ITSM__HEAD_AT(rev, revision), "itsm_event_head: revision");
_Static_assert(ITSM__HEAD_AT(at, time), "itsm_event_head: time");
_Static_assert(ITSM__HEAD_AT(to_name, to_state_), "itsm_event_head: to_state_");
_Static_assert(ITSM__HEAD_AT(fset, fields), "itsm_event_head: fields");
int itsm_event_layout(void) { return ITSM_EVENT_LAYOUT; }
itsm_time itsm_event_time(const itsm_event *ev) { return ev ? ev->at : ITSM_TIME_NONE; }
const char *itsm_event_actor(const itsm_event *ev) { return ev ? ev->actor : NULL; }
const char *itsm_event_name(const itsm_event *ev)
{
    return ev && ev->type == ITSM__EV_TRANSITION ? ev->ev_name : NULL;
}
const char *itsm_event_from_state(const itsm_event *ev)
{
    return ev && ev->type == ITSM__EV_TRANSITION ? ev->from_name : NULL;
}
const char *itsm_event_to_state(const itsm_event *ev)
{
    return ev && ev->type == ITSM__EV_TRANSITION ? ev->to_name : NULL;
}

const char *itsm__note_kind_name(int kind)
{
    return (kind >= 1 && kind <= 3) ? note_kinds[kind] : NULL;
}
const char *itsm__link_kind_name(int kind)
{
    return (kind >= 1 && kind <= 3) ? link_kinds[kind] : NULL;
}

static void write_change(itsm__jw *w, const itsm_engine *eng, const itsm__change *c, int applied)
{
    const itsm__field_info *fi = itsm__field_of(eng, c->field);
    if (c->field < ITSM_F__COUNT)   /* a built-in field: its entry of the binary form's key table */
        itsm__jw_keyc(w, ITSM__K_FIELD0 + (int)c->field);
    else
        itsm__jw_key(w, fi->name);
    switch (fi->type) {
    case ITSM_TYPE_TEXT:
        /* Before apply the value is in `owned`; after, `str` points at the
         * record's copy (see apply_changes). */
        itsm__jw_str(w, applied ? c->str : c->owned);
        break;
    case ITSM_TYPE_SYMBOL:
    case ITSM_TYPE_ENUM:
        itsm__jw_str(w, c->str);
        break;
    case ITSM_TYPE_BOOL:
        itsm__jw_bool(w, c->num != 0);
        break;
    case ITSM_TYPE_TIME:
        itsm__jw_time(w, c->num);
        break;
    default:
        if (c->num != ITSM__CX_UNSET)
            itsm__jw_int(w, c->num);
        else if (c->str)   /* a clear as older engines wrote it (core/fields.h) */
            itsm__jw_int(w, 0);
        else   /* an int's clear */
            itsm__jw_null(w);
        break;
    }
}

/* The event through a writer: JSON text or the binary form, the same calls. */
int itsm__event_json(const itsm_event *ev, itsm__jw *w_, int with_hash)
{
    itsm__jw w = *w_;
    itsm__jw_obj_begin(&w);
    itsm__jw_keyc(&w, ITSM__K_V);
    itsm__jw_int(&w, 1);
    /* the type and kind names are the library's own ASCII literals */
    const char *type = itsm_event_type(ev);
    const char *kind = ev->rec->kind ? itsm_kind_name((itsm_kind)ev->rec->kind) : "policy";   /* 0: a policy event */
    itsm__jw_keyc(&w, ITSM__K_TYPE);
    itsm__jw_ascii(&w, type, strlen(type));
    itsm__jw_keyc(&w, ITSM__K_RECORD);
    itsm__jw_str(&w, ev->rec->id);
    itsm__jw_keyc(&w, ITSM__K_KIND);
    itsm__jw_ascii(&w, kind, strlen(kind));
    itsm__jw_keyc(&w, ITSM__K_REV);
    itsm__jw_int(&w, (int64_t)ev->rev);
    itsm__jw_keyc(&w, ITSM__K_AT);
    itsm__jw_time(&w, ev->at);
    if (ev->actor) {
        itsm__jw_keyc(&w, ITSM__K_ACTOR);
        itsm__jw_str(&w, ev->actor);
    }
    switch (ev->type) {
    case ITSM__EV_OPEN:
        itsm__jw_keyc(&w, ITSM__K_STATE);
        itsm__jw_str(&w, ev->to_name);
        break;
    case ITSM__EV_TRANSITION:
        itsm__jw_keyc(&w, ITSM__K_EVENT);
        itsm__jw_str(&w, ev->ev_name);
        itsm__jw_keyc(&w, ITSM__K_FROM);
        itsm__jw_str(&w, ev->from_name);
        itsm__jw_keyc(&w, ITSM__K_TO);
        itsm__jw_str(&w, ev->to_name);
        break;
    case ITSM__EV_NOTE:
        itsm__jw_keyc(&w, ITSM__K_NOTE);
        itsm__jw_obj_begin(&w);
        itsm__jw_keyc(&w, ITSM__K_KIND);
        itsm__jw_str(&w, itsm__note_kind_name(ev->note.kind));
        itsm__jw_keyc(&w, ITSM__K_TEXT);
        itsm__jw_str(&w, ev->note.text);
        if (ev->note.kind == ITSM_NOTE_CUSTOMER) {
            itsm__jw_keyc(&w, ITSM__K_EXPECTED_RESTORATION);
            itsm__jw_time(&w, ev->note.eta);
            itsm__jw_keyc(&w, ITSM__K_NEXT_UPDATE);
            itsm__jw_time(&w, ev->note.next_update);
        }
        itsm__jw_obj_end(&w);
        break;
    case ITSM__EV_LINK:
        itsm__jw_keyc(&w, ITSM__K_LINK);
        itsm__jw_obj_begin(&w);
        itsm__jw_keyc(&w, ITSM__K_KIND);
        itsm__jw_str(&w, itsm__link_kind_name(ev->link_kind));
        itsm__jw_keyc(&w, ITSM__K_TARGET);
        itsm__jw_str(&w, ev->target->id);
        itsm__jw_keyc(&w, ITSM__K_TARGET_KIND);
        itsm__jw_str(&w, itsm_kind_name((itsm_kind)ev->target->kind));
        itsm__jw_obj_end(&w);
        break;
    case ITSM__EV_EXT:
        if (ev->cls->write)
            ev->cls->write(ev, &w);
        break;
    default:
        break;
    }
    if (ev->nchanges) {
        itsm__jw_keyc(&w, ITSM__K_SET);
        itsm__jw_obj_begin(&w);
        for (unsigned i = 0; i < ev->nchanges; i++)
            write_change(&w, ev->rec->eng, &ev->changes[i], ev->applied);
        itsm__jw_obj_end(&w);
    }
    if (ev->rec->kind && !ev->no_pv) {   /* the version in force (none: a policy event, an old store's) */
        itsm__jw_key_untabled(&w, "pv", 2);
        itsm__jw_ascii(&w, ev->rec->eng->vers[ev->pv]->id, 16);
    }
    if (with_hash && ev->chained) {
        /* Last, so the canonical form is the event without it. */
        char hex[65];
        itsm__hex32(ev->chain, hex);
        itsm__jw_key(&w, "hash");
        itsm__jw_ascii(&w, hex, 64);
    }
    itsm__jw_obj_end(&w);
    *w_ = w;
    return ITSM_OK;
}

int itsm_event_to_json(const itsm_event *ev, char *buf, size_t cap, size_t *len)
{
    if (!ev || !len || (!buf && cap))
        return ITSM_EINVAL;
    itsm__jw w;
    itsm__jw_init(&w, buf, cap);
    itsm__event_json(ev, &w, 1);
    return itsm__jw_finish(&w, len);
}

/* The binary form from the canonical one the chain wrote for this step:
 * the same bytes with the "hash" member put before the object's end
 * (0x01 4 "hash": a key outside the table; 0x05 64: its string). */
static int binary_of_canon(const itsm_event *ev, void *buf, size_t cap, size_t *len)
{
    static const unsigned char key[] = { 0x01, 0x04, 'h', 'a', 's', 'h', 0x05, 0x40 };
    size_t body = ev->ncanon - 1;   /* without the object's end */
    *len = ev->chained ? body + sizeof key + 64 + 1 : ev->ncanon;
    if (*len > cap)
        return ITSM_ELIMIT;
    unsigned char *o = buf;
    if (!ev->chained) {
        memcpy(o, ev->canon, ev->ncanon);
        return ITSM_OK;
    }
    memcpy(o, ev->canon, body);
    memcpy(o + body, key, sizeof key);
    itsm__hex32(ev->chain, (char *)o + body + sizeof key);   /* 64 digits and a NUL, overwritten below */
    o[*len - 1] = 0x00;
    return ITSM_OK;
}

int itsm_event_to_binary(const itsm_event *ev, void *buf, size_t cap, size_t *len)
{
    if (!ev || !len || (!buf && cap))
        return ITSM_EINVAL;
    if (ev->canon)
        return binary_of_canon(ev, buf, cap, len);
    itsm__jw w;
    itsm__jw_init_bin(&w, buf, cap);
    itsm__event_json(ev, &w, 1);
    return itsm__jw_finish(&w, len);
}

/* Either form into the other, through the tree. */
static int convert(const void *in, size_t len, int to_bin, void *buf, size_t cap, size_t *out_len,
                   itsm_parse_error *err)
{
    if (!in || !out_len || (!buf && cap))
        return ITSM_EINVAL;
    itsm__jdoc *doc;
    *out_len = 0;   /* an input refused (its ITSM_ELIMIT too) leaves no length to ask for */
    int rc = to_bin ? itsm__json_parse(&doc, in, len, NULL, NULL, err) : itsm__bin_parse(&doc, in, len, NULL, NULL, err);
    if (rc)
        return rc;
    itsm__jw w;
    if (to_bin)
        itsm__jw_init_bin(&w, buf, cap);
    else
        itsm__jw_init(&w, buf, cap);
    itsm__jw_value(&w, itsm__jdoc_root(doc));
    itsm__jdoc_free(doc);
    return itsm__jw_finish(&w, out_len);
}

int itsm_event_json_to_binary(const char *json, size_t len, void *buf, size_t cap, size_t *out_len,
                              itsm_parse_error *err)
{
    return convert(json, len, 1, buf, cap, out_len, err);
}

int itsm_event_binary_to_json(const void *bin, size_t len, char *buf, size_t cap, size_t *out_len,
                              itsm_parse_error *err)
{
    return convert(bin, len, 0, buf, cap, out_len, err);
}
