/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The canonical binary form (docs/events.md, "Binary form") of the
 * common events, written straight into the chain's buffer: the bytes the
 * generic writer (itsm__event_json through a binary itsm__jw) gives, with
 * no per-value dispatch between the two forms and one room check per
 * value. Every stored event is hashed in this form, so it is on the path
 * of each step.
 *
 * It declines (the generic writer then writes the event) whatever it does
 * not write byte for byte the same way without more work: extension
 * classes, custom fields, a string that is not ASCII (the generic writer
 * checks its UTF-8), a form that does not fit. tests/test_binary.c checks
 * every event of the story against the form its JSON converts to.
 */
#include "core/core.h"
#include "integrity/chain_int.h"
#include "kit/json.h"

#include <string.h>

typedef struct cw {
    unsigned char *p, *end;
    int            ok;   /* 0: declined (the generic writer's event) */
} cw;

/* Room for n more bytes; declines when there is none. */
static int room(cw *w, size_t n)
{
    if (w->ok && (size_t)(w->end - w->p) >= n)
        return 1;
    w->ok = 0;
    return 0;
}

static unsigned char *varint(unsigned char *p, uint64_t u)
{
    while (u >= 0x80) {
        *p++ = (unsigned char)(u | 0x80);
        u >>= 7;
    }
    *p++ = (unsigned char)u;
    return p;
}

static void key(cw *w, int entry)   /* table entries < 126: one byte */
{
    if (room(w, 1))
        *w->p++ = (unsigned char)(entry + 2);
}

static void ascii(cw *w, const char *s, size_t n)
{
    if (!room(w, n + 11))
        return;
    *w->p++ = 0x05;
    w->p = varint(w->p, n);
    memcpy(w->p, s, n);
    w->p += n;
}

/* A string the host gave: ASCII only here (the generic writer checks
 * other bytes as UTF-8); NULL is null, as the generic writer writes it. */
static void str(cw *w, const char *s)
{
    if (!s) {
        if (room(w, 1))
            *w->p++ = 0x00;
        return;
    }
    size_t n = strlen(s), i = 0;
    for (uint64_t c; i + 8 <= n; i += 8) {
        memcpy(&c, s + i, 8);
        if (c & 0x8080808080808080u) {
            w->ok = 0;
            return;
        }
    }
    for (; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) {
            w->ok = 0;
            return;
        }
    ascii(w, s, n);
}

static void integer(cw *w, int64_t v)
{
    if (room(w, 11)) {
        *w->p++ = 0x03;
        w->p = varint(w->p, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
    }
}

static void when(cw *w, itsm_time t)
{
    if (t < ITSM_TIME_MIN || t > ITSM_TIME_MAX) {
        if (room(w, 1))
            *w->p++ = 0x00;
        return;
    }
    if (room(w, 22)) {
        w->p[0] = 0x05;
        w->p[1] = 20;
        char buf[21];
        itsm__time_format(t, buf);
        memcpy(w->p + 2, buf, 20);
        w->p += 22;
    }
}

static void byte(cw *w, unsigned char b)
{
    if (room(w, 1))
        *w->p++ = b;
}

/* One change of a built-in field, as write_change (core/event.c) writes it. */
static void change(cw *w, const itsm_engine *eng, const itsm__change *c, int applied)
{
    const itsm__field_info *fi = itsm__field_of(eng, c->field);
    key(w, ITSM__K_FIELD0 + (int)c->field);
    switch (fi->type) {
    case ITSM_TYPE_TEXT:
        str(w, applied ? c->str : c->owned);
        break;
    case ITSM_TYPE_SYMBOL:
    case ITSM_TYPE_ENUM:
        str(w, c->str);
        break;
    case ITSM_TYPE_BOOL:
        byte(w, c->num != 0 ? 0x02 : 0x01);
        break;
    case ITSM_TYPE_TIME:
        when(w, c->num);
        break;
    default:
        if (c->num != ITSM__CX_UNSET)
            integer(w, c->num);
        else if (c->str)
            integer(w, 0);
        else
            byte(w, 0x00);
        break;
    }
}

int itsm__canon_fast(const itsm_event *ev, unsigned char *buf, size_t cap, size_t *len)
{
    if (ev->type < ITSM__EV_OPEN || ev->type > ITSM__EV_LINK || !ev->rec->kind)
        return 0;   /* extension classes, policy events: the generic writer */
    for (unsigned i = 0; i < ev->nchanges; i++)
        if (ev->changes[i].field >= ITSM_F__COUNT)
            return 0;   /* custom fields: named, not by the key table */
    cw w = { buf, buf + cap, 1 };
    const itsm_engine *eng = ev->rec->eng;
    if (!room(&w, 6))
        return 0;
    /* magic, version, the object, "v": 1 (zigzag 2) */
    static const unsigned char head[] = { ITSM__BIN_MAGIC, ITSM__BIN_VERSION, 0x07, ITSM__K_V + 2, 0x03, 0x02 };
    memcpy(w.p, head, sizeof head);
    w.p += sizeof head;
    const char *type = itsm__event_type_name(ev->type);
    const char *kind = itsm_kind_name((itsm_kind)ev->rec->kind);
    key(&w, ITSM__K_TYPE);
    ascii(&w, type, strlen(type));
    key(&w, ITSM__K_RECORD);
    str(&w, ev->rec->id);
    key(&w, ITSM__K_KIND);
    ascii(&w, kind, strlen(kind));
    key(&w, ITSM__K_REV);
    integer(&w, (int64_t)ev->rev);
    key(&w, ITSM__K_AT);
    when(&w, ev->at);
    if (ev->actor) {
        key(&w, ITSM__K_ACTOR);
        str(&w, ev->actor);
    }
    switch (ev->type) {
    case ITSM__EV_OPEN:
        key(&w, ITSM__K_STATE);
        str(&w, ev->to_name);
        break;
    case ITSM__EV_TRANSITION:
        key(&w, ITSM__K_EVENT);
        str(&w, ev->ev_name);
        key(&w, ITSM__K_FROM);
        str(&w, ev->from_name);
        key(&w, ITSM__K_TO);
        str(&w, ev->to_name);
        break;
    case ITSM__EV_NOTE:
        key(&w, ITSM__K_NOTE);
        byte(&w, 0x07);
        key(&w, ITSM__K_KIND);
        str(&w, itsm__note_kind_name(ev->note.kind));
        key(&w, ITSM__K_TEXT);
        str(&w, ev->note.text);
        if (ev->note.kind == ITSM_NOTE_CUSTOMER) {
            key(&w, ITSM__K_EXPECTED_RESTORATION);
            when(&w, ev->note.eta);
            key(&w, ITSM__K_NEXT_UPDATE);
            when(&w, ev->note.next_update);
        }
        byte(&w, 0x00);
        break;
    case ITSM__EV_LINK:
        key(&w, ITSM__K_LINK);
        byte(&w, 0x07);
        key(&w, ITSM__K_KIND);
        str(&w, itsm__link_kind_name(ev->link_kind));
        key(&w, ITSM__K_TARGET);
        str(&w, ev->target->id);
        key(&w, ITSM__K_TARGET_KIND);
        str(&w, itsm_kind_name((itsm_kind)ev->target->kind));
        byte(&w, 0x00);
        break;
    default:   /* an update: its changes only */
        break;
    }
    if (ev->nchanges) {
        key(&w, ITSM__K_SET);
        byte(&w, 0x07);
        for (unsigned i = 0; i < ev->nchanges; i++)
            change(&w, eng, &ev->changes[i], ev->applied);
        byte(&w, 0x00);
    }
    static const unsigned char pv[] = { 0x01, 0x02, 'p', 'v', 0x05, 0x10 };
    if (!ev->no_pv && room(&w, sizeof pv + 16)) {   /* "pv": a key outside the table; 16 ASCII digits */
        memcpy(w.p, pv, sizeof pv);
        memcpy(w.p + sizeof pv, eng->vers[ev->pv]->id, 16);
        w.p += sizeof pv + 16;
    }
    byte(&w, 0x00);
    if (!w.ok)
        return 0;
    *len = (size_t)(w.p - buf);
    return 1;
}
