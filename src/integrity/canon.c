/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The canonical binary form (docs/events.md, "Binary form") of the
 * common events, written straight into the chain's buffer: the bytes the
 * generic writer (itsm__event_json through a binary itsm__jw) gives, with
 * no per-value dispatch between the two forms and one room check per
 * value. Every stored event is hashed in this form, so it is on the path
 * of each step.
 *
 * An extension class (the service levels' verdicts, escalation steps,
 * the other capabilities' classes) has its envelope written here and its
 * own members by its class's writer through a binary writer on the rest
 * of the buffer: the calls the generic writer makes, so the same bytes.
 *
 * It declines (the generic writer then writes the event) whatever it does
 * not write byte for byte the same way without more work: policy events,
 * custom fields, a string that is not ASCII (the generic writer checks
 * its UTF-8), a form that does not fit. tests/test_binary.c checks every
 * event of the story, its service-level events among them, against the
 * form its JSON converts to.
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

/* "00".."99" */
static const char digit_pairs[201] = "0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849"
                                     "5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";

/* A time as itsm__time_format writes it; the date part from the last day
 * written (a step's times mostly fall on one day), the rest by table. */
static void when(cw *w, canon_day *cd, itsm_time t)
{
    if (t < ITSM_TIME_MIN || t > ITSM_TIME_MAX) {
        if (room(w, 1))
            *w->p++ = 0x00;
        return;
    }
    if (!room(w, 22))
        return;
    int64_t day = t / 86400;
    if (day != cd->day) {
        char buf[21];
        itsm__time_format(t, buf);
        memcpy(cd->date, buf, 11);   /* "YYYY-MM-DDT" */
        cd->day = day;
    }
    unsigned secs = (unsigned)(t % 86400);
    unsigned char *o = w->p;
    o[0] = 0x05;
    o[1] = 20;
    memcpy(o + 2, cd->date, 11);
    memcpy(o + 13, digit_pairs + 2 * (secs / 3600), 2);
    o[15] = ':';
    memcpy(o + 16, digit_pairs + 2 * (secs / 60 % 60), 2);
    o[18] = ':';
    memcpy(o + 19, digit_pairs + 2 * (secs % 60), 2);
    o[21] = 'Z';
    w->p += 22;
}

static void byte(cw *w, unsigned char b)
{
    if (room(w, 1))
        *w->p++ = b;
}

/* An extension class's own members, by its class's writer (as the
 * generic writer calls it) through a binary writer on the rest of the
 * buffer, inside the event's object. */
static void ext(cw *w, const itsm_event *ev)
{
    if (!w->ok || !ev->cls->write)
        return;
    itsm__jw jw;
    itsm__jw_init_bin(&jw, w->p, (size_t)(w->end - w->p));
    jw.len = 0;   /* no magic and version: the members go on in the object */
    jw.depth = 1;
    jw.is_obj[0] = 1;
    ev->cls->write(ev, &jw);
    size_t len;
    if (itsm__jw_finish(&jw, &len) != ITSM_OK || jw.depth != 1) {
        w->ok = 0;   /* too long for the room: the generic writer's */
        return;
    }
    w->p += len;
}

/* One change of a built-in field, as write_change (core/event.c) writes it. */
static void change(cw *w, canon_day *cd, const itsm_engine *eng, const itsm__change *c, int applied)
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
        when(w, cd, c->num);
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

int itsm__canon_fast(const itsm_event *ev, canon_day *cd, unsigned char *buf, size_t cap, size_t *len)
{
    if (ev->type < ITSM__EV_OPEN || ev->type > ITSM__EV_EXT || !ev->rec->kind)
        return 0;   /* policy events: the generic writer */
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
    const char *type = ev->type == ITSM__EV_EXT ? ev->cls->name : itsm__event_type_name(ev->type);
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
    when(&w, cd, ev->at);
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
            when(&w, cd, ev->note.eta);
            key(&w, ITSM__K_NEXT_UPDATE);
            when(&w, cd, ev->note.next_update);
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
    case ITSM__EV_EXT:
        ext(&w, ev);
        break;
    default:   /* an update: its changes only */
        break;
    }
    if (ev->nchanges) {
        key(&w, ITSM__K_SET);
        byte(&w, 0x07);
        for (unsigned i = 0; i < ev->nchanges; i++)
            change(&w, cd, eng, &ev->changes[i], ev->applied);
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
