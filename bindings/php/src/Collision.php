<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/**
 * Another change on the schedule whose window overlaps a change's
 * (Record::collisions()): on the same configuration item ("ci") or service
 * ("service"), which one ($value), and the overlap [$start, $end).
 */
final class Collision
{
    public function __construct(
        public readonly Record $record,
        public readonly string $on,
        public readonly string $value,
        public readonly DateTimeImmutable $start,
        public readonly DateTimeImmutable $end,
    ) {
    }
}
