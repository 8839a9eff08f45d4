/* SPDX-License-Identifier: Apache-2.0 */
/* tools/bpi.c - the BPI Challenge 2013 incidents -> library calls (see bpi.h). */
#include "bpi.h"

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

enum { B_NUMBER, B_TIME, B_STATUS, B_SUB, B_TEAM, B_IMPACT, B_PRODUCT, B_OWNER, B_NEEDED };
static const char *const col_name[B_NEEDED] = {
    "SR Number", "Change Date+Time", "Status", "Sub Status", "Involved ST", "SR Latest Impact",
    "Product", "Owner First Name"
};
#define BPI_MAX_COLS 32
struct bpi_cols { int pos[B_NEEDED]; int ncols; };

bpi_cols *bpi_parse_header(char *line, char *err, size_t errcap)
{
    char *f[BPI_MAX_COLS];
    int n = rp_split(line, ';', f, BPI_MAX_COLS);
    bpi_cols *c = malloc(sizeof *c);
    if (!c || n > BPI_MAX_COLS) {
        snprintf(err, errcap, "header: unreadable");
        free(c);
        return NULL;
    }
    c->ncols = n;
    for (int k = 0; k < B_NEEDED; k++) {
        c->pos[k] = -1;
        for (int i = 0; i < n; i++)
            if (!strcmp(f[i], col_name[k]))
                c->pos[k] = i;
        if (c->pos[k] < 0) {
            snprintf(err, errcap, "header: no column '%s' (is this the BPI 2013 incidents CSV?)", col_name[k]);
            free(c);
            return NULL;
        }
    }
    return c;
}

itsm_time bpi_parse_time(const char *s)
{
    unsigned y, mo, d, h, mi, se, oh, om;
    char sign;
    int used = 0;
    if (sscanf(s, "%4u-%2u-%2uT%2u:%2u:%2u%c%2u:%2u%n", &y, &mo, &d, &h, &mi, &se, &sign, &oh, &om, &used) != 9 ||
        s[used] || (sign != '+' && sign != '-') || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        se > 60 || y < 1970)
        return ITSM_TIME_NONE;
    itsm_time t = (itsm_time)rp_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    itsm_time off = (itsm_time)(oh * 3600 + om * 60);
    return sign == '+' ? t - off : t + off;
}

void bpi_latin1_to_utf8(const char *in, char *out, size_t cap)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && o + 3 < cap; p++) {
        if (*p < 0x80) {
            out[o++] = (char)*p;
        } else {
            out[o++] = (char)(0xC0 | (*p >> 6));
            out[o++] = (char)(0x80 | (*p & 0x3F));
        }
    }
    out[o] = '\0';
}

void bpi_parse_row(const bpi_cols *c, rp_pool *pool, char *line, long lineno, bpi_row *w)
{
    char *f[BPI_MAX_COLS];
    memset(w, 0, sizeof *w);
    w->line = lineno;
    int n = rp_split(line, ';', f, BPI_MAX_COLS);
    if (n != c->ncols) {
        w->bad = "malformed row: the column count differs from the header";
        w->number = rp_intern(pool, f[0], strlen(f[0]));
        return;
    }
#define COL(k) f[c->pos[k]]
    w->number = rp_intern(pool, COL(B_NUMBER), strlen(COL(B_NUMBER)));
    w->at = bpi_parse_time(COL(B_TIME));
    if (w->at == ITSM_TIME_NONE) {
        w->bad = "malformed row: Change Date+Time is not ISO 8601 with an offset";
        return;
    }
    w->state = BPI_NSTATES;
    for (int s = 0; s < BPI_NSTATES; s++)
        if (!strcmp(COL(B_STATUS), log_status[s][0]) && !strcmp(COL(B_SUB), log_status[s][1]))
            w->state = (bpi_state)s;
    if (w->state == BPI_NSTATES) {
        w->bad = "unknown Status / Sub Status";
        return;
    }
    const char *team = COL(B_TEAM);
    size_t tl = strlen(team);
    w->team = tl ? rp_intern(pool, team, tl) : NULL;
    w->level = tl > 4 && !strcmp(team + tl - 4, " 2nd") ? 2 : tl > 4 && !strcmp(team + tl - 4, " 3rd") ? 3 : 1;
    static const char *const imp[4] = { "Major", "High", "Medium", "Low" };
    static const int impact[4] = { 1, 1, 2, 3 }, prio[4] = { 1, 2, 3, 4 };
    for (int i = 0; i < 4; i++)
        if (!strcmp(COL(B_IMPACT), imp[i])) {
            w->impact = impact[i];
            w->priority = prio[i];
        }
    if (!w->impact) {
        w->bad = "unknown SR Latest Impact";
        return;
    }
    w->product = *COL(B_PRODUCT) ? rp_intern(pool, COL(B_PRODUCT), strlen(COL(B_PRODUCT))) : NULL;
    const char *owner = COL(B_OWNER);
    if (*owner && strcmp(owner, "-")) {
        char u[512];
        bpi_latin1_to_utf8(owner, u, sizeof u);
        w->owner = rp_intern(pool, u, strlen(u));
        w->system = !strcmp(owner, "Siebel");
    }
#undef COL
}

enum { Q_FIRST, Q_UNMATCHED, Q_SIEBEL, Q_DASH, Q_REOPEN, Q_TIME_BACK, Q_NO_CHANGE, Q_COUNT };

void bpi_begin(replay *rp)
{
    static const char *const q[Q_COUNT][2] = {
        { "first row is not Queued", "opened, then the transition to the row's status" },
        { "Unmatched/Unmatched", "not a VINST status: state kept, the row's fields applied" },
        { "owner 'Siebel'", "the system itself: actor only, not an assignee" },
        { "owner '-'", "missing: assignee unchanged" },
        { "Completed then active again", "a reopen (counts a reopen)" },
        { "time went backwards", "applied at the incident's previous event time" },
        { "row changes nothing the policy tracks", "counted as unchanged, no event" },
    };
    for (int i = 0; i < Q_COUNT; i++)
        if (rp_quirk_add(rp, q[i][0], q[i][1]) != i)
            abort();
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
    rp_incident *in = rp->ninc ? &rp->inc[rp->ninc - 1] : NULL;
    if (w->bad) {
        rp_refuse(rp, w->line, w->number, w->bad, w->bad);
        return;
    }
    int first = !in || in->id != w->number;
    static const char *last_team;
    if (first) {
        if (in)
            rp_verdict(rp, in); /* its last row is done: the library's SLA verdict */
        in = rp_incident_add(rp, w->number);
        in->log_reassign = 0;
        last_team = NULL;
        itsm_record *old;
        if (itsm_record_find(&old, rp->eng, w->number) == ITSM_OK) {
            in->rec = old;
            in->last_t = itsm_record_int(old, ITSM_F_UPDATED_AT);
            first = 0;
        }
    }
    /* the log's own figures, independent of the library */
    in->rows++;
    if (last_team && w->team && w->team != last_team)
        in->log_reassign++;
    if (w->team)
        last_team = w->team;
    if (w->level > in->log_max_level)
        in->log_max_level = w->level;
    in->log_priority = w->priority;

    if (w->system)
        rp->quirk[Q_SIEBEL].count++;
    else if (!w->owner)
        rp->quirk[Q_DASH].count++;
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
        o.id = w->number;
        o.fields = ch;
        o.nfields = n;
        rp->now = t;
        if ((rc = itsm_record_open(&in->rec, rp->eng, &o)) != ITSM_OK) {
            in->rec = NULL;
            rp_refuse_lib(rp, w->line, w->number, rc, "open");
            return;
        }
        in->last_t = t;
        level_seen(in);
        n = 0;
        if (w->state == BPI_UNMATCHED) {
            rp->quirk[Q_UNMATCHED].count++;
            rp->applied++;
            return;
        }
        if (w->state != BPI_QUEUED)
            rp->quirk[Q_FIRST].count++;
    }
    if (!in->rec) {
        rp_refuse(rp, w->line, w->number, "incident was never opened (its first row was refused)",
                  "the library refused this incident's first row, so it has no record");
        return;
    }
    itsm_record *r = in->rec;
    if (t < in->last_t) {
        rp->quirk[Q_TIME_BACK].count++;
        t = in->last_t;
    }
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
        rp->quirk[Q_UNMATCHED].count++;
    if (w->state == BPI_UNMATCHED || !strcmp(cur, policy_state[w->state])) {
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
        int reopen = (!strcmp(cur, "resolved") || !strcmp(cur, "in_call") || !strcmp(cur, "closed")) &&
                     w->state <= BPI_WAIT_CUSTOMER;
        if ((rc = itsm_record_fire(r, policy_event[w->state], ch, n)) != ITSM_OK) {
            char what[128];
            snprintf(what, sizeof what, "'%s' from '%s' (log: %s/%s)", policy_event[w->state], cur,
                     log_status[w->state][0], log_status[w->state][1]);
            rp_refuse_lib(rp, w->line, w->number, rc, what);
            return;
        }
        if (reopen)
            rp->quirk[Q_REOPEN].count++;
    }
    in->last_t = t;
    level_seen(in);
    rp->applied++;
}
