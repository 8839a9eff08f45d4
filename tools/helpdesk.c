/* SPDX-License-Identifier: Apache-2.0 */
/* tools/helpdesk.c - the Italian help desk log -> library calls (see helpdesk.h). */
#include "helpdesk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const activity_name[HD_NACTIVITIES] = {
    "Insert ticket", "Assign seriousness", "Take in charge ticket", "Wait", "Require upgrade",
    "Create SW anomaly", "Resolve SW anomaly", "Schedule intervention", "Resolve ticket", "Closed",
    "RESOLVED", "INVALID", "VERIFIED", "DUPLICATE"
};
/* The lifecycle event and state of each activity; NULL: none (the opening,
 * and the bug tracker's statuses, which keep the state). */
static const char *const activity_event[HD_NACTIVITIES] = {
    NULL, "assign_seriousness", "take_in_charge", "wait", "require_upgrade", "create_sw_anomaly",
    "resolve_sw_anomaly", "schedule_intervention", "resolve", "close", NULL, NULL, NULL, NULL
};
static const char *const activity_state[HD_NACTIVITIES] = {
    "new", "triaged", "in_progress", "waiting", "awaiting_upgrade", "sw_anomaly", "anomaly_resolved",
    "scheduled", "resolved", "closed", NULL, NULL, NULL, NULL
};

enum { H_CASE, H_ACTIVITY, H_RESOURCE, H_TIME, H_SERIOUSNESS, H_CUSTOMER, H_PRODUCT, H_RESPONSIBLE,
       H_SERIOUSNESS2, H_SERVICE_LEVEL, H_SERVICE_TYPE, H_SUPPORT, H_WORKGROUP, H_NEEDED };
static const char *const col_name[H_NEEDED] = {
    "Case ID", "Activity", "Resource", "Complete Timestamp", "seriousness", "customer", "product",
    "responsible_section", "seriousness_2", "service_level", "service_type", "support_section", "workgroup"
};

struct hd_cols {
    int     pos[H_NEEDED];
    int     ncols;
    rp_memo memo[H_NEEDED];
};

hd_cols *hd_parse_header(char *line, size_t len, char *err, size_t errcap)
{
    hd_cols *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    if (rp_find_columns(line, len, ',', col_name, H_NEEDED, c->pos, c->memo, &c->ncols, "the help desk log",
                        err, errcap)) {
        free(c);
        return NULL;
    }
    return c;
}

/* "Case 12" -> record id "Case-12": an id has no spaces. A refused row's
 * case is named the same way, so one case reads alike in every message. */
static const char *case_id(rp_pool *pool, const char *id, size_t n)
{
    char fixed[256];
    if (n >= sizeof fixed)
        return rp_intern(pool, id, n);   /* refused for its length anyway */
    for (size_t i = 0; i < n; i++)
        fixed[i] = id[i] == ' ' ? '-' : id[i];
    return rp_intern(pool, fixed, n);
}

void hd_parse_row(hd_cols *c, rp_pool *pool, char *line, size_t len, long lineno, hd_row *w)
{
    rp_fields f;
    memset(w, 0, sizeof *w);
    w->line = lineno;
    rp_split(&f, line, len, ',');
    if (f.n != c->ncols) {
        w->bad = "malformed row: the column count differs from the header";
        w->ticket = f.len[0] ? case_id(pool, f.p[0], f.len[0]) : NULL;
        return;
    }
#define COL(k) f.p[c->pos[k]], f.len[c->pos[k]]
#define SYM(k) (f.len[c->pos[k]] ? rp_intern_memo(pool, &c->memo[k], COL(k)) : NULL)
    const char *id = f.p[c->pos[H_CASE]];
    size_t idn = f.len[c->pos[H_CASE]];
    rp_memo *m = &c->memo[H_CASE];
    if (idn && m->n == idn && !memcmp(m->buf, id, idn)) {
        w->ticket = m->interned;
    } else if (idn && idn < sizeof m->buf) {
        memcpy(m->buf, id, idn);
        m->n = idn;
        w->ticket = m->interned = case_id(pool, id, idn);
    } else {
        w->bad = idn ? "malformed row: Case ID longer than 31 bytes" : "malformed row: no Case ID";
        w->ticket = idn ? case_id(pool, id, idn) : NULL;
        return;
    }
    w->at = rp_time_iso(COL(H_TIME));
    if (w->at == ITSM_TIME_NONE) {
        w->bad = "malformed row: Complete Timestamp is not a real ISO 8601 time with an offset";
        return;
    }
    const char *a = f.p[c->pos[H_ACTIVITY]];
    size_t an = f.len[c->pos[H_ACTIVITY]];
    w->activity = HD_NACTIVITIES;
    for (int k = 0; k < HD_NACTIVITIES; k++)
        if (strlen(activity_name[k]) == an && !memcmp(a, activity_name[k], an))
            w->activity = (hd_activity)k;
    if (w->activity == HD_NACTIVITIES) {
        w->bad = "unknown Activity";
        return;
    }
    w->resource = SYM(H_RESOURCE);
    w->customer = SYM(H_CUSTOMER);
    w->product = SYM(H_PRODUCT);
    w->service_type = SYM(H_SERVICE_TYPE);
    w->responsible = SYM(H_RESPONSIBLE);
    w->support = SYM(H_SUPPORT);
    w->workgroup = SYM(H_WORKGROUP);
    w->seriousness = SYM(H_SERIOUSNESS);
    w->seriousness2 = SYM(H_SERIOUSNESS2);
    w->service_level = SYM(H_SERVICE_LEVEL);
#undef SYM
#undef COL
}

int hd_same(const void *rows, size_t a, size_t b)
{
    const hd_row *x = (const hd_row *)rows + a, *y = (const hd_row *)rows + b;
    return !x->bad && !y->bad && x->ticket == y->ticket && x->at == y->at && x->activity == y->activity &&
           x->resource == y->resource && x->customer == y->customer && x->product == y->product &&
           x->service_type == y->service_type && x->responsible == y->responsible && x->support == y->support &&
           x->workgroup == y->workgroup && x->seriousness == y->seriousness &&
           x->seriousness2 == y->seriousness2 && x->service_level == y->service_level;
}

/* ---- apply ---- */

enum { Q_FIRST, Q_BUG_TRACKER, Q_SAME_STATE, Q_RESOLVED_AGAIN, Q_REOPEN, Q_SERIOUSNESS, Q_SERVICE_LEVEL,
       Q_NO_CHANGE, Q_COUNT };
static int qbase;
#define QUIRK(rp, q, line) rp_quirk_note(rp, qbase + (q), line)

void hd_begin(replay *rp)
{
    static const char *const q[Q_COUNT][2] = {
        { "first activity is not Insert ticket", "opened at the row's time, then the activity's step" },
        { "bug tracker status (RESOLVED, INVALID, VERIFIED, DUPLICATE)",
          "the linked anomaly's status, not a help desk step: state kept, fields applied" },
        { "activity that leads where the ticket is", "no step: the row's fields only" },
        { "Resolve ticket again, ticket resolved", "the first is the resolution; later ones change fields only" },
        { "activity after Resolve ticket or Closed", "a reopen (the policy's counts_reopen steps)" },
        { "seriousness_2 changes within a ticket", "counted: the library has no field for it" },
        { "service_level changes within a ticket", "counted: the library has no field for it" },
        { "row changes nothing the policy tracks", "counted as unchanged, no event" },
    };
    static const int listed[Q_COUNT] = { [Q_BUG_TRACKER] = 1, [Q_REOPEN] = 1 };
    qbase = rp->nquirks;
    for (int i = 0; i < Q_COUNT; i++)
        rp_quirk_add(rp, q[i][0], q[i][1], listed[i]);
}

static void add_sym(itsm_record *r, itsm_change *ch, size_t *n, itsm_field f, const char *v)
{
    const char *cur = itsm_record_str(r, f);
    if (v && (!cur || strcmp(cur, v)))
        ch[(*n)++] = (itsm_change){ f, v, 0 };
}

void hd_apply(replay *rp, const hd_row *w)
{
    rp->rows++;
    if (w->bad || w->cut) {
        if (w->ticket) {
            int fresh;
            rp_row_case(rp, w->ticket, &fresh)->rows++;
        }
        if (w->cut)
            rp_refuse_cut(rp, w->line, w->ticket);
        else
            rp_refuse(rp, w->line, w->ticket ? w->ticket : "?", w->bad, w->bad);
        return;
    }
    int first;
    rp_incident *in = rp_row_case(rp, w->ticket, &first);
    if (!first && !in->rec && !in->open_tried)
        first = 1;   /* only malformed rows so far: this one opens it */
    /* the log's own figures, independent of the library */
    in->rows++;
    if (in->rows == 1)
        in->log_reassign = 0;
    int changes = in->log_team_changes;
    rp_team_seen(in, w->workgroup, 0);
    in->log_reassign += in->log_team_changes - changes;
    if (w->activity == HD_RESOLVE || w->activity == HD_CLOSED)
        in->log_completed = 1;
    /* seriousness_2 and service_level: no field of the library to carry
     * them, so their changes are counted here */
    if (in->rows > 1 && w->seriousness2 != in->prev[0])
        rp->quirk[qbase + Q_SERIOUSNESS].count++;
    if (in->rows > 1 && w->service_level != in->prev[1])
        rp->quirk[qbase + Q_SERVICE_LEVEL].count++;
    in->prev[0] = w->seriousness2;
    in->prev[1] = w->service_level;
    rp_set_actor(rp, w->resource);
    itsm_time t = w->at;
    int rc;
    itsm_change ch[10];
    size_t n = 0;
    if (first) {
        const struct { itsm_field f; const char *v; } s[] = {
            { ITSM_F_CALLER, w->customer }, { ITSM_F_CI, w->product }, { ITSM_F_SERVICE, w->service_type },
            { ITSM_F_CATEGORY, w->responsible }, { ITSM_F_SUBCATEGORY, w->support },
            { ITSM_F_ASSIGNMENT_GROUP, w->workgroup } };
        for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
            if (s[i].v)
                ch[n++] = (itsm_change){ s[i].f, s[i].v, 0 };
        rp_tick(rp, t, w->line, w->ticket);
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        o.id = w->ticket;
        o.fields = ch;
        o.nfields = n;
        rp->now = t;
        in->open_tried = 1;
        if ((rc = itsm_record_open(&in->rec, rp->eng, &o)) != ITSM_OK) {
            in->rec = NULL;
            rp_refuse_lib(rp, w->line, w->ticket, rc, "open");
            rp_move(rp, in, NULL, "new", "open", 1);
            return;
        }
        rp_move(rp, in, NULL, itsm_record_state(in->rec), "open", 0);
        in->last_t = t;
        n = 0;
        if (w->activity == HD_INSERT) {
            rp->applied++;
            return;
        }
        QUIRK(rp, Q_FIRST, w->line);
    }
    if (!in->rec) {
        rp_refuse(rp, w->line, w->ticket, "ticket was never opened (its first row was refused)",
                  "the library refused this ticket's first row, so it has no record");
        return;
    }
    itsm_record *r = in->rec;
    if (t < in->last_t)
        t = in->last_t;   /* only across inputs: a ticket's rows are in time order */
    if (!first) {
        rp_tick(rp, t, w->line, w->ticket);
        add_sym(r, ch, &n, ITSM_F_CALLER, w->customer);
        add_sym(r, ch, &n, ITSM_F_CI, w->product);
        add_sym(r, ch, &n, ITSM_F_SERVICE, w->service_type);
        add_sym(r, ch, &n, ITSM_F_CATEGORY, w->responsible);
        add_sym(r, ch, &n, ITSM_F_SUBCATEGORY, w->support);
        add_sym(r, ch, &n, ITSM_F_ASSIGNMENT_GROUP, w->workgroup);
    }
    if (w->activity == HD_TAKE_IN_CHARGE)
        add_sym(r, ch, &n, ITSM_F_ASSIGNEE, w->resource);
    rp->now = t;
    const char *cur = itsm_record_state(r);
    const char *to = activity_state[w->activity], *ev = activity_event[w->activity];
    if (w->activity >= HD_BUG_RESOLVED)
        QUIRK(rp, Q_BUG_TRACKER, w->line);
    if (!to || !strcmp(cur, to)) {
        if (w->activity == HD_RESOLVE)
            QUIRK(rp, Q_RESOLVED_AGAIN, w->line);
        else if (to)
            QUIRK(rp, Q_SAME_STATE, w->line);
        rp_move(rp, in, cur, cur, NULL, 0);
        if (n == 0) {
            rp->quirk[qbase + Q_NO_CHANGE].count++;
            rp->unchanged++;
            in->last_t = t;
            return;
        }
        if ((rc = itsm_record_update(r, ch, n)) != ITSM_OK) {
            char what[96];
            snprintf(what, sizeof what, "update in state '%s'", cur);
            rp_refuse_lib(rp, w->line, w->ticket, rc, what);
            return;
        }
    } else {
        int reopen = (!strcmp(cur, "resolved") || !strcmp(cur, "closed")) && w->activity != HD_CLOSED;
        if (!ev)
            ev = "reinsert";   /* Insert ticket after the opening: no such step, refused */
        rc = itsm_record_fire(r, ev, ch, n);
        rp_move(rp, in, cur, to, ev, rc != ITSM_OK);
        if (rc != ITSM_OK) {
            char what[128];
            snprintf(what, sizeof what, "'%s' from '%s' (log: %s)", ev, cur, activity_name[w->activity]);
            rp_refuse_lib(rp, w->line, w->ticket, rc, what);
            return;
        }
        if (reopen)
            QUIRK(rp, Q_REOPEN, w->line);
    }
    in->last_t = t;
    rp->applied++;
}
