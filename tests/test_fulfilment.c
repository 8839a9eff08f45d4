/* SPDX-License-Identifier: Apache-2.0 */
/* Request fulfilment (itsm/request.h): a catalogue item's tasks are
 * generated as the approved request goes into fulfilment, open step by
 * step, keep the request from completing or closing while one is open,
 * complete it when the last closes, and are canceled with it. Every
 * refusal names what is wrong and changes nothing; the events have one
 * stable JSON form and replay byte for byte; the policy member reads,
 * writes and checks. */
#include "record_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CATALOGUE                                                                                          \
    "\"catalogue\":[{\"name\":\"new_laptop\",\"tasks\":["                                                 \
    "{\"name\":\"order_laptop\",\"group\":\"procurement\",\"step\":1,\"priority\":3,\"ola_minutes\":2880}," \
    "{\"name\":\"create_account\",\"group\":\"identity\",\"step\":1,\"priority\":2,\"ola_minutes\":240},"   \
    "{\"name\":\"image_laptop\",\"group\":\"desktop\",\"step\":2,\"priority\":null,\"ola_minutes\":null}]}," \
    "{\"name\":\"software_install\",\"tasks\":[{\"name\":\"install\",\"group\":\"desktop\"}]}]"

/* The default policy's document with `fulfilment` in place of its own
 * fulfilment member. Caller frees. */
static char *policy_doc(const char *fulfilment)
{
    itsm_policy *def;
    assert_ok(itsm_policy_new_default(&def, NULL));
    size_t len = 0;
    assert_int_equal(itsm_policy_to_json(def, NULL, 0, &len), ITSM_ELIMIT);
    char *doc = malloc(len + 1);
    assert_ok(itsm_policy_to_json(def, doc, len + 1, &len));
    itsm_policy_free(def);
    static const char member[] = "\"fulfilment\":{\"state\":\"fulfilling\",\"complete\":\"complete\",\"catalogue\":[]}";
    char *at = strstr(doc, member);
    assert_non_null(at);
    size_t head = (size_t)(at - doc), tail = strlen(at + strlen(member));
    char *out = malloc(head + strlen(fulfilment) + tail + 1);
    memcpy(out, doc, head);
    strcpy(out + head, fulfilment);
    strcat(out, at + strlen(member));
    free(doc);
    return out;
}

static itsm_policy *catalogue_policy(void)
{
    char *doc = policy_doc("\"fulfilment\":{\"state\":\"fulfilling\",\"complete\":\"complete\"," CATALOGUE "}");
    itsm_policy *p = NULL;
    itsm_parse_error err;
    int rc = itsm_policy_from_json(&p, doc, strlen(doc), NULL, NULL, &err);
    if (rc)
        fail_msg("catalogue policy: %s %s", itsm_errname(rc), err.text);
    free(doc);
    return p;
}

static void open_fixture(fixture *f, itsm_event_sink_fn sink, void *user)
{
    itsm_policy *p = catalogue_policy();
    fixture_open_sink(f, p, sink, user);
    itsm_policy_free(p);
}

static itsm_record *request(fixture *f, const char *id)
{
    itsm_change c[] = { { ITSM_F_SUMMARY, "a laptop", 0 }, { ITSM_F_CALLER, "pia", 0 },
                        { ITSM_F_SERVICE, "workplace", 0 } };
    itsm_record *r = open_kind(f, ITSM_KIND_SERVICE_REQUEST, id, c, N_(c));
    return r;
}

/* Submitted and approved by someone else: ready for `fulfil`. */
static void approve(itsm_record *r)
{
    assert_ok(itsm_record_fire(r, "submit", NULL, 0));
    assert_ok(itsm_record_approve(r, NULL, "mia", NULL));
    assert_ok(itsm_record_fire(r, "approve", NULL, 0));
}

/* In fulfilment with a group and an owner (the default lifecycle's guard). */
static void fulfil(itsm_record *r)
{
    itsm_change g[2] = { { ITSM_F_ASSIGNMENT_GROUP, "service_desk", 0 }, { ITSM_F_ASSIGNEE, "fay", 0 } };
    assert_ok(itsm_record_fire(r, "fulfil", g, 2));
}

/* Closed with the closure checklist's category and knowledge decision (the
 * notes and the owner are there from fulfilment). */
static void close_request(itsm_record *r)
{
    itsm_change c[2] = { { ITSM_F_CATEGORY, "hardware", 0 }, { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 } };
    assert_ok(itsm_record_fire(r, "close", c, 2));
}

/* A request for `item`, approved and in fulfilment: its tasks generated. */
static itsm_record *fulfilling(fixture *f, const char *id, const char *item)
{
    itsm_record *r = request(f, id);
    assert_ok(itsm_request_choose_item(r, item));
    approve(r);
    fulfil(r);
    return r;
}

static itsm_task_info task(const itsm_record *r, size_t i)
{
    itsm_task_info t = { .size = sizeof t };
    assert_ok(itsm_request_task_at(&t, r, i));
    return t;
}

/* Every record's item and tasks, for equality checks beside engine_dump. */
static char *tasks_dump(itsm_engine *eng)
{
    size_t cap = 1 << 16, off = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    for (size_t i = 0; i < itsm_engine_record_count(eng); i++) {
        itsm_record *r = NULL;
        assert_ok(itsm_engine_record_at(&r, eng, i));
        const char *item = itsm_request_item(r);
        off += (size_t)snprintf(out + off, cap - off, "%s item=%s\n", itsm_record_id(r), item ? item : "-");
        for (size_t k = 0; k < itsm_request_task_count(r); k++) {
            itsm_task_info t = task(r, k);
            off += (size_t)snprintf(out + off, cap - off, " %s %s %s step=%d prio=%d ola=%lld %s %lld %lld %lld %d\n",
                                    t.name, t.group, t.assignee ? t.assignee : "-", t.step, t.priority,
                                    (long long)t.ola_minutes, itsm_task_state_name(t.state), (long long)t.opened_at,
                                    (long long)t.due, (long long)t.closed_at, t.breached);
        }
    }
    return out;
}

/* ---- the flow ---- */

static void tasks_are_generated_in_fulfilment_and_open_step_by_step(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f, NULL, NULL);
    itsm_record *r = request(&f, "REQ1");
    assert_ok(itsm_request_choose_item(r, "software_install"));
    assert_ok(itsm_request_choose_item(r, "new_laptop"));   /* a second choice replaces the first */
    assert_string_equal(itsm_request_item(r), "new_laptop");
    approve(r);
    assert_int_equal(itsm_request_task_count(r), 0);   /* approved: not yet in fulfilment */
    f.clock.now += 3600;
    fulfil(r);
    assert_int_equal(itsm_request_task_count(r), 3);
    itsm_task_info a = task(r, 0), b = task(r, 1), c = task(r, 2);
    assert_string_equal(a.name, "order_laptop");
    assert_string_equal(a.group, "procurement");
    assert_int_equal(a.state, ITSM_TASK_OPEN);
    assert_int_equal(a.opened_at, T0 + 3600);
    assert_int_equal(a.due, T0 + 3600 + 2880 * 60);
    assert_int_equal(a.priority, 3);
    assert_int_equal(b.state, ITSM_TASK_OPEN);   /* the same step: in parallel */
    assert_int_equal(b.due, T0 + 3600 + 240 * 60);
    assert_int_equal(c.state, ITSM_TASK_WAITING);
    assert_int_equal(c.step, 2);
    assert_int_equal(c.opened_at, ITSM_TIME_NONE);
    assert_int_equal(c.due, ITSM_TIME_NONE);
    assert_int_equal(c.priority, 0);
    assert_null(c.assignee);

    f.clock.now += 600;
    assert_fails(f.eng, itsm_request_task_close(r, "order_laptop", ITSM_TASK_DONE, "   "), ITSM_EINVAL,
                 "blank text says nothing");
    assert_ok(itsm_request_task_close(r, "order_laptop", ITSM_TASK_DONE, ""));   /* optional: "" is none */
    assert_int_equal(task(r, 0).state, ITSM_TASK_DONE);
    assert_int_equal(task(r, 2).state, ITSM_TASK_WAITING);   /* create_account still open */
    f.clock.now += 600;
    assert_ok(itsm_request_task_close(r, "create_account", ITSM_TASK_CANCELED, "Has an account already"));
    c = task(r, 2);
    assert_int_equal(c.state, ITSM_TASK_OPEN);
    assert_int_equal(c.opened_at, T0 + 4800);
    assert_int_equal(c.due, ITSM_TIME_NONE);   /* no OLA target */
    assert_int_equal(task(r, 1).closed_at, T0 + 4800);
    assert_string_equal(itsm_record_state(r), "fulfilling");
    assert_ok(itsm_request_task_close(r, "image_laptop", ITSM_TASK_DONE, "Imaged"));
    assert_string_equal(itsm_record_state(r), "fulfilled");
    assert_string_equal(itsm_record_str(r, ITSM_F_RESOLUTION_NOTES),
                        "Fulfilled: every task of catalogue item 'new_laptop' closed (3 tasks)");
    close_request(r);
    fixture_close(&f);
}

static void choosing_in_fulfilment_generates_at_once_and_notes_given_are_kept(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f, NULL, NULL);
    itsm_record *r = request(&f, "REQ1");
    approve(r);
    fulfil(r);
    assert_int_equal(itsm_request_task_count(r), 0);   /* no item: no tasks, nothing in the way */
    assert_ok(itsm_request_choose_item(r, "software_install"));
    assert_int_equal(itsm_request_task_count(r), 1);
    assert_int_equal(task(r, 0).state, ITSM_TASK_OPEN);
    itsm_change notes = { ITSM_F_RESOLUTION_NOTES, "Installed version 7", 0 };
    assert_ok(itsm_record_update(r, &notes, 1));
    assert_ok(itsm_request_task_assign(r, "install", "dan"));
    assert_string_equal(task(r, 0).assignee, "dan");
    f.clock.now += 9 * 3600;
    assert_ok(itsm_request_task_close(r, "install", ITSM_TASK_DONE, NULL));
    assert_string_equal(itsm_record_state(r), "fulfilled");
    assert_string_equal(itsm_record_str(r, ITSM_F_RESOLUTION_NOTES), "Installed version 7");
    assert_int_equal(task(r, 0).breached, 0);   /* no OLA target */
    fixture_close(&f);
}

static void a_request_without_tasks_completes_as_before(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f, NULL, NULL);
    itsm_record *r = request(&f, "REQ1");
    approve(r);
    fulfil(r);
    itsm_change notes = { ITSM_F_RESOLUTION_NOTES, "Done", 0 };
    assert_ok(itsm_record_fire(r, "complete", &notes, 1));
    close_request(r);
    fixture_close(&f);
}

static void canceling_every_task_delivers_nothing_and_leaves_the_request_to_the_host(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f, NULL, NULL);
    itsm_record *r = fulfilling(&f, "REQ1", "new_laptop");
    assert_ok(itsm_request_task_close(r, "order_laptop", ITSM_TASK_CANCELED, "Budget withdrawn"));
    assert_ok(itsm_request_task_close(r, "create_account", ITSM_TASK_CANCELED, NULL));
    assert_ok(itsm_request_task_close(r, "image_laptop", ITSM_TASK_CANCELED, NULL));
    /* nothing was delivered: not fulfilled, no notes, no resolution time */
    assert_string_equal(itsm_record_state(r), "fulfilling");
    assert_null(itsm_record_str(r, ITSM_F_RESOLUTION_NOTES));
    assert_int_equal(itsm_record_int(r, ITSM_F_RESOLVED_AT), ITSM_TIME_NONE);
    /* the host decides: here it cancels the request */
    assert_ok(itsm_record_fire(r, "cancel", NULL, 0));
    assert_string_equal(itsm_record_state(r), "canceled");
    fixture_close(&f);
}

static void one_task_done_and_the_rest_canceled_fulfils_the_request(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f, NULL, NULL);
    itsm_record *r = fulfilling(&f, "REQ1", "new_laptop");
    assert_ok(itsm_request_task_close(r, "order_laptop", ITSM_TASK_CANCELED, "Has a laptop already"));
    assert_ok(itsm_request_task_close(r, "create_account", ITSM_TASK_DONE, NULL));
    assert_string_equal(itsm_record_state(r), "fulfilling");
    assert_ok(itsm_request_task_close(r, "image_laptop", ITSM_TASK_CANCELED, NULL));
    assert_string_equal(itsm_record_state(r), "fulfilled");
    fixture_close(&f);
}

static void canceling_the_request_cancels_its_open_tasks_in_the_same_step(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f, NULL, NULL);
    itsm_record *r = fulfilling(&f, "REQ1", "new_laptop");
    assert_ok(itsm_request_task_close(r, "order_laptop", ITSM_TASK_DONE, NULL));
    size_t n0 = f.store.n;
    f.clock.now += 60;
    assert_ok(itsm_record_fire(r, "cancel", NULL, 0));
    assert_int_equal(f.store.n - n0, 3);   /* the transition, two tasks canceled */
    assert_string_equal(itsm_record_state(r), "canceled");
    assert_int_equal(task(r, 0).state, ITSM_TASK_DONE);
    assert_int_equal(task(r, 1).state, ITSM_TASK_CANCELED);
    assert_int_equal(task(r, 2).state, ITSM_TASK_CANCELED);
    assert_int_equal(task(r, 2).closed_at, T0 + 60);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"action\":\"cancel\""));
    fixture_close(&f);
}

static void the_last_task_leaves_the_request_when_its_guard_wants_more(void **state)
{
    (void)state;
    /* complete also needs a category: the engine does not invent one. */
    char *doc = policy_doc("\"fulfilment\":{\"state\":\"fulfilling\",\"complete\":\"complete\"," CATALOGUE "}");
    static const char from[] = "\"guard\":\"resolution_notes tasks:done\"";
    char *at = strstr(doc, from);
    assert_non_null(at);
    memcpy(at, "\"guard\":\"resolution_notes category  \"", sizeof from - 1);
    itsm_policy *p;
    assert_ok(itsm_policy_from_json(&p, doc, strlen(doc), NULL, NULL, NULL));
    free(doc);
    fixture f;
    fixture_open_with(&f, p, NULL);
    itsm_policy_free(p);
    itsm_record *r = fulfilling(&f, "REQ1", "software_install");
    assert_ok(itsm_request_task_close(r, "install", ITSM_TASK_DONE, NULL));
    assert_string_equal(itsm_record_state(r), "fulfilling");
    assert_null(itsm_record_str(r, ITSM_F_RESOLUTION_NOTES));
    fixture_close(&f);
}

/* ---- refusals ---- */

/* The approvers approved the item the request named: another item after
 * the approval would have its tasks generated under it. The same item
 * again, or a first choice on a request approved with none, is taken. */
static void an_approved_request_keeps_the_item_it_was_approved_for(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f, NULL, NULL);
    itsm_record *r = request(&f, "REQ1");
    assert_ok(itsm_request_choose_item(r, "software_install"));
    approve(r);
    refuse(&f, itsm_request_choose_item(r, "new_laptop"), ITSM_ESTATE,
           "REQ1 was approved for catalogue item 'software_install': choosing 'new_laptop' instead would go around "
           "its approval");
    assert_ok(itsm_request_choose_item(r, "software_install"));
    fulfil(r);
    assert_string_equal(itsm_request_item(r), "software_install");
    itsm_task_info t = task(r, 0);
    assert_string_equal(t.name, "install");

    itsm_record *q = request(&f, "REQ2");
    approve(q);
    assert_ok(itsm_request_choose_item(q, "new_laptop"));
    assert_string_equal(itsm_request_item(q), "new_laptop");
    fixture_close(&f);
}


static void every_refusal_names_what_is_wrong_and_changes_nothing(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f, NULL, NULL);
    itsm_record *r = request(&f, "REQ1");
    itsm_record *inc = NULL;
    itsm_change s = { ITSM_F_SUMMARY, "mail down", 0 };
    itsm_record_opts io = ITSM_RECORD_OPTS_INIT;
    io.kind = ITSM_KIND_INCIDENT;
    io.id = "INC1";
    io.fields = &s;
    io.nfields = 1;
    assert_ok(itsm_record_open(&inc, f.eng, &io));
    char *before = engine_dump(f.eng), *tb = tasks_dump(f.eng);
    size_t n0 = f.store.n;

    assert_int_equal(itsm_request_choose_item(NULL, "new_laptop"), ITSM_EINVAL);
    assert_fails(f.eng, itsm_request_choose_item(r, NULL), ITSM_EINVAL, "a catalogue item is required");
    assert_fails(f.eng, itsm_request_choose_item(r, "espresso_machine"), ITSM_ENOTFOUND,
                 "the service catalogue has no item 'espresso_machine' (items: new_laptop, software_install)");
    assert_fails(f.eng, itsm_request_choose_item(r, "Bad Name\n"), ITSM_ENOTFOUND,
                 "the service catalogue has no item '?'");
    assert_fails(f.eng, itsm_request_choose_item(inc, "new_laptop"), ITSM_EINVAL,
                 "cannot choose a catalogue item: INC1 is not a service request (its kind is incident)");
    assert_fails(f.eng, itsm_request_task_close(r, "install", ITSM_TASK_DONE, NULL), ITSM_ENOTFOUND,
                 "REQ1 has no task 'install' (tasks: none)");
    assert_int_equal(f.store.n, n0);
    char *after = engine_dump(f.eng), *ta = tasks_dump(f.eng);
    assert_string_equal(before, after);
    assert_string_equal(tb, ta);
    free(after);
    free(ta);
    free(before);
    free(tb);

    assert_ok(itsm_request_choose_item(r, "new_laptop"));
    approve(r);
    fulfil(r);
    before = engine_dump(f.eng);
    tb = tasks_dump(f.eng);
    n0 = f.store.n;
    itsm_change notes = { ITSM_F_RESOLUTION_NOTES, "Handed over", 0 };
    assert_fails(f.eng, itsm_record_fire(r, "complete", &notes, 1), ITSM_EGUARD,
                 "transition 'complete' from 'fulfilling' needs every task closed: 3 of 3 tasks of REQ1 open "
                 "('order_laptop' (procurement, open), 'create_account' (identity, open), 'image_laptop' (desktop, "
                 "waiting))");
    assert_int_equal(itsm_guard_missing_count(f.eng), 1);
    assert_fails(f.eng, itsm_request_choose_item(r, "software_install"), ITSM_ESTATE,
                 "REQ1's tasks for catalogue item 'new_laptop' are generated already");
    assert_fails(f.eng, itsm_request_task_close(r, "image_laptop", ITSM_TASK_DONE, NULL), ITSM_ESTATE,
                 "task 'image_laptop' of REQ1 waits for step 1 ('order_laptop', 'create_account' open)");
    assert_fails(f.eng, itsm_request_task_close(r, "reboot", ITSM_TASK_DONE, NULL), ITSM_ENOTFOUND,
                 "REQ1 has no task 'reboot' (tasks: order_laptop, create_account, image_laptop)");
    assert_fails(f.eng, itsm_request_task_close(r, NULL, ITSM_TASK_DONE, NULL), ITSM_EINVAL, "a task name is required");
    assert_fails(f.eng, itsm_request_task_close(r, "order_laptop", ITSM_TASK_OPEN, NULL), ITSM_EINVAL,
                 "a task closes as done or canceled, not as state 1");
    assert_fails(f.eng, itsm_request_task_close(r, "order_laptop", ITSM_TASK_DONE, " \t"), ITSM_EINVAL,
                 "task note is required: blank text says nothing");
    assert_fails(f.eng, itsm_request_task_close(r, "order_laptop", ITSM_TASK_DONE, "bad \xff byte"), ITSM_EINVAL,
                 "task note");
    assert_fails(f.eng, itsm_request_task_assign(r, "order_laptop", NULL), ITSM_EINVAL, "assignee is required");
    assert_fails(f.eng, itsm_request_task_assign(r, "order_laptop", "bad\nname"), ITSM_EINVAL, "assignee");
    assert_int_equal(itsm_request_task_assign(NULL, "order_laptop", "ida"), ITSM_EINVAL);
    assert_int_equal(itsm_request_task_close(NULL, "order_laptop", ITSM_TASK_DONE, NULL), ITSM_EINVAL);
    itsm_task_info ti = { .size = 8 };
    assert_fails(f.eng, itsm_request_task_at(&ti, r, 0), ITSM_EINVAL, "itsm_task_info");
    ti.size = sizeof ti;
    assert_fails(f.eng, itsm_request_task_at(&ti, r, 3), ITSM_EINVAL, "task 3 is out of range (REQ1 has 3)");
    assert_fails(f.eng, itsm_request_task_at(NULL, r, 0), ITSM_EINVAL, "out is NULL");
    assert_int_equal(itsm_request_task_at(&ti, NULL, 0), ITSM_EINVAL);
    assert_int_equal(itsm_request_task_count(NULL), 0);
    assert_null(itsm_request_item(NULL));
    assert_null(itsm_task_state_name((itsm_task_state)4));
    assert_int_equal(f.store.n, n0);
    after = engine_dump(f.eng);
    ta = tasks_dump(f.eng);
    assert_string_equal(before, after);
    assert_string_equal(tb, ta);
    free(after);
    free(ta);
    free(before);
    free(tb);

    assert_ok(itsm_request_task_close(r, "order_laptop", ITSM_TASK_DONE, NULL));
    assert_fails(f.eng, itsm_request_task_close(r, "order_laptop", ITSM_TASK_CANCELED, NULL), ITSM_ESTATE,
                 "task 'order_laptop' of REQ1 is done already");
    assert_fails(f.eng, itsm_request_task_assign(r, "order_laptop", "ida"), ITSM_ESTATE,
                 "task 'order_laptop' of REQ1 is done already");
    assert_ok(itsm_record_fire(r, "cancel", NULL, 0));
    assert_fails(f.eng, itsm_request_task_assign(r, "image_laptop", "ida"), ITSM_ESTATE,
                 "cannot assign a task: REQ1 is canceled");
    assert_fails(f.eng, itsm_request_choose_item(r, "new_laptop"), ITSM_ESTATE,
                 "cannot choose a catalogue item: REQ1 is canceled");
    fixture_close(&f);
}

static void a_failing_store_leaves_the_tasks_as_they_were(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f, NULL, NULL);
    itsm_record *r = request(&f, "REQ1");
    assert_ok(itsm_request_choose_item(r, "software_install"));
    approve(r);
    f.store.fail_at = f.store.appends + 1;
    itsm_change g[2] = { { ITSM_F_ASSIGNMENT_GROUP, "service_desk", 0 }, { ITSM_F_ASSIGNEE, "fay", 0 } };
    assert_int_equal(itsm_record_fire(r, "fulfil", g, 2), ITSM_ESTORE);
    assert_int_equal(itsm_request_task_count(r), 0);
    fulfil(r);
    char *tb = tasks_dump(f.eng);
    f.store.fail_at = f.store.appends + 1;
    assert_int_equal(itsm_request_task_close(r, "install", ITSM_TASK_DONE, NULL), ITSM_ESTORE);
    char *ta = tasks_dump(f.eng);
    assert_string_equal(tb, ta);
    assert_string_equal(itsm_record_state(r), "fulfilling");
    free(tb);
    free(ta);
    fixture_close(&f);
}

/* ---- events: one stable form, replay byte for byte ---- */

static void story(fixture *f)
{
    itsm_record *a = request(f, "REQ1"), *b = request(f, "REQ2");
    assert_ok(itsm_request_choose_item(a, "new_laptop"));
    assert_ok(itsm_request_choose_item(b, "software_install"));
    approve(a);
    approve(b);
    f->clock.now += 60;
    fulfil(a);
    fulfil(b);
    assert_ok(itsm_request_task_assign(a, "create_account", "ida"));
    f->clock.now += 5 * 3600;
    assert_ok(itsm_request_task_close(a, "create_account", ITSM_TASK_DONE, "Mailbox \"ready\"\n- ida"));
    assert_ok(itsm_request_task_close(a, "order_laptop", ITSM_TASK_DONE, NULL));
    assert_ok(itsm_record_fire(b, "cancel", NULL, 0));
}

static void fulfilment_events_have_one_stable_form(void **state)
{
    (void)state;
    evcapture cap = { 0 };
    fixture f;
    open_fixture(&f, evcapture_sink, &cap);
    assert_ok(itsm_engine_set_actor(f.eng, "desk_ann"));
    story(&f);
    assert_sink_saw_the_store(&cap, &f.store);
    /* docs/events.md shows these, without the chain link each ends with
     * (test_chain.c checks the links). */
    memstore_unchain(&f.store);
    assert_string_equal(memstore_find(&f.store, "\"request_item\",\"record\":\"REQ1\""),
        "{\"v\":1,\"type\":\"request_item\",\"record\":\"REQ1\",\"kind\":\"service_request\",\"rev\":2,"
        "\"at\":\"2026-03-02T09:00:00Z\",\"actor\":\"desk_ann\",\"item\":\"new_laptop\"}");
    assert_string_equal(memstore_find(&f.store, "\"request_tasks\",\"record\":\"REQ2\""),
        "{\"v\":1,\"type\":\"request_tasks\",\"record\":\"REQ2\",\"kind\":\"service_request\",\"rev\":7,"
        "\"at\":\"2026-03-02T09:01:00Z\",\"actor\":\"desk_ann\",\"tasks\":{\"item\":\"software_install\","
        "\"list\":[{\"name\":\"install\",\"group\":\"desktop\",\"step\":1,\"priority\":0,\"ola_minutes\":0}]}}");
    assert_string_equal(memstore_find(&f.store, "\"action\":\"assign\""),
        "{\"v\":1,\"type\":\"request_task\",\"record\":\"REQ1\",\"kind\":\"service_request\",\"rev\":8,"
        "\"at\":\"2026-03-02T09:01:00Z\",\"actor\":\"desk_ann\",\"task\":{\"name\":\"create_account\","
        "\"action\":\"assign\",\"assignee\":\"ida\",\"note\":null}}");
    assert_string_equal(memstore_find(&f.store, "\"action\":\"done\""),
        "{\"v\":1,\"type\":\"request_task\",\"record\":\"REQ1\",\"kind\":\"service_request\",\"rev\":9,"
        "\"at\":\"2026-03-02T14:01:00Z\",\"actor\":\"desk_ann\",\"task\":{\"name\":\"create_account\","
        "\"action\":\"done\",\"assignee\":null,\"note\":\"Mailbox \\\"ready\\\"\\n- ida\"}}");
    assert_string_equal(f.store.events[f.store.n - 1],
        "{\"v\":1,\"type\":\"request_task\",\"record\":\"REQ2\",\"kind\":\"service_request\",\"rev\":9,"
        "\"at\":\"2026-03-02T14:01:00Z\",\"actor\":\"desk_ann\",\"task\":{\"name\":\"install\","
        "\"action\":\"cancel\",\"assignee\":null,\"note\":null}}");
    evcapture_free(&cap);
    fixture_close(&f);
}

static void a_replayed_engine_goes_on_exactly_as_the_live_one(void **state)
{
    (void)state;
    fixture live, replayed;
    open_fixture(&live, NULL, NULL);
    story(&live);
    open_fixture(&replayed, NULL, NULL);
    replayed.store.check_revisions = 0;
    replayed.clock.now = live.clock.now;
    replay_store_into(replayed.eng, &live.store);
    replay_store_into(replayed.eng, &live.store);   /* twice is harmless */
    char *d1 = engine_dump(live.eng), *d2 = engine_dump(replayed.eng);
    char *t1 = tasks_dump(live.eng), *t2 = tasks_dump(replayed.eng);
    assert_string_equal(d1, d2);
    assert_string_equal(t1, t2);
    free(d1);
    free(d2);
    free(t1);
    free(t2);
    /* The same next calls on both: the same events, byte for byte - the
     * last task completes the request in both. */
    size_t n0 = live.store.n, r0 = replayed.store.n;
    itsm_engine *engines[] = { live.eng, replayed.eng };
    for (int k = 0; k < 2; k++) {
        itsm_record *a;
        assert_ok(itsm_record_find(&a, engines[k], "REQ1"));
        assert_ok(itsm_request_task_close(a, "image_laptop", ITSM_TASK_DONE, NULL));
        assert_string_equal(itsm_record_state(a), "fulfilled");
    }
    assert_int_equal(live.store.n - n0, 2);
    assert_same_new_events(&live.store, n0, &replayed.store, r0);
    fixture_close(&live);
    fixture_close(&replayed);
}

static void malformed_fulfilment_events_are_refused_and_change_nothing(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f, NULL, NULL);
    story(&f);
    itsm_record *a;
    assert_ok(itsm_record_find(&a, f.eng, "REQ1"));
    assert_int_equal(itsm_record_revision(a), 10);
    itsm_record *inc = NULL;
    itsm_change s = { ITSM_F_SUMMARY, "mail down", 0 };
    itsm_record_opts io = ITSM_RECORD_OPTS_INIT;
    io.kind = ITSM_KIND_INCIDENT;
    io.id = "INC1";
    io.fields = &s;
    io.nfields = 1;
    assert_ok(itsm_record_open(&inc, f.eng, &io));
    char *before = engine_dump(f.eng), *tb = tasks_dump(f.eng);
#define EV(type, body) "{\"v\":1,\"type\":\"" type "\",\"record\":\"REQ1\",\"kind\":\"service_request\",\"rev\":11," \
                       "\"at\":\"2026-03-02T15:00:00Z\"," body "}"
    static const struct { const char *json; const char *needle; } bad[] = {
        { EV("request_item", "\"item\":\"Laptop\""), "REQ1's tasks are generated already" },
        { "{\"v\":1,\"type\":\"request_item\",\"record\":\"INC1\",\"kind\":\"incident\",\"rev\":2,"
          "\"at\":\"2026-03-02T15:00:00Z\",\"item\":\"x\"}", "INC1 is not a service request" },
        { EV("request_tasks", "\"tasks\":{\"item\":\"x\",\"list\":[]}"), "REQ1's tasks are generated already" },
        { EV("request_task", "\"task\":[]"), "a request_task event needs a 'task' object" },
        { EV("request_task", "\"task\":{\"name\":\"image_laptop\",\"action\":\"finish\",\"assignee\":null,"
             "\"note\":null}"), "'action' must be \"assign\", \"done\" or \"cancel\"" },
        { EV("request_task", "\"task\":{\"name\":\"image_laptop\",\"action\":\"assign\",\"assignee\":null,"
             "\"note\":null}"), "'assignee' is given with \"assign\" and only then" },
        { EV("request_task", "\"task\":{\"name\":\"image_laptop\",\"action\":\"done\",\"assignee\":null,"
             "\"note\":\"\"}"), "'note' must be text or null" },
        { EV("request_task", "\"task\":{\"name\":\"order_laptop\",\"action\":\"cancel\",\"assignee\":null,"
             "\"note\":null}"), "REQ1 has no unclosed task 'order_laptop'" },
        { EV("request_task", "\"task\":{\"name\":\"reboot\",\"action\":\"done\",\"assignee\":null,"
             "\"note\":null}"), "REQ1 has no open task 'reboot'" },
        { EV("request_task", "\"task\":{\"name\":\"image_laptop\",\"action\":\"done\",\"who\":null}"),
          "unknown member 'who' in task" },
    };
#undef EV
    for (size_t i = 0; i < N_(bad); i++) {
        itsm_parse_error err;
        int rc = itsm_engine_replay_json(f.eng, bad[i].json, strlen(bad[i].json), &err);
        if (rc != ITSM_EPARSE || !strstr(err.text, bad[i].needle) || err.line != 1 || !err.column)
            fail_msg("%s: got %s %zu:%zu \"%s\"", bad[i].json, itsm_errname(rc), err.line, err.column, err.text);
        char *after = engine_dump(f.eng), *ta = tasks_dump(f.eng);
        assert_string_equal(before, after);
        assert_string_equal(tb, ta);
        free(after);
        free(ta);
    }
    /* A fresh request: the task list itself is checked. */
    itsm_record *c = request(&f, "REQ3");
    (void)c;
#define EV3(body) "{\"v\":1,\"type\":\"request_tasks\",\"record\":\"REQ3\",\"kind\":\"service_request\",\"rev\":2," \
                  "\"at\":\"2026-03-02T15:00:00Z\",\"tasks\":{\"item\":\"x\",\"list\":[" body "]}}"
    static const struct { const char *json; const char *needle; } bad3[] = {
        { EV3(""), "'list' must be an array of 1..32 tasks" },
        { EV3("{\"name\":\"a\",\"group\":\"g\",\"step\":2,\"priority\":0,\"ola_minutes\":0}"),
          "'step' must be a whole number 1..1" },
        { EV3("{\"name\":\"a\",\"group\":\"g\",\"step\":1,\"priority\":6,\"ola_minutes\":0}"),
          "'priority' must be a whole number 0..5" },
        { EV3("{\"name\":\"a\",\"group\":\"g\",\"step\":1,\"priority\":0,\"ola_minutes\":-1}"),
          "'ola_minutes' must be a whole number 0..525600" },
        { EV3("{\"name\":\"a\",\"group\":\"\",\"step\":1,\"priority\":0,\"ola_minutes\":0}"),
          "'group' must be a name without control characters" },
        { EV3("{\"name\":\"a\",\"group\":\"g\",\"step\":1,\"priority\":0,\"ola_minutes\":0},"
              "{\"name\":\"a\",\"group\":\"g\",\"step\":1,\"priority\":0,\"ola_minutes\":0}"),
          "task 'a' is given twice" },
    };
#undef EV3
    free(before);
    free(tb);
    before = engine_dump(f.eng);
    tb = tasks_dump(f.eng);
    for (size_t i = 0; i < N_(bad3); i++) {
        itsm_parse_error err;
        int rc = itsm_engine_replay_json(f.eng, bad3[i].json, strlen(bad3[i].json), &err);
        if (rc != ITSM_EPARSE || !strstr(err.text, bad3[i].needle))
            fail_msg("%s: got %s \"%s\"", bad3[i].json, itsm_errname(rc), err.text);
        char *after = engine_dump(f.eng), *ta = tasks_dump(f.eng);
        assert_string_equal(before, after);
        assert_string_equal(tb, ta);
        free(after);
        free(ta);
    }
    free(before);
    free(tb);
    fixture_close(&f);
}

/* ---- the policy member ---- */

static void the_catalogue_round_trips_byte_for_byte(void **state)
{
    (void)state;
    itsm_policy *p = catalogue_policy(), *q;
    size_t len = 0, len2 = 0;
    assert_int_equal(itsm_policy_to_json(p, NULL, 0, &len), ITSM_ELIMIT);
    char *a = malloc(len + 1), *b = malloc(len + 1);
    assert_ok(itsm_policy_to_json(p, a, len + 1, &len));
    assert_non_null(strstr(a, "{\"name\":\"install\",\"group\":\"desktop\",\"step\":1,\"priority\":null,"
                              "\"ola_minutes\":null}"));
    assert_ok(itsm_policy_from_json(&q, a, len, NULL, NULL, NULL));
    assert_ok(itsm_policy_to_json(q, b, len + 1, &len2));
    assert_string_equal(a, b);
    itsm_policy *c;
    assert_ok(itsm_policy_clone(&c, q));
    assert_ok(itsm_policy_to_json(c, b, len + 1, &len2));
    assert_string_equal(a, b);
    itsm_policy_free(c);
    itsm_policy_free(q);
    itsm_policy_free(p);
    free(a);
    free(b);
}

static void a_bad_fulfilment_member_is_refused_with_its_position(void **state)
{
    (void)state;
#define T(tasks) "\"fulfilment\":{\"catalogue\":[{\"name\":\"laptop\",\"tasks\":[" tasks "]}]}"
    static const struct { const char *member; int code; const char *needle; } bad[] = {
        { "\"fulfilment\":[]", ITSM_EPARSE, "'fulfilment' must be an object" },
        { "\"fulfilment\":{\"catalog\":[]}", ITSM_EPARSE, "unknown member 'catalog' in fulfilment" },
        { "\"fulfilment\":{\"state\":\"Fulfilling\"}", ITSM_EPARSE, "'state' must be a state name" },
        { "\"fulfilment\":{\"complete\":7}", ITSM_EPARSE, "'complete' must be an event name" },
        { "\"fulfilment\":{\"catalogue\":{}}", ITSM_EPARSE, "'catalogue' must be an array of at most 256 items" },
        { "\"fulfilment\":{\"catalogue\":[{\"name\":\"laptop\"}]}", ITSM_EPARSE,
          "catalogue item 'laptop' needs 'tasks': an array of 1..32 tasks" },
        { "\"fulfilment\":{\"catalogue\":[{\"tasks\":[]}]}", ITSM_EPARSE, "a catalogue item needs a 'name'" },
        { "\"fulfilment\":{\"catalogue\":[{\"name\":\"a\",\"tasks\":[{\"name\":\"t\",\"group\":\"g\"}]},"
          "{\"name\":\"a\",\"tasks\":[{\"name\":\"t\",\"group\":\"g\"}]}]}", ITSM_EPARSE,
          "catalogue item 'a' is given twice" },
        { T("{\"name\":\"order\"}"), ITSM_EPARSE, "catalogue task 'order' needs a 'group'" },
        { T("{\"name\":\"order\",\"group\":\"g\",\"due\":3}"), ITSM_EPARSE, "unknown member 'due' in catalogue task" },
        { T("{\"name\":\"order\",\"group\":\"g\",\"step\":2}"), ITSM_EPARSE,
          "catalogue task 'order': 'step' must be the step before it (1, in parallel) or the next (1, in sequence)" },
        { T("{\"name\":\"a\",\"group\":\"g\"},{\"name\":\"b\",\"group\":\"g\",\"step\":3}"), ITSM_EPARSE,
          "catalogue task 'b': 'step' must be the step before it (1, in parallel) or the next (2, in sequence)" },
        { T("{\"name\":\"a\",\"group\":\"g\"},{\"name\":\"a\",\"group\":\"h\"}"), ITSM_EPARSE,
          "catalogue item 'laptop': task 'a' is given twice" },
        { T("{\"name\":\"a\",\"group\":\"g\",\"priority\":6}"), ITSM_EPARSE,
          "catalogue task 'a': 'priority' must be 1..5 or null" },
        { T("{\"name\":\"a\",\"group\":\"g\",\"ola_minutes\":0}"), ITSM_EPARSE,
          "catalogue task 'a': 'ola_minutes' must be 1..525600 or null" },
        { "\"fulfilment\":{\"state\":\"nowhere\",\"catalogue\":[{\"name\":\"a\",\"tasks\":[{\"name\":\"t\","
          "\"group\":\"g\"}]}]}", ITSM_EPOLICY,
          "fulfilment: the service_request lifecycle has no state 'nowhere' to generate tasks in" },
        { "\"fulfilment\":{\"state\":\"closed\",\"complete\":\"finish\",\"catalogue\":[{\"name\":\"a\",\"tasks\":"
          "[{\"name\":\"t\",\"group\":\"g\"}]}]}", ITSM_EPOLICY,
          "fulfilment: state 'closed' generates tasks but is a closed state" },
    };
#undef T
    for (size_t i = 0; i < N_(bad); i++) {
        char *doc = policy_doc(bad[i].member);
        itsm_policy *p = (itsm_policy *)1;
        itsm_parse_error err;
        int rc = itsm_policy_from_json(&p, doc, strlen(doc), NULL, NULL, &err);
        if (rc != bad[i].code || !strstr(err.text, bad[i].needle) || p)
            fail_msg("%s: got %s \"%s\"", bad[i].member, itsm_errname(rc), err.text);
        if (rc == ITSM_EPARSE && (err.line != 1 || !err.column))
            fail_msg("%s: no position (%zu:%zu)", bad[i].member, err.line, err.column);
        free(doc);
    }
    /* An unknown completion event is a finding too. */
    itsm_policy *p;
    char *doc = policy_doc("\"fulfilment\":{\"complete\":\"finish\",\"catalogue\":[{\"name\":\"a\",\"tasks\":"
                           "[{\"name\":\"t\",\"group\":\"g\"}]}]}");
    assert_ok(itsm_policy_parse_json(&p, doc, strlen(doc), NULL, NULL, NULL));
    assert_int_equal(itsm_policy_check(p), 1);
    assert_string_equal(itsm_policy_finding(p, 0),
                        "fulfilment: the service_request lifecycle has no event 'finish' for the last task to fire");
    itsm_policy_free(p);
    free(doc);
    /* The guard term takes only 'done'. */
    itsm_policy *d;
    assert_ok(itsm_policy_new_default(&d, NULL));
    itsm_transition_def t = ITSM_TRANSITION_DEF_INIT;
    t.from = "fulfilling";
    t.event = "close";
    t.to = "closed";
    t.guard = "tasks:all";
    assert_int_equal(itsm_policy_add_transition(d, ITSM_KIND_SERVICE_REQUEST, &t), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(d), "'tasks:' takes 'done' (every task of the request closed)"));
    itsm_policy_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tasks_are_generated_in_fulfilment_and_open_step_by_step),
        cmocka_unit_test(choosing_in_fulfilment_generates_at_once_and_notes_given_are_kept),
        cmocka_unit_test(a_request_without_tasks_completes_as_before),
        cmocka_unit_test(canceling_every_task_delivers_nothing_and_leaves_the_request_to_the_host),
        cmocka_unit_test(one_task_done_and_the_rest_canceled_fulfils_the_request),
        cmocka_unit_test(canceling_the_request_cancels_its_open_tasks_in_the_same_step),
        cmocka_unit_test(the_last_task_leaves_the_request_when_its_guard_wants_more),
        cmocka_unit_test(an_approved_request_keeps_the_item_it_was_approved_for),
        cmocka_unit_test(every_refusal_names_what_is_wrong_and_changes_nothing),
        cmocka_unit_test(a_failing_store_leaves_the_tasks_as_they_were),
        cmocka_unit_test(fulfilment_events_have_one_stable_form),
        cmocka_unit_test(a_replayed_engine_goes_on_exactly_as_the_live_one),
        cmocka_unit_test(malformed_fulfilment_events_are_refused_and_change_nothing),
        cmocka_unit_test(the_catalogue_round_trips_byte_for_byte),
        cmocka_unit_test(a_bad_fulfilment_member_is_refused_with_its_position),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
