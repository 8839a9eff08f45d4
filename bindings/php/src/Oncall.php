<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;

/**
 * The on-call climb of an incident (Record::oncall()): $status "paging",
 * "acknowledged", "exhausted" or "stopped"; $policy the escalation
 * policy; $step and $round (1-based) those of the last page; $pages so
 * far; $due the paged step's acknowledge deadline while paging.
 */
final class Oncall
{
    public function __construct(
        public readonly string $status,
        public readonly string $policy,
        public readonly int $step,
        public readonly int $round,
        public readonly int $pages,
        public readonly ?DateTimeImmutable $due,
        public readonly ?string $ackedBy,
        public readonly ?DateTimeImmutable $ackedAt,
    ) {
    }
}
