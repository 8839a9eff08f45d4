/* SPDX-License-Identifier: Apache-2.0 */
/* Handover checklists: the handover capability's policy section (defaults,
 * builders, and the "handover" member of the policy document,
 * docs/policy.md). */
#include "handover/handover_int.h"

#include <stdio.h>
#include <string.h>

#define BIT(i) ((uint32_t)1 << (i))

int itsm__items_parse(const char *list, uint32_t *out, itsm__errbuf *e)
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
            if (it < 0)
                return itsm__errbuf_set(e, ITSM_ENOTFOUND, "unknown handover checklist item '%.*s'",
                                        (int)(n > 60 ? 60 : n), s);
            m |= BIT(it);
        }
        s += n;
    }
    *out = m;
    return ITSM_OK;
}

static uint32_t items_of(const char *list)
{
    itsm__errbuf e;
    uint32_t m = 0;
    (void)itsm__items_parse(list, &m, &e);   /* the defaults below name known items */
    return m;
}

static void defaults(itsm__ho_policy *hp)
{
    memset(hp, 0, sizeof *hp);
    hp->checklist[ITSM_PACKET_SHIFT] = items_of(
        "object defect what_is where_is when_is extent_is status next_update actions "
        "communications engaged_groups open_actions");
    /* seed 001: what the major incident team needs in its first 15 minutes */
    hp->checklist[ITSM_PACKET_DESK_TO_MAJOR] = items_of(
        "object defect what_is where_is when_is extent_is actions engaged_groups "
        "contact_verified sender_group");
    /* seed 000: the storyboard problem management continues from */
    hp->checklist[ITSM_PACKET_TO_PROBLEM] = items_of(
        "object defect what_is what_is_not where_is where_is_not when_is when_is_not "
        "extent_is extent_is_not actions hypotheses other_places identical_things");
    hp->checklist[ITSM_PACKET_TO_CHANGE] = items_of(
        "object defect hypotheses identical_things open_actions");
    /* seed 004: deliverables with owners and approvers, the service manager */
    hp->checklist[ITSM_PACKET_TO_OPERATIONS] = items_of(
        "deliverables receiver engaged_groups open_actions");
}

int itsm__ho_policy_new(void **sect, const itsm_allocator *a);
int itsm__ho_policy_new(void **sect, const itsm_allocator *a)
{
    itsm__ho_policy *hp = itsm__malloc(a, sizeof *hp);
    if (!hp)
        return ITSM_ENOMEM;
    defaults(hp);
    *sect = hp;
    return ITSM_OK;
}

void itsm__ho_policy_free(void *sect, const itsm_allocator *a);
void itsm__ho_policy_free(void *sect, const itsm_allocator *a) { itsm__free(a, sect); }

int itsm__ho_policy_clone(void **out, const void *src, const itsm_allocator *a);
int itsm__ho_policy_clone(void **out, const void *src, const itsm_allocator *a)
{
    itsm__ho_policy *hp = itsm__malloc(a, sizeof *hp);
    if (!hp)
        return ITSM_ENOMEM;
    memcpy(hp, src, sizeof *hp);
    *out = hp;
    return ITSM_OK;
}

int itsm_policy_set_handover_checklist(itsm_policy *policy, itsm_packet_kind kind, const char *items)
{
    if (!policy)
        return ITSM_EINVAL;
    if (!itsm_packet_kind_name(kind) || !items)
        return itsm__errbuf_set(&policy->err, ITSM_EINVAL, "unknown packet kind %d or NULL items", (int)kind);
    uint32_t m = 0;
    int rc = itsm__items_parse(items, &m, &policy->err);
    if (rc)
        return rc;
    itsm__ho_policy_of(policy)->checklist[kind] = m;
    itsm__errbuf_clear(&policy->err);
    return ITSM_OK;
}

int itsm_policy_handover_checklist(const itsm_policy *policy, itsm_packet_kind kind, char *buf,
                                   size_t cap, size_t *len)
{
    if (!policy || !len || (!buf && cap) || !itsm_packet_kind_name(kind))
        return ITSM_EINVAL;
    *len = itsm__items_text(itsm__ho_policy_of(policy)->checklist[kind], buf, cap);
    return *len < cap ? ITSM_OK : ITSM_ELIMIT;
}

int itsm__ho_policy_read(itsm_policy *p, const itsm__jval *root, itsm_parse_error *err);
int itsm__ho_policy_read(itsm_policy *p, const itsm__jval *root, itsm_parse_error *err)
{
    itsm__ho_policy *hp = itsm__ho_policy_of(p);
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
        hp->checklist[kind] = mask;
    }
    return ITSM_OK;
}

void itsm__ho_policy_write(const itsm_policy *p, itsm__jw *w);
void itsm__ho_policy_write(const itsm_policy *p, itsm__jw *w)
{
    const itsm__ho_policy *hp = itsm__ho_policy_of(p);
    itsm__jw_key(w, "handover");
    itsm__jw_obj_begin(w);
    for (int k = 1; k <= ITSM__PACKET_KINDS; k++) {
        itsm__jw_key(w, itsm_packet_kind_name((itsm_packet_kind)k));
        itsm__jw_arr_begin(w);
        for (int i = 0; i < ITSM__ITEM_COUNT; i++)
            if (hp->checklist[k] & BIT(i))
                itsm__jw_str(w, itsm__item_name(i));
        itsm__jw_arr_end(w);
    }
    itsm__jw_obj_end(w);
}
