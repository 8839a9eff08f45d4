/* SPDX-License-Identifier: Apache-2.0 */
/* tools/uci.c - the UCI ServiceNow event log -> library calls (see uci.h). */
#include "uci.h"

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

#define UCI_MAX_COLS 64

struct uci_cols {
    int pos[C_NEEDED];
    int ncols;
};

uci_cols *uci_parse_header(char *line, char *err, size_t errcap)
{
    char *f[UCI_MAX_COLS];
    int n = rp_split(line, ',', f, UCI_MAX_COLS);
    if (n > UCI_MAX_COLS) {
        snprintf(err, errcap, "header: more than %d columns", UCI_MAX_COLS);
        return NULL;
    }
    uci_cols *c = malloc(sizeof *c);
    if (!c) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    c->ncols = n;
    for (int k = 0; k < C_NEEDED; k++) {
        c->pos[k] = -1;
        for (int i = 0; i < n; i++)
            if (strcmp(f[i], col_name[k]) == 0)
                c->pos[k] = i;
        if (c->pos[k] < 0) {
            snprintf(err, errcap, "header: no column '%s' (is this the UCI incident event log?)", col_name[k]);
            free(c);
            return NULL;
        }
    }
    return c;
}

itsm_time uci_parse_time(const char *s)
{
    unsigned d, m, y, hh, mm;
    int used = 0;
    if (sscanf(s, "%2u/%2u/%4u %2u:%2u%n", &d, &m, &y, &hh, &mm, &used) != 5 || s[used] != '\0' ||
        d < 1 || d > 31 || m < 1 || m > 12 || y < 1970 || hh > 23 || mm > 59)
        return ITSM_TIME_NONE;
    return (itsm_time)rp_days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60;
}

static int is_missing(const char *s) { return s[0] == '?' && s[1] == '\0'; }

static const char *sym(rp_pool *pool, const char *s)
{
    return is_missing(s) ? NULL : rp_intern(pool, s, strlen(s));
}

/* "2 - Medium" -> 2; "?" -> missing; else bad */
static int level(const char *s, int lo, int hi, int missing)
{
    if (is_missing(s))
        return missing;
    if (s[0] < '0' + lo || s[0] > '0' + hi || (s[1] != '\0' && s[1] != ' '))
        return -2;
    return s[0] - '0';
}

static int count(const char *s)
{
    if (is_missing(s))
        return -1;
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < 0 || v > 100000)
        return -2;
    return (int)v;
}

static int boolean(const char *s)
{
    if (!strcmp(s, "true"))
        return 1;
    if (!strcmp(s, "false"))
        return 0;
    return is_missing(s) ? -1 : -2;
}

void uci_parse_row(const uci_cols *c, rp_pool *pool, char *line, long lineno, uci_row *w)
{
    char *f[UCI_MAX_COLS];
    memset(w, 0, sizeof *w);
    w->line = lineno;
    int n = rp_split(line, ',', f, UCI_MAX_COLS);
    if (n != c->ncols) {
        w->bad = n > c->ncols ? "malformed row: more columns than the header"
                              : "malformed row: fewer columns than the header";
        w->number = n > 0 ? rp_intern(pool, f[0], strlen(f[0])) : NULL;
        return;
    }
#define COL(k) f[c->pos[k]]
    w->number = sym(pool, COL(C_NUMBER));
    if (!w->number) {
        w->bad = "malformed row: no incident number";
        return;
    }
    w->state = UCI_NSTATES;
    for (int s = 0; s < UCI_NSTATES; s++)
        if (!strcmp(COL(C_STATE), uci_state_log_name[s]))
            w->state = (uci_state)s;
    if (w->state == UCI_NSTATES) {
        w->bad = "unknown incident_state";
        return;
    }
    w->reassign = count(COL(C_REASSIGN));
    w->reopen = count(COL(C_REOPEN));
    int mod = count(COL(C_MODCOUNT));
    w->made_sla = boolean(COL(C_MADE_SLA));
    w->priority = level(COL(C_PRIORITY), 1, 5, -1);
    w->impact = level(COL(C_IMPACT), 1, 3, 0);
    w->urgency = level(COL(C_URGENCY), 1, 3, 0);
    if (w->reassign == -2 || w->reopen == -2 || mod == -2 || w->made_sla == -2 || w->priority == -2 ||
        w->impact == -2 || w->urgency == -2) {
        w->bad = "malformed row: a count, flag or level is not a number";
        return;
    }
    w->caller = sym(pool, COL(C_CALLER));
    w->category = sym(pool, COL(C_CATEGORY));
    w->subcategory = sym(pool, COL(C_SUBCATEGORY));
    w->ci = sym(pool, COL(C_CI));
    w->group = sym(pool, COL(C_GROUP));
    w->assignee = sym(pool, COL(C_ASSIGNEE));
    w->closed_code = sym(pool, COL(C_CLOSED_CODE));
    w->updated_by = sym(pool, COL(C_UPDATED_BY));
    w->updated_at = uci_parse_time(COL(C_UPDATED_AT));
    w->opened_at = uci_parse_time(COL(C_OPENED_AT));
    w->resolved_at = uci_parse_time(COL(C_RESOLVED_AT));
    w->closed_at = uci_parse_time(COL(C_CLOSED_AT));
    if (w->updated_at == ITSM_TIME_NONE)
        w->bad = "malformed row: sys_updated_at is not D/M/YYYY HH:MM";
#undef COL
}

/* ---- apply ---- */

enum { Q_FIRST_NOT_NEW, Q_STATE_100, Q_CLOSED_AGAIN, Q_CLOSED_ACTIVE, Q_TIME_BACK,
       Q_BEFORE_OPENED, Q_MISSING_CLEARS, Q_NO_CHANGE, Q_NO_OPENED_AT, Q_COUNT };

void uci_begin(replay *rp)
{
    static const char *const q[Q_COUNT][2] = {
        { "first row is not New", "opened at opened_at, then the transition to the row's state" },
        { "state -100", "not a ServiceNow state: state kept, the row's fields applied" },
        { "Closed row after Closed", "no change: counted; a change: refused by the library (ITSM_ESTATE)" },
        { "Closed -> Active", "a reopen: closed --reopen--> active, counts a reopen as the log does" },
        { "sys_updated_at went backwards", "applied at the incident's previous event time" },
        { "first sys_updated_at before opened_at", "applied at opened_at" },
        { "'?' after a value", "ServiceNow's NULL: the field is cleared" },
        { "row changes nothing the policy tracks", "counted as unchanged, no event" },
        { "opened_at missing or malformed", "opened at the row's sys_updated_at" },
    };
    for (int i = 0; i < Q_COUNT; i++)
        if (rp_quirk_add(rp, q[i][0], q[i][1]) != rp->nquirks - 1 || rp->nquirks - 1 != i)
            abort();
}

/* The lifecycle event that takes a record from `from` to `to`. */
static const char *event_for(const char *from, uci_state to)
{
    switch (to) {
    case UCI_ACTIVE:
        return !strcmp(from, "resolved") || !strcmp(from, "closed") ? "reopen" : "activate";
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

static void add_str(replay *rp, itsm_record *r, itsm_change *ch, size_t *n, itsm_field f, const char *v)
{
    const char *cur = itsm_record_str(r, f);
    if (v == cur || (cur == rp->eq_lib[f] && v == rp->eq_row[f] && cur))
        return;
    if (v && cur && !strcmp(v, cur)) {
        rp->eq_lib[f] = cur;
        rp->eq_row[f] = v;
        return;
    }
    if (!v)
        rp->quirk[Q_MISSING_CLEARS].count++;
    ch[(*n)++] = (itsm_change){ f, v, 0 };
}

static void add_int(itsm_record *r, itsm_change *ch, size_t *n, itsm_field f, int v)
{
    if (v > 0 && itsm_record_int(r, f) != v)
        ch[(*n)++] = (itsm_change){ f, NULL, v };
}

static void note_log(rp_incident *in, const uci_row *w)
{
    in->rows++;
    in->log_reassign = w->reassign;
    in->log_reopen = w->reopen;
    in->log_made_sla = w->made_sla;
    in->log_priority = w->priority;
    in->log_opened = w->opened_at;
    in->log_resolved = w->resolved_at;
    in->log_closed = w->closed_at;
}

void uci_apply(replay *rp, const uci_row *w)
{
    rp->rows++;
    rp_incident *in = rp->ninc ? &rp->inc[rp->ninc - 1] : NULL;
    if (w->bad) {
        if (in && in->id == w->number)
            in->rows++;
        rp_refuse(rp, w->line, w->number ? w->number : "?", w->bad, w->bad);
        return;
    }
    int first = !in || in->id != w->number;
    if (first) {
        if (in)
            rp_verdict(rp, in); /* its last row is done: the library's SLA verdict */
        in = rp_incident_add(rp, w->number);
        itsm_record *old;
        if (itsm_record_find(&old, rp->eng, w->number) == ITSM_OK) {
            /* Rows of an incident are contiguous in the log; if one comes
             * back later it continues the same record. */
            in->rec = old;
            in->last_t = itsm_record_int(old, ITSM_F_UPDATED_AT);
            first = 0;
        }
    }
    note_log(in, w);
    rp_set_actor(rp, w->updated_by);
    itsm_time t = w->updated_at;
    int rc;

    if (first) {
        itsm_time topen = w->opened_at;
        if (topen == ITSM_TIME_NONE) {
            rp->quirk[Q_NO_OPENED_AT].count++;
            topen = t;
        }
        if (t < topen) {
            rp->quirk[Q_BEFORE_OPENED].count++;
            t = topen;
        }
        /* time advances: fire every timer due by the row's time first */
        rp_tick(rp, t, w->line, w->number);
        itsm_change ch[8];
        size_t n = 0;
        const struct { itsm_field f; const char *v; } s[] = {
            { ITSM_F_CALLER, w->caller }, { ITSM_F_CATEGORY, w->category },
            { ITSM_F_SUBCATEGORY, w->subcategory }, { ITSM_F_CI, w->ci },
            { ITSM_F_ASSIGNMENT_GROUP, w->group }, { ITSM_F_ASSIGNEE, w->assignee } };
        for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
            if (s[i].v)
                ch[n++] = (itsm_change){ s[i].f, s[i].v, 0 };
        if (w->impact > 0)
            ch[n++] = (itsm_change){ ITSM_F_IMPACT, NULL, w->impact };
        if (w->urgency > 0)
            ch[n++] = (itsm_change){ ITSM_F_URGENCY, NULL, w->urgency };
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        o.id = w->number;
        o.fields = ch;
        o.nfields = n;
        rp->now = topen;
        if ((rc = itsm_record_open(&in->rec, rp->eng, &o)) != ITSM_OK) {
            in->rec = NULL;
            rp_refuse_lib(rp, w->line, w->number, rc, "open");
            return;
        }
        in->last_t = t; /* t >= topen */
        if (w->state == UCI_NEW || w->state == UCI_UNKNOWN_100) {
            if (w->state == UCI_UNKNOWN_100)
                rp->quirk[Q_STATE_100].count++;
            rp->applied++;
            return;
        }
        rp->quirk[Q_FIRST_NOT_NEW].count++;
        /* fall through to the state step at the row's time, no field changes left */
    }
    if (!in->rec) {
        rp_refuse(rp, w->line, w->number, "incident was never opened (its first row was refused)",
                  "the library refused this incident's first row, so it has no record");
        return;
    }
    if (t < in->last_t) {
        rp->quirk[Q_TIME_BACK].count++;
        t = in->last_t;
    }
    if (!first)   /* a first row ticked before the record was opened */
        rp_tick(rp, t, w->line, w->number);
    itsm_record *r = in->rec;
    itsm_change ch[12];
    size_t n = 0;
    if (!first) {
        add_str(rp, r, ch, &n, ITSM_F_CALLER, w->caller);
        add_str(rp, r, ch, &n, ITSM_F_CATEGORY, w->category);
        add_str(rp, r, ch, &n, ITSM_F_SUBCATEGORY, w->subcategory);
        add_str(rp, r, ch, &n, ITSM_F_CI, w->ci);
        add_str(rp, r, ch, &n, ITSM_F_ASSIGNMENT_GROUP, w->group);
        add_str(rp, r, ch, &n, ITSM_F_ASSIGNEE, w->assignee);
        add_int(r, ch, &n, ITSM_F_IMPACT, w->impact);
        add_int(r, ch, &n, ITSM_F_URGENCY, w->urgency);
    }
    const char *cur = itsm_record_state(r);
    uci_state to = w->state;
    if (to == UCI_UNKNOWN_100) {
        rp->quirk[Q_STATE_100].count++;
        to = UCI_NSTATES; /* keep the state */
    }
    rp->now = t;
    if (to == UCI_NSTATES || !strcmp(cur, uci_state_policy_name[to])) {
        if (to == UCI_CLOSED)
            rp->quirk[Q_CLOSED_AGAIN].count++;
        if (n == 0) {
            rp->quirk[Q_NO_CHANGE].count++;
            rp->unchanged++;
            in->last_t = t;
            return;
        }
        if ((rc = itsm_record_update(r, ch, n)) != ITSM_OK) {
            char what[96];
            snprintf(what, sizeof what, "update in state '%s'", cur);
            rp_refuse_lib(rp, w->line, w->number, rc, what);
            return;
        }
    } else {
        const char *ev = event_for(cur, to);
        if ((to == UCI_RESOLVED || to == UCI_CLOSED) && w->closed_code)
            add_str(rp, r, ch, &n, ITSM_F_RESOLUTION_CODE, w->closed_code);
        if (to == UCI_ACTIVE && !strcmp(cur, "closed"))
            rp->quirk[Q_CLOSED_ACTIVE].count++;
        if ((rc = itsm_record_fire(r, ev, ch, n)) != ITSM_OK) {
            char what[128];
            snprintf(what, sizeof what, "'%s' from '%s' (log: %s)", ev, cur, uci_state_log_name[w->state]);
            rp_refuse_lib(rp, w->line, w->number, rc, what);
            return;
        }
    }
    in->last_t = t;
    rp->applied++;
}
