/* SPDX-License-Identifier: Apache-2.0 */
/* Replay: rebuild records from stored events (their JSON form). The same
 * apply step as a live mutation runs, so replay cannot drift from it. */
#include "core/core.h"
#include "core/replay_int.h"
#include "kit/err.h"
#include "kit/value.h"
#include "kit/json.h"
#include "kit/sha256.h"

#include <stdio.h>
#include <string.h>

typedef struct rp {
    itsm_engine      *eng;
    itsm_parse_error *err;
} rp;

static int bad(rp *p, const itsm__jval *v, const char *msg, const char *arg)
{
    char text[ITSM_PARSE_ERROR_TEXT];
    /* Cut on purpose: a parse message is bounded by the caller's buffer. */
    if (snprintf(text, sizeof text, "%.150s%s%.80s", msg, arg ? " " : "", arg ? arg : "") < 0)
        text[0] = '\0';
    itsm__json_schema_error(p->err, v, "%s", text);
    return itsm__err(p->eng, ITSM_EPARSE, "event %zu:%zu: %s", v->line, v->column, text);
}

static int want_str(rp *p, const itsm__jval *obj, const char *key, const itsm__jval **out)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    if (!v || v->type != ITSM__JSTRING)
        return bad(p, v ? v : obj, "missing or non-string member", key);
    if (strlen(v->u.str.s) != v->u.str.len)   /* "\u0000" would cut the name short */
        return bad(p, v, "NUL character in member", key);
    *out = v;
    return ITSM_OK;
}

static int want_time(rp *p, const itsm__jval *v, itsm_time *out)
{
    if (v->type != ITSM__JSTRING || itsm__time_parse(v->u.str.s, v->u.str.len, out) != ITSM_OK)
        return bad(p, v, "expected a time \"YYYY-MM-DDTHH:MM:SSZ\"", NULL);
    return ITSM_OK;
}

/* The members every built-in event may have: entries v .. set of the
 * binary form's key table, and "pv" and "hash" outside it. Found by the
 * table's hash, not by comparing with each name. */
static int check_common(rp *p, const itsm__jval *obj)
{
    for (size_t i = 0; i < obj->u.obj.n; i++) {
        const itsm__jmember *m = &obj->u.obj.members[i];
        int e = itsm__bin_key_entry(m->key, m->klen);
        if (e >= ITSM__K_V && e <= ITSM__K_SET)
            continue;
        if ((m->klen == 2 && !memcmp(m->key, "pv", 2)) || (m->klen == 4 && !memcmp(m->key, "hash", 4)))
            continue;
        return bad(p, &m->val, "unknown member", m->key);
    }
    return ITSM_OK;
}

/* Only the members a type allows: a typo in a stored event is an error,
 * not silently ignored data. */
static int check_keys(rp *p, const itsm__jval *obj, const char *const *allowed)
{
    for (size_t i = 0; i < obj->u.obj.n; i++) {
        const itsm__jmember *m = &obj->u.obj.members[i];
        int ok = 0;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, m->key) == 0 && strlen(m->key) == m->klen;
        if (!ok)
            return bad(p, &m->val, "unknown member", m->key);
    }
    return ITSM_OK;
}

/* The room a new record's block keeps for the texts of its "set", as
 * itsm_record_open's grows to (itsm__text_inline): its short built-in
 * texts then go inside the block (itsm__text_inline) in the order they
 * are proposed, without a chunk of their own. */
/* The fields named, found once for both passes: in fs[] (room for
 * RP_FIELDS), when the set has no more members. */
#define RP_FIELDS 64
static size_t text_room(const rp *p, const itsm__jval *set, int *fs)
{
    size_t room = 0;
    for (size_t i = 0; set && set->type == ITSM__JOBJECT && i < set->u.obj.n; i++) {
        const itsm__jmember *m = &set->u.obj.members[i];
        int f = itsm__policy_field_lookup(p->eng->policy, m->key, m->klen);
        if (set->u.obj.n <= RP_FIELDS)
            fs[i] = f;
        if (f < 0 || itsm__field_custom(f) || itsm__fields[f].type != ITSM_TYPE_TEXT || m->val.type != ITSM__JSTRING)
            continue;
        size_t len = m->val.u.str.len < ITSM__TEXT_INLINE ? m->val.u.str.len : ITSM__TEXT_INLINE;
        if (room + len + 1 <= ITSM__TEXT_INLINE)
            room += len + 1;
    }
    return room;
}

/* The stored changes, through the same door as every value
 * (itsm__propose_*, the one value checker). */
static int put_set(rp *p, itsm_event *ev, const itsm__jval *set, const int *fs)
{
    if (set->type != ITSM__JOBJECT)
        return bad(p, set, "'set' must be an object", NULL);
    for (size_t i = 0; i < set->u.obj.n; i++) {
        const itsm__jmember *m = &set->u.obj.members[i];
        const itsm__jval *v = &m->val;
        int f = fs ? fs[i] : itsm__policy_field_lookup(p->eng->policy, m->key, m->klen);   /* built-in or custom */
        if (f < 0)
            return bad(p, v, "unknown field", m->key);
        const itsm__field_info *fi = itsm__field_of(p->eng, (itsm_field)f);
        int rc;
        itsm_time t;
        switch (fi->type) {
        case ITSM_TYPE_TEXT:
        case ITSM_TYPE_SYMBOL:
        case ITSM_TYPE_ENUM:
            if (v->type != ITSM__JNULL && v->type != ITSM__JSTRING)
                return bad(p, v, "expected a string or null for", fi->name);
            rc = itsm__propose_str(p->eng, ev, (itsm_field)f, v->type == ITSM__JNULL ? NULL : v->u.str.s,
                                   v->type == ITSM__JNULL ? 0 : v->u.str.len, ITSM__BY_REPLAY);
            break;
        case ITSM_TYPE_BOOL:
            if (v->type != ITSM__JTRUE && v->type != ITSM__JFALSE)
                return bad(p, v, "expected true or false for", fi->name);
            rc = itsm__propose_num(p->eng, ev, (itsm_field)f, v->type == ITSM__JTRUE, ITSM__BY_REPLAY);
            break;
        case ITSM_TYPE_TIME:
            if (v->type == ITSM__JNULL)
                t = ITSM_TIME_NONE;
            else if (want_time(p, v, &t))
                return ITSM_EPARSE;
            rc = itsm__propose_num(p->eng, ev, (itsm_field)f, t, ITSM__BY_REPLAY);
            break;
        default:
            if (v->type == ITSM__JNULL && !fi->engine_owned) {   /* a clear: unset */
                rc = itsm__propose_num(p->eng, ev, (itsm_field)f, ITSM__CX_UNSET, ITSM__BY_REPLAY);
                break;
            }
            if (v->type != ITSM__JNUMBER || !v->u.num.is_int || v->u.num.i == ITSM__CX_UNSET)
                return bad(p, v, "expected a whole number in range for", fi->name);
            rc = itsm__propose_num(p->eng, ev, (itsm_field)f, v->u.num.i, ITSM__BY_REPLAY);
            break;
        }
        if (rc == ITSM_ENOMEM)
            return rc;
        if (rc) {
            char why[ITSM__ERRMSG];
            snprintf(why, sizeof why, "%s %s: %.300s",
                     fi->type == ITSM_TYPE_INT ? "expected a whole number in range for" : "invalid value for",
                     fi->name, p->eng->err.msg);
            return bad(p, v, why, NULL);
        }
    }
    return ITSM_OK;
}

static int state_of(rp *p, const itsm__lifecycle *lc, const itsm__jval *v, int *out)
{
    *out = itsm__lc_state(lc, v->u.str.s);
    if (*out < 0)
        return bad(p, v, "the policy has no such state:", v->u.str.s);
    return ITSM_OK;
}

static int replay_doc(rp *p, const itsm__jval *root)
{
    itsm_engine *eng = p->eng;
    if (root->type != ITSM__JOBJECT)
        return bad(p, root, "an event must be a JSON object", NULL);
    const itsm__jval *tv = itsm__json_get(root, "type");
    if (tv && tv->type == ITSM__JSTRING && strcmp(tv->u.str.s, "policy") == 0)   /* a version's document */
        return eng->rejudge && !eng->rejudge->versions ? ITSM_OK : itsm__versions_replay(eng, root, p->err);
    /* A built-in type is no extension class: only other names are looked
     * up among the capabilities' classes. */
    int builtin = 0;
    for (int t = ITSM__EV_OPEN; tv && tv->type == ITSM__JSTRING && t <= ITSM__EV_LINK && !builtin; t++)
        builtin = strcmp(tv->u.str.s, itsm__event_type_name(t)) == 0 ? t : 0;
    const itsm__evclass *cls =
        tv && tv->type == ITSM__JSTRING && !builtin ? itsm__evclass_find(tv->u.str.s) : NULL;
    int rc = ITSM_OK;
    int bare = 0;
    for (size_t i = 0; cls && eng->rejudge && i < eng->rejudge->nbare && !bare; i++)
        bare = eng->rejudge->bare[i] == cls;
    if (bare) {
        /* A verdict of the store's run: its members are not read. */
    } else if (cls) {
        /* Extension events: the envelope, "set", and the class's own members. */
        static const char *const envelope[] = { "v", "type", "record", "kind", "rev", "at", "actor",
                                                "set", "pv", "hash", NULL };
        for (size_t i = 0; i < root->u.obj.n && !rc; i++) {
            const itsm__jmember *m = &root->u.obj.members[i];
            int ok = 0;
            for (const char *const *a = envelope; *a && !ok; a++)
                ok = strcmp(*a, m->key) == 0 && strlen(m->key) == m->klen;
            for (const char *const *a = cls->keys; a && *a && !ok; a++)
                ok = strcmp(*a, m->key) == 0 && strlen(m->key) == m->klen;
            if (!ok)
                rc = bad(p, &m->val, "unknown member", m->key);
        }
    } else {
        rc = check_common(p, root);
    }
    if (rc)
        return rc;
    const itsm__jval *v = itsm__json_get(root, "v");
    if (!v || v->type != ITSM__JNUMBER || !v->u.num.is_int || v->u.num.i != 1)
        return bad(p, v ? v : root, "unsupported event version (expected \"v\": 1)", NULL);
    const itsm__jval *type = NULL, *id = NULL, *kindv = NULL, *atv = NULL;
    const itsm__jval *actor = itsm__json_get(root, "actor");
    if ((rc = want_str(p, root, "type", &type)) || (rc = want_str(p, root, "record", &id)) ||
        (rc = want_str(p, root, "kind", &kindv)) || (rc = want_str(p, root, "at", &atv)))
        return rc;
    itsm_kind kind;
    if (itsm_kind_from_name(&kind, kindv->u.str.s) != ITSM_OK)
        return bad(p, kindv, "unknown record kind", kindv->u.str.s);
    if (!itsm__id_valid(id->u.str.s, id->u.str.len))
        return bad(p, id, "invalid record id", NULL);
    const itsm__jval *revv = itsm__json_get(root, "rev");
    if (!revv || revv->type != ITSM__JNUMBER || !revv->u.num.is_int || revv->u.num.i < 1)
        return bad(p, revv ? revv : root, "'rev' must be a whole number >= 1", NULL);
    uint64_t rev = (uint64_t)revv->u.num.i;
    itsm_time at;
    if ((rc = want_time(p, atv, &at)))
        return rc;
    int type_id = builtin;
    if (cls)
        type_id = bare ? ITSM__EV_UPDATE : ITSM__EV_EXT;
    if (!type_id)
        return bad(p, type, "unknown event type", type->u.str.s);
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, (int)kind);
    if (itsm__lc_initial(lc) < 0)
        return bad(p, kindv, "the policy has no lifecycle for", kindv->u.str.s);

    itsm_record *r = itsm__find(eng, id->u.str.s, id->u.str.len);
    if (r && r->kind != kind)
        return bad(p, kindv, "record kind differs from the existing record's", NULL);
    /* Loading a whole store into an empty engine, each record's events come
     * 1, 2, 3... exactly once (a store takes revision n only after n - 1):
     * an event missing, repeated, moved or added is the store's tampering,
     * where replaying to catch up would skip or call it a conflict. */
    if (eng->verifying) {
        char why[96];
        if (!r && type_id != ITSM__EV_OPEN)
            return itsm__tampered(eng, id->u.str.s, rev, "belongs to a record the store never opened");
        if (r && rev != r->rev + 1) {
            if (rev <= r->rev)
                snprintf(why, sizeof why, "comes again after revision %llu (repeated or moved)",
                         (unsigned long long)r->rev);
            else
                snprintf(why, sizeof why, "comes where revision %llu should (missing or moved)",
                         (unsigned long long)r->rev + 1);
            return itsm__tampered(eng, r->id, rev, why);
        }
    }
    if (type_id == ITSM__EV_EXT && !r) {
        itsm__json_schema_error(p->err, id, "no record %s", id->u.str.s);
        return itsm__err(eng, ITSM_ENOTFOUND, "event for unknown record %s", id->u.str.s);
    }
    if (type_id == ITSM__EV_OPEN) {
        if (rev != 1)
            return bad(p, revv, "an open event must have revision 1", NULL);
        if (r)   /* already there: the same event again is harmless, another is not */
            return itsm__chain_same(eng, r, 1, root);
    } else {
        if (!r) {
            itsm__json_schema_error(p->err, id, "no record %s", id->u.str.s);
            return itsm__err(eng, ITSM_ENOTFOUND, "event for unknown record %s", id->u.str.s);
        }
        if (rev <= r->rev)   /* catching up over what it has: skipped when it is the same */
            return itsm__chain_same(eng, r, rev, root);
        if (rev != r->rev + 1) {
            itsm__json_schema_error(p->err, revv, "revision %llu of %s skips past revision %llu",
                                    (unsigned long long)rev, r->id, (unsigned long long)r->rev + 1);
            return itsm__err(eng, ITSM_ECONFLICT, "event revision %llu for %s skips past revision %llu",
                             (unsigned long long)rev, r->id, (unsigned long long)r->rev + 1);
        }
    }

    /* The chain link it carries (checked before it applies: src/integrity). */
    unsigned char carried[32];
    const itsm__jval *hash = itsm__json_get(root, "hash");
    if (hash && (hash->type != ITSM__JSTRING || itsm__unhex32(hash->u.str.s, hash->u.str.len, carried)))
        return bad(p, hash, "'hash' must be 64 lowercase hex digits", NULL);

    /* The policy version it was judged under: absent in stores from
     * before versions, which are the engine's initial policy's. */
    int pv = 0;
    const itsm__jval *pvv = itsm__json_get(root, "pv");
    /* A scratch engine judges every event under its own policy, unless it
     * judges the past as it was (the what-if's actual side). */
    if (pvv && (!eng->rejudge || eng->rejudge->versions)) {
        if (pvv->type != ITSM__JSTRING || pvv->u.str.len != 16)
            return bad(p, pvv, "'pv' must be a policy version id (16 hex digits)", NULL);
        if ((pv = itsm__versions_find(eng, pvv->u.str.s, pvv->u.str.len)) < 0) {
            eng->unknown_pv = 1;
            itsm__json_schema_error(p->err, pvv, "unknown policy version %s", pvv->u.str.s);
            return itsm__err(eng, ITSM_EPOLICY,
                             "record %s revision %llu is under policy version %s, which the engine does not "
                             "know: no policy event for it came before (the store lacks its document)",
                             id->u.str.s, (unsigned long long)rev, pvv->u.str.s);
        }
    }

    if (r && eng->rejudge && (rc = eng->rejudge->before(eng, r, at)) != ITSM_OK)
        return rc;
    itsm__batch_begin(eng);
    itsm_event *ev = itsm__batch_add(eng, type_id, r, at);
    if (!ev)
        return ITSM_ENOMEM;
    ev->replayed = 1;
    ev->pv = (uint16_t)pv;
    ev->no_pv = !pvv;   /* its canonical form (the hash chain) is the stored one */
    if (hash) {
        ev->chained = 1;
        memcpy(ev->chain, carried, sizeof carried);
    }
    rc = ITSM_OK;
    if (actor) {
        itsm__errbuf why;
        if (actor->type != ITSM__JSTRING ||
            itsm__check_symbol(&why, "actor", NULL, actor->u.str.s, actor->u.str.len))
            rc = bad(p, actor, "'actor' must be a non-empty string without control characters (a name)", NULL);
        else if (!(ev->actor = itsm__intern(eng, actor->u.str.s, actor->u.str.len)))
            rc = itsm__oom(eng);
    } else {
        ev->actor = NULL;
    }
    const itsm__jval *set = itsm__json_get(root, "set");
    int fields[RP_FIELDS], *known = NULL;
    if (!rc && type_id == ITSM__EV_OPEN) {
        /* the record first, with room for the texts it opens with */
        size_t room = text_room(p, set, fields);
        if (set && set->type == ITSM__JOBJECT && set->u.obj.n <= RP_FIELDS)
            known = fields;
        if (!(ev->rec = itsm__record_alloc_room(eng, id->u.str.s, id->u.str.len, (int)kind, room))) {
            rc = itsm__oom(eng);
        } else {
            ev->owns_rec = 1;
            ev->id_hash = itsm__id_hash(eng, id->u.str.s, id->u.str.len);
        }
    }
    if (!rc && set && !bare)
        rc = put_set(p, ev, set, known);
    if (!rc) {
        const itsm__jval *sv = NULL, *ev_name = NULL, *from = NULL;
        switch (type_id) {
        case ITSM__EV_OPEN:
            if ((rc = want_str(p, root, "state", &sv)) || (rc = state_of(p, lc, sv, &ev->to_state)))
                break;
            ev->to_name = lc->states[ev->to_state];
            ev->rev = 1;
            rc = itsm__reserve_record(eng);
            break;
        case ITSM__EV_TRANSITION: {
            int e, fs = 0;
            if ((rc = want_str(p, root, "event", &ev_name)) || (rc = want_str(p, root, "from", &from)) ||
                (rc = want_str(p, root, "to", &sv)) || (rc = state_of(p, lc, sv, &ev->to_state)) ||
                (rc = state_of(p, lc, from, &fs)))
                break;
            if (fs != r->state) {
                itsm__json_schema_error(p->err, from, "%s is in '%s', not '%s'", r->id,
                                        lc->states[r->state], lc->states[fs]);
                rc = itsm__err(eng, ITSM_ECONFLICT, "event moves %s from '%s' but the record is in '%s'",
                               r->id, lc->states[fs], lc->states[r->state]);
                break;
            }
            if ((e = itsm__lc_event(lc, ev_name->u.str.s)) < 0) {
                rc = bad(p, ev_name, "the policy has no such event:", ev_name->u.str.s);
                break;
            }
            ev->ev_name = lc->events[e];
            ev->from_name = lc->states[fs];
            ev->to_name = lc->states[ev->to_state];
            break;
        }
        case ITSM__EV_NOTE: {
            static const char *const note_keys[] = { "kind", "text", "expected_restoration", "next_update", NULL };
            const itsm__jval *note = itsm__json_get(root, "note"), *nk = NULL, *text = NULL, *t;
            if (!note || note->type != ITSM__JOBJECT) {
                rc = bad(p, note ? note : root, "a note event needs a 'note' object", NULL);
                break;
            }
            if ((rc = check_keys(p, note, note_keys)) || (rc = want_str(p, note, "kind", &nk)) ||
                (rc = want_str(p, note, "text", &text)))
                break;
            ev->note.kind = 0;
            for (int k = 1; k <= 3; k++)
                if (strcmp(nk->u.str.s, itsm__note_kind_name(k)) == 0)
                    ev->note.kind = k;
            if (!ev->note.kind) {
                rc = bad(p, nk, "unknown note kind", nk->u.str.s);
                break;
            }
            if (text->u.str.len == 0 || text->u.str.len > ITSM_MAX_TEXT ||
                !itsm__utf8_valid(text->u.str.s, text->u.str.len)) {
                rc = bad(p, text, "note text must be 1..65536 bytes of UTF-8", NULL);
                break;
            }
            ev->note.at = at;
            ev->note.author = ev->actor;
            ev->note.eta = ev->note.next_update = ITSM_TIME_NONE;
            if ((t = itsm__json_get(note, "expected_restoration")) && (rc = want_time(p, t, &ev->note.eta)))
                break;
            if ((t = itsm__json_get(note, "next_update")) && (rc = want_time(p, t, &ev->note.next_update)))
                break;
            if (!(ev->note.text = itsm__strndup(&eng->alloc, text->u.str.s, text->u.str.len))) {
                rc = itsm__oom(eng);
                break;
            }
            ev->note_owned = 1;
            rc = itsm__reserve_note(eng, r);
            break;
        }
        case ITSM__EV_LINK: {
            static const char *const link_keys[] = { "kind", "target", "target_kind", NULL };
            const itsm__jval *link = itsm__json_get(root, "link"), *lk = NULL, *target = NULL;
            if (!link || link->type != ITSM__JOBJECT) {
                rc = bad(p, link ? link : root, "a link event needs a 'link' object", NULL);
                break;
            }
            if ((rc = check_keys(p, link, link_keys)) || (rc = want_str(p, link, "kind", &lk)) ||
                (rc = want_str(p, link, "target", &target)))
                break;
            for (int k = 1; k <= 3; k++)
                if (strcmp(lk->u.str.s, itsm__link_kind_name(k)) == 0)
                    ev->link_kind = k;
            if (!ev->link_kind) {
                rc = bad(p, lk, "unknown link kind", lk->u.str.s);
                break;
            }
            ev->target = itsm__find(eng, target->u.str.s, target->u.str.len);
            if (!ev->target || ev->target == r) {
                rc = bad(p, target, "link target is unknown or the record itself:", target->u.str.s);
                break;
            }
            rc = itsm__reserve_link(eng, r);
            break;
        }
        case ITSM__EV_EXT:
            ev->cls = cls;
            if (cls->read && (rc = cls->read(eng, ev, root, p->err)) != ITSM_OK) {
                if (rc == ITSM_ENOMEM)
                    itsm__oom(eng);
                else
                    itsm__err(eng, rc, "event: %s", p->err ? p->err->text : "invalid extension event");
            }
            break;
        default: /* update: only 'set' */
            break;
        }
    }
    if (rc) {
        itsm__batch_abort(eng);
        return rc;
    }
    itsm_record *opened = type_id == ITSM__EV_OPEN ? ev->rec : NULL;
    if ((rc = itsm__batch_replay(eng)))
        return rc;
    if (opened)
        itsm__bump_seq(eng, (int)kind, opened->id);
    return ITSM_OK;
}

static int replay_any(itsm_engine *eng, const void *data, size_t len, int either, itsm_parse_error *err)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!data)
        return itsm__err(eng, ITSM_EINVAL, "%s is NULL", either ? "event" : "json");
    int entry = itsm__check_entry(eng);   /* not from a callback, nor into a broken engine */
    if (entry)
        return entry;
    if (either && len && *(const unsigned char *)data == ITSM__BIN_MAGIC) {
        /* The binary form without a tree; what it does not take, the tree
         * path below reads and judges. */
        int rc = itsm__replay_bin(eng, data, len);
        if (rc != ITSM__REPLAY_TREE) {
            if (err) {
                err->code = ITSM_OK;   /* as the tree path leaves it: the reading passed */
                err->line = err->column = err->offset = 0;
                err->text[0] = '\0';
            }
            return rc;
        }
    }
    itsm__jdoc *doc;
    int rc = either ? itsm__event_parse(&doc, data, len, &eng->alloc, &eng->limits, err)
                    : itsm__json_parse(&doc, data, len, &eng->alloc, &eng->limits, err);
    if (rc) {
        if (rc == ITSM_ENOMEM)
            return itsm__oom(eng);
        return itsm__err(eng, rc, "event %d:%d: %s", err ? (int)err->line : 0, err ? (int)err->column : 0,
                         err ? err->text : "invalid JSON");
    }
    rp p = { eng, err };
    rc = replay_doc(&p, itsm__jdoc_root(doc));
    itsm__jdoc_free(doc);
    return rc;
}

int itsm_engine_replay_json(itsm_engine *eng, const char *json, size_t len, itsm_parse_error *err)
{
    return replay_any(eng, json, len, 0, err);
}

int itsm_engine_replay(itsm_engine *eng, const void *event, size_t len, itsm_parse_error *err)
{
    return replay_any(eng, event, len, 1, err);
}

static int load_one(void *ctx, const char *json, size_t len)
{
    itsm_engine *eng = ctx;
    itsm_parse_error err;
    eng->in_callback = 0;
    int rc = itsm_engine_replay(eng, json, len, &err);   /* a store may keep either form */
    eng->in_callback = 1;
    return rc;
}

static int load_policy(void *ctx, const char *doc, size_t len)
{
    itsm_engine *eng = ctx;
    if (!itsm__versions_is_event(doc, len))
        return ITSM_OK;
    eng->in_callback = 0;
    int rc = itsm_engine_replay(eng, doc, len, NULL);
    eng->in_callback = 1;
    return rc;
}

static int load_scan(itsm_engine *eng, itsm_store_emit_fn emit)
{
    eng->in_callback = 1;
    itsm__chain_load(eng, 1);
    int rc = eng->store.scan(eng->store_user, emit, eng);
    itsm__chain_load(eng, 0);
    eng->in_callback = 0;
    return rc;
}

/* Tell the capabilities a load into an empty engine begins or has ended
 * (itsm__capability.load): ITSM_OK, or the first failure of an end. */
static int load_phase(itsm_engine *eng, int begin)
{
    int rc = ITSM_OK;
    for (size_t i = 0; i < itsm__ncapabilities; i++) {
        const itsm__capability *c = itsm__capabilities[i];
        int r = c->load ? c->load(eng, begin) : ITSM_OK;
        if (r && !rc)
            rc = r;
    }
    return rc;
}

int itsm_engine_load(itsm_engine *eng)
{
    if (!eng)
        return ITSM_EINVAL;
    int entry = itsm__check_entry(eng);
    if (entry)
        return entry;
    if (!eng->has_store || !eng->store.scan)
        return itsm__err(eng, ITSM_EINVAL, "the store has no scan callback to load from");
    /* The engine stays marked as inside a callback so the store cannot
     * mutate it while scanning; load_one lifts the mark for its own replay. */
    int fresh = eng->nrecs == 0;
    eng->verifying = fresh;
    eng->unknown_pv = 0;
    if (fresh)
        load_phase(eng, 1);
    int rc = load_scan(eng, load_one);
    if (rc == ITSM_EPOLICY && eng->unknown_pv) {
        /* An event under a version whose document the store keeps later:
         * an engine with one version writes only its id in the events, and
         * its document when it adopts another. Read the store's documents
         * first, then load again (only such stores pay for it). */
        itsm__errbuf keep = eng->err;
        size_t known = eng->nvers;
        eng->verifying = 0;
        if (load_scan(eng, load_policy) == ITSM_OK && eng->nvers > known) {
            if (itsm__engine_reset(eng) != ITSM_OK)
                rc = itsm__oom(eng);
            else {
                eng->verifying = fresh;
                if (fresh)
                    load_phase(eng, 1);   /* the capabilities' engine state is new */
                rc = load_scan(eng, load_one);
            }
        } else {
            eng->err = keep;
        }
    }
    eng->verifying = 0;
    eng->in_callback = 0;
    /* What the capabilities left to the end of the load, unless the
     * engine is emptied again below (its capabilities' state is then
     * made anew); the records of a load that failed otherwise need it too. */
    int empty = fresh && (rc == ITSM_ETAMPER || rc == ITSM_EPOLICY);
    if (fresh && !empty && load_phase(eng, 0) != ITSM_OK) {
        empty = 1;
        if (!rc)
            rc = ITSM_ENOMEM;
    }
    if (rc && eng->err.code != rc)
        itsm__err(eng, rc, "store scan failed (%s)", itsm_errname(rc));
    if (empty) {
        /* Nothing of a tampered store is trusted, nor half of a store the
         * engine cannot judge (a version it cannot know or join), nor
         * records left without their schedules (out of memory planning
         * them): back to empty, as it was. The message stays the
         * refusal's. */
        itsm__errbuf keep = eng->err;
        if (itsm__engine_reset(eng) != ITSM_OK)
            return itsm__err(eng, ITSM_ENOMEM, "%s; and out of memory emptying the engine again: free it",
                             keep.msg);
        eng->err = keep;
    }
    return rc;
}
