/* SPDX-License-Identifier: Apache-2.0 */
/* The policy's problem rules and handover checklists (issue 4): defaults,
 * builders, and the "problem_rules" / "handover" members of the policy
 * document (docs/policy.md). */
#include "pm_int.h"
#include "abi.h"
#include "opts.h"

#include <stdio.h>
#include <string.h>

#define BIT(i) ((uint32_t)1 << (i))

static uint32_t items_of(const char *list)
{
    uint32_t m = 0;
    const char *s = list;
    while (*s) {
        while (*s == ' ')
            s++;
        size_t n = 0;
        while (s[n] && s[n] != ' ')
            n++;
        if (n) {
            int it = itsm__item_lookup(s, n);
            if (it >= 0)
                m |= BIT(it);
        }
        s += n;
    }
    return m;
}

void itsm__pm_policy_defaults(itsm__pm_policy *pp)
{
    memset(pp, 0, sizeof *pp);
    pp->recurrence_count = 3;
    pp->recurrence_window = ITSM_PROBLEM_DEFAULT_WINDOW;
    pp->major_review = 1;
    pp->checklist[ITSM_PACKET_SHIFT] = items_of(
        "object defect what_is where_is when_is extent_is status next_update actions "
        "communications engaged_groups open_actions");
    /* seed 001: what the major incident team needs in its first 15 minutes */
    pp->checklist[ITSM_PACKET_DESK_TO_MAJOR] = items_of(
        "object defect what_is where_is when_is extent_is actions engaged_groups "
        "contact_verified sender_group");
    /* seed 000: the storyboard problem management continues from */
    pp->checklist[ITSM_PACKET_TO_PROBLEM] = items_of(
        "object defect what_is what_is_not where_is where_is_not when_is when_is_not "
        "extent_is extent_is_not actions hypotheses other_places identical_things");
    pp->checklist[ITSM_PACKET_TO_CHANGE] = items_of(
        "object defect hypotheses identical_things open_actions");
    /* seed 004: deliverables with owners and approvers, the service manager */
    pp->checklist[ITSM_PACKET_TO_OPERATIONS] = items_of(
        "deliverables receiver engaged_groups open_actions");
}

/* ---- builders ---- */

ITSM__DEFINE_INIT(itsm_problem_rules_init, itsm_problem_rules, ITSM_PROBLEM_RULES_VERSION, ITSM_PROBLEM_RULES_INIT)

int itsm_policy_problem_rules(itsm_problem_rules *out, const itsm_policy *policy)
{
    char msg[192];
    if (!out || !policy ||
        itsm__version_check(out->version, ITSM_PROBLEM_RULES_VERSION, "problem rules", msg, sizeof msg))
        return ITSM_EINVAL;
    /* Version 1 is every member so far; a later version writes its own
     * members only when out->version has them. */
    out->recurrence_count = policy->pm.recurrence_count;
    out->recurrence_window = policy->pm.recurrence_window;
    out->major_review = policy->pm.major_review;
    return ITSM_OK;
}

static int rules_check(const itsm_problem_rules *r, char *msg, size_t cap)
{
    if (r->recurrence_count != 0 && (r->recurrence_count < 2 || r->recurrence_count > 1000)) {
        snprintf(msg, cap, "recurrence_count must be 0 (off) or 2..1000 (got %d)", r->recurrence_count);
        return ITSM_EINVAL;
    }
    if (r->recurrence_window < 1 || r->recurrence_window > ITSM_PROBLEM_MAX_WINDOW) {
        snprintf(msg, cap, "recurrence_window must be 1..%lld seconds (got %lld)",
                 (long long)ITSM_PROBLEM_MAX_WINDOW, (long long)r->recurrence_window);
        return ITSM_EINVAL;
    }
    if (r->major_review != 0 && r->major_review != 1) {
        snprintf(msg, cap, "major_review must be 0 or 1 (got %d)", r->major_review);
        return ITSM_EINVAL;
    }
    return ITSM_OK;
}

int itsm_policy_set_problem_rules(itsm_policy *policy, const itsm_problem_rules *rules)
{
    if (!policy)
        return ITSM_EINVAL;
    if (!rules) {
        snprintf(policy->errmsg, sizeof policy->errmsg, "problem rules are NULL");
        return ITSM_EINVAL;
    }
    if (itsm__version_check(rules->version, ITSM_PROBLEM_RULES_VERSION, "problem rules", policy->errmsg,
                            sizeof policy->errmsg))
        return ITSM_EINVAL;
    int rc = rules_check(rules, policy->errmsg, sizeof policy->errmsg);
    if (rc)
        return rc;
    policy->pm.recurrence_count = rules->recurrence_count;
    policy->pm.recurrence_window = rules->recurrence_window;
    policy->pm.major_review = rules->major_review;
    policy->errmsg[0] = '\0';
    return ITSM_OK;
}

/* Parse a space-separated item list; ITSM_ENOTFOUND names the unknown item. */
static int parse_items(const char *list, uint32_t *out, char *msg, size_t cap)
{
    uint32_t m = 0;
    const char *s = list;
    while (*s) {
        while (*s == ' ')
            s++;
        size_t n = 0;
        while (s[n] && s[n] != ' ')
            n++;
        if (n) {
            int it = itsm__item_lookup(s, n);
            if (it < 0) {
                snprintf(msg, cap, "unknown handover checklist item '%.*s'", (int)(n > 60 ? 60 : n), s);
                return ITSM_ENOTFOUND;
            }
            m |= BIT(it);
        }
        s += n;
    }
    *out = m;
    return ITSM_OK;
}

int itsm_policy_set_handover_checklist(itsm_policy *policy, itsm_packet_kind kind, const char *items)
{
    if (!policy)
        return ITSM_EINVAL;
    if (!itsm_packet_kind_name(kind) || !items) {
        snprintf(policy->errmsg, sizeof policy->errmsg, "unknown packet kind %d or NULL items", (int)kind);
        return ITSM_EINVAL;
    }
    uint32_t m;
    int rc = parse_items(items, &m, policy->errmsg, sizeof policy->errmsg);
    if (rc)
        return rc;
    policy->pm.checklist[kind] = m;
    policy->errmsg[0] = '\0';
    return ITSM_OK;
}

int itsm_policy_handover_checklist(const itsm_policy *policy, itsm_packet_kind kind, char *buf,
                                   size_t cap, size_t *len)
{
    if (!policy || !len || (!buf && cap) || !itsm_packet_kind_name(kind))
        return ITSM_EINVAL;
    *len = itsm__items_text(policy->pm.checklist[kind], buf, cap);
    return *len < cap ? ITSM_OK : ITSM_ELIMIT;
}

/* ---- the document ---- */

static int allow(const itsm__jval *obj, const char *const *keys, const char *where, itsm_parse_error *err)
{
    return itsm__json_only_keys(obj, keys, where, err);
}

static int read_int(const itsm__jval *obj, const char *key, int64_t lo, int64_t hi, int64_t *out,
                    itsm_parse_error *err)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    if (!v)
        return ITSM_OK;
    if (v->type != ITSM__JNUMBER || !v->u.num.is_int || v->u.num.i < lo || v->u.num.i > hi)
        return itsm__json_schema_error(err, v, "'%s' must be a whole number %lld..%lld", key,
                                       (long long)lo, (long long)hi);
    *out = v->u.num.i;
    return ITSM_OK;
}

int itsm__pm_policy_read(itsm__pm_policy *pp, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const rule_keys[] = { "recurrence_count", "recurrence_window", "major_review", NULL };
    int rc;
    const itsm__jval *r = itsm__json_get(root, "problem_rules");
    if (r) {
        if (r->type != ITSM__JOBJECT)
            return itsm__json_schema_error(err, r, "'problem_rules' must be an object");
        if ((rc = allow(r, rule_keys, "problem_rules", err)))
            return rc;
        int64_t count = pp->recurrence_count, window = pp->recurrence_window;
        if ((rc = read_int(r, "recurrence_count", 0, 1000, &count, err)) ||
            (rc = read_int(r, "recurrence_window", 1, ITSM_PROBLEM_MAX_WINDOW, &window, err)))
            return rc;
        if (count == 1)
            return itsm__json_schema_error(err, itsm__json_get(r, "recurrence_count"),
                                           "'recurrence_count' must be 0 (off) or 2..1000");
        const itsm__jval *mr = itsm__json_get(r, "major_review");
        if (mr) {
            if (mr->type != ITSM__JTRUE && mr->type != ITSM__JFALSE)
                return itsm__json_schema_error(err, mr, "'major_review' must be true or false");
            pp->major_review = mr->type == ITSM__JTRUE;
        }
        pp->recurrence_count = (int)count;
        pp->recurrence_window = window;
    }
    const itsm__jval *h = itsm__json_get(root, "handover");
    if (!h)
        return ITSM_OK;
    if (h->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, h, "'handover' must be an object keyed by packet kind");
    for (size_t i = 0; i < h->u.obj.n; i++) {
        const itsm__jmember *m = &h->u.obj.members[i];
        itsm_packet_kind kind;
        if (strlen(m->key) != m->klen || itsm_packet_kind_from_name(&kind, m->key) != ITSM_OK)
            return itsm__json_schema_error(err, &m->val, "unknown packet kind '%.60s'", m->key);
        if (m->val.type != ITSM__JARRAY)
            return itsm__json_schema_error(err, &m->val, "a checklist must be an array of item names");
        uint32_t mask = 0;
        for (size_t k = 0; k < m->val.u.arr.n; k++) {
            const itsm__jval *it = &m->val.u.arr.items[k];
            int bit = it->type == ITSM__JSTRING ? itsm__item_lookup(it->u.str.s, it->u.str.len) : -1;
            if (bit < 0)
                return itsm__json_schema_error(err, it, "unknown handover checklist item");
            if (mask & BIT(bit))
                return itsm__json_schema_error(err, it, "checklist item '%s' is listed twice", itsm__item_name(bit));
            mask |= BIT(bit);
        }
        pp->checklist[kind] = mask;
    }
    return ITSM_OK;
}

void itsm__pm_policy_write(const itsm__pm_policy *pp, itsm__jw *w)
{
    itsm__jw_key(w, "problem_rules");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "recurrence_count");
    itsm__jw_int(w, pp->recurrence_count);
    itsm__jw_key(w, "recurrence_window");
    itsm__jw_int(w, pp->recurrence_window);
    itsm__jw_key(w, "major_review");
    itsm__jw_bool(w, pp->major_review);
    itsm__jw_obj_end(w);
    itsm__jw_key(w, "handover");
    itsm__jw_obj_begin(w);
    for (int k = 1; k <= ITSM__PACKET_KINDS; k++) {
        itsm__jw_key(w, itsm_packet_kind_name((itsm_packet_kind)k));
        itsm__jw_arr_begin(w);
        for (int i = 0; i < ITSM__ITEM_COUNT; i++)
            if (pp->checklist[k] & BIT(i))
                itsm__jw_str(w, itsm__item_name(i));
        itsm__jw_arr_end(w);
    }
    itsm__jw_obj_end(w);
}
