<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

/**
 * One value of a report's group-by field (Report::groups()): the value as
 * text (decimal for an int, "true"/"false", a time as
 * "YYYY-MM-DDTHH:MM:SSZ"; null: unset), its cohort records, how many of
 * them were resolved, and met or breached their resolution timer.
 */
final class ReportGroup
{
    public function __construct(
        public readonly ?string $value,
        public readonly int $count,
        public readonly int $resolved,
        public readonly int $met,
        public readonly int $breached,
    ) {
    }
}
