/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_api's decoder (fuzz_api.h): the input, byte by byte, into calls.
 * Values come from small tables: names the policy knows, and odd ones
 * (empty, invalid UTF-8, over-long, control characters, NULL).
 * api_seeds.py mirrors these tables: change both together.
 */
#include <stdint.h>
#include <string.h>

#include <itsm.h>

#include "fuzz_api.h"

static unsigned u8(input *in)
{
    if (!in->n)
        return 0;
    in->n--;
    return *in->p++;
}

#define PICK(in, arr) ((arr)[u8(in) % (sizeof(arr) / sizeof((arr)[0]))])

static char long_sym[300], long_text[70000], ctrl[] = "a\x01" "b";

void api_decode_init(void)
{
    if (!long_sym[0]) {
        memset(long_sym, 's', sizeof long_sym - 1);
        memset(long_text, 't', sizeof long_text - 1);
    }
}

static const char *const symbols[] = {
    "desk", "network", "ann", "bob", "carl", "messaging", "payroll", "email", "fixed", "awaiting_customer",
    "awaiting_supplier", "awaiting_change", "software", "hardware", "standard", "normal", "emergency", "gold",
    "24x7", "business", "INC-000001", "PRB-000001", "risk_accepted", "fix_applied", "duplicate", "linked",
    "\xc3\xa9t\xc3\xa9", "", "bad\xff", " padded ", "none", "x",
};

static const char *const texts[] = {
    "Mail down", "Relay restarted", "checked the queue", "cannot print", "restart the service",
    "payroll batch fails at step 3", "", "line\nbreak", "\xe2\x82\xac 5", "bad\xc3(",
};

static const char *const events[] = {
    "assign", "start", "hold", "resume", "resolve", "reopen", "confirm", "auto_close", "cancel",
    "parent_resolved", "submit", "approve", "reject", "fulfil", "complete", "close", "assess", "analyse",
    "identify", "request_change", "close_without_fix", "authorize", "schedule", "implement", "back_out",
    "publish", "revise", "retire", "", "RESOLVE", "explode", "resolve ", "resolve\xff",
};

/* Names the policy's catalogue, approval rules and questionnaire know. */
static const char *const cap_names[] = {
    "new_laptop", "software_install", "order_laptop", "create_account", "image_laptop", "install",
    "approver", "change_manager", "ecab", "cab", "users", "backout", "experience", "outage", "reach", "few",
    "tested", "often", "none", "one", "department", "never", "ann", "bob", "carl", "desk", "contract",
    "priority <= 2", "service", "impact", "state == 'closed'", "state ==",
};

static const int64_t ints[] = { 0, 1, 2, 3, 4, 5, 6, -1, 100, INT64_MAX, INT64_MIN, 1, 2, 3 };

static const int64_t deltas[] = { 0, 1, 59, 60, 900, 1800, 3600, 4 * 3600, 8 * 3600, 86400, 3 * 86400,
                                  7 * 86400, 30 * 86400, -1, -3600, -86400, 14400, 600 };

static const char *sym(input *in)
{
    unsigned k = u8(in);
    if (k == 255)
        return long_sym;
    if (k == 254)
        return ctrl;
    if (k == 253)
        return NULL;
    return symbols[k % (sizeof symbols / sizeof *symbols)];
}

static const char *text(input *in)
{
    unsigned k = u8(in);
    if (k == 255)
        return long_text;
    if (k == 254)
        return long_sym;
    if (k == 253)
        return NULL;
    if (k >= 128)
        return sym(in);
    return texts[k % (sizeof texts / sizeof *texts)];
}

static const char *cap_name(input *in)
{
    unsigned k = u8(in);
    if (k >= 224)
        return sym(in);
    return cap_names[k % (sizeof cap_names / sizeof *cap_names)];
}

static itsm_time when(input *in)
{
    unsigned k = u8(in) % 12;
    switch (k) {
    case 0: return ITSM_TIME_NONE;
    case 1: return g_now;
    case 2: return g_now + 900;
    case 3: return g_now + 3600;
    case 4: return g_now - 3600;
    case 5: return g_now + 3 * 86400;
    case 6: return 0;
    case 7: return -5;
    case 8: return ITSM_TIME_MAX;
    case 9: return ITSM_TIME_MAX + 1;
    case 10: return g_now + 1800;
    default: return g_now + 86400;
    }
}

static void change(input *in, itsm_change *c)
{
    unsigned f = u8(in) % (ITSM_F__COUNT + 1);
    c->field = f == ITSM_F__COUNT ? (itsm_field)-1 : (itsm_field)f;
    c->str = NULL;
    c->num = 0;
    unsigned odd = u8(in);
    itsm_field_type t = f == ITSM_F__COUNT ? ITSM_TYPE_TEXT : itsm_field_type_of((itsm_field)f);
    if (odd >= 240) {   /* the wrong kind of value, or an unset */
        c->str = odd & 1 ? sym(in) : NULL;
        c->num = PICK(in, ints);
        return;
    }
    switch (t) {
    case ITSM_TYPE_TEXT: c->str = text(in); break;
    case ITSM_TYPE_SYMBOL: case ITSM_TYPE_ENUM: c->str = sym(in); break;
    case ITSM_TYPE_INT: c->num = PICK(in, ints); break;
    case ITSM_TYPE_BOOL: c->num = u8(in) % 4 == 3 ? 2 : u8(in) & 1; break;
    case ITSM_TYPE_TIME: c->num = when(in); break;
    }
}

static size_t changes(input *in, itsm_change *c, size_t max)
{
    size_t n = u8(in) % (max + 1);
    for (size_t i = 0; i < n; i++)
        change(in, &c[i]);
    return n;
}

void api_decode(input *in, call *c)
{
    memset(c, 0, sizeof *c);
    c->op = (int)(u8(in) % OP__COUNT);
    c->sub = (int)u8(in);
    c->ra = u8(in);
    c->rb = u8(in);
    switch (c->op) {
    case OP_OPEN:
        c->kind = (int)(u8(in) % 6);   /* 5 is not a kind */
        c->id = u8(in) % 8 == 0 ? sym(in) : NULL;
        c->nch = changes(in, c->ch, 6);
        break;
    case OP_UPDATE: case OP_PROBLEM:
        c->nch = changes(in, c->ch, 4);
        c->s1 = sym(in);
        c->s2 = text(in);
        break;
    case OP_FIRE: case OP_FIRE2:
        c->s1 = PICK(in, events);
        c->nch = changes(in, c->ch, 3);
        break;
    case OP_NOTE:
        c->kind = (int)(u8(in) % 4);
        c->s1 = text(in);
        c->t1 = when(in);
        c->t2 = when(in);
        break;
    case OP_LINK:
        c->kind = (int)(u8(in) % 4);
        break;
    case OP_CLOCK: case OP_TICK:
        c->num = PICK(in, deltas);
        break;
    case OP_ESCALATE: case OP_MAJOR: case OP_OUTAGE: case OP_PACKET: case OP_SLA: case OP_ACTOR:
    case OP_SET: case OP_QUERY:
        c->kind = (int)u8(in);
        c->num = PICK(in, ints);
        c->s1 = sym(in);
        c->s2 = text(in);
        c->s3 = sym(in);
        c->t1 = when(in);
        c->t2 = when(in);
        c->ngroups = u8(in) % 6;
        for (size_t i = 0; i < c->ngroups; i++)
            c->groups[i] = sym(in);
        break;
    case OP_REQUEST: case OP_APPROVAL: case OP_RISK: case OP_PLAN: case OP_PROPOSAL: case OP_SURVEY:
    case OP_ONCALL:
        c->kind = (int)u8(in);
        c->num = PICK(in, ints);
        c->s1 = cap_name(in);
        c->s2 = text(in);
        c->s3 = cap_name(in);
        c->t1 = when(in);
        c->t2 = when(in);
        c->nch = changes(in, c->ch, 2);
        break;
    case OP_FAIL_ALLOC:
        c->num = u8(in) % 48 + 1;
        break;
    case OP_FAIL_STORE: {
        static const int codes[] = { ITSM_ESTORE, ITSM_ECONFLICT, ITSM_EUSER, ITSM_EINVAL, 7 };
        c->num = PICK(in, codes);
        break;
    }
    }
}
