<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Internal;

use FFI;
use Itsm\Exception\InvalidArgument;
use Itsm\Task;

/**
 * The Record calls of request fulfilment (request.h): a service request's
 * catalogue item and the tasks it generates. The catalogue comes with the
 * policy (its document's "fulfilment" member, docs/policy.md). The default
 * service request lifecycle guards `complete` and `close` with the term
 * "tasks:done": a request cannot complete or close while a task is open.
 *
 * @internal part of Record
 */
trait RecordRequest
{
    private const TASK_CLOSE = ['done' => Native::ITSM_TASK_DONE, 'canceled' => Native::ITSM_TASK_CANCELED];

    /**
     * Name the catalogue item the request asks for (an event). Its tasks
     * are generated when the request goes into fulfilment (at once when it
     * is there). NotFound for an item the catalogue lacks (the message lists
     * them); StateError once the tasks are generated or the request is
     * closed; InvalidArgument for a record that is not a service request.
     */
    public function chooseItem(string $item): static
    {
        return $this->mutate('itsm_request_choose_item', Convert::str($item, 'item'));
    }

    /** The catalogue item chosen; null when none. */
    public function item(): ?string
    {
        return Native::ffi()->itsm_request_item($this->ptr());
    }

    /**
     * Assign a task to a person (an event). NotFound for an unknown task;
     * StateError when the task or the request is closed.
     */
    public function assignTask(string $task, string $assignee): static
    {
        return $this->mutate('itsm_request_task_assign', Convert::str($task, 'task'),
            Convert::str($assignee, 'assignee'));
    }

    /**
     * Close a task as "done" (it must be open) or "canceled" (an event).
     * Closing the last task of a step opens the next step; the last task of
     * all completes the request in the same step. StateError when the task
     * is closed already, waits for an earlier step (done), or the request
     * is closed; NotFound for an unknown task.
     */
    public function closeTask(string $task, string $state = 'done', ?string $note = null): static
    {
        $code = self::TASK_CLOSE[$state]
            ?? throw new InvalidArgument("a task closes as 'done' or 'canceled', not '$state'", Native::ITSM_EINVAL);
        return $this->mutate('itsm_request_task_close', Convert::str($task, 'task'), $code,
            Convert::strOrNull($note, 'note'));
    }

    /**
     * The request's tasks in the catalogue item's order ([] before they are
     * generated, or without an item).
     *
     * @return list<Task>
     */
    public function tasks(): array
    {
        $ffi = Native::ffi();
        $p = $this->ptr();
        $out = [];
        $n = (int) $ffi->itsm_request_task_count($p);
        for ($i = 0; $i < $n; $i++) {
            $t = Native::result('itsm_task_info');
            $this->engine->check($ffi->itsm_request_task_at(FFI::addr($t), $p, $i));
            $state = (int) $t->state;
            $out[] = new Task((string) $t->name, (string) $t->group, $t->assignee, (int) $t->step,
                (int) $t->priority, (int) $t->ola_minutes, $ffi->itsm_task_state_name($state) ?? (string) $state,
                Convert::fromC((int) $t->opened_at), Convert::fromC((int) $t->due),
                Convert::fromC((int) $t->closed_at), $t->breached !== 0);
        }
        return $out;
    }

    /** The task of that name; NotFound otherwise. */
    public function task(string $name): Task
    {
        foreach ($this->tasks() as $t) {
            if ($t->name === $name) {
                return $t;
            }
        }
        throw new \Itsm\Exception\NotFound("{$this->id()} has no task '$name'", Native::ITSM_ENOTFOUND);
    }
}
