<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/**
 * A task of a service request (Record::tasks()), as its catalogue item
 * declared it and its events left it. $state: "waiting" (an earlier step
 * is open), "open", "done" or "canceled"; $due is $openedAt plus the OLA
 * target (null without a target or while waiting); $breached: closed after
 * $due. A plain copy: it keeps no C memory.
 */
final class Task
{
    public function __construct(
        public readonly string $name,
        public readonly string $group,
        public readonly ?string $assignee,
        public readonly int $step,
        public readonly int $priority,
        public readonly int $olaMinutes,
        public readonly string $state,
        public readonly ?DateTimeImmutable $openedAt,
        public readonly ?DateTimeImmutable $due,
        public readonly ?DateTimeImmutable $closedAt,
        public readonly bool $breached,
    ) {
    }

    public function closed(): bool
    {
        return $this->state === 'done' || $this->state === 'canceled';
    }
}
