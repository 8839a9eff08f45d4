/* SPDX-License-Identifier: Apache-2.0 */
/* tools/bpi.c - the BPI Challenge 2013 incidents -> library calls (see bpi.h). */
#include "bpi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const log_status[BPI_NSTATES][2] = {
    { "Queued", "Awaiting Assignment" }, { "Accepted", "Assigned" }, { "Accepted", "In Progress" },
    { "Accepted", "Wait" }, { "Accepted", "Wait - User" }, { "Accepted", "Wait - Implementation" },
    { "Accepted", "Wait - Vendor" }, { "Accepted", "Wait - Customer" }, { "Completed", "Resolved" },
    { "Completed", "In Call" }, { "Completed", "Closed" }, { "Completed", "Cancelled" },
    { "Unmatched", "Unmatched" }
};
static const char *const policy_state[BPI_NSTATES] = {
    "queued", "assigned", "in_progress", "wait", "wait_user", "wait_implementation", "wait_vendor",
    "wait_customer", "resolved", "in_call", "closed", "cancelled", NULL
};
static const char *const policy_event[BPI_NSTATES] = {
    "queue", "assign", "start", "wait", "wait_user", "wait_implementation", "wait_vendor",
    "wait_customer", "resolve", "resolve_in_call", "close", "cancel", NULL
};

const char *bpi_state_name(bpi_state s) { return (unsigned)s < BPI_NSTATES ? policy_state[s] : NULL; }

enum { B_NUMBER, B_TIME, B_STATUS, B_SUB, B_TEAM, B_IMPACT, B_PRODUCT, B_OWNER, B_NEEDED };
const bpi_names bpi_incident_names = {
    "SR Number", "Change Date+Time", "Status", "Sub Status", "Involved ST", "SR Latest Impact", "Product",
    "Owner First Name", "the BPI 2013 incidents CSV"
};
const bpi_names bpi_problem_names = {
    "Problem Number", "Problem Change Date+Time", "Problem Status", "Problem Sub Status",
    "Problem Involved Owner ST", "Problem Latest Impact", "Product", "Problem Involved Action Owner First Name",
    "a BPI 2013 problems CSV"
};
struct bpi_cols {
    int     pos[B_NEEDED];
    int     ncols;
    rp_memo memo[B_NEEDED];
};

bpi_cols *bpi_parse_header(const bpi_names *names, char *line, size_t len, char *err, size_t errcap)
{
    const char *const col_name[B_NEEDED] = { names->number, names->time, names->status, names->sub,
                                             names->team, names->impact, names->product, names->owner };
    bpi_cols *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    if (rp_find_columns(line, len, ';', col_name, B_NEEDED, c->pos, c->memo, &c->ncols, names->what,
                        err, errcap)) {
        free(c);
        return NULL;
    }
    return c;
}

itsm_time bpi_parse_time(const char *s) { return rp_time_iso(s, strlen(s)); }

static int eq(const char *s, size_t n, const char *lit) { return strlen(lit) == n && !memcmp(s, lit, n); }

void bpi_parse_row(bpi_cols *c, rp_pool *pool, char *line, size_t len, long lineno, bpi_row *w)
{
    rp_fields f;
    memset(w, 0, sizeof *w);
    w->line = lineno;
    rp_split(&f, line, len, ';');
    if (f.n != c->ncols) {
        w->bad = "malformed row: the column count differs from the header";
        w->number = f.len[0] ? rp_intern(pool, f.p[0], f.len[0]) : NULL;
        return;
    }
#define COL(k) f.p[c->pos[k]], f.len[c->pos[k]]
    if (!f.len[c->pos[B_NUMBER]]) {
        w->bad = "malformed row: no case number";
        return;
    }
    w->number = rp_intern_memo(pool, &c->memo[B_NUMBER], COL(B_NUMBER));
    w->at = rp_time_iso(COL(B_TIME));
    if (w->at == ITSM_TIME_NONE) {
        w->bad = "malformed row: Change Date+Time is not a real ISO 8601 time with an offset";
        return;
    }
    w->state = BPI_NSTATES;
    for (int s = 0; s < BPI_NSTATES; s++)
        if (eq(COL(B_STATUS), log_status[s][0]) && eq(COL(B_SUB), log_status[s][1]))
            w->state = (bpi_state)s;
    if (w->state == BPI_NSTATES) {
        w->bad = "unknown Status / Sub Status";
        return;
    }
    const char *team = f.p[c->pos[B_TEAM]];
    size_t tl = f.len[c->pos[B_TEAM]];
    w->team = tl ? rp_intern_memo(pool, &c->memo[B_TEAM], team, tl) : NULL;
    w->level = tl > 4 && !memcmp(team + tl - 4, " 2nd", 4) ? 2 : tl > 4 && !memcmp(team + tl - 4, " 3rd", 4) ? 3 : 1;
    static const char *const imp[4] = { "Major", "High", "Medium", "Low" };
    static const int impact[4] = { 1, 1, 2, 3 }, prio[4] = { 1, 2, 3, 4 };
    for (int i = 0; i < 4; i++)
        if (eq(COL(B_IMPACT), imp[i])) {
            w->impact = impact[i];
            w->priority = prio[i];
        }
    if (!w->impact) {
        w->bad = "unknown Latest Impact";
        return;
    }
    w->product = f.len[c->pos[B_PRODUCT]] ? rp_intern_memo(pool, &c->memo[B_PRODUCT], COL(B_PRODUCT)) : NULL;
    const char *owner = f.p[c->pos[B_OWNER]];
    size_t ol = f.len[c->pos[B_OWNER]];
    if (ol && !eq(owner, ol, "-")) {
        rp_memo *m = &c->memo[B_OWNER];
        if (m->n == ol && !memcmp(m->buf, owner, ol)) {
            w->owner = m->interned;   /* the same (ISO-8859-1) bytes as the last row */
        } else {
            char u[2 * 255 + 1];
            size_t ul = rp_latin1_to_utf8(owner, ol < 255 ? ol : 255, u, sizeof u);
            w->owner = rp_intern(pool, u, ul);
            m->interned = w->owner;
            m->n = ol < sizeof m->buf ? ol : (size_t)-1;
            if (ol < sizeof m->buf)
                memcpy(m->buf, owner, ol);
        }
        w->system = w->owner && eq(owner, ol, "Siebel");
    }
#undef COL
}

int bpi_same(const void *rows, size_t a, size_t b)
{
    const bpi_row *x = (const bpi_row *)rows + a, *y = (const bpi_row *)rows + b;
    return !x->bad && !y->bad && x->number == y->number && x->at == y->at && x->state == y->state &&
           x->team == y->team && x->impact == y->impact && x->priority == y->priority &&
           x->product == y->product && x->owner == y->owner;
}

enum { Q_FIRST, Q_UNMATCHED, Q_SIEBEL, Q_DASH, Q_REOPEN, Q_NO_CHANGE, Q_COUNT };
static int qbase;
#define QUIRK(rp, q, line) rp_quirk_note(rp, qbase + (q), line)

void bpi_begin(replay *rp)
{
    static const char *const q[Q_COUNT][2] = {
        { "first row is not Queued", "opened, then the transition to the row's status" },
        { "Unmatched/Unmatched", "not a VINST status: state kept, the row's fields applied" },
        { "owner 'Siebel'", "the system itself: actor only, not an assignee" },
        { "owner '-'", "missing: assignee unchanged" },
        { "Completed then active again", "a reopen (counts a reopen)" },
        { "row changes nothing the policy tracks", "counted as unchanged, no event" },
    };
    static const int listed[Q_COUNT] = { [Q_UNMATCHED] = 1, [Q_DASH] = 1 };
    qbase = rp->nquirks;
    for (int i = 0; i < Q_COUNT; i++)
        rp_quirk_add(rp, q[i][0], q[i][1], listed[i]);
}

void bpi_finish(replay *rp) { rp_finish(rp); }

static void level_seen(rp_incident *in)
{
    if (in->rec) {
        int l = (int)itsm_record_int(in->rec, ITSM_F_FUNCTIONAL_LEVEL);
        if (l > in->lib_max_level)
            in->lib_max_level = l;
    }
}

void bpi_apply(replay *rp, const bpi_row *w)
{
    rp->rows++;
    if (w->bad || w->cut) {
        if (w->number) {
            int fresh;
            rp_row_case(rp, w->number, &fresh)->rows++;
        }
        if (w->cut)
            rp_refuse_cut(rp, w->line, w->number);
        else
            rp_refuse(rp, w->line, w->number ? w->number : "?", w->bad, w->bad);
        return;
    }
    int first;
    rp_incident *in = rp_row_case(rp, w->number, &first);
    if (first) {
        in->log_reassign = 0;
        itsm_record *old;
        if (itsm_record_find(&old, rp->eng, w->number) == ITSM_OK) {
            in->rec = old;
            in->last_t = itsm_record_int(old, ITSM_F_UPDATED_AT);
            first = 0;
        }
    } else if (!in->rec && !in->open_tried) {
        first = 1;
        in->log_reassign = 0;
    }
    /* the log's own figures, independent of the library */
    in->rows++;
    int changes = in->log_team_changes;
    rp_team_seen(in, w->team, w->level);
    in->log_reassign += in->log_team_changes - changes;
    in->log_priority = w->priority;
    if (w->state >= BPI_RESOLVED && w->state <= BPI_CANCELLED)
        in->log_completed = 1;

    if (w->system)
        QUIRK(rp, Q_SIEBEL, w->line);
    else if (!w->owner)
        QUIRK(rp, Q_DASH, w->line);
    rp_set_actor(rp, w->owner ? w->owner : rp_intern(rp->pool, "unknown", 7));
    const char *assignee = w->system ? NULL : w->owner;
    itsm_time t = w->at;
    int rc;
    itsm_change ch[8];
    size_t n = 0;
    if (first) {
        if (w->team)
            ch[n++] = (itsm_change){ ITSM_F_ASSIGNMENT_GROUP, w->team, 0 };
        if (assignee)
            ch[n++] = (itsm_change){ ITSM_F_ASSIGNEE, assignee, 0 };
        if (w->product)
            ch[n++] = (itsm_change){ ITSM_F_CI, w->product, 0 };
        ch[n++] = (itsm_change){ ITSM_F_IMPACT, NULL, w->impact };
        ch[n++] = (itsm_change){ ITSM_F_PRIORITY, NULL, w->priority };
        ch[n++] = (itsm_change){ ITSM_F_FUNCTIONAL_LEVEL, NULL, w->level };
        /* time advances: fire every timer due by the row's time first */
        rp_tick(rp, t, w->line, w->number);
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        o.kind = rp->kind ? rp->kind : ITSM_KIND_INCIDENT;
        o.id = w->number;
        o.fields = ch;
        o.nfields = n;
        rp->now = t;
        in->open_tried = 1;
        if ((rc = itsm_record_open(&in->rec, rp->eng, &o)) != ITSM_OK) {
            in->rec = NULL;
            rp_refuse_lib(rp, w->line, w->number, rc, "open");
            rp_move(rp, in, NULL, "new", "open", 1);
            return;
        }
        rp_move(rp, in, NULL, itsm_record_state(in->rec), "open", 0);
        in->last_t = t;
        level_seen(in);
        n = 0;
        if (w->state == BPI_UNMATCHED) {
            QUIRK(rp, Q_UNMATCHED, w->line);
            rp->applied++;
            return;
        }
        if (w->state != BPI_QUEUED)
            QUIRK(rp, Q_FIRST, w->line);
    }
    if (!in->rec) {
        rp_refuse(rp, w->line, w->number, "case was never opened (its first row was refused)",
                  "the library refused this case's first row, so it has no record");
        return;
    }
    itsm_record *r = in->rec;
    if (t < in->last_t)
        t = in->last_t;   /* only across inputs: a case's rows are in time order */
    if (!first) {
        rp_tick(rp, t, w->line, w->number);
        const char *g = itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP);
        if (w->team && w->team != g && (!g || strcmp(g, w->team)))
            ch[n++] = (itsm_change){ ITSM_F_ASSIGNMENT_GROUP, w->team, 0 };
        const char *a = itsm_record_str(r, ITSM_F_ASSIGNEE);
        if (assignee && (!a || strcmp(a, assignee)))
            ch[n++] = (itsm_change){ ITSM_F_ASSIGNEE, assignee, 0 };
        const char *p = itsm_record_str(r, ITSM_F_CI);
        if (w->product && (!p || strcmp(p, w->product)))
            ch[n++] = (itsm_change){ ITSM_F_CI, w->product, 0 };
        if (itsm_record_int(r, ITSM_F_FUNCTIONAL_LEVEL) != w->level)
            ch[n++] = (itsm_change){ ITSM_F_FUNCTIONAL_LEVEL, NULL, w->level };
        if (itsm_record_int(r, ITSM_F_PRIORITY) != w->priority)
            ch[n++] = (itsm_change){ ITSM_F_PRIORITY, NULL, w->priority };
    }
    rp->now = t;
    const char *cur = itsm_record_state(r);
    if (w->state == BPI_UNMATCHED)
        QUIRK(rp, Q_UNMATCHED, w->line);
    if (w->state == BPI_UNMATCHED || !strcmp(cur, policy_state[w->state])) {
        rp_move(rp, in, cur, cur, NULL, 0);
        if (n == 0) {
            QUIRK(rp, Q_NO_CHANGE, w->line);
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
        int reopen = (!strcmp(cur, "resolved") || !strcmp(cur, "in_call") || !strcmp(cur, "closed") ||
                      !strcmp(cur, "cancelled")) &&
                     w->state <= BPI_WAIT_CUSTOMER;
        rc = itsm_record_fire(r, policy_event[w->state], ch, n);
        rp_move(rp, in, cur, policy_state[w->state], policy_event[w->state], rc != ITSM_OK);
        if (rc != ITSM_OK) {
            char what[128];
            snprintf(what, sizeof what, "'%s' from '%s' (log: %s/%s)", policy_event[w->state], cur,
                     log_status[w->state][0], log_status[w->state][1]);
            rp_refuse_lib(rp, w->line, w->number, rc, what);
            return;
        }
        if (reopen)
            QUIRK(rp, Q_REOPEN, w->line);
    }
    in->last_t = t;
    level_seen(in);
    rp->applied++;
}
