<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/** One change of the forward schedule (Engine::changeSchedule()): its window and how many changes it collides with now. */
final class ScheduleEntry
{
    public function __construct(
        public readonly Record $record,
        public readonly DateTimeImmutable $start,
        public readonly DateTimeImmutable $end,
        public readonly int $collisions,
    ) {
    }
}
