/* SPDX-License-Identifier: Apache-2.0 */
/* Reading records: getters never change a record; the by-index ones that
 * fail set the engine's message (and only that). */
#include "core/core.h"
#include "core/abi.h"
#include "kit/json.h"

#include <stdio.h>

const char *itsm_record_id(const itsm_record *r) { return r ? r->id : NULL; }
itsm_kind itsm_record_kind(const itsm_record *r) { return r ? (itsm_kind)r->kind : (itsm_kind)0; }
uint64_t itsm_record_revision(const itsm_record *r) { return r ? r->rev : 0; }
itsm_engine *itsm_record_engine(const itsm_record *r) { return r ? r->eng : NULL; }

const char *itsm_record_state(const itsm_record *r)
{
    return r ? itsm__lifecycle_of(r->eng, r->kind)->states[r->state] : NULL;
}

int itsm_record_is_open(const itsm_record *r)
{
    return r ? !itsm__lc_is_closed(itsm__lifecycle_of(r->eng, r->kind), r->state) : 0;
}

/* ---- custom fields: a block of values per record that has any ---- */

static int is_str_type(itsm_field_type t)
{
    return t == ITSM_TYPE_TEXT || t == ITSM_TYPE_SYMBOL || t == ITSM_TYPE_ENUM;
}

static const itsm__cxv *block_of(const itsm_record *r)
{
    return r->x->cx ? r->eng->cxs[r->x->cx - 1] : NULL;
}

const char *itsm__custom_str(const itsm_record *r, itsm_field f)
{
    const itsm__field_info *fi = itsm__field_of(r->eng, f);
    const itsm__cxv *b = block_of(r);
    return fi && b && is_str_type(fi->type) ? b[fi->slot].s : NULL;
}

/* The value in the block as stored: ITSM__CX_UNSET for an unset int. */
static int64_t custom_raw(const itsm_record *r, const itsm__field_info *fi)
{
    const itsm__cxv *b = block_of(r);
    if (b)
        return b[fi->slot].n;
    return fi->type == ITSM_TYPE_TIME ? ITSM_TIME_NONE : fi->type == ITSM_TYPE_INT ? ITSM__CX_UNSET : 0;
}

int64_t itsm__custom_num(const itsm_record *r, itsm_field f)
{
    const itsm__field_info *fi = itsm__field_of(r->eng, f);
    if (!fi || is_str_type(fi->type))
        return 0;
    int64_t v = custom_raw(r, fi);
    return v == ITSM__CX_UNSET ? 0 : v;
}

/* A custom number or time as it will be once `ev` applies, unset included. */
static int64_t view_raw(const itsm_record *r, const itsm_event *ev, itsm_field f)
{
    const itsm__change *c = itsm__ev_find(ev, f);
    if (c)
        return c->num;
    const itsm__field_info *fi = r ? itsm__field_of(r->eng, f) : NULL;
    return fi ? custom_raw(r, fi) : ITSM_TIME_NONE;
}

int64_t itsm__view_num_custom(const itsm_record *r, const itsm_event *ev, itsm_field f)
{
    int64_t v = view_raw(r, ev, f);
    return v == ITSM__CX_UNSET ? 0 : v;
}

const char *itsm__view_str_custom(const itsm_record *r, const itsm_event *ev, itsm_field f)
{
    const itsm__change *c = itsm__ev_find(ev, f);
    if (c)
        return c->owned && !ev->applied ? c->owned : c->str;
    return r ? itsm__custom_str(r, f) : NULL;
}

int itsm__view_has_custom(const itsm_record *r, const itsm_event *ev, itsm_field f)
{
    const itsm__field_info *fi = r ? itsm__field_of(r->eng, f) : NULL;
    switch (fi ? fi->type : ITSM_TYPE_TEXT) {
    case ITSM_TYPE_TEXT:
        return itsm__text_present(itsm__view_str_custom(r, ev, f));
    case ITSM_TYPE_SYMBOL:
    case ITSM_TYPE_ENUM:
        return itsm__view_str_custom(r, ev, f) != NULL;
    case ITSM_TYPE_TIME:
        return view_raw(r, ev, f) != ITSM_TIME_NONE;
    case ITSM_TYPE_INT:   /* 0 is a value: set once given one, until cleared */
        return view_raw(r, ev, f) != ITSM__CX_UNSET;
    default:   /* a bool counts as set when true */
        return view_raw(r, ev, f) != 0;
    }
}

size_t itsm__custom_format(const itsm_record *r, char *buf, size_t cap)
{
    const itsm_policy *p = r->eng->policy;
    const itsm__cxv *b = block_of(r);
    size_t len = 0;
    if (cap)
        buf[0] = '\0';
    for (uint32_t i = 0; b && i < p->ncf; i++) {
        const itsm__field_info *fi = &p->cf[i].info;
        const itsm__cxv *v = &b[fi->slot];
        char num[24];
        const char *text = NULL;
        if (is_str_type(fi->type)) {
            text = v->s;
        } else if (fi->type == ITSM_TYPE_TIME) {
            if (v->n != ITSM_TIME_NONE) {
                itsm__time_format(v->n, num);
                text = num;
            }
        } else if (fi->type == ITSM_TYPE_BOOL ? v->n != 0 : v->n != ITSM__CX_UNSET) {
            if (fi->type == ITSM_TYPE_BOOL)
                text = "true";
            else {
                snprintf(num, sizeof num, "%lld", (long long)v->n);
                text = num;
            }
        }
        if (!text)
            continue;
        int n = snprintf(len < cap ? buf + len : NULL, len < cap ? cap - len : 0, "%s%s %s", len ? ", " : "",
                         fi->name, text);
        len += n > 0 ? (size_t)n : 0;
    }
    return len;
}

const char *itsm_record_str(const itsm_record *r, itsm_field f)
{
    if ((unsigned)f < ITSM_F__COUNT) {   /* a built-in field first: hosts read them per event */
        const itsm__field_info *fi = &itsm__fields[f];
        return r && (fi->type == ITSM_TYPE_SYMBOL || fi->type == ITSM_TYPE_TEXT) ? itsm__rec_str(r, fi->slot)
                                                                                  : NULL;
    }
    return r && itsm__field_custom((int)f) ? itsm__custom_str(r, f) : NULL;
}

int64_t itsm_record_int(const itsm_record *r, itsm_field f)
{
    if (itsm__field_custom((int)f))
        return r ? itsm__custom_num(r, f) : 0;
    if (!itsm__field_valid((int)f) || itsm__field_is_str(f))
        return 0;
    if (!r)
        return itsm__fields[f].type == ITSM_TYPE_TIME ? ITSM_TIME_NONE : 0;
    return itsm__rec_num(r, itsm__fields[f].slot);
}

int itsm_record_has(const itsm_record *r, itsm_field f)
{
    if (!r)
        return 0;
    const itsm__field_info *fi = itsm__field_of(r->eng, f);
    if (!fi)
        return 0;
    if (fi->type == ITSM_TYPE_TEXT)   /* blank text says nothing, as guards see it */
        return itsm__text_present(itsm_record_str(r, f));
    if (is_str_type(fi->type))
        return itsm_record_str(r, f) != NULL;
    if (itsm__field_custom((int)f)) {
        int64_t v = custom_raw(r, fi);
        if (fi->type == ITSM_TYPE_TIME)
            return v != ITSM_TIME_NONE;
        return fi->type == ITSM_TYPE_INT ? v != ITSM__CX_UNSET : v != 0;   /* an int given 0 is set */
    }
    int64_t v = itsm_record_int(r, f);
    return fi->type == ITSM_TYPE_TIME ? v != ITSM_TIME_NONE : v != 0;
}

size_t itsm_record_timeline_count(const itsm_record *r) { return r ? r->x->nnotes : 0; }

int itsm_record_timeline_at(const itsm_record *r, size_t index, itsm_timeline_entry *out)
{
    if (!r)
        return ITSM_EINVAL;
    if (!out)
        return itsm__err_const(r->eng, ITSM_EINVAL, "itsm_record_timeline_at: out is NULL");
    int rc = ITSM__SIZED(r->eng, out, itsm_timeline_entry, json);
    if (rc)
        return rc;
    if (index >= r->x->nnotes)
        return itsm__err_const(r->eng, ITSM_EINVAL,
                               "itsm_record_timeline_at: timeline index %zu is out of range (%s has %u entries)",
                               index, r->id, (unsigned)r->x->nnotes);
    const itsm__note *n = &r->x->notes[index];
    itsm_timeline_entry e = { sizeof e, (itsm_note_kind)n->kind, n->at, n->author, n->text, n->eta,
                              n->next_update, "note", 0, NULL, NULL, NULL, 0, NULL };
    itsm__sized_put(out, out->size, &e);
    return ITSM_OK;
}

size_t itsm_record_link_count(const itsm_record *r) { return r ? r->x->nlinks : 0; }

int itsm_record_link_at(const itsm_record *r, size_t index, itsm_link *out)
{
    if (!r)
        return ITSM_EINVAL;
    if (!out)
        return itsm__err_const(r->eng, ITSM_EINVAL, "itsm_record_link_at: out is NULL");
    int rc = ITSM__SIZED(r->eng, out, itsm_link, target_id);
    if (rc)
        return rc;
    if (index >= r->x->nlinks)
        return itsm__err_const(r->eng, ITSM_EINVAL,
                               "itsm_record_link_at: link index %zu is out of range (%s has %u links)",
                               index, r->id, (unsigned)r->x->nlinks);
    itsm_link l = { sizeof l, (itsm_link_kind)r->x->links[index].kind, (itsm_kind)r->x->links[index].target->kind,
                    r->x->links[index].target->id };
    itsm__sized_put(out, out->size, &l);
    return ITSM_OK;
}
