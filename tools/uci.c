/* SPDX-License-Identifier: Apache-2.0 */
/* tools/uci.c - the UCI ServiceNow event log -> library calls (see uci.h). */
#include "uci.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const uci_state_policy_name[UCI_NSTATES] = {
    "new", "active", "awaiting_user_info", "awaiting_vendor", "awaiting_problem",
    "awaiting_evidence", "resolved", "closed", NULL
};

static const char *const uci_state_log_name[UCI_NSTATES] = {
    "New", "Active", "Awaiting User Info", "Awaiting Vendor", "Awaiting Problem",
    "Awaiting Evidence", "Resolved", "Closed", "-100"
};

/* ---- columns ---- */

enum {
    C_NUMBER, C_STATE, C_REASSIGN, C_REOPEN, C_MODCOUNT, C_MADE_SLA, C_CALLER, C_OPENED_AT,
    C_UPDATED_BY, C_UPDATED_AT, C_CATEGORY, C_SUBCATEGORY, C_CI, C_IMPACT, C_URGENCY,
    C_PRIORITY, C_GROUP, C_ASSIGNEE, C_CLOSED_CODE, C_RESOLVED_AT, C_CLOSED_AT, C_NEEDED
};
static const char *const col_name[C_NEEDED] = {
    "number", "incident_state", "reassignment_count", "reopen_count", "sys_mod_count", "made_sla",
    "caller_id", "opened_at", "sys_updated_by", "sys_updated_at", "category", "subcategory",
    "cmdb_ci", "impact", "urgency", "priority", "assignment_group", "assigned_to", "closed_code",
    "resolved_at", "closed_at"
};

/* The fields a row is compared with (uci_row.tuple), in the order of
 * rp_incident.known_str, then impact and urgency. */
typedef struct uci_tuple { const char *str[6]; int impact, urgency; } uci_tuple;

struct uci_cols {
    int       pos[C_NEEDED];
    int       ncols;
    rp_memo   memo[C_NEEDED];   /* the last value of each column */
    uci_tuple last;             /* the compared fields of the last row read well */
    uint64_t  last_tuple;       /* and its uci_row.tuple (0: none yet) */
};

/* uci_row.tuple numbers, for the whole process: rows read through any
 * uci_cols never share one by chance (the tools are single-threaded). */
static uint64_t tuples;

uci_cols *uci_parse_header(char *line, size_t len, char *err, size_t errcap)
{
    uci_cols *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    if (rp_find_columns(line, len, ',', col_name, C_NEEDED, c->pos, c->memo, &c->ncols, "the UCI incident event log",
                        err, errcap)) {
        free(c);
        return NULL;
    }
    return c;
}

itsm_time uci_parse_time(const char *s) { return rp_time_dmy(s, strlen(s)); }

static int is_missing(const char *s, size_t n) { return n == 1 && s[0] == '?'; }

/* "2 - Medium" -> 2; "?" -> missing; else bad */
static int level(const char *s, size_t n, int lo, int hi, int missing)
{
    if (is_missing(s, n))
        return missing;
    if (n < 1 || s[0] < '0' + lo || s[0] > '0' + hi || (n > 1 && s[1] != ' '))
        return -2;
    return s[0] - '0';
}

static int count(const char *s, size_t n)
{
    if (is_missing(s, n))
        return -1;
    if (n == 0 || n > 6)
        return -2;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9)
            return -2;
        v = v * 10 + (int)d;
    }
    return v;
}

static int boolean(const char *s, size_t n)
{
    if (n == 4 && !memcmp(s, "true", 4))
        return 1;
    if (n == 5 && !memcmp(s, "false", 5))
        return 0;
    return is_missing(s, n) ? -1 : -2;
}

static uci_state state_of(const char *s, size_t n)
{
    /* the names differ in their length or their first letters */
    for (int k = 0; k < UCI_NSTATES; k++) {
        const char *name = uci_state_log_name[k];
        if (name[0] == s[0] && strlen(name) == n && !memcmp(s, name, n))
            return (uci_state)k;
    }
    return UCI_NSTATES;
}

void uci_parse_row(uci_cols *c, rp_pool *pool, char *line, size_t len, long lineno, uci_row *w)
{
    rp_fields f;
    memset(w, 0, sizeof *w);
    w->line = lineno;
    rp_split(&f, line, len, ',');
    if (f.n != c->ncols) {
        w->bad = f.n > c->ncols ? "malformed row: more columns than the header"
                                : "malformed row: fewer columns than the header";
        w->number = f.len[0] && !is_missing(f.p[0], f.len[0]) ? rp_intern(pool, f.p[0], f.len[0]) : NULL;
        return;
    }
#define COL(k) f.p[c->pos[k]], f.len[c->pos[k]]
#define SYM(k) (is_missing(COL(k)) ? NULL : rp_intern_memo(pool, &c->memo[k], COL(k)))
#define TIME(k) (is_missing(COL(k)) ? ITSM_TIME_NONE : rp_time_memo(&c->memo[k], COL(k), rp_time_dmy))
    w->number = f.len[c->pos[C_NUMBER]] ? SYM(C_NUMBER) : NULL;
    if (!w->number) {
        w->bad = "malformed row: no incident number";
        return;
    }
    w->state = state_of(COL(C_STATE));
    if (w->state == UCI_NSTATES) {
        w->bad = "unknown incident_state";
        return;
    }
    w->reassign = count(COL(C_REASSIGN));
    w->reopen = count(COL(C_REOPEN));
    w->mod = count(COL(C_MODCOUNT));
    w->made_sla = boolean(COL(C_MADE_SLA));
    w->priority = level(COL(C_PRIORITY), 1, 5, -1);
    w->impact = level(COL(C_IMPACT), 1, 3, 0);
    w->urgency = level(COL(C_URGENCY), 1, 3, 0);
    if (w->reassign == -2 || w->reopen == -2 || w->mod == -2 || w->made_sla == -2 || w->priority == -2 ||
        w->impact == -2 || w->urgency == -2) {
        w->bad = "malformed row: a count, flag or level is not a number";
        return;
    }
    w->caller = SYM(C_CALLER);
    w->category = SYM(C_CATEGORY);
    w->subcategory = SYM(C_SUBCATEGORY);
    w->ci = SYM(C_CI);
    w->group = SYM(C_GROUP);
    w->assignee = SYM(C_ASSIGNEE);
    w->closed_code = SYM(C_CLOSED_CODE);
    w->updated_by = SYM(C_UPDATED_BY);
    w->updated_at = rp_time_dmy(COL(C_UPDATED_AT));
    w->opened_at = TIME(C_OPENED_AT);
    w->resolved_at = TIME(C_RESOLVED_AT);
    w->closed_at = TIME(C_CLOSED_AT);
    /* '?' is a missing value; anything else must be a real D/M/YYYY HH:MM */
    static const struct { int col; const char *why; } times[] = {
        { C_UPDATED_AT, "malformed row: sys_updated_at is not a real D/M/YYYY HH:MM time" },
        { C_OPENED_AT, "malformed row: opened_at is not a real D/M/YYYY HH:MM time" },
        { C_RESOLVED_AT, "malformed row: resolved_at is not a real D/M/YYYY HH:MM time" },
        { C_CLOSED_AT, "malformed row: closed_at is not a real D/M/YYYY HH:MM time" },
    };
    const itsm_time got[4] = { w->updated_at, w->opened_at, w->resolved_at, w->closed_at };
    for (int i = 0; i < 4; i++)
        if (got[i] == ITSM_TIME_NONE && (times[i].col == C_UPDATED_AT || !is_missing(COL(times[i].col)))) {
            w->bad = times[i].why;
            return;
        }
    /* the same compared fields as the row read before: the same tuple */
    const uci_tuple now = { { w->caller, w->category, w->subcategory, w->ci, w->group, w->assignee },
                            w->impact, w->urgency };
    if (!c->last_tuple || memcmp(&now, &c->last, sizeof now)) {
        c->last = now;
        c->last_tuple = ++tuples;
    }
    w->tuple = c->last_tuple;
#undef TIME
#undef SYM
#undef COL
}

int uci_same(const void *rows, size_t a, size_t b)
{
    const uci_row *x = (const uci_row *)rows + a, *y = (const uci_row *)rows + b;
    return !x->bad && !y->bad && x->number == y->number && x->state == y->state && x->reassign == y->reassign &&
           x->reopen == y->reopen && x->made_sla == y->made_sla && x->priority == y->priority &&
           x->mod == y->mod && x->impact == y->impact && x->urgency == y->urgency && x->caller == y->caller &&
           x->category == y->category && x->subcategory == y->subcategory && x->ci == y->ci &&
           x->group == y->group && x->assignee == y->assignee && x->closed_code == y->closed_code &&
           x->updated_by == y->updated_by && x->opened_at == y->opened_at && x->updated_at == y->updated_at &&
           x->resolved_at == y->resolved_at && x->closed_at == y->closed_at;
}

/* ---- apply ---- */

enum { Q_FIRST_NOT_NEW, Q_LOGGED_RESOLVED, Q_STATE_100, Q_CLOSED_AGAIN, Q_CLOSED_ACTIVE, Q_RESOLVED_AGAIN,
       Q_BEFORE_OPENED, Q_MISSING_CLEARS, Q_NO_CHANGE, Q_NO_OPENED_AT, Q_COUNT };

/* The record's fields a row is compared with (rp_incident.known_str and
 * known_num, in this order): see know_record. The resolution code is
 * compared at a resolve or close only, but kept too: most cases have one,
 * and it changes only at those steps. */
enum { KNOWN_STR = 7 };
static const itsm_field known_str_field[KNOWN_STR] = { ITSM_F_CALLER, ITSM_F_CATEGORY, ITSM_F_SUBCATEGORY, ITSM_F_CI,
                                                       ITSM_F_ASSIGNMENT_GROUP, ITSM_F_ASSIGNEE,
                                                       ITSM_F_RESOLUTION_CODE };
static const itsm_field known_num_field[2] = { ITSM_F_IMPACT, ITSM_F_URGENCY };

static void case_done(replay *rp, rp_incident *in);

static int qbase;   /* index of the first of this mapper's quirks in rp->quirk */
#define QUIRK(rp, q, line) rp_quirk_note(rp, qbase + (q), line)
/* The routine counters' offsets in a replay (uci_begin): their
 * increments on the usual rows (and openings) skip the index arithmetic
 * and the call. */
static size_t q_no_change_at, q_missing_clears_at, q_first_not_new_at;
#define QUIRK_COUNT(rp, at) (*(long *)(void *)((char *)(rp) + (at)))

void uci_begin(replay *rp)
{
    static const char *const q[Q_COUNT][2] = {
        { "first row is not New", "opened at opened_at, then the transition to the row's state" },
        { "first row already Resolved at opened_at",
          "logged after it was resolved: 'logged_resolved' (no resolved_at stamped, no time to resolve)" },
        { "state -100", "not a ServiceNow state: state kept, the row's fields applied" },
        { "Closed row after Closed", "no change: counted; a change: refused by the library (ITSM_ESTATE)" },
        { "Closed -> Active", "a reopen: closed --reopen--> active, counts a reopen as the log does" },
        { "Resolved row after Resolved", "the first is the resolution; later ones are updates (no new resolved_at)" },
        { "first sys_updated_at before opened_at", "applied at opened_at" },
        { "'?' after a value", "ServiceNow's NULL: the field is cleared" },
        { "row changes nothing the policy tracks", "counted as unchanged, no event" },
        { "opened_at missing", "opened at the row's sys_updated_at" },
    };
    static const int listed[Q_COUNT] = { [Q_STATE_100] = 1, [Q_CLOSED_ACTIVE] = 1, [Q_BEFORE_OPENED] = 1,
                                         [Q_NO_OPENED_AT] = 1 };
    qbase = rp->nquirks;
    q_no_change_at = offsetof(replay, quirk) + (size_t)(qbase + Q_NO_CHANGE) * sizeof(rp_quirk) + offsetof(rp_quirk, count);
    q_missing_clears_at =
        offsetof(replay, quirk) + (size_t)(qbase + Q_MISSING_CLEARS) * sizeof(rp_quirk) + offsetof(rp_quirk, count);
    q_first_not_new_at =
        offsetof(replay, quirk) + (size_t)(qbase + Q_FIRST_NOT_NEW) * sizeof(rp_quirk) + offsetof(rp_quirk, count);
    for (int i = 0; i < Q_COUNT; i++)
        rp_quirk_add(rp, q[i][0], q[i][1], listed[i]);
    rp->case_done = case_done;
    rp->case_last = NULL;
    rp->due = itsm_due_layout() == ITSM_DUE_LAYOUT ? itsm_engine_due_view(rp->eng) : NULL;
    rp->watch_fields = 0;
    for (int i = 0; i < KNOWN_STR; i++)
        rp->watch_fields |= (uint64_t)1 << (unsigned)known_str_field[i];
    for (int i = 0; i < 2; i++)
        rp->watch_fields |= (uint64_t)1 << (unsigned)known_num_field[i];
}

/* The state `cur` (itsm_record_state) as a uci_state (UCI_NSTATES: a state
 * of the policy the log has no name for). The engine gives every record in
 * one state the same name pointer: compared by pointer once learnt. */
static inline uci_state state_of_record(replay *rp, const char *cur)
{
    for (int k = 0; k < UCI_UNKNOWN_100; k++)
        if (rp->state_seen[k] == cur)
            return (uci_state)k;
    for (int k = 0; k < UCI_UNKNOWN_100; k++)
        if (!strcmp(cur, uci_state_policy_name[k])) {
            rp->state_seen[k] = cur;
            return (uci_state)k;
        }
    return UCI_NSTATES;
}

/* rp_incident.known_pool[i] when no row value is known equal to the
 * field's: a pointer no row value has. A field with no value is equal to
 * a row's '?' (NULL), so a row is compared with the copy by one pointer
 * (add_str). */
static const char pool_unknown[1];

/* known_pool for a field whose value becomes `v` (a handle, NULL: none). */
static inline const char *pool_for(const char *v) { return v ? pool_unknown : NULL; }

/* A field read again: a row value known equal to the old one is not
 * known equal to a new one. */
static inline void know_str(rp_incident *in, int i, const char *v)
{
    if (v != in->known_str[i])
        in->known_pool[i] = pool_for(v);
    in->known_str[i] = v;
}

#ifndef NDEBUG
/* Debug builds prove the copy the sink kept against the record (the
 * replay tests run them): a difference is a bug in the watch. */
static void check_known(const rp_incident *in, const itsm_record *r)
{
    for (int i = 0; i < KNOWN_STR; i++)
        if (itsm_record_str(r, known_str_field[i]) != in->known_str[i] || (!in->known_pool[i] && in->known_str[i]))
            abort();
    for (int i = 0; i < 2; i++)
        if (itsm_record_int(r, known_num_field[i]) != in->known_num[i])
            abort();
    if (strcmp(itsm_record_state(r), in->known_state))
        abort();
}
#endif

#if defined(__GNUC__)
#define UCI_COLD __attribute__((noinline, cold))
#define UCI_APART __attribute__((noinline))
#define UCI_INLINE static inline __attribute__((always_inline))
#define UCI_LIKELY(x) __builtin_expect(!!(x), 1)
#else
#define UCI_COLD
#define UCI_APART
#define UCI_INLINE static inline
#define UCI_LIKELY(x) (x)
#endif

/* Apply one step of the mapper's (update, or fire `ev`) with the sink
 * watching for its event (replay.watch). The changes' values are in the
 * copy already (add_str, add_int: written as they were found, which
 * saves a pass over the changes after the step): they stand when the
 * step's own event moved the copy on (the sink cleared watch_expect),
 * and otherwise the copy is dropped, to be read again (a refusal, or an
 * event that did more). `expect`: the bits of the fields the changes set,
 * not 0 when there are changes (all are the copy's fields). */
static inline int watched_step(replay *rp, rp_incident *in, const char *ev, const itsm_change *ch, size_t n,
                               uint64_t expect)
{
    rp->watch_expect = expect & rp->watch_fields;
#ifndef NDEBUG
    if (n && !rp->watch_expect)
        abort();   /* a change of a field the copy does not hold: watch_expect would not tell */
#endif
    int rc = ev ? itsm_record_fire(in->rec, ev, ch, n) : itsm_record_update(in->rec, ch, n);
    if (n && (rp->watch_expect || rc != ITSM_OK))
        in->known_rev = 0;   /* not as written: read again */
    rp->watch_expect = 0;
    return rc;
}

/* Before a case's record is opened with changes of the copy's fields
 * `expect` (bits), the copy set to the values they give: the sink is to
 * take the opening's event (replay.watch_open), which starts the copy at
 * revision 1 when it changes exactly those of the copy's fields. */
static inline void open_watched(replay *rp, rp_incident *in, uint64_t expect)
{
    rp->watch = rp->cur;
    rp->watch_in = in;
    rp->watch_rec = NULL;
    rp_watch_open(rp, 1);
    rp->watch_expect = expect;
    in->known_rev = 0;
}

/* After the opening of open_watched: the copy stands when the sink took
 * the opening's event (known_rev 1: the first row needs no read of the
 * fields) and it was this record's, with the state the record was opened
 * in. */
static inline void opened_watched(replay *rp, rp_incident *in)
{
    if (rp->watch_rec != in->rec)
        in->known_rev = 0;   /* read at the next row */
    rp_watch_open(rp, 0);
    rp->watch_expect = 0;
    rp->watch_rec = in->rec;
    if (!rp->open_state) {   /* the first opening: the lifecycle's initial state, the same for every record */
        rp->open_state = itsm_record_state(in->rec);
        rp->open_from = (int)state_of_record(rp, rp->open_state);
    }
    in->known_state = rp->open_state;
    in->known_from = rp->open_from;
#ifndef NDEBUG
    if (strcmp(itsm_record_state(in->rec), in->known_state))
        abort();
    if (in->known_rev)
        check_known(in, in->rec);
#endif
}

/* The copy read again from the record (know_record). */
UCI_COLD static void know_read(replay *rp, rp_incident *in, const itsm_record *r)
{
    in->known_rev = itsm_record_revision(r);
    in->known_row = 0;   /* known_pool and known_num as read: no row's tuple */
    in->known_state = itsm_record_state(r);
    in->known_from = (int)state_of_record(rp, in->known_state);
    know_str(in, 0, itsm_record_str(r, known_str_field[0]));   /* unrolled: no loop around 9 calls */
    know_str(in, 1, itsm_record_str(r, known_str_field[1]));
    know_str(in, 2, itsm_record_str(r, known_str_field[2]));
    know_str(in, 3, itsm_record_str(r, known_str_field[3]));
    know_str(in, 4, itsm_record_str(r, known_str_field[4]));
    know_str(in, 5, itsm_record_str(r, known_str_field[5]));
    know_str(in, 6, itsm_record_str(r, known_str_field[6]));
    in->known_num[0] = itsm_record_int(r, known_num_field[0]);
    in->known_num[1] = itsm_record_int(r, known_num_field[1]);
}

/* The record's fields a row is compared with (rp_incident.known_str and
 * known_num) and its state (known_state, and as a uci_state known_from),
 * read again only when the record is at another revision than the copy:
 * rows that change nothing leave the revision as it was, and the sink
 * moves the copy's revision over the events that leave its fields alone
 * or change them as the mapper's own step said (replay.watch), or drops
 * the copy (known_rev 0). Outside a group the sink hears every event of
 * the record (replay.ask_rev): the revision is not asked. */
static inline void know_record(replay *rp, rp_incident *in, const itsm_record *r)
{
    if (!in->known_rev || (rp->ask_rev && itsm_record_revision(r) != in->known_rev)) {
        know_read(rp, in, r);
        return;
    }
    /* the copy stands (no event, or only events the sink saw leave its
     * fields alone); a transition the sink saw moved the state */
    if (in->known_from < 0)
        in->known_from = (int)state_of_record(rp, in->known_state);
#ifndef NDEBUG
    check_known(in, r);
#endif
}

/* The lifecycle event that takes a record from `from` to `to`. */
static inline const char *event_for(uci_state from, uci_state to)
{
    switch (to) {
    case UCI_ACTIVE:
        return from == UCI_RESOLVED || from == UCI_CLOSED ? "reopen" : "activate";
    case UCI_AWAIT_USER: return "await_user_info";
    case UCI_AWAIT_VENDOR: return "await_vendor";
    case UCI_AWAIT_PROBLEM: return "await_problem";
    case UCI_AWAIT_EVIDENCE: return "await_evidence";
    case UCI_RESOLVED: return "resolve";
    case UCI_CLOSED: return "close";
    case UCI_NEW: return "renew";   /* not in the policy: refused if the log ever goes back to New */
    default: return NULL;
    }
}

/* A change of a symbol field when the row's value differs from the
 * record's (*curp, read only then). `pooled` is the row's value; its
 * handle (rp_sym) is the very pointer the record gives back when it holds
 * the same symbol. *same is the row value last found equal to the
 * record's (rp_incident.known_pool), noted here when this one is.
 * *expect gets the field's bit when it changes, and the copy the value
 * the change gives (*curp, *same), which watched_step keeps when the
 * step's own event shows the record took it. */
static inline void add_str(replay *rp, const char **curp, const char **same, itsm_change *ch, size_t *n,
                           uint64_t *expect, itsm_field f, const char *pooled)
{
    /* the usual row: it repeats a value found equal before, or gives
     * none where the record has none ('?' on both sides) */
    if (UCI_LIKELY(pooled == *same))
        return;
    const char *cur = *curp;
    const char *v = rp_sym(rp, pooled);
    if (v == cur || (v == pooled && v && cur && !strcmp(v, cur))) {   /* or not a symbol the engine takes: by its bytes */
        *same = pooled;
        return;
    }
    if (!v)
        QUIRK_COUNT(rp, q_missing_clears_at)++;   /* counted, not listed: routine */
    ch[(*n)++] = (itsm_change){ f, v, 0 };
    *expect |= (uint64_t)1 << ((unsigned)f & 63u);
    *curp = v;
    *same = pooled;
}

/* A change of impact or urgency (v > 0: the row gives one) when it
 * differs from the copy's *cur, written into the copy as add_str does. */
static inline void add_int(int64_t *cur, itsm_change *ch, size_t *n, uint64_t *expect, itsm_field f, int v)
{
    if (v > 0 && *cur != v) {
        ch[(*n)++] = (itsm_change){ f, NULL, v };
        *expect |= (uint64_t)1 << ((unsigned)f & 63u);
        *cur = v;
    }
}

/* The log's own columns of a case at its last row: written once, when the
 * case's rows are done (replay.case_done), from the last row note_log saw
 * (replay.case_last, a row of the current case; the rows outlive the run). */
static void case_done(replay *rp, rp_incident *in)
{
    const uci_row *w = rp->case_last;
    if (!w)
        return;
    rp->case_last = NULL;
    in->log_reassign = w->reassign;
    in->log_reopen = w->reopen;
    in->log_made_sla = w->made_sla;
    in->log_priority = w->priority;
    in->log_opened = w->opened_at;
    in->log_resolved = w->resolved_at;
    in->log_closed = w->closed_at;
}

static inline void note_log(replay *rp, rp_incident *in, const uci_row *w, itsm_time t, int first)
{
    in->rows++;
    rp->case_last = w;   /* its columns: case_done */
    if (w->state == UCI_CLOSED)
        in->log_completed = 1;
    if (first)   /* a case's first row (first_row) */
        rp_team_first(in, w->group);
    else
        rp_team_seen(in, w->group, 0);
    /* the run of Resolved rows of the latest resolution */
    if (w->state == UCI_RESOLVED) {
        if (in->run_first == ITSM_TIME_NONE)
            in->run_first = t;
        in->run_last = t;
    } else if (w->state != UCI_CLOSED && w->state != UCI_UNKNOWN_100) {
        in->run_first = in->run_last = ITSM_TIME_NONE;   /* reopened: a later run will count */
    }
}

/* The rarer ways of a row, out of line: the usual row (a later row of an
 * open case) keeps a small frame and few registers to save. */

/* The sink keeps the copy of the current case (replay.watch), set when
 * the case changes (next_case, row_refused); the copy it had is behind
 * its record's events heard while another case was watched. */
static inline void watch_case(replay *rp, rp_incident *in)
{
    if (rp->watch != rp->cur) {
        rp->watch = rp->cur;
        rp->watch_in = in;
        rp->watch_rec = in->rec;
        in->known_rev = 0;
    }
}

/* A row the mapper refuses (malformed, or the input's cut last line). */
UCI_COLD static void row_refused(replay *rp, const uci_row *w)
{
    if (w->number) {
        int fresh;
        rp_incident *in = rp_row_case(rp, w->number, &fresh);
        in->rows++;
        watch_case(rp, in);
    }
    if (w->cut)
        rp_refuse_cut(rp, w->line, w->number);
    else
        rp_refuse(rp, w->line, w->number ? w->number : "?", w->bad, w->bad);
}

/* The case of a row whose case is not the previous row's (rp_row_case):
 * a new case whose record the engine may hold already (another input)
 * continues that record. */
UCI_APART static rp_incident *next_case(replay *rp, const uci_row *w)
{
    int fresh;
    rp_incident *in = rp_row_case_slow(rp, w->number, &fresh);
    itsm_record *old;
    if (fresh && rp_foreign(rp) && itsm_record_find(&old, rp->eng, w->number) == ITSM_OK) {
        /* a record this replay did not open (another input): continue it */
        in->rec = old;
        in->last_t = itsm_record_int(old, ITSM_F_UPDATED_AT);
    }
    watch_case(rp, in);
    return in;
}

UCI_COLD static void tick_refused(replay *rp, const uci_row *w, int rc) { rp_tick_failed(rp, rc, w->line, w->number); }

/* rp_tick for a row: its line and id are read only when the tick fails
 * (rp_tick's arguments are read before the call, kept in registers). A
 * tick before the queue's first time (replay.due), at a time the tick
 * takes, fires nothing and returns ITSM_OK (itsm/sla.h): left out. The
 * mapper ticks outside the engine's callbacks, and the run stops at a
 * store failure (rp_run), the only way the engine breaks. */
UCI_INLINE void row_tick(replay *rp, itsm_time t, const uci_row *w)
{
    if (UCI_LIKELY(rp->due && t < itsm_due_view_earliest(rp->due) && (uint64_t)t <= (uint64_t)ITSM_TIME_MAX)) {
#ifndef NDEBUG
        size_t none;
        if (itsm_engine_tick(rp->eng, t, &none) != ITSM_OK || none)
            abort();   /* it was due after all */
#endif
        return;
    }
    size_t fired;   /* itsm_engine_tick writes it first thing, on every return */
    int rc = itsm_engine_tick(rp->eng, t, &fired);
    rp->fired += fired;
    if (rc != ITSM_OK)
        tick_refused(rp, w, rc);
}

UCI_COLD static void refused_never_opened(replay *rp, const uci_row *w)
{
    rp_refuse(rp, w->line, w->number, "incident was never opened (its first row was refused)",
              "the library refused this incident's first row, so it has no record");
}

/* A later row of a case whose opening was refused: noted, and refused. */
UCI_COLD static void never_opened(replay *rp, rp_incident *in, const uci_row *w)
{
    itsm_time t = w->updated_at;
    if (t < in->last_t)
        t = in->last_t;
    note_log(rp, in, w, t, 0);
    refused_never_opened(rp, w);
}

UCI_COLD static void refused_update(replay *rp, const uci_row *w, int rc, const char *cur)
{
    char what[96];
    snprintf(what, sizeof what, "update in state '%s'", cur);
    rp_refuse_lib(rp, w->line, w->number, rc, what);
}

UCI_COLD static void refused_fire(replay *rp, const uci_row *w, int rc, const char *ev, const char *cur)
{
    char what[128];
    snprintf(what, sizeof what, "'%s' from '%s' (log: %s)", ev, cur, uci_state_log_name[w->state]);
    rp_refuse_lib(rp, w->line, w->number, rc, what);
}

/* The row's state step at `t`, with the field changes ch[0..n) (bits
 * `expect`, written into the copy: add_str) found against the record in
 * state `cur` (`from`): one update when the state stays, else the
 * transition carrying the changes. */
UCI_INLINE void state_step(replay *rp, rp_incident *in, const uci_row *w, itsm_time t, itsm_change *ch, size_t n, uint64_t expect, const char *cur, uci_state from)
{
    int rc;
    uci_state to = w->state;
    if (to == UCI_UNKNOWN_100) {
        QUIRK(rp, Q_STATE_100, w->line);
        to = UCI_NSTATES; /* keep the state */
    }
    rp->now = t;
    if (to == UCI_NSTATES || from == to) {
        if (to == UCI_CLOSED)
            QUIRK(rp, Q_CLOSED_AGAIN, w->line);
        if (to == UCI_RESOLVED)
            QUIRK(rp, Q_RESOLVED_AGAIN, w->line);
        rp_move(rp, in, cur, cur, NULL, 0);
        if (n == 0) {
            QUIRK_COUNT(rp, q_no_change_at)++;   /* counted, not listed: routine */
            rp->unchanged++;
            in->last_t = t;
            return;
        }
        if ((rc = watched_step(rp, in, NULL, ch, n, expect)) != ITSM_OK) {
            refused_update(rp, w, rc, cur);
            return;
        }
    } else {
        const char *ev = event_for(from, to);
        if ((to == UCI_RESOLVED || to == UCI_CLOSED) && w->closed_code)
            add_str(rp, &in->known_str[6], &in->known_pool[6], ch, &n, &expect, ITSM_F_RESOLUTION_CODE,
                    w->closed_code);
        if (to == UCI_ACTIVE && from == UCI_CLOSED)
            QUIRK(rp, Q_CLOSED_ACTIVE, w->line);
        rc = watched_step(rp, in, ev, ch, n, expect);
        rp_move(rp, in, cur, uci_state_policy_name[to], ev, rc != ITSM_OK);
        if (rc != ITSM_OK) {
            refused_fire(rp, w, rc, ev, cur);
            return;
        }
        /* the sink moved the copy's state to the one entered: when it is
         * the one fired to, its code is known without a search */
        if (in->known_from < 0 && in->known_state == rp->state_seen[to])
            in->known_from = (int)to;
    }
    in->last_t = t;
    rp->applied++;
}

/* One symbol field of an opening (first_row): a change when the row
 * gives it, and its value in the copy either way. */
UCI_INLINE void open_str(replay *rp, rp_incident *in, int i, itsm_field f, const char *pooled, itsm_change **c,
                         uint64_t *expect)
{
    const char *h = rp_sym(rp, pooled);
    in->known_str[i] = h;
    in->known_pool[i] = pooled;
    if (pooled) {
        *(*c)++ = (itsm_change){ f, h, 0 };   /* by a pointer: no index arithmetic per field */
        *expect |= (uint64_t)1 << (unsigned)f;
    }
}

/* A case's first row (its record not opened yet): open it at opened_at
 * with the row's fields, then the row's state step at the row's time. */
UCI_APART static void first_row(replay *rp, rp_incident *in, const uci_row *w)
{
    itsm_time t = w->updated_at;
    int rc;
    itsm_time topen = w->opened_at;
    if (topen == ITSM_TIME_NONE) {
        QUIRK(rp, Q_NO_OPENED_AT, w->line);
        topen = t;
    }
    if (t < topen) {
        QUIRK(rp, Q_BEFORE_OPENED, w->line);
        t = topen;
    }
    note_log(rp, in, w, t, 1);
    /* time advances: fire every timer due by the row's time first */
    row_tick(rp, t, w);
    itsm_change ch[8], *c = ch;
    /* the copy (rp_incident.known_*) as the opening is to leave the
     * record, in the same order (known_str_field): open_watched */
    uint64_t expect = 0;
    open_str(rp, in, 0, ITSM_F_CALLER, w->caller, &c, &expect);
    open_str(rp, in, 1, ITSM_F_CATEGORY, w->category, &c, &expect);
    open_str(rp, in, 2, ITSM_F_SUBCATEGORY, w->subcategory, &c, &expect);
    open_str(rp, in, 3, ITSM_F_CI, w->ci, &c, &expect);
    open_str(rp, in, 4, ITSM_F_ASSIGNMENT_GROUP, w->group, &c, &expect);
    open_str(rp, in, 5, ITSM_F_ASSIGNEE, w->assignee, &c, &expect);
    in->known_str[6] = in->known_pool[6] = NULL;   /* no resolution code yet */
    in->known_num[0] = in->known_num[1] = 0;
    if (w->impact > 0) {
        *c++ = (itsm_change){ ITSM_F_IMPACT, NULL, w->impact };
        in->known_num[0] = w->impact;
        expect |= (uint64_t)1 << ITSM_F_IMPACT;
    }
    if (w->urgency > 0) {
        *c++ = (itsm_change){ ITSM_F_URGENCY, NULL, w->urgency };
        in->known_num[1] = w->urgency;
        expect |= (uint64_t)1 << ITSM_F_URGENCY;
    }
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = w->number;
    o.fields = ch;
    o.nfields = (size_t)(c - ch);
    rp->now = topen;
    in->open_tried = 1;
    open_watched(rp, in, expect);
    if ((rc = itsm_record_open(&in->rec, rp->eng, &o)) != ITSM_OK) {
        rp_watch_open(rp, 0);
        rp->watch_expect = 0;
        in->known_rev = 0;
        in->rec = NULL;
        rp_refuse_lib(rp, w->line, w->number, rc, "open");
        rp_move(rp, in, NULL, "new", "open", 1);
        return;
    }
    rp->opened++;
    opened_watched(rp, in);
    in->known_row = w->tuple;   /* known_pool and known_num as the row gave them (open_str) */
    rp_move(rp, in, NULL, in->known_state, "open", 0);
    in->last_t = t; /* t >= topen */
    if (w->state == UCI_NEW || w->state == UCI_UNKNOWN_100) {
        if (w->state == UCI_UNKNOWN_100)
            QUIRK(rp, Q_STATE_100, w->line);
        rp->applied++;
        return;
    }
    QUIRK_COUNT(rp, q_first_not_new_at)++;   /* counted, not listed */
    if (w->state == UCI_RESOLVED && t == topen) {
        /* already resolved when it was logged: no resolution time */
        QUIRK(rp, Q_LOGGED_RESOLVED, w->line);
        in->logged_resolved = 1;
        itsm_change cc = { ITSM_F_RESOLUTION_CODE, rp_sym(rp, w->closed_code), 0 };
        const char *cur = itsm_record_state(in->rec);
        size_t nc = w->closed_code ? 1 : 0;
        rp->now = t;
        /* watched: the copy takes the resolution code it sets (watched_step) */
        in->known_str[6] = cc.str;
        in->known_pool[6] = w->closed_code;
        rc = watched_step(rp, in, "logged_resolved", &cc, nc, nc ? (uint64_t)1 << ITSM_F_RESOLUTION_CODE : 0);
        rp_move(rp, in, cur, "resolved", "logged_resolved", rc != ITSM_OK);
        if (rc != ITSM_OK) {
            rp_refuse_lib(rp, w->line, w->number, rc, "'logged_resolved' from 'new' (log: Resolved)");
            return;
        }
        rp->applied++;
        return;
    }
    /* the state step at the row's time, no field changes left (the
     * record was just opened with the row's fields) */
    state_step(rp, in, w, t, ch, 0, 0, in->known_state, (uci_state)in->known_from);
}

/* One row (uci_apply), inline in uci_apply_rows' loop too; *cur_id is
 * rp->cur_id, or the loop's copy of it. */
UCI_INLINE void apply_row(replay *rp, const uci_row *w, const char **cur_id)
{
    if (((uintptr_t)w->bad | (unsigned)w->cut) != 0) {   /* w->bad || w->cut, one branch for the usual row */
        row_refused(rp, w);
        *cur_id = rp->cur_id;   /* its case, when it names one, is the current one now */
        return;
    }
    /* the case of the row before (w->number is not NULL), else next_case;
     * only these two change replay's current case, and *cur_id follows
     * (the loop's register: uci_apply_rows) */
    rp_incident *in;
    if (w->number == *cur_id) {
        in = rp->cur_in;
    } else {
        in = next_case(rp, w);
        *cur_id = rp->cur_id;
    }
    rp_set_actor(rp, w->updated_by);
    if (!in->rec) {
        if (!in->open_tried)   /* a new case, or only malformed rows so far */
            first_row(rp, in, w);
        else
            never_opened(rp, in, w);
        return;
    }
    /* a later row of the case */
    itsm_time t = w->updated_at;
    if (t < in->last_t)
        t = in->last_t;   /* only before opened_at, or across inputs: rows are in time order */
    note_log(rp, in, w, t, 0);
    row_tick(rp, t, w);
    know_record(rp, in, in->rec);
    itsm_change ch[12];
    size_t n = 0;
    uint64_t expect = 0;
    if (w->tuple != in->known_row) {
        /* not the compared fields of the row the copy last took: compare
         * them (the usual row repeats them, decided when it was read) */
        const char **ks = in->known_str;
        const char **kp = in->known_pool;
        add_str(rp, &ks[0], &kp[0], ch, &n, &expect, ITSM_F_CALLER, w->caller);
        add_str(rp, &ks[1], &kp[1], ch, &n, &expect, ITSM_F_CATEGORY, w->category);
        add_str(rp, &ks[2], &kp[2], ch, &n, &expect, ITSM_F_SUBCATEGORY, w->subcategory);
        add_str(rp, &ks[3], &kp[3], ch, &n, &expect, ITSM_F_CI, w->ci);
        add_str(rp, &ks[4], &kp[4], ch, &n, &expect, ITSM_F_ASSIGNMENT_GROUP, w->group);
        add_str(rp, &ks[5], &kp[5], ch, &n, &expect, ITSM_F_ASSIGNEE, w->assignee);
        /* the usual row repeats both (add_int would find no change) */
        if (!UCI_LIKELY(w->impact == in->known_num[0] && w->urgency == in->known_num[1])) {
            add_int(&in->known_num[0], ch, &n, &expect, ITSM_F_IMPACT, w->impact);
            add_int(&in->known_num[1], ch, &n, &expect, ITSM_F_URGENCY, w->urgency);
        }
        /* known_pool holds the row's values now, known_num its impact
         * and urgency where it gives them: a row with its tuple compares
         * equal in all eight */
        in->known_row = w->tuple;
    }
#ifndef NDEBUG
    else if (w->caller != in->known_pool[0] || w->category != in->known_pool[1] ||
             w->subcategory != in->known_pool[2] || w->ci != in->known_pool[3] || w->group != in->known_pool[4] ||
             w->assignee != in->known_pool[5] || (w->impact > 0 && w->impact != in->known_num[0]) ||
             (w->urgency > 0 && w->urgency != in->known_num[1])) {
        abort();   /* known_row kept past a change of the copy */
    }
#endif
    state_step(rp, in, w, t, ch, n, expect, in->known_state, (uci_state)in->known_from);
}

void uci_apply(replay *rp, const uci_row *w)
{
    rp->rows++;
    apply_row(rp, w, &rp->cur_id);
}

/* The loop over the rows is here, not the caller's: the registers the
 * row's path keeps (the replay, the case, the row, its time) are saved
 * once for the run, not at every row's call; the rows one after another
 * in memory, so the loop holds the row and the end alone. */
void uci_apply_rows(replay *rp, const uci_row *rows, size_t n)
{
    rp->rows += n;   /* once for the run: nothing in a row reads the count */
    /* the current case's id in a register, not reloaded from replay
     * every row (apply_row keeps it in step) */
    const char *cur_id = rp->cur_id;
    for (const uci_row *w = rows, *end = rows + n; w != end; w++)
        apply_row(rp, w, &cur_id);
}
