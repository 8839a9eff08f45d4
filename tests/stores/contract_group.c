/* SPDX-License-Identifier: Apache-2.0 */
/*
 * contract_group.c - the store contract (contract.h): the store's groups (itsm_store.group).
 * A commit keeps every append at once, an abort none, a refused append
 * leaves the group open, a writer killed inside one keeps nothing of it.
 */
#define _POSIX_C_SOURCE 200809L /* fork, kill, pipe, fdopen */
#include "contract_int.h"


#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void group_op(node *n, int op)
{
    int rc = drv->methods()->group(n->h, op);
    if (rc != ITSM_OK)
        fail_msg("%s: group op %d: %s (%s)", drv->name, op, itsm_errname(rc), drv->errmsg(n->h));
}

/* The appends of a group are kept at once, at its commit: before it, the
 * writer's own reads see them and another handle sees none. */
void group_commit_keeps_every_append_at_once(void **state)
{
    (void)state;
    drv->wipe("group");
    node a;
    node_open(&a, "group", NULL, NULL);
    assert_non_null(drv->methods()->group);
    open_incident(&a, "INC-G0");   /* before the group */
    void *other = open_handle("group");
    group_op(&a, ITSM_STORE_GROUP_BEGIN);
    itsm_record *x = open_incident(&a, "INC-G1"), *y = open_incident(&a, "INC-G2");
    for (int i = 0; i < 3; i++)
        assert_ok(work_note(x, "in the group"));
    assert_ok(itsm_record_link(x, ITSM_LINK_RELATED, y));
    assert_int_equal(count_of(a.h), 9);     /* with the version's document, before INC-G0 */
    assert_int_equal(count_of(other), 2);   /* nothing of the group yet */
    group_op(&a, ITSM_STORE_GROUP_COMMIT);
    assert_int_equal(count_of(other), 9);
    char *mine = engine_dump(a.eng), *kept = dump_of_store("group");
    assert_same(mine, kept, "the engine that wrote the group and the store");
    free(mine), free(kept);
    drv->close(other);
    node_close(&a);
}

/* An aborted group keeps none of its appends, whatever came before it
 * stays, and the store takes appends again afterwards. */
void group_abort_keeps_none_of_it(void **state)
{
    (void)state;
    drv->wipe("abort");
    node a;
    node_open(&a, "abort", NULL, NULL);
    open_incident(&a, "INC-A0");
    char *before = dump_of_store("abort");
    group_op(&a, ITSM_STORE_GROUP_BEGIN);
    itsm_record *r = open_incident(&a, "INC-A1");
    assert_ok(work_note(r, "never kept"));
    assert_ok(work_note(find(&a, "INC-A0"), "never kept either"));
    group_op(&a, ITSM_STORE_GROUP_ABORT);
    char *after = dump_of_store("abort");
    assert_same(before, after, "the store before the group and after its abort");
    node_close(&a);   /* it applied what the store dropped: a new engine */
    node b;
    node_open(&b, "abort", NULL, NULL);
    assert_ok(work_note(find(&b, "INC-A0"), "after the abort"));
    assert_int_equal(count_of(b.h), 3);   /* the version's document, INC-A0's open and note */
    free(before), free(after);
    node_close(&b);
}

/* Inside a group an append is still checked on its own: a stale one is a
 * conflict that keeps nothing of itself, and the group goes on. */
void refused_append_leaves_the_group_open(void **state)
{
    (void)state;
    drv->wipe("refused");
    node a, b;
    node_open(&a, "refused", NULL, NULL);
    node_open(&b, "refused", NULL, NULL);
    open_incident(&a, "INC-R");
    catch_up(&b);
    assert_ok(work_note(find(&a, "INC-R"), "a first"));   /* b is stale now */
    group_op(&b, ITSM_STORE_GROUP_BEGIN);
    assert_int_equal(work_note(find(&b, "INC-R"), "b stale"), ITSM_ECONFLICT);
    open_incident(&b, "INC-R2");
    group_op(&b, ITSM_STORE_GROUP_COMMIT);
    assert_int_equal(count_of(a.h), 4);   /* the version's document, a's two, b's open */
    catch_up(&a);
    assert_int_equal(itsm_record_revision(find(&a, "INC-R")), 2);
    assert_int_equal(itsm_record_revision(find(&a, "INC-R2")), 1);
    node_close(&a);
    node_close(&b);
}

/* A writer killed inside a group (SIGKILL, before the commit) leaves the
 * store as the last commit left it. */
void kill_in_a_group_keeps_nothing_of_it(void **state)
{
    (void)state;
    drv->wipe("killgroup");
    if (!drv->persistent) {
        node a;
        node_open(&a, "killgroup", NULL, NULL);
        open_incident(&a, "INC-K");
        group_op(&a, ITSM_STORE_GROUP_BEGIN);
        assert_ok(work_note(find(&a, "INC-K"), "lost with the writer"));
        node_close(&a);   /* the handle goes without a commit */
        node b;
        node_open(&b, "killgroup", NULL, NULL);
        assert_int_equal(itsm_record_revision(find(&b, "INC-K")), 1);
        node_close(&b);
        return;
    }
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        void *h = NULL;
        itsm_engine *eng = NULL;
        itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
        vclock clk = { T0 };   /* the reloading node's clock: not behind the events */
        o.clock = vclock_read;
        o.clock_user = &clk;
        o.store = drv->methods();
        if (drv->open(&h, "killgroup") != ITSM_OK)
            _exit(3);
        o.store_user = h;
        itsm_record *r = NULL;
        itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
        ro.id = "INC-K";
        if (itsm_engine_new(&eng, &o) != ITSM_OK || itsm_record_open(&r, eng, &ro) != ITSM_OK ||
            drv->methods()->group(h, ITSM_STORE_GROUP_BEGIN) != ITSM_OK)
            _exit(4);
        for (;;) {
            if (work_note(r, "in a group that never commits") != ITSM_OK || write(fds[1], "n", 1) != 1)
                _exit(5);
        }
    }
    close(fds[1]);
    char c;
    for (int got = 0; got < 20 && read(fds[0], &c, 1) == 1; got++)
        ;
    kill(pid, SIGKILL);
    int st = 0;
    waitpid(pid, &st, 0);
    close(fds[0]);
    if (!WIFSIGNALED(st))
        fail_msg("%s: the writer ended by itself (status %d)", drv->name, st);
    node n;
    node_open(&n, "killgroup", NULL, NULL);
    assert_int_equal(itsm_record_revision(find(&n, "INC-K")), 1);
    assert_int_equal(count_of(n.h), 2);   /* INC-K's open and its version's document */
    assert_ok(work_note(find(&n, "INC-K"), "after the kill"));
    node_close(&n);
}
