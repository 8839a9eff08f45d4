/* SPDX-License-Identifier: Apache-2.0 */
/* Public mutations: open, update, note, link. Each checks its arguments,
 * builds its events (values through itsm__propose_*) and commits them
 * through the batch (core/batch.c). Firing lifecycle events: core/fire.c. */
#include "core/core.h"
#include "core/abi.h"
#include "core/batch.h"
#include "core/commit_one.h"
#include "kit/opts.h"
#include "kit/json.h"

#include <stdio.h>
#include <string.h>

/* ---- open ---- */

ITSM__DEFINE_INIT(itsm_record_opts_init, itsm_record_opts, ITSM_RECORD_OPTS_VERSION, ITSM_RECORD_OPTS_INIT)

/* The bytes of a record id: A-Z a-z 0-9 - _ . : (a table: every open
 * checks every byte of its id). */
static const unsigned char id_byte[256] = {
    ['-'] = 1, ['.'] = 1, [':'] = 1, ['_'] = 1,
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1,
    ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
    ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
    ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

/* The longest record id (the message below says 1..64). */
#define ID_MAX 64

int itsm__id_valid(const char *id, size_t n)
{
    if (n == 0 || n > ID_MAX)
        return 0;
    unsigned ok = 1;
    for (size_t i = 0; i < n; i++)
        ok &= id_byte[(unsigned char)id[i]];
    return (int)ok;
}

/* The generated ids' prefixes by kind (their lengths: id_prefix_len). */
static const char *const id_prefix[ITSM_KIND_COUNT + 1] = { NULL, "INC", "REQ", "PRB", "CHG", "KB" };

/* itsm__new_id, with the id's hash in the id index (kept for the
 * record's insert). Inline: every itsm_record_open asks it, and out of
 * line its five answers went through memory. */
ITSM__ALWAYS_INLINE int new_id(itsm_engine *eng, int kind, const char *id, char buf[32], const char **out, size_t *n,
                  uint64_t *seq, uint32_t *hash)
{
    *seq = eng->seq[kind];
    if (id) {
        /* its length and its check in one walk: the NUL is no id byte, so
         * the walk stops at the end or at the first byte that is not one */
        size_t k = 0;
        while (id_byte[(unsigned char)id[k]])
            k++;
        *n = k;
        if (id[k] || k == 0 || k > ID_MAX)
            return itsm__err(eng, ITSM_EINVAL, "record id must be 1..64 characters of A-Z a-z 0-9 - _ . :");
        if (itsm__find_hashed(eng, id, *n, *hash = itsm__id_hash(eng, id, *n)))
            return itsm__err(eng, ITSM_EEXISTS, "record '%s' already exists", id);
        *out = id;
        return ITSM_OK;
    }
    /* Generated ids skip any the host took by hand. */
    do {
        ++*seq;
        snprintf(buf, 32, "%s-%06llu", id_prefix[kind], (unsigned long long)*seq);
        *n = strlen(buf);
    } while (itsm__find_hashed(eng, buf, *n, *hash = itsm__id_hash(eng, buf, *n)));
    *out = buf;
    return ITSM_OK;
}

int itsm__new_id(itsm_engine *eng, int kind, const char *id, char buf[32], const char **out, size_t *n,
                 uint64_t *seq)
{
    uint32_t hash;
    return new_id(eng, kind, id, buf, out, n, seq, &hash);
}

/* The digits of a generated id "PFX-digits" whose prefix was matched up
 * to its '-' at id[pn]: the sequence moves past them. */
static void bump_digits(itsm_engine *eng, int kind, const char *id, size_t pn);

void itsm__bump_seq(itsm_engine *eng, int kind, const char *id)
{
    /* Only ids of the generated form "PFX-digits" move the sequence; most
     * hosts' ids part from it within the prefix's few bytes (compared here
     * without a strlen and strncmp call on every open). */
    const char *pfx = id_prefix[kind];
    size_t pn = 0;
    while (pfx[pn] && id[pn] == pfx[pn])
        pn++;
    if (pfx[pn] || id[pn] != '-')
        return;
    bump_digits(eng, kind, id, pn);
}

/* The prefixes' lengths (id_prefix). */
static const unsigned char id_prefix_len[ITSM_KIND_COUNT + 1] = { 0, 3, 3, 3, 3, 2 };

/* itsm__bump_seq for an id of n bytes, inline where itsm_record_open
 * remembers a host's id: the byte after the prefix is looked at first (a
 * '-' there is rare in hosts' own ids, such as the UCI log's INC0000045). */
ITSM__ALWAYS_INLINE void bump_seq_n(itsm_engine *eng, int kind, const char *id, size_t n)
{
    size_t pn = id_prefix_len[kind];
    if (n <= pn || id[pn] != '-' || memcmp(id, id_prefix[kind], pn) != 0)
        return;
    bump_digits(eng, kind, id, pn);
}

static void bump_digits(itsm_engine *eng, int kind, const char *id, size_t pn)
{
    uint64_t n = 0;
    const char *s = id + pn + 1;
    if (!*s)
        return;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || n > UINT64_MAX / 10 - 10)
            return;
        n = n * 10 + (uint64_t)(*s - '0');
    }
    if (n > eng->seq[kind])
        eng->seq[kind] = n;
}

ITSM__ALWAYS_INLINE itsm_event *open_in(itsm_engine *eng, int kind, int initial, const char *id, size_t n,
                                        uint32_t hash, itsm_time at, int first);

/* itsm__reserve_record with its three tests of room (the list, the
 * index's load, the positions' limit) in one: eng->rec_room, what the
 * list and the index hold as they are (core/engine.c, reserve_records). */
ITSM__ALWAYS_INLINE int reserve_opening(itsm_engine *eng)
{
#ifdef ITSM_CHECK_REPLAN   /* the checked build: the one test is the three */
    size_t need = eng->nrecs + eng->reserve_recs + 1;
    if ((need <= eng->rec_room) && !(need <= eng->crecs && need < UINT32_MAX && itsm__htab_holds(&eng->ids, need)))
        __builtin_trap();
#endif
    if (eng->nrecs + eng->reserve_recs < eng->rec_room) {
        eng->reserve_recs++;
        return ITSM_OK;
    }
    return itsm__reserve_record_grow(eng);
}

itsm_event *itsm__batch_open(itsm_engine *eng, int kind, const char *id, size_t n, itsm_time at)
{
    return open_in(eng, kind, itsm__lc_initial(itsm__lifecycle_of(eng, kind)), id, n, itsm__id_hash(eng, id, n), at,
                   0);
}

/* itsm__batch_open with the lifecycle's `initial` state, no room in the
 * record's block for its opening texts (itsm__text_inline grows it as
 * they are proposed) and the id's
 * `hash` in the id index (itsm__id_hash, which the check that the id is
 * free found). Inline in itsm_record_open, the usual opening. `first` (a
 * constant): the event begins the batch (itsm__batch_begin_one, counted
 * final already: itsm_record_open finalises it before its commit), else
 * it is added to the batch being built. */
ITSM__ALWAYS_INLINE itsm_event *open_in(itsm_engine *eng, int kind, int initial, const char *id, size_t n,
                                        uint32_t hash, itsm_time at, int first)
{
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, kind);
    itsm_record *r = itsm__record_alloc_room(eng, id, n, kind, 0);
    if (!r) {
        itsm__oom(eng);
        return NULL;
    }
    itsm_event *ev = first ? itsm__batch_begin_one(eng, ITSM__EV_OPEN, NULL, at)
                           : itsm__batch_slot(eng, ITSM__EV_OPEN, NULL, at);
    if (!ev) {
        itsm__record_free(eng, r);
        return NULL;
    }
    ev->ev_name = ev->from_name = NULL;   /* as itsm__batch_add_in; to_state and to_name below */
    ev->trans = NULL;
    ev->rec = r;
    ev->id_hash = hash;
    eng->batch_kinds |= 1u << (unsigned)kind;   /* extend_kinds hooks see openings too */
    ev->owns_rec = 1;   /* until applied */
    ev->rev = 1;
    r->pending = 1;     /* later events of the batch on it get revisions 2, 3, ... */
    ev->to_state = initial;
    ev->to_name = lc->states[initial];
    if (reserve_opening(eng) != ITSM_OK)
        return NULL;    /* the event stays in the batch: the caller aborts it */
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
    /* itsm_kind_name's range, without the call (the name is for the
     * message alone) */
    if ((int)opts->kind < 1 || (int)opts->kind > ITSM_KIND_COUNT)
        return itsm__err(eng, ITSM_EINVAL, "unknown record kind %d", (int)opts->kind);
    const int initial = itsm__lc_initial(itsm__lifecycle_of(eng, (int)opts->kind));
    if (initial < 0)
        return itsm__err(eng, ITSM_ENOTFOUND, "the policy has no lifecycle for %s records",
                         itsm_kind_name(opts->kind));

    char idbuf[32];
    const char *id;
    size_t idn;
    uint64_t seq;
    uint32_t hash = 0;   /* set by new_id when it returns ITSM_OK */
    if ((rc = new_id(eng, (int)opts->kind, opts->id, idbuf, &id, &idn, &seq, &hash)))
        return rc;
    itsm_time at = 0;
    if ((rc = itsm__now(eng, &at)))
        return rc;

    /* No room counted for its texts: most openings give none (symbols and
     * numbers), and the room of one that does grows as each is proposed
     * (itsm__text_inline), without a walk over the changes here first. */
    itsm_event *ev = open_in(eng, (int)opts->kind, initial, id, idn, hash, at, 1);
    if (!ev || (rc = itsm__propose_open(eng, ev, opts->fields, opts->nfields))) {
        itsm__batch_abort(eng);
        return ev ? rc : eng->err.code;
    }
    itsm_record *r = ev->rec;
    if ((rc = itsm__commit_fresh(eng, ev, ITSM__EV_OPEN)))
        return rc;
    if (opts->id)   /* itsm__remember_id, the id's length known */
        bump_seq_n(eng, (int)opts->kind, r->id, idn);
    else
        eng->seq[opts->kind] = seq;
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
        char *msg = eng->err.msg;
        size_t cap = sizeof eng->err.msg - 1, k = sizeof pre - 1;
        memcpy(msg, pre, k);
        size_t m = n < cap - k ? n : cap - k;
        memcpy(msg + k, id, m);
        k += m;
        if (k < cap)
            msg[k++] = '\'';
        msg[k] = '\0';
        eng->err.code = ITSM_ENOTFOUND;
        return ITSM_ENOTFOUND;
    }
    return ITSM_OK;
}

/* ---- update ---- */

/* The refusal of a step on a closed record, off the usual path. */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static int closed_refused(itsm_engine *eng, const itsm_record *r, const char *what)
{
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    return itsm__err(eng, ITSM_ESTATE, "cannot %s %s: it is %s", what, r->id, lc->states[r->state]);
}

/* Inline, the message apart: with the message's call in it gcc kept it
 * out of line, and every update asks. */
static inline int itsm__check_open(itsm_engine *eng, const itsm_record *r, const char *what)
{
    if (itsm__lc_is_closed(itsm__lifecycle_of(eng, r->kind), r->state))
        return closed_refused(eng, r, what);
    return ITSM_OK;
}

/* Whether every way into state `st` needs the assignee set (a guard term
 * "assignee": an incident in progress, a request being fulfilled). */
static int state_needs_owner(const itsm__lifecycle *lc, int st)
{
    int ways = 0;
    for (size_t i = 0; i < lc->ntrans; i++) {
        const itsm__transition *t = &lc->trans[i];
        if (t->to != st)
            continue;
        int needs = 0;
        for (size_t k = 0; k < t->nterms && !needs; k++)
            needs = t->terms[k].op == ITSM__G_SET && t->terms[k].fields[0] == ITSM_F_ASSIGNEE;
        if (!needs)
            return 0;
        ways++;
    }
    return ways > 0;
}

/* Seed 003: "Make sure someone owns every request". A record where its
 * lifecycle wants an owner keeps one: an update may hand it to someone
 * else, not leave it to nobody (the guard that let it in would not). */
static int keeps_owner(itsm_engine *eng, const itsm_record *r, const itsm_event *ev)
{
    const itsm__change *c = itsm__ev_find(ev, ITSM_F_ASSIGNEE);
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    if (!c || c->str || !itsm__rec_str(r, itsm__fields[ITSM_F_ASSIGNEE].slot) || !state_needs_owner(lc, r->state))
        return ITSM_OK;
    return itsm__err(eng, ITSM_ESTATE, "%s is '%s', which needs an assignee (every way into it does): it cannot be "
                     "left to nobody; name who takes it over instead", r->id, lc->states[r->state]);
}

int itsm_record_update(itsm_record *r, const itsm_change *changes, size_t n)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    itsm_time at = 0;
    int rc;
    if ((rc = itsm__check_entry(eng)) || (rc = itsm__check_open(eng, r, "update")))
        return rc;
    if (n == 0)
        return itsm__err(eng, ITSM_EINVAL, "an update needs at least one change");
    if ((rc = itsm__now(eng, &at)))
        return rc;
    /* the batch's marks written once with its one event (inline: a
     * host's usual step); the commit counts it final (itsm__commit_fresh) */
    itsm_event *ev = itsm__batch_begin_one(eng, ITSM__EV_UPDATE, r, at);
    if (!ev)
        return ITSM_ENOMEM;
    ev->ev_name = ev->from_name = ev->to_name = NULL;
    ev->to_state = -1;
    ev->trans = NULL;
    if ((rc = itsm__propose_changes(eng, ev, changes, n)) ||
        ((ev->fset & ((uint64_t)1 << ITSM_F_ASSIGNEE)) && (rc = keeps_owner(eng, r, ev)))) {
        itsm__batch_abort(eng);
        return rc;
    }
    return itsm__commit_fresh(eng, ev, ITSM__EV_UPDATE);   /* inline: no frame of its own */
}

int itsm_record_set_str(itsm_record *r, itsm_field field, const char *value)
{
    itsm_change c = { field, value, 0 };
    const itsm__field_info *fi = r ? itsm__field_of(r->eng, field) : NULL;
    if (fi && fi->type != ITSM_TYPE_TEXT && fi->type != ITSM_TYPE_SYMBOL && fi->type != ITSM_TYPE_ENUM)
        return itsm__err(r->eng, ITSM_EINVAL, "field '%s' is not a text or symbol field", fi->name);
    return itsm_record_update(r, &c, 1);
}

int itsm_record_set_int(itsm_record *r, itsm_field field, int64_t value)
{
    itsm_change c = { field, NULL, value };
    const itsm__field_info *fi = r ? itsm__field_of(r->eng, field) : NULL;
    if (fi && (fi->type == ITSM_TYPE_TEXT || fi->type == ITSM_TYPE_SYMBOL || fi->type == ITSM_TYPE_ENUM))
        return itsm__err(r->eng, ITSM_EINVAL, "field '%s' is not a number, bool or time field", fi->name);
    return itsm_record_update(r, &c, 1);
}

/* ---- notes ---- */

ITSM__DEFINE_INIT(itsm_note_opts_init, itsm_note_opts, ITSM_NOTE_OPTS_VERSION, ITSM_NOTE_OPTS_INIT)

static itsm_event *add_note(itsm_engine *eng, itsm_record *r, itsm_time at, int kind, const char *text, size_t n)
{
    itsm_event *ev = itsm__batch_add(eng, ITSM__EV_NOTE, r, at);
    if (!ev)
        return NULL;
    ev->note.kind = kind;
    ev->note.at = at;
    ev->note.author = eng->actor;
    ev->note.eta = ev->note.next_update = ITSM_TIME_NONE;
    ev->note.text = itsm__strndup(&eng->alloc, text, n);
    ev->note_owned = ev->note.text != NULL;
    if (!ev->note.text) {
        itsm__oom(eng);
        return NULL;
    }
    if (itsm__reserve_note(eng, r))
        return NULL;
    return ev;
}

int itsm__batch_system_note(itsm_engine *eng, itsm_record *r, itsm_time at, const char *text)
{
    return add_note(eng, r, at, ITSM_NOTE_SYSTEM, text, strlen(text)) ? ITSM_OK : eng->err.code;
}

int itsm_record_add_note(itsm_record *r, const itsm_note_opts *opts)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    int rc;
    if ((rc = itsm__check_entry(eng)) || (rc = itsm__check_open(eng, r, "add a note to")))
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
    /* Blank text says nothing: no actions taken to tell the customer, no
     * work to record (as a blank guard note, DESIGN 3 and 6). */
    if (!itsm__text_present(opts->text))
        return itsm__err(eng, ITSM_EINVAL, "%s needs its text%s: blank text says nothing", what,
                         opts->kind == ITSM_NOTE_CUSTOMER ? " (the actions taken)" : "");
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
    itsm_event *ev = add_note(eng, r, at, (int)opts->kind, opts->text, n);
    if (!ev) {
        itsm__batch_abort(eng);
        return eng->err.code;
    }
    if (opts->kind == ITSM_NOTE_CUSTOMER) {
        ev->note.eta = opts->expected_restoration;
        ev->note.next_update = opts->next_update;
    }
    return itsm__batch_commit(eng);
}

/* ---- links ---- */

static int has_link(const itsm_record *r, int kind, const itsm_record *target)
{
    for (uint32_t i = 0; i < r->x->nlinks; i++)
        if (r->x->links[i].kind == kind && r->x->links[i].target == target)
            return 1;
    return 0;
}

static int back_kind(int kind)
{
    return kind == ITSM_LINK_PARENT ? ITSM_LINK_CHILD : kind == ITSM_LINK_CHILD ? ITSM_LINK_PARENT : kind;
}

int itsm__batch_link(itsm_engine *eng, itsm_record *a, int kind, itsm_record *b, itsm_time at)
{
    itsm_event *ea = itsm__batch_add(eng, ITSM__EV_LINK, a, at);
    itsm_event *eb = ea ? itsm__batch_add(eng, ITSM__EV_LINK, b, at) : NULL;
    if (!eb)
        return ITSM_ENOMEM;
    ea = eb - 1;   /* the batch may have moved */
    ea->link_kind = kind;
    ea->target = b;
    eb->link_kind = back_kind(kind);
    eb->target = a;
    int rc;
    if ((rc = itsm__reserve_link(eng, a)) || (rc = itsm__reserve_link(eng, b)))
        return rc;
    return ITSM_OK;
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
    if (kind != ITSM_LINK_RELATED && kind != ITSM_LINK_PARENT && kind != ITSM_LINK_CHILD)
        return itsm__err(eng, ITSM_EINVAL, "unknown link kind %d", (int)kind);
    /* Twice, or parent and child of the same record at once. */
    if (has_link(from, (int)kind, to) || (kind != ITSM_LINK_RELATED && has_link(from, back_kind((int)kind), to)))
        return itsm__err(eng, ITSM_EEXISTS, "%s is already linked to %s", from->id, to->id);
    itsm_time at = 0;
    if ((rc = itsm__now(eng, &at)))
        return rc;
    itsm__batch_begin(eng);
    if ((rc = itsm__batch_link(eng, from, (int)kind, to, at))) {
        itsm__batch_abort(eng);
        return rc;
    }
    return itsm__batch_commit(eng);
}
