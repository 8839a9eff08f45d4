/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/request.h - request fulfilment: the service catalogue and the tasks
 * a service request's catalogue item generates.
 *
 * The policy holds a service catalogue (document member "fulfilment",
 * docs/policy.md): items, each with its tasks - a name, the group that
 * does it, an OLA target in minutes and a priority - in numbered steps.
 * Tasks of one step run in parallel; a step opens when every task of the
 * steps before it is closed (done or canceled).
 *
 *   1. The host names the request's item (itsm_request_choose_item; an
 *      event, refused for an item the catalogue lacks).
 *   2. When the approved request goes into fulfilment - it enters the
 *      policy's fulfilment state (default `fulfilling`, reached only by
 *      `fulfil` from `approved`, which the approval guard guards) - the
 *      engine generates the item's tasks in the same step: one
 *      request_tasks event (docs/events.md). The first step's tasks open
 *      then, each due its OLA target later.
 *   3. Each task is assigned and closed by its own event (request_task).
 *   4. When the last task closes, the engine fires the policy's completion
 *      event (default `complete`) on the request in the same step, giving
 *      it resolution notes when its guard asks for them and it has none.
 *      Nothing fires when the request cannot take that step then (another
 *      term of its guard is missing): the host fires it.
 *
 * The lifecycle term "tasks:done" needs every task of the record closed;
 * the default service request lifecycle guards `complete` and `close` with
 * it, so a request cannot be completed or closed while a task is open.
 * Canceling a request (any step into a closed state) cancels its open
 * tasks in the same step. A request with no item has no tasks, and the
 * term lets it pass. Tasks live with the request (they are its sub-records,
 * not records of their own): every change to them is an event on the
 * request, so a replay rebuilds them.
 */
#ifndef ITSM_REQUEST_H
#define ITSM_REQUEST_H

#include "common.h"
#include "record.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ITSM_CATALOGUE_MAX_ITEMS 256
#define ITSM_CATALOGUE_MAX_TASKS 32      /* per item */
#define ITSM_TASK_MAX_OLA_MINUTES 525600 /* a year */

/*
 * Name the catalogue item a service request asks for (an event:
 * request_item). Choosing again replaces the choice until the tasks are
 * generated, and not once the request is approved (its approvers approved
 * that item: another one is ITSM_ESTATE); choosing while the request is
 * in the fulfilment state generates them at once.
 * ITSM_EINVAL: NULL record or item, a record that is not a service
 * request. ITSM_ENOTFOUND: the catalogue has no such item (the message
 * lists the items). ITSM_ESTATE: the request is closed, its tasks are
 * generated already, or it was approved for another item. Also ITSM_ECLOCK, ITSM_ESTORE, ITSM_ENOMEM; on any
 * error nothing changed.
 */
ITSM_API int itsm_request_choose_item(itsm_record *rec, const char *item);

/* The item chosen for the request, or NULL (none, or NULL rec). Borrowed,
 * valid while the engine lives. */
ITSM_API const char *itsm_request_item(const itsm_record *rec);

typedef enum itsm_task_state {
    ITSM_TASK_WAITING = 0,   /* an earlier step is not closed yet */
    ITSM_TASK_OPEN,          /* its step is open: to be done */
    ITSM_TASK_DONE,
    ITSM_TASK_CANCELED
} itsm_task_state;

/* "waiting", "open", "done", "canceled"; NULL when out of range. */
ITSM_API const char *itsm_task_state_name(itsm_task_state state);

/*
 * Assign a task of the request to a person (an event: request_task with
 * action "assign"). A waiting task may be assigned ahead of its step.
 * ITSM_EINVAL: NULL arguments, an invalid name. ITSM_ENOTFOUND: the request
 * has no task of that name (the message lists them). ITSM_ESTATE: the
 * request is closed, or the task is closed. Also ITSM_ECLOCK, ITSM_ESTORE,
 * ITSM_ENOMEM; on any error nothing changed.
 */
ITSM_API int itsm_request_task_assign(itsm_record *rec, const char *task, const char *assignee);

/*
 * Close a task: ITSM_TASK_DONE (the task must be open: its step reached)
 * or ITSM_TASK_CANCELED (open or waiting), with an optional note (text,
 * NULL or "": none). An event: request_task with action "done" or "cancel".
 * Closing the last open task of a step opens the next step's tasks;
 * closing the last task of all completes the request (see above), in the
 * same step. ITSM_EINVAL: NULL record or task, another state, an invalid
 * note. ITSM_ENOTFOUND: no such task. ITSM_ESTATE: the request is closed,
 * the task is closed already, or it waits for an earlier step (done
 * only; the message names the open tasks of that step). Also ITSM_ECLOCK,
 * ITSM_ESTORE, ITSM_ENOMEM; on any error nothing changed.
 */
ITSM_API int itsm_request_task_close(itsm_record *rec, const char *task, itsm_task_state state, const char *note);

typedef struct itsm_task_info {
    size_t          size;        /* sizeof(itsm_task_info), set by the caller (common.h) */
    const char     *name;        /* borrowed, valid while the engine lives */
    const char     *group;       /* the group that does it */
    const char     *assignee;    /* NULL: unassigned */
    int             step;        /* 1.. */
    int             priority;    /* 1..5; 0: none */
    int64_t         ola_minutes; /* the OLA target; 0: none */
    itsm_task_state state;
    itsm_time       opened_at;   /* when its step opened; ITSM_TIME_NONE while waiting */
    itsm_time       due;         /* opened_at + the OLA target; ITSM_TIME_NONE: no target or waiting */
    itsm_time       closed_at;   /* ITSM_TIME_NONE while not closed */
    int             breached;    /* closed after its due time (an open task: 0) */
} itsm_task_info;

/* How many tasks the request has (0 for NULL, a record that is not a
 * service request, or a request whose tasks are not generated). */
ITSM_API size_t itsm_request_task_count(const itsm_record *rec);
/* Task `index` of the request, in the catalogue item's order, into `out`
 * (out->size set by the caller; the strings are borrowed, valid while the
 * engine lives). ITSM_EINVAL for NULL, a bad size or an index out of
 * range. */
ITSM_API int itsm_request_task_at(itsm_task_info *out, const itsm_record *rec, size_t index);

#ifdef __cplusplus
}
#endif

#endif
